"""The learned secret tagger: the bundled model, what it adds to the rules, its vetoes, and training it."""

from __future__ import annotations

import hashlib
import json
import random
import string
from pathlib import Path

import pytest

from filters.pii import ENTITIES, PiiConfig, find_pii
from filters.pii_tagger import MODEL_PATH, SecretTagger, plausible_value, training_sequences
from filters.pii_tagger_augment import augmented_copy
from filters.pii_tagger_features import is_candidate_word
from pipeline.cli import main
from stages.pii import PiiRedaction, PiiStageConfig

REPO = Path(__file__).resolve().parent.parent
RULES_ONLY = PiiConfig(entities=list(ENTITIES), secret_tagger=False)
WITH_TAGGER = PiiConfig(entities=list(ENTITIES))


def _secrets(text: str, config: PiiConfig) -> list[str]:
    return [span.text for span in find_pii(text, config, "en") if span.entity == "SECRET"]


def test_the_bundled_model_is_the_one_its_metadata_describes() -> None:
    meta = json.loads(MODEL_PATH.with_suffix(".json").read_text())
    assert hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest() == meta["model_sha256"]
    for source in meta["training_files"]:  # trained on the repository's own labelled sets, as they are now
        path = REPO / "bench" / "pii_eval" / source["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"], source["file"]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('conn = ftplib.FTP("ftp.harbourline-freight.com", "ops_upload", "Vq4#Lr9pXe2!")', "Vq4#Lr9pXe2!"),
        ("Dein neuer Zugang: Benutzer kfz_wagner, Kennung Rt7!mQ2xLp9z", "Rt7!mQ2xLp9z"),
        ("ssh deploy@10.0.0.5 # login Mx7!qR4vLp2s", "Mx7!qR4vLp2s"),
        ("The wifi code is Lp5%nR8wQz3t for guests.", "Lp5%nR8wQz3t"),
        ("Guest wifi for tonight: Lp5%nR8wQz3t!", "Lp5%nR8wQz3t"),
        ("kuchen3%IND26lz <- new root password for the staging box", "kuchen3%IND26lz"),
        ("smbclient //fs01/share -U backup%Xk8mQ2vLp9 -c ls", "Xk8mQ2vLp9"),
    ],
)
def test_the_tagger_finds_secrets_in_contexts_no_rule_names(text: str, secret: str) -> None:
    assert _secrets(text, RULES_ONLY) == []
    assert _secrets(text, WITH_TAGGER) == [secret]


