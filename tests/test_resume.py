from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO, write_manifest
from tests.runs import counts_only, kept_documents, rejected_rows, run
from tests.warc_factory import article_warc


def _inputs(folder: Path, files: int = 24) -> str:
    folder.mkdir()
    for index in range(files):
        article_warc(folder / f"crawl-{index:03d}.warc.gz", count=6, start=index * 6)
    return str(folder / "*.warc.gz")


def _completed_chunks(run_dir: Path) -> int:
    return len(list((run_dir / "stats").glob("*/*/*.json")))


def test_a_run_killed_with_sigkill_resumes_to_the_same_output_as_an_uninterrupted_run(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "inputs")
    reference = write_manifest(tmp_path / "reference.yaml", tmp_path / "reference", [inputs])
    expected = run(reference)

    manifest = write_manifest(tmp_path / "killed.yaml", tmp_path / "killed", [inputs])
    output = tmp_path / "killed"
    command = [sys.executable, "-m", "pipeline.cli", "run", str(manifest), "--no-progress"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _completed_chunks(output) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before it could be killed; give it more work"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    written_before_kill = _completed_chunks(output)
    assert 0 < written_before_kill
    assert json.loads((output / "run.json").read_text())["status"] == "running"

    refused = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert refused.returncode == 2 and "--resume" in refused.stdout + refused.stderr

    resumed = subprocess.run([*command, "--resume"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    record = json.loads((output / "run.json").read_text())
    assert record["status"] == "complete"
    assert len(record["attempts"]) == 2 and record["attempts"][1]["resumed"]
    assert record["attempts"][1]["parts_skipped"] > 0

    stats = json.loads((output / "stats.json").read_text())
    assert counts_only(stats) == counts_only(expected.stats)
    expected_docs, resumed_docs = kept_documents(tmp_path / "reference"), kept_documents(output)
    assert {k: v["text"] for k, v in resumed_docs.items()} == {k: v["text"] for k, v in expected_docs.items()}
    assert rejected_rows(output) == rejected_rows(tmp_path / "reference")
    for area in ("parts", "rejects", "stats"):  # half-written files of the killed part were cleared
        assert not list((output / area).rglob(".*.tmp-*"))


def test_resume_refuses_a_different_manifest(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "inputs", files=2)
    first = write_manifest(tmp_path / "a.yaml", tmp_path / "out", [inputs])
    run(first)
    second = write_manifest(tmp_path / "b.yaml", tmp_path / "out", [inputs], stages=[])
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", str(second), "--resume", "--no-progress"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "different manifest" in result.stdout + result.stderr


def test_resuming_a_finished_run_redoes_nothing(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "inputs", files=3)
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [inputs])
    first = run(manifest)
    again = run(manifest, resume=True)
    assert again.processed_parts == 0 and again.skipped_parts == 3
    assert counts_only(again.stats) == counts_only(first.stats)
