"""``curate train-lm MANIFEST``: train or reuse every reference model the manifest's section describes."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline.manifest import Manifest
from pipeline.reference_models import ReferenceModelError, model_dir_of, train_reference_models
from stages.reference_models.lm import KenLMToolMissing
from stages.reference_models.store import ModelDirError, ModelStore

REFERENCE_MODEL_ERRORS = (ReferenceModelError, KenLMToolMissing, ModelDirError)


def train_lm_command(manifest: Manifest, model_dir: Path | None, force: bool, console: Console) -> int:
    root = model_dir.resolve() if model_dir else model_dir_of(manifest)
    report = train_reference_models(manifest, root, log=lambda message: console.print(f"  {message}"), force=force)
    store = ModelStore(root)
    cutoffs = store.cutoffs()
    table = Table(title=f"reference models in {root}")
    for column in ("language", "documents", "lines", "pieces", "order", "vocab", "head below", "tail from", "cut from"):
        table.add_column(column)
    for lang in store.lm_languages():
        meta = store.read_json(store.lm_meta(lang)) or {}
        corpus = meta.get("corpus", {})
        cut = cutoffs.get(lang, {})
        table.add_row(
            lang,
            *(str(corpus.get(key, "?")) for key in ("documents", "lines", "pieces")),
            str(meta.get("order", "?")),
            str(meta.get("vocab_size", "?")),
            f"{cut['head_below']:.1f}" if cut else "-",
            f"{cut['tail_from']:.1f}" if cut else "-",
            cut.get("from", "-"),
        )
    console.print(table)
    classifier = store.read_json(store.classifier_meta)
    if classifier:
        console.print(f"quality classifier: {classifier['examples']} training chunks")
    console.print(f"trained: {', '.join(report.trained) or 'nothing'}; reused: {', '.join(report.reused) or 'nothing'}")
    for lang, why in report.skipped.items():
        console.print(f"no model for {lang}: {why}")
    return 0
