"""LaTeX mechanics for the arXiv recipe: comments, verbatim content and user macros.

LLaMA 1 (Touvron et al. 2023), section 2.1 "ArXiv": "We also removed the comments from
the .tex files, and inline-expanded definitions and macros written by users." These are
those two rules, as pure functions; the rest of the recipe is in ``stages.sources.arxiv``.

Verbatim-like content (``verbatim``, ``lstlisting``, ``\\verb|..|``...) is set aside
behind placeholders while the other rules run, so a ``%`` or a macro name inside code
is left as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Environments whose body TeX reads verbatim: '%' there is text, not a comment.
VERBATIM_ENVIRONMENTS = (
    "verbatim", "Verbatim", "BVerbatim", "lstlisting", "minted", "alltt",
    "pyverbatim", "pycode", "pyblock", "pyconsole",
)  # fmt: skip
_VERBATIM_NAMES = "|".join(re.escape(name) + r"\*?" for name in VERBATIM_ENVIRONMENTS)
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")

# One left-to-right scan decides what each '%' is: a comment, escaped (\%), or text inside verbatim or a URL.
# Every alternative starts with a literal ('\n', '%' or '\\'), which keeps the scan about ten times faster.
_COMMENT_SCAN = re.compile(
    r"\n(?P<comment_line>[ \t]*%[^\n]*)"
    r"|%(?P<comment>[^\n]*)"
    r"|\\(?:(?P<escaped>[\\%])"
    r"|(?P<comment_env>begin\{comment\}.*?\\end\{comment\})"
    rf"|(?P<verbatim>begin\{{(?P<env>{_VERBATIM_NAMES})\}}.*?\\end\{{(?P=env)\}})"
    r"|(?P<verb>(?:verb|lstinline)\*?(?P<delim>[^A-Za-z\s*\[{])[^\n]*?(?P=delim))"
    r"|(?P<url>(?:url|href)\s*\{[^{}\n]*\}))",
    re.DOTALL,
)

_DEFINITION = re.compile(
    r"\\\\|\\(?P<command>newcommand|renewcommand|providecommand|DeclareRobustCommand|def|gdef)(?![A-Za-z])\*?"
)
_DEFINES_MACROS = re.compile(
    r"\\(?:newcommand|renewcommand|providecommand|DeclareRobustCommand|def|gdef|edef|xdef|let)(?![A-Za-z])"
)
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
_BRACE_TOKEN = re.compile(r"\\[\s\S]|[{}]")
MAX_OPTIONAL_CHARS = 10_000  # an optional argument longer than this is taken as runaway
MAX_PARAMETER_TEXT = 100  # \def\name<parameter text>{: #1#2... is short
_PARAMETER = re.compile(r"\\[\s\S]|#(#|[1-9])")  # \# is a character, not a parameter


class MacroError(Exception):
    """The expander cannot go on: a runaway argument or a text that keeps growing."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class VerbatimStore:
    """Verbatim spans set aside behind ``\\x00n\\x00`` placeholders (no .tex text holds NUL)."""

    def __init__(self) -> None:
        self.spans: list[str] = []

    def protect(self, span: str) -> str:
        self.spans.append(span)
        return f"\x00{len(self.spans) - 1}\x00"

    def restore(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.spans[int(m.group(1))], text)


def strip_comments(text: str, store: VerbatimStore) -> str:
    """Remove '%' comments and comment environments; protect verbatim content.

    LLaMA 2.1: "we removed the comments from the .tex files". A line holding only a
    comment disappears; an inline comment is cut to the end of its line (the newline is
    kept for readability, where TeX would also swallow it). ``\\%`` is a percent sign;
    ``\\\\%`` is a line break followed by a comment. ``%`` inside verbatim environments,
    ``\\verb`` and ``\\url``/``\\href`` targets is text.
    """

    def replace(match: re.Match[str]) -> str:
        if match.group("verbatim") is not None or match.group("verb") is not None:
            return store.protect(match.group())
        if match.group("escaped") is not None or match.group("url") is not None:
            return match.group()
        return ""  # a comment line (with the newline before it), an inline comment or a comment environment

    # The leading newline lets a comment on the first line count as a comment line too.
    stripped = _COMMENT_SCAN.sub(replace, "\n" + text)
    return stripped[1:] if stripped.startswith("\n") else stripped


