#!/usr/bin/env python
"""Curate's Gopher and C4 filters against datatrove's, on real English pages: speed and agreement.

Documents: the English pages (``lang == "en"``) of the corpus that ``bench/extract_corpus.py`` builds and caches in
``bench/results/corpus.tmp.parquet``, exact duplicate texts removed (so datatrove's small per-text tokenizer cache
gets no hit from a neighbouring copy), repeated to at least ``--min-docs`` documents for the timing.

Both sides run three filters on every document, each on the extracted text, whatever the others decide:

a. curate: ``GopherQuality()(text, "en")``, ``GopherRepetition()(text, "en")`` and ``C4Quality``: ``clean``, then
   ``score`` and ``decide`` on the cleaned text (a cleaner that leaves nothing is a drop, as ``FilterStage`` does);
b. datatrove 0.10.1: ``GopherQualityFilter().filter(doc)``, ``GopherRepetitionFilter().filter(doc)`` and
   ``C4QualityFilter().filter(doc)`` on ``datatrove.data.Document`` objects (a fresh one for C4, which rewrites
   ``doc.text``). Defaults on both sides are the papers' thresholds, and datatrove's default language is English.
   Its English word tokenizer is spaCy's ``spacy.blank("en")`` plus the rule-based ``sentencizer``: no model file,
   nothing downloaded.

Speed: CPU time (``time.process_time``) of one process, so docs/s is per core. ``--rounds`` rounds, each timing
curate and datatrove over the same documents, in alternating order; the best round is reported, the median is in the
JSON. Each filter is also timed inside the chain (the per-call clock is read on both sides alike; datatrove's Gopher
filters share one spaCy tokenization through its ``lru_cache``, so the first of them pays for it) and alone (one filter
over all documents, then the next: every filter pays its own tokenization). Curate's chain is profiled once with
cProfile (top 10 functions by cumulative and by own time).

Agreement: per filter, the share of distinct documents where both keep or both drop, and every disagreement with the
rule that fired, both sides' value of that rule's metric, and a one-line explanation of the definitional difference.

Writes ``bench/results/filters_vs_datatrove.json``. Usage: ``python bench/filters_vs_datatrove.py [--shared PATH]
[--min-docs N] [--rounds N]``. Exits 0 with ``SKIP:`` when the data is absent.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import platform
import pstats
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
for _path in (REPO_ROOT, REPO_ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench_common import cpu_model  # noqa: E402
from extract_corpus import DEFAULT_CORPUS, DEFAULT_SHARED, DataMissing, load_or_build  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "filters_vs_datatrove.json"
TARGET_RATIO = 1.5
FILTERS = ("gopher_quality", "gopher_repetition", "c4")
LANG = "en"

Verdict = tuple[bool, str | None]


# --------------------------------------------------------------------------------------------- the two sides


class CurateSide:
    """Curate's three filters, called as ``stages.quality.FilterStage`` calls them."""

    def __init__(self) -> None:
        from filters.c4 import C4Quality
        from filters.gopher import GopherQuality, GopherRepetition

        self.gopher_quality = GopherQuality()
        self.gopher_repetition = GopherRepetition()
        self.c4 = C4Quality()

    def run_gopher_quality(self, text: str) -> Verdict:
        _, decision = self.gopher_quality(text, LANG)
        return decision.keep, decision.reason

    def run_gopher_repetition(self, text: str) -> Verdict:
        _, decision = self.gopher_repetition(text, LANG)
        return decision.keep, decision.reason

    def run_c4(self, text: str) -> Verdict:
        cleaned, scores = self.c4.clean(text, LANG)
        if not cleaned.strip():
            return False, "c4_nothing_left"
        scores.update(self.c4.score(cleaned, LANG))
        decision = self.c4.decide(scores, LANG)
        return decision.keep, decision.reason

    def runners(self) -> dict[str, Callable[[str], Verdict]]:
        return {
            "gopher_quality": self.run_gopher_quality,
            "gopher_repetition": self.run_gopher_repetition,
            "c4": self.run_c4,
        }


