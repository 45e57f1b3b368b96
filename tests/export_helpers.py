"""Helpers for the export tests: a small run over the bundled samples with an ``export:`` section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "manifests" / "samples"


def sample_sources() -> list[dict[str, Any]]:
    """Four of the flagship sources, with the cheap stages only."""
    return [
        {
            "name": "cc",
            "kind": "common_crawl",
            "paths": [str(SAMPLES / "cc" / "*.warc.gz")],
            "keep_status": [200],
            "stages": [{"extract": {"engine": "resiliparse", "timeout_s": 10}}],
        },
        {
            "name": "wikipedia",
            "kind": "wikipedia",
            "paths": [str(SAMPLES / "wikipedia" / "*wiki-*")],
            "namespaces": [0],
            "min_chars": 200,
        },
        {"name": "arxiv", "kind": "arxiv", "paths": [str(SAMPLES / "arxiv" / "*")], "min_chars": 300},
        {"name": "books", "kind": "books", "paths": [str(SAMPLES / "books" / "*.txt")], "min_words": 250},
    ]


def default_export(**overrides: Any) -> dict[str, Any]:
    export = {
        "tokenizer": {"train": {"vocab_size": 640, "sample_chars": 200_000}},
        "mixture": {
            "cc": {"weight": 1.0},
            "wikipedia": {"epochs": 2.45},
            "books": {"epochs": 2.23},
            "arxiv": {"epochs": 0.5},
        },
        "shard_size": "8KB",
        "seq_len": 64,
    }
    export.update(overrides)
    return export


def write_export_manifest(
    path: Path, output: Path, export: dict[str, Any] | None = None, executor: str = "local", seed: int = 7
) -> Path:
    manifest = {
        "run": {"name": "export-test", "output": str(output), "seed": seed},
        "executor": {"kind": executor, "batch_size": 8, "num_cpus": 2},
        "sources": sample_sources(),
        "export": export if export is not None else default_export(),
    }
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path
