"""The wikipedia source: MediaWiki pages-articles dumps → cleaned articles, every page accounted for."""

from __future__ import annotations

import bz2
import codecs
import json
import random
import tracemalloc
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest

from stages.base import PartSpec, Verdict, part_id_for
from stages.sources.wikipedia import (
    SiteInfo,
    WikipediaConfig,
    WikipediaSource,
    page_url,
    sniff_xml_encoding,
    wiki_code,
)
from stages.sources.wikitext import (
    clean_wikitext,
    is_redirect_text,
    link_namespaces,
    remove_unparsed_tables,
)
from tests.conftest import REPO, write_source_manifest
from tests.runs import kept_documents, rejected_rows, run

Row = tuple[dict[str, Any], Verdict | None]

# --- helpers: self-written dumps -----------------------------------------------------------------

PROSE = (
    "The Quill is a short river that rises in the northern hills and flows south through farmland and "
    "two small villages before it reaches Lake Amber, where a wooden footbridge crosses its mouth. "
)


def page_xml(
    page_id: int | None, title: str, text: str, ns: int = 0, redirect: str | None = None, revision_id: int = 1
) -> str:
    id_element = f"<id>{page_id}</id>" if page_id is not None else ""
    redirect_element = f"<redirect title={quoteattr(redirect)} />" if redirect else ""
    return (
        f"<page><title>{escape(title)}</title><ns>{ns}</ns>{id_element}{redirect_element}"
        f"<revision><id>{revision_id}</id><timestamp>2024-05-01T12:00:00Z</timestamp>"
        f'<text xml:space="preserve">{escape(text)}</text></revision></page>\n'
    )


def dump_xml(pages: list[str], dbname: str | None = "enwiki", declaration: str = "") -> str:
    siteinfo = (
        f"<siteinfo><dbname>{dbname}</dbname><namespaces>"
        '<namespace key="6">File</namespace><namespace key="14">Category</namespace></namespaces></siteinfo>\n'
        if dbname
        else ""
    )
    return (
        f'{declaration}<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10">\n'
        f"{siteinfo}{''.join(pages)}</mediawiki>\n"
    )


def article(page_id: int, words: int = 60, seed: int = 0) -> str:
    """An article of pseudo-random prose (so that bz2 cannot squeeze many pages into one block)."""
    rng = random.Random(seed * 100_000 + page_id)
    vocabulary = PROSE.lower().replace(",", "").replace(".", "").split()
    body = " ".join(rng.choice(vocabulary) for _ in range(words))
    return page_xml(page_id, f"River {page_id}", f"{PROSE}{body}.")


def read_rows(path: Path | str, batch_size: int = 16, limit: int | None = None, **config: Any) -> list[Row]:
    source = WikipediaSource("wiki", WikipediaConfig(**config))
    part = PartSpec("wiki", part_id_for(str(path)), str(path))
    rows: list[Row] = []
    for result in source.read(part, batch_size=batch_size, limit=limit):
        assert result.batch.num_rows <= batch_size
        rows.extend(zip(result.batch.to_pylist(), result.verdicts, strict=True))
    return rows


def reasons(rows: list[Row]) -> Counter[str]:
    return Counter(verdict.reason if verdict else "kept" for _, verdict in rows)


def meta(row: dict[str, Any]) -> dict[str, Any]:
    return json.loads(row["meta"])


# --- the recipe on self-written wikitext ------------------------------------------------------------

SNIPPET = """{{Infobox river|name=Quill|length=12 km}}
The '''Quill''' is a short river in the [[Northern Hills|northern hills]] that feeds [[Lake Amber]].\
<ref>{{cite web|url=http://example.org|title=Rivers}}</ref> Its water stays cold all year.<ref name="survey" />
<!-- Please do not add fishing tips. -->
[[File:Quill in spring.jpg|thumb|The [[Quill]] in spring]]

== Course ==
It runs for twelve kilometres (about {{convert|7.5|mi}}) before it reaches the lake.
{| class="wikitable"
! Length !! Basin
|-
| 12 km || 40 km²
|}

== References ==
{{Reflist}}

[[Category:Rivers of the Northern Hills]]
[[de:Quill (Fluss)]]
"""


