"""Which manifest setting cuts which score column, so histograms can mark their thresholds.

Stages name their limits ``min_<metric>``/``max_<metric>`` and their columns ``<prefix>_<metric>``
(``gopher_quality.min_words`` cuts ``gopher_words``), so the match is by name, never by stage:
a new filter gets its thresholds marked without a change here. The column's prefix must start
the stage's name (``gopher`` → ``gopher_quality``, ``lang`` → ``langid``) unless the setting
names the whole column (``max_ppl``). Per-language tables are read two ways: a
``per_language`` mapping beside ``min_score`` (langid), and a filter's ``params(lang)``
(the ROOTS per-language cut-offs). Dict-valued limits keyed by n (``max_dup_ngram_char_fraction:
{5: 0.15}``) expand to the ``5gram`` columns. ``*cutoff*`` mappings of language to numbers
mark every cut-off of columns with the stage's prefix (perplexity buckets).
"""

from __future__ import annotations

from typing import Any

from stages.registry import stage_class, stage_names


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _stage_config(name: str, params: Any) -> dict[str, Any] | None:
    if name not in stage_names():
        return None
    try:
        config = stage_class(name).config_model.model_validate(params or {})
    except Exception:  # a run from an older manifest schema: no thresholds rather than no report
        return None
    return config.model_dump()


def _limits(fields: dict[str, Any]) -> list[tuple[str, str, float, str | None]]:
    """(metric, 'min'|'max', value, lang) for every numeric limit in a config dump."""
    found: list[tuple[str, str, float, str | None]] = []
    for field, value in fields.items():
        kind = field[:3]
        if kind not in ("min", "max") or not field.startswith(("min_", "max_")):
            continue
        metric = field[4:]
        if _numeric(value):
            found.append((metric, kind, float(value), None))
        elif isinstance(value, dict) and "ngram" in metric:
            for n, limit in value.items():
                if _numeric(limit):
                    found.append((metric.replace("ngram", f"{n}gram"), kind, float(limit), None))
    return found


def _per_language(fields: dict[str, Any]) -> list[tuple[str, str, float, str]]:
    found: list[tuple[str, str, float, str]] = []
    per_language = fields.get("per_language")
    if isinstance(per_language, dict) and "min_score" in fields:
        found += [("score", "min", float(v), lang) for lang, v in per_language.items() if _numeric(v)]
    return found


def _filter_params(stage: str, fields: dict[str, Any], languages: list[str]) -> list[tuple[str, str, float, str]]:
    """Per-language limits of filters that expose ``params(lang)`` (the ROOTS table)."""
    cls = stage_class(stage)
    filter_class = getattr(cls, "filter_class", None)
    if filter_class is None or not hasattr(filter_class, "params"):
        return []
    own = {k: v for k, v in fields.items() if k in filter_class.config_model.model_fields}
    try:
        instance = filter_class(filter_class.config_model.model_validate(own))
    except Exception:
        return []
    found: list[tuple[str, str, float, str]] = []
    for lang in languages:
        try:
            params = instance.params(lang)
        except Exception:
            continue
        if params is None:
            continue
        dump = params.model_dump() if hasattr(params, "model_dump") else dict(params)
        found += [(m, k, v, lang) for m, k, v, _ in _limits(dump)]
    return found


def _cutoffs(fields: dict[str, Any]) -> list[tuple[str, float, str | None]]:
    """(field, value, lang) from ``*cutoff*`` settings: a number, a list, or language → number(s)."""
    found: list[tuple[str, float, str | None]] = []
    for field, value in fields.items():
        if "cutoff" not in field:
            continue
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for lang, limits in items:
            for limit in limits if isinstance(limits, list | tuple) else [limits]:
                if _numeric(limit):
                    found.append((field, float(limit), None if lang is None else str(lang)))
    return found


def _abbreviates(prefix: str, stage: str) -> bool:
    """``gopher`` → ``gopher_quality``; ``ppl`` → ``perplexity`` (its letters in order)."""
    if stage.startswith(prefix):
        return True
    letters = iter(stage)
    return bool(prefix) and prefix[0] == stage[0] and all(ch in letters for ch in prefix)


def column_matches(column: str, stage: str, metric: str, field: str) -> bool:
    prefix, _, rest = column.partition("_")
    if column in (f"min_{metric}", f"max_{metric}") or field in (f"min_{column}", f"max_{column}"):
        return True
    return bool(rest) and stage.startswith(prefix) and rest in (metric, field)


def thresholds_for(
    manifest: dict[str, Any], columns: list[str], languages: dict[str, list[str]]
) -> dict[str, list[dict[str, Any]]]:
    """Column → [{source, stage, setting, kind, value, lang}] from every source's stage configs."""
    marks: dict[str, list[dict[str, Any]]] = {c: [] for c in columns}
    for source in manifest.get("sources", []) or []:
        if not isinstance(source, dict):
            continue
        source_name = str(source.get("name"))
        for entry in source.get("stages", []) or []:
            if isinstance(entry, str):
                entry = {entry: {}}
            if not isinstance(entry, dict) or len(entry) != 1:
                continue
            stage, params = next(iter(entry.items()))
            loaded = _stage_config(stage, params)
            if loaded is None:
                continue
            fields = loaded
            limits = [(m, k, v, None) for m, k, v, _ in _limits(fields)]
            limits += _per_language(fields)
            limits += _filter_params(stage, fields, languages.get(source_name, []))
            for column in columns:
                seen = set()
                for metric, kind, value, lang in limits:
                    field = f"{kind}_{metric}"
                    if not column_matches(column, stage, metric, field) or (lang, kind, value) in seen:
                        continue
                    seen.add((lang, kind, value))
                    marks[column].append(
                        {"source": source_name, "stage": stage, "setting": field, "kind": kind, "value": value}
                        | ({"lang": lang} if lang else {})
                    )
                if _abbreviates(column.partition("_")[0], stage):
                    for setting, value, lang in _cutoffs(fields):
                        marks[column].append(
                            {"source": source_name, "stage": stage, "setting": setting, "kind": "cutoff"}
                            | {"value": value}
                            | ({"lang": lang} if lang else {})
                        )
    return {c: m for c, m in marks.items() if m}
