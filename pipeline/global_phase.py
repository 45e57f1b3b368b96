"""Whole-source and whole-run stages: run after every part has been through its map stages.

Phase 1 (the executors) leaves each part's kept documents in ``parts/``. Here each global
stage reads those documents, decides which to remove (or, for line-level dedup, which
texts to rewrite), persists the decisions, and then applies them chunk by chunk: removed
rows move to ``rejects/<stage>/``, the chunk's parts file is rewritten, and the stage's
counts are appended to the chunk's stats. Every step is idempotent, so a run killed
half-way resumes with the same decisions and counts nothing twice.

Two scopes:

* a **source** stage (``exact_dedup``, ``minhash_dedup``, ``lines_dedup``, ``book_dedup`` in a
  source's list) decides over one source: ``global/<source>/<stage>.parquet``;
* a **run** stage (the manifest's top-level ``dedup`` section, appended last to every
  participating source) decides once over all of them, after their source stages:
  ``global/_run/<stage>.parquet``, and is applied to each source.

Dedup stages also leave an audit (cluster sizes, largest clusters, removal per source,
alarms) in ``dedup/audit.json``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.plan import Plan, SourcePlan, make_global_stage
from pipeline.rundir import RunDir, StageCounts, atomic_write_json, atomic_write_parquet
from stages.base import GlobalStage, Verdict
from stages.dedup.audit import DedupAlarm, build_audit
from stages.dedup.decision import DedupDecision
from stages.dedup.tasks import TaskMap, default_tasks

RUN_SCOPE = "_run"
DECISION_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("fate", pa.string()),  # dropped | errored | rewritten
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("cluster", pa.string()),
        ("survivor", pa.string()),
        ("survivor_source", pa.string()),
        ("source", pa.string()),
        ("preview", pa.string()),
        ("survivor_preview", pa.string()),
        ("text", pa.string()),
        ("counts", pa.string()),  # JSON object of *_count values of a rewrite
    ]
)
REJECT_EXTRA = ("fate", "reason", "detail", "dedup_cluster", "dedup_survivor")
Member = tuple[SourcePlan, int]  # a source taking part in a stage, and the stage's index in its list


def run_global_stages(plan: Plan, rundir: RunDir) -> None:
    tasks = default_tasks()
    run_stages: dict[str, tuple[GlobalStage, list[Member]]] = {}
    for source_plan in plan.sources:
        first = len(source_plan.map_stage_names)
        for offset, spec in enumerate(source_plan.global_specs):
            index = first + offset
            name = source_plan.stage_names[index]
            stage = make_global_stage(spec)
            if getattr(stage, "scope", "source") == "run":
                run_stages.setdefault(name, (stage, []))[1].append((source_plan, index))
            else:
                _run_one(rundir, source_plan.name, [(source_plan, index)], stage, name, tasks)
    for name, (stage, members) in run_stages.items():
        _run_one(rundir, RUN_SCOPE, members, stage, name, tasks)
    _write_audit(rundir)


class KeptBatches:
    """The kept documents of some sources (only ``columns`` that exist), re-iterable for two-pass stages."""

    def __init__(self, rundir: RunDir, members: list[Member], columns: tuple[str, ...]) -> None:
        self.rundir, self.members, self.columns = rundir, members, columns

    def __iter__(self) -> Iterator[pa.Table]:
        for source_plan, _ in self.members:
            for part in source_plan.parts:
                for path in sorted((self.rundir.root / "parts" / source_plan.name / part.part_id).glob("*.parquet")):
                    present = pq.ParquetFile(path).schema_arrow.names
                    table = pq.read_table(path, columns=[c for c in self.columns if c in present])
                    yield table.sort_by("id")


def global_stage_seconds(rundir: RunDir, source: str, stage: str) -> float:
    """Time the last attempt spent deciding and applying a global stage (0 if it has not finished)."""
    done = rundir.root / "global" / source / f"{stage}._SUCCESS"
    return float(json.loads(done.read_text()).get("seconds", 0.0)) if done.exists() else 0.0


def _run_one(rundir: RunDir, scope: str, members: list[Member], stage: GlobalStage, name: str, tasks: TaskMap) -> None:
    folder = rundir.root / "global" / scope
    done = folder / f"{name}._SUCCESS"
    if done.exists():
        return
    decisions_path = folder / f"{name}.parquet"
    audit_path = folder / f"{name}.audit.json"
    started = time.perf_counter()
    if not decisions_path.exists():  # decided once: a resumed run applies the same decisions
        if hasattr(stage, "prepare"):
            stage.prepare(workdir=folder / f"{name}.work", tasks=tasks, outputs=rundir.root / "dedup")
        batches = KeptBatches(rundir, members, tuple(getattr(stage, "columns", ("id",))))
        decisions = stage.decide(batches)
        table = _decision_table(decisions)
        if hasattr(stage, "audit"):
            audit = stage.audit()
            atomic_write_json(audit_path, {"stage": name, "scope": scope, **audit})
            _raise_on_alarms(audit, table, name)
        atomic_write_parquet(decisions_path, table)
    decided = pq.read_table(decisions_path)
    by_id = {row["id"]: row for row in decided.to_pylist()}
    for source_plan, index in members:
        source_done = rundir.root / "global" / source_plan.name / f"{name}._SUCCESS"
        if source_done.exists():
            continue
        for part in source_plan.parts:
            for stats_path in sorted((rundir.root / "stats" / source_plan.name / part.part_id).glob("*.json")):
                _apply(rundir, source_plan.name, part.part_id, stats_path, name, index, by_id)
        if scope != source_plan.name:  # a run-wide stage: mark each source done, for resume and timings
            seconds = time.perf_counter() - started
            atomic_write_json(source_done, {"stage": name, "scope": scope, "seconds": round(seconds, 6)})
    seconds = time.perf_counter() - started
    atomic_write_json(done, {"stage": name, "removed": decided.num_rows, "seconds": round(seconds, 6)})


def _raise_on_alarms(audit: dict[str, Any], decisions: pa.Table, name: str) -> None:
    alarms = audit.get("alarms", [])
    for alarm in alarms:
        print(f"dedup alarm ({name}): {alarm['message']}", file=sys.stderr)
    if alarms and audit.get("fail_on_alarm"):
        raise DedupAlarm(f"{name}: " + "; ".join(a["message"] for a in alarms) + " (fail_on_alarm is set)")


def _decision_table(decisions: dict[str, Any]) -> pa.Table:
    rows = []
    for doc_id, decision in sorted(decisions.items()):
        if isinstance(decision, DedupDecision):
            verdict = decision.verdict
            rows.append(
                {
                    "id": doc_id,
                    "fate": "rewritten" if verdict is None else verdict.fate,
                    "reason": None if verdict is None else verdict.reason,
                    "detail": decision.detail,
                    "cluster": decision.cluster,
                    "survivor": decision.survivor,
                    "survivor_source": decision.survivor_source,
                    "source": decision.source,
                    "preview": decision.preview,
                    "survivor_preview": decision.survivor_preview,
                    "text": decision.text,
                    "counts": json.dumps(decision.counts, sort_keys=True) if decision.counts else None,
                }
            )
        else:
            verdict, detail = decision
            assert isinstance(verdict, Verdict)
            rows.append({"id": doc_id, "fate": verdict.fate, "reason": verdict.reason, "detail": detail})
    return pa.Table.from_pylist(rows, schema=DECISION_SCHEMA)


def _apply(
    rundir: RunDir,
    source: str,
    part_id: str,
    stats_path: Path,
    name: str,
    index: int,
    decisions: dict[str, dict[str, Any]],
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
        pieces.append(earlier.drop_columns([c for c in REJECT_EXTRA if c in earlier.column_names]))
    rows = pa.concat_tables(pieces, promote_options="default") if pieces else None
    counts = StageCounts(name)
    if rows is not None and rows.num_rows:
        ids = rows.column("id").to_pylist()
        removed_mask = pa.array([doc_id in decisions and decisions[doc_id]["fate"] != "rewritten" for doc_id in ids])
        removed = rows.filter(removed_mask)
        remaining = _rewritten(rows.filter(pc.invert(removed_mask)), decisions, chunk)
        if removed.num_rows:
            fates = [decisions[doc_id] for doc_id in removed.column("id").to_pylist()]
            for column, field in (("fate", "fate"), ("reason", "reason"), ("detail", "detail"),
                                  ("dedup_cluster", "cluster"), ("dedup_survivor", "survivor")):  # fmt: skip
                removed = removed.append_column(column, pa.array([f[field] for f in fates], pa.string()))
            atomic_write_parquet(rejects_path, removed)
            for fate in fates:
                (counts.dropped if fate["fate"] == "dropped" else counts.errored)[fate["reason"]] += 1
            _add_counts(chunk, fates)
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


def _rewritten(rows: pa.Table, decisions: dict[str, dict[str, Any]], chunk: dict[str, Any]) -> pa.Table:
    """Rows with the texts a rewriting stage decided, its counts added to the chunk's counters."""
    ids = rows.column("id").to_pylist()
    changes = [decisions.get(doc_id) for doc_id in ids]
    changes = [c if c is not None and c["fate"] == "rewritten" else None for c in changes]
    if not any(changes):
        return rows
    texts = rows.column("text").to_pylist()
    new_texts = [text if change is None else change["text"] for text, change in zip(texts, changes, strict=True)]
    rows = rows.set_column(rows.column_names.index("text"), "text", pa.array(new_texts, pa.string()))
    _add_counts(chunk, [c for c in changes if c is not None])
    return rows


def _add_counts(chunk: dict[str, Any], decisions: list[dict[str, Any]]) -> None:
    totals: Counter[str] = Counter(chunk.get("counters", {}))
    for decision in decisions:
        if decision["counts"]:
            totals.update(json.loads(decision["counts"]))
    chunk["counters"] = dict(sorted(totals.items()))


def _write_audit(rundir: RunDir) -> None:
    """``dedup/audit.json`` from every dedup stage's audit and decisions (rewritten each run; cheap)."""
    stages = []
    for audit_path in sorted((rundir.root / "global").glob("*/*.audit.json")):
        audit = json.loads(audit_path.read_text())
        decisions_path = audit_path.with_name(audit_path.name.replace(".audit.json", ".parquet"))
        decisions = pq.read_table(decisions_path) if decisions_path.exists() else None
        stages.append((audit, decisions))
    if stages:
        atomic_write_json(rundir.root / "dedup" / "audit.json", build_audit(stages))
