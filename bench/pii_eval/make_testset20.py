#!/usr/bin/env python3
"""Generate PII test set 20 (logs, shell sessions, HTTP traffic, pasted text).

Writes ``pii_testset20.jsonl`` next to this script: one JSON object per line
with keys id, text, lang, context, category and spans (start/end/entity), where
entity is EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD or SECRET.  The set was written
blind (without looking at any detector or other labelled set).

How it works
------------
* Every template is a text with placeholders written as ``⟦...⟧``:
  ``⟦S:kind⟧`` inserts a generated SECRET of the given kind (labelled),
  ``⟦E⟧`` a labelled e-mail, ``⟦IP⟧``/``⟦IP6⟧``/``⟦IPX⟧`` a labelled public
  IPv4/IPv6/either address, ``⟦CC⟧`` a labelled Luhn-valid card number,
  ``⟦f:kind⟧`` an UNLABELLED filler (request ids, hashes, private IPs,
  usernames, publishable keys, ...), and ``⟦?a|b|c⟧`` picks one alternative.
  A ``#n`` suffix (``⟦S:pw#1⟧``) repeats the same value inside one record;
  repeated labelled values are labelled at every occurrence.
* Offsets are recorded while the text is assembled (never searched for
  afterwards).  All values are random fakes made with random.Random(2020).
* Positive templates carry >= 1 span; hard-negative templates carry none and
  are tagged with a hard-negative category.

Checks (all fatal; a record that fails a check is re-drawn with new random
values, and a template that still fails after 80 draws aborts the run)
----------------------------------------------------------------------
* text[start:end] equals the inserted value for every span; spans sorted and
  non-overlapping; positives have >= 1 span, negatives none.
* every labelled IP parses, is_global, is not multicast and is outside the
  documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32.
* every labelled card is digits plus optional space/dash separators, passes
  Luhn and has a real brand prefix and length.
* every labelled e-mail has a non-reserved domain (not example.com/.org/.net,
  not *.example/.test/.invalid/.localhost).
* every SECRET starts with a letter/digit (private-key blocks start with
  ``-----BEGIN``), never ends in . , ! ? : ; and never contains
  EXAMPLE/example/xxxx/your_ ; password-like kinds have >= 8 characters and
  mix >= 2 character classes (PIN codes: 6-8 chars with letters and digits).
* ids unique, texts unique.
* a simple scanner run over every negative text and over the unlabelled parts
  of every positive text (labelled spans blanked out) finds no public IPv4, no
  public IPv6, no Luhn-valid brand-prefixed card number, no e-mail address on a
  non-reserved domain, and no well-known vendor secret shape (ghp_, AKIA,
  sk_live_, JWT, private-key header, ...; documentation placeholders containing
  xxxx/EXAMPLE are skipped).  Documented exception: a dotted quad directly preceded
  by ``Product/`` (e.g. ``Chrome/120.0.0.0`` in user agents, category
  version_string) is a version number, not an address, and is not reported.
* global minimums: >= 200 templates, >= 600 SECRET spans, >= 100 e-mails,
  >= 100 IPs, >= 50 cards, >= 450 negative records (>= 40 %) in >= 25
  hard-negative categories, 1000-1300 records in total; the written file is
  read back and its offsets re-verified.

Run it twice and the output is byte-identical (only random.Random(2020) is
used, never the global random state, hashing order or the clock).

Run: python3 make_testset20.py   (prints a summary)
"""

import base64
import collections
import ipaddress
import json
import os
import re
import string
import sys
import textwrap
import random

R = random.Random(2020)

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIG = string.digits
ALNUM = LOWER + UPPER + DIG
LALNUM = LOWER + DIG
UALNUM = UPPER + DIG
HEXL = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
B64 = ALNUM + "+/"
B64U = ALNUM + "-_"
BCRYPT = "./" + ALNUM
PW_SYM = "#%&*+-=@^_~$!"


def rs(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def rs_a(chars, n):
    """random string whose first character is alphanumeric"""
    return R.choice([c for c in chars if c.isalnum()] or ALNUM) + rs(chars, n - 1)


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def b64(b):
    return base64.b64encode(b).decode()


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


# --------------------------------------------------------------------------
# word lists (all invented for this file)
FIRST = [
    "anna",
    "lukas",
    "marie",
    "jonas",
    "sofia",
    "mateo",
    "chloe",
    "noah",
    "elena",
    "piotr",
    "ingrid",
    "tomasz",
    "giulia",
    "pablo",
    "camille",
    "henrik",
    "aisha",
    "kenji",
    "yuki",
    "omar",
    "fatima",
    "liam",
    "nora",
    "felix",
    "clara",
    "diego",
    "lucia",
    "hugo",
    "emma",
    "oskar",
    "mila",
    "ravi",
    "priya",
    "sven",
    "agnes",
    "bruno",
    "ines",
    "marta",
    "jakub",
    "zofia",
    "ada",
    "leon",
]
LAST = [
    "keller",
    "novak",
    "rossi",
    "garcia",
    "dubois",
    "hansen",
    "kowalski",
    "schmidt",
    "moreau",
    "larsen",
    "bianchi",
    "fernandez",
    "nakamura",
    "tanaka",
    "haddad",
    "okafor",
    "lindqvist",
    "jansen",
    "petrov",
    "silva",
    "costa",
    "weber",
    "fischer",
    "martin",
    "lopez",
    "andersson",
    "nowak",
    "wojcik",
    "romano",
    "meyer",
    "brandt",
    "vidal",
    "ek",
    "horvath",
    "dijkstra",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.co.uk",
    "web.de",
    "gmx.de",
    "gmx.net",
    "proton.me",
    "icloud.com",
    "orange.fr",
    "free.fr",
    "libero.it",
    "wp.pl",
    "o2.pl",
    "hotmail.es",
    "t-online.de",
    "live.nl",
    "bluewin.ch",
    "seznam.cz",
    "aol.com",
    "fastmail.com",
    "posteo.de",
    "zoho.com",
    "yahoo.co.jp",
    "telia.se",
    "sapo.pt",
]
BRANDS = [
    "kelpworks",
    "brightfjord",
    "veltrona",
    "quillstack",
    "northmere",
    "orbitalyx",
    "tandemcraft",
    "lumenpay",
    "fernhollow",
    "grayline-labs",
    "copperleaf",
    "saltmarsh",
    "bluequarry",
    "zentrova",
    "ploughshare",
    "hexbridge",
    "tidewell",
    "marrowfield",
    "ostrava-logistik",
    "pinecrest-dental",
    "vindelta",
    "rookery-games",
    "solvane",
    "brisklane",
]
TLDS = ["io", "com", "de", "net", "co.uk", "fr", "es", "it", "nl", "se", "pl", "app", "dev", "cloud", "eu", "ch"]
SUBS = [
    "api",
    "app",
    "portal",
    "cdn",
    "files",
    "auth",
    "login",
    "shop",
    "status",
    "git",
    "grafana",
    "ci",
    "admin",
    "media",
    "sso",
    "pay",
    "hooks",
    "vpn",
    "mail",
    "registry",
]
USERS = [
    "jdoe",
    "mkeller",
    "a.rossi",
    "svc-deploy",
    "ci-runner",
    "backup",
    "ubuntu",
    "admin",
    "ops",
    "lhansen",
    "p.nowak",
    "tkowalski",
    "maria.g",
    "devops",
    "jenkins",
    "etl_user",
    "app_rw",
    "reporting",
    "deploy",
    "root",
    "svc_billing",
    "grafana",
    "monitor",
    "k.tanaka",
    "dbadmin",
]
NICKS = [
    "zeroday_zoe",
    "kmoreau",
    "bitflip",
    "nullptr",
    "sysop_sven",
    "ravi_p",
    "hexhugo",
    "ines",
    "ops-omar",
    "petrov_d",
    "lindq",
    "marta_w",
    "tux4life",
    "yuki_n",
    "felixf",
]
CITIES = [
    "Lisbon",
    "Gdansk",
    "Turin",
    "Utrecht",
    "Malmo",
    "Lyon",
    "Leipzig",
    "Valencia",
    "Bergen",
    "Brno",
    "Porto",
    "Graz",
    "Aarhus",
    "Cork",
    "Sevilla",
]
WORDS = [
    "amber",
    "falcon",
    "quarry",
    "velvet",
    "tundra",
    "pixel",
    "harbor",
    "cobalt",
    "meadow",
    "lantern",
    "orbit",
    "saffron",
    "glacier",
    "thistle",
    "copper",
    "nimbus",
    "juniper",
    "walnut",
    "breeze",
    "canyon",
    "marble",
    "fjord",
    "pepper",
    "willow",
    "comet",
    "basalt",
    "crimson",
    "otter",
    "lagoon",
    "prairie",
    "sable",
    "tinder",
    "hazel",
    "ember",
    "quartz",
    "raven",
]
SYLL = [
    "ka",
    "ro",
    "mi",
    "ve",
    "lu",
    "to",
    "sa",
    "ne",
    "di",
    "por",
    "zek",
    "fa",
    "quin",
    "bra",
    "tel",
    "mu",
    "gor",
    "shi",
    "va",
    "dun",
    "xo",
    "pli",
]
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "axios/1.6.8",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36",
    "Wget/1.21.4",
    "PostmanRuntime/7.37.3",
    "Slackbot 1.0 (+https://api.slack.com/robots)",
]
UAS_V4 = [  # version numbers that look like dotted quads (scanner exception)
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/122.0.0.0 Safari/537.36",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# --------------------------------------------------------------------------
# addresses
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_ok_public(s):
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return False
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return False
    return not any(ip.version == n.version and ip in n for n in DOC_NETS)


def pub4():
    while True:
        a = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if ip_ok_public(a):
            return a


V6_PREFIX = [
    "2001:4860",
    "2a00:1450",
    "2606:4700",
    "2a03:2880",
    "2604:a880",
    "2a01:4f8",
    "2400:cb00",
    "2a02:26f0",
    "2001:67c",
    "2c0f:fb50",
    "2406:da18",
    "2600:1f14",
    "2a05:d014",
    "2620:10d",
]


def pub6():
    while True:
        p = R.choice(V6_PREFIX)
        groups = p.split(":") + ["%x" % R.randrange(65536) for _ in range(8 - len(p.split(":")))]
        if R.random() < 0.6:
            k = R.randint(3, 6)
            for i in range(k, min(8, k + R.randint(1, 3))):
                groups[i] = "0"
        s = str(ipaddress.IPv6Address(":".join(groups)))
        if ip_ok_public(s):
            return s


def priv4():
    c = R.random()
    if c < 0.35:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    if c < 0.55:
        return "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254))
    if c < 0.8:
        return "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254))
    if c < 0.88:
        return "127.0.0.1"
    if c < 0.94:
        return "169.254.%d.%d" % (R.randint(0, 255), R.randint(1, 254))
    return "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254))


def doc4():
    return R.choice(["192.0.2", "198.51.100", "203.0.113"]) + ".%d" % R.randint(1, 254)


def priv6():
    c = R.random()
    if c < 0.4:
        return "fe80::%x:%x:%x:%x" % tuple(R.randrange(65536) for _ in range(4))
    if c < 0.8:
        return "fd%02x:%x:%x::%x" % (R.randrange(256), R.randrange(65536), R.randrange(65536), R.randrange(1, 65536))
    return "::1"


def doc6():
    return "2001:db8:%x::%x" % (R.randrange(65536), R.randrange(1, 65536))


# --------------------------------------------------------------------------
# cards
def luhn_ok(d):
    s = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        s += n
    return s % 10 == 0


def luhn_complete(partial):
    for c in DIG:
        if luhn_ok(partial + c):
            return partial + c


def brand_of(d):
    """brand name if the digit string has a real brand prefix and length"""
    n = len(d)
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    if p4 in (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763) and 12 <= n <= 19:
        return "maestro"
    if 222100 <= p6 <= 272099 and n == 16:
        return "mastercard"
    return None


CARD_SPECS = {
    "visa": (lambda: "4", 16),
    "mc": (lambda: str(R.randint(51, 55)), 16),
    "mc2": (lambda: str(R.randint(2221, 2720)), 16),
    "amex": (lambda: R.choice(["34", "37"]), 15),
    "discover": (lambda: R.choice(["6011", "65", str(R.randint(644, 649))]), 16),
    "jcb": (lambda: str(R.randint(3528, 3589)), 16),
    "diners": (lambda: R.choice(["36", "38", "300", "305"]), 14),
    "unionpay": (lambda: "62" + str(R.randint(2126, 2925)), 16),
}
CARD_WEIGHTS = [
    ("visa", 6),
    ("mc", 4),
    ("mc2", 1),
    ("amex", 2),
    ("discover", 1),
    ("jcb", 1),
    ("diners", 1),
    ("unionpay", 1),
]


def card(brand=None, fmt=None):
    if not brand:
        brand = R.choices([b for b, _ in CARD_WEIGHTS], [w for _, w in CARD_WEIGHTS])[0]
    pre, n = CARD_SPECS[brand]
    while True:
        p = pre()
        d = luhn_complete(p + rs(DIG, n - len(p) - 1))
        if d not in ("4111111111111111", "4242424242424242", "5555555555554444", "378282246310005"):
            break
    fmt = fmt or R.choice(["plain", "space", "space", "dash"])
    if fmt == "plain":
        return d
    sep = " " if fmt == "space" else "-"
    if n == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif n == 14:
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i : i + 4] for i in range(0, n, 4)]
    return sep.join(parts)


def nonluhn(n=16):
    while True:
        d = R.choice(["4", "5", "37", "6011"]) + rs(DIG, n - 1)
        d = d[:n]
        if not luhn_ok(d):
            return d


# --------------------------------------------------------------------------
# e-mails
RESERVED_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("example", "test", "invalid", "localhost")


def reserved_domain(dom):
    dom = dom.lower().rstrip(".")
    if any(dom == d or dom.endswith("." + d) for d in RESERVED_EMAIL_DOMAINS):
        return True
    return dom.rsplit(".", 1)[-1] in RESERVED_TLDS


def pubdomain():
    return R.choice(BRANDS) + "." + R.choice(TLDS)


def pubhost():
    return R.choice(SUBS) + "." + pubdomain()


def email(style=None):
    f, l = R.choice(FIRST), R.choice(LAST)
    style = style or R.choice(["fl", "fl", "f.l", "fl_d", "f+tag", "role", "initial", "fd"])
    if style == "gsa":
        return (
            R.choice(["deployer", "ci-runner", "etl", "backup-sa"])
            + "@"
            + rs_a(LOWER, 1)
            + rs(LALNUM, 7)
            + "-"
            + rs(DIG, 6)
            + ".iam.gserviceaccount.com"
        )
    if style == "role":
        local = R.choice(["billing", "support", "ops", "security", "hr", "accounts", "noc", "info", "jobs"])
    elif style == "f.l":
        local = f + "." + l
    elif style == "fl_d":
        local = f + "_" + l + str(R.randint(1, 99))
    elif style == "f+tag":
        local = f + "+" + R.choice(["shop", "news", "github", "bank", "x"])
    elif style == "initial":
        local = f[0] + l
    elif style == "fd":
        local = f + str(R.randint(70, 2005))
    else:
        local = R.choice([f + "." + l, f + l, l + "." + f[0]])
    dom = R.choice(FREEMAIL) if (style != "role" and R.random() < 0.55) else pubdomain()
    if R.random() < 0.08:
        local = local.capitalize()
    return local + "@" + dom


def resemail():
    f, l = R.choice(FIRST), R.choice(LAST)
    dom = R.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "corp.example",
            "staging.test",
            "shop.test",
            "build.invalid",
            "dev.localhost",
            "users.example.org",
        ]
    )
    return R.choice([f, f + "." + l, f[0] + l, "qa+" + str(R.randint(1, 99)), "noreply"]) + "@" + dom


# --------------------------------------------------------------------------
# secrets
def pw():
    style = R.random()
    while True:
        if style < 0.4:
            n = R.randint(10, 18)
            s = R.choice(ALNUM) + rs(ALNUM * 3 + PW_SYM, n - 2) + R.choice(ALNUM)
        elif style < 0.7:
            a = "".join(R.choice(SYLL) for _ in range(R.randint(2, 3))).capitalize()
            b = "".join(R.choice(SYLL) for _ in range(R.randint(1, 2)))
            s = a + R.choice("#%&*+-=@^_~$!") + str(R.randint(10, 999)) + b
            if R.random() < 0.5:
                s = s[:-1] + s[-1].upper()
        elif style < 0.85:
            n = R.randint(8, 14)
            s = rs_a(ALNUM, n)
        else:
            s = (
                R.choice(UPPER)
                + rs(LOWER, R.randint(3, 5))
                + str(R.randint(0, 9))
                + R.choice("!#$%*")
                + rs(ALNUM, R.randint(3, 6))
                + R.choice(DIG)
            )
        if pw_shape_ok(s):
            return s


def pw_shape_ok(s):
    if len(s) < 8 or not s[0].isalnum() or s[-1] in ".,!?:;":
        return False
    classes = sum([any(c.islower() for c in s), any(c.isupper() for c in s), any(c.isdigit() for c in s)])
    return classes >= 2


def pwurl():
    while True:
        s = R.choice(ALNUM) + rs(ALNUM * 4 + "-_.~", R.randint(9, 18)) + R.choice(ALNUM)
        if pw_shape_ok(s):
            return s


def phrase():
    ws = R.sample(WORDS, R.randint(3, 4))
    i = R.randrange(len(ws))
    ws[i] = ws[i] + str(R.randint(2, 999))
    if R.random() < 0.4:
        j = R.randrange(len(ws))
        ws[j] = ws[j].capitalize()
    return R.choice("-._").join(ws)


def pin():
    while True:
        n = R.randint(6, 8)
        s = rs(UALNUM if R.random() < 0.7 else LALNUM, n)
        if any(c.isalpha() for c in s) and any(c.isdigit() for c in s):
            return s


def jwt():
    alg = R.choice(["HS256", "RS256", "ES256", "HS512"])
    h = {"alg": alg, "typ": "JWT"}
    if alg.startswith(("RS", "ES")) and R.random() < 0.6:
        h["kid"] = rs(LALNUM, 12)
    iat = R.randint(1690000000, 1735000000)
    p = {
        "sub": R.choice(
            [
                str(R.randint(1000, 99999999)),
                "%08x-%04x-4%03x-a%03x-%012x"
                % (R.getrandbits(32), R.getrandbits(16), R.getrandbits(12), R.getrandbits(12), R.getrandbits(48)),
            ]
        ),
        "iat": iat,
        "exp": iat + R.choice([900, 3600, 86400]),
    }
    if R.random() < 0.5:
        p["scope"] = R.choice(["read write", "orders:read", "admin", "openid profile"])
    if R.random() < 0.4:
        p["iss"] = "https://" + pubhost()
    if R.random() < 0.3:
        p["role"] = R.choice(["service_role", "authenticated", "ops"])
    sig = rbytes({"HS256": 32, "HS512": 64, "RS256": 256, "ES256": 64}[alg])
    j = lambda o: b64u(json.dumps(o, separators=(",", ":")).encode())
    return j(h) + "." + j(p) + "." + b64u(sig)


