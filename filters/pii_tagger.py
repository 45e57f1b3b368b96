"""A learned secret tagger: a linear-chain CRF over sub-word tokens marks the characters of credential values.

The rules in :mod:`filters.pii_secrets` find secrets from labels they know. Each new, independently written
evaluation set showed the same thing: first-run secret recall of 0.74-0.85, because credentials turn up behind
labels, argument positions and table columns that no list anticipates. The tagger learns from context instead:
the words before a value (in any of the languages of its training data, plus a lexicon of credential words), the
key of the line, the line above, and the shape of the value itself (length, entropy, character classes).

Only lines holding a *candidate word* are tagged: a white-space-separated word of at least six characters that
mixes character classes. Prose without such words costs one regular-expression scan. Tokens are ASCII letter and
digit runs, runs of other non-space characters, and single punctuation marks, so a value such as
``Kaffee&Tornado1501`` or ``sk_live_...`` is a run of tokens tagged ``B I I ...``.

The model (``filters/data/pii_secret_tagger.crfsuite``) is trained by :func:`train` on the repository's own
generated evaluation sets (``curate train-pii-tagger``); its metadata file records the sets and the sha256.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycrfsuite

from filters.pii_lexicon import LEXICON_PATTERN, NOT_CREDENTIAL_LABEL
from filters.pii_secrets import names_no_secret
from filters.pii_tagger_augment import augmented
from filters.pii_tagger_features import Line, is_candidate_word, iter_sequences, sequence
from filters.pii_values import (
    DOCUMENTED_EXAMPLES,
    PASSWORD_HASH,
    PUBLIC_VALUE,
    UUID,
    is_passphrase,
    without_encoding_prefix,
)

_NAMED_PREFIX = re.compile(r"[A-Za-z_][\w.\-]*[=:]")
# A field name in lower, camel or snake case ("realmId=", "client_id="); "yMDr=" and "Ribe378=" are password parts.
_FIELD_NAME = re.compile(r"(?:[a-z]{2,}(?:[A-Z][a-z]+)+|[a-z]{2,}(?:_[a-z]+)*)=")
MODEL_PATH = Path(__file__).with_name("data") / "pii_secret_tagger.crfsuite"


@dataclass
class SecretTagger:
    """Tags credential values with a trained CRF; ``threshold`` is the least per-token marginal of a kept span."""

    model_path: Path = MODEL_PATH
    threshold: float = 0.5

    def __post_init__(self) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model_path))

    def spans(self, text: str) -> Iterator[tuple[int, int, float]]:
        for line, tokens, first, last in iter_sequences(text):
            features = sequence(line, first, last, tokens)
            labels = self._tagger.tag(features)
            for start, end, score in self._decode(line, tokens[first:last], labels):
                if not _inside_pem_block(text, start):
                    yield start, end, score

    def _decode(self, line: Line, tokens: list[re.Match[str]], labels: list[str]) -> Iterator[tuple[int, int, float]]:
        if "B" not in labels or _named_other(line):
            return
        i = 0
        while i < len(labels):
            if labels[i] != "B":
                i += 1
                continue
            j = i + 1
            while j < len(labels) and labels[j] == "I":
                j += 1
            score = min(self._tagger.marginal(labels[k], k) for k in range(i, j))
            span = _trimmed(line.text, tokens[i:j])
            if span and score >= self.threshold and plausible_value(line.text, *span):
                yield line.start + span[0], line.start + span[1], score
            i = j


_GENERIC_VALUE_KEY = re.compile(r"""[ \t\-]*["']?(?:value|default)["']?[ \t]*[:=]""", re.IGNORECASE)
_NAME_LINE = re.compile(
    r"""[ \t\-]*(?:name|variable|key)["']?[ \t]*[:=]?[ \t]*["']?(?P<name>[\w.\-]+)""", re.IGNORECASE
)


def _named_other(line: Line) -> bool:
    """``value: v`` (Kubernetes env, Terraform variables) belongs to the name on the line above; when that name
    is no credential word (``name: REGION``), neither is the value."""
    if not _GENERIC_VALUE_KEY.match(line.text):
        return False
    named = _NAME_LINE.match(line.previous())
    return bool(named) and not LEXICON_PATTERN.search(named.group("name"))


_QUOTES = frozenset("\"'`")


def _trimmed(text: str, tokens: list[re.Match[str]]) -> tuple[int, int] | None:
    """A tagged run without the words of the text around it: the value stops at the first non-ASCII token
    ("v입니다", "vです。"), and a name with an equals sign or colon in front of it is the label ("pass=v")."""
    for k, token in enumerate(tokens):
        if not token.group().isascii():
            tokens = tokens[:k]
            break
    if not tokens:
        return None
    start, end = tokens[0].start(), tokens[-1].end()
    named = _NAMED_PREFIX.match(text, start, end)
    if named and (LEXICON_PATTERN.search(named.group()) or _FIELD_NAME.fullmatch(named.group())):
        start = named.end()  # "realmId=v": the name is judged by plausible_value, the value is what is tagged
    user = _USER_PREFIX.match(text, start, end)
    if user and user.group().endswith("%") and not _SMB_USER.search(text, max(0, start - 40), start):
        user = None  # "kuchen3%IND26lz" is one password; "user%password" only follows smbclient's -U
    if user and text[start - 3 : start] != "://":
        start = user.end()
    start, end = without_encoding_prefix(text, start, end)
    if text[end : end + 1] not in _QUOTES:
        while end > start and text[end - 1] in ".,!?:;":
            end -= 1  # sentence punctuation: "... is v." and "... v?" end the sentence; "v!" in quotes is the value
    return (start, end) if start < end else None


# Shapes no credential has: an option or flag ("--from-literal=..."), a query string or URL-encoded text, a short hex
# constant (0xc0000374), a CSP source ("nonce-...", "sha256-...").
_NO_VALUE_SHAPE = re.compile(
    r"^-|[?&][A-Za-z_][\w.-]*=|%20|^0x[0-9a-fA-F]{1,16}$|^(?:nonce|sha256|sha384|sha512)-"
    # a whole NAME=value line (I18N_DEFAULT=en), a W3C traceparent
    r"|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+=|^0[0-9a-f]-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
)
_HOSTNAME = re.compile(r"(?:[A-Za-z0-9-]+\.)+(?:[a-z]{2,12}|[A-Z]{2,12})")
# Content-Type, DD-APPLICATION-KEY, X-Hub-Signature-256
_HEADER_NAME = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)+|[A-Z]+(?:-[A-Z]+)+|X-[A-Z][A-Za-z]+(?:-(?:[A-Z][a-z]+|\d+))*")
_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")  # DB_PASSWORD in ${DB_PASSWORD}
# Placeholders, and references to a value kept elsewhere (os.environ["X"], process.env.X, getenv("X")).
_PLACEHOLDER = re.compile(
    r"example|sample|dummy|placeholder|xxxx|your[_-]|environ|getenv|process\.env|\*{3}|^\$"
    r"|password|1password|bitwarden|keepass|lastpass|dashlane",  # masked values, references, password managers
    re.IGNORECASE,
)
# Published on purpose (public_key, publishable keys, ssh-rsa lines) or no credential (CSRF tokens, nonces, Vault
# token accessors).
_PUBLIC_LABEL = re.compile(NOT_CREDENTIAL_LABEL.pattern + r"|ssh-(?:rsa|ed25519|dss) |ecdsa-sha2\S* ", re.IGNORECASE)
# Vendor identifiers that name an account or object and open nothing: Stripe objects (ch_, cus_, pi_ ...), Airtable
# bases; a product/version token (Mozilla/5.0). Public values (wallets, publishable keys) are the rules' PUBLIC_VALUE.
_IDENTIFIER = re.compile(
    r"(?:ch|cus|pi|pm|evt|txn|in|ii|sub|prod|price|acct|tok|card|src|seti|py|re|po|tr|cn|dp|ba|si|il)_[A-Za-z0-9]{8,}"
    r"|app[A-Za-z0-9]{14}|[A-Za-z][\w.-]*/\d+(?:\.\d+)*|1Z[0-9A-Z]{16}"  # Go-http-client/2.0, UPS tracking
    r"|(?:Ctrl|Alt|Shift|Cmd|Win|Fn|Option|Super|Meta)\+\S+"  # key combinations
    r"|[a-z_]+=\d{1,6}"  # timeout=10, status=200
)
# "user%password" (smbclient -U), "user:password" (chpasswd, HAProxy stats auth): the password is the value.
_USER_PREFIX = re.compile(r"[a-z][a-z0-9_.-]{0,31}[%:](?=\S{6})")
_SMB_USER = re.compile(r"(?:-U|--user(?:name)?)[ \t=]*[\w.-]*$")
# Product, booking and part codes (BK-2041-RD) and ISO timestamps mix letters and digits but open nothing.
_CODE = re.compile(r"[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,6}){1,4}|\d{4}-\d\d-\d\d[T ]\d\d:\d\d[\d:.,]*(?:Z|[+-]\d\d:?\d\d)?")
# digests ("MD5 (legacy): …"), SRI, ARNs
_DIGEST_PREFIX = re.compile(
    r"(?:sha(?:1|256|384|512)|md5)(?:[ \t]*\([^)\n]{0,20}\))?[:-][ \t]*$|arn:\S*$", re.IGNORECASE
)
_KEY_BEFORE = re.compile(r"""([A-Za-z_][\w.\-]*)["']?[ \t]*(?::=|=>|[:=])[ \t]*["']?$|([A-Za-z_][\w.\-]*)[ \t]+["']$""")


