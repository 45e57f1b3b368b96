"""Connected components of the candidate graph: a streaming union-find over document numbers.

The graph never sits in memory: edges arrive one bucket partition at a time, and the only
state is the ``parent`` array (8 bytes per document). Each edge batch is merged with
vectorised steps: find the current roots of both ends (pointer jumping), take the
components of the batch's root graph (scipy), point every root at its component's smallest
root, then compress all paths. Memory is O(documents + one partition's edges); on one
machine that is about 8 MB per million documents, so the limit is the driver's memory for
the parent array (8 GB per billion documents), not the number of pairs.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = np.arange(size, dtype=np.int64)

    def roots(self, nodes: np.ndarray) -> np.ndarray:
        found = self.parent[nodes]
        while True:
            up = self.parent[found]
            if np.array_equal(up, found):
                return found
            found = up

    def union_edges(self, edges: np.ndarray) -> None:
        """Join the two ends of every (a, b) row."""
        if len(edges) == 0:
            return
        left, right = self.roots(edges[:, 0]), self.roots(edges[:, 1])
        joined = left != right
        if not joined.any():
            return
        left, right = left[joined], right[joined]
        nodes, inverse = np.unique(np.concatenate([left, right]), return_inverse=True)
        count = len(nodes)
        graph = coo_matrix((np.ones(len(left), np.int8), (inverse[: len(left)], inverse[len(left) :])), (count, count))
        _, labels = connected_components(graph, directed=False)
        smallest = np.full(labels.max() + 1, np.iinfo(np.int64).max, np.int64)
        np.minimum.at(smallest, labels, nodes)
        self.parent[nodes] = smallest[labels]  # nodes are roots, so this only re-points roots
        self.compress()

    def compress(self) -> None:
        while True:
            up = self.parent[self.parent]
            if np.array_equal(up, self.parent):
                return
            self.parent = up

    def labels(self) -> np.ndarray:
        """Component of every document: the smallest document number in it."""
        self.compress()
        return self.parent.copy()
