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


WEBMAIL = {"gmail.com", "outlook.com", "yahoo.com", "proton.me", "hotmail.es", "yahoo.es", "hotmail.nl", "hotmail.com", "web.de", "gmx.de", "posteo.de", "t-online.de", "orange.fr", "laposte.net", "free.fr", "sfr.fr", "libero.it", "tiscali.it", "virgilio.it", "ziggo.nl", "kpnmail.nl", "wp.pl", "onet.pl", "o2.pl", "interia.pl", "uol.com.br", "bol.com.br", "sapo.pt", "docomo.ne.jp", "qq.com", "163.com", "126.com", "sina.com", "naver.com", "daum.net"}  # fmt: skip
ROLE_LOCALS = {
    "en": ["info", "contact", "press", "billing", "accounts", "support", "privacy", "sales"],
    "de": ["info", "kontakt", "presse", "buchhaltung", "verkauf", "datenschutz", "spenden"],
    "fr": ["contact", "accueil", "presse", "compta", "dpo", "dons"],
    "es": ["info", "contacto", "prensa", "facturacion", "administracion", "dpd"],
    "it": ["info", "segreteria", "ufficiostampa", "amministrazione", "privacy"],
    "nl": ["info", "contact", "pers", "administratie", "privacy", "winkel"],
    "pl": ["biuro", "kontakt", "sklep", "faktury", "iod"],
    "pt": ["contato", "atendimento", "imprensa", "financeiro", "faturacao", "doacoes"],
    "ja": ["info", "support"],
    "zh": ["service", "info"],
    "ko": ["help", "cs"],
    "ar": ["info", "sales"],
}


def role_email(local: str | None, lang: str, domain: str | None = None) -> str:
    """A role address (info@, presse@ ...) at a company or public-body domain of the language."""
    local = local or R.choice(ROLE_LOCALS[lang])
    value = f"{local}@{domain or R.choice([d for d in DOMAINS[lang] if d not in WEBMAIL])}"
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
    "visa": (["4"], [16]),
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
        if len(set(value)) >= min(10, len(alphabet), n // 2) and "xxxx" not in value.lower():
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
    n = lines or (3 if kind == "EC PRIVATE KEY" else R.randint(6, 14))
    width = 70 if kind.startswith("OPENSSH") else 64
    body = PEM_HEADS[kind] + base64.b64encode(R.randbytes(width * n)).decode()
    body_lines = [body[i : i + width] for i in range(0, width * n - 20, width)]
    out = [f"-----BEGIN {kind}-----", *body_lines, f"-----END {kind}-----"]
    return (newline + indent).join(out)


def pgp_private() -> str:
    body = [base64.b64encode(R.randbytes(48)).decode() for _ in range(R.randint(8, 12))]
    crc = "=" + base64.b64encode(R.randbytes(3)).decode()
    return "\n".join(
        [
            "-----BEGIN PGP PRIVATE KEY BLOCK-----",
            "",
            "lQVYBG" + body[0][6:],
            *body[1:],
            crc,
            "-----END PGP PRIVATE KEY BLOCK-----",
        ]
    )


def token_any() -> str:
    return R.choice([github_token, gitlab_token, slack_token, stripe_key, google_key, aws_key_id, openai_key])()


# ---------------------------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------------------------

RECORDS: list[dict[str, Any]] = []


def add(lang: str, context: str, raw: str, category: str | None = None, ok: tuple[str, ...] = ()) -> None:
    """One text. ``category`` names the kind of hard negative (texts without spans); ``ok`` lists look-alike
    substrings (valid-looking but not PII in context) that the unlabelled-PII scan must accept."""
    text, spans = build(raw)
    if spans:
        assert category is None, context
        category = "pii"
    assert category, f"{context}: a text without spans needs a hard-negative category"
    RECORDS.append(
        {"text": text, "lang": lang, "context": context, "category": category, "spans": spans, "_ok": list(ok)}
    )


def priv_ip() -> str:
    return R.choice(
        [
            f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
        ]
    )


def hexs(n: int) -> str:
    return "".join(R.choice(HEX) for _ in range(n))


def uuid4() -> str:
    h = hexs(32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice('89ab')}{h[17:20]}-{h[20:]}"


def ean13(prefix: str) -> str:
    body = prefix + _num(12 - len(prefix))
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - s % 10) % 10)


def ts_nginx() -> str:
    return f"{R.randint(1, 28):02d}/{R.choice(['Mar', 'Apr', 'May', 'Jun'])}/2024:{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d} +0000"


def ts_syslog() -> str:
    return f"{R.choice(['Mar', 'Apr', 'May'])} {R.randint(1, 28):2d} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}"


def ts_iso() -> str:
    return f"2024-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}.{R.randint(0, 999):03d}Z"


UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
]
UA_OK = ("124.0.0.0",)


# ---------------------------------------------------------------------------------------------------------------
# Positive templates (texts with PII)
# ---------------------------------------------------------------------------------------------------------------

FORUM = {
    "en": ("Re: VPN drops every ~20 minutes since the firmware update", "Since updating the router firmware my WireGuard tunnel drops every 20 min or so. Router is at 192.168.1.1, the public IP shown in the ISP panel is {ip1}. Any ideas?", "{h1} check whether your ISP rotates the lease, mine changed from {ip2} to {ip3} overnight. MTU 1420 vs 1500 also matters.", "Thanks {h2}! If anyone wants the full logs, mail me at {em}."),
    "de": ("Re: Fritzbox verliert nachts die Verbindung", "Seit dem letzten Update bricht die Verbindung jede Nacht gegen 3 Uhr ab. Die Box hängt an 192.168.178.1, laut Provider habe ich die öffentliche IP {ip1}. Jemand eine Idee?", "{h1} Zwangstrennung? Bei mir wechselt die Adresse jede Nacht, gestern {ip2}, heute {ip3}.", "Danke {h2}! Logs schicke ich gern per Mail: {em}"),
    "fr": ("Re: Box : perte de connexion toutes les nuits", "Depuis la mise à jour, ma connexion saute vers 4h du matin. La box est en 192.168.1.1 et mon IP publique est {ip1} d'après le site de l'opérateur.", "{h1} chez moi c'est pareil, l'adresse change : {ip2} hier, {ip3} ce matin.", "Merci {h2} ! Je peux envoyer les journaux complets, écrivez-moi : {em}"),
    "es": ("Re: El router se desconecta cada noche", "Desde la actualización el router pierde la conexión sobre las 4 de la madrugada. La puerta de enlace es 192.168.0.1 y mi IP pública es {ip1}.", "{h1} ¿has mirado si tu operador usa CG-NAT? Si ves una 100.64.x.x en el router, es eso. A mí me asignaron {ip2} y luego {ip3}.", "Gracias {h2}. Si alguien quiere los registros, mi correo es {em}."),
    "it": ("Re: Il modem si disconnette ogni notte", "Dopo l'aggiornamento il modem perde la linea verso le 3. Il gateway è 192.168.1.254, l'IP pubblico è {ip1}.", "{h1} anche a me, ma l'indirizzo cambia: prima {ip2}, ora {ip3}.", "Grazie {h2}! Per i log completi scrivetemi a {em}"),
    "nl": ("Re: Modem valt elke nacht weg", "Sinds de update valt de verbinding elke nacht rond 3 uur weg. Gateway is 192.168.2.254, mijn publieke IP is {ip1}.", "{h1} bij mij wisselt het adres ook: eerst {ip2}, nu {ip3}.", "Bedankt {h2}! Logs kan ik mailen, stuur een bericht naar {em}"),
    "pl": ("Re: Router zrywa połączenie co noc", "Od aktualizacji połączenie zrywa się co noc około 3:00. Brama to 192.168.1.1, publiczne IP według operatora: {ip1}.", "{h1} sprawdź, czy operator nie zmienia adresu. U mnie wczoraj było {ip2}, dziś {ip3}.", "Dzięki {h2}! Logi mogę wysłać mailem: {em}"),
    "pt": ("Re: Roteador cai toda madrugada", "Desde a atualização a conexão cai por volta das 3h. O gateway é 192.168.15.1 e meu IP público é {ip1}.", "{h1} aqui também, o IP muda toda noite: ontem {ip2}, hoje {ip3}.", "Valeu {h2}! Quem quiser os logs, me chama no {em}"),
}  # fmt: skip


def p_forum(lang: str) -> None:
    title, post1, post2, post3 = FORUM[lang]
    a, b = person(lang), person(lang)
    ha, hb = handle_of(a), handle_of(b)
    v6 = R.random() < 0.4
    vals = {
        "ip1": IP(ipv6() if v6 else ipv4()),
        "ip2": IP(ipv4()),
        "ip3": IP(ipv6() if v6 else ipv4()),
        "h1": HD(ha),
        "h2": HD(hb),
        "em": EM(email_of(a)),
    }
    date = f"{R.randint(1, 28):02d}.{R.randint(1, 12):02d}.2024, {R.randint(0, 23):02d}:{R.randint(0, 59):02d}"
    raw = (
        f"{title}\n\n{ha[1:]} · {date}\n{post1.format(**vals)}\n\n{hb[1:]} · {date}\n{post2.format(**vals)}\n\n"
        f"{ha[1:]} · {date}\n{post3.format(**vals)}\n"
    )
    add(lang, "forum_thread", raw)


COMMENTS = {
    "en": ("142 comments", "Reply", "{h1} exactly. The 2019 audit already said 40% of the bridges needed work.", "This is the third closure this year. Who signs off on these budgets?", "{h2} you can read the full report on the county site, page 37."),
    "es": ("87 comentarios", "Responder", "{h1} totalmente de acuerdo, llevamos 3 años esperando la obra.", "¿Alguien sabe si el carril bici llegará hasta la estación?", "{h2} según el pliego, la fase 2 empieza en 2025."),
    "pt": ("64 comentários", "Responder", "{h1} verdade, a obra está parada desde março.", "Alguém sabe quando abre a nova linha de ônibus?", "{h2} a previsão da prefeitura é para o segundo semestre."),
    "fr": ("53 commentaires", "Répondre", "{h1} tout à fait, et le budget a doublé depuis 2021.", "Qui valide ces chantiers sans concertation ?", "{h2} le compte rendu du conseil municipal est en ligne, p. 12."),
    "de": ("38 Kommentare", "Antworten", "{h1} genau so. Die Sanierung war schon 2019 überfällig.", "Wer genehmigt eigentlich diese Baustellen mitten im Sommer?", "{h2} steht alles im Ratsinformationssystem, Vorlage 2024/0412."),
    "it": ("29 commenti", "Rispondi", "{h1} esatto, il cantiere è fermo da mesi.", "Qualcuno sa quando riapre il ponte?", "{h2} secondo il Comune entro fine settembre."),
    "nl": ("41 reacties", "Reageren", "{h1} precies, de brug is al sinds 2022 een probleem.", "Weet iemand wanneer de busbaan klaar is?", "{h2} volgens de gemeente in het najaar."),
    "pl": ("33 komentarze", "Odpowiedz", "{h1} dokładnie, remont trwa już drugi rok.", "Ktoś wie, kiedy otworzą nowy przystanek?", "{h2} według urzędu miasta jesienią."),
}  # fmt: skip


def p_comments(lang: str) -> None:
    header, reply, c1, c0, c2 = COMMENTS[lang]
    a, b, c = person(lang), person(lang), person(lang)
    ha, hb = handle_of(a), handle_of(b)
    vals = {"h1": HD(ha), "h2": HD(hb)}
    raw = (
        f"{header}\n\n{ha[1:]} · 3h\n{c0}\n{reply} · {R.randint(2, 40)} 👍\n\n"
        f"    {fold(c.first)}{R.randint(10, 99)} · 2h\n    {c1.format(**vals)}\n    {reply} · {R.randint(1, 9)} 👍\n\n"
        f"    {hb[1:]} · 1h\n    {c2.format(**vals)}\n"
    )
    add(lang, "comment_section", raw)


def p_classified(lang: str) -> None:
    p = person(lang)
    ph, em = PH(phone(lang)), EM(email_of(p))
    texts = {
        "en": f"FOR SALE: 2016 Honda Civic EX, 128,400 miles, one owner. New tires (Nov 2023), clean title. Asking $9,800 OBO. Call or text {ph} after 5pm, or email {em}. No lowballers, no trades.",
        "de": f"Verkaufe Eckcouch, 280 x 190 cm, Stoff anthrazit, 3 Jahre alt, Nichtraucherhaushalt. Preis: 350 € VB. Nur Abholung in 04109 Leipzig. Tel. {ph} oder {em}",
        "fr": f"Vends vélo électrique, 2021, 1 850 km, batterie 418 Wh, révisé en mars. Prix : 790 € à débattre. Contact : {ph} (SMS de préférence) ou {em}",
        "es": f"Se alquila piso de 85 m² en Valencia, 3 habitaciones, 2 baños, 4ª planta con ascensor. 950 €/mes + gastos. Llamar al {ph} o escribir a {em}.",
        "it": f"Vendo Fiat Panda 1.2 Easy, anno 2017, 94.000 km, tagliandi certificati. 6.900 € trattabili. Cell. {ph} oppure {em} — no perditempo.",
        "nl": f"Te koop: kinderfiets 20 inch, blauw, 2 jaar oud. Vraagprijs € 85. Ophalen in Utrecht. Bel of app {ph}, mailen kan ook: {em}",
        "pl": f"Sprzedam iPhone 12 128 GB, stan bardzo dobry, bateria 87%. Cena 1 450 zł do negocjacji. Kontakt: {ph}, {em}",
        "pt": f"Vendo geladeira Frost Free 375 L, 2019, funcionando perfeitamente. R$ 1.200,00. Retirar em Campinas. WhatsApp {ph} ou {em}",
        "ja": f"【売ります】ロードバイク 2020年モデル 520mm 走行約3,000km 価格 68,000円 お問い合わせ：{ph} メール：{em}",
        "zh": f"出售二手笔记本电脑，2022年购入，16GB内存，512GB固态硬盘，电池健康度91%，价格3500元。联系电话：{ph}，邮箱：{em}",
    }
    add(lang, "classified_ad", texts[lang])


def p_press_release(lang: str) -> None:
    a, b = person(lang), person(lang)
    home = REGION[lang]
    trunk = ("intl_trunk", "nat") if home in ("DE", "FR", "NL") else ("intl", "nat")
    ph1, ph2 = PH(phone(lang, styles=trunk)), PH(phone(lang))
    em1, em2 = EM(email_of(a)), EM(role_email(None, lang))
    texts = {
        "en": f"FOR IMMEDIATE RELEASE\n\nNorthwind Labs Reports Q3 Revenue of $48.2 Million, Up 17% Year over Year\n\nSEATTLE, Oct. 24, 2024 — Northwind Labs (NASDAQ: NWLB) today announced results for the quarter ended September 30, 2024. Gross margin was 61.4%, and the company ended the quarter with 2,340 customers and $112.7 million in cash.\n\nAbout Northwind Labs\nNorthwind Labs builds analytics software for logistics teams in 14 countries.\n\nMedia Contact:\n{a.full}\nDirector of Communications\n{ph1}\n{em1}\n\nInvestor Relations:\n{b.full}\n{ph2}\n{em2}\n",
        "de": f"PRESSEMITTEILUNG\n\nStadtwerke Lindenau investieren 12,5 Mio. Euro in Fernwärme\n\nLindenau, 14. März 2024 – Bis 2027 sollen 3.800 Haushalte an das neue Netz angeschlossen werden; der erste Bauabschnitt (4,2 km) beginnt im Mai.\n\nPressekontakt:\n{a.full}\nTel.: {ph1}\nMobil: {ph2}\nE-Mail: {em1}\n\nAllgemeine Anfragen: {em2}\n",
        "fr": f"COMMUNIQUÉ DE PRESSE\n\nLumière Conseil ouvre un bureau à Lyon\n\nParis, le 3 juin 2024 – Le cabinet, qui compte 45 consultants et a réalisé un chiffre d'affaires de 18,7 M€ en 2023, recrutera 12 personnes d'ici fin 2025.\n\nContact presse :\n{a.full}\nTél. : {ph1}\nPortable : {ph2}\n{em1}\n\nService presse : {em2}\n",
        "es": f"NOTA DE PRENSA\n\nClínica Ortega inaugura una unidad de fisioterapia deportiva\n\nMadrid, 12 de febrero de 2024. La nueva unidad, de 420 m², atenderá a unos 3.000 pacientes al año.\n\nContacto de prensa: {a.full} · {ph1} · {em1}\nDepartamento de comunicación: {ph2} · {em2}\n",
        "it": f"COMUNICATO STAMPA\n\nRicci Costruzioni si aggiudica l'appalto da 8,4 milioni per la scuola di Valverde\n\nMilano, 5 aprile 2024 – I lavori dureranno 26 mesi e interesseranno 6.200 m² di superficie.\n\nUfficio stampa: {a.full}, tel. {ph1}, cell. {ph2}, e-mail {em1} – {em2}\n",
        "nl": f"PERSBERICHT\n\nBakker Bouw start met 120 energieneutrale woningen in Noordveld\n\nAssen, 18 april 2024 – De oplevering van de eerste fase (48 woningen) staat gepland voor het voorjaar van 2026.\n\nNoot voor de redactie, niet voor publicatie:\nVoor meer informatie: {a.full}, {ph1}, {em1}\nAlgemeen: {ph2}, {em2}\n",
    }
    add(lang, "press_release", texts[lang])


def p_gov_contact(lang: str) -> None:
    a, b = person(lang), person(lang)
    ph1, ph2, ph3 = PH(phone(lang, styles=("nat",))), PH(phone(lang, styles=("nat",))), PH(phone(lang))
    r1 = EM(role_email(None, lang))
    em = EM(email_of(a))
    texts = {
        "en": f"County of Marlow — Department of Public Works\n\nContact Us\nMain office: {ph1}\nTTY: 711\nFax: {ph2}\nPermits: {r1}\nOffice hours: Mon–Fri 8:00 a.m.–4:30 p.m.\n1200 Civic Center Dr., Suite 200, Marlow, OR 97401\n\nStaff directory\n{a.full}, Director — {ph3} — {em}\n{b.full}, Permit Coordinator — ext. 4127\n",
        "fr": f"Mairie de Saint-Aubin — Services techniques\n\nAccueil : {ph1}\nTélécopie : {ph2}\nCourriel : {r1}\nHoraires : du lundi au vendredi, 8 h 30 – 12 h et 13 h 30 – 17 h\n2 place de la Mairie, 35250 Saint-Aubin\n\nResponsable : {a.full} — {ph3} — {em}\n",
        "de": f"Stadt Lindenau – Bürgerbüro\n\nTelefon: {ph1}\nTelefax: {ph2}\nE-Mail: {r1}\nÖffnungszeiten: Mo, Di, Do 8–16 Uhr, Mi 8–18 Uhr, Fr 8–12 Uhr\nMarktplatz 1, 04109 Lindenau, Zimmer 1.14\n\nAnsprechpartnerin: {a.full}, Sachgebietsleitung, {ph3}, {em}\n",
        "es": f"Ayuntamiento de Villanueva — Oficina de Atención Ciudadana\n\nTeléfono: {ph1}\nFax: {ph2}\nCorreo electrónico: {r1}\nHorario: lunes a viernes de 9:00 a 14:00\nPlaza Mayor, 1 — 46001 Villanueva\n\nJefa de servicio: {a.full} ({ph3}, {em})\n",
        "pt": f"Prefeitura Municipal — Secretaria de Obras\n\nTelefone: {ph1}\nFax: {ph2}\nE-mail: {r1}\nAtendimento: segunda a sexta, das 8h às 17h\nRua XV de Novembro, 1200 — CEP 13010-111\n\nSecretário: {a.full} — {ph3} — {em}\n",
        "it": f"Comune di Valverde – Ufficio Anagrafe\n\nCentralino: {ph1}\nFax: {ph2}\nE-mail: {r1}\nOrari: lun–ven 9:00–12:30, gio anche 15:00–17:00\nPiazza Municipio 1, 20010 Valverde (MI)\n\nResponsabile del servizio: {a.full}, tel. {ph3}, {em}\n",
        "nl": f"Gemeente Noordveld — Publiekszaken\n\nTelefoon: {ph1}\nFax: {ph2}\nE-mail: {r1}\nOpeningstijden: maandag t/m vrijdag 9.00–17.00 uur\nRaadhuisplein 1, 9401 AA Assen\n\nTeamleider: {a.full}, {ph3}, {em}\n",
        "pl": f"Urząd Gminy — Referat Gospodarki Komunalnej\n\nTelefon: {ph1}\nFaks: {ph2}\nE-mail: {r1}\nGodziny pracy: pon.–pt. 7:30–15:30\nul. Rynek 1, 00-950 Warszawa, pokój 12\n\nKierownik referatu: {a.full}, tel. {ph3}, {em}\n",
    }
    add(lang, "government_contact_page", texts[lang])


def bic() -> str:
    return R.choice(
        [
            "DEUTDEFFXXX",
            "COBADEFFXXX",
            "GENODEF1S04",
            "BNPAFRPPXXX",
            "CCOPFRPPXXX",
            "CAIXESBBXXX",
            "BSCHESMMXXX",
            "BCITITMMXXX",
            "UNCRITMMXXX",
            "ABNANL2A",
            "RABONL2U",
            "PKOPPLPW",
            "BPOTPTPL",
            "NWBKGB2L",
        ]
    )


def p_ngo_donation(lang: str) -> None:
    country = {"de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT", "pl": "PL", "en": "GB"}[lang]
    ib = IB(iban(country))
    em = EM(role_email(None, lang))
    texts = {
        "de": f"So können Sie helfen\n\nSpendenkonto:\nKinderhilfe Lindenau e. V.\nIBAN: {ib}\nBIC: {bic()}\nVerwendungszweck: Spende 2024\n\nAb 300 € erhalten Sie automatisch eine Zuwendungsbestätigung. Fragen? {em}\n",
        "fr": f"Faire un don\n\nPar virement à l'ordre de : Les Amis du Littoral\nIBAN : {ib}\nBIC : {bic()}\n66 % de votre don est déductible de l'impôt sur le revenu, dans la limite de 20 % du revenu imposable.\nUne question ? {em}\n",
        "es": f"Colabora con nosotros\n\nCuenta para donativos: {ib}\nConcepto: DONATIVO + tu NIF\nLos primeros 250 € desgravan un 80 % en la declaración de la renta.\nMás información: {em}\n",
        "it": f"Sostienici\n\nBonifico bancario intestato a Associazione Mani Aperte ODV\nIBAN {ib}\nCausale: erogazione liberale\nOppure con il 5x1000: codice fiscale 97123450154\nInfo: {em}\n",
        "nl": f"Doneer\n\nStichting Voedselbank Noordveld\nIBAN {ib} t.n.v. Stichting Voedselbank Noordveld\nRSIN 8123.45.678 — wij hebben de ANBI-status, uw gift is aftrekbaar.\nVragen: {em}\n",
        "pt": f"Apoie a nossa missão\n\nTransferência bancária:\nIBAN: {ib}\nBIC/SWIFT: {bic()}\nAo doar, indique o seu NIF para receber o recibo para IRS.\nContacto: {em}\n",
        "pl": f"Wesprzyj nas\n\nFundacja Pomocy Zwierzętom\nNr konta: {ib}\nTytułem: darowizna na cele statutowe\nKRS 0000123456 — przekaż 1,5% podatku.\nKontakt: {em}\n",
        "en": f"Donate by bank transfer\n\nAccount name: Harbourside Food Bank\nIBAN: {ib}\nBIC: {bic()}\nPlease use reference DONATE24. Registered charity no. 1174023.\nQuestions: {em}\n",
    }
    add(lang, "ngo_donation_page", texts[lang])


