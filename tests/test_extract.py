from __future__ import annotations

import json
import time

import pyarrow as pa
import pytest

from stages.base import build_batch, meta_json
from stages.extract import Extract, ExtractConfig
from stages.html_text import UndecodableHTML, decode_html, drop_repeated_tail, nesting_depth_exceeds
from stages.sources.common_crawl import RAW_HTML_SCHEMA
from stages.time_limit import TimeLimitExceeded, time_limit
from tests.warc_factory import ARTICLE, html_page


def _batch(*pages: tuple[bytes, str]) -> pa.Table:
    rows = [
        {
            "id": f"t@{i}",
            "source": "cc",
            "url": f"https://x.test/{i}",
            "html": raw,
            "meta": meta_json({"content_type": content_type}),
        }
        for i, (raw, content_type) in enumerate(pages)
    ]
    return build_batch(rows, RAW_HTML_SCHEMA)


def _extract(config: ExtractConfig, *pages: tuple[bytes, str]) -> list[tuple[str | None, str | None]]:
    stage = Extract(config)
    stage.setup()
    result = stage.process(_batch(*pages))
    assert "html" not in result.batch.column_names
    texts = result.batch.column("text").to_pylist()
    return [(text, verdict.reason if verdict else None) for text, verdict in zip(texts, result.verdicts, strict=True)]


def test_article_text_is_extracted_without_navigation() -> None:
    [(text, reason)] = _extract(ExtractConfig(), (html_page("Floods", ARTICLE).encode(), "text/html"))
    assert reason is None
    assert "bakers on its bank" in text and "Home" not in text


def test_utf8_page_mislabelled_as_latin1_is_decoded_as_utf8() -> None:
    paragraphs = ["Le café près de l'église a rouvert ses portes après les travaux de l'été dernier.", *ARTICLE]
    raw = html_page("Café", paragraphs, charset_meta="iso-8859-1").encode("utf-8")
    [(text, reason)] = _extract(ExtractConfig(), (raw, "text/html; charset=ISO-8859-1"))
    assert reason is None and "café près de l'église" in text


def test_latin1_page_with_its_charset_declared_is_decoded_correctly() -> None:
    paragraphs = ["Der Bäcker in der Straße verkauft frühmorgens Brötchen für die Nachbarschaft.", *ARTICLE]
    raw = html_page("Bäcker", paragraphs, charset_meta=None).encode("iso-8859-1")
    [(text, reason)] = _extract(ExtractConfig(), (raw, "text/html; charset=iso-8859-1"))
    assert reason is None and "Bäcker in der Straße" in text


def test_binary_payload_labelled_html_is_errored_not_extracted() -> None:
    raw = bytes(range(256)) * 64
    with pytest.raises(UndecodableHTML):
        decode_html(raw)
    [(text, reason)] = _extract(ExtractConfig(), (raw, "text/html"))
    assert text is None and reason == "undecodable"


def test_a_20_mb_page_is_errored_as_too_large_without_being_parsed() -> None:
    huge = ("<html><body>" + "<p>" + "filler words " * 200 + "</p>" * 1) * 7000 + "</body></html>"
    raw = huge.encode()
    assert len(raw) > 18_000_000
    started = time.perf_counter()
    [(text, reason)] = _extract(ExtractConfig(), (raw, "text/html"))
    assert reason == "html_too_large" and text is None
    assert time.perf_counter() - started < 5


def test_deeply_nested_html_does_not_stall_the_worker() -> None:
    depth = 100_000
    raw = ("<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>").encode()
    ok_page = (html_page("Fine", ARTICLE).encode(), "text/html")
    started = time.perf_counter()
    default = _extract(ExtractConfig(timeout_s=10), (raw, "text/html"), ok_page)
    resiliparse = _extract(ExtractConfig(engine="resiliparse", timeout_s=10), (raw, "text/html"), ok_page)
    assert time.perf_counter() - started < 10  # resiliparse alone would need minutes at this depth
    assert [reason for _, reason in default] == ["no_main_text", None]
    assert [reason for _, reason in resiliparse] == ["html_too_deep", None]


def test_ordinary_pages_with_unclosed_paragraphs_are_not_too_deep() -> None:
    page = "<html><body><div>" + "<p>paragraph without an end tag" * 5000 + "</div></body></html>"
    assert not nesting_depth_exceeds(page)
    assert nesting_depth_exceeds("<span>" * 3001)


def test_a_document_that_exceeds_the_time_limit_is_errored_and_the_batch_goes_on() -> None:
    big = html_page("Long", ARTICLE * 3000).encode()  # several seconds of trafilatura work
    small = html_page("Short", ARTICLE).encode()
    started = time.perf_counter()
    results = _extract(
        ExtractConfig(timeout_s=0.2, max_html_bytes=50_000_000), (big, "text/html"), (small, "text/html")
    )
    assert [reason for _, reason in results] == ["extract_timeout", None]
    assert time.perf_counter() - started < 5


def test_time_limit_also_interrupts_code_on_a_worker_thread() -> None:
    import threading

    outcome: list[str] = []

    def spin() -> None:
        try:
            with time_limit(0.1):
                while True:
                    pass
        except TimeLimitExceeded:
            outcome.append("interrupted")

    worker = threading.Thread(target=spin)
    worker.start()
    worker.join(timeout=5)
    assert outcome == ["interrupted"]


def test_rows_without_html_pass_through_untouched() -> None:
    batch = build_batch(
        [{"id": "w@0", "source": "cc", "text": "already text", "meta": json.dumps({})}], RAW_HTML_SCHEMA
    )
    result = Extract(ExtractConfig()).process(batch)
    assert result.verdicts == [None] and result.batch.column("text").to_pylist() == ["already text"]


def test_a_verbatim_repeat_of_the_text_is_removed_but_single_repeated_lines_stay() -> None:
    assert drop_repeated_tail("Title\nA\nB\nC\nA\nB\nC") == "Title\nA\nB\nC"
    assert drop_repeated_tail("A\nB\nA") == "A\nB\nA"


def test_a_short_chinese_article_is_extracted_once() -> None:
    paragraphs = ["每到周末傍晚，河边的空地就变成了热闹的夜间市场。", "许多年轻人把这里当作和朋友聚会的地方。"]
    [(text, reason)] = _extract(ExtractConfig(), (html_page("夜间市场", paragraphs).encode(), "text/html"))
    assert reason is None and text.count("许多年轻人") == 1
