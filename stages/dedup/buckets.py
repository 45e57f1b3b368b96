"""LSH bucketing as a partitioned group-by on (band, band key).

Each batch's band keys are split by ``key % partitions`` and spilled to one file per
(partition, batch) in a work folder: that is the shuffle. Each partition is then reduced
on its own (a task, on Ray or here): sort by (band, key), and every run of equal keys (a
bucket of two or more documents) gives candidate edges from its smallest document to each
of the others. No process ever holds more than one partition's keys, and a bucket's edges
are a star, so the edges are at most one per document and band, never all pairs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

KEY_DTYPE = np.dtype([("band", np.uint16), ("key", np.uint64), ("doc", np.int64)])


def spill_band_keys(folder: Path, batch_name: str, first_doc: int, keys: np.ndarray, partitions: int) -> None:
    """Write a batch's (documents, bands) key matrix into its partitions; rows are documents from ``first_doc`` on.

    Rows whose keys are all zero (documents without shingles) are left out: they are no one's duplicate.
    """
    bands = keys.shape[1]
    live = ~np.all(keys == 0, axis=1)
    records = np.empty(int(live.sum()) * bands, KEY_DTYPE)
    records["band"] = np.tile(np.arange(bands, dtype=np.uint16), int(live.sum()))
    records["key"] = keys[live].reshape(-1)
    records["doc"] = np.repeat(np.flatnonzero(live) + first_doc, bands)
    owner = records["key"] % np.uint64(partitions)
    for partition in range(partitions):
        chunk = records[owner == partition]
        path = folder / f"p{partition:04d}" / f"{batch_name}.npy"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, chunk)
        tmp.replace(path)


def partition_edges(folder: str) -> np.ndarray:
    """(edges, 2) int64 candidate pairs (smaller doc first), unique, from one partition's spilled keys."""
    files = sorted(Path(folder).glob("*.npy"))
    parts = [np.load(path) for path in files if not path.name.endswith(".tmp.npy")]
    if not parts:
        return np.zeros((0, 2), np.int64)
    records = np.concatenate(parts)
    if len(records) < 2:
        return np.zeros((0, 2), np.int64)
    order = np.lexsort((records["doc"], records["key"], records["band"]))
    records = records[order]
    same = (records["band"][1:] == records["band"][:-1]) & (records["key"][1:] == records["key"][:-1])
    starts = np.concatenate([[True], ~same])
    run_id = np.cumsum(starts) - 1
    first_of_run = np.flatnonzero(starts)
    head = records["doc"][first_of_run][run_id]
    mask = ~starts  # every member of a bucket but its smallest document
    edges = np.stack([head[mask], records["doc"][mask]], axis=1)
    edges = edges[edges[:, 0] != edges[:, 1]]  # a document listed twice (persisted state) is not a pair
    return np.unique(edges, axis=0) if len(edges) else np.zeros((0, 2), np.int64)


def partition_folders(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.glob("p*")) if p.is_dir()]
