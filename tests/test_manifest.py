from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.cli import main
from pipeline.manifest import ManifestError, load_manifest, parse_manifest
from tests.conftest import REPO


def _valid() -> dict:
    return {
        "run": {"name": "r", "output": "out/r"},
        "sources": [{"name": "cc", "kind": "common_crawl", "paths": ["x.warc.gz"], "stages": [{"extract": {}}]}],
    }


def _problems(raw: dict) -> dict[str, str]:
    with pytest.raises(ManifestError) as caught:
        parse_manifest(raw)
    return dict(caught.value.problems)


def test_the_flagship_manifest_is_valid_and_defaults_to_ray() -> None:
    manifest = load_manifest(REPO / "manifests" / "roots.yaml")
    assert manifest.executor.kind == "ray"
    assert [s.kind for s in manifest.sources] == ["common_crawl", "wikipedia", "github", "arxiv", "books"]
    assert manifest.sources[0].stages[0].name == "extract"


def test_unknown_keys_are_errors_named_by_their_yaml_path() -> None:
    raw = _valid()
    raw["sources"][0]["stages"][0]["extract"]["timeout"] = 3
    raw["run"]["colour"] = "blue"
    problems = _problems(raw)
    assert problems["sources[0].stages[0].extract.timeout"] == "unknown key"
    assert problems["run.colour"] == "unknown key"


def test_all_problems_are_reported_not_just_the_first() -> None:
    raw = _valid()
    raw["executor"] = {"kind": "spark"}
    raw["sources"][0]["paths"] = "not-a-list"
    raw["sources"].append({"name": "cc", "kind": "telepathy", "paths": ["y"]})
    problems = _problems(raw)
    assert "executor.kind" in problems
    assert "sources[0].paths" in problems
    assert "telepathy" in problems["sources[1].kind"]


def test_kind_specific_options_are_validated_by_the_source_kind() -> None:
    raw = _valid()
    raw["sources"][0]["keep_status"] = ["two hundred"]
    raw["sources"][0]["unheard_of"] = 1
    problems = _problems(raw)
    assert "sources[0].keep_status[0]" in problems
    assert problems["sources[0].unheard_of"] == "unknown key"


def test_unknown_stage_names_list_the_known_ones() -> None:
    raw = _valid()
    raw["sources"][0]["stages"] = [{"extract": {}}, {"sparkle": {}}]
    problems = _problems(raw)
    assert "extract" in problems["sources[0].stages[1]"]


def test_duplicate_source_names_are_rejected() -> None:
    raw = _valid()
    raw["sources"].append(dict(raw["sources"][0]))
    assert "more than once" in _problems(raw)["sources"]


def test_validate_exits_2_and_prints_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = _valid()
    raw["sources"][0]["stages"][0]["extract"]["timeout_s"] = -1
    raw["run"]["seed"] = "abc"
    manifest = tmp_path / "bad.yaml"
    manifest.write_text(yaml.safe_dump(raw))
    assert main(["validate", str(manifest)]) == 2
    err = capsys.readouterr().err
    assert "sources[0].stages[0].extract.timeout_s" in err
    assert "run.seed" in err


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    manifest = tmp_path / "broken.yaml"
    manifest.write_text("run:\n  name: x\n  output: [unclosed\n")
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    assert caught.value.problems[0][0].startswith("line ")


def test_validate_accepts_the_flagship_manifest() -> None:
    assert main(["validate", str(REPO / "manifests" / "roots.yaml")]) == 0
