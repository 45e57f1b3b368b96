"""The report's data, its embedding, the CLI and the end-of-run hook (no browser here)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import pipeline.report as report_package
from pipeline.cli import main
from pipeline.manifest import ManifestError, parse_manifest
from pipeline.report import build_report, collect, collect_compare
from pipeline.report.compare import compare_lines
from pipeline.report.render import embed_json, render_html
from pipeline.report.thresholds import thresholds_for
from tests.conftest import REPO
from tests.runs import run

SAMPLES = REPO / "manifests" / "samples"


def sample_manifest(
    path: Path,
    output: Path,
    min_words: int = 50,
    report: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Two bundled sources through real stages: Common Crawl (extract → langid → Gopher → PII), GitHub."""
    manifest: dict[str, Any] = {
        "run": {"name": "report-test", "output": str(output), "seed": 1},
        "executor": {"kind": "local", "batch_size": 16},
        "sources": [
            {
                "name": "cc",
                "kind": "common_crawl",
                "paths": [str(SAMPLES / "cc" / "*.warc.gz")],
                "stages": [
                    {"extract": {"timeout_s": 10}},
                    {"langid": {"keep": ["en", "fr", "de", "es"], "min_score": 0.5, "per_language": {"de": 0.6}}},
                    {"gopher_quality": {"min_words": min_words}},
                    {"pii": {}},
                ],
            },
            {
                "name": "github",
                "kind": "github",
                "paths": [str(SAMPLES / "github" / "repos" / "*"), str(SAMPLES / "github" / "*.jsonl.gz")],
                "allowed_licenses": ["MIT", "BSD-3-Clause", "Apache-2.0"],
                "stages": [{"code_heuristics": {}}, {"exact_dedup": {}}],
            },
        ],
    }
    if report is not None:
        manifest["report"] = report
    manifest.update(extra or {})
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-run")
    manifest = sample_manifest(folder / "m.yaml", folder / "out", report={"samples_per_reason": 2, "max_chars": 80})
    outcome = run(manifest)
    assert outcome.report_error is None
    return folder / "out"


# Cross-source dedup with a low loss alarm, and an export mixing cc by weight with github at two epochs.
DEDUP_AND_EXPORT = {
    "dedup": {"exact": "whitespace", "minhash": {"threshold": 0.8}, "alarms": {"max_source_loss": 0.01}},
    "export": {
        "tokenizer": {"train": {"vocab_size": 2000}},
        "mixture": {"cc": {"weight": 1.0}, "github": {"epochs": 2.0}},
    },
}


@pytest.fixture(scope="module")
def exported_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-export-run")
    outcome = run(sample_manifest(folder / "m.yaml", folder / "out", extra=DEDUP_AND_EXPORT))
    assert outcome.report_error is None
    return folder / "out"


