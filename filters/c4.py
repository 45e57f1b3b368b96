"""C4 cleaning (Raffel et al. 2020, section 2.2): line-level cleaning, then document-level drops."""

from __future__ import annotations

import re

from pydantic import Field

from filters.base import KEEP, Decision, FilterConfig, LineCleaner, Scores
from filters.text import is_unspaced, words

# Terminal punctuation in the scripts we see most; C4 used '.', '!', '?' and the closing quote.
TERMINAL_PUNCTUATION = (".", "!", "?", '"', "”", "’", "'", "。", "！", "？", "؟", "।", "॥", "…", "．")
POLICY_PHRASES = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)
_CITATION = re.compile(r"\s*(?:\[\d+\]|\[citation needed\]|\[edit\])", re.IGNORECASE)
# Latin-style enders need a following space or the end; CJK full stops are never followed by a space.
_SENTENCE_END = re.compile(r"[.!?؟।]+(?=\s|$)|[。！？．]+")


class C4Config(FilterConfig):
    remove_citations: bool = True
    require_terminal_punctuation: bool = True
    min_words_per_line: int = Field(default=3, description="C4: keep lines with at least 3 words.")
    max_word_length: int = Field(default=1000, description="Lines with a 'word' over 1000 characters are removed.")
    remove_javascript_lines: bool = True
    remove_policy_lines: bool = True
    drop_lorem_ipsum: bool = True
    drop_curly_braces: bool = True
    min_sentences: int = Field(default=5, description="C4: pages with fewer than 5 sentences are dropped.")


class C4Quality(LineCleaner[C4Config]):
    name = "c4"
    config_model = C4Config

    def clean(self, text: str, lang: str | None) -> tuple[str, Scores]:
        c = self.config
        kept: list[str] = []
        removed = removed_chars = 0
        unspaced = is_unspaced(text)
        for raw_line in text.split("\n"):
            line = raw_line.strip()
            if not line:
                continue
            if c.remove_citations:
                line = _CITATION.sub("", line).strip()
            lower = line.lower()
            tokens = words(line)
            if (
                (c.require_terminal_punctuation and not line.endswith(TERMINAL_PUNCTUATION))
                or (not unspaced and len(tokens) < c.min_words_per_line)
                or any(len(t) > c.max_word_length for t in line.split())
                or (c.remove_javascript_lines and "javascript" in lower)
                or (c.remove_policy_lines and any(p in lower for p in POLICY_PHRASES))
            ):
                removed += 1
                removed_chars += len(raw_line)
                continue
            kept.append(line)
        cleaned = "\n".join(kept)
        return cleaned, {"c4_lines_removed": float(removed), "c4_chars_removed": float(removed_chars)}

    def score(self, text: str, lang: str | None) -> Scores:
        lower = text.lower()
        return {
            "c4_sentences": float(len(_SENTENCE_END.findall(text))),
            "c4_lorem_ipsum": float("lorem ipsum" in lower),
            "c4_curly_braces": float("{" in text or "}" in text),
        }

    def decide(self, scores: Scores, lang: str | None) -> Decision:
        c = self.config
        if c.drop_lorem_ipsum and scores["c4_lorem_ipsum"]:
            return Decision.drop("c4_lorem_ipsum")
        if c.drop_curly_braces and scores["c4_curly_braces"]:
            return Decision.drop("c4_curly_braces")
        if scores["c4_sentences"] < c.min_sentences:
            return Decision.drop("c4_too_few_sentences")
        return KEEP