def brace_pairs(text: str) -> dict[int, int]:
    """Position of each '{' → position of its matching '}'; unclosed braces are absent. Escaped braces are text."""
    pairs: dict[int, int] = {}
    open_positions: list[int] = []
    for match in _BRACE_TOKEN.finditer(text):
        token = match.group()
        if token == "{":
            open_positions.append(match.start())
        elif token == "}" and open_positions:
            pairs[open_positions.pop()] = match.start()
    return pairs


class BraceScanner:
    """Finds the '}' matching a '{' on demand: cheaper than ``brace_pairs`` when only a few braces are asked about."""

    def __init__(self, text: str) -> None:
        self.text = text

    def get(self, position: int) -> int | None:
        depth = 0
        for match in _BRACE_TOKEN.finditer(self.text, position):
            if match.group() == "{":
                depth += 1
            elif match.group() == "}":
                depth -= 1
                if depth == 0:
                    return match.start()
        return None


Braces = dict[int, int] | BraceScanner


def line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


@dataclass(frozen=True)
class Macro:
    """A user macro: ``\\name`` with ``params`` arguments, the first optional when ``default`` is set."""

    name: str
    params: int
    default: str | None
    body: str


@dataclass
class Definition:
    macro: Macro | None  # None when the definition could not be read
    start: int
    end: int
    command: str
    skip_reason: str | None = None


@dataclass
class MacroTable:
    """The user macros of a paper: those safe to expand, and those left alone with the reason."""

    macros: dict[str, Macro] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position


def _group(text: str, position: int, pairs: Braces) -> tuple[str, int] | None:
    """The content of the braced group starting at ``position`` and the position after it."""
    end = pairs.get(position)
    return None if end is None else (text[position + 1 : end], end + 1)


def _bracket(text: str, position: int, pairs: Braces) -> tuple[str, int] | None:
    """The content of ``[...]`` starting at ``position`` (braces inside are skipped whole)."""
    index = position + 1
    while index < min(len(text), position + MAX_OPTIONAL_CHARS):
        char = text[index]
        if char == "]":
            return text[position + 1 : index], index + 1
        if char == "{":
            closing = pairs.get(index)
            if closing is None:
                return None
            index = closing
        elif char == "\\":
            index += 1
        index += 1
    return None


def _read_definition(text: str, match: re.Match[str], pairs: dict[int, int]) -> Definition:
    command = match.group("command")
    position = _skip_space(text, match.end())
    if command in ("def", "gdef"):
        return _read_def(text, match.start(), position, command, pairs)
    name_match = None
    if text.startswith("{", position) and position in pairs:
        name_match = re.fullmatch(r"\s*\\([A-Za-z]+)\s*", text[position + 1 : pairs[position]])
        position = pairs[position] + 1
    elif (bare := _CONTROL_WORD.match(text, position)) is not None:
        name_match, position = bare, bare.end()
    if name_match is None:
        return Definition(None, match.start(), position, command, "unsupported_name")
    name, params, default = name_match.group(1), 0, None
    position = _skip_space(text, position)
    if (count := re.match(r"\[\s*(\d)\s*\]", text[position : position + 8])) is not None:
        params, position = int(count.group(1)), _skip_space(text, position + count.end())
        if params and text.startswith("[", position):
            optional = _bracket(text, position, pairs)
            if optional is None:
                return Definition(Macro(name, params, None, ""), match.start(), position, command, "unbalanced_braces")
            default, position = optional[0], _skip_space(text, optional[1])
    return _finish(text, match.start(), position, command, name, params, default, pairs)


