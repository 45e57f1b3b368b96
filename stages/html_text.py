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

ExtractEngine = Literal[
    "trafilatura_precision_rescue",
    "trafilatura_fast_rescue",
    "trafilatura",
    "resiliparse",
    "trafilatura_then_resiliparse",
]
EXTRACT_ENGINES: tuple[str, ...] = (
    "trafilatura_precision_rescue",
    "trafilatura_fast_rescue",
    "trafilatura",
    "resiliparse",
    "trafilatura_then_resiliparse",
)
# Resiliparse's text replaces trafilatura's when trafilatura kept less than this share of it: trafilatura
# then cut the page down to a fragment. Results on the benchmark are the same anywhere in 0.2-0.4 (docs/extraction.md).
RESCUE_RATIO = 0.2

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


class UndecodableHTML(ValueError):
    """The payload is not text in any encoding we can identify."""


class HTMLTooDeep(ValueError):
    """Element nesting so deep that an HTML5 tree builder would take minutes (it is quadratic in depth)."""


# Resiliparse's tree builder runs in C, where no time limit can interrupt it, and takes ~1 s at depth
# 5,000 and ~13 s at 20,000 on this machine. Real pages stay in the hundreds.
MAX_NESTING_DEPTH = 3000
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
# Void elements never nest; these close themselves implicitly, so pages often omit their end tags.
_NON_NESTING = frozenset(
    b"area base br col embed hr img input link meta param source track wbr p li dt dd option tr td th".split()
)


def nesting_depth_exceeds(html: str, limit: int = MAX_NESTING_DEPTH) -> bool:
    """Whether open tags (minus closed ones, ignoring void and self-closing elements) ever exceed ``limit``."""
    if html.count("<") < limit:
        return False
    depth = 0
    for match in _TAG.finditer(html.encode("utf-8", "ignore")):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _NON_NESTING:
            continue
        depth += -1 if closing else 1
        if depth > limit:
            return True
    return False


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


def drop_repeated_tail(text: str) -> str:
    """Remove a verbatim repeat of the last lines ("A B C A B C" -> "A B C").

    Trafilatura 1.11 sometimes returns the main text twice when its first pass finds
    little text by character count (short pages, CJK) and it appends its fallback's
    output. Its own ``deduplicate`` option uses a process-wide cache, which would make
    output depend on document order, so we undo the repeat here.
    """
    lines = text.split("\n")
    changed = True
    while changed:
        changed = False
        for size in range(len(lines) // 2, 0, -1):
            if lines[-2 * size : -size] == lines[-size:]:
                lines = lines[:-size]
                changed = True
                break
    return "\n".join(lines)


def extract_trafilatura(html: str, url: str | None = None, **options: bool) -> str:
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True, deduplicate=False, **options)
    return drop_repeated_tail(text) if text else ""


def extract_trafilatura_rescued(html: str, url: str | None = None, *, fast: bool = False) -> str:
    """Trafilatura (precise, or fast without its fallbacks), rescued by resiliparse when it keeps a fragment."""
    text = extract_trafilatura(html, url, **({"no_fallback": True} if fast else {"favor_precision": True}))
    if nesting_depth_exceeds(html):
        return text  # trafilatura's parser caps the depth itself; resiliparse's would take minutes
    full = extract_resiliparse(html, url)
    return full if len(text) < RESCUE_RATIO * len(full) else text


def extract_resiliparse(html: str, url: str | None = None) -> str:
    if nesting_depth_exceeds(html):
        raise HTMLTooDeep(f"element nesting deeper than {MAX_NESTING_DEPTH}")
    tree = HTMLTree.parse(html)
    return extract_plain_text(tree, main_content=True, preserve_formatting=True, list_bullets=False, alt_texts=False)


def extract_main_text(html: str, engine: ExtractEngine = "trafilatura_precision_rescue", url: str | None = None) -> str:
    """Main text of a page, or "" when the engine finds none."""
    if engine == "trafilatura_precision_rescue":
        return extract_trafilatura_rescued(html, url)
    if engine == "trafilatura_fast_rescue":
        return extract_trafilatura_rescued(html, url, fast=True)
    if engine == "trafilatura":
        return extract_trafilatura(html, url)
    if engine == "resiliparse":
        return extract_resiliparse(html, url)
    if engine == "trafilatura_then_resiliparse":
        return extract_trafilatura(html, url) or extract_resiliparse(html, url)
    raise ValueError(f"unknown extraction engine {engine!r}; expected one of {EXTRACT_ENGINES}")
