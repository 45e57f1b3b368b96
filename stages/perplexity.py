"""CCNet perplexity: a ``ppl`` and a ``ppl_bucket`` column per document, and the manifest's filter on them.

Models come from a model directory: one that ``curate train-lm`` (or the run itself) filled from
the reference corpus, or a directory of CCNet models (``{lang}.arpa.bin`` + ``{lang}.sp.model``).
Documents in a language without a model pass unscored: ``ppl`` stays null and
``ppl_unscored_count`` is 1, so the run's stats count them.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import pyarrow as pa
from pydantic import Field, model_validator

from stages.base import Stage, StageConfig, StageResult, Verdict
from stages.reference_models.lm import BUCKETS, LanguageModel, bucket_of
from stages.reference_models.store import ModelDirError, ModelStore
from stages.registry import register_stage

Bucket = Literal["head", "middle", "tail"]


class PerplexityConfig(StageConfig):
    model_dir: str | None = Field(
        default=None,
        description="Directory with {lang}.sp.model + {lang}.arpa.bin (and cutoffs.json). "
        "Null: the run trains them from the manifest's reference_models section.",
    )
    languages: list[str] | None = Field(default=None, description="Score only these languages; null: every model.")
    max_ppl: dict[str, float] = Field(
        default_factory=dict, description="ROOTS-style: drop documents above this perplexity, per language."
    )
    keep_buckets: list[Bucket] | None = Field(
        default=None, description="LLaMA/CCNet-style: keep only these buckets (head, middle, tail); null keeps all."
    )
    verify_hashes: bool = Field(default=True, description="Check the models' recorded sha256 when loading.")

    @model_validator(mode="after")
    def _positive_maxima(self) -> PerplexityConfig:
        bad = [lang for lang, value in self.max_ppl.items() if value <= 0]
        if bad:
            raise ValueError(f"max_ppl must be positive (languages {', '.join(bad)})")
        return self


@register_stage
class Perplexity(Stage[PerplexityConfig]):
    name = "perplexity"
    config_model = PerplexityConfig
    holds_model = True
    reference_models: ClassVar[tuple[str, ...]] = ("language_models",)  # the runner fills in a null model_dir

    def setup(self) -> None:
        if self.config.model_dir is None:
            raise ModelDirError(
                "perplexity: no model_dir. Run it through `curate run` (which trains the reference models) "
                "or set perplexity.model_dir to a directory with {lang}.arpa.bin and {lang}.sp.model"
            )
        store = ModelStore(self.config.model_dir)
        langs = store.lm_languages()
        if self.config.languages is not None:
            langs = [lang for lang in langs if lang in set(self.config.languages)]
        if not langs:
            raise ModelDirError(f"{store.root}: no {{lang}}.arpa.bin + {{lang}}.sp.model pair found")
        self.models = {lang: LanguageModel.from_store(store, lang, self.config.verify_hashes) for lang in langs}
        self.cutoffs = store.cutoffs()
        missing = sorted(set(self.config.max_ppl) - set(self.models))
        if missing:
            raise ModelDirError(f"perplexity.max_ppl names {', '.join(missing)} but {store.root} has no model for it")
        if self.config.keep_buckets is not None:
            uncut = sorted(lang for lang in self.models if lang not in self.cutoffs)
            if uncut:
                raise ModelDirError(
                    f"perplexity.keep_buckets needs cutoffs, and {store.root / 'cutoffs.json'} has none for "
                    f"{', '.join(uncut)}; retrain with `curate train-lm` or filter with max_ppl instead"
                )

    def process(self, batch: pa.Table) -> StageResult:
        texts = batch.column("text").to_pylist()
        langs = batch.column("lang").to_pylist()
        ppls: list[float | None] = []
        buckets: list[str | None] = []
        unscored: list[int] = []
        verdicts: list[Verdict | None] = []
        keep = set(self.config.keep_buckets) if self.config.keep_buckets is not None else set(BUCKETS)
        for text, lang in zip(texts, langs, strict=True):
            model = self.models.get(lang)
            ppl = model.perplexity(text or "") if model is not None else None
            cutoffs = self.cutoffs.get(lang)
            bucket = bucket_of(ppl, cutoffs) if ppl is not None and cutoffs else None
            ppls.append(ppl)
            buckets.append(bucket)
            unscored.append(int(ppl is None))
            limit = self.config.max_ppl.get(lang)
            if ppl is not None and limit is not None and ppl > limit:
                verdicts.append(Verdict.drop("ppl_above_max"))
            elif bucket is not None and bucket not in keep:
                verdicts.append(Verdict.drop(f"ppl_{bucket}"))
            else:
                verdicts.append(None)
        out = _put(batch, "ppl", pa.array(ppls, pa.float64()))
        out = _put(out, "ppl_bucket", pa.array(buckets, pa.string()))
        out = _put(out, "ppl_unscored_count", pa.array(unscored, pa.int64()))
        return StageResult(out, verdicts)


def _put(batch: pa.Table, name: str, column: pa.Array) -> pa.Table:
    index = batch.schema.get_field_index(name)
    return batch.set_column(index, name, column) if index >= 0 else batch.append_column(name, column)