def test_templates_refs_tables_files_categories_and_comments_vanish_and_link_labels_remain() -> None:
    assert clean_wikitext(SNIPPET) == (
        "The Quill is a short river in the northern hills that feeds Lake Amber. Its water stays cold all year.\n"
        "\n"
        "Course\n"
        "\n"
        "It runs for twelve kilometres (about ) before it reaches the lake."
    )


@pytest.mark.parametrize(
    "link",
    [
        "[[Datei:Fluss.jpg|mini|Der [[Fluss]] im Frühling]]",
        "[[Bild:Fluss.jpg]]",
        "[[Fichier:Rivière.jpg|vignette|La rivière]]",
        "[[Файл:Река.jpg|мини|Реката]]",
        "[[ファイル:川.jpg|サムネイル|川]]",
        "[[画像:川.jpg]]",
        "[[Tập tin:Sông.jpg|nhỏ|Dòng sông]]",
        "[[Image:River.png|left]]",
        "[[Media:River.ogg]]",
        "[[Kategorie:Fluss]]",
        "[[Catégorie:Rivière]]",
        "[[Категория:Реки]]",
        "[[Категорія:Річки]]",
        "[[カテゴリ:川]]",
        "[[Thể loại:Sông]]",
        "[[category:rivers|Quill]]",
        "[[fr:Quill (rivière)]]",
        "[[zh-min-nan:Quill]]",
    ],
)
def test_localized_file_and_category_links_and_interlanguage_links_vanish(link: str) -> None:
    assert clean_wikitext(f"Before {link} after.") == "Before after."


def test_the_dumps_own_namespace_names_hide_files_and_categories_too() -> None:
    text = "A [[Slika:Rijeka.jpg|mini|Rijeka]] B [[Kategorija:Rijeke]] C"
    assert "Kategorija:Rijeke" in clean_wikitext(text)  # unknown to the built-in names: an ordinary link
    croatian = link_namespaces({6: "Slika", 14: "Kategorija"})
    assert clean_wikitext(text, croatian) == "A B C"


@pytest.mark.parametrize(
    ("wikitext", "text"),
    [
        ("[[Lake Amber]]s", "Lake Ambers"),
        ("[[Lake Amber|the lake]]", "the lake"),
        ("[[Lake Amber|]]", "Lake Amber"),
        ("[[:Category:Rivers]]", "Category:Rivers"),  # a leading colon shows the link inline
        ("[[:de:Quill]]", "de:Quill"),
        ("[[wikt:river|river]]", "river"),  # interproject links are inline text
        ("[[Lake Amber|the ''big'' lake]]", "the big lake"),
        ("[http://example.org the survey]", "the survey"),
        ("see http://example.org", "see"),
        ("[http://example.org]", ""),
        ("a&nbsp;b &amp; c", "a\xa0b & c"),
        ("''italic'' and '''bold''' and ''unclosed", "italic and bold and unclosed"),
        ("__NOTOC__Text", "Text"),
        ("x<br/>y", "x\ny"),
        ("<math>x^2</math>", "x^2"),
        ("* one\n* two", "one\ntwo"),
        ("Born (; {{birth date|1900}})", "Born"),
        ("<gallery>\nA.jpg|A\n</gallery>Text", "Text"),
    ],
)
def test_links_become_their_labels_and_formatting_becomes_plain_text(wikitext: str, text: str) -> None:
    assert clean_wikitext(wikitext) == text


def test_headings_stay_as_lines_and_headings_left_without_text_are_dropped() -> None:
    wikitext = "Intro.\n== A ==\nText a.\n== B ==\n{{Main|X}}\n=== C ===\nText c.\n== Notes ==\n<references/>"
    assert clean_wikitext(wikitext) == "Intro.\n\nA\n\nText a.\n\nB\n\nC\n\nText c."