def p_cv(lang: str) -> None:
    p = person(lang)
    ph, em = PH(phone(lang)), EM(email_of(p))
    texts = {
        "en": f"{p.full}\nSenior Data Engineer\nPortland, OR · {ph} · {em} · linkedin.com/in/{fold(p.first)}-{fold(p.last)}\n\nEXPERIENCE\nOrbit Freight — Data Engineer (2019–present)\n• Cut nightly ETL runtime from 6.5 h to 48 min by moving to incremental loads\n• Migrated 1.2 PB from HDFS to S3; 99.95% job success over 18 months\n\nEDUCATION\nB.S. Computer Science, 2015, GPA 3.7/4.0\n\nSKILLS\nPython 3.12, Spark 3.5.1, PostgreSQL 16, Terraform 1.7, dbt 1.8\n",
        "de": f"Lebenslauf\n\nPersönliche Daten\nName: {p.full}\nAnschrift: Lindenstraße 14, 04109 Leipzig\nTelefon: {ph}\nE-Mail: {em}\nGeburtsdatum: 12.03.1991\n\nBerufserfahrung\n04/2019 – heute  Projektleiterin, Hartmann IT GmbH\n10/2015 – 03/2019  Entwicklerin, Stadtwerke Lindenau\n\nSprachen: Deutsch (Muttersprache), Englisch (C1), Spanisch (B1)\n",
        "fr": f"CURRICULUM VITAE\n\n{p.full}\n12 rue des Lilas, 69003 Lyon\nTél. : {ph} — Courriel : {em}\nPermis B\n\nEXPÉRIENCE\n2018 – 2024  Chargée de projet, Lumière Conseil (Paris)\n2015 – 2018  Analyste, Cabinet Roussel\n\nFORMATION\nMaster 2 Économie appliquée, Université Lyon 2 (mention bien)\n",
        "es": f"CURRÍCULUM VÍTAE\n\n{p.full}\nMóvil: {ph} | Email: {em}\nC/ Colón 14, 3º B, 46004 Valencia\n\nEXPERIENCIA\n2020 – actualidad: Responsable de compras, Clínica Ortega\n2016 – 2020: Técnico de logística\n\nIDIOMAS: Inglés (C1), Francés (B2)\n",
        "pt": f"CURRÍCULO\n\n{p.full}\nCelular: {ph} | E-mail: {em}\nCampinas – SP\n\nOBJETIVO\nAnalista de dados pleno\n\nEXPERIÊNCIA\n2019 – atual: Analista de BI, Clínica Carvalho\n2016 – 2019: Estagiário, Ribeiro Arquitetos\n",
        "it": f"CURRICULUM VITAE\n\nNome: {p.full}\nNata a Bologna il 04/11/1990\nCellulare: {ph}\nEmail: {em}\n\nESPERIENZA\n2018 – oggi: Geometra, Ricci Costruzioni S.r.l.\n\nISTRUZIONE\nLaurea in Ingegneria Civile, 110/110\n",
        "nl": f"Curriculum Vitae\n\n{p.full}\nTelefoon: {ph}\nE-mail: {em}\nWoonplaats: Utrecht\n\nWerkervaring\n2019 – heden  Projectleider, Bakker Bouw\n2014 – 2019  Werkvoorbereider\n\nOpleiding\nHBO Bouwkunde, Hanzehogeschool Groningen\n",
        "pl": f"CV\n\n{p.full}\nTelefon: {ph}\nE-mail: {em}\nMiasto: Kraków\n\nDoświadczenie zawodowe\n2019 – obecnie: Księgowa, Kancelaria Nowak\n2015 – 2019: Asystentka działu finansów\n\nWyrażam zgodę na przetwarzanie moich danych osobowych dla potrzeb rekrutacji.\n",
    }
    add(lang, "cv_resume", texts[lang])


def p_support_chat(variant: str) -> None:
    if variant == "en":
        p = person("en")
        raw = (
            f"Chat transcript #48213 — started 2024-05-06 14:02 UTC\n\n"
            f"Agent (Dana): Hi, thanks for contacting Crestview CU support. How can I help?\n"
            f"Customer: hi my card got declined at a gas station, twice\n"
            f"Agent (Dana): Sorry to hear that. Can you confirm the email on the account?\n"
            f"Customer: {EM(email_of(p))}\n"
            f"Customer: and the card is {CC(card('visa'))}\n"
            f"Agent (Dana): Please never share the full card number in chat. For verification, what's your date of birth?\n"
            f"Customer: 04/11/1988. SSN is {SS(ssn())} if you need it\n"
            f"Agent (Dana): Thank you. The decline was a fraud hold, I've released it. Best number to reach you?\n"
            f"Customer: {PH(phone('en'))}\n"
            f"Agent (Dana): Done. Reference number 20240506-0413. Anything else?\n"
        )
    elif variant == "es":
        p = person("es")
        raw = (
            f"Transcripción del chat — 06/05/2024 10:41\n\n"
            f"Agente: Buenos días, soy Carla de Crestview Credit Union. ¿En qué puedo ayudarle?\n"
            f"Cliente: hola, me cobraron dos veces 49,99 en la tarjeta {CC(card('mastercard'))}\n"
            f"Agente: Lo siento. Para verificar su identidad necesito los últimos 4 dígitos de su número de Seguro Social.\n"
            f"Cliente: el número completo es {SS(ssn())}\n"
            f"Agente: Gracias. ¿Un teléfono de contacto?\n"
            f"Cliente: {PH(phone('es', 'US'))} o por correo {EM(email_of(p))}\n"
            f"Agente: Perfecto, abrimos la reclamación n.º 553-1187.\n"
        )
    elif variant == "de":
        raw = (
            f"Chatprotokoll vom 06.05.2024, 09:12 Uhr\n\n"
            f"Support (Jonas): Guten Morgen! Wie kann ich helfen?\n"
            f"Kunde: Hallo, ich habe die Bestellung 302-4417-8812 storniert, aber noch kein Geld zurück.\n"
            f"Support (Jonas): Das tut mir leid. Wohin sollen wir erstatten?\n"
            f"Kunde: Bitte auf mein Konto {IB(iban('DE'))}, Kontoinhaber steht drauf.\n"
            f"Support (Jonas): Notiert. Die Gutschrift dauert 3–5 Werktage.\n"
            f"Kunde: Falls was ist: Rückruf unter {PH(phone('de'))}\n"
        )
    elif variant == "fr":
        raw = (
            f"Transcription de la conversation — 06/05/2024 à 16:20\n\n"
            f"Conseiller : Bonjour, que puis-je faire pour vous ?\n"
            f"Client : ma carte {CC(card('visa', ' '))} a été débitée deux fois de 89,90 €\n"
            f"Conseiller : Je vérifie… Oui, le second débit sera annulé sous 48 h.\n"
            f"Client : ok, sinon remboursez sur {IB(iban('FR'))}\n"
            f"Client : je suis joignable au {PH(phone('fr'))}\n"
        )
    elif variant == "pt":
        p = person("pt")
        raw = (
            f"Atendimento online — protocolo 2024050612345\n\n"
            f"Atendente: Olá! Como posso ajudar?\n"
            f"Cliente: meu pedido 48213 não chegou, já passou 12 dias\n"
            f"Atendente: Vou verificar. Pode confirmar o e-mail do cadastro?\n"
            f"Cliente: {EM(email_of(p))} e o celular é {PH(phone('pt'))}\n"
            f"Atendente: Obrigado. O código de rastreio é BR123456789BR.\n"
        )
    elif variant == "it":
        raw = (
            f"Chat assistenza — 06/05/2024 11:05\n\n"
            f"Operatore: Buongiorno, come posso aiutarla?\n"
            f"Cliente: devo ricevere il rimborso dell'ordine n. 2024/118, IBAN {IB(iban('IT'))}\n"
            f"Operatore: Ricevuto, il bonifico partirà entro 5 giorni lavorativi.\n"
            f"Cliente: grazie, per urgenze il mio numero è {PH(phone('it'))}\n"
        )
    elif variant == "ja":
        raw = (
            f"チャット履歴（2024/05/06 15:30）\n\n"
            f"オペレーター：お問い合わせありがとうございます。ご用件をお伺いします。\n"
            f"お客様：カード番号は{CC(card('jcb', '-'))}です。二重に請求されています。\n"
            f"オペレーター：確認いたします。ご連絡先のお電話番号をお願いします。\n"
            f"お客様：{PH(phone('ja'))}です。\n"
        )
    else:  # zh
        raw = (
            f"在线客服记录 2024-05-06 15:30\n\n"
            f"客服：您好，请问有什么可以帮您？\n"
            f"客户：我的银行卡号是{CC(card('unionpay', ' '))}，扣款了两次。\n"
            f"客服：好的，请提供您的联系电话。\n"
            f"客户：手机{PH(phone('zh'))}，邮箱{EM(email_of(person('zh')))}\n"
        )
    add(variant, "support_chat", raw)


def p_nginx_access() -> None:
    lines = []
    for _ in range(R.randint(5, 8)):
        kind = R.random()
        if kind < 0.25:
            src = priv_ip()
            ua = "kube-probe/1.29"
            req = "GET /healthz HTTP/1.1"
        else:
            src = IP(ipv6() if kind > 0.8 else ipv4())
            ua = R.choice(UAS)
            req = R.choice(
                [
                    "GET / HTTP/2.0",
                    "GET /static/app.3f9a1c.js HTTP/2.0",
                    "POST /api/v2/cart HTTP/1.1",
                    "GET /wp-login.php HTTP/1.1",
                    "GET /products/bk-2041?color=red HTTP/2.0",
                ]
            )
        xff = f' "{IP(ipv4())}, {priv_ip()}"' if R.random() < 0.3 else ' "-"'
        lines.append(
            f'{src} - - [{ts_nginx()}] "{req}" {R.choice([200, 200, 301, 404, 499])} {R.randint(0, 48213)} "-" "{ua}"{xff}'
        )
    add("en", "nginx_access_log", "\n".join(lines) + "\n", ok=UA_OK)


def p_nginx_error() -> None:
    t = f"2024/05/{R.randint(10, 28)} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}"
    raw = (
        f'{t} [error] 2817#2817: *48211 open() "/var/www/html/wp-login.php" failed (2: No such file or directory), client: {IP(ipv4())}, server: shop.orbitfreight.co, request: "GET /wp-login.php HTTP/1.1", host: "shop.orbitfreight.co"\n'
        f'{t} [error] 2817#2817: *48230 upstream timed out (110: Connection timed out) while reading response header from upstream, client: {IP(ipv6())}, server: _, request: "POST /api/v2/orders HTTP/2.0", upstream: "http://{priv_ip()}:8080/api/v2/orders", host: "api.orbitfreight.co"\n'
        f"{t} [warn] 2817#2817: *48244 a client request body is buffered to a temporary file /var/cache/nginx/client_temp/0000000412, client: {IP(ipv4())}, server: api.orbitfreight.co\n"
        f"{t} [notice] 1#1: signal 1 (SIGHUP) received from 4117, reconfiguring\n"
    )
    add("en", "nginx_error_log", raw)


def p_syslog_auth() -> None:
    host = R.choice(["web-02", "bastion", "db-eu-1", "vps4821"])
    lines = [
        f"{ts_syslog()} {host} sshd[21877]: Failed password for invalid user admin from {IP(ipv4())} port {R.randint(30000, 65000)} ssh2",
        f"{ts_syslog()} {host} sshd[21879]: Invalid user oracle from {IP(ipv4())} port {R.randint(30000, 65000)}",
        f"{ts_syslog()} {host} sshd[21902]: Accepted publickey for deploy from {IP(ipv6())} port {R.randint(30000, 65000)} ssh2: ED25519 SHA256:{rs(43, ALNUM + '+/')}",
        f"{ts_syslog()} {host} sshd[21902]: pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)",
        f"{ts_syslog()} {host} sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx",
        f"{ts_syslog()} {host} sshd[21911]: Received disconnect from {IP(ipv4())} port {R.randint(30000, 65000)}:11: Bye Bye [preauth]",
        f"<34>1 {ts_iso()} {host} sshd 21930 - - Failed password for root from {IP(ipv4())} port {R.randint(30000, 65000)} ssh2",
        f"{ts_syslog()} {host} sshd[21944]: Connection closed by {priv_ip()} port 50122 [preauth]",
    ]
    R.shuffle(lines)
    add("en", "syslog_auth", "\n".join(lines[: R.randint(5, 8)]) + "\n")


def p_json_logs() -> None:
    lines = []
    for _ in range(R.randint(3, 5)):
        p = person(R.choice(["en", "de", "fr", "es"]))
        kind = R.random()
        if kind < 0.4:
            lines.append(
                f'{{"ts":"{ts_iso()}","level":"info","msg":"login succeeded","user":"{EM(email_of(p))}","client_ip":"{IP(ipv4())}","trace_id":"{hexs(32)}","latency_ms":{R.randint(3, 900)}}}'
            )
        elif kind < 0.6:
            lines.append(
                f'{{"ts":"{ts_iso()}","level":"warn","msg":"rate limited","remote_addr":"{IP(ipv6())}","path":"/api/v1/search","limit":120,"window_s":60}}'
            )
        elif kind < 0.8:
            lines.append(
                f'{{"ts":"{ts_iso()}","level":"info","msg":"request","method":"GET","status":200,"x_forwarded_for":"{IP(ipv4())}, {priv_ip()}","duration":0.0{R.randint(10, 99)},"request_id":"{uuid4()}"}}'
            )
        else:
            lines.append(
                f'{{"ts":"{ts_iso()}","level":"debug","msg":"password reset requested","email":"{EM(email_of(p))}","ip":"{priv_ip()}","span_id":"{hexs(16)}"}}'
            )
    add("en", "json_log", "\n".join(lines) + "\n")


def p_haproxy() -> None:
    lines = []
    for _ in range(R.randint(3, 5)):
        src = IP(ipv4())
        lines.append(
            f'{ts_syslog()} lb-01 haproxy[1123]: {src}:{R.randint(1024, 65535)} [06/May/2024:14:03:{R.randint(10, 59)}.{R.randint(100, 999)}] https-in~ be_app/app-0{R.randint(1, 4)} 0/0/1/{R.randint(5, 90)}/{R.randint(6, 99)} 200 {R.randint(200, 9000)} - - ---- 412/398/12/4/0 0/0 "GET /api/health HTTP/1.1"'
        )
    add("en", "haproxy_log", "\n".join(lines) + "\n")


def p_postfix() -> None:
    a, b = person("de"), person("en")
    qid = rs(10, "0123456789ABCDEF")
    raw = (
        f"{ts_syslog()} mx1 postfix/smtpd[3312]: connect from mail-ed1-f54.google.com[{IP(ipv4())}]\n"
        f"{ts_syslog()} mx1 postfix/smtpd[3312]: {qid}: client=mail-ed1-f54.google.com[{IP(ipv4())}]\n"
        f"{ts_syslog()} mx1 postfix/cleanup[3318]: {qid}: message-id=<CAH{rs(20)}@mail.gmail.com>\n"
        f"{ts_syslog()} mx1 postfix/qmgr[1021]: {qid}: from=<{EM(email_of(b, 'gmail.com'))}>, size=18214, nrcpt=1 (queue active)\n"
        f"{ts_syslog()} mx1 postfix/smtp[3320]: {qid}: to=<{EM(email_of(a))}>, relay=mx00.t-online.de[{IP(ipv4())}]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK 1714986843)\n"
        f"{ts_syslog()} mx1 postfix/smtpd[3330]: NOQUEUE: reject: RCPT from unknown[{IP(ipv4())}]: 554 5.7.1 <{EM(email_of(person('en')))}>: Relay access denied; from=<{EM(email_of(person('pl')))}> to=<{EM(email_of(person('en')))}> proto=ESMTP helo=<WIN-7K2Q9>\n"
    )
    add("en", "postfix_maillog", raw, ok=("@mail.gmail.com",))


def p_iis() -> None:
    lines = [
        "#Software: Microsoft Internet Information Services 10.0",
        "#Version: 1.0",
        "#Date: 2024-05-06 00:00:12",
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken",
    ]
    for _ in range(R.randint(3, 5)):
        user = EM(email_of(person("en"))) if R.random() < 0.4 else "-"
        lines.append(
            f"2024-05-06 {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d} {priv_ip()} {R.choice(['GET', 'POST'])} /owa/auth/logon.aspx - 443 {user} {IP(ipv4())} Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) 200 0 0 {R.randint(15, 900)}"
        )
    add("en", "iis_log", "\n".join(lines) + "\n")


def p_ufw() -> None:
    lines = []
    for _ in range(R.randint(2, 4)):
        if R.random() < 0.3:
            src, dst = IP(ipv6()), IP(ipv6())
        else:
            src, dst = IP(ipv4()), priv_ip()
        lines.append(
            f"{ts_syslog()} fw kernel: [{R.randint(100000, 9999999)}.{R.randint(100000, 999999)}] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:fe:ff:ff:ff:ff:ff:08:00 SRC={src} DST={dst} LEN=44 TOS=0x00 PREC=0x00 TTL={R.randint(30, 250)} ID={R.randint(1, 65535)} PROTO=TCP SPT={R.randint(1024, 65535)} DPT={R.choice([22, 23, 3389, 5900, 8080])} WINDOW=1024 RES=0x00 SYN URGP=0"
        )
    add("en", "ufw_firewall_log", "\n".join(lines) + "\n")


def p_cloudtrail() -> None:
    raw = (
        "{\n"
        '  "eventVersion": "1.09",\n'
        '  "userIdentity": {\n'
        '    "type": "IAMUser",\n'
        f'    "principalId": "AIDA{rs(17, B32)}",\n'
        '    "arn": "arn:aws:iam::412398765432:user/ci-deploy",\n'
        '    "accountId": "412398765432",\n'
        f'    "accessKeyId": "{SE(aws_key_id(R.choice(["AKIA", "ASIA"])))}",\n'
        '    "userName": "ci-deploy"\n'
        "  },\n"
        f'  "eventTime": "{ts_iso()[:19]}Z",\n'
        '  "eventSource": "s3.amazonaws.com",\n'
        '  "eventName": "PutObject",\n'
        '  "awsRegion": "eu-central-1",\n'
        f'  "sourceIPAddress": "{IP(ipv4())}",\n'
        '  "userAgent": "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/s3.cp",\n'
        f'  "requestID": "{rs(16, "0123456789ABCDEF")}",\n'
        f'  "eventID": "{uuid4()}"\n'
        "}\n"
    )
    add("en", "cloudtrail_json", raw)


def p_email_headers(lang: str) -> None:
    a, b = person(lang), person(lang)
    subj = {"en": "Re: contract draft v3", "de": "AW: Vertragsentwurf v3", "fr": "RE: projet de contrat v3"}[lang]
    raw = (
        f"Return-Path: <{EM(email_of(a))}>\n"
        f"Received: from mail.{R.choice(DOMAINS[lang][:4])} (mail.{R.choice(DOMAINS[lang][:4])} [{IP(ipv4())}])\n"
        f"\tby mx.{DOMAINS[lang][1]} (Postfix) with ESMTPS id 4VZ2kq1Qm9z9sWn\n"
        f"\tfor <{EM(email_of(b))}>; Mon, 6 May 2024 09:14:02 +0200 (CEST)\n"
        f"X-Originating-IP: [{IP(ipv4())}]\n"
        f'From: "{a.full}" <{EM(email_of(a))}>\n'
        f"To: {b.full} <{EM(email_of(b))}>\n"
        f"Subject: {subj}\n"
        f"Date: Mon, 6 May 2024 09:13:58 +0200\n"
        f"Message-ID: <{rs(24)}@{DOMAINS[lang][2]}>\n"
        f"MIME-Version: 1.0\n"
        f"X-Mailer: Microsoft Outlook 16.0\n"
    )
    add(lang, "email_headers", raw, ok=(f"@{DOMAINS[lang][2]}",))


def p_wp_comment(lang: str) -> None:
    p = person(lang)
    host = f"{R.choice(['dslb', 'p5b', 'cpc', 'host'])}-{R.randint(10, 99)}-{R.randint(100, 250)}.{R.choice(['pools.example-isp.net', 'dynamic.kabel-de.net', 'fbx.proxad.net'])}"
    head = {
        "en": (
            'A new comment on the post "10 tips for winter cycling" is waiting for your approval',
            "Author",
            "IP address",
            "Email",
            "Comment",
            "Approve it",
        ),
        "fr": (
            "Un nouveau commentaire sur l'article « 10 conseils pour rouler l'hiver » attend votre approbation",
            "Auteur",
            "adresse IP",
            "E-mail",
            "Commentaire",
            "Approuver",
        ),
        "de": (
            "Ein neuer Kommentar zum Beitrag „10 Tipps fürs Radfahren im Winter“ wartet auf deine Freigabe",
            "Autor",
            "IP-Adresse",
            "E-Mail",
            "Kommentar",
            "Genehmigen",
        ),
    }[lang]
    ip = ipv6() if R.random() < 0.3 else ipv4()
    raw = (
        f"{head[0]}\nhttps://blog.tallpine.co.uk/2024/01/winter-cycling/\n\n"
        f"{head[1]}: {p.full} ({head[2]}: {IP(ip)}, {host})\n{head[3]}: {EM(email_of(p))}\nURL:\n"
        f"{head[4]}:\nThanks, tip 7 saved my commute. 2 °C and rain today, 14 km each way.\n\n"
        f"{head[5]}: https://blog.tallpine.co.uk/wp-admin/comment.php?action=approve&c=4821#wpbody-content\n"
    )
    add(lang, "wordpress_comment_notification", raw)


def p_whois() -> None:
    p = person("en")
    raw = (
        f"Domain Name: {fold(p.last).upper()}DESIGN.COM\n"
        f"Registry Domain ID: {R.randint(2_000_000_000, 2_900_000_000)}_DOMAIN_COM-VRSN\n"
        f"Registrar WHOIS Server: whois.namecheap.com\n"
        f"Updated Date: 2024-03-01T09:14:02Z\n"
        f"Creation Date: 2019-07-22T17:40:11Z\n"
        f"Registrant Name: {p.full}\n"
        f"Registrant Street: 118 Alder St\n"
        f"Registrant City: Portland\n"
        f"Registrant State/Province: OR\n"
        f"Registrant Postal Code: 97205\n"
        f"Registrant Country: US\n"
        f"Registrant Phone: {PH(phone('en', styles=('whois',)))}\n"
        f"Registrant Phone Ext:\n"
        f"Registrant Email: {EM(email_of(p))}\n"
        f"Name Server: ns1.{fold(p.last)}design.com ({IP(ipv4())})\n"
        f"DNSSEC: unsigned\n"
    )
    add("en", "whois_record", raw)


def p_traceroute() -> None:
    target = ipv4()
    hops = [
        " 1  _gateway (192.168.1.1)  0.412 ms  0.388 ms  0.371 ms",
        f" 2  100.64.{R.randint(0, 63)}.1 (100.64.{R.randint(0, 63)}.1)  8.104 ms  8.311 ms  8.290 ms",
    ]
    for i in range(3, R.randint(6, 8)):
        if R.random() < 0.2:
            hops.append(f" {i}  * * *")
        else:
            a = ipv4()
            hops.append(
                f" {i}  ae-{R.randint(1, 30)}.r{R.randint(10, 30)}.frnkge13.de.bb.gin.ntt.net ({IP(a)})  {R.uniform(9, 40):.3f} ms  {R.uniform(9, 40):.3f} ms  {R.uniform(9, 40):.3f} ms"
            )
    hops.append(
        f" {len(hops) + 1}  shop.orbitfreight.co ({IP(target)})  {R.uniform(20, 60):.3f} ms  {R.uniform(20, 60):.3f} ms  {R.uniform(20, 60):.3f} ms"
    )
    raw = (
        f"$ traceroute shop.orbitfreight.co\ntraceroute to shop.orbitfreight.co ({IP(target)}), 30 hops max, 60 byte packets\n"
        + "\n".join(hops)
        + "\n"
    )
    add("en", "traceroute_output", raw)


def p_ip_addr() -> None:
    raw = (
        "$ ip addr show eth0\n"
        "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n"
        "    link/ether 96:00:02:1a:2b:3c brd ff:ff:ff:ff:ff:ff\n"
        f"    inet {IP(ipv4())}/32 metric 100 scope global dynamic eth0\n"
        "       valid_lft 85917sec preferred_lft 85917sec\n"
        f"    inet6 {IP(ipv6('compressed'))}/64 scope global\n"
        "       valid_lft forever preferred_lft forever\n"
        "    inet6 fe80::9400:2ff:fe1a:2b3c/64 scope link\n"
        "       valid_lft forever preferred_lft forever\n"
    )
    add("en", "ip_addr_output", raw)


def p_game_server(lang: str) -> None:
    a, b = person(lang), person(lang)
    texts = {
        "en": f"Join our Minecraft server! IP: {IP(ipv4())}:25565 — version 1.20.4, whitelist off, 40 slots. Questions → ping the mods {HD(handle_of(a))} or {HD(handle_of(b))} on Discord.",
        "pl": f"Serwer CS2 znowu działa! connect {IP(ipv4())}:27015, tickrate 128, mapy: Mirage, Inferno, Nuke. Admini: {HD(handle_of(a))}, {HD(handle_of(b))}.",
        "pt": f"Servidor de SA-MP aberto! IP: {IP(ipv4())}:7777 — 100 slots, RP leve. Dúvidas com {HD(handle_of(a))} no Discord.",
        "de": f"Unser Valheim-Server läuft wieder: {IP(ipv4())}:2456, Passwort gibt's per DM bei {HD(handle_of(a))}.",
    }
    add(lang, "game_server_post", texts[lang])


