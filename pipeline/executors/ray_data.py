"""Ray Data streaming execution.

Each source becomes one streaming dataset: parts → read (tasks) → one operator per
stage (tasks, or an actor pool for stages that hold a model) → write (tasks). The
operators run the same ``read_part``/``apply_stage``/``write_chunk`` code as the
local executor. Sources are unioned so that they share the cluster.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.chain import apply_stage, read_part
from pipeline.executors.base import Executor, ProgressSink
from pipeline.manifest import SourceSpec, StageSpec
from pipeline.plan import Plan, SourcePlan, make_stage
from pipeline.rundir import RunDir
from stages.base import PartSpec, Stage
from stages.registry import source_class, stage_class

LOOPBACK_NODE_IP = "127.0.0.2"  # Ray rewrites 127.0.0.1 to the external interface; other loopback addresses stay
_STAGE_CACHE: dict[tuple[str, str], Stage] = {}


def connect(address: str | None, num_cpus: int | None) -> None:
    """Attach to ``address``, or start a private local Ray bound to loopback."""
    import ray

    if ray.is_initialized():
        return
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if address:
        # Ship the project's own packages to the cluster's workers; its third-party dependencies must be installed.
        import filters
        import langid_models
        import pipeline
        import stages

        modules = [str(Path(module.__file__).parent) for module in (pipeline, stages, filters, langid_models)]
        ray.init(address=address, log_to_driver=False, runtime_env={"py_modules": modules})
    else:
        ray.init(
            _node_ip_address=LOOPBACK_NODE_IP,
            num_cpus=num_cpus,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )


def _cached_stage(spec: StageSpec) -> Stage:
    """One set-up stage per worker process, so stateless operators pay ``setup`` once."""
    key = (spec.name, spec.config.model_dump_json())
    if key not in _STAGE_CACHE:
        stage = make_stage(spec)
        stage.setup()
        _STAGE_CACHE[key] = stage
    return _STAGE_CACHE[key]


def _read_parts(items: pa.Table, source: SourceSpec, batch_size: int) -> Iterator[pa.Table]:
    reader = source_class(source.kind)(source.name, source.options)
    for encoded in items.column("part").to_pylist():
        part = PartSpec(**json.loads(encoded))
        yield from read_part(reader, part, batch_size, source.limit)


def _run_stage(batch: pa.Table, spec: StageSpec, index: int) -> pa.Table:
    return apply_stage(_cached_stage(spec), index, batch)


class _StageActor:
    """Actor-pool form of a stage: holds its model for the actor's lifetime."""

    def __init__(self, spec: StageSpec, index: int) -> None:
        self.stage = make_stage(spec)
        self.stage.setup()
        self.index = index

    def __call__(self, batch: pa.Table) -> pa.Table:
        return apply_stage(self.stage, self.index, batch)


def _write(batch: pa.Table, root: str, source: str, stage_names: list[str]) -> pa.Table:
    import ray

    written = RunDir(root).write_chunk(source, stage_names, batch, node=ray.util.get_node_ip_address())
    return pa.table(
        {
            "source": [w["source"] for w in written],
            "stages": [json.dumps(w["stages"]) for w in written],
        }
    )


class RayExecutor(Executor):
    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        self.address = address
        self.num_cpus = num_cpus

    def execute(self, plan: Plan, rundir: RunDir, pending: dict[str, list[PartSpec]], progress: ProgressSink) -> None:
        import ray.data

        connect(self.address, self.num_cpus)
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # per-dataset INFO lines drown the progress bars
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # the CLI draws one bar per stage from the written chunks
        datasets = [
            self._dataset(source_plan, pending[source_plan.name], plan.batch_size, rundir)
            for source_plan in plan.sources
            if pending.get(source_plan.name)
        ]
        if not datasets:
            return
        stream = datasets[0].union(*datasets[1:]) if len(datasets) > 1 else datasets[0]
        for row in stream.iter_rows():
            progress.chunk_written(row["source"], json.loads(row["stages"]))

    def _dataset(self, source_plan: SourcePlan, parts: list[PartSpec], batch_size: int, rundir: RunDir) -> Any:
        import ray.data

        items = [{"part": json.dumps(part.__dict__)} for part in parts]
        dataset = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
            _read_parts,
            batch_size=1,
            batch_format="pyarrow",
            fn_kwargs={"source": source_plan.spec, "batch_size": batch_size},
        )
        for index, spec in enumerate(source_plan.map_specs, start=1):
            if stage_class(spec.name).holds_model:
                dataset = dataset.map_batches(
                    _StageActor,
                    batch_size=None,
                    batch_format="pyarrow",
                    fn_constructor_kwargs={"spec": spec, "index": index},
                    concurrency=(1, max(1, self.num_cpus or os.cpu_count() or 1)),
                )
            else:
                dataset = dataset.map_batches(
                    _run_stage, batch_size=None, batch_format="pyarrow", fn_kwargs={"spec": spec, "index": index}
                )
        return dataset.map_batches(
            _write,
            batch_size=None,
            batch_format="pyarrow",
            fn_kwargs={
                "root": str(rundir.root.resolve()),
                "source": source_plan.name,
                "stage_names": list(source_plan.map_stage_names),
            },
        )
