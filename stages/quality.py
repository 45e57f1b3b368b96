"""Heuristic quality filters as stages: every score becomes a column, every drop has a reason."""

from __future__ import annotations

from typing import Any, ClassVar

import pyarrow as pa
from pydantic import Field, create_model

from filters.base import Filter, FilterConfig, LineCleaner
from filters.c4 import C4Quality
from filters.code import CodeHeuristics
from filters.fineweb import FineWebQuality
from filters.gopher import GopherQuality, GopherRepetition
from filters.roots import RootsFilters
from stages.base import Stage, StageResult, Verdict
from stages.registry import register_stage


def _stage_config(filter_class: type[Filter]) -> type[FilterConfig]:
    """The filter's own config plus the options every filter stage shares."""
    return create_model(
        f"{filter_class.__name__}StageConfig",
        __base__=filter_class.config_model,
        only_languages=(
            list[str] | None,
            Field(default=None, description="Apply only to documents in these languages; others pass."),
        ),
    )


class FilterStage(Stage[Any]):
    """Runs one filter over the live documents of a batch."""

    filter_class: ClassVar[type[Filter]]

    def setup(self) -> None:
        filter_fields = self.filter_class.config_model.model_fields
        own = {k: v for k, v in self.config.model_dump().items() if k in filter_fields}
        self.filter = self.filter_class(self.filter_class.config_model.model_validate(own))
        self.languages = set(self.config.only_languages) if self.config.only_languages is not None else None

    def process(self, batch: pa.Table) -> StageResult:
        texts = batch.column("text").to_pylist()
        langs = batch.column("lang").to_pylist()
        cleaner = self.filter if isinstance(self.filter, LineCleaner) else None
        all_scores: list[dict[str, float] | None] = []
        verdicts: list[Verdict | None] = []
        for index, (text, lang) in enumerate(zip(texts, langs, strict=True)):
            if self.languages is not None and lang not in self.languages:
                all_scores.append(None)
                verdicts.append(None)
                continue
            text = text or ""
            scores: dict[str, float] = {}
            if cleaner is not None:
                text, scores = cleaner.clean(text, lang)
                texts[index] = text
                if not text.strip():
                    all_scores.append(scores)
                    verdicts.append(Verdict.drop(f"{self.name}_nothing_left"))
                    continue
            scores.update(self.filter.score(text, lang))
            decision = self.filter.decide(scores, lang)
            all_scores.append(scores)
            verdicts.append(None if decision.keep else Verdict.drop(decision.reason or self.name))
        out = batch
        if cleaner is not None:
            out = out.set_column(out.schema.get_field_index("text"), "text", pa.array(texts, pa.string()))
        names = sorted({key for scores in all_scores if scores for key in scores})
        for name in names:
            values = [None if scores is None else scores.get(name) for scores in all_scores]
            column = pa.array(values, pa.float64())
            index = out.schema.get_field_index(name)
            out = out.set_column(index, name, column) if index >= 0 else out.append_column(name, column)
        return StageResult(out, verdicts)


def _filter_stage(stage_name: str, filter_class: type[Filter]) -> type[FilterStage]:
    config_model = _stage_config(filter_class)
    globals()[config_model.__name__] = config_model  # importable by name, so configs pickle to Ray workers
    stage = type(
        f"{filter_class.__name__}Stage",
        (FilterStage,),
        {"name": stage_name, "filter_class": filter_class, "config_model": config_model, "__module__": __name__},
    )
    return register_stage(stage)


GopherQualityStage = _filter_stage("gopher_quality", GopherQuality)
GopherRepetitionStage = _filter_stage("gopher_repetition", GopherRepetition)
C4QualityStage = _filter_stage("c4", C4Quality)
FineWebQualityStage = _filter_stage("fineweb", FineWebQuality)
RootsFiltersStage = _filter_stage("roots_filters", RootsFilters)
CodeHeuristicsStage = _filter_stage("code_heuristics", CodeHeuristics)
