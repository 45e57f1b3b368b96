"""CCNet line-level deduplication (Wenzek et al. 2020, section 3.3) within a source.

Every line is normalised (lower case, digits as 0, no punctuation) and hashed; a line whose
hash occurs in ``min_documents`` or more documents of the source (menus, cookie notices,
footers) is removed from all of them. Documents keep their other lines; a document whose
every non-empty line goes is dropped as ``all_lines_duplicated``. The removed lines and
characters are counted (``lines_dedup_removed_lines_count``, ``lines_dedup_removed_chars_count``).

Memory: two passes over the texts; between them only a 64-bit hash per distinct (line,
document) pair is held, sorted in numpy (16 bytes per line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
from pydantic import Field

from stages.base import GlobalStage, StageConfig, Verdict
from stages.dedup.audit import AlarmConfig, stage_audit
from stages.dedup.decision import DedupDecision
from stages.dedup.text import line_hash
from stages.registry import register_stage

REMOVED_LINES = "lines_dedup_removed_lines_count"
REMOVED_CHARS = "lines_dedup_removed_chars_count"


class LinesDedupConfig(StageConfig):
    min_documents: int = Field(default=2, ge=2, description="A line in this many documents is boilerplate.")
    min_chars: int = Field(default=1, ge=1, description="Shorter normalised lines are never removed.")
    alarms: AlarmConfig = AlarmConfig()


def _line_hashes(text: str, min_chars: int) -> list[int]:
    """One hash per line of ``text`` (0 for lines too short to judge)."""
    hashes = []
    for line in text.split("\n"):
        value = line_hash(line)
        hashes.append(value if value and len(line.strip()) >= min_chars else 0)
    return hashes


@register_stage
class LinesDedup(GlobalStage[LinesDedupConfig]):
    name = "lines_dedup"
    config_model = LinesDedupConfig
    columns = ("id", "source", "text")

    def __init__(self, config: LinesDedupConfig) -> None:
        super().__init__(config)
        self._audit: dict[str, Any] = {}

    def audit(self) -> dict[str, Any]:
        return self._audit

    def decide(self, batches: Iterable[pa.Table]) -> dict[str, DedupDecision]:
        if iter(batches) is batches:
            batches = list(batches)
        seen = []
        in_by_source: Counter[str] = Counter()
        for batch in batches:  # pass 1: each distinct line hash once per document
            in_by_source.update(batch.column("source").to_pylist())
            for text in batch.column("text").to_pylist():
                hashes = np.unique(np.array(_line_hashes(text or "", self.config.min_chars), np.uint64))
                seen.append(hashes[hashes != 0])
        values, counts = np.unique(np.concatenate(seen) if seen else np.zeros(0, np.uint64), return_counts=True)
        boilerplate = values[counts >= self.config.min_documents]
        del seen, values, counts
        decisions: dict[str, DedupDecision] = {}
        for batch in batches:  # pass 2: rewrite the documents that hold boilerplate
            for doc_id, text in zip(batch.column("id").to_pylist(), batch.column("text").to_pylist(), strict=True):
                lines = (text or "").split("\n")
                hashes = np.array(_line_hashes(text or "", self.config.min_chars), np.uint64)
                drop = np.isin(hashes, boilerplate) & (hashes != 0)
                if not drop.any():
                    continue
                kept = [line for line, gone in zip(lines, drop, strict=True) if not gone]
                counts = {
                    REMOVED_LINES: int(drop.sum()),
                    REMOVED_CHARS: sum(len(lines[i]) for i in np.flatnonzero(drop)),
                }
                if not any(line.strip() for line in kept):
                    decisions[doc_id] = DedupDecision(Verdict.drop("all_lines_duplicated"), counts=counts)
                else:
                    decisions[doc_id] = DedupDecision.rewrite("\n".join(kept), counts)
        dropped = [d for d in decisions.values() if d.verdict is not None]
        source = next(iter(in_by_source), None)
        params = {"threshold": None, "num_perm": None, "bands": None, "rows": None}
        extra = {
            "boilerplate_line_hashes": len(boilerplate),
            "rewritten_documents": len(decisions) - len(dropped),
            "removed_lines": sum(d.counts[REMOVED_LINES] for d in decisions.values()),
            "removed_chars": sum(d.counts[REMOVED_CHARS] for d in decisions.values()),
        }
        removed = Counter({source: len(dropped)}) if source is not None else Counter()
        self._audit = stage_audit(["lines"], params, in_by_source, removed, {}, self.config.alarms, extra)
        return decisions
