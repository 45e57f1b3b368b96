"""arXiv LaTeX sources as documents: one paper per folder or per source bundle.

An input is a paper folder, a ``.tar``/``.tar.gz`` bundle (read member by member in
streaming mode, never extracted), a gzipped single ``.tex`` (as arXiv ships one-file
submissions) or a bare ``.tex`` file. Every input becomes exactly one row: the paper
cleaned by the LLaMA 1 recipe (``stages.sources.latex``), dropped with a reason, or
errored with the file and the cause.
"""

from __future__ import annotations

import gzip
import posixpath
import re
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import fsspec
from fsspec.core import url_to_fs
from pydantic import Field

from stages.base import PartSpec, SourceReader, StageConfig, StageResult, Verdict, build_batch, meta_json
from stages.registry import register_source
from stages.sources.latex import (
    MacroError,
    VerbatimStore,
    collect_macros,
    expand_macros,
    strip_comments,
)

TEX_SUFFIXES = (".tex", ".ltx")
BUNDLE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".gz")
GZIP_MAGIC = b"\x1f\x8b"
MAX_INCLUDE_DEPTH = 32
_INCLUDE = re.compile(r"\\(?:input|include)(?![A-Za-z])\s*(?:\{([^{}]*)\}|([^\s{}\\]+))")
_ARXIV_ID = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5}(?:v\d+)?)(?![\d.])")
_DOCUMENT_CLASS = re.compile(r"\\document(?:class|style)(?![A-Za-z])")
_FIRST_SECTION = re.compile(r"\\section(?![A-Za-z])")
_END_DOCUMENT = re.compile(r"\\end\s*\{document\}")
_BIBLIOGRAPHY = re.compile(
    r"\\begin\{thebibliography\}.*?(?:\\end\{thebibliography\}|\Z)"
    r"|\\(?:bibliography|bibliographystyle|nobibliography|addbibresource)\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}"
    r"|\\printbibliography(?![A-Za-z])(?:\s*\[[^\]]*\])?",
    re.DOTALL,
)


class ArxivConfig(StageConfig):
    layout: Literal["auto", "folders", "bundles"] = Field(
        default="auto",
        description="How an input path is read: a folder holds one paper, a bundle (.tar, .tar.gz, .gz, .tex) is "
        "one paper; auto decides per path (a directory is a folder, anything else a bundle).",
    )
    min_chars: int = Field(default=500, ge=0, description="Papers whose cleaned text is shorter are dropped.")
    max_expansion_passes: int = Field(
        default=10, ge=1, description="Macro expansion passes (a macro used in another's body needs one more)."
    )
    max_expansion_growth: float = Field(
        default=10.0, gt=1, description="Expanded text may reach this many times its size (+100k characters)."
    )
    max_source_bytes: int = Field(
        default=50_000_000, gt=0, description="Largest .tex file, and largest paper with its includes resolved."
    )


class PaperError(Exception):
    """A paper that cannot be read or cleaned: it becomes one errored row."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass
class Resolved:
    """The main file with its ``\\input``/``\\include`` files put in place."""

    text: str
    included: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    cycles: list[str] = field(default_factory=list)


def paper_name(uri: str) -> str:
    """The paper's id: its folder name, or its bundle name without the archive suffix."""
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    for suffix in BUNDLE_SUFFIXES + TEX_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def arxiv_id(name: str) -> str | None:
    """A new-style arXiv identifier (YYMM.NNNNN) in the paper's name, if any."""
    match = _ARXIV_ID.search(name)
    return match.group(1) if match else None


def is_tex_path(path: str) -> bool:
    return path.lower().endswith(TEX_SUFFIXES)


def read_folder(uri: str, max_bytes: int) -> dict[str, bytes]:
    """The .tex files of a paper folder (recursively), by path relative to the folder."""
    fs, root = url_to_fs(uri)
    files = {}
    for path in sorted(fs.find(root)):
        relative = posixpath.relpath(path, root.rstrip("/"))
        if is_tex_path(relative):
            with fs.open(path, "rb") as handle:
                files[relative] = _read_bounded(handle, max_bytes, relative)
    return files


def read_bundle(uri: str, max_bytes: int) -> dict[str, bytes]:
    """The .tex members of a tar bundle, streamed; a gzipped or bare single .tex is a one-file paper."""
    if is_tex_path(uri):
        with fsspec.open(uri, "rb") as handle:
            return {posixpath.basename(uri): _read_bounded(handle, max_bytes, uri)}
    try:
        return _read_tar(uri, max_bytes)
    except _NotATar as exc:
        with fsspec.open(uri, "rb") as handle:
            if handle.read(2) != GZIP_MAGIC:
                raise PaperError("corrupt_bundle", f"{uri}: not a tar or gzip file ({exc})") from None
        try:
            with fsspec.open(uri, "rb", compression="gzip") as handle:
                return {paper_name(uri) + ".tex": _read_bounded(handle, max_bytes, uri)}
        except (EOFError, zlib.error, gzip.BadGzipFile) as gz_exc:
            raise PaperError("corrupt_bundle", f"{uri}: {type(gz_exc).__name__}: {gz_exc}") from None


