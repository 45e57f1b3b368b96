"""The deduplication engine shared by the per-source and cross-source stages, the benchmarks and
incremental runs.

Phases, as on a cluster:

1. **map** (``spill_batch_keys``, run as tasks): normalised-text hash and MinHash band keys per
   document (``batch_keys``).
2. **shuffle**: the same task writes its keys into hash partitions on disk
   (``buckets.spill_band_keys``); on a cluster the work folder must be on storage every node
   sees, as the run directory already is.
3. **reduce**: each partition becomes candidate edges (``buckets.partition_edges``, as tasks);
   optionally each edge is verified with the true Jaccard of the two shingle sets.
4. **components**: edges stream into a union-find (``components.UnionFind``); one survivor per
   cluster (``survivors``).

Exact duplicates use the same machinery with one "band" (the text hash), so exact and near
duplicates share one clustering and one survivor rule.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, model_validator

from stages.base import StageConfig
from stages.dedup.buckets import partition_edges, partition_folders, spill_band_keys
from stages.dedup.components import UnionFind
from stages.dedup.minhash import band_keys, lsh_params, signatures
from stages.dedup.survivors import survivor_order, survivors_of
from stages.dedup.tasks import LocalTasks, TaskMap
from stages.dedup.text import hash_strings, jaccard, word_shingles

NORMALIZE = Literal["none", "whitespace", "lowercase_whitespace"]


class MinHashConfig(StageConfig):
    threshold: float = Field(default=0.8, gt=0, lt=1, description="Jaccard similarity of near-duplicates.")
    num_perm: int = Field(default=128, ge=16, le=1024, description="MinHash permutations.")
    ngram: int = Field(default=5, ge=1, le=32, description="Words per shingle.")
    seed: int = Field(default=1, description="MinHash permutation seed (persisted state must use the same).")
    engine: Literal["rensa", "datasketch"] = Field(default="rensa", description="Signature implementation.")
    verify: bool = Field(default=True, description="Join a candidate pair only if its true shingle Jaccard passes.")
    false_negative_weight: float = Field(
        default=0.9, gt=0, lt=1, description="Weight of missed pairs against extra candidates when choosing bands."
    )
    bands: int | None = Field(default=None, gt=0, description="Override the optimised number of bands.")
    rows: int | None = Field(default=None, gt=0, description="Override the optimised rows per band.")

    @model_validator(mode="after")
    def _bands_fit(self) -> MinHashConfig:
        if (self.bands is None) != (self.rows is None):
            raise ValueError("give both bands and rows, or neither (they are then derived from the threshold)")
        if self.bands is not None and self.rows is not None and self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands * rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}")
        return self

    @property
    def lsh(self) -> tuple[int, int]:
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        return lsh_params(self.threshold, self.num_perm, self.false_negative_weight)


def exact_keys(texts: pa.Array | pa.ChunkedArray, normalize: str) -> np.ndarray:
    """64-bit hash of each normalised text (0 is reserved for "no key")."""
    values = pc.fill_null(texts, "")
    if normalize != "none":
        values = pc.utf8_trim_whitespace(pc.replace_substring_regex(values, r"\s+", " "))
        if normalize == "lowercase_whitespace":
            values = pc.utf8_lower(values)
    keys = hash_strings(values.to_pylist())
    keys[keys == 0] = 1
    return keys


def batch_keys(
    texts: pa.Array | pa.ChunkedArray, exact: str | None, minhash: MinHashConfig | None
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The map phase: (exact keys, MinHash band keys) of a batch of texts. Documents without
    shingles get all-zero band keys, which bucketing skips."""
    exact_out = exact_keys(texts, exact) if exact else None
    band_out = None
    if minhash is not None:
        shingles = word_shingles(texts, minhash.ngram)
        bands, rows = minhash.lsh
        band_out = band_keys(signatures(shingles, minhash.num_perm, minhash.seed, minhash.engine), bands, rows)
        band_out[band_out == 0] = 1
        band_out[shingles.counts == 0] = 0
    return exact_out, band_out


