"""The YAML manifest, validated into typed models.

Validation collects every problem, each named by its YAML path
(``sources[0].stages[1].extract.timeout_s``), instead of stopping at the first.
Source kinds and stages are looked up in the registry, so adding one needs no
change here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.nightly_config import NightlySection
from pipeline.reference_section import ReferenceModelsSection
from pipeline.report.config import ReportSection
from stages.base import StageConfig
from stages.export.config import ExportSection, validate_export
from stages.registry import is_global_stage, source_class, source_kinds, stage_class, stage_names


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunSection(_Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    output: str = Field(min_length=1, description="Run directory.")
    seed: int = 0


class ExecutorSection(_Strict):
    kind: Literal["ray", "local"] = "ray"
    address: str | None = Field(default=None, description="Ray cluster address; null starts a local Ray.")
    num_cpus: int | None = Field(default=None, gt=0)
    batch_size: int = Field(default=256, gt=0, description="Documents per batch.")


class _SourceHeader(_Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    kind: str
    paths: list[str] = Field(min_length=1)
    listing_prefix: str | None = Field(
        default=None, description="Prefix for relative entries of a warc.paths-style listing."
    )
    limit: int | None = Field(default=None, gt=0, description="Read at most this many records from each input file.")
    stages: list[Any] = Field(default_factory=list)


class _ManifestHeader(_Strict):
    run: RunSection
    executor: ExecutorSection = ExecutorSection()
    sources: list[dict[str, Any]] = Field(min_length=1)
    nightly: NightlySection = NightlySection()
    report: ReportSection = ReportSection()
    reference_models: dict[str, Any] | None = None  # checked by ReferenceModelsSection
    dedup: dict[str, Any] | None = Field(default=None, description="Cross-source dedup (pipeline/dedup_section.py).")
    export: dict[str, Any] | None = None  # checked by stages.export.config


@dataclass(frozen=True)
class StageSpec:
    name: str
    config: StageConfig


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    paths: tuple[str, ...]
    listing_prefix: str | None
    limit: int | None
    options: StageConfig
    stages: tuple[StageSpec, ...]


@dataclass(frozen=True)
class Manifest:
    run: RunSection
    executor: ExecutorSection
    sources: tuple[SourceSpec, ...]
    raw: dict[str, Any]
    nightly: NightlySection = field(default_factory=NightlySection)
    report: ReportSection = field(default_factory=ReportSection)
    reference_models: ReferenceModelsSection | None = None
    export: ExportSection | None = None

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.raw, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


class ManifestError(Exception):
    """All problems found in a manifest, each as (yaml path, message)."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {path}: {message}" for path, message in problems)
        super().__init__(f"{source}: {len(problems)} problem(s)\n{lines}")


def yaml_path(prefix: str, loc: tuple[str | int, ...]) -> str:
    path = prefix
    for key in loc:
        if isinstance(key, int):
            path += f"[{key}]"
        else:
            path += f".{key}" if path else str(key)
    return path or "(root)"


def _errors(prefix: str, error: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors():
        loc = tuple(k for k in item["loc"] if not (isinstance(k, str) and k.startswith("function-")))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        problems.append((yaml_path(prefix, loc), message))
    return problems


def _validate_stage(path: str, entry: Any, problems: list[tuple[str, str]]) -> StageSpec | None:
    if isinstance(entry, str):
        entry = {entry: {}}
    if not isinstance(entry, dict) or len(entry) != 1:
        problems.append((path, "expected a mapping with one stage name, e.g. {extract: {timeout_s: 2}}"))
        return None
    name, params = next(iter(entry.items()))
    if name not in stage_names():
        problems.append((path, f"unknown stage {name!r}; known stages: {', '.join(stage_names())}"))
        return None
    model = stage_class(name).config_model
    try:
        return StageSpec(name, model.model_validate(params or {}))
    except ValidationError as exc:
        problems.extend(_errors(f"{path}.{name}", exc))
        return None


def _validate_source(index: int, entry: Any, problems: list[tuple[str, str]]) -> SourceSpec | None:
    path = f"sources[{index}]"
    if not isinstance(entry, dict):
        problems.append((path, "expected a mapping with name, kind and paths"))
        return None
    # Kind-specific options sit beside the common keys; the kind's own model checks them.
    common = {k: v for k, v in entry.items() if k in _SourceHeader.model_fields}
    kind_options = {k: v for k, v in entry.items() if k not in _SourceHeader.model_fields}
    try:
        header = _SourceHeader.model_validate(common)
    except ValidationError as exc:
        problems.extend(_errors(path, exc))
        return None
    if header.kind not in source_kinds():
        problems.append((f"{path}.kind", f"unknown source kind {header.kind!r}; known: {', '.join(source_kinds())}"))
        return None
    options: StageConfig | None = None
    try:
        options = source_class(header.kind).config_model.model_validate(kind_options)
    except ValidationError as exc:
        problems.extend(_errors(path, exc))
    stages = [_validate_stage(f"{path}.stages[{j}]", stage, problems) for j, stage in enumerate(header.stages)]
    seen_global = False
    for j, stage in enumerate(stages):
        if stage is None:
            continue
        if is_global_stage(stage.name):
            seen_global = True
        elif seen_global:
            message = f"{stage.name!r} comes after a whole-source stage; put it before the dedup stages"
            problems.append((f"{path}.stages[{j}]", message))
    if options is None or any(stage is None for stage in stages):
        return None
    return SourceSpec(
        name=header.name,
        kind=header.kind,
        paths=tuple(header.paths),
        listing_prefix=header.listing_prefix,
        limit=header.limit,
        options=options,
        stages=tuple(s for s in stages if s is not None),
    )


def parse_manifest(raw: Any, source: str = "<manifest>") -> Manifest:
    if not isinstance(raw, dict):
        raise ManifestError(source, [("(root)", "expected a mapping with run, executor and sources")])
    problems: list[tuple[str, str]] = []
    try:
        header = _ManifestHeader.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_errors("", exc))
        header = None
    raw_sources = raw.get("sources") if isinstance(raw.get("sources"), list) else []
    sources = [_validate_source(i, entry, problems) for i, entry in enumerate(raw_sources)]
    names = [s.name for s in sources if s is not None]
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        problems.append(("sources", f"source name {duplicate!r} is used more than once"))
    reference_models = None
    if header is not None and header.reference_models is not None:
        try:
            reference_models = ReferenceModelsSection.model_validate(header.reference_models)
            problems.extend(reference_models.problems([s for s in sources if s is not None]))
        except ValidationError as exc:
            problems.extend(_errors("reference_models", exc))
    from pipeline.dedup_section import with_dedup_section

    sources = with_dedup_section(raw.get("dedup"), sources, problems)
    export = None
    if isinstance(raw.get("export"), dict):
        source_names = [s["name"] for s in raw_sources if isinstance(s, dict) and "name" in s]
        export, export_problems = validate_export(raw["export"], source_names)
        problems.extend((yaml_path("export", loc), message) for loc, message in export_problems)
    if problems or header is None:
        raise ManifestError(source, problems)
    return Manifest(
        header.run,
        header.executor,
        tuple(s for s in sources if s is not None),
        raw,
        nightly=header.nightly,
        report=header.report,
        reference_models=reference_models,
        export=export,
    )


def load_manifest(path: str | Path) -> Manifest:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(str(path), [("(file)", f"cannot read: {exc.strerror or exc}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise ManifestError(str(path), [(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from exc
    return parse_manifest(raw, str(path))
