"""Every rule has a self-written text that passes it and one that fails it."""

from __future__ import annotations

import pytest

from filters.c4 import C4Config, C4Quality
from filters.code import CodeHeuristics
from filters.fineweb import FineWebQuality
from filters.gopher import GopherQuality, GopherRepetition
from filters.roots import RootsFilters, char_repetition_ratio, word_repetition_ratio
from filters.text import duplicate_ngram_char_fraction, top_ngram_char_fraction, words
from tests.texts import CODE_OK, GOOD_EN, GOOD_FR, GOOD_ZH


def _reason(filter_, text: str, lang: str | None = "en") -> str | None:
    _, decision = filter_(text, lang)
    return decision.reason


# --- word splitting ---------------------------------------------------------------------------


def test_chinese_is_split_into_characters_not_one_giant_word() -> None:
    tokens = words("今天天气很好，我们去公园散步吧。")
    assert len(tokens) == 14 and max(len(t) for t in tokens) == 1


def test_japanese_mixed_with_latin_splits_both() -> None:
    assert words("東京でPythonを学ぶ") == ["東", "京", "で", "Python", "を", "学", "ぶ"]


def test_indic_words_keep_their_vowel_signs() -> None:
    assert words("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]


def test_contractions_and_hyphenated_words_stay_whole() -> None:
    assert words("It's a well-known fact.") == ["It's", "a", "well-known", "fact"]


# --- Gopher quality ---------------------------------------------------------------------------

GOPHER_FAILURES = {
    "gopher_too_few_words": "The harbour town wakes up early with the boats and the bakers.",
    "gopher_short_words": " ".join(["a b c is it to of at on by"] * 10),
    "gopher_long_words": " ".join(["internationalization telecommunications"] * 30),
    "gopher_symbols": GOOD_EN + "\n" + " ".join(["#tag"] * 40),
    "gopher_bullet_lines": "\n".join(f"• item {i} of the list with some words in it" for i in range(12)),
    "gopher_ellipsis_lines": "\n".join(
        f"Read more about the harbour, the ferry and the bakers of the town in part {i}..." for i in range(12)
    ),
    "gopher_non_alpha_words": GOOD_EN + "\n" + " ".join(str(n) for n in range(1000, 1200)),
    "gopher_few_stop_words": " ".join(
        ["harbour boats bakers market square children school parents weather visitors"] * 8
    ),
}


def test_fluent_english_passes_gopher_quality() -> None:
    assert _reason(GopherQuality(), GOOD_EN) is None


@pytest.mark.parametrize("reason", sorted(GOPHER_FAILURES))
def test_each_gopher_quality_rule_drops_its_counterexample(reason: str) -> None:
    assert _reason(GopherQuality(), GOPHER_FAILURES[reason]) == reason


def test_gopher_stop_word_rule_only_applies_to_english() -> None:
    assert _reason(GopherQuality(), GOPHER_FAILURES["gopher_few_stop_words"], lang="de") is None


def test_gopher_word_length_rule_is_skipped_for_unspaced_scripts() -> None:
    assert _reason(GopherQuality(), GOOD_ZH, lang="zh") is None


def test_too_many_words() -> None:
    long_text = (GOOD_EN + "\n") * 1000
    assert _reason(GopherQuality(), long_text) == "gopher_too_many_words"


# --- Gopher repetition ------------------------------------------------------------------------


def test_fluent_english_passes_gopher_repetition() -> None:
    assert _reason(GopherRepetition(), GOOD_EN) is None


def test_repeated_lines_are_dropped() -> None:
    text = GOOD_EN + "\n" + "\n".join(["Subscribe to our newsletter today."] * 6)
    assert _reason(GopherRepetition(), text) == "gopher_dup_lines"


def test_repeated_paragraphs_are_dropped() -> None:
    paragraph = "Subscribe now and get the weekly digest of harbour news."
    text = "\n\n".join([GOOD_EN.replace("\n", " ")] + [paragraph] * 3 + ["Another short paragraph here."] * 0)
    assert _reason(GopherRepetition(GopherRepetition.config_model(max_dup_line_fraction=None)), text) == (
        "gopher_dup_paragraphs"
    )


def test_duplicate_line_characters_are_dropped_even_when_lines_are_few() -> None:
    long_line = "This very long promotional sentence about discounts on ferry tickets repeats itself on the page."
    text = GOOD_EN + "\n" + "\n".join([long_line] * 4)
    config = GopherRepetition.config_model(max_dup_line_fraction=None, max_dup_paragraph_fraction=None)
    assert _reason(GopherRepetition(config), text) == "gopher_dup_line_chars"


def test_top_ngram_and_duplicate_ngram_fractions() -> None:
    tokens = "the cat sat the cat sat the cat sat on a mat".split()
    assert top_ngram_char_fraction(tokens, 2) == pytest.approx(3 * 6 / 33)
    assert duplicate_ngram_char_fraction(tokens, 5) == pytest.approx(
        sum(len(t) for t in tokens[:9]) / sum(len(t) for t in tokens)
    )


def test_a_dominant_bigram_is_dropped() -> None:
    text = GOOD_EN + " " + " ".join(["best price"] * 60)
    assert _reason(GopherRepetition(), text) == "gopher_top_2gram"


def test_duplicated_long_ngrams_are_dropped() -> None:
    sentence = "our ferry tickets are the cheapest on the whole coast this season"
    text = GOOD_EN + " " + " ".join([sentence] * 3)
    config = GopherRepetition.config_model(max_top_ngram_char_fraction={})
    assert _reason(GopherRepetition(config), text).startswith("gopher_dup_")


# --- C4 ---------------------------------------------------------------------------------------


def test_c4_keeps_prose_and_removes_boilerplate_lines() -> None:
    dirty = "\n".join(
        [
            "Home | News | Contact",
            GOOD_EN,
            "Please enable JavaScript to view the comments.",
            "Read our privacy policy before you sign up today.",
            "Copyright 2024",
            "The ferry timetable changes in October [1].",
        ]
    )
    c4 = C4Quality()
    cleaned, removed = c4.clean(dirty, "en")
    assert removed["c4_lines_removed"] == 4
    assert "JavaScript" not in cleaned and "privacy policy" not in cleaned and "Home |" not in cleaned
    assert "The ferry timetable changes in October." in cleaned  # citation marker removed
    assert _reason(c4, cleaned) is None


def test_c4_drops_lorem_ipsum() -> None:
    assert _reason(C4Quality(), GOOD_EN + "\nLorem ipsum dolor sit amet, consectetur adipiscing elit.") == (
        "c4_lorem_ipsum"
    )


def test_c4_drops_curly_braces() -> None:
    assert _reason(C4Quality(), GOOD_EN + "\nThe function body is {return x;} in that case.") == "c4_curly_braces"


def test_c4_drops_pages_with_too_few_sentences() -> None:
    assert _reason(C4Quality(), "One sentence here. And another one.") == "c4_too_few_sentences"


def test_c4_line_rules_can_be_switched_off() -> None:
    cleaned, removed = C4Quality(C4Config(require_terminal_punctuation=False)).clean("Menu item one two\n", "en")
    assert cleaned == "Menu item one two" and removed["c4_lines_removed"] == 0


def test_c4_removes_lines_with_absurdly_long_words() -> None:
    cleaned, removed = C4Quality().clean(GOOD_EN + "\nSee " + "x" * 1001 + " here.", "en")
    assert removed["c4_lines_removed"] == 1 and "xxxx" not in cleaned


# --- FineWeb ----------------------------------------------------------------------------------


def test_fluent_english_passes_fineweb() -> None:
    assert _reason(FineWebQuality(), GOOD_EN) is None


def test_fineweb_drops_text_whose_lines_lack_punctuation() -> None:
    text = "\n".join(f"Harbour news section number {i} with links to more stories and pages" for i in range(10))
    assert _reason(FineWebQuality(), text) == "fineweb_line_punctuation"


def test_fineweb_drops_text_made_of_short_lines() -> None:
    text = "\n".join(["Home.", "News.", "Sport.", "Weather.", "A longer line about the harbour and its boats."])
    assert _reason(FineWebQuality(), text) == "fineweb_short_lines"


def test_fineweb_drops_duplicated_line_characters() -> None:
    text = GOOD_EN + "\n" + GOOD_EN.splitlines()[1]
    assert _reason(FineWebQuality(), text) == "fineweb_dup_line_chars"


def test_fineweb_drops_many_newlines_per_word() -> None:
    text = "\n".join(f"Short line {i}." for i in range(40))
    config = FineWebQuality.config_model(max_short_line_ratio=None, max_dup_line_char_ratio=None)
    assert _reason(FineWebQuality(config), text) == "fineweb_newlines"


# --- ROOTS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lang"), [(GOOD_EN, "en"), (GOOD_FR, "fr"), (GOOD_ZH, "zh")])
def test_fluent_text_passes_the_roots_filters(text: str, lang: str) -> None:
    scores, decision = RootsFilters()(text, lang)
    assert decision.keep, (decision.reason, scores)


def test_roots_drops_short_documents() -> None:
    assert _reason(RootsFilters(), "The harbour town wakes up early.", "en") == "roots_too_few_words"


def test_roots_drops_character_repetition() -> None:
    text = GOOD_EN + " " + "ha" * 400
    assert _reason(RootsFilters(), text, "en") == "roots_char_repetition"


def test_roots_drops_word_repetition() -> None:
    text = GOOD_EN + " " + " ".join(["buy cheap ferry tickets online now"] * 30)
    config = RootsFilters.config_model(overrides={"en": {"max_char_repetition": None}})
    assert _reason(RootsFilters(config), text, "en") == "roots_word_repetition"


def test_roots_drops_special_characters() -> None:
    text = GOOD_EN + " " + " ".join(["$$$ 1234 %%% ### !!! 5678"] * 40)
    config = RootsFilters.config_model(overrides={"en": {"max_char_repetition": None, "max_word_repetition": None}})
    assert _reason(RootsFilters(config), text, "en") == "roots_special_chars"


def test_roots_drops_text_without_stop_words() -> None:
    text = (
        "harbour boats bakers market square children school parents weather visitors ferry islands mackerel "
        "oven loaves vegetables cheese bread neighbours wind shelter pier city music lights cafés water sunset"
    )
    assert _reason(RootsFilters(), text, "en") == "roots_few_stop_words"


def test_roots_drops_flagged_words() -> None:
    text = GOOD_EN + " " + " ".join(["xxx porn hentai"] * 3)
    assert _reason(RootsFilters(), text, "en") == "roots_flagged_words"


def test_roots_flagged_terms_match_inside_unspaced_text() -> None:
    text = GOOD_ZH + "色情网站免费色情视频色情" * 3
    assert _reason(RootsFilters(), text, "zh") == "roots_flagged_words"


def test_roots_parameters_differ_by_language() -> None:
    roots = RootsFilters()
    assert roots.params("en").min_stop_words != roots.params("eu").min_stop_words
    assert roots.params("zh").min_words == 50


def test_roots_unknown_language_can_pass_through() -> None:
    keep_unknown = RootsFilters(RootsFilters.config_model(unknown_language="keep"))
    assert _reason(keep_unknown, "tiny", "xx") is None
    assert _reason(RootsFilters(), "tiny", "xx") == "roots_too_few_words"


def test_repetition_metrics() -> None:
    assert char_repetition_ratio("abcdefghij", 10) == 1.0
    assert word_repetition_ratio("a b c d e a b c d e".split(), 5) == pytest.approx(2 / 6)


# --- code ---------------------------------------------------------------------------------------


def test_ordinary_code_passes() -> None:
    assert _reason(CodeHeuristics(), CODE_OK, None) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (CODE_OK + "DATA = '" + "A" * 1200 + "'\n", "code_long_line"),
        ("\n".join(["x = [" + ", ".join(str(i) for i in range(40)) + "]"] * 20), "code_long_mean_line"),
        ("\n".join(["{ } ( ) ; ; ; [ ] // -- ++ == != <= >="] * 20), "code_low_alnum"),
        ("# Code generated by protoc-gen-go. DO NOT EDIT.\n" + CODE_OK, "code_autogenerated"),
    ],
)
def test_each_code_rule_drops_its_counterexample(text: str, reason: str) -> None:
    assert _reason(CodeHeuristics(), text, None) == reason


