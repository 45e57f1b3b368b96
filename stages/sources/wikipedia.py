"""Wikipedia ``pages-articles`` XML dumps as documents, cleaned by the LLaMA / RedPajama-v1 recipe.

A dump (``.xml``, ``.xml.bz2``, also gzip or xz, in any encoding XML allows) is streamed through expat: the
decompressor feeds a pull parser one chunk at a time and every ``<page>`` is released once it has become a row,
so memory holds one page, never the dump. Every page is one row: an article kept with its text cleaned by
``stages.sources.wikitext``, a redirect or a page outside the kept namespaces dropped with a reason, or a page
too short once cleaned. When the rest of the file cannot be read (a cut bz2 stream, broken XML), one errored row
names the file and the last good page, and the part ends there.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

import fsspec
from pydantic import Field

from stages.base import PartSpec, SourceReader, StageConfig, StageResult, Verdict, batched_results, meta_json
from stages.registry import register_source
from stages.sources.wikitext import LinkNamespaces, clean_wikitext, is_redirect_text, link_namespaces

CHUNK_BYTES = 1 << 18  # decompressed bytes per parser feed: bounds the pages parsed but not yet released
SNIFF_BYTES = 256  # enough for a byte order mark and an XML declaration
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COMPRESSION_MAGIC: tuple[tuple[bytes, Callable[[IO[bytes]], IO[bytes]]], ...] = (
    (b"BZh", lambda raw: bz2.BZ2File(raw)),  # multistream dumps too: BZ2File reads concatenated streams
    (b"\x1f\x8b", lambda raw: gzip.GzipFile(fileobj=raw)),
    (b"\xfd7zXZ\x00", lambda raw: lzma.LZMAFile(raw)),
)
# XML 1.0 Appendix F: the byte order mark names the encoding (UTF-32 first: its LE mark starts like UTF-16's).
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
XML_DECLARATION_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
EXPAT_BYTE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "ascii"})  # fed as bytes; anything else is decoded here
WIKI_DBNAME = re.compile(r"^([a-z][a-z0-9_]*?)wiki$")
WIKI_FILE_NAME = re.compile(r"^([a-z][a-z0-9_]*?)wiki-")
# Wikipedia subdomains that are not ISO 639 codes, for the lang column (the URL keeps the subdomain).
LANG_OF_WIKI_CODE = {
    "simple": "en",
    "be-x-old": "be-tarask",
    "zh-yue": "yue",
    "zh-min-nan": "nan",
    "zh-classical": "lzh",
    "roa-rup": "rup",
    "bat-smg": "sgs",
    "fiu-vro": "vro",
    "nds-nl": "nds",
}


class WikipediaConfig(StageConfig):
    lang: str | None = Field(
        default=None,
        description="Language of the dump (e.g. 'de'); overrides what <siteinfo><dbname> and the file name say.",
    )
    namespaces: list[int] = Field(default=[0], description="Namespaces kept (0 = articles); others are dropped.")
    min_chars: int = Field(
        default=200,
        ge=0,
        description="Pages whose cleaned text has fewer characters are dropped (too_short). 200 characters is "
        "about two sentences: below it, cleaned pages on the sample dumps are stubs and lists of links.",
    )


class TruncatedXml(Exception):
    """The XML ended before its root element was closed."""


@dataclass
class SiteInfo:
    """What the dump says about its wiki, read from the root element and <siteinfo>."""

    dbname: str | None = None
    xml_lang: str | None = None
    namespaces: dict[int, str] = field(default_factory=dict)
    link_namespaces: LinkNamespaces = field(default_factory=LinkNamespaces)


@dataclass(frozen=True)
class DumpPage:
    ordinal: int  # position of the page in the dump, for pages without an id
    page_id: str | None
    title: str | None
    ns: int | None
    redirect_target: str | None  # the <redirect title="..."> element, when present
    has_redirect_element: bool
    revision_id: str | None
    timestamp: str | None
    wikitext: str
    site: SiteInfo
    encoding: str | None = None


@dataclass
class DumpProgress:
    """How far a dump was read: an errored row reports it."""

    pages: int = 0
    last_page_id: str | None = None
    decompressed_bytes: int = 0
    encoding: str | None = None


@dataclass(frozen=True)
class DumpFailure:
    reason: str  # truncated_input, malformed_xml or unreadable_input
    detail: str
    progress: DumpProgress


@contextmanager
def open_decompressed(uri: str) -> Iterator[IO[bytes]]:
    """The dump's bytes, decompressed by what its first bytes say (not its name: gensim's sample ends in .bz2)."""
    with fsspec.open(uri, "rb") as raw:
        magic = raw.read(6)
        raw.seek(0)
        opener = next((open_ for prefix, open_ in COMPRESSION_MAGIC if magic.startswith(prefix)), None)
        if opener is None:
            yield raw
        else:
            with opener(raw) as stream:
                yield stream


def sniff_xml_encoding(head: bytes) -> str:
    """The encoding of an XML document from its first bytes: BOM, UTF-16 without BOM, declaration, else UTF-8.

    XML 1.0 Appendix F (autodetection of character encodings).
    """
    for mark, encoding in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    declared = XML_DECLARATION_ENCODING.match(head)
    return codecs.lookup(declared.group(1).decode("ascii")).name if declared else "utf-8"


def read_chunks(stream: IO[bytes], progress: DumpProgress, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes | str]:
    """The dump in chunks for the XML parser: UTF-8 as bytes, any other encoding decoded incrementally.

    Expat natively reads only UTF-8, UTF-16 and Latin-1, so other encodings reach it as text (pyexpat then parses
    as UTF-8 whatever the declaration says); UTF-16 goes that way too, so the BOM is handled in one place.
    """
    # read1, not read: a buffered read(n) that meets a cut stream raises and discards what it had decompressed.
    read = getattr(stream, "read1", stream.read)
    chunk = read(chunk_bytes)
    while 0 < len(chunk) < SNIFF_BYTES:  # read1 may return a sliver; the sniffer needs the BOM and declaration
        more = read(chunk_bytes)
        if not more:
            break
        chunk += more
    progress.encoding = sniff_xml_encoding(chunk)
    decoder = None
    if progress.encoding not in EXPAT_BYTE_ENCODINGS:
        decoder = codecs.getincrementaldecoder(progress.encoding)("strict")
    while chunk:
        progress.decompressed_bytes += len(chunk)
        yield decoder.decode(chunk) if decoder else chunk
        chunk = read(chunk_bytes)
    if decoder:
        yield decoder.decode(b"", final=True)


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def child_text(element: ET.Element, name: str) -> str | None:
    for child in element:
        if local_name(child.tag) == name:
            return child.text
    return None


def child(element: ET.Element, name: str) -> ET.Element | None:
    return next((item for item in element if local_name(item.tag) == name), None)


def read_siteinfo(element: ET.Element, xml_lang: str | None) -> SiteInfo:
    """<dbname> names the wiki (enwiki, jawiki); <namespaces> gives the localized File and Category names."""
    names: dict[int, str] = {}
    namespaces = child(element, "namespaces")
    for namespace in namespaces if namespaces is not None else ():
        key = namespace.get("key", "")
        if key.lstrip("-").isdigit() and namespace.text:
            names[int(key)] = namespace.text
    return SiteInfo(child_text(element, "dbname"), xml_lang, names, link_namespaces(names))


def read_page(element: ET.Element, ordinal: int, site: SiteInfo, encoding: str | None = None) -> DumpPage:
    """One <page>; of several <revision>s (a history dump) the last one is the current text."""
    revisions = [item for item in element if local_name(item.tag) == "revision"]
    revision = revisions[-1] if revisions else None
    redirect = child(element, "redirect")
    ns_text = child_text(element, "ns")
    return DumpPage(
        ordinal=ordinal,
        page_id=child_text(element, "id"),
        title=child_text(element, "title"),
        ns=int(ns_text) if ns_text and ns_text.strip().lstrip("-").isdigit() else None,
        redirect_target=redirect.get("title") if redirect is not None else None,
        has_redirect_element=redirect is not None,
        revision_id=child_text(revision, "id") if revision is not None else None,
        timestamp=child_text(revision, "timestamp") if revision is not None else None,
        wikitext=(child_text(revision, "text") if revision is not None else None) or "",
        site=site,
        encoding=encoding,
    )


def detach(root: ET.Element | None, element: ET.Element) -> None:
    """A cleared element still costs memory while the root holds it; done pages are the root's first children."""
    if root is None:
        return
    if len(root) and root[0] is element:
        del root[0]
    elif element in list(root):
        root.remove(element)


