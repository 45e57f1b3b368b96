"""Main-text extraction from raw HTML (trafilatura by default)."""

from __future__ import annotations

import json

import pyarrow as pa
from pydantic import Field

from stages.base import Stage, StageConfig, StageResult, Verdict
from stages.html_text import (
    ExtractEngine,
    HTMLTooDeep,
    UndecodableHTML,
    declared_charset,
    decode_html,
    extract_main_text,
)
from stages.registry import register_stage
from stages.time_limit import TimeLimitExceeded, time_limit


class ExtractConfig(StageConfig):
    engine: ExtractEngine = Field(
        default="trafilatura_precision_rescue",
        description="Best F1 on the extraction benchmark (docs/extraction.md); 'trafilatura_fast_rescue' is 2x faster.",
    )
    timeout_s: float = Field(default=5.0, gt=0, description="Per-document wall-clock limit.")
    max_html_bytes: int = Field(
        default=5_000_000, gt=0, description="Larger pages are errored unread: no real article needs more."
    )
    min_chars: int = Field(default=1, ge=0, description="Extractions shorter than this are dropped as empty.")


@register_stage
class Extract(Stage[ExtractConfig]):
    """Turns the ``html`` column into ``text``, then drops the raw bytes."""

    name = "extract"
    config_model = ExtractConfig

    def process(self, batch: pa.Table) -> StageResult:
        if "html" not in batch.column_names:
            return StageResult(batch, [None] * batch.num_rows)
        texts: list[str | None] = batch.column("text").to_pylist()
        verdicts: list[Verdict | None] = []
        metas = batch.column("meta").to_pylist()
        for index, (raw, url) in enumerate(
            zip(batch.column("html").to_pylist(), batch.column("url").to_pylist(), strict=True)
        ):
            if raw is None:  # already text (a WET record)
                verdicts.append(None)
                continue
            text, verdict = self._extract(raw, url, metas[index])
            texts[index] = text
            verdicts.append(verdict)
        out = batch.drop_columns(["html"]).set_column(
            batch.schema.get_field_index("text"), "text", pa.array(texts, pa.string())
        )
        return StageResult(out, verdicts)

    def _extract(self, raw: bytes, url: str | None, meta: str | None) -> tuple[str | None, Verdict | None]:
        if len(raw) > self.config.max_html_bytes:
            return None, Verdict.error("html_too_large")
        content_type = json.loads(meta).get("content_type") if meta else None
        try:
            html = decode_html(raw, declared_charset(content_type, raw[:4096]))
        except UndecodableHTML:
            return None, Verdict.error("undecodable")
        try:
            with time_limit(self.config.timeout_s):
                text = extract_main_text(html, self.config.engine, url)
        except TimeLimitExceeded:
            return None, Verdict.error("extract_timeout")
        except HTMLTooDeep:
            return None, Verdict.error("html_too_deep")
        except RecursionError:
            return None, Verdict.error("extract_recursion")
        except Exception as exc:  # the extractor's own bugs must cost one document, not the worker
            return None, Verdict.error(f"extract_failed:{type(exc).__name__}")
        text = text.strip()
        if len(text) < self.config.min_chars:
            return None, Verdict.drop("no_main_text")
        return text, None
