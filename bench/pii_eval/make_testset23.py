#!/usr/bin/env python3
"""Generator for PII/secret detector test set 23 (blind hold-out set).

What it does
------------
Writes /work/holdout/pii_testset23.jsonl: about 1200 labelled records of the
form {"id", "text", "lang", "context", "category", "spans"} for four entity
types (EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET).  The emphasis is on
places where secrets leak in practice: public repositories (config files, CI
pipelines, notebooks, test fixtures, commit diffs, Dockerfiles, IaC), pastes
and gists, Q&A posts, issue trackers, chat exports and documentation pages,
plus hard negatives taken from the same kinds of sources (placeholders,
hashes, identifiers, public keys, env references, test vectors, masked
values ...).  Natural-language texts come in 35 languages besides English.

Every template is a string that contains placeholders written as
``⟦kind⟧`` or ``⟦kind=tag⟧`` (the tag re-uses the same value inside one
record).  Each kind has a generator (standard library only, driven by
``random.Random(232323)``) and either an entity label or None (unlabelled
filler such as user names, private IPs, hashes, reserved e-mail addresses).
Span offsets are recorded while the text is assembled, never searched for
afterwards.  Every template is rendered VARIANTS (=3) times, each time with fresh
random values; ids are ``t23-<template#>-<variant#>``.  All values are
random and fake; no real people's data and no real keys are used.

Checks (all fatal, asserted at the end over the final records)
---------------------------------------------------------------
* text[start:end] equals the value inserted for every span; spans sorted
  and non-overlapping; entities limited to the four types.
* every labelled IP parses, is_global, not multicast/reserved, and not in a
  documentation range (192.0.2/24, 198.51.100/24, 203.0.113/24,
  2001:db8::/32).
* every labelled card is Luhn-valid with a real brand prefix and length
  (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay); separators are
  only spaces or dashes.
* every labelled e-mail has a non-reserved domain.
* labelled secrets: no vendor example/placeholder markers, passwords do not
  start with a symbol and never end in . , ! ? : ;
* ids unique, texts unique, positives have >= 1 span, negatives have none,
  category/lang/context are non-empty snake_case / ISO codes.
* span boundaries are token boundaries: no ASCII letter/digit directly
  before or after a span.
* a simple scanner runs over every negative text and over the unlabelled
  parts of every positive text (labelled spans blanked out) and must find no
  public IPv4 / IPv6 address, no Luhn-valid brand-prefixed card number
  (13-19 digits, optionally grouped with spaces/dashes) and no e-mail
  address on a non-reserved domain.  The only exception (not tied to a
  category) is that ``scheme://user@host`` URL userinfo is not treated as an
  e-mail address by the scanner.  When a random draw trips the scanner (e.g. a random digit run
  that happens to be Luhn-valid) the variant is re-drawn deterministically;
  the final assertions run again over the complete output.
* corpus-level targets: >= 300 templates, >= 600 SECRET, >= 150 e-mail,
  >= 150 IP, >= 60 card spans, >= 500 negative records in >= 35
  categories, >= 25 languages, >= 40 vendor token formats.
"""

import base64
import ipaddress
import json
import os
import re
import random
import string
import sys
from collections import Counter

SEED = 232323
VARIANTS = 3
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset23.jsonl")

R = random.Random(SEED)

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"


def rs(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def rsn(chars, n):
    """random string without long digit runs (keeps scanners quiet)."""
    while True:
        s = rs(chars, n)
        if not re.search(r"\d{9}", s):
            return s


def b64(data, url=False, pad=True):
    s = (base64.urlsafe_b64encode(data) if url else base64.b64encode(data)).decode()
    return s if pad else s.rstrip("=")


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


# ---------------------------------------------------------------- people
FIRST = [
    "anna",
    "jonas",
    "lea",
    "mateo",
    "sofia",
    "lukas",
    "emma",
    "noah",
    "mia",
    "elias",
    "chloe",
    "hugo",
    "lucia",
    "marco",
    "giulia",
    "pedro",
    "ines",
    "joao",
    "sanne",
    "bram",
    "freja",
    "oskar",
    "aino",
    "eero",
    "kasia",
    "tomasz",
    "petra",
    "jakub",
    "zsofia",
    "bence",
    "ioana",
    "andrei",
    "elif",
    "emre",
    "olga",
    "dmitri",
    "oksana",
    "taras",
    "eleni",
    "nikos",
    "yuki",
    "haruto",
    "wei",
    "li",
    "minji",
    "joon",
    "omar",
    "layla",
    "noa",
    "itai",
    "priya",
    "arjun",
    "siti",
    "budi",
    "linh",
    "minh",
    "nok",
    "somchai",
    "ivana",
    "marko",
    "ingrid",
    "magnus",
    "teresa",
    "rafael",
    "camille",
    "theo",
    "nadia",
    "karim",
    "fatima",
    "samuel",
]
LAST = [
    "keller",
    "brandt",
    "moreau",
    "garcia",
    "rossi",
    "silva",
    "devries",
    "lindqvist",
    "nielsen",
    "virtanen",
    "nowak",
    "novak",
    "horvath",
    "popescu",
    "yilmaz",
    "ivanova",
    "kovalenko",
    "papadakis",
    "tanaka",
    "chen",
    "park",
    "haddad",
    "levi",
    "sharma",
    "santoso",
    "nguyen",
    "wongsakul",
    "petrov",
    "berg",
    "hansen",
    "fischer",
    "dubois",
    "martin",
    "costa",
    "bianchi",
    "jansen",
    "kowalski",
    "szabo",
    "demir",
    "sato",
    "kim",
]
DOMAINS_CO = [
    "nordlicht-logistik.de",
    "brightpath.io",
    "atelier-verne.fr",
    "solmarea.es",
    "vetrocasa.it",
    "pontoalto.com.br",
    "kanaalwerk.nl",
    "fjordbyte.se",
    "lunde-ost.dk",
    "taivas-soft.fi",
    "wisla-tech.pl",
    "modrapostel.cz",
    "dunaflow.hu",
    "carpatia-it.ro",
    "marmara-yazilim.com.tr",
    "volga-data.ru",
    "dnipro-dev.com.ua",
    "aigaio-net.gr",
    "sakura-works.co.jp",
    "lanshan-tech.cn",
    "hanbit-soft.co.kr",
    "nakhla-systems.ae",
    "galil-labs.co.il",
    "ganga-infotech.in",
    "nusantara-digital.co.id",
    "saigon-cloud.vn",
    "chaophraya-dev.co.th",
    "harborline.co.uk",
    "maplegrove.ca",
    "kookaburra-it.com.au",
    "quillstack.com",
    "tinroofanalytics.com",
    "pebblecart.shop",
    "greenbayfreight.com",
    "orbitalfinch.dev",
    "helmsman-ops.net",
    "corvid-studio.org",
    "alpenblick-hotel.at",
    "lacmeridien.ch",
    "ubuntuworks.co.za",
]
DOMAINS_FREE = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "icloud.com",
    "proton.me",
    "gmx.de",
    "web.de",
    "t-online.de",
    "orange.fr",
    "free.fr",
    "libero.it",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "yandex.ru",
    "mail.ru",
    "ukr.net",
    "naver.com",
    "qq.com",
    "163.com",
    "yahoo.co.jp",
    "uol.com.br",
    "freemail.hu",
    "gmx.at",
    "bluewin.ch",
]
RESERVED_EMAIL_DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "shop.test",
    "corp.invalid",
    "acme.example",
    "dev.localhost",
]


def g_email():
    f, l = R.choice(FIRST), R.choice(LAST)
    style = R.randrange(6)
    local = [
        f + "." + l,
        f[0] + l,
        f + "_" + l + str(R.randint(1, 99)),
        l + "." + f,
        f + str(R.randint(70, 99)),
        f + "-" + l,
    ][style]
    dom = R.choice(DOMAINS_CO if R.random() < 0.6 else DOMAINS_FREE)
    if R.random() < 0.15:
        local = R.choice(["billing", "security", "devops", "support", "hr", "accounts", "it-admin", "kontakt", "info"])
        dom = R.choice(DOMAINS_CO)
    return local + "@" + dom


def g_remail():
    local = R.choice(
        [
            "user",
            "jane.doe",
            "john",
            "admin",
            "test",
            "alice",
            "bob",
            "dev",
            "noreply",
            "someone",
            "max.mustermann",
            "foo",
            "you",
        ]
    ) + R.choice(["", "", str(R.randint(1, 9))])
    return local + "@" + R.choice(RESERVED_EMAIL_DOMAINS)


def g_name():
    return R.choice(FIRST).capitalize() + " " + R.choice(LAST).capitalize()


def g_first():
    return R.choice(FIRST).capitalize()


def g_user():
    return R.choice(
        [
            R.choice(FIRST) + R.choice(["", "_", "."]) + R.choice(LAST)[: R.randint(1, 6)],
            R.choice(
                [
                    "deploy",
                    "svc_app",
                    "admin",
                    "ci-bot",
                    "backup",
                    "grafana",
                    "app_rw",
                    "readonly",
                    "jenkins",
                    "root",
                    "postgres",
                    "etl_user",
                    "sa_report",
                ]
            ),
            R.choice(FIRST) + str(R.randint(1, 99)),
        ]
    )


# ---------------------------------------------------------------- hosts / ips
def g_host():
    return (
        R.choice(["db", "api", "cache", "mq", "web", "auth", "search", "files", "ci", "vpn"])
        + "-"
        + R.choice(["prod", "stg", "dev", "eu1", "us2", "int"])
        + "-"
        + "%02d" % R.randint(1, 40)
        + R.choice([".internal", ".corp.local", ".svc.cluster.local", ".lan", ".intra"])
    )


def g_domain():
    return R.choice(DOMAINS_CO)


def g_pubhost():
    return R.choice(["api", "app", "portal", "git", "registry", "sso", "mail", "shop", "status"]) + "." + g_domain()