def _read_def(text: str, start: int, position: int, command: str, pairs: dict[int, int]) -> Definition:
    name = _CONTROL_WORD.match(text, position)
    if name is None:
        return Definition(None, start, position, command, "unsupported_name")
    brace = text.find("{", name.end(), name.end() + MAX_PARAMETER_TEXT)
    parameter_text = text[name.end() : brace] if brace >= 0 else ""
    expected = "".join(f"#{n}" for n in range(1, parameter_text.count("#") + 1))
    if brace < 0 or re.sub(r"\s", "", parameter_text) != expected:
        # Delimited parameters (\def\foo#1.{..}) need TeX's own matcher: leave such macros alone.
        return Definition(Macro(name.group(1), 0, None, ""), start, name.end(), command, "delimited_parameters")
    return _finish(text, start, brace, command, name.group(1), parameter_text.count("#"), None, pairs)


def _finish(
    text: str, start: int, position: int, command: str, name: str, params: int, default: str | None, pairs: Braces
) -> Definition:
    body = _group(text, position, pairs) if text.startswith("{", position) else None
    if body is None:
        # The body never closes: where the definition ends is unknown, so it stays in the text.
        return Definition(Macro(name, params, default, ""), start, position, command, "unbalanced_braces")
    macro = Macro(name, params, default, body[0])
    used = {int(m.group(1)) for m in _PARAMETER.finditer(macro.body) if m.group(1) not in (None, "#")}
    if any(n > params for n in used):
        return Definition(macro, start, body[1], command, "bad_parameter")
    if _DEFINES_MACROS.search(macro.body):
        return Definition(macro, start, body[1], command, "defines_macros")
    return Definition(macro, start, body[1], command)


def _find_definitions(text: str) -> list[Definition]:
    pairs = brace_pairs(text)
    definitions = []
    position = 0
    while (match := _DEFINITION.search(text, position)) is not None:
        if match.group("command") is None:  # an escaped backslash
            position = match.end()
            continue
        definition = _read_definition(text, match, pairs)
        definitions.append(definition)
        position = max(definition.end, match.end())
    return definitions


def _recursive_names(macros: dict[str, Macro]) -> set[str]:
    """Macros that reach themselves through their bodies: expanding them would never end."""
    uses = {name: {n for n in _CONTROL_WORD.findall(m.body) if n in macros} for name, m in macros.items()}
    recursive = set()
    for name in macros:
        seen, frontier = set(), list(uses[name])
        while frontier:
            current = frontier.pop()
            if current == name:
                recursive.add(name)
                break
            if current not in seen:
                seen.add(current)
                frontier.extend(uses[current])
    return recursive


def collect_macros(text: str) -> tuple[str, MacroTable]:
    """Read every \\newcommand, \\renewcommand, \\providecommand, \\DeclareRobustCommand, \\def and \\gdef.

    LLaMA 2.1 "inline-expanded definitions and macros written by users". A macro is left
    alone (definition and uses kept) when expanding it is unsafe: a recursive body, a body
    whose braces never close, delimited \\def parameters, a body that defines macros, or
    two different definitions of one name. The definitions of safe macros are removed.
    """
    definitions = _find_definitions(text)
    table = MacroTable()
    bodies: dict[str, set[Macro]] = {}
    for definition in definitions:
        if definition.macro is None:
            continue
        name = definition.macro.name
        if definition.skip_reason is not None:
            table.skipped[name] = definition.skip_reason
        elif definition.command != "providecommand" or name not in bodies:
            bodies.setdefault(name, set()).add(definition.macro)
    for name, variants in bodies.items():
        if name in table.skipped:
            continue
        if len(variants) > 1:
            table.skipped[name] = "redefined"
        else:
            table.macros[name] = next(iter(variants))
    for name in _recursive_names(table.macros):
        table.skipped[name] = "recursive"
        del table.macros[name]
    kept: list[str] = []
    position = 0
    for definition in definitions:
        if definition.macro is not None and definition.macro.name in table.macros:
            kept.append(text[position : definition.start])
            position = definition.end
    kept.append(text[position:])
    return "".join(kept), table


@dataclass
class Expansion:
    text: str
    expanded: dict[str, int]  # macro name → occurrences expanded
    passes: int
    exhausted: bool  # stopped by the pass bound with macros still left