def p_dockerfile() -> None:
    p = person("en")
    raw = (
        "FROM node:20.12-alpine3.19 AS build\n"
        f'LABEL maintainer="{p.full} <{EM(email_of(p))}>" org.opencontainers.image.version="2.4.1"\n'
        "WORKDIR /app\n"
        "ENV NODE_ENV=production \\\n"
        "    PORT=8080 \\\n"
        f"    NPM_TOKEN={SE('npm_' + rs(36))}\n"
        "COPY package*.json .npmrc ./\n"
        "RUN npm ci --omit=dev && npm cache clean --force\n"
        f"ARG SENTRY_AUTH_TOKEN={SE(hexs(64))}\n"
        f"ENV STRIPE_SECRET_KEY {SE(stripe_key())}\n"
        "COPY . .\n"
        "RUN npm run build\n"
        "EXPOSE 8080\n"
        "HEALTHCHECK --interval=30s CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1\n"
        'CMD ["node", "dist/server.js"]\n'
    )
    add("en", "dockerfile", raw)


def p_k8s_secret() -> None:
    raw = (
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        "  name: payments-api\n"
        "  namespace: prod\n"
        "type: Opaque\n"
        "stringData:\n"
        f"  DATABASE_URL: postgres://payments@{priv_ip()}:5432/payments\n"
        f"  DATABASE_PASSWORD: {SE(password())}\n"
        f"  STRIPE_API_KEY: {SE(stripe_key())}\n"
        f'  JWT_SIGNING_SECRET: "{SE(b64(48))}"\n'
        "data:\n"
        f"  api-token: {SE(b64(32))}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  name: payments-api\n"
        "spec:\n"
        "  type: LoadBalancer\n"
        f"  clusterIP: 10.96.{R.randint(0, 255)}.{R.randint(1, 254)}\n"
        f"  loadBalancerIP: {IP(ipv4())}\n"
        "  externalIPs:\n"
        f"    - {IP(ipv4())}\n"
        "  ports:\n"
        "    - port: 443\n"
        "      targetPort: 8443\n"
    )
    add("en", "kubernetes_yaml", raw)


def p_k8s_tls() -> None:
    block = pem("RSA PRIVATE KEY", lines=8, indent="    ")
    raw = (
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        "  name: shop-tls\n"
        "type: kubernetes.io/tls\n"
        "stringData:\n"
        "  tls.crt: |\n"
        "    -----BEGIN CERTIFICATE-----\n"
        f"    MIIDdzCCAl+gAwIBAgIU{rs(44, ALNUM + '+/')}\n"
        f"    {rs(64, ALNUM + '+/')}\n"
        "    -----END CERTIFICATE-----\n"
        "  tls.key: |\n"
        f"    {SE(block)}\n"
    )
    add("en", "kubernetes_yaml", raw)


def p_terraform() -> None:
    p = person("en")
    raw = (
        'provider "aws" {\n'
        '  region     = "eu-central-1"\n'
        f'  access_key = "{SE(aws_key_id())}"\n'
        f'  secret_key = "{SE(aws_secret())}"\n'
        "}\n\n"
        'variable "db_password" {\n'
        "  type      = string\n"
        f'  default   = "{SE(password())}"\n'
        "  sensitive = true\n"
        "}\n\n"
        'resource "aws_vpc" "main" {\n'
        '  cidr_block = "10.0.0.0/16"\n'
        "}\n\n"
        'resource "aws_instance" "bastion" {\n'
        '  ami           = "ami-0c55b159cbfafe1f0"\n'
        '  instance_type = "t3.micro"\n'
        '  private_ip    = "10.0.1.10"\n'
        f'  tags = {{ Owner = "{EM(email_of(p))}", CostCenter = "4821" }}\n'
        "}\n\n"
        'resource "cloudflare_record" "shop" {\n'
        "  zone_id = var.zone_id\n"
        '  name    = "shop"\n'
        f'  value   = "{IP(ipv4())}"\n'
        '  type    = "A"\n'
        "  ttl     = 300\n"
        "}\n"
    )
    add("en", "terraform", raw)


def p_tfvars() -> None:
    raw = (
        "# terraform.tfvars — prod\n"
        f'cloudflare_api_token = "{SE(rs(40, ALNUM + "_-"))}"\n'
        f'hcloud_token         = "{SE(rs(64))}"\n'
        f'admin_email          = "{EM(email_of(person("de")))}"\n'
        f'allowed_ssh_ip       = "{IP(ipv4())}"\n'
        'location             = "fsn1"\n'
        'server_type          = "cx31"\n'
        "node_count           = 3\n"
    )
    add("en", "terraform", raw)


def p_shell_history() -> None:
    n = R.randint(480, 900)
    cmds = [
        "cd ~/src/payments-api",
        "git pull --rebase",
        f"export GITHUB_TOKEN={SE(github_token())}",
        "gh pr list --state open",
        f"curl -s -H \"Authorization: Bearer {SE(jwt())}\" 'https://api.orbitfreight.co/v2/shipments?limit=50' | jq '.items[0]'",
        f"ssh deploy@{IP(ipv4())}",
        f"dig @{IP('1.1.1.1')} orbitfreight.co +short",
        "docker compose -f docker-compose.prod.yml up -d --build",
        f"doctl auth init -t {SE('dop_v1_' + hexs(64))}",
        f"aws configure set aws_secret_access_key {SE(aws_secret())}",
        "kubectl -n prod rollout status deploy/payments-api",
        f"ping -c 3 {IP(ipv4())}",
        "history | grep token",
    ]
    start = R.randint(0, 3)
    chosen = cmds[start : start + R.randint(8, 10)]
    raw = "".join(f"  {n + i}  {c}\n" for i, c in enumerate(chosen))
    add("en", "shell_history", raw)


def p_jupyter(variant: int) -> None:
    p = person("en")
    if variant == 0:
        setup = [
            "import openai\\n",
            f'openai.api_key = \\"{SE(openai_key())}\\"\\n',
            "df = pd.read_csv('orders_2024.csv')\\n",
        ]
    elif variant == 1:
        setup = [
            "from huggingface_hub import login\\n",
            f'login(token=\\"{SE("hf_" + rs(34, string.ascii_letters))}\\")\\n',
            "ds = load_dataset('imdb', split='train[:2%]')\\n",
        ]
    else:
        setup = [
            "import google.generativeai as genai\\n",
            f'genai.configure(api_key=\\"{SE(google_key())}\\")\\n',
            "model = genai.GenerativeModel('gemini-1.5-flash')\\n",
        ]
    src = ",\n".join(f'    "{s}"' for s in setup)
    raw = (
        "{\n"
        ' "cells": [\n'
        "  {\n"
        '   "cell_type": "code",\n'
        '   "execution_count": 3,\n'
        f'   "id": "{hexs(8)}",\n'
        '   "metadata": {},\n'
        '   "outputs": [\n'
        "    {\n"
        '     "name": "stdout",\n'
        '     "output_type": "stream",\n'
        '     "text": [\n'
        f'      "Loaded 48213 rows (3.2 s); dataset owner: {EM(email_of(p))}\\n"\n'
        "     ]\n"
        "    }\n"
        "   ],\n"
        '   "source": [\n'
        f"{src}\n"
        "   ]\n"
        "  }\n"
        " ],\n"
        ' "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}, "language_info": {"name": "python", "version": "3.11.7"}},\n'
        ' "nbformat": 4,\n'
        ' "nbformat_minor": 5\n'
        "}\n"
    )
    add("en", "jupyter_notebook", raw)


def p_gcp_sa() -> None:
    project = f"orbit-analytics-{R.randint(1000, 9999)}"
    key = pem("PRIVATE KEY", lines=R.randint(8, 12), newline="\\n")
    raw = (
        "{\n"
        '  "type": "service_account",\n'
        f'  "project_id": "{project}",\n'
        f'  "private_key": "{SE(key)}\\n",\n'
        f'  "client_email": "{EM(f"etl-runner@{project}.iam.gserviceaccount.com")}",\n'
        f'  "client_id": "{_num(21)}",\n'
        '  "auth_uri": "https://accounts.google.com/o/oauth2/auth",\n'
        '  "token_uri": "https://oauth2.googleapis.com/token",\n'
        '  "universe_domain": "googleapis.com"\n'
        "}\n"
    )
    add("en", "gcp_service_account_json", raw)


def p_sql_dump(variant: str) -> None:
    if variant == "customers":
        rows = []
        for i in range(R.randint(3, 5)):
            lang = R.choice(["en", "de", "fr", "es"])
            p = person(lang)
            rows.append(
                f"({4817 + i},'{p.full}','{EM(email_of(p))}','{PH(phone(lang, styles=('e164', 'intl')))}','{IP(ipv4())}','2024-04-{R.randint(10, 30)} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}')"
            )
        raw = (
            "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n"
            f"-- Host: {priv_ip()}    Database: shop\n"
            "-- Server version\t8.0.36-0ubuntu0.22.04.1\n\n"
            "DROP TABLE IF EXISTS `customers`;\n"
            "CREATE TABLE `customers` (\n"
            "  `id` int unsigned NOT NULL AUTO_INCREMENT,\n"
            "  `name` varchar(120) NOT NULL,\n"
            "  `email` varchar(190) NOT NULL,\n"
            "  `phone` varchar(32) DEFAULT NULL,\n"
            "  `last_login_ip` varchar(45) DEFAULT NULL,\n"
            "  `created_at` datetime NOT NULL,\n"
            "  PRIMARY KEY (`id`)\n"
            ") ENGINE=InnoDB AUTO_INCREMENT=4822 DEFAULT CHARSET=utf8mb4;\n\n"
            "LOCK TABLES `customers` WRITE;\n"
            f"INSERT INTO `customers` VALUES {','.join(rows)};\n"
            "UNLOCK TABLES;\n"
        )
        add("en", "sql_dump", raw)
    elif variant == "payments":
        rows = "\n".join(
            f"INSERT INTO payments (id, order_id, card_number, exp, amount_cents) VALUES ({9000 + i}, {R.randint(90000, 99999)}, '{CC(card(sep=''))}', '{R.randint(1, 12):02d}/{R.randint(25, 30)}', {R.randint(500, 99999)});"
            for i in range(R.randint(3, 4))
        )
        add("en", "sql_dump", f"-- legacy checkout (pre-tokenisation), exported 2024-05-06\nBEGIN;\n{rows}\nCOMMIT;\n")
    elif variant == "employees":
        rows = "\n".join(
            f"{i}\t{person('en').full}\t{SS(ssn())}\t{EM(email_of(person('en'), 'northwindlabs.com'))}\t20{R.randint(10, 23)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}"
            for i in range(1, R.randint(4, 6))
        )
        raw = (
            "--\n-- PostgreSQL database dump\n--\n\n"
            "-- Dumped from database version 15.6\n-- Dumped by pg_dump version 16.2\n\n"
            "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\n"
            "COPY public.employees (id, full_name, ssn, email, hired) FROM stdin;\n"
            f"{rows}\n\\.\n\n"
            "SELECT pg_catalog.setval('public.employees_id_seq', 48, true);\n"
        )
        add("en", "sql_dump", raw)
    else:  # suppliers, German
        rows = ",\n".join(
            f"  ({i}, '{R.choice(['Brandt Elektro GmbH', 'Vogel Logistik KG', 'Seidel & Söhne', 'Engel Bau AG'])}', '{IB(iban(R.choice(['DE', 'AT', 'NL', 'BE']), grouped=False))}', '{PH(phone('de', styles=('nat', 'intl')))}')"
            for i in range(1, R.randint(3, 5))
        )
        add(
            "de",
            "sql_dump",
            f"-- Lieferantenstamm, Export vom 06.05.2024\nINSERT INTO lieferanten (id, firma, iban, telefon) VALUES\n{rows};\n",
        )


def p_readme_thanks() -> None:
    a, b = person("en"), person(R.choice(["de", "fr", "pl"]))
    raw = (
        "# tinyqueue-rs\n\n"
        "[![crates.io](https://img.shields.io/crates/v/tinyqueue.svg)](https://crates.io/crates/tinyqueue) "
        "[![CI](https://github.com/orbit/tinyqueue/actions/workflows/ci.yml/badge.svg)](https://github.com/orbit/tinyqueue/actions) "
        "[![MSRV](https://img.shields.io/badge/MSRV-1.70-blue)](#msrv)\n\n"
        "A bounded MPMC queue in 600 lines of safe Rust.\n\n"
        "| Version | Released | Notes |\n|---|---|---|\n"
        f"| 0.9.2 | 2024-04-18 | fix overflow in `push_many` (#212, thanks {HD(handle_of(a))}) |\n"
        "| 0.9.1 | 2024-03-02 | MSRV bumped to 1.70 |\n"
        f"| 0.9.0 | 2024-01-11 | new `drain_filter` API by {HD(handle_of(b))} |\n\n"
        "## Security\n\n"
        f"Report vulnerabilities to {EM(email_of(a))} (PGP `4A1F 9C2B 77D0 3E51 A8B2  6C4D 90E1 F2A3 B4C5 D6E7`).\n"
    )
    add("en", "readme_markdown", raw)


def p_git_patch() -> None:
    a, b = person(R.choice(["en", "de", "fr"])), person(R.choice(["en", "pl", "nl"]))
    raw = (
        f"From {hexs(40)} Mon Sep 17 00:00:00 2001\n"
        f"From: {a.full} <{EM(email_of(a))}>\n"
        "Date: Tue, 7 May 2024 10:41:18 +0200\n"
        "Subject: [PATCH v2 3/7] net: foo: fix refcount leak in foo_probe()\n\n"
        "foo_probe() takes a reference on the PHY node but never drops it on the\n"
        "error path after devm_request_irq() fails.\n\n"
        f'Fixes: {hexs(12)} ("net: foo: add driver")\n'
        f"Reported-by: {b.full} <{EM(email_of(b))}>\n"
        f"Signed-off-by: {a.full} <{EM(email_of(a))}>\n"
        "---\n"
        " drivers/net/ethernet/foo/foo_main.c | 4 +++-\n"
        " 1 file changed, 3 insertions(+), 1 deletion(-)\n"
    )
    add("en", "git_patch_email", raw)


QUOTE_HEADERS = {
    "en": "On Tue, May 7, 2024 at 10:41 AM {n} <{e}> wrote:",
    "de": "Am 07.05.2024 um 10:41 schrieb {n} <{e}>:",
    "fr": "Le mar. 7 mai 2024 à 10:41, {n} <{e}> a écrit :",
    "es": "El mar, 7 may 2024 a las 10:41, {n} (<{e}>) escribió:",
    "pt": "Em ter., 7 de mai. de 2024 às 10:41, {n} <{e}> escreveu:",
    "it": "Il giorno mar 7 mag 2024 alle ore 10:41 {n} <{e}> ha scritto:",
    "nl": "Op di 7 mei 2024 om 10:41 schreef {n} <{e}>:",
    "pl": "W dniu 7.05.2024 o 10:41, {n} <{e}> pisze:",
}
REPLY_BODY = {
    "en": ("Sounds good, I'll push v2 tonight.", "> Can you rebase on main before Friday? CI on 3.12 is red."),
    "de": (
        "Passt, ich schicke die überarbeitete Fassung bis Freitag.",
        "> Kannst du die Zahlen für Q1 noch einmal prüfen? Summe 48.213,50 € stimmt nicht.",
    ),
    "fr": (
        "Parfait, je renvoie la version corrigée demain.",
        "> Peux-tu vérifier le tableau 3 ? Le total (12 480 €) ne colle pas.",
    ),
    "es": (
        "Perfecto, mañana envío la versión corregida.",
        "> ¿Puedes revisar la tabla 3? El total de 12.480 € no cuadra.",
    ),
    "pt": (
        "Combinado, envio a versão revisada amanhã.",
        "> Pode revisar a planilha? O total de R$ 12.480,00 não bate.",
    ),
    "it": (
        "Perfetto, domani mando la versione corretta.",
        "> Puoi controllare la tabella 3? Il totale di 12.480 € non torna.",
    ),
    "nl": (
        "Prima, ik stuur morgen de aangepaste versie.",
        "> Kun je tabel 3 nog checken? Het totaal van € 12.480 klopt niet.",
    ),
    "pl": ("Jasne, jutro wyślę poprawioną wersję.", "> Możesz sprawdzić tabelę 3? Suma 12 480 zł się nie zgadza."),
}


def p_mailing_list(lang: str) -> None:
    a, b = person(lang), person(lang)
    body, quoted = REPLY_BODY[lang]
    header = QUOTE_HEADERS[lang].format(n=b.full, e=EM(email_of(b)))
    raw = f"{body}\n\n{a.first}\n\n{header}\n{quoted}\n>\n> {b.first}\n"
    if R.random() < 0.5:
        raw = f"{a.full} <{EM(email_of(a))}>\n\n" + raw
    add(lang, "mailing_list_reply", raw)


def p_fax_order() -> None:
    p = person("en")
    raw = (
        "MAIL / FAX ORDER FORM — Harborline Outfitters\n\n"
        f"Ship to: {p.full}, 4410 N Mississippi Ave, Portland, OR 97217\n"
        f"Phone: {PH(phone('en'))}    Email: {EM(email_of(p))}\n\n"
        "Item                         SKU          Qty   Price\n"
        "Insulated bottle 40 oz       SQ-40-RSQ    2     $34.50\n"
        "Merino socks (L)             MS-1187-B    3     $18.00\n"
        "Subtotal $123.00   Shipping $9.95   Tax $0.00   TOTAL $132.95\n\n"
        "Payment: [x] Visa  [ ] MasterCard  [ ] Amex  [ ] Discover\n"
        f"Card number: {CC(card(R.choice(['visa', 'discover', 'amex'])))}\n"
        f"Exp: {R.randint(1, 12):02d}/{R.randint(25, 29)}   CVV: {R.randint(100, 999)}\n"
        "Signature: ______________________\n"
    )
    add("en", "order_form", raw)


def p_card_i18n(lang: str) -> None:
    brand = {
        "zh": "unionpay",
        "ja": "jcb",
        "fr": "visa",
        "de": "mastercard",
        "it": "visa",
        "es": "visa",
        "pt": "mastercard",
        "nl": "maestro",
        "pl": "visa",
        "ko": "visa",
        "ar": "mastercard",
        "en": "diners",
    }[lang]
    cc = CC(card(brand))
    exp = f"{R.randint(1, 12):02d}/{R.randint(25, 29)}"
    texts = {
        "ja": f"ご予約ありがとうございます。お支払いカード：{cc}（有効期限 {exp}）。ご不明点は{PH(phone('ja'))}までお問い合わせください。",
        "zh": f"订单已提交。支付方式：银联卡 {cc}，金额 ¥1,280.00。客服电话：{PH(phone('zh'))}。",
        "ko": f"결제 정보: 카드번호 {cc} / 유효기간 {exp} / 결제금액 ₩45,000. 문의: {PH(phone('ko', 'KR'))}",
        "ar": f"تم استلام طلبك رقم 48213. رقم البطاقة: {cc} تاريخ الانتهاء {exp}. للاستفسار: {PH(phone('ar', 'AE'))}",
        "de": f"Zahlungsdaten für die Buchung 2024-0517: Kreditkarte {cc}, gültig bis {exp}, Prüfnummer {R.randint(100, 999)}. Bitte nicht weiterleiten.",
        "fr": f"Pour garantir votre réservation, nous avons bien noté la carte {cc} (exp. {exp}). Aucun débit avant l'arrivée.",
        "es": f"Datos de pago de la reserva 48213: tarjeta {cc}, caducidad {exp}. Importe: 342,50 €.",
        "it": f"Per confermare la prenotazione ci ha comunicato la carta {cc} con scadenza {exp}. Totale 412,00 €.",
        "pt": f"Dados de pagamento: cartão {cc}, validade {exp}, 3x de R$ 214,30 sem juros.",
        "nl": f"Betaalgegevens reservering 48213: kaart {cc}, geldig tot {exp}. Totaal € 318,40.",
        "pl": f"Dane płatności do rezerwacji nr 48213: karta {cc}, ważna do {exp}. Kwota: 1 240,00 zł.",
        "en": f"Corporate travel profile updated. Diners Club card on file: {cc}, expires {exp}. Travel desk: {EM(role_email('travel', 'en'))}",
    }
    add(lang, "payment_details", texts[lang])


def p_bank_statement(lang: str) -> None:
    country = {"de": "DE", "fr": "FR", "nl": "NL", "es": "ES", "it": "IT"}[lang]
    own = IB(iban(country))
    a, b = person(lang), person(lang)
    t1, t2 = IB(iban(country)), IB(iban(R.choice([country, "DE", "FR", "BE", "LU", "AT"])))
    texts = {
        "de": f"Kontoauszug Nr. 5/2024 — Girokonto {own}\n\nDatum      Buchungstext                                              Betrag\n02.05.2024 SEPA-Überweisung an {a.full} IBAN {t1} BIC {bic()} Miete Mai   -850,00\n03.05.2024 Kartenzahlung REWE Markt 0412 // Karte ****4821               -63,17\n06.05.2024 Gutschrift {b.full} IBAN {t2} Rückzahlung                    +120,00\n\nAlter Saldo: 3.225,05 EUR    Neuer Saldo: 2.431,88 EUR\n",
        "fr": f"Relevé de compte n° 5 — du 01/05/2024 au 31/05/2024\nIBAN : {own}\n\n02/05 VIR SEPA {a.full.upper()} / IBAN {t1} / REF 2024050212345    -450,00\n04/05 CB CARREFOUR 03/05 CARTE X4821                           -82,14\n07/05 VIR RECU {b.full.upper()} {t2}                           +200,00\n\nSolde créditeur au 31/05/2024 : 1 912,37 €\n",
        "nl": f"Rekeningafschrift mei 2024 — {own}\n\n02-05-2024  Overboeking naar {a.full}, {t1}, omschrijving: huur mei      -925,00\n03-05-2024  Betaalautomaat Albert Heijn 1412, pas 021                -47,80\n06-05-2024  Ontvangen van {b.full}, {t2}, terugbetaling               +60,00\n\nNieuw saldo: € 1.204,33\n",
        "es": f"Extracto de cuenta — mayo 2024\nCuenta: {own}\n\n02/05/2024  TRANSFERENCIA A FAVOR DE {a.full.upper()} {t1}   -300,00\n03/05/2024  COMPRA TARJ. 5412XXXXXXXX4821 MERCADONA               -54,20\n06/05/2024  TRANSFERENCIA DE {b.full.upper()} {t2}                +75,00\n\nSaldo final: 2.118,64 €\n",
        "it": f"Estratto conto — maggio 2024\nIBAN {own}\n\n02/05/2024  BONIFICO A FAVORE DI {a.full.upper()} IBAN {t1} AFFITTO   -500,00\n03/05/2024  PAGAMENTO POS ESSELUNGA CARTA *4821                     -38,90\n06/05/2024  BONIFICO DA {b.full.upper()} IBAN {t2}                   +150,00\n\nSaldo contabile: 1.842,10 €\n",
    }
    add(lang, "bank_statement", texts[lang])


