#!/usr/bin/env python3
"""Generator for PII/secret-detector test set 28 (blind, final).

What it does
------------
Builds ``pii_testset28.jsonl`` next to this script: about 1200 labelled
records that imitate what a web-scale pretraining corpus contains, roughly in
corpus proportions:

* web pages, blogs, forums, Q&A, docs, READMEs           (group "web",  ~30 %)
* source code, config, notebooks, CI/infra, diffs        (group "code", ~30 %)
* e-mails, chats, tickets, notes, shared docs in 30+
  natural languages (Latin and non-Latin scripts)        (group "comms", ~25 %)
* logs, shell sessions, HTTP traffic, data dumps         (group "logs", ~15 %)

Every template was written by hand for this file.  A template is a text with
placeholders ``⟪kind⟫`` (optionally ``⟪kind:arg⟫``, ``⟪kind|name⟫`` to
remember a value and ``⟪=name⟫`` to repeat it).  Each placeholder is filled by
a seeded random generator (``random.Random(282828)``, standard library only),
so every value (keys, tokens, passwords, card numbers, addresses, names) is
fake and freshly generated.  While the text is assembled the offsets of the
labelled values are recorded directly (never searched for afterwards).

Entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET, following the
labelling guide of the brief (span = value only; no ``Bearer ``/``Basic ``/
``base64:`` prefixes; for ``user:password`` only the password; whole JWTs,
whole private-key blocks).  Hard-negative records (category != "positive")
contain look-alikes that must not be labelled: private/loopback/doc IPs,
example-domain e-mails, Luhn-invalid or masked cards, publishable keys,
client IDs, CSRF tokens, nonces, hashes, digests, wallet addresses, vendor
documentation example keys, placeholders, env-var references, and so on.

Checks (all fatal, ``assert``/``SystemExit``)
-------------------------------------------
* ``text[start:end]`` equals the inserted value for every span;
* spans are sorted, inside the text and never overlap;
* every IP_ADDRESS span parses and is public (``is_global``, not multicast,
  not in 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32);
* every CREDIT_CARD span passes Luhn and has a real brand prefix/length
  (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay);
* every EMAIL_ADDRESS span has a non-reserved domain;
* every SECRET span avoids documentation markers (EXAMPLE, xxxx, your_);
  labelled passwords do not start with a symbol nor end in . , ! ? : ;
* ids are unique, no text occurs twice, positives have >= 1 span and
  negatives have none;
* a simple independent scanner is run over every negative text and over the
  unlabelled parts of every positive text (labelled spans blanked out); it must
  find no public IPv4 address, no Luhn-valid brand-prefixed card number
  (13-19 digits, optionally separated by single spaces/dashes) and no e-mail
  address on a non-reserved domain.  There is no category-specific exception.
  If a random draw happens to trip the scanner (e.g. two unrelated numbers that
  join into a Luhn-valid digit run) the record is redrawn; a template that keeps
  failing is a fatal error.
* corpus-level targets of the brief (record count, span counts per entity,
  number of negative categories, languages, templates, vendor formats).

Run ``python3 make_testset28.py``; it writes the JSONL file and prints a
summary.
"""

import base64
import collections
import ipaddress
import json
import os
import re
import string
import sys
import random

SEED = 282828
R = random.Random(SEED)

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DI = string.digits
AN = UP + LO + DI
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
CROCK = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def rs(n, alpha=AN):
    return "".join(R.choice(alpha) for _ in range(n))


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64(n):
    return base64.b64encode(rbytes(n)).decode()


def b64url_nopad(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


# --------------------------------------------------------------------------
# people, domains
# --------------------------------------------------------------------------
FIRST = [
    "Anna",
    "Lukas",
    "Sofia",
    "Mateo",
    "Emma",
    "Noah",
    "Mia",
    "Elias",
    "Lea",
    "Jonas",
    "Chloe",
    "Hugo",
    "Lucia",
    "Marco",
    "Giulia",
    "Pedro",
    "Ines",
    "Sven",
    "Freya",
    "Mikko",
    "Aino",
    "Kasia",
    "Tomasz",
    "Petr",
    "Zuzana",
    "Bence",
    "Ioana",
    "Emre",
    "Elif",
    "Dmitri",
    "Olena",
    "Yuki",
    "Haruto",
    "Minjun",
    "Jiwoo",
    "Wei",
    "Mei",
    "Arjun",
    "Priya",
    "Omar",
    "Layla",
    "Noa",
    "Amir",
    "Thanh",
    "Siti",
    "Juma",
    "Carlos",
    "Valentina",
    "Liam",
    "Olivia",
    "Ethan",
    "Grace",
    "Ravi",
    "Nadia",
    "Tariq",
    "Lars",
    "Ingrid",
    "Jakub",
    "Marta",
    "Dario",
]
LAST = [
    "Keller",
    "Moreau",
    "Rossi",
    "Garcia",
    "Silva",
    "Jansen",
    "Lindqvist",
    "Virtanen",
    "Nowak",
    "Novak",
    "Horvath",
    "Popescu",
    "Yilmaz",
    "Ivanov",
    "Kovalenko",
    "Tanaka",
    "Sato",
    "Kim",
    "Park",
    "Chen",
    "Wang",
    "Sharma",
    "Patel",
    "Haddad",
    "Cohen",
    "Nguyen",
    "Santoso",
    "Mwangi",
    "Reyes",
    "Fischer",
    "Dubois",
    "Bianchi",
    "Fernandez",
    "Oliveira",
    "de Vries",
    "Berg",
    "Hansen",
    "Nielsen",
    "Kowalski",
    "Dvorak",
    "Szabo",
    "Demir",
    "Petrov",
    "Shevchenko",
    "Yamamoto",
    "Lee",
    "Liu",
    "Gupta",
    "Rahman",
    "Mensah",
    "O'Brien",
    "Murphy",
    "Walsh",
    "Schmidt",
    "Weber",
    "Costa",
    "Marino",
    "Lopez",
    "Eriksson",
]
LNAMES = {
    "ru": ["Дмитрий Иванов", "Анна Смирнова", "Сергей Козлов", "Мария Орлова"],
    "uk": ["Олена Коваленко", "Тарас Шевчук", "Ірина Бондар", "Андрій Мельник"],
    "bg": ["Иван Петров", "Мария Георгиева", "Николай Димитров"],
    "sr": ["Марко Јовановић", "Јелена Петровић", "Стефан Николић"],
    "el": ["Γιώργος Παπαδόπουλος", "Ελένη Νικολάου", "Κώστας Δημητρίου"],
    "ja": ["田中 裕太", "佐藤 花子", "鈴木 健", "高橋 美咲"],
    "zh": ["王伟", "李娜", "张磊", "刘洋"],
    "ko": ["김민준", "이서연", "박지훈", "최유진"],
    "ar": ["عمر حداد", "ليلى منصور", "خالد العلي", "سارة يوسف"],
    "he": ["נועה כהן", "איתי לוי", "מיכל אברהם"],
    "fa": ["امیر رضایی", "مریم احمدی", "علی کریمی"],
    "hi": ["अर्जुन शर्मा", "प्रिया वर्मा", "राहुल गुप्ता"],
    "bn": ["রাহুল রহমান", "তানিয়া ইসলাম", "সাকিব হাসান"],
    "th": ["สมชาย ใจดี", "วิภา ศรีสุข", "ณัฐพล บุญมา"],
    "ka": ["გიორგი ბერიძე", "ნინო კაპანაძე"],
    "hy": ["Արամ Պետրոսյան", "Անի Սարգսյան"],
}
ORGW = [
    "northwind",
    "bluepeak",
    "kestrelsoft",
    "lumenor",
    "harborview",
    "quillworks",
    "vantora",
    "orbisys",
    "tidewell",
    "maplecrest",
    "stonebridge-it",
    "fernhill",
    "coralbyte",
    "zephyrion",
    "pinegate",
    "silverlake-data",
    "solvara",
    "ardentia",
    "meridio",
    "kobaltweb",
    "brightmoor",
    "alpenlogic",
    "nordhavn",
    "rivermint",
    "cobaltcrane",
    "sunfield-labs",
    "velatrix",
    "grauwerk",
    "tessaro",
    "lindenhof-gmbh",
    "okapi-systems",
    "marisol-tech",
    "ironleaf",
    "halcyra",
    "tundrapoint",
    "oakspire",
    "quantivo",
    "redfernhq",
    "skyloom",
    "vireo-health",
    "parcelnest",
    "cinderpath",
    "glimmerstack",
    "hollowbrook",
    "jadeport",
    "kitecloud",
]
TLDS = [
    "com",
    "net",
    "org",
    "io",
    "de",
    "fr",
    "es",
    "it",
    "nl",
    "se",
    "pl",
    "cz",
    "co.uk",
    "com.br",
    "jp",
    "co.kr",
    "ru",
    "in",
    "com.au",
    "ch",
    "at",
    "be",
    "dk",
    "fi",
    "no",
    "pt",
    "gr",
    "com.tr",
    "ro",
    "hu",
    "vn",
    "co.id",
    "co.za",
    "mx",
    "ie",
    "ca",
    "eu",
    "dev",
    "app",
    "tech",
    "cloud",
    "ua",
    "cn",
    "co.il",
    "ae",
    "my",
    "ph",
    "ke",
    "sk",
    "lt",
    "ee",
    "lv",
    "hr",
    "si",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "gmx.de",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "163.com",
    "naver.com",
    "yahoo.co.jp",
    "orange.fr",
    "libero.it",
    "wp.pl",
    "seznam.cz",
    "proton.me",
    "icloud.com",
    "ukr.net",
    "t-online.de",
]
WORDS = [
    "copper",
    "lantern",
    "orbit",
    "maple",
    "harbor",
    "violet",
    "granite",
    "pepper",
    "falcon",
    "willow",
    "ember",
    "canyon",
    "velvet",
    "cobalt",
    "meadow",
    "thistle",
    "quartz",
    "saffron",
    "tundra",
    "marble",
    "juniper",
    "pebble",
    "rocket",
    "sable",
    "walnut",
    "zephyr",
    "cactus",
    "harvest",
    "lagoon",
    "nimbus",
    "otter",
    "prairie",
    "raven",
    "summit",
    "timber",
    "umber",
]
USERS = [
    "jdoe",
    "m.keller",
    "deploy",
    "svc_backup",
    "ops-bot",
    "admin_eu",
    "kasia.n",
    "tanaka_y",
    "ravi.g",
    "ci-runner",
    "app_user",
    "reporting",
    "webmaster",
    "dev01",
    "lmoreau",
    "sysop",
    "etl_loader",
    "grafana",
    "jenkins",
    "n.cohen",
    "omar_h",
    "petr.d",
    "svc-payments",
]
HOSTS = [
    "web-01",
    "web-02",
    "api-03",
    "db-primary",
    "db-replica-2",
    "cache-01",
    "bastion",
    "worker-7",
    "edge-fra-1",
    "lb-ams-2",
    "build-04",
    "mail-01",
    "vpn-gw",
    "k8s-node-5",
    "ingest-2",
    "etl-01",
    "gitlab-runner-3",
    "nas01",
    "pve-02",
    "monitor",
]


def asciify(s):
    return re.sub(r"[^a-z]", "", s.lower())


def person():
    return R.choice(FIRST), R.choice(LAST)


def org_domain():
    return R.choice(ORGW) + "." + R.choice(TLDS)


def email_value(kind=""):
    f, l = person()
    f, l = asciify(f), asciify(l)
    if kind == "free" or (not kind and R.random() < 0.25):
        dom = R.choice(FREEMAIL)
        local = R.choice(
            [
                f + "." + l + str(R.randint(1, 99)),
                f + l + str(R.randint(70, 2005)),
                f[0] + l + str(R.randint(10, 999)),
                f + "_" + l + str(R.randint(1, 9)),
            ]
        )
    else:
        dom = org_domain()
        if kind == "role" or (not kind and R.random() < 0.12):
            local = R.choice(
                [
                    "billing",
                    "support",
                    "info",
                    "hr",
                    "security",
                    "accounts",
                    "sales",
                    "it-helpdesk",
                    "office",
                    "noc",
                    "dpo",
                    "invoices",
                    "press",
                ]
            )
        else:
            local = R.choice([f + "." + l, f[0] + l, f + "_" + l, f, f + "." + l[0], l + "." + f])
    return local + "@" + dom


RESERVED_EMAIL_SUFFIX = (".test", ".invalid", ".localhost", ".example")
RESERVED_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


def email_reserved(dom):
    d = dom.lower().rstrip(".")
    if d.endswith(RESERVED_EMAIL_SUFFIX) or d in ("test", "invalid", "localhost", "example"):
        return True
    return any(d == r or d.endswith("." + r) for r in RESERVED_EMAIL_DOMAINS)


def ex_email():
    f, l = person()
    f, l = asciify(f), asciify(l)
    dom = R.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example",
            "corp.test",
            "shop.invalid",
            "dev.localhost",
            "mailer.example.com",
            "qa.example.org",
        ]
    )
    return (
        R.choice(
            [f, f + "." + l, "user" + str(R.randint(1, 99)), "alice", "bob", "test", "no-reply", "jane.doe", "admin"]
        )
        + "@"
        + dom
    )


# --------------------------------------------------------------------------
# IP addresses
# --------------------------------------------------------------------------
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public(s):
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return False
    if any(ip in n for n in DOC_NETS if n.version == ip.version):
        return False
    return (
        ip.is_global
        and not ip.is_multicast
        and not ip.is_private
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_unspecified
        and not ip.is_reserved
    )


def pub_ip4():
    while True:
        s = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if ip_public(s):
            return s


def pub_ip6():
    while True:
        first = R.choice(
            [
                "2a01",
                "2a02",
                "2a03",
                "2a05",
                "2604",
                "2607",
                "2620",
                "2800",
                "2c0f",
                "2400",
                "2401",
                "2403",
                "2405",
                "2406",
                "240e",
                "2a00",
                "2a0b",
                "2001",
            ]
        )
        n = R.randint(3, 8)
        parts = [first] + ["%x" % R.randint(0, 0xFFFF) for _ in range(n - 1)]
        if n < 8:
            s = (
                ":".join(parts[:3]) + "::" + ":".join(parts[3:])
                if n > 3
                else ":".join(parts) + "::" + "%x" % R.randint(1, 0xFFF)
            )
        else:
            s = ":".join(parts)
        s = str(ipaddress.ip_address(s))
        if ip_public(s) and not s.startswith("2001:0") and not s.startswith("2001::"):
            return s


def priv_ip4():
    c = R.randint(0, 2)
    if c == 0:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    if c == 1:
        return "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254))
    return "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254))


def doc_ip4():
    return R.choice(["192.0.2", "198.51.100", "203.0.113"]) + ".%d" % R.randint(1, 254)


# --------------------------------------------------------------------------
# payment cards
# --------------------------------------------------------------------------
def luhn_ok(d):
    tot = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        tot += n
    return tot % 10 == 0


def luhn_digit(partial):
    for c in DI:
        if luhn_ok(partial + c):
            return c


def card_brand(d):
    """Return brand name if digit string d has a real brand prefix and length."""
    n = len(d)
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and n in (14, 16):
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    return None


def card_digits(brand=None, valid=True):
    brand = brand or R.choice(
        ["visa", "visa", "visa", "mastercard", "mastercard", "amex", "discover", "jcb", "diners", "unionpay"]
    )
    if brand == "visa":
        pre, n = "4", 16
    elif brand == "mastercard":
        pre, n = R.choice([str(R.randint(51, 55)), str(R.randint(2221, 2720))]), 16
    elif brand == "amex":
        pre, n = R.choice(["34", "37"]), 15
    elif brand == "discover":
        pre, n = R.choice(["6011", "65", str(R.randint(644, 649))]), 16
    elif brand == "jcb":
        pre, n = str(R.randint(3528, 3589)), 16
    elif brand == "diners":
        pre, n = R.choice(["36", "38", str(R.randint(300, 305))]), 14
    else:
        pre, n = "62" + str(R.randint(0, 9)) + "0", 16
        if 622126 <= int((pre + "00")[:6]) <= 622925:
            pre = "6280"
    body = pre + rs(n - len(pre) - 1, DI)
    c = luhn_digit(body)
    if not valid:
        c = str((int(c) + R.randint(1, 9)) % 10)
    return body + c


