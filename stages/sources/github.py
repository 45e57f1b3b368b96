"""Source code from GitHub-style repositories, with the LLaMA / RedPajama-v1 GitHub recipe.

Inputs: a local (or fsspec) repository tree per part (one folder = one repository), or
Stack-style records (``repo_name``, ``path``, ``content``, ``repo_license``/``license``) in
JSONL (optionally gzipped) or Parquet, one part per file. Every file or
record becomes one row. The recipe, in order: licence files are not code; an extension
allow-list gives the language; binary and oversized files go; the repository's licence (or
a more permissive one the file states itself) must be on the allow-list; the licence header
is cut; empty files go; exact copies within the part go. Codex's line-length, alphanumeric
and generated-code heuristics run after the reader as the ``code_heuristics`` stage, so
their scores become columns. Cross-part dedup comes with the dedup stage: rows carry
``content_sha1`` for it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.core import url_to_fs
from pydantic import Field

from stages.base import PartSpec, SourceReader, StageConfig, StageResult, Verdict, batched_results, meta_json
from stages.registry import register_source
from stages.sources.licenses import (
    UNKNOWN_LICENSE,
    LicenseExpression,
    decide_license,
    expression_of_named,
    is_license_file_name,
    license_of_field,
    license_of_text,
    strip_license_header,
)

# LLaMA §2.1: "We only kept projects that are distributed under the Apache, BSD and MIT licenses."
DEFAULT_LICENSES = ["MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0"]
# Programming languages only (LLaMA kept code): prose formats such as .md, .rst and .txt are left to the text sources.
DEFAULT_EXTENSIONS = {
    ".py": "Python", ".c": "C", ".h": "C", ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".hh": "C++",
    ".hpp": "C++", ".hxx": "C++", ".java": "Java", ".js": "JavaScript", ".mjs": "JavaScript", ".jsx": "JavaScript",
    ".ts": "TypeScript", ".tsx": "TypeScript", ".go": "Go", ".rs": "Rust", ".rb": "Ruby", ".php": "PHP",
    ".cs": "C#", ".scala": "Scala", ".kt": "Kotlin", ".kts": "Kotlin", ".swift": "Swift", ".sh": "Shell",
    ".bash": "Shell", ".sql": "SQL", ".lua": "Lua", ".pl": "Perl", ".pm": "Perl", ".r": "R", ".jl": "Julia",
    ".hs": "Haskell", ".f90": "Fortran", ".dart": "Dart", "Makefile": "Makefile", "Dockerfile": "Dockerfile",
}  # fmt: skip
LICENSE_FILE_MAX_BYTES = 256_000
REPO_FIELDS = ("repo_name", "repo", "max_stars_repo_name")
PATH_FIELDS = ("path", "max_stars_repo_path")
CONTENT_FIELDS = ("content", "text")
LICENSE_FIELDS = ("repo_license", "license", "licenses", "detected_licenses", "max_stars_repo_licenses")
RECORD_FIELDS = (*REPO_FIELDS, *PATH_FIELDS, *CONTENT_FIELDS, *LICENSE_FIELDS, "is_license_file")
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".parquet")
GITHUB_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


class GithubConfig(StageConfig):
    allowed_licenses: list[str] = Field(
        default=DEFAULT_LICENSES, description="SPDX ids kept (LLaMA: Apache, BSD, MIT); 'unknown' may be added."
    )
    extensions: dict[str, str] = Field(
        default=DEFAULT_EXTENSIONS, description="File extension (or exact file name) → language; others dropped."
    )
    license_header_lines: int = Field(default=40, ge=1, description="Lines at the top of a file read for a licence.")
    strip_license_headers: bool = Field(default=True, description="Cut the leading licence comment block.")
    max_file_bytes: int | None = Field(default=1_000_000, description="Codex: files over 1 MB are dropped.")
    min_chars: int = Field(
        default=1, ge=1, description="Files with fewer non-blank characters after cleaning are dropped (1: empty)."
    )
    dedup_within_part: bool = Field(default=True, description="Drop exact copies (normalised) within one part.")
    repo_name_depth: int = Field(
        default=1, ge=1, description="Trailing folder names that form a tree's repo name (2 for owner/name)."
    )
    skip_dirs: list[str] = Field(default=[".git", ".hg", ".svn"], description="Version-control folders, not files.")


@dataclass
class FileRecord:
    """One file of a repository, from a tree or a record, with what is known before reading it."""

    record_id: str
    repo: str = ""
    path: str = ""
    repo_license: LicenseExpression = UNKNOWN_LICENSE
    size: int | None = None
    is_license_file: bool = False
    content: str | None = None
    load: Callable[[], bytes] | None = None  # tree files are read only when the recipe needs their bytes
    error: str | None = None  # reason of an errored row
    position: dict[str, Any] = field(default_factory=dict)  # input, line or row; the error detail of errored rows


# --- The recipe as pure functions --------------------------------------------------------------------------------


def language_for(path: str, extensions: dict[str, str]) -> str | None:
    """The language of an allow-listed extension (case-insensitive) or exact file name; None if not allowed."""
    name = PurePosixPath(path).name
    if name in extensions:
        return extensions[name]
    lowered = {key.lower(): value for key, value in extensions.items() if key.startswith(".")}
    return lowered.get(PurePosixPath(name).suffix.lower())


def decode_source(data: bytes) -> str | None:
    """UTF-8 text without a BOM; None for binary content: a NUL byte (git's own test) or bytes that are not UTF-8."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def head_lines(text: str, count: int) -> str:
    return "\n".join(text.split("\n", count)[:count])


def normalize_for_hash(text: str) -> str:
    """Content as compared for exact dedup: line ends unified, trailing spaces and blank-line runs removed.

    These differences come from editors and copying, not from the code. Indentation is kept:
    in Python, YAML or Makefiles it changes what the code means.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def content_sha1(text: str) -> str:
    return hashlib.sha1(normalize_for_hash(text).encode("utf-8")).hexdigest()


def github_url(repo: str, path: str) -> str | None:
    """A browsable URL when the repo name is ``owner/name``; None for local or made-up names."""
    if not GITHUB_REPO.match(repo):
        return None
    return f"https://github.com/{repo}/blob/HEAD/{quote(path, safe='/')}"


# --- Reading -------------------------------------------------------------------------------------------------------


@register_source
class GithubSource(SourceReader[GithubConfig]):
    kind = "github"
    config_model = GithubConfig

    def read(self, part: PartSpec, batch_size: int, limit: int | None) -> Iterator[StageResult]:
        seen: set[int] = set()
        rows = (self._row(record, seen) for record in self._records(part.uri))
        yield from batched_results(rows, batch_size, limit)

    def _records(self, uri: str) -> Iterator[FileRecord]:
        file_name = PurePosixPath(uri.rstrip("/")).name
        try:
            fs, root = url_to_fs(uri)
            is_tree = fs.isdir(root)
        except (OSError, ValueError) as exc:
            yield FileRecord(f"{file_name}@unreadable", error="unreadable_file", position=_failure(uri, exc))
            return
        if is_tree:
            yield from tree_records(fs, root, self.config)
        elif uri.endswith(".parquet"):
            yield from parquet_records(uri)
        elif uri.endswith(RECORD_SUFFIXES):
            yield from jsonl_records(uri)
        else:
            detail = {"input": uri, "error": f"not a folder and not one of {', '.join(RECORD_SUFFIXES)}"}
            yield FileRecord(f"{file_name}@unsupported", error="unsupported_input", position=detail)

    def _row(self, record: FileRecord, seen: set[int]) -> tuple[dict[str, Any], Verdict | None]:
        meta: dict[str, Any] = {"repo": record.repo, "path": record.path, **record.position}
        row: dict[str, Any] = {"id": record.record_id, "source": self.source_name, "lang": None}
        if record.repo and record.path:
            row["url"] = github_url(record.repo, record.path)
        verdict, text = self._judge(record, meta, seen)
        if verdict is None:
            row["text"] = text
        row["meta"] = meta_json(meta)
        return row, verdict

    def _judge(self, record: FileRecord, meta: dict[str, Any], seen: set[int]) -> tuple[Verdict | None, str | None]:
        """The recipe, step by step; fills ``meta`` with what each step learnt."""
        config = self.config
        if record.error is not None:
            return Verdict.error(record.error), None
        if record.is_license_file or is_license_file_name(record.path):
            return Verdict.drop("license_file"), None
        language = meta["language"] = language_for(record.path, config.extensions)
        if language is None:
            return Verdict.drop("extension_not_allowed"), None
        meta["size_bytes"] = record.size
        if self._too_large(record.size):
            return Verdict.drop("file_too_large"), None
        text = record.content
        if record.load is not None:
            try:
                data = record.load()
            except OSError as exc:
                meta["error"] = f"{meta.get('input', record.repo)}/{record.path}: {type(exc).__name__}: {exc}"
                return Verdict.error("unreadable_file"), None
            meta["size_bytes"] = len(data)
            if self._too_large(len(data)):  # the listing may not know sizes
                return Verdict.drop("file_too_large"), None
            text = decode_source(data)
        if text is None or "\x00" in text:
            return Verdict.drop("binary_file"), None
        file_license = license_of_text(head_lines(text, config.license_header_lines))
        decision = decide_license(record.repo_license, file_license, config.allowed_licenses)
        meta.update(license=decision.license, repo_license=str(record.repo_license))
        meta.update(file_license=str(file_license), license_source=decision.source)
        if not decision.allowed:
            return Verdict.drop("license_not_allowed"), None
        cleaned = strip_license_header(text, language) if config.strip_license_headers else text
        meta["license_header_chars"] = len(text) - len(cleaned)
        if len("".join(cleaned.split())) < config.min_chars:
            return Verdict.drop("too_short"), None
        meta["content_sha1"] = digest = content_sha1(cleaned)
        if config.dedup_within_part:
            key = int(digest[:16], 16)  # 8 bytes per kept file keeps the set small on big parts
            if key in seen:
                return Verdict.drop("duplicate_file"), None
            seen.add(key)
        return None, cleaned

    def _too_large(self, size: int | None) -> bool:
        return self.config.max_file_bytes is not None and size is not None and size > self.config.max_file_bytes


def _failure(uri: str, exc: BaseException, **where: Any) -> dict[str, Any]:
    return {"input": uri, **where, "error": f"{type(exc).__name__}: {exc}"}


def tree_records(fs: Any, root: str, config: GithubConfig) -> Iterator[FileRecord]:
    """Every file of a repository folder, in sorted order; version-control folders and linked folders are skipped."""
    repo = "/".join(root.rstrip("/").split("/")[-config.repo_name_depth :])
    failures: list[OSError] = []
    repo_license = tree_license(fs, root)
    for folder, dirs, files in fs.walk(root, detail=True, on_error=failures.append):
        yield from _unlistable(repo, root, failures)
        kept_dirs = {n: i for n, i in sorted(dirs.items()) if n not in config.skip_dirs and not i.get("islink")}
        dirs.clear()
        dirs.update(kept_dirs)
        for name, info in sorted(files.items()):
            full = f"{folder.rstrip('/')}/{name}"
            path = full[len(root.rstrip("/")) + 1 :]
            record = FileRecord(f"{repo}:{path}", repo, path, repo_license, size=info.get("size"),
                                position={"input": root})  # fmt: skip
            if info.get("type") == "other" and not info.get("islink"):  # a FIFO or device would block or never end
                record.error, record.position["error"] = "not_a_regular_file", f"{full}: {info.get('type')}"
            else:
                record.load = _reader(fs, full)
            yield record
    yield from _unlistable(repo, root, failures)


def _unlistable(repo: str, root: str, failures: list[OSError]) -> Iterator[FileRecord]:
    """Folders the walk could not list: one errored row each, named by the folder."""
    while failures:
        exc = failures.pop(0)
        folder = str(getattr(exc, "filename", None) or root).rstrip("/")
        relative = folder[len(root.rstrip("/")) + 1 :] if folder.startswith(root.rstrip("/") + "/") else "."
        yield FileRecord(f"{repo}:{relative}@unlistable", repo, relative, error="unreadable_folder",
                         position=_failure(root, exc))  # fmt: skip


def _reader(fs: Any, path: str) -> Callable[[], bytes]:
    def load() -> bytes:
        with fs.open(path, "rb") as handle:
            return handle.read()

    return load


def tree_license(fs: Any, root: str) -> LicenseExpression:
    """The repository's licence from the LICENSE/LICENCE/COPYING files at its root (unreadable ones count as none)."""
    named: list[str] = []
    try:
        entries = sorted(fs.ls(root, detail=False))
    except OSError:
        return UNKNOWN_LICENSE
    for entry in entries:
        if not is_license_file_name(entry) or fs.isdir(entry):
            continue
        try:
            with fs.open(entry, "rb") as handle:
                text = handle.read(LICENSE_FILE_MAX_BYTES).decode("utf-8", "replace")
        except OSError:
            continue
        named.extend(term for terms in license_of_text(text).alternatives for term in terms)
    return expression_of_named(named)


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    return next((record[name] for name in names if record.get(name) is not None), None)


def record_from_mapping(record: Any, input_name: str, position: dict[str, Any]) -> FileRecord:
    """A Stack-style record (JSON object or Parquet row); a record missing repo, path or content is errored."""
    fallback_id = f"{input_name}:{position.get('line', position.get('row'))}"
    if not isinstance(record, dict):
        detail = {**position, "error": f"expected a JSON object, got {type(record).__name__}"}
        return FileRecord(fallback_id, error="malformed_record", position=detail)
    repo, path, content = _first(record, REPO_FIELDS), _first(record, PATH_FIELDS), _first(record, CONTENT_FIELDS)
    if isinstance(content, bytes):  # Parquet exports may store content as binary
        content = decode_source(content) or ""
        binary = not content
    else:
        binary = False
    if not isinstance(repo, str) or not isinstance(path, str) or not isinstance(content, str):
        detail = {**position, "error": "a record needs string repo_name, path and content fields"}
        return FileRecord(fallback_id, error="malformed_record", position=detail)
    return FileRecord(
        f"{repo}:{path}", repo, path, license_of_field(_first(record, LICENSE_FIELDS)),
        size=len(content.encode("utf-8", "replace")), is_license_file=bool(record.get("is_license_file")),
        content=None if binary else content, position=position,
    )  # fmt: skip


def jsonl_records(uri: str) -> Iterator[FileRecord]:
    """One record per non-blank line; a bad line is an errored row, a broken gzip stream ends the part."""
    name = PurePosixPath(uri).name
    line_number = 0
    try:
        with fsspec.open(uri, "rb") as raw:
            handle = gzip.GzipFile(fileobj=raw) if uri.endswith(".gz") else raw
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue  # a blank line holds no record
                position = {"input": uri, "line": line_number}
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    yield FileRecord(f"{name}:{line_number}", error="malformed_json",
                                     position=_failure(uri, exc, line=line_number))  # fmt: skip
                    continue
                yield record_from_mapping(record, name, position)
    except EOFError as exc:
        yield FileRecord(f"{name}:{line_number + 1}", error="truncated_gzip",
                         position=_failure(uri, exc, line=line_number + 1))  # fmt: skip
    except (gzip.BadGzipFile, zlib.error) as exc:
        yield FileRecord(f"{name}:{line_number + 1}", error="corrupt_gzip",
                         position=_failure(uri, exc, line=line_number + 1))  # fmt: skip
    except OSError as exc:
        yield FileRecord(f"{name}@unreadable", error="unreadable_file", position=_failure(uri, exc))


def parquet_records(uri: str) -> Iterator[FileRecord]:
    """Stack-style Parquet rows, read a row group's batch at a time; a corrupt file ends the part."""
    name = PurePosixPath(uri).name
    row_number = 0
    try:
        with fsspec.open(uri, "rb") as handle:
            parquet = pq.ParquetFile(handle)
            columns = [c for c in parquet.schema_arrow.names if c in RECORD_FIELDS]
            for batch in parquet.iter_batches(batch_size=256, columns=columns):
                for record in batch.to_pylist():
                    yield record_from_mapping(record, name, {"input": uri, "row": row_number})
                    row_number += 1
    except (OSError, pa.ArrowException) as exc:
        yield FileRecord(f"{name}:{row_number}", error="unreadable_file",
                         position=_failure(uri, exc, row=row_number))  # fmt: skip
