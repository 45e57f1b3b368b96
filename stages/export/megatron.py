"""Megatron-Core ``IndexedDataset`` files: a ``.bin`` of raw tokens and its ``.idx`` index.

The layout follows ``megatron/core/datasets/indexed_dataset.py`` (megatron-core 0.16):

    .idx  b"MMIDIDX\\x00\\x00"  magic (9 bytes)
          <Q  version = 1
          <B  dtype code (1 uint8, 2 int8, 3 int16, 4 int32, 5 int64, 6 float64, 7 float32, 8 uint16)
          <Q  sequence count S
          <Q  document count D (= documents + 1: the index list starts with 0)
          int32[S]  tokens per sequence
          int64[S]  byte offset of each sequence in the .bin
          int64[D]  sequence index where each document ends (0, 1, 2, ... when one sequence is one document)
    .bin  the tokens of every sequence, back to back

The reader here is independent of megatron-core (numpy only) so the format is checked
even where torch is not installed; ``tests/test_export_megatron.py`` reads the same files
with megatron-core when it is.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

INDEX_MAGIC = b"MMIDIDX\x00\x00"
INDEX_VERSION = 1
DTYPE_CODES: dict[type[np.integer], int] = {
    np.uint8: 1,
    np.int8: 2,
    np.int16: 3,
    np.int32: 4,
    np.int64: 5,
    np.uint16: 8,
}
CODE_DTYPES = {code: dtype for dtype, code in DTYPE_CODES.items()} | {6: np.float64, 7: np.float32}
# Megatron's DType.optimal_dtype: uint16 below 65,500 token ids, int32 above.
UINT16_VOCAB_LIMIT = 65500


def token_dtype(vocab_size: int) -> type[np.integer]:
    return np.uint16 if vocab_size < UINT16_VOCAB_LIMIT else np.int32


def shard_paths(prefix: Path) -> tuple[Path, Path]:
    """The .bin and .idx of a prefix (a prefix may itself contain dots)."""
    return prefix.with_name(prefix.name + ".bin"), prefix.with_name(prefix.name + ".idx")


class IndexFormatError(ValueError):
    """An .idx file that is not a Megatron IndexedDataset index."""


class ShardWriter:
    """Writes one shard: documents (token arrays) appended in order, each as one sequence.

    Files go to temporary names and are renamed by :meth:`finish`, so an interrupted
    export never leaves a shard that looks complete.
    """

    def __init__(self, prefix: str | Path, dtype: type[np.integer]) -> None:
        self.prefix = Path(prefix)
        self.dtype = np.dtype(dtype)
        self.prefix.parent.mkdir(parents=True, exist_ok=True)
        self._tmp_bin = self.prefix.with_name(f".{self.prefix.name}.bin.tmp")
        self._bin = open(self._tmp_bin, "wb")
        self.lengths: list[int] = []
        self.tokens = 0
        self.sha256_bin = hashlib.sha256()
        self.sha256_idx = hashlib.sha256()

    def add(self, tokens: np.ndarray) -> None:
        if tokens.dtype != self.dtype:
            tokens = tokens.astype(self.dtype)
        data = tokens.tobytes(order="C")
        self._bin.write(data)
        self.sha256_bin.update(data)
        self.lengths.append(len(tokens))
        self.tokens += len(tokens)

    def finish(self) -> tuple[Path, Path]:
        self._bin.close()
        lengths = np.asarray(self.lengths, dtype=np.int32)
        pointers = np.zeros(len(lengths), dtype=np.int64)
        if len(lengths) > 1:
            np.cumsum(lengths[:-1].astype(np.int64) * self.dtype.itemsize, out=pointers[1:])
        document_indices = np.arange(len(lengths) + 1, dtype=np.int64)
        header = INDEX_MAGIC + struct.pack("<Q", INDEX_VERSION) + struct.pack("<B", DTYPE_CODES[self.dtype.type])
        header += struct.pack("<Q", len(lengths)) + struct.pack("<Q", len(document_indices))
        tmp_idx = self.prefix.with_name(f".{self.prefix.name}.idx.tmp")
        with open(tmp_idx, "wb") as out:
            for data in (header, lengths.tobytes(), pointers.tobytes(), document_indices.tobytes()):
                out.write(data)
                self.sha256_idx.update(data)
        bin_path, idx_path = shard_paths(self.prefix)
        os.replace(self._tmp_bin, bin_path)
        os.replace(tmp_idx, idx_path)
        return bin_path, idx_path

    def abort(self) -> None:
        self._bin.close()
        self._tmp_bin.unlink(missing_ok=True)


@dataclass
class IndexedShard:
    """An independent reader: the header checks megatron-core makes, then memory-mapped arrays."""

    prefix: Path
    dtype: np.dtype
    lengths: np.ndarray
    pointers: np.ndarray
    document_indices: np.ndarray
    tokens: np.ndarray  # the whole .bin, memory-mapped

    @classmethod
    def open(cls, prefix: str | Path) -> IndexedShard:
        prefix = Path(prefix)
        bin_path, idx_path = shard_paths(prefix)
        raw = np.memmap(idx_path, dtype=np.uint8, mode="r")
        header_size = len(INDEX_MAGIC) + 8 + 1 + 8 + 8
        if len(raw) < header_size or bytes(raw[: len(INDEX_MAGIC)]) != INDEX_MAGIC:
            raise IndexFormatError(f"{idx_path}: bad header, not a Megatron IndexedDataset index")
        at = len(INDEX_MAGIC)
        (version,) = struct.unpack("<Q", bytes(raw[at : at + 8]))
        if version != INDEX_VERSION:
            raise IndexFormatError(f"{idx_path}: index version {version}, expected {INDEX_VERSION}")
        code = int(raw[at + 8])
        if code not in CODE_DTYPES:
            raise IndexFormatError(f"{idx_path}: unknown dtype code {code}")
        sequences, documents = struct.unpack("<QQ", bytes(raw[at + 9 : at + 25]))
        offset = header_size
        expected = offset + sequences * 4 + sequences * 8 + documents * 8
        if len(raw) != expected:
            raise IndexFormatError(f"{idx_path}: {len(raw)} bytes, the header promises {expected}")
        lengths = np.frombuffer(raw, dtype=np.int32, count=sequences, offset=offset)
        pointers = np.frombuffer(raw, dtype=np.int64, count=sequences, offset=offset + sequences * 4)
        document_indices = np.frombuffer(raw, dtype=np.int64, count=documents, offset=offset + sequences * 12)
        dtype = np.dtype(CODE_DTYPES[code])
        size = bin_path.stat().st_size
        if size % dtype.itemsize or size // dtype.itemsize != int(lengths.sum(dtype=np.int64)):
            raise IndexFormatError(f"{bin_path}: {size} bytes do not hold the {int(lengths.sum())} indexed tokens")
        tokens = np.memmap(bin_path, dtype=dtype, mode="r") if size else np.zeros(0, dtype=dtype)
        return cls(prefix, dtype, lengths, pointers, document_indices, tokens)

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, index: int) -> np.ndarray:
        start = int(self.pointers[index]) // self.dtype.itemsize
        return self.tokens[start : start + int(self.lengths[index])]

    @property
    def num_tokens(self) -> int:
        return len(self.tokens)
