#!/usr/bin/env python3
"""Generate pii_testset14.jsonl (N = 14, SEED = 141414).

A hand-written, independent labelled set for a PII / secrets detector. It
focuses on the hard cases: credentials that people put into everyday
messages (chat logs from Slack, WhatsApp, Telegram, Teams, IRC, WeChat,
LINE, KakaoTalk; e-mails with quoted replies and signatures; helpdesk
tickets, handover notes, onboarding letters, SMS, meeting notes, classroom
handouts, hotel / Airbnb check-in messages; HTML, Markdown, MediaWiki,
LaTeX, CSV, TSV and fixed-width tables; PDF-extracted text with
hyphenation) in about 40 languages, plus hard-negative records that look
similar but carry nothing to label.

How it works
------------
Every template is a text containing placeholders written as ``⟦kind⟧`` (or
``⟦kind%W⟧``: value left-justified to width W, padding outside the span).
``fill()`` walks the template from left to right, draws a fresh random value
for each placeholder from ``random.Random(141414)`` and appends it to the
output; when the kind is a labelled entity the span offsets are recorded at
that moment (never searched for afterwards). Every positive template is
instantiated 3-4 times and every hard-negative template 4 times, each time
with new values. Ids are ``t14-<template#>-<variant#>``.

Entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET (passwords,
passphrases, Wi-Fi keys, mixed letter/digit PINs and door / key-box / alarm
codes, app passwords written in groups, vendor API keys and tokens, AWS /
Alibaba access key ids and secrets, JWTs, private-key blocks, URL-userinfo
passwords, session cookies, Basic-auth values). One-time codes, publishable
keys, usernames and masked values are never labelled.

Checks (all fatal assertions)
-----------------------------
* text[start:end] == inserted value for every span; offsets come from the
  insertion itself; spans sorted and non-overlapping; spans never begin or
  end with whitespace, and a SECRET/EMAIL span is never glued to an ASCII
  letter/digit outside it.
* IP spans parse, are ``is_global`` and outside the documentation ranges
  192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32.
* CREDIT_CARD spans are Luhn-valid with a real brand prefix and length.
* EMAIL spans have a syntactically plain address on a non-reserved domain
  (not example.com/.net/.org, .test, .invalid, .localhost, .example).
* Password-like SECRET values start with a letter/digit, never end in
  . , ! ? : ; and are never a plain dictionary word.
* Ids and texts are unique; positives have >= 1 span, negatives none.
* A scanner is run over every negative text and over the unlabelled parts
  of every positive text (labelled spans blanked out): it must find no
  public IPv4/IPv6 address, no Luhn-valid brand-prefixed 13-19 digit card
  number, and no e-mail address on a non-reserved domain. As a self-test
  the same scanner must find every labelled IP / e-mail / card value when
  run on the full text. When a random
  filler (e.g. a phone number) accidentally trips it, the record is drawn
  again (deterministically); the number of redraws is printed. There are
  no documented exceptions.
* Minimum counts: >= 700 SECRET, >= 120 EMAIL_ADDRESS, >= 120 IP_ADDRESS,
  >= 60 CREDIT_CARD, >= 140 positive templates, >= 350 negatives in >= 25
  categories, >= 35 languages.

Run: python3 make_testset14.py  (writes pii_testset14.jsonl next to itself)
"""

import base64
import collections
import ipaddress
import json
import os
import random
import re
import string

N = 14
SEED = 141414
rng = random.Random(SEED)

# ---------------------------------------------------------------- helpers
UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
ALNUM = UP + LO + DG
B64URL = ALNUM + "-_"
SYM = "#$%*+-=@^_~!?"
END_BAD = ".,!?:;"


