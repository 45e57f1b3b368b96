#!/usr/bin/env python
"""Main-text extraction quality on the trafilatura evaluation subset (shared/data, PROVENANCE.md section 2).

Protocol (trafilatura's ``tests/evaluate.py``): decode every page with ``decode_html``, extract, then check
each ``with`` snippet is contained in the output and each ``without`` snippet is absent, after collapsing
runs of whitespace to one space on both sides. A crash or an empty output counts as a full miss.

Reported per configuration:

* ``with_found``: found ``with`` snippets / all ``with`` snippets (recall-like);
* ``without_absent``: absent ``without`` snippets / all ``without`` snippets (precision-like);
* ``f1``: the harmonic mean of the two;
* ``traf_precision``, ``traf_recall``, ``traf_f1``: the confusion-matrix scores exactly as trafilatura's
  ``eval_common.py`` computes them (precision = tp / (tp + fp), F1 = 2tp / (2tp + fp + fn)), for comparison
  with published trafilatura numbers;
* the same per main language (``lang_fasttext_guess``), and docs/s on one core (decode + extract, CPU time).
* a paired bootstrap over pages of each configuration's difference from trafilatura (95% interval);
* the rescue-ratio sensitivity, and how often the rescue fires on the other sample WARCs (no ground truth there).

Rows named ``cand:*`` are candidate configurations that call the libraries directly; they are not engines
of ``stages/html_text.py``.

Usage: ``python bench/extraction_quality.py [--shared PATH]``. Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import logging
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_common import cpu_model, package_versions, print_table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
BENCH_SUBDIR = Path("data/extraction_benchmark/trafilatura-eval")
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "extraction_quality.json"

# The rescue candidates switch to resiliparse when trafilatura's text is shorter than this fraction of
# resiliparse's text (trafilatura then kept only a fragment of the page, e.g. a teaser or one block).
RESCUE_RATIO = 0.2
SWEEP_RATIOS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)

_WS = re.compile(r"\s+")

Extractor = Callable[[str, str | None], str]


def norm(text: str) -> str:
    """Collapse runs of whitespace to one space (both the output and the snippets)."""
    return _WS.sub(" ", text).strip()


@dataclass
class Counts:
    """Confusion counts over with/without snippets, plus bookkeeping."""

    tp: int = 0  # `with` snippet found
    fn: int = 0  # `with` snippet missing
    fp: int = 0  # `without` snippet present
    tn: int = 0  # `without` snippet absent
    pages: int = 0
    empty: int = 0
    errors: int = 0

    def add(self, other: Counts) -> None:
        for name in ("tp", "fn", "fp", "tn", "pages", "empty", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float]:
        with_found = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        without_absent = self.tn / (self.tn + self.fp) if self.tn + self.fp else 0.0
        hm = 2 * with_found * without_absent / (with_found + without_absent) if with_found + without_absent else 0.0
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        denom = 2 * self.tp + self.fp + self.fn
        return {
            "with_found": with_found,
            "without_absent": without_absent,
            "f1": hm,
            "traf_precision": precision,
            "traf_recall": with_found,
            "traf_f1": 2 * self.tp / denom if denom else 0.0,
        }


def score_page(text: str, item: dict[str, Any]) -> Counts:
    out = norm(text)
    found = sum(1 for s in item["with"] if norm(s) in out)
    present = sum(1 for s in item["without"] if norm(s) in out)
    return Counts(
        tp=found,
        fn=len(item["with"]) - found,
        fp=present,
        tn=len(item["without"]) - present,
        pages=1,
        empty=int(not text.strip()),
    )


@dataclass
class ConfigResult:
    name: str
    kind: str  # "engine" (stages/html_text.py) or "candidate"
    description: str
    total: Counts = field(default_factory=Counts)
    by_lang: dict[str, Counts] = field(default_factory=dict)
    cpu_s: float = 0.0
    wall_s: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)
    page_counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (with found, without present)


# --------------------------------------------------------------------------------------------- configurations


def build_configs() -> list[tuple[str, str, str, Extractor]]:
    """(name, kind, description, fn(html, url) -> text) for every engine and candidate."""
    import trafilatura
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    from stages.html_text import EXTRACT_ENGINES, extract_main_text

    def traf(html: str, url: str | None, **options: Any) -> str:
        text = trafilatura.extract(
            html, url=url, include_comments=False, include_tables=True, deduplicate=False, **options
        )
        return text or ""

    def resiliparse(html: str) -> str:
        # Same options as stages.html_text.extract_resiliparse.
        return extract_plain_text(
            HTMLTree.parse(html), main_content=True, preserve_formatting=True, list_bullets=False, alt_texts=False
        )

    def rescue(text: str, html: str) -> str:
        full = resiliparse(html)
        return full if len(text) < RESCUE_RATIO * len(full) else text

    def engine(name: str) -> Extractor:
        return lambda html, url: extract_main_text(html, name, url=url)  # type: ignore[arg-type]

    configs: list[tuple[str, str, str, Extractor]] = [
        (name, "engine", f"stages.html_text.extract_main_text(engine={name!r})", engine(name))
        for name in EXTRACT_ENGINES
    ]
    configs += [
        (
            "cand:trafilatura_favor_recall",
            "candidate",
            "trafilatura.extract(favor_recall=True), otherwise the engine's options",
            lambda html, url: traf(html, url, favor_recall=True),
        ),
        (
            "cand:trafilatura_favor_precision",
            "candidate",
            "trafilatura.extract(favor_precision=True), otherwise the engine's options",
            lambda html, url: traf(html, url, favor_precision=True),
        ),
        (
            "cand:trafilatura_fast",
            "candidate",
            "trafilatura.extract(no_fallback=True): no readability/jusText fallback",
            lambda html, url: traf(html, url, no_fallback=True),
        ),
        (
            "cand:trafilatura_fast+resiliparse_rescue",
            "candidate",
            (
                f"trafilatura(no_fallback=True); resiliparse's text instead when trafilatura's is shorter than "
                f"{RESCUE_RATIO} x resiliparse's"
            ),
            lambda html, url: rescue(traf(html, url, no_fallback=True), html),
        ),
        (
            "cand:trafilatura_precision+resiliparse_rescue",
            "candidate",
            (
                f"trafilatura(favor_precision=True); resiliparse's text instead when trafilatura's is shorter than "
                f"{RESCUE_RATIO} x resiliparse's"
            ),
            lambda html, url: rescue(traf(html, url, favor_precision=True), html),
        ),
    ]
    return configs


# --------------------------------------------------------------------------------------------- evaluation
def reset_between_runs() -> None:
    """Outside the timing, before each extraction: drop trafilatura's per-line caches, so that a configuration
    does not profit from another one's run on the same page (or from a repeated page), and collect young garbage."""
    from trafilatura import utils

    utils.line_processing.cache_clear()
    utils.trim.cache_clear()
    gc.collect(1)


