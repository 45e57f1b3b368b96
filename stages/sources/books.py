"""Project Gutenberg plain-text books as documents: one file = one book = one row.

The recipe (LLaMA 2.1, Books: "we remove the Gutenberg header and footer"; ROOTS does
the same for its Gutenberg sources) runs here as pure functions: decode the file,
normalise line ends, read the header fields, cut the body out between the START and
END markers, drop the producer credits, and drop books too short to be books. Book-level
near-duplicate removal needs every book at once; its measure lives in
``filters/book_overlap.py`` and this reader stores what it needs (``shingle_count``,
``body_sha1``) in ``meta``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import fsspec
from pydantic import Field

from filters.book_overlap import SHINGLE_WORDS, book_shingles
from filters.text import words
from stages.base import PartSpec, SourceReader, StageConfig, StageResult, Verdict, build_batch, meta_json
from stages.registry import register_source

# "*** START OF THIS PROJECT GUTENBERG EBOOK X ***" (until about 2020) and
# "*** START OF THE PROJECT GUTENBERG EBOOK X ***" (since); some files lack a space or say ETEXT.
START_MARKER = re.compile(
    r"^[ \t]*\*{3}[ \t]*START OF (?P<style>THIS|THE) PROJECT GUTENBERG E-?(?:BOOK|TEXT)\b.*$", re.I | re.M
)
# 1990s files end their licence header with this line instead of a START marker.
SMALL_PRINT_END = re.compile(r"^[ \t]*\*END\*THE SMALL PRINT!.*$", re.I | re.M)
# Whatever comes first ends the body: the END marker, the "End of (the) Project Gutenberg('s) …"
# line that precedes it (and survives in files whose header was stripped), or the licence itself.
END_MARKER = re.compile(
    r"^[ \t]*(?:\*{3}[ \t]*END OF (?:THIS|THE) PROJECT GUTENBERG E-?(?:BOOK|TEXT)"
    r"|End of (?:the |this )?Project Gutenberg(?:['’]s)?\b"
    r"|\*{3}[ \t]*START: FULL LICENSE)",
    re.I | re.M,
)
HEADER_FIELD = re.compile(r"^(?P<name>Title|Author|Language|Release Date):[ \t]*(?P<value>.*)$", re.I)
EBOOK_NUMBER = re.compile(r"\[E-?(?:Book|Text) #(?P<number>\d+)\]", re.I)
# Producer credits that open the body of many files, the old "The Project Gutenberg Etext of X"
# title paragraph, notes about preparing the e-text, and "***" separators between them.
CREDIT_PARAGRAPH = re.compile(
    r"\A(?:Produced by|E-?text prepared by|Transcribed (?:by|from)|\*+\Z)"
    r"|Project Gutenberg|\be-?(?:text|book)s?\b|Distributed Proofread|pgdp\.net",
    re.I,
)
LEADING_PARAGRAPHS_CHECKED = 6
PARAGRAPH = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")  # a run of non-blank lines
BINARY_CONTROL_RATIO = 0.01  # more than 1% control characters: not a text file
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Language names used in PG headers → ISO 639-1. Anything else (or several languages) → None.
LANGUAGE_CODES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it", "portuguese": "pt",
    "dutch": "nl", "finnish": "fi", "swedish": "sv", "danish": "da", "norwegian": "no", "icelandic": "is",
    "latin": "la", "greek": "el", "russian": "ru", "polish": "pl", "czech": "cs", "hungarian": "hu",
    "chinese": "zh", "japanese": "ja", "esperanto": "eo", "catalan": "ca", "tagalog": "tl", "welsh": "cy",
    "irish": "ga", "hebrew": "he", "arabic": "ar", "romanian": "ro", "serbian": "sr", "croatian": "hr",
    "slovenian": "sl", "ukrainian": "uk", "bulgarian": "bg", "afrikaans": "af", "galician": "gl", "basque": "eu",
}  # fmt: skip


BYTE_ORDER_MARKS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class BinaryFileError(ValueError):
    """The bytes are not text in any encoding we try."""


@dataclass(frozen=True)
class CleanedBook:
    body: str
    fields: dict[str, str] = field(default_factory=dict)
    ebook_number: int | None = None
    start_marker: str | None = None  # "old" (THIS), "new" (THE), "small_print" or None (header stripped)
    end_marker: bool = False


def decode_book(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding that decoded it: BOM, UTF-8, the declared charset, cp1252, latin-1.

    PG files are UTF-8 since about 2011; older ones are ISO-8859-1 or Windows-1252 and say so
    in "Character set encoding:". latin-1 decodes any bytes, so binary files are refused first.
    """
    for bom, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(bom):
            return _checked_text(raw.decode(encoding, errors="replace")), encoding
    if b"\x00" in raw[:65536]:
        raise BinaryFileError("NUL bytes in a file without a UTF-16 byte order mark")
    for encoding in ("utf-8", declared, "cp1252", "latin-1"):
        if encoding is None or not _known_codec(encoding):
            continue
        try:
            return _checked_text(raw.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    raise BinaryFileError("undecodable")  # unreachable: latin-1 decodes every byte


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _checked_text(text: str) -> str:
    if len(_CONTROL.findall(text[:65536])) > BINARY_CONTROL_RATIO * min(len(text), 65536):
        raise BinaryFileError("too many control characters for a text file")
    return text


def declared_charset(raw: bytes) -> str | None:
    """The "Character set encoding:" header value, read from the ASCII-compatible head of the file."""
    match = re.search(rb"^Character set encoding:[ \t]*([\w.:-]+)", raw[:8192], re.I | re.M)
    return match.group(1).decode("ascii") if match else None


def normalise_newlines(text: str) -> str:
    """Strip a byte order mark and turn CRLF (as gutenberg.org serves files) and lone CR into LF."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def header_fields(header: str) -> dict[str, str]:
    """Title/Author/Language/… of a PG header; indented lines continue the previous field."""
    fields: dict[str, str] = {}
    current: str | None = None
    for line in header.split("\n"):
        match = HEADER_FIELD.match(line)
        if match:
            current = match["name"].lower().replace(" ", "_")
            fields[current] = match["value"].strip()
        elif current and line[:1] in (" ", "\t") and line.strip():
            fields[current] = f"{fields[current]} {line.strip()}".strip()
        else:
            current = None
    return fields


def ebook_number(header: str) -> int | None:
    """The PG ebook number from "[EBook #1342]" / "[eBook #1342]" / "[Etext #4650]"."""
    match = EBOOK_NUMBER.search(header)
    return int(match["number"]) if match else None


def language_code(language: str | None) -> str | None:
    """ISO 639-1 code of a single PG "Language:" name ("English" → "en"); None if unknown or several."""
    return LANGUAGE_CODES.get((language or "").strip().lower())


def split_header(text: str) -> tuple[str, str, str | None]:
    """(header, rest, marker style): everything up to and including the START marker line is header.

    A file whose header was already stripped has no marker: its header is empty.
    """
    match = START_MARKER.search(text)
    if match:
        return text[: match.start()], text[match.end() :], "old" if match["style"].lower() == "this" else "new"
    match = SMALL_PRINT_END.search(text)
    if match:
        return text[: match.start()], text[match.end() :], "small_print"
    return "", text, None


def cut_footer(text: str) -> tuple[str, bool]:
    """The text before the first END marker line (the footer and licence go), and whether one was found."""
    match = END_MARKER.search(text)
    return (text[: match.start()], True) if match else (text, False)


def strip_leading_credits(body: str) -> str:
    """Drop "Produced by …" credits and PG title lines among the first paragraphs of the body.

    They name the volunteers of one transcription, not the book, and differ between two
    transcriptions of the same text (pg120: "Produced by Judy Boss…" in one download only).
    Other paragraphs and the layout of the text are left as they are.
    """
    kept: list[str] = []
    position = 0
    for index, paragraph in enumerate(PARAGRAPH.finditer(body)):
        if index >= LEADING_PARAGRAPHS_CHECKED:
            break
        if CREDIT_PARAGRAPH.search(paragraph.group().strip()):
            kept.append(body[position : paragraph.start()])
            position = paragraph.end()
    kept.append(body[position:])
    return "".join(kept).strip("\n")


def clean_book(text: str) -> CleanedBook:
    """The whole recipe on decoded text: newlines, header fields, START/END cut, credits."""
    header, rest, style = split_header(normalise_newlines(text))
    body, has_end = cut_footer(rest)
    return CleanedBook(
        body=strip_leading_credits(body).rstrip(),
        fields=header_fields(header),
        ebook_number=ebook_number(header),
        start_marker=style,
        end_marker=has_end,
    )


def body_sha1(body: str) -> str:
    return hashlib.sha1(body.encode("utf-8")).hexdigest()


class BooksConfig(StageConfig):
    min_words: int = Field(default=1000, ge=0, description="Books whose cleaned body has fewer words are dropped.")
    max_bytes: int = Field(
        default=64_000_000, gt=0, description="Larger files are errored (the largest PG books are about 10 MB)."
    )


@register_source
class BooksSource(SourceReader[BooksConfig]):
    kind = "books"
    config_model = BooksConfig

    def read(self, part: PartSpec, batch_size: int, limit: int | None) -> Iterator[StageResult]:
        if limit is not None and limit < 1:
            return
        row, verdict = self._book(part.uri)
        yield StageResult(build_batch([row]), [verdict])

    def _book(self, uri: str) -> tuple[dict[str, Any], Verdict | None]:
        stem = PurePosixPath(uri).stem
        try:
            with fsspec.open(uri, "rb") as handle:
                raw = handle.read(self.config.max_bytes + 1)
        except OSError as exc:
            return self._error_row(stem, uri, f"{type(exc).__name__}: {exc}"), Verdict.error("unreadable_file")
        if len(raw) > self.config.max_bytes:
            return self._error_row(stem, uri, f"over {self.config.max_bytes} bytes"), Verdict.error("file_too_large")
        try:
            text, encoding = decode_book(raw, declared_charset(raw))
        except BinaryFileError as exc:
            return self._error_row(stem, uri, f"BinaryFileError: {exc}"), Verdict.error("binary_file")
        return self._row(stem, uri, encoding, clean_book(text))

    def _error_row(self, stem: str, uri: str, detail: str) -> dict[str, Any]:
        return {"id": stem, "source": self.source_name, "meta": meta_json({"file": uri, "error": detail})}

    def _row(self, stem: str, uri: str, encoding: str, book: CleanedBook) -> tuple[dict[str, Any], Verdict | None]:
        number = book.ebook_number
        word_count = len(words(book.body))
        meta = {
            "file": uri,
            "encoding": encoding,
            "title": book.fields.get("title"),
            "author": book.fields.get("author"),
            "language": book.fields.get("language"),
            "release_date": book.fields.get("release_date"),
            "pg_ebook": number,
            "start_marker": book.start_marker,
            "end_marker": book.end_marker,
            "words": word_count,
            "chars": len(book.body),
            "shingle_words": SHINGLE_WORDS,
            "shingle_count": len(book_shingles(book.body)),
            "body_sha1": body_sha1(book.body),
        }
        row = {
            "id": stem if number is None else f"{stem}@pg{number}",
            "source": self.source_name,
            "text": book.body,
            "url": None if number is None else f"https://www.gutenberg.org/ebooks/{number}",
            "lang": language_code(book.fields.get("language")),
            "meta": meta_json(meta),
        }
        verdict = Verdict.drop("too_short") if word_count < self.config.min_words else None
        return row, verdict
