#!/usr/bin/env python
"""Write ``bench/pii_eval/pii_testset8.jsonl``: an independent, labelled PII evaluation set (seed 80808).

Every text comes from a template written for this set; every value is fake and generated while the text is built,
and its offsets are recorded as it is inserted. Templates mark values with ``⟦kind⟧`` slots (``⟦kind.variant⟧``,
``⟦kind#tag⟧`` to reuse one value inside a template, ``⟦email~tag⟧`` for an address derived from the name slot
with that tag). A kind either produces a labelled value (EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET) or an
unlabelled filler (names, hosts, private IPs, hashes, look-alikes).

Checks, all fatal: ``text[start:end]`` is the inserted value, spans do not overlap, each value is valid for its
type, positives have spans and hard negatives have none, no text repeats, and a policy scanner finds no
unlabelled PII (public IPs, real-looking e-mails, Luhn-valid card numbers of real brands, vendor tokens,
private-key blocks, assigned secrets) except the look-alike type a hard-negative category was built for.

Usage: ``python bench/pii_eval/make_testset8.py`` (standard library only).
"""

from __future__ import annotations

import base64
import ipaddress
import itertools
import json
import random
import re
import string
import sys
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SEED = 80808
OUT = Path(__file__).with_name("pii_testset8.jsonl")
PREFIX = "t8"

EMAIL = "EMAIL_ADDRESS"
IP = "IP_ADDRESS"
CARD = "CREDIT_CARD"
SECRET = "SECRET"
ENTITIES = (EMAIL, IP, CARD, SECRET)

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"
B32 = UP + "234567"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


# --------------------------------------------------------------------------------------------------------------
# random helpers
# --------------------------------------------------------------------------------------------------------------


def rs(r: random.Random, alphabet: str, n: int) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def classes(v: str) -> int:
    return sum((any(c.isupper() for c in v), any(c.islower() for c in v), any(c.isdigit() for c in v)))


def rmix(r: random.Random, alphabet: str, n: int, need: int = 2) -> str:
    """Random string that has at least ``need`` of the upper/lower/digit classes (alphabet permitting)."""
    while True:
        v = rs(r, alphabet, n)
        if classes(v) >= need:
            return v


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def rbytes(r: random.Random, n: int) -> bytes:
    return bytes(r.randrange(256) for _ in range(n))


def b62(num: int, width: int) -> str:
    out = ""
    while num:
        num, rem = divmod(num, 62)
        out = (DG + UP + LO)[rem] + out
    return out.rjust(width, "0")


def uuid4(r: random.Random) -> str:
    h = rs(r, HEX, 32)
    h = h[:12] + "4" + h[13:16] + r.choice("89ab") + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# --------------------------------------------------------------------------------------------------------------
# people, places, domains
# --------------------------------------------------------------------------------------------------------------

# culture: (first names, last names, webmail domains, company TLDs); romanized, for addresses
CULT: dict[str, tuple[str, str, str, str]] = {
    "en": (
        "james olivia liam emma noah ava ethan mia lucas chloe daniel grace ryan hannah owen megan",
        "smith johnson walker patel nguyen obrien campbell hughes foster reid morgan bennett",
        "gmail.com outlook.com yahoo.com hotmail.co.uk icloud.com proton.me fastmail.com aol.com",
        "com co.uk io net us ca com.au ie co.nz",
    ),
    "de": (
        "lukas anna jonas lea felix marie paul sophie jan katrin tobias julia",
        "mueller schmidt schneider fischer weber becker hoffmann schaefer koch wagner brandt vogel",
        "web.de gmx.de t-online.de posteo.de gmx.net mailbox.org gmx.at bluewin.ch",
        "de de de at ch",
    ),
    "fr": (
        "camille louis chloe hugo manon lucas ines theo julie mathieu lea antoine",
        "martin bernard dubois moreau laurent lefebvre fontaine girard rousseau blanc mercier",
        "orange.fr free.fr laposte.net sfr.fr wanadoo.fr gmail.com",
        "fr fr be ch",
    ),
    "es": (
        "lucia hugo martina pablo sofia alejandro carmen javier elena diego valentina",
        "garcia fernandez lopez martinez sanchez perez gomez ruiz diaz moreno herrera",
        "gmail.com hotmail.es yahoo.es telefonica.net outlook.es",
        "es es mx com.ar cl co",
    ),
    "pt": (
        "joao maria pedro ana lucas beatriz rafael juliana thiago camila",
        "silva santos oliveira souza pereira costa rodrigues almeida ferreira lima",
        "uol.com.br bol.com.br terra.com.br sapo.pt gmail.com hotmail.com",
        "com.br com.br pt",
    ),
    "it": (
        "giulia marco francesca luca chiara alessandro sara matteo elena davide",
        "rossi russo ferrari esposito bianchi romano colombo ricci marino greco",
        "libero.it virgilio.it tiscali.it alice.it gmail.com",
        "it",
    ),
    "nl": (
        "daan emma sem julia lucas sanne bram lotte thijs femke",
        "devries jansen bakker visser smit meijer mulder bos vos dekker",
        "ziggo.nl kpnmail.nl hotmail.nl gmail.com",
        "nl nl be",
    ),
    "pl": (
        "jakub zuzanna kacper julia szymon maja filip zofia mateusz aleksandra",
        "nowak kowalski wisniewski wojcik kaminski lewandowski zielinski szymanski",
        "wp.pl onet.pl interia.pl o2.pl gmail.com",
        "pl com.pl",
    ),
    "ru": (
        "ivan anna dmitry olga sergey elena alexey natalia mikhail tatiana",
        "ivanov smirnova kuznetsov popova sokolov lebedeva kozlov novikova morozov volkov",
        "yandex.ru mail.ru rambler.ru bk.ru list.ru inbox.ru",
        "ru ru su",
    ),
    "uk": (
        "oleksandr olena andriy iryna taras oksana bohdan natalia yurii kateryna",
        "shevchenko bondarenko kovalenko tkachenko kravchenko melnyk boyko koval",
        "ukr.net i.ua meta.ua gmail.com",
        "ua com.ua",
    ),
    "ja": (
        "haruto yui sota hina yuto mei kenji sakura takumi aoi",
        "sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato",
        "yahoo.co.jp docomo.ne.jp ezweb.ne.jp gmail.com icloud.com",
        "co.jp jp ne.jp",
    ),
    "zh": (
        "wei fang lei jing yang min tao hao xiu ming",
        "wang li zhang liu chen yang huang zhao zhou wu",
        "qq.com 163.com 126.com sina.com foxmail.com aliyun.com",
        "com.cn cn",
    ),
    "ko": (
        "minjun seoyeon jiho haeun doyun jiwoo seojun yuna hyunwoo soyeon",
        "kim lee park choi jung kang cho yoon jang lim",
        "naver.com daum.net hanmail.net kakao.com gmail.com",
        "co.kr kr",
    ),
    "ar": (
        "ahmed fatima omar layla youssef mariam khalid nour hassan salma",
        "alhashimi mansour haddad khalil nasser saleh farouk aziz",
        "gmail.com hotmail.com yahoo.com outlook.sa",
        "sa ae com.eg",
    ),
    "he": (
        "noam tamar yonatan noa itai shira eitan maya ariel yael",
        "cohen levi mizrahi peretz biton friedman katz azoulay",
        "walla.co.il gmail.com 012.net.il bezeqint.net",
        "co.il",
    ),
    "tr": (
        "mehmet ayse mustafa fatma emre zeynep burak elif can merve",
        "yilmaz kaya demir sahin celik yildiz ozturk aydin arslan dogan",
        "gmail.com hotmail.com yandex.com.tr mynet.com",
        "com.tr",
    ),
    "vi": (
        "minh lan hung mai tuan huong duc thao nam linh",
        "nguyen tran le pham hoang phan vu dang bui do",
        "gmail.com yahoo.com.vn fpt.vn",
        "vn com.vn",
    ),
    "th": (
        "somchai siriporn anan malee kittisak pranee nattapong wanida",
        "saetang srisuk wongsawat chaiyaporn boonmee rattanakorn",
        "hotmail.com gmail.com",
        "co.th in.th",
    ),
    "hi": (
        "aarav priya rohan ananya vikram sneha arjun kavya rahul neha",
        "sharma verma gupta iyer reddy nair patel singh mehta joshi",
        "gmail.com rediffmail.com yahoo.co.in",
        "in co.in",
    ),
    "id": (
        "budi siti agus dewi andi rina eko putri hendra wulan",
        "santoso wijaya saputra hidayat kurniawan pratama setiawan lestari",
        "gmail.com yahoo.co.id",
        "co.id id",
    ),
    "sv": (
        "erik anna lars karin johan emma oskar sara nils elin",
        "andersson johansson karlsson nilsson eriksson larsson olsson persson",
        "telia.com bredband.net gmail.com",
        "se",
    ),
    "cs": (
        "jakub tereza tomas lucie jan eliska petr katerina martin veronika",
        "novak svoboda novotny dvorak cerny prochazka kucera vesely",
        "seznam.cz email.cz centrum.cz",
        "cz",
    ),
    "el": (
        "giorgos maria nikos eleni kostas sofia dimitris katerina",
        "papadopoulos papadakis georgiou nikolaou oikonomou karagiannis",
        "otenet.gr gmail.com yahoo.gr",
        "gr",
    ),
    "fa": (
        "ali zahra reza fatemeh mohammad maryam hossein sara",
        "ahmadi hosseini karimi rezaei moradi jafari",
        "gmail.com yahoo.com chmail.ir",
        "ir",
    ),
    "fi": (
        "mikko anna juha laura antti sanna jussi elina",
        "virtanen korhonen makinen nieminen heikkinen koskinen",
        "gmail.com kolumbus.fi luukku.com",
        "fi",
    ),
    "da": (
        "mads sofie frederik ida mikkel freja",
        "nielsen jensen hansen pedersen andersen larsen",
        "jubii.dk gmail.com",
        "dk",
    ),
    "no": (
        "ola nora henrik ingrid magnus emma",
        "hansen johansen olsen larsen andersen berg",
        "online.no gmail.com",
        "no",
    ),
    "hu": (
        "bence anna mate eszter balazs reka",
        "nagy kovacs toth szabo horvath varga",
        "freemail.hu citromail.hu gmail.com",
        "hu",
    ),
    "ro": ("andrei ioana mihai elena alexandru maria", "popescu ionescu popa dumitru stan", "yahoo.ro gmail.com", "ro"),
}

STEMS = (
    "kessler-logistik brightpath hanseatic-data veloxa quantiva lumenor atelier-roux solvia nubecita casaverde "
    "ferrovia-tech windmolen polanex sibtrans dniprosoft kumo-labs hanbit-sys yildiz-yazilim saigon-dev kalinga-tech "
    "nordwind-it alpenblick bluefjord tierra-roja marisol-group oakridge-health finlogic stellarcart pixelhain "
    "vantor praxis-nord medikon olivetum huellas-studio kraftwerk-digital azurion mintleaf telaris brisa-energia "
    "aurelia-labs cobaltbay norrsken sisu-soft donauwerk vltava-data akropolis-net persepolis-co mekong-tech "
    "chao-phraya-soft jaya-digital kedai-kopi anatolia-bilisim levant-trade galilee-systems baltica fjordline"
).split()

WORDS_PW = {
    "en": "Sunflower Harbor Maple Falcon Granite Thunder Velvet Orchard Compass Lantern Saturn Willow",
    "de": "Sonnenblume Zugspitze Kaffeetasse Fahrrad Wolkenkratzer Brezel Schwarzwald Eichhorn Nordsee",
    "fr": "Papillon Soleil Chocolat Marseille Libellule Croissant Tournesol Lavande Bretagne",
    "es": "Girasol Mariposa Guitarra Tortuga Alameda Naranja Montaña Valencia Relampago",
    "pt": "Saudade Jabuticaba Cachoeira Ipanema Beija-Flor Maracuja Pitanga Coqueiro",
    "it": "Girasole Farfalla Limone Vespa Gelato Dolomiti Tramonto Cipresso",
    "nl": "Windmolen Tulpenveld Fietsbel Stroopwafel Zeehond Grachten Dijkgraaf",
    "pl": "Kasztan Wisla Pierogi Sikorka Zubr Bursztyn Tatry Jezioro",
    "ru": "Berezka Matryoshka Volga Sputnik Medved Zvezda Pelmeni Sibir",
    "ja": "Sakura Fujiyama Tanuki Kitsune Momiji Hanabi Sushi Tsubame",
    "tr": "Lale Bosphorus Simit Kartal Yildiz Deniz Ayva Kapadokya",
}


def culture(r: random.Random, variant: str) -> str:
    return variant if variant in CULT else r.choice(list(CULT))


def first_last(r: random.Random, cult: str) -> tuple[str, str]:
    f, la, _, _ = CULT[cult]
    return r.choice(f.split()), r.choice(la.split())


def company_domain(r: random.Random, cult: str) -> str:
    tld = r.choice(CULT[cult][3].split())
    return f"{r.choice(STEMS)}.{tld}"


def gen_email(r: random.Random, variant: str, person: tuple[str, str] | None = None) -> str:
    if variant == "gsa":
        return f"{r.choice(['deployer', 'ci-runner', 'etl', 'firebase-adminsdk-' + rs(r, LO + DG, 5)])}@{r.choice(STEMS)}-{r.choice(['prod', 'staging', 'data'])}.iam.gserviceaccount.com"
    role = variant.endswith("role")
    cult = culture(r, variant.removesuffix("role").rstrip("_"))
    f, la = person or first_last(r, cult)
    webmail = r.choice(CULT[cult][2].split())
    work = company_domain(r, cult)
    if role:
        local = r.choice(
            "info kontakt contact contato soporte support buchhaltung rechnungen facturation ventas vendas "
            "privacy datenschutz careers jobs billing office sekretariat hr recrutement".split()
        )
        return f"{local}@{work}"
    forms = [
        f"{f}.{la}",
        f"{f[0]}{la}",
        f"{f}_{la}{r.randint(1, 99)}",
        f"{f}{la}",
        f"{f}.{la[0]}",
        f"{la}.{f}",
        f"{f}-{la}",
        f"{f}{r.randint(1970, 2005)}",
        f"{f}.{la}+{r.choice(['news', 'shop', 'github', 'work', 'bills'])}",
        f"{f[0]}.{la}{r.randint(1, 9)}",
    ]
    local = r.choice(forms)
    if r.random() < 0.55:
        dom = webmail
    else:
        dom = work
        if r.random() < 0.2:
            dom = r.choice(["mail", "hr", "students", "dept", "corp", "sales"]) + "." + dom
    if r.random() < 0.07:
        local = local[:1].upper() + local[1:]
    return f"{local}@{dom}"


# --------------------------------------------------------------------------------------------------------------
# IPs
# --------------------------------------------------------------------------------------------------------------

V4_FIRST = [
    5, 23, 31, 37, 45, 46, 51, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 93, 94, 95, 104,
    109, 128, 130, 134, 138, 141, 145, 151, 152, 159, 162, 163, 167, 172, 176, 178, 185, 188, 193, 194, 195,
    201, 202, 210, 211, 213, 217, 220, 221, 222,
]  # fmt: skip
V6_PREFIX = [
    "2a01:4f8", "2a02:c207", "2001:41d0", "2604:a880", "2600:1f18", "2a03:2880", "2001:67c", "2400:cb00",
    "2a00:1450", "2406:da18", "2001:470", "2a05:d014", "2620:fe", "2a0e:97c0", "2804:14c", "2409:8a00",
]  # fmt: skip


def gen_ip4(r: random.Random) -> str:
    while True:
        a = ipaddress.IPv4Address(f"{r.choice(V4_FIRST)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}")
        if valid_ip(str(a)):
            return str(a)


def gen_ip6(r: random.Random, variant: str) -> str:
    while True:
        pre = r.choice(V6_PREFIX).split(":")
        groups = [*pre, *[f"{r.randrange(0x10000):x}" for _ in range(8 - len(pre))]]
        if r.random() < 0.5:  # typical server addresses: zeros in the middle
            k = r.randint(len(pre) + 1, 6)
            for i in range(k, 7):
                groups[i] = "0"
        a = ipaddress.IPv6Address(":".join(groups))
        if not valid_ip(str(a)):
            continue
        if variant == "full":
            return a.exploded
        s = str(a)
        return s.upper() if variant == "up" else s


# --------------------------------------------------------------------------------------------------------------
# cards
# --------------------------------------------------------------------------------------------------------------

# brand: (prefixes, lengths); a prefix "a-b" is a numeric range of equal-width prefixes
BRANDS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "visa": (("4",), (16, 16, 16, 13, 19)),
    "mc": (("51-55", "2221-2720"), (16,)),
    "amex": (("34", "37"), (15,)),
    "discover": (("6011", "644-649", "65"), (16, 19)),
    "jcb": (("3528-3589",), (16,)),
    "maestro": (("5018", "5020", "5038", "6304", "6759", "6761-6763"), (16, 19, 13)),
    "mir": (("2200-2204",), (16,)),
    "unionpay": (("62",), (16, 19)),
    "diners": (("300-305", "36", "38"), (14,)),
    "troy": (("9792",), (16,)),
    "rupay": (("508", "60"), (16,)),
    "elo": (("636368", "504175", "509"), (16,)),
    "hipercard": (("606282",), (16,)),
}


def luhn_ok(d: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def luhn_complete(body: str) -> str:
    for c in DG:
        if luhn_ok(body + c):
            return body + c
    raise AssertionError(body)


def pick_prefix(r: random.Random, spec: str) -> str:
    if "-" in spec:
        lo, hi = spec.split("-")
        return str(r.randint(int(lo), int(hi))).zfill(len(lo))
    return spec


def card_brand(d: str) -> str | None:
    for brand, (prefixes, lengths) in BRANDS.items():
        if len(d) not in lengths:
            continue
        for spec in prefixes:
            if "-" in spec:
                lo, hi = spec.split("-")
                if int(lo) <= int(d[: len(lo)]) <= int(hi):
                    return brand
            elif d.startswith(spec):
                return brand
    return None


def card_digits(r: random.Random, brand: str) -> str:
    prefixes, lengths = BRANDS[brand]
    while True:
        n = r.choice(lengths)
        pre = pick_prefix(r, r.choice(prefixes))
        d = luhn_complete(pre + rs(r, DG, n - len(pre) - 1))
        if card_brand(d):
            return d


def group_card(d: str, sep: str) -> str:
    if len(d) == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(parts)


def gen_card(r: random.Random, variant: str) -> str:
    brand, _, fmt = variant.partition("_")
    if brand in ("", "any"):
        brand = r.choices(list(BRANDS), weights=[9, 7, 4, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1])[0]
    d = card_digits(r, brand)
    fmt = fmt or r.choices(["plain", "sp", "dash"], weights=[4, 5, 2])[0]
    if len(d) == 13:
        fmt = "plain"
    return {"plain": d, "sp": group_card(d, " "), "dash": group_card(d, "-")}[fmt]


# --------------------------------------------------------------------------------------------------------------
# secrets
# --------------------------------------------------------------------------------------------------------------


def gh_token(r: random.Random, prefix: str) -> str:
    body = rs(r, AN, 30)
    return prefix + body + b62(zlib.crc32(body.encode()), 6)


def gen_pw(r: random.Random, variant: str) -> str:
    """Human-made but non-trivial passwords; ``url`` variant sticks to URL-safe characters."""
    safe = variant == "url"
    words = WORDS_PW.get(variant, WORDS_PW["en"]).split() if not safe else WORDS_PW[r.choice(list(WORDS_PW))].split()
    syms = "-_." if safe else "!-_.*+?"
    while True:
        w1, w2 = r.sample(words, 2)
        w1 = w1.replace("ñ", "n")
        style = r.randrange(6)
        if style == 0:
            v = f"{w1}{r.choice(syms)}{r.randint(10, 9999)}"
        elif style == 1:
            v = f"{w1}{w2.lower()}{r.randint(1, 99)}{r.choice(syms)}"
        elif style == 2:
            v = f"{w1.lower()}{r.choice(syms)}{w2}{r.randint(0, 9)}{r.randint(0, 9)}"
        elif style == 3:
            leet = str.maketrans({"a": "4", "e": "3", "o": "0", "i": "1", "s": "5"})
            v = f"{w1.translate(leet)}{r.choice(syms)}{r.randint(100, 999)}"
        elif style == 4:
            v = rmix(r, AN + syms, r.randint(12, 20), 3)
            v = r.choice(UP) + v
        else:
            v = f"{w1[:4]}{r.randint(10, 99)}{r.choice(syms)}{w2[:5].upper()}{rs(r, LO, 2)}"
        if valid_secret(v) and "-" not in v[:1]:
            return v


def gen_pwr(r: random.Random, variant: str) -> str:
    alpha = AN + "!-_.*+?^=~" if variant != "url" else AN + "-_."
    return rmix(r, alpha, r.randint(14, 28), 3)


def private_key(r: random.Random, variant: str) -> str:
    kind, _, layout = variant.partition("_")
    kind = kind or r.choice(["rsa", "pkcs8", "ec", "openssh", "enc"])
    specs = {
        "rsa": ("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 64, (14, 25)),
        "pkcs8": ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 64, (14, 25)),
        "ec": ("EC PRIVATE KEY", "MHcCAQEEI", 64, (3, 3)),
        "openssh": (
            "OPENSSH PRIVATE KEY",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            70,
            (5, 7),
        ),
        "enc": ("ENCRYPTED PRIVATE KEY", "MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI", 64, (16, 26)),
        "dsa": ("DSA PRIVATE KEY", "MIIBuwIBAAKBgQ", 64, (9, 10)),
    }
    label, head, width, (lo, hi) = specs[kind]
    n = r.randint(lo, hi)
    body = head + rs(r, B64, width * n - len(head))
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    if kind == "ec":
        lines[-1] = lines[-1][:32] + "=="
    else:
        lines.append(rs(r, B64, r.randint(8, width - 4)) + ("=" if r.random() < 0.4 else ""))
    block = [f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]
    if layout == "esc":
        return "\\n".join(block)
    if layout.startswith("i"):
        ind = " " * int(layout[1:])
        return ("\n" + ind).join(block)
    return "\n".join(block)


def jwt(r: random.Random, variant: str = "") -> str:
    alg = r.choice(["HS256", "RS256", "ES256", "HS512"])
    hdr: dict[str, str] = {"alg": alg, "typ": "JWT"}
    if alg != "HS256" and r.random() < 0.6:
        hdr["kid"] = rs(r, HEX, 16)
    now = r.randint(1_700_000_000, 1_765_000_000)
    payload: dict[str, object] = {"sub": str(r.randint(10_000, 9_999_999)) if r.random() < 0.5 else uuid4(r)}
    if r.random() < 0.6:
        payload["role"] = r.choice(["service_role", "admin", "user", "editor", "api"])
    payload["iat"] = now
    payload["exp"] = now + r.choice([900, 3600, 86400, 604800])
    if r.random() < 0.5:
        payload["iss"] = f"https://auth.{r.choice(STEMS)}.{r.choice(['com', 'io', 'de', 'fr'])}"
    siglen = {"HS256": 32, "RS256": 256, "ES256": 64, "HS512": 64}[alg]
    enc = lambda d: b64url(json.dumps(d, separators=(",", ":")).encode())
    return f"{enc(hdr)}.{enc(payload)}.{b64url(rbytes(r, siglen))}"


def discord_token(r: random.Random) -> str:
    uid = str(r.randint(700_000_000_000_000_000, 1_300_000_000_000_000_000))
    return f"{b64url(uid.encode())}.{rs(r, B64U, 6)}.{rmix(r, B64U, 38)}"


def basic_auth(r: random.Random, variant: str = "") -> str:
    user = r.choice(["admin", "deploy", "ci-bot", "api", "grafana", "jenkins", "svc_backup", "registry"])
    return base64.b64encode(f"{user}:{gen_pwr(r, '')}".encode()).decode()


def k8s_b64(r: random.Random, variant: str = "") -> str:
    return base64.b64encode(gen_pw(r, "").encode()).decode()


def azure_sig(r: random.Random, variant: str = "") -> str:
    while True:
        sig = base64.b64encode(rbytes(r, 32)).decode()
        if "+" in sig or "/" in sig:
            return quote(sig, safe="")


def mapbox_sk(r: random.Random) -> str:
    user = r.choice(["acme-maps", "nordwind", "geoteam", "solvia"])
    inner = json.dumps({"u": user, "a": "cl" + rs(r, LO + DG, 23)}, separators=(",", ":"))
    return "sk." + b64url(inner.encode()) + "." + rmix(r, B64U, 22)


SECRET_GENS: dict[str, Callable[[random.Random, str], str]] = {
    "pw": gen_pw,
    "pwr": gen_pwr,
    "pwu": lambda r, v: gen_pw(r, "url") if r.random() < 0.6 else gen_pwr(r, "url"),
    "an": lambda r, v: rmix(r, AN, int(v or 32), 3),
    "hex": lambda r, v: rmix(r, HEX, int(v or 32)),
    "b64": lambda r, v: rmix(r, B64, int(v or 40), 3),
    "b64pad": lambda r, v: base64.b64encode(rbytes(r, int(v or 32))).decode(),
    "django": lambda r, v: "django-insecure-" * (v == "insecure") + rmix(r, LO + DG + "!@#%^&*(-_=+)", 50),
    "laravel": lambda r, v: "base64:" + base64.b64encode(rbytes(r, 32)).decode(),
    "fernet": lambda r, v: base64.urlsafe_b64encode(rbytes(r, 32)).decode(),
    "wg": lambda r, v: base64.b64encode(rbytes(r, 32)).decode(),
    "uuidkey": lambda r, v: uuid4(r),
    "basic": basic_auth,
    "k8sb64": k8s_b64,
    "sas": azure_sig,
    "pk": private_key,
    "jwt": jwt,
    "ghp": lambda r, v: gh_token(r, "ghp_"),
    "gho": lambda r, v: gh_token(r, "gho_"),
    "ghu": lambda r, v: gh_token(r, "ghu_"),
    "ghs": lambda r, v: gh_token(r, "ghs_"),
    "ghr": lambda r, v: gh_token(r, "ghr_"),
    "ghpat": lambda r, v: "github_pat_11A" + rs(r, UP + DG, 19) + "_" + rmix(r, AN, 59, 3),
    "glpat": lambda r, v: "glpat-" + rmix(r, AN + "-_", 20, 3),
    "gldt": lambda r, v: "gldt-" + rmix(r, AN + "-_", 20, 3),
    "glrt": lambda r, v: "glrt-" + rmix(r, AN + "-_", 20, 3),
    "glrunner": lambda r, v: "GR1348941" + rmix(r, AN + "-_", 20, 3),
    "xoxb": lambda r, v: f"xoxb-{rs(r, DG, 12)}-{rs(r, DG, 13)}-{rmix(r, AN, 24, 3)}",
    "xoxp": lambda r, v: f"xoxp-{rs(r, DG, 12)}-{rs(r, DG, 12)}-{rs(r, DG, 13)}-{rmix(r, HEX, 32)}",
    "xapp": lambda r, v: f"xapp-1-A{rs(r, UP + DG, 10)}-{rs(r, DG, 13)}-{rmix(r, HEX, 64)}",
    "akia": lambda r, v: "AKIA" + rmix(r, B32, 16),
    "asia": lambda r, v: "ASIA" + rmix(r, B32, 16),
    "awssecret": lambda r, v: rmix(r, B64, 40, 3),
    "awssession": lambda r, v: "IQoJb3JpZ2luX2VjE" + rmix(r, B64, 340, 3),
    "aiza": lambda r, v: "AIza" + rmix(r, B64U, 35, 3),
    "gocspx": lambda r, v: "GOCSPX-" + rmix(r, B64U, 28, 3),
    "ya29": lambda r, v: "ya29.a0A" + rmix(r, B64U, 140, 3),
    "sklive": lambda r, v: "sk_live_51" + rmix(r, AN, 97, 3) if r.random() < 0.6 else "sk_live_" + rmix(r, AN, 24, 3),
    "rklive": lambda r, v: "rk_live_51" + rmix(r, AN, 97, 3),
    "whsec": lambda r, v: "whsec_" + rmix(r, AN, 32, 3),
    "openai": lambda r, v: "sk-" + rmix(r, AN, 20, 3) + "T3BlbkFJ" + rmix(r, AN, 20, 3),
    "openaiproj": lambda r, v: "sk-proj-" + rmix(r, B64U, 64, 3) + "T3BlbkFJ" + rmix(r, B64U, 64, 3),
    "openaisvc": lambda r, v: "sk-svcacct-" + rmix(r, B64U, 64, 3) + "T3BlbkFJ" + rmix(r, B64U, 64, 3),
    "anthropic": lambda r, v: "sk-ant-api03-" + rmix(r, B64U, 93, 3) + "AA",
    "sendgrid": lambda r, v: "SG." + rmix(r, B64U, 22, 3) + "." + rmix(r, B64U, 43, 3),
    "mailgun": lambda r, v: "key-" + rmix(r, HEX, 32),
    "mailchimp": lambda r, v: rmix(r, HEX, 32) + f"-us{r.randint(1, 21)}",
    "npm": lambda r, v: "npm_" + rmix(r, AN, 36, 3),
    "pypi": lambda r, v: "pypi-AgEIcHlwaS5vcmc" + rmix(r, B64U, r.randint(120, 160), 3),
    "dckr": lambda r, v: "dckr_pat_" + rmix(r, B64U, 27, 3),
    "hvs": lambda r, v: "hvs." + rmix(r, AN, 24, 3),
    "tfc": lambda r, v: rmix(r, AN, 14, 3) + ".atlasv1." + rmix(r, AN, 67, 3),
    "shpat": lambda r, v: r.choice(["shpat_", "shpss_", "shpca_"]) + rmix(r, HEX, 32),
    "discord": lambda r, v: discord_token(r),
    "telegram": lambda r, v: f"{r.randint(100_000_000, 7_999_999_999)}:AA{rmix(r, B64U, 33, 3)}",
    "azstorage": lambda r, v: base64.b64encode(rbytes(r, 64)).decode(),
    "azsecret": lambda r, v: rmix(r, AN, 3, 1) + "8Q~" + rmix(r, AN + "_~.-", 34, 3),
    "dop": lambda r, v: "dop_v1_" + rmix(r, HEX, 64),
    "atlassian": lambda r, v: "ATATT3xFfGF0" + rmix(r, B64U, 170, 3) + "=" + rs(r, "0123456789ABCDEF", 8),
    "linear": lambda r, v: "lin_api_" + rmix(r, AN, 40, 3),
    "notion": lambda r, v: (
        "secret_" + rmix(r, AN, 43, 3) if r.random() < 0.5 else "ntn_" + rs(r, DG, 11) + rmix(r, AN, 35, 3)
    ),
    "hf": lambda r, v: "hf_" + rmix(r, UP + LO, 34, 2),
    "dapi": lambda r, v: "dapi" + rmix(r, HEX, 32),
    "pmak": lambda r, v: f"PMAK-{rmix(r, HEX, 24)}-{rmix(r, HEX, 34)}",
    "nrak": lambda r, v: "NRAK-" + rmix(r, UP + DG, 27),
    "glsa": lambda r, v: "glsa_" + rmix(r, AN, 32, 3) + "_" + rmix(r, HEX, 8),
    "doppler": lambda r, v: "dp.st." + r.choice(["prd", "stg", "dev"]) + "." + rmix(r, AN, 40, 3),
    "pscale": lambda r, v: "pscale_pw_" + rmix(r, B64U, 43, 3),
    "age": lambda r, v: "AGE-SECRET-KEY-1" + rmix(r, BECH32.upper(), 58),
    "sq0": lambda r, v: "sq0csp-" + rmix(r, B64U, 43, 3),
    "ltai": lambda r, v: "LTAI5t" + rmix(r, AN, 18, 3),
    "akid": lambda r, v: "AKID" + rmix(r, AN, 32, 3),
    "yandex": lambda r, v: "AQVN" + rmix(r, B64U, 36, 3),
    "rubygems": lambda r, v: "rubygems_" + rmix(r, HEX, 48),
    "figma": lambda r, v: "figd_" + rmix(r, B64U, 40, 3),
    "airtable": lambda r, v: "pat" + rmix(r, AN, 14, 3) + "." + rmix(r, HEX, 64),
    "pulumi": lambda r, v: "pul-" + rmix(r, HEX, 40),
    "supabase": lambda r, v: "sbp_" + rmix(r, HEX, 40),
    "netlify": lambda r, v: "nfp_" + rmix(r, AN, 36, 3),
    "flyio": lambda r, v: "fo1_" + rmix(r, B64U, 43, 3),
    "buildkite": lambda r, v: "bkua_" + rmix(r, HEX, 40),
    "replicate": lambda r, v: "r8_" + rmix(r, AN, 37, 3),
    "groq": lambda r, v: "gsk_" + rmix(r, AN, 52, 3),
    "pplx": lambda r, v: "pplx-" + rmix(r, AN, 48, 3),
    "xai": lambda r, v: "xai-" + rmix(r, AN, 80, 3),
    "langsmith": lambda r, v: f"lsv2_pt_{rmix(r, HEX, 32)}_{rmix(r, HEX, 10)}",
    "pinecone": lambda r, v: f"pcsk_{rmix(r, AN, 5, 2)}_{rmix(r, AN, 60, 3)}",
    "contentful": lambda r, v: "CFPAT-" + rmix(r, B64U, 43, 3),
    "braintree": lambda r, v: f"access_token$production${rmix(r, LO + DG, 16)}${rmix(r, HEX, 32)}",
    "fcm": lambda r, v: "AAAA" + rmix(r, B64U, 7, 2) + ":APA91b" + rmix(r, B64U, 134, 3),
    "dropbox": lambda r, v: "sl." + rmix(r, B64U, 130, 3),
    "mapbox": lambda r, v: mapbox_sk(r),
    "okta": lambda r, v: "00" + rmix(r, B64U, 40, 3),
    "sentry": lambda r, v: "sntryu_" + rmix(r, HEX, 64),
    "circleci": lambda r, v: f"CCIPAT_{rmix(r, AN, 22, 3)}_{rmix(r, HEX, 40)}",
    "twilio": lambda r, v: rmix(r, HEX, 32),
    "cloudflare": lambda r, v: rmix(r, B64U, 40, 3),
    "wifi": lambda r, v: gen_pw(r, v),
    "jfrog": lambda r, v: "AKCp8" + rmix(r, AN, 68, 3),
    "wpsalt": lambda r, v: rmix(r, AN + "!@#$%^&*()-_[]{}<>~+=,.;:/?|", 64, 3),
    "glc": lambda r, v: "glc_" + rmix(r, B64, 80, 3),
    "upkey": lambda r, v: rmix(r, UP + DG, int(v or 20)),
    "mollie": lambda r, v: "live_" + rmix(r, AN, 30, 3),
    "mpago": lambda r, v: f"APP_USR-{rs(r, DG, 16)}-{rs(r, DG, 6)}-{rmix(r, HEX, 32)}-{rs(r, DG, 9)}",
    "midtrans": lambda r, v: "Mid-server-" + rmix(r, B64U, 24, 3),
    "paystack": lambda r, v: "sk_live_" + rmix(r, HEX, 40),
    "b64key": lambda r, v: base64.b64encode((private_key(r, "rsa") + "\n").encode()).decode(),
}


# --------------------------------------------------------------------------------------------------------------
# unlabelled fillers and look-alikes
# --------------------------------------------------------------------------------------------------------------


def priv4(r: random.Random, variant: str = "") -> str:
    k = variant or r.choice(["10", "172", "192", "lo", "ll", "cgnat"])
    return {
        "10": f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        "172": f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        "192": f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
        "lo": f"127.0.{r.randint(0, 1)}.{r.randint(1, 9)}",
        "ll": f"169.254.{r.randint(0, 255)}.{r.randint(1, 254)}",
        "cgnat": f"100.{r.randint(64, 127)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
    }[k]


def priv6(r: random.Random, variant: str = "") -> str:
    k = variant or r.choice(["ula", "ll", "lo"])
    if k == "ula":
        return str(ipaddress.IPv6Address(f"fd{rs(r, HEX, 2)}:{rs(r, HEX, 4)}:{rs(r, HEX, 4)}::{rs(r, HEX, 3)}"))
    if k == "ll":
        return str(ipaddress.IPv6Address(f"fe80::{rs(r, HEX, 4)}:{rs(r, HEX, 2)}ff:fe{rs(r, HEX, 2)}:{rs(r, HEX, 4)}"))
    return "::1"


def doc4(r: random.Random, variant: str = "") -> str:
    net = r.choice(["192.0.2", "198.51.100", "203.0.113"])
    return f"{net}.{r.randint(1, 254)}"


def doc6(r: random.Random, variant: str = "") -> str:
    return str(ipaddress.IPv6Address(f"2001:db8:{rs(r, HEX, 3)}::{rs(r, HEX, r.randint(1, 4))}"))


def ver4(r: random.Random, variant: str = "") -> str:
    """Four-part versions whose parts are all <= 255, i.e. parse as an IPv4 address."""
    return f"{r.randint(1, 23)}.{r.randint(0, 30)}.{r.randint(0, 255)}.{r.randint(1, 255)}"


def masked_card(r: random.Random, variant: str = "") -> str:
    last = rs(r, DG, 4)
    first = card_digits(r, r.choice(["visa", "mc", "discover"]))
    return r.choice(
        [
            f"**** **** **** {last}",
            f"XXXX-XXXX-XXXX-{last}",
            f"{first[:4]} {first[4:6]}** **** {last}",
            f"{first[:6]}******{last}",
            f"•••• {last}",
            f"{first[:4]} XXXX XXXX {last}",
            f"************{last}",
        ]
    )


def bad_card(r: random.Random, variant: str = "") -> str:
    brand = r.choice(["visa", "mc", "amex", "discover", "jcb", "mir", "unionpay"])
    d = card_digits(r, brand)
    d = d[:-1] + str((int(d[-1]) + r.randint(1, 9)) % 10)
    assert not luhn_ok(d)
    fmt = variant or r.choice(["plain", "sp", "dash"])
    return {"plain": d, "sp": group_card(d, " "), "dash": group_card(d, "-")}[fmt]


def imei(r: random.Random, variant: str = "") -> str:
    tac = r.choice(["35", "86", "01", "99"]) + rs(r, DG, 6)
    return luhn_complete(tac + rs(r, DG, 6))


def iccid(r: random.Random, variant: str = "") -> str:
    return luhn_complete("89" + r.choice(["49", "33", "44", "34", "39", "81", "86"]) + rs(r, DG, 14))


def npi(r: random.Random, variant: str = "") -> str:
    while True:
        body = r.choice("12") + rs(r, DG, 8)
        for c in DG:
            if luhn_ok("80840" + body + c):
                return body + c


def snowflake(r: random.Random, variant: str = "") -> str:
    while True:
        v = str(r.randint(1_000_000_000_000_000_000, 1_399_999_999_999_999_999))
        if not card_like(v):
            return v


def long_num(r: random.Random, variant: str = "") -> str:
    n = int(variant or 16)
    while True:
        v = r.choice("123456789") + rs(r, DG, n - 1)
        if not card_like(v):
            return v


def bcrypt(r: random.Random, variant: str = "") -> str:
    return f"${r.choice(['2b', '2y', '2a'])}${r.choice(['10', '11', '12', '13'])}$" + rs(r, AN + "./", 53)


def argon2(r: random.Random, variant: str = "") -> str:
    return "$argon2id$v=19$m=65536,t=3,p=4$" + b64url(rbytes(r, 16)).rstrip("=") + "$" + b64url(rbytes(r, 32))


def pbkdf2(r: random.Random, variant: str = "") -> str:
    return f"pbkdf2_sha256$870000${rs(r, AN, 22)}${base64.b64encode(rbytes(r, 32)).decode()}"


def sha512crypt(r: random.Random, variant: str = "") -> str:
    return f"$6${rs(r, AN + './', 16)}${rs(r, AN + './', 86)}"


def ssh_pub(r: random.Random, variant: str = "") -> str:
    who = r.choice(["jan@laptop", "deploy@ci", "maria@thinkpad-x1", "root@bastion", "ops@buildhost", "kenji@mbp"])
    if variant == "rsa" or r.random() < 0.4:
        return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(r, B64, 340) + "= " + who
    return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(r, B64, 43) + " " + who


def pem_public(r: random.Random, variant: str = "") -> str:
    if variant == "cert":
        label, head, n = "CERTIFICATE", "MIIDdzCCAl+gAwIBAgIU", 12
    else:
        label, head, n = "PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 6
    body = head + rs(r, B64, 64 * n - len(head))
    lines = [body[i : i + 64] for i in range(0, len(body), 64)] + [rs(r, B64, 20) + "=="]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])