PUB_FIRST = [
    2,
    5,
    23,
    31,
    37,
    45,
    46,
    51,
    52,
    62,
    64,
    66,
    77,
    78,
    80,
    81,
    82,
    83,
    84,
    85,
    86,
    87,
    88,
    89,
    91,
    92,
    93,
    94,
    95,
    104,
    109,
    128,
    130,
    134,
    141,
    142,
    145,
    151,
    152,
    157,
    158,
    176,
    178,
    185,
    188,
    193,
    194,
    195,
    212,
    213,
    217,
]
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def is_public_ip(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return False
    if any(a in n for n in DOC_NETS if n.version == a.version):
        return False
    return a.is_global and not a.is_multicast and not a.is_reserved and not a.is_private


def g_ip4():
    while True:
        s = "%d.%d.%d.%d" % (R.choice(PUB_FIRST), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if is_public_ip(s):
            return s


def g_ip6():
    while True:
        pre = R.choice(
            [
                "2a01:4f8",
                "2a00:1450",
                "2600:1f18",
                "2604:a880",
                "2a03:2880",
                "2001:41d0",
                "2a02:c207",
                "2400:cb00",
                "2a0e:97c0",
                "2606:4700",
            ]
        )
        groups = ["%x" % R.randint(0, 0xFFFF) for _ in range(R.choice([2, 3, 6]))]
        s = pre + (":" + ":".join(groups) if len(groups) == 6 else "::" + ":".join(groups))
        s = str(ipaddress.ip_address(s))
        if is_public_ip(s):
            return s


def g_ip():
    return g_ip6() if R.random() < 0.2 else g_ip4()


def g_pip():
    return R.choice(
        [
            "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
            "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254)),
            "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254)),
        ]
    )


def g_dip():
    return R.choice(["192.0.2.%d", "198.51.100.%d", "203.0.113.%d"]) % R.randint(1, 254)


def g_dip6():
    return "2001:db8:%x::%x" % (R.randint(0, 0xFFFF), R.randint(1, 0xFFFF))


def g_sip():
    return R.choice(
        [
            "127.0.0.1",
            "127.0.%d.%d" % (R.randint(0, 9), R.randint(1, 200)),
            "169.254.%d.%d" % (R.randint(1, 254), R.randint(1, 254)),
            "0.0.0.0",
            "224.0.0.%d" % R.randint(1, 250),
            "::1",
            "fe80::%x:%x" % (R.randint(1, 0xFFFF), R.randint(1, 0xFFFF)),
            "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254)),
            "fd%02x:%x::%x" % (R.randint(0, 255), R.randint(1, 0xFFFF), R.randint(1, 0xFFF)),
        ]
    )


def g_mac():
    return ":".join("%02x" % R.randint(0, 255) for _ in range(6))


# ---------------------------------------------------------------- cards
BRANDS = {  # name: (prefix generator, length, grouping)
    "visa": (lambda: "4", 16, (4, 4, 4, 4)),
    "mc": (lambda: R.choice(["51", "52", "53", "54", "55", str(R.randint(2221, 2720))]), 16, (4, 4, 4, 4)),
    "amex": (lambda: R.choice(["34", "37"]), 15, (4, 6, 5)),
    "discover": (lambda: R.choice(["6011", "65", str(R.randint(644, 649))]), 16, (4, 4, 4, 4)),
    "jcb": (lambda: str(R.randint(3528, 3589)), 16, (4, 4, 4, 4)),
    "diners": (lambda: R.choice(["36", "38", str(R.randint(300, 305))]), 14, (4, 6, 4)),
    "unionpay": (lambda: "62" + str(R.randint(1, 9)), 16, (4, 4, 4, 4)),
}


def luhn_ok(num):
    tot = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return tot % 10 == 0


def luhn_complete(body):
    for c in "0123456789":
        if luhn_ok(body + c):
            return body + c


def card_brand(num):
    L = len(num)
    p2, p3, p4 = int(num[:2]), int(num[:3]), int(num[:4])
    if num[0] == "4" and L in (13, 16, 19):
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


def make_card(brand=None, fmt=None):
    brand = brand or R.choice(["visa", "visa", "visa", "mc", "mc", "amex", "discover", "jcb", "diners", "unionpay"])
    pre, L, grp = BRANDS[brand]
    p = pre()
    num = luhn_complete(p + rs(DG, L - len(p) - 1))
    fmt = fmt or R.choice(["plain", "space", "space", "dash"])
    if fmt == "plain":
        return num
    out, i = [], 0
    for g in grp:
        out.append(num[i : i + g])
        i += g
    return (" " if fmt == "space" else "-").join(out)


def g_card_bad():
    """16 digits with Visa/MC prefix that fail Luhn (negative)."""
    body = R.choice(["4", "5" + str(R.randint(1, 5))])
    body += rs(DG, 15 - len(body))
    good = luhn_complete(body)
    bad = body + str((int(good[-1]) + R.randint(1, 9)) % 10)
    assert not luhn_ok(bad)
    return " ".join(bad[i : i + 4] for i in range(0, 16, 4)) if R.random() < 0.5 else bad


def g_card_masked():
    return R.choice(["**** **** **** %04d", "XXXX-XXXX-XXXX-%04d", "•••• %04d", "************%04d"]) % R.randint(
        0, 9999
    )


# ---------------------------------------------------------------- passwords
SYM = "-_#%*+=~^!$&"
WORDS = [
    "lantern",
    "orbit",
    "maple",
    "harbor",
    "violet",
    "canyon",
    "pebble",
    "falcon",
    "copper",
    "meadow",
    "thunder",
    "saffron",
    "glacier",
    "marble",
    "willow",
    "ember",
    "quartz",
    "tundra",
    "nimbus",
    "juniper",
    "cobalt",
    "otter",
    "prairie",
    "velvet",
    "zephyr",
    "basalt",
    "sorrel",
]


def g_pw(symbols=SYM, lo=10, hi=18):
    while True:
        n = R.randint(lo, hi)
        pool = AN + symbols
        s = R.choice(AN) + "".join(R.choice(pool) for _ in range(n - 2)) + R.choice(AN)
        classes = sum([any(c in LO for c in s), any(c in UP for c in s), any(c in DG for c in s)])
        if classes >= 2 and not re.search(r"\d{6}", s) and "example" not in s.lower():
            return s


def g_pwu():
    return g_pw("-_~")


def g_pwa():
    return g_pw("", 12, 20)


def g_phrase():
    sep = R.choice(["-", "_", ".", "+"])
    ws = R.sample(WORDS, R.randint(3, 4))
    ws.insert(R.randrange(1, len(ws) + 1), str(R.randint(2, 999)))
    if R.random() < 0.3:
        ws = [w.capitalize() for w in ws]
    return sep.join(ws)


def g_pin():
    while True:
        s = rs(UP + DG, R.randint(6, 8))
        if any(c in DG for c in s) and any(c in UP for c in s):
            return s


def g_psk():
    return R.choice([g_phrase, lambda: g_pw("", 16, 24)])()


# ---------------------------------------------------------------- secret formats
def jwt():
    hdr = b64(
        json.dumps({"alg": R.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}, separators=(",", ":")).encode(),
        True,
        False,
    )
    payload = {"sub": rs(DG + LO, 12), "iat": R.randint(1690000000, 1730000000)}
    payload["exp"] = payload["iat"] + R.choice([900, 3600, 86400])
    if R.random() < 0.5:
        payload["role"] = R.choice(["admin", "service", "user", "ci"])
    if R.random() < 0.4:
        payload["iss"] = "https://" + g_pubhost()
    pl = b64(json.dumps(payload, separators=(",", ":")).encode(), True, False)
    return hdr + "." + pl + "." + b64(rbytes(32), True, False)


PK_PREFIX = {
    "RSA PRIVATE KEY": "MIIEowIBAAKCAQEA",
    "EC PRIVATE KEY": "MHcCAQEEI",
    "PRIVATE KEY": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ",
    "OPENSSH PRIVATE KEY": "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAA",
    "ENCRYPTED PRIVATE KEY": "MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI",
    "DSA PRIVATE KEY": "MIIBuwIBAAKBgQ",
}


def privkey(kind=None, sep="\n", nlines=None):
    kind = kind or R.choice(list(PK_PREFIX))
    nlines = nlines or (R.randint(3, 5) if kind == "EC PRIVATE KEY" else R.randint(7, 14))
    width = 70 if kind == "OPENSSH PRIVATE KEY" else 64
    body = PK_PREFIX[kind] + rs(B64, width * nlines - len(PK_PREFIX[kind]) - R.randint(5, 40))
    if len(body) % 4 == 1:
        body = body[:-1]
    body += "=" * ((-len(body)) % 4)
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    return sep.join(["-----BEGIN %s-----" % kind] + lines + ["-----END %s-----" % kind])


def pub_block():
    body = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + rs(B64, 64 * 6 - 44 - 8) + "IDAQAB"
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join(["-----BEGIN PUBLIC KEY-----"] + lines + ["-----END PUBLIC KEY-----"])


def cert_block():
    body = "MIID" + rs(B64, 64 * R.randint(8, 12) - 10) + "=="
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join(["-----BEGIN CERTIFICATE-----"] + lines + ["-----END CERTIFICATE-----"])


def ssh_pub():
    if R.random() < 0.5:
        return (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
            + rs(B64, 43)
            + " "
            + R.choice(FIRST)
            + "@"
            + R.choice(["laptop", "build-box", "wsl", "macbook"])
        )
    return (
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ"
        + rs(B64, 300)
        + "= "
        + R.choice(FIRST)
        + "@"
        + R.choice(["laptop", "ci-runner", "jump"])
    )


def mapbox(prefix):
    u = R.choice(FIRST) + R.choice(["maps", "geo", ""]) + str(R.randint(1, 99))
    mid = b64(json.dumps({"u": u, "a": rs(LO + DG, 25)}, separators=(",", ":")).encode(), True, False)
    return prefix + "." + mid + "." + rs(B64U, 22)


def discord():
    uid = str(R.randint(10**17, 9 * 10**17))
    return b64(uid.encode(), False, False) + "." + rs(B64U, 6) + "." + rs(B64U, 38)


def basic_b64():
    return b64((g_user() + ":" + g_pw()).encode())


def k8s_b64():
    return b64(g_pw().encode())


def rnd_upper_digits(n):
    return rsn(UP + "234567", n)


SECRET_FORMATS = {
    # name: generator  (vendor formats that exist in the wild)
    "aws_akid": lambda: "AKIA" + rnd_upper_digits(16),
    "aws_asia": lambda: "ASIA" + rnd_upper_digits(16),
    "aws_sk": lambda: rs(B64, 40),
    "ghp": lambda: "ghp_" + rsn(AN, 36),
    "gho": lambda: "gho_" + rsn(AN, 36),
    "ghs": lambda: "ghs_" + rsn(AN, 36),
    "ghu": lambda: "ghu_" + rsn(AN, 36),
    "ghr": lambda: "ghr_" + rsn(AN, 76),
    "gh_fine": lambda: "github_pat_11" + rsn(UP + DG, 20) + "_" + rsn(AN, 59),
    "glpat": lambda: "glpat-" + rsn(AN + "-_", 20),
    "glrt": lambda: "glrt-" + rsn(AN + "-_", 20),
    "glptt": lambda: "glptt-" + rsn(HEX, 40),
    "xoxb": lambda: "xoxb-%d-%d-%s" % (R.randint(10**9, 10**10), R.randint(10**11, 10**12), rsn(AN, 24)),
    "xoxp": lambda: (
        "xoxp-%d-%d-%d-%s"
        % (R.randint(10**9, 10**10), R.randint(10**9, 10**10), R.randint(10**11, 10**12), rsn(HEX, 32))
    ),
    "xapp": lambda: "xapp-1-A%s-%d-%s" % (rsn(UP + DG, 10), R.randint(10**12, 10**13), rsn(HEX, 64)),
    "slack_hook": lambda: (
        "https://hooks.slack.com/services/T%s/B%s/%s" % (rsn(UP + DG, 8), rsn(UP + DG, 10), rsn(AN, 24))
    ),
    "discord_hook": lambda: "https://discord.com/api/webhooks/%d/%s" % (R.randint(10**17, 9 * 10**17), rsn(B64U, 68)),
    "sk_live": lambda: "sk_live_" + rsn(AN, R.choice([24, 99])),
    "sk_test": lambda: "sk_test_" + rsn(AN, R.choice([24, 99])),
    "rk_live": lambda: "rk_live_" + rsn(AN, R.choice([24, 99])),
    "rk_test": lambda: "rk_test_" + rsn(AN, 24),
    "whsec": lambda: "whsec_" + rsn(AN, 32),
    "aiza": lambda: "AIza" + rsn(B64U, 35),
    "gocspx": lambda: "GOCSPX-" + rsn(B64U, 28),
    "openai": lambda: "sk-proj-" + rsn(B64U, 64) + "T3BlbkFJ" + rsn(B64U, 64),
    "openai_legacy": lambda: "sk-" + rsn(AN, 20) + "T3BlbkFJ" + rsn(AN, 20),
    "anthropic": lambda: "sk-ant-api03-" + rsn(B64U, 93) + "AA",
    "sendgrid": lambda: "SG." + rsn(B64U, 22) + "." + rsn(B64U, 43),
    "mailgun": lambda: "key-" + rsn(HEX, 32),
    "mailchimp": lambda: rsn(HEX, 32) + "-us" + str(R.randint(1, 21)),
    "brevo": lambda: "xkeysib-" + rsn(HEX, 64) + "-" + rsn(AN, 16),
    "npm": lambda: "npm_" + rsn(AN, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rsn(B64U, R.randint(120, 160)),
    "rubygems": lambda: "rubygems_" + rsn(HEX, 48),
    "nuget": lambda: "oy2" + rsn(LO + DG, 43),
    "dckr": lambda: "dckr_pat_" + rsn(B64U, 27),
    "shpat": lambda: "shpat_" + rsn(HEX, 32),
    "shpss": lambda: "shpss_" + rsn(HEX, 32),
    "dop": lambda: "dop_v1_" + rsn(HEX, 64),
    "doppler": lambda: "dp.st." + R.choice(["prd", "dev", "stg"]) + "." + rsn(AN, 40),
    "hvs": lambda: "hvs." + rsn(B64U, R.choice([24, 90])),
    "tfc": lambda: rsn(AN, 14) + ".atlasv1." + rsn(AN, 67),
    "atlassian": lambda: "ATATT3xFfGF0" + rsn(B64U, 180) + "=" + rsn("0123456789ABCDEF", 8),
    "discord": discord,
    "telegram": lambda: "%d:AA%s" % (R.randint(10**8, 7 * 10**9), rsn(B64U, 33)),
    "azure_storage": lambda: b64(rbytes(64)),
    "azure_cs": lambda: rsn(AN, 3) + R.choice(DG) + "Q~" + rsn(AN + "_-~.", 33) + R.choice(AN),
    "linear": lambda: "lin_api_" + rsn(AN, 40),
    "postman": lambda: "PMAK-" + rsn(HEX, 24) + "-" + rsn(HEX, 34),
    "newrelic": lambda: "NRAK-" + rsn(UP + DG, 27),
    "sentry": lambda: "sntryu_" + rsn(HEX, 64),
    "grafana_sa": lambda: "glsa_" + rsn(AN, 32) + "_" + rsn(HEX, 8),
    "figma": lambda: "figd_" + rsn(B64U, 40),
    "pulumi": lambda: "pul-" + rsn(HEX, 40),
    "age": lambda: "AGE-SECRET-KEY-1" + rsn("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
    "databricks": lambda: "dapi" + rsn(HEX, 32),
    "hf": lambda: "hf_" + rs(UP + LO, 34),
    "replicate": lambda: "r8_" + rsn(AN, 37),
    "pscale": lambda: "pscale_tkn_" + rsn(B64U, 43),
    "pscale_pw": lambda: "pscale_pw_" + rsn(B64U, 43),
    "airtable": lambda: "pat" + rsn(AN, 14) + "." + rsn(HEX, 64),
    "notion": lambda: "secret_" + rsn(AN, 43),
    "supabase": lambda: "sbp_" + rsn(HEX, 40),
    "square": lambda: "EAAA" + rsn(B64U, 60),
    "square_secret": lambda: "sq0csp-" + rsn(B64U, 43),
    "mapbox_sk": lambda: mapbox("sk"),
    "okta": lambda: "00" + rsn(B64U, 40),
    "fcm": lambda: "AAAA" + rsn(B64U, 7) + ":APA91b" + rsn(B64U, 134),
    "shippo": lambda: "shippo_live_" + rsn(HEX, 40),
    "dropbox": lambda: "sl." + rsn(B64U, 135),
    "contentful": lambda: "CFPAT-" + rsn(B64U, 43),
    "groq": lambda: "gsk_" + rsn(AN, 52),
    "xai": lambda: "xai-" + rsn(AN, 80),
    "perplexity": lambda: "pplx-" + rsn(AN, 48),
    "buildkite": lambda: "bkua_" + rsn(HEX, 40),
    "bitbucket": lambda: "ATBB" + rsn(AN, 32) + rsn("0123456789ABCDEF", 8),
    "adafruit": lambda: "aio_" + rsn(AN, 28),
    "alibaba_id": lambda: "LTAI" + rsn(AN, 20),
    "flutterwave": lambda: "FLWSECK-" + rsn(HEX, 32) + "-X",
    "facebook": lambda: "EAAG" + rsn(AN, 150),
    "circleci": lambda: "CCIPAT_" + rsn(AN, 22) + "_" + rsn(HEX, 40),
    "sourcegraph": lambda: "sgp_" + rsn(HEX, 40),
    "tailscale": lambda: "tskey-auth-k" + rsn(AN, 11) + "CNTRL-" + rsn(AN, 33),
    "prefect": lambda: "pnu_" + rsn(AN, 36),
    "readme": lambda: "rdme_" + rsn(LO + DG, 70),
    "duffel": lambda: "duffel_live_" + rsn(B64U, 43),
    "easypost": lambda: "EZAK" + rsn(AN, 54),
    "cloudflare_ca": lambda: "v1.0-" + rsn(HEX, 24) + "-" + rsn(HEX, 146),
    "onepassword": lambda: "ops_eyJ" + rsn(B64U, 200),
    "render": lambda: "rnd_" + rsn(AN, 32),
    "infracost": lambda: "ico-" + rsn(AN, 32),
    "netlify": lambda: "nfp_" + rsn(AN, 40),
    "typeform": lambda: "tfp_" + rsn(B64U, 59),
    "midtrans": lambda: "Mid-server-" + rsn(B64U, 24),
    "yookassa": lambda: "live_" + rsn(B64U, 40),
    "revenuecat": lambda: "sk_" + rsn(AN, 32),
    "jwt": jwt,
}

GENERIC_SECRETS = {
    "pw": g_pw,
    "pwu": g_pwu,
    "pwa": g_pwa,
    "phrase": g_phrase,
    "pin": g_pin,
    "psk": g_psk,
    "hex32": lambda: rsn(HEX, 32),
    "hex40": lambda: rsn(HEX, 40),
    "hex64": lambda: rsn(HEX, 64),
    "tok": lambda: rsn(AN, R.randint(32, 48)),
    "tok64": lambda: rsn(B64U, 43),
    "b64tok": lambda: b64(rbytes(R.choice([24, 32, 48]))),
    "uuid_secret": lambda: uuid(),
    "django_key": lambda: rsn(LO + DG, 1) + rsn(LO + DG + "!#$%^&*(-_=+)", 48) + rsn(LO + DG, 1),
    "rails_key": lambda: rsn(HEX, 128),
    "aws_st": lambda: "IQoJb3JpZ2luX2VjE" + rsn(B64, R.randint(250, 320)),
    "wg_key": lambda: b64(rbytes(32)),
    "laravel": lambda: b64(rbytes(32)),
    "fernet": lambda: b64(rbytes(32), True),
    "basic": basic_b64,
    "k8s": k8s_b64,
    "session": lambda: rsn(LO + DG, 32),
    "privkey": lambda: privkey(),
    "privkey_rsa": lambda: privkey("RSA PRIVATE KEY"),
    "privkey_ec": lambda: privkey("EC PRIVATE KEY"),
    "privkey_ssh": lambda: privkey("OPENSSH PRIVATE KEY"),
    "privkey_p8": lambda: privkey("PRIVATE KEY"),
    "privkey_json": lambda: privkey("PRIVATE KEY", "\\n"),
    "privkey_diff": lambda: privkey(None, "\n+"),
    "privkey_i4": lambda: privkey(None, "\n    "),
    "privkey_i6": lambda: privkey(None, "\n      "),
    "privkey_i8": lambda: privkey(None, "\n        "),
}


def uuid():
    h = rs(HEX, 32)
    h = h[:12] + "4" + h[13:16] + R.choice("89ab") + h[17:]
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


# ---------------------------------------------------------------- negatives fillers
def bcrypt():
    return "$2b$%02d$" % R.choice([10, 12, 14]) + rs(AN + "./", 53)


def crypt6():
    return R.choice(["$6$", "$5$", "$1$"]) + rs(AN + "./", R.randint(8, 16)) + "$" + rs(AN + "./", 86)


def argon2():
    return "$argon2id$v=19$m=65536,t=3,p=4$" + b64(rbytes(16), False, False) + "$" + b64(rbytes(32), False, False)


def cisco8():
    return "$%d$" % R.choice([8, 9]) + rs(AN + "./", 14) + "$" + rs(AN + "./", 43)


def btc():
    return "bc1q" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 38)


def eth():
    return "0x" + rsn("0123456789abcdefABCDEF", 40)


def sri():
    return R.choice(["sha384-", "sha512-"]) + b64(rbytes(48 if R.random() < 0.5 else 64))


def gpg_fpr():
    return " ".join(rs("0123456789ABCDEF", 4) for _ in range(10))


def ssh_fpr():
    return "SHA256:" + b64(rbytes(32), False, False)


def masked(prefix=""):
    return (
        prefix
        + R.choice(["****", "********", "•••••••", "xxxxxxxx", "[REDACTED]", "***redacted***"])
        + (rs(AN, 4) if R.random() < 0.5 else "")
    )


def version():
    return "%d.%d.%d" % (R.randint(0, 12), R.randint(0, 40), R.randint(0, 30))


FILLERS = {
    "email_res": g_remail,
    "name": g_name,
    "first": g_first,
    "user": g_user,
    "host": g_host,
    "domain": g_domain,
    "pubhost": g_pubhost,
    "pip": g_pip,
    "dip": g_dip,
    "dip6": g_dip6,
    "sip": g_sip,
    "mac": g_mac,
    "card_bad": g_card_bad,
    "card_masked": g_card_masked,
    "last4": lambda: "%04d" % R.randint(0, 9999),
    "pwlen": lambda: str(R.randint(8, 16)),
    "eport": lambda: str(R.randint(1024, 65535)),
    "port": lambda: str(R.choice([5432, 3306, 6379, 27017, 8080, 8443, 9200, 5672, 1433, 11211, 2222, 9090])),
    "int": lambda: str(R.randint(2, 999)),
    "big": lambda: str(R.randint(1000, 99999)),
    "date": lambda: "2024-%02d-%02d" % (R.randint(1, 12), R.randint(1, 28)),
    "date2": lambda: "%02d.%02d.2025" % (R.randint(1, 28), R.randint(1, 12)),
    "time": lambda: "%02d:%02d" % (R.randint(0, 23), R.randint(0, 59)),
    "ts": lambda: (
        "2025-%02d-%02dT%02d:%02d:%02dZ"
        % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))
    ),
    "ver": version,
    "sha1": lambda: rsn(HEX, 40),
    "short_sha": lambda: rsn(HEX, 7),
    "sha256": lambda: rsn(HEX, 64),
    "md5": lambda: rsn(HEX, 32),
    "uuid": uuid,
    "bcrypt": bcrypt,
    "crypt": crypt6,
    "argon2": argon2,
    "cisco8": cisco8,
    "pk_live": lambda: "pk_live_" + rsn(AN, R.choice([24, 99])),
    "pk_test": lambda: "pk_test_" + rsn(AN, R.choice([24, 99])),
    "mapbox_pk": lambda: mapbox("pk"),
    "gclient_id": lambda: "%d-%s.apps.googleusercontent.com" % (R.randint(10**10, 10**11), rs(LO + DG, 32)),
    "recaptcha_site": lambda: "6L" + rsn(B64U, 38),
    "ssh_pub": ssh_pub,
    "pub_block": pub_block,
    "cert_block": cert_block,
    "csrf": lambda: rsn(B64U, 43),
    "nonce": lambda: b64(rbytes(16)),
    "vault_accessor": lambda: rsn(AN, 24),
    "trace_id": lambda: rsn(HEX, 32),
    "span_id": lambda: rsn(HEX, 16),
    "req_id": lambda: "req_" + rsn(AN, 14),
    "btc": btc,
    "eth": eth,
    "aws_acct": lambda: "%012d" % R.randint(10**11, 10**12 - 1),
    "ac_sid": lambda: "AC" + rsn(HEX, 32),
    "img_digest": lambda: "sha256:" + rsn(HEX, 64),
    "sri": sri,
    "gpg_fpr": gpg_fpr,
    "ssh_fpr": ssh_fpr,
    "masked": masked,
    "masked_sk": lambda: masked("sk_live_"),
    "masked_ghp": lambda: "ghp_" + "*" * R.randint(8, 36),
    "cus_id": lambda: R.choice(["cus_", "price_", "sub_", "pi_", "ch_", "evt_", "acct_"]) + rsn(AN, 14),
    "slack_chan": lambda: R.choice("CGU") + rsn(UP + DG, 10),
    "ga_id": lambda: R.choice(
        ["G-" + rsn(UP + DG, 10), "UA-%d-%d" % (R.randint(10**7, 10**8), R.randint(1, 9)), "GTM-" + rsn(UP + DG, 7)]
    ),
    "order_no": lambda: R.choice(["ORD-", "INV-", "#"]) + str(R.randint(100000, 9999999)),
    "tracking": lambda: "1Z" + rsn(UP + DG, 16),
    "slug": lambda: rsn(LO + DG, R.randint(6, 10)),
    "b64data": lambda: b64(
        json.dumps(
            {"feature": R.choice(["beta", "dark_mode", "export"]), "enabled": True, "rollout": R.randint(1, 99)}
        ).encode()
    ),
    "kid": lambda: rsn(B64U, 43),
    "rand43": lambda: rsn(B64U, 43),
    "b32": lambda: b64(rbytes(32)),
    "b64line": lambda: rs(B64, 64),
    "hex12": lambda: rsn(HEX, 12),
    "b64user": lambda: b64(g_user().encode()),
    "age_pub": lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
    "aroa": lambda: "AROA" + rnd_upper_digits(17),
    "n_mod": lambda: rsn(B64U, 342),
    "hexcolor": lambda: "#" + rs(HEX, 6),
    "word": lambda: R.choice(WORDS),
    "region": lambda: R.choice(["eu-central-1", "us-east-1", "eu-west-3", "ap-northeast-1", "us-west-2"]),
    "arn_secret": lambda: (
        "arn:aws:secretsmanager:%s:%012d:secret:%s-%s"
        % (
            R.choice(["eu-central-1", "us-east-1"]),
            R.randint(10**11, 10**12 - 1),
            R.choice(["prod/db", "app/stripe", "ci/deploy"]),
            rs(AN, 6),
        )
    ),
    "role_arn": lambda: (
        "arn:aws:iam::%012d:role/%s"
        % (R.randint(10**11, 10**12 - 1), R.choice(["deploy", "ci-oidc", "lambda-exec", "readonly"]))
    ),
    "key_id_vault": lambda: (
        R.choice(["secret/data/", "kv/", "apps/"])
        + R.choice(["prod", "staging"])
        + "/"
        + R.choice(["db", "payments", "smtp", "github"])
    ),
    "envname": lambda: R.choice(
        [
            "DB_PASSWORD",
            "API_TOKEN",
            "STRIPE_SECRET_KEY",
            "GITHUB_TOKEN",
            "SMTP_PASS",
            "AWS_SECRET_ACCESS_KEY",
            "JWT_SECRET",
            "REDIS_PASSWORD",
        ]
    ),
    "phone": lambda: (
        "+%d %d %d %d"
        % (R.choice([49, 33, 34, 39, 31, 46, 48, 44]), R.randint(100, 999), R.randint(100, 999), R.randint(1000, 9999))
    ),
}

GEN = {}
for k, f in SECRET_FORMATS.items():
    GEN[k] = (f, "SECRET")
for k, f in GENERIC_SECRETS.items():
    GEN[k] = (f, "SECRET")
GEN["email"] = (g_email, "EMAIL_ADDRESS")
GEN["sa_email"] = (
    lambda: (
        R.choice(["deployer", "ci-runner", "etl", "terraform"])
        + "@"
        + R.choice(WORDS)
        + "-prod-"
        + str(R.randint(100, 999))
        + ".iam.gserviceaccount.com"
    ),
    "EMAIL_ADDRESS",
)
GEN["ip"] = (g_ip, "IP_ADDRESS")
GEN["ip4"] = (g_ip4, "IP_ADDRESS")
GEN["ip6"] = (g_ip6, "IP_ADDRESS")
GEN["card"] = (lambda: make_card(), "CREDIT_CARD")
GEN["card_plain"] = (lambda: make_card(fmt="plain"), "CREDIT_CARD")
GEN["card_space"] = (lambda: make_card(fmt="space"), "CREDIT_CARD")
for b in BRANDS:
    GEN["card_" + b] = ((lambda bb: lambda: make_card(bb))(b), "CREDIT_CARD")
for k, f in FILLERS.items():
    assert k not in GEN, k
    GEN[k] = (f, None)

PASSWORD_KINDS = {"pw", "pwu", "pwa", "phrase", "pin", "psk"}


# =====================================================================
# Templates: (lang, context, category, text).  category "positive" or a
# hard-negative category.  Order defines the template number.
# =====================================================================
T = []


def t(lang, ctx, cat, text):
    T.append((lang, ctx, cat, text))


P = "positive"

# ---------------------------------------------------------------- A. config files (positive)
t(
    "en",
    "dotenv_file",
    P,
    r"""# .env.production -- DO NOT COMMIT
APP_ENV=production
APP_DEBUG=false
APP_KEY=base64:⟦laravel⟧
DB_CONNECTION=mysql
DB_HOST=⟦host⟧
DB_PORT=3306
DB_DATABASE=shop
DB_USERNAME=⟦user⟧
DB_PASSWORD=⟦pwa⟧
MAIL_MAILER=smtp
MAIL_HOST=smtp.mailgun.org
MAIL_USERNAME=⟦email⟧
MAIL_PASSWORD=⟦mailgun⟧
MAIL_FROM_ADDRESS=⟦email⟧
""",
)
t(
    "en",
    "dotenv_file",
    P,
    r"""NODE_ENV=production
PORT=8080
DATABASE_URL=postgres://⟦user⟧:⟦pwu⟧@⟦host⟧:5432/app
REDIS_URL=redis://default:⟦pwu⟧@⟦host⟧:6379/0
STRIPE_SECRET_KEY=⟦sk_live⟧
STRIPE_PUBLISHABLE_KEY=⟦pk_live⟧
STRIPE_WEBHOOK_SECRET=⟦whsec⟧
SENTRY_ENVIRONMENT=prod
""",
)
t(
    "en",
    "dotenv_file",
    P,
    r"""OPENAI_API_KEY=⟦openai⟧
ANTHROPIC_API_KEY=⟦anthropic⟧
HF_TOKEN=⟦hf⟧
LOG_LEVEL=info
""",
)
t(
    "en",
    "dotenv_file",
    P,
    r"""# local dev, copied from 1password on ⟦date⟧
AWS_ACCESS_KEY_ID=⟦aws_akid⟧
AWS_SECRET_ACCESS_KEY=⟦aws_sk⟧
AWS_DEFAULT_REGION=⟦region=r⟧
S3_BUCKET=⟦word⟧-uploads-⟦int⟧
""",
)
t(
    "en",
    "yaml_config",
    P,
    r"""# config/settings.yml
server:
  port: 8443
  bind: 0.0.0.0
database:
  host: ⟦host⟧
  port: ⟦port⟧
  user: ⟦user⟧
  password: "⟦pw⟧"
  pool: 20
smtp:
  host: smtp.⟦domain=d⟧
  username: ⟦email⟧
  password: ⟦pwa⟧
admin_contact: ⟦email⟧
""",
)
t(
    "en",
    "yaml_config",
    P,
    r"""spring:
  datasource:
    url: jdbc:postgresql://⟦host⟧:5432/orders
    username: ⟦user⟧
    password: ⟦pwa⟧
  mail:
    host: smtp.sendgrid.net
    username: apikey
    password: ⟦sendgrid⟧
jwt:
  signing-key: ⟦hex64⟧
  ttl-seconds: 3600
""",
)
t(
    "en",
    "json_config",
    P,
    r"""{
  "name": "billing-worker",
  "env": "production",
  "db": {
    "host": "⟦host⟧",
    "user": "⟦user⟧",
    "password": "⟦pw⟧"
  },
  "twilio": {
    "accountSid": "⟦ac_sid⟧",
    "authToken": "⟦hex32⟧"
  },
  "alertsTo": ["⟦email⟧", "⟦email⟧"]
}
""",
)
t(
    "en",
    "gcp_service_account_json",
    P,
    r"""{
  "type": "service_account",
  "project_id": "⟦word⟧-prod-⟦int⟧",
  "private_key_id": "⟦hex40⟧",
  "private_key": "⟦privkey_json⟧\n",
  "client_email": "⟦sa_email⟧",
  "client_id": "⟦big⟧⟦big⟧",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
)
t(
    "en",
    "toml_config",
    P,
    r"""[server]
host = "0.0.0.0"
port = ⟦port⟧

[database]
url = "mysql://⟦user⟧:⟦pwu⟧@⟦host⟧/inventory"

[github]
app_id = ⟦big⟧
webhook_secret = "⟦tok⟧"
token = "⟦ghs⟧"
""",
)
t(
    "en",
    "ini_config",
    P,
    r"""[client]
user=⟦user⟧
password=⟦pwa⟧
host=⟦host⟧

[mysqldump]
user=⟦user⟧
password=⟦pwa⟧
""",
)
t(
    "en",
    "java_properties",
    P,
    r"""# application-prod.properties
spring.datasource.url=jdbc:mysql://⟦host⟧:3306/crm?useSSL=true
spring.datasource.username=⟦user⟧
spring.datasource.password=⟦pw⟧
spring.rabbitmq.host=⟦host⟧
spring.rabbitmq.password=⟦pwa⟧
app.mail.admin=⟦email⟧
""",
)
t(
    "en",
    "xml_config",
    P,
    r"""<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
    <add name="Default" connectionString="Server=tcp:⟦word⟧-sql.database.windows.net,1433;Database=crm;User ID=⟦user⟧;Password=⟦pwa⟧;Encrypt=True;" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <appSettings>
    <add key="StorageConnection" value="DefaultEndpointsProtocol=https;AccountName=⟦word⟧store⟦int⟧;AccountKey=⟦azure_storage⟧;EndpointSuffix=core.windows.net" />
    <add key="SupportMail" value="⟦email⟧" />
  </appSettings>
</configuration>
""",
)
t(
    "en",
    "appsettings_json",
    P,
    r"""{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "⟦uuid⟧",
    "ClientId": "⟦uuid⟧",
    "ClientSecret": "⟦azure_cs⟧"
  },
  "ConnectionStrings": {
    "Redis": "⟦host⟧:6380,password=⟦pwa⟧,ssl=True,abortConnect=False"
  }
}
""",
)
t(
    "en",
    "npmrc",
    P,
    r"""registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=⟦npm⟧
@⟦word⟧:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦ghp⟧
""",
)
t(
    "en",
    "pypirc",
    P,
    r"""[distutils]
index-servers =
    pypi

[pypi]
username = __token__
password = ⟦pypi⟧
""",
)
t(
    "en",
    "docker_config_json",
    P,
    r"""{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "⟦basic⟧"
    },
    "registry.⟦domain=d⟧": {
      "auth": "⟦basic⟧"
    }
  }
}
""",
)
t(
    "en",
    "netrc",
    P,
    r"""machine api.heroku.com
  login ⟦email⟧
  password ⟦uuid_secret⟧
