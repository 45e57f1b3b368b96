"""The manifest's ``export:`` section, validated with YAML paths like the rest of the manifest."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenizerTraining(_Strict):
    """BLOOM-style byte-level BPE trained on a sample of the curated output."""

    vocab_size: int = Field(default=32768, ge=384, description="Rounded up to a multiple of 128.")
    sample_chars: int = Field(
        default=50_000_000, gt=0, description="Characters of text drawn, per language in the mixture's proportions."
    )
    min_frequency: int = Field(default=2, ge=1)
    special_tokens: list[str] = Field(default_factory=list, description="Added after EOD and the PII placeholders.")


class TokenizerSection(_Strict):
    path: str | None = Field(default=None, description="tokenizer.json, a vocab.json+merges.txt folder or a .model")
    train: TokenizerTraining | None = None
    eod_token: str | None = Field(default=None, description="Default: <|endoftext|>, </s>, ... whichever exists.")
    name: str | None = None

    @model_validator(mode="after")
    def _one_origin(self) -> TokenizerSection:
        if (self.path is None) == (self.train is None):
            raise ValueError("give exactly one of path (a local tokenizer) or train ({vocab_size: ...})")
        return self


class MixtureEntry(_Strict):
    weight: float | None = Field(default=None, ge=0, description="Relative share of the weighted token budget.")
    epochs: float | None = Field(default=None, ge=0, description="Passes over the source (LLaMA table 1).")

    @model_validator(mode="after")
    def _one_rule(self) -> MixtureEntry:
        if (self.weight is None) == (self.epochs is None):
            raise ValueError("give exactly one of weight or epochs")
        return self


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?i?B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_UNITS |= {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


def parse_size(value: int | str) -> int:
    if isinstance(value, int):
        return value
    match = _SIZE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a size such as 1GB, 256MiB or 1000000")
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "").upper()])


class ExportSection(_Strict):
    tokenizer: TokenizerSection
    # Keys: a source name, or "source/lang" for one language of a source. Empty: every document once.
    mixture: dict[str, MixtureEntry] = Field(default_factory=dict)
    target_tokens: int | None = Field(default=None, gt=0, description="Total tokens to write (EOD included).")
    shard_size: int = Field(default=10**9, description="Bytes of tokens per .bin shard (1GB, 256MiB, ...).")
    seq_len: int = Field(default=2048, gt=0, description="Window length the PyTorch Dataset serves (+1 token).")
    seed: int | None = Field(default=None, description="Default: run.seed.")
    fertility_docs: int = Field(default=100, gt=0, description="Documents per language to measure fertility on.")
    tokenize_batch_docs: int = Field(default=512, gt=0)

    @field_validator("shard_size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> int:
        size = parse_size(value)
        if size < 1024:
            raise ValueError("a shard must hold at least 1KB")
        return size


def mixture_key_parts(key: str) -> tuple[str, str | None]:
    source, _, lang = key.partition("/")
    return source, lang or None


def validate_export(
    raw: Any, source_names: list[str]
) -> tuple[ExportSection | None, list[tuple[tuple[Any, ...], str]]]:
    """The section and its problems as (location inside ``export``, message)."""
    try:
        section = ExportSection.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for item in exc.errors():
            message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
            problems.append((tuple(item["loc"]), message))
        return None, problems
    problems = []
    for key in section.mixture:
        source, _ = mixture_key_parts(key)
        if source not in source_names:
            problems.append((("mixture", key), f"no source named {source!r}; sources: {', '.join(source_names)}"))
    if section.mixture:
        covered = {mixture_key_parts(k)[0] for k in section.mixture}
        for name in source_names:
            if name not in covered:
                problems.append((("mixture",), f"source {name!r} has no weight or epochs (epochs: 0 leaves it out)"))
    return section, problems