def load_pages(bench_dir: Path, limit: int | None) -> tuple[dict[str, dict[str, Any]], dict[str, bytes]]:
    truth: dict[str, dict[str, Any]] = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    raw = {pid: gzip.decompress((bench_dir / "html" / f"{pid}.html.gz").read_bytes()) for pid in ids}
    return {pid: truth[pid] for pid in ids}, raw


def page_url(item: dict[str, Any]) -> str | None:
    """The page URL when the annotation has a real one (some keys are file names, not URLs)."""
    url = item.get("url") or ""
    return url if url.startswith(("http://", "https://")) else None


def evaluate(
    configs: list[tuple[str, str, str, Extractor]],
    truth: dict[str, dict[str, Any]],
    raw: dict[str, bytes],
    lang_of: dict[str, str],
    repeat: int,
) -> list[ConfigResult]:
    """Run every configuration on every page, round-robin per page so that machine noise hits all alike.

    The output of the first run is scored; the time of a (config, page) pair is the fastest of ``repeat`` runs.
    """
    from stages.html_text import decode_html

    results = [ConfigResult(name=name, kind=kind, description=description) for name, kind, description, _ in configs]
    for i, (pid, item) in enumerate(truth.items(), 1):
        url = page_url(item)
        for result, (_, _, _, fn) in zip(results, configs, strict=True):
            best_cpu = best_wall = float("inf")
            text, error = "", False
            for run in range(repeat):
                reset_between_runs()
                cpu0, wall0 = time.process_time(), time.perf_counter()
                try:
                    out = fn(decode_html(raw[pid], None), url)
                except Exception as exc:  # a crash is a full miss, as in trafilatura's evaluation
                    out = ""
                    if run == 0:
                        error = True
                        print(f"  {result.name}: {pid}: {type(exc).__name__}: {exc}", file=sys.stderr)
                best_cpu = min(best_cpu, time.process_time() - cpu0)
                best_wall = min(best_wall, time.perf_counter() - wall0)
                if run == 0:
                    text = out
            result.cpu_s += best_cpu
            result.wall_s += best_wall
            counts = score_page(text, item)
            counts.errors = int(error)
            result.total.add(counts)
            result.by_lang.setdefault(lang_of[pid], Counts()).add(counts)
            result.outputs[pid] = text
            result.page_counts[pid] = (counts.tp, counts.fp)
        if i % 50 == 0:
            print(f"  {i}/{len(truth)} pages", flush=True)
    return results


