"""ROOTS per-language filters (Laurençon et al. 2022, "The BigScience ROOTS Corpus", section 3.1.3).

Five document metrics with per-language cut-offs: character repetition, word
repetition, special characters, stop words and flagged words, plus a minimum length.
Cut-offs live in ``filters/data/roots_languages.yaml``; stop words come from the
``stopwordsiso`` package (MIT), flagged words from ``filters/data/flagged_words.yaml``.
"""

from __future__ import annotations

import math
import string
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import Field

from filters.base import KEEP, Decision, Filter, FilterConfig, Scores
from filters.text import UNSPACED_LANGUAGES, is_unspaced, ngrams, normalize_for_matching, words


class RootsLanguageParams(FilterConfig):
    min_words: int | None = None
    char_repetition_n: int = 10
    max_char_repetition: float | None = None
    word_repetition_n: int = 5
    max_word_repetition: float | None = None
    max_special_chars: float | None = None
    min_stop_words: float | None = None
    max_flagged_words: float | None = None


class RootsConfig(FilterConfig):
    params_file: str | None = Field(default=None, description="YAML of per-language cut-offs (default: bundled).")
    overrides: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per-language changes on top of the file, e.g. {en: {min_words: 50}}."
    )
    unknown_language: str = Field(default="defaults", pattern="^(defaults|keep)$")


@lru_cache(maxsize=8)
def _load_params(params_file: str | None) -> dict[str, Any]:
    if params_file is None:
        text = resources.files("filters.data").joinpath("roots_languages.yaml").read_text(encoding="utf-8")
    else:
        with open(params_file, encoding="utf-8") as handle:
            text = handle.read()
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _flagged_words() -> dict[str, frozenset[str]]:
    text = resources.files("filters.data").joinpath("flagged_words.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(text)
    return {lang: frozenset(normalize_for_matching(str(term)) for term in terms) for lang, terms in table.items()}


@lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    """stopwordsiso's list for ``lang``, keeping entries that are one word under ``filters.text.words``."""
    import stopwordsiso

    if not stopwordsiso.has_lang(lang):
        return frozenset()
    return frozenset(normalize_for_matching(w) for w in stopwordsiso.stopwords(lang) if len(words(w)) == 1)


# ROOTS counted as special: ASCII punctuation, digits, whitespace, and other symbols and emoji.
_SPECIAL = frozenset(string.punctuation + string.digits + string.whitespace)


def _is_special(ch: str) -> bool:
    return ch in _SPECIAL or unicodedata.category(ch)[0] in ("P", "S", "Z", "C", "N")


def char_repetition_ratio(text: str, n: int) -> float:
    """Share of the most frequent character n-grams (the top sqrt(#distinct) of them) among all n-grams."""
    grams = Counter(text[i : i + n] for i in range(len(text) - n + 1))
    if not grams:
        return 0.0
    frequencies = sorted(grams.values(), reverse=True)
    top = max(int(math.sqrt(len(frequencies))), 1)
    return sum(frequencies[:top]) / sum(frequencies)


def word_repetition_ratio(tokens: list[str], n: int) -> float:
    """Share of word n-gram occurrences that belong to n-grams seen more than once."""
    grams = Counter(ngrams(tokens, n))
    total = sum(grams.values())
    return sum(f for f in grams.values() if f > 1) / total if total else 0.0


class RootsFilters(Filter[RootsConfig]):
    name = "roots"
    config_model = RootsConfig

    def params(self, lang: str | None) -> RootsLanguageParams | None:
        table = _load_params(self.config.params_file)
        languages = table.get("languages", {})
        if lang not in languages and self.config.unknown_language == "keep":
            return None
        key = lang or ""
        merged = {**table.get("defaults", {}), **languages.get(key, {}), **self.config.overrides.get(key, {})}
        return RootsLanguageParams.model_validate(merged)

    def score(self, text: str, lang: str | None) -> Scores:
        params = self.params(lang) or RootsLanguageParams()
        tokens = [normalize_for_matching(t) for t in words(text)]
        n_words = max(len(tokens), 1)
        stops = stop_words(lang) if lang else frozenset()
        flagged = _flagged_words().get(lang or "", frozenset())
        unspaced = lang in UNSPACED_LANGUAGES if lang else is_unspaced(text)
        if unspaced:  # multi-character terms: count characters inside matches
            lowered = normalize_for_matching(text)
            flagged_count = sum(lowered.count(term) * len(term) for term in flagged)
        else:
            flagged_count = sum(t in flagged for t in tokens)
        return {
            "roots_words": float(len(tokens)),
            "roots_char_repetition": char_repetition_ratio(text, params.char_repetition_n),
            "roots_word_repetition": word_repetition_ratio(tokens, params.word_repetition_n),
            "roots_special_chars": sum(_is_special(ch) for ch in text) / max(len(text), 1),
            "roots_stop_words": sum(t in stops for t in tokens) / n_words,
            "roots_flagged_words": flagged_count / n_words,
        }

    def decide(self, scores: Scores, lang: str | None) -> Decision:
        p = self.params(lang)
        if p is None:
            return KEEP
        if p.min_words is not None and scores["roots_words"] < p.min_words:
            return Decision.drop("roots_too_few_words")
        if p.max_char_repetition is not None and scores["roots_char_repetition"] > p.max_char_repetition:
            return Decision.drop("roots_char_repetition")
        if p.max_word_repetition is not None and scores["roots_word_repetition"] > p.max_word_repetition:
            return Decision.drop("roots_word_repetition")
        if p.max_special_chars is not None and scores["roots_special_chars"] > p.max_special_chars:
            return Decision.drop("roots_special_chars")
        if p.min_stop_words is not None and scores["roots_stop_words"] < p.min_stop_words:
            return Decision.drop("roots_few_stop_words")
        if p.max_flagged_words is not None and scores["roots_flagged_words"] > p.max_flagged_words:
            return Decision.drop("roots_flagged_words")
        return KEEP
