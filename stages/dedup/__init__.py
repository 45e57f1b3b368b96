"""Deduplication: exact, line-level (CCNet) and MinHash-LSH near-duplicates, within or across sources.

- ``text``: normalisation, word n-gram shingles, line hashes (vectorised per batch)
- ``minhash``: signatures (rensa or datasketch), LSH bands and rows, band keys
- ``buckets``: the partitioned group-by on (band, key) that yields candidate edges
- ``components``: streaming union-find over the candidate edges
- ``survivors``: source priority, then quality, then id
- ``index``: ``DedupIndex``, the engine that ties these together
- ``near``: the ``minhash_dedup`` and ``cross_source_dedup`` stages
- ``lines``: the ``lines_dedup`` stage
- ``state``: persistence for incremental runs (``DedupState``, ``deduplicate_against``)
- ``audit``: cluster sizes, largest clusters, removal per source, alarms
"""
