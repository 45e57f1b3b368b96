"""Book-level near-duplicate measure and decision rule (LLaMA 2.1, Books).

LLaMA: "we perform deduplication at the book level, removing books with more than 90%
content overlap." The paper does not define "content overlap". We measure it as the
Jaccard similarity of hashed word 5-shingles: on the real Project Gutenberg pairs in
shared/data/books (docs/sources.md), Jaccard puts every copy of the same edition above
0.9 and every different edition below it, while containment (|A∩B| / min(|A|, |B|))
puts two different editions of Pride and Prejudice (0.955) and of Alice (0.920) above
0.9 too, because a shorter edition is mostly contained in a longer one.

Scaling: comparing every pair exactly costs O(n²·s) for n books of s shingles. Here
MinHash signatures (128 permutations, O(n·s) to build) go through LSH banding (16 bands
of 8 rows) to propose candidate pairs in O(n) expected time; only candidates get the
exact Jaccard. A pair at Jaccard 0.9 becomes a candidate with probability
1 - (1 - 0.9⁸)¹⁶ > 0.9999; a pair at 0.5 only with probability 0.06.

This module is a pure library: the cross-document dedup stage (a later issue) calls it.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from itertools import combinations
from typing import Any

import numpy as np
import regex
import xxhash

from filters.text import UNSPACED_SCRIPTS

SHINGLE_WORDS = 5
NEAR_DUPLICATE_THRESHOLD = 0.9  # LLaMA: "more than 90% content overlap"
NUM_PERMUTATIONS = 128
LSH_BANDS = 16  # 16 bands x 8 rows: the candidate S-curve rises around Jaccard (1/16)^(1/8) = 0.71
MINHASH_SEED = 1342

# Scripts written without spaces between words: one character = one token, so that a
# Chinese book gives shingles of characters instead of one giant "word" per sentence.
# Elsewhere a token is a run of word characters, so "Alice’s" and "Alice's" both give
# "alice", "s": curly and straight apostrophes of two transcriptions do not differ.
_TOKEN = regex.compile(rf"[{UNSPACED_SCRIPTS}]|[\w--[{UNSPACED_SCRIPTS}]]+", regex.V1)
_MASK_32 = np.uint64(0xFFFFFFFF)
_PERMUTATIONS_PER_STEP = 16

BookRank = Callable[[str, str], Any]


def shingle_tokens(text: str) -> list[str]:
    """The words a book is compared on: NFKC, lowercased, runs of word characters."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def book_shingles(text: str, n: int = SHINGLE_WORDS) -> set[int]:
    """Hashed word n-shingles (64-bit xxhash of the space-joined words) of ``text``.

    A text shorter than ``n`` words has no shingles.
    """
    tokens = shingle_tokens(text)
    return {xxhash.xxh64_intdigest(" ".join(tokens[i : i + n])) for i in range(len(tokens) - n + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    """|A∩B| / |A∪B|; 0.0 when both are empty (nothing to compare is not a duplicate)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def containment(a: set[int], b: set[int]) -> float:
    """|A∩B| / min(|A|, |B|): how much of the smaller book lies inside the larger one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def overlap(a: set[int], b: set[int]) -> float:
    """The "content overlap" of the LLaMA rule: Jaccard (see the module docstring for why)."""
    return jaccard(a, b)


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    multipliers = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)  # odd
    offsets = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return multipliers, offsets


def minhash_signature(
    shingles: Iterable[int], num_perm: int = NUM_PERMUTATIONS, seed: int = MINHASH_SEED
) -> np.ndarray:
    """MinHash signature: per permutation, the minimum of a multiply-shift hash of every shingle.

    ``h(x) = ((a·x + b) mod 2⁶⁴) >> 32`` with odd ``a`` is a 2-universal family (Dietzfelbinger),
    enough for MinHash to estimate Jaccard. An empty set gives all-ones (matches only itself).
    """
    values = np.fromiter(shingles, dtype=np.uint64)
    multipliers, offsets = _permutations(num_perm, seed)
    if values.size == 0:
        return np.full(num_perm, _MASK_32, dtype=np.uint64)
    signature = np.empty(num_perm, dtype=np.uint64)
    for start in range(0, num_perm, _PERMUTATIONS_PER_STEP):  # bounded memory: 16 x shingles at a time
        step = slice(start, start + _PERMUTATIONS_PER_STEP)
        with np.errstate(over="ignore"):  # wrap-around is the point of multiply-shift hashing
            hashed = (values[None, :] * multipliers[step, None] + offsets[step, None]) >> np.uint64(32)
        signature[step] = hashed.min(axis=1)
    return signature


def candidate_pairs(signatures: Mapping[str, np.ndarray], bands: int = LSH_BANDS) -> set[tuple[str, str]]:
    """Pairs of ids whose signatures agree on every row of at least one band (LSH banding)."""
    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    for book_id, signature in signatures.items():
        for band, rows in enumerate(np.array_split(signature, bands)):
            buckets[(band, rows.tobytes())].append(book_id)
    pairs: set[tuple[str, str]] = set()
    for ids in buckets.values():
        pairs.update((min(a, b), max(a, b)) for a, b in combinations(ids, 2))
    return pairs


def longer_body_first(book_id: str, text: str) -> tuple[int, str]:
    """Survivor rule: keep the longer body (it holds what the shorter copy has plus prefaces,
    notes or restored passages), then the smaller id, so that the choice never depends on order."""
    return (-len(text), book_id)


def near_duplicates(
    shingles: Mapping[str, set[int]], rank: Mapping[str, Any], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> dict[str, str]:
    """Dropped id → kept id for books whose overlap with a better kept book is above ``threshold``.

    Greedy, best rank first: a book is dropped when it overlaps a book already kept by more
    than ``threshold``, so every dropped book points to a kept one it really duplicates and no
    two kept books are near-duplicates (chains A~B~C with A≁C keep A and C), up to the LSH miss
    probability. Books without shingles (under 5 words) are never candidates: they would all share
    one signature and one bucket.
    """
    signatures = {book_id: minhash_signature(values) for book_id, values in shingles.items() if values}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in candidate_pairs(signatures):
        neighbours[a].add(b)
        neighbours[b].add(a)
    dropped: dict[str, str] = {}
    kept: set[str] = set()
    for book_id in sorted(shingles, key=lambda i: rank[i]):
        better_copies = sorted((k for k in neighbours[book_id] if k in kept), key=lambda k: rank[k])
        match = next((k for k in better_copies if overlap(shingles[book_id], shingles[k]) > threshold), None)
        if match is None:
            kept.add(book_id)
        else:
            dropped[book_id] = match
    return dropped


def near_duplicate_books(
    books: Mapping[str, str], threshold: float = NEAR_DUPLICATE_THRESHOLD, better: BookRank = longer_body_first
) -> dict[str, str]:
    """LLaMA's book dedup on cleaned bodies: dropped id → the kept id it duplicates.

    ``better(id, text)`` is a sort key: the lowest key of a near-duplicate group survives.
    """
    shingles = {book_id: book_shingles(text) for book_id, text in books.items()}
    rank = {book_id: better(book_id, text) for book_id, text in books.items()}
    return near_duplicates(shingles, rank, threshold)
