"""The run trains its own reference models: from the manifest's Wikipedia source, reused while inputs are unchanged."""

from __future__ import annotations

import bz2
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import yaml

from pipeline.cli import main
from pipeline.manifest import ManifestError, load_manifest, parse_manifest
from pipeline.plan import build_plan
from pipeline.reference_models import (
    ReferenceModelError,
    model_dir_of,
    read_corpus_sample,
    section_of,
    train_reference_models,
)
from stages.reference_models import ModelStore
from stages.reference_models.lm import KenLMToolMissing, find_tool
from tests.lm_texts import boilerplate, encyclopedic, spam
from tests.runs import counts_only, kept_documents, run
from tests.warc_factory import WarcBuilder, html_page

pytestmark = pytest.mark.filterwarnings("ignore:builtin type [Ss]wig")


@pytest.fixture(autouse=True)
def _needs_lmplz() -> None:
    try:
        find_tool("lmplz")
    except KenLMToolMissing as missing:
        pytest.skip(str(missing))


def wiki_dump(path: Path, pages: int, seed: int = 0) -> Path:
    """A self-written enwiki pages-articles dump of encyclopedic prose."""
    body = "".join(
        f"<page><title>Place {i}</title><ns>0</ns><id>{i + 1}</id><revision><id>{i + 1}</id>"
        f'<timestamp>2024-05-01T12:00:00Z</timestamp><text xml:space="preserve">'
        f"{escape(encyclopedic(12, seed * 1000 + i))}</text></revision></page>\n"
        for i in range(pages)
    )
    xml = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10">\n'
        f"<siteinfo><dbname>enwiki</dbname></siteinfo>\n{body}</mediawiki>\n"
    )
    path.write_bytes(bz2.compress(xml.encode()))
    return path


def web_warc(path: Path, pages: int) -> Path:
    """Half encyclopedic articles, half spam with boilerplate."""
    builder = WarcBuilder()
    for i in range(pages):
        url = f"https://site{i}.example.test/page"
        if i % 2:
            paragraphs = spam(8, i).split("\n") + boilerplate(i).split("\n")
        else:
            paragraphs = encyclopedic(9, 500 + i).split("\n")
        builder.response(url, html_page(f"Page {i}", paragraphs).encode(), "text/html; charset=utf-8")
    return builder.save(path)


def manifest_dict(tmp_path: Path, cc_stages: list[Any], section: dict[str, Any] | None = None) -> dict[str, Any]:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    wiki = wiki_dump(data / "enwiki-sample.xml.bz2", 30)
    warc = web_warc(data / "web.warc.gz", 24)
    manifest: dict[str, Any] = {
        "run": {"name": "lm", "output": str(tmp_path / "out"), "seed": 1},
        "executor": {"kind": "local", "batch_size": 8},
        "sources": [
            {"name": "wiki", "kind": "wikipedia", "paths": [str(wiki)], "min_chars": 50},
            {
                "name": "cc",
                "kind": "common_crawl",
                "paths": [str(warc)],
                "stages": [{"extract": {"timeout_s": 10}}, {"langid": {}}, *cc_stages],
            },
        ],
    }
    fast = {"sentencepiece": {"vocab_size": 300}, "kenlm": {"order": 3, "memory": "64M"}}
    fast["classifier"] = {"bucket": 20000, "dim": 16}
    manifest["reference_models"] = {**fast, **(section or {})}
    return manifest


def write(tmp_path: Path, manifest: dict[str, Any]) -> Path:
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def test_a_run_trains_the_models_it_needs_and_scores_every_document(tmp_path: Path) -> None:
    stages = [{"perplexity": {}}, {"quality_classifier": {}}]
    outcome = run(write(tmp_path, manifest_dict(tmp_path, stages, {"cutoffs": {"min_documents": 5}})))
    models = ModelStore(tmp_path / "out" / "models")
    assert models.lm_languages() == ["en"] and models.classifier.is_file()
    cutoffs = models.cutoffs()["en"]
    assert cutoffs["from"] == "corpus" and cutoffs["documents"] == 24
    recorded = json.loads((tmp_path / "out" / "run.json").read_text())["reference_models"]
    assert recorded == {
        str(models.root.resolve()): {
            **models.read_json(models.lm_meta("en"))["files"],
            **models.read_json(models.classifier_meta)["files"],
        }
    }
    docs = kept_documents(tmp_path / "out")
    web = [doc for doc in docs.values() if doc["source"] == "cc"]
    assert len(web) == 24 and all(doc["ppl"] > 1 and doc["ppl_bucket"] for doc in web)
    articles = [d for d in web if "Page 0" in d["text"] or "century" in d["text"] or "census" in d["text"]]
    spammy = [d for d in web if "click here" in d["text"] or "cheap" in d["text"]]
    assert articles and spammy
    assert max(d["ppl"] for d in articles) < min(d["ppl"] for d in spammy)
    assert min(d["quality_score"] for d in articles) > max(d["quality_score"] for d in spammy)
    assert outcome.stats["accounting"]["ok"]


