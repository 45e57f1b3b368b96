"""The per-stage table shown after a run and by ``curate stats``, and the live progress bars."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table


def _reasons(counts: dict[str, int]) -> str:
    if not counts:
        return "0"
    total = sum(counts.values())
    detail = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{total} ({detail})"


def stats_table(stats: dict[str, Any]) -> Table:
    table = Table(title="curate: per-stage accounting", show_lines=False)
    table.caption_justify = "left"
    numeric = ("in", "kept", "stage s", "docs/s/core")
    for column in ("source", "stage", "in", "kept", "dropped (by reason)", "errored (by reason)", *numeric[2:]):
        justify = "right" if column in numeric else "left"
        table.add_column(column, justify=justify, overflow="fold")
    for source, data in stats["sources"].items():
        for stage in data["stages"]:
            rate = stage["in"] / stage["seconds"] if stage["seconds"] > 0 else 0.0
            table.add_row(
                source,
                stage["stage"],
                f"{stage['in']:,}",
                f"{stage['kept']:,}",
                _reasons(stage["dropped"]),
                _reasons(stage["errored"]),
                f"{stage['seconds']:.2f}",
                f"{rate:,.0f}",
            )
    counters = [
        f"{source}: " + ", ".join(f"{name} {value:,}" for name, value in data["counters"].items() if value)
        for source, data in stats["sources"].items()
        if any(data.get("counters", {}).values())
    ]
    accounting = stats.get("accounting")
    if accounting is not None:
        table.caption = "accounting: ok" if accounting["ok"] else "accounting: FAILED"
    if counters:
        table.caption = "\n".join([table.caption or "", "counters: " + "; ".join(counters)])
    return table


def nightly_lines(summary: dict[str, Any]) -> list[str]:
    """The end-of-run summary of an incremental run, for logs and alert e-mails."""
    if summary.get("message"):
        return [f"nightly run {summary['run_id']}: {summary['message']}"]
    totals = summary["totals"]
    inputs = summary["inputs"]
    lines = [
        f"nightly run {summary['run_id']} ({summary['status']}): {inputs['new']} new input(s), "
        f"{inputs['skipped_known']} already processed; {totals['documents_in']:,} documents read, "
        f"{totals['documents_kept']:,} kept, {totals['tokens_added']:,} tokens added"
    ]
    for name, source in summary["sources"].items():
        errors = ", ".join(f"{reason} {n}" for reason, n in source["errors"].items()) or "none"
        lines.append(
            f"  {name}: {source['inputs']} input(s), {source['documents_in']:,} in, "
            f"{source['documents_kept']:,} kept, errors: {errors}"
        )
    for item in inputs["quarantined"]:
        lines.append(f"  quarantined {item['source']} {item['uri']}: {item['reason']}")
    for alarm in summary["alarms"]:
        lines.append(f"  ALARM [{alarm['kind']}] {alarm['message']}")
    for key in ("report", "compare"):
        if summary.get(key):
            lines.append(f"  {key}: {summary[key]}")
    export = summary.get("export")
    if export:
        lines.append(
            f"  export: {export['combined']} "
            f"({export['shards_total']} shard(s), {export['tokens_total']:,} tokens in all)"
        )
    segments = (summary.get("inherited") or {}).get("dedup_state") or []
    if segments:
        lines.append(f"  deduplicated against {len(segments)} earlier state segment(s), the last {segments[-1]}")
    return lines


def runs_table(history: list[dict[str, Any]], output_dir: object) -> Table:
    table = Table(title=f"curate runs: {output_dir}")
    for column in ("run", "started", "finished", "status", "new inputs", "docs in", "docs kept", "tokens added"):
        table.add_column(column, justify="right" if column[0] in "ndt" and column != "run" else "left")
    for run in history:
        table.add_row(
            run["run_id"],
            run["started_at"],
            run["finished_at"] or "-",
            run["status"],
            f"{run['inputs_new'] or 0:,}",
            f"{run['documents_in'] or 0:,}",
            f"{run['documents_kept'] or 0:,}",
            f"{run['tokens_added'] or 0:,}",
        )
    if not history:
        table.caption = "no incremental runs recorded here"
    return table


class StageProgress:
    """One bar per (source, stage), advanced as chunks are written; shows docs/s."""

    def __init__(self, console: Console, totals: dict[str, list[str]], enabled: bool = True) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s"),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled,
        )
        self.tasks: dict[tuple[str, str], TaskID] = {}
        for source, stage_names in totals.items():
            for stage in stage_names:
                self.tasks[(source, stage)] = self.progress.add_task(f"{source}.{stage}", total=None, rate="-")

    def __enter__(self) -> StageProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def chunk_written(self, source: str, stages: list[dict[str, Any]]) -> None:
        for stage in stages:
            task = self.tasks[(source, stage["stage"])]
            self.progress.advance(task, stage["in"])
            current = self.progress.tasks[task]
            elapsed = current.elapsed or 0.0
            rate = f"{current.completed / elapsed:,.0f}" if elapsed > 0 else "-"
            self.progress.update(task, rate=rate)
