#!/usr/bin/env python
"""WARC reading and HTML extraction throughput, per core.

Reads ``shared/data/warc/trafilatura-eval-repack.warc.gz`` (155 real pages as WARC response records, PROVENANCE.md
section 1) repeated to about ``--records`` response records: the gzip file is concatenated with itself into a
temporary folder, which is valid because every record is its own gzip member. Then, in one run:

a. FastWARC: ``ArchiveIterator(stream, parse_http=True)`` and ``record.reader.read()`` for every record, on a Python
   file object (the primary row) and on a path (FastWARC's own file reader);
b. warcio: ``ArchiveIterator(stream)`` and ``record.content_stream().read()`` for every record;
c. the project's reader ``stages.sources.warc_records.iter_warc_records(uri)``, when it can be imported;
d. decode (``declared_charset`` + ``decode_html``) + ``extract_main_text`` for every engine of
   ``stages/html_text.py`` on the first ``--extract-records`` response payloads, round-robin per record so machine
   noise hits every engine alike, plus the two rescue candidates from docs/extraction.md, labelled as candidates.

Every measurement runs in a fresh single-threaded process (spawn), so docs/s is per core and the peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) belongs to that measurement alone. Reader rounds are interleaved
(``--repeat`` rounds; the fastest round is reported, the median is in the JSON).

Usage: ``python bench/warc_throughput.py [--shared PATH] [--records N]``. Exits 0 with a message when the WARC is
absent. Writes ``bench/results/warc_throughput.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench_common import cpu_model, package_versions, print_table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
WARC_SUBPATH = Path("data/warc/trafilatura-eval-repack.warc.gz")
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "warc_throughput.json"
RESCUE_RATIO = 0.2  # keep in step with docs/extraction.md and bench/extraction_quality.py

Result = dict[str, Any]


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _timed(run: Callable[[], tuple[int, int, int]]) -> Result:
    """Run a reader, returning records, response records, payload bytes, CPU and wall seconds, peak RSS."""
    rss_before = _rss_kb()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    records, responses, payload_bytes = run()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {
        "records": records,
        "responses": responses,
        "payload_bytes": payload_bytes,
        "cpu_s": cpu,
        "wall_s": wall,
        "rss_before_kb": rss_before,
        "peak_rss_kb": _rss_kb(),
    }


# --------------------------------------------------------------------------------------------- readers (child)


def read_fastwarc(path: str) -> Result:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    def run() -> tuple[int, int, int]:
        records = responses = size = 0
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream, parse_http=True):
                records += 1
                responses += record.record_type == WarcRecordType.response
                size += len(record.reader.read())
        return records, responses, size

    return _timed(run)


def read_fastwarc_path(path: str) -> Result:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    def run() -> tuple[int, int, int]:
        records = responses = size = 0
        for record in ArchiveIterator(path, parse_http=True, fsspec_args=False):
            records += 1
            responses += record.record_type == WarcRecordType.response
            size += len(record.reader.read())
        return records, responses, size

    return _timed(run)


def read_warcio(path: str) -> Result:
    from warcio.archiveiterator import ArchiveIterator

    def run() -> tuple[int, int, int]:
        records = responses = size = 0
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                records += 1
                responses += record.rec_type == "response"
                size += len(record.content_stream().read())
        return records, responses, size

    return _timed(run)


def read_project(path: str) -> Result:
    sys.path.insert(0, str(REPO_ROOT))
    try:
        from stages.sources.warc_records import iter_warc_records
    except Exception as exc:  # the module is optional here: report why it is missing
        return {"unavailable": f"{type(exc).__name__}: {exc}"}

    def run() -> tuple[int, int, int]:
        records = responses = size = 0
        for item in iter_warc_records(path):
            records += 1
            responses += getattr(item, "warc_type", None) == "response"
            payload = getattr(item, "payload", None)
            size += len(payload) if isinstance(payload, bytes | bytearray) else 0
        return records, responses, size

    try:
        return _timed(run)
    except Exception as exc:
        return {"unavailable": f"{type(exc).__name__} while reading: {exc}"}


READERS: dict[str, tuple[str, Callable[[str], Result]]] = {
    "fastwarc": ("fastwarc ArchiveIterator(file object, parse_http=True) + record.reader.read()", read_fastwarc),
    "fastwarc_path": ("fastwarc ArchiveIterator(path, parse_http=True, fsspec_args=False)", read_fastwarc_path),
    "warcio": ("warcio ArchiveIterator(file object) + record.content_stream().read()", read_warcio),
    "project_iter_warc_records": ("stages.sources.warc_records.iter_warc_records(path)", read_project),
}


def run_reader(name: str, path: str) -> Result:
    return READERS[name][1](path)


# --------------------------------------------------------------------------------------------- extraction (child)
def reset_between_runs() -> None:
    """Outside the timing, before each extraction: drop trafilatura's per-line caches, so that a configuration
    does not profit from another one's run on the same page (or from a repeated page), and collect young garbage."""
    from trafilatura import utils

    utils.line_processing.cache_clear()
    utils.trim.cache_clear()
    gc.collect(1)


