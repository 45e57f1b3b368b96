"""Gopher rules (Rae et al. 2021, "Scaling Language Models", appendix A.1.1 and table A1)."""

from __future__ import annotations

from pydantic import Field

from filters.base import KEEP, Decision, Filter, FilterConfig, Scores
from filters.text import (
    UNSPACED_LANGUAGES,
    duplicate_fraction,
    duplicate_ngram_char_fractions,
    is_unspaced,
    lines,
    paragraphs,
    top_ngram_char_fraction,
    words,
)

BULLETS = ("•", "●", "○", "■", "□", "▪", "▫", "◦", "‣", "⁃", "-", "*", "–", "—")
ELLIPSES = ("...", "…")
# Gopher's stop-word rule, English: "at least two of the, be, to, of, and, that, have, with".
ENGLISH_STOP_WORDS = frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})


class GopherQualityConfig(FilterConfig):
    min_words: int | None = Field(default=50, description="Gopher: 50 to 100,000 words.")
    max_words: int | None = 100_000
    min_mean_word_length: float | None = Field(default=3, description="Gopher: mean word length 3 to 10.")
    max_mean_word_length: float | None = 10
    max_symbol_word_ratio: float | None = Field(default=0.1, description="Gopher: '#' and ellipsis per word < 0.1.")
    max_bullet_lines_ratio: float | None = Field(default=0.9, description="Gopher: > 90% of lines start with bullets.")
    max_ellipsis_lines_ratio: float | None = Field(default=0.3, description="Gopher: > 30% of lines end in '...'.")
    min_alpha_words_ratio: float | None = Field(default=0.8, description="Gopher: 80% of words contain a letter.")
    min_stop_words: int | None = Field(default=2, description="Gopher: >= 2 English stop words (English only).")


class GopherQuality(Filter[GopherQualityConfig]):
    name = "gopher_quality"
    config_model = GopherQualityConfig

    def score(self, text: str, lang: str | None) -> Scores:
        tokens = words(text)
        text_lines = lines(text)
        n_words = len(tokens)
        n_lines = max(len(text_lines), 1)
        symbols = text.count("#") + sum(text.count(e) for e in ELLIPSES)
        return {
            "gopher_words": float(n_words),
            "gopher_mean_word_length": sum(len(t) for t in tokens) / n_words if n_words else 0.0,
            "gopher_symbol_word_ratio": symbols / n_words if n_words else 0.0,
            "gopher_bullet_lines_ratio": sum(line.startswith(BULLETS) for line in text_lines) / n_lines,
            "gopher_ellipsis_lines_ratio": sum(line.endswith(ELLIPSES) for line in text_lines) / n_lines,
            "gopher_alpha_words_ratio": sum(any(c.isalpha() for c in t) for t in tokens) / n_words if n_words else 0.0,
            "gopher_stop_words": float(sum(t.lower() in ENGLISH_STOP_WORDS for t in tokens)),
            "gopher_unspaced": float(lang in UNSPACED_LANGUAGES if lang else is_unspaced(text)),
        }

    def decide(self, scores: Scores, lang: str | None) -> Decision:
        c = self.config
        if c.min_words is not None and scores["gopher_words"] < c.min_words:
            return Decision.drop("gopher_too_few_words")
        if c.max_words is not None and scores["gopher_words"] > c.max_words:
            return Decision.drop("gopher_too_many_words")
        # One character per word in unspaced scripts: the word-length rule does not apply to them.
        if not scores["gopher_unspaced"]:
            if c.min_mean_word_length is not None and scores["gopher_mean_word_length"] < c.min_mean_word_length:
                return Decision.drop("gopher_short_words")
            if c.max_mean_word_length is not None and scores["gopher_mean_word_length"] > c.max_mean_word_length:
                return Decision.drop("gopher_long_words")
        if c.max_symbol_word_ratio is not None and scores["gopher_symbol_word_ratio"] > c.max_symbol_word_ratio:
            return Decision.drop("gopher_symbols")
        if c.max_bullet_lines_ratio is not None and scores["gopher_bullet_lines_ratio"] > c.max_bullet_lines_ratio:
            return Decision.drop("gopher_bullet_lines")
        if (
            c.max_ellipsis_lines_ratio is not None
            and scores["gopher_ellipsis_lines_ratio"] > c.max_ellipsis_lines_ratio
        ):
            return Decision.drop("gopher_ellipsis_lines")
        if c.min_alpha_words_ratio is not None and scores["gopher_alpha_words_ratio"] < c.min_alpha_words_ratio:
            return Decision.drop("gopher_non_alpha_words")
        if c.min_stop_words is not None and lang == "en" and scores["gopher_stop_words"] < c.min_stop_words:
            return Decision.drop("gopher_few_stop_words")
        return KEEP


