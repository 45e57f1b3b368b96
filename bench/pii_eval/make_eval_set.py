#!/usr/bin/env python
"""Generate the PII-detection evaluation set ``bench/pii_eval/pii_eval.jsonl`` (seeded, deterministic).

Every text is written here: templates (below) filled with fake values generated here. Nothing is copied from a
real person or a real leak. Values are built to be *valid* for their type, so a detector that validates (Luhn,
mod-97, ``phonenumbers``, ``ipaddress``) should accept every positive:

* EMAIL_ADDRESS: fake names at made-up domains (never example.com/.org/.net, which are allow-listed and appear only in
  negatives); plus-tags and sub-domains included.
* PHONE_NUMBER: generated per region, kept only when ``phonenumbers.is_valid_number`` accepts it, written in the
  region's own national formats (``(415) 555-2671``, ``030 12345678``, ``01 42 68 53 00``, ``(11) 91234-5678`` ...) in
  texts of that region's language, or in international form (``+49 (0)30 1234567``, ``+33 1 42 68 53 00``) anywhere.
  The generator's language to region map is the detector's: en US, fr FR, de DE, es ES, pt BR, it IT, zh CN, ja JP,
  nl NL, pl PL.
* IP_ADDRESS: IPv4 and IPv6 (compressed and full forms) for which ``ipaddress.ip_address(x).is_global`` holds.
* CREDIT_CARD: Luhn-valid numbers with real IIN prefixes (Visa, Mastercard 51-55 and 2221-2720, Amex, Discover, JCB).
* IBAN: correct mod-97 check digits (and national check digits for BE, ES, FR, IT, PT) for DE FR GB ES IT NL BE CH
  PL AT PT.
* US_SSN: ``NNN-NN-NNNN`` with area numbers outside 000, 666 and 900-999, and never the well-known fake numbers.
* SECRET: AWS access key ids, GitHub (``ghp_``, ``gho_``, ``ghs_``, ``ghu_``, ``github_pat_``), GitLab, Slack tokens,
  private-key blocks (the span is the whole BEGIN...END block), JWTs and generic high-entropy values of
  ``key = "value"`` assignments (the span is the value only, without quotes).
* USER_HANDLE: ``@handles`` in social-media-like text; the span includes the ``@``.

Negatives hold no PII but look like it (``category`` names which look-alike). Each record:
``{"id", "text", "lang", "context", "category", "spans": [{"start", "end", "entity"}]}``; ``category`` is
``positive`` for texts with spans. Every span is checked (``text[start:end]`` is the generated value, no overlaps).

Usage: ``python bench/pii_eval/make_eval_set.py [--seed N] [--out PATH]``.
"""

from __future__ import annotations

import argparse
import base64
import ipaddress
import json
import random
import re
import string
import textwrap
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "pii_eval.jsonl"
DEFAULT_SEED = 20240512

ENTITIES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "IP_ADDRESS",
    "CREDIT_CARD",
    "IBAN",
    "US_SSN",
    "SECRET",
    "USER_HANDLE",
)
LANG_REGION = {
    "en": "US",
    "fr": "FR",
    "de": "DE",
    "es": "ES",
    "pt": "BR",
    "it": "IT",
    "zh": "CN",
    "ja": "JP",
    "nl": "NL",
    "pl": "PL",
}
# ⟪slot⟫ or ⟪slot:instance⟫: the same slot and instance inside one template get the same value; people, companies
# and domains are shared by every slot of the same instance (so an e-mail matches the name beside it).
SLOT = re.compile(r"⟪([a-z0-9_]+)(?::([a-z0-9]+))?⟫")

# ---------------------------------------------------------------------------------------------------------------
# Name and word pools (all fake combinations)
# ---------------------------------------------------------------------------------------------------------------

NAMES: dict[str, tuple[list[str], list[str]]] = {
    "en": (
        "James Mary Robert Patricia Michael Jennifer David Linda Daniel Sarah Kevin Emily Brian Megan Jason Rachel "
        "Tyler Hannah Ethan Olivia Marcus Tanya Derek Paige".split(),
        "Smith Johnson Carter Whitfield Nguyen Patel Okafor Brennan Holloway Reyes Donovan Kowalski Fitzgerald "
        "Hartley Sutton Mercer Lindqvist Abernathy Castellano Pruitt".split(),
    ),
    "fr": (
        "Camille Julien Léa Mathieu Chloé Antoine Élodie Nicolas Margaux Sébastien Inès Baptiste Hélène Rémi".split(),
        "Martin Lefèvre Dubois Moreau Girard Rousseau Fontaine Chevalier Lambert Bonnet Mercier Faure Perrin".split(),
    ),
    "de": (
        "Lukas Anna Jonas Lena Felix Sophie Maximilian Katharina Tobias Julia Florian Hannah Jürgen Sabine".split(),
        "Müller Schmidt Schneider Fischer Weber Wagner Becker Hoffmann Schäfer Koch Richter Krüger Hartmann".split(),
    ),
    "es": (
        "Alejandro Lucía Javier María Pablo Carmen Sergio Elena Diego Paula Andrés Marta Íñigo Nuria".split(),
        "García Fernández López Martínez Sánchez Romero Navarro Torres Domínguez Gil Vázquez Ortega Prieto".split(),
    ),
    "pt": (
        "João Ana Pedro Mariana Lucas Beatriz Gabriel Juliana Rafael Camila Thiago Larissa Vinícius".split(),
        "Silva Santos Oliveira Souza Pereira Costa Rodrigues Almeida Nascimento Carvalho Ribeiro Araújo".split(),
    ),
    "it": (
        "Marco Giulia Luca Francesca Alessandro Chiara Matteo Sara Davide Valentina Niccolò".split(),
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno".split(),
    ),
    "nl": ("Daan Sanne Bram Fleur Ruben Lotte".split(), ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Mulder"]),
    "pl": ("Piotr Agnieszka Tomasz Katarzyna Paweł Magdalena".split(), "Nowak Kowalczyk Wiśniewski Wójcik".split()),
    # display|romanisation
    "zh": (
        "伟|wei 芳|fang 娜|na 敏|min 静|jing 磊|lei 强|qiang 洋|yang 婷|ting 杰|jie 晓明|xiaoming 丽华|lihua".split(),
        "王|wang 李|li 张|zhang 刘|liu 陈|chen 杨|yang 黄|huang 赵|zhao 周|zhou 吴|wu".split(),
    ),
    "ja": (
        "翔太|shota 陽菜|hina 大輔|daisuke 美咲|misaki 健太|kenta 結衣|yui 拓海|takumi 彩|aya 直樹|naoki".split(),
        "佐藤|sato 鈴木|suzuki 高橋|takahashi 田中|tanaka 伊藤|ito 渡辺|watanabe 山本|yamamoto 中村|nakamura".split(),
    ),
}

SYL_A = "vel bright nor quill lark blau mar sol kin dor fen gal tes brom cal hal ost wes ner tor lum aster".split()
SYL_B = "ano wave vik stone ora berg eval entia hof ix ly mont ridge field gate ium tek nova grid port".split()
TLDS = {
    "en": [".com", ".net", ".io", ".co", ".org", ".us"],
    "fr": [".fr", ".com", ".eu"],
    "de": [".de", ".com", ".eu", ".at"],
    "es": [".es", ".com"],
    "pt": [".com.br", ".com"],
    "it": [".it", ".com"],
    "zh": [".cn", ".com.cn", ".com"],
    "ja": [".co.jp", ".jp"],
    "nl": [".nl"],
    "pl": [".pl"],
}
ORG_SUFFIX = {
    "en": ["Inc.", "LLC", "Ltd.", "Group", "Partners"],
    "fr": ["SARL", "SAS", "& Associés"],
    "de": ["GmbH", "AG", "GmbH & Co. KG"],
    "es": ["S.L.", "S.A."],
    "pt": ["Ltda.", "S.A."],
    "it": ["S.r.l.", "S.p.A."],
    "nl": ["B.V."],
    "pl": ["sp. z o.o."],
}
CJK_ORGS = {
    "zh": ["星河科技有限公司|xinghe", "华辰软件有限公司|huachen", "蓝海贸易有限公司|lanhai", "启明网络科技|qiming"],
    "ja": ["株式会社さくらテック|sakuratech", "ミナト商事株式会社|minato", "株式会社ひかり精工|hikariseiko"],
}
ROLE_LOCAL = {
    "en": "info contact support sales hello press privacy careers billing".split(),
    "fr": "contact info rh commercial accueil dpo".split(),
    "de": "info kontakt service vertrieb bewerbung datenschutz".split(),
    "es": "info contacto ventas atencion.cliente rrhh".split(),
    "pt": "contato atendimento vendas sac faleconosco".split(),
    "it": "info segreteria prenotazioni amministrazione".split(),
    "zh": "service hr support kefu".split(),
    "ja": "info support sales".split(),
    "nl": "info klantenservice".split(),
    "pl": "biuro kontakt".split(),
}
CITIES = {
    "en": ["Springfield, IL 62704", "Austin, TX 78701", "Portland, OR 97205", "Columbus, OH 43215"],
    "fr": ["Lyon", "Nantes", "Toulouse", "Lille", "Rennes"],
    "de": ["Berlin", "Hamburg", "München", "Köln", "Leipzig"],
    "es": ["Madrid", "Valencia", "Sevilla", "Zaragoza"],
    "pt": ["São Paulo – SP", "Campinas – SP", "Belo Horizonte – MG", "Curitiba – PR"],
    "it": ["Bologna", "Torino", "Firenze"],
    "zh": ["北京市朝阳区", "上海市浦东新区", "深圳市南山区"],
    "ja": ["東京都千代田区", "大阪市北区", "横浜市西区"],
    "nl": ["Utrecht", "Rotterdam"],
    "pl": ["Kraków", "Poznań"],
}
STREETS = {
    "en": ["{n} Maple Avenue", "{n} Oak Street, Suite 200", "{n} Harbor Blvd"],
    "fr": ["{n} rue des Lilas", "{n} avenue Jean Jaurès", "{n} boulevard Voltaire"],
    "de": ["Hauptstraße {n}", "Lindenweg {n}", "Am Markt {n}"],
    "es": ["Calle Mayor {n}", "Avenida de la Constitución {n}"],
    "pt": ["Rua das Flores, {n}", "Av. Paulista, {n}"],
    "it": ["Via Roma {n}", "Corso Garibaldi {n}"],
    "zh": ["建国路{n}号", "科技园南路{n}号"],
    "ja": ["丸の内1-{n}-3", "梅田2-{n}-1"],
    "nl": ["Oudegracht {n}"],
    "pl": ["ul. Długa {n}"],
}
COUNTRIES = ["Germany", "France", "Spain", "Italy", "Poland", "Netherlands", "Portugal", "Belgium", "Austria"]
ORGS_GH = ["acme-internal", "veltrano", "data-platform", "brightwave-labs", "ops-team"]

# ---------------------------------------------------------------------------------------------------------------
# Validators and value generators
# ---------------------------------------------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    text = text.replace("ß", "ss").replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_complete(partial: str) -> str:
    for d in "0123456789":
        if luhn_ok(partial + d):
            return partial + d
    raise AssertionError("unreachable")


def iban_numeric(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text))


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    return iban_numeric(compact[4:] + compact[:4]) % 97 == 1


def iban_from_bban(country: str, bban: str) -> str:
    check = 98 - iban_numeric(bban + country + "00") % 97
    return f"{country}{check:02d}{bban}"


def ssn_ok(ssn: str) -> bool:
    match = re.fullmatch(r"(\d{3})-(\d{2})-(\d{4})", ssn)
    if not match:
        return False
    area, group, serial = match.groups()
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def is_public_ip(text: str) -> bool:
    addr = ipaddress.ip_address(text)
    return addr.is_global and not addr.is_multicast and not addr.is_reserved


_IT_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def it_cin(rest: str) -> str:
    """Italian CIN check letter over ABI + CAB + account (22 characters)."""
    total = 0
    for i, ch in enumerate(rest):
        value = int(ch) if ch.isdigit() else ord(ch) - 65
        total += _IT_ODD[value] if i % 2 == 0 else value
    return chr(65 + total % 26)


def es_dc(bank: str, branch: str, account: str) -> str:
    weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def one(digits: str) -> str:
        d = 11 - sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11
        return str({11: 0, 10: 1}.get(d, d))

    return one("00" + bank + branch) + one(account)


def fr_rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    first_ascii: str
    last_ascii: str
    cjk: bool

    @property
    def display(self) -> str:
        return f"{self.last}{self.first}" if self.cjk else f"{self.first} {self.last}"


@dataclass(frozen=True)
class Org:
    name: str
    base: str
    domain: str


PHONE_SEEDS: dict[str, list[tuple[str, int, str]]] = {
    # region: (national significant number prefix, length, kind)
    "US": [
        (p, 10, "fixed") for p in ("212", "415", "617", "312", "206", "303", "512", "646", "305", "720", "404", "919")
    ],
    "CA": [("416", 10, "fixed"), ("604", 10, "fixed")],
    "FR": [*[(p, 9, "fixed") for p in "12345"], ("6", 9, "mobile"), ("7", 9, "mobile")],
    "DE": [
        *[("30", 10, "fixed"), ("30", 9, "fixed"), ("40", 10, "fixed"), ("89", 10, "fixed"), ("221", 10, "fixed")],
        *[("69", 9, "fixed"), ("151", 11, "mobile"), ("160", 10, "mobile"), ("171", 10, "mobile")],
        ("176", 11, "mobile"),
    ],
    "ES": [("91", 9, "fixed"), ("93", 9, "fixed"), ("96", 9, "fixed"), ("6", 9, "mobile"), ("7", 9, "mobile")],
    "BR": [
        ("113", 10, "fixed"),
        ("213", 10, "fixed"),
        ("313", 10, "fixed"),
        ("119", 11, "mobile"),
        ("219", 11, "mobile"),
    ],
    "IT": [("06", 10, "fixed"), ("02", 10, "fixed"), ("055", 10, "fixed"), ("3", 10, "mobile")],
    "GB": [("20", 10, "fixed"), ("161", 10, "fixed"), ("131", 10, "fixed"), ("7", 10, "mobile")],
    "NL": [("20", 9, "fixed"), ("10", 9, "fixed"), ("6", 9, "mobile")],
    "PL": [("22", 9, "fixed"), ("12", 9, "fixed"), ("5", 9, "mobile"), ("6", 9, "mobile")],
    "CH": [("44", 9, "fixed"), ("22", 9, "fixed"), ("79", 9, "mobile")],
    "AT": [("1", 8, "fixed"), ("664", 10, "mobile")],
    "CN": [("13", 11, "mobile"), ("15", 11, "mobile"), ("18", 11, "mobile"), ("10", 10, "fixed")],
    "JP": [("3", 10, "fixed"), ("6", 10, "fixed"), ("90", 10, "mobile"), ("80", 10, "mobile")],
    "PT": [("21", 9, "fixed"), ("91", 9, "mobile")],
    "AU": [("2", 9, "fixed"), ("4", 9, "mobile")],
    "IN": [("98", 10, "mobile")],
}
FOREIGN_REGIONS = ["GB", "FR", "DE", "ES", "IT", "NL", "PL", "CH", "AT", "JP", "CN", "PT", "AU", "IN", "CA", "BR", "US"]
PNF = phonenumbers.PhoneNumberFormat


