"""Registry of language-identification models: name, file, sha256, licence, label format and origin.

Models are never downloaded: they come from an installed pip package or a local path.
"""

from langid_models.registry import (
    MODELS,
    LangIdModel,
    ModelError,
    ModelInfo,
    load_model,
    resolve_model_file,
)

__all__ = ["MODELS", "LangIdModel", "ModelError", "ModelInfo", "load_model", "resolve_model_file"]
