# Copyright 2023 Acme Sample Authors
# SPDX-License-Identifier: MIT

"""Small helpers for counting and normalising words."""

from collections import Counter


def normalise(word: str) -> str:
    """Lower-case a word and strip the punctuation around it."""
    return word.strip(".,;:!?\"'()[]").lower()


def word_counts(text: str) -> Counter[str]:
    """How often each normalised word occurs in a text."""
    return Counter(w for w in (normalise(t) for t in text.split()) if w)


def top_words(text: str, n: int = 10) -> list[tuple[str, int]]:
    return word_counts(text).most_common(n)
