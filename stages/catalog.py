"""Imports every built-in source and stage so that they register themselves."""

from stages import extract  # noqa: F401
from stages.sources import common_crawl  # noqa: F401
