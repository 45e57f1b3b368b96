"""Incremental (nightly) runs: only new inputs, a history, a lock, quarantine, alarms and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.cli import EXIT_ALARM, EXIT_OK, EXIT_USAGE, main
from pipeline.incremental import IncrementalOutcome, run_history, run_incremental
from pipeline.manifest import load_manifest
from pipeline.runner import RunOptions
from pipeline.state import state_lock
from tests.conftest import REPO, write_manifest
from tests.runs import NoProgress, kept_documents, rejected_rows, run
from tests.warc_factory import article_warc


def _nightly(manifest: Path) -> IncrementalOutcome:
    return run_incremental(load_manifest(manifest), RunOptions(), NoProgress())


def _kept_over_runs(output: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for run_dir in sorted((output / "runs").iterdir()):
        for doc_id, row in kept_documents(run_dir).items():
            assert doc_id not in texts, f"{doc_id} kept by two nightly runs"
            texts[doc_id] = row["text"]
    return texts


def _with_alarms(manifest: Path, alarms: dict[str, Any]) -> Path:
    raw = yaml.safe_load(manifest.read_text())
    raw["nightly"] = {"alarms": alarms}
    manifest.write_text(yaml.safe_dump(raw))
    return manifest


def test_nightly_runs_process_only_new_inputs_and_together_equal_one_full_run(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for index in range(2):
        article_warc(inputs / f"crawl-{index}.warc.gz", count=4, start=index * 4)
    manifest = write_manifest(tmp_path / "nightly.yaml", tmp_path / "out", [str(inputs / "*.warc.gz")])

    first = _nightly(manifest)
    assert first.summary["inputs"]["new"] == 2 and first.summary["status"] == "complete"

    again = _nightly(manifest)
    assert again.outcome is None and again.summary["status"] == "nothing_new"
    assert "no new inputs" in again.summary["message"]

    article_warc(inputs / "crawl-2.warc.gz", count=4, start=8)
    os.utime(inputs / "crawl-0.warc.gz")  # touched, same bytes: not new
    third = _nightly(manifest)
    assert third.summary["inputs"] == {"new": 1, "skipped_known": 2, "quarantined": []}
    assert third.outcome is not None
    assert third.summary["compare"] and Path(third.summary["compare"]).exists()  # against the first night
    assert first.summary["compare"] is None and Path(first.summary["report"]).exists()
    assert [p.name.split("-")[1] for p in third.outcome.rundir.root.glob("parts/cc/*")] == ["2.warc.gz"]

    full = write_manifest(tmp_path / "full.yaml", tmp_path / "full", [str(inputs / "*.warc.gz")])
    run(full)
    assert _kept_over_runs(tmp_path / "out") == {k: v["text"] for k, v in kept_documents(tmp_path / "full").items()}
    history = run_history(tmp_path / "out")
    assert [h["status"] for h in history] == ["complete", "nothing_new", "complete"]
    assert [h["inputs_new"] for h in history] == [2, 0, 1]
    assert sum(h["documents_kept"] for h in history) == len(kept_documents(tmp_path / "full"))


def test_a_changed_input_is_processed_again(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    article_warc(inputs / "crawl.warc.gz", count=3)
    manifest = write_manifest(tmp_path / "nightly.yaml", tmp_path / "out", [str(inputs / "*.warc.gz")])
    _nightly(manifest)
    article_warc(inputs / "crawl.warc.gz", count=5)
    assert _nightly(manifest).summary["inputs"]["new"] == 1


def test_a_second_run_on_the_same_state_is_refused_while_the_first_holds_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    article_warc(inputs / "crawl.warc.gz", count=2)
    manifest = write_manifest(tmp_path / "nightly.yaml", tmp_path / "out", [str(inputs / "*.warc.gz")])
    with state_lock(tmp_path / "out"):
        code = main(["run", str(manifest), "--incremental", "--no-progress"])
    assert code == EXIT_USAGE
    assert "in use by another curate run" in " ".join(capsys.readouterr().err.split())
    assert main(["run", str(manifest), "--incremental", "--no-progress"]) == EXIT_OK  # released with the holder


def test_a_corrupt_input_is_quarantined_and_the_rest_of_the_batch_lands(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    article_warc(inputs / "good.warc.gz", count=3)
    (inputs / "garbage.warc.gz").write_bytes(os.urandom(4000))
    manifest = write_manifest(tmp_path / "nightly.yaml", tmp_path / "out", [str(inputs / "*.warc.gz")])

    first = _nightly(manifest)
    quarantined = first.summary["inputs"]["quarantined"]
    assert [q["uri"] for q in quarantined] == [str(inputs / "garbage.warc.gz")]
    assert "every record failed to read" in quarantined[0]["reason"]
    assert len(kept_documents(Path(first.summary["run_dir"]))) == 3
    assert _nightly(manifest).summary["status"] == "nothing_new"  # not retried while unchanged


def test_alarms_from_the_manifest_make_the_run_exit_non_zero_and_land_in_the_summary(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    article_warc(inputs / "good.warc.gz", count=3)
    (inputs / "garbage.warc.gz").write_bytes(os.urandom(4000))
    manifest = write_manifest(tmp_path / "nightly.yaml", tmp_path / "out", [str(inputs / "*.warc.gz")])
    _with_alarms(manifest, {"max_error_share": 0.1, "max_quarantined_inputs": 0})

    assert main(["run", str(manifest), "--incremental", "--no-progress"]) == EXIT_ALARM
    summary_file = next((tmp_path / "out" / "nightly").glob("*.json"))
    summary = json.loads(summary_file.read_text())
    assert summary["status"] == "complete_with_alarms"
    assert sorted(alarm["kind"] for alarm in summary["alarms"]) == ["error_share", "quarantined_inputs"]


def test_curate_runs_lists_the_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    article_warc(inputs / "crawl.warc.gz", count=2)
    manifest = write_manifest(tmp_path / "nightly.yaml", tmp_path / "out", [str(inputs / "*.warc.gz")])
    _nightly(manifest)
    _nightly(manifest)
    capsys.readouterr()
    assert main(["runs", str(tmp_path / "out")]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "complete" in printed and "nothing_new" in printed


@pytest.mark.slow
def test_a_nightly_run_killed_mid_batch_is_finished_by_the_next_invocation(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for index in range(16):
        article_warc(inputs / f"crawl-{index:02d}.warc.gz", count=6, start=index * 6)
    reference = write_manifest(tmp_path / "reference.yaml", tmp_path / "reference", [str(inputs / "*.warc.gz")])
    _nightly(reference)

    manifest = write_manifest(tmp_path / "killed.yaml", tmp_path / "killed", [str(inputs / "*.warc.gz")])
    command = [sys.executable, "-m", "pipeline.cli", "run", str(manifest), "--incremental", "--no-progress"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if len(list((tmp_path / "killed").glob("runs/*/stats/*/*/*.json"))) >= 4:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before it could be killed; give it more work"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert [h["status"] for h in run_history(tmp_path / "killed")] == ["running"]

    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    history = run_history(tmp_path / "killed")
    assert [h["status"] for h in history] == ["complete"]  # the same batch, finished; no second batch
    run_dir = Path(history[0]["run_dir"])
    assert json.loads((run_dir / "run.json").read_text())["attempts"][1]["resumed"]
    assert _kept_over_runs(tmp_path / "killed") == _kept_over_runs(tmp_path / "reference")
    reference_dir = next((tmp_path / "reference" / "runs").iterdir())
    assert rejected_rows(run_dir) == rejected_rows(reference_dir)


def _hash(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_night_dedups_against_all_earlier_nights_and_appends_shards_to_one_blend(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from stages.export.megatron import IndexedShard
    from stages.export.tokenizer import ExportTokenizer

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    article_warc(inputs / "crawl-0.warc.gz", count=4, start=0)
    manifest = write_manifest(tmp_path / "nightly.yaml", tmp_path / "out", [str(inputs / "*.warc.gz")])
    raw = yaml.safe_load(manifest.read_text())
    raw["dedup"] = {"exact": "whitespace", "minhash": None}
    raw["export"] = {"tokenizer": {"train": {"vocab_size": 512}}, "shard_size": "4KB"}
    manifest.write_text(yaml.safe_dump(raw))

    first = _nightly(manifest)
    first_dir = Path(first.summary["run_dir"])
    first_shards = {p.name: _hash(p) for p in (first_dir / "export").glob("shard-*")}
    assert first_shards and first.summary["totals"]["tokens_added"] > 0
    assert first.summary["inherited"] == {"dedup_state": [], "tokenizer": None}

    # The second night re-crawls stories 2 and 3 (same text, another file) and brings 4 and 5.
    article_warc(inputs / "crawl-1.warc.gz", count=4, start=2)
    second = _nightly(manifest)
    second_dir = Path(second.summary["run_dir"])
    inherited = second.summary["inherited"]
    assert inherited["dedup_state"] == [str(first_dir / "dedup" / "state.parquet")]
    first_export = json.loads((first_dir / "export" / "export.json").read_text())
    assert inherited["tokenizer"] == first_export["tokenizer"]["path"]

    first_ids = {row["text"]: doc_id for doc_id, row in kept_documents(first_dir).items()}
    kept_second = kept_documents(second_dir)
    assert len(kept_second) == 2 and not set(first_ids) & {row["text"] for row in kept_second.values()}
    rejects = pq.read_table(next((second_dir / "rejects" / "cross_source_dedup").glob("*/*/*.parquet"))).to_pylist()
    assert len(rejects) == 2 and {r["reason"] for r in rejects} == {"exact_duplicate"}
    assert {r["dedup_survivor"] for r in rejects} <= set(first_ids.values())  # the earlier night's copies survive

    # Old shards untouched; one blend over both nights; every token readable with the first night's tokenizer.
    assert {p.name: _hash(p) for p in (first_dir / "export").glob("shard-*")} == first_shards
    combined = json.loads((tmp_path / "out" / "export" / "export.json").read_text())
    second_export = json.loads((second_dir / "export" / "export.json").read_text())
    assert second_export["tokenizer"]["sha256"] == first_export["tokenizer"]["sha256"]
    assert [b["run_id"] for b in combined["batches"]] == [first.run_id, second.run_id]
    assert combined["tokens_written"] == first_export["tokens_written"] + second_export["tokens_written"]
    assert second.summary["totals"]["tokens_added"] == second_export["tokens_written"]
    blend = (tmp_path / "out" / "export" / "blend.txt").read_text().split()
    prefixes = blend[1::2]
    assert len(prefixes) == len(combined["shards"]) and abs(sum(map(float, blend[::2])) - 1) < 1e-9
    tokenizer = ExportTokenizer.load(first_export["tokenizer"]["path"])
    decoded = []
    for prefix in prefixes:
        shard = IndexedShard.open(prefix)
        decoded.extend(tokenizer.decode(shard[i][:-1].tolist()) for i in range(len(shard)))  # [:-1]: the EOD
    every_text = set(first_ids) | {row["text"] for row in kept_second.values()}
    assert set(decoded) == every_text and len(decoded) == len(every_text)
    history = run_history(tmp_path / "out")
    assert [h["tokens_added"] for h in history] == [first_export["tokens_written"], second_export["tokens_written"]]

    # Each night's state segment holds only what that night accepted; the third night reads both segments.
    segment = pq.read_table(second_dir / "dedup" / "state.parquet", columns=["id"]).column("id").to_pylist()
    assert set(segment) == set(kept_second)
    article_warc(inputs / "crawl-2.warc.gz", count=2, start=0)  # story 0 (first night) ...
    article_warc(inputs / "crawl-3.warc.gz", count=1, start=5)  # ... and story 5 (second night) again
    third = _nightly(manifest)
    assert len(third.summary["inherited"]["dedup_state"]) == 2
    assert not kept_documents(Path(third.summary["run_dir"]))  # all three were accepted on earlier nights
    reject_files = (Path(third.summary["run_dir"]) / "rejects" / "cross_source_dedup").glob("*/*/*.parquet")
    survivors = {row["dedup_survivor"] for path in reject_files for row in pq.read_table(path).to_pylist()}
    assert len(survivors & set(first_ids.values())) == 2 and len(survivors & set(kept_second)) == 1
