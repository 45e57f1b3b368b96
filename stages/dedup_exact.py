"""Exact deduplication within a source: one copy of each normalised text survives."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Literal

import pyarrow as pa
from pydantic import Field

from stages.base import GlobalStage, StageConfig, Verdict
from stages.registry import register_stage


class ExactDedupConfig(StageConfig):
    normalize: Literal["none", "whitespace", "lowercase_whitespace"] = Field(
        default="whitespace",
        description="What two texts may differ in and still be duplicates. Code: 'whitespace' keeps case.",
    )


def normalized(text: str, mode: str) -> str:
    if mode == "none":
        return text
    collapsed = " ".join(text.split())
    return collapsed.lower() if mode == "lowercase_whitespace" else collapsed


@register_stage
class ExactDedup(GlobalStage[ExactDedupConfig]):
    """Keeps the copy with the smallest id (a deterministic rule; quality-aware survivors come with MinHash)."""

    name = "exact_dedup"
    config_model = ExactDedupConfig
    columns = ("id", "text")

    def decide(self, batches: Iterable[pa.Table]) -> dict[str, tuple[Verdict, str | None]]:
        survivors: dict[bytes, str] = {}
        duplicates: dict[str, bytes] = {}
        for batch in batches:
            for doc_id, text in zip(batch.column("id").to_pylist(), batch.column("text").to_pylist(), strict=True):
                digest = hashlib.sha1(normalized(text or "", self.config.normalize).encode()).digest()
                holder = survivors.get(digest)
                if holder is None:
                    survivors[digest] = doc_id
                elif doc_id < holder:
                    duplicates[holder] = digest
                    survivors[digest] = doc_id
                else:
                    duplicates[doc_id] = digest
        return {doc_id: (Verdict.drop("exact_duplicate"), survivors[digest]) for doc_id, digest in duplicates.items()}
