"""MinHash signatures and LSH band keys.

Two signature engines over the same shingle hashes: ``rensa`` (Rust, the default) and
``datasketch`` (the reference implementation). They use different permutations, so their
signatures differ bit for bit; ``bench/dedup_quality.py`` shows they give equal precision and
recall on the planted set, and ``bench/dedup_speed.py`` how much faster rensa is.

Bands and rows come from the Jaccard threshold through datasketch's optimisation (the pair
(b, r) with b * r <= num_perm that minimises the equally weighted false-positive and
false-negative areas under the S-curve 1 - (1 - s^r)^b). datasketch weighs both areas
equally, which for 0.8 and 128 permutations gives 9 x 13 and finds only 69% of the pairs
at Jaccard 0.85; our default weighs false negatives 0.9 (14 x 9: 97.5% at 0.85) and lets
the optional true-Jaccard check remove the extra candidates (docs/quality.md).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np

from stages.dedup.text import Shingles, mix64

Engine = Literal["rensa", "datasketch"]


@lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int, false_negative_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) for a Jaccard threshold: datasketch's ``_optimal_param`` (its ``MinHashLSH`` uses weight 0.5).

    The same search and the same integrals, vectorised with numpy (Simpson's rule on a fine grid)
    so a run does not pay for importing scipy.integrate; tests check it against datasketch.
    """
    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], np.float64)
    bands, rows = pairs[:, :1], pairs[:, 1:]
    below = np.linspace(0.0, threshold, 2001)
    above = np.linspace(threshold, 1.0, 2001)
    false_positive = _simpson(1 - (1 - below**rows) ** bands, below)
    false_negative = _simpson((1 - above**rows) ** bands, above)
    error = false_positive * (1 - false_negative_weight) + false_negative * false_negative_weight
    best = int(np.argmin(error))  # the first minimum, as datasketch's strict "<" keeps
    return int(pairs[best, 0]), int(pairs[best, 1])


def _simpson(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    step = grid[1] - grid[0]
    weights = np.ones(len(grid))
    weights[1:-1:2], weights[2:-1:2] = 4, 2
    return values @ weights * step / 3


def detection_probability(similarity: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """The S-curve: chance that two documents of Jaccard ``similarity`` share at least one band."""
    return 1.0 - (1.0 - np.power(similarity, rows)) ** bands


def signatures(shingles: Shingles, num_perm: int, seed: int, engine: Engine = "rensa") -> np.ndarray:
    """(documents, num_perm) uint32 MinHash signatures; rows of documents without shingles are all 0xFFFFFFFF."""
    rows = len(shingles.offsets) - 1
    if rows == 0:
        return np.zeros((0, num_perm), np.uint32)
    if engine == "rensa":
        from rensa import RMinHash

        matrix = RMinHash.digest_matrix_from_flat_token_hashes(
            shingles.hashes, shingles.offsets.astype(np.uint64), num_perm, seed
        )
        out = np.array(matrix.to_rows(), dtype=np.uint32).reshape(rows, num_perm)
    elif engine == "datasketch":
        out = _datasketch_signatures(shingles, num_perm, seed)
    else:
        raise ValueError(f"unknown MinHash engine {engine!r}; use 'rensa' or 'datasketch'")
    out[shingles.counts == 0] = np.uint32(0xFFFFFFFF)
    return out


def _identity(value: int) -> int:
    return value


def _datasketch_signatures(shingles: Shingles, num_perm: int, seed: int) -> np.ndarray:
    from datasketch import MinHash

    template = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity)
    out = np.empty((len(shingles.offsets) - 1, num_perm), np.uint32)
    low = (shingles.hashes & np.uint64(0xFFFFFFFF)).tolist()  # datasketch hashes to 32 bits
    for row in range(len(out)):
        sketch = MinHash(
            num_perm=num_perm, seed=seed, hashfunc=_identity, permutations=template.permutations, scheme=template.scheme
        )
        sketch.update_batch(low[shingles.offsets[row] : shingles.offsets[row + 1]])
        out[row] = sketch.hashvalues.astype(np.uint32)
    return out


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(documents, bands) uint64: one hash per band of ``rows`` signature values (the LSH bucket key)."""
    keys = np.empty((len(sigs), bands), np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            value = np.full(len(sigs), np.uint64(band + 1) * np.uint64(0x9E3779B97F4A7C15), np.uint64)
            for column in sigs[:, band * rows : (band + 1) * rows].T:
                value = mix64(value ^ column.astype(np.uint64))
            keys[:, band] = value
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))