class GopherRepetitionConfig(FilterConfig):
    # Gopher table A1 thresholds.
    max_dup_line_fraction: float | None = 0.30
    max_dup_paragraph_fraction: float | None = 0.30
    max_dup_line_char_fraction: float | None = 0.20
    max_dup_paragraph_char_fraction: float | None = 0.20
    max_top_ngram_char_fraction: dict[int, float] = Field(default_factory=lambda: {2: 0.20, 3: 0.18, 4: 0.16})
    max_dup_ngram_char_fraction: dict[int, float] = Field(
        default_factory=lambda: {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}
    )


class GopherRepetition(Filter[GopherRepetitionConfig]):
    name = "gopher_repetition"
    config_model = GopherRepetitionConfig

    def score(self, text: str, lang: str | None) -> Scores:
        line_count, line_chars = duplicate_fraction(lines(text))
        paragraph_count, paragraph_chars = duplicate_fraction(paragraphs(text))
        tokens = words(text)
        # One character per word in unspaced scripts, while a word there is ~2 characters long: n-grams of
        # 2n characters stand in for n-grams of n words, or every 5-character phrase would count as a 5-gram.
        unspaced = lang in UNSPACED_LANGUAGES if lang else is_unspaced(text)
        scale = 2 if unspaced else 1
        scores = {
            "gopher_dup_line_fraction": line_count,
            "gopher_dup_line_char_fraction": line_chars,
            "gopher_dup_paragraph_fraction": paragraph_count,
            "gopher_dup_paragraph_char_fraction": paragraph_chars,
        }
        for n in self.config.max_top_ngram_char_fraction:
            scores[f"gopher_top_{n}gram_char_fraction"] = top_ngram_char_fraction(tokens, n * scale)
        sizes = list(self.config.max_dup_ngram_char_fraction)
        fractions = duplicate_ngram_char_fractions(tokens, [n * scale for n in sizes])
        for n in sizes:
            scores[f"gopher_dup_{n}gram_char_fraction"] = fractions[n * scale]
        return scores

    def decide(self, scores: Scores, lang: str | None) -> Decision:
        c = self.config
        checks = (
            ("gopher_dup_line_fraction", c.max_dup_line_fraction, "gopher_dup_lines"),
            ("gopher_dup_paragraph_fraction", c.max_dup_paragraph_fraction, "gopher_dup_paragraphs"),
            ("gopher_dup_line_char_fraction", c.max_dup_line_char_fraction, "gopher_dup_line_chars"),
            ("gopher_dup_paragraph_char_fraction", c.max_dup_paragraph_char_fraction, "gopher_dup_paragraph_chars"),
        )
        for key, limit, reason in checks:
            if limit is not None and scores[key] > limit:
                return Decision.drop(reason)
        for n, limit in c.max_top_ngram_char_fraction.items():
            if scores[f"gopher_top_{n}gram_char_fraction"] > limit:
                return Decision.drop(f"gopher_top_{n}gram")
        for n, limit in c.max_dup_ngram_char_fraction.items():
            if scores[f"gopher_dup_{n}gram_char_fraction"] > limit:
                return Decision.drop(f"gopher_dup_{n}gram")
        return KEEP
