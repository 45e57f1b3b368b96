"""The Wikipedia-reference quality classifier (GPT-3 appendix A, LLaMA section 2, RedPajama-v1).

A fastText linear classifier separates reference text (Wikipedia paragraphs) from random
Common Crawl extractions; ``quality_score`` is its probability of the reference label.
Training runs in a child process (see ``_train_fasttext.py``).
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from filters.ccnet_normalize import ccnet_normalize
from stages.reference_models.store import ModelDirError, ModelStore, sha256_file, write_json

POSITIVE, NEGATIVE = "__label__reference", "__label__random"
TRAINER = Path(__file__).with_name("_train_fasttext.py")
# fastText's default 2M hash buckets make a 500 MB model at dim 64; 200k buckets x 32 dims is 26 MB.
DEFAULT_FASTTEXT = {
    "epoch": 20,
    "lr": 0.2,
    "wordNgrams": 2,
    "dim": 32,
    "bucket": 200_000,
    "minCount": 1,
    "thread": 1,
    "seed": 1,
}


def classifier_line(text: str, max_chars: int = 5000) -> str:
    """One line of normalised words: what the classifier is trained on and predicts from."""
    return " ".join(ccnet_normalize(line) for line in text[:max_chars].split("\n") if line.strip())


def chunks(text: str, min_words: int = 20) -> list[str]:
    """A document as paragraph-sized pieces: consecutive lines joined until they hold ``min_words`` words.

    Web boilerplate comes as many short lines; joining them gives the classifier examples the size
    of a Wikipedia paragraph instead of three-word menu items.
    """
    pieces, current, words = [], [], 0
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        current.append(line)
        words += len(line.split())
        if words >= min_words:
            pieces.append("\n".join(current))
            current, words = [], 0
    if current:
        pieces.append("\n".join(current))
    return pieces


def train_quality_classifier(
    positives: Sequence[str],
    negatives: Sequence[str],
    store: ModelStore,
    *,
    max_examples: int = 20000,
    seed: int = 0,
    fasttext_params: dict[str, Any] | None = None,
    inputs_digest: str | None = None,
) -> dict[str, Any]:
    """Train ``quality_classifier.bin`` on paragraph chunks of both document sets; returns its metadata."""
    started = time.perf_counter()
    rng = random.Random(seed)
    examples: dict[str, list[str]] = {}
    for label, documents in ((POSITIVE, positives), (NEGATIVE, negatives)):
        lines = [classifier_line(piece) for doc in documents for piece in chunks(doc)]
        lines = [line for line in lines if line]
        rng.shuffle(lines)
        examples[label] = lines[:max_examples]
        if not examples[label]:
            raise ValueError(f"no training text for {label.removeprefix('__label__')} examples")
    rows = [f"{label} {line}" for label, lines in examples.items() for line in lines]
    rng.shuffle(rows)
    params = {**DEFAULT_FASTTEXT, "seed": seed or 1, **(fasttext_params or {})}
    store.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="curate-quality-") as scratch:
        train_file = Path(scratch) / "train.txt"
        train_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
        output = Path(scratch) / "model.bin"
        completed = subprocess.run(
            [sys.executable, str(TRAINER), str(train_file), str(output), _json(params)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"fastText training failed (exit {completed.returncode}):\n{completed.stderr[-2000:]}")
        output.replace(store.classifier)
    meta = {
        "kind": "fasttext_quality_classifier",
        "labels": {"positive": POSITIVE, "negative": NEGATIVE},
        "examples": {label.removeprefix("__label__"): len(lines) for label, lines in examples.items()},
        "documents": {"positive": len(positives), "negative": len(negatives)},
        "fasttext": params,
        "inputs_digest": inputs_digest,
        "files": {store.classifier.name: sha256_file(store.classifier)},
        "train_seconds": round(time.perf_counter() - started, 2),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_json(store.classifier_meta, meta)
    return meta


def _json(data: Any) -> str:
    import json

    return json.dumps(data, sort_keys=True)


class QualityClassifierModel:
    """A loaded classifier: ``scores(texts)`` gives P(reference) per text."""

    def __init__(self, path: Path) -> None:
        import fasttext

        if not path.is_file():
            raise ModelDirError(
                f"{path}: no quality classifier here; train one with `curate train-lm MANIFEST` "
                "or give the stage a model_dir that holds quality_classifier.bin"
            )
        self.model = fasttext.load_model(str(path))
        self.path = path

    @classmethod
    def from_store(cls, store: ModelStore, verify: bool = True) -> QualityClassifierModel:
        meta = store.read_json(store.classifier_meta)
        if verify and meta and "files" in meta:
            store.verify(meta["files"])
        return cls(store.classifier)

    def scores(self, texts: Iterable[str]) -> list[float]:
        lines = [classifier_line(text or "") for text in texts]
        if not lines:
            return []
        labels, probabilities = self.model.predict(lines, k=2)
        result = []
        for row_labels, row_probs in zip(labels, probabilities, strict=True):
            by_label = dict(zip(row_labels, row_probs, strict=True))
            result.append(min(1.0, max(0.0, float(by_label.get(POSITIVE, 0.0)))))
        return result