def p_invoice(lang: str) -> None:
    country = {
        "pt": "PT",
        "pl": "PL",
        "es": "ES",
        "it": "IT",
        "fr": "FR",
        "de": "AT",
        "nl": "BE",
        "en": "IE",
        "ar": "SA",
    }[lang]
    ib = IB(iban(country))
    em = EM(role_email(None, lang if lang != "ar" else "ar"))
    texts = {
        "pt": f"FATURA FT 2024/318\nData: 06/05/2024\nNIF 501234567 — Ribeiro Arquitetos, Lda.\n\nProjeto de licenciamento (fase 2)  1  2.400,00 €\nIVA 23%                                 552,00 €\nTotal                                 2.952,00 €\n\nPagamento por transferência: IBAN {ib}\nTel. {PH(phone('pt', 'PT'))} · {em}\n",
        "pl": f"FAKTURA VAT nr FV/05/2024/118\nData wystawienia: 06.05.2024\nSprzedawca: Zieliński Serwis sp. z o.o., NIP 525-000-12-34\n\nUsługa serwisowa klimatyzacji  2 szt.  450,00 zł  VAT 23%\nRazem do zapłaty: 1 107,00 zł\n\nNr rachunku: {ib}\nTermin płatności: 14 dni\nKontakt: tel. {PH(phone('pl'))}, {em}\n",
        "es": f"FACTURA Nº 2024-0412\nFecha: 06/05/2024\nNavarro Abogados, S.L.P. — CIF B12345674\n\nHonorarios profesionales (abril)      1.200,00 €\nIVA 21 %                                252,00 €\nIRPF -15 %                             -180,00 €\nTOTAL                                 1.272,00 €\n\nForma de pago: transferencia a {ib}\nTel. {PH(phone('es'))} · {em}\n",
        "it": f"FATTURA N. 118/2024 del 06/05/2024\nStudio Ferraro — P.IVA 01234567890\n\nConsulenza tecnica (12 ore)         960,00 €\nCassa previdenza 4%                  38,40 €\nIVA 22%                             219,65 €\nTotale documento                  1.218,05 €\n\nPagamento: bonifico bancario, IBAN {ib}\nTel. {PH(phone('it'))} — {em}\n",
        "fr": f"FACTURE N° F-2024-0412\nDate : 06/05/2024\nAtelier Garnier SARL — RCS Lyon 812 345 678\n\nRéfection toiture (forfait)       3 200,00 €\nTVA 10 %                            320,00 €\nTotal TTC                         3 520,00 €\n\nRèglement par virement : {ib}\nTél. {PH(phone('fr'))} — {em}\n",
        "de": f"RECHNUNG Nr. 2024-0412\nDatum: 06.05.2024\nHartmann IT e.U., UID ATU12345678\n\nWartungspauschale Mai          480,00 €\nUSt. 20 %                       96,00 €\nGesamt                         576,00 €\n\nZahlbar binnen 14 Tagen auf {ib}\nTel. {PH(phone('de', 'AT'))} · {em}\n",
        "nl": f"FACTUUR 2024-0412\nDatum: 06-05-2024\nDe Vries Installatie BV — BTW BE0123.456.789\n\nOnderhoud cv-ketel              145,00\nBTW 21%                          30,45\nTotaal                    EUR   175,45\n\nGelieve te betalen op {ib} met vermelding van het factuurnummer.\nTel. {PH(phone('nl', 'BE'))} — {em}\n",
        "en": f"INVOICE INV-2024-0412\nDate: 6 May 2024\nLakeside Vet Ltd, VAT IE1234567T\n\nAnnual check-up (2 dogs)          €120.00\nVaccinations                       €84.00\nVAT 13.5%                          €27.54\nTotal                             €231.54\n\nPlease pay by bank transfer to {ib} (BIC AIBKIE2D).\nPhone {PH(phone('en', 'IE'))} · {em}\n",
        "ar": f"فاتورة رقم 2024/0412\nالتاريخ: 06/05/2024\nشركة النور للتجارة — الرقم الضريبي 300123456700003\n\nالمبلغ الإجمالي: 11,500.00 ريال\nضريبة القيمة المضافة 15%: 1,725.00 ريال\n\nيرجى التحويل إلى الآيبان: {ib}\nللتواصل: {PH(phone('ar', 'SA'))} — {em}\n",
    }
    add(lang, "invoice", texts[lang])


def p_hr_record() -> None:
    p = person("en")
    raw = (
        "EMPLOYEE ONBOARDING — CONFIDENTIAL\n\n"
        f"Name: {p.full}\nEmployee ID: E-0{R.randint(10000, 99999)}\nSSN: {SS(ssn())}\nDOB: 19{R.randint(60, 99)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}\n"
        f"Phone: {PH(phone('en'))}\nPersonal email: {EM(email_of(p, R.choice(['gmail.com', 'yahoo.com', 'outlook.com'])))}\n"
        f"Direct deposit: routing 121000358, account ending 4417\nStart date: 06/03/2024\nW-4 filing status: Single, 0 dependents\n"
        f"Emergency contact: {person('en').full} ({PH(phone('en'))})\n"
    )
    add("en", "hr_record", raw)


def p_tax_form() -> None:
    p = person("en")
    raw = (
        "Form W-2 Wage and Tax Statement 2023 — Copy B, to be filed with employee's federal tax return\n\n"
        f"a  Employee's social security number   {SS(ssn())}\n"
        f"b  Employer identification number (EIN)   {R.randint(10, 98)}-{_num(7)}\n"
        "c  Employer's name, address, and ZIP code   Northwind Labs Inc, 500 Pine St, Seattle WA 98101\n"
        f"e  Employee's first name and initial / Last name   {p.first} / {p.last}\n"
        f"1  Wages, tips, other compensation   {R.randint(40, 150)},{R.randint(100, 999)}.{R.randint(10, 99)}\n"
        f"2  Federal income tax withheld   {R.randint(4, 20)},{R.randint(100, 999)}.{R.randint(10, 99)}\n"
        f"3  Social security wages   {R.randint(40, 150)},{R.randint(100, 999)}.{R.randint(10, 99)}\n"
        "12a  D  6,500.00\n"
        "15  State WA   Employer's state ID number 604-123-456\n"
    )
    add("en", "tax_form", raw)


def p_mortgage(lang: str) -> None:
    a, b = person(lang), person(lang)
    if lang == "en":
        raw = (
            "Uniform Residential Loan Application — Section 1a. Personal Information\n\n"
            f"Name: {a.full}\nSocial Security Number: {SS(ssn())}\nDate of Birth: 07/19/1985\nCitizenship: U.S. Citizen\n"
            f"Co-borrower: {b.full} — SSN {SS(ssn())}\n"
            f"Home Phone: {PH(phone('en'))}   Cell Phone: {PH(phone('en'))}\n"
            f"Email: {EM(email_of(a))}\n"
            "Current address: 2231 Oak Hollow Ln, Austin, TX 78745 — 4 years 2 months — Rent $1,850/month\n"
            "Loan amount: $412,000  Term: 360 months  Rate: 6.875%\n"
        )
    else:
        raw = (
            "Solicitud de préstamo hipotecario — Información personal\n\n"
            f"Nombre: {a.full}\nNúmero de Seguro Social: {SS(ssn())}\nFecha de nacimiento: 19/07/1985\n"
            f"Teléfono: {PH(phone('es', 'US'))}\nCorreo electrónico: {EM(email_of(a))}\n"
            "Dirección actual: 2231 Oak Hollow Ln, Austin, TX 78745 — alquiler de $1,850 al mes\n"
            "Monto del préstamo: $312,000 a 30 años, tasa 6.875%\n"
        )
    add(lang, "loan_application", raw)


def p_identity_forum() -> None:
    a = person("en")
    raw = (
        "Re: Someone opened accounts in my name — what now?\n\n"
        f"{fold(a.first)}_{R.randint(70, 99)} wrote:\n"
        f"Got a letter from a bank I've never used. They had my SSN ({SS(ssn())}), my old address and my cell {PH(phone('en'))}. "
        "Already froze all three bureaus and filed at identitytheft.gov, report #148213921.\n\n"
        f"{HD(handle_of(person('en')))} please edit your post and remove the number!! Also file a police report, some creditors want it.\n"
    )
    add("en", "forum_thread", raw)


SOCIAL = {
    "en": [
        "RT {h}: The new bike lane on 5th Ave is finally open 🚲 #urbanism",
        "{h} {h2} lol same. 2.5 hrs on the 405 this morning",
        "congrats {h}!! 🎉 well deserved",
        "Great thread by {h} on the 2024 budget, read it 👇",
    ],
    "es": [
        "{h} ¡Qué golazo! 🔥 #LaLiga",
        "Gracias {h} por la recomendación, el libro está genial.",
        "RT {h}: Mañana a las 19:00 presentamos el informe en Sevilla.",
    ],
    "pt": [
        "{h} kkkkk verdade",
        "Alguém sabe se o show do dia 12 foi adiado? cc {h} {h2}",
        "Parabéns {h} pelo 1º lugar na maratona! 🏃‍♀️",
    ],
    "fr": [
        "Merci {h} pour ce fil, très clair 👏",
        "{h} tu viens samedi à la manif ?",
        "Excellente analyse de {h} sur les chiffres de l'Insee.",
    ],
    "de": [
        "{h} Danke für den Tipp mit dem Deutschlandticket!",
        "Glückwunsch {h} zum Marathon, 3:12:45 ist stark!",
        "{h} {h2} kommt ihr Freitag zum Stammtisch?",
    ],
    "it": [
        "{h} che spettacolo ieri sera! 🎶",
        "Grazie {h} per la segnalazione, correggo subito.",
        "Complimenti {h}, 42 km in 3h28 non sono pochi!",
    ],
    "nl": ["{h} haha precies, de trein had weer 20 minuten vertraging", "Mooie foto's {h}! Waar is dat genomen?"],
    "pl": ["{h} dzięki za polecenie, książka super!", "Gratulacje {h}! 🎉", "{h} {h2} widzimy się w sobotę?"],
    "ja": ["{h} さん、昨日はありがとうございました！", "{h}さんの写真、最高です📷", "RT {h}: 明日19時から配信します"],
    "zh": ["转发微博 //{h}: 太好看了，强烈推荐", "感谢{h}的分享！", "{h} 明天一起去吗？"],
    "ko": ["{h} 님 오늘 발표 정말 좋았어요!", "RT {h}: 내일 오후 3시에 공개합니다"],
    "ar": ["شكرا {h} على المشاركة الرائعة", "{h} مبروك على النجاح 🎉"],
}


def p_social(lang: str) -> None:
    posts = R.sample(SOCIAL[lang], k=min(len(SOCIAL[lang]), R.randint(2, 3)))
    out = []
    for post in posts:
        name_lang = lang if lang in FIRST else "en"
        out.append(post.format(h=HD(handle_of(person(name_lang))), h2=HD(handle_of(person(name_lang)))))
    add(lang, "social_media_posts", "\n\n".join(out) + "\n")


def p_github_issue() -> None:
    a, b = person("en"), person(R.choice(["de", "fr", "pl", "nl"]))
    server = ipv4()
    raw = (
        "### Bug report\n\n"
        f"{HD(handle_of(a))} could you take a look? Since v3.2.0 the agent fails to connect to our self-hosted server.\n\n"
        "**Config** (`agent.yaml`):\n```yaml\n"
        f"server: {IP(server)}\nport: 8443\n"
        f"token: {SE(gitlab_token() if R.random() < 0.5 else rs(40, HEX))}\n"
        "tls_verify: true\nlog_level: debug\n```\n\n"
        "**Logs**\n```\n"
        f"{ts_iso()} ERROR dial tcp {IP(server)}:8443: i/o timeout\n"
        f"{ts_iso()} INFO  retrying in 30s (attempt 4/10)\n```\n\n"
        f"Works fine with 3.1.9. OS: Ubuntu 22.04.4, kernel 6.5.0-28. cc {HD(handle_of(b))}\n"
    )
    add("en", "github_issue", raw)


def p_stackoverflow(variant: int) -> None:
    if variant == 0:
        raw = (
            "Stripe webhook returns 401 Invalid API Key\n\n"
            "I'm initialising the client like this:\n\n"
            "    import stripe\n"
            f'    stripe.api_key = "{SE(stripe_key())}"\n'
            "    event = stripe.Webhook.construct_event(payload, sig_header, endpoint_secret)\n\n"
            "and every call fails with `Invalid API Key provided`. stripe==8.11.0, Python 3.11.8, running on Heroku. "
            "What am I missing?\n"
        )
    elif variant == 1:
        raw = (
            "Google Maps not loading on mobile Safari\n\n"
            "The map works on desktop but shows a grey box on iOS 17.4. Script tag:\n\n"
            f'    <script src="https://maps.googleapis.com/maps/api/js?key={SE(google_key())}&callback=initMap&v=weekly" async defer></script>\n\n'
            "Console says nothing. Map container is 100% × 400px. Any idea?\n"
        )
    else:
        raw = (
            "SendGrid: 403 Forbidden when sending from Node 20\n\n"
            "```js\nconst sgMail = require('@sendgrid/mail');\n"
            f"sgMail.setApiKey('{SE('SG.' + rs(22, ALNUM + '-_') + '.' + rs(43, ALNUM + '-_'))}');\n"
            "await sgMail.send({ to, from: 'noreply@example.com', subject: 'Test', text: 'hello' });\n```\n\n"
            "Returns 403 with `The from address does not match a verified Sender Identity`. @sendgrid/mail 8.1.3.\n"
        )
    add("en", "qa_site_question", raw)


def p_slack_export() -> None:
    a, b, c = person("en"), person("en"), person("de")
    raw = (
        f"{fold(a.first)}.{fold(a.last)[:1]}  10:41 AM\n"
        f"{HD(handle_of(b))} the staging bot token is {SE(slack_token('xoxb'))} — please don't paste it anywhere else\n\n"
        f"{fold(b.first)}  10:43 AM\n"
        f"thx! {HD(handle_of(c))} can you rotate it after the demo? also @here demo moved to 3pm\n"
    )
    add("en", "chat_export", raw)


def p_leak_chat() -> None:
    a = person("en")
    lines = [
        f"[09:12] <{fold(a.first)}> try with this one: {SE(github_token('ghp_'))} (repo scope, expires friday)",
        f"[09:13] <ops-bot> new access key created for user ci-deploy: {SE(aws_key_id())}",
        f"[09:15] <{fold(a.first)}> and the gitlab one for the mirror job is {SE(gitlab_token())}",
        f"[09:16] <{fold(person('en').first)}> npm publish token: {SE('npm_' + rs(36))}",
        f"[09:18] <{fold(a.first)}> claude key for the eval runner: {SE('sk-ant-api03-' + rs(93, ALNUM + '-_') + 'AA')}",
        f"[09:20] <{fold(person('en').first)}> shopify admin token {SE('shpat_' + hexs(32))} — revoke after import",
        f"[09:22] <{fold(a.first)}> pypi upload token: {SE('pypi-AgEIcHlwaS5vcmc' + rs(60, ALNUM + '-_'))}",
    ]
    R.shuffle(lines)
    add("en", "irc_log", "\n".join(lines[: R.randint(3, 5)]) + "\n")


def p_telegram_bot() -> None:
    token = f"{R.randint(1_000_000_000, 7_999_999_999)}:AA{rs(33, ALNUM + '-_')}"
    if R.random() < 0.5:
        raw = f"import telebot\n\nbot = telebot.TeleBot(\"{SE(token)}\")\n\n@bot.message_handler(commands=['start'])\ndef start(message):\n    bot.reply_to(message, 'Hi!')\n\nbot.infinity_polling()\n"
    else:
        raw = f'# config.py\nTELEGRAM_BOT_TOKEN = "{SE(token)}"\nADMIN_CHAT_ID = -100{_num(10)}\nPOLL_INTERVAL = 2.5\n'
    add("en", "python_code", raw)


def p_dotfiles() -> None:
    raw = (
        "$ cat ~/.aws/credentials\n[default]\n"
        f"aws_access_key_id = {SE(aws_key_id())}\naws_secret_access_key = {SE(aws_secret())}\n\n"
        "[ci]\n"
        f"aws_access_key_id = {SE(aws_key_id())}\naws_secret_access_key = {SE(aws_secret())}\nregion = eu-west-1\n"
        "$ cat ~/.npmrc\n"
        f"//registry.npmjs.org/:_authToken={SE('npm_' + rs(36))}\n"
        "$ cat ~/.netrc\n"
        f"machine api.heroku.com\n  login {EM(email_of(person('en')))}\n  password {SE(uuid4())}\n"
    )
    add("en", "dotfiles", raw)


def p_ci_config() -> None:
    raw = (
        "name: deploy\n"
        "on:\n  push:\n    branches: [main]\n"
        "env:\n  REGISTRY: ghcr.io\n"
        f"  SLACK_BOT_TOKEN: {SE(slack_token('xoxb'))}  # TODO move to secrets\n"
        "jobs:\n  deploy:\n    runs-on: ubuntu-22.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n"
        "          username: ${{ github.actor }}\n          password: ${{ secrets.GITHUB_TOKEN }}\n"
        "      - run: ./scripts/deploy.sh\n        env:\n"
        f"          DEPLOY_KEY_PASSPHRASE: {SE(password())}\n"
        "          TIMEOUT_S: 600\n"
    )
    add("en", "github_actions_yaml", raw)


def p_gitlab_ci() -> None:
    raw = (
        "variables:\n"
        "  DOCKER_DRIVER: overlay2\n"
        '  DOCKER_TLS_CERTDIR: "/certs"\n'
        "  REGISTRY_USER: ci-bot\n"
        f'  REGISTRY_PASSWORD: "{SE(password())}"\n'
        f"  SONAR_TOKEN: {SE('squ_' + hexs(40))}\n\n"
        "build:\n  stage: build\n  image: docker:24.0.7\n  services:\n    - docker:24.0.7-dind\n"
        '  script:\n    - docker login -u "$REGISTRY_USER" -p "$REGISTRY_PASSWORD" registry.gitlab.com\n'
        "    - docker build -t registry.gitlab.com/orbit/api:$CI_COMMIT_SHORT_SHA .\n"
    )
    add("en", "gitlab_ci_yaml", raw)


def p_spring_props() -> None:
    raw = (
        "# application-prod.properties\n"
        "server.port=8443\n"
        f"spring.datasource.url=jdbc:postgresql://{priv_ip()}:5432/orders\n"
        "spring.datasource.username=orders_app\n"
        f"spring.datasource.password={SE(password())}\n"
        "spring.mail.host=smtp.harborline.io\n"
        f"spring.mail.username={EM(email_of(person('en'), 'harborline.io'))}\n"
        f"spring.mail.password={SE(password())}\n"
        f"jwt.secret={SE(b64(48))}\n"
        "jwt.expiration-ms=3600000\n"
        "management.endpoints.web.exposure.include=health,info\n"
    )
    add("en", "java_properties", raw)


def p_laravel_env() -> None:
    raw = (
        "APP_NAME=Ordering\nAPP_ENV=production\n"
        f"APP_KEY={SE('base64:' + b64(32))}\n"
        "APP_DEBUG=false\nAPP_URL=https://orders.quillpress.com\n\n"
        "DB_CONNECTION=mysql\nDB_HOST=127.0.0.1\nDB_PORT=3306\nDB_DATABASE=orders\nDB_USERNAME=forge\n"
        f"DB_PASSWORD={SE(password())}\n\n"
        "MAIL_MAILER=smtp\nMAIL_HOST=smtp.mailgun.org\nMAIL_PORT=587\n"
        f"MAIL_USERNAME={EM('postmaster@mg.quillpress.com')}\n"
        f"MAIL_PASSWORD={SE(hexs(32) + '-' + hexs(8) + '-' + hexs(8))}\n"
        f'MAIL_FROM_ADDRESS="{EM("hello@quillpress.com")}"\n\n'
        "PUSHER_APP_ID=1784213\n"
        f"PUSHER_APP_SECRET={SE(hexs(20))}\n"
    )
    add("en", "dotenv", raw)


def p_php_array() -> None:
    raw = (
        "<?php\n\nreturn [\n"
        "    'default' => 'mysql',\n"
        "    'connections' => [\n"
        "        'mysql' => [\n"
        f"            'host' => '{priv_ip()}',\n"
        "            'port' => 3306,\n"
        "            'username' => 'shop',\n"
        f"            'password' => '{SE(password())}',\n"
        "        ],\n    ],\n"
        f"    'stripe' => ['secret' => '{SE(stripe_key())}', 'webhook_secret' => '{SE('whsec_' + rs(32))}'],\n"
        "];\n"
    )
    add("en", "php_code", raw)


def p_ansible() -> None:
    raw = (
        "# group_vars/prod/vars.yml\n"
        "ansible_user: deploy\n"
        f"ansible_host: {IP(ipv4())}\n"
        f"ansible_become_password: {SE(password())}\n"
        f'postgres_replication_password: "{SE(password())}"\n'
        "postgres_version: 16\n"
        "ntp_servers:\n  - 0.de.pool.ntp.org\n  - 10.0.0.2\n"
    )
    add("en", "ansible_yaml", raw)


def p_gradle() -> None:
    raw = (
        "android {\n    namespace 'co.orbitfreight.driver'\n    compileSdk 34\n\n"
        "    signingConfigs {\n        release {\n"
        "            storeFile file('release.jks')\n"
        f"            storePassword '{SE(password())}'\n"
        "            keyAlias 'upload'\n"
        f"            keyPassword '{SE(password())}'\n"
        "        }\n    }\n\n"
        "    defaultConfig {\n        applicationId 'co.orbitfreight.driver'\n        minSdk 24\n        targetSdk 34\n        versionCode 4021\n        versionName '4.2.1'\n    }\n}\n"
    )
    add("en", "gradle_build", raw)


def p_python_requests() -> None:
    raw = (
        "import requests\n\n"
        'API = "https://api.harborline.io/v1"\n'
        "HEADERS = {\n"
        f'    "Authorization": "Bearer {SE(jwt("RS256"))}",\n'
        f'    "X-Api-Key": "{SE(hexs(32))}",\n'
        '    "Accept": "application/json",\n'
        "}\n\n"
        'resp = requests.get(f"{API}/accounts/48213", headers=HEADERS, timeout=10)\n'
        "resp.raise_for_status()\n"
    )
    add("en", "python_code", raw)


def p_http_dump() -> None:
    p = person("en")
    body = f'{{"email":"{EM(email_of(p))}","items":[{{"sku":"BK-2041-RD","qty":2}}],"coupon":"SPRING24"}}'
    raw = (
        "POST /api/v2/orders HTTP/1.1\n"
        "Host: shop.orbitfreight.co\n"
        f"User-Agent: {UAS[1]}\n"
        f"Cookie: _ga=GA1.2.{R.randint(100000000, 999999999)}.{R.randint(1_700_000_000, 1_715_000_000)}; session={SE(jwt())}\n"
        f"X-Forwarded-For: {IP(ipv4())}\n"
        f"X-Request-ID: {uuid4()}\n"
        "Content-Type: application/json\n"
        f"Content-Length: {len(build(body)[0])}\n\n"
        f"{body}\n"
    )
    add("en", "http_request_dump", raw)


def p_key_paste(lang: str) -> None:
    if lang == "en":
        raw = f"ssh says 'invalid format' for my key\n\nHere's the file, what's wrong with it?\n\n{SE(pem('OPENSSH PRIVATE KEY', lines=7))}\n\nEDIT: key rotated, thanks {HD(handle_of(person('en')))}\n"
    elif lang == "de":
        raw = f'nginx lädt das Zertifikat nicht\n\nIch habe den Schlüssel so in die Datei kopiert:\n\n{SE(pem("RSA PRIVATE KEY", lines=10))}\n\nFehlermeldung: SSL_CTX_use_PrivateKey_file("/etc/nginx/ssl/shop.key") failed (SSL: error:1E08010C:DECODER routines::unsupported)\n'
    elif lang == "fr":
        raw = f"Clé PGP corrompue ?\n\nBonjour, gpg --import refuse ma clé exportée :\n\n{SE(pgp_private())}\n\nMerci d'avance !\n"
    elif lang == "es":
        raw = f"Error al conectar con certificado EC\n\nEste es el contenido de client.key:\n\n{SE(pem('EC PRIVATE KEY'))}\n\n¿Tiene que estar en formato PKCS#8?\n"
    else:  # pt
        raw = f"Chave criptografada não abre no Node 20\n\n{SE(pem('ENCRYPTED PRIVATE KEY', lines=9))}\n\nErro: error:1C800064:Provider routines::bad decrypt\n"
    add(lang, "forum_thread", raw)


def p_cjk_contact(lang: str) -> None:
    p = person(lang)
    em = EM(email_of(p) if R.random() < 0.5 else role_email("info", lang))
    texts = {
        "ja": f"会社概要\n社名：山都商事株式会社\n所在地：〒150-0002 東京都渋谷区渋谷2-21-1\n電話：{PH(phone('ja', styles=('nat',)))}\nFAX：{PH(phone('ja', styles=('nat',)))}\nメール：{em}\n設立：2008年4月\n資本金：3,000万円\n従業員数：48名\n",
        "zh": f"联系我们\n公司：华信科技有限公司\n地址：北京市海淀区中关村大街27号\n电话：{PH(phone('zh', styles=('nat',)))}\n手机：{PH(phone('zh'))}\n邮箱：{em}\n邮编：100080\n营业时间：周一至周五 9:00-18:00\n",
        "ko": f"고객센터\n전화: {PH(phone('ko', 'KR'))}\n이메일: {em}\n사업자등록번호: 123-45-67890\n주소: 서울특별시 강남구 테헤란로 152 (12층)\n운영시간: 평일 09:00~18:00\n",
        "ar": f"اتصل بنا\nالهاتف: {PH(phone('ar', R.choice(['AE', 'SA', 'EG'])))}\nالبريد الإلكتروني: {em}\nص.ب: 12345 دبي، الإمارات العربية المتحدة\nساعات العمل: الأحد - الخميس 8:00 - 17:00\n",
    }
    add(lang, "contact_page", texts[lang])


