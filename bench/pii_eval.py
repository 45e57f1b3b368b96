#!/usr/bin/env python
"""PII detection quality on the generated evaluation set, and redaction throughput on real web text.

Quality: every text of ``bench/pii_eval/pii_eval.jsonl`` (``make_eval_set.py``) goes through
``find_pii(text, PiiConfig(entities=all ENTITIES, USER_HANDLE included), lang=lang)``. Per entity:

* ``exact``: a prediction counts only when ``(start, end, entity)`` equals a gold span;
* ``overlap``: a prediction counts when it overlaps a gold span of the same entity (one-to-one, greedy);

precision, recall and F1 per entity and micro-averaged, false positives per hard-negative category, type
confusions (a prediction overlapping a gold span of another entity), and every false positive and false negative
with a snippet around it.

Throughput: the HTML pages of ``shared/data/warc/trafilatura-eval-repack.warc.gz`` (deduplicated on payload bytes)
go through ``decode_html`` and ``extract_main_text(html, "trafilatura_fast_rescue")``, timed per page (CPU time);
the texts are cached in ``bench/results/web_texts.tmp.jsonl``. On the same texts, in the same run,
``find_pii`` + ``redact`` are timed (CPU time, best of ``--repeat`` passes) with the pipeline's default config and
with every entity enabled. One process, so MB/s is per core. MB is 10^6 bytes of UTF-8 text.

Optional ``--compare scrubadub``: the same quality metrics for scrubadub's default detectors when it is importable.

Usage: ``python bench/pii_eval.py [--eval-set PATH] [--out PATH] [--shared PATH] [--skip-throughput]``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_common import cpu_model, package_versions

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DEFAULT_EVAL_SET = REPO_ROOT / "bench" / "pii_eval" / "pii_eval.jsonl"
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "pii_eval.json"
DEFAULT_CACHE = REPO_ROOT / "bench" / "results" / "web_texts.tmp.jsonl"
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
WARC_NAME = Path("data/warc/trafilatura-eval-repack.warc.gz")
ENGINE = "trafilatura_fast_rescue"
# Targets from the project brief: recall >= 0.98 and precision >= 0.95 on these entities.
TARGETS: dict[str, tuple[float, float]] = {
    "EMAIL_ADDRESS": (0.95, 0.98),
    "IP_ADDRESS": (0.95, 0.98),
    "CREDIT_CARD": (0.95, 0.98),
    "SECRET": (0.95, 0.98),
}
SNIPPET = 50

Span = tuple[int, int, str]
Detector = Callable[[str, str], list[Span]]


# ---------------------------------------------------------------------------------------------------------------
# Matching and scores
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float | int]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }


def match(gold: list[Span], pred: list[Span], mode: str) -> tuple[list[tuple[Span, Span]], list[Span], list[Span]]:
    """(matched pairs, unmatched predictions, unmatched gold) for ``exact`` or ``overlap`` matching."""
    if mode == "exact":
        gold_set, pred_set = set(gold), set(pred)
        pairs = [(g, g) for g in gold if g in pred_set]
        return pairs, [p for p in pred if p not in gold_set], [g for g in gold if g not in pred_set]
    pairs: list[tuple[Span, Span]] = []
    used: set[int] = set()
    missed: list[Span] = []
    for g in sorted(gold):
        best = None
        for i, p in enumerate(pred):
            if i in used or p[2] != g[2] or p[1] <= g[0] or g[1] <= p[0]:
                continue
            overlap = min(g[1], p[1]) - max(g[0], p[0])
            if best is None or overlap > best[0]:
                best = (overlap, i)
        if best is None:
            missed.append(g)
        else:
            used.add(best[1])
            pairs.append((g, pred[best[1]]))
    return pairs, [p for i, p in enumerate(pred) if i not in used], missed


def snippet(text: str, start: int, end: int, width: int = SNIPPET) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    out = text[left:start] + "⟦" + text[start:end] + "⟧" + text[end:right]
    out = out.replace("\n", "⏎")
    return ("…" if left else "") + out + ("…" if right < len(text) else "")


def evaluate(records: list[dict[str, Any]], detect: Detector, entities: tuple[str, ...]) -> dict[str, Any]:
    """Scores of ``detect`` over the records; ``entities`` are the types the detector can produce."""
    per_mode: dict[str, dict[str, Counts]] = {m: defaultdict(Counts) for m in ("exact", "overlap")}
    false_positives: list[dict[str, Any]] = []
    false_negatives: list[dict[str, Any]] = []
    neg_texts_with_fp: Counter[str] = Counter()
    neg_fp_by_category: dict[str, Counter[str]] = defaultdict(Counter)
    neg_by_category: Counter[str] = Counter()
    confusions: Counter[str] = Counter()
    recall_by: dict[str, dict[str, Counts]] = {"lang": defaultdict(Counts), "context": defaultdict(Counts)}
    cpu = 0.0
    for rec in records:
        text = rec["text"]
        gold = [(s["start"], s["end"], s["entity"]) for s in rec["spans"] if s["entity"] in entities]
        t0 = time.process_time()
        pred = detect(text, rec["lang"])
        cpu += time.process_time() - t0
        for mode, counts in per_mode.items():
            pairs, fps, fns = match(gold, pred, mode)
            for g, _ in pairs:
                counts[g[2]].tp += 1
            for p in fps:
                counts[p[2]].fp += 1
            for g in fns:
                counts[g[2]].fn += 1
            if mode == "exact":
                recall_by["lang"][rec["lang"]].tp += len(pairs)
                recall_by["context"][rec["context"]].tp += len(pairs)
                recall_by["lang"][rec["lang"]].fn += len(fns)
                recall_by["context"][rec["context"]].fn += len(fns)
                for p in fps:
                    near = [g for g in gold if g[0] < p[1] and p[0] < g[1]]
                    kind = "spurious"
                    if any(g[2] == p[2] for g in near):
                        kind = "boundary"
                    elif near:
                        kind = "wrong_type"
                        confusions[f"{near[0][2]} -> {p[2]}"] += 1
                    false_positives.append(
                        {
                            "id": rec["id"],
                            "entity": p[2],
                            "value": text[p[0] : p[1]],
                            "kind": kind,
                            "gold_near": [{"entity": g[2], "value": text[g[0] : g[1]]} for g in near],
                            "category": rec["category"],
                            "context": rec["context"],
                            "lang": rec["lang"],
                            "snippet": snippet(text, p[0], p[1]),
                        }
                    )
                for g in fns:
                    near = [p for p in pred if p[0] < g[1] and g[0] < p[1]]
                    kind = "missed"
                    if any(p[2] == g[2] for p in near):
                        kind = "boundary"
                    elif near:
                        kind = "wrong_type"
                    false_negatives.append(
                        {
                            "id": rec["id"],
                            "entity": g[2],
                            "value": text[g[0] : g[1]],
                            "kind": kind,
                            "pred_near": [{"entity": p[2], "value": text[p[0] : p[1]]} for p in near],
                            "context": rec["context"],
                            "lang": rec["lang"],
                            "snippet": snippet(text, g[0], g[1]),
                        }
                    )
        if not rec["spans"]:
            neg_by_category[rec["category"]] += 1
            if pred:
                neg_texts_with_fp[rec["category"]] += 1
                for p in pred:
                    neg_fp_by_category[rec["category"]][p[2]] += 1
    result: dict[str, Any] = {}
    for mode, counts in per_mode.items():
        table = {e: counts[e].scores() for e in entities}
        micro = Counts(*(sum(counts[e].__dict__[k] for e in entities) for k in ("tp", "fp", "fn")))
        result[mode] = {"per_entity": table, "micro": micro.scores()}
    negatives = sum(neg_by_category.values())
    result["negatives"] = {
        "texts": negatives,
        "texts_with_any_fp": sum(neg_texts_with_fp.values()),
        "by_category": {
            cat: {
                "texts": n,
                "texts_with_fp": neg_texts_with_fp[cat],
                "fp_by_entity": dict(neg_fp_by_category[cat].most_common()),
            }
            for cat, n in sorted(neg_by_category.items())
        },
    }
    result["type_confusions"] = dict(confusions.most_common())
    result["recall_by_lang"] = {k: v.scores()["recall"] for k, v in sorted(recall_by["lang"].items())}
    result["recall_by_context"] = {k: v.scores()["recall"] for k, v in sorted(recall_by["context"].items())}
    chars = sum(len(r["text"].encode("utf-8")) for r in records)
    result["eval_cpu_s"] = round(cpu, 3)
    result["eval_mb_per_s"] = round(chars / 1e6 / cpu, 3) if cpu else None
    result["false_positives"] = false_positives
    result["false_negatives"] = false_negatives
    return result


def targets_report(exact: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for entity, (p_min, r_min) in TARGETS.items():
        scores = exact["per_entity"].get(entity)
        if scores is None:
            continue
        out[entity] = {
            "precision_target": p_min,
            "recall_target": r_min,
            "precision": scores["precision"],
            "recall": scores["recall"],
            "met": scores["precision"] >= p_min and scores["recall"] >= r_min,
        }
    return out


# ---------------------------------------------------------------------------------------------------------------
# Detectors
# ---------------------------------------------------------------------------------------------------------------


def curate_detector(
    all_entities: bool = True, tagger: bool = True, tagger_model: Path | None = None
) -> tuple[Detector, tuple[str, ...]]:
    from filters.pii import ENTITIES, PiiConfig, find_pii

    model = str(tagger_model) if tagger_model else None
    config = PiiConfig(entities=list(ENTITIES), secret_tagger=tagger, secret_tagger_model=model)
    config = config if all_entities else PiiConfig()

    def detect(text: str, lang: str) -> list[Span]:
        return [(s.start, s.end, s.entity) for s in find_pii(text, config, lang=lang)]

    return detect, tuple(ENTITIES)


SCRUBADUB_TYPES = {
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "credit_card": "CREDIT_CARD",
    "social_security_number": "US_SSN",
    "credential": "SECRET",
    "twitter": "USER_HANDLE",
}


# The same language -> region mapping as filters.pii, as scrubadub locales.
SCRUBADUB_LOCALES = {
    "en": "en_US",
    "fr": "fr_FR",
    "de": "de_DE",
    "es": "es_ES",
    "pt": "pt_BR",
    "it": "it_IT",
    "nl": "nl_NL",
    "pl": "pl_PL",
    "ja": "ja_JP",
    "zh": "zh_CN",
}


def scrubadub_detector() -> tuple[Detector, tuple[str, ...]]:
    import scrubadub  # type: ignore[import-not-found]

    scrubbers: dict[str, Any] = {}

    def detect(text: str, lang: str) -> list[Span]:
        locale = SCRUBADUB_LOCALES.get(lang, "en_US")
        if locale not in scrubbers:
            scrubbers[locale] = scrubadub.Scrubber(locale=locale)
        spans = []
        for filth in scrubbers[locale].iter_filth(text):
            entity = SCRUBADUB_TYPES.get(filth.type)
            if entity:
                spans.append((filth.beg, filth.end, entity))
        return spans

    return detect, tuple(dict.fromkeys(SCRUBADUB_TYPES.values()))


# ---------------------------------------------------------------------------------------------------------------
# Throughput on real extracted web text
# ---------------------------------------------------------------------------------------------------------------


def extract_web_texts(warc: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Decode + extract every distinct HTML payload of the WARC, timing each page (CPU time)."""
    from stages.html_text import declared_charset, decode_html, extract_main_text
    from stages.sources.warc_records import iter_warc_records

    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    stats: Counter[str] = Counter()
    cpu_total = 0.0
    html_bytes = 0
    for item in iter_warc_records(str(warc)):
        if item.error or item.warc_type != "response" or item.payload is None:
            continue
        content_type = item.content_type or item.identified_type
        if item.http_status != 200 or not content_type or "html" not in content_type.lower():
            stats["skipped"] += 1
            continue
        digest = hashlib.sha1(item.payload).hexdigest()
        if digest in seen:
            stats["duplicate_payload"] += 1
            continue
        seen.add(digest)
        t0 = time.process_time()
        try:
            html = decode_html(item.payload, declared_charset(item.content_type, item.payload[:4096]))
            text = extract_main_text(html, ENGINE, item.target_uri)
        except Exception as exc:  # a benchmark: count and go on
            stats[f"error:{type(exc).__name__}"] += 1
            continue
        finally:
            cpu_total += time.process_time() - t0
        stats["pages"] += 1
        html_bytes += len(item.payload)
        if text.strip():
            rows.append({"id": f"{warc.name}@{item.offset}", "url": item.target_uri, "text": text})
        else:
            stats["empty_text"] += 1
    text_bytes = sum(len(r["text"].encode("utf-8")) for r in rows)
    extraction = {
        "engine": ENGINE,
        "pages": stats["pages"],
        "texts": len(rows),
        "counts": dict(stats),
        "cpu_s": round(cpu_total, 3),
        "docs_per_s": round(stats["pages"] / cpu_total, 2) if cpu_total else None,
        "html_mb": round(html_bytes / 1e6, 3),
        "html_mb_per_s": round(html_bytes / 1e6 / cpu_total, 3) if cpu_total else None,
        "text_mb": round(text_bytes / 1e6, 3),
        "text_mb_per_s": round(text_bytes / 1e6 / cpu_total, 4) if cpu_total else None,
    }
    return rows, extraction


