"""Incremental (nightly) runs: only new inputs, each batch in its own run directory, history in SQLite.

Layout of the output directory::

    OUTPUT/state.sqlite          inputs processed (fingerprints, run, status) and the run history
    OUTPUT/.curate.lock          held while a run works on this state
    OUTPUT/runs/<run_id>/        an ordinary run directory holding this batch's new inputs only
    OUTPUT/nightly/<run_id>.json the run's summary (also printed), for alerting
    OUTPUT/export/               every batch's shards in one blend (pipeline/nightly_batch.py)

Each batch deduplicates against the documents of all earlier batches and exports only its own documents,
with the tokenizer of the first export (pipeline/nightly_batch.py).

A run that dies (driver killed, machine lost) stays ``running`` in the history; the next invocation finishes
that same batch (the same inputs, the same run directory, resumed part by part) before it looks for new inputs.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.executors import ProgressSink
from pipeline.export import ExportOptions
from pipeline.inputs import fingerprint
from pipeline.manifest import Manifest
from pipeline.nightly_batch import batch_manifest, export_batch, inheritance, write_combined_export
from pipeline.nightly_config import NightlyAlarms
from pipeline.plan import Plan, SourcePlan, build_plan
from pipeline.report import build_compare, build_report
from pipeline.rundir import RunDir, StageCounts, atomic_write_json
from pipeline.runner import RunOptions, RunOutcome, content_digest, execute_run
from pipeline.state import Fingerprint, InputRecord, StateStore, state_lock

QUARANTINED = "quarantined"


@dataclass
class IncrementalOutcome:
    run_id: str
    summary: dict[str, Any]
    summary_path: Path
    outcome: RunOutcome | None  # None when there was nothing new to do

    @property
    def alarms(self) -> list[dict[str, Any]]:
        return self.summary["alarms"]


def run_incremental(manifest: Manifest, options: RunOptions, progress: ProgressSink) -> IncrementalOutcome:
    root = Path(options.output or manifest.run.output)
    with state_lock(root):
        store = StateStore(root / "state.sqlite")
        try:
            return _run_locked(manifest, options, progress, root, store)
        finally:
            store.close()


def _run_locked(
    manifest: Manifest, options: RunOptions, progress: ProgressSink, root: Path, store: StateStore
) -> IncrementalOutcome:
    full_plan = build_plan(manifest, options.limit)
    unfinished = store.unfinished_run()
    if unfinished is not None:
        run_id = unfinished["run_id"]
        selected = store.selected_inputs(run_id)
        skipped_known = 0
    else:
        selected, skipped_known = new_inputs(full_plan, store)
        run_id = store.new_run_id()
        if not selected:
            store.start_run(run_id, manifest.digest, None, status="nothing_new")
            summary = _nothing_new_summary(run_id, root, skipped_known, store)
            return _finish(store, root, run_id, "nothing_new", summary, None)
        store.start_run(run_id, manifest.digest, str(root / "runs" / run_id))
        store.select_inputs(run_id, selected)
    run_dir = root / "runs" / run_id
    resuming = (run_dir / "run.json").exists()
    batch_options = dataclasses.replace(options, output=str(run_dir), resume=resuming, overwrite=not resuming)
    try:
        inherited = inheritance(manifest, store, run_id)
        batch = batch_manifest(manifest, inherited)
        plan = restrict_plan(build_plan(batch, options.limit), selected)
        outcome = execute_run(batch, batch_options, progress, plan=plan)
        kept = sum(data["stages"][-1]["kept"] for data in outcome.stats["sources"].values() if data["stages"])
        export_options = ExportOptions(
            options.executor or manifest.executor.kind,
            options.address or manifest.executor.address,
            manifest.executor.num_cpus,
        )
        exported = export_batch(manifest, inherited, run_dir, kept, export_options)
        combined = write_combined_export(root, store, run_id, run_dir) if exported is not None else None
    except Exception:
        store.finish_run(run_id, "failed", {"run_id": run_id, "totals": {}})
        raise
    input_outcomes = _input_outcomes(RunDir(run_dir), plan)
    store.finish_inputs(run_id, input_outcomes)
    summary = _batch_summary(run_id, root, plan, selected, skipped_known, input_outcomes, outcome, manifest)
    summary["inherited"] = inherited.to_json()
    if exported is not None:
        summary["totals"]["tokens_added"] = exported["tokens_written"]
        build_report(run_dir)  # again, now with this batch's export
    if combined is None and (root / "export" / "export.json").exists():  # nothing new kept: earlier nights' export
        combined = json.loads((root / "export" / "export.json").read_text())
    if combined is not None:
        summary["export"] = {
            "batch": str(run_dir / "export" / "export.json") if exported is not None else None,
            "combined": str(root / "export" / "export.json"),
            "tokens_total": combined["tokens_written"],
            "shards_total": len(combined["shards"]),
        }
    summary["report"] = str(outcome.report_path) if outcome.report_path else None
    summary["compare"] = _compare_with_previous(store, run_id, run_dir)
    status = "complete_with_alarms" if summary["alarms"] else "complete"
    return _finish(store, root, run_id, status, summary, outcome)


def _compare_with_previous(store: StateStore, run_id: str, run_dir: Path) -> str | None:
    """``compare.html`` of this night against the last finished one (what changed), or None on the first night."""
    earlier = [r for r in store.runs() if r["run_id"] != run_id and r["status"].startswith("complete") and r["run_dir"]]
    if not earlier:
        return None
    try:
        return str(build_compare(earlier[-1]["run_dir"], run_dir))
    except Exception as error:  # the night's data stand whether or not the comparison renders
        return f"not written: {error}"


def new_inputs(plan: Plan, store: StateStore) -> tuple[list[InputRecord], int]:
    """Inputs never processed, or changed since; and how many known inputs were skipped."""
    selected: list[InputRecord] = []
    skipped = 0
    for source_plan in plan.sources:
        for part in source_plan.parts:
            history = store.processed(source_plan.name, part.uri)
            quick = Fingerprint(*fingerprint(part.uri, content_hash=False))
            if any(record.fingerprint.same_file(quick) for record in history):
                skipped += 1  # same size and mtime (or ETag): no need to read the file again
                continue
            full = Fingerprint(*fingerprint(part.uri, content_hash=True))
            if any(record.fingerprint.same_file(full) for record in history):
                skipped += 1  # touched but identical content
                continue
            selected.append(InputRecord(source_plan.name, part.uri, part.part_id, full, "", "selected", None))
    return selected, skipped


def restrict_plan(plan: Plan, selected: list[InputRecord]) -> Plan:
    wanted = {(record.source, record.uri) for record in selected}
    sources = []
    for source_plan in plan.sources:
        parts = tuple(p for p in source_plan.parts if (source_plan.name, p.uri) in wanted)
        sources.append(SourcePlan(source_plan.spec, parts, source_plan.stage_names))
    missing = wanted - {(s.name, p.uri) for s in sources for p in s.parts}
    if missing:
        names = ", ".join(uri for _, uri in sorted(missing))
        raise FileNotFoundError(f"inputs selected by the interrupted run are gone: {names}")
    return Plan(tuple(sources), plan.batch_size)


def _input_outcomes(rundir: RunDir, plan: Plan) -> dict[tuple[str, str], tuple[str, str | None]]:
    """An input whose every record errored while reading is quarantined; others are done."""
    outcomes: dict[tuple[str, str], tuple[str, str | None]] = {}
    for source_plan in plan.sources:
        for part in source_plan.parts:
            read = StageCounts("read")
            for chunk in rundir.chunk_stats(source_plan.name, part.part_id):
                read.add(StageCounts.from_json(chunk["stages"][0]))
            errored = sum(read.errored.values())
            if read.docs_in and errored == read.docs_in:
                reasons = ", ".join(f"{reason} ({count})" for reason, count in sorted(read.errored.items()))
                outcomes[(source_plan.name, part.part_id)] = (QUARANTINED, f"every record failed to read: {reasons}")
            else:
                outcomes[(source_plan.name, part.part_id)] = ("done", None)
    return outcomes


def _batch_summary(
    run_id: str,
    root: Path,
    plan: Plan,
    selected: list[InputRecord],
    skipped_known: int,
    input_outcomes: dict[tuple[str, str], tuple[str, str | None]],
    outcome: RunOutcome,
    manifest: Manifest,
) -> dict[str, Any]:
    uris = {(record.source, record.part_id): record.uri for record in selected}
    quarantined = [
        {"source": source, "uri": uris.get((source, part_id), part_id), "reason": reason}
        for (source, part_id), (status, reason) in sorted(input_outcomes.items())
        if status == QUARANTINED
    ]
    sources: dict[str, Any] = {}
    for name, data in outcome.stats["sources"].items():
        stages = [StageCounts.from_json(stage) for stage in data["stages"]]
        errors: Counter[str] = Counter()
        for stage in stages:
            errors.update(stage.errored)
        sources[name] = {
            "inputs": sum(1 for record in selected if record.source == name),
            "documents_in": stages[0].docs_in,
            "documents_kept": stages[-1].kept,
            "errored": sum(errors.values()),
            "errors": dict(sorted(errors.items())),
        }
    summary: dict[str, Any] = {
        "run_id": run_id,
        "output": str(root),
        "run_dir": str(outcome.rundir.root),
        "manifest_digest": manifest.digest,
        "content_digest": content_digest(manifest, None),
        "inputs": {"new": len(selected), "skipped_known": skipped_known, "quarantined": quarantined},
        "sources": sources,
        "totals": {
            "inputs_new": len(selected),
            "documents_in": sum(s["documents_in"] for s in sources.values()),
            "documents_kept": sum(s["documents_kept"] for s in sources.values()),
            "tokens_added": 0,
        },
        "accounting_ok": outcome.stats["accounting"]["ok"],
        "wall_seconds": round(outcome.wall_seconds, 3),
    }
    summary["alarms"] = alarms_for(summary, manifest.nightly.alarms, outcome.rundir.root)
    return summary


def alarms_for(summary: dict[str, Any], thresholds: NightlyAlarms, run_dir: Path) -> list[dict[str, Any]]:
    alarms: list[dict[str, Any]] = []
    if thresholds.max_error_share is not None:
        for name, source in summary["sources"].items():
            share = source["errored"] / source["documents_in"] if source["documents_in"] else 0.0
            if share > thresholds.max_error_share:
                alarms.append(
                    {
                        "kind": "error_share",
                        "source": name,
                        "message": f"{name}: {share:.1%} of records errored (limit {thresholds.max_error_share:.1%})",
                    }
                )
    quarantined = summary["inputs"]["quarantined"]
    if thresholds.max_quarantined_inputs is not None and len(quarantined) > thresholds.max_quarantined_inputs:
        alarms.append(
            {
                "kind": "quarantined_inputs",
                "source": None,
                "message": f"{len(quarantined)} input(s) quarantined (limit {thresholds.max_quarantined_inputs})",
            }
        )
    kept = summary["totals"]["documents_kept"]
    if thresholds.min_new_documents is not None and kept < thresholds.min_new_documents:
        alarms.append(
            {
                "kind": "few_new_documents",
                "source": None,
                "message": f"only {kept} new document(s) kept (minimum {thresholds.min_new_documents})",
            }
        )
    audit = run_dir / "dedup" / "audit.json"
    if thresholds.dedup and audit.exists():
        alarms.extend(json.loads(audit.read_text()).get("alarms", []))
    return alarms


def _nothing_new_summary(run_id: str, root: Path, skipped_known: int, store: StateStore) -> dict[str, Any]:
    previous = [run for run in store.runs() if run["status"] not in ("nothing_new", "running")]
    last = previous[-1]["run_id"] if previous else None
    return {
        "run_id": run_id,
        "output": str(root),
        "run_dir": None,
        "message": f"no new inputs ({skipped_known} known input(s) unchanged since run {last}); nothing to do",
        "inputs": {"new": 0, "skipped_known": skipped_known, "quarantined": []},
        "sources": {},
        "totals": {"inputs_new": 0, "documents_in": 0, "documents_kept": 0, "tokens_added": 0},
        "alarms": [],
    }


def _finish(
    store: StateStore, root: Path, run_id: str, status: str, summary: dict[str, Any], outcome: RunOutcome | None
) -> IncrementalOutcome:
    summary["status"] = status
    path = root / "nightly" / f"{run_id}.json"
    atomic_write_json(path, summary)
    store.finish_run(run_id, status, summary)
    return IncrementalOutcome(run_id, summary, path, outcome)


def run_history(root: Path) -> list[dict[str, Any]]:
    """The runs recorded in ``root/state.sqlite``, oldest first (empty if there is no state)."""
    path = root / "state.sqlite"
    if not path.exists():
        return []
    store = StateStore(path)
    try:
        return store.runs()
    finally:
        store.close()
