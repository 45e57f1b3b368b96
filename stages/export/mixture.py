"""The mixture: how many tokens each source (or source × language) contributes, and which documents repeat.

Rules (also in docs/export.md):

* An ``epochs`` row writes ``epochs × tokens_available`` (LLaMA table 1: Wikipedia 2.45, Books 2.23, ...).
* ``weight`` rows share a budget in proportion to their weights: ``target_tokens`` minus what the epoch rows
  write, or, without a target, the largest budget that repeats no weighted document.
* Without a mixture every document is written once.

A row's whole epochs repeat every document; the fractional rest is a seeded random subset of its documents,
taken until it reaches its share of tokens. Downsampling is the same rule with zero whole epochs. In the
stream, copy ``j`` of a document repeated ``c`` times lands at a random position in the ``j``-th ``1/c`` of
the stream, at least half a ``1/c`` after the previous copy, so repeats are spread out, never back to back.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

import numpy as np

from stages.export.config import MixtureEntry, mixture_key_parts

EPOCH_TOLERANCE = 1e-9


class MixtureError(ValueError):
    """A mixture that cannot be realised (e.g. a target smaller than the epoch rows alone)."""


@dataclass
class MixtureRow:
    source: str
    lang: str | None
    documents: int
    tokens_available: int
    weight: float | None
    epochs: float  # realised: tokens_written / tokens_available
    proportion: float  # of all tokens written
    tokens_written: int
    requested_epochs: float | None = None
    documents_written: int = 0

    @property
    def key(self) -> str:
        return self.source if self.lang is None else f"{self.source}/{self.lang}"

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def stable_int(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("\0".join(map(str, parts)).encode()).digest()[:8], "little")


def row_of_documents(sources: np.ndarray, langs: np.ndarray, mixture: dict[str, MixtureEntry]) -> np.ndarray:
    """The mixture key each document falls under ("" when the mixture leaves it out), as an object array
    whose equal keys share one string."""
    if not mixture:
        return sources.copy()
    pairs: dict[tuple[str, str | None], str] = {}
    for source, lang in set(zip(sources.tolist(), langs.tolist(), strict=True)):
        lang_key = f"{source}/{lang}"
        pairs[(source, lang)] = (
            lang_key if lang is not None and lang_key in mixture else (source if source in mixture else "")
        )
    keys = np.empty(len(sources), dtype=object)
    keys[:] = [pairs[pair] for pair in zip(sources.tolist(), langs.tolist(), strict=True)]
    return keys


def plan_rows(
    keys: np.ndarray, sizes: np.ndarray, mixture: dict[str, MixtureEntry], target: int | None
) -> list[MixtureRow]:
    """The mixture table before documents are chosen: tokens to write per row."""
    names = sorted(mixture) if mixture else sorted(set(keys))
    rows = []
    for name in names:
        mask = keys == name
        source, lang = mixture_key_parts(name)
        entry = mixture.get(name, MixtureEntry(epochs=1.0))
        rows.append(
            MixtureRow(source, lang, int(mask.sum()), int(sizes[mask].sum()), entry.weight, 0.0, 0.0, 0, entry.epochs)
        )
    epoch_tokens = sum(r.requested_epochs * r.tokens_available for r in rows if r.requested_epochs is not None)
    # A weighted row without documents cannot take its share; the other weighted rows share the budget.
    weighted = [r for r in rows if r.weight is not None and r.weight > 0 and r.tokens_available > 0]
    total_weight = sum(r.weight for r in weighted)
    if weighted:
        if target is not None:
            budget = target - epoch_tokens
            if budget <= 0:
                raise MixtureError(
                    f"export.target_tokens={target} leaves nothing for the weighted sources: "
                    f"the epoch rows alone write {int(epoch_tokens)} tokens"
                )
        else:
            budget = min(r.tokens_available * total_weight / r.weight for r in weighted)
        for row in weighted:
            share = budget * row.weight / total_weight
            row.requested_epochs = share / row.tokens_available if row.tokens_available else 0.0
    for row in rows:
        if row.requested_epochs is None:
            row.requested_epochs = 0.0
    return rows


def copies_per_document(sizes: np.ndarray, requested_epochs: float, seed: int, key: str) -> np.ndarray:
    """How many times each document of one row is written: whole epochs plus a seeded token-weighted rest."""
    # Budgets divide floats: 0.9999999999 epochs means 1, not "1 minus a document".
    whole = int(np.floor(requested_epochs + EPOCH_TOLERANCE))
    rest = max(0.0, requested_epochs - whole)
    rest = 0.0 if rest < EPOCH_TOLERANCE else rest
    copies = np.full(len(sizes), whole, dtype=np.int64)
    if rest > 0 and len(sizes):
        rng = np.random.default_rng(np.random.SeedSequence([seed, stable_int("subset", key)]))
        order = rng.permutation(len(sizes))
        before = np.cumsum(sizes[order]) - sizes[order]
        chosen = order[before < rest * float(sizes.sum())]
        copies[chosen] += 1
    return copies


def stream_order(copies: np.ndarray, seed: int) -> np.ndarray:
    """Document index of every occurrence, in stream order (copies spread over the stream)."""
    documents = np.repeat(np.arange(len(copies), dtype=np.int64), copies)
    totals = np.repeat(copies, copies).astype(np.float64)
    # copy number j of each occurrence: its rank among the occurrences of its document
    starts = np.repeat(np.cumsum(copies) - copies, copies)
    copy_number = np.arange(len(documents), dtype=np.int64) - starts
    rng = np.random.default_rng(np.random.SeedSequence([seed, stable_int("order")]))
    # Copy j sits at (j + u_j) / c. Each u_j = frac(s + t_j) is uniform (s is uniform per document), so every
    # stretch of the stream gets the same mix; t_j grows by 0.5 to 1 per copy, so consecutive copies are at
    # least half a segment apart, and each segment still gets its own random order.
    shift = np.repeat(rng.random(len(copies)), copies)
    step = 0.5 + 0.5 * rng.random(len(documents))
    step[copy_number == 0] = 0.0
    walked = np.cumsum(step)
    offset = np.mod(shift + walked - walked[starts], 1.0)
    position = (copy_number + offset) / totals
    return documents[np.argsort(position, kind="stable")]


def realise(
    keys: np.ndarray, sizes: np.ndarray, rows: list[MixtureRow], seed: int
) -> tuple[np.ndarray, list[MixtureRow]]:
    """Copies per document for the planned rows; the rows get their realised epochs and proportions."""
    copies = np.zeros(len(sizes), dtype=np.int64)
    for row in rows:
        index = np.flatnonzero(keys == row.key)
        copies[index] = copies_per_document(sizes[index], row.requested_epochs or 0.0, seed, row.key)
        row.tokens_written = int((copies[index] * sizes[index]).sum())
        row.documents_written = int(copies[index].sum())
        row.epochs = row.tokens_written / row.tokens_available if row.tokens_available else 0.0
    total = sum(r.tokens_written for r in rows)
    for row in rows:
        row.proportion = row.tokens_written / total if total else 0.0
    return copies, rows