def add_langs(rows: list[dict[str, Any]]) -> None:
    """fastText lid.176 language per text, as the pipeline's langid stage would pass to the PII stage."""
    try:
        from langid_models import load_model
        from stages.langid import prediction_text

        model = load_model()
        for row, top in zip(rows, model.predict([prediction_text(r["text"], None) for r in rows], k=1), strict=True):
            row["lang"] = top[0][0]
    except Exception as exc:  # the model is optional here: phone parsing then uses the default region
        print(f"note: no language identification ({type(exc).__name__}: {exc}); lang=None", file=sys.stderr)
        for row in rows:
            row.setdefault("lang", None)


def time_redaction(rows: list[dict[str, Any]], config: Any, repeat: int) -> dict[str, Any]:
    from filters.pii import find_pii, redact

    find_pii("warm up: a@b.io 8.8.4.4 +1 415-555-2671", config, lang="en")
    passes: list[float] = []
    found: Counter[str] = Counter()
    docs_with_pii = 0
    for i in range(repeat):
        t0 = time.process_time()
        for row in rows:
            spans = find_pii(row["text"], config, lang=row.get("lang"))
            redact(row["text"], spans)
            if i == 0:
                found.update(s.entity for s in spans)
                docs_with_pii += bool(spans)
        passes.append(time.process_time() - t0)
    text_bytes = sum(len(r["text"].encode("utf-8")) for r in rows)
    best = min(passes)
    return {
        "entities": list(config.entities),
        "passes_cpu_s": [round(p, 3) for p in passes],
        "best_cpu_s": round(best, 3),
        "median_cpu_s": round(statistics.median(passes), 3),
        "mb_per_s": round(text_bytes / 1e6 / best, 3),
        "mb_per_s_median": round(text_bytes / 1e6 / statistics.median(passes), 3),
        "docs_per_s": round(len(rows) / best, 1),
        "spans_found": dict(found.most_common()),
        "docs_with_pii": docs_with_pii,
    }


