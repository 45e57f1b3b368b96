"""The export phase: the run's kept documents become mixture-weighted Megatron shards in ``RUN_DIR/export/``.

Phases:

1. **tokenizer**: load one from a path, or train a byte-level BPE on a sample of the run (``models/``).
2. **tokenize** (map; local or Ray tasks): each chunk file of ``parts/`` becomes a flat token array with an EOD
   after every document, plus a small Parquet of its documents. Cached under ``export/.work/<tokenizer>/``,
   so a re-export with the same tokenizer only redoes the cheap phases.
3. **plan** (driver, indices only): documents in canonical order (source, id), the mixture table, copies per
   document and the stream order. Memory is a few integers per document; text is never held.
4. **write**: shards are cut from the stream by size and filled from memory-mapped token arrays; each is
   written to a temporary name and renamed. Then the lineage Parquet, the blend file and ``export.json``.

The same manifest and seed give byte-identical shards whichever executor tokenized them, because each
chunk is tokenized on its own and the plan depends only on document ids and token counts.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from filters.text import words
from pipeline.manifest import Manifest
from pipeline.rundir import RunDir, atomic_write_bytes, atomic_write_json
from stages.export.config import ExportSection
from stages.export.megatron import ShardWriter, token_dtype
from stages.export.mixture import MixtureError, plan_rows, realise, row_of_documents, stable_int, stream_order
from stages.export.tokenize import DOC_SCHEMA, remember_tokenizer, tokenize_chunk
from stages.export.tokenizer import (
    DEFAULT_EOD,
    PII_PLACEHOLDERS,
    ExportTokenizer,
    TokenizerError,
    train_byte_level_bpe,
)

EXPORT_DIR = "export"
SHARD_PREFIX = "shard"
FERTILITY_TOKENS = 20_000  # per language: thousands of words, a stable ratio at a bounded cost


class ExportError(Exception):
    """The export cannot run: no finished run, no documents, an unusable tokenizer or mixture."""


@dataclass
class ExportOptions:
    executor: str = "local"
    address: str | None = None
    num_cpus: int | None = None


# ---------------------------------------------------------------------------------------------------------
# phase 1: tokenizer


def string_codes(column: pa.ChunkedArray | pa.Array, missing: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A string column as its distinct values (nulls as ``missing``) and an integer code per row."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    names = np.array([*encoded.dictionary.to_pylist(), missing], dtype=object)
    return names, pc.fill_null(encoded.indices, len(names) - 1).to_numpy()


def shared_strings(column: pa.ChunkedArray | pa.Array, missing: str | None = None) -> np.ndarray:
    """A string column as a numpy object array whose equal values share one Python string (8 bytes a row,
    where ``to_pylist`` would make a new string per row)."""
    names, codes = string_codes(column, missing)
    return names[codes]


def chunk_files(rundir: RunDir) -> list[Path]:
    """Every chunk of kept documents, in a fixed order."""
    return sorted((rundir.root / "parts").glob("*/*/*.parquet"))


def resolve_tokenizer(rundir: RunDir, section: ExportSection, seed: int) -> ExportTokenizer:
    """The tokenizer at ``tokenizer.path`` (relative to the working directory, like source paths), or one
    trained on this run and kept in ``models/`` (retrained only when its sample or settings change)."""
    spec = section.tokenizer
    if spec.path is not None:
        return ExportTokenizer.load(spec.path, spec.eod_token, spec.name)
    assert spec.train is not None
    config = {"train": spec.train.model_dump(), "mixture": {k: v.model_dump() for k, v in section.mixture.items()}}
    config |= {"seed": seed, "chunks": [str(p.relative_to(rundir.root)) for p in chunk_files(rundir)]}
    tag = xxhash.xxh3_64_hexdigest(json.dumps(config, sort_keys=True))[:12]
    folder = rundir.root / "models" / f"tokenizer-bpe{spec.train.vocab_size}-{tag}"
    path = folder / "tokenizer.json"
    if not path.exists():
        texts = tokenizer_sample(rundir, section, seed)
        if not texts:
            raise ExportError(f"{rundir.root}: no documents to train a tokenizer on")
        specials = [spec.eod_token or DEFAULT_EOD, *PII_PLACEHOLDERS, *spec.train.special_tokens]
        model = train_byte_level_bpe(texts, spec.train.vocab_size, specials, spec.train.min_frequency)
        atomic_write_bytes(path, model.to_str().encode())
        atomic_write_json(folder / "training.json", config | {"sample_documents": len(texts)})
    return ExportTokenizer.load(path, spec.eod_token or DEFAULT_EOD, spec.name or f"bpe{spec.train.vocab_size}-{tag}")


def tokenizer_sample(rundir: RunDir, section: ExportSection, seed: int) -> list[str]:
    """BLOOM's tokenizer sample: documents drawn per (source, language) in the mixture's proportions
    (measured in characters, since there are no tokens yet), each text once."""
    assert section.tokenizer.train is not None
    files = chunk_files(rundir)
    tables = []
    for index, path in enumerate(files):
        table = pq.read_table(path, columns=["id", "source", "lang", "text"])
        chars = pc.fill_null(pc.utf8_length(table.column("text")), 0)
        tables.append(
            pa.table(
                {
                    "id": table.column("id"),
                    "source": table.column("source"),
                    "lang": table.column("lang"),
                    "chars": chars.cast(pa.int64()),
                    "file": pa.array(np.full(table.num_rows, index, dtype=np.int64)),
                    "row": pa.array(np.arange(table.num_rows, dtype=np.int64)),
                }
            )
        )
    if not tables:
        return []
    docs = pa.concat_tables(tables).sort_by([("source", "ascending"), ("id", "ascending")])
    sizes = docs.column("chars").to_numpy()
    keys = row_of_documents(shared_strings(docs.column("source")), shared_strings(docs.column("lang")), section.mixture)
    rows = plan_rows(keys, sizes, section.mixture, None)
    written = {r.key: (r.requested_epochs or 0.0) * r.tokens_available for r in rows}
    total = sum(written.values()) or 1.0
    budget = section.tokenizer.train.sample_chars
    chosen: list[int] = []
    for row in rows:
        index = np.flatnonzero(keys == row.key)
        want = min(budget * written[row.key] / total, float(sizes[index].sum()))
        rng = np.random.default_rng(np.random.SeedSequence([seed, stable_int("tokenizer-sample", row.key)]))
        order = index[rng.permutation(len(index))]
        before = np.cumsum(sizes[order]) - sizes[order]
        chosen.extend(order[before < want].tolist())
    chosen.sort()
    wanted: dict[int, list[int]] = {}
    file_column, row_column = docs.column("file").to_numpy(), docs.column("row").to_numpy()
    for doc in chosen:
        wanted.setdefault(int(file_column[doc]), []).append(int(row_column[doc]))
    texts, seen = [], set()
    for file_index in sorted(wanted):
        column = pq.read_table(files[file_index], columns=["text"]).column("text")
        for text in column.take(pa.array(sorted(wanted[file_index]))).to_pylist():
            digest = xxhash.xxh3_128_intdigest(text or "")
            if text and digest not in seen:  # deduplicated, as BLOOM's tokenizer sample was
                seen.add(digest)
                texts.append(text)
    return texts


# ---------------------------------------------------------------------------------------------------------
# phase 2: tokenize (one task per chunk file)


def tokenize_all(
    chunks: list[Path],
    work: Path,
    rundir: RunDir,
    tokenizer: ExportTokenizer,
    section: ExportSection,
    options: ExportOptions,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Token-array prefixes, one per chunk, in chunk order; and the per-task summaries."""
    dtype = np.dtype(token_dtype(tokenizer.vocab_size)).name
    prefixes = [str(work / chunk.relative_to(rundir.root / "parts").with_suffix("")) for chunk in chunks]
    args = [
        (str(c), p, str(tokenizer.path), tokenizer.eod_token, dtype, section.tokenize_batch_docs)
        for c, p in zip(chunks, prefixes, strict=True)
    ]
    if options.executor == "ray":
        import ray

        from pipeline.executors.ray_data import connect

        connect(options.address, options.num_cpus)
        # One CPU and one tokenizer thread per task, so throughput scales with Ray workers.
        task = ray.remote(num_cpus=1)(tokenize_chunk)
        summaries = ray.get([task.remote(*a, one_thread=True) for a in args])
    else:
        remember_tokenizer(tokenizer)  # the driver's copy: no second load
        summaries = [tokenize_chunk(*a) for a in args]
    return prefixes, summaries


