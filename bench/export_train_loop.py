"""A tiny GPT trained on exported shards through ``stages.export.torch_dataset``: is the loader the bottleneck?

Measures, on the same shards:

* the **loader**: tokens/s that a ``DataLoader`` over ``TokenWindows`` delivers alone (no model);
* the **step**: a tiny GPT's forward + backward + AdamW step, in tokens/s and ms per step, on ``--device``
  (``cuda`` when available, else ``cpu``).

The loader must deliver more tokens/s than the step consumes. The shards come from
``RUN_DIR/export`` (``--export``), or from a fresh export of the flagship manifest's output.

    python bench/export_train_loop.py [--export out/roots-sample/export] [--steps 30] [--device cuda]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import torch  # noqa: E402
from bench_common import cpu_model, package_versions, print_table  # noqa: E402
from torch import nn  # noqa: E402

from pipeline.manifest import parse_manifest  # noqa: E402
from pipeline.runner import RunOptions, execute_run  # noqa: E402
from stages.export.torch_dataset import TokenWindows  # noqa: E402


class _Quiet:
    def chunk_written(self, source: str, stages: list[dict[str, Any]]) -> None:
        pass


class TinyGPT(nn.Module):
    """A GPT-2-shaped decoder: token + position embeddings, pre-norm blocks, tied output head."""

    def __init__(self, vocab: int, seq_len: int, width: int, layers: int, heads: int) -> None:
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(seq_len, width)
        block = nn.TransformerEncoderLayer(
            width, heads, 4 * width, dropout=0.0, activation="gelu", batch_first=True, norm_first=True
        )
        self.blocks = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(seq_len), persistent=False)
        for embedding in (self.tokens, self.positions):
            nn.init.normal_(embedding.weight, std=0.02)  # GPT-2's init: the first loss is about ln(vocab)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        steps = ids.shape[1]
        x = self.tokens(ids) + self.positions(torch.arange(steps, device=ids.device))
        x = self.blocks(x, mask=self.mask[:steps, :steps], is_causal=True)
        return self.norm(x) @ self.tokens.weight.T


def fresh_export(workdir: Path) -> Path:
    """The flagship manifest (local executor) with its export section: shards of the bundled samples."""
    raw = yaml.safe_load((REPO / "manifests" / "roots.yaml").read_text())
    raw["run"]["output"] = str(workdir / "run")
    os.chdir(REPO)
    execute_run(parse_manifest(raw), RunOptions(executor="local", overwrite=True), _Quiet())
    return workdir / "run" / "export"


def loader_rate(loader: torch.utils.data.DataLoader, batches: int) -> float:
    iterator, tokens = iter(loader), 0
    next(iterator)  # worker start-up is not a per-token cost
    started = time.perf_counter()
    for _ in range(batches):
        try:
            batch = next(iterator)
        except StopIteration:
            iterator = iter(loader)
            batch = next(iterator)
        tokens += batch[:, :-1].numel()
    return tokens / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", type=Path, help="an export directory (default: export the bundled samples)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--seq-len", type=int, default=256)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="DataLoader worker processes")
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "export_train_loop.json")
    args = parser.parse_args()
    torch.manual_seed(0)
    workdir = Path(tempfile.mkdtemp(prefix="export-train-"))
    try:
        export = args.export or fresh_export(workdir)
        record = json.loads((export / "export.json").read_text())
        vocab = record["tokenizer"]["vocab_size"]
        windows = TokenWindows(export, args.seq_len, num_samples=args.batch * (args.steps + 5) * 4, seed=0)
        loader = torch.utils.data.DataLoader(
            windows,
            batch_size=args.batch,
            shuffle=False,
            num_workers=args.workers,
            pin_memory=args.device.startswith("cuda"),
            persistent_workers=args.workers > 0,
        )
        loader_tokens_s = loader_rate(loader, args.steps * 3)
        long_windows = TokenWindows(export, 2048, num_samples=args.batch * 40, seed=0)
        long_loader = torch.utils.data.DataLoader(long_windows, batch_size=args.batch, num_workers=args.workers)
        loader_2048_tokens_s = loader_rate(long_loader, 30)

        model = TinyGPT(vocab, args.seq_len, args.width, args.layers, args.heads).to(args.device)
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
        losses, step_times, iterator = [], [], iter(loader)
        for step in range(args.steps + 3):
            batch = next(iterator).to(args.device, non_blocking=True)
            started = time.perf_counter()
            logits = model(batch[:, :-1])
            loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), batch[:, 1:].reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
            if step >= 3:  # warm-up steps are not timed
                step_times.append(time.perf_counter() - started)
            losses.append(float(loss.detach()))
        step_s = sorted(step_times)[len(step_times) // 2]
        step_tokens_s = args.batch * args.seq_len / step_s
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    params = sum(p.numel() for p in model.parameters())
    results = {
        "device": args.device,
        "device_name": torch.cuda.get_device_name() if args.device.startswith("cuda") else cpu_model(),
        "model_parameters": params,
        "seq_len": args.seq_len,
        "batch": args.batch,
        "loader_workers": args.workers,
        "loader_tokens_per_s": loader_tokens_s,
        "loader_tokens_per_s_seq_len_2048": loader_2048_tokens_s,
        "step_seconds_median": step_s,
        "step_tokens_per_s": step_tokens_s,
        "loader_headroom": loader_tokens_s / step_tokens_s,
        "loss_first": losses[0],
        "loss_last": losses[-1],
        "loss_uniform": math.log(vocab),
        "export_tokens": record["tokens_written"],
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cores": os.cpu_count(),
        "versions": package_versions(("torch", "numpy")),
    }
    print_table(
        f"loader vs tiny-GPT step on {args.device} ({params / 1e6:.1f}M parameters, batch {args.batch}×{args.seq_len})",
        ["", "tokens/s", "ms per step"],
        [
            ["DataLoader over TokenWindows", f"{loader_tokens_s:,.0f}", ""],
            ["  same, seq_len 2048", f"{loader_2048_tokens_s:,.0f}", ""],
            ["tiny GPT step (fwd+bwd+AdamW)", f"{step_tokens_s:,.0f}", f"{step_s * 1000:.0f}"],
            ["loader headroom (×)", f"{loader_tokens_s / step_tokens_s:.1f}", ""],
        ],
    )
    print(f"loss {losses[0]:.2f} -> {losses[-1]:.2f} (uniform {math.log(vocab):.2f})")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
