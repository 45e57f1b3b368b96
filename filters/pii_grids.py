"""Tables in text, read as grids: a header row of names and rows of cells, each cell an offset range.

Credential inventories come in every table syntax a corpus holds: delimited text (CSV, TSV, semicolons),
pipe tables (Markdown, org-mode, reStructuredText grids, Confluence's ``||`` headers), HTML, LaTeX ``tabular``,
MediaWiki ``{| ... |}``, AsciiDoc ``|===`` blocks and fixed-width reports with a dashed rule under the header.
Each reader only looks where its syntax appears, and each yields the same thing, so what makes a column secret
is decided once, by the caller.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

Span = tuple[int, int]
MAX_ROWS = 500


@dataclass
class Grid:
    header: list[str]
    rows: list[list[Span]]


def grids(text: str, header_lines: set[int] | None = None) -> Iterator[Grid]:
    """The tables of ``text``; delimited ones only where a header may stand (``header_lines``: line indices, all
    lines when None), since every line with two commas could start one."""
    yield from _delimited(text, header_lines)
    if "<t" in text or "<T" in text:
        yield from _html(text)
    if "tabular" in text:
        yield from _latex(text)
    if "{|" in text:
        yield from _mediawiki(text)
    if "|===" in text:
        yield from _asciidoc(text)
    if "--" in text or "==" in text:
        yield from _fixed_width(text)


def _lines(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(offset, line) from the line holding ``start`` on."""
    start = text.rfind("\n", 0, start) + 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, text[start:end]
        start = end + 1


def _split(line: str, offset: int, separator: str) -> list[Span]:
    cells, position = [], 0
    for raw in line.split(separator):
        cells.append((offset + position, offset + position + len(raw)))
        position += len(raw) + len(separator)
    return cells


# --- delimited and pipe tables ----------------------------------------------------------------------------------

_DELIMITERS = ("||", "|", "\t", ";", ",")
_RULE = re.compile(r"[\s|:+=-]*")  # |---|---|, |---+---|, +====+====+: they separate rows, they hold no cells


def _pipe_cells(line: str, offset: int, separator: str) -> list[Span]:
    """Cells of a delimited line; a pipe table's outer pipes make empty edge cells, which are dropped."""
    cells = _split(line, offset, separator)
    if separator in ("|", "||"):
        if cells and not line[: cells[0][1] - offset].strip():
            cells = cells[1:]
        if cells and not line[cells[-1][0] - offset :].strip():
            cells = cells[:-1]
    return cells


def _delimited(text: str, header_lines: set[int] | None) -> Iterator[Grid]:
    """A header line, then rows with as many cells; for pipes, Confluence's ``||a||b||`` header over ``|a|b|``."""
    lines = text.split("\n")
    offsets = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    index = 0
    while index < len(lines) - 1:
        if header_lines is not None and index not in header_lines:
            index += 1
            continue
        header = lines[index]
        for separator in _DELIMITERS:
            if header.count(separator) < (1 if separator in ("|", "||") else 2):
                continue
            names = [header[a:b] for a, b in _pipe_cells(header, 0, separator)]
            row_separator = "|" if separator == "||" else separator
            rows: list[list[Span]] = []
            for k in range(index + 1, min(len(lines), index + 1 + MAX_ROWS)):
                line = lines[k]
                if not line.strip():
                    break
                if separator in ("|", "||") and _RULE.fullmatch(line):
                    continue
                cells = _pipe_cells(line, offsets[k], row_separator)
                if len(cells) != len(names):
                    break
                rows.append(cells)
            if rows and len(names) >= 2:  # one "column" is any run of lines: "db_password: !vault |" over its blob
                yield Grid([n.strip() for n in names], rows)
                index += len(rows)
            break
        index += 1


# --- HTML -----------------------------------------------------------------------------------------------------------

