"""Helpers to run manifests in-process and read run directories back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.manifest import load_manifest
from pipeline.runner import RunOptions, RunOutcome, execute_run


class NoProgress:
    def chunk_written(self, source: str, stages: list[dict[str, Any]]) -> None:
        pass


def run(manifest: Path, **options: Any) -> RunOutcome:
    return execute_run(load_manifest(manifest), RunOptions(**options), NoProgress())


def kept_documents(run_dir: Path) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted((run_dir / "parts").glob("*/*/*.parquet")):
        for row in pq.read_table(path).to_pylist():
            assert row["id"] not in docs, f"document {row['id']} written twice"
            docs[row["id"]] = row
    return docs


def rejected_rows(run_dir: Path) -> dict[str, tuple[str, str, str]]:
    rows: dict[str, tuple[str, str, str]] = {}
    for path in sorted((run_dir / "rejects").glob("*/*/*/*.parquet")):
        stage = path.parts[-4]
        for row in pq.read_table(path, columns=["id", "fate", "reason"]).to_pylist():
            assert row["id"] not in rows, f"rejected row {row['id']} written twice"
            rows[row["id"]] = (stage, row["fate"], row["reason"])
    return rows


def counts_only(stats: dict[str, Any]) -> dict[str, Any]:
    """Stats without timings, for comparing runs."""
    result = json.loads(json.dumps(stats))
    for source in result["sources"].values():
        for stage in source["stages"]:
            stage.pop("seconds")
    return result
