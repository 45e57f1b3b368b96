"""Driver memory of the export's plan for a corpus of many documents, without the text.

The export's driver holds, per document, what ``pipeline.export.load_documents`` reads (id, source, lang and a
few integers) and the plan's index arrays (copies, stream order, copy numbers). This builds that table for
``--documents`` synthetic documents shaped like Common Crawl ones (ids like ``CC-MAIN-...warc.gz@<offset>``,
~800 tokens each: 3 M documents is about a 10 GB corpus) and runs the real plan functions, reporting the peak RSS
added. Tokenizing and writing stream one chunk at a time and are not part of it.

    python bench/export_plan_memory.py [--documents 3000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_common import cpu_model, print_table  # noqa: E402

from pipeline.export import copy_numbers, fertility, shared_strings  # noqa: E402
from stages.export.config import MixtureEntry  # noqa: E402
from stages.export.mixture import plan_rows, realise, row_of_documents, stream_order  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_table(n: int, path: Path) -> None:
    rng = np.random.default_rng(0)
    sources = np.array(["arxiv", "books", "cc", "github", "wikipedia"])[
        rng.choice(5, n, p=[0.03, 0.02, 0.8, 0.1, 0.05])
    ]
    langs = np.array(["en", "fr", "de", "es", "zh", "ar", "pt", "vi", "hi", "id"])[rng.integers(0, 10, n)]
    tokens = np.maximum(2, rng.lognormal(6.3, 1.0, n)).astype(np.int64)
    ids = pa.chunked_array(
        [
            pa.array(
                [
                    f"CC-MAIN-20240520{i % 9000:04d}-00{i % 640:03d}.warc.gz@{i * 7919}"
                    for i in range(b, min(n, b + 100_000))
                ]
            )
            for b in range(0, n, 100_000)
        ]
    )
    docs = pa.table(
        {
            "id": ids,
            "source": pa.array(sources),
            "lang": pa.array(langs),
            "row": pa.array(np.arange(n) % 256),
            "tokens": pa.array(tokens),
            "offset": pa.array(np.zeros(n, dtype=np.int64)),
            "file": pa.array(np.arange(n) // 256),
            "doc_row": pa.array(np.arange(n) % 256),
        }
    ).sort_by([("source", "ascending"), ("id", "ascending")])
    pq.write_table(docs, path)


def measure(path: Path) -> dict:
    """In a fresh process: read the document table as load_documents would, then run the plan."""
    docs = pq.read_table(path)
    after_read = peak_mb()
    started = time.perf_counter()
    n = docs.num_rows
    mixture = {"cc": MixtureEntry(weight=0.82), "github": MixtureEntry(weight=0.045)}
    mixture |= {"wikipedia": MixtureEntry(epochs=2.45), "books": MixtureEntry(epochs=2.23)}
    mixture |= {"arxiv": MixtureEntry(epochs=1.06)}
    sizes = docs.column("tokens").to_numpy()
    keys = row_of_documents(shared_strings(docs.column("source")), shared_strings(docs.column("lang")), mixture)
    copies, rows = realise(keys, sizes, plan_rows(keys, sizes, mixture, None), seed=1)
    order = stream_order(copies, seed=1)
    copy_numbers(order)
    fertility(docs, [], 0)  # the sample choice runs over every document (0 per language: no text is read)
    return {
        "documents": n,
        "tokens_available": int(sizes.sum()),
        "tokens_written": int(sum(r.tokens_written for r in rows)),
        "occurrences": len(order),
        "document_table_mb": docs.nbytes / 2**20,
        "peak_rss_after_reading_table_mb": after_read,
        "peak_rss_added_by_plan_mb": peak_mb() - after_read,
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=3_000_000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "export_plan_memory.json")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "documents.parquet"
        build_table(args.documents, path)
        output = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)], check=True, capture_output=True, text=True
        ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    held = result["document_table_mb"] + result["peak_rss_added_by_plan_mb"]
    result |= {"bytes_per_document": held * 2**20 / result["documents"], "cpu": cpu_model()}
    print_table(
        "export plan: driver memory without text (fresh process)",
        ["documents", "tokens available", "occurrences", "table MB", "plan peak added MB", "bytes/doc", "seconds"],
        [
            [
                f"{result['documents']:,}",
                f"{result['tokens_available']:,}",
                f"{result['occurrences']:,}",
                f"{result['document_table_mb']:,.0f}",
                f"{result['peak_rss_added_by_plan_mb']:,.0f}",
                f"{result['bytes_per_document']:.0f}",
                f"{result['seconds']:.1f}",
            ]
        ],
    )
    args.output.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
