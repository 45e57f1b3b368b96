"""LLaMA's book-level near-dedup: drop a book whose content overlaps another's by more than 90%."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
from pydantic import Field

from filters.book_overlap import NEAR_DUPLICATE_THRESHOLD, near_duplicate_books
from stages.base import GlobalStage, StageConfig, Verdict
from stages.registry import register_stage


class BookDedupConfig(StageConfig):
    max_overlap: float = Field(
        default=NEAR_DUPLICATE_THRESHOLD, gt=0, le=1, description="Word 5-shingle Jaccard above which books are copies."
    )


@register_stage
class BookDedup(GlobalStage[BookDedupConfig]):
    """Overlap and survivor rule (longer body, then smaller id) live in ``filters.book_overlap``."""

    name = "book_dedup"
    config_model = BookDedupConfig
    columns = ("id", "text")

    def decide(self, batches: Iterable[pa.Table]) -> dict[str, tuple[Verdict, str | None]]:
        books: dict[str, str] = {}
        for batch in batches:
            books.update(zip(batch.column("id").to_pylist(), batch.column("text").to_pylist(), strict=True))
        duplicates = near_duplicate_books(books, threshold=self.config.max_overlap)
        return {dropped: (Verdict.drop("near_duplicate_book"), kept) for dropped, kept in duplicates.items()}
