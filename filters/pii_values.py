"""What a credential value looks like, whatever labels it: random enough or a passphrase, and not a placeholder, a
locator, a stored password hash or a value published on purpose.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_PLACEHOLDER = re.compile(
    r"your|example|sample|dummy|placeholder|changeme|change_me|replace|xxxx|\*\*\*|•|●|…|<|>|\$\{|\{\{|%\(|process\.env|os\.environ|\$env:|\\\(|^\$[A-Za-z_]\w*$"
    r"|getenv|null|none|true|false|undefined|password|secret|token|filtered|redacted"
    r"|^\(.*\)$|bitwarden|keepass|lastpass|dashlane",  # "(Bitwarden)": a note on where the password is kept
    re.IGNORECASE,
)

# URLs, paths and e-mail addresses name where something is, not a secret ("auth_uri": "https://...").
_LOCATOR = re.compile(r"[a-z][a-z0-9+.-]*:/|/|~/|\.\.?/|[\w.+-]+@[\w-]+\.\w|arn:", re.IGNORECASE)

# Stored password hashes (bcrypt, crypt(3), argon2, scrypt, Django's pbkdf2) do not open anything by themselves.
PASSWORD_HASH = re.compile(
    r"\$(?:2[abxy]?|1|5|6|7|8|9|y|argon2(?:id|i|d)|scrypt)\$|(?:pbkdf2_sha\d+|bcrypt|argon2|sha\d+|md5)\$"
    r"|SCRAM-SHA-\d+\$|md5[0-9a-f]{32}(?![0-9a-f])"  # PostgreSQL's stored forms
    r"|hmac-sha\d+:"  # Vault's audit log keeps HMACs of tokens, not tokens
)

# Public by design: blockchain addresses, publishable keys, Mapbox public tokens, Twilio account SIDs.
PUBLIC_VALUE = re.compile(
    r"0x[0-9a-fA-F]{40}|bc1[ac-hj-np-z02-9]{11,71}|pk_(?:live|test)_\w+|pk\.eyJ[\w.-]+"
    r"|(?:AC|MG|SM|MM|CA|PN|CH|IS|ZS|FW|WS|QU|TR)[0-9a-f]{32}"  # Twilio account and object SIDs
    r"|\d{6,14}-[a-z0-9]{32}\.apps\.googleusercontent\.com"  # Google OAuth client ids
)
# Door, alarm and portal codes and alphanumeric PINs: six to eight capitals and digits, both.
_ACCESS_CODE = re.compile(r"(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{6,8}")


def is_access_code(value: str) -> bool:
    return _ACCESS_CODE.fullmatch(value) is not None


UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Published documentation examples: Stripe's test key and jwt.io's sample signature.
DOCUMENTED_EXAMPLES = ("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")

# Laravel's APP_KEY=base64:... names the encoding of the key; the key is what follows, as "Bearer " is no part
# of a token.
_ENCODING_PREFIX = re.compile(r"base64:", re.IGNORECASE)


def without_encoding_prefix(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of a value without a leading ``base64:``."""
    prefix = _ENCODING_PREFIX.match(text, start, end)
    return (prefix.end(), end) if prefix and end - prefix.end() >= 8 else (start, end)


def shannon_entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def table_value(value: str, min_entropy: float) -> bool:
    """A cell under a secret column: the header is a strong label, so short random values and passphrases count
    ("srz72eb7k2yac", "Cedar6933^puffin", "lagoon+pepper+103+amber")."""
    relaxed = min(min_entropy, 2.5) if len(value) >= 10 else min_entropy  # "hunter2", "trustno1": common lists
    return looks_random(value, relaxed) or is_passphrase(value)


# Words joined by one kind of separator ("glacier-willow-butterfly", "vortex.quill.radish.granite"): a passphrase
# has little entropy per character and one character class, so ``looks_random`` cannot see it. With dots the same
# shape is a host name when its last word is a top-level domain.
_PASSPHRASE_PART = r"(?:[A-Za-z][a-z]{2,}|\d{1,4})"
_PASSPHRASE = re.compile(
    rf"{_PASSPHRASE_PART}(?P<sep>[-_+.~]){_PASSPHRASE_PART}(?:(?P=sep){_PASSPHRASE_PART})+\d{{0,4}}"
)
_PASSPHRASE_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
_COMMON_TLDS = frozenset(
    "com org net edu gov mil int info biz name pro app dev io ai co cloud online site tech shop store xyz "
    "local lan internal corp home arpa test example invalid localhost".split()
)