PK_TYPES = [
    ("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 1560),
    ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 1600),
    ("EC PRIVATE KEY", "MHcCAQEEI", 220),
    ("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 360),
]


def privkey(sep="\n", kinds=None):
    name, pre, n = R.choice([k for k in PK_TYPES if not kinds or k[0] in kinds])
    n = n + R.randint(-40, 40)
    body = pre + rs(B64, n - len(pre))
    body = body[: len(body) // 4 * 4]
    width = 70 if name.startswith("OPENSSH") else 64
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    return "-----BEGIN %s-----%s%s%s-----END %s-----" % (name, sep, sep.join(lines), sep, name)


def basic():
    return b64((R.choice(USERS) + ":" + R.choice([pw, pwurl])()).encode())


def b64_of(s):
    while True:
        v = b64(s.encode())
        if v[0].isalnum():
            return v


def laravel():
    while True:
        v = b64(rbytes(32))
        if v[0].isalnum():
            return v


def b64_rand(n, chars=B64):
    return rs_a(chars, n)


def azkey():
    return rs_a(B64, 86) + "=="


def azsecret():
    while True:
        s = rs(ALNUM, 3) + R.choice("789") + "Q~" + rs(ALNUM + "_~.-", 30) + R.choice(ALNUM)
        if s[0].isalnum():
            return s


def wgkey():
    return rs_a(B64, 42) + R.choice("AEIMQUYcgkosw048") + "="


def discord():
    uid = str(R.randint(10**17, 10**18 - 1))
    return b64u(uid.encode()) + "." + rs(B64U, 6) + "." + rs(B64U, R.choice([27, 38]))


def mapbox(prefix):
    user = R.choice(USERS).replace(".", "").replace("_", "")
    payload = b64u(json.dumps({"u": user, "a": "cl" + rs(LALNUM, 23)}, separators=(",", ":")).encode())
    return prefix + "." + payload + "." + rs(B64U, 22)


def uuid4():
    h = rs(HEXL, 32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def django_key():
    chars = LALNUM + "!@#%^&*(-_=+)"
    s = ("django-insecure-" if R.random() < 0.3 else "") + rs_a(LALNUM, 1) + rs(chars, 48) + R.choice(LALNUM)
    return s


def wpsalt():
    chars = ALNUM + "!@#%^&*()-_=+[]{}<>~|/?,.;:"
    return R.choice(ALNUM) + rs(chars, 62) + R.choice(ALNUM)


def openai_key():
    if R.random() < 0.6:
        return "sk-proj-" + rs(B64U, 74) + "T3BlbkFJ" + rs(B64U, 74)
    return "sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20)


SECRETS = {
    "pw": pw,
    "pwurl": pwurl,
    "phrase": phrase,
    "pin": pin,
    "akid": lambda: "AKIA" + rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
    "asia": lambda: "ASIA" + rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
    "awssec": lambda: rs_a(B64, 40),
    "ghp": lambda: "ghp_" + rs(ALNUM, 36),
    "gho": lambda: "gho_" + rs(ALNUM, 36),
    "ghs": lambda: "ghs_" + rs(ALNUM, 36),
    "ghu": lambda: "ghu_" + rs(ALNUM, 36),
    "ghpat": lambda: "github_pat_11" + rs(UALNUM, 20) + "_" + rs(ALNUM, 59),
    "glpat": lambda: "glpat-" + rs(ALNUM + "_-", 19) + R.choice(ALNUM),
    "xoxb": lambda: "xoxb-%d-%d-%s" % (R.randint(10**10, 10**12), R.randint(10**11, 10**13), rs(ALNUM, 24)),
    "xoxp": lambda: (
        "xoxp-%d-%d-%d-%s"
        % (R.randint(10**10, 10**12), R.randint(10**10, 10**12), R.randint(10**11, 10**13), rs(HEXL, 32))
    ),
    "sk_live": lambda: "sk_live_" + R.choice([rs(ALNUM, 24), "51" + rs(ALNUM, 97)]),
    "sk_test": lambda: "sk_test_" + R.choice([rs(ALNUM, 24), "51" + rs(ALNUM, 97)]),
    "rk_live": lambda: "rk_live_" + R.choice([rs(ALNUM, 24), "51" + rs(ALNUM, 97)]),
    "whsec": lambda: "whsec_" + rs(ALNUM, 32),
    "aiza": lambda: "AIza" + rs(ALNUM + "_-", 34) + R.choice(ALNUM),
    "sg": lambda: "SG." + rs(B64U, 22) + "." + rs(B64U, 42) + R.choice(ALNUM),
    "mailgun": lambda: "key-" + rs(HEXL, 32),
    "npm": lambda: "npm_" + rs(ALNUM, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64U, R.randint(60, 140)) + R.choice(ALNUM),
    "openai": openai_key,
    "anthropic": lambda: "sk-ant-api03-" + rs(B64U, 93) + "AA",
    "hf": lambda: "hf_" + rs(LOWER + UPPER, 34),
    "dop": lambda: "dop_v1_" + rs(HEXL, 64),
    "shpat": lambda: "shpat_" + rs(HEXL, 32),
    "hvs": lambda: "hvs." + R.choice([rs(ALNUM, 24), "CAESI" + rs(B64U, 86) + R.choice(ALNUM)]),
    "telegram": lambda: "%d:AA%s" % (R.randint(10**8, 10**10), rs(B64U, 32) + R.choice(ALNUM)),
    "discord": discord,
    "azkey": azkey,
    "azsecret": azsecret,
    "wgkey": wgkey,
    "jwt": jwt,
    "privkey": privkey,
    "privkey_esc": lambda: privkey("\\n", ("PRIVATE KEY",)),
    "privkey_ec": lambda: privkey("\n", ("EC PRIVATE KEY", "OPENSSH PRIVATE KEY")),
    "basic": basic,
    "k8s": lambda: b64_of(R.choice([pw, pwurl, phrase])()),
    "b64plain": lambda: b64_of("\0" + R.choice(USERS) + "\0" + pw()),
    "b64pem": lambda: b64_of(privkey("\n", ("EC PRIVATE KEY",)) + "\n"),
    "laravel": laravel,
    "django": django_key,
    "wpsalt": wpsalt,
    "cookie_django": lambda: rs(LALNUM, 32),
    "phpsess": lambda: rs(LALNUM, 26),
    "jsession": lambda: rs(HEXU, 32),
    "connectsid": lambda: "s%3A" + rs(B64U, 32) + "." + rs_a(B64, 43),
    "atlassian": lambda: "ATATT3xFfGF0" + rs(B64U, 180) + "=" + rs(HEXU, 8),
    "postman": lambda: "PMAK-" + rs(HEXL, 24) + "-" + rs(HEXL, 34),
    "grafana": lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEXL, 8),
    "newrelic": lambda: "NRAK-" + rs(UALNUM, 27),
    "linear": lambda: "lin_api_" + rs(ALNUM, 40),
    "sentry": lambda: "sntryu_" + rs(HEXL, 64),
    "cf": lambda: rs_a(ALNUM + "_-", 39) + R.choice(ALNUM),
    "uuid": uuid4,
    "mapbox_sk": lambda: mapbox("sk"),
    "dckr": lambda: "dckr_pat_" + rs(B64U, 26) + R.choice(ALNUM),
    "tfc": lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67),
    "okta": lambda: "00" + rs(ALNUM + "_-", 39) + R.choice(ALNUM),
    "sq": lambda: "sq0csp-" + rs(B64U, 42) + R.choice(ALNUM),
    "doppler": lambda: "dp.st." + R.choice(["prd", "dev", "stg"]) + "." + rs(ALNUM, 40),
    "hex": lambda n: rs(HEXL, int(n)),
    "HEX": lambda n: rs(HEXU, int(n)),
    "b64": lambda n: b64_rand(int(n)),
    "b64u": lambda n: b64_rand(int(n), B64U),
    "alnum": lambda n: rs_a(ALNUM, int(n)),
}
VENDOR_KINDS = [
    "ghp",
    "gho",
    "ghpat",
    "glpat",
    "xoxb",
    "xoxp",
    "sk_live",
    "sk_test",
    "rk_live",
    "aiza",
    "sg",
    "npm",
    "pypi",
    "openai",
    "anthropic",
    "hf",
    "dop",
    "shpat",
    "hvs",
    "akid",
    "telegram",
    "dckr",
    "newrelic",
    "linear",
    "grafana",
    "sentry",
    "postman",
    "atlassian",
    "mapbox_sk",
    "whsec",
    "mailgun",
    "doppler",
    "sq",
    "jwt",
]
SECRETS["vendor"] = lambda: SECRETS[R.choice(VENDOR_KINDS)]()
PASSWORD_KINDS = {"pw", "pwurl", "phrase"}


# --------------------------------------------------------------------------
# unlabelled fillers
def ts_parts():
    return (
        R.randint(2023, 2025),
        R.randint(1, 12),
        R.randint(1, 28),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
    )


def f_iso():
    y, mo, d, h, mi, s = ts_parts()
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (y, mo, d, h, mi, s, R.randint(0, 999))


def f_clf():
    y, mo, d, h, mi, s = ts_parts()
    return "%02d/%s/%04d:%02d:%02d:%02d +0000" % (d, MONTHS[mo - 1], y, h, mi, s)


def f_sys():
    y, mo, d, h, mi, s = ts_parts()
    return "%s %2d %02d:%02d:%02d" % (MONTHS[mo - 1], d, h, mi, s)


def f_tsfmt(fmt):
    y, mo, d, h, mi, s = ts_parts()
    return fmt % {
        "y": y,
        "mo": mo,
        "d": d,
        "h": h,
        "mi": mi,
        "s": s,
        "ms": R.randint(0, 999),
        "us": R.randint(0, 9999999),
        "mon": MONTHS[mo - 1],
        "dow": DAYS[R.randrange(7)],
    }


def b64json():
    obj = R.choice(
        [
            {"orderId": "ord_" + rs(LALNUM, 10), "status": R.choice(["shipped", "paid", "refunded"])},
            {"event": "cart.updated", "items": R.randint(1, 9), "currency": "EUR"},
            {"page": R.randint(2, 40), "sort": "created_at", "dir": "desc"},
            {"sku": "SKU-" + rs(UALNUM, 6), "qty": R.randint(1, 5), "warehouse": R.choice(CITIES)},
        ]
    )
    return b64(json.dumps(obj).encode())


def b64text():
    t = (
        R.choice(
            [
                "Hi team,\nthe quarterly figures are attached. Let me know if the totals look off.\nThanks!\n",
                "Reminder: the office is closed on Friday for the inventory count.\nSee you Monday.\n",
                "Meeting notes\n- migrate the staging cluster\n- update runbooks\n- order new badges\n",
            ]
        )
        + "ref "
        + rs(UALNUM, 8)
        + "\n"
    )
    v = b64(t.encode())
    return "\n".join(v[i : i + 76] for i in range(0, len(v), 76))


def cursor():
    obj = R.choice(
        [
            {"id": R.randint(1000, 999999), "ts": R.randint(1690000000, 1735000000)},
            {"offset": R.randint(20, 5000), "limit": 50},
            {"last_key": "item#" + rs(UALNUM, 8)},
        ]
    )
    return b64u(json.dumps(obj, separators=(",", ":")).encode())


def sshpub():
    k = R.choice(["ed25519", "rsa", "ecdsa"])
    host = R.choice(USERS).replace(".", "") + "@" + R.choice(["laptop", "buildbox", "ws-07", "macbook", "jumphost"])
    if k == "ed25519":
        return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " " + host
    if k == "rsa":
        return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(B64, 490) + "= " + host
    return "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB" + rs(B64, 87) + "= " + host


def pem_block(name, pre, n):
    body = pre + rs(B64, n - len(pre))
    body = body[: len(body) // 4 * 4 - 2] + "=="
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----" % (name, "\n".join(lines), name)


def ua():
    return R.choice(UAS) if R.random() < 0.85 else R.choice(UAS_V4)


def counter(rec):
    rec.counter += R.randint(1, 3)
    return str(rec.counter)


FILL = {
    "iso": f_iso,
    "clf": f_clf,
    "sys": f_sys,
    "date": lambda: f_tsfmt("%(y)04d-%(mo)02d-%(d)02d"),
    "time": lambda: f_tsfmt("%(h)02d:%(mi)02d:%(s)02d"),
    "hm": lambda: f_tsfmt("%(h)02d:%(mi)02d"),
    "nginxerr": lambda: f_tsfmt("%(y)04d/%(mo)02d/%(d)02d %(h)02d:%(mi)02d:%(s)02d"),
    "javats": lambda: f_tsfmt("%(y)04d-%(mo)02d-%(d)02d %(h)02d:%(mi)02d:%(s)02d.%(ms)03d"),
    "ghts": lambda: f_tsfmt("%(y)04d-%(mo)02d-%(d)02dT%(h)02d:%(mi)02d:%(s)02d.%(us)07dZ"),
    "phpts": lambda: f_tsfmt("%(d)02d-%(mon)s-%(y)04d %(h)02d:%(mi)02d:%(s)02d UTC"),
    "railsts": lambda: f_tsfmt("%(y)04d-%(mo)02d-%(d)02d %(h)02d:%(mi)02d:%(s)02d +0000"),
    "gitdate": lambda: f_tsfmt("%(dow)s %(mon)s %(d)d %(h)02d:%(mi)02d:%(s)02d %(y)04d +0200"),
    "haprox": lambda: f_tsfmt("%(d)02d/%(mon)s/%(y)04d:%(h)02d:%(mi)02d:%(s)02d.%(ms)03d"),
    "f2bts": lambda: f_tsfmt("%(y)04d-%(mo)02d-%(d)02d %(h)02d:%(mi)02d:%(s)02d,%(ms)03d"),
    "lastts": lambda: f_tsfmt("%(dow)s %(mon)s %(d)2d %(h)02d:%(mi)02d"),
    "epoch": lambda: str(R.randint(1690000000, 1735000000)),
    "epochms": lambda: str(R.randint(1690000000000, 1735000000000)),
    "pid": lambda: str(R.randint(300, 65000)),
    "port": lambda: str(R.randint(32768, 60999)),
    "dbport": lambda: R.choice(["5432", "6379", "3306", "27017"]),
    "bytes": lambda: str(R.randint(120, 250000)),
    "ms": lambda: str(R.randint(2, 2500)),
    "int": lambda a, b: str(R.randint(int(a), int(b))),
    "digits": lambda n: R.choice("123456789") + rs(DIG, int(n) - 1),
    "mm": lambda: "%02d" % R.randint(1, 12),
    "yy": lambda: str(R.randint(25, 31)),
    "ua": ua,
    "uaplus": lambda: ua().replace(" ", "+"),
    "uaenc": lambda: ua().replace(" ", "%20"),
    "user": lambda: R.choice(USERS),
    "nick": lambda: R.choice(NICKS),
    "first": lambda: R.choice(FIRST).capitalize(),
    "last": lambda: R.choice(LAST).capitalize(),
    "host": lambda: (
        R.choice(["web", "api", "db", "worker", "edge", "bastion", "cache", "mq"])
        + "-"
        + R.choice(["prod", "stg", "eu1", "us2", "int"])
        + "-%02d" % R.randint(1, 30)
    ),
    "ihost": lambda: (
        R.choice(["pg-primary", "db-02", "mysql-ro", "redis-cache", "rabbit-1", "mongo-a"])
        + "."
        + R.choice(["internal", "svc.cluster.local", "int.lan", "corp.local"])
    ),
    "pubhost": pubhost,
    "pubdomain": pubdomain,
    "city": lambda: R.choice(CITIES),
    "ssid": lambda: R.choice(["Office-5G", "Guest", "Lab-IoT", "Warehouse", "Studio"]) + "-" + rs(UALNUM, 3),
    "priv4": priv4,
    "doc4": doc4,
    "priv6": priv6,
    "doc6": doc6,
    "resemail": resemail,
    "cgnat": lambda: "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254)),
    "uuid": uuid4,
    "UUID": lambda: uuid4().upper(),
    "hex": lambda n: rs(HEXL, int(n)),
    "HEX": lambda n: rs(HEXU, int(n)),
    "b64": lambda n: rs(B64, int(n)),
    "b64u": lambda n: rs(B64U, int(n)),
    "alnum": lambda n: rs(ALNUM, int(n)),
    "lower": lambda n: rs_a(LOWER, 1) + rs(LALNUM, int(n) - 1),
    "UPPER": lambda n: rs(UALNUM, int(n)),
    "letters": lambda n: rs(LOWER, int(n)),
    "sha": lambda: rs(HEXL, 40),
    "sha7": lambda: rs(HEXL, 7),
    "sha256": lambda: rs(HEXL, 64),
    "md5": lambda: rs(HEXL, 32),
    "ulid": lambda: "01" + rs("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 24),
    "cfid": lambda: rs(B64U, 54) + "==",
    "fname": lambda: R.choice(
        [
            "report_%s.pdf" % rs(HEXL, 10),
            "IMG_%s_%s.jpg" % (f_tsfmt("%(y)04d%(mo)02d%(d)02d"), rs(DIG, 6)),
            "export-%s.csv" % rs(LALNUM, 8),
            "%s.webp" % rs(HEXL, 16),
            "scan_%s.tiff" % rs(UALNUM, 6),
        ]
    ),
    "asset": lambda: (
        R.choice(["main", "vendor", "runtime", "chunk-" + rs(LALNUM, 5), "styles", "polyfills"])
        + "."
        + rs(HEXL, R.choice([8, 16, 20]))
        + R.choice([".js", ".css", ".js.map"])
    ),
    "bcrypt": lambda: "$2%s$%02d$" % (R.choice("aby"), R.choice([10, 11, 12, 13])) + rs(BCRYPT, 53),
    "sha512crypt": lambda: "$6$" + rs(BCRYPT, 16) + "$" + rs(BCRYPT, 86),
    "sha256crypt": lambda: "$5$" + rs(BCRYPT, 16) + "$" + rs(BCRYPT, 43),
    "md5crypt": lambda: "$1$" + rs(BCRYPT, 8) + "$" + rs(BCRYPT, 22),
    "apr1": lambda: "$apr1$" + rs(BCRYPT, 8) + "$" + rs(BCRYPT, 22),
    "argon2": lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(B64, 22) + "$" + rs(B64, 43),
    "cisco9": lambda: "$9$" + rs(BCRYPT, 14) + "$" + rs(BCRYPT, 43),
    "cisco8": lambda: "$8$" + rs(BCRYPT, 14) + "$" + rs(BCRYPT, 43),
    "sshpub": sshpub,
    "pubpem": lambda: pem_block("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 392),
    "certpem": lambda: pem_block("CERTIFICATE", "MIID" + rs(B64, 4) + "CCA", R.randint(1100, 1400)),
    "pk_live": lambda: "pk_live_" + R.choice([rs(ALNUM, 24), "51" + rs(ALNUM, 97)]),
    "pk_test": lambda: "pk_test_" + R.choice([rs(ALNUM, 24), "51" + rs(ALNUM, 97)]),
    "mapbox_pk": lambda: mapbox("pk"),
    "gclient": lambda: rs("123456789", 1) + rs(DIG, 11) + "-" + rs(LALNUM, 32) + ".apps.googleusercontent.com",
    "sitekey": lambda: "6L" + R.choice("cdef") + rs(ALNUM + "_-", 36) + R.choice(ALNUM),
    "eth": lambda: "0x" + "".join(c.upper() if c.isalpha() and R.random() < 0.5 else c for c in rs(HEXL, 40)),
    "ethtx": lambda: "0x" + rs(HEXL, 64),
    "btc": lambda: R.choice(
        [
            "bc1q" + rs("023456789acdefghjklmnpqrstuvwxyz", 38),
            "1" + rs("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33),
            "3" + rs("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33),
        ]
    ),
    "cursor": cursor,
    "b64json": b64json,
    "b64text": b64text,
    "b64user": lambda: b64_of(R.choice(USERS)),
    "nonluhn": lambda n="16": nonluhn(int(n)),
    "ver": lambda: "%d.%d.%d" % (R.randint(0, 9), R.randint(0, 30), R.randint(0, 40)),
    "snowflake": lambda: "1" + rs(DIG, R.choice([17, 18])),
    "word": lambda: R.choice(WORDS),
    "ghrun": lambda: R.choice("123456789") + rs(DIG, 9),
}


# --------------------------------------------------------------------------
# record builder
class Rec:
    def __init__(self):
        self.buf, self.n, self.spans, self.values, self.kinds = [], 0, [], [], []
        self.cache = {}
        self.counter = R.randint(100, 900)

    def add(self, s, entity=None, kind=None):
        if entity:
            self.spans.append({"start": self.n, "end": self.n + len(s), "entity": entity})
            self.values.append(s)
            self.kinds.append(kind)
        if s:
            self.buf.append(s)
            self.n += len(s)

    def text(self):
        return "".join(self.buf)


def match_close(t, j):
    depth = 0
    for k in range(j, len(t)):
        if t[k] == "⟦":
            depth += 1
        elif t[k] == "⟧":
            depth -= 1
            if depth == 0:
                return k
    raise ValueError("unbalanced placeholder in %r" % t[j : j + 60])


def split_top(s):
    out, depth, cur = [], 0, []
    for ch in s:
        if ch == "⟦":
            depth += 1
        elif ch == "⟧":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def expand(t, rec):
    i = 0
    while i < len(t):
        j = t.find("⟦", i)
        if j < 0:
            rec.add(t[i:])
            return
        rec.add(t[i:j])
        k = match_close(t, j)
        inner = t[j + 1 : k]
        if inner.startswith("?"):
            expand(R.choice(split_top(inner[1:])), rec)
        else:
            fill(inner, rec)
        i = k + 1


def make_value(spec, rec):
    parts = spec.split(":")
    head = parts[0]
    if head == "S":
        kind = parts[1]
        for _ in range(200):
            v = SECRETS[kind](*parts[2:])
            if secret_problem(v, kind) is None:
                return v, "SECRET", kind
        raise AssertionError("cannot make a valid secret of kind %s" % kind)
    if head == "E":
        return email(*parts[1:]), "EMAIL_ADDRESS", "email"
    if head == "IP":
        return pub4(), "IP_ADDRESS", "ip4"
    if head == "IP6":
        return pub6(), "IP_ADDRESS", "ip6"
    if head == "IPX":
        return (pub4() if R.random() < 0.75 else pub6()), "IP_ADDRESS", "ip"
    if head == "CC":
        return card(*(p or None for p in parts[1:])), "CREDIT_CARD", "card"
    if head == "f":
        if parts[1] == "hist":
            return counter(rec), None, None
        return FILL[parts[1]](*parts[2:]), None, None
    raise KeyError(spec)


def fill(spec, rec):
    base = spec.split("#")[0]
    if "#" in spec and spec in rec.cache:
        v, ent, kind = rec.cache[spec]
    else:
        v, ent, kind = make_value(base, rec)
        if "#" in spec:
            rec.cache[spec] = (v, ent, kind)
    rec.add(v, ent, kind)


# --------------------------------------------------------------------------
# checks
def secret_problem(v, kind):
    if kind in ("privkey", "privkey_esc", "privkey_ec"):
        if not (v.startswith("-----BEGIN ") and v.endswith("PRIVATE KEY-----")):
            return "private key block malformed"
    elif not v[:1].isalnum():
        return "secret starts with a symbol"
    if v[-1] in ".,!?:;":
        return "secret ends with sentence punctuation"
    low = v.lower()
    if "example" in low or "xxxx" in low or "your_" in low:
        return "secret looks like a documentation value"
    if kind in PASSWORD_KINDS:
        if kind == "phrase":
            if len(re.split(r"[-._]", v)) < 3 or not any(c.isdigit() for c in v):
                return "bad passphrase"
        elif not pw_shape_ok(v):
            return "weak password shape"
    if kind == "pin" and not (6 <= len(v) <= 8 and any(c.isalpha() for c in v) and any(c.isdigit() for c in v)):
        return "bad pin"
    if re.search(r"\s", v) and kind not in ("privkey", "privkey_ec", "privkey_esc"):
        return "whitespace in secret"
    return None


EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})")
IP4_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\.?\d)")
IP6_RE = re.compile(r"(?<![\w:.])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w:])")
NUM_RE = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")
VERSION_PREFIX_RE = re.compile(r"[A-Za-z]+/$")


SECRET_SHAPES = re.compile(
    "|".join(
        [
            r"\b(?:ghp|gho|ghs|ghu)_[A-Za-z0-9]{36}",
            r"github_pat_\w{20,}",
            r"glpat-[\w-]{20}",
            r"xox[bpas]-\d",
            r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{20,}",
            r"whsec_\w{20,}",
            r"\b(?:AKIA|ASIA)[A-Z2-7]{16}\b",
            r"AIza[\w-]{35}",
            r"SG\.[\w-]{22}\.[\w-]{43}",
            r"\bnpm_[A-Za-z0-9]{36}",
            r"pypi-AgEI",
            r"sk-proj-",
            r"sk-ant-",
            r"\bhf_[A-Za-z]{34}",
            r"dop_v1_",
            r"shpat_",
            r"\bhvs\.\w",
            r"dckr_pat_",
            r"NRAK-",
            r"lin_api_",
            r"glsa_",
            r"sntryu_",
            r"PMAK-",
            r"ATATT3",
            r"\bsk\.eyJ",
            r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+",
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
            r"T3BlbkFJ",
            r"\d{8,10}:AA[\w-]{33}",
        ]
    )
)


def scan(text):
    """findings of a simple PII scanner (used on text with labelled spans blanked)"""
    found = []
    for m in SECRET_SHAPES.finditer(text):
        tail = text[m.start() : m.start() + 60].lower()
        if "xxxx" in tail or "example" in tail:
            continue  # documentation placeholders are never labelled
        found.append(("secret-shape", m.group(0)))
    for m in EMAIL_RE.finditer(text):
        if not reserved_domain(m.group(1)):
            found.append(("email", m.group(0)))
    for m in IP4_RE.finditer(text):
        s = m.group(1)
        if all(int(o) <= 255 for o in s.split(".")) and ip_ok_public(s):
            if VERSION_PREFIX_RE.search(text[max(0, m.start() - 30) : m.start()]):
                continue  # documented exception: Product/1.2.3.4 version token
            found.append(("ip4", s))
    for m in IP6_RE.finditer(text):
        s = m.group(1)
        if s.count(":") >= 2 and ip_ok_public(s) and ipaddress.ip_address(s).version == 6:
            found.append(("ip6", s))
    for m in NUM_RE.finditer(text):
        groups = re.split(r"[ -]", m.group(0))
        for a in range(len(groups)):
            acc = ""
            for b in range(a, len(groups)):
                acc += groups[b]
                if len(acc) > 19:
                    break
                if len(acc) >= 12 and luhn_ok(acc) and brand_of(acc):
                    found.append(("card", acc))
    return found


def check_record(rec, category):
    """list of problems (empty list == record is fine)"""
    text = rec.text()
    probs = []
    if category == "positive" and not rec.spans:
        probs.append("positive without spans")
    if category != "positive" and rec.spans:
        probs.append("negative with spans")
    last = 0
    for sp, v, kind in zip(rec.spans, rec.values, rec.kinds):
        if text[sp["start"] : sp["end"]] != v:
            probs.append("offset mismatch")
        if sp["start"] < last:
            probs.append("overlap")
        last = sp["end"]
        ent = sp["entity"]
        if ent == "IP_ADDRESS" and not ip_ok_public(v):
            probs.append("non-public IP labelled " + v)
        if ent == "CREDIT_CARD":
            d = re.sub(r"[ -]", "", v)
            if not (re.fullmatch(r"\d+(?:[ -]\d+)*", v) and luhn_ok(d) and brand_of(d)):
                probs.append("bad card " + v)
        if ent == "EMAIL_ADDRESS":
            m = EMAIL_RE.fullmatch(v)
            if not m or reserved_domain(m.group(1)):
                probs.append("bad email " + v)
        if ent == "SECRET":
            p = secret_problem(v, kind)
            if p:
                probs.append(p + ": " + v)
    masked = list(text)
    for sp in rec.spans:
        for i in range(sp["start"], sp["end"]):
            masked[i] = " "
    for f in scan("".join(masked)):
        probs.append("scanner found unlabelled %s %s" % f)
    return probs


# --------------------------------------------------------------------------
# templates
TEMPLATES = []  # (category, context, lang, text, n)


def _t(s):
    s = textwrap.dedent(s)
    return s.strip("\n")


def P(ctx, lang, text, n=3):
    TEMPLATES.append(("positive", ctx, lang, _t(text), n))


def N(cat, ctx, lang, text, n=4):
    TEMPLATES.append((cat, ctx, lang, _t(text), n))


# ======================= POSITIVE TEMPLATES =======================
# --- web server / proxy / app logs
P(
    "web_server_log",
    "en",
    """
    ⟦IP⟧ - - [⟦f:clf⟧] "GET /api/v2/reports/export?format=⟦?csv|xlsx|json⟧&api_key=⟦S:hex:32⟧ HTTP/1.1" 200 ⟦f:bytes⟧ "-" "⟦f:ua⟧"
""",
    4,
)
P(
    "web_server_log",
    "en",
    """
    ⟦IP⟧ - ⟦f:user⟧ [⟦f:clf⟧] "GET /files/download?id=⟦f:uuid⟧&access_token=⟦S:jwt⟧ HTTP/2.0" 302 0 "https://⟦f:pubhost⟧/files" "⟦f:ua⟧"
""",
    4,
)
P(
    "web_server_log",
    "en",
    """
    ⟦f:priv4⟧ - - [⟦f:clf⟧] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
    ⟦IP⟧ - - [⟦f:clf⟧] "POST /wp-login.php HTTP/1.1" 200 ⟦f:bytes⟧ "-" "⟦f:ua⟧"
    ⟦?⟦IP⟧|⟦IP6⟧⟧ - - [⟦f:clf⟧] "GET /.env HTTP/1.1" 404 ⟦f:bytes⟧ "-" "⟦f:ua⟧"
    ⟦f:priv4⟧ - - [⟦f:clf⟧] "GET /metrics HTTP/1.1" 200 ⟦f:bytes⟧ "-" "Prometheus/2.51.2"
""",
    4,
)
P(
    "web_server_log",
    "en",
    """
    {"level":"info","ts":⟦f:epoch⟧.⟦f:digits:6⟧,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"⟦IP⟧","remote_port":"⟦f:port⟧","proto":"HTTP/2.0","method":"GET","host":"⟦f:pubhost⟧","uri":"/account","headers":{"Cookie":["sessionid=⟦S:cookie_django⟧; theme=dark"],"User-Agent":["⟦f:ua⟧"]}},"status":200,"duration":0.0⟦f:digits:4⟧}
""",
    3,
)
P(
    "web_server_log",
    "en",
    """
    #Software: Microsoft Internet Information Services 10.0
    #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status
    ⟦f:date⟧ ⟦f:time⟧ ⟦f:priv4⟧ GET /legacy/login.aspx user=⟦f:user⟧&pwd=⟦S:pwurl⟧ 443 - ⟦IP⟧ ⟦f:uaplus⟧ 200
""",
    3,
)
P(
    "web_server_log",
    "en",
    """
    ⟦f:sys⟧ lb-01 haproxy[⟦f:pid⟧]: [⟦IP6⟧]:⟦f:port⟧ [⟦f:haprox⟧] fe_https~ be_api/api-0⟦f:int:1:4⟧ 0/0/1/⟦f:int:5:90⟧/⟦f:int:6:95⟧ 200 ⟦f:bytes⟧ - - ---- 12/12/3/1/0 0/0 "GET /v1/me HTTP/1.1"
    ⟦f:sys⟧ lb-01 haproxy[⟦f:pid⟧]: ⟦IP⟧:⟦f:port⟧ [⟦f:haprox⟧] fe_https~ be_api/api-0⟦f:int:1:4⟧ 0/0/0/⟦f:int:5:90⟧/⟦f:int:6:95⟧ 401 ⟦f:bytes⟧ - - ---- 12/12/2/1/0 0/0 "POST /v1/login HTTP/1.1"
""",
    3,
)
P(
    "web_server_log",
    "en",
    """
    ⟦f:nginxerr⟧ [error] ⟦f:pid⟧#0: *⟦f:int:100:99999⟧ upstream timed out (110: Connection timed out) while reading response header from upstream, client: ⟦IP⟧, server: ⟦f:pubhost#1⟧, request: "GET /api/search?q=boots&key=⟦S:aiza#1⟧ HTTP/1.1", upstream: "http://⟦f:priv4⟧:8080/api/search?q=boots&key=⟦S:aiza#1⟧", host: "⟦f:pubhost#1⟧"
""",
    3,
)
P(
    "web_server_log",
    "en",
    """
    ⟦IP⟧ - - [⟦f:clf⟧] "GET /admin/ HTTP/1.1" 401 ⟦f:bytes⟧ "http://⟦f:user⟧:⟦S:pwurl⟧@⟦f:pubhost⟧/admin/" "⟦f:ua⟧"
""",
    3,
)
P(
    "cdn_log",
    "en",
    """
    #Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query
    ⟦f:date⟧\t⟦f:time⟧\tFRA56-P⟦f:int:1:9⟧\t⟦f:bytes⟧\t⟦IP⟧\tGET\t⟦f:lower:14⟧.cloudfront.net\t/media/⟦f:fname⟧\t200\t-\t⟦f:uaenc⟧\tExpires=⟦f:epoch⟧&token=⟦S:b64u:40⟧
""",
    3,
)
P(
    "app_log",
    "en",
    """
    time=⟦f:iso⟧ level=warn msg="rate limit exceeded" client_ip=⟦IP⟧ user_email=⟦E⟧ route=/v1/search request_id=⟦f:uuid⟧ limit=⟦f:int:50:500⟧
""",
    4,
)
P(
    "app_log",
    "en",
    """
    Started POST "/users/sign_in" for ⟦IP⟧ at ⟦f:railsts⟧
    Processing by Devise::SessionsController#create as HTML
      Parameters: {"authenticity_token"=>"[FILTERED]", "user"=>{"email"=>"⟦E⟧", "password"=>"⟦S:pw⟧", "remember_me"=>"0"}, "commit"=>"Log in"}
    Completed 302 Found in ⟦f:int:40:400⟧ms (ActiveRecord: ⟦f:int:1:30⟧.⟦f:int:1:9⟧ms | Allocations: ⟦f:int:1000:9000⟧)
""",
    4,
)
P(
    "stack_trace",
    "en",
    """
    Request information:
    POST:
    csrfmiddlewaretoken = '⟦f:alnum:64⟧'
    username = '⟦f:user⟧'
    password = '⟦S:pw⟧'
    META:
    REMOTE_ADDR = '⟦IP⟧'
    HTTP_X_REQUEST_ID = '⟦f:uuid⟧'
""",
    3,
)
P(
    "app_log",
    "en",
    """
    [⟦f:iso⟧] POST /api/auth/login ⟦?200|401⟧ ⟦f:ms⟧ms - body: {"email":"⟦E⟧","password":"⟦S:pw⟧"} ip=⟦?⟦IP⟧|::ffff:⟦IP⟧⟧
""",
    4,
)
P(
    "app_log",
    "en",
    """
    [⟦f:phpts⟧] PHP Warning:  mysqli::real_connect(): (HY000/1045): Access denied for user 'wp_⟦f:lower:5⟧'@'⟦f:priv4⟧' (using password: YES) in /var/www/html/wp-includes/class-wpdb.php on line 1982
    [⟦f:phpts⟧] PHP Debug: db_connect() DB_HOST='⟦f:priv4⟧' DB_PASSWORD='⟦S:pw⟧'
""",
    3,
)
P(
    "stack_trace",
    "en",
    """
    ⟦f:javats⟧ ERROR 1 --- [           main] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Exception during pool initialization.
    org.postgresql.util.PSQLException: FATAL: password authentication failed for user "⟦f:user#1⟧"
    \tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)
    \tat org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)
    Effective config: spring.datasource.url=jdbc:postgresql://⟦f:ihost⟧:5432/orders?user=⟦f:user#1⟧&password=⟦S:pwurl⟧&ssl=true
""",
    3,
)
P(
    "stack_trace",
    "en",
    """
    Traceback (most recent call last):
      File "/srv/app/billing/sync.py", line ⟦f:int:20:300⟧, in push_invoice
        resp = stripe.Invoice.create(customer=cid, api_key=api_key)
        cid = 'cus_⟦f:alnum:14⟧'
        api_key = '⟦?⟦S:sk_live⟧|⟦S:rk_live⟧⟧'
    stripe.error.AuthenticationError: Request req_⟦f:alnum:14⟧: Invalid API Key provided
""",
    3,
)
P(
    "stack_trace",
    "en",
    """
    java.io.IOException: Server returned HTTP response code: 401 for URL: https://⟦f:user⟧:⟦S:pwurl⟧@⟦f:pubhost⟧/nexus/repository/maven-releases/
    \tat sun.net.www.protocol.http.HttpURLConnection.getInputStream0(HttpURLConnection.java:2000)
    \tat org.apache.maven.wagon.providers.http.HttpWagon.fillInputData(HttpWagon.java:128)
""",
    3,
)
P(
    "stack_trace",
    "en",
    """
    Error: connect ETIMEDOUT ⟦IP#1⟧:⟦f:dbport#1⟧
        at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {
      errno: -110,
      code: 'ETIMEDOUT',
      syscall: 'connect',
      address: '⟦IP#1⟧',
      port: ⟦f:dbport#1⟧,
      config: { host: '⟦IP#1⟧', user: '⟦f:user⟧', password: '⟦S:pw⟧', database: 'app' }
    }
""",
    3,
)
P(
    "stack_trace",
    "en",
    """
    panic: failed to connect to `host=⟦f:ihost#1⟧ user=⟦f:user#1⟧ database=ledger`: dial error (dial tcp ⟦f:priv4⟧:5432: connect: connection refused)
    dsn="postgres://⟦f:user#1⟧:⟦S:pwurl⟧@⟦f:ihost#1⟧:5432/ledger?sslmode=require"

    goroutine 1 [running]:
    main.mustDB(...)
    \t/src/cmd/ledger/main.go:⟦f:int:20:200⟧ +0x⟦f:hex:3⟧
""",
    3,
)
P(
    "stack_trace",
    "en",
    """
    Unhandled exception. System.Data.SqlClient.SqlException (0x80131904): Login failed for user 'sa'.
       at System.Data.SqlClient.SqlInternalConnectionTds..ctor(DbConnectionPoolIdentity identity)
       at Inventory.Startup.Migrate() in /src/Inventory/Startup.cs:line ⟦f:int:30:200⟧
    ConnectionString: Server=⟦f:ihost⟧,1433;Database=Inventory;User Id=sa;Password=⟦S:pw⟧;TrustServerCertificate=True
    ClientConnectionId:⟦f:uuid⟧
""",
    3,
)
P(
    "container_log",
    "en",
    """
    $ kubectl logs deploy/uploader -n media | head
    + env
    AWS_REGION=eu-central-1
    AWS_ACCESS_KEY_ID=⟦S:akid⟧
    AWS_SECRET_ACCESS_KEY=⟦S:awssec⟧
    S3_BUCKET=media-⟦f:lower:8⟧
    HOSTNAME=uploader-⟦f:lower:10⟧-⟦f:lower:5⟧
""",
    4,
)
# --- curl / httpie / wget
P(
    "curl_verbose",
    "en",
    """
    $ curl -v https://⟦f:pubhost#1⟧/v1/invoices -H "Authorization: Bearer ⟦S:jwt#1⟧"
    *   Trying ⟦IP#1⟧:443...
    * Connected to ⟦f:pubhost#1⟧ (⟦IP#1⟧) port 443
    * ALPN: server accepted h2
    > GET /v1/invoices HTTP/2
    > Host: ⟦f:pubhost#1⟧
    > User-Agent: curl/8.5.0
    > Accept: */*
    > Authorization: Bearer ⟦S:jwt#1⟧
    >
    < HTTP/2 401
    < content-type: application/json
    < x-request-id: ⟦f:uuid⟧
    <
    {"error":"token_expired"}
""",
    4,
)
P(
    "shell_history",
    "en",
    """
    $ curl -s -u "⟦f:user⟧:⟦S:pw⟧" https://⟦f:pubhost⟧/api/v1/status | jq .status
    "degraded"
""",
    3,
)
P(
    "curl_verbose",
    "en",
    """
    > POST /v3/mail/send HTTP/1.1
    > Host: api.sendgrid.com
    > Authorization: Bearer ⟦S:sg⟧
    > Content-Type: application/json
    > Content-Length: ⟦f:int:200:900⟧
    >
    } [⟦f:int:200:900⟧ bytes data]
    < HTTP/1.1 202 Accepted
    < X-Message-Id: ⟦f:b64u:22⟧
""",
    3,
)
P(
    "curl_verbose",
    "en",
    """
    * Connected to ⟦f:pubhost#1⟧ (⟦IP⟧) port 443 (#0)
    * Server auth using Basic with user '⟦f:user⟧'
    > GET /repository/npm-private/ HTTP/1.1
    > Host: ⟦f:pubhost#1⟧
    > Authorization: Basic ⟦S:basic⟧
    > User-Agent: curl/7.88.1
    < HTTP/1.1 200 OK
""",
    4,
)
P(
    "curl_verbose",
    "en",
    """
    < HTTP/1.1 302 Found
    < Location: /dashboard
    < Set-Cookie: ⟦?PHPSESSID=⟦S:phpsess⟧|JSESSIONID=⟦S:jsession⟧|connect.sid=⟦S:connectsid⟧|_gitlab_session=⟦S:hex:32⟧⟧; Path=/; HttpOnly; Secure; SameSite=Lax
    < X-Trace-Id: ⟦f:hex:32⟧
""",
    4,
)
P(
    "shell_session",
    "en",
    """
    $ http POST https://⟦f:pubhost⟧/oauth/token grant_type=client_credentials client_id=⟦f:lower:20⟧ client_secret=⟦S:alnum:40⟧
    HTTP/1.1 200 OK
    Content-Type: application/json

    {
        "access_token": "⟦S:b64u:43⟧",
        "expires_in": 3600,
        "token_type": "Bearer"
    }
""",
    3,
)
P(
    "shell_session",
    "en",
    """
    $ wget --user=⟦f:user⟧ --password='⟦S:pw⟧' https://⟦f:pubhost#1⟧/backups/db-⟦f:date#1⟧.sql.gz
    --⟦f:date#1⟧ ⟦f:time⟧--  https://⟦f:pubhost#1⟧/backups/db-⟦f:date#1⟧.sql.gz
    Resolving ⟦f:pubhost#1⟧ (⟦f:pubhost#1⟧)... ⟦IP#1⟧
    Connecting to ⟦f:pubhost#1⟧ (⟦f:pubhost#1⟧)|⟦IP#1⟧|:443... connected.
    HTTP request sent, awaiting response... 200 OK
""",
    3,
)
# --- HAR
P(
    "har_capture",
    "en",
    """
    {
      "startedDateTime": "⟦f:iso⟧",
      "request": {
        "method": "GET",
        "url": "https://⟦f:pubhost#1⟧/api/me",
        "headers": [
          {"name": "Host", "value": "⟦f:pubhost#1⟧"},
          {"name": "Authorization", "value": "Bearer ⟦S:jwt⟧"},
          {"name": "Cookie", "value": "_ga=GA1.1.⟦f:digits:9⟧.⟦f:epoch⟧; sid=⟦S:b64u:32⟧"}
        ]
      },
      "response": {"status": 200, "headers": [{"name": "x-request-id", "value": "⟦f:uuid⟧"}]},
      "serverIPAddress": "⟦IPX⟧",
      "connection": "⟦f:int:1000:99999⟧"
    }
""",
    4,
)
P(
    "har_capture",
    "en",
    """
    "request": {
      "method": "POST",
      "url": "https://⟦f:pubhost⟧/login",
      "postData": {
        "mimeType": "application/x-www-form-urlencoded",
        "text": "username=⟦f:user#1⟧&password=⟦S:pwurl#1⟧&remember=1",
        "params": [
          {"name": "username", "value": "⟦f:user#1⟧"},
          {"name": "password", "value": "⟦S:pwurl#1⟧"}
        ]
      }
    },
    "serverIPAddress": "⟦IP⟧",
""",
    3,
)
P(
    "har_capture",
    "en",
    """
    "request": {
      "method": "GET",
      "url": "https://maps.⟦f:pubdomain⟧/geocode?address=⟦f:city#1⟧&key=⟦S:aiza#1⟧",
      "queryString": [
        {"name": "address", "value": "⟦f:city#1⟧"},
        {"name": "key", "value": "⟦S:aiza#1⟧"}
      ],
      "headers": [{"name": "x-client-trace", "value": "⟦f:hex:16⟧"}]
    }
""",
    3,
)
# --- shell history
P(
    "shell_history",
    "en",
    """
      ⟦f:hist⟧  cd ~/src/⟦f:lower:6⟧
      ⟦f:hist⟧  export GITHUB_TOKEN=⟦?⟦S:ghp⟧|⟦S:ghpat⟧⟧
      ⟦f:hist⟧  gh repo list --limit 5
      ⟦f:hist⟧  unset GITHUB_TOKEN
""",
    4,
)
P(
    "shell_history",
    "en",
    """
    mysql -u root -p'⟦S:pw⟧' -h ⟦IP⟧ -P 3306 shop < dump.sql
    mysqldump --user=backup --password=⟦S:pw⟧ --host=⟦f:ihost⟧ --all-databases > all-⟦f:date⟧.sql
""",
    3,
)
P(
    "shell_session",
    "en",
    """
    $ echo ⟦S:dckr⟧ | docker login -u ⟦f:user⟧ --password-stdin
    Login Succeeded
""",
    3,
)
P(
    "shell_session",
    "en",
    """
    $ docker login -u ⟦f:user⟧ -p ⟦S:pw⟧ registry.⟦f:pubdomain⟧
    WARNING! Using --password via the CLI is insecure. Use --password-stdin.
    Login Succeeded
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    git clone https://⟦?⟦f:user⟧:⟦S:ghp⟧|x-access-token:⟦S:ghs⟧|⟦f:user⟧:⟦S:ghpat⟧⟧@github.com/⟦f:lower:8⟧/⟦f:lower:6#1⟧.git
    cd ⟦f:lower:6#1⟧ && make test
""",
    4,
)
P(
    "shell_history",
    "en",
    """
    git remote set-url origin https://oauth2:⟦S:glpat⟧@gitlab.⟦f:pubdomain⟧/platform/⟦f:lower:7⟧.git
    git push -u origin main
""",
    3,
)
P(
    "shell_history",
    "en",
    r"""
    psql "postgresql://⟦f:user⟧:⟦S:pwurl⟧@⟦IP⟧:5432/analytics?sslmode=require" -c '\dt'
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    aws configure set aws_access_key_id ⟦S:akid⟧
    aws configure set aws_secret_access_key ⟦S:awssec⟧
    aws s3 ls s3://⟦f:lower:10⟧-backups/ --region eu-west-1
""",
    4,
)
P(
    "shell_history",
    "en",
    """
    echo '⟦S:pw⟧' | sudo -S systemctl restart ⟦?nginx|postgresql|docker⟧
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    sshpass -p '⟦S:pw⟧' ssh -o StrictHostKeyChecking=no ⟦f:user⟧@⟦IP⟧ 'uptime'
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    redis-cli -h ⟦IP⟧ -p 6379 -a ⟦S:alnum:32⟧ --no-auth-warning INFO keyspace
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    npm config set //registry.npmjs.org/:_authToken ⟦S:npm⟧
    npm publish --access public
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    curl -s "https://api.telegram.org/bot⟦S:telegram⟧/sendMessage?chat_id=-100⟦f:digits:10⟧&text=deploy%20done"
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    heroku config:set STRIPE_SECRET_KEY=⟦S:sk_live⟧ SENDGRID_API_KEY=⟦S:sg⟧ -a ⟦f:lower:8⟧-prod
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    kubectl create secret generic db-creds --from-literal=username=⟦f:user⟧ --from-literal=password='⟦S:pw⟧' -n ⟦f:lower:6⟧
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    openssl enc -aes-256-cbc -pbkdf2 -salt -in backup.tar -out backup.tar.enc -pass pass:⟦S:phrase⟧
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    htpasswd -bB /etc/nginx/.htpasswd ⟦f:user⟧ '⟦S:pw⟧'
""",
    3,
)
P(
    "shell_session",
    "en",
    """
    $ vault login ⟦S:hvs#1⟧
    Success! You are now authenticated. The token information displayed below
    is already stored in the token helper.

    Key                  Value
    ---                  -----
    token                ⟦S:hvs#1⟧
    token_accessor       ⟦f:alnum:24⟧
    token_duration       768h
    token_policies       ["default" "ops"]
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    : ⟦f:epoch⟧:0;pip install openai
    : ⟦f:epoch⟧:0;export OPENAI_API_KEY=⟦S:openai⟧
    : ⟦f:epoch⟧:0;python summarize.py notes.md
""",
    3,
)
P(
    "shell_session",
    "en",
    r"""
    PS C:\Users\⟦f:user#1⟧> $env:AZURE_CLIENT_ID = "⟦f:uuid⟧"
    PS C:\Users\⟦f:user#1⟧> $env:AZURE_CLIENT_SECRET = "⟦S:azsecret⟧"
    PS C:\Users\⟦f:user#1⟧> $pw = ConvertTo-SecureString "⟦S:pw⟧" -AsPlainText -Force
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    gh auth login --with-token <<< "⟦S:gho⟧"
    gh pr list --state open
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    vim ~/.zshrc
    export ANTHROPIC_API_KEY="⟦S:anthropic⟧"
    source ~/.zshrc
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    doctl auth init --access-token ⟦S:dop⟧
    doctl compute droplet list --format Name,PublicIPv4
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    CF_API_TOKEN=⟦S:cf⟧ npx wrangler deploy --env production
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    HEROKU_API_KEY=⟦S:uuid⟧ heroku releases -a ⟦f:lower:8⟧
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    curl -s --user 'api:⟦S:mailgun⟧' https://api.mailgun.net/v3/⟦f:pubdomain⟧/messages -F from='Alerts <⟦E⟧>' -F to=⟦E⟧ -F subject='disk 91%'
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    curl -H "Authorization: Bearer ⟦S:grafana⟧" https://⟦f:lower:6⟧.grafana.net/api/dashboards/uid/⟦f:alnum:9⟧
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    NEW_RELIC_API_KEY=⟦S:newrelic⟧ newrelic nerdgraph query '{ actor { user { name } } }'
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    curl -H "Authorization: SSWS ⟦S:okta⟧" "https://⟦f:lower:8⟧.okta.com/api/v1/users?limit=25"
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    curl -H "X-Shopify-Access-Token: ⟦S:shpat⟧" https://⟦f:lower:8⟧.myshopify.com/admin/api/2024-04/orders.json
""",
    3,
)
P(
    "shell_history",
    "en",
    """
    redis-cli -h ⟦f:ihost⟧ MONITOR
    ⟦f:epoch⟧.⟦f:digits:6⟧ [0 ⟦IP⟧:⟦f:port⟧] "AUTH" "⟦S:alnum:32⟧"
    ⟦f:epoch⟧.⟦f:digits:6⟧ [0 ⟦f:priv4⟧:⟦f:port⟧] "GET" "cache:product:⟦f:int:100:9999⟧"
""",
    3,
)
P(
    "ftp_log",
    "en",
    """
    Status:\tConnecting to ⟦IP⟧:21...
    Command:\tUSER ⟦f:user⟧
    Response:\t331 Please specify the password.
    Command:\tPASS ⟦S:pw⟧
    Response:\t230 Login successful.
""",
    3,
)
P(
    "shell_session",
    "en",
    """
    $ openssl s_client -starttls smtp -connect smtp.⟦f:pubdomain⟧:587 -quiet
    250 AUTH PLAIN LOGIN
    AUTH PLAIN ⟦S:b64plain⟧
    235 2.7.0 Authentication successful
""",
    3,
)
# --- jupyter
P(
    "jupyter_output",
    "en",
    """
    In [3]: {k: v for k, v in os.environ.items() if 'KEY' in k or 'TOKEN' in k}
    Out[3]:
    {'HF_TOKEN': '⟦S:hf⟧',
     'OPENAI_API_KEY': '⟦S:openai⟧',
     'WANDB_API_KEY': '⟦S:hex:40⟧'}
""",
    3,
)
P(
    "jupyter_output",
    "en",
    """
    In [7]: df[['user_id', 'email', 'last_ip']].head(4)
    Out[7]:
       user_id                          email          last_ip
    0     ⟦f:int:1000:9999⟧  ⟦E⟧  ⟦IP⟧
    1     ⟦f:int:1000:9999⟧  ⟦E⟧  ⟦f:priv4⟧
    2     ⟦f:int:1000:9999⟧  ⟦E⟧  ⟦IPX⟧
    3     ⟦f:int:1000:9999⟧  ⟦E⟧  ⟦IP⟧
""",
    4,
)
P(
    "jupyter_output",
    "en",
    """
    >>> print(settings)
    {'debug': False, 'db': {'host': '⟦f:ihost⟧', 'port': 5432, 'user': '⟦f:user⟧', 'password': '⟦S:pw⟧'}, 'redis_url': 'redis://:⟦S:pwurl⟧@⟦f:ihost⟧:6379/0', 'sentry_env': 'prod'}
""",
    3,
)
P(
    "jupyter_output",
    "en",
    """
    ---------------------------------------------------------------------------
    AuthenticationError                       Traceback (most recent call last)
    Cell In[12], line 3
          1 from openai import OpenAI
    ----> 3 client = OpenAI(api_key="⟦S:openai⟧")
    AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided', 'code': 'invalid_api_key'}}
""",
    3,
)
P(
    "jupyter_output",
    "en",
    """
    In [21]: r = requests.post(LOGIN_URL, data={'user': '⟦f:user⟧', 'pass': '⟦S:pw⟧'}); r.cookies
    Out[21]: <RequestsCookieJar[<Cookie session=⟦S:b64u:40⟧ for .⟦f:pubdomain⟧/>]>
""",
    3,
)
# --- CI logs
P(
    "ci_log",
    "en",
    """
    ⟦f:ghts⟧ ##[group]Run ./scripts/publish.sh
    ⟦f:ghts⟧ env:
    ⟦f:ghts⟧   NODE_AUTH_TOKEN: ***
    ⟦f:ghts⟧ ##[endgroup]
    ⟦f:ghts⟧ + curl -H 'Authorization: token ⟦S:ghs⟧' https://api.github.com/repos/⟦f:lower:6⟧/⟦f:lower:8⟧/releases
""",
    4,
)
P(
    "ci_log",
    "en",
    """
    $ curl --fail --header "PRIVATE-TOKEN: ⟦S:glpat⟧" --upload-file cli.tar.gz "https://gitlab.⟦f:pubdomain⟧/api/v4/projects/⟦f:int:10:999⟧/packages/generic/cli/⟦f:ver⟧/cli.tar.gz"
    {"message":"201 Created"}
    Cleaning up project directory and file based variables
""",
    3,
)
P(
    "ci_log",
    "en",
    """
    [Pipeline] sh
    + docker login -u ci-bot -p ⟦S:pw⟧ registry.⟦f:pubdomain⟧
    WARNING! Using --password via the CLI is insecure. Use --password-stdin.
    Login Succeeded
    [Pipeline] }
""",
    3,
)
P(
    "ci_log",
    "en",
    """
    #!/bin/bash -eo pipefail
    printenv | sort
    CIRCLE_BRANCH=main
    CIRCLE_BUILD_NUM=⟦f:int:1000:99999⟧
    CIRCLE_SHA1=⟦f:sha⟧
    NPM_TOKEN=⟦S:npm⟧
    SLACK_WEBHOOK_SECRET=⟦S:alnum:32⟧
""",
    3,
)
P(
    "ci_log",
    "en",
    """
    $ export SLACK_TOKEN=⟦S:xoxb⟧
    $ export DEPLOY_HOST=⟦IP⟧
    $ ./deploy.sh
    Deploying build ⟦f:int:100:9999⟧ to ⟦IP⟧ ...
""",
    3,
)
P(
    "terraform_output",
    "en",
    """
      # aws_db_instance.main will be created
      + resource "aws_db_instance" "main" {
          + allocated_storage = 20
          + engine            = "postgres"
          + identifier        = "⟦f:lower:8⟧-prod"
          + password          = "⟦S:pw⟧"
          + username          = "⟦f:user⟧"
        }
""",
    3,
)
P(
    "ansible_output",
    "en",
    """
    <⟦IP⟧> ESTABLISH SSH CONNECTION FOR USER: ⟦f:user⟧
    ok: [web-02] => {"changed": false, "invocation": {"module_args": {"login_password": "⟦S:pw⟧", "login_user": "root", "name": "shop", "state": "present"}}}
""",
    3,
)
P(
    "ci_log",
    "en",
    """
    [⟦f:time⟧] Registering webhook for ⟦f:lower:6⟧/⟦f:lower:8⟧ url=https://ci.⟦f:pubdomain⟧/hook secret=⟦S:hex:40⟧ events=push,pull_request
""",
    3,
)
P(
    "ci_log",
    "en",
    """
    Run twine upload dist/* -u __token__ -p ⟦S:pypi⟧
    Uploading distributions to https://upload.pypi.org/legacy/
    Uploading ⟦f:lower:8⟧-⟦f:ver⟧-py3-none-any.whl
""",
    3,
)
P(
    "ci_log",
    "en",
    """
    #7 [build 3/6] RUN NPM_TOKEN=⟦S:npm#1⟧ npm ci --ignore-scripts
    #7 CACHED
    #8 [build 4/6] RUN echo "//registry.npmjs.org/:_authToken=⟦S:npm#1⟧" > .npmrc
    #8 DONE 0.2s
""",
    3,
)
P(
    "ci_log",
    "en",
    """
    Step 5/9 : ARG DATABASE_URL=postgres://app:⟦S:pwurl⟧@⟦IP⟧:5432/app
     ---> Running in ⟦f:hex:12⟧
     ---> ⟦f:hex:12⟧
""",
    3,
)
P(
    "ci_log",
    "en",
    """
    Found verified result 🐷🔑
    ⟦?Detector Type: Github
    Raw result: ⟦S:ghp⟧|Detector Type: Stripe
    Raw result: ⟦S:sk_live⟧|Detector Type: Slack
    Raw result: ⟦S:xoxp⟧|Detector Type: OpenAI
    Raw result: ⟦S:openai⟧⟧
    File: config/settings.py
    Commit: ⟦f:sha⟧
    Email: ⟦f:first⟧ ⟦f:last⟧ <⟦E⟧>
""",
    4,
)
P(
    "ci_log",
    "en",
    """
    {"RuleID": "aws-access-token", "Secret": "⟦S:akid#1⟧", "Match": "aws_access_key_id = ⟦S:akid#1⟧", "File": "deploy/.aws/credentials", "Commit": "⟦f:sha⟧", "Author": "⟦f:first⟧ ⟦f:last⟧", "Email": "⟦E⟧", "Date": "⟦f:iso⟧"}
""",
    3,
)
# --- paste dumps
P(
    "paste_dump",
    "en",
    """
    -- fresh combo ⟦f:date⟧ --
    ⟦E⟧:⟦S:pw⟧
    ⟦E⟧:⟦S:pw⟧
    ⟦E⟧:⟦S:pw⟧
    ⟦E⟧:⟦S:pw⟧
""",
    4,
)
P(
    "paste_dump",
    "en",
    """
    APP_ENV=production
    APP_KEY=base64:⟦S:laravel⟧
    DB_HOST=⟦f:priv4⟧
    DB_PASSWORD=⟦S:pw⟧
    MAIL_USERNAME=⟦E⟧
    MAIL_PASSWORD=⟦S:pw⟧
    STRIPE_KEY=⟦f:pk_live⟧
    STRIPE_SECRET=⟦S:sk_live⟧
""",
    4,
)
P(
    "paste_dump",
    "en",
    """
    smtp:
      host: smtp.⟦f:pubdomain⟧
      port: 587
      username: ⟦E#1⟧
      password: "⟦S:pw⟧"
      from: "Billing <⟦E#1⟧>"
""",
    3,
)
P(
    "db_dump",
    "en",
    """
    INSERT INTO `customers` VALUES (⟦f:int:100:999⟧,'⟦f:first⟧ ⟦f:last⟧','⟦E⟧','⟦IP⟧','⟦f:bcrypt⟧','⟦f:date⟧ ⟦f:time⟧'),(⟦f:int:100:999⟧,'⟦f:first⟧ ⟦f:last⟧','⟦E⟧','⟦IPX⟧','⟦f:bcrypt⟧','⟦f:date⟧ ⟦f:time⟧');
""",
    4,
)
P(
    "paste_dump",
    "en",
    """
    ⟦CC⟧|⟦f:mm⟧/⟦f:yy⟧|⟦f:digits:3⟧|⟦f:first⟧ ⟦f:last⟧|⟦f:city⟧
    ⟦CC⟧|⟦f:mm⟧/⟦f:yy⟧|⟦f:digits:3⟧|⟦f:first⟧ ⟦f:last⟧|⟦f:city⟧
    ⟦CC⟧|⟦f:mm⟧/⟦f:yy⟧|⟦f:digits:3⟧|⟦f:first⟧ ⟦f:last⟧|⟦f:city⟧
""",
    3,
)
P(
    "paste_dump",
    "en",
    """
    here's the deploy key for the staging box, don't lose it again

    ⟦S:privkey⟧

    host: ⟦IP⟧  user: deploy
""",
    3,
)
P(
    "paste_dump",
    "en",
    """
    define( 'DB_NAME', 'wp_⟦f:lower:6⟧' );
    define( 'DB_USER', '⟦f:user⟧' );
    define( 'DB_PASSWORD', '⟦S:pw⟧' );
    define( 'DB_HOST', '⟦f:priv4⟧' );
    define( 'AUTH_KEY',         '⟦S:wpsalt⟧' );
""",
    3,
)
P(
    "paste_dump",
    "en",
    """
    [default]
    aws_access_key_id = ⟦S:akid⟧
    aws_secret_access_key = ⟦S:awssec⟧
    region = eu-north-1
""",
    3,
)
P(
    "paste_dump",
    "en",
    """
    {
      "type": "service_account",
      "project_id": "⟦f:lower:8⟧-⟦f:digits:6⟧",
      "private_key": "⟦S:privkey_esc⟧\\n",
      "client_email": "⟦E:gsa⟧",
      "token_uri": "https://oauth2.googleapis.com/token"
    }
""",
    2,
)
P(
    "paste_dump",
    "en",
    """
    leaked in the public repo (commit ⟦f:sha7⟧), all revoked now?
    - ⟦S:vendor⟧
    - ⟦S:vendor⟧
    - ⟦S:vendor⟧
""",
    5,
)
P(
    "paste_dump",
    "en",
    """
    ⟦S:vendor⟧
    ⟦S:vendor⟧
""",
    5,
)
P(
    "config_dump",
    "en",
    """
    # ~/.git-credentials
    https://⟦f:user⟧:⟦?⟦S:ghp⟧|⟦S:ghpat⟧|⟦S:pwurl⟧⟧@github.com
    https://⟦f:user⟧:⟦S:glpat⟧@gitlab.com
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    $ cat ~/.netrc
    machine api.⟦f:pubdomain⟧ login ⟦f:user⟧ password ⟦S:pw⟧
    machine ⟦f:pubhost⟧ login ⟦E⟧ password ⟦S:pw⟧
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    $ cat ~/.pgpass
    ⟦f:ihost⟧:5432:*:⟦f:user⟧:⟦S:pw⟧
    ⟦IP⟧:5432:reporting:⟦f:user⟧:⟦S:pw⟧
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    $ cat ~/.docker/config.json
    {
      "auths": {
        "registry.⟦f:pubdomain⟧": {"auth": "⟦S:basic⟧"},
        "https://index.docker.io/v1/": {"auth": "⟦S:basic⟧"}
      }
    }
""",
    3,
)
P(
    "k8s_manifest",
    "en",
    """
    apiVersion: v1
    kind: Secret
    metadata:
      name: ⟦f:lower:6⟧-db
      namespace: ⟦f:lower:5⟧
    type: Opaque
    data:
      username: ⟦f:b64user⟧
      password: ⟦S:k8s⟧
""",
    4,
)
P(
    "shell_session",
    "en",
    """
    $ kubectl get secret ci-token -o jsonpath='{.data.token}' | base64 -d
    ⟦?⟦S:glpat⟧|⟦S:ghp⟧|⟦S:npm⟧⟧
""",
    3,
)
P(
    "shell_session",
    "en",
    """
    $ stripe listen --forward-to localhost:3000/webhooks
    > Ready! Your webhook signing secret is ⟦S:whsec⟧ (^C to quit)
""",
    3,
)
P(
    "shell_session",
    "en",
    """
    $ aws sts assume-role --role-arn arn:aws:iam::⟦f:digits:12#1⟧:role/deploy --role-session-name ⟦f:user#1⟧
    {
        "Credentials": {
            "AccessKeyId": "⟦S:asia⟧",
            "SecretAccessKey": "⟦S:awssec⟧",
            "SessionToken": "⟦S:b64:180⟧",
            "Expiration": "⟦f:iso⟧"
        },
        "AssumedRoleUser": {"AssumedRoleId": "AROA⟦f:UPPER:17⟧:⟦f:user#1⟧", "Arn": "arn:aws:sts::⟦f:digits:12#1⟧:assumed-role/deploy/⟦f:user#1⟧"}
    }
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    TWILIO_ACCOUNT_SID=AC⟦f:hex:32⟧
    TWILIO_AUTH_TOKEN=⟦S:hex:32⟧
    TWILIO_FROM=+1⟦f:digits:10⟧
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    MAPBOX_PUBLIC_TOKEN=⟦f:mapbox_pk⟧
    MAPBOX_DOWNLOADS_TOKEN=⟦S:mapbox_sk⟧
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    $ cat ~/.terraform.d/credentials.tfrc.json
    {"credentials": {"app.terraform.io": {"token": "⟦S:tfc⟧"}}}
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    [auth]
    token=⟦S:sentry⟧

    [defaults]
    org=⟦f:lower:8⟧
    project=web
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    interface=wlan0
    ssid=⟦f:ssid⟧
    wpa=2
    wpa_key_mgmt=WPA-PSK
    wpa_passphrase=⟦?⟦S:phrase⟧|⟦S:pw⟧⟧
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    [Interface]
    PrivateKey = ⟦S:wgkey⟧
    Address = 10.8.0.⟦f:int:2:250⟧/24

    [Peer]
    PublicKey = ⟦f:b64:43⟧=
    PresharedKey = ⟦S:wgkey⟧
    Endpoint = ⟦IP⟧:51820
    AllowedIPs = 0.0.0.0/0
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    # /etc/ipsec.secrets
    ⟦IP⟧ %any : PSK "⟦S:pw⟧"
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    hostname edge-rtr-⟦f:int:1:9⟧
    enable secret 9 ⟦f:cisco9⟧
    snmp-server community ⟦S:alnum:16⟧ RO
    ip name-server ⟦IP⟧
""",
    3,
)
P(
    "app_log",
    "en",
    """
    ⟦f:javats⟧ INFO  [main] o.a.k.c.admin.AdminClientConfig : AdminClientConfig values:
    \tbootstrap.servers = [⟦IP⟧:9093]
    \tsasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username="⟦f:user⟧" password="⟦S:pw⟧";
    \tsecurity.protocol = SASL_SSL
""",
    3,
)
P(
    "app_log",
    "en",
    """
    ⟦f:iso⟧ connecting to mongodb+srv://⟦f:user⟧:⟦S:pwurl⟧@cluster0.⟦f:lower:5⟧.mongodb.net/?retryWrites=true&w=majority
""",
    3,
)
P(
    "app_log",
    "en",
    """
    [x] Connection to amqp://⟦f:user⟧:⟦S:pwurl⟧@⟦IP⟧:5672/%2F lost, reconnecting in 5s
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    datasources:
      - name: Postgres
        type: postgres
        url: ⟦f:ihost⟧:5432
        user: grafana
        secureJsonData:
          password: "⟦S:pw⟧"
""",
    3,
)
P(
    "k8s_manifest",
    "en",
    """
    apiVersion: v1
    kind: Secret
    metadata:
      name: ingress-tls
    type: kubernetes.io/tls
    data:
      tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t⟦f:b64:120⟧
      tls.key: ⟦S:b64pem⟧
""",
    2,
)
P(
    "config_dump",
    "en",
    """
    >>> from django.conf import settings; settings.SECRET_KEY
    '⟦S:django⟧'
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    $ bin/rails credentials:show
    secret_key_base: ⟦S:hex:128⟧
    aws:
      access_key_id: ⟦S:akid⟧
      secret_access_key: ⟦S:awssec⟧
""",
    3,
)
P(
    "app_log",
    "en",
    """
    app.config['SECRET_KEY'] = '⟦S:hex:32⟧'  # TODO move to env before launch
""",
    3,
)
# --- crash reports
P(
    "crash_report",
    "en",
    """
    Incident Identifier: ⟦f:UUID⟧
    CrashReporter Key:   ⟦f:hex:40⟧
    Hardware Model:      iPhone15,2
    Process:             ⟦?Ledgerly|Tripmate|Fernhollow⟧ [⟦f:pid⟧]
    Exception Type:  EXC_CRASH (SIGABRT)

    Application Specific Information:
    account=⟦E⟧ lastServerIP=⟦IP⟧
""",
    3,
)
P(
    "crash_report",
    "en",
    r"""
    Faulting application name: Syncer.exe, version: ⟦f:ver⟧
    Faulting module name: ntdll.dll
    Exception code: 0xc0000374
    Command line: "C:\Program Files\Syncer\Syncer.exe" --server https://⟦f:pubhost⟧ --token=⟦S:b64u:40⟧ --silent
""",
    3,
)
P(
    "crash_report",
    "en",
    """
    {"crashId":"⟦f:uuid⟧","appVersion":"⟦f:ver⟧","platform":"darwin","config":{"apiBase":"https://⟦f:pubhost⟧","apiToken":"⟦S:vendor⟧","telemetry":false}}
""",
    4,
)
P(
    "crash_report",
    "en",
    """
    Event ⟦f:hex:32⟧
    user: {"id": "⟦f:int:1000:99999⟧", "email": "⟦E⟧", "ip_address": "⟦IP⟧"}
    request: POST https://⟦f:pubhost⟧/checkout
      data: {"card_number": "⟦CC⟧", "exp": "⟦f:mm⟧/⟦f:yy⟧", "name": "⟦f:first⟧ ⟦f:last⟧"}
""",
    4,
)
P(
    "crash_report",
    "en",
    """
    --------- beginning of crash
    ⟦f:date⟧ ⟦f:time⟧.⟦f:int:100:999⟧  ⟦f:pid⟧  ⟦f:pid⟧ D OkHttp  : --> POST https://api.⟦f:pubdomain⟧/v2/login
    ⟦f:date⟧ ⟦f:time⟧.⟦f:int:100:999⟧  ⟦f:pid⟧  ⟦f:pid⟧ D OkHttp  : Authorization: Bearer ⟦S:jwt⟧
    ⟦f:date⟧ ⟦f:time⟧.⟦f:int:100:999⟧  ⟦f:pid⟧  ⟦f:pid⟧ D OkHttp  : {"email":"⟦E⟧","password":"⟦S:pw⟧"}
""",
    3,
)
P(
    "browser_console",
    "en",
    """
    [auth] token refreshed: ⟦S:jwt⟧
    [router] navigating to /settings (trace ⟦f:hex:16⟧)
""",
    3,
)
# --- chat / irc / slack
P(
    "irc_log",
    "en",
    """
    [⟦f:hm⟧] <⟦f:nick⟧> anyone know the staging db pw?
    [⟦f:hm⟧] <⟦f:nick⟧> ⟦?it's|its|try|use⟧ ⟦S:pw⟧
    [⟦f:hm⟧] <⟦f:nick⟧> thx
""",
    4,
)
P(
    "irc_log",
    "en",
    """
    [⟦f:hm⟧] * ⟦f:nick⟧ (~⟦f:user⟧@⟦IP⟧) has joined #ops
    [⟦f:hm⟧] * ⟦f:nick⟧ (~⟦f:user⟧@⟦IP⟧) has quit (Ping timeout: 250 seconds)
""",
    3,
)
P(
    "slack_export",
    "en",
    """
    {"type": "message", "user": "U0⟦f:UPPER:8⟧", "text": "here's the staging key: ⟦S:sk_test⟧ - prod one is in the vault", "ts": "⟦f:epoch⟧.⟦f:digits:6⟧"}
""",
    3,
)
P(
    "slack_export",
    "en",
    """
    {"type": "message", "user": "U0⟦f:UPPER:8⟧", "text": "guest wifi ⟦?password|pw|pass⟧ is now ⟦S:pw⟧ (network: ⟦f:ssid⟧)", "ts": "⟦f:epoch⟧.⟦f:digits:6⟧"}
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    [⟦f:date⟧ ⟦f:hm⟧] ⟦f:nick⟧: oops pasted the bot token in here ⟦S:discord⟧
    [⟦f:date⟧ ⟦f:hm⟧] ⟦f:nick⟧: rotate it now lol
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    ⟦f:first⟧ ⟦f:last⟧  ⟦f:hm⟧
    Use ⟦S:phrase⟧ to unlock the shared KeePass file, I'll change it on Friday.
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    The token ⟦?⟦S:ghp⟧|⟦S:glpat⟧|⟦S:npm⟧|⟦S:hf⟧⟧ expired yesterday; I've rotated it and updated the runner.
""",
    4,
)
P(
    "chat_log",
    "en",
    """
    Wi-Fi for the offsite: network ⟦f:ssid⟧, it's ⟦S:pw⟧.
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    Login for the NAS: ⟦f:user⟧ / ⟦S:pw⟧
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    log in with ⟦S:pw⟧ and change it right away, that one was shared over email
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    paste this into the Authorization header: ⟦S:jwt⟧ (valid until tomorrow)
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    jira token for the sync script: ⟦S:atlassian⟧
""",
    2,
)
P(
    "chat_log",
    "en",
    """
    postman collection runner needs ⟦S:postman⟧ - don't commit it
""",
    2,
)
P(
    "chat_log",
    "en",
    """
    linear key for the bot is ⟦S:linear⟧, doppler service token is ⟦S:doppler⟧
""",
    2,
)
P(
    "chat_log",
    "en",
    """
    the square sandbox secret ⟦S:sq⟧ also works against prod, that's a problem
""",
    2,
)
P(
    "chat_log",
    "en",
    """
    door code for the server room changed to ⟦S:pin⟧
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    Report link (valid 24h): https://⟦f:pubhost⟧/v1/report?access_token=⟦S:b64u:40⟧&user=⟦f:user⟧
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    webhook endpoint: https://hooks.⟦f:pubdomain⟧/ingest/⟦f:uuid⟧?secret=⟦S:hex:32⟧
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    try https://⟦f:pubhost⟧/api/v1/export?api_key=⟦S:alnum:32⟧&since=⟦f:date⟧ - works from the office IP only
""",
    3,
)
P(
    "chat_log",
    "en",
    """
    callback URL was https://⟦f:pubhost⟧/auth/callback#access_token=⟦S:jwt⟧&token_type=bearer&state=⟦f:alnum:16⟧
""",
    3,
)
# --- e-mail / ticket / prose with IP, e-mail, cards
P(
    "email_body",
    "en",
    """
    Hi ⟦f:first⟧,

    your account on the ⟦?partner|vendor|supplier⟧ portal has been created.
    Username: ⟦E⟧
    Temporary password: ⟦S:pw⟧

    Please change it after your first login.
""",
    4,
)
P(
    "support_ticket",
    "en",
    """
    Customer reports card ⟦CC⟧ was declined twice; attempts came from ⟦IP⟧ and ⟦IPX⟧. Contact: ⟦E⟧.
""",
    4,
)
P(
    "email_body",
    "en",
    """
    Order #⟦f:int:10000:99999⟧ confirmed
    Paid with: ⟦CC⟧
    Billing e-mail: ⟦E⟧
""",
    3,
)
P(
    "app_log",
    "en",
    """
    DEBUG PaymentGateway - charge request pan=⟦CC::plain⟧ exp=⟦f:mm⟧⟦f:yy⟧ amount=⟦f:int:100:99999⟧ merchant=⟦f:alnum:10⟧ trace=⟦f:hex:16⟧
""",
    4,
)
P(
    "chat_log",
    "en",
    """
    my card number is ⟦CC⟧ exp ⟦f:mm⟧/⟦f:yy⟧, can you retry the payment?
""",
    4,
)
P(
    "support_ticket",
    "en",
    """
    Caller verified, card ⟦CC⟧, billing email ⟦E⟧, callback from ⟦IP⟧ logged.
""",
    4,
)
P(
    "csv_export",
    "en",
    """
    order_id,email,card_number,ip
    ⟦f:int:10000:99999⟧,⟦E⟧,⟦CC⟧,⟦IP⟧
    ⟦f:int:10000:99999⟧,⟦E⟧,⟦CC⟧,⟦f:priv4⟧
    ⟦f:int:10000:99999⟧,⟦E⟧,⟦CC⟧,⟦IPX⟧
""",
    3,
)
P(
    "mail_log",
    "en",
    """
    ⟦f:sys⟧ mx1 postfix/smtp[⟦f:pid⟧]: ⟦f:HEX:10⟧: to=<⟦E⟧>, relay=mx.⟦f:pubdomain⟧[⟦IP⟧]:25, delay=0.⟦f:int:1:9⟧, delays=0.1/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 OK)
""",
    4,
)
P(
    "mail_log",
    "en",
    """
    ⟦f:sys⟧ mx1 postfix/smtpd[⟦f:pid⟧]: warning: unknown[⟦IP⟧]: SASL LOGIN authentication failed: authentication failure, sasl_username=⟦E⟧
""",
    4,
)
P(
    "mail_log",
    "en",
    """
    Received: from mail-⟦f:lower:6⟧.⟦f:pubdomain⟧ (mail-⟦f:lower:6⟧.⟦f:pubdomain⟧ [⟦IP⟧])
            by mx.⟦f:pubdomain⟧ with ESMTPS id ⟦f:alnum:12⟧
    From: ⟦f:first⟧ ⟦f:last⟧ <⟦E⟧>
    To: <⟦E⟧>
    Subject: invoice overdue
""",
    3,
)
P(
    "firewall_log",
    "en",
    """
    ⟦f:sys⟧ fw01 kernel: [⟦f:int:1000:99999⟧.⟦f:digits:6⟧] IN=eth0 OUT= MAC=52:54:00:⟦f:hex:2⟧:⟦f:hex:2⟧:⟦f:hex:2⟧:52:54:00:⟦f:hex:2⟧:⟦f:hex:2⟧:⟦f:hex:2⟧:08:00 SRC=⟦IP⟧ DST=⟦f:priv4⟧ LEN=60 TOS=0x00 PREC=0x00 TTL=⟦f:int:30:60⟧ ID=⟦f:int:1:65535⟧ DF PROTO=TCP SPT=⟦f:port⟧ DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0
""",
    4,
)
P(
    "auth_log",
    "en",
    """
    ⟦f:f2bts⟧ fail2ban.actions        [⟦f:pid⟧]: NOTICE  [sshd] Ban ⟦IP⟧
    ⟦f:f2bts⟧ fail2ban.actions        [⟦f:pid⟧]: NOTICE  [sshd] Ban ⟦IP⟧
    ⟦f:f2bts⟧ fail2ban.actions        [⟦f:pid⟧]: NOTICE  [sshd] Unban ⟦IP⟧
""",
    3,
)
P(
    "http_headers",
    "en",
    """
    GET /api/cart HTTP/1.1
    Host: ⟦f:pubhost⟧
    X-Forwarded-For: ⟦IP⟧, ⟦f:priv4⟧
    X-Real-IP: ⟦IP⟧
    X-Request-ID: ⟦f:uuid⟧
""",
    3,
)
P(
    "waf_log",
    "en",
    """
    {"action":"block","clientIP":"⟦IPX⟧","clientRequestHTTPHost":"⟦f:pubhost⟧","clientRequestPath":"/wp-admin/","rayName":"⟦f:hex:16⟧","ruleId":"⟦f:hex:32⟧","source":"waf"}
""",
    4,
)
P(
    "dns_log",
    "en",
    """
    ⟦f:sys⟧ ns1 named[⟦f:pid⟧]: client @0x7f⟦f:hex:10⟧ ⟦IP⟧#⟦f:port⟧ (⟦f:pubhost#1⟧): query: ⟦f:pubhost#1⟧ IN A +E(0)K (⟦f:priv4⟧)
""",
    3,
)
P(
    "shell_session",
    "en",
    """
    $ traceroute ⟦f:pubhost#1⟧
    traceroute to ⟦f:pubhost#1⟧ (⟦IP#9⟧), 30 hops max, 60 byte packets
     1  _gateway (⟦f:priv4⟧)  0.412 ms  0.388 ms  0.371 ms
     2  ⟦f:cgnat#2⟧ (⟦f:cgnat#2⟧)  6.101 ms  6.087 ms  6.204 ms
     3  ⟦IP#3⟧ (⟦IP#3⟧)  9.877 ms  9.801 ms  9.950 ms
     4  ⟦IP#9⟧ (⟦IP#9⟧)  14.223 ms  14.190 ms  14.305 ms
""",
    3,
)
P(
    "web_server_log",
    "en",
    """
    ⟦IP6⟧ - - [⟦f:clf⟧] "GET /feed.xml HTTP/1.1" 304 0 "-" "⟦f:ua⟧"
    ⟦IP6⟧ - - [⟦f:clf⟧] "GET /favicon.ico HTTP/1.1" 200 ⟦f:bytes⟧ "-" "⟦f:ua⟧"
""",
    3,
)
P(
    "auth_log",
    "en",
    """
    ⟦f:sys⟧ ⟦f:host⟧ sshd[⟦f:pid⟧]: Failed password for invalid user ⟦f:user⟧ from ⟦IP⟧ port ⟦f:port⟧ ssh2
    ⟦f:sys⟧ ⟦f:host⟧ sshd[⟦f:pid⟧]: Accepted publickey for deploy from ⟦IPX⟧ port ⟦f:port⟧ ssh2: ED25519 SHA256:⟦f:b64:43⟧
""",
    4,
)
P(
    "auth_log",
    "en",
    """
    $ last -i | head -3
    ⟦f:user⟧   pts/0        ⟦IP⟧    ⟦f:lastts⟧   still logged in
    ⟦f:user⟧   pts/1        ⟦f:priv4⟧    ⟦f:lastts⟧ - ⟦f:hm⟧  (00:4⟦f:int:0:9⟧)
    ⟦f:user⟧   pts/0        ⟦IP⟧    ⟦f:lastts⟧ - ⟦f:hm⟧  (01:1⟦f:int:0:9⟧)
""",
    3,
)
P(
    "auth_log",
    "en",
    """
    {"eventType":"user.session.start","actor":{"alternateId":"⟦E⟧"},"client":{"ipAddress":"⟦IP⟧","userAgent":{"rawUserAgent":"⟦f:ua⟧"}},"outcome":{"result":"⟦?SUCCESS|FAILURE⟧"},"transaction":{"id":"⟦f:alnum:27⟧"}}
""",
    4,
)
P(
    "auth_log",
    "en",
    """
    ⟦f:javats⟧ WARN  [org.keycloak.events] (executor-thread-⟦f:int:1:40⟧) type=LOGIN_ERROR, realmId=⟦f:uuid⟧, clientId=account-console, userId=null, ipAddress=⟦IP⟧, error=user_not_found, username=⟦E⟧
""",
    4,
)
P(
    "auth_log",
    "en",
    """
    An account failed to log on.
    Account For Which Logon Failed:
    \tAccount Name:\t\t⟦f:user⟧
    Network Information:
    \tWorkstation Name:\t-
    \tSource Network Address:\t⟦IP⟧
    \tSource Port:\t\t⟦f:port⟧
""",
    3,
)
P(
    "web_server_log",
    "en",
    """
    [⟦f:nginxerr⟧] [security2:error] [pid ⟦f:pid⟧] [client ⟦IP⟧:⟦f:port⟧] ModSecurity: Access denied with code 403 (phase 2). [id "942100"] [msg "SQL Injection Attack Detected via libinjection"] [hostname "⟦f:pubhost⟧"] [uri "/login"] [unique_id "⟦f:alnum:27⟧"]
""",
    3,
)
P(
    "proxy_log",
    "en",
    """
    ⟦f:epoch⟧.⟦f:int:100:999⟧ ⟦f:int:1:999⟧ ⟦f:priv4⟧ TCP_TUNNEL/200 ⟦f:bytes⟧ CONNECT ⟦IP#1⟧:443 - HIER_DIRECT/⟦IP#1⟧ -
""",
    3,
)
P(
    "incident_report",
    "en",
    """
    Between 09:10 and 09:42 UTC requests from ⟦IP⟧ hammered /login with ⟦f:int:2000:90000⟧ attempts; the attacker then used the leaked key ⟦S:vendor⟧ against the admin API.
""",
    4,
)
P(
    "email_body",
    "en",
    """
    New sign-in to your account ⟦E⟧
    Device: ⟦?Firefox on Linux|Safari on iPhone|Chrome on Windows⟧
    IP address: ⟦IPX⟧
    If this wasn't you, reset your password.
""",
    4,
)
P(
    "git_output",
    "en",
    """
    commit ⟦f:sha⟧
    Author: ⟦f:first⟧ ⟦f:last⟧ <⟦E⟧>
    Date:   ⟦f:gitdate⟧

        fix(config): move mail key to env

    diff --git a/config/prod.env b/config/prod.env
    -SENDGRID_API_KEY=⟦S:sg⟧
    +SENDGRID_API_KEY=${SENDGRID_API_KEY}
""",
    4,
)
P(
    "git_output",
    "en",
    """
    $ git log --format='%h %an <%ae>' -3
    ⟦f:sha7⟧ ⟦f:first⟧ ⟦f:last⟧ <⟦E⟧>
    ⟦f:sha7⟧ ⟦f:first⟧ ⟦f:last⟧ <⟦E⟧>
    ⟦f:sha7⟧ ⟦f:first⟧ ⟦f:last⟧ <⟦E⟧>
""",
    3,
)
P(
    "code_review",
    "en",
    """
    -    client = Client(api_key="⟦S:sk_live⟧", publishable_key="⟦f:pk_live⟧")
    +    client = Client(api_key=os.environ["STRIPE_API_KEY"], publishable_key=settings.STRIPE_PK)
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    SUPABASE_URL=https://⟦f:lower:20⟧.supabase.co
    SUPABASE_SERVICE_ROLE_KEY=⟦S:jwt⟧
""",
    2,
)
P(
    "config_dump",
    "en",
    """
    DefaultEndpointsProtocol=https;AccountName=⟦f:lower:12⟧;AccountKey=⟦S:azkey⟧;EndpointSuffix=core.windows.net
""",
    3,
)
P(
    "config_dump",
    "en",
    """
    datadog.yaml loaded: site=datadoghq.eu api_key=⟦S:hex:32⟧ hostname=⟦f:host⟧ logs_enabled=true
""",
    3,
)
P(
    "har_capture",
    "en",
    """
    "postData": {
      "mimeType": "application/x-www-form-urlencoded",
      "text": "card%5Bnumber%5D=⟦CC::plain⟧&card%5Bexp_month%5D=⟦f:mm⟧&card%5Bexp_year%5D=20⟦f:yy⟧&billing_email=⟦E⟧"
    },
""",
    4,
)
P(
    "app_log",
    "en",
    """
    {"level":"debug","ts":"⟦f:iso⟧","msg":"tokenize request","payload":{"number":"⟦CC::plain⟧","holder":"⟦f:first⟧ ⟦f:last⟧","cvc":"⟦f:digits:3⟧"},"trace_id":"⟦f:hex:32⟧"}
""",
    4,
)
P(
    "jupyter_output",
    "en",
    """
    In [5]: session.headers
    Out[5]: {'User-Agent': 'python-requests/2.31.0', 'Accept': '*/*', 'Authorization': 'Bearer ⟦?⟦S:jwt⟧|⟦S:b64u:43⟧|⟦S:vendor⟧⟧', 'X-Request-Id': '⟦f:uuid⟧'}
""",
    4,
)
P(
    "slack_export",
    "en",
    """
    {"type": "message", "user": "U0⟦f:UPPER:8⟧", "text": "can someone check why this fails? AWS_ACCESS_KEY_ID=⟦S:akid⟧ AWS_SECRET_ACCESS_KEY=⟦S:awssec⟧", "ts": "⟦f:epoch⟧.⟦f:digits:6⟧"}
""",
    3,
)
P(
    "irc_log",
    "en",
    """
    [⟦f:hm⟧] <⟦f:nick⟧> curl -H 'Authorization: Bearer ⟦S:jwt⟧' https://⟦f:pubhost⟧/api/admin/users
    [⟦f:hm⟧] <⟦f:nick⟧> ^ that returns 403 for me
""",
    3,
)
# --- non-English prose
P(
    "chat_log",
    "de",
    """
    Das Passwort für den Router lautet ⟦S:pw⟧, bitte nicht weitergeben.
""",
    3,
)
P(
    "chat_log",
    "de",
    """
    Kannst du dich mit ⟦S:pw⟧ einloggen? Benutzer ist ⟦f:user⟧.
""",
    3,
)
P(
    "email_body",
    "de",
    """
    Hallo ⟦f:first⟧,
    der Login von ⟦IP⟧ für ⟦E⟧ wurde blockiert. Falls du das warst, melde dich bei der IT.
""",
    3,
)
P(
    "email_body",
    "de",
    """
    Bitte belasten Sie meine Kreditkarte ⟦CC⟧ (gültig bis ⟦f:mm⟧/⟦f:yy⟧) mit dem offenen Betrag.
""",
    4,
)
P(
    "chat_log",
    "fr",
    """
    Le mot de passe du wifi invités est ⟦S:pw⟧ (réseau ⟦f:ssid⟧).
""",
    3,
)
P(
    "irc_log",
    "fr",
    """
    [⟦f:hm⟧] <⟦f:nick⟧> le token github c'est ⟦S:ghp⟧, je le révoque demain
""",
    3,
)
P(
    "email_body",
    "fr",
    """
    Bonjour, votre code d'accès temporaire est ⟦S:pin⟧. Il expire dans 15 minutes. Connexion depuis ⟦IP⟧.
""",
    3,
)
P(
    "support_ticket",
    "fr",
    """
    Le client ⟦E⟧ signale un débit inconnu sur la carte ⟦CC⟧.
""",
    4,
)
P(
    "chat_log",
    "es",
    """
    La contraseña de la base de datos es ⟦S:pw⟧ y el usuario es ⟦f:user⟧.
""",
    3,
)
P(
    "chat_log",
    "es",
    """
    [⟦f:date⟧, ⟦f:hm⟧] ⟦f:first⟧: la clave del wifi es ⟦S:pw⟧
""",
    3,
)
P(
    "email_body",
    "es",
    """
    Se detectó un inicio de sesión en tu cuenta ⟦E⟧ desde ⟦IPX⟧. Si no fuiste tú, cambia tu contraseña.
""",
    3,
)
P(
    "chat_log",
    "es",
    """
    mi número de tarjeta es ⟦CC⟧, caduca el ⟦f:mm⟧/⟦f:yy⟧
""",
    4,
)
P(
    "email_body",
    "it",
    """
    Ciao ⟦f:first⟧, la password temporanea per il gestionale è ⟦S:pw⟧. Cambiala al primo accesso.
""",
    3,
)
P(
    "support_ticket",
    "it",
    """
    Numero carta: ⟦CC⟧ - il cliente (⟦E⟧) chiede il rimborso.
""",
    4,
)
P(
    "chat_log",
    "nl",
    """
    Je kunt inloggen met ⟦S:pw⟧, gebruikersnaam ⟦f:user⟧.
""",
    3,
)
P(
    "chat_log",
    "nl",
    """
    De API-sleutel voor de koppeling is ⟦?⟦S:alnum:32⟧|⟦S:vendor⟧⟧, niet delen buiten het team.
""",
    3,
)
P(
    "chat_log",
    "pt",
    """
    A senha do servidor ⟦IP⟧ é ⟦S:pw⟧, usuário root.
""",
    3,
)
P(
    "slack_export",
    "pt",
    """
    {"type": "message", "text": "token do bot: ⟦S:xoxb⟧", "user": "U0⟦f:UPPER:8⟧", "ts": "⟦f:epoch⟧.⟦f:digits:6⟧"}
""",
    3,
)
P(
    "chat_log",
    "pl",
    """
    Hasło do panelu: ⟦S:pw⟧ - login ⟦E⟧.
""",
    3,
)
P(
    "chat_log",
    "sv",
    """
    Koden till förrådet är ⟦S:pin⟧, och wifi-lösenordet är ⟦S:pw⟧.
""",
    3,
)
P(
    "chat_log",
    "ja",
    """
    共有フォルダのパスワードは ⟦S:pw⟧ です。
""",
    3,
)
P(
    "email_body",
    "ja",
    """
    ⟦E⟧ 様のアカウントに ⟦IP⟧ からログインがありました。
""",
    3,
)

# ======================= HARD-NEGATIVE TEMPLATES =======================
N(
    "request_id",
    "app_log",
    "en",
    """
    ⟦f:iso⟧ INFO  [http] GET /api/v1/orders/⟦f:int:1000:99999⟧ 200 ⟦f:ms⟧ms request_id=⟦f:uuid⟧ client=⟦f:priv4⟧
""",
)
N(
    "request_id",
    "curl_verbose",
    "en",
    """
    * Connected to ⟦f:ihost⟧ (⟦f:priv4⟧) port 443
    < HTTP/1.1 404 Not Found
    < x-request-id: ⟦f:hex:32⟧
    < x-amz-request-id: ⟦f:HEX:16⟧
    < x-amz-id-2: ⟦f:b64:76⟧
""",
)
N(
    "request_id",
    "app_log",
    "en",
    """
    {"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such customer"},"request_id":"req_⟦f:alnum:14#1⟧","request_log_url":"https://dashboard.⟦f:pubdomain⟧/logs/req_⟦f:alnum:14#1⟧"}
""",
)
N(
    "request_id",
    "web_server_log",
    "en",
    """
    at=info method=GET path="/" host=⟦f:lower:8⟧.herokuapp.com request_id=⟦f:uuid⟧ fwd="⟦f:priv4⟧" dyno=web.1 connect=0ms service=⟦f:int:2:90⟧ms status=200 bytes=⟦f:bytes⟧ protocol=https
""",
)
N(
    "request_id",
    "web_server_log",
    "en",
    """
    ⟦f:priv4⟧ - - [⟦f:clf⟧] "POST /graphql HTTP/1.1" 200 ⟦f:bytes⟧ "-" "⟦f:ua⟧" rid=⟦f:hex:24⟧ rt=0.0⟦f:int:10:99⟧
""",
)
N(
    "trace_id",
    "http_headers",
    "en",
    """
    traceparent: 00-⟦f:hex:32⟧-⟦f:hex:16⟧-01
    tracestate: vendor=⟦f:b64u:16⟧
    baggage: tenant=⟦f:lower:6⟧,region=eu-west-1
""",
)
N(
    "trace_id",
    "app_log",
    "en",
    """
    {"traceId":"⟦f:hex:32⟧","spanId":"⟦f:hex:16⟧","parentSpanId":"⟦f:hex:16⟧","name":"GET /checkout","kind":"SPAN_KIND_SERVER","attributes":{"http.status_code":200,"net.peer.ip":"⟦f:priv4⟧"}}
""",
)
N(
    "trace_id",
    "http_headers",
    "en",
    """
    X-Amzn-Trace-Id: Root=1-⟦f:hex:8⟧-⟦f:hex:24⟧;Parent=⟦f:hex:16⟧;Sampled=1
    X-Cloud-Trace-Context: ⟦f:hex:32⟧/⟦f:digits:17⟧;o=1
""",
)
N(
    "trace_id",
    "app_log",
    "en",
    """
    X-B3-TraceId: ⟦f:hex:16⟧
    X-B3-SpanId: ⟦f:hex:16⟧
    X-B3-Sampled: 1
    Jaeger: trace ⟦f:hex:16⟧ has ⟦f:int:5:90⟧ spans, root span 1.⟦f:int:1:9⟧s
""",
)
N(
    "trace_id",
    "stack_trace",
    "en",
    """
    ⟦f:javats⟧ ERROR [orders,⟦f:hex:16⟧,⟦f:hex:16⟧] 1 --- [nio-8080-exec-⟦f:int:1:9⟧] c.k.o.OrderController : payment provider timeout
    java.net.SocketTimeoutException: Read timed out
    \tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)
""",
)
N(
    "correlation_id",
    "app_log",
    "en",
    """
    correlationId=⟦f:uuid⟧ tenant=⟦f:lower:6⟧ op=SyncInventory result=ok durationMs=⟦f:ms⟧
""",
)
N(
    "correlation_id",
    "app_log",
    "en",
    """
    {"error":{"code":"AuthorizationFailed","message":"The client does not have authorization to perform action on scope /subscriptions/⟦f:uuid⟧"},"x-ms-correlation-request-id":"⟦f:uuid⟧","x-ms-request-id":"⟦f:uuid⟧"}
""",
)
N(
    "correlation_id",
    "http_headers",
    "en",
    """
    X-Correlation-ID: ⟦f:ulid⟧
    X-Causation-ID: ⟦f:ulid⟧
    Content-Type: application/cloudevents+json
""",
)
N(
    "analytics_session_id",
    "app_log",
    "en",
    """
    {"event":"page_view","session_id":"⟦f:epochms⟧","client_id":"⟦f:digits:10⟧.⟦f:epoch⟧","page":"/pricing","engagement_time_msec":⟦f:int:100:9000⟧}
""",
)
N(
    "analytics_session_id",
    "app_log",
    "en",
    """
    amplitude: event "checkout_started" device_id=⟦f:uuid⟧ session_id=⟦f:epochms⟧ insert_id=⟦f:uuid⟧
""",
)
N(
    "analytics_session_id",
    "app_log",
    "en",
    """
    rum.session.id=⟦f:uuid⟧ view.id=⟦f:uuid⟧ action=click target="Add to cart" trace_id=⟦f:digits:19⟧
""",
)
N(
    "analytics_session_id",
    "har_capture",
    "en",
    """
    {"name": "Cookie", "value": "_ga=GA1.1.⟦f:digits:10⟧.⟦f:epoch⟧; _ga_⟦f:UPPER:10⟧=GS1.1.⟦f:epoch⟧.3.1.⟦f:epoch⟧.0.0.0; _hjSessionUser_⟦f:digits:7⟧=⟦f:b64:40⟧"}
""",
)
N(
    "commit_sha",
    "git_output",
    "en",
    """
    $ git log --oneline -5
    ⟦f:sha7⟧ fix: handle empty cart
    ⟦f:sha7⟧ chore(deps): bump axios
    ⟦f:sha7⟧ feat: add invoice export
    ⟦f:sha7⟧ refactor token refresh logic
    ⟦f:sha7⟧ Merge pull request #⟦f:int:100:999⟧ from ⟦f:lower:6⟧/retry
""",
)
N(
    "commit_sha",
    "ci_log",
    "en",
    """
    HEAD is now at ⟦f:sha7⟧ Merge pull request #⟦f:int:100:999⟧ from ⟦f:lower:6⟧/feature
    Checking out ⟦f:sha⟧ as detached HEAD (ref is main)...
    Skipping Git submodules setup
""",
)
N(
    "commit_sha",
    "git_output",
    "en",
    """
    ⟦f:sha7⟧ HEAD@{0}: rebase (finish): returning to refs/heads/main
    ⟦f:sha7⟧ HEAD@{1}: rebase (pick): tests for password reset
    ⟦f:sha7⟧ HEAD@{2}: checkout: moving from feature/secrets-scan to main
""",
)
N(
    "commit_sha",
    "git_output",
    "en",
    """
    ⟦f:sha⟧ refs/heads/main
    ⟦f:sha⟧ refs/tags/v⟦f:ver⟧
    ⟦f:sha⟧ refs/tags/v⟦f:ver⟧^{}
""",
)
N(
    "commit_sha",
    "git_output",
    "en",
    """
    ^⟦f:sha7⟧ (⟦f:first⟧ ⟦f:last⟧ ⟦f:date⟧ 14) token = os.environ["API_TOKEN"]
    ⟦f:sha7⟧ (⟦f:first⟧ ⟦f:last⟧ ⟦f:date⟧ 15) session = build_session(token)
""",
)
N(
    "build_id",
    "ci_log",
    "en",
    """
    Started by timer
    Build ID: ⟦f:uuid⟧
    Build number: ⟦f:int:100:9999⟧
    Running on agent-⟦f:lower:5⟧ in /var/lib/jenkins/workspace/⟦f:lower:8⟧
""",
)
N(
    "build_id",
    "ci_log",
    "en",
    """
    BUILD SUCCESSFUL in 2m ⟦f:int:1:59⟧s
    Publishing build scan...
    https://gradle.com/s/⟦f:lower:13⟧
""",
)
N(
    "build_id",
    "shell_session",
    "en",
    """
    $ file build/bin/server
    build/bin/server: ELF 64-bit LSB pie executable, x86-64, dynamically linked, BuildID[sha1]=⟦f:sha⟧, for GNU/Linux 3.2.0, not stripped
""",
)
N(
    "build_id",
    "ci_log",
    "en",
    """
    Run ID: ⟦f:ghrun⟧  Job ID: ⟦f:ghrun⟧  Attempt: 1
    Artifact build-output-⟦f:hex:8⟧ uploaded (⟦f:int:1:99⟧ MB), id ⟦f:int:1000000:9999999⟧
""",
)
N(
    "container_id",
    "docker_output",
    "en",
    """
    CONTAINER ID   IMAGE                COMMAND                  STATUS          NAMES
    ⟦f:hex:12⟧   postgres:16          "docker-entrypoint.s…"   Up 3 hours      db
    ⟦f:hex:12⟧   redis:7-alpine       "docker-entrypoint.s…"   Up 3 hours      cache
    ⟦f:hex:12⟧   ⟦f:lower:6⟧/api:⟦f:ver⟧   "/app/server"            Up 12 minutes   api
""",
)
N(
    "container_id",
    "shell_session",
    "en",
    """
    $ cat /proc/self/cgroup
    0::/system.slice/docker-⟦f:hex:64⟧.scope
""",
)
N(
    "container_id",
    "k8s_manifest",
    "en",
    """
    containerStatuses:
    - containerID: containerd://⟦f:hex:64⟧
      image: ghcr.io/⟦f:lower:6#1⟧/worker:⟦f:ver⟧
      imageID: ghcr.io/⟦f:lower:6#1⟧/worker@sha256:⟦f:hex:64⟧
      ready: true
      restartCount: ⟦f:int:0:9⟧
""",
)
N(
    "container_id",
    "docker_output",
    "en",
    """
    $ docker run -d --name api -p 8080:8080 ⟦f:lower:6⟧/api:latest
    ⟦f:hex:64⟧
""",
)
N(
    "image_digest",
    "docker_output",
    "en",
    """
    ⟦f:ver⟧: Pulling from library/nginx
    ⟦f:hex:12⟧: Pull complete
    ⟦f:hex:12⟧: Pull complete
    Digest: sha256:⟦f:hex:64⟧
    Status: Downloaded newer image for nginx:1.25
""",
)
N(
    "image_digest",
    "k8s_manifest",
    "en",
    """
    spec:
      containers:
        - name: api
          image: ghcr.io/⟦f:lower:6⟧/api@sha256:⟦f:hex:64⟧
          envFrom:
            - secretRef:
                name: api-env
""",
)
N(
    "file_checksum",
    "shell_session",
    "en",
    """
    $ sha256sum dist/*
    ⟦f:hex:64⟧  dist/app-⟦f:ver⟧-linux-amd64.tar.gz
    ⟦f:hex:64⟧  dist/app-⟦f:ver⟧-darwin-arm64.tar.gz
    ⟦f:hex:64⟧  dist/app-⟦f:ver⟧-windows-amd64.zip
""",
)
N(
    "file_checksum",
    "shell_session",
    "en",
    """
    $ md5sum backup-*.sql.gz
    ⟦f:md5⟧  backup-⟦f:date⟧.sql.gz
    ⟦f:md5⟧  backup-⟦f:date⟧.sql.gz
""",
)
N(
    "file_checksum",
    "ci_log",
    "en",
    """
    ERROR: checksum mismatch for terraform_⟦f:ver⟧_linux_amd64.zip
      expected: ⟦f:hex:64⟧
      got:      ⟦f:hex:64⟧
""",
)
N(
    "file_checksum",
    "paste_dump",
    "en",
    """
    MD5 (installer.dmg) = ⟦f:md5⟧
    SHA1 (installer.dmg) = ⟦f:sha⟧
""",
)
N(
    "base64_payload",
    "app_log",
    "en",
    """
    {"message":{"data":"⟦f:b64json⟧","messageId":"⟦f:digits:11⟧","publishTime":"⟦f:iso⟧"},"subscription":"projects/⟦f:lower:8⟧/subscriptions/orders"}
""",
)
N(
    "base64_payload",
    "html_page",
    "en",
    """
    <img alt="logo" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAA⟦f:b64:140⟧=">
""",
)
N(
    "base64_payload",
    "email_body",
    "en",
    """
    Content-Type: text/plain; charset="utf-8"
    Content-Transfer-Encoding: base64

    ⟦f:b64text⟧
""",
)
N(
    "base64_payload",
    "app_log",
    "en",
    """
    kafka consumer: topic=events partition=⟦f:int:0:11⟧ offset=⟦f:int:10000:9999999⟧ key=order-⟦f:int:1000:99999⟧ value(b64)=⟦f:b64json⟧
""",
)
N(
    "pagination_cursor",
    "app_log",
    "en",
    """
    {"data":[{"id":"⟦f:uuid⟧"},{"id":"⟦f:uuid⟧"}],"has_more":true,"next_cursor":"⟦f:cursor⟧"}
""",
)
N(
    "pagination_cursor",
    "curl_verbose",
    "en",
    """
    $ curl -s "https://⟦f:pubhost⟧/v2/items?limit=50&after=⟦f:cursor⟧" | jq '.page_info'
    {"end_cursor": "⟦f:cursor⟧", "has_next_page": true}
""",
)
N(
    "pagination_cursor",
    "app_log",
    "en",
    """
    GET /api/audit?pageToken=⟦f:cursor⟧&pageSize=100 -> 200 (⟦f:ms⟧ ms)
""",
)
N(
    "random_filename",
    "shell_session",
    "en",
    """
    $ ls -la uploads/
    -rw-r--r-- 1 www-data www-data  ⟦f:bytes⟧ ⟦f:lastts⟧ ⟦f:hex:32⟧.jpg
    -rw-r--r-- 1 www-data www-data  ⟦f:bytes⟧ ⟦f:lastts⟧ ⟦f:fname⟧
    -rw-r--r-- 1 www-data www-data  ⟦f:bytes⟧ ⟦f:lastts⟧ ⟦f:uuid⟧.pdf
""",
)
N(
    "random_filename",
    "ci_log",
    "en",
    """
    assets by status ⟦f:int:100:999⟧ KiB [emitted]
      asset ⟦f:asset⟧ ⟦f:int:10:400⟧ KiB [emitted] [immutable] [minimized]
      asset ⟦f:asset⟧ ⟦f:int:10:400⟧ KiB [emitted] [immutable] [minimized]
      asset ⟦f:asset⟧ ⟦f:int:1:40⟧ KiB [emitted] [immutable]
""",
)
N(
    "random_filename",
    "app_log",
    "en",
    """
    stored upload as /var/tmp/tmp⟦f:lower:8⟧/⟦f:uuid⟧.part (⟦f:bytes⟧ bytes), moved to s3://media/⟦f:hex:2⟧/⟦f:hex:40⟧.webp
""",
)
N(
    "random_filename",
    "shell_session",
    "en",
    """
    $ aws s3 ls s3://⟦f:lower:8⟧-uploads/invoices/
    ⟦f:date⟧ ⟦f:time⟧     ⟦f:bytes⟧ ⟦f:alnum:10⟧.pdf
    ⟦f:date⟧ ⟦f:time⟧     ⟦f:bytes⟧ inv_⟦f:ulid⟧.pdf
""",
)
N(
    "cache_key",
    "shell_session",
    "en",
    """
    127.0.0.1:6379> SCAN 0 MATCH cache:* COUNT 5
    1) "⟦f:int:10:999⟧"
    2) 1) "cache:product:⟦f:int:100:99999⟧:v⟦f:int:1:9⟧"
       2) "cache:search:⟦f:hex:40⟧"
       3) "rl:login:⟦f:hex:16⟧"
""",
)
N(
    "cache_key",
    "http_headers",
    "en",
    """
    X-Cache: HIT
    X-Cache-Key: /assets/app.css?v=⟦f:hex:8⟧
    CF-Cache-Status: HIT
    X-Cache-Hash: ⟦f:sha256⟧
""",
)
N(
    "cache_key",
    "ci_log",
    "en",
    """
    Cache restored from key: node-modules-Linux-⟦f:hex:64⟧
    Cache Size: ~⟦f:int:20:400⟧ MB (⟦f:digits:9⟧ B)
""",
)
N(
    "cache_key",
    "app_log",
    "en",
    """
    memcached get key=tpl:⟦f:md5⟧ miss; set key=frag:home:⟦f:hex:12⟧ ttl=300
""",
)
N(
    "password_hash",
    "config_dump",
    "en",
    """
    $ sudo tail -3 /etc/shadow
    ⟦f:user⟧:⟦f:sha512crypt⟧:19⟦f:int:100:899⟧:0:99999:7:::
    ⟦f:user⟧:⟦f:sha256crypt⟧:19⟦f:int:100:899⟧:0:99999:7:::
    ⟦f:user⟧:!:19⟦f:int:100:899⟧::::::
""",
)
N(
    "password_hash",
    "db_dump",
    "en",
    """
     id |        email          |                        password_hash
    ----+-----------------------+--------------------------------------------------------------
      ⟦f:int:1:99⟧ | ⟦f:resemail⟧ | ⟦f:bcrypt⟧
      ⟦f:int:1:99⟧ | ⟦f:resemail⟧ | ⟦f:bcrypt⟧
""",
)
N(
    "password_hash",
    "config_dump",
    "en",
    """
    ⟦f:user⟧:⟦f:apr1⟧
    ⟦f:user⟧:⟦f:bcrypt⟧
""",
)
N(
    "password_hash",
    "config_dump",
    "en",
    """
    [users.admin]
    password_hash = "⟦f:argon2⟧"
""",
)
N(
    "password_hash",
    "config_dump",
    "en",
    """
    username admin privilege 15 secret 9 ⟦f:cisco9⟧
    username backup privilege 1 secret 8 ⟦f:cisco8⟧
""",
)
N(
    "public_key",
    "config_dump",
    "en",
    """
    $ cat ~/.ssh/authorized_keys
    ⟦f:sshpub⟧
    ⟦f:sshpub⟧
""",
)
N(
    "public_key",
    "paste_dump",
    "en",
    """
    JWT verification key:
    ⟦f:pubpem⟧
""",
)
N(
    "public_key",
    "paste_dump",
    "en",
    """
    ⟦f:certpem⟧
""",
    4,
)
N(
    "public_key",
    "app_log",
    "en",
    """
    {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"⟦f:hex:16⟧","n":"⟦f:b64u:342⟧","e":"AQAB"}]}
""",
)
N(
    "public_key",
    "config_dump",
    "en",
    """
    [Peer]
    PublicKey = ⟦f:b64:43⟧=
    AllowedIPs = 10.⟦f:int:0:255⟧.0.⟦f:int:2:250⟧/32
    Endpoint = ⟦f:doc4⟧:51820
""",
)
N(
    "key_fingerprint",
    "shell_session",
    "en",
    """
    The authenticity of host '⟦f:host⟧ (⟦f:priv4⟧)' can't be established.
    ED25519 key fingerprint is SHA256:⟦f:b64:43⟧.
    Are you sure you want to continue connecting (yes/no/[fingerprint])?
""",
)
N(
    "key_fingerprint",
    "shell_session",
    "en",
    """
    $ gpg --list-keys
    pub   ed25519 ⟦f:date⟧ [SC]
          ⟦f:HEX:40⟧
    uid           [ultimate] ⟦f:first⟧ ⟦f:last⟧ <⟦f:resemail⟧>
""",
)
N(
    "publishable_key",
    "html_page",
    "en",
    """
    <script>
      const stripe = Stripe('⟦f:pk_live⟧');
      const elements = stripe.elements();
    </script>
""",
)
N(
    "publishable_key",
    "config_dump",
    "en",
    """
    NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=⟦f:pk_test⟧
    NEXT_PUBLIC_MAPBOX_TOKEN=⟦f:mapbox_pk⟧
    NEXT_PUBLIC_POSTHOG_KEY=phc_⟦f:alnum:43⟧
""",
)
N(
    "publishable_key",
    "har_capture",
    "en",
    """
    {"name": "key", "value": "⟦f:pk_live⟧"},
    {"name": "payment_user_agent", "value": "stripe.js/⟦f:hex:10⟧; stripe-js-v3/⟦f:hex:10⟧"},
    {"name": "time_on_page", "value": "⟦f:int:1000:90000⟧"}
""",
)
N(
    "oauth_client_id",
    "web_server_log",
    "en",
    """
    ⟦f:priv4⟧ - - [⟦f:clf⟧] "GET /o/oauth2/v2/auth?client_id=⟦f:gclient⟧&redirect_uri=https%3A%2F%2F⟦f:pubhost⟧%2Fcallback&response_type=code&scope=openid%20email&state=⟦f:alnum:16⟧ HTTP/1.1" 302 0
""",
)
N(
    "oauth_client_id",
    "config_dump",
    "en",
    """
    {"appId": "⟦f:uuid⟧", "displayName": "⟦f:lower:8⟧-web", "tenantId": "⟦f:uuid⟧", "publisherDomain": "⟦f:pubdomain⟧"}
""",
)
N(
    "oauth_client_id",
    "config_dump",
    "en",
    """
    GITHUB_APP_ID=⟦f:int:100000:999999⟧
    GITHUB_CLIENT_ID=Iv1.⟦f:hex:16⟧
    GOOGLE_CLIENT_ID=⟦f:gclient⟧
""",
)
N(
    "recaptcha_site_key",
    "html_page",
    "en",
    """
    <form action="/signup" method="post">
      <div class="g-recaptcha" data-sitekey="⟦f:sitekey⟧"></div>
      <button type="submit">Create account</button>
    </form>
""",
)
N(
    "recaptcha_site_key",
    "config_dump",
    "en",
    """
    RECAPTCHA_SITE_KEY=⟦f:sitekey⟧
    HCAPTCHA_SITEKEY=⟦f:uuid⟧
    TURNSTILE_SITE_KEY=0x4AAAAAAA⟦f:alnum:14⟧
""",
)
N(
    "csrf_token",
    "html_page",
    "en",
    """
    <input type="hidden" name="csrf_token" value="⟦f:b64u:43⟧">
    <input type="email" name="email" placeholder="you@example.com">
""",
)
N(
    "csrf_token",
    "curl_verbose",
    "en",
    """
    > POST /settings/profile HTTP/1.1
    > X-CSRF-Token: ⟦f:b64:86⟧==
    > Cookie: XSRF-TOKEN=⟦f:b64u:40⟧; lang=en
""",
)
N(
    "csrf_token",
    "html_page",
    "en",
    """
    <meta name="csrf-token" content="⟦f:alnum:40⟧">
    <meta name="csrf-param" content="authenticity_token">
""",
)
N(
    "nonce",
    "http_headers",
    "en",
    """
    Content-Security-Policy: script-src 'nonce-⟦f:b64:22⟧==' 'strict-dynamic'; object-src 'none'; base-uri 'self'
""",
)
N(
    "nonce",
    "app_log",
    "en",
    """
    id_token claims: {"iss": "https://accounts.google.com", "aud": "⟦f:gclient⟧", "sub": "⟦f:digits:21⟧", "email": "⟦f:resemail⟧", "nonce": "⟦f:b64u:32⟧", "iat": ⟦f:epoch⟧}
""",
)
N(
    "nonce",
    "curl_verbose",
    "en",
    """
    < HTTP/1.1 401 Unauthorized
    < WWW-Authenticate: Digest realm="api", qop="auth", nonce="⟦f:hex:32⟧", opaque="⟦f:hex:32⟧"
""",
)
N(
    "vault_accessor",
    "shell_session",
    "en",
    """
    $ vault list auth/token/accessors
    Keys
    ----
    ⟦f:alnum:24⟧
    ⟦f:alnum:24⟧
    ⟦f:alnum:24⟧
""",
)
N(
    "vault_accessor",
    "shell_session",
    "en",
    """
    $ vault token revoke -accessor ⟦f:alnum:24⟧
    Success! Revoked token (if it existed)
""",
)
N(
    "idempotency_key",
    "http_headers",
    "en",
    """
    POST /v1/payouts HTTP/1.1
    Idempotency-Key: ⟦f:uuid⟧
    Content-Type: application/json
""",
)
N(
    "idempotency_key",
    "app_log",
    "en",
    """
    POST /v1/charges idempotency_key=⟦f:alnum:20⟧ request_id=req_⟦f:alnum:14⟧ status=200 replayed=false
""",
)
N(
    "crypto_wallet_address",
    "chat_log",
    "en",
    """
    Donations welcome: BTC ⟦f:btc⟧ / ETH ⟦f:eth⟧
""",
)
N(
    "crypto_wallet_address",
    "app_log",
    "en",
    """
    tx ⟦f:ethtx⟧ from ⟦f:eth⟧ to ⟦f:eth⟧ value=0.⟦f:int:1:99⟧ ETH status=confirmed block=⟦f:int:18000000:19999999⟧
""",
)
N(
    "placeholder_credential",
    "ci_log",
    "en",
    """
    - name: ⟦?Publish|Release|Deploy to ⟦f:lower:6⟧⟧
      run: ⟦?npm publish|./scripts/release.sh ⟦f:ver⟧|make deploy ENV=⟦?prod|staging⟧⟧
      env:
        ⟦?NODE_AUTH_TOKEN|NPM_TOKEN|REGISTRY_TOKEN⟧: ${{ secrets.⟦?NPM_TOKEN|NPM_PUBLISH_TOKEN|REGISTRY_PAT⟧ }}
        ⟦?SLACK_WEBHOOK|AWS_SECRET_ACCESS_KEY|SENTRY_AUTH_TOKEN⟧: ${{ secrets.⟦?SLACK_WEBHOOK_URL|AWS_SECRET|SENTRY_TOKEN⟧ }}
""",
)
N(
    "placeholder_credential",
    "config_dump",
    "en",
    """
    services:
      db:
        image: postgres:1⟦f:int:3:7⟧
        environment:
          POSTGRES_PASSWORD: ${⟦?POSTGRES_PASSWORD|DB_PASS|PG_PASSWORD⟧:?set it in .env}
          POSTGRES_USER: ${POSTGRES_USER:-⟦f:user⟧}
""",
)
N(
    "placeholder_credential",
    "paste_dump",
    "en",
    """
    export ⟦?OPENAI_API_KEY|ANTHROPIC_API_KEY|HF_TOKEN⟧=⟦?<your-api-key>|<YOUR_KEY_HERE>|your_token_here⟧
    export GITHUB_TOKEN="⟦?<paste token here>|<token>|$(cat ~/.config/gh/token)⟧"
    curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/⟦?user|repos/⟦f:lower:6⟧/⟦f:lower:5⟧⟧
""",
)
N(
    "placeholder_credential",
    "k8s_manifest",
    "en",
    """
    stringData:
      ⟦?password|db-password|POSTGRES_PASSWORD⟧: {{ .Values.⟦?db|postgres|database⟧.password | quote }}
      ⟦?apiKey|api-key|token⟧: {{ required "⟦?apiKey|token⟧ is required" .Values.⟦?apiKey|auth.token|secrets.api⟧ }}
""",
)
N(
    "placeholder_credential",
    "app_log",
    "en",
    """
    ⟦f:iso⟧ config loaded: db.password=******** smtp.password=[REDACTED] stripe.secret_key=<redacted> api_token=%API_TOKEN%
""",
)
N(
    "documentation_example",
    "paste_dump",
    "en",
    """
    [⟦?default|profile ⟦f:lower:6⟧⟧]
    aws_access_key_id = AKIAIOSFODNN7EXAMPLE
    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    region = ⟦?us-east-1|eu-west-1|ap-southeast-2⟧
""",
)
N(
    "documentation_example",
    "paste_dump",
    "en",
    """
    curl https://api.⟦f:pubdomain⟧/v1/charges -u sk_test_EXAMPLEkey0000000000000000: -d amount=2000
    # replace YOUR_ACCESS_TOKEN and your_api_key_here with real values
""",
)
N(
    "documentation_example",
    "paste_dump",
    "en",
    """
    ⟦?Example|Format|e.g.⟧: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx or glpat-xxxxxxxxxxxxxxxxxxxx (set it as ⟦?GH_TOKEN|GITLAB_TOKEN|CI_TOKEN⟧ in ⟦f:lower:6⟧)
""",
)
N(
    "masked_value",
    "email_body",
    "en",
    """
    Payment received. Card: **** **** **** ⟦f:digits:4⟧ (⟦?Visa|Mastercard|Amex⟧), amount ⟦f:int:5:900⟧.⟦f:int:10:99⟧ EUR
""",
)
N(
    "masked_value",
    "ci_log",
    "en",
    """
    Using token ghp_****************************⟦f:alnum:4⟧ (scopes: repo, workflow)
    Using key sk_live_...⟦f:alnum:4⟧ for payouts
""",
)
N(
    "masked_value",
    "ci_log",
    "en",
    """
    ⟦f:ghts⟧ env:
    ⟦f:ghts⟧   NODE_AUTH_TOKEN: ***
    ⟦f:ghts⟧   AWS_SECRET_ACCESS_KEY: ***
""",
)
N(
    "masked_value",
    "support_ticket",
    "en",
    """
    Card ending in ⟦f:digits:4#1⟧ was charged twice (masked PAN ⟦?411111|545454|520082⟧******⟦f:digits:4#1⟧, ticket ⟦f:int:10000:99999⟧).
""",
)
N(
    "private_ip_log",
    "web_server_log",
    "en",
    """
    ⟦f:priv4⟧ - - [⟦f:clf⟧] "GET /api/health HTTP/1.1" 200 17 "-" "⟦f:ua⟧"
    ⟦f:priv4⟧ - - [⟦f:clf⟧] "GET /api/ready HTTP/1.1" 200 17 "-" "⟦f:ua⟧"
    ⟦f:priv6⟧ - - [⟦f:clf⟧] "GET / HTTP/1.1" 301 0 "-" "⟦f:ua⟧"
""",
)
N(
    "private_ip_log",
    "shell_session",
    "en",
    """
    $ ip -brief addr
    lo               UNKNOWN        127.0.0.1/8 ::1/128
    eth0             UP             ⟦f:priv4⟧/24 ⟦f:priv6⟧/64
    docker0          DOWN           172.17.0.1/16
""",
)
N(
    "private_ip_log",
    "shell_session",
    "en",
    """
    $ ss -tlnp
    State  Recv-Q Send-Q Local Address:Port  Peer Address:Port
    LISTEN 0      4096         0.0.0.0:22         0.0.0.0:*
    LISTEN 0      244        127.0.0.1:5432       0.0.0.0:*
    LISTEN 0      511     ⟦f:priv4⟧:8080     0.0.0.0:*
    LISTEN 0      4096            [::]:80            [::]:*
""",
)
N(
    "private_ip_log",
    "docker_output",
    "en",
    """
    "IPAM": {"Config": [{"Subnet": "172.⟦f:int:16:31⟧.0.0/16", "Gateway": "172.⟦f:int:16:31⟧.0.1"}]},
    "Containers": {"⟦f:hex:64⟧": {"Name": "api", "IPv4Address": "⟦f:priv4⟧/16"}}
""",
)
N(
    "private_ip_log",
    "app_log",
    "en",
    """
    tailscale: peer ⟦f:lower:6⟧ at ⟦f:cgnat⟧ (direct via ⟦f:priv4⟧:41641), last handshake ⟦f:int:2:59⟧s ago
""",
)
N(
    "documentation_ip",
    "config_dump",
    "en",
    """
    upstream backend {
        server ⟦f:doc4⟧:8080;
        server ⟦f:doc4⟧:8080 backup;
    }
    allow 198.51.100.0/24;
    deny all;
""",
)
N(
    "documentation_ip",
    "auth_log",
    "en",
    """
    ⟦f:sys⟧ ⟦f:host⟧ sshd[⟦f:pid⟧]: Failed password for root from ⟦f:doc4⟧ port ⟦f:port⟧ ssh2
    ⟦f:sys⟧ ⟦f:host⟧ sshd[⟦f:pid⟧]: Connection closed by ⟦f:doc6⟧ port ⟦f:port⟧ [preauth]
""",
)
N(
    "documentation_ip",
    "web_server_log",
    "en",
    """
    ⟦f:doc4⟧ - - [⟦f:clf⟧] "GET /index.html HTTP/1.1" 200 ⟦f:bytes⟧ "-" "⟦f:ua⟧"
""",
)
N(
    "reserved_domain_email",
    "app_log",
    "en",
    """
    ⟦f:iso⟧ INFO  signup ok user=⟦f:resemail⟧ plan=free ip=⟦f:priv4⟧
    ⟦f:iso⟧ INFO  signup ok user=⟦f:resemail⟧ plan=team ip=⟦f:priv4⟧
""",
)
N(
    "reserved_domain_email",
    "test_fixture",
    "en",
    """
    users:
      - email: ⟦f:resemail⟧
        role: admin
      - email: ⟦f:resemail⟧
        role: viewer
""",
)
N(
    "reserved_domain_email",
    "git_output",
    "en",
    """
    $ git config user.email
    ⟦f:resemail⟧
""",
)
N(
    "non_card_number",
    "email_body",
    "en",
    """
    Your order ⟦f:nonluhn:16⟧ has shipped. Tracking number: 1Z⟦f:UPPER:16⟧. Invoice INV-⟦f:date⟧-⟦f:int:1000:9999⟧.
""",
)
N(
    "non_card_number",
    "support_ticket",
    "en",
    """
    Bank transfer reference ⟦f:nonluhn:16⟧ not matched; customer number ⟦f:digits:8⟧.
""",
)
N(
    "non_card_number",
    "app_log",
    "en",
    """
    ⟦f:iso⟧ WARN  reconcile: ledger entry ⟦f:nonluhn:16⟧ has no matching payout (amount ⟦f:int:1:999⟧.⟦f:int:10:99⟧)
""",
)
N(
    "snowflake_id",
    "chat_log",
    "en",
    """
    https://discord.com/channels/⟦f:snowflake⟧/⟦f:snowflake⟧/⟦f:snowflake⟧
    message id ⟦f:snowflake⟧ deleted by automod
""",
)
N(
    "snowflake_id",
    "app_log",
    "en",
    """
    {"id_str":"⟦f:snowflake⟧","in_reply_to_status_id_str":"⟦f:snowflake⟧","created_at":"⟦f:iso⟧"}
""",
)
N(
    "version_string",
    "web_server_log",
    "en",
    """
    ⟦f:priv4⟧ - - [⟦f:clf⟧] "GET /dashboard HTTP/1.1" 200 ⟦f:bytes⟧ "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/1⟦f:int:10:26⟧.0.0.0 Safari/537.36"
""",
)
N(
    "version_string",
    "shell_session",
    "en",
    """
    $ pip list | grep -i -E "requests|urllib3|cryptography"
    cryptography       ⟦f:ver⟧
    requests           2.31.0
    urllib3            ⟦f:ver⟧
    OS build 10.0.⟦f:int:19041:22631⟧.⟦f:int:100:4999⟧
""",
)
N(
    "memory_address",
    "crash_report",
    "en",
    """
    Program received signal SIGSEGV, Segmentation fault.
    #0  0x00007f⟦f:hex:10⟧ in __memmove_avx_unaligned_erms () from /lib/x86_64-linux-gnu/libc.so.6
    #1  0x0000⟦f:hex:12⟧ in parse_header (buf=0x⟦f:hex:12⟧ "GET /", len=⟦f:int:10:4000⟧) at src/http.c:⟦f:int:20:900⟧
""",
)
N(
    "memory_address",
    "stack_trace",
    "en",
    """
    "http-nio-8080-exec-⟦f:int:1:20⟧" #⟦f:int:20:90⟧ daemon prio=5 os_prio=0 cpu=⟦f:int:10:999⟧.⟦f:int:10:99⟧ms elapsed=⟦f:int:100:9999⟧.⟦f:int:10:99⟧s tid=0x00007f⟦f:hex:10⟧ nid=0x⟦f:hex:4⟧ waiting on condition  [0x00007f⟦f:hex:10⟧]
""",
)
N(
    "crash_id",
    "crash_report",
    "en",
    """
    Crash ID: bp-⟦f:uuid⟧
    Sentry event: ⟦f:hex:32⟧
    Minidump: /var/crash/⟦f:uuid⟧.dmp
""",
)
N(
    "crash_id",
    "support_ticket",
    "en",
    """
    The app closed unexpectedly. Report ID ⟦f:UUID⟧ was sent (incident ⟦f:UPPER:8⟧).
""",
)
N(
    "url_signature",
    "app_log",
    "en",
    """
    download url: https://media.⟦f:pubdomain⟧/v/⟦f:hex:16⟧.mp4?expires=⟦f:epoch⟧&sig=⟦f:b64u:43⟧
""",
)
N(
    "url_signature",
    "web_server_log",
    "en",
    """
    ⟦f:priv4⟧ - - [⟦f:clf⟧] "GET /img/⟦f:hex:12⟧.jpg?w=640&h=480&s=⟦f:hex:32⟧ HTTP/1.1" 200 ⟦f:bytes⟧ "-" "⟦f:ua⟧"
""",
)
N(
    "etag",
    "curl_verbose",
    "en",
    """
    < HTTP/2 200
    < etag: "⟦f:hex:32⟧"
    < last-modified: ⟦f:lastts⟧:00 GMT
    < cache-control: public, max-age=31536000, immutable
""",
)
N(
    "etag",
    "http_headers",
    "en",
    """
    If-None-Match: W/"⟦f:hex:4⟧-⟦f:b64u:27⟧"
    If-Modified-Since: ⟦f:lastts⟧:00 GMT
""",
)
N(
    "package_integrity",
    "config_dump",
    "en",
    """
    "node_modules/⟦f:lower:7#1⟧": {
      "version": "⟦f:ver#1⟧",
      "resolved": "https://registry.npmjs.org/⟦f:lower:7#1⟧/-/⟦f:lower:7#1⟧-⟦f:ver#1⟧.tgz",
      "integrity": "sha512-⟦f:b64:86⟧=="
    }
""",
)
N(
    "package_integrity",
    "config_dump",
    "en",
    """
    requests==2.31.0 \\
        --hash=sha256:⟦f:hex:64⟧ \\
        --hash=sha256:⟦f:hex:64⟧
""",
)
N(
    "package_integrity",
    "config_dump",
    "en",
    """
    github.com/⟦f:lower:6⟧/⟦f:lower:8⟧ v⟦f:ver⟧ h1:⟦f:b64:43⟧=
    github.com/⟦f:lower:6⟧/⟦f:lower:8⟧ v⟦f:ver⟧/go.mod h1:⟦f:b64:43⟧=
""",
)
N(
    "git_lfs_pointer",
    "git_output",
    "en",
    """
    version https://git-lfs.github.com/spec/v1
    oid sha256:⟦f:hex:64⟧
    size ⟦f:int:1000:99999999⟧
""",
)
N(
    "uuid_identifier",
    "app_log",
    "en",
    """
    {"id":"⟦f:uuid⟧","workspace_id":"⟦f:uuid⟧","created_by":"⟦f:uuid⟧","status":"archived"}
""",
)
N(
    "uuid_identifier",
    "shell_session",
    "en",
    """
    $ az vm list --query "[].{name:name, id:vmId}" -o tsv
    ⟦f:lower:6⟧-vm01\t⟦f:uuid⟧
    ⟦f:lower:6⟧-vm02\t⟦f:uuid⟧
""",
)
N(
    "username_only",
    "auth_log",
    "en",
    """
    ⟦f:sys⟧ ⟦f:host⟧ sshd[⟦f:pid⟧]: Accepted publickey for ⟦f:user⟧ from ⟦f:priv4⟧ port ⟦f:port⟧ ssh2: RSA SHA256:⟦f:b64:43⟧
    ⟦f:sys⟧ ⟦f:host⟧ sshd[⟦f:pid⟧]: pam_unix(sshd:session): session opened for user ⟦f:user⟧(uid=⟦f:int:1000:1999⟧) by (uid=0)
""",
)
N(
    "username_only",
    "app_log",
    "en",
    """
    user=⟦f:user⟧ logged in; role=admin; mfa=totp; source=⟦f:priv4⟧
""",
)
N(
    "username_only",
    "auth_log",
    "en",
    """
    ⟦f:sys⟧ ⟦f:host⟧ sudo:   ⟦f:user⟧ : TTY=pts/0 ; PWD=/home/⟦f:user⟧ ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx
""",
)
N(
    "mfa_factor_id",
    "app_log",
    "en",
    """
    2FA enrollment for user_id=⟦f:int:1000:99999⟧ completed; factor_id=⟦f:uuid⟧ type=totp
""",
)
N(
    "hostname_only",
    "shell_session",
    "en",
    """
    $ dig +short ⟦f:pubhost⟧ CNAME
    ⟦f:lower:10⟧.cloudfront.net.
    $ host ⟦f:ihost#1⟧
    ⟦f:ihost#1⟧ has address ⟦f:priv4⟧
""",
)
N(
    "jupyter_misc_output",
    "jupyter_output",
    "en",
    """
    In [4]: hashlib.sha256(b"report").hexdigest()
    Out[4]: '⟦f:hex:64⟧'
    In [5]: uuid.uuid4()
    Out[5]: UUID('⟦f:uuid⟧')
""",
)
N(
    "jupyter_misc_output",
    "jupyter_output",
    "en",
    """
    In [9]: df.sample(3)[['order_id', 'sku', 'qty']]
    Out[9]:
           order_id        sku  qty
    ⟦f:int:10:999⟧  ⟦f:ulid⟧  SKU-⟦f:UPPER:6⟧    ⟦f:int:1:9⟧
    ⟦f:int:10:999⟧  ⟦f:ulid⟧  SKU-⟦f:UPPER:6⟧    ⟦f:int:1:9⟧
""",
)
N(
    "trace_id",
    "slack_export",
    "en",
    """
    {"type": "message", "user": "U0⟦f:UPPER:8⟧", "text": "seeing 502s again, trace id ⟦f:hex:32⟧, request ⟦f:uuid⟧", "ts": "⟦f:epoch⟧.⟦f:digits:6⟧"}
""",
)
N(
    "commit_sha",
    "irc_log",
    "en",
    """
    [⟦f:hm⟧] <⟦f:nick⟧> reverted ⟦f:sha7⟧, the bad one was ⟦f:sha⟧
    [⟦f:hm⟧] <⟦f:nick⟧> ok, build ⟦f:int:1000:9999⟧ is green again
""",
)
N(
    "placeholder_credential",
    "chat_log",
    "de",
    """
    Das Passwort steht im Tresor unter "⟦?DB prod|Router ⟦f:city⟧|SFTP ⟦f:lower:5⟧⟧", bitte nicht hier posten. Variable heißt ${⟦?DB_PASSWORD|SFTP_PASS|ROUTER_PW⟧}.
""",
)
N(
    "request_id",
    "support_ticket",
    "fr",
    """
    Erreur 500 lors du paiement, identifiant de requête ⟦f:uuid⟧, horodatage ⟦f:iso⟧.
""",
)
N(
    "commit_sha",
    "chat_log",
    "es",
    """
    El despliegue falló en el commit ⟦f:sha7⟧; el build ⟦f:int:100:9999⟧ tiene el log completo.
""",
)
N(
    "masked_value",
    "email_body",
    "de",
    """
    Zahlung erhalten: Kreditkarte •••• ⟦f:digits:4⟧, Betrag ⟦f:int:5:900⟧,⟦f:int:10:99⟧ EUR.
""",
)
N(
    "trace_id",
    "support_ticket",
    "it",
    """
    Il checkout restituisce errore; trace id ⟦f:hex:32⟧, sessione di analisi ⟦f:epochms⟧.
""",
)
N(
    "documentation_example",
    "chat_log",
    "nl",
    """
    Vervang ⟦?your_api_key|YOUR_TOKEN|<jouw-sleutel>⟧ in het voorbeeld ⟦?van ⟦f:lower:6⟧|uit de README|op pagina ⟦f:int:2:40⟧⟧ door je eigen sleutel; de docs gebruiken AKIAIOSFODNN7EXAMPLE.
""",
)
N(
    "reserved_domain_email",
    "support_ticket",
    "pt",
    """
    O teste de envio para ⟦f:resemail⟧ funcionou; o endereço de produção ainda não foi configurado.
""",
)
N(
    "build_id",
    "chat_log",
    "pl",
    """
    Build ⟦f:int:1000:9999⟧ (id ⟦f:uuid⟧) przeszedł, obraz ma digest sha256:⟦f:hex:64⟧.
""",
)
N(
    "file_checksum",
    "chat_log",
    "sv",
    """
    Kontrollsumman för installationsfilen är ⟦f:hex:64⟧, jämför innan du kör den.
""",
)
N(
    "container_id",
    "chat_log",
    "ja",
    """
    コンテナ ⟦f:hex:12⟧ が再起動を繰り返しています。ログはトレースID ⟦f:hex:32⟧ を参照してください。
""",
)


# ======================= generation =======================
def build_all():
    records, seen_text, seen_id = [], set(), set()
    for ti, (cat, ctx, lang, tpl, n) in enumerate(TEMPLATES, 1):
        for vi in range(1, n + 1):
            for attempt in range(80):
                rec = Rec()
                expand(tpl, rec)
                probs = check_record(rec, cat)
                text = rec.text()
                if text in seen_text:
                    probs.append("duplicate text")
                if not probs:
                    break
            else:
                raise AssertionError("template %d (%s) keeps failing: %s\n%s" % (ti, cat, probs, text))
            rid = "t20-%d-%d" % (ti, vi)
            assert rid not in seen_id
            seen_id.add(rid)
            seen_text.add(text)
            records.append(
                {
                    "id": rid,
                    "text": text,
                    "lang": lang,
                    "context": ctx,
                    "category": cat,
                    "spans": [dict(s) for s in rec.spans],
                    "_values": list(rec.values),
                }
            )
    return records


def final_checks(records):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "ids not unique"
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts)), "texts not unique"
    ent = collections.Counter()
    for r in records:
        t = r["text"]
        spans = r["spans"]
        if r["category"] == "positive":
            assert spans, r["id"]
        else:
            assert not spans, r["id"]
        last = 0
        for sp, v in zip(spans, r["_values"]):
            assert t[sp["start"] : sp["end"]] == v, (r["id"], sp, v)
            assert sp["start"] >= last and sp["end"] > sp["start"], (r["id"], "overlap")
            last = sp["end"]
            ent[sp["entity"]] += 1
        masked = list(t)
        for sp in spans:
            for i in range(sp["start"], sp["end"]):
                masked[i] = " "
        assert not scan("".join(masked)), (r["id"], scan("".join(masked)))
        assert re.fullmatch(r"[a-z]{2}", r["lang"]) and re.fullmatch(r"[a-z0-9_]+", r["context"])
        assert re.fullmatch(r"[a-z0-9_]+", r["category"])
    neg = [r for r in records if r["category"] != "positive"]
    negcats = {r["category"] for r in neg}
    assert len(TEMPLATES) >= 200, len(TEMPLATES)
    assert ent["SECRET"] >= 600, ent
    assert ent["EMAIL_ADDRESS"] >= 100, ent
    assert ent["IP_ADDRESS"] >= 100, ent
    assert ent["CREDIT_CARD"] >= 50, ent
    assert len(neg) >= 450 and len(neg) >= 0.4 * len(records), (len(neg), len(records))
    assert len(negcats) >= 25, len(negcats)
    assert 1000 <= len(records) <= 1300, len(records)
    return ent


def main():
    records = build_all()
    ent = final_checks(records)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset20.jsonl")
    with open(out, "w", encoding="utf-8") as fh:
        for r in records:
            r = {k: v for k, v in r.items() if k != "_values"}
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    # reread and verify the file itself
    with open(out, encoding="utf-8") as fh:
        back = [json.loads(line) for line in fh]
    assert [b["text"] for b in back] == [r["text"] for r in records]
    for b, r in zip(back, records):
        for sp, v in zip(b["spans"], r["_values"]):
            assert b["text"][sp["start"] : sp["end"]] == v
    neg = [r for r in records if r["category"] != "positive"]
    print("wrote %s" % out)
    print(
        "templates: %d (positive %d, negative %d)"
        % (
            len(TEMPLATES),
            sum(1 for t in TEMPLATES if t[0] == "positive"),
            sum(1 for t in TEMPLATES if t[0] != "positive"),
        )
    )
    print(
        "records: %d (positive %d, hard negative %d = %.1f%%)"
        % (len(records), len(records) - len(neg), len(neg), 100.0 * len(neg) / len(records))
    )
    print("spans per entity: %s" % dict(sorted(ent.items())))
    print(
        "records per entity: %s"
        % dict(sorted(collections.Counter(e for r in records for e in {s["entity"] for s in r["spans"]}).items()))
    )
    cats = collections.Counter(r["category"] for r in records)
    print("categories (%d hard-negative): %s" % (len(cats) - 1, dict(sorted(cats.items()))))
    print("languages: %s" % dict(collections.Counter(r["lang"] for r in records).most_common()))
    print(
        "contexts (%d): %s"
        % (len({r["context"] for r in records}), dict(collections.Counter(r["context"] for r in records).most_common()))
    )


if __name__ == "__main__":
    main()