def test_tables_the_parser_leaves_as_text_are_removed_line_by_line() -> None:
    assert remove_unparsed_tables('a\n{| class="x" y"\n|-\n| cell\n{|\n| nested\n|}\n|}\nb') == "a\nb"
    assert remove_unparsed_tables("a\n{| never closed\n| cell") == "a"


@pytest.mark.parametrize(
    "wikitext",
    [
        "#REDIRECT [[Quill]]",
        "#redirect[[Quill]]",
        " #Redirect: [[Quill]]",
        "#WEITERLEITUNG [[Quill]]",
        "#転送 [[川]]",
        "#перенаправлення [[Річка]]",
        "#đổi [[Sông]]",
        "#ПРЕНАСОЧВАНЕ [[Река]]",
    ],
)
def test_redirect_keywords_are_recognized_in_any_case_and_language(wikitext: str) -> None:
    assert is_redirect_text(wikitext)


@pytest.mark.parametrize("wikitext", ["# first item\n# second", "Text about #REDIRECT [[x]]", "#REDIRECTS are"])
def test_text_that_only_looks_like_a_redirect_is_not_one(wikitext: str) -> None:
    assert not is_redirect_text(wikitext)


# --- reading dumps ----------------------------------------------------------------------------------


def test_every_page_becomes_one_row_with_a_named_reason(tmp_path: Path) -> None:
    pages = [
        article(1),
        page_xml(2, "Quill river", "#REDIRECT [[River 1]]", redirect="River 1"),
        page_xml(3, "Talk:River 1", PROSE * 3, ns=1),
        page_xml(4, "Wikipedia:Redirect", "#REDIRECT [[Wikipedia:About]]", ns=4, redirect="Wikipedia:About"),
        page_xml(5, "Stub", "'''Stub''' is short.{{stub}}"),
        page_xml(6, "Old redirect", "#WEITERLEITUNG [[River 1]]"),  # no <redirect> element, as in old dumps
        page_xml(None, "No id", PROSE),
    ]
    path = tmp_path / "enwiki-20240501-pages-articles.xml"
    path.write_text(dump_xml(pages))
    rows = read_rows(path)
    assert reasons(rows) == Counter(
        {"kept": 1, "redirect": 3, "non_article_namespace": 1, "too_short": 1, "malformed_page": 1}
    )
    kept = rows[0][0]
    assert kept["id"] == "enwiki:1" and kept["lang"] == "en" and kept["source"] == "wiki"
    assert kept["url"] == "https://en.wikipedia.org/wiki/River_1" and kept["text"].startswith(PROSE.strip())
    assert meta(kept) | {"wikitext_chars": 0} == {
        "dump": path.name, "dbname": "enwiki", "page_id": "1", "title": "River 1", "ns": 0, "revision_id": "1",
        "timestamp": "2024-05-01T12:00:00Z", "encoding": "utf-8", "wikitext_chars": 0,
    }  # fmt: skip
    assert meta(rows[1][0])["redirect_to"] == "River 1"
    assert rows[4][0]["text"] == "Stub is short."  # a too-short page keeps its text for the rejects audit
    assert "has no <id>" in meta(rows[6][0])["error"] and rows[6][0]["id"] == "enwiki:page#6"


def test_the_minimum_length_and_the_kept_namespaces_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "enwiki-x.xml"
    path.write_text(dump_xml([page_xml(1, "Stub", "Short text."), page_xml(2, "Talk:Stub", PROSE, ns=1)]))
    assert reasons(read_rows(path)) == Counter({"too_short": 1, "non_article_namespace": 1})
    assert reasons(read_rows(path, min_chars=5, namespaces=[0, 1])) == Counter({"kept": 2})


