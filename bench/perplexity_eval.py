#!/usr/bin/env python
"""How well CCNet perplexity and the Wikipedia-reference classifier separate Wikipedia from web boilerplate.

Data (shared/data, PROVENANCE.md sections 1 and 3):

* **Wikipedia**: the en, ja, uk and vi dumps in ``data/wikipedia/``, cleaned by the pipeline's wikipedia source.
  Every fifth article (by position in the dump) is **held out**; the models never see it.
* **Web**: every HTML page of ``data/warc/*.warc.gz`` (``bench/extract_corpus.iter_pages``), payloads deduplicated.
  Pages are split in two halves by the sha1 of their URL. The training half gives the classifier's negatives as
  the pipeline does: the main text that the ``extract`` stage keeps (``trafilatura_precision_rescue``). The test
  half gives the negatives scored here:

  - **boilerplate**: the page's lines that the main-content extractor removes (resiliparse's full-page text minus
    the lines of the main text: menus, footers, link lists, cookie and legal notices), with consecutive lines
    joined into paragraph-sized chunks (``classifier.chunks``, 20 words);
  - **web main text** (a harder, informational set): the paragraphs of the extracted main text.

  The samples hold no real spam pages, so "spam-like" is not measured separately.

Test units are paragraphs (a line of the cleaned article, or a chunk) of at least 10 words, in English (lid.176 on
the unit for the web sets), each distinct text counted once. Models: SentencePiece + ``lmplz`` 5-gram per language
on the training articles; the fastText classifier on training articles (all four languages) against the training
half's main texts.

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
        key = page.url or page.id
        pages.append(
            {
                "id": page.id,
                "url": page.url,
                "main": main,
                "boilerplate": "\n".join(boiler),
                "test": int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0,
            }
        )
    return pages


def long_enough(text: str) -> bool:
    from filters.text import words

    return len(words(text)) >= MIN_WORDS


def unique(units: list[str]) -> list[str]:
    """Each distinct unit once: a site's menu repeated on every page would otherwise dominate the negatives."""
    return list(dict.fromkeys(units))


def english(units: list[str]) -> list[str]:
    from langid_models import load_model
    from stages.langid import prediction_text

    if not units:
        return []
    predictions = load_model().predict([prediction_text(u, None) for u in units], k=1)
    return [u for u, top in zip(units, predictions, strict=True) if top[0][0] == "en"]


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
    from stages.reference_models import LanguageModel, ModelStore, train_language_model, train_quality_classifier
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
        negatives_train = [p["main"] for p in pages if not p["test"] and p["main"].strip()]
        positives_train = [t for texts in train.values() for t in texts]
        classifier_meta = train_quality_classifier(positives_train, negatives_train, store, seed=1)
        sizes = {p.name: p.stat().st_size for p in Path(scratch).iterdir()}

        wiki_units = unique([line for text in held["en"] for line in text.split("\n") if long_enough(line)])
        test_pages = [p for p in pages if p["test"]]
        boiler_units = english(unique([c for p in test_pages for c in chunks(p["boilerplate"]) if long_enough(c)]))
        main_units = english(unique([line for p in test_pages for line in p["main"].split("\n") if long_enough(line)]))

        model = LanguageModel.from_store(store, "en")
        classifier_stage = QualityClassifier(QualityClassifierConfig(model_dir=scratch))
        classifier_stage.setup()

        def ppl(units: list[str]) -> list[float]:
            return [model.perplexity(u) for u in units]

        wiki_ppl, boiler_ppl, main_ppl = ppl(wiki_units), ppl(boiler_units), ppl(main_units)
        score = classifier_stage.model.scores
        wiki_q, boiler_q, main_q = score(wiki_units), score(boiler_units), score(main_units)
        results = {
            "boilerplate": {
                "negatives": len(boiler_units),
                "auc_ppl": round(auc([-p for p in wiki_ppl], [-p for p in boiler_ppl]), 4),
                "auc_quality_score": round(auc(wiki_q, boiler_q), 4),
            },
            "web_main_text": {
                "negatives": len(main_units),
                "auc_ppl": round(auc([-p for p in wiki_ppl], [-p for p in main_ppl]), 4),
                "auc_quality_score": round(auc(wiki_q, main_q), 4),
            },
        }
        medians = {
            "wikipedia_heldout": float(np.median(wiki_ppl)),
            "boilerplate": float(np.median(boiler_ppl)),
            "web_main_text": float(np.median(main_ppl)),
        }
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
            "web_pages_test_half": len(test_pages),
            "warc_counts": dict(sorted(stats.items())),
        },
        "models": {
            "language_models": {
                lang: {k: meta[k] for k in ("order", "vocab_size", "corpus", "train_seconds")}
                for lang, meta in lm_meta.items()
            },
            "classifier": {k: classifier_meta[k] for k in ("examples", "documents", "fasttext", "train_seconds")},
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
        [f"wikipedia vs {name}", str(r["negatives"]), f"{r['auc_ppl']:.3f}", f"{r['auc_quality_score']:.3f}"]
        for name, r in results.items()
    ]
    print_table(
        f"English: {len(wiki_units)} held-out Wikipedia paragraphs vs web negatives (AUC)",
        ["negatives", "n", "AUC ppl", "AUC quality_score"],
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