def test_keep_buckets_and_unscored_languages_are_accounted_for(tmp_path: Path) -> None:
    stages = [{"perplexity": {"keep_buckets": ["head", "middle"]}}]
    manifest = manifest_dict(tmp_path, stages, {"cutoffs": {"from": "reference"}})
    builder = WarcBuilder()
    german = "Das kleine Dorf erwacht früh am Morgen, lange bevor der erste Bus in die Stadt fährt und alle schlafen."
    builder.response("https://de.example.test/", html_page("Dorf", [german] * 3).encode(), "text/html; charset=utf-8")
    manifest["sources"][1]["paths"].append(str(builder.save(tmp_path / "data" / "de.warc.gz")))
    outcome = run(write(tmp_path, manifest))
    cutoffs = ModelStore(tmp_path / "out" / "models").cutoffs()["en"]
    assert cutoffs["from"] == "reference" and cutoffs["documents"] == 3  # the 3 of 30 pages held out of the model
    cc = outcome.stats["sources"]["cc"]
    assert cc["counters"]["ppl_unscored_count"] == 1
    perplexity = next(stage for stage in cc["stages"] if stage["stage"] == "perplexity")
    assert perplexity["dropped"] == {"ppl_tail": perplexity["in"] - perplexity["kept"]} and perplexity["kept"] >= 1
    german_doc = next(d for d in kept_documents(tmp_path / "out").values() if d["lang"] == "de")
    assert german_doc["ppl"] is None and german_doc["ppl_unscored_count"] == 1
    assert outcome.stats["accounting"]["ok"]


def test_models_are_reused_while_inputs_are_unchanged_and_retrained_when_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest_data = manifest_dict(tmp_path, [{"perplexity": {}}], {"model_dir": str(tmp_path / "models")})
    manifest = parse_manifest(manifest_data)
    model_dir = model_dir_of(manifest)
    first = train_reference_models(manifest, model_dir)
    assert "en language model" in first.trained and "quality classifier" in first.trained
    stamp = (model_dir / "en.arpa.bin").stat().st_mtime_ns
    with monkeypatch.context() as patch:  # unchanged files and settings: the sources are not even read
        patch.setattr("pipeline.reference_models.read_reference_texts", lambda *a: pytest.fail("read again"))
        again = train_reference_models(manifest, model_dir)
    assert again.trained == [] and set(again.reused) == set(first.trained)
    wiki = Path(manifest_data["sources"][0]["paths"][0])
    wiki.write_bytes(wiki.read_bytes())  # a new mtime, the same content: read, compared, reused
    touched = train_reference_models(manifest, model_dir)
    assert touched.trained == [] and set(touched.reused) == set(first.trained)
    assert (model_dir / "en.arpa.bin").stat().st_mtime_ns == stamp
    manifest_data["sources"][0]["limit"] = 20  # fewer reference pages: a different training corpus
    changed = train_reference_models(parse_manifest(manifest_data), model_dir)
    assert "en language model" in changed.trained and "quality classifier" in changed.trained
    # 20 pages: every tenth is held out of the language model, for cut-offs taken from the reference text.
    assert json.loads((model_dir / "en.lm.json").read_text())["corpus"]["documents"] == 18
    manifest_data["reference_models"]["kenlm"]["order"] = 4  # a different setting
    reordered = train_reference_models(parse_manifest(manifest_data), model_dir)
    assert "en language model" in reordered.trained and "quality classifier" in reordered.reused
    assert json.loads((model_dir / "en.lm.json").read_text())["order"] == 4