def test_language_and_ids_come_from_dbname_else_file_name_and_the_manifest_overrides(tmp_path: Path) -> None:
    no_siteinfo = tmp_path / "dewiki-20240501-pages-articles.xml"
    no_siteinfo.write_text(dump_xml([article(7)], dbname=None))
    ((row, _),) = read_rows(no_siteinfo)
    assert (row["id"], row["lang"], row["url"]) == (
        "dewiki-20240501-pages-articles:7", "de", "https://de.wikipedia.org/wiki/River_7",
    )  # fmt: skip
    ((row, _),) = read_rows(no_siteinfo, lang="gsw")
    assert row["lang"] == "gsw" and row["url"].startswith("https://de.wikipedia.org/")

    simple = tmp_path / "dump.xml"
    simple.write_text(dump_xml([article(8)], dbname="simplewiki"))
    ((row, _),) = read_rows(simple)
    assert (row["id"], row["lang"], row["url"]) == ("simplewiki:8", "en", "https://simple.wikipedia.org/wiki/River_8")
    assert wiki_code(SiteInfo(dbname="zh_yuewiki"), "x.xml") == "zh-yue"
    assert wiki_code(SiteInfo(), "unknown.xml") is None and page_url(None, "X") is None


def test_ids_do_not_depend_on_batching_and_limit_caps_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "enwiki-x.xml.bz2"
    path.write_bytes(bz2.compress(dump_xml([article(i) for i in range(1, 8)]).encode()))
    assert [row["id"] for row, _ in read_rows(path, batch_size=1)] == [row["id"] for row, _ in read_rows(path)]
    assert [row["id"] for row, _ in read_rows(path, batch_size=2, limit=3)] == ["enwiki:1", "enwiki:2", "enwiki:3"]


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (lambda xml: codecs.BOM_UTF16_LE + xml.encode("utf-16-le"), "utf-16"),
        (lambda xml: codecs.BOM_UTF16_BE + xml.encode("utf-16-be"), "utf-16"),
        (lambda xml: xml.encode("utf-16-le"), "utf-16-le"),  # no BOM: "<\0" says it
        (lambda xml: codecs.BOM_UTF8 + xml.encode(), "utf-8-sig"),
        (lambda xml: ('<?xml version="1.0" encoding="windows-1251"?>\n' + xml).encode("cp1251"), "cp1251"),
    ],
)
def test_the_encoding_is_taken_from_the_bom_or_the_declaration(tmp_path: Path, encoded: Any, encoding: str) -> None:
    text = "Река Куил тече през северните хълмове и се влива в езерото Амбър. " * 4
    data = encoded(dump_xml([page_xml(1, "Куил", text)], dbname="bgwiki"))
    assert sniff_xml_encoding(data[:64]) == encoding
    path = tmp_path / "bgwiki-test.xml.bz2"
    path.write_bytes(bz2.compress(data))
    ((row, verdict),) = read_rows(path)
    assert verdict is None and row["text"] == text.strip() and meta(row)["title"] == "Куил"