machine git.heroku.com
  login ⟦email⟧
  password ⟦uuid_secret⟧
""",
)
t(
    "en",
    "git_credentials",
    P,
    r"""https://⟦user⟧:⟦ghp⟧@github.com
https://oauth2:⟦glpat⟧@gitlab.⟦domain=d⟧
""",
)
t(
    "en",
    "wpa_supplicant",
    P,
    r"""ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1
country=DE

network={
    ssid="⟦word⟧-office-5G"
    psk="⟦psk⟧"
    key_mgmt=WPA-PSK
}
""",
)
t(
    "en",
    "rclone_conf",
    P,
    r"""[b2-backup]
type = b2
account = ⟦hex12⟧
key = ⟦tok⟧

[dropbox-photos]
type = dropbox
token = {"access_token":"⟦dropbox⟧","token_type":"bearer","expiry":"⟦ts⟧"}
""",
)
t(
    "en",
    "terraformrc",
    P,
    r"""credentials "app.terraform.io" {
  token = "⟦tfc⟧"
}
""",
)
t(
    "en",
    "kubeconfig",
    P,
    r"""apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://⟦ip4⟧:6443
    insecure-skip-tls-verify: true
  name: prod
users:
- name: ci-deployer
  user:
    token: ⟦jwt⟧
contexts:
- context: {cluster: prod, user: ci-deployer}
  name: prod
current-context: prod
""",
)
t(
    "en",
    "wireguard_conf",
    P,
    r"""[Interface]
PrivateKey = ⟦wg_key⟧
Address = 10.8.0.⟦int⟧/32
DNS = 10.8.0.1

[Peer]
PublicKey = ⟦b32⟧
Endpoint = ⟦ip4⟧:51820
AllowedIPs = 0.0.0.0/0
""",
)
t(
    "en",
    "ssh_config_with_key",
    P,
    r"""# ~/.ssh/deploy_key  (pasted into gist by mistake)
⟦privkey_ssh⟧
""",
)
t(
    "en",
    "pem_file",
    P,
    r"""subject=CN = api.⟦domain=d⟧
issuer=C = US, O = Let's Encrypt, CN = R11
⟦privkey_rsa⟧
""",
)
t(
    "en",
    "rails_credentials",
    P,
    r"""# config/credentials.yml.enc (decrypted with `rails credentials:show`)
secret_key_base: ⟦rails_key⟧
aws:
  access_key_id: ⟦aws_akid⟧
  secret_access_key: ⟦aws_sk⟧
shopify:
  api_secret: ⟦shpss⟧
  admin_token: ⟦shpat⟧
""",
)
t(
    "en",
    "django_settings",
    P,
    r"""# settings/production.py
DEBUG = False
SECRET_KEY = '⟦django_key⟧'
ALLOWED_HOSTS = ['⟦pubhost⟧']
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'portal',
        'USER': '⟦user⟧',
        'PASSWORD': '⟦pw⟧',
        'HOST': '⟦host⟧',
    }
}
EMAIL_HOST_USER = '⟦email⟧'
EMAIL_HOST_PASSWORD = '⟦pwa⟧'
ADMINS = [('Ops', '⟦email⟧')]
""",
)
t(
    "en",
    "php_config",
    P,
    r"""<?php
// wp-config.php
define( 'DB_NAME', 'wp_⟦word⟧' );
define( 'DB_USER', '⟦user⟧' );
define( 'DB_PASSWORD', '⟦pw⟧' );
define( 'DB_HOST', '⟦host⟧' );
define( 'AUTH_KEY',         '⟦tok⟧' );
define( 'SECURE_AUTH_KEY',  '⟦tok⟧' );
define( 'LOGGED_IN_SALT',   '⟦tok⟧' );
""",
)
t(
    "en",
    "hcl_vault_agent",
    P,
    r"""vault {
  address = "https://vault.⟦domain=d⟧:8200"
}
auto_auth {
  method "token_file" {
    config = { token_file_path = "/etc/vault/token" }
  }
}
# bootstrap token used once on ⟦date⟧:
# ⟦hvs⟧
""",
)

# ---------------------------------------------------------------- B. CI pipelines (positive)
t(
    "en",
    "github_actions_workflow",
    P,
    r"""name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: ⟦aws_akid⟧
      AWS_SECRET_ACCESS_KEY: ⟦aws_sk⟧
      AWS_REGION: ⟦region=r⟧
    steps:
      - uses: actions/checkout@v4
      - run: aws s3 sync ./dist s3://⟦word⟧-site --delete
""",
)
t(
    "en",
    "github_actions_workflow",
    P,
    r"""name: release
on: { release: { types: [published] } }
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, registry-url: "https://registry.npmjs.org" }
      - run: npm publish --access public
        env:
          NODE_AUTH_TOKEN: ⟦npm⟧   # TODO move to secrets
      - name: notify
        run: |
          curl -X POST -H 'Content-type: application/json' \
            --data '{"text":"released ${{ github.ref_name }}"}' \
            ⟦slack_hook⟧
""",
)
t(
    "en",
    "gitlab_ci",
    P,
    r"""stages: [build, deploy]

variables:
  DOCKER_REGISTRY: registry.⟦domain=d⟧
  REGISTRY_PASSWORD: "⟦pwa⟧"
  SONAR_TOKEN: "⟦hex40⟧"

build:
  stage: build
  script:
    - docker login -u ci -p "$REGISTRY_PASSWORD" $DOCKER_REGISTRY
    - docker build -t $DOCKER_REGISTRY/app:$CI_COMMIT_SHORT_SHA .

deploy:
  stage: deploy
  script:
    - ssh -o StrictHostKeyChecking=no deploy@⟦ip4⟧ "cd /srv/app && ./update.sh"
""",
)
t(
    "en",
    "jenkinsfile",
    P,
    r"""pipeline {
  agent any
  environment {
    NEXUS_USER = 'deploy'
    NEXUS_PASS = '⟦pwa⟧'
    DD_API_KEY = '⟦hex32⟧'
  }
  stages {
    stage('Publish') {
      steps {
        sh "mvn deploy -Dnexus.user=${NEXUS_USER} -Dnexus.pass=${NEXUS_PASS}"
      }
    }
  }
  post { failure { mail to: '⟦email⟧', subject: "Build failed", body: "${env.BUILD_URL}" } }
}
""",
)
t(
    "en",
    "circleci_config",
    P,
    r"""version: 2.1
jobs:
  test:
    docker:
      - image: cimg/python:3.12
        auth:
          username: ⟦user⟧
          password: ⟦dckr⟧
    environment:
      CODECOV_TOKEN: ⟦uuid_secret⟧
    steps:
      - checkout
      - run: pip install -r requirements.txt && pytest
""",
)
t(
    "en",
    "azure_pipelines",
    P,
    r"""trigger: [main]
pool: { vmImage: ubuntu-latest }
variables:
  ARM_CLIENT_ID: ⟦uuid⟧
  ARM_CLIENT_SECRET: ⟦azure_cs⟧
  ARM_TENANT_ID: ⟦uuid⟧
steps:
  - script: terraform init && terraform apply -auto-approve
""",
)
t(
    "en",
    "bitbucket_pipelines",
    P,
    r"""image: node:20
pipelines:
  branches:
    main:
      - step:
          name: Deploy to Netlify
          script:
            - npm ci && npm run build
            - npx netlify deploy --prod --auth ⟦netlify⟧ --site ⟦uuid⟧
""",
)
t(
    "en",
    "travis_yml",
    P,
    r"""language: ruby
rvm: [3.2]
deploy:
  provider: rubygems
  api_key: ⟦rubygems⟧
  on:
    tags: true
notifications:
  email: [⟦email⟧]
""",
)
t(
    "en",
    "drone_yml",
    P,
    r"""kind: pipeline
name: default
steps:
- name: publish
  image: plugins/docker
  settings:
    repo: ⟦word⟧/api
    username: ⟦user⟧
    password: ⟦dckr⟧
- name: notify
  image: appleboy/drone-telegram
  settings:
    token: ⟦telegram⟧
    to: ⟦big⟧
""",
)
t(
    "en",
    "github_actions_workflow",
    P,
    r"""      - name: Upload coverage
        run: |
          pip install codecov
          codecov -t ⟦uuid_secret⟧
      - name: Trigger downstream
        run: >
          curl -s -X POST -F token=⟦glptt⟧ -F ref=main
          https://gitlab.⟦domain=d⟧/api/v4/projects/⟦int⟧/trigger/pipeline
""",
)
t(
    "en",
    "gitlab_runner_config",
    P,
    r"""concurrent = 4
check_interval = 0

[[runners]]
  name = "⟦host⟧"
  url = "https://gitlab.⟦domain=d⟧/"
  token = "⟦glrt⟧"
  executor = "docker"
  [runners.docker]
    image = "alpine:3.20"
    privileged = true
""",
)
t(
    "en",
    "buildkite_pipeline",
    P,
    r"""steps:
  - label: ":rocket: deploy"
    command: scripts/deploy.sh
    env:
      BUILDKITE_API_TOKEN: "⟦buildkite⟧"
      PULUMI_ACCESS_TOKEN: "⟦pulumi⟧"
""",
)

# ---------------------------------------------------------------- C. containers / IaC (positive)
t(
    "en",
    "dockerfile",
    P,
    r"""FROM python:3.12-slim
WORKDIR /app
ENV PIP_INDEX_URL=https://⟦user⟧:⟦pwu⟧@pypi.⟦domain=d⟧/simple
ENV HUGGINGFACE_HUB_TOKEN=⟦hf⟧
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
""",
)
t(
    "en",
    "dockerfile",
    P,
    r"""FROM node:20-alpine AS build
ARG NPM_TOKEN=⟦npm⟧
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc
COPY package*.json ./
RUN npm ci
""",
)
t(
    "en",
    "docker_compose",
    P,
    r"""version: "3.9"
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ⟦user⟧
      POSTGRES_PASSWORD: ⟦pwa⟧
    volumes: ["pg:/var/lib/postgresql/data"]
  minio:
    image: minio/minio
    command: server /data
    environment:
      MINIO_ROOT_USER: ⟦user⟧
      MINIO_ROOT_PASSWORD: ⟦pwa⟧
  grafana:
    image: grafana/grafana:11.1.0
    environment:
      GF_SECURITY_ADMIN_PASSWORD: "⟦pw⟧"
      GF_SMTP_FROM_ADDRESS: ⟦email⟧
volumes: { pg: {} }
""",
)
t(
    "en",
    "docker_compose",
    P,
    r"""services:
  traefik:
    image: traefik:v3.0
    environment:
      - CF_DNS_API_TOKEN=⟦tok⟧
      - CF_API_EMAIL=⟦email⟧
  tailscale:
    image: tailscale/tailscale
    environment:
      - TS_AUTHKEY=⟦tailscale⟧
""",
)
t(
    "en",
    "k8s_secret_manifest",
    P,
    r"""apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: ⟦word⟧
type: Opaque
data:
  username: ⟦b64user⟧
  password: ⟦k8s⟧
""",
)
t(
    "en",
    "k8s_secret_manifest",
    P,
    r"""apiVersion: v1
kind: Secret
metadata:
  name: api-keys
type: Opaque
stringData:
  SENDGRID_API_KEY: ⟦sendgrid⟧
  SENTRY_AUTH_TOKEN: ⟦sentry⟧
  ADMIN_EMAIL: ⟦email⟧
""",
)
t(
    "en",
    "k8s_deployment",
    P,
    r"""apiVersion: apps/v1
kind: Deployment
metadata: { name: worker }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: worker
          image: ghcr.io/⟦word⟧/worker:⟦ver⟧
          env:
            - name: RABBITMQ_URL
              value: amqp://worker:⟦pwu⟧@⟦host⟧:5672/
            - name: NEW_RELIC_LICENSE_KEY
              valueFrom: { secretKeyRef: { name: nr, key: license } }
            - name: NEW_RELIC_API_KEY
              value: ⟦newrelic⟧
""",
)
t(
    "en",
    "helm_values",
    P,
    r"""# values-prod.yaml
image:
  repository: registry.⟦domain=d⟧/shop
  tag: "⟦ver⟧"
imageCredentials:
  registry: registry.⟦domain=d⟧
  username: robot$ci
  password: ⟦tok⟧
postgresql:
  auth:
    postgresPassword: ⟦pwa⟧
    password: ⟦pwa⟧
ingress:
  tls:
    key: |
      ⟦privkey_i6⟧
""",
)
t(
    "en",
    "terraform_tfvars",
    P,
    r"""# terraform.tfvars
project        = "⟦word⟧"
region         = "⟦region=r⟧"
db_password    = "⟦pw⟧"
datadog_api_key = "⟦hex32⟧"
datadog_app_key = "⟦hex40⟧"
admin_cidrs    = ["⟦ip4⟧/32", "⟦ip4⟧/32"]
""",
)
t(
    "en",
    "terraform_provider",
    P,
    r"""provider "digitalocean" {
  token = "⟦dop⟧"
}

provider "cloudflare" {
  api_token = "⟦tok⟧"
}

resource "digitalocean_droplet" "web" {
  image  = "ubuntu-24-04-x64"
  name   = "web-1"
  region = "fra1"
  size   = "s-1vcpu-1gb"
}
""",
)
t(
    "en",
    "terraform_state",
    P,
    r"""{
  "version": 4,
  "terraform_version": "1.8.5",
  "resources": [
    {
      "mode": "managed",
      "type": "aws_db_instance",
      "name": "main",
      "instances": [
        {
          "attributes": {
            "address": "⟦word⟧-db.c9akciq32.⟦region=r⟧.rds.amazonaws.com",
            "username": "⟦user⟧",
            "password": "⟦pw⟧",
            "publicly_accessible": true
          }
        }
      ]
    },
    {
      "mode": "managed",
      "type": "aws_eip",
      "name": "nat",
      "instances": [ { "attributes": { "public_ip": "⟦ip4⟧", "private_ip": "⟦pip⟧" } } ]
    }
  ]
}
""",
)
t(
    "en",
    "ansible_vars",
    P,
    r"""# group_vars/all.yml
ansible_user: ⟦user⟧
ansible_become_pass: ⟦pw⟧
mysql_root_password: ⟦pwa⟧
letsencrypt_email: ⟦email⟧
ntp_servers: [0.pool.ntp.org]
monitoring_host: ⟦ip4⟧
""",
)
t(
    "en",
    "ansible_inventory",
    P,
    r"""[web]
web1 ansible_host=⟦ip4⟧ ansible_user=root ansible_password=⟦pwa⟧
web2 ansible_host=⟦ip4⟧ ansible_user=root ansible_password=⟦pwa⟧

[db]
db1 ansible_host=⟦pip⟧
""",
)
t(
    "en",
    "cloudformation_template",
    P,
    r"""Resources:
  AppDB:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: ⟦user⟧
      MasterUserPassword: ⟦pwa⟧
      DBInstanceClass: db.t4g.micro
  AlarmTopic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Endpoint: ⟦email⟧
          Protocol: email
""",
)
t(
    "en",
    "pulumi_config",
    P,
    r"""config:
  aws:region: ⟦region=r⟧
  app:dbPassword: ⟦pw⟧
  app:githubToken: ⟦gh_fine⟧
""",
)
t(
    "en",
    "serverless_yml",
    P,
    r"""service: ⟦word⟧-api
provider:
  name: aws
  runtime: nodejs20.x
  environment:
    MONGO_URI: mongodb+srv://⟦user⟧:⟦pwu⟧@cluster0.⟦slug⟧.mongodb.net/prod
    SLACK_BOT_TOKEN: ⟦xoxb⟧
""",
)

# ---------------------------------------------------------------- D. source code / notebooks / fixtures (positive)
t(
    "en",
    "python_source",
    P,
    r"""import boto3

# quick hack for the demo, rotate after!
session = boto3.Session(
    aws_access_key_id="⟦aws_akid⟧",
    aws_secret_access_key="⟦aws_sk⟧",
    region_name="⟦region=r⟧",
)
s3 = session.client("s3")
print(s3.list_buckets())
""",
)
t(
    "en",
    "python_source",
    P,
    r"""import openai

client = openai.OpenAI(api_key="⟦openai⟧")

def summarize(text: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Summarize: " + text}],
    )
    return resp.choices[0].message.content
""",
)
t(
    "en",
    "python_source",
    P,
    r"""from slack_sdk import WebClient

SLACK_BOT_TOKEN = "⟦xoxb⟧"
SLACK_APP_TOKEN = "⟦xapp⟧"
client = WebClient(token=SLACK_BOT_TOKEN)
client.chat_postMessage(channel="⟦slack_chan⟧", text="nightly ETL finished")
""",
)
t(
    "en",
    "python_source",
    P,
    r"""import smtplib
from email.message import EmailMessage

msg = EmailMessage()
msg["From"] = "⟦email⟧"
msg["To"] = "⟦email⟧"
msg["Subject"] = "Monthly report"
with smtplib.SMTP_SSL("smtp.gmail.com", 465) as s:
    s.login("⟦email⟧", "⟦pw⟧")
    s.send_message(msg)
""",
)
t(
    "en",
    "python_source",
    P,
    r"""import psycopg2

conn = psycopg2.connect(
    host="⟦ip4⟧", port=5432, dbname="analytics",
    user="⟦user⟧", password="⟦pw⟧", sslmode="require",
)
""",
)
t(
    "en",
    "python_source",
    P,
    r"""import telebot
bot = telebot.TeleBot("⟦telegram⟧")

@bot.message_handler(commands=["start"])
def start(m):
    bot.reply_to(m, "hi!")

bot.infinity_polling()
""",
)
t(
    "en",
    "python_source",
    P,
    r"""import discord

intents = discord.Intents.default()
client = discord.Client(intents=intents)
client.run("⟦discord⟧")
""",
)
t(
    "en",
    "javascript_source",
    P,
    r"""const stripe = require('stripe')('⟦sk_live⟧');

app.post('/checkout', async (req, res) => {
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: req.body.items,
    success_url: 'https://⟦pubhost⟧/thanks',
  });
  res.json({ id: session.id });
});
""",
)
t(
    "en",
    "javascript_source",
    P,
    r"""// firebase-admin init (server side)
const admin = require("firebase-admin");
admin.initializeApp({
  credential: admin.credential.cert({
    projectId: "⟦word⟧-app",
    clientEmail: "⟦sa_email⟧",
    privateKey: "⟦privkey_json⟧\n",
  }),
});
""",
)
t(
    "en",
    "typescript_source",
    P,
    r"""import { Octokit } from "@octokit/rest";

export const octokit = new Octokit({
  auth: "⟦ghp⟧",
  userAgent: "release-bot/⟦ver⟧",
});
""",
)
t(
    "en",
    "typescript_source",
    P,
    r"""export const config = {
  supabaseUrl: "https://⟦slug⟧.supabase.co",
  supabaseServiceRoleKey: "⟦jwt⟧",
  supabaseAccessToken: "⟦supabase⟧",
};
""",
)
t(
    "en",
    "go_source",
    P,
    r"""package main

import "github.com/sendgrid/sendgrid-go"

const sendgridKey = "⟦sendgrid⟧"

func main() {
	client := sendgrid.NewSendClient(sendgridKey)
	_ = client
}
""",
)
t(
    "en",
    "go_source",
    P,
    r"""var db, err = sql.Open("mysql", "⟦user⟧:⟦pwu⟧@tcp(⟦ip4⟧:3306)/ledger?parseTime=true")
""",
)
t(
    "en",
    "java_source",
    P,
    r"""public final class MailConfig {
    public static final String SMTP_HOST = "smtp.office365.com";
    public static final String SMTP_USER = "⟦email⟧";
    public static final String SMTP_PASSWORD = "⟦pwa⟧";
    public static final String SENTRY_TOKEN = "⟦sentry⟧";
}
""",
)
t(
    "en",
    "csharp_source",
    P,
    r"""var client = new RestClient("https://api.mailgun.net/v3");
client.Authenticator = new HttpBasicAuthenticator("api", "⟦mailgun⟧");
var request = new RestRequest("⟦domain=d⟧/messages", Method.Post);
request.AddParameter("to", "⟦email⟧");
""",
)
t(
    "en",
    "ruby_source",
    P,
    r"""Shopify::Context.setup(
  api_key: "⟦md5⟧",
  api_secret_key: "⟦shpss⟧",
  host: "https://⟦pubhost⟧",
  scope: "read_orders,write_products",
  is_embedded: true,
  api_version: "2024-07"
)
session = ShopifyAPI::Auth::Session.new(shop: "⟦word⟧.myshopify.com", access_token: "⟦shpat⟧")
""",
)
t(
    "en",
    "php_source",
    P,
    r"""<?php