_HTML_ROW = re.compile(r"<tr\b[^>]*>(.*?)(?=</tr>|<tr\b|</table>)", re.IGNORECASE | re.DOTALL)
_HTML_CELL = re.compile(r"<(t[hd])\b[^>]*>(.*?)(?=</t[hd]>|<t[hd]\b|$)", re.IGNORECASE | re.DOTALL)
_HTML_TABLE_END = re.compile(r"</table>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _html(text: str) -> Iterator[Grid]:
    header: list[str] | None = None
    rows: list[list[Span]] = []
    previous_end = 0
    for row in _HTML_ROW.finditer(text):
        if header is not None and _HTML_TABLE_END.search(text, previous_end, row.start()):
            if rows:
                yield Grid(header, rows)
            header, rows = None, []
        previous_end = row.end()
        cells = list(_HTML_CELL.finditer(text, row.start(1), row.end(1)))
        if not cells:
            continue
        if header is None or all(c.group(1).lower() == "th" for c in cells):
            header, rows = [_TAG.sub("", c.group(2)).strip() for c in cells], []
        else:
            rows.append([c.span(2) for c in cells])
    if header is not None and rows:
        yield Grid(header, rows)


# --- LaTeX, MediaWiki, AsciiDoc ----------------------------------------------------------------------------------

_LATEX_BEGIN = re.compile(r"\\begin\{(?:tabular|tabularx|longtable|tabulary)\*?\}")
_LATEX_END = re.compile(r"\\end\{(?:tabular|tabularx|longtable|tabulary)\*?\}")
_LATEX_RULE = re.compile(r"\s*(?:\\(?:hline|midrule|toprule|bottomrule|cline\{[^}]*\})\s*)+")


def _latex(text: str) -> Iterator[Grid]:
    for begin in _LATEX_BEGIN.finditer(text):
        end = _LATEX_END.search(text, begin.end())
        stop = end.start() if end else len(text)
        header: list[str] | None = None
        rows: list[list[Span]] = []
        for offset, line in _lines(text, text.find("\n", begin.end()) + 1):
            if offset >= stop:
                break
            body = line.split("\\\\")[0]
            if "&" not in body:
                continue
            body = _LATEX_RULE.sub(lambda m: " " * len(m.group()), body)
            cells = _split(body, offset, "&")
            if header is None:
                header = [text[a:b].strip() for a, b in cells]
            else:
                rows.append(cells)
        if header and rows:
            yield Grid(header, rows)


def _mediawiki(text: str) -> Iterator[Grid]:
    """``! a !! b`` names the columns; ``|-`` starts a row; a row's cells sit on one line (``| a || b``) or one
    per line."""
    start = text.find("{|")
    while start >= 0:
        header: list[str] = []
        rows: list[list[Span]] = []
        row: list[Span] | None = None
        for offset, line in _lines(text, text.find("\n", start) + 1):
            stripped = line.strip()
            if stripped.startswith("|}"):
                break
            if stripped.startswith("!") and not header:
                cell_text = line[line.index("!") + 1 :]
                header = [name.strip() for name in re.split(r"!!|\|\|", cell_text)]
            elif stripped.startswith("|-"):
                if row:
                    rows.append(row)
                row = []
            elif stripped.startswith("|") and not stripped.startswith("|+") and row is not None:
                first = offset + line.index("|") + 1
                row.extend(_split(text[first : offset + len(line)], first, "||"))
        if row:
            rows.append(row)
        if header and rows:
            yield Grid(header, rows)
        start = text.find("{|", start + 2)


def _asciidoc(text: str) -> Iterator[Grid]:
    """Between ``|===`` lines: the first line names the columns, then cells (``|v``) fill rows of that width,
    whatever lines they sit on."""
    start = text.find("|===")
    while start >= 0:
        header: list[str] = []
        cells: list[Span] = []
        closed = False
        for offset, line in _lines(text, text.find("\n", start) + 1):
            if line.startswith("|==="):
                closed = True
                break
            if not line.strip() or not line.lstrip().startswith("|"):
                continue
            first = offset + line.index("|") + 1
            parts = _split(text[first : offset + len(line)], first, "|")
            if not header:
                header = [text[a:b].strip() for a, b in parts]
            else:
                cells.extend(parts)
        if header:
            width = len(header)
            rows = [cells[k : k + width] for k in range(0, len(cells) - width + 1, width)]
            if rows:
                yield Grid(header, rows)
        end = text.find("|===", text.find("\n", start) + 1) if closed else -1
        start = text.find("|===", end + 4) if end >= 0 else -1


# --- fixed-width reports -----------------------------------------------------------------------------------------

_COLUMN_RULE = re.compile(r"[ \t]*[-=]{3,}(?:[ \t]+[-=]{3,})+[ \t]*")
_RULE_SEGMENT = re.compile(r"[-=]{3,}")


def _fixed_width(text: str) -> Iterator[Grid]:
    """A header line over a rule of dashes (or ``=``, reStructuredText's simple tables): each run of the rule
    marks a column, and each row's cell is the text above that run."""
    previous: tuple[int, str] | None = None
    lines = _lines(text)
    for offset, line in lines:
        if previous and _COLUMN_RULE.fullmatch(line):
            segments = [m.span() for m in _RULE_SEGMENT.finditer(line)]
            starts = [a for a, _ in segments] + [10**6]
            header = [previous[1][starts[i] : starts[i + 1]].strip() for i in range(len(segments))]
            rows: list[list[Span]] = []
            for row_offset, row in lines:
                if not row.strip() or _COLUMN_RULE.fullmatch(row) or len(rows) >= MAX_ROWS:
                    break
                row_cells = []
                for i in range(len(segments)):
                    a, b = min(starts[i], len(row)), min(starts[i + 1], len(row))
                    row_cells.append((row_offset + a, row_offset + b))
                rows.append(row_cells)
            if rows:
                yield Grid(header, rows)
            previous = None
            continue
        previous = (offset, line) if line.strip() else None
