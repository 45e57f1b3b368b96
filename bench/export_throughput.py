"""Export throughput (tokenize + plan + shard write + lineage) against raw ``tokenizers.encode_batch``
on the same text, in one run; scaling with Ray workers; the export's peak memory at two corpus sizes.

The corpus is the flagship manifest's output on the bundled samples (``curate run manifests/roots.yaml``,
local executor), its documents repeated under new ids up to ``--mb`` MB of text in ~1 MB chunk files.
Repeated text favours the tokenizer's word cache equally for the raw baseline and the export.

    python bench/export_throughput.py [--mb 16] [--memory-mb 16 64] [--workers 1 2]
        [--tokenizer ../shared/data/tokenizers/gpt-neox-20b-olmo-pii/tokenizer.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_common import cpu_model, package_versions, print_table  # noqa: E402

from pipeline.export import ExportOptions, run_export  # noqa: E402
from pipeline.manifest import parse_manifest  # noqa: E402
from pipeline.runner import RunOptions, execute_run  # noqa: E402
from stages.export.config import ExportSection  # noqa: E402

DEFAULT_TOKENIZER = REPO.parent / "shared" / "data" / "tokenizers" / "gpt-neox-20b-olmo-pii" / "tokenizer.json"
MIXTURE = {"cc": {"weight": 0.82}, "github": {"weight": 0.045}, "wikipedia": {"epochs": 2.45}}
MIXTURE |= {"books": {"epochs": 2.23}, "arxiv": {"epochs": 1.06}}


class _Quiet:
    def chunk_written(self, source: str, stages: list[dict[str, Any]]) -> None:
        pass


def sample_documents(workdir: Path) -> pa.Table:
    raw = yaml.safe_load((REPO / "manifests" / "roots.yaml").read_text())
    raw.pop("export", None)
    raw["run"]["output"] = str(workdir / "sample-run")
    os.chdir(REPO)
    execute_run(parse_manifest(raw), RunOptions(executor="local", overwrite=True), _Quiet())
    tables = [pq.read_table(p) for p in sorted((workdir / "sample-run" / "parts").glob("*/*/*.parquet"))]
    return pa.concat_tables(tables, promote_options="default").select(["id", "source", "text", "url", "lang", "meta"])


def build_corpus(docs: pa.Table, root: Path, megabytes: float) -> int:
    """A run directory whose parts repeat ``docs`` under new ids up to ``megabytes`` of text."""
    shutil.rmtree(root, ignore_errors=True)
    rows = [r for r in docs.to_pylist() if r["text"]]
    target, written, copy = megabytes * 1e6, 0, 0
    chunks: dict[str, list[dict[str, Any]]] = {}
    chunk_bytes: dict[str, int] = {}
    serial: dict[str, int] = {}
    while written < target:
        for row in rows:
            source = row["source"]
            size = len(row["text"].encode())
            if chunk_bytes.get(source, 0) > 1e6:
                flush(root, source, serial.get(source, 0), chunks.pop(source))
                serial[source] = serial.get(source, 0) + 1
                chunk_bytes[source] = 0
            chunks.setdefault(source, []).append(row | {"id": f"{row['id']}#{copy}"})
            chunk_bytes[source] = chunk_bytes.get(source, 0) + size
            written += size
        copy += 1
    for source, pending in chunks.items():
        flush(root, source, serial.get(source, 0), pending)
    (root / "run.json").write_text(json.dumps({"name": "bench-corpus", "content_digest": f"bench-{megabytes}"}))
    return written


def flush(root: Path, source: str, serial: int, rows: list[dict[str, Any]]) -> None:
    folder = root / "parts" / source / f"part-{serial:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), folder / "chunk.parquet")


def corpus_texts(root: Path) -> list[list[str]]:
    return [
        [t for t in pq.read_table(p, columns=["text"]).column("text").to_pylist() if t]
        for p in sorted((root / "parts").glob("*/*/*.parquet"))
    ]


def raw_encode(tokenizer_path: Path, chunks: list[list[str]], batch: int, one_thread: bool) -> tuple[float, float, int]:
    """Wall and CPU seconds of plain ``encode_batch`` over the texts (already in memory), and the tokens."""
    from tokenizers import Tokenizer

    if one_thread:
        os.environ["TOKENIZERS_PARALLELISM"] = "false"
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    started, cpu_started, tokens = time.perf_counter(), time.process_time(), 0
    for texts in chunks:
        for start in range(0, len(texts), batch):
            tokens += sum(len(e.ids) for e in tokenizer.encode_batch(texts[start : start + batch]))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    os.environ.pop("TOKENIZERS_PARALLELISM", None)
    return wall, cpu, tokens


def export_section(tokenizer: Path) -> ExportSection:
    return ExportSection.model_validate(
        {"tokenizer": {"path": str(tokenizer)}, "mixture": MIXTURE, "shard_size": "4MB", "seq_len": 2048}
    )


def timed_export(root: Path, tokenizer: Path, options: ExportOptions) -> tuple[float, float, dict[str, Any]]:
    """Wall and CPU seconds of a whole export (tokenize, plan, write, lineage, fertility); CPU includes
    the Ray workers' tasks."""
    shutil.rmtree(root / "export", ignore_errors=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    record = run_export(root, export_section(tokenizer), 1234, "bench", options)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if options.executor == "ray":
        cpu += record["tokenize_tasks"]["task_cpu_seconds"]
    return wall, cpu, record


def child_memory(root: Path, tokenizer: Path) -> None:
    """Run in a fresh process: export (local executor) and print the peak RSS."""
    seconds, _, record = timed_export(root, tokenizer, ExportOptions())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak, "tokens_written": record["tokens_written"]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=16, help="MB of text for the throughput runs")
    parser.add_argument("--memory-mb", type=float, nargs="*", default=[16, 64])
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--tokenizer", type=Path, default=DEFAULT_TOKENIZER)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3, help="(raw, export) pairs per configuration")
    parser.add_argument("--child-memory", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "export_throughput.json")
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory, args.tokenizer)
        return
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    work = Path(tempfile.mkdtemp(prefix="export-bench-"))
    try:
        docs = sample_documents(work)
        root = work / "corpus"
        text_bytes = build_corpus(docs, root, args.mb)
        chunks = corpus_texts(root)
        results: dict[str, Any] = {"text_bytes": text_bytes, "chunks": len(chunks), "documents": sum(map(len, chunks))}

        # The machine is shared and its load drifts over minutes, so every export run is paired with a raw
        # run just before it, and the table reports the median of the per-pair ratios. CPU seconds (all
        # threads, Ray workers included) measure the work done, whatever the load.
        import ray

        from pipeline.executors.ray_data import connect

        rows, results["runs"], reference = [], {}, None
        for executor, workers in [("local", None)] + [("ray", w) for w in args.workers]:
            if executor == "ray":
                if ray.is_initialized():
                    ray.shutdown()
                connect(None, workers)  # Ray start-up is not part of the export's time
            pairs = []
            for _ in range(args.repeats):
                raw_wall, raw_cpu, raw_tokens = raw_encode(args.tokenizer, chunks, args.batch, False)
                wall, cpu, record = timed_export(root, args.tokenizer, ExportOptions(executor, None, workers))
                pair = {"raw_wall": raw_wall, "raw_cpu": raw_cpu, "export_wall": wall, "export_cpu": cpu}
                if workers == 1:  # what one worker can reach: the tokenizer on one thread
                    pair["raw_one_thread_wall"] = raw_encode(args.tokenizer, chunks, args.batch, True)[0]
                pairs.append(pair)
            if reference is None:
                reference = record
            assert [s["sha256_bin"] for s in record["shards"]] == [s["sha256_bin"] for s in reference["shards"]]
            name = "export, local executor" if executor == "local" else f"export, Ray, {workers} worker(s)"
            raw_name = "raw encode_batch"
            summary = {
                "pairs": pairs,
                "raw_baseline": raw_name,
                "wall_ratio_median": statistics.median(p["raw_wall"] / p["export_wall"] for p in pairs),
                "cpu_ratio_median": statistics.median(p["raw_cpu"] / p["export_cpu"] for p in pairs),
                "export_wall_best": min(p["export_wall"] for p in pairs),
                "raw_wall_best": min(p["raw_wall"] for p in pairs),
                "timings_last": record["timings"],
            }
            results["runs"][name] = summary
            rows.append(
                [
                    name,
                    raw_name,
                    f"{text_bytes / summary['raw_wall_best'] / 1e6:.2f}",
                    f"{text_bytes / summary['export_wall_best'] / 1e6:.2f}",
                    f"{summary['wall_ratio_median']:.2f}",
                    f"{summary['cpu_ratio_median']:.2f}",
                ]
            )
        if ray.is_initialized():
            ray.shutdown()
        results["raw_tokens"] = raw_tokens
        results["tokens_written"] = reference["tokens_written"]
        results["tokens_available"] = sum(r["tokens_available"] for r in reference["mixture"])
        ray_runs = [results["runs"].get(f"export, Ray, {w} worker(s)") for w in (1, 2)]
        if all(ray_runs):
            # throughput 2 vs 1 worker, each normalised by the raw run measured beside it
            results["ray_scaling_1_to_2_workers"] = ray_runs[1]["wall_ratio_median"] / ray_runs[0]["wall_ratio_median"]
            results["ray_1_worker_vs_raw_one_thread"] = statistics.median(
                p["raw_one_thread_wall"] / p["export_wall"] for p in ray_runs[0]["pairs"]
            )
        if all(ray_runs):
            print(
                f"Ray scaling 1 -> 2 workers (normalised by the paired raw runs): "
                f"{results['ray_scaling_1_to_2_workers']:.2f}x; 1 worker vs raw on one thread: "
                f"{results['ray_1_worker_vs_raw_one_thread']:.2f}"
            )
        print_table(
            f"export vs raw encode_batch, {text_bytes / 1e6:.1f} MB, {args.tokenizer.parent.name}, "
            f"median of {args.repeats} pairs",
            ["run", "paired with", "raw MB/s (best)", "export MB/s (best)", "wall ratio", "CPU ratio"],
            rows,
        )

        memory = []
        for megabytes in args.memory_mb:
            size = build_corpus(docs, root, megabytes)
            output = subprocess.run(
                [sys.executable, __file__, "--child-memory", str(root), "--tokenizer", str(args.tokenizer)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            measured = json.loads(output.strip().splitlines()[-1])
            memory.append({"text_bytes": size, **measured})
        results["memory"] = memory
        print_table(
            "export peak memory (fresh process, local executor)",
            ["text MB", "peak RSS MB", "seconds"],
            [
                [f"{m['text_bytes'] / 1e6:.0f}", f"{m['peak_rss_bytes'] / 1e6:.0f}", f"{m['seconds']:.1f}"]
                for m in memory
            ],
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results |= {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "tokenizer": str(args.tokenizer),
        "versions": package_versions(("tokenizers", "ray", "numpy", "pyarrow")),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
