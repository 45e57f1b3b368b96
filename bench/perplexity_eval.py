#!/usr/bin/env python
"""How well CCNet perplexity and the Wikipedia-reference classifier separate Wikipedia from web boilerplate.

Data (shared/data, PROVENANCE.md sections 1 and 3):

* **Wikipedia**: the en, ja, uk and vi dumps in ``data/wikipedia/``, cleaned by the pipeline's wikipedia source.
  Every fifth article (by position in the dump) is **held out**; the models never see it.
* **Web**: every HTML page of ``data/warc/*.warc.gz`` (``bench/extract_corpus.iter_pages``), payloads deduplicated.
  The negatives scored here:

  - **boilerplate**: the page's lines that the main-content extractor removes (resiliparse's full-page text minus
    the lines of the main text that the ``extract`` stage keeps with ``trafilatura_precision_rescue``: menus,
    footers, link lists, cookie and legal notices), consecutive lines joined into paragraph-sized chunks
    (``classifier.chunks``, 20 words);
  - **web main text** (a harder, informational set): the paragraphs of the extracted main text.

  One host, archive.org's 2008 crawl (87 pages), gives most of these units, so each set is also scored with at most
  25 units per host (``*_per_host_cap``).

  The samples hold no real spam pages, so "spam-like" is not measured separately.

Test units are paragraphs (a line of the cleaned article, or a chunk) of at least 10 words, in English (lid.176 on
the unit for the web sets), each distinct text counted once. Models: SentencePiece + ``lmplz`` 5-gram per language
on the training articles; the fastText classifier on training articles (all four languages) against web pages.

The language models never see web text, so every web unit is a negative for ``ppl``. The classifier does: pages are
split into two folds by the sha1 of their host name (one site's menus are never on both sides), a classifier is
trained on the Wikipedia training articles against one fold's pages and scored on the other fold, and the two
folds' AUCs are averaged. Its negatives are either the pages' main text (what the pipeline trains on: the ``cc``
source after ``extract`` and ``langid``) or their full-page text (like Common Crawl's WET files).

AUC is the Mann-Whitney statistic from ranks (ties count one half): the probability that a random held-out
Wikipedia paragraph scores better (lower ``ppl``, higher ``quality_score``) than a random negative.

Throughput: the ``perplexity`` and ``quality_classifier`` stages' ``process`` on English documents (held-out
articles and web main texts), in this one process: documents per second per core.

Usage: ``python bench/perplexity_eval.py [--shared PATH]``. Writes ``bench/results/perplexity_eval.json``;
exits 0 with ``SKIP:`` when the data is absent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.bench_common import cpu_model, package_versions, print_table  # noqa: E402
from bench.extract_corpus import DataMissing, iter_pages  # noqa: E402

DEFAULT_SHARED = REPO_ROOT.parent / "shared"
RESULTS = REPO_ROOT / "bench" / "results" / "perplexity_eval.json"
WIKI_FILES = {
    "en": "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2",
    "ja": "jawiki-2023-pages-articles-head.xml.bz2",
    "uk": "ukwiki-20230501-pages-articles-head.xml.bz2",
    "vi": "viwiki-20230501-pages-articles-head.xml.bz2",
}
HOLD_OUT_EVERY = 5
FOLDS = (0, 1)
HOST_CAP = 25
NEGATIVE_SETS = ("boilerplate", "boilerplate_per_host_cap", "web_main_text", "web_main_text_per_host_cap")
MIN_WORDS = 10
ENGINE = "trafilatura_precision_rescue"


def auc(positives: list[float], negatives: list[float]) -> float:
    """P(score of a random positive > score of a random negative), ties one half (Mann-Whitney U / n1 n2)."""
    scores = np.asarray(positives + negatives, dtype=float)
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    start = 0
    while start < len(scores):  # average ranks over ties
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1
    n_pos, n_neg = len(positives), len(negatives)
    u = ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


def wiki_articles(shared: Path) -> dict[str, list[str]]:
    from stages.base import PartSpec
    from stages.sources.wikipedia import WikipediaConfig, WikipediaSource

    articles: dict[str, list[str]] = {}
    for lang, name in WIKI_FILES.items():
        path = shared / "data" / "wikipedia" / name
        if not path.is_file():
            raise DataMissing(f"{path} not found")
        reader = WikipediaSource("wikipedia", WikipediaConfig())
        texts = []
        for result in reader.read(PartSpec("wikipedia", lang, str(path)), 256, None):
            texts += [t for t, v in zip(result.batch.column("text").to_pylist(), result.verdicts, strict=True) if not v]
        articles[lang] = texts
    return articles


def web_pages(shared: Path, stats: Counter[str]) -> list[dict[str, Any]]:
    """Every distinct HTML page: its main text (the pipeline's extractor) and its boilerplate lines."""
    from resiliparse.extract.html2text import extract_plain_text

    from stages.html_text import declared_charset, decode_html, extract_main_text

    pages, seen = [], set()
    for page in iter_pages(shared, stats):
        digest = hashlib.sha1(page.payload).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        try:
            html = decode_html(page.payload, declared_charset(page.content_type, page.payload[:4096]))
            main = extract_main_text(html, ENGINE, page.url)
            full = extract_plain_text(html, main_content=False)
        except Exception:  # a benchmark: count and go on
            stats["extract_error"] += 1
            continue
        main_lines = {" ".join(line.split()) for line in main.split("\n") if line.strip()}
        boiler = [
            line
            for line in (" ".join(raw.split()) for raw in full.split("\n"))
            if line and not any(line in kept for kept in main_lines)
        ]
        # Split by host, so that one site's menus and footers are never on both sides.
        host = (urlsplit(page.url).hostname or page.url) if page.url else page.id
        pages.append(
            {
                "id": page.id,
                "url": page.url,
                "main": main,
                "boilerplate": "\n".join(boiler),
                "full": "\n".join(line for line in (" ".join(raw.split()) for raw in full.split("\n")) if line),
                "host": host,
                "fold": int(hashlib.sha1(host.encode()).hexdigest(), 16) % len(FOLDS),
            }
        )
    return pages


def long_enough(text: str) -> bool:
    from filters.text import words

    return len(words(text)) >= MIN_WORDS


def unique(units: list[str]) -> list[str]:
    """Each distinct unit once: a site's menu repeated on every page would otherwise dominate the negatives."""
    return list(dict.fromkeys(units))


def unique_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    result = []
    for host, text in pairs:
        if text not in seen:
            seen.add(text)
            result.append((host, text))
    return result


def english_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    from langid_models import load_model
    from stages.langid import prediction_text

    if not pairs:
        return []
    predictions = load_model().predict([prediction_text(text, None) for _, text in pairs], k=1)
    return [pair for pair, top in zip(pairs, predictions, strict=True) if top[0][0] == "en"]


def per_host_cap(pairs: list[tuple[str, str]], cap: int) -> list[tuple[str, str]]:
    """At most ``cap`` units per host: archive.org's 2008 crawl alone gives most of the units otherwise."""
    counts: Counter[str] = Counter()
    result = []
    for host, text in pairs:
        counts[host] += 1
        if counts[host] <= cap:
            result.append((host, text))
    return result


def throughput(stage: Any, texts: list[str], batch_size: int = 64) -> dict[str, float]:
    from stages.base import build_batch

    rows = [{"id": f"d{i}", "source": "bench", "text": t, "lang": "en"} for i, t in enumerate(texts)]
    batches = [build_batch(rows[i : i + batch_size]) for i in range(0, len(rows), batch_size)]
    stage.process(batches[0])  # warm-up
    started = time.process_time()
    wall = time.perf_counter()
    for batch in batches:
        stage.process(batch)
    cpu = time.process_time() - started
    chars = sum(len(t) for t in texts)
    return {
        "documents": len(texts),
        "mb": round(chars / 1e6, 2),
        "cpu_seconds": round(cpu, 2),
        "wall_seconds": round(time.perf_counter() - wall, 2),
        "docs_per_s_per_core": round(len(texts) / cpu, 1),
        "mb_per_s_per_core": round(chars / 1e6 / cpu, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--order", type=int, default=5)
    parser.add_argument("--vocab-size", type=int, default=8000)
    args = parser.parse_args(argv)

    from stages.perplexity import Perplexity, PerplexityConfig
    from stages.quality_classifier import QualityClassifier, QualityClassifierConfig
    from stages.reference_models import (
        LanguageModel,
        ModelStore,
        QualityClassifierModel,
        train_language_model,
        train_quality_classifier,
    )
    from stages.reference_models.classifier import chunks

    started = time.perf_counter()
    try:
        articles = wiki_articles(args.shared)
        stats: Counter[str] = Counter()
        pages = web_pages(args.shared, stats)
    except DataMissing as missing:
        print(f"SKIP: {missing}")
        return 0
    train = {lang: [t for i, t in enumerate(texts) if i % HOLD_OUT_EVERY] for lang, texts in articles.items()}
    held = {lang: [t for i, t in enumerate(texts) if i % HOLD_OUT_EVERY == 0] for lang, texts in articles.items()}
    read_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="curate-ppl-eval-") as scratch:
        store = ModelStore(scratch)
        lm_meta = {}
        for lang, texts in train.items():
            lm_meta[lang] = train_language_model(
                lang, texts, store, order=args.order, vocab_size=args.vocab_size, memory="1G"
            )
        positives_train = [t for texts in train.values() for t in texts]
        wiki_units = unique([line for text in held["en"] for line in text.split("\n") if long_enough(line)])
        units: dict[str, dict[int, list[str]]] = {name: {} for name in NEGATIVE_SETS}
        for fold in FOLDS:
            fold_pages = [p for p in pages if p["fold"] == fold]
            boiler = [(p["host"], c) for p in fold_pages for c in chunks(p["boilerplate"]) if long_enough(c)]
            main_lines = [(p["host"], x) for p in fold_pages for x in p["main"].split("\n") if long_enough(x)]
            for name, pairs in (("boilerplate", boiler), ("web_main_text", main_lines)):
                kept = english_pairs(unique_pairs(pairs))
                units[name][fold] = [text for _, text in kept]
                units[f"{name}_per_host_cap"][fold] = [text for _, text in per_host_cap(kept, HOST_CAP)]

        # Perplexity: the language models never see web text, so every web unit is a negative.
        model = LanguageModel.from_store(store, "en")
        wiki_ppl = [model.perplexity(u) for u in wiki_units]
        results: dict[str, Any] = {}
        medians = {"wikipedia_heldout": float(np.median(wiki_ppl))}
        for name, by_fold in units.items():
            negatives = unique(by_fold[0] + by_fold[1])
            negative_ppl = [model.perplexity(u) for u in negatives]
            medians[name] = float(np.median(negative_ppl))
            results[name] = {
                "negatives": len(negatives),
                "auc_ppl": round(auc([-p for p in wiki_ppl], [-p for p in negative_ppl]), 4),
            }

        # Classifier: two-fold cross-fitting over hosts; trained on one fold's pages, scored on the other's.
        classifier_meta: dict[str, Any] = {}
        for negatives_from in ("main_text", "full_page"):
            for fold in FOLDS:
                fold_store = ModelStore(Path(scratch) / f"classifier-{negatives_from}-{fold}")
                field = "main" if negatives_from == "main_text" else "full"
                negatives_train = [p[field] for p in pages if p["fold"] != fold and p[field].strip()]
                meta = train_quality_classifier(positives_train, negatives_train, fold_store, seed=1)
                classifier_meta[f"{negatives_from}/fold{fold}"] = {
                    k: meta[k] for k in ("examples", "documents", "train_seconds")
                }
                classifier = QualityClassifierModel.from_store(fold_store)
                wiki_q = classifier.scores(wiki_units)
                for name, by_fold in units.items():
                    fold_auc = auc(wiki_q, classifier.scores(by_fold[fold])) if by_fold[fold] else float("nan")
                    results[name].setdefault(f"auc_quality_score_{negatives_from}_folds", []).append(round(fold_auc, 4))
                    results[name].setdefault("negatives_per_fold", {})[fold] = len(by_fold[fold])
        for result in results.values():
            for negatives_from in ("main_text", "full_page"):
                folds = result[f"auc_quality_score_{negatives_from}_folds"]
                result[f"auc_quality_score_{negatives_from}"] = round(float(np.mean(folds)), 4)
        classifier_stage = QualityClassifier(
            QualityClassifierConfig(model_dir=str(Path(scratch) / "classifier-full_page-0"))
        )
        classifier_stage.setup()
        sizes = {p.name: p.stat().st_size for p in Path(scratch).rglob("*") if p.is_file()}

        per_language = {}
        for lang, texts in held.items():
            lm = LanguageModel.from_store(store, lang)
            values = [lm.perplexity(t) for t in texts]
            per_language[lang] = {"heldout_articles": len(texts), "median_ppl": float(np.median(values))}

        perplexity_stage = Perplexity(PerplexityConfig(model_dir=scratch, languages=["en"]))
        perplexity_stage.setup()
        english_docs = held["en"] + [p["main"] for p in pages if p["main"].strip()]
        speed = {
            "perplexity": throughput(perplexity_stage, english_docs),
            "quality_classifier": throughput(classifier_stage, english_docs),
        }

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpu": cpu_model(), "python": platform.python_version()},
        "versions": package_versions(("kenlm", "sentencepiece", "fasttext-numpy2-wheel", "numpy", "resiliparse")),
        "data": {
            "wikipedia_articles": {lang: len(t) for lang, t in articles.items()},
            "heldout_articles": {lang: len(t) for lang, t in held.items()},
            "heldout_en_paragraphs": len(wiki_units),
            "web_pages": len(pages),
            "web_pages_per_fold": {fold: sum(p["fold"] == fold for p in pages) for fold in FOLDS},
            "warc_counts": dict(sorted(stats.items())),
        },
        "models": {
            "language_models": {
                lang: {k: meta[k] for k in ("order", "vocab_size", "corpus", "train_seconds")}
                for lang, meta in lm_meta.items()
            },
            "classifiers": classifier_meta,
            "file_bytes": sizes,
        },
        "auc_en": results,
        "median_ppl_en": medians,
        "heldout_by_language": per_language,
        "throughput_en": speed,
        "seconds": {"read": round(read_seconds, 1), "total": round(time.perf_counter() - started, 1)},
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    rows = [
        [
            f"wikipedia vs {name}",
            str(r["negatives"]),
            f"{r['auc_ppl']:.3f}",
            f"{r['auc_quality_score_main_text']:.3f}",
            f"{r['auc_quality_score_full_page']:.3f}",
        ]
        for name, r in results.items()
    ]
    print_table(
        f"English: {len(wiki_units)} held-out Wikipedia paragraphs vs web negatives (AUC)",
        ["negatives", "n", "AUC ppl", "AUC quality_score (neg: main text)", "AUC quality_score (neg: full page)"],
        rows,
    )
    print_table(
        "Throughput on English documents (one core)",
        ["stage", "docs", "MB", "docs/s/core", "MB/s/core"],
        [
            [name, str(s["documents"]), str(s["mb"]), str(s["docs_per_s_per_core"]), str(s["mb_per_s_per_core"])]
            for name, s in speed.items()
        ],
    )
    print(f"wrote {RESULTS.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
