#!/usr/bin/env python
"""Drop rates of the heuristic quality filters on real extracted web pages.

Corpus: ``bench/extract_corpus.py`` (every HTML page of the shared WARC files plus the extraction-benchmark pages,
deduplicated, extracted with ``trafilatura_precision_rescue``, language from lid.176); it is built on first use and
cached in ``bench/results/corpus.tmp.parquet``.

Filters, in the order a user chains them: ``c4`` (cleans lines, then decides), ``gopher_quality``,
``gopher_repetition``, ``fineweb``, ``roots_filters``, all with their default configs. Each document is processed as
``stages/quality.py`` (``FilterStage``) does: a line cleaner's text replaces the document's, a cleaner that leaves
nothing drops it as ``<stage>_nothing_left``, and the decision's reason is the drop reason.

Three views, so that a filter's own drop rate is not hidden by the filters before it:

* ``independent``: every filter on the extracted text;
* ``independent_on_c4_cleaned``: every filter after ``c4``, on the text ``c4`` cleaned (what it sees in the chain),
  whatever ``c4`` decided; documents that ``c4`` cleans to nothing are left out;
* ``chain``: the chain as a pipeline runs it: a dropped document goes no further; per stage the documents in, the
  drops and their reasons, and the cumulative keep rate.

Each view is reported over all documents and per language (the ``--top-langs`` most frequent; the rest as
``other``), with 2-3 shortened examples (the first ~150 characters of the text the filter saw, and the URL) of
dropped documents per reason. Writes ``bench/results/filter_drop_rates.json``.

Usage: ``python bench/filter_drop_rates.py [--shared PATH] [--corpus PATH] [--rebuild]``. Exits 0 with ``SKIP:``
when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
for _path in (REPO_ROOT, REPO_ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from extract_corpus import DEFAULT_CORPUS, DEFAULT_SHARED, DataMissing, load_or_build  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "filter_drop_rates.json"
EXAMPLE_CHARS = 150
EXAMPLES_PER_REASON = 3
OTHER = "other"
UNSPACED_CHECK_LANGS = ("zh", "ja")

# Scores worth a per-language median in the report: the ones the most frequent drop reasons test.
KEY_SCORES = (
    "c4_sentences",
    "gopher_words",
    "gopher_mean_word_length",
    "gopher_stop_words",
    "fineweb_line_punct_ratio",
    "fineweb_short_line_ratio",
    "fineweb_dup_line_char_ratio",
    "fineweb_newline_word_ratio",
    "roots_stop_words",
    "roots_special_chars",
    "roots_char_repetition",
    "roots_word_repetition",
)


@dataclass
class Outcome:
    keep: bool
    reason: str | None
    text: str  # the text after this filter (a cleaner's output; else the input)
    seen: str  # the text the filter scored
    scores: dict[str, float] = field(default_factory=dict)


def filter_chain(c4_config: dict[str, Any] | None = None) -> list[tuple[str, Any]]:
    """(stage name, filter instance) in the order a user chains them, default configs unless ``c4_config``."""
    from filters.c4 import C4Config, C4Quality
    from filters.fineweb import FineWebQuality
    from filters.gopher import GopherQuality, GopherRepetition
    from filters.roots import RootsFilters

    return [
        ("c4", C4Quality(C4Config(**(c4_config or {})))),
        ("gopher_quality", GopherQuality()),
        ("gopher_repetition", GopherRepetition()),
        ("fineweb", FineWebQuality()),
        ("roots_filters", RootsFilters()),
    ]


def apply_filter(stage: str, filt: Any, text: str, lang: str | None) -> Outcome:
    """One document through one filter, as ``stages.quality.FilterStage.process`` does it."""
    from filters.base import LineCleaner

    scores: dict[str, float] = {}
    seen = text
    if isinstance(filt, LineCleaner):
        text, scores = filt.clean(text, lang)
        if not text.strip():
            return Outcome(False, f"{stage}_nothing_left", text, seen, scores)
    scores.update(filt.score(text, lang))
    decision = filt.decide(scores, lang)
    return Outcome(decision.keep, None if decision.keep else (decision.reason or stage), text, seen, scores)


def shorten(text: str, limit: int = EXAMPLE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def summarize(outcomes: list[tuple[str, Outcome]]) -> dict[str, Any]:
    """Drop rate and reasons over (language group, outcome) pairs."""
    n = len(outcomes)
    reasons = Counter(o.reason for _, o in outcomes if not o.keep)
    dropped = sum(reasons.values())
    return {
        "docs": n,
        "dropped": dropped,
        "drop_rate": rate(dropped, n),
        "reasons": {r: {"count": c, "rate": rate(c, n)} for r, c in reasons.most_common()},
    }


def summarize_by_lang(outcomes: list[tuple[str, Outcome]], groups: list[str]) -> dict[str, Any]:
    by_group: dict[str, list[tuple[str, Outcome]]] = defaultdict(list)
    for group, outcome in outcomes:
        by_group[group].append((group, outcome))
    return {g: summarize(by_group[g]) for g in groups if by_group.get(g)}


def pick_examples(candidates: list[tuple[dict[str, Any], Outcome]], k: int) -> list[dict[str, Any]]:
    """Up to k dropped documents, preferring different languages and sources, in corpus order."""
    chosen: list[tuple[dict[str, Any], Outcome]] = []
    used: set[tuple[str, str]] = set()
    for strict in (True, False):
        for doc, outcome in candidates:
            if len(chosen) >= k:
                break
            key = (doc["lang"], doc["source"])
            if any(doc is c[0] for c in chosen) or (strict and (key in used or not outcome.seen.strip())):
                continue
            chosen.append((doc, outcome))
            used.add(key)
    return [
        {
            "id": doc["id"],
            "url": doc["url"],
            "lang": doc["lang"],
            "text_start": shorten(outcome.seen) or "(empty)",
        }
        for doc, outcome in chosen
    ]


def median_scores(rows: list[tuple[str, dict[str, float]]], groups: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for group in [*groups, "all"]:
        selected = [s for g, s in rows if group in ("all", g)]
        if not selected:
            continue
        out[group] = {
            key: round(statistics.median(s[key] for s in selected if key in s), 4)
            for key in KEY_SCORES
            if any(key in s for s in selected)
        }
    return out


def unspaced_diagnostics(doc: dict[str, Any], c4: Outcome, cleaned: dict[str, Outcome]) -> dict[str, Any]:
    """For zh/ja: c4's sentence count against the sentence-final marks in the text, and the n-gram scores."""
    rep = cleaned.get("gopher_repetition")
    return {
        "id": doc["id"],
        "url": doc["url"],
        "lang": doc["lang"],
        "source": doc["source"],
        "chars_after_c4": len(c4.text),
        "c4_sentences": c4.scores.get("c4_sentences"),
        "sentence_final_marks_after_c4": sum(c4.text.count(mark) for mark in "。！？"),
        "gopher_dup_5gram_char_fraction": round(rep.scores["gopher_dup_5gram_char_fraction"], 3) if rep else None,
        "outcomes_on_c4_cleaned": {stage: o.reason or "keep" for stage, o in cleaned.items()},
    }