def time_per_entity(rows: list[dict[str, Any]], repeat: int) -> dict[str, float]:
    """MB/s of find_pii with one entity enabled at a time: where the time goes."""
    from filters.pii import ENTITIES, PiiConfig, find_pii

    text_bytes = sum(len(r["text"].encode("utf-8")) for r in rows)
    out = {}
    for entity in ENTITIES:
        config = PiiConfig(entities=[entity])
        passes = []
        for _ in range(repeat):
            t0 = time.process_time()
            for row in rows:
                find_pii(row["text"], config, lang=row.get("lang"))
            passes.append(time.process_time() - t0)
        out[entity] = round(text_bytes / 1e6 / min(passes), 2)
    passes = []
    for _ in range(repeat):
        t0 = time.process_time()
        for row in rows:
            find_pii(row["text"], PiiConfig(entities=["SECRET"], secret_tagger=False), lang=row.get("lang"))
        passes.append(time.process_time() - t0)
    out["SECRET rules only (no tagger)"] = round(text_bytes / 1e6 / min(passes), 2)
    return out


def time_other(rows: list[dict[str, Any]], detect: Detector) -> dict[str, Any]:
    text_bytes = sum(len(r["text"].encode("utf-8")) for r in rows)
    detect("warm up", "en")
    t0 = time.process_time()
    for row in rows:
        detect(row["text"], row.get("lang") or "en")
    cpu = time.process_time() - t0
    return {
        "cpu_s": round(cpu, 3),
        "mb_per_s": round(text_bytes / 1e6 / cpu, 3),
        "docs_per_s": round(len(rows) / cpu, 1),
    }


