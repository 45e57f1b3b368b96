#!/usr/bin/env python3
"""Generator for PII test set 31 (blind, independent hold-out set).

What it does
------------
Builds pii_testset31.jsonl (next to this script), a labelled set for a detector of
EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD and SECRET.  The focus is on how ordinary
people and small teams write credentials and personal data down: chat exports,
support tickets, e-mails to colleagues and family, onboarding/handover notes,
wikis, account lists pasted as CSV/TSV/Markdown/HTML/wiki/plain tables, invoices,
receipts, order confirmations and web forms in 40+ natural languages (incl.
Cyrillic, Greek, Arabic, Hebrew, Persian, Devanagari, Bengali, Thai, CJK), plus
code/config/logs that such teams share.  Hard negatives come from the same
sources (order/booking/tracking/ticket numbers, masked cards, hashes, ids,
usernames, placeholders, password-policy text, public keys, network names ...).

Everything is generated with random.Random(313131) and the standard library
only; all values (passwords, vendor-format tokens, keys, cards, IPs, e-mails)
are random and fake.  Templates are written in the TEMPLATES block below: a
header line "=== P <lang> <context> [n=K]" (positive) or
"=== N <lang> <context> <category> [n=K]" (hard negative) followed by the text.
Slots look like <<kind:arg#k>> written with the brackets U+27EA/U+27EB; the kind
decides the generator and whether the inserted value is labelled.  Offsets are
recorded while the text is assembled (never searched for afterwards).

Checks (all fatal, re-run over the final records before writing)
-----------------------------------------------------------------
* text[start:end] equals the inserted value for every span; spans sorted and
  non-overlapping; positives have >= 1 span, negatives have none.
* every IP_ADDRESS span parses, is_global, and is outside the documentation
  ranges (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32) and 6to4.
* every CREDIT_CARD span is Luhn-valid with a real brand prefix/length
  (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir).
* every EMAIL_ADDRESS span has a syntactically valid address on a
  non-reserved domain (not example.com/.org/.net, .test, .invalid,
  .localhost, .example).
* SECRET spans do not contain vendor-example markers (EXAMPLE, example, xxxx,
  your_), do not start with a symbol, do not end in . , ! ? : ; and carry no
  scheme prefix (Bearer/Basic/token/base64:).
* ids unique, no text repeated.
* a simple scanner run over every negative text and over the unlabelled parts
  of every positive text (labelled spans blanked out) finds no public IPv4, no
  Luhn-valid brand-prefixed card number (digit groups separated by single
  spaces/dashes, delimited by non-alphanumerics) and no e-mail address on a
  non-reserved domain.  Documented exception: category "version_number"
  (dotted four-part version strings are allowed to look like public IPv4s;
  that is the point of that hard negative).  Renders that trip the scanner
  are re-drawn, and the final pass asserts the property.
Set-level targets (record count, span counts per entity, number of templates,
categories, languages, vendor formats) are asserted at the end as well.
"""

import base64
import ipaddress
import json
import os
import random
import re
import string
import sys
from collections import Counter

R = random.Random(313131)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset31.jsonl")

ALNUM = string.ascii_letters + string.digits
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIG = string.digits
HEX = "0123456789abcdef"
UHEX = "0123456789ABCDEF"
B64 = ALNUM + "+/"
B64U = ALNUM + "-_"
UPDIG = UPPER + DIG
CRYPT = "./" + ALNUM


def rs(n, chars=ALNUM):
    return "".join(R.choice(chars) for _ in range(n))


def rd(n):
    return str(R.randint(1, 9)) + rs(n - 1, DIG)


def rs_alnum_end(n, chars):
    """random string from chars whose first and last char are alphanumeric"""
    if n < 2:
        return rs(n)
    return R.choice(ALNUM) + rs(n - 2, chars) + R.choice(ALNUM)


# ---------------------------------------------------------------- passwords
WORDS = [
    "Kiwi",
    "Lantern",
    "Ferry",
    "Copper",
    "Violin",
    "Maple",
    "Orbit",
    "Cobalt",
    "Pepper",
    "Harbor",
    "Falcon",
    "Meadow",
    "Quartz",
    "Tundra",
    "Nimbus",
    "Walrus",
    "Saffron",
    "Pixel",
    "Juniper",
    "Marble",
    "Comet",
    "Otter",
    "Birch",
    "Velvet",
    "Ginger",
    "Canyon",
    "Raven",
    "Thistle",
    "Mango",
    "Glacier",
    "Lupine",
    "Anchor",
    "Basalt",
    "Cricket",
    "Dahlia",
    "Ember",
    "Fjord",
    "Gecko",
    "Hazel",
    "Indigo",
]
LWORDS = [w.lower() for w in WORDS] + [
    "tram",
    "pebble",
    "sparrow",
    "kettle",
    "lagoon",
    "rumba",
    "oyster",
    "saddle",
    "cactus",
    "hammock",
]
SYM = "!%*+-_=."
SYM_URL = "-_."


def _mixed_ok(p):
    return any(c.islower() for c in p) and any(c.isupper() for c in p) and any(c.isdigit() for c in p)


def password(url_safe=False):
    syms = SYM_URL if url_safe else SYM
    while True:
        style = R.random()
        if style < 0.5:
            n = R.randint(10, 16)
            p = R.choice(ALNUM) + rs(n - 2, ALNUM + ALNUM + syms) + R.choice(ALNUM)
        elif style < 0.8:
            p = R.choice(WORDS) + R.choice(syms) + R.choice(WORDS) + rd(R.randint(2, 4))
        else:
            p = R.choice(LWORDS) + rd(2) + R.choice(WORDS) + R.choice(syms) + R.choice(DIG + LOWER)
            if p[-1] in LOWER:
                p += R.choice(DIG)
        if len(p) >= 8 and _mixed_ok(p) and p[0].isalnum() and p[-1].isalnum() and ".." not in p:
            return p


def passphrase():
    sep = R.choice("-._")
    ws = R.sample(LWORDS, R.randint(3, 4))
    if R.random() < 0.4:
        ws = [w.capitalize() for w in ws]
    ws.insert(R.randint(1, len(ws)), str(R.randint(10, 9999)))
    return sep.join(ws)


def pin():
    while True:
        p = rs(R.randint(6, 8), UPDIG)
        if any(c.isdigit() for c in p) and any(c.isalpha() for c in p):
            return p


def psk():
    return password() if R.random() < 0.6 else passphrase()


# ---------------------------------------------------------------- vendor tokens
def _tg():
    return f"{R.randint(100000000, 7999999999)}:AA{rs(33, B64U)}"


def _discord():
    uid = str(R.randint(10**17, 10**18 - 1)).encode()
    return base64.b64encode(uid).decode().rstrip("=") + "." + rs(6, B64U) + "." + rs_alnum_end(38, B64U)


def _azstorage():
    return base64.b64encode(bytes(R.getrandbits(8) for _ in range(64))).decode()


VENDORS = {
    "ghp": lambda: "ghp_" + rs(36),
    "gho": lambda: "gho_" + rs(36),
    "ghs": lambda: "ghs_" + rs(36),
    "ghpat": lambda: "github_pat_" + rs(22) + "_" + rs(59),
    "glpat": lambda: "glpat-" + rs_alnum_end(20, B64U),
    "glrt": lambda: "glrt-" + rs_alnum_end(20, B64U),
    "xoxb": lambda: f"xoxb-{rd(11)}-{rd(13)}-{rs(24)}",
    "xoxp": lambda: f"xoxp-{rd(11)}-{rd(11)}-{rd(13)}-{rs(32, HEX)}",
    "sk_live": lambda: "sk_live_" + (rs(24) if R.random() < 0.4 else "51" + rs(97)),
    "sk_test": lambda: "sk_test_" + (rs(24) if R.random() < 0.4 else "51" + rs(97)),
    "rk_live": lambda: "rk_live_" + rs(24) if R.random() < 0.5 else "rk_live_51" + rs(97),
    "whsec": lambda: "whsec_" + rs(32),
    "akia": lambda: R.choice(["AKIA", "AKIA", "ASIA"]) + rs(16, UPPER + "234567"),
    "awssecret": lambda: rs_alnum_end(40, ALNUM + "/+"),
    "aiza": lambda: "AIza" + rs(34, B64U) + R.choice(ALNUM),
    "twsk": lambda: "SK" + rs(32, HEX),
    "sg": lambda: "SG." + rs(22, B64U) + "." + rs_alnum_end(43, B64U),
    "openai": lambda: "sk-proj-" + rs(74, B64U) + "T3BlbkFJ" + rs_alnum_end(74, B64U),
    "anthropic": lambda: "sk-ant-api03-" + rs(93, B64U) + "AA",
    "npm": lambda: "npm_" + rs(36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs_alnum_end(R.randint(60, 90), B64U),
    "shpat": lambda: "shpat_" + rs(32, HEX),
    "shpss": lambda: "shpss_" + rs(32, HEX),
    "mailgun": lambda: "key-" + rs(32, HEX),
    "mailchimp": lambda: rs(32, HEX) + "-us" + str(R.randint(2, 21)),
    "telegram": _tg,
    "discord": _discord,
    "do": lambda: "dop_v1_" + rs(64, HEX),
    "hf": lambda: "hf_" + rs(34),
    "atlassian": lambda: "ATATT3xFfGF0" + rs(170, B64U) + "=" + rs(8, UHEX),
    "pmak": lambda: "PMAK-" + rs(24, HEX) + "-" + rs(34, HEX),
    "linear": lambda: "lin_api_" + rs(40),
    "notion": lambda: ("ntn_" + rs(46)) if R.random() < 0.5 else ("secret_" + rs(43)),
    "dapi": lambda: "dapi" + rs(32, HEX),
    "glsa": lambda: "glsa_" + rs(32) + "_" + rs(8, HEX),
    "nrak": lambda: "NRAK-" + rs(27, UPDIG),
    "vault": lambda: "hvs.CAESI" + rs_alnum_end(R.randint(80, 100), B64U),
    "pulumi": lambda: "pul-" + rs(40, HEX),
    "tfc": lambda: rs(14) + ".atlasv1." + rs(67),
    "gocspx": lambda: "GOCSPX-" + rs_alnum_end(28, B64U),
    "azurecs": lambda: rs(3) + "8Q~" + rs_alnum_end(34, ALNUM + "~_.-"),
    "sentry": lambda: "sntryu_" + rs(64, HEX),
    "figma": lambda: "figd_" + rs_alnum_end(40, B64U),
    "square": lambda: "EAAA" + rs_alnum_end(60, B64U),
    "dropbox": lambda: "sl.B" + rs_alnum_end(R.randint(120, 140), B64U),
    "azstorage": _azstorage,
    "doppler": lambda: "dp.st." + rs(R.randint(3, 8), LOWER) + "." + rs(40),
    "b2": lambda: "K00" + R.choice("345") + rs(27),
    "mercadopago": lambda: f"APP_USR-{rd(16)}-{rd(6)}-{rs(32, HEX)}-{rd(9)}",
}
VENDOR_USED = Counter()


def vendor(arg):
    name = arg or R.choice(sorted(VENDORS))
    VENDOR_USED[name] += 1
    return VENDORS[name]()


# ---------------------------------------------------------------- other secrets
def b64e(b):
    return base64.b64encode(b).decode()


def b64u_json(o):
    return base64.urlsafe_b64encode(json.dumps(o, separators=(",", ":")).encode()).rstrip(b"=").decode()


def jwt():
    alg = R.choice(["HS256", "HS256", "RS256", "ES256"])
    iat = R.randint(1690000000, 1760000000)
    pl = {"sub": str(R.randint(1000, 9999999)), "iat": iat, "exp": iat + R.choice([900, 3600, 86400])}
    if R.random() < 0.5:
        pl["role"] = R.choice(["admin", "editor", "service", "user"])
    if R.random() < 0.3:
        pl["iss"] = R.choice(["auth", "api", "sso"])
    siglen = {"HS256": 43, "RS256": 342, "ES256": 86}[alg]
    return b64u_json({"alg": alg, "typ": "JWT"}) + "." + b64u_json(pl) + "." + rs_alnum_end(siglen, B64U)


PKEY_KINDS = {
    "rsa": ("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 64),
    "pkcs8": ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 64),
    "ec": ("EC PRIVATE KEY", "MHcCAQEEI", 64),
    "openssh": ("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 70),
    "enc": ("ENCRYPTED PRIVATE KEY", "MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI", 64),
}


def pem_block(label, prefix, width, nlines, sep="\n"):
    body = prefix + rs(width * nlines - len(prefix) - R.randint(4, 30), B64)
    if len(body) % 4:
        body += "=" * (4 - len(body) % 4) if len(body) % 4 != 1 else "A=="
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    return f"-----BEGIN {label}-----" + sep + sep.join(lines) + sep + f"-----END {label}-----"


def pkey(arg):
    sep = "\n"
    if arg == "json":
        sep, kind = "\\n", "pkcs8"
    else:
        kind = arg or R.choice(sorted(PKEY_KINDS))
    label, prefix, width = PKEY_KINDS[kind]
    n = 2 if kind == "ec" else R.randint(5, 9)
    return pem_block(label, prefix, width, n, sep)


def basic_b64():
    return b64e(f"{username()}:{password()}".encode())


# ---------------------------------------------------------------- e-mails
FIRSTS = [
    "anna",
    "lukas",
    "olivia",
    "marco",
    "sofia",
    "jan",
    "mei",
    "kenji",
    "fatima",
    "omar",
    "ingrid",
    "pavel",
    "elena",
    "tomas",
    "priya",
    "diego",
    "chloe",
    "noah",
    "aiko",
    "minh",
    "zeynep",
    "ivan",
    "laura",
    "mateo",
    "sara",
    "yusuf",
    "nina",
    "hugo",
    "emma",
    "rafael",
    "amina",
    "bence",
    "oksana",
    "dimitris",
    "noa",
    "reza",
    "arjun",
    "somchai",
    "siti",
    "juma",
]
LASTS = [
    "kowalski",
    "berg",
    "hart",
    "rossi",
    "nakamura",
    "haddad",
    "novak",
    "petrov",
    "garcia",
    "nguyen",
    "fischer",
    "dubois",
    "silva",
    "jensen",
    "yilmaz",
    "kim",
    "wang",
    "horvat",
    "popescu",
    "sharma",
    "okafor",
    "lindqvist",
    "moreau",
    "schmidt",
    "costa",
    "virtanen",
    "ozols",
    "tamm",
    "puig",
    "rahman",
    "cohen",
    "karimi",
    "otieno",
    "santos",
    "tanaka",
]
ROLES = [
    "billing",
    "support",
    "info",
    "office",
    "hr",
    "buchhaltung",
    "contabilidad",
    "compta",
    "it-helpdesk",
    "accounts",
    "kontakt",
    "sales",
    "admin",
    "shop",
    "rechnungen",
    "ventas",
    "kundenservice",
    "reception",
    "finance",
    "team",
]
PROVIDERS = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "web.de",
    "gmx.de",
    "gmx.at",
    "mail.ru",
    "yandex.ru",
    "naver.com",
    "qq.com",
    "163.com",
    "orange.fr",
    "free.fr",
    "libero.it",
    "wp.pl",
    "o2.pl",
    "seznam.cz",
    "proton.me",
    "icloud.com",
    "hotmail.com",
    "yahoo.co.jp",
    "ukr.net",
    "abv.bg",
    "bluewin.ch",
    "t-online.de",
    "hotmail.es",
    "uol.com.br",
    "rediffmail.com",
    "daum.net",
    "mail.com",
    "inbox.lv",
    "zoho.com",
    "fastmail.com",
]
SYLL = [
    "nord",
    "blau",
    "sol",
    "kaffee",
    "bit",
    "werk",
    "luma",
    "terra",
    "piko",
    "vela",
    "oro",
    "mira",
    "kobo",
    "zen",
    "alpi",
    "ferro",
    "nova",
    "rio",
    "sakura",
    "tiga",
    "lumen",
    "brix",
    "hafen",
    "casa",
    "polar",
    "vinto",
    "kraft",
    "sora",
    "menta",
    "delta",
]
TLDS = [
    "com",
    "net",
    "org",
    "de",
    "fr",
    "es",
    "it",
    "pl",
    "cz",
    "nl",
    "se",
    "dk",
    "no",
    "fi",
    "hu",
    "ro",
    "bg",
    "ru",
    "com.ua",
    "gr",
    "com.tr",
    "co.il",
    "ir",
    "in",
    "com.bd",
    "co.th",
    "vn",
    "co.id",
    "com.my",
    "ph",
    "cn",
    "jp",
    "co.kr",
    "co.ke",
    "hr",
    "rs",
    "si",
    "lt",
    "lv",
    "ee",
    "cat",
    "is",
    "io",
    "co",
    "co.uk",
    "com.au",
    "ch",
    "at",
    "be",
    "pt",
    "com.br",
    "mx",
    "sk",
]
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("test", "invalid", "localhost", "example")


def domain():
    d = R.choice(SYLL) + ("-" if R.random() < 0.3 else "") + R.choice(SYLL)
    return d + "." + R.choice(TLDS)


def email(arg):
    if arg == "gsa":
        return f"{R.choice(LWORDS)}-{R.choice(['deploy', 'ci', 'backup', 'sheets'])}@{R.choice(LWORDS)}-{rd(6)}.iam.gserviceaccount.com"
    if arg == "role" or (arg is None and R.random() < 0.2):
        return R.choice(ROLES) + "@" + domain()
    f, l = R.choice(FIRSTS), R.choice(LASTS)
    local = R.choice(
        [
            f"{f}.{l}",
            f"{f[0]}{l}",
            f"{f}_{l}{R.randint(1, 99)}",
            f"{f}{R.randint(70, 99)}",
            f"{l}.{f[0]}",
            f"{f}-{l}",
            f"{f}.{l}+{R.choice(['shop', 'news', 'work'])}",
        ]
    )
    dom = R.choice(PROVIDERS) if R.random() < 0.45 else domain()
    return f"{local}@{dom}"


def exemail(arg=None):
    f = R.choice(FIRSTS)
    dom = R.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "shop.example",
            "mail.test",
            "staging.invalid",
            "dev.localhost",
            "example.com",
            "qa.example.com",
        ]
    )
    return R.choice(
        [f"{f}@{dom}", f"{f}.{R.choice(LASTS)}@{dom}", f"test{R.randint(1, 99)}@{dom}", f"{R.choice(ROLES)}@{dom}"]
    )


