"""Imports every built-in source and stage so that they register themselves."""

from stages import (  # noqa: F401
    book_dedup,
    dedup_exact,
    extract,
    langid,
    perplexity,
    pii,
    quality,
    quality_classifier,
)
from stages.dedup import lines, near  # noqa: F401
from stages.sources import arxiv, books, common_crawl, github, wikipedia  # noqa: F401