def rescue_sweep(base: ConfigResult, fallback: ConfigResult, truth: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Scores of 'base, or fallback when len(base) < r * len(fallback)' for several r, from stored outputs."""
    rows = []
    for ratio in SWEEP_RATIOS:
        total, switched = Counts(), 0
        for pid, item in truth.items():
            text, full = base.outputs[pid], fallback.outputs[pid]
            if len(text) < ratio * len(full):
                text, switched = full, switched + 1
            total.add(score_page(text, item))
        rows.append({"ratio": ratio, "pages_switched": switched, **total.scores()})
    return rows


def bootstrap_delta(
    result: ConfigResult, reference: ConfigResult, truth: dict[str, dict[str, Any]], resamples: int, seed: int = 0
) -> dict[str, float]:
    """Paired bootstrap over pages of (result - reference) for with_found, without_absent and f1 (hm).

    Returns the point deltas, their 2.5 and 97.5 percentiles, and how often the F1 delta is >= 0.
    """
    import random

    ids = list(truth)
    n_with = {pid: len(truth[pid]["with"]) for pid in ids}
    n_without = {pid: len(truth[pid]["without"]) for pid in ids}

    def scores(r: ConfigResult, sample: list[str]) -> tuple[float, float, float]:
        c = Counts()
        for pid in sample:
            tp, fp = r.page_counts[pid]
            c.add(Counts(tp=tp, fn=n_with[pid] - tp, fp=fp, tn=n_without[pid] - fp))
        s = c.scores()
        return s["with_found"], s["without_absent"], s["f1"]

    def delta(sample: list[str]) -> tuple[float, ...]:
        a, b = scores(result, sample), scores(reference, sample)
        return tuple(x - y for x, y in zip(a, b, strict=True))

    rng = random.Random(seed)
    draws = [delta(rng.choices(ids, k=len(ids))) for _ in range(resamples)]
    point = delta(ids)
    out: dict[str, float] = {}
    for i, key in enumerate(("with_found", "without_absent", "f1")):
        values = sorted(d[i] for d in draws)
        out[f"{key}_delta"] = point[i]
        out[f"{key}_delta_lo"] = values[int(0.025 * (resamples - 1))]
        out[f"{key}_delta_hi"] = values[int(0.975 * (resamples - 1))]
    out["p_f1_delta_ge_0"] = sum(d[2] >= 0 for d in draws) / resamples
    return out


RESCUE_RATE_WARCS = (
    "cc-main-2020-34-resiliparse-sample.warc.gz",
    "cc-main-2024-22-whirlwind.warc.gz",
    "dolma-sample-0000.warc.gz",
    "dolma-sample-0001.warc.gz",
    "heritrix-archive-org-2008-blackbook.warc.gz",
)


def rescue_rates(warc_dir: Path) -> dict[str, dict[str, int]]:
    """How often the rescue would fire on the other sample WARCs (no ground truth there, so no scores).

    For every text/html response: trafilatura in three modes and resiliparse; a page counts as rescued for a mode
    when the mode's text is shorter than RESCUE_RATIO x resiliparse's.
    """
    import trafilatura
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    from stages.html_text import UndecodableHTML, declared_charset, decode_html, extract_resiliparse

    modes: dict[str, dict[str, bool]] = {
        "trafilatura": {},
        "trafilatura_fast": {"no_fallback": True},
        "trafilatura_favor_precision": {"favor_precision": True},
    }
    out: dict[str, dict[str, int]] = {}
    for name in RESCUE_RATE_WARCS:
        path = warc_dir / name
        if not path.is_file():
            continue
        row = {"html_pages": 0, "resiliparse_empty": 0, **{f"rescued_{m}": 0 for m in modes}}
        iterator = ArchiveIterator(str(path), record_types=WarcRecordType.response, parse_http=True, fsspec_args=False)
        for record in iterator:
            content_type = record.http_headers.get("Content-Type") if record.http_headers else None
            if not content_type or "html" not in content_type.lower():
                continue
            raw = record.reader.read()
            try:
                html = decode_html(raw, declared_charset(content_type, raw[:4096]))
            except UndecodableHTML:
                continue
            url = record.headers.get("WARC-Target-URI")
            full = extract_resiliparse(html, url)
            row["html_pages"] += 1
            row["resiliparse_empty"] += not full.strip()
            for mode, options in modes.items():
                text = trafilatura.extract(
                    html, url=url, include_comments=False, include_tables=True, deduplicate=False, **options
                )
                row[f"rescued_{mode}"] += len(text or "") < RESCUE_RATIO * len(full)
        out[name] = row
    return out


# --------------------------------------------------------------------------------------------- reporting


def machine_info() -> dict[str, Any]:
    import os

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_model": cpu_model(),
        "nproc": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (for a quick check)")
    parser.add_argument(
        "--min-lang-pages", type=int, default=10, help="languages with fewer pages are grouped as 'other'"
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="time each extraction this many times and keep the fastest (default 2)"
    )
    parser.add_argument("--bootstrap", type=int, default=2000, help="paired bootstrap resamples (default 2000)")
    parser.add_argument(
        "--no-rescue-rates", action="store_true", help="skip the rescue-rate count on the other sample WARCs"
    )
    args = parser.parse_args(argv)

    bench_dir = args.shared / BENCH_SUBDIR
    if not (bench_dir / "ground-truth.json").is_file():
        print(f"SKIP: extraction benchmark not found at {bench_dir} (pass --shared PATH)")
        return 0

    sys.path.insert(0, str(REPO_ROOT))
    logging.disable(logging.CRITICAL)  # trafilatura logs every page it finds too short

    truth, raw = load_pages(bench_dir, args.limit)
    lang_counts = Counter(item.get("lang_fasttext_guess") or "unknown" for item in truth.values())
    main_langs = [lang for lang, n in lang_counts.most_common() if n >= args.min_lang_pages]
    lang_of = {
        pid: lang if lang in main_langs else "other"
        for pid, lang in ((pid, item.get("lang_fasttext_guess") or "unknown") for pid, item in truth.items())
    }
    groups = [*main_langs, "other"] if len(main_langs) < len(lang_counts) else main_langs
    n_with = sum(len(item["with"]) for item in truth.values())
    n_without = sum(len(item["without"]) for item in truth.values())
    print(f"{len(truth)} pages, {n_with} 'with' and {n_without} 'without' snippets; languages: {dict(lang_counts)}")

    configs = build_configs()
    warm = "<html><body><article><p>" + "warm up text. " * 40 + "</p></article></body></html>"
    for _, _, _, fn in configs:  # pay lazy imports and one-time setup outside the timing
        fn(warm, None)

    results = evaluate(configs, truth, raw, lang_of, args.repeat)
    by_name = {r.name: r for r in results}
    reference = by_name["trafilatura"]

    def fmt(x: float) -> str:
        return f"{x:.3f}"

    rows = []
    for r in results:
        s = r.total.scores()
        rows.append(
            [
                r.name,
                fmt(s["with_found"]),
                fmt(s["without_absent"]),
                fmt(s["f1"]),
                fmt(s["traf_precision"]),
                fmt(s["traf_f1"]),
                f"{r.total.pages / r.cpu_s:.1f}",
                f"{reference.cpu_s / r.cpu_s:.2f}",
                str(r.total.empty),
                str(r.total.errors),
            ]
        )
    print_table(
        f"Extraction quality, {len(truth)} pages (docs/s = decode + extract, CPU time of one process)",
        [
            "config",
            "with found",
            "without absent",
            "F1 (hm)",
            "traf P",
            "traf F1",
            "docs/s",
            "x traf",
            "empty",
            "errors",
        ],
        rows,
    )

    lang_rows = []
    for r in results:
        row = [r.name]
        for lang in groups:
            c = r.by_lang.get(lang, Counts())
            s = c.scores()
            row.append(f"{s['with_found']:.2f}/{s['without_absent']:.2f}/{s['f1']:.2f}")
        lang_rows.append(row)
    print_table(
        "Per language: with found / without absent / F1 (hm)",
        ["config", *(f"{g} ({sum(1 for v in lang_of.values() if v == g)})" for g in groups)],
        lang_rows,
    )

    sweeps = {
        "trafilatura_fast": rescue_sweep(by_name["cand:trafilatura_fast"], by_name["resiliparse"], truth),
        "trafilatura": rescue_sweep(reference, by_name["resiliparse"], truth),
        "trafilatura_favor_precision": rescue_sweep(
            by_name["cand:trafilatura_favor_precision"], by_name["resiliparse"], truth
        ),
    }
    sweep_rows = [
        [
            base,
            f"{row['ratio']:.2f}",
            str(row["pages_switched"]),
            fmt(row["with_found"]),
            fmt(row["without_absent"]),
            fmt(row["f1"]),
        ]
        for base, table in sweeps.items()
        for row in table
    ]
    print_table(
        "Rescue-ratio sensitivity (stored outputs): base, or resiliparse when len(base) < ratio x len(resiliparse)",
        ["base", "ratio", "pages switched", "with found", "without absent", "F1 (hm)"],
        sweep_rows,
    )

    boot = {r.name: bootstrap_delta(r, reference, truth, args.bootstrap) for r in results if r is not reference}
    print_table(
        f"Difference from trafilatura, paired bootstrap over pages ({args.bootstrap} resamples, 95% interval)",
        ["config", "with found", "without absent", "F1 (hm)", "P(F1 delta >= 0)"],
        [
            [name]
            + [
                f"{b[k + '_delta']:+.3f} [{b[k + '_delta_lo']:+.3f}, {b[k + '_delta_hi']:+.3f}]"
                for k in ("with_found", "without_absent", "f1")
            ]
            + [f"{b['p_f1_delta_ge_0']:.2f}"]
            for name, b in boot.items()
        ],
    )

    rates: dict[str, dict[str, int]] = {}
    if not args.no_rescue_rates:
        rates = rescue_rates(args.shared / "data" / "warc")
        print_table(
            f"Rescue rate on the other sample WARCs (no ground truth): pages where len(text) < {RESCUE_RATIO} x "
            "len(resiliparse)",
            ["WARC", "html pages", "trafilatura", "trafilatura fast", "trafilatura favor_precision"],
            [
                [
                    name,
                    str(r["html_pages"]),
                    str(r["rescued_trafilatura"]),
                    str(r["rescued_trafilatura_fast"]),
                    str(r["rescued_trafilatura_favor_precision"]),
                ]
                for name, r in rates.items()
            ],
        )

    # Pages where each candidate differs from trafilatura: (pid, with found delta, without present delta).
    diffs = {
        r.name: [
            [
                pid,
                r.page_counts[pid][0] - reference.page_counts[pid][0],
                r.page_counts[pid][1] - reference.page_counts[pid][1],
            ]
            for pid in truth
            if r.page_counts[pid] != reference.page_counts[pid]
        ]
        for r in results
        if r is not reference
    }

    report = {
        "benchmark": "trafilatura-eval subset (shared/data/extraction_benchmark/trafilatura-eval)",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "versions": package_versions(("trafilatura", "resiliparse", "lxml")),
        "protocol": (
            "decode_html(raw, None), extract, whitespace-normalised substring check of every 'with' (must be found) "
            "and 'without' (must be absent) snippet; crash or empty output = full miss. f1 = harmonic mean of "
            "with_found and without_absent; traf_* = trafilatura eval_common.py confusion-matrix scores. "
            "docs/s = pages / CPU seconds of decode + extract in one process (one core); configurations run "
            "round-robin per page, fastest of --repeat runs, trafilatura line caches cleared before each run."
        ),
        "pages": len(truth),
        "snippets": {"with": n_with, "without": n_without},
        "languages": dict(lang_counts),
        "rescue_ratio": RESCUE_RATIO,
        "repeat": args.repeat,
        "configs": [
            {
                "name": r.name,
                "kind": r.kind,
                "description": r.description,
                **r.total.scores(),
                "counts": asdict(r.total),
                "cpu_s": round(r.cpu_s, 3),
                "wall_s": round(r.wall_s, 3),
                "docs_per_s_cpu": round(r.total.pages / r.cpu_s, 2),
                "docs_per_s_wall": round(r.total.pages / r.wall_s, 2),
                "speed_vs_trafilatura": round(reference.cpu_s / r.cpu_s, 3),
                "by_language": {
                    lang: {**r.by_lang[lang].scores(), "pages": r.by_lang[lang].pages}
                    for lang in groups
                    if lang in r.by_lang
                },
                "vs_trafilatura_bootstrap": boot.get(r.name),
                "pages_differing_from_trafilatura": diffs.get(r.name, []),
            }
            for r in results
        ],
        "rescue_sweep": sweeps,
        "bootstrap_resamples": args.bootstrap,
        "rescue_rates_other_warcs": rates,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