def email_reserved(dom):
    dom = dom.lower()
    return (
        dom in RESERVED_DOMAINS
        or any(dom.endswith("." + r) for r in RESERVED_DOMAINS)
        or dom.rsplit(".", 1)[-1] in RESERVED_TLDS
    )


# ---------------------------------------------------------------- IPs
DOC_NETS = [
    ipaddress.ip_network(n)
    for n in (
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "2001:db8::/32",
        "2002::/16",
        "64:ff9b::/96",
        "2001::/23",
    )
]


def ip_public(s):
    a = ipaddress.ip_address(s)
    if (
        not a.is_global
        or a.is_multicast
        or a.is_reserved
        or a.is_private
        or a.is_loopback
        or a.is_link_local
        or a.is_unspecified
    ):
        return False
    return not any(a in n for n in DOC_NETS if n.version == a.version)


def ip4():
    while True:
        a = str(ipaddress.IPv4Address(R.getrandbits(32)))
        if ip_public(a) and not a.endswith(".0") and not a.endswith(".255"):
            return a


V6P = [
    "2a01",
    "2a02",
    "2a03",
    "2a05",
    "2600",
    "2604",
    "2607",
    "2620",
    "2400",
    "2405",
    "2409",
    "2c0f",
    "2800",
    "2a00",
    "2a0e",
    "2406",
    "2803",
]


def ip6():
    while True:
        g = [R.choice(V6P), "%x" % R.randint(0x100, 0xFFFF), "%x" % R.randint(0, 0xFFFF)]
        if R.random() < 0.5:
            g += ["%x" % R.randint(0, 0xFFFF), "0", "0", "0", "%x" % R.randint(1, 0xFF)]
        else:
            g += ["%x" % R.randint(0, 0xFFF)] + ["%x" % R.randint(0, 0xFFFF) for _ in range(4)]
        a = str(ipaddress.IPv6Address(":".join(g)))
        if ip_public(a):
            return a


def ip_any():
    return ip6() if R.random() < 0.22 else ip4()


def privip(arg=None):
    c = R.random()
    if arg == "4" or c < 0.85:
        return R.choice(
            [
                f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
                f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
                f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
                f"100.{R.randint(64, 127)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
                "127.0.0.1",
                f"169.254.{R.randint(1, 254)}.{R.randint(1, 254)}",
            ]
        )
    return R.choice([f"fd{rs(2, HEX)}:{rs(4, HEX)}::{R.randint(1, 99)}", f"fe80::{rs(4, HEX)}:{rs(4, HEX)}"])


def docip(arg=None):
    return R.choice(
        [
            f"192.0.2.{R.randint(1, 254)}",
            f"198.51.100.{R.randint(1, 254)}",
            f"203.0.113.{R.randint(1, 254)}",
            f"2001:db8::{R.randint(1, 0xFFF):x}",
        ]
    )


# ---------------------------------------------------------------- cards
def luhn_ok(d):
    s = 0
    for i, ch in enumerate(reversed(d)):
        x = int(ch)
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        s += x
    return s % 10 == 0


def brand_of(d):
    n = len(d)
    if n < 12 or not d.isdigit():
        return None
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p4 == 3095 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    if p4 in (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763) and 12 <= n <= 19:
        return "maestro"
    if 2200 <= p4 <= 2204 and n == 16:
        return "mir"
    return None


CARD_RULES = {
    "visa": (["4"], [16, 16, 16, 13]),
    "mc": (["51", "52", "53", "54", "55", "2221", "2300", "2720", "2511"], [16]),
    "amex": (["34", "37"], [15]),
    "discover": (["6011", "65", "644", "649"], [16]),
    "jcb": (["3528", "3530", "3566", "3589"], [16]),
    "diners": (["300", "305", "36", "38"], [14]),
    "unionpay": (["62"], [16, 19]),
    "maestro": (["5018", "6304", "6759", "6761"], [16, 19]),
    "mir": (["2200", "2201", "2202", "2204"], [16]),
}
CARD_WEIGHTS = {
    "visa": 8,
    "mc": 6,
    "amex": 3,
    "discover": 2,
    "jcb": 1,
    "diners": 1,
    "unionpay": 1,
    "maestro": 1,
    "mir": 1,
}


def card(arg):
    b = arg or R.choices(list(CARD_WEIGHTS), weights=list(CARD_WEIGHTS.values()))[0]
    prefixes, lens = CARD_RULES[b]
    while True:
        p, n = R.choice(prefixes), R.choice(lens)
        if b == "unionpay" and p == "62" and R.random() < 0.5:
            p = "621" + str(R.randint(0, 1))  # keep clear of the Discover co-brand window
        body = p + rs(n - len(p) - 1, DIG)
        for c in DIG:
            if luhn_ok(body + c):
                d = body + c
                break
        if brand_of(d):
            break
    sep = R.choice(["", " ", " ", " ", "-"])
    if b == "amex":
        groups = [d[:4], d[4:10], d[10:]]
    elif b == "diners" and n == 14:
        groups = [d[:4], d[4:10], d[10:]]
    else:
        groups = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(groups) if sep else d


# ---------------------------------------------------------------- unlabelled fillers
NAMES = {
    "en": ["Olivia Hart", "Marcus Reed", "Priya Nair", "Tom Bennett", "Grace Okafor", "Liam Doyle"],
    "de": ["Jana Hoffmann", "Lukas Brandt", "Miriam Vogel", "Stefan Kühn", "Paula Weiß"],
    "fr": ["Camille Laurent", "Hugo Marchand", "Élodie Perrin", "Julien Roux"],
    "es": ["Lucía Romero", "Diego Navarro", "Carmen Ortega", "Pablo Serrano"],
    "it": ["Giulia Conti", "Marco Ferri", "Chiara Galli", "Luca Bassi"],
    "pt": ["Beatriz Costa", "João Almeida", "Mariana Lopes", "Rui Tavares"],
    "nl": ["Sanne de Vries", "Joris Bakker", "Eva Jansen", "Daan Visser"],
    "sv": ["Elin Lindqvist", "Oskar Berg", "Maja Holm", "Axel Sandberg"],
    "da": ["Freja Mortensen", "Mads Kjær", "Ida Thomsen", "Rasmus Holt"],
    "no": ["Ingrid Solberg", "Henrik Dahl", "Sofie Haugen", "Magnus Lie"],
    "fi": ["Aino Virtanen", "Mikko Laine", "Venla Koskinen", "Juho Nieminen"],
    "pl": ["Zofia Wiśniewska", "Kacper Nowak", "Agnieszka Zając", "Tomasz Wróbel"],
    "cs": ["Tereza Novotná", "Jakub Dvořák", "Lucie Černá", "Ondřej Svoboda"],
    "sk": ["Zuzana Horváthová", "Martin Kováč", "Petra Balážová", "Marek Tóth"],
    "hu": ["Kovács Eszter", "Nagy Bence", "Szabó Réka", "Tóth Gergely"],
    "ro": ["Ioana Popescu", "Andrei Ionescu", "Elena Dumitru", "Mihai Stan"],
    "bg": ["Мария Петрова", "Георги Иванов", "Елена Димитрова", "Николай Стоянов"],
    "ru": ["Анна Смирнова", "Дмитрий Волков", "Екатерина Орлова", "Сергей Попов"],
    "uk": ["Оксана Коваленко", "Тарас Шевчук", "Ірина Бондар", "Андрій Мельник"],
    "el": ["Μαρία Παπαδοπούλου", "Γιώργος Νικολάου", "Ελένη Γεωργίου", "Κώστας Δημητρίου"],
    "tr": ["Elif Yılmaz", "Emre Demir", "Zeynep Kaya", "Burak Şahin"],
    "ar": ["ليلى حداد", "عمر الخطيب", "سارة منصور", "يوسف العلي"],
    "he": ["נועה כהן", "איתי לוי", "מיכל פרץ", "יונתן מזרחי"],
    "fa": ["مریم رضایی", "علی محمدی", "سارا احمدی", "رضا کریمی"],
    "hi": ["प्रिया शर्मा", "राहुल वर्मा", "अनीता गुप्ता", "विकास सिंह"],
    "bn": ["সুমাইয়া রহমান", "তানভীর হাসান", "রুমানা আক্তার", "অমিত দাস"],
    "th": ["สมชาย ใจดี", "พิมพ์ชนก ศรีสุข", "อนุชา วงศ์ไทย", "กมลวรรณ แสงทอง"],
    "vi": ["Nguyễn Thu Hà", "Trần Minh Quân", "Lê Thị Mai", "Phạm Đức Anh"],
    "id": ["Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Agus Pratama"],
    "ms": ["Nurul Aisyah", "Ahmad Faizal", "Siti Hajar", "Mohd Hafiz"],
    "tl": ["Maria Santos", "Jose Reyes", "Angelica Cruz", "Mark Villanueva"],
    "zh": ["王芳", "李伟", "张敏", "陈杰", "刘洋"],
    "ja": ["佐藤 美咲", "鈴木 大輔", "高橋 由衣", "田中 健"],
    "ko": ["김민지", "이준호", "박서연", "최현우"],
    "sw": ["Amina Njoroge", "Baraka Otieno", "Neema Mwangi", "Juma Kiprop"],
    "hr": ["Ana Horvat", "Ivan Babić", "Petra Jurić", "Marko Kovačević"],
    "sr": ["Јелена Петровић", "Милош Јовановић", "Ана Николић", "Стефан Илић"],
    "sl": ["Nina Kranjc", "Jure Zupan", "Maja Potočnik", "Luka Novak"],
    "lt": ["Austėja Kazlauskienė", "Mantas Petrauskas", "Rūta Jankauskaitė", "Tomas Žukauskas"],
    "lv": ["Laura Ozola", "Jānis Bērziņš", "Anna Kalniņa", "Mārtiņš Liepa"],
    "et": ["Kadri Tamm", "Martin Saar", "Liis Kask", "Rasmus Mägi"],
    "ca": ["Laia Puig", "Jordi Vidal", "Montse Ferrer", "Pau Soler"],
    "is": ["Guðrún Jónsdóttir", "Sigurður Ólafsson", "Helga Björnsdóttir"],
}


def name(arg, lang):
    return R.choice(NAMES.get(arg or lang, NAMES["en"]))


def first(arg, lang):
    n = name(arg, lang)
    if " " not in n:
        return n
    return n.split()[-1] if (arg or lang) == "hu" else n.split()[0]


USERS = [
    "mkowalski",
    "anna.berg",
    "jdoe_ops",
    "svc-backup",
    "tereza.n",
    "h.tanaka",
    "lkrause",
    "ops-admin2",
    "buchhaltung1",
    "kasse02",
    "frontdesk",
    "ahmed.r",
    "nguyen.ha",
    "dev_lukas",
    "printer-admin",
    "m.rossi",
    "p.novak",
    "sato.m",
    "kim_jh",
    "deploy",
    "shopadmin",
    "webmaster",
    "e.lindqvist",
    "a.haddad",
    "r.costa",
    "zkaya",
    "office-pc3",
    "lager",
    "i.petrova",
    "wp_editor",
]


def username(arg=None, lang=None):
    u = R.choice(USERS)
    return u + str(R.randint(1, 99)) if R.random() < 0.3 else u


def rdate():
    y, m, d = R.randint(2023, 2025), R.randint(1, 12), R.randint(1, 28)
    return R.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}", f"{d:02d}/{m:02d}/{y}"])


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def ts(fmt):
    y, m, d = R.randint(2023, 2025), R.randint(1, 12), R.randint(1, 28)
    H, M, S = R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)
    if fmt == "iso":
        return f"{y}-{m:02d}-{d:02d}T{H:02d}:{M:02d}:{S:02d}Z"
    if fmt == "clf":
        return f"{d:02d}/{MONTHS[m - 1]}/{y}:{H:02d}:{M:02d}:{S:02d} +0000"
    if fmt == "syslog":
        return f"{MONTHS[m - 1]} {d:2d} {H:02d}:{M:02d}:{S:02d}"
    if fmt == "apache":
        return f"{R.choice(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])} {MONTHS[m - 1]} {d:02d} {H:02d}:{M:02d}:{S:02d}.{rs(6, DIG)} {y}"
    return f"{y}-{m:02d}-{d:02d} {H:02d}:{M:02d}:{S:02d}"


def amount():
    v = R.randint(3, 2400)
    c = R.randint(0, 99)
    return R.choice([f"{v}.{c:02d}", f"{v},{c:02d}", f"{v}"])


def order_no():
    return R.choice(
        [
            f"#{rd(7)}",
            f"ORD-{R.randint(2023, 2025)}-{rd(6)}",
            f"{rd(3)}-{rs(7, DIG)}-{rs(7, DIG)}",
            f"A{rd(9)}",
            f"SO{rd(8)}",
            f"{rs(3, UPPER)}{rd(6)}",
        ]
    )


def track_no():
    return R.choice(
        [
            "1Z" + rs(16, UPDIG),
            "JJD" + rs(18, DIG),
            f"RR{rd(9)}DE",
            f"LX{rd(9)}CN",
            f"00340434{rs(12, DIG)}",
            "9400 " + " ".join(rs(4, DIG) for _ in range(4)) + " " + rs(2, DIG),
            f"CZ{rd(9)}RU",
            f"{rd(12)}",
        ]
    )


def ticket_no():
    return R.choice(
        [
            f"INC{rs(7, DIG)}",
            f"#{rd(5)}",
            f"SUP-{rd(4)}",
            f"REQ-{rd(6)}",
            f"HD-{rd(5)}",
            f"[Ticket#{R.randint(2023, 2025)}{rs(6, DIG)}]",
        ]
    )


def bref():
    return rs(6, UPPER) if R.random() < 0.5 else rs(2, UPPER) + rs(1, DIG) + rs(3, UPPER + DIG)


def invno():
    return R.choice(
        [
            f"RE-{R.randint(2023, 2025)}-{rd(5)}",
            f"F{rd(8)}",
            f"INV-{rd(6)}",
            f"{R.randint(2023, 2025)}/{rd(4)}",
            f"{rs(2, UPPER)}{rd(5)}",
        ]
    )


def masked(arg=None):
    l4 = rs(4, DIG)
    return R.choice(
        [
            f"**** **** **** {l4}",
            f"XXXX-XXXX-XXXX-{l4}",
            f"•••• {l4}",
            f"************{l4}",
            f"{R.choice(['4', '5', '37'])}{'*' * 11}{l4}",
            f"xxxx xxxx xxxx {l4}",
        ]
    )


def masked64():
    return R.choice(["4", "5"]) + rs(5, DIG) + "******" + rs(4, DIG)


def bcrypt():
    return f"$2{R.choice('aby')}${R.choice(['10', '12', '12', '14'])}$" + rs(53, CRYPT)


def shacrypt():
    return "$6$" + rs(16, CRYPT) + "$" + rs(86, CRYPT)


def argon():
    return "$argon2id$v=19$m=65536,t=3,p=4$" + rs(22, B64.replace("+", "").replace("/", "")) + "$" + rs(43, ALNUM)


def cisco9():
    return "$9$" + rs(14, CRYPT) + "$" + rs(43, CRYPT)


def cisco8():
    return "$8$" + rs(14, CRYPT) + "$" + rs(43, CRYPT)


def md5crypt():
    return "$1$" + rs(8, CRYPT) + "$" + rs(22, CRYPT)


def apr1():
    return "$apr1$" + rs(8, CRYPT) + "$" + rs(22, CRYPT)


def uuid():
    h = rs(32, HEX)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice('89ab')}{h[17:20]}-{h[20:]}"


def phone(arg, lang):
    cc = {
        "de": "+49",
        "fr": "+33",
        "it": "+39",
        "es": "+34",
        "pl": "+48",
        "ru": "+7",
        "tr": "+90",
        "ja": "+81",
        "en": "+44",
        "pt": "+351",
        "nl": "+31",
        "in": "+91",
    }.get(arg or lang, "+44")
    return f"{cc} {rd(3)} {rs(3, DIG)} {rs(4, DIG)}"


SSIDS = [
    "FRITZ!Box 7590 {}",
    "Kaffeeklatsch_5G",
    "TP-Link_{}",
    "Office-Guest",
    "Lager-WLAN",
    "Vodafone-{}",
    "Livebox-{}",
    "HUAWEI-{}",
    "Studio_{}",
    "Cafe Mira Gast",
    "NETGEAR{}",
    "Praxis-Intern",
    "Casa_{}_5G",
    "Sunrise_{}",
    "ASUS_{}_2G",
]


def ssid():
    return R.choice(SSIDS).format(rs(4, UHEX))


