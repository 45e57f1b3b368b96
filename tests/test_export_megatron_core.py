"""The exported shards read by megatron-core's own IndexedDataset (runs where torch and megatron-core are
installed: ``pip install torch==2.13.0`` first, then ``megatron-core==0.16.1``; skipped otherwise)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stages.export.tokenizer import ExportTokenizer
from tests.export_helpers import write_export_manifest
from tests.runs import kept_documents, run

pytestmark = pytest.mark.megatron


@pytest.fixture(scope="module")
def megatron_datasets():
    pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Transformer Engine and Apex are not installed"
        indexed = pytest.importorskip("megatron.core.datasets.indexed_dataset")
        utils = pytest.importorskip("megatron.core.datasets.utils")
    return indexed, utils


def test_megatron_core_reads_the_shards_and_tokens_decode_to_the_exported_text(
    megatron_datasets, tmp_path: Path
) -> None:
    indexed, utils = megatron_datasets
    run(write_export_manifest(tmp_path / "m.yaml", tmp_path / "run"))
    export = tmp_path / "run" / "export"
    record = json.loads((export / "export.json").read_text())
    tokenizer = ExportTokenizer.load(record["tokenizer"]["path"], record["tokenizer"]["eod_token"])
    docs = kept_documents(tmp_path / "run")
    lineage = {(r["shard"], r["sequence"]): r for r in pq.read_table(export / "lineage.parquet").to_pylist()}
    total = 0
    for shard in record["shards"]:
        dataset = indexed.IndexedDataset(str(export / shard["prefix"]))
        assert len(dataset) == shard["documents"]
        assert dataset.document_indices.tolist() == list(range(shard["documents"] + 1))
        assert int(dataset.sequence_lengths.sum()) == shard["tokens"]
        for index in range(len(dataset)):
            tokens = dataset[index]
            row = lineage[(shard["prefix"], index)]
            assert len(tokens) == row["tokens"] and tokens[-1] == tokenizer.eod_id
            assert tokenizer.decode(tokens[:-1]) == docs[row["document_id"]]["text"]
        total += len(dataset)
    assert total == record["sequences_written"]
    # the blend file parses the way Megatron-LM's --data-args-path does
    prefixes, weights = utils.get_blend_from_list((export / "blend.txt").read_text().split())
    assert [Path(p).name for p in prefixes] == [s["prefix"] for s in record["shards"]]
    assert sum(weights) == pytest.approx(1.0)