def rs(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


WORDS = [
    "Sommer",
    "Lavanda",
    "Mondschein",
    "Kaffee",
    "Tigre",
    "Sakura",
    "Falke",
    "Oceano",
    "Nebel",
    "Piment",
    "Girasol",
    "Koala",
    "Zitrone",
    "Voyage",
    "Himmel",
    "Taiga",
    "Fjord",
    "Kirsche",
    "Pingwin",
    "Lumi",
    "Aurora",
    "Cedro",
    "Mango",
    "Rakete",
    "Oliva",
    "Vulkan",
    "Kiwi",
    "Tundra",
    "Lotus",
    "Nordlys",
    "Sirocco",
    "Ananas",
    "Corvo",
    "Delfin",
    "Eclair",
    "Furia",
    "Granit",
    "Hibisco",
    "Jaguar",
    "Kastanie",
    "Limone",
    "Marmot",
    "Orchidee",
]
PWORDS = [
    "blau",
    "tiger",
    "fenster",
    "wolke",
    "river",
    "candle",
    "pixel",
    "lampe",
    "orange",
    "silver",
    "puzzle",
    "kettle",
    "garden",
    "nuage",
    "cactus",
    "violet",
    "harbor",
    "copper",
    "meadow",
    "rocket",
    "velvet",
    "maple",
    "ember",
    "glacier",
    "saffron",
    "pepper",
    "island",
    "falcon",
    "turtle",
    "comet",
    "lantern",
    "walnut",
    "tulip",
    "canyon",
    "breeze",
    "marble",
    "domino",
    "sardine",
    "mochi",
    "banjo",
    "quokka",
    "zebra",
    "pomelo",
]


def pw_ok(v):
    return (
        len(v) >= 8
        and v[0] in ALNUM
        and v[-1] not in END_BAD
        and any(c in DG or c in SYM for c in v)
        and any(c.isalpha() for c in v)
        and not v.isalpha()
    )


def _pw_word(r):
    w, d, s = r.choice(WORDS), str(r.randint(10, 9999)), r.choice("#$%*+-=@^_~")
    return r.choice(
        [
            w + d + s,
            w + s + d,
            w + s + r.choice(WORDS) + d[:2],
            w.lower() + d + s + r.choice(UP),
            d[:2] + w + s + r.choice(LO),
        ]
    )


def _pw_random(r, lo=10, hi=16, sym="#$%*+-=@^_~!?"):
    while True:
        n = r.randint(lo, hi)
        v = r.choice(ALNUM) + rs(r, ALNUM * 3 + sym, n - 2) + r.choice(ALNUM + "#$%*@")
        if any(c in DG for c in v) and any(c in UP for c in v) and any(c in LO for c in v):
            return v


def _pw_leet(r):
    m = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7", "A": "@", "l": "1"}
    w = r.choice(WORDS) + r.choice(["", r.choice(WORDS).lower()])
    out = "".join(m[c] if c in m and r.random() < 0.7 else c for c in w)
    out = w[0] + out[1:]
    return out + str(r.randint(1, 99)) + r.choice(["", "#", "*", "@", "$"])


def _pw_camel(r):
    return r.choice(WORDS) + r.choice(WORDS) + str(r.randint(1, 9999)) + r.choice(["", "%", "#", "+", "="])


def _pp(r):
    k = r.randint(3, 4)
    ws = [r.choice(PWORDS) for _ in range(k)]
    if r.random() < 0.4:
        ws = [w.capitalize() for w in ws]
    ws.insert(r.randint(1, k), str(r.randint(2, 999)))
    return r.choice("-._+").join(ws)


def gen_pw(r, lang=None):
    while True:
        v = r.choice([_pw_word, _pw_random, _pw_leet, _pw_camel, _pp, _pw_word])(r)
        if pw_ok(v):
            return v


def gen_pp(r, lang=None):
    while True:
        v = _pp(r)
        if pw_ok(v):
            return v


def gen_wifi(r, lang=None):
    while True:
        v = r.choice(
            [
                lambda x: _pw_random(x, 12, 20),
                _pp,
                _pw_word,
                _pw_camel,
                lambda x: rs(x, DG + "ABCDEF", 1) + rs(x, ALNUM, 15),
            ]
        )(r)
        if pw_ok(v):
            return v


def gen_pwtex(r, lang=None):  # LaTeX-safe (no # $ % ^ _ ~)
    while True:
        v = r.choice(
            [
                lambda x: _pw_random(x, 10, 14, "!+-=@?"),
                lambda x: r.choice(WORDS) + r.choice("+-=@") + str(r.randint(10, 9999)),
            ]
        )(r)
        if pw_ok(v):
            return v


def gen_pwurl(r, lang=None):  # URL-userinfo-safe
    while True:
        v = _pw_random(r, 12, 20, "-_~")
        if pw_ok(v):
            return v


def gen_pin(r, lang=None):
    while True:
        n = r.randint(6, 8)
        al = UP + DG if r.random() < 0.8 else LO + DG
        v = rs(r, al, n)
        if sum(c.isalpha() for c in v) >= 2 and sum(c.isdigit() for c in v) >= 2:
            return v


def gen_apppw(r, lang=None):
    return " ".join(rs(r, LO, 4) for _ in range(4))


def gen_applepw(r, lang=None):
    return "-".join(rs(r, LO, 4) for _ in range(4))


def gen_aws(r, lang=None):
    return "AKIA" + rs(r, UP + "234567", 16)


def gen_awssec(r, lang=None):
    return rs(r, ALNUM, 1) + rs(r, ALNUM + "/+", 38) + rs(r, ALNUM, 1)


def gen_ali(r, lang=None):
    return "LTAI5t" + rs(r, ALNUM, 18)


def gen_ghp(r, lang=None):
    return "ghp_" + rs(r, ALNUM, 36)


def gen_glpat(r, lang=None):
    return "glpat-" + rs(r, ALNUM, 1) + rs(r, B64URL, 18) + rs(r, ALNUM, 1)


def gen_slack(r, lang=None):
    return r.choice(["xoxb-", "xoxp-"]) + rs(r, DG, 12) + "-" + rs(r, DG, 13) + "-" + rs(r, ALNUM, 24)


def gen_sk_live(r, lang=None):
    return "sk_live_51" + rs(r, ALNUM, r.randint(30, 60))


def gen_sk_test(r, lang=None):
    return "sk_test_51" + rs(r, ALNUM, r.randint(30, 60))


def gen_openai(r, lang=None):
    return "sk-proj-" + rs(r, ALNUM, 1) + rs(r, B64URL, 62) + rs(r, ALNUM, 1)


def gen_gapi(r, lang=None):
    return "AIza" + rs(r, ALNUM, 1) + rs(r, B64URL, 33) + rs(r, ALNUM, 1)


def gen_sendgrid(r, lang=None):
    return (
        "SG."
        + rs(r, ALNUM, 1)
        + rs(r, B64URL, 20)
        + rs(r, ALNUM, 1)
        + "."
        + rs(r, ALNUM, 1)
        + rs(r, B64URL, 41)
        + rs(r, ALNUM, 1)
    )


def gen_twilio(r, lang=None):
    return rs(r, "0123456789abcdef", 32)


def gen_npm(r, lang=None):
    return "npm_" + rs(r, ALNUM, 36)


def gen_hf(r, lang=None):
    return "hf_" + rs(r, UP + LO, 34)


def gen_tgbot(r, lang=None):
    return str(r.randint(100000000, 7999999999)) + ":AA" + rs(r, ALNUM, 1) + rs(r, B64URL, 31) + rs(r, ALNUM, 1)


def _b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def gen_jwt(r, lang=None):
    h = _b64u(json.dumps({"alg": r.choice(["HS256", "RS256"]), "typ": "JWT"}, separators=(",", ":")).encode())
    p = _b64u(
        json.dumps(
            {"sub": str(r.randint(1000, 999999)), "name": rs(r, LO, 6), "iat": r.randint(1700000000, 1760000000)},
            separators=(",", ":"),
        ).encode()
    )
    s = rs(r, ALNUM, 1) + rs(r, B64URL, 41) + rs(r, ALNUM, 1)
    return h + "." + p + "." + s


def gen_pkey(r, lang=None):
    kind = r.choice(["OPENSSH", "RSA", "EC"])
    n, w = (5, 70) if kind == "OPENSSH" else (r.randint(4, 7), 64)
    first = {"OPENSSH": "b3BlbnNzaC1rZXktdjEAAAAA", "RSA": "MIIEowIBAAKCAQEA", "EC": "MHcCAQEEI"}[kind]
    body = [first + rs(r, ALNUM + "+/", w - len(first))]
    body += [rs(r, ALNUM + "+/", w) for _ in range(n - 2)]
    body.append(rs(r, ALNUM + "+/", r.randint(20, w - 4)) + "==")
    return ("-----BEGIN %s PRIVATE KEY-----\n" % kind) + "\n".join(body) + ("\n-----END %s PRIVATE KEY-----" % kind)


def gen_cookie(r, lang=None):
    return r.choice(
        [
            lambda: rs(r, LO + DG, 32),
            lambda: rs(r, "0123456789abcdef", 40),
            lambda: rs(r, ALNUM, 1) + rs(r, B64URL, 46) + rs(r, ALNUM, 1),
        ]
    )()


def gen_basic(r, lang=None):
    u = r.choice(ELOCAL) + r.choice(["", str(r.randint(1, 99))])
    return base64.b64encode((u + ":" + gen_pw(r)).encode()).decode()


# --- e-mail
ELOCAL = [
    "anna",
    "jonas",
    "maria",
    "tomasz",
    "lena",
    "marco",
    "sofia",
    "pieter",
    "ingrid",
    "mikko",
    "ayse",
    "ioana",
    "nikos",
    "kenji",
    "minjun",
    "wei",
    "lan",
    "budi",
    "amani",
    "jordi",
    "elin",
    "petra",
    "gabor",
    "rasa",
    "janis",
    "kadri",
    "omar",
    "noa",
    "priya",
    "rahul",
    "oksana",
    "dmitri",
    "camille",
    "lucia",
    "joao",
    "freja",
    "zsofi",
    "emre",
]
ELAST = [
    "kowalski",
    "mueller",
    "rossi",
    "dubois",
    "garcia",
    "novak",
    "nagy",
    "popescu",
    "yilmaz",
    "tanaka",
    "kim",
    "wang",
    "nguyen",
    "santos",
    "jansen",
    "virtanen",
    "hansen",
    "berg",
    "petrov",
    "horvat",
    "levi",
    "sharma",
    "ozturk",
    "silva",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "web.de",
    "gmx.de",
    "gmx.at",
    "orange.fr",
    "free.fr",
    "libero.it",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "mail.ru",
    "yandex.ru",
    "naver.com",
    "daum.net",
    "qq.com",
    "163.com",
    "yahoo.co.jp",
    "uol.com.br",
    "icloud.com",
    "proton.me",
    "ukr.net",
    "abv.bg",
    "freemail.hu",
    "telia.com",
    "online.no",
]
COMP = [
    "nordwind-logistik",
    "kaivo",
    "brightpeak",
    "solvera",
    "altamira-viajes",
    "fjellstad",
    "kirschbaum-it",
    "lumenta",
    "veltro",
    "marisol-hotels",
    "tanaka-seiki",
    "hanbit-soft",
    "dongfang-tech",
    "zarya-group",
    "orbitek",
    "baltic-amber",
    "saffron-studio",
    "quokka-labs",
    "harbor-dental",
    "pomelo-pay",
]
TLD = [
    ".de",
    ".fi",
    ".com",
    ".io",
    ".it",
    ".es",
    ".no",
    ".jp",
    ".kr",
    ".cn",
    ".ru",
    ".fr",
    ".pl",
    ".nl",
    ".com.br",
    ".se",
    ".cz",
    ".hu",
    ".ro",
    ".com.tr",
    ".vn",
]


def gen_dom(r, lang=None):
    return r.choice(COMP) + r.choice(TLD)


def gen_email(r, lang=None):
    f, l = r.choice(ELOCAL), r.choice(ELAST)
    loc = r.choice(
        [
            f + "." + l,
            f[0] + "." + l,
            f + l + str(r.randint(1, 99)),
            f + "_" + l,
            f,
            l + "." + f,
            "info",
            "support",
            "office",
            "buchhaltung",
            "admin",
            "team",
        ]
    )
    d = r.choice(FREEMAIL) if r.random() < 0.55 else gen_dom(r)
    if loc in ("info", "support", "office", "buchhaltung", "admin", "team"):
        d = gen_dom(r)
    return loc + "@" + d


RESERVED_SUFFIX = (".test", ".invalid", ".localhost", ".example")
RESERVED_DOM = ("example.com", "example.net", "example.org")


def dom_reserved(d):
    d = d.lower().rstrip(".")
    return (
        d.endswith(RESERVED_SUFFIX)
        or d in RESERVED_DOM
        or d.endswith(tuple("." + x for x in RESERVED_DOM))
        or d in ("test", "invalid", "localhost", "example")
    )


def gen_resemail(r, lang=None):
    loc = r.choice(ELOCAL) + r.choice(["", "." + r.choice(ELAST), str(r.randint(1, 9))])
    return (
        loc
        + "@"
        + r.choice(
            [
                "example.com",
                "example.org",
                "example.net",
                "firma.test",
                "mail.invalid",
                "shop.example",
                "dev.localhost",
                "mail.example.com",
            ]
        )
    )


# --- IP
DOC_NETS = [ipaddress.ip_network(x) for x in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public(s):
    a = ipaddress.ip_address(s)
    return a.is_global and not any(a in n for n in DOC_NETS if n.version == a.version)


def gen_ip4(r, lang=None):
    while True:
        s = "%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))
        if ip_public(s):
            return s


def gen_ip6(r, lang=None):
    while True:
        pre = r.choice(["2a01", "2a02", "2a00", "2604", "2606", "2400", "2405", "2c0f", "2800", "2a03"])
        hx = [pre] + ["%x" % r.randint(0, 0xFFFF) for _ in range(3)]
        tail = (
            ["%x" % r.randint(0, 0xFFFF) for _ in range(4)]
            if r.random() < 0.5
            else ["0", "0", "0", "%x" % r.randint(1, 0xFF)]
        )
        s = str(ipaddress.IPv6Address(":".join(hx + tail)))
        if ip_public(s):
            return s


def gen_ip(r, lang=None):
    return gen_ip6(r) if r.random() < 0.18 else gen_ip4(r)


def gen_privip(r, lang=None):
    return r.choice(
        [
            "10.%d.%d.%d" % (r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)),
            "192.168.%d.%d" % (r.randint(0, 20), r.randint(2, 254)),
            "172.%d.%d.%d" % (r.randint(16, 31), r.randint(0, 255), r.randint(1, 254)),
            "127.0.0.1",
            "169.254.%d.%d" % (r.randint(1, 254), r.randint(1, 254)),
            "100.%d.%d.%d" % (r.randint(64, 127), r.randint(0, 255), r.randint(1, 254)),
        ]
    )


def gen_docip(r, lang=None):
    return r.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(r.randint(1, 254))


# --- cards
def luhn_ok(d):
    t = 0
    for i, c in enumerate(reversed(d)):
        x = int(c)
        if i % 2:
            x *= 2
            if x > 9:
                x -= 9
        t += x
    return t % 10 == 0


def brand_ok(d):
    n = len(d)
    if d[0] == "4":
        return n in (13, 16, 19)
    if 51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720:
        return n == 16
    if d[:2] in ("34", "37"):
        return n == 15
    if d[:4] == "6011" or d[:2] == "65" or 644 <= int(d[:3]) <= 649:
        return n in (16, 19)
    if 3528 <= int(d[:4]) <= 3589:
        return n in (16, 19)
    if d[:2] == "62":
        return 16 <= n <= 19
    if d[:2] in ("36", "38") or 300 <= int(d[:3]) <= 305:
        return n == 14
    return False


def _card_digits(r):
    b = r.choice(["visa", "visa", "visa", "mc", "mc", "mc2", "amex", "disc", "jcb", "up", "diners"])
    pre, n = {
        "visa": ("4", 16),
        "mc": (str(r.randint(51, 55)), 16),
        "mc2": (str(r.randint(2221, 2720)), 16),
        "amex": (r.choice(["34", "37"]), 15),
        "disc": (r.choice(["6011", "65"]), 16),
        "jcb": (str(r.randint(3528, 3589)), 16),
        "up": ("62", 16),
        "diners": (r.choice(["36", "38"]), 14),
    }[b]
    body = pre + rs(r, DG, n - len(pre) - 1)
    for c in DG:
        if luhn_ok(body + c):
            return body + c


def _fmt_card(r, d):
    st = r.choice(["plain", "space", "space", "dash"])
    if st == "plain":
        return d
    sep = " " if st == "space" else "-"
    if len(d) == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(parts)


def gen_card(r, lang=None):
    return _fmt_card(r, _card_digits(r))


def gen_badcard(r, lang=None):
    d = _card_digits(r)
    d = d[:-1] + str((int(d[-1]) + r.randint(1, 9)) % 10)
    assert not luhn_ok(d)
    return _fmt_card(r, d)


def gen_maskcard(r, lang=None):
    d = _card_digits(r)
    return r.choice(
        [
            "**** **** **** " + d[-4:],
            "XXXX-XXXX-XXXX-" + d[-4:],
            d[:4] + " •••• •••• " + d[-4:],
            d[:6] + "******" + d[-4:],
            "ending in " + d[-4:],
        ]
    )


def gen_exp(r, lang=None):
    m, y = r.randint(1, 12), r.randint(26, 31)
    return r.choice(["%02d/%02d" % (m, y), "%02d/20%02d" % (m, y)])


# --- unlabelled fillers
NAMES = {
    "en": ["Emily", "James", "Olivia", "Noah", "Priya", "Daniel", "Grace", "Liam", "Chloe", "Ethan"],
    "de": ["Lena", "Jonas", "Katrin", "Felix", "Sabine", "Tobias", "Miriam", "Stefan"],
    "fr": ["Camille", "Julien", "Manon", "Théo", "Élodie", "Nicolas", "Chloé", "Mathieu"],
    "es": ["Lucía", "Javier", "Carmen", "Alejandro", "Marta", "Diego", "Sofía", "Pablo"],
    "it": ["Giulia", "Marco", "Chiara", "Luca", "Francesca", "Matteo"],
    "pt": ["João", "Beatriz", "Rafael", "Mariana", "Tiago", "Inês"],
    "nl": ["Sanne", "Pieter", "Femke", "Joris", "Lotte", "Daan"],
    "sv": ["Elin", "Oskar", "Maja", "Erik"],
    "nb": ["Ingrid", "Henrik", "Sigrid", "Magnus"],
    "da": ["Freja", "Mads", "Ida", "Rasmus"],
    "fi": ["Aino", "Mikko", "Siiri", "Juha"],
    "pl": ["Kasia", "Tomasz", "Agnieszka", "Paweł"],
    "cs": ["Tereza", "Jakub", "Petra", "Ondřej"],
    "sk": ["Zuzana", "Marek", "Lucia", "Peter"],
    "hu": ["Zsófi", "Bence", "Réka", "Gábor"],
    "ro": ["Ioana", "Andrei", "Elena", "Mihai"],
    "tr": ["Ayşe", "Mehmet", "Elif", "Emre"],
    "ru": ["Алексей", "Мария", "Дмитрий", "Ольга"],
    "uk": ["Оксана", "Тарас", "Ірина", "Богдан"],
    "bg": ["Петър", "Десислава", "Георги", "Милена"],
    "el": ["Νίκος", "Μαρία", "Γιώργος", "Ελένη"],
    "hr": ["Ivana", "Luka", "Marija", "Ante"],
    "sl": ["Nina", "Matej", "Špela", "Rok"],
    "lt": ["Rasa", "Tomas", "Eglė", "Mantas"],
    "lv": ["Līga", "Jānis", "Ilze", "Kristaps"],
    "et": ["Kadri", "Margus", "Liis", "Rasmus"],
    "ar": ["أحمد", "فاطمة", "يوسف", "ليلى"],
    "he": ["נועה", "דניאל", "מיכל", "יוסי"],
    "fa": ["مریم", "علی", "سارا", "رضا"],
    "hi": ["राहुल", "प्रिया", "अमित", "नेहा"],
    "bn": ["তানভীর", "নুসরাত", "রাহুল", "সুমি"],
    "zh": ["王伟", "李娜", "张敏", "刘洋", "陈杰"],
    "ja": ["佐藤", "鈴木", "高橋", "田中", "伊藤"],
    "ko": ["김민준", "이서연", "박지훈", "최수아"],
    "vi": ["Lan", "Minh", "Hương", "Tuấn"],
    "th": ["สมชาย", "นภา", "อนุชา", "พิมพ์"],
    "id": ["Budi", "Siti", "Agus", "Dewi"],
    "ms": ["Aisyah", "Hafiz", "Nurul", "Faiz"],
    "tl": ["Jomar", "Mae", "Paolo", "Aira"],
    "sw": ["Amani", "Baraka", "Neema", "Juma"],
    "ca": ["Jordi", "Montse", "Pau", "Núria"],
}


def gen_name(r, lang="en"):
    return r.choice(NAMES.get(lang, NAMES["en"]))


def gen_user(r, lang=None):
    f, l = r.choice(ELOCAL), r.choice(ELAST)
    return r.choice(
        [
            f + "." + l,
            f[0] + l,
            f + "_" + l[:3],
            "svc_" + r.choice(["backup", "deploy", "report", "scan"]),
            "admin" + str(r.randint(1, 9)),
            l + str(r.randint(1, 99)),
            f,
        ]
    )


def gen_handle(r, lang=None):
    return "@" + r.choice(ELOCAL) + r.choice(["_", ".", ""]) + r.choice([r.choice(ELAST)[:4], str(r.randint(1, 999))])


def gen_time(r, lang=None):
    return "%02d:%02d" % (r.randint(7, 23), r.randint(0, 59))


def gen_date(r, lang=None):
    d, m, y = r.randint(1, 28), r.randint(1, 12), r.choice([2024, 2025, 2026])
    return r.choice(["%d-%02d-%02d" % (y, m, d), "%02d.%02d.%d" % (d, m, y), "%d/%d/%d" % (m, d, y)])


def gen_num(r, lang=None):
    return str(r.randint(2, 99))


def gen_room(r, lang=None):
    return str(r.randint(1, 6)) + "%02d" % r.randint(1, 40)


def gen_host(r, lang=None):
    return (
        r.choice(["db", "srv", "nas", "vpn", "git", "mail", "web", "build"])
        + "-"
        + r.choice(["prod", "stg", "dev", "bak"])
        + "-%02d" % r.randint(1, 20)
    )


def gen_city(r, lang=None):
    return r.choice(["Berlin", "Hamburg", "Köln", "Leipzig", "München", "Graz", "Basel", "Bremen"])


def gen_company(r, lang=None):
    return r.choice(
        ["Nordwind Logistik GmbH", "Kaivo Oy", "Solvera SL", "Lumenta AG", "Veltro S.r.l.", "Brightpeak Ltd"]
    )


def gen_otp(r, lang=None):
    return rs(r, DG, 6)


def gen_ssid(r, lang=None):
    return r.choice(
        [
            "Cafe_Lindner",
            "HotelAurora-Guest",
            "FRITZ!Box 7590 " + rs(r, UP, 2),
            "Vodafone-" + rs(r, UP + DG, 4),
            "Casa_Marisol_5G",
            "GuestNet-" + rs(r, DG, 3),
            "TP-Link_" + rs(r, "0123456789ABCDEF", 4),
            "Livebox-" + rs(r, "0123456789ABCDEF", 4),
            "OFFICE-WLAN",
            "Airbnb_" + r.choice(ELOCAL).capitalize(),
        ]
    )


def gen_booking(r, lang=None):
    return r.choice(
        [
            rs(r, UP + DG, 6),
            "BK-" + rs(r, UP + DG, 6),
            "HMX" + rs(r, UP + DG, 7),
            str(r.randint(1000000000, 9999999999)),
        ]
    )


def gen_order(r, lang=None):
    return r.choice(
        [
            "#" + str(r.randint(100000, 9999999)),
            "ORD-%d-%05d" % (r.choice([2025, 2026]), r.randint(1, 99999)),
            "%03d-%07d-%07d" % (r.randint(100, 999), r.randint(0, 9999999), r.randint(0, 9999999)),
        ]
    )


def gen_ticket(r, lang=None):
    return r.choice(
        [
            "INC%07d" % r.randint(1, 9999999),
            "OPS-%d" % r.randint(100, 9999),
            "#%d" % r.randint(10000, 99999),
            "SR-" + rs(r, DG, 6),
            "HD-%d-%04d" % (r.choice([2025, 2026]), r.randint(1, 9999)),
        ]
    )


def gen_track(r, lang=None):
    return r.choice(
        [
            "1Z" + rs(r, UP + DG, 6) + rs(r, DG, 10),
            "JJD" + "000" + rs(r, DG, 15),
            rs(r, UP, 2) + rs(r, DG, 9) + r.choice(["DE", "CN", "FR", "PL"]),
            "00340434" + rs(r, DG, 12),
        ]
    )


def gen_flight(r, lang=None):
    return (
        r.choice(["LH", "AF", "KL", "IB", "AZ", "TP", "SK", "AY", "LO", "TK", "NH", "KE", "CA", "EK", "QR", "U2", "FR"])
        + r.choice(["", " "])
        + str(r.randint(10, 4999))
    )


def gen_plate(r, lang=None):
    return r.choice(
        [
            "B-%s %d" % (rs(r, UP, 2), r.randint(1, 9999)),
            "%s-%03d-%s" % (rs(r, UP, 2), r.randint(1, 999), rs(r, UP, 2)),
            "%s %d%s" % (rs(r, UP, 3), r.randint(100, 999), rs(r, UP, 1)),
            "%s%02d %s" % (rs(r, UP, 2), r.randint(1, 99), rs(r, UP, 3)),
            "W-%d%s" % (r.randint(10, 99999), rs(r, UP, 1)),
        ]
    )


def gen_coupon(r, lang=None):
    return (
        r.choice(["SPRING", "WELCOME", "SUMMER", "BLACKFRIDAY", "NEU", "PROMO", "ETE", "VERANO"])
        + str(r.choice([5, 10, 15, 20, 25, 30, 50]))
        + r.choice(["", "-" + rs(r, UP + DG, 4)])
    )


def gen_serial(r, lang=None):
    return r.choice(
        [
            "C02" + rs(r, UP + DG, 9),
            "5CG" + rs(r, DG, 4) + rs(r, UP + DG, 3),
            "SN" + rs(r, DG, 10),
            rs(r, UP, 2) + "-" + rs(r, UP + DG, 4) + "-" + rs(r, UP + DG, 4),
            "PF" + rs(r, UP + DG, 6),
        ]
    )


def gen_phone(r, lang=None):
    cc = r.choice(["+49", "+33", "+34", "+39", "+44", "+31", "+46", "+48", "+81", "+82", "+7", "+90", "+55", "+62"])
    return cc + " " + rs(r, "123456789", 1) + rs(r, DG, 2) + " " + rs(r, DG, 3) + " " + rs(r, DG, 4)


def gen_version(r, lang=None):
    return "%d.%d.%d" % (r.randint(1, 24), r.randint(0, 30), r.randint(0, 20)) + r.choice(
        ["", "", "-rc%d" % r.randint(1, 4), "-beta"]
    )


def gen_sha(r, lang=None):
    return rs(r, "0123456789abcdef", r.choice([40, 64]))


def gen_short_sha(r, lang=None):
    return rs(r, "0123456789abcdef", 7)


def gen_uuid(r, lang=None):
    h = rs(r, "0123456789abcdef", 32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], r.choice("89ab"), h[17:20], h[20:32])