def ex_email(r: random.Random, variant: str = "") -> str:
    f, la = first_last(r, r.choice(list(CULT)))
    local = r.choice([f, f"{f}.{la}", f"{f[0]}{la}", "admin", "noreply", "test", "user", "support", "jane.doe", "john"])
    dom = r.choice(
        [
            "example.com", "example.org", "example.net", "mail.example.com", "corp.example.org", "localhost",
            "test.invalid", "shop.test", "printer.local", "host.localdomain", "acme.example", "example.invalid",
        ]
    )  # fmt: skip
    return f"{local}@{dom}"


FILLERS: dict[str, Callable[[random.Random, str], str]] = {
    "name": lambda r, v: " ".join(x.capitalize() for x in first_last(r, culture(r, v))),
    "first": lambda r, v: first_last(r, culture(r, v))[0].capitalize(),
    "last": lambda r, v: first_last(r, culture(r, v))[1].capitalize(),
    "user": lambda r, v: (
        r.choice(["app", "svc_", "deploy", "admin_", "etl_", "web", "ci_", "api_"]).rstrip("_")
        + r.choice(["", "_", "-"])
        + r.choice(["prod", "reporting", "shop", "billing", "ro", "rw", "sync", "backup", str(r.randint(1, 9))])
    ),
    "dom": lambda r, v: company_domain(r, culture(r, v)),
    "host": lambda r, v: (
        r.choice(["api", "db-prod", "db1", "mq", "vault", "git", "ci", "app", "cache", "s3", "auth"])
        + "."
        + company_domain(r, culture(r, v))
    ),
    "co": lambda r, v: r.choice(STEMS).replace("-", " ").title(),
    "num": lambda r, v: str(r.randint(10 ** (int(v or 4) - 1), 10 ** int(v or 4) - 1)),
    "port": lambda r, v: str(r.choice([22, 443, 8080, 8443, 5432, 3306, 6379, 27017, 5672, 9200, 2222, 51820])),
    "date": lambda r, v: f"{r.randint(2021, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    "dmy": lambda r, v: f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{r.randint(2021, 2025)}",
    "time": lambda r, v: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
    "amount": lambda r, v: f"{r.randint(9, 4999)}.{r.randint(0, 99):02d}",
    "exp": lambda r, v: f"{r.randint(1, 12):02d}/{r.randint(26, 31)}",
    "cvv": lambda r, v: rs(r, DG, 3),
    "uuid": lambda r, v: uuid4(r),
    "sha1": lambda r, v: rmix(r, HEX, 40),
    "sha7": lambda r, v: rmix(r, HEX, 7),
    "sha256": lambda r, v: rmix(r, HEX, 64),
    "md5": lambda r, v: rmix(r, HEX, 32),
    "objid": lambda r, v: rmix(r, HEX, 24),
    "ver": lambda r, v: f"{r.randint(0, 9)}.{r.randint(0, 40)}.{r.randint(0, 20)}",
    "ver4": ver4,
    "sect": lambda r, v: (
        f"{r.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12])}.{r.randint(1, 9)}.{r.randint(1, 12)}.{r.randint(1, 9)}"
    ),
    "priv4": priv4,
    "priv6": priv6,
    "doc4": doc4,
    "doc6": doc6,
    "mac": lambda r, v: (v or ":").join(rs(r, HEX, 2) for _ in range(6)),
    "masked": masked_card,
    "badcard": bad_card,
    "imei": imei,
    "iccid": iccid,
    "npi": npi,
    "snow": snowflake,
    "long": long_num,
    "bcrypt": bcrypt,
    "argon2": argon2,
    "pbkdf2": pbkdf2,
    "sha512crypt": sha512crypt,
    "apr1": lambda r, v: f"$apr1${rs(r, AN, 8)}${rs(r, AN + './', 22)}",
    "sshpub": ssh_pub,
    "pem": pem_public,
    "exmail": ex_email,
    "sri": lambda r, v: f"sha{v or '384'}-" + base64.b64encode(rbytes(r, int(v or 384) // 8)).decode(),
    "b64blob": lambda r, v: base64.b64encode(rbytes(r, int(v or 48))).decode(),
    "gosum": lambda r, v: "h1:" + base64.b64encode(rbytes(r, 32)).decode(),
    "btc": lambda r, v: "bc1q" + rs(r, BECH32, 38),
    "eth": lambda r, v: "0x" + rs(r, HEX, 40),
    "aws_acct": lambda r, v: str(r.randint(100_000_000_000, 999_999_999_999)),
    "trace": lambda r, v: rs(r, HEX, 32),
    "cssid": lambda r, v: r.choice(LO) + rs(r, LO + DG, r.randint(4, 7)),
    "wgpub": lambda r, v: base64.b64encode(rbytes(r, 32)).decode(),
    "agepub": lambda r, v: "age1" + rs(r, BECH32, 58),
    "rzpid": lambda r, v: "rzp_live_" + rmix(r, AN, 14, 3),  # key id, used client-side
    "hx": lambda r, v: rmix(r, HEX, int(v or 12)),
    "b64u": lambda r, v: rs(r, B64U, int(v or 11)),
    "mysqlhash": lambda r, v: "*" + rs(r, "0123456789ABCDEF", 40),
    "ssha": lambda r, v: "{SSHA}" + base64.b64encode(rbytes(r, 24)).decode(),
    "upid": lambda r, v: rs(r, UP + DG, int(v or 16)),
    "keyid": lambda r, v: rs(r, "0123456789ABCDEF", int(v or 8)),
    "b64cert": lambda r, v: base64.b64encode((pem_public(r, "cert") + "\n").encode()).decode(),
}

LABELLED: dict[str, str] = {"email": EMAIL, "ip4": IP, "ip6": IP, "ip": IP, "cc": CARD} | {
    k: SECRET for k in SECRET_GENS
}


def produce(kind: str, variant: str, r: random.Random) -> str:
    if kind == "email":
        return gen_email(r, variant)
    if kind == "ip4":
        return gen_ip4(r)
    if kind == "ip6":
        return gen_ip6(r, variant)
    if kind == "ip":
        return gen_ip4(r) if r.random() < 0.7 else gen_ip6(r, variant)
    if kind == "cc":
        return gen_card(r, variant)
    if kind in SECRET_GENS:
        return SECRET_GENS[kind](r, variant)
    if kind in FILLERS:
        return FILLERS[kind](r, variant)
    raise KeyError(kind)


# --------------------------------------------------------------------------------------------------------------
# validators (the labelling policy)
# --------------------------------------------------------------------------------------------------------------

RESERVED_TLDS = {"invalid", "test", "local", "localdomain", "example", "localhost", "internal", "lan", "home", "corp"}
FILE_EXTS = {
    "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "ico", "js", "css", "json", "pdf", "mp4", "txt", "tgz", "zip",
}  # fmt: skip
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![A-Za-z0-9-])")
TRIVIAL = {
    "password", "password1", "password123", "admin", "admin123", "admin1234", "root", "toor", "changeme", "changeit",
    "secret", "secret123", "qwerty123", "letmein", "welcome1", "p@ssw0rd", "passw0rd", "12345678", "123456789",
    "guest", "test1234", "default", "postgres", "mysql", "hunter2", "iloveyou", "abc12345", "qwertyuiop",
}  # fmt: skip
PLACEHOLDER_RE = re.compile(
    r"^(?:<[^>]*>|\$\{[^}]*\}|\$\{\{.*\}\}|\{\{.*\}\}|%\(?\w+\)?s?|\$[A-Z_][A-Z0-9_]*|x{4,}|X{4,}|\*{3,}|•+)$"
    r"|YOUR|REPLACE|CHANGE_?ME|EXAMPLE|PLACEHOLDER|REDACTED|os\.environ|process\.env|getenv|secrets\.|\.\.\.|…",
    re.IGNORECASE,
)
HASH_RE = re.compile(r"^(?:\$2[aby]\$|\$argon2|\$[156]\$|\$apr1\$|pbkdf2_|\{SSHA\}|sha\d+-|h1:)")


def domain_reserved(dom: str) -> bool:
    dom = dom.lower()
    tld = dom.rsplit(".", 1)[-1]
    if tld in RESERVED_TLDS or dom == "localhost":
        return True
    return any(dom == d or dom.endswith("." + d) for d in ("example.com", "example.org", "example.net"))


def valid_email(v: str) -> bool:
    if not EMAIL_RE.fullmatch(v) or ".." in v or v.startswith("."):
        return False
    local, dom = v.rsplit("@", 1)
    return not domain_reserved(dom) and dom.rsplit(".", 1)[-1].lower() not in FILE_EXTS and not local.endswith(".")


def valid_ip(v: str) -> bool:
    try:
        a = ipaddress.ip_address(v)
    except ValueError:
        return False
    return a.is_global and not a.is_multicast and not a.is_reserved


def card_like(v: str) -> bool:
    d = re.sub(r"[ -]", "", v)
    return d.isdigit() and 12 <= len(d) <= 19 and card_brand(d) is not None and luhn_ok(d)


def valid_card(v: str) -> bool:
    if not card_like(v):
        return False
    seps = set(re.sub(r"\d", "", v))
    return len(seps) <= 1


PEM_RE = re.compile(r"-----BEGIN ([A-Z ]*PRIVATE KEY)-----.+-----END \1-----", re.S)


def valid_secret(v: str) -> bool:
    if v.startswith("-----BEGIN"):
        return bool(PEM_RE.fullmatch(v))
    if len(v) < 8 or any(c.isspace() for c in v) or classes(v) < 2:
        return False
    if v.lower() in TRIVIAL or PLACEHOLDER_RE.search(v) or HASH_RE.match(v):
        return False
    return "://" not in v


VALIDATORS: dict[str, Callable[[str], bool]] = {
    EMAIL: valid_email,
    IP: valid_ip,
    CARD: valid_card,
    SECRET: valid_secret,
}


# --------------------------------------------------------------------------------------------------------------
# policy scanner: what must be labelled if present
# --------------------------------------------------------------------------------------------------------------

IPV4_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\d|\.\d)")
IPV6_RE = re.compile(r"(?<![\w:.])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w:])")
CARD_RE = re.compile(r"(?<![0-9A-Za-z.-])\d(?:[ -]?\d){11,18}(?![0-9A-Za-z-])")
TOKEN_RES = [
    re.compile(p)
    for p in (
        r"\bgh[pousr]_[A-Za-z0-9]{36}\b",
        r"github_pat_\w{80,}",
        r"\bgl(?:pat|dt|rt)-[\w-]{20}",
        r"\bxox[abposr]-[\w-]{10,}",
        r"\bxapp-\d-[\w-]{10,}",
        r"\bA(?:KIA|SIA)[A-Z2-7]{16}\b",
        r"AIza[\w-]{35}",
        r"\b[sr]k_live_\w{20,}",
        r"\bsk-(?:proj-|ant-|svcacct-)?[\w-]{32,}",
        r"\bSG\.[\w-]{22}\.[\w-]{43}",
        r"\bnpm_[A-Za-z0-9]{36}",
        r"pypi-AgEI[\w-]{50,}",
        r"dckr_pat_[\w-]{20,}",
        r"\bhvs\.\w{20,}",
        r"\bshp(?:at|ss|ca)_[a-f0-9]{32}",
        r"\bdop_v1_[a-f0-9]{64}",
        r"\bhf_[A-Za-z]{34}\b",
        r"\bdapi[a-f0-9]{32}",
        r"eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}",
        r"-----BEGIN[A-Z ]*PRIVATE KEY-----",
        r"AGE-SECRET-KEY-1[0-9A-Z]{58}",
        r"\bglsa_\w{32}_[a-f0-9]{8}",
        r"\blin_api_\w{40}",
        r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}",
        r"NRAK-[A-Z0-9]{27}",
        r"\bkey-[a-f0-9]{32}\b",
        r"\bsq0(?:atp|csp)-[\w-]{22,}",
        r"\bLTAI[A-Za-z0-9]{12,20}\b",
        r"\bAKID[A-Za-z0-9]{32}\b",
        r"GOCSPX-[\w-]{28}",
        r"\bya29\.[\w-]{40,}",
        r"\bwhsec_\w{32}",
        r"\bATATT3[\w=-]{100,}",
        r"\bsecret_[A-Za-z0-9]{43}\b",
        r"\bntn_\d{11}\w{35}",
        r"\bpscale_pw_[\w-]{43}",
        r"\bdp\.st\.\w+\.\w{40}",
        r"\bGR1348941[\w-]{20}",
        r"\b(?:rubygems|figd|pul|sbp|nfp|fo1|bkua|r8|gsk|pplx|xai|lsv2_pt|pcsk|CFPAT|sntryu|CCIPAT)[_-][\w-]{20,}",
        r"\bsl\.[\w-]{100,}",
        r"APA91b[\w-]{100,}",
        r"access_token\$production\$",
        r"\.atlasv1\.",
        r"\bAQVN[\w-]{36}",
    )
]
SECRET_WORDS = (
    r"pass(?:word|wd|phrase)?|pwd|secret|auth(?=[\"'\s]*[:=])|token|api[_ -]?key|apikey|access[_ -]?key|client[_ -]?secret|auth[_ -]?token"
    r"|credentials?|psk|senha|contrase(?:ñ|n)a|clave|passwort|kennwort|mot[_ ]de[_ ]passe|motdepasse|wachtwoord"
    r"|has(?:ł|l)o|пароль|парол[ья]|密码|密碼|口令|パスワード|비밀번호|암호|(?:ş|s)ifre|parola|parolă|l(?:ö|o)senord"
    r"|salasana|heslo|jelsz(?:ó|o)|adgangskode|passord|m(?:ậ|a)t[_ ]kh(?:ẩ|a)u|รหัสผ่าน|पासवर्ड|sandi|סיסמה|סיסמא"
    r"|كلمة (?:المرور|السر)|رمز عبور|κωδικός|geheim|secreto|segredo|schl(?:ü|u)ssel|sleutel|klucz|ключ|密钥|秘钥"
    r"|キー|키|anahtar|nyckel|avain|kulcs|cheie|kunci|khóa|คีย์|कुंजी|מפתח|مفتاح|کلید|κλειδί|токен|トークン|令牌|토큰"
)
ASSIGN_RE = re.compile(
    r"(?i)(?:"
    + SECRET_WORDS
    + r")[\w.\- ]{0,24}?[\"'\]]{0,2}[ \t]*(?:=>|:=|[:=：])[ \t]*[\"'`]?([^\s\"'`<>,;|()\[\]{}]{8,})"
)


USERINFO_RE = re.compile(r"://[^\s:/@]+:([^\s@/]+)@")
XMLTAG_RE = re.compile(r"(?i)<(\w*(?:password|secret|token|apikey)\w*)>([^<\s]{8,})</\1>")
SPACED_RE = re.compile(r"(?im)^[ \t]*(?:password|passwd|passphrase|requirepass|masterauth)[ \t]+(\S{8,})")


def covered(spans: list[dict], start: int, end: int) -> bool:
    return any(s["start"] <= start and end <= s["end"] for s in spans)


def overlaps(spans: list[dict], start: int, end: int) -> bool:
    return any(s["start"] < end and start < s["end"] for s in spans)


def scan_unlabelled(text: str, spans: list[dict], exempt: frozenset[str]) -> list[str]:
    """Values the policy calls PII that no span covers."""
    found: list[str] = []
    if EMAIL not in exempt:
        for m in EMAIL_RE.finditer(text):
            v, s, e = m.group(), m.start(), m.end()
            if overlaps(spans, s, e) or not valid_email(v):
                continue
            before = text[max(0, s - 200) : s]
            token_before = re.split(r"\s", before)[-1] if before else ""
            if re.search(r"://[^\s/?#@&=]*$", before):  # URL userinfo (user:password@host)
                continue
            if text[e : e + 1] == ":" and text[e + 1 : e + 2] not in ("", " ", "\n") and not text[e + 1].isdigit():
                continue  # git@github.com:org/repo.git, user@host:~$
            line = before.rsplit("\n", 1)[-1].lower()
            if line.startswith(("message-id", "references", "in-reply-to")) or token_before.endswith("cid:"):
                continue
            found.append(f"EMAIL {v!r}")
    if IP not in exempt:
        for m in IPV4_RE.finditer(text):
            v = m.group(1)
            if valid_ip(v) and not overlaps(spans, m.start(1), m.end(1)):
                found.append(f"IPv4 {v!r}")
        for m in IPV6_RE.finditer(text):
            v = m.group(1)
            if v.count(":") >= 2 and valid_ip(v) and not overlaps(spans, m.start(1), m.end(1)):
                found.append(f"IPv6 {v!r}")
    if CARD not in exempt:
        for m in CARD_RE.finditer(text):
            if card_like(m.group()) and not overlaps(spans, m.start(), m.end()):
                found.append(f"CARD {m.group()!r}")
    if SECRET not in exempt:
        for rx in TOKEN_RES:
            for m in rx.finditer(text):
                if not covered(spans, m.start(), m.end()):
                    found.append(f"TOKEN {m.group()[:40]!r}")
        for m in [*USERINFO_RE.finditer(text), *SPACED_RE.finditer(text), *XMLTAG_RE.finditer(text)]:
            g = m.lastindex or 1
            v = m.group(g)
            if valid_secret(v) and not overlaps(spans, m.start(g), m.end(g)):
                found.append(f"URL/SPACED {m.group()[:60]!r}")
        for m in ASSIGN_RE.finditer(text):
            v = m.group(1).rstrip(".")
            if re.fullmatch(r"[A-Za-z_.$-]+", v):  # identifiers, dotted names and cmdlets in code
                continue
            if valid_secret(v) and not overlaps(spans, m.start(1), m.end(1)):
                found.append(f"ASSIGNED {m.group()[:60]!r}")
    return found


# --------------------------------------------------------------------------------------------------------------
# templates and rendering
# --------------------------------------------------------------------------------------------------------------

SLOT_RE = re.compile(r"⟦([^⟦⟧]+)⟧")


@dataclass
class Template:
    category: str  # "positive" or a hard-negative category
    context: str
    lang: str
    text: str
    n: int


TEMPLATES: list[Template] = []
# hard-negative category -> entity types whose look-alikes it was built for (exempt from the scanner)
NEG_EXEMPT: dict[str, frozenset[str]] = {}


def pos(context: str, lang: str, text: str, n: int = 2) -> None:
    TEMPLATES.append(Template("positive", context, lang, text, n))


def neg(category: str, context: str, lang: str, text: str, n: int = 2) -> None:
    assert category in NEG_EXEMPT, category
    TEMPLATES.append(Template(category, context, lang, text, n if SLOT_RE.search(text) else 1))


def render(tpl: str, r: random.Random) -> tuple[str, list[dict], list[tuple[str, str]]]:
    out: list[str] = []
    spans: list[dict] = []
    values: list[tuple[str, str]] = []
    cache: dict[str, str] = {}
    people: dict[str, tuple[str, str]] = {}
    pos_ = 0
    last = 0
    for m in SLOT_RE.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos_ += len(lit)
        spec = m.group(1)
        key, _, tag = spec.partition("#")
        key, _, person = key.partition("~")  # ⟦email~p1⟧: an address derived from the name tagged p1
        kind, _, variant = key.partition(".")
        if tag and spec in cache:
            value = cache[spec]
        elif person:
            assert kind == "email", spec
            first, last = people[person]
            value = gen_email(r, variant, (first, last))
        else:
            value = produce(kind, variant, r)
            cache[spec] = value
        if kind == "name" and tag:
            first, last = value.lower().split(" ", 1)
            people[tag] = (first, last.replace(" ", ""))
        entity = LABELLED.get(kind)
        if entity:
            spans.append({"start": pos_, "end": pos_ + len(value), "entity": entity})
            values.append((entity, value))
        out.append(value)
        pos_ += len(value)
        last = m.end()
    out.append(tpl[last:])
    assert "⟦" not in tpl[last:] and "⟧" not in tpl[last:], tpl
    return "".join(out), spans, values


def build(r: random.Random) -> list[dict]:
    records: list[dict] = []
    seen: set[str] = set()
    assert len(TEMPLATES) <= 1000, len(TEMPLATES)
    for ti, t in enumerate(TEMPLATES):
        exempt = frozenset() if t.category == "positive" else NEG_EXEMPT[t.category]
        for k in range(t.n):
            for _attempt in range(50):
                text, spans, values = render(t.text, r)
                if text not in seen:
                    break
            rid = f"{PREFIX}-{ti:03d}-{k}"
            assert text not in seen, (rid, text)
            seen.add(text)
            for sp, (entity, value) in zip(spans, values, strict=True):
                assert text[sp["start"] : sp["end"]] == value, (rid, sp, value)
                assert VALIDATORS[entity](value), (rid, entity, value)
            ordered = sorted(spans, key=lambda s: s["start"])
            for a, b in itertools.pairwise(ordered):
                assert a["end"] <= b["start"], (rid, a, b)
            if t.category == "positive":
                assert spans, (rid, "positive without spans")
            else:
                assert not spans, (rid, "hard negative with spans")
            problems = scan_unlabelled(text, spans, exempt)
            assert not problems, (rid, t.category, problems, text)
            records.append(
                {
                    "id": rid,
                    "text": text,
                    "lang": t.lang,
                    "context": t.context,
                    "category": t.category,
                    "spans": ordered,
                }
            )
    return records


