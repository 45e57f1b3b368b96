#!/usr/bin/env python
"""How well the learned secret tagger generalises to a set it has never seen.

The labelled sets in ``bench/pii_eval/`` were written independently, one after another (different authors'
templates, seeds, languages and contexts), and after each first score the rules were corrected on it. Two
measurements:

* ``prequential`` (the honest one): replay that history. For set *k* (4 to 8), the tagger is trained on the sets
  written before it, and the rules are those of the commit at which set *k* was first scored (checked out of git
  into a temporary directory and run in a subprocess). Rules alone reproduce the first-run numbers recorded then;
  rules plus tagger is what the shipped combination would have scored on a set neither had seen.
* ``forward``: the same for sets 17 to 20, which were written together: one tagger trained on every set before
  them (1 to 16), each set with the rules of the commit that first scored it. This is where the default threshold
  is chosen: the sets are unseen by the tagger and by those rules.
* ``loso`` (leave one set out): the tagger trained on all other sets, alone and with today's rules. Today's rules
  were corrected on every set, so only the *tagger alone* columns are unseen-set numbers there.

Scores are exact-span precision and recall for SECRET (``bench/pii_eval.py``'s matching), at several thresholds
on the tagger's per-token marginal. Results: ``bench/results/pii_tagger_loso.json``.

Usage: ``python bench/pii_tagger_eval.py [--mode prequential|forward|loso|both] [--thresholds 0.3 0.5 0.7]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from pii_eval import Counts, match  # noqa: E402

from filters.pii import ENTITIES, PiiConfig, find_pii  # noqa: E402
from filters.pii_tagger import SecretTagger, train  # noqa: E402

EVAL_DIR = REPO_ROOT / "bench" / "pii_eval"
OUT = REPO_ROOT / "bench" / "results" / "pii_tagger_loso.json"
ENTITY = "SECRET"
BASE_SETS = ["pii_eval", "pii_heldout", "pii_testset3"]
# (set, commit whose rules first scored it): the commit that added the set before any fix it called for, or the
# parent of the commit that added the set together with its fixes.
PREQUENTIAL = [
    ("pii_testset4", "3d19092^"),
    ("pii_testset5", "0d4eeef^"),
    ("pii_testset6", "b446a21^"),
    ("pii_testset7", "f30a8c8"),
    ("pii_testset8", "addbbfc"),
]
FORWARD = [
    ("pii_testset17", "b544c5d"),
    ("pii_testset18", "163d44c"),
    ("pii_testset19", "b7b6128"),
    ("pii_testset20", "b7b6128"),
]
FORWARD_TRAINING = [*BASE_SETS, *(f"pii_testset{k}" for k in range(4, 17))]
_OLD_RULES = """
import json, sys
from filters.pii import ENTITIES, PiiConfig, find_pii
rules_only = {"secret_tagger": False} if "secret_tagger" in PiiConfig.model_fields else {}  # commits with a tagger
config = PiiConfig(entities=list(ENTITIES), **rules_only)
out = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    out[r["id"]] = [(s.start, s.end) for s in find_pii(r["text"], config, r["lang"]) if s.entity == "SECRET"]
json.dump(out, sys.stdout)
"""


def rules_at(commit: str, eval_set: Path) -> dict[str, list[tuple[int, int]]]:
    """SECRET spans of the rules as they were at ``commit``, on every record of ``eval_set``."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "archive", commit, "filters"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        result = subprocess.run(
            [sys.executable, "-c", _OLD_RULES, str(eval_set.resolve())],
            cwd=tmp,
            env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
            text=True,
        )
    return {k: [tuple(span) for span in v] for k, v in json.loads(result.stdout).items()}


def load_sets(names: list[str] | None) -> dict[str, list[dict[str, Any]]]:
    paths = sorted(EVAL_DIR.glob("*.jsonl"))
    sets = {p.stem: [json.loads(line) for line in p.open(encoding="utf-8")] for p in paths}
    return {k: v for k, v in sets.items() if not names or k in names}


