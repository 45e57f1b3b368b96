"""Features of the learned secret tagger (:mod:`filters.pii_tagger`): tokens, candidate lines and the context of each
token.

Besides the token's own shape and its neighbours, the features describe where a value sits, because credentials
turn up in a few structural slots whatever the label: the password of a URL's userinfo, the n-th argument of a
call (``login(user, "v")``), a quoted string, the last field of a colon-separated record (``.pgpass``), a table
cell under a column header (Markdown, wiki, LaTeX, CSV), the line after a label (YAML block scalars). Credential
words come from a small multilingual lexicon as well as from the words themselves, so a label the training data
never showed can still count.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from filters.pii_lexicon import lexicon_hits
from filters.pii_values import is_passphrase, shannon_entropy

BEFORE = 12  # tokens tagged before a candidate word: its label, separator and quotes
LEXICON_REACH = 120
BLOCK_REACH = 12  # lines a list heading may stand above a value
AFTER = 6

# An HTML entity is one token, so "&amp;" after a value in a link is not read as part of it.
_TOKEN = re.compile(r"&[a-z]{2,8};|&#\d{2,6};|[A-Za-z0-9]+|[^\x00-\x7f\s]+|\S")
_WORD = re.compile(r"\S+")
_WRAPPING = "\"'`«»“”„「」『』()[]{}<>,;.:!?"
_LINE_KEY = re.compile(r"""^[ \t\-*>#|]*["'<]?(?P<key>[A-Za-z_][\w.\-]{0,60})["'>]?[ \t]*(?::=|=>|[:=])""")
_KEY_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def _has_classes(word: str) -> int:
    lower = any(c.islower() for c in word)
    upper = any(c.isupper() for c in word)
    digit = any(c.isdigit() for c in word)
    return lower + upper + digit


# Covid-19, Paris-8, Reiki-Kraft, 31-Michael, 5K-Displays, G7-Gipfel, 30min-1hr: one hyphen joins two words, numbers
# or short unit-like tokens; Oliveira22, Windows10: a name and a small number.
_SHORT_PART = r"(?:[A-Za-z][a-z]*|\d{1,3}[A-Za-z]{0,3}|[A-Za-z]{1,2}\d{1,2})"
_PROSE_COMPOUND = re.compile(rf"{_SHORT_PART}-{_SHORT_PART}|[A-Z][a-z]+\d{{1,2}}")
_PLAIN_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^@?=]*", re.IGNORECASE)  # a URL without userinfo or query


def is_candidate_word(word: str) -> bool:
    """A word that could be a credential: ASCII, six characters or more, mixing letters with digits or lower case
    with capitals; not a capitalised word, a two-part compound, a URL without userinfo or query."""
    core = word.strip(_WRAPPING)
    if len(core) < 6 or not core.isascii():
        return False
    if _has_classes(core) < 2:  # one class: long upper-case keys (AKIA...) and passphrases, never prose or numbers
        return (len(core) >= 16 and not core.islower() and not core.isdigit()) or is_passphrase(core)
    if core[0].isupper() and core[1:].isalpha() and core[1:].islower():
        return False
    return not (_PROSE_COMPOUND.fullmatch(core) or _PLAIN_URL.fullmatch(core))


def _shape(token: str) -> str:
    out: list[str] = []
    for char in token:
        mark = "A" if char.isupper() else "a" if char.islower() else "0" if char.isdigit() else char
        if len(out) < 2 or out[-1] != mark or out[-2] != mark:
            out.append(mark)
    return "".join(out[:10])


def _bucket(n: int) -> str:
    return "0" if n == 0 else str(min(7, n.bit_length()))


def _rep(token: str) -> str:
    if len(token) == 1 or (token.isalpha() and len(token) <= 24):
        return token.lower()
    return "S:" + _shape(token)