def test_duplicate_paragraph_characters_are_dropped() -> None:
    paragraph = (
        "This long promotional paragraph about discounted ferry tickets and seasonal offers appears twice on the "
        "page, once near the top and once again near the bottom, which is typical of boilerplate."
    )
    text = "\n\n".join([GOOD_EN.replace("\n", " "), paragraph, paragraph, paragraph])
    config = GopherRepetition.config_model(max_dup_paragraph_fraction=None, max_dup_line_fraction=None,
                                           max_dup_line_char_fraction=None)  # fmt: skip
    assert _reason(GopherRepetition(config), text) == "gopher_dup_paragraph_chars"


@pytest.mark.parametrize("n", [2, 3, 4])
def test_each_top_ngram_rule_drops_text_dominated_by_one_ngram(n: int) -> None:
    phrase = " ".join(["cheap", "ferry", "tickets", "online"][:n])
    text = GOOD_EN + " " + " ".join([phrase] * 60)
    limits = {2: 0.20, 3: 0.18, 4: 0.16}
    config = GopherRepetition.config_model(
        max_dup_line_fraction=None,
        max_dup_paragraph_fraction=None,
        max_dup_line_char_fraction=None,
        max_dup_paragraph_char_fraction=None,
        max_top_ngram_char_fraction={n: limits[n]},
        max_dup_ngram_char_fraction={},
    )
    assert _reason(GopherRepetition(config), text) == f"gopher_top_{n}gram"
    assert _reason(GopherRepetition(config), GOOD_EN) is None


def test_c4_removes_lines_with_too_few_words() -> None:
    cleaned, removed = C4Quality().clean(GOOD_EN + "\nThanks!", "en")
    assert removed["c4_lines_removed"] == 1 and not cleaned.endswith("Thanks!")


def test_numbers_with_decimal_and_thousands_separators_are_one_word() -> None:
    assert words("cerró con 14.372,4 millones a las 12:30.") == [
        "cerró",
        "con",
        "14.372,4",
        "millones",
        "a",
        "las",
        "12:30",
    ]


def test_c4_counts_chinese_sentences_that_have_no_space_after_the_full_stop() -> None:
    assert C4Quality().score(GOOD_ZH.replace("\n", ""), "zh")["c4_sentences"] == 6


def test_fluent_chinese_passes_gopher_repetition_and_copied_phrases_do_not() -> None:
    assert _reason(GopherRepetition(), GOOD_ZH, "zh") is None
    spam = GOOD_ZH + "".join(["最便宜的渡轮船票在线购买"] * 8)
    assert _reason(GopherRepetition(), spam, "zh") is not None
