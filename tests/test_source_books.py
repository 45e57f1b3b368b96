from __future__ import annotations

import codecs
import json
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from filters.book_overlap import (
    book_shingles,
    candidate_pairs,
    containment,
    jaccard,
    minhash_signature,
    near_duplicate_books,
    near_duplicates,
)
from stages.base import PartSpec, Verdict, part_id_for
from stages.sources.books import BooksConfig, BooksSource, body_sha1, clean_book, decode_book, language_code
from tests.conftest import REPO, write_source_manifest
from tests.runs import kept_documents, rejected_rows, run

Row = tuple[dict[str, Any], Verdict | None]

# A characteristic line each real book must open with (after the PG header and the producer credits).
OPENING_LINES = {
    "pg11-noheader-gutenbergbooks": "Alice’s Adventures in Wonderland",
    "pg11": "ALICE’S ADVENTURES IN WONDERLAND",
    "pg120-a": "TREASURE ISLAND",
    "pg120-b": "TREASURE ISLAND",
    "pg1342-2018": "PRIDE AND PREJUDICE",
    "pg1342-2023": "GEORGE ALLEN",
    "pg1342-noheader-gutenbergbooks": "GEORGE ALLEN",
    "pg22367-de-noheader-gutenbergbooks": "DIE VERWANDLUNG",
    "pg28885": "ALICE'S ADVENTURES IN WONDERLAND",
    "pg4650-fr-candide": "OEUVRES",
}
# Word 5-shingle Jaccard of the bodies, from shared/data/PROVENANCE.md §5.
PROVENANCE_JACCARD = {
    ("pg1342-2023", "pg1342-noheader-gutenbergbooks"): 1.000,
    ("pg1342-2023", "pg1342-2018"): 0.876,
    ("pg120-a", "pg120-b"): 0.999,
    ("pg11", "pg28885"): 0.829,
    ("pg11", "pg11-noheader-gutenbergbooks"): 0.914,
    ("pg11", "pg4650-fr-candide"): 0.0,
    ("pg120-a", "pg22367-de-noheader-gutenbergbooks"): 0.0,
}
LICENCE = "*** START: FULL LICENSE ***\r\n\r\nTHE FULL PROJECT GUTENBERG LICENSE\r\nPLEASE READ THIS\r\n"


def _read(path: Path, **options: Any) -> Row:
    source = BooksSource("books", BooksConfig(**options))
    results = list(source.read(PartSpec("books", part_id_for(str(path)), str(path)), batch_size=4, limit=None))
    assert len(results) == 1 and results[0].batch.num_rows == 1
    return results[0].batch.to_pylist()[0], results[0].verdicts[0]


@cache
def _real(path: Path) -> Row:
    return _read(path)


def _real_books(shared_data: Path) -> dict[str, Row]:
    return {path.stem: _real(path) for path in sorted((shared_data / "books").glob("*.txt"))}


def _prose(words: int, seed: str = "river") -> str:
    """Self-written filler prose, wrapped at 70 columns, with ``words`` words."""
    sentence = f"The {seed} ran past the mill and the miller counted the boats that came down with the tide".split()
    tokens = [sentence[i % len(sentence)] for i in range(words)]
    return "\n".join(" ".join(tokens[i : i + 12]) for i in range(0, words, 12))


def _download(text: str) -> bytes:
    return codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")


def _new_style(body: str, title: str = "The River Book") -> str:
    return (
        f"The Project Gutenberg eBook of {title}\n    \nThis ebook is for the use of anyone anywhere.\n\n"
        f"Title: {title}\n\nAuthor: Ann Example\n\nRelease date: May 2, 2021 [eBook #99123]\n"
        "                Most recently updated: January 9, 2024\n\nLanguage: English\n\n\n"
        f"*** START OF THE PROJECT GUTENBERG EBOOK {title.upper()} ***\n\n\n\n"
        "Produced by Some Volunteers and the Online Distributed\nProofreading Team at https://www.pgdp.net\n\n\n\n"
        f"{body}\n\n\n\n*** END OF THE PROJECT GUTENBERG EBOOK {title.upper()} ***\n\n{LICENCE}"
    )


def _old_style(body: str, title: str = "The River Book", charset: str = "UTF-8") -> str:
    return (
        f"The Project Gutenberg EBook of {title}, by Ann Example\n\nThis eBook is for the use of anyone anywhere\n\n\n"
        f"Title: {title}\n\nAuthor: Ann Example\n\nRelease Date: May, 2001 [EBook #99124]\n\n"
        f"Language: French\n\nCharacter set encoding: {charset}\n\n"
        f"*** START OF THIS PROJECT GUTENBERG EBOOK {title.upper()} ***\n\n\n\n\nProduced by Some Volunteers\n\n\n\n"
        f"{body}\n\n\n\nEnd of the Project Gutenberg EBook of {title}, by Ann Example\n\n"
        f"*** END OF THIS PROJECT GUTENBERG EBOOK {title.upper()} ***\n\n{LICENCE}"
    )


