"""Builds small WARC files for tests: every byte is generated here."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def html_page(title: str, paragraphs: list[str], charset_meta: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head>{meta}<title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>"
    )


ARTICLE = [
    "The river that runs through the old town floods almost every spring, and the bakers on its bank "
    "have learned to keep their flour on the highest shelves of their shops.",
    "This year the council finally built a low wall along the water, paid for by a small tax on the "
    "tourist boats that carry visitors past the mills each summer afternoon.",
    "Residents say the wall is ugly but useful, and the children already use it as a bench while they "
    "watch the ducks and the fishermen on the far bank.",
]


@dataclass
class WarcBuilder:
    """Appends records as separate gzip members (as Common Crawl does), or uncompressed."""

    gzip: bool = True
    members: list[bytes] = field(default_factory=list)

    def _write(self, make) -> bytes:  # type: ignore[no-untyped-def]
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=self.gzip)
        writer.write_record(make(writer))
        data = buffer.getvalue()
        self.members.append(data)
        return data

    def response(
        self,
        url: str,
        body: bytes,
        content_type: str = "text/html",
        status: str = "200 OK",
        extra_headers: tuple[tuple[str, str], ...] = (),
    ) -> bytes:
        http = StatusAndHeaders(status, [("Content-Type", content_type), *extra_headers], protocol="HTTP/1.1")
        return self._write(
            lambda w: w.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-01-02T03:04:05Z"},
            )
        )

    def record(self, url: str, record_type: str, body: bytes, content_type: str = "application/warc-fields") -> bytes:
        return self._write(
            lambda w: w.create_warc_record(url, record_type, payload=io.BytesIO(body), warc_content_type=content_type)
        )

    def request(self, url: str) -> bytes:
        return self.record(url, "request", b"GET / HTTP/1.1\r\n\r\n", "application/http; msgtype=request")

    def raw(self, data: bytes) -> None:
        self.members.append(data)

    def offsets(self) -> list[int]:
        positions, total = [], 0
        for member in self.members:
            positions.append(total)
            total += len(member)
        return positions

    def save(self, path: Path) -> Path:
        path.write_bytes(b"".join(self.members))
        return path


def article_warc(path: Path, count: int, start: int = 0) -> Path:
    """A WARC of ``count`` distinct HTML articles, each with a request record before it."""
    builder = WarcBuilder()
    for index in range(start, start + count):
        url = f"https://news.example.test/story/{index}"
        builder.request(url)
        paragraphs = [f"Story number {index}. {ARTICLE[index % 3]}", *ARTICLE]
        builder.response(url, html_page(f"Story {index}", paragraphs).encode("utf-8"), "text/html; charset=utf-8")
    return builder.save(path)
