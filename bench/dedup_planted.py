"""A planted near-duplicate set built from real documents, for measuring dedup quality.

Base documents (shared/data, PROVENANCE.md): extracted text of the WARC and benchmark pages
(``bench/extract_corpus.py``), Wikipedia articles through the pipeline's wikipedia reader, and
400-word passages of six distinct Project Gutenberg books (one edition each, so the bases are
not near-copies of each other). Each document is cut to its first 1,000 words.

Variants are made with controlled, seeded edits: word substitution, deletion and insertion at
a rate, boilerplate added or removed, truncation, and mixtures of two edits. The true Jaccard
of the word 5-shingle sets of every planted pair is recorded. Nothing is written to the
repository: the set is rebuilt at bench time.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from stages.dedup.text import jaccard, word_shingles  # noqa: E402

BOOKS = (
    "pg11.txt",
    "pg120-a.txt",
    "pg1342-2018.txt",
    "pg22367-de-noheader-gutenbergbooks.txt",
    "pg28885.txt",
    "pg4650-fr-candide.txt",
)
MAX_WORDS = 1000
# Self-written boilerplate of the kinds CCNet's line dedup targets.
BOILERPLATE = [
    "We use cookies to give you the best experience on our website. By continuing you agree to our cookie policy.",
    "Home | News | Sport | Weather | Contact us | Privacy policy | Terms of use | Sitemap",
    "Subscribe to our newsletter and never miss an update. Enter your e-mail address below and click sign up.",
    "Share this article on Facebook, Twitter, LinkedIn or by e-mail. Print this page. Report an error.",
    "All rights reserved. No part of this website may be reproduced without written permission of the publisher.",
    "Related posts: ten things you did not know, the best of the week, our editors recommend, most read today.",
]
EDITS = ("substitute", "delete", "insert", "boilerplate_added", "boilerplate_removed", "truncate", "mixed")


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    edit: str
    strength: float
    jaccard: float


def base_documents(shared: Path) -> list[tuple[str, str, str]]:
    """(id, kind, text) of the real base documents."""
    from bench.extract_corpus import load_or_build
    from stages.base import PartSpec
    from stages.registry import source_class

    docs: list[tuple[str, str, str]] = []
    rows, _ = load_or_build(shared)
    for row in rows:
        docs.append((f"web/{row['id']}", "web", row["text"]))
    reader_class = source_class("wikipedia")
    reader = reader_class("wikipedia", reader_class.config_model())
    for path in sorted((shared / "wikipedia").iterdir()):
        for result in reader.read(PartSpec("wikipedia", path.name, str(path)), 256, None):
            for row, verdict in zip(result.batch.to_pylist(), result.verdicts, strict=True):
                if verdict is None:
                    docs.append((f"wiki/{row['id']}", "wikipedia", row["text"]))
    for name in BOOKS:
        words = (shared / "books" / name).read_text(encoding="utf-8", errors="replace").split()
        words = words[len(words) // 20 :]  # past the licence header
        for start in range(0, min(len(words), 150 * 400), 400):
            docs.append((f"book/{name}/{start}", "books", " ".join(words[start : start + 400])))
    out = []
    for doc_id, kind, text in docs:
        words = text.split()
        if len(words) >= 50:
            out.append((doc_id, kind, " ".join(words[:MAX_WORDS])))
    return out


def _boilerplate(rng: random.Random) -> list[str]:
    return " ".join(rng.sample(BOILERPLATE, rng.randint(1, 4))).split()


def edit(words: list[str], kind: str, rng: random.Random, vocab: list[str]) -> tuple[list[str], list[str], float]:
    """(new base words, variant words, strength) for one edit kind."""
    out = list(words)
    rate = rng.uniform(0.0, 0.08)
    if kind == "substitute":
        for i in rng.sample(range(len(out)), int(len(out) * rate)):
            out[i] = rng.choice(vocab)
        return words, out, rate
    if kind == "delete":
        gone = set(rng.sample(range(len(out)), int(len(out) * rate)))
        return words, [w for i, w in enumerate(out) if i not in gone], rate
    if kind == "insert":
        for _ in range(int(len(out) * rate)):
            out.insert(rng.randrange(len(out) + 1), rng.choice(vocab))
        return words, out, rate
    if kind == "boilerplate_added":
        extra = _boilerplate(rng)
        return words, (extra + out) if rng.random() < 0.5 else (out + extra), len(extra) / len(words)
    if kind == "boilerplate_removed":
        extra = _boilerplate(rng)
        return (extra + words) if rng.random() < 0.5 else (words + extra), out, len(extra) / len(words)
    if kind == "truncate":
        keep = rng.uniform(0.5, 1.0)
        return words, out[: max(5, int(len(out) * keep))], 1 - keep
    first, second = rng.sample(("substitute", "delete", "insert", "boilerplate_added", "truncate"), 2)
    _, variant, s1 = edit(words, first, rng, vocab)
    _, variant, s2 = edit(variant, second, rng, vocab)
    return words, variant, s1 + s2


def planted_set(shared: Path, seed: int = 0, variants_of: float = 0.8) -> tuple[pa.Table, list[Pair]]:
    """The documents (``id``, ``source``, ``text``) and the planted pairs with their true Jaccard."""
    rng = random.Random(seed)
    bases = base_documents(shared)
    vocab = sorted({w for _, _, text in bases[:400] for w in text.split()})
    ids, sources, texts = [], [], []
    planned = []
    for doc_id, kind, text in bases:
        words = text.split()
        if rng.random() < variants_of:
            for n in range(1 if rng.random() < 0.85 else 2):
                kind_of_edit = rng.choice(EDITS)
                base_words, variant, strength = edit(words, kind_of_edit, rng, vocab)
                words = base_words  # a "boilerplate removed" edit changes the base
                planned.append((doc_id, f"{doc_id}#v{n}", variant, kind_of_edit, strength))
        ids.append(doc_id)
        sources.append(kind)
        texts.append(" ".join(words))
    source_of = dict(zip(ids, sources, strict=True))
    for doc_id, variant_id, variant, _, _ in planned:
        ids.append(variant_id)
        sources.append(source_of[doc_id])
        texts.append(" ".join(variant))
    table = pa.table({"id": ids, "source": sources, "text": texts})

    sets = shingle_sets(table)
    pairs = [
        Pair(doc_id, variant_id, kind, strength, jaccard(sets[doc_id], sets[variant_id]))
        for doc_id, variant_id, _, kind, strength in planned
    ]
    return table, pairs


def shingle_sets(table: pa.Table, ngram: int = 5) -> dict[str, np.ndarray]:
    shingles = word_shingles(table.column("text"), ngram)
    return {doc_id: np.unique(shingles.of(i)) for i, doc_id in enumerate(table.column("id").to_pylist())}
