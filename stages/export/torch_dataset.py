"""A PyTorch ``Dataset`` over exported shards, for training without Megatron.

Each shard's tokens form one stream; window ``i`` of a shard is tokens ``[i·L, i·L + L + 1)`` with
``L = seq_len``, so consecutive windows share one token (inputs ``w[:-1]``, targets ``w[1:]``) and
documents run across window borders, separated by their EOD tokens (Megatron's GPTDataset does the same).
Samples are drawn from the shards in proportion to the blend weights (by default each shard's share of
tokens, which keeps the export's mixture), so that after any number of samples every shard's count is
within one of its share (Megatron's BlendedDataset schedule); within a shard the windows come in a seeded
shuffled order, starting over once all are used.

``torch`` is imported only by ``__getitem__`` and ``torch_dataset``, so the core install does not need it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from stages.export.megatron import IndexedShard


def blend_schedule(weights: np.ndarray, num_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """For each sample, the dataset it comes from and its rank within that dataset.

    Dataset ``d``'s ``k``-th sample is due at ``(k + 1/2) / w_d``; samples are served in order of due time (ties
    to the lower dataset). After any ``n`` samples each dataset has served ``round(n · w_d)`` of them, give or
    take one: the schedule of Megatron's greedy BlendedDataset helper, vectorised.
    """
    weights = np.asarray(weights, dtype=np.float64)
    weights = weights / weights.sum()
    due, dataset, rank = [], [], []
    for index, weight in enumerate(weights):
        if weight <= 0:
            continue
        count = int(np.ceil(num_samples * weight)) + 1
        ranks = np.arange(count, dtype=np.int64)
        due.append((ranks + 0.5) / weight)
        dataset.append(np.full(count, index, dtype=np.int64))
        rank.append(ranks)
    order = np.lexsort((np.concatenate(dataset), np.concatenate(due)))[:num_samples]
    return np.concatenate(dataset)[order], np.concatenate(rank)[order]


class TokenWindows:
    """``seq_len + 1``-token windows across the shards of an export, weighted by the blend.

    Args:
        export_dir: ``RUN_DIR/export`` (reads ``export.json``), or pass ``prefixes`` instead.
        seq_len: tokens per training sequence; each item has ``seq_len + 1`` tokens.
        weights: one per shard; default each shard's tokens (the export's mixture).
        num_samples: length of the dataset; default the number of whole windows in all shards.
        seed: order of the windows within each shard.
    """

    def __init__(
        self,
        export_dir: str | Path | None = None,
        seq_len: int | None = None,
        *,
        prefixes: list[str | Path] | None = None,
        weights: list[float] | None = None,
        num_samples: int | None = None,
        seed: int = 0,
    ) -> None:
        if prefixes is None:
            if export_dir is None:
                raise ValueError("give export_dir or prefixes")
            record: dict[str, Any] = json.loads((Path(export_dir) / "export.json").read_text())
            prefixes = [Path(export_dir) / s["prefix"] for s in record["shards"]]
            seq_len = seq_len or record.get("seq_len")
        if not seq_len or seq_len < 1:
            raise ValueError("seq_len must be a positive number of tokens")
        self.seq_len = seq_len
        self.shards = [IndexedShard.open(p) for p in prefixes]
        self.windows = np.array([max(0, (s.num_tokens - 1) // seq_len) for s in self.shards], dtype=np.int64)
        usable = self.windows > 0
        if not usable.any():
            raise ValueError(f"no shard holds {seq_len + 1} tokens; lower seq_len")
        if weights is None:
            weights = [float(s.num_tokens) for s in self.shards]
        if len(weights) != len(self.shards):
            raise ValueError(f"{len(weights)} weights for {len(self.shards)} shards")
        weights_array = np.where(usable, np.asarray(weights, dtype=np.float64), 0.0)
        self.weights = weights_array / weights_array.sum()
        self.num_samples = int(num_samples if num_samples is not None else self.windows.sum())
        self.dataset_of, self.rank_of = blend_schedule(self.weights, self.num_samples)
        rng = np.random.default_rng(seed)
        self.orders = [rng.permutation(int(n)) if n else np.zeros(0, dtype=np.int64) for n in self.windows]

    def __len__(self) -> int:
        return self.num_samples

    def window(self, index: int) -> np.ndarray:
        """The tokens of sample ``index`` as a numpy array (int64)."""
        if not 0 <= index < self.num_samples:
            raise IndexError(index)
        shard = int(self.dataset_of[index])
        order = self.orders[shard]
        start = int(order[int(self.rank_of[index]) % len(order)]) * self.seq_len
        return np.asarray(self.shards[shard].tokens[start : start + self.seq_len + 1], dtype=np.int64)

    def __getitem__(self, index: int) -> Any:
        import torch

        return torch.from_numpy(self.window(index))


def torch_dataset(export_dir: str | Path, seq_len: int | None = None, **options: Any) -> Any:
    """A ``torch.utils.data.Dataset`` of ``TokenWindows`` (imports torch)."""
    from torch.utils.data import Dataset

    class _Windows(Dataset):
        def __init__(self) -> None:
            self.windows = TokenWindows(export_dir, seq_len, **options)

        def __len__(self) -> int:
            return len(self.windows)

        def __getitem__(self, index: int) -> Any:
            return self.windows[index]

    return _Windows()