def gen_sku(r, lang=None):
    return r.choice(
        [
            "%s-%04d-%s" % (rs(r, UP, 3), r.randint(1, 9999), rs(r, UP + DG, 2)),
            "%d.%03d.%02d" % (r.randint(1, 99), r.randint(0, 999), r.randint(0, 99)),
            rs(r, UP, 2) + rs(r, DG, 5),
        ]
    )


def gen_meetid(r, lang=None):
    return "%d %04d %04d" % (r.randint(810, 899), r.randint(0, 9999), r.randint(0, 9999))


def gen_pklive(r, lang=None):
    return r.choice(["pk_live_51", "pk_test_51"]) + rs(r, ALNUM, r.randint(30, 50))


def gen_mapbox(r, lang=None):
    return "pk.eyJ1Ijoi" + rs(r, ALNUM, 20) + "." + rs(r, B64URL, 22)


def gen_recaptcha(r, lang=None):
    return "6L" + rs(r, ALNUM, 6) + "AAAAA" + rs(r, B64URL, 27)


def gen_oauthid(r, lang=None):
    return str(r.randint(10**11, 10**12 - 1)) + "-" + rs(r, LO + DG, 32) + ".apps.googleusercontent.com"


def gen_masked(r, lang=None):
    return r.choice(["********", "••••••••••", "[hidden]", "***", "●●●●●●●●", "xxxx (redacted)", "<redacted>"])


def gen_amount(r, lang=None):
    return "%d.%02d" % (r.randint(5, 900), r.randint(0, 99))


# kind -> (entity or None, generator)
GEN = {
    "pw": ("SECRET", gen_pw),
    "pp": ("SECRET", gen_pp),
    "wifi": ("SECRET", gen_wifi),
    "pwtex": ("SECRET", gen_pwtex),
    "pwurl": ("SECRET", gen_pwurl),
    "pin": ("SECRET", gen_pin),
    "apppw": ("SECRET", gen_apppw),
    "applepw": ("SECRET", gen_applepw),
    "aws": ("SECRET", gen_aws),
    "awssec": ("SECRET", gen_awssec),
    "ali": ("SECRET", gen_ali),
    "ghp": ("SECRET", gen_ghp),
    "glpat": ("SECRET", gen_glpat),
    "slack": ("SECRET", gen_slack),
    "sk_live": ("SECRET", gen_sk_live),
    "sk_test": ("SECRET", gen_sk_test),
    "openai": ("SECRET", gen_openai),
    "gapi": ("SECRET", gen_gapi),
    "sendgrid": ("SECRET", gen_sendgrid),
    "twilio": ("SECRET", gen_twilio),
    "npm": ("SECRET", gen_npm),
    "hf": ("SECRET", gen_hf),
    "tgbot": ("SECRET", gen_tgbot),
    "jwt": ("SECRET", gen_jwt),
    "pkey": ("SECRET", gen_pkey),
    "cookie": ("SECRET", gen_cookie),
    "basic": ("SECRET", gen_basic),
    "email": ("EMAIL_ADDRESS", gen_email),
    "ip": ("IP_ADDRESS", gen_ip),
    "ip4": ("IP_ADDRESS", gen_ip4),
    "ip6": ("IP_ADDRESS", gen_ip6),
    "card": ("CREDIT_CARD", gen_card),
    # unlabelled
    "name": (None, gen_name),
    "user": (None, gen_user),
    "handle": (None, gen_handle),
    "time": (None, gen_time),
    "date": (None, gen_date),
    "num": (None, gen_num),
    "room": (None, gen_room),
    "host": (None, gen_host),
    "city": (None, gen_city),
    "company": (None, gen_company),
    "otp": (None, gen_otp),
    "ssid": (None, gen_ssid),
    "booking": (None, gen_booking),
    "order": (None, gen_order),
    "ticket": (None, gen_ticket),
    "track": (None, gen_track),
    "flight": (None, gen_flight),
    "plate": (None, gen_plate),
    "coupon": (None, gen_coupon),
    "serial": (None, gen_serial),
    "phone": (None, gen_phone),
    "version": (None, gen_version),
    "sha": (None, gen_sha),
    "ssha": (None, gen_short_sha),
    "uuid": (None, gen_uuid),
    "sku": (None, gen_sku),
    "meetid": (None, gen_meetid),
    "pklive": (None, gen_pklive),
    "mapbox": (None, gen_mapbox),
    "recaptcha": (None, gen_recaptcha),
    "oauthid": (None, gen_oauthid),
    "masked": (None, gen_masked),
    "amount": (None, gen_amount),
    "exp": (None, gen_exp),
    "dom": (None, gen_dom),
    "resemail": (None, gen_resemail),
    "privip": (None, gen_privip),
    "docip": (None, gen_docip),
    "badcard": (None, gen_badcard),
    "maskcard": (None, gen_maskcard),
}
PASSWORD_KINDS = {"pw", "pp", "wifi", "pwtex", "pwurl"}

PH = re.compile(r"⟦([a-z0-9_]+)(?:%(\d+))?⟧")


def fill(template, lang, r):
    out, spans, pos, last = [], [], 0, 0
    for m in PH.finditer(template):
        lit = template[last : m.start()]
        out.append(lit)
        pos += len(lit)
        kind, width = m.group(1), m.group(2)
        ent, fn = GEN[kind]
        v = fn(r, lang)
        if ent:
            spans.append({"start": pos, "end": pos + len(v), "entity": ent, "_kind": kind, "_value": v})
        out.append(v)
        pos += len(v)
        if width:
            pad = " " * max(1, int(width) - len(v))
            out.append(pad)
            pos += len(pad)
        last = m.end()
    out.append(template[last:])
    return "".join(out), spans


# ---------------------------------------------------------------- templates
POS, NEG = [], []


def p(lang, ctx, text):
    POS.append((lang, ctx, text))


def n(cat, lang, ctx, text):
    NEG.append((cat, lang, ctx, text))


