"""CCNet's text normalisation, applied before SentencePiece and KenLM (Wenzek et al. 2020).

The same function runs when the reference models are trained and when documents are
scored, so the two always agree: lowercase, accents stripped (NFD, marks removed),
every digit becomes 0, typographic punctuation is mapped to ASCII, and control
characters are removed. This follows ``cc_net/text_normalizer.py`` (``normalize`` with
``accent=True, case=True, numbers=True, punct=1``).
"""

from __future__ import annotations

import re
import unicodedata

# CCNet's replacement table for full-width and typographic punctuation.
UNICODE_PUNCT = {
    "，": ",",
    "。": ".",
    "、": ",",
    "„": '"',
    "”": '"',
    "“": '"',
    "«": '"',
    "»": '"',
    "１": '"',
    "」": '"',
    "「": '"',
    "《": '"',
    "》": '"',
    "´": "'",
    "∶": ":",
    "：": ":",
    "？": "?",
    "！": "!",
    "（": "(",
    "）": ")",
    "；": ";",
    "–": "-",
    "—": " - ",
    "．": ". ",
    "～": "~",
    "’": "'",
    "…": "...",
    "━": "-",
    "〈": "<",
    "〉": ">",
    "【": "[",
    "】": "]",
    "％": "%",
    "►": "-",
}
_PUNCT_TABLE = str.maketrans(UNICODE_PUNCT)
_DIGIT = re.compile(r"\d")
_NON_PRINTING = re.compile("[" + "".join(map(chr, [*range(32), *range(127, 160)])) + "]")


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def ccnet_normalize(line: str) -> str:
    """One line, normalised as CCNet normalises it before tokenisation."""
    line = line.strip()
    if not line:
        return line
    line = strip_accents(line.lower())
    line = _DIGIT.sub("0", line)
    line = line.translate(_PUNCT_TABLE)
    return _NON_PRINTING.sub("", line)


def scoring_lines(text: str) -> list[str]:
    """A document's non-empty normalised lines: the units CCNet scores and then length-weights."""
    lines = (ccnet_normalize(line) for line in text.split("\n"))
    return [line for line in lines if line]
