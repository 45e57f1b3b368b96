"""Normalised text, word n-gram shingles and line hashes, computed a whole batch at a time.

Normalisation (as CCNet and datatrove do before hashing): lower case, every digit becomes 0,
punctuation is removed, and words are split on white space. Shingles are word n-grams of the
normalised text, each a 64-bit hash; a document with fewer than n words has one shingle, all
its words. The work is vectorised over the batch (Arrow kernels and numpy); only the distinct
words of a batch are hashed in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio constant: combines word hashes in order


def mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads the bits of combined hashes (uint64 in, uint64 out)."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64, copy=True)
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


def hash_strings(values: list[str]) -> np.ndarray:
    return np.fromiter((xxhash.xxh3_64_intdigest(v) for v in values), dtype=np.uint64, count=len(values))


@dataclass(frozen=True)
class Shingles:
    """Shingle hashes of a batch, flat: document i owns ``hashes[offsets[i]:offsets[i + 1]]``."""

    hashes: np.ndarray  # uint64
    offsets: np.ndarray  # int64, length rows + 1

    def of(self, row: int) -> np.ndarray:
        return self.hashes[self.offsets[row] : self.offsets[row + 1]]

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.offsets)


def normalized_word(word: str) -> str:
    """A lower-cased word without punctuation, digits as 0 ("U.S." -> "us", "2024," -> "0000")."""
    if word.isalpha():  # most words: nothing to do
        return word
    return "".join("0" if c.isdigit() else c for c in word if c.isalnum())


def word_hashes(texts: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(hash of every normalised word, offsets per document).

    Splitting is done by Arrow on white space; punctuation and digits are normalised on the
    batch's distinct words only, which is much cheaper than a regular expression over the text.
    """
    words = pc.utf8_split_whitespace(pc.utf8_lower(pc.fill_null(texts, "")))
    if isinstance(words, pa.ChunkedArray):
        words = words.combine_chunks()
    offsets = words.offsets.to_numpy().astype(np.int64) - words.offsets[0].as_py()
    flat = words.flatten()
    if len(flat) == 0:
        return np.zeros(0, np.uint64), offsets
    encoded = pc.dictionary_encode(flat)
    vocabulary = [normalized_word(w) for w in encoded.dictionary.to_pylist()]
    vocabulary_hashes = hash_strings(vocabulary)
    indices = encoded.indices.to_numpy()
    empty_words = np.fromiter((not w for w in vocabulary), dtype=bool, count=len(vocabulary))
    if empty_words.any():  # punctuation-only tokens and the empty token of an empty text
        empty = empty_words[indices]
        dropped = np.concatenate([[0], np.cumsum(empty)])
        offsets = offsets - dropped[offsets]
        indices = indices[~empty]
    return vocabulary_hashes[indices], offsets


def word_shingles(texts: pa.Array | pa.ChunkedArray, ngram: int) -> Shingles:
    """Word ``ngram``-shingle hashes of every document of a batch."""
    hashes, offsets = word_hashes(texts)
    lengths = np.diff(offsets)
    total = len(hashes)
    combined = hashes.copy()
    with np.errstate(over="ignore"):
        for k in range(1, ngram):  # combined[i] = hash of words i .. i+k, in order
            shifted = np.zeros(total, np.uint64)
            shifted[: total - k] = hashes[k:]
            combined = combined * _MULTIPLIER + shifted
    combined = mix64(combined)
    # A shingle starting at word i of a document is valid when the document has ngram words from i on.
    starts = np.repeat(offsets[:-1], lengths)
    position = np.arange(total, dtype=np.int64) - starts
    remaining = np.repeat(lengths, lengths) - position
    valid = remaining >= ngram
    per_doc = np.maximum(lengths - ngram + 1, 0)
    short = np.flatnonzero((lengths > 0) & (lengths < ngram))
    if len(short):  # one shingle holding all the words of a short document
        per_doc[short] = 1
        whole = np.zeros(len(short), np.uint64)
        with np.errstate(over="ignore"):
            for j, doc in enumerate(short):
                value = np.uint64(0)
                for word in hashes[offsets[doc] : offsets[doc + 1]]:
                    value = value * _MULTIPLIER + word
                whole[j] = value
        valid[offsets[short]] = True
        combined[offsets[short]] = mix64(whole)
    out_offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(per_doc, out=out_offsets[1:])
    return Shingles(combined[valid], out_offsets)


def shingle_set(shingles: Shingles, row: int) -> np.ndarray:
    return np.unique(shingles.of(row))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """True Jaccard similarity of two sorted, unique hash arrays."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def normalized_line(line: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in line.lower()).split())


def line_hash(line: str) -> int:
    """Hash of a normalised line (CCNet: lower case, digits as 0, no punctuation); 0 for an empty line."""
    norm = normalized_line(line)
    if not norm:
        return 0
    norm = "".join("0" if c.isdigit() else c for c in norm)
    return xxhash.xxh3_64_intdigest(norm) or 1