# --- header, footer and licence on the real downloads ------------------------------------------


def test_every_real_book_loses_the_gutenberg_header_footer_and_licence(shared_data: Path) -> None:
    books = _real_books(shared_data)
    assert set(books) == set(OPENING_LINES)
    for stem, (row, verdict) in books.items():
        body = row["text"]
        assert verdict is None, stem
        assert "gutenberg" not in body.lower(), stem
        assert "license" not in body.lower() and "*** " not in body, stem
        assert "\r" not in body and "\ufeff" not in body, stem
        assert body.strip().startswith(OPENING_LINES[stem]) or OPENING_LINES[stem] in body[:700], stem


def test_the_body_ends_with_the_last_line_of_the_book(shared_data: Path) -> None:
    books = _real_books(shared_data)
    assert books["pg11"][0]["text"].endswith("THE END")
    assert books["pg1342-2018"][0]["text"].endswith("had been the means of uniting them.")
    assert books["pg120-b"][0]["text"].endswith("“Pieces of eight! Pieces of eight!”")
    assert books["pg4650-fr-candide"][0]["text"].endswith("FIN DE CANDIDE.")


def test_the_german_file_without_header_keeps_no_end_of_ebook_line(shared_data: Path) -> None:
    row, verdict = _real_books(shared_data)["pg22367-de-noheader-gutenbergbooks"]
    assert verdict is None
    assert "End of the Project Gutenberg" not in row["text"]
    assert row["text"].endswith("ihren jungen Körper dehnte.")
    meta = json.loads(row["meta"])
    assert meta["start_marker"] is None and meta["end_marker"] is True


def test_producer_credits_after_the_start_marker_are_removed(shared_data: Path) -> None:
    books = _real_books(shared_data)
    assert "Judy Boss" not in books["pg120-b"][0]["text"]
    assert "Jana Srna" not in books["pg28885"][0]["text"][:2000]
    assert "Carlo Traverso" not in books["pg4650-fr-candide"][0]["text"]
    # Once the credits are gone, the two Treasure Island downloads open identically.
    assert books["pg120-a"][0]["text"][:1400] == books["pg120-b"][0]["text"][:1400]


def test_header_fields_fill_title_author_language_ebook_number_and_url(shared_data: Path) -> None:
    books = _real_books(shared_data)
    candide, _ = books["pg4650-fr-candide"]
    meta = json.loads(candide["meta"])
    assert candide["id"] == "pg4650-fr-candide@pg4650"
    assert candide["lang"] == "fr" and candide["url"] == "https://www.gutenberg.org/ebooks/4650"
    assert (meta["title"], meta["author"], meta["language"]) == ("Candide", "Voltaire", "French")
    assert meta["pg_ebook"] == 4650 and meta["start_marker"] == "old" and meta["encoding"] == "utf-8-sig"
    pride, _ = books["pg1342-2023"]
    assert pride["id"] == "pg1342-2023@pg1342" and pride["lang"] == "en"
    assert json.loads(pride["meta"])["start_marker"] == "new"
    stripped, _ = books["pg11-noheader-gutenbergbooks"]
    assert stripped["id"] == "pg11-noheader-gutenbergbooks"
    assert stripped["lang"] is None and stripped["url"] is None


def test_meta_holds_the_shingle_signature_size_and_body_sha1_for_dedup(shared_data: Path) -> None:
    row, _ = _real_books(shared_data)["pg11"]
    meta = json.loads(row["meta"])
    assert meta["shingle_count"] == len(book_shingles(row["text"])) > 20_000
    assert meta["body_sha1"] == body_sha1(row["text"])
    assert meta["words"] > 25_000 and meta["chars"] == len(row["text"])


# --- self-written edge cases -------------------------------------------------------------------


def test_new_style_download_with_bom_and_crlf_is_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "pg99123.txt"
    path.write_bytes(_download(_new_style("CHAPTER I.\n\n" + _prose(1200))))
    row, verdict = _read(path)
    assert verdict is None
    assert row["text"] == "CHAPTER I.\n\n" + _prose(1200)
    assert "Produced by" not in row["text"] and "pgdp" not in row["text"] and "\r" not in row["text"]
    meta = json.loads(row["meta"])
    assert meta["title"] == "The River Book" and meta["pg_ebook"] == 99123 and meta["end_marker"] is True
    assert meta["release_date"].startswith("May 2, 2021 [eBook #99123] Most recently updated")


