"""End to end: a run over the bundled samples, exported to Megatron shards, read back independently."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from pipeline.cli import main
from stages.export.megatron import IndexedShard
from stages.export.tokenizer import ExportTokenizer
from tests.export_helpers import default_export, write_export_manifest
from tests.runs import kept_documents, run


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    manifest = write_export_manifest(root / "m.yaml", root / "run")
    run(manifest)
    return root / "run"


def _export(run_dir: Path) -> dict:
    return json.loads((run_dir / "export" / "export.json").read_text())


def _tokenizer(record: dict) -> ExportTokenizer:
    return ExportTokenizer.load(record["tokenizer"]["path"], record["tokenizer"]["eod_token"])


def test_export_json_has_the_fields_the_report_reads(exported: Path) -> None:
    record = _export(exported)
    assert {"name", "path", "sha256", "vocab_size"} <= set(record["tokenizer"])
    assert record["tokenizer"]["vocab_size"] % 128 == 0
    for row in record["mixture"]:
        assert {
            "source",
            "lang",
            "documents",
            "tokens_available",
            "weight",
            "epochs",
            "proportion",
            "tokens_written",
        } <= set(row)
    assert {r["source"] for r in record["mixture"]} == {"cc", "wikipedia", "books", "arxiv"}
    assert sum(r["proportion"] for r in record["mixture"]) == pytest.approx(1.0)
    assert record["target_tokens"] is None
    assert record["fertility"] and all(v > 0 for v in record["fertility"].values())
    assert len(record["shards"]) > 1, "an 8KB shard size must cut several shards"
    for shard in record["shards"]:
        assert {"prefix", "sha256_bin", "sha256_idx", "documents", "tokens"} <= set(shard)
    assert isinstance(record["run_digest"], str) and isinstance(record["manifest_digest"], str)
    assert record["seed"] == 7
    assert record["dtype"] == "uint16"
    table = (exported / "export" / "mixture.csv").read_text().splitlines()
    assert table[0].startswith("source,lang,documents,tokens_available") and len(table) == len(record["mixture"]) + 1


def test_mixture_table_realises_the_epochs_and_counts_what_was_written(exported: Path) -> None:
    record = _export(exported)
    rows = {r["source"]: r for r in record["mixture"]}
    assert rows["wikipedia"]["epochs"] >= 2.0 and rows["books"]["epochs"] >= 2.0
    assert rows["arxiv"]["epochs"] < 1.0  # downsampled
    assert rows["cc"]["epochs"] == pytest.approx(1.0)  # the only weighted source: all of it, once
    assert sum(r["tokens_written"] for r in rows.values()) == record["tokens_written"]
    assert sum(s["tokens"] for s in record["shards"]) == record["tokens_written"]
    assert sum(lang["tokens_written"] for lang in record["languages"].values()) == record["tokens_written"]
    per_source = {}
    for shard in record["shards"]:
        for source, tokens in shard["tokens_per_source"].items():
            per_source[source] = per_source.get(source, 0) + tokens
    assert per_source == {s: r["tokens_written"] for s, r in rows.items() if r["tokens_written"]}


def test_shards_are_valid_indexed_datasets_whose_documents_decode_to_the_exported_text(exported: Path) -> None:
    record = _export(exported)
    tokenizer = _tokenizer(record)
    docs = kept_documents(exported)
    lineage = pq.read_table(exported / "export" / "lineage.parquet").to_pylist()
    by_position = {(row["shard"], row["sequence"]): row for row in lineage}
    sequences = 0
    for shard_record in record["shards"]:
        shard = IndexedShard.open(exported / "export" / shard_record["prefix"])
        assert len(shard) == shard_record["documents"]
        assert shard.num_tokens == shard_record["tokens"]
        assert list(shard.document_indices) == list(range(len(shard) + 1))
        for index in range(len(shard)):
            tokens = shard[index]
            assert tokens[-1] == tokenizer.eod_id and tokenizer.eod_id not in tokens[:-1]
            row = by_position[(shard_record["prefix"], index)]
            assert row["tokens"] == len(tokens)
            assert tokenizer.decode(tokens[:-1]) == docs[row["document_id"]]["text"]
        sequences += len(shard)
    assert sequences == record["sequences_written"] == len(lineage)


def test_repeated_documents_are_spread_over_the_stream_not_back_to_back(exported: Path) -> None:
    lineage = pq.read_table(exported / "export" / "lineage.parquet").to_pylist()
    positions: dict[str, list[int]] = {}
    for position, row in enumerate(lineage):
        positions.setdefault(row["document_id"], []).append(position)
    repeated = {doc: p for doc, p in positions.items() if len(p) > 1}
    assert repeated
    for places in repeated.values():
        assert min(np.diff(places)) > 1, "two copies of a document back to back"
        assert places[-1] - places[0] >= len(lineage) / 4, "copies of a document bunched together"


def test_a_token_span_is_followed_back_to_its_warc_record(exported: Path) -> None:
    record = _export(exported)
    tokenizer = _tokenizer(record)
    lineage = pq.read_table(exported / "export" / "lineage.parquet")
    cc_rows = [r for r in lineage.to_pylist() if r["source"] == "cc"]
    target = cc_rows[len(cc_rows) // 2]
    shard = IndexedShard.open(exported / "export" / target["shard"])
    # A span of 8 tokens inside the document, found from its global token position in the shard.
    position = target["token_offset"] + 3
    shard_rows = [r for r in lineage.to_pylist() if r["shard"] == target["shard"]]
    starts = np.array([r["token_offset"] for r in shard_rows])
    owner = shard_rows[int(np.searchsorted(starts, position, side="right")) - 1]
    assert owner["document_id"] == target["document_id"]
    span = tokenizer.decode(shard.tokens[position : position + 8])
    origin = json.loads(owner["record"])
    with open(origin["warc_file"], "rb") as stream:
        stream.seek(origin["warc_offset"])
        warc_record = next(iter(ArchiveIterator(stream)))
        assert warc_record.rec_headers.get_header("WARC-Record-ID") == origin["warc_record_id"]
        assert warc_record.rec_headers.get_header("WARC-Target-URI") == owner["url"]
        html = warc_record.content_stream().read()
    # the span's longest word comes from that page's HTML
    word = max(span.split(), key=len).strip(".,;:!?()\"'")
    assert len(word) >= 3 and word.encode() in html


def test_same_manifest_and_seed_give_byte_identical_shards(exported: Path, tmp_path: Path) -> None:
    again = write_export_manifest(tmp_path / "m.yaml", tmp_path / "run")
    run(again)
    first, second = _export(exported), _export(tmp_path / "run")
    assert [s["sha256_bin"] for s in first["shards"]] == [s["sha256_bin"] for s in second["shards"]]
    assert [s["sha256_idx"] for s in first["shards"]] == [s["sha256_idx"] for s in second["shards"]]
    for shard in first["shards"]:
        for suffix in (".bin", ".idx"):
            a = (exported / "export" / (shard["prefix"] + suffix)).read_bytes()
            assert a == (tmp_path / "run" / "export" / (shard["prefix"] + suffix)).read_bytes()
    assert first["tokenizer"]["sha256"] == second["tokenizer"]["sha256"]


def test_another_seed_shuffles_differently(exported: Path, tmp_path: Path) -> None:
    manifest = write_export_manifest(tmp_path / "m.yaml", tmp_path / "run", seed=8)
    run(manifest)
    assert [s["sha256_bin"] for s in _export(exported)["shards"]] != [
        s["sha256_bin"] for s in _export(tmp_path / "run")["shards"]
    ]


def test_curate_export_reexports_with_a_new_mixture_reusing_the_tokens(exported: Path, tmp_path: Path, capsys) -> None:
    mixture = {"cc": {"weight": 3}, "wikipedia": {"weight": 1}, "books": {"epochs": 0}, "arxiv": {"epochs": 1}}
    trained = _export(exported)["tokenizer"]["path"]
    export = default_export(mixture=mixture, tokenizer={"path": trained})
    manifest = write_export_manifest(tmp_path / "m.yaml", exported, export=export)
    assert main(["export", str(exported), "--manifest", str(manifest)]) == 0
    record = _export(exported)
    rows = {r["source"]: r for r in record["mixture"]}
    assert rows["books"]["tokens_written"] == 0
    assert rows["cc"]["tokens_written"] == pytest.approx(3 * rows["wikipedia"]["tokens_written"], rel=0.35)
    assert record["tokenize_tasks"]["cached"] == record["tokenize_tasks"]["chunks"]
    assert "tokens written" in capsys.readouterr().out
    # back to the run's own export section
    assert main(["export", str(exported), "--executor", "local"]) == 0


@pytest.mark.ray
def test_ray_tokenization_gives_the_same_shards_as_local(exported: Path, tmp_path: Path, ray_cluster: None) -> None:
    manifest = write_export_manifest(tmp_path / "m.yaml", tmp_path / "run", executor="ray")
    run(manifest)
    assert [s["sha256_bin"] for s in _export(exported)["shards"]] == [
        s["sha256_bin"] for s in _export(tmp_path / "run")["shards"]
    ]


def test_export_errors_exit_1_with_the_manifest_key_and_a_non_run_directory_exits_2(
    exported: Path, tmp_path: Path, capsys
) -> None:
    manifest = write_export_manifest(
        tmp_path / "m.yaml", exported, export=default_export(tokenizer={"path": "nope.json"})
    )
    assert main(["export", str(exported), "--manifest", str(manifest)]) == 1
    assert "export.tokenizer.path" in capsys.readouterr().err
    assert main(["export", str(tmp_path)]) == 2
