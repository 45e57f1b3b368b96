"""The filter contract: scores first, then a decision with a reason.

A filter is a pure function of a document's text, its language and its config. It
never imports the engine: stages wrap filters, store every score as a column, and
route drops to the rejects, so thresholds can change without recomputing scores.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict


class FilterConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Decision:
    keep: bool
    reason: str | None = None

    @classmethod
    def drop(cls, reason: str) -> Decision:
        return cls(False, reason)


KEEP = Decision(True)

Scores = dict[str, float]
C = TypeVar("C", bound=FilterConfig)


class Filter(ABC, Generic[C]):
    """Computes named scores for a text and decides on them."""

    name: ClassVar[str]
    config_model: ClassVar[type[FilterConfig]]

    def __init__(self, config: C | None = None) -> None:
        self.config: C = config if config is not None else self.config_model()  # type: ignore[assignment]

    @abstractmethod
    def score(self, text: str, lang: str | None) -> Scores: ...

    @abstractmethod
    def decide(self, scores: Scores, lang: str | None) -> Decision: ...

    def __call__(self, text: str, lang: str | None = None) -> tuple[Scores, Decision]:
        scores = self.score(text, lang)
        return scores, self.decide(scores, lang)


class LineCleaner(Filter[C]):
    """A filter that first rewrites the text (removing lines), then scores the result."""

    @abstractmethod
    def clean(self, text: str, lang: str | None) -> tuple[str, Scores]:
        """The cleaned text and scores about what was removed."""
