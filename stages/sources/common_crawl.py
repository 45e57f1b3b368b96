"""Common Crawl WARC and WET files as documents.

Every WARC record becomes one row. HTML responses with status 200 are kept with
their raw bytes in ``html`` for the extract stage; WET ``conversion`` records are
kept with their text; everything else is dropped or errored with a named reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import pyarrow as pa
from pydantic import Field

from stages.base import PartSpec, SourceReader, StageConfig, StageResult, Verdict, batched_results, meta_json
from stages.registry import register_source
from stages.sources.warc_records import WarcItem, iter_warc_records

HTML_TYPES = ("text/html", "application/xhtml+xml")
RAW_HTML_SCHEMA = pa.schema([("html", pa.binary())])


class CommonCrawlConfig(StageConfig):
    keep_status: list[int] = Field(default=[200], description="HTTP status codes kept.")


@register_source
class CommonCrawlSource(SourceReader[CommonCrawlConfig]):
    kind = "common_crawl"
    config_model = CommonCrawlConfig

    def read(self, part: PartSpec, batch_size: int, limit: int | None) -> Iterator[StageResult]:
        yield from batched_results(self._rows(part), batch_size, limit, RAW_HTML_SCHEMA)

    def _rows(self, part: PartSpec) -> Iterator[tuple[dict[str, Any], Verdict | None]]:
        file_name = PurePosixPath(part.uri).name
        try:
            for item in iter_warc_records(part.uri):
                yield self._row(file_name, part.uri, item)
        except OSError as exc:
            # The file could not be opened or read on: one errored row stands for the rest of it.
            yield self._error_row(file_name, part.uri, f"{type(exc).__name__}: {exc}"), Verdict.error("unreadable_file")

    def _error_row(self, file_name: str, uri: str, detail: str) -> dict[str, Any]:
        meta = {"warc_file": uri, "error": detail}
        return {"id": f"{file_name}@unreadable", "source": self.source_name, "meta": meta_json(meta)}

    def _row(self, file_name: str, uri: str, item: WarcItem) -> tuple[dict[str, Any], Verdict | None]:
        meta: dict[str, Any] = {
            "warc_file": uri,
            "warc_offset": item.offset,
            "warc_type": item.warc_type,
            "warc_record_id": item.record_id,
            "warc_date": item.date,
            "http_status": item.http_status,
            "content_type": item.content_type,
        }
        if item.detail:
            meta["error"] = item.detail
        row: dict[str, Any] = {
            "id": f"{file_name}@{item.offset}",
            "source": self.source_name,
            "url": item.target_uri,
            "meta": meta_json(meta),
        }
        verdict = self._verdict(item)
        if verdict is None:
            if item.warc_type == "conversion":
                row["text"] = (item.payload or b"").decode("utf-8", "replace")
            else:
                row["html"] = item.payload
        return row, verdict

    def _verdict(self, item: WarcItem) -> Verdict | None:
        if item.error:
            return Verdict.error(item.error)
        if item.warc_type == "conversion":
            return None if item.payload and item.payload.strip() else Verdict.drop("empty_payload")
        if item.warc_type != "response":
            return Verdict.drop(f"warc_{item.warc_type or 'unknown'}")
        if (item.target_uri or "").startswith("dns:"):
            return Verdict.drop("dns_record")
        if item.http_status is None:
            return Verdict.drop("no_http_response")
        if item.http_status not in self.config.keep_status:
            return Verdict.drop("http_not_ok")
        media_type = (item.content_type or item.identified_type or "").split(";")[0].strip().lower()
        if media_type not in HTML_TYPES:
            return Verdict.drop("not_html")
        if not item.payload:
            return Verdict.drop("empty_payload")
        return None
