"""Docs/s per core for every stage of the flagship Common Crawl chain, and the run's peak memory.

Runs the real engine (local executor, one process = one core) over
``shared/data/warc/trafilatura-eval-repack.warc.gz`` repeated to about ``--records``
responses, with the stage chain of ``manifests/roots.yaml``'s ``cc`` source, then
reads each stage's time from the run's own ``stats.json``. Peak memory is the
process's maximum RSS.

    python bench/pipeline_stages.py [--records 600] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.manifest import parse_manifest  # noqa: E402
from pipeline.runner import RunOptions, execute_run  # noqa: E402


class _Quiet:
    def chunk_written(self, source: str, stages: list[dict[str, Any]]) -> None:
        pass


def repeated_warc(source: Path, target: Path, records: int) -> int:
    data = source.read_bytes()
    copies = max(1, round(records / 155))
    target.write_bytes(data * copies)
    return copies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=600, help="about this many HTML responses")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "pipeline_stages.json")
    args = parser.parse_args()
    warc = args.shared / "data" / "warc" / "trafilatura-eval-repack.warc.gz"
    if not warc.exists():
        print(f"SKIP: {warc} not found")
        return 0
    flagship = yaml.safe_load((REPO / "manifests" / "roots.yaml").read_text())
    cc = next(s for s in flagship["sources"] if s["name"] == "cc")
    with tempfile.TemporaryDirectory() as tmp:
        copies = repeated_warc(warc, Path(tmp) / "repeated.warc.gz", args.records)
        manifest = {
            "run": {"name": "bench", "output": str(Path(tmp) / "out"), "seed": 0},
            "executor": {"kind": "local", "batch_size": 256},
            "sources": [{**cc, "paths": [str(Path(tmp) / "repeated.warc.gz")]}],
        }
        if "reference_models" in flagship:  # perplexity / quality_classifier models come from the wikipedia sample
            wiki = next(s for s in flagship["sources"] if s["kind"] == "wikipedia")
            wiki_paths = [str(REPO / path) for path in wiki["paths"]]
            manifest["sources"].append({**wiki, "paths": wiki_paths, "stages": []})
            manifest["reference_models"] = {**flagship["reference_models"], "model_dir": str(Path(tmp) / "models")}
        started = time.perf_counter()
        outcome = execute_run(parse_manifest(manifest), RunOptions(), _Quiet())
        wall = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = outcome.stats["sources"]["cc"]["stages"]
    rows = [
        {
            "stage": s["stage"],
            "docs_in": s["in"],
            "seconds": s["seconds"],
            "docs_per_s_per_core": s["in"] / s["seconds"] if s["seconds"] else None,
            "share_of_time": s["seconds"] / sum(x["seconds"] for x in stages),
        }
        for s in stages
    ]
    records = stages[0]["in"]
    print(f"{copies} copies of the 155-page WARC, {records} records, wall {wall:.1f} s, peak RSS {peak_mib:.0f} MiB")
    print(f"{'stage':<20}{'docs in':>10}{'seconds':>10}{'docs/s/core':>14}{'share':>8}")
    for row in rows:
        rate = f"{row['docs_per_s_per_core']:,.0f}" if row["docs_per_s_per_core"] else "-"
        print(f"{row['stage']:<20}{row['docs_in']:>10}{row['seconds']:>10.2f}{rate:>14}{row['share_of_time']:>8.1%}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {"platform": platform.platform(), "python": platform.python_version()},
                "records": stages[0]["in"],
                "copies": copies,
                "wall_seconds": wall,
                "peak_rss_mib": peak_mib,
                "stages": rows,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