# ---- positives: English
p(
    "en",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: hey, staging db creds for the demo\n[⟦time⟧] ⟦name⟧: host ⟦ip⟧, user ⟦user⟧\n[⟦time⟧] ⟦name⟧: pw ⟦pw⟧ (please don't paste it in #general)\n[⟦time⟧] ⟦name⟧: thx 🙏",
)
p(
    "en",
    "email_reply",
    "Hi ⟦name⟧,\n\nSure – the shared mailbox is ⟦email⟧ and ⟦pw⟧ is the new password since this morning.\n\nCheers,\n⟦name⟧\n\n> On ⟦date⟧, ⟦name⟧ wrote:\n> Could you send me the login for the support inbox? The old one stopped working.",
)
p(
    "en",
    "helpdesk_ticket",
    "Ticket ⟦ticket⟧ – VPN access for new contractor\nStatus: resolved\nResolution: account created. Username ⟦user⟧, temporary password on the line below.\nPassword:\n⟦pw⟧\nGateway: ⟦ip⟧ (port 443). User must change the password at first login.",
)
p("en", "sms", "Hi ⟦name⟧, your host here! Key box is left of the door, code ⟦pin⟧. Wi-Fi: ⟦wifi⟧. Enjoy your stay!")
p(
    "en",
    "handover_note",
    "## Handover – on-call week ⟦num⟧\n\n| System | Login | PW |\n|---|---|---|\n| Grafana | admin | `⟦pw⟧` |\n| Jenkins | ⟦user⟧ | `⟦pw⟧` |\n| Edge router (⟦ip⟧) | root | `⟦pw⟧` |\n\nAWS key for the backup job: ⟦aws⟧ / ⟦awssec⟧",
)
p(
    "en",
    "whatsapp_chat",
    "⟦date⟧, ⟦time⟧ - ⟦name⟧: netflix login is my email ⟦email⟧\n⟦date⟧, ⟦time⟧ - ⟦name⟧: pass ⟦pw⟧\n⟦date⟧, ⟦time⟧ - ⟦name⟧: dont change it lol",
)
p(
    "en",
    "onboarding_letter",
    'Welcome aboard, ⟦name⟧!\n\nYour laptop is ready at reception. First login:\n  • Windows account: ⟦user⟧\n  • Initial password: "⟦pw⟧"\n  • Door badge PIN: ⟦pin⟧\n\nYou\'ll be asked to set a new password (min. 12 characters). Questions? Mail ⟦email⟧.',
)
p(
    "en",
    "irc_log",
    "<⟦user⟧> anyone got the bot token for the deploy notifier?\n<⟦user⟧> ⟦tgbot⟧\n<⟦user⟧> rotate it after the release pls\n<⟦user⟧> also the mirror is back at ⟦ip⟧",
)
p(
    "en",
    "meeting_notes",
    "Ops sync ⟦date⟧\n- Stripe: webhooks moved; live secret key ⟦sk_live⟧ is in the vault now, old one revoked Friday\n- Test-mode key for QA: ⟦sk_test⟧\n- Publishable key unchanged\n- Action: ⟦name⟧ to update the runbook",
)
p(
    "en",
    "html_table",
    "<table><tr><th>Guest</th><th>Room</th><th>Wi-Fi password</th></tr><tr><td>⟦name⟧</td><td>⟦room⟧</td><td>⟦wifi⟧</td></tr><tr><td>⟦name⟧</td><td>⟦room⟧</td><td>⟦wifi⟧</td></tr></table>",
)
p(
    "en",
    "email",
    "Hi ⟦name⟧, can you book the hotel for the offsite on the company card? Number is ⟦card⟧, exp ⟦exp⟧, invoices to ⟦email⟧. Thanks!",
)
p(
    "en",
    "pdf_extract",
    "Appendix B – Access details\nThe stag-\ning server can be reached at ⟦ip⟧. Log in as ⟦user⟧ with the pass-\nword ⟦pw⟧; the API to-\nken for the CI is ⟦ghp⟧.\n\n                                                   Page ⟦num⟧",
)
p(
    "en",
    "teams_chat",
    "⟦name⟧ ⟦time⟧\nPosting the app password for the scanner here, it's the one Google generated: ⟦apppw⟧\n⟦name⟧ ⟦time⟧\ngot it, the scanner mails again 👍",
)
p(
    "en",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: FYI the connection string in the ticket was wrong, use this one:\npostgres://⟦user⟧:⟦pwurl⟧@⟦ip4⟧:5432/billing\n[⟦time⟧] ⟦name⟧: and the JWT for the smoke test is ⟦jwt⟧",
)
p(
    "en",
    "classroom_handout",
    'CS 101 – Lab 3\nLog in to the lab machines with your student ID. Shared account for the Raspberry Pi kit: pi / ⟦pw⟧\nClass Wi-Fi "⟦ssid⟧", key: ⟦wifi⟧\nDo NOT share these outside the lab.',
)
p(
    "en",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: here's the deploy key, delete after copying\n```\n⟦pkey⟧\n```\n[⟦time⟧] ⟦name⟧: copied, deleting",
)
p("en", "csv_export", "name,email,phone,vpn_password\n⟦name⟧,⟦email⟧,⟦phone⟧,⟦pw⟧\n⟦name⟧,⟦email⟧,⟦phone⟧,⟦pw⟧")
p(
    "en",
    "helpdesk_ticket",
    'Reproduced with:\ncurl -H "Authorization: Basic ⟦basic⟧" https://api.⟦dom⟧/v2/orders\nWith the session cookie sessionid=⟦cookie⟧ it returns 403 as well. Origin IP was ⟦ip⟧.',
)
p(
    "en",
    "fixed_width_table",
    "HOST          USER            PASSWORD          LAST CHANGE\n⟦host%14⟧⟦user%16⟧⟦pw%18⟧⟦date⟧\n⟦host%14⟧⟦user%16⟧⟦pw%18⟧⟦date⟧\n⟦host%14⟧⟦user%16⟧⟦pw%18⟧⟦date⟧",
)
p(
    "en",
    "email_reply",
    "Thanks ⟦name⟧! Just to confirm, I paid the deposit with the card ending in the number below:\n⟦card⟧ (exp ⟦exp⟧)\nPlease charge the rest to the same card.\n\nBest,\n⟦name⟧\n--\nSent from my phone",
)
p(
    "en",
    "telegram_chat",
    "⟦name⟧, [⟦time⟧]\nthe alarm code changed, it's ⟦pin⟧ now\n⟦name⟧, [⟦time⟧]\nand the garage? still the old one?\n⟦name⟧, [⟦time⟧]\ngarage is ⟦pin⟧",
)
p(
    "en",
    "meeting_notes",
    "Security review – notes\n* Found in the repo history: OpenAI key ⟦openai⟧ and Hugging Face token ⟦hf⟧ – both to be rotated today\n* Slack bot token ⟦slack⟧ was in a screenshot\n* Owner: ⟦name⟧ (⟦email⟧)",
)
p(
    "en",
    "sms",
    "Your new voicemail PIN is set. Temporary web login for your account ⟦email⟧: ⟦pw⟧ (valid until you change it).",
)
p(
    "en",
    "wiki_table",
    '{| class="wikitable"\n! Device !! IP !! Password\n|-\n| NAS || ⟦ip4⟧ || ⟦pw⟧\n|-\n| Printer || ⟦privip⟧ || ⟦pw⟧\n|-\n| Camera || ⟦ip4⟧ || ⟦pw⟧\n|}',
)
# ---- German
p(
    "de",
    "whatsapp_chat",
    "⟦date⟧, ⟦time⟧ - ⟦name⟧: Das WLAN heißt ⟦ssid⟧, das Passwort steht hinten auf dem Router: ⟦wifi⟧\n⟦date⟧, ⟦time⟧ - ⟦name⟧: Danke dir!",
)
p(
    "de",
    "email_reply",
    "Hallo ⟦name⟧,\n\nanbei die Zugangsdaten für das Kundenportal:\nBenutzer: ⟦email⟧\nKennw.: ⟦pw⟧\n\nBitte nach dem ersten Login ändern.\n\nViele Grüße\n⟦name⟧\n--\n⟦company⟧ · Tel. ⟦phone⟧\n\n> Am ⟦date⟧ schrieb ⟦name⟧:\n> Ich komme nicht mehr ins Portal, können Sie mir neue Daten schicken?",
)
p(
    "de",
    "handover_note",
    "Übergabeprotokoll Hausmeisterei ⟦date⟧\n- Schlüsseltresor Eingang: Code ⟦pin⟧\n- Alarmanlage scharf/unscharf mit ⟦pin⟧\n- Heizungsraum: Schlüssel liegt im Tresor\n- Rückfragen: ⟦phone⟧",
)
p(
    "de",
    "pdf_extract",
    "3.2 Zugang zum Testsystem\nDas Test-\nsystem ist unter ⟦ip⟧ erreichbar. Die Anmel-\ndung erfolgt mit dem Benutzer ⟦user⟧ und dem Kenn-\nwort ⟦pw⟧. Das Kennwort ist ver-\ntraulich zu behandeln.",
)
p(
    "de",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: ⟦pw⟧ ist das neue Passwort für den Shared-Account, bitte nicht weitergeben\n[⟦time⟧] ⟦name⟧: alles klar, danke",
)
p(
    "de",
    "helpdesk_ticket",
    "Ticket ⟦ticket⟧: Server ⟦ip⟧ nicht erreichbar\nKommentar ⟦name⟧: root-Zugang per SSH klappt wieder, PW: ⟦pw⟧ – bitte in den Passwortsafe übernehmen.",
)
p(
    "de",
    "whatsapp_chat",
    "⟦date⟧, ⟦time⟧ - ⟦name⟧: Kannst du die Tickets mit meiner Kreditkarte buchen? ⟦card⟧, gültig bis ⟦exp⟧\n⟦date⟧, ⟦time⟧ - ⟦name⟧: Bestätigung bitte an ⟦email⟧",
)
p(
    "de",
    "onboarding_letter",
    "Willkommen im Team, ⟦name⟧!\nIhr Zugang zum Intranet:\n  Login – ⟦user⟧\n  Startpasswort – ⟦pw⟧\nDas Passwort muss bei der ersten Anmeldung geändert werden. Bei Problemen: ⟦email⟧",
)
p("de", "tsv_export", "Standort\tGerät\tIP\tKennwort\n⟦city⟧\tSwitch-01\t⟦ip4⟧\t⟦pw⟧\n⟦city⟧\tFirewall\t⟦ip4⟧\t⟦pw⟧")
p(
    "de",
    "teams_chat",
    "⟦name⟧ ⟦time⟧\nKannst du dich mit ⟦pw⟧ anmelden? Benutzer ist ⟦user⟧.\n⟦name⟧ ⟦time⟧\nJa, geht. Danke!",
)
p(
    "de",
    "classroom_handout",
    "\\begin{tabular}{lll}\n\\hline\nDienst & Benutzer & Passwort \\\\\n\\hline\nMoodle & ⟦user⟧ & \\texttt{⟦pwtex⟧} \\\\\nJupyterHub & ⟦user⟧ & \\texttt{⟦pwtex⟧} \\\\\n\\hline\n\\end{tabular}",
)
p(
    "de",
    "email",
    "Moin ⟦name⟧,\nfür den Scanner im 2. OG brauchst du ein App-Passwort, ich habe eins erzeugt: ⟦apppw⟧ (mit oder ohne Leerzeichen eingeben).\nGruß ⟦name⟧",
)
# ---- French
p(
    "fr",
    "email_reply",
    "Bonjour ⟦name⟧,\n\nVoici les identifiants du compte partagé :\nidentifiant : ⟦user⟧\nmdp : ⟦pw⟧\n\nCordialement,\n⟦name⟧\n\n> Le ⟦date⟧, ⟦name⟧ a écrit :\n> Tu peux me renvoyer l'accès au back-office ?",
)
p(
    "fr",
    "airbnb_checkin",
    "Bonjour ⟦name⟧ ! Pour entrer : boîte à clés à droite de la porte, le code est ⟦pin⟧. Le wifi : ⟦ssid⟧, mot de passe « ⟦wifi⟧ ». Bon séjour !",
)
p(
    "fr",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧ : ⟦pw⟧ est le nouveau mot de passe du compte Twitter de la boîte\n[⟦time⟧] ⟦name⟧ : ok noté",
)
p(
    "fr",
    "helpdesk_ticket",
    "Demande ⟦ticket⟧ – accès base de données\nServeur : ⟦ip⟧\nUtilisateur : ⟦user⟧\nMot de passe :\n⟦pw⟧\nMerci de ne pas transférer ce ticket.",
)
p(
    "fr",
    "sms",
    "Salut ⟦name⟧, pour la réservation du gîte tu peux utiliser ma carte ⟦card⟧ (exp. ⟦exp⟧). Envoie la facture à ⟦email⟧ stp.",
)
p(
    "fr",
    "classroom_handout",
    "TP Réseaux – Séance ⟦num⟧\nConnectez-vous au routeur du banc (⟦ip⟧) avec admin / ⟦pw⟧.\nLa clé API de la plateforme de TP : ⟦gapi⟧",
)
p(
    "fr",
    "meeting_notes",
    "Compte rendu de la réunion du ⟦date⟧\n- La clé SendGrid ⟦sendgrid⟧ a fuité dans un commit, à révoquer\n- ⟦name⟧ s'occupe de la boîte ⟦email⟧\n- Prochaine réunion : jeudi",
)
p(
    "fr",
    "hotel_checkin",
    "Chère cliente, cher client,\nVotre chambre ⟦room⟧ est prête. Code du portail : ⟦pin⟧. Réseau Wi-Fi « ⟦ssid⟧ », clé : ⟦wifi⟧.\nLa réception ferme à 22 h.",
)
# ---- Spanish
p(
    "es",
    "whatsapp_chat",
    "[⟦date⟧ ⟦time⟧] ⟦name⟧: la clave del wifi es ⟦wifi⟧\n[⟦date⟧ ⟦time⟧] ⟦name⟧: y la de la alarma ⟦pin⟧, no se la pases a nadie",
)
p(
    "es",
    "email_reply",
    "Hola ⟦name⟧:\n\nTe paso el acceso al panel:\nUsuario: ⟦email⟧\nContraseña: ⟦pw⟧\n\nUn saludo,\n⟦name⟧\n\nEl ⟦date⟧, ⟦name⟧ escribió:\n> ¿Me mandas otra vez los datos del panel?",
)
p("es", "handover_note", "Nota para ⟦name⟧: servidor de pruebas ⟦ip⟧, usr. ⟦user⟧, contr. ⟦pw⟧")
p("es", "sms", "⟦name⟧, paga la cena con la tarjeta de la empresa: ⟦card⟧, caduca ⟦exp⟧.")
p(
    "es",
    "helpdesk_ticket",
    "Incidencia ⟦ticket⟧\nEl token de GitLab ⟦glpat⟧ se filtró en el chat; lo revoco hoy. Mientras tanto usa ⟦pw⟧ para entrar en la consola.",
)
p("es", "sms", "⟦pw⟧ es la nueva contraseña del correo ⟦email⟧, cámbiala cuando puedas.")
p(
    "es",
    "telegram_chat",
    "⟦name⟧, [⟦time⟧]\nconéctate con ⟦pw⟧ al servidor ⟦ip⟧, usuario ⟦user⟧\n⟦name⟧, [⟦time⟧]\nperfecto, ya estoy dentro",
)
# ---- Italian
p(
    "it",
    "email",
    "Ciao ⟦name⟧,\nti giro le credenziali del gestionale: utente ⟦user⟧, password ⟦pw⟧. L'indirizzo per le fatture è ⟦email⟧.\nA presto,\n⟦name⟧",
)
p(
    "it",
    "whatsapp_chat",
    "⟦date⟧, ⟦time⟧ - ⟦name⟧: il codice del portone è ⟦pin⟧\n⟦date⟧, ⟦time⟧ - ⟦name⟧: wifi ⟦ssid⟧ pw ⟦wifi⟧",
)
p("it", "teams_chat", "⟦name⟧ ⟦time⟧\n⟦pw⟧ è la nuova password del server ⟦ip⟧, l'ho cambiata stamattina.")
p("it", "email", "Per il rinnovo dell'abbonamento usa la carta ⟦card⟧ scad. ⟦exp⟧ – intestata a ⟦name⟧.")
p(
    "it",
    "handover_note",
    "Consegne turno notte ⟦date⟧\n• NAS: admin / ⟦pw⟧\n• Chiave AWS del backup: ⟦aws⟧\n• Segreto: ⟦awssec⟧",
)
# ---- Portuguese
p("pt", "whatsapp_chat", "[⟦time⟧, ⟦date⟧] ⟦name⟧: a senha do wi-fi é ⟦wifi⟧\n[⟦time⟧, ⟦date⟧] ⟦name⟧: valeu!")
p("pt", "email", "Olá ⟦name⟧,\n\nSegue o acesso ao sistema:\nlogin: ⟦user⟧\nsenha: ⟦pw⟧\n\nAbs,\n⟦name⟧")
p("pt", "sms", "⟦pw⟧ é a nova senha do e-mail ⟦email⟧")
p(
    "pt",
    "whatsapp_chat",
    "[⟦time⟧, ⟦date⟧] ⟦name⟧: pode pagar a inscrição com o cartão ⟦card⟧ validade ⟦exp⟧\n[⟦time⟧, ⟦date⟧] ⟦name⟧: manda o recibo para ⟦email⟧",
)
p("pt", "helpdesk_ticket", "Chamado ⟦ticket⟧ – O servidor ⟦ip⟧ voltou. Token do bot: ⟦tgbot⟧. Senha root: ⟦pw⟧.")
# ---- Dutch
p(
    "nl",
    "email",
    "Hoi ⟦name⟧,\n\nHierbij de inloggegevens voor de webshop:\ngebruikersnaam: ⟦email⟧\nwachtwoord: ⟦pw⟧\n\nGroeten,\n⟦name⟧",
)
p("nl", "airbnb_checkin", "⟦date⟧ ⟦time⟧ - ⟦name⟧: De sleutelkluis zit naast de voordeur, code ⟦pin⟧. Wifi: ⟦wifi⟧")
p("nl", "teams_chat", "⟦name⟧ ⟦time⟧\n⟦pw⟧ is het nieuwe wachtwoord voor de gedeelde mailbox, niet doorsturen aub.")
p("nl", "email", "Kun je de vlucht boeken met mijn creditcard ⟦card⟧? Vervaldatum ⟦exp⟧. Dank je, ⟦name⟧")
p("nl", "helpdesk_ticket", "Melding ⟦ticket⟧: server ⟦ip⟧ gaf 502. Opgelost. npm-token voor de build: ⟦npm⟧")
# ---- Japanese
p("ja", "line_chat", "⟦time⟧ ⟦name⟧ Wi-Fiのパスワードは⟦wifi⟧です\n⟦time⟧ ⟦name⟧ ありがとう！")
p(
    "ja",
    "email",
    "⟦name⟧様\n\nお世話になっております。\n管理画面のログイン情報をお送りします。\nID：⟦user⟧\nパスワード：⟦pw⟧\n\nよろしくお願いいたします。\n⟦name⟧",
)
p(
    "ja",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: 新しいパスワードは「⟦pw⟧」です。サーバー⟦ip⟧にログインできるか確認してください。",
)
p("ja", "hotel_checkin", "ご宿泊のご案内\nお部屋：⟦room⟧号室\n玄関の暗証番号：⟦pin⟧\nWi-Fi：⟦ssid⟧ / ⟦wifi⟧")
p("ja", "email", "会費はこのカードで払っておいてください：⟦card⟧（有効期限 ⟦exp⟧）。領収書は⟦email⟧までお願いします。")
p(
    "ja",
    "helpdesk_ticket",
    "問い合わせ番号 ⟦ticket⟧\nチャットに貼られたAPIキー ⟦openai⟧ を本日中に無効化します。接続元IP：⟦ip⟧",
)
# ---- Chinese
p("zh", "wechat_chat", "⟦name⟧ ⟦time⟧\n服务器密码改成⟦pw⟧了\n⟦name⟧ ⟦time⟧\n收到，IP还是⟦ip⟧吧？")
p("zh", "wechat_chat", "⟦name⟧：⟦pw⟧ 是新密码，用户名还是 ⟦user⟧。")
p("zh", "email", "⟦name⟧，你好：\n阿里云账号的 AccessKey ID：⟦ali⟧\n请勿外传。如有问题请联系 ⟦email⟧。")
p("zh", "hotel_checkin", "欢迎入住！房间 ⟦room⟧，门锁密码 ⟦pin⟧，WiFi：⟦ssid⟧，密码：⟦wifi⟧")
p("zh", "wechat_chat", "⟦name⟧ ⟦time⟧\n帮我在网上付一下，信用卡号 ⟦card⟧，有效期 ⟦exp⟧")
# ---- Korean
p("ko", "kakaotalk_chat", "⟦name⟧ ⟦time⟧\n와이파이 비번 ⟦wifi⟧ 이에요\n⟦name⟧ ⟦time⟧\n감사합니다!")
p(
    "ko",
    "email",
    "⟦name⟧님 안녕하세요.\n관리자 계정 정보 전달드립니다.\n아이디: ⟦user⟧\n비밀번호: ⟦pw⟧\n첫 로그인 후 꼭 변경해 주세요.",
)
p("ko", "kakaotalk_chat", "[⟦name⟧] [오후 ⟦time⟧] ⟦pw⟧ 이게 새 비번이야. 서버는 ⟦ip⟧")
p("ko", "hotel_checkin", "체크인 안내\n현관 비밀번호: ⟦pin⟧\n와이파이: ⟦ssid⟧ / ⟦wifi⟧\n문의: ⟦phone⟧")
p("ko", "kakaotalk_chat", "[⟦name⟧] [오전 ⟦time⟧] 이 카드로 결제해 주세요: ⟦card⟧ (유효기간 ⟦exp⟧)")
# ---- Russian
p("ru", "telegram_chat", "⟦name⟧, [⟦time⟧]\nпароль от роутера: ⟦pw⟧\n⟦name⟧, [⟦time⟧]\nспасибо, подключился")
p(
    "ru",
    "email",
    "Добрый день, ⟦name⟧!\n\nДоступ к серверу ⟦ip4⟧:\nлогин — ⟦user⟧\nпароль — ⟦pw⟧\n\nС уважением,\n⟦name⟧",
)
p("ru", "sms", "⟦pw⟧ — новый пароль от почты ⟦email⟧, не забудь сменить.")
p("ru", "telegram_chat", "⟦name⟧, [⟦time⟧]\nоплати, пожалуйста, с моей карты ⟦card⟧, срок действия ⟦exp⟧")
p(
    "ru",
    "handover_note",
    "Передача дел ⟦date⟧\n— код домофона: ⟦pin⟧\n— токен GitHub: ⟦ghp⟧\n— почта для уведомлений: ⟦email⟧",
)
# ---- Polish
p("pl", "teams_chat", "⟦name⟧ ⟦time⟧\nCześć, hasło do Wi-Fi w biurze: ⟦wifi⟧")
p(
    "pl",
    "email",
    "Dzień dobry,\nprzesyłam dane logowania:\nlogin: ⟦user⟧\nhasło: ⟦pw⟧\nserwer: ⟦ip⟧\nPozdrawiam,\n⟦name⟧",
)
p("pl", "sms", "⟦pw⟧ to nowe hasło do konta ⟦email⟧.")
p("pl", "whatsapp_chat", "⟦date⟧, ⟦time⟧ - ⟦name⟧: zapłać moją kartą: ⟦card⟧, ważna do ⟦exp⟧")
# ---- Nordic
p("sv", "sms", "Hej ⟦name⟧! Koden till nyckelskåpet är ⟦pin⟧ och wifi-lösenordet är ⟦wifi⟧. Välkommen!")
p("sv", "email", "Hej,\nhär är inloggningen till bokföringssystemet: användarnamn ⟦email⟧, lösenord ⟦pw⟧.\nMvh ⟦name⟧")
p("sv", "slack_chat", "[⟦time⟧] ⟦name⟧: logga in med ⟦pw⟧ på ⟦ip⟧, användare ⟦user⟧")
p("nb", "sms", "Hei ⟦name⟧! Passordet til Wi-Fi er ⟦wifi⟧, og koden til døra er ⟦pin⟧.")
p("nb", "email", "Hei,\nbrukernavn: ⟦user⟧\npassord: ⟦pw⟧\nServeren står på ⟦ip⟧.\nHilsen ⟦name⟧")
p("nb", "sms", "Kan du betale med kortet mitt? ⟦card⟧, utløper ⟦exp⟧. Takk! ⟦name⟧")
p("da", "airbnb_checkin", "Hej ⟦name⟧, koden til nøgleboksen er ⟦pin⟧. Wi-Fi: ⟦ssid⟧, kode ⟦wifi⟧.")
p("da", "email", "Hej,\nadgangskode til portalen: ⟦pw⟧\nbrugernavn: ⟦email⟧\nVenlig hilsen\n⟦name⟧")
p("da", "teams_chat", "⟦name⟧ ⟦time⟧\n⟦pw⟧ er den nye adgangskode til routeren (⟦ip⟧)")
p("fi", "sms", "Moi ⟦name⟧! Avainsäilön koodi on ⟦pin⟧ ja wifin salasana ⟦wifi⟧.")
p("fi", "email", "Hei,\ntässä tunnukset: käyttäjätunnus ⟦user⟧, salasana ⟦pw⟧. Palvelin: ⟦ip⟧.\nTerveisin ⟦name⟧")
p("fi", "teams_chat", "⟦name⟧ ⟦time⟧\n⟦pw⟧ on uusi salasana yhteiseen sähköpostiin ⟦email⟧.")
# ---- Central / Eastern Europe
p("cs", "whatsapp_chat", "⟦date⟧ ⟦time⟧ - ⟦name⟧: Ahoj, heslo k wifi je ⟦wifi⟧")
p("cs", "email", "Dobrý den,\nposílám přístupy: uživatel ⟦user⟧, heslo ⟦pw⟧, server ⟦ip⟧.\nS pozdravem ⟦name⟧")
p("cs", "sms", "Zaplať to prosím mou kartou ⟦card⟧, platnost ⟦exp⟧.")
p("sk", "email", "Ahoj ⟦name⟧, nové heslo do systému je ⟦pw⟧. Prihlasovacie meno: ⟦email⟧")
p("sk", "airbnb_checkin", "Vitajte, ⟦name⟧! Kód od trezoru na kľúče: ⟦pin⟧. Heslo na Wi-Fi: ⟦wifi⟧")
p("hu", "sms", "Szia ⟦name⟧! A wifi jelszó: ⟦wifi⟧")
p("hu", "email", "Kedves ⟦name⟧!\nA belépési adatok: felhasználónév ⟦user⟧, jelszó ⟦pw⟧. Szerver: ⟦ip⟧\nÜdvözlettel")
p("hu", "teams_chat", "⟦name⟧ ⟦time⟧\n⟦pw⟧ az új jelszó a közös fiókhoz (⟦email⟧).")
p("ro", "sms", "Bună ⟦name⟧! Parola de la wifi este ⟦wifi⟧, iar codul de la cutia cu chei e ⟦pin⟧.")
p("ro", "email", "Bună ziua,\nDatele de acces: utilizator ⟦user⟧, parolă ⟦pw⟧.\nCu stimă, ⟦name⟧")
p("ro", "whatsapp_chat", "⟦date⟧, ⟦time⟧ - ⟦name⟧: plătește cu cardul meu ⟦card⟧, expiră ⟦exp⟧")
p("tr", "whatsapp_chat", "⟦date⟧ ⟦time⟧ - ⟦name⟧: wifi şifresi ⟦wifi⟧\n⟦date⟧ ⟦time⟧ - ⟦name⟧: tamamdır")
p("tr", "email", "Merhaba ⟦name⟧,\nPanel giriş bilgileri:\nKullanıcı adı: ⟦email⟧\nŞifre: ⟦pw⟧\nİyi çalışmalar")
p("tr", "slack_chat", "[⟦time⟧] ⟦name⟧: yeni şifre ⟦pw⟧, sunucu ⟦ip⟧")
p("tr", "whatsapp_chat", "⟦date⟧ ⟦time⟧ - ⟦name⟧: kartım ⟦card⟧, son kullanma ⟦exp⟧, ödemeyi sen yapar mısın?")
p("uk", "telegram_chat", "⟦name⟧, [⟦time⟧]\nпароль від вайфаю ⟦wifi⟧")
p("uk", "email", "Добрий день!\nДоступ до сервера ⟦ip4⟧: логін ⟦user⟧, пароль ⟦pw⟧.\nЗ повагою, ⟦name⟧")
p("uk", "sms", "⟦pw⟧ — новий пароль до пошти ⟦email⟧")
p("el", "sms", "Γεια σου ⟦name⟧! Ο κωδικός του wifi είναι ⟦wifi⟧.")
p("el", "email", "Καλησπέρα,\nΣτοιχεία πρόσβασης: όνομα χρήστη ⟦user⟧, κωδικός ⟦pw⟧, διακομιστής ⟦ip⟧.\nΦιλικά, ⟦name⟧")
p("el", "sms", "Πλήρωσε με την κάρτα μου ⟦card⟧, λήξη ⟦exp⟧.")
p("bg", "sms", "Здравей ⟦name⟧, паролата за wifi е ⟦wifi⟧.")
p("bg", "email", "Достъп до сървъра ⟦ip⟧ – потребител ⟦user⟧, парола ⟦pw⟧. Пиши на ⟦email⟧ при проблем.")
p("hr", "sms", "Bok ⟦name⟧! Lozinka za wifi je ⟦wifi⟧, a kod za kutiju s ključevima ⟦pin⟧.")
p("hr", "email", "Podaci za prijavu: korisničko ime ⟦email⟧, lozinka ⟦pw⟧. Lp, ⟦name⟧")
p("sl", "sms", "Živjo ⟦name⟧, geslo za wifi je ⟦wifi⟧.")
p("sl", "email", "Dostop do strežnika ⟦ip4⟧: uporabnik ⟦user⟧, geslo ⟦pw⟧. Lep pozdrav, ⟦name⟧")
p("lt", "sms", "Labas ⟦name⟧! Wi-Fi slaptažodis: ⟦wifi⟧, durų kodas ⟦pin⟧.")
p("lt", "email", "Prisijungimo duomenys: vartotojas ⟦email⟧, slaptažodis ⟦pw⟧. Pagarbiai, ⟦name⟧")
p("lv", "sms", "Sveiki, ⟦name⟧! Wi-Fi parole: ⟦wifi⟧.")
p("lv", "email", "Servera ⟦ip⟧ piekļuve: lietotājs ⟦user⟧, parole ⟦pw⟧. Ar cieņu, ⟦name⟧")
p("et", "sms", "Tere ⟦name⟧! Wifi parool on ⟦wifi⟧ ja võtmekapi kood ⟦pin⟧.")
p("et", "email", "Sisselogimine: kasutajanimi ⟦email⟧, parool ⟦pw⟧. Parimat, ⟦name⟧")
# ---- Middle East / South Asia
p("ar", "whatsapp_chat", "⟦date⟧ ⟦time⟧ - ⟦name⟧: كلمة سر الواي فاي هي ⟦wifi⟧")
p("ar", "email", "مرحباً ⟦name⟧،\nبيانات الدخول إلى الخادم ⟦ip4⟧:\nاسم المستخدم: ⟦user⟧\nكلمة المرور: ⟦pw⟧\nمع التحية")
p("ar", "sms", "ادفع ببطاقتي ⟦card⟧، تنتهي في ⟦exp⟧.")
p("he", "whatsapp_chat", "⟦date⟧ ⟦time⟧ - ⟦name⟧: היי, הסיסמה לוויפי היא ⟦wifi⟧")
p("he", "email", "שלום ⟦name⟧,\nפרטי הכניסה למערכת:\nשם משתמש: ⟦email⟧\nסיסמה: ⟦pw⟧\nבברכה")
p("he", "sms", "⟦pw⟧ זו הסיסמה החדשה לשרת ⟦ip⟧")
p("fa", "sms", "سلام ⟦name⟧، رمز وای‌فای ⟦wifi⟧ است.")
p("fa", "email", "اطلاعات ورود: نام کاربری ⟦user⟧، رمز عبور ⟦pw⟧، سرور ⟦ip⟧")
p("hi", "whatsapp_chat", "⟦date⟧ ⟦time⟧ - ⟦name⟧: वाई-फाई का पासवर्ड ⟦wifi⟧ है")
p("hi", "email", "नमस्ते ⟦name⟧,\nसर्वर ⟦ip⟧ के लिए लॉगिन: यूज़रनेम ⟦user⟧, पासवर्ड ⟦pw⟧\nधन्यवाद")
p("hi", "sms", "मेरे कार्ड ⟦card⟧ से पेमेंट कर दो, एक्सपायरी ⟦exp⟧।")
p("bn", "sms", "⟦name⟧, ওয়াইফাই পাসওয়ার্ড হলো ⟦wifi⟧")
p("bn", "email", "লগইন তথ্য: ইউজারনেম ⟦email⟧, পাসওয়ার্ড ⟦pw⟧")
# ---- South-East Asia / Africa / Catalan
p("vi", "zalo_chat", "⟦name⟧ ⟦time⟧: mật khẩu wifi là ⟦wifi⟧ nha")
p("vi", "email", "Chào ⟦name⟧,\nThông tin đăng nhập: tài khoản ⟦user⟧, mật khẩu ⟦pw⟧, máy chủ ⟦ip⟧.\nTrân trọng")
p("vi", "sms", "Thanh toán giúp mình bằng thẻ ⟦card⟧, hết hạn ⟦exp⟧ nhé.")
p("th", "line_chat", "⟦time⟧ ⟦name⟧ รหัสไวไฟคือ ⟦wifi⟧ ครับ")
p("th", "email", "ชื่อผู้ใช้ ⟦user⟧ รหัสผ่าน ⟦pw⟧ เซิร์ฟเวอร์ ⟦ip⟧")
p("th", "hotel_checkin", "ยินดีต้อนรับค่ะ รหัสประตูห้อง ⟦room⟧ คือ ⟦pin⟧ ค่ะ")
p("id", "whatsapp_chat", "⟦date⟧ ⟦time⟧ - ⟦name⟧: password wifi-nya ⟦wifi⟧ ya")
p("id", "email", "Halo ⟦name⟧,\nBerikut akses ke server ⟦ip4⟧: username ⟦user⟧, kata sandi ⟦pw⟧.\nTerima kasih")
p("id", "sms", "⟦pw⟧ itu kata sandi baru untuk email ⟦email⟧")
p("ms", "sms", "Hai ⟦name⟧, kata laluan wifi ialah ⟦wifi⟧.")
p("ms", "email", "Log masuk dengan ⟦pw⟧, nama pengguna ⟦email⟧.")
p("tl", "sms", "Uy ⟦name⟧, ang password ng wifi ay ⟦wifi⟧")
p("tl", "email", "Ito yung bagong password: ⟦pw⟧ para sa ⟦email⟧")
p("sw", "sms", "Habari ⟦name⟧, nenosiri la wifi ni ⟦wifi⟧.")
p("sw", "email", "Ingia kwa kutumia jina la mtumiaji ⟦user⟧ na nenosiri ⟦pw⟧ kwenye seva ⟦ip⟧.")
p("ca", "sms", "Hola ⟦name⟧! La contrasenya del wifi és ⟦wifi⟧ i el codi de la porta ⟦pin⟧.")
p("ca", "email", "Accés al servidor ⟦ip4⟧: usuari ⟦user⟧, contrasenya ⟦pw⟧. Salutacions, ⟦name⟧")

# ---- more multi-credential positives
p(
    "en",
    "handover_note",
    'Handover for ⟦name⟧ (I\'m off from ⟦date⟧)\n1. Office alarm: the alarm code is ⟦pin⟧, panel is behind the coat rack\n2. Guest Wi-Fi "⟦ssid⟧" – ⟦wifi⟧\n3. Twilio auth token (SMS alerts): ⟦twilio⟧\n4. Apple ID app-specific password for the calendar sync: ⟦applepw⟧',
)
p(
    "en",
    "email_reply",
    "Got it, thanks!\n\n> From: ⟦name⟧ <⟦email⟧>\n> Sent: ⟦date⟧\n> Subject: RE: wiki access\n>\n> use ⟦pw⟧ to log in, username is your first name. The passphrase for the backup drive is ⟦pp⟧ (yes, with the dots/dashes).",
)
p(
    "en",
    "airbnb_checkin",
    "Hey ⟦name⟧! Check-in instructions 🏡\n• Building door: press the bell, then ⟦pin⟧\n• The key box code is ⟦pin⟧\n• Wi-Fi: ⟦wifi⟧\n• Checkout by 11:00, just leave the keys inside.",
)
p(
    "de",
    "email_reply",
    "Hallo ⟦name⟧,\n\n„⟦pw⟧“ ist das Passwort für den Share, der Benutzer lautet ⟦user⟧. Für den Gast-Zugang gilt weiterhin ⟦wifi⟧.\n\nBeste Grüße\n⟦name⟧\n\n-----Ursprüngliche Nachricht-----\nVon: ⟦name⟧\nGesendet: ⟦date⟧\nBetreff: Zugang Share",
)
p(
    "fr",
    "teams_chat",
    "⟦name⟧ ⟦time⟧\nconnecte-toi avec ⟦pw⟧ (utilisateur ⟦user⟧), puis pour le coffre ⟦pp⟧\n⟦name⟧ ⟦time⟧\nmerci, c'est bon",
)
p(
    "es",
    "classroom_handout",
    "Práctica ⟦num⟧ – Laboratorio de redes\nUsuario / contraseña del equipo: alumno / ⟦pw⟧\nRouter (⟦ip⟧): admin / ⟦pw⟧\nWi-Fi del aula: ⟦wifi⟧",
)
p(
    "ja",
    "line_chat",
    "⟦time⟧ ⟦name⟧ 倉庫のキーボックスの番号は⟦pin⟧\n⟦time⟧ ⟦name⟧ 了解、Wi-Fiは？\n⟦time⟧ ⟦name⟧ ⟦ssid⟧ で、パスは⟦wifi⟧",
)
p(
    "zh",
    "wechat_chat",
    "⟦name⟧ ⟦time⟧\n测试环境：⟦ip⟧\n账号 ⟦user⟧ 密码 ⟦pw⟧\n⟦name⟧ ⟦time⟧\n数据库密码呢？\n⟦name⟧ ⟦time⟧\n⟦pw⟧",
)
p(
    "ko",
    "kakaotalk_chat",
    "[⟦name⟧] [오후 ⟦time⟧] 공유기 관리자 비번 ⟦pw⟧\n[⟦name⟧] [오후 ⟦time⟧] 와이파이는 ⟦wifi⟧\n[⟦name⟧] [오후 ⟦time⟧] ㅇㅋ 고마워",
)
p(
    "ru",
    "meeting_notes",
    "Итоги созвона ⟦date⟧\n1. Ключ доступа AWS ⟦aws⟧ и секрет ⟦awssec⟧ утекли в логах — отозвать.\n2. Временный пароль для подрядчика: ⟦pw⟧\n3. Ответственный: ⟦name⟧",
)
p(
    "it",
    "classroom_handout",
    "Laboratorio di informatica – scheda ⟦num⟧\nAccesso ai PC: utente studente, password (⟦pw⟧)\nPiattaforma esercizi – chiave API: ⟦gapi⟧",
)
p(
    "pt",
    "hotel_checkin",
    "Bem-vindo, ⟦name⟧!\nQuarto ⟦room⟧ – código da fechadura: ⟦pin⟧\nRede Wi-Fi ⟦ssid⟧, senha ⟦wifi⟧\nCofre do quarto: ⟦pin⟧",
)
p(
    "nl",
    "handover_note",
    "Overdracht ⟦date⟧\n- Alarmcode kantoor: ⟦pin⟧\n- Admin-account NAS: beheer / ⟦pw⟧\n- GitHub-token voor de CI: ⟦ghp⟧",
)
p(
    "pl",
    "meeting_notes",
    "Notatki ze spotkania ⟦date⟧\n- hasło do panelu klienta: ⟦pw⟧\n- token Slacka ⟦slack⟧ do wymiany\n- klucz Stripe (test): ⟦sk_test⟧",
)
p(
    "tr",
    "helpdesk_ticket",
    "Talep ⟦ticket⟧\nKullanıcı: ⟦user⟧\nGeçici şifre: ⟦pw⟧\nVPN ağ geçidi: ⟦ip⟧\nKapı kodu: ⟦pin⟧",
)
p("sv", "handover_note", "Överlämning ⟦date⟧\n• Larmkod: ⟦pin⟧\n• Wifi (gäst): ⟦wifi⟧\n• Root på ⟦ip4⟧: ⟦pw⟧")
p(
    "en",
    "sms",
    "Reminder from ⟦name⟧: new Wi-Fi key is ⟦wifi⟧, router admin pwd ⟦pw⟧, and the garage code ⟦pin⟧. Your one-time login code was ⟦otp⟧ (already used).",
)
p(
    "de",
    "whatsapp_chat",
    "⟦date⟧, ⟦time⟧ - ⟦name⟧: Schlüsselbox-Code: ⟦pin⟧\n⟦date⟧, ⟦time⟧ - ⟦name⟧: WLAN-Schlüssel: ⟦wifi⟧\n⟦date⟧, ⟦time⟧ - ⟦name⟧: und das PW für den Fernseher-Account ⟦pw⟧",
)

# ---------------------------------------------------------------- hard negatives
n(
    "password_policy",
    "en",
    "email",
    "Reminder from IT (⟦date⟧): passwords must be at least 12 characters, include a number and a symbol, and may not reuse any of your last 5 passwords. Details in ticket ⟦ticket⟧.",
)
n(
    "password_policy",
    "de",
    "handover_note",
    "Hinweis vom ⟦date⟧: Das Kennwort muss mindestens 10 Zeichen lang sein und Groß- und Kleinbuchstaben enthalten. Passwörter laufen nach 90 Tagen ab. – ⟦name⟧",
)
n(
    "password_policy",
    "ja",
    "email",
    "パスワードは8文字以上で、英大文字・数字・記号を含めてください。（情報システム部 ⟦name⟧、⟦date⟧）",
)
n(
    "password_changed_no_value",
    "en",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: I reset the password for the shared drive, check your inbox for the link\n[⟦time⟧] ⟦name⟧: 👍 done",
)
n(
    "password_changed_no_value",
    "fr",
    "email",
    "Bonjour ⟦name⟧, le mot de passe de votre compte a été modifié le ⟦date⟧ à ⟦time⟧. Si vous n'êtes pas à l'origine de ce changement, contactez le support.",
)
n(
    "password_changed_no_value",
    "es",
    "whatsapp_chat",
    "[⟦date⟧ ⟦time⟧] ⟦name⟧: ya cambié la contraseña del router, te la digo en persona mañana",
)
n(
    "masked_value",
    "en",
    "helpdesk_ticket",
    "Ticket ⟦ticket⟧\nUser: ⟦user⟧\nPassword: ⟦masked⟧ (request access via the vault)\nUpdated by ⟦name⟧",
)
n("masked_value", "de", "handover_note", "Benutzer: ⟦user⟧\nPasswort: ⟦masked⟧\nZuletzt geändert: ⟦date⟧")
n("masked_value", "pt", "email", "API key: ⟦masked⟧ – peça ao ⟦name⟧ pelo cofre de senhas. Última rotação: ⟦date⟧")
n(
    "booking_reference",
    "en",
    "email",
    "Your booking is confirmed! Reference: ⟦booking⟧. Check-in from 15:00 on ⟦date⟧. See you soon, ⟦name⟧.",
)
n("booking_reference", "it", "sms", "Prenotazione confermata – codice ⟦booking⟧, arrivo il ⟦date⟧. Grazie, ⟦name⟧")
n("booking_reference", "ko", "sms", "예약번호 ⟦booking⟧ 로 체크인해 주세요. (⟦date⟧ ⟦time⟧)")
n(
    "order_number",
    "en",
    "email",
    "Thanks for your order ⟦order⟧! Total: EUR ⟦amount⟧. We'll let you know when it ships.",
)
n(
    "order_number",
    "de",
    "email",
    "Ihre Bestellung ⟦order⟧ vom ⟦date⟧ wurde storniert. Der Betrag von ⟦amount⟧ € wird erstattet.",
)
n("order_number", "pl", "sms", "Zamówienie ⟦order⟧ jest gotowe do odbioru w punkcie ⟦num⟧.")
n(
    "ticket_number",
    "en",
    "helpdesk_ticket",
    "Your request has been logged as ⟦ticket⟧. Priority: P3. Assigned to ⟦name⟧.",
)
n(
    "ticket_number",
    "nl",
    "email",
    "Uw melding is geregistreerd onder nummer ⟦ticket⟧. We nemen binnen 2 werkdagen contact op. – ⟦name⟧",
)
n("ticket_number", "sv", "teams_chat", "⟦name⟧ ⟦time⟧\nkan du kolla ärende ⟦ticket⟧? kunden väntar")
n("tracking_number", "en", "sms", "Your parcel is on its way. Tracking number: ⟦track⟧. Expected delivery ⟦date⟧.")
n("tracking_number", "fr", "email", "Votre colis est expédié. Numéro de suivi : ⟦track⟧ (livraison prévue le ⟦date⟧).")
n("tracking_number", "zh", "wechat_chat", "⟦name⟧ ⟦time⟧\n快递单号 ⟦track⟧，明天应该到")
n(
    "flight_number",
    "en",
    "whatsapp_chat",
    "⟦date⟧, ⟦time⟧ - ⟦name⟧: landing at 18:40, flight ⟦flight⟧, can you pick me up?",
)
n("flight_number", "es", "email", "Su vuelo ⟦flight⟧ del ⟦date⟧ sale a las ⟦time⟧ desde la terminal 2.")
n("flight_number", "tr", "sms", "⟦flight⟧ sefer sayılı uçuşunuz ⟦time⟧ saatine ertelenmiştir.")
n("licence_plate", "de", "sms", "Ihr Fahrzeug ⟦plate⟧ steht ab ⟦time⟧ zur Abholung bereit.")
n("licence_plate", "en", "helpdesk_ticket", "Visitor parking request: plate ⟦plate⟧, visiting ⟦name⟧ on ⟦date⟧.")
n(
    "licence_plate",
    "fr",
    "email",
    "Le véhicule immatriculé ⟦plate⟧ est stationné devant la sortie de secours. Merci de le déplacer. – ⟦name⟧",
)
n("coupon_code", "en", "email", "Use code ⟦coupon⟧ at checkout for a discount – valid until ⟦date⟧.")
n("coupon_code", "de", "sms", "Dein Gutscheincode: ⟦coupon⟧ – einlösbar bis ⟦date⟧ im Onlineshop.")
n("coupon_code", "es", "sms", "¡Aprovecha! Código ⟦coupon⟧ en tu próxima compra antes del ⟦date⟧.")
n(
    "serial_number",
    "en",
    "helpdesk_ticket",
    "Laptop returned by ⟦name⟧. Serial number ⟦serial⟧, asset tag ⟦sku⟧. Wiped on ⟦date⟧.",
)
n("serial_number", "ja", "email", "製品のシリアル番号：⟦serial⟧\n保証期限：⟦date⟧")
n("serial_number", "cs", "email", "Výrobní číslo zařízení: ⟦serial⟧, záruka do ⟦date⟧.")
n(
    "ssid_without_key",
    "en",
    "hotel_checkin",
    "Welcome! The guest network is called ⟦ssid⟧ – no password needed, just accept the terms on the login page. Room ⟦room⟧.",
)
n("ssid_without_key", "de", "sms", "WLAN: ⟦ssid⟧ (offen, kein Passwort). Viel Spaß, ⟦name⟧!")
n("ssid_without_key", "zh", "hotel_checkin", "WiFi 名称：⟦ssid⟧，密码请到前台询问。房间 ⟦room⟧")
n(
    "username_handle",
    "en",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: add me on Telegram, I'm ⟦handle⟧\n[⟦time⟧] ⟦name⟧: my login on the wiki is ⟦user⟧ btw",
)
n(
    "username_handle",
    "de",
    "email",
    "Mein Benutzername im Portal ist ⟦user⟧ – das Passwort habe ich vergessen, bitte zurücksetzen. Gruß ⟦name⟧",
)
n("username_handle", "pt", "sms", "Me segue lá: ⟦handle⟧ 😄 (usuário antigo: ⟦user⟧)")
n(
    "one_time_code",
    "en",
    "sms",
    "⟦otp⟧ is your verification code. It expires in 10 minutes. Never share it with anyone.",
)
n("one_time_code", "de", "sms", "Ihr Einmalcode für die Anmeldung lautet ⟦otp⟧. Er ist 5 Minuten gültig.")
n("one_time_code", "ja", "sms", "【認証コード】⟦otp⟧\nこのコードは一度だけ使用でき、10分後に失効します。")
n(
    "one_time_code",
    "en",
    "whatsapp_chat",
    "⟦date⟧, ⟦time⟧ - ⟦name⟧: the code ⟦otp⟧ you sent already expired, can you request a new one?",
)
n(
    "version_string",
    "en",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: upgraded the agent to v⟦version⟧, build ⟦ssha⟧ – no restart needed",
)
n(
    "version_string",
    "fr",
    "email",
    "La version ⟦version⟧ corrige le bug de connexion. Merci de mettre à jour avant le ⟦date⟧.",
)
n("version_string", "ko", "kakaotalk_chat", "⟦name⟧ ⟦time⟧\n앱 버전 ⟦version⟧ 으로 업데이트했어요")
n("date_time", "en", "meeting_notes", "Next review: ⟦date⟧ at ⟦time⟧ (CET). Dial-in details follow. – ⟦name⟧")
n("date_time", "it", "email", "La riunione è spostata al ⟦date⟧ alle ⟦time⟧. Saluti, ⟦name⟧")
n("date_time", "ru", "telegram_chat", "⟦name⟧, [⟦time⟧]\nвстреча переносится на ⟦date⟧")
n("phone_number", "en", "email", "Best regards,\n⟦name⟧\nMobile: ⟦phone⟧\nOffice: ⟦phone⟧")
n("phone_number", "es", "whatsapp_chat", "[⟦date⟧ ⟦time⟧] ⟦name⟧: llámame al ⟦phone⟧ cuando llegues")
n("phone_number", "ar", "sms", "للاستفسار اتصل على ⟦phone⟧ – ⟦name⟧")
n(
    "reserved_domain_email",
    "en",
    "classroom_handout",
    "Exercise ⟦num⟧: write a regex that matches ⟦resemail⟧ but not user@@⟦dom⟧.",
)
n(
    "reserved_domain_email",
    "de",
    "email",
    "Für Tests bitte nur ⟦resemail⟧ verwenden, niemals echte Kundenadressen. – ⟦name⟧",
)
n("reserved_domain_email", "nl", "helpdesk_ticket", "Testaccount aangemaakt: ⟦resemail⟧ (ticket ⟦ticket⟧)")
n(
    "private_ip",
    "en",
    "handover_note",
    "The printer on floor ⟦num⟧ is at ⟦privip⟧, the NAS at ⟦privip⟧. Both only reachable from the office LAN.",
)
n("private_ip", "de", "teams_chat", "⟦name⟧ ⟦time⟧\nder Router hat jetzt die ⟦privip⟧, DHCP vergibt ab ⟦privip⟧")
n("private_ip", "vi", "zalo_chat", "⟦name⟧ ⟦time⟧: máy in ở địa chỉ ⟦privip⟧ nhé")
n(
    "documentation_ip",
    "en",
    "classroom_handout",
    "Example: block traffic from ⟦docip⟧ with `iptables -A INPUT -s ⟦docip⟧ -j DROP`. (Exercise ⟦num⟧)",
)
n(
    "documentation_ip",
    "fr",
    "pdf_extract",
    "Exemple de configu-\nration : serveur DNS ⟦docip⟧, passerelle ⟦docip⟧ (voir page ⟦num⟧).",
)
n("documentation_ip", "es", "markdown_table", "| Host | IP |\n|---|---|\n| demo | ⟦docip⟧ |\n| test-⟦num⟧ | ⟦docip⟧ |")
n("masked_card", "en", "email", "Payment received with card ⟦maskcard⟧. Amount: ⟦amount⟧ USD. Order ⟦order⟧.")
n("masked_card", "de", "sms", "Ihre Karte ⟦maskcard⟧ wurde mit ⟦amount⟧ EUR belastet.")
n("masked_card", "ja", "email", "ご登録のカード（⟦maskcard⟧）で決済が完了しました。金額：⟦amount⟧")
n(
    "luhn_invalid_card",
    "en",
    "helpdesk_ticket",
    "Customer says the form rejects card ⟦badcard⟧ – checksum fails, probably a typo. Asked ⟦name⟧ to call back.",
)
n(
    "luhn_invalid_card",
    "es",
    "email",
    "El número ⟦badcard⟧ no es válido (error de dígito de control). Por favor, revíselo. – ⟦name⟧",
)
n(
    "luhn_invalid_card",
    "pl",
    "helpdesk_ticket",
    "Zgłoszenie ⟦ticket⟧: numer karty ⟦badcard⟧ odrzucony – błędna suma kontrolna.",
)
n(
    "alnum_word",
    "en",
    "meeting_notes",
    "Since COVID-19 we record all ⟦num⟧ sessions as MP3 and the demos in 4K; handouts are printed on A4. ⟦name⟧ still uses her iPhone15 for the photos.",
)
n("alnum_word", "de", "email", "Bitte die Flyer in A4 und A5 drucken, das Video läuft in 4K/60fps. Danke, ⟦name⟧")
n("alnum_word", "fr", "sms", "J'ai mis les MP3 et les photos 4K sur la clé USB3, rdv à ⟦time⟧. ⟦name⟧")
n(
    "public_key_identifier",
    "en",
    "slack_chat",
    "[⟦time⟧] ⟦name⟧: the frontend only needs the publishable key ⟦pklive⟧ – the secret one stays on the server",
)
n(
    "public_key_identifier",
    "en",
    "email",
    "Hi ⟦name⟧, the Mapbox public token for the map widget is ⟦mapbox⟧ and the reCAPTCHA site key is ⟦recaptcha⟧. Both are public.",
)
n(
    "public_key_identifier",
    "de",
    "helpdesk_ticket",
    "Ticket ⟦ticket⟧: OAuth Client-ID ⟦oauthid⟧ im Login-Button eingetragen (öffentlich, kein Geheimnis).",
)
n(
    "placeholder_credential",
    "en",
    "classroom_handout",
    "Step ⟦num⟧: open config.yml and set\n  api_key: <YOUR_API_KEY>\n  password: ${DB_PASSWORD}\nNever commit real values.",
)
n(
    "placeholder_credential",
    "de",
    "email",
    "Im Formular bitte Passwort: [hier eigenes Passwort eintragen] ausfüllen und an ⟦name⟧ zurückschicken.",
)
n(
    "placeholder_credential",
    "es",
    "helpdesk_ticket",
    "Ticket ⟦ticket⟧: en la plantilla dejamos token=xxxxxxxxxxxxxxxx y password=TU_CONTRASEÑA como ejemplo.",
)
n("hash_checksum", "en", "email", "The release archive has SHA-256 ⟦sha⟧ – please verify before installing. – ⟦name⟧")
n("hash_checksum", "de", "slack_chat", "[⟦time⟧] ⟦name⟧: Fix ist in Commit ⟦sha⟧ drin, deployed um ⟦time⟧")
n("hash_checksum", "zh", "email", "安装包校验值（SHA1）：⟦sha⟧，下载后请核对。")
n("product_code", "en", "email", "Item ⟦sku⟧ is back in stock. Order by ⟦date⟧ for delivery this week.")
n("product_code", "it", "email", "Articolo ⟦sku⟧ disponibile dal ⟦date⟧. Cordiali saluti, ⟦name⟧")
n("product_code", "sv", "sms", "Din reservdel ⟦sku⟧ har kommit. Hämtas senast ⟦date⟧.")
n(
    "password_hint",
    "en",
    "email",
    "Password hint you set on ⟦date⟧: \"first pet + year we met\". If that doesn't help, use 'Forgot password'. – ⟦name⟧",
)
n("password_hint", "de", "sms", "Tipp von ⟦name⟧: Das WLAN-Passwort steht auf dem Aufkleber unter dem Router.")
n("password_hint", "ko", "kakaotalk_chat", "⟦name⟧ ⟦time⟧\n비번은 늘 쓰던 거에 올해 연도 붙인 거야 ㅋㅋ")
n(
    "request_id",
    "en",
    "helpdesk_ticket",
    "Error 500 at ⟦time⟧, request id ⟦uuid⟧. Please attach this id when contacting support.",
)
n("request_id", "fr", "email", "Identifiant de corrélation : ⟦uuid⟧ (à communiquer au support, ticket ⟦ticket⟧).")
n("request_id", "ru", "helpdesk_ticket", "Ошибка при оплате, trace id ⟦uuid⟧, время ⟦time⟧.")
n(
    "meeting_id",
    "en",
    "email",
    "Join the call on ⟦date⟧: meeting ID ⟦meetid⟧. The host will let you in from the waiting room.",
)
n("meeting_id", "de", "teams_chat", "⟦name⟧ ⟦time⟧\nZoom-Meeting-ID ist ⟦meetid⟧, Warteraum ist aktiv")
n("meeting_id", "es", "email", "Reunión el ⟦date⟧ a las ⟦time⟧ – ID de la reunión: ⟦meetid⟧.")
n(
    "secret_mentioned_elsewhere",
    "en",
    "slack_chat",
    '[⟦time⟧] ⟦name⟧: the API key is in 1Password under "Billing prod", don\'t paste it here\n[⟦time⟧] ⟦name⟧: ok, found it',
)
n(
    "secret_mentioned_elsewhere",
    "fr",
    "email",
    "Le mot de passe vous sera communiqué par SMS séparé. Identifiant : ⟦user⟧. Cordialement, ⟦name⟧",
)
n(
    "secret_mentioned_elsewhere",
    "id",
    "whatsapp_chat",
    "⟦date⟧ ⟦time⟧ - ⟦name⟧: password wifi ada di belakang router ya, aku lupa",
)
n(
    "room_and_address",
    "en",
    "hotel_checkin",
    "Your room is ⟦room⟧ on floor ⟦num⟧. Breakfast 7–10 in the lobby. Parking space P⟦num⟧.",
)
n("room_and_address", "th", "hotel_checkin", "ห้องของคุณคือ ⟦room⟧ ชั้น ⟦num⟧ อาหารเช้า 7:00–10:00 น.")
n("room_and_address", "hu", "sms", "A szobád száma ⟦room⟧, a ⟦num⟧. emeleten. Reggeli 7-től.")


# ---------------------------------------------------------------- checks
RE_IP4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)")
RE_IP6 = re.compile(r"(?<![0-9A-Za-z:])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{3,39}(?![0-9A-Za-z:])")
RE_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
RE_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
ASCII_ALNUM = set(ALNUM)


