"""Megatron-Core IndexedDataset files: the byte layout, the independent reader, and megatron-core itself."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from stages.export.megatron import IndexedShard, IndexFormatError, ShardWriter, token_dtype

DOCUMENTS = [np.array([5, 6, 7, 0]), np.array([9, 0]), np.array([1, 2, 3, 4, 5, 0])]


def _write(prefix: Path, dtype=np.uint16, documents=DOCUMENTS) -> None:
    writer = ShardWriter(prefix, dtype)
    for document in documents:
        writer.add(document)
    writer.finish()


def test_idx_header_is_magic_version_dtype_counts_then_lengths_pointers_and_document_indices(tmp_path: Path) -> None:
    _write(tmp_path / "shard")
    raw = (tmp_path / "shard.idx").read_bytes()
    assert raw[:9] == b"MMIDIDX\x00\x00"
    assert struct.unpack("<Q", raw[9:17]) == (1,)
    assert raw[17] == 8  # uint16
    assert struct.unpack("<QQ", raw[18:34]) == (3, 4)
    body = raw[34:]
    assert np.frombuffer(body[:12], np.int32).tolist() == [4, 2, 6]
    assert np.frombuffer(body[12:36], np.int64).tolist() == [0, 8, 12]  # byte offsets of uint16 tokens
    assert np.frombuffer(body[36:], np.int64).tolist() == [0, 1, 2, 3]
    assert np.frombuffer((tmp_path / "shard.bin").read_bytes(), np.uint16).tolist() == [
        5,
        6,
        7,
        0,
        9,
        0,
        1,
        2,
        3,
        4,
        5,
        0,
    ]


def test_uint16_below_65500_token_ids_and_int32_above_as_megatron_chooses() -> None:
    assert token_dtype(50_280) is np.uint16
    assert token_dtype(65_500) is np.int32
    assert token_dtype(250_880) is np.int32


def test_int32_shards_round_trip_ids_above_uint16(tmp_path: Path) -> None:
    documents = [np.array([100_000, 250_000, 2]), np.array([70_000, 2])]
    _write(tmp_path / "wide", np.int32, documents)
    shard = IndexedShard.open(tmp_path / "wide")
    assert shard.dtype == np.int32
    assert [shard[i].tolist() for i in range(len(shard))] == [d.tolist() for d in documents]


def test_reader_rejects_a_foreign_or_truncated_index(tmp_path: Path) -> None:
    _write(tmp_path / "shard")
    idx = tmp_path / "shard.idx"
    data = idx.read_bytes()
    idx.write_bytes(b"NOTMEGA\x00\x00" + data[9:])
    with pytest.raises(IndexFormatError, match="bad header"):
        IndexedShard.open(tmp_path / "shard")
    idx.write_bytes(data[:-8])
    with pytest.raises(IndexFormatError, match="header promises"):
        IndexedShard.open(tmp_path / "shard")


def test_an_unfinished_shard_leaves_no_files_under_its_final_names(tmp_path: Path) -> None:
    writer = ShardWriter(tmp_path / "shard", np.uint16)
    writer.add(np.array([1, 2, 0]))
    assert not (tmp_path / "shard.bin").exists()
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_shard_sha256_is_that_of_the_files(tmp_path: Path) -> None:
    import hashlib

    writer = ShardWriter(tmp_path / "shard", np.uint16)
    for document in DOCUMENTS:
        writer.add(document)
    writer.finish()
    assert writer.sha256_bin.hexdigest() == hashlib.sha256((tmp_path / "shard.bin").read_bytes()).hexdigest()
    assert writer.sha256_idx.hexdigest() == hashlib.sha256((tmp_path / "shard.idx").read_bytes()).hexdigest()
