"""Everything the report shows, gathered from a run directory into one JSON-able dict.

It reads ``run.json`` and ``stats.json``, the score columns of the kept and rejected
Parquet files (streamed, two passes: range, then counts), a capped sample of documents
per (source, stage, reason), and the dedup audit and export summary when those exist.
The corpus text is never loaded whole: texts are read for samples and character counts
one file at a time.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.report.config import ReportSection
from pipeline.report.thresholds import thresholds_for

DOCUMENT_COLUMNS = ("id", "source", "text", "url", "path", "lang", "meta", "fate", "reason")
COUNTER_SUFFIX = "_count"
PII_PREFIX = "pii_"
CHARS_PER_TOKEN = 4.0  # estimate for runs without an export (English BPE is about 4 characters a token)
OTHER_LANGUAGE = "other"
NO_LANGUAGE = "none"


class NotARunDirectory(Exception):
    """The folder has no run.json/stats.json."""


def _read_json(path: Path) -> Any | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def report_section(manifest: dict[str, Any]) -> ReportSection:
    return ReportSection.model_validate(manifest.get("report") or {})


def _files(root: Path, area: str, source: str) -> list[Path]:
    folder = root / area / source
    return sorted(folder.glob("*/*.parquet")) if folder.is_dir() else []


def _reject_files(root: Path, stage: str, source: str) -> list[Path]:
    return _files(root, f"rejects/{stage}", source)


def score_columns(schema: pa.Schema) -> list[str]:
    """Numeric columns that are scores: not the document fields, not the ``*_count`` counters."""
    names = []
    for field in schema:
        if field.name in DOCUMENT_COLUMNS or field.name.startswith("_") or field.name.endswith(COUNTER_SUFFIX):
            continue
        if pa.types.is_integer(field.type) or pa.types.is_floating(field.type):
            names.append(field.name)
    return names


MAX_CATEGORIES = 30  # a text column with more distinct values is not a category (e.g. lang_top JSON)


def category_columns(schema: pa.Schema) -> list[str]:
    """Text columns stages add as labels (``ppl_bucket``): not the document fields."""
    return [
        f.name
        for f in schema
        if f.name not in DOCUMENT_COLUMNS
        and not f.name.startswith("_")
        and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type) or pa.types.is_boolean(f.type))
    ]


def _categories(scanned: list[_Scanned]) -> list[dict[str, Any]]:
    """Value counts of label columns per source, kept and dropped; columns with many or long values are left out."""
    counts: dict[str, Counter[tuple[str, str, bool]]] = defaultdict(Counter)
    for item in scanned:
        columns = category_columns(item.schema)
        if not columns:
            continue
        table = pq.read_table(item.path, columns=columns)
        for column in columns:
            if len(counts[column]) > 4 * MAX_CATEGORIES:
                continue
            values, ns = _value_counts(table.column(column).combine_chunks().cast(pa.string()))
            for value, n in zip(values, ns, strict=True):
                counts[column][(item.source, "(null)" if value is None else value, item.kept)] += n
    # A label is written on kept documents too (ppl_bucket); rejects-only text (a dedup 'detail') is not one.
    on_kept = {c for item in scanned if item.kept for c in category_columns(item.schema)}
    result = []
    for column, counted in sorted(counts.items()):
        values = {value for _, value, _ in counted}
        if column not in on_kept or len(values) > MAX_CATEGORIES or max(map(len, values)) > 64:
            continue
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for (source, value, kept), n in sorted(counted.items()):
            row = rows.setdefault((source, value), {"source": source, "value": value, "kept": 0, "dropped": 0})
            row["kept" if kept else "dropped"] += n
        if any(r["value"] != "(null)" for r in rows.values()):
            result.append({"column": column, "counts": list(rows.values())})
    return result


class _Scanned:
    """The files of one (source, kept-or-rejected) group with their score columns."""

    def __init__(self, path: Path, source: str, kept: bool) -> None:
        self.path = path
        self.source = source
        self.kept = kept
        self.schema = pq.read_schema(path)
        self.columns = score_columns(self.schema)

    def read(self, columns: list[str]) -> pa.Table:
        wanted = [c for c in columns if c in self.schema.names]
        return pq.read_table(self.path, columns=wanted)


def _edges(low: float, high: float, bins: int) -> tuple[list[float], bool]:
    """Bin edges; logarithmic when the values are positive and span more than three decades."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0], False
    if high <= low:
        return [low - 0.5, high + 0.5] if low == high else [low, high], False
    if low > 0 and high / low > 1000:
        a, b = math.log10(low), math.log10(high)
        return [10 ** (a + (b - a) * i / bins) for i in range(bins + 1)], True
    return [low + (high - low) * i / bins for i in range(bins + 1)], False