def card_format(d, style=None):
    style = style or R.choice(["plain", "space", "space", "dash"])
    if style == "plain":
        return d
    sep = " " if style == "space" else "-"
    n = len(d)
    if n == 15:
        g = [4, 6, 5]
    elif n == 14:
        g = [4, 6, 4]
    else:
        g = [4] * (n // 4) + ([n % 4] if n % 4 else [])
    out, i = [], 0
    for k in g:
        out.append(d[i : i + k])
        i += k
    return sep.join(out)


# --------------------------------------------------------------------------
# secrets
# --------------------------------------------------------------------------
PW_SYM = "!#%*+-=?_~^"
BAD_END = ".,!?:;"


def password(style=""):
    while True:
        if style == "url":
            alpha, syms = AN, "-_~"
        elif style == "alnum":
            alpha, syms = AN, ""
        else:
            alpha, syms = AN, PW_SYM
        mode = R.randint(0, 2)
        if mode == 0:
            n = R.randint(10, 18)
            s = rs(n, alpha + syms * 2 if syms else alpha)
        elif mode == 1:
            sy = [
                "Vor",
                "ta",
                "mek",
                "Lu",
                "rin",
                "Zo",
                "kab",
                "ter",
                "Qui",
                "nel",
                "Dra",
                "vix",
                "pol",
                "Ha",
                "sun",
                "Bre",
                "gat",
                "mo",
                "Xe",
                "fal",
            ]
            s = "".join(R.choice(sy) for _ in range(R.randint(2, 4)))
            s += (R.choice(syms) if syms else "") + str(R.randint(10, 9999))
            s += "".join(R.choice(sy) for _ in range(R.randint(0, 2)))
        else:
            s = rs(4, AN) + (R.choice(syms) if syms else rs(1, DI)) + rs(R.randint(4, 9), AN)
        if not (8 <= len(s) <= 40):
            continue
        if s[0] not in AN or s[-1] in BAD_END or s[-1] not in AN + "#%*+-=_~^":
            continue
        cls = sum([any(c in LO for c in s), any(c in UP for c in s), any(c in DI for c in s)])
        if cls < 2:
            continue
        if "xxxx" in s.lower() or "example" in s.lower():
            continue
        return s


def passphrase():
    sep = R.choice(["-", ".", "_", "+"])
    w = [R.choice(WORDS) for _ in range(R.randint(3, 4))]
    if R.random() < 0.4:
        w[R.randrange(len(w))] = w[0].capitalize()
    w.insert(R.randint(1, len(w)), str(R.randint(2, 999)))
    return sep.join(w)


def alnum_pin():
    while True:
        s = rs(R.randint(6, 8), R.choice([UP + DI, LO + DI, AN]))
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def jwt(alg=None):
    alg = alg or R.choice(["HS256", "RS256", "ES256", "HS512"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg.startswith(("RS", "ES")):
        hdr["kid"] = rs(12, AN)
    iat = R.randint(1650000000, 1740000000)
    pl = R.choice(
        [
            {"sub": str(R.randint(10000, 9999999)), "iat": iat, "exp": iat + 3600},
            {
                "sub": "%s-%s" % (rs(8, HEX), rs(4, HEX)),
                "role": R.choice(["admin", "service_role", "user"]),
                "iss": "auth",
                "iat": iat,
            },
            {"user_id": R.randint(1, 500000), "scope": "read write", "exp": iat + 86400},
            {"aud": "api", "sub": rs(20, AN), "iat": iat, "exp": iat + 900, "tenant": rs(6, LO)},
        ]
    )
    sig_len = {"HS256": 32, "HS512": 64, "RS256": 256, "ES256": 64}[alg]
    return ".".join(
        [
            b64url_nopad(json.dumps(hdr, separators=(",", ":")).encode()),
            b64url_nopad(json.dumps(pl, separators=(",", ":")).encode()),
            b64url_nopad(rbytes(sig_len)),
        ]
    )


def pem_block(kind=None, nl="\n"):
    kind = kind or R.choice(["rsa", "ec", "pkcs8", "openssh"])
    if kind == "rsa":
        label, pre, n = "RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", R.randint(900, 1600)
    elif kind == "ec":
        label, pre, n = "EC PRIVATE KEY", "MHcCAQEEI", 160
    elif kind == "pkcs8":
        label, pre, n = "PRIVATE KEY", "MIIEvgIBADANBgkqhkiG9w0BAQEFAASC", R.randint(900, 1600)
    else:
        label, pre, n = (
            "OPENSSH PRIVATE KEY",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            R.randint(300, 420),
        )
    body = pre + rs(n - len(pre), B64)
    body += "=" * ((-len(body)) % 4) if kind != "openssh" else ""
    lw = 70 if kind == "openssh" else 64
    lines = [body[i : i + lw] for i in range(0, len(body), lw)]
    return nl.join(["-----BEGIN %s-----" % label] + lines + ["-----END %s-----" % label])


def pub_block(kind=None):
    kind = kind or R.choice(["pub", "cert", "pgp"])
    if kind == "pub":
        label, body = "PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + rs(348, B64) + "IDAQAB"
    elif kind == "cert":
        label, body = "CERTIFICATE", "MIIDdzCCAl+gAwIBAgIE" + rs(R.randint(900, 1200), B64)
    else:
        label, body = "PGP PUBLIC KEY BLOCK", "mQINBG" + rs(R.randint(600, 900), B64)
    body += "=" * ((-len(body)) % 4)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    if kind == "pgp":
        lines = [""] + lines + ["=" + rs(4, B64)]
    return "\n".join(["-----BEGIN %s-----" % label] + lines + ["-----END %s-----" % label])


def uuid4():
    h = rs(32, HEX)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def b64_alnum_start(n):
    while True:
        v = b64(n)
        if v[0] in AN:
            return v


def wg_key():
    return base64.b64encode(rbytes(32)).decode()


# Real vendor token formats (values are random).
VENDORS = {
    "ghp": lambda: "ghp_" + rs(36),
    "github_pat": lambda: "github_pat_11" + rs(20, UP + DI) + "_" + rs(59),
    "gho": lambda: "gho_" + rs(36),
    "ghu": lambda: "ghu_" + rs(36),
    "ghs": lambda: "ghs_" + rs(36),
    "ghr": lambda: "ghr_" + rs(36),
    "glpat": lambda: "glpat-" + rs(1) + rs(19, B64U),
    "glrt": lambda: "glrt-" + rs(1) + rs(19, B64U),
    "glptt": lambda: "glptt-" + rs(40, HEX),
    "xoxb": lambda: "xoxb-%s-%s-%s" % (rs(11, DI), rs(13, DI), rs(24)),
    "xoxp": lambda: "xoxp-%s-%s-%s-%s" % (rs(11, DI), rs(11, DI), rs(13, DI), rs(32, HEX)),
    "xapp": lambda: "xapp-1-A%s-%s-%s" % (rs(10, UP + DI), rs(13, DI), rs(64, HEX)),
    "slack_webhook": lambda: "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(8, UP + DI), rs(10, UP + DI), rs(24)),
    "sk_live": lambda: "sk_live_51" + rs(96),
    "sk_test": lambda: "sk_test_51" + rs(96),
    "rk_live": lambda: "rk_live_51" + rs(96),
    "rk_test": lambda: "rk_test_51" + rs(96),
    "whsec": lambda: "whsec_" + rs(32),
    "akia": lambda: "AKIA" + rs(16, B32),
    "asia": lambda: "ASIA" + rs(16, B32),
    "google_api": lambda: "AIza" + rs(35, B64U),
    "gocspx": lambda: "GOCSPX-" + rs(28, B64U),
    "google_refresh": lambda: "1//0" + rs(1) + rs(98, B64U),
    "ya29": lambda: "ya29.a0A" + rs(150, B64U),
    "twilio_sk": lambda: "SK" + rs(32, HEX),
    "sendgrid": lambda: "SG." + rs(22, B64U) + "." + rs(43, B64U),
    "mailgun": lambda: "key-" + rs(32, HEX),
    "mailchimp": lambda: rs(32, HEX) + "-us" + str(R.randint(1, 21)),
    "openai": lambda: "sk-proj-" + rs(64, B64U) + "T3BlbkFJ" + rs(64, B64U),
    "openai_legacy": lambda: "sk-" + rs(20) + "T3BlbkFJ" + rs(20),
    "anthropic": lambda: "sk-ant-api03-" + rs(93, B64U) + "AA",
    "openrouter": lambda: "sk-or-v1-" + rs(64, HEX),
    "hf": lambda: "hf_" + rs(34, UP + LO),
    "npm": lambda: "npm_" + rs(36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs(R.randint(70, 120), B64U),
    "shpat": lambda: "shpat_" + rs(32, HEX),
    "shpss": lambda: "shpss_" + rs(32, HEX),
    "discord": lambda: (
        b64url_nopad(str(R.randint(10**17, 10**18 - 1)).encode()) + "." + rs(6, B64U) + "." + rs(38, B64U)
    ),
    "telegram": lambda: "%d:AA%s" % (R.randint(1000000000, 8999999999), rs(33, B64U)),
    "dop": lambda: "dop_v1_" + rs(64, HEX),
    "doppler": lambda: "dp.st." + R.choice(["prd", "dev", "stg"]) + "." + rs(40),
    "azure_storage": lambda: rs(86, B64) + "==",
    "azure_ad": lambda: rs(3) + rs(1, DI) + "Q~" + rs(30, AN + "_~.-") + rs(1),
    "nrak": lambda: "NRAK-" + rs(27, UP + DI),
    "sntryu": lambda: "sntryu_" + rs(64, HEX),
    "atlassian": lambda: "ATATT3xFfGF0" + rs(170, B64U) + "=" + rs(8, HEX.upper()),
    "linear": lambda: "lin_api_" + rs(40),
    "postman": lambda: "PMAK-" + rs(24, HEX) + "-" + rs(34, HEX),
    "glc": lambda: "glc_eyJvIjoi" + rs(100) + "In19",
    "glsa": lambda: "glsa_" + rs(32) + "_" + rs(8, HEX),
    "hvs": lambda: "hvs.CAESI" + rs(R.randint(80, 100), B64U),
    "tfc": lambda: rs(14) + ".atlasv1." + rs(67),
    "pulumi": lambda: "pul-" + rs(40, HEX),
    "databricks": lambda: "dapi" + rs(32, HEX),
    "figma": lambda: "figd_" + rs(40, B64U),
    "notion": lambda: "ntn_" + rs(46),
    "airtable": lambda: "pat" + rs(14) + "." + rs(64, HEX),
    "dropbox": lambda: "sl.B" + rs(135, B64U),
    "square": lambda: "EAAA" + rs(60, B64U),
    "square_secret": lambda: "sq0csp-" + rs(43, B64U),
    "pscale": lambda: "pscale_tok_" + rs(43),
    "pscale_pw": lambda: "pscale_pw_" + rs(43),
    "supabase": lambda: "sbp_" + rs(40, HEX),
    "age": lambda: "AGE-SECRET-KEY-1" + rs(58, BECH.upper()),
    "adafruit": lambda: "aio_" + rs(28),
    "facebook": lambda: "EAAG" + rs(R.randint(150, 190)),
    "mapbox_secret": lambda: "sk.eyJ1Ijoi" + rs(24) + "IiwiYSI6Ij" + rs(24) + "In0." + rs(22, B64U),
    "alibaba": lambda: "LTAI" + rs(20),
    "tailscale": lambda: "tskey-auth-k" + rs(10) + "CNTRL-" + rs(33),
    "replicate": lambda: "r8_" + rs(37),
    "groq": lambda: "gsk_" + rs(52),
    "perplexity": lambda: "pplx-" + rs(48),
    "buildkite": lambda: "bkua_" + rs(40, HEX),
    "rubygems": lambda: "rubygems_" + rs(48, HEX),
    "dockerhub": lambda: "dckr_pat_" + rs(27, B64U),
    "okta": lambda: "00" + rs(40, B64U),
    "shippo": lambda: "shippo_live_" + rs(40, HEX),
    "xai": lambda: "xai-" + rs(80),
    "langsmith": lambda: "lsv2_pt_" + rs(32, HEX) + "_" + rs(10, HEX),
    "posthog_personal": lambda: "phx_" + rs(43),
    "mollie": lambda: "live_" + rs(30),
    "sentry_org": lambda: "sntrys_eyJpYXQiOj" + rs(150, B64U) + "_" + rs(43, B64U),
}
USED_VENDORS = collections.Counter()


def vendor(name=""):
    name = name or R.choice(sorted(VENDORS))
    while True:
        v = VENDORS[name]()
        # keep generic alphabets from ending in sentence punctuation or starting with a symbol
        if (
            v[0] in AN
            and v[-1] not in BAD_END
            and "xxxx" not in v.lower()
            and "example" not in v.lower()
            and "your_" not in v.lower()
        ):
            USED_VENDORS[name] += 1
            return v


def django_key():
    alpha = LO + DI + "!@#%^&*(-_=+)"
    while True:
        s = rs(50, alpha)
        if s[0] in AN and s[-1] in AN:
            return s


# --------------------------------------------------------------------------
# unlabelled look-alikes
# --------------------------------------------------------------------------
def bcrypt_hash():
    return "$2b$%02d$" % R.choice([10, 12, 12, 14]) + rs(53, "./" + AN)


def crypt_hash():
    k = R.choice(["1", "5", "6"])
    salt = rs(R.randint(8, 16), "./" + AN)
    ln = {"1": 22, "5": 43, "6": 86}[k]
    return "$%s$%s$%s" % (k, salt, rs(ln, "./" + AN))


def argon2_hash():
    return "$argon2id$v=19$m=65536,t=3,p=4$%s$%s" % (rs(22, AN + "+/"), rs(43, AN + "+/"))


def cisco_hash(t=None):
    t = t or R.choice(["8", "9"])
    return "$%s$%s$%s" % (t, rs(14, "./" + AN), rs(43, "./" + AN))


def mac():
    return ":".join("%02x" % R.randint(0, 255) for _ in range(6))


def iban():
    cc = R.choice(["DE", "NL", "FR", "ES", "IT", "AT", "BE"])
    bb = {"DE": 18, "NL": 14, "FR": 23, "ES": 20, "IT": 23, "AT": 16, "BE": 12}[cc]
    if cc == "NL":
        body = R.choice(["ABNA", "RABO", "INGB"]) + rs(10, DI)
    elif cc in ("FR", "IT"):
        body = rs(bb, DI + UP[:6] if cc == "IT" else DI)
    else:
        body = rs(bb, DI)
    raw = cc + "%02d" % R.randint(2, 98) + body
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def date():
    return "%d-%02d-%02d" % (R.randint(2019, 2025), R.randint(1, 12), R.randint(1, 28))


def clock():
    return "%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def ts(style="iso"):
    y, mo, d = R.randint(2020, 2025), R.randint(1, 12), R.randint(1, 28)
    t = clock()
    if style == "iso":
        return "%d-%02d-%02dT%s%s" % (y, mo, d, t, R.choice(["Z", ".%03dZ" % R.randint(0, 999), "+00:00"]))
    if style == "clf":
        return "%02d/%s/%d:%s +0000" % (d, MONTHS[mo - 1], y, t)
    if style == "syslog":
        return "%s %2d %s" % (MONTHS[mo - 1], d, t)
    return "%d-%02d-%02d %s" % (y, mo, d, t)


def semver():
    return "%d.%d.%d" % (R.randint(0, 9), R.randint(0, 30), R.randint(0, 40))


def _split_pick(arg):
    return arg.split("¦")


def _int(arg):
    a, b = arg.split("-")
    return str(R.randint(int(a), int(b)))


def lname(arg):
    if arg in LNAMES:
        return R.choice(LNAMES[arg])
    f, l = person()
    return f + " " + l


# kind -> (generator(arg) -> value, entity or None)
S, E, I, C = "SECRET", "EMAIL_ADDRESS", "IP_ADDRESS", "CREDIT_CARD"
GEN = {
    # labelled
    "email": (lambda a: email_value(a), E),
    "ip4": (lambda a: pub_ip4(), I),
    "ip6": (lambda a: pub_ip6(), I),
    "card": (lambda a: card_format(card_digits(a or None), None), C),
    "cardp": (lambda a: card_digits(a or None), C),
    "cards": (lambda a: card_format(card_digits(a or None), "space"), C),
    "pw": (lambda a: password(a), S),
    "phrase": (lambda a: passphrase(), S),
    "pin": (lambda a: alnum_pin(), S),
    "hexsec": (lambda a: rs(int(a or 32), HEX), S),
    "ansec": (lambda a: rs(int(a or 32), AN), S),
    "b64sec": (lambda a: b64_alnum_start(int(a or 32)), S),
    "jwt": (lambda a: jwt(a or None), S),
    "pem": (lambda a: pem_block(a or None), S),
    "pemj": (lambda a: pem_block(a or None, "\\n"), S),
    "k8spw": (lambda a: base64.b64encode(password(a).encode()).decode(), S),
    "wgpriv": (lambda a: b64_alnum_start(32), S),
    "django": (lambda a: django_key(), S),
    "v": (lambda a: vendor(a), S),
    "uuidsec": (lambda a: uuid4(), S),
    "losec": (lambda a: rs(int(a or 32), LO + DI), S),
    "k8skey": (lambda a: base64.b64encode((pem_block(a or "pkcs8") + "\n").encode()).decode(), S),
    # unlabelled
    "exmail": (lambda a: ex_email(), None),
    "pip4": (lambda a: priv_ip4(), None),
    "dip4": (lambda a: doc_ip4(), None),
    "lip4": (lambda a: "127.0.%d.%d" % (R.randint(0, 1), R.randint(1, 9)), None),
    "llip4": (lambda a: "169.254.%d.%d" % (R.randint(1, 254), R.randint(1, 254)), None),
    "cgnat": (lambda a: "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254)), None),
    "mcip": (
        lambda a: "%d.%d.%d.%d" % (R.randint(224, 239), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
        None,
    ),
    "pip6": (
        lambda a: (
            "fd%02x:%x:%x::%x" % (R.randint(0, 255), R.randint(0, 0xFFFF), R.randint(0, 0xFFFF), R.randint(1, 0xFFFF))
        ),
        None,
    ),
    "llip6": (lambda a: "fe80::%x:%x:%x:%x" % tuple(R.randint(0, 0xFFFF) for _ in range(4)), None),
    "dip6": (lambda a: "2001:db8:%x:%x::%x" % (R.randint(0, 0xFFFF), R.randint(0, 0xFFFF), R.randint(1, 0xFFF)), None),
    "badcard": (lambda a: card_format(card_digits(a or None, valid=False), None), None),
    "last4": (lambda a: rs(4, DI), None),
    "name": (lambda a: lname(a), None),
    "first": (lambda a: R.choice(FIRST), None),
    "user": (lambda a: R.choice(USERS) + (str(R.randint(1, 99)) if R.random() < 0.3 else ""), None),
    "host": (lambda a: R.choice(HOSTS), None),
    "domain": (lambda a: org_domain(), None),
    "date": (lambda a: date(), None),
    "clock": (lambda a: clock(), None),
    "ts": (lambda a: ts(a or "iso"), None),
    "int": (lambda a: _int(a), None),
    "hex": (lambda a: rs(int(a), HEX), None),
    "an": (lambda a: rs(int(a), AN), None),
    "lo": (lambda a: rs(int(a), LO + DI), None),
    "uuid": (lambda a: uuid4(), None),
    "k8scert": (lambda a: base64.b64encode(pub_block("cert").encode()).decode(), None),
    "ver": (lambda a: semver(), None),
    "pick": (lambda a: R.choice(_split_pick(a)), None),
    "word": (lambda a: R.choice(WORDS), None),
    "bcrypt": (lambda a: bcrypt_hash(), None),
    "crypt": (lambda a: crypt_hash(), None),
    "argon2": (lambda a: argon2_hash(), None),
    "cisco": (lambda a: cisco_hash(a or None), None),
    "mac": (lambda a: mac(), None),
    "iban": (lambda a: iban(), None),
    "pkpub": (lambda a: "pk_%s_51%s" % (a or R.choice(["live", "test"]), rs(96)), None),
    "mapbox_pk": (lambda a: "pk.eyJ1Ijoi" + rs(20) + "IiwiYSI6Ij" + rs(24) + "In0." + rs(22, B64U), None),
    "gclient": (lambda a: "%s-%s.apps.googleusercontent.com" % (rs(12, DI), rs(32, LO + DI)), None),
    "recaptcha": (lambda a: "6L" + rs(38, B64U), None),
    "csrf": (lambda a: rs(int(a or 40), B64U), None),
    "nonce": (lambda a: b64(16), None),
    "btc": (lambda a: "bc1q" + rs(38, BECH), None),
    "eth": (lambda a: "0x" + rs(40, HEX + "ABCDEF"), None),
    "ulid": (lambda a: "01" + rs(24, CROCK), None),
    "pubblock": (lambda a: pub_block(a or None), None),
    "sshpub": (
        lambda a: R.choice(
            [
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(43, B64),
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(500, B64) + "==",
            ]
        ),
        None,
    ),
    "wgpub": (lambda a: wg_key(), None),
    "fp": (lambda a: "SHA256:" + rs(43, B64), None),
    "b64": (lambda a: b64(int(a or 24)), None),
    "b64user": (lambda a: base64.b64encode(R.choice(USERS).encode()).decode(), None),
}


# --------------------------------------------------------------------------
# templates
# --------------------------------------------------------------------------
TEMPLATES = []


def P(group, context, lang, text):
    TEMPLATES.append(dict(group=group, context=context, lang=lang, category="positive", text=text.strip("\n")))


def N(group, context, lang, category, text):
    TEMPLATES.append(dict(group=group, context=context, lang=lang, category=category, text=text.strip("\n")))


# ===================== WEB: positives =====================================
P(
    "web",
    "qa_question",
    "en",
    r"""
**boto3 keeps throwing InvalidClientTokenId even though the keys are fresh**

I created a new IAM user this morning and copied the keys straight from the console. Still get the error. Code:

```python
import boto3
s3 = boto3.client(
    "s3",
    aws_access_key_id="⟪v:akia⟫",
    aws_secret_access_key="⟪b64sec:30⟫",
    region_name="eu-central-1",
)
print(s3.list_buckets())
```

Region is right, clock is synced (ntp). What am I missing?? asked ⟪int:2-11⟫ hours ago · ⟪int:30-900⟫ views
""",
)

P(
    "web",
    "forum_post",
    "en",
    r"""
Re: can't connect to remote postgres from laptop

tried everything in pg_hba.conf, still "connection refused". my string is

    postgresql://⟪user⟫:⟪pw:url⟫@⟪ip4⟫:5432/⟪pick:shop¦app_prod¦crm⟫

firewall on the VPS allows 5432 (ufw status says ALLOW). any ideas? using psql ⟪int:12-16⟫
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
# Moving my side project off shared hosting

Last weekend I finally moved *⟪word⟫-notes* from the old shared host to a small VPS. The new box lives at `⟪ip4⟫` (Hetzner, ⟪pick:CX22¦CPX11¦CX32⟫) and the IPv6 address is `⟪ip6⟫`.

## nginx

Nothing fancy, one server block, certbot for TLS. I had to bump `client_max_body_size` because image uploads were failing with 413.

## What I'd do differently

Automate it. I spent two evenings clicking around in a control panel I will never open again.
""",
)

P(
    "web",
    "readme",
    "en",
    r"""
## Maintainers

| Name | Role | Contact |
|------|------|---------|
| ⟪name⟫ | lead | ⟪email⟫ |
| ⟪name⟫ | packaging, CI | ⟪email⟫ |

Security issues: please do **not** open a public issue, write to ⟪email:role⟫ instead. We aim to answer within 72h.
""",
)

P(
    "web",
    "qa_question",
    "en",
    r"""
Stripe webhook: "No signatures found matching the expected signature for payload"

Express + stripe-node ⟪ver⟫. I'm using express.raw() on the route, I promise. Endpoint secret is copied from the dashboard:

    const endpointSecret = '⟪v:whsec⟫';
    const event = stripe.webhooks.constructEvent(req.body, sig, endpointSecret);

Works with the CLI (`stripe listen`) but not with the real endpoint. Why?
""",
)

P(
    "web",
    "github_issue",
    "en",
    r"""
### Build log prints the registry token

**Describe the bug**
When `DEBUG=1` the publish step echoes the full auth header. From run #⟪int:1000-9999⟫:

```
[publish] using token ⟪v:ghp⟫
[publish] PUT https://npm.pkg.github.com/@⟪word⟫%2fcore
```

**Expected** token masked.
(I already revoked this one, but others might not notice.)
""",
)

P(
    "web",
    "forum_post",
    "de",
    r"""
Betreff: SMTP-Versand über Strato klappt nicht mehr

Hallo zusammen,

seit gestern bekomme ich bei meinem Kontaktformular nur noch "535 Authentication failed". Eingetragen habe ich:

Server: smtp.strato.de, Port 465, SSL
Benutzer: ⟪email⟫
Passwort: ⟪pw⟫

Das Passwort stimmt, im Webmail komme ich damit rein. Hat jemand eine Idee? Danke & Gruß
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
WireGuard on a Raspberry Pi, the short version

After the usual `apt install wireguard`, my `/etc/wireguard/wg0.conf` on the client looks like this:

```ini
[Interface]
PrivateKey = ⟪wgpriv⟫
Address = 10.8.0.⟪int:2-200⟫/24
DNS = 10.8.0.1

[Peer]
PublicKey = ⟪wgpub⟫
Endpoint = ⟪ip4⟫:51820
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 25
```

Bring it up with `wg-quick up wg0` and check `wg show`. Done.
""",
)

P(
    "web",
    "api_docs",
    "en",
    r"""
Authentication
--------------

All requests must carry your secret key in the `Authorization` header:

    curl https://api.stripe.com/v1/charges \
      -H "Authorization: Bearer ⟪v:sk_live⟫" \
      -d amount=⟪int:100-9999⟫ -d currency=eur

Keys starting with `sk_live_` move real money. Keep them server-side.
""",
)

P(
    "web",
    "paste_site",
    "en",
    r"""
Untitled paste · ⟪date⟫ · never expires
-------------------------------------------
⟪email⟫:⟪pw⟫
⟪email⟫:⟪pw⟫
⟪email⟫:⟪pw:alnum⟫
⟪email⟫:⟪pw⟫
-------------------------------------------
""",
)

P(
    "web",
    "forum_post",
    "en",
    r"""
Got charged twice for the annual plan?!

Support isn't answering so posting here. The card they billed is ⟪card⟫, both charges on ⟪date⟫ for 89.00. Bank says I have to dispute it with the merchant first. Anyone else seeing this after the price change?
""",
)

P(
    "web",
    "qa_question",
    "ru",
    r"""
Бот на aiogram не отвечает на сообщения

Запускаю бота локально, ошибок нет, но на /start тишина. Токен взял у BotFather:

```python
bot = Bot(token="⟪v:telegram⟫")
dp = Dispatcher()
```

Версия aiogram ⟪ver⟫, Python 3.11. Может, дело в вебхуке, который я ставил раньше?
""",
)

P(
    "web",
    "blog_post",
    "ja",
    r"""
Discord Botを作ってみた（初心者向け）

まずはDeveloper Portalでアプリを作成して、Botのトークンをコピーします。自分の環境ではこんな感じで書きました。

```js
client.login("⟪v:discord⟫");
```

※本番ではトークンを直書きしないでください。.envに入れるのがおすすめです。
""",
)

P(
    "web",
    "readme",
    "en",
    r"""
# ⟪word⟫-mailer

Tiny wrapper around the SendGrid v3 API.

## Quick start

```bash
pip install ⟪word⟫-mailer
export SENDGRID_API_KEY=⟪v:sendgrid⟫
python -m mailer send --to someone --template welcome
```

## License
MIT
""",
)

P(
    "web",
    "wiki_page",
    "en",
    r"""
== Server inventory (prod) ==
Last reviewed: ⟪date⟫ by ⟪name⟫

{| class="wikitable"
! Host !! Public IP !! Role !! Notes
|-
| ⟪host⟫ || ⟪ip4⟫ || reverse proxy || behind Cloudflare
|-
| ⟪host⟫ || ⟪ip4⟫ || app || 
|-
| ⟪host⟫ || ⟪ip4⟫ || mail || PTR set
|}
Internal addresses live in the IPAM sheet, not here.
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
Our early adopters list (thank you!!)

We promised to credit the first testers who sent bug reports. In order of first report:

1. ⟪name⟫ — ⟪email⟫
2. ⟪name⟫ — ⟪email⟫
3. ⟪name⟫ — ⟪email⟫

If you want your address removed just reply to the newsletter.
""",
)

P(
    "web",
    "forum_post",
    "en",
    r"""
Shopify custom app - 401 on Admin API

Created a custom app in the admin, installed it, got the token and call:

curl -X GET "https://⟪word⟫-store.myshopify.com/admin/api/2024-01/products.json" -H "X-Shopify-Access-Token: ⟪v:shpat⟫"

returns {"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}. scopes include read_products. help pls
""",
)

P(
    "web",
    "news_comment",
    "en",
    r"""
⟪user⟫ · ⟪int:2-59⟫ minutes ago
PSA: the repo linked in the article has a hardcoded key in `config.py` line ⟪int:10-90⟫: `OPENAI_API_KEY = "⟪v:openai⟫"`. Hope the author rotates it before someone burns through their credits.
  ↳ reply · flag
""",
)

P(
    "web",
    "docs_page",
    "en",
    r"""
Logging in to Vault from the build agent
========================================

On the agent, authenticate once and the token is cached in `~/.vault-token`:

```console
$ vault login ⟪v:hvs⟫
Success! You are now authenticated.
```

Token policies: `ci-read`, `default`. TTL 768h.
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
Decoding a JWT by hand (why is my exp wrong?)

Here is the token my API returned during the bug hunt:

⟪jwt⟫

Paste the middle part into any base64url decoder and you will see `exp` was issued in seconds, while our frontend compared it against `Date.now()` (milliseconds). One-line fix.
""",
)

P(
    "web",
    "forum_post",
    "fr",
    r"""
[Résolu ?] FileZilla refuse la connexion FTP

Bonjour, je n'arrive plus à me connecter à mon hébergement. Paramètres :
hôte : ⟪ip4⟫   port : 21
identifiant : ⟪user⟫
mot de passe : ⟪pw⟫

Erreur : « 530 Login incorrect ». J'ai pourtant réinitialisé le mot de passe hier... quelqu'un a une piste ? merci d'avance
""",
)

P(
    "web",
    "qa_question",
    "es",
    r"""
Error "Access denied for user" al conectar con MySQL desde PHP

Tengo este código y me da error 1045:

```php
$conn = new mysqli("⟪ip4⟫", "⟪user⟫", "⟪pw⟫", "tienda");
```

El usuario existe y tiene permisos desde '%'. ¿Qué estoy haciendo mal? Gracias.
""",
)

P(
    "web",
    "forum_post",
    "it",
    r"""
Configurazione router Fritz!Box - rete ospiti

Ciao a tutti, ho attivato la rete ospiti ma i dispositivi non si collegano. Impostazioni:
SSID: ⟪word⟫-ospiti
Crittografia: WPA2 (CCMP)
Chiave di rete (PSK): ⟪pw:alnum⟫

Il firmware è aggiornato. Qualcuno ha avuto lo stesso problema?
""",
)

P(
    "web",
    "qa_question",
    "en",
    r"""
Laravel: "No application encryption key has been specified" after deploy

My .env on the server does have the key, I double checked:

```
APP_ENV=production
APP_KEY=base64:⟪b64sec:32⟫
APP_DEBUG=false
```

`php artisan config:cache` was run. Still the same error on every request.
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
Kubernetes secrets are not encrypted (a reminder)

This is what I found committed in a client's repo last month:

```yaml
apiVersion: v1
kind: Secret
metadata:
  name: ⟪word⟫-db
type: Opaque
data:
  username: ⟪b64user⟫
  password: ⟪k8spw⟫
```

Base64 is an encoding. Anyone with read access to the repo can decode that password in one command.
""",
)

P(
    "web",
    "docs_page",
    "en",
    r"""
### Calling the legacy reporting endpoint

The old endpoint only supports HTTP Basic. The header our integration sends:

```
GET /reports/v1/daily HTTP/1.1
Host: reports.⟪domain⟫
Authorization: Basic ⟪b64sec:18⟫
```

We plan to drop Basic auth in Q⟪int:1-4⟫.
""",
)

P(
    "web",
    "github_issue",
    "en",
    r"""
Alerts stopped arriving in #ops after upgrade to v⟪ver⟫

Config excerpt (values.yaml):

```yaml
alertmanager:
  slack:
    api_url: ⟪v:slack_webhook⟫
    channel: "#ops"
```

No errors in the alertmanager log. Rolled back to the previous chart and it works again.
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
Sending SMS from Python in 10 lines

```python
from twilio.rest import Client

account_sid = "AC⟪hex:32⟫"
auth_token = "⟪hexsec:32⟫"
client = Client(account_sid, auth_token)
client.messages.create(to="+4915⟪int:1000000-9999999⟫", from_="+1⟪int:2000000000-9999999999⟫", body="hi")
```

The Account SID is fine to share; the auth token is not.
""",
)

P(
    "web",
    "company_page",
    "en",
    r"""
Contact

Head office
⟪pick:Kaiserstraße 12, Frankfurt¦Rue de la Paix 4, Lyon¦Via Roma 88, Torino¦Calle Mayor 3, Madrid⟫

Sales: ⟪email:role⟫
Press enquiries: ⟪email⟫
Data protection officer: ⟪name⟫, ⟪email⟫

Opening hours Mon–Fri 9:00–17:00
""",
)

P(
    "web",
    "forum_post",
    "en",
    r"""
[SMP] ⟪word⟫craft survival 1.20 - whitelist open

Hey all, we're a small chill community (10-15 online evenings EU time).
IP: ⟪ip4⟫:25565
Discord for whitelist apps in my profile. No griefing, no x-ray, be nice.
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
IPv6 on my home server finally works

My ISP hands out a /56 now. The server got ⟪ip6⟫ via SLAAC and after opening port 443 in the router firewall the site answers over v6 too. Test from outside with `curl -6 https://[⟪ip6⟫]/` — the old v4 address ⟪ip4⟫ still works in parallel.
""",
)

P(
    "web",
    "gist",
    "en",
    r"""
deploy_key (do NOT commit)  — gist by ⟪user⟫, updated ⟪date⟫

⟪pem:openssh⟫

usage: ssh -i deploy_key git@⟪host⟫
""",
)

P(
    "web",
    "forum_post",
    "pl",
    r"""
Google Maps nie ładuje się na stronie - "This page can't load Google Maps correctly"

Witam, mapa działała do wczoraj. W konsoli jest błąd RefererNotAllowedMapError. Mój skrypt:

<script src="https://maps.googleapis.com/maps/api/js?key=⟪v:google_api⟫&callback=initMap" async></script>

Ograniczenia klucza ustawione na moją domenę. Co jeszcze sprawdzić?
""",
)

P(
    "web",
    "qa_question",
    "zh",
    r"""
阿里云 OSS 上传文件报 SignatureDoesNotMatch

用的是 Python SDK，代码如下：

```python
auth = oss2.Auth('⟪v:alibaba⟫', '⟪ansec:30⟫')
bucket = oss2.Bucket(auth, 'https://oss-cn-hangzhou.aliyuncs.com', 'my-bucket')
bucket.put_object_from_file('a.jpg', 'a.jpg')
```

AccessKey 是刚创建的，权限也给了。请问是哪里出错了？
""",
)

P(
    "web",
    "blog_post",
    "ko",
    r"""
네이버 검색 API 사용기

애플리케이션 등록 후 발급받은 값을 헤더에 넣으면 됩니다.

X-Naver-Client-Id: ⟪an:20⟫
X-Naver-Client-Secret: ⟪ansec:10⟫

클라이언트 시크릿은 절대 프론트엔드 코드에 넣지 마세요. 저는 처음에 그렇게 했다가 바로 재발급 받았습니다 ㅠㅠ
""",
)

P(
    "web",
    "forum_post",
    "tr",
    r"""
VPS'e SSH ile bağlanamıyorum, yardım!

Hosting firması bilgileri mail ile gönderdi:
IP adresi: ⟪ip4⟫
Kullanıcı: root
Şifre: ⟪pw⟫

"Permission denied (publickey)" hatası alıyorum. Şifreyle giriş kapalı olabilir mi? Teşekkürler.
""",
)

P(
    "web",
    "qa_question",
    "nl",
    r"""
Mollie betaling blijft op "open" staan

Ik gebruik de PHP client:

    $mollie = new \Mollie\Api\MollieApiClient();
    $mollie->setApiKey("⟪v:mollie⟫");

De webhook wordt wel aangeroepen maar de status verandert niet. Iemand een idee?
""",
)

P(
    "web",
    "blog_post",
    "sv",
    r"""
Home Assistant + Node-RED: så kopplade jag ihop dem

I Node-RED behöver du en long-lived access token. Skapa den under din profil och klistra in den i server-noden. Min såg ut så här (den är spärrad nu):

⟪jwt:HS256⟫

Sedan är det bara att välja entiteter i listan.
""",
)

P(
    "web",
    "forum_post",
    "en",
    r"""
ESP32 won't join wifi (sketch inside)

```cpp
#include <WiFi.h>
const char* ssid     = "⟪word⟫_2G";
const char* password = "⟪pw⟫";

void setup() {
  Serial.begin(115200);
  WiFi.begin(ssid, password);
  while (WiFi.status() != WL_CONNECTED) { delay(500); Serial.print("."); }
}
```

it just prints dots forever. router is 2.4GHz + 5GHz combined.
""",
)

P(
    "web",
    "qa_question",
    "en",
    r"""
git push keeps asking for password even though I put the token in the remote url?

```
$ git remote -v
origin  https://⟪user⟫:⟪v:ghp⟫@github.com/⟪user⟫/⟪word⟫.git (fetch)
origin  https://⟪user⟫:⟪v:ghp⟫@github.com/⟪user⟫/⟪word⟫.git (push)
```

I know it's not ideal to store it there. The push still prompts. Credential helper is osxkeychain.
""",
)

P(
    "web",
    "blog_post",
    "hi",
    r"""
अपनी वेबसाइट को नए सर्वर पर कैसे ले जाएं

पिछले हफ्ते मैंने अपना ब्लॉग नए VPS पर शिफ्ट किया। सर्वर का IP ⟪ip4⟫ है और cPanel का पासवर्ड ⟪pw⟫ था, जो मैंने बाद में बदल दिया। DNS अपडेट होने में लगभग ⟪int:2-24⟫ घंटे लगे।
""",
)

P(
    "web",
    "forum_post",
    "ar",
    r"""
مشكلة في إعداد البريد على Outlook

السلام عليكم، أحاول إضافة بريد الشركة ⟪email⟫ إلى Outlook لكن يظهر خطأ في المصادقة.
خادم IMAP: ⟪ip4⟫ المنفذ 993
كلمة المرور: ⟪pw⟫
هل المشكلة من الخادم أم من الإعدادات؟ شكراً لكم
""",
)

P(
    "web",
    "tutorial",
    "en",
    r"""
Step 3 – create a service account key

Download the JSON and put it next to `main.py`. It looks like this:

```json
{
  "type": "service_account",
  "project_id": "⟪word⟫-⟪int:100000-999999⟫",
  "private_key_id": "⟪hex:40⟫",
  "private_key": "⟪pemj:pkcs8⟫\n",
  "client_email": "⟪email⟫",
  "client_id": "⟪int:100000000000000000000-999999999999999999999⟫",
  "token_uri": "https://oauth2.googleapis.com/token"
}
```
""",
)

P(
    "web",
    "tutorial",
    "en",
    r"""
Sending a test message with Mailgun

```sh
curl -s --user 'api:⟪v:mailgun⟫' \
  https://api.eu.mailgun.net/v3/mg.⟪domain⟫/messages \
  -F from='Shop <⟪email:role⟫>' \
  -F to=⟪email⟫ \
  -F subject='Hello' -F text='Testing some Mailgun awesomeness!'
```
""",
)

P(
    "web",
    "docs_page",
    "en",
    r"""
Registering a runner
--------------------

    gitlab-runner register --non-interactive \
      --url https://gitlab.⟪domain⟫/ \
      --token ⟪v:glrt⟫ \
      --executor docker --docker-image alpine:3.19

For API calls from scripts we use a project access token (`⟪v:glpat⟫`) scoped to read_api.
""",
)

P(
    "web",
    "qa_question",
    "en",
    r"""
requests through authenticated proxy gives 407

```python
proxies = {
    "http":  "http://⟪user⟫:⟪pw:url⟫@⟪ip4⟫:3128",
    "https": "http://⟪user⟫:⟪pw:url⟫@⟪ip4⟫:3128",
}
r = requests.get("https://httpbin.org/ip", proxies=proxies, timeout=10)
```

Same creds work in Firefox. Tried URL-encoding, no luck.
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
Dynamic DNS with the Cloudflare API (bash, no dependencies)

```bash
CF_TOKEN="⟪ansec:40⟫"
ZONE_ID="⟪hex:32⟫"
IP=$(curl -s https://ifconfig.me)   # was ⟪ip4⟫ when I wrote this
curl -s -X PUT "https://api.cloudflare.com/client/v4/zones/$ZONE_ID/dns_records/$REC_ID" \
  -H "Authorization: Bearer $CF_TOKEN" -H "Content-Type: application/json" \
  --data "{\"type\":\"A\",\"name\":\"home\",\"content\":\"$IP\"}"
```
""",
)

P(
    "web",
    "forum_post",
    "vi",
    r"""
Cần giúp: không đăng nhập được VPS sau khi đổi mật khẩu

Mình mua VPS ở nhà cung cấp trong nước, IP là ⟪ip4⟫. Hôm qua đổi mật khẩu root thành ⟪pw⟫ nhưng giờ đăng nhập báo sai. Có ai gặp trường hợp này chưa ạ?
""",
)

P(
    "web",
    "news_comment",
    "en",
    r"""
Got the same phishing mail today. Sender was ⟪email⟫, and the Received header shows it came from ⟪ip4⟫ (some hosting provider). Reported to their abuse desk ⟪email:role⟫, no answer yet.
""",
)

P(
    "web",
    "qa_question",
    "cs",
    r"""
Platební brána GoPay vrací 403

Dobrý den, při volání API dostávám 403. Přihlašovací údaje z administrace:
GoID: ⟪int:8000000000-8999999999⟫
ClientID: ⟪int:1000000000-1999999999⟫
ClientSecret: ⟪ansec:8⟫

Testovací prostředí fungovalo. Děkuji za radu.
""",
)

P(
    "web",
    "blog_post",
    "uk",
    r"""
Інтеграція з API Нової Пошти за 15 хвилин

Ключ API генерується в особистому кабінеті в розділі «Налаштування → Безпека». У моєму прикладі запит виглядає так:

{"apiKey": "⟪hexsec:32⟫", "modelName": "Address", "calledMethod": "getCities"}

Не публікуйте свій ключ у відкритих репозиторіях, як це зробив я спочатку :)
""",
)

P(
    "web",
    "forum_post",
    "el",
    r"""
Πρόβλημα με το Wi-Fi στο νέο ρούτερ

Καλησπέρα, έβαλα νέο κωδικό στο ασύρματο δίκτυο (⟪pw:alnum⟫) και τώρα η τηλεόραση δεν συνδέεται. Τα κινητά συνδέονται κανονικά. Μήπως φταίει το WPA3;
""",
)

P(
    "web",
    "docs_page",
    "en",
    r"""
Environment variables
---------------------

| Variable | Required | Value used on staging |
|----------|----------|------------------------|
| `HF_TOKEN` | yes | `⟪v:hf⟫` |
| `WANDB_MODE` | no | `offline` |
| `REPLICATE_API_TOKEN` | for demos | `⟪v:replicate⟫` |

> TODO(⟪user⟫): remove the real values from this table before we open-source the repo
""",
)

P(
    "web",
    "forum_post",
    "pt",
    r"""
Erro ao integrar PagSeguro no WooCommerce

Pessoal, o plugin pede e-mail e token. Coloquei:
E-mail: ⟪email⟫
Token: ⟪hexsec:36⟫

e aparece "credenciais inválidas". Alguém já passou por isso? Valeu!
""",
)

P(
    "web",
    "blog_post",
    "en",
    r"""
How we accidentally published our Datadog key (postmortem, short)

A contractor added a debug page to the status site that dumped `process.env`. Among 40-odd harmless variables it showed `DD_API_KEY=⟪hexsec:32⟫` and `DD_APP_KEY=⟪hexsec:40⟫`. The page was public for about ⟪int:3-40⟫ hours. Both keys were revoked, the page removed, and we added a lint rule.
""",
)

P(
    "web",
    "qa_answer",
    "en",
    r"""
You're passing the key id as the secret. The client wants both:

```js
const client = new OpenAI({ apiKey: "⟪v:openai_legacy⟫" }); // old style key, still works
```

Also make sure you're not behind a corporate proxy that strips the `Authorization` header.
""",
)

# ===================== WEB: hard negatives ================================
N(
    "web",
    "qa_answer",
    "en",
    "password_hash",
    r"""
You should never store the plain password. With the `bcrypt` package:

```python
>>> import bcrypt
>>> bcrypt.hashpw(b"hunter-input-from-form", bcrypt.gensalt(12))
b'⟪bcrypt⟫'
```

Store that string as-is; `checkpw` reads the cost and salt back out of it. ⟪int:10-400⟫ upvotes
""",
)

N(
    "web",
    "docs_page",
    "en",
    "vendor_doc_example",
    r"""
Configuring credentials
-----------------------

Create `~/.aws/credentials`:

    [default]
    aws_access_key_id = AKIAIOSFODNN7EXAMPLE
    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

Then set the region in `~/.aws/config` (for instance `region = ⟪pick:eu-west-1¦us-east-2¦ap-southeast-1⟫` for the profile `⟪word⟫-⟪int:1-99⟫`). The values above are the placeholders used throughout this guide; replace them with your own.
""",
)

N(
    "web",
    "blog_post",
    "en",
    "publishable_key",
    r"""
Stripe Checkout in a static site

The frontend only ever needs the *publishable* key, which is safe to ship to browsers:

```html
<script src="https://js.stripe.com/v3/"></script>
<script>
  const stripe = Stripe("⟪pkpub⟫");
  document.querySelector("#buy").addEventListener("click", () => stripe.redirectToCheckout({ sessionId: "cs_⟪pick:live¦test⟫_⟪an:58⟫" }));
</script>
```

The checkout session itself is created by a tiny serverless function that reads the secret key from its environment.
""",
)

N(
    "web",
    "docs_page",
    "en",
    "publishable_key",
    r"""
Display a map
-------------

```js
mapboxgl.accessToken = '⟪mapbox_pk⟫';
const map = new mapboxgl.Map({ container: 'map', style: 'mapbox://styles/mapbox/streets-v12', center: [⟪int:2-20⟫.⟪int:1000-9999⟫, ⟪int:40-60⟫.⟪int:1000-9999⟫], zoom: 9 });
```

Public tokens (prefix `pk.`) are meant to be used in client-side code; restrict them by URL in your account settings.
""",
)

N(
    "web",
    "tutorial",
    "en",
    "oauth_client_id",
    r"""
Add "Sign in with Google"

1. Open the Cloud console → APIs & Services → Credentials.
2. Create an OAuth client of type *Web application*.
3. Copy the client ID into your page:

```html
<div id="g_id_onload"
     data-client_id="⟪gclient⟫"
     data-login_uri="https://⟪domain⟫/auth/callback">
</div>
```

The client ID identifies your app; it is visible in every browser that loads the page.
""",
)

N(
    "web",
    "docs_page",
    "en",
    "recaptcha_site_key",
    r"""
reCAPTCHA v3 integration

Put the site key in the script URL and call `execute` before submitting:

    <script src="https://www.google.com/recaptcha/api.js?render=⟪recaptcha⟫"></script>
    grecaptcha.execute('⟪recaptcha⟫', {action: 'submit'})

Verification happens server-side with the separate secret key, read from `RECAPTCHA_SECRET`.
""",
)

N(
    "web",
    "readme",
    "en",
    "env_var_reference",
    r"""
## Configuration

The service reads everything from the environment:

```bash
export DATABASE_URL="postgres://app:${DB_PASSWORD}@db:5432/app"
export REDIS_URL="redis://:$REDIS_PASSWORD@cache:6379/0"
export JWT_SECRET="$(cat /run/secrets/jwt_secret)"
export SENTRY_DSN="${SENTRY_DSN:-}"
```

In Kubernetes these come from the `⟪word⟫-env` secret (see `deploy/`). Version ⟪ver⟫.
""",
)

N(
    "web",
    "readme",
    "en",
    "placeholder",
    r"""
## Getting an API key

1. Sign up at the dashboard.
2. Go to *Settings → API* and click **Generate**.
3. Put it in `.env`:

```
ACME_API_KEY=<your-api-key>
ACME_API_SECRET=REPLACE_ME
ACME_REGION=⟪pick:eu¦us¦ap⟫
```

Never commit the real values. (Tested with ⟪ver⟫.)
""",
)

N(
    "web",
    "forum_post",
    "en",
    "private_ip",
    r"""
Can't reach the router admin page anymore

It used to be at http://⟪pip4⟫ but now the browser just spins. ipconfig shows my PC got ⟪pip4⟫ and the gateway is ⟪pip4⟫, so something's odd. Factory reset is my last resort, any ideas before that? Model is ⟪pick:TP-Link Archer C6¦ASUS RT-AX58U¦Netgear R7000⟫.
""",
)

N(
    "web",
    "docs_page",
    "en",
    "documentation_ip",
    r"""
Allow-listing
-------------

Add the addresses of your office to the allow-list, one per line, optionally with a prefix length:

    ⟪dip4⟫
    ⟪dip4⟫/29
    ⟪dip6⟫

(The addresses above are from the documentation ranges and are shown for illustration only.) Changes propagate within ⟪int:1-10⟫ minutes.
""",
)

N(
    "web",
    "blog_post",
    "en",
    "loopback_ip",
    r"""
Why your Docker container can't see the dev server

Inside a container, `⟪lip4⟫` (or `localhost`) is the container itself, not your laptop. If your API listens on `127.0.0.1:⟪int:3000-9000⟫` on the host, the container will never reach it. Bind to `0.0.0.0` or use `host.docker.internal`. Same story with `::1` for IPv6.
""",
)

N(
    "web",
    "docs_page",
    "en",
    "example_domain_email",
    r"""
Inviting team members
---------------------

Send a POST with the addresses to invite:

```json
{"invites": ["⟪exmail⟫", "⟪exmail⟫"], "role": "viewer"}
```

Invitations expire after ⟪int:2-14⟫ days. Replies go to ⟪exmail⟫ in this sample.
""",
)

N(
    "web",
    "qa_question",
    "en",
    "luhn_invalid_card",
    r"""
My card validation regex accepts numbers the payment provider rejects

Regex: `^\d{4}([ -]?\d{4}){3}$`. Input `⟪badcard:visa⟫` passes my check but the provider says "invalid card number". Input `⟪badcard:mastercard⟫` same thing. Am I supposed to do something besides the regex?

> Answer: yes, run a Luhn checksum. Both of your numbers fail it.
""",
)

N(
    "web",
    "blog_post",
    "en",
    "masked_card",
    r"""
What a good receipt shows (and what it should never show)

Our e-mail receipts show the brand and the last four digits only: "Visa •••• ⟪last4⟫, exp ⟪int:1-12⟫/⟪int:26-31⟫". The printed terminal slip is similar: `XXXX XXXX XXXX ⟪last4⟫`. Anything beyond that is a PCI problem waiting to happen.
""",
)

N(
    "web",
    "release_notes",
    "en",
    "version_and_commit_ids",
    r"""
## v⟪ver⟫ (⟪date⟫)

* Fix crash when the cache directory is missing (⟪hex:7⟫)
* Bump `urllib3` from ⟪ver⟫ to ⟪ver⟫ (#⟪int:100-4000⟫)
* Drop Python 3.8 (⟪hex:40⟫)

Full changelog: `v⟪ver⟫...v⟪ver⟫`
""",
)

N(
    "web",
    "docs_page",
    "en",
    "image_digest",
    r"""
Pinning images by digest
------------------------

Tags move, digests don't:

    FROM python:3.12-slim@sha256:⟪hex:64⟫

To find the digest of what you have locally: `docker inspect --format='{{index .RepoDigests 0}}' python:3.12-slim`.
""",
)

N(
    "web",
    "download_page",
    "en",
    "checksum_digest",
    r"""
Downloads — release ⟪ver⟫

| File | Size | SHA-256 |
|------|------|---------|
| ⟪word⟫-linux-amd64.tar.gz | ⟪int:8-40⟫ MB | `⟪hex:64⟫` |
| ⟪word⟫-darwin-arm64.tar.gz | ⟪int:8-40⟫ MB | `⟪hex:64⟫` |
| ⟪word⟫-windows-amd64.zip | ⟪int:8-40⟫ MB | `⟪hex:64⟫` |

Verify with `sha256sum -c SHA256SUMS`. Signed with key fingerprint `⟪hex:40⟫`.
""",
)

N(
    "web",
    "donation_page",
    "en",
    "crypto_wallet_address",
    r"""
Support the project

If the tool saved you time, consider a donation. Every bit pays for the CI minutes.

* Bitcoin: `⟪btc⟫`
* Ethereum / USDC (ERC-20): `⟪eth⟫`
* Or via GitHub Sponsors.

Thank you, ⟪first⟫
""",
)

N(
    "web",
    "forum_post",
    "en",
    "password_policy_text",
    r"""
Our IT just changed the password policy and I'm losing my mind

Minimum 14 characters, at least one symbol, no reuse of the last 24, expires every 60 days, can't contain your username. So now everyone writes theirs on a sticky note. Isn't NIST saying the opposite since years? (posting from the ⟪pick:EU¦US¦APAC⟫ office, ticket #⟪int:10000-99999⟫ closed as "works as intended")
""",
)

N(
    "web",
    "docs_page",
    "en",
    "csrf_token",
    r"""
Forms and CSRF
--------------

Every POST form rendered by the framework gets a hidden token field:

```html
<form method="post" action="/settings">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟪csrf:64⟫">
  <input type="email" name="email">
  <button>Save</button>
</form>
```

The token is tied to the session and rotated on login.
""",
)

N(
    "web",
    "blog_post",
    "en",
    "nonce",
    r"""
Getting rid of 'unsafe-inline'

We now send a fresh nonce with every response:

    Content-Security-Policy: script-src 'self' 'nonce-⟪nonce⟫'

and every inline script carries it: `<script nonce="⟪nonce⟫">…</script>`. A nonce is single-use and worthless to an attacker after the page loads.
""",
)

N(
    "web",
    "api_docs",
    "en",
    "request_identifier",
    r"""
Errors
------

Every response carries an `X-Request-Id` header. Quote it when contacting support:

```http
HTTP/1.1 429 Too Many Requests
X-Request-Id: ⟪uuid⟫
Retry-After: ⟪int:1-60⟫
```

For retries of POST requests, send an `Idempotency-Key` such as `⟪uuid⟫`.
""",
)

N(
    "web",
    "encyclopedia",
    "en",
    "private_ip_range",
    r"""
Private network addresses

RFC 1918 reserves three blocks for private internets: 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16. Hosts in these ranges, for example ⟪pip4⟫, are not reachable from the public Internet without NAT. RFC 6598 adds 100.64.0.0/10 for carrier-grade NAT; a typical subscriber might see ⟪cgnat⟫ on their router's WAN port.
""",
)

N(
    "web",
    "blog_post",
    "en",
    "ssh_fingerprint",
    r"""
Verify the host key the first time

When you connect to a new server you'll see:

    The authenticity of host '⟪host⟫ (⟪pip4⟫)' can't be established.
    ED25519 key fingerprint is ⟪fp⟫.

Compare that string with the one your provider shows in the console before typing "yes".
""",
)

N(
    "web",
    "personal_site",
    "en",
    "public_key_block",
    r"""
Contact / PGP

Encrypted mail welcome. My public key:

```
⟪pubblock:pgp⟫
```

Fingerprint: ⟪hex:40⟫
""",
)

N(
    "web",
    "docs_page",
    "en",
    "certificate",
    r"""
Trusting the internal CA

Save the following as `corp-root.crt` and add it to the system store:

```
⟪pubblock:cert⟫
```

On Debian: `sudo cp corp-root.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates`.
""",
)

N(
    "web",
    "forum_post",
    "en",
    "mac_address",
    r"""
DHCP reservation not sticking

I reserved ⟪pip4⟫ for my NAS (MAC ⟪mac⟫) but after every reboot it gets something else. The printer with ⟪mac⟫ keeps its address fine. Firmware ⟪ver⟫. Any idea?
""",
)

N(
    "web",
    "invoice_page",
    "en",
    "bank_account_number",
    r"""
Payment details

Please transfer the amount of EUR ⟪int:100-9000⟫.⟪int:10-99⟫ within 14 days to:

Account holder: ⟪name⟫
IBAN: ⟪iban⟫
BIC: ⟪pick:DEUTDEFF¦COBADEFFXXX¦INGBNL2A¦BNPAFRPP⟫
Reference: INV-⟪int:2020-2025⟫-⟪int:1000-9999⟫
""",
)

N(
    "web",
    "security_blog",
    "en",
    "redacted_secret",
    r"""
Anatomy of a leaked-key incident

The commit contained a line like `STRIPE_SECRET=sk_live_••••••••••••` (redacted here, obviously) and a GitHub token that started with `ghp_` — we won't print the rest. Within ⟪int:2-30⟫ minutes an automated scanner had found it. Lesson: push protection exists for a reason.
""",
)

N(
    "web",
    "forum_profile",
    "en",
    "username",
    r"""
Profile: ⟪user⟫
Member since ⟪date⟫ · ⟪int:10-5000⟫ posts · Reputation ⟪int:0-999⟫
Also known as ⟪user⟫ on the old board. GitHub: @⟪user⟫
Signature: "works on my machine ¯\_(ツ)_/¯"
""",
)

N(
    "web",
    "api_docs",
    "en",
    "uuid_identifier",
    r"""
GET /v2/projects/{project_id}/environments

Example: `GET /v2/projects/⟪uuid⟫/environments`

```json
{"data": [{"id": "⟪uuid⟫", "name": "staging", "created_at": "⟪ts⟫"}], "next_cursor": "⟪an:24⟫"}
```
""",
)

N(
    "web",
    "blog_post",
    "en",
    "css_hex_values",
    r"""
Our new palette

```css
:root {
  --brand: #⟪hex:6⟫;
  --brand-dark: #⟪hex:6⟫;
  --surface: #⟪hex:6⟫;
  --focus-ring: #⟪hex:6⟫80;
}
```

Contrast ratios were checked against WCAG AA (⟪int:4-9⟫.⟪int:1-9⟫:1 for body text).
""",
)

N(
    "web",
    "html_page",
    "en",
    "base64_data_uri",
    r"""
<a class="logo" href="/"><img alt="⟪word⟫" width="24" height="24" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAYAAADgdz34AAAA⟪b64:90⟫"></a>
<nav><a href="/docs">Docs</a> · <a href="/blog">Blog</a></nav>
""",
)

N(
    "web",
    "travel_blog",
    "en",
    "numeric_coordinates",
    r"""
Day ⟪int:2-14⟫: the hike to the lake

We parked at ⟪int:44-47⟫.⟪int:100000-999999⟫, ⟪int:6-12⟫.⟪int:100000-999999⟫ and followed the red markers for about ⟪int:6-18⟫ km. Elevation gain ⟪int:400-1400⟫ m. The hut sells cake until 17:00 and takes cash only.
""",
)

N(
    "web",
    "docs_page",
    "en",
    "vault_accessor",
    r"""
Revoking a token without knowing it

Every token has an accessor that can look it up or revoke it without exposing the token itself:

    $ vault token revoke -accessor ⟪an:24⟫
    Success! Revoked token (if it existed)

Accessors show up in audit logs, e.g. `"accessor": "⟪an:24⟫"`.
""",
)

N(
    "web",
    "engineering_blog",
    "en",
    "cache_key",
    r"""
How we key the product cache

Keys look like `catalog:v⟪int:2-9⟫:store:⟪int:1-999⟫:sku:⟪an:10⟫:locale:de-DE`, and we hash long ones: `pc:⟪hex:40⟫`. Bumping the version prefix invalidates everything at once, which we did ⟪int:2-9⟫ times last quarter.
""",
)

N(
    "web",
    "api_docs",
    "en",
    "vendor_object_id",
    r"""
Retrieve a PaymentIntent

    GET /v1/payment_intents/pi_⟪an:24⟫

Response (truncated):

    {"id": "pi_⟪an:24⟫", "customer": "cus_⟪an:14⟫", "payment_method": "pm_⟪an:24⟫", "status": "succeeded", "latest_charge": "ch_⟪an:24⟫"}
""",
)

N(
    "web",
    "docs_page",
    "en",
    "cloud_resource_id",
    r"""
Cross-account role
------------------

Trust policy principal: `arn:aws:iam::⟪int:100000000000-999999999999⟫:root`
Role to assume: `arn:aws:iam::⟪int:100000000000-999999999999⟫:role/⟪word⟫-deployer`
External ID: your tenant id, e.g. `⟪uuid⟫`.
""",
)

N(
    "web",
    "help_center",
    "en",
    "chat_platform_id",
    r"""
Finding the channel ID

Open the channel, click its name, and scroll to the bottom: you'll see something like `C0⟪an:9⟫`. User IDs start with `U0` (e.g. `U0⟪an:9⟫`), workspace IDs with `T0`. These IDs are not secret and are needed when you configure the integration.
""",
)

N(
    "web",
    "qa_answer",
    "en",
    "email_like_syntax",
    r"""
The `@` here is a decorator, not anything to do with mail:

```python
@app.route("/users/<int:user_id>")
@login_required
def show(user_id): ...
```

and in CSS `@media (max-width: 600px)` is an at-rule. On GitHub, mention people with `@⟪user⟫`. npm scoped packages look like `@⟪word⟫/core@⟪ver⟫`.
""",
)

N(
    "web",
    "shop_faq",
    "en",
    "shipment_tracking_number",
    r"""
Where is my order?

Your order #⟪int:100000-999999⟫ shipped on ⟪date⟫. Tracking: 1Z⟪an:6⟫⟪int:10-99⟫⟪int:10000000-99999999⟫ (UPS). DHL parcels look like JJD⟪int:100000000-999999999⟫. Allow 24h before the number shows up in the carrier's system.
""",
)

N(
    "web",
    "library_catalog",
    "en",
    "isbn_product_code",
    r"""
⟪name⟫ — *The ⟪word⟫ Handbook*, ⟪int:2-5⟫nd ed.
ISBN 978-⟪int:1-9⟫-⟪int:100-999⟫-⟪int:10000-99999⟫-⟪int:0-9⟫ · ⟪int:200-700⟫ pp. · shelf ⟪pick:QA76¦TK5105¦HF5548⟫.⟪int:1-99⟫
EAN ⟪int:5000000000000-5099999999999⟫ (paperback)
""",
)

N(
    "web",
    "status_page",
    "en",
    "non_secret_config",
    r"""
Incident ⟪date⟫ — elevated error rates

Timeline (UTC)
⟪clock⟫ errors on `api-⟪pick:eu¦us⟫` rise above 2 %
⟪clock⟫ rollback of release ⟪ver⟫ started
⟪clock⟫ recovered

Root cause: a config change set `pool_size: ⟪int:2-8⟫` instead of `⟪int:40-90⟫`. No data was lost.
""",
)

# ===================== CODE: positives ====================================
P(
    "code",
    "env_file",
    "en",
    r"""
# ---- app ----
APP_NAME=⟪word⟫-api
APP_ENV=production
APP_PORT=⟪int:3000-9000⟫
LOG_LEVEL=info
TZ=Europe/Berlin

# ---- database ----
DB_HOST=⟪host⟫
DB_PORT=5432
DB_NAME=⟪word⟫
DB_USER=⟪user⟫
DB_PASSWORD=⟪pw⟫

# ---- payments ----
STRIPE_PUBLISHABLE_KEY=⟪pkpub:live⟫
STRIPE_SECRET_KEY=⟪v:sk_live⟫

# ---- mail ----
MAIL_HOST=smtp.⟪domain⟫
MAIL_USERNAME=⟪email⟫
MAIL_PASSWORD=⟪pw:alnum⟫
MAIL_FROM_NAME="${APP_NAME}"

FEATURE_FLAGS=search,export,beta-dashboard
""",
)

P(
    "code",
    "docker_compose",
    "en",
    r"""
version: "3.9"
services:
  db:
    image: postgres:16-alpine
    restart: unless-stopped
    environment:
      POSTGRES_USER: ⟪user⟫
      POSTGRES_PASSWORD: ⟪pw:url|p⟫
      POSTGRES_DB: ⟪word⟫
    volumes:
      - pgdata:/var/lib/postgresql/data
  app:
    build: .
    depends_on: [db]
    ports:
      - "8080:8080"
    environment:
      DATABASE_URL: postgres://⟪user⟫:⟪=p⟫@db:5432/⟪word⟫
volumes:
  pgdata: {}
""",
)

P(
    "code",
    "github_actions",
    "en",
    r"""
name: release
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          registry-url: https://registry.npmjs.org
      - run: npm ci && npm run build
      - run: npm publish --access public
        env:
          NODE_AUTH_TOKEN: ⟪v:npm⟫   # FIXME move to secrets
""",
)

P(
    "code",
    "python_settings",
    "en",
    r"""
# settings/production.py
from .base import *  # noqa

DEBUG = False
SECRET_KEY = "⟪django⟫"
ALLOWED_HOSTS = ["⟪domain⟫", "www.⟪domain⟫"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "⟪word⟫",
        "USER": "⟪user⟫",
        "PASSWORD": "⟪pw⟫",
        "HOST": "⟪ip4⟫",
        "PORT": "5432",
    }
}
CSRF_COOKIE_SECURE = True
""",
)

P(
    "code",
    "js_config",
    "en",
    r"""
// config/db.js
module.exports = {
  mongoUri: process.env.MONGO_URI ||
    "mongodb+srv://⟪user⟫:⟪pw:url⟫@cluster0.⟪lo:5⟫.mongodb.net/⟪word⟫?retryWrites=true&w=majority",
  poolSize: ⟪int:5-50⟫,
};
""",
)

P(
    "code",
    "java_properties",
    "en",
    r"""
# application-prod.properties
server.port=8443
spring.datasource.url=jdbc:mysql://⟪ip4⟫:3306/⟪word⟫?useSSL=true
spring.datasource.username=⟪user⟫
spring.datasource.password=⟪pw⟫
spring.jpa.hibernate.ddl-auto=validate
management.endpoints.web.exposure.include=health,info
""",
)

P(
    "code",
    "spring_yaml",
    "en",
    r"""
spring:
  mail:
    host: smtp.⟪domain⟫
    port: 587
    username: ⟪email⟫
    password: ⟪pw⟫
    properties:
      mail.smtp.starttls.enable: true
app:
  jwt:
    secret: ⟪b64sec:48⟫
    expiration-minutes: ⟪int:15-120⟫
  cors:
    allowed-origins: https://⟪domain⟫
""",
)

P(
    "code",
    "terraform",
    "en",
    r"""
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "⟪v:akia⟫"
  secret_key = "⟪b64sec:30⟫"
}

resource "aws_s3_bucket" "assets" {
  bucket = "⟪word⟫-assets-⟪int:1000-9999⟫"
}
""",
)

P(
    "code",
    "terraform_tfvars",
    "en",
    r"""
# terraform.tfvars  (local only!)
do_token      = "⟪v:dop⟫"
region        = "fra1"
droplet_size  = "s-2vcpu-4gb"
ssh_key_ids   = [⟪int:10000000-99999999⟫]
admin_cidr    = "⟪ip4⟫/32"
""",
)

P(
    "code",
    "k8s_manifest",
    "en",
    r"""
apiVersion: v1
kind: Secret
metadata:
  name: ⟪word⟫-credentials
  namespace: ⟪pick:prod¦payments¦default⟫
  labels:
    app.kubernetes.io/part-of: ⟪word⟫
type: Opaque
data:
  DB_USER: ⟪b64user⟫
  DB_PASSWORD: ⟪k8spw⟫
  SMTP_PASSWORD: ⟪k8spw⟫
""",
)

P(
    "code",
    "helm_values",
    "en",
    r"""
replicaCount: 2
image:
  repository: ghcr.io/⟪user⟫/⟪word⟫
  tag: "⟪ver⟫"
redis:
  enabled: true
  auth:
    enabled: true
    password: "⟪pw⟫"
ingress:
  enabled: true
  hosts:
    - host: ⟪word⟫.⟪domain⟫
      paths: ["/"]
resources:
  limits: { cpu: 500m, memory: 512Mi }
""",
)

P(
    "code",
    "ansible_vars",
    "en",
    r"""
# group_vars/webservers.yml
ansible_user: ⟪user⟫
ansible_become: true
ansible_become_pass: ⟪pw⟫
nginx_worker_processes: auto
app_release: "⟪ver⟫"
letsencrypt_email: ⟪email⟫
""",
)

P(
    "code",
    "npmrc",
    "en",
    r"""
registry=https://registry.npmjs.org/
@⟪word⟫:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟪v:ghp⟫
//registry.npmjs.org/:_authToken=⟪v:npm⟫
save-exact=true
""",
)

P(
    "code",
    "pypirc",
    "en",
    r"""
[distutils]
index-servers =
    pypi
    testpypi

[pypi]
username = __token__
password = ⟪v:pypi⟫

[testpypi]
repository = https://test.pypi.org/legacy/
username = __token__
password = ⟪v:pypi⟫
""",
)

P(
    "code",
    "aws_credentials",
    "en",
    r"""
[default]
aws_access_key_id = ⟪v:akia⟫
aws_secret_access_key = ⟪b64sec:30⟫

[prod-admin]
aws_access_key_id = ⟪v:akia⟫
aws_secret_access_key = ⟪b64sec:30⟫
region = eu-central-1
""",
)

P(
    "code",
    "docker_config_json",
    "en",
    r"""
{
	"auths": {
		"registry.⟪domain⟫": {
			"auth": "⟪b64sec:24⟫"
		},
		"https://index.docker.io/v1/": {
			"auth": "⟪b64sec:27⟫"
		}
	},
	"credsStore": ""
}
""",
)

P(
    "code",
    "netrc",
    "en",
    r"""
machine api.heroku.com
  login ⟪email⟫
  password ⟪uuidsec⟫
machine git.⟪domain⟫
  login ⟪user⟫
  password ⟪pw⟫
""",
)

P(
    "code",
    "git_diff",
    "en",
    r"""
diff --git a/config/payment.yml b/config/payment.yml
index ⟪hex:7⟫..⟪hex:7⟫ 100644
--- a/config/payment.yml
+++ b/config/payment.yml
@@ -3,7 +3,7 @@ default: &default
   currency: EUR
   capture: automatic
 production:
   <<: *default
-  secret_key: ⟪v:sk_live⟫
+  secret_key: ⟪v:sk_live⟫
   webhook_secret: ⟪v:whsec⟫
   statement_descriptor: ⟪word⟫
""",
)

P(
    "code",
    "jupyter_notebook",
    "en",
    r"""
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": ⟪int:1-40⟫,
   "metadata": {},
   "outputs": [],
   "source": [
    "import openai\n",
    "openai.api_key = \"⟪v:openai⟫\"\n",
    "resp = openai.chat.completions.create(model=\"gpt-4o-mini\", messages=[{\"role\": \"user\", \"content\": \"hi\"}])"
   ]
  }
 ],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
""",
)

P(
    "code",
    "go_source",
    "en",
    r"""
package notify

import (
	"bytes"
	"net/http"
)

const webhookURL = "⟪v:slack_webhook⟫"

// Send posts a plain message to the ops channel.
func Send(msg string) error {
	body := []byte(`{"text":"` + msg + `"}`)
	_, err := http.Post(webhookURL, "application/json", bytes.NewReader(body))
	return err
}
""",
)

P(
    "code",
    "php_config",
    "en",
    r"""
<?php
/** The name of the database for WordPress */
define( 'DB_NAME', '⟪word⟫_wp' );
/** Database username */
define( 'DB_USER', '⟪user⟫' );
/** Database password */
define( 'DB_PASSWORD', '⟪pw⟫' );
/** Database hostname */
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );

define( 'AUTH_KEY',         '⟪ansec:64⟫' );
define( 'SECURE_AUTH_KEY',  '⟪ansec:64⟫' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
""",
)

P(
    "code",
    "rails_credentials",
    "en",
    r"""
# config/credentials.yml.enc (decrypted with `bin/rails credentials:edit`)
secret_key_base: ⟪hexsec:128⟫
aws:
  access_key_id: ⟪v:akia⟫
  secret_access_key: ⟪b64sec:30⟫
github:
  client_id: Iv1.⟪hex:16⟫
  client_secret: ⟪hexsec:40⟫
""",
)

P(
    "code",
    "laravel_env",
    "en",
    r"""
APP_NAME=Laravel
APP_ENV=local
APP_KEY=base64:⟪b64sec:32⟫
APP_DEBUG=true
APP_URL=http://localhost

DB_CONNECTION=mysql
DB_HOST=127.0.0.1
DB_PORT=3306
DB_DATABASE=⟪word⟫
DB_USERNAME=root
DB_PASSWORD=⟪pw⟫

PUSHER_APP_ID=⟪int:1000000-1999999⟫
PUSHER_APP_KEY=⟪hex:20⟫
PUSHER_APP_SECRET=⟪hexsec:20⟫
""",
)

P(
    "code",
    "dotnet_appsettings",
    "en",
    r"""
{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "ConnectionStrings": {
    "Default": "Server=tcp:⟪ip4⟫,1433;Database=⟪word⟫;User Id=sa;Password=⟪pw⟫;TrustServerCertificate=True;"
  },
  "Storage": {
    "ConnectionString": "DefaultEndpointsProtocol=https;AccountName=⟪lo:10⟫;AccountKey=⟪v:azure_storage⟫;EndpointSuffix=core.windows.net"
  },
  "AllowedHosts": "*"
}
""",
)

P(
    "code",
    "rust_source",
    "en",
    r"""
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};

fn client() -> reqwest::Result<reqwest::Client> {
    let mut h = HeaderMap::new();
    // TODO: read from env before release
    h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer ⟪v:linear⟫"));
    reqwest::Client::builder().default_headers(h).build()
}
""",
)

P(
    "code",
    "shell_script",
    "en",
    r"""
#!/usr/bin/env bash
set -euo pipefail
# deploy.sh — quick and dirty, replace with CI someday
HOST=⟪ip4⟫
sshpass -p '⟪pw⟫' rsync -az --delete ./dist/ root@"$HOST":/var/www/html/
sshpass -p '⟪pw⟫' ssh root@"$HOST" 'systemctl reload nginx'
echo "deployed $(git rev-parse --short HEAD)"
""",
)

P(
    "code",
    "dockerfile",
    "en",
    r"""
FROM node:20-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
ENV NEXT_PUBLIC_API_URL=https://api.⟪domain⟫
ENV SENTRY_AUTH_TOKEN=⟪v:sntryu⟫
RUN npm run build

FROM node:20-alpine
WORKDIR /app
COPY --from=build /app/.next ./.next
CMD ["npm", "start"]
""",
)

P(
    "code",
    "makefile",
    "en",
    r"""
REGISTRY ?= registry.⟪domain⟫
IMAGE    := $(REGISTRY)/⟪word⟫:$(shell git describe --tags)

push:
	docker build -t $(IMAGE) .
	docker push $(IMAGE)

smoke:
	curl -fsS -u admin:⟪pw:url⟫ https://staging.⟪domain⟫/healthz
""",
)

P(
    "code",
    "nginx_conf",
    "en",
    r"""
upstream legacy_backend {
    server ⟪ip4⟫:8080 max_fails=3;
    server ⟪ip4⟫:8080 backup;
}

server {
    listen 443 ssl http2;
    server_name reports.⟪domain⟫;

    location / {
        proxy_pass http://legacy_backend;
        proxy_set_header Authorization "Basic ⟪b64sec:21⟫";
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
}
""",
)

P(
    "code",
    "postman_collection",
    "en",
    r"""
{
  "info": {"name": "⟪word⟫ API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "item": [{
    "name": "List invoices",
    "request": {
      "method": "GET",
      "header": [{"key": "X-API-Key", "value": "⟪ansec:40⟫", "type": "text"}],
      "url": {"raw": "https://api.⟪domain⟫/v1/invoices?limit=50"}
    }
  }],
  "variable": [{"key": "postman_api_key", "value": "⟪v:postman⟫"}]
}
""",
)

P(
    "code",
    "vscode_launch",
    "en",
    r"""
{
  "version": "0.2.0",
  "configurations": [
    {
      "type": "node",
      "request": "launch",
      "name": "Debug worker",
      "program": "${workspaceFolder}/src/worker.ts",
      "env": {
        "NODE_ENV": "development",
        "ANTHROPIC_API_KEY": "⟪v:anthropic⟫",
        "QUEUE_URL": "amqp://localhost:5672"
      }
    }
  ]
}
""",
)

P(
    "code",
    "python_script",
    "en",
    r"""
import smtplib
from email.message import EmailMessage

msg = EmailMessage()
msg["Subject"] = "Nightly report"
msg["From"] = "⟪email⟫"
msg["To"] = "⟪email⟫"
msg.set_content(open("report.txt").read())

with smtplib.SMTP_SSL("smtp.⟪domain⟫", 465) as s:
    s.login("⟪email⟫", "⟪pw⟫")
    s.send_message(msg)
""",
)

P(
    "code",
    "js_source",
    "en",
    r"""
export async function fetchOrders(page = 1) {
  const res = await fetch(`https://api.⟪domain⟫/orders?page=${page}`, {
    headers: {
      Authorization: "Bearer ⟪jwt⟫",
      Accept: "application/json",
    },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}
""",
)

P(
    "code",
    "ssh_private_key",
    "en",
    r"""
⟪pem⟫
""",
)

P(
    "code",
    "k8s_manifest",
    "en",
    r"""
apiVersion: v1
kind: Secret
metadata:
  name: ⟪word⟫-tls
type: kubernetes.io/tls
data:
  tls.crt: ⟪k8scert⟫
  tls.key: ⟪k8skey⟫
""",
)

P(
    "code",
    "jenkinsfile",
    "en",
    r"""
pipeline {
  agent any
  stages {
    stage('Deploy') {
      steps {
        sh '''
          docker login -u ⟪user⟫ -p ⟪pw:alnum⟫ registry.⟪domain⟫
          docker push registry.⟪domain⟫/⟪word⟫:${BUILD_NUMBER}
        '''
      }
    }
  }
  post { failure { mail to: '⟪email⟫', subject: "Build ${BUILD_NUMBER} failed", body: "see console" } }
}
""",
)

P(
    "code",
    "gitlab_ci",
    "en",
    r"""
variables:
  DOCKER_DRIVER: overlay2
  DEPLOY_TOKEN: "⟪v:glpat⟫"
  TRIGGER_TOKEN: "⟪v:glptt⟫"

stages: [build, deploy]

deploy:
  stage: deploy
  script:
    - curl -X POST -F token=$TRIGGER_TOKEN -F ref=main https://gitlab.⟪domain⟫/api/v4/projects/⟪int:10-900⟫/trigger/pipeline
  only: [main]
""",
)

P(
    "code",
    "wrangler_toml",
    "en",
    r"""
name = "⟪word⟫-worker"
main = "src/index.ts"
compatibility_date = "⟪date⟫"
account_id = "⟪hex:32⟫"

[vars]
UPSTREAM = "https://api.⟪domain⟫"
UPSTREAM_TOKEN = "⟪v:xai⟫"
""",
)

P(
    "code",
    "serverless_yaml",
    "en",
    r"""
service: ⟪word⟫-ingest
provider:
  name: aws
  runtime: python3.12
  region: eu-west-1
  environment:
    TABLE: ${self:service}-${sls:stage}
    GROQ_API_KEY: ⟪v:groq⟫
    WEBHOOK_SIGNING_SECRET: ⟪ansec:32⟫
functions:
  ingest:
    handler: handler.main
    events: [{ httpApi: "POST /ingest" }]
""",
)

P(
    "code",
    "elixir_config",
    "en",
    r"""
import Config

config :⟪word⟫, ⟪word⟫Web.Endpoint,
  http: [port: 4000],
  secret_key_base: "⟪ansec:64⟫"

config :⟪word⟫, ⟪word⟫.Repo,
  username: "postgres",
  password: "⟪pw⟫",
  database: "⟪word⟫_prod",
  pool_size: 15
""",
)

P(
    "code",
    "python_test",
    "en",
    r"""
# tests/conftest.py
import pytest

@pytest.fixture
def twilio_creds():
    # real sandbox creds, copied from the console on ⟪date⟫
    return {
        "api_key": "⟪v:twilio_sk⟫",
        "api_secret": "⟪ansec:32⟫",
        "account_sid": "AC⟪hex:32⟫",
    }
""",
)

P(
    "code",
    "pgpass",
    "en",
    r"""
# hostname:port:database:username:password
⟪ip4⟫:5432:*:⟪user⟫:⟪pw:url⟫
localhost:5432:⟪word⟫:postgres:⟪pw:url⟫
""",
)

P(
    "code",
    "redis_conf",
    "en",
    r"""
bind 0.0.0.0
protected-mode yes
port 6379
requirepass ⟪pw:alnum⟫
masterauth ⟪pw:alnum⟫
replicaof ⟪ip4⟫ 6379
maxmemory 2gb
maxmemory-policy allkeys-lru
""",
)

P(
    "code",
    "mysql_cnf",
    "en",
    r"""
[client]
user=⟪user⟫
password=⟪pw⟫
host=⟪ip4⟫

[mysqldump]
single-transaction
quick
""",
)

P(
    "code",
    "wpa_supplicant",
    "en",
    r"""
ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1
country=DE

network={
    ssid="⟪word⟫-⟪int:10-99⟫"
    psk="⟪phrase⟫"
    key_mgmt=WPA-PSK
}
""",
)

P(
    "code",
    "openvpn_config",
    "en",
    r"""
client
dev tun
proto udp
remote ⟪ip4⟫ 1194
remote ⟪ip4⟫ 1194
resolv-retry infinite
nobind
persist-key
cipher AES-256-GCM
<ca>
⟪pubblock:cert⟫
</ca>
<key>
⟪pem:pkcs8⟫
</key>
""",
)

P(
    "code",
    "git_diff",
    "en",
    r"""
diff --git a/src/settings.py b/src/settings.py
--- a/src/settings.py
+++ b/src/settings.py
@@ -12,4 +12,4 @@ LOGGING = {
 }
 
-HUGGINGFACE_TOKEN = "⟪v:hf⟫"
+HUGGINGFACE_TOKEN = os.environ["HF_TOKEN"]
 CACHE_DIR = Path.home() / ".cache" / "models"
""",
)

P(
    "code",
    "gradle_properties",
    "en",
    r"""
org.gradle.jvmargs=-Xmx4g
android.useAndroidX=true
RELEASE_STORE_FILE=../keystore/release.jks
RELEASE_STORE_PASSWORD=⟪pw:alnum⟫
RELEASE_KEY_ALIAS=upload
RELEASE_KEY_PASSWORD=⟪pw:alnum⟫
""",
)

P(
    "code",
    "swift_source",
    "en",
    r"""
import Supabase

let client = SupabaseClient(
    supabaseURL: URL(string: "https://⟪lo:20⟫.supabase.co")!,
    // service role, bypasses RLS -- only for the admin tool
    supabaseKey: "⟪jwt:HS256⟫"
)
""",
)

P(
    "code",
    "sql_migration",
    "en",
    r"""
-- V⟪int:2-80⟫__seed_admin.sql
INSERT INTO users (email, display_name, role, password_plain, created_at)
VALUES ('⟪email⟫', '⟪name⟫', 'admin', '⟪pw⟫', NOW());
-- TODO hash this before prod!!
""",
)

P(
    "code",
    "cisco_config",
    "en",
    r"""
hostname ⟪host⟫
!
enable secret 9 ⟪cisco:9⟫
username netadmin privilege 15 password 0 ⟪pw:alnum⟫
!
interface GigabitEthernet0/0
 description uplink-to-isp
 ip address ⟪ip4⟫ 255.255.255.252
!
snmp-server community ⟪pw:alnum⟫ RO
ip route 0.0.0.0 0.0.0.0 ⟪ip4⟫
""",
)

P(
    "code",
    "ipsec_secrets",
    "en",
    r"""
# /etc/ipsec.secrets
⟪ip4⟫ ⟪ip4⟫ : PSK "⟪pw:alnum⟫"
: RSA /etc/ipsec.d/private/gw.pem
""",
)

P(
    "code",
    "haproxy_cfg",
    "en",
    r"""
listen stats
    bind *:8404
    stats enable
    stats uri /stats
    stats auth admin:⟪pw:url⟫

backend api
    balance roundrobin
    server api1 ⟪ip4⟫:8000 check
    server api2 ⟪pip4⟫:8000 check
""",
)

P(
    "code",
    "prometheus_yaml",
    "en",
    r"""
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ["⟪ip4⟫:9100", "⟪ip4⟫:9100"]
  - job_name: federate
    basic_auth:
      username: prom
      password: ⟪pw⟫
    static_configs:
      - targets: ["metrics.⟪domain⟫"]
""",
)

P(
    "code",
    "rclone_conf",
    "en",
    r"""
[b2-backup]
type = s3
provider = AWS
access_key_id = ⟪v:akia⟫
secret_access_key = ⟪b64sec:30⟫
region = eu-central-1

[gdrive]
type = drive
client_id = ⟪gclient⟫
client_secret = ⟪v:gocspx⟫
""",
)

P(
    "code",
    "js_config",
    "en",
    r"""
// algolia.js
import algoliasearch from "algoliasearch";

// search-only key is public and fine in the bundle
export const searchClient = algoliasearch("⟪an:10⟫", "⟪hex:32⟫");

// admin client (indexing) — server only!
export const adminClient = algoliasearch("⟪an:10⟫", "⟪hexsec:32⟫");
""",
)

P(
    "code",
    "jupyter_notebook",
    "en",
    r"""
# %% [markdown]
# ## Load the gated model

# %%
from huggingface_hub import login
login(token="⟪v:hf⟫")

# %%
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained("⟪word⟫-lab/⟪word⟫-7b")
""",
)

P(
    "code",
    "terraform_state",
    "en",
    r"""
{
  "version": 4,
  "terraform_version": "1.⟪int:3-9⟫.⟪int:0-5⟫",
  "resources": [
    {
      "mode": "managed",
      "type": "aws_db_instance",
      "name": "main",
      "instances": [{
        "attributes": {
          "address": "⟪word⟫.⟪lo:12⟫.eu-west-1.rds.amazonaws.com",
          "username": "⟪user⟫",
          "password": "⟪pw⟫",
          "port": 5432
        }
      }]
    }
  ]
}
""",
)

P(
    "code",
    "python_source",
    "fr",
    r"""
# client_api.py — appel à l'API de facturation
# ATTENTION : clé de production, ne pas pousser sur le dépôt public
CLE_API = "⟪v:shippo⟫"
URL_BASE = "https://api.goshippo.com"

def entetes():
    # l'en-tête attend le préfixe ShippoToken
    return {"Authorization": f"ShippoToken {CLE_API}"}
""",
)

P(
    "code",
    "python_source",
    "de",
    r"""
# backup_upload.py
# Lädt das nächtliche Backup in den Dropbox-Ordner hoch.
import dropbox

# Zugriffstoken (läuft nach 4 Stunden ab, für Tests reicht das)
TOKEN = "⟪v:dropbox⟫"
dbx = dropbox.Dropbox(TOKEN)
with open("/var/backups/db.sql.gz", "rb") as f:
    dbx.files_upload(f.read(), "/backups/db.sql.gz")
""",
)

P(
    "code",
    "yaml_config",
    "es",
    r"""
# configuración del bot de notificaciones
# (no compartir este archivo)
telegram:
  token: "⟪v:telegram⟫"
  chat_id: -100⟪int:1000000000-1999999999⟫
correo:
  servidor: smtp.⟪domain⟫
  usuario: ⟪email⟫
  contrasena: "⟪pw⟫"
""",
)

P(
    "code",
    "toml_config",
    "en",
    r"""
[tool.poetry.source]
name = "private"
url = "https://pypi.⟪domain⟫/simple/"

[http-basic.private]
username = "⟪user⟫"
password = "⟪pw⟫"

[tool.⟪word⟫]
api_base = "https://api.⟪domain⟫"
api_key = "⟪v:perplexity⟫"
""",
)

P(
    "code",
    "git_diff",
    "en",
    r"""
diff --git a/.env.staging b/.env.staging
new file mode 100644
index 0000000..⟪hex:7⟫
--- /dev/null
+++ b/.env.staging
@@ -0,0 +1,6 @@
+NOTION_TOKEN=⟪v:notion⟫
+AIRTABLE_PAT=⟪v:airtable⟫
+FIGMA_TOKEN=⟪v:figma⟫
+LOG_LEVEL=debug
+PORT=⟪int:3000-9000⟫
+PUBLIC_URL=https://staging.⟪domain⟫
""",
)

P(
    "code",
    "ci_config",
    "en",
    r"""
# .buildkite/pipeline.yml
env:
  BUILDKITE_API_TOKEN: "⟪v:buildkite⟫"
  GEM_HOST_API_KEY: "⟪v:rubygems⟫"
steps:
  - label: ":rspec: tests"
    command: bundle exec rspec
  - wait
  - label: ":gem: publish"
    command: gem push pkg/*.gem
    branches: main
""",
)

P(
    "code",
    "json_config",
    "en",
    r"""
{
  "pulumi": {"accessToken": "⟪v:pulumi⟫"},
  "databricks": {"host": "https://adb-⟪int:1000000000000000-9999999999999999⟫.⟪int:1-19⟫.azuredatabricks.net", "token": "⟪v:databricks⟫"},
  "tailscale": {"authKey": "⟪v:tailscale⟫"}
}
""",
)

P(
    "code",
    "shell_profile",
    "en",
    r"""
# ~/.zshrc (excerpt)
export PATH="$HOME/.local/bin:$PATH"
export EDITOR=nvim
alias k=kubectl
export OPENROUTER_API_KEY="⟪v:openrouter⟫"
export LANGCHAIN_API_KEY="⟪v:langsmith⟫"
export DOCKERHUB_TOKEN="⟪v:dockerhub⟫"
eval "$(starship init zsh)"
""",
)

P(
    "code",
    "terraform",
    "en",
    r"""
provider "azurerm" {
  features {}
  subscription_id = "⟪uuid⟫"
  tenant_id       = "⟪uuid⟫"
  client_id       = "⟪uuid⟫"
  client_secret   = "⟪v:azure_ad⟫"
}
""",
)

P(
    "code",
    "ruby_source",
    "en",
    r"""
# lib/tasks/sync.rake
namespace :sync do
  task atlassian: :environment do
    client = JIRA::Client.new(
      username: "⟪email⟫",
      password: "⟪v:atlassian⟫",
      site: "https://⟪word⟫.atlassian.net",
      context_path: "", auth_type: :basic
    )
    puts client.Project.all.map(&:key)
  end
end
""",
)

P(
    "code",
    "python_source",
    "en",
    r"""
# grafana_sync.py
GRAFANA_URL = "https://⟪word⟫.grafana.net"
GRAFANA_SA_TOKEN = "⟪v:glsa⟫"
GRAFANA_CLOUD_TOKEN = "⟪v:glc⟫"
NEW_RELIC_KEY = "⟪v:nrak⟫"

def headers():
    return {"Authorization": f"Bearer {GRAFANA_SA_TOKEN}"}
""",
)

P(
    "code",
    "env_file",
    "en",
    r"""
# .env.local — generated by setup script on ⟪date⟫
NEXT_PUBLIC_SITE_URL=http://localhost:3000
NEXT_PUBLIC_POSTHOG_HOST=https://eu.posthog.com
POSTHOG_PERSONAL_API_KEY=⟪v:posthog_personal⟫
SQUARE_ACCESS_TOKEN=⟪v:square⟫
SQUARE_APP_SECRET=⟪v:square_secret⟫
PLANETSCALE_TOKEN=⟪v:pscale⟫
DATABASE_PASSWORD=⟪v:pscale_pw⟫
SUPABASE_ACCESS_TOKEN=⟪v:supabase⟫
""",
)

P(
    "code",
    "yaml_config",
    "en",
    r"""
# config/integrations.yml
facebook:
  page_id: "⟪int:100000000000000-999999999999999⟫"
  page_access_token: "⟪v:facebook⟫"
mapbox:
  public_token: "⟪mapbox_pk⟫"
  upload_token: "⟪v:mapbox_secret⟫"
adafruit_io:
  username: ⟪user⟫
  key: "⟪v:adafruit⟫"
""",
)

P(
    "code",
    "sops_age",
    "en",
    r"""
# created: ⟪ts⟫
# public key: age1⟪lo:58⟫
⟪v:age⟫
""",
)

# ===================== CODE: hard negatives ===============================
N(
    "code",
    "env_example",
    "en",
    "placeholder",
    r"""
# .env.example — copy to .env and fill in
APP_ENV=development
APP_PORT=⟪int:3000-9000⟫
DATABASE_URL=postgres://postgres:<password>@localhost:5432/⟪word⟫
STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx
OPENAI_API_KEY=your_openai_api_key_here
SENDGRID_API_KEY=
JWT_SECRET=<generate with: openssl rand -hex 32>
""",
)

N(
    "code",
    "github_actions",
    "en",
    "env_var_reference",
    r"""
name: deploy
on: { push: { branches: [main] } }
jobs:
  deploy:
    runs-on: ubuntu-⟪pick:22.04¦24.04¦latest⟫
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1
      - run: ./scripts/deploy.sh ⟪word⟫-⟪pick:api¦web¦worker¦cron⟫ --timeout ⟪int:60-900⟫
        env:
          SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}
          GITHUB_TOKEN: ${{ github.token }}
""",
)

N(
    "code",
    "docker_compose",
    "en",
    "env_var_reference",
    r"""
services:
  db:
    image: mariadb:11
    environment:
      MARIADB_ROOT_PASSWORD_FILE: /run/secrets/db_root
      MARIADB_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}
      MARIADB_USER: ${DB_USER:-app}
    secrets: [db_root]
  web:
    image: ghcr.io/⟪user⟫/⟪word⟫:⟪ver⟫
    env_file: .env
secrets:
  db_root:
    file: ./secrets/db_root.txt
""",
)

N(
    "code",
    "k8s_manifest",
    "en",
    "non_secret_config",
    r"""
apiVersion: v1
kind: ConfigMap
metadata:
  name: ⟪word⟫-config
data:
  LOG_LEVEL: info
  CACHE_TTL_SECONDS: "⟪int:30-3600⟫"
  UPSTREAM_URL: http://⟪word⟫-svc.default.svc.cluster.local:8080
  FEATURE_SEARCH_V2: "true"
  MAX_UPLOAD_MB: "⟪int:5-100⟫"
""",
)

N(
    "code",
    "python_settings",
    "en",
    "env_var_reference",
    r"""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.getenv("DEBUG", "0") == "1"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.getenv("PGDATABASE", "⟪word⟫"),
        "USER": os.getenv("PGUSER"),
        "PASSWORD": os.getenv("PGPASSWORD"),
        "HOST": os.getenv("PGHOST", "localhost"),
    }
}
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
""",
)

N(
    "code",
    "package_lock",
    "en",
    "package_integrity_hash",
    r"""
    "node_modules/⟪word⟫": {
      "version": "⟪ver⟫",
      "resolved": "https://registry.npmjs.org/⟪word⟫/-/⟪word⟫-⟪ver⟫.tgz",
      "integrity": "sha512-⟪b64:64⟫",
      "dev": true
    },
    "node_modules/⟪word⟫-utils": {
      "version": "⟪ver⟫",
      "integrity": "sha512-⟪b64:64⟫"
    },
""",
)

N(
    "code",
    "go_sum",
    "en",
    "checksum_digest",
    r"""
github.com/⟪user⟫/⟪word⟫ v⟪ver⟫ h1:⟪b64:32⟫
github.com/⟪user⟫/⟪word⟫ v⟪ver⟫/go.mod h1:⟪b64:32⟫
golang.org/x/sys v0.⟪int:10-30⟫.0 h1:⟪b64:32⟫
golang.org/x/sys v0.⟪int:10-30⟫.0/go.mod h1:⟪b64:32⟫
""",
)

N(
    "code",
    "shadow_file",
    "en",
    "password_hash",
    r"""
root:⟪crypt⟫:19⟪int:100-999⟫:0:99999:7:::
daemon:*:19⟪int:100-999⟫:0:99999:7:::
⟪user⟫:⟪crypt⟫:19⟪int:100-999⟫:0:99999:7:::
⟪user⟫:!:19⟪int:100-999⟫::::::
""",
)

N(
    "code",
    "htpasswd",
    "en",
    "password_hash",
    r"""
# generated with htpasswd -B
⟪user⟫:⟪bcrypt⟫
⟪user⟫:⟪bcrypt⟫
monitor:$apr1$⟪an:8⟫$⟪an:22⟫
""",
)

N(
    "code",
    "cisco_config",
    "en",
    "password_hash",
    r"""
hostname ⟪host⟫
!
enable algorithm-type scrypt secret ⟪cisco:9⟫
username admin privilege 15 secret 8 ⟪cisco:8⟫
username backup privilege 5 secret 9 ⟪cisco:9⟫
!
interface Vlan10
 ip address ⟪pip4⟫ 255.255.255.0
""",
)

N(
    "code",
    "python_test",
    "en",
    "placeholder",
    r"""
def test_masks_keys_in_logs(caplog):
    fake = "sk_test_" + "x" * 24
    log_request({"Authorization": f"Bearer {fake}"})
    assert "sk_test_xxxx" not in caplog.text
    assert "Bearer ****" in caplog.text
    assert "request_id=⟪uuid⟫" in caplog.text
""",
)

N(
    "code",
    "js_source",
    "en",
    "vendor_doc_example",
    r"""
// Copied from the SDK README, values are the documentation defaults
const s3 = new S3Client({
  region: "us-east-1",
  credentials: {
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  },
});
// bucket: ⟪word⟫-⟪int:100-999⟫
""",
)

N(
    "code",
    "sql_schema",
    "en",
    "password_hash",
    r"""
CREATE TABLE accounts (
  id BIGSERIAL PRIMARY KEY,
  email TEXT UNIQUE NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TIMESTAMPTZ DEFAULT now()
);

INSERT INTO accounts (email, password_hash) VALUES
  ('⟪exmail⟫', '⟪bcrypt⟫'),
  ('⟪exmail⟫', '⟪argon2⟫');
""",
)

N(
    "code",
    "python_source",
    "en",
    "request_identifier",
    r"""
import logging, uuid

log = logging.getLogger(__name__)

def handle(req):
    rid = req.headers.get("X-Request-ID") or str(uuid.uuid4())
    log.info("start rid=%s trace=%s", rid, req.headers.get("traceparent"))
    # e.g. traceparent: 00-⟪hex:32⟫-⟪hex:16⟫-01
    return rid
""",
)

N(
    "code",
    "nginx_conf",
    "en",
    "private_ip",
    r"""
upstream app {
    least_conn;
    server ⟪pip4⟫:8000;
    server ⟪pip4⟫:8000;
    server ⟪pip4⟫:8000 down;
}
server {
    listen 80;
    set_real_ip_from ⟪pip4⟫/16;
    real_ip_header X-Forwarded-For;
    allow 127.0.0.1;
    deny all;
}
""",
)

N(
    "code",
    "terraform",
    "en",
    "private_ip_range",
    r"""
resource "aws_vpc" "main" {
  cidr_block = "10.⟪int:0-250⟫.0.0/16"
}
resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.⟪int:0-250⟫.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["⟪pip4⟫/32"]
}
""",
)

N(
    "code",
    "dockerfile",
    "en",
    "image_digest",
    r"""
FROM golang:1.22@sha256:⟪hex:64⟫ AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static@sha256:⟪hex:64⟫
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
""",
)

N(
    "code",
    "css_file",
    "en",
    "css_hex_values",
    r"""
.btn-primary{background:#⟪hex:6⟫;border:1px solid #⟪hex:6⟫;color:#fff}
.btn-primary:hover{background:#⟪hex:6⟫}
.alert{border-left:4px solid #⟪hex:3⟫;padding:.75rem 1rem}
/* build ⟪hex:8⟫ */
""",
)

N(
    "code",
    "html_template",
    "en",
    "csrf_token",
    r"""
<form action="/account/email" method="post">
  <input type="hidden" name="authenticity_token" value="⟪csrf:86⟫" autocomplete="off">
  <label>New e-mail <input type="email" name="email" required></label>
  <label>Current password <input type="password" name="current_password" autocomplete="current-password"></label>
  <button type="submit">Update</button>
</form>
<meta name="csrf-token" content="⟪csrf:86⟫">
""",
)

N(
    "code",
    "ssh_authorized_keys",
    "en",
    "public_key",
    r"""
# managed by ansible
⟪sshpub⟫ ⟪user⟫@laptop
⟪sshpub⟫ deploy@ci
""",
)

N(
    "code",
    "jwks_json",
    "en",
    "public_key",
    r"""
{
  "keys": [
    {
      "kty": "RSA",
      "use": "sig",
      "kid": "⟪an:16⟫",
      "alg": "RS256",
      "n": "⟪an:342⟫",
      "e": "AQAB"
    }
  ]
}
""",
)

N(
    "code",
    "solidity",
    "en",
    "crypto_wallet_address",
    r"""
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Splitter {
    address payable public constant TREASURY = payable(⟪eth⟫);
    address public constant ROUTER = ⟪eth⟫;
    uint256 public constant SHARE_BPS = ⟪int:100-900⟫;
}
""",
)

N(
    "code",
    "cli_output",
    "en",
    "vault_accessor",
    r"""
$ vault token lookup -format=json | jq '.data | {accessor, policies, ttl, display_name}'
{
  "accessor": "⟪an:24⟫",
  "policies": ["default", "ci-read"],
  "ttl": ⟪int:1000-90000⟫,
  "display_name": "approle-⟪word⟫"
}
""",
)

N(
    "code",
    "python_source",
    "en",
    "cache_key",
    r"""
def cache_key(user_id: int, locale: str) -> str:
    # e.g. "profile:v3:⟪int:1000-99999⟫:de_DE" or hashed: "p3:⟪hex:32⟫"
    return f"profile:v3:{user_id}:{locale}"

CACHE_TTL = ⟪int:60-3600⟫
""",
)

N(
    "code",
    "python_source",
    "en",
    "password_prompt_code",
    r"""
import getpass

def connect():
    user = input("user: ")
    password = getpass.getpass("password: ")
    return psycopg.connect(host="localhost", user=user, password=password, dbname="⟪word⟫")
""",
)

N(
    "code",
    "python_test",
    "en",
    "example_domain_email",
    r"""
@pytest.mark.parametrize("addr,ok", [
    ("⟪exmail⟫", True),
    ("⟪exmail⟫", True),
    ("no-at-sign.example.com", False),
    ("two@@example.org", False),
])
def test_validate(addr, ok):
    assert validate_email(addr) is ok
""",
)

N(
    "code",
    "js_source",
    "en",
    "validation_regex",
    r"""
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const CARD_RE = /^(?:4\d{12}(?:\d{3})?|5[1-5]\d{14})$/;
export const isEmail = (s) => EMAIL_RE.test(s);
// v⟪ver⟫
""",
)

N(
    "code",
    "python_source",
    "en",
    "luhn_invalid_card",
    r"""
def luhn(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()]
    checksum = sum(digits[-1::-2]) + sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])
    return checksum % 10 == 0

assert not luhn("⟪badcard:visa⟫")
assert not luhn("⟪badcard:amex⟫")
""",
)

N(
    "code",
    "yaml_config",
    "en",
    "unspecified_ip",
    r"""
server:
  listen: 0.0.0.0:⟪int:1024-9000⟫
  listen_v6: "[::]:⟪int:1024-9000⟫"
  metrics: 127.0.0.1:9⟪int:100-999⟫
  trusted_proxies: [⟪pip4⟫, ⟪pip4⟫]
""",
)

N(
    "code",
    "avahi_config",
    "en",
    "multicast_ip",
    r"""
# mDNS / SSDP reflector
[reflector]
enable-reflector=yes
# groups: 224.0.0.251 (mDNS), 239.255.255.250 (SSDP), custom ⟪mcip⟫
[server]
allow-interfaces=eth0,eth1
""",
)

N(
    "code",
    "netplan",
    "en",
    "private_ipv6",
    r"""
network:
  version: 2
  ethernets:
    eth0:
      addresses:
        - ⟪pip4⟫/24
        - ⟪pip6⟫/64
      routes:
        - to: default
          via: ⟪pip4⟫
      nameservers:
        addresses: [⟪pip4⟫, "⟪llip6⟫%eth0"]
""",
)

N(
    "code",
    "ml_config",
    "en",
    "numeric_config",
    r"""
seed: ⟪int:0-99999⟫
model:
  d_model: ⟪pick:512¦768¦1024⟫
  n_layers: ⟪int:6-48⟫
optimizer:
  lr: 3.0e-4
  betas: [0.9, 0.95]
  weight_decay: 0.1
data:
  shards: s3://⟪word⟫-datasets/tokenized/v⟪int:1-9⟫/
  checksum: ⟪hex:64⟫
""",
)

N(
    "code",
    "webpack_manifest",
    "en",
    "build_hash",
    r"""
{
  "main.js": "/static/js/main.⟪hex:8⟫.js",
  "main.css": "/static/css/main.⟪hex:8⟫.css",
  "vendor.js": "/static/js/vendor.⟪hex:20⟫.js",
  "buildId": "⟪an:21⟫"
}
""",
)

N(
    "code",
    "python_source",
    "en",
    "pkce_code_challenge",
    r"""
# PKCE: only the challenge is sent in the authorize URL
AUTHORIZE_URL = (
    "https://auth.⟪domain⟫/authorize?response_type=code"
    "&client_id=⟪an:20⟫"
    "&code_challenge=⟪csrf:43⟫&code_challenge_method=S256"
    "&state=⟪csrf:22⟫"
)
""",
)

N(
    "code",
    "k8s_manifest",
    "en",
    "env_var_reference",
    r"""
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: ⟪word⟫-db
spec:
  refreshInterval: 1h
  secretStoreRef: { name: vault-backend, kind: ClusterSecretStore }
  target: { name: ⟪word⟫-db }
  data:
    - secretKey: password
      remoteRef: { key: secret/data/⟪word⟫/db, property: password }
""",
)

N(
    "code",
    "python_source",
    "en",
    "mock_data_code",
    r"""
from faker import Faker
fake = Faker("de_DE")
Faker.seed(⟪int:1-9999⟫)
rows = [{"name": fake.name(), "email": fake.email(domain="example.com"), "ip": fake.ipv4_private()} for _ in range(⟪int:10-500⟫)]
""",
)

N(
    "code",
    "js_config",
    "en",
    "publishable_key",
    r"""
// public/config.js — everything here ships to the browser
window.APP_CONFIG = {
  stripeKey: "⟪pkpub⟫",
  recaptchaSiteKey: "⟪recaptcha⟫",
  googleClientId: "⟪gclient⟫",
  mapboxToken: "⟪mapbox_pk⟫",
  sentryRelease: "⟪hex:12⟫",
};
""",
)

N(
    "code",
    "git_diff",
    "en",
    "env_var_reference",
    r"""
diff --git a/app/config.ts b/app/config.ts
--- a/app/config.ts
+++ b/app/config.ts
@@ -1,5 +1,5 @@
 export const config = {
-  apiKey: process.env.NEXT_PUBLIC_API_KEY,
+  apiKey: process.env.API_KEY ?? "",
   region: "⟪pick:eu¦us⟫",
-  timeoutMs: ⟪int:1000-5000⟫,
+  timeoutMs: ⟪int:5001-9000⟫,
 };
""",
)

N(
    "code",
    "known_hosts",
    "en",
    "ssh_known_hosts",
    r"""
|1|⟪b64:20⟫|⟪b64:20⟫ ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI⟪b64:32⟫
⟪pip4⟫ ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB⟪b64:66⟫
⟪host⟫ ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI⟪b64:32⟫
""",
)

# ===================== COMMS: positives ===================================
P(
    "comms",
    "email",
    "en",
    r"""
From: ⟪name⟫ <⟪email|a⟫>
To: ⟪email⟫
Cc: ⟪email⟫
Date: ⟪date⟫ ⟪clock⟫
Subject: staging DB is back up

Hi both,

the staging database is rebuilt from last night's snapshot. Same host as before (⟪ip4⟫), port 5432.
New credentials since the old ones were in that screenshot:

  user: ⟪user⟫
  pass: ⟪pw⟫

Please don't paste them into tickets again, use the vault entry once I've created it.

Cheers,
⟪first⟫
-- 
⟪=a⟫ | Platform team
""",
)

P(
    "comms",
    "email",
    "en",
    r"""
Subject: Re: Re: duplicate charge on invoice ⟪int:10000-99999⟫

Hello,

as requested, here are the details of the card that was charged twice: ⟪card⟫, expiry ⟪int:1-12⟫/⟪int:26-31⟫, name on card ⟪name⟫. The second charge appeared on ⟪date⟫.

I'd appreciate a refund to the same card rather than store credit.

Best regards
⟪name⟫
⟪email⟫

> On ⟪date⟫, ⟪email:role⟫ wrote:
> Could you confirm which card was used? Please only send the last 4 digits.
""",
)

P(
    "comms",
    "chat_log",
    "en",
    r"""
[⟪clock⟫] ⟪user⟫: anyone got the sandbox key for the shipping API? mine expired
[⟪clock⟫] ⟪user⟫: sec
[⟪clock⟫] ⟪user⟫: ⟪v:shippo⟫
[⟪clock⟫] ⟪user⟫: ty!! 🙏
[⟪clock⟫] ⟪user⟫: pls dont pin it, its also the one prod uses lol
[⟪clock⟫] ⟪user⟫: wait what
""",
)

P(
    "comms",
    "support_ticket",
    "en",
    r"""
Ticket #⟪int:100000-999999⟫ — Priority: normal — Status: open
Requester: ⟪name⟫ <⟪email⟫>

Subject: refund not received

Hi, I returned the jacket on ⟪date⟫ (order ⟪int:1000000-9999999⟫) and still no refund. the card i paid with is ⟪card⟫ if that helps you find it. Thanks

---- internal note (⟪user⟫) ----
Customer posted full PAN in ticket, requested redaction. Refund issued to original payment method.
""",
)

P(
    "comms",
    "meeting_notes",
    "en",
    r"""
# Infra sync — ⟪date⟫

**Attendees:** ⟪name⟫, ⟪name⟫, ⟪name⟫

## Migration of the Frankfurt site
- New edge routers are live, WAN addresses ⟪ip4⟫ and ⟪ip4⟫
- Site-to-site tunnel to Amsterdam up since Tuesday; IKEv2 PSK is `⟪pw:alnum⟫` (rotate after cut-over!)
- old range gets returned to the ISP end of month

## Action items
- [ ] ⟪first⟫: update runbook
- [ ] ⟪first⟫: move PSK into vault and rotate
""",
)

P(
    "comms",
    "shared_doc",
    "en",
    r"""
ONBOARDING – shared accounts (⟪pick:Q1¦Q2¦Q3¦Q4⟫)
Owner: ⟪name⟫   Last edited ⟪date⟫

Service           | Login                  | Password
------------------|------------------------|------------------
Wi-Fi (office)    | ⟪word⟫-staff           | ⟪phrase⟫
Printer admin     | admin                  | ⟪pw:alnum⟫
Social media      | ⟪email⟫                | ⟪pw⟫
Test shop         | ⟪email⟫                | ⟪pw⟫

Please move to the password manager, this doc is temporary!!
""",
)

P(
    "comms",
    "postmortem",
    "en",
    r"""
Postmortem: exposed Slack bot token (SEV-3)
Date: ⟪date⟫   Author: ⟪name⟫

Summary
A bot token (`⟪v:xoxb⟫`) was included in a screenshot attached to a public GitHub issue. The token had chat:write and channels:read scopes.

Timeline
⟪clock⟫ issue opened by a community member
⟪clock⟫ secret scanning alert received
⟪clock⟫ token revoked, new token issued
Impact: none detected in audit logs.
""",
)

P(
    "comms",
    "email",
    "de",
    r"""
Von: ⟪name⟫ <⟪email⟫>
An: ⟪email⟫
Betreff: Zugangsdaten SFTP für den Datenaustausch

Sehr geehrte Frau ⟪pick:Keller¦Wagner¦Hoffmann⟫,

wie telefonisch besprochen erhalten Sie hiermit die Zugangsdaten für unseren SFTP-Server:

Server: ⟪ip4⟫ (Port 22)
Benutzername: ⟪user⟫
Kennwort: ⟪pw⟫

Das Kennwort schicke ich Ihnen normalerweise per SMS, heute ging das leider nicht. Bitte ändern Sie es nach der ersten Anmeldung.

Mit freundlichen Grüßen
⟪name⟫
""",
)

P(
    "comms",
    "chat_message",
    "de",
    r"""
⟪first⟫ (⟪clock⟫): Wie war nochmal das WLAN-PW im Besprechungsraum?
⟪first⟫ (⟪clock⟫): ⟪pw:alnum⟫ – Groß/Kleinschreibung beachten
⟪first⟫ (⟪clock⟫): danke dir!
""",
)

P(
    "comms",
    "support_ticket",
    "fr",
    r"""
Demande n° ⟪int:10000-99999⟫ – Service client

Bonjour,

Ma commande ne passe pas, le paiement est refusé à chaque fois. J'ai essayé avec ma carte ⟪card⟫ puis avec celle de mon conjoint, ⟪card⟫. Les deux fonctionnent ailleurs.
Pouvez-vous vérifier de votre côté ?

Cordialement,
⟪name⟫ – ⟪email⟫
""",
)

P(
    "comms",
    "email",
    "fr",
    r"""
Objet : accès à l'extranet

Salut ⟪first⟫,

comme convenu, voici tes identifiants pour l'extranet client :
- adresse : https://extranet.⟪domain⟫
- identifiant : ⟪email⟫
- mot de passe provisoire : ⟪pw⟫

Il te sera demandé de le changer à la première connexion. Bonne journée !
⟪first⟫
""",
)

P(
    "comms",
    "chat_message",
    "es",
    r"""
⟪first⟫: oye, ¿me pasas los datos para reservar el hotel de la conferencia?
⟪first⟫: claro, usa la tarjeta de la empresa: ⟪card⟫, caduca ⟪int:1-12⟫/⟪int:26-30⟫, titular ⟪name⟫
⟪first⟫: perfecto, gracias. ¿el CVV te lo pido por teléfono?
⟪first⟫: sí mejor 👍
""",
)

P(
    "comms",
    "meeting_notes",
    "es",
    r"""
Acta de reunión – equipo de sistemas – ⟪date⟫

Asistentes: ⟪name⟫, ⟪name⟫

1. Nuevos servidores contratados en el proveedor:
   - web: ⟪ip4⟫
   - base de datos: ⟪ip4⟫ (solo accesible por VPN)
2. La contraseña temporal del panel del proveedor es ⟪pw⟫; ⟪first⟫ la cambiará hoy.
3. Próxima reunión: el jueves.
""",
)

P(
    "comms",
    "email",
    "it",
    r"""
Oggetto: credenziali VPN per il nuovo collega

Ciao ⟪first⟫,

ecco i dati per configurare la VPN sul portatile di ⟪name⟫:

Gateway: ⟪ip4⟫
Utente: ⟪user⟫
Password: ⟪pw⟫
Chiave pre-condivisa (IPsec): ⟪pw:alnum⟫

Fammi sapere se ci sono problemi. A presto,
⟪first⟫
""",
)

P(
    "comms",
    "email",
    "pt",
    r"""
Assunto: Pagamento da inscrição no congresso

Olá,

Segue o número do cartão para o pagamento das duas inscrições: ⟪card⟫ (validade ⟪int:1-12⟫/⟪int:26-31⟫). O código de segurança passo por telefone.
Por favor enviem a fatura para ⟪email⟫.

Obrigada,
⟪name⟫
""",
)

P(
    "comms",
    "chat_message",
    "pt",
    r"""
⟪first⟫ 09:⟪int:10-59⟫ – alguém sabe a senha do wi-fi novo?
⟪first⟫ 09:⟪int:10-59⟫ – rede ⟪word⟫_5G, senha ⟪pw:alnum⟫
⟪first⟫ 09:⟪int:10-59⟫ – valeu!!
""",
)

P(
    "comms",
    "support_ticket",
    "nl",
    r"""
Ticket ⟪int:10000-99999⟫ – Wachtwoord reset

Beste ⟪first⟫,

Je account is ontgrendeld. Je kunt inloggen met het tijdelijke wachtwoord ⟪pw⟫. Na het inloggen word je gevraagd een nieuw wachtwoord te kiezen.

Met vriendelijke groet,
Servicedesk – ⟪email:role⟫
""",
)

P(
    "comms",
    "email",
    "sv",
    r"""
Ämne: Inloggning till bokföringssystemet

Hej ⟪first⟫!

Här kommer dina inloggningsuppgifter:
Användarnamn: ⟪email⟫
Lösenord: ⟪pw⟫

Logga in senast fredag, annars spärras kontot automatiskt. Hör av dig om något strular.

Vänliga hälsningar
⟪name⟫
""",
)

P(
    "comms",
    "chat_message",
    "nb",
    r"""
⟪first⟫: hei, hva er passordet til ruteren på hytta?
⟪first⟫: brukernavn admin, passord ⟪pw:alnum⟫
⟪first⟫: takk! og wifi?
⟪first⟫: samme som i fjor, står på lappen ved døra
""",
)

P(
    "comms",
    "email",
    "da",
    r"""
Emne: Betaling af depositum

Hej,

Jeg vil gerne betale depositummet med kort. Kortnummer: ⟪card⟫, udløb ⟪int:1-12⟫/⟪int:26-31⟫.
Kontakt mig på ⟪email⟫ hvis der er problemer.

Venlig hilsen
⟪name⟫
""",
)

P(
    "comms",
    "support_ticket",
    "fi",
    r"""
Tukipyyntö #⟪int:1000-9999⟫

Hei, en pääse kirjautumaan sähköpostiin. Käyttäjätunnus on ⟪email⟫ ja salasana ⟪pw⟫ – sama kuin ennenkin. Virheilmoitus: "tili lukittu". Voitteko avata tilin?

t. ⟪name⟫
""",
)

P(
    "comms",
    "email",
    "pl",
    r"""
Temat: dane dostępowe do serwera FTP

Dzień dobry,

przesyłam dane do serwera, na który proszę wgrywać pliki z katalogiem produktów:
host: ⟪ip4⟫
login: ⟪user⟫
hasło: ⟪pw⟫

W razie pytań proszę o kontakt pod adresem ⟪email⟫.

Pozdrawiam
⟪name⟫
""",
)

P(
    "comms",
    "chat_message",
    "cs",
    r"""
⟪first⟫: Ahoj, nemáš heslo k firemnímu Instagramu? Potřebuju dát ven příspěvek.
⟪first⟫: login ⟪email⟫ a heslo ⟪pw⟫
⟪first⟫: díky, pak ho změň, ať ho nemáme v chatu
""",
)

P(
    "comms",
    "email",
    "sk",
    r"""
Predmet: Prístup do administrácie e-shopu

Dobrý deň,

zriadili sme Vám účet v administrácii.
Prihlasovacie meno: ⟪user⟫
Heslo: ⟪pw⟫
Adresa: https://admin.⟪domain⟫

S pozdravom
⟪name⟫, ⟪email⟫
""",
)

P(
    "comms",
    "email",
    "hu",
    r"""
Tárgy: belépési adatok a tesztkörnyezethez

Szia ⟪first⟫!

A tesztszerver elérhető a ⟪ip4⟫ címen. Felhasználónév: ⟪user⟫, jelszó: ⟪pw⟫.
Kérlek, élesben ne használd ugyanezt a jelszót.

Üdv,
⟪name⟫
""",
)

P(
    "comms",
    "support_ticket",
    "ro",
    r"""
Solicitare #⟪int:10000-99999⟫ – plată respinsă

Bună ziua, am încercat de trei ori să plătesc abonamentul cu cardul ⟪card⟫ și de fiecare dată primesc eroare. Banca spune că nu vede nicio tranzacție. Vă rog să verificați.

Mulțumesc,
⟪name⟫ (⟪email⟫)
""",
)

P(
    "comms",
    "chat_message",
    "tr",
    r"""
⟪first⟫: otel rezervasyonu için kart bilgisi lazım
⟪first⟫: şirket kartı: ⟪card⟫ son kullanma ⟪int:1-12⟫/⟪int:26-30⟫
⟪first⟫: tamamdır, faturayı ⟪email⟫ adresine yönlendiriyorum
""",
)

P(
    "comms",
    "email",
    "ru",
    r"""
Тема: доступ к новому серверу

Добрый день, ⟪name:ru⟫!

Сервер готов. Данные для входа:
IP: ⟪ip4⟫
Логин: root
Пароль: ⟪pw⟫

Рекомендую сразу добавить свой SSH-ключ и отключить вход по паролю.

С уважением,
⟪name:ru⟫
""",
)

P(
    "comms",
    "chat_message",
    "uk",
    r"""
⟪name:uk⟫, ⟪clock⟫
Скинь, будь ласка, токен від GitLab для деплою, мій протух

⟪name:uk⟫, ⟪clock⟫
⟪v:glpat⟫
тільки не комить його нікуди 🙂
""",
)

P(
    "comms",
    "email",
    "bg",
    r"""
Тема: Парола за счетоводната програма

Здравейте,

Новата Ви парола е ⟪pw⟫. Потребителското име остава ⟪user⟫. Моля, сменете паролата при първо влизане.

Поздрави,
⟪name:bg⟫
""",
)

P(
    "comms",
    "chat_message",
    "sr",
    r"""
⟪name:sr⟫: Која је лозинка за рутер у канцеларији?
⟪name:sr⟫: ⟪pw:alnum⟫
⟪name:sr⟫: Хвала, сад ради.
""",
)

P(
    "comms",
    "email",
    "hr",
    r"""
Predmet: pristupni podaci za web sučelje kamere

Bok ⟪first⟫,

kamera na skladištu dostupna je na adresi http://⟪ip4⟫:8080. Korisnik je admin, lozinka ⟪pw⟫.
Molim te promijeni lozinku kad se prvi put prijaviš.

Lp, ⟪name⟫
""",
)

P(
    "comms",
    "support_ticket",
    "sl",
    r"""
Zahtevek ⟪int:1000-9999⟫

Pozdravljeni, za dostop do spletne trgovine sem prejel geslo ⟪pw⟫, vendar prijava ne deluje. Uporabniško ime je ⟪email⟫. Prosim za pomoč.
Hvala, ⟪name⟫
""",
)

P(
    "comms",
    "email",
    "lt",
    r"""
Tema: prisijungimo duomenys

Sveiki,

siunčiu prisijungimo prie serverio duomenis: adresas ⟪ip4⟫, vartotojas ⟪user⟫, slaptažodis ⟪pw⟫.
Po pirmo prisijungimo pakeiskite slaptažodį.

Pagarbiai,
⟪name⟫
""",
)

P(
    "comms",
    "chat_message",
    "lv",
    r"""
⟪first⟫: Vai vari atsūtīt paroli no testa vides?
⟪first⟫: lietotājs ⟪user⟫, parole ⟪pw⟫
⟪first⟫: paldies!
""",
)

P(
    "comms",
    "email",
    "et",
    r"""
Teema: ligipääs arveldussüsteemi

Tere ⟪first⟫,

sinu kasutajanimi on ⟪email⟫ ja ajutine parool ⟪pw⟫. Palun vaheta parool esimesel sisselogimisel.

Parimate soovidega
⟪name⟫
""",
)

P(
    "comms",
    "email",
    "el",
    r"""
Θέμα: Πληρωμή παραγγελίας

Καλησπέρα σας,

για την παραγγελία ⟪int:10000-99999⟫ μπορείτε να χρεώσετε την κάρτα ⟪card⟫, λήξη ⟪int:1-12⟫/⟪int:26-31⟫.
Η απόδειξη να σταλεί στο ⟪email⟫.

Ευχαριστώ,
⟪name:el⟫
""",
)

P(
    "comms",
    "support_ticket",
    "ar",
    r"""
تذكرة رقم ⟪int:10000-99999⟫

مرحباً، لم يتم قبول الدفع على موقعكم. رقم البطاقة: ⟪card⟫
تاريخ الانتهاء ⟪int:1-12⟫/⟪int:26-31⟫. أرجو المساعدة في أقرب وقت.
⟪name:ar⟫ – ⟪email⟫
""",
)

P(
    "comms",
    "chat_message",
    "he",
    r"""
⟪name:he⟫: מה הסיסמה לוויפי של המשרד החדש?
⟪name:he⟫: ⟪pw:alnum⟫
⟪name:he⟫: תודה! עובד
""",
)

P(
    "comms",
    "email",
    "fa",
    r"""
موضوع: اطلاعات ورود به پنل

سلام ⟪name:fa⟫ عزیز،
نام کاربری شما ⟪user⟫ و رمز عبور موقت ⟪pw⟫ است. لطفاً پس از اولین ورود آن را تغییر دهید.
آدرس سرور: ⟪ip4⟫

با تشکر
""",
)

P(
    "comms",
    "chat_message",
    "hi",
    r"""
⟪name:hi⟫: भाई, staging सर्वर का पासवर्ड क्या है?
⟪name:hi⟫: user ⟪user⟫ और पासवर्ड ⟪pw⟫ है, IP ⟪ip4⟫
⟪name:hi⟫: धन्यवाद 👍
""",
)

P(
    "comms",
    "email",
    "bn",
    r"""
বিষয়: নতুন ইমেইল অ্যাকাউন্ট

প্রিয় ⟪name:bn⟫,
আপনার অফিস ইমেইল ⟪email⟫ তৈরি করা হয়েছে। অস্থায়ী পাসওয়ার্ড: ⟪pw⟫
প্রথমবার লগইন করার পর পাসওয়ার্ড পরিবর্তন করুন।

ধন্যবাদ
""",
)

P(
    "comms",
    "chat_message",
    "th",
    r"""
⟪name:th⟫: ขอรหัสผ่าน wifi ห้องประชุมหน่อยครับ
⟪name:th⟫: ⟪pw:alnum⟫ ค่ะ
⟪name:th⟫: ขอบคุณครับ
""",
)

P(
    "comms",
    "email",
    "vi",
    r"""
Tiêu đề: Thông tin đăng nhập hệ thống kế toán

Chào anh ⟪first⟫,

Em gửi anh thông tin tài khoản:
- Tên đăng nhập: ⟪email⟫
- Mật khẩu: ⟪pw⟫

Anh nhớ đổi mật khẩu sau khi đăng nhập lần đầu nhé.
""",
)

P(
    "comms",
    "support_ticket",
    "id",
    r"""
Tiket #⟪int:10000-99999⟫ – Pembayaran gagal

Halo, saya sudah mencoba bayar pakai kartu kredit ⟪card⟫ tapi selalu ditolak. Saldo cukup. Mohon dicek ya. Email saya ⟪email⟫.
Terima kasih.
""",
)

P(
    "comms",
    "chat_message",
    "ms",
    r"""
⟪first⟫: Boleh bagi kata laluan akaun ujian?
⟪first⟫: emel ⟪email⟫, kata laluan ⟪pw⟫
⟪first⟫: terima kasih!
""",
)

P(
    "comms",
    "email",
    "sw",
    r"""
Kichwa: Taarifa za kuingia kwenye mfumo

Habari ⟪first⟫,

Jina la mtumiaji ni ⟪user⟫ na nenosiri ni ⟪pw⟫. Tafadhali badilisha nenosiri baada ya kuingia mara ya kwanza.

Asante,
⟪name⟫
""",
)

P(
    "comms",
    "chat_message",
    "tl",
    r"""
⟪first⟫: pre, ano ulit password ng admin panel?
⟪first⟫: ⟪pw⟫ yung bago, pinalitan ko kahapon
⟪first⟫: salamat!
""",
)

P(
    "comms",
    "email",
    "ja",
    r"""
件名: API キーの共有について

⟪name:ja⟫ さん

お疲れ様です。検証環境用の API キーを共有します。

⟪v:anthropic⟫

本番環境では使用しないでください。不要になったら連絡ください。

よろしくお願いいたします。
⟪name:ja⟫
""",
)

P(
    "comms",
    "chat_message",
    "zh",
    r"""
⟪name:zh⟫ ⟪clock⟫
测试服务器的密码是多少？

⟪name:zh⟫ ⟪clock⟫
root / ⟪pw⟫，IP 是 ⟪ip4⟫

⟪name:zh⟫ ⟪clock⟫
收到，谢谢
""",
)

P(
    "comms",
    "support_ticket",
    "ko",
    r"""
문의 번호 ⟪int:10000-99999⟫

안녕하세요. 결제가 계속 실패합니다. 사용한 카드 번호는 ⟪card⟫ 입니다.
유효기간 ⟪int:1-12⟫/⟪int:26-31⟫. 확인 부탁드립니다.
연락처 이메일: ⟪email⟫
""",
)

P(
    "comms",
    "email",
    "ca",
    r"""
Assumpte: accés al servidor de proves

Hola ⟪first⟫,

T'envio les dades d'accés: servidor ⟪ip4⟫, usuari ⟪user⟫ i contrasenya ⟪pw⟫. Recorda canviar-la quan entris.

Salutacions,
⟪name⟫
""",
)

P(
    "comms",
    "chat_message",
    "ka",
    r"""
⟪name:ka⟫: სერვერის პაროლი გამომიგზავნე რა
⟪name:ka⟫: ⟪pw⟫ — IP ⟪ip4⟫
⟪name:ka⟫: მადლობა!
""",
)

P(
    "comms",
    "chat_message",
    "en",
    r"""
⟪first⟫ 10:⟪int:10-59⟫
ok so el deploy falló otra vez 😩 can u check the runner token?

⟪first⟫ 10:⟪int:10-59⟫
sí, it's ⟪v:glrt⟫, the old one was revoked ayer

⟪first⟫ 10:⟪int:10-59⟫
gracias, trying now
""",
)

P(
    "comms",
    "email",
    "en",
    r"""
Subject: Your booking at the ⟪word⟫ lodge — payment details needed

Dear guest,

Thank you for your reservation. To guarantee the booking we still need a card.

> Card number: ⟪card⟫
> Holder: ⟪name⟫
> Expiry: ⟪int:1-12⟫/⟪int:26-31⟫

(reply received from ⟪email⟫ on ⟪date⟫)

Kind regards, Reservations
""",
)

P(
    "comms",
    "shared_doc",
    "en",
    r"""
Vendor contacts & API access — ⟪word⟫ project

* Payments: ⟪name⟫ (⟪email⟫). Live secret key: ⟪v:rk_live⟫ (restricted, refunds only)
* Newsletter: ⟪name⟫ (⟪email⟫). Mailchimp key ⟪v:mailchimp⟫
* Analytics: read-only access, ask ⟪first⟫
""",
)

P(
    "comms",
    "support_ticket",
    "en",
    r"""
[JIRA] OPS-⟪int:1000-9999⟫: CI can't pull from the private registry

Reporter: ⟪name⟫
Description:
Since this morning builds fail with `unauthorized: incorrect username or password`. I regenerated the Docker Hub PAT: ⟪v:dockerhub⟫ — please put it in the CI settings, I don't have access.

Comment (⟪name⟫): done, and please stop pasting tokens in Jira 🙃
""",
)

P(
    "comms",
    "chat_message",
    "en",
    r"""
#payments-dev
⟪user⟫: test card for sandbox?
⟪user⟫: our sandbox only takes the provider's test cards, but the QA env is wired to live by mistake so i used my own: ⟪card⟫. refund it pls 😅
⟪user⟫: omg. ok refunding, and filing a bug
""",
)

P(
    "comms",
    "email",
    "en",
    r"""
From: ⟪email⟫
To: ⟪email⟫
Subject: FW: new hire laptop setup

Forwarding from IT:

| Item | Value |
| --- | --- |
| Windows login | ⟪user⟫ |
| Initial password | ⟪pw⟫ |
| BitLocker recovery | ask helpdesk |
| VPN | vpn.⟪domain⟫ |

Please make sure ⟪first⟫ changes the password on day one.
""",
)

P(
    "comms",
    "chat_message",
    "en",
    r"""
⟪first⟫: can u send me the doppler token for the preview env
⟪first⟫: ⟪v:doppler⟫
⟪first⟫: also the age key for sops is ⟪v:age⟫
⟪first⟫: 🙏 deleting this msg in 5
""",
)

P(
    "comms",
    "email",
    "de",
    r"""
Betreff: Kreditkarte für Software-Abo hinterlegen

Hallo ⟪first⟫,

kannst du bitte die Firmenkreditkarte bei dem neuen Design-Tool hinterlegen? Nummer ⟪card⟫, gültig bis ⟪int:1-12⟫/⟪int:26-30⟫. Rechnung bitte an ⟪email:role⟫.

Danke & Gruß
⟪name⟫
""",
)

P(
    "comms",
    "support_ticket",
    "ja",
    r"""
お問い合わせ番号: ⟪int:100000-999999⟫

お世話になっております。先日の注文で二重に請求されているようです。
使用したカード: ⟪card⟫
ご確認のほど、よろしくお願いいたします。
⟪name:ja⟫（⟪email⟫）
""",
)

P(
    "comms",
    "support_ticket",
    "ru",
    r"""
Обращение №⟪int:10000-99999⟫

Здравствуйте! Оплата заказа не проходит, хотя деньги на карте есть. Номер карты ⟪card⟫. Пожалуйста, проверьте.
Мой e-mail: ⟪email⟫
""",
)

P(
    "comms",
    "email",
    "it",
    r"""
Oggetto: conferma prenotazione tavolo + caparra

Buongiorno,

per la caparra della cena aziendale potete addebitare la carta ⟪card⟫, intestata a ⟪name⟫. Per qualsiasi cosa scrivete a ⟪email⟫.

Grazie mille
""",
)

P(
    "comms",
    "chat_message",
    "pl",
    r"""
⟪first⟫: potrzebuję karty firmowej do zamówienia serwerów
⟪first⟫: ⟪card⟫, ważna do ⟪int:1-12⟫/⟪int:26-30⟫
⟪first⟫: dzięki, faktura pójdzie na ⟪email⟫
""",
)

# ===================== COMMS: hard negatives ==============================
N(
    "comms",
    "email",
    "en",
    "password_reset_notice",
    r"""
Subject: Your password was changed

Hi ⟪first⟫,

The password for your account was changed on ⟪date⟫ at ⟪clock⟫ UTC from a ⟪pick:Chrome on Windows¦Safari on macOS¦Firefox on Linux⟫ session.

If this was you, you can ignore this message. If not, reset your password right away and review your recent sign-ins. We will never ask for your password by e-mail.

— Security team (reference ⟪an:10⟫)
""",
)

N(
    "comms",
    "chat_message",
    "de",
    "redacted_secret",
    r"""
⟪first⟫: hab den Token aus dem Log entfernt, stand da als `ghp_****************` drin
⟪first⟫: gut. und der Stripe-Key?
⟪first⟫: auch maskiert: sk_live_…⟪an:4⟫ (nur die letzten 4 Zeichen sichtbar)
⟪first⟫: passt, Ticket ⟪int:1000-9999⟫ kann zu
""",
)

N(
    "comms",
    "support_ticket",
    "fr",
    "masked_card",
    r"""
Demande n° ⟪int:10000-99999⟫

Bonjour, j'ai été débité deux fois. Sur mon relevé : carte **** **** **** ⟪last4⟫, montant ⟪int:10-300⟫,⟪int:10-99⟫ €, le ⟪date⟫. Merci de rembourser le doublon.
⟪name⟫
""",
)

N(
    "comms",
    "meeting_notes",
    "es",
    "private_ip",
    r"""
Notas – revisión de red – ⟪date⟫

- La impresora de la segunda planta tiene la IP fija ⟪pip4⟫.
- Nuevo rango DHCP: ⟪pip4⟫ – ⟪pip4⟫.
- El NAS (⟪pip4⟫) se queda en la VLAN de gestión.
- Pendiente: documentar las reservas en la wiki.
""",
)

N(
    "comms",
    "email",
    "ja",
    "example_domain_email",
    r"""
件名: 入力フォームのテストについて

⟪name:ja⟫ さん

テストではダミーのアドレス（⟪exmail⟫ や ⟪exmail⟫）のみを使ってください。実在するお客様のアドレスは使用禁止です。

よろしくお願いします。
""",
)

N(
    "comms",
    "chat_message",
    "ru",
    "password_policy_text",
    r"""
⟪name:ru⟫: Новые требования к паролям: минимум 12 символов, без повторов последних пяти, смена раз в полгода.
⟪name:ru⟫: А менеджер паролей можно использовать?
⟪name:ru⟫: Да, корпоративный. Инструкция в базе знаний, статья ⟪int:100-999⟫.
""",
)

N(
    "comms",
    "email",
    "zh",
    "shipment_tracking_number",
    r"""
主题：您的订单已发货

您好，您的订单 ⟪int:100000000-999999999⟫ 已于 ⟪date⟫ 发出。
快递公司：顺丰速运
运单号：SF⟪int:1000000000-9999999999⟫
预计 ⟪int:2-5⟫ 天内送达。如有问题请联系客服。
""",
)

N(
    "comms",
    "support_ticket",
    "ko",
    "request_identifier",
    r"""
문의 번호 ⟪int:10000-99999⟫

API 호출 시 500 오류가 발생합니다.
요청 ID: ⟪uuid⟫
발생 시각: ⟪ts⟫
재시도해도 동일합니다. 확인 부탁드립니다.
""",
)

N(
    "comms",
    "email",
    "nl",
    "bank_account_number",
    r"""
Onderwerp: Factuur ⟪int:2020-2025⟫-⟪int:100-999⟫

Beste ⟪first⟫,

In de bijlage vind je de factuur. Graag het bedrag van € ⟪int:100-5000⟫,⟪int:10-99⟫ binnen 30 dagen overmaken naar ⟪iban⟫ t.n.v. ⟪name⟫, onder vermelding van het factuurnummer.

Met vriendelijke groet
""",
)

N(
    "comms",
    "chat_message",
    "tr",
    "crypto_wallet_address",
    r"""
⟪first⟫: bağış için cüzdan adresi neydi?
⟪first⟫: BTC: ⟪btc⟫
⟪first⟫: ETH: ⟪eth⟫
⟪first⟫: teşekkürler, sitede de güncelleyelim
""",
)

N(
    "comms",
    "email",
    "pl",
    "version_and_commit_ids",
    r"""
Temat: wydanie ⟪ver⟫ – podsumowanie

Cześć,

wydanie zawiera commity od ⟪hex:7⟫ do ⟪hex:7⟫. Najważniejsze zmiany: poprawka eksportu CSV oraz nowa strona ustawień. Obraz: registry.⟪domain⟫/app:⟪ver⟫.

Pozdrawiam
⟪name⟫
""",
)

N(
    "comms",
    "email",
    "ar",
    "phone_number",
    r"""
الموضوع: بيانات التواصل

مرحباً ⟪name:ar⟫،
يمكنكم التواصل مع قسم المبيعات على الرقم +971 4 ⟪int:100-999⟫ ⟪int:1000-9999⟫ أو مع الدعم الفني على +966 11 ⟪int:100-999⟫ ⟪int:1000-9999⟫.
ساعات العمل من الأحد إلى الخميس.
""",
)

N(
    "comms",
    "support_ticket",
    "it",
    "uuid_identifier",
    r"""
Ticket #⟪int:1000-9999⟫

L'ordine con ID ⟪uuid⟫ risulta duplicato nel gestionale (secondo ID ⟪uuid⟫). Potete annullare il secondo? Grazie.
""",
)

N(
    "comms",
    "chat_message",
    "pt",
    "env_var_reference",
    r"""
⟪first⟫: o deploy quebrou, diz que falta a chave
⟪first⟫: você colocou `${STRIPE_SECRET_KEY}` no painel ou só no .env local?
⟪first⟫: só no local 🤦 vou adicionar como variável no projeto
""",
)

N(
    "comms",
    "meeting_notes",
    "sv",
    "documentation_ip",
    r"""
Anteckningar – utbildning i brandväggsregler (⟪date⟫)

Exemplen i kursen använde dokumentationsadresser, t.ex. ⟪dip4⟫ och ⟪dip4⟫, samt ⟪dip6⟫ för IPv6. Inga riktiga adresser användes. Nästa tillfälle: NAT och port forwarding.
""",
)

N(
    "comms",
    "shared_doc",
    "en",
    "credential_location_reference",
    r"""
Where to find credentials (read me first)

* Production database — 1Password vault "Platform", item "pg-prod-primary"
* Stripe — dashboard access via SSO; API keys live in AWS Secrets Manager under `prod/stripe`
* Slack bot — `kubectl get secret slack-bot -n ops` (ask ⟪first⟫ for RBAC)

Never paste values into this doc. Last review ⟪date⟫ by ⟪name⟫.
""",
)

N(
    "comms",
    "chat_message",
    "he",
    "username",
    r"""
⟪name:he⟫: מה שם המשתמש שלך במערכת?
⟪name:he⟫: ⟪user⟫
⟪name:he⟫: תודה, הוספתי אותך לקבוצה
""",
)

N(
    "comms",
    "email",
    "hi",
    "loopback_ip",
    r"""
विषय: लोकल सेटअप निर्देश

नमस्ते ⟪name:hi⟫,
ऐप को लोकल चलाने के बाद ब्राउज़र में http://⟪lip4⟫:⟪int:3000-8999⟫ खोलें। अगर पोर्ट व्यस्त है तो config में बदल दें।
धन्यवाद
""",
)

N(
    "comms",
    "email",
    "th",
    "luhn_invalid_card",
    r"""
เรื่อง: ชำระเงินไม่สำเร็จ

เรียนลูกค้า ระบบตรวจพบว่าหมายเลขบัตร ⟪badcard⟫ ที่กรอกไม่ถูกต้อง (อาจพิมพ์ผิด) กรุณาตรวจสอบและลองใหม่อีกครั้ง
""",
)

N(
    "comms",
    "chat_message",
    "vi",
    "mac_address",
    r"""
⟪first⟫: máy in mới có địa chỉ MAC là ⟪mac⟫, anh thêm vào danh sách cho phép giúp em nhé
⟪first⟫: ok, còn camera ⟪mac⟫ thì sao?
⟪first⟫: cái đó để sau ạ
""",
)

N(
    "comms",
    "email",
    "id",
    "publishable_key",
    r"""
Subjek: kunci publik untuk aplikasi mobile

Halo ⟪first⟫,
Untuk aplikasi mobile pakai publishable key ini saja: ⟪pkpub⟫. Kunci ini memang boleh ada di aplikasi. Secret key tetap di server.
Salam
""",
)

N(
    "comms",
    "support_ticket",
    "fi",
    "checksum_digest",
    r"""
Tukipyyntö #⟪int:1000-9999⟫

Ladattu asennustiedosto ei mene tarkistuksesta läpi. Saan SHA-256-summaksi ⟪hex:64⟫, mutta sivulla lukee ⟪hex:64⟫. Onko tiedosto vaihtunut?
""",
)

N(
    "comms",
    "email",
    "cs",
    "password_hash",
    r"""
Předmět: export uživatelů

Ahoj, v exportu jsou hesla jen jako hashe (např. ⟪bcrypt⟫), takže je nelze zpětně zjistit. Pro migraci je stačí přenést tak, jak jsou.
⟪name⟫
""",
)

N(
    "comms",
    "chat_message",
    "el",
    "placeholder",
    r"""
⟪name:el⟫: στο αρχείο ρυθμίσεων γράψε API_KEY=<το-κλειδί-σου> και άσε το υπόλοιπο όπως είναι
⟪name:el⟫: και το DB_PASSWORD;
⟪name:el⟫: βάλε ${DB_PASSWORD}, το παίρνει από το περιβάλλον
""",
)

N(
    "comms",
    "support_ticket",
    "hu",
    "cgnat_ip",
    r"""
Hibajegy #⟪int:1000-9999⟫

A routerem WAN címe ⟪cgnat⟫, ezért nem tudok portot továbbítani a kamerához. Lehet fix publikus IP-t kérni? Előfizetés: ⟪int:1000000-9999999⟫.
""",
)

N(
    "comms",
    "email",
    "da",
    "chat_platform_id",
    r"""
Emne: opsætning af integration

Hej ⟪first⟫,
kanal-ID'et er C0⟪an:9⟫ og bot-brugeren har ID U0⟪an:9⟫. Tokenet ligger i vores secret store, så det skal du ikke bruge her.
Hilsen ⟪name⟫
""",
)

N(
    "comms",
    "email",
    "ro",
    "oauth_client_id",
    r"""
Subiect: configurare login cu Google

Salut ⟪first⟫,
ID-ul de client OAuth este ⟪gclient⟫. E public, poate sta în codul din frontend. Secretul îl păstrăm doar pe server.
Mulțumesc!
""",
)

N(
    "comms",
    "chat_message",
    "uk",
    "csrf_token",
    r"""
⟪name:uk⟫: форма повертає 403, в запиті є csrf=⟪csrf:43⟫
⟪name:uk⟫: він прив'язаний до сесії, оновіть сторінку і спробуйте ще раз
""",
)

N(
    "comms",
    "support_ticket",
    "fa",
    "link_local_ip",
    r"""
تیکت ⟪int:1000-9999⟫
سلام، کامپیوتر من آدرس ⟪llip4⟫ می‌گیرد و به اینترنت وصل نمی‌شود. ظاهراً DHCP کار نمی‌کند. لطفاً بررسی کنید.
""",
)

N(
    "comms",
    "chat_message",
    "bn",
    "version_and_commit_ids",
    r"""
⟪name:bn⟫: নতুন ভার্সন ⟪ver⟫ রিলিজ হয়েছে, কমিট ⟪hex:7⟫
⟪name:bn⟫: দারুণ! চেঞ্জলগ কোথায়?
⟪name:bn⟫: রিপোর রিলিজ পেজে
""",
)

N(
    "comms",
    "chat_message",
    "en",
    "secret_name_only",
    r"""
⟪first⟫: reminder: rotate STRIPE_SECRET_KEY, SENDGRID_API_KEY and the GitHub deploy key before friday
⟪first⟫: which env?
⟪first⟫: prod + staging. new values go straight into vault, path secret/⟪word⟫/*
⟪first⟫: 👍 on it, ticket SEC-⟪int:100-999⟫
""",
)

N(
    "comms",
    "email",
    "es",
    "isbn_product_code",
    r"""
Asunto: pedido de libros para la biblioteca

Hola ⟪first⟫, te paso la lista: ISBN 978-84-⟪int:100-999⟫-⟪int:1000-9999⟫-⟪int:0-9⟫ (3 ejemplares) y ISBN 978-84-⟪int:100-999⟫-⟪int:1000-9999⟫-⟪int:0-9⟫ (1 ejemplar). Referencia interna PED-⟪int:1000-9999⟫.
Un saludo
""",
)

N(
    "comms",
    "chat_message",
    "ja",
    "image_digest",
    r"""
⟪name:ja⟫: 本番のイメージは sha256:⟪hex:64⟫ で固定しました
⟪name:ja⟫: 了解です、ステージングも同じダイジェストに揃えます
""",
)

N(
    "comms",
    "email",
    "ko",
    "publishable_key",
    r"""
제목: 지도 SDK 토큰

⟪first⟫님, 웹 지도에는 공개 토큰 ⟪mapbox_pk⟫ 을 사용하면 됩니다. 공개용이라 프론트엔드에 넣어도 괜찮습니다. 비밀 토큰은 따로 관리합니다.
""",
)

N(
    "comms",
    "email",
    "sw",
    "example_domain_email",
    r"""
Kichwa: majaribio ya fomu

Habari ⟪first⟫, tafadhali tumia anwani za majaribio kama ⟪exmail⟫ pekee wakati wa kujaribu fomu ya usajili. Usitumie barua pepe za wateja halisi.
""",
)

N(
    "comms",
    "chat_message",
    "ms",
    "masked_card",
    r"""
⟪first⟫: resit tunjuk kad berakhir ⟪last4⟫ sahaja, jadi tak tahu kad mana satu
⟪first⟫: cuba semak penyata bank, nombor penuh memang tak dipaparkan
""",
)

N(
    "comms",
    "email",
    "en",
    "meeting_invite",
    r"""
Subject: Invitation: Quarterly planning @ ⟪date⟫ 14:00 – 15:30 (CET)

Organizer: ⟪name⟫
Where: Room "⟪word⟫", 3rd floor / video link in the calendar entry
Agenda:
1. Roadmap review (⟪first⟫)
2. Hiring plan
3. AOB

Going? Yes – Maybe – No
Invitation from Calendar · You are receiving this because you are an attendee. Event ID ⟪hex:26⟫
""",
)

N(
    "comms",
    "support_ticket",
    "nl",
    "private_ip",
    r"""
Melding ⟪int:10000-99999⟫: printer niet bereikbaar

De printer op de tweede verdieping (⟪pip4⟫) reageert niet meer op ping. De switchpoort staat aan, MAC ⟪mac⟫ zichtbaar in de ARP-tabel van ⟪pip4⟫.
""",
)

# ===================== LOGS: positives ====================================
P(
    "logs",
    "nginx_access_log",
    "en",
    r"""
⟪ip4⟫ - - [⟪ts:clf⟫] "GET / HTTP/1.1" 200 ⟪int:500-9000⟫ "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
⟪ip4⟫ - - [⟪ts:clf⟫] "GET /wp-login.php HTTP/1.1" 404 ⟪int:100-600⟫ "-" "python-requests/2.31.0"
⟪ip4⟫ - - [⟪ts:clf⟫] "POST /api/v1/cart HTTP/2.0" 201 ⟪int:50-900⟫ "https://shop.⟪domain⟫/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)"
⟪pip4⟫ - - [⟪ts:clf⟫] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟪ip4⟫ - - [⟪ts:clf⟫] "GET /.env HTTP/1.1" 403 ⟪int:100-600⟫ "-" "Mozilla/5.0 zgrab/0.x"
""",
)

P(
    "logs",
    "apache_access_log",
    "en",
    r"""
⟪ip6⟫ - ⟪user⟫ [⟪ts:clf⟫] "GET /admin/ HTTP/1.1" 200 ⟪int:1000-9000⟫ "-" "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
⟪ip4⟫ - - [⟪ts:clf⟫] "GET /robots.txt HTTP/1.1" 200 ⟪int:20-200⟫ "-" "Googlebot/2.1"
⟪ip6⟫ - - [⟪ts:clf⟫] "GET /feed.xml HTTP/1.1" 304 - "-" "FreshRSS/1.23"
""",
)

P(
    "logs",
    "auth_log",
    "en",
    r"""
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Failed password for root from ⟪ip4⟫ port ⟪int:1024-65000⟫ ssh2
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Failed password for invalid user ⟪pick:oracle¦test¦ubuntu¦git⟫ from ⟪ip4⟫ port ⟪int:1024-65000⟫ ssh2
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Connection closed by authenticating user root ⟪ip4⟫ port ⟪int:1024-65000⟫ [preauth]
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Accepted publickey for ⟪user⟫ from ⟪ip4⟫ port ⟪int:1024-65000⟫ ssh2: ED25519 ⟪fp⟫
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: pam_unix(sshd:session): session opened for user ⟪user⟫(uid=1000) by (uid=0)
""",
)

P(
    "logs",
    "fail2ban_log",
    "en",
    r"""
⟪ts:plain⟫,⟪int:100-999⟫ fail2ban.actions [⟪int:500-3000⟫]: NOTICE [sshd] Ban ⟪ip4⟫
⟪ts:plain⟫,⟪int:100-999⟫ fail2ban.actions [⟪int:500-3000⟫]: NOTICE [nginx-botsearch] Ban ⟪ip4⟫
⟪ts:plain⟫,⟪int:100-999⟫ fail2ban.filter  [⟪int:500-3000⟫]: INFO    [sshd] Found ⟪ip4⟫ - ⟪ts:plain⟫
⟪ts:plain⟫,⟪int:100-999⟫ fail2ban.actions [⟪int:500-3000⟫]: NOTICE [sshd] Unban ⟪ip4⟫
""",
)

P(
    "logs",
    "firewall_log",
    "en",
    r"""
⟪ts:syslog⟫ ⟪host⟫ kernel: [UFW BLOCK] IN=eth0 OUT= MAC=⟪mac⟫:⟪mac⟫:08:00 SRC=⟪ip4⟫ DST=⟪pip4⟫ LEN=44 TOS=0x00 PREC=0x00 TTL=⟪int:40-250⟫ ID=⟪int:1000-65000⟫ PROTO=TCP SPT=⟪int:1024-65000⟫ DPT=⟪pick:23¦3389¦5900¦8080⟫ WINDOW=1024 RES=0x00 SYN URGP=0
⟪ts:syslog⟫ ⟪host⟫ kernel: [UFW BLOCK] IN=eth0 OUT= MAC=⟪mac⟫:⟪mac⟫:08:00 SRC=⟪ip4⟫ DST=⟪pip4⟫ LEN=40 TOS=0x00 PREC=0x00 TTL=⟪int:40-250⟫ ID=⟪int:1000-65000⟫ PROTO=TCP SPT=⟪int:1024-65000⟫ DPT=22 WINDOW=65535 RES=0x00 SYN URGP=0
""",
)

P(
    "logs",
    "http_request_dump",
    "en",
    r"""
POST /api/v2/orders HTTP/1.1
Host: api.⟪domain⟫
User-Agent: ⟪word⟫-client/⟪ver⟫
Authorization: Bearer ⟪jwt⟫
Content-Type: application/json
X-Forwarded-For: ⟪ip4⟫, ⟪pip4⟫
X-Request-Id: ⟪uuid⟫
Content-Length: ⟪int:40-400⟫

{"sku":"⟪an:8⟫","qty":⟪int:1-9⟫}
""",
)

P(
    "logs",
    "http_request_dump",
    "en",
    r"""
GET /account/settings HTTP/2
host: www.⟪domain⟫
accept: text/html
cookie: _ga=GA1.2.⟪int:100000000-999999999⟫.⟪int:1600000000-1700000000⟫; theme=dark; sessionid=⟪losec:32⟫; csrftoken=⟪csrf:32⟫
user-agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15
""",
)

P(
    "logs",
    "curl_verbose",
    "en",
    r"""
$ curl -v -u ⟪user⟫:⟪pw:url|p⟫ https://ci.⟪domain⟫/api/json
*   Trying ⟪ip4⟫:443...
* Connected to ci.⟪domain⟫ (⟪ip4⟫) port 443
* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384
* Server auth using Basic with user '⟪user⟫'
> GET /api/json HTTP/1.1
> Host: ci.⟪domain⟫
> Authorization: Basic ⟪b64sec:20⟫
> User-Agent: curl/8.5.0
>
< HTTP/1.1 200 OK
""",
)

P(
    "logs",
    "shell_session",
    "en",
    r"""
⟪user⟫@⟪host⟫:~$ mysql -h ⟪ip4⟫ -u ⟪user⟫ -p'⟪pw:alnum⟫' ⟪word⟫ -e 'SELECT COUNT(*) FROM orders'
mysql: [Warning] Using a password on the command line interface can be insecure.
+----------+
| COUNT(*) |
+----------+
|   ⟪int:1000-99999⟫ |
+----------+
⟪user⟫@⟪host⟫:~$ exit
""",
)

P(
    "logs",
    "bash_history",
    "en",
    r"""
cd ~/projects/⟪word⟫
git pull
export AWS_ACCESS_KEY_ID=⟪v:akia⟫
export AWS_SECRET_ACCESS_KEY=⟪b64sec:30⟫
aws s3 ls s3://⟪word⟫-backups/
aws s3 cp dump.sql.gz s3://⟪word⟫-backups/⟪date⟫/
unset AWS_SECRET_ACCESS_KEY
history | tail
""",
)

P(
    "logs",
    "shell_session",
    "en",
    r"""
$ echo "⟪pw:alnum⟫" | docker login registry.⟪domain⟫ -u ⟪user⟫ --password-stdin
WARNING! Your password will be stored unencrypted in /home/⟪user⟫/.docker/config.json.
Login Succeeded
$ docker push registry.⟪domain⟫/⟪word⟫:⟪ver⟫
""",
)

P(
    "logs",
    "kubectl_output",
    "en",
    r"""
$ kubectl get secret ⟪word⟫-api -n prod -o yaml
apiVersion: v1
data:
  API_TOKEN: ⟪b64sec:30⟫
  DATABASE_PASSWORD: ⟪k8spw⟫
kind: Secret
metadata:
  creationTimestamp: "⟪ts⟫"
  name: ⟪word⟫-api
  namespace: prod
  resourceVersion: "⟪int:100000-9999999⟫"
  uid: ⟪uuid⟫
type: Opaque
""",
)

P(
    "logs",
    "env_dump",
    "en",
    r"""
$ printenv | sort
HOME=/app
HOSTNAME=⟪word⟫-⟪lo:10⟫-⟪lo:5⟫
LANG=C.UTF-8
NODE_ENV=production
PATH=/usr/local/bin:/usr/bin:/bin
PORT=8080
REDIS_URL=redis://default:⟪pw:url⟫@⟪ip4⟫:6379
SENDGRID_API_KEY=⟪v:sendgrid⟫
TZ=UTC
""",
)

P(
    "logs",
    "application_log",
    "en",
    r"""
⟪ts⟫ DEBUG [checkout] incoming payload: {"email":"⟪email⟫","card_number":"⟪cardp⟫","exp":"⟪int:1-12⟫/⟪int:26-31⟫","amount":⟪int:5-500⟫.⟪int:10-99⟫,"ip":"⟪ip4⟫"}
⟪ts⟫ INFO  [checkout] order created id=⟪int:100000-999999⟫
⟪ts⟫ WARN  [checkout] slow response from psp (⟪int:1000-9000⟫ ms)
""",
)

P(
    "logs",
    "payment_gateway_log",
    "en",
    r"""
[⟪ts⟫] psp.request  method=authorize merchant=⟪word⟫ pan=⟪cardp⟫ amount=⟪int:100-99999⟫ currency=EUR
[⟪ts⟫] psp.response code=05 message="Do not honor" auth=null
[⟪ts⟫] psp.request  method=authorize merchant=⟪word⟫ pan=⟪cardp⟫ amount=⟪int:100-99999⟫ currency=EUR
[⟪ts⟫] psp.response code=00 message="Approved" auth=⟪an:6⟫
""",
)

P(
    "logs",
    "mail_log",
    "en",
    r"""
⟪ts:syslog⟫ mail-01 postfix/smtpd[⟪int:1000-99999⟫]: connect from unknown[⟪ip4⟫]
⟪ts:syslog⟫ mail-01 postfix/smtpd[⟪int:1000-99999⟫]: ⟪hex:10⟫: client=unknown[⟪ip4⟫], sasl_method=LOGIN, sasl_username=⟪email⟫
⟪ts:syslog⟫ mail-01 postfix/qmgr[⟪int:1000-99999⟫]: ⟪hex:10⟫: from=<⟪email⟫>, size=⟪int:1000-90000⟫, nrcpt=1 (queue active)
⟪ts:syslog⟫ mail-01 postfix/smtp[⟪int:1000-99999⟫]: ⟪hex:10⟫: to=<⟪email⟫>, relay=mx.⟪domain⟫[⟪ip4⟫]:25, delay=⟪int:1-9⟫.⟪int:1-9⟫, status=sent (250 2.0.0 OK)
""",
)

P(
    "logs",
    "csv_export",
    "en",
    r"""
user_id,email,signup_ip,last_login
⟪int:1000-99999⟫,⟪email⟫,⟪ip4⟫,⟪ts⟫
⟪int:1000-99999⟫,⟪email⟫,⟪ip4⟫,⟪ts⟫
⟪int:1000-99999⟫,⟪email⟫,⟪ip6⟫,⟪ts⟫
⟪int:1000-99999⟫,⟪email⟫,⟪ip4⟫,⟪ts⟫
""",
)

P(
    "logs",
    "sql_dump",
    "en",
    r"""
--
-- Dumping data for table `customers`
--

LOCK TABLES `customers` WRITE;
INSERT INTO `customers` VALUES (⟪int:1-999⟫,'⟪name⟫','⟪email⟫','⟪ip4⟫','⟪date⟫'),(⟪int:1000-1999⟫,'⟪name⟫','⟪email⟫','⟪ip4⟫','⟪date⟫'),(⟪int:2000-2999⟫,'⟪name⟫','⟪email⟫','⟪ip4⟫','⟪date⟫');
UNLOCK TABLES;
""",
)

P(
    "logs",
    "json_log",
    "en",
    r"""
{"ts":"⟪ts⟫","level":"info","msg":"login ok","user":"⟪email⟫","client_ip":"⟪ip4⟫","ua":"okhttp/4.12.0"}
{"ts":"⟪ts⟫","level":"warn","msg":"login failed","user":"⟪email⟫","client_ip":"⟪ip4⟫","reason":"bad_password"}
{"ts":"⟪ts⟫","level":"info","msg":"token refreshed","user":"⟪email⟫","client_ip":"⟪ip6⟫"}
""",
)

P(
    "logs",
    "windows_event_log",
    "en",
    r"""
Log Name:      Security
Source:        Microsoft-Windows-Security-Auditing
Date:          ⟪date⟫ ⟪clock⟫
Event ID:      4625
Task Category: Logon
Keywords:      Audit Failure
Description:
An account failed to log on.
Account For Which Logon Failed:
	Account Name:		administrator
	Account Domain:		⟪pick:CORP¦WORKGROUP¦HQ⟫
Network Information:
	Workstation Name:	-
	Source Network Address:	⟪ip4⟫
	Source Port:		⟪int:1024-65000⟫
""",
)

P(
    "logs",
    "python_traceback",
    "en",
    r"""
Traceback (most recent call last):
  File "/srv/app/worker.py", line ⟪int:20-300⟫, in <module>
    engine = create_engine(DB_URL)
  File "/srv/app/.venv/lib/python3.11/site-packages/sqlalchemy/engine/create.py", line 560, in create_engine
    u = _url.make_url(url)
sqlalchemy.exc.ArgumentError: Could not parse SQLAlchemy URL from string 'postgresql+psycopg://⟪user⟫:⟪pw:url⟫@⟪ip4⟫:5432/⟪word⟫ '
""",
)

P(
    "logs",
    "shell_session",
    "en",
    r"""
$ git clone https://oauth2:⟪v:glpat⟫@gitlab.⟪domain⟫/⟪word⟫/⟪word⟫.git
Cloning into '⟪word⟫'...
remote: Enumerating objects: ⟪int:100-9000⟫, done.
remote: Total ⟪int:100-9000⟫ (delta ⟪int:10-900⟫), reused 0 (delta 0)
Receiving objects: 100% (⟪int:100-9000⟫/⟪int:100-9000⟫), done.
""",
)

P(
    "logs",
    "shell_session",
    "en",
    r"""
$ aws configure --profile ⟪word⟫
AWS Access Key ID [None]: ⟪v:akia⟫
AWS Secret Access Key [None]: ⟪b64sec:30⟫
Default region name [None]: ⟪pick:eu-west-1¦us-east-1¦ap-northeast-1⟫
Default output format [None]: json
$ aws sts get-caller-identity --profile ⟪word⟫
""",
)

P(
    "logs",
    "shell_session",
    "en",
    r"""
root@⟪host⟫:~# redis-cli -h ⟪ip4⟫ -a ⟪pw:alnum⟫ INFO replication
Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.
# Replication
role:master
connected_slaves:1
slave0:ip=⟪pip4⟫,port=6379,state=online,offset=⟪int:1000-99999⟫,lag=0
""",
)

P(
    "logs",
    "cloudtrail_event",
    "en",
    r"""
{
  "eventVersion": "1.09",
  "userIdentity": {
    "type": "AssumedRole",
    "accessKeyId": "⟪v:asia⟫",
    "arn": "arn:aws:sts::⟪int:100000000000-999999999999⟫:assumed-role/⟪word⟫-ci/⟪lo:8⟫"
  },
  "eventTime": "⟪ts⟫",
  "eventSource": "s3.amazonaws.com",
  "eventName": "GetObject",
  "awsRegion": "eu-west-1",
  "sourceIPAddress": "⟪ip4⟫",
  "userAgent": "aws-cli/2.15.0"
}
""",
)

P(
    "logs",
    "har_file",
    "en",
    r"""
"request": {
  "method": "POST",
  "url": "https://api.⟪domain⟫/graphql",
  "headers": [
    {"name": "authorization", "value": "Bearer ⟪v:ya29⟫"},
    {"name": "x-api-key", "value": "⟪v:google_api⟫"},
    {"name": "content-type", "value": "application/json"}
  ]
},
"serverIPAddress": "⟪ip4⟫",
""",
)

P(
    "logs",
    "csv_export",
    "en",
    r"""
Date,Action,Client IP,Country,Rule,Host
⟪date⟫,block,⟪ip4⟫,CN,sqli,⟪domain⟫
⟪date⟫,challenge,⟪ip4⟫,US,bot score,⟪domain⟫
⟪date⟫,block,⟪ip6⟫,DE,rate limit,⟪domain⟫
⟪date⟫,block,⟪ip4⟫,BR,xss,⟪domain⟫
""",
)

P(
    "logs",
    "mongo_export",
    "en",
    r"""
{"_id":{"$oid":"⟪hex:24⟫"},"email":"⟪email⟫","name":"⟪name⟫","lastIp":"⟪ip4⟫","plan":"pro"}
{"_id":{"$oid":"⟪hex:24⟫"},"email":"⟪email⟫","name":"⟪name⟫","lastIp":"⟪ip4⟫","plan":"free"}
""",
)

P(
    "logs",
    "psql_session",
    "en",
    r"""
⟪word⟫=# \conninfo
You are connected to database "⟪word⟫" as user "postgres" on host "⟪ip4⟫" at port "5432".
⟪word⟫=# ALTER ROLE ⟪user⟫ WITH LOGIN PASSWORD '⟪pw⟫';
ALTER ROLE
⟪word⟫=# \q
""",
)

P(
    "logs",
    "application_log",
    "en",
    r"""
⟪ts⟫ INFO  webhook-relay starting version=⟪ver⟫
⟪ts⟫ DEBUG config loaded: {"listen":":8080","upstream":"https://hooks.⟪domain⟫","signing_secret":"⟪v:whsec⟫","retry":3}
⟪ts⟫ INFO  delivered event=evt_⟪an:24⟫ status=200 took=⟪int:10-900⟫ms
""",
)

P(
    "logs",
    "traceroute",
    "en",
    r"""
$ traceroute -n ⟪domain⟫
traceroute to ⟪domain⟫ (⟪ip4⟫), 30 hops max, 60 byte packets
 1  ⟪pip4⟫  0.⟪int:100-999⟫ ms
 2  ⟪ip4⟫  ⟪int:2-9⟫.⟪int:100-999⟫ ms
 3  ⟪ip4⟫  ⟪int:10-30⟫.⟪int:100-999⟫ ms
 4  ⟪ip4⟫  ⟪int:10-30⟫.⟪int:100-999⟫ ms
""",
)

P(
    "logs",
    "auth_log",
    "en",
    r"""
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Accepted password for ⟪user⟫ from ⟪ip4⟫ port ⟪int:1024-65000⟫ ssh2
⟪ts:syslog⟫ ⟪host⟫ sudo:   ⟪user⟫ : TTY=pts/0 ; PWD=/home ; USER=root ; COMMAND=/usr/bin/htpasswd -b /etc/nginx/.htpasswd admin ⟪pw:alnum⟫
""",
)

P(
    "logs",
    "csv_export",
    "en",
    r"""
order_id;customer;email;card;amount
⟪int:10000-99999⟫;⟪name⟫;⟪email⟫;⟪card⟫;⟪int:10-900⟫,⟪int:10-99⟫
⟪int:10000-99999⟫;⟪name⟫;⟪email⟫;⟪card⟫;⟪int:10-900⟫,⟪int:10-99⟫
⟪int:10000-99999⟫;⟪name⟫;⟪email⟫;⟪card⟫;⟪int:10-900⟫,⟪int:10-99⟫
""",
)

P(
    "logs",
    "shell_session",
    "en",
    r"""
$ cat ~/.ssh/id_⟪pick:rsa¦ecdsa¦ed25519⟫
⟪pem⟫
$ ssh-keygen -y -f ~/.ssh/id_rsa > /dev/null && echo ok
ok
""",
)

P(
    "logs",
    "network_capture",
    "en",
    r"""
No.  Time       Source           Destination      Protocol Info
⟪int:1-99⟫   0.000000   ⟪pip4⟫    ⟪ip4⟫    FTP      Request: USER ⟪user⟫
⟪int:100-199⟫  0.0⟪int:10-99⟫   ⟪pip4⟫    ⟪ip4⟫    FTP      Request: PASS ⟪pw⟫
⟪int:200-299⟫  0.1⟪int:10-99⟫   ⟪ip4⟫    ⟪pip4⟫    FTP      Response: 230 Login successful.
""",
)

P(
    "logs",
    "application_log",
    "de",
    r"""
⟪ts:plain⟫ FEHLER Zahlung abgelehnt: Kunde=⟪email⟫ Karte=⟪card⟫ Grund="Limit überschritten"
⟪ts:plain⟫ INFO  Wiederholung in 30 s geplant (Versuch 2/3)
⟪ts:plain⟫ FEHLER Zahlung abgelehnt: Kunde=⟪email⟫ Karte=⟪card⟫ Grund="Karte gesperrt"
""",
)

P(
    "logs",
    "sql_dump",
    "en",
    r"""
COPY public.payment_methods (id, user_id, brand, pan, holder, created_at) FROM stdin;
⟪int:1-999⟫	⟪int:1000-9999⟫	visa	⟪cardp:visa⟫	⟪name⟫	⟪ts:plain⟫
⟪int:1000-1999⟫	⟪int:1000-9999⟫	mastercard	⟪cardp:mastercard⟫	⟪name⟫	⟪ts:plain⟫
⟪int:2000-2999⟫	⟪int:1000-9999⟫	amex	⟪cardp:amex⟫	⟪name⟫	⟪ts:plain⟫
\.
""",
)

# ===================== LOGS: hard negatives ===============================
N(
    "logs",
    "nginx_access_log",
    "en",
    "private_ip",
    r"""
⟪pip4⟫ - - [⟪ts:clf⟫] "GET /metrics HTTP/1.1" 200 ⟪int:1000-9000⟫ "-" "Prometheus/2.51.0"
⟪pip4⟫ - - [⟪ts:clf⟫] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟪lip4⟫ - - [⟪ts:clf⟫] "GET /status HTTP/1.1" 200 ⟪int:50-300⟫ "-" "curl/8.5.0"
⟪pip4⟫ - - [⟪ts:clf⟫] "POST /internal/jobs HTTP/1.1" 202 ⟪int:10-90⟫ "-" "⟪word⟫-scheduler/⟪ver⟫"
""",
)

N(
    "logs",
    "application_log",
    "en",
    "request_identifier",
    r"""
⟪ts⟫ INFO  request_id=⟪uuid⟫ trace_id=⟪hex:32⟫ span_id=⟪hex:16⟫ method=GET path=/v1/items status=200 dur=⟪int:2-400⟫ms
⟪ts⟫ INFO  request_id=⟪uuid⟫ trace_id=⟪hex:32⟫ span_id=⟪hex:16⟫ method=POST path=/v1/items status=201 dur=⟪int:2-400⟫ms
⟪ts⟫ WARN  request_id=⟪uuid⟫ idempotency_key=⟪uuid⟫ replayed=true
""",
)

N(
    "logs",
    "auth_log",
    "en",
    "private_ip",
    r"""
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Accepted publickey for ⟪user⟫ from ⟪pip4⟫ port ⟪int:1024-65000⟫ ssh2: ED25519 ⟪fp⟫
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Failed password for ⟪user⟫ from ⟪pip4⟫ port ⟪int:1024-65000⟫ ssh2
⟪ts:syslog⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Disconnected from user ⟪user⟫ ⟪pip4⟫ port ⟪int:1024-65000⟫
""",
)

N(
    "logs",
    "build_log",
    "en",
    "image_digest",
    r"""
#12 exporting to image
#12 exporting layers ⟪int:1-9⟫.⟪int:1-9⟫s done
#12 writing image sha256:⟪hex:64⟫ done
#12 naming to registry.⟪domain⟫/⟪word⟫:⟪ver⟫ done
#13 pushing layers
#13 ⟪ver⟫: digest: sha256:⟪hex:64⟫ size: ⟪int:1000-9999⟫
""",
)

N(
    "logs",
    "pip_log",
    "en",
    "package_integrity_hash",
    r"""
Collecting ⟪word⟫==⟪ver⟫ (from -r requirements.txt (line ⟪int:1-40⟫))
  Downloading ⟪word⟫-⟪ver⟫-py3-none-any.whl (⟪int:10-900⟫ kB)
Collecting urllib3<3,>=1.21.1
  Using cached urllib3-⟪ver⟫-py3-none-any.whl
ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.
    ⟪word⟫==⟪ver⟫ from https://files.pythonhosted.org/packages/⟪hex:2⟫/⟪hex:2⟫/⟪hex:60⟫/⟪word⟫.whl:
        Expected sha256 ⟪hex:64⟫
             Got        ⟪hex:64⟫
""",
)

N(
    "logs",
    "shell_session",
    "en",
    "loopback_ip",
    r"""
$ ping -c 2 localhost
PING localhost (⟪lip4⟫) 56(84) bytes of data.
64 bytes from localhost (⟪lip4⟫): icmp_seq=1 ttl=64 time=0.0⟪int:10-99⟫ ms
64 bytes from localhost (⟪lip4⟫): icmp_seq=2 ttl=64 time=0.0⟪int:10-99⟫ ms
$ ss -ltn | grep ⟪int:3000-9000⟫
LISTEN 0 511 127.0.0.1:⟪int:3000-9000⟫ 0.0.0.0:*
""",
)

N(
    "logs",
    "traceroute",
    "en",
    "documentation_ip",
    r"""
$ mtr -rwc 5 ⟪dip4⟫
HOST: ⟪host⟫                    Loss%   Snt   Last   Avg  Best  Wrst StDev
  1.|-- ⟪pip4⟫                  0.0%     5    0.⟪int:3-9⟫   0.5   0.3   0.9   0.2
  2.|-- ⟪cgnat⟫                 0.0%     5    ⟪int:3-9⟫.1   4.0   3.2   5.1   0.7
  3.|-- ⟪dip4⟫                  0.0%     5   ⟪int:10-30⟫.2  12.8  10.1  15.0   1.9
(training lab — all addresses from documentation/private ranges)
""",
)

N(
    "logs",
    "http_request_dump",
    "en",
    "csrf_token",
    r"""
POST /profile HTTP/1.1
Host: app.example.com
Content-Type: application/x-www-form-urlencoded
X-CSRF-Token: ⟪csrf:44⟫
X-Request-ID: ⟪uuid⟫
Origin: https://app.example.com

display_name=⟪first⟫&_csrf=⟪csrf:44⟫&locale=de
""",
)

N(
    "logs",
    "kubectl_output",
    "en",
    "uuid_identifier",
    r"""
$ kubectl get events -n ⟪word⟫ --sort-by=.lastTimestamp | tail -4
LAST SEEN   TYPE     REASON      OBJECT                     MESSAGE
⟪int:2-59⟫s         Normal   Scheduled   pod/⟪word⟫-⟪lo:10⟫-⟪lo:5⟫   Successfully assigned ⟪word⟫/⟪word⟫-⟪lo:10⟫-⟪lo:5⟫ to ⟪host⟫
⟪int:2-59⟫s         Normal   Pulled      pod/⟪word⟫-⟪lo:10⟫-⟪lo:5⟫   Container image "registry.⟪domain⟫/⟪word⟫:⟪ver⟫" already present
$ kubectl get pod ⟪word⟫-⟪lo:10⟫-⟪lo:5⟫ -o jsonpath='{.metadata.uid}'
⟪uuid⟫
""",
)

N(
    "logs",
    "payment_gateway_log",
    "en",
    "masked_card",
    r"""
[⟪ts⟫] psp.request  method=capture pan=⟪int:400000-499999⟫******⟪last4⟫ amount=⟪int:100-99999⟫ currency=EUR
[⟪ts⟫] psp.response code=00 message="Approved" auth=⟪an:6⟫ card_last4=⟪last4⟫ brand=visa
[⟪ts⟫] psp.request  method=refund pan=⟪int:510000-559999⟫******⟪last4⟫ amount=⟪int:100-9999⟫
""",
)

N(
    "logs",
    "dns_log",
    "en",
    "private_ip",
    r"""
⟪ts:syslog⟫ dnsmasq[⟪int:100-9999⟫]: query[A] ⟪word⟫.lan from ⟪pip4⟫
⟪ts:syslog⟫ dnsmasq[⟪int:100-9999⟫]: /etc/hosts ⟪word⟫.lan is ⟪pip4⟫
⟪ts:syslog⟫ dnsmasq[⟪int:100-9999⟫]: query[AAAA] nas.lan from ⟪pip6⟫
⟪ts:syslog⟫ dnsmasq[⟪int:100-9999⟫]: DHCPACK(br0) ⟪pip4⟫ ⟪mac⟫ ⟪word⟫-laptop
""",
)

N(
    "logs",
    "sql_dump",
    "en",
    "password_hash",
    r"""
INSERT INTO `users` (`id`,`email`,`password`,`created_at`) VALUES
(⟪int:1-99⟫,'⟪exmail⟫','⟪bcrypt⟫','⟪ts:plain⟫'),
(⟪int:100-199⟫,'⟪exmail⟫','⟪bcrypt⟫','⟪ts:plain⟫'),
(⟪int:200-299⟫,'⟪exmail⟫','⟪argon2⟫','⟪ts:plain⟫');
""",
)

N(
    "logs",
    "git_log",
    "en",
    "version_and_commit_ids",
    r"""
commit ⟪hex:40⟫
Author: ⟪name⟫ <⟪exmail⟫>
Date:   ⟪ts:plain⟫ +0200

    fix: retry on 503 from upstream (#⟪int:100-999⟫)

commit ⟪hex:40⟫
Merge: ⟪hex:7⟫ ⟪hex:7⟫
Author: ⟪name⟫ <⟪exmail⟫>

    Merge branch 'release/⟪ver⟫'
""",
)

N(
    "logs",
    "vault_audit_log",
    "en",
    "hmac_redacted_value",
    r"""
{"time":"⟪ts⟫","type":"response","auth":{"client_token":"hmac-sha256:⟪hex:64⟫","accessor":"hmac-sha256:⟪hex:64⟫","display_name":"approle","policies":["default","⟪word⟫-read"]},"request":{"operation":"read","path":"secret/data/⟪word⟫/db","remote_address":"⟪pip4⟫"},"response":{"data":{"password":"hmac-sha256:⟪hex:64⟫"}}}
""",
)

N(
    "logs",
    "shell_session",
    "en",
    "password_prompt_session",
    r"""
$ sudo systemctl restart ⟪word⟫
[sudo] password for ⟪user⟫: 
$ ssh ⟪user|u⟫@⟪host|h⟫
⟪=u⟫@⟪=h⟫'s password: 
Permission denied, please try again.
$ mysql -u root -p
Enter password: ********
""",
)

N(
    "logs",
    "systemd_journal",
    "en",
    "system_log_no_pii",
    r"""
⟪ts:syslog⟫ ⟪host⟫ systemd[1]: Starting ⟪word⟫.service - ⟪word⟫ worker...
⟪ts:syslog⟫ ⟪host⟫ ⟪word⟫[⟪int:1000-99999⟫]: loaded ⟪int:10-400⟫ jobs from queue default (v⟪ver⟫)
⟪ts:syslog⟫ ⟪host⟫ systemd[1]: Started ⟪word⟫.service - ⟪word⟫ worker.
⟪ts:syslog⟫ ⟪host⟫ kernel: EXT4-fs (sda1): mounted filesystem ⟪uuid⟫ r/w with ordered data mode.
""",
)

N(
    "logs",
    "shell_session",
    "en",
    "interface_listing",
    r"""
$ ip -br addr
lo               UNKNOWN        ⟪lip4⟫/8 ::1/128
eth0             UP             ⟪pip4⟫/24 ⟪llip6⟫/64
docker0          DOWN           172.17.0.1/16
wg0              UNKNOWN        ⟪pip4⟫/24 ⟪pip6⟫/64
$ ip route | head -1
default via ⟪pip4⟫ dev eth0 proto dhcp metric 100
""",
)

N(
    "logs",
    "csv_export",
    "en",
    "example_domain_email",
    r"""
id,email,role,created
⟪int:1-999⟫,⟪exmail⟫,admin,⟪date⟫
⟪int:1000-1999⟫,⟪exmail⟫,viewer,⟪date⟫
⟪int:2000-2999⟫,⟪exmail⟫,editor,⟪date⟫
# seed data for the demo tenant (reserved domains only)
""",
)

# ===================== extra card-bearing templates ======================
P(
    "web",
    "paste_site",
    "en",
    r"""
=== fresh batch ⟪date⟫ === (checked ⟪int:40-90⟫% live)
⟪cardp⟫|⟪int:1-12⟫|⟪int:2026-2031⟫|⟪int:100-999⟫|⟪name⟫|⟪email⟫
⟪cardp⟫|⟪int:1-12⟫|⟪int:2026-2031⟫|⟪int:100-999⟫|⟪name⟫|⟪email⟫
⟪cardp⟫|⟪int:1-12⟫|⟪int:2026-2031⟫|⟪int:100-999⟫|⟪name⟫|⟪email⟫
format: cc|mm|yyyy|cvv|name|mail
""",
)

P(
    "web",
    "qa_question",
    "en",
    r"""
Live payments declined with "card_declined / generic_decline" but test mode is fine

I switched our checkout to live keys yesterday. Tried with my own card (⟪card⟫) and it gets declined, while the same card works on Amazon. Radar rules are default. Is there something about new accounts? Account was activated ⟪int:2-9⟫ days ago.
""",
)

P(
    "logs",
    "application_log",
    "en",
    r"""
⟪ts⟫ WARN  fraud-check score=0.⟪int:80-99⟫ rule=velocity ip=⟪ip4⟫ email=⟪email⟫ card=⟪card⟫ attempts=⟪int:4-20⟫
⟪ts⟫ WARN  fraud-check score=0.⟪int:80-99⟫ rule=bin_country_mismatch ip=⟪ip4⟫ email=⟪email⟫ card=⟪card⟫
⟪ts⟫ INFO  fraud-check blocked 2 transactions, notified ⟪email:role⟫
""",
)

P(
    "comms",
    "email",
    "en",
    r"""
Subject: card on file for the conference sponsorship

Hi ⟪first⟫,

finance asked me to send the corporate card for the sponsorship invoice. It's ⟪card⟫ (exp ⟪int:1-12⟫/⟪int:26-30⟫), billing contact ⟪email⟫. If the amount is over the limit, split it and use the backup card ⟪card⟫.

Thanks!
⟪name⟫
""",
)

# ===================== extra vendor formats ===============================
P(
    "code",
    "yaml_config",
    "en",
    r"""
# ~/.config/gh/hosts.yml
github.com:
    user: ⟪user⟫
    oauth_token: ⟪v:gho⟫
    git_protocol: ⟪pick:https¦ssh⟫
github.⟪domain⟫:
    user: ⟪user⟫
    oauth_token: ⟪v:github_pat⟫
""",
)

P(
    "code",
    "python_test",
    "en",
    r"""
# tests/test_billing.py
import stripe

stripe.api_key = "⟪v:sk_test⟫"   # test mode, but still a secret
RESTRICTED = "⟪v:rk_test⟫"

def test_create_customer():
    c = stripe.Customer.create(email="⟪exmail⟫", description="pytest ⟪int:1-9999⟫")
    assert c.id.startswith("cus_")
""",
)

P(
    "code",
    "json_config",
    "en",
    r"""
{
  "display_information": {"name": "⟪word⟫-bot"},
  "settings": {"socket_mode_enabled": true},
  "_local_tokens": {
    "app_level_token": "⟪v:xapp⟫",
    "user_token": "⟪v:xoxp⟫"
  }
}
""",
)

P(
    "logs",
    "ci_log",
    "en",
    r"""
##[group]Run actions/github-script@v7
with:
  github-token: ⟪v:ghs⟫
  debug: true
##[endgroup]
[debug] refreshing installation token with refresh_token=⟪v:ghr⟫
[debug] user-to-server token ⟪v:ghu⟫ expires ⟪ts⟫
""",
)

P(
    "code",
    "env_file",
    "en",
    r"""
SHOPIFY_API_KEY=⟪hex:32⟫
SHOPIFY_API_SECRET=⟪v:shpss⟫
SENTRY_ORG_TOKEN=⟪v:sentry_org⟫
SCOPES=read_products,write_orders
HOST=https://⟪word⟫-app.⟪domain⟫
""",
)


# ==========================================================================
# engine
# ==========================================================================
PH = re.compile(r"⟪([^⟫]+)⟫")


def render(tpl):
    out, spans, caps = [], [], {}
    pos = last = 0
    for m in PH.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        spec = m.group(1)
        if spec.startswith("="):
            val, ent, kind = caps[spec[1:]]
        else:
            key = None
            if "|" in spec:
                spec, key = spec.split("|", 1)
            kind, _, arg = spec.partition(":")
            fn, ent = GEN[kind]
            val = fn(arg)
            if kind == "v":
                kind = "v:" + arg
            if key:
                caps[key] = (val, ent, kind)
        if ent:
            spans.append({"start": pos, "end": pos + len(val), "entity": ent, "_kind": kind})
        out.append(val)
        pos += len(val)
        last = m.end()
    out.append(tpl[last:])
    return "".join(out), spans


# ---- independent scanner -------------------------------------------------
SC_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})")
SC_IP4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)")
SC_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")


def scan(text):
    """Return list of (kind, value) of unlabelled-looking PII found in text."""
    hits = []
    for m in SC_EMAIL.finditer(text):
        if not email_reserved(m.group(1)):
            hits.append(("email", m.group(0)))
    for m in SC_IP4.finditer(text):
        if all(int(o) <= 255 for o in m.group(0).split(".")) and ip_public(m.group(0)):
            hits.append(("ip", m.group(0)))
    for m in SC_CARD.finditer(text):
        d = re.sub(r"\D", "", m.group(0))
        if 13 <= len(d) <= 19 and luhn_ok(d) and card_brand(d):
            hits.append(("card", m.group(0)))
    return hits


def blank_spans(text, spans):
    t = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            if t[i] != "\n":
                t[i] = "\u25a0"
    return "".join(t)


def check_record(rec, kinds):
    text, spans = rec["text"], rec["spans"]
    prev_end = -1
    for s, kind in zip(spans, kinds):
        assert 0 <= s["start"] < s["end"] <= len(text), rec["id"]
        assert s["start"] >= prev_end, ("overlap", rec["id"])
        prev_end = s["end"]
        v = text[s["start"] : s["end"]]
        ent = s["entity"]
        if ent == I:
            assert ip_public(v), (rec["id"], v)
        elif ent == C:
            d = re.sub(r"[ -]", "", v)
            assert d.isdigit() and luhn_ok(d) and card_brand(d), (rec["id"], v)
            assert re.fullmatch(r"\d+(?:([ -])\d+(?:\1\d+)*)?", v), (rec["id"], v)
        elif ent == E:
            m = re.fullmatch(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})", v)
            assert m and not email_reserved(m.group(1)), (rec["id"], v)
        elif ent == S:
            low = v.lower()
            assert "example" not in low and "xxxx" not in low and "your_" not in low, (rec["id"], v)
            assert v == v.strip() and v, (rec["id"], v)
            if kind in ("pw", "phrase", "pin"):
                assert v[0].isalnum() and v[-1] not in BAD_END and len(v) >= 6, (rec["id"], v)
                if kind == "pw":
                    assert len(v) >= 8
            if kind == "pem":
                assert v.startswith("-----BEGIN ") and v.endswith("PRIVATE KEY-----"), rec["id"]
        else:
            raise AssertionError(ent)
    if rec["category"] == "positive":
        assert spans, rec["id"]
    else:
        assert not spans, rec["id"]
    hits = scan(blank_spans(text, spans))
    return hits


GROUP_TARGET = {"web": 0.30, "code": 0.30, "comms": 0.25, "logs": 0.15}
TOTAL_TARGET = 1200
NEG_SHARE = 0.44  # share of hard negatives inside every group


def variants_plan():
    by_group = collections.defaultdict(list)
    for i, t in enumerate(TEMPLATES):
        by_group[t["group"]].append(i)
    plan = {}
    for g, idxs in by_group.items():
        want = round(TOTAL_TARGET * GROUP_TARGET[g])
        negs = [i for i in idxs if TEMPLATES[i]["category"] != "positive"]
        poss = [i for i in idxs if TEMPLATES[i]["category"] == "positive"]
        want_neg = round(want * NEG_SHARE)
        for part, n in ((negs, want_neg), (poss, want - want_neg)):
            base, extra = divmod(n, len(part))
            for k, i in enumerate(part):
                plan[i] = base + (1 if k < extra else 0)
    return plan


def main():
    plan = variants_plan()
    records, seen_text, seen_id = [], set(), set()
    for ti, t in enumerate(TEMPLATES, start=1):
        for vi in range(1, plan[ti - 1] + 1):
            for attempt in range(40):
                text, spans = render(t["text"])
                kinds = [s.pop("_kind") for s in spans]
                rec = {
                    "id": "t28-%d-%d" % (ti, vi),
                    "text": text,
                    "lang": t["lang"],
                    "context": t["context"],
                    "category": t["category"],
                    "spans": spans,
                }
                hits = check_record(rec, kinds)
                if not hits and text not in seen_text:
                    rec["_vkinds"] = [k[2:] for k in kinds if k.startswith("v:")]
                    break
            else:
                raise SystemExit("template %d keeps failing: %r" % (ti, hits))
            assert rec["id"] not in seen_id
            seen_id.add(rec["id"])
            seen_text.add(text)
            records.append(rec)

    # ---- global checks --------------------------------------------------
    assert len({r["id"] for r in records}) == len(records)
    assert len({r["text"] for r in records}) == len(records)
    for r in records:
        for s in r["spans"]:
            assert set(s) == {"start", "end", "entity"}
        assert re.fullmatch(r"[a-z][a-z0-9_]*", r["context"]) and re.fullmatch(r"[a-z][a-z0-9_]*", r["category"])
        assert re.fullmatch(r"[a-z]{2}", r["lang"])
    ent = collections.Counter(s["entity"] for r in records for s in r["spans"])
    negs = [r for r in records if r["category"] != "positive"]
    cats = collections.Counter(r["category"] for r in negs)
    langs = collections.Counter(r["lang"] for r in records)
    ctxs = collections.Counter(r["context"] for r in records)
    vendors_used = collections.Counter(k for r in records for k in r.pop("_vkinds"))
    groups = collections.Counter(t["group"] for i, t in enumerate(TEMPLATES) for _ in range(plan[i]))
    ok = {
        "records ~1200": 1150 <= len(records) <= 1300,
        "templates >= 300": len(TEMPLATES) >= 300,
        "SECRET >= 600": ent[S] >= 600,
        "EMAIL >= 200": ent[E] >= 200,
        "IP >= 200": ent[I] >= 200,
        "CARD >= 80": ent[C] >= 80,
        "negatives >= 500": len(negs) >= 500,
        "neg categories >= 35": len(cats) >= 35,
        "languages >= 30": len(langs) >= 30,
        "vendor formats >= 40": len(vendors_used) >= 40,
    }

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset28.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    print(
        "records: %d (positive %d, negative %d), templates: %d"
        % (len(records), len(records) - len(negs), len(negs), len(TEMPLATES))
    )
    print("groups:", dict(groups))
    print("spans per entity:", dict(ent), "total", sum(ent.values()))
    print("vendor token formats in records (%d):" % len(vendors_used), ", ".join(sorted(vendors_used)))
    print("negative categories (%d):" % len(cats), dict(sorted(cats.items())))
    print("languages (%d):" % len(langs), dict(langs.most_common()))
    print("contexts (%d):" % len(ctxs), dict(ctxs.most_common()))
    for k, v in ok.items():
        print("  [%s] %s" % ("ok" if v else "FAIL", k))
    if not all(ok.values()):
        raise SystemExit("target check failed")
    print("wrote", out)


if __name__ == "__main__":
    main()
