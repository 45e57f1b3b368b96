"""Training-data augmentation for the secret tagger: the same documents with other label words and other values.

Each labelled set teaches the tagger the label words and value shapes its writer happened to use. A copy of every
record that holds a secret is added to the training data, in which most credential words outside the labelled
spans are swapped for the same kind of word in another language ("password" → "heslo", "API key" → "API
キー"), and most human-looking passwords are replaced by freshly generated ones of another style. The context
(syntax, separators, neighbours) stays, so the tagger learns that the context makes a secret, whatever the label's
language and whatever the value looks like. In a replay of the sets' history this raised the first-sight recall
of rules plus tagger on sets 5, 7 and 8 by 0.008-0.033 (``docs/quality.md``).
"""

from __future__ import annotations

import random
import re
import string
from typing import Any

from filters.pii_lexicon import LEXICON_PATTERN, lexicon_class

# Label words people write, per kind (a subset of the lexicon: no config keys such as ``requirepass``).
_LABEL_WORDS = {
    "pass": "password passwort passwd pwd pass passphrase kennwort contraseña senha wachtwoord parola hasło lösenord "
    "salasana adgangskode passord şifre heslo jelszó lozinka parool пароль κωδικός סיסמה पासवर्ड รหัสผ่าน 密码 "
    "パスワード 비밀번호 암호",
    "key": "key apikey clave chave clé schlüssel chiave klucz klíč kulcs nøgle nyckel avain anahtar ключ κλειδί מפתח "
    "مفتاح कुंजी キー 키 密钥 kunci",
    "token": "token jeton токен טוקן टोकन โทเคน トークン 토큰 令牌",
    "secret": "secret segredo secreto geheim シークレット 시크릿 秘密",
}
_WORDS = {kind: words.split() for kind, words in _LABEL_WORDS.items()}
_SYLLABLES = "Falke river Sonne mango orbit Tiger lumen Nebel cedar Pluto salsa Kiwi delta Fjord maple Onda".split()
_SYMBOLS = "!#$%&*+-_"
_VENDOR_PREFIX = re.compile(r"[A-Za-z]{2,8}[_-]")  # sk_live_..., glpat-...: a format, not a human's password
SWAP_PROBABILITY = 0.7


def _password(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.35:
        first, second = rng.choice(_SYLLABLES), rng.choice(_SYLLABLES).lower()
        return f"{first}{second}{rng.randint(1, 999)}{rng.choice(_SYMBOLS)}"
    if style < 0.7:
        alphabet = string.ascii_letters + string.digits + _SYMBOLS + "^="
        return rng.choice(string.ascii_letters) + "".join(rng.choice(alphabet) for _ in range(rng.randint(9, 23)))
    words = [rng.choice(_SYLLABLES) for _ in range(2)]
    return f"{words[0]}{rng.choice('-._')}{words[1]}{rng.choice('-._')}{rng.randint(1, 99)}"


def _human_password(value: str) -> bool:
    return (
        "\n" not in value
        and len(value) <= 32
        and any(c.islower() for c in value)
        and any(c.isdigit() for c in value)
        and not _VENDOR_PREFIX.match(value)
    )


def augmented_copy(record: dict[str, Any], rng: random.Random) -> dict[str, Any] | None:
    """The record with label words and passwords swapped, its spans moved to match; None without a secret."""
    text, spans = record["text"], record["spans"]
    if not any(span["entity"] == "SECRET" for span in spans):
        return None
    edits: list[tuple[int, int, str, int | None]] = []  # (start, end, replacement, index of the span replaced)
    for match in LEXICON_PATTERN.finditer(text):
        kind = lexicon_class(match.group())
        inside = any(match.start() < s["end"] and s["start"] < match.end() for s in spans)
        if kind in _WORDS and not inside and rng.random() < SWAP_PROBABILITY:
            word = rng.choice(_WORDS[kind])
            edits.append((match.start(), match.end(), word.capitalize() if match.group()[0].isupper() else word, None))
    for index, span in enumerate(spans):
        value = text[span["start"] : span["end"]]
        if span["entity"] == "SECRET" and _human_password(value) and rng.random() < SWAP_PROBABILITY:
            edits.append((span["start"], span["end"], _password(rng), index))
    kept: list[tuple[int, int, str, int | None]] = []
    for edit in sorted(edits):
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    pieces, position = [], 0
    for start, end, replacement, _ in kept:
        pieces.extend((text[position:start], replacement))
        position = end
    pieces.append(text[position:])

    def moved(offset: int) -> int:
        return offset + sum(len(new) - (end - start) for start, end, new, _ in kept if end <= offset)

    replaced = {index: new for _, _, new, index in kept if index is not None}
    new_spans = []
    for index, span in enumerate(spans):
        start = moved(span["start"])
        end = start + len(replaced[index]) if index in replaced else moved(span["end"])
        new_spans.append({**span, "start": start, "end": end})
    return {**record, "id": f"{record.get('id', '')}~aug", "text": "".join(pieces), "spans": new_spans}


def augmented(records: list[dict[str, Any]], seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    copies = (augmented_copy(record, rng) for record in records)
    return [copy for copy in copies if copy is not None]