def chain_variant(docs: list[dict[str, Any]], c4_config: dict[str, Any], groups: list[str]) -> dict[str, Any]:
    """The chain's cumulative keep rates and first drop reasons with another c4 config."""
    chain = filter_chain(c4_config)
    alive_after: dict[str, Counter[str]] = {stage: Counter() for stage, _ in chain}
    reasons: Counter[str] = Counter()
    n_by_group: Counter[str] = Counter()
    for doc in docs:
        group = doc["lang"] if doc["lang"] in groups else OTHER
        n_by_group[group] += 1
        text = doc["text"]
        for stage, filt in chain:
            outcome = apply_filter(stage, filt, text, doc["lang"])
            if not outcome.keep:
                reasons[outcome.reason or stage] += 1
                break
            text = outcome.text
            alive_after[stage][group] += 1
            alive_after[stage]["all"] += 1
    n_by_group["all"] = len(docs)
    return {
        "c4_config": c4_config,
        "cumulative_keep_rate": {
            stage: {g: rate(alive_after[stage][g], n_by_group[g]) for g in ["all", *groups]} for stage, _ in chain
        },
        "first_drop_reasons": {r: {"count": c, "rate": rate(c, len(docs))} for r, c in reasons.most_common()},
    }


def run(docs: list[dict[str, Any]], top_langs: int) -> dict[str, Any]:
    chain = filter_chain()
    counts = Counter(d["lang"] for d in docs)
    top = [lang for lang, _ in counts.most_common(top_langs)]
    groups = [*top, OTHER]

    def group_of(doc: dict[str, Any]) -> str:
        return doc["lang"] if doc["lang"] in top else OTHER

    independent: dict[str, list[tuple[str, Outcome]]] = defaultdict(list)
    after_c4: dict[str, list[tuple[str, Outcome]]] = defaultdict(list)
    chain_stage: dict[str, list[tuple[str, Outcome]]] = defaultdict(list)
    survivors: dict[str, Counter[str]] = {g: Counter() for g in [*groups, "all"]}
    first_reason: dict[str, Counter[str]] = {g: Counter() for g in [*groups, "all"]}
    examples: dict[str, dict[str, list[tuple[dict[str, Any], Outcome]]]] = defaultdict(lambda: defaultdict(list))
    score_rows: list[tuple[str, dict[str, float]]] = []
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    unspaced_check: list[dict[str, Any]] = []
    seconds: Counter[str] = Counter()

    for doc in docs:
        text, lang, group = doc["text"], doc["lang"], group_of(doc)
        raw_outcomes: dict[str, Outcome] = {}
        for stage, filt in chain:
            started = time.process_time()
            raw_outcomes[stage] = apply_filter(stage, filt, text, lang)
            seconds[stage] += time.process_time() - started
            independent[stage].append((group, raw_outcomes[stage]))
        merged: dict[str, float] = {}
        c4 = raw_outcomes["c4"]
        merged.update(c4.scores)
        cleaned = c4.text if c4.text.strip() else None
        cleaned_outcomes: dict[str, Outcome] = {"c4": c4}
        for stage, filt in chain[1:]:
            if cleaned is None:
                continue
            cleaned_outcomes[stage] = apply_filter(stage, filt, cleaned, lang)
            after_c4[stage].append((group, cleaned_outcomes[stage]))
            merged.update(cleaned_outcomes[stage].scores)
        score_rows.append((group, merged))
        if lang in UNSPACED_CHECK_LANGS:
            unspaced_check.append(unspaced_diagnostics(doc, c4, cleaned_outcomes))
        # The chain reuses the outcomes: after c4, every filter sees c4's cleaned text.
        alive = True
        by_source[doc["source"]]["docs"] += 1
        by_source[doc["source"]][f"docs_lang:{group}"] += 1
        for stage, _ in chain:
            if not alive:
                break
            outcome = cleaned_outcomes[stage]
            chain_stage[stage].append((group, outcome))
            if not outcome.keep:
                alive = False
                for g in (group, "all"):
                    first_reason[g][outcome.reason or stage] += 1
                examples["chain"][outcome.reason or stage].append((doc, outcome))
                by_source[doc["source"]][f"dropped_by:{outcome.reason or stage}"] += 1
            else:
                for g in (group, "all"):
                    survivors[g][stage] += 1
        if alive:
            by_source[doc["source"]]["kept"] += 1
            by_source[doc["source"]][f"kept_lang:{group}"] += 1
        for stage, outcome in raw_outcomes.items():
            if not outcome.keep:
                examples["independent"][outcome.reason or stage].append((doc, outcome))
        for stage, outcome in cleaned_outcomes.items():
            if stage != "c4" and not outcome.keep:
                examples["independent_on_c4_cleaned"][outcome.reason or stage].append((doc, outcome))

    n_by_group = Counter(group_of(d) for d in docs)
    n_by_group["all"] = len(docs)
    chain_report: list[dict[str, Any]] = []
    for stage, _ in chain:
        outcomes = chain_stage[stage]
        entry = summarize(outcomes)
        entry = {
            "filter": stage,
            "docs_in": entry.pop("docs"),
            **entry,
            "kept_cumulative": survivors["all"][stage],
            "cumulative_keep_rate": rate(survivors["all"][stage], len(docs)),
            "cumulative_keep_rate_by_lang": {g: rate(survivors[g][stage], n_by_group[g]) for g in groups},
            "by_lang": summarize_by_lang(outcomes, groups),
        }
        chain_report.append(entry)

    def view(outcomes: dict[str, list[tuple[str, Outcome]]]) -> dict[str, Any]:
        return {
            stage: {"all": summarize(outcomes[stage]), "by_lang": summarize_by_lang(outcomes[stage], groups)}
            for stage, _ in chain
            if outcomes.get(stage)
        }

    # Examples: the text the filter saw; a reason is listed under the first view where it occurs.
    example_report: dict[str, dict[str, Any]] = {}
    for view_name in ("independent", "independent_on_c4_cleaned", "chain"):
        for reason, candidates in sorted(examples[view_name].items()):
            if reason not in example_report:
                example_report[reason] = {
                    "view": view_name,
                    "examples": pick_examples(candidates, EXAMPLES_PER_REASON),
                }

    final_keep = survivors["all"][chain[-1][0]]
    return {
        "languages": {"counts": dict(counts.most_common()), "groups": groups},
        "independent": view(independent),
        "independent_on_c4_cleaned": view(after_c4),
        "chain": {
            "stages": chain_report,
            "final_kept": final_keep,
            "final_keep_rate": rate(final_keep, len(docs)),
            "first_drop_reasons": {
                g: {r: {"count": c, "rate": rate(c, n_by_group[g])} for r, c in first_reason[g].most_common()}
                for g in ["all", *groups]
            },
            "docs_by_lang": {g: n_by_group[g] for g in ["all", *groups]},
            "by_source": {
                source: {
                    "docs": c["docs"],
                    "kept": c["kept"],
                    "keep_rate": rate(c["kept"], c["docs"]),
                    "kept_by_lang": {
                        g: f"{c[f'kept_lang:{g}']}/{c[f'docs_lang:{g}']}" for g in groups if c[f"docs_lang:{g}"]
                    },
                    "first_drop_reasons": {
                        k.removeprefix("dropped_by:"): v for k, v in c.most_common() if k.startswith("dropped_by:")
                    },
                }
                for source, c in sorted(by_source.items())
            },
        },
        # FineWeb's own recipe runs C4 with filter_no_terminal_punct=False and lets its line-punctuation rule decide.
        "chain_c4_without_terminal_punctuation": chain_variant(docs, {"require_terminal_punctuation": False}, groups),
        "unspaced_scripts_check": unspaced_check,
        "median_scores_on_c4_cleaned": median_scores(score_rows, groups),
        "examples": example_report,
        "filter_cpu_seconds_independent": {k: round(v, 3) for k, v in seconds.items()},
    }


