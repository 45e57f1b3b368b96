from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, write_manifest
from tests.runs import counts_only, kept_documents, rejected_rows, run
from tests.warc_factory import ARTICLE, WarcBuilder, html_page

# Extraction, a model-holding stage (an actor pool on Ray) and text-rewriting and scoring filters.
QUALITY_CHAIN = [
    {"extract": {"timeout_s": 30}},
    {"langid": {"min_score": 0.3}},
    {"c4": {"min_sentences": 3}},
    {"gopher_repetition": {}},
    {"roots_filters": {}},
]


def _inputs(shared_data: Path) -> list[str]:
    warc = shared_data / "warc"
    return [
        str(warc / "cc-main-2020-34-resiliparse-sample.warc.gz"),
        str(warc / "dolma-sample-0000.warc.gz"),
        str(warc / "cc-main-2024-22-whirlwind.warc.gz"),
        str(warc / "cc-main-2024-22-whirlwind.warc.wet.gz"),
        str(REPO / "manifests" / "samples" / "cc" / "*.warc.gz"),
    ]


@pytest.mark.ray
def test_local_and_ray_executors_keep_the_same_documents_with_the_same_stats(
    tmp_path: Path, shared_data: Path, ray_cluster: None
) -> None:
    outcomes = {}
    for kind in ("local", "ray"):
        manifest = write_manifest(
            tmp_path / f"{kind}.yaml", tmp_path / kind, _inputs(shared_data), stages=QUALITY_CHAIN, executor=kind
        )
        outcomes[kind] = run(manifest)
    local, ray = outcomes["local"], outcomes["ray"]
    assert counts_only(local.stats) == counts_only(ray.stats)
    assert local.stats["accounting"]["ok"]
    local_docs, ray_docs = kept_documents(tmp_path / "local"), kept_documents(tmp_path / "ray")
    assert sorted(local_docs) == sorted(ray_docs)
    assert local_docs == ray_docs  # text, language, and every score column
    assert rejected_rows(tmp_path / "local") == rejected_rows(tmp_path / "ray")
    read = local.stats["sources"]["cc"]["stages"][0]
    assert read["kept"] >= 16 + 22 + 1 + 1 + 9  # CC sample, dolma, whirlwind WARC and WET, our samples
    assert read["errored"] == {"corrupt_gzip": 1, "truncated_record": 1}


@pytest.mark.ray
def test_a_page_that_hangs_the_extractor_is_errored_on_ray_and_the_rest_is_kept(
    tmp_path: Path, ray_cluster: None
) -> None:
    builder = WarcBuilder()
    builder.response("https://slow.example.test/", html_page("Long", ARTICLE * 3000).encode(), "text/html")
    for index in range(3):
        builder.response(f"https://ok.example.test/{index}", html_page(f"Ok {index}", ARTICLE).encode(), "text/html")
    warc = builder.save(tmp_path / "slow.warc.gz")
    stages = [{"extract": {"timeout_s": 0.3, "max_html_bytes": 50_000_000}}]
    manifest = write_manifest(tmp_path / "m.yaml", tmp_path / "out", [str(warc)], stages=stages, executor="ray")
    extract = run(manifest).stats["sources"]["cc"]["stages"][1]
    assert extract["errored"] == {"extract_timeout": 1}
    assert extract["kept"] == 3
