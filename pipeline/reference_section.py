"""The manifest's ``reference_models`` section: how the run trains its perplexity and quality models.

```yaml
reference_models:
  model_dir: out/models          # default: <run.output>/models; reused while the inputs do not change
  reference_source: wikipedia    # default: the first source of kind wikipedia
  languages: [en]                # default: every language with at least min_documents reference pages
  corpus_source: cc              # web documents: classifier negatives and the perplexity cutoffs' sample
  corpus_through: langid         # take them after this stage of corpus_source (raw extractions + language)
  sentencepiece: {vocab_size: 8000}
  kenlm: {order: 5, prune: [], memory: 512M}
  cutoffs: {from: corpus, percentiles: [30, 60]}
  classifier: {negatives: full_page, max_examples: 20000}
```
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SentencePieceSettings(_Strict):
    vocab_size: int = Field(default=8000, ge=100, description="Upper bound; small corpora get fewer pieces.")


class KenLMSettings(_Strict):
    order: int = Field(default=5, ge=2, le=9, description="n-gram order (CCNet: 5).")
    prune: list[int] = Field(default_factory=list, description="lmplz --prune counts per order, e.g. [0, 0, 1].")
    memory: str = Field(default="512M", pattern=r"^\d+[%KMGkmg]?$", description="lmplz -S (sorting memory).")

    @field_validator("prune")
    @classmethod
    def _prune(cls, value: list[int]) -> list[int]:
        if value and (value[0] != 0 or any(b < a for a, b in pairwise(value))):
            raise ValueError("lmplz needs unigram pruning 0 and non-decreasing thresholds, e.g. [0, 0, 1]")
        return value


class CutoffSettings(_Strict):
    source: Literal["corpus", "reference"] = Field(
        default="corpus",
        alias="from",
        description="Percentiles of the corpus sample (CCNet) or of the reference text; corpus falls back to "
        "reference for languages with fewer than min_documents sampled documents.",
    )
    percentiles: tuple[int, int] = Field(default=(30, 60), description="CCNet's head/middle/tail cut-offs.")
    min_documents: int = Field(default=20, ge=1)

    @field_validator("percentiles")
    @classmethod
    def _ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not 0 < value[0] < value[1] < 100:
            raise ValueError("two percentiles with 0 < low < high < 100")
        return value


class ClassifierSettings(_Strict):
    negatives: Literal["full_page", "main_text"] = Field(
        default="full_page",
        description="Web negatives as the page's whole text (raw Common Crawl, like WET; GPT-3) or as the main text "
        "the extract stage keeps. Full pages scored better on held-out boilerplate (docs/quality.md).",
    )
    max_examples: int = Field(default=20000, gt=0, description="Per class, paragraph chunks.")
    epoch: int = Field(default=20, gt=0)
    lr: float = Field(default=0.2, gt=0)
    word_ngrams: int = Field(default=2, ge=1, le=5)
    dim: int = Field(default=32, gt=0)
    bucket: int = Field(default=200_000, gt=0, description="Hashed n-gram buckets (model size ~ 4*dim*bucket bytes).")


class ReferenceModelsSection(_Strict):
    model_dir: str | None = None
    reference_source: str | None = None
    languages: list[str] | None = None
    min_documents: int = Field(default=3, ge=1, description="Reference pages a language needs for a model.")
    max_reference_documents: int = Field(default=200000, gt=0)
    corpus_source: str | None = None
    corpus_through: str | None = None
    corpus_sample: int = Field(default=5000, gt=0, description="Documents of corpus_source read for training.")
    seed: int = 0
    sentencepiece: SentencePieceSettings = SentencePieceSettings()
    kenlm: KenLMSettings = KenLMSettings()
    cutoffs: CutoffSettings = CutoffSettings()
    classifier: ClassifierSettings = ClassifierSettings()

    def problems(self, sources: list[Any]) -> list[tuple[str, str]]:
        """Cross-checks against the validated sources (SourceSpec objects)."""
        found: list[tuple[str, str]] = []
        by_name = {source.name: source for source in sources}
        for key in ("reference_source", "corpus_source"):
            name = getattr(self, key)
            if name is not None and name not in by_name:
                found.append((f"reference_models.{key}", f"no source named {name!r}; sources: {', '.join(by_name)}"))
        if self.corpus_through is not None and self.corpus_source in by_name:
            names = [stage.name for stage in by_name[self.corpus_source].stages]
            if self.corpus_through not in names:
                message = f"source {self.corpus_source!r} has no stage {self.corpus_through!r}; its stages: {names}"
                found.append(("reference_models.corpus_through", message))
        return found
