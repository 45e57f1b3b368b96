"""Whole-source stages: run after every part of a source has been through its map stages.

Phase 1 (the executors) leaves each part's kept documents in ``parts/``. Here each
global stage of a source reads those documents, decides which to remove, persists the
decisions (``global/<source>/<stage>.parquet``), and then applies them chunk by chunk:
removed rows move to ``rejects/<stage>/``, the chunk's parts file is rewritten, and the
stage's counts are appended to the chunk's stats. Every step is idempotent, so a run
killed half-way resumes with the same decisions and counts nothing twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.plan import Plan, SourcePlan, make_global_stage
from pipeline.rundir import RunDir, StageCounts, atomic_write_json, atomic_write_parquet
from stages.base import GlobalStage, Verdict

DECISION_SCHEMA = pa.schema(
    [("id", pa.string()), ("fate", pa.string()), ("reason", pa.string()), ("detail", pa.string())]
)


def run_global_stages(plan: Plan, rundir: RunDir) -> None:
    for source_plan in plan.sources:
        first = len(source_plan.map_stage_names)
        for offset, spec in enumerate(source_plan.global_specs):
            index = first + offset
            _run_one(rundir, source_plan, make_global_stage(spec), source_plan.stage_names[index], index)


def _run_one(rundir: RunDir, source_plan: SourcePlan, stage: GlobalStage, name: str, index: int) -> None:
    folder = rundir.root / "global" / source_plan.name
    done = folder / f"{name}._SUCCESS"
    if done.exists():
        return
    decisions_path = folder / f"{name}.parquet"
    started = time.perf_counter()
    if not decisions_path.exists():  # decided once: a resumed run applies the same decisions
        decisions = stage.decide(_kept_batches(rundir, source_plan, stage.columns))
        atomic_write_parquet(decisions_path, _decision_table(decisions))
    decided = pq.read_table(decisions_path)
    by_id = {row["id"]: (row["fate"], row["reason"], row["detail"]) for row in decided.to_pylist()}
    for part in source_plan.parts:
        for stats_path in sorted((rundir.root / "stats" / source_plan.name / part.part_id).glob("*.json")):
            _apply(rundir, source_plan.name, part.part_id, stats_path, name, index, by_id)
    seconds = time.perf_counter() - started
    atomic_write_json(done, {"stage": name, "removed": decided.num_rows, "seconds": round(seconds, 6)})


def global_stage_seconds(rundir: RunDir, source: str, stage: str) -> float:
    """Time the last attempt spent deciding and applying a whole-source stage (0 if it has not finished)."""
    done = rundir.root / "global" / source / f"{stage}._SUCCESS"
    return float(json.loads(done.read_text()).get("seconds", 0.0)) if done.exists() else 0.0


def _kept_batches(rundir: RunDir, source_plan: SourcePlan, columns: tuple[str, ...]) -> Iterator[pa.Table]:
    for part in source_plan.parts:
        for path in sorted((rundir.root / "parts" / source_plan.name / part.part_id).glob("*.parquet")):
            table = pq.read_table(path, columns=list(columns))
            yield table.sort_by("id")


def _decision_table(decisions: dict[str, tuple[Verdict, str | None]]) -> pa.Table:
    rows = [
        {"id": doc_id, "fate": verdict.fate, "reason": verdict.reason, "detail": detail}
        for doc_id, (verdict, detail) in sorted(decisions.items())
    ]
    return pa.Table.from_pylist(rows, schema=DECISION_SCHEMA)


def _apply(
    rundir: RunDir,
    source: str,
    part_id: str,
    stats_path: Path,
    name: str,
    index: int,
    decisions: dict[str, tuple[str, str, str | None]],
) -> None:
    chunk = json.loads(stats_path.read_text())
    if len(chunk["stages"]) > index:
        return  # applied before an interruption
    key = chunk["chunk"]
    parts_path = rundir.root / "parts" / source / part_id / f"{key}.parquet"
    rejects_path = rundir.root / "rejects" / name / source / part_id / f"{key}.parquet"
    pieces = [pq.read_table(parts_path)] if parts_path.exists() else []
    if rejects_path.exists():  # an interrupted apply already moved these rows: take them back in
        earlier = pq.read_table(rejects_path)
        pieces.append(earlier.drop_columns(["fate", "reason", "detail"]))
    rows = pa.concat_tables(pieces, promote_options="default") if pieces else None
    counts = StageCounts(name)
    if rows is not None and rows.num_rows:
        ids = rows.column("id").to_pylist()
        removed_mask = pa.array([doc_id in decisions for doc_id in ids])
        removed = rows.filter(removed_mask)
        remaining = rows.filter(pc.invert(removed_mask))
        if removed.num_rows:
            fates = [decisions[doc_id] for doc_id in removed.column("id").to_pylist()]
            removed = removed.append_column("fate", pa.array([f[0] for f in fates], pa.string()))
            removed = removed.append_column("reason", pa.array([f[1] for f in fates], pa.string()))
            removed = removed.append_column("detail", pa.array([f[2] for f in fates], pa.string()))
            atomic_write_parquet(rejects_path, removed)
            for fate, reason, _ in fates:
                (counts.dropped if fate == "dropped" else counts.errored)[reason] += 1
        if remaining.num_rows:
            atomic_write_parquet(parts_path, remaining.sort_by("id"))
        elif parts_path.exists():
            parts_path.unlink()
        counts.docs_in = rows.num_rows
        counts.kept = remaining.num_rows
        chunk["kept_chars"] = (
            int(pc.sum(pc.utf8_length(remaining.column("text"))).as_py() or 0) if remaining.num_rows else 0
        )
    chunk["stages"].append(counts.to_json())
    atomic_write_json(stats_path, chunk)
