#!/usr/bin/env python
"""Write ``bench/pii_eval/pii_heldout.jsonl``: a held-out PII evaluation set, independent of the development set.

The development set (``make_eval_set.py`` -> ``pii_eval.jsonl``) was used to tune ``filters/pii.py`` until it scored
1.0, so it no longer measures generalisation. This set was written from scratch without reading the detector, the
development generator, its data or the PII tests, and its texts were not adjusted to what the detector does. It uses
other kinds of text: forum threads and comment sections, classified ads, press releases, government and NGO contact
pages, CVs, support chats, nginx / syslog / JSON / HAProxy / Postfix / IIS / UFW / CloudTrail logs, Dockerfiles,
Kubernetes YAML, Terraform, shell history, Jupyter notebooks, SQL dumps, READMEs, scientific text, sports tables,
recipes, product pages, bank statements, in English, French, German, Spanish, Portuguese, Italian, Dutch, Polish,
Japanese, Chinese, Korean and Arabic.

Every value is fake and comes from a seeded RNG. Gold spans follow the labelling policy of the project:

* ``EMAIL_ADDRESS``: the address only (no ``mailto:``, no ``<>``); addresses at example.com/.org/.net and at the
  reserved TLDs (.test, .invalid, .example, .localhost) are not PII.
* ``PHONE_NUMBER``: valid per ``phonenumbers.is_valid_number`` for the region of the text's language, or written with
  ``+``/``00`` and a country code; the span runs from the ``+``, ``(`` or first digit to the last digit (no ``ext.``).
* ``IP_ADDRESS``: globally routable addresses only (``is_global``, not multicast, not reserved); the address without
  port, brackets or prefix length.
* ``CREDIT_CARD``: Luhn-valid with a real IIN prefix, with its separators. ``IBAN``: valid mod-97, as written.
* ``US_SSN``: ``NNN-NN-NNNN``, area not 000/666/9xx, group not 00, serial not 0000.
* ``SECRET``: tokens of well-known formats, JWTs, private-key blocks (BEGIN line to END line), and high-entropy values
  assigned to key/secret/token/password-like names (the value only, without quotes). Placeholders are not PII.
* ``USER_HANDLE``: ``@mentions`` of people in social text, ``@`` included, trailing punctuation excluded.

Every span is checked (offsets, no overlap, and the value passes this file's own validator of its type), and every
text is scanned for valid e-mails, global IPv4s, IBANs, SSNs and cards that are not labelled; such look-alikes must be
declared per text, so that an unlabelled positive cannot slip in by mistake.

Usage::

    python bench/pii_eval/make_heldout_set.py            # writes bench/pii_eval/pii_heldout.jsonl (< 2 s)
    python bench/pii_eval.py --eval-set bench/pii_eval/pii_heldout.jsonl --out /tmp/pii_heldout.json \\
        --skip-throughput --show 500                      # scores filters/pii.py on it
"""

# ruff: noqa: E501
# Prose, log lines and configuration files are data here; wrapping them would change the texts.

from __future__ import annotations

import argparse
import base64
import ipaddress
import json
import random
import re
import string
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat

SEED = 90_417_263
OUT = Path(__file__).resolve().parent / "pii_heldout.jsonl"

# Language of a text -> the region its national phone numbers are written for (as the pipeline would pass it).
REGION = {
    "en": "US",
    "fr": "FR",
    "de": "DE",
    "es": "ES",
    "pt": "BR",
    "it": "IT",
    "nl": "NL",
    "pl": "PL",
    "ja": "JP",
    "zh": "CN",
}

EMAIL = "EMAIL_ADDRESS"
PHONE = "PHONE_NUMBER"
IPADDR = "IP_ADDRESS"
CARD = "CREDIT_CARD"
IBAN = "IBAN"
SSN = "US_SSN"
SECRET = "SECRET"
HANDLE = "USER_HANDLE"
ENTITY_NAMES = (EMAIL, PHONE, IPADDR, CARD, IBAN, SSN, SECRET, HANDLE)

# ---------------------------------------------------------------------------------------------------------------
# Inline span markers: templates are f-strings; a labelled value is written as {EM(value)}, {PH(value)}, ...
# ---------------------------------------------------------------------------------------------------------------