class DatatroveSide:
    """datatrove's three filters with their defaults (the papers' thresholds, English)."""

    def __init__(self) -> None:
        from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter, GopherRepetitionFilter

        self.gopher_quality = GopherQualityFilter()
        self.gopher_repetition = GopherRepetitionFilter()
        self.c4 = C4QualityFilter()

    @staticmethod
    def verdict(result: bool | tuple[bool, str]) -> Verdict:
        if isinstance(result, tuple):
            return bool(result[0]), result[1]
        return bool(result), None

    def run_gopher_quality(self, text: str) -> Verdict:
        from datatrove.data import Document

        return self.verdict(self.gopher_quality.filter(Document(text=text, id="")))

    def run_gopher_repetition(self, text: str) -> Verdict:
        from datatrove.data import Document

        return self.verdict(self.gopher_repetition.filter(Document(text=text, id="")))

    def run_c4(self, text: str) -> Verdict:
        from datatrove.data import Document

        return self.verdict(self.c4.filter(Document(text=text, id="")))  # rewrites doc.text: a fresh Document

    def runners(self) -> dict[str, Callable[[str], Verdict]]:
        return {
            "gopher_quality": self.run_gopher_quality,
            "gopher_repetition": self.run_gopher_repetition,
            "c4": self.run_c4,
        }


# --------------------------------------------------------------------------------------------- timing


def time_pass(runners: dict[str, Callable[[str], Verdict]], texts: list[str]) -> dict[str, float]:
    """CPU and wall seconds for all filters on all texts, and CPU seconds per filter."""
    per_filter = dict.fromkeys(runners, 0.0)
    clock = time.process_time
    items = list(runners.items())
    gc.collect()
    wall0, cpu0 = time.perf_counter(), clock()
    for text in texts:
        for name, run in items:
            started = clock()
            run(text)
            per_filter[name] += clock() - started
    cpu, wall = clock() - cpu0, time.perf_counter() - wall0
    return {"cpu_s": cpu, "wall_s": wall, **{f"cpu_s:{name}": s for name, s in per_filter.items()}}


def time_alone(runners: dict[str, Callable[[str], Verdict]], texts: list[str]) -> dict[str, float]:
    """CPU seconds of each filter over all texts, one filter after the other (no tokenizer cache shared)."""
    out: dict[str, float] = {}
    for name, run in runners.items():
        gc.collect()
        started = time.process_time()
        for text in texts:
            run(text)
        out[name] = time.process_time() - started
    return out


def benchmark(texts: list[str], rounds: int) -> dict[str, Any]:
    sides: dict[str, dict[str, Callable[[str], Verdict]]] = {
        "curate": CurateSide().runners(),
        "datatrove": DatatroveSide().runners(),
    }
    for runners in sides.values():  # warm-up: spaCy's tokenizer, stop-word sets, regex caches
        time_pass(runners, texts[:20])
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    for index in range(rounds):
        order = list(sides) if index % 2 == 0 else list(reversed(sides))
        for name in order:
            runs[name].append(time_pass(sides[name], texts))
            print(f"  round {index + 1}/{rounds} {name}: {runs[name][-1]['cpu_s']:.2f} s CPU", flush=True)
    report: dict[str, Any] = {}
    n = len(texts)
    for name, results in runs.items():
        best = min(results, key=lambda r: r["cpu_s"])
        report[name] = {
            "docs": n,
            "cpu_s_best": round(best["cpu_s"], 3),
            "cpu_s_median": round(statistics.median(r["cpu_s"] for r in results), 3),
            "docs_per_s_per_core": round(n / best["cpu_s"], 1),
            "docs_per_s_per_core_median": round(n / statistics.median(r["cpu_s"] for r in results), 1),
            "docs_per_s_wall": round(n / best["wall_s"], 1),
            "ms_per_doc": round(1000 * best["cpu_s"] / n, 3),
            "per_filter": {
                f: {
                    "cpu_s": round(best[f"cpu_s:{f}"], 3),
                    "ms_per_doc": round(1000 * best[f"cpu_s:{f}"] / n, 3),
                    "share_of_chain": round(best[f"cpu_s:{f}"] / sum(best[f"cpu_s:{g}"] for g in FILTERS), 3),
                }
                for f in FILTERS
            },
            "rounds_cpu_s": [round(r["cpu_s"], 3) for r in results],
        }
    for name, runners in sides.items():
        alone = time_alone(runners, texts)
        report[name]["per_filter_alone"] = {
            f: {"cpu_s": round(alone[f], 3), "ms_per_doc": round(1000 * alone[f] / n, 3)} for f in FILTERS
        }
    curate, datatrove = report["curate"], report["datatrove"]
    report["ratio_curate_over_datatrove"] = round(curate["docs_per_s_per_core"] / datatrove["docs_per_s_per_core"], 2)
    report["ratio_median"] = round(curate["docs_per_s_per_core_median"] / datatrove["docs_per_s_per_core_median"], 2)
    report["ratio_per_filter_in_chain"] = {
        f: round(datatrove["per_filter"][f]["cpu_s"] / curate["per_filter"][f]["cpu_s"], 2) for f in FILTERS
    }
    report["ratio_per_filter_alone"] = {
        f: round(datatrove["per_filter_alone"][f]["cpu_s"] / curate["per_filter_alone"][f]["cpu_s"], 2) for f in FILTERS
    }
    report["target_ratio"] = TARGET_RATIO
    report["target_met"] = report["ratio_curate_over_datatrove"] >= TARGET_RATIO
    return report