def test_rule_spans_and_other_entities_win_over_tagged_ones() -> None:
    text = 'smtp.login("ola.berg@fjordpost-shipping.no", "Vq4#Lr9pXe2!")\nexport ORACLE_PWD=Ks8@mV3qTx9r'
    found = [(s.entity, s.text) for s in find_pii(text, WITH_TAGGER, "en")]
    assert ("EMAIL_ADDRESS", "ola.berg@fjordpost-shipping.no") in found
    assert ("SECRET", "Ks8@mV3qTx9r") in found  # the rules' span, with its exact boundaries
    assert ("SECRET", "Vq4#Lr9pXe2!") in found


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app", "DB_PASSWORD"),
        ('{"Content-Type": "application/json"}', "Content-Type"),
        ('{"auths": {"registry.lagerhaus-nord.de": {}}}', "registry.lagerhaus-nord.de"),
        ("Author: Jan Kowal <jan_kowal71@pocztex-mail.pl>", "jan_kowal71"),
        ("public_key: ySD9D85XZLCwkkNT68r2xW+z6UNf9lNj6pvA6JN+z1M=", "ySD9D85XZLCwkkNT68r2xW+z6UNf9lNj6pvA6JN+z1M="),
        (
            "curl https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dc:",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ),
        ('password: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$Qm9ndXNIYXNoVmFsdWUx"', "Qm9ndXNIYXNoVmFsdWUx"),
        ("api_key = YOUR_API_KEY_HERE_12345", "YOUR_API_KEY_HERE_12345"),
        ('DB_PASSWORD = os.environ["MYSQL_PWD"]', 'os.environ["MYSQL_PWD'),
        ("curl https://api.stripe.com/v1/refunds -d charge=ch_3MebVhVlLCqyx25yr4Hx", "ch_3MebVhVlLCqyx25yr4Hx"),
        ('account_sid = "AC27847662967ed2a94f704aa7195fd6b5"', "AC27847662967ed2a94f704aa7195fd6b5"),
        ('"GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"', "Mozilla/5.0"),
        ("Cookie: csrftoken=Wq3vT8mZr5Lw9xPkR2nY7bQ4", "Wq3vT8mZr5Lw9xPkR2nY7bQ4"),
        ("Session session = Session.getInstance(props);", "Session.getInstance"),
        ("pic.twitter.com/9CYgKmoyXT Minuto30.com (@minuto30com)", "Minuto30.com"),
        ('what about "Windows Key+M" or "Alt+Enter"?', "Alt+Enter"),
        ("type=LOGIN_ERROR, realmId=79c8a7d7-6a29-4a5a-95f0-d134874f1026", "79c8a7d7-6a29-4a5a-95f0-d134874f1026"),
        ("Exception code: 0xc0000374", "0xc0000374"),
        (
            "add_header Content-Security-Policy \"script-src 'nonce-M1SBO78K8VFZZe5r0G527m'\";",
            "nonce-M1SBO78K8VFZZe5r0G527m",
        ),
        ("kubectl create secret generic db --from-literal=password=Side7~Faka", "--from-literal=password=Side7~Faka"),
        (
            "GET /authorize?scope=openid%20email&state=82hLsLtgaSb1koMy HTTP/1.1",
            "openid%20email&state=82hLsLtgaSb1koMy",
        ),
        ("/callback?code=x&state=Miv4x1nZqdLGtA7w", "Miv4x1nZqdLGtA7w"),
    ],
)
def test_vetoes_reject_what_no_context_makes_a_secret(line: str, value: str) -> None:
    start = line.index(value)
    assert not plausible_value(line, start, start + len(value))


def test_a_value_under_a_name_that_is_no_credential_is_not_tagged() -> None:
    tagger = SecretTagger()
    assert list(tagger.spans("  - name: REGION\n    value: 'Eu8west2Zone'")) == []
    assert [text for text in _secrets("  - name: DB_PASSWORD\n    value: 'Eu8west2Zone'", WITH_TAGGER)] == [
        "Eu8west2Zone"
    ]


@pytest.mark.parametrize(
    ("word", "candidate"),
    [
        ("Kaffee&Tornado1501", True),
        ("AKIAJZVYVXBVXHTHEKYV", True),
        ('"glpat-HDCI7iFYHuMtYWkrLfBS",', True),
        ("Covid-19", False),
        ("31-Michael", False),
        ("c’est-à-dire", False),
        ("user-friendly", False),
        ("https://wpolityce.pl/gospodarka/549052-jest-zgoda", False),
        ("Contraseña", False),
        ("12345678901234567", False),
        ("glacier-willow-butterfly", True),
        ("state-of-the-art", False),
        ("mail.google.com", False),
    ],
)
def test_candidate_words(word: str, candidate: bool) -> None:
    assert is_candidate_word(word) is candidate


def test_prose_without_candidate_words_is_not_tagged_at_all() -> None:
    text = "Die Sitzung beginnt um neun Uhr. The committee met in Paris-8 and discussed Covid-19 at length.\n" * 50
    tagger = SecretTagger()
    assert list(tagger.spans(text)) == []
    assert list(training_sequences([{"text": text, "spans": []}])) == []


def _labelled_record(rng: random.Random, index: int) -> dict:
    """A generated config or chat line with a fresh password in it; the label word varies."""
    password = (
        "".join(rng.choice(string.ascii_letters) for _ in range(5)) + rng.choice("!#%&") + str(rng.randint(10, 999))
    )
    label = rng.choice(["password", "passwd", "db_pass", "Passwort", "secret"])
    host = "".join(rng.choice(string.ascii_lowercase) for _ in range(6))
    prefix = rng.choice([f"{label}={''}", f"{label}: ", f'{label} = "', f"the {label} for {host} is "])
    text = f"host={host}.internal port={rng.randint(1000, 9999)}\n{prefix}"
    start = len(text)
    text += password + ('"' if prefix.endswith('"') else "") + f"\nbuild={host}{rng.randint(10, 99)}x"
    return {
        "id": f"g{index}",
        "text": text,
        "spans": [{"start": start, "end": start + len(password), "entity": "SECRET"}],
    }