def test_old_style_download_cuts_at_the_end_of_ebook_line(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(_download(_old_style(_prose(1200))))
    row, verdict = _read(path)
    assert verdict is None
    assert row["text"] == _prose(1200)
    assert row["lang"] == "fr" and json.loads(row["meta"])["start_marker"] == "old"


def test_a_file_without_markers_is_kept_whole(tmp_path: Path) -> None:
    path = tmp_path / "stripped.txt"
    path.write_text("\n\nTHE RIVER BOOK\n\n" + _prose(1100) + "\n")
    row, verdict = _read(path)
    assert verdict is None
    assert row["text"] == "THE RIVER BOOK\n\n" + _prose(1100)
    meta = json.loads(row["meta"])
    assert meta["start_marker"] is None and meta["end_marker"] is False and meta["title"] is None


def test_an_old_small_print_header_ends_like_a_start_marker(tmp_path: Path) -> None:
    header = "**The Project Gutenberg Etext of X**\nSmall print.\n*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*END*\n"
    path = tmp_path / "old1993.txt"
    path.write_text(header + "\n\n" + _prose(1100))
    row, _ = _read(path)
    assert row["text"] == _prose(1100)
    assert json.loads(row["meta"])["start_marker"] == "small_print"


def test_a_latin1_file_is_decoded_by_its_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    body = "Le meunier arrosa le jardin près de la rivière, à l'aube.\n" + _prose(1100)
    path.write_bytes(_old_style(body, title="Le Jardin", charset="ISO-8859-1").encode("latin-1"))
    row, verdict = _read(path)
    assert verdict is None
    assert row["text"].startswith("Le meunier arrosa le jardin près de la rivière, à l'aube.")
    assert json.loads(row["meta"])["encoding"] == "ISO-8859-1"


def test_an_undeclared_windows_1252_file_falls_back_to_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(("\u201cQuoted,\u201d she said, caf\u00e9.\n" + _prose(1100)).encode("cp1252"))
    row, verdict = _read(path)
    assert verdict is None
    assert row["text"].startswith("\u201cQuoted,\u201d she said, caf\u00e9.")
    assert json.loads(row["meta"])["encoding"] == "cp1252"


def test_a_utf16_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(("Die Brücke\n" + _prose(1100)).encode("utf-16"))
    row, verdict = _read(path)
    assert verdict is None and row["text"].startswith("Die Brücke\n")


def test_a_binary_file_is_errored_with_the_file_name(tmp_path: Path) -> None:
    for name, data in {
        "scan.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20,
        "noise.txt": bytes((i * 37 + 11) % 256 for i in range(1, 5000) if (i * 37 + 11) % 256),
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        row, verdict = _read(path)
        assert verdict == Verdict.error("binary_file"), name
        assert row["id"] == path.stem and row["text"] is None
        meta = json.loads(row["meta"])
        assert meta["file"] == str(path) and "BinaryFileError" in meta["error"]


def test_a_missing_file_is_errored_and_an_oversized_file_too(tmp_path: Path) -> None:
    row, verdict = _read(tmp_path / "gone.txt")
    assert verdict == Verdict.error("unreadable_file") and "gone.txt" in json.loads(row["meta"])["error"]
    path = tmp_path / "big.txt"
    path.write_text(_prose(2000))
    _, verdict = _read(path, max_bytes=1000)
    assert verdict == Verdict.error("file_too_large")


def test_a_book_below_the_minimum_is_dropped_as_too_short(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(_download(_new_style(_prose(300))))
    assert _read(path)[1] == Verdict.drop("too_short")
    assert _read(path, min_words=200)[1] is None
    assert _read(path, min_words=200)[0]["text"] == _prose(300)


def test_clean_book_is_a_pure_function_of_the_text() -> None:
    book = clean_book(
        "\ufeffTitle: X\r\nLanguage: German\r\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\r\nHallo\r\n"
    )
    assert book.body == "Hallo" and book.fields == {"title": "X", "language": "German"}
    assert language_code("German") == "de" and language_code("English, French") is None
    assert decode_book(b"caf\xc3\xa9")[0] == "café"


# --- book-level near-duplicates (LLaMA: "more than 90% content overlap") -----------------------


@cache
def _shingles_of(path: Path) -> set[int]:
    return book_shingles(_real(path)[0]["text"])


def _real_shingles(shared_data: Path) -> dict[str, set[int]]:
    return {path.stem: _shingles_of(path) for path in sorted((shared_data / "books").glob("*.txt"))}


def test_jaccard_on_the_real_pairs_matches_provenance(shared_data: Path) -> None:
    shingles = _real_shingles(shared_data)
    for (a, b), expected in PROVENANCE_JACCARD.items():
        assert jaccard(shingles[a], shingles[b]) == pytest.approx(expected, abs=0.02), (a, b)


def test_containment_would_also_remove_different_editions(shared_data: Path) -> None:
    # Why the measure is Jaccard: a shorter edition is mostly contained in a longer one.
    shingles = _real_shingles(shared_data)
    assert containment(shingles["pg1342-2023"], shingles["pg1342-2018"]) > 0.9
    assert containment(shingles["pg11"], shingles["pg28885"]) > 0.9


def test_the_90_percent_rule_removes_exactly_the_pairs_above_the_line(shared_data: Path) -> None:
    shingles = _real_shingles(shared_data)
    for (a, b), similarity in PROVENANCE_JACCARD.items():
        dropped = near_duplicates({a: shingles[a], b: shingles[b]}, rank={a: 0, b: 1})
        assert (dropped == {b: a}) == (similarity > 0.9) and (dropped == {}) == (similarity <= 0.9), (a, b)
    bodies = {stem: row["text"] for stem, (row, _) in _real_books(shared_data).items()}
    # On the whole set: one copy of each same-edition pair goes, the longer body survives.
    assert near_duplicate_books(bodies) == {
        "pg1342-2023": "pg1342-noheader-gutenbergbooks",
        "pg120-b": "pg120-a",
        "pg11": "pg11-noheader-gutenbergbooks",
    }


def test_minhash_estimates_jaccard_and_lsh_proposes_only_same_work_pairs(shared_data: Path) -> None:
    signatures = {stem: minhash_signature(values) for stem, values in _real_shingles(shared_data).items()}
    shingles = _real_shingles(shared_data)
    for a, b in combinations(sorted(shingles), 2):
        estimate = float((signatures[a] == signatures[b]).mean())
        assert estimate == pytest.approx(jaccard(shingles[a], shingles[b]), abs=0.12), (a, b)
    # LSH banding proposes only the 7 pairs of copies and editions of the same work, out of 45.
    assert candidate_pairs(signatures) == {
        ("pg11", "pg11-noheader-gutenbergbooks"),
        ("pg11", "pg28885"),
        ("pg11-noheader-gutenbergbooks", "pg28885"),
        ("pg120-a", "pg120-b"),
        ("pg1342-2018", "pg1342-2023"),
        ("pg1342-2018", "pg1342-noheader-gutenbergbooks"),
        ("pg1342-2023", "pg1342-noheader-gutenbergbooks"),
    }


def test_survivor_is_the_longer_body_then_the_smaller_id() -> None:
    text = " ".join(f"word{i}" for i in range(600))  # 596 distinct shingles
    assert near_duplicate_books({"b": text, "a": text}) == {"b": "a"}
    assert near_duplicate_books({"a": text, "b": text + "\nA closing line."}) == {"a": "b"}


def test_a_chain_of_overlaps_never_drops_a_book_for_one_it_does_not_duplicate() -> None:
    # a~b and b~c are above the line, a~c is not: b goes (for a), c stays.
    base = list(range(1000))
    shingles = {
        "a": set(base),
        "b": set(base[40:] + list(range(2000, 2040))),
        "c": set(base[80:]) | set(range(2000, 2080)),
    }
    rank = {"a": 0, "b": 1, "c": 2}
    assert jaccard(shingles["a"], shingles["b"]) > 0.9 and jaccard(shingles["b"], shingles["c"]) > 0.9
    assert jaccard(shingles["a"], shingles["c"]) < 0.9
    assert near_duplicates(shingles, rank) == {"b": "a"}


def test_books_too_short_to_shingle_are_never_duplicates() -> None:
    assert book_shingles("only four words here") == set()
    assert near_duplicate_books({"a": "only four words here", "b": "only four words here"}) == {}


# --- through the engine ------------------------------------------------------------------------


def test_the_bundled_samples_run_through_the_engine(tmp_path: Path) -> None:
    source = {
        "name": "books",
        "kind": "books",
        "paths": [str(REPO / "manifests" / "samples" / "books" / "*.txt")],
        "min_words": 250,
        "stages": [],
    }
    path = write_source_manifest(tmp_path / "books.yaml", tmp_path / "out", source, batch_size=8)
    outcome = run(path)
    assert outcome.stats["accounting"]["ok"]
    (read,) = outcome.stats["sources"]["books"]["stages"]
    assert (read["in"], read["kept"]) == (6, 4)
    assert read["dropped"] == {"too_short": 1} and read["errored"] == {"binary_file": 1}
    docs = kept_documents(tmp_path / "out")
    assert {doc["lang"] for doc in docs.values()} == {"en", "fr", None}
    french = docs["pg99902-fr-latin1@pg99902"]
    assert "rivière" in french["text"] and json.loads(french["meta"])["encoding"] == "ISO-8859-1"
    assert rejected_rows(tmp_path / "out")["pg99905-scan"] == ("read", "errored", "binary_file")
    bodies = {doc_id: doc["text"] for doc_id, doc in docs.items()}
    assert near_duplicate_books(bodies) == {"pg99901@pg99901": "pg99901-2019@pg99901"}
