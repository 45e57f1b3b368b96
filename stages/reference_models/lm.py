"""Per-language SentencePiece + KenLM models, trained with ``lmplz`` and scored as CCNet scores them.

Training: CCNet-normalised lines of the reference corpus → a SentencePiece unigram model → the
corpus tokenised into pieces → ``lmplz`` (modified Kneser-Ney, order 5 by default) → ARPA →
``build_binary``. Scoring: each normalised line is tokenised the same way and scored by KenLM
with sentence boundaries; a document's perplexity is ``10 ** (-Σ log10 p / Σ (pieces + 1))``,
so long lines weigh more than short ones (CCNet ``perplexity.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from filters.ccnet_normalize import scoring_lines
from stages.reference_models.store import ModelDirError, ModelStore, sha256_file, write_json

BUCKETS = ("head", "middle", "tail")
CCNET_PERCENTILES = (30, 60)  # CCNet's cutoff.csv: head below p30, tail from p60
KENLM_BIN_ENV = "CURATE_KENLM_BIN"


class KenLMToolMissing(Exception):
    """``lmplz`` or ``build_binary`` is not installed."""


def find_tool(name: str) -> str:
    """A KenLM command-line tool: $CURATE_KENLM_BIN, next to this Python (the venv's bin), or on PATH."""
    candidates = []
    if os.environ.get(KENLM_BIN_ENV):
        candidates.append(Path(os.environ[KENLM_BIN_ENV]) / name)
    candidates.append(Path(sys.executable).parent / name)
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise KenLMToolMissing(
        f"KenLM's `{name}` was not found (looked in ${KENLM_BIN_ENV}, {Path(sys.executable).parent} and PATH). "
        "Build it with `make install` or `.ci/build_kenlm.sh .venv/bin` (it compiles the PyPI kenlm 0.3.0 source), "
        "or give the perplexity stage a model_dir with existing {lang}.arpa.bin and {lang}.sp.model files."
    )


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _run_tool(args: list[str], what: str) -> None:
    completed = subprocess.run(args, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = "\n".join(completed.stderr.strip().splitlines()[-8:])
        raise RuntimeError(f"{what} failed (exit {completed.returncode}): {' '.join(args)}\n{tail}")


def train_language_model(
    lang: str,
    texts: Sequence[str],
    store: ModelStore,
    *,
    order: int = 5,
    prune: Sequence[int] = (),
    vocab_size: int = 8000,
    memory: str = "512M",
    inputs_digest: str | None = None,
) -> dict[str, Any]:
    """Train ``{lang}.sp.model`` and ``{lang}.arpa.bin`` from ``texts``; returns the metadata it writes."""
    import sentencepiece as spm

    lmplz, build_binary = find_tool("lmplz"), find_tool("build_binary")
    started = time.perf_counter()
    lines = [line for text in texts for line in scoring_lines(text)]
    if not lines:
        raise ValueError(f"no reference text for language {lang!r}")
    store.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"curate-lm-{lang}-") as scratch:
        work = Path(scratch)
        spm.set_random_generator_seed(1)
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines),
            model_prefix=str(work / f"{lang}.sp"),
            vocab_size=vocab_size,
            model_type="unigram",
            character_coverage=0.9999,
            hard_vocab_limit=False,  # a small corpus gets a smaller vocabulary instead of an error
            num_threads=1,
            minloglevel=2,
        )
        sp = spm.SentencePieceProcessor(model_file=str(work / f"{lang}.sp.model"))
        tokens = 0
        corpus = work / "corpus.txt"
        with corpus.open("w", encoding="utf-8") as out:
            for pieces in sp.encode(lines, out_type=str):
                tokens += len(pieces)
                out.write(" ".join(pieces) + "\n")
        arpa = work / f"{lang}.arpa"
        args = [lmplz, "-o", str(order), "-S", memory, "-T", str(work), "--text", str(corpus), "--arpa", str(arpa)]
        # Small corpora have too few singletons for Kneser-Ney's discount estimates; lmplz then falls back
        # to fixed discounts instead of aborting (STACK.md).
        args.append("--discount_fallback")
        if any(prune):
            args += ["--prune", *map(str, prune)]
        _run_tool(args, f"lmplz ({lang})")
        _run_tool([build_binary, str(arpa), str(work / f"{lang}.arpa.bin")], f"build_binary ({lang})")
        shutil.move(work / f"{lang}.sp.model", store.sp_model(lang))
        shutil.move(work / f"{lang}.arpa.bin", store.lm_binary(lang))
    meta = {
        "lang": lang,
        "kind": "ccnet_kenlm",
        "order": order,
        "prune": list(prune),
        "vocab_size_requested": vocab_size,
        "vocab_size": sp.get_piece_size(),
        "corpus": {"documents": len(texts), "lines": len(lines), "chars": sum(map(len, lines)), "pieces": tokens},
        "inputs_digest": inputs_digest,
        "files": {p.name: sha256_file(p) for p in (store.sp_model(lang), store.lm_binary(lang))},
        "tools": {"kenlm": "0.3.0 (lmplz, build_binary)", "sentencepiece": _version("sentencepiece")},
        "train_seconds": round(time.perf_counter() - started, 2),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_json(store.lm_meta(lang), meta)
    return meta


class LanguageModel:
    """One language's SentencePiece + KenLM pair, loaded once per worker."""

    def __init__(self, sp_model: Path, lm_binary: Path) -> None:
        import kenlm
        import sentencepiece as spm

        for path in (sp_model, lm_binary):
            if not path.is_file():
                raise ModelDirError(f"{path}: missing")
        self.sp = spm.SentencePieceProcessor(model_file=str(sp_model))
        self.lm = kenlm.Model(str(lm_binary))

    @classmethod
    def from_store(cls, store: ModelStore, lang: str, verify: bool = True) -> LanguageModel:
        meta = store.read_json(store.lm_meta(lang))
        if verify and meta and "files" in meta:
            store.verify(meta["files"])
        return cls(store.sp_model(lang), store.lm_binary(lang))

    def score_lines(self, lines: Sequence[str]) -> tuple[float, int]:
        """Σ log10 probability and Σ (pieces + 1) over already normalised lines."""
        log10, length = 0.0, 0
        if not lines:
            return log10, length
        for pieces in self.sp.encode(list(lines), out_type=str):
            sentence = " ".join(pieces)
            log10 += self.lm.score(sentence, bos=True, eos=True)
            length += len(pieces) + 1
        return log10, length

    def perplexity(self, text: str) -> float | None:
        """The document's length-weighted perplexity (CCNet, rounded to 0.1); None when nothing is left to score."""
        log10, length = self.score_lines(scoring_lines(text))
        if length == 0:
            return None
        return round(10.0 ** (-log10 / length), 1)


def compute_cutoffs(
    perplexities: Iterable[float], percentiles: Sequence[int] = CCNET_PERCENTILES
) -> dict[str, float] | None:
    values = np.asarray([p for p in perplexities if p is not None], dtype=float)
    if values.size == 0:
        return None
    low, high = np.percentile(values, list(percentiles))
    return {"head_below": float(low), "tail_from": float(high)}


def bucket_of(ppl: float, cutoffs: dict[str, float]) -> str:
    """CCNet: head below the lower percentile, middle below the upper one, tail from there."""
    if ppl < cutoffs["head_below"]:
        return "head"
    if ppl < cutoffs["tail_from"]:
        return "middle"
    return "tail"