def run_extraction(path: str, n_records: int) -> Result:
    """Decode + extract the first n response payloads with every engine, round-robin per record."""
    import logging

    from fastwarc.warc import ArchiveIterator, WarcRecordType

    sys.path.insert(0, str(REPO_ROOT))
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    from stages.html_text import EXTRACT_ENGINES, declared_charset, decode_html, extract_main_text

    logging.disable(logging.CRITICAL)
    docs: list[tuple[bytes, str | None, str | None]] = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True):
            content_type = record.http_headers.get("Content-Type") if record.http_headers else None
            docs.append((record.reader.read(), content_type, record.headers.get("WARC-Target-URI")))
            if len(docs) >= n_records:
                break

    def engine(name: str) -> Callable[[str, str | None], str]:
        return lambda html, url: extract_main_text(html, name, url=url)  # type: ignore[arg-type]

    def with_rescue(**options: Any) -> Callable[[str, str | None], str]:
        # The rescue candidates described in docs/extraction.md (not engines of stages/html_text.py yet).
        import trafilatura

        def run(html: str, url: str | None) -> str:
            text = trafilatura.extract(
                html, url=url, include_comments=False, include_tables=True, deduplicate=False, **options
            )
            text = text or ""
            full = extract_plain_text(
                HTMLTree.parse(html), main_content=True, preserve_formatting=True, list_bullets=False, alt_texts=False
            )
            return full if len(text) < RESCUE_RATIO * len(full) else text

        return run

    runners: dict[str, Callable[[str, str | None], str]] = {name: engine(name) for name in EXTRACT_ENGINES}
    runners["cand:trafilatura_fast+resiliparse_rescue"] = with_rescue(no_fallback=True)
    runners["cand:trafilatura_precision+resiliparse_rescue"] = with_rescue(favor_precision=True)
    warm = "<html><body><article><p>" + "warm up text. " * 40 + "</p></article></body></html>"
    for fn in runners.values():
        fn(warm, None)

    stats = {name: {"docs": 0, "cpu_s": 0.0, "wall_s": 0.0, "empty": 0, "errors": 0, "chars": 0} for name in runners}
    rss_before = _rss_kb()
    for raw, content_type, url in docs:
        for name, fn in runners.items():
            s = stats[name]
            reset_between_runs()
            cpu0, wall0 = time.process_time(), time.perf_counter()
            try:
                text = fn(decode_html(raw, declared_charset(content_type, raw[:4096])), url)
            except Exception:  # undecodable or a crash in an extractor: counted, not fatal
                text = ""
                s["errors"] += 1
            s["cpu_s"] += time.process_time() - cpu0
            s["wall_s"] += time.perf_counter() - wall0
            s["docs"] += 1
            s["empty"] += not text.strip()
            s["chars"] += len(text)
    return {
        "records": len(docs),
        "input_bytes": sum(len(d[0]) for d in docs),
        "engines": stats,
        "rss_before_kb": rss_before,
        "peak_rss_kb": _rss_kb(),
    }