def scan(text):
    """Return findings that must not appear in unlabelled text."""
    bad = []
    for m in RE_IP4.finditer(text):
        try:
            if ipaddress.IPv4Address(m.group()).is_global:
                bad.append(("ipv4", m.group()))
        except ValueError:
            pass
    for m in RE_IP6.finditer(text):
        for cand in {m.group(), m.group().rstrip(":")}:  # "…::fd:" followed by prose
            try:
                if ipaddress.IPv6Address(cand).is_global:
                    bad.append(("ipv6", cand))
            except ValueError:
                pass
    for m in RE_CARD.finditer(text):
        d = re.sub(r"\D", "", m.group())
        if 13 <= len(d) <= 19 and luhn_ok(d) and brand_ok(d):
            bad.append(("card", m.group()))
    for m in RE_EMAIL.finditer(text):
        if not dom_reserved(m.group(1)):
            bad.append(("email", m.group()))
    return bad


def check_span(text, s):
    v = text[s["start"] : s["end"]]
    assert v == s["_value"], (v, s)
    assert v and v == v.strip(), s
    e, k = s["entity"], s["_kind"]
    if e in ("SECRET", "EMAIL_ADDRESS"):
        before = text[s["start"] - 1] if s["start"] > 0 else " "
        after = text[s["end"]] if s["end"] < len(text) else " "
        assert before not in ASCII_ALNUM and after not in ASCII_ALNUM, (text, v)
    if e == "IP_ADDRESS":
        assert ip_public(v), v
    elif e == "CREDIT_CARD":
        d = re.sub(r"[ -]", "", v)
        assert d.isdigit() and luhn_ok(d) and brand_ok(d), v
    elif e == "EMAIL_ADDRESS":
        m = RE_EMAIL.fullmatch(v)
        assert m and not dom_reserved(m.group(1)), v
    elif e == "SECRET":
        if k in PASSWORD_KINDS:
            assert pw_ok(v) and v.lower() not in [w.lower() for w in WORDS + PWORDS], v
        if k == "pin":
            assert 6 <= len(v) <= 8 and v.isalnum() and not v.isdigit() and not v.isalpha(), v