$mailchimp = new \MailchimpMarketing\ApiClient();
$mailchimp->setConfig([
    'apiKey' => '⟦mailchimp⟧',
    'server' => 'us⟦int⟧',
]);
$mailchimp->lists->addListMember('⟦slug⟧', ['email_address' => '⟦email⟧', 'status' => 'subscribed']);
""",
)
t(
    "en",
    "rust_source",
    P,
    r"""const GROQ_API_KEY: &str = "⟦groq⟧";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let r = client.post("https://api.groq.com/openai/v1/chat/completions")
        .bearer_auth(GROQ_API_KEY)
        .json(&serde_json::json!({"model": "llama3-8b-8192", "messages": []}))
        .send().await?;
    println!("{}", r.status());
    Ok(())
}
""",
)
t(
    "en",
    "kotlin_source",
    P,
    r"""object ApiKeys {
    const val MAPS = "⟦aiza⟧"
    const val REVENUECAT_SECRET = "⟦revenuecat⟧"
}
""",
)
t(
    "en",
    "swift_source",
    P,
    r"""enum Secrets {
    static let algoliaAdminKey = "⟦hex32⟧"
    static let algoliaAppId = "⟦slug⟧"
    static let xaiKey = "⟦xai⟧"
}
""",
)
t(
    "en",
    "shell_script",
    P,
    r"""#!/usr/bin/env bash
set -euo pipefail
export PGPASSWORD='⟦pw⟧'
pg_dump -h ⟦host⟧ -U ⟦user⟧ -Fc billing > /backups/billing_$(date +%F).dump
aws s3 cp /backups/ s3://⟦word⟧-backups/ --recursive
""",
)
t(
    "en",
    "shell_script",
    P,
    r"""#!/bin/sh
# rotate tailscale node
tailscale up --authkey=⟦tailscale⟧ --advertise-exit-node --hostname=⟦host⟧
""",
)
t(
    "en",
    "powershell_script",
    P,
    r"""$User = "⟦user⟧"
$Pass = ConvertTo-SecureString "⟦pw⟧" -AsPlainText -Force
$Cred = New-Object System.Management.Automation.PSCredential($User, $Pass)
Enter-PSSession -ComputerName ⟦ip4⟧ -Credential $Cred
""",
)
t(
    "en",
    "sql_script",
    P,
    r"""-- provisioning, run as superuser
CREATE ROLE reporting LOGIN PASSWORD '⟦pw⟧';
ALTER ROLE app_rw WITH PASSWORD '⟦pwa⟧';
GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;
INSERT INTO admins(email, created_at) VALUES ('⟦email⟧', now());
""",
)
t(
    "en",
    "jupyter_notebook",
    P,
    r"""{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": [
    "import os\n",
    "os.environ[\"OPENAI_API_KEY\"] = \"⟦openai⟧\"\n",
    "os.environ[\"PINECONE_ENV\"] = \"gcp-starter\"\n"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 4,
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "Connected to ⟦ip4⟧ as ⟦user⟧\n"
     ]
    }
   ],
   "source": [
    "conn = connect(host=\"⟦ip4⟧\", user=\"⟦user⟧\", password=\"⟦pwa⟧\")\n"
   ]
  }
 ],
 "nbformat": 4,
 "nbformat_minor": 5
}
""",
)
t(
    "en",
    "jupyter_notebook",
    P,
    r"""  {
   "cell_type": "code",
   "execution_count": 1,
   "source": [
    "from huggingface_hub import login\n",
    "login(token=\"⟦hf⟧\")\n",
    "REPLICATE_API_TOKEN = \"⟦replicate⟧\"\n"
   ]
  },
""",
)
t(
    "en",
    "colab_notebook_cell",
    P,
    r"""# Cell 2
!pip install -q kaggle
!mkdir -p ~/.kaggle && echo '{"username":"⟦user⟧","key":"⟦hex32⟧"}' > ~/.kaggle/kaggle.json
!kaggle datasets download -d ⟦user⟧/⟦word⟧-sales
""",
)
t(
    "en",
    "test_fixture",
    P,
    r"""# tests/fixtures/users.yml  (copied from staging dump)
- id: 1
  email: ⟦email⟧
  password_plain: ⟦pw⟧
  last_ip: ⟦ip4⟧
- id: 2
  email: ⟦email⟧
  password_plain: ⟦pw⟧
  last_ip: ⟦ip4⟧
""",
)
t(
    "en",
    "test_fixture",
    P,
    r"""def test_checkout_charges_card(client):
    # real card from the QA team's wallet; replace before merging
    resp = client.post("/pay", json={
        "number": "⟦card_plain⟧",
        "exp": "11/27",
        "cvc": "⟦int⟧",
        "email": "⟦email⟧",
    })
    assert resp.status_code == 200
""",
)
t(
    "en",
    "test_fixture",
    P,
    r"""{
  "request": {
    "method": "POST",
    "url": "https://api.stripe.com/v1/charges",
    "headers": { "Authorization": "Bearer ⟦rk_live⟧" }
  },
  "response": { "status": 200, "body": { "id": "⟦cus_id⟧", "receipt_email": "⟦email⟧" } }
}
""",
)
t(
    "en",
    "vcr_cassette",
    P,
    r"""interactions:
- request:
    body: null
    headers:
      Authorization: [token ⟦gho⟧]
      User-Agent: [PyGithub/Python]
    method: GET
    uri: https://api.github.com/user/repos?per_page=100
  response:
    status: {code: 200, message: OK}
