"""Text utilities shared by the filters: words for every script, lines, paragraphs, n-grams.

Word splitting: runs of letters, digits and marks form words in space-delimited
scripts. Han, kana, Thai, Lao, Khmer, Myanmar and Tibetan are written without spaces
between words, so each of their characters counts as one word. That keeps a Chinese
document from being one giant "word" without shipping a dictionary segmenter per
language, and it is what per-language thresholds (filters/data/roots_languages.yaml)
are calibrated against.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import regex

# Scripts written without spaces between words: one character = one word.
UNSPACED_SCRIPTS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}"
# Letters, marks (Devanagari and Bengali vowel signs are marks) and digits, minus the unspaced scripts.
_WORD_CHAR = rf"[[\p{{L}}\p{{M}}\p{{N}}_]--[{UNSPACED_SCRIPTS}]]"
# Apostrophes and hyphens join word parts; '.', ',' and ':' join digits ("14.372,4", "12:30") so that
# numbers stay one non-alphabetic word instead of several.
_JOINER = r"(?:['’\-]|(?<=\d)[.,:](?=\d))"
_WORD = regex.compile(rf"[{UNSPACED_SCRIPTS}]|{_WORD_CHAR}+(?:{_JOINER}{_WORD_CHAR}+)*", regex.V1)
_UNSPACED_CHAR = regex.compile(rf"[{UNSPACED_SCRIPTS}]", regex.V1)
UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo", "wuu", "yue"})


def words(text: str) -> list[str]:
    """Words in any script (see the module docstring)."""
    return _WORD.findall(text)


def is_unspaced(text: str) -> bool:
    """Whether most letters of ``text`` belong to scripts written without spaces."""
    sample = text[:2000]
    letters = sum(ch.isalpha() for ch in sample)
    return letters > 0 and len(_UNSPACED_CHAR.findall(sample)) > letters / 2


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def normalize_for_matching(text: str) -> str:
    """Lowercase, NFKC, no accents: for stop-word and flagged-word lookups."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def duplicate_fraction(items: Sequence[str]) -> tuple[float, float]:
    """Fraction of items that repeat an earlier one, by count and by characters (Gopher)."""
    if not items:
        return 0.0, 0.0
    seen: set[str] = set()
    duplicate_count = duplicate_chars = 0
    for item in items:
        if item in seen:
            duplicate_count += 1
            duplicate_chars += len(item)
        else:
            seen.add(item)
    total_chars = sum(len(item) for item in items)
    return duplicate_count / len(items), duplicate_chars / max(total_chars, 1)


def top_ngram_char_fraction(tokens: Sequence[str], n: int) -> float:
    """Characters covered by the most frequent word n-gram, over all word characters (Gopher)."""
    grams = ngrams(tokens, n)
    if not grams:
        return 0.0
    gram, count = Counter(grams).most_common(1)[0]
    if count < 2:
        return 0.0
    total = sum(len(t) for t in tokens)
    return count * sum(len(t) for t in gram) / max(total, 1)


def duplicate_ngram_char_fraction(tokens: Sequence[str], n: int) -> float:
    """Characters of words inside n-grams that occur more than once, over all word characters.

    Gopher: "the fraction of characters contained within all duplicate n-grams". Every
    occurrence counts, the first included (as RedPajama-v2 computes it; datatrove counts
    only the repeats, which is about half as strict). Each word is counted once even when
    several duplicated n-grams overlap it.
    """
    return duplicate_ngram_char_fractions(tokens, (n,))[n]


def duplicate_ngram_char_fractions(tokens: Sequence[str], sizes: Sequence[int]) -> dict[int, float]:
    """``duplicate_ngram_char_fraction`` for several n at once, sharing the work.

    n-grams are keyed by hashes of their word tuples; once no n-gram of some size
    repeats, no longer one can, so larger sizes are 0 without counting.
    """
    lengths = [len(t) for t in tokens]
    total = max(sum(lengths), 1)
    token_ids = [hash(t) for t in tokens]
    results: dict[int, float] = {}
    nothing_repeats = False
    for n in sorted(sizes):
        if nothing_repeats or len(tokens) < n:
            results[n] = 0.0
            continue
        keys = [hash(tuple(token_ids[i : i + n])) for i in range(len(tokens) - n + 1)]
        counts = Counter(keys)
        if len(counts) == len(keys):
            nothing_repeats = True
            results[n] = 0.0
            continue
        covered = bytearray(len(tokens))
        for start, key in enumerate(keys):
            if counts[key] > 1:
                covered[start : start + n] = b"\x01" * n
        results[n] = sum(length for length, flag in zip(lengths, covered, strict=True) if flag) / total
    return results
