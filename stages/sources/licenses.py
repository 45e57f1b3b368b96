"""Licences of source files: a small, honest detector, the keep/drop decision and licence-header removal.

It knows SPDX identifiers (``SPDX-License-Identifier:`` lines and ids in record fields) and
a few characteristic sentences of MIT, ISC, BSD-2/3/4, Apache-2.0, GPL, LGPL, AGPL,
MPL and public-domain dedications. Anything else is ``unknown``. A result is an
expression: alternatives (OR) of licences that all apply (AND), as in SPDX.

When one text names several licences, two rules keep the answer conservative:
copyleft licence texts cite each other (the LGPL is written against the GPL, the GPL
recommends the LGPL, the MPL names the GNU licences as "Secondary Licenses"), so only the
first copyleft licence named counts; and several permissive licences are read as
alternatives (dual licensing: "MIT OR Apache-2.0", or murmurhash's "public domain; for
business purposes, MIT"), while a copyleft licence named beside permissive ones makes
them all apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

UNKNOWN = "unknown"
PUBLIC_DOMAIN = "public-domain"
VERSION_SUFFIXES = ("-only", "-or-later")

# Canonical spelling of the ids we expect in SPDX lines and in GitHub/The Stack licence fields.
KNOWN_IDS = (
    "MIT", "MIT-0", "ISC", "0BSD", "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause", "Apache-2.0", "Zlib",
    "BSL-1.0", "Unlicense", "CC0-1.0", PUBLIC_DOMAIN, "GPL-1.0", "GPL-2.0", "GPL-3.0", "LGPL-2.0", "LGPL-2.1",
    "LGPL-3.0", "AGPL-3.0", "MPL-1.1", "MPL-2.0", "EPL-1.0", "EPL-2.0",
)  # fmt: skip
_CANONICAL = {known.lower(): known for known in KNOWN_IDS}
# Licences that impose no copyleft: several of them in one text are alternatives, not conditions.
PERMISSIVE = frozenset(
    {"MIT", "MIT-0", "ISC", "0BSD", "BSD-2-Clause", "BSD-3-Clause", "Zlib", "BSL-1.0", "Apache-2.0", "Unlicense",
     "CC0-1.0", PUBLIC_DOMAIN}
)  # fmt: skip
NO_LICENSE_VALUES = frozenset({"", "none", "noassertion", UNKNOWN})


@dataclass(frozen=True)
class LicenseExpression:
    """Alternatives (OR) of licence sets that all apply (AND); ``unknown`` when nothing was found."""

    alternatives: tuple[tuple[str, ...], ...]

    @property
    def is_unknown(self) -> bool:
        return self.alternatives == ((UNKNOWN,),)

    def permitted_by(self, allowed: Iterable[str]) -> str | None:
        """The first alternative whose licences are all on ``allowed``, written out; None if there is none."""
        allowed_ids = {canonical_license_id(a) for a in allowed}
        for terms in self.alternatives:
            if all(_on_list(term, allowed_ids) for term in terms):
                return " AND ".join(terms)
        return None

    def __str__(self) -> str:
        written = [" AND ".join(terms) for terms in self.alternatives]
        if len(written) > 1:
            written = [f"({w})" if len(terms) > 1 else w for w, terms in zip(written, self.alternatives, strict=True)]
        return " OR ".join(written)


UNKNOWN_LICENSE = LicenseExpression(((UNKNOWN,),))


def canonical_license_id(raw: str) -> str:
    """``mit`` → ``MIT``, ``GPL-2.0+`` → ``GPL-2.0-or-later``; unknown ids are kept as written."""
    value = raw.strip()
    if value.lower() in NO_LICENSE_VALUES:
        return UNKNOWN
    suffix = ""
    if value.endswith("+"):
        value, suffix = value[:-1], "-or-later"
    for candidate in VERSION_SUFFIXES:
        if value.lower().endswith(candidate):
            value, suffix = value[: -len(candidate)], candidate
    return _CANONICAL.get(value.lower(), value) + suffix


def _on_list(license_id: str, allowed: set[str]) -> bool:
    """``GPL-3.0`` on the list allows ``GPL-3.0-only`` and ``GPL-3.0-or-later``, not the other way round."""
    if license_id in allowed:
        return True
    return any(license_id.endswith(s) and license_id[: -len(s)] in allowed for s in VERSION_SUFFIXES)


def is_permissive(license_id: str) -> bool:
    return license_id in PERMISSIVE


def expression_of_named(license_ids: Iterable[str]) -> LicenseExpression:
    """Licences named in one text (in order of appearance) as one expression, by the rules in the module doc."""
    ids = [i for i in dict.fromkeys(license_ids) if i != UNKNOWN]
    copyleft = [i for i in ids if not is_permissive(i)]
    permissive = [i for i in ids if is_permissive(i)]
    if copyleft:
        return LicenseExpression(((copyleft[0], *permissive),))
    if permissive:
        return LicenseExpression(tuple((i,) for i in permissive))
    return UNKNOWN_LICENSE


# --- SPDX expressions -------------------------------------------------------------------------------------------

SPDX_LINE = re.compile(r"SPDX-License-Identifier:\s*(?P<expr>[^\n]*)", re.IGNORECASE)
_SPDX_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_COMMENT_CLOSERS = re.compile(r"\s*(?:\*/|-->|\"\"\"|'''|\*\)|-\}|\]\]).*$")


class _SpdxSyntaxError(ValueError):
    pass


def parse_spdx_expression(expression: str) -> LicenseExpression:
    """An SPDX licence expression (``MIT OR (Apache-2.0 AND BSD-2-Clause)``) in OR-of-AND form.

    AND binds tighter than OR, as the SPDX specification says; ``WITH exception`` stays attached
    to its licence. A malformed expression is ``unknown``.
    """
    tokens = _SPDX_TOKEN.findall(_COMMENT_CLOSERS.sub("", expression))
    try:
        alternatives, position = _parse_or(tokens, 0)
        if position != len(tokens) or not alternatives:
            raise _SpdxSyntaxError(expression)
    except _SpdxSyntaxError:
        return UNKNOWN_LICENSE
    return LicenseExpression(tuple(tuple(dict.fromkeys(terms)) for terms in alternatives))


def _parse_or(tokens: list[str], position: int) -> tuple[list[tuple[str, ...]], int]:
    alternatives, position = _parse_and(tokens, position)
    while position < len(tokens) and tokens[position].upper() == "OR":
        more, position = _parse_and(tokens, position + 1)
        alternatives += more
    return alternatives, position


def _parse_and(tokens: list[str], position: int) -> tuple[list[tuple[str, ...]], int]:
    alternatives, position = _parse_atom(tokens, position)
    while position < len(tokens) and tokens[position].upper() == "AND":
        right, position = _parse_atom(tokens, position + 1)
        alternatives = [left + more for left in alternatives for more in right]
    return alternatives, position


def _parse_atom(tokens: list[str], position: int) -> tuple[list[tuple[str, ...]], int]:
    if position >= len(tokens) or tokens[position].upper() in ("AND", "OR", "WITH", ")"):
        raise _SpdxSyntaxError("expected a licence id")
    if tokens[position] == "(":
        inner, position = _parse_or(tokens, position + 1)
        if position >= len(tokens) or tokens[position] != ")":
            raise _SpdxSyntaxError("unclosed parenthesis")
        return inner, position + 1
    license_id = canonical_license_id(tokens[position])
    position += 1
    if position + 1 < len(tokens) and tokens[position].upper() == "WITH":
        license_id, position = f"{license_id} WITH {tokens[position + 1]}", position + 2
    return [(license_id,)], position


def spdx_expression_in(text: str) -> LicenseExpression | None:
    """The licence of ``SPDX-License-Identifier:`` lines in ``text`` (several lines all apply); None if none."""
    found = [parse_spdx_expression(m.group("expr")) for m in SPDX_LINE.finditer(text)]
    if not found:
        return None
    combined: list[tuple[str, ...]] = [()]
    for expression in found:
        combined = [left + more for left in combined for more in expression.alternatives]
    return LicenseExpression(tuple(tuple(dict.fromkeys(terms)) for terms in combined))


# --- Licence sentences ------------------------------------------------------------------------------------------

# Short, characteristic phrases (our own selection), matched on comment text flattened to single spaces
# and lower-cased. Each must start at a word boundary (checked in code: a leading \\b or any other
# non-literal start would keep the regex engine from skipping ahead to the phrase's first letters).
_PHRASES: dict[str, tuple[str, ...]] = {
    "MIT": (r"permission is hereby granted, free of charge, to any person", r"mit licen[cs]e\b",
            r"licen[cs]ed under the mit\b", r"licen[cs]e: mit\b"),
    "ISC": (r"permission to use, copy, modify, and(?:/or)? distribute this software for any purpose",),
    "BSD": (r"redistribution and use in source and binary forms, with or without modification",),
    "BSD-3-Clause": (r"bsd[- ]3[- ]clause\b", r"3-clause bsd\b", r"new bsd licen[cs]e\b", r"modified bsd licen[cs]e\b",
                     r"revised bsd licen[cs]e\b"),
    "BSD-2-Clause": (r"bsd[- ]2[- ]clause\b", r"2-clause bsd\b", r"simplified bsd licen[cs]e\b"),
    "Apache-2.0": (r"apache licen[cs]e,? version 2\.0\b", r"licen[cs]ed under the apache licen[cs]e\b",
                   r"apache-2\.0\b", r"licen[cs]e:? apache ?2\b"),
    "LGPL": (r"gnu lesser general public licen[cs]e\b", r"gnu library general public licen[cs]e\b",
             r"lgpl(?:v?\d|-\d|\b)"),
    "AGPL": (r"gnu affero general public licen[cs]e\b", r"agpl(?:v?\d|-\d|\b)"),
    "GPL": (r"gnu general public licen[cs]e\b", r"gnu gpl\b", r"gpl ?v\d", r"gpl-\d", r"gpl version \d"),
    "MPL": (r"mozilla public licen[cs]e\b", r"mpl-\d\.\d\b"),
    "GFDL": (r"gnu free documentation licen[cs]e\b",),
    "CC0-1.0": (r"cc0 1\.0 universal\b",),
    PUBLIC_DOMAIN: (r"released (?:in|into|to) the public domain\b", r"placed (?:in|into) the public domain\b",
                    r"dedicated to the public domain\b", r"put (?:in|into) the public domain\b",
                    r"is in the public domain\b", r"public domain dedication\b"),
}  # fmt: skip
# Every phrase above contains one of these single words (a line break cannot split them), so a text
# without any of them names no licence.
_ANY_LICENSE_WORD = re.compile(r"licen[cs]|gpl|bsd|apache|mpl|redistribution|permission|domain|cc0", re.IGNORECASE)
_PATTERNS = {name: [re.compile(phrase) for phrase in phrases] for name, phrases in _PHRASES.items()}
BSD_THIRD_CLAUSE = re.compile(r"neither the name of|endorse or promote products derived")
BSD_ADVERTISING_CLAUSE = re.compile(r"all advertising materials mentioning features")
_VERSION = re.compile(r"\b(?:version|v)\.? ?(\d(?:\.\d)?)|(?:gpl|mpl)-?v?(\d(?:\.\d)?)", re.IGNORECASE)
_OR_LATER = re.compile(r"any later version|or later\b|\d\+|-or-later", re.IGNORECASE)
VERSION_WINDOW = 120  # characters after a licence's name in which its version is stated
LATER_WINDOW = 200  # ... and in which "or (at your option) any later version" follows
UNVERSIONED = {
    "GPL": "GPL-1.0-or-later",  # the GPL itself: no version named means any version
    "LGPL": "LGPL-2.0-or-later",
    "AGPL": "AGPL-3.0",
    "GFDL": "GFDL-1.1-or-later",
    "MPL": "MPL",
}
_COMMENT_MARKERS = re.compile(r"^\s*(?:#+|//+|/\*+|\*+/?|--+|;+|!|%+|\"\"\"|''')?\s?", re.MULTILINE)


def flatten_comment_text(text: str) -> str:
    """Comment text with markers removed and all whitespace as single spaces, so phrases match across lines."""
    without_markers = _COMMENT_MARKERS.sub("", text).replace("*/", " ")
    return " ".join(without_markers.split())


def named_licenses(text: str) -> list[str]:
    """Licence ids whose characteristic sentences appear in ``text``, in order of first appearance."""
    if not _ANY_LICENSE_WORD.search(text):
        return []  # most files state no licence: one cheap scan instead of a dozen
    flat = flatten_comment_text(text).lower()
    found: list[tuple[int, str]] = []
    for family, patterns in _PATTERNS.items():
        matches = _phrase_matches(patterns, flat)
        if matches:
            found.append((matches[0].start(), _refine(family, flat, matches)))
    return [license_id for _, license_id in sorted(found)]


def _phrase_matches(patterns: list[re.Pattern[str]], flat: str) -> list[re.Match[str]]:
    """Matches of any of the phrases that start a word ("mit license", not "submit license"), in text order."""
    matches = [
        match
        for pattern in patterns
        for match in pattern.finditer(flat)
        if match.start() == 0 or not flat[match.start() - 1].isalnum()
    ]
    return sorted(matches, key=lambda match: match.start())


def _refine(family: str, flat: str, matches: list[re.Match[str]]) -> str:
    """A licence family plus what the text around its name says (version, later versions, BSD clauses).

    A text may name its licence briefly first ("licensed under the LGPL") and state the version
    later, so the first mention that comes with a version decides.
    """
    if family == "BSD":
        start = matches[0].start()
        if BSD_ADVERTISING_CLAUSE.search(flat, start):
            return "BSD-4-Clause"
        return "BSD-3-Clause" if BSD_THIRD_CLAUSE.search(flat, start) else "BSD-2-Clause"
    if family not in UNVERSIONED:
        return family
    for match in matches:
        version_match = _VERSION.search(flat, match.start(), match.end() + VERSION_WINDOW)
        if version_match is None:
            continue
        version = version_match.group(1) or version_match.group(2)
        version = version if "." in version else f"{version}.0"
        if family == "MPL":
            return f"MPL-{version}"
        later = _OR_LATER.search(flat, match.start(), match.end() + LATER_WINDOW)
        return f"{family}-{version}{'-or-later' if later else '-only'}"
    return UNVERSIONED[family]


def license_of_text(text: str) -> LicenseExpression:
    """The licence a file header or licence file states: SPDX lines if any (they are exact), else its sentences."""
    spdx = spdx_expression_in(text)
    if spdx is not None:
        return spdx
    return expression_of_named(named_licenses(text))


def license_of_field(value: object) -> LicenseExpression:
    """A record's licence field: an SPDX expression, a GitHub licence key, or a list of ids found in the repo."""
    if value is None:
        return UNKNOWN_LICENSE
    if isinstance(value, (list, tuple)):
        return expression_of_named(canonical_license_id(str(v)) for v in value)
    text = str(value)
    if re.search(r"\s(?:OR|AND|WITH)\s|\(", text):
        return parse_spdx_expression(text)
    license_id = canonical_license_id(text)
    return UNKNOWN_LICENSE if license_id == UNKNOWN else LicenseExpression(((license_id,),))