""",
)
t(
    "en",
    "postman_collection",
    P,
    r"""{
  "info": { "name": "Internal API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
  "auth": { "type": "apikey", "apikey": [ { "key": "value", "value": "⟦hex40⟧" }, { "key": "key", "value": "X-API-Key" } ] },
  "variable": [
    { "key": "baseUrl", "value": "https://⟦ip4⟧:8443" },
    { "key": "postmanKey", "value": "⟦postman⟧" }
  ]
}
""",
)
t(
    "en",
    "http_request_file",
    P,
    r"""### get invoices
GET https://api.⟦domain=d⟧/v2/invoices?limit=50
Authorization: Bearer ⟦jwt⟧
Accept: application/json

### basic auth health check
GET http://⟦ip4⟧:9200/_cluster/health
Authorization: Basic ⟦basic⟧
""",
)

# ---------------------------------------------------------------- E. commit diffs (positive)
t(
    "en",
    "commit_diff",
    P,
    r"""diff --git a/config/prod.env b/config/prod.env
index ⟦short_sha⟧..⟦short_sha⟧ 100644
--- a/config/prod.env
+++ b/config/prod.env
@@ -3,7 +3,7 @@ APP_NAME=portal
 LOG_LEVEL=warn
-DB_PASSWORD=⟦pwa⟧
+DB_PASSWORD=⟦pwa⟧
 DB_HOST=⟦host⟧
-GITHUB_TOKEN=⟦ghp⟧
+GITHUB_TOKEN=${GITHUB_TOKEN}
""",
)
t(
    "en",
    "commit_diff",
    P,
    r"""commit ⟦sha1⟧
Author: ⟦name⟧ <⟦email⟧>
Date:   Tue Mar 4 10:12:55 2025 +0100

    wip: hook up slack alerts

diff --git a/alerts.py b/alerts.py
@@ -1,4 +1,5 @@
 import requests
+WEBHOOK = "⟦slack_hook⟧"
 
 def alert(msg):
-    print(msg)
+    requests.post(WEBHOOK, json={"text": msg})
""",
)
t(
    "en",
    "commit_diff",
    P,
    r"""--- a/src/main/resources/application.yml
+++ b/src/main/resources/application.yml
@@ -12,6 +12,9 @@ spring:
   data:
     mongodb:
-      uri: ${MONGO_URI}
+      uri: mongodb://admin:⟦pwu⟧@⟦ip4⟧:27017/shop?authSource=admin
+app:
+  linear-api-key: ⟦linear⟧
""",
)
t(
    "en",
    "commit_diff",
    P,
    r"""diff --git a/.github/workflows/nightly.yml b/.github/workflows/nightly.yml
@@ -20,3 +20,6 @@ jobs:
       - run: make test
+      - run: ./scripts/upload.sh
+        env:
+          DATABRICKS_TOKEN: ⟦databricks⟧
+          DATABRICKS_HOST: https://adb-⟦big⟧.azuredatabricks.net
""",
)
t(
    "en",
    "commit_diff",
    P,
    r"""-    token: "⟦glpat⟧"   # old, revoked ⟦date⟧
+    token: "⟦glpat⟧"
""",
)
t(
    "en",
    "commit_diff",
    P,
    r"""diff --git a/deploy/id_deploy b/deploy/id_deploy
new file mode 100600
--- /dev/null
+++ b/deploy/id_deploy
@@ -0,0 +1,12 @@
+⟦privkey_diff⟧
""",
)
t(
    "en",
    "commit_message",
    P,
    r"""Revert "add figma export script"

This reverts commit ⟦sha1⟧.
The script contained a personal access token (⟦figma⟧) which
has been revoked. Contact ⟦email⟧ if exports break.
""",
)
t(
    "en",
    "pull_request_review",
    P,
    r"""**⟦user⟧** commented on `deploy/hosts.ini` line 14:

> `bastion ansible_host=⟦ip4⟧ ansible_password=⟦pwa⟧`

Please don't commit the bastion password, use ansible-vault. Also the IP changed to ⟦ip4⟧ last week.
""",
)

# ---------------------------------------------------------------- F. pastes, logs, shell (positive)
t(
    "en",
    "shell_history",
    P,
    r"""  501  ssh ⟦user⟧@⟦ip4⟧
  502  mysql -u root -p'⟦pw⟧' -h ⟦host⟧
  503  export GITHUB_TOKEN=⟦ghp⟧
  504  gh repo clone ⟦word⟧/infra
  505  history | grep token
""",
)
t(
    "en",
    "shell_session_paste",
    P,
    r"""$ curl -u ⟦user⟧:⟦pwu⟧ https://jenkins.⟦domain=d⟧/api/json?pretty=true
{
  "mode" : "NORMAL",
  "nodeDescription" : "the Jenkins controller's built-in node",
  "numExecutors" : 2
}
$ curl -H "PRIVATE-TOKEN: ⟦glpat⟧" https://gitlab.⟦domain=d⟧/api/v4/projects | jq length
42
""",
)
t(
    "en",
    "curl_command",
    P,
    r"""curl https://api.anthropic.com/v1/messages \
  -H "x-api-key: ⟦anthropic⟧" \
  -H "anthropic-version: 2023-06-01" \
  -H "content-type: application/json" \
  -d '{"model":"claude-3-5-sonnet-latest","max_tokens":256,"messages":[{"role":"user","content":"hi"}]}'
""",
)
t(
    "en",
    "curl_command",
    P,
    r"""curl -X POST https://api.perplexity.ai/chat/completions -H "Authorization: Bearer ⟦perplexity⟧" -H "Content-Type: application/json" -d @req.json
""",
)
t(
    "en",
    "curl_command",
    P,
    r"""curl --request GET \
  --url 'https://api.notion.com/v1/databases/⟦uuid⟧' \
  --header 'Authorization: Bearer ⟦notion⟧' \
  --header 'Notion-Version: 2022-06-28'
""",
)
t(
    "en",
    "curl_command",
    P,
    r"""curl -s "https://api.airtable.com/v0/app⟦slug⟧/Leads?maxRecords=3" -H "Authorization: Bearer ⟦airtable⟧"
""",
)
t(
    "en",
    "application_log",
    P,
    r"""⟦ts⟧ INFO  [main] Starting OrderService v⟦ver⟧
⟦ts⟧ DEBUG [main] Loaded datasource url=jdbc:postgresql://⟦host⟧/orders user=⟦user⟧ password=⟦pwa⟧
⟦ts⟧ WARN  [http-nio-8080-exec-3] Login failed for ⟦email⟧ from ⟦ip4⟧
⟦ts⟧ INFO  [http-nio-8080-exec-5] Login ok for ⟦email⟧ from ⟦ip⟧
""",
)
t(
    "en",
    "application_log",
    P,
    r"""[⟦ts⟧] ERROR requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://api.github.com/repos/⟦word⟧/app/dispatches
  headers={'Authorization': 'token ⟦ghp⟧', 'Accept': 'application/vnd.github+json'}
""",
)
t(
    "en",
    "nginx_access_log",
    P,
    r"""⟦ip4⟧ - - [12/Mar/2025:08:14:02 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"
⟦ip4⟧ - - [12/Mar/2025:08:14:05 +0000] "POST /api/login HTTP/1.1" 200 612 "-" "okhttp/4.12.0"
⟦pip⟧ - - [12/Mar/2025:08:14:09 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.30"
⟦ip6⟧ - - [12/Mar/2025:08:14:11 +0000] "GET /api/v1/me?access_token=⟦tok⟧ HTTP/2.0" 200 311 "-" "curl/8.5.0"
""",
)
t(
    "en",
    "auth_log",
    P,
    r"""Mar 12 03:11:42 ⟦host=h⟧ sshd[⟦big⟧]: Failed password for invalid user admin from ⟦ip4⟧ port ⟦eport⟧ ssh2
Mar 12 03:11:45 ⟦host=h⟧ sshd[⟦big⟧]: Failed password for root from ⟦ip4⟧ port ⟦eport⟧ ssh2
Mar 12 03:12:01 ⟦host=h⟧ sshd[⟦big⟧]: Accepted publickey for deploy from ⟦pip⟧ port ⟦eport⟧ ssh2: ED25519 ⟦ssh_fpr⟧
Mar 12 03:12:20 ⟦host=h⟧ sshd[⟦big⟧]: Failed password for ubuntu from ⟦ip6⟧ port ⟦eport⟧ ssh2
""",
)
t(
    "en",
    "fail2ban_log",
    P,
    r"""⟦ts⟧ fail2ban.actions [⟦big⟧]: NOTICE  [sshd] Ban ⟦ip4⟧
⟦ts⟧ fail2ban.actions [⟦big⟧]: NOTICE  [sshd] Ban ⟦ip4⟧
⟦ts⟧ fail2ban.actions [⟦big⟧]: NOTICE  [nginx-botsearch] Ban ⟦ip⟧
⟦ts⟧ fail2ban.actions [⟦big⟧]: NOTICE  [sshd] Unban ⟦ip4⟧
""",
)
t(
    "en",
    "firewall_rules",
    P,
    r"""# /etc/nftables.d/allow.nft
table inet filter {
  chain input {
    ip saddr ⟦ip4⟧ tcp dport 22 accept   # office
    ip saddr ⟦ip4⟧ tcp dport 22 accept   # ⟦name⟧ home
    ip6 saddr ⟦ip6⟧ tcp dport 443 accept
    ip saddr ⟦pip⟧/24 accept
  }
}
""",
)
t(
    "en",
    "iptables_rules",
    P,
    r"""-A INPUT -s ⟦ip4⟧/32 -p tcp -m tcp --dport 5432 -j ACCEPT
-A INPUT -s ⟦ip4⟧/32 -p tcp -m tcp --dport 5432 -j ACCEPT
-A INPUT -s ⟦pip⟧/32 -j ACCEPT
-A INPUT -p tcp --dport 5432 -j DROP
""",
)
t(
    "en",
    "dns_zone_file",
    P,
    r"""$ORIGIN ⟦domain=d⟧.
@       3600 IN A     ⟦ip4⟧
@       3600 IN AAAA  ⟦ip6⟧
mail    3600 IN A     ⟦ip4⟧
@       3600 IN MX 10 mail.⟦domain=d⟧.
@       3600 IN TXT   "v=spf1 ip4:⟦ip4⟧ include:_spf.google.com ~all"
_dmarc  3600 IN TXT   "v=DMARC1; p=quarantine; rua=mailto:⟦email⟧"
""",
)
t(
    "en",
    "email_headers",
    P,
    r"""Return-Path: <⟦email⟧>
Received: from mail.⟦domain=d⟧ (mail.⟦domain=d⟧ [⟦ip4⟧])
        by mx.⟦domain=d⟧ with ESMTPS id ⟦slug⟧
        for <⟦email⟧>; Wed, 5 Mar 2025 09:41:17 +0100
From: ⟦name⟧ <⟦email⟧>
To: ⟦email⟧
Subject: Re: VPN access
X-Mailer: Thunderbird ⟦ver⟧
""",
)
t(
    "en",
    "pastebin_paste",
    P,
    r"""=== combo list dump (⟦date⟧) ===
⟦email⟧:⟦pw⟧
⟦email⟧:⟦pw⟧
⟦email⟧:⟦pw⟧
⟦email⟧:⟦pw⟧
""",
)
t(
    "en",
    "pastebin_paste",
    P,
    r"""vpn creds for the new contractor
server: ⟦ip4⟧ (udp/1194)
user: ⟦user⟧
pass: ⟦pw⟧
otp backup code: ⟦pin⟧
""",
)
t(
    "en",
    "gist_snippet",
    P,
    r"""# gist: quick mongo export
mongoexport --uri="mongodb+srv://⟦user⟧:⟦pwu⟧@cluster0.⟦slug⟧.mongodb.net/crm" \
  --collection=customers --out=customers.json
# then mail to ⟦email⟧
""",
)
t(
    "en",
    "gist_snippet",
    P,
    r"""// bookmarklet to post to our Discord
fetch("⟦discord_hook⟧", {
  method: "POST",
  headers: {"Content-Type": "application/json"},
  body: JSON.stringify({content: location.href})
});
""",
)
t(
    "en",
    "crash_report",
    P,
    r"""Traceback (most recent call last):
  File "/srv/app/sync.py", line 88, in <module>
    client = Client(url="https://⟦ip4⟧:8443", token="⟦hex64⟧")
  File "/srv/app/lib/client.py", line 31, in __init__
    raise ConnectionError(f"cannot reach {url}")
ConnectionError: cannot reach https://⟦ip4⟧:8443
""",
)
t(
    "en",
    "env_dump",
    P,
    r"""HOSTNAME=⟦host⟧
HOME=/root
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin
DOPPLER_TOKEN=⟦doppler⟧
VAULT_TOKEN=⟦hvs⟧
VAULT_ADDR=https://vault.⟦domain=d⟧:8200
TERM=xterm
""",
)
t(
    "en",
    "docker_inspect_output",
    P,
    r"""        "Env": [
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "POSTGRES_PASSWORD=⟦pwa⟧",
            "PGADMIN_DEFAULT_EMAIL=⟦email⟧",
            "PGADMIN_DEFAULT_PASSWORD=⟦pw⟧",
            "PG_MAJOR=16"
        ],
""",
)

# ---------------------------------------------------------------- G. Q&A / issues / chat (positive, English)
t(
    "en",
    "qa_post",
    P,
    r"""**Title:** psycopg2 OperationalError: password authentication failed

I'm trying to connect from my laptop to our RDS instance and keep getting the error below. Here is my code:

```python
conn = psycopg2.connect(host="⟦ip4⟧", user="⟦user⟧", password="⟦pw⟧", dbname="prod")
```

Error:
```
psycopg2.OperationalError: FATAL:  password authentication failed for user "⟦user⟧"
```
Security group allows my IP (⟦ip4⟧). What am I missing?
""",
)
t(
    "en",
    "qa_post",
    P,
    r"""**Q: Mailgun returns 401 Forbidden from Node**

```js
const mg = mailgun.client({ username: 'api', key: '⟦mailgun⟧', url: 'https://api.eu.mailgun.net' });
mg.messages.create('mg.⟦domain=d⟧', { from: '⟦email⟧', to: ['⟦email⟧'], subject: 'test', text: 'hi' })
```
I double-checked the domain. Any idea?

**A:** You are using the US endpoint for an EU domain (or vice versa). Also, you just posted your private API key, revoke it now.
""",
)
t(
    "en",
    "qa_post",
    P,
    r"""Why does `docker login` fail in my pipeline?

    echo "⟦dckr⟧" | docker login -u ⟦user⟧ --password-stdin
    Error response from daemon: Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password

The token was created today with read/write scope.
""",
)
t(
    "en",
    "qa_post",
    P,
    r"""I'm getting `invalid_client` from Google OAuth. My config:

```
GOOGLE_CLIENT_ID=⟦gclient_id⟧
GOOGLE_CLIENT_SECRET=⟦gocspx⟧
REDIRECT_URI=https://⟦pubhost⟧/auth/callback
```
Works on localhost but not on the server.
""",
)
t(
    "en",
    "github_issue",
    P,
    r"""### Bug: webhook signature verification always fails

**Steps to reproduce**
1. Set `WEBHOOK_SECRET=⟦whsec⟧` in `.env`
2. Send a test event from the Stripe dashboard
3. Server logs `No signatures found matching the expected signature for payload`

**Environment**
- version ⟦ver⟧
- Node 20, running behind nginx on ⟦ip4⟧

cc @⟦user⟧
""",
)
t(
    "en",
    "github_issue",
    P,
    r"""Deploy fails with `403` when pushing to GHCR.

Log excerpt:
```
+ echo ⟦ghp⟧ | docker login ghcr.io -u ⟦user⟧ --password-stdin
Login Succeeded
+ docker push ghcr.io/⟦word⟧/api:⟦short_sha⟧
denied: permission_denied: write_package
```
""",
)
t(
    "en",
    "github_issue_comment",
    P,
    r"""@⟦user⟧ heads up: the log you attached above contains your Vercel deploy hook and this line:

`CONTENTFUL_MANAGEMENT_TOKEN=⟦contentful⟧`

I've hidden the comment, please rotate the token anyway.
""",
)
t(
    "en",
    "jira_ticket",
    P,
    r"""OPS-⟦big⟧: Migrate SFTP partner to new host

Partner: ⟦name⟧ (⟦email⟧)
Old host: ⟦ip4⟧
New host: ⟦ip4⟧
SFTP user: ⟦user⟧
Temporary password: ⟦pw⟧ (must be changed on first login)
Due: ⟦date⟧
""",
)
t(
    "en",
    "jira_ticket",
    P,
    r"""SUP-⟦big⟧ Refund request
Customer: ⟦name⟧ <⟦email⟧>
Card used: ⟦card⟧ (exp 08/27)
Order: ⟦order_no⟧
Amount: 129.90 EUR
Note from agent: customer read the full number over the phone, please mask after processing.
""",
)
t(
    "en",
    "slack_export",
    P,
    r"""[⟦time⟧] ⟦first⟧: anyone has the staging db password?
[⟦time⟧] ⟦first⟧: `⟦pw⟧` user is ⟦user⟧
[⟦time⟧] ⟦first⟧: thx. and the bastion is still ⟦ip4⟧?
[⟦time⟧] ⟦first⟧: yep
""",
)
t(
    "en",
    "slack_export",
    P,
    r"""{"type": "message", "user": "⟦slack_chan⟧", "text": "here's the new sentry token for the release script: ⟦sentry⟧", "ts": "1718⟦big⟧.000200"}
{"type": "message", "user": "⟦slack_chan⟧", "text": "thanks, also ping ⟦email⟧ about the quota", "ts": "1718⟦big⟧.000300"}
""",
)
t(
    "en",
    "teams_chat",
    P,
    r"""⟦name⟧ ⟦time⟧
Can you add me to the Grafana? my mail is ⟦email⟧

⟦name⟧ ⟦time⟧
done, use the service account token for the API meanwhile: ⟦grafana_sa⟧
""",
)
t(
    "en",
    "discord_chat",
    P,
    r"""⟦user⟧ — Today at ⟦time⟧
lol my bot stopped working after I pasted this in #general: ⟦discord⟧
⟦user⟧ — Today at ⟦time⟧
bro reset it in the dev portal rn
""",
)
t(
    "en",
    "irc_log",
    P,
    r"""[⟦time⟧] <⟦user⟧> ok connecting to the box now
[⟦time⟧] <⟦user⟧> /msg NickServ IDENTIFY ⟦pw⟧
[⟦time⟧] <⟦user⟧> oops wrong window
""",
)
t(
    "en",
    "support_chat",
    P,
    r"""Agent: Thanks for contacting us. Can you confirm the e-mail on the account?
Customer: it's ⟦email⟧
Agent: And the last four digits of the card?
Customer: here is the whole card ⟦card⟧ exp 04/28
Agent: Please never share the full number in chat. I've redacted it on our side.
""",
)
t(
    "en",
    "email_thread",
    P,
    r"""From: ⟦name⟧ <⟦email⟧>
To: ⟦email⟧
Subject: Wi-Fi for the workshop

Hi team,

for the guests on Thursday: network "⟦word⟧-Guest", password ⟦psk⟧ . The printer is at ⟦pip⟧.

Thanks,
⟦first⟧
""",
)

# ---------------------------------------------------------------- H. documentation pages with real values (positive)
t(
    "en",
    "readme_markdown",
    P,
    r"""## Quick start

1. Clone the repo
2. Copy `.env.sample` to `.env` and fill in:

```
MAPBOX_ACCESS_TOKEN=⟦mapbox_pk⟧
MAPBOX_SECRET_TOKEN=⟦mapbox_sk⟧
```
3. `npm run dev` and open http://localhost:3000

Questions: ⟦email⟧
""",
)
t(
    "en",
    "readme_markdown",
    P,
    r"""# internal-tools

Staging login for reviewers: **⟦user⟧** / **⟦pw⟧**

The staging box lives at `⟦ip4⟧`, ask ⟦email⟧ for VPN.
""",
)
t(
    "en",
    "wiki_page",
    P,
    r"""h2. Payment provider sandbox + prod

|| Env || Key || Value ||
| sandbox | secret | ⟦sk_test⟧ |
| sandbox | restricted | ⟦rk_test⟧ |
| prod | secret | ⟦sk_live⟧ |
| prod | publishable | ⟦pk_live⟧ |

Owner: ⟦name⟧ (⟦email⟧)
""",
)
t(
    "en",
    "confluence_runbook",
    P,
    r"""Runbook: restoring the Elasticsearch cluster

1. SSH to the jump host ⟦ip4⟧ (user ⟦user⟧).
2. Use the elastic superuser: elastic / ⟦pw⟧
3. Register the snapshot repo:
   PUT _snapshot/s3_repo  { "type": "s3", "settings": { "bucket": "⟦word⟧-snapshots", "access_key": "⟦aws_akid⟧", "secret_key": "⟦aws_sk⟧" } }
4. Restore the latest snapshot and watch `_cat/recovery`.
5. Post in #ops and e-mail ⟦email⟧ when green.
""",
)
t(
    "en",
    "api_docs_page",
    P,
    r"""### Authentication

All requests need the header `Authorization: Bearer <token>`. For the shared demo tenant you can use:

    Authorization: Bearer ⟦tok64⟧

Rate limit: 100 req/min per token. The demo tenant is reset nightly at 02:00 UTC.
""",
)
t(
    "en",
    "mkdocs_page",
    P,
    r"""!!! warning "Temporary"
    Until SSO is live, the admin console at https://⟦ip4⟧:9443 uses the local account
    `admin` with password `⟦pw⟧`. Reset it after onboarding.
""",
)

# ---------------------------------------------------------------- I. PII-heavy business text (positive, English)
t(
    "en",
    "crm_csv_export",
    P,
    r"""id,name,email,phone,last_login_ip,signup
1,⟦name⟧,⟦email⟧,⟦phone⟧,⟦ip4⟧,⟦date⟧
2,⟦name⟧,⟦email⟧,⟦phone⟧,⟦ip4⟧,⟦date⟧
3,⟦name⟧,⟦email⟧,⟦phone⟧,⟦ip⟧,⟦date⟧
""",
)
t(
    "en",
    "order_export_csv",
    P,
    r"""order_id;customer_email;card_number;amount
⟦order_no⟧;⟦email⟧;⟦card⟧;49.00
⟦order_no⟧;⟦email⟧;⟦card⟧;310.50
⟦order_no⟧;⟦email⟧;⟦card_masked⟧;12.99
""",
)
t(
    "en",
    "payment_gateway_log",
    P,
    r"""⟦ts⟧ [gateway] authorize pan=⟦card_plain⟧ exp=1226 amount=2599 currency=EUR ip=⟦ip4⟧ result=APPROVED
⟦ts⟧ [gateway] capture id=⟦cus_id⟧ result=OK
""",
)
t(
    "en",
    "database_dump",
    P,
    r"""INSERT INTO `customers` (`id`, `email`, `password`, `cc_number`, `cc_exp`, `reg_ip`) VALUES
(⟦int⟧, '⟦email⟧', '⟦bcrypt⟧', '⟦card_plain⟧', '09/26', '⟦ip4⟧'),
(⟦int⟧, '⟦email⟧', '⟦bcrypt⟧', '⟦card_plain⟧', '01/28', '⟦ip4⟧');
""",
)
t(
    "en",
    "incident_report",
    P,
    r"""Incident ⟦date⟧ — credential stuffing against /login

Timeline (UTC)
- ⟦time⟧ spike of 401s from ⟦ip4⟧ and ⟦ip4⟧ (hosting provider ASN)
- ⟦time⟧ WAF rule added blocking ⟦ip4⟧/24
- ⟦time⟧ attacker rotated to ⟦ip6⟧

Affected accounts: ⟦email⟧, ⟦email⟧ (passwords reset, sessions revoked)
Owner: ⟦name⟧
""",
)
t(
    "en",
    "abuse_report_email",
    P,
    r"""Dear abuse team,

our honeypot recorded repeated SSH brute force attempts from ⟦ip4⟧ between ⟦time⟧ and ⟦time⟧ UTC on ⟦date⟧. Sample log lines are attached. Please take appropriate action.

Regards,
⟦name⟧
Security Operations, ⟦email⟧
""",
)
t(
    "en",
    "hotel_booking_email",
    P,
    r"""Booking confirmation ⟦order_no⟧

Guest: ⟦name⟧
E-mail: ⟦email⟧
Check-in: ⟦date⟧, 2 nights
Guarantee card: ⟦card⟧
Please present the same card at reception.
""",
)
t(
    "en",
    "invoice_text",
    P,
    r"""INVOICE ⟦order_no⟧
Bill to: ⟦name⟧, ⟦email⟧
Paid with card ending ⟦last4⟧ on ⟦date⟧.
Questions? Write to ⟦email⟧.
""",
)
t(
    "en",
    "mailing_list_archive",
    P,
    r"""From ⟦email⟧  Mon Feb  3 11:02:47 2025
From: ⟦email⟧ (⟦name⟧)
Subject: [dev] PATCH: fix off-by-one in parser

Tested on ⟦ver⟧, see attached. Reported-by: ⟦email⟧
""",
)
t(
    "en",
    "server_inventory",
    P,
    r"""hostname          public_ip        private_ip      owner
⟦host⟧    ⟦ip4⟧    ⟦pip⟧   ⟦email⟧
⟦host⟧    ⟦ip4⟧    ⟦pip⟧   ⟦email⟧
⟦host⟧    ⟦ip6⟧    ⟦pip⟧   ⟦email⟧
""",
)
t(
    "en",
    "vpn_config",
    P,
    r"""client
dev tun
proto udp
remote ⟦ip4⟧ 1194
remote ⟦ip4⟧ 1194
auth-user-pass
<key>
⟦privkey_p8⟧
</key>
""",
)
t(
    "en",
    "haproxy_cfg",
    P,
    r"""backend app
    balance roundrobin
    server app1 ⟦ip4⟧:8080 check
    server app2 ⟦ip4⟧:8080 check
userlist admins
    user ops insecure-password ⟦pwa⟧
""",
)
t(
    "en",
    "redis_conf",
    P,
    r"""bind ⟦pip⟧ 127.0.0.1
port 6379
requirepass ⟦pwa⟧
masterauth ⟦pwa⟧
replicaof ⟦ip4⟧ 6379
""",
)
t(
    "en",
    "cisco_config",
    P,
    r"""hostname edge-⟦int⟧
enable secret 9 ⟦cisco8⟧
username netops privilege 15 secret 9 ⟦cisco8⟧
interface GigabitEthernet0/0
 ip address ⟦ip4⟧ 255.255.255.248
snmp-server community ⟦pwa⟧ RO
crypto isakmp key ⟦psk⟧ address ⟦ip4⟧
""",
)
t(
    "en",
    "mikrotik_export",
    P,
    r"""/interface wireless security-profiles
add authentication-types=wpa2-psk mode=dynamic-keys name=office wpa2-pre-shared-key=⟦psk⟧
/ip address
add address=⟦ip4⟧/29 interface=ether1
/user add name=⟦user⟧ group=full password=⟦pw⟧
""",
)
t(
    "en",
    "sentry_event_json",
    P,
    r"""{
  "event_id": "⟦trace_id⟧",
  "level": "error",
  "user": { "email": "⟦email⟧", "ip_address": "⟦ip⟧" },
  "request": {
    "url": "https://⟦pubhost⟧/api/orders",
    "headers": { "Cookie": "sessionid=⟦session⟧; csrftoken=⟦csrf⟧" }
  }
}
""",
)
t(
    "en",
    "har_file_excerpt",
    P,
    r""""headers": [
  { "name": "Host", "value": "⟦pubhost⟧" },
  { "name": "Authorization", "value": "Bearer ⟦jwt⟧" },
  { "name": "X-Request-ID", "value": "⟦uuid⟧" }
],
"serverIPAddress": "⟦ip4⟧",
""",
)
t(
    "en",
    "oauth_token_response",
    P,
    r"""HTTP/1.1 200 OK
Content-Type: application/json

{"access_token":"⟦okta⟧","token_type":"Bearer","expires_in":3600,"refresh_token":"⟦tok64⟧","scope":"openid profile"}
""",
)

# ---------------------------------------------------------------- J. multilingual natural language (positive)
ML_POS = [
    (
        "de",
        "chat_message",
        "Hi ⟦first⟧, das neue Passwort für den Staging-Server ⟦ip4⟧ ist ⟦pw⟧ – bitte nach dem ersten Login ändern.",
    ),
    (
        "de",
        "support_ticket",
        "Sehr geehrte Damen und Herren,\nich habe zweimal bezahlt. Meine Kreditkarte: ⟦card⟧, E-Mail-Adresse: ⟦email⟧. Bitte erstatten Sie den doppelten Betrag.\nMit freundlichen Grüßen\n⟦name⟧",
    ),
    (
        "de",
        "python_source_german_comments",
        '# Zugangsdaten für die Schnittstelle (NICHT einchecken!)\nAPI_SCHLUESSEL = "⟦hex40⟧"\n# Ansprechpartner: ⟦email⟧\nSERVER = "⟦ip4⟧"\n',
    ),
    (
        "fr",
        "chat_message",
        "Salut ⟦first⟧, voici le jeton GitLab pour le déploiement : ⟦glpat⟧. Ne le partage pas en dehors de l'équipe.",
    ),
    (
        "fr",
        "email_message",
        "Bonjour,\nVoici mes coordonnées pour la facture : ⟦name⟧, ⟦email⟧. Le paiement a été fait avec la carte ⟦card⟧.\nCordialement",
    ),
    (
        "fr",
        "forum_post",
        "Bonjour à tous, mon serveur (IP publique ⟦ip4⟧) refuse les connexions SSH depuis hier. Le mot de passe root est ⟦pw⟧, je l'ai vérifié trois fois. Une idée ?",
    ),
    ("es", "chat_message", "Oye ⟦first⟧, la contraseña del wifi de la oficina es ⟦psk⟧ y la impresora está en ⟦pip⟧."),
    (
        "es",
        "support_ticket",
        "Hola, no puedo acceder a mi cuenta ⟦email⟧. Me conecto desde la IP ⟦ip4⟧ y me dice que está bloqueada. ¿Me ayudan?",
    ),
    (
        "es",
        "forum_post",
        "¿Alguien sabe por qué Stripe me devuelve 401? Estoy usando esta clave: ⟦sk_live⟧ en el backend y la pública en el frontend.",
    ),
    (
        "it",
        "chat_message",
        "Ciao ⟦first⟧, ti mando le credenziali del database: utente ⟦user⟧, password ⟦pw⟧, host ⟦ip4⟧.",
    ),
    (
        "it",
        "email_message",
        "Gentile cliente, abbiamo ricevuto il suo ordine ⟦order_no⟧. Carta utilizzata: ⟦card⟧. Per qualsiasi domanda scriva a ⟦email⟧.",
    ),
    ("pt", "chat_message", "Oi ⟦first⟧! O token do bot do Telegram é ⟦telegram⟧, coloca no .env do servidor ⟦ip4⟧."),
    (
        "pt",
        "support_ticket",
        "Olá, meu nome é ⟦name⟧ e o e-mail da conta é ⟦email⟧. A cobrança no cartão ⟦card⟧ foi feita duas vezes.",
    ),
    ("nl", "chat_message", "Hoi ⟦first⟧, het wachtwoord voor de NAS (⟦pip⟧) is ⟦pw⟧. Het publieke adres is ⟦ip4⟧."),
    (
        "nl",
        "email_message",
        "Beste ⟦first⟧,\nMijn nieuwe e-mailadres is ⟦email⟧. Wil je de factuur daarheen sturen?\nGroet, ⟦name⟧",
    ),
    ("sv", "chat_message", "Hej ⟦first⟧! Här är API-nyckeln till SendGrid: ⟦sendgrid⟧ – lägg den i valvet sen."),
    ("sv", "support_ticket", "Hej, jag blev debiterad två gånger på kortet ⟦card⟧. Min e-post är ⟦email⟧."),
    ("da", "chat_message", "Hej ⟦first⟧, adgangskoden til routeren er ⟦pw⟧, og den offentlige IP er ⟦ip4⟧."),
    (
        "da",
        "email_message",
        "Kære kunde, tak for din bestilling. Vi har registreret e-mailadressen ⟦email⟧ og IP-adressen ⟦ip⟧ ved købet.",
    ),
    ("nb", "chat_message", "Hei ⟦first⟧, passordet til den delte kontoen er ⟦phrase⟧. Brukernavn: ⟦user⟧."),
    ("nb", "support_ticket", "Hei, jeg kommer ikke inn på kontoen ⟦email⟧. Betalte med kort ⟦card⟧ i går."),
    ("fi", "chat_message", "Moi ⟦first⟧, tässä palvelimen ⟦ip4⟧ root-salasana: ⟦pw⟧. Vaihda se heti."),
    ("fi", "email_message", "Hei, sähköpostiosoitteeni on vaihtunut: uusi osoite on ⟦email⟧. Kiitos!"),
    ("pl", "chat_message", "Cześć ⟦first⟧, hasło do panelu to ⟦pw⟧, login ⟦user⟧. Serwer stoi na ⟦ip4⟧."),
    (
        "pl",
        "support_ticket",
        "Dzień dobry, zapłaciłem kartą ⟦card⟧ ale zamówienie ⟦order_no⟧ nie zostało zrealizowane. Mój e-mail: ⟦email⟧.",
    ),
    ("cs", "chat_message", "Ahoj ⟦first⟧, tady je token pro Docker Hub: ⟦dckr⟧. Uživatel je ⟦user⟧."),
    ("cs", "email_message", "Dobrý den, prosím o změnu kontaktního e-mailu na ⟦email⟧. Děkuji, ⟦name⟧"),
    ("sk", "chat_message", "Ahoj ⟦first⟧, heslo k VPN je ⟦pw⟧ a server má adresu ⟦ip4⟧."),
    ("sk", "support_ticket", "Dobrý deň, z karty ⟦card⟧ mi bola stiahnutá platba dvakrát. Kontakt: ⟦email⟧."),
    ("hu", "chat_message", "Szia ⟦first⟧! Az éles adatbázis jelszava: ⟦pw⟧, a szerver IP-címe ⟦ip4⟧."),
    ("hu", "email_message", "Kedves ⟦first⟧, az új e-mail címem ⟦email⟧. Kérlek, frissítsd a nyilvántartásban."),
    ("ro", "chat_message", "Salut ⟦first⟧, cheia API pentru OpenAI este ⟦openai⟧, nu o pune pe GitHub."),
    ("ro", "support_ticket", "Bună ziua, am plătit cu cardul ⟦card⟧ și nu am primit confirmarea pe ⟦email⟧."),
    ("tr", "chat_message", "Selam ⟦first⟧, sunucunun (⟦ip4⟧) root şifresi ⟦pw⟧. Lütfen kimseyle paylaşma."),
    ("tr", "support_ticket", "Merhaba, ⟦card⟧ numaralı kartımdan iki kez çekim yapıldı. E-posta adresim: ⟦email⟧."),
    ("ru", "chat_message", "Привет, ⟦first⟧! Пароль от админки: ⟦pw⟧, логин ⟦user⟧. Сервер ⟦ip4⟧."),
    ("ru", "forum_post", "Помогите, бот не отвечает. Токен ⟦telegram⟧, хостинг на ⟦ip4⟧, ошибка 409 Conflict."),
    ("ru", "support_ticket", "Здравствуйте! С моей карты ⟦card⟧ списали деньги дважды. Почта для связи: ⟦email⟧."),
    (
        "uk",
        "chat_message",
        "Привіт, ⟦first⟧! Ось токен для GitHub Actions: ⟦ghp⟧. Видали повідомлення після копіювання.",
    ),
    ("uk", "email_message", "Добрий день! Моя нова адреса електронної пошти: ⟦email⟧. Дякую."),
    ("el", "chat_message", "Γεια σου ⟦first⟧, ο κωδικός για τον server ⟦ip4⟧ είναι ⟦pw⟧."),
    ("el", "email_message", "Καλησπέρα, παρακαλώ στείλτε το τιμολόγιο στο ⟦email⟧. Ευχαριστώ, ⟦name⟧"),
    ("bg", "chat_message", "Здравей ⟦first⟧, паролата за базата е ⟦pw⟧, потребител ⟦user⟧, хост ⟦ip4⟧."),
    ("bg", "email_message", "Здравейте, имейлът ми е ⟦email⟧. Плащането беше с карта ⟦card⟧."),
    ("hr", "chat_message", "Bok ⟦first⟧, lozinka za Wi-Fi u uredu je ⟦psk⟧."),
    ("hr", "email_message", "Poštovani, moja nova e-mail adresa je ⟦email⟧, a pristupam s IP adrese ⟦ip4⟧."),
    ("sl", "chat_message", "Živjo ⟦first⟧, geslo za strežnik ⟦ip4⟧ je ⟦pw⟧."),
    ("sl", "email_message", "Pozdravljeni, prosim pošljite račun na ⟦email⟧. Hvala!"),
    ("ja", "chat_message", "⟦first⟧さん、本番DBのパスワードは ⟦pw⟧ です。サーバーは ⟦ip4⟧ です。"),
    ("ja", "support_ticket", "お世話になっております。カード番号 ⟦card⟧ で二重に請求されています。連絡先: ⟦email⟧"),
    (
        "ja",
        "qa_post",
        "Slack の Bot トークン ⟦xoxb⟧ を使って投稿しようとすると invalid_auth になります。原因がわかる方いますか？",
    ),
    ("zh", "chat_message", "⟦first⟧，测试服务器 ⟦ip4⟧ 的 root 密码是 ⟦pw⟧，用完请修改。"),
    ("zh", "support_ticket", "您好，我的信用卡 ⟦card⟧ 被重复扣款了，请联系我：⟦email⟧。"),
    (
        "zh",
        "qa_post",
        "请问为什么阿里云 SDK 报错 InvalidAccessKeyId？我的 AccessKeyId 是 ⟦alibaba_id⟧，Secret 是 ⟦tok⟧。",
    ),
    ("ko", "chat_message", "⟦first⟧님, 관리자 계정 비밀번호는 ⟦pw⟧ 입니다. 접속 주소는 ⟦ip4⟧ 입니다."),
    ("ko", "support_ticket", "안녕하세요. 카드 ⟦card⟧ 로 결제했는데 주문이 확인되지 않습니다. 이메일: ⟦email⟧"),
    ("ar", "chat_message", "مرحبا ⟦first⟧، كلمة المرور لخادم الاختبار ⟦ip4⟧ هي ⟦pw⟧ يرجى تغييرها."),
    ("ar", "email_message", "السلام عليكم، بريدي الإلكتروني الجديد هو ⟦email⟧ وشكرا."),
    ("he", "chat_message", "היי ⟦first⟧, הסיסמה לשרת ⟦ip4⟧ היא ⟦pw⟧ תחליף אותה אחרי הכניסה."),
    ("he", "email_message", 'שלום, כתובת הדוא"ל שלי היא ⟦email⟧. תודה, ⟦name⟧'),
    ("hi", "chat_message", "नमस्ते ⟦first⟧, सर्वर ⟦ip4⟧ का पासवर्ड ⟦pw⟧ है, कृपया इसे किसी से साझा न करें।"),
    ("hi", "support_ticket", "नमस्ते, मेरे कार्ड ⟦card⟧ से दो बार भुगतान कट गया है। मेरा ईमेल ⟦email⟧ है।"),
    ("id", "chat_message", "Halo ⟦first⟧, server key Midtrans-nya: ⟦midtrans⟧, server di ⟦ip4⟧."),
    (
        "id",
        "support_ticket",
        "Halo, saya bayar pakai kartu ⟦card⟧ tapi pesanan ⟦order_no⟧ belum diproses. Email saya ⟦email⟧.",
    ),
    ("vi", "chat_message", "Chào ⟦first⟧, mật khẩu quản trị là ⟦pw⟧, máy chủ ở địa chỉ ⟦ip4⟧."),
    ("vi", "email_message", "Xin chào, địa chỉ email mới của tôi là ⟦email⟧. Cảm ơn!"),
    ("th", "chat_message", "สวัสดี ⟦first⟧ รหัสผ่านเซิร์ฟเวอร์ ⟦ip4⟧ คือ ⟦pw⟧ นะครับ"),
    ("th", "email_message", "สวัสดีครับ อีเมลใหม่ของผม คือ ⟦email⟧ ขอบคุณครับ"),
    ("ms", "chat_message", "Hai ⟦first⟧, kata laluan pelayan ⟦ip4⟧ ialah ⟦pw⟧."),
    ("lt", "chat_message", "Labas ⟦first⟧, serverio ⟦ip4⟧ slaptažodis yra ⟦pw⟧."),
    ("et", "chat_message", "Tere ⟦first⟧, andmebaasi parool on ⟦pw⟧ ja server on ⟦ip4⟧."),
    ("fa", "chat_message", "سلام ⟦first⟧، رمز عبور سرور ⟦ip4⟧ این است: ⟦pw⟧"),
    (
        "de",
        "confluence_page_german",
        "Zugang Testumgebung\n\nURL: https://⟦ip4⟧:8443\nBenutzer: ⟦user⟧\nKennwort: ⟦pw⟧\nAnsprechpartnerin: ⟦name⟧ (⟦email⟧)\n",
    ),
    (
        "fr",
        "readme_french",
        "## Configuration\n\nCopiez le fichier `.env.exemple` puis renseignez la clé :\n\n```\nMISTRAL_API_KEY=⟦tok⟧\nSENTRY_TOKEN=⟦sentry⟧\n```\n\nContact : ⟦email⟧\n",
    ),
    (
        "es",
        "yaml_config_spanish_comments",
        "# configuración de producción\nbase_de_datos:\n  servidor: ⟦ip4⟧\n  usuario: ⟦user⟧\n  clave: ⟦pwa⟧  # cambiar cada 90 días\n",
    ),
    (
        "pt",
        "github_issue_portuguese",
        "Erro ao publicar no PyPI\n\nRodei `twine upload dist/* -u __token__ -p ⟦pypi⟧` e recebi 403. Alguém pode ajudar?",
    ),
    (
        "ja",
        "yaml_config_japanese_comments",
        "# 本番環境の設定\nredis:\n  host: ⟦ip4⟧\n  password: ⟦pwa⟧  # 後で Secret Manager に移す\n",
    ),
    (
        "ru",
        "dotenv_russian_comments",
        "# ключи для оплаты (боевые!)\nYOOKASSA_SHOP_ID=⟦big⟧\nYOOKASSA_SECRET_KEY=⟦yookassa⟧\n",
    ),
    ("it", "forum_post", "Ciao a tutti, il mio webhook Discord ⟦discord_hook⟧ restituisce 404. Cosa sbaglio?"),
    ("pl", "commit_message_polish", "Poprawka konfiguracji SMTP\n\nDodano hasło ⟦pwa⟧ dla konta ⟦email⟧ (tymczasowo)."),
]
for lang, ctx, txt in ML_POS:
    t(lang, ctx, P, txt)

# ---------------------------------------------------------------- K. hard negatives (English / code)
t(
    "en",
    "readme_markdown",
    "doc_placeholder",
    r"""## Configuration

Create a `.env` file in the project root:

```
API_KEY=your_api_key_here
API_SECRET=<your-secret>
DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB
```

Then run `make up` (requires Docker ⟦ver⟧ or newer).
""",
)
t(
    "en",
    "env_sample_file",
    "doc_placeholder",
    r"""# .env.example -- copy to .env and fill in real values
STRIPE_SECRET_KEY=sk_live_...
SLACK_BOT_TOKEN=xoxb-your-bot-token
OPENAI_API_KEY=
SMTP_PASSWORD=REPLACE_ME
APP_PORT=⟦port⟧
""",
)
t(
    "en",
    "api_docs_page",
    "doc_placeholder",
    r"""### Authenticate

```bash
curl https://api.⟦domain=d⟧/v⟦int⟧/projects \
  -H "Authorization: Bearer $API_TOKEN"
```

Replace `$API_TOKEN` with a token from **Settings → Tokens**. Tokens look like `tok_XXXXXXXXXXXXXXXX`.
""",
)
t(
    "en",
    "helm_values",
    "doc_placeholder",
    r"""# Default values for ⟦word⟧-chart.
auth:
  # -- admin password; leave empty to auto-generate a random one
  adminPassword: ""
  # -- existing secret with key `password`
  existingSecret: ""
replicaCount: ⟦int⟧
""",
)
t(
    "en",
    "docker_compose",
    "doc_placeholder",
    r"""services:
  db:
    image: mariadb:⟦ver⟧
    environment:
      MARIADB_ROOT_PASSWORD: <set-me>
      MARIADB_PASSWORD: "********"
      MARIADB_USER: ⟦user⟧
""",
)
t(
    "en",
    "swagger_spec",
    "doc_placeholder",
    r"""components:
  securitySchemes:
    ApiKeyAuth:
      type: apiKey
      in: header
      name: X-API-Key
      description: "Example: `X-API-Key: {{api_key}}`"
info:
  version: ⟦ver⟧
""",
)
t(
    "en",
    "qa_answer",
    "doc_placeholder",
    r"""You need to pass the key in the header, e.g.

    requests.get(url, headers={"Authorization": f"Bearer {token}"})

where `token` is whatever you got from `/oauth/token`. Don't hard-code it; read it from `os.environ["⟦envname⟧"]`.
""",
)
t(
    "en",
    "aws_docs_snippet",
    "vendor_example_key",
    r"""$ aws configure
AWS Access Key ID [None]: AKIAIOSFODNN7EXAMPLE
AWS Secret Access Key [None]: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
Default region name [None]: ⟦region=r⟧
Default output format [None]: json
""",
)
t(
    "en",
    "aws_credentials_doc",
    "vendor_example_key",
    r"""[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[⟦word⟧-profile]
role_arn = ⟦role_arn⟧
source_profile = default
""",
)
t(
    "en",
    "sdk_docs_page",
    "vendor_example_key",
    r"""```python
client = Client(api_key="sk_test_xxxxxxxxxxxxxxxxxxxxxxxx")  # replace with your key
client.customers.retrieve("⟦cus_id⟧")
```
""",
)
t(
    "en",
    "tutorial_blog_post",
    "vendor_example_key",
    r"""Export the token before running the script (the value below is just an example):

    export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    export VAULT_TOKEN=hvs.EXAMPLEEXAMPLEEXAMPLE

The script clones ⟦int⟧ repositories in parallel.
""",
)
t(
    "en",
    "github_actions_workflow",
    "env_var_reference",
    r"""jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: ⟦role_arn⟧
          aws-region: ⟦region=r⟧
      - run: ./deploy.sh
        env:
          DB_PASSWORD: ${{ secrets.DB_PASSWORD }}
          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}
""",
)
t(
    "en",
    "python_source",
    "env_var_reference",
    r"""import os

DB_PASSWORD = os.environ["DB_PASSWORD"]
STRIPE_KEY = os.getenv("STRIPE_SECRET_KEY", "")
TIMEOUT = int(os.getenv("TIMEOUT", "⟦int⟧"))
""",
)
t(
    "en",
    "javascript_source",
    "env_var_reference",
    r"""const client = new Client({
  host: process.env.PGHOST ?? "⟦host⟧",
  password: process.env.PGPASSWORD,
  apiKey: process.env.SENDGRID_API_KEY,
});
""",
)
t(
    "en",
    "docker_compose",
    "env_var_reference",
    r"""services:
  api:
    image: ghcr.io/⟦word⟧/api:⟦ver⟧
    environment:
      - DATABASE_PASSWORD=${DATABASE_PASSWORD:?set it in .env}
      - JWT_SECRET=${JWT_SECRET}
""",
)
t(
    "en",
    "helm_template",
    "env_var_reference",
    r"""          env:
            - name: DB_PASSWORD
              value: {{ .Values.db.password | quote }}
            - name: API_TOKEN
              value: "{{ required "apiToken is required" .Values.apiToken }}"
            - name: REPLICAS
              value: "⟦int⟧"
""",
)
t(
    "en",
    "windows_batch",
    "env_var_reference",
    r"""@echo off
set PGHOST=⟦host⟧
psql -U %PGUSER% -W %PGPASSWORD% -c "select ⟦int⟧"
""",
)
t(
    "en",
    "ansible_vars",
    "env_var_reference",
    r"""db_password: "{{ vault_db_password }}"
api_token: "{{ lookup('env', 'API_TOKEN') }}"
smtp_password: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  ⟦sha256⟧
  ⟦sha256⟧
""",
)
t(
    "en",
    "k8s_deployment",
    "secret_manager_reference",
    r"""          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ⟦word⟧-db
                  key: password
            - name: STRIPE_KEY
              valueFrom:
                secretKeyRef: { name: stripe, key: secret }
""",
)
t(
    "en",
    "terraform_source",
    "secret_manager_reference",
    r"""data "aws_secretsmanager_secret_version" "db" {
  secret_id = "⟦arn_secret⟧"
}

resource "aws_db_instance" "main" {
  password = jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]
}
""",
)
t(
    "en",
    "appsettings_json",
    "secret_manager_reference",
    r"""{
  "ConnectionStrings": {
    "Sql": "@Microsoft.KeyVault(SecretUri=https://⟦word⟧-kv.vault.azure.net/secrets/sql-conn/)"
  },
  "Vault": { "Path": "⟦key_id_vault⟧", "Role": "⟦word⟧-app" }
}
""",
)
t(
    "en",
    "shadow_file",
    "password_hash",
    r"""root:⟦crypt⟧:19800:0:99999:7:::
daemon:*:19800:0:99999:7:::
⟦user⟧:⟦crypt⟧:19811:0:99999:7:::
sshd:!:19800::::::
""",
)
t(
    "en",
    "htpasswd_file",
    "password_hash",
    r"""⟦user⟧:⟦bcrypt⟧
⟦user⟧:⟦bcrypt⟧
""",
)
t(
    "en",
    "database_dump",
    "password_hash",
    r"""INSERT INTO users (id, username, password_hash, created_at) VALUES
(⟦int⟧, '⟦user⟧', '⟦argon2⟧', '⟦date⟧'),
(⟦int⟧, '⟦user⟧', '⟦bcrypt⟧', '⟦date⟧');
""",
)
t(
    "en",
    "django_fixture",
    "password_hash",
    r"""[{"model": "auth.user", "pk": ⟦int⟧, "fields": {"username": "⟦user⟧", "password": "pbkdf2_sha256$720000$⟦slug⟧$⟦b32⟧", "is_staff": true}}]
""",
)
t(
    "en",
    "cisco_config",
    "cisco_password_hash",
    r"""hostname core-sw-⟦int⟧
enable algorithm-type scrypt secret ⟦cisco8⟧
username admin privilege 15 algorithm-type sha256 secret ⟦cisco8⟧
interface Vlan⟦int⟧
 ip address ⟦pip⟧ 255.255.255.0
""",
)
t(
    "en",
    "network_audit_report",
    "cisco_password_hash",
    r"""Finding ⟦int⟧: local users stored with type 9 (scrypt) hashes - OK
  username netops secret 9 ⟦cisco8⟧
Finding ⟦int⟧: no type 7 or cleartext passwords found on ⟦host⟧.
""",
)
t(
    "en",
    "sha256sums_file",
    "checksum_digest",
    r"""⟦sha256⟧  ⟦word⟧-⟦ver⟧-linux-amd64.tar.gz
⟦sha256⟧  ⟦word⟧-⟦ver⟧-linux-arm64.tar.gz
⟦sha256⟧  ⟦word⟧-⟦ver⟧-darwin-arm64.tar.gz
""",
)
t(
    "en",
    "download_page",
    "checksum_digest",
    r"""Download ⟦word⟧ ⟦ver⟧ (64-bit installer)
MD5: ⟦md5⟧
SHA-1: ⟦sha1⟧
SHA-256: ⟦sha256⟧
""",
)
t(
    "en",
    "go_sum",
    "checksum_digest",
    r"""github.com/⟦word⟧/⟦word⟧ v⟦ver⟧ h1:⟦b32⟧
github.com/⟦word⟧/⟦word⟧ v⟦ver⟧/go.mod h1:⟦b32⟧
""",
)
t(
    "en",
    "terraform_lock",
    "checksum_digest",
    r"""provider "registry.terraform.io/hashicorp/aws" {
  version     = "⟦ver⟧"
  constraints = "~> 5.0"
  hashes = [
    "h1:⟦b32⟧",
    "zh:⟦sha256⟧",
    "zh:⟦sha256⟧",
  ]
}
""",
)
t(
    "en",
    "git_log",
    "git_commit_sha",
    r"""⟦short_sha⟧ (HEAD -> main, origin/main) Merge pull request #⟦int⟧ from ⟦user⟧/fix-timeouts
⟦short_sha⟧ Bump ⟦word⟧ from ⟦ver⟧ to ⟦ver⟧
⟦short_sha⟧ Retry uploads on 503
⟦short_sha⟧ Remove leaked token (rotated, see SEC-⟦int⟧)
""",
)
t(
    "en",
    "git_blame_excerpt",
    "git_commit_sha",
    r"""⟦sha1⟧ (⟦user⟧ ⟦date⟧ 14:02:11 +0200 41)     retries = ⟦int⟧
⟦sha1⟧ (⟦user⟧ ⟦date⟧ 09:17:45 +0200 42)     backoff = 1.5
""",
)
t(
    "en",
    "ci_log",
    "git_commit_sha",
    r"""Run actions/checkout@v4
  Syncing repository: ⟦word⟧/⟦word⟧
  HEAD is now at ⟦sha1⟧
  Checking out ref refs/pull/⟦int⟧/merge
  Resolved base ⟦sha1⟧
""",
)
t(
    "en",
    "javascript_source",
    "publishable_key",
    r"""// checkout.js -- publishable key is safe to expose in the browser
const stripe = Stripe("⟦pk_live⟧");
const elements = stripe.elements({ locale: "auto" });
""",
)
t(
    "en",
    "html_page",
    "publishable_key",
    r"""<script src="https://api.mapbox.com/mapbox-gl-js/v3.6.0/mapbox-gl.js"></script>
<script>
  mapboxgl.accessToken = '⟦mapbox_pk⟧';
  const map = new mapboxgl.Map({ container: 'map', zoom: ⟦int⟧ });
</script>
""",
)
t(
    "en",
    "dotenv_file",
    "publishable_key",
    r"""NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=⟦pk_test⟧
NEXT_PUBLIC_POSTHOG_KEY=phc_⟦rand43⟧
NEXT_PUBLIC_SITE_URL=https://⟦pubhost⟧
""",
)
t(
    "en",
    "react_native_config",
    "publishable_key",
    r"""export const STRIPE_PUBLISHABLE_KEY = "⟦pk_live⟧";
export const PUBLIC_MAP_TOKEN = "⟦mapbox_pk⟧";
""",
)
t(
    "en",
    "html_page",
    "oauth_client_id",
    r"""<meta name="google-signin-client_id" content="⟦gclient_id⟧">
<div id="g_id_onload" data-client_id="⟦gclient_id⟧" data-login_uri="https://⟦pubhost⟧/login"></div>
""",
)
t(
    "en",
    "yaml_config",
    "oauth_client_id",
    r"""oauth:
  github:
    client_id: Iv1.⟦span_id⟧
    callback: https://⟦pubhost⟧/auth/github/callback
  azure:
    client_id: ⟦uuid⟧
    tenant: ⟦uuid⟧
""",
)
t(
    "en",
    "ios_plist",
    "oauth_client_id",
    r"""<key>GIDClientID</key>
<string>⟦gclient_id⟧</string>
<key>CFBundleVersion</key>
<string>⟦int⟧</string>
""",
)
t(
    "en",
    "html_form",
    "recaptcha_site_key",
    r"""<form action="/contact" method="post">
  <input name="email" type="email">
  <div class="g-recaptcha" data-sitekey="⟦recaptcha_site⟧"></div>
  <button>Send</button>
</form>
""",
)
t(
    "en",
    "dotenv_file",
    "recaptcha_site_key",
    r"""RECAPTCHA_SITE_KEY=⟦recaptcha_site⟧
HCAPTCHA_SITEKEY=⟦uuid⟧
""",
)
t(
    "en",
    "authorized_keys",
    "public_key_material",
    r"""⟦ssh_pub⟧
⟦ssh_pub⟧
""",
)
t(
    "en",
    "pem_file",
    "public_key_material",
    r"""# jwt verification key for ⟦pubhost⟧
⟦pub_block⟧
""",
)
t(
    "en",
    "age_recipients",
    "public_key_material",
    r"""# recipients for sops (public keys only)
creation_rules:
  - path_regex: secrets/.*\.yaml
    age: ⟦age_pub⟧
""",
)
t(
    "en",
    "wireguard_peer_list",
    "public_key_material",
    r"""[Peer]
# ⟦first⟧'s laptop
PublicKey = ⟦b32⟧
AllowedIPs = 10.8.0.⟦int⟧/32
""",
)
t(
    "en",
    "pem_file",
    "certificate",
    r"""# chain.pem for ⟦pubhost⟧
⟦cert_block⟧
""",
)
t(
    "en",
    "k8s_configmap",
    "certificate",
    r"""apiVersion: v1
kind: ConfigMap
metadata: { name: ca-bundle, namespace: ⟦word⟧ }
data:
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIID⟦b64line⟧
    ⟦b64line⟧
    ⟦b64line⟧==
    -----END CERTIFICATE-----
""",
)
t(
    "en",
    "html_form",
    "csrf_token",
    r"""<form method="post" action="/account/email">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟦csrf⟧">
  <input type="hidden" name="authenticity_token" value="⟦csrf⟧">
  <input type="email" name="email" placeholder="⟦email_res⟧">
</form>
""",
)
t(
    "en",
    "html_page",
    "csrf_token",
    r"""<head>
  <meta name="csrf-param" content="authenticity_token" />
  <meta name="csrf-token" content="⟦csrf⟧" />
  <title>⟦word⟧ dashboard</title>
</head>
""",
)
t(
    "en",
    "http_request_dump",
    "csrf_token",
    r"""POST /settings HTTP/1.1
Host: ⟦pubhost⟧
X-XSRF-TOKEN: ⟦csrf⟧
X-Requested-With: XMLHttpRequest
Content-Length: ⟦int⟧
""",
)
t(
    "en",
    "http_response_headers",
    "nonce",
    r"""HTTP/2 200
content-security-policy: script-src 'nonce-⟦nonce⟧' 'strict-dynamic'; object-src 'none'
x-frame-options: DENY
age: ⟦int⟧
""",
)
t(
    "en",
    "oauth_authorize_url",
    "nonce",
    r"""https://login.⟦domain=d⟧/oauth2/authorize?response_type=code&client_id=⟦uuid⟧&redirect_uri=https%3A%2F%2F⟦pubhost⟧%2Fcb&state=⟦csrf⟧&nonce=⟦span_id⟧&code_challenge=⟦kid⟧&code_challenge_method=S256
""",
)
t(
    "en",
    "vault_cli_output",
    "vault_accessor",
    r"""$ vault token lookup
Key                 Value
---                 -----
accessor            ⟦vault_accessor⟧
creation_time       1718⟦big⟧
display_name        oidc-⟦user⟧
id                  hvs.********
policies            [default ⟦word⟧-read]
ttl                 ⟦int⟧h
""",
)
t(
    "en",
    "vault_audit_log",
    "vault_accessor",
    r"""{"time":"⟦ts⟧","type":"request","auth":{"accessor":"hmac-sha256:⟦sha256⟧","display_name":"approle","policies":["ci"]},"request":{"id":"⟦uuid⟧","path":"⟦key_id_vault⟧","remote_address":"⟦pip⟧"}}
""",
)
t(
    "en",
    "application_log",
    "request_trace_id",
    r"""⟦ts⟧ INFO http request method=GET path=/api/orders status=200 duration_ms=⟦int⟧ request_id=⟦uuid⟧ trace_id=⟦trace_id⟧ span_id=⟦span_id⟧
⟦ts⟧ WARN http request method=POST path=/api/pay status=502 duration_ms=⟦big⟧ request_id=⟦uuid⟧ trace_id=⟦trace_id⟧
""",
)
t(
    "en",
    "http_response_headers",
    "request_trace_id",
    r"""HTTP/1.1 500 Internal Server Error
x-amzn-requestid: ⟦uuid⟧
x-amz-cf-id: ⟦rand43⟧
traceparent: 00-⟦trace_id⟧-⟦span_id⟧-01
cf-ray: ⟦span_id⟧-FRA
""",
)
t(
    "en",
    "github_issue",
    "request_trace_id",
    r"""The upload fails intermittently. Error from the API:

```
{"error":"internal","message":"Something went wrong","request_id":"⟦req_id⟧","correlation_id":"⟦uuid⟧"}
```
Happens on ⟦ver⟧ and main.
""",
)
t(
    "en",
    "api_docs_page",
    "idempotency_key",
    r"""POST /v1/payments
Idempotency-Key: ⟦uuid⟧
Content-Type: application/json

Retries with the same Idempotency-Key within 24 hours return the original response (status ⟦int⟧ is never repeated).
""",
)
t(
    "en",
    "python_source",
    "idempotency_key",
    r"""resp = client.payments.create(amount=⟦big⟧, currency="eur", idempotency_key="order-⟦big⟧-⟦slug⟧")
""",
)
t(
    "en",
    "redis_cli_output",
    "cache_key",
    r"""127.0.0.1:6379> KEYS session:*
1) "session:⟦md5⟧"
2) "cache:v⟦int⟧:product:⟦big⟧:⟦sha1⟧"
3) "ratelimit:⟦pip⟧"
""",
)
t(
    "en",
    "cdn_config",
    "cache_key",
    r"""cache_key = "${scheme}${host}${uri}"