_OPEN, _SEP, _CLOSE = "\x02", "\x03", "\x04"
_MARK = re.compile("\x02([A-Z_]+)\x03(.*?)\x04", re.S)


def _mark(entity: str, value: str) -> str:
    assert value and not set(value) & {_OPEN, _SEP, _CLOSE}, value
    return f"{_OPEN}{entity}{_SEP}{value}{_CLOSE}"


def EM(v: str) -> str:
    return _mark(EMAIL, v)


def PH(v: str) -> str:
    return _mark(PHONE, v)


def IP(v: str) -> str:
    return _mark(IPADDR, v)


def CC(v: str) -> str:
    return _mark(CARD, v)


def IB(v: str) -> str:
    return _mark(IBAN, v)


def SS(v: str) -> str:
    return _mark(SSN, v)


def SE(v: str) -> str:
    return _mark(SECRET, v)


def HD(v: str) -> str:
    return _mark(HANDLE, v)


def build(raw: str) -> tuple[str, list[dict[str, Any]]]:
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = last = 0
    for m in _MARK.finditer(raw):
        chunk = raw[last : m.start()]
        parts.append(chunk)
        pos += len(chunk)
        value = m.group(2)
        spans.append({"start": pos, "end": pos + len(value), "entity": m.group(1)})
        parts.append(value)
        pos += len(value)
        last = m.end()
    parts.append(raw[last:])
    text = "".join(parts)
    assert not set(text) & {_OPEN, _SEP, _CLOSE}, "unbalanced marker"
    return text, spans


# ---------------------------------------------------------------------------------------------------------------
# Validators (this file's own; the detector is not imported)
# ---------------------------------------------------------------------------------------------------------------

RESERVED_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("test", "invalid", "example", "localhost")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")


def valid_email(v: str) -> bool:
    m = _EMAIL_RE.fullmatch(v)
    if not m:
        return False
    domain = m.group(1).lower()
    if domain in RESERVED_EMAIL_DOMAINS or any(domain.endswith("." + d) for d in RESERVED_EMAIL_DOMAINS):
        return False
    return domain.rsplit(".", 1)[1] not in RESERVED_TLDS


def phone_ok(v: str, lang: str) -> bool:
    region = REGION.get(lang)
    international = v.startswith("+") or v.startswith("00")
    if not international and region is None:
        return False
    try:
        num = phonenumbers.parse(v, region or "ZZ")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(num)


def valid_ip(v: str) -> bool:
    try:
        a = ipaddress.ip_address(v)
    except ValueError:
        return False
    return a.is_global and not a.is_multicast and not a.is_reserved


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_digit(body: str) -> str:
    for d in "0123456789":
        if luhn_ok(body + d):
            return d
    raise AssertionError


def card_brand(digits: str) -> str | None:
    n = len(digits)
    if digits[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= int(digits[:2]) <= 55 or 2221 <= int(digits[:4]) <= 2720) and n == 16:
        return "mastercard"
    if digits[:2] in ("34", "37") and n == 15:
        return "amex"
    if (digits[:4] == "6011" or 644 <= int(digits[:3]) <= 649 or digits[:2] == "65") and n in (16, 19):
        return "discover"
    if 3528 <= int(digits[:4]) <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (digits[:2] in ("36", "38") or 300 <= int(digits[:3]) <= 305) and n == 14:
        return "diners"
    if digits[:2] == "62" and 16 <= n <= 19:
        return "unionpay"
    if digits[:4] in ("5018", "5020", "5038", "6304", "6759") and 12 <= n <= 19:
        return "maestro"
    return None


def valid_card(v: str) -> bool:
    if not re.fullmatch(r"\d[\d -]{10,22}\d", v):
        return False
    digits = re.sub(r"[ -]", "", v)
    return 12 <= len(digits) <= 19 and luhn_ok(digits) and card_brand(digits) is not None


IBAN_LENGTH = {
    "AE": 23, "AT": 20, "BE": 16, "BR": 29, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "ES": 24, "FI": 18,
    "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IT": 27, "LU": 20, "MT": 31, "NL": 18, "NO": 15,
    "PL": 28, "PT": 25, "RO": 24, "SA": 24, "SE": 24, "SK": 24, "TR": 26,
}  # fmt: skip


