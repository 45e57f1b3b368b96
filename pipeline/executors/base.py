"""The executor contract."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Protocol

from pipeline.plan import Plan
from pipeline.rundir import RunDir
from stages.base import PartSpec


class ProgressSink(Protocol):
    def chunk_written(self, source: str, stages: list[dict[str, Any]]) -> None: ...


class Executor(ABC):
    name: str

    @abstractmethod
    def execute(self, plan: Plan, rundir: RunDir, pending: dict[str, list[PartSpec]], progress: ProgressSink) -> None:
        """Process every pending part of every source, writing chunks into ``rundir``."""
