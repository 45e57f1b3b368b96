"""Merging per-chunk stats from disk and checking that every document is accounted for."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow.parquet as pq

from pipeline.global_phase import global_stage_seconds
from pipeline.plan import Plan
from pipeline.rundir import RunDir, StageCounts, part_state_of


class AccountingError(Exception):
    """The run's outputs do not account for every input row."""


def merge_stats(rundir: RunDir, plan: Plan) -> dict[str, Any]:
    sources: dict[str, Any] = {}
    for source_plan in plan.sources:
        totals = [StageCounts(name) for name in source_plan.stage_names]
        kept_chars = 0
        parts = 0
        counters: Counter[str] = Counter()
        unfinished: dict[str, str] = {}
        for part in source_plan.parts:
            chunks = rundir.chunk_stats(source_plan.name, part.part_id)
            parts += bool(chunks)
            state = part_state_of(chunks)
            if state != "complete":
                unfinished[part.part_id] = state
            for chunk in chunks:
                kept_chars += chunk["kept_chars"]
                counters.update(chunk.get("counters", {}))
                for total, stage in zip(totals, chunk["stages"], strict=False):  # whole-source stages come last
                    total.add(StageCounts.from_json(stage))
        for total in totals[len(source_plan.map_stage_names) :]:
            total.seconds += global_stage_seconds(rundir, source_plan.name, total.name)
        sources[source_plan.name] = {
            "kind": source_plan.kind,
            "parts": parts,
            "kept_chars": kept_chars,
            "counters": dict(sorted(counters.items())),
            "unfinished_parts": unfinished,
            "stages": [t.to_json() for t in totals],
        }
    return {"sources": sources}


def check_accounting(rundir: RunDir, plan: Plan, stats: dict[str, Any]) -> list[str]:
    """Every violated invariant, as a sentence naming the source, stage or part."""
    problems: list[str] = []
    for source_plan in plan.sources:
        name = source_plan.name
        for part_id, state in stats["sources"][name]["unfinished_parts"].items():
            problems.append(f"{name}: part {part_id} is {state}")
        stages = [StageCounts.from_json(s) for s in stats["sources"][name]["stages"]]
        for index, stage in enumerate(stages):
            if not stage.balanced():
                problems.append(
                    f"{name}.{stage.name}: in {stage.docs_in} != kept {stage.kept} + dropped "
                    f"{sum(stage.dropped.values())} + errored {sum(stage.errored.values())}"
                )
            if index and stage.docs_in != stages[index - 1].kept:
                problems.append(f"{name}.{stage.name}: in {stage.docs_in} != kept {stages[index - 1].kept} upstream")
        kept_on_disk = _rows(rundir, "parts", name)
        if stages and kept_on_disk != stages[-1].kept:
            problems.append(f"{name}: {kept_on_disk} documents in parts/ but stats say {stages[-1].kept} kept")
        for stage in stages:
            rejected = sum(stage.dropped.values()) + sum(stage.errored.values())
            on_disk = _rows(rundir, f"rejects/{stage.name}", name)
            if on_disk != rejected:
                problems.append(f"{name}.{stage.name}: {on_disk} rows in rejects/ but stats say {rejected}")
    return problems


def _rows(rundir: RunDir, area: str, source: str) -> int:
    folder = rundir.root / area / source
    if not folder.is_dir():
        return 0
    return sum(pq.ParquetFile(p).metadata.num_rows for p in folder.glob("*/*.parquet"))
