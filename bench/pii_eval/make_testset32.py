"""Generator for PII/secret detector test set 32 (blind, independent).

What it does
------------
Renders about 1200 labelled records into ``pii_testset32.jsonl`` (next to this
script) from ~320 hand-written templates.  Templates are plain strings with
placeholder tokens ``⟦KIND|arg...⟧``.  Labelled kinds are

* ``S|<generator>``  -> SECRET (vendor tokens, passwords, keys, JWTs, ...)
* ``E``              -> EMAIL_ADDRESS (non-reserved domains only)
* ``IP`` / ``IP6``   -> IP_ADDRESS (public, globally routable only)
* ``CC|<brand>|<fmt>`` -> CREDIT_CARD (Luhn-valid, real brand prefix/length)

Every other kind (names, private / documentation IPs, example.com e-mails,
publishable keys, hashes, wallet addresses, Luhn-invalid numbers, ...) is
inserted unlabelled.  ``⟦KIND@v⟧`` stores a value, ``⟦@v⟧`` repeats it (with the
same label).  ``⟦lines|pool|a|b⟧`` is expanded first into a random run of filler
lines (used to build long documents in which the secret is one line of many).
Offsets are recorded while values are inserted, never searched afterwards.

All values are random fakes drawn from random.Random(323232); the output is
deterministic.  Variants per template are allotted so that the four source
groups match corpus proportions (web/docs 30 %, code/config 30 %,
communication in 30+ languages 25 %, logs/shell/HTTP/dumps 15 %).

Checks (all fatal, via assert)
------------------------------
* text[start:end] equals the inserted value for every span; spans sorted and
  non-overlapping; positives have >=1 span, hard negatives have none;
* every IP span is public (ipaddress.is_global, not multicast, not in the
  documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32),
  spans carry no port / CIDR / brackets;
* every card span is Luhn-valid with a real brand prefix and length;
* every e-mail span has a non-reserved domain (not example.com/.org/.net,
  .test, .invalid, .localhost, .example);
* every SECRET span that is a password does not start with a symbol and does
  not end in . , ! ? : ; ; labelled values never contain EXAMPLE/xxxx/your_;
* ids unique, texts unique;
* a simple scanner run over negative texts and over the unlabelled parts of
  positive texts (labelled spans blanked) finds no public IPv4, no
  Luhn-valid brand-prefixed 13-19 digit number (plain or grouped with spaces
  / dashes) and no e-mail address on a non-reserved domain.  There are no
  category-specific exceptions.  If a random fill accidentally trips the
  scanner (e.g. a digit run inside a hex digest), the variant is re-drawn
  (bounded retries, counted in the summary), so the final file passes the
  scanner with no exception;
* minimum sizes from the brief (records, spans per entity, negative
  categories, languages, templates, vendor token formats) are asserted.
"""

import base64
import ipaddress
import json
import os
import random
import re
import string
import sys
from collections import Counter, defaultdict

R = random.Random(323232)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "pii_testset32.jsonl")

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
ALNUM = LOW + UP + DIG
UPD = UP + DIG
LOWD = LOW + DIG
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64U = ALNUM + "-_"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def rs(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def b64s(s):
    return base64.b64encode(s.encode()).decode()


# ---------------------------------------------------------------- IPs
DOC4 = [ipaddress.ip_network(x) for x in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
DOC6 = ipaddress.ip_network("2001:db8::/32")


def is_public_ip(s):
    a = ipaddress.ip_address(s)
    if a.is_multicast or not a.is_global:
        return False
    if a.version == 4:
        return not any(a in n for n in DOC4)
    return a not in DOC6


def g_ip4():
    while True:
        ip = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if is_public_ip(ip):
            return ip


V6P = [
    "2a01:4f8",
    "2a02:c207",
    "2600:1f18",
    "2604:a880",
    "2a03:b0c0",
    "2001:41d0",
    "2406:da18",
    "2a00:1450",
    "2620:10d",
    "2a05:d014",
    "2400:cb00",
    "2c0f:fb50",
    "2803:f800",
    "2a0e:97c0",
    "2607:f8b0",
]


def g_ip6():
    while True:
        p = R.choice(V6P)
        n = 8 - p.count(":") - 1
        groups = ["%x" % R.randint(0, 0xFFFF) for _ in range(n)]
        if R.random() < 0.5:
            k = R.randint(1, n - 2)
            groups[k : n - 1] = ["0"] * (n - 1 - k)
        s = str(ipaddress.ip_address(p + ":" + ":".join(groups)))
        if is_public_ip(s):
            return s


def g_pip():
    c = R.random()
    if c < 0.4:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    if c < 0.7:
        return "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254))
    return "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254))


def g_dip():
    return R.choice(["192.0.2", "198.51.100", "203.0.113"]) + ".%d" % R.randint(1, 254)


def g_dip6():
    return str(ipaddress.ip_address("2001:db8:%x::%x" % (R.randint(0, 0xFFFF), R.randint(1, 0xFFFF))))


def g_lip():
    return R.choice(
        [
            "127.0.0.1",
            "127.0.%d.%d" % (R.randint(0, 9), R.randint(1, 254)),
            "169.254.%d.%d" % (R.randint(1, 254), R.randint(1, 254)),
            "0.0.0.0",
            "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254)),
            "224.0.0.%d" % R.randint(1, 254),
            "239.255.%d.%d" % (R.randint(0, 255), R.randint(1, 254)),
        ]
    )


def g_pip6():
    return R.choice(
        [
            "fd%02x:%x:%x::%x" % (R.randint(0, 255), R.randint(0, 0xFFFF), R.randint(0, 0xFFFF), R.randint(1, 0xFFF)),
            "fe80::%x:%x:%x:%x" % tuple(R.randint(0, 0xFFFF) for _ in range(4)),
            "::1",
        ]
    )


# ---------------------------------------------------------------- cards
def luhn_ok(d):
    s = 0
    for i, ch in enumerate(reversed(d)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        s += v
    return s % 10 == 0


def luhn_fill(prefix, length):
    body = prefix + rs(DIG, length - len(prefix) - 1)
    for c in DIG:
        if luhn_ok(body + c):
            return body + c


def card_brand(d):
    L = len(d)
    if not d.isdigit() or L < 12:
        return None
    p2, p3, p4 = int(d[:2]), int(d[:3]), int(d[:4])
    if d[0] == "4" and L in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and L == 16:
        return "mc"
    if p2 in (34, 37) and L == 15:
        return "amex"
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649) and 16 <= L <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= L <= 19:
        return "jcb"
    if (p2 in (36, 38, 39) or 300 <= p3 <= 305) and 14 <= L <= 19:
        return "diners"
    if p2 == 62 and 16 <= L <= 19:
        return "unionpay"
    return None


def scanner_card_brand(d):  # broader: also Maestro-like ranges, any 13-19
    b = card_brand(d)
    if b:
        return b
    if 13 <= len(d) <= 19 and (d[:2] in ("50", "56", "57", "58", "63", "67") or d[0] in "3456"):
        return "maestro_or_other"
    return None


def card_digits(brand):
    if brand == "visa":
        return luhn_fill("4", 16)
    if brand == "mc":
        return luhn_fill(R.choice(["51", "52", "53", "54", "55", str(R.randint(2221, 2720))]), 16)
    if brand == "amex":
        return luhn_fill(R.choice(["34", "37"]), 15)
    if brand == "discover":
        return luhn_fill(R.choice(["6011", "65", str(R.randint(644, 649))]), 16)
    if brand == "jcb":
        return luhn_fill(str(R.randint(3528, 3589)), 16)
    if brand == "diners":
        return luhn_fill(R.choice(["36", "300", "305", "38"]), 14)
    if brand == "unionpay":
        return luhn_fill("62" + rs(DIG, 2), 16)
    raise ValueError(brand)


def fmt_card(d, fmt):
    if fmt == "plain":
        return d
    sep = " " if fmt == "space" else "-"
    if len(d) == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(parts)


def g_card(brand="any", fmt="any"):
    if brand == "any":
        brand = R.choice(["visa", "visa", "visa", "mc", "mc", "amex", "discover", "jcb", "diners", "unionpay"])
    if fmt == "any":
        fmt = R.choice(["plain", "space", "space", "dash"])
    return fmt_card(card_digits(brand), fmt)


def g_badcard(brand="any", fmt="any"):
    v = g_card(brand, fmt)
    last = v[-1]
    nl = str((int(last) + R.randint(1, 9)) % 10)
    return v[:-1] + nl


# ---------------------------------------------------------------- names / e-mail
FIRST = [
    "anna",
    "lukas",
    "sofia",
    "mateo",
    "chloe",
    "yuki",
    "haruto",
    "minjun",
    "seoyeon",
    "wei",
    "xiaoling",
    "arjun",
    "priya",
    "fatima",
    "omar",
    "olga",
    "dmitri",
    "ines",
    "joao",
    "giulia",
    "marco",
    "emre",
    "elif",
    "nikos",
    "eleni",
    "lars",
    "ingrid",
    "aino",
    "mikko",
    "katarzyna",
    "piotr",
    "tomas",
    "petra",
    "bence",
    "zsofia",
    "andrei",
    "ioana",
    "minh",
    "thu",
    "siti",
    "budi",
    "kwame",
    "amara",
    "noa",
    "yosef",
    "reza",
    "leila",
    "juan",
    "lucia",
    "pierre",
    "camille",
    "jan",
    "eva",
    "sanne",
    "ravi",
    "ana",
    "felix",
    "hannah",
    "oskar",
    "maja",
    "tariq",
    "nadia",
    "santiago",
    "valentina",
    "kenji",
    "aiko",
    "jisoo",
    "hyun",
    "sipho",
    "zanele",
    "liam",
    "grace",
    "rohan",
    "meera",
    "aylin",
    "kerem",
    "vera",
    "igor",
    "daria",
    "bogdan",
]
LAST = [
    "mueller",
    "schmidt",
    "dubois",
    "martin",
    "garcia",
    "rossi",
    "silva",
    "jansen",
    "nilsson",
    "hansen",
    "virtanen",
    "kowalski",
    "novak",
    "nagy",
    "popescu",
    "yilmaz",
    "papadopoulos",
    "ivanova",
    "kovalenko",
    "tanaka",
    "suzuki",
    "kim",
    "park",
    "wang",
    "li",
    "chen",
    "sharma",
    "patel",
    "khan",
    "haddad",
    "cohen",
    "nguyen",
    "tran",
    "santoso",
    "mensah",
    "okafor",
    "hosseini",
    "fernandez",
    "moreau",
    "bakker",
    "berg",
    "lindqvist",
    "horvat",
    "kask",
    "petrauskas",
    "ozols",
    "dimitrov",
    "costa",
    "romero",
    "weber",
    "fischer",
    "lambert",
    "conti",
    "ferreira",
    "visser",
    "dahl",
    "lehmann",
    "sato",
    "ito",
    "choi",
    "zhang",
    "liu",
    "gupta",
    "iyer",
    "rahman",
    "aziz",
    "levi",
    "pham",
    "wijaya",
    "osei",
    "ndlovu",
    "kaya",
    "demir",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "web.de",
    "gmx.de",
    "gmx.at",
    "orange.fr",
    "free.fr",
    "libero.it",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "naver.com",
    "daum.net",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "yahoo.co.jp",
    "icloud.com",
    "proton.me",
    "protonmail.com",
    "t-online.de",
    "bluewin.ch",
    "telenet.be",
    "ziggo.nl",
    "kpnmail.nl",
    "hotmail.fr",
    "uol.com.br",
    "bol.com.br",
    "rediffmail.com",
    "yahoo.co.in",
    "ukr.net",
    "abv.bg",
    "freemail.hu",
    "sapo.pt",
    "tiscali.it",
]
ORGDOM = [
    "nordwind-logistik.de",
    "kestrel-analytics.io",
    "bluefjord.no",
    "maison-lavande.fr",
    "ferreteria-sol.es",
    "studio-aurora.it",
    "pixelmoss.dev",
    "harborline.co.uk",
    "tanaka-seiki.co.jp",
    "hanbit-soft.kr",
    "lotusbay.vn",
    "grupo-andino.pe",
    "vltava-tech.cz",
    "dunaweb.hu",
    "karpaty-it.com.ua",
    "anatolia-yazilim.com.tr",
    "mediterra-shipping.gr",
    "riverstone-health.org",
    "cloudkite.net",
    "ambertrail.com",
    "quillfeather.org",
    "sahara-trade.ma",
    "nilebridge.eg",
    "cedarpoint-consulting.com",
    "tallinn-apps.ee",
    "baltic-amber.lt",
    "rigacode.lv",
    "ljubljana-labs.si",
    "zagreb-dev.hr",
    "sofia-soft.bg",
    "warszawa-tech.pl",
    "bratislava-data.sk",
    "helsinki-pixel.fi",
    "kopenhagen-design.dk",
    "goteborg-system.se",
    "mumbai-fintech.in",
    "dhaka-web.com.bd",
    "jakarta-kopi.co.id",
    "kualalumpur-it.my",
    "manila-bpo.ph",
    "bangkok-travel.co.th",
    "nairobi-agri.co.ke",
    "tehran-code.ir",
    "telaviv-cyber.co.il",
    "shenzhen-hw.cn",
    "taipei-chips.com.tw",
    "acme-retail.com",
    "greenleaf-foods.ca",
    "southcross.com.au",
    "novatech-solutions.com",
    "orbitalyx.ai",
    "brightwave.io",
]
ROLE = [
    "billing",
    "support",
    "info",
    "hr",
    "jobs",
    "press",
    "ops",
    "security",
    "admin",
    "sales",
    "kontakt",
    "contact",
    "facturation",
    "ventas",
    "office",
    "accounts",
    "helpdesk",
    "devops",
    "noreply",
    "team",
]


def g_email(kind="any"):
    f, l = R.choice(FIRST), R.choice(LAST)
    if kind == "role":
        return R.choice(ROLE) + "@" + R.choice(ORGDOM)
    style = R.randint(0, 6)
    local = [
        f + "." + l,
        f[0] + l,
        f + "_" + l,
        f + l[0] + str(R.randint(1, 99)),
        f + str(R.randint(1970, 2005)),
        l + "." + f[0],
        f + "-" + l,
    ][style]
    dom = R.choice(FREEMAIL) if (kind == "free" or (kind == "any" and R.random() < 0.5)) else R.choice(ORGDOM)
    return local + "@" + dom


RESERVED_TLD = ("test", "invalid", "localhost", "example")


def reserved_domain(dom):
    d = dom.lower().rstrip(".")
    for base in ("example.com", "example.org", "example.net"):
        if d == base or d.endswith("." + base):
            return True
    return d.rsplit(".", 1)[-1] in RESERVED_TLD


def g_xmail():
    f, l = R.choice(FIRST), R.choice(LAST)
    return (
        R.choice([f + "." + l, f, l + str(R.randint(1, 99)), R.choice(ROLE)])
        + "@"
        + R.choice(
            [
                "example.com",
                "example.org",
                "example.net",
                "mail.example.com",
                "corp.example",
                "shop.test",
                "acme.test",
                "invalid.invalid",
                "dev.localhost",
                "example.invalid",
            ]
        )
    )


# ---------------------------------------------------------------- passwords
PWWORDS = [
    "copper",
    "violin",
    "ember",
    "marble",
    "lantern",
    "orbit",
    "cactus",
    "velvet",
    "harbor",
    "meadow",
    "quartz",
    "falcon",
    "tundra",
    "pepper",
    "glacier",
    "saffron",
    "nimbus",
    "walnut",
    "cobalt",
    "ferret",
    "tulip",
    "mosaic",
    "canyon",
    "biscuit",
    "zephyr",
    "anchor",
    "basil",
    "comet",
    "dingo",
    "fjord",
    "gecko",
    "hazel",
    "igloo",
    "juniper",
    "kettle",
    "lemur",
    "mango",
    "nectar",
    "otter",
    "pylon",
    "quill",
    "radish",
    "sprocket",
    "trombone",
    "umber",
    "vortex",
    "wombat",
    "yodel",
    "zinnia",
    "pretzel",
]
SYM_ANY = "!@#$%^&*-_+=.~"
SYM_SAFE = "-_.*+=^~"
SYM_URL = "-_.~"
BADEND = ".,!?:;"


def _pw_ok(p):
    classes = sum(1 for cs in (LOW, UP, DIG) if any(c in cs for c in p))
    return len(p) >= 8 and classes >= 2 and p[0].isalnum() and p[-1] not in BADEND


def g_pw(symset=SYM_SAFE, style=None):
    while True:
        st = style if style is not None else R.randint(0, 4)
        if st == 0:
            n = R.randint(10, 20)
            p = [R.choice(ALNUM) for _ in range(n)]
            for _ in range(R.randint(0, 3) if symset else 0):
                p[R.randint(1, n - 2)] = R.choice(symset)
            p = "".join(p)
        elif st == 1:
            a, b = R.sample(PWWORDS, 2)
            sep = R.choice([c for c in "-_." if c in symset] or [""])
            p = a.capitalize() + sep + b.capitalize() + sep + str(R.randint(10, 9999))
        elif st == 2:
            ws = R.sample(PWWORDS, R.randint(3, 4))
            sep = R.choice([c for c in "-_." if c in symset] or ["-"])
            ws.insert(R.randint(1, len(ws)), str(R.randint(2, 999)))
            p = sep.join(ws)
        elif st == 3:
            w = R.choice(PWWORDS).capitalize()
            w = w.replace("o", "0").replace("e", "3").replace("a", "4")
            p = w + R.choice(symset) + R.choice(PWWORDS) + str(R.randint(1, 99))
        else:
            p = rs(UP, 2) + rs(LOW, 3) + rs(DIG, 3) + rs(ALNUM, R.randint(2, 6))
            p = "".join(R.sample(p, len(p)))
        if _pw_ok(p) and "xxxx" not in p.lower() and "example" not in p.lower():
            return p


def g_pin():
    while True:
        p = rs(UPD, R.randint(6, 8))
        if any(c.isdigit() for c in p) and any(c.isalpha() for c in p):
            return p


# ---------------------------------------------------------------- keys / tokens
def g_jwt(kind="any"):
    alg = R.choice(["HS256", "HS256", "RS256", "ES256"])
    h = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        h["kid"] = rs(LOWD, 12)
    now = R.randint(1690000000, 1735000000)
    if kind == "supabase":
        p = {"iss": "supabase", "ref": rs(LOW, 20), "role": "service_role", "iat": now, "exp": now + 315360000}
    elif kind == "ha":
        p = {"iss": rs(HEX, 32), "iat": now, "exp": now + 315360000}
    else:
        p = {
            "sub": R.choice([str(R.randint(1000, 9999999)), rs(HEX, 24)]),
            "iat": now,
            "exp": now + R.choice([900, 3600, 86400]),
            "scope": R.choice(["read write", "admin", "orders:read", "user"]),
        }
        if R.random() < 0.5:
            p["name"] = R.choice(FIRST).capitalize()
    sig = rs(B64U, {"HS256": 43, "RS256": 342, "ES256": 86}[alg])
    return (
        b64u(json.dumps(h, separators=(",", ":")).encode())
        + "."
        + b64u(json.dumps(p, separators=(",", ":")).encode())
        + "."
        + sig
    )


PK_KINDS = {
    "rsa": ("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 25, 64),
    "pkcs8": ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 25, 64),
    "ec": ("EC PRIVATE KEY", "MHcCAQEEI", 3, 64),
    "openssh": ("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 6, 70),
}


def g_privkey(kind="any", esc="n"):
    if kind == "any":
        kind = R.choice(list(PK_KINDS))
    label, head, nlines, width = PK_KINDS[kind]
    body = head + rs(B64, nlines * width - len(head) - R.randint(4, 40))
    if kind == "ec":
        body = body[:164] + "=="
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    nl = "\\n" if esc == "e" else "\n"
    return "-----BEGIN %s-----" % label + nl + nl.join(lines) + nl + "-----END %s-----" % label


def g_wgkey():
    return base64.b64encode(bytes(R.randint(0, 255) for _ in range(32))).decode()


def g_age():
    return "AGE-SECRET-KEY-1" + rs(BECH, 58).upper()


def g_discord():
    uid = str(R.randint(10**17, 10**18 - 1))
    return b64u(uid.encode()) + "." + rs(B64U, 6) + "." + rs(B64U, 38)


def g_mapbox_sk():
    return (
        "sk."
        + b64u(
            json.dumps(
                {"u": R.choice(FIRST) + str(R.randint(1, 99)), "a": rs(LOWD, 25)}, separators=(",", ":")
            ).encode()
        )
        + "."
        + rs(B64U, 22)
    )


def g_sk_live():
    return R.choice(["sk_live_" + rs(ALNUM, 24), "sk_live_51" + rs(ALNUM, 97)])


def g_openai():
    return R.choice(
        ["sk-proj-" + rs(B64U, 156), "sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20), "sk-svcacct-" + rs(B64U, 120)]
    )


def g_basic():
    return b64s(R.choice(FIRST) + R.choice(["", "." + R.choice(LAST), str(R.randint(1, 99))]) + ":" + g_pw(SYM_ANY))


def g_laravel():
    return base64.b64encode(bytes(R.randint(0, 255) for _ in range(32))).decode()


def g_django():
    body = rs(LOWD + "!@#%^&*(-_=+)", 49)
    return "django-insecure-" + body + R.choice(LOWD) if R.random() < 0.5 else body + R.choice(LOWD)


def g_wpsalt():
    return rs(ALNUM + "!@#%^&*()-_=+[]{}<>~|;:,.?/", 63) + R.choice(ALNUM)


# name -> (function, is_vendor_format)
SG = {
    # vendor formats
    "aws_akid": (lambda: "AKIA" + rs(UPD, 16), True),
    "aws_asia": (lambda: "ASIA" + rs(UPD, 16), True),
    "aws_secret": (lambda: rs(B64, 40), True),
    "aws_session": (lambda: "IQoJb3JpZ2luX2VjE" + rs(B64, 280) + "==", True),
    "ghp": (lambda: "ghp_" + rs(ALNUM, 36), True),
    "gho": (lambda: "gho_" + rs(ALNUM, 36), True),
    "ghs": (lambda: "ghs_" + rs(ALNUM, 36), True),
    "ghu": (lambda: "ghu_" + rs(ALNUM, 36), True),
    "github_pat": (lambda: "github_pat_11" + rs(UPD, 20) + "_" + rs(ALNUM, 59), True),
    "glpat": (lambda: "glpat-" + rs(ALNUM + "-_", 20), True),
    "glrt": (lambda: "glrt-" + rs(ALNUM + "-_", 20), True),
    "xoxb": (lambda: "xoxb-%d-%d-%s" % (R.randint(10**10, 10**12), R.randint(10**12, 10**13), rs(ALNUM, 24)), True),
    "xoxp": (
        lambda: (
            "xoxp-%d-%d-%d-%s"
            % (R.randint(10**10, 10**12), R.randint(10**10, 10**12), R.randint(10**11, 10**12), rs(HEX, 32))
        ),
        True,
    ),
    "xapp": (lambda: "xapp-1-A%s-%d-%s" % (rs(UPD, 10), R.randint(10**12, 10**13), rs(HEX, 64)), True),
    "slack_hook": (
        lambda: "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(UPD, 8), rs(UPD, 10), rs(ALNUM, 24)),
        True,
    ),
    "discord_hook": (
        lambda: "https://discord.com/api/webhooks/%d/%s" % (R.randint(10**17, 10**18), rs(B64U, 68)),
        True,
    ),
    "sk_live": (g_sk_live, True),
    "sk_test": (lambda: "sk_test_" + R.choice(["51", "4e"]) + rs(ALNUM, R.choice([22, 97])), True),
    "rk_live": (lambda: "rk_live_" + rs(ALNUM, 99), True),
    "rk_test": (lambda: "rk_test_" + rs(ALNUM, 24), True),
    "whsec": (lambda: "whsec_" + rs(ALNUM, 32), True),
    "gapi": (lambda: "AIza" + rs(B64U, 35), True),
    "gocspx": (lambda: "GOCSPX-" + rs(B64U, 28), True),
    "twilio_sk": (lambda: "SK" + rs(HEX, 32), True),
    "sendgrid": (lambda: "SG." + rs(B64U, 22) + "." + rs(B64U, 43), True),
    "mailgun": (lambda: "key-" + rs(HEX, 32), True),
    "mailchimp": (lambda: rs(HEX, 32) + "-us" + str(R.randint(1, 21)), True),
    "npm": (lambda: "npm_" + rs(ALNUM, 36), True),
    "pypi": (lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64U, R.randint(120, 170)), True),
    "dckr": (lambda: "dckr_pat_" + rs(B64U, 27), True),
    "openai": (g_openai, True),
    "anthropic": (lambda: "sk-ant-api03-" + rs(B64U, 93) + "AA", True),
    "hf": (lambda: "hf_" + rs(UP + LOW, 34), True),
    "shpat": (lambda: "shpat_" + rs(HEX, 32), True),
    "shpss": (lambda: "shpss_" + rs(HEX, 32), True),
    "discord_bot": (g_discord, True),
    "telegram": (lambda: "%d:AA%s" % (R.randint(10**9, 8 * 10**9), rs(B64U, 33)), True),
    "azure_storage": (lambda: rs(B64, 86) + "==", True),
    "do_pat": (lambda: "dop_v1_" + rs(HEX, 64), True),
    "newrelic": (lambda: "NRAK-" + rs(UPD, 27), True),
    "atlassian": (lambda: "ATATT3xFfGF0" + rs(B64U, 170) + "=" + rs("0123456789ABCDEF", 8), True),
    "linear": (lambda: "lin_api_" + rs(ALNUM, 40), True),
    "notion": (lambda: R.choice(["secret_" + rs(ALNUM, 43), "ntn_" + rs(DIG, 11) + rs(ALNUM, 35)]), True),
    "figma": (lambda: "figd_" + rs(B64U, 40), True),
    "postman": (lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34), True),
    "tfc": (lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67), True),
    "doppler": (lambda: "dp.st." + R.choice(["dev", "prd", "stg"]) + "." + rs(ALNUM, 40), True),
    "vault": (lambda: "hvs." + rs(B64U, 90), True),
    "age": (g_age, True),
    "grafana_sa": (lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8), True),
    "pulumi": (lambda: "pul-" + rs(HEX, 40), True),
    "netlify": (lambda: "nfp_" + rs(ALNUM, 36), True),
    "supabase_pat": (lambda: "sbp_" + rs(HEX, 40), True),
    "square": (lambda: "sq0atp-" + rs(B64U, 22), True),
    "square_secret": (lambda: "sq0csp-" + rs(B64U, 43), True),
    "braintree": (lambda: "access_token$production$" + rs(LOWD, 16) + "$" + rs(HEX, 32), True),
    "mapbox_sk": (g_mapbox_sk, True),
    "databricks": (lambda: "dapi" + rs(HEX, 32), True),
    "okta": (lambda: "00" + rs(B64U, 40), True),
    "facebook": (lambda: "EAAB" + rs(ALNUM, 160), True),
    "dropbox": (lambda: "sl.B" + rs(B64U, 135), True),
    "replicate": (lambda: "r8_" + rs(ALNUM, 37), True),
    "groq": (lambda: "gsk_" + rs(ALNUM, 52), True),
    "contentful": (lambda: "CFPAT-" + rs(B64U, 43), True),
    "airtable": (lambda: "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64), True),
    "shippo": (lambda: "shippo_live_" + rs(HEX, 40), True),
    "tailscale": (lambda: "tskey-auth-k" + rs(ALNUM, 11) + "CNTRL-" + rs(ALNUM, 33), True),
    "buildkite": (lambda: "bkua_" + rs(HEX, 40), True),
    "sourcegraph": (lambda: "sgp_" + rs(HEX, 16) + "_" + rs(HEX, 40), True),
    "fcm": (lambda: "AAAA" + rs(B64U, 7) + ":APA91b" + rs(B64U, 134), True),
    "mercadopago": (lambda: "APP_USR-%s-%s-%s-%s" % (rs(DIG, 16), rs(DIG, 6), rs(HEX, 32), rs(DIG, 9)), True),
    "midtrans": (lambda: R.choice(["SB-Mid-server-", "Mid-server-"]) + rs(B64U, 24), True),
    "aliyun_akid": (lambda: "LTAI" + rs(ALNUM, 20), True),
    "jwt": (g_jwt, True),
    "jwt_supabase": (lambda: g_jwt("supabase"), True),
    "jwt_ha": (lambda: g_jwt("ha"), True),
    "privkey": (g_privkey, True),
    "privkey_rsa": (lambda: g_privkey("rsa"), True),
    "privkey_ec": (lambda: g_privkey("ec"), True),
    "privkey_ssh": (lambda: g_privkey("openssh"), True),
    "privkey_esc": (lambda: g_privkey("pkcs8", "e"), True),
    "age_key": (g_age, True),
    "laravel": (g_laravel, False),
    "django": (g_django, False),
    "rails": (lambda: rs(HEX, 128), False),
    "wpsalt": (g_wpsalt, False),
    "wg": (g_wgkey, True),
    # generic
    "hex32": (lambda: rs(HEX, 32), False),
    "hex40": (lambda: rs(HEX, 40), False),
    "hex64": (lambda: rs(HEX, 64), False),
    "tok": (lambda: rs(ALNUM, R.randint(32, 48)), False),
    "tok_b64": (lambda: rs(B64U, R.randint(40, 64)), False),
    "client_secret": (lambda: R.choice(ALNUM) + rs(ALNUM + "-_~.", R.randint(30, 40)) + R.choice(ALNUM), False),
    "session": (lambda: rs(LOWD, 32), False),
    "pw": (g_pw, False),
    "pwx": (lambda: g_pw(SYM_ANY), False),
    "pwu": (lambda: g_pw(SYM_URL), False),
    "pwa": (lambda: g_pw("", 0), False),
    "phrase": (lambda: g_pw("-_.", 2), False),
    "psk": (lambda: g_pw(SYM_SAFE, R.choice([0, 1, 2])), False),
    "pin": (g_pin, False),
    "basic": (g_basic, False),
    "k8s": (lambda: b64s(g_pw(SYM_ANY)), False),
    "k8s_tok": (lambda: b64s(rs(ALNUM, 32)), False),
}
PASSWORD_GENS = {"pw", "pwx", "pwu", "pwa", "phrase", "psk"}


# ---------------------------------------------------------------- unlabelled fills
HOSTS = [
    "web-01",
    "web-02",
    "api-3",
    "db-primary",
    "db-replica-2",
    "worker-7",
    "ci-runner-4",
    "bastion",
    "edge-fra-1",
    "mq-01",
    "cache-2",
    "k8s-node-5",
    "build-box",
    "nas",
    "gitlab",
    "jump-ams",
    "vpn-gw",
    "mail-out-1",
]
CITIES = [
    "Berlin",
    "Lyon",
    "Porto",
    "Kraków",
    "Brno",
    "Tartu",
    "Osaka",
    "Busan",
    "Pune",
    "Nairobi",
    "Lima",
    "Cluj",
    "Izmir",
    "Thessaloniki",
    "Gdańsk",
    "Tampere",
    "Aarhus",
    "Bergen",
    "Malmö",
    "Ghent",
    "Graz",
]
COMPANIES = [
    "Nordwind Logistik",
    "Kestrel Analytics",
    "Maison Lavande",
    "Pixelmoss",
    "Harborline",
    "Lotus Bay",
    "Riverstone Health",
    "Cloudkite",
    "Ambertrail",
    "Quillfeather",
    "Cedarpoint",
    "Orbitalyx",
    "Brightwave",
    "Greenleaf Foods",
    "Southcross",
    "Novatech",
    "Vltava Tech",
    "Duna Web",
    "Baltic Amber",
]
WORDS = [
    "alpha",
    "billing",
    "checkout",
    "reports",
    "sync",
    "ingest",
    "search",
    "notify",
    "ledger",
    "media",
    "catalog",
    "auth",
    "gateway",
    "metrics",
    "export",
    "scheduler",
    "inventory",
    "profile",
]
REGIONS = ["eu-central-1", "eu-west-1", "us-east-1", "us-west-2", "ap-northeast-1", "ap-southeast-2", "sa-east-1"]
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
]