def is_host_name(value: str) -> bool:
    """``db.primary.lan``, and the reversed names of Java packages (``org.apache.kafka``, ``java.util.zip``)."""
    if "." not in value:
        return False
    first, last = value.split(".", 1)[0].lower(), value.rsplit(".", 1)[-1].lower()
    domain_like = any(len(part) == 2 or part in _COMMON_TLDS for part in (first, last))
    return domain_like or first in ("java", "javax", "android")


# Words that name things in code and configuration ("config.smtp.pass", "client-secret-basic"), not passphrase words.
_CODE_WORD = re.compile(r"pass|pwd|secret|token|key|auth|conf|setting|env|cred|param|option|prop|value|var", re.I)


def is_passphrase(value: str) -> bool:
    if not _PASSPHRASE.fullmatch(value) or is_host_name(value) or _CODE_WORD.search(value):
        return False
    return len(_PASSPHRASE_WORD.findall(value)) >= 3  # words, not numbers: "2024-11-05" is a date


# Diceware with spaces ("otter nebula meadow 985", "Orbit Saffron Willow 915"): three or more words, a number, all
# in lower or all in title case; a sentence ("Rotated every 90 days") has function words or sentence case.
_SPACED_PASSPHRASE = re.compile(
    r"(?:[A-Za-z][a-z]{2,11}\d{0,4}|\d{1,4})(?: (?:[A-Za-z][a-z]{2,11}\d{0,4}|\d{1,4})){2,7}"
)
_FUNCTION_WORDS = frozenset(
    "the and for are was were has had not but you your our with from into onto over under after before since until "
    "every each days weeks months years hours see ask use via per der die das und mit les des une pour avec los las "
    "por con del het een van voor".split()
)


def is_spaced_passphrase(value: str) -> bool:
    if not _SPACED_PASSPHRASE.fullmatch(value):
        return False
    words = [word.rstrip("0123456789") for word in value.split() if not word.isdigit()]
    if len(words) < 3 or not any(ch.isdigit() for ch in value) or any(w.lower() in _FUNCTION_WORDS for w in words):
        return False
    return all(w.islower() for w in words) or all(w[0].isupper() and w[1:].islower() for w in words)


# One short word and a year ("Winter2023", "Sommer2024!") or a keyboard row with digits ("Qwertyuiop123") is the
# first guess of any attack; such defaults are examples and jokes far more often than live credentials. Two words
# and digits ("Falconvelvet30?") are a made-up password.
_GUESSABLE = re.compile(
    r"[A-Za-z][a-z]{2,9}(?:19|20)\d\d[!?.#*]?|(?:qwert|asdf|zxcv|1q2w|passw|welcome|letmein|admin)[a-z]*\d{1,4}[!?.#*]?",
    re.IGNORECASE,
)


def looks_random(value: str, min_entropy: float) -> bool:
    """A labelled value is a secret when it is no placeholder or locator, has high entropy and mixed classes."""
    if _GUESSABLE.fullmatch(value) or PUBLIC_VALUE.fullmatch(value) or (value.isalpha() and value[1:].islower()):
        return False  # also a capitalised word ("Contraseña" in a translation file)
    if value.isalnum() and value.isupper() and len(value) <= 10:
        return False  # MSCHAPV2, AES256, TLSV1_2: protocol and algorithm names
    locator = _LOCATOR.match(value) and not (value.endswith("=") or "+" in value)  # "/RCs…A==" is base64
    if _PLACEHOLDER.search(value) or locator or PASSWORD_HASH.match(value):
        return False
    classes = sum(any(test(ch) for ch in value) for test in (str.islower, str.isupper, str.isdigit))
    # A value of ten or more characters mixing letters, digits and symbols repeats a few characters and still is
    # no word: "Ky1v*75yy*".
    mixed = classes == 3 and len(value) >= 10 and not value.isalnum()
    return classes >= 2 and shannon_entropy(value) >= (min_entropy - 0.4 if mixed else min_entropy)
