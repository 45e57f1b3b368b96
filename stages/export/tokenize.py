"""Tokenize one chunk of kept documents into a flat token array and a small table of its documents.

This is the export's map step, run by the local executor in-process or as one Ray task per chunk. It
imports only what it needs so that Ray workers start quickly.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from stages.export.tokenizer import ExportTokenizer

# Fields of a document's ``meta`` that locate its original record (see stages/sources/*.py).
RECORD_FIELDS = (
    "warc_file",
    "warc_offset",
    "warc_record_id",
    "warc_date",
    "repo",
    "path",
    "input",
    "line",
    "row",
    "member",
    "dump",
    "dbname",
    "page_id",
    "revision_id",
    "title",
    "file",
    "pg_ebook",
    "arxiv_id",
)
DOC_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("lang", pa.string()),
        ("url", pa.string()),
        ("record", pa.string()),
        ("row", pa.int64()),
        ("tokens", pa.int64()),
        ("offset", pa.int64()),
    ]
)


_TOKENIZERS: dict[tuple[str, str, str | None], ExportTokenizer] = {}


def remember_tokenizer(tokenizer: ExportTokenizer) -> None:
    """Let tasks in this process use an already loaded tokenizer."""
    _TOKENIZERS[(str(tokenizer.path), tokenizer.eod_token, None)] = tokenizer


def _worker_tokenizer(path: str, eod_token: str, name: str | None) -> ExportTokenizer:
    key = (path, eod_token, name)
    if key not in _TOKENIZERS:
        _TOKENIZERS[key] = ExportTokenizer.load(path, eod_token, name)
    return _TOKENIZERS[key]


def record_of(meta: str | None) -> str:
    """The fields of a document's meta that locate its original record, as JSON."""
    try:
        fields = json.loads(meta) if meta else {}
    except json.JSONDecodeError:
        return "{}"
    return json.dumps({k: fields[k] for k in RECORD_FIELDS if k in fields}, sort_keys=True, ensure_ascii=False)


def tokenize_chunk(
    chunk: str,
    out_prefix: str,
    tokenizer_path: str,
    eod_token: str,
    dtype_name: str,
    batch_docs: int,
    one_thread: bool = False,
) -> dict[str, Any]:
    """Tokenize one chunk file into ``<out_prefix>.tokens`` and ``<out_prefix>.docs.parquet`` (written last).

    ``one_thread``: no tokenizer thread pool (a Ray task holds one CPU; parallelism comes from the tasks)."""
    docs_path = Path(out_prefix + ".docs.parquet")
    if docs_path.exists():
        return {"chunk": chunk, "cached": True, "seconds": 0.0, "cpu_seconds": 0.0, "bytes": 0, "tokens": 0}
    if one_thread:
        os.environ["TOKENIZERS_PARALLELISM"] = "false"  # read by tokenizers at each batch call
    started, cpu_started = time.perf_counter(), time.process_time()
    tokenizer = _worker_tokenizer(tokenizer_path, eod_token, None)
    dtype = np.dtype(dtype_name)
    table = pq.read_table(chunk, columns=["id", "source", "lang", "url", "meta", "text"])
    texts = table.column("text").to_pylist()
    keep = [i for i, text in enumerate(texts) if text]  # an empty document would be a lone EOD
    tokens_path = Path(out_prefix + ".tokens")
    tokens_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tokens_path.with_name(f".{tokens_path.name}.tmp-{os.getpid()}")
    lengths_all, text_bytes = [], 0
    with open(tmp, "wb") as out:
        for start in range(0, len(keep), batch_docs):
            batch = [texts[i] for i in keep[start : start + batch_docs]]
            flat, lengths = tokenizer.encode_documents(batch, dtype.type)
            out.write(flat.tobytes())
            lengths_all.append(lengths)
            text_bytes += sum(len(t.encode()) for t in batch)
    os.replace(tmp, tokens_path)
    lengths = np.concatenate(lengths_all) if lengths_all else np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    rows = pa.array(keep, type=pa.int64())
    kept = table.take(rows)
    docs = pa.table(
        {
            "id": kept.column("id"),
            "source": kept.column("source"),
            "lang": kept.column("lang"),
            "url": kept.column("url"),
            "record": pa.array([record_of(m) for m in kept.column("meta").to_pylist()], type=pa.string()),
            "row": rows,
            "tokens": pa.array(lengths, type=pa.int64()),
            "offset": pa.array(offsets, type=pa.int64()),
        },
        schema=DOC_SCHEMA,
    )
    tmp_docs = docs_path.with_name(f".{docs_path.name}.tmp-{uuid.uuid4().hex[:8]}")
    pq.write_table(docs, tmp_docs, compression="zstd")
    os.replace(tmp_docs, docs_path)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "chunk": chunk,
        "cached": False,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,  # all threads of the process: the tokenizer's pool included
        "bytes": text_bytes,
        "tokens": int(lengths.sum()),
    }
