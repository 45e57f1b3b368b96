"""CCNet perplexity and the Wikipedia-reference classifier: real lmplz models, trained here on self-written text."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from filters.ccnet_normalize import ccnet_normalize, scoring_lines
from stages.base import build_batch
from stages.perplexity import Perplexity, PerplexityConfig
from stages.quality_classifier import ParetoSampling, QualityClassifier, QualityClassifierConfig, pareto_keep
from stages.reference_models import LanguageModel, ModelDirError, ModelStore, train_language_model
from stages.reference_models.classifier import QualityClassifierModel, chunks, train_quality_classifier
from stages.reference_models.lm import KenLMToolMissing, bucket_of, compute_cutoffs, find_tool
from stages.reference_models.store import write_json
from tests.lm_texts import boilerplate, encyclopedic, spam


def _lmplz_or_skip() -> None:
    try:
        find_tool("lmplz")
        find_tool("build_binary")
    except KenLMToolMissing as missing:
        pytest.skip(str(missing))


# sentencepiece's SWIG bindings warn on import under Python 3.11+; harmless.
pytestmark = pytest.mark.filterwarnings("ignore:builtin type [Ss]wig")

REFERENCE = [encyclopedic(12, seed) for seed in range(40)]


@pytest.fixture(scope="module")
def en_models(tmp_path_factory: pytest.TempPathFactory) -> ModelStore:
    """A real SentencePiece + lmplz 3-gram model for English, with cut-offs from held-out reference text."""
    _lmplz_or_skip()
    store = ModelStore(tmp_path_factory.mktemp("models"))
    train_language_model("en", REFERENCE, store, order=3, vocab_size=300, memory="64M", inputs_digest="test")
    model = LanguageModel.from_store(store, "en")
    held_out = [encyclopedic(6, 1000 + seed) for seed in range(20)]
    cutoffs = compute_cutoffs(model.perplexity(text) for text in held_out)
    write_json(store.cutoffs_file, {"languages": {"en": {**cutoffs, "from": "reference"}}})
    return store


def _batch(*docs: tuple[str, str | None]) -> object:
    rows = [{"id": f"d{i}", "source": "t", "text": text, "lang": lang} for i, (text, lang) in enumerate(docs)]
    return build_batch(rows)


def _perplexity(store: ModelStore, **config: object) -> Perplexity:
    stage = Perplexity(PerplexityConfig(model_dir=str(store.root), **config))
    stage.setup()
    return stage


# --- normalisation ---------------------------------------------------------------------------------


def test_ccnet_normalisation_lowercases_strips_accents_zeroes_digits_and_maps_punctuation() -> None:
    # CCNet does not collapse the spaces around the dash it maps.
    assert ccnet_normalize("  Café at 12:45 — “Déjà vu”…  ") == 'cafe at 00:00  -  "deja vu"...'
    assert ccnet_normalize("Ｈello，world！\x07") == "ｈello,world!"
    assert scoring_lines("First line.\n\n  \nSecond LINE 2024\n") == ["first line.", "second line 0000"]


# --- the language model ----------------------------------------------------------------------------


def test_a_model_built_with_lmplz_scores_in_domain_text_below_spam_and_boilerplate(en_models: ModelStore) -> None:
    meta = json.loads(en_models.lm_meta("en").read_text())
    assert meta["order"] == 3 and meta["corpus"]["documents"] == 40 and meta["corpus"]["lines"] > 100
    assert set(meta["files"]) == {"en.sp.model", "en.arpa.bin"}
    model = LanguageModel.from_store(en_models, "en")
    in_domain = [model.perplexity(encyclopedic(6, 5000 + seed)) for seed in range(5)]
    web = [model.perplexity(spam(6, seed)) for seed in range(5)] + [model.perplexity(boilerplate(s)) for s in range(5)]
    assert max(in_domain) < min(web)
    assert model.perplexity("") is None and model.perplexity(" \n \n") is None


def test_document_perplexity_weights_each_line_by_its_length(en_models: ModelStore) -> None:
    model = LanguageModel.from_store(en_models, "en")
    long_line, short_line = encyclopedic(3, 7).replace("\n", " "), "buy now!!!"
    log_long, len_long = model.score_lines(scoring_lines(long_line))
    log_short, len_short = model.score_lines(scoring_lines(short_line))
    expected = 10 ** (-(log_long + log_short) / (len_long + len_short))
    assert model.perplexity(f"{long_line}\n{short_line}") == pytest.approx(expected, abs=0.05)
    # Not the mean of the two lines' perplexities: the long line dominates.
    mean = (10 ** (-log_long / len_long) + 10 ** (-log_short / len_short)) / 2
    assert model.perplexity(f"{long_line}\n{short_line}") < mean


def test_a_tampered_model_file_fails_its_recorded_hash(en_models: ModelStore, tmp_path: Path) -> None:
    copy = ModelStore(tmp_path)
    for name in ("en.sp.model", "en.arpa.bin", "en.lm.json"):
        shutil.copy(en_models.root / name, tmp_path / name)
    with copy.lm_binary("en").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelDirError, match="sha256"):
        LanguageModel.from_store(copy, "en")


# --- the stage -------------------------------------------------------------------------------------


def test_buckets_come_from_the_stored_cutoffs_and_keep_buckets_filters_on_them(en_models: ModelStore) -> None:
    cutoffs = en_models.cutoffs()["en"]
    assert bucket_of(cutoffs["head_below"] - 0.1, cutoffs) == "head"
    assert bucket_of(cutoffs["head_below"], cutoffs) == "middle"
    assert bucket_of(cutoffs["tail_from"], cutoffs) == "tail"
    docs = [(encyclopedic(6, 9000 + seed), "en") for seed in range(12)] + [(spam(5, 1), "en")]
    scored = _perplexity(en_models).process(_batch(*docs))
    ppls = scored.batch.column("ppl").to_pylist()
    buckets = scored.batch.column("ppl_bucket").to_pylist()
    assert buckets == [bucket_of(p, cutoffs) for p in ppls] and buckets[-1] == "tail"
    assert all(v is None for v in scored.verdicts)
    filtered = _perplexity(en_models, keep_buckets=["head", "middle"]).process(_batch(*docs))
    reasons = [v.reason if v else None for v in filtered.verdicts]
    assert reasons == [None if b != "tail" else "ppl_tail" for b in buckets]


def test_a_per_language_maximum_drops_documents_above_it(en_models: ModelStore) -> None:
    docs = _batch((encyclopedic(6, 42), "en"), (spam(6, 3), "en"))
    ppl_good, ppl_spam = _perplexity(en_models).process(docs).batch.column("ppl").to_pylist()
    assert ppl_good < ppl_spam
    result = _perplexity(en_models, max_ppl={"en": (ppl_good + ppl_spam) / 2}).process(docs)
    assert [v.reason if v else None for v in result.verdicts] == [None, "ppl_above_max"]


def test_documents_in_a_language_without_a_model_pass_unscored_and_are_counted(en_models: ModelStore) -> None:
    result = _perplexity(en_models, keep_buckets=["head"], max_ppl={"en": 1.0}).process(
        _batch(("Ein kurzer deutscher Satz.", "de"), ("no language", None), ("", "en"))
    )
    assert result.batch.column("ppl").to_pylist() == [None, None, None]
    assert result.batch.column("ppl_bucket").to_pylist() == [None, None, None]
    assert result.batch.column("ppl_unscored_count").to_pylist() == [1, 1, 1]
    assert list(result.verdicts) == [None, None, None]


def test_user_supplied_ccnet_files_without_metadata_score_but_cannot_bucket(
    en_models: ModelStore, tmp_path: Path
) -> None:
    for name in ("en.sp.model", "en.arpa.bin"):  # a CCNet-style directory: no JSON, no cut-offs
        shutil.copy(en_models.root / name, tmp_path / name)
    store = ModelStore(tmp_path)
    result = _perplexity(store).process(_batch((encyclopedic(6, 3), "en")))
    assert result.batch.column("ppl").to_pylist()[0] > 1 and result.batch.column("ppl_bucket").to_pylist() == [None]
    with pytest.raises(ModelDirError, match="cutoffs"):
        _perplexity(store, keep_buckets=["head"])
    with pytest.raises(ModelDirError, match="no model for it"):
        _perplexity(store, max_ppl={"fr": 100.0})


def test_a_stage_without_models_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelDirError, match="model_dir"):
        Perplexity(PerplexityConfig()).setup()
    with pytest.raises(ModelDirError, match=r"arpa\.bin"):
        Perplexity(PerplexityConfig(model_dir=str(tmp_path))).setup()


def test_missing_lmplz_is_an_error_that_says_how_to_build_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CURATE_KENLM_BIN", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(KenLMToolMissing, match=r"build_kenlm\.sh"):
        find_tool("lmplz")


# --- the quality classifier ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def classifier_store(tmp_path_factory: pytest.TempPathFactory) -> ModelStore:
    store = ModelStore(tmp_path_factory.mktemp("classifier"))
    negatives = [spam(8, seed) + "\n" + boilerplate(seed) for seed in range(40)]
    params = {"dim": 16, "bucket": 20_000, "epoch": 15}
    train_quality_classifier(REFERENCE, negatives, store, seed=3, fasttext_params=params, inputs_digest="t")
    return store


def test_the_classifier_is_trained_in_a_child_process_and_separates_reference_from_web_text(
    classifier_store: ModelStore,
) -> None:
    meta = json.loads(classifier_store.classifier_meta.read_text())
    assert meta["examples"]["reference"] > 40 and meta["examples"]["random"] > 40
    model = QualityClassifierModel.from_store(classifier_store)
    good = model.scores([encyclopedic(3, 7000 + s) for s in range(5)])
    bad = model.scores([spam(4, 500 + s) for s in range(5)] + [boilerplate(600 + s) for s in range(5)])
    assert min(good) > 0.5 > max(bad)


def test_training_twice_in_one_process_works_because_fasttext_runs_in_a_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real_run = subprocess.run

    def spy(args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    for attempt in range(2):
        store = ModelStore(tmp_path / str(attempt))
        train_quality_classifier(
            REFERENCE[:10], [spam(5, s) for s in range(10)], store, fasttext_params={"bucket": 1000}
        )
        assert store.classifier.is_file()
    assert len(calls) == 2 and all(call[0] == sys.executable for call in calls)


def test_web_pages_become_paragraph_sized_chunks() -> None:
    text = "\n".join(["Home", "About", "Contact"] * 5 + [" ".join(["word"] * 25)])
    pieces = chunks(text, min_words=10)
    assert all(len(p.split()) >= 10 for p in pieces[:-1]) and "\n".join(pieces).split() == text.split()


def test_the_stage_writes_quality_score_and_filters_by_threshold(classifier_store: ModelStore) -> None:
    stage = QualityClassifier(QualityClassifierConfig(model_dir=str(classifier_store.root), min_score=0.5))
    stage.setup()
    result = stage.process(_batch((encyclopedic(3, 1), "en"), (spam(4, 1), "en")))
    good, bad = result.batch.column("quality_score").to_pylist()
    assert good > 0.5 > bad
    assert [v.reason if v else None for v in result.verdicts] == [None, "quality_below_min"]


def test_pareto_sampling_is_seeded_per_document_and_keeps_high_scores_more_often() -> None:
    sampling = ParetoSampling(alpha=9, seed=7)
    ids = [f"doc-{i}" for i in range(2000)]
    first = [pareto_keep(doc_id, 0.5, sampling) for doc_id in ids]
    assert first == [pareto_keep(doc_id, 0.5, sampling) for doc_id in ids]
    assert first != [pareto_keep(doc_id, 0.5, ParetoSampling(alpha=9, seed=8)) for doc_id in ids]
    kept = {score: sum(pareto_keep(d, score, sampling) for d in ids) / len(ids) for score in (0.2, 0.5, 0.95)}
    # P(pareto(9) > x) = (1 + x) ** -9: 0.5% at x = 0.8, 2.6% at 0.5, 64% at 0.05.
    assert kept[0.2] < 0.02 < kept[0.5] < 0.05 < 0.55 < kept[0.95] < 0.75


def test_the_pareto_stage_decides_the_same_whatever_the_batching(classifier_store: ModelStore) -> None:
    config = QualityClassifierConfig(model_dir=str(classifier_store.root), pareto=ParetoSampling(alpha=2, seed=1))
    stage = QualityClassifier(config)
    stage.setup()
    docs = [(encyclopedic(2, s), "en") if s % 2 else (spam(2, s), "en") for s in range(20)]
    whole = [v is None for v in stage.process(_batch(*docs)).verdicts]
    halves = [v is None for v in stage.process(_batch(*docs[:10])).verdicts]
    assert whole[:10] == halves
    with pytest.raises(ValueError, match="not both"):
        QualityClassifierConfig(min_score=0.5, pareto=ParetoSampling())
