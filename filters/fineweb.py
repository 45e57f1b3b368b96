"""FineWeb's own quality rules (Penedo et al. 2024, section 3.3 "Additional C4-style filters")."""

from __future__ import annotations

from pydantic import Field

from filters.base import KEEP, Decision, Filter, FilterConfig, Scores
from filters.c4 import TERMINAL_PUNCTUATION
from filters.text import duplicate_fraction, lines, words


class FineWebConfig(FilterConfig):
    min_line_punct_ratio: float | None = Field(default=0.12, description="FineWeb: <= 12% of lines end in punct.")
    max_short_line_ratio: float | None = Field(default=0.67, description="FineWeb: >= 67% of lines are short.")
    short_line_chars: int = Field(default=30, description="FineWeb: a short line has at most 30 characters.")
    max_dup_line_char_ratio: float | None = Field(default=0.1, description="FineWeb: duplicated-line chars >= 10%.")
    max_newline_word_ratio: float | None = Field(default=0.3, description="FineWeb: newlines per word > 0.3.")


class FineWebQuality(Filter[FineWebConfig]):
    name = "fineweb"
    config_model = FineWebConfig

    def score(self, text: str, lang: str | None) -> Scores:
        text_lines = lines(text)
        n_lines = max(len(text_lines), 1)
        n_words = max(len(words(text)), 1)
        _, dup_chars = duplicate_fraction(text_lines)
        return {
            "fineweb_line_punct_ratio": sum(line.endswith(TERMINAL_PUNCTUATION) for line in text_lines) / n_lines,
            "fineweb_short_line_ratio": sum(len(line) <= self.config.short_line_chars for line in text_lines) / n_lines,
            "fineweb_dup_line_char_ratio": dup_chars,
            "fineweb_newline_word_ratio": text.count("\n") / n_words,
        }

    def decide(self, scores: Scores, lang: str | None) -> Decision:
        c = self.config
        if c.min_line_punct_ratio is not None and scores["fineweb_line_punct_ratio"] <= c.min_line_punct_ratio:
            return Decision.drop("fineweb_line_punctuation")
        if c.max_short_line_ratio is not None and scores["fineweb_short_line_ratio"] >= c.max_short_line_ratio:
            return Decision.drop("fineweb_short_lines")
        if c.max_dup_line_char_ratio is not None and scores["fineweb_dup_line_char_ratio"] >= c.max_dup_line_char_ratio:
            return Decision.drop("fineweb_dup_line_chars")
        if c.max_newline_word_ratio is not None and scores["fineweb_newline_word_ratio"] > c.max_newline_word_ratio:
            return Decision.drop("fineweb_newlines")
        return KEEP
