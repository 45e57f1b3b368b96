"""Manifest ``paths`` to concrete input URIs: local globs, fsspec URLs and warc.paths listings."""

from __future__ import annotations

import gzip
import hashlib
import os

import fsspec
from fsspec.core import url_to_fs

LISTING_SUFFIXES = (".paths", ".paths.gz")


class InputError(Exception):
    """A manifest path that resolves to nothing usable."""


def is_listing(path: str) -> bool:
    return path.endswith(LISTING_SUFFIXES)


def _expand_one(pattern: str) -> list[str]:
    fs, fs_path = url_to_fs(pattern)
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if any(ch in fs_path for ch in "*?["):
        matches = sorted(fs.glob(fs_path))
    else:
        matches = [fs_path] if fs.exists(fs_path) else []
    if protocol in ("file", "local"):
        return [os.path.abspath(m) for m in matches]
    return [fs.unstrip_protocol(m) for m in matches]


def read_listing(uri: str, prefix: str | None) -> list[str]:
    """Entries of a Common Crawl style listing (one path per line, optionally gzipped)."""
    with fsspec.open(uri, "rb") as handle:
        data = handle.read()
    if uri.endswith(".gz"):
        data = gzip.decompress(data)
    base = prefix if prefix is not None else uri.rsplit("/", 1)[0] + "/"
    entries = []
    for line in data.decode("utf-8").splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        absolute = "://" in entry or entry.startswith("/")
        entries.append(entry if absolute else base.rstrip("/") + "/" + entry)
    return entries


def resolve_paths(paths: tuple[str, ...], listing_prefix: str | None, yaml_prefix: str) -> list[str]:
    """All input URIs in manifest order, without duplicates. Raises InputError naming the YAML path."""
    uris: list[str] = []
    for index, raw in enumerate(paths):
        pattern = os.path.expandvars(os.path.expanduser(raw))
        matches = _expand_one(pattern)
        if not matches:
            raise InputError(f"{yaml_prefix}.paths[{index}]: {raw!r} matches no file")
        for match in matches:
            if is_listing(match):
                uris.extend(read_listing(match, listing_prefix))
            else:
                uris.append(match)
    return list(dict.fromkeys(uris))


def fingerprint(uri: str, content_hash: bool) -> tuple[int | None, float | None, str | None, str | None]:
    """(size, mtime, etag, sha256 of the content) of an input file or folder; the hash only when asked for.

    Local folders (a repository, a paper) fold every file's relative path and bytes into one hash.
    Remote objects report what their store offers (size, ETag or mtime); their content is not hashed.
    """
    fs, fs_path = url_to_fs(uri)
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if protocol not in ("file", "local"):
        info = fs.info(fs_path)
        etag = info.get("ETag") or info.get("etag") or info.get("md5")
        mtime = info.get("mtime") or info.get("LastModified") or info.get("last_modified")
        return info.get("size"), _as_timestamp(mtime), str(etag).strip('"') if etag else None, None
    path = os.path.abspath(fs_path)
    files = [path] if os.path.isfile(path) else sorted(_walk_files(path))
    size = sum(os.path.getsize(f) for f in files)
    mtime = max((os.path.getmtime(f) for f in files), default=os.path.getmtime(path))
    if not content_hash:
        return size, mtime, None, None
    digest = hashlib.sha256()
    for file in files:
        digest.update(os.path.relpath(file, path).encode() + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return size, mtime, None, digest.hexdigest()


def _walk_files(folder: str) -> list[str]:
    return [os.path.join(root, name) for root, _, names in os.walk(folder) for name in names]


def _as_timestamp(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    timestamp = getattr(value, "timestamp", None)
    return float(timestamp()) if callable(timestamp) else None