def iban_mod97(compact: str) -> int:
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97


def valid_iban(v: str) -> bool:
    compact = v.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", compact):
        return False
    return IBAN_LENGTH.get(compact[:2]) == len(compact) and iban_mod97(compact) == 1


def valid_ssn(v: str) -> bool:
    m = re.fullmatch(r"(\d{3})-(\d{2})-(\d{4})", v)
    if not m:
        return False
    area, group, serial = m.groups()
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


PLACEHOLDER_WORDS = ("your", "example", "changeme", "xxxx", "placeholder", "redacted", "dummy", "<", "${", "{{")


def valid_secret(v: str) -> bool:
    low = v.lower()
    if len(v) < 12 or any(w in low for w in PLACEHOLDER_WORDS) or v.strip() != v:
        return False
    if v.startswith("-----BEGIN"):
        return "PRIVATE KEY" in v.split("-----")[1] and v.rstrip().endswith("-----")
    return len(set(v)) >= 10


def valid_handle(v: str) -> bool:
    return bool(re.fullmatch(r"@[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9_])?", v))


# ---------------------------------------------------------------------------------------------------------------
# Fake values
# ---------------------------------------------------------------------------------------------------------------

R = random.Random(SEED)

FIRST = {
    "en": "Olivia Liam Harper Mason Avery Ethan Chloe Logan Nora Caleb Hazel Wyatt Ruby Owen Stella Isaac Maeve Declan".split(),
    "fr": "Camille Théo Manon Hugo Léa Louis Chloé Jules Inès Arthur Zoé Gabriel Anaïs Bastien Clémence".split(),
    "de": "Lukas Hannah Felix Lea Jonas Mia Leon Emilia Paul Clara Finn Greta Jörg Ute Malte".split(),
    "es": "Lucía Mateo Martina Hugo Valeria Pablo Daniela Álvaro Carmen Diego Elena Javier Nerea Íñigo".split(),
    "pt": "Ana João Beatriz Pedro Larissa Gustavo Mariana Rafael Camila Thiago Juliana Felipe Conceição".split(),
    "it": "Giulia Matteo Chiara Lorenzo Sofia Davide Martina Federico Alessia Riccardo Elisa Tommaso Niccolò".split(),
    "nl": "Daan Sanne Bram Lotte Sem Fleur Thijs Noor Ruben Iris Jesse Eva Maarten Femke".split(),
    "pl": "Zofia Jakub Maja Antoni Julia Szymon Hanna Filip Lena Kacper Alicja Wojciech Małgorzata Łukasz".split(),
    "ja": "Haruto Yui Sota Aoi Ren Hina Yuto Sakura Kaito Mio".split(),
    "zh": "Wei Fang Min Yang Jing Lei Xiaoming Hui Tao Ying".split(),
    "ko": "Minjun Seoyeon Jiho Yuna Hyunwoo Jiwoo Dohyun Soyeon".split(),
    "ar": "Omar Layla Yusuf Mariam Khaled Noor Hassan Rania".split(),
}
LAST = {
    "en": "Whitfield Carrow Delaney Hollis Brennan Okafor Lindqvist Pryce Tolliver Ashdown Merritt Quan Rasmussen Vance Yardley".split(),
    "fr": "Lefèvre Garnier Roussel Mercier Fontaine Chevalier Bonnet Dufour Lambert Girard Faure Marchand".split(),
    "de": "Brandt Vogel Hartmann Krüger Lehmann Seidel Böhm Winkler Lorenz Schuster Engel Weiß".split(),
    "es": "Navarro Ortega Romero Castillo Herrera Molina Vidal Serrano Iglesias Cabrera Prieto Medina".split(),
    "pt": "Souza Oliveira Carvalho Ribeiro Almeida Barbosa Cardoso Teixeira Moreira Pinheiro Rocha Duarte".split(),
    "it": "Ferraro Esposito Colombo Ricci Marino Greco Bruno Gallo Conti Mancini Costa Fontana".split(),
    "nl": "de Vries|Jansen|van Dijk|Bakker|Visser|Smit|Meijer|de Boer|Mulder|Bos|Vos|van den Berg".split("|"),
    "pl": "Nowak Wójcik Kamińska Lewandowski Zielińska Szymański Dąbrowska Kozłowski Jankowska Mazur Krawczyk Piotrowski".split(),
    "ja": "Sato Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura".split(),
    "zh": "Wang Li Zhang Liu Chen Zhao Huang Zhou".split(),
    "ko": "Kim Lee Park Choi Jung Kang Yoon".split(),
    "ar": "Haddad Mansour Karim Saleh Nasser Khalil Aziz Hamdan".split(),
}
DOMAINS = {
    "en": "northwindlabs.com bluefern-health.org harborline.io tallpine.co.uk crestviewcu.org quillpress.com redmaple.dev ironbridge-legal.com lakesidevet.net orbitfreight.co gmail.com outlook.com yahoo.com proton.me".split(),
    "fr": "atelier-garnier.fr mairie-saint-aubin.fr lumiere-conseil.fr cabinet-roussel.com orange.fr laposte.net free.fr sfr.fr".split(),
    "de": "brandt-elektro.de kanzlei-vogel.de stadtwerke-lindenau.de hartmann-it.com web.de gmx.de posteo.de t-online.de".split(),
    "es": "navarroabogados.es clinicaortega.com ayto-villanueva.es gmail.com hotmail.es yahoo.es".split(),
    "pt": "oliveira-advocacia.com.br clinicacarvalho.com.br uol.com.br bol.com.br sapo.pt ribeiro-arquitetos.pt".split(),
    "it": "studioferraro.it comune-valverde.it libero.it tiscali.it ricci-costruzioni.it virgilio.it".split(),
    "nl": "devries-installatie.nl gemeente-noordveld.nl ziggo.nl kpnmail.nl bakkerbouw.nl hotmail.nl".split(),
    "pl": "wp.pl onet.pl o2.pl interia.pl kancelaria-nowak.pl zielinski-serwis.com.pl".split(),
    "ja": "yamato-shoji.co.jp docomo.ne.jp tanaka-kensetsu.jp gmail.com".split(),
    "zh": "qq.com 163.com 126.com huaxin-tech.cn sina.com".split(),
    "ko": "naver.com daum.net hanbit-soft.co.kr".split(),
    "ar": "alnoor-trading.ae gmail.com hotmail.com riyadh-clinic.sa".split(),
}
CJK_NAMES = {
    "ja": ["佐藤 陽翔", "田中 結衣", "鈴木 颯太", "高橋 葵", "渡辺 蓮", "伊藤 陽菜"],
    "zh": ["王芳", "李伟", "张敏", "刘洋", "陈静", "赵磊"],
    "ko": ["김민준", "이서연", "박지호", "최유나", "정현우"],
    "ar": ["عمر حداد", "ليلى منصور", "يوسف كريم", "مريم صالح", "خالد ناصر"],
}


