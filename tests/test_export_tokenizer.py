"""Tokenizers for the export: local files of three kinds, and BLOOM-style byte-level BPE training."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest

from stages.export.tokenizer import PII_PLACEHOLDERS, ExportTokenizer, TokenizerError, train_byte_level_bpe

TEXTS = [
    "The rain garden collects water from the roof and lets it soak into the ground.",
    "Le jardin de pluie recueille l'eau du toit et la laisse s'infiltrer dans le sol.",
    "Der Regengarten sammelt Wasser vom Dach und lässt es im Boden versickern.",
    "雨水花园收集屋顶的雨水，让它渗入地下。",
    "Write to |||EMAIL_ADDRESS||| or call |||PHONE_NUMBER||| before noon.",
] * 20


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> ExportTokenizer:
    model = train_byte_level_bpe(TEXTS, vocab_size=500)
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    path.write_text(model.to_str())
    return ExportTokenizer.load(path)


def test_trained_vocabulary_is_a_multiple_of_128_with_eod_and_pii_tokens_first(trained: ExportTokenizer) -> None:
    assert trained.vocab_size % 128 == 0 and trained.vocab_size >= 500
    assert trained.eod_token == "<|endoftext|>" and trained.eod_id == 0
    assert [trained._model.token_to_id(t) for t in PII_PLACEHOLDERS] == list(range(1, len(PII_PLACEHOLDERS) + 1))


def test_pii_placeholders_stay_one_token(trained: ExportTokenizer) -> None:
    ids = trained.encode_batch(["mail |||EMAIL_ADDRESS||| now"])[0]
    assert trained._model.token_to_id("|||EMAIL_ADDRESS|||") in ids


def test_byte_level_bpe_round_trips_any_text_exactly(trained: ExportTokenizer) -> None:
    texts = [*TEXTS[:5], "emoji 🌧️ tabs\tand\nnewlines  double  spaces", "Ελληνικά και русский"]
    flat, lengths = trained.encode_documents(texts, np.uint16)
    assert lengths.sum() == len(flat)
    start = 0
    for text, length in zip(texts, lengths, strict=True):
        document = flat[start : start + length]
        assert document[-1] == trained.eod_id
        assert trained.decode(document[:-1]) == text
        start += length


def test_training_is_deterministic() -> None:
    first = train_byte_level_bpe(TEXTS, vocab_size=400).to_str()
    assert train_byte_level_bpe(TEXTS, vocab_size=400).to_str() == first


def test_a_missing_file_or_eod_token_is_a_clear_error(tmp_path: Path, trained: ExportTokenizer) -> None:
    with pytest.raises(TokenizerError, match="not found"):
        ExportTokenizer.load(tmp_path / "nope.json")
    with pytest.raises(TokenizerError, match="eod_token"):
        ExportTokenizer.load(trained.path, eod_token="<nope>")


def test_gpt2_vocab_and_merges_folder_loads_with_its_known_ids(shared_data: Path) -> None:
    tokenizer = ExportTokenizer.load(shared_data / "tokenizers" / "gpt2")
    assert tokenizer.encode_batch(["Hello world"]) == [[15496, 995]]
    assert tokenizer.eod_id == 50256 and tokenizer.vocab_size == 50257


def test_olmo_tokenizer_keeps_pii_tokens_and_round_trips_nfc_text(shared_data: Path) -> None:
    tokenizer = ExportTokenizer.load(shared_data / "tokenizers" / "gpt-neox-20b-olmo-pii" / "tokenizer.json")
    assert tokenizer.eod_token == "<|endoftext|>" and tokenizer.vocab_size < 65500
    ids = tokenizer.encode_batch(["write to |||EMAIL_ADDRESS||| today"])[0]
    assert tokenizer._model.token_to_id("|||EMAIL_ADDRESS|||") in ids
    text = "Cafe\u0301 au lait, 雨水花园"
    assert tokenizer.decode(tokenizer.encode_batch([text])[0]) == unicodedata.normalize("NFC", text)


def test_sentencepiece_models_load_with_their_eos_as_eod(shared_data: Path) -> None:
    pytest.importorskip("sentencepiece")
    tokenizer = ExportTokenizer.load(
        shared_data / "tokenizers" / "sentencepiece" / "sentencepiece-test-botchan-en.model"
    )
    assert tokenizer.kind == "sentencepiece" and tokenizer.vocab_size == 1000
    assert tokenizer.eod_token == "</s>"
    ids = tokenizer.encode_batch(["I am a cat."])[0]
    assert tokenizer.decode(ids) == "I am a cat."