# sample: https⟦pubhost⟧/assets/app.⟦short_sha⟧.js -> key ⟦sha1⟧
""",
)
t(
    "en",
    "readme_markdown",
    "crypto_wallet_address",
    r"""## Support the project

If this tool saved you time, consider a donation:

- BTC: `⟦btc⟧`
- ETH: `⟦eth⟧`
""",
)
t(
    "en",
    "invoice_text",
    "crypto_wallet_address",
    r"""Please send ⟦int⟧ USDT (ERC-20) to ⟦eth⟧ and reply with the transaction hash 0x⟦sha256⟧.
""",
)
t(
    "en",
    "etc_passwd",
    "username_only",
    r"""root:x:0:0:root:/root:/bin/bash
⟦user⟧:x:1000:1000:⟦name⟧:/home/⟦user⟧:/bin/bash
postgres:x:⟦int⟧:⟦int⟧:PostgreSQL administrator:/var/lib/postgresql:/bin/bash
""",
)
t(
    "en",
    "ldap_export",
    "username_only",
    r"""dn: uid=⟦user⟧,ou=people,dc=corp,dc=local
uid: ⟦user⟧
cn: ⟦name⟧
memberOf: cn=devops,ou=groups,dc=corp,dc=local
""",
)
t(
    "en",
    "sql_script",
    "username_only",
    r"""CREATE USER ⟦user⟧ WITH LOGIN;