# ---------------------------------------------------------------------------------------------------------
# phases 3 and 4: plan and write


class _TokenFiles:
    """Memory-mapped token arrays, a bounded number open at once."""

    def __init__(self, prefixes: list[str], dtype: np.dtype, capacity: int = 128) -> None:
        self.prefixes, self.dtype, self.capacity = prefixes, dtype, capacity
        self.open: OrderedDict[int, np.ndarray] = OrderedDict()

    def __getitem__(self, index: int) -> np.ndarray:
        if index in self.open:
            self.open.move_to_end(index)
            return self.open[index]
        path = self.prefixes[index] + ".tokens"
        array = np.memmap(path, dtype=self.dtype, mode="r") if os.path.getsize(path) else np.zeros(0, self.dtype)
        self.open[index] = array
        if len(self.open) > self.capacity:
            self.open.popitem(last=False)
        return array


PLAN_COLUMNS = ["id", "source", "lang", "row", "tokens", "offset"]


def load_documents(prefixes: list[str]) -> pa.Table:
    """What the plan needs of every document, in canonical order: no text, and no url or record (the lineage
    fetches those per shard), so the driver holds about a hundred bytes per document."""
    tables = []
    for index, prefix in enumerate(prefixes):
        table = pq.read_table(prefix + ".docs.parquet", columns=PLAN_COLUMNS)
        table = table.append_column("file", pa.array(np.full(table.num_rows, index, dtype=np.int64)))
        tables.append(table.append_column("doc_row", pa.array(np.arange(table.num_rows, dtype=np.int64))))
    if not tables:
        empty = DOC_SCHEMA.empty_table().select(PLAN_COLUMNS)
        return empty.append_column("file", pa.array([], pa.int64())).append_column("doc_row", pa.array([], pa.int64()))
    return pa.concat_tables(tables).sort_by([("source", "ascending"), ("id", "ascending")])