def test_a_stage_that_names_its_model_dir_uses_it_and_nothing_is_trained(tmp_path: Path) -> None:
    manifest_data = manifest_dict(tmp_path, [], {"model_dir": str(tmp_path / "models")})
    train_reference_models(parse_manifest(manifest_data), tmp_path / "models", needs={"language_models"})
    manifest_data["sources"][1]["stages"].append({"perplexity": {"model_dir": str(tmp_path / "models")}})
    manifest_data["reference_models"]["model_dir"] = str(tmp_path / "elsewhere")
    outcome = run(write(tmp_path, manifest_data))
    assert not (tmp_path / "elsewhere").exists()
    assert all(d["ppl"] for d in kept_documents(tmp_path / "out").values() if d["source"] == "cc")
    assert outcome.stats["accounting"]["ok"]


def test_the_reference_models_section_is_validated_with_yaml_paths(tmp_path: Path) -> None:
    manifest = manifest_dict(tmp_path, [])
    manifest["reference_models"].update(corpus_source="nope", kenlm={"order": 1, "prune": [1]}, colour="red")
    with pytest.raises(ManifestError) as error:
        parse_manifest(manifest)
    paths = {path for path, _ in error.value.problems}
    assert paths == {"reference_models.kenlm.order", "reference_models.kenlm.prune", "reference_models.colour"}
    manifest["reference_models"] = {"corpus_source": "nope", "corpus_through": "extract"}
    with pytest.raises(ManifestError, match=r"reference_models.corpus_source: no source named 'nope'"):
        parse_manifest(manifest)
    manifest["reference_models"] = {"corpus_source": "cc", "corpus_through": "pii"}
    with pytest.raises(ManifestError, match="has no stage 'pii'"):
        parse_manifest(manifest)


def test_without_a_wikipedia_source_the_run_says_where_models_come_from(tmp_path: Path) -> None:
    manifest = manifest_dict(tmp_path, [{"perplexity": {}}])
    manifest["sources"] = manifest["sources"][1:]
    with pytest.raises(ReferenceModelError, match="model_dir"):
        run(write(tmp_path, manifest))


def test_curate_train_lm_prints_the_models_and_reuses_them(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = write(tmp_path, manifest_dict(tmp_path, [], {"model_dir": str(tmp_path / "models")}))
    assert main(["train-lm", str(path)]) == 0
    first = capsys.readouterr().out
    assert "en" in first and "trained: en language model" in first
    assert main(["train-lm", str(path)]) == 0
    assert "trained: nothing" in capsys.readouterr().out
    assert load_manifest(path).reference_models is not None


@pytest.mark.ray
@pytest.mark.slow
def test_ray_and_local_agree_on_perplexity_and_quality_scores(tmp_path: Path, ray_cluster: None) -> None:
    stages = [{"perplexity": {"keep_buckets": ["head", "middle"]}}, {"quality_classifier": {"min_score": 0.5}}]
    manifest = manifest_dict(tmp_path, stages, {"model_dir": str(tmp_path / "models")})
    local = run(write(tmp_path, manifest))
    local_docs = kept_documents(tmp_path / "out")
    on_ray = run(write(tmp_path, manifest), executor="ray", output=str(tmp_path / "ray"))
    assert counts_only(on_ray.stats) == counts_only(local.stats)
    ray_docs = kept_documents(tmp_path / "ray")

    def scores(docs: dict[str, dict[str, Any]]) -> dict[str, tuple[float, float]]:
        return {k: (d["ppl"], d["quality_score"]) for k, d in docs.items() if d["source"] == "cc"}

    assert scores(ray_docs) == scores(local_docs) and len(scores(ray_docs)) >= 5


def test_classifier_negatives_are_whole_pages_by_default_and_main_text_on_request(tmp_path: Path) -> None:
    manifest = parse_manifest(manifest_dict(tmp_path, []))
    plan = build_plan(manifest)
    sample = read_corpus_sample(plan.source("cc"), None, 100)
    assert len(sample) == 24 and all(doc.lang for doc in sample)
    assert all("Contact us" in doc.full_page and "Contact us" not in doc.text for doc in sample)
    assert section_of(manifest).classifier.negatives == "full_page"