GRANT CONNECT ON DATABASE ⟦word⟧ TO ⟦user⟧;
-- password is set via IAM authentication, none stored here
""",
)
t(
    "en",
    "ci_log",
    "masked_secret",
    r"""Run ./deploy.sh
  env:
    AWS_ACCESS_KEY_ID: ***
    AWS_SECRET_ACCESS_KEY: ***
    DEPLOY_ENV: ⟦word⟧
Deploying build ⟦short_sha⟧ ...
""",
)
t(
    "en",
    "terraform_plan",
    "masked_secret",
    r"""  # aws_db_instance.main will be updated in-place
  ~ resource "aws_db_instance" "main" {
        id       = "⟦word⟧-db"
      ~ password = (sensitive value)
        tags     = { "owner" = "⟦user⟧" }
    }
Plan: 0 to add, 1 to change, 0 to destroy.
""",
)
t(
    "en",
    "kubectl_output",
    "masked_secret",
    r"""$ kubectl describe secret ⟦word⟧-db
Name:         ⟦word⟧-db
Namespace:    default
Type:         Opaque

Data
====
password:  ⟦int⟧ bytes
username:  ⟦int⟧ bytes
""",
)
t(
    "en",
    "settings_screen_text",
    "masked_secret",
    r"""API keys
Name: production   Key: ⟦masked_sk⟧   Created ⟦date⟧   Last used ⟦date⟧
Name: ci           Key: ⟦masked_ghp⟧   Created ⟦date⟧
""",
)
t(
    "en",
    "application_log",
    "masked_secret",
    r"""⟦ts⟧ DEBUG connecting to postgres://⟦user⟧:****@⟦host⟧:5432/app
⟦ts⟧ DEBUG using api key ⟦masked⟧
""",
)
t(
    "en",
    "docker_network_inspect",
    "private_ip_address",
    r""""Containers": {
    "⟦sha256⟧": { "Name": "api", "IPv4Address": "⟦pip⟧/16", "MacAddress": "⟦mac⟧" },
    "⟦sha256⟧": { "Name": "db",  "IPv4Address": "⟦pip⟧/16", "MacAddress": "⟦mac⟧" }
}
""",
)
t(
    "en",
    "hosts_file",
    "private_ip_address",
    r"""127.0.0.1   localhost
⟦pip⟧  ⟦host⟧
⟦pip⟧  ⟦host⟧
⟦pip⟧  ⟦host⟧
""",
)
t(
    "en",
    "ip_addr_output",
    "private_ip_address",
    r"""2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP
    link/ether ⟦mac⟧ brd ff:ff:ff:ff:ff:ff
    inet ⟦pip⟧/24 brd ⟦pip⟧ scope global dynamic eth0
    inet6 ⟦sip⟧/64 scope link
""",
)
t(
    "en",
    "k8s_service_output",
    "private_ip_address",
    r"""NAME        TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)    AGE
⟦word⟧-api  ClusterIP   ⟦pip⟧    <none>        80/TCP     ⟦int⟧d
⟦word⟧-db   ClusterIP   ⟦pip⟧    <none>        5432/TCP   ⟦int⟧d
""",
)
t(
    "en",
    "nginx_config_docs",
    "documentation_ip_address",
    r"""# Example: allow only the office network
location /admin {
    allow ⟦dip⟧;
    allow 198.51.100.0/24;
    deny  all;
}
""",
)
t(
    "en",
    "rfc_style_docs",
    "documentation_ip_address",
    r"""In the following example the client at ⟦dip⟧ connects to the relay at ⟦dip⟧, which forwards to ⟦dip6⟧ over IPv6.
""",
)
t(
    "en",
    "firewall_docs",
    "documentation_ip_address",
    r"""Rules are evaluated top-down. For example `ufw allow from ⟦dip⟧ to any port ⟦port⟧` opens the port only for that host; use `2001:db8::/32` addresses in tests.