def origins(prefixes: list[str], files: np.ndarray, doc_rows: np.ndarray) -> tuple[list[str | None], list[str]]:
    """The url and record of each (file, row), read from the per-chunk document tables."""
    urls: np.ndarray = np.empty(len(files), dtype=object)
    records: np.ndarray = np.empty(len(files), dtype=object)
    for file_index in np.unique(files):
        where = np.flatnonzero(files == file_index)
        table = pq.read_table(prefixes[file_index] + ".docs.parquet", columns=["url", "record"])
        table = table.take(pa.array(doc_rows[where]))
        urls[where] = table.column("url").to_pylist()
        records[where] = table.column("record").to_pylist()
    return urls.tolist(), records.tolist()


def copy_numbers(order: np.ndarray) -> np.ndarray:
    """For each occurrence in the stream, which copy of its document it is (0 first)."""
    by_doc = np.argsort(order, kind="stable")
    sorted_docs = order[by_doc]
    starts = np.flatnonzero(np.r_[True, sorted_docs[1:] != sorted_docs[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[by_doc] = np.arange(len(order)) - group_start
    return ranks


def fertility(docs: pa.Table, chunks: list[Path], per_language: int) -> dict[str, dict[str, float]]:
    """Tokens per word (filters.text.words, which counts a CJK character as a word) per language, on up to
    ``per_language`` documents and FERTILITY_TOKENS tokens, those whose ids hash lowest: a fixed sample
    whatever the executor, and a bounded cost (the word regex is slower than the tokenizer)."""
    lang_names, lang_codes = string_codes(docs.column("lang"), "und")
    hashes = np.fromiter(
        (xxhash.xxh64_intdigest(i) for i in docs.column("id").to_pylist()), dtype=np.uint64, count=docs.num_rows
    )
    files, rows, tokens = (
        docs.column("file").to_numpy(),
        docs.column("row").to_numpy(),
        docs.column("tokens").to_numpy(),
    )
    picked: dict[str, list[int]] = {}
    by_lang = np.lexsort((hashes, lang_codes))
    starts = np.searchsorted(lang_codes[by_lang], np.arange(len(lang_names)))
    for code, lang in enumerate(lang_names):
        candidates = by_lang[starts[code] : starts[code] + per_language]
        candidates = candidates[lang_codes[candidates] == code]
        spent = np.cumsum(tokens[candidates]) - tokens[candidates]
        picked[str(lang)] = candidates[spent < FERTILITY_TOKENS].tolist()
    wanted: dict[int, list[tuple[int, str]]] = {}
    for lang, doc_list in picked.items():
        for doc in doc_list:
            wanted.setdefault(int(files[doc]), []).append((doc, lang))
    counts: dict[str, list[int]] = {}
    for file_index, items in sorted(wanted.items()):
        texts = pq.read_table(chunks[file_index], columns=["text"]).column("text")
        for (doc, lang), text in zip(
            items, texts.take(pa.array([int(rows[d]) for d, _ in items])).to_pylist(), strict=True
        ):
            entry = counts.setdefault(lang, [0, 0, 0])
            entry[0] += int(tokens[doc]) - 1  # without the EOD
            entry[1] += len(words(text))
            entry[2] += 1
    return {
        lang: {"tokens_per_word": round(t / w, 4) if w else 0.0, "words": w, "documents": n}
        for lang, (t, w, n) in sorted(counts.items())
    }


def run_export(
    run_dir: str | Path,
    section: ExportSection,
    seed: int,
    manifest_digest: str,
    options: ExportOptions | None = None,
) -> dict[str, Any]:
    """Export a finished run; returns what it writes to ``export/export.json``."""
    options = options or ExportOptions()
    rundir = RunDir(run_dir)
    if not rundir.run_json.exists():
        raise ExportError(f"{rundir.root}: no run.json; run `curate run` first")
    run_record = json.loads(rundir.run_json.read_text())
    timings: dict[str, float] = {}
    started = time.perf_counter()
    chunks = chunk_files(rundir)
    tokenizer = resolve_tokenizer(rundir, section, seed)
    timings["tokenizer_seconds"] = time.perf_counter() - started

    export_dir = rundir.root / EXPORT_DIR
    work_root = export_dir / ".work"
    work = work_root / f"tok-{tokenizer.sha256[:16]}-{tokenizer.eod_id}"
    if work_root.exists():
        for stale in work_root.iterdir():
            if stale != work:
                shutil.rmtree(stale, ignore_errors=True)
    phase = time.perf_counter()
    prefixes, summaries = tokenize_all(chunks, work, rundir, tokenizer, section, options)
    timings["tokenize_seconds"] = time.perf_counter() - phase

    phase = time.perf_counter()
    docs = load_documents(prefixes)
    if docs.num_rows == 0:
        raise ExportError(f"{rundir.root}: the run kept no documents with text; nothing to export")
    sizes = docs.column("tokens").to_numpy()
    keys = row_of_documents(shared_strings(docs.column("source")), shared_strings(docs.column("lang")), section.mixture)
    rows = plan_rows(keys, sizes, section.mixture, section.target_tokens)
    copies, rows = realise(keys, sizes, rows, seed)
    order = stream_order(copies, seed)
    if len(order) == 0:
        raise ExportError("the mixture writes no tokens (every weight or epochs is 0)")
    timings["plan_seconds"] = time.perf_counter() - phase

    phase = time.perf_counter()
    shards, lineage_path = write_shards(export_dir, docs, order, tokenizer, section.shard_size, prefixes)
    timings["write_seconds"] = time.perf_counter() - phase

    phase = time.perf_counter()
    measured = fertility(docs, chunks, section.fertility_docs)
    timings["fertility_seconds"] = time.perf_counter() - phase
    total_tokens = sum(s["tokens"] for s in shards)
    write_blend(export_dir, shards, total_tokens)
    write_mixture_csv(export_dir / "mixture.csv", rows)
    lang_names, lang_of = string_codes(docs.column("lang"), "und")
    per_lang = [np.bincount(lang_of, weights=w, minlength=len(lang_names)) for w in (None, sizes, copies * sizes)]
    languages = {
        str(lang): {
            "documents": int(per_lang[0][code]),
            "tokens_available": int(per_lang[1][code]),
            "tokens_written": int(per_lang[2][code]),
        }
        for code, lang in enumerate(lang_names)
        if per_lang[0][code]
    }
    tokenized = [s for s in summaries if not s["cached"]]
    timings["wall_seconds"] = time.perf_counter() - started
    record = {
        "format": "megatron-indexed-dataset",
        "tokenizer": tokenizer.describe(),
        "dtype": np.dtype(token_dtype(tokenizer.vocab_size)).name,
        "mixture": [r.to_json() for r in rows],
        "target_tokens": section.target_tokens,
        "fertility": {lang: v["tokens_per_word"] for lang, v in measured.items()},
        "fertility_detail": measured,
        "languages": languages,
        "shards": shards,
        "shard_size": section.shard_size,
        "seq_len": section.seq_len,
        "documents": int(docs.num_rows),
        "sequences_written": len(order),
        "tokens_written": total_tokens,
        "blend": "blend.txt",
        "mixture_table": "mixture.csv",
        "lineage": lineage_path.name,
        "run_digest": run_record.get("content_digest"),
        "manifest_digest": manifest_digest,
        "run_name": run_record.get("name"),
        "seed": seed,
        "executor": options.executor,
        "timings": {k: round(v, 4) for k, v in timings.items()},
        "tokenize_tasks": {
            "chunks": len(summaries),
            "cached": len(summaries) - len(tokenized),
            "text_bytes": sum(s["bytes"] for s in tokenized),
            "task_seconds": round(sum(s["seconds"] for s in tokenized), 4),
            "task_cpu_seconds": round(sum(s["cpu_seconds"] for s in tokenized), 4),
        },
    }
    atomic_write_json(export_dir / "export.json", record)
    return record


def write_shards(
    export_dir: Path,
    docs: pa.Table,
    order: np.ndarray,
    tokenizer: ExportTokenizer,
    shard_size: int,
    prefixes: list[str],
) -> tuple[list[dict[str, Any]], Path]:
    dtype = np.dtype(token_dtype(tokenizer.vocab_size))
    export_dir.mkdir(parents=True, exist_ok=True)
    # export.json goes first and comes back last: while shards are rewritten none claims to be complete.
    (export_dir / "export.json").unlink(missing_ok=True)
    for old in export_dir.glob(f"{SHARD_PREFIX}-*"):
        old.unlink()
    lengths = docs.column("tokens").to_numpy()[order]
    byte_ends = np.cumsum(lengths * dtype.itemsize)
    shard_of = (byte_ends - lengths * dtype.itemsize) // shard_size
    # shard numbers without gaps (a document larger than a shard would skip numbers)
    _, shard_of = np.unique(shard_of, return_inverse=True)
    bounds = np.flatnonzero(np.r_[True, shard_of[1:] != shard_of[:-1], True])
    files, offsets = docs.column("file").to_numpy(), docs.column("offset").to_numpy()
    doc_rows = docs.column("doc_row").to_numpy()
    source_names = sorted(set(docs.column("source").to_pylist()))
    source_code = pc.index_in(docs.column("source"), pa.array(source_names)).to_numpy()[order]
    copies = copy_numbers(order)
    tokens = _TokenFiles(prefixes, dtype)
    lineage_path = export_dir / "lineage.parquet"
    tmp_lineage = export_dir / ".lineage.parquet.tmp"
    shards = []
    writer_schema = None
    lineage_writer = None
    try:
        for number, (start, end) in enumerate(itertools.pairwise(bounds)):
            name = f"{SHARD_PREFIX}-{number:05d}"
            shard = ShardWriter(export_dir / name, dtype)
            chosen = order[start:end]
            where = zip(files[chosen].tolist(), offsets[chosen].tolist(), lengths[start:end].tolist(), strict=True)
            for file_index, offset, length in where:
                shard.add(tokens[file_index][offset : offset + length])
            shard.finish()
            per_source = np.bincount(source_code[start:end], weights=lengths[start:end], minlength=len(source_names))
            shards.append(
                {
                    "prefix": name,
                    "sha256_bin": shard.sha256_bin.hexdigest(),
                    "sha256_idx": shard.sha256_idx.hexdigest(),
                    "documents": int(end - start),
                    "tokens": shard.tokens,
                    "tokens_per_source": {s: int(n) for s, n in zip(source_names, per_source, strict=True) if n},
                }
            )
            picked = docs.take(pa.array(order[start:end]))
            urls, records = origins(prefixes, files[order[start:end]], doc_rows[order[start:end]])
            pointers = np.cumsum(lengths[start:end]) - lengths[start:end]
            lineage = pa.table(
                {
                    "shard": pa.array([name] * int(end - start)),
                    "sequence": pa.array(np.arange(end - start, dtype=np.int64)),
                    "token_offset": pa.array(pointers.astype(np.int64)),
                    "tokens": pa.array(lengths[start:end].astype(np.int64)),
                    "document_id": picked.column("id"),
                    "source": picked.column("source"),
                    "lang": picked.column("lang"),
                    "copy": pa.array(copies[start:end]),
                    "url": pa.array(urls, type=pa.string()),
                    "record": pa.array(records, type=pa.string()),
                }
            )
            if lineage_writer is None:
                writer_schema = lineage.schema
                lineage_writer = pq.ParquetWriter(tmp_lineage, writer_schema, compression="zstd")
            lineage_writer.write_table(lineage.cast(writer_schema))
    finally:
        if lineage_writer is not None:
            lineage_writer.close()
    os.replace(tmp_lineage, lineage_path)
    return shards, lineage_path


def write_blend(export_dir: Path, shards: list[dict[str, Any]], total_tokens: int) -> None:
    """Megatron-LM's ``--data-args-path`` file: ``weight prefix`` pairs. The mixture is already in the
    shards, so each shard's weight is its share of the tokens."""
    pairs = [f"{s['tokens'] / total_tokens:.12g} {(export_dir / s['prefix']).resolve()}" for s in shards]
    atomic_write_bytes(export_dir / "blend.txt", (" ".join(pairs) + "\n").encode())
    per_split = {"train": [item for s in shards for item in (s["tokens"] / total_tokens, s["prefix"])]}
    atomic_write_json(export_dir / "blend.json", per_split)


MIXTURE_COLUMNS = ("source", "lang", "documents", "tokens_available", "weight", "requested_epochs", "epochs")
MIXTURE_COLUMNS += ("proportion", "tokens_written", "documents_written")


def write_mixture_csv(path: Path, rows: list[Any]) -> None:
    """The mixture table for people and spreadsheets (export.json holds the same rows)."""
    lines = [",".join(MIXTURE_COLUMNS)]
    for row in rows:
        values = row.to_json()
        lines.append(",".join("" if values[c] is None else str(values[c]) for c in MIXTURE_COLUMNS))
    atomic_write_bytes(path, ("\n".join(lines) + "\n").encode())


def export_manifest(manifest: Manifest, run_dir: str | Path, options: ExportOptions) -> dict[str, Any]:
    """Export ``run_dir`` with the manifest's ``export:`` section (its seed, or the run's)."""
    if manifest.export is None:
        raise ExportError("the manifest has no export: section")
    seed = manifest.export.seed if manifest.export.seed is not None else manifest.run.seed
    try:
        return run_export(run_dir, manifest.export, seed, manifest.digest, options)
    except (TokenizerError, MixtureError) as error:
        raise ExportError(str(error)) from error


def load_export(run_dir: str | Path) -> dict[str, Any]:
    return json.loads((Path(run_dir) / EXPORT_DIR / "export.json").read_text())


def mixture_table(record: dict[str, Any]) -> Any:
    """The mixture table of an export.json, for the terminal."""
    from rich.table import Table

    table = Table(title=f"mixture ({record['tokenizer']['name']}, seed {record['seed']})")
    for column in (
        "source",
        "lang",
        "documents",
        "tokens available",
        "weight",
        "epochs",
        "proportion",
        "tokens written",
    ):
        table.add_column(column, justify="left" if column in ("source", "lang") else "right")
    for row in record["mixture"]:
        table.add_row(
            row["source"],
            row["lang"] or "all",
            f"{row['documents']:,}",
            f"{row['tokens_available']:,}",
            "" if row["weight"] is None else f"{row['weight']:g}",
            f"{row['epochs']:.2f}",
            f"{row['proportion']:.3f}",
            f"{row['tokens_written']:,}",
        )
    return table
