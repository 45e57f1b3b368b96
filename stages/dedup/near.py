"""The clustering dedup stages: ``minhash_dedup`` within a source, ``cross_source_dedup`` across sources.

Both run exact and/or MinHash-LSH near-duplicate detection through ``DedupIndex`` and keep
one survivor per cluster: by source priority, then a quality column, then the smallest id.
Every removed document records its cluster id and its survivor's id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
import pyarrow as pa
from pydantic import Field, field_validator, model_validator

from stages.base import GlobalStage, StageConfig, Verdict
from stages.dedup.audit import AlarmConfig, stage_audit
from stages.dedup.decision import DedupDecision, preview
from stages.dedup.index import NORMALIZE, DedupIndex, MinHashConfig, Resolution, cluster_id
from stages.dedup.state import DedupState
from stages.dedup.tasks import LocalTasks, TaskMap
from stages.registry import register_stage


class MinHashDedupConfig(MinHashConfig):
    exact: NORMALIZE | None = Field(
        default="whitespace", description="Also remove exact copies of the normalised text (null: MinHash only)."
    )
    quality_column: str | None = Field(default=None, description="Numeric column that picks the survivor.")
    quality_higher_is_better: bool = True
    partitions: int = Field(default=16, gt=0, le=4096, description="Hash partitions of the bucketing shuffle.")
    alarms: AlarmConfig = AlarmConfig()


class CrossSourceDedupConfig(StageConfig):
    """The manifest's top-level ``dedup`` section."""

    exact: NORMALIZE | None = Field(default="whitespace", description="Exact copies of the normalised text.")
    minhash: MinHashConfig | None = Field(default_factory=MinHashConfig, description="null: exact only.")
    priority: list[str] = Field(
        default_factory=list, description="Survivor sources, best first; unlisted sources follow by name."
    )
    sources: list[str] | None = Field(default=None, description="Sources taking part; null: all of them.")
    quality_column: str | None = None
    quality_higher_is_better: bool = True
    partitions: int = Field(default=16, gt=0, le=4096)
    alarms: AlarmConfig = AlarmConfig()
    state: str | list[str] | None = Field(
        default=None,
        description="Earlier accepted documents to dedup against: a previous run's dedup/state.parquet, or a list of "
        "state segments (one per earlier nightly batch).",
    )
    save_state: Literal["all", "new"] = Field(
        default="all",
        description="dedup/state.parquet holds every accepted document (all), or only this run's (new: a segment "
        "that later runs list beside the earlier ones, so no run copies the whole state).",
    )

    @field_validator("exact", mode="before")
    @classmethod
    def _exact_switch(cls, value: object) -> object:
        """``exact: true`` means the default normalisation, ``false`` turns exact dedup off."""
        if value is True:
            return "whitespace"
        return None if value is False else value

    @model_validator(mode="after")
    def _something_to_do(self) -> CrossSourceDedupConfig:
        if self.exact is None and self.minhash is None:
            raise ValueError("exact and minhash are both off: nothing to deduplicate")
        return self


