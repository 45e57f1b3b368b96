"""What changed between two runs: per-stage deltas, mixture deltas and manifest changes.

It reads only ``run.json``, ``stats.json`` and ``export/export.json`` of each run, so it is fast
enough for a nightly job comparing tonight's run with yesterday's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.report.collect import NotARunDirectory, _mixture, _read_json


def _load(run_dir: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
    record = _read_json(run_dir / "run.json")
    stats = _read_json(run_dir / "stats.json")
    if record is None or stats is None:
        raise NotARunDirectory(f"{run_dir}: no run.json or stats.json (not a finished curate run directory)")
    return record, stats, _read_json(run_dir / "export" / "export.json")


def _flatten(value: Any, path: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key in value:
            _flatten(value[key], f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
        for item in value:  # sources by name, so inserting one does not shift all the others
            _flatten(item, f"{path}[{item['name']}]", out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) and len(v) == 1 for v in value):
        names = [next(iter(v)) for v in value]
        if len(set(names)) == len(names):  # a stage list: [{extract: {...}}, {langid: {...}}]
            for item in value:
                _flatten(item, path, out)
        else:
            out[path] = json.dumps(value, sort_keys=True, default=str)
    else:
        out[path] = json.dumps(value, sort_keys=True, default=str)


def manifest_changes(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    flat_a: dict[str, str] = {}
    flat_b: dict[str, str] = {}
    _flatten({k: v for k, v in a.items() if k != "executor"}, "", flat_a)
    _flatten({k: v for k, v in b.items() if k != "executor"}, "", flat_b)
    return [
        {"path": key, "a": flat_a.get(key, "(absent)"), "b": flat_b.get(key, "(absent)")}
        for key in sorted(set(flat_a) | set(flat_b))
        if flat_a.get(key) != flat_b.get(key)
    ]


def _stage_deltas(a: dict[str, Any] | None, b: dict[str, Any] | None) -> list[dict[str, Any]]:
    stages_a = {s["stage"]: s for s in (a or {}).get("stages", [])}
    stages_b = {s["stage"]: s for s in (b or {}).get("stages", [])}
    order = [s["stage"] for s in (b or {}).get("stages", [])]
    order += [name for name in (s["stage"] for s in (a or {}).get("stages", [])) if name not in order]
    rows = []
    for name in order:
        sa, sb = stages_a.get(name), stages_b.get(name)
        reasons_a = {**(sa or {}).get("dropped", {}), **(sa or {}).get("errored", {})}
        reasons_b = {**(sb or {}).get("dropped", {}), **(sb or {}).get("errored", {})}
        reasons = [
            {
                "reason": r,
                "a": reasons_a.get(r, 0),
                "b": reasons_b.get(r, 0),
                "delta": reasons_b.get(r, 0) - reasons_a.get(r, 0),
            }
            for r in sorted(set(reasons_a) | set(reasons_b))
        ]
        a_in, b_in = (sa or {}).get("in", 0), (sb or {}).get("in", 0)
        a_kept, b_kept = (sa or {}).get("kept", 0), (sb or {}).get("kept", 0)
        rows.append(
            {
                "stage": name,
                "only": "A" if sb is None else "B" if sa is None else None,
                "a_in": a_in,
                "b_in": b_in,
                "delta_in": b_in - a_in,
                "a_kept": a_kept,
                "b_kept": b_kept,
                "delta_kept": b_kept - a_kept,
                "a_share": a_kept / a_in if a_in else None,
                "b_share": b_kept / b_in if b_in else None,
                "reasons": reasons,
            }
        )
    return rows


def _proportions(mixture: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Tokens, proportion and epochs per source under the run's own mixture plan, by the export's rule
    (stages/export/mixture.py, mirrored by the report's editor): weighted sources share what the epoch
    rows leave of the target, or without one the largest share that repeats no weighted source."""
    rows = mixture["rows"]
    fixed = sum(r["epochs"] * r["tokens"] for r in rows if r["epochs"] is not None)
    weighted = [r for r in rows if r["epochs"] is None and (r["weight"] or 0) > 0 and r["tokens"] > 0]
    weights = sum(r["weight"] for r in weighted)
    if mixture["target_tokens"] is None:
        remaining = min((r["tokens"] * weights / r["weight"] for r in weighted), default=0.0)
    else:
        remaining = max(mixture["target_tokens"] - fixed, 0)
    result = {}
    for r in rows:
        if r["epochs"] is not None:
            tokens = r["epochs"] * r["tokens"]
        else:
            tokens = remaining * r["weight"] / weights if r in weighted else 0.0
        result[r["source"]] = {"tokens": tokens, "available": r["tokens"]}
    total = sum(v["tokens"] for v in result.values())
    for value in result.values():
        value["proportion"] = value["tokens"] / total if total else 0.0
        value["epochs"] = value["tokens"] / value["available"] if value["available"] else 0.0
    return result