def fold(s: str) -> str:
    s = s.translate(str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o"}))
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z]", "", s).lower()


@dataclass
class Person:
    first: str
    last: str
    lang: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def native(self) -> str:
        names = CJK_NAMES.get(self.lang)
        return R.choice(names) if names else self.full


def person(lang: str) -> Person:
    return Person(R.choice(FIRST[lang]), R.choice(LAST[lang]), lang)


def email_of(p: Person, domain: str | None = None) -> str:
    f, last = fold(p.first), fold(p.last)
    domain = domain or R.choice(DOMAINS[p.lang])
    local = R.choice(
        [
            f"{f}.{last}",
            f"{f[0]}.{last}",
            f"{f}{last}",
            f"{f}_{last}",
            f"{last}.{f}",
            f"{f}{R.randint(1, 99)}",
            f"{f[0]}{last}{R.randint(10, 99)}",
            f"{f}.{last}+{R.choice(['news', 'shop', 'jobs', 'forum'])}",
            f"{f}-{last}",
        ]
    )
    value = f"{local}@{domain}"
    assert valid_email(value), value
    return value


def role_email(local: str, lang: str, domain: str | None = None) -> str:
    value = f"{local}@{domain or R.choice([d for d in DOMAINS[lang] if '.' in d and not d.startswith(('gmail', 'outlook', 'yahoo', 'hotmail'))])}"
    assert valid_email(value), value
    return value


