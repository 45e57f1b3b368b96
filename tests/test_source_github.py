from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from stages.base import PartSpec, Verdict, part_id_for
from stages.sources.github import (
    GithubConfig,
    GithubSource,
    content_sha1,
    github_url,
    language_for,
    normalize_for_hash,
)
from stages.sources.licenses import (
    LicenseExpression,
    decide_license,
    is_license_file_name,
    license_of_field,
    license_of_text,
    named_licenses,
    parse_spdx_expression,
    strip_license_header,
)
from tests.conftest import REPO, write_source_manifest
from tests.runs import kept_documents, rejected_rows, run

Row = tuple[dict[str, Any], Verdict | None]

MIT_LICENSE = "Sample licence.\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of it.\n"
GPL_LICENSE = (
    "This tool is free software: you can redistribute it under the terms of the GNU General Public License\n"
    "as published by the Free Software Foundation, either version 3 of the License, or any later version.\n"
)
CODE = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"


def read_part(uri: Path | str, batch_size: int = 4, limit: int | None = None, **options: Any) -> list[Row]:
    source = GithubSource("gh", GithubConfig(**options))
    rows: list[Row] = []
    for result in source.read(PartSpec("gh", part_id_for(str(uri)), str(uri)), batch_size, limit):
        assert result.batch.num_rows <= batch_size
        rows.extend(zip(result.batch.to_pylist(), result.verdicts, strict=True))
    return rows


def by_path(rows: list[Row]) -> dict[str, Row]:
    return {json.loads(row["meta"]).get("path"): (row, verdict) for row, verdict in rows}


def reason(verdict: Verdict | None) -> str:
    return "kept" if verdict is None else verdict.reason


def meta(row: dict[str, Any]) -> dict[str, Any]:
    return json.loads(row["meta"])