class _NotATar(Exception):
    """The first tar header could not be read: maybe a gzipped single file."""


def _read_tar(uri: str, max_bytes: int) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    member_name = "<first header>"
    seen_member = False
    with fsspec.open(uri, "rb") as handle:
        try:
            with tarfile.open(fileobj=handle, mode="r|*") as tar:
                for member in tar:
                    seen_member, member_name = True, member.name
                    name = posixpath.normpath(member.name.lstrip("/"))
                    if member.isfile() and is_tex_path(name):
                        extracted = tar.extractfile(member)
                        if extracted is not None:
                            files[name] = _read_bounded(extracted, max_bytes, f"{uri}:{name}")
        except tarfile.ReadError as exc:
            if not seen_member:
                raise _NotATar(str(exc)) from None
            raise PaperError("corrupt_bundle", f"{uri}: after member {member_name}: {exc}") from None
        except (EOFError, zlib.error, gzip.BadGzipFile, tarfile.TarError) as exc:
            raise PaperError("corrupt_bundle", f"{uri}: at member {member_name}: {type(exc).__name__}: {exc}") from None
    return files


def _read_bounded(handle: Any, max_bytes: int, name: str) -> bytes:
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PaperError("oversized_tex", f"{name}: larger than {max_bytes} bytes")
    return data


def decode_tex(data: bytes) -> str | None:
    """The text of a .tex file, or None when it is binary (NUL bytes or many control characters).

    arXiv holds decades of sources: UTF-8 first, then Latin-1 (which never fails).
    """
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    if b"\x00" in data or controls > len(head) // 100:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def find_main_file(texts: dict[str, str]) -> str | None:
    """The file with \\documentclass; among several, one with \\begin{document}, then the shallowest, by name."""
    candidates = [path for path, text in texts.items() if has_document_class(text)]
    if not candidates:
        return None
    return min(candidates, key=lambda p: ("\\begin{document}" not in texts[p], p.count("/"), p))


def _include_target(name: str, main_folder: str, files: dict[str, str | None]) -> str | None:
    """The file an \\input{name} means: relative to the main file's folder, name.tex first (as TeX does)."""
    name = name.strip()
    tries = [name] if name.lower().endswith(TEX_SUFFIXES) else [name + ".tex", name]
    for candidate in tries:
        path = posixpath.normpath(posixpath.join(main_folder, candidate))
        if path in files:
            return path
    return None


def resolve_includes(main: str, files: dict[str, str | None], max_chars: int) -> Resolved:
    """Put each \\input{..} and \\include{..} in place, with or without the .tex extension.

    A missing file is recorded and left out; an include that would loop back into a file
    being read is recorded as a cycle and left out. A binary include is an error.
    """
    resolved = Resolved("")
    main_folder = posixpath.dirname(main)
    produced = [0]  # characters put in place so far: a file included twice per level doubles at every level

    def expand(path: str, stack: tuple[str, ...]) -> str:
        text = files[path]
        if text is None:
            raise PaperError("binary_tex", f"{path}: binary content")
        produced[0] += len(text)
        if produced[0] > max_chars:
            raise PaperError("oversized_tex", f"{main}: more than {max_chars} characters with its includes")

        def include(match: re.Match[str]) -> str:
            name = match.group(1) if match.group(1) is not None else match.group(2)
            target = _include_target(name, main_folder, files)
            if target is None:
                resolved.missing.append(name.strip())
                return ""
            if target in stack or len(stack) >= MAX_INCLUDE_DEPTH:
                resolved.cycles.append(f"{stack[-1]} -> {target}")
                return ""
            resolved.included.append(target)
            return expand(target, (*stack, target))

        return _INCLUDE.sub(include, text)

    resolved.text = expand(main, (main,))
    return resolved


def has_document_class(text: str) -> bool:
    """The main file of a paper is the one with ``\\documentclass`` (or LaTeX 2.09's ``\\documentstyle``)."""
    return _DOCUMENT_CLASS.search(text) is not None


def cut_at_end_of_document(text: str) -> str:
    """Everything after ``\\end{document}`` is never typeset (often old drafts or notes): drop it."""
    match = _END_DOCUMENT.search(text)
    return text if match is None else text[: match.start()]


def drop_before_first_section(text: str) -> str | None:
    """LLaMA 2.1: "we removed everything before the first section" (preamble, title, authors, abstract).

    ``\\section*`` counts as a section. Returns None when the paper has no ``\\section``.
    """
    match = _FIRST_SECTION.search(text)
    return None if match is None else text[match.start() :]