def handle_of(p: Person) -> str:
    f, last = fold(p.first), fold(p.last)
    value = R.choice(
        [
            f"@{f}_{last}",
            f"@{f}{last[:3]}{R.randint(1, 99)}",
            f"@{last}{f[0]}",
            f"@{f}.{last}",
            f"@{p.first[:1].upper()}{f[1:]}{last.capitalize()}",
            f"@the_{f}",
            f"@{f}_{R.randint(80, 99)}",
            f"@{f[0]}{last}",
        ]
    )
    assert valid_handle(value), value
    return value


# Phones: (prefix of the national significant number, its length) per region; the rest is random, and the number
# is kept only when phonenumbers says it is valid for that region.
US_AREAS = "212 312 415 617 206 512 303 404 702 646 718 213 971 503 608 801 919 614 615 720".split()
NSN_RULES: dict[str, list[tuple[str, int]]] = {
    "US": [(a, 10) for a in US_AREAS],
    "CA": [("416", 10), ("604", 10), ("514", 10)],
    "FR": [("1", 9), ("2", 9), ("3", 9), ("4", 9), ("5", 9), ("6", 9), ("7", 9), ("9", 9)],
    "DE": [("30", 10), ("30", 11), ("40", 10), ("89", 10), ("221", 10), ("69", 10), ("711", 10), ("341", 10), ("151", 11), ("160", 10), ("170", 10), ("171", 11), ("176", 11), ("157", 11)],
    "ES": [("91", 9), ("93", 9), ("95", 9), ("96", 9), ("6", 9), ("71", 9)],
    "BR": [(a + "9", 11) for a in ("11", "21", "31", "41", "51", "61", "71", "81", "19", "48")] + [(a + "3", 10) for a in ("11", "21", "31")],
    "IT": [("06", 10), ("02", 10), ("011", 10), ("081", 10), ("34", 10), ("33", 10), ("32", 10)],
    "NL": [("20", 9), ("10", 9), ("30", 9), ("70", 9), ("6", 9)],
    "PL": [("22", 9), ("12", 9), ("61", 9), ("50", 9), ("60", 9), ("69", 9), ("72", 9), ("88", 9)],
    "JP": [("3", 10), ("6", 10), ("52", 10), ("90", 10), ("80", 10), ("70", 10)],
    "CN": [("10", 10), ("21", 10), ("20", 10), ("755", 11), ("13", 11), ("15", 11), ("18", 11)],
    "KR": [("2", 9), ("2", 10), ("10", 10), ("31", 10)],
    "GB": [("20", 10), ("7", 10), ("161", 10), ("121", 10)],
    "AE": [("4", 8), ("2", 8), ("50", 9), ("55", 9)],
    "SA": [("11", 9), ("5", 9)],
    "EG": [("2", 9), ("10", 10), ("11", 10)],
    "CH": [("44", 9), ("79", 9), ("21", 9)],
    "BE": [("2", 8), ("47", 9)],
    "SE": [("8", 9), ("70", 9)],
    "IE": [("1", 8), ("87", 9)],
    "PT": [("21", 9), ("91", 9)],
    "AT": [("1", 8), ("664", 10)],
    "MX": [("55", 10)],
    "AU": [("2", 9), ("4", 9)],
}  # fmt: skip


def phone_number(region: str) -> phonenumbers.PhoneNumber:
    cc = phonenumbers.country_code_for_region(region)
    for _ in range(2000):
        prefix, n = R.choice(NSN_RULES[region])
        nsn = prefix + "".join(R.choice(string.digits) for _ in range(n - len(prefix)))
        num = phonenumbers.parse(f"+{cc}{nsn}")
        if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == region:
            return num
    raise AssertionError(region)


