from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from langid_models import MODELS, ModelError, load_model, resolve_model_file
from stages.base import build_batch
from stages.langid import LangId, LangIdConfig
from tests.texts import GOOD_EN, GOOD_FR, GOOD_ZH

GOOD_DE = (
    "Das kleine Dorf erwacht früh am Morgen, lange bevor der erste Bus in die Stadt fährt. Die Bauern bringen "
    "ihr Gemüse auf den Markt, und die Bäckerin holt die ersten Brote aus dem Ofen."
)


def _run(config: LangIdConfig, *texts: str) -> tuple[list[tuple[str | None, str | None]], list]:
    stage = LangId(config)
    stage.setup()
    rows = [{"id": f"d{i}", "source": "t", "text": text} for i, text in enumerate(texts)]
    result = stage.process(build_batch(rows))
    langs = result.batch.column("lang").to_pylist()
    return [(lang, v.reason if v else None) for lang, v in zip(langs, result.verdicts, strict=True)], result


def test_the_packaged_lid176_model_is_found_and_matches_its_hash() -> None:
    path, info = resolve_model_file("lid.176.ftz")
    assert path.name == "lid.176.ftz" and info is MODELS["lid.176.ftz"]
    model = load_model("lid.176.ftz")
    [[(lang, score)]] = model.predict(["Ceci est une phrase écrite en français pour le test."])
    assert lang == "fr" and score > 0.9


def test_a_corrupted_copy_of_a_registered_model_fails_the_hash_check(tmp_path: Path) -> None:
    path, _ = resolve_model_file("lid.176.ftz")
    copy = tmp_path / "lid.176.ftz"
    shutil.copy(path, copy)
    with copy.open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00" * 16)
    with pytest.raises(ModelError, match="sha256"):
        load_model(str(copy))


def test_a_missing_model_names_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="neither a registered model"):
        load_model(str(tmp_path / "nope.bin"))


def test_a_file_that_is_not_a_fasttext_model_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"not a model at all" * 100)
    with pytest.raises(ModelError, match="not a fastText model"):
        load_model(str(bogus))


def test_stage_writes_lang_and_score_and_drops_unselected_languages() -> None:
    results, result = _run(LangIdConfig(keep=["en", "fr", "zh"], min_score=0.5), GOOD_EN, GOOD_DE, GOOD_ZH, GOOD_FR)
    assert results == [("en", None), ("de", "lang_not_selected"), ("zh", None), ("fr", None)]
    scores = result.batch.column("lang_score").to_pylist()
    assert all(0.5 < s <= 1.0 for s in scores)


def test_per_language_minimum_overrides_the_global_one() -> None:
    results, _ = _run(LangIdConfig(keep=["en", "fr"], min_score=0.1, per_language={"fr": 1.0}), GOOD_EN, GOOD_FR)
    assert results == [("en", None), ("fr", "lang_low_confidence")]


def test_newlines_do_not_change_the_prediction() -> None:
    results, _ = _run(LangIdConfig(), GOOD_FR.replace(" ", "\n"))
    assert results == [("fr", None)]


def test_empty_text_is_dropped_with_its_own_reason() -> None:
    results, _ = _run(LangIdConfig(), "   \n ")
    assert results == [(None, "empty_text")]


def test_top_k_is_stored_as_json() -> None:
    _, result = _run(LangIdConfig(top_k=3), GOOD_EN)
    top = json.loads(result.batch.column("lang_top")[0].as_py())
    assert len(top) == 3 and top[0][0] == "en"