def plausible_value(text: str, start: int, end: int) -> bool:
    """Vetoes on a tagged span that no context makes a secret: words that are no candidates, host names, header
    and constant names, placeholders, the local part of an e-mail address, a value labelled public, published
    documentation examples, a part of a stored password hash."""
    value = text[start:end]
    if not is_candidate_word(value) or _PLACEHOLDER.search(value) or _NO_VALUE_SHAPE.search(value):
        return False
    word_start = max(text.rfind(" ", 0, start), text.rfind("\t", 0, start), text.rfind("\n", 0, start)) + 1
    line_end = text.find("\n", end)
    line = text[text.rfind("\n", 0, start) + 1 : len(text) if line_end < 0 else line_end]
    if (_HOSTNAME.fullmatch(value) and not is_passphrase(value)) or _HEADER_NAME.fullmatch(value):
        return False
    if _CONSTANT_NAME.fullmatch(value):
        return False
    if (text[end : end + 1] == "@" or value.endswith("@")) and text[start - 1 : start] != ":":
        return False
    if _PUBLIC_LABEL.search(text, max(0, start - 40), start) or value in DOCUMENTED_EXAMPLES:
        return False
    if _CODE.fullmatch(value) or _IDENTIFIER.fullmatch(value) or PUBLIC_VALUE.fullmatch(value):
        return False
    if _DIGEST_PREFIX.search(text, max(0, start - 32), start) or "arn:" in text[word_start:start]:
        return False
    if "ENC[" in text[word_start:start]:  # SOPS ciphertext: ENC[AES256_GCM,data:…,iv:…]
        return False
    if _HEX_DIGEST.fullmatch(value) and _REVISION_WORD.search(text, max(0, start - 120), start):
        return False  # "which commit is in production?" / "1a0b5478...": a revision
    if (UUID.fullmatch(value) or _HEX_DIGEST.fullmatch(value)) and _TABLE_ROW.search(line):
        return False  # ids and digests in table rows; a credential column is the table reader's to find
    if _NETWORK_NAME.fullmatch(value) or _REFERENCE_BEFORE.search(text, max(0, start - 40), start):
        return False
    if text[end : end + 1] == "(":
        return False  # Session.getInstance(props), new BasicAWSCredentials(...): a call, not a value
    if _inside_template(text, start) or _ALGORITHM.fullmatch(value) or _SHELL_PROMPT.search(value):
        return False
    if _ROUTER_NAME.fullmatch(value) or _NETWORK_LABEL.search(text, max(0, start - 24), start):
        return False  # "wifi-wachtwoord voor "TP-Link_54B9" is: v", "(Netz: Livebox-5A3F)": the network, not its key
    if _LEGACY_BITCOIN.fullmatch(value) and _WALLET_WORD.search(text, max(0, start - 160), start):
        return False
    if '"kty"' in line and _PUBLIC_JWK_MEMBER.search(text, max(0, start - 8), start):
        return False  # a JSON Web Key's modulus and exponent are public (its "d", "p", "q" are not)
    if UUID.fullmatch(value) and (
        _ID_WORD_BEFORE.search(text, max(0, start - 40), start) or _ID_WORD.search(text, max(0, start - 40), start)
    ):
        return False  # "for request 341faa9b-...": a request id
    key = _KEY_BEFORE.search(text, max(0, start - 80), start)
    name = key and (key.group(1) or key.group(2))
    if name and (names_no_secret(name) or names_no_secret(name, value)):
        return False
    return not PASSWORD_HASH.search(text, word_start, end)