def web_samples(rows: list[dict[str, Any]], config: Any, per_entity: int = 8) -> dict[str, list[str]]:
    """A few spans found per entity in the web texts, for a manual look at precision in the wild."""
    from filters.pii import find_pii

    samples: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for s in find_pii(row["text"], config, lang=row.get("lang")):
            if len(samples[s.entity]) < per_entity:
                samples[s.entity].append(snippet(row["text"], s.start, s.end, 30))
    return dict(samples)


def throughput(
    shared: Path, cache: Path, repeat: int, reuse: bool, others: dict[str, Detector] | None = None
) -> dict[str, Any]:
    from filters.pii import ENTITIES, PiiConfig

    warc = shared / WARC_NAME
    if reuse and cache.is_file():
        with cache.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        extraction: dict[str, Any] = {"note": f"texts reused from {cache.name}; extraction not timed in this run"}
    else:
        if not warc.is_file():
            return {"skipped": f"{warc} is absent"}
        rows, extraction = extract_web_texts(warc)
        add_langs(rows)
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    default = time_redaction(rows, PiiConfig(), repeat)
    rules_only = time_redaction(rows, PiiConfig(secret_tagger=False), repeat)
    everything = time_redaction(rows, PiiConfig(entities=list(ENTITIES)), repeat)
    per_entity = time_per_entity(rows, max(1, repeat // 2))
    text_bytes = sum(len(r["text"].encode("utf-8")) for r in rows)
    return {
        "warc": str(warc),
        "texts": len(rows),
        "text_mb": round(text_bytes / 1e6, 3),
        "langs": dict(Counter(r.get("lang") for r in rows).most_common()),
        "extraction": extraction,
        "pii_default_config": default,
        "pii_default_config_without_tagger": rules_only,
        "pii_all_entities": everything,
        "find_pii_mb_per_s_one_entity": per_entity,
        "others": {name: time_other(rows, detect) for name, detect in (others or {}).items()},
        "web_samples": web_samples(rows, PiiConfig(entities=list(ENTITIES))),
    }


# ---------------------------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_model": cpu_model(),
        "nproc": len(os.sched_getaffinity(0)),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def detector_digest() -> str:
    """sha1 of filters/pii*.py and the bundled tagger model, so a result is tied to the detector it measured."""
    digest = hashlib.sha1()
    model = REPO_ROOT / "filters" / "data" / "pii_secret_tagger.crfsuite"
    paths = [*sorted((REPO_ROOT / "filters").glob("pii*.py")), model]
    for path in paths:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def print_quality(title: str, result: dict[str, Any]) -> None:
    print(f"\n{title}")
    header = f"{'entity':<14} {'gold':>5} {'P':>7} {'R':>7} {'F1':>7} {'FP':>4} {'FN':>4} | {'P~':>7} {'R~':>7}"
    print(header)
    print("-" * len(header))
    exact, overlap = result["exact"], result["overlap"]
    rows = [*exact["per_entity"].items(), ("micro", exact["micro"])]
    for entity, s in rows:
        o = overlap["micro"] if entity == "micro" else overlap["per_entity"][entity]
        gold = s["tp"] + s["fn"]
        print(
            f"{entity:<14} {gold:>5} {s['precision']:>7.3f} {s['recall']:>7.3f} {s['f1']:>7.3f} {s['fp']:>4} "
            f"{s['fn']:>4} | {o['precision']:>7.3f} {o['recall']:>7.3f}"
        )
    print("(P, R, F1: exact span match; P~, R~: overlap match)")
    neg = result["negatives"]
    print(f"hard negatives: {neg['texts_with_any_fp']} of {neg['texts']} texts with a false positive")
    for cat, c in neg["by_category"].items():
        if c["texts_with_fp"]:
            print(f"  {cat:<24} {c['texts_with_fp']:>3}/{c['texts']:<3} {c['fp_by_entity']}")
    if result["type_confusions"]:
        print(f"type confusions: {result['type_confusions']}")


def print_failures(result: dict[str, Any], limit: int) -> None:
    for key in ("false_positives", "false_negatives"):
        items = result[key]
        print(f"\n{key} ({len(items)}):")
        for item in items[:limit]:
            print(f"  {item['id']} {item['entity']:<13} {item['kind']:<10} {item['snippet']}")
        if len(items) > limit:
            print(f"  ... {len(items) - limit} more in the JSON output")


def print_throughput(tp: dict[str, Any]) -> None:
    if "skipped" in tp:
        print(f"\nthroughput: SKIP: {tp['skipped']}")
        return
    ext = tp["extraction"]
    print(f"\nthroughput on {tp['texts']} extracted web texts ({tp['text_mb']} MB of text), one core, CPU time:")
    if "docs_per_s" in ext:
        print(
            f"  extraction ({ext['engine']}): {ext['docs_per_s']} docs/s, {ext['html_mb_per_s']} MB/s of HTML in, "
            f"{ext['text_mb_per_s']} MB/s of text out"
        )
    else:
        print(f"  extraction: {ext['note']}")
    for name in ("pii_default_config", "pii_default_config_without_tagger", "pii_all_entities"):
        r = tp[name]
        print(
            f"  find_pii + redact ({name}): {r['mb_per_s']} MB/s (median {r['mb_per_s_median']}), "
            f"{r['docs_per_s']} docs/s; spans {r['spans_found']}"
        )
    print(f"  find_pii with one entity enabled (MB/s): {tp['find_pii_mb_per_s_one_entity']}")
    for name, r in tp["others"].items():
        print(f"  {name}: {r['mb_per_s']} MB/s, {r['docs_per_s']} docs/s")


def load_records(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-set", type=Path, default=DEFAULT_EVAL_SET)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--texts-cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--reuse-texts", action="store_true", help="reuse the cached web texts (extraction not timed)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes of find_pii + redact (best is reported)")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--compare", choices=["scrubadub"], action="append", default=[])
    parser.add_argument("--show", type=int, default=60, help="failures printed per list")
    parser.add_argument("--tagger-model", type=Path, help="a secret-tagger model instead of the bundled one")
    parser.add_argument(
        "--with-rules-only", action="store_true", help="also score the rules without the secret tagger, same run"
    )
    args = parser.parse_args()

    if not args.eval_set.is_file():
        print(f"SKIP: {args.eval_set} is absent; run bench/pii_eval/make_eval_set.py first")
        return
    records = load_records(args.eval_set)
    spans = Counter(s["entity"] for r in records for s in r["spans"])
    detect, entities = curate_detector(tagger_model=args.tagger_model)
    quality = evaluate(records, detect, entities)
    report: dict[str, Any] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "packages": package_versions(("phonenumbers", "trafilatura", "resiliparse", "scrubadub")),
        "filters_pii_sha1": detector_digest(),
        "tagger_model": str(args.tagger_model or "bundled"),
        "eval_set": {
            "path": str(
                args.eval_set.relative_to(REPO_ROOT) if args.eval_set.is_relative_to(REPO_ROOT) else args.eval_set
            ),
            "texts": len(records),
            "texts_with_pii": sum(1 for r in records if r["spans"]),
            "hard_negatives": sum(1 for r in records if not r["spans"]),
            "spans": dict(spans),
            "langs": dict(Counter(r["lang"] for r in records).most_common()),
        },
        "curate": quality,
        "targets": targets_report(quality["exact"]),
    }
    print_quality("curate filters.pii (all entities, USER_HANDLE on)", quality)
    print(
        "\ntargets (exact match): "
        + ", ".join(f"{e} {'met' if t['met'] else 'MISSED'}" for e, t in report["targets"].items())
    )
    print_failures(quality, args.show)
    if args.with_rules_only:
        rules_detect, _ = curate_detector(tagger=False)
        rules_quality = evaluate(records, rules_detect, entities)
        report["curate_rules_only"] = rules_quality
        report["targets_rules_only"] = targets_report(rules_quality["exact"])
        print_quality("curate filters.pii, rules only (secret_tagger: false)", rules_quality)

    others: dict[str, Detector] = {}
    for name in args.compare:
        try:
            other, other_entities = scrubadub_detector()
        except ImportError as exc:
            report[name] = {"skipped": f"not importable: {exc}"}
            print(f"\n{name}: not importable ({exc})")
            continue
        others[name] = other
        result = evaluate(records, other, other_entities)
        report[name] = {k: v for k, v in result.items() if k not in ("false_positives", "false_negatives")}
        report[name]["false_positives_count"] = len(result["false_positives"])
        report[name]["false_negatives_count"] = len(result["false_negatives"])
        print_quality(f"{name} (default detectors; entities it has)", result)

    if not args.skip_throughput:
        report["throughput"] = throughput(args.shared, args.texts_cache, args.repeat, args.reuse_texts, others)
        print_throughput(report["throughput"])

    report["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