@dataclass
class Line:
    """One line of a text, with the lines around it (for the line above and table headers)."""

    lines: list[str]
    index: int
    start: int
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = self.lines[self.index]

    def previous(self) -> str:
        for k in range(self.index - 1, max(-1, self.index - 4), -1):
            if self.lines[k].strip():
                return self.lines[k]
        return ""

    def block_head(self) -> str:
        """The first line of this line's paragraph when it lies above the previous line: the heading of a list
        ("Backup codes (GitHub):" over one code per line)."""
        head = ""
        for k in range(self.index - 1, max(-1, self.index - BLOCK_REACH), -1):
            if not self.lines[k].strip():
                break
            head = self.lines[k] if k < self.index - 1 else ""
        return head


def _label_features(name: str, text: str) -> list[str]:
    """A label's words and its lexicon classes: ``kp=password``, ``kpl=pass``."""
    words = [w[:20] for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1]
    features = [f"{name}=" + w.lower() for w in words[-3:]]
    features.extend({f"{name}l=" + cls for _, cls in lexicon_hits(text)})
    return features


def _line_context(line: Line) -> list[str]:
    features: list[str] = []
    key = _LINE_KEY.match(line.text)
    if key:
        for part in _KEY_PART.findall(key.group("key"))[-4:]:
            features.append("kp=" + part.lower()[:20])
        features.extend({"kpl=" + cls for _, cls in lexicon_hits(key.group("key"))})
    previous = line.previous().strip()
    if previous:
        features.extend(_label_features("pl", previous[-40:]))
        features.append("plend=" + previous[-1])
    head = line.block_head().strip()
    if head:
        features.extend(_label_features("bh", head[-40:]))
    if len(line.text.split()) == 1:
        features.append("alone")  # a value on a line of its own: under a label, in a list
    return features


# --- where a token sits -----------------------------------------------------------------------------------------

_URL_USERINFO = re.compile(r"[A-Za-z][\w+.-]{0,20}://[^\s:/@]{0,64}:([^\s@/]{1,200})@")
_QUOTED = re.compile(r"\"([^\"\n]{1,400})\"|'([^'\n]{1,400})'|`([^`\n]{1,400})`")
_CALL_NAME = re.compile(r"([A-Za-z_$][\w$]*)\s*$")
_RULE_ROW = re.compile(r"[\s|:+=-]*|\s*\\(?:hline|midrule|toprule|bottomrule|cline\{[^}]*\})\s*")
_TABLE_SEPARATORS = ("||", "|", "\t", ";", ",")


def _ranges(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, int]]:
    """(start, end, ordinal) of the first non-empty group of every match."""
    out = []
    for k, match in enumerate(pattern.finditer(text)):
        group = next(g for g in range(1, (pattern.groups or 0) + 1) if match.group(g) is not None)
        out.append((match.start(group), match.end(group), k))
    return out


def _calls(text: str, starts: list[int]) -> list[tuple[str, int] | None]:
    """For each token start: the innermost call it is an argument of (the call's name) and the argument's index."""
    out: list[tuple[str, int] | None] = []
    stack: list[list[Any]] = []
    quote = ""
    position = 0
    for start in starts:
        while position < start:
            char = text[position]
            if quote:
                quote = "" if char == quote and text[position - 1] != "\\" else quote
            elif char in "\"'`":
                quote = char
            elif char == "(":
                name = _CALL_NAME.search(text, max(0, position - 40), position)
                stack.append([name.group(1) if name else "", 0])
            elif char == ")" and stack:
                stack.pop()
            elif char == "," and stack:
                stack[-1][1] += 1
            position += 1
        out.append((stack[-1][0], stack[-1][1]) if stack else None)
    return out


