"""What carries from one nightly batch to the next: the dedup state and the export.

Each batch is an ordinary run directory (``OUTPUT/runs/<run_id>/``). Three things tie the nights together:

* **Dedup state.** The manifest's top-level ``dedup`` section reads the state segments of every completed batch
  (``runs/<each>/dedup/state.parquet``: the keys of the documents that batch accepted) and writes its own
  segment, this batch's accepted documents only, so no batch copies the whole state. A batch never writes what
  it reads, so a batch resumed after a crash decides against exactly the same state; nothing is promoted.
* **Tokenizer.** Shards of different nights must share token ids: once a batch has exported, later batches
  load its tokenizer instead of training one.
* **Export.** A batch exports only its own documents into its own ``export/`` (the mixture's weights and
  epochs apply within the batch). ``OUTPUT/export/`` then lists every batch's shards, old shards untouched:
  ``blend.txt`` / ``blend.json`` weight each shard by its tokens, and ``export.json`` names them per batch.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from pipeline.export import ExportError, ExportOptions, export_manifest, write_blend
from pipeline.manifest import Manifest
from pipeline.rundir import atomic_write_json
from pipeline.state import StateStore
from stages.dedup.state import run_state_path
from stages.export.config import TokenizerSection

COMPLETE = ("complete", "complete_with_alarms")


@dataclasses.dataclass(frozen=True)
class BatchInheritance:
    """What a batch takes from earlier ones (all None on the first night)."""

    dedup_state: list[str] | None  # state segments, oldest first
    tokenizer: str | None

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def completed_batches(store: StateStore, excluding: str) -> list[dict[str, Any]]:
    return [run for run in store.runs() if run["run_id"] != excluding and run["status"] in COMPLETE and run["run_dir"]]


def inheritance(manifest: Manifest, store: StateStore, run_id: str) -> BatchInheritance:
    earlier = completed_batches(store, run_id)
    dedup_state = None
    dedup = manifest.raw.get("dedup")
    if isinstance(dedup, dict):
        seed = dedup.get("state")  # the user's own earlier state, if any, comes first
        dedup_state = [seed] if isinstance(seed, str) else list(seed or [])
        for run in earlier:
            segment = run_state_path(run["run_dir"])
            if segment.exists():
                dedup_state.append(str(segment))
            elif run["documents_kept"]:
                # A night that kept documents but left no state: deduplicating against nothing would let their
                # duplicates in silently.
                raise FileNotFoundError(f"{segment}: missing, but batch {run['run_id']} kept documents")
    tokenizer = None
    if manifest.export is not None and manifest.export.tokenizer.train is not None:
        exported = [run for run in earlier if _exported(run)]
        if exported:
            tokenizer = json.loads(_export_json(exported[0]["run_dir"]).read_text())["tokenizer"]["path"]
    return BatchInheritance(dedup_state, tokenizer)


def batch_manifest(manifest: Manifest, inherited: BatchInheritance) -> Manifest:
    """The manifest a batch runs: the inherited dedup state, and no export (the batch exports afterwards)."""
    from pipeline.manifest import parse_manifest

    raw = dict(manifest.raw)
    if inherited.dedup_state is not None:
        raw["dedup"] = {**raw["dedup"], "state": inherited.dedup_state, "save_state": "new"}
    return dataclasses.replace(parse_manifest(raw, "manifest (nightly batch)"), export=None)


def export_batch(
    manifest: Manifest, inherited: BatchInheritance, run_dir: Path, kept: int, options: ExportOptions
) -> dict[str, Any] | None:
    """Export the batch's documents with the inherited tokenizer; None when there is no export or nothing kept."""
    if manifest.export is None or kept == 0:
        return None
    section = manifest.export
    if inherited.tokenizer is not None:
        tokenizer = TokenizerSection(path=inherited.tokenizer, eod_token=section.tokenizer.eod_token)
        section = section.model_copy(update={"tokenizer": tokenizer})
    return export_manifest(dataclasses.replace(manifest, export=section), run_dir, options)


def write_combined_export(root: Path, store: StateStore, current: str, current_dir: Path) -> dict[str, Any] | None:
    """``OUTPUT/export/``: every completed batch's shards (and this one's), in batch order."""
    batches = [(run["run_id"], Path(run["run_dir"])) for run in completed_batches(store, current)]
    batches.append((current, current_dir))
    records = [(run_id, run_dir, _export_json(run_dir)) for run_id, run_dir in batches]
    records = [(run_id, run_dir, json.loads(path.read_text())) for run_id, run_dir, path in records if path.exists()]
    if not records:
        return None
    tokenizers = {record["tokenizer"]["sha256"] for _, _, record in records}
    if len(tokenizers) > 1:
        raise ExportError(
            f"batches in {root} were exported with {len(tokenizers)} different tokenizers; their shards cannot be mixed"
        )
    shards = []
    for run_id, run_dir, record in records:
        for shard in record["shards"]:
            prefix = (run_dir / "export" / shard["prefix"]).resolve()
            shards.append({**shard, "run_id": run_id, "prefix": str(prefix)})
    total = sum(shard["tokens"] for shard in shards)
    export_dir = root / "export"
    export_dir.mkdir(parents=True, exist_ok=True)
    write_blend(export_dir, shards, total)  # the prefixes are absolute: every batch's shards stay where they are
    combined = {
        "format": "megatron-indexed-dataset",
        "tokenizer": records[0][2]["tokenizer"],
        "dtype": records[0][2]["dtype"],
        "batches": [
            {
                "run_id": run_id,
                "export": str(_export_json(run_dir)),
                "tokens_written": record["tokens_written"],
                "documents": record["documents"],
                "shards": len(record["shards"]),
            }
            for run_id, run_dir, record in records
        ],
        "shards": shards,
        "tokens_written": total,
        "blend": "blend.txt",
    }
    atomic_write_json(export_dir / "export.json", combined)
    return combined


def _export_json(run_dir: str | Path) -> Path:
    return Path(run_dir) / "export" / "export.json"


def _exported(run: dict[str, Any]) -> bool:
    return _export_json(run["run_dir"]).exists()