def _single_token(text: str, position: int) -> tuple[str, int] | None:
    """An undelimited argument without braces: one control sequence, placeholder or character."""
    if position >= len(text) or text[position] == "}":
        return None
    if text[position] == "\\":
        word = _CONTROL_WORD.match(text, position)
        end = word.end() if word is not None else position + 2
        return text[position:end], end
    if text[position] == "\x00":
        end = text.index("\x00", position + 1) + 1
        return text[position:end], end
    return text[position], position + 1


def _arguments(text: str, position: int, macro: Macro, pairs: Braces) -> tuple[list[str], int] | None:
    """The arguments of one use of ``macro``; None when one is missing (the use is then left as written)."""
    arguments: list[str] = []
    mandatory = macro.params
    if macro.default is not None:
        after_space = _skip_space(text, position)
        if text.startswith("[", after_space):
            optional = _bracket(text, after_space, pairs)
            if optional is None:
                raise MacroError("unbalanced_braces", f"optional argument of \\{macro.name} never closes")
            arguments.append(optional[0])
            position = optional[1]
        else:
            arguments.append(macro.default)
        mandatory -= 1
    for _ in range(mandatory):
        position = _skip_space(text, position)
        if text.startswith("{", position):
            group = _group(text, position, pairs)
            if group is None:
                raise MacroError("unbalanced_braces", f"argument of \\{macro.name} never closes")
        else:
            group = _single_token(text, position)
            if group is None:
                return None
        arguments.append(group[0])
        position = group[1]
    return arguments, position


def _substitute(macro: Macro, arguments: list[str]) -> str:
    def put(match: re.Match[str]) -> str:
        parameter = match.group(1)
        if parameter is None:
            return match.group()  # an escaped character such as \#
        return "#" if parameter == "#" else arguments[int(parameter) - 1]

    return _PARAMETER.sub(put, macro.body)


def _expand_pass(
    text: str, macros: dict[str, Macro], pattern: re.Pattern[str], counts: dict[str, int], limit: float
) -> str:
    pairs = BraceScanner(text)
    pieces: list[str] = []
    position, produced = 0, 0
    while (match := pattern.search(text, position)) is not None:
        pieces.append(text[position : match.start()])
        name = match.group(1)
        found = None
        if name is not None:
            try:
                found = _arguments(text, match.end(), macros[name], pairs)
            except MacroError as exc:
                raise MacroError(exc.reason, f"{exc} (line {line_of(text, match.start())})") from None
        if found is None:
            pieces.append(match.group())
            position = match.end()
            continue
        pieces.append(_substitute(macros[name], found[0]))
        produced += len(pieces[-1])
        if produced > limit:  # checked as it grows: one pass of a long body used often is already too much
            raise MacroError("macro_expansion_overflow", f"text grew past {int(limit)} characters")
        counts[name] = counts.get(name, 0) + 1
        position = found[1]
    pieces.append(text[position:])
    return "".join(pieces)


def expand_macros(text: str, table: MacroTable, max_passes: int, max_growth: float) -> Expansion:
    """Replace each use of a safe user macro by its body with the arguments put in (LLaMA 2.1).

    A pass expands every use once; bodies that use other macros need further passes,
    bounded by ``max_passes``. Raises MacroError on a runaway argument (braces that never
    close) or when the text grows past ``max_growth`` times its size plus 100k characters.
    """
    counts: dict[str, int] = {}
    if not table.macros:
        return Expansion(text, counts, 0, False)
    names = sorted(table.macros, key=len, reverse=True)
    pattern = re.compile(r"\\\\|\\(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z])")
    limit = max_growth * len(text) + 100_000
    for done in range(1, max_passes + 1):
        before = sum(counts.values())
        text = _expand_pass(text, table.macros, pattern, counts, limit)
        if len(text) > limit:
            raise MacroError("macro_expansion_overflow", f"text grew past {int(limit)} characters in pass {done}")
        if sum(counts.values()) == before:
            return Expansion(text, counts, done, False)
    still_used = any(match.group(1) for match in pattern.finditer(text))
    return Expansion(text, counts, max_passes, still_used)
