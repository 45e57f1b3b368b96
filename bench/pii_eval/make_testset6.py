#!/usr/bin/env python3
"""Generate bench/pii_eval/pii_testset6.jsonl: a labelled PII evaluation set (set 6).

Written independently of the detector. Seeded and deterministic. Texts are built by
concatenating template pieces and filled values; span offsets are recorded while building.

Template placeholders are written as ⟦KEY⟧. Positive keys produce labelled spans; negative
keys produce look-alike text that is not PII under the labelling policy.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import random
import re
import string
import sys
from collections import Counter
from pathlib import Path

SEED = 60606
OUT = Path(__file__).with_name("pii_testset6.jsonl")

ALNUM = string.ascii_letters + string.digits
UP = string.ascii_uppercase
LO = string.ascii_lowercase
DIG = string.digits
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64U = string.ascii_letters + string.digits + "-_"


def rs(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def mixed(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    """Random string with at least two upper, two lower and (if the alphabet has them) two digits."""
    need_digits = any(c.isdigit() for c in alphabet)
    while True:
        s = rs(rng, alphabet, n)
        if (
            sum(c.isupper() for c in s) >= 2
            and sum(c.islower() for c in s) >= 2
            and (not need_digits or sum(c.isdigit() for c in s) >= 2)
        ):
            return s


# ----------------------------------------------------------------------------- emails
FIRST = [
    "anna",
    "jonas",
    "marie",
    "lukas",
    "sofia",
    "mateo",
    "chloe",
    "pierre",
    "giulia",
    "marco",
    "ines",
    "joao",
    "olga",
    "dmitri",
    "taras",
    "oksana",
    "kenji",
    "yuki",
    "wei",
    "li.na",
    "minjun",
    "seoyeon",
    "nguyen.van",
    "mehmet",
    "ayse",
    "omar",
    "layla",
    "yosef",
    "noa",
    "priya",
    "arjun",
    "somchai",
    "nikos",
    "eleni",
    "andrei",
    "ioana",
    "zoltan",
    "eszter",
    "aino",
    "mikkel",
    "ingrid",
    "pavel",
    "tereza",
    "agnieszka",
    "piotr",
    "budi",
    "siti",
    "lars",
    "emma",
    "liam",
    "grace",
    "tomasz",
    "katarzyna",
    "hannah",
    "felix",
    "ruth",
    "daan",
    "sanne",
]
LAST = [
    "schmidt",
    "dubois",
    "garcia",
    "rossi",
    "silva",
    "kowalski",
    "ivanov",
    "shevchenko",
    "tanaka",
    "wang",
    "kim",
    "tran",
    "yilmaz",
    "haddad",
    "cohen",
    "sharma",
    "papadopoulos",
    "popescu",
    "nagy",
    "virtanen",
    "jensen",
    "hansen",
    "novak",
    "santoso",
    "andersson",
    "devries",
    "obrien",
    "mueller",
    "moreau",
    "lopez",
    "ferreira",
    "nowak",
    "petrov",
    "sato",
    "chen",
    "park",
    "pham",
    "demir",
    "mansour",
    "levi",
    "gupta",
]
DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.jp",
    "web.de",
    "gmx.de",
    "orange.fr",
    "free.fr",
    "libero.it",
    "mail.ru",
    "yandex.ru",
    "ukr.net",
    "qq.com",
    "163.com",
    "naver.com",
    "daum.net",
    "hotmail.es",
    "wp.pl",
    "seznam.cz",
    "freemail.hu",
    "t-online.de",
    "protonmail.ch",
    "icloud.com",
    "bol.com.br",
    "uol.com.br",
    "telenet.be",
    "ziggo.nl",
    "hetnet.nl",
    "abv.bg",
    "mynet.com.tr",
    "walla.co.il",
    "rediffmail.com",
    "fastmail.fm",
    "zoho.eu",
    "tuta.io",
    "posteo.de",
    "kolumbus.fi",
    "online.no",
    "kagoshima-u.ac.jp",
    "tsinghua.edu.cn",
    "cs.ox.ac.uk",
    "ethz.ch",
    "unimelb.edu.au",
    "ufrj.br",
    "nordvik-logistik.se",
    "brightforge.io",
    "helix-bio.de",
    "kanto-denki.co.jp",
    "saigonsoft.vn",
    "atlas-retail.com.tr",
    "cedar-partners.co.uk",
    "mapleleaf-dental.ca",
    "tierra-verde.mx",
    "mail.zentrale.stadtwerke-husum.de",
    "eu.support.lumenpay.com",
    "hr.bankaustria.at",
    "ops.quantly.ai",
    "dev.kirov-tech.ru",
    "sydneyharbour.com.au",
    "sapporo-ramen.jp",
    "lagos-fintech.ng",
    "aurora.cz",
]


def email(rng: random.Random) -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    form = rng.randrange(9)
    if form == 0:
        local = f"{f}.{last}"
    elif form == 1:
        local = f"{f[0]}{last}"
    elif form == 2:
        local = f"{f}_{last}{rng.randrange(10, 99)}"
    elif form == 3:
        local = f"{f}+{rng.choice(['news', 'billing', 'gh', 'shop', 'jira'])}"
    elif form == 4:
        local = f"{last}.{f[0]}"
    elif form == 5:
        local = f"{f}{rng.randrange(1970, 2009)}"
    elif form == 6:
        local = f"{f}-{last}"
    elif form == 7:
        local = rng.choice(
            [
                "billing",
                "security",
                "datenschutz",
                "kontakt",
                "soporte",
                "compta",
                "jobs",
                "abuse",
                "postmaster",
                "noc",
                "privacy",
                "info",
                "hello",
                "sales",
            ]
        )
    else:
        local = f"{last}{f[:3]}"
    local = local.replace(" ", "")
    if rng.random() < 0.12:
        local = local.capitalize()
    return f"{local}@{rng.choice(DOMAINS)}"


NEG_EMAIL_DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "corp.example.org",
    "shop.test",
    "api.test",
    "nowhere.invalid",
    "mailer.invalid",
    "acme.example",
    "site.example",
    "localhost",
    "dev.example.net",
]


def neg_email(rng: random.Random) -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice(
        [
            f"{f}.{last}",
            f,
            "user",
            "admin",
            "noreply",
            f"{f}{rng.randrange(1, 99)}",
            "test",
            "jane.doe",
            "john.smith",
            "alice",
            "bob",
        ]
    )
    return f"{local}@{rng.choice(NEG_EMAIL_DOMAINS)}"


# ----------------------------------------------------------------------------- IPs
def ipv4(rng: random.Random) -> str:
    while True:
        a = ipaddress.IPv4Address(rng.getrandbits(32))
        if a.is_global and not a.is_multicast and not a.is_reserved and str(a).split(".")[0] not in ("0",):
            if a in ipaddress.ip_network("198.18.0.0/15"):
                continue
            return str(a)


V6_PREFIXES = [
    "2001:4860:4860",
    "2a00:1450:4001",
    "2606:4700:4700",
    "2a03:2880:f12f",
    "2604:a880:400",
    "2a01:4f8:c17",
    "2400:cb00:2048",
    "2620:fe:0",
    "2a02:6b8:c0e",
    "2001:67c:2e8",
    "2a05:d014:8a3",
    "2600:1f18:631e",
    "2406:da14:1c7",
    "2804:14c:5b8",
    "2a0d:5600:24",
    "2c0f:f248:0",
    "2001:41d0:303",
]


def ipv6(rng: random.Random) -> str:
    while True:
        groups = rng.choice(V6_PREFIXES).split(":")
        while len(groups) < 8:
            groups.append(rng.choice(["0", "0", f"{rng.randrange(0x10000):x}", f"{rng.randrange(0x100):x}"]))
        a = ipaddress.IPv6Address(":".join(groups))
        if not a.is_global or a.is_multicast or a.is_reserved:
            continue
        return a.compressed if rng.random() < 0.85 else a.exploded


def priv_ipv4(rng: random.Random) -> str:
    k = rng.randrange(7)
    if k == 0:
        return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    if k == 1:
        return f"172.{rng.randrange(16, 32)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    if k == 2:
        return f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    if k == 3:
        return f"127.0.{rng.randrange(2)}.{rng.randrange(1, 9)}"
    if k == 4:
        return f"169.254.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    if k == 5:
        return f"100.{rng.randrange(64, 128)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return f"192.168.{rng.choice([0, 1, 178, 2])}.{rng.randrange(1, 255)}"


def doc_ipv4(rng: random.Random) -> str:
    return f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randrange(1, 255)}"


def special_ipv4(rng: random.Random) -> str:
    return rng.choice(
        [
            "0.0.0.0",
            "255.255.255.255",
            f"224.0.0.{rng.randrange(1, 255)}",
            f"239.255.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"240.{rng.randrange(256)}.0.1",
            f"198.18.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            "192.0.0.8",
        ]
    )


def neg_ipv6(rng: random.Random) -> str:
    return rng.choice(
        [
            "::1",
            f"fe80::{rng.randrange(0x10000):x}:{rng.randrange(0x10000):x}%eth0".split("%")[0],
            f"fd{rng.randrange(256):02x}:{rng.randrange(0x10000):x}:{rng.randrange(0x10000):x}::1",
            f"2001:db8:{rng.randrange(0x10000):x}::{rng.randrange(1, 0x1000):x}",
            "ff02::1",
            "::",
            f"fc00::{rng.randrange(1, 999)}",
            f"2001:db8::{rng.randrange(1, 99)}",
        ]
    )


def version4(rng: random.Random) -> str:
    return f"{rng.randrange(1, 30)}.{rng.randrange(0, 20)}.{rng.randrange(0, 300)}.{rng.randrange(0, 9999)}"


# ----------------------------------------------------------------------------- cards
def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(num: str) -> bool:
    return luhn_digit(num[:-1]) == num[-1]


BRANDS = [
    ("visa", lambda r: "4", 16),
    ("visa", lambda r: "4", 16),
    ("mc", lambda r: str(r.randrange(51, 56)), 16),
    ("mc2", lambda r: str(r.randrange(2221, 2721)), 16),
    ("amex", lambda r: r.choice(["34", "37"]), 15),
    ("disc", lambda r: r.choice(["6011", "65", str(r.randrange(644, 650))]), 16),
    ("jcb", lambda r: str(r.randrange(3528, 3590)), 16),
    ("diners", lambda r: r.choice(["36", "38", "305"]), 14),
    ("cup", lambda r: "62" + str(r.randrange(10, 99)), 16),
    ("visa", lambda r: "4", 16),
]


def card_digits(rng: random.Random, brand: str | None = None) -> tuple[str, str]:
    choices = [b for b in BRANDS if brand is None or b[0] == brand]
    name, pref, n = rng.choice(choices)
    p = pref(rng)
    body = p + rs(rng, DIG, n - 1 - len(p))
    return name, body + luhn_digit(body)


def group_card(name: str, num: str, sep: str) -> str:
    if not sep:
        return num
    if len(num) == 15:
        parts = [num[:4], num[4:10], num[10:]]
    elif len(num) == 14:
        parts = [num[:4], num[4:10], num[10:]]
    else:
        parts = [num[i : i + 4] for i in range(0, len(num), 4)]
    return sep.join(parts)


def card(rng: random.Random, sep: str | None = None, brand: str | None = None) -> str:
    name, num = card_digits(rng, brand)
    if sep is None:
        sep = rng.choice(["", " ", " ", "-"])
    return group_card(name, num, sep)


def bad_card(rng: random.Random, sep: str | None = None) -> str:
    name, num = card_digits(rng)
    wrong = str((int(num[-1]) + rng.randrange(1, 10)) % 10)
    num = num[:-1] + wrong
    assert not luhn_ok(num)
    if sep is None:
        sep = rng.choice(["", " ", "-"])
    return group_card(name, num, sep)


def masked_card(rng: random.Random) -> str:
    _, num = card_digits(rng)
    last = num[-4:]
    return rng.choice(
        [
            f"•••• {last}",
            f"**** **** **** {last}",
            f"{num[:4]} **** **** {last}",
            f"XXXX-XXXX-XXXX-{last}",
            f"{num[:6]}******{last}",
            f"ending in {last}",
            f"{num[:4]} •••• •••• {last}",
            f"xxxxxxxxxxxx{last}",
        ]
    )


def luhn_nonbrand(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:  # IMEI, 15 digits, TAC starting 35 / 86
        body = rng.choice(["35", "86", "01"]) + rs(rng, DIG, 12)
    elif kind == 1:
        body = "9" + rs(rng, DIG, 14)
    else:
        body = "8" + rs(rng, DIG, 11)
    return body + luhn_digit(body)


# ----------------------------------------------------------------------------- secrets
def jwt(rng: random.Random) -> str:
    def b64u(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")

    alg = rng.choice(["HS256", "RS256", "ES256", "HS512"])
    head = b64u(
        {"alg": alg, "typ": "JWT"} if rng.random() < 0.7 else {"typ": "JWT", "alg": alg, "kid": rs(rng, HEX, 8)}
    )
    body = b64u(
        {
            "sub": str(rng.randrange(10**6, 10**9)),
            "name": rng.choice(FIRST).title(),
            "iat": 1700000000 + rng.randrange(10**7),
            "scope": rng.choice(["read", "admin", "user:write"]),
        }
    )
    sig = rs(rng, B64U, 43 if alg.endswith("256") else 86)
    return f"{head}.{body}.{sig}"


def pem_private(rng: random.Random, kind: str | None = None, sep: str = "\n") -> str:
    kind = kind or rng.choice(
        [
            "RSA PRIVATE KEY",
            "PRIVATE KEY",
            "EC PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "DSA PRIVATE KEY",
        ]
    )
    start = {
        "RSA PRIVATE KEY": "MIIEowIBAAKCAQEA",
        "PRIVATE KEY": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        "EC PRIVATE KEY": "MHcCAQEEI",
        "OPENSSH PRIVATE KEY": "b3BlbnNzaC1rZXktdjEAAAAA",
        "ENCRYPTED PRIVATE KEY": "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQww",
        "DSA PRIVATE KEY": "MIIBuwIBAAKBgQD",
    }[kind]
    width = 70 if kind == "OPENSSH PRIVATE KEY" else 64
    nlines = rng.randrange(3, 9) if kind != "EC PRIVATE KEY" else 3
    blob = start + rs(rng, B64, width * nlines - len(start) - rng.randrange(0, 30))
    pad = (-len(blob)) % 4
    blob += "=" * pad
    lines = [blob[i : i + width] for i in range(0, len(blob), width)]
    return f"-----BEGIN {kind}-----{sep}" + sep.join(lines) + f"{sep}-----END {kind}-----"


def twilio(rng):
    return "SK" + rs(rng, HEX, 32)


VENDOR = {
    "AWS": lambda r: "AKIA" + rs(r, UP + "234567", 16),
    "ASIA": lambda r: "ASIA" + rs(r, UP + "234567", 16),
    "GHP": lambda r: "ghp_" + mixed(r, 36),
    "GHO": lambda r: "gho_" + mixed(r, 36),
    "GHS": lambda r: "ghs_" + mixed(r, 36),
    "GHPAT": lambda r: "github_pat_11" + rs(r, UP + DIG, 20) + "_" + mixed(r, 59),
    "GLPAT": lambda r: "glpat-" + mixed(r, 20, ALNUM + "-_"),
    "SLACKB": lambda r: f"xoxb-{r.randrange(10**10, 10**12)}-{r.randrange(10**11, 10**13)}-{mixed(r, 24)}",
    "SLACKP": lambda r: (
        f"xoxp-{r.randrange(10**10, 10**12)}-{r.randrange(10**10, 10**12)}-{r.randrange(10**11, 10**13)}-{rs(r, HEX, 32)}"
    ),
    "STRIPE": lambda r: "sk_live_" + mixed(r, r.choice([24, 34, 99])),
    "RKLIVE": lambda r: "rk_live_" + mixed(r, r.choice([24, 34, 99])),
    "JWT": jwt,
    "AIZA": lambda r: "AIza" + mixed(r, 35, ALNUM + "-_"),
    "OPENAI": lambda r: "sk-" + mixed(r, 48),
    "OPENAIP": lambda r: "sk-proj-" + mixed(r, 74, ALNUM + "-_") + "T3BlbkFJ" + mixed(r, 74, ALNUM + "-_"),
    "ANTH": lambda r: "sk-ant-api03-" + mixed(r, 93, ALNUM + "-_") + "AA",
    "NPM": lambda r: "npm_" + mixed(r, 36),
    "DOCKER": lambda r: "dckr_pat_" + mixed(r, 27, ALNUM + "-_"),
    "VAULT": lambda r: "hvs." + mixed(r, 24),
    "HF": lambda r: "hf_" + mixed(r, 34, string.ascii_letters),
    "SG": lambda r: "SG." + mixed(r, 22, ALNUM + "-_") + "." + mixed(r, 43, ALNUM + "-_"),
    "TWILIO": twilio,
    "MAILGUN": lambda r: "key-" + rs(r, HEX, 32),
    "SHOPIFY": lambda r: "shpat_" + rs(r, HEX, 32),
    "DO": lambda r: "dop_v1_" + rs(r, HEX, 64),
    "PYPI": lambda r: "pypi-AgEIcHlwaS5vcmc" + mixed(r, 60, ALNUM + "-_"),
    "TG": lambda r: f"{r.randrange(10**8, 10**10)}:AA{mixed(r, 33, ALNUM + '-_')}",
}


def vendor_any(rng: random.Random) -> str:
    return VENDOR[rng.choice(sorted(VENDOR))](rng)


def generic(rng: random.Random) -> str:
    return mixed(rng, rng.randrange(16, 41))


def generic_b64(rng: random.Random) -> str:  # AWS-secret-like, 40 chars with / and +
    while True:
        s = mixed(rng, 40, B64)
        if not s.startswith(("/", "+")) and not s.endswith(("/", "+")):
            return s


def generic_pw(rng: random.Random) -> str:  # random password with a few symbols
    s = list(mixed(rng, rng.randrange(14, 22)))
    for _ in range(rng.randrange(2, 4)):
        s[rng.randrange(1, len(s) - 1)] = rng.choice("!#%*-_~^")
    return "".join(s)


# ----------------------------------------------------------------------------- negatives
PLACEHOLDERS = [
    "YOUR_API_KEY",
    "<your-token-here>",
    "xxxxxxxxxxxxxxxxxxxxxxxx",
    "changeme",
    "REPLACE_ME",
    "<SECRET>",
    "your_secret_key_here",
    "********",
    "TODO",
    "insert-token",
    "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "AKIAXXXXXXXXXXXXXXXX",
    "<PASSWORD>",
    "dummy",
    "my-super-secret",
    "REDACTED",
    "xoxb-your-bot-token",
    "sk-...",
    "abc123",
    "PUT_KEY_HERE",
    "none",
    "glpat-XXXXXXXXXXXXXXXXXXXX",
    "hf_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "<api key>",
]
ENVREFS = [
    "${DB_PASSWORD}",
    "{{ secrets.NPM_TOKEN }}",
    "$GITHUB_TOKEN",
    "%API_KEY%",
    "process.env.STRIPE_SECRET",
    'os.environ["AWS_SECRET_ACCESS_KEY"]',
    "{{ .Values.redis.password }}",
    "${{ secrets.DOCKERHUB_TOKEN }}",
    "$(cat /run/secrets/pg_pass)",
    "<%= ENV['SMTP_PASSWORD'] %>",
    'env("JWT_SECRET")',
    "vault:secret/data/api#token",
    "${env:SLACK_BOT_TOKEN}",
    "{{ lookup('env', 'OPENAI_API_KEY') }}",
    "#{ENV.fetch('MAILGUN_KEY')}",
    '@Value("${app.jwt.secret}")',
    'System.getenv("HF_TOKEN")',
    "secretKeyRef: api-credentials",
    "!Ref DbPasswordParam",
    "{{ssm:/prod/db/password}}",
    "$__file{/etc/grafana/secret}",
    "${file:/run/secrets/token}",
    "var.client_secret",
]
LOWENT = [
    "hunter2",
    "password123",
    "P@ssw0rd",
    "Sommer2024!",
    "admin",
    "qwerty123",
    "letmein",
    "Passwort1",
    "motdepasse",
    "contraseña",
    "123456",
    "iloveyou",
    "trustno1",
    "Welcome1",
    "secret",
    "test1234",
    "Winter2023",
    "dragon",
    "abcdefgh",
    "aaaaaaaaaaaaaaaa",
    "0000000000000000",
    "correcthorsebatterystaple",
    "Qwertyuiop123",
    "monkey",
    "Haslo123",
]
KEYNAMES = [
    "GITHUB_TOKEN",
    "STRIPE_SECRET_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "api_key",
    "client_secret",
    "DB_PASSWORD",
    "OPENAI_API_KEY",
    "SLACK_BOT_TOKEN",
    "access_token",
    "HF_TOKEN",
    "NPM_TOKEN",
    "SENDGRID_API_KEY",
    "VAULT_TOKEN",
    "secret_key_base",
    "JWT_SECRET",
]


def sha256(rng):
    return rs(rng, HEX, 64)


def sha1(rng):
    return rs(rng, HEX, 40)


def md5(rng):
    return rs(rng, HEX, 32)


def uuid4(rng):
    h = rs(rng, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


def hexcol(rng):
    h = rs(rng, HEX, rng.choice([3, 6, 6, 8]))
    return "#" + (h.upper() if rng.random() < 0.4 else h)


def b64img(rng):
    head = rng.choice(
        ["iVBORw0KGgoAAAANSUhEUgAA", "R0lGODlhAQABAIAAAP", "/9j/4AAQSkZJRgABAQEASABIAAD", "UklGRiQAAABXRUJQVlA4"]
    )
    return (
        f"data:image/{'png' if head.startswith('iV') else 'gif' if head.startswith('R0') else 'jpeg' if head.startswith('/9') else 'webp'};base64,"
        + head
        + rs(rng, B64, rng.randrange(40, 120))
        + "=="
    )


def hashfile(rng):
    return rng.choice(
        [
            f"main.{rs(rng, HEX, 8)}.chunk.js",
            f"index-{mixed(rng, 8, ALNUM + '_')}.js",
            f"app.{rs(rng, HEX, 20)}.css",
            f"vendor-{rs(rng, HEX, 10)}.min.js",
            f"/_next/static/{mixed(rng, 21, ALNUM + '-_')}/_buildManifest.js",
            f"fonts/Inter-{mixed(rng, 8)}.woff2",
            f"assets/logo.{rs(rng, HEX, 12)}.svg",
            f"sha256-{mixed(rng, 43, B64)}=",
            f"bundle.{rs(rng, HEX, 16)}.mjs",
        ]
    )


def ssh_pub(rng):
    k = rng.randrange(3)
    if k == 0:
        return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(rng, B64, 43)
    if k == 1:
        return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(rng, B64, 180)
    return "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB" + rs(rng, B64, 90) + "="


def pub_pem(rng):
    kind = rng.choice(["PUBLIC KEY", "CERTIFICATE", "RSA PUBLIC KEY", "CERTIFICATE REQUEST"])
    start = {
        "PUBLIC KEY": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
        "CERTIFICATE": "MIIDdzCCAl+gAwIBAgIE",
        "RSA PUBLIC KEY": "MIIBCgKCAQEA",
        "CERTIFICATE REQUEST": "MIICvDCCAaQCAQAwdzELMAkGA1UEBhMC",
    }[kind]
    blob = start + rs(rng, B64, 64 * rng.randrange(3, 6) - len(start))
    lines = [blob[i : i + 64] for i in range(0, len(blob), 64)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"


def redacted(rng):
    return rng.choice(
        [
            "sk-proj-****************************" + rs(rng, ALNUM, 4),
            "ghp_****" + rs(rng, ALNUM, 4),
            "AKIA************" + rs(rng, UP, 4),
            "[REDACTED]",
            "xoxb-***-***-****",
            "sk_live_••••••••" + rs(rng, ALNUM, 4),
            "eyJhbGciOi…(truncated)",
            "hf_…" + rs(rng, ALNUM, 4),
            "<redacted>",
            "********" + rs(rng, ALNUM, 4),
            "glpat-…" + rs(rng, ALNUM, 3),
        ]
    )


def random_id(rng):
    return rng.choice([mixed(rng, 20), mixed(rng, 16), mixed(rng, 11, ALNUM + "-_"), mixed(rng, 24), mixed(rng, 27)])


def stripe_obj(rng):
    return rng.choice(
        [
            "cus_",
            "pi_3",
            "ch_3",
            "prod_",
            "price_1",
            "sub_1",
            "in_1",
            "evt_1",
            "acct_1",
            "pm_1",
            "pk_live_",
            "seti_1",
            "txn_3",
        ]
    ) + mixed(rng, rng.choice([14, 24]))


GEN = {
    # positives
    "E": (email, "EMAIL_ADDRESS"),
    "I4": (ipv4, "IP_ADDRESS"),
    "I6": (ipv6, "IP_ADDRESS"),
    "C": (card, "CREDIT_CARD"),
    "CP": (lambda r: card(r, ""), "CREDIT_CARD"),
    "CS": (lambda r: card(r, " "), "CREDIT_CARD"),
    "CH": (lambda r: card(r, "-"), "CREDIT_CARD"),
    "CA": (lambda r: card(r, None, "amex"), "CREDIT_CARD"),
    "CV": (lambda r: card(r, None, "visa"), "CREDIT_CARD"),
    "CM": (lambda r: card(r, None, rng_choice_mc(r)), "CREDIT_CARD"),
    "PEM": (pem_private, "SECRET"),
    "PEMJ": (lambda r: pem_private(r, "PRIVATE KEY", "\\n"), "SECRET"),
    "PEMO": (lambda r: pem_private(r, "OPENSSH PRIVATE KEY"), "SECRET"),
    "PEMR": (lambda r: pem_private(r, "RSA PRIVATE KEY"), "SECRET"),
    "G": (generic, "SECRET"),
    "PEMI": (lambda r: pem_private(r, "RSA PRIVATE KEY", "\n    "), "SECRET"),
    "SAE": (
        lambda r: (
            f"{r.choice(['etl-job', 'ci-deployer', 'bq-reader', 'firebase-adminsdk-x7k2q'])}@{r.choice(['analytics', 'shop', 'ml'])}-prod-{r.randrange(1000, 9999)}.iam.gserviceaccount.com"
        ),
        "EMAIL_ADDRESS",
    ),
    "SRI": (lambda r: "sha512-" + rs(r, B64, 86) + "==", None),
    "PUBPEMJ": (lambda r: pub_pem(r).replace("\n", "\\n"), None),
    "GB": (generic_b64, "SECRET"),
    "GP": (generic_pw, "SECRET"),
    "SV": (vendor_any, "SECRET"),
    # negatives / fillers
    "NE": (neg_email, None),
    "NIP": (priv_ipv4, None),
    "NID": (doc_ipv4, None),
    "NIS": (special_ipv4, None),
    "NI6": (neg_ipv6, None),
    "VER": (version4, None),
    "NCC": (bad_card, None),
    "NCM": (masked_card, None),
    "NLU": (luhn_nonbrand, None),
    "PH": (lambda r: r.choice(PLACEHOLDERS), None),
    "ENV": (lambda r: r.choice(ENVREFS), None),
    "LOW": (lambda r: r.choice(LOWENT), None),
    "KEY": (lambda r: r.choice(KEYNAMES), None),
    "SHA256": (sha256, None),
    "SHA1": (sha1, None),
    "MD5": (md5, None),
    "UUID": (uuid4, None),
    "HEXC": (hexcol, None),
    "B64IMG": (b64img, None),
    "HFILE": (hashfile, None),
    "SSHPUB": (ssh_pub, None),
    "PUBPEM": (pub_pem, None),
    "RED": (redacted, None),
    "RID": (random_id, None),
    "STRIPEOBJ": (stripe_obj, None),
    "NAME": (lambda r: f"{r.choice(FIRST).split('.')[0].title()} {r.choice(LAST).title()}", None),
    "N": (lambda r: str(r.randrange(2, 999)), None),
    "PORT": (lambda r: str(r.choice([22, 443, 8080, 8443, 3306, 5432, 6379, 25, 587, 993, 51820, 9443])), None),
    "TS": (
        lambda r: (
            f"2025-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z"
        ),
        None,
    ),
    "HH": (lambda r: f"{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}", None),
}
for _k in VENDOR:
    GEN[_k] = (VENDOR[_k], "SECRET")


def rng_choice_mc(r):
    return r.choice(["mc", "mc2"])


PH_RE = re.compile(r"⟦([A-Za-z0-9_]+)⟧")


def fill(tpl: str, rng: random.Random) -> tuple[str, list[dict]]:
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    last = 0
    for m in PH_RE.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        fn, ent = GEN[m.group(1)]
        val = fn(rng)
        if ent:
            spans.append({"start": pos, "end": pos + len(val), "entity": ent, "_v": val})
        out.append(val)
        pos += len(val)
        last = m.end()
    out.append(tpl[last:])
    text = "".join(out)
    for s in spans:
        assert text[s["start"] : s["end"]] == s.pop("_v")
    return text, spans


TEMPLATES: list[tuple[str, str, str, str]] = []  # (category, lang, context, template)


def P(lang: str, ctx: str, tpl: str) -> None:
    assert any(GEN[k][1] for k in PH_RE.findall(tpl)), tpl
    TEMPLATES.append(("positive", lang, ctx, tpl))


def N(cat: str, lang: str, ctx: str, tpl: str) -> None:
    assert not any(GEN[k][1] for k in PH_RE.findall(tpl)), tpl
    TEMPLATES.append((cat, lang, ctx, tpl))


# ============================================================================= positive templates
# --- emails in prose / mail / forums, many languages
P(
    "en",
    "email",
    "From: ⟦NAME⟧ <⟦E⟧>\nTo: ⟦E⟧\nCc: ⟦E⟧\nSubject: Re: invoice #⟦N⟧ overdue\n\nHi, forwarding as discussed. Please reply to ⟦E⟧ rather than me.",
)
P(
    "de",
    "email",
    "Von: ⟦E⟧\nAn: ⟦E⟧\nBetreff: AW: Kündigung Mietvertrag\n\nSehr geehrte Damen und Herren,\nbitte senden Sie die Unterlagen an ⟦E⟧. Mit freundlichen Grüßen",
)
P(
    "fr",
    "prose",
    "Pour toute réclamation, écrivez à ⟦E⟧ ; la mairie répond sous 48 h. Les demandes de presse vont à ⟦E⟧.",
)
P(
    "es",
    "forum",
    "Hola a todos, alguien sabe por qué no me llegan los correos? mi dirección es ⟦E⟧ y ya probé con ⟦E⟧ también. gracias!!",
)
P("pt", "prose", "Dúvidas sobre a matrícula devem ser enviadas para ⟦E⟧ (secretaria) ou ⟦E⟧ (coordenação).")
P(
    "it",
    "email",
    "Gentile cliente,\nla Sua pratica è stata presa in carico da ⟦NAME⟧ (⟦E⟧). Per urgenze: ⟦E⟧.\nCordiali saluti",
)
P("nl", "forum", "Ik heb dezelfde storing bij Ziggo. Mail me gerust op ⟦E⟧, dan stuur ik de logs door.")
P("pl", "prose", "Zgłoszenia prosimy kierować na adres ⟦E⟧. Rekrutacja: ⟦E⟧.")
P("ru", "forum", "Продаю велосипед, почти новый. Пишите на почту ⟦E⟧ или в личку. Торг уместен.")
P("uk", "prose", "Для отримання довідки надішліть заяву на ⟦E⟧ або ⟦E⟧ до п'ятниці.")
P("ja", "prose", "お問い合わせは⟦E⟧までご連絡ください。担当：⟦NAME⟧（営業部）")
P(
    "ja",
    "email",
    "差出人: ⟦E⟧\n宛先: ⟦E⟧\n件名: 【至急】見積書の件\n\nいつもお世話になっております。添付をご確認の上、⟦E⟧へご返信ください。",
)
P("zh", "prose", "如有疑问请发送邮件至⟦E⟧，或联系客服邮箱：⟦E⟧。")
P("zh", "forum", "楼主你好，简历已经发到你邮箱⟦E⟧了，麻烦查收～我的邮箱是⟦E⟧")
P("ko", "prose", "문의 사항은 ⟦E⟧로 보내주시기 바랍니다. 담당자 이메일: ⟦E⟧")
P("vi", "prose", "Mọi thắc mắc xin gửi về ⟦E⟧ hoặc liên hệ phòng nhân sự qua ⟦E⟧.")
P("tr", "forum", "Arkadaşlar bana ⟦E⟧ adresinden ulaşabilirsiniz, ilan hâlâ geçerli.")
P("ar", "prose", "للاستفسار يرجى مراسلتنا على البريد الإلكتروني ⟦E⟧ أو ⟦E⟧ خلال أيام العمل.")
P("he", "prose", "לפרטים נוספים ניתן לפנות במייל ⟦E⟧ או ל־⟦E⟧.")
P("th", "prose", "ติดต่อสอบถามได้ที่อีเมล ⟦E⟧ หรือ ⟦E⟧ ในวันและเวลาราชการ")
P("hi", "prose", "अधिक जानकारी के लिए ⟦E⟧ पर ईमेल करें। प्रवेश संबंधी प्रश्न: ⟦E⟧")
P("el", "prose", "Για πληροφορίες επικοινωνήστε στο ⟦E⟧ ή στο ⟦E⟧.")
P("sv", "forum", "Hej! Skicka gärna bilder till ⟦E⟧ så kollar jag på det i kväll.")
P("cs", "prose", "Přihlášky zasílejte na ⟦E⟧ nejpozději do konce měsíce.")
P("fi", "prose", "Lisätietoja antaa ⟦NAME⟧, ⟦E⟧.")
P("da", "email", "Fra: ⟦E⟧\nTil: ⟦E⟧\nEmne: Mødereferat\n\nHej alle, referatet ligger i drevet.")
P("no", "forum", "Ta kontakt på ⟦E⟧ hvis du vil kjøpe billettene.")
P("ro", "prose", "Sesizările se trimit la adresa ⟦E⟧ sau la ⟦E⟧.")
P("hu", "prose", "Jelentkezni a ⟦E⟧ címen lehet, tárgyként adja meg a pozíció nevét.")
P("id", "chat", "[09.14] Budi: kirim aja ke ⟦E⟧ ya\n[09.15] Siti: oke, atau ke ⟦E⟧?")
P(
    "en",
    "markdown",
    "## Maintainers\n\n- ⟦NAME⟧ (<⟦E⟧>)\n- ⟦NAME⟧ ([mail](mailto:⟦E⟧))\n\nSecurity issues: please email ⟦E⟧ instead of opening an issue.",
)
P(
    "en",
    "html_text",
    "Contact us\nPhone support is closed on weekends.\nEmail: ⟦E⟧\nPress: ⟦E⟧\n© 2025 All rights reserved",
)
P(
    "en",
    "log",
    "⟦TS⟧ postfix/smtp[⟦N⟧]: 4F2A81C: to=<⟦E⟧>, relay=mx.⟦N⟧.mailhost.net[⟦I4⟧]:25, delay=1.2, status=sent (250 2.0.0 OK)",
)
P(
    "en",
    "log",
    "⟦TS⟧ postfix/smtpd[⟦N⟧]: NOQUEUE: reject: RCPT from unknown[⟦I4⟧]: 554 5.7.1 <⟦E⟧>: Relay access denied; from=<⟦E⟧> proto=ESMTP",
)
P("en", "code", "git log --format='%an <%ae>'\n⟦NAME⟧ <⟦E⟧>\n⟦NAME⟧ <⟦E⟧>\n⟦NAME⟧ <⟦E⟧>")
P("en", "code", "[user]\n\tname = ⟦NAME⟧\n\temail = ⟦E⟧\n[core]\n\teditor = vim")
P(
    "en",
    "csv",
    'id,name,email,signup\n⟦N⟧,⟦NAME⟧,⟦E⟧,2024-03-02\n⟦N⟧,⟦NAME⟧,⟦E⟧,2024-03-05\n⟦N⟧,⟦NAME⟧,"⟦E⟧",2024-03-09',
)
P("de", "csv", "Kundennr;Name;E-Mail;Ort\n⟦N⟧;⟦NAME⟧;⟦E⟧;Bremen\n⟦N⟧;⟦NAME⟧;⟦E⟧;Kiel")
P("en", "sql", "INSERT INTO users (id, email, role) VALUES (⟦N⟧, '⟦E⟧', 'admin'), (⟦N⟧, '⟦E⟧', 'viewer');")
P("en", "sql", "UPDATE accounts SET email='⟦E⟧' WHERE email='⟦E⟧';")
P("en", "code", '# python\nADMINS = [("⟦NAME⟧", "⟦E⟧")]\nDEFAULT_FROM_EMAIL = "⟦E⟧"\nSERVER_EMAIL = DEFAULT_FROM_EMAIL')
P("en", "code", 'package.json\n{\n  "name": "ledger-ui",\n  "author": "⟦NAME⟧ <⟦E⟧>",\n  "bugs": { "email": "⟦E⟧" }\n}')
P("en", "code", 'Cargo.toml\n[package]\nname = "tinyjson"\nauthors = ["⟦NAME⟧ <⟦E⟧>"]\nedition = "2021"')
P("en", "config", "# /etc/aliases\nroot: ⟦E⟧\npostmaster: root\nabuse: ⟦E⟧")
P("en", "config", "MAILTO=⟦E⟧\n*/15 * * * * /usr/local/bin/backup.sh >/dev/null 2>&1")
P(
    "en",
    "forum",
    "> On ⟦TS⟧, ⟦NAME⟧ <⟦E⟧> wrote:\n> > did you try disabling IPv6?\n> yes, no change.\n\nSame here. Also cc'ing ⟦E⟧ who owns the resolver.",
)
P(
    "en",
    "email",
    "-------- Forwarded Message --------\nSubject: Your refund\nDate: Tue, 4 Mar 2025 10:12:44 +0100\nFrom: ⟦E⟧\nReply-To: ⟦E⟧\nTo: ⟦E⟧",
)
P(
    "en",
    "latex",
    "\\author{⟦NAME⟧\\thanks{Corresponding author: \\href{mailto:⟦E⟧}{⟦E⟧}}}\n\\affiliation{Dept. of Physics}",
)
P("zh", "csv", "姓名,邮箱,部门\n⟦NAME⟧,⟦E⟧,研发部\n⟦NAME⟧,⟦E⟧,市场部")
P("ja", "chat", "田中：資料送りました！⟦E⟧宛てです\n佐藤：了解、⟦E⟧にもCCお願いします🙏")
P("ko", "chat", "민준: 메일 주소 알려줘\n서연: ⟦E⟧ 이야~")
P("ru", "log", "⟦TS⟧ ERROR Не удалось отправить письмо на ⟦E⟧: таймаут соединения с ⟦I4⟧:587")
P("en", "json", '{"event":"password_reset","user":{"id":⟦N⟧,"email":"⟦E⟧"},"ip":"⟦I4⟧","ua":"Mozilla/5.0"}')
P("fr", "chat", "Léa : tu peux m'envoyer le devis ?\nHugo : oui, sur ⟦E⟧ ou ⟦E⟧ ?\nLéa : la première 👍")
P(
    "es",
    "email",
    "De: ⟦NAME⟧ <⟦E⟧>\nEnviado el: lunes, 3 de marzo de 2025 9:41\nPara: ⟦E⟧\nAsunto: RE: factura pendiente",
)
P("en", "html_text", "Posted by ⟦NAME⟧ · email hidden? no: ⟦E⟧ · 3 replies\nAnyone else getting 502 from the mirror?")
P("de", "forum", "Hallo zusammen,\nich biete Nachhilfe in Mathe an. Kontakt: ⟦E⟧ (bitte keine Werbung).")
P("it", "forum", "Ciao, per il gruppo d'acquisto scrivetemi a ⟦E⟧. Spedizione entro venerdì.")
P("zh", "prose", "联系人：⟦NAME⟧（⟦E⟧）；备用邮箱：⟦E⟧。")
P("ja", "prose", "メール：⟦E⟧／サポート：⟦E⟧（平日10時〜18時）")
P("en", "yaml", 'maintainers:\n  - name: ⟦NAME⟧\n    email: ⟦E⟧\n  - name: ⟦NAME⟧\n    email: "⟦E⟧"')

# --- IPs in logs, configs, CLI output
P(
    "en",
    "log",
    '⟦I4⟧ - - [12/Mar/2025:⟦HH⟧ +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "python-requests/2.31"\n⟦I4⟧ - - [12/Mar/2025:⟦HH⟧ +0000] "POST /xmlrpc.php HTTP/1.1" 403 0',
)
P(
    "en",
    "log",
    "Mar 12 ⟦HH⟧ bastion sshd[⟦N⟧]: Failed password for invalid user oracle from ⟦I4⟧ port 51822 ssh2\nMar 12 ⟦HH⟧ bastion sshd[⟦N⟧]: Accepted publickey for deploy from ⟦NIP⟧ port 40112 ssh2",
)
P(
    "en",
    "log",
    '⟦TS⟧ [warn] 1234#0: *88 limiting requests, excess: 10.2 by zone "api", client: ⟦I4⟧, server: api.shop, request: "GET /v1/cart HTTP/2.0"',
)
P(
    "en",
    "log",
    "fail2ban.actions [⟦N⟧]: NOTICE [sshd] Ban ⟦I4⟧\nfail2ban.actions [⟦N⟧]: NOTICE [sshd] Ban ⟦I6⟧\nfail2ban.actions [⟦N⟧]: NOTICE [recidive] Unban ⟦I4⟧",
)
P(
    "en",
    "log",
    '{"level":"info","ts":"⟦TS⟧","msg":"request","remote_addr":"⟦I4⟧:⟦PORT⟧","x_forwarded_for":"⟦I4⟧, ⟦NIP⟧","status":200}',
)
P(
    "en",
    "log",
    '[⟦TS⟧] caddy.http.log.access.log0 handled request {"remote_ip": "⟦I6⟧", "remote_port": "52144", "proto": "HTTP/3.0", "host": "blog.lan"}',
)
P("en", "log", "kernel: [UFW BLOCK] IN=eth0 OUT= MAC=... SRC=⟦I4⟧ DST=⟦NIP⟧ LEN=60 TOS=0x00 PROTO=TCP SPT=⟦N⟧ DPT=23")
P(
    "en",
    "log",
    'haproxy[⟦N⟧]: ⟦I4⟧:⟦N⟧ [12/Mar/2025:⟦HH⟧.337] https~ be_app/app2 0/0/1/12/13 200 1043 - - ---- 11/11/0/0/0 0/0 "GET /health HTTP/1.1"',
)
P("en", "cli", "$ dig +short mail.protonmail.ch\n⟦I4⟧\n⟦I4⟧\n$ dig +short AAAA mail.protonmail.ch\n⟦I6⟧")
P(
    "en",
    "cli",
    "$ traceroute -n edge.example\n 1  ⟦NIP⟧  0.412 ms\n 2  ⟦NIP⟧  7.9 ms\n 3  ⟦I4⟧  9.1 ms\n 4  ⟦I4⟧  11.8 ms\n 5  * * *",
)
P(
    "en",
    "cli",
    "$ ssh -v admin@⟦I4⟧ -p ⟦PORT⟧\nOpenSSH_9.6p1, OpenSSL 3.0.13\ndebug1: Connecting to ⟦I4⟧ [⟦I4⟧] port ⟦PORT⟧.",
)
P("en", "cli", "$ curl -sv https://[⟦I6⟧]:8443/status\n*   Trying [⟦I6⟧]:8443...\n* Connected to ⟦I6⟧ port 8443")
P(
    "en",
    "cli",
    "$ whois ⟦I4⟧ | grep -i netname\nnetname:        HETZNER-fsn1-dc14\n$ ping -c1 ⟦I4⟧\n64 bytes from ⟦I4⟧: icmp_seq=1 ttl=54 time=18.3 ms",
)
P(
    "en",
    "config",
    "server {\n    listen 443 ssl;\n    allow ⟦I4⟧;\n    allow ⟦I6⟧;\n    allow ⟦NIP⟧/24;\n    deny all;\n}",
)
P(
    "en",
    "config",
    "[Interface]\nAddress = 10.8.0.2/24\nDNS = ⟦I4⟧\n\n[Peer]\nEndpoint = ⟦I4⟧:51820\nAllowedIPs = 0.0.0.0/0, ::/0",
)
P("en", "config", "Host prod-db\n    HostName ⟦I4⟧\n    User postgres\n    Port ⟦PORT⟧\nHost jump\n    HostName ⟦I6⟧")
P("en", "config", "resolv.conf\nnameserver ⟦I4⟧\nnameserver ⟦I6⟧\nnameserver ⟦NIP⟧\nsearch corp.lan")
P("en", "config", "[all]\nweb1 ansible_host=⟦I4⟧\nweb2 ansible_host=⟦I4⟧\ndb1 ansible_host=⟦NIP⟧ ansible_user=ubuntu")
P("en", "config", "# /etc/hosts\n127.0.0.1 localhost\n⟦I4⟧ registry.internal-mirror\n⟦I6⟧ registry.internal-mirror")
P("en", "config", "iptables -A INPUT -s ⟦I4⟧/32 -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -s ⟦I4⟧ -j DROP")
P("en", "yaml", "spec:\n  loadBalancerSourceRanges:\n    - ⟦I4⟧/32\n    - ⟦I4⟧/29\n  externalIPs:\n    - ⟦I4⟧")
P(
    "en",
    "config",
    'resource "aws_security_group_rule" "office" {\n  type        = "ingress"\n  cidr_blocks = ["⟦I4⟧/32", "⟦I4⟧/32"]\n  ipv6_cidr_blocks = ["⟦I6⟧/128"]\n}',
)
P(
    "en",
    "config",
    "frontend https\n    bind ⟦I4⟧:443 ssl crt /etc/haproxy/site.pem\n    bind [⟦I6⟧]:443 ssl crt /etc/haproxy/site.pem",
)
P("de", "forum", "Mein Server (⟦I4⟧) wird seit gestern von ⟦I4⟧ mit Anfragen geflutet. Hat jemand eine Idee?")
P("fr", "forum", "Bonjour, mon box renvoie l'IP publique ⟦I4⟧ mais le DNS pointe encore vers ⟦I4⟧. Une idée ?")
P("es", "prose", "El ataque provino de las direcciones ⟦I4⟧ y ⟦I6⟧, según el informe del CERT.")
P("ru", "forum", "Провайдер выдал белый IP ⟦I4⟧, но порт ⟦PORT⟧ снаружи не открывается. Роутер Keenetic.")
P("zh", "log", "【告警】主机⟦I4⟧：CPU使用率超过95%，来源IP：⟦I4⟧，时间⟦TS⟧")
P("zh", "prose", "服务器地址：⟦I4⟧，备用：⟦I6⟧（仅限内网访问请用⟦NIP⟧）")
P("ja", "log", "⟦TS⟧ 不正アクセスを検知しました。接続元IP：⟦I4⟧（国：不明）")
P("ja", "prose", "サーバーのIPアドレスは⟦I4⟧です。IPv6は⟦I6⟧を使用してください。")
P("ko", "forum", "접속 IP가 ⟦I4⟧로 찍히는데 저희 회사 IP가 아닙니다. 해킹인가요?")
P("vi", "log", "⟦TS⟧ Cảnh báo: đăng nhập thất bại 5 lần từ địa chỉ ⟦I4⟧")
P("tr", "prose", "Saldırı ⟦I4⟧ adresinden geldi; IPv6 tarafında ise ⟦I6⟧ görüldü.")
P("ar", "log", "تحذير: محاولة دخول مشبوهة من العنوان ⟦I4⟧ في ⟦TS⟧")
P("he", "forum", "השרת שלי בכתובת ⟦I4⟧ לא עונה מאז העדכון, מישהו יודע למה?")
P("pl", "log", "⟦TS⟧ OSTRZEŻENIE: zablokowano adres ⟦I4⟧ po 10 nieudanych logowaniach")
P("uk", "log", "⟦TS⟧ УВАГА: підозрілий запит з ⟦I4⟧ до /admin")
P("pt", "forum", "Meu IP fixo é ⟦I4⟧, liberei no firewall mas continua dando timeout no ⟦I6⟧.")
P("th", "prose", "ที่อยู่ไอพีของเซิร์ฟเวอร์คือ ⟦I4⟧ และสำรองคือ ⟦I4⟧")
P("hi", "log", "⟦TS⟧ चेतावनी: ⟦I4⟧ से असफल लॉगिन प्रयास")
P("el", "forum", "Η δημόσια IP μου είναι ⟦I4⟧ αλλά το port forwarding δεν δουλεύει.")
P("nl", "log", "⟦TS⟧ WAARSCHUWING verbinding geweigerd van ⟦I4⟧:⟦PORT⟧")
P("sv", "prose", "Brandväggen släpper bara igenom ⟦I4⟧ och ⟦I6⟧.")
P(
    "en",
    "http",
    'GET /api/orders HTTP/1.1\nHost: shop.internal\nX-Forwarded-For: ⟦I4⟧, ⟦I4⟧\nX-Real-IP: ⟦I4⟧\nForwarded: for="[⟦I6⟧]:4711";proto=https',
)
P(
    "en",
    "http",
    "HTTP/1.1 429 Too Many Requests\nRetry-After: 30\nX-Client-IP: ⟦I4⟧\nCF-Connecting-IP: ⟦I6⟧\nCF-RAY: 8a1c2f3b4d5e6f70-FRA",
)
P("en", "code", 'ALLOWED = {"⟦I4⟧", "⟦I4⟧"}  # office egress\nif request.remote_addr not in ALLOWED:\n    abort(403)')
P("en", "code", "const upstreams = ['⟦I4⟧:⟦PORT⟧', '[⟦I6⟧]:⟦PORT⟧'];\n// localhost for dev: 127.0.0.1:3000")
P("en", "sql", "SELECT * FROM logins WHERE ip = '⟦I4⟧' OR ip = '⟦I6⟧' ORDER BY ts DESC LIMIT 50;")
P("en", "csv", "timestamp,src_ip,dst_ip,bytes\n⟦TS⟧,⟦I4⟧,⟦NIP⟧,1532\n⟦TS⟧,⟦I6⟧,⟦NI6⟧,880\n⟦TS⟧,⟦I4⟧,⟦NIP⟧,73")
P(
    "en",
    "markdown",
    "| host | public IP | notes |\n|---|---|---|\n| edge-1 | `⟦I4⟧` | primary |\n| edge-2 | `⟦I4⟧` | failover |\n| edge-v6 | `⟦I6⟧` | dual-stack |",
)
P(
    "en",
    "cli",
    "$ ip -br addr\nlo    UNKNOWN  127.0.0.1/8 ::1/128\neth0  UP       ⟦I4⟧/26 ⟦I6⟧/64 fe80::5054:ff:fe12:3456/64",
)
P(
    "en",
    "cli",
    "$ netstat -tn | grep ESTAB\ntcp  0  0 ⟦NIP⟧:22   ⟦I4⟧:⟦N⟧   ESTABLISHED\ntcp6 0  0 ⟦I6⟧:443   ⟦I6⟧:⟦N⟧   ESTABLISHED",
)
P(
    "en",
    "chat",
    "[⟦HH⟧] <ops-nina> who owns ⟦I4⟧? it's hammering the login endpoint\n[⟦HH⟧] <ops-raj> blocked at the edge, also ⟦I4⟧ same ASN",
)
P("en", "log", "⟦TS⟧ WARN  [exim] H=(ylmf-pc) [⟦I4⟧]:⟦N⟧ F=<⟦E⟧> rejected RCPT <⟦E⟧>: relay not permitted")

# --- credit cards
P("en", "prose", "Paid with card ⟦C⟧ on 3/14, but the charge shows twice. The second card I tried was ⟦C⟧.")
P("en", "chat", "customer: my card number is ⟦CS⟧ exp 09/27\nagent: please don't share full card numbers here!")
P(
    "en",
    "csv",
    "order_id,cardholder,card_number,amount\n⟦N⟧,⟦NAME⟧,⟦CP⟧,49.99\n⟦N⟧,⟦NAME⟧,⟦CH⟧,12.00\n⟦N⟧,⟦NAME⟧,⟦CS⟧,310.45",
)
P("en", "sql", "INSERT INTO payments (user_id, pan, exp) VALUES (⟦N⟧, '⟦CP⟧', '11/26');")
P("en", "json", '{"payment_method":{"type":"card","number":"⟦CP⟧","exp_month":4,"exp_year":2028},"amount":2599}')
P("en", "log", "⟦TS⟧ DEBUG PaymentService - charge request pan=⟦CP⟧ amount=1999 currency=EUR merchant=⟦N⟧")
P("en", "code", "// test fixture, DO NOT COMMIT real data\nconst card = { number: '⟦CH⟧', cvc: '123', exp: '12/29' };")
P("de", "email", "Hallo,\nanbei meine Kreditkartennummer für die Buchung: ⟦CS⟧, gültig bis 08/27.\nViele Grüße")
P("fr", "chat", "Client : voici ma carte bancaire ⟦CS⟧\nConseiller : merci, je la supprime du fil.")
P("es", "forum", "me cobraron dos veces en la tarjeta ⟦C⟧, alguien sabe a quién reclamar?")
P("it", "email", "Numero carta: ⟦CS⟧\nTitolare: ⟦NAME⟧\nScadenza: 05/28")
P("pt", "chat", "manda o número do cartão aí\n⟦CP⟧ validade 10/26")
P("nl", "prose", "Mijn creditcard ⟦CH⟧ is geblokkeerd na de boeking.")
P("pl", "forum", "Bank zablokował mi kartę ⟦CS⟧ bez powodu, ktoś miał podobnie?")
P("ru", "chat", "— Переведи на карту ⟦CS⟧\n— Это Сбер?\n— Нет, Тинькофф")
P("uk", "chat", "Скинь гроші на картку ⟦CP⟧, будь ласка")
P("ja", "prose", "カード番号：⟦CS⟧（有効期限 03/27）をご登録いただきました。")
P("ja", "chat", "クレカ番号これ→⟦CP⟧です")
P("zh", "prose", "请将款项转入信用卡⟦CP⟧，持卡人：⟦NAME⟧。")
P("zh", "chat", "卡号⟦CS⟧，有效期12/27，谢谢！")
P("ko", "prose", "카드번호: ⟦CH⟧ (유효기간 07/28)로 결제되었습니다.")
P("vi", "chat", "số thẻ của mình là ⟦CS⟧ nha")
P("tr", "forum", "Kartım ⟦CS⟧ iki kere çekildi, banka iade etmiyor.")
P("ar", "chat", "رقم البطاقة: ⟦CS⟧ وتاريخ الانتهاء 06/27")
P("he", "chat", "מספר הכרטיס שלי הוא ⟦CS⟧, תוקף 11/26")
P("th", "chat", "เลขบัตรเครดิต ⟦CS⟧ หมดอายุ 04/28 ค่ะ")
P("hi", "chat", "मेरा कार्ड नंबर ⟦CS⟧ है, एक्सपायरी 02/27")
P("el", "email", "Αριθμός κάρτας: ⟦CS⟧\nΛήξη: 09/26")
P("cs", "chat", "číslo karty ⟦CS⟧, platnost 01/28")
P("hu", "prose", "A(z) ⟦CH⟧ számú kártyáról kétszer vonták le az összeget.")
P("ro", "email", "Vă rog să debitați cardul ⟦CS⟧ pentru abonament.")
P("sv", "chat", "kortnummer: ⟦CP⟧ utg 10/27")
P("fi", "prose", "Maksukortti ⟦CS⟧ veloitettiin kahdesti.")
P("id", "chat", "nomor kartu kredit aku ⟦CS⟧ kak")
P("en", "email", "Booking ref: QX7-⟦N⟧\nGuest: ⟦NAME⟧\nCard on file: ⟦CA⟧ (Amex)\nBackup card: ⟦CV⟧")
P("en", "prose", "Use AMEX ⟦CA⟧ for the conference and the Visa ⟦CV⟧ for hotels; the Mastercard ⟦CM⟧ is for flights.")
P("en", "markdown", "| field | value |\n|---|---|\n| card | ⟦CS⟧ |\n| name | ⟦NAME⟧ |\n| masked | •••• 4242 |")
P(
    "en",
    "html_text",
    "Order summary\nItems: 3\nPayment: Visa ⟦CV⟧\nShipping to: Warehouse 4\nThank you for shopping with us!",
)
P("en", "log", "⟦TS⟧ WARN legacy-gateway: raw card in payload field 'cc'='⟦CP⟧' (should be tokenized)")
P(
    "en",
    "code",
    '@Test\nvoid rejectsExpired() {\n    Card c = new Card("⟦CP⟧", YearMonth.of(2020, 1));\n    assertFalse(validator.isValid(c));\n}',
)
P("en", "code", 'cards = [\n    "⟦CP⟧",\n    "⟦CH⟧",\n    "⟦CS⟧",\n]\nfor c in cards:\n    charge(c)')
P("en", "forum", "Found this pastebin dump: ⟦CP⟧|05/27|331, ⟦CP⟧|11/26|092 — reported to the bank.")
P("en", "sql", "SELECT id FROM orders WHERE card_no IN ('⟦CS⟧', '⟦CH⟧');")
P("de", "csv", "Datum;Betrag;Karte\n03.03.2025;12,50;⟦CS⟧\n04.03.2025;99,00;⟦CH⟧")
P(
    "en",
    "ticket",
    'Ticket #⟦N⟧ — Priority: High\nCustomer says: "charged twice, card ⟦C⟧, please refund"\nAgent note: asked to remove card from ticket.',
)

# --- secrets: vendor tokens in configs/code/CI/shell history
P(
    "en",
    "shell",
    "$ history | tail -5\n  501  export AWS_ACCESS_KEY_ID=⟦AWS⟧\n  502  export AWS_SECRET_ACCESS_KEY=⟦GB⟧\n  503  aws s3 ls\n  504  unset AWS_SECRET_ACCESS_KEY",
)
P(
    "en",
    "config",
    "[default]\naws_access_key_id = ⟦AWS⟧\naws_secret_access_key = ⟦GB⟧\nregion = eu-central-1\n\n[ci]\naws_access_key_id = ⟦ASIA⟧\naws_secret_access_key = ⟦GB⟧\naws_session_token = ⟦G⟧",
)
P("en", "shell", "git clone https://⟦GHP⟧@github.com/acme-labs/infra.git\ncd infra && make plan")
P("en", "shell", 'curl -H "Authorization: token ⟦GHO⟧" https://api.github.com/user/repos')
P(
    "en",
    "yaml",
    "# .github/workflows/release.yml\nenv:\n  GH_TOKEN: ⟦GHPAT⟧\n  NODE_AUTH_TOKEN: ⟦NPM⟧\njobs:\n  publish:\n    runs-on: ubuntu-latest",
)
P("en", "config", "//registry.npmjs.org/:_authToken=⟦NPM⟧\nalways-auth=true")
P("en", "config", "# ~/.pypirc\n[pypi]\nusername = __token__\npassword = ⟦PYPI⟧")
P("en", "yaml", 'variables:\n  GITLAB_TOKEN: "⟦GLPAT⟧"\n  DOCKER_PASSWORD: ⟦DOCKER⟧\nstages: [build, deploy]')
P("en", "shell", "echo ⟦DOCKER⟧ | docker login -u acmebot --password-stdin")
P(
    "en",
    "code",
    "const slack = new WebClient('⟦SLACKB⟧');\nawait slack.chat.postMessage({ channel: '#alerts', text: msg });",
)
P("en", "code", 'import stripe\nstripe.api_key = "⟦STRIPE⟧"\nstripe.Charge.create(amount=2000, currency="usd")')
P("en", "code", "require 'stripe'\nStripe.api_key = '⟦RKLIVE⟧'\nStripe::Refund.create(charge: ch_id)")
P(
    "en",
    "http",
    "POST /v1/chat/completions HTTP/1.1\nHost: api.openai.com\nAuthorization: Bearer ⟦OPENAI⟧\nContent-Type: application/json",
)
P("en", "code", 'from openai import OpenAI\nclient = OpenAI(api_key="⟦OPENAIP⟧")')
P("en", "code", 'import anthropic\nclient = anthropic.Anthropic(api_key="⟦ANTH⟧")')
P("en", "http", "GET /api/v2/me HTTP/2\nauthorization: Bearer ⟦JWT⟧\naccept: */*\nuser-agent: okhttp/4.12.0")
P("en", "log", "⟦TS⟧ DEBUG auth middleware: token=⟦JWT⟧ user=⟦N⟧ path=/checkout")
P(
    "en",
    "code",
    '<script>\n  const firebaseConfig = {\n    apiKey: "⟦AIZA⟧",\n    authDomain: "shop-prod.firebaseapp.com",\n    projectId: "shop-prod"\n  };\n</script>',
)
P("en", "code", "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=⟦AIZA⟧")
P("en", "shell", "export VAULT_ADDR=https://vault.corp:8200\nexport VAULT_TOKEN=⟦VAULT⟧\nvault kv get secret/payments")
P("en", "code", 'from huggingface_hub import login\nlogin(token="⟦HF⟧")')
P("en", "shell", "!huggingface-cli login --token ⟦HF⟧")
P("en", "config", "SENDGRID_API_KEY=⟦SG⟧\nMAIL_FROM=⟦E⟧")
P("en", "code", 'client = Client(account_sid, "⟦G⟧")  # twilio auth token\napi_key = "⟦TWILIO⟧"')
P("en", "code", "curl -s --user 'api:⟦MAILGUN⟧' https://api.mailgun.net/v3/mg.shop.io/messages -F to=⟦E⟧")
P(
    "en",
    "code",
    'ShopifyAPI::Context.setup(api_key: ENV["SHOPIFY_API_KEY"], api_secret_key: "⟦G⟧")\nsession = ShopifyAPI::Auth::Session.new(shop: "s.myshopify.com", access_token: "⟦SHOPIFY⟧")',
)
P("en", "shell", "doctl auth init --access-token ⟦DO⟧")
P("en", "code", "bot = telebot.TeleBot(\"⟦TG⟧\")\n@bot.message_handler(commands=['start'])")
P("en", "shell", "curl https://api.telegram.org/bot⟦TG⟧/getUpdates")
P(
    "en",
    "config",
    "# .env.production\nDATABASE_URL=postgres://app:⟦G⟧@db.internal:5432/app\nSTRIPE_SECRET_KEY=⟦STRIPE⟧\nSLACK_TOKEN=⟦SLACKP⟧\nNEXT_PUBLIC_SITE=https://shop.io",
)
P("en", "config", "OPENAI_API_KEY=⟦OPENAI⟧\nHF_TOKEN=⟦HF⟧\nANTHROPIC_API_KEY=⟦ANTH⟧")
P(
    "en",
    "notebook",
    'In [3]: import os\n        os.environ["OPENAI_API_KEY"] = "⟦OPENAIP⟧"\nIn [4]: llm = ChatOpenAI(model="gpt-4o")',
)
P(
    "en",
    "code",
    'package main\n\nconst githubToken = "⟦GHS⟧"\n\nfunc main() {\n\tclient := github.NewClient(nil).WithAuthToken(githubToken)\n}',
)
P(
    "en",
    "code",
    'fn main() {\n    let token = "⟦GLPAT⟧";\n    let client = gitlab::Gitlab::new("gitlab.com", token).unwrap();\n}',
)
P("en", "code", 'val apiKey = "⟦AIZA⟧"\nval retrofit = Retrofit.Builder().baseUrl(BASE).build()')
P("en", "code", 'let stripeKey = "⟦STRIPE⟧" // TODO move to keychain\nStripeAPI.defaultPublishableKey = pk')
P("en", "code", "$client = new \\Stripe\\StripeClient('⟦STRIPE⟧');\n$client->customers->create(['email' => '⟦E⟧']);")
P(
    "en",
    "code",
    'var client = new SendGridClient("⟦SG⟧");\nvar msg = MailHelper.CreateSingleEmail(from, to, subj, text, html);',
)
P("en", "code", "my $ua = LWP::UserAgent->new;\n$ua->default_header('Authorization' => 'Bearer ⟦SV⟧');")
P(
    "en",
    "code",
    '$headers = @{ Authorization = "token ⟦GHP⟧" }\nInvoke-RestMethod -Uri https://api.github.com/user -Headers $headers',
)
P("en", "code", 'local token = "⟦SV⟧"\nhttp.request{ url = api, headers = { ["X-Auth"] = token } }')
P("en", "code", '(def api-token "⟦SV⟧")\n(client/get url {:headers {"Authorization" (str "Bearer " api-token)}})')
P("en", "code", 'object Config {\n  val slackToken = "⟦SLACKB⟧"\n}')
P(
    "en",
    "code",
    '#!/usr/bin/env bash\nset -euo pipefail\nTOKEN="⟦SV⟧"\ncurl -fsS -H "Authorization: Bearer $TOKEN" "$API/deploy"',
)
P("en", "log", "⟦TS⟧ ERROR octokit: 401 Bad credentials for token ⟦GHP⟧ (scopes: repo, workflow)")
P("en", "log", "⟦TS⟧ [debug] request headers: {'Authorization': 'Bearer ⟦OPENAI⟧', 'User-Agent': 'python-httpx/0.27'}")
P("en", "chat", "<dev-ana> can someone rotate this? I pasted it in #general by mistake: ⟦SV⟧\n<dev-ben> rotating now")
P("en", "forum", "Here's my config, still getting 403:\n```\nclient_id: web-portal\ntoken: ⟦SV⟧\n```\nany ideas?")
P(
    "en",
    "yaml",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: registry\nstringData:\n  token: ⟦DOCKER⟧\n  github: ⟦GHS⟧",
)
P("en", "config", 'terraform {\n  backend "http" {}\n}\nprovider "digitalocean" {\n  token = "⟦DO⟧"\n}')
P("en", "config", '[registries.github]\ntoken = "⟦GHPAT⟧"')

# --- PEM private keys
P("en", "config", "-- id_ed25519 --\n⟦PEMO⟧\n-- id_ed25519.pub --\n⟦SSHPUB⟧ deploy@ci-runner")
P(
    "en",
    "json",
    '{\n  "type": "service_account",\n  "project_id": "analytics-prod",\n  "private_key_id": "⟦SHA1⟧",\n  "private_key": "⟦PEMJ⟧\\n",\n  "client_email": "⟦SAE⟧"\n}',
)
P(
    "en",
    "yaml",
    "tls:\n  cert: |\n    -----BEGIN CERTIFICATE-----\n    MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n    -----END CERTIFICATE-----\n  key: |\n    ⟦PEMI⟧",
)
P(
    "en",
    "forum",
    "Still getting 'invalid format' when I load this key, what am I doing wrong?\n\n⟦PEM⟧\n\nthanks in advance",
)
P("en", "code", 'PRIVATE_KEY = """⟦PEMR⟧"""\njwt.encode(payload, PRIVATE_KEY, algorithm="RS256")')
P("de", "forum", "Hab den Schlüssel mal hier reingepackt, vielleicht sieht jemand den Fehler:\n⟦PEM⟧")
P("zh", "forum", "私钥如下，为什么ssh一直提示权限错误？\n⟦PEMO⟧")
P("ru", "chat", "держи ключ для сервера:\n⟦PEM⟧\nне пересылай никому")
P("en", "shell", "$ cat ~/.ssh/id_rsa\n⟦PEMR⟧\n$ chmod 600 ~/.ssh/id_rsa")

# --- generic labelled secrets, many syntaxes and languages
P("en", "config", "[database]\nhost = db.internal\nuser = report\npassword = ⟦GP⟧\n\n[smtp]\nuser = ⟦E⟧\npass = ⟦G⟧")
P(
    "en",
    "yaml",
    "spring:\n  datasource:\n    username: svc_orders\n    password: ⟦G⟧\n  security:\n    oauth2:\n      client-secret: ⟦G⟧",
)
P("en", "config", '<add key="ApiSecret" value="⟦G⟧" />\n<add key="SmtpPassword" value="⟦GP⟧" />')
P(
    "en",
    "config",
    '<connectionStrings>\n  <add name="Main" connectionString="Server=sql01;Database=crm;User Id=crm_app;Password=⟦GP⟧;" />\n</connectionStrings>',
)
P("en", "code", "mongodb+srv://analytics:⟦G⟧@cluster0.ab12c.mongodb.net/prod?retryWrites=true")
P("en", "code", "redis://default:⟦G⟧@redis-12345.c1.eu-west-1.cloud.redislabs.com:12345")
P("en", "code", "amqp://worker:⟦G⟧@rabbit.svc:5672/%2F")
P("en", "code", 'conn = psycopg2.connect(host="pg", user="etl", password="⟦GP⟧", dbname="dw")')
P("en", "code", "$db_password = '⟦GP⟧';\n$db_user = 'wp_admin';")
P("en", "code", "define('AUTH_KEY', '⟦G⟧');\ndefine('SECURE_AUTH_KEY', '⟦G⟧');")
P("en", "code", "SECRET_KEY = '⟦G⟧'\nDEBUG = False\nALLOWED_HOSTS = ['*']")
P("en", "code", 'config.secret_key_base = "⟦G⟧"')
P("en", "code", "app.config['JWT_SECRET_KEY'] = \"⟦G⟧\"")
P("en", "code", 'private static final String CLIENT_SECRET = "⟦G⟧";')
P("en", "code", 'const char *wifi_password = "⟦GP⟧";  // ESP32 station mode')
P("en", "code", 'services.AddAuthentication().AddGoogle(o => { o.ClientId = cid; o.ClientSecret = "⟦G⟧"; });')
P("en", "code", "export const environment = {\n  production: true,\n  apiSecret: '⟦G⟧',\n};")
P("en", "code", 'DB_PASS := "⟦GP⟧"')
P("en", "code", 'fun connect() = Database.connect(url, user = "root", password = "⟦GP⟧")')
P("en", "sql", "CREATE USER 'reporting'@'%' IDENTIFIED BY '⟦GP⟧';\nGRANT SELECT ON crm.* TO 'reporting'@'%';")
P("en", "sql", "ALTER ROLE analytics WITH LOGIN PASSWORD '⟦GP⟧';")
P("en", "csv", "service,username,password,notes\nvpn,j.doe,⟦GP⟧,rotated Q1\nwiki,admin,⟦G⟧,\nnas,backup,⟦GP⟧,old")
P("en", "shell", "mysql -u root -p⟦GP⟧ -h 127.0.0.1 shop < dump.sql")
P("en", "shell", "sshpass -p '⟦GP⟧' ssh root@⟦I4⟧")
P("en", "shell", "docker run -e POSTGRES_PASSWORD=⟦G⟧ -p 5432:5432 postgres:16")
P(
    "en",
    "yaml",
    'services:\n  db:\n    image: mariadb:11\n    environment:\n      MARIADB_ROOT_PASSWORD: ⟦GP⟧\n      MARIADB_PASSWORD: "⟦G⟧"',
)
P("en", "config", '[client]\nuser=backup\npassword="⟦GP⟧"')
P("en", "config", "machine api.heroku.com\n  login ⟦E⟧\n  password ⟦G⟧")
P("en", "config", "define host {\n  use generic-host\n}\n# snmp community\ncommunity_string = ⟦G⟧")
P("en", "email", "Hi ⟦NAME⟧,\nyour temporary password is ⟦GP⟧ — please change it after first login.\nIT Service Desk")
P("en", "chat", "[⟦HH⟧] tom: what's the wifi pw for the guest network?\n[⟦HH⟧] ana: ⟦GP⟧\n[⟦HH⟧] tom: thx")
P(
    "en",
    "ticket",
    "Ticket #⟦N⟧ (resolved)\nReset done. New credentials:\n  user: svc-print\n  password: ⟦GP⟧\nPlease store in the vault.",
)
P(
    "en",
    "markdown",
    "### Staging access\n\n- URL: https://staging.shop.io\n- user: `qa`\n- password: `⟦GP⟧`\n- API key: `⟦G⟧`",
)
P("en", "log", "⟦TS⟧ INFO connecting with client_secret=⟦G⟧ grant_type=client_credentials")
P(
    "en",
    "http",
    "POST /oauth/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=client_credentials&client_id=dashboard&client_secret=⟦G⟧",
)
P("en", "http", "GET /v3/report?api_key=⟦G⟧&format=csv HTTP/1.1\nHost: api.metrics.io")
P("en", "http", "POST /login HTTP/1.1\nHost: portal\nCookie: sessionid=⟦G⟧; theme=dark; lang=en")
P("en", "latex", "% TODO remove before arXiv submission\n\\newcommand{\\apikey}{⟦G⟧} % Overleaf sync token")
P("de", "config", "# Zugangsdaten Warenwirtschaft\nBenutzer = lager\nPasswort = ⟦GP⟧\nAPI-Schlüssel = ⟦G⟧")
P("de", "email", "Hallo ⟦NAME⟧,\ndein neues Passwort lautet: ⟦GP⟧\nBitte nach dem ersten Login ändern.")
P("fr", "email", "Bonjour,\nVotre mot de passe provisoire : ⟦GP⟧\nLe service informatique")
P("fr", "forum", "J'ai mis la clé API dans le fichier : cle_api = ⟦G⟧ mais ça renvoie 401.")
P("es", "chat", "la contraseña del router es ⟦GP⟧, no la compartas")
P("es", "config", "# credenciales\nusuario: admin\ncontraseña: ⟦GP⟧\nclave_api: ⟦G⟧")
P("pt", "email", "Segue a senha de acesso ao sistema: ⟦GP⟧\nToken de API: ⟦G⟧")
P("it", "chat", "la password del server è ⟦GP⟧, cambiala appena puoi")
P("nl", "email", "Je tijdelijke wachtwoord is: ⟦GP⟧\nMet vriendelijke groet, ICT")
P("pl", "chat", "hasło do VPN: ⟦GP⟧")
P("ru", "email", "Ваш пароль для входа: ⟦GP⟧\nКлюч API: ⟦G⟧\nС уважением, техподдержка")
P("uk", "chat", "пароль від адмінки: ⟦GP⟧")
P("ja", "email", "ログインID：tanaka01\nパスワード：⟦GP⟧\n※初回ログイン後に変更してください。")
P("ja", "chat", "APIキーは⟦G⟧です、共有しないでね")
P("zh", "chat", "服务器密码：⟦GP⟧，别外传")
P("zh", "config", "# 数据库配置\n用户名=root\n密码=⟦GP⟧\n密钥：⟦G⟧")
P("ko", "chat", "비밀번호는 ⟦GP⟧ 입니다. 로그인 후 변경하세요.")
P("ko", "email", "API 키: ⟦G⟧\n비밀 토큰: ⟦G⟧")
P("vi", "chat", "mật khẩu wifi là ⟦GP⟧ nhé")
P("tr", "email", "Geçici şifreniz: ⟦GP⟧\nAPI anahtarı: ⟦G⟧")
P("ar", "email", "كلمة المرور المؤقتة: ⟦GP⟧\nمفتاح API: ⟦G⟧")
P("he", "chat", "הסיסמה לשרת היא ⟦GP⟧ אל תשתף")
P("th", "chat", "รหัสผ่านเข้าระบบ: ⟦GP⟧ นะครับ")
P("hi", "email", "आपका अस्थायी पासवर्ड: ⟦GP⟧\nAPI कुंजी: ⟦G⟧")
P("el", "chat", "ο κωδικός του router είναι ⟦GP⟧")
P("cs", "email", "Vaše dočasné heslo: ⟦GP⟧")
P("sv", "chat", "lösenordet till NAS:en är ⟦GP⟧")
P("fi", "email", "Väliaikainen salasanasi on ⟦GP⟧")
P("da", "chat", "adgangskoden er ⟦GP⟧ btw")
P("no", "email", "Ditt midlertidige passord: ⟦GP⟧")
P("ro", "chat", "parola de la router: ⟦GP⟧")
P("hu", "email", "Ideiglenes jelszava: ⟦GP⟧")
P("id", "chat", "kata sandi admin: ⟦GP⟧ jangan disebar ya")
P(
    "en",
    "mailing_list",
    "On ⟦TS⟧ ⟦NAME⟧ wrote:\n> I set smtp_pass to ⟦GP⟧ in main.cf and restarted, still 535\n\nYou need to run postmap after editing sasl_passwd.",
)

# --- mixed entities, realistic leaks
P(
    "en",
    "ticket",
    "Subject: Cannot log in\nFrom: ⟦E⟧\nIP at time of request: ⟦I4⟧\nUser agent: Mozilla/5.0 (Windows NT 10.0)\nNote: customer pasted card ⟦C⟧ in chat, redacted in CRM.",
)
P("en", "log", "⟦TS⟧ audit user=⟦E⟧ action=api_key.create key=⟦SV⟧ src=⟦I4⟧")
P(
    "en",
    "log",
    "⟦TS⟧ auth.login ok user=⟦E⟧ ip=⟦I6⟧ mfa=totp\n⟦TS⟧ auth.login fail user=⟦E⟧ ip=⟦I4⟧ reason=bad_password",
)
P("en", "json", '[{"email":"⟦E⟧","last_ip":"⟦I4⟧","card":"⟦CP⟧"},{"email":"⟦E⟧","last_ip":"⟦I6⟧","card":null}]')
P("en", "csv", "email,ip,created\n⟦E⟧,⟦I4⟧,2025-01-02\n⟦E⟧,⟦I6⟧,2025-01-03\n⟦E⟧,⟦NIP⟧,2025-01-04")
P("de", "ticket", "Ticket ⟦N⟧: Kunde ⟦E⟧ meldet Betrug. Zugriff von ⟦I4⟧, Karte ⟦CS⟧ belastet.")
P("fr", "log", "⟦TS⟧ ERREUR connexion refusée pour ⟦E⟧ depuis ⟦I4⟧ (mot de passe incorrect)")
P("ja", "ticket", "問い合わせ番号：⟦N⟧\nメール：⟦E⟧\n接続元：⟦I4⟧\n内容：カード⟦CS⟧で二重請求されました。")
P("zh", "log", "⟦TS⟧ 用户⟦E⟧从⟦I4⟧登录成功，令牌：⟦JWT⟧")
P("ko", "log", "⟦TS⟧ 로그인 실패: 사용자=⟦E⟧ IP=⟦I4⟧")
P("es", "ticket", "Incidencia ⟦N⟧: el usuario ⟦E⟧ accedió desde ⟦I4⟧ y cambió la tarjeta a ⟦CH⟧.")
P("ru", "ticket", "Заявка №⟦N⟧. Клиент: ⟦E⟧. IP: ⟦I4⟧. Карта: ⟦CS⟧.")
P("pt", "log", "⟦TS⟧ AVISO tentativa de login de ⟦E⟧ a partir de ⟦I6⟧")
P("ar", "ticket", "تذكرة ⟦N⟧: العميل ⟦E⟧ دخل من ⟦I4⟧")
P(
    "en",
    "mailing_list",
    "Date: ⟦TS⟧\nFrom: ⟦E⟧\nTo: ⟦E⟧\nSubject: [PATCH] fix relay check\n\nTested against ⟦I4⟧ and ⟦I6⟧. Signed-off-by: ⟦NAME⟧ <⟦E⟧>",
)
P("en", "code", '# conftest.py\nSMTP_USER = "⟦E⟧"\nSMTP_PASSWORD = "⟦GP⟧"\nSMTP_HOST = "⟦I4⟧"')
P(
    "en",
    "yaml",
    "alertmanager:\n  smtp_smarthost: '⟦I4⟧:587'\n  smtp_from: '⟦E⟧'\n  smtp_auth_username: '⟦E⟧'\n  smtp_auth_password: '⟦GP⟧'",
)
P("en", "config", '[smtp]\nenabled = true\nhost = ⟦I4⟧:465\nuser = ⟦E⟧\npassword = """⟦GP⟧"""\nfrom_address = ⟦E⟧')
P("en", "chat", "anyone know why ⟦I4⟧ keeps hitting us with stolen cards like ⟦CP⟧? fraud team is on it, ping ⟦E⟧")
P(
    "en",
    "html_text",
    "Admin panel — Users\n⟦E⟧ | last login ⟦I4⟧ | role admin\n⟦E⟧ | last login ⟦I6⟧ | role editor\n⟦E⟧ | last login ⟦NIP⟧ | role viewer",
)


# ============================================================================= hard-negative templates
# reserved / documentation email domains
N(
    "reserved_email",
    "en",
    "markdown",
    '```python\nsend_mail(to="⟦NE⟧", subject="Welcome")\n```\nReplace ⟦NE⟧ with your own address.',
)
N("reserved_email", "en", "config", "ServerAdmin ⟦NE⟧\nServerName www.example.com\nDocumentRoot /var/www/html")
N(
    "reserved_email",
    "en",
    "code",
    "def test_signup(client):\n    r = client.post('/signup', json={'email': '⟦NE⟧', 'pw': 'x'})\n    assert r.status_code == 201",
)
N("reserved_email", "de", "prose", "Beispiel: Geben Sie eine Adresse wie ⟦NE⟧ ein und klicken Sie auf „Weiter“.")
N(
    "reserved_email",
    "fr",
    "prose",
    "Exemple d'adresse valide : ⟦NE⟧ (le domaine example.org est réservé à la documentation).",
)
N("reserved_email", "ja", "prose", "例：⟦NE⟧のように入力してください。")
N("reserved_email", "zh", "prose", "示例邮箱：⟦NE⟧，请替换为您自己的地址。")
N("reserved_email", "es", "prose", "Por ejemplo, ⟦NE⟧ es una dirección válida para pruebas.")
N("reserved_email", "ru", "code", '# пример\nEMAIL_TEST = "⟦NE⟧"\nassert is_valid(EMAIL_TEST)')
N("reserved_email", "en", "yaml", "users:\n  - name: alice\n    email: ⟦NE⟧\n  - name: bob\n    email: ⟦NE⟧")
N("reserved_email", "en", "log", "⟦TS⟧ test-runner: sent fixture mail to ⟦NE⟧ (sandbox)")
N("reserved_email", "ko", "prose", "예시: ⟦NE⟧ 형식으로 입력하세요.")
N("reserved_email", "pt", "prose", "Use um endereço fictício como ⟦NE⟧ nos testes automatizados.")
# email look-alikes that are not mailboxes
N(
    "email_lookalike",
    "en",
    "html_text",
    '<img src="/img/logo@2x.png" srcset="/img/logo@3x.png 3x"> Retina assets: icon@2x.webp, hero@1.5x.jpg',
)
N(
    "email_lookalike",
    "en",
    "shell",
    "npm install react@18.3.1 @types/node@20.11.5 typescript@5.4.2\npnpm add vite@5.2.0",
)
N(
    "email_lookalike",
    "en",
    "shell",
    "git remote -v\norigin  https://github.com/acme/infra.git (fetch)\nssh deploy@⟦NIP⟧ 'systemctl restart app'",
)
N("email_lookalike", "en", "code", "docker pull nginx@sha256:⟦SHA256⟧")
N(
    "email_lookalike",
    "en",
    "code",
    '@Override\npublic String toString() { return name + "@" + version; }  // e.g. lodash@4.17.21',
)
N(
    "email_lookalike",
    "en",
    "log",
    "⟦TS⟧ systemd[1]: Started getty@tty1.service.\n⟦TS⟧ systemd[1]: Started openvpn-client@office.service.",
)
N("email_lookalike", "de", "prose", "Die Datei heißt bild@2x.png, die Vorlage liegt unter vorlage@v2.docx.")
N("email_lookalike", "ja", "prose", "パッケージvue@3.4.21とpinia@2.1.7を使っています。")
N(
    "email_lookalike",
    "en",
    "shell",
    "pip install 'requests @ git+https://github.com/psf/requests@v2.32.0'\ngo get golang.org/x/net@v0.24.0",
)
N("email_lookalike", "en", "code", "ssh -J jump@⟦NIP⟧ root@⟦NIP⟧\nscp backup.tar.gz admin@nas.local:/volume1/")
# private / loopback / link-local / CGNAT
N(
    "private_ip",
    "en",
    "config",
    "[Interface]\nAddress = ⟦NIP⟧/24\nListenPort = 51820\n[Peer]\nEndpoint = ⟦NIP⟧:51820\nAllowedIPs = ⟦NIP⟧/32",
)
N(
    "private_ip",
    "en",
    "log",
    "⟦TS⟧ dnsmasq-dhcp: DHCPACK(br0) ⟦NIP⟧ 3c:22:fb:aa:01:9e laptop\n⟦TS⟧ dnsmasq-dhcp: DHCPACK(br0) ⟦NIP⟧ 70:85:c2:10:44:ab tv",
)
N(
    "private_ip",
    "en",
    "cli",
    "$ ip route\ndefault via ⟦NIP⟧ dev eth0\n⟦NIP⟧/24 dev eth0 proto kernel scope link src ⟦NIP⟧",
)
N("private_ip", "en", "yaml", 'services:\n  api:\n    extra_hosts:\n      - "db:⟦NIP⟧"\n      - "cache:⟦NIP⟧"')
N("private_ip", "de", "forum", "Mein Router hat die ⟦NIP⟧, der Drucker die ⟦NIP⟧ – trotzdem findet Windows ihn nicht.")
N("private_ip", "fr", "forum", "La box est en ⟦NIP⟧ et le NAS en ⟦NIP⟧, je n'arrive pas à y accéder.")
N("private_ip", "zh", "prose", "路由器管理地址是⟦NIP⟧，打印机是⟦NIP⟧。")
N("private_ip", "ja", "prose", "ルーターの管理画面は⟦NIP⟧、NASは⟦NIP⟧です。")
N("private_ip", "ru", "forum", "Роутер ⟦NIP⟧, камера ⟦NIP⟧, а пинг не идёт.")
N("private_ip", "en", "code", "app.run(host='⟦NIP⟧', port=5000)\n# also reachable via ⟦NIP⟧ on the tailnet")
N(
    "private_ip",
    "en",
    "log",
    '⟦TS⟧ kubelet: Readiness probe failed: Get "http://⟦NIP⟧:8080/ready": dial tcp ⟦NIP⟧:8080: connect: connection refused',
)
N(
    "private_ip",
    "en",
    "cli",
    "$ tailscale status\n⟦NIP⟧   laptop   me@   linux   -\n⟦NIP⟧   nas      me@   linux   idle",
)
N("private_ip", "en", "config", "bind-address = ⟦NIP⟧\nmysqlx-bind-address = 127.0.0.1")
N("private_ip", "ko", "forum", "공유기 주소 ⟦NIP⟧로 접속이 안 돼요. NAS는 ⟦NIP⟧입니다.")
N("private_ip", "es", "chat", "el servidor de pruebas está en ⟦NIP⟧:3000, entra por la VPN")
N("private_ip", "en", "config", "listen-address=⟦NIP⟧\nserver=⟦NIP⟧\naddress=/nas.lan/⟦NIP⟧")
# IPv6 non-global
N("private_ipv6", "en", "cli", "$ ip -6 addr\n    inet6 ⟦NI6⟧/128 scope host\n    inet6 ⟦NI6⟧/64 scope link")
N("private_ipv6", "en", "config", "server:\n  interface: ⟦NI6⟧\n  access-control: ⟦NI6⟧/64 allow")
N("private_ipv6", "de", "prose", "Im Heimnetz nutzen wir ULA-Adressen wie ⟦NI6⟧ und die Loopback ::1.")
N("private_ipv6", "en", "log", "⟦TS⟧ radvd: sending RA to ⟦NI6⟧ from ⟦NI6⟧")
# documentation ranges
N(
    "documentation_ip",
    "en",
    "markdown",
    "For example, to allow a single host use `allow ⟦NID⟧;` and for a range `allow ⟦NID⟧/24;`.",
)
N(
    "documentation_ip",
    "en",
    "prose",
    "RFC 5737 reserves ranges for examples; in this guide the server is ⟦NID⟧ and the client ⟦NID⟧.",
)
N("documentation_ip", "en", "code", '# doc example\nresolver = Resolver(nameservers=["⟦NID⟧", "⟦NID⟧"])')
N("documentation_ip", "fr", "prose", "Dans cet exemple, le serveur a l'adresse ⟦NID⟧ et la passerelle ⟦NID⟧.")
N("documentation_ip", "de", "prose", "Ersetzen Sie ⟦NID⟧ durch die IP Ihres Servers.")
N("documentation_ip", "ja", "prose", "例として、サーバーのIPを⟦NID⟧、クライアントを⟦NID⟧とします。")
N(
    "documentation_ip",
    "en",
    "config",
    "# sample config — replace with real values\nupstream backend { server ⟦NID⟧:8080; server ⟦NID⟧:8080; }",
)
N("documentation_ip", "en", "markdown", "```\n$ ping 2001:db8::1\n$ ssh user@⟦NID⟧\n```")
N("documentation_ip", "es", "prose", "Por ejemplo, si tu IP es ⟦NID⟧, escribe ⟦NID⟧/32 en la regla.")
N("documentation_ip", "zh", "prose", "示例中使用文档地址⟦NID⟧和2001:db8::10。")
# special addresses
N("special_ip", "en", "config", "listen ⟦NIS⟧:80;\n# multicast group for mDNS is 224.0.0.251\nbroadcast ⟦NIS⟧")
N("special_ip", "en", "code", "server.bind(('0.0.0.0', 8000))\nMCAST_GRP = '⟦NIS⟧'")
N("special_ip", "en", "log", "⟦TS⟧ igmp: joined group ⟦NIS⟧ on eth1\n⟦TS⟧ netfilter: dropped packet to ⟦NIS⟧")
N("special_ip", "de", "prose", "Der Dienst lauscht auf 0.0.0.0, die Broadcast-Adresse ist 255.255.255.255.")
N("special_ip", "en", "yaml", "server:\n  host: 0.0.0.0\n  port: 9090\nssdp_group: 239.255.255.250")
N("special_ip", "ja", "prose", "待受アドレスは0.0.0.0、マルチキャストは⟦NIS⟧です。")
N("special_ip", "en", "cli", "$ ip maddr show dev eth0\n    inet  ⟦NIS⟧\n    inet  224.0.0.1")
# version numbers / OIDs / section numbers
N(
    "version_number",
    "en",
    "prose",
    "Upgrade the firmware to version ⟦VER⟧ before applying the patch; ⟦VER⟧ is known to brick some units.",
)
N("version_number", "en", "log", "⟦TS⟧ Microsoft Edge updated to ⟦VER⟧ (previous: ⟦VER⟧)")
N(
    "version_number",
    "en",
    "code",
    '<assemblyIdentity name="Newtonsoft.Json" version="⟦VER⟧" />\n[assembly: AssemblyFileVersion("⟦VER⟧")]',
)
N(
    "version_number",
    "en",
    "cli",
    "$ chrome --version\nGoogle Chrome ⟦VER⟧\n$ nvidia-smi | head -3\nDriver Version: 550.54.14",
)
N("version_number", "de", "prose", "Die Treiberversion ⟦VER⟧ behebt den Fehler aus Version ⟦VER⟧.")
N("version_number", "fr", "prose", "La mise à jour ⟦VER⟧ du micrologiciel corrige le redémarrage en boucle.")
N("version_number", "ja", "prose", "ファームウェアをバージョン⟦VER⟧に更新してください。")
N("version_number", "zh", "prose", "请将固件升级到⟦VER⟧版本，旧版本⟦VER⟧存在漏洞。")
N("version_number", "ru", "forum", "После обновления до ⟦VER⟧ пропал звук, откатился на ⟦VER⟧.")
N("version_number", "ko", "prose", "펌웨어 버전 ⟦VER⟧에서 문제가 해결되었습니다.")
N("version_number", "en", "config", '<PackageReference Include="Serilog" Version="⟦VER⟧" />\nProductVersion=⟦VER⟧')
N("version_number", "es", "prose", "La versión ⟦VER⟧ del controlador corrige el fallo.")
N("version_number", "en", "markdown", "## Changelog\n\n### ⟦VER⟧\n- fix crash on start\n### ⟦VER⟧\n- initial build")
N("oid_section", "en", "prose", "See section 4.2.1.3 and clause 7.1.2.4 of the spec; Figure 3.1.2.1 shows the flow.")
N(
    "oid_section",
    "en",
    "code",
    "OID_SUBJECT_ALT_NAME = '2.5.29.17'\nOID_RSA = '1.2.840.113549.1.1.1'\nsnmpget -v2c -c public host 1.3.6.1.2.1.1.5.0",
)
N("oid_section", "de", "prose", "Gemäß Abschnitt 3.4.2.1 der Norm und Tabelle 12.1.3.2 gilt die Ausnahme.")
N("oid_section", "fr", "prose", "Conformément à l'article 2.3.1.4 du règlement, voir aussi l'annexe 5.2.1.1.")
N("oid_section", "ja", "prose", "詳細は第3.2.1.4項および図5.1.2.3を参照してください。")
N(
    "oid_section",
    "en",
    "latex",
    "\\section{Results}\\label{sec:4.1.2.3}\nAs shown in Table 2.3.1.1 and Eq.~(5.2.1.4), the bound holds.",
)
N("oid_section", "ru", "prose", "Согласно пункту 5.3.2.1 ГОСТ и приложению 1.2.4.3, требование не применяется.")
N("oid_section", "en", "log", "⟦TS⟧ snmpd: Received GET for 1.3.6.1.4.1.2021.10.1.3.1 from localhost")
# Luhn-invalid card-like numbers
N("luhn_invalid_card", "en", "prose", "Order number ⟦NCC⟧ has shipped. Tracking reference ⟦NCC⟧.")
N("luhn_invalid_card", "en", "csv", "order_id,card_number,status\n⟦N⟧,⟦NCC⟧,declined\n⟦N⟧,⟦NCC⟧,declined")
N("luhn_invalid_card", "en", "log", "⟦TS⟧ WARN payment: invalid card number ⟦NCC⟧ (luhn check failed)")
N("luhn_invalid_card", "de", "chat", "Kartennummer ⟦NCC⟧ wird immer abgelehnt, hab mich wohl vertippt")
N("luhn_invalid_card", "fr", "prose", "Le numéro ⟦NCC⟧ est refusé : vérifiez les chiffres saisis.")
N("luhn_invalid_card", "ja", "chat", "カード番号⟦NCC⟧が無効と言われます")
N("luhn_invalid_card", "zh", "prose", "卡号⟦NCC⟧校验失败，请重新输入。")
N("luhn_invalid_card", "es", "chat", "me dice tarjeta inválida: ⟦NCC⟧")
N("luhn_invalid_card", "ru", "chat", "карта ⟦NCC⟧ не проходит, пишет неверный номер")
N("luhn_invalid_card", "en", "json", '{"error":"card_invalid","number":"⟦NCC⟧","code":"incorrect_number"}')
N(
    "luhn_invalid_card",
    "en",
    "code",
    'def test_rejects_bad_luhn():\n    assert not valid("⟦NCC⟧")\n    assert not valid("⟦NCC⟧")',
)
N("luhn_invalid_card", "ko", "prose", "카드번호 ⟦NCC⟧는 유효하지 않습니다.")
N("luhn_invalid_card", "pl", "chat", "numer karty ⟦NCC⟧ odrzucony, pewnie literówka")
# masked cards
N("masked_card", "en", "email", "Your payment of €49.00 with Visa ⟦NCM⟧ was successful.\nReceipt #⟦N⟧")
N(
    "masked_card",
    "en",
    "html_text",
    "Saved cards\nMastercard ⟦NCM⟧  Expires 04/27  [Remove]\nVisa ⟦NCM⟧  Expires 11/26  [Remove]",
)
N("masked_card", "de", "email", "Ihre Zahlung mit der Karte ⟦NCM⟧ wurde belastet.")
N("masked_card", "fr", "prose", "Paiement accepté avec la carte ⟦NCM⟧.")
N("masked_card", "ja", "prose", "お支払い方法：クレジットカード（⟦NCM⟧）")
N("masked_card", "zh", "prose", "支付卡：⟦NCM⟧，已扣款¥299。")
N("masked_card", "es", "email", "Cargo aprobado en tu tarjeta ⟦NCM⟧.")
N("masked_card", "en", "log", "⟦TS⟧ INFO charge ok card=⟦NCM⟧ amount=1299 currency=USD")
N("masked_card", "ru", "prose", "Списание с карты ⟦NCM⟧ на сумму 1 500 ₽.")
N("masked_card", "en", "json", '{"card":{"brand":"visa","last4":"4242","display":"⟦NCM⟧"}}')
N("masked_card", "ar", "prose", "تم الدفع باستخدام البطاقة ⟦NCM⟧.")
# Luhn-valid numbers that are not payment cards
N("non_card_luhn_number", "en", "prose", "Device IMEI: ⟦NLU⟧ (dial *#06# to check). Second SIM IMEI: ⟦NLU⟧")
N("non_card_luhn_number", "de", "prose", "Die IMEI meines Handys lautet ⟦NLU⟧, es wurde gestohlen.")
N("non_card_luhn_number", "en", "csv", "asset_tag,imei,model\nMB-⟦N⟧,⟦NLU⟧,Pixel 8\nMB-⟦N⟧,⟦NLU⟧,iPhone 15")
N("non_card_luhn_number", "zh", "prose", "手机串号IMEI：⟦NLU⟧")
N("non_card_luhn_number", "en", "log", "⟦TS⟧ mdm: enrolled device imei=⟦NLU⟧ serial=C02XK⟦N⟧")
N("non_card_luhn_number", "en", "prose", "Loyalty card no. ⟦NLU⟧ — points balance: 1,240")
# placeholders
N("placeholder_secret", "en", "config", "API_KEY=⟦PH⟧\nAPI_SECRET=⟦PH⟧\nDEBUG=true")
N(
    "placeholder_secret",
    "en",
    "markdown",
    "1. Create a token in the dashboard\n2. Put it in `.env`: `OPENAI_API_KEY=⟦PH⟧`\n3. Run `npm start`",
)
N("placeholder_secret", "en", "code", 'client = Client(api_key="⟦PH⟧")  # replace with your key')
N("placeholder_secret", "en", "yaml", 'auth:\n  username: admin\n  password: ⟦PH⟧\n  token: "⟦PH⟧"')
N("placeholder_secret", "de", "prose", 'Tragen Sie Ihren API-Schlüssel ein, z. B. api_key = "⟦PH⟧".')
N("placeholder_secret", "fr", "prose", "Remplacez ⟦PH⟧ par votre clé secrète dans le fichier de configuration.")
N("placeholder_secret", "ja", "prose", "APIキーの欄には⟦PH⟧の代わりに自分のキーを入力してください。")
N("placeholder_secret", "zh", "prose", "将密钥⟦PH⟧替换为你自己的令牌。")
N("placeholder_secret", "es", "code", '# reemplaza con tu clave\nCLAVE_API = "⟦PH⟧"')
N("placeholder_secret", "ru", "code", 'TOKEN = "⟦PH⟧"  # вставьте свой токен')
N("placeholder_secret", "en", "shell", 'export GITHUB_TOKEN=⟦PH⟧\ngh auth login --with-token <<< "$GITHUB_TOKEN"')
N("placeholder_secret", "en", "code", 'curl -H "Authorization: Bearer ⟦PH⟧" https://api.service.io/v1/me')
N("placeholder_secret", "ko", "prose", "토큰 자리에 ⟦PH⟧ 대신 발급받은 키를 넣으세요.")
N("placeholder_secret", "en", "json", '{"apiKey": "⟦PH⟧", "secret": "⟦PH⟧", "region": "eu"}')
N("placeholder_secret", "pt", "prose", "Substitua ⟦PH⟧ pela sua chave de API.")
# env / template references
N("env_reference", "en", "yaml", "env:\n  NPM_TOKEN: ⟦ENV⟧\n  AWS_SECRET_ACCESS_KEY: ⟦ENV⟧\n  DB_PASSWORD: ⟦ENV⟧")
N("env_reference", "en", "config", "password = ⟦ENV⟧\napi_token = ⟦ENV⟧")
N("env_reference", "en", "code", "const secret = ⟦ENV⟧;\nconst apiKey = ⟦ENV⟧;")
N(
    "env_reference",
    "en",
    "yaml",
    "- name: Login to registry\n  uses: docker/login-action@v3\n  with:\n    username: ${{ vars.DOCKER_USER }}\n    password: ${{ secrets.DOCKER_PASSWORD }}",
)
N("env_reference", "en", "config", "spring.datasource.password=${DB_PASSWORD:}\njwt.secret=${JWT_SECRET}")
N("env_reference", "de", "prose", "Das Passwort wird aus der Variablen ⟦ENV⟧ gelesen, nicht aus der Datei.")
N("env_reference", "ja", "prose", "トークンは⟦ENV⟧から読み込まれます。")
N(
    "env_reference",
    "en",
    "yaml",
    "valueFrom:\n  secretKeyRef:\n    name: api-credentials\n    key: token\nclient_secret: ⟦ENV⟧",
)
N(
    "env_reference",
    "en",
    "code",
    'password: str = Field(default_factory=lambda: os.environ["PG_PASSWORD"])\ntoken = ⟦ENV⟧',
)
N("env_reference", "zh", "config", "# 密码从环境变量读取\npassword: ⟦ENV⟧")
N("env_reference", "en", "config", "[client]\npassword=⟦ENV⟧\nsecret_token=⟦ENV⟧")
# low-entropy / dictionary values
N("low_entropy_value", "en", "config", "db_user = admin\ndb_password = ⟦LOW⟧")
N("low_entropy_value", "en", "chat", "lol the wifi password at the cafe is literally ⟦LOW⟧")
N("low_entropy_value", "en", "prose", "Never use passwords like ⟦LOW⟧ or ⟦LOW⟧; they appear in every breach list.")
N("low_entropy_value", "de", "prose", "Das Standardpasswort des Routers ist „⟦LOW⟧“ – bitte sofort ändern.")
N("low_entropy_value", "fr", "forum", "Le mot de passe par défaut est ⟦LOW⟧, pensez à le changer.")
N("low_entropy_value", "es", "prose", "La contraseña por defecto es ⟦LOW⟧.")
N("low_entropy_value", "ja", "prose", "初期パスワードは⟦LOW⟧です。必ず変更してください。")
N("low_entropy_value", "en", "yaml", "grafana:\n  adminUser: admin\n  adminPassword: ⟦LOW⟧")
N("low_entropy_value", "en", "code", "assert login('admin', '⟦LOW⟧') is False  # common password rejected")
N("low_entropy_value", "ru", "prose", "Пароль по умолчанию — ⟦LOW⟧, смените его.")
N("low_entropy_value", "en", "sql", "-- dev seed only\nINSERT INTO users(name, password) VALUES ('demo', '⟦LOW⟧');")
# key names without values
N("key_name_only", "en", "prose", "Set ⟦KEY⟧ and ⟦KEY⟧ in the repository settings under Secrets → Actions.")
N("key_name_only", "en", "config", "# required variables:\n# ⟦KEY⟧=\n# ⟦KEY⟧=\npassword=\napi_key:")
N(
    "key_name_only",
    "en",
    "code",
    'REQUIRED = ["⟦KEY⟧", "⟦KEY⟧", "⟦KEY⟧"]\nmissing = [k for k in REQUIRED if k not in os.environ]',
)
N("key_name_only", "de", "prose", "Fehlt die Variable ⟦KEY⟧, bricht das Skript mit einem Fehler ab.")
N("key_name_only", "ja", "prose", "環境変数⟦KEY⟧が設定されていません。")
N("key_name_only", "zh", "log", "⟦TS⟧ 错误：未设置环境变量⟦KEY⟧")
N("key_name_only", "en", "log", "⟦TS⟧ ERROR missing required secret ⟦KEY⟧; refusing to start")
N(
    "key_name_only",
    "en",
    "markdown",
    "| Variable | Description |\n|---|---|\n| `⟦KEY⟧` | token used to publish |\n| `⟦KEY⟧` | password for the DB |",
)
N("key_name_only", "fr", "prose", "La variable ⟦KEY⟧ doit contenir votre jeton personnel.")
# hashes / checksums
N(
    "hash_checksum",
    "en",
    "cli",
    "$ sha256sum ubuntu-24.04-live-server-amd64.iso\n⟦SHA256⟧  ubuntu-24.04-live-server-amd64.iso",
)
N("hash_checksum", "en", "config", '[[package]]\nname = "serde"\nversion = "1.0.197"\nchecksum = "⟦SHA256⟧"')
N(
    "hash_checksum",
    "en",
    "code",
    '"integrity": "⟦SRI⟧",\n"resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"',
)
N("hash_checksum", "en", "prose", "MD5: ⟦MD5⟧\nSHA-1: ⟦SHA1⟧\nVerify the download before installing.")
N("hash_checksum", "de", "prose", "Prüfsumme (SHA-256): ⟦SHA256⟧")
N("hash_checksum", "ja", "prose", "ファイルのSHA-256ハッシュ値：⟦SHA256⟧")
N("hash_checksum", "zh", "prose", "校验值（MD5）：⟦MD5⟧")
N("hash_checksum", "en", "log", "⟦TS⟧ cache hit key=⟦SHA256⟧ size=12.4MB")
N("hash_checksum", "en", "code", 'sha256 "⟦SHA256⟧"\nurl "https://github.com/foo/bar/archive/v1.2.tar.gz"')
N("hash_checksum", "en", "config", 'etag = "⟦MD5⟧"\nlast_modified = ⟦TS⟧')
N("hash_checksum", "ru", "prose", "Контрольная сумма SHA-1: ⟦SHA1⟧")
# UUIDs used as ids
N("uuid_identifier", "en", "log", "⟦TS⟧ request_id=⟦UUID⟧ trace_id=⟦UUID⟧ status=200")
N("uuid_identifier", "en", "json", '{"tenant_id":"⟦UUID⟧","subscription_id":"⟦UUID⟧","client_id":"⟦UUID⟧"}')
N("uuid_identifier", "en", "config", "[Unit]\n# partition\nUUID=⟦UUID⟧ /data ext4 defaults 0 2")
N("uuid_identifier", "de", "prose", "Bitte geben Sie bei Rückfragen die Vorgangs-ID ⟦UUID⟧ an.")
N("uuid_identifier", "ja", "prose", "注文ID：⟦UUID⟧")
N("uuid_identifier", "en", "code", 'ProjectGuid = "{⟦UUID⟧}"\nEndProject')
N("uuid_identifier", "zh", "log", "⟦TS⟧ 请求ID：⟦UUID⟧ 处理完成")
N("uuid_identifier", "en", "sql", "SELECT * FROM sessions WHERE user_id = '⟦UUID⟧';")
# git SHAs
N(
    "git_sha",
    "en",
    "cli",
    "$ git log --oneline -3\n⟦SHA1⟧ fix: handle empty body\n⟦SHA1⟧ chore: bump deps\n⟦SHA1⟧ feat: add export",
)
N("git_sha", "en", "prose", "Fixed in commit ⟦SHA1⟧; backported as ⟦SHA1⟧.")
N("git_sha", "en", "yaml", "- uses: actions/checkout@⟦SHA1⟧ # v4.1.1\n- uses: actions/setup-node@⟦SHA1⟧ # v4.0.2")
N("git_sha", "de", "prose", "Der Fehler wurde mit Commit ⟦SHA1⟧ eingeführt.")
N("git_sha", "zh", "prose", "该问题已在提交⟦SHA1⟧中修复。")
N("git_sha", "en", "config", '[submodule "vendor/lib"]\n\tpath = vendor/lib\n# pinned at ⟦SHA1⟧')
N("git_sha", "ja", "prose", "コミット⟦SHA1⟧で修正済みです。")
# hex colours
N("hex_colour", "en", "code", ".btn-primary { background: ⟦HEXC⟧; border-color: ⟦HEXC⟧; color: ⟦HEXC⟧; }")
N("hex_colour", "en", "json", '{"theme":{"primary":"⟦HEXC⟧","accent":"⟦HEXC⟧","bg":"⟦HEXC⟧"}}')
N("hex_colour", "de", "prose", "Die Hausfarbe ist ⟦HEXC⟧, die Akzentfarbe ⟦HEXC⟧.")
N("hex_colour", "ja", "prose", "メインカラーは⟦HEXC⟧、サブカラーは⟦HEXC⟧です。")
N("hex_colour", "en", "config", '[colors]\nforeground = "⟦HEXC⟧"\nbackground = "⟦HEXC⟧"\ncursor = "⟦HEXC⟧"')
# base64 images
N("base64_image", "en", "html_text", '<img alt="pixel" src="⟦B64IMG⟧">')
N("base64_image", "en", "code", 'background-image: url("⟦B64IMG⟧");')
N("base64_image", "en", "json", '{"avatar":"⟦B64IMG⟧","name":"bot"}')
N("base64_image", "en", "markdown", "![logo](⟦B64IMG⟧)")
# content-hash file names
N(
    "content_hash_filename",
    "en",
    "html_text",
    '<script src="/static/js/⟦HFILE⟧"></script>\n<link rel="stylesheet" href="/assets/⟦HFILE⟧">',
)
N(
    "content_hash_filename",
    "en",
    "log",
    "⟦TS⟧ vite v5.2.8 building for production...\ndist/assets/⟦HFILE⟧  142.31 kB │ gzip: 45.02 kB\ndist/assets/⟦HFILE⟧  12.10 kB",
)
N("content_hash_filename", "en", "log", "⟦TS⟧ GET /⟦HFILE⟧ 200 (from disk cache)")
N("content_hash_filename", "en", "json", '{"files":{"main.js":"/static/js/⟦HFILE⟧","main.css":"/static/css/⟦HFILE⟧"}}')
N("content_hash_filename", "en", "html_text", '<script nonce="x" integrity="⟦HFILE⟧" src="/app.js"></script>')
# URLs and ARNs assigned to auth-sounding keys
N(
    "url_or_arn_value",
    "en",
    "config",
    "token_url = https://auth.service.io/oauth2/token\nauthorize_url = https://auth.service.io/oauth2/authorize\njwks_uri = https://auth.service.io/.well-known/jwks.json",
)
N(
    "url_or_arn_value",
    "en",
    "yaml",
    "secret_arn: arn:aws:secretsmanager:eu-west-1:⟦N⟧000000000:secret:prod/db-AbCdEf\nrole_arn: arn:aws:iam::⟦N⟧000000000:role/deployer",
)
N(
    "url_or_arn_value",
    "en",
    "config",
    "client_secret_path = /etc/app/client_secret.json\npassword_file = /run/secrets/db_password\nkey_vault_uri = https://kv-prod.vault.azure.net/",
)
N(
    "url_or_arn_value",
    "en",
    "json",
    '{"auth":{"issuer":"https://login.microsoftonline.com/common/v2.0","secret_ref":"projects/shop/secrets/stripe/versions/latest"}}',
)
N(
    "url_or_arn_value",
    "de",
    "config",
    "# Token-Endpunkt\ntoken_endpoint = https://sso.firma.de/realms/intern/protocol/openid-connect/token",
)
N("url_or_arn_value", "en", "code", 'KMS_KEY_ID = "arn:aws:kms:us-east-1:⟦N⟧000000000:key/⟦UUID⟧"')
# public keys and certificates
N("public_key_cert", "en", "config", "# ~/.ssh/authorized_keys\n⟦SSHPUB⟧ ops@laptop\n⟦SSHPUB⟧ ci@runner")
N("public_key_cert", "en", "config", 'ssl_certificate_pem = """\n⟦PUBPEM⟧\n"""')
N("public_key_cert", "en", "forum", "Here's my public key, please add it to the server:\n⟦SSHPUB⟧ me@home")
N("public_key_cert", "en", "yaml", 'jwt:\n  public_key: "⟦PUBPEMJ⟧"')
N("public_key_cert", "de", "prose", "Unser öffentlicher Schlüssel zur Signaturprüfung:\n⟦PUBPEM⟧")
N("public_key_cert", "ja", "prose", "公開鍵を登録してください：\n⟦SSHPUB⟧")
N("public_key_cert", "en", "code", 'ca_cert = b"""⟦PUBPEM⟧"""')
N("public_key_cert", "zh", "prose", "证书如下：\n⟦PUBPEM⟧")
# redacted / truncated secrets
N("redacted_secret", "en", "log", "⟦TS⟧ INFO using api key ⟦RED⟧ for org default")
N(
    "redacted_secret",
    "en",
    "html_text",
    "API keys\nName: production   Key: ⟦RED⟧   Created: Mar 3   [Revoke]\nName: staging   Key: ⟦RED⟧   Created: Jan 9",
)
N("redacted_secret", "en", "yaml", 'token: ⟦RED⟧\npassword: "********"')
N("redacted_secret", "de", "prose", "Der Schlüssel wird nur gekürzt angezeigt: ⟦RED⟧")
N("redacted_secret", "ja", "prose", "表示されるキー：⟦RED⟧（一部マスク済み）")
N("redacted_secret", "en", "chat", "here's the key (redacted): ⟦RED⟧ — DM me for the full one")
N("redacted_secret", "zh", "log", "⟦TS⟧ 使用令牌 ⟦RED⟧ 调用接口")
# random ids not labelled as credentials
N("random_id_unlabelled", "en", "log", "⟦TS⟧ request_id=⟦RID⟧ span=⟦RID⟧ duration=31ms")
N("random_id_unlabelled", "en", "prose", "Watch the recording at youtu.be/⟦RID⟧ or the mirror video ⟦RID⟧.")
N("random_id_unlabelled", "en", "json", '{"id":"⟦RID⟧","object":"file","filename":"report.pdf","purpose":"assistants"}')
N("random_id_unlabelled", "en", "html_text", "Share this doc: docs.google.com/document/d/⟦RID⟧⟦RID⟧/edit")
N("random_id_unlabelled", "de", "prose", "Ihre Sendungsnummer lautet ⟦RID⟧. Bestellnummer: ⟦RID⟧.")
N("random_id_unlabelled", "ja", "prose", "予約番号：⟦RID⟧")
N("random_id_unlabelled", "fr", "prose", "Référence du dossier : ⟦RID⟧")
N("random_id_unlabelled", "en", "log", "⟦TS⟧ s3: PUT s3://media-bucket/uploads/⟦RID⟧.jpg 200")
N("random_id_unlabelled", "zh", "prose", "订单编号：⟦RID⟧，请妥善保存。")
N("random_id_unlabelled", "en", "code", 'short_url = f"https://sho.rt/{⟦N⟧}"  # e.g. https://sho.rt/⟦RID⟧')
# Stripe / vendor object ids and publishable keys (not secrets)
N(
    "public_identifier",
    "en",
    "json",
    '{"id":"⟦STRIPEOBJ⟧","object":"payment_intent","customer":"⟦STRIPEOBJ⟧","latest_charge":"⟦STRIPEOBJ⟧"}',
)
N("public_identifier", "en", "log", "⟦TS⟧ webhook invoice.paid customer=⟦STRIPEOBJ⟧ subscription=⟦STRIPEOBJ⟧")
N("public_identifier", "en", "code", "const stripe = Stripe('pk_live_⟦RID⟧');  // publishable key, safe for browser")
N(
    "public_identifier",
    "en",
    "config",
    "GOOGLE_CLIENT_ID=⟦N⟧-⟦RID⟧.apps.googleusercontent.com\nSENTRY_ENVIRONMENT=production",
)
N("public_identifier", "en", "prose", "Customer ⟦STRIPEOBJ⟧ disputed charge ⟦STRIPEOBJ⟧.")
N("public_identifier", "en", "code", 'ALGOLIA_APP_ID = "⟦RID⟧"\nmapbox_style = "mapbox://styles/acme/⟦RID⟧"')
# documentation example credentials
N(
    "docs_example_key",
    "en",
    "markdown",
    "```ini\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n```",
)
N(
    "docs_example_key",
    "en",
    "prose",
    "In the AWS docs the sample key pair is AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.",
)
N(
    "docs_example_key",
    "de",
    "prose",
    "Beispielwerte aus der Doku: AKIAIOSFODNN7EXAMPLE und wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
)
N(
    "docs_example_key",
    "en",
    "shell",
    "$ export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n$ export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
)

# --- more hard positives: boundaries, scripts without spaces, unusual syntaxes
P("th", "chat", "ส่งไฟล์มาที่⟦E⟧ได้เลยครับ ขอบคุณครับ")
P("hi", "prose", "कृपया अपना आवेदन ⟦E⟧। पर भेजें या ⟦E⟧ से संपर्क करें।")
P("ar", "prose", "راسلونا على ⟦E⟧، أو على ⟦E⟧.")
P("zh", "chat", "卡号：⟦CS⟧。密码别发群里！")
P("ja", "prose", "接続元（⟦I4⟧）からの不正ログインを確認しました。")
P("zh", "log", "⟦TS⟧ 拒绝来自[⟦I6⟧]:⟦PORT⟧的连接，原因：黑名单")
P("en", "prose", "The scan came from ⟦I4⟧. A second wave used ⟦I6⟧.")
P("en", "prose", "Open http://⟦I4⟧:8080/admin/ or https://[⟦I6⟧]/login in the browser.")
P(
    "en",
    "code",
    "FROM python:3.12-slim\nARG PIP_INDEX_TOKEN=⟦PYPI⟧\nENV SENTRY_AUTH_TOKEN=⟦G⟧\nRUN pip install -r requirements.txt",
)
P("en", "code", "deploy:\n\tcurl -X POST -H 'X-Api-Key: ⟦G⟧' https://deploy.hooks.internal/run\n\t@echo done")
P("en", "config", "# gradle.properties\norg.gradle.jvmargs=-Xmx2g\nsigningPassword=⟦GP⟧\nossrhToken=⟦G⟧")
P(
    "en",
    "config",
    '<resources>\n    <string name="app_name">Ledger</string>\n    <string name="google_api_key">⟦AIZA⟧</string>\n</resources>',
)
P(
    "en",
    "config",
    "<key>APIClientSecret</key>\n<string>⟦G⟧</string>\n<key>CFBundleVersion</key>\n<string>1.4.2.7</string>",
)
P(
    "en",
    "code",
    "pipeline {\n  environment {\n    REGISTRY_PASS = '⟦GP⟧'\n  }\n  stages { stage('push') { steps { sh 'docker push app' } } }\n}",
)
P("en", "code", 'Sys.setenv(OPENAI_API_KEY = "⟦OPENAI⟧")\nlibrary(ellmer)')
P("en", "code", 'ENV["HF_TOKEN"] = "⟦HF⟧"\nusing HuggingFaceApi')
P(
    "en",
    "code",
    'config :my_app, MyApp.Mailer,\n  adapter: Swoosh.Adapters.Mailgun,\n  api_key: "⟦MAILGUN⟧",\n  domain: "mg.ledger.app"',
)
P("en", "code", 'main = do\n  let token = "⟦GHP⟧"\n  runGitHub (OAuth token) currentUser')
P("en", "code", "final dio = Dio(BaseOptions(headers: {'Authorization': 'Bearer ⟦SV⟧'}));")
P("en", "csv", "key\tvalue\tenv\nstripe_secret\t⟦STRIPE⟧\tprod\ngh_token\t⟦GHP⟧\tci\nslack\t⟦SLACKB⟧\tprod")
P("en", "http", "HTTP/1.1 200 OK\nSet-Cookie: session=⟦G⟧; Path=/; HttpOnly; Secure\nContent-Type: text/html")
P("en", "http", "> GET /private/export HTTP/1.1\n> Host: api.ledger.app\n> X-API-Key: ⟦G⟧\n< HTTP/1.1 200 OK")
P("ru", "config", "# настройки бота\nтокен: ⟦TG⟧\nадмин: ⟦E⟧")
P("de", "chat", "Hier der Zugangsschlüssel für die Staging-API: ⟦G⟧ – bitte nicht weitergeben.")
P("ja", "config", "# 本番環境\nトークン：⟦G⟧\nシークレット：⟦GP⟧")
P("ko", "config", "# 운영 서버\n접속키=⟦AWS⟧\n비밀키=⟦GB⟧")
P("fr", "config", "[base]\nutilisateur = compta\nmot_de_passe = ⟦GP⟧\njeton = ⟦G⟧")
P("es", "log", "⟦TS⟧ ERROR autenticación fallida con token=⟦GLPAT⟧ desde ⟦I4⟧")
P("pl", "config", "# konfiguracja\nuzytkownik=admin\nhaslo=⟦GP⟧\nklucz_api=⟦G⟧")
P("tr", "chat", "sunucu şifresi ⟦GP⟧, kimseye söyleme")
P("uk", "email", "Ваш тимчасовий пароль: ⟦GP⟧\nAPI-ключ: ⟦G⟧")
P("el", "email", "Ο προσωρινός κωδικός σας είναι ⟦GP⟧. Κλειδί API: ⟦G⟧")
P("he", "email", "הסיסמה הזמנית שלך: ⟦GP⟧\nמפתח API: ⟦G⟧")
P("vi", "config", "# cấu hình\nmat_khau=⟦GP⟧\nkhoa_api=⟦G⟧")
P("id", "config", "# konfigurasi database\nkata_sandi = ⟦GP⟧\nkunci_api = ⟦G⟧")
P("nl", "chat", "het wachtwoord van de NAS is ⟦GP⟧, niet delen aub")
P("it", "config", "# credenziali\nutente = magazzino\npassword = ⟦GP⟧\nchiave_api = ⟦G⟧")
P("pt", "log", "⟦TS⟧ ERRO falha de autenticação token=⟦JWT⟧ ip=⟦I4⟧")
P("sv", "config", "# inställningar\nanvändare=lager\nlösenord=⟦GP⟧")
P("cs", "config", "uzivatel = sklad\nheslo = ⟦GP⟧\napi_klic = ⟦G⟧")
P("en", "latex", "\\begin{tabular}{ll}\nContact & \\texttt{⟦E⟧} \\\\\nServer & \\texttt{⟦I4⟧} \\\\\n\\end{tabular}")
P("en", "notebook", "In [7]: !curl -s -u admin:⟦GP⟧ http://⟦I4⟧:9200/_cat/indices\nOut[7]: green open logs-2025.03 ...")
P("en", "sql", "COPY (SELECT email FROM users) TO '/tmp/x.csv';\n-- leaked row: ⟦E⟧, ⟦I4⟧, ⟦CS⟧")
P(
    "en",
    "forum",
    "Got this phishing mail from ⟦E⟧, the link points to http://⟦I4⟧/secure/login.php — reported to abuse.",
)

# --- more hard negatives
N("version_number", "en", "log", "⟦TS⟧ agent/⟦VER⟧ (build ⟦VER⟧) started; kernel 6.8.0-45-generic")
N("version_number", "ja", "prose", "推奨バージョン：⟦VER⟧以降（⟦VER⟧は非対応）")
N("oid_section", "zh", "prose", "依据第3.1.2.4条及附录2.2.1.5的规定执行。")
N("reserved_email", "zh", "chat", "测试账号用⟦NE⟧就行，别用真实邮箱")
N("reserved_email", "ar", "prose", "مثال: ⟦NE⟧ هو عنوان تجريبي.")
N("private_ip", "th", "prose", "เข้าหน้าตั้งค่าเราเตอร์ที่⟦NIP⟧ได้เลย")
N("private_ip", "hi", "prose", "राउटर का पता ⟦NIP⟧ है।")
N("placeholder_secret", "th", "prose", "ใส่คีย์ API ของคุณแทน ⟦PH⟧")
N("placeholder_secret", "he", "prose", "החליפו את ⟦PH⟧ במפתח שלכם.")
N("low_entropy_value", "ko", "prose", "기본 비밀번호는 ⟦LOW⟧ 입니다. 꼭 변경하세요.")
N("low_entropy_value", "el", "prose", "Ο προεπιλεγμένος κωδικός είναι ⟦LOW⟧.")
N("luhn_invalid_card", "ar", "prose", "رقم البطاقة ⟦NCC⟧ غير صالح.")
N("luhn_invalid_card", "he", "prose", "מספר הכרטיס ⟦NCC⟧ שגוי.")
N("masked_card", "ko", "prose", "결제 카드: ⟦NCM⟧")
N("masked_card", "th", "prose", "ชำระด้วยบัตร ⟦NCM⟧ เรียบร้อยแล้ว")
N("hash_checksum", "ko", "prose", "파일 해시(SHA-256): ⟦SHA256⟧")
N("uuid_identifier", "ru", "log", "⟦TS⟧ идентификатор запроса ⟦UUID⟧")
N("random_id_unlabelled", "ko", "prose", "주문번호: ⟦RID⟧")
N("env_reference", "ru", "config", "# пароль берётся из окружения\npassword: ⟦ENV⟧")
N("key_name_only", "es", "prose", "Define la variable ⟦KEY⟧ antes de ejecutar el script.")
N("public_key_cert", "ru", "prose", "Добавьте мой публичный ключ:\n⟦SSHPUB⟧")
N("redacted_secret", "es", "prose", "La clave se muestra truncada: ⟦RED⟧")
N("special_ip", "ru", "prose", "Сервис слушает 0.0.0.0:8080, а широковещательный адрес — 255.255.255.255.")
N("documentation_ip", "ko", "prose", "예시 주소 ⟦NID⟧를 실제 서버 IP로 바꾸세요.")


# ============================================================================= build + validate
RESERVED_EMAIL = (".example.com", ".example.org", ".example.net", ".test", ".invalid", ".example", ".localhost")
BRAND_OK = re.compile(
    r"^(4\d{15}|5[1-5]\d{14}|2(2[2-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}|3[47]\d{13}|6011\d{12}|65\d{14}"
    r"|64[4-9]\d{13}|35(2[89]|[3-8]\d)\d{12}|3[68]\d{12}|30[0-5]\d{11}|62\d{14})$"
)
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IPV4_RE = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
DIGITS_RE = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
VENDOR_RE = re.compile(
    r"AKIA[A-Z2-7]{16}|ASIA[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_|glpat-[A-Za-z0-9_-]{20}"
    r"|xox[bpas]-\d|sk_live_[A-Za-z0-9]{10,}|rk_live_|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|sk-[A-Za-z0-9]{20,}|sk-proj-|sk-ant-|npm_[A-Za-z0-9]{36}|dckr_pat_|hvs\.[A-Za-z0-9]{20}"
    r"|hf_[A-Za-z]{30,}|SG\.[A-Za-z0-9_-]{20}|shpat_|dop_v1_|pypi-AgE|BEGIN [A-Z ]*PRIVATE KEY"
)


def policy_check(rec: dict) -> list[str]:
    text, spans, problems = rec["text"], rec["spans"], []
    covered = [(s["start"], s["end"]) for s in spans]

    def inside(a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in covered)

    for s in spans:
        v = text[s["start"] : s["end"]]
        if v != v.strip() or not v:
            problems.append(f"whitespace span {v!r}")
        if s["entity"] == "EMAIL_ADDRESS":
            dom = v.rsplit("@", 1)[1].lower()
            if ("." + dom).endswith(RESERVED_EMAIL) or dom in (
                "example.com",
                "example.org",
                "example.net",
                "localhost",
            ):
                problems.append(f"reserved email {v}")
        elif s["entity"] == "IP_ADDRESS":
            a = ipaddress.ip_address(v)
            if not a.is_global or a.is_multicast or a.is_reserved:
                problems.append(f"non-global ip {v}")
        elif s["entity"] == "CREDIT_CARD":
            d = re.sub(r"[ -]", "", v)
            if not (luhn_ok(d) and BRAND_OK.match(d)):
                problems.append(f"bad card {v}")
    for m in EMAIL_RE.finditer(text):
        dom = m.group().rsplit("@", 1)[1].lower()
        if inside(m.start(), m.end()):
            continue
        if ("." + dom).endswith(RESERVED_EMAIL) or (
            dom.split(".")[-1] in ("png", "webp", "jpg", "service", "local", "docx", "io")
            and "@" in m.group()
            and re.search(r"@\d", m.group())
        ):
            continue
        if ("." + dom).endswith(RESERVED_EMAIL) or dom.split(".")[-1] in (
            "png",
            "webp",
            "jpg",
            "service",
            "local",
            "docx",
        ):
            continue
        # URL credentials user:pass@host are not mailboxes; check the left context
        left = text[max(0, m.start() - 40) : m.start() + 1]
        if "://" in left or re.search(r"[:@]\S*$", text[max(0, m.start() - 60) : m.start()]):
            continue
        if not any(s <= m.start() < e for s, e in covered):
            problems.append(f"unlabelled email-like {m.group()}")
    for m in IPV4_RE.finditer(text):
        try:
            a = ipaddress.ip_address(m.group())
        except ValueError:
            continue
        if a.is_global and not a.is_multicast and not a.is_reserved and not inside(m.start(), m.end()):
            if (
                rec["category"] not in ("version_number", "oid_section")
                and "ersion" not in text[max(0, m.start() - 40) : m.start()]
            ):
                problems.append(f"unlabelled global ip {m.group()}")
    for m in DIGITS_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group())
        if luhn_ok(d) and BRAND_OK.match(d) and not inside(m.start(), m.end()):
            problems.append(f"unlabelled card {m.group()}")
    for m in VENDOR_RE.finditer(text):
        tail = text[m.start() : m.start() + 45]
        if "XXXX" in tail or "xxxx" in tail or "EXAMPLE" in tail:  # placeholders / documented example keys
            continue
        if not inside(m.start(), m.end()):
            problems.append(f"unlabelled vendor-like {m.group()[:30]}")
    return problems


def build() -> list[dict]:
    records: list[dict] = []
    seen: set[str] = set()
    for ti, (cat, lang, ctx, tpl) in enumerate(TEMPLATES):
        n_inst = 2 if PH_RE.search(tpl) else 1
        if cat == "positive" and lang != "en":
            n_inst = 2
        for k in range(n_inst):
            rng = random.Random(SEED * 1000003 + ti * 101 + k)
            for _attempt in range(5):
                text, spans = fill(tpl, rng)
                if text not in seen:
                    break
            if text in seen:
                continue
            seen.add(text)
            spans.sort(key=lambda s: s["start"])
            records.append(
                {
                    "id": f"t6-{ti:03d}-{k}",
                    "text": text,
                    "lang": lang,
                    "context": ctx,
                    "category": "positive" if spans else cat,
                    "spans": spans,
                    "_tpl": ti,
                }
            )
    return records


def validate(records: list[dict]) -> None:
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    bad = 0
    for r in records:
        prev_end = -1
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"]), r["id"]
            assert s["start"] >= prev_end, f"overlap in {r['id']}"
            prev_end = s["end"]
            assert s["entity"] in ("EMAIL_ADDRESS", "IP_ADDRESS", "CREDIT_CARD", "SECRET")
        if r["category"] == "positive":
            assert r["spans"], r["id"]
        else:
            assert not r["spans"], r["id"]
        for p in policy_check(r):
            bad += 1
            print(f"POLICY {r['id']} [{r['category']}]: {p}", file=sys.stderr)
    assert bad == 0, f"{bad} policy problems"


def main() -> None:
    records = build()
    validate(records)
    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            r = {k: v for k, v in r.items() if not k.startswith("_")}
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    ents = Counter(s["entity"] for r in records for s in r["spans"])
    cats = Counter(r["category"] for r in records)
    langs = Counter(r["lang"] for r in records)
    ctxs = Counter(r["context"] for r in records)
    non_en = sum(v for k, v in langs.items() if k != "en") / len(records)
    print(
        f"records={len(records)} templates={len({r['_tpl'] for r in records})} spans={sum(ents.values())} "
        f"non_en={non_en:.1%}"
    )
    print("entities", dict(ents))
    print("categories", dict(cats.most_common()))
    print("langs", dict(langs.most_common()))
    print("contexts", dict(ctxs.most_common()))


if __name__ == "__main__":
    main()