def p_science(lang: str) -> None:
    a = person(lang)
    ph = PH(phone(lang, styles=("intl",)))
    em = EM(email_of(a))
    texts = {
        "en": f"Effects of time-restricted eating on HbA1c in adults with type 2 diabetes: a randomized controlled trial\n\n{a.full}1,*, Avery Quan2\n1 Department of Endocrinology, Crestview University Hospital\n*Correspondence: {em}; Tel.: {ph}\n\nAbstract: We randomized 412 participants (mean age 57.3 ± 8.9 years; 46.1% women). After 24 weeks HbA1c decreased by 0.62% (95% CI 0.41–0.83; p < 0.001) versus control. Trial registration: NCT04567890.\n",
        "de": f"Einfluss der Bodenfeuchte auf den Weizenertrag in Sachsen 2015–2023\n\n{a.full}*, Institut für Agrarwissenschaften\n*Korrespondenz: {em}, Tel. {ph}\n\nZusammenfassung: Auf 1.284 Parzellen sank der Ertrag bei < 18 Vol.-% Bodenfeuchte um 11,4 % (KI 95 %: 8,9–13,8 %).\n",
        "fr": f"Suivi de la qualité de l'air à Lyon (2018-2023)\n\n{a.full}*\n*Auteur correspondant : {em} ; tél. : {ph}\n\nRésumé : Sur 2 190 jours de mesure, la concentration moyenne de NO2 a baissé de 21,3 % (IC 95 % : 17,8–24,6).\n",
        "es": f"Prevalencia de hipertensión en atención primaria\n\n{a.full}*\n*Autor para correspondencia: {em}; tel.: {ph}\n\nResumen: Se incluyeron 3.418 pacientes (edad media 61,2 ± 12,4 años). La prevalencia fue del 38,7 % (IC 95 %: 37,1–40,3).\n",
        "it": f"Valutazione sismica degli edifici scolastici in Emilia\n\n{a.full}*\n*Autore corrispondente: {em}, tel. {ph}\n\nSintesi: Su 214 edifici analizzati, il 31,8 % presenta un indice di rischio superiore a 0,6.\n",
        "pt": f"Efeito do exercício aeróbico na pressão arterial de idosos\n\n{a.full}*\n*Autor correspondente: {em}; Tel.: {ph}\n\nResumo: Participaram 186 idosos (idade média 71,4 ± 5,2 anos). A PAS reduziu 8,3 mmHg (IC 95%: 5,1–11,5; p = 0,002).\n",
    }
    add(lang, "scientific_article", texts[lang])


def p_recipe_blog(lang: str) -> None:
    p = person(lang)
    h, em = HD(handle_of(p)), EM(email_of(p))
    texts = {
        "es": f"Tarta de queso al horno\n\nIngredientes (8 raciones):\n- 600 g de queso crema\n- 200 ml de nata (35 % MG)\n- 4 huevos L\n- 180 g de azúcar\n- 1 cucharada de harina\n\nHorno a 200 °C, 40–45 min.\n\n¿La has hecho? Etiquétame en Instagram {h} o escríbeme a {em} 💛\n",
        "it": f"Tiramisù classico\n\nPer 6 persone: 500 g di mascarpone, 4 uova, 100 g di zucchero, 300 g di savoiardi, 300 ml di caffè, cacao amaro q.b.\nRiposo in frigo: almeno 6 ore.\n\nSe lo provate, taggatemi {h}! Per collaborazioni: {em}\n",
        "fr": f"Quiche lorraine\n\nPour 6 personnes : 1 pâte brisée, 200 g de lardons, 3 œufs, 20 cl de crème, 20 cl de lait, muscade.\nCuisson : 35 min à 180 °C (th. 6).\n\nRetrouvez-moi sur Instagram {h} — partenariats : {em}\n",
        "pt": f"Bolo de cenoura com cobertura de chocolate\n\nIngredientes: 3 cenouras médias, 4 ovos, 240 ml de óleo, 2 xícaras de açúcar, 2½ xícaras de farinha, 1 colher (sopa) de fermento.\nForno a 180 °C por 40 min.\n\nFez a receita? Me marca no Insta {h}! Parcerias: {em}\n",
        "en": f"Weeknight chili\n\nServes 4: 1 lb ground beef, 1 can (15 oz) kidney beans, 1 can (28 oz) crushed tomatoes, 2 tbsp chili powder, 1 tsp cumin.\nSimmer 45 min.\n\nMade it? Tag me {h}! Brand work: {em}\n",
        "de": f"Zwetschgendatschi\n\nFür 1 Blech: 500 g Mehl, 250 ml Milch, 80 g Zucker, 1 Würfel Hefe (42 g), 2 kg Zwetschgen.\n45 Minuten bei 180 °C Umluft.\n\nNachgebacken? Markiert mich {h}! Kooperationen: {em}\n",
        "pl": f"Pierogi ruskie\n\nCiasto: 500 g mąki, 250 ml ciepłej wody, 2 łyżki oleju. Farsz: 1 kg ziemniaków, 400 g twarogu, 2 cebule.\nGotować 2–3 minuty od wypłynięcia.\n\nOznaczcie mnie na Instagramie {h}, współpraca: {em}\n",
        "nl": f"Appeltaart\n\nVoor 1 taart (24 cm): 300 g bloem, 200 g roomboter, 150 g basterdsuiker, 1,5 kg goudrenetten, 2 tl kaneel.\n60 minuten op 175 °C.\n\nGebakken? Tag me {h}! Samenwerken: {em}\n",
    }
    add(lang, "recipe_blog", texts[lang])


def p_product_seller(lang: str) -> None:
    ph, em = PH(phone(lang)), EM(role_email(None, lang))
    ean = ean13(R.choice(["40", "41", "42", "43", "590", "87"]))
    texts = {
        "de": f"Akku-Bohrschrauber 18 V, 55 Nm, inkl. 2 × 2,0 Ah Akku\nArt.-Nr. 06019H5202 · EAN {ean} · Gewicht 1,1 kg\nPreis: 129,99 € inkl. 19 % MwSt., zzgl. 4,95 € Versand\nLieferzeit: 1–3 Werktage\n\nVerkauft von Brandt Elektro GmbH · Fragen zum Artikel: {ph} · {em}\n",
        "en": f"Insulated Tumbler 40 oz — Rose Quartz\nSKU: SQ-40-RSQ · UPC {ean[1:]} · Capacity 1.18 L\n$44.99 (was $49.99) · Free shipping over $35\n4.7 out of 5 (12,418 ratings)\n\nSold by Harborline Outfitters — questions? call {ph} or email {em}\n",
        "pl": f"Ekspres ciśnieniowy 15 bar, 1,8 l\nKod produktu: EC-1518-SL · EAN {ean}\nCena: 899,00 zł (najniższa cena z 30 dni: 949,00 zł)\nGwarancja 24 miesiące\n\nSprzedawca: Zieliński Serwis · tel. {ph} · {em}\n",
        "nl": f"Elektrische fiets 28 inch, 7 versnellingen, accu 504 Wh\nArtikelnummer EB-28-504 · EAN {ean}\n€ 1.899,00 · Gratis bezorging\n\nVerkoper: Bakker Bouw & Fietsen · {ph} · {em}\n",
    }
    add(lang, "product_page", texts[lang], ok=(ean,))


def p_dpo(lang: str) -> None:
    a = person(lang)
    ph = PH(phone(lang))
    em = EM(role_email(None, lang) if R.random() < 0.5 else email_of(a))
    texts = {
        "de": f"Datenschutzbeauftragter\n\nBei Fragen zum Datenschutz erreichen Sie unseren Datenschutzbeauftragten:\n{a.full}\nTelefon: {ph}\nE-Mail: {em}\n\nStand: 05/2024\n",
        "fr": f"Délégué à la protection des données (DPO) : {a.full}, {em}, {ph}. Vous pouvez également introduire une réclamation auprès de la CNIL (3 place de Fontenoy, 75007 Paris).\n",
        "it": f"Responsabile della protezione dei dati (RPD/DPO): {a.full}, e-mail {em}, tel. {ph}. Ultimo aggiornamento: 06/05/2024.\n",
        "es": f"Delegado de Protección de Datos: {a.full}. Puede contactar en {em} o en el {ph}. Tiene derecho a reclamar ante la AEPD (www.aepd.es).\n",
        "nl": f"Functionaris voor gegevensbescherming: {a.full}, {em}, telefoon {ph}. U kunt ook een klacht indienen bij de Autoriteit Persoonsgegevens.\n",
        "pl": f"Inspektor Ochrony Danych: {a.full}, e-mail: {em}, tel. {ph}. Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa UODO.\n",
    }
    add(lang, "privacy_policy", texts[lang])


def p_crm_csv(lang: str) -> None:
    headers = {
        "nl": ("naam;e-mail;telefoon;plaats;klant_sinds", ";"),
        "pl": ("imie_nazwisko,email,telefon,miasto,data", ","),
        "en": ("first_name,last_name,email,phone,signup_ip,ltv_usd", ","),
    }
    head, sep = headers[lang]
    rows = [head]
    for _ in range(R.randint(3, 5)):
        p = person(lang)
        if lang == "en":
            rows.append(
                sep.join(
                    [
                        p.first,
                        p.last,
                        EM(email_of(p)),
                        PH(phone("en")),
                        IP(ipv4()),
                        f"{R.randint(10, 4000)}.{R.randint(10, 99)}",
                    ]
                )
            )
        else:
            rows.append(
                sep.join(
                    [
                        p.full,
                        EM(email_of(p)),
                        PH(phone(lang)),
                        R.choice(["Utrecht", "Zwolle", "Kraków", "Gdańsk"]),
                        f"20{R.randint(15, 24)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
                    ]
                )
            )
    add(lang, "csv_export", "\n".join(rows) + "\n")


def p_hotel_booking(lang: str) -> None:
    p = person(lang)
    cc = CC(card())
    texts = {
        "pt": f"Confirmação de reserva nº 48213921\nHóspede: {p.full}\nE-mail: {EM(email_of(p))}\nTelefone: {PH(phone('pt'))}\nCheck-in: 12/07/2024 (a partir das 14h) — Check-out: 15/07/2024\nQuarto Duplo Superior, 2 adultos\nGarantia: cartão {cc}\nTotal: R$ 1.842,60\n",
        "es": f"Confirmación de reserva n.º 48213921\nHuésped: {p.full}\nEmail: {EM(email_of(p))}\nTeléfono: {PH(phone('es'))}\nEntrada: 12/07/2024 — Salida: 15/07/2024\nHabitación doble superior, 2 adultos\nGarantía: tarjeta {cc}\nTotal: 486,00 €\n",
        "it": f"Conferma prenotazione n. 48213921\nOspite: {p.full}\nEmail: {EM(email_of(p))}\nTelefono: {PH(phone('it'))}\nArrivo: 12/07/2024 — Partenza: 15/07/2024\nCamera doppia superior, 2 adulti\nGaranzia: carta {cc}\nTotale: 486,00 €\n",
    }
    add(lang, "booking_confirmation", texts[lang])


def p_azure() -> None:
    raw = (
        "{\n"
        '  "Logging": { "LogLevel": { "Default": "Information" } },\n'
        '  "ConnectionStrings": {\n'
        f'    "Storage": "DefaultEndpointsProtocol=https;AccountName=orbitlogs;AccountKey={SE(b64(64))};EndpointSuffix=core.windows.net",\n'
        f'    "ServiceBus": "Endpoint=sb://orbit-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={SE(b64(32))}"\n'
        "  },\n"
        '  "AllowedHosts": "*"\n'
        "}\n"
    )
    add("en", "appsettings_json", raw)


def p_xml_config() -> None:
    raw = (
        '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>\n'
        '    <add key="Environment" value="Production" />\n'
        f'    <add key="StripeSecretKey" value="{SE(stripe_key())}" />\n'
        f'    <add key="SmtpPassword" value="{SE(password())}" />\n'
        f'    <add key="SupportEmail" value="{EM(role_email("support", "en"))}" />\n'
        '    <add key="MaxUploadMb" value="25" />\n'
        "  </appSettings>\n  <connectionStrings>\n"
        f'    <add name="Default" connectionString="Server={priv_ip()};Database=Orders;User Id=orders_app;Password={SE(password())};" providerName="System.Data.SqlClient" />\n'
        "  </connectionStrings>\n</configuration>\n"
    )
    add("en", "dotnet_config_xml", raw)


def p_env_file() -> None:
    raw = (
        "# .env.production\nNODE_ENV=production\nPORT=3000\n"
        f"DATABASE_URL=postgresql://app@{priv_ip()}:5432/app\n"
        "REDIS_URL=redis://127.0.0.1:6379/0\n"
        f"JWT_SECRET={SE(hexs(64))}\n"
        f"SENDGRID_API_KEY={SE('SG.' + rs(22, ALNUM + '-_') + '.' + rs(43, ALNUM + '-_'))}\n"
        f"OPENAI_API_KEY={SE(openai_key())}\n"
        "SENTRY_ENVIRONMENT=prod\n"
        f"ADMIN_EMAIL={EM(email_of(person('en')))}\n"
        "SESSION_COOKIE_NAME=sid\nRATE_LIMIT_PER_MIN=120\n"
    )
    add("en", "dotenv", raw)


def p_json_debug_log() -> None:
    p = person("en")
    raw = (
        f'{{"ts":"{ts_iso()}","level":"debug","logger":"checkout.gateway","msg":"request payload",'
        f'"payload":{{"customer":{{"name":"{p.full}","email":"{EM(email_of(p))}","ssn":"{SS(ssn())}"}},'
        f'"card":{{"number":"{CC(card(sep=""))}","exp_month":{R.randint(1, 12)},"exp_year":{R.randint(2025, 2030)}}},'
        f'"amount":{R.randint(100, 99999)},"currency":"usd"}},"client_ip":"{IP(ipv4())}"}}\n'
    )
    add("en", "json_log", raw)


# ---------------------------------------------------------------------------------------------------------------
# Hard negatives (texts without PII, full of look-alikes)
# ---------------------------------------------------------------------------------------------------------------


def quad_version(first: int | None = None) -> str:
    """A four-part version number whose parts are all <= 255 and that would parse as a global IPv4."""
    while True:
        v = f"{first or R.randint(1, 20)}.{R.randint(0, 30)}.{R.randint(0, 40)}.{R.randint(1, 250)}"
        if valid_ip(v):
            return v


def n_ip_version() -> None:
    v = [quad_version() for _ in range(4)]
    texts = [
        (
            "en",
            "scientific_text",
            f"Protein kinases (EC {v[0]}) and phosphatases (EC 3.1.3.48) were assayed in triplicate. Lactate dehydrogenase (EC 1.1.1.27) served as control; activity was 4.21 ± 0.37 U/mg.",
        ),
        (
            "de",
            "scientific_text",
            f"Die Aktivität der Katalase (EC 1.11.1.6) sank bei 37 °C um 12,4 %; die Serin/Threonin-Kinase (EC {v[0]}) blieb unverändert.",
        ),
        (
            "en",
            "snmp_config",
            f"# zabbix item keys\nsnmpwalk -v2c -c public {priv_ip()} 1.3.6.1.2.1.1\nsnmpget -v2c -c public {priv_ip()} 1.3.6.1.4.1.2021.10.1.3.1\n# ifHCInOctets\n1.3.6.1.2.1.31.1.1.1.6",
        ),
        (
            "pl",
            "release_notes",
            f"Informacje o wydaniu\n\nWersja {v[1]} (12.04.2024): poprawiono eksport do PDF, zaktualizowano tłumaczenia. Wymagana wersja systemu: Windows 10 22H2 lub nowsza.",
        ),
        (
            "nl",
            "release_notes",
            f"Releasenotes\n\nVersie {v[1]} — 12 april 2024\n- Exporteren naar PDF hersteld\n- Vertalingen bijgewerkt\nMinimaal vereist: macOS 12.7 of hoger.",
        ),
        (
            "it",
            "release_notes",
            f"Note di rilascio\n\nVersione {v[1]} del 12/04/2024: corretta l'esportazione in PDF, aggiornate le traduzioni. Requisiti: Android 10 o superiore.",
        ),
        (
            "pt",
            "release_notes",
            f"Notas da versão\n\nVersão {v[1]} (12/04/2024): correção na exportação para PDF e traduções atualizadas. Requer iOS 15.0 ou superior.",
        ),
        (
            "ko",
            "release_notes",
            f"업데이트 안내\n\n버전 {v[1]} (2024.04.12): PDF 내보내기 오류 수정, 번역 업데이트. 최소 요구 사항: Android 10 이상.",
        ),
        (
            "ar",
            "release_notes",
            f"ملاحظات الإصدار\n\nالإصدار {v[1]} بتاريخ 12/04/2024: إصلاح التصدير إلى PDF وتحديث الترجمات.",
        ),
        (
            "en",
            "support_forum",
            f"Audio crackling after update\n\nDriver version shown in Device Manager: {v[2]} (date 3/14/2024). Rolled back to the previous one and it's fine. Realtek HD Audio, Windows 11 23H2 build 22631.3447.",
        ),
        (
            "en",
            "dotnet_project",
            f'<ItemGroup>\n  <PackageReference Include="System.Data.SQLite" Version="1.0.118.0" />\n  <PackageReference Include="Serilog" Version="3.1.1" />\n</ItemGroup>\n<PropertyGroup>\n  <FileVersion>{v[3]}</FileVersion>\n</PropertyGroup>',
        ),
        (
            "de",
            "legal_text",
            f"Gemäß Abschnitt {R.randint(2, 9)}.{R.randint(1, 9)}.{R.randint(1, 9)}.{R.randint(1, 9)} der Ausschreibung sind Nachunternehmer bis zum 30.06.2024 zu benennen.",
        ),
        (
            "fr",
            "legal_text",
            f"Conformément à l'article {R.randint(2, 9)}.{R.randint(1, 9)}.{R.randint(1, 9)}.{R.randint(1, 9)} du cahier des charges, les pénalités s'élèvent à 1/1000 du montant par jour de retard.",
        ),
        (
            "es",
            "legal_text",
            f"Según el apartado {R.randint(2, 9)}.{R.randint(1, 9)}.{R.randint(1, 9)}.{R.randint(1, 9)} del pliego, la garantía definitiva será del 5 % del importe.",
        ),
        (
            "en",
            "router_backup",
            f"# config backup\nhostname=rt-office\nfirmware={v[2]}\nlan_ipaddr={priv_ip()}\nlan_netmask=255.255.255.0\nwan_proto=dhcp\nntp_server=pool.ntp.org",
        ),
        (
            "ja",
            "release_notes",
            f"アップデートのお知らせ\n\nバージョン {v[0]} を公開しました（2024年4月12日）。PDF出力の不具合を修正しました。",
        ),
        (
            "zh",
            "release_notes",
            f"更新说明\n\n已发布 {v[3]} 版本（2024-04-12），修复了导出 PDF 的问题。最低系统要求：Android 10。",
        ),
        (
            "en",
            "json_log",
            f'{{"ts":"{ts_iso()}","level":"info","client_ip":"{priv_ip()}","ua":"{UAS[0]}","app_version":"{v[1]}"}}',
        ),
    ]
    for lang, ctx, text in texts:
        oks = tuple(x for x in [*v, "1.0.118.0", "1.3.6.1", "124.0.0.0"] if x in text)
        oks += tuple(m for m in re.findall(r"\d+\.\d+\.\d+\.\d+", text) if valid_ip(m))
        add(lang, ctx, text, category="ip_like_version", ok=oks)


def n_private_ip() -> None:
    texts = [
        (
            "en",
            "kubernetes_yaml",
            f"apiVersion: v1\nkind: Service\nmetadata:\n  name: redis\nspec:\n  clusterIP: 10.96.{R.randint(0, 255)}.{R.randint(1, 254)}\n  ports:\n    - port: 6379\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: legacy-db\nsubsets:\n  - addresses:\n      - ip: {priv_ip()}\n    ports:\n      - port: 5432",
        ),
        (
            "en",
            "docker_compose",
            f'services:\n  web:\n    image: nginx:1.25.4\n    ports:\n      - "127.0.0.1:8080:80"\n    networks:\n      backend:\n        ipv4_address: 172.20.0.{R.randint(2, 250)}\nnetworks:\n  backend:\n    ipam:\n      config:\n        - subnet: 172.20.0.0/16\n          gateway: 172.20.0.1',
        ),
        (
            "en",
            "hosts_file",
            "127.0.0.1\tlocalhost\n127.0.1.1\tworkstation-12\n::1\tip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
            + f"{priv_ip()}\tnas.lan",
        ),
        (
            "en",
            "netplan_yaml",
            f"network:\n  version: 2\n  ethernets:\n    enp3s0:\n      addresses: [192.168.{R.randint(0, 9)}.{R.randint(10, 250)}/24]\n      routes:\n        - to: default\n          via: 192.168.1.1\n      nameservers:\n        addresses: [192.168.1.1, fd00::1]",
        ),
        (
            "en",
            "ip_addr_output",
            "2: wlp2s0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n    link/ether 3c:6a:a7:1b:22:9f brd ff:ff:ff:ff:ff:ff\n"
            + f"    inet 192.168.178.{R.randint(20, 200)}/24 brd 192.168.178.255 scope global dynamic wlp2s0\n    inet6 fd3a:9c1e:4b2d:0:3e6a:a7ff:fe1b:229f/64 scope global dynamic mngtmpaddr\n    inet6 fe80::3e6a:a7ff:fe1b:229f/64 scope link",
        ),
        (
            "en",
            "nginx_config",
            f"upstream app {{\n    server 127.0.0.1:8000 max_fails=3;\n    server {priv_ip()}:8000 backup;\n}}\nserver {{\n    listen 0.0.0.0:80;\n    listen [::]:80;\n    set_real_ip_from 10.0.0.0/8;\n    real_ip_header X-Forwarded-For;\n    allow 192.168.0.0/16;\n    deny all;\n}}",
        ),
        (
            "en",
            "ssh_config",
            f"Host bastion\n    HostName {priv_ip()}\n    User ops\n    Port 2222\n\nHost db-*\n    ProxyJump bastion\n    HostName 10.20.{R.randint(0, 9)}.{R.randint(2, 250)}",
        ),
        (
            "en",
            "tutorial",
            "In the examples below, the server is 192.0.2.10, the client 198.51.100.23 and the router 203.0.113.1 (RFC 5737 documentation ranges). For IPv6 we use 2001:db8::1 and 2001:db8:0:1::42.",
        ),
        (
            "de",
            "forum_thread",
            f"Re: NAS nicht erreichbar\n\nDie Fritzbox hat 192.168.178.1, das NAS bekommt per DHCP 192.168.178.{R.randint(20, 60)}. Im Gastnetz (192.168.179.0/24) ist es natürlich nicht sichtbar. Subnetzmaske 255.255.255.0, DNS 192.168.178.1.",
        ),
        (
            "fr",
            "forum_thread",
            f"Re: impossible d'accéder à l'imprimante\n\nL'imprimante a l'adresse 192.168.1.{R.randint(20, 60)}, la box 192.168.1.254. Vérifiez que le PC n'est pas en 169.254.x.x (APIPA), sinon le DHCP ne répond pas.",
        ),
        (
            "es",
            "forum_thread",
            "Re: CG-NAT en mi fibra\n\nSi en la WAN del router ves una dirección tipo 100.72.14.9 (rango 100.64.0.0/10) estás detrás de CG-NAT y no podrás abrir puertos. Pide IP fija a tu operador.",
        ),
        (
            "en",
            "mdns_capture",
            "12:01:44.118 IP 192.168.1.23.5353 > 224.0.0.251.5353: 0 PTR (QM)? _googlecast._tcp.local. (45)\n12:01:44.120 IP6 fe80::1c2b:3aff:fe44:5566.5353 > ff02::fb.5353: 0 PTR (QM)? _airplay._tcp.local.\n12:01:45.002 IP 192.168.1.40.1900 > 239.255.255.250.1900: UDP, length 174",
        ),
        (
            "en",
            "postgres_config",
            "# pg_hba.conf\n# TYPE  DATABASE  USER  ADDRESS          METHOD\nlocal   all       all                    peer\nhost    all       all   127.0.0.1/32     scram-sha-256\nhost    all       all   ::1/128          scram-sha-256\nhost    orders    app   10.0.0.0/8       scram-sha-256\nhost    replication rep 172.16.4.0/22    scram-sha-256",
        ),
        (
            "en",
            "terraform",
            'resource "aws_subnet" "private_a" {\n  vpc_id            = aws_vpc.main.id\n  cidr_block        = "10.0.1.0/24"\n  availability_zone = "eu-central-1a"\n}\n\nresource "aws_security_group_rule" "internal" {\n  cidr_blocks = ["10.0.0.0/16", "100.64.0.0/10"]\n  from_port   = 0\n  to_port     = 65535\n  protocol    = "tcp"\n}',
        ),
        (
            "en",
            "redis_config",
            "bind 127.0.0.1 ::1\nprotected-mode yes\nport 6379\ntcp-backlog 511\ntimeout 0\nreplicaof 10.0.3.17 6379\nmaxmemory 2gb\nmaxmemory-policy allkeys-lru",
        ),
        (
            "en",
            "dhcp_leases",
            "\n".join(
                f"{R.randint(1714000000, 1715000000)} {':'.join(hexs(2) for _ in range(6))} 192.168.8.{R.randint(100, 199)} {R.choice(['iphone-anna', 'tv-livingroom', 'raspberrypi', 'printer'])} 01:{':'.join(hexs(2) for _ in range(6))}"
                for _ in range(4)
            ),
        ),
        (
            "en",
            "wireguard_config",
            f"[Interface]\nAddress = 10.8.0.{R.randint(2, 250)}/24, fd42:42:42::{R.randint(2, 250)}/64\nListenPort = 51820\n\n[Peer]\nPublicKey = {b64(32)}\nAllowedIPs = 10.8.0.0/24, fd42:42:42::/64\nEndpoint = 192.168.50.1:51820\nPersistentKeepalive = 25",
        ),
        (
            "it",
            "tutorial",
            "Per configurare la rete statica usate 192.168.0.50 come indirizzo, 255.255.255.0 come maschera e 192.168.0.1 come gateway. Non usate 0.0.0.0 né 255.255.255.255.",
        ),
        (
            "nl",
            "forum_thread",
            "Re: Tweede router achter modem\n\nZet de tweede router op 192.168.2.2 en schakel DHCP uit. Het modem blijft 192.168.2.254. Dubbele NAT voorkom je zo.",
        ),
        (
            "pl",
            "forum_thread",
            "Re: Kamera IP nie łączy się\n\nKamera ma domyślnie 192.168.1.64, a router 192.168.0.1 — są w różnych podsieciach. Zmień adres kamery na 192.168.0.64 z maską 255.255.255.0.",
        ),
        (
            "pt",
            "forum_thread",
            "Re: Não consigo acessar o roteador\n\nTente 192.168.0.1 ou 192.168.15.1. Se o PC estiver com 169.254.12.7, o DHCP não respondeu. Pelo IPv6, use fe80::1%eth0.",
        ),
        (
            "ja",
            "tutorial",
            "ルーターの管理画面には 192.168.11.1 からアクセスします。IPv6 は fe80::1 のリンクローカルアドレスのみ使用します。",
        ),
        (
            "zh",
            "tutorial",
            "在浏览器中输入 192.168.31.1 进入路由器管理页面，默认子网掩码为 255.255.255.0，DHCP 地址池为 192.168.31.100-192.168.31.199。",
        ),
        (
            "en",
            "prometheus_config",
            f"scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['{priv_ip()}:9100', '{priv_ip()}:9100', 'localhost:9100']\n  - job_name: blackbox\n    metrics_path: /probe\n    static_configs:\n      - targets: ['http://10.0.0.5:8080/healthz']",
        ),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="private_or_reserved_ip")