def collect_compare(run_a: str | Path, run_b: str | Path) -> dict[str, Any]:
    root_a, root_b = Path(run_a), Path(run_b)
    record_a, stats_a, export_a = _load(root_a)
    record_b, stats_b, export_b = _load(root_b)
    sources_a, sources_b = stats_a["sources"], stats_b["sources"]
    order = [s.get("name") for s in (record_b.get("manifest") or {}).get("sources", []) if isinstance(s, dict)]
    order += [s.get("name") for s in (record_a.get("manifest") or {}).get("sources", []) if isinstance(s, dict)]
    present = set(sources_a) | set(sources_b)
    names = list(dict.fromkeys([n for n in order if n in present] + sorted(present)))
    sources = [
        {
            "source": name,
            "only": "A" if name not in sources_b else "B" if name not in sources_a else None,
            "stages": _stage_deltas(sources_a.get(name), sources_b.get(name)),
        }
        for name in names
    ]
    mixture_a = _mixture(sources_a, export_a, record_a.get("manifest") or {})
    mixture_b = _mixture(sources_b, export_b, record_b.get("manifest") or {})
    mix_a, mix_b = _proportions(mixture_a), _proportions(mixture_b)
    mixture = []
    for name in names:
        ma, mb = mix_a.get(name, {}), mix_b.get(name, {})
        mixture.append(
            {
                "source": name,
                "a_tokens": round(ma.get("tokens", 0)),
                "b_tokens": round(mb.get("tokens", 0)),
                "delta_tokens": round(mb.get("tokens", 0)) - round(ma.get("tokens", 0)),
                "a_proportion": ma.get("proportion", 0.0),
                "b_proportion": mb.get("proportion", 0.0),
                "delta_proportion": mb.get("proportion", 0.0) - ma.get("proportion", 0.0),
                "a_epochs": ma.get("epochs"),
                "b_epochs": mb.get("epochs"),
            }
        )

    def summary(record: dict[str, Any], stats: dict[str, Any], root: Path) -> dict[str, Any]:
        return {
            "name": record.get("name"),
            "directory": str(root),
            "manifest_digest": record.get("manifest_digest"),
            "status": record.get("status"),
            "accounting_ok": (stats.get("accounting") or {}).get("ok"),
        }

    return {
        "kind": "compare",
        "compare": {
            "a": summary(record_a, stats_a, root_a),
            "b": summary(record_b, stats_b, root_b),
            "manifest_changes": manifest_changes(record_a.get("manifest") or {}, record_b.get("manifest") or {}),
            "sources": sources,
            "mixture": mixture,
            "mixture_estimated": mixture_a["estimated"] or mixture_b["estimated"],
        },
    }


def compare_lines(data: dict[str, Any]) -> list[str]:
    """A few plain lines for logs (the nightly job): the stages whose counts changed, and the mixture."""
    compare = data["compare"]
    lines = [
        f"{compare['a']['name']} ({compare['a']['directory']}) → {compare['b']['name']} ({compare['b']['directory']})"
    ]
    lines += [f"  manifest {c['path']}: {c['a']} → {c['b']}" for c in compare["manifest_changes"]]
    for source in compare["sources"]:
        for stage in source["stages"]:
            if stage["delta_in"] or stage["delta_kept"]:
                lines.append(
                    f"  {source['source']}.{stage['stage']}: in {stage['a_in']:,} → {stage['b_in']:,}, "
                    f"kept {stage['a_kept']:,} → {stage['b_kept']:,} ({stage['delta_kept']:+,})"
                )
    for row in compare["mixture"]:
        if row["delta_tokens"]:
            lines.append(
                f"  mixture {row['source']}: {row['a_tokens']:,} → {row['b_tokens']:,} tokens "
                f"({100 * row['delta_proportion']:+.2f} points)"
            )
    if len(lines) == 1:
        lines.append("  no changes in counts or mixture")
    return lines