# --- Decisions and headers ---------------------------------------------------------------------------------------

# LICENSE, LICENCE.md, COPYING.LESSER, LICENSE-MIT, license-apache.txt; not license.py or license_check.py.
LICENSE_FILE_NAME = re.compile(
    r"^(?i:licen[cs]e|copying|unlicense)(?:-(?i:[a-z0-9-]+)|\.[A-Z0-9]+)?(?i:\.(?:txt|md|rst|markdown))?$"
)


def is_license_file_name(path: str) -> bool:
    """LICENSE, LICENCE.txt, COPYING.LESSER, LICENSE-MIT, UNLICENSE…: licence texts, not code."""
    return bool(LICENSE_FILE_NAME.match(PurePosixPath(path).name))


@dataclass(frozen=True)
class LicenseDecision:
    license: str
    source: str  # "repo" or "file"
    allowed: bool


def decide_license(repo: LicenseExpression, file: LicenseExpression, allowed: list[str]) -> LicenseDecision:
    """The repository's licence decides, unless the file states its own licence and only that one is allowed.

    RedPajama-v1 filtered on the repository licence; a file-level licence overrides it only
    when it is more permissive (vendored MIT code in an LGPL project stays MIT).
    """
    chosen = repo.permitted_by(allowed)
    if chosen is not None:
        return LicenseDecision(chosen, "repo", True)
    chosen = file.permitted_by(allowed)
    if chosen is not None:
        return LicenseDecision(chosen, "file", True)
    return LicenseDecision(str(repo), "repo", False)


