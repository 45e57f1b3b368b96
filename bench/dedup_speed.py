#!/usr/bin/env python
"""Dedup speed and memory: signature throughput per core (rensa vs datasketch on the same
documents) and a run over a million synthetic documents with its peak memory per phase.

Documents are synthetic: words drawn from a Zipf-like distribution over a 50,000-word
vocabulary. The scale run plants near-copies (1% of words substituted) and exact copies of
earlier documents, so the clustering has real work, and checks that it finds them.

Peak memory per phase: the process's high-water mark (VmHWM) is reset before each phase
(``/proc/self/clear_refs``) and read after it; it is the whole process's resident memory,
including what earlier phases still hold.

Usage::

    python bench/dedup_speed.py signatures            # docs/s per core, 500-word documents, 128 permutations
    python bench/dedup_speed.py scale --docs 1000000  # the 1M run (about 10 minutes on 2 cores)
    python bench/dedup_speed.py scale --docs 200000 --ray   # the same engine, its tasks on a private Ray

Results go to ``bench/results/dedup_speed.json`` (one key per mode).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.bench_common import cpu_model, package_versions, print_table  # noqa: E402
from stages.dedup.index import DedupIndex, MinHashConfig  # noqa: E402
from stages.dedup.minhash import band_keys, signatures  # noqa: E402
from stages.dedup.text import word_shingles  # noqa: E402

OUT = REPO_ROOT / "bench" / "results" / "dedup_speed.json"
VOCAB_SIZE = 50_000


def vocabulary(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    lengths = rng.integers(2, 10, VOCAB_SIZE)
    return np.array(["".join(rng.choice(letters, n)) for n in lengths], dtype=object)


def synthetic_texts(count: int, words: int, seed: int, vocab: np.ndarray) -> list[str]:
    rng = np.random.default_rng(seed)
    ranks = np.minimum(rng.zipf(1.2, (count, words)) - 1, VOCAB_SIZE - 1)
    return [" ".join(row) for row in vocab[ranks].tolist()]


def cpu() -> float:
    return time.process_time()


def bench_signatures(docs: int, words: int) -> dict[str, object]:
    vocab = vocabulary()
    texts = pa.array(synthetic_texts(docs, words, 1, vocab))
    started = cpu()
    shingles = word_shingles(texts, 5)
    shingle_s = cpu() - started
    result: dict[str, object] = {
        "documents": docs,
        "words_per_doc": words,
        "num_perm": 128,
        "shingles_per_doc": float(np.mean(shingles.counts)),
        "shingling_docs_per_s": round(docs / shingle_s),
    }
    rows = [["shingling (normalise, split, 5-gram hashes)", f"{docs / shingle_s:,.0f}", "-"]]
    for engine, count in (("rensa", docs), ("datasketch", min(docs, 1000))):
        subset = shingles if count == docs else _head(shingles, count)
        started = cpu()
        sigs = signatures(subset, 128, 1, engine)
        sig_s = cpu() - started
        started = cpu()
        band_keys(sigs, 14, 9)
        band_s = cpu() - started
        end_to_end = count / (shingle_s * count / docs + sig_s + band_s)
        result[engine] = {
            "documents": count,
            "signature_docs_per_s": round(count / sig_s),
            "band_keys_docs_per_s": round(count / band_s),
            "text_to_band_keys_docs_per_s": round(end_to_end),
        }
        rows.append([f"{engine} signatures", f"{count / sig_s:,.0f}", f"{end_to_end:,.0f}"])
    result["rensa_speedup"] = round(
        result["rensa"]["signature_docs_per_s"] / result["datasketch"]["signature_docs_per_s"], 1
    )  # type: ignore[index]
    print_table(
        f"{docs:,} synthetic {words}-word documents, 128 permutations, one core (CPU time)",
        ["step", "docs/s", "text -> band keys docs/s"],
        rows,
    )
    return result


def _head(shingles, count):  # type: ignore[no-untyped-def]
    from stages.dedup.text import Shingles

    return Shingles(shingles.hashes[: shingles.offsets[count]], shingles.offsets[: count + 1])


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scale_batches(docs: int, words: int, batch: int, vocab: np.ndarray) -> Iterator[pa.Table]:
    """Deterministic batches: within each, 3% near-copies and 1% exact copies of the batch's own documents."""
    for start in range(0, docs, batch):
        count = min(batch, docs - start)
        texts = synthetic_texts(count, words, start, vocab)
        rng = np.random.default_rng(start + 7)
        near = rng.choice(count // 2, int(count * 0.03), replace=False)
        for j, source_doc in enumerate(near):
            target = count // 2 + j
            tokens = texts[source_doc].split()
            for k in rng.choice(len(tokens), max(1, len(tokens) // 100), replace=False):
                tokens[k] = "zz" + str(rng.integers(1 << 30))
            texts[target] = " ".join(tokens)
        exact = rng.choice(count // 4, int(count * 0.01), replace=False)
        for j, source_doc in enumerate(exact):
            texts[count - 1 - j] = texts[source_doc]
        ids = [f"doc{start + i:09d}" for i in range(count)]
        yield pa.table({"id": ids, "source": ["synthetic"] * count, "text": texts})


def bench_scale(docs: int, words: int, batch: int, partitions: int, on_ray: bool = False) -> dict[str, object]:
    vocab = vocabulary()
    phases: dict[str, dict[str, float]] = {}
    tasks = None
    if on_ray:  # a private Ray on loopback; map and reduce tasks run in its workers
        import ray

        from stages.dedup.tasks import RayTasks

        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(
            _node_ip_address="127.0.0.2",
            num_cpus=2,
            object_store_memory=512 * 1024 * 1024,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
        tasks = RayTasks(in_flight=4)
    with tempfile.TemporaryDirectory(prefix="dedup-scale-") as work:
        index = DedupIndex(Path(work) / "w", "whitespace", MinHashConfig(), partitions=partitions, tasks=tasks)
        _reset_peak()
        started, wall = cpu(), time.perf_counter()
        index.add_batches(scale_batches(docs, words, batch, vocab))
        phases["map: text -> keys, spill to partitions"] = {
            "cpu_s": cpu() - started,
            "wall_s": time.perf_counter() - wall,
            "peak_mib": _peak_mib(),
        }
        spilled = sum(f.stat().st_size for f in (Path(work) / "w").rglob("*.npy"))
        _reset_peak()
        started, wall = cpu(), time.perf_counter()
        resolution = index.resolve(texts_again=lambda: scale_batches(docs, words, batch, vocab))
        phases["reduce: buckets, verify, union-find, survivors"] = {
            "cpu_s": cpu() - started,
            "wall_s": time.perf_counter() - wall,
            "peak_mib": _peak_mib(),
        }
    reasons: dict[str, int] = {}
    for removal in resolution.removals:
        reasons[removal.reason] = reasons.get(removal.reason, 0) + 1
    planted_near, planted_exact = docs * 0.03, docs * 0.01
    result = {
        "documents": docs,
        "words_per_doc": words,
        "batch": batch,
        "partitions": partitions,
        "ray": on_ray,
        "spilled_key_bytes": spilled,
        "phases": phases,
        "removed_by_reason": reasons,
        "planted_near": int(planted_near),
        "planted_exact": int(planted_exact),
        "candidate_edges": resolution.candidate_edges,
        "rejected_by_verify": resolution.verified_out,
        "docs_per_cpu_s": round(docs / sum(p["cpu_s"] for p in phases.values())),
    }
    rows = [[name, f"{p['cpu_s']:.0f}", f"{p['wall_s']:.0f}", f"{p['peak_mib']:,.0f}"] for name, p in phases.items()]
    print_table(
        f"{docs:,} synthetic {words}-word documents, one process", ["phase", "CPU s", "wall s", "peak MiB"], rows
    )
    print(json.dumps({k: v for k, v in result.items() if k != "phases"}, indent=1))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["signatures", "scale"])
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--words", type=int, default=None)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--ray", action="store_true", help="run the map and reduce tasks on a private 2-CPU Ray")
    args = parser.parse_args(argv)
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    if args.mode == "signatures":
        results["signatures"] = bench_signatures(args.docs or 5000, args.words or 500)
    else:
        key = f"scale_{args.docs or 100_000}" + ("_ray" if args.ray else "_local")
        results[key] = bench_scale(args.docs or 100_000, args.words or 200, args.batch, args.partitions, args.ray)
    results["machine"] = {
        "cpu": cpu_model(),
        "nproc": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "versions": package_versions(("rensa", "datasketch", "numpy", "pyarrow", "scipy")),
    }
    OUT.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
