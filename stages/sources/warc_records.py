"""Fault-tolerant WARC/WET record iteration on top of FastWARC.

FastWARC stops at the first corrupt gzip member. Common Crawl compresses every
record as its own gzip member, so after a broken member we search for the next
member header and go on: one bad record costs one record, not the rest of a 1 GB
file. Uncompressed files resynchronise on the next ``WARC/1.x`` version line.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import fsspec
from fastwarc.warc import ArchiveIterator, WarcRecordType

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_VERSION_LINE = (b"WARC/1.0\r\n", b"WARC/1.1\r\n")
_SCAN_CHUNK = 1 << 20
_PAYLOAD_TYPES = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.conversion


@dataclass
class WarcItem:
    """One WARC record, or one unreadable stretch of the file (``error`` set)."""

    offset: int
    warc_type: str | None = None
    target_uri: str | None = None
    record_id: str | None = None
    date: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    identified_type: str | None = None
    payload: bytes | None = None
    error: str | None = None
    detail: str | None = None


def iter_warc_records(uri: str) -> Iterator[WarcItem]:
    """Every record of a WARC or WET file (gzip per record, or plain), in file order."""
    with fsspec.open(uri, "rb", compression=None) as stream:
        head = stream.read(3)
        gzipped = head == GZIP_MAGIC
        position = 0
        while position is not None:
            stream.seek(position)
            position = yield from _read_until_failure(stream, gzipped)


def _read_until_failure(stream: IO[bytes], gzipped: bool) -> Iterator[WarcItem]:
    """Read records until the end (returns None) or a broken one (returns where to resume)."""
    start = stream.tell()
    last_offset = start - 1
    try:
        for record in ArchiveIterator(stream, parse_http=False):
            last_offset = record.stream_pos
            item = _item_from(record)
            yield item
            if item.error == "digest_mismatch":
                # The block ran into the following member(s): restart right after this record's start.
                return _next_sync_point(stream, item.offset + 1, gzipped)
        return None
    except Exception as exc:  # FastWARC raises OSError or ValueError variants on corrupt input
        bad_start = _next_sync_point(stream, last_offset + 1, gzipped)
        if bad_start is None:
            bad_start = last_offset + 1
        reason = "corrupt_gzip" if gzipped else "malformed_record"
        yield WarcItem(offset=bad_start, error=reason, detail=f"{type(exc).__name__}: {exc}")
        return _next_sync_point(stream, bad_start + 1, gzipped)


def _item_from(record: object) -> WarcItem:
    headers = record.headers  # type: ignore[attr-defined]
    item = WarcItem(
        offset=record.stream_pos,  # type: ignore[attr-defined]
        warc_type=headers.get("WARC-Type"),
        target_uri=headers.get("WARC-Target-URI"),
        record_id=headers.get("WARC-Record-ID"),
        date=headers.get("WARC-Date"),
        identified_type=headers.get("WARC-Identified-Payload-Type"),
    )
    declared = headers.get("Content-Length")
    if "\n" in (item.warc_type or ""):
        item.warc_type = None
        item.error, item.detail = "malformed_record", "WARC headers are not CRLF-delimited"
        return item
    if declared is None or not declared.strip().isdigit():
        item.error, item.detail = "truncated_record", "WARC header block is incomplete (no Content-Length)"
        return item
    if not record.record_type & _PAYLOAD_TYPES:  # type: ignore[attr-defined]
        return item
    block = record.reader.read()  # type: ignore[attr-defined]
    if len(block) < int(declared):
        item.error = "truncated_record"
        item.detail = f"record block has {len(block)} of {declared} declared bytes"
        return item
    if block_digest_matches(block, headers.get("WARC-Block-Digest")) is False:
        item.error, item.detail = "digest_mismatch", "WARC-Block-Digest does not match the record block"
        return item
    if record.record_type == WarcRecordType.response and block.startswith(b"HTTP/"):  # type: ignore[attr-defined]
        item.http_status, item.content_type, item.payload = _split_http(block)
    else:
        item.content_type = headers.get("Content-Type")
        item.payload = block
    return item


def block_digest_matches(block: bytes, declared: str | None) -> bool | None:
    """Whether ``block`` has the declared ``algorithm:value`` digest (base32 or hex); None if unknown."""
    if not declared or ":" not in declared:
        return None
    algorithm, _, value = declared.partition(":")
    algorithm = algorithm.strip().lower().replace("-", "")
    if algorithm not in ("sha1", "sha256", "md5"):
        return None
    digest = hashlib.new(algorithm, block).digest()
    value = value.strip()
    return value.upper() == base64.b32encode(digest).decode() or value.lower() == digest.hex()


def _split_http(block: bytes) -> tuple[int | None, str | None, bytes]:
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    status: int | None = None
    if lines:
        parts = lines[0].split(None, 2)
        if len(parts) >= 2 and parts[1].isdigit():
            status = int(parts[1])
    content_type = encoding = None
    for line in lines[1:]:
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key == "content-type":
            content_type = value.strip()
        elif key == "content-encoding":
            encoding = value.strip().lower()
    return status, content_type, _decode_content(body, encoding)


def _decode_content(body: bytes, encoding: str | None) -> bytes:
    """Undo gzip/deflate Content-Encoding; crawlers that store payloads as sent leave it on."""
    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            return zlib.decompress(body, wbits=47)  # 47: gzip or zlib header, detected
        except zlib.error:
            if encoding == "deflate":
                try:
                    return zlib.decompress(body, wbits=-15)  # raw deflate, as some servers send it
                except zlib.error:
                    pass
    return body


def _next_sync_point(stream: IO[bytes], start: int, gzipped: bool) -> int | None:
    """Offset of the next gzip member header (or WARC version line) at or after ``start``."""
    markers = (GZIP_MAGIC,) if gzipped else WARC_VERSION_LINE
    overlap = max(len(m) for m in markers) - 1
    position = start
    while True:
        stream.seek(position)
        chunk = stream.read(_SCAN_CHUNK)
        if not chunk:
            return None
        hits = [i for i in (chunk.find(m) for m in markers) if i >= 0]
        if hits:
            return position + min(hits)
        if len(chunk) <= overlap:
            return None
        position += len(chunk) - overlap
