#!/usr/bin/env python
"""Language-identification accuracy of lid.176.ftz on labelled text (shared/data, PROVENANCE.md section 7).

Data:

* ``langid/tatoeba-cld2-sample.tsv``: 462 Tatoeba sentences, gold label ``Tatoeba-iso-639-3``. The sample was
  pre-filtered to sentences CLD2 gets right, so it leans toward easy cases.
* ``langid/udhr-532.jsonl.gz``: 532 translations of the UDHR, gold label ``iso6393`` (``bcp47 == "und"`` skipped).
  Evaluated as whole documents and as segments: pieces cut from the paragraphs (lines) of every translation,
  ``--per-bucket`` pieces per translation and length bucket (< 50, 50-200, > 200 characters), seeded random.

Gold ISO 639-3 codes are mapped to lid.176 labels with ``ISO3_TO_LID`` (lid.176 uses ISO 639-1 where one exists,
else ISO 639-3 or a Wikipedia code). Only languages whose mapped label is among the model's own labels are
scored; the others are listed as excluded. Text goes through ``stages.langid.prediction_text`` (newlines become
spaces), exactly as the pipeline's ``langid`` stage does, and top-1 is compared with the gold label.

Reported: top-1 accuracy per data set (micro, and macro-averaged over gold lid.176 labels), accuracy by length
bucket pooled over the segment-level data (Tatoeba sentences + UDHR segments), accuracy and coverage at
probability thresholds (to choose ``min_score``), how often text in languages the model does not know passes
those thresholds, per-language accuracy and the most frequent confusions.

Usage: ``python bench/langid_accuracy.py [--shared PATH]``. Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import platform
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench_common import print_table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
TATOEBA = Path("data/langid/tatoeba-cld2-sample.tsv")
UDHR = Path("data/langid/udhr-532.jsonl.gz")
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "langid_accuracy.json"
MODEL = "lid.176.ftz"

# Length buckets (characters after prediction_text), and the target lengths UDHR pieces are cut to.
BUCKETS: list[tuple[str, int, int]] = [("<50", 0, 49), ("50-200", 50, 200), (">200", 201, 10**9)]
PIECE_LENGTHS: dict[str, tuple[int, int]] = {"<50": (10, 49), "50-200": (50, 200), ">200": (201, 800)}
FINE_BINS: list[tuple[int, int]] = [(10, 19), (20, 29), (30, 49), (50, 99), (100, 200), (201, 400), (401, 10**9)]
THRESHOLDS: list[float] = [0.0, 0.3, 0.5, 0.65, 0.8, 0.9]

# ISO 639-3 code -> ISO 639-1 code, for the codes in the data (and their macrolanguages).
ISO639_1_PAIRS = """
afr:af amh:am ara:ar aze:az bel:be ben:bn bod:bo bos:bs bre:br bul:bg cat:ca ces:cs chv:cv cos:co
cym:cy dan:da deu:de div:dv ell:el eng:en epo:eo est:et eus:eu fas:fa fin:fi fra:fr fry:fy gla:gd
gle:ga glg:gl glv:gv grn:gn guj:gu hat:ht heb:he hin:hi hrv:hr hun:hu hye:hy ido:io ina:ia ind:id
isl:is ita:it jav:jv jpn:ja kan:kn kat:ka kaz:kk khm:km kir:ky kom:kv kor:ko kur:ku lao:lo lat:la
lav:lv lit:lt ltz:lb mal:ml mar:mr mkd:mk mlg:mg mlt:mt mon:mn msa:ms mya:my nep:ne nld:nl nno:nn
nor:no oci:oc ori:or oss:os pan:pa pol:pl por:pt pus:ps que:qu roh:rm ron:ro rus:ru san:sa sin:si
slk:sk slv:sl som:so spa:es sqi:sq srp:sr sun:su swa:sw swe:sv tam:ta tat:tt tel:te tgk:tg tgl:tl
tha:th tuk:tk tur:tr uig:ug ukr:uk urd:ur uzb:uz vie:vi wln:wa yid:yi yor:yo zho:zh
"""

# ISO 639-3 gold code -> (lid.176 label, kind). Kinds:
#   iso639-1        the code's ISO 639-1 equivalent (eng -> en; for macrolanguage codes such as ara, est, kur,
#                   que, sqi, uzb, yid the macrolanguage's 639-1 code)
#   same            lid.176 uses the ISO 639-3 code itself
#   macro           an individual language -> its macrolanguage's label, where the individual language is the
#                   standard or dominant member (cmn -> zh, arb -> ar, ekk -> et, nob -> no, ...)
#   macro-member    an individual language -> its macrolanguage's label, where it is a distinct, non-dominant
#                   member and lid.176 has no label of its own for it (gan/hak/hsn/nan/cjy/lzh -> zh,
#                   bjn -> ms, koi -> kv, regional Quechuas -> qu): a loose match
#   other           a collective or Wikipedia code (gsw -> als, bho/mag -> bh, nhn -> nah)
# Chinese: lid.176 has yue (Cantonese) and wuu (Wu) labels of its own, so yue and wuu stay themselves; only the
# members without a label of their own map to zh.
# Trap: lid.176's "als" is Wikipedia's code for Alemannic (ISO gsw), NOT ISO 639-3 als (Tosk Albanian -> sq).
ISO3_TO_LID: dict[str, tuple[str, str]] = {
    # ISO 639-1 equivalents
    **{iso3: (iso1, "iso639-1") for iso3, iso1 in (pair.split(":") for pair in ISO639_1_PAIRS.split())},
    # lid.176 labels that are ISO 639-3 codes
    **{
        code: (code, "same")
        for code in "ast azb bcl ceb ckb hsb ilo mai min mwl nds pam pnb sah sco tyv vec vep war wuu yue".split()
    },
    # individual language -> macrolanguage, standard/dominant member
    "arb": ("ar", "macro"),  # Standard Arabic -> Arabic (ara)
    "azj": ("az", "macro"),  # North Azerbaijani -> Azerbaijani (aze); South Azerbaijani azb has its own label
    "cmn": ("zh", "macro"),  # Mandarin -> Chinese (zho)
    "ekk": ("et", "macro"),  # Standard Estonian -> Estonian (est)
    "gug": ("gn", "macro"),  # Paraguayan Guarani -> Guarani (grn)
    "khk": ("mn", "macro"),  # Halh Mongolian -> Mongolian (mon)
    "kmr": ("ku", "macro"),  # Northern Kurdish (Kurmanji) -> Kurdish (kur); Central Kurdish ckb has its own label
    "lvs": ("lv", "macro"),  # Standard Latvian -> Latvian (lav)
    "nob": ("no", "macro"),  # Bokmål -> Norwegian (nor); Nynorsk nno is nn
    "npi": ("ne", "macro"),  # Nepali (individual) -> Nepali (nep)
    "pbu": ("ps", "macro"),  # Northern Pashto -> Pashto (pus)
    "pes": ("fa", "macro"),  # Western Farsi -> Persian (fas)
    "prs": ("fa", "macro"),  # Dari -> Persian (fas)
    "plt": ("mg", "macro"),  # Plateau Malagasy -> Malagasy (mlg)
    "swh": ("sw", "macro"),  # Swahili (individual) -> Swahili (swa)
    "uzn": ("uz", "macro"),  # Northern Uzbek -> Uzbek (uzb)
    "ydd": ("yi", "macro"),  # Eastern Yiddish -> Yiddish (yid)
    "zlm": ("ms", "macro"),  # Malay (individual) -> Malay (msa)
    "zsm": ("ms", "macro"),  # Standard Malay -> Malay (msa)
    "als": ("sq", "macro"),  # Tosk Albanian -> Albanian (sqi); NOT lid.176's "als" (Alemannic)
    "cnr": ("sh", "macro"),  # Montenegrin -> Serbo-Croatian (hbs, lid.176 "sh")
    "quy": ("qu", "macro"),  # Ayacucho Quechua -> Quechua (que); Southern Quechua dominates qu.wikipedia
    "quz": ("qu", "macro"),  # Cusco Quechua -> Quechua (que)
    # individual language -> macrolanguage, distinct non-dominant member (loose)
    "cjy": ("zh", "macro-member"),  # Jinyu Chinese
    "gan": ("zh", "macro-member"),  # Gan Chinese
    "hak": ("zh", "macro-member"),  # Hakka Chinese
    "hsn": ("zh", "macro-member"),  # Xiang Chinese
    "lzh": ("zh", "macro-member"),  # Literary (classical) Chinese
    "nan": ("zh", "macro-member"),  # Min Nan Chinese (the UDHR text is in Han characters)
    "bjn": ("ms", "macro-member"),  # Banjar -> Malay (msa)
    "koi": ("kv", "macro-member"),  # Komi-Permyak -> Komi (kom); lid.176 kv is Komi-Zyrian Wikipedia
    **{
        code: ("qu", "macro-member")  # regional Quechuas -> Quechua (que)
        for code in ("qug", "quh", "qul", "qva", "qvc", "qvh", "qvm", "qvn", "qwh", "qxn", "qxu")
    },
    # collective and Wikipedia codes
    "gsw": ("als", "other"),  # Swiss German / Alemannic; lid.176 "als" = als.wikipedia (Alemannic)
    "bho": ("bh", "other"),  # Bhojpuri; lid.176 "bh" = bh.wikipedia (Bhojpuri), ISO 639-1 bh = Bihari collective
    "mag": ("bh", "other"),  # Magahi, a Bihari language (collective bh)
    "nhn": ("nah", "other"),  # Central Nahuatl; lid.176 "nah" = Nahuatl languages (ISO 639-5 collective)
}
STRICT_KINDS = frozenset({"iso639-1", "same", "macro"})

# Gold labels present in the data that are not usable, with the reason.
UNRELIABLE_GOLD: dict[str, str] = {
    "ckb": "UDHR 'ckb' (Central Kurdish) is byte-identical to the 'kmr' (Northern Kurdish, Latin) text",
}


@dataclass
class Item:
    source: str  # "tatoeba", "udhr_doc" or "udhr_seg"
    doc: str  # Tatoeba row id, or the UDHR translation code
    iso3: str
    text: str  # after prediction_text
    name: str | None = None  # UDHR translation name
    gold: str | None = None  # lid.176 label
    kind: str | None = None
    pred: str = ""
    prob: float = 0.0

    @property
    def length(self) -> int:
        return len(self.text)

    @property
    def correct(self) -> bool:
        return self.pred == self.gold


def bucket_of(length: int) -> str:
    return next(name for name, lo, hi in BUCKETS if lo <= length <= hi)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson interval (treats items as independent, which segments of one text are not)."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (centre - half, centre + half)


def load_tatoeba(path: Path, normalise: Any) -> list[Item]:
    items = []
    with path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)):
            items.append(Item("tatoeba", f"tatoeba:{i}", row["Tatoeba-iso-639-3"].strip(), normalise(row["text"])))
    return items


def load_udhr(path: Path) -> tuple[list[dict[str, Any]], int]:
    docs, skipped = [], 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if doc["bcp47"] == "und" or not doc.get("iso6393") or doc["iso6393"] == "und":
                skipped += 1
                continue
            docs.append(doc)
    return docs, skipped


def _spaced(text: str) -> bool:
    """Whether the text separates words with spaces (not Chinese, Japanese, Thai, ...)."""
    return text.count(" ") * 25 >= len(text)


def cut_piece(lines: list[str], lo: int, hi: int, rng: random.Random, normalise: Any) -> str | None:
    """One piece of lo..hi characters from a paragraph (consecutive paragraphs when none is long enough)."""
    for _ in range(30):
        target = rng.randint(lo, hi)
        long_enough = [line for line in lines if len(line) >= target]
        if long_enough:
            span = rng.choice(long_enough)
        else:
            start_line = rng.randrange(len(lines))
            parts, total = [], 0
            for line in lines[start_line:]:
                parts.append(line)
                total += len(line) + 1
                if total > target:
                    break
            span = " ".join(parts)
            if len(span) < target:
                continue
        spaced = _spaced(span)
        last = len(span) - target
        if spaced:
            starts = [0] + [i + 1 for i, ch in enumerate(span[: last + 1]) if ch == " " and i + 1 <= last]
            start = rng.choice(starts)
        else:
            start = rng.randint(0, last)
        piece = span[start : start + target]
        end = start + target
        if spaced and end < len(span) and span[end] != " " and " " in piece:
            piece = piece[: piece.rfind(" ")]  # do not cut a word in two
        piece = normalise(piece)
        if lo <= len(piece) <= hi:
            return piece
    return None


def udhr_items(docs: list[dict[str, Any]], per_bucket: int, seed: int, normalise: Any) -> tuple[list, list, int]:
    doc_items, seg_items, missing = [], [], 0
    for doc in docs:
        doc_items.append(Item("udhr_doc", doc["code"], doc["iso6393"], normalise(doc["text"]), doc["name"]))
        lines = [normalise(line) for line in doc["text"].split("\n")]
        lines = [line for line in lines if line]
        for bucket, (lo, hi) in PIECE_LENGTHS.items():
            rng = random.Random(f"{seed}:{doc['code']}:{bucket}")
            for _ in range(per_bucket):
                piece = cut_piece(lines, lo, hi, rng, normalise) if lines else None
                if piece is None:
                    missing += 1
                    continue
                seg_items.append(Item("udhr_seg", doc["code"], doc["iso6393"], piece, doc["name"]))
    return doc_items, seg_items, missing


def summarise(items: list[Item]) -> dict[str, Any]:
    """Micro accuracy (with a Wilson interval), macro accuracy over gold labels, the strict-mapping subset."""
    n = len(items)
    k = sum(it.correct for it in items)
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for it in items:
        by_lang[it.gold or ""].append(it.correct)
    strict = [it for it in items if it.kind in STRICT_KINDS]
    lo, hi = wilson(k, n)
    return {
        "n": n,
        "languages": len(by_lang),
        "correct": k,
        "accuracy": k / n if n else math.nan,
        "accuracy_ci95": [lo, hi],
        "macro_accuracy": sum(sum(v) / len(v) for v in by_lang.values()) / len(by_lang) if by_lang else math.nan,
        "strict_n": len(strict),
        "strict_accuracy": sum(it.correct for it in strict) / len(strict) if strict else math.nan,
    }


def threshold_table(items: list[Item], unsupported: list[Item]) -> list[dict[str, Any]]:
    rows = []
    n_correct = sum(it.correct for it in items)
    for t in THRESHOLDS:
        kept = [it for it in items if it.prob >= t]
        k = sum(it.correct for it in kept)
        row: dict[str, Any] = {
            "threshold": t,
            "coverage": len(kept) / len(items),
            "accuracy_kept": k / len(kept) if kept else math.nan,
            "correct_kept": k / n_correct if n_correct else math.nan,
            "unsupported_pass": sum(it.prob >= t for it in unsupported) / len(unsupported) if unsupported else None,
        }
        for name, _, _ in BUCKETS:
            b_all = [it for it in items if bucket_of(it.length) == name]
            b_kept = [it for it in kept if bucket_of(it.length) == name]
            row[f"coverage_{name}"] = len(b_kept) / len(b_all) if b_all else math.nan
            row[f"accuracy_kept_{name}"] = sum(it.correct for it in b_kept) / len(b_kept) if b_kept else math.nan
        rows.append(row)
    return rows


def confusions(items: list[Item], top: int = 10) -> list[dict[str, Any]]:
    counts = Counter((it.gold, it.pred) for it in items if not it.correct)
    gold_n = Counter(it.gold for it in items)
    return [{"gold": g, "pred": p, "count": c, "of_gold": gold_n[g]} for (g, p), c in counts.most_common(top)]


def per_language(items: list[Item]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Item]] = defaultdict(list)
    for it in items:
        groups[it.gold or ""].append(it)
    out = {}
    for gold, group in sorted(groups.items()):
        preds = Counter(it.pred for it in group if not it.correct)
        out[gold] = {
            "n": len(group),
            "accuracy": sum(it.correct for it in group) / len(group),
            "iso3": sorted({it.iso3 for it in group}),
            "top_wrong": preds.most_common(3),
        }
    return out


def _pkg(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file (default: %(default)s)")
    parser.add_argument("--per-bucket", type=int, default=4, help="UDHR pieces per translation and bucket (default 4)")
    parser.add_argument("--seed", type=int, default=20240607, help="seed of the piece sampling")
    args = parser.parse_args(argv)

    tatoeba_path, udhr_path = args.shared / TATOEBA, args.shared / UDHR
    if not tatoeba_path.is_file() or not udhr_path.is_file():
        print(f"SKIP: language-ID data not found under {args.shared / 'data/langid'} (pass --shared PATH)")
        return 0

    sys.path.insert(0, str(REPO_ROOT))
    import fasttext

    from langid_models import load_model
    from langid_models.registry import MODELS
    from stages.langid import prediction_text

    def normalise(text: str) -> str:
        return prediction_text(text, None)

    model = load_model(MODEL)
    labels = {label.removeprefix(model.label_prefix) for label in fasttext.load_model(str(model.path)).get_labels()}

    tatoeba = load_tatoeba(tatoeba_path, normalise)
    docs, und_skipped = load_udhr(udhr_path)
    names = {doc["iso6393"]: doc["name"] for doc in docs}
    udhr_docs, udhr_segs, pieces_missing = udhr_items(docs, args.per_bucket, args.seed, normalise)

    # Map gold labels; split into scored items and excluded ones.
    excluded: dict[str, dict[str, Any]] = {}
    scored: dict[str, list[Item]] = {"tatoeba": [], "udhr_doc": [], "udhr_seg": []}
    unsupported_segs: list[Item] = []  # text in languages lid.176 does not know
    unsupported_docs: list[Item] = []
    for it in [*tatoeba, *udhr_docs, *udhr_segs]:
        label, kind = ISO3_TO_LID.get(it.iso3, (None, None))
        reason = None
        if it.iso3 in UNRELIABLE_GOLD:
            reason = UNRELIABLE_GOLD[it.iso3]
        elif label is None or label not in labels:
            reason = "no lid.176 label"
        if reason is not None:
            entry = excluded.setdefault(
                it.iso3, {"name": names.get(it.iso3), "reason": reason, "tatoeba": 0, "udhr_doc": 0, "udhr_seg": 0}
            )
            entry[it.source] += 1
            if reason == "no lid.176 label":
                (unsupported_docs if it.source == "udhr_doc" else unsupported_segs).append(it)
            continue
        it.gold, it.kind = label, kind
        scored[it.source].append(it)

    everything = [*scored["tatoeba"], *scored["udhr_doc"], *scored["udhr_seg"], *unsupported_segs, *unsupported_docs]
    for i in range(0, len(everything), 4096):
        chunk = everything[i : i + 4096]
        for it, top in zip(chunk, model.predict([it.text for it in chunk], k=1), strict=True):
            it.pred, it.prob = top[0][0], min(top[0][1], 1.0)

    segments = [*scored["tatoeba"], *scored["udhr_seg"]]
    # A mainstream-language view: UDHR pieces whose gold label also occurs in the Tatoeba sample.
    tatoeba_labels = {it.gold for it in scored["tatoeba"]}
    udhr_common = [it for it in scored["udhr_seg"] if it.gold in tatoeba_labels]
    overall = {
        "tatoeba": summarise(scored["tatoeba"]),
        "udhr_doc": summarise(scored["udhr_doc"]),
        "udhr_seg": summarise(scored["udhr_seg"]),
        "segments_pooled": summarise(segments),
        "udhr_seg_tatoeba_langs": summarise(udhr_common),
    }
    buckets = {
        name: {
            "pooled": summarise([it for it in segments if bucket_of(it.length) == name]),
            "tatoeba": summarise([it for it in scored["tatoeba"] if bucket_of(it.length) == name]),
            "udhr_seg": summarise([it for it in scored["udhr_seg"] if bucket_of(it.length) == name]),
            "udhr_seg_tatoeba_langs": summarise([it for it in udhr_common if bucket_of(it.length) == name]),
        }
        for name, _, _ in BUCKETS
    }
    fine = {
        f"{lo}-{hi if hi < 10**9 else ''}": summarise([it for it in segments if lo <= it.length <= hi])
        for lo, hi in FINE_BINS
    }
    thresholds = threshold_table(segments, unsupported_segs)
    thresholds_common = threshold_table(udhr_common, unsupported_segs)
    thresholds_docs = threshold_table(scored["udhr_doc"], unsupported_docs)
    unsupported_preds = Counter(it.pred for it in unsupported_segs).most_common(10)
    doc_errors = [
        {
            "code": it.doc,
            "iso3": it.iso3,
            "name": it.name,
            "gold": it.gold,
            "pred": it.pred,
            "prob": round(it.prob, 3),
            "kind": it.kind,
            "chars": it.length,
        }
        for it in scored["udhr_doc"]
        if not it.correct
    ]
    seg_langs = per_language(segments)
    worst = sorted(seg_langs.items(), key=lambda kv: (kv[1]["accuracy"], -kv[1]["n"]))[:15]
    present = {it.iso3 for items in scored.values() for it in items}
    mapping = {
        code: {"lid": ISO3_TO_LID[code][0], "kind": ISO3_TO_LID[code][1], "name": names.get(code)}
        for code in sorted(present)
        if ISO3_TO_LID[code][0] != code
    }

    results = {
        "benchmark": "langid_accuracy",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "versions": {"fasttext": _pkg("fasttext-numpy2-wheel") or _pkg("fasttext"), "numpy": _pkg("numpy")},
        "model": {
            "name": MODEL,
            "sha256": MODELS[MODEL].sha256,
            "licence": MODELS[MODEL].licence,
            "origin": MODELS[MODEL].origin,
            "labels": len(labels),
        },
        "protocol": {
            "prediction_text": "stages.langid.prediction_text(text, None): whitespace runs -> one space",
            "top_k": 1,
            "buckets": {name: [lo, hi] for name, lo, hi in BUCKETS},
            "udhr_piece_lengths": PIECE_LENGTHS,
            "udhr_pieces_per_translation_and_bucket": args.per_bucket,
            "seed": args.seed,
            "macro_accuracy": "mean of per-language accuracy over gold lid.176 labels",
            "strict_accuracy": f"only gold codes whose mapping kind is one of {sorted(STRICT_KINDS)}",
            "ci95": "Wilson interval; treats items as independent (segments of one text are not)",
        },
        "data": {
            "tatoeba_sentences": len(tatoeba),
            "udhr_translations": len(docs),
            "udhr_und_skipped": und_skipped,
            "udhr_pieces": len(udhr_segs),
            "udhr_pieces_not_possible": pieces_missing,
            "scored": {k: len(v) for k, v in scored.items()},
            "gold_languages_scored": {k: len({it.iso3 for it in v}) for k, v in scored.items()},
            "gold_languages_total": {
                "tatoeba": len({it.iso3 for it in tatoeba}),
                "udhr": len({d["iso6393"] for d in docs}),
            },
        },
        "excluded": dict(sorted(excluded.items())),
        "mapping": mapping,
        "overall": overall,
        "buckets": buckets,
        "fine_bins": fine,
        "thresholds": thresholds,
        "thresholds_udhr_seg_tatoeba_langs": thresholds_common,
        "thresholds_udhr_doc": thresholds_docs,
        "unsupported_segments": {"n": len(unsupported_segs), "top_predictions": unsupported_preds},
        "unsupported_docs": {
            "n": len(unsupported_docs),
            "top_predictions": Counter(it.pred for it in unsupported_docs).most_common(10),
        },
        "confusions_segments": confusions(segments),
        "confusions_udhr_doc": confusions(scored["udhr_doc"]),
        "udhr_doc_errors": doc_errors,
        "worst_languages_segments": dict(worst),
        "per_language_segments": seg_langs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def pct(x: float) -> str:
        return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}"

    print(
        f"model {MODEL} ({len(labels)} labels); Tatoeba {len(tatoeba)} sentences, UDHR {len(docs)} translations "
        f"({und_skipped} 'und' skipped), {len(udhr_segs)} UDHR pieces"
    )
    print_table(
        "Top-1 accuracy (%)",
        ["data", "items", "langs", "accuracy", "95% CI", "macro", "strict n", "strict acc"],
        [
            [
                name,
                str(s["n"]),
                str(s["languages"]),
                pct(s["accuracy"]),
                f"{pct(s['accuracy_ci95'][0])}-{pct(s['accuracy_ci95'][1])}",
                pct(s["macro_accuracy"]),
                str(s["strict_n"]),
                pct(s["strict_accuracy"]),
            ]
            for name, s in overall.items()
        ],
    )
    print_table(
        "By length bucket (characters), segment-level data (%)",
        ["bucket", "n pooled", "pooled", "macro", "n tatoeba", "tatoeba", "n udhr", "udhr seg", "n common", "common"],
        [
            [
                name,
                str(b["pooled"]["n"]),
                pct(b["pooled"]["accuracy"]),
                pct(b["pooled"]["macro_accuracy"]),
                str(b["tatoeba"]["n"]),
                pct(b["tatoeba"]["accuracy"]),
                str(b["udhr_seg"]["n"]),
                pct(b["udhr_seg"]["accuracy"]),
                str(b["udhr_seg_tatoeba_langs"]["n"]),
                pct(b["udhr_seg_tatoeba_langs"]["accuracy"]),
            ]
            for name, b in buckets.items()
        ],
    )
    print_table(
        "Finer length bins, segment-level data (%)",
        ["chars", "n", "accuracy", "macro"],
        [[k, str(s["n"]), pct(s["accuracy"]), pct(s["macro_accuracy"])] for k, s in fine.items()],
    )
    for title, table in (
        ("segment-level data", thresholds),
        ("UDHR pieces in Tatoeba's languages ('common')", thresholds_common),
        ("UDHR full documents", thresholds_docs),
    ):
        print_table(
            f"min_score thresholds on {title} (%): coverage / accuracy of kept",
            [
                "min_score",
                "coverage",
                "acc kept",
                "correct kept",
                *(f"cov/acc {n}" for n, _, _ in BUCKETS),
                "unsupported pass",
            ],
            [
                [
                    f"{r['threshold']:.2f}",
                    pct(r["coverage"]),
                    pct(r["accuracy_kept"]),
                    pct(r["correct_kept"]),
                    *(f"{pct(r[f'coverage_{n}'])}/{pct(r[f'accuracy_kept_{n}'])}" for n, _, _ in BUCKETS),
                    pct(r["unsupported_pass"]),
                ]
                for r in table
            ],
        )
    print_table(
        "Top confusions, segment-level data",
        ["gold", "predicted", "count", "of gold"],
        [[c["gold"], c["pred"], str(c["count"]), str(c["of_gold"])] for c in results["confusions_segments"]],
    )
    print_table(
        "UDHR full-document errors",
        ["code", "name", "gold", "pred", "prob", "kind"],
        [[e["code"], str(e["name"]), e["gold"], e["pred"], f"{e['prob']:.2f}", e["kind"]] for e in doc_errors],
    )
    print_table(
        "Lowest per-language accuracy, segment-level data",
        ["gold", "iso3", "n", "accuracy", "top wrong"],
        [[g, ",".join(v["iso3"]), str(v["n"]), pct(v["accuracy"]), str(v["top_wrong"])] for g, v in worst],
    )
    ex_t = sorted(k for k, v in excluded.items() if v["tatoeba"])
    ex_u = sorted(k for k, v in excluded.items() if v["udhr_doc"])
    print(
        f"\nexcluded: Tatoeba {len(ex_t)} languages ({sum(excluded[k]['tatoeba'] for k in ex_t)} sentences): "
        f"{', '.join(ex_t)}"
    )
    print(f"excluded: UDHR {len(ex_u)} languages ({sum(excluded[k]['udhr_doc'] for k in ex_u)} translations)")
    print(f"unsupported-language segments: {len(unsupported_segs)}, top predictions {unsupported_preds[:5]}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