def parse_pages(chunks: Iterator[bytes | str], progress: DumpProgress | None = None) -> Iterator[DumpPage]:
    """Pages from a stream of XML chunks; each page element is cleared and detached once read."""
    parser = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    site = SiteInfo()
    ordinal = 0

    def drain() -> Iterator[DumpPage]:
        nonlocal root, site, ordinal
        for event, element in parser.read_events():
            if event == "start":
                if root is None:
                    root = element
                    site = SiteInfo(xml_lang=element.get(XML_LANG))
                continue
            name = local_name(element.tag)
            if name == "siteinfo":
                site = read_siteinfo(element, site.xml_lang)
            elif name == "page":
                yield read_page(element, ordinal, site, progress.encoding if progress else None)
                ordinal += 1
            else:
                continue
            element.clear()
            detach(root, element)

    for chunk in chunks:
        parser.feed(chunk)
        yield from drain()
    try:
        parser.close()
    except ET.ParseError as exc:
        raise TruncatedXml(str(exc)) from exc
    yield from drain()


def iter_dump(uri: str, chunk_bytes: int = CHUNK_BYTES) -> Iterator[DumpPage | DumpFailure]:
    """Every page of a dump, then at most one failure that ends it (the pages before it are kept)."""
    progress = DumpProgress()
    try:
        with open_decompressed(uri) as stream:
            for page in parse_pages(read_chunks(stream, progress, chunk_bytes), progress):
                progress.pages += 1
                progress.last_page_id = page.page_id
                yield page
    except (EOFError, TruncatedXml) as exc:  # bz2/gzip/xz raise EOFError on a cut stream
        yield DumpFailure("truncated_input", f"{type(exc).__name__}: {exc}", progress)
    except (ET.ParseError, UnicodeDecodeError, LookupError) as exc:
        yield DumpFailure("malformed_xml", f"{type(exc).__name__}: {exc}", progress)
    except OSError as exc:  # unopenable file, corrupt compressed data
        yield DumpFailure("unreadable_input", f"{type(exc).__name__}: {exc}", progress)


