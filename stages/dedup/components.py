"""Connected components of the candidate graph: a streaming union-find over document numbers.

The graph never sits in memory: edges arrive one bucket partition at a time, and the only
state is the ``parent`` array (8 bytes per document). Each edge batch is merged with
vectorised steps: find the current roots of both ends (pointer jumping), label the batch's
root graph by min-label propagation (each round every edge pulls both ends down to the
smaller label, then labels jump to their label's label), point every root at its
component's smallest root, then compress all paths. Memory is O(documents + one
partition's edges): about 8 MB per million documents for the parent array, so the limit
is the driver's memory for that array (8 GB per billion documents), not the number of pairs.
"""

from __future__ import annotations

import numpy as np


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
        nodes, inverse = np.unique(np.concatenate([left[joined], right[joined]]), return_inverse=True)
        u, v = inverse[: joined.sum()], inverse[joined.sum() :]
        label = np.arange(len(nodes))  # nodes are sorted, so the smallest label is the smallest root
        while True:
            low = np.minimum(label[u], label[v])
            before = label.copy()
            np.minimum.at(label, u, low)
            np.minimum.at(label, v, low)
            label = label[label]
            if np.array_equal(label, before):
                break
        self.parent[nodes] = nodes[label]  # nodes are roots, so this only re-points roots
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
