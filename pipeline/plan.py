"""From a validated manifest to concrete work: sources, their stage chains and their parts."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.inputs import InputError, resolve_paths
from pipeline.manifest import Manifest, SourceSpec, StageSpec
from stages.base import GlobalStage, PartSpec, SourceReader, Stage
from stages.registry import is_global_stage, source_class, stage_class

READ_STAGE = "read"


@dataclass(frozen=True)
class SourcePlan:
    spec: SourceSpec
    parts: tuple[PartSpec, ...]
    stage_names: tuple[str, ...]  # the reader first, then the transforms, unique within the source

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def kind(self) -> str:
        return self.spec.kind

    def make_reader(self) -> SourceReader:
        return source_class(self.spec.kind)(self.spec.name, self.spec.options)

    @property
    def map_specs(self) -> tuple[StageSpec, ...]:
        return map_specs_of(self.spec)

    @property
    def global_specs(self) -> tuple[StageSpec, ...]:
        """Stages that need the whole source (run after every part is done); always last."""
        return tuple(spec for spec in self.spec.stages if is_global_stage(spec.name))

    @property
    def map_stage_names(self) -> tuple[str, ...]:
        return self.stage_names[: 1 + len(self.map_specs)]

    def make_stages(self) -> list[Stage]:
        return [make_stage(stage) for stage in self.map_specs]


@dataclass(frozen=True)
class Plan:
    sources: tuple[SourcePlan, ...]
    batch_size: int

    def source(self, name: str) -> SourcePlan:
        return next(s for s in self.sources if s.name == name)


def make_stage(spec: StageSpec) -> Stage:
    stage = stage_class(spec.name)(spec.config)
    assert isinstance(stage, Stage), f"{spec.name} is a whole-source stage"
    return stage


def make_global_stage(spec: StageSpec) -> GlobalStage:
    stage = stage_class(spec.name)(spec.config)
    assert isinstance(stage, GlobalStage), f"{spec.name} is a batch stage"
    return stage


def map_specs_of(spec: SourceSpec) -> tuple[StageSpec, ...]:
    """Stages that see one batch at a time (run by the executors); whole-source stages follow them."""
    return tuple(stage for stage in spec.stages if not is_global_stage(stage.name))


def stage_names_for(specs: tuple[StageSpec, ...]) -> tuple[str, ...]:
    names = [READ_STAGE]
    for spec in specs:
        name, suffix = spec.name, 2
        while name in names:
            name, suffix = f"{spec.name}_{suffix}", suffix + 1
        names.append(name)
    return tuple(names)


def build_plan(manifest: Manifest, limit: int | None = None) -> Plan:
    """Resolve every source's inputs into parts. Raises InputError naming the manifest path."""
    sources = []
    for index, spec in enumerate(manifest.sources):
        if limit is not None:
            spec = SourceSpec(**{**spec.__dict__, "limit": limit})
        uris = resolve_paths(spec.paths, spec.listing_prefix, f"sources[{index}]")
        parts = source_class(spec.kind)(spec.name, spec.options).parts(uris)
        if len({p.part_id for p in parts}) != len(parts):
            raise InputError(f"sources[{index}].paths: two inputs map to the same part id")
        sources.append(SourcePlan(spec, tuple(parts), stage_names_for(spec.stages)))
    return Plan(tuple(sources), manifest.executor.batch_size)