def _fmt(num: phonenumbers.PhoneNumber, style: str) -> str:
    region = phonenumbers.region_code_for_number(num)
    nat = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
    intl = phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
    e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
    cc = str(num.country_code)
    nsn = phonenumbers.national_significant_number(num)
    rest = intl[len(cc) + 2 :]
    if region in ("US", "CA"):
        a, b, c = nsn[:3], nsn[3:6], nsn[6:]
        return {
            "nat": f"({a}) {b}-{c}",
            "nat_dash": f"{a}-{b}-{c}",
            "nat_dot": f"{a}.{b}.{c}",
            "nat_one": f"1-{a}-{b}-{c}",
            "intl": f"+1 {a}-{b}-{c}",
            "intl_paren": f"+1 ({a}) {b}-{c}",
            "intl_space": f"+1 {a} {b} {c}",
            "e164": e164,
            "whois": f"+1.{nsn}",
        }[style]
    table = {
        "nat": nat,
        "nat_dash": nat.replace(" ", "-"),
        "nat_dot": nat.replace(" ", "."),
        "nat_slash": nat.replace(" ", "/", 1),
        "nat_compact": re.sub(r"\D", "", nat),
        "intl": intl,
        "intl_dash": f"+{cc}-" + rest.replace(" ", "-"),
        "intl_trunk": f"+{cc} (0){rest}",
        "intl_00": "00" + intl[1:],
        "e164": e164,
    }
    return table[style]


def phone(lang: str, region: str | None = None, styles: tuple[str, ...] | None = None) -> str:
    """A valid phone number for ``lang``: national formats only when ``region`` is the language's own region."""
    home = REGION.get(lang)
    region = region or home or "US"
    if styles is None:
        styles = ("nat", "nat", "nat_dash", "intl", "intl", "e164") if region == home else ("intl", "intl", "e164")
    if region != home:
        assert all(s.startswith(("intl", "e164", "whois")) for s in styles), (lang, region, styles)
    num = phone_number(region)
    value = _fmt(num, R.choice(styles))
    parsed = phonenumbers.parse(value, home or "ZZ")
    assert parsed.country_code == num.country_code and parsed.national_number == num.national_number, value
    assert phone_ok(value, lang), (value, lang)
    return value


def ipv4() -> str:
    while True:
        first = R.choice([5, 31, 37, 46, 51, 62, 77, 78, 80, 81, 82, 84, 85, 87, 89, 91, 93, 94, 95, 109, 141, 145, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217, 23, 34, 45, 50, 64, 66, 67, 69, 71, 73, 96, 98, 104, 107, 108, 138, 142, 149, 158, 162, 173, 174, 184, 199, 201, 203, 209, 2, 14, 27, 36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 175, 180, 182, 183, 186, 187, 190, 200, 210, 211, 218, 219, 220, 221, 222])  # fmt: skip
        value = f"{first}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        if valid_ip(value):
            return value


IPV6_PREFIXES = ["2a00:1450", "2a01:4f8", "2a02:810d", "2a03:2880", "2a05:d014", "2001:67c", "2604:a880", "2607:f8b0", "2600:1f18", "2800:3f0", "2c0f:fb50", "2400:cb00", "2401:4900", "2403:6200", "240e:3b7", "2001:4860", "2a0c:5a80", "2a10:3781", "2620:fe"]  # fmt: skip


def ipv6(form: str | None = None) -> str:
    while True:
        groups = R.choice(IPV6_PREFIXES).split(":")
        groups += [f"{R.randint(0, 0xFFFF):x}" for _ in range(8 - len(groups))]
        if R.random() < 0.5:
            for i in range(3, 7):
                groups[i] = "0"
        addr = ipaddress.IPv6Address(":".join(groups))
        form = form or R.choice(["compressed", "compressed", "compressed", "exploded", "lower"])
        value = {"compressed": addr.compressed, "exploded": addr.exploded, "lower": ":".join(groups)}[form]
        if valid_ip(value):
            return value


CARD_PREFIXES = {
    "visa": (["4"], [16, 16, 16, 13]),
    "mastercard": (["51", "52", "53", "54", "55", "2221", "2300", "2510", "2699", "2720"], [16]),
    "amex": (["34", "37"], [15]),
    "discover": (["6011", "644", "6466", "65"], [16]),
    "jcb": (["3528", "3541", "3566", "3589"], [16]),
    "diners": (["36", "38", "300", "305"], [14]),
    "unionpay": (["62"], [16, 19]),
    "maestro": (["6759", "5018", "6304"], [16]),
}


