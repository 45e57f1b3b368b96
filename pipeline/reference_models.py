"""Training (or reusing) the reference models that model-based stages need, before a run or via ``curate train-lm``.

For each language: SentencePiece + KenLM on the reference corpus (by default the manifest's
Wikipedia source, as CCNet). Then the perplexity cut-offs (CCNet's p30/p60, from a sample of the
web corpus or from the reference text) and the fastText reference-vs-random classifier.
Every model records a digest of its training inputs and settings; a model whose digest and file
hashes still match is reused instead of retrained.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.chain import FATE_STAGE, apply_stage, read_part
from pipeline.manifest import Manifest, SourceSpec, StageSpec
from pipeline.plan import SourcePlan, build_plan
from pipeline.reference_section import ReferenceModelsSection
from stages.html_text import declared_charset, decode_html
from stages.reference_models import LanguageModel, ModelStore, train_language_model, train_quality_classifier
from stages.reference_models.lm import compute_cutoffs
from stages.reference_models.store import write_json
from stages.registry import stage_class

LANGUAGE_MODELS, CLASSIFIER = "language_models", "quality_classifier"
FULL_PAGE = "_full_page"
HOLD_OUT_EVERY = 10
INPUTS_RECORD = "inputs.json"  # the last training's input fingerprint, for reuse without reading the sources
Log = Callable[[str], None]


class ReferenceModelError(Exception):
    """The manifest cannot provide what the reference models need (no reference source, no corpus, ...)."""


@dataclass
class TrainingReport:
    model_dir: Path
    trained: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def needed_models(spec: StageSpec) -> tuple[str, ...]:
    """What a stage needs from the reference models (its class declares it); empty when it has its own."""
    if getattr(spec.config, "model_dir", "set") is not None:
        return ()
    return tuple(getattr(stage_class(spec.name), "reference_models", ()))


def section_of(manifest: Manifest) -> ReferenceModelsSection:
    return manifest.reference_models or ReferenceModelsSection()


def model_dir_of(manifest: Manifest, run_root: str | Path | None = None) -> Path:
    section = section_of(manifest)
    root = Path(section.model_dir) if section.model_dir else Path(run_root or manifest.run.output) / "models"
    return root.resolve()


def resolve_reference_models(manifest: Manifest, run_root: str | Path, log: Log | None = None) -> Manifest:
    """Train or reuse what the manifest's model stages need, and point those stages at the model directory."""
    needs = {need for source in manifest.sources for spec in source.stages for need in needed_models(spec)}
    if not needs:
        return manifest
    model_dir = model_dir_of(manifest, run_root)
    train_reference_models(manifest, model_dir, needs, log)
    sources = []
    for source in manifest.sources:
        stages = tuple(
            StageSpec(spec.name, spec.config.model_copy(update={"model_dir": str(model_dir)}))
            if needed_models(spec)
            else spec
            for spec in source.stages
        )
        sources.append(dataclasses.replace(source, stages=stages))
    return dataclasses.replace(manifest, sources=tuple(sources))


def models_in_use(manifest: Manifest) -> dict[str, Any]:
    """Model directory → its models' recorded sha256s, for every stage that reads one (for run.json)."""
    used: dict[str, Any] = {}
    for source in manifest.sources:
        for spec in source.stages:
            model_dir = getattr(spec.config, "model_dir", None)
            if not getattr(stage_class(spec.name), "reference_models", ()) or model_dir is None:
                continue
            store = ModelStore(model_dir)
            metas = [store.lm_meta(lang) for lang in store.lm_languages()] + [store.classifier_meta]
            files: dict[str, str] = {}
            for path in metas:
                files.update((store.read_json(path) or {}).get("files", {}))
            used[str(model_dir)] = files
    return used


def split_reference(texts: list[str]) -> tuple[list[str], list[str]]:
    """(training, held out): every tenth reference document is kept out of the language model, so that cut-offs
    taken from the reference text are not those of text the model has memorised. Under ten documents: no split."""
    if len(texts) < HOLD_OUT_EVERY:
        return texts, []
    return [t for i, t in enumerate(texts) if i % HOLD_OUT_EVERY], texts[::HOLD_OUT_EVERY]


