"""fastText language identification: writes ``lang`` and ``lang_score``, drops unwanted languages."""

from __future__ import annotations

import json

import pyarrow as pa
from pydantic import Field

from langid_models import LangIdModel, load_model
from stages.base import Stage, StageConfig, StageResult, Verdict
from stages.registry import register_stage


class LangIdConfig(StageConfig):
    model: str = Field(default="lid.176.ftz", description="Registered model name or a local fastText model path.")
    keep: list[str] | None = Field(default=None, description="Languages to keep (lid.176 codes); null keeps all.")
    min_score: float = Field(default=0.0, ge=0, le=1, description="Minimum probability of the top language.")
    per_language: dict[str, float] = Field(
        default_factory=dict, description="Per-language minimum scores (ROOTS set them per language)."
    )
    top_k: int = Field(default=1, ge=1, le=10, description="Above 1, also store the top-k as JSON in lang_top.")
    max_chars: int | None = Field(default=None, gt=0, description="Predict on at most this many characters.")

    def threshold(self, lang: str) -> float:
        return self.per_language.get(lang, self.min_score)


def prediction_text(text: str, max_chars: int | None) -> str:
    """fastText predicts one line: newlines become spaces, runs of whitespace one space."""
    if max_chars is not None:
        text = text[:max_chars]
    return " ".join(text.split())


@register_stage
class LangId(Stage[LangIdConfig]):
    name = "langid"
    config_model = LangIdConfig
    holds_model = True

    model: LangIdModel

    def setup(self) -> None:
        self.model = load_model(self.config.model)

    def process(self, batch: pa.Table) -> StageResult:
        texts = batch.column("text").to_pylist()
        lines = [prediction_text(t or "", self.config.max_chars) for t in texts]
        predictions = self.model.predict(lines, k=self.config.top_k) if lines else []
        langs: list[str | None] = []
        scores: list[float | None] = []
        verdicts: list[Verdict | None] = []
        keep = set(self.config.keep) if self.config.keep is not None else None
        for line, top in zip(lines, predictions, strict=True):
            if not line:
                langs.append(None)
                scores.append(None)
                verdicts.append(Verdict.drop("empty_text"))
                continue
            lang, score = top[0]
            langs.append(lang)
            scores.append(min(score, 1.0))
            if keep is not None and lang not in keep:
                verdicts.append(Verdict.drop("lang_not_selected"))
            elif score < self.config.threshold(lang):
                verdicts.append(Verdict.drop("lang_low_confidence"))
            else:
                verdicts.append(None)
        out = batch.set_column(batch.schema.get_field_index("lang"), "lang", pa.array(langs, pa.string()))
        out = out.set_column(out.schema.get_field_index("lang_score"), "lang_score", pa.array(scores, pa.float32()))
        if self.config.top_k > 1:
            top_json = [json.dumps([[lang, round(s, 4)] for lang, s in top]) for top in predictions]
            out = out.append_column("lang_top", pa.array(top_json, pa.string()))
        return StageResult(out, verdicts)
