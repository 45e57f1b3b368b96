"""The interactive HTML report of a run (``curate report RUN_DIR``) and of two runs' differences."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline.report.collect import NotARunDirectory, collect
from pipeline.report.compare import collect_compare, compare_lines
from pipeline.report.config import ReportSection
from pipeline.report.render import render_html, write_html

__all__ = [
    "NotARunDirectory",
    "ReportOutcome",
    "ReportSection",
    "build_compare",
    "build_report",
    "collect",
    "collect_compare",
    "render_html",
    "report_after_run",
]

REPORT_NAME = "report.html"
log = logging.getLogger(__name__)


def build_report(run_dir: str | Path, output: str | Path | None = None) -> Path:
    """Write the run's report (``RUN_DIR/report.html`` by default) and return its path."""
    root = Path(run_dir)
    data = collect(root)
    title = f"curate report: {data['run'].get('name') or root.name}"
    return write_html(Path(output) if output else root / REPORT_NAME, data, title)


def build_compare(
    run_a: str | Path, run_b: str | Path, output: str | Path | None = None, lines: list[str] | None = None
) -> Path:
    """Write what changed from run A to run B (``RUN_B/compare.html`` by default); ``lines`` gets a text summary."""
    data = collect_compare(run_a, run_b)
    if lines is not None:
        lines.extend(compare_lines(data))
    names = f"{data['compare']['a']['name']} → {data['compare']['b']['name']}"
    return write_html(Path(output) if output else Path(run_b) / "compare.html", data, f"curate compare: {names}")


@dataclass(frozen=True)
class ReportOutcome:
    path: Path | None
    error: str | None


def report_after_run(run_dir: str | Path, settings: ReportSection) -> ReportOutcome:
    """The end-of-run report. It never raises: the run's data stand whether or not it renders."""
    if not settings.enabled:
        return ReportOutcome(None, None)
    try:
        return ReportOutcome(build_report(run_dir), None)
    except Exception as error:  # reported to the user, never fatal to the run
        log.warning("report.html could not be written for %s", run_dir, exc_info=True)
        return ReportOutcome(None, f"{type(error).__name__}: {error}")