def test_training_from_labelled_files_learns_and_writes_its_metadata(tmp_path: Path) -> None:
    rng = random.Random(7)
    train_file = tmp_path / "train.jsonl"
    train_file.write_text("\n".join(json.dumps(_labelled_record(rng, i)) for i in range(160)) + "\n")
    model = tmp_path / "model" / "tagger.crfsuite"
    assert main(["train-pii-tagger", str(train_file), "--output", str(model)]) == 0
    meta = json.loads(model.with_suffix(".json").read_text())
    assert meta["records"] == 160 and meta["training_files"][0]["file"] == "train.jsonl"
    assert hashlib.sha256(model.read_bytes()).hexdigest() == meta["model_sha256"]
    assert sorted(p.name for p in model.parent.iterdir()) == ["tagger.crfsuite", "tagger.json"]  # no .tmp left

    held_out = [_labelled_record(rng, 1000 + i) for i in range(40)]
    tagger = SecretTagger(model)
    found = sum(
        [(a, b) for a, b, _ in tagger.spans(r["text"])] == [(r["spans"][0]["start"], r["spans"][0]["end"])]
        for r in held_out
    )
    assert found >= 36  # exact spans on unseen values; the "build=..." words are never tagged


def test_training_names_a_file_that_is_not_labelled_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "text": "x", "spans": []}\n{"id": "b", "text": \n')
    assert main(["train-pii-tagger", str(broken), "--output", str(tmp_path / "m.crfsuite")]) == 2
    assert "broken.jsonl" in capsys.readouterr().err
    assert not (tmp_path / "m.crfsuite").exists()


def test_the_stage_can_switch_the_tagger_off_or_load_another_model(tmp_path: Path) -> None:
    stage = PiiRedaction(PiiStageConfig(secret_tagger=False))
    stage.setup()
    assert stage.detector_config.secret_tagger is False
    missing = PiiConfig(secret_tagger_model=str(tmp_path / "absent.crfsuite"))
    with pytest.raises(OSError):
        find_pii("token Vq4#Lr9pXe2! here", missing)


def test_augmented_copies_swap_labels_and_passwords_and_keep_every_span_aligned() -> None:
    text = (
        "Server mail.fjordpost.no\nuser: ola.berg@fjordpost-shipping.no\npassword: Kiwi77mango#\napi_key = sk_live_Q2w9"
    )
    email = text.index("ola.berg")
    password = text.index("Kiwi77")
    record = {
        "id": "r1",
        "text": text,
        "spans": [
            {"start": email, "end": email + len("ola.berg@fjordpost-shipping.no"), "entity": "EMAIL_ADDRESS"},
            {"start": password, "end": password + len("Kiwi77mango#"), "entity": "SECRET"},
        ],
    }
    copies = [augmented_copy(record, random.Random(seed)) for seed in range(40)]
    assert all(copy is not None for copy in copies)
    changed_label = changed_value = 0
    for copy in copies:
        assert copy is not None
        spans = copy["spans"]
        assert copy["text"][spans[0]["start"] : spans[0]["end"]] == "ola.berg@fjordpost-shipping.no"
        value = copy["text"][spans[1]["start"] : spans[1]["end"]]
        assert value and "\n" not in value and copy["text"][spans[1]["end"] :].startswith("\napi")
        changed_value += value != "Kiwi77mango#"
        changed_label += "\npassword: " not in copy["text"]
    assert changed_value > 10 and changed_label > 10  # most copies differ, not all: the originals stay common
    assert augmented_copy({"id": "n", "text": "no secret here", "spans": []}, random.Random(0)) is None


def test_a_user_name_in_front_of_a_tagged_password_is_left_out() -> None:
    tagger = SecretTagger(threshold=0.0)  # the trimming, whatever the model's confidence
    text = "smbclient //nas/backup -U svc_backup%Gv7&pR3mQx9t -c 'ls'"
    assert [text[a:b] for a, b, _ in tagger.spans(text)] == ["Gv7&pR3mQx9t"]