# --------------------------------------------------------------------------------------------- parent


def in_fresh_process(fn: Callable[..., Result], *args: Any) -> Result:
    """Run fn(*args) in a new spawned interpreter: one core, its own peak RSS."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def make_repeated_warc(source: Path, target: Path, records: int) -> tuple[int, int]:
    """Concatenate source until it holds at least `records` responses. Returns (copies, responses per copy)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    per_copy = sum(1 for _ in ArchiveIterator(str(source), record_types=WarcRecordType.response, fsspec_args=False))
    copies = max(1, math.ceil(records / max(per_copy, 1)))
    data = source.read_bytes()
    with open(target, "wb") as out:
        for _ in range(copies):
            out.write(data)
    return copies, per_copy


def machine_info() -> dict[str, Any]:
    try:
        nproc = int(subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip())
    except (OSError, ValueError, subprocess.CalledProcessError):
        nproc = len(os.sched_getaffinity(0))
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_model": cpu_model(),
        "nproc": nproc,
        "mem_gib": round(mem_kb / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default: %(default)s)")
    parser.add_argument("--records", type=int, default=2000, help="about this many response records (default 2000)")
    parser.add_argument(
        "--extract-records", type=int, default=500, help="response records to extract with each engine (default 500)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds of the reader timings (default 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file (default: %(default)s)")
    args = parser.parse_args(argv)

    source = args.shared / WARC_SUBPATH
    if not source.is_file():
        print(f"SKIP: benchmark WARC not found at {source} (pass --shared PATH)")
        return 0

    started = time.perf_counter()
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="warc_throughput_") as tmp:
        path = Path(tmp) / "repeated.warc.gz"
        copies, per_copy = make_repeated_warc(source, path, args.records)
        size = path.stat().st_size
        print(
            f"{path.name}: {copies} copies x {per_copy} responses = {copies * per_copy} responses, {size / 1e6:.1f} MB"
        )

        rounds: dict[str, list[Result]] = {name: [] for name in READERS}
        for i in range(args.repeat):
            for name in READERS:
                rounds[name].append(in_fresh_process(run_reader, name, str(path)))
            print(f"  reader round {i + 1}/{args.repeat} done", flush=True)
        n_extract = min(args.extract_records, copies * per_copy)
        print(f"  extracting {n_extract} records with every engine ...", flush=True)
        extraction = in_fresh_process(run_extraction, str(path), n_extract)

    readers: dict[str, Result] = {}
    for name, results in rounds.items():
        ok = [r for r in results if "unavailable" not in r]
        if not ok:
            readers[name] = {"description": READERS[name][0], "unavailable": results[0]["unavailable"]}
            continue
        best = min(ok, key=lambda r: r["cpu_s"])
        readers[name] = {
            "description": READERS[name][0],
            **best,
            "responses_per_s_cpu": best["responses"] / best["cpu_s"],
            "responses_per_s_wall": best["responses"] / best["wall_s"],
            "compressed_mb_per_s_cpu": size / 1e6 / best["cpu_s"],
            "cpu_s_median": statistics.median(r["cpu_s"] for r in ok),
            "wall_s_median": statistics.median(r["wall_s"] for r in ok),
            "peak_rss_kb_max": max(r["peak_rss_kb"] for r in ok),
        }

    def ratio(a: str, b: str, key: str = "cpu_s") -> float | None:
        if "unavailable" in readers[a] or "unavailable" in readers[b]:
            return None
        return readers[b][key] / readers[a][key]

    ratios = {
        "fastwarc_over_warcio": ratio("fastwarc", "warcio"),
        "fastwarc_over_warcio_median": ratio("fastwarc", "warcio", "cpu_s_median"),
        "fastwarc_path_over_warcio": ratio("fastwarc_path", "warcio"),
        "project_over_warcio": ratio("project_iter_warc_records", "warcio"),
        "project_over_fastwarc": ratio("project_iter_warc_records", "fastwarc"),
    }

    rows = []
    for name, r in readers.items():
        if "unavailable" in r:
            rows.append([name, "-", "-", "-", "-", "-", "-", f"unavailable: {r['unavailable']}"])
            continue
        rows.append(
            [
                name,
                str(r["records"]),
                str(r["responses"]),
                f"{r['responses_per_s_cpu']:,.0f}",
                f"{r['responses_per_s_wall']:,.0f}",
                f"{r['compressed_mb_per_s_cpu']:.0f}",
                f"{r['peak_rss_kb_max'] / 1024:.0f} ({r['rss_before_kb'] / 1024:.0f})",
                f"{r['cpu_s']:.2f} s CPU (median {r['cpu_s_median']:.2f})",
            ]
        )
    print_table(
        f"WARC reading, {size / 1e6:.1f} MB gzip, one process each (best of {args.repeat} interleaved rounds)",
        ["reader", "records", "responses", "resp/s CPU", "resp/s wall", "MB/s (gz)", "peak RSS MiB (before)", "time"],
        rows,
    )
    print(
        "fastwarc / warcio speed: "
        + ", ".join(f"{k} = {v:.2f}x" for k, v in ratios.items() if v is not None)
        + ("" if ratios["project_over_warcio"] is not None else " (project reader unavailable)")
    )

    engines = extraction["engines"]
    trafilatura_cpu = engines["trafilatura"]["cpu_s"]
    ext_rows = [
        [
            name,
            str(s["docs"]),
            f"{s['docs'] / s['cpu_s']:.1f}",
            f"{s['docs'] / s['wall_s']:.1f}",
            f"{trafilatura_cpu / s['cpu_s']:.2f}",
            str(s["empty"]),
            str(s["errors"]),
        ]
        for name, s in engines.items()
    ]
    print_table(
        f"Decode + extract, first {extraction['records']} response records, one process, round-robin per record "
        f"(peak RSS {extraction['peak_rss_kb'] / 1024:.0f} MiB)",
        ["engine", "docs", "docs/s CPU", "docs/s wall", "x trafilatura", "empty", "errors"],
        ext_rows,
    )

    report = {
        "benchmark": "WARC reading and extraction throughput (shared/data/warc/trafilatura-eval-repack.warc.gz)",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "date_local": subprocess.run(["date"], capture_output=True, text=True, check=False).stdout.strip(),
        "machine": machine_info(),
        "load_average_start": load_start,
        "load_average_end": os.getloadavg(),
        "versions": package_versions(("fastwarc", "warcio", "trafilatura", "resiliparse")),
        "method": (
            "Each measurement in a fresh spawned process (one core). Readers: all records iterated and every payload "
            "read; best (lowest CPU time) of --repeat interleaved rounds. Extraction: declared_charset + decode_html "
            "+ extractor, engines round-robin per record, trafilatura line caches cleared before each call. "
            "docs/s = documents / CPU seconds of that process; peak RSS = ru_maxrss of that process."
        ),
        "input": {"copies": copies, "responses_per_copy": per_copy, "gzip_bytes": size},
        "readers": readers,
        "ratios": ratios,
        "extraction": {
            **extraction,
            "engines": {
                name: {
                    **s,
                    "docs_per_s_cpu": s["docs"] / s["cpu_s"],
                    "docs_per_s_wall": s["docs"] / s["wall_s"],
                    "speed_vs_trafilatura": trafilatura_cpu / s["cpu_s"],
                }
                for name, s in engines.items()
            },
        },
        "total_wall_s": time.perf_counter() - started,
        "parent_peak_rss_kb": _rss_kb(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\ntotal {report['total_wall_s']:.0f} s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