def g_date():
    return (
        "2024-%02d-%02d" % (R.randint(1, 12), R.randint(1, 28))
        if R.random() < 0.7
        else "2025-%02d-%02d" % (R.randint(1, 6), R.randint(1, 28))
    )


def g_time():
    return "%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


def g_uuid():
    h = rs(HEX, 32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def g_sshpub(kind="any"):
    k = kind if kind != "any" else R.choice(["ed", "rsa"])
    c = R.choice(FIRST) + "@" + R.choice(HOSTS)
    if k == "ed":
        return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " " + c
    return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(B64, 530) + "= " + c


def g_pem(label):
    head = {"PUBLIC KEY": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", "CERTIFICATE": "MIIDdzCCAl+gAwIBAgIU"}[label]
    n = 6 if label == "PUBLIC KEY" else 18
    body = head + rs(B64, n * 64 - len(head) - 6) + "IDAQAB"
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----" % (label, "\n".join(lines), label)


def g_bcrypt():
    return "$2%s$%d$" % (R.choice("bya"), R.choice([10, 11, 12, 13])) + rs(ALNUM + "./", 53)


def g_crypt(v="6"):
    if v == "1":
        return "$1$" + rs(ALNUM + "./", 8) + "$" + rs(ALNUM + "./", 22)
    if v == "5":
        return "$5$" + rs(ALNUM + "./", 16) + "$" + rs(ALNUM + "./", 43)
    if v == "y":
        return "$y$j9T$" + rs(ALNUM + "./", 22) + "$" + rs(ALNUM + "./", 43)
    return "$6$" + rs(ALNUM + "./", 16) + "$" + rs(ALNUM + "./", 86)


def g_argon2():
    return (
        "$argon2id$v=19$m=%d,t=%d,p=%d$" % (R.choice([19456, 65536, 47104]), R.choice([2, 3]), R.choice([1, 4]))
        + rs(B64.replace("+", "").replace("/", ""), 22)
        + "$"
        + rs(B64.replace("+", "").replace("/", ""), 43)
    )


def g_cisco(t="9"):
    return (
        ("$9$" + rs(ALNUM + "./", 14) + "$" + rs(ALNUM + "./", 43))
        if t == "9"
        else ("$8$" + rs(ALNUM + "./", 14) + "$" + rs(ALNUM + "./", 43))
    )


def g_pklive(mode="live"):
    return "pk_%s_%s" % (mode, rs(ALNUM, R.choice([24, 99])))


def g_mapbox_pk():
    return (
        "pk."
        + b64u(json.dumps({"u": R.choice(FIRST) + R.choice(LAST), "a": rs(LOWD, 25)}, separators=(",", ":")).encode())
        + "."
        + rs(B64U, 22)
    )


def g_gclient():
    return "%d-%s.apps.googleusercontent.com" % (R.randint(10**11, 10**12 - 1), rs(LOWD, 32))


def g_safe_digits(n, first="123456789"):
    # numeric ids that can never look like a card (first digit 1, 7, 8 or 9)
    return R.choice(first) + rs(DIG, n - 1)


def g_order():
    return g_safe_digits(R.randint(8, 12), "1789")


def g_version():
    return "%d.%d.%d" % (R.randint(0, 12), R.randint(0, 40), R.randint(0, 30))


def g_ticket():
    return "%s-%d" % (R.choice(["OPS", "SEC", "INC", "HELP", "DEV", "IT", "SUP", "INFRA"]), R.randint(100, 9999))


def g_mac():
    return ":".join("%02x" % R.randint(0, 255) for _ in range(6))


def g_user():
    f, l = R.choice(FIRST), R.choice(LAST)
    return R.choice(
        [f, f[0] + l, f + "." + l, f + "_" + str(R.randint(1, 99)), l + f[0], "svc-" + R.choice(WORDS), f + l[:3]]
    )


def g_domain():
    return R.choice(ORGDOM)


def g_amount():
    return "%d.%02d" % (R.randint(5, 2400), R.randint(0, 99))


def g_ts():
    return g_date() + "T" + g_time() + R.choice(["Z", ".%03dZ" % R.randint(0, 999), "+00:00"])


def g_clf_ts():
    mon = R.choice(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    return "%02d/%s/2024:%s +0000" % (R.randint(1, 28), mon, g_time())


def g_syslog_ts():
    mon = R.choice(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    return "%s %2d %s" % (mon, R.randint(1, 28), g_time())


FILL = {
    "name": lambda: R.choice(FIRST).capitalize() + " " + R.choice(LAST).capitalize(),
    "first": lambda: R.choice(FIRST).capitalize(),
    "last": lambda: R.choice(LAST).capitalize(),
    "user": g_user,
    "host": lambda: R.choice(HOSTS),
    "domain": g_domain,
    "company": lambda: R.choice(COMPANIES),
    "city": lambda: R.choice(CITIES),
    "word": lambda: R.choice(WORDS),
    "region": lambda: R.choice(REGIONS),
    "ua": lambda: R.choice(UAS),
    "pip": g_pip,
    "dip": g_dip,
    "dip6": g_dip6,
    "lip": g_lip,
    "pip6": g_pip6,
    "xmail": g_xmail,
    "date": g_date,
    "time": g_time,
    "ts": g_ts,
    "clf": g_clf_ts,
    "syslog": g_syslog_ts,
    "date_eu": lambda: "%02d.%02d.2024" % (R.randint(1, 28), R.randint(1, 12)),
    "epoch": lambda: str(R.randint(1700000000, 1740000000)),
    "port": lambda: str(R.choice([22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9000, 25565, 2222, 5000, 3000])),
    "n": lambda a="1", b="99": str(R.randint(int(a), int(b))),
    "hex": lambda n="32": rs(HEX, int(n)),
    "alnum": lambda n="16": rs(ALNUM, int(n)),
    "b64": lambda n="32": rs(B64, int(n)),
    "b64u": lambda n="32": rs(B64U, int(n)),
    "uuid": g_uuid,
    "ver": g_version,
    "sha1": lambda: rs(HEX, 40),
    "sha256": lambda: rs(HEX, 64),
    "md5": lambda: rs(HEX, 32),
    "short": lambda: rs(HEX, 7),
    "ticket": g_ticket,
    "order": g_order,
    "amount": g_amount,
    "mac": g_mac,
    "pk_live": lambda: g_pklive("live"),
    "pk_test": lambda: g_pklive("test"),
    "mapbox_pk": g_mapbox_pk,
    "gclient": g_gclient,
    "sitekey": lambda: "6L" + rs(B64U, 38),
    "sshpub": g_sshpub,
    "pem": g_pem,
    "bcrypt": g_bcrypt,
    "crypt": g_crypt,
    "argon2": g_argon2,
    "cisco": g_cisco,
    "btc": lambda: R.choice(["bc1q" + rs(BECH, 38), "1" + rs(B58, 33), "3" + rs(B58, 33)]),
    "eth": lambda: "0x" + rs("0123456789abcdefABCDEF", 40),
    "csrf": lambda: rs(ALNUM, 64) if R.random() < 0.5 else rs(B64U, 43),
    "nonce": lambda: rs(B64, 22) + "==",
    "accessor": lambda: rs(ALNUM, 24),
    "traceid": lambda: rs(HEX, 32),
    "amzn_trace": lambda: "Root=1-%s-%s" % (rs(HEX, 8), rs(HEX, 24)),
    "sri": lambda: "sha384-" + rs(B64, 64),
    "integrity": lambda: "sha512-" + rs(B64, 86) + "==",
    "digest": lambda: "sha256:" + rs(HEX, 64),
    "badcard": g_badcard,
    "last4": lambda: rs(DIG, 4),
    "acct": lambda: g_safe_digits(12, "1789"),
    "snowflake": lambda: str(R.randint(10**17, 2 * 10**18)),
    "isbn": lambda: (
        "978-%d-%d-%d-%d" % (R.randint(0, 9), R.randint(100, 999), R.randint(10000, 99999), R.randint(0, 9))
    ),
    "ups": lambda: "1Z" + rs(UPD, 6) + rs(DIG, 10),
    "pct": lambda: str(R.randint(1, 99)),
    "kb": lambda: str(R.randint(100, 99999)),
    "ssid": lambda: (
        R.choice(["Nordwind", "Lavande", "Pixelmoss", "Harbor", "CafeLuna", "Gaeste", "Office", "Studio"])
        + R.choice(["-Guest", "_5G", "-Staff", "", "-IoT"])
    ),
    "ansible_vault": lambda: "\n".join(rs(DIG[:10] + "abcdef", 80) for _ in range(R.randint(3, 6))),
    "sops": lambda: (
        "ENC[AES256_GCM,data:%s,iv:%s,tag:%s,type:str]" % (rs(B64, 28), rs(B64, 22) + "==", rs(B64, 22) + "==")
    ),
    "fingerprint": lambda: "SHA256:" + rs(B64, 43),
    "aws_acct": lambda: g_safe_digits(12, "1789"),
    "float": lambda: "%.4f" % R.uniform(-50, 50),
}


# ---------------------------------------------------------------- filler pools for long documents
POOLS = {
    "env": [
        "APP_ENV=production",
        "APP_DEBUG=false",
        "LOG_LEVEL=info",
        "LOG_CHANNEL=stack",
        "TZ=Europe/Berlin",
        "APP_PORT=⟦port⟧",
        "DB_HOST=⟦pip⟧",
        "DB_PORT=5432",
        "DB_DATABASE=⟦word⟧_prod",
        "DB_USERNAME=⟦user⟧",
        "REDIS_HOST=⟦host⟧",
        "REDIS_PORT=6379",
        "CACHE_DRIVER=redis",
        "SESSION_LIFETIME=120",
        "QUEUE_CONNECTION=sqs",
        "MAIL_MAILER=smtp",
        "MAIL_PORT=587",
        "MAIL_FROM_ADDRESS=⟦xmail⟧",
        "AWS_DEFAULT_REGION=⟦region⟧",
        "S3_BUCKET=⟦word⟧-assets-⟦n|10|99⟧",
        "FEATURE_NEW_CHECKOUT=true",
        "SENTRY_ENVIRONMENT=prod",
        "WORKERS=⟦n|2|16⟧",
        "MAX_UPLOAD_MB=⟦n|5|200⟧",
        "CORS_ORIGINS=https://app.⟦domain⟧",
        "NODE_ENV=production",
        "HTTP_TIMEOUT=30",
        "RATE_LIMIT_PER_MIN=⟦n|60|600⟧",
        "METRICS_ENABLED=1",
        "I18N_DEFAULT=en",
    ],
    "log": [
        "⟦ts⟧ INFO  [main] Started ⟦word⟧-service in ⟦n|2|40⟧.⟦n|100|999⟧ seconds",
        "⟦ts⟧ DEBUG [pool-1] Connection to ⟦pip⟧:5432 established",
        "⟦ts⟧ INFO  [http] GET /healthz 200 ⟦n|1|9⟧ms",
        "⟦ts⟧ WARN  [scheduler] job ⟦word⟧-sync took ⟦n|31|300⟧s (threshold 30s)",
        "⟦ts⟧ INFO  [cache] hit ratio ⟦pct⟧%",
        "⟦ts⟧ INFO  [kafka] partition ⟦n|0|11⟧ rebalanced, consumer group ⟦word⟧",
        "⟦ts⟧ ERROR [mailer] retry ⟦n|1|5⟧/5 for message ⟦uuid⟧",
        "⟦ts⟧ INFO  [auth] user ⟦user⟧ logged in from ⟦pip⟧",
        "⟦ts⟧ DEBUG [http] request_id=⟦uuid⟧ latency=⟦n|3|900⟧ms",
        "⟦ts⟧ INFO  [gc] pause ⟦n|1|80⟧ms heap=⟦n|200|900⟧MB",
        "⟦ts⟧ INFO  [http] POST /api/v1/orders 201 ⟦n|20|300⟧ms",
        "⟦ts⟧ INFO  [http] GET /api/v1/orders/⟦n|1000|99999⟧ 200 ⟦n|5|90⟧ms",
        "⟦ts⟧ WARN  [http] GET /api/v1/search 499 client closed request",
        "⟦ts⟧ INFO  [worker-⟦n|1|8⟧] processed batch ⟦n|1|9999⟧ (⟦n|10|500⟧ items)",
        "⟦ts⟧ DEBUG [db] slow query (⟦n|200|2000⟧ms): SELECT * FROM orders WHERE status = $1",
        "⟦ts⟧ INFO  [migrate] schema version ⟦n|100|400⟧ is up to date",
        "⟦ts⟧ WARN  [pool] ⟦n|1|5⟧ idle connections closed to ⟦pip⟧:6379",
        "⟦ts⟧ INFO  [feature] flag new-checkout evaluated=true tenant=⟦n|1|300⟧",
        "⟦ts⟧ ERROR [http] upstream timeout after 30000ms path=/api/v1/report",
        "⟦ts⟧ INFO  [s3] uploaded export-⟦date⟧.csv (⟦n|1|900⟧ KB)",
        "⟦ts⟧ INFO  [health] db=ok cache=ok queue=ok",
        "⟦ts⟧ DEBUG [auth] token refreshed for session ⟦uuid⟧",
    ],
    "md": [
        "## Requirements\n\n- Python 3.10+\n- Docker ⟦n|20|26⟧ or newer\n- A running PostgreSQL instance",
        "This project is maintained by the ⟦word⟧ team. Contributions are welcome, see CONTRIBUTING.md.",
        "## Installation\n\n```bash\ngit clone https://git.⟦domain⟧/⟦word⟧/⟦word⟧.git\ncd ⟦word⟧\nmake install\n```",
        "## Running tests\n\n```bash\npytest -q --maxfail=1\n```",
        "> **Note**: the first start takes a few minutes because the seed data is imported.",
        "## License\n\nMIT, see LICENSE.",
        "## Troubleshooting\n\nIf the container exits with code 137, give Docker more memory (at least ⟦n|4|8⟧ GB).",
        "Version ⟦ver⟧ changed the default port to ⟦port⟧.",
        "## Architecture\n\nThe service is split into an HTTP API, a background worker and a scheduler. They share one PostgreSQL database and talk through a Redis queue. Each component can be scaled on its own.",
        "## Configuration\n\nAll settings can be given as environment variables or in `config.yml`. Environment variables win. Unknown keys are ignored with a warning.",
        "## Contributing\n\n1. Fork the repo\n2. Create a branch\n3. Add tests\n4. Open a pull request against `main`",
        "## FAQ\n\n**Why is the first request slow?** The JIT warms up and caches are empty.\n\n**Does it run on ARM?** Yes, images are multi-arch.",
        "## Metrics\n\nPrometheus metrics are exposed on `/metrics` (port ⟦n|9000|9999⟧). A Grafana dashboard lives in `deploy/grafana/`.",
        "## Roadmap\n\n- [x] CSV export\n- [ ] SSO\n- [ ] audit log UI",
        "## Development\n\n```bash\nmake dev   # starts the stack with hot reload\nmake lint  # ruff + mypy\n```",
        "## Changelog\n\nSee CHANGELOG.md. We follow semantic versioning since ⟦ver⟧.",
    ],
    "yaml": [
        "  replicas: ⟦n|1|6⟧",
        "  image: registry.⟦domain⟧/⟦word⟧:⟦ver⟧",
        "  logLevel: info",
        "  timeoutSeconds: ⟦n|5|60⟧",
        "  region: ⟦region⟧",
        "  enableMetrics: true",
        "  maxConnections: ⟦n|10|500⟧",
        "  retryBackoff: ⟦n|1|9⟧s",
    ],
}

TOK = re.compile(r"⟦([^⟧]*)⟧")
LINES = re.compile(r"⟦lines\|(\w+)\|(\d+)\|(\d+)⟧")
LABELLED = {"S", "E", "IP", "IP6", "CC"}


def expand_lines(text):
    # lines are drawn without replacement across the whole document, so that
    # a long config never repeats a key
    left = {k: R.sample(v, len(v)) for k, v in POOLS.items()}

    def rep(m):
        pool = left[m.group(1)]
        k = min(R.randint(int(m.group(2)), int(m.group(3))), len(pool))
        taken, left[m.group(1)] = pool[:k], pool[k:]
        return "\n".join(taken)

    return LINES.sub(rep, text)


def labelled_value(kind, args):
    if kind == "S":
        gen = args[0] if args else "pw"
        while True:  # labelled values never look like documentation placeholders
            v = SG[gen][0]()
            if not any(b in v.lower() for b in ("example", "xxxx", "your_")):
                return v, "SECRET", gen
    if kind == "E":
        return g_email(*args), "EMAIL_ADDRESS", "email"
    if kind == "IP":
        return g_ip4(), "IP_ADDRESS", "ip4"
    if kind == "IP6":
        return g_ip6(), "IP_ADDRESS", "ip6"
    if kind == "CC":
        return g_card(*args), "CREDIT_CARD", "card"
    raise KeyError(kind)


def render(template):
    text = expand_lines(template)
    out, spans, env, pos, last = [], [], {}, 0, 0
    for m in TOK.finditer(text):
        lit = text[last : m.start()]
        out.append(lit)
        pos += len(lit)
        last = m.end()
        tok = m.group(1)
        if tok.startswith("@"):
            val, ent, gen = env[tok[1:]]
        else:
            var = None
            if "@" in tok:
                tok, var = tok.rsplit("@", 1)
            parts = tok.split("|")
            kind, args = parts[0], parts[1:]
            if kind in LABELLED:
                val, ent, gen = labelled_value(kind, args)
            else:
                val, ent, gen = FILL[kind](*args), None, None
            if var:
                env[var] = (val, ent, gen)
        if ent:
            spans.append({"start": pos, "end": pos + len(val), "entity": ent, "_value": val, "_gen": gen})
        out.append(val)
        pos += len(val)
    out.append(text[last:])
    return "".join(out), spans


# ---------------------------------------------------------------- scanner (unlabelled text)
IPV4_RE = re.compile(r"(?<!\d)(?<!\d\.)(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
CARD_RE = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")


def scan(text):
    hits = []
    for m in IPV4_RE.finditer(text):
        try:
            if is_public_ip(m.group(0)):
                hits.append(("ip", m.group(0)))
        except ValueError:
            pass
    for m in CARD_RE.finditer(text):
        groups = re.split(r"[ -]", m.group(0))
        for i in range(len(groups)):
            for j in range(i + 1, len(groups) + 1):
                d = "".join(groups[i:j])
                if 13 <= len(d) <= 19 and luhn_ok(d) and scanner_card_brand(d):
                    hits.append(("card", d))
    for m in EMAIL_RE.finditer(text):
        if not reserved_domain(m.group(1)):
            hits.append(("email", m.group(0)))
    return hits


def blank_spans(text, spans):
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            chars[i] = " "
    return "".join(chars)


# ---------------------------------------------------------------- template registry
TEMPLATES = []  # (group, context, lang, category, text)


def P(group, context, lang, text):
    TEMPLATES.append((group, context, lang, "positive", text))


def N(group, context, lang, category, text):
    TEMPLATES.append((group, context, lang, category, text))


# ================================================================ GROUP A: web pages, blogs, forums, Q&A, docs, READMEs
P(
    "A",
    "qa_question",
    "en",
    """Title: boto3 raises NoCredentialsError even though I pass the keys??

I'm on Python 3.11, boto3 1.34. This is my code:

```python
import boto3
s3 = boto3.client(
    "s3",
    aws_access_key_id="⟦S|aws_akid⟧",
    aws_secret_access_key="⟦S|aws_secret⟧",
    region_name="⟦region⟧",
)
print(s3.list_buckets())
```

Traceback says botocore.exceptions.NoCredentialsError: Unable to locate credentials. What am I missing? tags: python amazon-s3 boto3""",
)

P(
    "A",
    "forum_post",
    "en",
    """Re: nginx 502 after moving to new VPS

ok so I moved everything to the new box (⟦IP⟧, ubuntu 22.04) and now every request gives 502 Bad Gateway. old server was ⟦IP⟧ and worked fine with the exact same config. error.log says:

  connect() failed (111: Connection refused) while connecting to upstream, client: ⟦IP⟧, server: shop.⟦domain⟧, upstream: "http://127.0.0.1:8000/"

gunicorn is running, i checked with systemctl. any idea?? been at this for 3 hours lol""",
)

P(
    "A",
    "readme",
    "en",
    """# ⟦word⟧-notifier

Small bot that posts build results to our channel.

⟦lines|md|2|3⟧

## Configuration

Copy `config.sample.yml` to `config.yml`. For local testing you can use the team hook:

```yaml
slack:
  webhook_url: ⟦S|slack_hook⟧
  channel: "#ci-⟦word⟧"
```

⟦lines|md|1|2⟧
""",
)

P(
    "A",
    "blog_post",
    "en",
    """Deploying Django on a $5 droplet — part 3

In the last post we got gunicorn running. Now the database. I created the role and then put this into the systemd unit (yes, I know, env files are nicer, we'll get there):

    Environment="DATABASE_URL=postgres://⟦user⟧:⟦S|pwu⟧@⟦pip⟧:5432/blog"
    Environment="DJANGO_SETTINGS_MODULE=blog.settings.prod"

Reload with `systemctl daemon-reload` and restart. If you see "password authentication failed", double-check pg_hba.conf — mine still had `peer` for local connections.""",
)

P(
    "A",
    "github_issue",
    "en",
    """**Bot crashes on startup with `Improper token has been passed`**

Steps to reproduce:
1. `pip install -r requirements.txt`
2. put token in config.json
3. `python bot.py`

config.json:
```json
{
  "prefix": "!",
  "token": "⟦S|discord_bot⟧",
  "owner_id": ⟦snowflake⟧
}
```

Expected: bot comes online. Actual: `discord.errors.LoginFailure`. Version ⟦ver⟧ of the lib.""",
)

P(
    "A",
    "contact_page",
    "en",
    """Contact us | ⟦company⟧

Head office
Hafenstraße ⟦n|1|140⟧, ⟦city⟧

General enquiries: ⟦E|role⟧
Press & media: ⟦E|role⟧
Careers — send your CV to ⟦E|role⟧

Opening hours Mon–Fri 9:00–17:30. For urgent account issues, reach our on-call lead ⟦name⟧ at ⟦E|org⟧.""",
)

P(
    "A",
    "press_release",
    "en",
    """FOR IMMEDIATE RELEASE — ⟦company⟧ opens second data centre in ⟦city⟧

⟦city⟧, ⟦date⟧ — ⟦company⟧ today announced the opening of a second facility, adding capacity for ⟦n|200|900⟧ racks. "Customers asked us for lower latency in the region," said CTO ⟦name⟧.

About ⟦company⟧: founded in 20⟦n|10|19⟧, the company serves over ⟦n|100|900⟧ customers.

Media contact: ⟦name⟧, ⟦E|org⟧""",
)

P(
    "A",
    "wiki_page",
    "en",
    """== Server inventory (last updated ⟦date⟧) ==

{| class="wikitable"
! Host !! Public IP !! Internal !! Role
|-
| ⟦host⟧ || ⟦IP⟧ || ⟦pip⟧ || reverse proxy
|-
| ⟦host⟧ || ⟦IP⟧ || ⟦pip⟧ || app
|-
| ⟦host⟧ || ⟦IP6⟧ || ⟦pip⟧ || mail relay
|}

Ask in #infra before changing DNS.""",
)

P(
    "A",
    "forum_post",
    "en",
    """Charged twice for the same order?!

Placed an order on the ⟦date⟧, money left my account twice. Support keeps asking for the card so here it is, hope someone from the shop reads this forum: ⟦CC|visa|space⟧ exp 0⟦n|1|9⟧/2⟦n|6|9⟧. Order #⟦order⟧. Not happy.""",
)

P(
    "A",
    "paste_dump",
    "en",
    """-- combo list, found on a paste site, posted here for the breach notice --
⟦E⟧:⟦S|pwa⟧
⟦E⟧:⟦S|pw⟧
⟦E|free⟧:⟦S|pwa⟧
⟦E⟧:⟦S|pw⟧
-- end --""",
)

P(
    "A",
    "forum_post",
    "de",
    """Fritzbox + eigener Router: PPPoE klappt nicht

Hallo zusammen, ich hab den Anschluss bei meinem Anbieter und will die Fritzbox nur noch als Modem nutzen. Zugangsdaten laut Brief:

Anschlusskennung: ⟦n|100000|999999⟧⟦n|100000|999999⟧
Persönliches Kennwort: ⟦S|pwa⟧

Trotzdem bekomme ich "PPP-Authentifizierung fehlgeschlagen". Öffentliche IP war vorher ⟦IP⟧. Hat jemand eine Idee? Danke!!""",
)

P(
    "A",
    "qa_answer",
    "ja",
    """Firebase Cloud Messaging で通知が届きません

サーバー側から以下のように送っています。

```
curl -X POST https://fcm.googleapis.com/fcm/send \\
  -H "Authorization: key=⟦S|fcm⟧" \\
  -H "Content-Type: application/json" \\
  -d '{"to":"/topics/news","notification":{"title":"テスト"}}'
```

レスポンスは 401 です。レガシー API はもう使えないのでしょうか？ よろしくお願いします。""",
)

P(
    "A",
    "forum_post",
    "zh",
    """【求助】微信公众号接口一直返回 40125

各位大佬好，我在获取 access_token 的时候一直报 invalid appsecret，配置如下：

AppID: wx⟦hex|16⟧
AppSecret: ⟦S|hex32⟧

服务器 IP 已经加到白名单里了：⟦IP⟧。是不是哪里还要设置？谢谢！""",
)

P(
    "A",
    "qa_question",
    "ru",
    """Бот в Telegram не отвечает после переезда на сервер

Запускаю так:

```python
from telegram.ext import ApplicationBuilder
app = ApplicationBuilder().token("⟦S|telegram⟧").build()
app.run_polling()
```

Локально всё работает, а на сервере (⟦IP⟧) бот молчит, в логах пусто. Подскажите, куда смотреть?""",
)

P(
    "A",
    "blog_post",
    "fr",
    """Tutoriel : vérifier la signature des webhooks Stripe avec Flask

On récupère d'abord le secret du endpoint dans le tableau de bord. Pour ce tuto, j'ai collé directement le mien (oui, c'est mal, je le change après) :

```python
endpoint_secret = "⟦S|whsec⟧"
event = stripe.Webhook.construct_event(payload, sig_header, endpoint_secret)
```

Si la vérification échoue, Stripe renvoie l'événement plusieurs fois. Pensez aussi à répondre en moins de 10 secondes.""",
)

P(
    "A",
    "tutorial",
    "es",
    """Cómo enviar SMS con Twilio desde Node.js (guía rápida)

1. Crea una cuenta y copia tu Account SID y tu Auth Token.
2. Instala el paquete: `npm i twilio`
3. Escribe el script:

```js
const client = require('twilio')('AC⟦hex|32⟧', '⟦S|hex32⟧');
client.messages.create({ body: 'Hola desde ⟦city⟧', from: '+1555⟦n|1000000|9999999⟧', to: process.env.MI_TELEFONO });
```

¡Listo! Si recibes el error 20003, revisa que el token sea el correcto.""",
)

P(
    "A",
    "forum_comment",
    "en",
    """my server is at ⟦IP6⟧ (ipv6 only, hetzner) and the health checks from ⟦IP⟧ keep failing. anyone else seeing this since the maintenance?""",
)

P(
    "A",
    "job_posting",
    "en",
    """Senior Backend Engineer (Go) — ⟦city⟧ or remote

What you'll do: own our ⟦word⟧ pipeline, mentor two juniors, be on call one week in six.
What we offer: ⟦n|28|32⟧ days of holiday, learning budget, a decent coffee machine.

Apply with a short note to ⟦name⟧, ⟦E|org⟧ — no recruiters please.""",
)

P(
    "A",
    "event_page",
    "en",
    """⟦city⟧ DevOps Meetup #⟦n|10|60⟧ — venue info

We're hosted by ⟦company⟧ this time, 4th floor. Doors open 18:30.

Wi-Fi: ⟦ssid⟧ / password ⟦S|psk⟧

Speakers: ⟦name⟧ on eBPF, ⟦name⟧ on Terraform drift. Questions to ⟦E⟧.""",
)

P(
    "A",
    "hotel_page",
    "it",
    """Benvenuti all'Hotel ⟦last⟧!

Colazione dalle 7:00 alle 10:30 nella sala al piano terra. Il check-out è entro le 11.

Rete Wi-Fi: ⟦ssid⟧
Chiave: ⟦S|psk⟧

Per qualsiasi richiesta scrivete a ⟦E|role⟧ oppure chiamate la reception dal telefono in camera (tasto 9).""",
)

P(
    "A",
    "forum_post",
    "en",
    """[1.20.4] Survival server, no whitelist — join us!

IP: ⟦IP⟧:25565
Backup IP: ⟦IP⟧
Discord in my profile. No griefing, be nice. Admin: ⟦user⟧""",
)

P(
    "A",
    "gist",
    "en",
    """# quick way to trigger the jenkins job from cron
curl -X POST -u ⟦user⟧:⟦S|pwu⟧ "https://jenkins.⟦domain⟧/job/⟦word⟧-nightly/build?delay=0sec"
# returns 201 if queued""",
)

P(
    "A",
    "mailing_list",
    "en",
    """From: ⟦name⟧ <⟦E⟧>
Subject: Re: [dev] proposal: drop support for Python 3.8
Date: ⟦date⟧

> On ⟦date⟧, ⟦name⟧ <⟦E⟧> wrote:
> > 3.8 is EOL, CI matrix is getting slow.

+1 from me. We should announce it in the next release notes at least one version ahead.

Cheers""",
)

P(
    "A",
    "readme",
    "en",
    """# gpt-summarizer

Summarises long PDFs chapter by chapter.

## Setup

```
pip install -r requirements.txt
cp .env.sample .env
```

My .env for reference:

```
OPENAI_API_KEY=⟦S|openai⟧
MODEL=gpt-4o-mini
CHUNK_TOKENS=⟦n|500|4000⟧
```

⟦lines|md|1|3⟧""",
)

P(
    "A",
    "qa_answer",
    "en",
    """You need to log in before `from_pretrained` can fetch gated models. In a notebook:

```python
from huggingface_hub import login
login(token="⟦S|hf⟧")
```

or set `HF_TOKEN` in the environment. After that `AutoModel.from_pretrained("meta-llama/...")` works.""",
)

P(
    "A",
    "qa_question",
    "en",
    """git push keeps asking for my password

I set the remote like this and it still prompts:

    git remote set-url origin https://⟦user⟧:⟦S|ghp⟧@github.com/⟦user⟧/⟦word⟧.git

Windows 11, Git ⟦ver⟧. Credential manager is installed. What's wrong?""",
)

P(
    "A",
    "forum_post",
    "en",
    """WordPress white screen after migration — here's my wp-config

define( 'DB_NAME', 'wp_⟦word⟧' );
define( 'DB_USER', '⟦user⟧' );
define( 'DB_PASSWORD', '⟦S|pwx⟧' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         '⟦S|wpsalt⟧' );
define( 'SECURE_AUTH_KEY',  '⟦S|wpsalt⟧' );

PHP 8.2, hosting says everything is fine on their side.""",
)

P(
    "A",
    "internal_wiki",
    "en",
    """Staging environment — how to log in

URL: https://staging.⟦domain⟧/admin
User: qa-admin
Password: ⟦S|pw⟧

Please don't change the password, five people use this account. If you lock it, ask ⟦name⟧ (⟦E|org⟧).""",
)

P(
    "A",
    "forum_post",
    "pl",
    """Serwer domowy za CGNAT? Pomocy

Mam Raspberry Pi z Nextcloudem, DDNS ustawiony, ale z zewnątrz nic nie działa. Router pokazuje adres WAN 100.⟦n|64|127⟧.⟦n|0|255⟧.⟦n|1|254⟧, a strony typu "jakie mam IP" pokazują ⟦IP⟧. Czy to znaczy, że operator daje mi CGNAT? Da się to obejść bez VPS?""",
)

P(
    "A",
    "blog_post",
    "nl",
    """Home Assistant koppelen aan Node-RED

Maak in je profiel een long-lived access token aan (helemaal onderaan). Die plak je in de server-node:

Base URL: http://⟦pip⟧:8123
Access Token: ⟦S|jwt_ha⟧

Let op: het token zie je maar één keer. Daarna kun je gewoon flows bouwen met de "events: state" node.""",
)

P(
    "A",
    "forum_post",
    "tr",
    """Postfix ile Gmail SMTP relay çalışmıyor

/etc/postfix/sasl_passwd dosyam şöyle:

[smtp.gmail.com]:587 ⟦E|free⟧:⟦S|pwa⟧

postmap yaptım, servis yeniden başlattım ama loglarda "SASL authentication failed" görüyorum. Sunucu IP'si ⟦IP⟧. Ne yapmam lazım?""",
)

P(
    "A",
    "qa_question",
    "id",
    """Midtrans Snap selalu error 401 di production

Halo, saya pakai Laravel. Di config saya:

MIDTRANS_SERVER_KEY=⟦S|midtrans⟧
MIDTRANS_IS_PRODUCTION=true

Di sandbox lancar, tapi di production selalu "Access denied due to unauthorized transaction". Apakah ada yang pernah mengalami?""",
)

P(
    "A",
    "blog_post",
    "ko",
    """네이버 검색 API 써보기 (파이썬)

애플리케이션 등록 후 발급받은 값을 헤더에 넣으면 됩니다.

```python
headers = {
    "X-Naver-Client-Id": "⟦alnum|20⟧",
    "X-Naver-Client-Secret": "⟦S|pwa⟧",
}
```

호출 한도는 하루 25,000회입니다. 블로그 검색 결과는 JSON으로 옵니다.""",
)

P(
    "A",
    "incident_report",
    "en",
    """Post-incident review: credential stuffing against /login (⟦date⟧)

Summary: between 02:10 and 03:45 UTC we saw ~⟦n|20|90⟧k failed logins. Top sources:

- ⟦IP⟧ (⟦n|4000|9000⟧ attempts)
- ⟦IP⟧ (⟦n|1000|3999⟧ attempts)
- ⟦IP⟧ (⟦n|500|999⟧ attempts)
- ⟦IP6⟧ (⟦n|100|499⟧ attempts)

Mitigation: rate limit lowered to ⟦n|5|20⟧/min per IP, blocklist pushed to the WAF. No accounts were compromised.""",
)

P(
    "A",
    "security_blog",
    "en",
    """Dissecting a phishing kit that targets ⟦company⟧ customers

The kit is a single PHP file. Stolen credentials are sent two ways: by mail to ⟦E|free⟧ and to a Telegram bot:

    $bot = "⟦S|telegram⟧";
    $chat = "-100⟦n|1000000000|9999999999⟧";

The panel was hosted on ⟦IP⟧; the kit also pings ⟦IP⟧ for geolocation. We reported both to the providers.""",
)

P(
    "A",
    "qa_question",
    "en",
    """Laravel "No application encryption key has been specified" on production only

.env on the server:

APP_NAME=⟦word⟧
APP_ENV=production
APP_KEY=base64:⟦S|laravel⟧
APP_URL=https://⟦domain⟧

I ran `php artisan config:cache` already. Locally fine.""",
)

P(
    "A",
    "forum_post",
    "en",
    """Here is my credentials.yml.enc decrypted so you can see the structure (rotating after this):

production:
  secret_key_base: ⟦S|rails⟧
  smtp:
    user_name: ⟦E⟧
    password: ⟦S|pw⟧""",
)

P(
    "A",
    "shared_collection",
    "en",
    """Postman collection "⟦company⟧ API v2" — description

Import the collection, then set the environment variable `baseUrl` to https://api.⟦domain⟧. The collection is synced with:

postman-api-key: ⟦S|postman⟧

Folders: Auth, Orders, Webhooks. ⟦n|20|80⟧ requests in total.""",
)

P(
    "A",
    "qa_answer",
    "en",
    """Docker Hub rate limits went away for me once I authenticated the runner:

```
echo "⟦S|dckr⟧" | docker login -u ⟦user⟧ --password-stdin
```

Use an access token, not your account password.""",
)

P(
    "A",
    "internal_wiki",
    "en",
    """Payments QA — card numbers that the sandbox of our acquirer accepts

| brand | number | CVC |
|---|---|---|
| Visa | ⟦CC|visa|space⟧ | ⟦n|100|999⟧ |
| Mastercard | ⟦CC|mc|space⟧ | ⟦n|100|999⟧ |
| Amex | ⟦CC|amex|space⟧ | ⟦n|1000|9999⟧ |

Any future expiry date works. Contact ⟦E|org⟧ if a number stops working.""",
)

P(
    "A",
    "blog_post",
    "pt",
    """Integrando o Mercado Pago no checkout — o que aprendi

A documentação é boa, mas uma coisa me pegou: o access token de produção começa com APP_USR. O meu ficou assim no .env (já troquei, relaxa):

MP_ACCESS_TOKEN=⟦S|mercadopago⟧

Outro detalhe: o webhook precisa responder 200 rápido, senão eles reenviam.""",
)

P(
    "A",
    "forum_post",
    "vi",
    """Hỏi về lỗi kết nối MySQL từ xa

Mình cấu hình như sau:
host: ⟦IP⟧
user: ⟦user⟧
pass: ⟦S|pw⟧

Nhưng luôn báo "Access denied for user". Đã mở port 3306 trên tường lửa rồi. Mọi người giúp mình với ạ!""",
)

P(
    "A",
    "qa_answer",
    "en",
    """If you're on GitLab self-hosted, register the runner with the new token format:

```
gitlab-runner register --non-interactive \\
  --url https://gitlab.⟦domain⟧ \\
  --token ⟦S|glrt⟧ \\
  --executor docker --docker-image alpine:3.19
```""",
)

P(
    "A",
    "docs_page",
    "en",
    """Authentication — ⟦company⟧ internal API

All requests must send a bearer token. The shared integration token for the analytics team is:

    Authorization: Bearer ⟦S|tok⟧

Tokens expire after 90 days. Ping ⟦E|org⟧ for a new one.""",
)

P(
    "A",
    "forum_post",
    "sv",
    """Tips: koppla Shelly-reläer till Home Assistant utan molnet

Jag satte statisk IP (⟦pip⟧) och aktiverade lösenordsskydd på webbgränssnittet. Användare admin, lösen ⟦S|pw⟧ — ändra till ert eget förstås. Sen lägger man bara till integrationen och anger IP:n.""",
)

P(
    "A",
    "abuse_report",
    "en",
    """Abuse report #⟦n|10000|99999⟧ — SSH brute force

Offending address: ⟦IP⟧
First seen: ⟦ts⟧
Last seen: ⟦ts⟧
Target: our host ⟦IP⟧ port 22
Attempts: ⟦n|300|9000⟧

Please take appropriate action. Reply to ⟦E|role⟧.""",
)

P(
    "A",
    "readme",
    "en",
    """## Deploy

The Pulumi stack needs an access token. CI uses:

```
export PULUMI_ACCESS_TOKEN=⟦S|pulumi⟧
pulumi up --stack prod --yes
```

⟦lines|md|2|4⟧""",
)

P(
    "A",
    "qa_question",
    "en",
    """Terraform Cloud: "unauthorized" with token in .terraformrc

credentials "app.terraform.io" {
  token = "⟦S|tfc⟧"
}

terraform login works, but the CLI run in CI fails. Any hints?""",
)

P(
    "A",
    "forum_post",
    "uk",
    """Питання щодо Nova Poshta API та CRM

Підключаю інтеграцію, ключ API вставила такий: ⟦S|hex32⟧. Запити з сервера ⟦IP⟧ повертають "API key expired". Хтось стикався? Дякую!""",
)

P(
    "A",
    "personal_homepage",
    "en",
    """Hi, I'm ⟦name⟧ 👋

I build tools for data teams and occasionally write about databases. Previously at ⟦company⟧.

Reach me: ⟦E|free⟧ · GitHub: ⟦user⟧ · Based in ⟦city⟧""",
)

P(
    "A",
    "qa_question",
    "en",
    """Square API returns 401 UNAUTHORIZED in production

```ruby
client = Square::Client.new(access_token: '⟦S|square⟧', environment: 'production')
```

The application secret is ⟦S|square_secret⟧ (used for OAuth) — sandbox works with a different pair.""",
)

P(
    "A",
    "forum_post",
    "fa",
    """مشکل اتصال به سرور مجازی

سلام دوستان، سرور من با آی‌پی ⟦IP⟧ از دیروز در دسترس نیست. با کاربر root و رمز ⟦S|pw⟧ وارد پنل می‌شوم ولی SSH جواب نمی‌دهد. کسی می‌داند مشکل از کجاست؟""",
)

P(
    "A",
    "forum_post",
    "ar",
    """مشكلة في بوابة الدفع

قمت بعملية شراء ودفعت بالبطاقة ⟦CC|mc|space⟧ لكن الطلب لم يظهر في حسابي حتى الآن. رقم الطلب ⟦order⟧. أرجو المساعدة من إدارة المتجر عبر البريد ⟦E|free⟧.""",
)

# ---- A negatives
N(
    "A",
    "docs_page",
    "en",
    "documentation_examples",
    """Sending mail — configuration reference

Set `from` to an address you own, for example `⟦xmail⟧`, and list recipients in `to`:

    to: ["⟦xmail⟧", "⟦xmail⟧"]

The relay must accept connections from your app server, e.g. ⟦dip⟧ or ⟦dip6⟧. Port defaults to 587.""",
)

N(
    "A",
    "integration_guide",
    "en",
    "publishable_keys",
    """Stripe Elements in 5 minutes

Publishable keys are safe to embed in your frontend. Initialise Stripe.js with yours:

```js
const stripe = Stripe('⟦pk_live⟧');
// in test mode:
// const stripe = Stripe('⟦pk_test⟧');
```

Never put the secret key in client code — it belongs on your server, read from an environment variable.""",
)

N(
    "A",
    "tutorial",
    "en",
    "mapbox_public_tokens",
    """Adding a Mapbox map to a static site

Public tokens (they start with pk.) are meant for the browser:

```js
mapboxgl.accessToken = '⟦mapbox_pk⟧';
const map = new mapboxgl.Map({ container: 'map', style: 'mapbox://styles/mapbox/streets-v12', center: [⟦float⟧, ⟦float⟧], zoom: ⟦n|3|14⟧ });
```

Restrict the token to your domain in the account settings.""",
)

N(
    "A",
    "tutorial",
    "en",
    "oauth_client_ids",
    """Google Sign-In for a React SPA

Wrap the app in the provider with your OAuth client ID (this value is public, it appears in every login URL):

```jsx
<GoogleOAuthProvider clientId="⟦gclient⟧">
  <App />
</GoogleOAuthProvider>
```

Add http://localhost:⟦n|3000|5999⟧ to the authorised JavaScript origins.""",
)

N(
    "A",
    "docs_page",
    "en",
    "captcha_site_keys",
    """Protecting the signup form with reCAPTCHA v3

Load the script with your site key (public):

```html
<script src="https://www.google.com/recaptcha/api.js?render=⟦sitekey⟧"></script>
```

The matching secret key is only used server-side when you verify the token, and is read from `RECAPTCHA_SECRET`.""",
)

N(
    "A",
    "tutorial",
    "en",
    "ssh_public_keys",
    """Setting up key-based SSH login

Generate a key with `ssh-keygen -t ed25519` and copy the public half to the server. It looks like this:

    ⟦sshpub|ed⟧

Append it to ~/.ssh/authorized_keys on the server (⟦pip⟧ in my lab) and disable PasswordAuthentication.""",
)

N(
    "A",
    "blog_post",
    "en",
    "password_hashes",
    """Why we moved from bcrypt cost 10 to 12

Here are two hashes from our test fixtures (for the same throwaway input):

    cost 10: ⟦bcrypt⟧
    cost 12: ⟦bcrypt⟧

At cost 12 hashing takes ~⟦n|180|320⟧ms on our login pods, which is still acceptable. Verification time grows with the cost factor, so measure before you raise it.""",
)

N(
    "A",
    "qa_answer",
    "en",
    "crypt_hashes",
    """The second field of /etc/shadow is the hash, and the prefix tells you the algorithm:

    ⟦user⟧:⟦crypt|6⟧:19⟦n|100|999⟧:0:99999:7:::

`$6$` is SHA-512 crypt, `$5$` SHA-256, `$1$` MD5, `$y$` yescrypt. You cannot "decrypt" it; use `passwd` to set a new one.""",
)

N(
    "A",
    "blog_post",
    "en",
    "password_hashes",
    """Argon2id parameters in practice

OWASP currently suggests m=19456, t=2, p=1 as a minimum. A stored hash encodes all parameters:

    ⟦argon2⟧

so you can raise memory later and rehash on next login. Our p95 verification time went from ⟦n|20|60⟧ms to ⟦n|61|120⟧ms.""",
)

N(
    "A",
    "network_guide",
    "en",
    "cisco_password_hashes",
    """Hardening Cisco IOS: use type 9 secrets

Replace old type 7 passwords. After `enable algorithm-type scrypt secret ...` the running config shows:

    enable secret 9 ⟦cisco|9⟧
    username ⟦user⟧ privilege 15 secret 8 ⟦cisco|8⟧

Type 8 is PBKDF2-SHA256, type 9 is scrypt. Neither can be reversed.""",
)

N(
    "A",
    "download_page",
    "en",
    "checksums_digests",
    """Downloads — ⟦word⟧ ⟦ver⟧

| file | SHA-256 |
|---|---|
| ⟦word⟧-linux-amd64.tar.gz | ⟦sha256⟧ |
| ⟦word⟧-darwin-arm64.tar.gz | ⟦sha256⟧ |
| ⟦word⟧-windows-amd64.zip | ⟦sha256⟧ |

Verify with `sha256sum -c SHA256SUMS`. Signatures are made with our release key, fingerprint ⟦fingerprint⟧.""",
)

N(
    "A",
    "donation_page",
    "en",
    "crypto_wallet_addresses",
    """Support the project ❤️

This library is maintained in our spare time. If it saves you time, consider a donation:

BTC: ⟦btc⟧
ETH / USDC: ⟦eth⟧

Or sponsor us on GitHub. Thanks to ⟦n|20|300⟧ backers so far!""",
)

N(
    "A",
    "docs_page",
    "en",
    "vendor_example_keys",
    """Configuring the AWS CLI

Run `aws configure` and enter your keys when asked:

    AWS Access Key ID [None]: AKIAIOSFODNN7EXAMPLE
    AWS Secret Access Key [None]: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    Default region name [None]: ⟦region⟧
    Default output format [None]: json

The values above are the documentation examples; use the keys from your IAM user.""",
)

N(
    "A",
    "readme",
    "en",
    "placeholders",
    """## Configuration

Create `.env` with:

```
API_KEY=<your-api-key>
API_SECRET=<your-api-secret>
WEBHOOK_URL=https://hooks.slack.com/services/XXXXXXXXX/XXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX
DB_PASSWORD=
```

⟦lines|md|2|4⟧""",
)

N(
    "A",
    "forum_post",
    "en",
    "redacted_secrets",
    """Still getting 403 from the ⟦word⟧ API, here's my config with the sensitive bits removed:

    api_key: "********************"
    api_secret: "[REDACTED]"
    endpoint: https://api.⟦domain⟧/v⟦n|1|3⟧
    account: ⟦user⟧

Logs show `signature mismatch` on every call since ⟦date⟧.""",
)

N(
    "A",
    "qa_answer",
    "en",
    "env_var_references",
    """Don't hard-code it. Read the password from the environment and fail fast if it's missing:

```python
import os
db_password = os.environ["DB_PASSWORD"]
token = os.getenv("⟦word⟧_API_TOKEN".upper())
```

In docker-compose use `env_file: .env`, and in Kubernetes a secretKeyRef.""",
)

N(
    "A",
    "network_guide",
    "en",
    "private_ip_addresses",
    """Planning subnets for a small office

We split 10.⟦n|0|255⟧.0.0/16 like this:

- ⟦pip⟧/24 — servers
- ⟦pip⟧/24 — staff Wi-Fi
- 192.168.⟦n|0|255⟧.0/24 — guests (isolated)

The router itself sits at ⟦pip⟧ and hands out DNS ⟦pip⟧. Use RFC 1918 space only; nothing here is reachable from the internet.""",
)

N(
    "A",
    "blog_post",
    "en",
    "non_global_ipv6",
    """IPv6 addresses you'll see on a LAN that are not routable

- fe80::/10 link-local, e.g. ⟦pip6⟧ on every interface
- fd00::/8 unique local, e.g. fd⟦hex|2⟧:⟦hex|4⟧:⟦hex|4⟧::⟦n|1|99⟧
- ::1 loopback
- 2001:db8::/32 for documentation, e.g. ⟦dip6⟧

None of these should ever show up in your public DNS.""",
)

N(
    "A",
    "docs_page",
    "en",
    "luhn_invalid_numbers",
    """Card validation errors

The form rejects numbers that fail the Luhn checksum before calling the payment provider. For example `⟦badcard|visa|space⟧` or `⟦badcard|mc|plain⟧` are rejected with `card_number_invalid`. Amex numbers have 15 digits: `⟦badcard|amex|space⟧` also fails the check.""",
)

N(
    "A",
    "help_center",
    "en",
    "masked_card_numbers",
    """How do I know which card was charged?

Open Billing → Invoices. Each invoice shows the brand and the last four digits, e.g. "Visa •••• ⟦last4⟧" or "Mastercard ending in ⟦last4⟧". We never show or store the full number. Invoice ⟦order⟧ was paid on ⟦date⟧.""",
)

N(
    "A",
    "docs_page",
    "en",
    "csrf_tokens",
    """CSRF protection in server-rendered forms

Every form gets a hidden field:

```html
<input type="hidden" name="csrfmiddlewaretoken" value="⟦csrf⟧">
```

The value rotates on login. XHR requests send it in the `X-CSRFToken` header, e.g. `X-CSRFToken: ⟦csrf⟧`.""",
)

N(
    "A",
    "blog_post",
    "en",
    "nonces",
    """Moving to a strict Content-Security-Policy

We generate a fresh nonce for every response:

    Content-Security-Policy: script-src 'nonce-⟦nonce⟧' 'strict-dynamic'; object-src 'none'

and render `<script nonce="⟦nonce⟧">`. Inline handlers had to go, which took ⟦n|2|9⟧ sprints.""",
)

N(
    "A",
    "cdn_page",
    "en",
    "integrity_hashes",
    """Include the library from our CDN:

```html
<script src="https://cdn.⟦domain⟧/⟦word⟧@⟦ver⟧/dist/⟦word⟧.min.js"
        integrity="⟦sri⟧"
        crossorigin="anonymous"></script>
```

The integrity attribute makes the browser refuse a modified file.""",
)

N(
    "A",
    "policy_page",
    "en",
    "password_policy_text",
    """⟦company⟧ password policy (v⟦n|2|6⟧, effective ⟦date⟧)

1. Minimum length ⟦n|12|16⟧ characters; passphrases are encouraged.
2. Do not reuse any of your last ⟦n|5|24⟧ passwords.
3. Never share passwords by e-mail or chat — use the password manager's sharing feature.
4. MFA is mandatory for VPN and e-mail.
Questions: ask the IT service desk (ticket category "Access").""",
)

N(
    "A",
    "changelog",
    "en",
    "git_object_ids",
    """## ⟦ver⟧ (⟦date⟧)

- fix: retry on 429 responses (⟦short⟧)
- feat: add `--dry-run` to the importer (⟦short⟧)
- chore: bump dependencies (⟦sha1⟧)

Full diff: compare/⟦sha1⟧...⟦sha1⟧""",
)

N(
    "A",
    "docs_page",
    "en",
    "container_image_digests",
    """Pin images by digest in production:

    image: ghcr.io/⟦word⟧/⟦word⟧@⟦digest⟧

Tags can move; digests cannot. Our release ⟦ver⟧ has the digest ⟦digest⟧ for linux/amd64.""",
)

N(
    "A",
    "shipping_page",
    "en",
    "tracking_numbers",
    """Your parcel is on its way!

Carrier: UPS  •  Tracking: ⟦ups⟧
Order number: ⟦order⟧
Estimated delivery: ⟦date⟧

Questions? Reply to this page's chat widget.""",
)

N(
    "A",
    "product_page",
    "en",
    "product_identifiers",
    """"Practical Networking, ⟦n|2|5⟧nd edition" — paperback, ⟦n|300|700⟧ pages

ISBN-13: ⟦isbn⟧
Publisher SKU: ⟦alnum|10⟧
Price: €⟦amount⟧

Ships within ⟦n|1|5⟧ working days.""",
)

N(
    "A",
    "wiki_page",
    "en",
    "mac_addresses",
    """DHCP reservations (office)

| device | MAC | IP |
|---|---|---|
| printer-2F | ⟦mac⟧ | ⟦pip⟧ |
| meeting-room TV | ⟦mac⟧ | ⟦pip⟧ |
| NAS | ⟦mac⟧ | ⟦pip⟧ |""",
)

N(
    "A",
    "forum_post",
    "en",
    "private_ip_addresses",
    """can't reach router admin page

typing 192.168.⟦n|0|1⟧.1 in the browser just times out. ipconfig says my address is ⟦pip⟧ and gateway ⟦pip⟧. tried 10.0.0.138 too. the lights look normal. model is some ISP box. help?""",
)

N(
    "A",
    "profile_page",
    "en",
    "usernames",
    """@⟦user⟧ · joined ⟦date⟧

Posts: ⟦n|10|3000⟧ · Reputation: ⟦n|1|20000⟧
Top tags: kubernetes, terraform, bash

Also on GitHub as ⟦user⟧ and on Mastodon as ⟦user⟧ (fosstodon)""",
)

N(
    "A",
    "blog_post",
    "en",
    "uuids",
    """UUIDv4 vs UUIDv7 as primary keys

v4 is random: ⟦uuid⟧. v7 starts with a timestamp, so inserts are index-friendly. In our benchmark ⟦n|5|50⟧M rows inserted ⟦n|10|60⟧% faster with v7. Trace of a slow query: request ⟦uuid⟧.""",
)

N(
    "A",
    "docs_page",
    "en",
    "version_strings",
    """Compatibility matrix

| component | supported versions |
|---|---|
| server | ⟦ver⟧ – ⟦ver⟧ |
| agent | ⟦ver⟧ |
| kernel | 5.15, 6.1, 6.6 |

SNMP OID for uptime: 1.3.6.1.2.1.1.3.0""",
)

N(
    "A",
    "docs_page",
    "en",
    "secret_manager_references",
    """Referencing secrets from ECS task definitions

```json
"secrets": [
  {"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:⟦region⟧:⟦aws_acct⟧:secret:prod/⟦word⟧/db-⟦alnum|6⟧"},
  {"name": "API_TOKEN", "valueFrom": "arn:aws:ssm:⟦region⟧:⟦aws_acct⟧:parameter/⟦word⟧/api-token"}
]
```

The task execution role needs `secretsmanager:GetSecretValue`.""",
)

N(
    "A",
    "docs_page",
    "en",
    "vault_accessors",
    """Revoking a token by accessor

List token accessors and revoke one without knowing the token itself:

    $ vault list auth/token/accessors
    Keys
    ----
    ⟦accessor⟧
    ⟦accessor⟧
    $ vault token revoke -accessor ⟦accessor⟧

Accessors cannot be used to authenticate.""",
)

N(
    "A",
    "qa_answer",
    "en",
    "request_ids",
    """When you contact support, include the request ID from the response headers:

    x-request-id: ⟦uuid⟧
    x-amzn-trace-id: ⟦amzn_trace⟧
    traceparent: 00-⟦traceid⟧-⟦hex|16⟧-01

With that we can find the exact log lines.""",
)

N(
    "A",
    "security_advisory",
    "en",
    "issue_identifiers",
    """Security advisory ⟦company⟧-SA-2024-0⟦n|10|99⟧

Affected: ⟦word⟧ < ⟦ver⟧. Tracked as CVE-2024-⟦n|10000|49999⟧ (CVSS ⟦n|5|9⟧.⟦n|0|9⟧). Fixed in ⟦ver⟧, commit ⟦sha1⟧. Windows hosts also need KB50⟦n|10000|99999⟧.""",
)

N(
    "A",
    "docs_page",
    "en",
    "encrypted_values",
    """Storing secrets in git with SOPS

After `sops -e -i secrets.yaml` the file is safe to commit:

```yaml
db:
  password: ⟦sops⟧
api:
  token: ⟦sops⟧
sops:
  kms:
    - arn: arn:aws:kms:⟦region⟧:⟦aws_acct⟧:key/⟦uuid⟧
```

Only people with access to the KMS key can decrypt.""",
)

N(
    "A",
    "docs_page",
    "en",
    "credential_field_names",
    """Configuration reference

| key | type | description |
|---|---|---|
| `api_key` | string | Your secret API key. Required. |
| `api_secret` | string | Used to sign requests. |
| `password` | string | SMTP password, if `smtp.auth` is true. |
| `token_ttl` | int | Lifetime in seconds (default ⟦n|300|3600⟧). |

Values are read from the environment first, then from `/etc/⟦word⟧/config.toml`.""",
)

N(
    "A",
    "docs_page",
    "en",
    "ssh_fingerprints",
    """Verifying the host key on first connect

Our bastion presents these fingerprints:

    ED25519 key fingerprint is ⟦fingerprint⟧.
    RSA key fingerprint is ⟦fingerprint⟧.

If you see anything else, stop and contact the infra team.""",
)

N(
    "A",
    "webpage",
    "en",
    "hashed_identifiers",
    """<div class="comment">
  <img src="https://www.gravatar.com/avatar/⟦md5⟧?s=48&d=identicon" alt="">
  <span class="author">⟦user⟧</span> — ⟦date⟧
  <p>Thanks, that fixed it for me too.</p>
</div>""",
)

N(
    "A",
    "docs_page",
    "en",
    "certificates",
    """Trusting our internal CA

Save the following as `/usr/local/share/ca-certificates/⟦word⟧-ca.crt` and run `update-ca-certificates`:

⟦pem|CERTIFICATE⟧

The certificate is public; it only lets you verify our servers.""",
)

N(
    "A",
    "forum_post",
    "de",
    "documentation_examples",
    """Frage zu Mailserver-Tests

Für die Tests nutze ich Adressen wie ⟦xmail⟧ und ⟦xmail⟧, damit nichts rausgeht. Der Testserver läuft im Labor auf ⟦dip⟧ bzw. intern auf ⟦pip⟧. Reicht das so oder sollte ich lieber eine .test-Domain nehmen?""",
)

N(
    "A",
    "blog_post",
    "es",
    "password_policy_text",
    """Cinco consejos para contraseñas en tu pyme

Usa frases largas en vez de palabras sueltas, activa la verificación en dos pasos, y nunca envíes claves por WhatsApp. En ⟦company⟧ reducimos los incidentes un ⟦pct⟧% con un gestor de contraseñas. Y si alguien te pide "la clave del wifi" por correo, desconfía.""",
)

N(
    "A",
    "docs_page",
    "ja",
    "publishable_keys",
    """Stripe 決済フォームの設定

フロントエンドでは公開可能キーのみを使用します：

```js
const stripe = Stripe('⟦pk_test⟧');
```

シークレットキーはサーバー側の環境変数 STRIPE_SECRET_KEY から読み込んでください。問い合わせ先：⟦xmail⟧""",
)

N(
    "A",
    "forum_post",
    "fr",
    "private_ip_addresses",
    """Box internet : impossible d'accéder à mon NAS

Le NAS a l'adresse ⟦pip⟧, la box est en ⟦pip⟧. En local ça marche, depuis l'extérieur non. J'ai ouvert le port ⟦port⟧ mais rien. Faut-il une IP fixe chez l'opérateur ?""",
)

N(
    "A",
    "qa_answer",
    "ru",
    "env_var_references",
    """Не храните пароль в коде. Используйте переменные окружения:

```bash
export PGPASSWORD="$(cat /run/secrets/pg_password)"
psql -h ⟦pip⟧ -U ⟦user⟧ -d ⟦word⟧
```

В docker-compose задайте `POSTGRES_PASSWORD_FILE: /run/secrets/pg_password`.""",
)

N(
    "A",
    "blog_post",
    "zh",
    "checksums_digests",
    """镜像下载校验说明

下载 ⟦word⟧-⟦ver⟧.iso 后，请核对 SHA256：

⟦sha256⟧

若与官网公布值不一致，请勿安装。MD5（仅供参考）：⟦md5⟧""",
)

N(
    "A",
    "webpage",
    "pt",
    "masked_card_numbers",
    """Minha conta › Pagamentos

Cartão principal: Mastercard final ⟦last4⟧ (validade ⟦n|1|12⟧/2⟦n|6|9⟧)
Cartão secundário: Visa **** **** **** ⟦last4⟧

Última cobrança: R$ ⟦amount⟧ em ⟦date_eu⟧.""",
)


# ================================================================ GROUP B: code, config, notebooks, CI, infra, diffs
P(
    "B",
    "dotenv",
    "en",
    """# ---- generated by setup.sh on ⟦date⟧ ----
⟦lines|env|8|14⟧
DB_PASSWORD=⟦S|pw⟧
⟦lines|env|4|8⟧
STRIPE_SECRET_KEY=⟦S|sk_live⟧
STRIPE_WEBHOOK_SECRET=⟦S|whsec⟧
⟦lines|env|3|6⟧
""",
)

P(
    "B",
    "dotenv",
    "en",
    """APP_NAME=⟦word⟧
⟦lines|env|10|16⟧
# mail
MAIL_HOST=smtp.sendgrid.net
MAIL_USERNAME=apikey
MAIL_PASSWORD=⟦S|sendgrid⟧
⟦lines|env|5|10⟧
""",
)

P(
    "B",
    "docker_compose",
    "en",
    """version: "3.9"
services:
  db:
    image: postgres:16
    restart: unless-stopped
    environment:
      POSTGRES_USER: ⟦user⟧
      POSTGRES_PASSWORD: ⟦S|pw⟧
      POSTGRES_DB: ⟦word⟧
    volumes:
      - pgdata:/var/lib/postgresql/data
  app:
    build: .
    depends_on: [db]
    environment:
      DATABASE_URL: postgresql://⟦user⟧:⟦S|pwu⟧@db:5432/⟦word⟧
      REDIS_URL: redis://cache:6379/0
    ports:
      - "⟦n|3000|8999⟧:8000"
volumes:
  pgdata: {}
""",
)

P(
    "B",
    "k8s_manifest",
    "en",
    """apiVersion: v1
kind: Secret
metadata:
  name: ⟦word⟧-db
  namespace: ⟦word⟧
type: Opaque
data:
  username: ⟦b64|12⟧
  password: ⟦S|k8s⟧
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ⟦word⟧-api
spec:
⟦lines|yaml|3|5⟧
""",
)

P(
    "B",
    "k8s_manifest",
    "en",
    """apiVersion: v1
kind: Secret
metadata:
  name: registry-and-api
stringData:
  GITHUB_TOKEN: ⟦S|ghp⟧
  SENTRY_AUTH_TOKEN: ⟦S|hex64⟧
  REDIS_PASSWORD: "⟦S|pwx⟧"
""",
)

P(
    "B",
    "terraform",
    "en",
    """terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region     = "⟦region⟧"
  access_key = "⟦S|aws_akid⟧"
  secret_key = "⟦S|aws_secret⟧"
}

resource "aws_s3_bucket" "logs" {
  bucket = "⟦word⟧-logs-⟦n|100|999⟧"
}
""",
)

P(
    "B",
    "terraform_tfvars",
    "en",
    """# prod.tfvars
do_token        = "⟦S|do_pat⟧"
droplet_size    = "s-2vcpu-4gb"
region          = "fra1"
ssh_allowed_ips = ["⟦IP⟧/32", "⟦IP⟧/32"]
cloudflare_api_token = "⟦S|tok⟧"
""",
)

P(
    "B",
    "ansible_inventory",
    "en",
    """[web]
web1 ansible_host=⟦IP⟧ ansible_user=deploy
web2 ansible_host=⟦IP⟧ ansible_user=deploy

[db]
db1 ansible_host=⟦pip⟧

[all:vars]
ansible_become_pass=⟦S|pw⟧
ansible_python_interpreter=/usr/bin/python3
""",
)

P(
    "B",
    "github_workflow",
    "en",
    """name: release
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
          NODE_AUTH_TOKEN: ⟦S|npm⟧   # TODO move to secrets
""",
)

P(
    "B",
    "gitlab_ci",
    "en",
    """stages: [build, deploy]

variables:
  DOCKER_DRIVER: overlay2
  DEPLOY_HOST: ⟦IP⟧
  DEPLOY_TOKEN: "⟦S|glpat⟧"

deploy:
  stage: deploy
  image: alpine:3.19
  script:
    - apk add --no-cache curl
    - curl -fsS -H "PRIVATE-TOKEN: $DEPLOY_TOKEN" "https://gitlab.⟦domain⟧/api/v4/projects/⟦n|10|999⟧/pipelines"
  only: [main]
""",
)

P(
    "B",
    "jenkinsfile",
    "en",
    """pipeline {
  agent any
  environment {
    NEXUS_URL = 'https://nexus.⟦domain⟧'
    NEXUS_USER = 'ci-bot'
    NEXUS_PASS = '⟦S|pw⟧'
  }
  stages {
    stage('Build') { steps { sh './gradlew clean build' } }
    stage('Publish') { steps { sh './gradlew publish -PnexusUser=$NEXUS_USER -PnexusPass=$NEXUS_PASS' } }
  }
}
""",
)

P(
    "B",
    "python_source",
    "en",
    """import os
from anthropic import Anthropic

# FIXME: read from env before merging
client = Anthropic(api_key="⟦S|anthropic⟧")

def summarize(text: str) -> str:
    msg = client.messages.create(model="claude-3-5-sonnet-latest", max_tokens=⟦n|200|1024⟧,
                                 messages=[{"role": "user", "content": f"Summarize:\\n{text}"}])
    return msg.content[0].text
""",
)

P(
    "B",
    "python_source",
    "en",
    """import requests

BASE = "https://api.⟦domain⟧/v2"
HEADERS = {
    "Authorization": "Bearer ⟦S|jwt⟧",
    "Accept": "application/json",
}

def list_orders(page=1):
    r = requests.get(f"{BASE}/orders", headers=HEADERS, params={"page": page}, timeout=10)
    r.raise_for_status()
    return r.json()
""",
)

P(
    "B",
    "js_source",
    "en",
    """// config/payments.js
module.exports = {
  stripe: {
    publishableKey: '⟦pk_live⟧',
    secretKey: '⟦S|rk_live⟧',
  },
  currency: 'eur',
  retries: ⟦n|1|5⟧,
};
""",
)

P(
    "B",
    "java_properties",
    "en",
    """spring.application.name=⟦word⟧-service
server.port=⟦n|8000|8999⟧
spring.datasource.url=jdbc:mysql://⟦pip⟧:3306/⟦word⟧?useSSL=true
spring.datasource.username=⟦user⟧
spring.datasource.password=⟦S|pw⟧
spring.mail.host=smtp.⟦domain⟧
spring.mail.username=⟦E|org⟧
spring.mail.password=⟦S|pw⟧
management.endpoints.web.exposure.include=health,info
""",
)

P(
    "B",
    "spring_yaml",
    "en",
    """spring:
  datasource:
    url: jdbc:postgresql://⟦pip⟧:5432/⟦word⟧
    username: ⟦user⟧
    password: ⟦S|pwa⟧
  security:
    oauth2:
      client:
        registration:
          azure:
            client-id: ⟦uuid⟧
            client-secret: ⟦S|client_secret⟧
logging:
  level:
    root: INFO
""",
)

P(
    "B",
    "appsettings_json",
    "en",
    """{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "ConnectionStrings": {
    "Default": "Server=tcp:⟦word⟧-sql.database.windows.net,1433;Database=⟦word⟧;User ID=⟦user⟧;Password=⟦S|pwa⟧;Encrypt=True;",
    "Storage": "DefaultEndpointsProtocol=https;AccountName=⟦word⟧store⟦n|10|99⟧;AccountKey=⟦S|azure_storage⟧;EndpointSuffix=core.windows.net"
  },
  "AllowedHosts": "*"
}
""",
)

P(
    "B",
    "go_source",
    "en",
    """package main

import (
	"log"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

const botToken = "⟦S|telegram⟧"

func main() {
	bot, err := tgbotapi.NewBotAPI(botToken)
	if err != nil {
		log.Panic(err)
	}
	log.Printf("authorized on account %s", bot.Self.UserName)
}
""",
)

P(
    "B",
    "rails_database_yml",
    "en",
    """default: &default
  adapter: postgresql
  encoding: unicode
  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>

production:
  <<: *default
  host: ⟦IP⟧
  database: ⟦word⟧_production
  username: ⟦user⟧
  password: ⟦S|pwa⟧
""",
)

P(
    "B",
    "toml_config",
    "en",
    """[server]
bind = "0.0.0.0:⟦n|3000|9000⟧"
workers = ⟦n|2|16⟧

[database]
url = "mysql://⟦user⟧:⟦S|pwu⟧@⟦pip⟧:3306/⟦word⟧"

[integrations.linear]
api_key = "⟦S|linear⟧"
team = "⟦word⟧"
""",
)

P(
    "B",
    "jupyter_notebook",
    "en",
    """{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": ⟦n|1|9⟧,
   "metadata": {},
   "outputs": [],
   "source": [
    "import os\\n",
    "os.environ[\\"HF_TOKEN\\"] = \\"⟦S|hf⟧\\"\\n",
    "from datasets import load_dataset\\n",
    "ds = load_dataset(\\"⟦user⟧/⟦word⟧-corpus\\", split=\\"train\\")"
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
    "B",
    "jupyter_notebook",
    "en",
    """# In[⟦n|1|9⟧]:
import psycopg2, pandas as pd
conn = psycopg2.connect(host="⟦IP⟧", dbname="analytics", user="⟦user⟧", password="⟦S|pw⟧")
df = pd.read_sql("select * from events where day = current_date", conn)
df.head()

# In[⟦n|10|20⟧]:
df.groupby("country").size().sort_values(ascending=False).head(⟦n|5|20⟧)
""",
)

P(
    "B",
    "npmrc",
    "en",
    """registry=https://registry.npmjs.org/
@⟦word⟧:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦S|ghp⟧
//registry.npmjs.org/:_authToken=⟦S|npm⟧
save-exact=true
""",
)

P(
    "B",
    "pypirc",
    "en",
    """[distutils]
index-servers =
    pypi
    internal

[pypi]
username = __token__
password = ⟦S|pypi⟧

[internal]
repository = https://pypi.⟦domain⟧/simple/
username = ⟦user⟧
password = ⟦S|pw⟧
""",
)

P(
    "B",
    "docker_config_json",
    "en",
    """{
	"auths": {
		"registry.⟦domain⟧": {
			"auth": "⟦S|basic⟧"
		},
		"https://index.docker.io/v1/": {}
	},
	"credsStore": "desktop"
}
""",
)

P(
    "B",
    "aws_credentials",
    "en",
    """[default]
aws_access_key_id = ⟦S|aws_akid⟧
aws_secret_access_key = ⟦S|aws_secret⟧

[⟦word⟧-temp]
aws_access_key_id = ⟦S|aws_asia⟧
aws_secret_access_key = ⟦S|aws_secret⟧
aws_session_token = ⟦S|aws_session⟧
region = ⟦region⟧
""",
)

P(
    "B",
    "git_credentials",
    "en",
    """https://⟦user⟧:⟦S|github_pat⟧@github.com
https://oauth2:⟦S|glpat⟧@gitlab.⟦domain⟧
""",
)

P(
    "B",
    "commit_diff",
    "en",
    """commit ⟦sha1⟧
Author: ⟦name⟧ <⟦E⟧>
Date:   ⟦date⟧

    add mailgun settings for staging

diff --git a/config/staging.py b/config/staging.py
index ⟦short⟧..⟦short⟧ 100644
--- a/config/staging.py
+++ b/config/staging.py
@@ -12,6 +12,8 @@ CACHE_TTL = 300
 ALLOWED_HOSTS = ["staging.⟦domain⟧"]
+MAILGUN_API_KEY = "⟦S|mailgun⟧"
+MAILGUN_DOMAIN = "mg.⟦domain⟧"
 DEBUG = False
""",
)

P(
    "B",
    "commit_diff",
    "en",
    """diff --git a/scripts/backup.sh b/scripts/backup.sh
--- a/scripts/backup.sh
+++ b/scripts/backup.sh
@@ -3,7 +3,7 @@ set -euo pipefail
 DATE=$(date +%F)
-export RESTIC_PASSWORD='⟦S|phrase⟧'
+export RESTIC_PASSWORD_FILE=/etc/restic/pass
 restic -r s3:https://s3.⟦region⟧.amazonaws.com/⟦word⟧-backup backup /srv
""",
)

P(
    "B",
    "commit_message",
    "en",
    """fix(parser): handle empty header lines

The tokenizer crashed when a header line contained only whitespace.
Added a regression test.

Reported-by: ⟦name⟧ <⟦E⟧>
Reviewed-by: ⟦name⟧ <⟦E⟧>
Signed-off-by: ⟦name⟧ <⟦E⟧>
""",
)

P(
    "B",
    "service_account_json",
    "en",
    r"""{
  "type": "service_account",
  "project_id": "⟦word⟧-⟦n|100000|999999⟧",
  "private_key_id": "⟦hex|40⟧",
  "private_key": "⟦S|privkey_esc⟧\n",
  "client_email": "⟦E|org⟧",
  "client_id": "⟦n|100000000000000000|999999999999999999⟧",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
)

P(
    "B",
    "nginx_conf",
    "en",
    """upstream backend {
    server ⟦IP⟧:8080 max_fails=3;
    server ⟦IP⟧:8080 backup;
}

server {
    listen 443 ssl http2;
    server_name ⟦domain⟧;
    location /admin/ {
        allow ⟦IP⟧;
        allow ⟦pip⟧/24;
        deny all;
        proxy_pass http://backend;
    }
}
""",
)

P(
    "B",
    "haproxy_cfg",
    "en",
    """global
    log /dev/log local0
defaults
    mode http
    timeout connect 5s
listen stats
    bind *:8404
    stats enable
    stats uri /stats
    stats auth admin:⟦S|pw⟧
frontend fe_https
    bind ⟦IP⟧:443 ssl crt /etc/haproxy/certs/
    default_backend be_app
backend be_app
    server app1 ⟦pip⟧:8000 check
""",
)

P(
    "B",
    "wireguard_conf",
    "en",
    """[Interface]
PrivateKey = ⟦S|wg⟧
Address = 10.⟦n|0|255⟧.0.2/32
DNS = ⟦pip⟧

[Peer]
PublicKey = ⟦b64|43⟧=
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = ⟦IP⟧:51820
PersistentKeepalive = 25
""",
)

P(
    "B",
    "redis_conf",
    "en",
    """bind 127.0.0.1 ⟦pip⟧
protected-mode yes
port 6379
maxmemory ⟦n|256|4096⟧mb
maxmemory-policy allkeys-lru
requirepass ⟦S|pwa⟧
masterauth ⟦S|pwa⟧
""",
)

P(
    "B",
    "my_cnf",
    "en",
    """[client]
user=⟦user⟧
password="⟦S|pwx⟧"
host=⟦IP⟧

[mysqld]
max_connections=⟦n|100|800⟧
""",
)

P(
    "B",
    "pgpass",
    "en",
    """# hostname:port:database:username:password
⟦pip⟧:5432:*:replicator:⟦S|pwa⟧
⟦IP⟧:5432:⟦word⟧:⟦user⟧:⟦S|pwa⟧
""",
)

P(
    "B",
    "alertmanager_yml",
    "en",
    """global:
  resolve_timeout: 5m
  smtp_smarthost: 'smtp.⟦domain⟧:587'
  smtp_from: '⟦E|role⟧'
  smtp_auth_username: '⟦E|role⟧'
  smtp_auth_password: '⟦S|pw⟧'
  slack_api_url: '⟦S|slack_hook⟧'
route:
  receiver: team-⟦word⟧
receivers:
  - name: team-⟦word⟧
    slack_configs:
      - channel: '#alerts'
""",
)

P(
    "B",
    "helm_values",
    "en",
    """# values-prod.yaml
image:
  repository: registry.⟦domain⟧/⟦word⟧
  tag: "⟦ver⟧"
postgresql:
  auth:
    username: ⟦user⟧
    password: ⟦S|pwa⟧
    postgresPassword: ⟦S|pwa⟧
grafana:
  adminPassword: ⟦S|pw⟧
⟦lines|yaml|2|4⟧
""",
)

P(
    "B",
    "dockerfile",
    "en",
    """FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ENV REPLICATE_API_TOKEN=⟦S|replicate⟧ \\
    PYTHONUNBUFFERED=1
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
""",
)

P(
    "B",
    "shell_script",
    "en",
    """#!/usr/bin/env bash
set -euo pipefail
# deploy.sh — triggers a Netlify build hook and posts status
NETLIFY_AUTH_TOKEN="⟦S|netlify⟧"
SITE_ID="⟦uuid⟧"
curl -fsS -X POST -H "Authorization: Bearer ${NETLIFY_AUTH_TOKEN}" \\
  "https://api.netlify.com/api/v1/sites/${SITE_ID}/builds"
echo "build triggered at $(date -Is)"
""",
)

P(
    "B",
    "powershell_script",
    "en",
    """$User = "⟦E|org⟧"
$Pass = ConvertTo-SecureString "⟦S|pwa⟧" -AsPlainText -Force
$Cred = New-Object System.Management.Automation.PSCredential($User, $Pass)
Connect-ExchangeOnline -Credential $Cred
Get-Mailbox -ResultSize ⟦n|10|500⟧ | Select DisplayName, PrimarySmtpAddress
""",
)

P(
    "B",
    "csharp_source",
    "en",
    """using Microsoft.Data.SqlClient;

public static class Db
{
    // TODO: move to Key Vault
    private const string Conn = "Data Source=⟦IP⟧,1433;Initial Catalog=⟦word⟧;User Id=⟦user⟧;Password=⟦S|pwa⟧;TrustServerCertificate=True";

    public static SqlConnection Open() { var c = new SqlConnection(Conn); c.Open(); return c; }
}
""",
)

P(
    "B",
    "gradle_properties",
    "en",
    """org.gradle.jvmargs=-Xmx4g
android.useAndroidX=true
RELEASE_STORE_FILE=release.keystore
RELEASE_STORE_PASSWORD=⟦S|pwa⟧
RELEASE_KEY_ALIAS=⟦word⟧
RELEASE_KEY_PASSWORD=⟦S|pwa⟧
""",
)

P(
    "B",
    "unit_test",
    "en",
    """import pytest
from billing.cards import detect_brand

@pytest.mark.parametrize("number,brand", [
    ("⟦CC|visa|plain⟧", "visa"),
    ("⟦CC|mc|plain⟧", "mastercard"),
    ("⟦CC|amex|plain⟧", "amex"),
    ("⟦CC|discover|plain⟧", "discover"),
])
def test_detect_brand(number, brand):
    assert detect_brand(number) == brand
""",
)

P(
    "B",
    "sql_seed",
    "en",
    """INSERT INTO customers (id, full_name, email, created_at) VALUES
  (⟦n|1000|1999⟧, '⟦name⟧', '⟦E⟧', '⟦date⟧'),
  (⟦n|2000|2999⟧, '⟦name⟧', '⟦E⟧', '⟦date⟧'),
  (⟦n|3000|3999⟧, '⟦name⟧', '⟦E⟧', '⟦date⟧');

INSERT INTO users (login, password_hash) VALUES ('⟦user⟧', '⟦bcrypt⟧');
""",
)

P(
    "B",
    "kafka_jaas",
    "en",
    """KafkaClient {
  org.apache.kafka.common.security.plain.PlainLoginModule required
  username="⟦user⟧"
  password="⟦S|pwa⟧";
};
# bootstrap: ⟦IP⟧:9093,⟦IP⟧:9093
""",
)

P(
    "B",
    "airflow_env",
    "en",
    """AIRFLOW__CORE__EXECUTOR=CeleryExecutor
AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=postgresql+psycopg2://airflow:⟦S|pwu⟧@⟦pip⟧/airflow
AIRFLOW__WEBSERVER__SECRET_KEY=⟦S|hex32⟧
AIRFLOW_CONN_WAREHOUSE=snowflake://⟦user⟧:⟦S|pwu⟧@⟦word⟧/analytics
""",
)

P(
    "B",
    "grafana_provisioning",
    "en",
    """apiVersion: 1
datasources:
  - name: Loki
    type: loki
    url: http://⟦pip⟧:3100
  - name: Cloud
    type: prometheus
    url: https://prometheus-prod-⟦n|1|40⟧.grafana.net/api/prom
    basicAuth: true
    basicAuthUser: ⟦n|100000|999999⟧
    secureJsonData:
      basicAuthPassword: ⟦S|grafana_sa⟧
""",
)

P(
    "B",
    "vscode_settings",
    "en",
    """{
  "editor.formatOnSave": true,
  "python.defaultInterpreterPath": ".venv/bin/python",
  "sourcegraph.url": "https://sourcegraph.⟦domain⟧",
  "sourcegraph.accessToken": "⟦S|sourcegraph⟧",
  "files.exclude": { "**/__pycache__": true }
}
""",
)

P(
    "B",
    "django_settings",
    "en",
    """from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "⟦S|django⟧"
DEBUG = False
ALLOWED_HOSTS = ["⟦domain⟧", "www.⟦domain⟧"]

EMAIL_HOST = "smtp.⟦domain⟧"
EMAIL_HOST_USER = "⟦E|role⟧"
EMAIL_HOST_PASSWORD = "⟦S|pwx⟧"
EMAIL_PORT = 587
""",
)

P(
    "B",
    "supabase_client",
    "en",
    """import { createClient } from '@supabase/supabase-js'

// server-side only!
const supabaseAdmin = createClient(
  'https://⟦alnum|20⟧.supabase.co'.toLowerCase(),
  '⟦S|jwt_supabase⟧',
  { auth: { persistSession: false } }
)
export default supabaseAdmin
""",
)

P(
    "B",
    "age_keyfile",
    "en",
    """# created: ⟦ts⟧
# public key: age1⟦alnum|58⟧
⟦S|age⟧
""",
)

P(
    "B",
    "shell_profile",
    "en",
    """# ~/.zshrc (excerpt)
export PATH="$HOME/.local/bin:$PATH"
export EDITOR=nvim
export VAULT_ADDR=https://vault.⟦domain⟧:8200
export VAULT_TOKEN=⟦S|vault⟧
export DOPPLER_TOKEN=⟦S|doppler⟧
alias k=kubectl
""",
)

P(
    "B",
    "cloud_init",
    "en",
    """#cloud-config
hostname: ⟦host⟧
users:
  - name: deploy
    groups: sudo
    shell: /bin/bash
    ssh_authorized_keys:
      - ⟦sshpub|ed⟧
chpasswd:
  list: |
    deploy:⟦S|pwa⟧
  expire: false
runcmd:
  - curl -fsSL https://tailscale.com/install.sh | sh
  - tailscale up --authkey=⟦S|tailscale⟧ --ssh
""",
)

P(
    "B",
    "ssh_private_key",
    "en",
    """⟦S|privkey_ssh⟧
""",
)

P(
    "B",
    "go_test",
    "en",
    """package jwtutil

// testKey is used only by the signing tests.
var testKey = []byte(`⟦S|privkey_rsa⟧`)

func TestSign(t *testing.T) {
	tok, err := Sign(testKey, Claims{Sub: "⟦n|1000|9999⟧"})
	if err != nil || tok == "" {
		t.Fatal(err)
	}
}
""",
)

P(
    "B",
    "maven_settings",
    "en",
    """<settings>
  <servers>
    <server>
      <id>⟦word⟧-releases</id>
      <username>⟦user⟧</username>
      <password>⟦S|pwa⟧</password>
    </server>
  </servers>
  <mirrors>
    <mirror><id>central</id><url>https://nexus.⟦domain⟧/repository/maven-public/</url><mirrorOf>*</mirrorOf></mirror>
  </mirrors>
</settings>
""",
)

P(
    "B",
    "python_source",
    "en",
    """# scripts/sync_figma.py
import requests

FIGMA_TOKEN = "⟦S|figma⟧"
NOTION_TOKEN = "⟦S|notion⟧"
FILE_KEY = "⟦alnum|22⟧"

def fetch_frames():
    r = requests.get(f"https://api.figma.com/v1/files/{FILE_KEY}", headers={"X-Figma-Token": FIGMA_TOKEN})
    return r.json()["document"]["children"]
""",
)

P(
    "B",
    "php_source",
    "en",
    """<?php
// payments/braintree.php
$gateway = new Braintree\\Gateway([
    'accessToken' => '⟦S|braintree⟧',
]);
$shippo = new ShippoClient('⟦S|shippo⟧');
$result = $gateway->transaction()->sale(['amount' => '⟦amount⟧', 'paymentMethodNonce' => $nonce]);
""",
)

P(
    "B",
    "ruby_source",
    "en",
    """require "dropbox_api"

client = DropboxApi::Client.new("⟦S|dropbox⟧")
client.list_folder("/⟦word⟧").entries.each { |e| puts e.name }
""",
)

P(
    "B",
    "databricks_cfg",
    "en",
    """[DEFAULT]
host  = https://adb-⟦n|1000000000000000|8999999999999999⟧.⟦n|1|19⟧.azuredatabricks.net
token = ⟦S|databricks⟧

[staging]
host  = https://⟦word⟧-staging.cloud.databricks.com
token = ⟦S|databricks⟧
""",
)

P(
    "B",
    "okta_terraform",
    "en",
    """provider "okta" {
  org_name  = "⟦word⟧"
  base_url  = "okta.com"
  api_token = "⟦S|okta⟧"
}
provider "newrelic" {
  account_id = ⟦n|1000000|9999999⟧
  api_key    = "⟦S|newrelic⟧"
}
""",
)

P(
    "B",
    "js_source",
    "en",
    """// scripts/post-release.mjs
import { Octokit } from "@octokit/rest";
const octokit = new Octokit({ auth: "⟦S|gho⟧" });
const SHOPIFY_TOKEN = "⟦S|shpat⟧";
await fetch("https://⟦word⟧-shop.myshopify.com/admin/api/2024-04/products.json", {
  headers: { "X-Shopify-Access-Token": SHOPIFY_TOKEN },
});
""",
)

P(
    "B",
    "config_yaml",
    "en",
    """# bot.yml
atlassian:
  site: https://⟦word⟧.atlassian.net
  email: ⟦E|org⟧
  api_token: ⟦S|atlassian⟧
airtable:
  token: ⟦S|airtable⟧
  base: app⟦alnum|14⟧
""",
)

P(
    "B",
    "python_source",
    "en",
    """GROQ_API_KEY = "⟦S|groq⟧"
CONTENTFUL_TOKEN = "⟦S|contentful⟧"
BUILDKITE_TOKEN = "⟦S|buildkite⟧"

def headers(tok):
    return {"Authorization": "Bearer " + tok}
""",
)

P(
    "B",
    "facebook_config",
    "en",
    """{
  "page_id": "⟦n|100000000000000|999999999999999⟧",
  "graph_version": "v19.0",
  "page_access_token": "⟦S|facebook⟧",
  "app_secret": "⟦S|hex32⟧"
}
""",
)

P(
    "B",
    "slack_app_env",
    "en",
    """SLACK_BOT_TOKEN=⟦S|xoxb⟧
SLACK_APP_TOKEN=⟦S|xapp⟧
SLACK_SIGNING_SECRET=⟦S|hex32⟧
⟦lines|env|3|8⟧
""",
)

P(
    "B",
    "python_source",
    "en",
    """def alert(msg):
    requests.post("⟦S|discord_hook⟧", json={"content": msg}, timeout=5)

GITHUB_APP_INSTALL_TOKEN = "⟦S|ghs⟧"
""",
)

P(
    "B",
    "mapbox_server",
    "en",
    """# server/tiles.py — uploads tilesets, needs a secret scope token
MAPBOX_UPLOAD_TOKEN = "⟦S|mapbox_sk⟧"
PUBLIC_TOKEN = "⟦mapbox_pk⟧"  # safe for the browser
""",
)

P(
    "B",
    "env_sample_leak",
    "en",
    """# .env.local — DO NOT COMMIT
NEXT_PUBLIC_SITE_URL=https://⟦domain⟧
NEXT_PUBLIC_STRIPE_KEY=⟦pk_test⟧
STRIPE_SECRET_KEY=⟦S|sk_test⟧
GOOGLE_CLIENT_ID=⟦gclient⟧
GOOGLE_CLIENT_SECRET=⟦S|gocspx⟧
NEXTAUTH_SECRET=⟦S|tok_b64⟧
""",
)

P(
    "B",
    "python_source",
    "en",
    """import googlemaps
gmaps = googlemaps.Client(key="⟦S|gapi⟧")
res = gmaps.geocode("⟦city⟧")
print(res[0]["geometry"]["location"])
""",
)

P(
    "B",
    "mailchimp_cfg",
    "en",
    """<?php
return [
    'mailchimp' => [
        'api_key' => '⟦S|mailchimp⟧',
        'list_id' => '⟦hex|10⟧',
    ],
    'twilio' => [
        'api_key' => '⟦S|twilio_sk⟧',
        'api_secret' => '⟦S|hex32⟧',
    ],
];
""",
)

P(
    "B",
    "commit_diff",
    "en",
    """diff --git a/deploy/inventory.ini b/deploy/inventory.ini
@@ -1,4 +1,5 @@
 [app]
-app1 ansible_host=⟦IP⟧
+app1 ansible_host=⟦IP⟧
+app2 ansible_host=⟦IP⟧
 [app:vars]
 ansible_user=ubuntu
""",
)

P(
    "B",
    "supabase_cli",
    "en",
    """# .github/workflows/migrate.yml (fragment)
      - name: push migrations
        run: supabase db push
        env:
          SUPABASE_ACCESS_TOKEN: ⟦S|supabase_pat⟧
          SUPABASE_DB_PASSWORD: ⟦S|pwa⟧
""",
)

# ---- B negatives
N(
    "B",
    "dotenv_example",
    "en",
    "placeholders",
    """# .env.example — copy to .env and fill in
⟦lines|env|5|9⟧
DB_PASSWORD=
STRIPE_SECRET_KEY=sk_live_your_key_here
OPENAI_API_KEY=<paste-your-key>
SLACK_WEBHOOK_URL=
JWT_SECRET=change-me-in-production
""",
)

N(
    "B",
    "k8s_manifest",
    "en",
    "secret_manager_references",
    """apiVersion: apps/v1
kind: Deployment
metadata:
  name: ⟦word⟧-worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: registry.⟦domain⟧/⟦word⟧:⟦ver⟧
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ⟦word⟧-db
                  key: password
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: { name: ⟦word⟧-api, key: token }
""",
)

N(
    "B",
    "terraform",
    "en",
    "variable_references",
    """variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "main" {
  identifier        = "⟦word⟧-db"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "app"
  password          = var.db_password
  allocated_storage = ⟦n|20|500⟧
}

data "aws_secretsmanager_secret_version" "api" {
  secret_id = "prod/⟦word⟧/api"
}
""",
)

N(
    "B",
    "github_workflow",
    "en",
    "ci_secret_references",
    """name: deploy
on: { push: { branches: [main] } }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: ⟦region⟧
      - run: ./deploy.sh
        env:
          SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}
          RUN_ID: ${{ github.run_id }}
""",
)

N(
    "B",
    "python_source",
    "en",
    "env_var_references",
    """import os

def get_settings():
    return {
        "db_url": os.environ["DATABASE_URL"],
        "api_key": os.getenv("⟦word⟧_API_KEY".upper(), ""),
        "smtp_password": os.environ.get("SMTP_PASSWORD"),
        "timeout": int(os.getenv("HTTP_TIMEOUT", "⟦n|5|60⟧")),
    }
""",
)

N(
    "B",
    "frontend_config",
    "en",
    "publishable_keys",
    """export const config = {
  stripePublishableKey: '⟦pk_live⟧',
  googleClientId: '⟦gclient⟧',
  recaptchaSiteKey: '⟦sitekey⟧',
  apiBase: 'https://api.⟦domain⟧',
  sentryRelease: '⟦ver⟧',
};
""",
)

N(
    "B",
    "package_lock",
    "en",
    "integrity_hashes",
    """    "node_modules/⟦word⟧-utils": {
      "version": "⟦ver⟧",
      "resolved": "https://registry.npmjs.org/⟦word⟧-utils/-/⟦word⟧-utils-⟦ver⟧.tgz",
      "integrity": "⟦integrity⟧",
      "dev": true
    },
    "node_modules/⟦word⟧-core": {
      "version": "⟦ver⟧",
      "integrity": "⟦integrity⟧"
    },""",
)

N(
    "B",
    "go_sum",
    "en",
    "checksums_digests",
    """github.com/⟦word⟧/⟦word⟧ v⟦ver⟧ h1:⟦b64|43⟧=
github.com/⟦word⟧/⟦word⟧ v⟦ver⟧/go.mod h1:⟦b64|43⟧=
golang.org/x/sys v0.⟦n|10|30⟧.0 h1:⟦b64|43⟧=
golang.org/x/sys v0.⟦n|10|30⟧.0/go.mod h1:⟦b64|43⟧=
""",
)

N(
    "B",
    "dockerfile",
    "en",
    "container_image_digests",
    """FROM node:20-alpine@⟦digest⟧ AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM nginx:1.27-alpine@⟦digest⟧
COPY --from=build /src/dist /usr/share/nginx/html
EXPOSE 80
""",
)

N(
    "B",
    "sql_migration",
    "en",
    "password_hashes",
    """-- V⟦n|2|40⟧__seed_admins.sql
INSERT INTO admins (username, password_hash, created_at) VALUES
  ('⟦user⟧', '⟦bcrypt⟧', now()),
  ('⟦user⟧', '⟦argon2⟧', now());
""",
)

N(
    "B",
    "shadow_file",
    "en",
    "crypt_hashes",
    """root:⟦crypt|6⟧:19⟦n|100|999⟧:0:99999:7:::
daemon:*:19⟦n|100|999⟧:0:99999:7:::
⟦user⟧:⟦crypt|y⟧:19⟦n|100|999⟧:0:99999:7:::
backup:⟦crypt|5⟧:19⟦n|100|999⟧:0:99999:7:::
nobody:*:19⟦n|100|999⟧:0:99999:7:::
""",
)

N(
    "B",
    "network_config",
    "en",
    "cisco_password_hashes",
    """hostname ⟦host⟧
!
enable secret 9 ⟦cisco|9⟧
username ⟦user⟧ privilege 15 secret 9 ⟦cisco|9⟧
!
interface GigabitEthernet0/1
 ip address ⟦pip⟧ 255.255.255.0
 no shutdown
!
ip route 0.0.0.0 0.0.0.0 ⟦pip⟧
""",
)

N(
    "B",
    "authorized_keys",
    "en",
    "ssh_public_keys",
    """⟦sshpub|ed⟧
⟦sshpub|rsa⟧
from="⟦pip⟧/16" ⟦sshpub|ed⟧
""",
)

N(
    "B",
    "unit_test",
    "en",
    "documentation_examples",
    """def test_invite_sends_mail(mailer):
    invite("⟦xmail⟧", inviter="⟦xmail⟧")
    assert mailer.outbox[0].to == ["⟦xmail⟧"]

def test_rejects_private_origin():
    assert not is_allowed_origin("http://⟦pip⟧:8080")
    assert not is_allowed_origin("http://⟦dip⟧")
""",
)

N(
    "B",
    "unit_test",
    "en",
    "luhn_invalid_numbers",
    """import { isValidCard } from "../src/luhn";

test.each([
  ["⟦badcard|visa|plain⟧"],
  ["⟦badcard|mc|dash⟧"],
  ["⟦badcard|amex|plain⟧"],
  ["⟦badcard|jcb|space⟧"],
])("rejects %s", (n) => {
  expect(isValidCard(n)).toBe(false);
});
""",
)

N(
    "B",
    "docker_compose",
    "en",
    "private_ip_addresses",
    """networks:
  backend:
    ipam:
      config:
        - subnet: 172.⟦n|16|31⟧.0.0/16
services:
  proxy:
    image: traefik:v3.0
    networks:
      backend:
        ipv4_address: ⟦pip⟧
    extra_hosts:
      - "db.internal:⟦pip⟧"
      - "ldap.internal:⟦pip⟧"
""",
)

N(
    "B",
    "html_template",
    "en",
    "csrf_tokens",
    """<form method="post" action="/settings/profile">
  <input type="hidden" name="_csrf" value="⟦csrf⟧">
  <input type="hidden" name="form_nonce" value="⟦nonce⟧">
  <label>Display name <input name="display_name" value="⟦first⟧"></label>
  <button type="submit">Save</button>
</form>
""",
)

N(
    "B",
    "logging_config",
    "en",
    "request_ids",
    """{"level":"info","ts":"⟦ts⟧","msg":"request finished","trace_id":"⟦traceid⟧","span_id":"⟦hex|16⟧","request_id":"⟦uuid⟧","status":200,"duration_ms":⟦n|2|800⟧}
{"level":"warn","ts":"⟦ts⟧","msg":"slow query","trace_id":"⟦traceid⟧","correlation_id":"⟦uuid⟧","duration_ms":⟦n|800|4000⟧}
""",
)

N(
    "B",
    "python_source",
    "en",
    "cache_keys",
    """def cache_key(user_id: int, page: int) -> str:
    return f"v2:feed:{user_id}:{page}"

# examples seen in redis-cli:
#   v2:feed:⟦n|1000|99999⟧:1
#   session-meta:⟦hex|24⟧
#   ratelimit:⟦hex|16⟧:⟦epoch⟧
""",
)

N(
    "B",
    "python_source",
    "en",
    "idempotency_keys",
    """import os, uuid, stripe

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]

def charge(customer_id, amount):
    return stripe.PaymentIntent.create(
        customer=customer_id, amount=amount, currency="eur",
        idempotency_key=str(uuid.uuid4()),   # e.g. ⟦uuid⟧
    )
""",
)

N(
    "B",
    "solidity_source",
    "en",
    "crypto_wallet_addresses",
    """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Treasury {
    address public constant OWNER = ⟦eth⟧;
    address public constant FEE_RECEIVER = ⟦eth⟧;
    uint256 public feeBps = ⟦n|10|300⟧;
}
""",
)

N(
    "B",
    "python_source",
    "en",
    "checksums_digests",
    """import hashlib

EXPECTED = {
    "model.safetensors": "⟦sha256⟧",
    "tokenizer.json": "⟦sha256⟧",
}

def verify(path, name):
    h = hashlib.sha256(open(path, "rb").read()).hexdigest()
    assert h == EXPECTED[name], f"checksum mismatch for {name}: {h}"
""",
)

N(
    "B",
    "sops_file",
    "en",
    "encrypted_values",
    """database:
    user: ⟦user⟧
    password: ⟦sops⟧
smtp:
    password: ⟦sops⟧
sops:
    lastmodified: "⟦ts⟧"
    mac: ⟦sops⟧
    version: 3.8.1
""",
)

N(
    "B",
    "ansible_vault",
    "en",
    "encrypted_values",
    """# group_vars/prod/vault.yml
$ANSIBLE_VAULT;1.1;AES256
⟦ansible_vault⟧
""",
)

N(
    "B",
    "config_yaml",
    "en",
    "certificates",
    """tls:
  ca_bundle: |
⟦pem|CERTIFICATE⟧
  verify_hostname: true
  server_name: ⟦host⟧.internal
""",
)

N(
    "B",
    "jwks_json",
    "en",
    "public_keys",
    """{
  "keys": [
    {"kty": "RSA", "use": "sig", "kid": "⟦hex|16⟧", "alg": "RS256", "e": "AQAB",
     "n": "⟦b64u|342⟧"}
  ]
}
""",
)

N(
    "B",
    "openapi_spec",
    "en",
    "credential_field_names",
    """components:
  securitySchemes:
    ApiKeyAuth:
      type: apiKey
      in: header
      name: X-API-Key
    BearerAuth:
      type: http
      scheme: bearer
      bearerFormat: JWT
security:
  - ApiKeyAuth: []
servers:
  - url: https://api.⟦domain⟧/v⟦n|1|4⟧
""",
)

N(
    "B",
    "fixture_json",
    "en",
    "uuids",
    """[
  {"id": "⟦uuid⟧", "tenant": "⟦uuid⟧", "name": "⟦word⟧", "created": "⟦ts⟧"},
  {"id": "⟦uuid⟧", "tenant": "⟦uuid⟧", "name": "⟦word⟧", "created": "⟦ts⟧"}
]
""",
)

N(
    "B",
    "dhcp_config",
    "en",
    "mac_addresses",
    """host printer {
  hardware ethernet ⟦mac⟧;
  fixed-address ⟦pip⟧;
}
host camera-⟦n|1|9⟧ {
  hardware ethernet ⟦mac⟧;
  fixed-address ⟦pip⟧;
}
""",
)

N(
    "B",
    "requirements_txt",
    "en",
    "version_strings",
    """django==⟦ver⟧
psycopg[binary]==⟦ver⟧
celery==⟦ver⟧
redis==⟦ver⟧
--hash=sha256:⟦sha256⟧
""",
)

N(
    "B",
    "iam_policy",
    "en",
    "cloud_resource_identifiers",
    """{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:PutObject"],
    "Resource": "arn:aws:s3:::⟦word⟧-uploads-⟦n|10|99⟧/*",
    "Principal": {"AWS": "arn:aws:iam::⟦aws_acct⟧:role/⟦word⟧-task"}
  }]
}
""",
)

N(
    "B",
    "vault_policy",
    "en",
    "vault_accessors",
    """path "secret/data/⟦word⟧/*" {
  capabilities = ["read", "list"]
}
# issued tokens (accessors only, for audit):
#   ⟦accessor⟧  policy=⟦word⟧-read  ttl=768h
#   ⟦accessor⟧  policy=⟦word⟧-read  ttl=768h
""",
)

N(
    "B",
    "go_test",
    "en",
    "password_hashes",
    """func TestVerify(t *testing.T) {
	// hash produced by our own HashPassword; the plaintext lives in testdata/ and is generated per run
	stored := "⟦argon2⟧"
	legacy := "⟦bcrypt⟧"
	if !IsHash(stored) || !IsHash(legacy) {
		t.Fatal("expected encoded hashes")
	}
}
""",
)

N(
    "B",
    "configmap",
    "en",
    "non_secret_config",
    """apiVersion: v1
kind: ConfigMap
metadata:
  name: ⟦word⟧-config
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "new-nav,fast-search"
  UPSTREAM: http://⟦word⟧.svc.cluster.local:⟦n|8000|8999⟧
  CACHE_TTL: "⟦n|60|3600⟧"
""",
)

N(
    "B",
    "dotenv",
    "en",
    "mapbox_public_tokens",
    """VITE_MAPBOX_TOKEN=⟦mapbox_pk⟧
VITE_API_URL=https://api.⟦domain⟧
VITE_BUILD=⟦short⟧
""",
)

N(
    "B",
    "commit_diff",
    "en",
    "secret_manager_references",
    """diff --git a/settings.py b/settings.py
@@ -20,7 +20,7 @@
-SMTP_PASSWORD = config["smtp"]["password"]
+SMTP_PASSWORD = secrets_client.get("projects/⟦word⟧/secrets/smtp-password/versions/latest")
 SMTP_USER = "⟦user⟧"
""",
)

N(
    "B",
    "gitignore",
    "en",
    "credential_field_names",
    """# secrets — never commit
.env
.env.*
!.env.example
*.pem
id_rsa*
credentials.json
service-account-*.json
# build
dist/
⟦word⟧.log
""",
)

N(
    "B",
    "notebook_output",
    "en",
    "numeric_data",
    """Out[⟦n|3|30⟧]:
   epoch  train_loss  val_loss  val_acc
0      1      ⟦float⟧    ⟦float⟧   0.⟦n|5000|7000⟧
1      2      ⟦float⟧    ⟦float⟧   0.⟦n|7000|8000⟧
2      3      ⟦float⟧    ⟦float⟧   0.⟦n|8000|9000⟧
""",
)

N(
    "B",
    "commit_message",
    "en",
    "usernames",
    """Merge pull request #⟦n|100|9999⟧ from ⟦user⟧/fix-⟦word⟧

fix(⟦word⟧): avoid double retry

Co-reviewed on the call with @⟦user⟧ and @⟦user⟧.
""",
)

N(
    "B",
    "python_source",
    "en",
    "nonces",
    """import secrets

def new_oauth_state():
    state = secrets.token_urlsafe(24)   # e.g. ⟦b64u|32⟧
    nonce = secrets.token_hex(16)       # e.g. ⟦hex|32⟧
    return state, nonce
""",
)

N(
    "B",
    "known_hosts",
    "en",
    "ssh_public_keys",
    """|1|⟦b64|27⟧=|⟦b64|27⟧= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI⟦b64|43⟧
⟦pip⟧ ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI⟦b64|43⟧
gitlab.internal ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI⟦b64|140⟧=
""",
)


# ================================================================ GROUP C: e-mail, chat, tickets, notes, shared docs (multilingual)
P(
    "C",
    "email",
    "en",
    """From: ⟦name⟧ <⟦E|org⟧>
To: ⟦E|org⟧
Subject: new VPN account

Hi ⟦first⟧,

your VPN account is ready. Username is your usual login, the initial password is ⟦S|pw⟧ — you'll be asked to change it at first login. The gateway is vpn.⟦domain⟧ (⟦IP⟧) if the name doesn't resolve from the hotel.

Best,
⟦first⟧ (IT)""",
)

P(
    "C",
    "chat_log",
    "en",
    """[09:⟦n|10|59⟧] ⟦user⟧: anyone have the creds for the grafana on staging?
[09:⟦n|10|59⟧] ⟦user⟧: admin / ⟦S|pw⟧
[09:⟦n|10|59⟧] ⟦user⟧: ty!!
[09:⟦n|10|59⟧] ⟦user⟧: pls don't paste passwords in here 🙃 use the vault next time""",
)

P(
    "C",
    "ticket",
    "en",
    """Ticket ⟦ticket⟧ — Customer cannot complete checkout
Reporter: ⟦E⟧
Priority: High

Customer wrote: "I tried three times with my card ⟦CC|any|space⟧ and it always says declined, my bank says everything is fine." Customer IP from the session: ⟦IP⟧.

Internal note: gateway logs show AVS mismatch. Asked customer to verify billing postcode.""",
)

P(
    "C",
    "meeting_notes",
    "en",
    """Infra sync — ⟦date⟧
Attendees: ⟦name⟧, ⟦name⟧, ⟦name⟧

- DB migration to the new cluster done; old primary ⟦IP⟧ stays read-only until Friday
- New monitoring host is up at ⟦IP⟧, login for the shared dashboard account: ⟦S|pw⟧ (will move to SSO)
- ⟦first⟧ to rotate the Datadog key: current one is ⟦S|hex32⟧
- Next sync in two weeks""",
)

P(
    "C",
    "email",
    "de",
    """Betreff: Zugang zum Kundenportal

Hallo Frau ⟦last⟧,

wie telefonisch besprochen, hier Ihre Zugangsdaten für das Portal:

Benutzername: ⟦user⟧
Startpasswort: ⟦S|pwa⟧

Bitte ändern Sie das Passwort nach der ersten Anmeldung. Bei Fragen erreichen Sie mich unter ⟦E|org⟧.

Mit freundlichen Grüßen
⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "de",
    """⟦first⟧: kannst du mir mal den Token für die Staging-API schicken? Meiner ist abgelaufen
⟦first⟧: klar, nimm den hier: ⟦S|glpat⟧
⟦first⟧: danke dir 🙏 läuft wieder
⟦first⟧: aber nicht ins Repo pushen 😅""",
)

P(
    "C",
    "email",
    "fr",
    """Objet : Confirmation de votre commande n° ⟦order⟧

Bonjour ⟦first⟧,

Merci pour votre achat chez Maison Lavande ! Nous avons bien reçu le paiement de ⟦amount⟧ € par carte ⟦CC|visa|space⟧.

Votre colis partira sous 48 h. Pour toute question, écrivez-nous à ⟦E|role⟧.

À bientôt !""",
)

P(
    "C",
    "ticket",
    "fr",
    """Demande ⟦ticket⟧ : accès FTP pour le prestataire

Bonjour l'équipe, le prestataire de ⟦company⟧ a besoin d'un accès pour déposer les exports.
Serveur : ⟦IP⟧ port 21
Identifiant créé : ext_⟦user⟧
Mot de passe : ⟦S|pwa⟧
Merci de valider avant vendredi. — ⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "es",
    """⟦first⟧: oye, ¿cuál es la clave del wifi de la oficina nueva?
⟦first⟧: la red es ⟦ssid⟧ y la clave ⟦S|psk⟧
⟦first⟧: genial, gracias
⟦first⟧: de nada, la cambian el mes que viene""",
)

P(
    "C",
    "email",
    "es",
    """Asunto: Datos de acceso al servidor de pruebas

Hola ⟦first⟧:

Te paso lo que me pediste para el despliegue:

- IP: ⟦IP⟧
- usuario: deploy
- clave SSH: te la mando por otro canal
- contraseña de la base de datos: ⟦S|pwa⟧

Cualquier cosa me dices. Un saludo,
⟦name⟧ — ⟦E⟧""",
)

P(
    "C",
    "chat_log",
    "it",
    """[⟦time⟧] ⟦first⟧: ragazzi il bot di telegram non risponde più
[⟦time⟧] ⟦first⟧: hai rigenerato il token?
[⟦time⟧] ⟦first⟧: sì, quello nuovo è ⟦S|telegram⟧
[⟦time⟧] ⟦first⟧: ok lo aggiorno sul server ⟦IP⟧ tra 5 min""",
)

P(
    "C",
    "email",
    "it",
    """Oggetto: fattura e pagamento

Gentile ⟦name⟧,

le confermo che il pagamento con la carta aziendale ⟦CC|mc|dash⟧ è andato a buon fine. La fattura verrà inviata all'indirizzo ⟦E⟧ entro fine mese.

Cordiali saluti,
Ufficio amministrazione""",
)

P(
    "C",
    "ticket",
    "pt",
    """Chamado ⟦ticket⟧ — erro na integração com o ERP

Descrição: desde ontem a sincronização de pedidos falha com "401 Unauthorized".
Token usado pela integração: ⟦S|tok⟧
Servidor de origem: ⟦IP⟧
Solicitante: ⟦name⟧ (⟦E⟧)""",
)

P(
    "C",
    "chat_log",
    "pt",
    """⟦first⟧: amor, qual é a senha da Netflix mesmo?
⟦first⟧: ⟦S|pwa⟧
⟦first⟧: valeu ❤️ e o email da conta é o seu né? ⟦E|free⟧
⟦first⟧: isso""",
)

P(
    "C",
    "email",
    "nl",
    """Onderwerp: Inloggegevens nieuwe medewerker

Hoi ⟦first⟧,

Welkom bij ⟦company⟧! Je account is aangemaakt:

e-mail: ⟦E|org⟧
tijdelijk wachtwoord: ⟦S|pwa⟧

Je moet het wachtwoord bij de eerste keer inloggen wijzigen. Maandag om 9 uur staat je laptop klaar.

Groet, ⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "sv",
    """⟦first⟧: har du koden till larmet i förrådet?
⟦first⟧: ⟦S|pin⟧ sen fyrkant
⟦first⟧: tack! jag stänger när jag går""",
)

P(
    "C",
    "email",
    "nb",
    """Emne: Faktura og betalingskort

Hei ⟦first⟧,

Kortet vi bruker til skytjenestene, ⟦CC|visa|plain⟧, går ut neste måned. Kan du legge inn det nye i AWS-kontoen? Fakturaene går til ⟦E|role⟧.

Mvh ⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "da",
    """⟦first⟧: jeg kan ikke logge ind på routeren
⟦first⟧: brugernavn admin, kode ⟦S|pw⟧ — den står også på bagsiden
⟦first⟧: den offentlige ip er ⟦IP⟧ hvis du vil tjekke port 443 udefra""",
)

P(
    "C",
    "email",
    "fi",
    """Aihe: Palvelimen tunnukset

Moi ⟦first⟧,

uusi testipalvelin on pystyssä osoitteessa ⟦IP⟧. Käyttäjä: ⟦user⟧, salasana: ⟦S|pwa⟧. Vaihda salasana heti ensimmäisellä kirjautumisella, kiitos!

Terveisin ⟦name⟧""",
)

P(
    "C",
    "ticket",
    "pl",
    """Zgłoszenie ⟦ticket⟧: reset hasła do skrzynki

Użytkownik ⟦name⟧ (⟦E|org⟧) zgłosił, że nie może się zalogować. Hasło zostało zresetowane na: ⟦S|pwa⟧
Użytkownik musi je zmienić przy pierwszym logowaniu. Zgłoszenie zamknięte.""",
)

P(
    "C",
    "chat_log",
    "pl",
    """⟦first⟧: masz klucz do API tego kuriera?
⟦first⟧: tak, ⟦S|hex32⟧
⟦first⟧: dzięki, dodam do konfiguracji sklepu""",
)

P(
    "C",
    "email",
    "cs",
    """Předmět: Přístup do administrace e-shopu

Dobrý den, pane ⟦last⟧,

posílám přístupové údaje do administrace:
adresa: https://admin.⟦domain⟧
jméno: ⟦user⟧
heslo: ⟦S|pwa⟧

S pozdravem
⟦name⟧, ⟦E|org⟧""",
)

P(
    "C",
    "chat_log",
    "sk",
    """⟦first⟧: ahoj, aké je heslo na wifi v zasadačke?
⟦first⟧: ⟦S|psk⟧
⟦first⟧: vďaka!""",
)

P(
    "C",
    "email",
    "hu",
    """Tárgy: Rendelés visszaigazolása – ⟦order⟧

Kedves ⟦first⟧!

Köszönjük a rendelését. A(z) ⟦amount⟧ Ft összeget a(z) ⟦CC|mc|space⟧ számú kártyáról terheltük. Kérdés esetén írjon a(z) ⟦E|role⟧ címre.

Üdvözlettel: az ügyfélszolgálat""",
)

P(
    "C",
    "chat_log",
    "ro",
    """⟦first⟧: am nevoie de parola de la contul de test din Jira
⟦first⟧: user qa.bot, parola ⟦S|pw⟧
⟦first⟧: merci, o schimb după demo""",
)

P(
    "C",
    "ticket",
    "tr",
    """Talep ⟦ticket⟧: Sunucuya erişim sorunu

Merhaba, ⟦IP⟧ adresli sunucuya SSH ile bağlanamıyorum. Kullanıcı adım ⟦user⟧, şifrem ⟦S|pwa⟧. Dün akşama kadar sorun yoktu. Yardımcı olabilir misiniz?
⟦name⟧""",
)

P(
    "C",
    "email",
    "el",
    """Θέμα: Στοιχεία σύνδεσης στο σύστημα κρατήσεων

Καλημέρα ⟦first⟧,

σας στέλνω τα στοιχεία για το νέο σύστημα:
Όνομα χρήστη: ⟦user⟧
Κωδικός: ⟦S|pwa⟧

Για οποιοδήποτε πρόβλημα επικοινωνήστε στο ⟦E|org⟧.

Με εκτίμηση,
⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "ru",
    """⟦first⟧: скинь ключ от sendgrid, письма не уходят
⟦first⟧: держи ⟦S|sendgrid⟧
⟦first⟧: спасибо, сейчас проверю
⟦first⟧: только в репу не коммить, плиз""",
)

P(
    "C",
    "email",
    "ru",
    """Тема: Доступ к базе данных отчётов

Коллеги, добрый день!

Для выгрузки отчётов используйте сервер ⟦IP⟧, база reports, пользователь ⟦user⟧, пароль ⟦S|pwa⟧. Доступ только для чтения.

Вопросы — ⟦name⟧, ⟦E|org⟧""",
)

P(
    "C",
    "chat_log",
    "uk",
    """⟦first⟧: який пароль від адмінки сайту?
⟦first⟧: логін admin, пароль ⟦S|pw⟧
⟦first⟧: дякую! поміняю після релізу""",
)

P(
    "C",
    "email",
    "bg",
    """Тема: Нов акаунт за счетоводната система

Здравейте, ⟦first⟧,

Създадохме ви акаунт. Потребител: ⟦user⟧, временна парола: ⟦S|pwa⟧. Моля, сменете я при първото влизане. При въпроси пишете на ⟦E|org⟧.

Поздрави,
⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "hr",
    """⟦first⟧: daj mi lozinku za FTP, trebam uploadati slike
⟦first⟧: ⟦S|pwa⟧, user je ⟦user⟧, server ⟦IP⟧
⟦first⟧: hvala!""",
)

P(
    "C",
    "email",
    "sl",
    """Zadeva: dostop do strežnika za varnostne kopije

Živjo ⟦first⟧,

strežnik je na naslovu ⟦IP⟧, uporabnik backup, geslo ⟦S|pwa⟧. Kopije tečejo vsako noč ob 2h.

Lp, ⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "et",
    """⟦first⟧: mis on uue kontori wifi parool?
⟦first⟧: võrk ⟦ssid⟧, parool ⟦S|psk⟧
⟦first⟧: aitäh!""",
)

P(
    "C",
    "email",
    "lt",
    """Tema: Prisijungimo duomenys

Sveiki, ⟦first⟧,

jūsų paskyra sistemoje sukurta. Prisijungimo vardas: ⟦user⟧, laikinas slaptažodis: ⟦S|pwa⟧. Klausimus siųskite adresu ⟦E|org⟧.

Pagarbiai, ⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "lv",
    """⟦first⟧: kāda ir parole testa vides datubāzei?
⟦first⟧: ⟦S|pwa⟧ (lietotājs ⟦user⟧, serveris ⟦IP⟧)
⟦first⟧: paldies!""",
)

P(
    "C",
    "email",
    "ar",
    """الموضوع: بيانات الدخول إلى النظام الجديد

مرحباً ⟦first⟧،

تم إنشاء حسابك في نظام الموارد البشرية.
اسم المستخدم: ⟦user⟧
كلمة المرور المؤقتة: ⟦S|pwa⟧

يرجى تغيير كلمة المرور عند أول تسجيل دخول. للاستفسار راسلنا على ⟦E|org⟧.

مع التحية،
قسم تقنية المعلومات""",
)

P(
    "C",
    "chat_log",
    "ar",
    """⟦first⟧: وين أحط مفتاح الـ API؟
⟦first⟧: حطه في ملف الإعدادات: ⟦S|gapi⟧
⟦first⟧: تمام شكراً""",
)

P(
    "C",
    "email",
    "he",
    """נושא: פרטי גישה לשרת הבדיקות

היי ⟦first⟧,

השרת זמין בכתובת ⟦IP⟧. שם משתמש: ⟦user⟧, סיסמה: ⟦S|pwa⟧. נא לא לשתף מחוץ לצוות.

תודה, ⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "he",
    """⟦first⟧: מה הסיסמה של הוויי-פיי באולם?
⟦first⟧: ⟦S|psk⟧
⟦first⟧: תודה רבה!""",
)

P(
    "C",
    "ticket",
    "fa",
    """درخواست ⟦ticket⟧: مشکل ورود به ایمیل

کاربر ⟦name⟧ با آدرس ⟦E|org⟧ نمی‌تواند وارد صندوق شود. رمز عبور موقت جدید: ⟦S|pwa⟧ . لطفاً پس از ورود تغییر دهید.""",
)

P(
    "C",
    "email",
    "hi",
    """विषय: सर्वर लॉगिन विवरण

नमस्ते ⟦first⟧ जी,

नए सर्वर का IP ⟦IP⟧ है। यूज़रनेम: ⟦user⟧ और पासवर्ड: ⟦S|pwa⟧ है। कृपया पहली बार लॉगिन करने के बाद पासवर्ड बदल दें।

धन्यवाद,
⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "hi",
    """⟦first⟧: भाई, पेमेंट गेटवे की key भेज दो
⟦first⟧: ये लो ⟦S|sk_live⟧
⟦first⟧: थैंक्स, शाम तक लाइव कर दूंगा""",
)

P(
    "C",
    "email",
    "bn",
    """বিষয়: অফিস ইমেইল অ্যাকাউন্ট

প্রিয় ⟦first⟧,

আপনার নতুন অফিস ইমেইল ⟦E|org⟧ তৈরি করা হয়েছে। অস্থায়ী পাসওয়ার্ড: ⟦S|pwa⟧ । প্রথমবার লগইনের পর পাসওয়ার্ড পরিবর্তন করুন।

ধন্যবাদ""",
)

P(
    "C",
    "chat_log",
    "ta",
    """⟦first⟧: சர்வர் பாஸ்வேர்ட் என்ன?
⟦first⟧: ⟦S|pwa⟧ — யூசர் ⟦user⟧
⟦first⟧: நன்றி!""",
)

P(
    "C",
    "email",
    "th",
    """เรื่อง: ข้อมูลเข้าสู่ระบบร้านค้าออนไลน์

เรียน คุณ⟦first⟧

ระบบหลังบ้านพร้อมใช้งานแล้ว
ชื่อผู้ใช้: ⟦user⟧
รหัสผ่าน: ⟦S|pwa⟧

หากมีข้อสงสัยติดต่อ ⟦E|org⟧ ได้เลยครับ""",
)

P(
    "C",
    "chat_log",
    "th",
    """⟦first⟧: รหัสไวไฟห้องประชุมชั้น 3 คืออะไรคะ
⟦first⟧: ⟦S|psk⟧ ครับ
⟦first⟧: ขอบคุณค่ะ""",
)

P(
    "C",
    "email",
    "vi",
    """Tiêu đề: Xác nhận thanh toán đơn hàng ⟦order⟧

Chào anh/chị ⟦first⟧,

Chúng tôi đã nhận được thanh toán ⟦amount⟧ đ từ thẻ ⟦CC|jcb|space⟧. Đơn hàng sẽ được giao trong 3-5 ngày. Mọi thắc mắc vui lòng gửi về ⟦E|role⟧.

Trân trọng""",
)

P(
    "C",
    "chat_log",
    "id",
    """⟦first⟧: bro, password cpanel klien yang baru apa ya?
⟦first⟧: ⟦S|pwa⟧
⟦first⟧: ok makasih, username masih ⟦user⟧ kan?
⟦first⟧: iya""",
)

P(
    "C",
    "email",
    "ms",
    """Perkara: Akaun sistem gaji

Salam ⟦first⟧,

Akaun anda telah diaktifkan. ID pengguna: ⟦user⟧, kata laluan sementara: ⟦S|pwa⟧. Sila tukar kata laluan selepas log masuk pertama. Sebarang pertanyaan, hubungi ⟦E|org⟧.

Terima kasih""",
)

P(
    "C",
    "chat_log",
    "zh",
    """⟦first⟧：测试环境的数据库密码是多少？
⟦first⟧：⟦S|pwa⟧，用户名 ⟦user⟧，地址 ⟦IP⟧
⟦first⟧：收到，谢谢！""",
)

P(
    "C",
    "email",
    "zh",
    """主题：阿里云子账号开通

⟦first⟧ 你好，

已为你开通子账号，登录名：⟦user⟧（主账号 ID ⟦n|1000000|9999999⟧），初始密码：⟦S|pwa⟧。AccessKey ID：⟦S|aliyun_akid⟧，AccessKey Secret：⟦S|tok⟧。请妥善保管，勿外传。

运维组""",
)

P(
    "C",
    "chat_log",
    "ja",
    """⟦first⟧: 本番DBのパスワード教えてもらえますか？
⟦first⟧: ⟦S|pwa⟧ です。使い終わったら言ってください、ローテします
⟦first⟧: ありがとうございます！""",
)

P(
    "C",
    "email",
    "ja",
    """件名：ご注文ありがとうございます（注文番号 ⟦order⟧）

⟦last⟧ 様

この度はご注文いただき誠にありがとうございます。
お支払い方法：クレジットカード（⟦CC|jcb|dash⟧）
お支払い金額：⟦n|1000|99999⟧円

ご不明な点は ⟦E|role⟧ までお問い合わせください。""",
)

P(
    "C",
    "chat_log",
    "ko",
    """⟦first⟧: 스테이징 서버 접속 정보 좀 알려주세요
⟦first⟧: IP ⟦IP⟧, 계정 ⟦user⟧, 비번 ⟦S|pwa⟧
⟦first⟧: 감사합니다!""",
)

P(
    "C",
    "email",
    "ko",
    """제목: 결제 카드 변경 안내

⟦first⟧님 안녕하세요,

다음 달부터 법인카드가 ⟦CC|mc|dash⟧ 로 변경됩니다. 기존 구독 서비스의 결제 정보를 업데이트해 주세요. 문의는 ⟦E|org⟧ 로 부탁드립니다.""",
)

P(
    "C",
    "chat_log",
    "sw",
    """⟦first⟧: nenosiri la wifi ya ofisi ni lipi?
⟦first⟧: ⟦S|psk⟧
⟦first⟧: asante sana!""",
)

P(
    "C",
    "email",
    "tl",
    """Subject: Access sa bagong server

Hi ⟦first⟧,

Naka-setup na ang server sa ⟦IP⟧. Username: ⟦user⟧, password: ⟦S|pwa⟧. Paki-palitan agad pagka-login. Salamat!

— ⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "ca",
    """⟦first⟧: quina és la contrasenya del compte de proves?
⟦first⟧: ⟦S|pwa⟧
⟦first⟧: gràcies! la canvio demà""",
)

P(
    "C",
    "shared_doc",
    "en",
    """Onboarding checklist — ⟦first⟧ (start ⟦date⟧)

[x] Laptop ordered
[x] Google Workspace account: ⟦E|org⟧
[ ] Door badge — temporary code ⟦S|pin⟧ until the badge arrives
[ ] Slack invite
[ ] 1:1 with ⟦name⟧ on day 2""",
)

P(
    "C",
    "email",
    "en",
    """From: ⟦company⟧ Developer Portal <⟦E|role⟧>
To: ⟦E⟧
Subject: Your API key for ⟦company⟧ Developer Portal

Hello,

here is the API key you requested for the project "⟦word⟧":

    ⟦S|tok⟧

Keep it secret. You can revoke it any time from the portal.""",
)

P(
    "C",
    "chat_log",
    "en",
    """<⟦user⟧> the prod stripe key leaked in the screenshot from yesterday's demo?
<⟦user⟧> yeah, it was ⟦S|sk_live⟧ — already rolled it
<⟦user⟧> ok, also rotate the webhook secret ⟦S|whsec⟧ pls""",
)

P(
    "C",
    "ticket",
    "en",
    """[⟦ticket⟧] Grant access to the analytics bucket

Requester: ⟦name⟧ <⟦E|org⟧>
Please add the following IPs to the allow-list of the analytics bucket:
- office: ⟦IP⟧
- home: ⟦IP⟧
- CI runners: ⟦IP⟧, ⟦IP⟧
Thanks!""",
)

P(
    "C",
    "shared_doc",
    "de",
    """Übergabe-Notizen Server (Stand ⟦date_eu⟧)

- Hetzner-Server: ⟦IP⟧ / ⟦IP6⟧
- Root-Login per SSH-Key, Notfallpasswort im Tresor: ⟦S|phrase⟧
- Backups nach Storage Box, Passwort ⟦S|pwa⟧
- Ansprechpartner Hoster: ⟦E|role⟧""",
)

P(
    "C",
    "email",
    "en",
    """Subject: Re: Re: Wire details / card on file

Hi ⟦first⟧, as requested please charge the event fee to our corporate Amex ⟦CC|amex|space⟧, exp 0⟦n|1|9⟧/2⟦n|6|9⟧, billing contact ⟦E|org⟧. Let me know when it's done.

Thanks, ⟦name⟧""",
)

P(
    "C",
    "chat_log",
    "fr",
    """⟦first⟧ : tu peux me renvoyer le lien du webhook Discord pour les alertes ?
⟦first⟧ : ⟦S|discord_hook⟧
⟦first⟧ : merci 👍""",
)

P(
    "C",
    "chat_log",
    "en",
    """⟦first⟧ ⟦time⟧
hey, i'm locked out of the shared AWS account, can you resend the console creds?

⟦first⟧ ⟦time⟧
acct alias ⟦word⟧-sandbox, user ⟦user⟧, pw ⟦S|pw⟧
MFA is off for that one, yes I know""",
)

P(
    "C",
    "shared_doc",
    "es",
    """Hoja de contactos de proveedores (no compartir fuera del equipo)

Proveedor | Contacto | Correo | Portal / clave
Imprenta Sol | ⟦name⟧ | ⟦E⟧ | ⟦S|pwa⟧
Transportes Andino | ⟦name⟧ | ⟦E⟧ | —
Hosting | soporte | ⟦E|role⟧ | ⟦S|pwa⟧""",
)

# ---- C negatives
N(
    "C",
    "email",
    "en",
    "no_credential_shared",
    """Subject: your password reset

Hi ⟦first⟧,

I've triggered a password reset for your account. You'll get an e-mail with a link that expires in ⟦n|15|60⟧ minutes. I can't see or send you the password itself — please pick a new one when you click the link.

Cheers, ⟦name⟧ (IT)""",
)

N(
    "C",
    "chat_log",
    "en",
    "secret_shared_out_of_band",
    """⟦first⟧: can you send me the db password?
⟦first⟧: not here 🙂 shared it with you in 1Password, vault "⟦word⟧-prod"
⟦first⟧: got it, thanks
⟦first⟧: it expires after ⟦n|2|7⟧ days btw""",
)

N(
    "C",
    "ticket",
    "en",
    "masked_card_numbers",
    """Ticket ⟦ticket⟧ — refund request

Customer: ⟦name⟧
Card: Visa ending ⟦last4⟧ (masked in the gateway as 4⟦n|10000|99999⟧******⟦last4⟧)
Amount: €⟦amount⟧, order ⟦order⟧
Action: refund issued ⟦date⟧, customer informed.""",
)

N(
    "C",
    "meeting_notes",
    "en",
    "private_ip_addresses",
    """Network cutover notes — ⟦date⟧

- Old core switch ⟦pip⟧ decommissioned
- New VLAN 30 uses ⟦pip⟧/24, gateway ⟦pip⟧
- Printers moved to ⟦pip⟧ range, DHCP reservations updated
- ⟦first⟧ to update the wiki; no public addressing changes""",
)

N(
    "C",
    "email",
    "de",
    "documentation_examples",
    """Betreff: Vorlage für Kundenanschreiben

Hallo ⟦first⟧,

in der Vorlage bitte als Platzhalter ⟦xmail⟧ verwenden, nicht echte Kundenadressen. Die Test-Instanz erreichst du intern unter ⟦pip⟧, die Doku-Beispiele nutzen ⟦dip⟧.

Danke, ⟦name⟧""",
)

N(
    "C",
    "chat_log",
    "fr",
    "redacted_secrets",
    """⟦first⟧ : j'ai mis le mot de passe dans le coffre, ici je mets juste "********" pour la capture
⟦first⟧ : ok. et la clé API ?
⟦first⟧ : pareil, sk_live_… masquée, tu la trouveras dans Vault sous secret/⟦word⟧""",
)

N(
    "C",
    "email",
    "es",
    "order_numbers",
    """Asunto: Tu pedido ⟦order⟧ ha sido enviado

Hola ⟦first⟧, tu pedido ya está en camino. Número de seguimiento: ⟦ups⟧. Fecha estimada de entrega: ⟦date⟧. Gracias por comprar con nosotros.""",
)

N(
    "C",
    "chat_log",
    "it",
    "usernames",
    """⟦first⟧: qual è il tuo utente su GitLab?
⟦first⟧: ⟦user⟧, aggiungimi al gruppo ⟦word⟧ per favore
⟦first⟧: fatto, ruolo developer""",
)

N(
    "C",
    "ticket",
    "pt",
    "secret_shared_out_of_band",
    """Chamado ⟦ticket⟧: acesso ao painel financeiro

O usuário ⟦user⟧ recebeu o link de convite por e-mail. A senha será definida por ele no primeiro acesso; nenhuma senha foi enviada pelo chamado. Encerrado em ⟦date_eu⟧.""",
)

N(
    "C",
    "email",
    "nl",
    "masked_card_numbers",
    """Onderwerp: Betaling mislukt

Beste ⟦first⟧, de automatische incasso voor je abonnement is mislukt. De kaart die eindigt op ⟦last4⟧ is verlopen. Werk je betaalgegevens bij via Mijn Account. Factuurnummer: ⟦order⟧.""",
)

N(
    "C",
    "chat_log",
    "pl",
    "password_policy_text",
    """⟦first⟧: jakie są wymagania dla nowych haseł?
⟦first⟧: minimum ⟦n|12|16⟧ znaków, bez imion i dat, i nie to samo co ostatnie ⟦n|5|10⟧
⟦first⟧: i MFA obowiązkowe od przyszłego miesiąca""",
)

N(
    "C",
    "email",
    "ja",
    "no_credential_shared",
    """件名：パスワード変更のお知らせ

⟦last⟧ 様

アカウントのパスワードが ⟦date⟧ に変更されました。お心当たりがない場合は、至急サポートまでご連絡ください。本メールにパスワードは記載しておりません。""",
)

N(
    "C",
    "chat_log",
    "zh",
    "private_ip_addresses",
    """⟦first⟧：打印机连不上了
⟦first⟧：它的 IP 是 ⟦pip⟧，你电脑是 ⟦pip⟧ 吗？
⟦first⟧：对，网关 ⟦pip⟧
⟦first⟧：那重启一下路由试试""",
)

N(
    "C",
    "email",
    "ru",
    "tracking_numbers",
    """Тема: Ваш заказ ⟦order⟧ отправлен

Здравствуйте, ⟦first⟧! Заказ передан в службу доставки. Трек-номер: ⟦ups⟧. Ориентировочная дата доставки — ⟦date_eu⟧.""",
)

N(
    "C",
    "chat_log",
    "ko",
    "secret_shared_out_of_band",
    """⟦first⟧: DB 비번 여기 올려줄 수 있어요?
⟦first⟧: 채팅에는 안 올려요. 사내 비밀번호 관리자에 공유했어요
⟦first⟧: 확인했습니다 👍""",
)

N(
    "C",
    "ticket",
    "tr",
    "masked_card_numbers",
    """Talep ⟦ticket⟧: Çift çekim

Müşteri ⟦name⟧, **** **** **** ⟦last4⟧ ile biten kartından iki kez ⟦amount⟧ TL çekildiğini bildirdi. İade başlatıldı, referans ⟦order⟧.""",
)

N(
    "C",
    "email",
    "ar",
    "no_credential_shared",
    """الموضوع: إعادة تعيين كلمة المرور

مرحباً ⟦first⟧، لقد طلبت إعادة تعيين كلمة المرور. اضغط على الرابط المرسل في رسالة منفصلة خلال ⟦n|15|60⟧ دقيقة. لن نطلب منك كلمة المرور أبداً عبر البريد.""",
)

N(
    "C",
    "chat_log",
    "he",
    "usernames",
    """⟦first⟧: מה שם המשתמש שלך במערכת?
⟦first⟧: ⟦user⟧
⟦first⟧: הוספתי אותך לקבוצה ⟦word⟧""",
)

N(
    "C",
    "meeting_notes",
    "sv",
    "password_policy_text",
    """Möte säkerhet ⟦date⟧

- Nya lösenordsregler: minst ⟦n|12|16⟧ tecken, lösenfraser rekommenderas
- Lösenordshanterare införs för alla team före kvartalets slut
- Inga lösenord i chatten eller i mejl""",
)

N(
    "C",
    "email",
    "fi",
    "order_numbers",
    """Aihe: Tilausvahvistus ⟦order⟧

Hei ⟦first⟧, kiitos tilauksestasi! Summa ⟦amount⟧ €, maksettu kortilla, jonka neljä viimeistä numeroa ovat ⟦last4⟧. Toimitusaika ⟦n|2|7⟧ arkipäivää.""",
)

N(
    "C",
    "chat_log",
    "cs",
    "redacted_secrets",
    """⟦first⟧: pošli mi ten token
⟦first⟧: je v trezoru, sem dávám jen ghp_****⟦alnum|4⟧ ať víš který
⟦first⟧: jasně, díky""",
)

N(
    "C",
    "email",
    "hu",
    "documentation_examples",
    """Tárgy: Tesztkörnyezet

Szia ⟦first⟧! A tesztekhez a ⟦xmail⟧ címet használd, a szerver belső címe ⟦pip⟧. Éles adat ne kerüljön a tesztbe!""",
)

N(
    "C",
    "chat_log",
    "el",
    "secret_shared_out_of_band",
    """⟦first⟧: μου στέλνεις τον κωδικό του router;
⟦first⟧: σου τον έδωσα προφορικά το πρωί, δεν τον γράφω εδώ
⟦first⟧: οκ, τον θυμάμαι 🙂""",
)

N(
    "C",
    "email",
    "vi",
    "no_credential_shared",
    """Tiêu đề: Thông báo đổi mật khẩu định kỳ

Chào ⟦first⟧, theo chính sách công ty, mật khẩu của bạn sẽ hết hạn vào ⟦date⟧. Vui lòng đăng nhập và đổi mật khẩu mới. Bộ phận IT sẽ không bao giờ hỏi mật khẩu của bạn.""",
)

N(
    "C",
    "chat_log",
    "id",
    "private_ip_addresses",
    """⟦first⟧: NAS-nya di IP berapa?
⟦first⟧: ⟦pip⟧, kalau dari VPN lewat ⟦pip⟧
⟦first⟧: oke sip""",
)

N(
    "C",
    "email",
    "th",
    "tracking_numbers",
    """เรื่อง: พัสดุของคุณถูกจัดส่งแล้ว

คำสั่งซื้อ ⟦order⟧ ของคุณ⟦first⟧ ถูกส่งแล้ว หมายเลขติดตามพัสดุ ⟦ups⟧ คาดว่าจะได้รับภายใน ⟦date⟧""",
)

N(
    "C",
    "chat_log",
    "hi",
    "usernames",
    """⟦first⟧: Jira पर तुम्हारा यूज़रनेम क्या है?
⟦first⟧: ⟦user⟧
⟦first⟧: ठीक है, टिकट ⟦ticket⟧ तुम्हें असाइन कर दिया""",
)

N(
    "C",
    "ticket",
    "ro",
    "crypto_wallet_addresses",
    """Tichet ⟦ticket⟧: plată în criptomonede

Clientul ⟦name⟧ a trimis plata la adresa ⟦btc⟧. Tranzacția încă nu are confirmări. Verificăm mâine.""",
)

N(
    "C",
    "email",
    "uk",
    "password_policy_text",
    """Тема: Оновлення політики паролів

Колеги, з ⟦date_eu⟧ мінімальна довжина пароля — ⟦n|12|16⟧ символів. Паролі не можна пересилати поштою чи в месенджерах. Питання — до служби підтримки, заявка в категорії «Доступи».""",
)

N(
    "C",
    "chat_log",
    "es",
    "env_var_references",
    """⟦first⟧: ¿dónde pongo la clave de la API en el despliegue?
⟦first⟧: no la pongas en el código, usa la variable PAYMENTS_API_KEY del entorno y en el pipeline ${{ secrets.PAYMENTS_API_KEY }}
⟦first⟧: vale""",
)

N(
    "C",
    "shared_doc",
    "en",
    "publishable_keys",
    """Frontend integration notes (shareable with the agency)

- Stripe publishable key: ⟦pk_live⟧
- Google Maps JS is loaded through our proxy, no key needed client-side
- OAuth client ID: ⟦gclient⟧
- Analytics measurement ID: G-⟦alnum|10⟧""",
)

N(
    "C",
    "email",
    "en",
    "crypto_wallet_addresses",
    """Subject: Re: invoice ⟦order⟧ payment options

Hi ⟦first⟧, besides bank transfer we accept USDC on Ethereum to ⟦eth⟧ or BTC to ⟦btc⟧. Please add the invoice number in your records; we'll confirm once received.""",
)

N(
    "C",
    "meeting_notes",
    "de",
    "no_credential_shared",
    """Protokoll Jour fixe ⟦date_eu⟧

- Passwort-Rotation für Service-Accounts: erledigt, neue Werte liegen im Vault
- Zugang für Werkstudent ⟦first⟧: Einladung verschickt, Passwort setzt er selbst
- Nächster Termin: ⟦date_eu⟧""",
)

N(
    "C",
    "chat_log",
    "nb",
    "order_numbers",
    """⟦first⟧: har du ordrenummeret fra leverandøren?
⟦first⟧: ja, ⟦order⟧, levering ⟦date_eu⟧
⟦first⟧: flott""",
)

N(
    "C",
    "email",
    "da",
    "secret_shared_out_of_band",
    """Emne: Adgang til lønsystemet

Hej ⟦first⟧, du får en sms med en engangskode, når du logger på første gang. Adgangskoden vælger du selv. Skriv til mig, hvis sms'en ikke kommer.

Vh ⟦name⟧""",
)

N(
    "C",
    "chat_log",
    "ms",
    "usernames",
    """⟦first⟧: apa username awak dalam sistem HR?
⟦first⟧: ⟦user⟧
⟦first⟧: ok dah tambah""",
)

N(
    "C",
    "email",
    "bn",
    "order_numbers",
    """বিষয়: আপনার অর্ডার ⟦order⟧ নিশ্চিত হয়েছে

প্রিয় ⟦first⟧, আপনার অর্ডার সফলভাবে গ্রহণ করা হয়েছে। মোট: ⟦amount⟧ টাকা। ডেলিভারি ⟦n|2|7⟧ দিনের মধ্যে।""",
)


# ================================================================ GROUP D: logs, shell sessions, HTTP traffic, data dumps
P(
    "D",
    "nginx_access_log",
    "en",
    '''⟦IP⟧ - - [⟦clf⟧] "GET / HTTP/1.1" 200 ⟦n|500|9000⟧ "-" "⟦ua⟧"
⟦IP⟧ - - [⟦clf⟧] "GET /wp-login.php HTTP/1.1" 404 ⟦n|100|900⟧ "-" "⟦ua⟧"
⟦pip⟧ - - [⟦clf⟧] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟦IP⟧ - - [⟦clf⟧] "POST /api/v1/login HTTP/1.1" 401 ⟦n|40|90⟧ "-" "⟦ua⟧"
⟦IP6⟧ - - [⟦clf⟧] "GET /static/app.js HTTP/2.0" 304 0 "https://⟦domain⟧/" "⟦ua⟧"''',
)

P(
    "D",
    "auth_log",
    "en",
    """⟦syslog⟧ ⟦host⟧ sshd[⟦n|1000|60000⟧]: Failed password for invalid user admin from ⟦IP⟧ port ⟦n|30000|65000⟧ ssh2
⟦syslog⟧ ⟦host⟧ sshd[⟦n|1000|60000⟧]: Failed password for root from ⟦IP⟧ port ⟦n|30000|65000⟧ ssh2
⟦syslog⟧ ⟦host⟧ sshd[⟦n|1000|60000⟧]: Accepted publickey for deploy from ⟦pip⟧ port ⟦n|30000|65000⟧ ssh2: ED25519 ⟦fingerprint⟧
⟦syslog⟧ ⟦host⟧ sshd[⟦n|1000|60000⟧]: Disconnected from authenticating user root ⟦IP⟧ port ⟦n|30000|65000⟧ [preauth]""",
)

P(
    "D",
    "fail2ban_log",
    "en",
    """⟦date⟧ ⟦time⟧,⟦n|100|999⟧ fail2ban.actions [⟦n|500|9999⟧]: NOTICE [sshd] Ban ⟦IP⟧
⟦date⟧ ⟦time⟧,⟦n|100|999⟧ fail2ban.actions [⟦n|500|9999⟧]: NOTICE [sshd] Ban ⟦IP⟧
⟦date⟧ ⟦time⟧,⟦n|100|999⟧ fail2ban.actions [⟦n|500|9999⟧]: NOTICE [nginx-botsearch] Ban ⟦IP⟧
⟦date⟧ ⟦time⟧,⟦n|100|999⟧ fail2ban.actions [⟦n|500|9999⟧]: NOTICE [sshd] Unban ⟦IP⟧""",
)

P(
    "D",
    "shell_session",
    "en",
    """deploy@⟦host⟧:~$ mysql -h ⟦IP⟧ -u ⟦user⟧ -p'⟦S|pwa⟧' -e 'show databases;'
mysql: [Warning] Using a password on the command line interface can be insecure.
+--------------------+
| Database           |
+--------------------+
| information_schema |
| ⟦word⟧             |
+--------------------+
deploy@⟦host⟧:~$ exit""",
)

P(
    "D",
    "shell_session",
    "en",
    """$ export GITHUB_TOKEN=⟦S|ghp⟧
$ gh repo list ⟦user⟧ --limit 3
⟦user⟧/⟦word⟧-api        Internal API        private   ⟦date⟧
⟦user⟧/⟦word⟧-web        Frontend            public    ⟦date⟧
⟦user⟧/dotfiles          my dotfiles         public    ⟦date⟧""",
)

P(
    "D",
    "shell_history",
    "en",
    """  501  cd /srv/⟦word⟧
  502  git pull
  503  docker login registry.⟦domain⟧ -u ci -p ⟦S|pwa⟧
  504  docker compose pull && docker compose up -d
  505  curl -s https://api.ipify.org
  506  ssh root@⟦IP⟧
  507  psql "postgresql://⟦user⟧:⟦S|pwu⟧@⟦pip⟧:5432/⟦word⟧" -c '\\dt'
  508  history | tail""",
)

P(
    "D",
    "http_request",
    "en",
    """POST /v1/charges HTTP/1.1
Host: api.stripe.com
Authorization: Bearer ⟦S|sk_live⟧
Content-Type: application/x-www-form-urlencoded
Idempotency-Key: ⟦uuid⟧
User-Agent: ⟦ua⟧

amount=⟦n|100|99999⟧&currency=eur&source=tok_⟦alnum|24⟧&description=order+⟦order⟧""",
)

P(
    "D",
    "http_request",
    "en",
    """GET /api/admin/users?page=2 HTTP/1.1
Host: intranet.⟦domain⟧
Authorization: Basic ⟦S|basic⟧
Accept: application/json
X-Forwarded-For: ⟦IP⟧, ⟦pip⟧
Connection: keep-alive""",
)

P(
    "D",
    "http_request",
    "en",
    """GET /dashboard HTTP/2
Host: app.⟦domain⟧
Cookie: _ga=GA1.1.⟦n|100000000|999999999⟧.⟦epoch⟧; sessionid=⟦S|session⟧; theme=dark
X-CSRFToken: ⟦csrf⟧
Referer: https://app.⟦domain⟧/login
User-Agent: ⟦ua⟧""",
)

P(
    "D",
    "http_response",
    "en",
    """HTTP/1.1 200 OK
Content-Type: application/json
X-Request-Id: ⟦uuid⟧

{"access_token":"⟦S|jwt⟧","token_type":"Bearer","expires_in":3600,"refresh_token":"⟦S|tok_b64⟧","scope":"openid profile email"}""",
)

P(
    "D",
    "curl_verbose",
    "en",
    """$ curl -v https://api.⟦domain⟧/v2/me -H "X-API-Key: ⟦S|hex40⟧"
*   Trying ⟦IP⟧:443...
* Connected to api.⟦domain⟧ (⟦IP⟧) port 443
* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384
> GET /v2/me HTTP/2
> Host: api.⟦domain⟧
> user-agent: curl/8.5.0
< HTTP/2 200
< content-type: application/json
{"id":⟦n|1000|99999⟧,"plan":"pro"}""",
)

P(
    "D",
    "app_log",
    "en",
    """⟦lines|log|4|7⟧
⟦ts⟧ DEBUG [config] loaded settings: db_host=⟦pip⟧ db_user=⟦user⟧ db_password=⟦S|pwa⟧
⟦lines|log|3|6⟧""",
)

P(
    "D",
    "app_log",
    "en",
    """⟦ts⟧ ERROR [payments] charge failed for card=⟦CC|any|plain⟧ amount=⟦amount⟧ reason=do_not_honor
⟦ts⟧ INFO  [payments] retrying with 3DS for customer ⟦E⟧
⟦lines|log|2|5⟧""",
)

P(
    "D",
    "app_log",
    "en",
    """⟦lines|log|3|5⟧
⟦ts⟧ WARN  [http] outbound request failed: POST https://hooks.slack.com/... status=404 body="no_service" url=⟦S|slack_hook⟧
⟦lines|log|2|4⟧""",
)

P(
    "D",
    "json_log",
    "en",
    """{"ts":"⟦ts⟧","level":"info","event":"login","user":"⟦E⟧","ip":"⟦IP⟧","ua":"⟦ua⟧"}
{"ts":"⟦ts⟧","level":"info","event":"login","user":"⟦E⟧","ip":"⟦IP⟧","ua":"⟦ua⟧"}
{"ts":"⟦ts⟧","level":"warn","event":"login_failed","user":"⟦E⟧","ip":"⟦IP6⟧","reason":"bad_password"}""",
)

P(
    "D",
    "csv_dump",
    "en",
    """id,name,email,card_number,exp,country
⟦n|100|999⟧,⟦name⟧,⟦E⟧,⟦CC|visa|plain⟧,0⟦n|1|9⟧/2⟦n|6|9⟧,DE
⟦n|100|999⟧,⟦name⟧,⟦E⟧,⟦CC|mc|plain⟧,1⟦n|0|2⟧/2⟦n|6|9⟧,FR
⟦n|100|999⟧,⟦name⟧,⟦E⟧,⟦CC|any|plain⟧,0⟦n|1|9⟧/2⟦n|6|9⟧,ES""",
)

P(
    "D",
    "sql_dump",
    "en",
    """-- MySQL dump 10.13  Distrib 8.0.36
-- Host: ⟦pip⟧    Database: ⟦word⟧
LOCK TABLES `subscribers` WRITE;
INSERT INTO `subscribers` VALUES (1,'⟦E⟧','⟦date⟧ ⟦time⟧','⟦IP⟧'),(2,'⟦E⟧','⟦date⟧ ⟦time⟧','⟦IP⟧'),(3,'⟦E⟧','⟦date⟧ ⟦time⟧','⟦IP⟧');
UNLOCK TABLES;""",
)

P(
    "D",
    "firewall_rules",
    "en",
    """# iptables-save (excerpt)
-A INPUT -s ⟦IP⟧/32 -p tcp --dport 22 -j ACCEPT
-A INPUT -s ⟦IP⟧/32 -p tcp --dport 22 -j ACCEPT
-A INPUT -s ⟦pip⟧/24 -j ACCEPT
-A INPUT -s ⟦IP⟧/32 -j DROP
-A INPUT -p tcp --dport 22 -j DROP""",
)

P(
    "D",
    "dns_zone",
    "en",
    """$ORIGIN ⟦domain⟧.
$TTL 3600
@       IN  SOA ns1.⟦domain⟧. hostmaster.⟦domain⟧. ( ⟦n|2024010101|2024123199⟧ 7200 3600 1209600 3600 )
@       IN  A     ⟦IP⟧
@       IN  AAAA  ⟦IP6⟧
www     IN  A     ⟦IP⟧
mail    IN  A     ⟦IP⟧
@       IN  MX 10 mail.⟦domain⟧.""",
)

P(
    "D",
    "traceroute",
    "en",
    """traceroute to ⟦domain⟧ (⟦IP⟧), 30 hops max
 1  ⟦pip⟧  1.⟦n|100|999⟧ ms
 2  ⟦lip⟧  8.⟦n|100|999⟧ ms
 3  ⟦IP⟧  12.⟦n|100|999⟧ ms
 4  ⟦IP⟧  18.⟦n|100|999⟧ ms
 5  ⟦IP⟧  24.⟦n|100|999⟧ ms""",
)

P(
    "D",
    "shell_session",
    "en",
    """$ kubectl get secret ⟦word⟧-db -o jsonpath='{.data.password}' | base64 -d
⟦S|pwa⟧
$ kubectl get pods -n ⟦word⟧
NAME                      READY   STATUS    RESTARTS   AGE
⟦word⟧-api-⟦hex|9⟧-⟦alnum|5⟧   1/1     Running   0          ⟦n|1|30⟧d""",
)

P(
    "D",
    "shell_session",
    "en",
    """PS C:\\Users\\⟦user⟧> cmdkey /list
Currently stored credentials:
    Target: Domain:target=⟦IP⟧
    Type: Domain Password
    User: ⟦user⟧
PS C:\\Users\\⟦user⟧> net use Z: \\\\⟦IP⟧\\share /user:⟦user⟧ ⟦S|pwa⟧
The command completed successfully.""",
)

P(
    "D",
    "ci_log",
    "en",
    """Run npm publish
+ echo "//registry.npmjs.org/:_authToken=⟦S|npm⟧" > ~/.npmrc
+ npm publish --access public
npm notice 📦  @⟦word⟧/⟦word⟧@⟦ver⟧
npm notice total files: ⟦n|5|80⟧
+ @⟦word⟧/⟦word⟧@⟦ver⟧""",
)

P(
    "D",
    "ci_log",
    "en",
    """[⟦time⟧] Step 4/9 : RUN pip install -r requirements.txt
[⟦time⟧] Step 5/9 : ARG OPENAI_KEY=⟦S|openai⟧
[⟦time⟧] Step 6/9 : RUN python scripts/warm_cache.py
[⟦time⟧]  ---> Running in ⟦hex|12⟧
[⟦time⟧] cache warmed: ⟦n|100|9000⟧ entries""",
)

P(
    "D",
    "syslog",
    "en",
    """⟦syslog⟧ mail postfix/smtpd[⟦n|1000|60000⟧]: connect from unknown[⟦IP⟧]
⟦syslog⟧ mail postfix/smtpd[⟦n|1000|60000⟧]: NOQUEUE: reject: RCPT from unknown[⟦IP⟧]: 554 5.7.1 <⟦E⟧>: Relay access denied; from=<⟦E⟧> to=<⟦E⟧> proto=ESMTP helo=<⟦host⟧>
⟦syslog⟧ mail postfix/smtpd[⟦n|1000|60000⟧]: disconnect from unknown[⟦IP⟧]""",
)

P(
    "D",
    "har_excerpt",
    "en",
    """{
  "request": {
    "method": "POST",
    "url": "https://auth.⟦domain⟧/oauth/token",
    "postData": {"mimeType": "application/x-www-form-urlencoded",
                 "text": "grant_type=client_credentials&client_id=⟦alnum|20⟧&client_secret=⟦S|client_secret⟧"}
  },
  "serverIPAddress": "⟦IP⟧",
  "time": ⟦n|20|900⟧
}""",
)

P(
    "D",
    "env_dump",
    "en",
    """$ env | sort
HOME=/home/⟦user⟧
HOSTNAME=⟦host⟧
HUGGINGFACE_HUB_TOKEN=⟦S|hf⟧
LANG=en_US.UTF-8
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin
PWD=/workspace
SHLVL=1
TERM=xterm-256color
WANDB_API_KEY=⟦S|hex40⟧""",
)

P(
    "D",
    "form_post_log",
    "en",
    """⟦ts⟧ POST /checkout/pay form={"name":"⟦name⟧","email":"⟦E⟧","cc_number":"⟦CC|any|space⟧","cvc":"⟦n|100|999⟧","exp":"0⟦n|1|9⟧/2⟦n|6|9⟧"} ip=⟦IP⟧""",
)

P(
    "D",
    "wifi_export",
    "en",
    """$ nmcli --show-secrets connection show "⟦ssid@s⟧" | grep -E 'ssid|psk'
802-11-wireless.ssid:                   ⟦@s⟧
802-11-wireless-security.psk:           ⟦S|psk⟧
802-11-wireless-security.psk-flags:     0 (none)""",
)

P(
    "D",
    "docker_inspect",
    "en",
    """$ docker inspect ⟦word⟧-api --format '{{json .Config.Env}}' | jq .
[
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "DATABASE_URL=postgres://app:⟦S|pwu⟧@⟦pip⟧:5432/app",
  "JWT_SECRET=⟦S|tok_b64⟧",
  "PORT=8080"
]""",
)

P(
    "D",
    "git_log",
    "en",
    """commit ⟦sha1⟧
Author: ⟦name⟧ <⟦E⟧>
Date:   ⟦date⟧ ⟦time⟧ +0200

    bump version to ⟦ver⟧

commit ⟦sha1⟧
Author: ⟦name⟧ <⟦E⟧>
Date:   ⟦date⟧ ⟦time⟧ +0100

    docs: fix typo in README""",
)

P(
    "D",
    "redis_monitor",
    "en",
    '''⟦epoch⟧.⟦n|100000|999999⟧ [0 ⟦pip⟧:⟦n|30000|65000⟧] "AUTH" "⟦S|pwa⟧"
⟦epoch⟧.⟦n|100000|999999⟧ [0 ⟦pip⟧:⟦n|30000|65000⟧] "GET" "v2:feed:⟦n|1000|99999⟧:1"
⟦epoch⟧.⟦n|100000|999999⟧ [0 ⟦pip⟧:⟦n|30000|65000⟧] "EXPIRE" "session-meta:⟦hex|24⟧" "3600"''',
)

# ---- D negatives
N(
    "D",
    "nginx_access_log",
    "en",
    "private_ip_addresses",
    '''⟦pip⟧ - - [⟦clf⟧] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟦pip⟧ - - [⟦clf⟧] "GET /metrics HTTP/1.1" 200 ⟦n|1000|9000⟧ "-" "Prometheus/2.51.0"
⟦lip⟧ - - [⟦clf⟧] "GET / HTTP/1.1" 200 ⟦n|500|900⟧ "-" "curl/8.5.0"
⟦pip⟧ - - [⟦clf⟧] "POST /internal/reindex HTTP/1.1" 202 0 "-" "python-requests/2.31.0"''',
)

N("D", "app_log", "en", "request_ids", """⟦lines|log|6|10⟧""")

N(
    "D",
    "http_request",
    "en",
    "csrf_tokens",
    """POST /settings/email HTTP/1.1
Host: app.⟦domain⟧
Content-Type: application/x-www-form-urlencoded
X-XSRF-TOKEN: ⟦csrf⟧
X-Request-ID: ⟦uuid⟧

_csrf=⟦csrf⟧&email=⟦xmail⟧""",
)

N(
    "D",
    "shell_session",
    "en",
    "env_var_references",
    """$ echo $DB_PASSWORD | wc -c
⟦n|17|33⟧
$ psql "host=⟦pip⟧ user=⟦user⟧ password=$DB_PASSWORD dbname=⟦word⟧" -c 'select 1'
 ?column?
----------
        1
(1 row)""",
)

N(
    "D",
    "shell_session",
    "en",
    "checksums_digests",
    """$ sha256sum ⟦word⟧-⟦ver⟧.tar.gz
⟦sha256⟧  ⟦word⟧-⟦ver⟧.tar.gz
$ md5sum backup-⟦date⟧.sql.gz
⟦md5⟧  backup-⟦date⟧.sql.gz
$ git rev-parse HEAD
⟦sha1⟧""",
)

N(
    "D",
    "docker_output",
    "en",
    "container_image_digests",
    """$ docker pull postgres:16
16: Pulling from library/postgres
Digest: ⟦digest⟧
Status: Downloaded newer image for postgres:16
$ docker images --digests | head -3
REPOSITORY   TAG   DIGEST       IMAGE ID       CREATED
postgres     16    ⟦digest⟧   ⟦hex|12⟧   ⟦n|2|9⟧ days ago""",
)

N(
    "D",
    "shell_session",
    "en",
    "ssh_fingerprints",
    """$ ssh deploy@⟦pip⟧
The authenticity of host '⟦pip⟧ (⟦pip⟧)' can't be established.
ED25519 key fingerprint is ⟦fingerprint⟧.
This key is not known by any other names.
Are you sure you want to continue connecting (yes/no/[fingerprint])? yes
Warning: Permanently added '⟦pip⟧' (ED25519) to the list of known hosts.""",
)

N(
    "D",
    "shell_session",
    "en",
    "vault_accessors",
    """$ vault token lookup
Key                 Value
---                 -----
accessor            ⟦accessor⟧
creation_time       ⟦epoch⟧
display_name        ldap-⟦user⟧
entity_id           ⟦uuid⟧
expire_time         ⟦ts⟧
policies            [default ⟦word⟧-read]
ttl                 ⟦n|1|767⟧h⟦n|1|59⟧m""",
)

N(
    "D",
    "csv_dump",
    "en",
    "masked_card_numbers",
    """order_id,customer,card,amount,status
⟦order⟧,⟦name⟧,**** **** **** ⟦last4⟧,⟦amount⟧,captured
⟦order⟧,⟦name⟧,XXXX-XXXX-XXXX-⟦last4⟧,⟦amount⟧,refunded
⟦order⟧,⟦name⟧,**** ****** *⟦last4⟧,⟦amount⟧,captured""",
)

N(
    "D",
    "csv_dump",
    "en",
    "luhn_invalid_numbers",
    """# rejected at input validation (luhn_fail) — raw values kept for the fraud team
ts,field,value,reason
⟦ts⟧,card_number,⟦badcard|any|plain⟧,luhn_fail
⟦ts⟧,card_number,⟦badcard|any|space⟧,luhn_fail
⟦ts⟧,card_number,⟦badcard|any|plain⟧,luhn_fail""",
)

N(
    "D",
    "json_log",
    "en",
    "documentation_examples",
    """{"ts":"⟦ts⟧","event":"signup","email":"⟦xmail⟧","ip":"⟦dip⟧","env":"sandbox"}
{"ts":"⟦ts⟧","event":"signup","email":"⟦xmail⟧","ip":"⟦dip6⟧","env":"sandbox"}
{"ts":"⟦ts⟧","event":"login","email":"⟦xmail⟧","ip":"⟦dip⟧","env":"sandbox"}""",
)

N(
    "D",
    "http_response",
    "en",
    "publishable_keys",
    """HTTP/1.1 200 OK
Content-Type: application/json
Cache-Control: public, max-age=300

{"stripe_publishable_key":"⟦pk_live⟧","recaptcha_site_key":"⟦sitekey⟧","google_client_id":"⟦gclient⟧","mapbox_token":"⟦mapbox_pk⟧"}""",
)

N(
    "D",
    "sql_dump",
    "en",
    "password_hashes",
    """INSERT INTO `wp_users` VALUES (1,'⟦user⟧','⟦bcrypt⟧','⟦user⟧','⟦xmail⟧','','⟦date⟧ ⟦time⟧','',0,'⟦first⟧'),(2,'⟦user⟧','⟦bcrypt⟧','⟦user⟧','⟦xmail⟧','','⟦date⟧ ⟦time⟧','',0,'⟦first⟧');""",
)

N(
    "D",
    "shell_session",
    "en",
    "non_global_ipv6",
    """$ ip -6 addr show eth0
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500
    inet6 ⟦pip6⟧/64 scope link
    inet6 fd⟦hex|2⟧:⟦hex|4⟧::⟦hex|3⟧/64 scope global dynamic
$ ping6 -c1 ⟦dip6⟧
PING ⟦dip6⟧ 56 data bytes""",
)

N(
    "D",
    "redis_monitor",
    "en",
    "cache_keys",
    '''⟦epoch⟧.⟦n|100000|999999⟧ [0 ⟦pip⟧:⟦n|30000|65000⟧] "GET" "v2:feed:⟦n|1000|99999⟧:1"
⟦epoch⟧.⟦n|100000|999999⟧ [0 ⟦pip⟧:⟦n|30000|65000⟧] "SETEX" "page:/products/⟦n|1|999⟧:⟦hex|16⟧" "600" "<html>..."
⟦epoch⟧.⟦n|100000|999999⟧ [0 ⟦pip⟧:⟦n|30000|65000⟧] "INCR" "ratelimit:⟦hex|16⟧:⟦epoch⟧"''',
)

N(
    "D",
    "blockchain_log",
    "en",
    "crypto_wallet_addresses",
    """⟦ts⟧ INFO  watcher: incoming tx ⟦hex|64⟧ to ⟦eth⟧ value=⟦float⟧ ETH confirmations=⟦n|1|12⟧
⟦ts⟧ INFO  watcher: incoming tx ⟦hex|64⟧ to ⟦btc⟧ value=0.00⟦n|1000|9999⟧ BTC confirmations=⟦n|1|6⟧""",
)

N(
    "D",
    "ci_log",
    "en",
    "redacted_secrets",
    """Run ./deploy.sh
  env:
    AWS_ACCESS_KEY_ID: ***
    AWS_SECRET_ACCESS_KEY: ***
    SLACK_WEBHOOK: ***
+ aws s3 sync dist/ s3://⟦word⟧-site-⟦n|10|99⟧ --delete
upload: dist/index.html to s3://⟦word⟧-site/index.html
Deploy finished in ⟦n|20|300⟧s""",
)

N(
    "D",
    "shell_session",
    "en",
    "mac_addresses",
    """$ arp -a
? (⟦pip⟧) at ⟦mac⟧ [ether] on eth0
? (⟦pip⟧) at ⟦mac⟧ [ether] on eth0
_gateway (⟦pip⟧) at ⟦mac⟧ [ether] on eth0""",
)

N(
    "D",
    "audit_log",
    "en",
    "usernames",
    """⟦ts⟧ audit: user=⟦user⟧ action=role.grant target=⟦user⟧ role=viewer result=ok
⟦ts⟧ audit: user=⟦user⟧ action=password.change target=self result=ok
⟦ts⟧ audit: user=⟦user⟧ action=mfa.enroll method=totp result=ok""",
)

N(
    "D",
    "shell_session",
    "en",
    "public_keys",
    """$ cat ~/.ssh/id_ed25519.pub
⟦sshpub|ed⟧
$ ssh-keygen -lf ~/.ssh/id_ed25519.pub
256 ⟦fingerprint⟧ ⟦user⟧ (ED25519)""",
)


# ---- extra card-bearing templates
P(
    "D",
    "payment_debug_log",
    "en",
    """⟦ts⟧ DEBUG gateway.request {"merchant":"⟦word⟧","pan":"⟦CC|any|plain⟧","exp":"2⟦n|6|9⟧0⟦n|1|9⟧","amount":⟦n|100|99999⟧,"currency":"EUR"}
⟦ts⟧ DEBUG gateway.response {"status":"approved","auth_code":"⟦alnum|6⟧","rrn":"⟦order⟧"}
⟦ts⟧ DEBUG gateway.request {"merchant":"⟦word⟧","pan":"⟦CC|any|plain⟧","exp":"2⟦n|6|9⟧1⟦n|0|2⟧","amount":⟦n|100|99999⟧,"currency":"EUR"}
⟦ts⟧ DEBUG gateway.response {"status":"declined","reason":"insufficient_funds"}""",
)

P(
    "C",
    "email",
    "de",
    """Betreff: Reservierung ⟦n|1000|9999⟧ – Garantie per Kreditkarte

Sehr geehrte Damen und Herren,

für die Reservierung vom ⟦date_eu⟧ (2 Nächte, Doppelzimmer) garantiere ich mit meiner Kreditkarte:
Karteninhaber: ⟦name⟧
Nummer: ⟦CC|mc|space⟧
Gültig bis: 0⟦n|1|9⟧/2⟦n|6|9⟧

Ankunft voraussichtlich gegen 22 Uhr. Bitte bestätigen Sie an ⟦E⟧.

Freundliche Grüße""",
)

P(
    "C",
    "chat_log",
    "cs",
    """⟦first⟧: pošli mi číslo firemní karty, objednám ty letenky
⟦first⟧: ⟦CC|visa|space⟧, platnost 0⟦n|1|9⟧/2⟦n|6|9⟧
⟦first⟧: a CVC?
⟦first⟧: zavolám ti""",
)

P(
    "A",
    "shared_spreadsheet",
    "en",
    """Travel bookings Q⟦n|1|4⟧ (export)

Traveller	Route	Date	Card used	Booked by
⟦name⟧	BER–LIS	⟦date⟧	⟦CC|amex|plain⟧	⟦E|org⟧
⟦name⟧	VIE–OSL	⟦date⟧	⟦CC|visa|plain⟧	⟦E|org⟧
⟦name⟧	WAW–BCN	⟦date⟧	⟦CC|mc|plain⟧	⟦E|org⟧""",
)

P(
    "B",
    "fixture_json",
    "en",
    """{
  "customers": [
    {"id": ⟦n|1|999⟧, "email": "⟦E⟧", "default_card": {"number": "⟦CC|visa|plain⟧", "exp_month": ⟦n|1|12⟧, "exp_year": 20⟦n|26|31⟧}},
    {"id": ⟦n|1000|1999⟧, "email": "⟦E⟧", "default_card": {"number": "⟦CC|discover|plain⟧", "exp_month": ⟦n|1|12⟧, "exp_year": 20⟦n|26|31⟧}}
  ]
}""",
)

P(
    "D",
    "soap_request",
    "en",
    """<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
  <soapenv:Body>
    <Authorize>
      <MerchantId>⟦alnum|10⟧</MerchantId>
      <Password>⟦S|pwa⟧</Password>
      <CardNumber>⟦CC|any|plain⟧</CardNumber>
      <Amount>⟦amount⟧</Amount>
    </Authorize>
  </soapenv:Body>
</soapenv:Envelope>""",
)

P(
    "C",
    "chat_log",
    "ro",
    """⟦first⟧: îmi dai datele cardului pentru abonamentul de hosting?
⟦first⟧: ⟦CC|mc|space⟧ exp 1⟦n|0|2⟧/2⟦n|6|9⟧
⟦first⟧: mersi, gata plătit""",
)

P(
    "A",
    "forum_post",
    "es",
    """¿Alguien más con cargos raros de una suscripción?

Me aparecen cargos de ⟦amount⟧ € cada mes que yo no autoricé. La tarjeta es ⟦CC|visa|dash⟧ (ya la bloqueé, por eso la pongo). El banco dice que abra una disputa. ¿Qué hicieron ustedes?""",
)

P(
    "C",
    "ticket",
    "ja",
    """問い合わせ ⟦ticket⟧：二重請求について

お客様 ⟦last⟧ 様より、カード番号 ⟦CC|jcb|space⟧ に同じ金額（⟦n|1000|50000⟧円）が二回請求されたとのご連絡。返金手続き中。連絡先：⟦E⟧""",
)


# ---- long documents: the secret is one line among many
P(
    "D",
    "app_log",
    "en",
    """⟦lines|log|10|14⟧
⟦ts⟧ DEBUG [smtp] AUTH PLAIN user=⟦E|role⟧ pass=⟦S|pwa⟧
⟦lines|log|8|12⟧""",
)

P(
    "A",
    "readme",
    "en",
    """# ⟦word⟧-platform

⟦company⟧'s internal platform for ⟦word⟧ and ⟦word⟧ workloads.

⟦lines|md|5|7⟧

## Local setup

```bash
cp .env.example .env
# ask in #platform for the shared dev token, or use mine for now:
echo "DEV_API_TOKEN=⟦S|tok⟧" >> .env
docker compose up -d
```

⟦lines|md|4|6⟧
""",
)

P(
    "C",
    "email_thread",
    "en",
    """From: ⟦name⟧ <⟦E|org⟧>
Sent: ⟦date⟧ ⟦time⟧
Subject: RE: RE: migration weekend — final plan

All,

final plan below. Please read it fully before Saturday.

1. Freeze starts Friday 18:00. No deploys after that.
2. ⟦first⟧ takes the DB snapshot, ⟦first⟧ verifies it.
3. DNS TTLs are already lowered to 300s.
4. Cutover of the load balancer to ⟦IP⟧ at 02:00 Saturday.
5. Smoke tests by QA, checklist in the wiki.
6. If anything goes wrong, we roll back to the old LB (⟦IP⟧) — decision by ⟦first⟧ only.

Access for the war room: the bridge PIN is ⟦S|pin⟧, and the break-glass admin account on the new cluster is "breakglass" with password ⟦S|pw⟧ (rotated on Monday).

Food will be ordered. Thanks everyone.

-----Original Message-----
From: ⟦name⟧ <⟦E|org⟧>
Sent: ⟦date⟧
Subject: RE: migration weekend — final plan

Looks good, only question: who calls the hosting provider if the cross-connect is down? Their NOC is ⟦E|role⟧.

-----Original Message-----
From: ⟦name⟧ <⟦E|org⟧>
Subject: migration weekend — final plan

Draft attached, comments by Wednesday please.""",
)

P(
    "B",
    "k8s_manifest",
    "en",
    """apiVersion: v1
kind: Namespace
metadata:
  name: ⟦word⟧
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ⟦word⟧-config
  namespace: ⟦word⟧
data:
  LOG_LEVEL: info
  UPSTREAM_URL: http://⟦word⟧.svc.cluster.local:8080
  FEATURE_FLAGS: "search-v2,bulk-export"
---
apiVersion: v1
kind: Secret
metadata:
  name: ⟦word⟧-tokens
  namespace: ⟦word⟧
type: Opaque
data:
  api-token: ⟦S|k8s_tok⟧
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ⟦word⟧-api
  namespace: ⟦word⟧
spec:
  replicas: ⟦n|2|6⟧
  selector:
    matchLabels: { app: ⟦word⟧-api }
  template:
    metadata:
      labels: { app: ⟦word⟧-api }
    spec:
      containers:
        - name: api
          image: registry.⟦domain⟧/⟦word⟧-api:⟦ver⟧
          ports: [{ containerPort: 8080 }]
          envFrom:
            - configMapRef: { name: ⟦word⟧-config }
          resources:
            requests: { cpu: 100m, memory: 256Mi }
            limits: { cpu: "1", memory: 1Gi }
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
---
apiVersion: v1
kind: Service
metadata:
  name: ⟦word⟧-api
  namespace: ⟦word⟧
spec:
  selector: { app: ⟦word⟧-api }
  ports: [{ port: 80, targetPort: 8080 }]
""",
)

N("D", "app_log", "en", "request_ids", """⟦lines|log|16|22⟧""")

N(
    "A",
    "readme",
    "en",
    "placeholders",
    """# ⟦word⟧-sdk

Official client for the ⟦company⟧ API.

⟦lines|md|5|8⟧

## Authentication

```python
from ⟦word⟧_sdk import Client
client = Client(api_key="YOUR_API_KEY")   # or set ⟦word⟧_API_KEY in the environment
```

⟦lines|md|3|5⟧
""",
)


# ================================================================ main
GROUP_SHARE = {"A": 0.30, "B": 0.30, "C": 0.25, "D": 0.15}
GROUP_NAMES = {
    "A": "web/blog/forum/Q&A/docs/README",
    "B": "code/config/notebook/CI/infra/diff",
    "C": "e-mail/chat/ticket/notes/shared doc",
    "D": "logs/shell/HTTP/dumps",
}
TOTAL = 1200
NEG_WEIGHT = 1.25  # negatives get a little more variants than positives within a group
MAX_TRIES = 40


def allot():
    counts = [0] * len(TEMPLATES)
    for g, share in GROUP_SHARE.items():
        idx = [i for i, t in enumerate(TEMPLATES) if t[0] == g]
        target = round(TOTAL * share)
        w = {i: (NEG_WEIGHT if TEMPLATES[i][3] != "positive" else 1.0) for i in idx}
        tw = sum(w.values())
        for i in idx:
            counts[i] = max(2, int(target * w[i] / tw))
        order = idx[:]
        R.shuffle(order)
        k = 0
        while sum(counts[i] for i in idx) < target:
            counts[order[k % len(order)]] += 1
            k += 1
    return counts


def check_record(rec, gens):
    text, spans = rec["text"], rec["spans"]
    if rec["category"] == "positive":
        assert spans, rec["id"]
    else:
        assert not spans, rec["id"]
    prev_end = -1
    for s, g in zip(spans, gens):
        v = text[s["start"] : s["end"]]
        assert s["start"] >= prev_end, ("overlap", rec["id"])
        prev_end = s["end"]
        assert v and v == v.strip(), (rec["id"], v)
        if s["entity"] == "IP_ADDRESS":
            assert is_public_ip(v), (rec["id"], v)
            assert "/" not in v and "[" not in v, v
            if ":" not in v:
                assert text[s["end"] : s["end"] + 1] != "/" or True
        elif s["entity"] == "CREDIT_CARD":
            d = re.sub(r"[ -]", "", v)
            assert d.isdigit() and luhn_ok(d) and card_brand(d), (rec["id"], v)
            assert re.fullmatch(r"\d+(?:[ -]\d+)*", v), v
        elif s["entity"] == "EMAIL_ADDRESS":
            m = EMAIL_RE.fullmatch(v)
            assert m and not reserved_domain(m.group(1)), (rec["id"], v)
        elif s["entity"] == "SECRET":
            low = v.lower()
            assert "example" not in low and "xxxx" not in low and "your_" not in low, (rec["id"], v)
            assert not v.startswith(("Bearer ", "Basic ", "token ", "base64:")), v
            if g in PASSWORD_GENS:
                assert v[0].isalnum() and v[-1] not in BADEND and _pw_ok(v), (rec["id"], v)
        else:
            raise AssertionError(s["entity"])
    hits = scan(blank_spans(text, spans))
    assert not hits, (rec["id"], hits)


def main():
    counts = allot()
    records, seen_texts, seen_ids = [], set(), set()
    retries = 0
    gens_used = Counter()
    for ti, (group, ctx, lang, cat, tmpl) in enumerate(TEMPLATES, 1):
        has_lab = bool(re.search(r"⟦(S|E|IP|IP6|CC)(\||⟧|@)", tmpl))
        assert has_lab == (cat == "positive"), ("template label mismatch", ti, ctx)
        for vi in range(1, counts[ti - 1] + 1):
            for attempt in range(MAX_TRIES):
                text, spans = render(tmpl)
                if text in seen_texts:
                    retries += 1
                    continue
                if scan(blank_spans(text, spans)):
                    retries += 1
                    continue
                break
            else:
                raise AssertionError("could not render template %d cleanly" % ti)
            rid = "t32-%03d-%d" % (ti, vi)
            gens = [s["_gen"] for s in spans]
            for s in spans:
                assert text[s["start"] : s["end"]] == s.pop("_value")
                s.pop("_gen")
            rec = {"id": rid, "text": text, "lang": lang, "context": ctx, "category": cat, "spans": spans}
            check_record(rec, gens)
            assert rid not in seen_ids
            seen_ids.add(rid)
            seen_texts.add(text)
            gens_used.update(g for g in gens if g not in ("email", "ip4", "ip6", "card"))
            rec["_group"] = group
            records.append(rec)

    # ---- global checks
    ent = Counter(s["entity"] for r in records for s in r["spans"])
    neg = [r for r in records if r["category"] != "positive"]
    negcats = Counter(r["category"] for r in neg)
    langs = Counter(r["lang"] for r in records)
    vendor = sorted(g for g in gens_used if g in SG and SG[g][1])
    vendor_formats = {g for g in vendor if not g.startswith(("privkey", "jwt_"))} | (
        {"private_key_block"} if any(g.startswith("privkey") for g in vendor) else set()
    )
    assert len(records) >= 1150, len(records)
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 200 and ent["IP_ADDRESS"] >= 200 and ent["CREDIT_CARD"] >= 80
    ), ent
    assert len(neg) >= 500 and len(negcats) >= 35, (len(neg), len(negcats))
    assert len(langs) >= 31, len(langs)
    assert len(TEMPLATES) >= 300, len(TEMPLATES)
    assert len(vendor_formats) >= 40, len(vendor_formats)
    assert len({r["text"] for r in records}) == len(records)
    assert len({r["id"] for r in records}) == len(records)

    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            r = {k: v for k, v in r.items() if not k.startswith("_")}
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    # ---- re-read and re-check what was written
    with open(OUT, encoding="utf-8") as f:
        back = [json.loads(l) for l in f]
    assert len(back) == len(records)
    for r in back:
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"])

    grp = Counter(r["_group"] for r in records)
    print("wrote", OUT)
    print(
        "templates:",
        len(TEMPLATES),
        " records:",
        len(records),
        " positive:",
        len(records) - len(neg),
        " hard negative:",
        len(neg),
    )
    print("re-draws for scanner/duplicate hits:", retries)
    print("spans per entity:", dict(ent), " total:", sum(ent.values()))
    print(
        "source groups:",
        {GROUP_NAMES[g]: "%d (%.1f%%)" % (n, 100.0 * n / len(records)) for g, n in sorted(grp.items())},
    )
    print("hard-negative categories (%d):" % len(negcats), dict(sorted(negcats.items())))
    print("languages (%d):" % len(langs), dict(langs.most_common()))
    ctxs = Counter(r["context"] for r in records)
    print("contexts (%d):" % len(ctxs), dict(ctxs.most_common()))
    print("vendor token formats used (%d):" % len(vendor_formats), ", ".join(sorted(vendor_formats)))
    print("secret generators used:", dict(gens_used.most_common()))


if __name__ == "__main__":
    main()
