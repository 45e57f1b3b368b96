"""HTML bytes to main text: charset decoding and the main-content extractors.

Kept free of the stage machinery so benchmarks and tests can call the engines directly.
"""

from __future__ import annotations

import re
from typing import Literal

import trafilatura
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding
from resiliparse.parse.html import HTMLTree

ExtractEngine = Literal["trafilatura", "resiliparse", "trafilatura_then_resiliparse"]
EXTRACT_ENGINES: tuple[str, ...] = ("trafilatura", "resiliparse", "trafilatura_then_resiliparse")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


class UndecodableHTML(ValueError):
    """The payload is not text in any encoding we can identify."""


def declared_charset(content_type: str | None, head: bytes) -> str | None:
    """The charset named by the HTTP Content-Type header, else by a <meta> tag."""
    if content_type:
        for param in content_type.split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
    match = _META_CHARSET.search(head[:4096])
    return match.group(1).decode("ascii", "ignore").lower() if match else None


def decode_html(raw: bytes, declared: str | None = None, max_replacement_ratio: float = 0.05) -> str:
    """Decode an HTML payload.

    Valid UTF-8 wins over any declaration: servers often label UTF-8 pages as
    ISO-8859-1, and a non-ASCII byte sequence that happens to be valid UTF-8 is
    almost never anything else. Then the declared charset, then detection.
    """
    if b"\x00" in raw[:2048] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UndecodableHTML("binary payload (NUL bytes in the first 2 KiB)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared.replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    text = bytes_to_str(raw, detect_encoding(raw))
    if text.count("\ufffd") > max_replacement_ratio * max(len(text), 1):
        raise UndecodableHTML("more than 5% of the characters could not be decoded")
    return text


def extract_trafilatura(html: str, url: str | None = None) -> str:
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True, deduplicate=False)
    return text or ""


def extract_resiliparse(html: str, url: str | None = None) -> str:
    tree = HTMLTree.parse(html)
    return extract_plain_text(tree, main_content=True, preserve_formatting=True, list_bullets=False, alt_texts=False)


def extract_main_text(html: str, engine: ExtractEngine = "trafilatura", url: str | None = None) -> str:
    """Main text of a page, or "" when the engine finds none."""
    if engine == "trafilatura":
        return extract_trafilatura(html, url)
    if engine == "resiliparse":
        return extract_resiliparse(html, url)
    if engine == "trafilatura_then_resiliparse":
        return extract_trafilatura(html, url) or extract_resiliparse(html, url)
    raise ValueError(f"unknown extraction engine {engine!r}; expected one of {EXTRACT_ENGINES}")