def make_repo(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def write_jsonl_gz(path: Path, lines: list[str]) -> Path:
    path.write_bytes(gzip.compress("".join(line + "\n" for line in lines).encode()))
    return path


def record(repo: str, path: str, content: str, license: Any = "MIT", **extra: Any) -> str:
    return json.dumps({"repo_name": repo, "path": path, "content": content, "repo_license": license, **extra})


# --- the real Stack-style sample ----------------------------------------------------------------------------------


def test_real_sample_keeps_permissive_projects_and_drops_copyleft_and_licence_files(shared_data: Path) -> None:
    rows = read_part(shared_data / "code" / "github-code-sample.jsonl.gz")
    assert Counter(reason(v) for _, v in rows) == Counter({"kept": 10, "license_file": 6, "license_not_allowed": 6})
    kept_projects = Counter(row["id"].split(" (")[0] for row, v in rows if v is None)
    assert kept_projects == Counter({"six": 1, "markupsafe": 3, "requests": 5, "kenlm": 1})
    for row, verdict in rows:
        if row["id"].startswith(("ranger-fm", "kenlm")) and not row["id"].endswith(("murmur_hash.cc", "LICENSE")):
            assert reason(verdict) in ("license_not_allowed", "license_file"), row["id"]
        if meta(row)["path"] in ("LICENSE", "LICENSE.txt", "COPYING"):
            assert reason(verdict) == "license_file"


def test_real_sample_keeps_murmur_hash_because_its_own_header_is_public_domain_or_mit(shared_data: Path) -> None:
    # The header says: released to the public domain; "for business purposes, Murmurhash is under the MIT license".
    rows = by_path(read_part(shared_data / "code" / "github-code-sample.jsonl.gz"))
    row, verdict = rows["util/murmur_hash.cc"]
    assert verdict is None
    fields = meta(row)
    assert fields["repo_license"] == "LGPL-2.1-or-later"
    assert fields["file_license"] == "public-domain OR MIT"
    assert (fields["license"], fields["license_source"]) == ("MIT", "file")
    assert fields["language"] == "C++"
    assert not row["text"].startswith("/*") and "MurmurHash64A" in row["text"]
    # Its LGPL siblings have no header of their own: the repository's licence decides.
    sibling, sibling_verdict = rows["lm/lm_exception.cc"]
    assert reason(sibling_verdict) == "license_not_allowed" and meta(sibling)["license_source"] == "repo"


def test_real_sample_records_the_repository_licence_and_cuts_the_mit_header(shared_data: Path) -> None:
    rows = by_path(read_part(shared_data / "code" / "github-code-sample.jsonl.gz"))
    six, _ = rows["six.py"]
    assert (meta(six)["license"], meta(six)["license_source"]) == ("MIT", "repo")
    assert "Permission is hereby granted" not in six["text"]
    assert six["text"].startswith('"""Utilities for writing code')
    assert meta(six)["license_header_chars"] > 1000
    requests_api, _ = rows["src/requests/api.py"]
    assert ":license: Apache2" in requests_api["text"]  # docstrings stay
    assert requests_api["url"] is None  # "requests (PyPI sdist 2.34.2)" is not an owner/name


# --- repository trees -----------------------------------------------------------------------------------------


def test_repository_licence_comes_from_the_licence_file_at_its_root(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "tool", {"LICENSE": MIT_LICENSE, "src/add.py": CODE, "src/ops.c": "int x(void);\n" * 3})
    rows = by_path(read_part(repo))
    assert {path: reason(v) for path, (_, v) in rows.items()} == {
        "LICENSE": "license_file",
        "src/add.py": "kept",
        "src/ops.c": "kept",
    }
    kept, _ = rows["src/add.py"]
    assert kept["id"] == "tool:src/add.py" and kept["text"] == CODE and kept["lang"] is None
    assert meta(kept)["license"] == meta(kept)["repo_license"] == "MIT"
    assert meta(kept)["language"] == "Python" and meta(rows["src/ops.c"][0])["language"] == "C"


def test_an_spdx_header_makes_a_file_in_a_gpl_repository_permissive(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "gnu-tool",
        {
            "COPYING": GPL_LICENSE,
            "main.c": "int main(void) { return run_the_tool(); }\n",
            "vendor/hash.c": (
                "// SPDX-License-Identifier: BSD-3-Clause\n// Copyright 2024 Someone\n\n"
                "int hash(int k) { return k * 31; }\n"
            ),
        },
    )
    rows = by_path(read_part(repo))
    main, main_verdict = rows["main.c"]
    assert reason(main_verdict) == "license_not_allowed"
    assert meta(main)["repo_license"] == "GPL-3.0-or-later" and meta(main)["license_source"] == "repo"
    vendored, verdict = rows["vendor/hash.c"]
    assert verdict is None
    assert (meta(vendored)["license"], meta(vendored)["license_source"]) == ("BSD-3-Clause", "file")
    assert vendored["text"] == "int hash(int k) { return k * 31; }\n"


def test_a_copyleft_header_does_not_override_a_permissive_repository(tmp_path: Path) -> None:
    header = "# This file is distributed under the GNU General Public License, version 2.\n"
    repo = make_repo(tmp_path / "mixed", {"LICENSE": MIT_LICENSE, "gpl_part.py": header + CODE})
    row, verdict = by_path(read_part(repo))["gpl_part.py"]
    assert verdict is None  # the override works only towards more permissive licences
    assert meta(row)["license_source"] == "repo" and meta(row)["file_license"] == "GPL-2.0-only"


def test_without_any_licence_files_are_unknown_and_dropped(tmp_path: Path) -> None:
    row, verdict = by_path(read_part(make_repo(tmp_path / "bare", {"a.py": CODE})))["a.py"]
    assert reason(verdict) == "license_not_allowed" and meta(row)["license"] == "unknown"
    _, verdict = by_path(read_part(tmp_path / "bare", allowed_licenses=["MIT", "unknown"]))["a.py"]
    assert verdict is None


def test_binary_files_are_dropped_not_errored(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "LICENSE": MIT_LICENSE,
        "blob.h": b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(64),
        "latin.py": "# caf\xe9\nx = 1\n".encode("latin-1") + b"y = 2\n" * 5,
    }
    rows = by_path(read_part(make_repo(tmp_path / "bin", files)))
    assert reason(rows["blob.h"][1]) == "binary_file" and reason(rows["latin.py"][1]) == "binary_file"
    assert rows["blob.h"][1].fate == "dropped"


def test_exact_copies_within_a_repository_are_dropped_after_the_first(tmp_path: Path) -> None:
    copy = CODE.replace("\n", "  \r\n") + "\n\n\n"  # CRLF, trailing spaces and blank lines: still the same file
    repo = make_repo(tmp_path / "dup", {"LICENSE": MIT_LICENSE, "a/ops.py": CODE, "b/ops.py": copy, "c.py": CODE})
    rows = by_path(read_part(repo))
    # Walk order: a folder's files (sorted) before its subfolders (sorted), so c.py comes first.
    assert [reason(rows[p][1]) for p in ("c.py", "a/ops.py", "b/ops.py")] == [
        "kept",
        "duplicate_file",
        "duplicate_file",
    ]
    assert meta(rows["b/ops.py"][0])["content_sha1"] == meta(rows["c.py"][0])["content_sha1"]
    rows = by_path(read_part(repo, dedup_within_part=False))
    assert all(v is None for path, (_, v) in rows.items() if path != "LICENSE")


def test_disallowed_extensions_are_dropped_and_version_control_folders_are_not_files(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "LICENSE": MIT_LICENSE,
        "README.md": "# Tool\n\nA tool.\n",
        "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(32),
        "Makefile": "all:\n\tcc -o tool main.c\n",
        ".git/config": "[core]\n",
        ".git/objects/ab/cdef": b"\x78\x9c" + bytes(20),
    }
    rows = by_path(read_part(make_repo(tmp_path / "ext", files)))
    assert {path: reason(v) for path, (_, v) in rows.items()} == {
        "LICENSE": "license_file",
        "Makefile": "kept",
        "README.md": "extension_not_allowed",
        "logo.png": "extension_not_allowed",
    }


def test_unreadable_files_are_errored_and_the_repository_goes_on(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "broken", {"LICENSE": MIT_LICENSE, "ok.py": CODE})
    os.symlink("does-not-exist.py", repo / "dangling.py")
    rows = by_path(read_part(repo))
    row, verdict = rows["dangling.py"]
    assert verdict == Verdict.error("unreadable_file")
    assert "dangling.py" in meta(row)["error"] and "FileNotFoundError" in meta(row)["error"]
    assert rows["ok.py"][1] is None


def test_oversized_and_empty_files_are_dropped_with_their_reasons(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "sizes",
        {
            "LICENSE": MIT_LICENSE,
            "big.py": "x = 1\n" * 200,
            "__init__.py": "",
            "only_header.py": "# Copyright 2024 A\n",
        },
    )
    rows = by_path(read_part(repo, max_file_bytes=1000))
    assert reason(rows["big.py"][1]) == "file_too_large"
    assert reason(rows["__init__.py"][1]) == "too_short" and reason(rows["only_header.py"][1]) == "too_short"


def test_owner_and_name_folders_give_github_urls_and_limit_caps_the_records(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "octo" / "tools", {"LICENSE": MIT_LICENSE, "a b.py": CODE, "z.py": CODE + "z = 0\n"})
    rows = read_part(repo, repo_name_depth=2)
    assert [row["id"] for row, _ in rows] == ["octo/tools:LICENSE", "octo/tools:a b.py", "octo/tools:z.py"]
    assert rows[1][0]["url"] == "https://github.com/octo/tools/blob/HEAD/a%20b.py"
    assert len(read_part(repo, limit=2)) == 2


# --- Stack-style records ----------------------------------------------------------------------------------------


def test_a_malformed_jsonl_line_is_one_errored_row_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = [
        record("octo/lib", "a.py", CODE),
        '{"repo_name": "octo/lib", "path": "b.py", "content": ',
        "",
        json.dumps({"repo_name": "octo/lib", "path": "c.py"}),
        record("octo/lib", "d.py", CODE + "d = 4\n"),
    ]
    rows = read_part(write_jsonl_gz(tmp_path / "code.jsonl.gz", lines))
    assert [(row["id"], reason(v)) for row, v in rows] == [
        ("octo/lib:a.py", "kept"),
        ("code.jsonl.gz:2", "malformed_json"),
        ("code.jsonl.gz:4", "malformed_record"),
        ("octo/lib:d.py", "kept"),
    ]
    assert meta(rows[1][0])["line"] == 2 and "JSONDecodeError" in meta(rows[1][0])["error"]
    assert rows[0][0]["url"] == "https://github.com/octo/lib/blob/HEAD/a.py"


def test_a_truncated_jsonl_gz_ends_the_part_with_an_errored_row(tmp_path: Path) -> None:
    lines = [record("octo/lib", f"m{i}.py", CODE + f"n = {i}\n" + "# padding " * 200) for i in range(40)]
    whole = gzip.compress("".join(line + "\n" for line in lines).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    rows = read_part(path)
    assert 0 < len(rows) < 41
    assert all(v is None for _, v in rows[:-1])
    last, verdict = rows[-1]
    assert verdict == Verdict.error("truncated_gzip") and last["id"] == f"cut.jsonl.gz:{len(rows)}"


def test_record_licence_fields_and_licence_file_flags_are_honoured(tmp_path: Path) -> None:
    lines = [
        record("o/dual", "lib.rs", "pub fn one() -> u32 { 1 }\n", license="MIT OR GPL-3.0-only"),
        record("o/listed", "x.go", "package x\n\nfunc X() int { return 1 }\n", license=["mit", "apache-2.0"]),
        record("o/gpl", "y.js", "export const y = () => 2;\n", license="gpl-3.0"),
        record("o/gpl", "NOTICE.py", "x = 'really a licence text'\n", license="gpl-3.0", is_license_file=True),
        json.dumps({"repo_name": "o/l", "path": "z.ts", "content": "export const z = 3;\n", "license": "Apache-2.0"}),
    ]
    rows = read_part(write_jsonl_gz(tmp_path / "f.jsonl.gz", lines))
    assert [reason(v) for _, v in rows] == ["kept", "kept", "license_not_allowed", "license_file", "kept"]
    assert meta(rows[0][0])["license"] == "MIT" and meta(rows[0][0])["repo_license"] == "MIT OR GPL-3.0-only"
    assert meta(rows[1][0])["repo_license"] == "MIT OR Apache-2.0"


def test_parquet_records_are_read_like_jsonl(tmp_path: Path) -> None:
    table = pa.table(
        {
            "repo_name": ["octo/a", "octo/a", None],
            "path": ["LICENSE", "main.go", "x.go"],
            "content": [MIT_LICENSE, "package main\n\nfunc main() { println(1) }\n", "package x\n"],
            "license": ["MIT", "MIT", "MIT"],
            "stars": [1, 2, 3],
        }
    )
    pq.write_table(table, tmp_path / "stack.parquet")
    rows = read_part(tmp_path / "stack.parquet")
    assert [(row["id"], reason(v)) for row, v in rows] == [
        ("octo/a:LICENSE", "license_file"),
        ("octo/a:main.go", "kept"),
        ("stack.parquet:2", "malformed_record"),
    ]


def test_inputs_that_are_neither_folders_nor_record_files_are_errored(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    assert [reason(v) for _, v in read_part(tmp_path / "notes.txt")] == ["unsupported_input"]
    assert [reason(v) for _, v in read_part(tmp_path / "missing.jsonl")] == ["unreadable_file"]


# --- the recipe's pure functions --------------------------------------------------------------------------------


def test_strip_license_header_cuts_a_hash_comment_block_but_keeps_shebang_coding_and_docstring() -> None:
    source = (
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# Copyright 2024 Example\n# Licensed under the MIT License.\n"
        '\n"""Module docs."""\n\nimport os\n'
    )
    assert (
        strip_license_header(source, "Python")
        == '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"""Module docs."""\n\nimport os\n'
    )


def test_strip_license_header_cuts_c_block_comments_and_keeps_the_next_documentation_comment() -> None:
    source = (
        "/*\n * Copyright (c) 2024 Example\n * SPDX-License-Identifier: MIT\n */\n\n"
        "// Package doc.\n// Explains.\nint x;\n"
    )
    assert strip_license_header(source, "C") == "// Package doc.\n// Explains.\nint x;\n"
    go = (
        "// Copyright 2024 The Authors.\n// Use of this source code is governed by a BSD-style license.\n\n"
        "// Package x.\npackage x\n"
    )
    assert strip_license_header(go, "Go") == "// Package x.\npackage x\n"
    stacked = "// Copyright 2024 A\n\n/* Permission is hereby granted, free of charge */\nint y;\n"
    assert strip_license_header(stacked, "C") == "int y;\n"


def test_strip_license_header_leaves_files_without_a_licence_header_alone() -> None:
    for source, language in [
        ("// Helpers for parsing.\nint parse(void);\n", "C"),
        ("/* Copyright 2024 A */ int unterminated_is_not_cut = 1;\n", "C"),
        ("/* Copyright 2024 A\nint never_closed;\n", "C"),
        ('"""Copyright 2024 A: licensed under MIT."""\nx = 1\n', "Python"),
        ('#include "license.h"\nint x;\n', "C"),  # a preprocessor line is not a comment in C
        ("x = 1\n# Copyright 2024 A\n", "Python"),
    ]:
        assert strip_license_header(source, language) == source


def test_licence_sentences_are_recognised() -> None:
    cases = {
        "# Permission is hereby granted, free of charge, to any person obtaining a copy": "MIT",
        "Redistribution and use in source and binary forms, with or without modification": "BSD-2-Clause",
        "Redistribution and use in source and binary forms, with or without\n * modification. Neither the name of": (
            "BSD-3-Clause"
        ),
        "// Licensed under the Apache License, Version 2.0 (the License)": "Apache-2.0",
        "under the terms of the GNU General Public License as published by the Free Software Foundation;\n"
        "either version 2 of the License, or (at your option) any later version.": "GPL-2.0-or-later",
        "# License: GNU GPL version 3": "GPL-3.0-only",
        "GNU Lesser General Public License, version 3": "LGPL-3.0-only",
        "subject to the terms of the Mozilla Public License, v. 2.0.": "MPL-2.0",
        "This code has been placed in the public domain by its author.": "public-domain",
    }
    for text, expected in cases.items():
        assert named_licenses(text) == [expected], text
    assert named_licenses("def license_key(mit_id): return 'Apache'") == []


def test_licence_texts_that_cite_each_other_count_only_their_own_licence() -> None:
    lgpl_like = (
        "GNU LESSER GENERAL PUBLIC LICENSE Version 2.1\n... you may apply the terms of the ordinary "
        "GNU General Public License instead of this License."
    )
    assert str(license_of_text(lgpl_like)) == "LGPL-2.1-only"
    assert str(license_of_text("MIT License or, at your option, Apache License, Version 2.0")) == "MIT OR Apache-2.0"
    assert str(license_of_text("GPL version 2; the hash function is under the MIT license")) == "GPL-2.0-only AND MIT"
    spdx_wins = "// SPDX-License-Identifier: Apache-2.0\n// Permission is hereby granted, free of charge, to any person"
    assert str(license_of_text(spdx_wins)) == "Apache-2.0"


def test_spdx_expressions_follow_and_before_or() -> None:
    assert str(parse_spdx_expression("MIT OR Apache-2.0")) == "MIT OR Apache-2.0"
    expression = parse_spdx_expression("MIT AND (Apache-2.0 OR BSD-3-Clause) */")
    assert str(expression) == "(MIT AND Apache-2.0) OR (MIT AND BSD-3-Clause)"
    assert expression.permitted_by(["MIT", "BSD-3-Clause"]) == "MIT AND BSD-3-Clause"
    assert (
        str(parse_spdx_expression("GPL-2.0+ WITH Classpath-exception-2.0"))
        == "GPL-2.0-or-later WITH Classpath-exception-2.0"
    )
    assert str(parse_spdx_expression("MIT OR")) == "unknown"
    assert str(license_of_field("apache-2.0")) == "Apache-2.0" and license_of_field("NOASSERTION").is_unknown


def test_file_licence_overrides_only_when_it_is_allowed_and_the_repository_is_not() -> None:
    allowed = ["MIT", "BSD-3-Clause", "Apache-2.0"]
    gpl, mit = LicenseExpression((("GPL-3.0-only",),)), LicenseExpression((("MIT",),))
    assert decide_license(gpl, mit, allowed) == decide_license(gpl, mit, allowed).__class__("MIT", "file", True)
    assert (decide_license(mit, gpl, allowed).license, decide_license(mit, gpl, allowed).source) == ("MIT", "repo")
    refused = decide_license(gpl, gpl, allowed)
    assert (refused.license, refused.source, refused.allowed) == ("GPL-3.0-only", "repo", False)
    assert decide_license(gpl, gpl, ["GPL-3.0"]).allowed  # a base id on the list allows its -only/-or-later forms


def test_normalisation_for_dedup_ignores_line_ends_trailing_spaces_and_blank_runs_but_not_indentation() -> None:
    assert normalize_for_hash("a = 1  \r\n\r\n\r\nb = 2\n\n") == "a = 1\n\nb = 2"
    assert content_sha1("if x:\n    y()\n") != content_sha1("if x:\ny()\n")


def test_languages_licence_file_names_and_urls() -> None:
    extensions = GithubConfig().extensions
    assert language_for("src/Main.JAVA", extensions) == "Java" and language_for("docs/x.md", extensions) is None
    assert language_for("build/Makefile", extensions) == "Makefile"
    assert all(is_license_file_name(p) for p in ["LICENSE", "a/LICENCE.txt", "COPYING.LESSER", "LICENSE-MIT"])
    assert not is_license_file_name("src/license_check.py")
    assert github_url("octo/cat", "src/a b.py") == "https://github.com/octo/cat/blob/HEAD/src/a%20b.py"
    assert github_url("six (PyPI sdist 1.17.0)", "six.py") is None


# --- through the engine -----------------------------------------------------------------------------------------


def test_the_bundled_samples_run_through_the_engine_with_code_heuristics(tmp_path: Path) -> None:
    samples = REPO / "manifests" / "samples" / "github"
    source = {
        "name": "github",
        "kind": "github",
        "paths": [str(samples / "repos" / "*"), str(samples / "*.jsonl.gz")],
        "stages": [{"code_heuristics": {}}],
    }
    path = write_source_manifest(tmp_path / "github.yaml", tmp_path / "out", source, batch_size=4)
    outcome = run(path)
    assert outcome.stats["accounting"]["ok"]
    read, heuristics = outcome.stats["sources"]["github"]["stages"]
    assert read["in"] == read["kept"] + sum(read["dropped"].values()) + sum(read["errored"].values())
    assert set(read["dropped"]) == {
        "license_file",
        "license_not_allowed",
        "extension_not_allowed",
        "binary_file",
        "duplicate_file",
        "too_short",
    }
    assert read["errored"] == {"malformed_json": 1, "truncated_gzip": 1}
    assert heuristics["in"] == read["kept"]
    assert set(heuristics["dropped"]) == {"code_autogenerated", "code_long_line"}
    docs = kept_documents(tmp_path / "out")
    assert docs and all("code_alnum_fraction" in doc for doc in docs.values())
    assert all(json.loads(doc["meta"])["license"] in ("MIT", "BSD-3-Clause", "Apache-2.0") for doc in docs.values())
    vendored = next(doc for doc_id, doc in docs.items() if doc_id.endswith("vendor/fastmix.c"))
    assert json.loads(vendored["meta"])["license_source"] == "file"
    assert rejected_rows(tmp_path / "out")["gnu-tool:src/main.c"] == ("read", "dropped", "license_not_allowed")
    # Copies in different parts both stay (cross-part dedup is the dedup stage's job) and share content_sha1.
    copies = [docs["acme-textkit:examples/words_copy.py"], docs["octo-samples/mirror:src/words.py"]]
    assert len({json.loads(doc["meta"])["content_sha1"] for doc in copies}) == 1
