"""Deduplication: exact, line-level and MinHash-LSH, within and across sources, with audit and persistence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.manifest import ManifestError, parse_manifest
from stages.dedup.buckets import partition_edges, spill_band_keys
from stages.dedup.components import UnionFind
from stages.dedup.index import DedupIndex, MinHashConfig
from stages.dedup.minhash import detection_probability, lsh_params
from stages.dedup.state import DedupState, StateMismatch, deduplicate_against, promote_state
from stages.dedup.survivors import survivor_order, survivors_of
from stages.dedup.text import jaccard, shingle_set, word_shingles
from tests.dedup_fixtures import documents, substitute, write_code_source
from tests.runs import counts_only, kept_documents, rejected_rows, run


def _table(texts: list[str], sources: list[str] | None = None, prefix: str = "d") -> pa.Table:
    ids = [f"{prefix}{i:04d}" for i in range(len(texts))]
    return pa.table({"id": ids, "source": sources or ["cc"] * len(texts), "text": texts})


# ---- building blocks -------------------------------------------------------------------------


def test_shingles_ignore_case_punctuation_and_digit_values() -> None:
    shingles = word_shingles(pa.array(["The cat, sat on 12 mats today!", "the cat sat on 99 mats TODAY", "", None]), 5)
    assert jaccard(shingle_set(shingles, 0), shingle_set(shingles, 1)) == 1.0
    assert list(shingles.counts) == [3, 3, 0, 0]


def test_a_document_shorter_than_the_ngram_is_one_shingle() -> None:
    shingles = word_shingles(pa.array(["two words", "two words", "two other"]), 5)
    assert list(shingles.counts) == [1, 1, 1]
    assert shingles.of(0)[0] == shingles.of(1)[0] != shingles.of(2)[0]


def test_bands_and_rows_follow_datasketch_and_the_s_curve_is_steep_at_the_threshold() -> None:
    assert lsh_params(0.8, 128) == (9, 13)  # datasketch's MinHashLSH(0.8)
    assert MinHashConfig().lsh == (14, 9)  # our default weighs missed pairs 0.9
    assert detection_probability(0.85, 14, 9) > 0.97 and detection_probability(0.5, 14, 9) < 0.03


def test_union_find_joins_chains_across_edge_batches() -> None:
    union = UnionFind(7)
    union.union_edges(np.array([[5, 6], [0, 1]]))
    union.union_edges(np.array([[1, 6], [3, 4]]))
    assert union.labels().tolist() == [0, 0, 2, 3, 3, 0, 0]


def test_bucketing_gives_star_edges_for_a_shared_band(tmp_path: Path) -> None:
    keys = np.array([[1, 2], [1, 3], [4, 3], [1, 9]], np.uint64)
    spill_band_keys(tmp_path, "b0", 10, keys, partitions=1)
    assert partition_edges(str(tmp_path / "p0000")).tolist() == [[10, 11], [10, 13], [11, 12]]


def test_survivor_is_the_prioritised_source_then_quality_then_id() -> None:
    sources = ["cc", "wikipedia", "cc", "books"]
    ids = ["a", "z", "b", "c"]
    ranks = survivor_order(sources, ids, ["wikipedia", "books", "cc"])
    assert survivors_of(np.array([0, 0, 0, 0]), ranks).tolist() == [1, 1, 1, 1]
    ranks = survivor_order(["cc"] * 3, ["a", "b", "c"], [], quality=np.array([0.1, 0.9, np.nan]))
    assert survivors_of(np.array([0, 0, 0]), ranks).tolist() == [1, 1, 1]


def test_rensa_and_datasketch_find_the_same_clusters(tmp_path: Path) -> None:
    texts = documents(60, words=150)
    texts += [substitute(texts[i], 0.01, seed=i) for i in range(10)]
    found = {}
    for engine in ("rensa", "datasketch"):
        index = DedupIndex(tmp_path / engine, None, MinHashConfig(engine=engine, verify=False), partitions=2)
        index.add_batches([_table(texts)])
        resolution = index.resolve()
        found[engine] = {(index.ids[r.doc], index.ids[r.survivor]) for r in resolution.removals}
    assert found["rensa"] == found["datasketch"] == {(f"d{60 + i:04d}", f"d{i:04d}") for i in range(10)}


def test_verify_rejects_a_candidate_pair_below_the_threshold(tmp_path: Path) -> None:
    base = documents(2, words=300)
    texts = [base[0], substitute(base[0], 0.30, seed=3), base[1]]
    loose = MinHashConfig(threshold=0.9, bands=32, rows=1, verify=True)  # one-row bands: nearly every pair collides
    index = DedupIndex(tmp_path / "w", None, loose, partitions=2)
    index.add_batches([_table(texts)])
    resolution = index.resolve(texts_again=lambda: [_table(texts)])
    assert resolution.candidate_edges >= 1 and resolution.verified_out == resolution.candidate_edges
    assert resolution.removals == []


def test_minhash_config_needs_both_bands_and_rows() -> None:
    with pytest.raises(ValueError, match="both bands and rows"):
        MinHashConfig(bands=4)


# ---- persistence -----------------------------------------------------------------------------


def test_a_saved_state_dedups_new_documents_without_the_old_texts(tmp_path: Path) -> None:
    old = documents(30, words=120, seed=11)
    state = DedupState.empty("whitespace", MinHashConfig())
    first = deduplicate_against(state, [_table(old, prefix="old")], tmp_path / "w1")
    assert first.removals == []
    first.state.save(tmp_path / "state.parquet")
    loaded = DedupState.load(tmp_path / "state.parquet")
    assert len(loaded) == 30
    new = [substitute(old[4], 0.01, seed=1), old[7], documents(1, words=120, seed=99)[0]]
    second = deduplicate_against(loaded, [_table(new, prefix="new")], tmp_path / "w2")
    assert sorted(second.removals) == [
        ("new0000", "old0004", "near_duplicate"),
        ("new0001", "old0007", "exact_duplicate"),
    ]
    assert len(second.state) == 31
    with pytest.raises(StateMismatch, match="keep the dedup parameters"):
        loaded.check_compatible("whitespace", MinHashConfig(num_perm=64))


# ---- in a run --------------------------------------------------------------------------------


def _manifest(tmp_path: Path, sources: list[dict], dedup: dict | None = None, executor: str = "local") -> Path:
    manifest = {"run": {"name": "dedup-test", "output": str(tmp_path / f"out-{executor}"), "seed": 1},
                "executor": {"kind": executor, "batch_size": 16}, "sources": sources}  # fmt: skip
    if dedup is not None:
        manifest["dedup"] = dedup
    path = tmp_path / f"manifest-{executor}.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def _code_source(tmp_path: Path, name: str, texts: list[str], stages: list | None = None) -> dict:
    folder = write_code_source(tmp_path / name, [(f"doc{i:03d}.py", t) for i, t in enumerate(texts)])
    return {"name": name, "kind": "github", "paths": [str(folder / "*.jsonl")], "stages": stages or []}


def test_minhash_dedup_removes_planted_near_copies_and_records_cluster_and_survivor(tmp_path: Path) -> None:
    texts = documents(40, words=150)
    texts += [substitute(texts[0], 0.01, seed=5), substitute(texts[0], 0.01, seed=6), texts[1].replace(" ", "\n", 3)]
    source = _code_source(tmp_path, "web", texts, [{"minhash_dedup": {}}])
    outcome = run(_manifest(tmp_path, [source]))
    stage = outcome.stats["sources"]["web"]["stages"][-1]
    # The reader drops byte-identical files itself; this copy differs only in white space.
    assert stage["dropped"] == {"near_duplicate": 2, "exact_duplicate": 1} and stage["kept"] == 40
    assert outcome.stats["accounting"]["ok"]
    rejects = pq.read_table(next((tmp_path / "out-local" / "rejects" / "minhash_dedup").glob("*/*/*.parquet")))
    survivors = {r["id"]: r["dedup_survivor"] for r in rejects.to_pylist()}
    assert survivors == {"acme/web:doc040.py": "acme/web:doc000.py", "acme/web:doc041.py": "acme/web:doc000.py",
                         "acme/web:doc042.py": "acme/web:doc001.py"}  # fmt: skip
    assert all(r["dedup_cluster"] for r in rejects.to_pylist())
    audit = json.loads((tmp_path / "out-local" / "dedup" / "audit.json").read_text())
    assert audit["methods"] == ["exact", "minhash"] and (audit["bands"], audit["rows"]) == (14, 9)
    assert audit["size_histogram"] == {"2": 1, "3": 1}
    assert audit["largest_clusters"][0]["size"] == 3
    assert audit["largest_clusters"][0]["survivor_id"] == "acme/web:doc000.py"
    assert audit["removed_by_source"]["web"] == {"in": 43, "removed": 3, "share": round(3 / 43, 6)}
    assert audit["alarms"] == []


def test_cross_source_dedup_keeps_the_copy_of_the_prioritised_source_and_saves_its_state(tmp_path: Path) -> None:
    shared = documents(6, words=150, seed=3)
    wiki = _code_source(tmp_path, "wiki", shared[:3] + documents(5, words=150, seed=4))
    web = _code_source(tmp_path, "web", [substitute(t, 0.01, seed=1) for t in shared[:3]] + documents(5, seed=5))
    dedup = {"minhash": {"threshold": 0.8}, "priority": ["wiki", "web"]}
    outcome = run(_manifest(tmp_path, [web, wiki], dedup))
    assert outcome.stats["accounting"]["ok"]
    web_stage = outcome.stats["sources"]["web"]["stages"][-1]
    wiki_stage = outcome.stats["sources"]["wiki"]["stages"][-1]
    assert web_stage["stage"] == "cross_source_dedup" and web_stage["dropped"] == {"near_duplicate": 3}
    assert wiki_stage["dropped"] == {}
    state = DedupState.load(tmp_path / "out-local" / "dedup" / "state.parquet")
    assert len(state) == 13 and set(state.sources) == {"web", "wiki"}


def test_a_later_run_dedups_against_an_earlier_runs_state(tmp_path: Path) -> None:
    old = documents(5, words=150, seed=8)
    first = tmp_path / "first"
    first.mkdir()
    run(_manifest(first, [_code_source(first, "web", old)], {"priority": ["web"]}))
    second = tmp_path / "second"
    second.mkdir()
    state = str(tmp_path / "nightly" / "dedup-state.parquet")
    promote_state(first / "out-local", state)
    new = [substitute(old[2], 0.01, seed=9), *documents(2, words=150, seed=10)]
    outcome = run(_manifest(second, [_code_source(second, "web", new)], {"priority": ["web"], "state": state}))
    assert outcome.stats["sources"]["web"]["stages"][-1]["dropped"] == {"near_duplicate": 1}
    assert rejected_rows(second / "out-local")["acme/web:doc000.py"][2] == "near_duplicate"


def test_an_unknown_source_in_the_dedup_section_is_named_by_its_yaml_path() -> None:
    raw = {"run": {"name": "r", "output": "o"}, "sources": [{"name": "b", "kind": "books", "paths": ["x"]}],
           "dedup": {"priority": ["b", "nope"], "minhash": {"threshold": 2}}}  # fmt: skip
    with pytest.raises(ManifestError) as caught:
        parse_manifest(raw)
    assert "dedup.minhash.threshold" in dict(caught.value.problems)
    raw["dedup"] = {"exact": True, "priority": ["b", "nope"]}
    with pytest.raises(ManifestError) as caught:
        parse_manifest(raw)
    assert "dedup.priority[1]" in dict(caught.value.problems)


def test_source_loss_alarm_fires_and_can_stop_the_run(tmp_path: Path) -> None:
    base = documents(1, words=150, seed=12)[0]
    texts = [substitute(base, 0.01, seed=i) for i in range(6)]
    alarms = {"max_source_loss": 0.5, "max_cluster_size": 4}
    outcome = run(_manifest(tmp_path, [_code_source(tmp_path, "web", texts, [{"minhash_dedup": {"alarms": alarms}}])]))
    audit = json.loads((tmp_path / "out-local" / "dedup" / "audit.json").read_text())
    assert {a["kind"] for a in audit["alarms"]} == {"source_loss", "giant_cluster"}
    assert outcome.stats["accounting"]["ok"]
    stop = tmp_path / "stop"
    stop.mkdir()
    source = _code_source(stop, "web", texts, [{"minhash_dedup": {"alarms": {**alarms, "fail_on_alarm": True}}}])
    from stages.dedup.audit import DedupAlarm

    with pytest.raises(DedupAlarm, match="loses 5 of 6"):
        run(_manifest(stop, [source]))


def test_lines_dedup_removes_boilerplate_lines_counts_them_and_drops_empty_documents(tmp_path: Path) -> None:
    menu = "Home | About | Contact"
    cookie = "We use cookies to improve your experience."
    bodies = documents(3, words=40, seed=13)
    texts = [f"{menu}\n{bodies[0]}\n{cookie}", f"{menu}\n{bodies[1]}", f"{bodies[2]}\n{cookie}", f"{menu}\n{cookie}"]
    outcome = run(_manifest(tmp_path, [_code_source(tmp_path, "web", texts, [{"lines_dedup": {}}])]))
    data = outcome.stats["sources"]["web"]
    assert data["stages"][-1]["dropped"] == {"all_lines_duplicated": 1} and data["stages"][-1]["kept"] == 3
    assert data["counters"]["lines_dedup_removed_lines_count"] == 6
    assert data["counters"]["lines_dedup_removed_chars_count"] == 3 * len(menu) + 3 * len(cookie)
    kept = {doc["text"] for doc in kept_documents(tmp_path / "out-local").values()}
    assert kept == set(bodies)
    assert outcome.stats["accounting"]["ok"]
    audit = json.loads((tmp_path / "out-local" / "dedup" / "audit.json").read_text())
    assert audit["methods"] == ["lines"] and audit["stages"][0]["removed_lines"] == 6
    assert audit["removed_by_source"]["web"] == {"in": 4, "removed": 1, "share": 0.25}


def test_an_interrupted_cross_source_dedup_resumes_to_the_same_result(tmp_path: Path) -> None:
    shared = documents(4, words=150, seed=14)
    sources = [_code_source(tmp_path, "a", shared), _code_source(tmp_path, "b", [substitute(t, 0.01) for t in shared])]
    manifest = _manifest(tmp_path, sources, {"priority": ["a", "b"]})
    expected = run(manifest)
    out = tmp_path / "out-local"
    # Killed after applying to b's chunks and moving rows, before b's chunk stats and the markers were written.
    for marker in (out / "global").glob("*/cross_source_dedup._SUCCESS"):
        marker.unlink()
    for stats_path in (out / "stats" / "b").glob("*/*.json"):
        chunk = json.loads(stats_path.read_text())
        chunk["stages"] = chunk["stages"][:-1]
        stats_path.write_text(json.dumps(chunk))
    resumed = run(manifest, resume=True)
    assert counts_only(resumed.stats) == counts_only(expected.stats)
    assert resumed.stats["accounting"]["ok"]


@pytest.mark.ray
def test_ray_and_local_agree_on_cross_source_dedup(tmp_path: Path, ray_cluster: None) -> None:
    shared = documents(5, words=150, seed=15)
    sources = [_code_source(tmp_path, "a", shared + documents(5, seed=16)),
               _code_source(tmp_path, "b", [substitute(t, 0.01) for t in shared])]  # fmt: skip
    dedup = {"priority": ["b", "a"], "minhash": {"verify": True}}
    local = run(_manifest(tmp_path, sources, dedup, "local"))
    on_ray = run(_manifest(tmp_path, sources, dedup, "ray"))
    assert counts_only(local.stats) == counts_only(on_ray.stats)
    assert kept_documents(tmp_path / "out-local") == kept_documents(tmp_path / "out-ray")
    audit = json.loads((tmp_path / "out-ray" / "dedup" / "audit.json").read_text())
    assert audit["removed_by_source"]["a"]["removed"] == 5


def test_our_band_optimisation_matches_datasketch() -> None:
    from datasketch.lsh import _optimal_param

    for threshold, num_perm, weight in ((0.8, 128, 0.5), (0.8, 128, 0.9), (0.7, 128, 0.5), (0.9, 64, 0.9)):
        expected = _optimal_param(threshold, num_perm, 1 - weight, weight)
        assert lsh_params(threshold, num_perm, weight) == expected, (threshold, num_perm, weight)


def test_union_find_agrees_with_scipy_on_a_random_graph() -> None:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(0)
    edges = rng.integers(0, 2000, (1500, 2))
    union = UnionFind(2000)
    for chunk in np.array_split(edges, 7):
        union.union_edges(chunk)
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), (2000, 2000))
    _, expected = connected_components(graph, directed=False)
    labels = union.labels()
    assert len(set(zip(labels.tolist(), expected.tolist(), strict=True))) == len(set(expected.tolist()))
    assert all(labels[i] <= i for i in range(2000))


@pytest.mark.slow
@pytest.mark.parametrize("kill_when", ["cross_source_dedup.work", "cross_source_dedup.parquet"])
def test_a_run_killed_during_cross_source_dedup_resumes_to_the_same_output(tmp_path: Path, kill_when: str) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import REPO

    shared = documents(300, words=120, seed=20)
    sources = [_code_source(tmp_path, "a", shared), _code_source(tmp_path, "b", [substitute(t, 0.01) for t in shared])]
    dedup = {"priority": ["a", "b"]}
    expected = run(_manifest(tmp_path, sources, dedup))
    killed = tmp_path / "killed"
    killed.mkdir()
    manifest = _manifest(killed, sources, dedup)
    output = killed / "out-local"
    command = [sys.executable, "-m", "pipeline.cli", "run", str(manifest), "--no-progress"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (output / "global" / "_run" / kill_when).exists() and time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.skip("the run finished before it could be killed")
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    resumed = subprocess.run([*command, "--resume"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    stats = json.loads((output / "stats.json").read_text())
    assert stats["accounting"]["ok"]
    assert counts_only(stats) == counts_only(expected.stats)
    assert kept_documents(output) == kept_documents(tmp_path / "out-local")
    assert rejected_rows(output) == rejected_rows(tmp_path / "out-local")