def remove_bibliography(text: str) -> str:
    """LLaMA 2.1: "as well as the bibliography": thebibliography, \\bibliography{..}, \\printbibliography..."""
    return _BIBLIOGRAPHY.sub("", text)


def tidy_whitespace(text: str) -> str:
    """Trailing spaces and the blank-line runs that removed comments and definitions leave behind."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def clean_paper(raw_files: dict[str, bytes], config: ArxivConfig) -> tuple[str | None, Verdict | None, dict]:
    """The LLaMA 1 arXiv recipe for one paper: its cleaned text, verdict and meta fields."""
    store = VerbatimStore()
    decoded = {path: decode_tex(data) for path, data in raw_files.items()}
    files = {path: None if text is None else strip_comments(text, store) for path, text in decoded.items()}
    texts = {path: text for path, text in files.items() if text is not None}
    meta: dict[str, Any] = {"tex_files": len(files)}
    main = find_main_file(texts)
    if main is None:
        binary = sorted(path for path, text in files.items() if text is None)
        if binary:
            raise PaperError("binary_tex", f"no readable main file; binary: {', '.join(binary)}")
        return None, Verdict.drop("no_main_file"), meta
    resolved = resolve_includes(main, files, config.max_source_bytes)
    meta.update(
        main_file=main,
        included_files=resolved.included,
        missing_includes=resolved.missing,
        include_cycles=resolved.cycles,
    )
    text, table = collect_macros(resolved.text)
    meta["macros_skipped"] = table.skipped
    body = drop_before_first_section(cut_at_end_of_document(text))
    if body is None:
        return None, Verdict.drop("no_section"), meta
    try:
        expansion = expand_macros(
            remove_bibliography(body), table, config.max_expansion_passes, config.max_expansion_growth
        )
    except MacroError as exc:
        raise PaperError(exc.reason, f"{main}: {exc}") from None
    meta.update(
        macros_expanded=len(expansion.expanded),
        macro_expansions=sum(expansion.expanded.values()),
        macros_unused=sorted(set(table.macros) - set(expansion.expanded)),
        expansion_passes=expansion.passes,
        expansion_passes_exhausted=expansion.exhausted,
    )
    cleaned = store.restore(tidy_whitespace(expansion.text))
    if len(cleaned) < config.min_chars:
        return cleaned, Verdict.drop("too_short"), meta
    return cleaned, None, meta


@register_source
class ArxivSource(SourceReader[ArxivConfig]):
    kind = "arxiv"
    config_model = ArxivConfig

    def read(self, part: PartSpec, batch_size: int, limit: int | None) -> Iterator[StageResult]:
        if limit is not None and limit < 1:
            return
        row, verdict = self._paper_row(part.uri)
        yield StageResult(build_batch([row]), [verdict])

    def _paper_row(self, uri: str) -> tuple[dict[str, Any], Verdict | None]:
        name = paper_name(uri)
        identifier = arxiv_id(name)
        meta: dict[str, Any] = {"input": uri, "arxiv_id": identifier}
        text: str | None = None
        try:
            meta["layout"] = layout = self._layout(uri)
            raw_files = read_folder(uri, self.config.max_source_bytes) if layout == "folder" else None
            if raw_files is None:
                raw_files = read_bundle(uri, self.config.max_source_bytes)
            text, verdict, fields = clean_paper(raw_files, self.config)
            meta.update(fields)
        except PaperError as exc:
            meta["error"] = str(exc)
            verdict = Verdict.error(exc.reason)
        except OSError as exc:
            meta["error"] = f"{uri}: {type(exc).__name__}: {exc}"
            verdict = Verdict.error("unreadable_input")
        except Exception as exc:  # LaTeX in the wild is endless: one odd paper must not stop the run
            meta["error"] = f"{uri}: {type(exc).__name__}: {exc}"
            verdict = Verdict.error("cleaning_failed")
        row = {
            "id": name,
            "source": self.source_name,
            "text": text,
            "url": f"https://arxiv.org/abs/{identifier}" if identifier else None,
            "meta": meta_json(meta),
        }
        return row, verdict

    def _layout(self, uri: str) -> str:
        fs, path = url_to_fs(uri)
        is_folder = fs.isdir(path)
        if self.config.layout == "folders" and not is_folder:
            raise PaperError("not_a_folder", f"{uri}: layout is 'folders' but this is not a directory")
        if self.config.layout == "bundles" and is_folder:
            raise PaperError("not_a_bundle", f"{uri}: layout is 'bundles' but this is a directory")
        if not is_folder and not fs.exists(path):
            raise PaperError("unreadable_input", f"{uri}: no such file or directory")
        return "folder" if is_folder else "bundle"
