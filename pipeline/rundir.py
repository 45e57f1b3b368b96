"""The run directory: atomic chunk outputs, per-chunk stats, part completion and resume.

Layout::

    run.json                                   manifest, hash, versions, timings, status
    parts/<source>/<part>/<chunk>.parquet      kept documents
    rejects/<stage>/<source>/<part>/<chunk>.parquet   dropped and errored rows with reasons
    stats/<source>/<part>/<chunk>.json         accounting of the chunk, written last
    stats.json                                 merged from the chunk files

A chunk is whatever batch reached the writer; its name is a hash of its row ids, so
a retried write lands on the same files. A part is complete when the rows of its
chunk stats add up to the row count its reader declared: resume skips those parts
and redoes the rest from scratch.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from pipeline.chain import FATE, FATE_STAGE, PART, PART_ROWS, REASON, internal_columns, seconds_column


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def atomic_write_json(path: Path, payload: Any) -> None:
    atomic_write_bytes(path, (json.dumps(payload, indent=1, sort_keys=True, default=str) + "\n").encode())


def atomic_write_parquet(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


@dataclass
class StageCounts:
    name: str
    docs_in: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    errored: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, other: StageCounts) -> None:
        self.docs_in += other.docs_in
        self.kept += other.kept
        self.dropped.update(other.dropped)
        self.errored.update(other.errored)
        self.seconds += other.seconds

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.name,
            "in": self.docs_in,
            "kept": self.kept,
            "dropped": dict(sorted(self.dropped.items())),
            "errored": dict(sorted(self.errored.items())),
            "seconds": round(self.seconds, 6),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StageCounts:
        return cls(
            data["stage"], data["in"], data["kept"], Counter(data["dropped"]), Counter(data["errored"]), data["seconds"]
        )

    def balanced(self) -> bool:
        return self.docs_in == self.kept + sum(self.dropped.values()) + sum(self.errored.values())


def chunk_key(ids: list[str]) -> str:
    digest = xxhash.xxh3_128()
    for doc_id in ids:
        digest.update(doc_id.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def chunk_counts(batch: pa.Table, stage_names: list[str]) -> list[StageCounts]:
    """Each stage's accounting for the rows of one batch, derived from the fate columns."""
    fate_stage = batch.column(FATE_STAGE).to_pylist()
    fates = batch.column(FATE).to_pylist()
    reasons = batch.column(REASON).to_pylist()
    counts = [StageCounts(name) for name in stage_names]
    for decided_at, fate, reason in zip(fate_stage, fates, reasons, strict=True):
        last = len(stage_names) - 1 if decided_at is None else decided_at
        for index in range(last + 1):
            counts[index].docs_in += 1
        if decided_at is not None:
            (counts[decided_at].dropped if fate == "dropped" else counts[decided_at].errored)[reason] += 1
    for index, count in enumerate(counts):
        count.kept = count.docs_in - sum(count.dropped.values()) - sum(count.errored.values())
        column = seconds_column(index)
        if column in batch.column_names:
            count.seconds = float(pc.sum(batch.column(column)).as_py() or 0.0)
    return counts


COUNTER_SUFFIX = "_count"


def column_counters(rows: pa.Table) -> dict[str, int]:
    """Sums of the integer ``*_count`` columns stages add (e.g. PII redactions per entity)."""
    counters = {}
    for column in rows.schema:
        if column.name.endswith(COUNTER_SUFFIX) and pa.types.is_integer(column.type):
            counters[column.name] = int(pc.sum(rows.column(column.name)).as_py() or 0)
    return counters


def part_state_of(chunks: list[dict[str, Any]]) -> str:
    """'complete', 'absent', or 'partial' (an interrupted or inconsistent part), from its chunk stats."""
    if not chunks:
        return "absent"
    declared = {c["part_rows"] for c in chunks if c["part_rows"] is not None}
    total = sum(c["rows"] for c in chunks)
    return "complete" if len(declared) == 1 and total == declared.pop() else "partial"


class RunDir:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @property
    def run_json(self) -> Path:
        return self.root / "run.json"

    @property
    def stats_json(self) -> Path:
        return self.root / "stats.json"

    def part_dirs(self, source: str, part_id: str, stage_names: list[str]) -> list[Path]:
        dirs = [self.root / "parts" / source / part_id, self.root / "stats" / source / part_id]
        dirs += [self.root / "rejects" / stage / source / part_id for stage in stage_names]
        return dirs

    def write_chunk(
        self, source: str, stage_names: list[str], batch: pa.Table, node: str | None = None
    ) -> list[dict[str, Any]]:
        """Write a batch's kept rows, rejects and stats, one chunk per part it holds.

        ``node`` names the machine that wrote it (the Ray node's address), for audits of cluster runs.
        """
        written = []
        for part_id in sorted(set(batch.column(PART).to_pylist())):
            rows = batch.filter(pc.equal(batch.column(PART), part_id))
            rows = rows.sort_by("id")
            written.append(self._write_part_chunk(source, stage_names, part_id, rows, node))
        return written

    def _write_part_chunk(
        self, source: str, stage_names: list[str], part_id: str, rows: pa.Table, node: str | None
    ) -> dict[str, Any]:
        key = chunk_key(rows.column("id").to_pylist())
        internal = internal_columns(rows)
        kept = rows.filter(pc.is_null(rows.column(FATE_STAGE)))
        if kept.num_rows:
            atomic_write_parquet(self.root / "parts" / source / part_id / f"{key}.parquet", kept.drop_columns(internal))
        decided = rows.filter(pc.is_valid(rows.column(FATE_STAGE)))
        for index in sorted(set(decided.column(FATE_STAGE).to_pylist())):
            rejects = decided.filter(pc.equal(decided.column(FATE_STAGE), index))
            doc_columns = [c for c in rejects.column_names if c not in internal and c != "html"]
            table = rejects.select(doc_columns).append_column("fate", rejects.column(FATE))
            table = table.append_column("reason", rejects.column(REASON))
            path = self.root / "rejects" / stage_names[index] / source / part_id / f"{key}.parquet"
            atomic_write_parquet(path, table)
        part_rows = [n for n in rows.column(PART_ROWS).to_pylist() if n is not None] if PART_ROWS in internal else []
        stats = {
            "source": source,
            "part": part_id,
            "chunk": key,
            "rows": rows.num_rows,
            "part_rows": part_rows[0] if part_rows else None,
            "kept_chars": int(pc.sum(pc.utf8_length(kept.column("text"))).as_py() or 0) if kept.num_rows else 0,
            "counters": column_counters(rows),
            "stages": [c.to_json() for c in chunk_counts(rows, stage_names)],
            "node": node,
        }
        atomic_write_json(self.root / "stats" / source / part_id / f"{key}.json", stats)
        return {"source": source, "part": part_id, "chunk": key, "rows": rows.num_rows, "stages": stats["stages"]}

    def chunk_stats(self, source: str, part_id: str) -> list[dict[str, Any]]:
        folder = self.root / "stats" / source / part_id
        if not folder.is_dir():
            return []
        return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]

    def part_state(self, source: str, part_id: str) -> str:
        return part_state_of(self.chunk_stats(source, part_id))

    def clear_part(self, source: str, part_id: str, stage_names: list[str]) -> None:
        for folder in self.part_dirs(source, part_id, stage_names):
            shutil.rmtree(folder, ignore_errors=True)