def merge(rule_spans: list[tuple[int, int]], tagged: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = list(rule_spans)
    for start, end in tagged:
        if not any(start < b and a < end for a, b in out):
            out.append((start, end))
    return out


def score(records: list[dict[str, Any]], predict: Any) -> dict[str, Any]:
    counts = Counts()
    for record in records:
        gold = [(s["start"], s["end"], ENTITY) for s in record["spans"] if s["entity"] == ENTITY]
        pred = [(a, b, ENTITY) for a, b in predict(record)]
        pairs, fps, fns = match(gold, pred, "exact")
        counts.tp += len(pairs)
        counts.fp += len(fps)
        counts.fn += len(fns)
    return counts.scores()


def fold(
    training: list[dict[str, Any]],
    records: list[dict[str, Any]],
    rule_spans: dict[str, list[tuple[int, int]]],
    thresholds: list[float],
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "fold.crfsuite"
        t0 = time.perf_counter()
        meta = train(training, model)
        result: dict[str, Any] = {"train_s": round(time.perf_counter() - t0, 1), "training_records": meta["records"]}
        result.update(evaluate_model(model, records, rule_spans, thresholds))
    return result


def evaluate_model(
    model: Path, records: list[dict[str, Any]], rule_spans: dict[str, list[tuple[int, int]]], thresholds: list[float]
) -> dict[str, Any]:
    result = {"rules": score(records, lambda r: rule_spans[r["id"]])}
    for threshold in thresholds:
        tagger = SecretTagger(model, threshold)
        tagged = {r["id"]: [(a, b) for a, b, _ in tagger.spans(r["text"])] for r in records}
        result[f"tagger@{threshold}"] = score(records, lambda r, t=tagged: t[r["id"]])
        result[f"union@{threshold}"] = score(records, lambda r, t=tagged: merge(rule_spans[r["id"]], t[r["id"]]))
    return result


def summary(fold_result: dict[str, Any]) -> str:
    return "  ".join(
        f"{k} P {v['precision']:.3f} R {v['recall']:.3f}" for k, v in fold_result.items() if isinstance(v, dict)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["prequential", "forward", "loso", "both"], default="both")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.5, 0.7, 0.85])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--held-out", nargs="+", help="leave-one-out folds to run (default: every set)")
    parser.add_argument("--exclude", nargs="+", default=[], help="sets to leave out of everything (a fresh test set)")
    args = parser.parse_args()
    sets = {name: records for name, records in load_sets(None).items() if name not in args.exclude}
    results: dict[str, Any] = {"prequential": {}, "forward": {}, "loso": {}}
    if args.mode in ("prequential", "both"):
        earlier = list(BASE_SETS)
        for name, commit in PREQUENTIAL:
            training = [r for s in earlier for r in sets[s]]
            rules = rules_at(commit, EVAL_DIR / f"{name}.jsonl")
            result = {"rules_commit": commit, "trained_on": list(earlier)}
            result.update(fold(training, sets[name], rules, args.thresholds))
            results["prequential"][name] = result
            print("prequential", name, summary(result), flush=True)
            earlier.append(name)
    if args.mode == "forward":
        training = [r for name in FORWARD_TRAINING for r in sets[name]]
        with tempfile.TemporaryDirectory() as tmp:
            model = Path(tmp) / "forward.crfsuite"
            t0 = time.perf_counter()
            meta = train(training, model)
            results["forward"]["trained_on"] = FORWARD_TRAINING
            results["forward"]["train_s"] = round(time.perf_counter() - t0, 1)
            results["forward"]["training_records"] = meta["records"]
            for name, commit in FORWARD:
                rules = rules_at(commit, EVAL_DIR / f"{name}.jsonl")
                result = {"rules_commit": commit, **evaluate_model(model, sets[name], rules, args.thresholds)}
                results["forward"][name] = result
                print("forward", name, summary(result), flush=True)
    if args.mode in ("loso", "both"):
        config = PiiConfig(entities=list(ENTITIES), secret_tagger=False)
        for name, records in sets.items():
            if args.held_out and name not in args.held_out:
                continue
            training = [r for other, rs in sets.items() if other != name for r in rs]
            rules = {
                r["id"]: [(s.start, s.end) for s in find_pii(r["text"], config, r["lang"]) if s.entity == ENTITY]
                for r in records
            }
            results["loso"][name] = fold(training, records, rules, args.thresholds)
            print("loso", name, summary(results["loso"][name]), flush=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
