"""What a deduplication stage decides about one document, beyond keep or drop.

A whole-source stage may return, per document id, either the plain ``(Verdict, detail)`` of
``GlobalStage.decide`` or a ``DedupDecision``, which also carries the cluster and its
survivor (for the rejects and the audit), or a rewritten text (line-level dedup keeps the
document with fewer lines). Counts of a rewrite (``*_count`` keys) are summed into the run's
counters, like the ``*_count`` columns of map stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stages.base import Verdict

PREVIEW_CHARS = 200


@dataclass(frozen=True)
class DedupDecision:
    verdict: Verdict | None  # None: the document stays, with ``text`` as its new text
    cluster: str | None = None
    survivor: str | None = None
    survivor_source: str | None = None
    source: str | None = None
    preview: str | None = None
    survivor_preview: str | None = None
    text: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def detail(self) -> str | None:
        return self.survivor

    @classmethod
    def rewrite(cls, text: str, counts: dict[str, int]) -> DedupDecision:
        return cls(None, text=text, counts=counts)


def preview(text: str | None) -> str:
    return " ".join((text or "")[: PREVIEW_CHARS * 2].split())[:PREVIEW_CHARS]