def profile_curate(texts: list[str], top: int = 10) -> dict[str, Any]:
    runners = CurateSide().runners()
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        for run in runners.values():
            run(text)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (path, line, func), (_cc, calls, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = path
        for prefix in (str(REPO_ROOT) + "/", "/.venv/lib/python3.11/site-packages/"):
            short = short.split(prefix, 1)[-1]
        rows.append(
            {
                "function": f"{short}:{line}({func})" if line else func,
                "calls": calls,
                "own_s": round(own, 4),
                "cumulative_s": round(cumulative, 4),
                "cumulative_share": round(cumulative / total, 3) if total else 0.0,
            }
        )
    driver = ("profile_curate", "run_gopher_quality", "run_gopher_repetition", "run_c4", "disable")
    useful = [r for r in rows if not r["function"].endswith(tuple(f"({d})" for d in driver))]
    return {
        "docs": len(texts),
        "total_s": round(total, 3),
        "top_cumulative": sorted(useful, key=lambda r: -r["cumulative_s"])[:top],
        "top_own": sorted(rows, key=lambda r: -r["own_s"])[:top],
    }


# --------------------------------------------------------------------------------------------- agreement


def datatrove_gopher_quality_metrics(text: str) -> dict[str, float]:
    """The quantities datatrove's GopherQualityFilter tests, computed as its ``filter`` does."""
    from datatrove.pipeline.filters.gopher_quality_filter import STOP_WORDS
    from datatrove.utils.text import PUNCTUATION_SET, split_into_words

    words = split_into_words(text, "en")
    non_symbol = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
    lines = text.splitlines() or [""]
    n = max(len(words), 1)
    return {
        "tokens": float(len(words)),
        "non_symbol_words": float(len(non_symbol)),
        "mean_word_length": sum(len(w) for w in non_symbol) / max(len(non_symbol), 1),
        "hash_ratio": text.count("#") / n,
        "ellipsis_ratio": (text.count("...") + text.count("…")) / n,
        "bullet_lines_ratio": sum(s.lstrip().startswith(("•", "-")) for s in lines) / len(lines),
        "ellipsis_lines_ratio": sum(s.rstrip().endswith(("...", "…")) for s in lines) / len(lines),
        "alpha_words_ratio": sum(any(c.isalpha() for c in w) for w in words) / n,
        "distinct_stop_words": float(len(set(STOP_WORDS) & set(words))),
    }


def datatrove_repetition_metrics(text: str) -> dict[str, float]:
    """The quantities datatrove's GopherRepetitionFilter tests, computed as its ``filter`` does."""
    import re

    from datatrove.pipeline.filters.gopher_repetition_filter import (
        find_all_duplicate,
        find_duplicates,
        find_top_duplicate,
        get_n_grams,
    )
    from datatrove.utils.text import split_into_words

    length = max(len(text), 1)
    paragraphs = re.split(r"\n{2,}", text.strip())
    para_dup, para_chars = find_duplicates(paragraphs)
    lines = re.split("\n+", text)
    line_dup, line_chars = find_duplicates(lines)
    words = split_into_words(text, "en")
    out = {
        "dup_paragraph_fraction": para_dup / len(paragraphs),
        "dup_paragraph_char_fraction": para_chars / length,
        "dup_line_fraction": line_dup / len(lines),
        "dup_line_char_fraction": line_chars / length,
    }
    for n in (2, 3, 4):
        grams = get_n_grams(words, n)
        out[f"top_{n}gram_char_fraction"] = find_top_duplicate(grams) / length if grams else 0.0
    for n in range(5, 11):
        out[f"dup_{n}gram_char_fraction"] = find_all_duplicate(words, n) / length
    return out


def datatrove_c4_metrics(text: str) -> dict[str, Any]:
    """Lines datatrove's C4QualityFilter keeps and the sentences it counts in them (with its own code and stats)."""
    from datatrove.data import Document
    from datatrove.pipeline.filters import C4QualityFilter
    from datatrove.utils.text import split_into_sentences

    counting = C4QualityFilter(min_num_sentences=0, filter_lorem_ipsum=False, filter_curly_bracket=False)
    doc = Document(text=text, id="")
    counting.filter(doc)
    kept = [line for line in doc.text.split("\n") if line]
    stats = {key: int(value.total) for key, value in counting.stats.stats.items() if key.startswith("line-")}
    return {
        "kept_lines": len(kept),
        "sentences": sum(len(split_into_sentences(line, "en")) for line in kept),
        "kept_has_curly": any("{" in line for line in kept),
        "line_stats": stats,
    }


def top_ngrams(text: str, n: int) -> dict[str, Any]:
    """Each side's most frequent n-gram and its count (curate tests it only when it occurs twice or more)."""
    from datatrove.pipeline.filters.gopher_repetition_filter import get_n_grams
    from datatrove.utils.text import split_into_words

    from filters.text import ngrams, words

    ours = Counter(ngrams(words(text), n)).most_common(1)
    theirs = Counter(get_n_grams(split_into_words(text, "en"), n)).most_common(1)
    return {
        "curate_top": [" ".join(ours[0][0]), ours[0][1]] if ours else None,
        "datatrove_top": [theirs[0][0], theirs[0][1]] if theirs else None,
    }


GOPHER_QUALITY_NOTES = {
    "gopher_too_few_words": (
        "word count: curate counts regex words (letters/digits runs, punctuation never a word, '14.372,4' is 3 "
        "words); datatrove counts spaCy tokens that are not pure punctuation (URLs, e-mails, '3-1' stay one token)"
    ),
    "gopher_short_doc": (
        "word count: datatrove counts spaCy tokens that are not pure punctuation; curate counts regex words"
    ),
    "gopher_non_alpha_words": (
        "alphabetic-word ratio: curate over regex words (numbers split at '.', ',' and ':'); datatrove over all spaCy "
        "tokens, punctuation tokens included, which lowers its ratio"
    ),
    "gopher_below_alpha_threshold": (
        "alphabetic-word ratio: datatrove counts every punctuation token as a non-alphabetic word; curate's regex "
        "words contain no punctuation tokens"
    ),
    "gopher_few_stop_words": (
        "stop words: curate counts occurrences of the 8 words, case-insensitively; datatrove counts distinct ones, "
        "case-sensitively ('The' does not count)"
    ),
    "gopher_enough_stop_words": (
        "stop words: datatrove needs 2 distinct lowercase stop words ('The', 'And' do not count); curate counts "
        "occurrences, case-insensitively"
    ),
    "gopher_bullet_lines": (
        "bullet lines: curate counts 14 bullet marks over non-empty lines; datatrove only '•' and '-', over all "
        "lines including empty ones"
    ),
    "gopher_too_many_bullets": "bullet lines: datatrove counts '•'/'-' over all lines; curate over non-empty lines",
    "gopher_ellipsis_lines": (
        "ellipsis lines: curate's ratio is over non-empty lines; datatrove's over all lines, empty ones included"
    ),
    "gopher_too_many_end_ellipsis": "ellipsis lines: datatrove's ratio is over all lines; curate's over non-empty ones",
    "gopher_symbols": (
        "symbol ratio: curate adds '#' and ellipses in one ratio over regex words; datatrove tests each separately "
        "over all spaCy tokens"
    ),
    "gopher_too_many_hashes": "symbol ratio: datatrove tests '#' alone over spaCy tokens; curate '#'+ellipses",
    "gopher_too_many_ellipsis": "symbol ratio: datatrove tests ellipses alone over spaCy tokens; curate '#'+ellipses",
    "gopher_short_words": "mean word length: curate over regex words; datatrove over non-punctuation spaCy tokens",
    "gopher_below_avg_threshold": "mean word length: datatrove over non-punctuation spaCy tokens; curate over words",
    "gopher_long_words": "mean word length: curate over regex words; datatrove over non-punctuation spaCy tokens",
    "gopher_above_avg_threshold": (
        "mean word length: datatrove keeps URLs and e-mail addresses as single long tokens; curate splits them"
    ),
}

REPETITION_NOTES = {
    "lines": (
        "duplicate lines: curate counts stripped non-empty lines and divides duplicate characters by the lines' "
        "characters; datatrove splits on '\\n+' without stripping and divides by the whole text's length"
    ),
    "paragraphs": (
        "duplicate paragraphs: curate splits on blank lines (whitespace allowed) and divides by the paragraphs' "
        "characters; datatrove splits on '\\n\\n+' and divides by the whole text's length"
    ),
    "top": (
        "top n-gram: curate's n-grams are regex words (no punctuation), characters over word characters, and count "
        "only when the n-gram occurs twice or more; datatrove's are spaCy tokens with punctuation (a URL is one "
        "token), joined with spaces, over the text's length, and count even when the n-gram occurs once"
    ),
    "dup": (
        "duplicate n-grams: curate counts every word inside an n-gram that occurs twice or more, first occurrence "
        "included, over word characters; datatrove counts only the repeats (greedy, non-overlapping), over the "
        "text's length with spaces and punctuation, so its value is about half of curate's"
    ),
}

C4_NOTES = {
    "c4_too_few_sentences": (
        "sentences: curate counts '.', '!', '?' (and CJK marks) followed by a space or the end in the cleaned text; "
        "datatrove counts spaCy sentencizer sentences in each kept line"
    ),
    "too_few_sentences": (
        "sentences: datatrove counts spaCy sentencizer sentences in kept lines; curate counts terminal marks "
        "followed by a space or the line end"
    ),
    "c4_nothing_left": "kept lines: no line passed curate's line rules",
    "c4_curly_braces": (
        "curly braces: curate looks for '{' or '}' in the cleaned text; datatrove for '{' in lines that passed the "
        "punctuation and word-count rules"
    ),
    "curly_bracket": (
        "curly braces: datatrove drops on '{' in a line that passed punctuation and length, before the javascript and "
        "policy rules remove lines; curate looks only at the lines it keeps"
    ),
    "c4_lorem_ipsum": "lorem ipsum: curate looks in the cleaned text; datatrove in lines passing its first rules",
    "lorem_ipsum": "lorem ipsum: datatrove looks in lines passing punctuation and length; curate in the cleaned text",
}
C4_LINE_RULES = (
    "line rules differ: datatrove drops lines ending in '...', and counts words by whitespace (curate by regex "
    "words, so 'e.g.' and '3-1' differ); curate also accepts lines ending in '”', '’' and '…'"
)


def explain(filter_name: str, text: str, curate: Verdict, datatrove: Verdict, curate_scores: dict[str, float]) -> dict:
    """The rule that fired, both sides' metric and a one-line explanation of why they differ."""
    reason = curate[1] if not curate[0] else datatrove[1]
    side = "curate" if not curate[0] else "datatrove"
    detail: dict[str, Any] = {}
    if filter_name == "gopher_quality":
        dt = datatrove_gopher_quality_metrics(text)
        pairs = {
            ("gopher_too_few_words", "gopher_short_doc"): ("gopher_words", "non_symbol_words"),
            ("gopher_non_alpha_words", "gopher_below_alpha_threshold"): (
                "gopher_alpha_words_ratio",
                "alpha_words_ratio",
            ),
            ("gopher_few_stop_words", "gopher_enough_stop_words"): ("gopher_stop_words", "distinct_stop_words"),
            ("gopher_bullet_lines", "gopher_too_many_bullets"): ("gopher_bullet_lines_ratio", "bullet_lines_ratio"),
            ("gopher_ellipsis_lines", "gopher_too_many_end_ellipsis"): (
                "gopher_ellipsis_lines_ratio",
                "ellipsis_lines_ratio",
            ),
            ("gopher_short_words", "gopher_below_avg_threshold", "gopher_long_words", "gopher_above_avg_threshold"): (
                "gopher_mean_word_length",
                "mean_word_length",
            ),
            ("gopher_symbols", "gopher_too_many_hashes", "gopher_too_many_ellipsis"): (
                "gopher_symbol_word_ratio",
                "ellipsis_ratio",
            ),
        }
        for reasons, (c_key, d_key) in pairs.items():
            if reason in reasons:
                detail = {"curate": round(curate_scores[c_key], 3), "datatrove": round(dt[d_key], 3), "metric": c_key}
        note = GOPHER_QUALITY_NOTES.get(reason or "", "")
    elif filter_name == "gopher_repetition":
        dt = datatrove_repetition_metrics(text)
        key = (reason or "").removeprefix("gopher_").removeprefix("duplicated_")
        mapping = {
            "dup_lines": "dup_line_fraction",
            "dup_line_frac": "dup_line_fraction",
            "dup_line_chars": "dup_line_char_fraction",
            "dup_line_char_frac": "dup_line_char_fraction",
            "dup_paragraphs": "dup_paragraph_fraction",
            "dup_para_frac": "dup_paragraph_fraction",
            "dup_paragraph_chars": "dup_paragraph_char_fraction",
            "dup_para_char_frac": "dup_paragraph_char_fraction",
        }
        for n in range(2, 11):
            mapping[f"top_{n}gram"] = mapping[f"top_{n}_gram"] = f"top_{n}gram_char_fraction"
            mapping[f"dup_{n}gram"] = mapping[f"{n}_n_grams"] = f"dup_{n}gram_char_fraction"
        metric = mapping.get(key, "")
        if metric:
            detail = {
                "curate": round(curate_scores.get(f"gopher_{metric}", float("nan")), 3),
                "datatrove": round(dt[metric], 3),
                "metric": metric,
            }
        kind = "lines" if "line" in metric else "paragraphs" if "paragraph" in metric else metric[:3]
        note = REPETITION_NOTES.get(kind, "")
        if kind == "top":
            detail.update(top_ngrams(text, int(metric[4])))
    else:
        dt = datatrove_c4_metrics(text)
        detail = {
            "curate_sentences": curate_scores.get("c4_sentences"),
            "datatrove_sentences": dt["sentences"],
            "curate_kept_lines": curate_scores.get("kept_lines"),
            "datatrove_kept_lines": dt["kept_lines"],
            "datatrove_line_stats": dt["line_stats"],
        }
        note = C4_NOTES.get(reason or "", "")
        if curate_scores.get("kept_lines") != dt["kept_lines"]:
            note = f"{note}; {C4_LINE_RULES}" if note else C4_LINE_RULES
    return {"rule": reason, "dropped_by": side, "values": detail, "explanation": note}


def agreement(docs: list[dict[str, Any]]) -> dict[str, Any]:
    curate, datatrove = CurateSide(), DatatroveSide()
    c_run, d_run = curate.runners(), datatrove.runners()
    result: dict[str, Any] = {}
    for name in FILTERS:
        same = 0
        same_reason_pairs: Counter[str] = Counter()
        kept = Counter()
        disagreements: list[dict[str, Any]] = []
        for doc in docs:
            text = doc["text"]
            c, d = c_run[name](text), d_run[name](text)
            kept["curate"] += c[0]
            kept["datatrove"] += d[0]
            if c[0] == d[0]:
                same += 1
                if not c[0]:
                    same_reason_pairs[f"{c[1]} | {d[1]}"] += 1
                continue
            if name == "c4":
                cleaned, scores = curate.c4.clean(text, LANG)
                scores.update(curate.c4.score(cleaned, LANG))
                scores["kept_lines"] = float(len([line for line in cleaned.split("\n") if line]))
            else:
                scores = getattr(curate, name).score(text, LANG)
            disagreements.append(
                {
                    "id": doc["id"],
                    "url": doc["url"],
                    "curate": c[1] or "keep",
                    "datatrove": d[1] or "keep",
                    **explain(name, text, c, d, scores),
                }
            )
        n = len(docs)
        result[name] = {
            "docs": n,
            "agree": same,
            "agreement_rate": round(same / n, 4) if n else 0.0,
            "kept": {"curate": kept["curate"], "datatrove": kept["datatrove"]},
            "both_dropped_reasons": dict(same_reason_pairs.most_common()),
            "disagreements_by_rule": dict(
                Counter(f"{x['dropped_by']}: {x['rule']}" for x in disagreements).most_common()
            ),
            "disagreements": disagreements,
        }
    return result


# --------------------------------------------------------------------------------------------- report


def package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def english_documents(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for doc in docs:
        if doc["lang"] == LANG and doc["text"] not in seen:
            seen.add(doc["text"])
            out.append(doc)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared folder (default: ../shared)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="cached corpus (built when absent)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the corpus even when it is cached")
    parser.add_argument("--min-docs", type=int, default=400, help="repeat the English documents to at least this")
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds per side")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        corpus, _ = load_or_build(args.shared, args.corpus, force=args.rebuild)
    except DataMissing as exc:
        print(f"SKIP: {exc}")
        return 0
    try:
        import datatrove.pipeline.filters  # noqa: F401
        import spacy  # noqa: F401
    except ImportError as exc:
        print(f"SKIP: datatrove's filters need {exc.name} (pip install spacy; spacy.blank('en') needs no model)")
        return 0
    docs = english_documents(corpus)
    if not docs:
        print("SKIP: no English documents in the corpus")
        return 0
    repeats = -(-args.min_docs // len(docs))
    texts = [doc["text"] for doc in docs] * repeats
    chars = sum(len(doc["text"]) for doc in docs)
    print(f"{len(docs)} distinct English documents x {repeats} = {len(texts)} documents; timing {args.rounds} rounds")
    speed = benchmark(texts, args.rounds)
    print("profiling curate's chain ...", flush=True)
    profile = profile_curate([doc["text"] for doc in docs])
    print("agreement ...", flush=True)
    agree = agreement(docs)
    out = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": {
            "cpu": cpu_model(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "datatrove": package_version("datatrove"),
            "spacy": package_version("spacy"),
            "regex": package_version("regex"),
        },
        "documents": {
            "distinct_english": len(docs),
            "repeats": repeats,
            "timed": len(texts),
            "mean_chars": round(chars / len(docs)),
        },
        "speed": speed,
        "profile_curate": profile,
        "agreement": agree,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    print(f"\n{'side':<11}{'docs/s/core':>12}{'ms/doc':>9}" + "".join(f"{f:>19}" for f in FILTERS))
    for side in ("curate", "datatrove"):
        s = speed[side]
        cells = "".join(f"{s['per_filter'][f]['ms_per_doc']:>16.3f} ms" for f in FILTERS)
        print(f"{side:<11}{s['docs_per_s_per_core']:>12.1f}{s['ms_per_doc']:>9.3f}{cells}")
    verdict = "met" if speed["target_met"] else "NOT met"
    print(f"ratio curate/datatrove: {speed['ratio_curate_over_datatrove']}x (target {TARGET_RATIO}x: {verdict})")
    print("per filter in the chain (datatrove time / curate time):", speed["ratio_per_filter_in_chain"])
    print("per filter alone (datatrove time / curate time):", speed["ratio_per_filter_alone"])
    for side in ("curate", "datatrove"):
        print(f"  {side} alone, ms/doc:", {f: v["ms_per_doc"] for f, v in speed[side]["per_filter_alone"].items()})
    for name in FILTERS:
        a = agree[name]
        print(f"agreement {name}: {a['agreement_rate']:.3f} ({a['agree']}/{a['docs']}) {a['disagreements_by_rule']}")
    print("curate profile, top by cumulative time:")
    for row in profile["top_cumulative"]:
        print(f"  {row['cumulative_s']:8.3f} s {row['cumulative_share']:6.1%} {row['calls']:8d}  {row['function']}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
