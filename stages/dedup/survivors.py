"""One survivor per cluster: source priority, then a quality column, then the smallest id."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def survivor_order(
    sources: Sequence[str],
    ids: Sequence[str],
    priority: Sequence[str],
    quality: np.ndarray | None = None,
    higher_is_better: bool = True,
    previous: np.ndarray | None = None,
) -> np.ndarray:
    """A rank per document (0 = the best survivor) that orders every cluster the same way.

    Documents accepted by an earlier run (``previous``) come first: they are already in the
    corpus. Then sources in ``priority`` order (unlisted sources after, by name), then the
    quality column (missing values last), then the id, so the choice is deterministic.
    """
    count = len(ids)
    listed = {name: rank for rank, name in enumerate(priority)}
    unlisted = sorted(set(sources) - set(listed))
    listed.update({name: len(priority) + rank for rank, name in enumerate(unlisted)})
    source_rank = np.fromiter((listed[s] for s in sources), np.int64, count)
    if quality is None:
        quality_key = np.zeros(count)
    else:
        quality_key = np.where(np.isnan(quality), np.inf, -quality if higher_is_better else quality)
    id_rank = np.argsort(np.argsort(np.asarray(ids, dtype=object), kind="stable"), kind="stable")
    earlier = np.zeros(count, bool) if previous is None else previous
    order = np.lexsort((id_rank, quality_key, source_rank, ~earlier))
    ranks = np.empty(count, np.int64)
    ranks[order] = np.arange(count)
    return ranks


def survivors_of(labels: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """For every document, the document number of its cluster's survivor (itself when alone)."""
    best = np.full(len(labels), np.iinfo(np.int64).max, np.int64)
    np.minimum.at(best, labels, ranks)
    by_rank = np.argsort(ranks)
    return by_rank[best[labels]]
