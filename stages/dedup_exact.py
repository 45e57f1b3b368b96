"""Exact deduplication within a source: one copy of each normalised text survives."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

import pyarrow as pa
from pydantic import Field

from stages.base import GlobalStage, StageConfig, Verdict
from stages.dedup.audit import AlarmConfig, stage_audit
from stages.dedup.decision import DedupDecision, preview
from stages.dedup.index import cluster_id
from stages.registry import register_stage


class ExactDedupConfig(StageConfig):
    normalize: Literal["none", "whitespace", "lowercase_whitespace"] = Field(
        default="whitespace",
        description="What two texts may differ in and still be duplicates. Code: 'whitespace' keeps case.",
    )
    alarms: AlarmConfig = AlarmConfig()


def normalized(text: str, mode: str) -> str:
    if mode == "none":
        return text
    collapsed = " ".join(text.split())
    return collapsed.lower() if mode == "lowercase_whitespace" else collapsed


@register_stage
class ExactDedup(GlobalStage[ExactDedupConfig]):
    """Keeps the copy with the smallest id (source priority and quality come with ``cross_source_dedup``)."""

    name = "exact_dedup"
    config_model = ExactDedupConfig
    columns = ("id", "source", "text")

    def __init__(self, config: ExactDedupConfig) -> None:
        super().__init__(config)
        self._audit: dict[str, Any] = {}

    def decide(self, batches: Iterable[pa.Table]) -> dict[str, DedupDecision]:
        survivors: dict[bytes, tuple[str, str]] = {}
        duplicates: dict[str, tuple[bytes, str]] = {}
        seen: Counter[str] = Counter()
        for batch in batches:
            sources = batch.column("source").to_pylist() if "source" in batch.column_names else [None] * len(batch)
            texts = batch.column("text").to_pylist()
            for doc_id, source, text in zip(batch.column("id").to_pylist(), sources, texts, strict=True):
                seen[source] += 1
                digest = hashlib.sha1(normalized(text or "", self.config.normalize).encode()).digest()
                holder = survivors.get(digest)
                if holder is None:
                    survivors[digest] = (doc_id, preview(text))
                elif doc_id < holder[0]:
                    duplicates[holder[0]] = (digest, holder[1])
                    survivors[digest] = (doc_id, preview(text))
                else:
                    duplicates[doc_id] = (digest, preview(text))
        decisions = {}
        for doc_id, (digest, text_preview) in duplicates.items():
            survivor, survivor_preview = survivors[digest]
            source = next(iter(seen)) if len(seen) == 1 else None
            decisions[doc_id] = DedupDecision(
                Verdict.drop("exact_duplicate"),
                cluster=cluster_id(survivor),
                survivor=survivor,
                survivor_source=source,
                source=source,
                preview=text_preview,
                survivor_preview=survivor_preview,
            )
        sizes = Counter(d.cluster for d in decisions.values())
        removed = Counter(d.source for d in decisions.values())
        params = {"threshold": None, "num_perm": None, "bands": None, "rows": None}
        self._audit = stage_audit(
            ["exact"], params, seen, removed, {c: n + 1 for c, n in sizes.items()}, self.config.alarms
        )
        return decisions

    def audit(self) -> dict[str, Any]:
        return self._audit