# Names of algorithms and protocols ("if it's scram-sha-256", "the second Argon2id"), never their keys.
_ALGORITHM = re.compile(
    r"(?i)scram-sha-\d+|argon2(?:id|i|d)?|pbkdf2[\w-]*|oauth\d(?:\.\d)?|hmac-?sha-?\d+|(?:aes|rsa|sha)-?\d+(?:-\w+)?"
    r"|chacha20(?:-poly1305)?|x?25519|ed448|tlsv?1\.\d|wpa\d(?:-\w+)?"
)
_SHELL_PROMPT = re.compile(r"@[\w.-]+:[~/][^\s]*[#$%>]?$")  # root@edge-ap-20:~#
# Wi-Fi networks are named after their router ("TP-Link_54B9", "Livebox-5A3F", "FRITZ!Box 7590").
_ROUTER_NAME = re.compile(
    r"(?i)(?:tp-?link|livebox|fritz!?box|vodafone|netgear|linksys|asus|speedport|ziggo|orange|bbox|sfr|huawei"
    r"|xiaomi|movistar|telekom|magenta|freebox|dlink|d-link|ubnt|eero|starlink|sky|bt-?hub|virgin|proximus|telenet"
    r"|kpn|digi|upc|a1|ono|jazztel|tim|wind|fastweb|swisscom|sunrise|salt|telia|telenor|elisa|dna)[-_ ]?[\w!-]*"
)
_NETWORK_LABEL = re.compile(
    r"(?i)(?<![a-z])(?:network|netz(?:werk)?|ssid|réseau|rete|rede|red|sieć|сеть|сіть|мережа|wlan-name)"
    r"[ \t]*[:=(]?[ \t]*[\"'“„«]?$"
)
# "(reference YTZTh13uoH)", "Approval code: 3AHZFY", "kanal-ID'et er C0HhRHUaFnO": a value that names a record
_REFERENCE_BEFORE = re.compile(
    r"(?i)(?:reference|sku|approval[ \t]+code|confirmation(?:[ \t]+(?:code|number))?"
    r"|booking(?:[ \t]+(?:code|reference))?"
    r"|order(?=[ \t]*[=:#])"
    r"|tracking(?:[ \t]+number)?|invoice(?:[ \t]+number)?|(?<![a-z])id(?:'et|'en)?(?:[ \t]+(?:er|is|ist|est|es|är))?)"
    r"[ \t:#.=]*$"
)
_LEGACY_BITCOIN = re.compile(r"[13][1-9A-HJ-NP-Za-km-z]{25,34}")
_WALLET_WORD = re.compile(r"(?i)btc|bitcoin|wallet|crypto|donat|satoshi")
_ID_WORD_BEFORE = re.compile(
    r"(?i)(?:request|trace|correlation|transaction|order|ticket|job|run|event|message|incident|build)"
    r"(?:(?:[ _-]?id)?[ \t:=#]*|[ _-]?id\b[^\n]{0,30})$"  # "Request-ID uit de foutmelding: <uuid>"
)
_PUBLIC_JWK_MEMBER = re.compile(r"\"(?:n|e|x|y|kid)\"[ \t]*:[ \t]*\"$")
_ID_WORD = re.compile(r"(?<![\w-])ID\b[^\n]{0,30}$")  # "Korelační ID z brány: <uuid>"
_HEX_DIGEST = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_REVISION_WORD = re.compile(r"(?i)commit|revision|revert|sha|checksum|digest|hash")
_TABLE_ROW = re.compile(r"^[ \t]*\||<td|\t|[ \t]&[ \t]|\|\|")
# Guest-1O9O, IoT-LY5S: Wi-Fi and host names
_NETWORK_NAME = re.compile(
    r"[A-Z][A-Za-z]{1,11}[-_](?=[0-9]*[A-Z])[A-Z0-9]{4}|[\w-]+[_-](?:5G|2\.4G|5GHz|2\.4GHz|Guest|Gast|IoT)"
    r"|(?i:ticket|inc|req|chg|case)[#-]?\d{5,}"  # and ticket numbers: Ticket#2023010367, INC6440049
)


