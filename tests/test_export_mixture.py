"""The mixture table, seeded up- and downsampling, and the stream order."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from pipeline.manifest import ManifestError, load_manifest
from stages.export.config import MixtureEntry, parse_size
from stages.export.mixture import MixtureError, copies_per_document, plan_rows, realise, row_of_documents, stream_order


def _mixture(**entries: dict) -> dict[str, MixtureEntry]:
    return {key.replace("__", "/"): MixtureEntry(**value) for key, value in entries.items()}


def _corpus(rng_seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(rng_seed)
    sources = np.array(["wiki"] * 300 + ["books"] * 100 + ["cc"] * 600, dtype=object)
    langs = np.array((["en", "fr"] * 500), dtype=object)
    sizes = rng.integers(50, 500, size=len(sources))
    return sources, langs, sizes


def test_llama_style_epochs_write_that_many_passes_over_each_source() -> None:
    sources, langs, sizes = _corpus()
    mixture = _mixture(wiki={"epochs": 2.45}, books={"epochs": 2.23}, cc={"epochs": 1.0})
    keys = row_of_documents(sources, langs, mixture)
    rows = plan_rows(keys, sizes, mixture, None)
    copies, rows = realise(keys, sizes, rows, seed=1)
    by = {r.source: r for r in rows}
    assert by["wiki"].epochs == pytest.approx(2.45, abs=0.01)
    assert by["books"].epochs == pytest.approx(2.23, abs=0.02)
    assert by["cc"].epochs == 1.0
    # whole epochs repeat every document; the fraction is a subset
    assert set(copies[sources == "wiki"]) == {2, 3}
    assert by["wiki"].tokens_written == int((copies * sizes)[sources == "wiki"].sum())
    assert sum(r.proportion for r in rows) == pytest.approx(1.0)


def test_weights_share_the_target_budget_left_after_the_epoch_rows() -> None:
    sources, langs, sizes = _corpus()
    mixture = _mixture(wiki={"epochs": 1.0}, books={"weight": 1}, cc={"weight": 3})
    wiki_tokens = int(sizes[sources == "wiki"].sum())
    target = wiki_tokens + 40_000
    keys = row_of_documents(sources, langs, mixture)
    _, rows = realise(keys, sizes, plan_rows(keys, sizes, mixture, target), seed=1)
    by = {r.source: r for r in rows}
    assert by["books"].tokens_written == pytest.approx(10_000, rel=0.05)  # 1/4 of the 40k left
    assert by["cc"].tokens_written == pytest.approx(30_000, rel=0.02)
    assert sum(r.tokens_written for r in rows) == pytest.approx(target, rel=0.01)


def test_weights_without_a_target_take_the_most_tokens_that_repeat_nothing() -> None:
    sources, langs, sizes = _corpus()
    mixture = _mixture(books={"weight": 1}, cc={"weight": 1}, wiki={"epochs": 0})
    keys = row_of_documents(sources, langs, mixture)
    _, rows = realise(keys, sizes, plan_rows(keys, sizes, mixture, None), seed=1)
    by = {r.source: r for r in rows}
    assert by["books"].epochs == 1.0  # the scarcer source is used fully, once
    assert by["cc"].tokens_written == pytest.approx(by["books"].tokens_written, rel=0.02)
    assert by["wiki"].tokens_written == 0


def test_per_language_rows_override_their_source_and_unlisted_languages_are_left_out() -> None:
    sources, langs, sizes = _corpus()
    mixture = _mixture(cc__fr={"epochs": 2}, wiki={"epochs": 1}, books={"epochs": 1})
    keys = row_of_documents(sources, langs, mixture)
    copies, rows = realise(keys, sizes, plan_rows(keys, sizes, mixture, None), seed=1)
    assert {(r.source, r.lang) for r in rows} == {("cc", "fr"), ("wiki", None), ("books", None)}
    assert set(copies[(sources == "cc") & (langs == "fr")]) == {2}
    assert set(copies[(sources == "cc") & (langs == "en")]) == {0}


def test_float_rounding_of_a_budget_neither_adds_nor_drops_a_document() -> None:
    sizes = np.array([7, 11, 13])
    assert copies_per_document(sizes, 1.0 + 1e-12, seed=0, key="x").tolist() == [1, 1, 1]
    assert copies_per_document(sizes, 1.0 - 1e-12, seed=0, key="x").tolist() == [1, 1, 1]
    assert copies_per_document(sizes, 0.0, seed=0, key="x").tolist() == [0, 0, 0]


def test_a_target_smaller_than_the_epoch_rows_is_an_error() -> None:
    sources, langs, sizes = _corpus()
    mixture = _mixture(wiki={"epochs": 3}, cc={"weight": 1}, books={"weight": 1})
    keys = row_of_documents(sources, langs, mixture)
    with pytest.raises(MixtureError, match="target_tokens"):
        plan_rows(keys, sizes, mixture, 1000)


def test_sampling_is_seeded_and_deterministic() -> None:
    sources, langs, sizes = _corpus()
    mixture = _mixture(wiki={"epochs": 1.5}, books={"epochs": 0.4}, cc={"weight": 1})
    keys = row_of_documents(sources, langs, mixture)
    first, _ = realise(keys, sizes, plan_rows(keys, sizes, mixture, None), seed=5)
    again, _ = realise(keys, sizes, plan_rows(keys, sizes, mixture, None), seed=5)
    other, _ = realise(keys, sizes, plan_rows(keys, sizes, mixture, None), seed=6)
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert np.array_equal(stream_order(first, 5), stream_order(again, 5))
    assert not np.array_equal(stream_order(first, 5), stream_order(first, 6))


def test_copies_of_a_document_are_spread_one_per_stream_segment_never_back_to_back() -> None:
    copies = np.r_[np.full(2000, 1), np.full(500, 3), np.full(200, 4)]
    order = stream_order(copies, seed=3)
    assert np.bincount(order, minlength=len(copies)).tolist() == copies.tolist()
    places: dict[int, list[int]] = {}
    for position, doc in enumerate(order.tolist()):
        places.setdefault(doc, []).append(position)
    n = len(order)
    for doc, where in places.items():
        c = copies[doc]
        for j, place in enumerate(where):
            assert (j / c - 0.03) * n <= place <= ((j + 1) / c + 0.03) * n
        if c > 1:
            # at least half a segment apart (less a sampling margin)
            assert min(np.diff(where)) >= (0.5 / c - 0.03) * n
    # every quarter of the stream has the same mix of once-written and repeated documents
    once = copies[order] == 1
    for quarter in np.array_split(once, 4):
        assert quarter.mean() == pytest.approx(once.mean(), abs=0.04)


def test_sizes_parse_like_the_manifest_writes_them() -> None:
    assert parse_size("1GB") == 10**9
    assert parse_size("256MiB") == 256 * 2**20
    assert parse_size(4096) == 4096
    with pytest.raises(ValueError):
        parse_size("big")


def test_manifest_errors_name_the_export_keys(tmp_path) -> None:
    manifest = {
        "run": {"name": "x", "output": str(tmp_path / "out")},
        "sources": [{"name": "books", "kind": "books", "paths": ["*.txt"]}],
        "export": {
            "tokenizer": {"path": "t.json", "train": {"vocab_size": 1000}},
            "mixture": {"bookz": {"weight": 1}, "books/en": {"weight": 1, "epochs": 2}},
            "shard_size": "huge",
        },
    }
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(manifest))
    with pytest.raises(ManifestError) as error:
        load_manifest(path)
    where = {p for p, _ in error.value.problems}
    assert {"export.tokenizer", "export.mixture.books/en", "export.shard_size"} <= where
    manifest["export"] = {"tokenizer": {"path": "t.json"}, "mixture": {"bookz": {"weight": 1}}}
    path.write_text(yaml.safe_dump(manifest))
    with pytest.raises(ManifestError) as error:
        load_manifest(path)
    messages = dict(error.value.problems)
    assert "no source named 'bookz'" in messages["export.mixture.bookz"]
    assert "source 'books' has no weight or epochs" in messages["export.mixture"]