def card(brand: str | None = None, sep: str | None = None) -> str:
    brand = brand or R.choice(["visa", "visa", "visa", "mastercard", "mastercard", "amex", "discover", "jcb"])
    prefixes, lengths = CARD_PREFIXES[brand]
    prefix, n = R.choice(prefixes), R.choice(lengths)
    body = prefix + "".join(R.choice(string.digits) for _ in range(n - len(prefix) - 1))
    digits = body + luhn_digit(body)
    sep = R.choice(["", " ", " ", "-"]) if sep is None else sep
    if n == 15:
        groups = [digits[:4], digits[4:10], digits[10:]]
    elif n == 14:
        groups = [digits[:4], digits[4:10], digits[10:]]
    else:
        groups = [digits[i : i + 4] for i in range(0, n, 4)]
    value = sep.join(groups)
    assert valid_card(value) and card_brand(digits) == brand, value
    return value


def _num(n: int) -> str:
    return "".join(R.choice(string.digits) for _ in range(n))


def _fr_rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def _es_dc(digits: str) -> str:
    weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
    d = 11 - sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11
    return str({11: 0, 10: 1}.get(d, d))


_IT_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]


def _it_cin(bban: str) -> str:
    total = 0
    for i, c in enumerate(bban):
        v = int(c)
        total += _IT_ODD[v] if i % 2 == 0 else v
    return chr(ord("A") + total % 26)


def _pl_sort(seven: str) -> str:
    s = sum(int(c) * w for c, w in zip(seven, [3, 9, 7, 1, 3, 9, 7], strict=True))
    return seven + str((10 - s % 10) % 10)


def _bban(country: str) -> str:
    if country == "DE":
        return _num(8) + _num(10)
    if country == "FR":
        bank, branch, acct = R.choice(["30004", "20041", "30003", "10278", "11315"]), _num(5), _num(11)
        return bank + branch + acct + _fr_rib_key(bank, branch, acct)
    if country == "ES":
        bank, branch, acct = R.choice(["2100", "0049", "0182", "2085", "0081"]), _num(4), _num(10)
        return bank + branch + _es_dc("00" + bank + branch) + _es_dc(acct) + acct
    if country == "IT":
        rest = R.choice(["03069", "02008", "05034", "01030"]) + _num(5) + _num(12)
        return _it_cin(rest) + rest
    if country == "NL":
        return R.choice(["ABNA", "RABO", "INGB", "SNSB", "TRIO", "KNAB"]) + _num(10)
    if country == "PL":
        return _pl_sort(R.choice(["1020", "1090", "1140", "1050", "1240"]) + _num(3)) + _num(16)
    if country == "PT":
        first = R.choice(["0035", "0033", "0007", "0010"]) + _num(4) + _num(11)
        return first + f"{98 - int(first) * 100 % 97:02d}"
    if country == "BE":
        ten = _num(10)
        return ten + f"{int(ten) % 97 or 97:02d}"
    if country in ("GB", "IE"):
        bank = R.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"] if country == "GB" else ["AIBK", "BOFI", "IPBS"])
        return bank + _num(6) + _num(8)
    if country == "NO":
        while True:
            ten = _num(10)
            d = 11 - sum(int(c) * w for c, w in zip(ten, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
            if d != 10:
                return ten + str(0 if d == 11 else d)
    if country == "BR":
        return _num(8) + _num(5) + _num(10) + R.choice("CP") + "1"
    if country == "MT":
        return R.choice(["MALT", "VALL"]) + _num(5) + _num(18)
    if country == "RO":
        return R.choice(["RNCB", "BTRL", "INGB"]) + _num(16)
    return _num(IBAN_LENGTH[country] - 4)


def iban(country: str, grouped: bool | None = None) -> str:
    bban = _bban(country)
    check = 98 - iban_mod97(country + "00" + bban)
    compact = f"{country}{check:02d}{bban}"
    assert len(compact) == IBAN_LENGTH[country] and iban_mod97(compact) == 1, compact
    grouped = R.random() < 0.7 if grouped is None else grouped
    value = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4)) if grouped else compact
    assert valid_iban(value)
    return value


def ssn() -> str:
    while True:
        area = R.randint(1, 899)
        if area != 666:
            value = f"{area:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"
            assert valid_ssn(value)
            return value


ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"