def n_timestamps() -> None:
    texts = [
        (
            "en",
            "syslog",
            "\n".join(
                f"{ts_syslog()} app-0{R.randint(1, 4)} systemd[1]: Started {R.choice(['Daily apt upgrade', 'Session 4821 of user deploy', 'Certbot renewal', 'logrotate.service'])}."
                for _ in range(4)
            ),
        ),
        (
            "en",
            "json_log",
            "\n".join(
                f'{{"time":"{ts_iso()}","epoch_ms":{R.randint(1_700_000_000_000, 1_720_000_000_000)},"level":"info","event":"job_finished","duration_s":{R.uniform(0.5, 900):.3f},"rows":{R.randint(1000, 9_999_999)}}}'
                for _ in range(3)
            ),
        ),
        (
            "en",
            "java_log",
            "\n".join(
                f"2024-05-{R.randint(10, 28)} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d},{R.randint(100, 999)} INFO  [main] o.s.b.w.e.tomcat.TomcatWebServer - Tomcat started on port(s): 8080 (http) with context path ''"
                for _ in range(2)
            )
            + f"\n[GC (Allocation Failure) [PSYoungGen: 153600K->21488K(179200K)] 153600K->21560K(588800K), 0.0{R.randint(100, 999)} secs]",
        ),
        (
            "en",
            "crontab",
            "# m h  dom mon dow   command\n*/15 * * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1\n30 2 * * 1-5 /opt/reports/run.sh --since 2024-01-01 --until 2024-12-31\n0 0 1 * * find /tmp -mtime +30 -delete",
        ),
        (
            "de",
            "schedule",
            "Fahrplan Linie 12, gültig ab 09.12.2024\nMo–Fr: 05:12 05:42 06:12 06:27 06:42 06:57 07:12 07:27\nSa: 06:15 07:15 08:15\nAnkunft Hauptbahnhof nach 23 Minuten. Stand: 06.05.2024 14:03",
        ),
        (
            "fr",
            "meeting_minutes",
            "Compte rendu de la réunion du 06/05/2024 à 14h03\nDurée : 1 h 27 min\nProchaine réunion : mardi 21/05/2024 de 9 h 30 à 11 h 00, salle 2.14",
        ),
        (
            "ja",
            "schedule",
            "2024年5月6日 14時03分 更新\n受付時間：平日 9:00〜17:30（土日祝を除く）\n次回メンテナンス：2024/05/21 02:00〜05:00",
        ),
        (
            "zh",
            "schedule",
            "更新时间：2024-05-06 14:03:22\n营业时间：09:00-21:30\n下次维护：2024年5月21日 02:00至05:00",
        ),
        (
            "es",
            "sports_results",
            "Maratón de Valencia 2024 — clasificación\n1. 2:03:45  dorsal 1042\n2. 2:04:12  dorsal 87\n3. 2:05:01  dorsal 311\nSalida: 08:15:00 · Temperatura: 11 °C · Inscritos: 35 412",
        ),
        (
            "en",
            "k8s_events",
            'LAST SEEN   TYPE      REASON      OBJECT                     MESSAGE\n2m14s       Normal    Pulled      pod/api-7d9f8b6c5-x2lqp    Successfully pulled image "ghcr.io/orbit/api:2024.05.06-1403" in 3.412s\n48s         Warning   BackOff     pod/worker-5c7f9d-8kq2m    Back-off restarting failed container',
        ),
        (
            "en",
            "csv_timeseries",
            "timestamp,sensor,temp_c,humidity\n"
            + "\n".join(
                f"2024-05-06T{h:02d}:00:00+02:00,S-0{R.randint(1, 9)},{R.uniform(12, 24):.1f},{R.randint(40, 90)}"
                for h in range(6, 11)
            ),
        ),
        (
            "pt",
            "schedule",
            "Horário de funcionamento: seg. a sex. das 8h às 18h; sáb. das 8h às 12h.\nÚltima atualização: 06/05/2024 às 14:03.",
        ),
        ("it", "schedule", "Orari di apertura: lun–ven 8:30–13:00 e 14:30–18:00. Aggiornato il 06/05/2024 alle 14:03."),
        (
            "en",
            "bash_history_timestamps",
            "#1714986843\ngit status\n#1714986851\nmake test\n#1714987012\npython -m pytest -k 'not slow' -x\n#1714987100\ndu -sh ~/.cache/pip",
        ),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="timestamps_and_dates")


def n_phone_like_numbers() -> None:
    def num_sep(n: int, sep: str) -> str:
        s = str(n)
        groups = []
        while s:
            groups.insert(0, s[-3:])
            s = s[:-3]
        return sep.join(groups)

    pop = R.randint(1_000_000, 9_999_999)
    budget = R.randint(100_000_000, 999_999_999)
    texts = [
        (
            "fr",
            "statistics",
            f"Au 1er janvier 2024, la région comptait {num_sep(pop, ' ')} habitants, soit une hausse de 0,4 % en un an. Le budget primitif s'élève à {num_sep(budget, ' ')} euros.",
        ),
        (
            "de",
            "statistics",
            f"Einwohnerzahl (Stand 31.12.2023): {num_sep(pop, '.')}. Der Haushalt 2024 umfasst {num_sep(budget, '.')} Euro, davon 38,2 % für Soziales.",
        ),
        (
            "es",
            "statistics",
            f"Según el padrón de 2023, la provincia tiene {num_sep(pop, '.')} habitantes. El presupuesto municipal asciende a {num_sep(budget, '.')} euros.",
        ),
        (
            "it",
            "statistics",
            f"Popolazione residente al 1° gennaio 2024: {num_sep(pop, '.')} abitanti. Il bilancio di previsione è di {num_sep(budget, '.')} euro.",
        ),
        (
            "pl",
            "statistics",
            f"Liczba mieszkańców województwa: {num_sep(pop, ' ')} (GUS, 2023). Budżet na 2024 r. wynosi {num_sep(budget, ' ')} zł.",
        ),
        (
            "nl",
            "statistics",
            f"Op 1 januari 2024 telde de provincie {num_sep(pop, '.')} inwoners. De begroting bedraagt € {num_sep(budget, '.')}.",
        ),
        (
            "en",
            "statistics",
            f"The metro area had {num_sep(pop, ',')} residents in 2023 (ACS 1-year). FY2025 budget: ${num_sep(budget, ',')}, up 3.1%.",
        ),
        ("zh", "statistics", f"截至2023年末，全市常住人口{pop}人，地区生产总值{budget}万元，同比增长5.2%。"),
        (
            "en",
            "maths",
            "The 10th Fibonacci prime is 433494437; 2^33 = 8589934592 and 12! = 479001600. A Mersenne exponent: 2^61 − 1 = 2305843009213693951.",
        ),
        (
            "en",
            "sports_results",
            "Premier League table (after 36 games)\nPos  Team            P   W   D   L   GF  GA  GD  Pts\n1    Arsenal         36  26  5   5   86  28  +58 83\n2    Man City        35  25  7   3   89  33  +56 82\n3    Liverpool       36  22  10  4   81  38  +43 76\nAttendance at the Emirates: 60,261",
        ),
        (
            "de",
            "sports_results",
            "Bundesliga, 33. Spieltag\nBayer 04 Leverkusen – VfL Bochum 5:0 (2:0)\nZuschauer: 30.210 (ausverkauft)\nTore: 1:0 Boniface (23.), 2:0 Hložek (38.), 3:0 Andrich (61.)\nTabelle: 1. Leverkusen 84 Pkt. (86:23), 2. Bayern 72 Pkt.",
        ),
        (
            "it",
            "sports_results",
            "Serie A, 35ª giornata\nInter – Torino 2-0\nSpettatori: 72.358\nClassifica: Inter 92, Milan 74, Juventus 67, Bologna 66",
        ),
        (
            "pt",
            "sports_results",
            "Brasileirão 2024 — 5ª rodada\nPalmeiras 2 x 1 Internacional\nPúblico: 38.214 pagantes — Renda: R$ 2.841.390,00",
        ),
        (
            "nl",
            "sports_results",
            "Eredivisie, speelronde 33\nPSV – FC Utrecht 3-1\nToeschouwers: 35.000\nStand: PSV 87, Feyenoord 80, FC Twente 69",
        ),
        (
            "pl",
            "sports_results",
            "Ekstraklasa, 32. kolejka\nJagiellonia – Lech 2:1\nWidzów: 20 382\nTabela: Jagiellonia 63 pkt, Śląsk 62 pkt, Lech 56 pkt",
        ),
        (
            "fr",
            "sports_results",
            "Ligue 1, 33e journée\nPSG – Toulouse 1-3\nAffluence : 47 322 spectateurs\nClassement : PSG 73 pts, Monaco 64 pts, Brest 61 pts",
        ),
        (
            "en",
            "scientific_text",
            f"We sequenced {R.randint(1000, 9999)} genomes (mean depth 31.7×) and called {num_sep(R.randint(10_000_000, 99_999_999), ',')} SNVs. Associations reached genome-wide significance (p = 3.2 × 10^-9) at rs{R.randint(1_000_000, 99_999_999)}. Data: GEO GSE{R.randint(100000, 299999)}, PMID {R.randint(30_000_000, 39_999_999)}, doi:10.1038/s41586-024-0{R.randint(1000, 9999)}-{R.randint(1, 9)}.",
        ),
        (
            "en",
            "bibliography",
            f"[1] Quan A, Vance R. Sparse attention revisited. arXiv:2403.{R.randint(10000, 19999)} (2024).\n[2] Pryce H. et al. Nature 618, 412–418 (2023). ISBN 978-0-{R.randint(10, 99)}-{R.randint(100000, 999999)}-{R.randint(0, 9)}; ISSN 0028-0836.\n[3] US Patent 11,{R.randint(100, 999)},{R.randint(100, 999)} B2 (2023).",
        ),
        (
            "de",
            "legal_text",
            f"Az.: {R.randint(1, 9)} BvR {R.randint(1000, 2999)}/{R.randint(18, 24)} — Beschluss vom 12. März 2024. Streitwert: {num_sep(R.randint(10000, 999999), '.')},00 EUR. Vgl. BGH, Urteil vom 14.07.2023 – V ZR 128/22.",
        ),
        (
            "en",
            "ecommerce_order",
            f"Order #{R.randint(100, 999)}-{_num(7)}-{_num(7)}\nPlaced on May 6, 2024\nShipped via UPS, tracking 1Z{rs(6, string.ascii_uppercase + string.digits)}{_num(10)}\nItem: USB-C hub (model UH-7120), qty 1, $39.99\nEstimated delivery: May 9",
        ),
        (
            "de",
            "order_confirmation",
            f"Ihre Bestellung Nr. {_num(3)}-{_num(7)}-{_num(7)}\nRechnungsnummer: RE-2024-{_num(6)}\nSendungsnummer DHL: 00340434{_num(12)}\nKundennummer: {_num(8)}",
        ),
        (
            "fr",
            "order_confirmation",
            f"Commande n° {_num(10)} — Colissimo : 6A{_num(11)}\nFacture FA-2024-{_num(6)}\nMontant réglé : 149,90 € TTC",
        ),
        (
            "en",
            "invalid_phones",
            "Placeholder numbers used in our UI mock-ups: (000) 000-0000, 123-456-7890 and +1 (123) 456-7890. None of them can be dialled.",
        ),
        (
            "de",
            "invalid_phones",
            "Für Tests verwenden wir die Rufnummer 0000 0000000 bzw. +49 000 000000 — diese sind nicht vergeben.",
        ),
        (
            "en",
            "recipe",
            "Sourdough (2 loaves)\n1000 g bread flour · 750 g water (75%) · 200 g levain · 22 g salt\nBulk 4–5 h at 24 °C, shape, cold retard 12–16 h at 4 °C.\nBake 20 min at 250 °C covered, 25 min at 230 °C uncovered.",
        ),
        (
            "ja",
            "recipe",
            "肉じゃが（4人分）\n牛肉 200g、じゃがいも 3個（約450g）、玉ねぎ 1個、にんじん 1本、しらたき 1袋（200g）\nだし 400ml、しょうゆ 大さじ3、みりん 大さじ3、砂糖 大さじ2\n中火で約20分煮る。",
        ),
        (
            "en",
            "weather_report",
            "Forecast for Thursday: high 24 °C / low 13 °C, wind SW 15–25 km/h, gusts 45 km/h, pressure 1012 hPa, UV index 6, sunrise 05:41, sunset 20:57, precipitation 2.4 mm (60%).",
        ),
        (
            "en",
            "stock_report",
            f"NWLB closed at $48.17 (+2.31%) on volume of {num_sep(R.randint(1_000_000, 30_000_000), ',')} shares; market cap $2,{R.randint(100, 999)},{R.randint(100, 999)},{R.randint(100, 999)}. 52-week range 31.05–52.88.",
        ),
        (
            "ko",
            "ecommerce_product",
            f"무선 이어폰 프로 2세대\n상품번호: {_num(10)}\n판매가: ₩259,000 → ₩219,000 (15% 할인)\n배송비: 3,000원 (50,000원 이상 무료)\n모델명: WF-{R.randint(1000, 9999)}",
        ),
        (
            "ar",
            "ecommerce_product",
            f"سماعات لاسلكية — رقم المنتج {_num(9)}\nالسعر: 349 درهم (خصم 20%)\nالشحن مجاني للطلبات فوق 100 درهم\nالضمان: 24 شهرا",
        ),
        (
            "en",
            "coordinates",
            f"Trailhead: 47.{_num(6)}, -121.{_num(6)} (WGS84). Summit 2,438 m; gain 1,118 m over 9.3 km. UTM 10T {_num(6)} {_num(7)}.",
        ),
        (
            "en",
            "bank_statement",
            f"Statement period 04/01/2024 – 04/30/2024\nAccount: Checking ••••{_num(4)}\n04/03 ACH DEPOSIT PAYROLL NWLB  PPD ID: {_num(10)}  +3,412.55\n04/05 CHECK #1042  -1,850.00\n04/12 DEBIT CARD PURCHASE ****{_num(4)} COSTCO WHSE #0412  -214.37\nEnding balance $4,118.92",
        ),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="phone_like_numbers")


def n_card_like() -> None:
    def imei() -> str:
        body = R.choice(["35", "86", "01"]) + _num(12)
        return body + luhn_digit(body)

    def luhn_fail(n: int = 16, prefix: str = "4") -> str:
        while True:
            v = prefix + _num(n - len(prefix))
            if not luhn_ok(v):
                return v

    def siret() -> str:
        body = _num(13)
        return body + luhn_digit(body)

    def iccid() -> str:
        body = "8931" + _num(14)
        return body + luhn_digit(body)

    eans = [ean13(R.choice(["40", "41", "42", "400", "590", "76", "54", "87"])) for _ in range(4)]
    i1, i2, s1, c1 = imei(), imei(), siret(), iccid()
    f1, f2, f3 = luhn_fail(), luhn_fail(16, "5"), luhn_fail(15, "37")
    assert not valid_card(f1) and not valid_card(f2) and not valid_card(f3)
    texts = [
        (
            "de",
            "classified_ad",
            f"Verkaufe iPhone 13, 128 GB, Mitternacht, Akku 89 %. IMEI {i1} (nicht gesperrt). 420 € VB, Versand möglich.",
        ),
        (
            "en",
            "phone_listing",
            f"Pixel 7 Pro 256 GB, Obsidian — unlocked, clean ESN.\nIMEI 1: {i1}\nIMEI 2: {i2}\nBattery health 91%. $389 shipped.",
        ),
        (
            "en",
            "ecommerce_product",
            f"Organic Rolled Oats 1 kg\nEAN: {eans[0]}\nItem no. {_num(8)}\n$5.49 ($0.55/100 g)",
        ),
        (
            "de",
            "ecommerce_product",
            f"Bio-Haferflocken zart, 500 g\nEAN {eans[1]} · Art.-Nr. {_num(6)}\n1,29 € (2,58 €/kg)",
        ),
        ("pl", "ecommerce_product", f"Kawa ziarnista 1 kg, 100% arabika\nKod EAN: {eans[2]}\nCena: 79,99 zł"),
        ("nl", "ecommerce_product", f"Pindakaas met stukjes noot, 600 g\nEAN {eans[3]}\n€ 3,79"),
        (
            "en",
            "book_list",
            "Reading list\n- The Pragmatic Programmer, ISBN 978-0-13-595705-9\n- Designing Data-Intensive Applications, ISBN 9781449373320\n- Structure and Interpretation of Computer Programs, ISBN 978-0262510875",
        ),
        (
            "en",
            "receipt",
            f"HARBORLINE OUTFITTERS #0412\n05/06/2024 14:03\nSQ-40-RSQ  TUMBLER 40OZ   44.99\nSUBTOTAL 44.99  TAX 0.00  TOTAL 44.99\nVISA ************{_num(4)}  AUTH {_num(6)}\nREF {f1}",
        ),
        (
            "fr",
            "receipt",
            f"CARREFOUR MARKET\n06/05/2024 14:03\nTOTAL 82,14 EUR\nCB SANS CONTACT XXXX XXXX XXXX {_num(4)}\nN° transaction : {f2}",
        ),
        (
            "es",
            "receipt",
            f"MERCADONA — Factura simplificada {_num(4)}-{_num(3)}-{_num(6)}\nTOTAL 54,20 €\nTARJ. BANCARIA **** **** **** {_num(4)}\nN.C: {_num(9)}  AUT: {_num(6)}",
        ),
        (
            "en",
            "support_ticket",
            f"Ticket #48213: refund for transaction {f3} still pending. Card ending 4821 (Amex). Customer ID {_num(10)}.",
        ),
        (
            "fr",
            "legal_notice",
            f"Mentions légales\n\nAtelier Garnier SARL au capital de 10 000 € — RCS Lyon B {s1[:3]} {s1[3:6]} {s1[6:9]}\nSIRET : {s1[:3]} {s1[3:6]} {s1[6:9]} {s1[9:]}\nCode NAF : 4391A — TVA intracommunautaire : FR{_num(2)}{s1[:9]}\nHébergeur : OVH SAS, 2 rue Kellermann, 59100 Roubaix",
        ),
        ("en", "sim_card", f"SIM details\nICCID: {c1}\nIMSI: 20404{_num(10)}\nPUK: {_num(8)}\nPlan: 20 GB / 30 days"),
        (
            "en",
            "gaming_profile",
            f"steamID64: 7656119{_num(10)}\nDiscord user id: 1{_num(18)}\nLast match id: {_num(10)}",
        ),
        (
            "en",
            "json_api",
            f'{{"status":"ok","data":{{"order_id":"{luhn_fail(16, "6")}","tracking":"9400{_num(18)}","created_ms":{R.randint(1_700_000_000_000, 1_720_000_000_000)}}}}}',
        ),
        (
            "ja",
            "receipt",
            f"ご購入明細\n注文番号：{_num(3)}-{_num(7)}-{_num(7)}\nお支払い：クレジットカード（下4桁 {_num(4)}）\n合計：¥12,800（税込）",
        ),
        ("zh", "receipt", f"订单编号：{_num(18)}\n支付方式：银行卡（尾号{_num(4)}）\n实付款：¥1,280.00"),
    ]
    for lang, ctx, text in texts:
        oks = (i1, i2, s1, c1, *eans)
        oks += tuple(m.replace(" ", "") for m in re.findall(r"\d[\d ]{11,22}\d", text))
        add(lang, ctx, text, category="card_like_numbers", ok=oks)


def n_bank_business_ids() -> None:
    bad = []
    for country in ("DE", "FR", "NL", "ES"):
        good = iban(country, grouped=False)
        wrong = good[:2] + f"{(int(good[2:4]) + R.randint(1, 40)) % 97:02d}" + good[4:]
        if valid_iban(wrong):
            wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
        assert not valid_iban(wrong)
        bad.append(" ".join(wrong[i : i + 4] for i in range(0, len(wrong), 4)))
    texts = [
        (
            "de",
            "website_footer",
            f"© 2024 Brandt Elektro GmbH · Amtsgericht Leipzig HRB {R.randint(10000, 40000)} · USt-IdNr. DE{_num(9)} · Geschäftsführer: siehe Impressum · BIC {bic()}",
        ),
        (
            "fr",
            "website_footer",
            f"Lumière Conseil SAS — RCS Paris {_num(3)} {_num(3)} {_num(3)} — TVA FR{_num(11)} — Capital social 50 000 €",
        ),
        (
            "it",
            "website_footer",
            f"Ricci Costruzioni S.r.l. — P.IVA {_num(11)} — REA MI-{_num(7)} — Capitale sociale € 100.000 i.v.",
        ),
        (
            "es",
            "website_footer",
            f"Clínica Ortega, S.L. — CIF B{_num(8)} — Inscrita en el Registro Mercantil de Madrid, Tomo {_num(5)}, Folio {_num(3)}",
        ),
        ("nl", "website_footer", f"Bakker Bouw B.V. · KvK {_num(8)} · btw NL{_num(9)}B01"),
        (
            "pl",
            "website_footer",
            f"Kancelaria Nowak sp.k. · NIP {_num(3)}-{_num(3)}-{_num(2)}-{_num(2)} · REGON {_num(9)} · KRS 0000{_num(6)}",
        ),
        (
            "pt",
            "website_footer",
            f"Oliveira Advocacia — CNPJ {_num(2)}.{_num(3)}.{_num(3)}/0001-{_num(2)} — OAB/SP {_num(6)}",
        ),
        (
            "en",
            "swift_codes",
            f"Correspondent banks: {bic()}, {bic()}, {bic()}. Intermediary: CHASUS33XXX (ABA 021000021).",
        ),
        (
            "en",
            "finance_list",
            f"ISINs in the portfolio: US0378331005, DE0007164600, NL0010273215, FR0000121014. LEI of the fund: 5493{_num(14)}{R.randint(10, 99)}.",
        ),
        (
            "de",
            "form_instructions",
            "Bitte geben Sie Ihre IBAN im Format DE00 0000 0000 0000 0000 00 ohne Leerzeichen ein, z. B. DEXX XXXX XXXX XXXX XXXX XX.",
        ),
        (
            "fr",
            "form_instructions",
            "Votre IBAN doit commencer par FR76 et comporter 27 caractères, par exemple FR76 XXXX XXXX XXXX XXXX XXXX XXX.",
        ),
        (
            "de",
            "support_reply",
            f"Die angegebene IBAN {bad[0]} ist leider ungültig (Prüfziffer falsch). Bitte prüfen Sie die Angabe.",
        ),
        ("fr", "support_reply", f"L'IBAN saisi ({bad[1]}) est incorrect : la clé de contrôle ne correspond pas."),
        (
            "nl",
            "support_reply",
            f"Het rekeningnummer {bad[2]} is niet geldig. Controleer de cijfers en probeer het opnieuw.",
        ),
        ("es", "support_reply", f"El IBAN {bad[3]} no es válido: los dígitos de control no coinciden."),
        ("en", "masked_bank", "Payout account: DE89 •••• •••• •••• •••• 00 (verified). Next payout: 2024-05-10."),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="bank_and_business_ids")


