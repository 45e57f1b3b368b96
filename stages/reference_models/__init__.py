"""Reference models for the model-based quality layer (CCNet perplexity, the Wikipedia-reference classifier).

``lm``: train SentencePiece + KenLM per language (``lmplz``/``build_binary``) and score documents.
``classifier``: train the fastText "looks like Wikipedia" classifier (in its own process) and score documents.
``store``: the model directory layout (CCNet's ``{lang}.arpa.bin`` + ``{lang}.sp.model``), hashes and metadata.
"""

from stages.reference_models.classifier import QualityClassifierModel, train_quality_classifier
from stages.reference_models.lm import LanguageModel, train_language_model
from stages.reference_models.store import ModelDirError, ModelStore

__all__ = [
    "LanguageModel",
    "ModelDirError",
    "ModelStore",
    "QualityClassifierModel",
    "train_language_model",
    "train_quality_classifier",
]