def _digest(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            digest.update(part.encode())
            digest.update(b"\x00")
        else:
            digest.update(json.dumps(part, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _texts_digest(texts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(hashlib.sha256(text.encode()).digest())
    return digest.hexdigest()


def reference_source(manifest: Manifest, section: ReferenceModelsSection) -> SourceSpec:
    if section.reference_source is not None:
        return next(s for s in manifest.sources if s.name == section.reference_source)
    for source in manifest.sources:
        if source.kind == "wikipedia":
            return source
    raise ReferenceModelError(
        "the reference models are trained on a Wikipedia source, and the manifest has none: add one, "
        "set reference_models.reference_source, or give the model stages a model_dir"
    )


def corpus_source(manifest: Manifest, section: ReferenceModelsSection, reference: SourceSpec) -> SourceSpec | None:
    if section.corpus_source is not None:
        return next(s for s in manifest.sources if s.name == section.corpus_source)
    candidates = [s for s in manifest.sources if s.name != reference.name]
    for source in candidates:
        if any(needed_models(spec) for spec in source.stages):
            return source
    return next((s for s in candidates if s.kind == "common_crawl"), None)


def read_reference_texts(plan: SourcePlan, max_documents: int) -> dict[str, list[str]]:
    """The reference source's documents as its reader cleans them (no stages), by language."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    reader = plan.make_reader()
    count = 0
    for part in plan.parts:
        for result in reader.read(part, 256, plan.spec.limit):
            batch = result.batch
            for text, lang, verdict in zip(
                batch.column("text").to_pylist(), batch.column("lang").to_pylist(), result.verdicts, strict=True
            ):
                if verdict is None and text and lang:
                    by_lang[lang].append(text)
                    count += 1
            if count >= max_documents:
                return dict(by_lang)
    return dict(by_lang)


def corpus_stage_count(spec: SourceSpec, through: str | None) -> int:
    """How many of the source's batch stages to apply to get 'raw' documents with a language."""
    names = [stage.name for stage in spec.stages]
    if through is not None:
        return names.index(through) + 1
    for default in ("langid", "extract"):
        if default in names:
            return names.index(default) + 1
    return 0


@dataclass
class CorpusDocument:
    lang: str | None
    text: str  # after the stages (the main text for HTML pages)
    full_page: str  # the whole page's text, boilerplate included (the text itself for WET records and non-web sources)


def full_page_text(raw: bytes | None) -> str | None:
    """All the text of an HTML page, boilerplate included, as Common Crawl's WET files have it."""
    if raw is None:
        return None
    from resiliparse.extract.html2text import extract_plain_text

    try:
        html = decode_html(raw, declared_charset(None, raw[:4096]))
        return extract_plain_text(html, main_content=False)
    except Exception:  # the sample is best effort: such a page falls back to its main text
        return None


def read_corpus_sample(plan: SourcePlan, through: str | None, sample: int) -> list[CorpusDocument]:
    """The first ``sample`` live documents of the corpus source after its first stages (and their full pages)."""
    stages = plan.make_stages()[: corpus_stage_count(plan.spec, through)]
    for stage in stages:
        stage.setup()
    reader = plan.make_reader()
    documents: list[CorpusDocument] = []
    for part in plan.parts:
        for batch in read_part(reader, part, 256, plan.spec.limit):
            raw = batch.column("html").to_pylist() if "html" in batch.column_names else [None] * batch.num_rows
            # Internal ("_") columns ride along unchanged through apply_stage.
            batch = batch.append_column(FULL_PAGE, pa.array([full_page_text(r) for r in raw], pa.string()))
            for index, stage in enumerate(stages, start=1):
                batch = apply_stage(stage, index, batch)
            alive = batch.filter(pc.is_null(batch.column(FATE_STAGE)))
            columns = [alive.column(name).to_pylist() for name in ("lang", "text", FULL_PAGE)]
            for lang, text, full in zip(*columns, strict=True):
                if text:
                    documents.append(CorpusDocument(lang, text, full or text))
            if len(documents) >= sample:
                return documents[:sample]
    return documents


def train_reference_models(
    manifest: Manifest,
    model_dir: Path,
    needs: set[str] | None = None,
    log: Log | None = None,
    force: bool = False,
) -> TrainingReport:
    """Train or reuse the language models, cut-offs and classifier in ``model_dir``."""
    log = log or (lambda message: None)
    section = section_of(manifest)
    plan = build_plan(manifest)
    reference = reference_source(manifest, section)
    corpus = corpus_source(manifest, section, reference)
    if needs is None:  # `curate train-lm`: everything the manifest can give
        needs = {LANGUAGE_MODELS, CLASSIFIER} if corpus is not None else {LANGUAGE_MODELS}
    store = ModelStore(model_dir)
    report = TrainingReport(model_dir)
    # Unchanged input files and settings: reuse without reading the sources again (a full dump takes hours to parse).
    sources = [plan.source(reference.name)] + ([plan.source(corpus.name)] if corpus is not None else [])
    quick_key = _digest("inputs/v2", [_fingerprint(p) for p in sources], section.model_dump(), sorted(needs))
    if not force and _still_valid(store, quick_key, report):
        log("inputs unchanged: reusing every model")
        return report
    log(f"reading reference source {reference.name!r}")
    texts = read_reference_texts(plan.source(reference.name), section.max_reference_documents)
    counts = {lang: len(docs) for lang, docs in texts.items()}
    languages = section.languages or sorted(lang for lang, n in counts.items() if n >= section.min_documents)
    for lang in sorted(set(counts) - set(languages)):
        report.skipped[lang] = f"{counts[lang]} reference documents (< min_documents {section.min_documents})"
    missing = [lang for lang in languages if not texts.get(lang)]
    if missing:
        raise ReferenceModelError(f"reference source {reference.name!r} has no documents in {', '.join(missing)}")
    if not languages:
        raise ReferenceModelError(f"reference source {reference.name!r} gave no language with enough documents")
    sample: list[CorpusDocument] = []
    if corpus is not None and (CLASSIFIER in needs or section.cutoffs.source == "corpus"):
        log(f"reading a sample of corpus source {corpus.name!r}")
        sample = read_corpus_sample(plan.source(corpus.name), section.corpus_through, section.corpus_sample)

    lm_digests: dict[str, str] = {}
    if LANGUAGE_MODELS in needs:
        for lang in languages:
            settings = {"sp": section.sentencepiece.model_dump(), "kenlm": section.kenlm.model_dump(), "lang": lang}
            training, _ = split_reference(texts[lang])
            digest = _digest("language_model/v1", settings, _texts_digest(training))
            lm_digests[lang] = digest
            meta = store.read_json(store.lm_meta(lang))
            if not force and meta and meta.get("inputs_digest") == digest and store.recorded_files_match(meta):
                report.reused.append(f"{lang} language model")
                continue
            log(f"training the {lang} language model on {len(training)} documents")
            train_language_model(
                lang,
                training,
                store,
                order=section.kenlm.order,
                prune=section.kenlm.prune,
                vocab_size=section.sentencepiece.vocab_size,
                memory=section.kenlm.memory,
                inputs_digest=digest,
            )
            report.trained.append(f"{lang} language model")
        _cutoffs(store, section, languages, texts, sample, lm_digests, report, force)

    if CLASSIFIER in needs:
        if not sample:
            raise ReferenceModelError(
                "the quality classifier needs random web documents as negatives: set reference_models.corpus_source "
                "to a Common Crawl source (or give quality_classifier a model_dir)"
            )
        positives = [text for lang in languages for text in texts[lang]]
        negatives = [doc.full_page if section.classifier.negatives == "full_page" else doc.text for doc in sample]
        settings = section.classifier.model_dump()
        digest = _digest("classifier/v1", settings, section.seed, _texts_digest(positives), _texts_digest(negatives))
        meta = store.read_json(store.classifier_meta)
        if not force and meta and meta.get("inputs_digest") == digest and store.recorded_files_match(meta):
            report.reused.append("quality classifier")
        else:
            log(f"training the quality classifier ({len(positives)} reference vs {len(negatives)} web documents)")
            train_quality_classifier(
                positives,
                negatives,
                store,
                max_examples=section.classifier.max_examples,
                seed=section.seed,
                fasttext_params={
                    "epoch": section.classifier.epoch,
                    "lr": section.classifier.lr,
                    "wordNgrams": section.classifier.word_ngrams,
                    "dim": section.classifier.dim,
                    "bucket": section.classifier.bucket,
                },
                inputs_digest=digest,
            )
            report.trained.append("quality classifier")
    record = {
        "quick_key": quick_key,
        "languages": languages if LANGUAGE_MODELS in needs else [],
        "classifier": CLASSIFIER in needs,
        "models": report.trained + report.reused,
        "skipped": report.skipped,
    }
    write_json(store.root / INPUTS_RECORD, record)
    return report


def _fingerprint(plan: SourcePlan) -> list[Any]:
    """What decides a source's documents, cheaply: kind, options, limit, and each input's size and mtime."""
    files = []
    for part in plan.parts:
        try:
            stat = os.stat(part.uri)
            files.append([part.uri, stat.st_size, stat.st_mtime_ns])
        except OSError:  # a remote input: its URL only
            files.append([part.uri, None, None])
    stages = [[spec.name, spec.config.model_dump(mode="json")] for spec in plan.spec.stages]
    return [plan.spec.kind, plan.spec.options.model_dump(mode="json"), plan.spec.limit, stages, files]


def _still_valid(store: ModelStore, quick_key: str, report: TrainingReport) -> bool:
    record = store.read_json(store.root / INPUTS_RECORD)
    if not record or record.get("quick_key") != quick_key:
        return False
    metas = [store.read_json(store.lm_meta(lang)) for lang in record["languages"]]
    if record["classifier"]:
        metas.append(store.read_json(store.classifier_meta))
    if not all(store.recorded_files_match(meta) for meta in metas):
        return False
    if record["languages"] and not store.cutoffs_file.is_file():
        return False
    report.reused.extend(record["models"])
    report.skipped.update(record["skipped"])
    return True


def _cutoffs(
    store: ModelStore,
    section: ReferenceModelsSection,
    languages: list[str],
    texts: dict[str, list[str]],
    sample: list[CorpusDocument],
    lm_digests: dict[str, str],
    report: TrainingReport,
    force: bool,
) -> None:
    """CCNet-style per-language perplexity percentiles, stored in cutoffs.json."""
    settings = section.cutoffs.model_dump()
    digest = _digest("cutoffs/v1", settings, lm_digests, _texts_digest(f"{d.lang}\t{d.text}" for d in sample))
    previous = store.read_json(store.cutoffs_file)
    if not force and previous and previous.get("inputs_digest") == digest:
        report.reused.append("perplexity cutoffs")
        return
    by_lang: dict[str, list[str]] = defaultdict(list)
    for doc in sample:
        if doc.lang in lm_digests:
            by_lang[doc.lang].append(doc.text)
    result: dict[str, Any] = {}
    for lang in languages:
        model = LanguageModel.from_store(store, lang)
        use_corpus = section.cutoffs.source == "corpus" and len(by_lang[lang]) >= section.cutoffs.min_documents
        training, held_out = split_reference(texts[lang])
        documents = by_lang[lang] if use_corpus else held_out or training
        cutoffs = compute_cutoffs((model.perplexity(t) for t in documents), section.cutoffs.percentiles)
        if cutoffs is None:
            continue
        result[lang] = {
            **cutoffs,
            "percentiles": list(section.cutoffs.percentiles),
            "from": "corpus" if use_corpus else "reference" if held_out else "reference_training_text",
            "documents": len(documents),
        }
    write_json(store.cutoffs_file, {"inputs_digest": digest, "languages": result})
    report.trained.append("perplexity cutoffs")