""",
)
t(
    "en",
    "aws_metadata_snippet",
    "special_ip_address",
    r"""TOKEN=$(curl -s -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id
# bind dev server to ⟦sip⟧
""",
)
t(
    "en",
    "server_config",
    "special_ip_address",
    r"""listen_addresses = '⟦sip⟧'
unix_socket_directories = '/var/run/postgresql'
max_connections = ⟦int⟧
""",
)
t(
    "en",
    "network_notes",
    "special_ip_address",
    r"""mDNS uses 224.0.0.251, SSDP uses 239.255.255.250, our tailnet uses CGNAT space (e.g. ⟦sip⟧), and the link-local range is 169.254.0.0/16.
""",
)
t(
    "en",
    "git_config",
    "reserved_email_domain",
    r"""[user]
    name = ⟦name⟧
    email = ⟦email_res⟧
[core]
    editor = vim
""",
)
t(
    "en",
    "test_fixture",
    "reserved_email_domain",
    r"""@pytest.fixture
def user(db):
    return User.objects.create(username="⟦user⟧", email="⟦email_res⟧")
""",
)
t(
    "en",
    "api_docs_page",
    "reserved_email_domain",
    r"""Request body:

```json
{ "email": "⟦email_res⟧", "name": "⟦name⟧", "notify": ["⟦email_res⟧"] }
```
""",
)
t(
    "en",
    "mailer_config",
    "reserved_email_domain",
    r"""MAIL_FROM=⟦email_res⟧
MAIL_REPLY_TO=⟦email_res⟧
MAIL_TRANSPORT=smtp://localhost:⟦port⟧
""",
)
t(
    "en",
    "order_export_csv",
    "luhn_invalid_number",
    r"""reference;amount;status
⟦card_bad⟧;⟦int⟧.00;pending
⟦card_bad⟧;⟦int⟧.50;shipped
""",
)
t(
    "en",
    "test_fixture",
    "luhn_invalid_number",
    r"""def test_rejects_bad_checksum():
    assert not is_valid_card("⟦card_bad⟧")
    assert not is_valid_card("⟦card_bad⟧")
""",
)
t(
    "en",
    "bank_statement_text",
    "luhn_invalid_number",
    r"""Mandate reference ⟦card_bad⟧, creditor ⟦word⟧ GmbH, amount ⟦int⟧,00 EUR, booked ⟦date2⟧
""",
)
t(
    "en",
    "shipping_notification",
    "order_and_tracking_number",
    r"""Your order ⟦order_no⟧ has shipped!
Tracking number: ⟦tracking⟧
Estimated delivery: ⟦date⟧
""",
)
t(
    "en",
    "erp_export",
    "order_and_tracking_number",
    r"""PO ⟦order_no⟧ | supplier ⟦word⟧ | qty ⟦int⟧ | invoice ⟦order_no⟧ | delivery ⟦tracking⟧
""",
)
t(
    "en",
    "api_response_json",
    "resource_identifier",
    r"""{
  "id": "⟦uuid⟧",
  "object": "project",
  "owner_id": "⟦uuid⟧",
  "created": "⟦ts⟧",
  "region": "⟦region=r⟧"
}
""",
)
t(
    "en",
    "aws_cli_output",
    "resource_identifier",
    r"""{
    "UserId": "⟦aroa⟧:⟦user⟧",
    "Account": "⟦aws_acct⟧",
    "Arn": "arn:aws:sts::⟦aws_acct⟧:assumed-role/⟦word⟧/⟦user⟧"
}
""",
)
t(
    "en",
    "webhook_payload",
    "resource_identifier",
    r"""{"id":"⟦cus_id⟧","object":"event","type":"invoice.paid","data":{"object":{"customer":"⟦cus_id⟧","subscription":"⟦cus_id⟧"}}}
""",
)
t(
    "en",
    "slack_api_response",
    "resource_identifier",
    r"""{"ok":true,"channel":"⟦slack_chan⟧","ts":"1718⟦big⟧.00⟦int⟧","message":{"user":"⟦slack_chan⟧","bot_id":"B⟦slack_chan⟧"}}
""",
)
t(
    "en",
    "twilio_config_public",
    "resource_identifier",
    r"""TWILIO_ACCOUNT_SID=⟦ac_sid⟧
TWILIO_MESSAGING_SERVICE_SID=MG⟦md5⟧
TWILIO_FROM=⟦phone⟧
""",
)
t(
    "en",
    "k8s_pod_spec",
    "container_image_digest",
    r"""    containers:
      - name: app
        image: ghcr.io/⟦word⟧/app@⟦img_digest⟧
      - name: sidecar
        image: envoyproxy/envoy@⟦img_digest⟧
""",
)
t(
    "en",
    "docker_pull_output",
    "container_image_digest",
    r"""⟦ver⟧: Pulling from library/⟦word⟧
Digest: ⟦img_digest⟧
Status: Downloaded newer image for ⟦word⟧:⟦ver⟧
""",
)
t(
    "en",
    "html_page",
    "subresource_integrity",
    r"""<script src="https://cdn.jsdelivr.net/npm/⟦word⟧@⟦ver⟧/dist/index.min.js" integrity="⟦sri⟧" crossorigin="anonymous"></script>
""",
)
t(
    "en",
    "package_lock_json",
    "subresource_integrity",
    r"""    "node_modules/⟦word⟧": {
      "version": "⟦ver⟧",
      "resolved": "https://registry.npmjs.org/⟦word⟧/-/⟦word⟧-⟦ver⟧.tgz",
      "integrity": "⟦sri⟧"
    },
""",
)
t(
    "en",
    "gpg_output",
    "key_fingerprint",
    r"""pub   ed25519 ⟦date⟧ [SC]
      ⟦gpg_fpr⟧
uid           [ultimate] ⟦name⟧ <⟦email_res⟧>
sub   cv25519 ⟦date⟧ [E]
""",
)
t(
    "en",
    "ssh_first_connect",
    "key_fingerprint",
    r"""The authenticity of host '⟦host⟧ (⟦pip⟧)' can't be established.
ED25519 key fingerprint is ⟦ssh_fpr⟧.
Are you sure you want to continue connecting (yes/no/[fingerprint])?
""",
)
t(
    "en",
    "tls_cert_details",
    "key_fingerprint",
    r"""Subject: CN=⟦pubhost⟧
Issuer: CN=R⟦int⟧, O=Let's Encrypt
SHA-256 Fingerprint: ⟦sha256⟧
Serial: ⟦md5⟧
""",
)
t(
    "en",
    "unit_test_source",
    "crypto_test_vector",
    r"""# Known-answer test for our HMAC wrapper (vectors generated once, not a real key)
VECTORS = [
    {"key": "⟦md5⟧", "msg": "616263", "mac": "⟦sha256⟧"},
    {"key": "⟦md5⟧", "msg": "", "mac": "⟦sha256⟧"},
]
""",
)
t(
    "en",
    "spec_document",
    "crypto_test_vector",
    r"""Test vector ⟦int⟧ (AES-256-GCM)
  Key        = ⟦sha256⟧
  IV         = ⟦md5⟧
  Plaintext  = ⟦md5⟧
  Ciphertext = ⟦md5⟧
  Tag        = ⟦md5⟧
""",
)
t(
    "en",
    "application_log",
    "redacted_log",
    r"""⟦ts⟧ INFO login attempt user=⟦user⟧ password=[REDACTED] ip=⟦pip⟧
⟦ts⟧ INFO token refreshed token=<redacted> expires_in=⟦int⟧
""",
)
t(
    "en",
    "support_ticket",
    "redacted_log",
    r"""Customer pasted their API key in the ticket; the agent replaced it with [removed by support]. Card details were also removed (**** ⟦last4⟧). Ticket ⟦order_no⟧.
""",
)
t(
    "en",
    "security_policy_doc",
    "password_policy_text",
    r"""Passwords must be at least ⟦pwlen⟧ characters long, contain upper- and lower-case letters and a digit, and must not reuse any of the last 5 passwords. Service tokens expire after 90 days.
""",
)
t(
    "en",
    "yaml_config",
    "non_secret_config",
    r"""auth:
  password_min_length: ⟦pwlen⟧
  max_login_attempts: 5
  token_ttl_seconds: ⟦big⟧
  session_cookie_name: "__Host-session"
  require_mfa: true
""",
)
t(
    "en",
    "python_source",
    "non_secret_config",
    r"""PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
SESSION_COOKIE_AGE = ⟦big⟧
TOKEN_HEADER = "X-Auth-Token"
SECRET_KEY_FALLBACKS = []
""",
)
t(
    "en",
    "dotenv_file",
    "url_without_credentials",
    r"""DATABASE_URL=postgres://⟦user⟧@⟦host⟧:5432/app?sslmode=require
REDIS_URL=redis://⟦host⟧:6379/⟦int⟧
AMQP_URL=amqp://${RABBIT_USER}:${RABBIT_PASS}@⟦host⟧:5672/
""",
)
t(
    "en",
    "jdbc_config",
    "url_without_credentials",
    r"""jdbc.url=jdbc:postgresql://⟦host⟧:5432/⟦word⟧?ssl=true&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory
jdbc.auth=iam
""",
)
t(
    "en",
    "changelog",
    "version_and_build_numbers",
    r"""## ⟦ver⟧ (⟦date⟧)
- Fixed crash when the token file is empty (#⟦int⟧)
- Build ⟦big⟧, requires runtime ⟦ver⟧ or later
""",
)
t(
    "en",
    "html_page",
    "analytics_id",
    r"""<script async src="https://www.googletagmanager.com/gtag/js?id=⟦ga_id⟧"></script>
<script>gtag('config', '⟦ga_id⟧');</script>
""",
)
t(
    "en",
    "k8s_configmap",
    "base64_non_secret",
    r"""apiVersion: v1
kind: ConfigMap
metadata: { name: flags }
binaryData:
  flags.json: ⟦b64data⟧
""",
)
t(
    "en",
    "css_source",
    "base64_non_secret",
    r""".icon-check { background-image: url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQ⟦b64line⟧AAAABJRU5ErkJggg=="); color: ⟦hexcolor⟧; }
""",
)
t(
    "en",
    "jwks_json",
    "jwks_public_key",
    r"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"⟦kid⟧","n":"⟦n_mod⟧","e":"AQAB"}]}
""",
)
t(
    "en",
    "openid_configuration",
    "jwks_public_key",
    r"""{"issuer":"https://auth.⟦domain=d⟧","jwks_uri":"https://auth.⟦domain=d⟧/.well-known/jwks.json","id_token_signing_alg_values_supported":["RS256"],"kid_current":"⟦kid⟧"}
""",
)
t(
    "en",
    "chat_message",
    "short_link_and_slug",
    r"""slides are here https://bit.ly/⟦slug⟧ and the recording https://youtu.be/⟦slug⟧⟦int⟧ (drive folder id 1⟦rand43⟧)
""",
)
t(
    "en",
    "dhcp_leases",
    "mac_address",
    r"""lease ⟦pip⟧ {
  starts 3 ⟦date⟧ 10:01:22;
  hardware ethernet ⟦mac⟧;
  client-hostname "⟦word⟧-laptop";
}
""",
)
t(
    "en",
    "security_awareness_text",
    "security_advice_text",
    r"""Reminder from IT: we will never ask for your password by e-mail or chat. If you receive a message asking you to "verify your account", forward it to the security team and delete it. Phishing reports this month: ⟦int⟧.
""",
)

# ---------------------------------------------------------------- L. multilingual hard negatives
ML_NEG = [
    (
        "de",
        "wiki_page",
        "doc_placeholder",
        "Trage in der Datei `.env` deinen eigenen Schlüssel ein, z. B. `API_KEY=<dein-schlüssel>`. Das Passwort bekommst du persönlich von ⟦name⟧, niemals per E-Mail. Stand: ⟦date2⟧",
    ),
    (
        "de",
        "chat_message",
        "private_ip_address",
        "Der Drucker im 2. OG hat jetzt die Adresse ⟦pip⟧, das NAS liegt auf ⟦pip⟧.",
    ),
    (
        "de",
        "security_policy_doc",
        "password_policy_text",
        "Kennwörter müssen mindestens ⟦pwlen⟧ Zeichen lang sein und dürfen nicht wiederverwendet werden. Zugangsdaten werden ausschließlich im Passwort-Manager gespeichert.",
    ),
    (
        "fr",
        "documentation_page",
        "env_var_reference",
        "Le mot de passe n'est jamais écrit en dur : il est lu depuis la variable d'environnement `${DB_PASSWORD}` au démarrage du conteneur ⟦word⟧.",
    ),
    (
        "fr",
        "forum_post",
        "password_hash",
        "Dans ma table users, la colonne mot_de_passe contient des valeurs comme ⟦bcrypt⟧ — c'est normal ? Oui, c'est un hachage bcrypt, pas le mot de passe.",
    ),
    (
        "es",
        "chat_message",
        "masked_secret",
        "En los logs solo aparece `password=********` y el token como ⟦masked_sk⟧, así que no hay fuga. Revisado el ⟦date⟧.",
    ),
    (
        "es",
        "documentation_page",
        "reserved_email_domain",
        "Para las pruebas usa direcciones como ⟦email_res⟧; nunca correos reales de clientes.",
    ),
    (
        "it",
        "documentation_page",
        "documentation_ip_address",
        "Nell'esempio il client ⟦dip⟧ si collega al server ⟦dip⟧ sulla porta ⟦port⟧.",
    ),
    ("it", "chat_message", "git_commit_sha", "Ho fatto il revert del commit ⟦sha1⟧, ora la pipeline è verde."),
    (
        "pt",
        "chat_message",
        "request_trace_id",
        "O erro tem o request id ⟦uuid⟧, consegue procurar nos logs do gateway?",
    ),
    (
        "pt",
        "documentation_page",
        "publishable_key",
        "A chave publicável (⟦pk_live⟧) pode ficar no front-end; a chave secreta fica só no servidor.",
    ),
    (
        "nl",
        "chat_message",
        "checksum_digest",
        "De SHA-256 van het installatiebestand is ⟦sha256⟧, klopt dat met jouw download?",
    ),
    ("sv", "chat_message", "resource_identifier", "Kundens id i systemet är ⟦uuid⟧ och ärendet har nummer ⟦order_no⟧."),
    (
        "da",
        "documentation_page",
        "env_var_reference",
        "Adgangskoden hentes fra miljøvariablen $SMTP_PASSWORD; den må aldrig stå i koden. Port: ⟦port⟧",
    ),
    ("nb", "chat_message", "username_only", "Brukernavnet ditt er ⟦user⟧, passordet får du på SMS fra ⟦first⟧."),
    (
        "fi",
        "documentation_page",
        "doc_placeholder",
        "Korvaa `<API-AVAIN>` omalla avaimellasi ja `<SALASANA>` omalla salasanallasi. Versio ⟦ver⟧.",
    ),
    ("pl", "chat_message", "crypto_wallet_address", "Adres portfela do zwrotu: ⟦btc⟧ (to publiczny adres, nie klucz)."),
    ("cs", "chat_message", "key_fingerprint", "Otisk SSH klíče serveru je ⟦ssh_fpr⟧, ověř si ho před připojením."),
    ("sk", "documentation_page", "special_ip_address", "Služba počúva iba na ⟦sip⟧, zvonku nie je dostupná."),
    (
        "hu",
        "chat_message",
        "luhn_invalid_number",
        "A rendelés azonosítója ⟦card_bad⟧, ez nem kártyaszám, csak belső hivatkozás.",
    ),
    (
        "ro",
        "documentation_page",
        "oauth_client_id",
        "ID-ul clientului OAuth (⟦gclient_id⟧) este public; secretul clientului se păstrează în seif.",
    ),
    ("tr", "chat_message", "redacted_log", "Loglarda şifre alanı [REDACTED] olarak görünüyor, istek kimliği ⟦req_id⟧."),
    (
        "ru",
        "documentation_page",
        "vendor_example_key",
        "Пример из документации: `AKIAIOSFODNN7EXAMPLE` — это не настоящий ключ. Регион: ⟦region=r⟧.",
    ),
    (
        "ru",
        "chat_message",
        "container_image_digest",
        "Задеплоили образ с дайджестом ⟦img_digest⟧, откат на предыдущий тег ⟦ver⟧.",
    ),
    ("uk", "chat_message", "csrf_token", "Форма повертає 403, бо CSRF-токен ⟦csrf⟧ прострочений. Онови сторінку."),
    (
        "el",
        "documentation_page",
        "password_policy_text",
        "Ο κωδικός πρόσβασης πρέπει να έχει τουλάχιστον ⟦pwlen⟧ χαρακτήρες και να αλλάζει κάθε 90 ημέρες.",
    ),
    ("bg", "chat_message", "nonce", "Nonce стойността в CSP хедъра е ⟦nonce⟧ и се сменя при всяка заявка."),
    ("hr", "chat_message", "order_and_tracking_number", "Broj pošiljke je ⟦tracking⟧, a narudžba ⟦order_no⟧."),
    (
        "sl",
        "documentation_page",
        "secret_manager_reference",
        "Geslo je shranjeno v Vaultu pod potjo ⟦key_id_vault⟧, do njega dostopa samo aplikacija.",
    ),
    (
        "ja",
        "documentation_page",
        "doc_placeholder",
        "`.env` の `API_KEY=` の後にご自身のキーを入力してください（例: `API_KEY=xxxxxxxx`）。バージョン ⟦ver⟧ 以降で有効です。",
    ),
    ("ja", "chat_message", "private_ip_address", "社内の検証サーバーは ⟦pip⟧ に移動しました。"),
    (
        "zh",
        "documentation_page",
        "env_var_reference",
        "密码请通过环境变量 DB_PASSWORD 传入，不要写在代码里。服务端口为 ⟦port⟧。",
    ),
    ("zh", "chat_message", "checksum_digest", "安装包的 MD5 是 ⟦md5⟧，下载后请先校验。"),
    (
        "ko",
        "documentation_page",
        "masked_secret",
        "API 키는 화면에 ⟦masked⟧ 형태로만 표시되며 다시 조회할 수 없습니다. 생성일: ⟦date⟧",
    ),
    (
        "ar",
        "documentation_page",
        "password_policy_text",
        "يجب أن تتكون كلمة المرور من ⟦pwlen⟧ أحرف على الأقل وأن تحتوي على أرقام وحروف.",
    ),
    ("he", "chat_message", "resource_identifier", "מזהה ההזמנה במערכת הוא ⟦uuid⟧, תבדוק בבקשה."),
    (
        "hi",
        "documentation_page",
        "reserved_email_domain",
        "परीक्षण के लिए ⟦email_res⟧ जैसे पते का उपयोग करें, असली ग्राहक ईमेल का नहीं।",
    ),
    ("id", "chat_message", "git_commit_sha", "Sudah saya revert commit ⟦short_sha⟧, token lama juga sudah dicabut."),
    (
        "vi",
        "documentation_page",
        "public_key_material",
        "Hãy gửi khóa công khai (dạng ssh-ed25519 hoặc ssh-rsa) cho quản trị viên, ví dụ: ⟦ssh_pub⟧",
    ),
    ("th", "chat_message", "request_trace_id", "รหัสคำขอที่ผิดพลาดคือ ⟦uuid⟧ ช่วยตรวจสอบให้หน่อย"),
    (
        "ms",
        "documentation_page",
        "doc_placeholder",
        "Masukkan kunci API anda di tempat `<KUNCI_API>` dalam fail konfigurasi ⟦word⟧.yaml.",
    ),
    ("lt", "chat_message", "private_ip_address", "Spausdintuvo adresas dabar ⟦pip⟧."),
    (
        "et",
        "documentation_page",
        "security_advice_text",
        "IT-osakond ei küsi kunagi sinu parooli e-posti teel. Kahtlased kirjad saada turvameeskonnale (juhtum ⟦int⟧).",
    ),
    ("fa", "chat_message", "username_only", "نام کاربری شما ⟦user⟧ است؛ رمز عبور را حضوری دریافت کنید."),
]
for lang, ctx, cat, txt in ML_NEG:
    t(lang, ctx, cat, txt)

# ---------------------------------------------------------------- M. long hard-negative documents
t(
    "en",
    "readme_markdown",
    "doc_placeholder",
    r"""# ⟦word⟧-sync

Sync records between your CRM and the data warehouse.

## Requirements

* Python ⟦ver⟧+
* A service account with read access

## Configuration

All settings are read from environment variables. Never put real credentials in this file.

| Variable | Example | Description |
|---|---|---|
| `CRM_API_KEY` | `crm_live_XXXXXXXXXXXXXXXX` | key from the CRM admin panel |
| `WAREHOUSE_DSN` | `snowflake://USER:PASSWORD@ACCOUNT/DB` | connection string |
| `SLACK_WEBHOOK_URL` | `https://hooks.slack.com/services/T000/B000/XXXX` | optional notifications |
| `NOTIFY_EMAIL` | `⟦email_res⟧` | where failures are reported |

## Running

```bash
export CRM_API_KEY=...          # see above
python -m ⟦word⟧_sync --since ⟦date⟧
```

## Security

If you believe you found a vulnerability, please e-mail ⟦email_res⟧ instead of opening an issue. We rotate our own tokens every ⟦int⟧ days.
""",
)
t(
    "en",
    "ci_log",
    "masked_secret",
    r"""2025-03-01T10:00:01.1Z ##[group]Run docker/login-action@v3
2025-03-01T10:00:01.1Z with:
2025-03-01T10:00:01.1Z   registry: ghcr.io
2025-03-01T10:00:01.1Z   username: ⟦user⟧
2025-03-01T10:00:01.1Z   password: ***
2025-03-01T10:00:01.1Z   logout: true
2025-03-01T10:00:01.1Z ##[endgroup]
2025-03-01T10:00:02.4Z Login Succeeded!
2025-03-01T10:00:05.9Z #5 [build 2/6] RUN --mount=type=secret,id=npmrc npm ci
2025-03-01T10:00:41.0Z #9 pushing ghcr.io/⟦word⟧/web:⟦short_sha⟧ with digest ⟦img_digest⟧
2025-03-01T10:00:41.5Z Post job cleanup.
2025-03-01T10:00:41.6Z Removing login credentials for ghcr.io
""",
)
t(
    "en",
    "security_docs_page",
    "doc_placeholder",
    r"""# Rotating credentials

1. Create a new key in the console (**Settings → API keys → New**). The key is shown once; it starts with `live_` followed by random characters.
2. Store it in the secret manager under `⟦key_id_vault⟧`.
3. Update the deployment so it reads `{{ secrets.API_KEY }}` instead of the old value.
4. Wait until the old key shows no traffic for ⟦int⟧ hours, then revoke it.

Do **not** paste keys into tickets, chat, or pull requests. If that happens, treat the key as compromised and rotate it immediately.
""",
)
t(
    "en",
    "terraform_source",
    "env_var_reference",
    r"""variable "db_password" {
  type      = string
  sensitive = true
}

variable "datadog_api_key" {
  type      = string
  sensitive = true
  default   = null
}

resource "aws_db_instance" "app" {
  identifier        = "⟦word⟧-db"
  engine            = "postgres"
  instance_class    = "db.t4g.small"
  allocated_storage = ⟦int⟧
  username          = "⟦user⟧"
  password          = var.db_password
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_security_group_rule" "office" {
  type        = "ingress"
  from_port   = 5432
  to_port     = 5432
  protocol    = "tcp"
  cidr_blocks = ["⟦pip⟧/32"]
  security_group_id = aws_security_group.db.id
}
""",
)
t(
    "en",
    "qa_answer",
    "password_hash",
    r"""**Answer:** You are comparing the plain password against the stored value directly. The column holds a bcrypt hash such as

    ⟦bcrypt⟧

so you must use `bcrypt.checkpw(plain.encode(), stored.encode())`. Never store the plain password; and the `$2b$` prefix tells you the algorithm and cost.
""",
)


# ---------------------------------------------------------------- N. more leak sources / vendor formats (positive)
t(
    "en",
    "aws_sts_output",
    P,
    r"""$ aws sts assume-role --role-arn ⟦role_arn⟧ --role-session-name ci
{
    "Credentials": {
        "AccessKeyId": "⟦aws_asia⟧",
        "SecretAccessKey": "⟦aws_sk⟧",
        "SessionToken": "⟦aws_st⟧",
        "Expiration": "⟦ts⟧"
    }
}
""",
)
t(
    "en",
    "github_app_debug_log",
    P,
    r"""DEBUG oauth exchange ok: {"access_token": "⟦ghu⟧", "expires_in": 28800, "refresh_token": "⟦ghr⟧", "refresh_token_expires_in": 15811200, "token_type": "bearer"}
""",
)
t(
    "en",
    "python_source",
    P,
    r"""# legacy user token, bot tokens can't read DMs
SLACK_USER_TOKEN = "⟦xoxp⟧"
OPENAI_KEY = "⟦openai_legacy⟧"  # old key from 2023, still works?
""",
)
t(
    "en",
    "dotenv_file",
    P,
    r"""BREVO_API_KEY=⟦brevo⟧
NUGET_API_KEY=⟦nuget⟧
JIRA_USER=⟦email⟧
JIRA_API_TOKEN=⟦atlassian⟧
""",
)
t(
    "en",
    "sops_keys_file",
    P,
    r"""# created: ⟦ts⟧
# public key: ⟦age_pub⟧
⟦age⟧
""",
)
t(
    "en",
    "database_yml",
    P,
    r"""production:
  adapter: mysql2
  host: aws.connect.psdb.cloud
  username: ⟦slug⟧
  password: ⟦pscale_pw⟧
  ssl_mode: verify_identity
# CLI service token for migrations: ⟦pscale⟧
""",
)
t(
    "en",
    "payments_config_php",
    P,
    r"""<?php
return [
    'square' => [
        'access_token' => '⟦square⟧',
        'application_secret' => '⟦square_secret⟧',
        'location_id' => 'L⟦slug⟧',
    ],
    'flutterwave' => ['secret_key' => '⟦flutterwave⟧'],
];
""",
)
t(
    "en",
    "android_legacy_config",
    P,
    r"""<!-- res/values/secrets.xml (legacy GCM sender) -->
<resources>
    <string name="fcm_server_key">⟦fcm⟧</string>
    <string name="fb_page_token">⟦facebook⟧</string>
</resources>
""",
)
t(
    "en",
    "shipping_service_env",
    P,
    r"""SHIPPO_API_TOKEN=⟦shippo⟧
EASYPOST_API_KEY=⟦easypost⟧
DUFFEL_ACCESS_TOKEN=⟦duffel⟧
WAREHOUSE_CONTACT=⟦email⟧
""",
)
t(
    "en",
    "bitbucket_clone_instructions",
    P,
    r"""git clone https://⟦user⟧:⟦bitbucket⟧@bitbucket.org/⟦word⟧/⟦word⟧-api.git
# app password created ⟦date⟧ with repo:write
""",
)
t(
    "en",
    "arduino_sketch",
    P,
    r"""#define WIFI_SSID "⟦word⟧-iot"
#define WIFI_PASS "⟦psk⟧"
#define IO_USERNAME "⟦user⟧"
#define IO_KEY "⟦adafruit⟧"
""",
)
t(
    "en",
    "circleci_api_script",
    P,
    r"""#!/usr/bin/env bash
CIRCLE_TOKEN=⟦circleci⟧
SRC_ACCESS_TOKEN=⟦sourcegraph⟧
curl -s -H "Circle-Token: $CIRCLE_TOKEN" https://circleci.com/api/v2/me
""",
)
t(
    "en",
    "prefect_profiles_toml",
    P,
    r"""active = "cloud"

[profiles.cloud]
PREFECT_API_URL = "https://api.prefect.cloud/api/accounts/⟦uuid⟧/workspaces/⟦uuid⟧"
PREFECT_API_KEY = "⟦prefect⟧"
""",
)
t(
    "en",
    "docs_build_env",
    P,
    r"""README_API_KEY=⟦readme⟧
TYPEFORM_TOKEN=⟦typeform⟧
RENDER_API_KEY=⟦render⟧
INFRACOST_API_KEY=⟦infracost⟧
""",
)
t(
    "en",
    "nginx_origin_cert_setup",
    P,
    r"""# origin CA key used by cert-manager's origin-issuer
apiVersion: v1
kind: Secret
metadata: { name: cf-origin-ca }
stringData:
  key: ⟦cloudflare_ca⟧
  tls.key: |
    ⟦privkey_i4⟧
""",
)
t(
    "en",
    "onepassword_connect_env",
    P,
    r"""OP_SERVICE_ACCOUNT_TOKEN=⟦onepassword⟧
OP_VAULT=⟦word⟧-prod
""",
)
t(
    "en",
    "python_source",
    P,
    r"""from cryptography.fernet import Fernet

# key generated once with Fernet.generate_key(); prod data is encrypted with it
FERNET_KEY = b"⟦fernet⟧"
f = Fernet(FERNET_KEY)
""",
)
t(
    "en",
    "ssh_key_paste",
    P,
    r"""here's the key for the jump box, put it in ~/.ssh/id_ecdsa:

⟦privkey_ec⟧

user is ⟦user⟧, host ⟦ip4⟧
""",
)
t(
    "en",
    "ansible_host_vars",
    P,
    r"""# host_vars/⟦host⟧.yml
tls_private_key: |
        ⟦privkey_i8⟧
tls_cert_path: /etc/ssl/certs/⟦word⟧.pem
""",
)
t(
    "en",
    "generic_key_paste",
    P,
    r"""-- paste expires in 1 day --
⟦privkey⟧
""",
)


# =====================================================================
# Rendering, scanning, checks
# =====================================================================
PH = re.compile(r"⟦([a-z0-9_]+)(?:=([a-z0-9]+))?⟧")
ENTITIES = {"EMAIL_ADDRESS", "IP_ADDRESS", "CREDIT_CARD", "SECRET"}


def render(tpl):
    parts, spans, store, n, last = [], [], {}, 0, 0
    for m in PH.finditer(tpl):
        lit = tpl[last : m.start()]
        parts.append(lit)
        n += len(lit)
        kind, tag = m.group(1), m.group(2)
        gen, ent = GEN[kind]
        if tag and tag in store:
            val = store[tag]
        else:
            val = gen()
            if tag:
                store[tag] = val
        if ent:
            spans.append({"start": n, "end": n + len(val), "entity": ent, "_kind": kind, "_value": val})
        parts.append(val)
        n += len(val)
        last = m.end()
    parts.append(tpl[last:])
    text = "".join(parts)
    assert "⟦" not in text and "⟧" not in text
    return text, spans


EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
IPV4_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\.?\d)")
IPV6_RE = re.compile(r"(?<![0-9A-Fa-f:])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![0-9A-Fa-f:])")
CARD_RE = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
RESERVED_TLDS = {"test", "invalid", "localhost", "example"}


def reserved_domain(dom):
    dom = dom.lower().rstrip(".")
    if any(dom == d or dom.endswith("." + d) for d in ("example.com", "example.org", "example.net")):
        return True
    return dom.split(".")[-1] in RESERVED_TLDS


def scan(text):
    """Return list of problems: unlabelled public IPs, cards, real-domain e-mails."""
    bad = []
    for m in EMAIL_RE.finditer(text):
        if text[max(0, m.start() - 3) : m.start()] == "://":
            continue  # URL userinfo (scheme://user@host), not an e-mail address
        if not reserved_domain(m.group(1)):
            bad.append(("email", m.group(0)))
    for m in IPV4_RE.finditer(text):
        if is_public_ip(m.group(1)):
            bad.append(("ipv4", m.group(1)))
    for m in IPV6_RE.finditer(text):
        if m.group(1).count(":") >= 2 and is_public_ip(m.group(1)):
            bad.append(("ipv6", m.group(1)))
    for m in CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(0))
        if luhn_ok(digits) and card_brand(digits):
            bad.append(("card", m.group(0)))
    return bad


def blank_spans(text, spans):
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            chars[i] = "\x00"
    return "".join(chars)


EXAMPLE_MARKERS = ("EXAMPLE", "example", "xxxx", "XXXX", "your_", "YOUR_")


def check_span_value(kind, ent, val):
    if ent == "IP_ADDRESS":
        assert is_public_ip(val), val
        assert not any(c in val for c in "/[]") and val.count(":") != 1, val
    elif ent == "CREDIT_CARD":
        assert re.fullmatch(r"\d+(?:[ -]\d+)*", val), val
        digits = re.sub(r"[ -]", "", val)
        assert luhn_ok(digits) and card_brand(digits), val
    elif ent == "EMAIL_ADDRESS":
        m = re.fullmatch(r"[a-z0-9._%+-]+@([a-z0-9.-]+\.[a-z]{2,})", val)
        assert m and not reserved_domain(m.group(1)), val
    elif ent == "SECRET":
        assert not any(x in val for x in EXAMPLE_MARKERS), val
        assert val == val.strip() and val, val
        if kind in PASSWORD_KINDS:
            assert val[0].isalnum(), val
            assert val[-1] not in ".,!?:;", val
            assert len(val) >= 6, val
            if kind != "pin":
                assert len(val) >= 8, val
    else:
        raise AssertionError(ent)


def variants_for(cat):
    return VARIANTS


def build():
    records, seen = [], set()
    for ti, (lang, ctx, cat, tpl) in enumerate(T, 1):
        kinds = [m.group(1) for m in PH.finditer(tpl)]
        labelled = [k for k in kinds if GEN[k][1]]
        if cat == P:
            assert labelled, ("positive template without labelled values", ti)
        else:
            assert not labelled, ("negative template with labelled values", ti, labelled)
        assert kinds, ("template without random fields", ti)
        for vi in range(1, variants_for(cat) + 1):
            for attempt in range(60):
                text, spans = render(tpl)
                if text in seen:
                    continue
                if scan(blank_spans(text, spans)):
                    continue
                break
            else:
                raise AssertionError(("could not render cleanly", ti, vi, scan(blank_spans(text, spans))))
            seen.add(text)
            records.append(
                {
                    "id": "t23-%d-%d" % (ti, vi),
                    "text": text,
                    "lang": lang,
                    "context": ctx,
                    "category": cat,
                    "spans": spans,
                }
            )
    return records


def final_checks(records):
    ids, texts = set(), set()
    for r in records:
        assert r["id"] not in ids, r["id"]
        ids.add(r["id"])
        assert r["text"] not in texts, r["id"]
        texts.add(r["text"])
        assert re.fullmatch(r"[a-z]{2}", r["lang"]), r
        assert re.fullmatch(r"[a-z0-9_]+", r["context"]) and re.fullmatch(r"[a-z0-9_]+", r["category"]), r
        text, spans = r["text"], r["spans"]
        if r["category"] == P:
            assert spans, r["id"]
        else:
            assert not spans, r["id"]
        prev_end = -1
        for s in spans:
            assert s["entity"] in ENTITIES
            assert 0 <= s["start"] < s["end"] <= len(text)
            assert s["start"] >= prev_end, ("overlap", r["id"])
            prev_end = s["end"]
            assert text[s["start"] : s["end"]] == s["_value"], ("offset mismatch", r["id"])
            check_span_value(s["_kind"], s["entity"], s["_value"])
            # span boundaries are token boundaries (no ASCII letter/digit glued on)
            before = text[s["start"] - 1] if s["start"] else " "
            after = text[s["end"]] if s["end"] < len(text) else " "
            assert not (before.isascii() and before.isalnum()), ("glued before", r["id"])
            assert not (after.isascii() and after.isalnum()), ("glued after", r["id"])
        problems = scan(blank_spans(text, spans))
        assert not problems, (r["id"], problems)


def main():
    records = build()
    final_checks(records)
    # corpus-level targets
    assert len(T) >= 300, len(T)
    ent = Counter(s["entity"] for r in records for s in r["spans"])
    negs = [r for r in records if r["category"] != P]
    neg_cats = Counter(r["category"] for r in negs)
    langs = Counter(r["lang"] for r in records)
    ctxs = Counter(r["context"] for r in records)
    vendor = Counter(
        s["_kind"] for r in records for s in r["spans"] if s["_kind"] in SECRET_FORMATS and s["_kind"] != "aws_sk"
    )
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 150 and ent["IP_ADDRESS"] >= 150 and ent["CREDIT_CARD"] >= 60
    ), ent
    assert len(negs) >= 500 and len(neg_cats) >= 35, (len(negs), len(neg_cats))
    assert len(langs) >= 25, langs
    assert len(vendor) >= 40, len(vendor)
    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            out = {
                "id": r["id"],
                "text": r["text"],
                "lang": r["lang"],
                "context": r["context"],
                "category": r["category"],
                "spans": [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in r["spans"]],
            }
            f.write(json.dumps(out, ensure_ascii=False) + "\n")
    # re-read and re-verify the file as written
    with open(OUT, encoding="utf-8") as f:
        back = [json.loads(l) for l in f]
    assert len(back) == len(records)
    for a, b in zip(back, records):
        for sa, sb in zip(a["spans"], b["spans"]):
            assert a["text"][sa["start"] : sa["end"]] == sb["_value"]
    ivx = Counter(
        s["entity"] + ("/v6" if s["entity"] == "IP_ADDRESS" and ":" in s["_value"] else "")
        for r in records
        for s in r["spans"]
    )
    print("templates:", len(T))
    print("records:", len(records), " positive:", len(records) - len(negs), " negative:", len(negs))
    print("spans per entity:", dict(ent), " (IPv6 spans: %d)" % ivx["IP_ADDRESS/v6"])
    print("vendor token formats labelled (%d):" % len(vendor), ", ".join(sorted(vendor)))
    print("negative categories (%d):" % len(neg_cats), dict(sorted(neg_cats.items())))
    print("languages (%d):" % len(langs), dict(sorted(langs.items(), key=lambda x: -x[1])))
    print("contexts (%d):" % len(ctxs), dict(sorted(ctxs.items(), key=lambda x: -x[1])))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