def check_phone(text: str, region: str, number: phonenumbers.PhoneNumber) -> str:
    parsed = phonenumbers.parse(text, region)
    assert phonenumbers.is_valid_number(parsed), (text, region)
    assert parsed.national_number == number.national_number and parsed.country_code == number.country_code, text
    return text


class Values:
    """Random value generators sharing one seeded RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # -- basic helpers
    def digits(self, n: int, first_nonzero: bool = False) -> str:
        out = "".join(self.rng.choice(string.digits) for _ in range(n))
        if first_nonzero and out[0] == "0":
            out = self.rng.choice("123456789") + out[1:]
        return out

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def pick(self, seq: list[str] | tuple[str, ...]) -> str:
        return self.rng.choice(seq)

    # -- people and organisations
    def person(self, lang: str) -> Person:
        firsts, lasts = NAMES.get(lang, NAMES["en"])
        first, last = self.pick(firsts), self.pick(lasts)
        if lang in ("zh", "ja"):
            f, fa = first.split("|")
            lname, la = last.split("|")
            return Person(f, lname, fa, la, True)
        fa = re.sub(r"[^a-z]", "", ascii_fold(first).lower())
        la = re.sub(r"[^a-z]", "", ascii_fold(last).lower())
        return Person(first, last, fa, la, False)

    def org(self, lang: str) -> Org:
        tld = self.pick(TLDS.get(lang, TLDS["en"]))
        if lang in CJK_ORGS:
            name, base = self.pick(CJK_ORGS[lang]).split("|")
            return Org(name, base, base + tld)
        base = self.pick(SYL_A) + self.pick(SYL_B)
        if self.rng.random() < 0.3:
            base += "-" + self.pick(["analytics", "logistik", "media", "consulting", "labs", "solutions", "design"])
        words = [w.capitalize() for w in base.split("-")]
        name = " ".join(words) + " " + self.pick(ORG_SUFFIX.get(lang, ORG_SUFFIX["en"]))
        return Org(name, base, base + tld)

    def email_local(self, p: Person) -> str:
        f, lname = p.first_ascii, p.last_ascii
        style = self.rng.randrange(9)
        return [
            f"{f}.{lname}",
            f"{f[0]}{lname}",
            f"{f}{lname}",
            f"{f}_{lname}",
            f"{lname}.{f}",
            f"{f}{self.rng.randint(1, 99)}",
            f"{f}.{lname}{self.rng.randint(70, 99)}",
            f"{f[0]}.{lname}",
            f"{lname}{f[0]}",
        ][style]

    # -- phones
    def phone_number(self, region: str, kind: str | None = None) -> phonenumbers.PhoneNumber:
        seeds = [s for s in PHONE_SEEDS[region] if kind is None or s[2] == kind] or PHONE_SEEDS[region]
        cc = phonenumbers.country_code_for_region(region)
        for _ in range(500):
            prefix, length, _kind = self.pick(seeds)  # type: ignore[arg-type]
            nsn = prefix + self.digits(length - len(prefix))
            if region in ("US", "CA") and nsn[3] in "01":
                continue
            number = phonenumbers.parse(f"+{cc}{nsn}")
            if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
                return number
        raise AssertionError(f"no valid number for {region}")

    def phone_text(self, region: str, style: str, kind: str | None = None) -> str:
        number = self.phone_number(region, kind)
        national = phonenumbers.format_number(number, PNF.NATIONAL)
        intl = phonenumbers.format_number(number, PNF.INTERNATIONAL)
        nsn = str(number.national_number)
        if style == "intl":
            return check_phone(intl, region, number)
        if style == "e164":
            return check_phone(phonenumbers.format_number(number, PNF.E164), region, number)
        if style == "intl_trunk":  # +49 (0)30 1234567, +33 (0)1 ...
            cc = str(number.country_code)
            return check_phone(intl.replace(f"+{cc} ", f"+{cc} (0)", 1), region, number)
        if style == "national":
            variants = [national]
            if region in ("US", "CA"):
                variants += [f"{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}", f"{nsn[:3]}.{nsn[3:6]}.{nsn[6:]}"]
                variants += [f"+1 ({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}", f"1-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}"]
            elif region == "FR":
                variants += [national.replace(" ", ".")]
            elif region == "DE":
                area, _, rest = national.partition(" ")
                variants += [f"{area}/{rest.replace(' ', '')}", f"{area}-{rest.replace(' ', '')}"]
            elif region == "ES":
                variants += [nsn, f"{nsn[:3]} {nsn[3:6]} {nsn[6:]}"]
            elif region == "BR":
                variants += [national.replace("(", "").replace(")", "")]
            text = self.pick(variants)
            return check_phone(text, region, number)
        if style == "us_dash":
            return check_phone(f"{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}", region, number)
        if style == "us_dot":
            return check_phone(f"{nsn[:3]}.{nsn[3:6]}.{nsn[6:]}", region, number)
        raise ValueError(style)

    # -- network
    def ipv4(self) -> str:
        while True:
            first = self.rng.randint(1, 223)
            text = f"{first}.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
            if is_public_ip(text) and first not in (10, 100, 127, 169, 172, 192, 198, 203):
                return text

    def ipv6(self, full: bool = False) -> str:
        prefixes = ["2001:4860", "2a00:1450", "2606:4700", "2a03:2880", "2604:a880", "2a01:4f8", "2400:cb00"]
        prefixes += ["2620:0", "2804:14c", "2a02:8108", "2c0f:f8f0", "2405:200", "2001:470", "2a05:d014"]
        while True:
            head = self.pick(prefixes).split(":")
            groups = [*head, *(f"{self.rng.randrange(0x10000):x}" for _ in range(8 - len(head)))]
            zeros = self.rng.random()
            if zeros < 0.5:  # a run of zero groups -> "::"
                start = self.rng.randint(len(head), 5)
                for i in range(start, min(8, start + self.rng.randint(2, 4))):
                    groups[i] = "0"
            elif zeros < 0.7:
                groups[-1] = f"{self.rng.randint(1, 0xFF):x}"
                for i in range(len(head), 7):
                    groups[i] = "0"
            addr = ipaddress.IPv6Address(":".join(groups))
            if is_public_ip(str(addr)):
                return addr.exploded if full else addr.compressed

    def private_ipv4(self) -> str:
        kind = self.rng.randrange(3)
        if kind == 0:
            return f"10.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        if kind == 1:
            return f"172.{self.rng.randint(16, 31)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        return f"192.168.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"

    def hex_group(self) -> str:
        return f"{self.rng.randrange(0x1000, 0x10000):x}"

    def mac(self) -> str:
        octets = [f"{self.rng.randrange(256):02x}" for _ in range(6)]
        style = self.rng.randrange(3)
        if style == 0:
            return ":".join(octets)
        if style == 1:
            return ":".join(octets).upper()
        return "-".join(octets).upper()

    # -- payment
    def card(self, brand: str | None = None) -> tuple[str, str]:
        brand = brand or self.pick(["visa", "visa", "mc", "mc", "amex", "disc", "jcb"])
        if brand == "visa":
            partial = "4" + self.digits(14)
        elif brand == "mc":
            iin = self.pick([str(self.rng.randint(51, 55)), str(self.rng.randint(2221, 2720))])
            partial = iin + self.digits(15 - len(iin))
        elif brand == "amex":
            partial = self.pick(["34", "37"]) + self.digits(12)
        elif brand == "disc":
            iin = self.pick(["6011", "65", str(self.rng.randint(644, 649))])
            partial = iin + self.digits(15 - len(iin))
        else:
            partial = str(self.rng.randint(3528, 3589)) + self.digits(11)
        number = luhn_complete(partial)
        assert luhn_ok(number)
        return number, brand

    def card_text(self, brand: str | None = None, compact: bool | None = None) -> str:
        number, brand = self.card(brand)
        style = self.rng.randrange(3) if compact is None else (0 if compact else self.rng.randint(1, 2))
        if style == 0:
            return number
        sep = " " if style == 1 else "-"
        if brand == "amex":
            return sep.join([number[:4], number[4:10], number[10:]])
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def iban(self, country: str | None = None, grouped: bool | None = None) -> str:
        country = country or self.pick(["DE", "FR", "GB", "ES", "IT", "NL", "BE", "CH", "PL", "AT", "PT"])
        d = self.digits
        if country == "DE":
            bban = d(8, True) + d(10)
        elif country == "FR":
            bank, branch, account = d(5, True), d(5), d(11)
            bban = bank + branch + account + fr_rib_key(bank, branch, account)
        elif country == "GB":
            bban = self.pick(["NWBK", "BARC", "LOYD", "HBUK", "MIDL", "NAIA"]) + d(6) + d(8)
        elif country == "ES":
            bank, branch, account = d(4, True), d(4), d(10)
            bban = bank + branch + es_dc(bank, branch, account) + account
        elif country == "IT":
            rest = d(5, True) + d(5) + d(12)
            bban = it_cin(rest) + rest
        elif country == "NL":
            bban = self.pick(["ABNA", "INGB", "RABO", "TRIO", "KNAB", "SNSB"]) + d(10)
        elif country == "BE":
            first = d(10, True)
            check = int(first) % 97 or 97
            bban = first + f"{check:02d}"
        elif country == "CH":
            bban = d(5) + d(12)
        elif country == "PL":
            bban = d(24, True)
        elif country == "AT":
            bban = d(5, True) + d(11)
        elif country == "PT":
            body = d(19, True)
            bban = body + f"{98 - int(body) * 100 % 97:02d}"
        else:
            raise ValueError(country)
        iban = iban_from_bban(country, bban)
        assert iban_ok(iban), iban
        if grouped is None:
            grouped = self.rng.random() < 0.65
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if grouped else iban

    def bic(self, country: str) -> str:
        bic = self.chars(string.ascii_uppercase, 4) + country + self.chars(string.ascii_uppercase + "0123456789", 2)
        return bic + (self.pick(["", "", "XXX"]))

    def ssn(self) -> str:
        while True:
            area = self.rng.randint(1, 899)
            text = f"{area:03d}-{self.rng.randint(1, 99):02d}-{self.rng.randint(1, 9999):04d}"
            if ssn_ok(text) and text not in ("078-05-1120", "219-09-9999", "123-45-6789"):
                return text

    # -- secrets
    ALNUM = string.ascii_letters + string.digits

    def aws_key(self) -> str:
        return "AKIA" + self.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)

    def aws_secret(self) -> str:
        return self.chars(self.ALNUM + "+/", 40)

    def github(self) -> str:
        return self.pick(["ghp_", "ghp_", "gho_", "ghs_", "ghu_"]) + self.chars(self.ALNUM, 36)

    def github_pat(self) -> str:
        return "github_pat_" + self.chars(self.ALNUM, 22) + "_" + self.chars(self.ALNUM, 59)

    def gitlab(self) -> str:
        return "glpat-" + self.chars(self.ALNUM, 1) + self.chars(self.ALNUM + "_-", 18) + self.chars(self.ALNUM, 1)

    def slack(self, kind: str | None = None) -> str:
        kind = kind or self.pick(["xoxb", "xoxp"])
        if kind == "xoxb":
            return f"xoxb-{self.digits(11, True)}-{self.digits(13, True)}-{self.chars(self.ALNUM, 24)}"
        return f"xoxp-{self.digits(11, True)}-{self.digits(11, True)}-{self.digits(13, True)}-" + self.chars(
            "0123456789abcdef", 32
        )

    def pem_body(self, header: bytes, size: int, indent: str = "") -> str:
        raw = header + self.rng.randbytes(size)
        b64 = base64.b64encode(raw).decode()
        lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
        return ("\n" + indent).join(lines)

    def private_key(self, indent: str = "") -> str:
        kind = self.pick(["RSA PRIVATE KEY", "RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
        header = {
            "RSA PRIVATE KEY": (bytes.fromhex("308204a30201000282010100"), 600),
            "PRIVATE KEY": (bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7"), 620),
            "EC PRIVATE KEY": (bytes.fromhex("30770201010420"), 105),
            "OPENSSH PRIVATE KEY": (b"openssh-key-v1\x00\x00\x00\x00\x04none", 380),
        }[kind]
        body = self.pem_body(header[0], header[1] + self.rng.randint(0, 60), indent)
        return f"-----BEGIN {kind}-----\n{indent}{body}\n{indent}-----END {kind}-----"

    def jwt(self, person: Person) -> str:
        def b64url(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).decode().rstrip("=")

        alg = self.pick(["HS256", "HS256", "RS256"])
        header = json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode()
        claims = {"sub": self.digits(8, True), "name": f"{person.first_ascii} {person.last_ascii}".title()}
        claims["iat"] = self.rng.randint(1_600_000_000, 1_720_000_000)
        if self.rng.random() < 0.5:
            claims["exp"] = claims["iat"] + 3600
        payload = json.dumps(claims, separators=(",", ":")).encode()
        sig = self.rng.randbytes(32 if alg == "HS256" else 256)
        token = f"{b64url(header)}.{b64url(payload)}.{b64url(sig)}"
        assert token.startswith("eyJ") and token.split(".")[1].startswith("eyJ")
        return token

    def high_entropy(self) -> str:
        style = self.rng.randrange(5)
        if style == 0:
            return self.chars("0123456789abcdef", 32)
        if style == 1:
            return self.chars("0123456789abcdef", 40)
        if style == 2:
            return self.chars(self.ALNUM, self.rng.randint(32, 44))
        if style == 3:
            return "sk_live_" + self.chars(self.ALNUM, 24)
        return base64.b64encode(self.rng.randbytes(30)).decode()

    def password(self) -> str:
        while True:
            pw = self.chars(self.ALNUM + "!#%*-_.+=?", self.rng.randint(14, 22))
            if (
                any(c.isdigit() for c in pw)
                and any(c.islower() for c in pw)
                and any(c.isupper() for c in pw)
                and any(c in "!#%*-_.+=?" for c in pw)
            ):
                return pw

    def django_key(self) -> str:
        return "django-insecure-" + self.chars(string.ascii_lowercase + string.digits + "!#%^&*(-_=+)", 50)

    def openai_key(self) -> str:
        return "sk-proj-" + self.chars(self.ALNUM, 20) + "T3BlbkFJ" + self.chars(self.ALNUM, 20)

    # -- handles
    def handle(self, p: Person) -> str:
        f, lname = p.first_ascii, p.last_ascii
        options = [
            f"{f}{lname}",
            f"{f}_{lname}",
            f"{f[0]}{lname}{self.rng.randint(1, 99)}",
            f"{f.capitalize()}{lname.capitalize()}",
            f"the_real_{f}",
            f"{lname}_{self.pick(['dev', 'art', 'photo', 'fit', 'eats', 'codes'])}",
            f"{f}{self.rng.randint(80, 99)}",
            f"{self.pick(['its', 'hey', 'just'])}{f}",
        ]
        return "@" + self.pick(options)[:15]


# ---------------------------------------------------------------------------------------------------------------
# Template filling
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Fill:
    """Values of one template instance."""

    v: Values
    lang: str
    cache: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)

    @property
    def region(self) -> str:
        return LANG_REGION.get(self.lang, "US")

    def person(self, idx: str) -> Person:
        if idx not in self.people:
            self.people[idx] = self.v.person(self.lang)
        return self.people[idx]

    def org(self, idx: str) -> Org:
        if idx not in self.orgs:
            self.orgs[idx] = self.v.org(self.lang)
        return self.orgs[idx]

    def get(self, slot: str, idx: str) -> tuple[str, str | None]:
        key = f"{slot}:{idx}"
        if key not in self.cache:
            gen, entity = SLOTS[slot]
            self.cache[key] = (gen(self, idx), entity)
        return self.cache[key]


def _email(f: Fill, idx: str) -> str:
    return f"{f.v.email_local(f.person(idx))}@{f.org(idx).domain}"


def _email_plus(f: Fill, idx: str) -> str:
    tag = f.v.pick(["news", "shop", "github", "amazon", "spam", "2024", "receipts", "travel"])
    local = f.v.email_local(f.person(idx))
    return f"{local}+{tag}@{f.org(idx).domain}"


def _email_sub(f: Fill, idx: str) -> str:
    sub = f.v.pick(["mail", "eu", "corp", "students", "alumni", "research", "mx.eu", "dept.physics", "lists"])
    return f"{f.v.email_local(f.person(idx))}@{sub}.{f.org(idx).domain}"


def _role(f: Fill, idx: str) -> str:
    return f"{f.v.pick(ROLE_LOCAL.get(f.lang, ROLE_LOCAL['en']))}@{f.org(idx).domain}"


def _ex_email(f: Fill, idx: str) -> str:
    p = f.person(idx)
    domain = f.v.pick(["example.com", "example.org", "example.net", "mail.example.com", "example.com"])
    return f"{p.first_ascii}.{p.last_ascii}@{domain}"


def _phone_style(style: str, kind: str | None = None, region: str | None = None) -> Callable[[Fill, str], str]:
    def gen(f: Fill, idx: str) -> str:
        return f.v.phone_text(region or f.region, style, kind)

    return gen


def _phone(f: Fill, idx: str) -> str:
    style = "national" if f.v.rng.random() < 0.75 else f.v.pick(["intl", "intl", "intl_trunk"])
    if f.region in ("US", "CN", "JP", "BR", "ES", "IT", "NL", "PL") and style == "intl_trunk":
        style = "intl"
    return f.v.phone_text(f.region, style)


def _phone_foreign(f: Fill, idx: str) -> str:
    region = f.v.pick([r for r in FOREIGN_REGIONS if r != f.region])
    return f.v.phone_text(region, "intl")


def _tollfree(f: Fill, idx: str) -> str:
    for _ in range(100):
        nsn = f.v.pick(["800", "888", "877", "866"]) + f.v.digits(7)
        if nsn[3] in "01":
            continue
        number = phonenumbers.parse("+1" + nsn)
        if phonenumbers.is_valid_number(number):
            return check_phone(f"1-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}", "US", number)
    raise AssertionError("no toll-free number")


def _pkey(f: Fill, idx: str) -> str:
    return f.v.private_key()


def _pkey_yaml(f: Fill, idx: str) -> str:
    return f.v.private_key(indent="    ")


def _date(f: Fill, idx: str) -> str:
    return f"{f.v.rng.randint(2015, 2025)}-{f.v.rng.randint(1, 12):02d}-{f.v.rng.randint(1, 28):02d}"


def _date_local(f: Fill, idx: str) -> str:
    y, m, d = f.v.rng.randint(2015, 2025), f.v.rng.randint(1, 12), f.v.rng.randint(1, 28)
    if f.lang == "de":
        return f"{d:02d}.{m:02d}.{y}"
    if f.lang in ("fr", "es", "pt", "it"):
        return f"{d:02d}/{m:02d}/{y}"
    if f.lang in ("zh", "ja"):
        return f"{y}年{m}月{d}日"
    return f"{m:02d}/{d:02d}/{y}"


def _time(f: Fill, idx: str) -> str:
    return f"{f.v.rng.randint(0, 23):02d}:{f.v.rng.randint(0, 59):02d}:{f.v.rng.randint(0, 59):02d}"


def _rfcdate(f: Fill, idx: str) -> str:
    day = f.v.pick(["Mon", "Tue", "Wed", "Thu", "Fri"])
    month = f.v.pick(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Sep", "Oct", "Nov"])
    zone = f"+0{f.v.rng.randint(0, 2)}00"
    return f"{day}, {f.v.rng.randint(1, 28)} {month} {f.v.rng.randint(2016, 2025)} {_time(f, idx)} {zone}"


def _clfdate(f: Fill, idx: str) -> str:
    month = f.v.pick(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Sep", "Oct", "Nov"])
    return f"{f.v.rng.randint(10, 28)}/{month}/{f.v.rng.randint(2019, 2025)}:{_time(f, idx)} +0000"


def _syslogdate(f: Fill, idx: str) -> str:
    month = f.v.pick(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Sep", "Oct", "Nov"])
    return f"{month} {f.v.rng.randint(1, 28):2d} {_time(f, idx)}"


def _version4(f: Fill, idx: str) -> str:
    r = f.v.rng
    return f"{r.randint(1, 12)}.{r.randint(0, 20)}.{r.randint(0, 40)}.{r.randint(0, 255)}"


def _isbn13(f: Fill, idx: str) -> str:
    r = f.v.rng
    group = r.choice(["0", "1", "2", "3", "84", "85", "88", "7", "4"])
    publisher = f.v.digits(r.randint(2, 5), True)
    item = f.v.digits(12 - 3 - len(group) - len(publisher))
    body = "978" + group + publisher + item
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    return f"978-{group}-{publisher}-{item}-{check}"


def _isbn10(f: Fill, idx: str) -> str:
    body = f.v.rng.choice(["0", "1", "3"]) + f.v.digits(8)
    check = (11 - sum(int(c) * (10 - i) for i, c in enumerate(body)) % 11) % 11
    return f"{body[0]}-{body[1:4]}-{body[4:9]}-{'X' if check == 10 else check}"


def _doi(f: Fill, idx: str) -> str:
    r = f.v.rng
    suffix = r.choice(
        [
            f"j.cell.{r.randint(2005, 2024)}.{r.randint(1, 12):02d}.{r.randint(1, 99):03d}",
            f"nature{r.randint(10000, 99999)}",
            f"s41586-0{r.randint(18, 24)}-{r.randint(1000, 9999):05d}-{r.randint(0, 9)}",
            f"{r.randint(1000000, 9999999)}.{r.randint(1000000, 9999999)}",
            "xyz" + f.v.digits(3),
            f"PhysRevLett.{r.randint(100, 130)}.{r.randint(100000, 299999)}",
        ]
    )
    return f"10.{r.randint(1000, 9999)}/{suffix}"


def _badluhn(n: int) -> Callable[[Fill, str], str]:
    def gen(f: Fill, idx: str) -> str:
        while True:
            number = f.v.digits(n, True)
            if not luhn_ok(number):
                return number

    return gen


def _badluhn_grouped(f: Fill, idx: str) -> str:
    number = _badluhn(16)(f, idx)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def _ean13(f: Fill, idx: str) -> str:
    while True:
        body = f.v.pick(["400", "300", "500", "800", "760", "590"]) + f.v.digits(9)
        check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
        code = body + str(check)
        if not luhn_ok(code):
            return code


def _bad_iban(f: Fill, idx: str) -> str:
    iban = f.v.iban(grouped=False)
    check = int(iban[2:4])
    wrong = f"{(check + f.v.rng.randint(1, 96)) % 97 + 2:02d}"[-2:]
    if wrong == iban[2:4]:
        wrong = f"{(check + 3) % 90 + 2:02d}"
    bad = iban[:2] + wrong + iban[4:]
    assert not iban_ok(bad)
    return " ".join(bad[i : i + 4] for i in range(0, len(bad), 4))


def _bad_ssn(f: Fill, idx: str) -> str:
    area = f.v.pick(["000", "666", str(f.v.rng.randint(900, 999))])
    return f"{area}-{f.v.rng.randint(1, 99):02d}-{f.v.rng.randint(1, 9999):04d}"


def _doc_ip(f: Fill, idx: str) -> str:
    return f"{f.v.pick(['192.0.2', '198.51.100', '203.0.113'])}.{f.v.rng.randint(1, 254)}"


def _doc_ip6(f: Fill, idx: str) -> str:
    return f"2001:db8:{f.v.rng.randrange(0x10000):x}::{f.v.rng.randint(1, 0xFFFF):x}"


def _uuid(f: Fill, idx: str) -> str:
    return str(uuid.UUID(int=f.v.rng.getrandbits(128), version=4))


def _hex(n: int) -> Callable[[Fill, str], str]:
    return lambda f, idx: f.v.chars("0123456789abcdef", n)


def _b64(n: int) -> Callable[[Fill, str], str]:
    return lambda f, idx: base64.b64encode(f.v.rng.randbytes(n)).decode()


def _pubkey(f: Fill, idx: str) -> str:
    body = f.v.pem_body(bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100"), 240)
    return f"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----"


def _cert(f: Fill, idx: str) -> str:
    body = f.v.pem_body(bytes.fromhex("308203"), 700)
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----"


def _ssh_pub(f: Fill, idx: str) -> str:
    raw = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + f.v.rng.randbytes(32)
    return "ssh-ed25519 " + base64.b64encode(raw).decode()


def _num(lo: int, hi: int) -> Callable[[Fill, str], str]:
    return lambda f, idx: str(f.v.rng.randint(lo, hi))


def _choice(*options: str) -> Callable[[Fill, str], str]:
    return lambda f, idx: f.v.pick(list(options))


def _amount(f: Fill, idx: str) -> str:
    value = f.v.rng.randint(500, 250000) / 100
    if f.lang in ("de", "fr", "es", "it", "pt", "nl", "pl"):
        return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " €"
    return f"${value:,.2f}"


def _bignum(f: Fill, idx: str) -> str:
    return f"{f.v.rng.randint(1_000_000, 1_400_000_000):,}"


def _iban_of(country: str) -> Callable[[Fill, str], str]:
    return lambda f, idx: f.v.iban(country)


def _ula6(f: Fill, idx: str) -> str:
    return f"fd{f.v.hex_group()[:2]}:{f.v.hex_group()}:{f.v.hex_group()}::{f.v.rng.randint(1, 99)}"


def _street(f: Fill, idx: str) -> str:
    return f.v.pick(STREETS.get(f.lang, STREETS["en"])).format(n=f.v.rng.randint(2, 180))


SLOTS: dict[str, tuple[Callable[[Fill, str], str], str | None]] = {
    # ---- PII
    "email": (_email, "EMAIL_ADDRESS"),
    "emailplus": (_email_plus, "EMAIL_ADDRESS"),
    "emailsub": (_email_sub, "EMAIL_ADDRESS"),
    "role": (_role, "EMAIL_ADDRESS"),
    "phone": (_phone, "PHONE_NUMBER"),
    "phone_nat": (_phone_style("national"), "PHONE_NUMBER"),
    "phone_mob": (_phone_style("national", "mobile"), "PHONE_NUMBER"),
    "phonei": (_phone_style("intl"), "PHONE_NUMBER"),
    "phonee": (_phone_style("e164"), "PHONE_NUMBER"),
    "phone_trunk": (_phone_style("intl_trunk"), "PHONE_NUMBER"),
    "phonex": (_phone_foreign, "PHONE_NUMBER"),
    "phonedash": (_phone_style("us_dash", region="US"), "PHONE_NUMBER"),
    "phonedot": (_phone_style("us_dot", region="US"), "PHONE_NUMBER"),
    "tollfree": (_tollfree, "PHONE_NUMBER"),
    **{
        f"phone_{r.lower()}": (_phone_style("intl", region=r), "PHONE_NUMBER")
        for r in ("GB", "FR", "DE", "JP", "ES", "IT", "NL", "CH", "CN", "AU", "IN", "PL", "PT")
    },
    "ip": (lambda f, idx: f.v.ipv4(), "IP_ADDRESS"),
    "ip6": (lambda f, idx: f.v.ipv6(), "IP_ADDRESS"),
    "ip6full": (lambda f, idx: f.v.ipv6(full=True), "IP_ADDRESS"),
    "card": (lambda f, idx: f.v.card_text(), "CREDIT_CARD"),
    "cardc": (lambda f, idx: f.v.card_text(compact=True), "CREDIT_CARD"),
    "visa": (lambda f, idx: f.v.card_text("visa"), "CREDIT_CARD"),
    "mc": (lambda f, idx: f.v.card_text("mc"), "CREDIT_CARD"),
    "amex": (lambda f, idx: f.v.card_text("amex"), "CREDIT_CARD"),
    "disc": (lambda f, idx: f.v.card_text("disc"), "CREDIT_CARD"),
    "jcb": (lambda f, idx: f.v.card_text("jcb"), "CREDIT_CARD"),
    "iban": (lambda f, idx: f.v.iban(), "IBAN"),
    "ibanc": (lambda f, idx: f.v.iban(grouped=False), "IBAN"),
    **{f"iban_{c.lower()}": (_iban_of(c), "IBAN") for c in ("DE", "FR", "GB", "ES", "IT", "NL", "BE", "CH", "PL")},
    **{f"iban_{c.lower()}": (_iban_of(c), "IBAN") for c in ("AT", "PT")},
    "ssn": (lambda f, idx: f.v.ssn(), "US_SSN"),
    "aws": (lambda f, idx: f.v.aws_key(), "SECRET"),
    "awssecret": (lambda f, idx: f.v.aws_secret(), "SECRET"),
    "ghp": (lambda f, idx: f.v.github(), "SECRET"),
    "ghpat": (lambda f, idx: f.v.github_pat(), "SECRET"),
    "glpat": (lambda f, idx: f.v.gitlab(), "SECRET"),
    "slack": (lambda f, idx: f.v.slack(), "SECRET"),
    "slackb": (lambda f, idx: f.v.slack("xoxb"), "SECRET"),
    "slackp": (lambda f, idx: f.v.slack("xoxp"), "SECRET"),
    "pkey": (_pkey, "SECRET"),
    "pkey_yaml": (_pkey_yaml, "SECRET"),
    "jwt": (lambda f, idx: f.v.jwt(f.person(idx)), "SECRET"),
    "hexs": (lambda f, idx: f.v.high_entropy(), "SECRET"),
    "pw": (lambda f, idx: f.v.password(), "SECRET"),
    "django": (lambda f, idx: f.v.django_key(), "SECRET"),
    "openai": (lambda f, idx: f.v.openai_key(), "SECRET"),
    "stripe": (lambda f, idx: "sk_live_" + f.v.chars(Values.ALNUM, 24), "SECRET"),
    "handle": (lambda f, idx: f.v.handle(f.person(idx)), "USER_HANDLE"),
    # ---- not PII
    "first": (lambda f, idx: f.person(idx).first, None),
    "last": (lambda f, idx: f.person(idx).last, None),
    "name": (lambda f, idx: f.person(idx).display, None),
    "initial": (lambda f, idx: f.person(idx).first[0], None),
    "company": (lambda f, idx: f.org(idx).name, None),
    "domain": (lambda f, idx: f.org(idx).domain, None),
    "host": (lambda f, idx: f"www.{f.org(idx).domain}", None),
    "org": (lambda f, idx: f.v.pick(ORGS_GH), None),
    "city": (lambda f, idx: f.v.pick(CITIES.get(f.lang, CITIES["en"])), None),
    "street": (_street, None),
    "zip": (lambda f, idx: f.v.digits(5, True), None),
    "country": (lambda f, idx: f.v.pick(COUNTRIES), None),
    "date": (_date, None),
    "dlocal": (_date_local, None),
    "time": (_time, None),
    "hm": (lambda f, idx: f"{f.v.rng.randint(7, 20):02d}:{f.v.pick(['00', '15', '30', '45'])}", None),
    "ms": (_num(100, 999), None),
    "rfcdate": (_rfcdate, None),
    "clfdate": (_clfdate, None),
    "syslogdate": (_syslogdate, None),
    "year": (_num(1995, 2024), None),
    "epoch": (_num(1_600_000_000, 1_720_000_000), None),
    "epoch16": (_badluhn(16), None),
    "num": (_num(1000, 99999), None),
    "num3": (_num(100, 999), None),
    "num6": (_num(100000, 999999), None),
    "num8": (_num(10000000, 99999999), None),
    "num9": (_num(100000000, 999999999), None),
    "num10": (_num(1000000000, 9999999999), None),
    "cgnat": (_num(64, 127), None),
    "small": (_num(2, 250), None),
    "port": (_num(1024, 65000), None),
    "pid": (_num(300, 32000), None),
    "amount": (_amount, None),
    "amountn": (lambda f, idx: f"{f.v.rng.randint(100, 900000) / 100:.2f}", None),
    "exp": (lambda f, idx: f"{f.v.rng.randint(1, 12):02d}/{f.v.rng.randint(26, 31)}", None),
    "cvv": (_num(100, 999), None),
    "last4": (lambda f, idx: f.v.digits(4), None),
    "bic": (lambda f, idx: f.v.bic(f.v.pick(["DE", "FR", "ES", "IT", "NL", "BE"])), None),
    "invoice": (lambda f, idx: f"{f.v.rng.randint(2019, 2025)}-{f.v.digits(5)}", None),
    "ver4": (_version4, None),
    "ver3": (lambda f, idx: f"{f.v.rng.randint(0, 9)}.{f.v.rng.randint(0, 30)}.{f.v.rng.randint(0, 40)}", None),
    "chromever": (lambda f, idx: f"{f.v.rng.randint(100, 126)}.0.{f.v.pick(['0.0', '6099.109', '6367.91'])}", None),
    "isbn13": (_isbn13, None),
    "isbn10": (_isbn10, None),
    "doi": (_doi, None),
    "uuid": (_uuid, None),
    "sha": (_hex(40), None),
    "sha7": (_hex(7), None),
    "sha256": (_hex(64), None),
    "hex32": (_hex(32), None),
    "hex32s": (_hex(32), "SECRET"),
    "hex8": (_hex(8), None),
    "hex6": (_hex(6), None),
    "hex3": (_hex(3), None),
    "b64_64": (_b64(64), None),
    "b64_32": (_b64(32), None),
    "mac": (lambda f, idx: f.v.mac(), None),
    "privip": (lambda f, idx: f.v.private_ipv4(), None),
    "docip": (_doc_ip, None),
    "docip6": (_doc_ip6, None),
    "ll6": (lambda f, idx: f"fe80::{f.v.hex_group()}:{f.v.hex_group()}:{f.v.hex_group()}:{f.v.hex_group()}", None),
    "ula6": (_ula6, None),
    "badluhn16": (_badluhn(16), None),
    "badluhn16g": (_badluhn_grouped, None),
    "badluhn15": (_badluhn(15), None),
    "ean13": (_ean13, None),
    "bad_iban": (_bad_iban, None),
    "bad_ssn": (_bad_ssn, None),
    "ein": (lambda f, idx: f"{f.v.rng.randint(10, 98)}-{f.v.digits(7)}", None),
    "exmail": (_ex_email, None),
    "pubkey": (_pubkey, None),
    "cert": (_cert, None),
    "sshpub": (_ssh_pub, None),
    "bignum": (_bignum, None),
    "float": (lambda f, idx: f"{f.v.rng.uniform(0, 100):.4f}", None),
    "repo": (_choice("billing-api", "infra", "website", "etl-jobs", "mobile-app"), None),
}


@dataclass
class Template:
    context: str
    lang: str
    text: str
    n: int
    category: str


def T(context: str, lang: str, text: str, n: int = 2, category: str = "positive") -> Template:
    return Template(context, lang, textwrap.dedent(text).strip("\n"), n, category)


def N(category: str, context: str, lang: str, text: str, n: int = 3) -> Template:
    return Template(context, lang, textwrap.dedent(text).strip("\n"), n, category)


def render(template: Template, v: Values) -> tuple[str, list[dict[str, object]]]:
    fill = Fill(v, template.lang)
    parts: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for match in SLOT.finditer(template.text):
        literal = template.text[pos : match.start()]
        parts.append(literal)
        length += len(literal)
        slot, idx = match.group(1), match.group(2) or ""
        if slot not in SLOTS:
            raise KeyError(f"unknown slot {slot!r} in template: {template.text[:60]!r}")
        value, entity = fill.get(slot, idx)
        if entity is not None:
            spans.append({"start": length, "end": length + len(value), "entity": entity})
        parts.append(value)
        length += len(value)
        pos = match.end()
    parts.append(template.text[pos:])
    text = "".join(parts)
    expected = [fill.cache[k][0] for k in _slot_keys(template.text) if fill.cache[k][1] is not None]
    for span, value in zip(spans, expected, strict=True):
        assert text[span["start"] : span["end"]] == value, (span, value)  # type: ignore[misc]
    return text, spans


def _slot_keys(text: str) -> list[str]:
    return [f"{m.group(1)}:{m.group(2) or ''}" for m in SLOT.finditer(text)]


# ---------------------------------------------------------------------------------------------------------------
# Positive templates: T(context, lang, text, n). Every ⟪slot⟫ whose generator has an entity becomes a gold span.
# ---------------------------------------------------------------------------------------------------------------

POSITIVE_TEMPLATES: list[Template] = [
    # ----- e-mail and phone: signatures, contact pages, forums, records (English)
    T(
        "email_signature",
        "en",
        """
        Best regards,

        ⟪name⟫
        Senior Account Manager | ⟪company⟫
        Phone: ⟪phone⟫
        Email: ⟪email⟫
        https://⟪host⟫
        """,
        3,
    ),
    T(
        "contact_page",
        "en",
        """
        Contact us
        ⟪company⟫
        ⟪street⟫, ⟪city⟫
        Tel: ⟪phone⟫ | Fax: ⟪phone:2⟫
        General enquiries: ⟪role⟫
        Press: ⟪email:3⟫
        """,
    ),
    T(
        "forum_post",
        "en",
        "Hi all, I sold my old bike to a guy from this forum and he never paid. His email is ⟪email⟫ and he gave "
        "me ⟪phone⟫ as his number but nobody answers. Has anyone else dealt with him?",
    ),
    T(
        "web_prose",
        "en",
        "For more information about the scholarship, write to ⟪name⟫ (⟪email⟫) or call the department office at "
        "⟪phone⟫ between 9 a.m. and 4 p.m.",
    ),
    T(
        "csv",
        "en",
        """
        id,name,email,phone,signup_date
        ⟪num⟫,⟪name⟫,⟪email⟫,⟪phonee⟫,⟪date⟫
        ⟪num:2⟫,⟪name:2⟫,⟪email:2⟫,⟪phonee:2⟫,⟪date:2⟫
        ⟪num:3⟫,⟪name:3⟫,⟪emailplus:3⟫,⟪phonee:3⟫,⟪date:3⟫
        """,
    ),
    T(
        "json_record",
        "en",
        '{"user": {"id": ⟪num⟫, "full_name": "⟪name⟫", "email": "⟪email⟫", "phone": "⟪phonei⟫", '
        '"created_at": "⟪date⟫T⟪time⟫Z"}}',
    ),
    T(
        "yaml_config",
        "en",
        """
        maintainers:
          - name: ⟪name⟫
            email: ⟪email⟫
          - name: ⟪name:2⟫
            email: ⟪emailplus:2⟫
        """,
    ),
    T(
        "python_code",
        "en",
        """
        ADMINS = [("⟪name⟫", "⟪email⟫"), ("⟪name:2⟫", "⟪email:2⟫")]
        DEFAULT_FROM_EMAIL = "⟪role⟫"
        SERVER_EMAIL = DEFAULT_FROM_EMAIL
        """,
    ),
    T(
        "log_line",
        "en",
        "⟪date⟫ ⟪time⟫,⟪ms⟫ INFO [mailer] password reset sent to=⟪email⟫ template=reset_v2 msg=⟪sha7⟫",
    ),
    T(
        "commit_message",
        "en",
        """
        commit ⟪sha⟫
        Author: ⟪name⟫ <⟪email⟫>
        Date:   ⟪rfcdate⟫

            Fix race in connection pool shutdown

            Reported-by: ⟪name:2⟫ <⟪emailsub:2⟫>
        """,
    ),
    T(
        "web_prose",
        "en",
        "Questions? Drop us a line at ⟪emailsub⟫ and we will usually answer within two business days.",
    ),
    T(
        "forum_post",
        "en",
        "Pro tip: I always sign up with ⟪emailplus⟫ so I can tell which shop sold my address. Works with most "
        "providers.",
    ),
    T(
        "email_headers",
        "en",
        """
        From: ⟪name⟫ <⟪email⟫>
        To: ⟪name:2⟫ <⟪email:2⟫>
        Cc: ⟪emailsub:3⟫
        Subject: Re: Q3 budget
        Date: ⟪rfcdate⟫
        """,
    ),
    T(
        "classified_ad",
        "en",
        "FOR SALE: 2015 Honda Civic, 84k miles, one owner. $9,800 OBO. Text ⟪phone_nat⟫ after 5pm, serious buyers "
        "only.",
    ),
    T(
        "web_prose",
        "en",
        "Our support line (⟪phone_nat⟫) is open Monday through Friday. Outside business hours, call ⟪phonedash⟫ "
        "and leave a message.",
    ),
    T("web_prose", "en", "Reach the front desk at ⟪phone_nat⟫ or the after-hours line at ⟪phonedot⟫."),
    T(
        "vcard",
        "en",
        """
        BEGIN:VCARD
        VERSION:3.0
        FN:⟪name⟫
        ORG:⟪company⟫
        TEL;TYPE=WORK,VOICE:⟪phonei⟫
        EMAIL;TYPE=INTERNET:⟪email⟫
        END:VCARD
        """,
    ),
    T(
        "markdown_table",
        "en",
        """
        | Name | Role | Email | Phone |
        |---|---|---|---|
        | ⟪name⟫ | Chair | ⟪email⟫ | ⟪phone⟫ |
        | ⟪name:2⟫ | Treasurer | ⟪email:2⟫ | ⟪phone:2⟫ |
        """,
    ),
    T(
        "contact_page",
        "en",
        "Our offices: London ⟪phone_gb⟫, Paris ⟪phone_fr⟫, Berlin ⟪phone_de⟫, Tokyo ⟪phone_jp⟫.",
    ),
    T("contact_page", "en", "Customer service (toll-free): ⟪tollfree⟫. International callers: ⟪phonei⟫."),
    T(
        "forum_post",
        "en",
        "Anyone know this number? ⟪phonex⟫ keeps calling me at 3am and hangs up. Blocked it but it comes back from "
        "⟪phonex:2⟫.",
    ),
    T(
        "support_ticket",
        "en",
        """
        Ticket #⟪num⟫ (priority: high)
        Customer: ⟪name⟫ <⟪email⟫>
        Callback: ⟪phone⟫
        Last login from: ⟪ip⟫
        Notes: customer asked us to update the card ending ⟪last4⟫ and confirm by e-mail.
        """,
    ),
    T(
        "chat",
        "en",
        "[⟪hm⟫] ⟪first⟫: ok my new cell is ⟪phone_nat⟫, old one is dead\n[⟪hm:2⟫] ⟪first:2⟫: saved 👍",
    ),
    # ----- French
    T(
        "email_signature",
        "fr",
        """
        Cordialement,

        ⟪name⟫
        Responsable des achats – ⟪company⟫
        Tél. : ⟪phone⟫
        Portable : ⟪phone_mob⟫
        Courriel : ⟪email⟫
        """,
        3,
    ),
    T(
        "contact_page",
        "fr",
        """
        Nous contacter
        ⟪company⟫ – ⟪street⟫, ⟪zip⟫ ⟪city⟫
        Standard : ⟪phonei⟫
        Service client : ⟪role⟫
        """,
    ),
    T(
        "forum_post",
        "fr",
        "Bonjour à tous, je cherche un covoiturage Lyon → Grenoble vendredi. Vous pouvez me joindre au ⟪phone_nat⟫ "
        "ou par mail : ⟪email⟫. Merci !",
    ),
    T(
        "web_prose",
        "fr",
        "Pour toute question relative à la protection de vos données, écrivez à notre délégué : ⟪email⟫.",
    ),
    T("web_prose", "fr", "Appelez le ⟪phone_trunk⟫ depuis l'étranger, ou le ⟪phone_nat⟫ depuis la France."),
    # ----- German
    T(
        "imprint",
        "de",
        """
        Impressum

        Angaben gemäß § 5 TMG:
        ⟪company⟫
        ⟪street⟫
        ⟪zip⟫ ⟪city⟫

        Vertreten durch: ⟪name⟫

        Kontakt:
        Telefon: ⟪phone⟫
        Telefax: ⟪phone:2⟫
        E-Mail: ⟪role⟫
        """,
        3,
    ),
    T(
        "email_signature",
        "de",
        """
        Mit freundlichen Grüßen

        ⟪name⟫
        Vertrieb Innendienst
        ⟪company⟫
        Tel. ⟪phone_trunk⟫
        Mobil: ⟪phone_mob⟫
        ⟪email⟫
        """,
    ),
    T(
        "forum_post",
        "de",
        "Hallo zusammen, verkaufe meine alte Spiegelreflexkamera inkl. Objektiv. Bei Interesse einfach melden unter "
        "⟪phone_nat⟫ oder ⟪email⟫.",
    ),
    T("web_prose", "de", "Anmeldungen bitte bis zum ⟪dlocal⟫ an ⟪email⟫ senden (Betreff: Sommerfest)."),
    # ----- Spanish
    T(
        "email_signature",
        "es",
        """
        Un saludo,
        ⟪name⟫
        Departamento de Ventas
        ⟪company⟫
        Tel.: ⟪phone⟫ · Móvil: ⟪phone_mob⟫
        ⟪email⟫
        """,
    ),
    T(
        "contact_page",
        "es",
        "¿Tienes alguna duda? Escríbenos a ⟪role⟫ o llámanos al ⟪phonei⟫ de lunes a viernes de 9:00 a 18:00.",
    ),
    T(
        "forum_post",
        "es",
        "Buenas, perdí mi perro ayer por la tarde en el parque del Retiro. Es un beagle con collar rojo. Si lo veis, "
        "llamad al ⟪phone_mob⟫, por favor.",
    ),
    # ----- Portuguese (Brazil)
    T(
        "contact_page",
        "pt",
        """
        Fale conosco
        Atendimento: ⟪phone⟫
        WhatsApp: ⟪phone_mob⟫
        E-mail: ⟪role⟫
        ⟪street⟫ – ⟪city⟫
        """,
    ),
    T(
        "forum_post",
        "pt",
        "Oi pessoal, alguém tem indicação de eletricista em Campinas? Se puderem mandar contato no meu e-mail "
        "⟪email⟫ agradeço.",
    ),
    T(
        "email_signature",
        "pt",
        """
        Atenciosamente,
        ⟪name⟫
        Analista de RH – ⟪company⟫
        ⟪phonei⟫ | ⟪email⟫
        """,
    ),
    # ----- Italian
    T(
        "contact_page",
        "it",
        "Per informazioni e prenotazioni: tel. ⟪phone⟫, e-mail ⟪email⟫. La segreteria è aperta dal lunedì al venerdì.",
    ),
    # ----- Dutch / Polish
    T("contact_page", "nl", "Bel ons op ⟪phone_nat⟫ of mail naar ⟪role⟫. We reageren binnen één werkdag."),
    T("contact_page", "pl", "Zadzwoń: ⟪phone_nat⟫, napisz: ⟪role⟫. Biuro czynne od poniedziałku do piątku."),
    # ----- Chinese / Japanese
    T(
        "contact_page",
        "zh",
        """
        联系我们
        地址：⟪city⟫⟪street⟫
        电话：⟪phone⟫
        邮箱：⟪email⟫
        工作时间：周一至周五 9:00-18:00
        """,
    ),
    T("web_prose", "zh", "如有任何问题，请发送邮件至 ⟪email⟫，或拨打客服热线 ⟪phonei⟫。"),
    T(
        "contact_page",
        "ja",
        """
        お問い合わせ先
        ⟪company⟫ 営業部 ⟪name⟫
        TEL: ⟪phone⟫
        E-mail: ⟪email⟫
        """,
    ),
    T("web_prose", "ja", "ご質問は ⟪email⟫ までお気軽にお寄せください。お電話（⟪phone_nat⟫）でも受け付けております。"),
    # ----- IP addresses
    T(
        "log_line",
        "en",
        """
        ⟪ip⟫ - - [⟪clfdate⟫] "GET /wp-login.php HTTP/1.1" 404 512 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
        ⟪ip:2⟫ - - [⟪clfdate:2⟫] "POST /xmlrpc.php HTTP/1.1" 403 199 "-" "python-requests/2.31.0"
        ⟪ip6⟫ - - [⟪clfdate:3⟫] "GET / HTTP/2.0" 200 14872 "https://⟪host⟫/" "Mozilla/5.0 (X11; Linux x86_64)"
        """,
        3,
    ),
    T(
        "log_line",
        "en",
        "⟪date⟫ ⟪time⟫ [error] 1234#1234: *⟪num⟫ connect() failed (111: Connection refused) while connecting to "
        'upstream, client: ⟪ip⟫, server: ⟪host⟫, request: "POST /api/v1/login HTTP/1.1", upstream: '
        '"http://127.0.0.1:8000/api/v1/login"',
    ),
    T(
        "log_line",
        "en",
        "⟪syslogdate⟫ web01 sshd[⟪pid⟫]: Failed password for invalid user admin from ⟪ip⟫ port ⟪port⟫ ssh2",
        3,
    ),
    T(
        "forum_post",
        "en",
        "My server keeps getting hammered by ⟪ip⟫ and ⟪ip:2⟫. I've blocked them in iptables but they come back "
        "from ⟪ip:3⟫ a day later. Any ideas?",
    ),
    T("log_line", "en", "⟪date⟫ ⟪time⟫,⟪ms⟫ fail2ban.actions [⟪pid⟫]: NOTICE [sshd] Ban ⟪ip⟫"),
    T(
        "log_line",
        "en",
        "ts=⟪date⟫T⟪time⟫Z level=info client=⟪ip6⟫ method=GET path=/healthz status=200 latency_ms=⟪small⟫",
        3,
    ),
    T(
        "web_prose",
        "en",
        "Your public IPv6 address appears to be ⟪ip6⟫. If that is not what you expected, check your router's prefix "
        "delegation settings.",
    ),
    T(
        "json_record",
        "en",
        '{"event": "login", "user_id": ⟪num⟫, "ip": "⟪ip⟫", "ua": "curl/8.4.0", "ts": ⟪epoch⟫}',
        3,
    ),
    T(
        "email_headers",
        "en",
        "Received: from mail.⟪domain⟫ (mail.⟪domain⟫ [⟪ip⟫])\n\tby mx.⟪domain:2⟫ with ESMTPS id ⟪sha7⟫\n"
        "\tfor <⟪email:2⟫>; ⟪rfcdate⟫",
    ),
    T(
        "csv",
        "en",
        """
        timestamp,src_ip,dst_ip,dst_port,action
        ⟪date⟫ ⟪time⟫,⟪ip⟫,10.0.3.17,443,ALLOW
        ⟪date⟫ ⟪time:2⟫,⟪ip6⟫,10.0.3.17,22,DENY
        ⟪date⟫ ⟪time:3⟫,⟪ip:3⟫,10.0.3.17,22,DENY
        """,
    ),
    T(
        "forum_post",
        "fr",
        "Bonjour, depuis hier mon site est inaccessible depuis l'adresse ⟪ip⟫ (ma box). En IPv6 (⟪ip6⟫) ça "
        "marche. Une idée ?",
    ),
    T(
        "forum_post",
        "de",
        "Seit dem Update bekomme ich ständig Login-Versuche von ⟪ip⟫. Laut whois gehört die Adresse einem Hoster in "
        "Frankfurt.",
    ),
    T(
        "forum_post",
        "es",
        "El servidor rechaza las conexiones que vienen de ⟪ip⟫; en el log aparece «Connection reset by peer».",
    ),
    T("web_prose", "pt", "O acesso ao painel foi bloqueado para o IP ⟪ip⟫ após cinco tentativas de senha incorretas."),
    T("web_prose", "zh", "检测到来自 ⟪ip⟫ 的异常登录，请确认是否为本人操作。"),
    T("web_prose", "ja", "不正アクセスの疑いがある IP アドレス ⟪ip⟫ からの接続を遮断しました。"),
    T(
        "python_code",
        "en",
        """
        ALLOWED_HOSTS = ["⟪host⟫", "⟪ip⟫"]
        TRUSTED_PROXY = "⟪ip:2⟫"
        INTERNAL_IPS = ["127.0.0.1"]
        """,
    ),
    T(
        "nginx_config",
        "en",
        """
        server {
            listen 80;
            server_name ⟪host⟫;
            location /admin {
                allow ⟪ip⟫;
                allow ⟪ip6⟫;
                deny all;
            }
        }
        """,
    ),
    T("log_line", "en", "DHCPv6 reply: client address ⟪ip6full⟫ (prefix length 64, lifetime 86400 s)"),
    T(
        "terminal_output",
        "en",
        """
        traceroute to ⟪host⟫, 30 hops max, 60 byte packets
         7  ⟪ip⟫  12.415 ms  11.982 ms  12.301 ms
         8  ⟪ip:2⟫  18.204 ms  18.117 ms  18.455 ms
        """,
    ),
    T("log_line", "en", "⟪date⟫ ⟪time⟫ sshd: Connection from ⟪ip⟫:⟪port⟫ closed by remote host"),
    T("log_line", "en", "⟪date⟫ ⟪time⟫ haproxy: [⟪ip6⟫]:⟪port⟫ -> backend/web2 200 GET /index.html"),
    # ----- credit cards
    T(
        "forum_post",
        "en",
        "Someone used my card ⟪card⟫ to buy gift cards online. The bank says it will take 10 days to refund the money.",
        3,
    ),
    T(
        "csv",
        "en",
        """
        order_id,customer,card_number,exp,amount
        A-⟪num⟫,⟪name⟫,⟪cardc⟫,⟪exp⟫,⟪amount⟫
        A-⟪num:2⟫,⟪name:2⟫,⟪cardc:2⟫,⟪exp:2⟫,⟪amount:2⟫
        A-⟪num:3⟫,⟪name:3⟫,⟪cardc:3⟫,⟪exp:3⟫,⟪amount:3⟫
        """,
    ),
    T(
        "json_record",
        "en",
        '{"payment": {"method": "card", "pan": "⟪cardc⟫", "expiry": "⟪exp⟫", "holder": "⟪name⟫"}}',
    ),
    T(
        "log_line",
        "en",
        "⟪date⟫ ⟪time⟫ WARN payment-gateway: charge declined card=⟪cardc⟫ reason=insufficient_funds amount=⟪amount⟫",
    ),
    T("email_body", "en", "Hi, please charge the balance to my Amex ⟪amex⟫, exp ⟪exp⟫. Thanks, ⟪first⟫"),
    T(
        "email_body",
        "fr",
        "Voici le numéro de ma carte bancaire pour l'acompte : ⟪card⟫, date d'expiration ⟪exp⟫.",
    ),
    T(
        "email_body",
        "de",
        "Bitte belasten Sie meine Kreditkarte ⟪card⟫ (gültig bis ⟪exp⟫) mit dem offenen Betrag.",
    ),
    T("form_dump", "es", "Número de tarjeta: ⟪card⟫ — Titular: ⟪name⟫ — Vencimiento: ⟪exp⟫"),
    T("forum_post", "pt", "Paguei com o cartão ⟪card⟫ mas a compra não apareceu na fatura. Alguém sabe o motivo?"),
    T("form_dump", "ja", "クレジットカード番号：⟪card⟫（有効期限 ⟪exp⟫）"),
    T("python_code", "en", 'customer = Customer(name="⟪name⟫", card="⟪cardc⟫", cvv="⟪cvv⟫")'),
    T("web_prose", "en", "Cards on file: Visa ⟪visa⟫, Mastercard ⟪mc⟫ and Discover ⟪disc⟫."),
    T("chat", "en", "[⟪hm⟫] ⟪first⟫: use the JCB this time: ⟪jcb⟫ exp ⟪exp⟫"),
    T(
        "form_dump",
        "en",
        "cardholder=⟪first⟫+⟪last⟫&cc_number=⟪cardc⟫&cvv=⟪cvv⟫&exp_month=⟪small⟫&exp_year=2027",
    ),
    T("chat", "it", "Ti mando il numero della carta: ⟪card⟫, scadenza ⟪exp⟫. Fammi sapere se passa."),
    T("chat", "en", "can you book the hotel with my card? ⟪visa⟫ exp ⟪exp⟫ cvv ⟪cvv⟫", 2),
    T("email_body", "es", "Le facilito los datos de la tarjeta para la reserva: ⟪mc⟫, caducidad ⟪exp⟫.", 2),
    T("log_line", "en", 'POST /checkout 500 body={"card":"⟪cardc⟫","cvc":"⟪cvv⟫","zip":"⟪zip⟫"}', 2),
    T(
        "forum_post",
        "de",
        "Habe gerade gesehen, dass jemand mit meiner Karte ⟪card⟫ bei einem Onlineshop bestellt hat. Was tun?",
        2,
    ),
    T("form_dump", "zh", "信用卡号：⟪card⟫，有效期至 ⟪exp⟫。", 1),
    T("chat", "en", "Corporate Amex for the offsite: ⟪amex⟫ (exp ⟪exp⟫, CID on the front).", 2),
    T("csv", "en", "traveler,card,expires\n⟪name⟫,⟪amex⟫,⟪exp⟫\n⟪name:2⟫,⟪amex:2⟫,⟪exp:2⟫", 2),
    # ----- IBAN
    T(
        "invoice",
        "de",
        """
        Bitte überweisen Sie den Rechnungsbetrag von ⟪amount⟫ innerhalb von 14 Tagen auf folgendes Konto:
        Kontoinhaber: ⟪name⟫
        IBAN: ⟪iban_de⟫
        BIC: ⟪bic⟫
        Verwendungszweck: Rechnung ⟪invoice⟫
        """,
        3,
    ),
    T(
        "invoice",
        "fr",
        """
        Merci d'effectuer le virement sur le compte suivant :
        Titulaire : ⟪name⟫
        IBAN : ⟪iban_fr⟫
        BIC : ⟪bic⟫
        """,
        3,
    ),
    T("invoice", "es", "Datos bancarios para la transferencia: IBAN ⟪iban_es⟫ (titular: ⟪name⟫).", 3),
    T("invoice", "it", "Coordinate bancarie: IBAN ⟪iban_it⟫ intestato a ⟪company⟫.", 3),
    T(
        "invoice",
        "en",
        "Please pay by bank transfer to ⟪company⟫, IBAN ⟪iban_gb⟫, quoting reference INV-⟪invoice⟫.",
        3,
    ),
    T("invoice", "nl", "Graag het bedrag overmaken naar ⟪iban_nl⟫ t.n.v. ⟪name⟫ o.v.v. factuurnummer ⟪num⟫."),
    T(
        "csv",
        "en",
        """
        supplier,iban,bic
        ⟪company⟫,⟪ibanc⟫,⟪bic⟫
        ⟪company:2⟫,⟪ibanc:2⟫,⟪bic:2⟫
        """,
    ),
    T(
        "json_record",
        "en",
        '{"beneficiary": "⟪name⟫", "iban": "⟪ibanc⟫", "amount": ⟪amountn⟫, "currency": "EUR"}',
    ),
    T(
        "forum_post",
        "de",
        "Der Verkäufer wollte, dass ich das Geld vorab auf ⟪iban⟫ überweise. Kommt mir komisch vor, kennt jemand "
        "diese IBAN?",
    ),
    T("web_prose", "en", "Refunds are sent to the account on file (⟪iban_be⟫) within five working days."),
    T("invoice", "de", "Zahlungen bitte an: ⟪company⟫, ⟪iban_ch⟫ (Postfinance)."),
    T("invoice", "pl", "Numer konta: ⟪iban_pl⟫, tytułem: zamówienie ⟪num⟫."),
    T("invoice", "de", "Kontoverbindung: ⟪iban_at⟫ lautend auf ⟪name⟫."),
    T("invoice", "pt", "Transferência internacional para o IBAN ⟪iban_pt⟫ em nome de ⟪name⟫."),
    # ----- US SSN
    T(
        "hr_record",
        "en",
        """
        Employee: ⟪name⟫
        SSN: ⟪ssn⟫
        Hire date: ⟪date⟫
        Department: Finance
        """,
        4,
    ),
    T(
        "csv",
        "en",
        """
        emp_id,last_name,first_name,ssn,dept
        ⟪num⟫,⟪last⟫,⟪first⟫,⟪ssn⟫,Finance
        ⟪num:2⟫,⟪last:2⟫,⟪first:2⟫,⟪ssn:2⟫,IT
        ⟪num:3⟫,⟪last:3⟫,⟪first:3⟫,⟪ssn:3⟫,Legal
        """,
        3,
    ),
    T(
        "forum_post",
        "en",
        "The letter asked me to confirm my social security number (⟪ssn⟫) by phone. Is this a scam?",
        2,
    ),
    T("json_record", "en", '{"applicant": {"name": "⟪name⟫", "ssn": "⟪ssn⟫", "income": ⟪amountn⟫}}', 3),
    T(
        "tax_form",
        "en",
        "a Employee's social security number: ⟪ssn⟫    b Employer identification number (EIN): ⟪ein⟫",
        3,
    ),
    T("form_dump", "es", "Nombre: ⟪name⟫ — Número de Seguro Social: ⟪ssn⟫ — Estado: Texas", 2),
    T("log_line", "en", "⟪date⟫ ⟪time⟫ DEBUG kyc.verify ssn=⟪ssn⟫ result=MATCH score=0.97", 3),
    T(
        "web_prose",
        "en",
        "When the clerk read my SSN, ⟪ssn⟫, out loud in the waiting room, I wanted to disappear.",
        2,
    ),
    # ----- secrets
    T(
        "env_file",
        "en",
        """
        APP_ENV=production
        LOG_LEVEL=info
        AWS_ACCESS_KEY_ID=⟪aws⟫
        AWS_SECRET_ACCESS_KEY=⟪awssecret⟫
        STRIPE_SECRET_KEY=⟪stripe⟫
        """,
        3,
    ),
    T(
        "python_code",
        "en",
        """
        import boto3

        client = boto3.client(
            "s3",
            aws_access_key_id="⟪aws⟫",
            aws_secret_access_key="⟪awssecret⟫",
        )
        """,
        3,
    ),
    T("shell", "en", 'curl -H "Authorization: token ⟪ghp⟫" https://api.github.com/user/repos', 3),
    T("shell", "en", "git clone https://oauth2:⟪ghp⟫@github.com/⟪org⟫/⟪repo⟫.git", 2),
    T(
        "yaml_config",
        "en",
        """
        variables:
          GITLAB_TOKEN: ⟪glpat⟫
          REGISTRY: registry.gitlab.com/⟪org⟫/⟪repo⟫
        """,
        3,
    ),
    T("npmrc", "en", "//gitlab.com/api/v4/projects/⟪num⟫/packages/npm/:_authToken=⟪glpat⟫", 3),
    T(
        "env_file",
        "en",
        """
        SLACK_BOT_TOKEN=⟪slackb⟫
        SLACK_SIGNING_SECRET=⟪hex32s⟫
        """,
        3,
    ),
    T("js_code", "en", 'const slack = new WebClient("⟪slackp⟫");\nawait slack.chat.postMessage({ channel, text });', 3),
    T(
        "forum_post",
        "en",
        """
        I generated the key with ssh-keygen and pasted it into the server config, why does it get rejected?

        ⟪pkey⟫

        Thanks in advance!
        """,
        3,
    ),
    T(
        "yaml_config",
        "en",
        """
        tls:
          cert_file: /etc/ssl/certs/site.pem
          key: |
            ⟪pkey_yaml⟫
        """,
        3,
    ),
    T("http_request", "en", "GET /api/orders HTTP/1.1\nHost: api.⟪domain⟫\nAuthorization: Bearer ⟪jwt⟫", 3),
    T("log_line", "en", "⟪date⟫ ⟪time⟫ DEBUG auth: validating token=⟪jwt⟫ for user_id=⟪num⟫", 3),
    T("js_code", "en", "localStorage.setItem('access_token', '⟪jwt⟫');", 2),
    T("python_code", "en", 'API_KEY = "⟪hexs⟫"\nBASE_URL = "https://api.⟪domain⟫/v2"', 3),
    T("json_config", "en", '{"db": {"host": "10.0.4.12", "port": 5432, "user": "app", "password": "⟪pw⟫"}}', 3),
    T("env_file", "en", "SECRET_TOKEN=⟪hexs⟫\nDEBUG=false", 3),
    T(
        "yaml_config",
        "en",
        """
        oauth:
          provider: keycloak
          client_id: dashboard-prod
          client_secret: ⟪hexs⟫
        """,
        3,
    ),
    T("php_code", "en", "define( 'DB_NAME', 'wordpress' );\ndefine( 'DB_PASSWORD', '⟪pw⟫' );", 2),
    T("properties", "en", "spring.datasource.username=app\nspring.datasource.password=⟪pw⟫", 3),
    T(
        "yaml_config",
        "en",
        """
        services:
          db:
            image: postgres:16
            environment:
              - POSTGRES_USER=app
              - POSTGRES_PASSWORD=⟪pw⟫
        """,
        2,
    ),
    T(
        "forum_post",
        "fr",
        "J'ai accidentellement commité ma clé : api_key = \"⟪hexs⟫\". Comment la supprimer de l'historique ?",
        2,
    ),
    T(
        "forum_post",
        "de",
        "Achtung: im Repo lag ein GitHub-Token (⟪ghp⟫) im Klartext, wir haben es sofort widerrufen.",
        2,
    ),
    T("web_prose", "es", "Configura la variable así: export OPENAI_API_KEY=⟪openai⟫ y reinicia la terminal.", 2),
    T("web_prose", "ja", '設定ファイルに SECRET_KEY = "⟪hexs⟫" と書いて保存してください。', 2),
    T("chat", "pt", "token do bot: ⟪slackb⟫ (não compartilhe com ninguém!)", 2),
    T(
        "log_line",
        "en",
        "botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity "
        "operation: The security token included in the request is invalid. Access key: ⟪aws⟫",
        2,
    ),
    T("shell", "en", "export GITHUB_TOKEN=⟪ghpat⟫\ngh repo list ⟪org⟫ --limit 100", 2),
    T("python_code", "en", 'SECRET_KEY = "⟪django⟫"\nDEBUG = False', 2),
    T("toml_config", "en", '[api]\ntoken = "⟪hexs⟫"\ntimeout = 30', 2),
    T("json_record", "en", '{"username": "⟪email⟫", "password": "⟪pw⟫", "remember_me": true}', 3),
    T("chat", "zh", "服务器的部署密钥如下，请妥善保管：\n⟪pkey⟫", 1),
    T("env_file", "en", "# prod\nGITHUB_TOKEN=⟪ghp⟫\nGITLAB_TOKEN=⟪glpat⟫\nSLACK_TOKEN=⟪slack⟫", 2),
    # ----- user handles
    T(
        "social_post",
        "en",
        "Huge thanks to ⟪handle⟫ and ⟪handle:2⟫ for the amazing talk at #PyConUS today! Slides are up 👉 "
        "https://⟪host⟫/slides",
        3,
    ),
    T("social_post", "en", "⟪handle⟫ totally agree, the new update broke my workflow too 😩", 3),
    T("social_post", "en", "New blog post is live! Shoutout to ⟪handle⟫ for proofreading 🙏 #writing", 2),
    T("social_post", "fr", "Merci ⟪handle⟫ pour le partage ! Je suis d'accord avec ⟪handle:2⟫ sur ce point.", 2),
    T("social_post", "de", "Kann jemand ⟪handle⟫ Bescheid geben? Der Link im Profil funktioniert nicht mehr.", 2),
    T("social_post", "es", "Sorteo 🎁: sigue a ⟪handle⟫, da like y menciona a dos amigos. ¡Suerte!", 2),
    T("social_post", "pt", "Que jogo! Parabéns ⟪handle⟫ pelo gol no finalzinho ⚽", 2),
    T("social_post", "ja", "⟪handle⟫ さん、素敵な写真ありがとうございます！", 2),
    T("social_post", "en", "Follow me on IG ⟪handle⟫ · business inquiries: ⟪email⟫", 3),
    T(
        "social_post",
        "en",
        "RT ⟪handle⟫: Registration for the spring hackathon closes Friday. Don't miss it!",
        2,
    ),
    T("forum_post", "en", 'Quoting ⟪handle⟫: "Just reinstall the driver" (didn\'t work for me.)', 2),
    T("social_post", "zh", "感谢 ⟪handle⟫ 的分享，学到了很多！", 1),
    T("social_post", "en", "Congrats ⟪handle⟫!! 🎉 cc ⟪handle:2⟫ ⟪handle:3⟫", 2),
    T("social_post", "es", "Gracias ⟪handle⟫ por la receta, me salió buenísima 😍", 2),
    T("forum_post", "de", "Danke ⟪handle⟫, genau das war das Problem!", 2),
    # ----- mixed
    T(
        "json_record",
        "en",
        '{"customer": {"name": "⟪name⟫", "email": "⟪email⟫", "phone": "⟪phonee⟫", "last_ip": "⟪ip⟫", '
        '"iban": "⟪ibanc⟫"}}',
        2,
    ),
    T(
        "crm_note",
        "de",
        """
        Kunde: ⟪name⟫ (⟪email⟫, ⟪phone_nat⟫)
        Zahlung per Karte ⟪card⟫ abgelehnt, bitte Überweisung auf ⟪iban_de⟫ anbieten.
        Letzter Login von ⟪ip⟫.
        """,
        2,
    ),
    T(
        "crm_note",
        "en",
        """
        Caller: ⟪name⟫, DOB on file. SSN verified (⟪ssn⟫). Callback number ⟪phone_nat⟫, email ⟪email⟫.
        Twitter ⟪handle⟫ complained publicly; escalate to social team.
        """,
        2,
    ),
]

# ---------------------------------------------------------------------------------------------------------------
# Hard negatives: N(category, context, lang, text, n). No PII, but strings that look like it.
# ---------------------------------------------------------------------------------------------------------------

NEGATIVE_TEMPLATES: list[Template] = [
    # ----- version numbers that parse as IPv4 addresses
    N(
        "version_number",
        "changelog",
        "en",
        """
        ## Changelog

        ### ⟪ver4⟫ (⟪date⟫)
        - Fixed a crash when opening empty projects
        - Updated translations

        ### ⟪ver4:2⟫ (⟪date:2⟫)
        - Initial public release
        """,
        4,
    ),
    N(
        "version_number",
        "forum_post",
        "en",
        "Upgraded the firmware from v⟪ver4⟫ to v⟪ver4:2⟫ and the Wi-Fi drops are gone.",
    ),
    N("version_number", "web_prose", "en", "Release 1.2.3.4 fixes the installer; v10.0.0.1 was never published."),
    N("version_number", "requirements", "en", "requests==2.31.0\nurllib3==⟪ver3⟫\ncertifi==2024.2.2\nidna==3.6"),
    N(
        "version_number",
        "log_line",
        "en",
        '⟪privip⟫ - - [⟪clfdate⟫] "GET / HTTP/1.1" 200 612 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) '
        'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/⟪chromever⟫ Safari/537.36"',
    ),
    N(
        "version_number",
        "csharp_code",
        "en",
        '[assembly: AssemblyVersion("⟪ver4⟫")]\n[assembly: AssemblyFileVersion("⟪ver4⟫")]',
    ),
    N("version_number", "terminal_output", "en", "Microsoft Windows [Version 10.0.⟪num⟫.⟪num3⟫]"),
    N(
        "version_number",
        "web_prose",
        "de",
        "Version ⟪ver4⟫ behebt mehrere Sicherheitslücken; bitte zeitnah aktualisieren.",
    ),
    N("version_number", "web_prose", "fr", "La mise à jour ⟪ver4⟫ apporte la prise en charge du mode sombre."),
    N("version_number", "web_prose", "es", "La versión ⟪ver4⟫ del controlador corrige el problema de audio."),
    N("version_number", "web_prose", "en", "See section ⟪ver4⟫ of the specification for the exact grammar."),
    N("version_number", "shell", "en", "snmpget -v2c -c public ⟪privip⟫ 1.3.6.1.2.1.1.5.0 1.3.6.1.2.1.1.3.0"),
    N("version_number", "terminal_output", "en", "Build fingerprint: ⟪ver4⟫-release-keys (API ⟪small⟫)"),
    N("version_number", "xml", "en", '<dependency groupId="org.acme" artifactId="core" version="⟪ver4⟫"/>'),
    N("version_number", "json_config", "en", '{"name": "app", "version": "⟪ver3⟫", "engines": {"node": ">=18.0.0"}}'),
    # ----- dates and times
    N(
        "date_time",
        "log_line",
        "en",
        "⟪date⟫ ⟪time⟫,⟪ms⟫ INFO  [main] Application started in 4.12 seconds (JVM running for 4.87)",
    ),
    N("date_time", "web_prose", "en", "The meeting moved from 2021-05-12 12:30 to ⟪date⟫ ⟪hm⟫ UTC."),
    N(
        "date_time",
        "web_prose",
        "de",
        "Öffnungszeiten: Mo–Fr 08:00–18:00 Uhr, Sa 09:00–13:00 Uhr. Am ⟪dlocal⟫ bleibt die Praxis geschlossen.",
    ),
    N("date_time", "web_prose", "fr", "Le colloque aura lieu du ⟪dlocal⟫ au ⟪dlocal:2⟫ à l'amphithéâtre B, à 14h30."),
    N("date_time", "json_config", "en", '{"created_at": "⟪date⟫T⟪time⟫.⟪ms⟫Z", "updated_at": "⟪date:2⟫T⟪time:2⟫Z"}'),
    N("date_time", "crontab", "en", "0 */6 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1"),
    N(
        "date_time",
        "markdown_table",
        "en",
        """
        | Date | Start | End | Hours |
        |---|---|---|---|
        | ⟪date⟫ | 08:30 | 17:15 | 8.75 |
        | ⟪date:2⟫ | 09:00 | 18:00 | 9.00 |
        """,
    ),
    N("date_time", "web_prose", "zh", "会议时间：⟪date⟫ 14:30，地点：三楼会议室。"),
    N("date_time", "web_prose", "ja", "受付期間は ⟪dlocal⟫ から ⟪dlocal:2⟫ までです。"),
    N("date_time", "web_prose", "en", "Unix time ⟪epoch⟫ corresponds to ⟪date⟫ ⟪time⟫ UTC."),
    N("date_time", "web_prose", "es", "La oferta es válida del ⟪dlocal⟫ al ⟪dlocal:2⟫, de 10:00 a 21:30."),
    N("date_time", "web_prose", "pt", "Inscrições abertas até ⟪dlocal⟫ às 23h59 (horário de Brasília)."),
    # ----- ISBNs and DOIs
    N(
        "isbn_doi",
        "bibliography",
        "en",
        "⟪last⟫, ⟪initial⟫. (⟪year⟫). A History of Small Things. Penguin. ISBN ⟪isbn13⟫.",
    ),
    N("isbn_doi", "web_prose", "en", "ISBN-10: ⟪isbn10⟫\nISBN-13: ⟪isbn13⟫\nPaperback, 352 pages"),
    N(
        "isbn_doi",
        "bibliography",
        "en",
        "⟪last⟫ et al. (⟪year⟫) Journal of Applied Things 12(3):45–67. doi:⟪doi⟫",
        4,
    ),
    N("isbn_doi", "bibliography", "en", "Available at https://doi.org/⟪doi⟫ (accessed ⟪date⟫)."),
    N("isbn_doi", "web_prose", "de", "Gebundene Ausgabe, 24,90 €, ISBN ⟪isbn13⟫"),
    N("isbn_doi", "web_prose", "es", "Disponible en librerías (ISBN ⟪isbn13⟫)."),
    N("isbn_doi", "web_prose", "fr", "Broché – ISBN : ⟪isbn13⟫ – paru le ⟪dlocal⟫"),
    # ----- numbers that look like phone numbers
    N("phone_like_number", "web_prose", "en", "2^31 − 1 = 2147483647 is a Mersenne prime, and so is 2^61 − 1.", 1),
    N(
        "phone_like_number",
        "markdown_table",
        "en",
        """
        | Country | Population |
        |---|---:|
        | ⟪country⟫ | ⟪bignum⟫ |
        | ⟪country:2⟫ | ⟪bignum:2⟫ |
        """,
    ),
    N("phone_like_number", "web_prose", "en", "The first digits of π are 3.14159 26535 89793 23846 26433 83279.", 1),
    N(
        "phone_like_number",
        "web_prose",
        "en",
        "12! = 479001600 and 13! = 6227020800, which no longer fits in 32 bits.",
        1,
    ),
    N("phone_like_number", "web_prose", "en", "n = ⟪num⟫, mean = ⟪float⟫, sd = ⟪float:2⟫, p < 0.001"),
    N("phone_like_number", "web_prose", "en", "GPS: 48.858370, 2.294481 (elevation 35 m)"),
    N(
        "phone_like_number",
        "csv",
        "en",
        "sample_id,absorbance,concentration\nS-01,0.4153,12.5571\nS-02,0.3982,11.9027\nS-03,0.5120,15.0443",
    ),
    N(
        "phone_like_number",
        "web_prose",
        "en",
        "In an emergency call 911 (or 112 in Europe). Text STOP to 78901 to opt out.",
    ),
    N("phone_like_number", "web_prose", "en", "Final score 102-99 after overtime; attendance 18,997."),
    N("phone_like_number", "web_prose", "en", "Water is CAS 7732-18-5 and ethanol is CAS 64-17-5."),
    N("phone_like_number", "web_prose", "en", "See U.S. Patent No. 10,⟪num3⟫,⟪num3:2⟫ B2 for the original claims."),
    N("phone_like_number", "web_prose", "fr", "Le budget 2024 s'élève à ⟪num3⟫ ⟪num3:2⟫ ⟪num3:3⟫ euros, soit +4,2 %."),
    N(
        "phone_like_number",
        "web_prose",
        "de",
        "Der Umsatz stieg auf ⟪num3⟫.⟪num3:2⟫.⟪num3:3⟫ Euro (Vorjahr: 1.204.118 Euro).",
    ),
    N("phone_like_number", "web_prose", "en", "Mail to PO Box ⟪num3⟫, Springfield, IL 62704-1234."),
    N("phone_like_number", "web_prose", "zh", "本季度营收 ⟪bignum⟫ 元，同比增长 12.5%。"),
    N("order_number", "web_prose", "en", "Your order #⟪num8⟫ has shipped and should arrive in 3–5 business days."),
    N("order_number", "web_prose", "es", "Su pedido n.º ⟪num8⟫ ha sido enviado."),
    N("order_number", "web_prose", "en", "Order number: ⟪num10⟫ (keep this for returns)."),
    N("order_number", "web_prose", "pt", "Pedido #⟪num8⟫ confirmado! Previsão de entrega: ⟪dlocal⟫."),
    N("order_number", "web_prose", "en", "Order INV-⟪year⟫-⟪num6⟫ confirmed. Total: ⟪amount⟫."),
    N("order_number", "web_prose", "en", "UPS tracking 1Z⟪num3⟫AA1⟪num8⟫ — out for delivery."),
    N("order_number", "web_prose", "de", "Ihre Bestellnummer lautet ⟪num8⟫-⟪num3⟫. Bitte bei Rückfragen angeben."),
    # ----- hex colours
    N(
        "hex_colour",
        "css",
        "en",
        """
        .btn-primary {
          color: #⟪hex6⟫;
          background-color: #⟪hex6:2⟫;
          border: 1px solid #⟪hex3⟫;
        }
        @media (max-width: 768px) {
          .btn-primary { padding: 4px 8px; }
        }
        """,
    ),
    N("hex_colour", "web_prose", "en", "Our brand palette: primary #⟪hex6⟫, accent #⟪hex6:2⟫, neutral #⟪hex6:3⟫."),
    # ----- UUIDs
    N("uuid", "log_line", "en", "request_id=⟪uuid⟫ status=200 duration_ms=⟪small⟫"),
    N("uuid", "json_record", "en", '{"id": "⟪uuid⟫", "type": "invoice", "status": "paid", "total": ⟪amountn⟫}'),
    N("uuid", "web_prose", "en", "Support reference: ⟪uuid⟫. Please quote it if you contact us about this incident."),
    N("uuid", "sql", "en", "SELECT * FROM jobs WHERE id = '⟪uuid⟫' AND state = 'failed';"),
    # ----- git SHAs
    N(
        "git_sha",
        "commit_message",
        "en",
        """
        commit ⟪sha⟫
        Merge: ⟪sha7⟫ ⟪sha7:2⟫

            Merge pull request #⟪small⟫ from feature/cleanup
        """,
    ),
    N("git_sha", "commit_message", "en", "Fixed in ⟪sha⟫ (backported to the 2.x branch as ⟪sha7⟫)."),
    N("git_sha", "commit_message", "en", 'Revert "Use the new parser"\n\nThis reverts commit ⟪sha⟫.'),
    N(
        "git_sha",
        "lockfile",
        "en",
        'lodash@^4.17.21:\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#⟪sha⟫"\n'
        "  integrity sha512-⟪b64_64⟫",
    ),
    N("git_sha", "json_config", "en", '{"commit": "⟪sha⟫", "tree": "⟪sha:2⟫", "branch": "main"}'),
    # ----- MAC addresses
    N(
        "mac_address",
        "terminal_output",
        "en",
        """
        2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP
            link/ether ⟪mac⟫ brd ff:ff:ff:ff:ff:ff
            inet ⟪privip⟫/24 brd 192.168.1.255 scope global dynamic eth0
            inet6 ⟪ll6⟫/64 scope link
        """,
    ),
    N(
        "mac_address",
        "config",
        "en",
        'host printer {\n  hardware ethernet ⟪mac⟫;\n  fixed-address ⟪privip⟫;\n  option host-name "printer";\n}',
    ),
    N("mac_address", "web_prose", "de", "Die MAC-Adresse des Routers lautet ⟪mac⟫ (steht auf dem Aufkleber)."),
    N("mac_address", "web_prose", "fr", "Adresse MAC de la carte réseau : ⟪mac⟫."),
    # ----- 16-digit numbers that fail Luhn, masked cards, barcodes
    N("luhn_invalid_number", "web_prose", "en", "Reference number: ⟪badluhn16⟫"),
    N("luhn_invalid_number", "web_prose", "en", "Invoice ⟪badluhn16g⟫ is due on ⟪date⟫."),
    N("luhn_invalid_number", "web_prose", "en", "Tracking number: ⟪badluhn16⟫ (express delivery)"),
    N("luhn_invalid_number", "web_prose", "fr", "Numéro de contrat : ⟪badluhn16g⟫"),
    N("luhn_invalid_number", "web_prose", "de", "Ihre Kundennummer: ⟪badluhn16⟫"),
    N("luhn_invalid_number", "log_line", "en", "ts_us=⟪epoch16⟫ event=flush bytes=⟪num⟫"),
    N("luhn_invalid_number", "web_prose", "en", "Gift card code ⟪badluhn16g⟫, PIN on the back."),
    N("masked_card", "web_prose", "en", "Card: **** **** **** ⟪last4⟫ (Visa), expires ⟪exp⟫"),
    N("masked_card", "web_prose", "en", "Your Visa ending in ⟪last4⟫ will be charged ⟪amount⟫ on ⟪date⟫."),
    N("masked_card", "web_prose", "es", "Tarjeta XXXX-XXXX-XXXX-⟪last4⟫ cargada con éxito."),
    N("barcode", "web_prose", "en", "EAN: ⟪ean13⟫ · Weight: 1.2 kg"),
    N("barcode", "csv", "en", "sku,ean,price\nA-⟪num⟫,⟪ean13⟫,⟪amountn⟫\nA-⟪num:2⟫,⟪ean13:2⟫,⟪amountn:2⟫"),
    # ----- private, loopback, documentation and link-local IPs
    N(
        "private_ip",
        "web_prose",
        "en",
        "Set your router's LAN address to 192.168.⟪small⟫.1 and the DHCP range to 192.168.⟪small⟫.100 – "
        "192.168.⟪small⟫.200.",
    ),
    N("private_ip", "shell", "en", "docker run -p 127.0.0.1:8080:80 nginx   # then open http://localhost:8080"),
    N(
        "private_ip",
        "terminal_output",
        "en",
        """
        NAME         TYPE        CLUSTER-IP      PORT(S)
        kubernetes   ClusterIP   10.96.0.1       443/TCP
        redis        ClusterIP   ⟪privip⟫    6379/TCP
        """,
    ),
    N(
        "documentation_ip",
        "web_prose",
        "en",
        "In the examples below, replace 192.0.2.10 and 2001:db8::1 with the addresses of your own servers.",
        1,
    ),
    N("documentation_ip", "web_prose", "en", "Point the A record at ⟪docip⟫ and the AAAA record at ⟪docip6⟫."),
    N(
        "private_ip",
        "config",
        "en",
        """
        127.0.0.1   localhost
        ::1         localhost ip6-localhost ip6-loopback
        fe00::0     ip6-localnet
        ff02::1     ip6-allnodes
        ⟪privip⟫  ⟪repo⟫.internal
        """,
    ),
    N(
        "private_ip",
        "terminal_output",
        "en",
        "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n        inet ⟪privip⟫  netmask 255.255.255.0  "
        "broadcast 10.0.0.255\n        inet6 ⟪ll6⟫  prefixlen 64  scopeid 0x20<link>",
    ),
    N("private_ip", "web_prose", "en", "Allow traffic from 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 only.", 1),
    N(
        "private_ip",
        "forum_post",
        "en",
        "My WAN address is 100.⟪cgnat⟫.12.7, which is in the carrier-grade NAT range 100.64.0.0/10, so port "
        "forwarding cannot work.",
        1,
    ),
    N("private_ip", "web_prose", "de", "Der Drucker hat die feste IP 192.168.178.⟪small⟫ (Standardnetz der FritzBox)."),
    N(
        "private_ip",
        "web_prose",
        "fr",
        "Connectez-vous à l'interface sur http://192.168.1.1 (identifiant par défaut : admin).",
    ),
    N("private_ip", "log_line", "en", "Listening on 0.0.0.0:⟪port⟫ and [::]:⟪port⟫"),
    N("private_ip", "python_code", "en", 'REDIS_HOST = "⟪privip⟫"\nREDIS_PORT = 6379\nBIND = "127.0.0.1"'),
    N("private_ip", "log_line", "en", "⟪date⟫ ⟪time⟫ dhcpd: DHCPACK on ⟪privip⟫ to ⟪mac⟫ via eth1"),
    N("private_ip", "yaml_config", "en", "network:\n  subnet: 172.18.0.0/16\n  gateway: 172.17.0.1\n  ipv6: ⟪ula6⟫/64"),
    N("private_ip", "web_prose", "es", "Abre el navegador y entra en 192.168.0.1 para configurar el router."),
    N("private_ip", "web_prose", "ja", "ルーターの管理画面（192.168.11.1）にアクセスしてください。"),
    N("private_ip", "log_line", "en", "ping ::1 — 64 bytes from ::1: icmp_seq=1 ttl=64 time=0.045 ms"),
    # ----- reserved e-mail domains and e-mail look-alikes
    N(
        "example_email",
        "web_prose",
        "en",
        "Send a test message to ⟪exmail⟫ and check that it arrives in the catch-all.",
    ),
    N("example_email", "python_code", "en", 'user = User(email="⟪exmail⟫", name="Test User")\nuser.save()'),
    N("example_email", "web_prose", "en", "Replace ⟪exmail⟫ with your own address in config.yml."),
    N("example_email", "web_prose", "de", "Beispiel: max.mustermann@example.com oder erika@example.org", 1),
    N("example_email", "shell", "en", 'git config --global user.email "you@example.com"', 1),
    N("example_email", "web_prose", "fr", "Par exemple : ⟪exmail⟫ (adresse fictive réservée à la documentation)."),
    N(
        "example_email",
        "web_prose",
        "en",
        "Addresses like admin@localhost or test@foo.invalid never leave the machine.",
    ),
    N("retina_image", "web_prose", "en", "Upload both logo.png and logo@2x.png (and icon@3x.png for iOS)."),
    N("retina_image", "html_like", "en", "srcset: hero@1x.jpg 1x, hero@2x.jpg 2x, hero@3x.webp 3x"),
    N("retina_image", "css", "en", ".icon { background-image: url(sprite@2x.png); }"),
    N("git_remote", "shell", "en", "git remote add origin git@github.com:⟪org⟫/⟪repo⟫.git\ngit push -u origin main"),
    N("package_version", "shell", "en", "npm install lodash@4.17.21 react@18.2.0 --save-exact"),
    N("docker_digest", "shell", "en", "docker pull nginx@sha256:⟪sha256⟫"),
    N("shell_prompt", "shell", "en", "deploy@web-01:~$ sudo systemctl restart nginx\ndeploy@web-01:~$ exit"),
    # ----- secret placeholders
    N("secret_placeholder", "python_code", "en", 'api_key = "YOUR_API_KEY_HERE"', 1),
    N("secret_placeholder", "python_code", "en", 'password = "changeme"', 1),
    N(
        "secret_placeholder",
        "env_file",
        "en",
        "# .env.example\nAPI_KEY=\nSECRET_KEY=your-secret-key\nDATABASE_PASSWORD=<password>",
        1,
    ),
    N("secret_placeholder", "yaml_config", "en", "env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}", 1),
    N(
        "secret_placeholder",
        "python_code",
        "en",
        'API_KEY = os.environ["API_KEY"]\nSECRET = os.getenv("APP_SECRET", "")',
        1,
    ),
    N("secret_placeholder", "js_code", "en", "const apiKey = process.env.STRIPE_SECRET_KEY;", 1),
    N("secret_placeholder", "web_prose", "en", 'Set "password": "<your password>" in settings.json.', 1),
    N(
        "secret_placeholder",
        "config",
        "en",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        1,
    ),
    N("secret_placeholder", "env_file", "en", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 1),
    N("secret_placeholder", "yaml_config", "en", "database:\n  user: admin\n  password: '********'", 1),
    N("secret_placeholder", "python_code", "en", "SECRET_KEY = 'REPLACE_ME'\napi_token = '<insert token>'", 1),
    N("secret_placeholder", "json_config", "en", '{"api_key": "{{ api_key }}", "token": "xxxx-xxxx-xxxx"}', 1),
    N("secret_placeholder", "web_prose", "fr", 'Remplacez api_key = "VOTRE_CLE_API" par votre propre clé.', 1),
    N("secret_placeholder", "web_prose", "de", 'Trage bei passwort = "<Ihr Passwort>" dein eigenes Passwort ein.', 1),
    N("secret_placeholder", "python_code", "es", 'clave_api = "TU_CLAVE_AQUI"  # sustituir antes de ejecutar', 1),
    N("secret_placeholder", "env_file", "en", "POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?set it}\nREDIS_PASSWORD=", 1),
    N("secret_placeholder", "python_code", "en", 'password = getpass.getpass("Password: ")\ntoken = None', 1),
    N("secret_placeholder", "toml_config", "en", '[auth]\napi_key = "dummy"\nsecret = "test"', 1),
    N("secret_placeholder", "properties", "en", "spring.datasource.password=${DB_PASSWORD}", 1),
    # ----- high-entropy strings that are not secrets
    N("hash_checksum", "terminal_output", "en", "⟪sha256⟫  ubuntu-24.04-live-server-amd64.iso"),
    N("hash_checksum", "web_prose", "en", "SHA-256: ⟪sha256⟫\nMD5: ⟪hex32⟫"),
    N("public_key", "config", "en", "⟪pubkey⟫"),
    N("public_key", "config", "en", "⟪cert⟫", 2),
    N("public_key", "config", "en", "⟪sshpub⟫ deploy@ci-runner"),
    N("hash_checksum", "css", "en", "background-image: url(data:image/png;base64,iVBORw0KGgo⟪b64_32⟫);"),
    N("hash_checksum", "html_like", "en", "/static/js/main.⟪hex8⟫.chunk.js\n/static/css/main.⟪hex8:2⟫.css"),
    N("hash_checksum", "http_response", "en", "Content-Security-Policy: script-src 'self' 'sha256-⟪b64_32⟫'"),
    N("hash_checksum", "http_response", "en", 'ETag: "⟪hex32⟫"\nCache-Control: max-age=3600'),
    N("non_secret_assignment", "python_code", "en", 'request_id = "⟪hex32⟫"\nchecksum = "⟪sha256⟫"'),
    N(
        "non_secret_assignment",
        "json_config",
        "en",
        '{"password_min_length": 12, "token_ttl_seconds": 3600, "api_version": "2023-10-16"}',
        1,
    ),
    N(
        "non_secret_assignment",
        "python_code",
        "en",
        'PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]\ntoken_type = "Bearer"',
        1,
    ),
    N("non_secret_assignment", "python_code", "en", 'secret_name = "prod/db-credentials"\nregion = "eu-west-1"', 1),
    N("non_secret_assignment", "yaml_config", "en", "image:\n  tag: ⟪sha7⟫\n  digest: sha256:⟪sha256⟫"),
    N("non_secret_assignment", "env_file", "en", "BUILD_ID=⟪uuid⟫\nGIT_COMMIT=⟪sha⟫"),
    N(
        "non_secret_assignment",
        "web_prose",
        "en",
        "JWTs start with eyJ because base64 of '{\"' is eyJ; never log them.",
        1,
    ),
    # ----- @ that is not a user handle
    N(
        "decorator",
        "python_code",
        "en",
        """
        @dataclass
        class Point:
            x: float
            y: float

            @property
            def norm(self) -> float:
                return (self.x ** 2 + self.y ** 2) ** 0.5
        """,
        1,
    ),
    N(
        "decorator",
        "java_code",
        "en",
        """
        @Service
        public class UserService {
            @Autowired
            private UserRepository repo;

            @Override
            public String toString() {
                return "UserService";
            }
        }
        """,
        1,
    ),
    N("npm_scope", "shell", "en", "npm install --save-dev @types/node @typescript-eslint/parser", 1),
    N(
        "npm_scope",
        "json_config",
        "en",
        '"dependencies": {\n  "@angular/core": "^17.1.0",\n  "@babel/runtime": "7.23.9",\n  "@vue/shared": "3.4.15"\n}',
        1,
    ),
    N(
        "css_at_rule",
        "css",
        "en",
        """
        @import url("fonts.css");
        @font-face { font-family: "Inter"; src: url(inter.woff2); }
        @keyframes spin { to { transform: rotate(360deg); } }
        @media print { nav { display: none; } }
        """,
        1,
    ),
    N(
        "javadoc",
        "java_code",
        "en",
        "/**\n * Finds a user.\n * @param id the user id\n * @return the user, never null\n"
        " * @throws NotFoundException if absent\n */",
        1,
    ),
    N(
        "decorator",
        "python_code",
        "en",
        '@pytest.mark.parametrize("x", [1, 2, 3])\ndef test_square(x):\n    assert x * x >= x',
        1,
    ),
    N("decorator", "python_code", "en", '@app.route("/login", methods=["POST"])\ndef login():\n    ...', 1),
    N("decorator", "ts_code", "en", "@Component({ selector: 'app-root', templateUrl: './app.component.html' })", 1),
    N("cpp_scope", "cpp_code", "en", "std::vector<std::string> names;\nstd::unordered_map<int, double> weights;", 1),
    N(
        "cpp_scope",
        "rust_code",
        "en",
        "use std::collections::HashMap;\nlet mut m: HashMap<u32, u32> = HashMap::new();",
        1,
    ),
    N("cpp_scope", "cpp_code", "en", 'for (auto& [k, v] : weights) std::cout << k << "::" << v << std::endl;', 1),
    N(
        "cpp_scope",
        "php_code",
        "en",
        "$user = App\\Models\\User::find(1);\nRoute::get('/', [HomeController::class, 'index']);",
        1,
    ),
    N("at_sign_prose", "chat", "en", "@here standup moved to 10:30 today, same room", 1),
    N("at_sign_prose", "web_prose", "en", "Meet me @ the station at 6, lunch @ 12:30 is cancelled.", 1),
    N(
        "at_sign_prose",
        "sql",
        "en",
        "DECLARE @total INT;\nSET @total = (SELECT COUNT(*) FROM orders WHERE status = 'open');",
        1,
    ),
    N("at_sign_prose", "diff", "en", "@@ -12,7 +12,9 @@ def main():\n-    run()\n+    run(verbose=True)", 1),
    N("at_sign_prose", "batch", "en", "@echo off\nset PATH=%PATH%;C:\\tools\\bin", 1),
    N("at_sign_prose", "spreadsheet", "en", "=SUM(Table1[@[Q1]:[Q4]])", 1),
    # ----- SSN look-alikes
    N(
        "ssn_invalid",
        "web_prose",
        "en",
        "Numbers beginning with 000, 666 or 900–999 (e.g. ⟪bad_ssn⟫) are never issued as SSNs.",
    ),
    N("ssn_invalid", "form_dump", "en", "SSN: ***-**-⟪last4⟫ (masked)"),
    N("ssn_invalid", "form_dump", "en", "SSN: XXX-XX-⟪last4⟫"),
    N("ssn_invalid", "web_prose", "en", "EIN ⟪ein⟫ belongs to the employer, not to the employee."),
    N("ssn_invalid", "web_prose", "en", "Case No. ⟪year⟫-CV-⟪num⟫ was dismissed on ⟪date⟫."),
    # ----- IBAN look-alikes
    N("iban_invalid", "web_prose", "en", "Note: ⟪bad_iban⟫ is not a valid IBAN (the check digits are wrong)."),
    N("iban_invalid", "invoice", "de", "IBAN: DEXX XXXX XXXX XXXX XXXX XX (bitte eigene Bankverbindung eintragen)", 1),
    N("iban_invalid", "invoice", "de", "SWIFT/BIC: ⟪bic⟫ · USt-IdNr.: DE⟪num9⟫"),
    N("iban_invalid", "invoice", "fr", "N° TVA intracommunautaire : FR⟪small⟫⟪num9⟫ – SIRET ⟪num9⟫ 00012"),
    # ----- plain prose with numbers, several languages
    N("prose_numbers", "web_prose", "en", "The 2024 model year adds 12.3-inch screens and a 0–60 time of 5.9 s."),
    N("prose_numbers", "web_prose", "pt", "A temperatura chegou a 38,5 °C em Cuiabá, recorde desde 1998."),
    N("prose_numbers", "web_prose", "es", "El tren AVE 03071 sale a las 07:30 del andén 4."),
    N("prose_numbers", "web_prose", "zh", "第3.2.1节规定了版本号格式，例如 2.10.4.1。"),
    N("prose_numbers", "web_prose", "ja", "バージョン 3.1.4.1 では、いくつかの不具合が修正されました。"),
]


def generate(seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    values = Values(rng)
    records: list[dict[str, object]] = []
    seen: set[str] = set()
    for template in [*POSITIVE_TEMPLATES, *NEGATIVE_TEMPLATES]:
        made = 0
        for _attempt in range(template.n * 20):
            if made == template.n:
                break
            text, spans = render(template, values)
            if text in seen:
                continue
            seen.add(text)
            made += 1
            if template.category == "positive":
                assert spans, f"positive template without PII slot: {template.text[:60]!r}"
            else:
                assert not spans, f"negative template with a PII slot: {template.text[:60]!r}"
            records.append(
                {
                    "id": f"pii-{len(records):04d}",
                    "text": text,
                    "lang": template.lang,
                    "context": template.context,
                    "category": template.category,
                    "spans": spans,
                }
            )
    verify(records)
    return records


def verify(records: list[dict[str, object]]) -> None:
    """Offsets, non-overlap, and each value valid for its entity type."""
    for rec in records:
        text: str = rec["text"]  # type: ignore[assignment]
        spans: list[dict[str, object]] = rec["spans"]  # type: ignore[assignment]
        previous_end = -1
        for span in sorted(spans, key=lambda s: s["start"]):  # type: ignore[arg-type, return-value]
            start, end, entity = span["start"], span["end"], span["entity"]
            assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            assert start >= previous_end, f"overlapping spans in {rec['id']}"
            previous_end = end
            value = text[start:end]
            assert value == value.strip() and value, (rec["id"], value)
            assert entity in ENTITIES
            if entity == "IP_ADDRESS":
                assert is_public_ip(value), value
            elif entity == "CREDIT_CARD":
                assert luhn_ok(re.sub(r"[ -]", "", value)), value
            elif entity == "IBAN":
                assert iban_ok(value), value
            elif entity == "US_SSN":
                assert ssn_ok(value), value
            elif entity == "PHONE_NUMBER":
                region = LANG_REGION.get(rec["lang"], "US")  # type: ignore[arg-type]
                assert phonenumbers.is_valid_number(phonenumbers.parse(value, region)), (rec["id"], value)
            elif entity == "EMAIL_ADDRESS":
                assert re.fullmatch(r"[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]{2,}", value), value
                assert not re.search(r"@(.+\.)?example\.(com|org|net)$", value), value
            elif entity == "USER_HANDLE":
                assert re.fullmatch(r"@[A-Za-z0-9_]{1,15}", value), value


def summary(records: list[dict[str, object]]) -> str:
    spans = Counter(s["entity"] for r in records for s in r["spans"])  # type: ignore[attr-defined]
    pos = sum(1 for r in records if r["spans"])
    neg = len(records) - pos
    langs = Counter(r["lang"] for r in records)
    contexts = Counter(r["context"] for r in records)
    categories = Counter(r["category"] for r in records if not r["spans"])
    lines = [
        f"{len(records)} texts: {pos} with PII ({sum(spans.values())} spans), {neg} hard negatives",
        "spans: " + ", ".join(f"{e}={spans[e]}" for e in ENTITIES),
        "languages: " + ", ".join(f"{k}={n}" for k, n in langs.most_common()),
        f"contexts ({len(contexts)}): " + ", ".join(f"{k}={n}" for k, n in contexts.most_common()),
        f"negative categories ({len(categories)}): " + ", ".join(f"{k}={n}" for k, n in categories.most_common()),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    records = generate(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for rec in records:
            handle.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(summary(records))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
