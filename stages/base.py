"""The stage contract shared by every source and transform.

A document batch is a ``pyarrow.Table`` with the core columns in ``CORE_SCHEMA``.
A transform sees only live documents and answers, per row, keep, drop (with a
reason) or error (with a reason). The engine owns the bookkeeping: it never lets a
stage silently lose a row.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Generic, Literal, TypeVar

import pyarrow as pa
from pydantic import BaseModel, ConfigDict

CORE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("text", pa.string()),
        ("url", pa.string()),
        ("lang", pa.string()),
        ("lang_score", pa.float32()),
        ("meta", pa.string()),  # JSON object of source-specific fields
    ]
)

FateKind = Literal["dropped", "errored"]


class StageConfig(BaseModel):
    """Base of every stage's typed configuration: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Verdict:
    """Why a row leaves the pipeline."""

    fate: FateKind
    reason: str

    @classmethod
    def drop(cls, reason: str) -> Verdict:
        return cls("dropped", reason)

    @classmethod
    def error(cls, reason: str) -> Verdict:
        return cls("errored", reason)


@dataclass
class StageResult:
    """A processed batch: same rows in the same order, and a verdict (or None = kept) per row."""

    batch: pa.Table
    verdicts: Sequence[Verdict | None]

    def __post_init__(self) -> None:
        if len(self.verdicts) != self.batch.num_rows:
            raise ValueError(f"{len(self.verdicts)} verdicts for {self.batch.num_rows} rows")


ConfigT = TypeVar("ConfigT", bound=StageConfig)


class Stage(ABC, Generic[ConfigT]):
    """A transform over document batches.

    ``setup`` runs once per worker (load models there); ``process`` must be a pure
    function of the batch so that every executor gets the same answer.
    """

    name: ClassVar[str]
    config_model: ClassVar[type[StageConfig]]
    holds_model: ClassVar[bool] = False  # run as a pool of long-lived actors on Ray

    def __init__(self, config: ConfigT) -> None:
        self.config = config

    def setup(self) -> None:
        """Load models or other per-worker state."""

    @abstractmethod
    def process(self, batch: pa.Table) -> StageResult: ...


class GlobalStage(ABC, Generic[ConfigT]):
    """A stage that needs every document of its source at once (deduplication across files).

    It runs after the source's map stages have finished on every part, reads only
    ``columns`` of the kept documents, and returns a verdict for each document it
    removes, with an optional detail (e.g. the id of the copy that was kept).
    """

    name: ClassVar[str]
    config_model: ClassVar[type[StageConfig]]
    columns: ClassVar[tuple[str, ...]] = ("id",)

    def __init__(self, config: ConfigT) -> None:
        self.config = config

    @abstractmethod
    def decide(self, batches: Iterable[pa.Table]) -> dict[str, tuple[Verdict, str | None]]:
        """Document id → (verdict, detail) for every document this stage removes.

        ``batches`` streams the source's kept documents (only ``columns``) in id order
        within each part, parts in plan order, so a decision can be deterministic.
        """


@dataclass(frozen=True)
class PartSpec:
    """One unit of input work (typically one file): the grain of parallelism and of resume."""

    source: str
    part_id: str
    uri: str
    options: dict[str, object] = field(default_factory=dict)


class SourceReader(ABC, Generic[ConfigT]):
    """Turns input files into document batches.

    Every input record becomes exactly one row: kept rows have ``Verdict`` None,
    records the source rejects (not a document, unreadable) carry their verdict.
    """

    kind: ClassVar[str]
    config_model: ClassVar[type[StageConfig]]

    def __init__(self, source_name: str, config: ConfigT) -> None:
        self.source_name = source_name
        self.config = config

    def parts(self, uris: Sequence[str]) -> list[PartSpec]:
        """One part per input file; sources with finer grains override this."""
        return [PartSpec(self.source_name, part_id_for(uri), uri) for uri in uris]

    @abstractmethod
    def read(self, part: PartSpec, batch_size: int, limit: int | None) -> Iterator[StageResult]: ...


Row = dict[str, object]


def batched_results(
    rows: Iterable[tuple[Row, Verdict | None]], batch_size: int, limit: int | None, extra: pa.Schema | None = None
) -> Iterator[StageResult]:
    """Group a reader's (row, verdict) pairs into batches of ``batch_size``, stopping after ``limit`` rows."""
    batch: list[Row] = []
    verdicts: list[Verdict | None] = []
    for count, (row, verdict) in enumerate(rows):
        if limit is not None and count >= limit:
            break
        batch.append(row)
        verdicts.append(verdict)
        if len(batch) >= batch_size:
            yield StageResult(build_batch(batch, extra), verdicts)
            batch, verdicts = [], []
    if batch:
        yield StageResult(build_batch(batch, extra), verdicts)


def part_id_for(uri: str) -> str:
    """A readable, filesystem-safe and collision-resistant part id for an input URI."""
    base = uri.rstrip("/").rsplit("/", 1)[-1]
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in base)[:80]
    return f"{safe}-{hashlib.sha1(uri.encode()).hexdigest()[:8]}"


def meta_json(fields: dict[str, object]) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)


def build_batch(rows: list[dict[str, object]], extra: pa.Schema | None = None) -> pa.Table:
    """A batch with the core columns plus ``extra`` columns, from row dicts (missing keys are null)."""
    schema = CORE_SCHEMA if extra is None else pa.unify_schemas([CORE_SCHEMA, extra])
    return pa.Table.from_pylist(rows, schema=schema)