def _table(line: Line) -> tuple[str, list[str]] | None:
    """(separator, header cells) when the line is a row of a table whose header lies above it."""
    text = line.text
    if text.rstrip().endswith("\\\\") and "&" in text:
        separator = "&"
    else:
        separator = next((s for s in _TABLE_SEPARATORS if text.count(s) >= (1 if len(s) == 2 or s == "|" else 2)), "")
    if not separator:
        return None
    delimited = separator in ("\t", ";", ",")  # a CSV header has as many separators as its rows; prose does not
    header = None
    for k in range(line.index - 1, max(-1, line.index - 40), -1):
        above = line.lines[k].replace("!!", "||")
        if above.startswith("!"):
            above = "|" + above[1:]
        if not above.strip():
            break
        if _RULE_ROW.fullmatch(above):  # |---|, a wiki's |-, LaTeX's \midrule: they separate, they name nothing
            continue
        if separator not in above or (delimited and above.count(separator) != text.count(separator)):
            break
        header = above
    if header is None:
        return None
    return separator, [cell.strip().strip("!*#\\{}").lower() for cell in header.split(separator)]


def structural_features(line: Line, tokens: list[re.Match[str]], low: int, high: int) -> dict[int, list[str]]:
    """For tokens[low:high]: URL password, quoted string, call argument, table column."""
    text = line.text
    features: dict[int, list[str]] = {i: [] for i in range(low, high)}
    starts = [t.start() for t in tokens]
    for name, ranges in (("url", _ranges(_URL_USERINFO, text)), ("q", _ranges(_QUOTED, text))):
        for a, b, k in ranges:
            first, last = max(low, bisect.bisect_left(starts, a)), min(high, bisect.bisect_left(starts, b))
            spaced = " " in text[a:b]
            for i in range(first, last):
                features[i].extend((name, f"{name}#{min(k, 3)}", f"{name}sp" if spaced else f"{name}1"))
    if "(" in text:
        for i, call in enumerate(_calls(text, starts[low:high]), start=low):
            if call:
                name, argument = call
                parts = _KEY_PART.findall(name) or [name]
                features[i].extend(("arg=" + str(min(argument, 4)), "call=" + parts[-1].lower()[:20]))
    table = _table(line)
    if table:
        separator, header = table
        columns: dict[int, list[str]] = {}
        for i in range(low, high):
            column = text.count(separator, 0, starts[i])
            if column not in columns:
                columns[column] = _label_features("col", header[column]) if column < len(header) else []
            features[i].extend(columns[column])
    return features


def sequence(line: Line, first: int, last: int, tokens: list[re.Match[str]]) -> list[list[str]]:
    """Features of tokens[first:last] of one line."""
    text = line.text
    # Credential words further than LEXICON_REACH characters from the window do not label anything in it.
    reach_start = max(0, tokens[first].start() - LEXICON_REACH)
    reach_end = min(len(text), tokens[last - 1].end() + LEXICON_REACH)
    hits = [(reach_start + at, kind) for at, kind in lexicon_hits(text[reach_start:reach_end])]
    words = list(_WORD.finditer(text))
    word_starts = [w.start() for w in words]
    low, high = max(0, first - 4), min(len(tokens), last + 3)
    reps = {i: _rep(tokens[i].group()) for i in range(low, high)}
    shared = _line_context(line)
    structure = structural_features(line, tokens, first, last)
    word_features: dict[int, list[str]] = {}
    out: list[list[str]] = []
    for i in range(first, last):
        token = tokens[i].group()
        start, end = tokens[i].span()
        word = words[bisect.bisect_right(word_starts, start) - 1]
        f = ["b", "r=" + reps[i], "sh=" + _shape(token), "len=" + _bucket(len(token))]
        if start == 0 or text[start - 1].isspace():
            f.append("sb")
        if end == len(text) or text[end].isspace():
            f.append("sa")
        f.append("wp=" + ("B" if start == word.start() else "") + ("E" if end == word.end() else ""))
        if word.start() not in word_features:
            word_features[word.start()] = _word_features(word.group(), text, word.start())
        f.extend(word_features[word.start()])
        for d in (-4, -3, -2, -1, 1, 2, 3):
            j = i + d
            f.append(f"r{d}=" + (reps[j] if low <= j < high else "^" if j < 0 else "$"))
        f.append("r-2|r-1=" + (reps[i - 2] if i >= 2 else "^") + "|" + (reps[i - 1] if i >= 1 else "^"))
        before = [(start - pos, cls) for pos, cls in hits if pos < start]
        after = [(pos - end, cls) for pos, cls in hits if pos >= end]
        if before:
            distance, cls = min(before)
            f.append(f"lex<={cls}")
            f.append(f"lex<d={_bucket(distance)}")
        if after:
            distance, cls = min(after)
            f.append(f"lex>={cls}")
            f.append(f"lex>d={_bucket(distance)}")
        fields = word.group().count(":")
        if fields >= 3 and text.rfind(":", word.start(), start) == text.rfind(":", word.start(), word.end()):
            f.append("lastfield")
        f.extend(structure[i])
        f.extend(shared)
        out.append(f)
    return out