def n_ssn_like() -> None:
    texts = [
        (
            "en",
            "tax_instructions",
            f"An ITIN always begins with 9 and has a 7 or 8 in the fourth digit, for example 9{_num(2)}-7{_num(1)}-{_num(4)} or 9{_num(2)}-8{_num(1)}-{_num(4)}. Do not enter an ITIN where an SSN is required.",
        ),
        (
            "en",
            "data_validation_doc",
            "Reject SSNs whose area number is 000 or 666 (e.g. 000-12-3456, 666-45-6789), whose group is 00 (e.g. 123-00-4567) or whose serial is 0000 (e.g. 123-45-0000).",
        ),
        (
            "en",
            "form_template",
            "Social Security Number: ___-__-____\nEmployer Identification Number: __-_______\nMasked on file: XXX-XX-"
            + _num(4)
            + " / ***-**-"
            + _num(4),
        ),
        (
            "en",
            "tax_form",
            f"Employer identification number (EIN): {R.randint(10, 98)}-{_num(7)}\nPayer's TIN: {R.randint(10, 98)}-{_num(7)}\nRecipient's TIN: ***-**-{_num(4)}",
        ),
        (
            "en",
            "support_reply",
            f"For your security we only display the last four digits of your SSN (•••-••-{_num(4)}). Your case number is {_num(3)}-{_num(2)}-{_num(5)}.",
        ),
        (
            "es",
            "tax_instructions",
            f"Si no tiene número de Seguro Social, solicite un ITIN (formato 9XX-XX-XXXX, p. ej. 9{_num(2)}-7{_num(1)}-{_num(4)}).",
        ),
        (
            "en",
            "product_codes",
            f"Replacement filter cartridges: FC-{_num(3)}-{_num(2)}, FC-{_num(3)}-{_num(2)}. Date code 2024-05-0612.",
        ),
    ]
    for lang, ctx, text in texts:
        for m in re.findall(r"\b\d{3}-\d{2}-\d{4}\b", text):
            assert not valid_ssn(m), m
        add(lang, ctx, text, category="ssn_like")


def n_secret_placeholder() -> None:
    texts = [
        (
            "en",
            "dotenv_example",
            "# .env.example — copy to .env and fill in\nDATABASE_URL=postgresql://user:password@localhost:5432/app\nSTRIPE_SECRET_KEY=sk_test_your_key_here\nOPENAI_API_KEY=<your-openai-key>\nJWT_SECRET=changeme\nSENTRY_DSN=\nADMIN_PASSWORD=",
        ),
        (
            "en",
            "docker_compose",
            "services:\n  db:\n    image: postgres:16.2\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set in .env}\n      POSTGRES_USER: app\n  api:\n    environment:\n      - API_TOKEN=${API_TOKEN}\n      - SECRET_KEY_BASE=${SECRET_KEY_BASE}",
        ),
        (
            "en",
            "helm_template",
            'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include "app.fullname" . }}\nstringData:\n  password: {{ .Values.db.password | quote }}\n  api-key: {{ required "apiKey is required" .Values.apiKey }}',
        ),
        (
            "en",
            "terraform",
            'provider "aws" {\n  access_key = var.aws_access_key\n  secret_key = var.aws_secret_key\n}\n\nresource "aws_db_instance" "main" {\n  password = data.aws_secretsmanager_secret_version.db.secret_string\n}',
        ),
        (
            "en",
            "github_actions_yaml",
            'env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}\nsteps:\n  - run: echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc',
        ),
        (
            "en",
            "readme_markdown",
            '## Configuration\n\n```bash\nexport OPENAI_API_KEY=sk-...\nexport ANTHROPIC_API_KEY="YOUR_API_KEY"\nexport HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n```\n\nNever commit real keys.',
        ),
        (
            "en",
            "aws_docs",
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = us-west-2",
        ),
        (
            "en",
            "python_code",
            'import os\n\nAPI_KEY = os.environ["API_KEY"]\nDB_PASSWORD = os.getenv("DB_PASSWORD", "")\nSECRET_TOKEN = settings.SECRET_TOKEN\npassword = getpass.getpass("Password: ")',
        ),
        (
            "en",
            "javascript_code",
            "const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);\nconst token = req.headers.authorization?.split(' ')[1];\nconst apiKey = config.get('apiKey');",
        ),
        (
            "en",
            "spring_yaml",
            "spring:\n  datasource:\n    password: ${DB_PASSWORD:}\n  security:\n    oauth2:\n      client:\n        registration:\n          github:\n            client-secret: ${GITHUB_CLIENT_SECRET}",
        ),
        (
            "en",
            "cloudformation_yaml",
            "MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'\nApiKey: !Ref ApiKeyParameter\nToken: '{{resolve:ssm-secure:/prod/api/token:1}}'",
        ),
        (
            "en",
            "config_yaml",
            "auth:\n  username: admin\n  password: '********'\n  token: REDACTED\n  api_key: null\n  client_secret: \"\"\n  secret: TODO",
        ),
        (
            "en",
            "low_entropy_config",
            "password = password\nsecret = secret\ntoken = test\napi_key = 12345\nadmin_password = admin",
        ),
        (
            "en",
            "slack_docs",
            "Set SLACK_BOT_TOKEN to your bot token (it starts with xoxb-, e.g. xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX).",
        ),
        (
            "en",
            "github_docs",
            "Personal access tokens look like ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX and fine-grained ones like github_pat_XXXXXXXXXXXXXXXXXXXXXX_XXXX…",
        ),
        (
            "de",
            "readme_markdown",
            "## Einrichtung\n\nTragen Sie Ihren Schlüssel in die Datei `.env` ein:\n\n```\nAPI_KEY=DEIN_API_SCHLUESSEL\nPASSWORT=hier-eintragen\n```",
        ),
        (
            "fr",
            "readme_markdown",
            '## Configuration\n\nRenseignez votre clé dans `config.toml` :\n\n```toml\napi_key = "VOTRE_CLE_API"\nmot_de_passe = "à_remplir"\n```',
        ),
        (
            "es",
            "readme_markdown",
            "## Configuración\n\n```yaml\napi_key: TU_CLAVE_API\ntoken: <tu-token>\npassword: cambiar\n```",
        ),
        (
            "ja",
            "readme_markdown",
            "## 設定\n\n`.env` に API キーを設定してください。\n\n```\nAPI_KEY=ここにAPIキーを入力\nSECRET=your-secret-here\n```",
        ),
        (
            "zh",
            "readme_markdown",
            "## 配置\n\n在 `config.yaml` 中填写：\n\n```yaml\napp_secret: 你的密钥\naccess_token: <在此填写>\n```",
        ),
        ("pt", "readme_markdown", "## Configuração\n\n```env\nAPI_KEY=SUA_CHAVE_AQUI\nSENHA=trocar-isto\n```"),
        (
            "en",
            "kubernetes_yaml",
            "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db-credentials\n        key: password\n  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef:\n        name: api\n        key: token",
        ),
        (
            "en",
            "vault_reference",
            "database:\n  password: vault:secret/data/prod/db#password\n  token_ttl: 3600\nstripe:\n  secret_key: arn:aws:secretsmanager:eu-central-1:412398765432:secret:prod/stripe-Ab12Cd",
        ),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="secret_placeholder", ok=("AKIAIOSFODNN7EXAMPLE", "xoxb-XXXX", "ghp_XXXX"))


def n_hashes_and_ids() -> None:
    sha256, sha1, sha512 = hexs(64), hexs(40), b64(64)
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + R.randbytes(150)).decode()
    texts = [
        (
            "en",
            "git_log",
            "\n".join(
                f"commit {hexs(40)}\nAuthor: Release Bot <release-bot@ci.invalid>\nDate:   Mon May 6 14:03:22 2024 +0200\n\n    {R.choice(['fix: handle empty batch', 'chore(deps): bump serde to 1.0.200', 'docs: fix typo'])}\n"
                for _ in range(2)
            ),
        ),
        (
            "en",
            "checksums",
            f"{sha256}  curate-0.9.2-py3-none-any.whl\n{hexs(64)}  curate-0.9.2.tar.gz\nSHA1 ({hexs(8)}.iso) = {sha1}",
        ),
        (
            "en",
            "dockerfile",
            f'FROM python:3.11.9-slim@sha256:{hexs(64)}\nENV PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1\nRUN curl -fsSLO https://github.com/tailwindlabs/tailwindcss/releases/download/v3.4.3/tailwindcss-linux-x64 \\\n && echo "{hexs(64)}  tailwindcss-linux-x64" | sha256sum -c -\nUSER 10001\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]',
        ),
        (
            "en",
            "package_lock",
            f'"node_modules/lodash": {{\n  "version": "4.17.21",\n  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",\n  "integrity": "sha512-{sha512}"\n}}',
        ),
        (
            "en",
            "go_sum",
            f"github.com/google/uuid v1.6.0 h1:{b64(32)}\ngithub.com/google/uuid v1.6.0/go.mod h1:{b64(32)}",
        ),
        (
            "en",
            "requirements_hashes",
            f"requests==2.31.0 \\\n    --hash=sha256:{hexs(64)} \\\n    --hash=sha256:{hexs(64)}",
        ),
        (
            "en",
            "html",
            f'<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js" integrity="sha384-{b64(48)}" crossorigin="anonymous"></script>',
        ),
        (
            "en",
            "json_log",
            "\n".join(
                f'{{"ts":"{ts_iso()}","request_id":"{uuid4()}","trace_id":"{hexs(32)}","span_id":"{hexs(16)}","status":200,"path":"/api/v1/items"}}'
                for _ in range(3)
            ),
        ),
        (
            "en",
            "jwks_json",
            f'{{"keys":[{{"kty":"RSA","use":"sig","kid":"{hexs(40)}","alg":"RS256","n":"{b64url(R.randbytes(256))}","e":"AQAB"}}]}}',
        ),
        (
            "en",
            "ssh_public_key",
            f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{rs(43, ALNUM + '+/')} ops@laptop\nssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{rs(200, ALNUM + '+/')}= deploy@ci",
        ),
        (
            "en",
            "certificate",
            "-----BEGIN CERTIFICATE-----\n"
            + "\n".join(b64(48) for _ in range(6))
            + "\n-----END CERTIFICATE-----\n-----BEGIN PUBLIC KEY-----\n"
            + "\n".join(b64(48) for _ in range(3))
            + "\n-----END PUBLIC KEY-----",
        ),
        (
            "en",
            "pgp_public_key",
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
            + "\n".join(b64(48) for _ in range(6))
            + "\n="
            + b64(3)
            + "\n-----END PGP PUBLIC KEY BLOCK-----",
        ),
        (
            "en",
            "jupyter_notebook",
            '{\n "cell_type": "code",\n "execution_count": 12,\n "id": "'
            + hexs(8)
            + '",\n "outputs": [\n  {\n   "data": {\n    "image/png": "'
            + png
            + '",\n    "text/plain": [\n     "<Figure size 640x480 with 1 Axes>"\n    ]\n   },\n   "output_type": "display_data"\n  }\n ],\n "source": [\n  "df.groupby(\\"month\\")[\\"revenue\\"].sum().plot()"\n ]\n}',
        ),
        (
            "en",
            "aws_resources",
            f"Instance i-0{hexs(16)} (t3.large) in subnet-0{hexs(16)}, sg-0{hexs(16)}, volume vol-0{hexs(16)}, AMI ami-0{hexs(16)}.\nARN arn:aws:iam::412398765432:role/ci-deploy",
        ),
        (
            "en",
            "key_named_non_secrets",
            f"cache:\n  key: deps-{hexs(40)}\n  paths: [node_modules/]\nidempotency_key: {uuid4()}\npublic_key: {b64(32)}\nkms_key_id: arn:aws:kms:eu-central-1:412398765432:key/{uuid4()}\nprimary_key: id\nsort_key: created_at",
        ),
        (
            "en",
            "token_counts",
            "model: gpt-4o-mini\nmax_tokens: 4096\ncontext_window: 128000\ntoken_type: Bearer\ntokenizer: cl100k_base\nprompt_tokens: 1842\ncompletion_tokens: 311",
        ),
        (
            "en",
            "s3_listing",
            f'{{"Contents":[{{"Key":"uploads/2024/05/{hexs(32)}.jpg","ETag":"\\"{hexs(32)}\\"","Size":{R.randint(10000, 9999999)}}},{{"Key":"exports/orders-2024-05-06.csv.gz","ETag":"\\"{hexs(32)}-4\\""}}]}}',
        ),
        (
            "en",
            "ssh_fingerprint",
            f"The authenticity of host 'git.orbitfreight.co (10.0.4.9)' can't be established.\nED25519 key fingerprint is SHA256:{rs(43, ALNUM + '+/')}.\nThis key is not known by any other names.",
        ),
        (
            "en",
            "torrent",
            f"magnet:?xt=urn:btih:{hexs(40)}&dn=ubuntu-24.04-desktop-amd64.iso&tr=https%3A%2F%2Ftorrent.ubuntu.com%2Fannounce\nIPFS: bafybei{rs(52, 'abcdefghijklmnopqrstuvwxyz234567')}",
        ),
        (
            "en",
            "cargo_lock",
            f'[[package]]\nname = "serde"\nversion = "1.0.200"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{hexs(64)}"',
        ),
        (
            "en",
            "csp_header",
            f"Content-Security-Policy: default-src 'self'; script-src 'self' 'nonce-{b64(16)}' 'sha256-{b64(32)}'; style-src 'self' 'unsafe-inline'",
        ),
        (
            "de",
            "git_log",
            f"Commit {hexs(7)} — Merge-Request !412 „Rechnungsexport“ übernommen. Pipeline #{R.randint(100000, 999999)} erfolgreich (Dauer 4:12).",
        ),
        ("ja", "build_log", f"ビルド完了：コミット {hexs(40)}、所要時間 3分12秒。成果物のSHA-256: {hexs(64)}"),
        (
            "en",
            "uuid_list",
            "\n".join(f"{uuid4()},{R.choice(['pending', 'shipped', 'delivered'])},{R.randint(1, 9)}" for _ in range(5)),
        ),
        (
            "en",
            "google_client_id",
            f"GOOGLE_CLIENT_ID={_num(12)}-{rs(32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.apps.googleusercontent.com\nGOOGLE_REDIRECT_URI=https://app.orbitfreight.co/auth/callback",
        ),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="hashes_ids_public_keys")


def n_email_like() -> None:
    texts = [
        (
            "en",
            "docs",
            "Send a test message to alice@example.com or bob@example.org; bounces go to postmaster@example.net.",
        ),
        (
            "en",
            "test_fixture",
            'users = [\n    {"name": "Test User", "email": "test.user@example.com"},\n    {"name": "QA", "email": "qa+1@mail.test"},\n    {"name": "Nobody", "email": "nobody@invalid.invalid"},\n]',
        ),
        (
            "en",
            "shell_session",
            "$ ssh admin@10.0.3.7\n$ scp backup.tar.gz ops@192.168.1.20:/srv/backups/\n$ git clone git@gitlab.com:orbit/infra.git\n$ git remote add mirror git@bitbucket.org:orbit-team/infra.git\n$ git push git@codeberg.org:orbit/infra.git main",
        ),
        (
            "en",
            "scraped_page",
            "Contact our editorial team: [email protected]\nPress inquiries: [email&#160;protected]\nFollow us for updates.",
        ),
        (
            "en",
            "html",
            '<img src="/img/logo@2x.png" srcset="/img/logo@3x.webp 3x" alt="Logo">\n<link rel="apple-touch-icon" href="/icons/touch-icon@2x.png">',
        ),
        (
            "en",
            "npm_usage",
            "npx create-next-app@latest my-app\nnpm install react@18.3.1 react-dom@18.3.1 @types/react@18.3.1\npnpm add -D vitest@1.6.0\nbunx shadcn-ui@0.8.0 init",
        ),
        (
            "en",
            "github_actions_yaml",
            "steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-python@v5\n    with:\n      python-version: '3.12'\n  - uses: codecov/codecov-action@v4.3.0",
        ),
        (
            "en",
            "systemd",
            "$ systemctl status getty@tty1.service openvpn-client@office.service\n$ systemctl enable --now wg-quick@wg0\n$ journalctl -u user@1000.service --since today",
        ),
        (
            "en",
            "docker",
            "docker pull nginx@sha256:" + hexs(64) + "\ndocker run --rm -it alpine@sha256:" + hexs(64) + " sh",
        ),
        (
            "en",
            "placeholder_email",
            "Enter your e-mail in the form name@domain, e.g. firstname.lastname@company. Work addresses like you@yourcompany are not accepted.",
        ),
        (
            "en",
            "localhost_mail",
            "MAIL_FROM=noreply@localhost\nroot@localhost: mailbox full\ncron: sent mail to deploy@web-02 (local delivery)",
        ),
        (
            "en",
            "git_config",
            '[user]\n    name = CI Bot\n    email = 41898282+github-actions[bot]@users.noreply.github.com\n[url "git@github.com:"]\n    insteadOf = https://github.com/',
        ),
        (
            "de",
            "docs",
            "Testadressen für die Entwicklung: max.mustermann@example.org und erika@beispiel.test. Echte Adressen bitte nie in Tests verwenden.",
        ),
        (
            "fr",
            "docs",
            "Exemple : jean.dupont@example.com. Pour les tests, utilisez le domaine réservé .test (ex. : test@societe.test).",
        ),
        (
            "es",
            "docs",
            "Ejemplo de configuración: remitente=notificaciones@example.net, destinatario=usuario@dominio.invalid",
        ),
        ("ja", "docs", "例：taro.yamada@example.com（実在しないアドレスです）"),
        (
            "en",
            "pip_vcs",
            "pip install 'mylib @ git+https://github.com/orbit/mylib@v2.1.0'\npip install \"pkg @ git+ssh://git@github.com/orbit/pkg.git@main\"",
        ),
        ("en", "version_pins", "Tested with lodash@4.17.21, typescript@5.4.5, vite@5.2.11 and eslint@8.57.0."),
        (
            "en",
            "rsync",
            "rsync -avz --delete ./dist/ deploy@web-01:/var/www/app/\nrsync -e 'ssh -p 2222' backup@nas:/volume1/photos/ ~/photos/",
        ),
        ("zh", "docs", "测试邮箱请使用 user@example.com，不要使用真实邮箱。"),
    ]
    for lang, ctx, text in texts:
        add(
            lang,
            ctx,
            text,
            category="email_like",
            ok=(
                "users.noreply.github.com",
                "git@gitlab.com",
                "git@bitbucket.org",
                "git@codeberg.org",
                "git@github.com",
                "@2x.png",
                "@3x.webp",
                ".service",
            ),
        )


def n_at_not_handle() -> None:
    texts = [
        (
            "en",
            "python_code",
            "@dataclass(frozen=True)\nclass Point:\n    x: float\n    y: float\n\n@app.route('/health')\n@login_required\ndef health():\n    return 'ok'\n\n@pytest.fixture(scope='session')\ndef db():\n    ...\n\n@functools.lru_cache(maxsize=128)\ndef load(): ...",
        ),
        (
            "en",
            "java_code",
            '@RestController\n@RequestMapping("/api/orders")\npublic class OrderController {\n    @Autowired\n    private OrderService service;\n\n    @GetMapping("/{id}")\n    @Transactional(readOnly = true)\n    public Order get(@PathVariable Long id) { return service.find(id); }\n}',
        ),
        (
            "en",
            "kotlin_code",
            '@Composable\nfun Greeting(name: String) {\n    Text(text = "Hello $name!")\n}\n\n@JvmStatic\n@Throws(IOException::class)\nfun main(args: Array<String>) {}',
        ),
        (
            "en",
            "swift_code",
            "struct ContentView: View {\n    @State private var count = 0\n    @Environment(\\.colorScheme) var scheme\n    @MainActor func refresh() async {}\n}\n@IBOutlet weak var label: UILabel!",
        ),
        (
            "en",
            "typescript_code",
            "@Component({\n  selector: 'app-cart',\n  templateUrl: './cart.component.html',\n})\nexport class CartComponent {\n  @Input() items: Item[] = [];\n  @Output() checkout = new EventEmitter<void>();\n  @HostListener('window:resize') onResize() {}\n}",
        ),
        (
            "en",
            "css",
            "@import url('https://fonts.googleapis.com/css2?family=Inter:wght@400;600&display=swap');\n@font-face { font-family: 'Inter'; src: url('/fonts/inter.woff2'); }\n@media (max-width: 768px) { .nav { display: none; } }\n@keyframes spin { to { transform: rotate(360deg); } }\n@supports (display: grid) { .grid { display: grid; } }",
        ),
        (
            "en",
            "scss",
            "@use 'sass:math';\n@mixin flex-center { display: flex; align-items: center; }\n.card { @include flex-center; @extend %shadow; }\n@each $name, $color in $palette { .text-#{$name} { color: $color; } }",
        ),
        ("en", "less", "@primary: #1d4ed8;\n@radius: 4px;\n.button { background: @primary; border-radius: @radius; }"),
        (
            "en",
            "razor_view",
            '@model OrderViewModel\n@using Orbit.Web.Models\n@{\n    ViewData["Title"] = "Orders";\n}\n@foreach (var item in Model.Items)\n{\n    <li>@item.Name — @item.Price.ToString("C")</li>\n}',
        ),
        (
            "en",
            "blade_view",
            "@extends('layouts.app')\n@section('content')\n  @if($orders->isEmpty())\n    <p>No orders yet.</p>\n  @endif\n  @csrf\n@endsection",
        ),
        (
            "en",
            "jsdoc",
            '/**\n * Parses a price string.\n * @param {string} input - e.g. "€1.234,56"\n * @returns {number}\n * @throws {RangeError}\n * @since 2.4.0\n * @deprecated use parseMoney\n */',
        ),
        (
            "en",
            "phpdoc",
            "/**\n * @var int $retries\n * @return array<string, mixed>\n * @see https://www.php.net/manual/en/\n * @author Orbit Team\n */",
        ),
        (
            "en",
            "ruby_code",
            "class OrdersController < ApplicationController\n  def index\n    @orders = Order.where(user: current_user).limit(20)\n    @total = @orders.sum(:amount)\n  end\nend",
        ),
        (
            "en",
            "perl_code",
            'my @files = glob(\'*.log\');\nforeach my $f (@files) { print "$f\\n"; }\nprint scalar(@ARGV), " args\\n";',
        ),
        (
            "en",
            "powershell",
            "$params = @{\n    Path = 'C:\\logs'\n    Recurse = $true\n}\nGet-ChildItem @params | Where-Object { $_.Length -gt 1MB }\n$list = @('a', 'b')",
        ),
        (
            "en",
            "tsql",
            "DECLARE @StartDate date = '2024-01-01';\nDECLARE @Count int;\nSELECT @Count = COUNT(*) FROM dbo.Orders WHERE OrderDate >= @StartDate;\nIF @@ROWCOUNT = 0 PRINT 'none';\nEXEC dbo.usp_Report @From = @StartDate, @CustomerID = 42;",
        ),
        (
            "en",
            "makefile",
            'build:\n\t@echo "Building $(VERSION)"\n\t@mkdir -p dist\n\t@go build -o dist/app ./cmd/app\nclean:\n\t@rm -rf dist',
        ),
        (
            "en",
            "crontab",
            "@reboot /usr/local/bin/start-agent.sh\n@daily /usr/local/bin/rotate-logs.sh\n@hourly curl -fsS https://hc-ping.com/"
            + uuid4(),
        ),
        (
            "en",
            "git_reflog",
            "$ git reflog\n3f9a1c2 HEAD@{0}: commit: fix parser\n8b2e4d1 HEAD@{1}: checkout: moving from main to fix/parser\n$ git stash show -p stash@{0}\n$ git diff main@{yesterday}",
        ),
        (
            "en",
            "vue_template",
            '<button @click="increment" :disabled="busy">+1</button>\n<form @submit.prevent="save">\n  <input v-model="name" @keyup.enter="save">\n</form>',
        ),
        (
            "en",
            "chat_export",
            "@here standup moved to 10:30\n@channel the deploy freeze starts Friday 18:00 UTC\n@everyone please update your 2FA by May 31",
        ),
        ("en", "shopping_list", "3 @ $4.99 = $14.97\n2 @ 1.25 = 2.50\nMeet @ 5pm at the north entrance, room 2.14"),
        (
            "en",
            "dart_code",
            "class Counter extends StatefulWidget {\n  @override\n  State<Counter> createState() => _CounterState();\n}\n@immutable\nclass Config {}",
        ),
        (
            "en",
            "csharp_code",
            'var path = @"C:\\Users\\Public\\data.csv";\nvar sql = @"SELECT * FROM Orders WHERE Id = @id";\ncmd.Parameters.AddWithValue("@id", orderId);',
        ),
        (
            "en",
            "objc_code",
            "@interface OrderCell : UITableViewCell\n@property (nonatomic, strong) UILabel *titleLabel;\n@end\n\n@implementation OrderCell\n@synthesize titleLabel;\n@end",
        ),
        (
            "en",
            "npm_scopes",
            'dependencies:\n  "@nestjs/core": "^10.3.8"\n  "@prisma/client": "5.13.0"\n  "@tanstack/react-query": "^5.32.0"\n  "@radix-ui/react-dialog": "1.0.5"',
        ),
        (
            "en",
            "latex",
            "\\makeatletter\n\\renewcommand\\@maketitle{\\centering\\@title\\par}\n\\makeatother\n% e-mail: see \\texttt{@{}} in tabular",
        ),
        ("en", "excel_formula", "=@INDEX(A2:A100, MATCH(MAX(B2:B100), B2:B100, 0))\n=SUM(Table1[@[Q1]:[Q4]])"),
        (
            "de",
            "python_code",
            "# Beispiel: Dekorator für Zeitmessung\n@zeitmessung\ndef berechne_summe(werte):\n    return sum(werte)\n\n@property\ndef netto(self): return self.brutto / 1.19",
        ),
        (
            "fr",
            "css",
            "/* Styles pour mobile */\n@media screen and (max-width: 600px) {\n  .menu { display: none; }\n}\n@page { margin: 2cm; }",
        ),
        (
            "ja",
            "python_code",
            "# 設定クラス\n@dataclass\nclass 設定:\n    タイムアウト: int = 30\n\n@app.get('/items/{item_id}')\nasync def read_item(item_id: int): ...",
        ),
        (
            "en",
            "sql_mysql",
            "SET @rank := 0;\nSELECT @rank := @rank + 1 AS rank, name, score FROM players ORDER BY score DESC;\nSELECT @@version, @@sql_mode;",
        ),
        (
            "en",
            "dependency_bot",
            "Bumps [actions/setup-node](https://github.com/actions/setup-node) from 3.8.1 to 4.0.2.\n- [Release notes](https://github.com/actions/setup-node/releases)\nUpdates `@babel/core` from 7.24.4 to 7.24.5.",
        ),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="at_sign_not_handle")


