"""The model directory: CCNet's file layout plus our metadata, hashes and perplexity cutoffs.

```
models/
  en.sp.model  en.arpa.bin  en.lm.json      SentencePiece, KenLM binary, training metadata (sha256s, corpus size, order)
  cutoffs.json                              per-language perplexity percentiles (CCNet: p30 head / p60 tail)
  quality_classifier.bin  quality_classifier.json
```
A user may point at a directory of CCNet models (``{lang}.arpa.bin`` + ``{lang}.sp.model``) without any JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CUTOFFS_FILE = "cutoffs.json"
CLASSIFIER_FILE = "quality_classifier.bin"
CLASSIFIER_META = "quality_classifier.json"


class ModelDirError(Exception):
    """A model directory that lacks a file it needs, or holds one that does not match its recorded hash."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temporary file, then rename), so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w") as out:
        json.dump(data, out, indent=2, sort_keys=True, ensure_ascii=False)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


class ModelStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def sp_model(self, lang: str) -> Path:
        return self.root / f"{lang}.sp.model"

    def lm_binary(self, lang: str) -> Path:
        return self.root / f"{lang}.arpa.bin"

    def lm_meta(self, lang: str) -> Path:
        return self.root / f"{lang}.lm.json"

    @property
    def cutoffs_file(self) -> Path:
        return self.root / CUTOFFS_FILE

    @property
    def classifier(self) -> Path:
        return self.root / CLASSIFIER_FILE

    @property
    def classifier_meta(self) -> Path:
        return self.root / CLASSIFIER_META

    def lm_languages(self) -> list[str]:
        """Languages with both a SentencePiece model and a KenLM binary."""
        if not self.root.is_dir():
            return []
        langs = [p.name.removesuffix(".arpa.bin") for p in self.root.glob("*.arpa.bin")]
        return sorted(lang for lang in langs if self.sp_model(lang).is_file())

    def read_json(self, path: Path) -> dict[str, Any] | None:
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None

    def cutoffs(self) -> dict[str, dict[str, Any]]:
        return (self.read_json(self.cutoffs_file) or {}).get("languages", {})

    def verify(self, files: dict[str, str]) -> None:
        """Check recorded sha256s (file name → hash); raises ModelDirError on the first mismatch."""
        for name, expected in files.items():
            path = self.root / name
            if not path.is_file():
                raise ModelDirError(f"{path}: missing (recorded in the model metadata); retrain with `curate train-lm`")
            actual = sha256_file(path)
            if actual != expected:
                raise ModelDirError(f"{path}: sha256 {actual} does not match the recorded {expected}; retrain it")

    def recorded_files_match(self, meta: dict[str, Any] | None) -> bool:
        if not meta or "files" not in meta:
            return False
        try:
            self.verify(meta["files"])
        except ModelDirError:
            return False
        return True
