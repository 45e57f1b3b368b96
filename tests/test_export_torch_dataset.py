"""The PyTorch Dataset over exported shards: seq_len + 1 windows, blend weights, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stages.export.megatron import ShardWriter
from stages.export.torch_dataset import TokenWindows, blend_schedule


def _shards(tmp_path: Path) -> list[Path]:
    """Two shards whose token values say where they come from: shard k holds k*10000 + position."""
    prefixes = []
    for k, size in enumerate([1001, 3001]):
        writer = ShardWriter(tmp_path / f"s{k}", np.uint16)
        tokens = k * 10000 + np.arange(size)
        for piece in np.array_split(tokens, 7):  # documents of uneven length
            writer.add(piece)
        writer.finish()
        prefixes.append(tmp_path / f"s{k}")
    return prefixes


def test_windows_have_seq_len_plus_one_consecutive_tokens_of_one_shard(tmp_path: Path) -> None:
    windows = TokenWindows(prefixes=_shards(tmp_path), seq_len=100)
    assert len(windows) == 10 + 30
    for index in range(len(windows)):
        window = windows.window(index)
        assert len(window) == 101
        assert np.all(np.diff(window) == 1), "a window crosses no shard border and skips no token"
        assert window[0] % 10000 % 100 == 0


def test_every_window_of_each_shard_is_served_once_per_pass(tmp_path: Path) -> None:
    windows = TokenWindows(prefixes=_shards(tmp_path), seq_len=100, seed=3)
    starts = sorted(int(windows.window(i)[0]) for i in range(len(windows)))
    assert starts == [i * 100 for i in range(10)] + [10000 + i * 100 for i in range(30)]


def test_blend_weights_decide_how_often_each_shard_is_drawn(tmp_path: Path) -> None:
    windows = TokenWindows(prefixes=_shards(tmp_path), seq_len=100, weights=[1, 1], num_samples=400)
    from_first = sum(int(windows.window(i)[0]) < 10000 for i in range(400))
    assert from_first == 200  # the small shard repeats its 10 windows to keep its half
    dataset, _ = blend_schedule(np.array([0.7, 0.2, 0.1]), 1000)
    assert np.bincount(dataset).tolist() == [700, 200, 100]
    for prefix in (1, 7, 50, 333):  # on target, within one sample, at every prefix
        counts = np.bincount(dataset[:prefix], minlength=3)
        assert np.all(np.abs(counts - prefix * np.array([0.7, 0.2, 0.1])) <= 1)


def test_same_seed_same_order_and_another_seed_another(tmp_path: Path) -> None:
    prefixes = _shards(tmp_path)
    first = [TokenWindows(prefixes=prefixes, seq_len=50, seed=1).window(i)[0] for i in range(20)]
    again = [TokenWindows(prefixes=prefixes, seq_len=50, seed=1).window(i)[0] for i in range(20)]
    other = [TokenWindows(prefixes=prefixes, seq_len=50, seed=2).window(i)[0] for i in range(20)]
    assert first == again and first != other


def test_reads_an_export_directory_and_serves_torch_tensors_to_a_dataloader(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    prefixes = _shards(tmp_path)
    shards = [{"prefix": p.name, "tokens": 1001 if p.name == "s0" else 3001} for p in prefixes]
    (tmp_path / "export.json").write_text(json.dumps({"shards": shards, "seq_len": 64}))
    from stages.export.torch_dataset import torch_dataset

    dataset = torch_dataset(tmp_path)
    loader = torch.utils.data.DataLoader(dataset, batch_size=8, shuffle=False, num_workers=0)
    batch = next(iter(loader))
    assert batch.shape == (8, 65) and batch.dtype == torch.int64
    inputs, targets = batch[:, :-1], batch[:, 1:]
    assert torch.equal(inputs[:, 1:], targets[:, :-1])


def test_too_long_a_window_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lower seq_len"):
        TokenWindows(prefixes=_shards(tmp_path), seq_len=5000)
