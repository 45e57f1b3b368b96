"""Secrets in tables: a column whose header names a secret, and combo lists.

Credential dumps are tables: ``service,username,password`` followed by rows, a Markdown or HTML table with a
``Passwort`` column, ``INSERT INTO t (name, api_key) VALUES (...)``. The label is in the header, the values are
in the rows, so neither the assignment nor the prose patterns see them. :mod:`filters.pii_grids` reads the
table syntaxes; a header names a secret column when it holds a credential word of the multilingual lexicon and
no word that makes it about something else (``Password hash``, ``Key ID``, ``Token expiry``). A combo list
(``e-mail:password``, one account per line) has no header at all: its shape is the label.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from filters.pii_grids import Grid, grids
from filters.pii_lexicon import LEXICON, NOT_CREDENTIAL_LABEL, PW_WORD, lexicon_hits
from filters.pii_values import is_access_code, is_spaced_passphrase

ValueCheck = Callable[[str], bool]

_SECRET_CLASSES = frozenset({"pass", "key", "token", "secret"})
_ABBREVIATED_HEADERS = frozenset({"pw", "pwd", "pass", "pin", "psk", "key", "code", "sifre", "mdp"})
# Columns about a secret that hold none: its name, owner, age, hash, policy or a masked form.
_ABOUT_A_SECRET = re.compile(
    r"(?i)(?<![a-z])(?:id|ids|name|names|hash|hashes|digest|public|pub|type|expir\w*|valid\w*|date|datum|fecha|"
    r"created|updated|changed|geändert|last|letzte|length|länge|policy|hint|hinweis|fingerprint|reset|status|salt|"
    r"rotation|rotated|owner|strength|algorithm|format|url|path|file|count|prefix|suffix|masked|scope|scopes|"
    r"version|size|age|alter|request|trace|correlation|partition|primary|foreign|sort|shard|row|object|licen[cs]e|"
    r"product|serial|activation)(?![a-z])|(?<=[a-z])(?:Id|Name|Hash)$"
)
_HEADER_WRAPPING = "`\"'*_: "


def is_secret_header(name: str) -> bool:
    cell = name.strip().strip(_HEADER_WRAPPING)
    if not cell or len(cell) > 40:
        return False
    if cell.lower() in _ABBREVIATED_HEADERS or PW_WORD.search(cell):
        return True  # "pw", "WiFi PW"; never "ePw" inside a value
    classes = {kind for _, kind in lexicon_hits(cell)}
    return bool(classes & _SECRET_CLASSES) and not (_ABOUT_A_SECRET.search(cell) or NOT_CREDENTIAL_LABEL.search(cell))


def table_secret_spans(text: str, value_check: ValueCheck) -> Iterator[tuple[int, int]]:
    header_lines = _header_lines(text)
    if header_lines:
        for grid in grids(text, header_lines):
            yield from _column_values(text, grid, value_check)
        yield from _sql_inserts(text, value_check)
    yield from _combo_list(text)


# Words a secret column's header holds: the lexicon's password, key, token and secret words, and abbreviations.
_HEADER_WORDS = tuple(sorted({w for w, kind in LEXICON.items() if kind in _SECRET_CLASSES} | _ABBREVIATED_HEADERS))


_NEWLINE = re.compile("\n")


def _header_lines(text: str) -> set[int]:
    """Indices of the lines that could name a secret column: those holding a credential word or abbreviation."""
    lowered = text.lower()
    offsets = []
    for word in _HEADER_WORDS:  # str.find runs at memory speed; the lexicon's regular expression does not
        at = lowered.find(word)
        while at >= 0:
            offsets.append(at)
            at = lowered.find(word, at + len(word))
    if not offsets:
        return set()
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    return {bisect.bisect_left(newlines, at) for at in offsets}


def _column_values(text: str, grid: Grid, value_check: ValueCheck) -> Iterator[tuple[int, int]]:
    columns = {i: value_check for i, name in enumerate(grid.header) if is_secret_header(name)}
    columns.update({i: is_access_code for i, name in enumerate(grid.header) if _is_pin_header(name)})
    for row in grid.rows if columns else ():
        for column, check in columns.items():
            if column < len(row):
                start, end = row[column]
                span = _value_span(text[start:end], start, check)
                if span:
                    yield span


# A PIN column ("PIN", "PIN kodas", "mã PIN", "পিন") holds short codes: capitals and digits, both.
_PIN_HEADER = re.compile(r"(?i)(?<![a-z])pin(?![a-z])|пин|пін|পিন|पिन|پین")


def _is_pin_header(name: str) -> bool:
    return bool(_PIN_HEADER.search(name)) and len(name.strip()) <= 40 and not _ABOUT_A_SECRET.search(name)


# One account per line: a login (an e-mail address or a user name), a separator, the password, and at most a
# " | Country = KE"-style note after it.
_COMBO_LINE = re.compile(
    r"^[ \t]*(?P<login>[\w.+-]{1,64}(?P<at>@[\w-]{1,63}(?:\.[\w-]{1,63})+)?)[ \t]*[:;|\t][ \t]*"
    r"(?P<password>[^\s:;|]{6,128})(?:[ \t]+\|[^\n]*)?[ \t]*$",
    re.MULTILINE,
)


def _combo_list(text: str) -> Iterator[tuple[int, int]]:
    """Passwords of a combo list. Two lines with an e-mail login, or three lines of which one has an e-mail login,
    make a list (one line alone may be an address and a port, and a password there is the tagger's to judge). The
    passwords of a dump are what users chose, so guessable ones count; an all-digit value (a port, a count) and a
    path do not."""
    if "@" not in text:
        return
    lines = [m for m in _COMBO_LINE.finditer(text) if not m["password"].isdigit() and "/" not in m["password"]]
    with_address = sum(1 for m in lines if m["at"])
    if with_address >= 2 or (with_address and len(lines) >= 3):
        yield from (m.span("password") for m in lines)


# A cell's value may be wrapped in quotes, code markup or LaTeX's \texttt{}.
_WRAPPED = re.compile(
    r"""(?:`|"|'|<(?:code|tt|kbd|samp|b|strong)>|\\(?:texttt|verb|code)\{)(?P<value>.+?)(?:`|"|'|</(?:code|tt|kbd|samp|b|strong)>|\})"""
)


_LATEX_VERB = re.compile(r"\\verb\*?(?P<delimiter>[^\w\s*])(?P<value>.+?)(?P=delimiter)")  # \verb|v|, \verb+v+


def _value_span(raw: str, offset: int, value_check: ValueCheck) -> tuple[int, int] | None:
    stripped = raw.strip()
    lead = raw.index(stripped) if stripped else 0
    wrapped = _WRAPPED.fullmatch(stripped) or _LATEX_VERB.fullmatch(stripped)
    if wrapped:
        lead += wrapped.start("value")
        stripped = wrapped.group("value")
    if len(stripped) < 6 or stripped.startswith("|"):
        return None
    if any(ch.isspace() for ch in stripped):
        spaced = value_check is not is_access_code and is_spaced_passphrase(stripped)
        return (offset + lead, offset + lead + len(stripped)) if spaced else None
    if not value_check(stripped.replace("\\", "") if "\\" in stripped else stripped):
        return None  # LaTeX escapes: "\$argon2id\$v=19..." is a stored hash
    return offset + lead, offset + lead + len(stripped)


_SQL_INSERT = re.compile(r"(?is)insert\s+into\s+[\w.`\"\[\]]+\s*\(([^)]*)\)\s*values\s*")
_SQL_TUPLE = re.compile(r"\(((?:'(?:[^']|'')*'|[^()'])*)\)")
_SQL_ITEM = re.compile(r"\s*('(?:[^']|'')*'|[^,]*?)\s*(?:,|$)")


def _sql_inserts(text: str, value_check: ValueCheck) -> Iterator[tuple[int, int]]:
    if "insert" not in text and "INSERT" not in text and "Insert" not in text:
        return
    for insert in _SQL_INSERT.finditer(text):
        names = [name.strip().strip('`"[] ').lower() for name in insert.group(1).split(",")]
        columns = [i for i, name in enumerate(names) if is_secret_header(name)]
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
                    span = _value_span(item.group(1), item.start(1), value_check)
                    if span:
                        yield span
            position = values.end()
            separator = re.match(r"\s*,\s*", text[position : position + 20])
            if not separator:
                break
            position += separator.end()
