"""A real two-node Ray cluster on loopback (head 127.0.0.2, worker 127.0.0.3): runs, jobs and a killed worker."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.conftest import REPO, write_manifest
from tests.ray_nodes import HEAD_IP, LoopbackCluster, cluster_env, start_loopback_cluster
from tests.runs import counts_only, kept_documents, rejected_rows, run
from tests.warc_factory import article_warc

pytestmark = [pytest.mark.ray, pytest.mark.cluster]
WORKER_IP = "127.0.0.3"


@pytest.fixture(scope="module")
def cluster() -> Iterator[LoopbackCluster]:
    nodes = start_loopback_cluster(workers=1, cpus_per_node=1)
    try:
        yield nodes
    finally:
        nodes.stop()
    assert not nodes.processes(), "the cluster left processes behind"


def _inputs(folder: Path, files: int, articles: int) -> str:
    folder.mkdir()
    for index in range(files):
        article_warc(folder / f"crawl-{index:02d}.warc.gz", count=articles, start=index * articles)
    return str(folder / "*.warc.gz")


def _curate(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pipeline.cli", *args]
    return subprocess.run(command, cwd=REPO, env=cluster_env(), capture_output=True, text=True, timeout=timeout)


def _writer_nodes(run_dir: Path) -> set[str]:
    return {json.loads(path.read_text())["node"] for path in (run_dir / "stats").glob("*/*/*.json")}


def _same_output(run_dir: Path, reference: Path) -> None:
    stats = json.loads((run_dir / "stats.json").read_text())
    assert stats["accounting"]["ok"]
    assert counts_only(stats) == counts_only(json.loads((reference / "stats.json").read_text()))
    assert {k: v["text"] for k, v in kept_documents(run_dir).items()} == {
        k: v["text"] for k, v in kept_documents(reference).items()
    }
    assert rejected_rows(run_dir) == rejected_rows(reference)


def test_a_manifest_runs_on_both_nodes_and_matches_the_local_executor(cluster: LoopbackCluster, tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "inputs", files=8, articles=6)
    manifest = write_manifest(tmp_path / "cluster.yaml", tmp_path / "on-cluster", [inputs], executor="ray")
    result = _curate("run", str(manifest), "--address", cluster.address, "--no-progress")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _writer_nodes(tmp_path / "on-cluster") == {HEAD_IP, WORKER_IP}

    reference = write_manifest(tmp_path / "local.yaml", tmp_path / "local", [inputs])
    run(reference)
    _same_output(tmp_path / "on-cluster", tmp_path / "local")


def test_submit_runs_the_manifest_as_a_ray_job_and_status_and_logs_follow_it(
    cluster: LoopbackCluster, tmp_path: Path
) -> None:
    inputs = _inputs(tmp_path / "inputs", files=2, articles=3)
    manifest = write_manifest(tmp_path / "job.yaml", tmp_path / "job-out", [inputs], executor="ray")
    submitted = _curate("submit", str(manifest), "--address", cluster.dashboard, "--wait", "240")
    assert submitted.returncode == 0, submitted.stdout + submitted.stderr
    job_id = submitted.stdout.split("submitted job ", 1)[1].split()[0]

    status = _curate("status", job_id, "--address", cluster.dashboard)
    assert status.returncode == 0 and "SUCCEEDED" in status.stdout
    logs = _curate("logs", job_id, "--address", cluster.dashboard)
    assert "accounting: ok" in logs.stdout
    assert json.loads((tmp_path / "job-out" / "run.json").read_text())["status"] == "complete"


def test_a_worker_killed_mid_stage_is_retried_and_every_document_is_counted_once(
    cluster: LoopbackCluster, tmp_path: Path
) -> None:
    inputs = _inputs(tmp_path / "inputs", files=12, articles=30)
    manifest = write_manifest(tmp_path / "cluster.yaml", tmp_path / "disturbed", [inputs], executor="ray")
    command = [
        sys.executable,
        "-m",
        "pipeline.cli",
        "run",
        str(manifest),
        "--address",
        cluster.address,
        "--no-progress",
    ]
    process = subprocess.Popen(command, cwd=REPO, env=cluster_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed: list[str] = []
    deadline = time.monotonic() + 120
    while not killed and process.poll() is None and time.monotonic() < deadline:
        for worker in cluster.worker_processes(WORKER_IP) + cluster.worker_processes(HEAD_IP):
            try:
                title = " ".join(worker.cmdline())
                if "MapBatches" in title or "ReadParts" in title or "_read_parts" in title:
                    worker.kill()
                    killed.append(title)
                    break
            except psutil.NoSuchProcess:
                continue
        time.sleep(0.05)
    out, err = process.communicate(timeout=300)
    assert killed, "no busy Ray worker was found to kill; give the run more work"
    assert process.returncode == 0, out.decode() + err.decode()

    reference = write_manifest(tmp_path / "local.yaml", tmp_path / "undisturbed", [inputs])
    run(reference)
    _same_output(tmp_path / "disturbed", tmp_path / "undisturbed")
