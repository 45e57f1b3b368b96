"""In-process, deterministic execution: one part after another, one batch at a time."""

from __future__ import annotations

from pipeline.chain import apply_stage, read_part
from pipeline.executors.base import Executor, ProgressSink
from pipeline.plan import Plan
from pipeline.rundir import RunDir
from stages.base import PartSpec


class LocalExecutor(Executor):
    name = "local"

    def execute(self, plan: Plan, rundir: RunDir, pending: dict[str, list[PartSpec]], progress: ProgressSink) -> None:
        for source_plan in plan.sources:
            parts = pending.get(source_plan.name, [])
            if not parts:
                continue
            reader = source_plan.make_reader()
            stages = source_plan.make_stages()
            for stage in stages:
                stage.setup()
            names = list(source_plan.map_stage_names)
            for part in parts:
                for batch in read_part(reader, part, plan.batch_size, source_plan.spec.limit):
                    for index, stage in enumerate(stages, start=1):
                        batch = apply_stage(stage, index, batch)
                    for chunk in rundir.write_chunk(source_plan.name, names, batch):
                        progress.chunk_written(source_plan.name, chunk["stages"])
