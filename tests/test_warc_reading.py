from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

from stages.base import PartSpec, part_id_for
from stages.sources.common_crawl import CommonCrawlConfig, CommonCrawlSource
from stages.sources.warc_records import iter_warc_records
from tests.warc_factory import ARTICLE, WarcBuilder, html_page


def _read(path: Path) -> list[tuple[dict, object]]:
    source = CommonCrawlSource("cc", CommonCrawlConfig())
    part = PartSpec("cc", part_id_for(str(path)), str(path))
    rows = []
    for result in source.read(part, batch_size=4, limit=None):
        rows.extend(zip(result.batch.to_pylist(), result.verdicts, strict=True))
    return rows


def _mixed_builder(gzipped: bool = True) -> WarcBuilder:
    builder = WarcBuilder(gzip=gzipped)
    builder.record("", "warcinfo", b"software: tests\r\n")
    builder.request("https://a.example.test/")
    builder.response("https://a.example.test/", html_page("A", ARTICLE).encode(), "text/html; charset=utf-8")
    builder.record("https://a.example.test/", "metadata", b"fetchTimeMs: 3\r\n")
    builder.response("https://a.example.test/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    builder.response("https://a.example.test/missing", b"<html>gone</html>", "text/html", "404 Not Found")
    builder.record("dns:a.example.test", "response", b"a.example.test. 60 IN A 192.0.2.7\n", "text/dns")
    return builder


def test_every_record_becomes_one_row_with_a_named_reason(tmp_path: Path) -> None:
    rows = _read(_mixed_builder().save(tmp_path / "mixed.warc.gz"))
    reasons = Counter(v.reason if v else "kept" for _, v in rows)
    assert reasons == Counter(
        {
            "kept": 1,
            "warc_warcinfo": 1,
            "warc_request": 1,
            "warc_metadata": 1,
            "not_html": 1,
            "http_not_ok": 1,
            "dns_record": 1,
        }
    )
    kept = next(row for row, verdict in rows if verdict is None)
    assert kept["url"] == "https://a.example.test/"
    assert b"The river" in kept["html"]
    assert '"warc_record_id": "<urn:uuid:' in kept["meta"] and '"warc_date": "2024-01-02T03:04:05Z"' in kept["meta"]


def test_uncompressed_warc_reads_the_same_records(tmp_path: Path) -> None:
    rows = _read(_mixed_builder(gzipped=False).save(tmp_path / "mixed.warc"))
    assert len(rows) == 7
    assert sum(v is None for _, v in rows) == 1


def test_truncated_gzip_member_is_counted_as_errored_and_the_rest_of_the_file_is_read(tmp_path: Path) -> None:
    # Record ids are random, so the compressed bytes differ per file: some cuts make the decoder fail at once,
    # others make it run on into the next member (caught by the block digest). Both must recover record 3.
    for trial in range(12):
        builder = WarcBuilder()
        builder.response("https://a.example.test/1", html_page("one", ARTICLE).encode())
        broken = builder.response("https://a.example.test/2", html_page("two", ARTICLE).encode())
        builder.members[-1] = broken[: len(broken) // 2]  # cut in the middle of the deflate stream
        builder.response("https://a.example.test/3", html_page("three", ARTICLE).encode())
        path = builder.save(tmp_path / f"cut-{trial}.warc.gz")
        broken_offset = builder.offsets()[1]

        rows = _read(path)
        assert [row["url"] for row, verdict in rows if verdict is None] == [
            "https://a.example.test/1",
            "https://a.example.test/3",
        ]
        errored = [(row, verdict) for row, verdict in rows if verdict is not None]
        assert len(errored) == 1
        row, verdict = errored[0]
        assert verdict.fate == "errored" and verdict.reason in ("corrupt_gzip", "digest_mismatch")
        assert row["id"] == f"cut-{trial}.warc.gz@{broken_offset}"
        assert str(path) in row["meta"] and f'"warc_offset": {broken_offset}' in row["meta"]


def test_a_record_whose_block_digest_does_not_match_is_errored(tmp_path: Path) -> None:
    builder = WarcBuilder(gzip=False)
    builder.response("https://a.example.test/1", html_page("one", ARTICLE).encode())
    builder.members[0] = builder.members[0].replace(b"The river", b"The rivet")
    builder.response("https://a.example.test/2", html_page("two", ARTICLE).encode())
    rows = _read(builder.save(tmp_path / "tampered.warc"))
    assert [(row["url"], v.reason if v else None) for row, v in rows] == [
        ("https://a.example.test/1", "digest_mismatch"),
        ("https://a.example.test/2", None),
    ]


def test_corrupt_deflate_data_mid_file_is_skipped_to_the_next_member(tmp_path: Path) -> None:
    builder = WarcBuilder()
    builder.response("https://a.example.test/1", html_page("one", ARTICLE).encode())
    damaged = bytearray(builder.response("https://a.example.test/2", html_page("two", ARTICLE * 3).encode()))
    damaged[30:50] = bytes(20)
    builder.members[-1] = bytes(damaged)
    builder.response("https://a.example.test/3", html_page("three", ARTICLE).encode())
    rows = _read(builder.save(tmp_path / "damaged.warc.gz"))
    assert Counter(v.reason if v else "kept" for _, v in rows) == Counter({"kept": 2, "corrupt_gzip": 1})


def test_a_file_truncated_inside_its_last_record_reports_it(tmp_path: Path) -> None:
    builder = WarcBuilder()
    builder.response("https://a.example.test/1", html_page("one", ARTICLE).encode())
    last = builder.response("https://a.example.test/2", html_page("two", ARTICLE * 20).encode())
    builder.members[-1] = last[: int(len(last) * 0.8)]
    rows = _read(builder.save(tmp_path / "end.warc.gz"))
    assert [v.reason for _, v in rows if v] == ["truncated_record"]


def test_missing_file_is_one_errored_row_naming_it(tmp_path: Path) -> None:
    rows = _read(tmp_path / "nowhere.warc.gz")
    assert len(rows) == 1
    row, verdict = rows[0]
    assert verdict.reason == "unreadable_file"
    assert "nowhere.warc.gz" in row["meta"]


def test_wet_conversion_records_are_kept_as_text(tmp_path: Path) -> None:
    builder = WarcBuilder()
    builder.record("https://t.example.test/", "conversion", b"Plain words, already extracted.\n", "text/plain")
    rows = _read(builder.save(tmp_path / "x.warc.wet.gz"))
    assert rows[0][1] is None
    assert rows[0][0]["text"].startswith("Plain words") and rows[0][0]["html"] is None


def test_real_common_crawl_file_yields_its_sixteen_html_responses(shared_data: Path) -> None:
    rows = _read(shared_data / "warc" / "cc-main-2020-34-resiliparse-sample.warc.gz")
    reasons = Counter(v.reason if v else "kept" for _, v in rows)
    assert reasons == Counter({"kept": 16, "warc_request": 17, "warc_metadata": 16, "warc_warcinfo": 1})


def test_real_heritrix_crawl_drops_dns_and_non_html(shared_data: Path) -> None:
    rows = _read(shared_data / "warc" / "heritrix-archive-org-2008-blackbook.warc.gz")
    reasons = Counter(v.reason if v else "kept" for _, v in rows)
    assert len(rows) == 822
    assert reasons["dns_record"] == 38
    assert reasons["kept"] + reasons["not_html"] + reasons["http_not_ok"] == 299 - 38
    assert reasons["not_html"] >= 37 + 55  # text/plain and images at least
    assert not [r for r in reasons if r in ("corrupt_gzip", "truncated_record")]


def test_real_wet_file_reads_its_conversion_record(shared_data: Path) -> None:
    items = list(iter_warc_records(str(shared_data / "warc" / "cc-main-2024-22-whirlwind.warc.wet.gz")))
    assert [i.warc_type for i in items] == ["warcinfo", "conversion"]
    assert "Escopete" in (items[1].payload or b"").decode()


def test_gzip_content_encoding_is_undone(tmp_path: Path) -> None:
    body = gzip.compress(html_page("zipped", ARTICLE).encode())
    builder = WarcBuilder()
    builder.response("https://z.example.test/", body, "text/html", extra_headers=(("Content-Encoding", "gzip"),))
    rows = _read(builder.save(tmp_path / "zipped.warc.gz"))
    assert rows[0][1] is None and b"The river" in rows[0][0]["html"]
