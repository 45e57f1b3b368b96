from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.accounting import AccountingError
from pipeline.cli import main
from tests.conftest import REPO, write_manifest
from tests.runs import run
from tests.warc_factory import article_warc

SAMPLES = str(REPO / "manifests" / "samples" / "cc" / "*.warc.gz")


def test_run_writes_the_run_directory_and_prints_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [SAMPLES])
    assert main(["run", str(manifest), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "extract" in printed and "corrupt_gzip" in printed and "accounting: ok" in printed

    out = tmp_path / "out"
    record = json.loads((out / "run.json").read_text())
    assert record["status"] == "complete" and len(record["manifest_digest"]) == 64
    assert record["versions"]["pyarrow"] and record["versions"]["trafilatura"] == "1.11.0"
    assert record["timings"]["stage_seconds"]["cc"]["extract"] > 0
    stats = json.loads((out / "stats.json").read_text())
    read, extract = stats["sources"]["cc"]["stages"]
    assert read["in"] == read["kept"] + sum(read["dropped"].values()) + sum(read["errored"].values())
    assert extract["in"] == read["kept"] == 13  # the HTML 200 pages of the bundled samples
    kept = pq.read_table(next((out / "parts" / "cc").glob("*/*.parquet")))
    assert {"id", "source", "text", "url", "lang", "lang_score", "meta"} <= set(kept.column_names)
    assert "html" not in kept.column_names
    rejects = pq.read_table(next((out / "rejects" / "read" / "cc").glob("*/*.parquet")))
    assert {"fate", "reason", "id"} <= set(rejects.column_names)

    assert main(["stats", str(out)]) == 0
    assert "corrupt_gzip" in capsys.readouterr().out


def test_stats_on_a_folder_that_is_not_a_run_exits_2(tmp_path: Path) -> None:
    assert main(["stats", str(tmp_path)]) == 2


def test_a_path_that_matches_nothing_fails_the_run_naming_the_manifest_key(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [SAMPLES, str(tmp_path / "none*.warc.gz")])
    assert main(["run", str(manifest), "--no-progress"]) == 1
    assert "sources[0].paths[1]" in capsys.readouterr().err


def test_an_existing_run_directory_is_not_overwritten_without_asking(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [SAMPLES])
    assert main(["run", str(manifest), "--no-progress"]) == 0
    assert main(["run", str(manifest), "--no-progress"]) == 2
    assert main(["run", str(manifest), "--no-progress", "--overwrite"]) == 0


def test_limit_caps_the_records_read_from_each_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    article_warc(folder / "a.warc.gz", count=10)
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [str(folder / "*.warc.gz")])
    outcome = run(manifest, limit=5)
    assert outcome.stats["sources"]["cc"]["stages"][0]["in"] == 5


def test_a_warc_paths_listing_expands_relative_to_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    (folder / "segments").mkdir(parents=True)
    article_warc(folder / "segments" / "a.warc.gz", count=2)
    article_warc(folder / "segments" / "b.warc.gz", count=3, start=2)
    (folder / "warc.paths").write_text("segments/a.warc.gz\nsegments/b.warc.gz\n")
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [str(folder / "warc.paths")])
    outcome = run(manifest)
    assert outcome.stats["sources"]["cc"]["stages"][-1]["kept"] == 5


def test_an_empty_input_file_is_counted_as_errored(tmp_path: Path) -> None:
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [str(tmp_path / "empty.warc.gz")])
    outcome = run(manifest)
    assert outcome.stats["sources"]["cc"]["stages"][0]["errored"] == {"empty_input": 1}


def test_the_accounting_check_fails_the_run_when_outputs_go_missing(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [SAMPLES])
    run(manifest)
    shutil.rmtree(next((tmp_path / "out" / "parts" / "cc").iterdir()))  # lose one part's documents
    with pytest.raises(AccountingError, match="in parts/ but stats say"):
        run(manifest, resume=True)
