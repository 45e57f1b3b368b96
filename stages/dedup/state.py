"""Persistent dedup state: the keys of every accepted document, so a later run can
deduplicate new documents against them without re-reading old data.

One Parquet file: ``id``, ``source``, ``exact`` (uint64 text hash, or absent) and ``bands``
(the MinHash band keys, a fixed-size list of uint64, or absent); the parameters that make
keys comparable (normalisation, num_perm, ngram, seed, engine, bands, rows) are in the
file's metadata, and loading refuses a state made with other parameters.

Incremental use (the nightly run)::

    state = DedupState.load("state/dedup.parquet")            # or DedupState.empty(exact, minhash)
    result = deduplicate_against(state, new_batches, workdir, priority=["wikipedia", "cc"])
    result.removals            # new documents that duplicate an accepted one (or each other)
    result.state.save("state/dedup.parquet")                  # accepted = old + new survivors

A run whose manifest has ``dedup: {state: PATH}`` does the same: it loads PATH when it
exists and writes the updated state to ``RUN_DIR/dedup/state.parquet``. It never writes PATH
itself (a resumed run must decide against the same state); once the run has completed, the
caller makes the new state current with ``promote_state(RUN_DIR, PATH)``.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from stages.dedup.index import DedupIndex, MinHashConfig, Resolution
from stages.dedup.tasks import TaskMap

STATE_VERSION = 1


class StateMismatch(ValueError):
    """A saved dedup state was made with other parameters; its keys cannot be compared."""


def state_params(exact: str | None, minhash: MinHashConfig | None) -> dict[str, Any]:
    params: dict[str, Any] = {"version": STATE_VERSION, "exact": exact, "minhash": None}
    if minhash is not None:
        bands, rows = minhash.lsh
        params["minhash"] = {
            "threshold": minhash.threshold, "num_perm": minhash.num_perm, "ngram": minhash.ngram, "seed": minhash.seed,
            "engine": minhash.engine, "bands": bands, "rows": rows,
        }  # fmt: skip
    return params


@dataclass
class DedupState:
    params: dict[str, Any]
    ids: list[str]
    sources: list[str]
    exact: np.ndarray | None  # (documents,) uint64
    bands: np.ndarray | None  # (documents, bands) uint64

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls, exact: str | None, minhash: MinHashConfig | None) -> DedupState:
        params = state_params(exact, minhash)
        width = params["minhash"]["bands"] if minhash is not None else 0
        return cls(
            params,
            [],
            [],
            np.zeros(0, np.uint64) if exact else None,
            np.zeros((0, width), np.uint64) if minhash is not None else None,
        )

    @classmethod
    def load(cls, path: str | Path) -> DedupState:
        table = pq.read_table(path)
        params = json.loads(table.schema.metadata[b"curate_dedup"])
        exact = table.column("exact").to_numpy() if "exact" in table.column_names else None
        bands = None
        if "bands" in table.column_names:
            width = params["minhash"]["bands"]
            flat = table.column("bands").combine_chunks().flatten().to_numpy()
            bands = flat.reshape(-1, width).astype(np.uint64)
        return cls(params, table.column("id").to_pylist(), table.column("source").to_pylist(), exact, bands)

    @classmethod
    def load_or_empty(
        cls, path: str | Path | Sequence[str | Path] | None, exact: str | None, minhash: MinHashConfig | None
    ) -> DedupState:
        """One state file, or the segments of one state (a list, oldest first); missing files count as empty."""
        paths = [] if path is None else [path] if isinstance(path, str | Path) else list(path)
        state = cls.empty(exact, minhash)
        for segment_path in paths:
            if Path(segment_path).exists():
                segment = cls.load(segment_path)
                segment.check_compatible(exact, minhash, str(segment_path))
                state = state.extended(segment)
        return state

    def extended(self, other: DedupState) -> DedupState:
        """This state's documents followed by ``other``'s (same parameters)."""
        return DedupState(
            self.params,
            [*self.ids, *other.ids],
            [*self.sources, *other.sources],
            None if self.exact is None or other.exact is None else np.concatenate([self.exact, other.exact]),
            None if self.bands is None or other.bands is None else np.concatenate([self.bands, other.bands]),
        )

    def check_compatible(self, exact: str | None, minhash: MinHashConfig | None, where: str = "state") -> None:
        wanted = state_params(exact, minhash)
        if wanted != self.params:
            raise StateMismatch(
                f"{where}: saved with {json.dumps(self.params, sort_keys=True)}, but this run uses "
                f"{json.dumps(wanted, sort_keys=True)}; keep the dedup parameters of the state, or start a new state"
            )

    def save(self, path: str | Path) -> None:
        columns: dict[str, pa.Array] = {"id": pa.array(self.ids, pa.string()), "source": pa.array(self.sources)}
        if self.exact is not None:
            columns["exact"] = pa.array(self.exact, pa.uint64())
        if self.bands is not None:
            width = self.bands.shape[1]
            columns["bands"] = pa.FixedSizeListArray.from_arrays(pa.array(self.bands.reshape(-1), pa.uint64()), width)
        table = pa.table(columns).replace_schema_metadata({"curate_dedup": json.dumps(self.params, sort_keys=True)})
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)

    def add_to(self, index: DedupIndex) -> None:
        """Put the accepted documents into an index, as survivors that can never be removed."""
        index.add_keys(self.ids, self.sources, self.exact, self.bands, previous=True)

    def updated(self, index: DedupIndex, resolution: Resolution, keep_previous: bool = True) -> DedupState:
        """This state plus the documents of ``index`` that the resolution keeps (only those without
        ``keep_previous``: a new segment)."""
        previous = np.asarray(index.previous, bool)
        removed = np.zeros(len(index), bool)
        removed[[r.doc for r in resolution.removals]] = True
        new = np.flatnonzero(~previous & ~removed)
        exact = index.exact_key_vector()
        bands = index.band_key_matrix()
        added = DedupState(
            self.params,
            [index.ids[i] for i in new],
            [index.sources[i] for i in new],
            None if self.exact is None or exact is None else exact[new],
            None if self.bands is None or bands is None else bands[new],
        )
        return self.extended(added) if keep_previous else added


@dataclass
class IncrementalResult:
    index: DedupIndex
    resolution: Resolution
    state: DedupState

    @property
    def removals(self) -> list[tuple[str, str, str]]:
        """(removed id, survivor id, reason) for each new document that is a duplicate."""
        ids = self.index.ids
        return [(ids[r.doc], ids[r.survivor], r.reason) for r in self.resolution.removals]


def deduplicate_against(
    state: DedupState,
    batches: Iterable[pa.Table],
    workdir: str | Path,
    priority: Sequence[str] = (),
    verify: bool = True,
    tasks: TaskMap | None = None,
) -> IncrementalResult:
    """Deduplicate new documents (``id``, ``source``, ``text``) against a state and among themselves."""
    exact = state.params["exact"]
    minhash = None
    if state.params["minhash"] is not None:
        saved = state.params["minhash"]
        keys = ("threshold", "num_perm", "ngram", "seed", "engine", "bands", "rows")
        minhash = MinHashConfig(**{key: saved[key] for key in keys}, verify=verify)
    batches = list(batches)
    index = DedupIndex(Path(workdir), exact, minhash, tasks=tasks)
    state.add_to(index)
    index.add_batches(batches)
    resolution = index.resolve(priority, texts_again=lambda: batches)
    return IncrementalResult(index, resolution, state.updated(index, resolution))


def run_state_path(run_dir: str | Path) -> Path:
    """Where a run with cross-source dedup leaves the keys of everything it accepted."""
    return Path(run_dir) / "dedup" / "state.parquet"


def promote_state(run_dir: str | Path, path: str | Path) -> None:
    """Make a completed run's dedup state the one the next run loads (an atomic replace of ``path``)."""
    source = run_state_path(run_dir)
    if not source.exists():
        raise FileNotFoundError(f"{source}: no dedup state (does the manifest have a top-level dedup section?)")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.write_bytes(source.read_bytes())
    os.replace(tmp, target)