def n_general() -> None:
    texts = [
        (
            "en",
            "readme_markdown",
            "# fastcsv\n\n[![PyPI](https://img.shields.io/pypi/v/fastcsv)](https://pypi.org/project/fastcsv/) [![Python](https://img.shields.io/pypi/pyversions/fastcsv)](https://pypi.org/project/fastcsv/) [![Coverage 94%](https://img.shields.io/badge/coverage-94%25-green)]()\n\n| Version | Python | Release date | Downloads/month |\n|---|---|---|---|\n| 2.4.1 | 3.9 – 3.12 | 2024-04-18 | 1,284,112 |\n| 2.4.0 | 3.9 – 3.12 | 2024-02-02 | 412,980 |\n| 2.3.9 | 3.8 – 3.11 | 2023-11-30 | 98,213 |\n\nBenchmarks: 1.2 GB/s parse, 812 MB/s write (AMD EPYC 7763, 64 cores).",
        ),
        (
            "en",
            "dockerfile",
            "FROM golang:1.22.3-alpine3.19 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags='-s -w -X main.version=1.8.2' -o /out/app ./cmd/app\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nEXPOSE 8080 9090\nUSER 65532:65532\nENTRYPOINT [\"/app\"]",
        ),
        (
            "en",
            "kubernetes_yaml",
            'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels: {app: api, version: "2024.05.06"}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/orbit/api:1.8.2\n          resources:\n            requests: {cpu: 250m, memory: 512Mi}\n            limits: {cpu: "2", memory: 2Gi}\n          ports: [{containerPort: 8080}]\n          readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 10}',
        ),
        (
            "en",
            "shell_history",
            "  812  cd ~/src/fastcsv\n  813  python -m venv .venv && . .venv/bin/activate\n  814  pip install -e '.[dev]'\n  815  pytest -q -n 4\n  816  hyperfine 'python bench.py --rows 1000000'\n  817  git tag -a v2.4.1 -m 'v2.4.1'\n  818  git push origin v2.4.1",
        ),
        (
            "en",
            "sql_dump",
            "CREATE TABLE products (\n  sku varchar(32) PRIMARY KEY,\n  name text NOT NULL,\n  price_cents integer NOT NULL,\n  weight_g integer\n);\nINSERT INTO products VALUES ('BK-2041-RD','Road bike 54 cm',189900,8420),('SQ-40-RSQ','Tumbler 40 oz',4499,612),('MS-1187-B','Merino socks L',1800,95);",
        ),
        (
            "en",
            "jupyter_notebook",
            '{\n "cell_type": "code",\n "execution_count": 7,\n "outputs": [\n  {\n   "data": {"text/plain": ["count    48213.000000\\n", "mean       412.873110\\n", "std        118.220450\\n", "min          1.000000\\n", "max       9812.000000\\n"]},\n   "output_type": "execute_result"\n  }\n ],\n "source": ["df[\\"amount\\"].describe()"]\n}',
        ),
        (
            "en",
            "terraform",
            'variable "instance_count" {\n  type    = number\n  default = 3\n}\n\nmodule "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.8.1"\n  azs     = ["eu-central-1a", "eu-central-1b"]\n}\n\noutput "lb_dns" { value = aws_lb.main.dns_name }',
        ),
        (
            "fr",
            "recipe",
            "Gratin dauphinois (6 personnes)\n1,5 kg de pommes de terre, 50 cl de crème entière, 25 cl de lait, 2 gousses d'ail, 30 g de beurre.\nFour à 150 °C pendant 1 h 30, puis 10 min à 200 °C.",
        ),
        (
            "it",
            "recipe",
            "Lasagne alla bolognese (8 porzioni)\n500 g di sfoglia, 600 g di ragù, 1 l di besciamella, 150 g di Parmigiano Reggiano 24 mesi.\nForno statico a 180 °C per 40 minuti.",
        ),
        (
            "es",
            "recipe",
            "Paella valenciana (6 raciones)\n600 g de arroz bomba, 1 pollo troceado (1,2 kg), 400 g de judía verde, 200 g de garrofó, 1,8 l de agua, 1 g de azafrán.\nCocción: 18–20 min.",
        ),
        (
            "pt",
            "recipe",
            "Pão de queijo (30 unidades)\n500 g de polvilho azedo, 250 ml de leite, 125 ml de óleo, 2 ovos, 200 g de queijo meia cura ralado.\nForno a 200 °C por 25 min.",
        ),
        (
            "pl",
            "recipe",
            "Sernik krakowski\n1 kg twarogu, 6 jajek, 200 g cukru, 150 g masła, 1 łyżka mąki ziemniaczanej.\nPiec 60 minut w 170 °C.",
        ),
        (
            "nl",
            "recipe",
            "Erwtensoep (6 personen)\n500 g spliterwten, 2 l water, 1 rookworst (275 g), 250 g knolselderij, 2 wortels, 1 prei.\nKooktijd: 2 uur.",
        ),
        (
            "de",
            "ecommerce_product",
            "Laufschuh Modell Tempo 4\nGrößen 40–47 · Sprengung 8 mm · Gewicht 248 g (Gr. 42)\nArt.-Nr. LS-4-0412-BLK\nUVP 159,95 € — jetzt 119,95 €\n4,6 von 5 Sternen (2.184 Bewertungen)",
        ),
        (
            "fr",
            "ecommerce_product",
            "Lave-linge 9 kg, 1 400 tr/min, classe A\nRéf. WM-914-A · Dimensions : 84,5 × 59,7 × 57,2 cm\nPrix : 549,99 € dont 10,00 € d'éco-participation\nGarantie 2 ans",
        ),
        (
            "es",
            "ecommerce_product",
            'Smartphone 6,7" 256 GB, 12 GB RAM\nRef. SP-67-256 · Batería 5.000 mAh · 199 g\nPVP 429,00 € · Envío gratis en 24/48 h',
        ),
        (
            "it",
            "ecommerce_product",
            "Macchina da caffè espresso, 1.450 W, 15 bar\nCodice articolo MC-1450 · Serbatoio 1,8 l\nPrezzo: 249,90 € (IVA inclusa)",
        ),
        (
            "pt",
            "ecommerce_product",
            'Smart TV 55" 4K UHD\nCódigo: TV-55-4K-2024 · 60 Hz · 3 HDMI\nDe R$ 3.499,00 por R$ 2.799,00 em até 10x de R$ 279,90',
        ),
        (
            "ja",
            "ecommerce_product",
            "ワイヤレスイヤホン\n型番：WE-2024-BK\n連続再生：最大8時間（ケース込み32時間）\n価格：12,800円（税込）\n送料無料（3,980円以上）",
        ),
        (
            "zh",
            "ecommerce_product",
            "无线蓝牙耳机\n型号：TWS-2024\n续航：8小时（配合充电盒32小时）\n价格：¥299.00\n月销量：1.2万+",
        ),
        (
            "en",
            "sports_results",
            "Tour de France 2024, Stage 9 (Troyes – Troyes, 199 km)\n1. A. Rider  4h19'43\"\n2. B. Racer  +0'00\"\n3. C. Climber +0'03\"\nAverage speed: 45.98 km/h",
        ),
        (
            "de",
            "bank_statement",
            "Kontoauszug 04/2024 — Konto-Nr. ****4417\n01.04. Gehalt  +3.412,55\n03.04. Miete  -1.150,00\n15.04. Lastschrift Stadtwerke  -84,00\nKontostand am 30.04.2024: 4.118,92 EUR",
        ),
        (
            "nl",
            "bank_statement",
            "Afschrift april 2024 — rekening eindigend op 4417\n01-04 Salaris +3.412,55\n03-04 Huur -1.150,00\nSaldo 30-04-2024: € 4.118,92",
        ),
        (
            "en",
            "scientific_text",
            "Samples were centrifuged at 12,000 × g for 10 min at 4 °C. The supernatant (250 µL) was diluted 1:1000 in PBS (pH 7.4). Absorbance at 595 nm was linear between 0.1 and 1.4 mg/mL (R² = 0.998).",
        ),
        (
            "zh",
            "scientific_text",
            "实验组共纳入受试者 1284 例，平均年龄 57.3±8.9 岁，随访 24 周后 HbA1c 下降 0.62%（95% CI 0.41–0.83，P<0.001）。",
        ),
        (
            "ko",
            "news",
            "서울시는 2024년 예산을 45조 7,405억 원으로 확정했다고 6일 밝혔다. 이는 전년 대비 1.4% 증가한 규모다.",
        ),
        (
            "ar",
            "news",
            "أعلنت الوزارة أن عدد الزوار بلغ 1,284,112 زائرا في عام 2023، بزيادة قدرها 12.4% مقارنة بالعام السابق.",
        ),
        (
            "en",
            "changelog",
            "## [1.8.2] - 2024-05-06\n### Fixed\n- Retry on HTTP 429 with exponential backoff (max 32 s)\n- Memory leak in the 1.8.1 streaming parser\n## [1.8.1] - 2024-04-18\n### Changed\n- Minimum Go version is now 1.21",
        ),
        (
            "en",
            "nginx_access_log",
            "\n".join(
                f'{priv_ip()} - - [{ts_nginx()}] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"' for _ in range(4)
            ),
        ),
        (
            "en",
            "syslog_auth",
            f"{ts_syslog()} web-02 sshd[1201]: Accepted publickey for deploy from 10.0.4.12 port 50122 ssh2: ED25519 SHA256:{rs(43, ALNUM + '+/')}\n{ts_syslog()} web-02 sshd[1201]: pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)\n{ts_syslog()} web-02 sshd[1230]: Connection closed by 127.0.0.1 port 41180 [preauth]",
        ),
        (
            "en",
            "weather_table",
            "City        Max  Min  Rain(mm)  Wind(km/h)\nLisbon      24   15   0.0       18\nMadrid      28   13   0.2       12\nWarsaw      17    6   4.8       22\nTokyo       23   17   12.4      9",
        ),
        (
            "pl",
            "news",
            "Według GUS inflacja w kwietniu 2024 r. wyniosła 2,4% r/r. Przeciętne wynagrodzenie w sektorze przedsiębiorstw: 8 271,99 zł brutto.",
        ),
        (
            "it",
            "news",
            "Secondo l'Istat, a marzo 2024 gli occupati erano 23.849.000, con un tasso di disoccupazione del 7,2%.",
        ),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="no_pii_technical_and_prose")


def p_background_check() -> None:
    p = person("en")
    raw = (
        "PRE-EMPLOYMENT SCREENING REPORT — Order 2024-05-06-04821\n\n"
        f"Applicant: {p.full}\nSSN trace: {SS(ssn())} (issued 1998–2000, OH) — no other names found\n"
        f"Phone on file: {PH(phone('en'))}\nE-mail: {EM(email_of(p))}\n"
        "County criminal search (Franklin, OH): CLEAR\nMotor vehicle record: 1 violation (2021, speed 41/25)\n"
        "Education verified: B.S. 2010\n"
    )
    add("en", "background_check_report", raw)


def n_identifiers() -> None:
    texts = [
        (
            "es",
            "book_list",
            "Lecturas recomendadas: Cien años de soledad (ISBN 978-84-376-0494-7), La sombra del viento (ISBN 978-84-08-04364-5).",
        ),
        ("pt", "form", "CEP 01310-100 · CPF ***.456.789-** (mascarado) · Protocolo 2024.05.06.000412"),
        (
            "it",
            "procurement",
            "Codice CIG 9A1B2C3D4E — CUP J41B21000120001 — importo a base d'asta € 1.248.300,00 — scadenza 30/06/2024 ore 12:00",
        ),
        (
            "nl",
            "vehicle_ad",
            "Volkswagen Golf 1.5 TSI, bouwjaar 2019, 84.312 km, APK tot 06-2025, kenteken XX-123-X (verborgen).",
        ),
        (
            "ja",
            "company_info",
            "郵便番号 150-0002 ／ 法人番号 1234567890123 ／ 適格請求書発行事業者登録番号 T1234567890123",
        ),
        ("zh", "company_info", "统一社会信用代码：91110108MA01ABCD2X　注册资本：1000万元人民币　成立日期：2016-03-14"),
        (
            "ko",
            "company_info",
            "상호: 한빛소프트 주식회사 | 사업자등록번호: 214-86-12345 | 통신판매업신고: 제2024-서울강남-01234호",
        ),
        ("en", "shipping", "UPS 1Z999AA10123456784 · USPS 9400 1000 0000 0000 0000 00 · FedEx 7489 1234 5678"),
        (
            "en",
            "network_inventory",
            "ap-lobby  MAC 00:1A:2B:3C:4D:5E  BSSID 3c:6a:a7:1b:22:9f  serial 4C1D-8F2A-77E0-91B3  fw 7.4.2",
        ),
        (
            "de",
            "vehicle_ad",
            "Fahrgestellnummer WVWZZZ1JZXW000001, Erstzulassung 03/2019, 84.312 km, HU 06/2025, 110 kW (150 PS).",
        ),
        ("en", "coordinates", "Meeting point: 40.7128° N, 74.0060° W (elevation 10 m). Backup: 40.758896, -73.985130."),
        (
            "pl",
            "invalid_phones",
            "Numery do testów: 000 000 000 oraz +48 000 000 000 — nie są przydzielone żadnemu abonentowi.",
        ),
        ("fr", "invalid_phones", "Dans nos maquettes, nous utilisons le numéro fictif 00 00 00 00 00."),
        (
            "en",
            "hardware_ids",
            "PCI 8086:15f3 rev 03 · USB 046d:c52b · UUID 4C4C4544-0052-3610-8036-B4C04F4E5A32 · EDID serial 0x01010101",
        ),
    ]
    for lang, ctx, text in texts:
        add(lang, ctx, text, category="other_identifiers", ok=("1234567890123",))


# ---------------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------------

VALIDATORS = {
    EMAIL: valid_email,
    IPADDR: valid_ip,
    CARD: valid_card,
    IBAN: valid_iban,
    SSN: valid_ssn,
    SECRET: valid_secret,
    HANDLE: valid_handle,
}
_SCAN_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SCAN_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![.\d])")
_SCAN_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_SCAN_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
_SCAN_CARD = re.compile(r"(?<![\d])\d(?:[ -]?\d){11,18}(?!\d)")
_SCAN_TOKEN = re.compile(
    r"AKIA[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[bpa]-[\w-]{20,}|sk_live_\w{20,}|eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+|-----BEGIN [A-Z ]*PRIVATE KEY"
)


def check_record(rec: dict[str, Any]) -> list[str]:
    """Problems with one record: invalid or overlapping spans, and valid-looking PII that is not labelled."""
    text, spans, lang = rec["text"], rec["spans"], rec["lang"]
    problems = []
    last_end = 0
    for s in sorted(spans, key=lambda s: s["start"]):
        value = text[s["start"] : s["end"]]
        if s["start"] < last_end:
            problems.append(f"overlapping span {value!r}")
        last_end = s["end"]
        if value != value.strip() or not value:
            problems.append(f"span with surrounding space {value!r}")
        ok = phone_ok(value, lang) if s["entity"] == PHONE else VALIDATORS[s["entity"]](value)
        if not ok:
            problems.append(f"invalid {s['entity']} {value!r}")

    def covered(a: int, b: int) -> bool:
        return any(s["start"] <= a and b <= s["end"] for s in spans)

    def declared(v: str) -> bool:
        compact = v.replace(" ", "").replace("-", "")
        return any(o and (o in v or v in o or o in compact) for o in rec["_ok"])

    for regex, is_pii, what in (
        (_SCAN_EMAIL, valid_email, "e-mail"),
        (_SCAN_IPV4, valid_ip, "IPv4"),
        (_SCAN_IBAN, valid_iban, "IBAN"),
        (_SCAN_SSN, valid_ssn, "SSN"),
        (_SCAN_CARD, valid_card, "card"),
        (_SCAN_TOKEN, lambda v: True, "token"),
    ):
        for m in regex.finditer(text):
            v = m.group()
            if is_pii(v) and not covered(m.start(), m.end()) and not declared(v):
                problems.append(f"unlabelled {what} {v!r}")
    return problems


def phone_matcher_report() -> list[str]:
    """Numbers libphonenumber's own matcher finds but that are not labelled (for a manual look; not errors)."""
    out = []
    for rec in RECORDS:
        region = REGION.get(rec["lang"], "US")
        for m in phonenumbers.PhoneNumberMatcher(rec["text"], region, leniency=phonenumbers.Leniency.VALID):
            if not any(s["start"] <= m.start < s["end"] for s in rec["spans"]):
                out.append(f"{rec['id']} [{rec['category']}/{rec['context']}] {m.raw_string!r}")
    return out


# ---------------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------------

EU8 = ("en", "de", "fr", "es", "it", "nl", "pl", "pt")


def generate() -> list[dict[str, Any]]:
    RECORDS.clear()
    # Texts with PII.
    for lang in EU8:
        p_forum(lang)
        p_comments(lang)
        p_gov_contact(lang)
        p_ngo_donation(lang)
        p_cv(lang)
        p_mailing_list(lang)
        p_recipe_blog(lang)
    for lang in (*EU8, "ja", "zh"):
        p_classified(lang)
    for lang in ("en", "de", "fr", "es", "it", "nl"):
        p_press_release(lang)
    for lang in ("en", "de", "fr", "es", "it", "pt"):
        p_science(lang)
    for lang in ("de", "fr", "it", "es", "nl", "pl"):
        p_dpo(lang)
    for variant in ("en", "es", "de", "fr", "pt", "it", "ja", "zh"):
        p_support_chat(variant)
    for lang in ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ja", "zh", "ko", "ar"):
        p_card_i18n(lang)
        p_social(lang)
        p_social(lang)
    for lang in ("de", "fr", "nl", "es", "it"):
        p_bank_statement(lang)
    for lang in ("pt", "pl", "es", "it", "fr", "de", "nl", "en", "ar"):
        p_invoice(lang)
    for lang in ("ja", "zh", "ko", "ar", "ja", "zh"):
        p_cjk_contact(lang)
    for lang in ("en", "de", "fr", "es", "pt"):
        p_key_paste(lang)
    for lang in ("en", "pl", "pt", "de"):
        p_game_server(lang)
    for lang in ("de", "en", "pl", "nl"):
        p_product_seller(lang)
    for lang in ("nl", "pl", "en"):
        p_crm_csv(lang)
    for lang in ("pt", "es", "it"):
        p_hotel_booking(lang)
    for lang in ("en", "de", "fr"):
        p_email_headers(lang)
        p_wp_comment(lang)
    for _ in range(3):
        p_nginx_access()
        p_syslog_auth()
        p_json_logs()
        p_shell_history()
        p_leak_chat()
    for _ in range(2):
        p_nginx_error()
        p_haproxy()
        p_postfix()
        p_iis()
        p_ufw()
        p_cloudtrail()
        p_whois()
        p_traceroute()
        p_ip_addr()
        p_dockerfile()
        p_k8s_secret()
        p_terraform()
        p_gcp_sa()
        p_readme_thanks()
        p_git_patch()
        p_fax_order()
        p_github_issue()
        p_slack_export()
        p_telegram_bot()
        p_http_dump()
        p_sql_dump("customers")
        p_sql_dump("payments")
        p_sql_dump("employees")
        p_mortgage("en")
    for _ in range(4):
        p_background_check()
        p_hr_record()
        p_tax_form()
        p_json_debug_log()
    for variant in range(3):
        p_jupyter(variant)
        p_stackoverflow(variant)
    p_mortgage("es")
    p_identity_forum()
    p_sql_dump("suppliers")
    p_k8s_tls()
    p_tfvars()
    p_dotfiles()
    p_ci_config()
    p_gitlab_ci()
    p_spring_props()
    p_laravel_env()
    p_php_array()
    p_ansible()
    p_gradle()
    p_python_requests()
    p_azure()
    p_xml_config()
    p_env_file()
    # Hard negatives.
    n_ip_version()
    n_private_ip()
    n_timestamps()
    n_phone_like_numbers()
    n_card_like()
    n_bank_business_ids()
    n_ssn_like()
    n_secret_placeholder()
    n_hashes_and_ids()
    n_email_like()
    n_at_not_handle()
    n_general()
    n_identifiers()
    for i, rec in enumerate(RECORDS):
        rec["id"] = f"heldout-{i:04d}"
    return RECORDS


def without_encoding_prefix(record):
    """Labelling policy from session 5 on: the ``base64:`` before a Laravel APP_KEY names the encoding and is no
    part of the secret (as ``Bearer `` is none of a token's). Applied when writing, after all checks."""
    for span in record["spans"]:
        if span["entity"] == "SECRET" and record["text"].startswith("base64:", span["start"]):
            span["start"] += len("base64:")
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--phone-report", action="store_true", help="list numbers libphonenumber finds unlabelled")
    args = parser.parse_args()

    records = generate()
    problems = [f"{r['id']} ({r['context']}): {p}" for r in records for p in check_record(r)]
    texts = Counter(r["text"] for r in records)
    problems += [f"duplicate text: {t[:60]!r}" for t, n in texts.items() if n > 1]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(f"{len(problems)} problems")
    if args.phone_report:
        print("\n".join(phone_matcher_report()))

    spans = Counter(s["entity"] for r in records for s in r["spans"])
    negatives = [r for r in records if not r["spans"]]
    assert sum(spans.values()) >= 250 and all(spans[e] >= 25 for e in ENTITY_NAMES), spans
    assert len(negatives) >= 250, len(negatives)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for r in records:
            row = {k: r[k] for k in ("id", "text", "lang", "context", "category", "spans")}
            handle.write(json.dumps(without_encoding_prefix(row), ensure_ascii=False) + "\n")
    print(
        f"wrote {args.out}: {len(records)} texts, {len(records) - len(negatives)} with PII ({sum(spans.values())} spans), {len(negatives)} hard negatives"
    )
    print("spans:", dict(spans.most_common()))
    print("langs (all):", dict(Counter(r["lang"] for r in records).most_common()))
    print("langs (with PII):", dict(Counter(r["lang"] for r in records if r["spans"]).most_common()))
    print("negatives:", dict(Counter(r["category"] for r in negatives).most_common()))
    print("contexts:", len({r["context"] for r in records}))


if __name__ == "__main__":
    main()