def spill_batch_keys(
    texts: pa.Array | pa.ChunkedArray,
    exact: str | None,
    minhash: MinHashConfig | None,
    workdir: str,
    name: str,
    first: int,
    partitions: int,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """A map task: a batch's keys, written into the hash partitions, and returned."""
    exact_out, band_out = batch_keys(texts, exact, minhash)
    _spill(workdir, name, first, exact_out, band_out, partitions)
    return exact_out, band_out


def _spill(
    workdir: str, name: str, first: int, exact: np.ndarray | None, bands: np.ndarray | None, partitions: int
) -> None:
    if exact is not None:
        spill_band_keys(Path(workdir) / "exact", name, first, exact.reshape(-1, 1), partitions)
    if bands is not None:
        spill_band_keys(Path(workdir) / "minhash", name, first, bands, partitions)


@dataclass(frozen=True)
class Removal:
    doc: int  # document number in the index
    survivor: int
    cluster: str
    reason: str  # exact_duplicate | near_duplicate


@dataclass
class Resolution:
    labels: np.ndarray  # per document: its cluster's smallest document number
    survivors: np.ndarray  # per document: its cluster's survivor
    removals: list[Removal]
    candidate_edges: int
    verified_out: int  # candidate edges whose true Jaccard is below the threshold
    survivor_checked_out: int = 0  # cluster members kept because they are too far from the survivor


def cluster_id(survivor_id: str) -> str:
    return hashlib.sha1(survivor_id.encode()).hexdigest()[:16]


class DedupIndex:
    """Documents of one deduplication scope (a source, or several sources), with their keys.

    Holds per document its id, source, quality, exact key and band keys (8 + 8 * bands bytes);
    the bucketing itself works from the spilled partitions in ``workdir``.
    """

    def __init__(
        self,
        workdir: Path,
        exact: str | None = "whitespace",
        minhash: MinHashConfig | None = None,
        partitions: int = 16,
        tasks: TaskMap | None = None,
    ) -> None:
        if exact is None and minhash is None:
            raise ValueError("nothing to deduplicate: enable exact or minhash")
        # Only our own subfolder is ever deleted, whatever folder the caller names.
        self.workdir = Path(workdir) / "dedup-keys"
        shutil.rmtree(self.workdir, ignore_errors=True)  # a resumed decide starts from nothing
        self.exact = exact
        self.minhash = minhash
        self.partitions = partitions
        self.tasks = tasks or LocalTasks()
        self.ids: list[str] = []
        self.sources: list[str] = []
        self.quality: list[float] = []
        self.previous: list[bool] = []
        self.exact_key_batches: list[np.ndarray] = []
        self.band_key_batches: list[np.ndarray] = []
        self._batches = 0

    def __len__(self) -> int:
        return len(self.ids)

    def add_batches(self, batches: Iterable[pa.Table], quality_column: str | None = None) -> None:
        """Compute and spill the keys of every batch (``id``, ``source``, ``text`` columns) as tasks.

        Each task computes its batch's keys and writes them into the hash partitions itself (the
        shuffle's map side); only the keys (8 + 8 * bands bytes per document) come back, in order.
        """
        pending: list[pa.Table] = []
        first = len(self.ids)

        def tasks() -> Iterable[tuple[object, ...]]:
            nonlocal first
            for batch in batches:
                pending.append(batch.drop_columns(["text"]))
                name = f"b{self._batches:08d}"
                self._batches += 1
                yield (batch.column("text"), self.exact, self.minhash, str(self.workdir), name, first, self.partitions)
                first += batch.num_rows

        for exact, bands in self.tasks.imap(spill_batch_keys, tasks()):
            meta = pending.pop(0)
            quality = None
            if quality_column and quality_column in meta.column_names:
                quality = pc.cast(meta.column(quality_column), pa.float64()).to_numpy(zero_copy_only=False)
            self._record(meta.column("id").to_pylist(), meta.column("source").to_pylist(), exact, bands, quality, False)

    def add_keys(
        self,
        ids: Sequence[str],
        sources: Sequence[str],
        exact: np.ndarray | None,
        bands: np.ndarray | None,
        previous: bool = True,
    ) -> None:
        """Documents whose keys are already known (an earlier run's persisted state)."""
        count = len(ids)
        exact = np.zeros(count, np.uint64) if exact is None and self.exact else exact
        if self.minhash is not None and bands is None:
            bands = np.zeros((count, self.minhash.lsh[0]), np.uint64)
        name = f"b{self._batches:08d}"
        self._batches += 1
        _spill(str(self.workdir), name, len(self.ids), exact, bands, self.partitions)
        self._record(list(ids), list(sources), exact, bands, None, previous)

    def _record(self, ids, sources, exact, bands, quality, previous) -> None:  # type: ignore[no-untyped-def]
        count = len(ids)
        self.ids.extend(ids)
        self.sources.extend(sources)
        self.quality.extend(np.full(count, np.nan) if quality is None else quality)
        self.previous.extend([previous] * count)
        if self.exact:
            self.exact_key_batches.append(exact)
        if self.minhash is not None:
            self.band_key_batches.append(bands)

    def resolve(
        self,
        priority: Sequence[str] = (),
        higher_is_better: bool = True,
        texts_again: Callable[[], Iterable[pa.Table]] | None = None,
    ) -> Resolution:
        """Cluster, pick survivors, and list every document to remove.

        ``texts_again`` re-streams the documents (``id`` and ``text``) when MinHash ``verify`` is on.
        """
        count = len(self.ids)
        if count == 0:
            return Resolution(np.zeros(0, np.int64), np.zeros(0, np.int64), [], 0, 0)
        union = UnionFind(count)
        candidates = verified_out = 0
        sets: dict[int, np.ndarray] = {}
        if self.exact:
            for edges in self.tasks.imap(partition_edges, ((f,) for f in partition_folders(self.workdir / "exact"))):
                candidates += len(edges)
                union.union_edges(edges)
        if self.minhash is not None:
            folders = partition_folders(self.workdir / "minhash")
            if self.minhash.verify:
                edge_sets = [edges for edges in self.tasks.imap(partition_edges, ((f,) for f in folders))]
                candidates += sum(len(e) for e in edge_sets)
                kept, sets = self._verified(edge_sets, texts_again)
                verified_out = sum(len(e) for e in edge_sets) - sum(len(e) for e in kept)
                for edges in kept:
                    union.union_edges(edges)
            else:
                for edges in self.tasks.imap(partition_edges, ((f,) for f in folders)):
                    candidates += len(edges)
                    union.union_edges(edges)
        labels = union.labels()
        previous = np.asarray(self.previous, bool)
        quality = np.asarray(self.quality, np.float64)
        ranks = survivor_order(
            self.sources, self.ids, priority, None if np.isnan(quality).all() else quality, higher_is_better, previous
        )
        survivors = survivors_of(labels, ranks)
        exact = np.concatenate(self.exact_key_batches) if self.exact else None
        removals = []
        survivor_checked_out = 0
        for doc in np.flatnonzero((survivors != np.arange(count)) & ~previous):
            survivor = int(survivors[doc])
            same_text = exact is not None and exact[doc] == exact[survivor] and exact[doc] != 0
            reason = "exact_duplicate" if same_text else "near_duplicate"
            if reason == "near_duplicate" and doc in sets and survivor in sets:
                # Verified edges can chain A-B-C with A and C further apart than the threshold: a document
                # is removed only if it is itself a near-duplicate of the survivor that is kept.
                if jaccard(sets[doc], sets[survivor]) < self.minhash.threshold:  # type: ignore[union-attr]
                    survivor_checked_out += 1
                    continue
            removals.append(Removal(int(doc), survivor, cluster_id(self.ids[survivor]), reason))
        shutil.rmtree(self.workdir, ignore_errors=True)
        return Resolution(labels, survivors, removals, candidates, verified_out, survivor_checked_out)

    def _verified(
        self, edge_sets: list[np.ndarray], texts_again: Callable[[], Iterable[pa.Table]] | None
    ) -> tuple[list[np.ndarray], dict[int, np.ndarray]]:
        """The edges whose true shingle Jaccard passes, and the shingle sets read to check them."""
        assert self.minhash is not None
        if texts_again is None:
            raise ValueError("MinHash verify needs the documents' texts a second time")
        involved = np.zeros(len(self.ids), bool)
        for edges in edge_sets:
            involved[edges.reshape(-1)] = True
        number = {doc_id: i for i, doc_id in enumerate(self.ids) if involved[i] and not self.previous[i]}
        sets: dict[int, np.ndarray] = {}
        for batch in texts_again():
            rows = [i for i, doc_id in enumerate(batch.column("id").to_pylist()) if doc_id in number]
            if not rows:
                continue
            chosen = batch.take(pa.array(rows))
            shingles = word_shingles(chosen.column("text"), self.minhash.ngram)
            for j, doc_id in enumerate(chosen.column("id").to_pylist()):
                sets[number[doc_id]] = np.unique(shingles.of(j))
        threshold = self.minhash.threshold
        kept = []
        for edges in edge_sets:
            ok = np.fromiter(
                (
                    a not in sets or b not in sets or jaccard(sets[a], sets[b]) >= threshold  # state docs: trust LSH
                    for a, b in edges.tolist()
                ),
                bool,
                len(edges),
            )
            kept.append(edges[ok])
        return kept, sets

    def band_key_matrix(self) -> np.ndarray | None:
        return np.concatenate(self.band_key_batches) if self.band_key_batches else None

    def exact_key_vector(self) -> np.ndarray | None:
        return np.concatenate(self.exact_key_batches) if self.exact_key_batches else None