def summary(records: list[dict]) -> None:
    pos_recs = [x for x in records if x["category"] == "positive"]
    negs = [x for x in records if x["category"] != "positive"]
    ents = Counter(s["entity"] for x in records for s in x["spans"])
    langs = Counter(x["lang"] for x in records)
    non_en = sum(v for k, v in langs.items() if k != "en")
    print(f"records: {len(records)}  positives: {len(pos_recs)}  hard negatives: {len(negs)}")
    print(f"spans: {sum(ents.values())}  " + "  ".join(f"{e}: {ents[e]}" for e in ENTITIES))
    cats = Counter(x["category"] for x in negs)
    print(f"hard-negative categories: {len(cats)}")
    for c, v in sorted(cats.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {c}: {v}")
    print(f"contexts: {len(Counter(x['context'] for x in records))}")
    print(f"languages: {len(langs)}  " + " ".join(f"{k} {v}" for k, v in langs.most_common()))
    print(f"non-English: {non_en}/{len(records)} = {non_en / len(records):.1%}")
    pos_non_en = sum(1 for x in pos_recs if x["lang"] != "en")
    neg_non_en = sum(1 for x in negs if x["lang"] != "en")
    print(f"non-English positives: {pos_non_en}/{len(pos_recs)}  non-English negatives: {neg_non_en}/{len(negs)}")


def without_encoding_prefix(record):
    """Labelling policy from session 5 on: the ``base64:`` before a Laravel APP_KEY names the encoding and is no
    part of the secret (as ``Bearer `` is none of a token's). Applied when writing, after all checks."""
    for span in record["spans"]:
        if span["entity"] == "SECRET" and record["text"].startswith("base64:", span["start"]):
            span["start"] += len("base64:")
    return record


def main() -> int:
    r = random.Random(SEED)
    records = build(r)
    with OUT.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(without_encoding_prefix(rec), ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")
    summary(records)
    return 0


# ==============================================================================================================
# POSITIVES: secrets in configuration files, IaC and CI (mostly English keys)
# ==============================================================================================================

pos(
    "env_file",
    "en",
    """# .env.production
NODE_ENV=production
PORT=8080
DATABASE_URL=postgres://⟦user⟧:⟦pwu⟧@⟦host⟧:5432/app
REDIS_URL=redis://default:⟦an.32⟧@⟦host⟧:6379
STRIPE_SECRET_KEY=⟦sklive⟧
SENDGRID_API_KEY=⟦sendgrid⟧
JWT_SECRET=⟦hex.64⟧
SENTRY_DSN=https://⟦md5⟧@o⟦num.6⟧.ingest.sentry.io/⟦num.7⟧""",
    2,
)
pos(
    "env_file",
    "en",
    """APP_NAME="⟦co⟧"
APP_ENV=production
APP_KEY=⟦laravel⟧
APP_DEBUG=false
APP_URL=https://⟦dom⟧

DB_CONNECTION=mysql
DB_HOST=⟦priv4⟧
DB_PORT=3306
DB_DATABASE=shop
DB_USERNAME=⟦user⟧
DB_PASSWORD=⟦pw⟧

MAIL_MAILER=smtp
MAIL_HOST=smtp.mailgun.org
MAIL_PORT=587
MAIL_USERNAME=⟦email⟧
MAIL_PASSWORD=⟦hex.32⟧
MAIL_FROM_ADDRESS=⟦email.role⟧""",
    1,
)
pos(
    "env_file",
    "en",
    """OPENAI_API_KEY=⟦openai⟧
ANTHROPIC_API_KEY=⟦anthropic⟧
HUGGINGFACEHUB_API_TOKEN=⟦hf⟧
PINECONE_API_KEY=⟦pinecone⟧
LANGCHAIN_TRACING_V2=true
LANGCHAIN_API_KEY=⟦langsmith⟧
GROQ_API_KEY=⟦groq⟧
# PERPLEXITY_API_KEY=⟦pplx⟧""",
    2,
)
pos(
    "env_file",
    "en",
    """export DIGITALOCEAN_TOKEN="⟦dop⟧"
export TF_VAR_db_password='⟦pw⟧'
export VAULT_ADDR=https://vault.⟦dom⟧:8200
export VAULT_TOKEN=⟦hvs⟧
export AWS_PROFILE=prod""",
    1,
)
pos(
    "env_file",
    "en",
    """SLACK_BOT_TOKEN=⟦xoxb⟧
SLACK_APP_TOKEN=⟦xapp⟧
SLACK_SIGNING_SECRET=⟦hex.32⟧
DISCORD_TOKEN=⟦discord⟧
LINEAR_API_KEY=⟦linear⟧
NOTION_TOKEN=⟦notion⟧
FIGMA_TOKEN=⟦figma⟧""",
    2,
)
pos(
    "env_file",
    "en",
    """# copied from the Vercel dashboard, do not commit
NEXT_PUBLIC_SITE_URL=https://⟦dom⟧
SUPABASE_SERVICE_ROLE_KEY=⟦jwt⟧
REPLICATE_API_TOKEN=⟦replicate⟧
XAI_API_KEY=⟦xai⟧
NETLIFY_AUTH_TOKEN=⟦netlify⟧
CONTENTFUL_MANAGEMENT_TOKEN=⟦contentful⟧""",
    1,
)
pos(
    "yaml_config",
    "en",
    """spring:
  datasource:
    url: jdbc:postgresql://⟦host⟧:5432/orders
    username: ⟦user⟧
    password: ⟦pw⟧
  mail:
    host: smtp.⟦dom⟧
    port: 587
    username: ⟦email⟧
    password: '⟦pwr⟧'
jwt:
  secret: ⟦b64.64⟧
  expiration: 86400""",
    2,
)
pos(
    "properties",
    "en",
    """spring.datasource.url=jdbc:mysql://⟦priv4⟧:3306/crm?useSSL=true
spring.datasource.username=⟦user⟧
spring.datasource.password=⟦pw⟧
spring.security.oauth2.client.registration.google.client-id=⟦num.12⟧-⟦cssid⟧⟦cssid⟧.apps.googleusercontent.com
spring.security.oauth2.client.registration.google.client-secret=⟦gocspx⟧
management.endpoints.web.exposure.include=health,info""",
    1,
)
pos(
    "json_config",
    "en",
    """{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "ConnectionStrings": {
    "Default": "Server=tcp:⟦cssid⟧-sql.database.windows.net,1433;Initial Catalog=erp;User ID=⟦user⟧;Password=⟦pw⟧;Encrypt=True;"
  },
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "⟦uuid⟧",
    "ClientId": "⟦uuid⟧",
    "ClientSecret": "⟦azsecret⟧"
  },
  "Storage": "DefaultEndpointsProtocol=https;AccountName=⟦cssid⟧store;AccountKey=⟦azstorage⟧;EndpointSuffix=core.windows.net"
}""",
    2,
)
pos(
    "docker_compose",
    "en",
    """services:
  db:
    image: postgres:16
    restart: unless-stopped
    environment:
      POSTGRES_USER: ⟦user⟧
      POSTGRES_PASSWORD: ⟦pw⟧
      POSTGRES_DB: app
  app:
    image: ghcr.io/⟦cssid⟧/api:⟦ver⟧
    depends_on: [db]
    environment:
      - DATABASE_URL=postgresql://app:⟦pwu⟧@db:5432/app
      - OPENAI_API_KEY=⟦openaiproj⟧
    ports:
      - "8080:8080\"""",
    1,
)
pos(
    "k8s_manifest",
    "en",
    """apiVersion: v1
kind: Secret
metadata:
  name: ⟦cssid⟧-credentials
  namespace: prod
type: Opaque
data:
  username: YXBwX3VzZXI=
  password: ⟦k8sb64⟧
stringData:
  api-token: ⟦glpat⟧""",
    2,
)
pos(
    "helm_values",
    "en",
    """externalDatabase:
  host: ⟦host⟧
  port: 5432
  user: ⟦user⟧
  password: ⟦pw⟧
smtp:
  enabled: true
  password: |
    ⟦pwr⟧
ingress:
  tls:
    key: |
      ⟦pk.rsa_i6⟧""",
    2,
)
pos(
    "terraform",
    "en",
    """provider "aws" {
  region     = "eu-central-1"
  access_key = "⟦akia⟧"
  secret_key = "⟦awssecret⟧"
}

resource "aws_db_instance" "main" {
  identifier        = "orders-prod"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "⟦user⟧"
  password          = "⟦pw⟧"
  allocated_storage = 50
}""",
    2,
)
pos(
    "terraform",
    "en",
    """cloudflare_api_token = "⟦cloudflare⟧"
hcloud_token         = "⟦an.64⟧"
ssh_allowed_cidrs    = ["⟦ip4⟧/32", "⟦priv4.10⟧/32"]
admin_email          = "⟦email⟧\"""",
    1,
)
pos(
    "ansible_vars",
    "en",
    """# group_vars/db/vars.yml
mysql_root_password: "⟦pw⟧"
mysql_users:
  - name: ⟦user⟧
    host: "10.20.%"
    password: "⟦pwr⟧"
    priv: "shop.*:ALL"
mysql_replication_password: ⟦an.24⟧""",
    2,
)
pos(
    "ci_config",
    "en",
    """name: release
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    env:
      NPM_TOKEN: ⟦npm⟧
      AWS_ACCESS_KEY_ID: ⟦akia⟧
      AWS_SECRET_ACCESS_KEY: ⟦awssecret⟧
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm publish --access public""",
    2,
)
pos(
    "ci_config",
    "en",
    """variables:
  DOCKER_DRIVER: overlay2
  DOCKER_AUTH_CONFIG: '{"auths":{"registry.⟦dom⟧":{"auth":"⟦basic⟧"}}}'

deploy:
  stage: deploy
  script:
    - docker login -u deploy -p ⟦glpat⟧ registry.gitlab.com
    - ./deploy.sh
  only:
    - main""",
    1,
)
pos(
    "ci_config",
    "en",
    """version: 2.1
jobs:
  test:
    docker:
      - image: cimg/python:3.12
    environment:
      CODECOV_TOKEN: ⟦uuidkey⟧
      CIRCLE_TOKEN: ⟦circleci⟧
      BUILDKITE_AGENT_TOKEN: ⟦buildkite⟧
    steps:
      - checkout
      - run: pytest -q""",
    2,
)
pos(
    "npmrc",
    "en",
    """registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=⟦npm⟧
@⟦cssid⟧:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦ghp⟧
always-auth=true""",
    1,
)
pos(
    "pypirc",
    "en",
    """[distutils]
index-servers =
    pypi
    testpypi

[pypi]
username = __token__
password = ⟦pypi⟧

[testpypi]
repository = https://test.pypi.org/legacy/
username = __token__
password = ⟦pypi⟧""",
    2,
)
pos(
    "aws_credentials",
    "en",
    """[default]
aws_access_key_id = ⟦akia⟧
aws_secret_access_key = ⟦awssecret⟧

[prod-admin]
aws_access_key_id = ⟦asia⟧
aws_secret_access_key = ⟦awssecret⟧
aws_session_token = ⟦awssession⟧
region = eu-west-1""",
    2,
)
pos(
    "docker_config",
    "en",
    """{
	"auths": {
		"https://index.docker.io/v1/": {
			"auth": "⟦basic⟧"
		},
		"⟦cssid⟧.azurecr.io": {
			"auth": "⟦basic⟧"
		}
	},
	"credsStore": ""
}""",
    2,
)
pos(
    "netrc",
    "en",
    """machine api.heroku.com
  login ⟦email⟧
  password ⟦uuidkey⟧
machine git.heroku.com
  login ⟦email⟧
  password ⟦uuidkey⟧
machine github.com
  login ⟦user⟧
  password ⟦ghp⟧""",
    1,
)
pos(
    "git_credentials",
    "en",
    """https://⟦user⟧:⟦ghp⟧@github.com
https://oauth2:⟦glpat⟧@gitlab.⟦dom⟧
https://x-token-auth:⟦an.40⟧@bitbucket.org""",
    2,
)
pos(
    "pip_conf",
    "en",
    """[global]
index-url = https://⟦user⟧:⟦jfrog⟧@⟦cssid⟧.jfrog.io/artifactory/api/pypi/pypi-virtual/simple
extra-index-url = https://pypi.org/simple
timeout = 60""",
    2,
)
pos(
    "ini_config",
    "en",
    """[client]
user=⟦user⟧
password="⟦pw⟧"
host=⟦priv4⟧

[mysqldump]
user=backup
password=⟦pwr⟧
single-transaction""",
    1,
)
pos(
    "pgpass",
    "en",
    """# hostname:port:database:username:password
⟦host⟧:5432:billing:⟦user⟧:⟦pwu⟧
*:5432:*:replicator:⟦pwr⟧""",
    2,
)
pos(
    "redis_conf",
    "en",
    """bind 127.0.0.1 ⟦priv4.10⟧
protected-mode yes
port 6379
requirepass ⟦an.48⟧
masterauth ⟦an.48⟧
maxmemory 2gb""",
    2,
)
pos(
    "wpa_supplicant",
    "en",
    """ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1
country=DE

network={
    ssid="⟦co⟧-Gast"
    psk="⟦wifi⟧"
    key_mgmt=WPA-PSK
}""",
    2,
)
pos(
    "hostapd_conf",
    "en",
    """interface=wlan0
driver=nl80211
ssid=HomeNet-5G
hw_mode=a
channel=36
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=⟦wifi⟧""",
    2,
)
pos(
    "wireguard_conf",
    "en",
    """[Interface]
PrivateKey = ⟦wg⟧
Address = 10.8.0.2/24
DNS = ⟦priv4.10⟧

[Peer]
PublicKey = ⟦wgpub⟧
PresharedKey = ⟦wg⟧
Endpoint = ⟦ip4⟧:51820
AllowedIPs = 0.0.0.0/0
PersistentKeepalive = 25""",
    2,
)
pos(
    "ipsec_secrets",
    "en",
    """# /etc/ipsec.secrets - strongSwan IPsec secrets file
⟦ip4⟧ ⟦ip4⟧ : PSK "⟦pwr⟧"
: RSA server-key.pem""",
    2,
)
pos(
    "fstab",
    "en",
    """# <file system>  <mount point>  <type>  <options>  <dump>  <pass>
UUID=⟦uuid⟧ /               ext4    errors=remount-ro 0       1
//⟦priv4⟧/scans  /mnt/scans  cifs  username=scanner,password=⟦pw⟧,uid=1000,vers=3.0  0  0""",
    2,
)
pos(
    "s3cfg",
    "en",
    """[default]
access_key = ⟦akia⟧
secret_key = ⟦awssecret⟧
host_base = s3.amazonaws.com
host_bucket = %(bucket)s.s3.amazonaws.com
use_https = True""",
    2,
)
pos(
    "python",
    "en",
    """# settings/production.py
from .base import *  # noqa

SECRET_KEY = '⟦django⟧'
DEBUG = False
ALLOWED_HOSTS = ["⟦dom⟧", "www.⟦dom#d⟧"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "USER": "⟦user⟧",
        "PASSWORD": "⟦pw⟧",
        "HOST": "⟦host⟧",
    }
}
EMAIL_HOST_USER = "⟦email⟧"
EMAIL_HOST_PASSWORD = "⟦an.16⟧\"""",
    2,
)
pos(
    "php",
    "en",
    """<?php
define( 'DB_NAME', 'wp_⟦cssid⟧' );
define( 'DB_USER', '⟦user⟧' );
define( 'DB_PASSWORD', '⟦pw⟧' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );

define( 'AUTH_KEY',         '⟦wpsalt⟧' );
define( 'SECURE_AUTH_KEY',  '⟦wpsalt⟧' );
define( 'LOGGED_IN_KEY',    '⟦wpsalt⟧' );""",
    1,
)
pos(
    "yaml_config",
    "en",
    """default: &default
  adapter: postgresql
  encoding: unicode
  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>

production:
  <<: *default
  database: shop_production
  username: shop
  password: <%= ENV["SHOP_DATABASE_PASSWORD"] %>

staging:
  <<: *default
  database: shop_staging
  username: shop
  password: ⟦pw⟧""",
    1,
)
pos(
    "xml_config",
    "en",
    """<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <servers>
    <server>
      <id>nexus-releases</id>
      <username>⟦user⟧</username>
      <password>⟦pw⟧</password>
    </server>
    <server>
      <id>github</id>
      <username>⟦user⟧</username>
      <password>⟦ghp⟧</password>
    </server>
  </servers>
</settings>""",
    2,
)
pos(
    "xml_config",
    "en",
    """<configuration>
  <connectionStrings>
    <add name="ErpDb" connectionString="Data Source=⟦priv4⟧;Initial Catalog=ERP;User Id=⟦user⟧;Password=⟦pw⟧;" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <appSettings>
    <add key="SmtpUser" value="⟦email⟧" />
    <add key="SmtpPassword" value="⟦pwr⟧" />
    <add key="PaymentApiKey" value="⟦sklive⟧" />
  </appSettings>
</configuration>""",
    1,
)
pos(
    "properties",
    "en",
    """org.gradle.jvmargs=-Xmx4g -Dfile.encoding=UTF-8
signing.keyId=⟦keyid⟧
signing.password=⟦pw⟧
signing.secretKeyRingFile=/home/ci/.gnupg/secring.gpg
ossrhUsername=⟦user⟧
ossrhPassword=⟦pwr⟧""",
    2,
)
pos(
    "toml_config",
    "en",
    """[server]
host = "0.0.0.0"
port = 8000

[database]
url = "postgresql://⟦user⟧:⟦pwu⟧@⟦host⟧/metrics"
pool_size = 10

[telegram]
bot_token = "⟦telegram⟧"
chat_id = -100⟦num.10⟧""",
    1,
)
pos(
    "ini_config",
    "en",
    """[ERP]
Driver   = ODBC Driver 18 for SQL Server
Server   = tcp:⟦ip4⟧,1433
Database = erp
UID      = ⟦user⟧
PWD      = ⟦pw⟧
Encrypt  = yes""",
    2,
)
pos(
    "nginx_conf",
    "en",
    """location /api/ {
    proxy_pass https://upstream.⟦dom⟧;
    proxy_set_header Host $host;
    proxy_set_header Authorization "Bearer ⟦jwt⟧";
    proxy_set_header X-Api-Key ⟦an.32⟧;
    allow ⟦ip4⟧;
    allow ⟦priv4.10⟧;
    deny all;
}""",
    1,
)
pos(
    "systemd_unit",
    "en",
    """[Unit]
Description=Postgres exporter
After=network-online.target

[Service]
User=prometheus
Environment="GRAFANA_TOKEN=⟦glsa⟧"
Environment=DATA_SOURCE_PASS=⟦pw⟧
ExecStart=/usr/local/bin/postgres_exporter --web.listen-address=:9187
Restart=always""",
    2,
)
pos(
    "crontab",
    "en",
    """# m h  dom mon dow   command
*/15 * * * * curl -fsS -H "Authorization: Bearer ⟦dop⟧" https://api.digitalocean.com/v2/droplets > /dev/null
0 3 * * * PGPASSWORD='⟦pw⟧' pg_dump -h ⟦host⟧ -U ⟦user⟧ shop | gzip > /backup/shop.sql.gz""",
    2,
)
pos(
    "dockerfile",
    "en",
    """FROM python:3.12-slim
WORKDIR /srv
ENV PIP_INDEX_URL=https://⟦user⟧:⟦an.40⟧@nexus.⟦dom⟧/repository/pypi/simple
ARG HF_TOKEN=⟦hf⟧
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]""",
    2,
)
pos(
    "makefile",
    "en",
    """.PHONY: deploy
deploy:
\tdocker build -t registry.heroku.com/⟦cssid⟧/web .
\tHEROKU_API_KEY=⟦uuidkey⟧ heroku container:push web -a ⟦cssid⟧
\tHEROKU_API_KEY=⟦uuidkey⟧ heroku container:release web -a ⟦cssid⟧""",
    2,
)
pos(
    "json_config",
    "en",
    r"""{
  "type": "service_account",
  "project_id": "⟦cssid⟧-prod",
  "private_key_id": "⟦sha1⟧",
  "private_key": "⟦pk.pkcs8_esc⟧\n",
  "client_email": "⟦email.gsa⟧",
  "client_id": "⟦num.21⟧",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}""",
    2,
)
pos(
    "env_file",
    "en",
    r"""APP_CONFIG="{\"db\":{\"host\":\"⟦host⟧\",\"user\":\"⟦user⟧\",\"password\":\"⟦pw⟧\"},\"stripe\":{\"secret\":\"⟦sklive⟧\"}}"
LOG_LEVEL=info""",
    1,
)
pos(
    "kubeconfig",
    "en",
    """apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://⟦ip4⟧:6443
  name: prod
users:
- name: ci-deployer
  user:
    token: ⟦jwt⟧
- name: admin
  user:
    client-certificate-data: ⟦b64cert⟧
    client-key-data: ⟦b64key⟧""",
    2,
)
pos(
    "json_config",
    "en",
    """{
  "id": "⟦uuid⟧",
  "name": "prod",
  "values": [
    {"key": "baseUrl", "value": "https://api.⟦dom⟧", "enabled": true},
    {"key": "apiKey", "value": "⟦an.32⟧", "type": "secret", "enabled": true},
    {"key": "password", "value": "⟦pw⟧", "type": "secret", "enabled": true}
  ],
  "_postman_variable_scope": "environment"
}""",
    2,
)
pos(
    "json_config",
    "en",
    """{
  "version": "0.2.0",
  "configurations": [
    {
      "name": "Flask",
      "type": "debugpy",
      "request": "launch",
      "module": "flask",
      "env": {
        "FLASK_APP": "app.py",
        "MAILCHIMP_API_KEY": "⟦mailchimp⟧",
        "TWILIO_AUTH_TOKEN": "⟦twilio⟧"
      }
    }
  ]
}""",
    1,
)
pos(
    "yaml_config",
    "en",
    """service: shop-sync
provider:
  name: aws
  runtime: nodejs20.x
  region: eu-central-1
  environment:
    SHOPIFY_ADMIN_TOKEN: ⟦shpat⟧
    AIRTABLE_TOKEN: ⟦airtable⟧
    SQUARE_APP_SECRET: ⟦sq0⟧
functions:
  sync:
    handler: handler.sync""",
    2,
)
pos(
    "yaml_config",
    "en",
    """scrape_configs:
  - job_name: node
    scheme: https
    basic_auth:
      username: prometheus
      password: ⟦pwr⟧
    static_configs:
      - targets: ['⟦ip4⟧:9100', '⟦priv4⟧:9100']""",
    1,
)
pos(
    "yaml_config",
    "en",
    """apiVersion: 1
datasources:
  - name: Loki
    type: loki
    access: proxy
    url: https://logs-prod-eu-west-0.grafana.net
    basicAuth: true
    basicAuthUser: ⟦num.6⟧
    secureJsonData:
      basicAuthPassword: ⟦glc⟧""",
    2,
)
pos(
    "properties",
    "en",
    """bootstrap.servers=pkc-⟦cssid⟧.europe-west3.gcp.confluent.cloud:9092
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="⟦upid⟧" password="⟦b64.64⟧";
client.dns.lookup=use_all_dns_ips""",
    1,
)
pos(
    "logstash_conf",
    "en",
    """output {
  elasticsearch {
    hosts => ["https://⟦ip4⟧:9200"]
    index => "app-%{+YYYY.MM.dd}"
    user => "logstash_writer"
    password => "⟦pw⟧"
    ssl_certificate_verification => true
  }
}""",
    2,
)
pos(
    "php",
    "en",
    """<?php

return [
    'mailgun' => [
        'domain' => 'mg.⟦dom⟧',
        'secret' => '⟦mailgun⟧',
        'endpoint' => 'api.eu.mailgun.net',
    ],
    'stripe' => [
        'secret' => '⟦sklive⟧',
        'webhook_secret' => '⟦whsec⟧',
    ],
];""",
    2,
)
pos(
    "yaml_config",
    "en",
    """# config/credentials.yml (decrypted for debugging, DELETE ME)
aws:
  access_key_id: ⟦akia⟧
  secret_access_key: ⟦awssecret⟧
secret_key_base: ⟦hex.128⟧
mapbox_token: ⟦mapbox⟧""",
    1,
)
pos(
    "yaml_config",
    "en",
    """# alertmanager.yml
global:
  smtp_smarthost: 'smtp.⟦dom⟧:587'
  smtp_from: '⟦email.role⟧'
  smtp_auth_username: '⟦email⟧'
  smtp_auth_password: '⟦pw⟧'
receivers:
  - name: ops
    pagerduty_configs:
      - routing_key: ⟦hex.32⟧""",
    2,
)


# ==============================================================================================================
# POSITIVES: secrets in source code
# ==============================================================================================================

pos(
    "python",
    "en",
    """import stripe

stripe.api_key = "⟦sklive⟧"

def refund(charge_id: str) -> None:
    stripe.Refund.create(charge=charge_id)""",
    1,
)
pos(
    "python",
    "en",
    """from openai import OpenAI

client = OpenAI(api_key="⟦openaiproj⟧")
resp = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])""",
    1,
)
pos(
    "python",
    "en",
    """conn = psycopg2.connect(
    host="⟦host⟧",
    dbname="orders",
    user="⟦user⟧",
    password="⟦pw⟧",
    sslmode="require",
)""",
    1,
)
pos(
    "python",
    "en",
    """s3 = boto3.client(
    "s3",
    region_name="eu-west-1",
    aws_access_key_id="⟦akia⟧",
    aws_secret_access_key="⟦awssecret⟧",
)
s3.upload_file("report.csv", "finance-exports", "2024/report.csv")""",
    2,
)
pos(
    "python",
    "en",
    """HEADERS = {
    "Authorization": "token ⟦ghp⟧",
    "Accept": "application/vnd.github+json",
}
r = requests.get("https://api.github.com/orgs/⟦cssid⟧/repos", headers=HEADERS, timeout=10)""",
    1,
)
pos(
    "python",
    "en",
    """import telebot

bot = telebot.TeleBot("⟦telegram⟧")

@bot.message_handler(commands=["start"])
def start(message):
    bot.reply_to(message, "ok")""",
    1,
)
pos(
    "python",
    "en",
    """app = Flask(__name__)
app.config["SECRET_KEY"] = "⟦hex.48⟧"
app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://⟦user⟧:⟦pwu⟧@⟦priv4⟧/inventory\"""",
    1,
)
pos(
    "python",
    "en",
    """with smtplib.SMTP_SSL("smtp.⟦dom⟧", 465) as smtp:
    smtp.login("⟦email⟧", "⟦pw⟧")
    smtp.send_message(msg)""",
    1,
)
pos(
    "python",
    "en",
    """resp = requests.get(
    f"https://{HOST}/api/v1/export",
    auth=("⟦user⟧", "⟦pw⟧"),
    timeout=30,
)""",
    1,
)
pos(
    "python",
    "en",
    """# TODO: move to vault
FERNET_KEY = b"⟦fernet⟧"
cipher = Fernet(FERNET_KEY)""",
    1,
)
pos(
    "javascript",
    "en",
    """const { Client } = require('pg');
const client = new Client({ connectionString: 'postgres://⟦user⟧:⟦pwu⟧@⟦host⟧:5432/app' });
await client.connect();""",
    1,
)
pos(
    "javascript",
    "en",
    """import { Octokit } from "@octokit/rest";

const octokit = new Octokit({ auth: "⟦ghpat⟧" });
const { data } = await octokit.rest.repos.listForOrg({ org: "⟦cssid⟧" });""",
    1,
)
pos(
    "javascript",
    "en",
    """const sgMail = require('@sendgrid/mail');
sgMail.setApiKey('⟦sendgrid⟧');
sgMail.send({ to: '⟦email⟧', from: '⟦email.role⟧', subject: 'Your invoice', text: 'Attached.' });""",
    2,
)
pos(
    "typescript",
    "en",
    """export const SUPABASE_URL = "https://⟦cssid⟧.supabase.co";
// server only!
export const SUPABASE_SERVICE_ROLE_KEY = "⟦jwt⟧";""",
    1,
)
pos(
    "javascript",
    "en",
    """mongoose.connect("mongodb+srv://⟦user⟧:⟦pwu⟧@cluster0.⟦cssid⟧.mongodb.net/shop?retryWrites=true&w=majority");""",
    1,
)
pos(
    "go",
    "en",
    """db, err := sql.Open("mysql", "⟦user⟧:⟦pwu⟧@tcp(⟦priv4⟧:3306)/orders?parseTime=true")
if err != nil {
	log.Fatal(err)
}""",
    1,
)
pos(
    "go",
    "en",
    """const slackToken = "⟦xoxb⟧"

func notify(msg string) error {
	api := slack.New(slackToken)
	_, _, err := api.PostMessage("C0⟦upid.8⟧", slack.MsgOptionText(msg, false))
	return err
}""",
    1,
)
pos(
    "go",
    "en",
    """sess := session.Must(session.NewSession(&aws.Config{
	Region:      aws.String("us-east-1"),
	Credentials: credentials.NewStaticCredentials("⟦akia⟧", "⟦awssecret⟧", ""),
}))""",
    1,
)
pos(
    "java",
    "en",
    """public class PaymentClient {
    private static final String API_KEY = "⟦an.32⟧";
    private static final String DB_PASS = "⟦pw⟧";

    Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://⟦host⟧:5432/hr", "⟦user⟧", DB_PASS);
    }
}""",
    1,
)
pos(
    "kotlin",
    "en",
    """val client = OkHttpClient.Builder()
    .addInterceptor { chain ->
        chain.proceed(chain.request().newBuilder().addHeader("X-Api-Key", "⟦hex.40⟧").build())
    }
    .build()""",
    1,
)
pos(
    "csharp",
    "en",
    """var client = new SendGridClient("⟦sendgrid⟧");
using var conn = new SqlConnection("Server=⟦priv4⟧;Database=Payroll;User Id=⟦user⟧;Password=⟦pw⟧;TrustServerCertificate=True;");""",
    1,
)
pos(
    "php",
    "en",
    """$mysqli = new mysqli("localhost", "⟦user⟧", "⟦pw⟧", "shop");
$pdo = new PDO('pgsql:host=⟦host⟧;dbname=crm', 'crm_app', '⟦pwr⟧');""",
    1,
)
pos(
    "ruby",
    "en",
    """Stripe.api_key = '⟦sklive⟧'

config.action_mailer.smtp_settings = {
  user_name: 'apikey',
  password: '⟦sendgrid⟧',
  address: 'smtp.sendgrid.net',
  port: 587
}""",
    1,
)
pos(
    "rust",
    "en",
    """let resp = reqwest::Client::new()
    .get("https://huggingface.co/api/whoami-v2")
    .bearer_auth("⟦hf⟧")
    .send()
    .await?;""",
    1,
)
pos(
    "swift",
    "en",
    """enum Secrets {
    static let mapsApiKey = "⟦aiza⟧"
    static let backendToken = "⟦jwt⟧"
}""",
    1,
)
pos(
    "shell_script",
    "en",
    """#!/usr/bin/env bash
set -euo pipefail
TOKEN="⟦ghp⟧"
curl -s -H "Authorization: token $TOKEN" https://api.github.com/repos/⟦cssid⟧/infra/releases/latest | jq -r .tag_name""",
    1,
)
pos(
    "powershell",
    "en",
    """$password = ConvertTo-SecureString "⟦pw⟧" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ("CORP\\svc_backup", $password)
Invoke-Command -ComputerName fs01 -Credential $cred -ScriptBlock { Get-PSDrive }""",
    1,
)
pos(
    "r",
    "en",
    """Sys.setenv(OPENAI_API_KEY = "⟦openai⟧")
con <- dbConnect(RPostgres::Postgres(), host = "⟦host⟧", dbname = "survey",
                 user = "⟦user⟧", password = "⟦pw⟧")""",
    1,
)
pos(
    "perl",
    "en",
    """my $dbh = DBI->connect("DBI:mysql:database=legacy;host=⟦priv4⟧", "⟦user⟧", "⟦pw⟧", { RaiseError => 1 });""",
    1,
)
pos(
    "lua",
    "en",
    """local redis = require "resty.redis"
local red = redis:new()
red:connect("⟦ip4⟧", 6379)
local ok, err = red:auth("⟦an.32⟧")""",
    1,
)
pos(
    "dart",
    "en",
    """const String algoliaAdminKey = '⟦hex.32⟧';
final dio = Dio(BaseOptions(headers: {'Authorization': 'Bearer ⟦openai⟧'}));""",
    1,
)
pos(
    "scala",
    "en",
    """val ds = new HikariDataSource()
ds.setJdbcUrl("jdbc:postgresql://⟦host⟧:5432/warehouse")
ds.setUsername("⟦user⟧")
ds.setPassword("⟦pw⟧")""",
    1,
)
pos(
    "notebook",
    "en",
    r"""{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": [
    "import os\n",
    "from huggingface_hub import login\n",
    "login(token=\"⟦hf⟧\")\n",
    "os.environ[\"WANDB_API_KEY\"] = \"⟦hex.40⟧\"\n"
   ]
  }
 ],
 "nbformat": 4
}""",
    2,
)
pos(
    "notebook",
    "en",
    r"""   "source": [
    "import openai\n",
    "openai.api_key = \"⟦openai⟧\"\n",
    "# df = pd.read_sql('select * from users', 'postgresql://⟦user⟧:⟦pwu⟧@⟦host⟧/prod')\n"
   ]""",
    2,
)
pos(
    "minified_js",
    "en",
    """!function(){var e="⟦sklive⟧",t={headers:{Authorization:"Bearer "+e,"Content-Type":"application/json"}};fetch("https://api.⟦dom⟧/v1/sync",t).then(function(n){return n.json()})}();""",
    1,
)
pos(
    "minified_js",
    "en",
    """const n={apiKey:"⟦openai⟧",baseURL:"https://api.openai.com/v1",timeout:3e4},o=new r.default(n);export{o as client};""",
    1,
)
pos(
    "minified_js",
    "en",
    """window.__CONFIG__={env:"production",sentry:"https://⟦md5⟧@o⟦num.6⟧.ingest.sentry.io/⟦num.7⟧",mapboxToken:"⟦mapbox⟧",algoliaWriteKey:"⟦hex.32⟧"};""",
    1,
)

# ==============================================================================================================
# POSITIVES: SQL, shell history, database clients, CLI flags
# ==============================================================================================================

pos(
    "sql",
    "en",
    """CREATE USER 'reporting'@'%' IDENTIFIED BY '⟦pw⟧';
GRANT SELECT ON analytics.* TO 'reporting'@'%';
ALTER USER 'app'@'10.0.%' IDENTIFIED BY '⟦pwr⟧';
FLUSH PRIVILEGES;""",
    1,
)
pos(
    "sql",
    "en",
    """CREATE ROLE etl WITH LOGIN PASSWORD '⟦pw⟧' VALID UNTIL '2026-01-01';
ALTER ROLE replicator WITH PASSWORD '⟦pwr⟧';""",
    1,
)
pos(
    "sql",
    "en",
    """INSERT INTO api_clients (name, client_id, client_secret, created_at)
VALUES ('⟦co⟧', '⟦uuid⟧', '⟦an.48⟧', NOW());""",
    1,
)
pos("sql", "en", """UPDATE integrations SET config = '{"token": "⟦xoxb⟧", "channel": "#alerts"}' WHERE id = 7;""", 1)
pos(
    "sql",
    "en",
    """CREATE SERVER billing_srv FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '⟦host⟧', dbname 'billing');
CREATE USER MAPPING FOR app SERVER billing_srv OPTIONS (user 'fdw_reader', password '⟦pw⟧');""",
    1,
)
pos(
    "sql",
    "en",
    """CREATE LOGIN etl_loader WITH PASSWORD = N'⟦pw⟧', CHECK_POLICY = ON;
CREATE USER etl_loader FOR LOGIN etl_loader;""",
    1,
)
pos(
    "sql",
    "en",
    """-- Oracle
CREATE USER hr_app IDENTIFIED BY "⟦pw⟧" DEFAULT TABLESPACE users;
GRANT CONNECT, RESOURCE TO hr_app;""",
    1,
)
pos(
    "sql",
    "en",
    """INSERT INTO customers (id, full_name, email, signup_ip) VALUES
  (1041, '⟦name#p1⟧', '⟦email~p1⟧', '⟦ip4⟧'),
  (1042, '⟦name#p2⟧', '⟦email~p2⟧', '⟦ip6⟧'),
  (1043, '⟦name#p3⟧', '⟦email~p3⟧', '⟦priv4⟧');""",
    2,
)
pos(
    "shell_history",
    "en",
    """  501  ssh ⟦user⟧@⟦ip4⟧
  502  mysql -h ⟦host⟧ -u root -p'⟦pw⟧' shop
  503  export GITHUB_TOKEN=⟦ghp⟧
  504  gh repo clone ⟦cssid⟧/api
  505  history | grep token""",
    2,
)
pos(
    "shell_history",
    "en",
    """: 1712345678:0;docker login -u ⟦user⟧ -p ⟦dckr⟧
: 1712345702:0;kubectl create secret generic db-creds --from-literal=username=app --from-literal=password='⟦pw⟧' -n prod
: 1712345790:0;kubectl get pods -n prod""",
    2,
)
pos(
    "shell_session",
    "en",
    """$ psql "postgresql://⟦user⟧:⟦pwu⟧@⟦host⟧:5432/analytics?sslmode=require"
psql (16.2)
SSL connection (protocol: TLSv1.3, cipher: TLS_AES_256_GCM_SHA384, compression: off)
Type "help" for help.

analytics=> \\dt""",
    1,
)
pos(
    "shell_session",
    "en",
    """$ redis-cli -h ⟦ip4#r⟧ -p 6379 -a ⟦an.32⟧
Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.
⟦ip4#r⟧:6379> PING
PONG""",
    1,
)
pos(
    "shell_session",
    "en",
    """$ mongosh "mongodb://admin:⟦pwu⟧@⟦ip4⟧:27017/?authSource=admin"
Current Mongosh Log ID: ⟦objid⟧
Connecting to: mongodb://<credentials>@⟦ip4#x⟧:27017/?authSource=admin
Using MongoDB: 7.0.5""",
    1,
)
pos(
    "db_client",
    "en",
    """mysql> CREATE USER 'grafana'@'%' IDENTIFIED BY '⟦pw⟧';
Query OK, 0 rows affected (0.01 sec)

mysql> GRANT SELECT ON metrics.* TO 'grafana'@'%';
Query OK, 0 rows affected (0.00 sec)""",
    1,
)
pos(
    "db_client",
    "en",
    """SQL> conn system/⟦pwu⟧@//⟦host⟧:1521/ORCLPDB1
Connected.
SQL> select username from dba_users where account_status = 'OPEN';""",
    1,
)
pos("cli", "en", """az login --service-principal -u ⟦uuid⟧ -p ⟦azsecret⟧ --tenant ⟦uuid⟧""", 1)
pos(
    "cli",
    "en",
    """gitlab-runner register --non-interactive --url https://gitlab.com/ --registration-token ⟦glrunner⟧ --executor docker --docker-image alpine:3.19""",
    1,
)
pos("cli", "en", """sshpass -p '⟦pw⟧' ssh -o StrictHostKeyChecking=no root@⟦ip4⟧ 'systemctl restart nginx'""", 1)
pos("cli", "en", """curl -u ⟦user⟧:⟦pwr.url⟧ -X POST https://⟦host⟧/api/v1/export -d '{"format":"csv"}'""", 1)
pos("cli", "en", """wget --user=⟦user⟧ --password='⟦pw⟧' https://downloads.⟦dom⟧/nightly/app-⟦ver⟧.tar.gz""", 1)
pos("cli", "en", """openssl pkcs12 -export -in cert.pem -inkey key.pem -out bundle.p12 -passout pass:⟦pw⟧""", 1)
pos("cli", "en", """htpasswd -b -c /etc/nginx/.htpasswd ⟦user⟧ ⟦pw⟧""", 1)
pos(
    "cli",
    "en",
    """vault login ⟦hvs⟧
vault kv get secret/prod/db""",
    1,
)
pos("cli", "en", """heroku config:set STRIPE_KEY=⟦sklive⟧ SENDGRID_KEY=⟦sendgrid⟧ -a ⟦cssid⟧""", 1)
pos("cli", "en", """terraform apply -var="db_password=⟦pw⟧" -var="region=eu-central-1\"""", 1)
pos(
    "cli",
    "en",
    """helm upgrade --install pg bitnami/postgresql --set auth.postgresPassword=⟦pw⟧ --set auth.replicationPassword=⟦pwr⟧""",
    1,
)
pos("cli", "en", """mysqldump -u root --password=⟦pw⟧ --all-databases --single-transaction > all.sql""", 1)
pos(
    "cli",
    "en",
    """ldapsearch -x -H ldaps://⟦host⟧ -D "cn=admin,dc=corp,dc=lan" -w '⟦pw⟧' -b "dc=corp,dc=lan" "(uid=⟦user⟧)\"""",
    1,
)
pos(
    "cli",
    "en",
    """docker run -d --name n8n -e N8N_ENCRYPTION_KEY=⟦an.32⟧ -e DB_POSTGRESDB_PASSWORD=⟦pw⟧ -p 5678:5678 n8nio/n8n""",
    1,
)
pos("cli", "en", """git clone https://⟦ghp⟧@github.com/⟦cssid⟧/private-infra.git""", 1)
pos("cli", "en", """age -d -i <(echo "⟦age⟧") secrets.enc > secrets.yaml""", 1)
pos("cli", "en", """PGPASSWORD=⟦pw⟧ psql -h ⟦ip4⟧ -U postgres -c 'select version();'""", 1)

# ==============================================================================================================
# POSITIVES: HTTP, URLs, query strings, logs, HTML
# ==============================================================================================================

pos(
    "http_request",
    "en",
    """POST /v1/charges HTTP/1.1
Host: api.stripe.com
Authorization: Bearer ⟦sklive⟧
Content-Type: application/x-www-form-urlencoded
Idempotency-Key: ⟦uuid⟧

amount=2000&currency=eur&source=tok_visa""",
    2,
)
pos(
    "http_request",
    "en",
    """GET /api/v2/orders?page=2 HTTP/1.1
Host: shop.⟦dom⟧
X-API-Key: ⟦an.40⟧
X-Forwarded-For: ⟦ip4⟧, ⟦priv4⟧
User-Agent: python-requests/2.31.0
Accept: */*""",
    2,
)
pos(
    "curl_verbose",
    "en",
    """> GET /repos/⟦cssid⟧/infra HTTP/2
> Host: api.github.com
> authorization: Basic ⟦basic⟧
> user-agent: curl/8.5.0
> accept: */*
>
< HTTP/2 200""",
    2,
)
pos(
    "har",
    "en",
    """"request": {
  "method": "POST",
  "url": "https://api.⟦dom⟧/graphql",
  "headers": [
    {"name": "Authorization", "value": "Bearer ⟦jwt⟧"},
    {"name": "x-client-version", "value": "⟦ver⟧"}
  ]
}""",
    2,
)
pos("url", "en", """https://api.openweathermap.org/data/2.5/weather?q=Berlin&appid=⟦hex.32⟧&units=metric""", 1)
pos("url", "en", """https://maps.googleapis.com/maps/api/geocode/json?address=Kyiv&key=⟦aiza⟧""", 1)
pos("url", "en", """wss://stream.⟦dom⟧/v1/ticks?symbols=BTCUSD,ETHUSD&access_token=⟦jwt⟧""", 1)
pos(
    "url",
    "en",
    """https://⟦cssid⟧.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2025-12-31T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=⟦sas⟧""",
    1,
)
pos(
    "http_body",
    "en",
    """POST /oauth2/token HTTP/1.1
Host: login.⟦dom⟧
Content-Type: application/x-www-form-urlencoded

grant_type=client_credentials&client_id=⟦uuid⟧&client_secret=⟦an.40⟧&scope=api.read""",
    2,
)
pos(
    "url_encoded",
    "en",
    """redirect_uri=https%3A%2F%2Fapp.⟦dom⟧%2Fcallback&response_type=token&access_token=⟦jwt⟧&token_type=Bearer&expires_in=3600""",
    2,
)
pos(
    "access_log",
    "en",
    """⟦ip4⟧ - - [12/May/2024:08:31:07 +0000] "GET /api/export?api_key=⟦hex.32⟧&format=csv HTTP/1.1" 200 5123 "-" "curl/8.5.0"
⟦ip4⟧ - - [12/May/2024:08:31:09 +0000] "GET /favicon.ico HTTP/1.1" 404 153 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"""",
    2,
)
pos(
    "app_log",
    "en",
    """[2024-03-02 14:11:09] production.ERROR: SQLSTATE[HY000] [1045] Access denied for user 'shop'@'⟦priv4⟧' {"exception":"[object] (PDOException(code: 1045) at /var/www/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:65)
#0 PDO->__construct('mysql:host=⟦priv4⟧;port=3306;dbname=shop', 'shop', '⟦pw⟧', Array)""",
    1,
)
pos(
    "app_log",
    "en",
    """DEBUG urllib3.connectionpool: Starting new HTTPS connection (1): hooks.⟦dom⟧:443
DEBUG urllib3.connectionpool: https://hooks.⟦dom⟧:443 "POST /notify?token=⟦an.32⟧ HTTP/1.1" 204 0""",
    1,
)
pos(
    "app_log",
    "en",
    """time="2024-06-01T10:22:31Z" level=error msg="auth failed" user=⟦user⟧ password=⟦pw⟧ remote=⟦ip4⟧:51234""",
    1,
)
pos(
    "app_log",
    "en",
    """{"ts":"2024-06-03T07:12:44.120Z","level":"debug","msg":"outgoing request","method":"POST","url":"https://api.⟦dom⟧/v1/send","headers":{"authorization":"Bearer ⟦openaiproj⟧","content-type":"application/json"},"client_ip":"⟦ip4⟧"}""",
    1,
)
pos(
    "html",
    "en",
    """<form action="/login" method="post">
  <input type="text" name="username" value="⟦user⟧">
  <input type="password" name="password" value="⟦pw⟧" autocomplete="current-password">
  <input type="hidden" name="api_key" value="⟦hex.32⟧">
  <button type="submit">Sign in</button>
</form>""",
    2,
)
pos(
    "html",
    "en",
    """<p>Nightly export: <a href="https://export.⟦dom⟧/report.csv?user=ops&amp;token=⟦an.32⟧&amp;fmt=csv">Download CSV</a> &middot; questions to <a href="mailto:⟦email#e⟧">⟦email#e⟧</a></p>""",
    2,
)
pos(
    "html",
    "en",
    """<script>
  window.dataLayer = window.dataLayer || [];
  const PAYMENT_SECRET = '⟦sklive⟧';
</script>
<div class="contact" data-email="⟦email⟧" data-ip="⟦ip4⟧">Support</div>""",
    2,
)

# ==============================================================================================================
# POSITIVES: private keys
# ==============================================================================================================

pos("pem_file", "en", """⟦pk.rsa⟧""", 1)
pos(
    "pem_file",
    "en",
    """# deploy key for ⟦cssid⟧/infra (read-only)
⟦pk.openssh⟧""",
    2,
)
pos("pem_file", "en", """⟦pk.ec⟧""", 1)
pos(
    "pem_file",
    "en",
    """Bag Attributes
    localKeyID: 01 00 00 00
Key Attributes: <No Attributes>
⟦pk.pkcs8⟧""",
    2,
)
pos(
    "ci_config",
    "en",
    """deploy:
  stage: deploy
  variables:
    SSH_PRIVATE_KEY: |
      ⟦pk.openssh_i6⟧
  script:
    - eval $(ssh-agent -s)
    - echo "$SSH_PRIVATE_KEY" | ssh-add -""",
    1,
)
pos("json_config", "en", r"""{"name":"jwt-signer","alg":"ES256","key":"⟦pk.ec_esc⟧"}""", 2)
pos(
    "python",
    "en",
    '''PRIVATE_KEY = """⟦pk.rsa⟧"""

signer = jwt.JWT(key=PRIVATE_KEY)''',
    1,
)
pos(
    "forum_post",
    "en",
    """Can't get paramiko to accept my key, what am I doing wrong? Here's the key (it's only a test box):

⟦pk.rsa⟧

and the code is just `paramiko.RSAKey.from_private_key_file("id_rsa")`.""",
    2,
)
pos("pem_file", "en", """⟦pk.enc⟧""", 1)
pos("pem_file", "en", """⟦pk.dsa⟧""", 1)


# ==============================================================================================================
# POSITIVES: secrets in running text, chats, e-mails, tickets and configs, many languages
# ==============================================================================================================

ML_SECRETS: list[tuple[str, str, str, int]] = [
    # --- German
    ("de", "chat", "[09:14] ⟦first.de⟧: Das WLAN-Passwort fürs Büro ist ⟦wifi.de⟧ – bitte nicht weitergeben 🙏", 2),
    (
        "de",
        "email",
        "Hallo ⟦first.de⟧,\n\nhier deine Zugangsdaten für das neue Kundenportal:\nBenutzername: ⟦email.de⟧\nKennwort: ⟦pw.de⟧\n\nBitte ändere das Passwort nach der ersten Anmeldung.\n\nViele Grüße\n⟦name.de⟧",
        2,
    ),
    (
        "de",
        "web_prose",
        "⟦pw.de⟧ ist ab Montag das neue Passwort für den Router im Lager, das alte gilt nicht mehr.",
        2,
    ),
    (
        "de",
        "env_file",
        "# Zugangsdaten Staging-Datenbank (nicht einchecken!)\nDB_BENUTZER=⟦user⟧\nDB_PASSWORT=⟦pw.de⟧\n# API-Schlüssel vom Zahlungsdienstleister\nZAHLUNG_API_SCHLUESSEL=⟦sklive⟧",
        2,
    ),
    (
        "de",
        "support_ticket",
        "Ticket #⟦num.5⟧ – Zugriff auf den SFTP-Server ⟦ip4⟧ schlägt fehl. Ich habe es mit dem Benutzer ⟦user⟧ und dem Kennwort ⟦pw⟧ versucht, Fehlermeldung: Permission denied (publickey,password).",
        2,
    ),
    (
        "de",
        "forum_post",
        "Moin zusammen, mein GitHub-Token (⟦ghp⟧) funktioniert plötzlich nicht mehr, obwohl ich ihn erst letzte Woche erstellt habe. Hat jemand eine Idee, woran das liegen kann?",
        2,
    ),
    (
        "de",
        "pdf_text",
        "Zugangsdaten für das Lieferanten-\nportal: Benutzername lief_⟦num.5⟧,\nKenn-\nwort: ⟦pw.de⟧ (bitte nach der ersten An-\nmeldung ändern). Bei Fragen: ⟦email.de_role⟧",
        2,
    ),
    (
        "de",
        "wiki_markup",
        '== Zugänge Testumgebung ==\n{| class="wikitable"\n! System !! Login !! Passwort\n|-\n| Jira || ⟦user⟧ || ⟦pw⟧\n|-\n| Jenkins || admin || ⟦pwr⟧\n|}',
        2,
    ),
    (
        "de",
        "latex",
        "\\begin{tabular}{lll}\n\\toprule\nDienst & Benutzer & Passwort \\\\\n\\midrule\nJupyterHub & \\texttt{kurs01} & \\texttt{⟦an.12⟧} \\\\\nMoodle & \\texttt{kurs01} & \\texttt{⟦an.12⟧} \\\\\n\\bottomrule\n\\end{tabular}",
        2,
    ),
    (
        "de",
        "chat",
        "Kannst du mir mal kurz den API-Key für OpenAI schicken? – Klar: ⟦openai⟧ (bitte nur lokal nutzen)",
        2,
    ),
    # --- French
    ("fr", "chat", "⟦first.fr⟧ : le mot de passe du wifi c'est ⟦wifi.fr⟧ (attention aux majuscules)", 2),
    (
        "fr",
        "email",
        "Bonjour ⟦first.fr⟧,\n\nVoici vos identifiants pour l'extranet :\nIdentifiant : ⟦email.fr⟧\nMot de passe : ⟦pw.fr⟧\n\nMerci de le modifier dès votre première connexion.\nCordialement,\n⟦name.fr⟧",
        2,
    ),
    (
        "fr",
        "web_prose",
        "J'ai mis ⟦pw.fr⟧ comme mot de passe provisoire sur le compte admin du NAS, pense à le changer.",
        2,
    ),
    (
        "fr",
        "yaml_config",
        "# Identifiants de la base de recette\nbase:\n  utilisateur: ⟦user⟧\n  mot_de_passe: ⟦pw.fr⟧\n# clé API du prestataire SMS\nsms:\n  cle_api: ⟦an.32⟧",
        2,
    ),
    (
        "fr",
        "forum_post",
        "Bonjour à tous, mon bot Discord ne se connecte plus. Voici mon code :\n\nclient.run('⟦discord⟧')\n\nJ'ai régénéré le jeton deux fois, rien n'y fait.",
        2,
    ),
    (
        "fr",
        "support_ticket",
        "Le serveur ⟦ip4⟧ refuse la connexion SSH depuis ce matin : l'utilisateur ⟦user⟧ avec le mot de passe ⟦pw⟧ ne passe plus.",
        2,
    ),
    (
        "fr",
        "pdf_text",
        "Pour accéder à la plate-\nforme, utilisez l'identifiant fourni\npar votre établissement et le mot\nde passe : ⟦pw.fr⟧. Conservez-le en lieu\nsûr.",
        2,
    ),
    # --- Spanish
    ("es", "chat", "oye, la contraseña del wifi es ⟦wifi.es⟧ 😉", 2),
    (
        "es",
        "email",
        "Hola ⟦first.es⟧:\n\nTe dejo los datos de acceso al panel:\nUsuario: ⟦user⟧\nContraseña: ⟦pw.es⟧\nURL: https://panel.⟦dom.es⟧\n\nUn saludo,\n⟦name.es⟧",
        2,
    ),
    ("es", "web_prose", "⟦pw.es⟧ es la nueva clave del router; la cambié ayer porque los vecinos se conectaban.", 2),
    (
        "es",
        "env_file",
        "# credenciales de producción (¡no subir al repo!)\nUSUARIO_BD=⟦user⟧\nCONTRASENA_BD=⟦pw.es⟧\nCLAVE_API_OPENAI=⟦openai⟧",
        2,
    ),
    (
        "es",
        "qa_answer",
        "Respuesta: el error 401 es porque estás pasando mal el token. Tiene que ir en la cabecera, así:\n\nAuthorization: Bearer ⟦jwt⟧\n\ny no como parámetro en la URL.",
        2,
    ),
    (
        "es",
        "support_ticket",
        "Buenas, desde ayer la API nos devuelve 403 con la clave ⟦an.32⟧. Nuestra IP de salida es ⟦ip4⟧ y ya está en la lista blanca.",
        2,
    ),
    # --- Portuguese (Brazil / Portugal)
    ("pt", "chat", "a senha do wi-fi lá de casa é ⟦wifi.pt⟧, anota aí", 2),
    (
        "pt",
        "email",
        "Olá ⟦first.pt⟧,\n\nSeguem os dados de acesso ao sistema:\nLogin: ⟦email.pt⟧\nSenha: ⟦pw.pt⟧\n\nQualquer dúvida é só chamar.\nAbraço,\n⟦name.pt⟧",
        2,
    ),
    (
        "pt",
        "web_prose",
        "Coloquei ⟦pw.pt⟧ como senha temporária do usuário financeiro até a Joana voltar das férias.",
        2,
    ),
    (
        "pt",
        "env_file",
        "# token de produção do Mercado Pago — NÃO COMMITAR\nMP_ACCESS_TOKEN=⟦mpago⟧\n# senha do banco\nDB_SENHA=⟦pw.pt⟧",
        2,
    ),
    (
        "pt",
        "forum_post",
        "Pessoal, meu token do GitLab (⟦glpat⟧) vazou num commit público. Já revoguei, mas como apago do histórico?",
        2,
    ),
    (
        "pt",
        "support_ticket",
        "Chamado ⟦num.6⟧: o cliente informou que a chave de API ⟦hex.40⟧ parou de funcionar após a migração para o servidor ⟦ip4⟧.",
        2,
    ),
    # --- Italian
    ("it", "chat", "la password del wifi è ⟦wifi.it⟧, me l'ha data il portiere", 2),
    (
        "it",
        "email",
        "Ciao ⟦first.it⟧,\n\nti mando le credenziali per il gestionale:\nnome utente: ⟦user⟧\npassword: ⟦pw.it⟧\n\nTi chiederà di cambiarla al primo accesso.\nA presto,\n⟦name.it⟧",
        2,
    ),
    ("it", "web_prose", "⟦pw.it⟧ è la nuova password dell'account amministratore, non girarla a nessuno.", 2),
    (
        "it",
        "ini_config",
        "; credenziali del database di test\n[database]\nutente = ⟦user⟧\npassword = ⟦pw.it⟧\n; chiave API del corriere\n[corriere]\nchiave_api = ⟦hex.40⟧",
        2,
    ),
    # --- Dutch
    ("nl", "chat", "Het wachtwoord van de wifi is ⟦wifi.nl⟧, let op de hoofdletters!", 2),
    (
        "nl",
        "email",
        "Hoi ⟦first.nl⟧,\n\nHierbij je inloggegevens voor het klantportaal:\nGebruikersnaam: ⟦email.nl⟧\nWachtwoord: ⟦pw.nl⟧\n\nWijzig je wachtwoord na de eerste keer inloggen.\nMet vriendelijke groet,\n⟦name.nl⟧",
        2,
    ),
    (
        "nl",
        "web_prose",
        "⟦pw.nl⟧ is het tijdelijke wachtwoord voor de beheerder; morgen zet ik een nieuw wachtwoord.",
        2,
    ),
    (
        "nl",
        "env_file",
        "# API-sleutel van Mollie (live!)\nMOLLIE_API_KEY=⟦mollie⟧\n# wachtwoord database\nDB_WACHTWOORD=⟦pw.nl⟧",
        2,
    ),
    # --- Polish
    ("pl", "chat", "hasło do wifi: ⟦wifi.pl⟧", 2),
    (
        "pl",
        "email",
        "Dzień dobry,\n\nprzesyłam dane logowania do panelu klienta:\nlogin: ⟦email.pl⟧\nhasło: ⟦pw.pl⟧\n\nProszę zmienić hasło po pierwszym zalogowaniu.\nPozdrawiam,\n⟦name.pl⟧",
        2,
    ),
    ("pl", "web_prose", "⟦pw.pl⟧ – to jest nowe hasło do konta administratora, stare już nie działa.", 2),
    (
        "pl",
        "env_file",
        "# dane dostępowe do bazy (nie commitować!)\nUZYTKOWNIK=⟦user⟧\nHASLO=⟦pw.pl⟧\nKLUCZ_API=⟦an.40⟧",
        2,
    ),
    (
        "pl",
        "forum_post",
        "Cześć, mam problem z tokenem do Slacka. Bot dostaje invalid_auth, a token wygląda tak: ⟦xoxb⟧. Co robię źle?",
        2,
    ),
    # --- Russian
    ("ru", "chat", "Пароль от вайфая: ⟦wifi.ru⟧", 2),
    (
        "ru",
        "email",
        "Здравствуйте, ⟦first.ru⟧!\n\nВаши данные для входа в личный кабинет:\nЛогин: ⟦email.ru⟧\nПароль: ⟦pw.ru⟧\n\nРекомендуем сменить пароль после первого входа.\nС уважением,\nслужба поддержки",
        2,
    ),
    ("ru", "web_prose", "⟦pw.ru⟧ — это новый пароль от роутера, старый больше не подходит.", 2),
    (
        "ru",
        "env_file",
        "# токен бота для уведомлений (не коммитить!)\nBOT_TOKEN=⟦telegram⟧\n# пароль от базы\nDB_PASSWORD=⟦pw⟧",
        2,
    ),
    (
        "ru",
        "forum_post",
        "Подскажите, почему бот не отвечает? Токен вставил правильно: ⟦telegram⟧, вебхук стоит на https://⟦ip4⟧:8443/bot",
        2,
    ),
    ("ru", "chat", "скинь пароль от админки\n— Пароль:⟦pw⟧ логин тот же", 2),
    (
        "ru",
        "yaml_config",
        "# Яндекс Облако: ключ сервисного аккаунта (не публиковать)\nyc:\n  api_key: ⟦yandex⟧\n  folder_id: b1g⟦cssid⟧⟦cssid⟧",
        2,
    ),
    # --- Ukrainian
    ("uk", "chat", "Пароль від вайфаю — ⟦wifi⟧", 2),
    (
        "uk",
        "email",
        "Добрий день!\n\nНадсилаю дані для входу в адмінку:\nлогін: ⟦user⟧\nпароль: ⟦pw⟧\n\nБудь ласка, змініть пароль після першого входу.\n⟦name.uk⟧",
        2,
    ),
    ("uk", "web_prose", "⟦pw⟧ — тимчасовий пароль для облікового запису бухгалтерії, діє до п'ятниці.", 2),
    (
        "uk",
        "support_ticket",
        "Не можу під'єднатися до сервера ⟦ip4⟧ по SSH, пише Permission denied. Ключ API від Нової пошти ⟦hex.32⟧ теж перестав працювати.",
        2,
    ),
    # --- Japanese
    ("ja", "chat", "会議室のWi-Fiパスワードは⟦wifi⟧です。", 2),
    (
        "ja",
        "email",
        "⟦last.ja⟧様\n\nいつもお世話になっております。\n管理画面のログイン情報をお送りします。\n\nID：⟦email.ja⟧\nパスワード：⟦pw⟧\n\n初回ログイン後にパスワードの変更をお願いいたします。",
        2,
    ),
    ("ja", "web_prose", "⟦pw⟧がサーバーの新しいrootパスワードです。取り扱いに注意してください。", 2),
    ("ja", "env_file", "# 本番用のAPIキー（コミットしないこと）\nAPI_KEY=⟦an.40⟧\n# DBパスワード\nDB_PASSWORD=⟦pw⟧", 2),
    (
        "ja",
        "qa_answer",
        '質問です。以下のコードで認証エラーになります。\n\n```python\nclient = OpenAI(api_key="⟦openai⟧")\n```\n\nAPIキーは間違っていないはずなのですが…',
        2,
    ),
    ("ja", "chat", "SlackのBotトークンこれです→⟦xoxb⟧ 後で再発行します", 2),
    # --- Chinese
    ("zh", "chat", "wifi密码是⟦wifi⟧，别告诉别人", 2),
    (
        "zh",
        "email",
        "⟦first.zh⟧你好：\n\n测试环境的账号已开通：\n账号：⟦user⟧\n密码：⟦pw⟧\n登录地址：https://test.⟦dom.zh⟧\n\n请首次登录后修改密码。",
        2,
    ),
    ("zh", "web_prose", "⟦pw⟧是新的服务器root密码，已经同步给运维同事。", 2),
    (
        "zh",
        "yaml_config",
        "# 阿里云 AccessKey（生产环境，勿提交）\naliyun:\n  access_key_id: ⟦ltai⟧\n  access_key_secret: ⟦an.30⟧\n# 数据库密码\ndb_password: ⟦pw⟧",
        2,
    ),
    (
        "zh",
        "forum_post",
        "求助：腾讯云 SecretId ⟦akid⟧ 和 SecretKey ⟦an.32⟧ 配置后一直报 AuthFailure，服务器IP是⟦ip4⟧。",
        2,
    ),
    ("zh", "chat", "把GitHub令牌发你了：⟦ghp⟧，用完记得删掉", 2),
    # --- Korean
    ("ko", "chat", "와이파이 비밀번호는 ⟦wifi⟧입니다.", 2),
    (
        "ko",
        "email",
        "안녕하세요 ⟦first.ko⟧님,\n\n관리자 계정 정보 보내드립니다.\n아이디: ⟦user⟧\n비밀번호: ⟦pw⟧\n\n첫 로그인 후 비밀번호를 꼭 변경해 주세요.",
        2,
    ),
    ("ko", "web_prose", "⟦pw⟧ 이게 새 서버 비밀번호예요. 메모해 두세요.", 2),
    (
        "ko",
        "env_file",
        "# 네이버 클라우드 API 키 (절대 커밋 금지)\nNCP_ACCESS_KEY=⟦upkey.20⟧\nNCP_SECRET_KEY=⟦an.40⟧",
        2,
    ),
    # --- Arabic
    ("ar", "chat", "كلمة المرور الخاصة بالواي فاي هي ⟦wifi⟧", 2),
    (
        "ar",
        "email",
        "مرحباً ⟦first.ar⟧،\n\nإليك بيانات الدخول إلى لوحة التحكم:\nاسم المستخدم: ⟦user⟧\nكلمة المرور: ⟦pw⟧\n\nيرجى تغيير كلمة المرور بعد أول تسجيل دخول.\nمع التحية",
        2,
    ),
    ("ar", "web_prose", "⟦pw⟧ هي كلمة السر الجديدة للراوتر، لا تشاركها مع أحد.", 2),
    (
        "ar",
        "support_ticket",
        "الخادم ⟦ip4⟧ لا يستجيب منذ الصباح، وحاولت الدخول بالمستخدم root وكلمة المرور ⟦pw⟧ دون جدوى.",
        2,
    ),
    # --- Hebrew
    ("he", "chat", "הסיסמה של הוויי-פיי היא ⟦wifi⟧", 2),
    (
        "he",
        "email",
        "שלום ⟦first.he⟧,\n\nמצורפים פרטי הגישה למערכת:\nשם משתמש: ⟦user⟧\nסיסמה: ⟦pw⟧\n\nנא להחליף סיסמה לאחר הכניסה הראשונה.\nתודה",
        2,
    ),
    ("he", "web_prose", "⟦pw⟧ זו הסיסמה החדשה לשרת, אל תעבירו אותה הלאה.", 2),
    ("he", "support_ticket", "מפתח ה-API שלנו ⟦an.32⟧ נחסם, והשרת ⟦ip4⟧ מחזיר שגיאה 403.", 2),
    # --- Turkish
    ("tr", "chat", "wifi şifresi: ⟦wifi.tr⟧", 2),
    (
        "tr",
        "email",
        "Merhaba ⟦first.tr⟧,\n\nPanel giriş bilgileriniz aşağıdadır:\nKullanıcı adı: ⟦email.tr⟧\nŞifre: ⟦pw.tr⟧\n\nİlk girişten sonra şifrenizi değiştirmeyi unutmayın.\nİyi çalışmalar",
        2,
    ),
    ("tr", "web_prose", "⟦pw.tr⟧ yeni sunucu parolası, eskisini sildim.", 2),
    (
        "tr",
        "env_file",
        "# iyzico canlı anahtarlar (repoya gönderme!)\nIYZICO_API_KEY=⟦an.32⟧\nIYZICO_SECRET_KEY=⟦an.32⟧\n# veritabanı şifresi\nDB_SIFRE=⟦pw.tr⟧",
        2,
    ),
    # --- Vietnamese
    ("vi", "chat", "Mật khẩu wifi là ⟦wifi⟧ nhé", 2),
    (
        "vi",
        "email",
        "Chào anh ⟦first.vi⟧,\n\nEm gửi thông tin đăng nhập hệ thống:\nTên đăng nhập: ⟦user⟧\nMật khẩu: ⟦pw⟧\n\nAnh nhớ đổi mật khẩu sau lần đăng nhập đầu tiên nhé.",
        2,
    ),
    ("vi", "web_prose", "⟦pw⟧ là mật khẩu mới của tài khoản admin.", 2),
    ("vi", "forum_post", "Mình lỡ đẩy khóa API của Google (⟦aiza⟧) lên GitHub, giờ phải làm sao để thu hồi ạ?", 2),
    # --- Thai
    ("th", "chat", "รหัสผ่านไวไฟคือ ⟦wifi⟧ ค่ะ", 2),
    ("th", "chat", "รหัสผ่านใหม่คือ⟦pw⟧นะครับ อย่าบอกใคร", 2),
    (
        "th",
        "email",
        "เรียนคุณ⟦first.th⟧\n\nข้อมูลเข้าสู่ระบบของท่านมีดังนี้\nชื่อผู้ใช้: ⟦email.th⟧\nรหัสผ่าน: ⟦pw⟧\n\nกรุณาเปลี่ยนรหัสผ่านหลังเข้าสู่ระบบครั้งแรก",
        2,
    ),
    # --- Hindi
    ("hi", "chat", "वाईफाई का पासवर्ड ⟦wifi⟧ है", 2),
    (
        "hi",
        "email",
        "नमस्ते ⟦first.hi⟧ जी,\n\nआपके पोर्टल के लॉगिन विवरण:\nयूज़रनेम: ⟦email.hi⟧\nपासवर्ड: ⟦pw⟧\n\nकृपया पहली बार लॉगिन के बाद पासवर्ड बदल लें।",
        2,
    ),
    ("hi", "web_prose", "⟦pw⟧ सर्वर का नया पासवर्ड है, किसी के साथ साझा न करें।", 2),
    (
        "hi",
        "env_file",
        "# Razorpay लाइव कुंजी — रिपॉज़िटरी में न डालें\nRAZORPAY_KEY_ID=⟦rzpid⟧\nRAZORPAY_KEY_SECRET=⟦an.24⟧",
        2,
    ),
    # --- Indonesian
    ("id", "chat", "kata sandi wifi kantor: ⟦wifi⟧ ya", 2),
    (
        "id",
        "email",
        "Halo ⟦first.id⟧,\n\nBerikut data login untuk dashboard:\nUsername: ⟦user⟧\nKata sandi: ⟦pw⟧\n\nMohon segera ganti kata sandi setelah login pertama.\nTerima kasih",
        2,
    ),
    ("id", "web_prose", "⟦pw⟧ itu kata sandi baru untuk akun admin, yang lama sudah tidak berlaku.", 2),
    (
        "id",
        "env_file",
        "# kunci API Midtrans (produksi), jangan di-commit\nMIDTRANS_SERVER_KEY=⟦midtrans⟧\nDB_PASSWORD=⟦pw⟧",
        2,
    ),
    # --- Swedish
    ("sv", "chat", "Lösenordet till wifi:t är ⟦wifi⟧", 2),
    (
        "sv",
        "email",
        "Hej ⟦first.sv⟧!\n\nHär är dina inloggningsuppgifter till kundportalen:\nAnvändarnamn: ⟦email.sv⟧\nLösenord: ⟦pw⟧\n\nByt lösenord när du har loggat in första gången.\nMed vänliga hälsningar",
        2,
    ),
    ("sv", "web_prose", "⟦pw⟧ är det nya lösenordet till routern, jag bytte i går.", 2),
    # --- Czech
    ("cs", "chat", "heslo na wifi je ⟦wifi⟧", 2),
    (
        "cs",
        "email",
        "Dobrý den,\n\nzasílám přístupové údaje do administrace:\nuživatelské jméno: ⟦user⟧\nheslo: ⟦pw⟧\n\nPo prvním přihlášení si prosím heslo změňte.\nS pozdravem\n⟦name.cs⟧",
        2,
    ),
    ("cs", "web_prose", "⟦pw⟧ je nové heslo k serveru, staré jsem zrušil.", 2),
    # --- Greek
    ("el", "chat", "Ο κωδικός του wifi είναι ⟦wifi⟧", 2),
    (
        "el",
        "email",
        "Καλημέρα ⟦first.el⟧,\n\nΣας στέλνω τα στοιχεία πρόσβασης:\nΌνομα χρήστη: ⟦user⟧\nΚωδικός πρόσβασης: ⟦pw⟧\n\nΠαρακαλώ αλλάξτε τον κωδικό μετά την πρώτη σύνδεση.",
        2,
    ),
    ("el", "web_prose", "⟦pw⟧ είναι ο νέος κωδικός του διαχειριστή.", 2),
    # --- Persian
    ("fa", "chat", "رمز وای‌فای: ⟦wifi⟧", 2),
    (
        "fa",
        "email",
        "سلام ⟦first.fa⟧ عزیز،\n\nاطلاعات ورود به پنل:\nنام کاربری: ⟦user⟧\nرمز عبور: ⟦pw⟧\n\nلطفاً پس از اولین ورود رمز عبور را تغییر دهید.",
        2,
    ),
    ("fa", "web_prose", "⟦pw⟧ رمز عبور جدید سرور است.", 2),
    # --- Finnish, Danish, Norwegian, Hungarian, Romanian
    ("fi", "chat", "Wifin salasana on ⟦wifi⟧", 2),
    (
        "fi",
        "email",
        "Hei ⟦first.fi⟧,\n\ntässä tunnuksesi asiakasportaaliin:\nKäyttäjätunnus: ⟦email.fi⟧\nSalasana: ⟦pw⟧\n\nVaihdathan salasanan ensimmäisen kirjautumisen jälkeen.",
        2,
    ),
    ("fi", "web_prose", "⟦pw⟧ on palvelimen uusi salasana.", 1),
    ("da", "chat", "Koden til wifi'en er ⟦wifi⟧", 2),
    (
        "da",
        "email",
        "Hej ⟦first.da⟧,\n\nHer er dine loginoplysninger:\nBrugernavn: ⟦user⟧\nAdgangskode: ⟦pw⟧\n\nSkift venligst adgangskoden første gang du logger ind.\nVenlig hilsen",
        2,
    ),
    ("no", "chat", "Passordet til wifien er ⟦wifi⟧", 2),
    (
        "no",
        "email",
        "Hei ⟦first.no⟧,\n\nHer er påloggingsinformasjonen din:\nBrukernavn: ⟦email.no⟧\nPassord: ⟦pw⟧\n\nHusk å bytte passord etter første pålogging.",
        2,
    ),
    ("hu", "chat", "A wifi jelszava: ⟦wifi⟧", 2),
    (
        "hu",
        "email",
        "Kedves ⟦first.hu⟧!\n\nAz ügyfélportál belépési adatai:\nFelhasználónév: ⟦user⟧\nJelszó: ⟦pw⟧\n\nKérjük, első belépés után változtassa meg a jelszavát.\nÜdvözlettel",
        2,
    ),
    ("hu", "web_prose", "⟦pw⟧ az új jelszó a szerverhez.", 1),
    ("ro", "chat", "parola de la wifi e ⟦wifi⟧", 2),
    (
        "ro",
        "email",
        "Bună ziua,\n\nVă trimit datele de autentificare pentru platformă:\nUtilizator: ⟦email.ro⟧\nParolă: ⟦pw⟧\n\nVă rugăm să schimbați parola după prima autentificare.",
        2,
    ),
    ("ro", "web_prose", "⟦pw⟧ este noua parolă pentru contul de administrator.", 1),
    # --- a few more languages
    ("bg", "chat", "Паролата за wifi е ⟦wifi⟧", 2),
    (
        "bg",
        "email",
        "Здравейте,\n\nизпращам данните за достъп:\nпотребител: ⟦user⟧\nпарола: ⟦pw⟧\n\nМоля, сменете паролата след първото влизане.",
        1,
    ),
    ("hr", "chat", "Lozinka za wifi je ⟦wifi⟧", 2),
    ("sk", "chat", "heslo na wifi je ⟦wifi⟧, nikomu ho nedávaj", 1),
    ("ca", "chat", "la contrasenya del wifi és ⟦wifi⟧", 2),
    ("ms", "chat", "kata laluan wifi pejabat ialah ⟦wifi⟧", 2),
    ("bn", "chat", "ওয়াইফাই পাসওয়ার্ড হল ⟦wifi⟧", 2),
    ("sr", "chat", "Лозинка за вајфај је ⟦wifi⟧", 1),
]
for _lang, _ctx, _text, _n in ML_SECRETS:
    pos(_ctx, _lang, _text, _n)


# ==============================================================================================================
# POSITIVES: e-mail addresses
# ==============================================================================================================

ML_EMAILS: list[tuple[str, str, str, int]] = [
    (
        "en",
        "email_header",
        "From: ⟦name#p4⟧ <⟦email~p4⟧>\nTo: ⟦email⟧\nCc: ⟦email⟧, ⟦exmail⟧\nSubject: Re: Q3 budget\nMessage-ID: <⟦objid⟧.⟦num.6⟧@mail.⟦dom⟧>\n\nThanks, see my comments inline.",
        2,
    ),
    (
        "en",
        "git_log",
        "commit ⟦sha1⟧\nAuthor: ⟦name#p5⟧ <⟦email~p5⟧>\nDate:   Tue Mar 5 14:02:11 2024 +0100\n\n    Fix race in cache invalidation\n\n    Co-authored-by: ⟦name#p6⟧ <⟦email~p6⟧>",
        2,
    ),
    (
        "en",
        "package_json",
        '{\n  "name": "@⟦cssid⟧/ui-kit",\n  "version": "⟦ver⟧",\n  "author": "⟦name#p7⟧ <⟦email~p7⟧> (https://⟦dom⟧)",\n  "contributors": ["⟦name#p8⟧ <⟦email~p8⟧>"],\n  "license": "MIT"\n}',
        2,
    ),
    (
        "en",
        "pyproject",
        '[project]\nname = "tidy-tables"\nversion = "⟦ver⟧"\nauthors = [\n  { name = "⟦name#a1⟧", email = "⟦email~a1⟧" },\n  { name = "⟦name#a2⟧", email = "⟦email~a2⟧" },\n]',
        2,
    ),
    (
        "en",
        "vcard",
        "BEGIN:VCARD\nVERSION:3.0\nFN:⟦name#v1⟧\nORG:⟦co⟧\nEMAIL;TYPE=work:⟦email~v1⟧\nEMAIL;TYPE=home:⟦email~v1⟧\nEND:VCARD",
        2,
    ),
    (
        "en",
        "cv",
        "⟦name#c1⟧\nSenior Data Engineer · Berlin\n⟦email~c1⟧ · github.com/⟦cssid⟧\n\nEXPERIENCE\n2019–present  ⟦co⟧ — built the streaming ingestion platform (Kafka, Flink).",
        2,
    ),
    ("en", "csv", "email,signup_ip,created_at\n⟦email⟧,⟦ip4⟧,⟦date⟧\n⟦email⟧,⟦ip6⟧,⟦date⟧\n⟦email⟧,⟦priv4⟧,⟦date⟧", 2),
    ("en", "url", "https://news.⟦dom⟧/unsubscribe?email=⟦email⟧&list=weekly&src=footer", 2),
    (
        "en",
        "api_response",
        '{"id": ⟦num.5⟧, "email": "⟦email⟧", "verified": true, "last_login_ip": "⟦ip4⟧", "plan": "pro"}',
        2,
    ),
    (
        "en",
        "debian_changelog",
        "tidy-tables (⟦ver⟧-1) unstable; urgency=medium\n\n  * New upstream release.\n\n -- ⟦name#p9⟧ <⟦email~p9⟧>  Mon, 04 Mar 2024 10:12:00 +0100",
        2,
    ),
    (
        "en",
        "mailing_list",
        "On Tue, 5 Mar 2024 at 10:02, ⟦name#p10⟧ <⟦email~p10⟧> wrote:\n> Has anyone seen this regression on ARM?\n\nYes, bisected it to the allocator change.",
        2,
    ),
    (
        "en",
        "ldif",
        "dn: uid=⟦user⟧,ou=people,dc=corp,dc=lan\nobjectClass: inetOrgPerson\ncn: ⟦name#l1⟧\nmail: ⟦email~l1⟧",
        2,
    ),
    (
        "en",
        "mail_log",
        "Mar  5 10:12:01 mx1 postfix/smtp[2211]: 4F1A2B3C4D: to=<⟦email⟧>, relay=mx.⟦dom⟧[⟦ip4⟧]:25, delay=0.8, dsn=2.0.0, status=sent (250 2.0.0 OK)",
        2,
    ),
    (
        "en",
        "forum_post",
        "Thanks everyone, problem solved! If anyone needs the patched firmware, drop me a line at ⟦email⟧.\n\n--\n⟦first⟧",
        2,
    ),
    (
        "en",
        "markdown",
        "## Maintainers\n\n- ⟦name#p11⟧ (⟦email~p11⟧) – core\n- ⟦name#p12⟧ (⟦email~p12⟧) – docs and website",
        2,
    ),
    (
        "de",
        "impressum",
        "Impressum\n\nAngaben gemäß § 5 TMG\n⟦co⟧ GmbH\nHauptstraße 12\n80331 München\n\nVertreten durch: ⟦name.de⟧\nE-Mail: ⟦email.de_role⟧\nDatenschutzbeauftragter: ⟦email.de⟧",
        2,
    ),
    (
        "de",
        "email_signature",
        "Mit freundlichen Grüßen\n\n⟦name.de#s1⟧\nVertrieb Innendienst\n⟦co⟧ GmbH\nE-Mail: ⟦email.de~s1⟧\nWeb: www.⟦dom.de⟧",
        2,
    ),
    (
        "de",
        "email_header",
        "Von: ⟦name.de#p13⟧ <⟦email.de~p13⟧>\nGesendet: Dienstag, 5. März 2024 09:12\nAn: ⟦email.de⟧\nBetreff: AW: Angebot Wartungsvertrag\n\nHallo zusammen, anbei das überarbeitete Angebot.",
        2,
    ),
    ("fr", "web_prose", "Pour toute question, écrivez-nous à ⟦email.fr_role⟧ ou directement à ⟦email.fr⟧.", 2),
    (
        "fr",
        "cv",
        "CURRICULUM VITAE\n\n⟦name.fr#c1⟧\nCourriel : ⟦email.fr~c1⟧\n\nExpérience professionnelle\n2018-2024 : Cheffe de projet chez ⟦co⟧",
        2,
    ),
    (
        "fr",
        "email_header",
        "De : ⟦name.fr#p14⟧ <⟦email.fr~p14⟧>\nEnvoyé : mardi 5 mars 2024 10:14\nÀ : ⟦email.fr⟧\nObjet : RE: facture n° ⟦num.5⟧",
        2,
    ),
    (
        "es",
        "legal_notice",
        "Aviso legal: el titular de este sitio web es ⟦co⟧ S.L. Correo electrónico de contacto: ⟦email.es_role⟧.",
        2,
    ),
    ("es", "forum_post", "Si alguien tiene el manual en PDF que me lo mande a ⟦email.es⟧ porfa 🙏", 2),
    ("pt", "job_ad", 'Envie seu currículo para ⟦email.pt_role⟧ com o assunto "Vaga Desenvolvedor Backend".', 2),
    ("it", "web_prose", "Per informazioni scrivere a ⟦email.it⟧ oppure alla segreteria ⟦email.it_role⟧.", 2),
    ("nl", "web_prose", "Vragen over je bestelling? Mail naar ⟦email.nl_role⟧ en vermeld je ordernummer.", 2),
    ("pl", "web_prose", "W razie pytań prosimy o kontakt: ⟦email.pl_role⟧ lub ⟦email.pl⟧.", 2),
    (
        "ru",
        "cv",
        "Резюме\n\n⟦name.ru#c1⟧\nЭл. почта: ⟦email.ru~c1⟧\nОпыт работы: 6 лет, Python/Go\nЖелаемая должность: ведущий разработчик",
        2,
    ),
    ("ru", "chat", "пиши на почту:⟦email.ru⟧ там быстрее отвечу", 2),
    ("uk", "web_prose", "Пишіть нам на ⟦email.uk_role⟧ — відповідаємо протягом доби.", 2),
    ("ja", "web_prose", "お問い合わせは⟦email.ja⟧までご連絡ください。", 2),
    (
        "ja",
        "email_signature",
        "――――――――――――――\n株式会社⟦co⟧ 営業部\n⟦name.ja#j1⟧\nMail：⟦email.ja~j1⟧\n――――――――――――――",
        2,
    ),
    ("zh", "job_ad", "简历投递邮箱：⟦email.zh⟧，邮件标题请注明应聘岗位。", 2),
    ("zh", "web_prose", "如有问题请发邮件至⟦email.zh⟧联系我们。", 2),
    (
        "zh",
        "email_header",
        "发件人：⟦email.zh⟧\n收件人：⟦email.zh⟧\n主题：回复：合同草稿\n\n王经理，附件是修改后的合同。",
        2,
    ),
    ("ko", "web_prose", "문의사항은 ⟦email.ko⟧로 보내주세요.", 2),
    ("ar", "web_prose", "للتواصل معنا يرجى مراسلة ⟦email.ar⟧", 2),
    ("he", "web_prose", "לפרטים נוספים ניתן לפנות אל ⟦email.he⟧", 2),
    ("tr", "job_ad", "Başvurular için özgeçmişinizi ⟦email.tr_role⟧ adresine gönderebilirsiniz.", 2),
    ("vi", "web_prose", "Mọi thắc mắc xin liên hệ: ⟦email.vi⟧", 2),
    ("th", "web_prose", "ติดต่อสอบถามได้ที่⟦email.th⟧", 2),
    ("hi", "web_prose", "अधिक जानकारी के लिए ⟦email.hi⟧ पर संपर्क करें।", 2),
    ("id", "job_ad", "Kirim CV ke ⟦email.id_role⟧ paling lambat 30 Juni.", 2),
    ("sv", "web_prose", "Frågor? Skicka ett mejl till ⟦email.sv⟧.", 2),
    ("cs", "web_prose", "Dotazy posílejte na ⟦email.cs⟧.", 2),
    ("el", "web_prose", "Για πληροφορίες επικοινωνήστε στο ⟦email.el⟧.", 2),
    ("fa", "web_prose", "برای ارتباط با ما به ⟦email.fa⟧ ایمیل بزنید.", 2),
    ("fi", "web_prose", "Lisätietoja: ⟦email.fi⟧", 1),
    ("da", "web_prose", "Spørgsmål kan sendes til ⟦email.da⟧.", 1),
    ("no", "web_prose", "Har du spørsmål, send en e-post til ⟦email.no⟧.", 1),
    ("hu", "web_prose", "Kérdés esetén írjon a ⟦email.hu⟧ címre.", 1),
    ("ro", "web_prose", "Pentru întrebări scrieți-ne la ⟦email.ro⟧.", 1),
]
for _lang, _ctx, _text, _n in ML_EMAILS:
    pos(_ctx, _lang, _text, _n)

# ==============================================================================================================
# POSITIVES: IP addresses
# ==============================================================================================================

ML_IPS: list[tuple[str, str, str, int]] = [
    (
        "en",
        "auth_log",
        "Mar  3 04:12:55 web01 sshd[18233]: Failed password for invalid user admin from ⟦ip4⟧ port 51234 ssh2\nMar  3 04:12:57 web01 sshd[18235]: Failed password for root from ⟦ip4⟧ port 40112 ssh2\nMar  3 04:13:02 web01 sshd[18240]: Accepted publickey for deploy from ⟦priv4⟧ port 53022 ssh2: ED25519 SHA256:⟦b64blob.32⟧",
        2,
    ),
    (
        "en",
        "fail2ban_log",
        "2024-03-03 04:13:10,512 fail2ban.actions [812]: NOTICE [sshd] Ban ⟦ip4⟧\n2024-03-03 04:23:10,514 fail2ban.actions [812]: NOTICE [sshd] Unban ⟦ip4⟧",
        2,
    ),
    (
        "en",
        "iptables",
        "-A INPUT -s ⟦ip4⟧/32 -p tcp --dport 22 -j ACCEPT\n-A INPUT -s ⟦ip4⟧ -j DROP\n-A INPUT -s ⟦priv4.10⟧/8 -j ACCEPT",
        2,
    ),
    (
        "en",
        "dns_zone",
        "$ORIGIN ⟦dom⟧.\n@     3600 IN A     ⟦ip4⟧\n@     3600 IN AAAA  ⟦ip6⟧\nmail  3600 IN A     ⟦ip4⟧\n@     3600 IN MX 10 mail",
        2,
    ),
    (
        "en",
        "dig_output",
        ";; ANSWER SECTION:\n⟦dom⟧.\t\t300\tIN\tA\t⟦ip4⟧\n⟦dom#d⟧.\t\t300\tIN\tAAAA\t⟦ip6⟧\n\n;; SERVER: 127.0.0.53#53(127.0.0.53) (UDP)",
        2,
    ),
    (
        "en",
        "traceroute",
        "traceroute to ⟦dom⟧ (⟦ip4#t⟧), 30 hops max, 60 byte packets\n 1  _gateway (192.168.1.1)  0.512 ms\n 2  ⟦ip4#a⟧ (⟦ip4#a⟧)  8.113 ms\n 3  ae1.cr1.fra (⟦ip4#b⟧)  9.771 ms\n 4  ⟦ip4#t⟧ (⟦ip4#t⟧)  11.204 ms",
        2,
    ),
    (
        "en",
        "ping",
        "PING ⟦dom⟧ (⟦ip4#a⟧) 56(84) bytes of data.\n64 bytes from ⟦ip4#a⟧: icmp_seq=1 ttl=54 time=12.4 ms\n64 bytes from ⟦ip4#a⟧: icmp_seq=2 ttl=54 time=12.1 ms",
        2,
    ),
    (
        "en",
        "hosts_file",
        "127.0.0.1   localhost\n::1         localhost ip6-localhost ip6-loopback\n⟦ip4⟧  api.staging.⟦dom⟧\n⟦ip6⟧  api6.staging.⟦dom⟧",
        2,
    ),
    (
        "en",
        "ssh_config",
        "Host bastion\n    HostName ⟦ip4⟧\n    User ops\n    Port 2222\n\nHost db-internal\n    HostName ⟦priv4.10⟧\n    ProxyJump bastion",
        2,
    ),
    (
        "en",
        "ansible_inventory",
        "[web]\nweb1 ansible_host=⟦ip4⟧\nweb2 ansible_host=⟦ip4⟧\n\n[db]\ndb1 ansible_host=⟦priv4⟧ ansible_user=postgres",
        2,
    ),
    (
        "en",
        "k8s_manifest",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: ingress-nginx\nspec:\n  type: LoadBalancer\n  loadBalancerIP: ⟦ip4⟧\n  loadBalancerSourceRanges:\n    - ⟦ip4⟧/32\n    - ⟦ip6⟧/128",
        2,
    ),
    (
        "en",
        "tcpdump",
        "12:01:33.511204 IP ⟦ip4⟧.443 > ⟦priv4⟧.51234: Flags [S.], seq 0, ack 1, win 65160, length 0\n12:01:33.511260 IP ⟦priv4⟧.51234 > ⟦ip4⟧.443: Flags [.], ack 1, win 502, length 0",
        2,
    ),
    (
        "en",
        "shell_session",
        "$ curl -6 -sv http://[⟦ip6#a⟧]:8080/health\n*   Trying [⟦ip6#a⟧]:8080...\n* Connected to ⟦ip6#a⟧ port 8080\n< HTTP/1.1 200 OK",
        2,
    ),
    (
        "en",
        "apache_error_log",
        "[Tue Mar 05 10:12:01.223311 2024] [core:error] [pid 2211:tid 1401] [client ⟦ip4⟧:51234] AH00126: Invalid URI in request GET /..%2f..%2fetc/passwd HTTP/1.1",
        2,
    ),
    (
        "en",
        "mail_log",
        "Mar  5 10:12:01 mx1 postfix/smtpd[3318]: connect from unknown[⟦ip4⟧]\nMar  5 10:12:02 mx1 postfix/smtpd[3318]: NOQUEUE: reject: RCPT from unknown[⟦ip4#a⟧]: 554 5.7.1 Service unavailable; Client host [⟦ip4#a⟧] blocked",
        2,
    ),
    (
        "en",
        "windows_event",
        "An account failed to log on.\n\nNetwork Information:\n\tWorkstation Name:\t-\n\tSource Network Address:\t⟦ip4⟧\n\tSource Port:\t\t0",
        2,
    ),
    (
        "en",
        "json_log",
        '{"ClientIP":"⟦ip4⟧","ClientRequestHost":"⟦dom⟧","EdgeResponseStatus":403,"WAFAction":"block","OriginIP":"⟦ip6⟧"}',
        2,
    ),
    (
        "en",
        "web_prose",
        "Our office egress IPs are ⟦ip4⟧ and ⟦ip4⟧; please allow-list them before the migration on Friday.",
        2,
    ),
    (
        "en",
        "cli",
        "aws ec2 authorize-security-group-ingress --group-id sg-⟦cssid⟧⟦cssid⟧ --protocol tcp --port 22 --cidr ⟦ip4⟧/32",
        2,
    ),
    (
        "en",
        "netstat",
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\ntcp        0     36 ⟦priv4⟧:22          ⟦ip4⟧:51234       ESTABLISHED 2211/sshd: deploy\ntcp6       0      0 ⟦ip6.full⟧:443 ⟦ip6⟧:60122 ESTABLISHED 901/nginx",
        2,
    ),
    ("en", "nginx_conf", "set_real_ip_from ⟦ip4⟧;\nset_real_ip_from ⟦ip6.up⟧;\nreal_ip_header CF-Connecting-IP;", 2),
    (
        "de",
        "support_ticket",
        "Seit heute früh kommen massenhaft Login-Versuche von ⟦ip4⟧ und ⟦ip6⟧, ich habe beide in der Firewall gesperrt.",
        2,
    ),
    (
        "de",
        "forum_post",
        "Mein Router zeigt als WAN-Adresse ⟦ip4⟧ an, intern hängt alles an ⟦priv4.192⟧. Portfreigabe 443 klappt trotzdem nicht.",
        2,
    ),
    (
        "fr",
        "support_ticket",
        "Notre serveur mutualisé a l'adresse ⟦ip4⟧ ; pouvez-vous l'ajouter à la liste blanche de l'API ?",
        2,
    ),
    (
        "es",
        "forum_post",
        "¿Por qué mi IP ⟦ip4⟧ aparece en listas negras de spam? Tengo un VPS con Ubuntu y solo uso Postfix.",
        2,
    ),
    ("pt", "chat", "o IP do servidor é ⟦ip⟧ e a porta do SSH é 2222", 2),
    (
        "it",
        "forum_post",
        "L'indirizzo IP pubblico del router è ⟦ip4⟧, quello interno ⟦priv4.192⟧. Come faccio il port forwarding?",
        2,
    ),
    ("nl", "email", "Kunnen jullie ⟦ip⟧ toevoegen aan de firewall? Dat is ons nieuwe kantoor-IP.", 2),
    (
        "pl",
        "forum_post",
        "Dostaję bana z adresu ⟦ip4⟧, a przecież to mój stały adres od operatora. Co jest nie tak?",
        2,
    ),
    ("ru", "chat", "Бан по IP ⟦ip⟧ снят, но с ⟦ip4⟧ всё ещё идут запросы.", 2),
    ("uk", "web_prose", "Сервер доступний за адресою ⟦ip⟧, порт 8443.", 2),
    ("ja", "support_ticket", "接続元IPアドレス：⟦ip⟧（海外からの不正アクセスの可能性があります）", 2),
    ("zh", "chat", "服务器公网IP：⟦ip⟧，内网IP：⟦priv4⟧", 2),
    ("zh", "forum_post", "我的服务器IP是⟦ip⟧为什么ping不通？安全组已经放行了ICMP。", 2),
    ("ko", "chat", "서버 IP는 ⟦ip⟧이고 포트는 22입니다.", 2),
    ("ar", "chat", "عنوان IP الخاص بالخادم هو ⟦ip⟧", 2),
    ("he", "chat", "כתובת ה-IP של השרת היא ⟦ip⟧", 2),
    ("tr", "chat", "Sunucunun IP adresi ⟦ip⟧, SSH portu 2222.", 2),
    ("vi", "chat", "IP máy chủ là ⟦ip⟧, mọi người thử ping xem.", 2),
    ("th", "chat", "ไอพีของเซิร์ฟเวอร์คือ⟦ip⟧ครับ", 2),
    ("hi", "chat", "सर्वर का आईपी ⟦ip⟧ है, पोर्ट 8080 खुला है।", 2),
    ("id", "chat", "IP publik server kita ⟦ip⟧, tolong di-whitelist ya.", 2),
    ("sv", "chat", "Serverns IP-adress är ⟦ip⟧.", 1),
    ("cs", "forum_post", "Z adresy ⟦ip⟧ mi chodí stovky pokusů o přihlášení.", 1),
    ("el", "chat", "Η IP του διακομιστή είναι ⟦ip⟧.", 1),
    ("fa", "chat", "آی‌پی سرور ⟦ip⟧ است.", 1),
    ("hu", "chat", "A szerver IP-címe ⟦ip⟧.", 1),
    ("ro", "chat", "Adresa IP a serverului este ⟦ip⟧.", 1),
    ("fi", "chat", "Palvelimen IP-osoite on ⟦ip6⟧.", 1),
]
for _lang, _ctx, _text, _n in ML_IPS:
    pos(_ctx, _lang, _text, _n)

# ==============================================================================================================
# POSITIVES: card numbers
# ==============================================================================================================

ML_CARDS: list[tuple[str, str, str, int]] = [
    (
        "en",
        "chat",
        "Customer: hi, my payment failed twice. card number is ⟦cc⟧ exp ⟦exp⟧\nAgent: Please don't post full card numbers here, I'll open a secure link for you.",
        2,
    ),
    (
        "en",
        "invoice",
        "INVOICE #⟦num.6⟧\nBill to: ⟦name⟧\nPaid with: VISA ⟦cc.visa_sp⟧\nTotal: EUR ⟦amount⟧\nThank you for your business!",
        2,
    ),
    (
        "en",
        "csv",
        "order_id,name,card_number,exp,amount\n⟦num.6⟧,⟦name⟧,⟦cc.any_plain⟧,⟦exp⟧,⟦amount⟧\n⟦num.6⟧,⟦name⟧,⟦cc.any_plain⟧,⟦exp⟧,⟦amount⟧",
        2,
    ),
    (
        "en",
        "sql",
        "INSERT INTO payments (user_id, pan, expiry, amount) VALUES (42, '⟦cc.any_plain⟧', '⟦exp⟧', ⟦amount⟧);",
        2,
    ),
    (
        "en",
        "json_payload",
        '{"card": {"number": "⟦cc.any_plain⟧", "exp_month": 4, "exp_year": 2027, "cvc": "⟦cvv⟧"}, "amount": 1999, "currency": "usd"}',
        2,
    ),
    (
        "en",
        "app_log",
        "2024-05-02 11:03:17 WARN  PaymentService - declined: pan=⟦cc.any_plain⟧ reason=insufficient_funds merchant=⟦num.8⟧",
        2,
    ),
    (
        "en",
        "html",
        '<input type="text" name="cardnumber" value="⟦cc⟧" autocomplete="cc-number" inputmode="numeric">',
        2,
    ),
    ("en", "email", "Hi, please charge the remaining balance to my Amex ⟦cc.amex⟧, expiry ⟦exp⟧. Thanks, ⟦first⟧", 2),
    (
        "en",
        "url_encoded",
        "POST /checkout card_number=⟦cc.any_plain⟧&exp_month=04&exp_year=27&cvc=⟦cvv⟧&name=⟦first⟧",
        2,
    ),
    (
        "en",
        "forum_post",
        "Weird, the shop keeps rejecting my Discover card ⟦cc.discover_dash⟧ even though the bank says it's fine.",
        2,
    ),
    (
        "en",
        "markdown",
        "| Customer | Card | Exp |\n|---|---|---|\n| ⟦name⟧ | ⟦cc.mc_sp⟧ | ⟦exp⟧ |\n| ⟦name⟧ | ⟦cc.diners_sp⟧ | ⟦exp⟧ |",
        2,
    ),
    ("de", "email", "Bitte buchen Sie den Betrag von meiner Kreditkarte ab: Kartennummer ⟦cc⟧, gültig bis ⟦exp⟧.", 2),
    (
        "de",
        "support_ticket",
        "Die Zahlung mit der Mastercard ⟦cc.mc⟧ wurde abgelehnt, obwohl das Limit nicht erreicht ist.",
        2,
    ),
    ("fr", "chat", "numéro de carte : ⟦cc⟧ (expire fin ⟦exp⟧), vous pouvez réessayer le paiement ?", 2),
    ("es", "chat", "Mi número de tarjeta es ⟦cc⟧ y caduca el ⟦exp⟧, ¿me podéis cobrar por teléfono?", 2),
    ("pt", "chat", "Número do cartão: ⟦cc.elo⟧ – validade ⟦exp⟧ – CVV ⟦cvv⟧", 2),
    ("pt", "support_ticket", "O cartão Hipercard ⟦cc.hipercard⟧ foi recusado na finalização da compra.", 1),
    ("it", "email", "Vi comunico il numero della carta ⟦cc⟧, scadenza ⟦exp⟧, per il pagamento della caparra.", 2),
    ("nl", "chat", "kaartnummer ⟦cc⟧, geldig tot ⟦exp⟧", 2),
    ("pl", "chat", "numer karty: ⟦cc⟧, data ważności ⟦exp⟧", 2),
    ("ru", "chat", "Номер карты: ⟦cc.mir⟧, срок действия ⟦exp⟧", 2),
    ("ru", "forum_post", "Переводите на карту ⟦cc.mir_plain⟧ (Сбер), получатель ⟦name.ru⟧.", 2),
    ("uk", "chat", "Ось номер картки для оплати: ⟦cc.visa_sp⟧", 2),
    ("ja", "email", "カード番号：⟦cc.jcb⟧　有効期限：⟦exp⟧", 2),
    ("zh", "chat", "卡号：⟦cc.unionpay⟧，有效期⟦exp⟧", 2),
    ("zh", "web_prose", "银行卡号⟦cc.unionpay_plain⟧已绑定成功。", 2),
    ("ko", "chat", "카드번호 ⟦cc⟧ 유효기간 ⟦exp⟧ 입니다", 2),
    ("tr", "chat", "Kart numarası: ⟦cc.troy⟧ Son kullanma: ⟦exp⟧", 2),
    ("ar", "chat", "رقم البطاقة: ⟦cc⟧ وتاريخ الانتهاء ⟦exp⟧", 2),
    ("he", "chat", "מספר כרטיס: ⟦cc⟧ תוקף ⟦exp⟧", 2),
    ("hi", "chat", "मेरा कार्ड नंबर ⟦cc.rupay⟧ है, एक्सपायरी ⟦exp⟧", 2),
    ("vi", "chat", "Số thẻ: ⟦cc⟧, hạn dùng ⟦exp⟧", 2),
    ("th", "chat", "หมายเลขบัตร ⟦cc⟧ หมดอายุ ⟦exp⟧", 2),
    ("id", "chat", "nomor kartu ⟦cc⟧ berlaku sampai ⟦exp⟧", 2),
    ("sv", "chat", "kortnummer ⟦cc.maestro⟧, giltigt till ⟦exp⟧", 1),
    ("el", "chat", "αριθμός κάρτας ⟦cc⟧, λήξη ⟦exp⟧", 1),
    ("cs", "chat", "číslo karty ⟦cc⟧, platnost ⟦exp⟧", 1),
    ("hu", "chat", "kártyaszám: ⟦cc⟧, lejárat ⟦exp⟧", 1),
    ("ro", "chat", "numărul cardului ⟦cc⟧, expiră ⟦exp⟧", 1),
    ("fi", "chat", "kortin numero ⟦cc⟧, voimassa ⟦exp⟧", 1),
    ("fa", "chat", "شماره کارت ⟦cc⟧", 1),
]
for _lang, _ctx, _text, _n in ML_CARDS:
    pos(_ctx, _lang, _text, _n)

# ==============================================================================================================
# POSITIVES: mixed documents
# ==============================================================================================================

ML_MIXED: list[tuple[str, str, str, int]] = [
    (
        "en",
        "support_ticket",
        "Subject: API access broken after key rotation\nFrom: ⟦email⟧\n\nSince this morning every call from ⟦ip4⟧ gets 401. The new key is ⟦an.40⟧ (old one was revoked). Please advise.",
        2,
    ),
    (
        "en",
        "incident_report",
        "Incident 2024-031: a developer pasted the production .env into a public gist. Exposed: STRIPE_SECRET_KEY=⟦sklive⟧, AWS key ⟦akia⟧ / ⟦awssecret⟧. The gist was viewed from ⟦ip4⟧ and ⟦ip6⟧ before removal. Owner notified: ⟦email⟧.",
        2,
    ),
    (
        "de",
        "support_ticket",
        "Hallo Support,\n\nunser Monitoring meldet fehlgeschlagene Logins von ⟦ip4⟧. Der betroffene Account ist ⟦email.de⟧, das Passwort (⟦pw.de⟧) haben wir vorsorglich geändert.\n\nGruß\n⟦name.de⟧",
        2,
    ),
    (
        "fr",
        "email",
        "Bonjour,\n\nSuite à votre demande, le compte ⟦email.fr⟧ a été réactivé. Nouveau mot de passe : ⟦pw.fr⟧. Connexion autorisée uniquement depuis ⟦ip4⟧.\n\nL'équipe support",
        2,
    ),
    ("es", "chat", "⟦first.es⟧: te paso todo: usuario ⟦email.es⟧, contraseña ⟦pw.es⟧, y el servidor es ⟦ip4⟧", 2),
    (
        "ja",
        "support_ticket",
        "【障害報告】\n発生日時：⟦date⟧\n影響：⟦ip4⟧からのAPIリクエストが全て401\n原因：APIキー（⟦an.32⟧）の失効\n連絡先：⟦email.ja⟧",
        2,
    ),
    ("zh", "chat", "服务器：⟦ip4⟧\n用户名：root\n密码：⟦pw⟧\n有问题联系⟦email.zh⟧", 2),
    (
        "ru",
        "support_ticket",
        "Заявка №⟦num.6⟧. Клиент ⟦email.ru⟧ сообщает, что с его карты ⟦cc.mir⟧ дважды списали оплату. IP заказа: ⟦ip4⟧.",
        2,
    ),
    (
        "pt",
        "email",
        "Oi ⟦first.pt⟧, segue o acesso ao servidor novo: IP ⟦ip4⟧, usuário deploy, senha ⟦pw.pt⟧. Qualquer coisa me chama em ⟦email.pt⟧.",
        2,
    ),
    ("ko", "support_ticket", "고객 ⟦email.ko⟧ 님 결제 오류 문의\n카드번호: ⟦cc⟧\n접속 IP: ⟦ip4⟧", 2),
    (
        "tr",
        "email",
        "Merhaba, yeni sunucu bilgileri: IP ⟦ip4⟧, kullanıcı root, parola ⟦pw.tr⟧. Sorun olursa ⟦email.tr⟧ adresine yazın.",
        2,
    ),
    ("it", "chat", "⟦first.it⟧: ti giro l'accesso FTP: host ⟦ip4⟧, utente ⟦user⟧, password ⟦pw.it⟧", 2),
]
for _lang, _ctx, _text, _n in ML_MIXED:
    pos(_ctx, _lang, _text, _n)

# more vendor token formats, one or two per text
ML_VENDOR: list[tuple[str, str, str, int]] = [
    ("en", "env_file", "GITHUB_APP_INSTALLATION_TOKEN=⟦ghs⟧\nGITHUB_OAUTH_TOKEN=⟦gho⟧\nGITHUB_USER_TOKEN=⟦ghu⟧", 1),
    ("en", "json_config", '{"refresh_token": "⟦ghr⟧", "expires_in": 15897600}', 1),
    (
        "en",
        "yaml_config",
        "# GitLab deploy token and runner auth token\ndeploy_token: ⟦gldt⟧\nrunner:\n  token: ⟦glrt⟧",
        1,
    ),
    ("en", "python", 'client = WebClient(token="⟦xoxp⟧")', 1),
    (
        "en",
        "http_request",
        "GET /drive/v3/files?pageSize=10 HTTP/1.1\nHost: www.googleapis.com\nAuthorization: Bearer ⟦ya29⟧",
        1,
    ),
    (
        "en",
        "env_file",
        "STRIPE_RESTRICTED_KEY=⟦rklive⟧\nPAYSTACK_SECRET_KEY=⟦paystack⟧\nBRAINTREE_ACCESS_TOKEN=⟦braintree⟧",
        1,
    ),
    ("en", "env_file", "OPENAI_API_KEY=⟦openaisvc⟧\nDATABRICKS_TOKEN=⟦dapi⟧\nPOSTMAN_API_KEY=⟦pmak⟧", 1),
    ("en", "terraform", 'terraform {\n  cloud {\n    organization = "⟦cssid⟧"\n    token        = "⟦tfc⟧"\n  }\n}', 1),
    ("en", "env_file", "ATLASSIAN_API_TOKEN=⟦atlassian⟧\nJIRA_USER=⟦email⟧", 1),
    (
        "en",
        "yaml_config",
        "newrelic:\n  api_key: ⟦nrak⟧\ndoppler:\n  token: ⟦doppler⟧\nplanetscale:\n  password: ⟦pscale⟧",
        1,
    ),
    (
        "en",
        "env_file",
        "RUBYGEMS_API_KEY=⟦rubygems⟧\nPULUMI_ACCESS_TOKEN=⟦pulumi⟧\nSUPABASE_ACCESS_TOKEN=⟦supabase⟧",
        1,
    ),
    ("en", "shell_history", "  88  fly auth token\n  89  export FLY_API_TOKEN=⟦flyio⟧\n  90  fly deploy", 1),
    ("en", "json_config", '{"to": "/topics/news", "server_key": "⟦fcm⟧"}', 1),
    ("en", "python", 'dbx = dropbox.Dropbox("⟦dropbox⟧")', 1),
    ("en", "env_file", "OKTA_API_TOKEN=⟦okta⟧\nSENTRY_AUTH_TOKEN=⟦sentry⟧", 1),
    ("en", "env_file", "AZURE_CLIENT_SECRET=⟦azsecret⟧\nAZURE_CLIENT_ID=⟦uuid⟧\nAZURE_TENANT_ID=⟦uuid⟧", 1),
    (
        "de",
        "chat",
        "Hier der Mailchimp-Key für die Newsletter-Migration: ⟦mailchimp⟧ – bitte nach dem Import löschen.",
        1,
    ),
    ("fr", "chat", "Je te passe le jeton d'accès Atlassian : ⟦atlassian⟧ (valable un mois)", 1),
    ("es", "forum_post", "Se me filtró el token de Databricks (⟦dapi⟧) en un notebook público, ¿cómo lo revoco?", 1),
    ("pt", "chat", "token do Terraform Cloud: ⟦tfc⟧", 1),
    ("ja", "chat", "New Relicのキーはこれです：⟦nrak⟧", 1),
    ("zh", "chat", "Doppler 的服务令牌：⟦doppler⟧，只读权限", 1),
    ("ko", "chat", "Sentry 토큰 공유합니다: ⟦sentry⟧", 1),
    ("ru", "chat", "Вот токен PlanetScale для миграции: ⟦pscale⟧", 1),
    ("it", "chat", "ecco il token di Postman: ⟦pmak⟧", 1),
    ("pl", "chat", "token do Pulumi: ⟦pulumi⟧, nie wrzucaj go do repo", 1),
    ("tr", "chat", "Okta API anahtarı: ⟦okta⟧", 1),
    ("nl", "chat", "De Dropbox-token is ⟦dropbox⟧", 1),
    ("sv", "chat", "Här är GitHub-token för CI: ⟦ghs⟧", 1),
    ("vi", "chat", "Token Slack của bot là ⟦xoxp⟧ nhé", 1),
]
for _lang, _ctx, _text, _n in ML_VENDOR:
    pos(_ctx, _lang, _text, _n)

# English running text: label before and after the value
EN_PROSE: list[tuple[str, str, int]] = [
    ("chat", '[10:02] ⟦first⟧: guest wifi is "⟦co⟧-Guest", password ⟦wifi⟧', 2),
    ("web_prose", "⟦pw⟧ is the new root password for the staging box, rotate it after the demo.", 2),
    ("chat", "here are the staging DB creds: user ⟦user⟧ / pass ⟦pw⟧ (don't paste them in #general pls)", 2),
    (
        "email",
        "Hi ⟦first⟧,\n\nyour account on the partner portal is ready.\nLogin: ⟦email⟧\nTemporary password: ⟦pw⟧\n\nYou will be asked to choose a new password when you first sign in.\n\nBest,\n⟦name⟧",
        2,
    ),
    (
        "readme",
        "## Demo\n\nThe hosted demo at https://demo.⟦dom⟧ uses:\n\n- user: `demo`\n- password: `⟦pw⟧`\n\nThe database is reset every night.",
        1,
    ),
    (
        "pdf_text",
        "Welcome to ⟦co⟧! Your temporary pass-\nword is ⟦pw⟧. Please change it at first log-\nin. Your API key for the sandbox is\n⟦an.32⟧ (keep it confidential).",
        2,
    ),
    (
        "qa_answer",
        "You're leaking your key in the question (`⟦openaiproj⟧`). Revoke it right away and load it from an environment variable instead.",
        1,
    ),
    ("web_prose", "The token ⟦ghp⟧ expired last night, which is why every CI job failed with 401.", 1),
    (
        "support_ticket",
        "Hi team, I rotated the webhook signing secret; the new one is ⟦whsec⟧. The old secret stops working on Friday.",
        1,
    ),
    (
        "forum_post",
        "Finally got the Telegram bot working. For anyone else stuck: the token from BotFather looks like ⟦telegram⟧ and goes straight into TeleBot().",
        1,
    ),
]
for _ctx, _text, _n in EN_PROSE:
    pos(_ctx, "en", _text, _n)


# ==============================================================================================================
# HARD NEGATIVES (no spans). NEG_EXEMPT: the look-alike type each category was built for.
# ==============================================================================================================

NEG_EXEMPT.update(
    {
        "example_domain_emails": frozenset(),
        "asset_scale_suffixes": frozenset(),
        "git_ssh_remotes": frozenset(),
        "package_at_version": frozenset(),
        "systemd_instance_units": frozenset({EMAIL}),
        "shell_prompts": frozenset(),
        "url_userinfo_without_secret": frozenset(),
        "message_and_content_ids": frozenset({EMAIL}),
        "email_templates_and_patterns": frozenset({EMAIL}),
        "at_sign_in_code": frozenset(),
        "private_ips": frozenset(),
        "documentation_ips": frozenset(),
        "version_numbers": frozenset({IP}),
        "oids": frozenset({IP}),
        "section_numbers": frozenset({IP}),
        "mac_and_colon_hex": frozenset(),
        "luhn_invalid_cards": frozenset(),
        "masked_cards": frozenset(),
        "luhn_non_card_ids": frozenset({CARD}),
        "long_numeric_ids": frozenset(),
        "secret_placeholders": frozenset({SECRET}),
        "env_references": frozenset({SECRET}),
        "public_keys_certs": frozenset(),
        "password_hashes": frozenset({SECRET}),
        "checksums_integrity": frozenset(),
        "git_shas": frozenset(),
        "uuids_as_ids": frozenset(),
        "redacted_truncated": frozenset({SECRET}),
        "key_names_without_value": frozenset({SECRET}),
        "trivial_default_passwords": frozenset(),
        "documentation_example_tokens": frozenset({SECRET}),
        "high_entropy_non_secret": frozenset(),
        "crypto_wallet_addresses": frozenset(),
        "secret_words_other_values": frozenset({SECRET}),
        "cloud_resource_ids": frozenset(),
    }
)

NEGATIVES: list[tuple[str, str, str, str, int]] = [
    # ---------------------------------------------------------------- example_domain_emails
    (
        "example_domain_emails",
        "readme",
        "en",
        "Set `ADMIN_EMAIL=⟦exmail⟧` in your `.env` and restart the container. Notifications then go to that address.",
        2,
    ),
    (
        "example_domain_emails",
        "cli",
        "en",
        'git config --global user.name "Your Name"\ngit config --global user.email "you@example.com"',
        1,
    ),
    (
        "example_domain_emails",
        "python",
        "en",
        'def test_signup(client):\n    resp = client.post("/signup", data={"email": "⟦exmail⟧", "name": "Test"})\n    assert resp.status_code == 201',
        2,
    ),
    ("example_domain_emails", "crontab", "en", "MAILTO=root@localhost\n0 4 * * * /usr/local/bin/backup.sh", 1),
    ("example_domain_emails", "cli", "en", 'ssh-keygen -t ed25519 -C "ci@build.local" -f ~/.ssh/id_ci', 1),
    (
        "example_domain_emails",
        "ini_config",
        "en",
        "[mail function]\nSMTP = localhost\nsmtp_port = 25\nsendmail_from = noreply@shop.test",
        1,
    ),
    (
        "example_domain_emails",
        "web_prose",
        "de",
        "Geben Sie Ihre E-Mail-Adresse im Format vorname.nachname@example.com ein, zum Beispiel ⟦exmail⟧.",
        2,
    ),
    ("example_domain_emails", "web_prose", "fr", "Exemple d'adresse : ⟦exmail⟧ (adresse fictive, ne pas utiliser).", 2),
    (
        "example_domain_emails",
        "web_prose",
        "es",
        "En el campo «Correo» escribe algo como ⟦exmail⟧ para las pruebas.",
        2,
    ),
    ("example_domain_emails", "web_prose", "ja", "テスト用のメールアドレスには⟦exmail⟧などを使ってください。", 2),
    ("example_domain_emails", "web_prose", "zh", "示例邮箱：⟦exmail⟧（仅用于演示）", 2),
    ("example_domain_emails", "web_prose", "ru", "В качестве адреса для тестов можно указать ⟦exmail⟧.", 2),
    (
        "example_domain_emails",
        "web_prose",
        "pt",
        "Use um endereço de teste como ⟦exmail⟧ no ambiente de homologação.",
        1,
    ),
    # ---------------------------------------------------------------- asset_scale_suffixes
    (
        "asset_scale_suffixes",
        "html",
        "en",
        '<img src="/img/logo.png" srcset="/img/logo@2x.png 2x, /img/logo@3x.png 3x" alt="⟦co⟧" width="120">',
        2,
    ),
    (
        "asset_scale_suffixes",
        "file_listing",
        "en",
        "Assets.xcassets/AppIcon.appiconset/\n  AppIcon-60@2x.png\n  AppIcon-60@3x.png\n  AppIcon-76@2x.png\n  Contents.json",
        1,
    ),
    (
        "asset_scale_suffixes",
        "css",
        "en",
        '.hero {\n  background-image: image-set(url("hero@1x.webp") 1x, url("hero@2x.webp") 2x);\n}',
        1,
    ),
    (
        "asset_scale_suffixes",
        "web_prose",
        "de",
        "Lege die Datei als icon@2x.png und icon@3x.png in den Ordner assets/ ab, sonst wirkt das Logo auf Retina-Displays unscharf.",
        1,
    ),
    ("asset_scale_suffixes", "web_prose", "zh", "切图请导出 banner@2x.jpg 和 banner@3x.jpg 两种尺寸。", 1),
    ("asset_scale_suffixes", "web_prose", "ja", "ボタン画像は button_bg@2x.png を使用してください。", 1),
    (
        "asset_scale_suffixes",
        "file_listing",
        "en",
        "-rw-r--r--  1 ana  staff  18342 Mar  3 10:02 avatar@2x.png\n-rw-r--r--  1 ana  staff  31877 Mar  3 10:02 avatar@3x.png",
        1,
    ),
    (
        "asset_scale_suffixes",
        "web_prose",
        "es",
        "Sube el sprite como iconos@2x.svg para pantallas de alta densidad.",
        1,
    ),
    ("asset_scale_suffixes", "web_prose", "ko", "아이콘은 tab_home@3x.png 파일을 사용하세요.", 1),
    # ---------------------------------------------------------------- git_ssh_remotes
    (
        "git_ssh_remotes",
        "cli",
        "en",
        "git remote add origin git@github.com:⟦cssid⟧/⟦cssid⟧-api.git\ngit push -u origin main",
        2,
    ),
    (
        "git_ssh_remotes",
        "git_config",
        "en",
        '[remote "origin"]\n\turl = git@gitlab.com:⟦cssid⟧/infra.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*',
        2,
    ),
    (
        "git_ssh_remotes",
        "cargo_toml",
        "en",
        '[dependencies]\nserde = { git = "ssh://git@github.com/⟦cssid⟧/serde.git", branch = "main" }',
        1,
    ),
    (
        "git_ssh_remotes",
        "package_json",
        "en",
        '"dependencies": {\n  "ui-kit": "git+ssh://git@bitbucket.org:⟦cssid⟧/ui-kit.git#v2.1.0"\n}',
        1,
    ),
    (
        "git_ssh_remotes",
        "terraform",
        "en",
        'module "vpc" {\n  source = "git::ssh://git@github.com/⟦cssid⟧/tf-modules.git//vpc?ref=v1.4.0"\n}',
        1,
    ),
    (
        "git_ssh_remotes",
        "web_prose",
        "de",
        "Klonen mit: git clone git@github.com:⟦cssid⟧/handbuch.git – vorher den SSH-Schlüssel im Profil hinterlegen.",
        1,
    ),
    (
        "git_ssh_remotes",
        "web_prose",
        "ru",
        "Склонируйте репозиторий: git clone git@gitlab.com:⟦cssid⟧/bot.git и запустите make.",
        1,
    ),
    ("git_ssh_remotes", "web_prose", "zh", "拉取代码：git clone git@gitee.com:⟦cssid⟧/demo.git", 1),
    ("git_ssh_remotes", "web_prose", "ja", "リモートURLを git@github.com:⟦cssid⟧/app.git に変更しました。", 1),
    ("git_ssh_remotes", "cli", "en", "git clone git@ssh.dev.azure.com:v3/⟦cssid⟧/Platform/platform-api", 1),
    (
        "git_ssh_remotes",
        "web_prose",
        "pt",
        "Depois é só rodar git clone git@github.com:⟦cssid⟧/site.git e npm install.",
        1,
    ),
    # ---------------------------------------------------------------- package_at_version
    ("package_at_version", "cli", "en", "npm install lodash@4.17.21 react@18.3.1 @types/node@20.11.5 --save-exact", 1),
    (
        "package_at_version",
        "yarn_lock",
        "en",
        '"@babel/core@^7.23.0", "@babel/core@^7.24.0":\n  version "7.24.0"\n  resolved "https://registry.yarnpkg.com/@babel/core/-/core-7.24.0.tgz"',
        1,
    ),
    ("package_at_version", "docker_compose", "en", "services:\n  proxy:\n    image: nginx@sha256:⟦sha256⟧", 2),
    ("package_at_version", "cli", "en", "go install golang.org/x/tools/gopls@v0.15.2", 1),
    (
        "package_at_version",
        "typescript",
        "en",
        'import { serve } from "https://deno.land/std@0.224.0/http/server.ts";',
        1,
    ),
    (
        "package_at_version",
        "html",
        "en",
        '<script src="https://cdn.jsdelivr.net/npm/chart.js@4.4.1/dist/chart.umd.min.js"></script>',
        1,
    ),
    ("package_at_version", "cli", "en", "spack install python@3.11.7 %gcc@12.2.0 +optimizations", 1),
    (
        "package_at_version",
        "ci_config",
        "en",
        "steps:\n  - uses: actions/checkout@v4\n  - uses: docker/build-push-action@v5\n  - uses: ⟦cssid⟧/deploy-action@v2.3.0",
        1,
    ),
    (
        "package_at_version",
        "web_prose",
        "de",
        "Bitte aktualisiere auf vue@3.4.21, ältere Versionen haben den Bug mit dem Router.",
        1,
    ),
    ("package_at_version", "forum_post", "zh", "升级到 vite@5.2.0 之后构建报错，回退到 vite@5.1.6 就正常了。", 1),
    (
        "package_at_version",
        "forum_post",
        "ja",
        "next@14.1.0 から next@14.2.3 に上げたらビルドが通らなくなりました。",
        1,
    ),
    ("package_at_version", "forum_post", "es", "Con typescript@5.4.5 funciona, con la 5.5 no.", 1),
    (
        "package_at_version",
        "sbom",
        "en",
        "pkg:npm/%40angular/core@17.3.0\npkg:pypi/requests@2.31.0\npkg:maven/org.apache.logging.log4j/log4j-core@2.17.1",
        1,
    ),
    # ---------------------------------------------------------------- systemd_instance_units
    (
        "systemd_instance_units",
        "cli",
        "en",
        "sudo systemctl enable --now wg-quick@wg0.service\nsudo systemctl status openvpn-client@office.service",
        1,
    ),
    (
        "systemd_instance_units",
        "journal",
        "en",
        "Mar 05 10:12:01 nas systemd[1]: Started getty@tty1.service - Getty on tty1.\nMar 05 10:12:01 nas systemd[1]: Started user@1000.service - User Manager for UID 1000.",
        1,
    ),
    (
        "systemd_instance_units",
        "web_prose",
        "de",
        "Danach den Dienst mit systemctl restart openvpn-server@server.service neu starten.",
        1,
    ),
    (
        "systemd_instance_units",
        "web_prose",
        "ru",
        "Автозапуск: systemctl enable wg-quick@wg0.service, проверка — systemctl status wg-quick@wg0.service.",
        1,
    ),
    ("systemd_instance_units", "web_prose", "zh", "执行 systemctl start container-getty@1.service 后仍然无法登录。", 1),
    (
        "systemd_instance_units",
        "cli",
        "en",
        "systemctl list-units 'serial-getty@*' 'autovt@*'\n  serial-getty@ttyS0.service loaded active running Serial Getty on ttyS0",
        1,
    ),
    # ---------------------------------------------------------------- shell_prompts
    (
        "shell_prompts",
        "shell_session",
        "en",
        "deploy@web-01:~$ sudo systemctl status nginx\n● nginx.service - A high performance web server",
        1,
    ),
    (
        "shell_prompts",
        "shell_session",
        "en",
        "[root@ip-10-0-1-5 ~]# yum update -y\nLoaded plugins: extras_suggestions, langpacks",
        1,
    ),
    ("shell_prompts", "shell_session", "en", "ubuntu@ip-172-31-20-4:~/app$ git pull\nAlready up to date.", 1),
    ("shell_prompts", "shell_session", "en", "pi@raspberrypi:~ $ vcgencmd measure_temp\ntemp=48.3'C", 1),
    (
        "shell_prompts",
        "shell_session",
        "en",
        "root@srv1.hosting-nord.de:~# df -h /\nFilesystem      Size  Used Avail Use% Mounted on\n/dev/sda1        80G   23G   54G  30% /",
        1,
    ),
    ("shell_prompts", "shell_session", "en", "admin@fw01.corp.lan:/config# show interfaces", 1),
    (
        "shell_prompts",
        "forum_post",
        "de",
        "Auf dem Server sehe ich nur den Prompt root@vps123:~# und danach passiert nichts mehr.",
        1,
    ),
    (
        "shell_prompts",
        "forum_post",
        "ru",
        "Захожу на сервер, вижу приглашение user@debian:~$ и дальше ничего не работает.",
        1,
    ),
    ("shell_prompts", "forum_post", "zh", "登录后提示符是 root@iZ2ze0abcd:~# ，但是 sudo 命令找不到。", 1),
    ("shell_prompts", "forum_post", "ja", "ターミナルに ec2-user@ip-172-31-0-10:~$ と表示されたまま止まります。", 1),
    (
        "shell_prompts",
        "forum_post",
        "es",
        "Me sale root@ubuntu-s-1vcpu:~# y no sé qué comando poner para reiniciar Apache.",
        1,
    ),
    ("shell_prompts", "shell_session", "en", "jenkins@build-agent-3.ci.⟦dom⟧:/var/lib/jenkins$ ls workspace", 1),
    # ---------------------------------------------------------------- url_userinfo_without_secret
    ("url_userinfo_without_secret", "cli", "en", "git clone https://⟦user⟧@bitbucket.org/⟦cssid⟧/app.git", 1),
    ("url_userinfo_without_secret", "web_prose", "en", "Mirror: ftp://anonymous@ftp.⟦dom⟧/pub/releases/", 1),
    (
        "url_userinfo_without_secret",
        "docker_compose",
        "en",
        "environment:\n  DATABASE_URL: postgres://app:${DB_PASSWORD}@db:5432/app\n  AMQP_URL: amqp://guest:guest@rabbitmq:5672/",
        1,
    ),
    (
        "url_userinfo_without_secret",
        "readme",
        "en",
        "Connection string format: `mongodb+srv://<username>:<password>@cluster0.⟦cssid⟧.mongodb.net/<dbname>`",
        1,
    ),
    ("url_userinfo_without_secret", "cli", "en", "svn checkout svn+ssh://⟦user⟧@svn.⟦dom⟧/repos/trunk", 1),
    (
        "url_userinfo_without_secret",
        "cli",
        "en",
        "git clone https://⟦user⟧@dev.azure.com/⟦cssid⟧/Platform/_git/platform-api",
        1,
    ),
    (
        "url_userinfo_without_secret",
        "web_prose",
        "de",
        "Die Verbindungszeichenfolge hat das Format postgresql://benutzer:passwort@host:5432/datenbank.",
        1,
    ),
    (
        "url_userinfo_without_secret",
        "web_prose",
        "fr",
        "L'URL est de la forme https://utilisateur@depot.⟦dom⟧/projet.git ; le mot de passe est demandé ensuite.",
        1,
    ),
    (
        "url_userinfo_without_secret",
        "web_prose",
        "es",
        "Usa redis://:${REDIS_PASSWORD}@cache:6379/0 y define la variable en el entorno.",
        1,
    ),
    (
        "url_userinfo_without_secret",
        "web_prose",
        "ja",
        "接続URLは mysql://root@localhost:3306/app です（パスワードなし）。",
        1,
    ),
    (
        "url_userinfo_without_secret",
        "env_file",
        "en",
        "BROKER_URL=amqp://${RABBIT_USER}:${RABBIT_PASS}@mq.⟦dom⟧:5672/prod",
        1,
    ),
    # ---------------------------------------------------------------- message_and_content_ids
    (
        "message_and_content_ids",
        "email_header",
        "en",
        "Message-ID: <CA+⟦b64u.24⟧@mail.gmail.com>\nIn-Reply-To: <⟦uuid⟧@⟦dom⟧>\nReferences: <⟦objid⟧.fsf@⟦dom⟧>\nMIME-Version: 1.0",
        2,
    ),
    (
        "message_and_content_ids",
        "html_email",
        "en",
        '<img src="cid:image001.png@01DA6F2B.4C1E9A30" width="120" alt="Logo">',
        1,
    ),
    (
        "message_and_content_ids",
        "mime",
        "en",
        'Content-Type: image/png; name="chart.png"\nContent-ID: <part1.⟦objid⟧.⟦num.8⟧@⟦dom⟧>\nContent-Transfer-Encoding: base64',
        2,
    ),
    (
        "message_and_content_ids",
        "email_header",
        "de",
        "Betreff: AW: Lieferung KW 12\nDatum: Di, 5. März 2024 09:12:44 +0100\nMessage-ID: <⟦num.10⟧.⟦num.6⟧.JavaMail.app@mx01.⟦dom.de⟧>",
        1,
    ),
    (
        "message_and_content_ids",
        "email_header",
        "fr",
        "Objet : Re: devis n° ⟦num.5⟧\nMessage-Id: <⟦hx.16⟧$⟦hx.8⟧@smtp.⟦dom.fr⟧>",
        1,
    ),
    ("message_and_content_ids", "email_header", "ja", "件名: Re: 見積書の件\nMessage-ID: <⟦objid⟧@jp.⟦dom.ja⟧>", 1),
    ("message_and_content_ids", "email_header", "zh", "主题：回复：合同\nMessage-ID: <tencent_⟦hx.32⟧@qq.com>", 1),
    (
        "message_and_content_ids",
        "mail_log",
        "en",
        "Mar  5 10:12:01 mx1 postfix/cleanup[2201]: 4F1A2B3C4D: message-id=<⟦uuid⟧@⟦dom⟧>",
        1,
    ),
    (
        "message_and_content_ids",
        "usenet",
        "en",
        "Path: news.⟦dom⟧!not-for-mail\nMessage-ID: <⟦hx.12⟧.⟦num.4⟧@news.⟦dom⟧>\nNewsgroups: comp.lang.c",
        1,
    ),
    # ---------------------------------------------------------------- email_templates_and_patterns
    (
        "email_templates_and_patterns",
        "python",
        "en",
        'def work_address(first: str, last: str, domain: str) -> str:\n    return f"{first}.{last}@{domain}".lower()',
        1,
    ),
    (
        "email_templates_and_patterns",
        "javascript",
        "en",
        "const EMAIL_RE = /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/;\nif (!EMAIL_RE.test(value)) showError('Invalid e-mail');",
        1,
    ),
    (
        "email_templates_and_patterns",
        "sql",
        "en",
        "SELECT id, email FROM users WHERE email LIKE '%@⟦dom⟧' AND deleted_at IS NULL;",
        2,
    ),
    (
        "email_templates_and_patterns",
        "jinja",
        "en",
        "Reply-To: {{ user.first_name|lower }}.{{ user.last_name|lower }}@{{ company.domain }}",
        1,
    ),
    ("email_templates_and_patterns", "c", "en", 'snprintf(addr, sizeof addr, "%s@%s", user, host);', 1),
    (
        "email_templates_and_patterns",
        "web_prose",
        "de",
        "Die Adressen sind einheitlich nach dem Schema vorname.nachname@firma.de aufgebaut; Umlaute werden ersetzt (ü → ue).",
        1,
    ),
    (
        "email_templates_and_patterns",
        "web_prose",
        "en",
        "All staff addresses follow firstname.lastname@company.com; shared mailboxes use team-name@company.com.",
        1,
    ),
    (
        "email_templates_and_patterns",
        "python",
        "en",
        'INVALID = ["plainaddress", "@missinglocal.org", "user@.com", "user@com", "a..b@host.org"]\nfor addr in INVALID:\n    assert not is_valid_email(addr)',
        1,
    ),
    (
        "email_templates_and_patterns",
        "web_prose",
        "fr",
        "Le format des adresses est prenom.nom@entreprise.fr, sans accents.",
        1,
    ),
    (
        "email_templates_and_patterns",
        "web_prose",
        "es",
        "El correo institucional sigue el formato nombre.apellido@universidad.es.",
        1,
    ),
    (
        "email_templates_and_patterns",
        "postfix_conf",
        "en",
        "/^.*@⟦dom⟧$/    REJECT  Spoofed sender\n/^postmaster@/   OK",
        1,
    ),
    ("email_templates_and_patterns", "php", "en", "$to = $user->login . '@' . $tenant->domain;", 1),
    # ---------------------------------------------------------------- at_sign_in_code
    (
        "at_sign_in_code",
        "java",
        "en",
        '@Override\npublic void configure(HttpSecurity http) throws Exception {\n    @Value("${spring.datasource.password}") String pw;\n}',
        1,
    ),
    (
        "at_sign_in_code",
        "python",
        "en",
        '@app.route("/login", methods=["POST"])\n@login_required\ndef login():\n    return result @ weights',
        1,
    ),
    (
        "at_sign_in_code",
        "css",
        "en",
        '@import url("fonts.css");\n@media (max-width: 600px) { .nav { display: none; } }\n@font-face { font-family: Inter; }',
        1,
    ),
    (
        "at_sign_in_code",
        "sql",
        "en",
        "DECLARE @userId INT = 42;\nSELECT * FROM dbo.Orders WHERE CustomerId = @userId;",
        1,
    ),
    ("at_sign_in_code", "batch", "en", "@echo off\nset PATH=%PATH%;C:\\tools\ncall build.bat", 1),
    (
        "at_sign_in_code",
        "diff",
        "en",
        "@@ -12,7 +12,8 @@ def load(path):\n-    data = json.load(f)\n+    data = json.load(f, strict=False)",
        1,
    ),
    (
        "at_sign_in_code",
        "javascript",
        "en",
        "/**\n * @param {string} id\n * @returns {Promise<User>}\n */\nimport { Injectable } from '@angular/core';",
        1,
    ),
    (
        "at_sign_in_code",
        "swift",
        "en",
        "struct ContentView: View {\n    @State private var count = 0\n    @Environment(\\.dismiss) var dismiss\n}",
        1,
    ),
    # ---------------------------------------------------------------- private_ips
    (
        "private_ips",
        "docker_inspect",
        "en",
        '"IPAM": {\n  "Config": [{ "Subnet": "172.18.0.0/16", "Gateway": "172.18.0.1" }]\n},\n"Containers": { "⟦hx.12⟧": { "IPv4Address": "⟦priv4.172⟧/16" } }',
        2,
    ),
    (
        "private_ips",
        "cli_output",
        "en",
        "NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)\nkubernetes   ClusterIP   10.96.0.1       <none>        443/TCP\napi          ClusterIP   ⟦priv4.10⟧     <none>        8080/TCP",
        2,
    ),
    (
        "private_ips",
        "cli_output",
        "en",
        "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n    inet ⟦priv4.192⟧/24 brd 192.168.1.255 scope global dynamic eth0\n    inet6 ⟦priv6.ll⟧/64 scope link\n    inet6 ⟦priv6.ula⟧/64 scope global",
        2,
    ),
    (
        "private_ips",
        "web_prose",
        "de",
        "Der Drucker hat die feste IP ⟦priv4.192⟧, die Fritzbox selbst ist unter 192.168.178.1 erreichbar.",
        2,
    ),
    ("private_ips", "web_prose", "zh", "内网地址是⟦priv4.10⟧，网关192.168.0.1，子网掩码255.255.255.0。", 2),
    ("private_ips", "web_prose", "ja", "ルーターの管理画面は http://192.168.0.1 、NASは⟦priv4.192⟧です。", 1),
    (
        "private_ips",
        "web_prose",
        "ru",
        "Роутер раздаёт адреса из диапазона 192.168.1.100–192.168.1.200, сервер стоит на ⟦priv4.192⟧.",
        1,
    ),
    (
        "private_ips",
        "web_prose",
        "es",
        "Tailscale me asignó la IP ⟦priv4.cgnat⟧ y la del portátil es ⟦priv4.cgnat⟧.",
        1,
    ),
    ("private_ips", "web_prose", "pt", "O Windows pegou um IP APIPA (⟦priv4.ll⟧), então o DHCP não respondeu.", 1),
    (
        "private_ips",
        "nginx_conf",
        "en",
        "server {\n    listen ⟦priv4.10⟧:80;\n    listen [::1]:80;\n    allow 127.0.0.1;\n    allow ⟦priv4.172⟧;\n    deny all;\n}",
        2,
    ),
    (
        "private_ips",
        "web_prose",
        "fr",
        "Le serveur écoute sur 0.0.0.0:8080, mais je n'y accède qu'en local via 127.0.0.1.",
        1,
    ),
    ("private_ips", "ini_config", "en", "[Interface]\nAddress = ⟦priv4.10⟧/24, ⟦priv6.ula⟧/64\nListenPort = 51820", 1),
    ("private_ips", "web_prose", "it", "Il NAS risponde su ⟦priv4.192⟧ ma non su ⟦priv6.ll⟧%eth0.", 1),
    ("private_ips", "web_prose", "ko", "공유기 주소는 192.168.0.1이고 서버는 ⟦priv4.192⟧입니다.", 1),
    ("private_ips", "web_prose", "tr", "Sunucu iç ağda ⟦priv4.10⟧ adresinde, dışarıya açık değil.", 1),
    # ---------------------------------------------------------------- documentation_ips
    (
        "documentation_ips",
        "readme",
        "en",
        "For example, if your server is at ⟦doc4⟧, run `ssh admin@⟦doc4⟧` and then open http://⟦doc4⟧:8080/.",
        2,
    ),
    (
        "documentation_ips",
        "rfc_text",
        "en",
        "   Client (⟦doc4⟧)                    Server (⟦doc4⟧)\n      |---------- SYN ------------------->|\n      |<--------- SYN-ACK ----------------|",
        1,
    ),
    (
        "documentation_ips",
        "nginx_conf",
        "en",
        "# example: allow only the office network\nallow ⟦doc4⟧;\nallow ⟦doc6⟧;\ndeny all;",
        2,
    ),
    (
        "documentation_ips",
        "web_prose",
        "de",
        "Beispiel: Die öffentliche Adresse lautet ⟦doc4⟧, die IPv6-Adresse ⟦doc6⟧.",
        2,
    ),
    ("documentation_ips", "web_prose", "fr", "Dans cet exemple, le routeur a l'adresse publique ⟦doc4⟧.", 1),
    ("documentation_ips", "web_prose", "ja", "例：サーバーのIPアドレスが⟦doc4⟧の場合", 1),
    ("documentation_ips", "web_prose", "zh", "例如服务器地址为⟦doc4⟧，IPv6地址为⟦doc6⟧。", 1),
    ("documentation_ips", "web_prose", "es", "Supongamos que la IP pública es ⟦doc4⟧ y la interna 10.0.0.2.", 1),
    (
        "documentation_ips",
        "web_prose",
        "ru",
        "Например, если адрес сервера ⟦doc4⟧, то в конфиге пишем listen ⟦doc4⟧:443.",
        1,
    ),
    (
        "documentation_ips",
        "dns_zone",
        "en",
        "; sample zone from the tutorial\nwww   IN A     ⟦doc4⟧\nwww   IN AAAA  ⟦doc6⟧",
        1,
    ),
    ("documentation_ips", "web_prose", "pt", "Neste exemplo o endereço do servidor é ⟦doc4⟧.", 1),
    # ---------------------------------------------------------------- version_numbers
    (
        "version_numbers",
        "changelog",
        "en",
        "### ⟦ver4⟧ (2024-03-01)\n\n- Fixed crash on startup\n- Updated translations\n\n### ⟦ver4⟧ (2024-02-12)\n\n- Initial release",
        2,
    ),
    (
        "version_numbers",
        "csharp",
        "en",
        '[assembly: AssemblyVersion("⟦ver4⟧")]\n[assembly: AssemblyFileVersion("⟦ver4⟧")]',
        2,
    ),
    (
        "version_numbers",
        "user_agent",
        "en",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36 Edg/⟦ver4⟧",
        1,
    ),
    (
        "version_numbers",
        "web_prose",
        "de",
        "Nach dem Update auf Firmware-Version ⟦ver4⟧ startet der Router ständig neu.",
        2,
    ),
    ("version_numbers", "web_prose", "ru", "Версия прошивки ⟦ver4⟧, после обновления пропал Wi-Fi.", 1),
    ("version_numbers", "web_prose", "ja", "バージョン ⟦ver4⟧ にアップデートしたら不具合が直りました。", 1),
    ("version_numbers", "web_prose", "zh", "驱动版本号：⟦ver4⟧，建议升级到最新版本。", 1),
    ("version_numbers", "web_prose", "es", "La versión ⟦ver4⟧ corrige el error de sincronización.", 1),
    ("version_numbers", "web_prose", "fr", "La mise à jour ⟦ver4⟧ du pilote graphique est disponible.", 1),
    ("version_numbers", "web_prose", "pt", "Atualizei o app para a versão ⟦ver4⟧ e agora não abre.", 1),
    (
        "version_numbers",
        "gradle",
        "en",
        'android {\n    defaultConfig {\n        versionCode 40213\n        versionName "⟦ver4⟧"\n    }\n}',
        1,
    ),
    ("version_numbers", "python", "en", '__version__ = "⟦ver4⟧"', 1),
    (
        "version_numbers",
        "cli_output",
        "en",
        "$ nvidia-smi\n| NVIDIA-SMI 550.54.15    Driver Version: 550.54.15    CUDA Version: 12.4 |\n$ dotnet --version\n⟦ver4⟧",
        1,
    ),
    ("version_numbers", "web_prose", "pl", "Po aktualizacji do wersji ⟦ver4⟧ drukarka przestała działać.", 1),
    ("version_numbers", "web_prose", "tr", "Yazılım sürümü ⟦ver4⟧ olarak güncellendi.", 1),
    ("version_numbers", "web_prose", "it", "Versione del firmware: ⟦ver4⟧ (build stabile).", 1),
    # ---------------------------------------------------------------- oids
    (
        "oids",
        "openssl_output",
        "en",
        "X509v3 extensions:\n    2.5.29.17 (subjectAltName): DNS:⟦dom⟧\n    X509v3 Certificate Policies:\n        Policy: 2.23.140.1.2.1\n    1.3.6.1.4.1.11129.2.4.2:\n        ...",
        1,
    ),
    (
        "oids",
        "snmp",
        "en",
        '$ snmpwalk -v2c -c public ⟦priv4.10⟧ 1.3.6.1.2.1.1\niso.3.6.1.2.1.1.1.0 = STRING: "Linux fw01 5.15.0"\niso.3.6.1.2.1.1.5.0 = STRING: "fw01"',
        1,
    ),
    (
        "oids",
        "web_prose",
        "en",
        "The attribute 2.5.4.3 is commonName, 2.5.4.10 is organizationName and 2.5.4.6 is countryName.",
        1,
    ),
    ("oids", "python", "en", 'OID_SAN = "2.5.29.17"\nOID_KEY_USAGE = "2.5.29.15"\nOID_EXT_KEY_USAGE = "2.5.29.37"', 1),
    (
        "oids",
        "web_prose",
        "de",
        "Das Zertifikat verwendet den Algorithmus 1.2.840.113549.1.1.11 (sha256WithRSAEncryption); die Erweiterung 2.5.29.19 markiert CA-Zertifikate.",
        1,
    ),
    ("oids", "web_prose", "ja", "OID 2.5.29.32 は証明書ポリシー、2.5.29.31 はCRL配布点を表します。", 1),
    ("oids", "web_prose", "ru", "Атрибут с OID 2.5.4.97 содержит идентификатор организации.", 1),
    (
        "oids",
        "ldif",
        "en",
        "attributetype ( 1.3.6.1.4.1.42.2.27.8.1.1 NAME 'pwdAttribute' )\nobjectclass ( 2.5.6.6 NAME 'person' SUP top )",
        1,
    ),
    ("oids", "web_prose", "zh", "扩展 2.5.29.14 是主题密钥标识符。", 1),
    # ---------------------------------------------------------------- section_numbers
    (
        "section_numbers",
        "standard_text",
        "en",
        "See clause ⟦sect⟧ of ISO 26262-6 for the software unit verification requirements.",
        2,
    ),
    (
        "section_numbers",
        "table_of_contents",
        "en",
        "4.2.1.1 Scope ........................ 17\n4.2.1.2 Normative references ......... 18\n⟦sect⟧ Terms and definitions ...... 19",
        1,
    ),
    (
        "section_numbers",
        "legal_text",
        "de",
        "Gemäß Abschnitt ⟦sect⟧ der Betriebsanleitung ist die Anlage jährlich zu prüfen.",
        2,
    ),
    ("section_numbers", "legal_text", "es", "Conforme al apartado ⟦sect⟧ del pliego de condiciones técnicas.", 1),
    ("section_numbers", "legal_text", "fr", "Voir le paragraphe ⟦sect⟧ du cahier des charges.", 1),
    (
        "section_numbers",
        "legal_text",
        "ru",
        "Согласно пункту ⟦sect⟧ технического задания, отчёт сдаётся ежеквартально.",
        1,
    ),
    ("section_numbers", "legal_text", "zh", "根据第⟦sect⟧条的规定，供应商应提供检测报告。", 1),
    (
        "section_numbers",
        "latex",
        "en",
        "\\subsubsection*{⟦sect⟧ Boundary conditions}\nAs shown in Section 3.1.2.4, the flux vanishes at the wall.",
        1,
    ),
    ("section_numbers", "legal_text", "pl", "Zgodnie z punktem ⟦sect⟧ specyfikacji istotnych warunków zamówienia.", 1),
    ("section_numbers", "legal_text", "it", "Si veda il punto ⟦sect⟧ del capitolato tecnico.", 1),
]
for _cat, _ctx, _lang, _text, _n in NEGATIVES:
    neg(_cat, _ctx, _lang, _text, _n)

NEGATIVES_2: list[tuple[str, str, str, str, int]] = [
    # ---------------------------------------------------------------- mac_and_colon_hex
    (
        "mac_and_colon_hex",
        "cli_output",
        "en",
        "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n        ether ⟦mac⟧  txqueuelen 1000  (Ethernet)",
        2,
    ),
    (
        "mac_and_colon_hex",
        "cli_output",
        "en",
        "Ethernet adapter Ethernet:\n   Physical Address. . . . . . . . . : ⟦mac.-⟧\n   DHCP Enabled. . . . . . . . . . . : Yes",
        2,
    ),
    (
        "mac_and_colon_hex",
        "cpp",
        "en",
        "auto dt = std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count();\nstd::unordered_map<std::string, int>::iterator it = m.begin();",
        1,
    ),
    (
        "mac_and_colon_hex",
        "rust",
        "en",
        "use std::collections::HashMap;\nlet v: Vec<u8> = Vec::with_capacity(16);\nlet s = String::from_utf8(v)?;",
        1,
    ),
    ("mac_and_colon_hex", "haskell", "en", "map :: (a -> b) -> [a] -> [b]\nfoldr :: (a -> b -> b) -> b -> [a] -> b", 1),
    (
        "mac_and_colon_hex",
        "video_edl",
        "en",
        "001  AX  V  C  01:02:03:04 01:02:13:04 00:00:00:00 00:00:10:00\n002  AX  V  C  01:05:11:20 01:05:19:02 00:00:10:00 00:00:17:06",
        1,
    ),
    (
        "mac_and_colon_hex",
        "web_prose",
        "de",
        "Die MAC-Adresse des Geräts lautet ⟦mac⟧, bitte im DHCP-Server reservieren.",
        2,
    ),
    ("mac_and_colon_hex", "web_prose", "ru", "MAC-адрес сетевой карты: ⟦mac⟧", 1),
    ("mac_and_colon_hex", "web_prose", "zh", "设备MAC地址：⟦mac⟧，请加入白名单。", 1),
    ("mac_and_colon_hex", "web_prose", "ja", "BluetoothデバイスのMACアドレスは⟦mac⟧です。", 1),
    (
        "mac_and_colon_hex",
        "bluetooth",
        "en",
        "[bluetooth]# pair ⟦mac⟧\nAttempting to pair with ⟦mac#x⟧\n[CHG] Device ⟦mac#x⟧ Connected: yes",
        1,
    ),
    (
        "mac_and_colon_hex",
        "log",
        "en",
        "12:30:45.118 [main] INFO  Boot completed in 00:00:07.412\n12:30:46.002 [main] WARN  Clock skew 00:00:01",
        1,
    ),
    ("mac_and_colon_hex", "php", "en", "$user = User::where('active', 1)->first();\nreturn Response::json($user);", 1),
    ("mac_and_colon_hex", "web_prose", "es", "La dirección física del router es ⟦mac.-⟧ según la etiqueta.", 1),
    # ---------------------------------------------------------------- luhn_invalid_cards
    (
        "luhn_invalid_cards",
        "form_error",
        "en",
        "Error: the card number ⟦badcard⟧ is invalid. Please check the digits and try again.",
        2,
    ),
    (
        "luhn_invalid_cards",
        "python",
        "en",
        'def test_rejects_bad_checksum():\n    assert not luhn_valid("⟦badcard.plain⟧")',
        2,
    ),
    (
        "luhn_invalid_cards",
        "web_prose",
        "de",
        "Die Kartennummer ⟦badcard⟧ wurde als ungültig abgelehnt – Prüfziffer falsch.",
        2,
    ),
    ("luhn_invalid_cards", "web_prose", "fr", "Le numéro ⟦badcard⟧ est refusé : la clé de contrôle est fausse.", 1),
    (
        "luhn_invalid_cards",
        "web_prose",
        "es",
        "Me dice que el número ⟦badcard⟧ no es válido, ¿lo habré copiado mal?",
        1,
    ),
    ("luhn_invalid_cards", "web_prose", "ja", "カード番号「⟦badcard⟧」は無効です。", 1),
    ("luhn_invalid_cards", "web_prose", "zh", "卡号⟦badcard⟧校验失败，请重新输入。", 1),
    ("luhn_invalid_cards", "web_prose", "ru", "Номер карты ⟦badcard⟧ не прошёл проверку.", 1),
    (
        "luhn_invalid_cards",
        "app_log",
        "en",
        "2024-05-02 11:04:00 INFO  validator - rejected pan=⟦badcard.plain⟧ reason=luhn",
        1,
    ),
    ("luhn_invalid_cards", "web_prose", "pt", "O número ⟦badcard⟧ foi recusado por dígito verificador inválido.", 1),
    ("luhn_invalid_cards", "web_prose", "it", "Il numero di carta ⟦badcard⟧ risulta non valido.", 1),
    # ---------------------------------------------------------------- masked_cards
    ("masked_cards", "receipt", "en", "CARD SALE\nVISA ⟦masked⟧\nAUTH CODE: ⟦num.6⟧\nTOTAL EUR ⟦amount⟧", 2),
    (
        "masked_cards",
        "email",
        "en",
        "Your payment of $⟦amount⟧ was charged to the card ending in ⟦num.4⟧ (⟦masked⟧).",
        2,
    ),
    ("masked_cards", "web_prose", "de", "Zahlungsart: Kreditkarte ⟦masked⟧, Betrag ⟦amount⟧ EUR.", 2),
    ("masked_cards", "web_prose", "fr", "Payé par carte ⟦masked⟧ le ⟦dmy⟧.", 1),
    ("masked_cards", "web_prose", "pt", "Cartão final ⟦num.4⟧ (⟦masked⟧) aprovado.", 1),
    ("masked_cards", "web_prose", "ja", "お支払い：クレジットカード（⟦masked⟧）", 1),
    ("masked_cards", "web_prose", "zh", "支付方式：信用卡 ⟦masked⟧", 1),
    ("masked_cards", "web_prose", "es", "Tarjeta: ⟦masked⟧ · Importe: ⟦amount⟧ €", 1),
    (
        "masked_cards",
        "json_payload",
        "en",
        '{"payment_method": {"brand": "mastercard", "last4": "⟦num.4⟧", "display": "⟦masked⟧", "exp": "⟦exp⟧"}}',
        1,
    ),
    ("masked_cards", "web_prose", "ru", "Оплачено картой ⟦masked⟧.", 1),
    ("masked_cards", "web_prose", "ko", "결제 카드: ⟦masked⟧", 1),
    # ---------------------------------------------------------------- luhn_non_card_ids
    ("luhn_non_card_ids", "device_info", "en", "Model: Pixel 8\nIMEI: ⟦imei⟧\nIMEI 2: ⟦imei⟧\nICCID: ⟦iccid⟧", 2),
    ("luhn_non_card_ids", "web_prose", "de", "Mit *#06# zeigt das Handy die IMEI an, bei mir ⟦imei⟧.", 2),
    (
        "luhn_non_card_ids",
        "support_ticket",
        "en",
        "RMA request: device serial ⟦upid.12⟧, IMEI ⟦imei⟧ — screen flickers after update.",
        1,
    ),
    ("luhn_non_card_ids", "web_prose", "zh", "手机IMEI号：⟦imei⟧，SIM卡ICCID：⟦iccid⟧", 1),
    ("luhn_non_card_ids", "web_prose", "ru", "IMEI телефона ⟦imei⟧, нужно проверить по базе.", 1),
    ("luhn_non_card_ids", "web_prose", "es", "El ICCID de la SIM es ⟦iccid⟧.", 1),
    (
        "luhn_non_card_ids",
        "csv",
        "en",
        "asset_tag,imei,iccid\nMDM-⟦num.4⟧,⟦imei⟧,⟦iccid⟧\nMDM-⟦num.4⟧,⟦imei⟧,⟦iccid⟧",
        1,
    ),
    ("luhn_non_card_ids", "claim_form", "en", "Billing provider NPI: ⟦npi⟧\nRendering provider NPI: ⟦npi⟧", 1),
    ("luhn_non_card_ids", "web_prose", "ja", "端末のIMEIは⟦imei⟧です。", 1),
    ("luhn_non_card_ids", "web_prose", "pt", "O IMEI do aparelho roubado é ⟦imei⟧.", 1),
    ("luhn_non_card_ids", "web_prose", "tr", "Telefonun IMEI numarası: ⟦imei⟧", 1),
    # ---------------------------------------------------------------- long_numeric_ids
    ("long_numeric_ids", "web_prose", "de", "Ihre Sendungsnummer lautet ⟦long.20⟧, die Zustellung erfolgt morgen.", 2),
    ("long_numeric_ids", "email", "en", "Order #⟦long.16⟧ has shipped. Tracking: ⟦long.22⟧", 2),
    ("long_numeric_ids", "web_prose", "en", "Tweet ID ⟦snow⟧ was deleted; the reply ⟦snow⟧ is still up.", 1),
    ("long_numeric_ids", "json_log", "en", '{"guild_id": "⟦snow⟧", "channel_id": "⟦snow⟧", "message_id": "⟦snow⟧"}', 1),
    ("long_numeric_ids", "web_prose", "en", "SteamID64: 7656119⟦num.10⟧", 1),
    ("long_numeric_ids", "json_log", "en", '{"ts": 17⟦num.11⟧, "event": "page_view", "session": ⟦long.18⟧}', 1),
    ("long_numeric_ids", "web_prose", "ru", "Номер заказа ⟦long.14⟧, трек-номер ⟦long.14⟧.", 1),
    ("long_numeric_ids", "web_prose", "zh", "订单号：⟦long.18⟧，物流单号：⟦long.15⟧", 1),
    ("long_numeric_ids", "web_prose", "ja", "注文番号 ⟦long.16⟧ の商品を発送しました。", 1),
    ("long_numeric_ids", "web_prose", "es", "Número de expediente: ⟦long.17⟧", 1),
    ("long_numeric_ids", "web_prose", "fr", "Numéro de suivi Colissimo : ⟦long.13⟧", 1),
    ("long_numeric_ids", "web_prose", "pt", "Protocolo de atendimento: ⟦long.16⟧", 1),
    ("long_numeric_ids", "web_prose", "pl", "Numer przesyłki: ⟦long.24⟧", 1),
    (
        "long_numeric_ids",
        "invoice",
        "de",
        "Kundennummer: ⟦long.12⟧\nRechnungsnummer: RE-2024-⟦num.6⟧\nAuftragsnummer: ⟦long.15⟧",
        1,
    ),
    # ---------------------------------------------------------------- secret_placeholders
    (
        "secret_placeholders",
        "env_file",
        "en",
        "# .env.example\nOPENAI_API_KEY=YOUR_API_KEY_HERE\nSTRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\nDB_PASSWORD=changeme\nJWT_SECRET=<generate with openssl rand -hex 32>",
        1,
    ),
    (
        "secret_placeholders",
        "yaml_config",
        "en",
        'api:\n  key: <your-api-key>\n  secret: REPLACE_ME\ndatabase:\n  password: ""',
        1,
    ),
    (
        "secret_placeholders",
        "readme",
        "en",
        '```bash\ncurl -H "Authorization: Bearer <token>" -H "X-API-Key: {{api_key}}" https://api.⟦dom⟧/v1/items\n```',
        2,
    ),
    (
        "secret_placeholders",
        "json_config",
        "en",
        '{\n  "github_token": "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",\n  "slack_token": "xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx"\n}',
        1,
    ),
    (
        "secret_placeholders",
        "web_prose",
        "de",
        "Ersetze DEIN_API_SCHLUESSEL durch deinen eigenen Schlüssel und PASSWORT_HIER durch das Passwort aus dem Kundenbereich.",
        1,
    ),
    (
        "secret_placeholders",
        "web_prose",
        "fr",
        "Remplacez VOTRE_CLE_API par la clé fournie dans votre espace client.",
        1,
    ),
    (
        "secret_placeholders",
        "web_prose",
        "es",
        "Sustituye TU_CLAVE_API por tu clave y deja la contraseña como ********.",
        1,
    ),
    ("secret_placeholders", "web_prose", "zh", "把 api_key 替换为你自己的 API 密钥：sk-xxxxxxxxxxxxxxxxxxxxxxxx", 1),
    (
        "secret_placeholders",
        "web_prose",
        "ja",
        "APIキーの欄には「XXXXXXXXXXXXXXXX」の部分を自分のキーに置き換えて入力してください。",
        1,
    ),
    ("secret_placeholders", "web_prose", "ru", "В поле «Токен» вставьте ВАШ_ТОКЕН_БОТА, полученный у BotFather.", 1),
    (
        "secret_placeholders",
        "python",
        "en",
        'API_KEY = "..."  # put your key here\nPASSWORD = "<password>"\nTOKEN = "%TOKEN%"',
        1,
    ),
    (
        "secret_placeholders",
        "terraform",
        "en",
        'variable "db_password" {\n  type      = string\n  sensitive = true\n  default   = "CHANGE_ME"\n}',
        1,
    ),
    (
        "secret_placeholders",
        "web_prose",
        "pt",
        "Coloque sua chave no lugar de SUA_CHAVE_AQUI e a senha no lugar de SUA_SENHA.",
        1,
    ),
    (
        "secret_placeholders",
        "ini_config",
        "en",
        "[smtp]\nuser = mailer\npassword = xxxxxxxx\n\n[api]\ntoken = ****************",
        1,
    ),
    # ---------------------------------------------------------------- env_references
    (
        "env_references",
        "ci_config",
        "en",
        "env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n  DB_PASSWORD: ${{ vars.DB_PASSWORD_REF }}",
        1,
    ),
    (
        "env_references",
        "python",
        "en",
        'API_KEY = os.environ["OPENAI_API_KEY"]\nDB_PASSWORD = os.getenv("DB_PASSWORD", "")\nSECRET_KEY = env("DJANGO_SECRET_KEY")',
        1,
    ),
    (
        "env_references",
        "javascript",
        "en",
        "const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);\nconst token = process.env.GITHUB_TOKEN ?? '';",
        1,
    ),
    (
        "env_references",
        "k8s_manifest",
        "en",
        "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db-credentials\n        key: password",
        1,
    ),
    (
        "env_references",
        "docker_compose",
        "en",
        "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n      - db_password",
        1,
    ),
    (
        "env_references",
        "helm_template",
        "en",
        'password: {{ .Values.postgresql.auth.password | b64enc | quote }}\napiKey: {{ required "apiKey is required" .Values.apiKey }}',
        1,
    ),
    (
        "env_references",
        "cloudformation",
        "en",
        "MasterUserPassword: !Ref DbPassword\nApiKey: '{{resolve:secretsmanager:prod/api:SecretString:key}}'",
        1,
    ),
    (
        "env_references",
        "php",
        "en",
        "'password' => env('DB_PASSWORD'),\n'secret' => config('services.stripe.secret'),",
        1,
    ),
    (
        "env_references",
        "yaml_config",
        "en",
        "# Symfony\nparameters:\n    database_password: '%env(DATABASE_PASSWORD)%'\n    mailer_dsn: '%env(MAILER_DSN)%'",
        1,
    ),
    (
        "env_references",
        "ruby",
        "en",
        'Stripe.api_key = ENV.fetch("STRIPE_SECRET_KEY")\npassword: Rails.application.credentials.dig(:db, :password)',
        1,
    ),
    (
        "env_references",
        "shell_script",
        "en",
        'export PGPASSWORD="$(cat /run/secrets/pg_password)"\nexport VAULT_TOKEN=$(vault print token)',
        1,
    ),
    (
        "env_references",
        "web_prose",
        "de",
        'Das Passwort wird nicht im Code gespeichert, sondern zur Laufzeit aus der Umgebungsvariable DB_PASSWORT gelesen (os.environ["DB_PASSWORT"]).',
        1,
    ),
    (
        "env_references",
        "web_prose",
        "ja",
        "トークンは環境変数 GITHUB_TOKEN から読み込みます（process.env.GITHUB_TOKEN）。",
        1,
    ),
    ("env_references", "web_prose", "zh", '密码从环境变量读取：password = os.getenv("MYSQL_PASSWORD")', 1),
    (
        "env_references",
        "web_prose",
        "es",
        "La contraseña se lee de la variable de entorno: contraseña = ${DB_CONTRASENA}.",
        1,
    ),
    (
        "env_references",
        "java",
        "en",
        '@Value("${jwt.secret}")\nprivate String jwtSecret;\nString apiKey = System.getenv("PAYMENT_API_KEY");',
        1,
    ),
    # ---------------------------------------------------------------- public_keys_certs
    ("public_keys_certs", "authorized_keys", "en", "⟦sshpub⟧\n⟦sshpub⟧", 2),
    ("public_keys_certs", "pem_file", "en", "⟦pem⟧", 2),
    ("public_keys_certs", "pem_file", "en", "⟦pem.cert⟧", 2),
    ("public_keys_certs", "wireguard_conf", "en", "[Peer]\n# laptop\nPublicKey = ⟦wgpub⟧\nAllowedIPs = 10.8.0.3/32", 1),
    (
        "public_keys_certs",
        "dns_zone",
        "en",
        'default._domainkey IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA⟦b64blob.120⟧"',
        1,
    ),
    ("public_keys_certs", "web_prose", "de", "Hier mein öffentlicher Schlüssel für den Serverzugang:\n⟦sshpub⟧", 1),
    ("public_keys_certs", "web_prose", "ru", "Добавьте мой публичный ключ в authorized_keys:\n⟦sshpub⟧", 1),
    ("public_keys_certs", "web_prose", "ja", "公開鍵を登録してください：⟦sshpub⟧", 1),
    (
        "public_keys_certs",
        "sops_config",
        "en",
        "creation_rules:\n  - path_regex: secrets/.*\\.yaml\n    age: ⟦agepub⟧",
        1,
    ),
    (
        "public_keys_certs",
        "json_config",
        "en",
        '{"keys": [{"kty": "RSA", "use": "sig", "kid": "⟦hx.16⟧", "alg": "RS256", "n": "⟦b64u.342⟧", "e": "AQAB"}]}',
        1,
    ),
    (
        "public_keys_certs",
        "known_hosts",
        "en",
        "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n⟦dom⟧ ⟦sshpub⟧",
        1,
    ),
    ("public_keys_certs", "web_prose", "zh", "这是我的SSH公钥，麻烦加到服务器上：⟦sshpub⟧", 1),
]
for _cat, _ctx, _lang, _text, _n in NEGATIVES_2:
    neg(_cat, _ctx, _lang, _text, _n)

NEGATIVES_3: list[tuple[str, str, str, str, int]] = [
    # ---------------------------------------------------------------- password_hashes
    (
        "password_hashes",
        "shadow_file",
        "en",
        "root:⟦sha512crypt⟧:19782:0:99999:7:::\ndaemon:*:19782:0:99999:7:::\n⟦user⟧:⟦sha512crypt⟧:19790:0:99999:7:::",
        2,
    ),
    ("password_hashes", "htpasswd", "en", "admin:⟦apr1⟧\n⟦user⟧:⟦bcrypt⟧", 2),
    (
        "password_hashes",
        "sql",
        "en",
        "INSERT INTO users (id, email, password_hash) VALUES (1, 'admin@example.com', '⟦bcrypt⟧');",
        2,
    ),
    (
        "password_hashes",
        "json_config",
        "en",
        '{"model": "auth.user", "pk": 1, "fields": {"username": "admin", "password": "⟦pbkdf2⟧", "is_superuser": true}}',
        2,
    ),
    (
        "password_hashes",
        "yaml_config",
        "en",
        'users:\n  - name: ops\n    password: "⟦argon2⟧"\n    groups: [admins]',
        2,
    ),
    ("password_hashes", "ldif", "en", "dn: uid=⟦user⟧,ou=people,dc=corp,dc=lan\nuserPassword: ⟦ssha⟧", 1),
    (
        "password_hashes",
        "sql",
        "en",
        "mysql> SELECT user, host, authentication_string FROM mysql.user;\n| app   | %         | ⟦mysqlhash⟧ |",
        1,
    ),
    (
        "password_hashes",
        "web_prose",
        "de",
        "Das Passwort wird nur als Hash gespeichert, z. B. ⟦bcrypt⟧ – der Klartext ist nicht rekonstruierbar.",
        1,
    ),
    ("password_hashes", "web_prose", "ru", "В базе хранится только хеш пароля: ⟦argon2⟧", 1),
    ("password_hashes", "web_prose", "zh", "数据库里保存的是密码哈希：⟦bcrypt⟧", 1),
    ("password_hashes", "web_prose", "ja", "パスワードはハッシュ化して保存しています（例：⟦pbkdf2⟧）。", 1),
    ("password_hashes", "web_prose", "es", "La contraseña se guarda como hash bcrypt: ⟦bcrypt⟧", 1),
    ("password_hashes", "yaml_config", "en", '# grafana / traefik basic auth\nusers:\n  - "admin:⟦apr1⟧"', 1),
    # ---------------------------------------------------------------- checksums_integrity
    (
        "checksums_integrity",
        "cli_output",
        "en",
        "$ sha256sum ubuntu-24.04-live-server-amd64.iso\n⟦sha256⟧  ubuntu-24.04-live-server-amd64.iso",
        2,
    ),
    (
        "checksums_integrity",
        "html",
        "en",
        '<script src="https://cdn.⟦dom⟧/lib.min.js" integrity="⟦sri⟧" crossorigin="anonymous"></script>',
        2,
    ),
    (
        "checksums_integrity",
        "package_lock",
        "en",
        '"node_modules/lodash": {\n  "version": "4.17.21",\n  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",\n  "integrity": "⟦sri.512⟧"\n}',
        2,
    ),
    (
        "checksums_integrity",
        "go_sum",
        "en",
        "github.com/⟦cssid⟧/xlog v1.4.2 ⟦gosum⟧\ngithub.com/⟦cssid⟧/xlog v1.4.2/go.mod ⟦gosum⟧",
        1,
    ),
    (
        "checksums_integrity",
        "cargo_lock",
        "en",
        '[[package]]\nname = "serde"\nversion = "1.0.197"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "⟦sha256⟧"',
        1,
    ),
    (
        "checksums_integrity",
        "cli_output",
        "en",
        "Status: Downloaded newer image for postgres:16\nDigest: sha256:⟦sha256⟧",
        1,
    ),
    (
        "checksums_integrity",
        "homebrew",
        "en",
        'class Xlog < Formula\n  url "https://github.com/⟦cssid⟧/xlog/archive/v1.4.2.tar.gz"\n  sha256 "⟦sha256⟧"\nend',
        1,
    ),
    ("checksums_integrity", "web_prose", "de", "Prüfsumme (SHA-256) der Installationsdatei: ⟦sha256⟧", 1),
    ("checksums_integrity", "web_prose", "fr", "Somme de contrôle MD5 : ⟦md5⟧", 1),
    (
        "checksums_integrity",
        "web_prose",
        "ja",
        "ダウンロード後、SHA-256が ⟦sha256⟧ と一致することを確認してください。",
        1,
    ),
    ("checksums_integrity", "web_prose", "ru", "Контрольная сумма архива (SHA1): ⟦sha1⟧", 1),
    (
        "checksums_integrity",
        "http_response",
        "en",
        'HTTP/1.1 200 OK\nETag: "⟦md5⟧"\nx-amz-version-id: ⟦b64u.32⟧\nContent-Length: 48213',
        1,
    ),
    ("checksums_integrity", "web_prose", "zh", "文件MD5：⟦md5⟧，请下载后校验。", 1),
    # ---------------------------------------------------------------- git_shas
    (
        "git_shas",
        "git_log",
        "en",
        "commit ⟦sha1⟧ (HEAD -> main, origin/main)\nMerge: ⟦sha7⟧ ⟦sha7⟧\nDate:   Tue Mar 5 14:02:11 2024 +0100\n\n    Merge branch 'release/2.4'",
        2,
    ),
    ("git_shas", "cli", "en", "git revert ⟦sha7⟧\ngit cherry-pick ⟦sha1⟧\ngit rebase -i ⟦sha7⟧~3", 2),
    (
        "git_shas",
        "ci_config",
        "en",
        "steps:\n  - uses: actions/checkout@⟦sha1⟧ # v4.1.1\n  - uses: actions/setup-python@⟦sha1⟧ # v5.0.0",
        2,
    ),
    (
        "git_shas",
        "cargo_toml",
        "en",
        '[dependencies]\nrocket = { git = "https://github.com/rwf2/Rocket", rev = "⟦sha1⟧" }',
        1,
    ),
    ("git_shas", "go_mod", "en", "require github.com/⟦cssid⟧/xlog v0.0.0-20240301120000-⟦hx.12⟧", 1),
    ("git_shas", "web_prose", "en", "Fixed in ⟦sha1⟧, will be part of the next release.", 1),
    ("git_shas", "web_prose", "de", "Der Fehler wurde mit Commit ⟦sha7⟧ behoben.", 1),
    ("git_shas", "web_prose", "ja", "この不具合はコミット ⟦sha1⟧ で修正済みです。", 1),
    ("git_shas", "web_prose", "zh", "这个问题在提交⟦sha7⟧中已经修复。", 1),
    ("git_shas", "web_prose", "ru", "Исправлено в коммите ⟦sha1⟧.", 1),
    ("git_shas", "web_prose", "es", "Se corrigió en el commit ⟦sha7⟧ de la rama principal.", 1),
    # ---------------------------------------------------------------- uuids_as_ids
    (
        "uuids_as_ids",
        "http_response",
        "en",
        "HTTP/2 500\nx-request-id: ⟦uuid⟧\nx-correlation-id: ⟦uuid⟧\ncontent-type: application/json",
        2,
    ),
    (
        "uuids_as_ids",
        "json_config",
        "en",
        '{\n  "tenantId": "⟦uuid⟧",\n  "subscriptionId": "⟦uuid⟧",\n  "clientId": "⟦uuid⟧",\n  "resourceGroup": "rg-prod-weu"\n}',
        2,
    ),
    (
        "uuids_as_ids",
        "app_log",
        "en",
        "2024-06-01T10:22:31Z INFO job finished job_id=⟦uuid⟧ trace_id=⟦trace⟧ span_id=⟦hx.16⟧ duration_ms=812",
        2,
    ),
    ("uuids_as_ids", "web_prose", "de", "Bitte geben Sie bei Rückfragen die Vorgangsnummer ⟦uuid⟧ an.", 1),
    ("uuids_as_ids", "web_prose", "fr", "Identifiant de la transaction : ⟦uuid⟧", 1),
    ("uuids_as_ids", "web_prose", "ja", "お問い合わせ番号：⟦uuid⟧", 1),
    ("uuids_as_ids", "web_prose", "zh", "请求ID：⟦uuid⟧", 1),
    ("uuids_as_ids", "web_prose", "ru", "Идентификатор обращения: ⟦uuid⟧", 1),
    ("uuids_as_ids", "sql", "en", "SELECT * FROM orders WHERE id = '⟦uuid⟧' AND customer_id = '⟦uuid⟧';", 1),
    ("uuids_as_ids", "fstab", "en", "UUID=⟦uuid⟧  /boot/efi  vfat  umask=0077  0  1", 1),
    ("uuids_as_ids", "web_prose", "pt", "Código da solicitação: ⟦uuid⟧", 1),
    # ---------------------------------------------------------------- redacted_truncated
    (
        "redacted_truncated",
        "yaml_config",
        "en",
        'database:\n  user: app\n  password: ********\napi:\n  key: "[REDACTED]"',
        2,
    ),
    (
        "redacted_truncated",
        "ci_log",
        "en",
        'Run curl -H "Authorization: Bearer ***" https://api.⟦dom⟧/deploy\n  env:\n    DEPLOY_TOKEN: ***',
        1,
    ),
    (
        "redacted_truncated",
        "app_log",
        "en",
        'Started POST "/users/sign_in" for 127.0.0.1\nParameters: {"user"=>{"email"=>"[FILTERED]", "password"=>"[FILTERED]"}}',
        1,
    ),
    (
        "redacted_truncated",
        "web_prose",
        "en",
        "Your new key sk-proj-…4fQx was created; for security we only show the last four characters.",
        1,
    ),
    (
        "redacted_truncated",
        "json_config",
        "en",
        '{"aws_access_key_id": "AKIA****************", "aws_secret_access_key": "<redacted>"}',
        1,
    ),
    (
        "redacted_truncated",
        "support_ticket",
        "en",
        "My token (ghp_…redacted…) stopped working yesterday, can you check the org settings?",
        1,
    ),
    ("redacted_truncated", "web_prose", "de", "Passwort: ****** (aus Sicherheitsgründen ausgeblendet)", 1),
    ("redacted_truncated", "web_prose", "zh", "密码：******（已隐藏）", 1),
    ("redacted_truncated", "web_prose", "ja", "パスワード：＊＊＊＊＊＊＊＊", 1),
    ("redacted_truncated", "web_prose", "ru", "пароль: ******** (скрыт)", 1),
    ("redacted_truncated", "web_prose", "pt", "senha: ••••••••", 1),
    ("redacted_truncated", "web_prose", "fr", "clé API : sk_live_…XXXX (masquée)", 1),
    (
        "redacted_truncated",
        "cli_output",
        "en",
        "$ heroku config -a ⟦cssid⟧\nDATABASE_URL: postgres://u:****@host/db\nSTRIPE_KEY:   sk_live_...redacted",
        1,
    ),
    # ---------------------------------------------------------------- key_names_without_value
    (
        "key_names_without_value",
        "markdown",
        "en",
        "| Parameter | Type | Description |\n|---|---|---|\n| `api_key` | string | Your API key. Required. |\n| `password` | string | Account password. |\n| `token` | string | Session token returned by `/login`. |",
        1,
    ),
    (
        "key_names_without_value",
        "python",
        "en",
        'parser.add_argument("--password", help="database password (read from stdin if omitted)")\nparser.add_argument("--api-key", dest="api_key")',
        1,
    ),
    (
        "key_names_without_value",
        "cli_output",
        "en",
        "Usage: backup [OPTIONS]\n  -u, --user USER          Database user\n  -p, --password PASSWORD  Password to use when connecting\n  --token TOKEN            API token (or set BACKUP_TOKEN)",
        1,
    ),
    (
        "key_names_without_value",
        "typescript",
        "en",
        "interface Credentials {\n  username: string;\n  password: string;\n  apiKey?: string;\n}",
        1,
    ),
    (
        "key_names_without_value",
        "i18n_json",
        "de",
        '{\n  "password": "Passwort",\n  "forgot_password": "Passwort vergessen?",\n  "api_key_label": "API-Schlüssel",\n  "token_expired": "Sitzung abgelaufen"\n}',
        1,
    ),
    (
        "key_names_without_value",
        "i18n_json",
        "fr",
        '{\n  "password": "Mot de passe",\n  "password_hint": "Au moins 12 caractères",\n  "api_key": "Clé API"\n}',
        1,
    ),
    (
        "key_names_without_value",
        "i18n_yaml",
        "es",
        "es:\n  login:\n    password: Contraseña\n    forgot: ¿Olvidaste tu contraseña?\n    token: Código de verificación",
        1,
    ),
    (
        "key_names_without_value",
        "html",
        "fr",
        '<label for="password">Mot de passe</label>\n<input type="password" id="password" name="password" required minlength="12">',
        1,
    ),
    (
        "key_names_without_value",
        "web_prose",
        "de",
        "Das Passwort muss mindestens 12 Zeichen lang sein und darf den Benutzernamen nicht enthalten.",
        1,
    ),
    ("key_names_without_value", "web_prose", "ru", "Введите пароль от личного кабинета и код из СМС.", 1),
    ("key_names_without_value", "web_prose", "zh", "请输入密码。忘记密码？点击这里重置。", 1),
    (
        "key_names_without_value",
        "web_prose",
        "ja",
        "パスワードを忘れた場合は、APIキーの再発行画面から手続きしてください。",
        1,
    ),
    (
        "key_names_without_value",
        "web_prose",
        "en",
        "Set the API_KEY environment variable before running the script; the password prompt appears only once.",
        1,
    ),
    (
        "key_names_without_value",
        "sql",
        "en",
        "CREATE TABLE accounts (\n  id BIGSERIAL PRIMARY KEY,\n  password_hash VARCHAR(255) NOT NULL,\n  api_token_last4 CHAR(4)\n);",
        1,
    ),
    ("key_names_without_value", "web_prose", "ko", "비밀번호는 8자 이상이어야 합니다.", 1),
    ("key_names_without_value", "web_prose", "tr", "Şifrenizi mi unuttunuz? Yeni şifre oluşturmak için tıklayın.", 1),
    # ---------------------------------------------------------------- trivial_default_passwords
    (
        "trivial_default_passwords",
        "docker_compose",
        "en",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: postgres\n      POSTGRES_PASSWORD: postgres",
        1,
    ),
    (
        "trivial_default_passwords",
        "readme",
        "en",
        "Default login for the local dev stack: **admin / admin**. Grafana: admin / admin. RabbitMQ: guest / guest.",
        1,
    ),
    (
        "trivial_default_passwords",
        "cli",
        "en",
        "keytool -importcert -file ca.pem -keystore truststore.jks -storepass changeit -noprompt",
        1,
    ),
    ("trivial_default_passwords", "cli", "en", "mysql -u root -proot -e 'CREATE DATABASE test;'", 1),
    (
        "trivial_default_passwords",
        "web_prose",
        "de",
        "Standard-Zugangsdaten: Benutzer admin, Passwort admin123 (bitte nach der Einrichtung ändern).",
        1,
    ),
    (
        "trivial_default_passwords",
        "web_prose",
        "fr",
        "Identifiants par défaut : admin / password. Pensez à les modifier.",
        1,
    ),
    ("trivial_default_passwords", "web_prose", "es", "El usuario por defecto es admin y la contraseña 12345678.", 1),
    ("trivial_default_passwords", "web_prose", "ru", "Логин по умолчанию admin, пароль admin — поменяйте сразу.", 1),
    ("trivial_default_passwords", "web_prose", "zh", "默认账号 root，默认密码 123456789。", 1),
    ("trivial_default_passwords", "web_prose", "ja", "初期パスワードは「password」です。", 1),
    (
        "trivial_default_passwords",
        "web_prose",
        "en",
        "On Raspberry Pi OS (legacy) the default user is pi with password raspberry.",
        1,
    ),
    (
        "trivial_default_passwords",
        "python",
        "en",
        'def test_login(client):\n    client.post("/login", data={"username": "test", "password": "password123"})',
        1,
    ),
    ("trivial_default_passwords", "web_prose", "pt", "A senha padrão do roteador é admin.", 1),
    # ---------------------------------------------------------------- documentation_example_tokens
    (
        "documentation_example_tokens",
        "readme",
        "en",
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        1,
    ),
    (
        "documentation_example_tokens",
        "readme",
        "en",
        "Example request:\n\ncurl https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dc:",
        1,
    ),
    (
        "documentation_example_tokens",
        "readme",
        "en",
        "A JWT looks like this:\n\neyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        1,
    ),
    (
        "documentation_example_tokens",
        "readme",
        "en",
        "export SLACK_BOT_TOKEN=xoxb-not-a-real-token-this-will-not-work",
        1,
    ),
    (
        "documentation_example_tokens",
        "web_prose",
        "de",
        "In der Doku steht als Beispiel AKIAIOSFODNN7EXAMPLE – das ist natürlich kein echter Schlüssel.",
        1,
    ),
    (
        "documentation_example_tokens",
        "web_prose",
        "ja",
        "ドキュメントの例（AKIAIOSFODNN7EXAMPLE）をそのまま使ってもエラーになります。",
        1,
    ),
    (
        "documentation_example_tokens",
        "web_prose",
        "zh",
        "官方文档里的示例密钥 wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY 不能直接使用。",
        1,
    ),
    (
        "documentation_example_tokens",
        "yaml_config",
        "en",
        "# from the docs, replace before use\ntwilio:\n  account_sid: ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n  auth_token: your_auth_token",
        1,
    ),
    (
        "documentation_example_tokens",
        "web_prose",
        "es",
        "El token de ejemplo de la documentación es ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLE000000, no funciona.",
        1,
    ),
    (
        "documentation_example_tokens",
        "web_prose",
        "ru",
        "В примере из документации используется ключ AKIAIOSFODNN7EXAMPLE — его нужно заменить своим.",
        1,
    ),
    # ---------------------------------------------------------------- high_entropy_non_secret
    (
        "high_entropy_non_secret",
        "html",
        "en",
        '<link rel="stylesheet" href="/static/css/main.⟦hx.8⟧.css">\n<script defer src="/static/js/main.⟦hx.8⟧.js"></script>\n<script defer src="/static/js/787.⟦hx.8⟧.chunk.js"></script>',
        2,
    ),
    (
        "high_entropy_non_secret",
        "html",
        "en",
        '<div class="css-⟦cssid⟧ e1x⟦cssid⟧0"><span class="styles_button__⟦b64u.5⟧">Buy</span></div>',
        1,
    ),
    (
        "high_entropy_non_secret",
        "html",
        "en",
        '<img alt="" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9h⟦b64blob.90⟧">',
        2,
    ),
    (
        "high_entropy_non_secret",
        "http_response",
        "en",
        "Content-Security-Policy: script-src 'self' 'nonce-⟦b64blob.16⟧' 'sha256-⟦b64blob.32⟧'",
        1,
    ),
    (
        "high_entropy_non_secret",
        "web_prose",
        "en",
        "Watch the talk here: https://www.youtube.com/watch?v=⟦b64u.11⟧ (slides: https://bit.ly/⟦b64u.7⟧)",
        2,
    ),
    (
        "high_entropy_non_secret",
        "json_log",
        "en",
        '{"_id": {"$oid": "⟦objid⟧"}, "sentry_event": "⟦trace⟧", "pod": "api-7d9f8c6b5-⟦cssid⟧"}',
        2,
    ),
    (
        "high_entropy_non_secret",
        "html",
        "en",
        '<script async src="https://www.googletagmanager.com/gtag/js?id=G-⟦upid.10⟧"></script>',
        1,
    ),
    (
        "high_entropy_non_secret",
        "web_prose",
        "de",
        "Das Video findet ihr unter https://youtu.be/⟦b64u.11⟧ – Kapitelmarken in der Beschreibung.",
        1,
    ),
    ("high_entropy_non_secret", "web_prose", "ja", "動画はこちら：https://youtu.be/⟦b64u.11⟧", 1),
    (
        "high_entropy_non_secret",
        "cli_output",
        "en",
        "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\napi          latest    ⟦hx.12⟧   2 hours ago   182MB",
        1,
    ),
    ("high_entropy_non_secret", "web_prose", "zh", "视频链接：https://www.bilibili.com/video/BV1⟦b64u.9⟧", 1),
    # ---------------------------------------------------------------- crypto_wallet_addresses
    (
        "crypto_wallet_addresses",
        "web_prose",
        "en",
        "If you like the project, tips are welcome: BTC ⟦btc⟧ · ETH ⟦eth⟧",
        2,
    ),
    ("crypto_wallet_addresses", "web_prose", "de", "Spenden gerne an folgende Bitcoin-Adresse: ⟦btc⟧", 1),
    ("crypto_wallet_addresses", "web_prose", "zh", "打赏地址（ETH）：⟦eth⟧", 1),
    ("crypto_wallet_addresses", "web_prose", "ru", "Кошелёк для донатов (USDT, ERC-20): ⟦eth⟧", 1),
    (
        "crypto_wallet_addresses",
        "json_log",
        "en",
        '{"tx": "0x⟦sha256⟧", "from": "⟦eth⟧", "to": "⟦eth⟧", "value": "0.25"}',
        2,
    ),
    ("crypto_wallet_addresses", "web_prose", "es", "Dirección para donaciones en Bitcoin: ⟦btc⟧", 1),
    ("crypto_wallet_addresses", "web_prose", "ja", "寄付用アドレス（BTC）：⟦btc⟧", 1),
    ("crypto_wallet_addresses", "web_prose", "pt", "Chave para doação em ETH: ⟦eth⟧", 1),
    ("crypto_wallet_addresses", "web_prose", "tr", "Bağış için BTC adresi: ⟦btc⟧", 1),
    # ---------------------------------------------------------------- secret_words_other_values
    (
        "secret_words_other_values",
        "json_payload",
        "en",
        '{"access_token_type": "Bearer", "token_type": "Bearer", "expires_in": 3600, "scope": "read:orders write:orders"}',
        1,
    ),
    (
        "secret_words_other_values",
        "python",
        "en",
        'tokenizer = AutoTokenizer.from_pretrained("bert-base-multilingual-cased")\nout = model.generate(**inputs, max_new_tokens=256)',
        1,
    ),
    (
        "secret_words_other_values",
        "yaml_config",
        "en",
        "security:\n  password_min_length: 12\n  password_policy: strong\n  token_ttl: 3600s\n  secret_backend: vault\n  passwordless: enabled",
        1,
    ),
    (
        "secret_words_other_values",
        "k8s_manifest",
        "en",
        "volumes:\n  - name: tls\n    secret:\n      secretName: ingress-tls-2024\n      defaultMode: 0400",
        1,
    ),
    (
        "secret_words_other_values",
        "env_file",
        "en",
        "TOKEN_EXPIRY_SECONDS=86400\nAPI_KEY_HEADER=X-Api-Key\nSECRET_MANAGER_PROJECT=⟦cssid⟧-prod\nPASSWORD_RESET_URL=https://app.⟦dom⟧/reset",
        1,
    ),
    (
        "secret_words_other_values",
        "json_config",
        "en",
        '{"openai": {"model": "gpt-4o-mini", "max_tokens": 4096, "api_key_env": "OPENAI_API_KEY"}}',
        1,
    ),
    (
        "secret_words_other_values",
        "yaml_config",
        "de",
        "# Einstellungen für die Passwort-Richtlinie\npasswort:\n  mindestlaenge: 12\n  ablauf_tage: 90\n  verlauf: 5",
        1,
    ),
    (
        "secret_words_other_values",
        "web_prose",
        "ru",
        "Токен действует 3600 секунд, после чего нужно получить новый.",
        1,
    ),
    ("secret_words_other_values", "web_prose", "zh", "令牌类型：Bearer，有效期：7200秒", 1),
    (
        "secret_words_other_values",
        "terraform",
        "en",
        'resource "azurerm_key_vault_secret" "db" {\n  name         = "db-password"\n  key_vault_id = azurerm_key_vault.main.id\n  value        = random_password.db.result\n}',
        1,
    ),
    ("secret_words_other_values", "web_prose", "ja", "パスワードの有効期限は90日、トークンの有効期限は1時間です。", 1),
    # ---------------------------------------------------------------- cloud_resource_ids
    (
        "cloud_resource_ids",
        "json_config",
        "en",
        '{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::⟦aws_acct⟧:role/deploy"}, "Action": "sts:AssumeRole"}',
        2,
    ),
    (
        "cloud_resource_ids",
        "cli_output",
        "en",
        '{\n    "UserId": "AROA⟦upid.17⟧:ci",\n    "Account": "⟦aws_acct⟧",\n    "Arn": "arn:aws:sts::⟦aws_acct⟧:assumed-role/ci/ci"\n}',
        1,
    ),
    (
        "cloud_resource_ids",
        "terraform",
        "en",
        'vpc_id            = "vpc-0⟦hx.16⟧"\nsubnet_ids        = ["subnet-0⟦hx.16⟧", "subnet-0⟦hx.16⟧"]\nsecurity_group_id = "sg-0⟦hx.16⟧"\nami               = "ami-0⟦hx.16⟧"',
        2,
    ),
    (
        "cloud_resource_ids",
        "cli",
        "en",
        "az webapp show --ids /subscriptions/⟦uuid⟧/resourceGroups/rg-prod/providers/Microsoft.Web/sites/⟦cssid⟧-app",
        1,
    ),
    (
        "cloud_resource_ids",
        "yaml_config",
        "en",
        "topic: projects/⟦cssid⟧-prod/topics/orders\nsubscription: projects/⟦cssid⟧-prod/subscriptions/orders-worker",
        1,
    ),
    (
        "cloud_resource_ids",
        "web_prose",
        "de",
        "Die Rolle arn:aws:iam::⟦aws_acct⟧:role/ReadOnly darf nur aus dem Konto ⟦aws_acct⟧ übernommen werden.",
        1,
    ),
    ("cloud_resource_ids", "web_prose", "ja", "インスタンスID i-0⟦hx.16⟧ が停止しています。", 1),
    ("cloud_resource_ids", "web_prose", "zh", "实例ID：i-bp1⟦cssid⟧⟦hx.8⟧，地域：cn-hangzhou", 1),
    (
        "cloud_resource_ids",
        "web_prose",
        "es",
        "El bucket arn:aws:s3:::⟦cssid⟧-backups está en la cuenta ⟦aws_acct⟧.",
        1,
    ),
]
for _cat, _ctx, _lang, _text, _n in NEGATIVES_3:
    neg(_cat, _ctx, _lang, _text, _n)


if __name__ == "__main__":
    sys.exit(main())