def sshpub():
    kt = R.choice(["ed25519", "rsa"])
    body = (
        ("AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(43, B64))
        if kt == "ed25519"
        else ("AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(180, B64))
    )
    return f"ssh-{kt} {body} {R.choice(USERS).replace('.', '_')}@{R.choice(['laptop', 'ws07', 'macbook', 'buildbox'])}"


def wallet(arg):
    if (arg or R.choice(["btc", "eth"])) == "btc":
        return "bc1q" + rs(38, "qpzry9x8gf2tvdw0s3jn54khce6mua7l")
    return "0x" + rs(40, HEX + "ABCDEF")


ENVNAMES = [
    "DB_PASSWORD",
    "API_TOKEN",
    "STRIPE_SECRET_KEY",
    "SMTP_PASS",
    "GITHUB_TOKEN",
    "JWT_SECRET",
    "MAIL_PASSWORD",
    "REDIS_PASSWORD",
    "OPENAI_API_KEY",
    "S3_SECRET",
]


def envref():
    e = R.choice(ENVNAMES)
    return R.choice(
        [
            f"${{{e}}}",
            f"${e}",
            f"%{e}%",
            f"{{{{ secrets.{e} }}}}",
            f"process.env.{e}",
            f"os.environ['{e}']",
            f'env("{e}")',
            f"${{{e}:?missing}}",
        ]
    )


PLACEHOLDERS = [
    "<PASSWORD>",
    "********",
    "xxxxxxxxxxxx",
    "your_api_key_here",
    "[REDACTED]",
    "<token>",
    "<your-password>",
    "YOUR_SECRET_HERE",
    "…",
    "REPLACE_ME",
    "{{password}}",
    "%PASSWORD%",
]

WORDLIST = [
    "atlas",
    "harbor",
    "lumen",
    "kiosk",
    "orchid",
    "pilot",
    "quill",
    "rivet",
    "sprout",
    "tandem",
    "umbra",
    "vortex",
    "willow",
    "zephyr",
    "bistro",
    "cargo",
    "dune",
    "ember",
    "fable",
    "gadget",
]

APPS = ["shop", "crm", "intranet", "booking", "wiki", "billing", "portal", "api", "helpdesk", "pos"]


def ver(n):
    return ".".join(str(R.randint(0, 30) if i else R.randint(1, 9)) for i in range(n))


def mac():
    return ":".join(rs(2, HEX) for _ in range(6))


def crt_block():
    return pem_block("CERTIFICATE", "MIID" + rs(2, ALNUM) + "zCCAl" + rs(2, ALNUM), 64, R.randint(5, 9))


def pub_block():
    return pem_block("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 64, 6)


def exkey():
    return R.choice(
        [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "xoxb-your-bot-token",
            "sk_test_EXAMPLEKEY1234567890",
            "your_api_key_here",
            "AIzaSyEXAMPLE-EXAMPLE-EXAMPLE-EXAMPLE",
        ]
    )


AWSREG = ["eu-central-1", "eu-west-1", "us-east-1", "ap-northeast-1", "eu-north-1", "ap-south-1"]

LABELLED = {
    "pw": ("SECRET", lambda a, l: password(False)),
    "pwu": ("SECRET", lambda a, l: password(True)),
    "pp": ("SECRET", lambda a, l: passphrase()),
    "pin": ("SECRET", lambda a, l: pin()),
    "psk": ("SECRET", lambda a, l: psk()),
    "tok": ("SECRET", lambda a, l: vendor(a)),
    "jwt": ("SECRET", lambda a, l: jwt()),
    "pkey": ("SECRET", lambda a, l: pkey(a)),
    "k8s": ("SECRET", lambda a, l: b64e(password().encode())),
    "basic": ("SECRET", lambda a, l: basic_b64()),
    "lkey": ("SECRET", lambda a, l: b64e(bytes(R.getrandbits(8) for _ in range(32)))),
    "wgkey": ("SECRET", lambda a, l: b64e(bytes(R.getrandbits(8) for _ in range(32)))),
    "shex": ("SECRET", lambda a, l: rs(int(a or 32), HEX)),
    "sb64": ("SECRET", lambda a, l: rs_alnum_end(int(a or 44), B64)),
    "apikey": ("SECRET", lambda a, l: rs(R.choice([32, 32, 40, 48]))),
    "sess": ("SECRET", lambda a, l: rs_alnum_end(R.choice([32, 40, 52, 64]), B64U)),
    "djkey": ("SECRET", lambda a, l: rs_alnum_end(50, LOWER + DIG + "!#%^&*-_=+")),
    "wpsalt": ("SECRET", lambda a, l: rs_alnum_end(64, ALNUM + "!#%^&*()-_=+[]{}<>~|.")),
    "cftoken": ("SECRET", lambda a, l: rs_alnum_end(40, B64U)),
    "email": ("EMAIL_ADDRESS", lambda a, l: email(a)),
    "ip": ("IP_ADDRESS", lambda a, l: ip_any()),
    "ip4": ("IP_ADDRESS", lambda a, l: ip4()),
    "ip6": ("IP_ADDRESS", lambda a, l: ip6()),
    "card": ("CREDIT_CARD", lambda a, l: card(a)),
}

UNLABELLED = {
    "name": name,
    "first": first,
    "user": username,
    "company": lambda a, l: (
        R.choice(
            [
                "Nordlicht",
                "Mira & Co",
                "Kobo Studio",
                "Terra Verde",
                "Blau Werk",
                "Sakura Trading",
                "Polar Print",
                "Casa Menta",
                "Hafen Logistik",
                "Vela Design",
            ]
        )
        + R.choice(["", " GmbH", " Ltd", " SRL", " s.r.o.", " AB", " Oy"])
    ),
    "date": lambda a, l: rdate(),
    "time": lambda a, l: f"{R.randint(7, 22):02d}:{R.randint(0, 59):02d}",
    "ts": lambda a, l: ts(a),
    "amount": lambda a, l: amount(),
    "order": lambda a, l: order_no(),
    "track": lambda a, l: track_no(),
    "ticket": lambda a, l: ticket_no(),
    "bref": lambda a, l: bref(),
    "invno": lambda a, l: invno(),
    "masked": lambda a, l: masked(a),
    "masked64": lambda a, l: masked64(),
    "last4": lambda a, l: rs(4, DIG),
    "exp": lambda a, l: f"{R.randint(1, 12):02d}/{R.randint(26, 31)}",
    "bcrypt": lambda a, l: bcrypt(),
    "shacrypt": lambda a, l: shacrypt(),
    "argon": lambda a, l: argon(),
    "cisco9": lambda a, l: cisco9(),
    "cisco8": lambda a, l: cisco8(),
    "md5crypt": lambda a, l: md5crypt(),
    "apr1": lambda a, l: apr1(),
    "hex": lambda a, l: rs(int(a or 32), HEX),
    "uhex": lambda a, l: rs(int(a or 40), UHEX),
    "b64": lambda a, l: rs(int(a or 43), B64),
    "b64u": lambda a, l: rs(int(a or 43), B64U),
    "rs": lambda a, l: rs(int(a or 8), LOWER + DIG),
    "uuid": lambda a, l: uuid(),
    "privip": lambda a, l: privip(a),
    "docip": lambda a, l: docip(a),
    "exemail": lambda a, l: exemail(a),
    "domain": lambda a, l: domain(),
    "host": lambda a, l: R.choice(
        [
            "db01.lan",
            "nas.local",
            "srv-app-02",
            "fileserver",
            "pve1.home.arpa",
            "build-03.internal",
            "kasse.lan",
            "print01",
        ]
    ),
    "port": lambda a, l: str(R.randint(1025, 65000)),
    "phone": phone,
    "ssid": lambda a, l: ssid(),
    "pk": lambda a, l: f"pk_{a or 'live'}_" + rs(R.choice([24, 99])),
    "gcid": lambda a, l: f"{rd(12)}-{rs(32, LOWER + DIG)}.apps.googleusercontent.com",
    "sitekey": lambda a, l: "6L" + rs(6, B64U) + "AAAAA" + rs(27, B64U),
    "csrf": lambda a, l: rs(R.choice([32, 43, 64]), B64U),
    "nonce": lambda a, l: rs(22, B64) + "==",
    "sshpub": lambda a, l: sshpub(),
    "pempub": lambda a, l: pub_block(),
    "cert": lambda a, l: crt_block(),
    "wallet": lambda a, l: wallet(a),
    "exkey": lambda a, l: exkey(),
    "placeholder": lambda a, l: R.choice(PLACEHOLDERS),
    "envref": lambda a, l: envref(),
    "envname": lambda a, l: R.choice(ENVNAMES),
    "ver": lambda a, l: ver(int(a or 3)),
    "mac": lambda a, l: mac(),
    "n": lambda a, l: rd(int(a or 3)),
    "num": lambda a, l: str(R.randint(2, 9)),
    "word": lambda a, l: R.choice(WORDLIST),
    "app": lambda a, l: R.choice(APPS),
    "awsregion": lambda a, l: R.choice(AWSREG),
    "b64user": lambda a, l: b64e(username().encode()),
    "wgpub": lambda a, l: b64e(bytes(R.getrandbits(8) for _ in range(32))),
    "vaultacc": lambda a, l: rs(24),
    "sha256": lambda a, l: rs(64, HEX),
    "sha1": lambda a, l: rs(40, HEX),
    "md5": lambda a, l: rs(32, HEX),
    "crypt": lambda a, l: rs(int(a or 8), CRYPT),
    "sku": lambda a, l: f"{rs(3, UPPER)}-{rd(4)}-{rs(2, UPPER)}",
    "loyal": lambda a, l: R.choice([f"M{rd(9)}", f"{rs(2, UPPER)}{rd(8)}", f"{rd(4)} {rs(4, DIG)} {rs(2, DIG)}"]),
    "plate": lambda a, l: f"{rs(2, UPPER)}-{rs(2, UPPER)} {rd(3)}",
}

# ================================================================ templates
# "=== P <lang> <context> [n=K]"  or  "=== N <lang> <context> <category> [n=K]"
TEMPLATES = r"""
=== P en chat_export
[⟪time⟫] ⟪first⟫: can someone send me the wifi for the new office?
[⟪time⟫] ⟪first⟫: network is ⟪ssid⟫, password ⟪psk⟫
[⟪time⟫] ⟪first⟫: thx, works
=== P en support_ticket
Ticket ⟪ticket⟫
From: ⟪email⟫
Subject: can't log in anymore

Hi, I've been locked out since this morning. I tried the reset but the mail never arrives. My current password is ⟪pw⟫ if that helps. I'm connecting from ⟪ip4⟫ (home fibre).
=== P en email_to_colleague
Hi ⟪first⟫,

while I'm on leave please keep an eye on the Stripe dashboard. The live secret key for the shop is ⟪tok:sk_live⟫ and the webhook signing secret is ⟪tok:whsec⟫. Please don't paste them into Slack.

Cheers,
⟪first⟫
=== P en family_email
Hey mum,
here's the card I used for the flights in case the airline asks: ⟪card⟫, expiry ⟪exp⟫. The streaming login is ⟪email⟫ / ⟪pw⟫ – don't change it please!
Love, ⟪first⟫
=== P en onboarding_note
## Week 1 access
- VPN gateway: ⟪ip4⟫
- VPN user: ⟪user⟫
- temporary password: ⟪pw⟫ (you must change it at first login)
- questions about Jira: ⟪email⟫
=== P en handover_note
Handover – backups

The NAS (⟪privip⟫) pushes nightly to the offsite box at ⟪ip⟫. Log in as ⟪user⟫ with this key:
⟪pkey⟫
Passphrase for the key: ⟪pp⟫
=== P en csv_account_list
service,login,password,notes
WordPress,⟪user⟫,⟪pw⟫,main site
Mailchimp,⟪email⟫,⟪pw⟫,newsletter
Canva,⟪email⟫,⟪pw⟫,shared with interns
=== P en receipt
RECEIPT ⟪invno⟫
⟪company⟫
Date: ⟪date⟫
2x Oat latte ........ ⟪amount⟫
Paid by card: ⟪card⟫
Thank you for visiting!
=== P en web_form
Full name: ⟪name⟫
Email: ⟪email⟫
Card number: ⟪card⟫
Expiry: ⟪exp⟫
Billing IP (auto): ⟪ip4⟫
=== P en html_table
<table>
<tr><th>System</th><th>User</th><th>Password</th></tr>
<tr><td>Router admin</td><td>admin</td><td>⟪pw⟫</td></tr>
<tr><td>Printer</td><td>⟪user⟫</td><td>⟪pw⟫</td></tr>
<tr><td>Alarm panel</td><td>-</td><td>⟪pin⟫</td></tr>
</table>
=== P en wiki_table
{| class="wikitable"
! Host !! Public IP !! root password
|-
| web1 || ⟪ip4⟫ || ⟪pw⟫
|-
| web2 || ⟪ip4⟫ || ⟪pw⟫
|}
=== P en markdown_table
| Tool | Token | Owner |
|---|---|---|
| GitHub CI | ⟪tok:ghp⟫ | ⟪first⟫ |
| npm publish | ⟪tok:npm⟫ | ⟪first⟫ |
| Hugging Face | ⟪tok:hf⟫ | ⟪first⟫ |
=== P en tsv_export
email	card	amount
⟪email⟫	⟪card⟫	⟪amount⟫
⟪email⟫	⟪card⟫	⟪amount⟫
=== P en order_confirmation
Order ⟪order⟫ confirmed!
We charged ⟪amount⟫ USD to your card ⟪card⟫. A copy of this confirmation was sent to ⟪email⟫.
Estimated delivery: ⟪date⟫.
=== P en sms_thread
> door code for the studio is ⟪pin⟫, alarm off by 8
> thanks! see you tomorrow
– ⟪first⟫
=== P en chat_export
⟪first⟫: this token keeps expiring, can you check what's wrong?
⟪first⟫: paste it here
⟪first⟫: Bearer ⟪jwt⟫
⟪first⟫: exp is in the past, your clock is off
=== P en plain_table
Account          Username          Password
Bank portal      ⟪user⟫            ⟪pw⟫
Payroll          ⟪user⟫            ⟪pw⟫
Domain registrar ⟪email⟫  ⟪pw⟫
=== P en slack_thread
⟪first⟫ 10:02  who has the OpenAI key for the summariser bot?
⟪first⟫ 10:05  ⟪tok:openai⟫ – please rotate after the demo
⟪first⟫ 10:06  :+1:
=== P en support_ticket
[⟪ticket⟫] Suspicious logins
Customer ⟪name⟫ (⟪email⟫) reports sign-ins from ⟪ip⟫ and ⟪ip4⟫ that were not her. We reset the account; new temporary password sent by SMS: ⟪pw⟫.
=== P en email_to_colleague
Subject: AWS access for the export job

⟪first⟫, here are the keys for the read-only IAM user:
Access key ID: ⟪tok:akia⟫
Secret access key: ⟪tok:awssecret⟫
Region is ⟪awsregion⟫. Delete this mail once you've stored them.
=== P en handover_note
Things you need while I'm away:
1. Shop admin: ⟪email⟫ / ⟪pw⟫
2. Payment terminal PIN code for refunds: ⟪pin⟫
3. Mailgun key: ⟪tok:mailgun⟫
4. Office internet static IP: ⟪ip4⟫
=== P en chat_export
⟪first⟫: the client's VPS is ⟪ip6⟫
⟪first⟫: ssh root, password ⟪pw⟫
⟪first⟫: ok, I'll switch it to keys today
=== N en email_notification order_number
Hi ⟪first⟫, your order ⟪order⟫ has shipped! Tracking number: ⟪track⟫. Estimated arrival ⟪date⟫.
=== N en payment_notification masked_card
Payment received: Visa ending in ⟪last4⟫ (⟪masked⟫), amount ⟪amount⟫ USD. Receipt no. ⟪invno⟫.
=== N en it_policy password_policy
Password rules (updated ⟪date⟫): at least 12 characters, one upper-case letter, one digit, no reuse of your last 5 passwords. Passwords expire every ⟪num⟫0 days. Questions: ticket ⟪ticket⟫.
=== N en email_notification password_reset_notice
Hello ⟪first⟫, we never ask for your password by e-mail. To reset it open the account page and click "Forgot password"; the link expires in ⟪num⟫0 minutes. Reference ⟪ticket⟫.
=== N en welcome_email username
Welcome aboard, ⟪first⟫! Your username is ⟪user⟫. For security reasons we don't send passwords by e-mail – use the link in the previous message to set one before ⟪date⟫.
=== N en office_notice wifi_network_name
Guest wifi: ⟪ssid⟫ (open, accept the terms on the portal page). Staff network ⟪ssid⟫ uses your normal company login. Printer on floor ⟪num⟫.
=== N en chat_export redacted_secret
⟪first⟫: posted the config by accident, removed the password
⟪first⟫: password: ******** (redacted by ⟪user⟫ on ⟪date⟫)
⟪first⟫: thanks, rotate it anyway
=== N en qa_note reserved_email_domain
Test accounts for staging: ⟪exemail⟫, ⟪exemail⟫ and ⟪exemail⟫. Never use real customer addresses in staging (ticket ⟪ticket⟫).
=== N en booking_confirmation booking_reference
Booking confirmed! Reference ⟪bref⟫, ⟪num⟫ nights, check-in ⟪date⟫ from 15:00. Show this code at reception.
=== N en contact_page phone_number
Call us on ⟪phone:en⟫ (Mon–Fri) or write to ⟪exemail⟫. Case number ⟪ticket⟫.
=== N en donation_page crypto_wallet
Support the project: BTC ⟪wallet:btc⟫ · ETH ⟪wallet:eth⟫ · thanks to the ⟪num⟫0 people who donated this month!
=== N en runbook documentation_ip
In the examples below we use ⟪docip⟫ for the client and ⟪docip⟫ for the server. Replace them with your own addresses (see page ⟪num⟫).
=== N en support_ticket support_ticket_id
We have received your request. Ticket ⟪ticket⟫ is assigned to ⟪first⟫; expected response within ⟪num⟫ business days. Reply above this line.
=== N en invoice invoice_number
Invoice ⟪invno⟫ dated ⟪date⟫ – total ⟪amount⟫ EUR – due in 14 days. Payment reference: ⟪invno⟫.
=== N en loyalty_email loyalty_number
Your member number is ⟪loyal⟫. You collected ⟪n:3⟫ points this month; ⟪n:4⟫ points in total.
=== N en shop_listing product_sku
Item ⟪sku⟫ – ceramic mug, ⟪amount⟫ EUR, ⟪num⟫ left in stock. Related: ⟪sku⟫, ⟪sku⟫.
=== N en it_inventory mac_address
Laptop ⟪word⟫-⟪n:2⟫ (⟪first⟫): MAC ⟪mac⟫, DHCP reservation ⟪privip:4⟫, asset tag ⟪sku⟫.
=== N en chat_export placeholder_value n=4
⟪first⟫: what do I put in the config?
⟪first⟫: password = ⟪placeholder⟫ for now, the real one is in the vault
⟪first⟫: ok, ticket ⟪ticket⟫
=== P de chat_export
[⟪time⟫] ⟪first⟫: Hat jemand das Passwort für den Buchhaltungs-PC?
[⟪time⟫] ⟪first⟫: ja, Benutzer ⟪user⟫, Passwort ⟪pw⟫
[⟪time⟫] ⟪first⟫: danke, ändere ich nach dem Login
=== P de email_to_colleague
Hallo ⟪first⟫,

anbei die Zugangsdaten für den neuen Shopify-Shop. Admin-API-Token: ⟪tok:shpat⟫
Bei Fragen bitte an ⟪email⟫ wenden.

Viele Grüße
⟪name⟫
=== P de invoice
Rechnung Nr. ⟪invno⟫
Rechnungsdatum: ⟪date⟫
Betrag: ⟪amount⟫ EUR
Bezahlt mit Kreditkarte ⟪card⟫ (gültig bis ⟪exp⟫)
Kontakt: ⟪email⟫
=== P de wiki_page
== Server-Übersicht ==
* Webserver: ⟪ip4⟫ (öffentlich)
* Mailserver: ⟪ip⟫
* Notfallzugang (nur im Störfall!): Benutzer notfall, Passwort ⟪pw⟫
=== P de onboarding_note
Willkommen im Team, ⟪first⟫!
Dein Windows-Login: ⟪user⟫
Startpasswort: ⟪pw⟫ – bitte sofort ändern.
WLAN „⟪ssid⟫“, Schlüssel: ⟪psk⟫
Schließfachcode: ⟪pin⟫
=== P de family_email
Hallo Papa,
hier die Daten für das Konto bei der Versicherung: E-Mail ⟪email⟫, Kennwort ⟪pw⟫. Die Kreditkarte für die Abbuchung ist ⟪card⟫.
Liebe Grüße, ⟪first⟫
=== P de markdown_table
| Dienst | Zugang | Kennwort |
|--------|--------|----------|
| DATEV | ⟪user⟫ | ⟪pw⟫ |
| Telekom-Kundencenter | ⟪email⟫ | ⟪pw⟫ |
| Router | admin | ⟪pw⟫ |
=== P de support_ticket
Ticket ⟪ticket⟫ – Sperrung Online-Shop
Sehr geehrte Damen und Herren,
seit gestern werden wir von ⟪ip4⟫ aus mit Anfragen geflutet. Unser API-Schlüssel (⟪tok:sk_live⟫) wurde vorsorglich gesperrt. Bitte melden Sie sich unter ⟪email⟫.
=== N de shipping_email order_number n=2
Ihre Bestellung ⟪order⟫ vom ⟪date⟫ wurde versandt. Sendungsnummer: ⟪track⟫. Voraussichtliche Zustellung in ⟪num⟫ Werktagen.
=== N de it_policy password_policy n=2
Kennwortrichtlinie (Stand ⟪date⟫): mindestens 14 Zeichen, Groß- und Kleinbuchstaben, mindestens eine Ziffer. Kennwörter niemals per E-Mail versenden! Fragen an Ticket ⟪ticket⟫.
=== N de payment_notification masked_card
Zahlung über ⟪amount⟫ EUR mit Mastercard **** **** **** ⟪last4⟫ erfolgreich. Transaktions-ID: ⟪uuid⟫
=== N de support_ticket support_ticket_id
Vielen Dank für Ihre Nachricht. Ihr Anliegen wurde unter der Ticketnummer ⟪ticket⟫ erfasst; ⟪first⟫ meldet sich innerhalb von ⟪num⟫ Tagen.
=== N de db_review password_hash
Hab die Benutzertabelle geprüft: im Feld passwort stehen nur Hashes, z. B. ⟪bcrypt⟫ bei ⟪user⟫. Klartext gibt es nicht mehr.
=== P fr support_ticket
Bonjour,
je n'arrive plus à me connecter au webmail depuis ce matin. Mon identifiant est ⟪user⟫ et le mot de passe ⟪pw⟫. Mon adresse de secours : ⟪email⟫.
Merci d'avance,
⟪name⟫
=== P fr handover_note
Passation – ⟪date⟫
• Le serveur de prod répond sur ⟪ip4⟫.
• Clé API Mailgun : ⟪tok:mailgun⟫
• Code d'accès du local technique : ⟪pin⟫
=== P fr order_confirmation
Confirmation de commande ⟪order⟫
Montant : ⟪amount⟫ €
Carte : ⟪card⟫
Un reçu a été envoyé à ⟪email⟫.
=== P fr chat_export
⟪first⟫ : tu as le mot de passe du compte Canva de l'asso ?
⟪first⟫ : c'est ⟪email⟫ / ⟪pw⟫
⟪first⟫ : merci !!
=== P fr family_email
Coucou ⟪first⟫,
pour les impôts en ligne : identifiant ⟪n:13⟫, mot de passe ⟪pw⟫. Et la carte de la maison c'est la ⟪card⟫.
Bises
=== N fr booking_confirmation booking_reference
Votre réservation ⟪bref⟫ est confirmée : ⟪num⟫ nuits à partir du ⟪date⟫. Présentez ce numéro à l'accueil.
=== N fr qa_note reserved_email_domain
Pour les tests, utilisez uniquement ⟪exemail⟫ ou ⟪exemail⟫ – jamais de vraies adresses clients. Réf. ⟪ticket⟫.
=== N fr contact_page phone_number
Service client : ⟪phone:fr⟫, du lundi au vendredi. Numéro de dossier ⟪ticket⟫.
=== P es chat_export
⟪first⟫: oye, ¿me pasas la clave del wifi de la oficina?
⟪first⟫: red ⟪ssid⟫, clave ⟪psk⟫
⟪first⟫: ¡gracias!
=== P es family_email
Hola papá:
te dejo los datos de la tarjeta para pagar la matrícula: ⟪card⟫, caduca ⟪exp⟫. El usuario del portal es ⟪email⟫ y la contraseña ⟪pw⟫.
Un beso, ⟪first⟫
=== P es csv_account_list
servicio;usuario;contraseña
Correo;⟪email⟫;⟪pw⟫
Banco;⟪user⟫;⟪pw⟫
Router;admin;⟪pw⟫
=== P es support_ticket
Incidencia ⟪ticket⟫
Cliente: ⟪name⟫ <⟪email⟫>
Descripción: el TPV rechaza la tarjeta ⟪card⟫ aunque tiene saldo. Conexión desde ⟪ip4⟫.
=== N es shipping_email tracking_number n=2
Tu paquete con número de seguimiento ⟪track⟫ llegará el ⟪date⟫. Pedido ⟪order⟫.
=== N es welcome_email username
Tu nombre de usuario es ⟪user⟫. Por seguridad no enviamos contraseñas por correo; usa el enlace para crear una nueva antes del ⟪date⟫.
=== N es invoice invoice_number
Factura ⟪invno⟫ – fecha ⟪date⟫ – importe ⟪amount⟫ € – vencimiento a 30 días.
=== P it support_ticket
Ticket ⟪ticket⟫ – accesso VPN
L'utente ⟪name⟫ (⟪email⟫) segnala errori di connessione da ⟪ip4⟫. Password temporanea assegnata: ⟪pw⟫
=== P it receipt
SCONTRINO ⟪invno⟫
Totale ⟪amount⟫ €
Pagamento con carta ⟪card⟫
Grazie e arrivederci!
=== P it email_to_colleague
Ciao ⟪first⟫,
il token GitLab per la pipeline è ⟪tok:glpat⟫, scade il ⟪date⟫. Il runner usa invece ⟪tok:glrt⟫.
A presto
=== N it db_review password_hash
Ho controllato il database: la colonna password contiene solo hash, per esempio ⟪bcrypt⟫ per l'utente ⟪user⟫. Nessuna password in chiaro.
=== N it contact_page phone_number
Per assistenza chiama il ⟪phone:it⟫ oppure apri un ticket (⟪ticket⟫).
=== P pt email_to_colleague
Olá ⟪first⟫,
segue o acesso ao painel da hospedagem: usuário ⟪user⟫, senha ⟪pw⟫. O IP do servidor é ⟪ip4⟫.
Abraço
=== P pt chat_export
[⟪date⟫ ⟪time⟫] ⟪first⟫: a senha do cartão não te mando, mas o número é ⟪card⟫
[⟪date⟫ ⟪time⟫] ⟪first⟫: ok, vou pagar a conta de luz
=== P pt web_form
Nome completo: ⟪name⟫
E-mail: ⟪email⟫
Número do cartão: ⟪card⟫
Validade: ⟪exp⟫
=== N pt payment_notification masked_card
Compra aprovada no cartão final ⟪last4⟫ no valor de R$ ⟪amount⟫. Pedido ⟪order⟫.
=== N pt office_notice wifi_network_name
Rede de visitantes: ⟪ssid⟫ (sem senha, aceite os termos na página). Dúvidas: ramal ⟪n:3⟫.
=== P nl chat_export
⟪first⟫: kun je de inlog van de boekhouding delen?
⟪first⟫: ⟪email⟫ / ⟪pw⟫
⟪first⟫: top, dank je
=== P nl handover_note
Overdracht ⟪date⟫
- Router: ⟪privip⟫, beheerderswachtwoord ⟪pw⟫
- Extern IP van kantoor: ⟪ip4⟫
- Stripe-sleutel webshop: ⟪tok:sk_live⟫
=== P nl invoice
Factuur ⟪invno⟫
Totaal: € ⟪amount⟫
Betaald met creditcard ⟪card⟫
Vragen? Mail ⟪email⟫
=== N nl shipping_email order_number n=2
Bedankt voor je bestelling ⟪order⟫! Je pakket wordt verzonden met track & trace code ⟪track⟫.
=== N nl it_policy password_policy n=2
Wachtwoordbeleid: minimaal 12 tekens, geen namen of geboortedata, elke ⟪num⟫ maanden wijzigen. Vragen via ticket ⟪ticket⟫.
=== P sv email_to_colleague
Hej ⟪first⟫!
Här är inloggningen till bokföringen: ⟪email⟫, lösenord ⟪pw⟫. Byt gärna efter första inloggningen.
/⟪first⟫
=== P sv family_note
Wifi i stugan: ⟪ssid⟫ – lösenord ⟪psk⟫
Larmkod: ⟪pin⟫
Nyckeln ligger under krukan.
=== P sv plain_table
Tjänst | Användare | Lösenord
Swish-portal | ⟪user⟫ | ⟪pw⟫
Banken | ⟪user⟫ | ⟪pw⟫
=== N sv booking_confirmation booking_reference
Din bokning ⟪bref⟫ är bekräftad. Avresa ⟪date⟫ kl. ⟪time⟫.
=== N sv payment_notification masked_card
Betalning godkänd: kort **** ⟪last4⟫, belopp ⟪amount⟫ kr, kvitto nr ⟪invno⟫.
=== P da chat_export
⟪first⟫: hvad er login til MobilePay-kontoen?
⟪first⟫: brugernavn ⟪user⟫ og adgangskode ⟪pw⟫
⟪first⟫: tak!
=== P da email_to_colleague
Hej ⟪first⟫,
vores SendGrid-nøgle er ⟪tok:sg⟫. Afsenderadressen er ⟪email⟫.
Mvh ⟪first⟫
=== P da receipt
KVITTERING ⟪invno⟫
Beløb: ⟪amount⟫ kr.
Kort: ⟪card⟫
Tak for besøget
=== N da shipping_email tracking_number n=2
Din pakke ⟪track⟫ er klar til afhentning i pakkeshoppen. Husk ordrenummer ⟪order⟫.
=== N da welcome_email username
Dit brugernavn er ⟪user⟫. Vi sender aldrig adgangskoder på mail. Sag ⟪ticket⟫.
=== P no handover_note
Til ⟪first⟫: innlogging til NAS-en er ⟪user⟫ / ⟪pw⟫, og den offentlige IP-en er ⟪ip4⟫.
=== P no web_form
Navn: ⟪name⟫
E-post: ⟪email⟫
Kortnummer: ⟪card⟫
Utløp: ⟪exp⟫
=== P no chat_export
⟪first⟫: trenger API-nøkkelen til Google Maps
⟪first⟫: ⟪tok:aiza⟫
⟪first⟫: takk
=== N no order_confirmation order_number
Ordrebekreftelse ⟪order⟫: ⟪num⟫ varer, totalt ⟪amount⟫ kr. Sporingsnummer kommer på e-post.
=== N no it_policy password_policy n=2
Passordkrav: minst 12 tegn, både store og små bokstaver og tall. Passordet ditt utløper om ⟪num⟫ dager.
=== P fi email_to_colleague
Hei ⟪first⟫,
tässä palvelimen tunnukset: käyttäjä ⟪user⟫, salasana ⟪pw⟫, osoite ⟪ip4⟫.
Terveisin ⟪first⟫
=== P fi support_ticket
Tukipyyntö ⟪ticket⟫
Asiakas: ⟪name⟫, ⟪email⟫
Kortilta veloitettiin kahdesti: ⟪card⟫
=== P fi chat_export
⟪first⟫: wlan-salasana?
⟪first⟫: ⟪psk⟫ (verkko ⟪ssid⟫)
=== N fi shipping_email tracking_number n=2
Lähetyksesi ⟪track⟫ on noudettavissa. Tilausnumero ⟪order⟫.
=== N fi payment_notification masked_card
Maksu ⟪amount⟫ € hyväksytty kortilla **** ⟪last4⟫.
=== P pl email_to_colleague
Cześć ⟪first⟫,
przesyłam dane do panelu hostingu: login ⟪user⟫, hasło ⟪pw⟫. Serwer: ⟪ip4⟫.
Pozdrawiam, ⟪first⟫
=== P pl chat_export
⟪first⟫: podeślesz token do GitHuba?
⟪first⟫: ⟪tok:ghpat⟫
⟪first⟫: dzięki, usunę po wdrożeniu
=== P pl invoice
Faktura VAT ⟪invno⟫
Nabywca: ⟪name⟫, ⟪email⟫
Zapłacono kartą ⟪card⟫
=== N pl shipping_email order_number n=2
Zamówienie ⟪order⟫ zostało nadane. Numer przesyłki: ⟪track⟫.
=== N pl db_review password_hash
W bazie hasła są zapisane jako hash argon2, np. ⟪argon⟫ dla konta ⟪user⟫.
=== P cs handover_note
Předávací protokol ⟪date⟫: heslo k routeru ⟪pw⟫, veřejná IP ⟪ip4⟫, kontakt ⟪email⟫.
=== P cs chat_export
⟪first⟫: jaký je kód od skladu?
⟪first⟫: ⟪pin⟫, ale nikomu ho nedávej
=== P cs receipt
Účtenka ⟪invno⟫
Celkem ⟪amount⟫ Kč
Placeno kartou ⟪card⟫
=== N cs booking_confirmation booking_reference
Rezervace ⟪bref⟫ potvrzena, příjezd ⟪date⟫.
=== N cs it_policy password_policy n=2
Heslo musí mít alespoň 12 znaků a obsahovat číslici. Platnost hesla je ⟪num⟫0 dní.
=== P sk email_to_colleague
Ahoj ⟪first⟫,
posielam prístup do e-shopu: ⟪email⟫ / ⟪pw⟫. API kľúč pre dopravcu: ⟪apikey⟫
⟪first⟫
=== P sk web_form
Meno: ⟪name⟫
E-mail: ⟪email⟫
Číslo karty: ⟪card⟫
=== P sk support_ticket
Hlásenie ⟪ticket⟫: útoky z adries ⟪ip4⟫ a ⟪ip4⟫, zablokované na firewalle.
=== N sk shipping_email tracking_number n=2
Zásielka ⟪track⟫ bude doručená ⟪date⟫.
=== N sk welcome_email username
Vaše používateľské meno je ⟪user⟫. Heslo si nastavíte cez odkaz v e-maile.
=== P hu chat_export
⟪first⟫: mi a jelszó a könyvelőprogramhoz?
⟪first⟫: ⟪pw⟫, a felhasználó ⟪user⟫
=== P hu email_to_colleague
Szia ⟪first⟫!
A webáruház korlátozott Stripe kulcsa: ⟪tok:rk_live⟫. Az értesítések ide mennek: ⟪email⟫.
Üdv
=== P hu invoice
Számla ⟪invno⟫
Összeg: ⟪amount⟫ Ft
Kártya: ⟪card⟫
=== N hu shipping_email order_number n=2
Rendelésed (⟪order⟫) feldolgozás alatt. Csomagkövetési szám: ⟪track⟫.
=== N hu payment_notification masked_card
Sikeres fizetés: **** **** **** ⟪last4⟫, ⟪amount⟫ Ft.
=== P ro email_to_colleague
Bună ⟪first⟫,
parola pentru contul de e-mail ⟪email⟫ este ⟪pw⟫ – te rog s-o schimbi.
Mulțumesc
=== P ro chat_export
⟪first⟫: adresa IP a serverului nou?
⟪first⟫: ⟪ip⟫, userul ⟪user⟫, parola ⟪pw⟫
=== P ro receipt
BON FISCAL ⟪invno⟫
Total ⟪amount⟫ lei
Card ⟪card⟫
=== N ro booking_confirmation booking_reference
Rezervarea ⟪bref⟫ a fost confirmată pentru ⟪date⟫.
=== N ro it_policy password_policy n=2
Parola trebuie să aibă minim 10 caractere, o literă mare și o cifră. Expiră la ⟪num⟫0 de zile.
=== P bg email_to_colleague
Здравей, ⟪first⟫,
паролата за админ панела е ⟪pw⟫, потребител ⟪user⟫. Сървърът е на ⟪ip4⟫.
Поздрави
=== P bg chat_export
⟪first⟫: кодът за входа?
⟪first⟫: ⟪pin⟫
=== P bg order_confirmation
Поръчка ⟪order⟫ е платена с карта ⟪card⟫. Потвърждение е изпратено до ⟪email⟫.
=== N bg shipping_email tracking_number n=2
Пратката ви с номер ⟪track⟫ пристига на ⟪date⟫.
=== N bg welcome_email username
Потребителското ви име е ⟪user⟫. Никога не изпращаме пароли по имейл.
=== P ru chat_export
⟪first⟫: скинь пароль от роутера
⟪first⟫: ⟪pw⟫
⟪first⟫: а внешний IP?
⟪first⟫: ⟪ip4⟫
=== P ru support_ticket
Заявка ⟪ticket⟫
Клиент: ⟪name⟫ (⟪email⟫)
Оплата не прошла по карте ⟪card⟫, просьба проверить.
=== P ru handover_note
Передача дел, ⟪date⟫:
— токен Telegram-бота: ⟪tok:telegram⟫
— пароль от почты ⟪email⟫: ⟪pw⟫
=== P ru csv_account_list
логин;пароль;комментарий
⟪user⟫;⟪pw⟫;бухгалтерия
⟪user⟫;⟪pw⟫;склад
⟪email⟫;⟪pw⟫;почта директора
=== P ru receipt
Кассовый чек ⟪invno⟫
Итого: ⟪amount⟫ ₽
Оплата картой МИР ⟪card:mir⟫
=== N ru shipping_email order_number n=2
Ваш заказ ⟪order⟫ передан в доставку. Трек-номер: ⟪track⟫.
=== N ru payment_notification masked_card
Списание ⟪amount⟫ ₽ по карте **** ⟪last4⟫. Код операции ⟪uuid⟫.
=== N ru it_policy password_policy n=2
Требования к паролю: не менее 12 символов, заглавные и строчные буквы, цифры. Пароль меняется каждые ⟪num⟫0 дней.
=== N ru chat_export crypto_wallet
⟪first⟫: куда скидываться на подарок?
⟪first⟫: можно в USDT, кошелёк ⟪wallet:eth⟫
=== P uk email_to_colleague
Привіт, ⟪first⟫!
Ось доступ до CRM: ⟪email⟫ / ⟪pw⟫. Ключ API: ⟪apikey⟫
Дякую
=== P uk chat_export
⟪first⟫: який пароль від wifi в офісі?
⟪first⟫: мережа ⟪ssid⟫, пароль ⟪psk⟫
=== P uk receipt
Чек ⟪invno⟫
Сума: ⟪amount⟫ грн
Картка: ⟪card⟫
=== N uk booking_confirmation booking_reference
Ваше бронювання ⟪bref⟫ підтверджено на ⟪date⟫.
=== N uk db_review password_hash
У базі паролі зберігаються як bcrypt-хеші, наприклад ⟪bcrypt⟫ (користувач ⟪user⟫).
=== P el email_to_colleague
Γεια σου ⟪first⟫,
ο κωδικός για τον λογαριασμό ⟪email⟫ είναι ⟪pw⟫
Φιλικά
=== P el receipt
ΑΠΟΔΕΙΞΗ ⟪invno⟫
Σύνολο: ⟪amount⟫ €
Κάρτα: ⟪card⟫
=== P el chat_export
⟪first⟫: ποια είναι η IP του server;
⟪first⟫: ⟪ip4⟫, χρήστης ⟪user⟫, κωδικός ⟪pw⟫
=== N el shipping_email order_number n=2
Η παραγγελία σας ⟪order⟫ απεστάλη. Αριθμός αποστολής: ⟪track⟫.
=== N el welcome_email username
Το όνομα χρήστη σας είναι ⟪user⟫. Δεν στέλνουμε ποτέ κωδικούς μέσω email.
=== P tr chat_export
⟪first⟫: muhasebe bilgisayarının şifresi ne?
⟪first⟫: ⟪pw⟫
⟪first⟫: kullanıcı adı da ⟪user⟫
=== P tr email_to_colleague
Merhaba ⟪first⟫,
sunucu IP adresi ⟪ip4⟫, root şifresi ⟪pw⟫. Sorun olursa ⟪email⟫ adresine yaz.
Selamlar
=== P tr order_confirmation
Siparişiniz ⟪order⟫ onaylandı. Ödeme: ⟪card⟫, tutar ⟪amount⟫ TL.
=== N tr shipping_email tracking_number n=2
Kargo takip numaranız: ⟪track⟫. Tahmini teslim: ⟪date⟫.
=== N tr it_policy password_policy n=2
Şifreniz en az 10 karakter olmalı, büyük harf ve rakam içermelidir. ⟪num⟫ hatalı denemeden sonra hesap kilitlenir.
=== P ar email_to_colleague
مرحباً ⟪first⟫،
كلمة المرور لحساب البريد ⟪email⟫ هي ⟪pw⟫
مع التحية
=== P ar chat_export
⟪first⟫: ما هو عنوان IP للخادم؟
⟪first⟫: ⟪ip4⟫ وكلمة السر ⟪pw⟫
=== P ar receipt
إيصال رقم ⟪invno⟫
المبلغ: ⟪amount⟫
البطاقة: ⟪card⟫
=== N ar shipping_email order_number n=2
تم شحن طلبك رقم ⟪order⟫. رقم التتبع: ⟪track⟫.
=== N ar it_policy password_policy n=2
يجب أن تحتوي كلمة المرور على 12 حرفاً على الأقل وأرقام وحروف كبيرة. لن نطلب منك كلمة المرور أبداً. رقم التذكرة ⟪ticket⟫.
=== P he chat_export
⟪first⟫: מה הסיסמה לוויי-פיי?
⟪first⟫: ⟪psk⟫
⟪first⟫: תודה!
=== P he email_to_colleague
היי ⟪first⟫,
פרטי הגישה לשרת: ⟪ip4⟫, משתמש ⟪user⟫, סיסמה ⟪pw⟫
בהצלחה
=== P he web_form
שם: ⟪name⟫
דוא"ל: ⟪email⟫
מספר כרטיס: ⟪card⟫
=== N he booking_confirmation booking_reference
ההזמנה שלך ⟪bref⟫ אושרה לתאריך ⟪date⟫.
=== N he payment_notification masked_card
החיוב בסך ⟪amount⟫ ₪ בוצע בכרטיס המסתיים ב-⟪last4⟫.
=== P fa email_to_colleague
سلام ⟪first⟫،
رمز عبور پنل مدیریت ⟪pw⟫ است و نام کاربری ⟪user⟫
ممنون
=== P fa chat_export
⟪first⟫: آی‌پی سرور جدید چیه؟
⟪first⟫: ⟪ip⟫
=== P fa support_ticket
درخواست پشتیبانی ⟪ticket⟫
ایمیل مشتری: ⟪email⟫
شماره کارت: ⟪card⟫
=== N fa shipping_email tracking_number n=2
کد رهگیری مرسوله شما ⟪track⟫ است.
=== N fa welcome_email username
نام کاربری شما ⟪user⟫ است. ما هرگز رمز عبور را از طریق ایمیل ارسال نمی‌کنیم.
=== P hi email_to_colleague
नमस्ते ⟪first⟫,
सर्वर का IP ⟪ip4⟫ है और पासवर्ड ⟪pw⟫ है।
धन्यवाद
=== P hi chat_export
⟪first⟫: वाई-फाई का पासवर्ड क्या है?
⟪first⟫: ⟪psk⟫
=== P hi order_confirmation
ऑर्डर ⟪order⟫ की पुष्टि हो गई। कार्ड ⟪card⟫ से ₹⟪amount⟫ का भुगतान हुआ। रसीद ⟪email⟫ पर भेजी गई।
=== N hi shipping_email tracking_number n=2
आपका पार्सल ⟪track⟫ ⟪date⟫ तक पहुँच जाएगा।
=== N hi payment_notification masked_card
आपके कार्ड XXXX XXXX XXXX ⟪last4⟫ से ₹⟪amount⟫ कटे।
=== P bn email_to_colleague
হ্যালো ⟪first⟫,
অ্যাডমিন প্যানেলের পাসওয়ার্ড ⟪pw⟫, ইউজার ⟪user⟫।
ধন্যবাদ
=== P bn chat_export
⟪first⟫: সার্ভারের আইপি কত?
⟪first⟫: ⟪ip4⟫
=== P bn receipt
রসিদ নং ⟪invno⟫
মোট: ৳⟪amount⟫
কার্ড: ⟪card⟫
=== N bn shipping_email order_number n=2
আপনার অর্ডার ⟪order⟫ পাঠানো হয়েছে।
=== N bn welcome_email username
আপনার ইউজারনেম ⟪user⟫। আমরা কখনো ইমেইলে পাসওয়ার্ড পাঠাই না।
=== P th chat_export
⟪first⟫: รหัสไวไฟออฟฟิศคืออะไร
⟪first⟫: ⟪psk⟫ นะ
=== P th email_to_colleague
สวัสดีครับ ⟪first⟫
รหัสผ่านเข้าระบบคือ ⟪pw⟫ อีเมลผู้ใช้ ⟪email⟫
ขอบคุณครับ
=== P th receipt
ใบเสร็จ ⟪invno⟫
ยอดรวม ⟪amount⟫ บาท
บัตร ⟪card⟫
=== N th shipping_email tracking_number n=2
หมายเลขติดตามพัสดุของคุณ ⟪track⟫
=== N th it_policy password_policy n=2
รหัสผ่านต้องมีอย่างน้อย 12 ตัวอักษร และต้องเปลี่ยนทุก ⟪num⟫0 วัน อ้างอิง ⟪ticket⟫
=== P vi email_to_colleague
Chào ⟪first⟫,
mật khẩu tài khoản ⟪email⟫ là ⟪pw⟫ – nhớ đổi sau khi đăng nhập nhé.
=== P vi chat_export
⟪first⟫: IP máy chủ là gì?
⟪first⟫: ⟪ip4⟫, user ⟪user⟫, pass ⟪pw⟫
=== P vi order_confirmation
Đơn hàng ⟪order⟫ đã thanh toán bằng thẻ ⟪card⟫.
=== N vi shipping_email tracking_number n=2
Mã vận đơn của bạn: ⟪track⟫. Dự kiến giao ⟪date⟫.
=== N vi payment_notification masked_card
Giao dịch ⟪amount⟫ VND bằng thẻ **** ⟪last4⟫ thành công.
=== P id chat_export
⟪first⟫: password wifi kantor apa ya?
⟪first⟫: ⟪psk⟫
⟪first⟫: makasih
=== P id email_to_colleague
Halo ⟪first⟫,
berikut akses hosting: user ⟪user⟫, password ⟪pw⟫, IP ⟪ip4⟫
Salam
=== P id web_form
Nama: ⟪name⟫
Email: ⟪email⟫
Nomor kartu: ⟪card⟫
=== N id shipping_email order_number n=2
Pesanan ⟪order⟫ sedang dikirim. Nomor resi: ⟪track⟫.
=== N id welcome_email username
Nama pengguna Anda adalah ⟪user⟫. Kami tidak pernah mengirim kata sandi melalui email.
=== P ms email_to_colleague
Hai ⟪first⟫,
kata laluan akaun ⟪email⟫ ialah ⟪pw⟫
Terima kasih
=== P ms chat_export
⟪first⟫: kod pintu stor?
⟪first⟫: ⟪pin⟫
=== P ms receipt
Resit ⟪invno⟫
Jumlah RM⟪amount⟫
Kad ⟪card⟫
=== N ms booking_confirmation booking_reference
Tempahan anda ⟪bref⟫ telah disahkan untuk ⟪date⟫.
=== N ms it_policy password_policy n=2
Kata laluan mesti sekurang-kurangnya 12 aksara. Tukar setiap ⟪num⟫0 hari.
=== P tl chat_export
⟪first⟫: ano password ng wifi?
⟪first⟫: ⟪psk⟫
⟪first⟫: salamat!
=== P tl email_to_colleague
Hi ⟪first⟫,
ito ang login sa payroll: ⟪email⟫ at password ⟪pw⟫
Salamat
=== P tl order_confirmation
Kumpirmado ang order ⟪order⟫. Binayaran gamit ang card ⟪card⟫.
=== N tl shipping_email tracking_number n=2
Ang tracking number ng parcel mo ay ⟪track⟫.
=== N tl welcome_email username
Ang username mo ay ⟪user⟫. Hindi kami nagpapadala ng password sa email.
=== P zh chat_export
⟪first⟫：服务器密码是多少？
⟪first⟫：⟪pw⟫ ，IP 是 ⟪ip4⟫
⟪first⟫：收到
=== P zh email_to_colleague
⟪first⟫你好，
支付接口密钥：⟪apikey⟫
有问题请联系 ⟪email⟫ 。
谢谢
=== P zh receipt
订单号：⟪order⟫
金额：¥⟪amount⟫
支付卡号：⟪card:unionpay⟫
=== P zh markdown_table
| 系统 | 账号 | 密码 |
|---|---|---|
| 财务系统 | ⟪user⟫ | ⟪pw⟫ |
| 邮箱 | ⟪email⟫ | ⟪pw⟫ |
=== N zh shipping_email tracking_number n=2
您的快递单号为 ⟪track⟫，预计 ⟪date⟫ 送达。
=== N zh it_policy password_policy n=2
密码至少 12 位，需包含大小写字母和数字，每 ⟪num⟫0 天更换一次。工单 ⟪ticket⟫。
=== N zh payment_notification masked_card
您尾号 ⟪last4⟫ 的银行卡消费 ¥⟪amount⟫。
=== P ja email_to_colleague
⟪first⟫さん
お疲れさまです。サーバーの接続情報です。
IP：⟪ip4⟫
ユーザー：⟪user⟫
パスワード：⟪pw⟫
よろしくお願いします。
=== P ja chat_export
⟪first⟫：Wi-Fiのパスワード教えて
⟪first⟫：⟪psk⟫ です
=== P ja order_confirmation
ご注文番号 ⟪order⟫
お支払い：クレジットカード ⟪card:jcb⟫
確認メールを ⟪email⟫ に送信しました。
=== N ja booking_confirmation booking_reference
ご予約番号 ⟪bref⟫ でチェックインしてください（⟪date⟫）。
=== N ja welcome_email username
ユーザー名は ⟪user⟫ です。パスワードはメールでお送りしません。
=== N ja shop_listing product_sku
商品番号 ⟪sku⟫ は在庫切れです。入荷予定日：⟪date⟫。
=== P ko chat_export
⟪first⟫: 와이파이 비번 뭐야?
⟪first⟫: ⟪psk⟫
=== P ko email_to_colleague
⟪first⟫님 안녕하세요,
관리자 계정: ⟪user⟫ / ⟪pw⟫
서버 IP: ⟪ip4⟫
감사합니다.
=== P ko order_confirmation
주문번호 ⟪order⟫
결제 카드: ⟪card⟫
영수증은 ⟪email⟫ 로 발송되었습니다.
=== N ko shipping_email tracking_number n=2
운송장 번호 ⟪track⟫ 로 배송 조회가 가능합니다.
=== N ko it_policy password_policy n=2
비밀번호는 12자 이상, 영문 대소문자와 숫자를 포함해야 합니다. ⟪num⟫회 실패 시 계정이 잠깁니다.
=== P sw chat_export
⟪first⟫: nenosiri la wifi ni lipi?
⟪first⟫: ⟪psk⟫
=== P sw email_to_colleague
Habari ⟪first⟫,
nenosiri la akaunti ⟪email⟫ ni ⟪pw⟫
Asante
=== P sw receipt
Risiti ⟪invno⟫
Jumla: KSh ⟪amount⟫
Kadi: ⟪card⟫
=== N sw shipping_email order_number n=2
Oda yako ⟪order⟫ imetumwa. Nambari ya ufuatiliaji: ⟪track⟫.
=== N sw welcome_email username
Jina lako la mtumiaji ni ⟪user⟫. Hatutumi nenosiri kwa barua pepe.
=== P hr email_to_colleague
Bok ⟪first⟫,
lozinka za ⟪email⟫ je ⟪pw⟫
Pozdrav
=== P hr chat_export
⟪first⟫: koja je IP adresa servera?
⟪first⟫: ⟪ip4⟫
=== P hr receipt
Račun ⟪invno⟫
Ukupno: ⟪amount⟫ €
Kartica: ⟪card⟫
=== N hr booking_confirmation booking_reference
Vaša rezervacija ⟪bref⟫ potvrđena je za ⟪date⟫.
=== N hr payment_notification masked_card
Plaćanje karticom **** ⟪last4⟫ uspješno, iznos ⟪amount⟫ €.
=== P sr email_to_colleague
Здраво ⟪first⟫,
лозинка за налог ⟪email⟫ је ⟪pw⟫
Поздрав
=== P sr chat_export
⟪first⟫: ИП адреса сервера?
⟪first⟫: ⟪ip4⟫, корисник ⟪user⟫, лозинка ⟪pw⟫
=== P sr order_confirmation
Поруџбина ⟪order⟫ плаћена је картицом ⟪card⟫.
=== N sr shipping_email tracking_number n=2
Ваша пошиљка ⟪track⟫ стиже ⟪date⟫.
=== N sr welcome_email username
Ваше корисничко име је ⟪user⟫. Лозинке никада не шаљемо мејлом.
=== P sl email_to_colleague
Živjo ⟪first⟫,
geslo za ⟪email⟫ je ⟪pw⟫
Lp
=== P sl chat_export
⟪first⟫: koda za vrata?
⟪first⟫: ⟪pin⟫
=== P sl receipt
Račun ⟪invno⟫
Skupaj: ⟪amount⟫ €
Kartica: ⟪card⟫
=== N sl shipping_email order_number n=2
Vaše naročilo ⟪order⟫ je bilo odposlano. Številka pošiljke: ⟪track⟫.
=== N sl it_policy password_policy n=2
Geslo mora imeti vsaj 12 znakov in vsaj eno številko. Velja ⟪num⟫0 dni.
=== P lt email_to_colleague
Labas, ⟪first⟫,
slaptažodis paskyrai ⟪email⟫: ⟪pw⟫
Ačiū
=== P lt chat_export
⟪first⟫: serverio IP?
⟪first⟫: ⟪ip4⟫, slaptažodis ⟪pw⟫
=== P lt receipt
Kvitas ⟪invno⟫
Suma: ⟪amount⟫ €
Kortelė: ⟪card⟫
=== N lt shipping_email tracking_number n=2
Jūsų siuntos numeris ⟪track⟫.
=== N lt welcome_email username
Jūsų vartotojo vardas: ⟪user⟫. Slaptažodžių el. paštu nesiunčiame.
=== P lv email_to_colleague
Sveiks, ⟪first⟫!
Parole kontam ⟪email⟫ ir ⟪pw⟫
Paldies
=== P lv chat_export
⟪first⟫: wifi parole?
⟪first⟫: ⟪psk⟫
=== P lv order_confirmation
Pasūtījums ⟪order⟫ apmaksāts ar karti ⟪card⟫.
=== N lv booking_confirmation booking_reference
Jūsu rezervācija ⟪bref⟫ ir apstiprināta ⟪date⟫.
=== N lv payment_notification masked_card
Maksājums ⟪amount⟫ € ar karti **** ⟪last4⟫ veiksmīgs.
=== P et email_to_colleague
Tere ⟪first⟫,
konto ⟪email⟫ parool on ⟪pw⟫
Aitäh
=== P et chat_export
⟪first⟫: serveri IP?
⟪first⟫: ⟪ip⟫
=== P et receipt
Kviitung ⟪invno⟫
Kokku: ⟪amount⟫ €
Kaart: ⟪card⟫
=== N et shipping_email order_number n=2
Teie tellimus ⟪order⟫ on teel. Jälgimiskood: ⟪track⟫.
=== N et it_policy password_policy n=2
Parool peab olema vähemalt 12 märki pikk. Vaheta iga ⟪num⟫0 päeva järel.
=== P ca email_to_colleague
Hola ⟪first⟫,
la contrasenya del compte ⟪email⟫ és ⟪pw⟫
Salut
=== P ca chat_export
⟪first⟫: quina és la IP del servidor?
⟪first⟫: ⟪ip4⟫
=== P ca receipt
Tiquet ⟪invno⟫
Total: ⟪amount⟫ €
Targeta: ⟪card⟫
=== N ca booking_confirmation booking_reference
La teva reserva ⟪bref⟫ està confirmada per al ⟪date⟫.
=== N ca welcome_email username
El teu nom d'usuari és ⟪user⟫. Mai enviem contrasenyes per correu.
=== P is email_to_colleague
Hæ ⟪first⟫,
lykilorðið fyrir ⟪email⟫ er ⟪pw⟫
Kveðja
=== P is receipt
Kvittun ⟪invno⟫
Samtals: ⟪amount⟫ kr.
Kort: ⟪card⟫
=== N de office_notice wifi_network_name
Gäste-WLAN heißt ⟪ssid⟫, das Passwort hängt am Empfang aus. Das Netz ⟪ssid⟫ ist nur für Kassen (Raum ⟪n:3⟫).
=== N de chat_export password_mention_without_value
[⟪time⟫] ⟪first⟫: hab das Passwort vom Drucker geändert
[⟪time⟫] ⟪first⟫: wo steht das neue?
[⟪time⟫] ⟪first⟫: im Passwortmanager, Ordner „Büro ⟪n:2⟫“ – nicht hier posten
=== N fr invoice invoice_number
Facture n° ⟪invno⟫ du ⟪date⟫ – total TTC ⟪amount⟫ € – référence client ⟪n:6⟫.
=== N es loyalty_email loyalty_number
Tu número de socio es ⟪loyal⟫. Has acumulado ⟪n:3⟫ puntos; caducan el ⟪date⟫.
=== N it qa_note reserved_email_domain
Per i test usate solo ⟪exemail⟫ e ⟪exemail⟫, mai indirizzi reali dei clienti. Rif. ⟪ticket⟫.
=== N ru support_ticket support_ticket_id
Ваше обращение зарегистрировано под номером ⟪ticket⟫. Ответ придёт в течение ⟪num⟫ рабочих дней.
=== N ja contact_page phone_number
お問い合わせ：⟪phone:ja⟫（平日 9:00〜18:00）受付番号 ⟪ticket⟫
=== N zh chat_export password_mention_without_value
⟪first⟫：新密码发你了吗？
⟪first⟫：没有，密码只放在公司密码库里，不在群里发。工单 ⟪ticket⟫
=== N pl chat_export wifi_network_name
⟪first⟫: jak się nazywa sieć dla gości?
⟪first⟫: ⟪ssid⟫, bez hasła, tylko akceptujesz regulamin (pokój ⟪n:3⟫)
=== N pt invoice invoice_number
Nota fiscal ⟪invno⟫ emitida em ⟪date⟫, valor R$ ⟪amount⟫. Código de verificação disponível no portal.
=== N tr chat_export redacted_secret
⟪first⟫: şifreyi yanlışlıkla gruba yazdım, sildim
⟪first⟫: şifre: ●●●●●●●● (mesaj ⟪date⟫ tarihinde düzenlendi)
=== N ko chat_export password_mention_without_value
⟪first⟫: 공유 드라이브 비밀번호 바꿨어요
⟪first⟫: 새 비번은 1Password '⟪word⟫' 금고에 있어요. 여기 올리지 마세요 (⟪ticket⟫)
=== N ar contact_page phone_number
للاستفسار اتصل على ⟪phone:en⟫ أو افتح تذكرة جديدة. رقم الطلب ⟪order⟫.
=== N hi welcome_email password_reset_notice
नमस्ते ⟪first⟫, हम ईमेल पर कभी पासवर्ड नहीं माँगते। पासवर्ड बदलने के लिए ऐप में "पासवर्ड भूल गए" चुनें। संदर्भ ⟪ticket⟫।
=== N nl chat_export crypto_wallet
⟪first⟫: voor de pot van het uitje kun je ook crypto sturen
⟪first⟫: adres: ⟪wallet:btc⟫
=== N sv it_inventory mac_address
Skrivare ⟪word⟫-⟪num⟫: MAC ⟪mac⟫, fast IP ⟪privip:4⟫, placering plan ⟪num⟫.
=== N cs runbook documentation_ip
V příkladech používáme adresy ⟪docip⟫ a ⟪docip⟫ – nahraďte je vlastními (kapitola ⟪num⟫).
=== N fi shop_listing product_sku
Tuote ⟪sku⟫ – villasukat, ⟪amount⟫ €, varastossa ⟪num⟫ kpl.
=== N uk welcome_email password_reset_notice
Ми ніколи не просимо пароль у листах. Щоб змінити пароль, натисніть «Забули пароль?» на сторінці входу. Звернення ⟪ticket⟫.
=== N el invoice invoice_number
Τιμολόγιο ⟪invno⟫, ημερομηνία ⟪date⟫, σύνολο ⟪amount⟫ €.
=== P de html_table n=2
<h3>Zugänge Praxis ⟪n:2⟫</h3>
<table border="1">
  <tr><td>Praxissoftware</td><td>⟪user⟫</td><td>⟪pw⟫</td></tr>
  <tr><td>KIM-Postfach</td><td>⟪email⟫</td><td>⟪pw⟫</td></tr>
  <tr><td>Alarmanlage</td><td>Code</td><td>⟪pin⟫</td></tr>
</table>
=== P fr wiki_table n=2
^ Outil ^ Identifiant ^ Mot de passe ^
| Box internet | admin | ⟪pw⟫ |
| Compte bancaire pro | ⟪n:8⟫ | ⟪pw⟫ |
| Messagerie | ⟪email⟫ | ⟪pw⟫ |
=== P ru wiki_table n=2
{| class="wikitable"
! Сервис !! Логин !! Пароль
|-
| 1С || ⟪user⟫ || ⟪pw⟫
|-
| Почта || ⟪email⟫ || ⟪pw⟫
|}
=== P ja tsv_export n=2
氏名	メール	カード番号
⟪name⟫	⟪email⟫	⟪card⟫
⟪name⟫	⟪email⟫	⟪card⟫
=== P es html_table n=2
<table><thead><tr><th>Cliente</th><th>Correo</th><th>Tarjeta</th></tr></thead>
<tbody><tr><td>⟪name⟫</td><td>⟪email⟫</td><td>⟪card⟫</td></tr></tbody></table>
=== P it plain_table n=2
SERVIZIO        UTENTE              PASSWORD
Gestionale      ⟪user⟫          ⟪pw⟫
PEC             ⟪email⟫   ⟪pw⟫
=== P pl markdown_table n=2
| Usługa | Adres IP | Hasło roota |
|---|---|---|
| VPS sklep | ⟪ip4⟫ | ⟪pw⟫ |
| VPS poczta | ⟪ip⟫ | ⟪pw⟫ |
=== P tr csv_account_list n=2
hizmet,kullanıcı,şifre,not
e-Fatura,⟪user⟫,⟪pw⟫,muhasebe
Kargo paneli,⟪email⟫,⟪pw⟫,depo
=== P nl support_ticket n=2
Melding ⟪ticket⟫ – webshop gehackt?
Sinds vannacht logt iemand in vanaf ⟪ip4⟫. Het beheerderswachtwoord (⟪pw⟫) heb ik al aangepast. Contact: ⟪email⟫, tel. ⟪phone:nl⟫.
=== P sv onboarding_note n=2
Välkommen ⟪first⟫!
• Dator: logga in som ⟪user⟫ med ⟪pw⟫
• Porttelefon: kod ⟪pin⟫
• Frågor om lön: ⟪email:role⟫
=== P ko handover_note n=2
인수인계 (⟪date⟫)
- 쇼핑몰 관리자: ⟪email⟫ / ⟪pw⟫
- 결제 API 시크릿 키: ⟪tok:sk_live⟫
- 사무실 고정 IP: ⟪ip4⟫
=== P zh handover_note n=2
交接说明 ⟪date⟫
1. 阿里云服务器：⟪ip4⟫，root 密码 ⟪pw⟫
2. 企业邮箱管理员：⟪email⟫
3. 机器人 Webhook 密钥：⟪shex:64⟫
=== P ar support_ticket n=2
تذكرة ⟪ticket⟫
العميل: ⟪name⟫ – ⟪email⟫
تم خصم المبلغ مرتين من البطاقة ⟪card⟫. عنوان IP للطلب: ⟪ip4⟫
=== P uk onboarding_note n=2
Перший день, ⟪first⟫:
– вхід у Windows: ⟪user⟫ / ⟪pw⟫
– Wi-Fi «⟪ssid⟫»: ⟪psk⟫
– токен GitLab для CI: ⟪tok:glpat⟫
=== P pt support_ticket n=2
Chamado ⟪ticket⟫
Cliente ⟪name⟫ (⟪email⟫) informa cobrança indevida no cartão ⟪card⟫. Acesso feito do IP ⟪ip⟫.
=== P el family_email n=2
Μαμά, τα στοιχεία για το e-banking: χρήστης ⟪user⟫, κωδικός ⟪pw⟫. Η κάρτα για τα ψώνια είναι η ⟪card⟫.
Φιλιά, ⟪first⟫
=== P cs csv_account_list n=2
"služba";"login";"heslo"
"Fakturoid";"⟪email⟫";"⟪pw⟫"
"Datová schránka";"⟪user⟫";"⟪pw⟫"
=== P vi handover_note n=2
Bàn giao ⟪date⟫:
• VPS: ⟪ip4⟫ – user root – mật khẩu ⟪pw⟫
• Token bot Telegram: ⟪tok:telegram⟫
• Email quản trị: ⟪email⟫
=== N is shipping_email order_number n=2
Pöntun ⟪order⟫ hefur verið send. Rakningarnúmer: ⟪track⟫.
"""

TEMPLATES += r"""
=== P en env_file
# .env – ⟪company⟫ shop
APP_ENV=production
APP_KEY=base64:⟪lkey⟫
DB_HOST=⟪privip:4⟫
DB_USERNAME=⟪user⟫
DB_PASSWORD=⟪pw⟫
MAIL_USERNAME=⟪email⟫
MAIL_PASSWORD=⟪pw⟫
STRIPE_KEY=⟪pk:live⟫
STRIPE_SECRET=⟪tok:sk_live⟫
=== P en docker_compose
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ⟪user⟫
      POSTGRES_PASSWORD: ⟪pw⟫
  app:
    image: ghcr.io/⟪word⟫/⟪app⟫:latest
    environment:
      DATABASE_URL: postgres://⟪user⟫:⟪pwu⟫@db:5432/⟪app⟫
      LOG_LEVEL: info
=== P en k8s_secret
apiVersion: v1
kind: Secret
metadata:
  name: ⟪app⟫-db
type: Opaque
data:
  username: ⟪b64user⟫
  password: ⟪k8s⟫
=== P en shell_command
curl -s -H "Authorization: Bearer ⟪tok:do⟫" https://api.digitalocean.com/v2/droplets | jq '.droplets[].name'
=== P en shell_command
curl -u ⟪user⟫:⟪pw⟫ https://⟪domain⟫/api/v1/export?from=⟪date⟫ -o export.csv
=== P en http_request_dump
POST /api/orders HTTP/1.1
Host: api.⟪domain⟫
Authorization: Basic ⟪basic⟫
X-Forwarded-For: ⟪ip4⟫
Content-Type: application/json
=== P en nginx_access_log
⟪ip4⟫ - - [⟪ts:clf⟫] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"
⟪ip4⟫ - - [⟪ts:clf⟫] "POST /xmlrpc.php HTTP/1.1" 403 199 "-" "python-requests/2.31"
⟪privip:4⟫ - - [⟪ts:clf⟫] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"
=== P en auth_log
⟪ts:syslog⟫ web01 sshd[⟪n:5⟫]: Failed password for invalid user ⟪user⟫ from ⟪ip⟫ port ⟪port⟫ ssh2
⟪ts:syslog⟫ web01 sshd[⟪n:5⟫]: Failed password for root from ⟪ip4⟫ port ⟪port⟫ ssh2
⟪ts:syslog⟫ web01 sshd[⟪n:5⟫]: Accepted publickey for deploy from ⟪privip:4⟫ port ⟪port⟫ ssh2
=== P en python_settings
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': '⟪app⟫',
        'USER': '⟪user⟫',
        'PASSWORD': '⟪pw⟫',
        'HOST': '⟪privip:4⟫',
    }
}
SECRET_KEY = '⟪djkey⟫'
EMAIL_HOST_USER = '⟪email⟫'
=== P en app_log
⟪ts:iso⟫ INFO checkout: payment request card=⟪card⟫ amount=⟪amount⟫ user=⟪email⟫ ip=⟪ip4⟫
⟪ts:iso⟫ INFO checkout: order ⟪order⟫ created
=== P en php_config
<?php
define( 'DB_NAME', 'wp_⟪word⟫' );
define( 'DB_USER', '⟪user⟫' );
define( 'DB_PASSWORD', '⟪pw⟫' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY', '⟪wpsalt⟫' );
=== P en npmrc
//registry.npmjs.org/:_authToken=⟪tok:npm⟫
@⟪word⟫:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟪tok:ghp⟫
=== P en pypirc
[distutils]
index-servers = pypi

[pypi]
username = __token__
password = ⟪tok:pypi⟫
=== P en ci_workflow
- name: Deploy model
  env:
    HF_TOKEN: ⟪tok:hf⟫
    AWS_ACCESS_KEY_ID: ⟪tok:akia⟫
    AWS_SECRET_ACCESS_KEY: ⟪tok:awssecret⟫
  run: ./scripts/deploy.sh ⟪awsregion⟫
=== P en terraform_tfvars
do_token             = "⟪tok:do⟫"
cloudflare_api_token = "⟪cftoken⟫"
admin_cidr           = "⟪ip4⟫/32"
region               = "fra1"
=== P en wireguard_config
[Interface]
PrivateKey = ⟪wgkey⟫
Address = 10.8.0.⟪num⟫/24

[Peer]
PublicKey = ⟪wgpub⟫
Endpoint = ⟪ip4⟫:51820
AllowedIPs = 0.0.0.0/0
=== P en kubeconfig
users:
- name: ⟪user⟫
  user:
    token: ⟪jwt⟫
clusters:
- cluster:
    server: https://⟪ip4⟫:6443
  name: prod
=== P en javascript_code
// TODO: move to env before go-live
const uri = "mongodb+srv://⟪user⟫:⟪pwu⟫@cluster0.⟪rs:5⟫.mongodb.net/⟪app⟫?retryWrites=true";
await mongoose.connect(uri);
=== P en shell_session
$ redis-cli -h ⟪ip4⟫ -p 6379 -a '⟪pw⟫' ping
PONG
=== P en shell_command
mysql -h ⟪privip:4⟫ -u ⟪user⟫ -p'⟪pw⟫' ⟪app⟫ < dump_⟪n:4⟫.sql
=== P en ini_config
[smtp]
host = smtp.⟪domain⟫
port = 587
user = ⟪email⟫
password = ⟪pw⟫
from = ⟪email:role⟫
=== P en json_config
{
  "ConnectionStrings": {
    "Default": "Server=⟪ip4⟫;Database=crm;User Id=⟪user⟫;Password=⟪pw⟫;"
  },
  "SendGrid": { "ApiKey": "⟪tok:sg⟫" }
}
=== P en connection_string
DefaultEndpointsProtocol=https;AccountName=⟪word⟫store⟪n:2⟫;AccountKey=⟪tok:azstorage⟫;EndpointSuffix=core.windows.net
=== P en python_script
from openai import OpenAI
client = OpenAI(api_key="⟪tok:openai⟫")  # TODO move to env
resp = client.responses.create(model="gpt-4.1-mini", input="summarise ⟪word⟫")
=== P en shell_session
$ export ANTHROPIC_API_KEY=⟪tok:anthropic⟫
$ python summarise.py --in notes/ --out summary_⟪n:3⟫.md
=== P en env_file
SLACK_BOT_TOKEN=⟪tok:xoxb⟫
SLACK_SIGNING_SECRET=⟪shex:32⟫
SLACK_CHANNEL=#ops-alerts
=== P en python_script
import telebot
bot = telebot.TeleBot("⟪tok:telegram⟫")
ADMIN_CHAT = ⟪n:9⟫
=== P en javascript_code
const client = new Client({ intents: [GatewayIntentBits.Guilds] });
client.login('⟪tok:discord⟫');
=== P en shell_session
$ cat ~/.ssh/id_⟪word#1⟫
⟪pkey:openssh⟫
$ chmod 600 ~/.ssh/id_⟪word#1⟫
=== P en php_config
return [
    'api_key'    => '⟪apikey⟫',
    'api_secret' => '⟪shex:64⟫',
    'notify'     => '⟪email⟫',
];
=== P en fail2ban_log
⟪ts:sql⟫,⟪n:3⟫ fail2ban.actions [⟪n:4⟫]: NOTICE [sshd] Ban ⟪ip4⟫
⟪ts:sql⟫,⟪n:3⟫ fail2ban.actions [⟪n:4⟫]: NOTICE [sshd] Ban ⟪ip⟫
⟪ts:sql⟫,⟪n:3⟫ fail2ban.actions [⟪n:4⟫]: NOTICE [nginx-botsearch] Unban ⟪ip4⟫
=== P en firewall_rules
iptables -A INPUT -s ⟪ip4⟫ -p tcp --dport 22 -j ACCEPT
iptables -A INPUT -s ⟪ip4⟫ -j DROP
iptables -A INPUT -s ⟪privip:4⟫/24 -j ACCEPT
=== P en sql_dump
INSERT INTO customers (name, email, card_number) VALUES
('⟪name:en⟫', '⟪email⟫', '⟪card⟫'),
('⟪name:de⟫', '⟪email⟫', '⟪card⟫');
=== P en csv_export
date,customer_email,card,amount
⟪date⟫,⟪email⟫,⟪card⟫,⟪amount⟫
⟪date⟫,⟪email⟫,⟪card⟫,⟪amount⟫
=== P en yaml_config
production:
  adapter: postgresql
  host: ⟪ip4⟫
  database: ⟪app⟫_prod
  username: ⟪user⟫
  password: ⟪pw⟫
=== P en properties_file
spring.datasource.url=jdbc:mysql://⟪privip:4⟫:3306/⟪app⟫
spring.datasource.username=⟪user⟫
spring.datasource.password=⟪pw⟫
spring.mail.username=⟪email⟫
spring.mail.password=⟪pw⟫
=== P en ansible_vars
ansible_host: ⟪ip4⟫
ansible_user: deploy
ansible_become_pass: ⟪pw⟫
backup_target: ⟪ip6⟫
=== P en dockerfile
FROM node:20-alpine
ENV NPM_TOKEN=⟪tok:npm⟫
ENV SENTRY_AUTH_TOKEN=⟪tok:sentry⟫
RUN npm ci && npm run build
=== P en shell_command
echo ⟪tok:ghp⟫ | docker login ghcr.io -u ⟪user⟫ --password-stdin
=== P en shell_command
git remote set-url origin https://⟪user⟫:⟪tok:glpat⟫@gitlab.⟪domain⟫/⟪word⟫/site.git
=== P en netrc
machine api.⟪domain⟫
  login ⟪email⟫
  password ⟪pw⟫
=== P en pgpass
⟪privip:4⟫:5432:*:⟪user⟫:⟪pw⟫
⟪host⟫:5432:⟪app⟫:⟪user⟫:⟪pw⟫
=== P en ini_config
[b2]
type = b2
account = ⟪hex:12⟫
key = ⟪tok:b2⟫
hard_delete = true
=== P en ini_config
[default]
access_key = ⟪tok:akia⟫
secret_key = ⟪tok:awssecret⟫
host_base = s3.amazonaws.com
=== P en json_config
{
  "name": "prod",
  "values": [
    {"key": "baseUrl", "value": "https://⟪domain⟫"},
    {"key": "postmanKey", "value": "⟪tok:pmak⟫"},
    {"key": "linearKey", "value": "⟪tok:linear⟫"}
  ]
}
=== P en jupyter_cell
# In[3]:
import requests
HEADERS = {"Authorization": "Bearer ⟪tok:hf⟫"}
r = requests.get("https://huggingface.co/api/whoami-v2", headers=HEADERS)
=== P en http_request_dump
GET /account HTTP/2
Host: ⟪domain⟫
Cookie: sessionid=⟪sess⟫; theme=dark; csrftoken=⟪csrf⟫
User-Agent: Mozilla/5.0
=== P en python_script
import shopify
session = shopify.Session("⟪word⟫-store.myshopify.com", "2024-01", "⟪tok:shpat⟫")
shopify.ShopifyResource.activate_session(session)
=== P en env_file
MAILCHIMP_API_KEY=⟪tok:mailchimp⟫
MAILCHIMP_LIST_ID=⟪hex:10⟫
NOTIFY_FROM=⟪email⟫
=== P en ini_config
[DEFAULT]
host = https://adb-1⟪n:14⟫.⟪num⟫.azuredatabricks.net
token = ⟪tok:dapi⟫
=== P en env_file
GRAFANA_URL=https://grafana.⟪domain⟫
GRAFANA_SA_TOKEN=⟪tok:glsa⟫
ALERT_EMAIL=⟪email⟫
=== P en yaml_config
newrelic:
  api_key: ⟪tok:nrak⟫
  account_id: ⟪n:7⟫
  app_name: ⟪app⟫-prod
=== P en shell_session
$ export VAULT_ADDR=https://vault.⟪domain⟫:8200
$ export VAULT_TOKEN=⟪tok:vault⟫
$ vault kv get secret/⟪app⟫
=== P en hcl_config
credentials "app.terraform.io" {
  token = "⟪tok:tfc⟫"
}
=== P en json_config
{"web":{"client_id":"⟪gcid⟫","project_id":"⟪word⟫-⟪n:6⟫","client_secret":"⟪tok:gocspx⟫","redirect_uris":["https://⟪domain⟫/oauth2/callback"]}}
=== P en env_file
AZURE_TENANT_ID=⟪uuid⟫
AZURE_CLIENT_ID=⟪uuid⟫
AZURE_CLIENT_SECRET=⟪tok:azurecs⟫
=== P en env_file
TWILIO_API_KEY=⟪tok:twsk⟫
TWILIO_API_SECRET=⟪apikey⟫
TWILIO_AUTH_TOKEN=⟪shex:32⟫
ALERT_TO=⟪phone:en⟫
=== P en javascript_code
const { Client } = require("@notionhq/client");
const notion = new Client({ auth: "⟪tok:notion⟫" });
=== P en yaml_config
jira:
  url: https://⟪word⟫.atlassian.net
  email: ⟪email⟫
  api_token: ⟪tok:atlassian⟫
=== P en python_script
DROPBOX_ACCESS_TOKEN = "⟪tok:dropbox⟫"
FIGMA_TOKEN = "⟪tok:figma⟫"
=== P en env_file
SQUARE_ACCESS_TOKEN=⟪tok:square⟫
SQUARE_LOCATION_ID=L⟪uhex:12⟫
=== P en router_config
/ip firewall address-list add list=office address=⟪ip4⟫
/user add name=⟪user⟫ password=⟪pw⟫ group=full
=== P en app_log
⟪ts:iso⟫ WARN auth: login failed for ⟪email⟫ from ⟪ip⟫ (attempt ⟪num⟫)
⟪ts:iso⟫ WARN auth: login failed for ⟪email⟫ from ⟪ip4⟫ (attempt ⟪num⟫)
=== P en apache_error_log
[⟪ts:apache⟫] [authz_core:error] [pid ⟪n:4⟫] [client ⟪ip4⟫:⟪port⟫] AH01630: client denied by server configuration
[⟪ts:apache⟫] [authz_core:error] [pid ⟪n:4⟫] [client ⟪ip6⟫] AH01630: client denied by server configuration
=== P en hosts_file
⟪ip4⟫  shop.⟪domain⟫
⟪ip4⟫  api.⟪domain⟫
127.0.0.1 localhost
=== P en env_file
STRIPE_PUBLISHABLE_KEY=⟪pk:test⟫
STRIPE_SECRET_KEY=⟪tok:sk_test⟫
STRIPE_WEBHOOK_SECRET=⟪tok:whsec⟫
=== P en json_config
{
  "type": "service_account",
  "project_id": "⟪word⟫-⟪n:6⟫",
  "private_key_id": "⟪hex:40⟫",
  "private_key": "⟪pkey:json⟫\n",
  "client_email": "⟪email:gsa⟫",
  "client_id": "⟪n:21⟫"
}
=== P en env_file
JWT_SECRET=⟪sb64:44⟫
JWT_EXPIRES_IN=3600
REFRESH_TOKEN_SECRET=⟪shex:64⟫
=== P en yaml_config
webhooks:
  github:
    secret: ⟪shex:40⟫
  stripe:
    signing_secret: ⟪tok:whsec⟫
=== P en shell_command
export DOPPLER_TOKEN=⟪tok:doppler⟫ && doppler run -- npm start
=== P en yaml_config
pulumi:
  access_token: ⟪tok:pulumi⟫
github:
  app_installation_token: ⟪tok:ghs⟫
=== P en chat_export
⟪first⟫: the gh cli keeps asking me to log in
⟪first⟫: just set GH_TOKEN=⟪tok:gho⟫ for now
⟪first⟫: 👍
=== P en slack_thread
⟪first⟫ 14:31  whoever set up the status page: its Slack user token is ⟪tok:xoxp⟫
⟪first⟫ 14:33  that's mine, revoking it now, sorry
=== P en support_ticket
Ticket ⟪ticket⟫ – leaked key?
A customer forwarded us this line from a public gist: GOOGLE_MAPS_KEY=⟪tok:aiza⟫ – it belongs to the account ⟪email⟫. Please restrict/rotate.
=== P en ci_log
Run ./deploy.sh
+ export CF_API_TOKEN=⟪cftoken⟫
+ curl -X POST https://api.cloudflare.com/client/v4/zones/⟪hex:32⟫/purge_cache
{"success":true}
=== P de env_file
# Zugangsdaten Produktion – NICHT committen
SMTP_USER=⟪email⟫
SMTP_PASS=⟪pw⟫
SHOP_API_KEY=⟪apikey⟫
=== P es python_script
# conexión a la base de datos del TPV
conn = psycopg2.connect(host="⟪ip4⟫", user="⟪user⟫", password="⟪pw⟫", dbname="tpv")
=== P fr yaml_config
# identifiants pour l'envoi des factures
smtp:
  serveur: ⟪ip4⟫
  utilisateur: ⟪email⟫
  mot_de_passe: ⟪pw⟫
=== P ru shell_session
# доступ к серверу бухгалтерии
$ sshpass -p '⟪pw⟫' ssh ⟪user⟫@⟪ip4⟫
=== P pt env_file
# credenciais da loja – não partilhar
MERCADOPAGO_TOKEN=⟪tok:mercadopago⟫
EMAIL_CONTATO=⟪email⟫
=== P ja yaml_config
# 本番用の接続情報（共有禁止）
database:
  host: ⟪ip4⟫
  user: ⟪user⟫
  password: ⟪pw⟫
=== N en env_example placeholder_value n=4
DB_PASSWORD=
STRIPE_SECRET=sk_live_your_key_here
MAIL_PASSWORD=<mail-password>
APP_URL=https://⟪domain⟫
APP_NAME=⟪word⟫
=== N en docker_compose env_var_reference n=4
services:
  db:
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}
      API_TOKEN: ⟪envref⟫
    ports:
      - "⟪port⟫:5432"
=== N en k8s_manifest secret_reference
env:
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: ⟪app⟫-db
      key: password
- name: LOG_LEVEL
  value: "⟪word⟫"
=== N en ci_workflow env_var_reference n=4
env:
  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
  DEPLOY_HOST: ${{ vars.DEPLOY_HOST }}
steps:
  - run: npm publish --tag ⟪word⟫-⟪n:2⟫
=== N en javascript_code publishable_key n=4
const stripe = Stripe('⟪pk:live⟫');
const elements = stripe.elements({ locale: '⟪word⟫' === 'x' ? 'de' : 'auto' });
=== N en javascript_code publishable_key n=4
mapboxgl.accessToken = 'pk.eyJ1Ijoi⟪b64u:12⟫IiwiYSI6I⟪b64u:24⟫In0.⟪b64u:22⟫';
const map = new mapboxgl.Map({ container: 'map-⟪n:2⟫' });
=== N en html_snippet oauth_client_id n=4
<meta name="google-signin-client_id" content="⟪gcid⟫">
<script src="https://accounts.google.com/gsi/client" async></script>
=== N en html_snippet recaptcha_site_key n=4
<form action="/contact" method="post">
  <div class="g-recaptcha" data-sitekey="⟪sitekey⟫"></div>
  <button>Send (#⟪n:3⟫)</button>
</form>
=== N en html_snippet csrf_token n=4
<form method="post" action="/login">
  <input type="hidden" name="csrf_token" value="⟪csrf⟫">
  <input name="username" value="⟪user⟫">
  <input type="password" name="password">
</form>
=== N en http_response nonce
HTTP/2 200
content-security-policy: script-src 'self' 'nonce-⟪nonce⟫'; object-src 'none'
x-request-id: ⟪uuid⟫
=== N en sql_dump password_hash n=4
INSERT INTO users (username, password_hash) VALUES
('⟪user⟫', '⟪bcrypt⟫'),
('⟪user⟫', '⟪bcrypt⟫');
=== N en shadow_file password_hash n=4
⟪user⟫:⟪shacrypt⟫:19⟪n:3⟫:0:99999:7:::
backup:⟪shacrypt⟫:19⟪n:3⟫:0:99999:7:::
nobody:*:19⟪n:3⟫:0:99999:7:::
=== N en router_config network_device_hash n=4
username ⟪user⟫ privilege 15 secret 9 ⟪cisco9⟫
enable secret 8 ⟪cisco8⟫
hostname sw-⟪word⟫-⟪num⟫
=== N en checksum_file file_checksum
⟪sha256⟫  ⟪word#1⟫-⟪ver#1⟫-linux-amd64.tar.gz
⟪sha256⟫  ⟪word#1⟫-⟪ver#1⟫-darwin-arm64.tar.gz
=== N en git_log git_commit_hash
commit ⟪sha1⟫
Author: ⟪name:en⟫ <⟪exemail⟫>
Date:   ⟪date⟫

    fix: remove leaked token from config (value rotated, see ⟪ticket⟫)
=== N en deploy_log container_digest
pulling ghcr.io/⟪word⟫/⟪app⟫@sha256:⟪sha256⟫
digest: sha256:⟪sha256⟫ size: ⟪n:4⟫
=== N en nginx_access_log private_ip
⟪privip:4⟫ - - [⟪ts:clf⟫] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟪privip:4⟫ - - [⟪ts:clf⟫] "GET /metrics HTTP/1.1" 200 ⟪n:4⟫ "-" "Prometheus/2.51"
=== N en nginx_config documentation_ip
# example from the runbook – replace before use
server ⟪docip⟫:8080;
allow 198.51.100.0/24;
listen [2001:db8::⟪hex:3⟫]:443;
=== N en app_log request_id n=4
⟪ts:iso⟫ INFO request_id=⟪uuid⟫ trace_id=⟪hex:32⟫ span_id=⟪hex:16⟫ status=200 duration_ms=⟪n:3⟫
=== N en http_request_dump idempotency_key n=4
POST /v1/refunds HTTP/1.1
Idempotency-Key: ⟪uuid⟫
X-Correlation-ID: ⟪hex:24⟫
Content-Type: application/x-www-form-urlencoded
=== N en app_log cache_key
cache miss key=user:⟪n:6⟫:profile:v3 ttl=300
cache set key=session-index:⟪hex:16⟫ ttl=⟪n:3⟫
=== N en shell_session vault_accessor n=4
$ vault token lookup -format=table
Key                 Value
---                 -----
accessor            ⟪vaultacc⟫
display_name        ldap-⟪user⟫
expire_time         ⟪ts:iso⟫
policies            [default ⟪word⟫]
=== N en authorized_keys public_key n=4
⟪sshpub⟫
⟪sshpub⟫
=== N en pem_file public_key n=4
# signing key (public part only) for ⟪app⟫
⟪pempub⟫
=== N en pem_file certificate
⟪cert⟫
=== N en json_config public_key n=4
{"keys":[{"kty":"RSA","kid":"⟪hex:16⟫","use":"sig","alg":"RS256","n":"⟪b64u:342⟫","e":"AQAB"}]}
=== N en ini_config vendor_example_key n=4
# copied from the AWS docs – do not use
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region = ⟪awsregion⟫
=== N en readme vendor_example_key n=4
Set your token first:
    export API_KEY=⟪exkey⟫
then run `make ⟪word⟫` (step ⟪num⟫).
=== N en ini_config cloud_resource_id
[profile ⟪word⟫]
role_arn = arn:aws:iam::⟪n:12⟫:role/⟪word⟫-deploy
source_profile = ⟪user⟫
region = ⟪awsregion⟫
=== N en hcl_config cloud_resource_id
tenant_id       = "⟪uuid⟫"
subscription_id = "⟪uuid⟫"
location        = "westeurope"
=== N en package_lock integrity_hash
"node_modules/⟪word#1⟫": {
  "version": "⟪ver#1⟫",
  "resolved": "https://registry.npmjs.org/⟪word#1⟫/-/⟪word#1⟫-⟪ver#1⟫.tgz",
  "integrity": "sha512-⟪b64:86⟫=="
}
=== N en app_log masked_card
⟪ts:iso⟫ INFO payment ok card=⟪masked64⟫ amount=⟪amount⟫ order=⟪order⟫
=== N en env_file redacted_secret
DB_PASSWORD=********
API_KEY=[REDACTED]
SMTP_PASS=<hidden>
updated_by=⟪user⟫ on ⟪date⟫
=== N en dhcp_leases mac_address
lease ⟪privip:4⟫ {
  hardware ethernet ⟪mac⟫;
  client-hostname "⟪word⟫-laptop";
}
=== N en shell_session version_number
$ apt-cache policy ⟪word⟫
  Installed: ⟪ver:4⟫
  Candidate: ⟪ver:4⟫
=== N en shell_session ssh_fingerprint
The authenticity of host '⟪host⟫ (⟪privip:4⟫)' can't be established.
ED25519 key fingerprint is SHA256:⟪b64:43⟫.
=== N en yaml_config password_policy
password_policy:
  min_length: 12
  require_digit: true
  require_upper: true
  max_age_days: ⟪n:2⟫
  history: 5
=== N en htpasswd password_hash n=4
⟪user⟫:⟪apr1⟫
⟪user⟫:⟪apr1⟫
=== N en yaml_config reserved_email_domain
fixtures:
  users:
    - email: ⟪exemail⟫
      role: admin
    - email: ⟪exemail⟫
      role: viewer
=== N en ip_addr_output private_ip
inet ⟪privip:4⟫/24 brd 10.255.255.255 scope global eth0
inet6 fe80::⟪hex:4⟫:⟪hex:4⟫:⟪hex:4⟫:⟪hex:4⟫/64 scope link
=== N en http_response etag_value n=4
HTTP/1.1 304 Not Modified
ETag: "⟪hex:32⟫"
Cache-Control: max-age=⟪n:3⟫
=== N en shell_command gpg_key_id
gpg --keyserver keys.openpgp.org --recv-keys ⟪uhex:40⟫
=== N en lfs_pointer file_checksum
version https://git-lfs.github.com/spec/v1
oid sha256:⟪sha256⟫
size ⟪n:7⟫
=== N en json_config password_hash n=4
{"user": "⟪user⟫", "password": "⟪argon⟫", "updated": "⟪date⟫"}
=== N en upload_log file_checksum
upload ok: ⟪word⟫_⟪n:4⟫.zip md5=⟪md5⟫ size=⟪n:6⟫
=== N en python_script env_var_reference n=4
import os
DB_PASSWORD = os.environ["DB_PASSWORD"]
API_TOKEN = os.getenv("⟪envname⟫", "")
TIMEOUT = ⟪n:2⟫
=== N en yaml_config username
ldap:
  bind_dn: cn=⟪user⟫,ou=svc,dc=⟪word#1⟫,dc=lan
  bind_password_file: /run/secrets/ldap_pw
  search_base: ou=people,dc=⟪word#1⟫,dc=lan
=== N en app_log session_id
⟪ts:iso⟫ INFO session expired and deleted: trace=⟪uuid⟫ user_id=⟪n:6⟫ reason=timeout
=== N en shell_session placeholder_value n=4
$ mysql -u ⟪user#1⟫ -p
Enter password: ****************
ERROR 1045 (28000): Access denied for user '⟪user#1⟫'@'localhost' (using password: YES)
=== N de env_file env_var_reference
# Produktion – Werte kommen aus dem CI
DB_PASSWORT=${DB_PASSWORT}
API_SCHLUESSEL=⟪envref⟫
PORT=⟪port⟫
=== N fr yaml_config placeholder_value
# à compléter par l'équipe infra
smtp:
  utilisateur: ⟪exemail⟫
  mot_de_passe: "<à renseigner>"
  port: ⟪n:3⟫
"""


# ================================================================ machinery
SLOT = re.compile(r"⟪([a-z0-9_]+)(?::([A-Za-z0-9_]+))?(?:#(\d+))?⟫")
DEFAULT_N = {"P": 3, "N": 3}


def parse_templates(block):
    out = []
    cur = None
    for line in block.split("\n"):
        if line.startswith("=== "):
            if cur:
                out.append(cur)
            parts = line[4:].split()
            n = None
            if parts[-1].startswith("n="):
                n = int(parts.pop()[2:])
            kind, lang, ctx = parts[0], parts[1], parts[2]
            cat = "positive" if kind == "P" else parts[3]
            assert kind in "PN" and (kind == "P") == (len(parts) == 3), line
            cur = {"kind": kind, "lang": lang, "context": ctx, "category": cat, "n": n or DEFAULT_N[kind], "lines": []}
        elif cur is not None:
            cur["lines"].append(line)
    if cur:
        out.append(cur)
    for t in out:
        t["body"] = "\n".join(t.pop("lines")).strip("\n")
        if "chat" in t["context"] or "thread" in t["context"]:
            # speakers in chat-like templates alternate between two distinct people
            k = iter(range(10**6))
            t["body"] = re.sub(r"⟪first⟫", lambda m: "⟪first#%d⟫" % (1 + next(k) % 2), t["body"])
        for m in SLOT.finditer(t["body"]):
            assert m.group(1) in LABELLED or m.group(1) in UNLABELLED, (m.group(0), t["body"][:60])
        assert "⟪" not in SLOT.sub("", t["body"]) and "⟫" not in SLOT.sub("", t["body"]), t["body"][:80]
    return out


def render(body, lang):
    parts, spans, pos, last, cache, used_people, clock = [], [], 0, 0, {}, set(), 0
    for m in SLOT.finditer(body):
        lit = body[last : m.start()]
        parts.append(lit)
        pos += len(lit)
        kind, arg, idx = m.groups()
        key = (kind, arg, idx)
        if idx and key in cache:
            val = cache[key]
        elif kind == "time":
            # clock times inside one text move forward
            clock = clock + R.randint(0, 9) if clock else R.randint(7 * 60, 20 * 60)
            val = f"{clock // 60:02d}:{clock % 60:02d}"
        elif kind in ("name", "first"):
            # people mentioned in one text are distinct persons
            pool = NAMES.get(arg or lang, NAMES["en"])
            full = R.choice([p for p in pool if p not in used_people] or pool)
            used_people.add(full)
            val = (
                full
                if kind == "name" or " " not in full
                else (full.split()[-1] if (arg or lang) == "hu" else full.split()[0])
            )
            if idx:
                cache[key] = val
        else:
            val = LABELLED[kind][1](arg, lang) if kind in LABELLED else UNLABELLED[kind](arg, lang)
            if idx:
                cache[key] = val
        if kind in LABELLED:
            spans.append({"start": pos, "end": pos + len(val), "entity": LABELLED[kind][0], "_value": val})
        parts.append(val)
        pos += len(val)
        last = m.end()
    parts.append(body[last:])
    return "".join(parts), spans


# ---------------------------------------------------------------- scanner
IPV4_RE = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")
DIGRUN_RE = re.compile(r"(?<![A-Za-z0-9])\d+(?:[ \-]\d+)*(?![A-Za-z0-9])")


def card_candidates(text):
    for m in DIGRUN_RE.finditer(text):
        groups = re.split(r"[ \-]", m.group(0))
        for i in range(len(groups)):
            acc = ""
            for j in range(i, len(groups)):
                acc += groups[j]
                if len(acc) > 19:
                    break
                if 13 <= len(acc) <= 19 and luhn_ok(acc) and brand_of(acc):
                    yield acc


def scan(text, category):
    """return list of problems found by the simple scanner in (unlabelled) text"""
    probs = []
    if category != "version_number":
        for m in IPV4_RE.finditer(text):
            if all(int(g) <= 255 for g in m.groups()) and ip_public(m.group(0)):
                probs.append(("ipv4", m.group(0)))
    for c in card_candidates(text):
        probs.append(("card", c))
    for m in EMAIL_RE.finditer(text):
        if not email_reserved(m.group(1)):
            probs.append(("email", m.group(0)))
    return probs


def blank_spans(text, spans):
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            chars[i] = "\x00"
    return "".join(chars)


# ---------------------------------------------------------------- per-span checks
def check_span(text, s):
    v = text[s["start"] : s["end"]]
    e = s["entity"]
    assert v and v == v.strip(), (v,)
    if e == "IP_ADDRESS":
        assert ip_public(v), v
    elif e == "CREDIT_CARD":
        d = re.sub(r"[ \-]", "", v)
        assert d.isdigit() and luhn_ok(d) and brand_of(d), v
        assert re.fullmatch(r"\d+(?:[ \-]\d+)*", v), v
    elif e == "EMAIL_ADDRESS":
        m = re.fullmatch(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})", v)
        assert m and not email_reserved(m.group(1)), v
    elif e == "SECRET":
        assert v[0].isalnum() or v.startswith("-----BEGIN"), v
        assert v[-1] not in ".,!?:;", v
        for bad in ("EXAMPLE", "example", "xxxx", "your_"):
            assert bad not in v, v
        for pre in ("Bearer ", "Basic ", "token ", "base64:"):
            assert not v.startswith(pre), v
        if v.startswith("-----BEGIN"):
            assert re.fullmatch(r"-----BEGIN ([A-Z ]*PRIVATE KEY)-----.*-----END \1-----", v, re.S), v[:40]
    else:
        raise AssertionError(e)
    return v


def verify(records):
    ids, texts = set(), set()
    for r in records:
        assert set(r) == {"id", "text", "lang", "context", "category", "spans"}, r.keys()
        assert r["id"] not in ids, r["id"]
        ids.add(r["id"])
        assert r["text"] not in texts, r["id"]
        texts.add(r["text"])
        assert re.fullmatch(r"[a-z]{2}", r["lang"]) and re.fullmatch(r"[a-z0-9_]+", r["context"])
        assert re.fullmatch(r"[a-z0-9_]+", r["category"])
        sp = r["spans"]
        if r["category"] == "positive":
            assert sp, r["id"]
        else:
            assert not sp, r["id"]
        prev_end = -1
        for s in sorted(sp, key=lambda s: s["start"]):
            assert set(s) == {"start", "end", "entity"}
            assert 0 <= s["start"] < s["end"] <= len(r["text"])
            assert s["start"] >= prev_end, ("overlap", r["id"])
            prev_end = s["end"]
            check_span(r["text"], s)
        probs = scan(blank_spans(r["text"], sp), r["category"])
        assert not probs, (r["id"], probs)


# ---------------------------------------------------------------- main
def main():
    templates = parse_templates(TEMPLATES)
    records, seen = [], set()
    for ti, t in enumerate(templates, 1):
        for vi in range(1, t["n"] + 1):
            for _attempt in range(300):
                text, spans = render(t["body"], t["lang"])
                if text in seen:
                    continue
                if scan(blank_spans(text, spans), t["category"]):
                    continue
                break
            else:
                raise SystemExit(f"could not render template {ti} cleanly: {t['body'][:80]!r}")
            if t["kind"] == "P":
                assert spans, f"positive template {ti} has no labelled slot"
            else:
                assert not spans, f"negative template {ti} has a labelled slot"
            for s in spans:  # value recorded at insertion must be exactly what the offsets cover
                assert text[s["start"] : s["end"]] == s.pop("_value"), (ti, s)
            seen.add(text)
            records.append(
                {
                    "id": f"t31-{ti}-{vi}",
                    "text": text,
                    "lang": t["lang"],
                    "context": t["context"],
                    "category": t["category"],
                    "spans": spans,
                }
            )
    verify(records)

    # ---- set-level targets
    ent = Counter(s["entity"] for r in records for s in r["spans"])
    cats = Counter(r["category"] for r in records)
    langs = Counter(r["lang"] for r in records)
    ctxs = Counter(r["context"] for r in records)
    neg = sum(v for k, v in cats.items() if k != "positive")
    code_ctx = {
        "env_file",
        "docker_compose",
        "k8s_secret",
        "k8s_manifest",
        "shell_command",
        "shell_session",
        "http_request_dump",
        "http_response",
        "nginx_access_log",
        "auth_log",
        "python_settings",
        "python_script",
        "app_log",
        "php_config",
        "npmrc",
        "pypirc",
        "ci_workflow",
        "ci_log",
        "terraform_tfvars",
        "wireguard_config",
        "kubeconfig",
        "javascript_code",
        "ini_config",
        "json_config",
        "yaml_config",
        "connection_string",
        "fail2ban_log",
        "firewall_rules",
        "sql_dump",
        "csv_export",
        "properties_file",
        "ansible_vars",
        "dockerfile",
        "netrc",
        "pgpass",
        "jupyter_cell",
        "hcl_config",
        "router_config",
        "apache_error_log",
        "hosts_file",
        "env_example",
        "html_snippet",
        "shadow_file",
        "checksum_file",
        "git_log",
        "deploy_log",
        "nginx_config",
        "authorized_keys",
        "pem_file",
        "readme",
        "package_lock",
        "dhcp_leases",
        "htpasswd",
        "ip_addr_output",
        "lfs_pointer",
        "upload_log",
    }
    n_code = sum(1 for r in records if r["context"] in code_ctx)
    vendor_formats = sorted(k for k, v in VENDOR_USED.items() if v)
    print(f"templates: {len(templates)}  records: {len(records)}  positive: {cats['positive']}  hard negative: {neg}")
    print(
        f"code/config/log records: {n_code} ({100 * n_code / len(records):.0f}%)  "
        f"natural-language records: {len(records) - n_code} ({100 * (len(records) - n_code) / len(records):.0f}%)"
    )
    print("spans per entity:", dict(sorted(ent.items())))
    print(f"vendor token formats used ({len(vendor_formats)}):", ", ".join(vendor_formats))
    print(f"categories ({len(cats)}):", dict(sorted(cats.items(), key=lambda kv: -kv[1])))
    print(f"languages ({len(langs)}):", dict(sorted(langs.items(), key=lambda kv: -kv[1])))
    print(f"contexts ({len(ctxs)}):", dict(sorted(ctxs.items(), key=lambda kv: -kv[1])))
    assert len(templates) >= 300, len(templates)
    assert 1150 <= len(records) <= 1300, len(records)
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 150 and ent["IP_ADDRESS"] >= 120 and ent["CREDIT_CARD"] >= 100
    ), ent
    assert neg >= 500 and len(cats) - 1 >= 35, (neg, len(cats))
    assert len(langs) >= 35 and len(vendor_formats) >= 25

    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    # re-read and re-verify what was written
    with open(OUT, encoding="utf-8") as f:
        verify([json.loads(line) for line in f])
    print("wrote", OUT)


if __name__ == "__main__":
    main()