def wiki_code(site: SiteInfo, file_name: str) -> str | None:
    """The Wikipedia subdomain (en, ja, zh-yue): from <dbname>, else the dump's file name, else xml:lang."""
    for pattern, value in ((WIKI_DBNAME, site.dbname), (WIKI_FILE_NAME, file_name)):
        found = pattern.match(value or "")
        if found:
            return found.group(1).replace("_", "-")
    return site.xml_lang or None


def page_url(code: str | None, title: str | None) -> str | None:
    """https://{lang}.wikipedia.org/wiki/{title with spaces as underscores}, as MediaWiki links pages."""
    if not code or not title:
        return None
    return f"https://{code}.wikipedia.org/wiki/{title.replace(' ', '_')}"


def dump_stem(file_name: str) -> str:
    """File name without its extensions: enwiki-table-markup.xml.bz2 → enwiki-table-markup."""
    return file_name.split(".", 1)[0]


@register_source
class WikipediaSource(SourceReader[WikipediaConfig]):
    kind = "wikipedia"
    config_model = WikipediaConfig

    def read(self, part: PartSpec, batch_size: int, limit: int | None) -> Iterator[StageResult]:
        file_name = PurePosixPath(part.uri).name

        def rows() -> Iterator[tuple[dict[str, Any], Verdict | None]]:
            for item in iter_dump(part.uri):
                if isinstance(item, DumpFailure):
                    yield self._failure_row(file_name, part.uri, item), Verdict.error(item.reason)
                else:
                    yield self._page_row(file_name, item)

        yield from batched_results(rows(), batch_size, limit)

    def _id_prefix(self, site: SiteInfo, file_name: str) -> str:
        return site.dbname or dump_stem(file_name)

    def _page_row(self, file_name: str, page: DumpPage) -> tuple[dict[str, Any], Verdict | None]:
        code = wiki_code(page.site, file_name) or self.config.lang
        meta: dict[str, Any] = {
            "dump": file_name,
            "dbname": page.site.dbname,
            "page_id": page.page_id,
            "title": page.title,
            "ns": page.ns,
            "revision_id": page.revision_id,
            "timestamp": page.timestamp,
            "encoding": page.encoding,
        }
        row: dict[str, Any] = {
            "id": f"{self._id_prefix(page.site, file_name)}:{page.page_id or f'page#{page.ordinal}'}",
            "source": self.source_name,
            "url": page_url(code, page.title),
            "lang": self.config.lang or LANG_OF_WIKI_CODE.get(code or "", code),
        }
        verdict, text = self._classify(page, meta)
        if verdict is None or verdict.reason == "too_short":
            row["text"] = text
        row["meta"] = meta_json(meta)
        return row, verdict

    def _classify(self, page: DumpPage, meta: dict[str, Any]) -> tuple[Verdict | None, str | None]:
        """Redirects first (whatever their namespace: they hold no text), then namespace, then cleaned length."""
        if page.page_id is None or page.title is None:
            meta["error"] = f"page #{page.ordinal} has no <id> or no <title>"
            return Verdict.error("malformed_page"), None
        if page.has_redirect_element or is_redirect_text(page.wikitext):
            meta["redirect_to"] = page.redirect_target
            return Verdict.drop("redirect"), None
        if page.ns not in self.config.namespaces:
            return Verdict.drop("non_article_namespace"), None
        try:
            text = clean_wikitext(page.wikitext, page.site.link_namespaces)
        except Exception as exc:  # a parser bug on one page costs that page, not the dump
            meta["error"] = f"page {page.page_id}: {type(exc).__name__}: {exc}"
            return Verdict.error("wikitext_parse_error"), None
        meta["wikitext_chars"] = len(page.wikitext)
        return (Verdict.drop("too_short") if len(text) < self.config.min_chars else None), text

    def _failure_row(self, file_name: str, uri: str, failure: DumpFailure) -> dict[str, Any]:
        progress = failure.progress
        meta = {
            "dump": file_name,
            "uri": uri,
            "error": f"{file_name}: {failure.detail}",
            "last_good_page_id": progress.last_page_id,
            "pages_read": progress.pages,
            "decompressed_bytes": progress.decompressed_bytes,
            "encoding": progress.encoding,
        }
        return {
            "id": f"{dump_stem(file_name)}:{failure.reason}@{progress.decompressed_bytes}",
            "source": self.source_name,
            "meta": meta_json(meta),
        }
