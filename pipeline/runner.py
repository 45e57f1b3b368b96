"""A run from start to finish: plan, skip finished parts, execute, merge stats, check accounting."""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.accounting import AccountingError, check_accounting, merge_stats
from pipeline.executors import ProgressSink, make_executor
from pipeline.global_phase import run_global_stages
from pipeline.manifest import Manifest
from pipeline.plan import Plan, build_plan
from pipeline.reference_models import models_in_use, resolve_reference_models
from pipeline.report import report_after_run
from pipeline.rundir import RunDir, atomic_write_json
from stages.base import PartSpec

TRACKED_PACKAGES = (
    "curate",
    "pyarrow",
    "ray",
    "pydantic",
    "trafilatura",
    "resiliparse",
    "fastwarc",
    "fsspec",
    "numpy",
    "kenlm",
    "sentencepiece",
)


class RunDirConflict(Exception):
    """The output directory holds another run, or an unfinished one that was not asked to resume."""


@dataclass
class RunOptions:
    executor: str | None = None
    address: str | None = None
    resume: bool = False
    overwrite: bool = False
    output: str | None = None
    limit: int | None = None


@dataclass
class RunOutcome:
    rundir: RunDir
    stats: dict[str, Any]
    skipped_parts: int
    processed_parts: int
    wall_seconds: float
    report_path: Path | None = None
    report_error: str | None = None


def library_versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for package in TRACKED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def content_digest(manifest: Manifest, limit: int | None) -> str:
    """Hash of what decides the output: the manifest without its executor section, plus overrides.

    The report and export sections are left out too: they decide only ``report.html`` and ``export/``, which
    ``curate report`` and ``curate export`` redo."""
    content = {k: v for k, v in manifest.raw.items() if k not in ("executor", "report", "export")}
    content["_limit_override"] = limit
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _prepare_rundir(rundir: RunDir, digest: str, options: RunOptions) -> dict[str, Any] | None:
    """The previous run.json when resuming; refuses to mix two different runs in one directory."""
    if not rundir.run_json.exists():
        if rundir.root.exists() and any(rundir.root.iterdir()) and not options.overwrite:
            raise RunDirConflict(f"{rundir.root} exists and is not a curate run directory; use --overwrite")
        if options.overwrite:
            shutil.rmtree(rundir.root, ignore_errors=True)
        return None
    if options.overwrite:
        shutil.rmtree(rundir.root)
        return None
    previous = json.loads(rundir.run_json.read_text())
    if not options.resume:
        raise RunDirConflict(
            f"{rundir.root} already holds run {previous.get('name')!r} (status {previous.get('status')}); "
            "use --resume to finish it or --overwrite to start again"
        )
    if previous.get("content_digest") != digest:
        raise RunDirConflict(
            f"{rundir.root} was written by a different manifest (or --limit); cannot resume it. "
            "Use --overwrite or another --output"
        )
    return previous


def pending_parts(plan: Plan, rundir: RunDir) -> tuple[dict[str, list[PartSpec]], int]:
    """Parts still to do; interrupted parts are wiped so they are redone from scratch."""
    pending: dict[str, list[PartSpec]] = {}
    skipped = 0
    for source_plan in plan.sources:
        todo = []
        for part in source_plan.parts:
            state = rundir.part_state(source_plan.name, part.part_id)
            if state == "complete":
                skipped += 1
                continue
            if state == "partial":
                rundir.clear_part(source_plan.name, part.part_id, list(source_plan.stage_names))
            todo.append(part)
        pending[source_plan.name] = todo
    return pending, skipped


def execute_run(
    manifest: Manifest, options: RunOptions, progress: ProgressSink, plan: Plan | None = None
) -> RunOutcome:
    """Run ``plan`` (by default every input of the manifest) into the run directory."""
    started = time.perf_counter()
    plan = plan or build_plan(manifest, options.limit)
    rundir = RunDir(options.output or manifest.run.output)
    digest = content_digest(manifest, options.limit)
    previous = _prepare_rundir(rundir, digest, options)
    executor_kind = options.executor or manifest.executor.kind
    address = options.address or manifest.executor.address
    attempt = {"started_at": _now(), "executor": executor_kind, "address": address, "resumed": previous is not None}
    record: dict[str, Any] = {
        "name": manifest.run.name,
        "seed": manifest.run.seed,
        "manifest": manifest.raw,
        "manifest_digest": manifest.digest,
        "content_digest": digest,
        "limit_override": options.limit,
        "versions": library_versions(),
        "platform": platform.platform(),
        "attempts": [*(previous or {}).get("attempts", []), attempt],
        "status": "running",
        "parts": {s.name: [p.part_id for p in s.parts] for s in plan.sources},
    }
    atomic_write_json(rundir.run_json, record)
    # Stages that need reference models and name none get the run's own, trained or reused here.
    resolved = resolve_reference_models(manifest, rundir.root)
    if resolved is not manifest:
        manifest, plan = resolved, build_plan(resolved, options.limit)
    record["reference_models"] = models_in_use(manifest)
    pending, skipped = pending_parts(plan, rundir)
    executor = make_executor(executor_kind, address, manifest.executor.num_cpus)
    executor.execute(plan, rundir, pending, progress)
    run_global_stages(plan, rundir)
    stats = merge_stats(rundir, plan)
    problems = check_accounting(rundir, plan, stats)
    stats["accounting"] = {"ok": not problems, "problems": problems}
    atomic_write_json(rundir.stats_json, stats)
    wall = time.perf_counter() - started
    attempt.update(finished_at=_now(), wall_seconds=round(wall, 3), parts_skipped=skipped)
    record["status"] = "failed" if problems else "complete"
    record["timings"] = {
        "wall_seconds_last_attempt": round(wall, 3),
        "stage_seconds": {
            source: {stage["stage"]: stage["seconds"] for stage in data["stages"]}
            for source, data in stats["sources"].items()
        },
    }
    atomic_write_json(rundir.run_json, record)
    if manifest.export is not None and not problems:  # before anything that reads export/ (the report)
        from pipeline.export import ExportOptions, export_manifest

        export_manifest(manifest, rundir.root, ExportOptions(executor_kind, address, manifest.executor.num_cpus))
    report = report_after_run(rundir.root, manifest.report)  # never raises: a report failure is only reported
    if problems:
        raise AccountingError("accounting check failed:\n  " + "\n  ".join(problems))
    processed = sum(len(parts) for parts in pending.values())
    return RunOutcome(rundir, stats, skipped, processed, wall, report.path, report.error)


def load_stats(run_dir: str | Path) -> dict[str, Any]:
    path = Path(run_dir) / "stats.json"
    return json.loads(path.read_text())
