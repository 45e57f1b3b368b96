#!/usr/bin/env python
"""A small corpus of real extracted documents for the filter benchmarks.

Sources (shared/data, PROVENANCE.md sections 1 and 2):

* every ``data/warc/*.warc.gz`` file: ``response`` records with HTTP status 200 and an HTML content type
  (Content-Type header, else ``WARC-Identified-Payload-Type``); dns:, robots.txt, images, scripts and redirects are
  left out;
* the extraction-benchmark pages ``data/extraction_benchmark/trafilatura-eval/html/*.html.gz``.

The 155 benchmark pages are in both places (``trafilatura-eval-repack.warc.gz`` carries the unmodified page bytes),
so pages are deduplicated on the sha1 of the HTML bytes: the first copy read wins, and WARC files are read first.
Extracted texts that are identical across different payloads are kept (exact deduplication is a later stage of the
pipeline); their count is in the build statistics.

Each page goes through what the pipeline does: ``decode_html(payload, declared_charset(content_type, head))``, then
``extract_main_text(html, "trafilatura_precision_rescue", url)``, then fastText lid.176 on
``stages.langid.prediction_text(text, None)``. Pages whose extraction is empty or fails are counted but not stored:
the ``langid`` stage would drop them as ``empty_text`` before any quality filter.

Columns: ``id``, ``source``, ``url``, ``lang``, ``lang_score``, ``text``. Build statistics are stored as JSON in the
Parquet schema metadata under ``curate_corpus_stats``.

Usage: ``python bench/extract_corpus.py [--shared PATH] [--out PATH] [--force]``. Other scripts call
:func:`load_or_build`. Exits 0 with ``SKIP:`` when the data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DEFAULT_SHARED = REPO_ROOT.parent / "shared"
DEFAULT_CORPUS = REPO_ROOT / "bench" / "results" / "corpus.tmp.parquet"
WARC_SUBDIR = Path("data/warc")
HTML_SUBDIR = Path("data/extraction_benchmark/trafilatura-eval")
ENGINE = "trafilatura_precision_rescue"
STATS_KEY = b"curate_corpus_stats"


class DataMissing(Exception):
    """The shared data this benchmark needs is not there."""


@dataclass
class Page:
    id: str
    source: str
    url: str | None
    content_type: str | None
    payload: bytes


def data_files(shared: Path) -> tuple[list[Path], list[Path], Path | None]:
    """(WARC files, benchmark HTML files, ground-truth file), raising DataMissing when there are none."""
    warcs = sorted((shared / WARC_SUBDIR).glob("*.warc.gz"))
    html_dir = shared / HTML_SUBDIR
    pages = sorted((html_dir / "html").glob("*.html.gz"))
    truth = html_dir / "ground-truth.json"
    if not warcs and not pages:
        raise DataMissing(f"no {WARC_SUBDIR}/*.warc.gz nor {HTML_SUBDIR}/html/*.html.gz under {shared}")
    return warcs, pages, truth if truth.is_file() else None


def _is_html(content_type: str | None) -> bool:
    return bool(content_type) and "html" in content_type.lower()  # type: ignore[union-attr]


def iter_pages(shared: Path, stats: Counter[str]) -> Iterator[Page]:
    """Every HTML page of the WARC files, then the benchmark pages."""
    from stages.sources.warc_records import iter_warc_records

    warcs, html_files, truth_file = data_files(shared)
    for path in warcs:
        name = path.name.removesuffix(".warc.gz")
        for item in iter_warc_records(str(path)):
            if item.error:
                stats[f"warc_error:{item.error}"] += 1
                continue
            if item.warc_type != "response" or item.payload is None:
                continue
            stats["warc_responses"] += 1
            content_type = item.content_type or item.identified_type
            if item.http_status != 200:
                stats["skipped_status_not_200"] += 1
                continue
            if not _is_html(content_type):
                stats["skipped_not_html"] += 1
                continue
            yield Page(f"{name}@{item.offset}", name, item.target_uri, item.content_type, item.payload)
    truth: dict[str, Any] = json.loads(truth_file.read_text(encoding="utf-8")) if truth_file else {}
    for path in html_files:
        page_id = path.name.removesuffix(".html.gz")
        url = truth.get(page_id, {}).get("url") or None
        yield Page(page_id, "trafilatura-eval-html", url, None, gzip.decompress(path.read_bytes()))


def build_corpus(shared: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Extract, deduplicate and language-identify every page; returns (rows, build statistics)."""
    from langid_models import load_model
    from stages.html_text import declared_charset, decode_html, extract_main_text
    from stages.langid import prediction_text

    stats: Counter[str] = Counter()
    seen: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for page in iter_pages(shared, stats):
        digest = hashlib.sha1(page.payload).hexdigest()
        if digest in seen:
            stats[f"duplicate_payload:{page.source}"] += 1
            continue
        seen[digest] = page.id
        stats[f"pages:{page.source}"] += 1
        try:
            html = decode_html(page.payload, declared_charset(page.content_type, page.payload[:4096]))
            text = extract_main_text(html, ENGINE, page.url)
        except Exception as exc:  # a benchmark corpus: count and go on, as the extract stage would
            stats[f"extract_error:{type(exc).__name__}"] += 1
            continue
        if not text.strip():
            stats["empty_text"] += 1
            continue
        rows.append({"id": page.id, "source": page.source, "url": page.url, "text": text})
    model = load_model()
    predictions = model.predict([prediction_text(row["text"], None) for row in rows], k=1) if rows else []
    for row, top in zip(rows, predictions, strict=True):
        lang, score = top[0]
        row["lang"], row["lang_score"] = lang, min(float(score), 1.0)
    texts = Counter(row["text"] for row in rows)
    summary = {
        "shared": str(shared),
        "engine": ENGINE,
        "langid_model": "lid.176.ftz",
        "documents": len(rows),
        "identical_texts_beyond_first": sum(n - 1 for n in texts.values() if n > 1),
        "by_source": dict(Counter(row["source"] for row in rows).most_common()),
        "by_lang": dict(Counter(row["lang"] for row in rows).most_common()),
        "counts": dict(sorted(stats.items())),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    return rows, summary


def write_corpus(rows: list[dict[str, Any]], summary: dict[str, Any], out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = ("id", "source", "url", "lang", "lang_score", "text")
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("lang", pa.string()),
            ("lang_score", pa.float32()),
            ("text", pa.string()),
        ],
        metadata={STATS_KEY: json.dumps(summary).encode()},
    )
    table = pa.table({name: [row.get(name) for row in rows] for name in columns}, schema=schema)
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out)


def read_corpus(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    meta = table.schema.metadata or {}
    summary = json.loads(meta[STATS_KEY]) if STATS_KEY in meta else {}
    return table.to_pylist(), summary


def load_or_build(
    shared: Path, out: Path = DEFAULT_CORPUS, force: bool = False
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The cached corpus when it exists (and ``force`` is off), else a fresh build written to ``out``.

    Raises DataMissing when the shared data is absent and no cache exists.
    """
    if out.is_file() and not force:
        return read_corpus(out)
    data_files(shared)  # raises DataMissing before any work when the shared data is absent
    rows, summary = build_corpus(shared)
    write_corpus(rows, summary, out)
    return rows, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared folder (default: ../shared)")
    parser.add_argument("--out", type=Path, default=DEFAULT_CORPUS, help="corpus Parquet file")
    parser.add_argument("--force", action="store_true", help="rebuild even when the cached corpus exists")
    args = parser.parse_args(argv)
    try:
        data_files(args.shared)
    except DataMissing as exc:
        print(f"SKIP: {exc}")
        return 0
    rows, summary = load_or_build(args.shared, args.out, force=args.force)
    print(f"{len(rows)} documents -> {args.out}")
    print(json.dumps({k: v for k, v in summary.items() if k != "shared"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
