"""Secrets in tables: a column whose header names a secret (CSV, TSV, Markdown, SQL ``INSERT``), and combo lists.

Credential dumps are tables: ``service,username,password`` followed by rows, a Markdown table with a
``secret`` column, ``INSERT INTO t (name, api_key) VALUES (...)``. The label is in the header, the values are
in the rows, so neither the assignment nor the prose patterns see them. Cells are judged like any labelled
value (``looks_random``). A combo list (``e-mail:password``, one account per line) has no header at all: its
shape is the label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_SECRET_HEADER = re.compile(
    r"(?i)(?:password|passwd|pwd|pass|passphrase|secret|client_secret|api_?key|apikey|token|access_token"
    r"|auth_token|private_key|secret_key|credential|passwort|mot de passe|contraseña|senha|пароль|密码|パスワード)"
)
_DELIMITERS = (",", "\t", "|", ";")
_ASCII_LOWER = str.maketrans({chr(code): chr(code + 32) for code in range(ord("A"), ord("Z") + 1)})
_HEADER_WORDS = (
    "pass",
    "pwd",
    "secret",
    "key",
    "token",
    "credential",
    "mot de passe",
    "contraseña",
    "senha",
    "пароль",
    "密码",
    "パスワード",
)
_MAX_ROWS = 500
_SQL_INSERT = re.compile(r"(?is)insert\s+into\s+[\w.`\"\[\]]+\s*\(([^)]*)\)\s*values\s*")
_SQL_TUPLE = re.compile(r"\(((?:'(?:[^']|'')*'|[^()'])*)\)")
_SQL_ITEM = re.compile(r"\s*('(?:[^']|'')*'|[^,]*?)\s*(?:,|$)")

ValueCheck = Callable[[str], bool]


def table_secret_spans(text: str, looks_random: ValueCheck) -> Iterator[tuple[int, int]]:
    yield from _delimited(text, looks_random)
    yield from _sql_inserts(text, looks_random)
    yield from _combo_list(text)


# One account per line: an e-mail address, a separator, the password and nothing else.
_COMBO_LINE = re.compile(
    r"^[ \t]*[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+[ \t]*[:;|\t][ \t]*(?P<password>[^\s:;|]{6,128})[ \t]*$",
    re.MULTILINE,
)


def _combo_list(text: str) -> Iterator[tuple[int, int]]:
    """Passwords of a combo list. Two such lines make a list; one alone may be an address and a port or a
    field, and a password there is the tagger's to judge. The passwords of a dump are what users chose, so
    guessable ones count too; an all-digit value (a port, a count) and a path do not."""
    if "@" not in text:
        return
    lines = [m for m in _COMBO_LINE.finditer(text) if not m["password"].isdigit() and "/" not in m["password"]]
    if len(lines) >= 2:
        yield from (m.span("password") for m in lines)


def _cells(line: str, delimiter: str) -> list[tuple[int, str]]:
    """(offset, raw cell) of a delimited line; Markdown's outer pipes make empty edge cells, which are dropped."""
    cells, position = [], 0
    for raw in line.split(delimiter):
        cells.append((position, raw))
        position += len(raw) + 1
    if delimiter == "|" and cells and not cells[0][1].strip():
        cells = cells[1:]
    if delimiter == "|" and cells and not cells[-1][1].strip():
        cells = cells[:-1]
    return cells


def _secret_columns(line: str, delimiter: str) -> list[int]:
    cells = _cells(line, delimiter)
    if len(cells) < 2:
        return []
    names = [raw.strip().strip("`\"'* ").lower() for _, raw in cells]
    return [i for i, name in enumerate(names) if len(name) <= 30 and _SECRET_HEADER.fullmatch(name)]


def _header_line_starts(text: str) -> list[int]:
    """Starts of the lines holding a secret-like word, found with ``str.find`` (a regex per line is 10x slower)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text.translate(_ASCII_LOWER)
    starts: set[int] = set()
    for word in _HEADER_WORDS:
        position = lowered.find(word)
        while position >= 0:
            starts.add(text.rfind("\n", 0, position) + 1)
            position = lowered.find(word, position + len(word))
    return sorted(starts)


def _lines_from(text: str, start: int, limit: int) -> Iterator[tuple[int, str]]:
    """(offset, line) for up to ``limit`` lines starting at ``start``."""
    for _ in range(limit):
        if start > len(text):
            return
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, text[start:end]
        start = end + 1


def _delimited(text: str, looks_random: ValueCheck) -> Iterator[tuple[int, int]]:
    for header_start in _header_line_starts(text):
        _, header = next(_lines_from(text, header_start, 1))
        if not _SECRET_HEADER.search(header):
            continue
        for delimiter in _DELIMITERS:
            columns = _secret_columns(header, delimiter)
            if not columns:
                continue
            width = len(_cells(header, delimiter))
            rows = _lines_from(text, header_start + len(header) + 1, _MAX_ROWS)
            for row_start, row in rows:
                if not row.strip():
                    break
                cells = _cells(row, delimiter)
                if len(cells) != width:
                    break
                if delimiter == "|" and set(row.replace("|", "").strip()) <= set("-: "):
                    continue  # Markdown's |---|---| rule
                for column in columns:
                    start, raw = cells[column]
                    span = _value_span(raw, row_start + start, looks_random)
                    if span:
                        yield span
            break


def _value_span(raw: str, offset: int, looks_random: ValueCheck) -> tuple[int, int] | None:
    stripped = raw.strip()
    lead = raw.index(stripped) if stripped else 0
    for quote in ("`", '"', "'"):
        if len(stripped) > 2 and stripped[0] == quote and stripped[-1] == quote:
            stripped, lead = stripped[1:-1], lead + 1
            break
    if len(stripped) < 8 or any(ch.isspace() for ch in stripped) or not looks_random(stripped):
        return None
    return offset + lead, offset + lead + len(stripped)


def _sql_inserts(text: str, looks_random: ValueCheck) -> Iterator[tuple[int, int]]:
    if "insert" not in text and "INSERT" not in text and "Insert" not in text:
        return
    for insert in _SQL_INSERT.finditer(text):
        names = [name.strip().strip('`"[] ').lower() for name in insert.group(1).split(",")]
        columns = [i for i, name in enumerate(names) if _SECRET_HEADER.fullmatch(name)]
        if not columns:
            continue
        position = insert.end()
        while True:
            values = _SQL_TUPLE.match(text, position)
            if not values:
                break
            items = list(_SQL_ITEM.finditer(text, values.start(1), values.end(1)))
            for column in columns:
                if column < len(items):
                    item = items[column]
                    span = _value_span(item.group(1), item.start(1), looks_random)
                    if span:
                        yield span
            position = values.end()
            separator = re.match(r"\s*,\s*", text[position : position + 20])
            if not separator:
                break
            position += separator.end()