class _ClusterDedup(GlobalStage):
    scope: ClassVar[str] = "source"

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        self.columns = ("id", "source", "text", *([config.quality_column] if config.quality_column else []))
        self.workdir: Path | None = None
        self.outputs: Path | None = None
        self.tasks: TaskMap = LocalTasks()
        self._audit: dict[str, Any] = {}

    # The engine calls this before ``decide``: a scratch folder, where run outputs go, and a task runner.
    def prepare(self, workdir: Path, tasks: TaskMap, outputs: Path | None = None) -> None:
        self.workdir, self.tasks, self.outputs = workdir, tasks, outputs

    def _settings(self) -> tuple[str | None, MinHashConfig | None, list[str]]:
        raise NotImplementedError

    def _state(self) -> DedupState | None:
        return None

    def decide(self, batches: Iterable[pa.Table]) -> dict[str, DedupDecision]:
        if iter(batches) is batches:  # a one-shot stream: verify and previews read the documents again
            batches = list(batches)
        exact, minhash, priority = self._settings()
        workdir = self.workdir or Path(".curate-dedup-work")
        index = DedupIndex(workdir, exact, minhash, self.config.partitions, self.tasks)
        state = self._state()
        if state is not None:
            state.add_to(index)
        index.add_batches(batches, self.config.quality_column)
        resolution = index.resolve(priority, self.config.quality_higher_is_better, texts_again=lambda: batches)
        if state is not None and self.outputs is not None:
            keep_previous = getattr(self.config, "save_state", "all") == "all"
            state.updated(index, resolution, keep_previous).save(self.outputs / "state.parquet")
        decisions = self._decisions(index, resolution, batches)
        self._audit = self._summary(index, resolution, exact, minhash)
        return decisions

    def audit(self) -> dict[str, Any]:
        return self._audit

    def _decisions(self, index: DedupIndex, resolution: Resolution, batches: Iterable[pa.Table]) -> dict[str, Any]:
        wanted = {index.ids[r.doc] for r in resolution.removals} | {index.ids[r.survivor] for r in resolution.removals}
        previews: dict[str, str] = {}
        for batch in batches:
            for doc_id, text in zip(batch.column("id").to_pylist(), batch.column("text").to_pylist(), strict=True):
                if doc_id in wanted:
                    previews[doc_id] = preview(text)
        decisions = {}
        for removal in resolution.removals:
            doc_id, survivor = index.ids[removal.doc], index.ids[removal.survivor]
            decisions[doc_id] = DedupDecision(
                Verdict.drop(removal.reason),
                cluster=removal.cluster,
                survivor=survivor,
                survivor_source=index.sources[removal.survivor],
                source=index.sources[removal.doc],
                preview=previews.get(doc_id),
                survivor_preview=previews.get(survivor),  # None for a document of an earlier run
            )
        return decisions

    def _summary(
        self, index: DedupIndex, resolution: Resolution, exact: str | None, minhash: MinHashConfig | None
    ) -> dict[str, Any]:
        previous = np.asarray(index.previous, bool)
        in_by_source = Counter(s for s, old in zip(index.sources, previous, strict=True) if not old)
        removed_by_source = Counter(index.sources[r.doc] for r in resolution.removals)
        members = Counter(r.survivor for r in resolution.removals)
        sizes = {cluster_id(index.ids[s]): n + 1 for s, n in members.items()}
        methods = [*(["exact"] if exact else []), *(["minhash"] if minhash is not None else [])]
        params: dict[str, Any] = {"threshold": None, "num_perm": None, "bands": None, "rows": None}
        if minhash is not None:
            bands, rows = minhash.lsh
            params = {"threshold": minhash.threshold, "num_perm": minhash.num_perm, "bands": bands, "rows": rows,
                      "ngram": minhash.ngram, "engine": minhash.engine, "verify": minhash.verify}  # fmt: skip
        extra = {
            "candidate_edges": resolution.candidate_edges,
            "rejected_by_verify": resolution.verified_out,
            "kept_as_too_far_from_survivor": resolution.survivor_checked_out,
            "previous_documents": int(previous.sum()),
            "removed_by_reason": dict(Counter(r.reason for r in resolution.removals)),
        }
        return stage_audit(methods, params, in_by_source, removed_by_source, sizes, self.config.alarms, extra)


@register_stage
class MinHashDedup(_ClusterDedup):
    """Near-duplicates within one source (plus exact copies unless ``exact: null``)."""

    name = "minhash_dedup"
    config_model = MinHashDedupConfig
    config: MinHashDedupConfig

    def _settings(self) -> tuple[str | None, MinHashConfig | None, list[str]]:
        fields = set(MinHashConfig.model_fields)
        minhash = MinHashConfig(**{k: v for k, v in self.config.model_dump().items() if k in fields})
        return self.config.exact, minhash, []


@register_stage
class CrossSourceDedup(_ClusterDedup):
    """The manifest's ``dedup`` section: one clustering over several sources, survivors by source priority."""

    name = "cross_source_dedup"
    config_model = CrossSourceDedupConfig
    config: CrossSourceDedupConfig
    scope: ClassVar[str] = "run"

    def _settings(self) -> tuple[str | None, MinHashConfig | None, list[str]]:
        return self.config.exact, self.config.minhash, list(self.config.priority)

    def _state(self) -> DedupState | None:
        return DedupState.load_or_empty(self.config.state, self.config.exact, self.config.minhash)
