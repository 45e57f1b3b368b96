"""Runs as Ray jobs: submit a manifest to a cluster's Job Submission API, follow its status and logs.

The job's working directory is this project (its code, manifests and bundled samples; not the virtual
environment, outputs or caches), and its entry point is ``curate run`` joining the cluster it runs on
(``--address auto``). The run directory must be a path every node can write (a shared filesystem), because
Ray workers on every node write their chunks there.
"""

from __future__ import annotations

import asyncio
import shlex
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
UPLOAD_EXCLUDES = [".venv", ".git", "out", "**/__pycache__", ".pytest_cache", ".ruff_cache", "bench/results", "docs"]
FINISHED = ("SUCCEEDED", "FAILED", "STOPPED")


def _client(address: str) -> Any:
    from ray.job_submission import JobSubmissionClient

    return JobSubmissionClient(address)


def submit(manifest: Path, address: str, run_args: list[str], python: str = "python") -> str:
    """Submit ``curate run MANIFEST RUN_ARGS`` as a Ray job; returns its submission id."""
    manifest = manifest.resolve()
    try:
        in_project = manifest.relative_to(PROJECT_ROOT).as_posix()  # the job sees the uploaded copy
    except ValueError:
        in_project = str(manifest)  # outside the project: must be readable at this path on the head node
    command = [python, "-m", "pipeline.cli", "run", in_project, "--address", "auto", "--no-progress", *run_args]
    return _client(address).submit_job(
        entrypoint=shlex.join(command),
        runtime_env={"working_dir": str(PROJECT_ROOT), "excludes": UPLOAD_EXCLUDES},
        metadata={"tool": "curate", "manifest": in_project},
    )


def job_status(job_id: str, address: str) -> dict[str, Any]:
    info = _client(address).get_job_info(job_id)
    return {
        "job_id": job_id,
        "status": str(info.status.value if hasattr(info.status, "value") else info.status),
        "message": info.message,
        "entrypoint": info.entrypoint,
        "start_time": info.start_time,
        "end_time": info.end_time,
        "driver_exit_code": getattr(info, "driver_exit_code", None),
    }


def wait_for(job_id: str, address: str, timeout_s: float, poll_s: float = 1.0) -> dict[str, Any]:
    """The job's status once it finished, or the last status seen when ``timeout_s`` ran out."""
    deadline = time.monotonic() + timeout_s
    status = job_status(job_id, address)
    while status["status"] not in FINISHED and time.monotonic() < deadline:
        time.sleep(poll_s)
        status = job_status(job_id, address)
    return status


def job_logs(job_id: str, address: str) -> str:
    return _client(address).get_job_logs(job_id)


def follow_logs(job_id: str, address: str, write: Any, timeout_s: float) -> None:
    """Stream the job's log to ``write`` until the job ends or ``timeout_s`` passes."""

    async def stream() -> None:
        async for lines in _client(address).tail_job_logs(job_id):
            write(lines)

    try:
        asyncio.run(asyncio.wait_for(stream(), timeout_s))
    except TimeoutError:
        write(f"\n(curate logs: stopped following after {timeout_s:.0f} s; the job goes on)\n")
