"""The state store of incremental runs: which inputs were processed, by which run, and the run history.

An embedded SQLite file in the output directory (no server). Inputs are identified by (source, uri) and
fingerprinted by size and mtime (or the remote ETag) plus a content hash for local files, so a re-run knows
what is new or changed without reading what it already has. A file lock next to it keeps two runs from
sharing one state.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,              -- running | complete | complete_with_alarms | failed | nothing_new
    manifest_digest TEXT,
    run_dir TEXT,
    inputs_new INTEGER DEFAULT 0,
    documents_in INTEGER DEFAULT 0,
    documents_kept INTEGER DEFAULT 0,
    tokens_added INTEGER DEFAULT 0,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS inputs (
    source TEXT NOT NULL,
    uri TEXT NOT NULL,
    part_id TEXT NOT NULL,
    size INTEGER,
    mtime REAL,
    etag TEXT,
    content_sha256 TEXT,
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    status TEXT NOT NULL,              -- selected | done | quarantined
    reason TEXT,
    PRIMARY KEY (source, uri, run_id)
);
"""


@dataclass(frozen=True)
class Fingerprint:
    size: int | None
    mtime: float | None
    etag: str | None
    content_sha256: str | None

    def same_file(self, other: Fingerprint) -> bool:
        """Unchanged if the content hashes agree, else if size and mtime (or ETag) agree."""
        if self.content_sha256 and other.content_sha256:
            return self.content_sha256 == other.content_sha256
        if self.etag and other.etag:
            return self.etag == other.etag
        return (self.size, self.mtime) == (other.size, other.mtime)


@dataclass(frozen=True)
class InputRecord:
    source: str
    uri: str
    part_id: str
    fingerprint: Fingerprint
    run_id: str
    status: str
    reason: str | None


class StateLocked(Exception):
    """Another curate run holds the state of this output directory."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StateStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)  # autocommit; explicit transactions below
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- inputs ----------------------------------------------------------------------------------------------

    def processed(self, source: str, uri: str) -> list[InputRecord]:
        """Every finished record of an input (done or quarantined), newest first."""
        rows = self.db.execute(
            "SELECT i.* FROM inputs i JOIN runs r USING (run_id) WHERE i.source=? AND i.uri=? "
            "AND i.status IN ('done','quarantined') ORDER BY r.started_at DESC",
            (source, uri),
        ).fetchall()
        return [_input_record(row) for row in rows]

    def selected_inputs(self, run_id: str) -> list[InputRecord]:
        rows = self.db.execute("SELECT * FROM inputs WHERE run_id=? ORDER BY source, uri", (run_id,)).fetchall()
        return [_input_record(row) for row in rows]

    def select_inputs(self, run_id: str, records: list[InputRecord]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO inputs VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (r.source, r.uri, r.part_id, *_fingerprint_row(r.fingerprint), run_id, "selected", None)
                    for r in records
                ],
            )

    def finish_inputs(self, run_id: str, outcomes: dict[tuple[str, str], tuple[str, str | None]]) -> None:
        """``outcomes``: (source, part_id) -> (status, reason) for the run's inputs."""
        with self.transaction() as db:
            for (source, part_id), (status, reason) in outcomes.items():
                db.execute(
                    "UPDATE inputs SET status=?, reason=? WHERE run_id=? AND source=? AND part_id=?",
                    (status, reason, run_id, source, part_id),
                )

    # --- runs ------------------------------------------------------------------------------------------------

    def start_run(self, run_id: str, manifest_digest: str, run_dir: str | None, status: str = "running") -> None:
        self.db.execute(
            "INSERT INTO runs (run_id, started_at, status, manifest_digest, run_dir) VALUES (?,?,?,?,?)",
            (run_id, _now(), status, manifest_digest, run_dir),
        )

    def finish_run(self, run_id: str, status: str, summary: dict[str, Any]) -> None:
        totals = summary.get("totals", {})
        self.db.execute(
            "UPDATE runs SET finished_at=?, status=?, inputs_new=?, documents_in=?, documents_kept=?, "
            "tokens_added=?, summary=? WHERE run_id=?",
            (
                _now(),
                status,
                totals.get("inputs_new", 0),
                totals.get("documents_in", 0),
                totals.get("documents_kept", 0),
                totals.get("tokens_added", 0),
                json.dumps(summary, sort_keys=True),
                run_id,
            ),
        )

    def unfinished_run(self) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM runs WHERE status='running' ORDER BY started_at DESC").fetchone()

    def runs(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.db.execute("SELECT * FROM runs ORDER BY started_at, run_id")]

    def new_run_id(self) -> str:
        base = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        taken = {row[0] for row in self.db.execute("SELECT run_id FROM runs WHERE run_id LIKE ?", (base + "%",))}
        run_id, suffix = base, 2
        while run_id in taken:
            run_id, suffix = f"{base}-{suffix}", suffix + 1
        return run_id


def _fingerprint_row(fp: Fingerprint) -> tuple[int | None, float | None, str | None, str | None]:
    return fp.size, fp.mtime, fp.etag, fp.content_sha256


def _input_record(row: sqlite3.Row) -> InputRecord:
    fingerprint = Fingerprint(row["size"], row["mtime"], row["etag"], row["content_sha256"])
    return InputRecord(
        row["source"], row["uri"], row["part_id"], fingerprint, row["run_id"], row["status"], row["reason"]
    )


@contextmanager
def state_lock(root: Path) -> Iterator[None]:
    """Hold ``root/.curate.lock`` for the run; the kernel drops it if the process dies."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / ".curate.lock"
    handle: IO[str] = open(path, "a+")  # held for the lifetime of the run
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            raise StateLocked(
                f"{root} is in use by another curate run ({holder}); wait for it to finish. "
                "The lock is released automatically when that process exits."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {os.uname().nodename}, since {_now()}")
        handle.flush()
        yield
    finally:
        handle.close()