def _bin_counts(values: pa.Array, edges: list[float], log: bool) -> list[int]:
    values = pc.drop_null(values).cast(pa.float64())
    values = values.filter(pc.is_finite(values))
    bins = len(edges) - 1
    counts = [0] * bins
    if len(values) == 0:
        return counts
    low, high = edges[0], edges[-1]
    if log:
        scaled = pc.divide(
            pc.subtract(pc.log10(pc.max_element_wise(values, low)), math.log10(low)), math.log10(high) - math.log10(low)
        )
    else:
        scaled = pc.divide(pc.subtract(values, low), high - low)
    index = pc.cast(pc.floor(pc.multiply(scaled, bins)), pa.int64())
    index = pc.min_element_wise(pc.max_element_wise(index, 0), bins - 1)
    for value, n in zip(*_value_counts(index), strict=True):
        counts[value] += n
    return counts


def _value_counts(array: pa.Array) -> tuple[list[Any], list[int]]:
    counted = pc.value_counts(array)
    return counted.field("values").to_pylist(), counted.field("counts").to_pylist()


def _language_keys(table: pa.Table, top: set[str]) -> pa.Array:
    """Each row's language for the histograms: a top language, 'other', or 'none' when unknown."""
    if "lang" not in table.column_names:
        return pa.array([NO_LANGUAGE] * table.num_rows, pa.string())
    langs = table.column("lang").combine_chunks().cast(pa.string())
    named = pc.if_else(pc.is_in(langs, value_set=pa.array(sorted(top), pa.string())), langs, OTHER_LANGUAGE)
    return pc.if_else(pc.is_null(langs), NO_LANGUAGE, named)


