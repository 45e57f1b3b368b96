"""Imports every built-in source and stage so that they register themselves."""

from stages import book_dedup, dedup_exact, extract, langid, pii, quality  # noqa: F401
from stages.dedup import lines, near  # noqa: F401
from stages.sources import arxiv, books, common_crawl, github, wikipedia  # noqa: F401
