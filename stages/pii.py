"""PII redaction: replaces e-mails, phones, IPs, cards, IBANs, SSNs, secrets (and optionally handles).

Each document gets a ``pii_<entity>_count`` column; the run sums them per source
(``*_count`` columns become counters in the stats).
"""

from __future__ import annotations

import pyarrow as pa
from pydantic import Field

from filters.pii import ENTITIES, PiiConfig, find_pii, redact
from stages.base import Stage, StageConfig, StageResult
from stages.registry import register_stage


class PiiStageConfig(StageConfig, PiiConfig):
    placeholder: str = Field(
        default="|||{TYPE}|||", description="{TYPE} becomes the entity; the default matches OLMo's PII tokens."
    )


def count_column(entity: str) -> str:
    return f"pii_{entity.lower()}_count"


@register_stage
class PiiRedaction(Stage[PiiStageConfig]):
    name = "pii"
    config_model = PiiStageConfig

    def setup(self) -> None:
        self.detector_config = PiiConfig.model_validate(
            {k: v for k, v in self.config.model_dump().items() if k in PiiConfig.model_fields}
        )

    def process(self, batch: pa.Table) -> StageResult:
        texts = batch.column("text").to_pylist()
        langs = batch.column("lang").to_pylist()
        counts = {entity: [0] * len(texts) for entity in ENTITIES if entity in self.config.entities}
        for index, (text, lang) in enumerate(zip(texts, langs, strict=True)):
            if not text:
                continue
            spans = find_pii(text, self.detector_config, lang)
            if spans:
                texts[index] = redact(text, spans, self.config.placeholder)
                for span in spans:
                    counts[span.entity][index] += 1
        out = batch.set_column(batch.schema.get_field_index("text"), "text", pa.array(texts, pa.string()))
        for entity, values in counts.items():
            out = out.append_column(count_column(entity), pa.array(values, pa.int32()))
        return StageResult(out, [None] * len(texts))
