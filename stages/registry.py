"""Name → class registry for sources and transforms.

The engine knows stages only through this registry, so a new stage is one new
module plus one ``@register_stage`` line and one import in ``stages/catalog.py``.
"""

from __future__ import annotations

from typing import TypeVar

from stages.base import GlobalStage, SourceReader, Stage

_STAGES: dict[str, type[Stage] | type[GlobalStage]] = {}
_SOURCES: dict[str, type[SourceReader]] = {}

S = TypeVar("S", bound=type[Stage] | type[GlobalStage])
R = TypeVar("R", bound=type[SourceReader])


def register_stage(cls: S) -> S:
    if cls.name in _STAGES:
        raise ValueError(f"stage {cls.name!r} registered twice")
    _STAGES[cls.name] = cls
    return cls


def register_source(cls: R) -> R:
    if cls.kind in _SOURCES:
        raise ValueError(f"source kind {cls.kind!r} registered twice")
    _SOURCES[cls.kind] = cls
    return cls


def _load_catalog() -> None:
    import stages.catalog  # noqa: F401 - importing registers every built-in stage


def stage_class(name: str) -> type[Stage] | type[GlobalStage]:
    _load_catalog()
    return _STAGES[name]


def source_class(kind: str) -> type[SourceReader]:
    _load_catalog()
    return _SOURCES[kind]


def stage_names() -> list[str]:
    _load_catalog()
    return sorted(_STAGES)


def source_kinds() -> list[str]:
    _load_catalog()
    return sorted(_SOURCES)


def is_global_stage(name: str) -> bool:
    return issubclass(stage_class(name), GlobalStage)