def _inside_template(text: str, start: int) -> bool:
    """``{{ .Values.apiKey | b64enc }}``: template code, not a value."""
    line_start = text.rfind("\n", 0, start) + 1
    return text.rfind("{{", line_start, start) > text.rfind("}}", line_start, start)


def _inside_pem_block(text: str, start: int) -> bool:
    """A line of a PEM block: a certificate or public key is published on purpose, and the rules take a private
    key block whole."""
    begin = text.rfind("-----BEGIN ", 0, start)
    return begin >= 0 and text.rfind("-----END ", begin, start) < 0


@cache
def cached_tagger(model_path: Path, threshold: float) -> SecretTagger:
    """One loaded model per path and threshold and process (the stage calls it per document)."""
    return SecretTagger(model_path, threshold)


def training_sequences(
    records: Iterable[dict[str, Any]], entity: str = "SECRET"
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) for every taggable window of the labelled records; windows whose gold spans do not fall
    on token boundaries, or that hold part of a multi-line span, are left out."""
    for record in records:
        gold = [(s["start"], s["end"]) for s in record["spans"] if s["entity"] == entity]
        multi_line = [(a, b) for a, b in gold if "\n" in record["text"][a:b]]
        for line, tokens, first, last in iter_sequences(record["text"]):
            line_end = line.start + len(line.text)
            if any(a < line_end and line.start < b for a, b in multi_line):
                continue
            labels = ["O"] * (last - first)
            aligned = True
            for a, b in gold:
                if not (line.start <= a and b <= line_end):
                    continue
                inside = [k for k in range(first, last) if a <= line.start + tokens[k].start() < b]
                if not inside:
                    continue
                k0, k1 = inside[0], inside[-1]
                if line.start + tokens[k0].start() != a or line.start + tokens[k1].end() != b:
                    aligned = False
                    break
                labels[k0 - first] = "B"
                for k in range(k0 + 1, k1 + 1):
                    labels[k - first] = "I"
            if aligned:
                yield sequence(line, first, last, tokens), labels


def train(
    records: list[dict[str, Any]],
    model_path: Path,
    c1: float = 0.05,
    c2: float = 0.01,
    max_iterations: int = 150,
    augment: bool = True,
) -> dict[str, Any]:
    """Train the CRF on labelled records (the evaluation-set format), plus an augmented copy of each record with a
    secret (:mod:`filters.pii_tagger_augment`); the model is renamed into place when done."""
    extra = augmented(records) if augment else []
    trainer = pycrfsuite.Trainer(verbose=False)
    sequences = 0
    for features, labels in training_sequences([*records, *extra]):
        trainer.append(features, labels)
        sequences += 1
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.possible_transitions": True})
    model_path.parent.mkdir(parents=True, exist_ok=True)
    partial = model_path.with_name(model_path.name + ".tmp")
    trainer.train(str(partial))
    partial.replace(model_path)
    return {
        "records": len(records),
        "augmented_records": len(extra),
        "sequences": sequences,
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iterations,
    }


def train_from_files(paths: list[Path], model_path: Path) -> dict[str, Any]:
    """Train on labelled JSONL files and write ``<model>.json`` beside the model: the files with their sha256, the
    parameters, the model's own sha256 and the training time."""
    records: list[dict[str, Any]] = []
    sources = []
    for path in paths:
        raw = path.read_bytes()
        try:
            rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: not a labelled JSONL file ({error})") from error
        records.extend(rows)
        sources.append({"file": path.name, "records": len(rows), "sha256": hashlib.sha256(raw).hexdigest()})
    started = time.perf_counter()
    meta = train(records, model_path)
    meta.update(
        training_files=sources,
        train_seconds=round(time.perf_counter() - started, 1),
        model_sha256=hashlib.sha256(model_path.read_bytes()).hexdigest(),
    )
    partial = model_path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    partial.replace(model_path.with_suffix(".json"))
    return meta