def make_record(rid, lang, ctx, cat, tpl, seen):
    for attempt in range(50):
        text, spans = fill(tpl, lang, rng)
        if text in seen:
            continue
        spans.sort(key=lambda s: s["start"])
        masked = list(text)
        for s in spans:
            for i in range(s["start"], s["end"]):
                masked[i] = "\x00"
        if scan("".join(masked)):
            STATS["redraws"] += 1
            continue
        for a, b in zip(spans, spans[1:]):
            assert a["end"] <= b["start"], (rid, a, b)
        for s in spans:
            check_span(text, s)
        if cat == "positive":
            assert spans, rid
        else:
            assert not spans, rid
        found = {v for _, v in scan(text)}  # scanner self-test: it must see every labelled IP/e-mail/card
        for s in spans:
            if s["entity"] != "SECRET":
                assert s["_value"] in found, (rid, s["_value"])
        seen.add(text)
        return {
            "id": rid,
            "text": text,
            "lang": lang,
            "context": ctx,
            "category": cat,
            "spans": [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in spans],
        }, attempt
    raise AssertionError("could not draw a clean record for " + rid)


STATS = collections.Counter()


def main():
    records, seen = [], set()
    tno = 0
    for lang, ctx, tpl in POS:
        tno += 1
        for v in range(1, rng.choice((3, 3, 4)) + 1):
            rec, _ = make_record("t14-%d-%d" % (tno, v), lang, ctx, "positive", tpl, seen)
            records.append(rec)
    for cat, lang, ctx, tpl in NEG:
        tno += 1
        for v in range(1, 5):
            rec, _ = make_record("t14-%d-%d" % (tno, v), lang, ctx, cat, tpl, seen)
            records.append(rec)

    # global checks
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert len({r["text"] for r in records}) == len(records)
    for r in records:
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"])
        assert re.fullmatch(r"[a-z][a-z0-9_]*", r["context"]) and re.fullmatch(r"[a-z][a-z_]*", r["category"])
    ent = collections.Counter(s["entity"] for r in records for s in r["spans"])
    pos = [r for r in records if r["category"] == "positive"]
    neg = [r for r in records if r["category"] != "positive"]
    negcats = collections.Counter(r["category"] for r in neg)
    langs = collections.Counter(r["lang"] for r in records)
    assert (
        ent["SECRET"] >= 700 and ent["EMAIL_ADDRESS"] >= 120 and ent["IP_ADDRESS"] >= 120 and ent["CREDIT_CARD"] >= 60
    ), ent
    assert len(POS) >= 140 and len(neg) >= 350 and len(negcats) >= 25 and len(langs) >= 35

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset14.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    # summary
    print("wrote %s" % out)
    print("records: %d (positive %d, hard negative %d)" % (len(records), len(pos), len(neg)))
    print("templates: %d positive, %d negative" % (len(POS), len(NEG)))
    print("spans per entity:", dict(sorted(ent.items())))
    print("hard-negative categories (%d):" % len(negcats), dict(sorted(negcats.items())))
    print("languages (%d):" % len(langs), dict(sorted(langs.items())))
    print(
        "contexts (%d):" % len(collections.Counter(r["context"] for r in records)),
        dict(sorted(collections.Counter(r["context"] for r in records).items())),
    )
    print("scanner redraws (random filler tripped the scanner, redrawn):", STATS["redraws"])
    print("all checks passed")


if __name__ == "__main__":
    main()
