"""Running a source and its stages over batches while keeping every row accounted for.

Rows never disappear: a dropped or errored row stays in the batch, marked with the
index of the stage that decided (``_fate_stage``), the fate and the reason, and
later stages skip it. The writer then derives each stage's accounting from these
columns, so counts cannot drift from the data.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from stages.base import PartSpec, SourceReader, Stage, StageResult, Verdict, build_batch, meta_json

PART = "_part"
PART_ROWS = "_part_rows"  # set on the rows of a part's last batch: how many rows the part has in all
FATE_STAGE = "_fate_stage"
FATE = "_fate"
REASON = "_reason"
INTERNAL_PREFIX = "_"


def seconds_column(stage_index: int) -> str:
    return f"_sec_{stage_index}"


def internal_columns(batch: pa.Table) -> list[str]:
    return [name for name in batch.column_names if name.startswith(INTERNAL_PREFIX)]


def _with_verdicts(result: StageResult, stage_index: int) -> pa.Table:
    verdicts = result.verdicts
    batch = result.batch
    batch = batch.append_column(
        FATE_STAGE, pa.array([None if v is None else stage_index for v in verdicts], pa.int16())
    )
    batch = batch.append_column(FATE, pa.array([None if v is None else v.fate for v in verdicts], pa.string()))
    return batch.append_column(REASON, pa.array([None if v is None else v.reason for v in verdicts], pa.string()))


def read_part(source: SourceReader, part: PartSpec, batch_size: int, limit: int | None) -> Iterator[pa.Table]:
    """The part's rows in batches, tagged with the part id; the last batch carries the part's row count."""
    total = 0
    pending: pa.Table | None = None
    started = time.perf_counter()
    for result in source.read(part, batch_size, limit):
        elapsed, started = time.perf_counter() - started, time.perf_counter()
        batch = _tag(result, part.part_id, elapsed)
        total += batch.num_rows
        if pending is not None:
            yield pending.append_column(PART_ROWS, pa.nulls(pending.num_rows, pa.int64()))
        pending = batch
        started = time.perf_counter()
    if pending is None:  # an input with no records at all is itself a finding
        pending = _tag(_empty_input(source, part), part.part_id, 0.0)
        total = 1
    yield pending.append_column(PART_ROWS, pa.array([total] * pending.num_rows, pa.int64()))


def _empty_input(source: SourceReader, part: PartSpec) -> StageResult:
    row = {"id": f"{part.part_id}@empty", "source": source.source_name, "meta": meta_json({"file": part.uri})}
    return StageResult(build_batch([row]), [Verdict.error("empty_input")])


def _tag(result: StageResult, part_id: str, elapsed: float) -> pa.Table:
    batch = _with_verdicts(result, 0)
    batch = batch.append_column(PART, pa.array([part_id] * batch.num_rows, pa.string()))
    per_row = elapsed / max(batch.num_rows, 1)
    return batch.append_column(seconds_column(0), pa.array([per_row] * batch.num_rows, pa.float64()))


def apply_stage(stage: Stage, stage_index: int, batch: pa.Table) -> pa.Table:
    """Run one stage on the live rows of ``batch``; dead rows pass through untouched."""
    alive_mask = pc.is_null(batch.column(FATE_STAGE))
    alive = batch.filter(alive_mask)
    dead = batch.filter(pc.invert(alive_mask))
    internal = internal_columns(batch)
    started = time.perf_counter()
    # Empty batches go through too, so every batch leaving a stage has that stage's columns.
    result = stage.process(alive.drop_columns(internal))
    if result.batch.num_rows != alive.num_rows:
        raise RuntimeError(f"stage {stage.name!r} returned {result.batch.num_rows} rows for {alive.num_rows}")
    decided = _with_verdicts(result, stage_index)
    for name in internal:
        if name not in (FATE_STAGE, FATE, REASON):
            decided = decided.append_column(name, alive.column(name))
    elapsed = time.perf_counter() - started
    per_row = elapsed / max(alive.num_rows, 1)
    decided = decided.append_column(seconds_column(stage_index), pa.array([per_row] * decided.num_rows, pa.float64()))
    dead = dead.append_column(seconds_column(stage_index), pa.array([0.0] * dead.num_rows, pa.float64()))
    return _concat_aligned(decided, dead)


def _concat_aligned(first: pa.Table, second: pa.Table) -> pa.Table:
    """Concatenate with ``first``'s columns: missing ones become null, extra ones are dropped."""
    if second.num_rows == 0:
        return first
    columns = []
    for field in first.schema:
        if field.name in second.column_names:
            columns.append(second.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(second.num_rows, field.type))
    aligned = pa.Table.from_arrays(columns, schema=first.schema)
    if first.num_rows == 0:
        return aligned
    return pa.concat_tables([first, aligned])
