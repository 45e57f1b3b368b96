"""The export tokenizer: a local HF ``tokenizers`` file, a GPT-2 vocab/merges pair or a SentencePiece model,
or a byte-level BPE trained on the curated output (BLOOM's recipe for ROOTS).

Nothing is downloaded: every tokenizer comes from a path.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Tried in order when the manifest names no end-of-document token.
EOD_CANDIDATES = ("<|endoftext|>", "</s>", "<eos>", "<|end_of_text|>", "<|eot_id|>")
# The PII stage's placeholders (filters/pii.py ENTITIES with the default "|||{TYPE}|||" pattern),
# kept whole as special tokens in a trained tokenizer, as OLMo's tokenizer does.
PII_PLACEHOLDERS = tuple(
    f"|||{entity}|||"
    for entity in (
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "IP_ADDRESS",
        "CREDIT_CARD",
        "IBAN",
        "US_SSN",
        "SECRET",
        "USER_HANDLE",
    )
)
DEFAULT_EOD = "<|endoftext|>"
# Megatron pads the embedding to a multiple of 128 for tensor-core-friendly shapes; BLOOM did the same.
VOCAB_MULTIPLE = 128


class TokenizerError(Exception):
    """A tokenizer that cannot be loaded or lacks what the export needs (e.g. an end-of-document token)."""


def file_sha256(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


@dataclass
class ExportTokenizer:
    """One interface over HF tokenizers and SentencePiece: batch encoding to token ids, decoding, the EOD id."""

    name: str
    path: Path
    kind: str  # "hf" or "sentencepiece"
    eod_token: str
    eod_id: int
    vocab_size: int
    sha256: str
    _model: Any

    @classmethod
    def load(cls, path: str | Path, eod_token: str | None = None, name: str | None = None) -> ExportTokenizer:
        path = Path(path)
        if not path.exists():
            raise TokenizerError(f"{path}: tokenizer not found (export.tokenizer.path)")
        if path.suffix == ".model":
            return cls._sentencepiece(path, eod_token, name)
        files = [path]
        if path.is_dir():
            if (path / "tokenizer.json").exists():
                files = [path / "tokenizer.json"]
            elif (path / "vocab.json").exists() and (path / "merges.txt").exists():
                files = [path / "vocab.json", path / "merges.txt"]
            else:
                raise TokenizerError(f"{path}: a tokenizer folder needs tokenizer.json or vocab.json + merges.txt")
        model = _hf_tokenizer(files)
        vocab = model.get_vocab(with_added_tokens=True)
        eod = _pick_eod(eod_token, vocab.__contains__, path)
        return cls(
            name=name or _default_name(path),
            path=path,
            kind="hf",
            eod_token=eod,
            eod_id=vocab[eod],
            vocab_size=max(model.get_vocab_size(with_added_tokens=True), max(vocab.values()) + 1),
            sha256=file_sha256(files),
            _model=model,
        )

    @classmethod
    def _sentencepiece(cls, path: Path, eod_token: str | None, name: str | None) -> ExportTokenizer:
        try:
            import sentencepiece
        except ImportError as exc:  # pragma: no cover - sentencepiece is a dependency
            raise TokenizerError(f"{path}: SentencePiece models need the sentencepiece package") from exc
        model = sentencepiece.SentencePieceProcessor(model_file=str(path))
        if eod_token is None:
            if model.eos_id() < 0:
                raise TokenizerError(f"{path}: the model has no </s>; set export.tokenizer.eod_token")
            eod_id = model.eos_id()
            eod_token = model.id_to_piece(eod_id)
        else:
            eod_id = model.piece_to_id(eod_token)
            if eod_id == model.unk_id() and eod_token != model.id_to_piece(model.unk_id()):
                raise TokenizerError(f"{path}: no piece {eod_token!r} (export.tokenizer.eod_token)")
        return cls(
            name=name or _default_name(path),
            path=path,
            kind="sentencepiece",
            eod_token=eod_token,
            eod_id=eod_id,
            vocab_size=model.get_piece_size(),
            sha256=file_sha256([path]),
            _model=model,
        )

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        """Token ids per text, without special tokens (the EOD is the export's to add)."""
        if self.kind == "sentencepiece":
            return self._model.encode(texts, out_type=int)
        return [encoding.ids for encoding in self._model.encode_batch_fast(texts, add_special_tokens=False)]

    def encode_documents(self, texts: list[str], dtype: type[np.integer]) -> tuple[np.ndarray, np.ndarray]:
        """All texts as one flat array, each followed by the EOD token, and the length of each (with its EOD)."""
        ids = self.encode_batch(texts)
        for row in ids:
            row.append(self.eod_id)
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=dtype, count=int(lengths.sum()))
        return flat, lengths

    def decode(self, ids: Iterable[int]) -> str:
        ids = [int(i) for i in ids]
        if self.kind == "sentencepiece":
            return self._model.decode(ids)
        return self._model.decode(ids, skip_special_tokens=False)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path.resolve()),
            "sha256": self.sha256,
            "vocab_size": self.vocab_size,
            "kind": self.kind,
            "eod_token": self.eod_token,
            "eod_id": self.eod_id,
        }


def _default_name(path: Path) -> str:
    return path.name if path.is_dir() else (path.parent.name if path.name == "tokenizer.json" else path.stem)


def _pick_eod(eod_token: str | None, known: Any, path: Path) -> str:
    if eod_token is not None:
        if not known(eod_token):
            raise TokenizerError(f"{path}: no token {eod_token!r} in the vocabulary (export.tokenizer.eod_token)")
        return eod_token
    for candidate in EOD_CANDIDATES:
        if known(candidate):
            return candidate
    raise TokenizerError(
        f"{path}: none of {', '.join(EOD_CANDIDATES)} is in the vocabulary; set export.tokenizer.eod_token"
    )


def _hf_tokenizer(files: list[Path]) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    try:
        if len(files) == 1:
            return Tokenizer.from_file(str(files[0]))
        # A GPT-2 style vocab.json + merges.txt pair: byte-level BPE.
        model = Tokenizer(models.BPE.from_file(str(files[0]), str(files[1])))
        model.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        model.decoder = decoders.ByteLevel()
        vocab = json.loads(files[0].read_text(encoding="utf-8"))
        specials = [t for t in EOD_CANDIDATES if t in vocab]
        if specials:
            model.add_special_tokens(specials)
        return model
    except Exception as exc:
        raise TokenizerError(f"{files[0]}: not a tokenizers file ({type(exc).__name__}: {exc})") from exc


def round_vocab(vocab_size: int, multiple: int = VOCAB_MULTIPLE) -> int:
    return -(-vocab_size // multiple) * multiple


def train_byte_level_bpe(
    texts: Iterable[str],
    vocab_size: int,
    special_tokens: Sequence[str] = (DEFAULT_EOD, *PII_PLACEHOLDERS),
    min_frequency: int = 2,
) -> Any:
    """A byte-level BPE (GPT-2/BLOOM style) whose final vocabulary is a multiple of 128.

    The special tokens take the first ids. When the sample is too small to learn the
    requested number of merges, reserved tokens pad the vocabulary up to the multiple.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    target = round_vocab(vocab_size)
    model = Tokenizer(models.BPE())
    model.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    model.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=target,
        min_frequency=min_frequency,
        special_tokens=list(special_tokens),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    model.train_from_iterator(texts, trainer)
    size = model.get_vocab_size(with_added_tokens=True)
    padded = round_vocab(size)
    if padded > size:
        model.add_special_tokens([f"<|reserved_{i}|>" for i in range(padded - size)])
    return model
