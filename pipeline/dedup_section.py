"""The manifest's top-level ``dedup`` section: deduplication across sources.

```yaml
dedup:
  exact: whitespace                      # or lowercase_whitespace, none, null (off)
  minhash: {threshold: 0.8, num_perm: 128, ngram: 5, verify: false}   # null: exact only
  priority: [wikipedia, books, arxiv, github, cc]   # survivor sources, best first
  sources: null                          # which sources take part; null: all
  alarms: {max_source_loss: 0.5, max_cluster_size: 1000, fail_on_alarm: false}
  state: null                            # dedup against an earlier run's dedup/state.parquet
```

It becomes one whole-run stage, ``cross_source_dedup``, appended last to every taking-part
source: it decides once over all of them (after their own dedup stages) and is applied to each.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

SECTION = "dedup"
STAGE = "cross_source_dedup"


def with_dedup_section(raw: Any, sources: list[Any], problems: list[tuple[str, str]]) -> list[Any]:
    """``sources`` (SourceSpec or None) with the section's stage appended; problems named by YAML path."""
    from pipeline.manifest import SourceSpec, StageSpec, _errors
    from stages.dedup.near import CrossSourceDedupConfig

    if raw is None:
        return sources
    try:
        config = CrossSourceDedupConfig.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_errors(SECTION, exc))
        return sources
    names = [s.name for s in sources if s is not None]
    for key in ("sources", "priority"):
        for i, name in enumerate(getattr(config, key) or []):
            if name not in names:
                problems.append((f"{SECTION}.{key}[{i}]", f"no source named {name!r}; sources: {', '.join(names)}"))
    taking_part = set(config.sources if config.sources is not None else names)
    out = []
    for spec in sources:
        if spec is not None and spec.name in taking_part:
            spec = SourceSpec(**{**spec.__dict__, "stages": (*spec.stages, StageSpec(STAGE, config))})
        out.append(spec)
    return out