def print_report(result: dict[str, Any]) -> None:
    groups: list[str] = result["languages"]["groups"]
    docs_by_lang = result["chain"]["docs_by_lang"]
    print(f"documents: {docs_by_lang['all']}  " + "  ".join(f"{g}={docs_by_lang[g]}" for g in groups))
    header = f"{'filter':<22}{'all':>7}" + "".join(f"{g:>7}" for g in groups)
    for name in ("independent", "independent_on_c4_cleaned"):
        print(f"\n{name}: drop rate %")
        print(header)
        for stage, entry in result[name].items():
            by = entry["by_lang"]
            cells = "".join(f"{100 * by[g]['drop_rate']:7.0f}" if g in by else f"{'-':>7}" for g in groups)
            print(f"{stage:<22}{100 * entry['all']['drop_rate']:7.0f}{cells}")
    print("\nchain: cumulative keep rate %")
    print(header)
    for entry in result["chain"]["stages"]:
        by = entry["cumulative_keep_rate_by_lang"]
        cells = "".join(f"{100 * by[g]:7.0f}" for g in groups)
        print(f"{entry['filter']:<22}{100 * entry['cumulative_keep_rate']:7.0f}{cells}")
    variant = result["chain_c4_without_terminal_punctuation"]
    print("\nchain with c4 require_terminal_punctuation=False: cumulative keep rate %")
    print(header)
    for stage, by in variant["cumulative_keep_rate"].items():
        print(f"{stage:<22}{100 * by['all']:7.0f}" + "".join(f"{100 * by[g]:7.0f}" for g in groups))
    print("  first drop reasons:", {r: v["count"] for r, v in variant["first_drop_reasons"].items()})
    print("\nchain: keep rate by source")
    for source, info in result["chain"]["by_source"].items():
        print(f"  {source:<40}{info['kept']:4d}/{info['docs']:<4d} {info['first_drop_reasons']}")
    print("\nchain: first drop reasons")
    for reason, info in result["chain"]["first_drop_reasons"]["all"].items():
        print(f"  {reason:<32}{info['count']:5d}  {100 * info['rate']:5.1f}%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared folder (default: ../shared)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="cached corpus (built when absent)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the corpus even when it is cached")
    parser.add_argument("--top-langs", type=int, default=6, help="languages reported on their own")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        docs, corpus_summary = load_or_build(args.shared, args.corpus, force=args.rebuild)
    except DataMissing as exc:
        print(f"SKIP: {exc}")
        return 0
    if not docs:
        print("SKIP: the corpus has no documents")
        return 0
    started = time.perf_counter()
    result = run(docs, args.top_langs)
    corpus_summary.pop("shared", None)
    out = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "corpus_file": str(args.corpus.relative_to(REPO_ROOT)) if args.corpus.is_relative_to(REPO_ROOT) else None,
        "corpus": corpus_summary,
        "seconds": round(time.perf_counter() - started, 1),
        **result,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print_report(out)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