def test_every_run_writes_report_html_at_the_end(sample_run: Path) -> None:
    page = (sample_run / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="report-data"' in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "").split('id="report-data"')[0]
    assert not re.search(r"<(script|link|img)[^>]+src=", page), "no external resources: the file must open offline"


def test_the_data_block_cannot_be_closed_by_document_text() -> None:
    hostile = {"text": "</script><script>alert(1)</script> & <!-- \u2028"}
    embedded = embed_json(hostile)
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert json.loads(embedded) == hostile
    page = render_html({"kind": "run", "x": hostile}, "t</title><script>")
    assert page.count("<script") == 2 and "</title><script>" not in page


def test_the_page_script_is_the_only_one_the_policy_allows(sample_run: Path) -> None:
    page = (sample_run / "report.html").read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "script-src 'sha256-" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "connect-src 'none'" in policy


def test_samples_are_capped_per_reason_and_shortened(sample_run: Path) -> None:
    data = collect(sample_run)
    assert data["settings"]["samples_per_reason"] == 2
    reasons = {(g["source"], g["stage"], g["reason"]) for g in data["samples"]}
    assert ("cc", "read", "warc_request") in reasons and ("github", "exact_dedup", "exact_duplicate") in reasons
    for group in data["samples"]:
        assert 1 <= len(group["docs"]) <= 2
        for doc in group["docs"]:
            assert doc["text"] is None or len(doc["text"]) <= 81
            if doc["text"] is not None and doc["chars"] > 80:
                assert doc["text"].endswith("…")


def test_funnel_characters_add_up_to_the_kept_characters_of_stats_json(sample_run: Path) -> None:
    stats = json.loads((sample_run / "stats.json").read_text())
    data = collect(sample_run)
    for source in data["sources"]:
        stages = source["stages"]
        assert [s["in"] for s in stages] == [s["in"] for s in stats["sources"][source["name"]]["stages"]]
        assert stages[-1]["chars_kept"] == stats["sources"][source["name"]]["kept_chars"]
        for before, after in itertools.pairwise(stages):
            assert after["chars_in"] == before["chars_kept"]


def test_histograms_cover_every_score_column_and_mark_manifest_thresholds(sample_run: Path) -> None:
    data = collect(sample_run)
    columns = {h["column"]: h for h in data["histograms"]}
    assert {"lang_score", "gopher_words", "code_alnum_fraction"} <= set(columns)
    assert not any(c.endswith("_count") for c in columns), "counters belong to the PII panel"
    words = columns["gopher_words"]
    assert {(m["setting"], m["value"]) for m in words["thresholds"]} >= {("min_words", 50.0), ("max_words", 100000.0)}
    lang = {(m["value"], m.get("lang")) for m in columns["lang_score"]["thresholds"]}
    assert lang == {(0.5, None), (0.6, "de")}
    counted = sum(sum(c["kept"]) + sum(c["dropped"]) for c in columns["lang_score"]["cells"])
    stats = json.loads((sample_run / "stats.json").read_text())
    langid = next(s for s in stats["sources"]["cc"]["stages"] if s["stage"] == "langid")
    assert counted == langid["in"] - langid["dropped"].get("empty_text", 0)


def test_thresholds_match_by_name_expand_ngram_tables_and_read_per_language_tables() -> None:
    manifest = {
        "sources": [
            {"name": "web", "stages": [{"gopher_repetition": {}}, {"roots_filters": {}}, {"c4": {"min_sentences": 3}}]}
        ]
    }
    columns = ["gopher_dup_5gram_char_fraction", "roots_stop_words", "c4_sentences", "roots_words", "gopher_words"]
    marks = thresholds_for(manifest, columns, {"web": ["en", "fr"]})
    assert [m["value"] for m in marks["gopher_dup_5gram_char_fraction"]] == [0.15]  # Gopher table A1
    assert {(m["lang"], m["value"]) for m in marks["roots_stop_words"]} == {("en", 0.30), ("fr", 0.25)}
    assert marks["c4_sentences"][0]["value"] == 3
    assert "gopher_words" not in marks, "gopher_quality is not in this source; roots' min_words must not leak"


def test_mixture_estimates_tokens_from_kept_characters_without_an_export(sample_run: Path) -> None:
    data = collect(sample_run)
    stats = json.loads((sample_run / "stats.json").read_text())
    mixture = data["mixture"]
    assert mixture["estimated"] and [r["source"] for r in mixture["rows"]] == ["cc", "github"]
    for row in mixture["rows"]:
        assert row["tokens"] == round(stats["sources"][row["source"]]["kept_chars"] / 4)
    assert abs(sum(r["weight"] for r in mixture["rows"]) - 1) < 1e-9
    assert mixture["target_tokens"] is None  # no export section: the editor starts without a budget


def test_pii_counts_come_from_the_stats_counters(sample_run: Path) -> None:
    data = collect(sample_run)
    stats = json.loads((sample_run / "stats.json").read_text())
    cc = next(s for s in data["sources"] if s["name"] == "cc")
    assert cc["pii"]["email_address"] == stats["sources"]["cc"]["counters"]["pii_email_address_count"]


def test_dedup_and_export_panels_read_the_runs_own_files(exported_run: Path) -> None:
    data = collect(exported_run)
    audit = json.loads((exported_run / "dedup" / "audit.json").read_text())
    export = json.loads((exported_run / "export" / "export.json").read_text())
    assert data["dedup"]["removed_by_source"] == audit["removed_by_source"] and data["dedup"]["alarms"]
    assert data["export"]["shard_count"] == len(export["shards"]) >= 1 and "shards" not in data["export"]
    mixture = {r["source"]: r for r in data["mixture"]["rows"]}
    assert not data["mixture"]["estimated"] and data["mixture"]["target_tokens"] is None
    for entry in export["mixture"]:
        assert mixture[entry["source"]]["tokens"] == entry["tokens_available"]
    assert mixture["github"]["epochs"] == 2.0 and mixture["cc"]["weight"] == 1.0
    cc_written = next(e["tokens_written"] for e in export["mixture"] if e["source"] == "cc")
    assert next(s for s in data["sources"] if s["name"] == "cc")["tokens_exported"] == cc_written


def test_compare_reports_stage_and_mixture_deltas(sample_run: Path, tmp_path: Path) -> None:
    manifest = sample_manifest(tmp_path / "m.yaml", tmp_path / "stricter", min_words=120)
    run(manifest)
    data = collect_compare(sample_run, tmp_path / "stricter")["compare"]
    stats_a = json.loads((sample_run / "stats.json").read_text())["sources"]["cc"]["stages"]
    stats_b = json.loads((tmp_path / "stricter" / "stats.json").read_text())["sources"]["cc"]["stages"]
    gopher = next(
        s for s in next(x for x in data["sources"] if x["source"] == "cc")["stages"] if s["stage"] == "gopher_quality"
    )
    kept_a = next(s for s in stats_a if s["stage"] == "gopher_quality")["kept"]
    kept_b = next(s for s in stats_b if s["stage"] == "gopher_quality")["kept"]
    assert gopher["delta_kept"] == kept_b - kept_a < 0
    assert any(c["path"].endswith("gopher_quality.min_words") and c["b"] == "120" for c in data["manifest_changes"])
    cc_mix = next(m for m in data["mixture"] if m["source"] == "cc")
    assert cc_mix["delta_tokens"] < 0
    printed = "\n".join(compare_lines({"compare": data}))
    assert f"cc.gopher_quality: in {gopher['a_in']:,}" in printed and "min_words: 50 → 120" in printed


def test_cli_report_and_compare(sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["report", str(sample_run), "--output", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").stat().st_size > 10_000
    assert main(["report", "--compare", str(sample_run), str(sample_run), "--output", str(tmp_path / "c.html")]) == 0
    assert '"kind":"compare"' in (tmp_path / "c.html").read_text(encoding="utf-8")
    assert main(["report", str(tmp_path)]) == 2
    assert "not a finished curate run directory" in capsys.readouterr().err
    assert main(["report"]) == 2


def test_the_report_section_is_validated_with_its_yaml_path(tmp_path: Path) -> None:
    raw = yaml.safe_load(sample_manifest(tmp_path / "m.yaml", tmp_path / "out").read_text())
    raw["report"] = {"samples_per_reasons": 3, "max_chars": 0}
    with pytest.raises(ManifestError) as error:
        parse_manifest(raw)
    paths = {path for path, _ in error.value.problems}
    assert paths == {"report.samples_per_reasons", "report.max_chars"}


def test_a_report_failure_does_not_fail_the_run_but_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def broken(run_dir: Path) -> Path:
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_package, "build_report", broken)
    manifest = sample_manifest(tmp_path / "m.yaml", tmp_path / "out")
    assert main(["run", str(manifest), "--no-progress"]) == 0
    assert "report.html not written: RuntimeError: disk full" in capsys.readouterr().out
    assert json.loads((tmp_path / "out" / "run.json").read_text())["status"] == "complete"
    assert not (tmp_path / "out" / "report.html").exists()


def test_the_report_can_be_switched_off(tmp_path: Path) -> None:
    manifest = sample_manifest(tmp_path / "m.yaml", tmp_path / "out", report={"enabled": False})
    outcome = run(manifest)
    assert outcome.report_path is None and not (tmp_path / "out" / "report.html").exists()
    assert build_report(tmp_path / "out").name == "report.html"


def test_new_score_and_label_columns_appear_without_changes_to_the_report(sample_run: Path, tmp_path: Path) -> None:
    """A FIXTURE: perplexity columns (another branch writes them) added to the kept files of a copy."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    copy = tmp_path / "with-ppl"
    shutil.copytree(sample_run, copy)
    for index, path in enumerate(sorted((copy / "parts" / "cc").glob("*/*.parquet"))):
        table = pq.read_table(path)
        ppl = [100.0 * (index + 1) + row for row in range(table.num_rows)]
        buckets = ["head" if value < 200 else "middle" for value in ppl]
        table = table.append_column("ppl", pa.array(ppl)).append_column("ppl_bucket", pa.array(buckets))
        pq.write_table(table, path)
    data = collect(copy)
    histogram = next(h for h in data["histograms"] if h["column"] == "ppl")
    assert sum(sum(c["kept"]) for c in histogram["cells"]) == sum(
        pq.ParquetFile(p).metadata.num_rows for p in (copy / "parts" / "cc").glob("*/*.parquet")
    )
    labels = next(c for c in data["categories"] if c["column"] == "ppl_bucket")
    assert {r["value"] for r in labels["counts"]} <= {"head", "middle"} and labels["counts"][0]["source"] == "cc"
    assert all(c["column"] != "detail" for c in data["categories"]), "rejects-only text is not a label"


def test_a_run_that_fails_its_accounting_check_still_gets_a_report_that_says_so(tmp_path: Path) -> None:
    import shutil

    from pipeline.accounting import AccountingError

    manifest = sample_manifest(tmp_path / "m.yaml", tmp_path / "out")
    run(manifest)
    (tmp_path / "out" / "report.html").unlink()
    shutil.rmtree(next((tmp_path / "out" / "parts" / "cc").iterdir()))  # lose one part's documents
    with pytest.raises(AccountingError):
        run(manifest, resume=True)
    data = collect(tmp_path / "out")
    assert data["accounting"]["ok"] is False and data["run"]["status"] == "failed"
    assert any("in parts/ but stats say" in p for p in data["accounting"]["problems"])
    assert (tmp_path / "out" / "report.html").is_file()
