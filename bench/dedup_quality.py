#!/usr/bin/env python
"""Near-duplicate detection quality on the planted set (bench/dedup_planted.py).

For each configuration: precision (share of all the pairs in one final cluster, a survivor
and the documents removed in its favour, whose true Jaccard reaches the threshold; also
against 0.7), removal precision (share of removed documents whose true Jaccard with their
cluster's survivor reaches the threshold), recall of the planted pairs with true Jaccard
>= 0.85 and >= the threshold, and the S-curve (share of planted pairs that share at least one LSH band, by true
Jaccard bucket) against the theoretical 1 - (1 - s^r)^b. Both signature engines are run on
the same documents, and their clusterings are compared.

Usage: ``python bench/dedup_quality.py``; writes ``bench/results/dedup_quality.json``.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.bench_common import package_versions, print_table  # noqa: E402
from bench.dedup_planted import planted_set, shingle_sets  # noqa: E402
from stages.dedup.index import DedupIndex, MinHashConfig  # noqa: E402
from stages.dedup.minhash import detection_probability  # noqa: E402
from stages.dedup.text import jaccard  # noqa: E402

SHARED = REPO_ROOT.parent / "shared" / "data"
OUT = REPO_ROOT / "bench" / "results" / "dedup_quality.json"
THRESHOLD = 0.8
CONFIGS = {
    "rensa 14x9 verify (default)": MinHashConfig(),
    "rensa 14x9 no verify": MinHashConfig(verify=False),
    "rensa 9x13 no verify (datasketch MinHashLSH's choice)": MinHashConfig(verify=False, false_negative_weight=0.5),
    "datasketch 14x9 verify": MinHashConfig(engine="datasketch"),
    "datasketch 14x9 no verify": MinHashConfig(engine="datasketch", verify=False),
}
BUCKETS = [0.3, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001]


def main() -> int:
    if not (SHARED / "books").is_dir():
        print(f"SKIP: shared data not found at {SHARED}")
        return 0
    table, pairs = planted_set(SHARED)
    sets = shingle_sets(table)
    ids = table.column("id").to_pylist()
    true_j = np.array([p.jaccard for p in pairs])
    position = {doc_id: i for i, doc_id in enumerate(ids)}
    pa_idx = np.array([position[p.a] for p in pairs])
    pb_idx = np.array([position[p.b] for p in pairs])
    results: dict[str, object] = {
        "documents": table.num_rows,
        "planted_pairs": len(pairs),
        "pairs_by_true_jaccard": dict(
            zip(
                [f"{lo:.2f}-{min(hi, 1):.2f}" for lo, hi in itertools.pairwise([0.0, *BUCKETS])],
                np.histogram(true_j, [0.0, *BUCKETS])[0].tolist(),
                strict=True,
            )
        ),
        "threshold": THRESHOLD,
        "versions": package_versions(("rensa", "datasketch", "numpy")),
        "configs": {},
    }
    labels_of = {}
    rows = []
    for name, config in CONFIGS.items():
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as work:
            index = DedupIndex(Path(work) / "w", None, config, partitions=8)
            index.add_batches([table.slice(i, 500) for i in range(0, table.num_rows, 500)])
            resolution = index.resolve(texts_again=lambda: [table])
            keys = index.band_key_matrix()
        seconds = time.perf_counter() - started
        # Final clusters: each survivor with the documents removed in its favour.
        labels = np.arange(table.num_rows)
        for removal in resolution.removals:
            labels[removal.doc] = removal.survivor
        labels_of[name] = labels
        detected_pairs = []
        for members in _clusters(labels):
            detected_pairs.extend(itertools.combinations(members, 2))
        detected_j = np.array([jaccard(sets[ids[a]], sets[ids[b]]) for a, b in detected_pairs])
        same = labels[pa_idx] == labels[pb_idx]
        removal_j = np.array([jaccard(sets[ids[r.doc]], sets[ids[r.survivor]]) for r in resolution.removals])
        share_band = np.any(keys[pa_idx] == keys[pb_idx], axis=1)
        bands, rows_per_band = config.lsh
        curve = []
        for lo, hi in itertools.pairwise(BUCKETS):
            inside = (true_j >= lo) & (true_j < hi)
            if inside.any():
                curve.append(
                    {
                        "bucket": f"{lo:.2f}-{min(hi, 1):.2f}",
                        "pairs": int(inside.sum()),
                        "lsh_candidate_rate": round(float(share_band[inside].mean()), 4),
                        "theory": round(float(np.mean(detection_probability(true_j[inside], bands, rows_per_band))), 4),
                        "clustered_rate": round(float(same[inside].mean()), 4),
                    }
                )
        entry = {
            "engine": config.engine,
            "bands": bands,
            "rows": rows_per_band,
            "verify": config.verify,
            "detected_pairs": len(detected_pairs),
            "precision": round(float(np.mean(detected_j >= THRESHOLD)) if len(detected_j) else 1.0, 4),
            "precision_at_0.7": round(float(np.mean(detected_j >= 0.7)) if len(detected_j) else 1.0, 4),
            "removal_precision": round(float(np.mean(removal_j >= THRESHOLD)) if len(removal_j) else 1.0, 4),
            "removals": len(removal_j),
            "recall_j_ge_0.85": round(float(same[true_j >= 0.85].mean()), 4),
            "recall_j_ge_threshold": round(float(same[true_j >= THRESHOLD].mean()), 4),
            "false_positive_pairs": int(np.sum(detected_j < THRESHOLD)),
            "lowest_detected_jaccard": round(float(detected_j.min()), 4) if len(detected_j) else None,
            "candidate_edges": resolution.candidate_edges,
            "rejected_by_verify": resolution.verified_out,
            "kept_as_too_far_from_survivor": resolution.survivor_checked_out,
            "seconds": round(seconds, 2),
            "s_curve": curve,
        }
        results["configs"][name] = entry
        rows.append(
            [
                name,
                str(entry["detected_pairs"]),
                f"{entry['precision']:.4f}",
                f"{entry['precision_at_0.7']:.4f}",
                f"{entry['removal_precision']:.4f}",
                f"{entry['recall_j_ge_0.85']:.4f}",
                f"{entry['recall_j_ge_threshold']:.4f}",
                str(entry["false_positive_pairs"]),
                f"{seconds:.1f}",
            ]
        )
    print_table(
        f"Planted set: {table.num_rows} documents, {len(pairs)} planted pairs, threshold {THRESHOLD}",
        [
            "config",
            "pairs found",
            "precision",
            "precision J>=0.7",
            "removal precision",
            "recall J>=0.85",
            "recall J>=0.8",
            "FP pairs",
            "s",
        ],
        rows,
    )
    default = results["configs"]["rensa 14x9 verify (default)"]
    print_table(
        "S-curve (rensa 14x9): planted pairs sharing a band, by true Jaccard",
        ["true J", "pairs", "LSH candidates", "theory", "clustered after verify"],
        [
            [
                c["bucket"],
                str(c["pairs"]),
                f"{c['lsh_candidate_rate']:.3f}",
                f"{c['theory']:.3f}",
                f"{c['clustered_rate']:.3f}",
            ]
            for c in default["s_curve"]
        ],
    )
    agreement = {}
    for left, right in (
        ("rensa 14x9 verify (default)", "datasketch 14x9 verify"),
        ("rensa 14x9 no verify", "datasketch 14x9 no verify"),
    ):
        a, b = _pairs(labels_of[left]), _pairs(labels_of[right])
        agreement[f"{left} vs {right}"] = {"same_pairs": len(a & b), "only_left": len(a - b), "only_right": len(b - a)}
    results["engine_agreement"] = agreement
    print(json.dumps(agreement, indent=1))
    OUT.write_text(json.dumps(results, indent=1) + "\n")
    return 0


def _clusters(labels: np.ndarray) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for doc, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(doc)
    return [members for members in groups.values() if len(members) > 1]


def _pairs(labels: np.ndarray) -> set[tuple[int, int]]:
    return {pair for members in _clusters(labels) for pair in itertools.combinations(members, 2)}


if __name__ == "__main__":
    sys.exit(main())