# Comment syntax per language: line prefixes and an optional block delimiter pair. C style is the default.
C_BLOCK = ("/*", "*/")
COMMENT_SYNTAX: dict[str, tuple[tuple[str, ...], tuple[str, str] | None]] = {
    **{lang: (("#",), None) for lang in ("Python", "Shell", "Ruby", "Perl", "R", "Julia", "Makefile", "Dockerfile")},
    "SQL": (("--",), C_BLOCK),
    "Lua": (("--",), None),
    "Haskell": (("--",), ("{-", "-}")),
    "PHP": (("//", "#"), C_BLOCK),
}
DEFAULT_COMMENT_SYNTAX: tuple[tuple[str, ...], tuple[str, str] | None] = (("//",), C_BLOCK)
LICENSE_WORDS = re.compile(
    r"copyright|licen[cs]e|spdx-license-identifier|all rights reserved|public domain"
    r"|permission (?:is hereby granted|to use|notice)",
    re.IGNORECASE,
)
PREAMBLE = re.compile(r"^(?:#!|<\?php|[ \t\f]*#.*?coding[:=])")  # shebang, PHP open tag, PEP 263 coding line


def strip_license_header(text: str, language: str | None) -> str:
    """The file without its leading licence comment blocks; code and docstrings after them stay.

    RedPajama-v1 / The Stack practice: boilerplate licence headers repeat across millions of
    files and teach the model nothing. A leading comment block is cut when it mentions
    copyright, a licence, SPDX or a permission notice; a shebang or coding line above it stays,
    and so does the first comment block that does not look like a licence (module documentation).
    """
    line_prefixes, block = COMMENT_SYNTAX.get(language or "", DEFAULT_COMMENT_SYNTAX)
    lines = text.splitlines(keepends=True)
    preamble = 0
    while preamble < min(len(lines), 2) and PREAMBLE.match(lines[preamble]):
        preamble += 1
    position = preamble
    while True:
        start = position
        while start < len(lines) and not lines[start].strip():
            start += 1
        end = _comment_block_end(lines, start, line_prefixes, block)
        if end == start or not LICENSE_WORDS.search("".join(lines[start:end])):
            break
        position = end
    if position == preamble:
        return text
    while position < len(lines) and not lines[position].strip():
        position += 1
    return "".join(lines[:preamble] + lines[position:])


def _comment_block_end(
    lines: list[str], start: int, line_prefixes: tuple[str, ...], block: tuple[str, str] | None
) -> int:
    """Index after the comment block starting at ``start`` (``start`` itself when there is none)."""
    if start >= len(lines):
        return start
    first = lines[start].lstrip()
    if block is not None and first.startswith(block[0]):
        opened = lines[start][lines[start].index(block[0]) + len(block[0]) :]
        for index in range(start, len(lines)):
            segment = opened if index == start else lines[index]
            if block[1] in segment:
                after = segment.split(block[1], 1)[1]
                return index + 1 if not after.strip() else start  # code after the comment: leave the line alone
        return start  # an unterminated comment is not a header we can cut safely
    end = start
    while end < len(lines) and lines[end].lstrip().startswith(line_prefixes):
        end += 1
    return end
