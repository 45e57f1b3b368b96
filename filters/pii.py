"""Personal-information detection: regular expressions for candidates, validators for precision.

ROOTS redacted e-mails, IP addresses, user names and keys with regular expressions.
Here each entity has a candidate pattern and, where a checksum or structure exists, a
validator: Luhn for cards, mod-97 for IBANs, ``ipaddress`` for IPs (only global ones by
default), ``phonenumbers`` (libphonenumber) for phones, an allow-list for e-mail domains
and an entropy test for secrets in assignments. Candidates are cheap; validators run
only on candidates, which keeps throughput near regex speed. IP addresses live in
:mod:`filters.pii_addresses`, secrets in :mod:`filters.pii_secrets` and the modules it draws on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from pydantic import Field

from filters.base import FilterConfig
from filters.pii_addresses import VERSION_CONTEXT, ip_spans, line_prefix
from filters.pii_secrets import secret_spans
from filters.pii_tagger import MODEL_PATH, cached_tagger

ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD", "IBAN", "US_SSN", "SECRET", "USER_HANDLE")
DEFAULT_ENTITIES = [e for e in ENTITIES if e != "USER_HANDLE"]
# RFC 2606 / RFC 6761 names reserved for documentation and tests.
# RFC 2606/6761 names and the private-use ones (RFC 6762 .local, RFC 8375 home.arpa, the usual .localdomain).
RESERVED_DOMAINS = (
    "example.com", "example.org", "example.net", "example", "test", "invalid", "localhost", "localdomain", "local",
    "home.arpa", "internal",
)  # fmt: skip
LANGUAGE_REGIONS = {
    "en": "US", "fr": "FR", "de": "DE", "es": "ES", "pt": "BR", "it": "IT", "nl": "NL", "pl": "PL", "ru": "RU",
    "ja": "JP", "zh": "CN", "ko": "KR", "ar": "SA", "hi": "IN", "id": "ID", "vi": "VN", "tr": "TR", "sv": "SE",
    "ca": "ES", "eu": "ES", "bn": "BD", "ur": "PK", "uk": "UA", "cs": "CZ", "da": "DK", "fi": "FI", "no": "NO",
}  # fmt: skip


class PiiConfig(FilterConfig):
    entities: list[str] = Field(default_factory=lambda: list(DEFAULT_ENTITIES))
    keep_private_ips: bool = Field(default=True, description="Private, loopback, documentation IPs are not PII.")
    allow_domains: list[str] = Field(default_factory=lambda: list(RESERVED_DOMAINS))
    default_region: str = Field(default="US", description="Region for national phone formats of unknown languages.")
    min_secret_entropy: float = Field(default=3.0, description="Bits per character for an assigned value.")
    secret_tagger: bool = Field(default=True, description="Add the learned tagger's secrets to the rules' secrets.")
    secret_tagger_threshold: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Least per-token marginal probability of a tagged secret."
    )
    secret_tagger_model: str | None = Field(
        default=None, description="A model from `curate train-pii-tagger` (default: the bundled one)."
    )


@dataclass(frozen=True)
class PiiSpan:
    start: int
    end: int
    entity: str
    text: str


# --- e-mail -------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?:(?<![A-Za-z0-9._%+-])|(?<=[^\x00-\x7f]-))"  # after a Hebrew prefix: "ל-name@host"
    r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![A-Za-z0-9_-])"
)
_FILE_EXTENSIONS = frozenset(
    "png jpg jpeg gif svg webp ico css js json html htm xml pdf txt md py ts docx doc xlsx xls pptx odt csv "
    "service socket timer mount target path slice scope device".split()  # systemd units: getty@tty1.service
)
# Local parts that describe an address scheme rather than a mailbox ("firstname.lastname@company.com").
_TEMPLATE_WORDS = frozenset(
    "firstname lastname first last name surname vorname nachname prenom prénom nom nombre apellido nome sobrenome "
    "cognome voornaam achternaam imie nazwisko username user initial initials".split()
)
_REMOTE_PATH = re.compile(r":[\w~.-]*/|:~|:$", re.MULTILINE)
_SSH_COMMAND = re.compile(r"(?:^|[\s;|&$])(?:ssh|scp|sftp|rsync|mosh)\s[^#]*$")
# smtp://ana@mail.pt:v@smtp.mail.pt: an e-mail address as the user name, then the password and the host.
_PASSWORD_AND_HOST = re.compile(r":[^\s@/]+@[\w.-]+")
_MESSAGE_ID_CONTEXT = re.compile(r"(?:message-id|in-reply-to|references|content-id)\s*[:=]\s*", re.IGNORECASE)


def _emails(text: str, config: PiiConfig) -> Iterator[tuple[int, int]]:
    allowed = tuple(d.lower() for d in config.allow_domains)
    for match in _EMAIL.finditer(text):
        domain = match.group(1).lower()
        if domain.rsplit(".", 1)[-1] in _FILE_EXTENSIONS:  # icon@2x.png, bundle@1.2.js
            continue
        if any(domain == d or domain.endswith("." + d) for d in allowed):
            continue
        if _REMOTE_PATH.match(text, match.end()) or match.group().startswith("git@"):
            continue  # git@github.com:org/repo.git is an SSH remote, not a mailbox ("a@b.com:pass" in a combo list is)
        token_start = max(text.rfind(c, 0, match.start()) for c in " \t\n\"'<(") + 1
        in_userinfo = re.search(r"://[^/?#=&,;]*$", text[token_start : match.start()])
        if in_userinfo and not _PASSWORD_AND_HOST.match(text, match.end()):
            continue  # mongodb://user:pa.ss@host: the credentials of a URL (found as a secret), not a mailbox
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if _SSH_COMMAND.search(line):
            continue  # ssh -J jump@bastion.corp.net ops@db1.corp.net: login targets, not mailboxes
        if _MESSAGE_ID_CONTEXT.search(line[: line.rfind("<")] if "<" in line else ""):
            continue  # a Message-ID names a message, not a person
        local = match.group()[: match.group().index("@")]
        if ".." in local or all(part in _TEMPLATE_WORDS for part in re.split(r"[._-]", local.lower())):
            continue  # vorname.nachname@firma.de describes a scheme; a..b@host is invalid
        yield match.start(), match.end()


# --- payment cards and bank accounts ----------------------------------------------------------------

_CARD = re.compile(r"(?<![\d/+-])\d(?:[ -]?\d){11,18}(?![\d/-])")
_MAESTRO = re.compile(r"^(?:50[0-9]{2}|5[6-8]|6304|6759|676[1-3])")
_CARD_GROUPS = (
    (4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 4, 4, 4, 2), (4, 4, 4, 4, 1), (4, 6, 5), (4, 6, 4), (4, 4, 4, 3), (4, 4, 5),
    (4, 4, 4, 1),  # a 13-digit Visa written in fours, as people type it
)  # fmt: skip
_IMEI_CONTEXT = re.compile(r"imei|seriennummer|serial", re.IGNORECASE)
# Brand prefixes and the lengths each brand issues: a 15-digit number starting 35 is an IMEI, not a JCB card.
_ANY_LENGTH = frozenset(range(16, 20))
_CARD_BRANDS = (
    (re.compile(r"4"), frozenset({13, 16, 19})),  # Visa
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), frozenset({16})),  # Mastercard
    (re.compile(r"3[47]"), frozenset({15})),  # American Express
    (re.compile(r"35(?:2[89]|[3-8]\d)"), _ANY_LENGTH),  # JCB
    (re.compile(r"3(?:0[0-5]|[68])"), frozenset(range(14, 20))),  # Diners Club
    (re.compile(r"6(?:011|5|4[4-9])"), _ANY_LENGTH),  # Discover
    (re.compile(r"62|8[12]|220[0-4]"), _ANY_LENGTH),  # UnionPay, Mir
    (re.compile(r"606282|636\d{3}|9792|60\d\d|508"), frozenset({16, 19})),  # Hipercard, Elo, Troy, RuPay
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _cards(text: str, config: PiiConfig) -> Iterator[tuple[int, int]]:
    for match in _CARD.finditer(text):
        raw = match.group()
        digits = raw.replace(" ", "").replace("-", "")
        separators = {ch for ch in raw if not ch.isdigit()}
        if len(separators) > 1 or not 12 <= len(digits) <= 19:
            continue
        if separators and tuple(len(g) for g in re.split(r"[ -]", raw)) not in _CARD_GROUPS:
            continue  # "3741-027-259247" is a receipt: cards are printed in groups of 4 (Amex 4-6-5)
        if _IMEI_CONTEXT.search(line_prefix(text, match.start(), 60)):
            continue  # IMEIs are Luhn-checked 15-digit numbers too
        branded = any(prefix.match(digits) and len(digits) in lengths for prefix, lengths in _CARD_BRANDS)
        if (branded or _MAESTRO.match(digits)) and luhn_valid(digits):
            yield match.start(), match.end()


# Lengths from the SWIFT IBAN registry for the countries most often seen.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AT": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IL": 23,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
    "PT": 25, "RO": 24, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "UA": 29,
}  # fmt: skip
_IBAN = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Z0-9])")


def iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _ibans(text: str, config: PiiConfig) -> Iterator[tuple[int, int]]:
    for match in _IBAN.finditer(text):
        if iban_valid(match.group()):
            yield match.start(), match.end()


# --- US social security numbers ------------------------------------------------------------------------

_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])")


def _ssns(text: str, config: PiiConfig) -> Iterator[tuple[int, int]]:
    for match in _SSN.finditer(text):
        yield match.start(), match.end()


# --- phone numbers ---------------------------------------------------------------------------------------

_PHONE = re.compile(r"(?<![A-Za-z0-9_+.=-])(?:\+|00)?\(?\d[\d ().\-/]{5,20}\d(?![A-Za-z0-9_-]|[.:]\d)")
_DATE_LIKE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
# Numbers that look like phones but are labelled as something else a few characters before.
_NOT_A_PHONE_CONTEXT = re.compile(
    r"(?:order|invoice|rechnung|bestell\w*|commande|pedido|factura|fattura|ticket|ref\w*|\bid|isbn|issn|doi|"
    r"account|konto|rcs|siren|siret|tva|vat|kvk|nip|regon|itin|case|aktenzeichen|karte\w*|番号|订单号?|주문번호|=|#)(?:\s*(?:number|nummer|numéro|número|no\.?|nr\.?|#))?(?:\s+\w+){0,2}\W{0,3}$",
    re.IGNORECASE,
)
# Quantities: "421 981 916 euros" is a budget.
_UNIT_AFTER = re.compile(
    r"\s?(?:€|\$|£|%|euros?\b|eur\b|usd\b|dollars?\b|francs?\b|yen\b|yuan\b|km\b|kg\b|habitants\b|"
    r"inhabitants\b|people\b|personnes\b|personas\b|pessoas\b|zł|zl\b|pln\b|руб|元|円|₩|won\b|kr\b|chf\b)",
    re.IGNORECASE,
)
_CENTS_AFTER = re.compile(r",\d{2}(?![\d.,])")
_DOTTED_PHONE = re.compile(r"[+\d(]?[\d()]*\d{2,4}(?:\.\d{2,4}){2,5}|\+\d{1,3}\.\d{6,14}")  # incl. WHOIS +1.3124923665


def _phones(text: str, config: PiiConfig, region: str) -> Iterator[tuple[int, int]]:
    for match in _PHONE.finditer(text):
        candidate = match.group().rstrip(" .(")
        start = match.start()
        if candidate.startswith("(") and ")" not in candidate:
            candidate, start = candidate[1:], start + 1
        if _is_phone(candidate, text, start, region):
            yield start, start + len(candidate)


def _is_phone(candidate: str, text: str, start: int, region: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if not 7 <= digits <= 15 or _DATE_LIKE.match(candidate) or re.match(r"(?:19|20)\d\d[/-]\d", candidate):
        return False  # dates and year-prefixed references ("2024/0412")
    if re.match(r"\s?\d{1,2}:\d", text[start + len(candidate) : start + len(candidate) + 4]):
        return False  # "2018-09-18 03:12:37": the start of a timestamp
    if _NOT_A_PHONE_CONTEXT.search(line_prefix(text, start, 24)):
        return False
    if "." in candidate and (
        not _DOTTED_PHONE.fullmatch(candidate) or VERSION_CONTEXT.search(line_prefix(text, start, 30))
    ):
        return False  # decimals in tables and maths; dotted phones look like 415.555.2671 or 07.71.69.88.05
    if _UNIT_AFTER.match(text, start + len(candidate)) or _CENTS_AFTER.match(text, start + len(candidate)):
        return False  # "629.507.694,29 €": an amount with decimal cents
    if "  " in candidate or re.fullmatch(r"\d{3}-\d{2}-\d{4}|(?:\d{1,3}\.){3}\d{1,3}", candidate):
        return False  # table columns, SSN/ITIN-shaped numbers and dotted quads are not phones
    international = candidate.startswith(("+", "00"))
    if not international and not any(ch in candidate for ch in " -./()"):
        return False  # a bare run of digits is an id more often than a phone
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _ips(text: str, config: PiiConfig) -> Iterator[tuple[int, int]]:
    return ip_spans(text, config.keep_private_ips)


def _secrets(text: str, config: PiiConfig) -> Iterator[tuple[int, int]]:
    return secret_spans(text, config.min_secret_entropy)


# --- user handles -------------------------------------------------------------------------------------------

_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_]{2,30}(?![\w@./-]|\.\w)")  # "@scope/pkg" is an npm scope
_CODE_DECORATORS = frozenset(
    "@media @import @font @keyframes @param @return @returns @throws @override @dataclass @property @staticmethod "
    "@classmethod @type @types @interface @deprecated @see @since @author @version @example @todo @service "
    "@autowired @component @controller @restcontroller @repository @bean @configuration @test @before @after "
    "@beforeeach @aftereach @inject @entity @table @column @id @getmapping @postmapping @requestmapping "
    "@suppresswarnings @functionalinterface @here @channel @everyone @echo @app @pytest @mock @patch".split()
)
_SQL_VARIABLE = re.compile(r"(?:declare|set|select|@\w+\s*,)\s*$", re.IGNORECASE)


_CODE_AFTER_AT = re.compile(r"[({]|:\S")


def _handles(text: str, config: PiiConfig) -> Iterator[tuple[int, int]]:
    for match in _HANDLE.finditer(text):
        if match.group().lower() in _CODE_DECORATORS or _SQL_VARIABLE.search(line_prefix(text, match.start(), 20)):
            continue
        if _CODE_AFTER_AT.match(text, match.end()):
            continue  # @book{..., @Input(), @myorg:registry=: markup and code, not a person
        yield match.start(), match.end()


# --- putting it together -----------------------------------------------------------------------------------

Detector = Callable[[str, PiiConfig], Iterator[tuple[int, int]]]
_DETECTORS: dict[str, Detector] = {
    "SECRET": _secrets,
    "EMAIL_ADDRESS": _emails,
    "IBAN": _ibans,
    "CREDIT_CARD": _cards,
    "US_SSN": _ssns,
    "IP_ADDRESS": _ips,
    "USER_HANDLE": _handles,
}


def find_pii(text: str, config: PiiConfig | None = None, lang: str | None = None) -> list[PiiSpan]:
    """Non-overlapping PII spans in ``text``, in order. Earlier entities in ``_DETECTORS`` win overlaps."""
    config = config or PiiConfig()
    enabled = set(config.entities)
    found: list[tuple[int, int, str]] = []
    for entity, detector in _DETECTORS.items():
        if entity in enabled:
            found.extend((start, end, entity) for start, end in detector(text, config))
    if "PHONE_NUMBER" in enabled:
        region = LANGUAGE_REGIONS.get(lang or "", config.default_region)
        found.extend((start, end, "PHONE_NUMBER") for start, end in _phones(text, config, region))
    if "SECRET" in enabled and config.secret_tagger:
        # Rules first: the tagger only adds secrets where no rule found any entity.
        model = Path(config.secret_tagger_model) if config.secret_tagger_model else MODEL_PATH
        tagger = cached_tagger(model, config.secret_tagger_threshold)
        found.extend((start, end, "TAGGED_SECRET") for start, end, _ in tagger.spans(text))
    spans: list[PiiSpan] = []
    taken: list[tuple[int, int]] = []
    priority = {entity: index for index, entity in enumerate([*_DETECTORS, "PHONE_NUMBER", "TAGGED_SECRET"])}
    for start, end, entity in sorted(found, key=lambda f: (priority[f[2]], f[0])):
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        entity = "SECRET" if entity == "TAGGED_SECRET" else entity
        spans.append(PiiSpan(start, end, entity, text[start:end]))
    return sorted(spans, key=lambda s: s.start)


def redact(text: str, spans: list[PiiSpan], placeholder: str = "|||{TYPE}|||") -> str:
    """Replace each span with the placeholder for its entity (the default matches OLMo's PII tokens)."""
    pieces: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: s.start):
        pieces.append(text[position : span.start])
        pieces.append(placeholder.replace("{TYPE}", span.entity))
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)