def _word_features(word: str, text: str, word_start: int) -> list[str]:
    core = word.strip(_WRAPPING)
    features = [
        "wl=" + _bucket(len(core)),
        "wc="
        + "".join(
            flag
            for flag, test in (("l", str.islower), ("u", str.isupper), ("d", str.isdigit), ("s", _is_symbol))
            if any(test(c) for c in core)
        ),
    ]
    if core:
        features.append("we=" + str(int(shannon_entropy(core) * 2)))
    if is_candidate_word(word):
        features.append("cand")
    previous = text[:word_start].split()
    for d, prior in enumerate(reversed(previous[-2:]), start=1):
        stripped = prior.strip(_WRAPPING).lower()
        rep = stripped if stripped.isalpha() and len(stripped) <= 24 else "S:" + _shape(stripped)
        features.append(f"pw-{d}=" + rep)
    return features


def _is_symbol(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


# Finds the words worth a look at memory speed: a letter followed by a digit, a digit by a letter, or a lower-case
# letter by a capital inside one word. Prose words, capitalised words and numbers never match, nor do values of one
# character class ("correct-horse-battery"): the rules still find those behind a label.
_MIXED = re.compile(
    r"[A-Za-z][^\s\d]{0,40}+\d|\d[^\sA-Za-z]{0,40}+[A-Za-z]|[a-z][^\sA-Z]{0,40}+[A-Z]|[a-z]{3}([-_+.~])[a-z]{3,}\1[a-z]{3}"
)


_ASSIGNED = re.compile(r"""[=:]["'`]?([^\s"'`=:]+)""")


def _assigned_passphrase(word: str) -> bool:
    """``psk="granite-cinder-olive"``: a word holding an assignment is one word to the gate, and a passphrase has
    one character class, so the value is looked at on its own."""
    return any(is_passphrase(value.rstrip(_WRAPPING)) for value in _ASSIGNED.findall(word))


def candidate_windows(line: Line, tokens: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Token ranges of a line to tag: around each candidate word, ``BEFORE`` tokens before and ``AFTER`` after."""
    starts = [t.start() for t in tokens]
    windows: list[tuple[int, int]] = []
    for word in _WORD.finditer(line.text):
        if word.end() - word.start() < 6 or not (is_candidate_word(word.group()) or _assigned_passphrase(word.group())):
            continue
        first = max(0, bisect.bisect_left(starts, word.start()) - BEFORE)
        last = min(len(tokens), bisect.bisect_left(starts, word.end()) + AFTER)
        if windows and first <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], last))
        else:
            windows.append((first, last))
    return windows


def iter_sequences(text: str) -> Iterator[tuple[Line, list[re.Match[str]], int, int]]:
    """(line, tokens, first, last) for every window of ``text`` worth tagging."""
    mixed = [m.start() for m in _MIXED.finditer(text)]  # one scan of the whole text finds the lines to look at
    if not mixed:
        return
    lines = text.split("\n")
    starts: list[int] = []
    position = 0
    for raw in lines:
        starts.append(position)
        position += len(raw) + 1
    for index in sorted({bisect.bisect_right(starts, at) - 1 for at in mixed}):
        line = Line(lines, index, starts[index])
        if len(line.text) < 6:
            continue
        tokens = list(_TOKEN.finditer(line.text))
        for first, last in candidate_windows(line, tokens):
            yield line, tokens, first, last