def test_a_truncated_bz2_dump_yields_an_errored_row_and_keeps_the_pages_before_it(tmp_path: Path) -> None:
    xml = dump_xml([article(i, words=1500) for i in range(1, 41)]).encode()
    compressed = bz2.compress(xml, compresslevel=1)  # 100 kB blocks: the pages before the cut are decodable
    path = tmp_path / "enwiki-cut.xml.bz2"
    path.write_bytes(compressed[: len(compressed) * 3 // 4])
    rows = read_rows(path)
    *pages, (failure, verdict) = rows
    assert verdict == Verdict.error("truncated_input")
    assert 10 <= len(pages) < 40 and all(v is None for _, v in pages)
    details = meta(failure)
    assert details["last_good_page_id"] == meta(pages[-1][0])["page_id"] == str(len(pages))
    assert "enwiki-cut.xml.bz2" in details["error"] and "EOFError" in details["error"]
    assert failure["id"].startswith("enwiki-cut:truncated_input@")


def test_a_cut_uncompressed_dump_is_truncated_input_too(tmp_path: Path) -> None:
    xml = dump_xml([article(1), article(2)])
    path = tmp_path / "enwiki-cut.xml"
    path.write_text(xml[: xml.index("<page>", xml.index("<page>") + 1) + 30])
    assert [v.reason if v else "kept" for _, v in read_rows(path)] == ["kept", "truncated_input"]


def test_malformed_xml_mid_file_yields_an_errored_row_after_the_good_pages(tmp_path: Path) -> None:
    broken = "<page><title>Broken</title><ns>0</ns><id>3</id><revision><text>a < b</text></revision></page>\n"
    path = tmp_path / "enwiki-broken.xml"
    path.write_text(dump_xml([article(1), article(2), broken, article(4)]))
    rows = read_rows(path)
    assert [v.reason if v else "kept" for _, v in rows] == ["kept", "kept", "malformed_xml"]
    assert meta(rows[-1][0])["last_good_page_id"] == "2" and "ParseError" in meta(rows[-1][0])["error"]


def test_an_unreadable_file_is_one_errored_row(tmp_path: Path) -> None:
    path = tmp_path / "enwiki-not.xml.bz2"
    path.write_bytes(b"BZh9" + bytes(200))
    ((row, verdict),) = read_rows(path)
    assert verdict == Verdict.error("unreadable_input") and "OSError" in meta(row)["error"]


def test_concatenated_bz2_streams_read_like_a_multistream_dump(tmp_path: Path) -> None:
    xml = dump_xml([article(1), article(2)])
    cut = xml.index("<page>", xml.index("<page>") + 1)
    path = tmp_path / "enwiki-multistream.xml.bz2"
    path.write_bytes(bz2.compress(xml[:cut].encode()) + bz2.compress(xml[cut:].encode()))
    assert reasons(read_rows(path)) == Counter({"kept": 2})


def test_memory_stays_bounded_while_a_multi_megabyte_dump_streams(tmp_path: Path) -> None:
    filler = ("Archived discussion about the river footbridge and its repair schedule. " * 400).strip()
    pages = [page_xml(i, f"Talk:River {i}", filler, ns=1) if i % 50 else article(i) for i in range(1, 501)]
    xml = dump_xml(pages).encode()
    path = tmp_path / "enwiki-big.xml.bz2"
    path.write_bytes(bz2.compress(xml, compresslevel=1))
    assert len(xml) > 14_000_000
    small = tmp_path / "enwiki-small.xml"
    small.write_text(dump_xml([article(1)]))
    read_rows(small)  # imports done on first use (pyarrow loads pandas) are not the reader's memory

    tracemalloc.start()
    try:
        counts = reasons(read_rows(path, batch_size=64))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert counts == Counter({"non_article_namespace": 490, "kept": 10})
    assert peak < len(xml) / 4, f"peak {peak:,} bytes for a {len(xml):,}-byte dump"


# --- the real sample dumps (/work/shared/data/wikipedia, see PROVENANCE.md §3) ------------------------


@cache
def real_rows(path: str) -> list[Row]:
    return read_rows(path, batch_size=64)


def real_file(shared_data: Path, prefix: str) -> str:
    (path,) = (shared_data / "wikipedia").glob(f"{prefix}*")
    return str(path)


# file prefix → pages, pages in ns 0, redirects (PROVENANCE.md §3; None where it gives no number)
PROVENANCE = {
    "enwiki-latest": (206, None, 100),
    "jawiki": (105, 88, 12),
    "ukwiki": (110, 107, 7),
    "viwiki": (336, 77, None),
    "bgwiki": (3, 1, None),
    "enwiki-table": (5, 5, 0),
}


@pytest.mark.parametrize("prefix", PROVENANCE)
def test_page_redirect_and_namespace_counts_on_the_real_dumps_match_provenance(shared_data: Path, prefix: str) -> None:
    rows = real_rows(real_file(shared_data, prefix))
    pages, main_namespace, redirects = PROVENANCE[prefix]
    counts = reasons(rows)
    assert len(rows) == pages and "truncated_input" not in counts and "malformed_xml" not in counts
    if main_namespace is not None:
        assert sum(meta(row)["ns"] == 0 for row, _ in rows) == main_namespace
    if redirects is not None:
        assert counts["redirect"] == redirects
    # Redirects are dropped first, whatever their namespace; every other page outside ns 0 is non_article_namespace.
    outside = sum(meta(row)["ns"] != 0 and "redirect_to" not in meta(row) for row, _ in rows)
    assert counts["non_article_namespace"] == outside
    if prefix == "enwiki-latest":
        assert counts["kept"] + counts["too_short"] == 106  # "106 are articles"


def test_the_utf16_bgwiki_dump_decodes_to_bulgarian_text(shared_data: Path) -> None:
    rows = real_rows(real_file(shared_data, "bgwiki"))
    (row,) = [row for row, verdict in rows if verdict is None]
    letters = [c for c in row["text"] if c.isalpha()]
    assert sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.9
    assert row["lang"] == "bg" and row["url"].startswith("https://bg.wikipedia.org/wiki/")
    assert meta(row)["encoding"] == "utf-16" and row["id"].startswith("bgwiki:")


def test_table_heavy_pages_lose_their_tables_and_keep_their_prose(shared_data: Path) -> None:
    rows = real_rows(real_file(shared_data, "enwiki-table"))
    assert all(verdict is None for _, verdict in rows)
    for row, _ in rows:
        assert not any(mark in row["text"] for mark in ("{|", "|}", "|-", "wikitable", "||", "colspan"))
    awards = next(row for row, _ in rows if meta(row)["title"] == "Academy Award for Best Production Design")
    assert "recognizes achievement for art direction in film" in awards["text"]
    assert len(awards["text"]) < meta(awards)["wikitext_chars"] / 20  # the page is mostly tables of nominees


@pytest.mark.parametrize("prefix", ["enwiki-latest", "jawiki", "ukwiki", "viwiki"])
def test_real_articles_lose_their_markup_and_carry_their_language(shared_data: Path, prefix: str) -> None:
    rows = real_rows(real_file(shared_data, prefix))
    kept = [row for row, verdict in rows if verdict is None]
    assert {row["lang"] for row in kept} == {prefix[:2]}
    for row in kept:
        assert not any(mark in row["text"] for mark in ("<ref", "{|", "[[File:", "[[Category:", "|thumb|", "<!--"))


# --- through the engine ---------------------------------------------------------------------------------


def test_the_bundled_samples_run_through_the_engine(tmp_path: Path) -> None:
    source = {
        "name": "wikipedia",
        "kind": "wikipedia",
        "paths": [str(REPO / "manifests" / "samples" / "wikipedia" / "*wiki-*")],
        "min_chars": 200,
        "stages": [],
    }
    path = write_source_manifest(tmp_path / "wikipedia.yaml", tmp_path / "out", source, batch_size=4)
    outcome = run(path)
    assert outcome.stats["accounting"]["ok"]
    (read,) = outcome.stats["sources"]["wikipedia"]["stages"]
    assert (read["in"], read["kept"]) == (14, 5)
    assert read["dropped"] == {"redirect": 4, "non_article_namespace": 4, "too_short": 1} and not read["errored"]
    docs = kept_documents(tmp_path / "out")
    assert sorted(docs) == ["bgwiki:301", "dewiki:201", "dewiki:202", "enwiki:101", "enwiki:102"]
    assert {doc["lang"] for doc in docs.values()} == {"en", "de", "bg"}
    assert "Regengarten ist eine flache" in docs["dewiki:201"]["text"] and "Datei" not in docs["dewiki:201"]["text"]
    assert rejected_rows(tmp_path / "out")["dewiki:203"] == ("read", "dropped", "redirect")
