"""The Wikipedia-reference quality classifier as a stage: a ``quality_score`` column and the manifest's filter.

Filtering is a threshold (keep ``quality_score >= min_score``, as RedPajama-v1) or GPT-3's Pareto
sampling (keep when ``pareto(alpha) > 1 - quality_score``, GPT-3 appendix A, alpha = 9). The Pareto
draw is seeded per document id, so a document's fate does not depend on batching or executor.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pyarrow as pa
import xxhash
from pydantic import BaseModel, ConfigDict, Field, model_validator

from stages.base import Stage, StageConfig, StageResult, Verdict
from stages.reference_models.classifier import QualityClassifierModel
from stages.reference_models.store import ModelDirError, ModelStore
from stages.registry import register_stage


class ParetoSampling(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    alpha: float = Field(default=9.0, gt=0, description="GPT-3 used 9: mostly high scores, some low ones kept.")
    seed: int = 0


class QualityClassifierConfig(StageConfig):
    model_dir: str | None = Field(
        default=None,
        description="Directory with quality_classifier.bin; null: the run trains it (reference_models section).",
    )
    min_score: float | None = Field(default=None, ge=0, le=1, description="Keep documents scoring at least this.")
    pareto: ParetoSampling | None = Field(default=None, description="GPT-3's stochastic filter instead of a threshold.")
    only_languages: list[str] | None = Field(default=None, description="Score only these languages; others pass.")
    verify_hashes: bool = True

    @model_validator(mode="after")
    def _one_filter(self) -> QualityClassifierConfig:
        if self.min_score is not None and self.pareto is not None:
            raise ValueError("choose min_score or pareto, not both")
        return self


def pareto_keep(doc_id: str, score: float, sampling: ParetoSampling) -> bool:
    """GPT-3: keep when ``np.random.pareto(alpha) > 1 - score``, with a generator seeded by (seed, document id)."""
    rng = np.random.default_rng([sampling.seed, xxhash.xxh64_intdigest(doc_id)])
    return bool(rng.pareto(sampling.alpha) > 1.0 - score)


@register_stage
class QualityClassifier(Stage[QualityClassifierConfig]):
    name = "quality_classifier"
    config_model = QualityClassifierConfig
    holds_model = True
    reference_models: ClassVar[tuple[str, ...]] = ("quality_classifier",)  # the runner fills in a null model_dir

    def setup(self) -> None:
        if self.config.model_dir is None:
            raise ModelDirError(
                "quality_classifier: no model_dir. Run it through `curate run` (which trains the classifier) "
                "or set quality_classifier.model_dir to a directory with quality_classifier.bin"
            )
        self.model = QualityClassifierModel.from_store(ModelStore(self.config.model_dir), self.config.verify_hashes)
        self.languages = set(self.config.only_languages) if self.config.only_languages is not None else None

    def process(self, batch: pa.Table) -> StageResult:
        ids = batch.column("id").to_pylist()
        texts = batch.column("text").to_pylist()
        langs = batch.column("lang").to_pylist()
        chosen = [i for i, lang in enumerate(langs) if self.languages is None or lang in self.languages]
        scores: list[float | None] = [None] * len(texts)
        for index, score in zip(chosen, self.model.scores([texts[i] for i in chosen]), strict=True):
            scores[index] = score
        verdicts: list[Verdict | None] = []
        for doc_id, score in zip(ids, scores, strict=True):
            if score is None:
                verdicts.append(None)
            elif self.config.min_score is not None and score < self.config.min_score:
                verdicts.append(Verdict.drop("quality_below_min"))
            elif self.config.pareto is not None and not pareto_keep(doc_id, score, self.config.pareto):
                verdicts.append(Verdict.drop("quality_pareto_sampled_out"))
            else:
                verdicts.append(None)
        column = pa.array(scores, pa.float64())
        index = batch.schema.get_field_index("quality_score")
        if index >= 0:
            return StageResult(batch.set_column(index, "quality_score", column), verdicts)
        return StageResult(batch.append_column("quality_score", column), verdicts)
