from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("CURATE_SHARED", REPO.parent / "shared")) / "data"


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "warc").is_dir():
        pytest.skip(f"shared sample data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[None]:
    """One private local Ray for the whole session, on a loopback address, small object store."""
    ray = pytest.importorskip("ray")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if not ray.is_initialized():
        ray.init(
            _node_ip_address="127.0.0.2",
            num_cpus=2,
            object_store_memory=256 * 1024 * 1024,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    yield
    ray.shutdown()


def write_source_manifest(
    path: Path, output: Path, source: dict[str, Any], executor: str = "local", batch_size: int = 8
) -> Path:
    """A one-source manifest at ``path`` writing into ``output``."""
    manifest = {
        "run": {"name": "test-run", "output": str(output), "seed": 1},
        "executor": {"kind": executor, "batch_size": batch_size},
        "sources": [source],
    }
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def write_manifest(
    path: Path, output: Path, paths: list[str], stages: list[Any] | None = None, executor: str = "local", **source: Any
) -> Path:
    """A Common Crawl manifest (extraction by default) over ``paths``."""
    stages = stages if stages is not None else [{"extract": {"timeout_s": 10}}]
    entry = {"name": "cc", "kind": "common_crawl", "paths": paths, "stages": stages, **source}
    return write_source_manifest(path, output, entry, executor)