def _histograms(
    scanned: list[_Scanned], top_languages: set[str], bins: int, marks: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """One histogram per score column: counts per (source, language, kept/dropped) over shared bins.

    A column with a single value (a flag nobody tripped) is drawn over the range of its
    thresholds too, so the threshold shows where it sits instead of on the edge.
    """
    columns = sorted({c for s in scanned for c in s.columns})
    ranges: dict[str, list[float]] = {}
    for item in scanned:  # pass 1: the range of every column
        table = item.read(item.columns)
        for column in item.columns:
            values = table.column(column).cast(pa.float64())
            values = pc.drop_null(values)
            values = values.filter(pc.is_finite(values)) if len(values) else values
            if not len(values):
                continue
            low, high = pc.min_max(values).values()
            low, high = low.as_py(), high.as_py()
            current = ranges.setdefault(column, [low, high])
            current[0], current[1] = min(current[0], low), max(current[1], high)
    for column, (low, high) in ranges.items():
        if low == high and marks.get(column):
            values = [low, *(m["value"] for m in marks[column])]
            ranges[column] = [min(values), max(values)]
    layout = {c: _edges(*ranges[c], bins) for c in columns if c in ranges}
    counts: dict[str, dict[tuple[str, str], dict[str, list[int]]]] = defaultdict(dict)
    for item in scanned:  # pass 2: counts
        table = item.read([*item.columns, "lang"])
        keys = _language_keys(table, top_languages)
        for key in sorted(set(pc.unique(keys).to_pylist())):
            rows = table.filter(pc.equal(keys, key))
            for column in item.columns:
                if column not in layout:
                    continue
                edges, log = layout[column]
                got = _bin_counts(rows.column(column), edges, log)
                if not any(got):
                    continue
                cell = counts[column].setdefault((item.source, key), {"kept": [0] * (len(edges) - 1)})
                cell.setdefault("dropped", [0] * (len(edges) - 1))
                target = cell["kept" if item.kept else "dropped"]
                for i, n in enumerate(got):
                    target[i] += n
    result = []
    for column in columns:
        if column not in layout:
            continue
        edges, log = layout[column]
        cells = [
            {"source": source, "lang": lang, "kept": cell["kept"], "dropped": cell["dropped"]}
            for (source, lang), cell in sorted(counts[column].items())
        ]
        result.append({"column": column, "edges": edges, "log": log, "cells": cells})
    return result


def _shorten(text: Any, limit: int) -> tuple[str | None, int]:
    if text is None:
        return None, 0
    text = str(text)
    return (text if len(text) <= limit else text[:limit] + "…"), len(text)


def _sample_row(row: dict[str, Any], scores: list[str], limit: int) -> dict[str, Any]:
    text, chars = _shorten(row.get("text"), limit)
    meta, _ = _shorten(row.get("meta"), 300)
    values = {}
    for column in scores:
        value = row.get(column)
        if isinstance(value, int | float) and math.isfinite(value):
            values[column] = round(float(value), 4)
    return {
        "id": row.get("id"),
        "url": _shorten(row.get("url") or row.get("path"), 300)[0],
        "lang": row.get("lang"),
        "text": text,
        "chars": chars,
        "meta": meta,
        "scores": values,
    }


def _samples_from(paths: list[Path], limit: int, max_chars: int, by_reason: bool) -> dict[str, list[dict[str, Any]]]:
    """Up to ``limit`` rows per reason (or in all, for kept documents), reading files until full."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if limit <= 0:
        return found
    for path in paths:
        schema = pq.read_schema(path)
        if by_reason:
            reasons = pq.read_table(path, columns=["reason"]).column("reason").to_pylist()
            wanted = [i for i, r in enumerate(reasons) if len(found[r or ""]) < limit]
        else:
            wanted = list(range(min(limit - len(found[""]), pq.ParquetFile(path).metadata.num_rows)))
        if not wanted:
            continue
        table = pq.read_table(path).take(pa.array(wanted, pa.int64()))
        scores = score_columns(schema)
        for row in table.to_pylist():
            key = (row.get("reason") or "") if by_reason else ""
            if len(found[key]) < limit:
                found[key].append(_sample_row(row, scores, max_chars) | {"fate": row.get("fate")})
        if not by_reason and len(found[""]) >= limit:
            break
    return found


def _text_chars(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        if "text" not in pq.read_schema(path).names:
            continue
        column = pq.read_table(path, columns=["text"]).column("text")
        total += int(pc.sum(pc.utf8_length(column)).as_py() or 0)
    return total


def _languages(paths: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in paths:
        if "lang" not in pq.read_schema(path).names:
            continue
        values, ns = _value_counts(pq.read_table(path, columns=["lang"]).column("lang"))
        for value, n in zip(values, ns, strict=True):
            counts[value if value is not None else NO_LANGUAGE] += n
    return counts


def _mixture(sources: dict[str, Any], export: dict[str, Any] | None, manifest: dict[str, Any]) -> dict[str, Any]:
    """Tokens per source and the starting weights/epochs of the mixture editor."""
    rows: dict[str, dict[str, Any]] = {}
    if export and export.get("mixture"):
        for entry in export["mixture"]:
            row = rows.setdefault(
                entry["source"],
                {"source": entry["source"], "documents": 0, "tokens": 0, "weight": None, "epochs": None},
            )
            row["documents"] += int(entry.get("documents") or 0)
            row["tokens"] += int(entry.get("tokens_available") or 0)
            if entry.get("weight") is not None:
                row["weight"] = (row["weight"] or 0.0) + float(entry["weight"])
            elif row["weight"] is None:  # an epochs row: the epochs asked for, not the realised ones
                requested = entry.get("requested_epochs", entry.get("epochs"))
                row["epochs"] = float(requested) if requested is not None else 1.0
        target = export.get("target_tokens")
        estimated = False
    else:
        for name, data in sources.items():
            kept = data["stages"][-1]["kept"] if data["stages"] else 0
            rows[name] = {
                "source": name,
                "documents": kept,
                "tokens": round(data.get("kept_chars", 0) / CHARS_PER_TOKEN),
                "weight": None,
                "epochs": None,
            }
        planned = ((manifest.get("export") or {}).get("mixture") or {}) if isinstance(manifest, dict) else {}
        for name, spec in planned.items() if isinstance(planned, dict) else []:
            if name in rows and isinstance(spec, dict):
                if spec.get("weight") is not None:
                    rows[name]["weight"] = float(spec["weight"])
                elif spec.get("epochs") is not None:
                    rows[name]["epochs"] = float(spec["epochs"])
        target = (manifest.get("export") or {}).get("target_tokens") if isinstance(manifest, dict) else None
        estimated = True
    total = sum(r["tokens"] for r in rows.values())
    if all(r["weight"] is None and r["epochs"] is None for r in rows.values()):
        for row in rows.values():  # no plan: the natural mixture, one epoch of everything
            row["weight"] = row["tokens"] / total if total else 0.0
    for row in rows.values():
        if row["weight"] is None and row["epochs"] is None:
            row["weight"] = 0.0
    return {
        "estimated": estimated,
        "chars_per_token": CHARS_PER_TOKEN if estimated else None,
        "target_tokens": int(target) if target else None,  # None: the export's no-repeat rule
        "rows": list(rows.values()),
    }


def collect(run_dir: str | Path) -> dict[str, Any]:
    root = Path(run_dir)
    record = _read_json(root / "run.json")
    stats = _read_json(root / "stats.json")
    if record is None or stats is None:
        raise NotARunDirectory(f"{root}: no run.json or stats.json (not a finished curate run directory)")
    manifest = record.get("manifest") or {}
    config = report_section(manifest)
    dedup = _read_json(root / "dedup" / "audit.json")
    export = _read_json(root / "export" / "export.json")
    exported_tokens: Counter[str] = Counter()
    for entry in (export or {}).get("mixture") or []:
        exported_tokens[entry["source"]] += int(entry.get("tokens_written") or 0)

    sources = []
    languages: dict[str, dict[str, int]] = {}
    scanned: list[_Scanned] = []
    samples = []
    for name, data in _in_manifest_order(stats["sources"], manifest):
        kept_files = _files(root, "parts", name)
        stages = []
        dropped_chars = []
        for stage in data["stages"]:
            rejects = _reject_files(root, stage["stage"], name)
            dropped_chars.append(_text_chars(rejects))
            scanned += [_Scanned(p, name, kept=False) for p in rejects]
            for reason, rows in sorted(
                _samples_from(rejects, config.samples_per_reason, config.max_chars, True).items()
            ):
                fate = rows[0]["fate"] if rows else None
                samples.append({"source": name, "stage": stage["stage"], "fate": fate, "reason": reason, "docs": rows})
            stages.append(dict(stage))
        kept_chars = int(data.get("kept_chars", 0))
        for index, stage in enumerate(stages):  # characters as each document left the pipeline
            stage["chars_in"] = kept_chars + sum(dropped_chars[index:])
            stage["chars_dropped"] = dropped_chars[index]
            stage["chars_kept"] = stage["chars_in"] - dropped_chars[index]
        kept_samples = _samples_from(kept_files, config.samples_per_reason, config.max_chars, False).get("", [])
        samples.append({"source": name, "stage": "(kept)", "fate": "kept", "reason": "kept", "docs": kept_samples})
        scanned += [_Scanned(p, name, kept=True) for p in kept_files]
        languages[name] = dict(_languages(kept_files).most_common())
        pii = {
            key[len(PII_PREFIX) : -len(COUNTER_SUFFIX)]: value
            for key, value in (data.get("counters") or {}).items()
            if key.startswith(PII_PREFIX) and key.endswith(COUNTER_SUFFIX)
        }
        sources.append(
            {
                "name": name,
                "kind": data.get("kind"),
                "parts": data.get("parts"),
                "kept_chars": kept_chars,
                "tokens_exported": exported_tokens.get(name),
                "counters": data.get("counters") or {},
                "pii": pii,
                "unfinished_parts": data.get("unfinished_parts") or {},
                "stages": stages,
            }
        )

    all_languages: Counter[str] = Counter()
    for item in scanned:
        if "lang" in item.schema.names:
            values, ns = _value_counts(pq.read_table(item.path, columns=["lang"]).column("lang"))
            all_languages.update({v: n for v, n in zip(values, ns, strict=True) if v is not None})
    top = {lang for lang, _ in all_languages.most_common(config.max_languages)}
    source_languages = {s["name"]: sorted(set(languages[s["name"]]) - {NO_LANGUAGE}) for s in sources}
    marks = thresholds_for(manifest, sorted({c for s in scanned for c in s.columns}), source_languages)
    histograms = _histograms(scanned, top, config.histogram_bins, marks)
    for histogram in histograms:
        histogram["thresholds"] = marks.get(histogram["column"], [])

    return {
        "kind": "run",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "curate_version": _version(),
        "run": {
            key: record.get(key)
            for key in (
                "name",
                "status",
                "seed",
                "manifest_digest",
                "content_digest",
                "limit_override",
                "versions",
                "platform",
                "attempts",
                "timings",
            )
        }
        | {"manifest": manifest, "directory": str(root)},
        "accounting": stats.get("accounting") or {"ok": None, "problems": []},
        "sources": sources,
        "languages": languages,
        "histograms": histograms,
        "categories": _categories(scanned),
        "dedup": dedup,
        "export": _export_summary(export),
        "mixture": _mixture(dict(_in_manifest_order(stats["sources"], manifest)), export, manifest),
        "samples": samples,
        "settings": config.model_dump(),
    }


def _export_summary(export: dict[str, Any] | None) -> dict[str, Any] | None:
    if export is None:
        return None
    summary = {k: v for k, v in export.items() if k != "shards"}
    shards = export.get("shards") or []
    summary["shard_count"] = len(shards)
    return summary


def _version() -> str:
    try:
        return metadata.version("curate")
    except metadata.PackageNotFoundError:
        return "unknown"


def _in_manifest_order(sources: dict[str, Any], manifest: dict[str, Any]) -> list[tuple[str, Any]]:
    """stats.json sorts its keys; the report follows the manifest, as the run table does."""
    order = [s.get("name") for s in manifest.get("sources", []) if isinstance(s, dict)]
    rank = {name: index for index, name in enumerate(order)}
    return sorted(sources.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
