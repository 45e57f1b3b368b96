"""Whole-source stages (deduplication) run after the map stages and keep every document accounted for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.manifest import ManifestError, parse_manifest
from tests.conftest import write_source_manifest
from tests.runs import counts_only, kept_documents, rejected_rows, run


def _books_manifest(tmp_path: Path, books: Path, executor: str = "local") -> Path:
    source = {"name": "books", "kind": "books", "paths": [str(books / "*.txt")], "stages": [{"book_dedup": {}}]}
    return write_source_manifest(tmp_path / f"books-{executor}.yaml", tmp_path / f"out-{executor}", source, executor)


def test_book_dedup_removes_exactly_the_real_pairs_above_ninety_percent(tmp_path: Path, shared_data: Path) -> None:
    outcome = run(_books_manifest(tmp_path, shared_data / "books"))
    read, dedup = outcome.stats["sources"]["books"]["stages"]
    assert read["kept"] == 10 and dedup["in"] == 10
    assert dedup["dropped"] == {"near_duplicate_book": 3} and dedup["kept"] == 7
    assert outcome.stats["accounting"]["ok"]
    removed = {doc_id.split("@")[0] for doc_id, (stage, _, _) in rejected_rows(tmp_path / "out-local").items()
               if stage == "book_dedup"}  # fmt: skip
    # The pairs at 1.000, 0.999 and 0.914 lose one copy each; 0.876 (another edition) and 0.829 stay.
    assert removed == {"pg1342-2023", "pg120-b", "pg11"}
    kept = {doc_id.split("@")[0] for doc_id in kept_documents(tmp_path / "out-local")}
    assert {"pg1342-2018", "pg28885", "pg1342-noheader-gutenbergbooks", "pg11-noheader-gutenbergbooks"} <= kept


def _code_records(folder: Path) -> Path:
    folder.mkdir()
    shared_file = "def add(a, b):\n    return a + b\n"
    records = [
        [{"repo_name": "acme/one", "path": "util.py", "content": shared_file, "license": "MIT"}],
        [
            {"repo_name": "acme/two", "path": "helpers/util.py", "content": shared_file.replace("\n", "  \n"),
             "license": "MIT"},
            {"repo_name": "acme/two", "path": "main.py", "content": "print('hello')\n", "license": "MIT"},
        ],
    ]  # fmt: skip
    for index, rows in enumerate(records):
        (folder / f"shard-{index}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder


def test_exact_dedup_removes_copies_across_input_files(tmp_path: Path) -> None:
    folder = _code_records(tmp_path / "code")
    source = {"name": "code", "kind": "github", "paths": [str(folder / "*.jsonl")], "stages": [{"exact_dedup": {}}]}
    outcome = run(write_source_manifest(tmp_path / "m.yaml", tmp_path / "out", source))
    dedup = outcome.stats["sources"]["code"]["stages"][-1]
    assert (dedup["in"], dedup["kept"], dedup["dropped"]) == (3, 2, {"exact_duplicate": 1})
    assert rejected_rows(tmp_path / "out")["acme/two:helpers/util.py"] == ("exact_dedup", "dropped", "exact_duplicate")
    assert outcome.stats["accounting"]["ok"]


def test_a_batch_stage_after_a_whole_source_stage_is_rejected() -> None:
    raw = {
        "run": {"name": "r", "output": "o"},
        "sources": [{"name": "b", "kind": "books", "paths": ["x"], "stages": [{"book_dedup": {}}, {"langid": {}}]}],
    }
    with pytest.raises(ManifestError) as caught:
        parse_manifest(raw)
    assert "sources[0].stages[1]" in dict(caught.value.problems)


def test_an_interrupted_dedup_phase_resumes_to_the_same_result(tmp_path: Path) -> None:
    folder = _code_records(tmp_path / "code")
    source = {"name": "code", "kind": "github", "paths": [str(folder / "*.jsonl")], "stages": [{"exact_dedup": {}}]}
    manifest = write_source_manifest(tmp_path / "m.yaml", tmp_path / "out", source)
    expected = run(manifest)
    out = tmp_path / "out"
    # As if killed after moving the duplicate to rejects/ and rewriting parts/, before the chunk's stats were saved.
    (out / "global" / "code" / "exact_dedup._SUCCESS").unlink()
    for stats_path in (out / "stats" / "code").glob("*/*.json"):
        chunk = json.loads(stats_path.read_text())
        chunk["stages"] = chunk["stages"][:-1]
        stats_path.write_text(json.dumps(chunk))
    resumed = run(manifest, resume=True)
    assert counts_only(resumed.stats) == counts_only(expected.stats)
    assert resumed.stats["accounting"]["ok"]


@pytest.mark.ray
def test_ray_and_local_agree_on_book_dedup(tmp_path: Path, shared_data: Path, ray_cluster: None) -> None:
    books = tmp_path / "books"
    books.mkdir()
    for name in ("pg120-a.txt", "pg120-b.txt", "pg11.txt", "pg28885.txt"):
        shutil.copy(shared_data / "books" / name, books / name)
    local = run(_books_manifest(tmp_path, books, "local"))
    on_ray = run(_books_manifest(tmp_path, books, "ray"))
    assert counts_only(local.stats) == counts_only(on_ray.stats)
    assert kept_documents(tmp_path / "out-local") == kept_documents(tmp_path / "out-ray")