def rs(n: int, alphabet: str = ALNUM) -> str:
    while True:
        value = "".join(R.choice(alphabet) for _ in range(n))
        if len(set(value)) >= min(10, len(alphabet)) and "xxxx" not in value.lower():
            return value


def password(n: int | None = None) -> str:
    alphabet = ALNUM + "!%^*-_+=?~"
    while True:
        value = rs(n or R.randint(16, 24), alphabet)
        if any(c in "!%^*-_+=?~" for c in value) and any(c.isdigit() for c in value) and value[0] not in "-=+":
            return value


def b64(nbytes: int) -> str:
    return base64.b64encode(R.randbytes(nbytes)).decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def aws_key_id(kind: str = "AKIA") -> str:
    return kind + rs(16, B32)


def aws_secret() -> str:
    return rs(40, ALNUM + "/+")


def github_token(kind: str | None = None) -> str:
    kind = kind or R.choice(["ghp_", "ghp_", "gho_", "ghs_", "github_pat_"])
    if kind == "github_pat_":
        return "github_pat_11" + rs(20, B32 + string.digits) + "_" + rs(59)
    return kind + rs(36)


def gitlab_token() -> str:
    return "glpat-" + rs(20, ALNUM + "-_")


def slack_token(kind: str | None = None) -> str:
    kind = kind or R.choice(["xoxb", "xoxb", "xoxp"])
    if kind == "xoxb":
        return f"xoxb-{_num(12)}-{_num(13)}-{rs(24)}"
    return f"xoxp-{_num(12)}-{_num(12)}-{_num(13)}-{rs(32, HEX)}"


def stripe_key() -> str:
    return R.choice(["sk_live_", "rk_live_"]) + rs(R.choice([24, 99]))


def openai_key() -> str:
    return "sk-proj-" + rs(74, ALNUM + "-_") + "T3BlbkFJ" + rs(20, ALNUM + "-_")


def google_key() -> str:
    return "AIza" + rs(35, ALNUM + "-_")


def jwt(alg: str = "HS256") -> str:
    header = {"alg": alg, "typ": "JWT"}
    if alg == "RS256":
        header["kid"] = rs(16, HEX)
    payload = {
        "sub": str(R.randint(10_000, 9_999_999)),
        "iat": R.randint(1_690_000_000, 1_730_000_000),
        "scope": R.choice(["read write", "admin", "orders:read"]),
    }
    payload["exp"] = payload["iat"] + 3600
    sig = b64url(R.randbytes(32 if alg == "HS256" else 256))
    return f"{b64url(json.dumps(header, separators=(',', ':')).encode())}.{b64url(json.dumps(payload, separators=(',', ':')).encode())}.{sig}"


PEM_HEADS = {
    "RSA PRIVATE KEY": "MIIEpAIBAAKCAQEA",
    "PRIVATE KEY": "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQ",
    "EC PRIVATE KEY": "MHcCAQEEI",
    "OPENSSH PRIVATE KEY": "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "ENCRYPTED PRIVATE KEY": "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI",
    "DSA PRIVATE KEY": "MIIBuwIBAAKBgQD",
}


def pem(kind: str | None = None, lines: int | None = None, newline: str = "\n", indent: str = "") -> str:
    kind = kind or R.choice(list(PEM_HEADS))
    n = lines or (4 if kind == "EC PRIVATE KEY" else R.randint(6, 14))
    body = PEM_HEADS[kind] + base64.b64encode(R.randbytes(48 * n)).decode()
    body_lines = [body[i : i + (70 if kind.startswith("OPENSSH") else 64)] for i in range(0, 64 * n, 64)]
    out = [f"-----BEGIN {kind}-----", *body_lines, f"-----END {kind}-----"]
    return (newline + indent).join(out)


def pgp_private() -> str:
    body = [base64.b64encode(R.randbytes(48)).decode() for _ in range(R.randint(8, 12))]
    crc = "=" + base64.b64encode(R.randbytes(3)).decode()
    return "\n".join(["-----BEGIN PGP PRIVATE KEY BLOCK-----", "", "lQVYBG" + body[0][6:], *body[1:], crc, "-----END PGP PRIVATE KEY BLOCK-----"])


def token_any() -> str:
    return R.choice([github_token, gitlab_token, slack_token, stripe_key, google_key, aws_key_id, openai_key])()
