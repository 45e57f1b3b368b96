#!/usr/bin/env python3
"""make_testset9.py - deterministic generator for pii_testset9.jsonl.

What it does
------------
Writes an independent, blind-written, labelled evaluation set for a PII / secrets
detector (entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET).  The set was
written without looking at the detector, its tests, docs or earlier test sets.

* Positive records (category "positive") come from >120 hand-written templates
  (config files of many tools, source code in many programming languages, logs,
  HTTP traffic, notebooks, README/forum/chat/e-mail/ticket text, CSV/Markdown/wiki
  tables, invoices, LaTeX, HTML) plus two message templates (chat message and
  e-mail with a "label: value" block) in each of 34 natural languages and a card
  ticket template in 8 languages.  Every template is instantiated 2-4 times with
  fresh random values.
* Hard-negative records (category = name of the look-alike family) contain no
  spans: version numbers, OIDs, private / loopback / documentation IPs,
  example-domain e-mails, '@' in code, ssh/git remotes, Luhn-invalid or non-card
  Luhn-valid numbers, masked cards, hashes, UUIDs, password hashes, public keys,
  env-var references, placeholders, redacted logs, encrypted blobs, ids, ...

All values (names, addresses, keys, passwords, card numbers, IPs) are generated
from random.Random(90909); nothing is real.  Offsets are recorded while the text
is assembled: a template is a string with placeholders and each labelled value
is wrapped in a small object carrying its entity, so the span is the exact
position where the value was inserted (never found by searching afterwards).

Checks (all fatal, via assert / SystemExit)
-------------------------------------------
1. text[start:end] equals the inserted value for every span; spans are sorted
   and do not overlap; positive records have >= 1 span, negatives none.
2. Every labelled IP parses, is_global, is not multicast/reserved and is not in a
   documentation range (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32).
3. Every labelled card is Luhn-valid, uses only ' ' or '-' separators and has a
   real brand prefix/length (Visa, Mastercard incl. 2-series, Amex, Discover,
   JCB, Diners, UnionPay, Maestro).
4. Every labelled e-mail matches a simple address pattern and its domain is not
   reserved (example.com/.org/.net, .test, .invalid, .localhost, .example).
5. Secrets are non-empty and have no surrounding whitespace or quotes.
6. Ids are unique; no text appears twice.
7. A simple scanner runs over every negative text and over the unlabelled parts
   of every positive text (labelled spans blanked out) and must find no public
   IPv4/IPv6 address, no Luhn-valid brand-prefixed 13-19 digit number (plain or
   grouped by spaces/dashes) and no e-mail address on a non-reserved domain.
   Documented exceptions (look-alikes the guide says not to label):
     - category "version_number_ip_like": four-part version numbers such as
       3.10.2.14 are IP-shaped and may parse as public IPv4; IP scan skipped.
     - category "ssh_git_remote": git@github.com:org/repo.git, scp/ssh targets
       like deploy@build.acme-corp.io are user@host, not e-mail addresses;
       e-mail scan skipped.
8. Coverage targets are asserted: >=1100 spans (>=650 SECRET, >=150 EMAIL,
   >=150 IP, >=100 CARD), >=120 positive templates, >=450 negatives in >=30
   categories, >=30 natural languages.

Run:  python3 make_testset9.py   (writes pii_testset9.jsonl next to this file)
"""

import base64
import ipaddress
import json
import os
import random
import re
import string
import sys
import uuid
from collections import Counter

R = random.Random(90909)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "pii_testset9.jsonl")

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
ALNUM = LOW + UP + DIG
B64 = ALNUM + "+/"
B64U = ALNUM + "-_"
HEX = "0123456789abcdef"
UPD = UP + DIG


# ----------------------------------------------------------------- building
class V:
    """A labelled value inserted into a template."""

    __slots__ = ("e", "v")

    def __init__(self, v, e):
        assert isinstance(v, str) and v, (v, e)
        self.v, self.e = v, e


def S(v):
    return V(v, "SECRET")


def E(v):
    return V(v, "EMAIL_ADDRESS")


def I(v):
    return V(v, "IP_ADDRESS")


def C(v):
    return V(v, "CREDIT_CARD")


PH = re.compile(r"⟪(\w+)⟫")


def build(tpl, **kw):
    """Fill ⟪name⟫ placeholders; record spans for V values as they are inserted."""
    parts = PH.split(tpl)
    out, spans, pos = [], [], 0
    used = set()
    for i, p in enumerate(parts):
        if i % 2 == 0:
            out.append(p)
            pos += len(p)
            continue
        val = kw[p]
        used.add(p)
        if isinstance(val, V):
            s = val.v
            spans.append({"start": pos, "end": pos + len(s), "entity": val.e, "_v": s})
        else:
            s = str(val)
        out.append(s)
        pos += len(s)
    unused = set(kw) - used
    assert not unused, ("unused placeholder values", unused, tpl[:60])
    return "".join(out), spans


# ----------------------------------------------------------------- random bits
def rs(n, alphabet=ALNUM):
    return "".join(R.choice(alphabet) for _ in range(n))


def rd(n):
    return str(R.randint(1, 9)) + rs(n - 1, DIG)


def hx(n):
    return rs(n, HEX)


def pick(seq):
    return R.choice(seq)


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64(n):
    return base64.b64encode(rbytes(n)).decode()


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def ruuid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


FIRST = [
    "anna",
    "ben",
    "carla",
    "david",
    "elena",
    "farid",
    "greta",
    "hugo",
    "ines",
    "jonas",
    "kai",
    "lara",
    "marco",
    "nina",
    "oskar",
    "priya",
    "quentin",
    "rosa",
    "sven",
    "tariq",
    "uma",
    "viktor",
    "wei",
    "xenia",
    "yusuf",
    "zoe",
    "amir",
    "bianca",
    "chen",
    "dmitri",
    "emeka",
    "fatima",
    "goran",
    "hana",
    "ivan",
    "julia",
    "kenji",
    "leila",
    "mateo",
    "noor",
    "olga",
    "pavel",
    "rahul",
    "sofia",
    "tomasz",
    "valentina",
    "yuki",
    "zaid",
    "aiko",
    "bruno",
    "camille",
    "diego",
    "eero",
    "freya",
    "gustavo",
    "helga",
    "ilse",
    "joao",
    "katya",
    "luca",
]
LAST = [
    "schmidt",
    "moreau",
    "garcia",
    "rossi",
    "jansen",
    "nilsson",
    "kowalski",
    "novak",
    "horvath",
    "popescu",
    "yilmaz",
    "ivanova",
    "petrenko",
    "dimitrov",
    "papadopoulos",
    "haddad",
    "cohen",
    "rahimi",
    "sharma",
    "rahman",
    "srisuk",
    "nguyen",
    "santoso",
    "rahim",
    "tanaka",
    "kim",
    "wang",
    "mwangi",
    "reyes",
    "okafor",
    "fischer",
    "dubois",
    "lopez",
    "bianchi",
    "devries",
    "lindqvist",
    "nowak",
    "svoboda",
    "kovacs",
    "ionescu",
    "demir",
    "smirnov",
    "kravets",
    "georgiev",
    "nikolaidis",
    "mansour",
    "levi",
    "karimi",
    "gupta",
    "hossain",
    "virtanen",
    "hansen",
    "berg",
    "silva",
    "costa",
    "ferreira",
    "muller",
    "weber",
    "laine",
    "andersen",
]
ORGS = [
    "northwind",
    "bluefinch",
    "quarryline",
    "mapleforge",
    "tidewater",
    "ironbark",
    "lumenpath",
    "copperleaf",
    "saltmarsh",
    "brightkite",
    "oakhaven",
    "redshale",
    "fernwood",
    "silverpine",
    "harborlight",
    "stonegate",
    "windrose",
    "amberfield",
    "coldharbor",
    "kestrelworks",
    "pinecrest",
    "driftwood",
    "cinderbay",
    "hollowreed",
    "glassmoor",
    "veldtline",
    "rookery",
    "sablecraft",
    "marlowe",
    "tesserine",
    "quillon",
    "brackenhill",
    "nordvik",
    "solvane",
    "altamira",
    "caravelle",
    "zinnwald",
    "petrichor",
    "lindenhof",
    "orchardia",
]
TLDS = [
    ".com",
    ".io",
    ".de",
    ".fr",
    ".co.uk",
    ".net",
    ".es",
    ".nl",
    ".se",
    ".pl",
    ".com.br",
    ".co.jp",
    ".in",
    ".com.au",
    ".ch",
    ".at",
    ".it",
    ".dev",
    ".app",
    ".cz",
    ".ro",
    ".gr",
    ".tr",
    ".vn",
    ".id",
    ".my",
    ".co.za",
    ".ca",
    ".dk",
    ".fi",
    ".no",
    ".hu",
    ".ua",
    ".bg",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "gmx.de",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "proton.me",
    "icloud.com",
    "naver.com",
    "qq.com",
    "163.com",
    "libero.it",
    "orange.fr",
    "wp.pl",
    "seznam.cz",
    "t-online.de",
    "laposte.net",
    "ukr.net",
    "abv.bg",
    "yahoo.co.jp",
    "hanmail.net",
    "rediffmail.com",
    "terra.com.br",
    "uol.com.br",
    "free.fr",
    "freemail.hu",
    "mail.com",
    "zoho.com",
    "gmx.at",
    "bluewin.ch",
    "ziggo.nl",
    "telia.com",
]
WORDS = [
    "sunflower",
    "marble",
    "tiger",
    "falcon",
    "harbor",
    "copper",
    "maple",
    "orbit",
    "velvet",
    "nimbus",
    "pepper",
    "dragon",
    "rocket",
    "willow",
    "cobalt",
    "summer",
    "winter",
    "autumn",
    "meadow",
    "canyon",
    "glacier",
    "lantern",
    "quartz",
    "saffron",
    "thunder",
    "violet",
    "walnut",
    "zephyr",
    "bamboo",
    "cactus",
    "dolphin",
    "ember",
    "fjord",
    "garnet",
    "hazel",
    "indigo",
    "jasmine",
    "kiwi",
    "lemon",
    "mango",
    "nectar",
    "olive",
    "panda",
    "quill",
    "raven",
    "sierra",
    "tundra",
    "umber",
    "vortex",
    "wombat",
    "yarrow",
    "zenith",
    "biscuit",
    "pretzel",
    "muffin",
    "sparrow",
    "badger",
    "otter",
    "phoenix",
    "galaxy",
    "monkey",
    "banana",
    "football",
    "shadow",
    "sunshine",
    "princess",
    "chocolate",
    "butterfly",
    "liverpool",
    "barcelona",
    "pizza",
    "coffee",
]
SERVICES = [
    "billing",
    "orders",
    "auth",
    "search",
    "ledger",
    "reports",
    "catalog",
    "inventory",
    "notify",
    "gateway",
    "payments",
    "crm",
    "analytics",
    "media",
    "checkout",
    "identity",
]


def cap(s):
    return s[:1].upper() + s[1:]


def first():
    return pick(FIRST)


def last():
    return pick(LAST)


def person():
    return cap(first()) + " " + cap(last())


def org():
    return pick(ORGS)


def company():
    return (
        cap(org())
        + " "
        + pick(["GmbH", "Ltd", "Inc.", "SAS", "S.L.", "AB", "B.V.", "Sp. z o.o.", "LLC", "Oy", "AS", "s.r.o."])
    )


def org_domain():
    return org() + pick(["", "", "-group", "-labs", "-tech", "hq"]) + pick(TLDS)


def svc():
    return pick(SERVICES)


def dbname():
    return pick(SERVICES) + pick(["", "_prod", "_db", "_main", "_live"])


def port():
    return str(pick([5432, 3306, 6379, 27017, 5672, 8080, 8443, 9200, 1433, 5433, 6380]))


def user():
    f, l = first(), last()
    return pick(
        [
            f,
            f + l[0],
            f[0] + l,
            f + "." + l,
            "svc_" + svc(),
            "app_" + svc(),
            "deploy",
            "admin",
            "root",
            "postgres",
            "ci-bot",
            f + "_" + l,
            f + str(R.randint(1, 99)),
        ]
    )


def email(kind=None):
    f, l = first(), last()
    kind = kind or pick(["personal", "work", "work", "role"])
    if kind == "role":
        local = pick(
            [
                "billing",
                "ops",
                "it-support",
                "accounts",
                "noc",
                "security",
                "hr",
                "sales",
                "info",
                "helpdesk",
                "devops",
                "finance",
                "office",
                "admin",
                "webmaster",
            ]
        )
        return local + "@" + org_domain()
    local = pick(
        [
            f + "." + l,
            f[0] + "." + l,
            f + l,
            f + "_" + l,
            f + str(R.randint(1, 99)),
            f + "." + l + str(R.randint(70, 99)),
            l + "." + f,
            f + "+" + pick(["news", "shop", "git", "work"]),
        ]
    )
    dom = pick(FREEMAIL) if kind == "personal" else org_domain()
    return local + "@" + dom


def host():
    return pick(
        [
            svc() + "-db-0" + str(R.randint(1, 4)) + ".internal",
            "pg-" + pick(["primary", "replica", "main"]) + "." + svc() + ".svc.cluster.local",
            svc() + "." + org() + ".lan",
            "db" + str(R.randint(1, 9)) + ".prod." + org() + ".internal",
            "mysql-" + svc() + ".default.svc",
            svc() + "-cache.local",
        ]
    )


def priv_ip():
    return pick(
        [
            "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(2, 254)),
            "192.168.%d.%d" % (R.randint(0, 255), R.randint(2, 254)),
            "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(2, 254)),
        ]
    )


def ts():
    return "2024-%02d-%02dT%02d:%02d:%02dZ" % (
        R.randint(1, 12),
        R.randint(1, 28),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
    )


def date():
    return "2024-%02d-%02d" % (R.randint(1, 12), R.randint(1, 28))


def hhmm():
    return "%02d:%02d" % (R.randint(7, 22), R.randint(0, 59))


def mon():
    return pick(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])


def clf_time():
    return "%02d/%s/2024:%02d:%02d:%02d +0000" % (
        R.randint(1, 28),
        mon(),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
    )


# ----------------------------------------------------------------- IPs
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_is_public(s):
    a = ipaddress.ip_address(s)
    if any(a in n for n in DOC_NETS if n.version == a.version):
        return False
    return (
        a.is_global
        and not a.is_multicast
        and not a.is_reserved
        and not a.is_private
        and not a.is_loopback
        and not a.is_link_local
        and not a.is_unspecified
    )


def ipv4():
    while True:
        s = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if ip_is_public(s):
            return s


V6_FIRST = [
    0x2400,
    0x2401,
    0x2403,
    0x2404,
    0x2405,
    0x2600,
    0x2601,
    0x2602,
    0x2604,
    0x2605,
    0x2606,
    0x2607,
    0x2A00,
    0x2A01,
    0x2A02,
    0x2A03,
    0x2A05,
    0x2A06,
    0x2A0B,
    0x2C0F,
    0x2800,
    0x2803,
]


def ipv6():
    while True:
        g = [pick(V6_FIRST)] + [R.randint(0, 0xFFFF) for _ in range(7)]
        if R.random() < 0.6:
            k = R.randint(3, 5)
            for i in range(k, 7):
                g[i] = 0
        a = ipaddress.IPv6Address(":".join("%x" % x for x in g))
        s = a.compressed if R.random() < 0.85 else a.exploded
        if ip_is_public(s):
            return s


def ip_any():
    return ipv4() if R.random() < 0.8 else ipv6()


# ----------------------------------------------------------------- cards
def luhn_ok(d):
    t = 0
    for i, ch in enumerate(reversed(d)):
        x = int(ch)
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        t += x
    return t % 10 == 0


def luhn_complete(p):
    for c in DIG:
        if luhn_ok(p + c):
            return p + c


MAESTRO = ("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763")


def card_brand(d):
    n = len(d)
    if not d.isdigit() or n < 12:
        return None
    i2, i3, i4 = int(d[:2]), int(d[:3]), int(d[:4])
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if 51 <= i2 <= 55 and n == 16:
        return "mastercard"
    if 2221 <= i4 <= 2720 and n == 16:
        return "mastercard"
    if d[:2] in ("34", "37") and n == 15:
        return "amex"
    if (d[:4] == "6011" or 644 <= i3 <= 649 or d[:2] == "65") and 16 <= n <= 19:
        return "discover"
    if 3528 <= i4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= i3 <= 305 or d[:2] in ("36", "38", "39") or d[:4] == "3095") and 14 <= n <= 19:
        return "diners"
    if d[:2] == "62" and 16 <= n <= 19:
        return "unionpay"
    if d[:4] in MAESTRO and 12 <= n <= 19:
        return "maestro"
    if 2200 <= i4 <= 2204 and n == 16:
        return "mir"
    return None


CARD_SPECS = [
    (5, lambda: "4", [16, 16, 16, 16, 13, 19]),
    (2, lambda: str(R.randint(51, 55)), [16]),
    (1, lambda: str(R.randint(2221, 2720)), [16]),
    (2, lambda: pick(["34", "37"]), [15]),
    (1, lambda: pick(["6011", str(R.randint(644, 649)), "65"]), [16]),
    (1, lambda: str(R.randint(3528, 3589)), [16]),
    (1, lambda: pick([str(R.randint(300, 305)), "36", "38"]), [14]),
    (1, lambda: "62" + str(R.randint(1, 9)), [16, 19]),
    (1, lambda: pick(MAESTRO), [16, 19]),
]


def card_digits():
    w = [s[0] for s in CARD_SPECS]
    _, pf, lens = R.choices(CARD_SPECS, weights=w)[0]
    p, n = pf(), pick(lens)
    while True:
        d = luhn_complete(p + rs(n - len(p) - 1, DIG))
        if card_brand(d) and len(set(d)) > 3:
            return d


def group_card(d, sep):
    n = len(d)
    g = {15: [4, 6, 5], 14: [4, 6, 4], 16: [4, 4, 4, 4], 19: [4, 4, 4, 4, 3]}.get(n)
    if not sep or not g:
        return d
    out, i = [], 0
    for k in g:
        out.append(d[i : i + k])
        i += k
    return sep.join(out)


def card(style=None):
    d = card_digits()
    style = style if style is not None else pick(["", " ", " ", "-"])
    return group_card(d, style)


def exp():
    return "%02d/%02d" % (R.randint(1, 12), R.randint(25, 31))


def cvc():
    return rs(3, DIG)


def safe_num(n, lead=None):
    """Digit string that is NOT a Luhn-valid brand-prefixed card number."""
    while True:
        d = (lead or str(R.randint(1, 9))) + rs(n - len(lead or "1"), DIG)
        if not (card_brand(d) and luhn_ok(d)):
            return d


# ----------------------------------------------------------------- passwords
PW_SYMS = {"std": "#%*-_+=.~^", "rich": "!@#$%*-_+=.~^?", "url": "-_.~", "plain": "-_.", "alnum": ""}
LEET = {"a": ["4", "@"], "e": ["3"], "i": ["1", "!"], "o": ["0"], "s": ["5", "$"], "t": ["7"], "l": ["1"]}


def pw(mode="std", kind=None):
    syms = PW_SYMS[mode]
    kind = kind or pick(["human", "human", "gen", "phrase", "leet", "gen", "name"])
    if not syms and kind in ("leet",):
        kind = "gen"
    while True:
        if kind == "human":
            w = pick(WORDS)
            w = cap(w) if R.random() < 0.7 else w
            d = pick([str(R.randint(1970, 2025)), rs(2, DIG), rs(3, DIG), rs(4, DIG)])
            s = pick(syms) if syms else ""
            v = pick([w + s + d, w + d + s + pick(["", cap(pick(WORDS))[:3]]), cap(pick(WORDS)) + s + w + d])
        elif kind == "name":
            v = (
                cap(first())
                + pick(["", cap(last())[:1]])
                + (pick(syms) if syms else "")
                + str(R.randint(1, 9999))
                + pick(["", "x", "Q"])
            )
        elif kind == "gen":
            n = R.randint(12, 26)
            alpha = ALNUM + syms * 2
            v = pick(LOW + UP) + rs(n - 2, alpha) + pick(ALNUM)
        elif kind == "phrase":
            sep = pick(["-", "_", "."] if mode != "alnum" else [""])
            ws = [pick(WORDS) for _ in range(R.randint(3, 5))]
            if R.random() < 0.5:
                ws = [cap(x) for x in ws]
            v = sep.join(ws) + pick(["", str(R.randint(1, 99))])
        else:  # leet
            w = pick(WORDS) + pick(WORDS)
            out = []
            for ch in w:
                if ch in LEET and R.random() < 0.6:
                    c = pick(LEET[ch])
                    if c not in syms and not c.isdigit():
                        c = LEET[ch][0] if LEET[ch][0].isdigit() else ch
                    out.append(c)
                else:
                    out.append(ch.upper() if R.random() < 0.2 else ch)
            v = "".join(out) + pick(["", rs(2, DIG)]) + pick(["", pick(syms) + rs(1, DIG)] if syms else [""])
        if v[0].isalnum() and (v[-1].isalnum() or v[-1] in "#%*_^~+=") and len(v) >= 8:
            return v


# ----------------------------------------------------------------- vendor secrets
def aws_akid():
    return pick(["AKIA", "AKIA", "AKIA", "ASIA"]) + rs(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def aws_secret():
    return rs(40, ALNUM + "/+")


def gh_pat():
    return pick(["ghp_", "ghp_", "gho_", "ghs_", "ghu_"]) + rs(36)


def gh_fine():
    return "github_pat_11" + rs(20, UPD) + "_" + rs(59)


def glpat():
    return "glpat-" + rs(20, ALNUM + "-_")


def slack_bot():
    return "xoxb-" + rd(12) + "-" + rd(13) + "-" + rs(24)


def slack_user():
    return "xoxp-" + rd(12) + "-" + rd(12) + "-" + rd(13) + "-" + hx(32)


def slack_app():
    return "xapp-1-A" + rs(10, UPD) + "-" + rd(13) + "-" + hx(64)


def stripe_sk():
    return pick(["sk_live_", "sk_live_", "rk_live_"]) + rs(pick([24, 99]))


def stripe_whsec():
    return "whsec_" + rs(32)


def openai_key():
    return pick(
        [
            "sk-proj-" + rs(74, B64U) + "T3BlbkFJ" + rs(74, B64U),
            "sk-" + rs(20) + "T3BlbkFJ" + rs(20),
            "sk-svcacct-" + rs(40, B64U),
        ]
    )


def anthropic_key():
    return "sk-ant-api03-" + rs(93, B64U) + "AA"


def google_key():
    return "AIza" + rs(35, B64U)


def gcp_client_secret():
    return "GOCSPX-" + rs(28, B64U)


def twilio_token():
    return hx(32)


def twilio_sk():
    return "SK" + hx(32)


def sendgrid():
    return "SG." + rs(22, B64U) + "." + rs(43, B64U)


def npm_tok():
    return "npm_" + rs(36)


def pypi_tok():
    return "pypi-AgEIcHlwaS5vcmc" + rs(R.randint(120, 160), B64U)


def hf_tok():
    return "hf_" + rs(34, LOW + UP)


def discord_tok():
    return b64u(rd(18).encode()) + "." + rs(6, B64U) + "." + rs(38, B64U)


def telegram_tok():
    return rd(10) + ":AA" + rs(33, B64U)


def azure_key():
    return b64(64)


def mailgun_key():
    return "key-" + hx(32)


def mailchimp_key():
    return hx(32) + "-us" + str(R.randint(1, 21))


def shopify_tok():
    return pick(["shpat_", "shpss_", "shpca_"]) + hx(32)


def square_tok():
    return "EAAA" + rs(60, B64U)


def do_tok():
    return "dop_v1_" + hx(64)


def datadog_key():
    return hx(32)


def datadog_app():
    return hx(40)


def newrelic_key():
    return "NRAK-" + rs(27, UPD)


def vault_tok():
    return "hvs." + rs(R.randint(24, 90), B64U)


def tfc_tok():
    return rs(14) + ".atlasv1." + rs(67)


def linear_key():
    return "lin_api_" + rs(40)


def notion_key():
    return pick(["secret_" + rs(43), "ntn_" + rd(11) + rs(35)])


def postman_key():
    return "PMAK-" + hx(24) + "-" + hx(34)


def grafana_tok():
    return "glsa_" + rs(32) + "_" + hx(8)


def atlassian_tok():
    return "ATATT3xFfGF0" + rs(R.randint(170, 190), B64U) + "=" + hx(8).upper()


def dropbox_tok():
    return "sl." + rs(R.randint(130, 140), B64U)


def okta_tok():
    return "00" + rs(40, B64U)


def cloudflare_tok():
    return rs(40, B64U)


def sonar_tok():
    return "squ_" + hx(40)


def docker_pat():
    return "dckr_pat_" + rs(27, B64U)


def heroku_key():
    return "HRKU-" + ruuid()


def figma_tok():
    return "figd_" + rs(40, B64U)


def groq_key():
    return "gsk_" + rs(52)


def replicate_tok():
    return "r8_" + rs(37)


def doppler_tok():
    return "dp.st." + pick(["prd", "dev", "stg"]) + "." + rs(40)


def sentry_tok():
    return "sntrys_" + b64u(rbytes(90))


def gitlab_runner():
    return "glrt-" + rs(20, B64U)


def pulumi_tok():
    return "pul-" + hx(40)


def algolia_admin():
    return hx(32)


def alibaba_id():
    return "LTAI" + rs(20)


def alibaba_secret():
    return rs(30)


def mapbox_secret():
    return "sk.eyJ1Ijoi" + rs(60, B64U) + "." + rs(22, B64U)


def hex_secret(n=64):
    return hx(n)


def b64_secret(n=32):
    return b64(n)


def generic_key():
    return pick([hx(32), hx(40), rs(32), rs(40, B64U), b64(24), "ak_" + rs(32), "key_" + rs(28)])


def wp_salt():
    return pick(ALNUM) + rs(62, ALNUM + "!#%^*()-_=+[]{}<>~;:,.|/?") + pick(ALNUM)


def django_key():
    return rs(50, LOW + DIG + "!#%^*(-_=+)")


def rails_key():
    return hx(128)


def laravel_key():
    return "base64:" + b64(32)


def vendor_secret():
    return pick(
        [
            aws_secret,
            gh_pat,
            glpat,
            slack_bot,
            stripe_sk,
            openai_key,
            google_key,
            sendgrid,
            npm_tok,
            hf_tok,
            telegram_tok,
            mailgun_key,
            shopify_tok,
            do_tok,
            vault_tok,
            linear_key,
            postman_key,
            grafana_tok,
            sonar_tok,
            docker_pat,
            groq_key,
            generic_key,
        ]
    )()


def jwt():
    alg = pick(["HS256", "HS256", "RS256", "ES256", "HS512"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256" and R.random() < 0.5:
        hdr["kid"] = hx(16)
    t = R.randint(1700000000, 1735000000)
    pl = {"sub": pick([rd(6), ruuid(), "usr_" + rs(12)]), "iat": t, "exp": t + pick([900, 3600, 86400, 604800])}
    if R.random() < 0.5:
        pl["role"] = pick(["admin", "user", "service", "editor"])
    if R.random() < 0.4:
        pl["iss"] = "https://auth." + org_domain()
    siglen = {"HS256": 43, "HS512": 86, "RS256": 342, "ES256": 86}[alg]
    return (
        b64u(json.dumps(hdr, separators=(",", ":")).encode())
        + "."
        + b64u(json.dumps(pl, separators=(",", ":")).encode())
        + "."
        + rs(siglen, B64U)
    )


def privkey(kind=None, nl="\n"):
    kind = kind or pick(["RSA", "EC", "OPENSSH", "PKCS8", "EC", "OPENSSH"])
    if kind == "RSA":
        tag, start, total, w = "RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", R.randint(1580, 1620), 64
    elif kind == "EC":
        tag, start, total, w = "EC PRIVATE KEY", "MHcCAQEEI", 164, 64
    elif kind == "OPENSSH":
        tag, start, total, w = (
            "OPENSSH PRIVATE KEY",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            396,
            70,
        )
    else:
        tag, start, total, w = (
            "PRIVATE KEY",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ",
            R.randint(1600, 1640),
            64,
        )
    body = start + rs(total - len(start), B64)
    if kind in ("RSA", "PKCS8") and R.random() < 0.5:
        body = body[:-1] + "="
    lines = [body[i : i + w] for i in range(0, len(body), w)]
    return nl.join(["-----BEGIN %s-----" % tag] + lines + ["-----END %s-----" % tag])


def wg_key():
    return b64(32)


def basic_b64(u, p):
    return base64.b64encode((u + ":" + p).encode()).decode()


# ----------------------------------------------------------------- registry
POS_T = []  # (func, lang, context, n)
NEG_T = []  # (func, lang, context, category, n)


def pos(context, n=3, lang="en"):
    def deco(f):
        POS_T.append((f, lang, context, n))
        return f

    return deco


def neg(category, context, n=5, lang="en"):
    def deco(f):
        NEG_T.append((f, lang, context, category, n))
        return f

    return deco


# ================================================================= POSITIVES
# ---------- dotenv / app config
@pos("env_file")
def _():
    return build(
        """# --- application ---
APP_ENV=production
APP_URL=https://app.⟪dom⟫
DATABASE_URL=postgres://⟪u⟫:⟪p⟫@⟪h⟫:5432/⟪db⟫
REDIS_URL=redis://:⟪rp⟫@⟪rh⟫:6379/0
STRIPE_SECRET_KEY=⟪sk⟫
STRIPE_WEBHOOK_SECRET=⟪wh⟫
SENDGRID_API_KEY=⟪sg⟫
MAIL_FROM=⟪em⟫
LOG_LEVEL=info
""",
        dom=org_domain(),
        u=user(),
        p=S(pw("url")),
        h=host(),
        db=dbname(),
        rp=S(pw("url")),
        rh=host(),
        sk=S(stripe_sk()),
        wh=S(stripe_whsec()),
        sg=S(sendgrid()),
        em=E(email("role")),
    )


@pos("env_file")
def _():
    return build(
        """APP_NAME=⟪app⟫
APP_KEY=⟪ak⟫
APP_DEBUG=false

DB_CONNECTION=mysql
DB_HOST=⟪dbh⟫
DB_PORT=3306
DB_DATABASE=⟪db⟫
DB_USERNAME=⟪u⟫
DB_PASSWORD="⟪p⟫"

MAIL_MAILER=smtp
MAIL_HOST=smtp.mailgun.org
MAIL_USERNAME=⟪mu⟫
MAIL_PASSWORD=⟪mp⟫

AWS_ACCESS_KEY_ID=⟪akid⟫
AWS_SECRET_ACCESS_KEY=⟪asec⟫
AWS_DEFAULT_REGION=eu-central-1
PUSHER_APP_SECRET=⟪ps⟫
""",
        app=cap(org()),
        ak=S(laravel_key()),
        dbh=priv_ip(),
        db=dbname(),
        u=user(),
        p=S(pw("rich")),
        mu=E(email("work")),
        mp=S(hex_secret(32) + "-" + hx(8) + "-" + hx(8)),
        akid=S(aws_akid()),
        asec=S(aws_secret()),
        ps=S(hx(20)),
    )


@pos("env_file")
def _():
    return build(
        """# copy to .env.local -- DO NOT COMMIT (oops)
NEXT_PUBLIC_SITE_NAME="⟪app⟫"
OPENAI_API_KEY=⟪oa⟫
ANTHROPIC_API_KEY=⟪an⟫
NEXTAUTH_SECRET=⟪na⟫
GITHUB_ID=Iv1.⟪gid⟫
GITHUB_SECRET=⟪gs⟫
ADMIN_EMAILS=⟪e1⟫,⟪e2⟫
""",
        app=cap(org()),
        oa=S(openai_key()),
        an=S(anthropic_key()),
        na=S(b64(32)),
        gid=hx(16),
        gs=S(hx(40)),
        e1=E(email("work")),
        e2=E(email("personal")),
    )


# ---------- YAML / Spring
@pos("yaml_config")
def _():
    return build(
        """spring:
  datasource:
    url: jdbc:postgresql://⟪h⟫:5432/⟪db⟫?sslmode=require
    username: ⟪u⟫
    password: ⟪p⟫
  mail:
    host: smtp.office365.com
    port: 587
    username: ⟪mu⟫
    password: '⟪mp⟫'
  security:
    oauth2:
      client:
        registration:
          google:
            client-id: ⟪cid⟫.apps.googleusercontent.com
            client-secret: ⟪cs⟫
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("std")),
        mu=E(email("work")),
        mp=S(pw("rich")),
        cid=rd(12) + "-" + rs(32, LOW + DIG),
        cs=S(gcp_client_secret()),
    )


@pos("docker_compose")
def _():
    return build(
        """version: "3.9"
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ⟪u⟫
      POSTGRES_PASSWORD: "⟪p⟫"
  pgadmin:
    image: dpage/pgadmin4
    environment:
      PGADMIN_DEFAULT_EMAIL: ⟪em⟫
      PGADMIN_DEFAULT_PASSWORD: ⟪pp⟫
    ports: ["5050:80"]
  api:
    build: .
    extra_hosts:
      - "partner-api.internal:⟪ip⟫"
    environment:
      - JWT_SIGNING_KEY=⟪jk⟫
""",
        u=user(),
        p=S(pw("std")),
        em=E(email()),
        pp=S(pw("std")),
        ip=I(ipv4()),
        jk=S(hex_secret(64)),
    )


@pos("kubernetes_manifest")
def _():
    return build(
        """apiVersion: v1
kind: Secret
metadata:
  name: ⟪s⟫-credentials
  namespace: ⟪ns⟫
type: Opaque
stringData:
  DB_PASSWORD: "⟪p⟫"
  API_KEY: "⟪k⟫"
  SMTP_PASSWORD: "⟪sp⟫"
  GITHUB_TOKEN: ⟪gh⟫
""",
        s=svc(),
        ns=pick(["prod", "staging", "default", "apps"]),
        p=S(pw("std")),
        k=S(generic_key()),
        sp=S(pw("std")),
        gh=S(gh_pat()),
    )


@pos("helm_values")
def _():
    return build(
        """# values-prod.yaml
externalDatabase:
  host: ⟪h⟫
  user: ⟪u⟫
  password: ⟪p⟫
smtp:
  user: ⟪em⟫
  password: ⟪sp⟫
datadog:
  apiKey: ⟪dd⟫
  appKey: ⟪da⟫
service:
  type: LoadBalancer
  loadBalancerSourceRanges:
    - ⟪ip1⟫/32
    - ⟪ip2⟫/32
""",
        h=host(),
        u=user(),
        p=S(pw("std")),
        em=E(email("role")),
        sp=S(pw("std")),
        dd=S(datadog_key()),
        da=S(datadog_app()),
        ip1=I(ipv4()),
        ip2=I(ipv4()),
    )


@pos("terraform_hcl")
def _():
    return build(
        """provider "aws" {
  region     = "eu-west-1"
  access_key = "⟪ak⟫"
  secret_key = "⟪sk⟫"
}

resource "aws_db_instance" "⟪s⟫" {
  engine            = "postgres"
  instance_class    = "db.t3.medium"
  username          = "⟪u⟫"
  password          = "⟪p⟫"
  allocated_storage = 50
}

resource "aws_security_group_rule" "office" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["⟪ip⟫/32"]
}
""",
        ak=S(aws_akid()),
        sk=S(aws_secret()),
        s=svc(),
        u=user(),
        p=S(pw("std")),
        ip=I(ipv4()),
    )


@pos("terraform_tfvars")
def _():
    return build(
        """project_id        = "⟪proj⟫"
db_admin_password = "⟪p⟫"
cloudflare_token  = "⟪cf⟫"
datadog_api_key   = "⟪dd⟫"
alert_email       = "⟪em⟫"
allowed_ips       = ["⟪ip1⟫/32", "⟪ip2⟫/32"]
""",
        proj=org() + "-" + pick(["prod", "stage"]) + "-" + rd(6),
        p=S(pw("std")),
        cf=S(cloudflare_tok()),
        dd=S(datadog_key()),
        em=E(email("role")),
        ip1=I(ipv4()),
        ip2=I(ipv4()),
    )


@pos("toml_config")
def _():
    return build(
        """[bot]
name = "⟪n⟫"
prefix = "!"

[discord]
token = "⟪dt⟫"

[openai]
api_key = "⟪oa⟫"
model = "gpt-4o-mini"

[database]
url = "postgresql://⟪u⟫:⟪p⟫@⟪h⟫/⟪db⟫"
""",
        n=cap(pick(WORDS)) + "Bot",
        dt=S(discord_tok()),
        oa=S(openai_key()),
        u=user(),
        p=S(pw("url")),
        h=host(),
        db=dbname(),
    )


@pos("ini_config")
def _():
    return build(
        """; settings.ini
[database]
host = ⟪h⟫
user = ⟪u⟫
password = ⟪p⟫

[smtp]
server = smtp.⟪dom⟫
login = ⟪em⟫
password = ⟪sp⟫

[api]
key = ⟪k⟫
""",
        h=host(),
        u=user(),
        p=S(pw("std")),
        dom=org_domain(),
        em=E(email("work")),
        sp=S(pw("std")),
        k=S(generic_key()),
    )


@pos("json_config")
def _():
    return build(
        """{
  "ConnectionStrings": {
    "Default": "Server=⟪h⟫,1433;Database=⟪db⟫;User Id=⟪u⟫;Password=⟪p⟫;TrustServerCertificate=True;"
  },
  "SendGrid": { "ApiKey": "⟪sg⟫", "From": "⟪em⟫" },
  "Jwt": { "Issuer": "⟪dom⟫", "Key": "⟪jk⟫" },
  "Logging": { "LogLevel": { "Default": "Warning" } }
}
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("std")),
        sg=S(sendgrid()),
        em=E(email("role")),
        dom=org_domain(),
        jk=S(rs(48)),
    )


@pos("xml_config")
def _():
    return build(
        """<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
    <add name="Main" connectionString="Data Source=⟪h⟫;Initial Catalog=⟪db⟫;User ID=⟪u⟫;Password=⟪p⟫" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <appSettings>
    <add key="StripeSecretKey" value="⟪sk⟫" />
    <add key="SupportMailbox" value="⟪em⟫" />
    <add key="MapsApiKey" value="⟪gk⟫" />
  </appSettings>
</configuration>
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("plain")),
        sk=S(stripe_sk()),
        em=E(email("role")),
        gk=S(google_key()),
    )


@pos("maven_settings")
def _():
    return build(
        """<settings>
  <servers>
    <server>
      <id>nexus-releases</id>
      <username>⟪u⟫</username>
      <password>⟪p⟫</password>
    </server>
    <server>
      <id>github</id>
      <username>⟪u2⟫</username>
      <password>⟪gh⟫</password>
    </server>
  </servers>
</settings>
""",
        u=user(),
        p=S(pw("plain")),
        u2=user(),
        gh=S(gh_pat()),
    )


@pos("systemd_unit")
def _():
    return build(
        """[Unit]
Description=⟪s⟫ worker
After=network-online.target

[Service]
User=⟪u⟫
Environment="PGPASSWORD=⟪p⟫"
Environment=SLACK_BOT_TOKEN=⟪sl⟫
Environment=SENTRY_AUTH_TOKEN=⟪st⟫
ExecStart=/opt/⟪s⟫/bin/worker --queue default
Restart=always

[Install]
WantedBy=multi-user.target
""",
        s=svc(),
        u=user(),
        p=S(pw("std")),
        sl=S(slack_bot()),
        st=S(sentry_tok()),
    )


@pos("nginx_conf")
def _():
    u, p = user(), pw("std")
    return build(
        """server {
    listen 443 ssl;
    server_name admin.⟪dom⟫;

    set_real_ip_from ⟪cdn⟫;
    real_ip_header X-Forwarded-For;

    location /internal/ {
        allow ⟪ip1⟫;
        allow ⟪ip2⟫;
        deny all;
        proxy_set_header Authorization "Basic ⟪ba⟫";
        proxy_pass http://127.0.0.1:8081;
    }
}
""",
        dom=org_domain(),
        cdn=I(ipv4()),
        ip1=I(ipv4()),
        ip2=I(ip_any()),
        ba=S(basic_b64(u, p)),
    )


@pos("apache_conf")
def _():
    return build(
        """<VirtualHost *:443>
    ServerName intranet.⟪dom⟫
    ServerAdmin ⟪em⟫
    SetEnv DB_PASS "⟪p⟫"
    SetEnv MAILCHIMP_KEY "⟪mc⟫"
    <Location /admin>
        <RequireAny>
            Require ip ⟪ip1⟫
            Require ip ⟪ip2⟫
        </RequireAny>
    </Location>
</VirtualHost>
""",
        dom=org_domain(),
        em=E(email("role")),
        p=S(pw("std")),
        mc=S(mailchimp_key()),
        ip1=I(ipv4()),
        ip2=I(ipv4()),
    )


@pos("netrc")
def _():
    return build(
        """machine api.heroku.com
  login ⟪em⟫
  password ⟪hk⟫
machine github.com
  login ⟪u⟫
  password ⟪gh⟫
machine ftp.⟪dom⟫ login ⟪u2⟫ password ⟪p⟫
""",
        em=E(email("personal")),
        hk=S(heroku_key()),
        u=user(),
        gh=S(gh_pat()),
        dom=org_domain(),
        u2=user(),
        p=S(pw("std")),
    )


@pos("pgpass")
def _():
    return build(
        """⟪h1⟫:5432:⟪db1⟫:⟪u1⟫:⟪p1⟫
⟪h2⟫:5432:*:⟪u2⟫:⟪p2⟫
⟪ip⟫:6432:⟪db3⟫:⟪u3⟫:⟪p3⟫
""",
        h1=host(),
        db1=dbname(),
        u1=user(),
        p1=S(pw("plain")),
        h2=host(),
        u2=user(),
        p2=S(pw("plain")),
        ip=I(ipv4()),
        db3=dbname(),
        u3=user(),
        p3=S(pw("plain")),
    )


@pos("npmrc")
def _():
    return build(
        """registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=⟪npm⟫
@⟪o⟫:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟪gh⟫
email=⟪em⟫
always-auth=true
""",
        npm=S(npm_tok()),
        o=org(),
        gh=S(gh_pat()),
        em=E(email("work")),
    )


@pos("pypirc")
def _():
    return build(
        """[distutils]
index-servers =
    pypi
    internal

[pypi]
username = __token__
password = ⟪t⟫

[internal]
repository = https://pypi.⟪dom⟫/simple/
username = ⟪u⟫
password = ⟪p⟫
""",
        t=S(pypi_tok()),
        dom=org_domain(),
        u=user(),
        p=S(pw("std")),
    )


@pos("pip_conf")
def _():
    return build(
        """[global]
timeout = 60
index-url = https://⟪u⟫:⟪p⟫@artifactory.⟪dom⟫/api/pypi/pypi-remote/simple
extra-index-url = https://__token__:⟪gl⟫@gitlab.⟪dom2⟫/api/v4/projects/⟪pid⟫/packages/pypi/simple
""",
        u=user(),
        p=S(pw("url")),
        dom=org_domain(),
        gl=S(glpat()),
        dom2=org_domain(),
        pid=rd(4),
    )


@pos("git_config")
def _():
    return build(
        """[user]
	name = ⟪name⟫
	email = ⟪em⟫
[url "https://⟪u⟫:⟪gh⟫@github.com/"]
	insteadOf = https://github.com/
[url "https://oauth2:⟪gl⟫@gitlab.⟪dom⟫/"]
	insteadOf = https://gitlab.⟪dom⟫/
[pull]
	rebase = true
""",
        name=person(),
        em=E(email()),
        u=user(),
        gh=S(gh_pat()),
        gl=S(glpat()),
        dom=org_domain(),
    )


@pos("forum_post")
def _():
    return build(
        """Title: ssh keeps asking for passphrase even with the key in config

My ~/.ssh/config:

Host jump
    HostName ⟪ip⟫
    User ⟪u⟫
    IdentityFile ~/.ssh/jump_ed25519

and the key itself (it's a throwaway, I'll rotate it):

⟪key⟫

What am I doing wrong?
""",
        ip=I(ipv4()),
        u=user(),
        key=S(privkey(pick(["OPENSSH", "EC"]))),
    )


@pos("rclone_conf")
def _():
    return build(
        """[s3-backup]
type = s3
provider = AWS
access_key_id = ⟪ak⟫
secret_access_key = ⟪sk⟫
region = eu-central-1

[nas]
type = sftp
host = ⟪ip⟫
user = ⟪u⟫
pass = ⟪p⟫

[b2]
type = b2
account = 00⟪acc⟫0000000001
key = K00⟪b2⟫
""",
        ak=S(aws_akid()),
        sk=S(aws_secret()),
        ip=I(ipv4()),
        u=user(),
        p=S(rs(pick([43, 52, 60]), B64U)),
        acc=hx(10),
        b2=S(rs(28)),
    )


@pos("wpa_supplicant")
def _():
    return build(
        """ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1
country=⟪cc⟫

network={
    ssid="⟪ssid⟫"
    psk="⟪psk⟫"
    key_mgmt=WPA-PSK
}

network={
    ssid="eduroam"
    key_mgmt=WPA-EAP
    eap=PEAP
    identity="⟪em⟫"
    password="⟪p⟫"
    phase2="auth=MSCHAPV2"
}
""",
        cc=pick(["DE", "FR", "NL", "SE", "PL", "GB"]),
        ssid=pick(["FRITZ!Box 7590 ", "Vodafone-", "TP-Link_", "HomeNet-"]) + rs(4, UPD),
        psk=S(pw("std")),
        em=E(email("work")),
        p=S(pw("std")),
    )


@pos("hostapd_conf")
def _():
    return build(
        """interface=wlan0
ssid=⟪ssid⟫
wpa=2
wpa_key_mgmt=WPA-PSK WPA-EAP
wpa_passphrase=⟪psk⟫
own_ip_addr=⟪lan⟫
auth_server_addr=⟪rip⟫
auth_server_port=1812
auth_server_shared_secret=⟪ss⟫
""",
        ssid=cap(org()) + "-Guest",
        psk=S(pw("std")),
        lan=priv_ip(),
        rip=I(ipv4()),
        ss=S(pw("plain", "gen")),
    )


@pos("wireguard_conf")
def _():
    return build(
        """[Interface]
Address = 10.8.0.⟪n⟫/24
PrivateKey = ⟪pk⟫
DNS = ⟪dns⟫

[Peer]
PublicKey = ⟪pub⟫
PresharedKey = ⟪psk⟫
Endpoint = ⟪ep⟫:51820
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 25
""",
        n=R.randint(2, 250),
        pk=S(wg_key()),
        dns=priv_ip(),
        pub=wg_key(),
        psk=S(wg_key()),
        ep=I(ipv4()),
    )


@pos("openvpn_conf")
def _():
    return build(
        """client
dev tun
proto udp
remote ⟪ip⟫ 1194
remote-random
resolv-retry infinite
nobind
auth-user-pass creds.txt
<key>
⟪key⟫
</key>
""",
        ip=I(ipv4()),
        key=S(privkey(pick(["PKCS8", "EC"]))),
    )


@pos("ipsec_secrets")
def _():
    return build(
        """# /etc/ipsec.secrets
⟪ip1⟫ ⟪ip2⟫ : PSK "⟪psk⟫"
: RSA vpn-gw.key
⟪u⟫ : EAP "⟪p⟫"
⟪u2⟫ : XAUTH "⟪p2⟫"
""",
        ip1=I(ipv4()),
        ip2=I(ipv4()),
        psk=S(pw("std", "gen")),
        u=user(),
        p=S(pw("std")),
        u2=user(),
        p2=S(pw("std")),
    )


@pos("asterisk_conf")
def _():
    return build(
        """; sip.conf
[⟪trunk⟫]
type=peer
host=⟪ip⟫
username=⟪acct⟫
secret=⟪sec⟫
fromuser=⟪acct⟫
insecure=port,invite
context=from-trunk

; pjsip.conf
[⟪ext⟫-auth]
type=auth
auth_type=userpass
username=⟪ext⟫
password=⟪p⟫
""",
        trunk=pick(["voip-trunk", "sipgate", "provider-out"]),
        ip=I(ipv4()),
        acct=rd(7),
        sec=S(pw("plain", "gen")),
        ext=str(R.randint(100, 899)),
        p=S(pw("plain")),
    )


@pos("freeradius_conf")
def _():
    return build(
        """# clients.conf
client branch-office {
    ipaddr = ⟪ip1⟫
    secret = ⟪s1⟫
    shortname = branch
}
client ap-cluster {
    ipaddr = ⟪ip2⟫
    secret = ⟪s2⟫
}

# users
⟪u⟫   Cleartext-Password := "⟪p⟫"
        Reply-Message = "Hello, %{User-Name}"
""",
        ip1=I(ipv4()),
        s1=S(pw("plain", "gen")),
        ip2=I(ipv4()),
        s2=S(pw("plain", "gen")),
        u=user(),
        p=S(pw("std")),
    )


@pos("jenkinsfile")
def _():
    return build(
        """pipeline {
  agent any
  environment {
    SONAR_TOKEN = '⟪st⟫'
    NEXUS_PASS  = '⟪np⟫'
  }
  stages {
    stage('Deploy') {
      steps {
        sh "curl -fsS -u ⟪u⟫:⟪jt⟫ https://jenkins.⟪dom⟫/job/⟪s⟫/build"
        sh "scp target/app.jar ⟪u2⟫@⟪ip⟫:/opt/app/"
      }
    }
  }
}
""",
        st=S(sonar_tok()),
        np=S(pw("std")),
        u=user(),
        jt=S("11" + hx(32)),
        dom=org_domain(),
        s=svc(),
        u2=user(),
        ip=I(ipv4()),
    )


@pos("gitlab_ci")
def _():
    return build(
        """variables:
  DOCKER_REGISTRY: registry.⟪dom⟫
  DOCKER_PASSWORD: "⟪dp⟫"

deploy:
  stage: deploy
  script:
    - docker login -u ⟪u⟫ -p ⟪dp2⟫ registry.⟪dom⟫
    - ssh -o StrictHostKeyChecking=no deploy@⟪ip⟫ "docker compose pull && docker compose up -d"
    - 'curl -X POST -H "PRIVATE-TOKEN: ⟪gl⟫" https://gitlab.⟪dom⟫/api/v4/projects/⟪pid⟫/releases'
  only: [main]
""",
        dom=org_domain(),
        dp=S(pw("std")),
        u=user(),
        dp2=S(docker_pat()),
        ip=I(ipv4()),
        gl=S(glpat()),
        pid=rd(3),
    )


@pos("github_actions")
def _():
    return build(
        """name: nightly
on:
  schedule: [{cron: "0 3 * * *"}]
jobs:
  report:
    runs-on: ubuntu-latest
    env:
      OPENAI_API_KEY: ⟪oa⟫
      HF_TOKEN: ${{ secrets.HF_TOKEN }}
    steps:
      - uses: actions/checkout@v4
      - run: python report.py
      - name: notify
        run: |
          curl -s -X POST https://slack.com/api/chat.postMessage \\
            -H "Authorization: Bearer ⟪sl⟫" \\
            -d channel=C⟪ch⟫ -d text="nightly done"
""",
        oa=S(openai_key()),
        sl=S(slack_bot()),
        ch=rs(10, UPD),
    )


@pos("ansible_playbook")
def _():
    return build(
        """- hosts: dbservers
  become: true
  vars:
    mysql_root_password: "⟪rp⟫"
    app_db_user: ⟪u⟫
    app_db_password: "⟪p⟫"
    ansible_become_pass: ⟪bp⟫
  tasks:
    - name: allow monitoring host
      ufw:
        rule: allow
        from_ip: ⟪ip⟫
        port: "3306"
""",
        rp=S(pw("std")),
        u=user(),
        p=S(pw("std")),
        bp=S(pw("std")),
        ip=I(ipv4()),
    )


@pos("ansible_inventory")
def _():
    return build(
        """[web]
web1 ansible_host=⟪ip1⟫ ansible_user=⟪u⟫ ansible_password=⟪p1⟫
web2 ansible_host=⟪ip2⟫ ansible_user=⟪u⟫ ansible_password=⟪p2⟫

[db]
db1 ansible_host=⟪lan⟫ ansible_user=root ansible_ssh_pass=⟪p3⟫
""",
        ip1=I(ipv4()),
        ip2=I(ipv4()),
        u=user(),
        p1=S(pw("plain")),
        p2=S(pw("plain")),
        lan=priv_ip(),
        p3=S(pw("plain")),
    )


@pos("chef_recipe")
def _():
    return build(
        """# attributes/default.rb
default['⟪s⟫']['db']['host']     = '⟪h⟫'
default['⟪s⟫']['db']['password'] = '⟪p⟫'
default['⟪s⟫']['newrelic_key']   = '⟪nr⟫'
default['⟪s⟫']['admin_email']    = '⟪em⟫'
""",
        s=svc(),
        h=host(),
        p=S(pw("std")),
        nr=S(newrelic_key()),
        em=E(email("role")),
    )


@pos("salt_pillar")
def _():
    return build(
        """# pillar/mysql.sls
mysql:
  server:
    root_password: '⟪rp⟫'
  user:
    ⟪u⟫:
      password: '⟪p⟫'
      host: '%'
  replication:
    master_host: ⟪ip⟫
    password: ⟪rep⟫
""",
        rp=S(pw("std")),
        u=user(),
        p=S(pw("std")),
        ip=I(ipv4()),
        rep=S(pw("plain", "gen")),
    )


@pos("redis_conf")
def _():
    return build(
        """bind 127.0.0.1 ⟪lan⟫
port 6379
requirepass ⟪rp⟫
masterauth ⟪ma⟫
replicaof ⟪ip⟫ 6379
maxmemory 2gb
""",
        lan=priv_ip(),
        rp=S(pw("std", "gen")),
        ma=S(pw("std", "gen")),
        ip=I(ipv4()),
    )


@pos("prometheus_conf")
def _():
    return build(
        """scrape_configs:
  - job_name: node
    static_configs:
      - targets: ["⟪ip1⟫:9100", "⟪ip2⟫:9100"]
  - job_name: federate
    scheme: https
    basic_auth:
      username: ⟪u⟫
      password: ⟪p⟫
    static_configs:
      - targets: ["prom.⟪dom⟫"]
  - job_name: api
    bearer_token: ⟪bt⟫
""",
        ip1=I(ipv4()),
        ip2=I(ipv4()),
        u=user(),
        p=S(pw("std")),
        dom=org_domain(),
        bt=S(jwt()),
    )


@pos("grafana_ini")
def _():
    return build(
        """[security]
admin_user = admin
admin_password = ⟪ap⟫
secret_key = ⟪sk⟫

[smtp]
enabled = true
host = smtp.⟪dom⟫:587
user = ⟪em⟫
password = ⟪sp⟫
from_address = ⟪em2⟫
""",
        ap=S(pw("std")),
        sk=S(rs(32)),
        dom=org_domain(),
        em=E(email("role")),
        sp=S(pw("std")),
        em2=E(email("role")),
    )


@pos("kibana_yml")
def _():
    return build(
        """server.host: "0.0.0.0"
elasticsearch.hosts: ["https://⟪ip⟫:9200"]
elasticsearch.username: "kibana_system"
elasticsearch.password: "⟪p⟫"
xpack.encryptedSavedObjects.encryptionKey: "⟪ek⟫"
xpack.security.encryptionKey: "⟪ek2⟫"
""",
        ip=I(ipv4()),
        p=S(pw("std")),
        ek=S(hx(32)),
        ek2=S(rs(32)),
    )


@pos("haproxy_cfg")
def _():
    return build(
        """listen stats
    bind *:8404
    stats enable
    stats uri /stats
    stats auth ⟪u⟫:⟪p⟫

backend web
    balance roundrobin
    server web1 ⟪ip1⟫:80 check
    server web2 ⟪ip2⟫:80 check
    server web3 ⟪lan⟫:80 check backup
""",
        u=user(),
        p=S(pw("plain")),
        ip1=I(ipv4()),
        ip2=I(ipv4()),
        lan=priv_ip(),
    )


@pos("postfix_conf")
def _():
    return build(
        """# /etc/postfix/sasl_passwd
[smtp.sendgrid.net]:587 apikey:⟪sg⟫
[smtp.⟪dom⟫]:587 ⟪em⟫:⟪p⟫

# main.cf
relayhost = [smtp.sendgrid.net]:587
mynetworks = 127.0.0.0/8 ⟪ip⟫/32
""",
        sg=S(sendgrid()),
        dom=org_domain(),
        em=E(email("work")),
        p=S(pw("std")),
        ip=I(ipv4()),
    )


@pos("muttrc")
def _():
    em = email("personal")
    return build(
        """set realname = "⟪name⟫"
set from = "⟪em⟫"
set imap_user = "⟪em2⟫"
set imap_pass = "⟪p⟫"
set smtp_pass = "⟪p2⟫"
set folder = "imaps://imap.⟪prov⟫:993"
""",
        name=person(),
        em=E(em),
        em2=E(em),
        p=S(pw("rich")),
        p2=S(pw("rich")),
        prov=em.split("@")[1],
    )


@pos("firebase_config")
def _():
    p = org() + "-" + rs(5, LOW + DIG)
    return build(
        """// src/firebase.js
import { initializeApp } from "firebase/app";

const firebaseConfig = {
  apiKey: "⟪k⟫",
  authDomain: "⟪p⟫.firebaseapp.com",
  projectId: "⟪p⟫",
  storageBucket: "⟪p⟫.appspot.com",
  messagingSenderId: "⟪sid⟫",
  appId: "1:⟪sid⟫:web:⟪aid⟫"
};

export const app = initializeApp(firebaseConfig);
""",
        k=S(google_key()),
        p=p,
        sid=rd(12),
        aid=hx(22),
    )


@pos("kafka_properties")
def _():
    return build(
        """bootstrap.servers=⟪h⟫:9093
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="⟪ck⟫" password="⟪cs⟫";
ssl.truststore.password=⟪tp⟫
schema.registry.basic.auth.user.info=⟪sk⟫:⟪ss⟫
""",
        h=pick(["pkc-" + rs(5, LOW + DIG) + ".eu-west-1.aws.confluent.cloud", host()]),
        ck=rs(16, UPD),
        cs=S(rs(64, B64)),
        tp=S(pw("plain")),
        sk=rs(16, UPD),
        ss=S(rs(64, B64)),
    )


@pos("cisco_config")
def _():
    return build(
        """hostname ⟪hn⟫
!
enable secret 9 $9$⟪h1⟫$⟪h2⟫
username ⟪u⟫ privilege 15 password 0 ⟪p⟫
!
interface GigabitEthernet0/0
 description WAN uplink
 ip address ⟪ip⟫ 255.255.255.252
!
snmp-server community ⟪comm⟫ RO
tacacs-server host ⟪tac⟫ key 0 ⟪tk⟫
!
""",
        hn=pick(["edge", "core", "br"]) + "-rtr-0" + str(R.randint(1, 9)),
        h1=rs(14, ALNUM + "./"),
        h2=rs(43, ALNUM + "./"),
        u=user(),
        p=S(pw("plain")),
        ip=I(ipv4()),
        comm=S(pw("plain", "gen")),
        tac=I(ipv4()),
        tk=S(pw("plain", "gen")),
    )


@pos("mikrotik_script")
def _():
    return build(
        """/ip address add address=⟪ip⟫/29 interface=ether1
/ip route add gateway=⟪gw⟫
/user add name=⟪u⟫ group=full password=⟪p⟫
/interface wireless security-profiles set default wpa2-pre-shared-key=⟪psk⟫
/ppp secret add name=⟪u2⟫ password=⟪p2⟫ service=l2tp
""",
        ip=I(ipv4()),
        gw=I(ipv4()),
        u=user(),
        p=S(pw("plain")),
        psk=S(pw("plain")),
        u2=user(),
        p2=S(pw("plain")),
    )


@pos("cloud_init")
def _():
    return build(
        """#cloud-config
hostname: ⟪hn⟫
chpasswd:
  expire: false
  list: |
    root:⟪rp⟫
    ⟪u⟫:⟪p⟫
ssh_pwauth: true
write_files:
  - path: /etc/app/env
    content: |
      API_TOKEN=⟪t⟫
runcmd:
  - curl -fsSL https://⟪ip⟫/bootstrap.sh | sh
""",
        hn=svc() + "-" + rd(2),
        rp=S(pw("plain")),
        u=user(),
        p=S(pw("plain")),
        t=S(generic_key()),
        ip=I(ipv4()),
    )


@pos("unattend_xml")
def _():
    return build(
        """<UserAccounts>
  <AdministratorPassword>
    <Value>⟪ap⟫</Value>
    <PlainText>true</PlainText>
  </AdministratorPassword>
  <LocalAccounts>
    <LocalAccount wcm:action="add">
      <Name>⟪u⟫</Name>
      <Group>Administrators</Group>
      <Password><Value>⟪p⟫</Value><PlainText>true</PlainText></Password>
    </LocalAccount>
  </LocalAccounts>
</UserAccounts>
""",
        ap=S(pw("plain")),
        u=user(),
        p=S(pw("plain")),
    )


@pos("gradle_properties")
def _():
    return build(
        """org.gradle.jvmargs=-Xmx4g
android.useAndroidX=true
RELEASE_STORE_FILE=release.keystore
RELEASE_STORE_PASSWORD=⟪sp⟫
RELEASE_KEY_ALIAS=upload
RELEASE_KEY_PASSWORD=⟪kp⟫
mavenCentralUsername=⟪u⟫
mavenCentralPassword=⟪mp⟫
signing.password=⟪gp⟫
""",
        sp=S(pw("std")),
        kp=S(pw("std")),
        u=user(),
        mp=S(rs(44, B64)),
        gp=S(pw("std")),
    )


@pos("ios_plist")
def _():
    return build(
        """<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
    <key>API_BASE_URL</key>
    <string>https://api.⟪dom⟫/v2</string>
    <key>API_SECRET</key>
    <string>⟪s⟫</string>
    <key>MAPBOX_SECRET_TOKEN</key>
    <string>⟪mb⟫</string>
    <key>SUPPORT_EMAIL</key>
    <string>⟪em⟫</string>
</dict>
</plist>
""",
        dom=org_domain(),
        s=S(generic_key()),
        mb=S(mapbox_secret()),
        em=E(email("role")),
    )


@pos("rails_config")
def _():
    return build(
        """# config/database.yml
production:
  adapter: postgresql
  host: ⟪h⟫
  database: ⟪db⟫
  username: ⟪u⟫
  password: <%= ENV.fetch("DB_PASSWORD", "⟪p⟫") %>

# config/secrets.yml
production:
  secret_key_base: ⟪skb⟫
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("std")),
        skb=S(rails_key()),
    )


@pos("dbt_profiles")
def _():
    return build(
        """analytics:
  target: prod
  outputs:
    prod:
      type: snowflake
      account: ⟪acct⟫
      user: ⟪u⟫
      password: "⟪p⟫"
      role: TRANSFORMER
      warehouse: TRANSFORMING
      database: ANALYTICS
      schema: dbt_prod
""",
        acct=rs(2, LOW) + rd(5) + ".eu-central-1",
        u=user().upper(),
        p=S(pw("rich")),
    )


@pos("docker_config_json")
def _():
    u1, p1, u2, p2 = user(), pw("std"), user(), pw("std")
    return build(
        """{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "⟪a1⟫"
    },
    "registry.⟪dom⟫": {
      "auth": "⟪a2⟫"
    }
  },
  "credsStore": ""
}
""",
        a1=S(basic_b64(u1, p1)),
        dom=org_domain(),
        a2=S(basic_b64(u2, p2)),
    )


@pos("kubeconfig")
def _():
    return build(
        """apiVersion: v1
kind: Config
clusters:
- cluster:
    insecure-skip-tls-verify: true
    server: https://⟪ip⟫:6443
  name: ⟪c⟫
users:
- name: ⟪c⟫-admin
  user:
    token: ⟪t⟫
contexts:
- context:
    cluster: ⟪c⟫
    user: ⟪c⟫-admin
  name: ⟪c⟫
current-context: ⟪c⟫
""",
        ip=I(ipv4()),
        c=pick(["prod", "edge", "lab", "k3s"]) + "-" + rs(4, LOW),
        t=S(jwt()),
    )


@pos("aws_credentials")
def _():
    return build(
        """[default]
aws_access_key_id = ⟪a1⟫
aws_secret_access_key = ⟪s1⟫

[⟪prof⟫]
aws_access_key_id=⟪a2⟫
aws_secret_access_key=⟪s2⟫
region=us-east-2
""",
        a1=S(aws_akid()),
        s1=S(aws_secret()),
        prof=pick(["prod", "billing-admin", "terraform", "backup"]),
        a2=S(aws_akid()),
        s2=S(aws_secret()),
    )


@pos("gcp_service_account_json")
def _():
    proj = org() + "-" + rd(6)
    return build(
        """{
  "type": "service_account",
  "project_id": "⟪proj⟫",
  "private_key": "⟪key⟫\\n",
  "client_email": "⟪ce⟫",
  "client_id": "⟪cid⟫",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
        proj=proj,
        key=S(privkey("PKCS8", nl="\\n")),
        ce=E(pick(["deployer", "ci-runner", "etl", "backup-bot"]) + "@" + proj + ".iam.gserviceaccount.com"),
        cid=rd(21),
    )


@pos("azure_connection_string")
def _():
    return build(
        """// appsettings.Production.json (excerpt)
"Storage": "DefaultEndpointsProtocol=https;AccountName=⟪an⟫;AccountKey=⟪ak⟫;EndpointSuffix=core.windows.net",
"ServiceBus": "Endpoint=sb://⟪ns⟫.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=⟪sak⟫",
"CosmosKey": "⟪ck⟫"
""",
        an=org() + rs(4, LOW + DIG),
        ak=S(azure_key()),
        ns=org() + "-bus",
        sak=S(b64(32)),
        ck=S(azure_key()),
    )


@pos("vscode_settings")
def _():
    return build(
        """{
  "editor.formatOnSave": true,
  "sqltools.connections": [
    {
      "name": "prod-readonly",
      "driver": "PostgreSQL",
      "server": "⟪ip⟫",
      "port": 5432,
      "database": "⟪db⟫",
      "username": "⟪u⟫",
      "password": "⟪p⟫"
    }
  ],
  "github.copilot.advanced": {},
  "rest-client.environmentVariables": { "prod": { "token": "⟪t⟫" } }
}
""",
        ip=I(ipv4()),
        db=dbname(),
        u=user(),
        p=S(pw("rich")),
        t=S(jwt()),
    )


@pos("postman_collection")
def _():
    return build(
        """{
  "info": { "name": "⟪n⟫ API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
  "auth": { "type": "bearer", "bearer": [ { "key": "token", "value": "⟪t⟫", "type": "string" } ] },
  "item": [
    { "name": "List orders", "request": { "method": "GET",
      "header": [ { "key": "X-Api-Key", "value": "⟪k⟫" } ],
      "url": "https://api.⟪dom⟫/v1/orders" } }
  ]
}
""",
        n=cap(org()),
        t=S(jwt()),
        k=S(generic_key()),
        dom=org_domain(),
    )


@pos("cookies_txt")
def _():
    d = org_domain()
    return build(
        """# Netscape HTTP Cookie File
.⟪d⟫	TRUE	/	TRUE	⟪e1⟫	sessionid	⟪s1⟫
.⟪d⟫	TRUE	/	FALSE	⟪e2⟫	csrftoken	⟪csrf⟫
.⟪d⟫	TRUE	/	TRUE	⟪e3⟫	remember_token	⟪s2⟫
""",
        d=d,
        e1=R.randint(1735000000, 1765000000),
        s1=S(rs(32, LOW + DIG)),
        e2=R.randint(1735000000, 1765000000),
        csrf=rs(32),
        e3=R.randint(1735000000, 1765000000),
        s2=S(rs(20, DIG) + "|" + hx(64)),
    )


# ---------- source code
@pos("python_source")
def _():
    return build(
        """import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="⟪ak⟫",
    aws_secret_access_key="⟪sk⟫",
    region_name="eu-central-1",
)

def upload(path, key):
    s3.upload_file(path, "⟪b⟫-exports", key)
""",
        ak=S(aws_akid()),
        sk=S(aws_secret()),
        b=org(),
    )


@pos("python_source")
def _():
    return build(
        """import psycopg2, requests

conn = psycopg2.connect(host="⟪h⟫", dbname="⟪db⟫", user="⟪u⟫", password="⟪p⟫")

resp = requests.post(
    "https://api.⟪dom⟫/v1/sync",
    headers={"Authorization": "Bearer ⟪t⟫", "Content-Type": "application/json"},
    json={"since": "⟪d⟫"},
    timeout=30,
)
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("rich")),
        dom=org_domain(),
        t=S(vendor_secret()),
        d=date(),
    )


@pos("python_source")
def _():
    return build(
        """import smtplib
from email.message import EmailMessage

msg = EmailMessage()
msg["From"] = "⟪f⟫"
msg["To"] = "⟪t⟫"
msg["Subject"] = "Nightly report"
msg.set_content(open("report.txt").read())

with smtplib.SMTP_SSL("smtp.gmail.com", 465) as s:
    s.login("⟪f2⟫", "⟪ap⟫")
    s.send_message(msg)
""",
        f=E(email("personal")),
        t=E(email("work")),
        f2=E(email("personal")),
        ap=S(rs(16, LOW)),
    )


@pos("django_settings")
def _():
    return build(
        """# settings/production.py
SECRET_KEY = '⟪sk⟫'
DEBUG = False
ALLOWED_HOSTS = ['⟪dom⟫', '⟪ip⟫']

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': '⟪db⟫',
        'USER': '⟪u⟫',
        'PASSWORD': '⟪p⟫',
        'HOST': '⟪h⟫',
    }
}

EMAIL_HOST_USER = '⟪em⟫'
EMAIL_HOST_PASSWORD = '⟪ep⟫'
ADMINS = [('⟪name⟫', '⟪em2⟫')]
""",
        sk=S(django_key()),
        dom=org_domain(),
        ip=I(ipv4()),
        db=dbname(),
        u=user(),
        p=S(pw("std")),
        h=host(),
        em=E(email("role")),
        ep=S(pw("std")),
        name=person(),
        em2=E(email("work")),
    )


@pos("flask_config")
def _():
    return build(
        """class ProductionConfig(Config):
    SECRET_KEY = "⟪sk⟫"
    SQLALCHEMY_DATABASE_URI = "mysql+pymysql://⟪u⟫:⟪p⟫@⟪h⟫/⟪db⟫"
    MAIL_USERNAME = "⟪em⟫"
    MAIL_PASSWORD = "⟪mp⟫"
    RECAPTCHA_PRIVATE_KEY = "⟪rc⟫"
""",
        sk=S(hx(48)),
        u=user(),
        p=S(pw("url")),
        h=host(),
        db=dbname(),
        em=E(email()),
        mp=S(pw("std")),
        rc=S("6L" + rs(38, B64U)),
    )


@pos("python_source")
def _():
    return build(
        """import discord
from telegram.ext import ApplicationBuilder

TELEGRAM_TOKEN = "⟪tg⟫"
app = ApplicationBuilder().token(TELEGRAM_TOKEN).build()

client = discord.Client(intents=discord.Intents.default())
client.run("⟪dc⟫")
""",
        tg=S(telegram_tok()),
        dc=S(discord_tok()),
    )


@pos("python_source")
def _():
    return build(
        """from slack_bolt import App
from twilio.rest import Client
import os

app = App(token="⟪sb⟫", signing_secret="⟪ss⟫")
sms = Client(os.environ["TWILIO_ACCOUNT_SID"], "⟪tt⟫")
sg = SendGridAPIClient(api_key="⟪sg⟫")
""",
        sb=S(slack_bot()),
        ss=S(hx(32)),
        tt=S(twilio_token()),
        sg=S(sendgrid()),
    )


@pos("javascript_source")
def _():
    return build(
        """const express = require('express');
const mongoose = require('mongoose');
const stripe = require('stripe')('⟪sk⟫');

mongoose.connect('mongodb+srv://⟪u⟫:⟪p⟫@cluster0.⟪c⟫.mongodb.net/⟪db⟫?retryWrites=true');

const app = express();
app.listen(process.env.PORT || 3000);
""",
        sk=S(stripe_sk()),
        u=user(),
        p=S(pw("url")),
        c=rs(5, LOW + DIG),
        db=dbname(),
    )


@pos("javascript_source")
def _():
    return build(
        """const nodemailer = require("nodemailer");

const transporter = nodemailer.createTransport({
  host: "smtp.⟪dom⟫",
  port: 465,
  secure: true,
  auth: { user: "⟪em⟫", pass: "⟪p⟫" },
});

await transporter.sendMail({ from: "⟪em2⟫", to: "⟪to⟫", subject: "Welcome", text: body });
""",
        dom=org_domain(),
        em=E(email("role")),
        p=S(pw("rich")),
        em2=E(email("role")),
        to=E(email()),
    )


@pos("typescript_source")
def _():
    return build(
        """import OpenAI from "openai";
import { Pool } from "pg";

export const openai = new OpenAI({ apiKey: "⟪oa⟫" });

export const pool = new Pool({
  connectionString: "postgresql://⟪u⟫:⟪p⟫@⟪h⟫:5432/⟪db⟫",
  max: 10,
});

const HF_TOKEN: string = "⟪hf⟫";
""",
        oa=S(openai_key()),
        u=user(),
        p=S(pw("url")),
        h=host(),
        db=dbname(),
        hf=S(hf_tok()),
    )


@pos("java_source")
def _():
    return build(
        """public class ReportDao {
    private static final String URL = "jdbc:mysql://⟪h⟫:3306/⟪db⟫?useSSL=true";

    public Connection open() throws SQLException {
        return DriverManager.getConnection(URL, "⟪u⟫", "⟪p⟫");
    }

    public Connection openReplica() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://⟪ip⟫:5432/⟪db2⟫?user=⟪u2⟫&password=⟪p2⟫");
    }
}
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("rich")),
        ip=I(ipv4()),
        db2=dbname(),
        u2=user(),
        p2=S(pw("url")),
    )


@pos("java_source")
def _():
    return build(
        """Properties props = new Properties();
props.put("mail.smtp.auth", "true");
props.put("mail.smtp.host", "smtp.⟪dom⟫");
Session session = Session.getInstance(props, new Authenticator() {
    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication("⟪em⟫", "⟪p⟫");
    }
});
AmazonS3 s3 = AmazonS3ClientBuilder.standard()
    .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("⟪ak⟫", "⟪sk⟫")))
    .build();
""",
        dom=org_domain(),
        em=E(email("role")),
        p=S(pw("rich")),
        ak=S(aws_akid()),
        sk=S(aws_secret()),
    )


@pos("csharp_source")
def _():
    return build(
        """using var conn = new SqlConnection("Server=⟪h⟫;Database=⟪db⟫;User Id=⟪u⟫;Password=⟪p⟫;Encrypt=True;");
conn.Open();

var smtp = new SmtpClient("smtp.office365.com", 587)
{
    EnableSsl = true,
    Credentials = new NetworkCredential("⟪em⟫", "⟪mp⟫")
};
var blob = new BlobServiceClient("DefaultEndpointsProtocol=https;AccountName=⟪an⟫;AccountKey=⟪ak⟫;EndpointSuffix=core.windows.net");
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("std")),
        em=E(email("work")),
        mp=S(pw("rich")),
        an=org() + rs(3, DIG),
        ak=S(azure_key()),
    )


@pos("go_source")
def _():
    return build(
        """package main

import (
	"database/sql"
	"context"

	"github.com/google/go-github/v60/github"
	"golang.org/x/oauth2"
	_ "github.com/lib/pq"
)

func main() {
	db, _ := sql.Open("postgres", "host=⟪h⟫ user=⟪u⟫ password=⟪p⟫ dbname=⟪db⟫ sslmode=disable")
	defer db.Close()
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "⟪gh⟫"})
	client := github.NewClient(oauth2.NewClient(context.Background(), ts))
	_ = client
}
""",
        h=host(),
        u=user(),
        p=S(pw("plain")),
        db=dbname(),
        gh=S(pick([gh_pat, gh_fine])()),
    )


@pos("go_source")
def _():
    return build(
        """var cfg = Config{
	ListenAddr:    ":8080",
	UpstreamAddr:  "⟪ip⟫:443",
	RedisPassword: "⟪rp⟫",
	WebhookSecret: "⟪ws⟫",
	AdminEmail:    "⟪em⟫",
}
""",
        ip=I(ipv4()),
        rp=S(pw("std")),
        ws=S(stripe_whsec() if R.random() < 0.5 else hx(40)),
        em=E(email("role")),
    )


@pos("ruby_source")
def _():
    return build(
        """Rails.application.configure do
  config.action_mailer.smtp_settings = {
    address:        "smtp.mailgun.org",
    port:           587,
    user_name:      "⟪em⟫",
    password:       "⟪p⟫",
    authentication: :plain
  }
end

Stripe.api_key = "⟪sk⟫"
Octokit::Client.new(access_token: "⟪gh⟫")
""",
        em=E(email("role")),
        p=S(hx(32) + "-" + hx(8) + "-" + hx(8)),
        sk=S(stripe_sk()),
        gh=S(gh_pat()),
    )


@pos("php_source")
def _():
    return build(
        """<?php
$pdo = new PDO("mysql:host=⟪h⟫;dbname=⟪db⟫;charset=utf8mb4", "⟪u⟫", "⟪p⟫");
$legacy = mysqli_connect("⟪ip⟫", "⟪u2⟫", "⟪p2⟫", "⟪db2⟫");
$mailer->Username = '⟪em⟫';
$mailer->Password = '⟪mp⟫';
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("std")),
        ip=I(ipv4()),
        u2=user(),
        p2=S(pw("std")),
        db2=dbname(),
        em=E(email("work")),
        mp=S(pw("std")),
    )


@pos("wordpress_config")
def _():
    return build(
        """<?php
define( 'DB_NAME', '⟪db⟫' );
define( 'DB_USER', '⟪u⟫' );
define( 'DB_PASSWORD', '⟪p⟫' );
define( 'DB_HOST', 'localhost' );

define( 'AUTH_KEY',         '⟪k1⟫' );
define( 'SECURE_AUTH_KEY',  '⟪k2⟫' );
define( 'LOGGED_IN_SALT',   '⟪k3⟫' );
""",
        db="wp_" + org(),
        u=user(),
        p=S(pw("std")),
        k1=S(wp_salt()),
        k2=S(wp_salt()),
        k3=S(wp_salt()),
    )


@pos("phpmyadmin_config")
def _():
    return build(
        """<?php
$cfg['blowfish_secret'] = '⟪bf⟫';
$i = 0;
$i++;
$cfg['Servers'][$i]['auth_type'] = 'config';
$cfg['Servers'][$i]['host'] = '⟪ip⟫';
$cfg['Servers'][$i]['user'] = '⟪u⟫';
$cfg['Servers'][$i]['password'] = '⟪p⟫';
""",
        bf=S(rs(32)),
        ip=I(ipv4()),
        u=user(),
        p=S(pw("std")),
    )


@pos("rust_source")
def _():
    return build(
        """use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let pool = PgPoolOptions::new()
        .max_connections(5)
        .connect("postgres://⟪u⟫:⟪p⟫@⟪h⟫/⟪db⟫").await?;
    let res = reqwest::Client::new()
        .get("https://api.⟪dom⟫/v3/me")
        .bearer_auth("⟪t⟫")
        .send().await?;
    Ok(())
}
""",
        u=user(),
        p=S(pw("url")),
        h=host(),
        db=dbname(),
        dom=org_domain(),
        t=S(vendor_secret()),
    )


@pos("kotlin_source")
def _():
    return build(
        """object ApiModule {
    private const val API_KEY = "⟪k⟫"

    val client: OkHttpClient = OkHttpClient.Builder()
        .addInterceptor { chain ->
            chain.proceed(chain.request().newBuilder()
                .addHeader("X-Api-Key", API_KEY)
                .addHeader("X-Client-Secret", "⟪cs⟫")
                .build())
        }.build()
}
""",
        k=S(generic_key()),
        cs=S(rs(40, B64U)),
    )


@pos("swift_source")
def _():
    return build(
        """struct Secrets {
    static let algoliaAdminKey = "⟪ak⟫"
    static let backendToken = "⟪bt⟫"
}

var request = URLRequest(url: URL(string: "https://api.⟪dom⟫/v1/profile")!)
request.setValue("Bearer ⟪t⟫", forHTTPHeaderField: "Authorization")
""",
        ak=S(algolia_admin()),
        bt=S(rs(40)),
        dom=org_domain(),
        t=S(jwt()),
    )


@pos("scala_source")
def _():
    return build(
        """val db = Database.forURL(
  url = "jdbc:postgresql://⟪h⟫:5432/⟪db⟫",
  user = "⟪u⟫",
  password = "⟪p⟫",
  driver = "org.postgresql.Driver"
)
val spark = SparkSession.builder
  .config("spark.hadoop.fs.s3a.access.key", "⟪ak⟫")
  .config("spark.hadoop.fs.s3a.secret.key", "⟪sk⟫")
  .getOrCreate()
""",
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("rich")),
        ak=S(aws_akid()),
        sk=S(aws_secret()),
    )


@pos("perl_source")
def _():
    return build(
        """#!/usr/bin/perl
use strict;
use DBI;

my $dbh = DBI->connect("DBI:mysql:database=⟪db⟫;host=⟪h⟫", "⟪u⟫", "⟪p⟫", { RaiseError => 1 })
    or die $DBI::errstr;
my $ftp = Net::FTP->new("⟪ip⟫") or die "Cannot connect";
$ftp->login("⟪u2⟫", "⟪p2⟫");
""",
        db=dbname(),
        h=host(),
        u=user(),
        p=S(pw("std")),
        ip=I(ipv4()),
        u2=user(),
        p2=S(pw("std")),
    )


@pos("r_source")
def _():
    return build(
        """library(DBI)
Sys.setenv(OPENAI_API_KEY = "⟪oa⟫")
con <- dbConnect(RPostgres::Postgres(),
                 host = "⟪h⟫", dbname = "⟪db⟫",
                 user = "⟪u⟫", password = "⟪p⟫")
df <- dbGetQuery(con, "SELECT * FROM survey_responses")
""",
        oa=S(openai_key()),
        h=host(),
        db=dbname(),
        u=user(),
        p=S(pw("rich")),
    )


@pos("lua_source")
def _():
    return build(
        """local redis = require "resty.redis"
local red = redis:new()
red:set_timeouts(1000, 1000, 1000)
local ok, err = red:connect("⟪ip⟫", 6379)
local res, err = red:auth("⟪p⟫")
ngx.req.set_header("X-Internal-Token", "⟪t⟫")
""",
        ip=I(ipv4()),
        p=S(pw("std")),
        t=S(hx(40)),
    )


@pos("dart_source")
def _():
    return build(
        """class Env {
  static const String stripeSecret = '⟪sk⟫';
  static const String supabaseServiceRole = '⟪jw⟫';
  static const String supportEmail = '⟪em⟫';
}
""",
        sk=S(stripe_sk()),
        jw=S(jwt()),
        em=E(email("role")),
    )


@pos("cpp_source")
def _():
    return build(
        """MYSQL *conn = mysql_init(NULL);
if (!mysql_real_connect(conn, "⟪ip⟫", "⟪u⟫", "⟪p⟫", "⟪db⟫", 3306, NULL, 0)) {
    fprintf(stderr, "%s\\n", mysql_error(conn));
    return 1;
}
static const char *API_SECRET = "⟪k⟫";
""",
        ip=I(ipv4()),
        u=user(),
        p=S(pw("std")),
        db=dbname(),
        k=S(generic_key()),
    )


@pos("elixir_config")
def _():
    return build(
        """import Config

config :⟪app⟫, ⟪App⟫.Repo,
  username: "⟪u⟫",
  password: "⟪p⟫",
  hostname: "⟪h⟫",
  database: "⟪db⟫",
  pool_size: 10

config :⟪app⟫, ⟪App⟫Web.Endpoint,
  secret_key_base: "⟪skb⟫"
""",
        app=org(),
        App=cap(org()),
        u=user(),
        p=S(pw("std")),
        h=host(),
        db=dbname(),
        skb=S(rs(64, B64)),
    )


# ---------- shell / ops
@pos("shell_script")
def _():
    return build(
        """#!/usr/bin/env bash
set -euo pipefail
export AWS_ACCESS_KEY_ID=⟪ak⟫
export AWS_SECRET_ACCESS_KEY=⟪sk⟫
mysqldump -h ⟪h⟫ -u ⟪u⟫ -p⟪p⟫ ⟪db⟫ | gzip > /tmp/dump.sql.gz
aws s3 cp /tmp/dump.sql.gz s3://⟪b⟫-backups/$(date +%F)/
""",
        ak=S(aws_akid()),
        sk=S(aws_secret()),
        h=host(),
        u=user(),
        p=S(pw("plain")),
        db=dbname(),
        b=org(),
    )


@pos("shell_script")
def _():
    return build(
        """#!/bin/sh
# push build to the old box
sshpass -p '⟪p⟫' scp -o StrictHostKeyChecking=no build.tar.gz ⟪u⟫@⟪ip⟫:/srv/www/
sshpass -p '⟪p⟫' ssh ⟪u⟫@⟪ip⟫ 'cd /srv/www && tar xzf build.tar.gz'
redis-cli -h ⟪ip2⟫ -a ⟪rp⟫ FLUSHDB
""",
        p=S(pw("plain")),
        u=user(),
        ip=I(ipv4()),
        ip2=I(ipv4()),
        rp=S(pw("plain", "gen")),
    )


@pos("shell_history")
def _():
    return build(
        """  501  cd ~/projects/⟪s⟫
  502  psql "postgresql://⟪u⟫:⟪p⟫@⟪ip⟫:5432/⟪db⟫"
  503  echo "⟪dp⟫" | docker login -u ⟪u2⟫ --password-stdin
  504  export GITHUB_TOKEN=⟪gh⟫
  505  gh repo list
  506  huggingface-cli login --token ⟪hf⟫
""",
        s=svc(),
        u=user(),
        p=S(pw("url")),
        ip=I(ipv4()),
        db=dbname(),
        dp=S(pw("plain")),
        u2=user(),
        gh=S(gh_pat()),
        hf=S(hf_tok()),
    )


@pos("powershell_script")
def _():
    return build(
        """$secure = ConvertTo-SecureString "⟪p⟫" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ("⟪dom⟫\\⟪u⟫", $secure)
Enter-PSSession -ComputerName ⟪ip⟫ -Credential $cred

$spSecret = ConvertTo-SecureString "⟪cs⟫" -AsPlainText -Force
Connect-AzAccount -ServicePrincipal -Tenant "⟪tid⟫" -Credential (New-Object PSCredential("⟪aid⟫", $spSecret))
""",
        p=S(pw("std")),
        dom=org().upper()[:8],
        u=user(),
        ip=I(ipv4()),
        cs=S(rs(3, ALNUM) + "8Q~" + rs(34, B64U + ".~")),
        tid=ruuid(),
        aid=ruuid(),
    )


@pos("makefile")
def _():
    return build(
        """REGISTRY ?= ghcr.io/⟪o⟫
DOCKER_PASS ?= ⟪dp⟫
DO_TOKEN := ⟪do⟫

release:
	echo $(DOCKER_PASS) | docker login ghcr.io -u ⟪u⟫ --password-stdin
	docker push $(REGISTRY)/⟪s⟫:$(VERSION)
	curl -X POST -H "Authorization: Bearer $(DO_TOKEN)" https://api.digitalocean.com/v2/apps/⟪aid⟫/deployments
""",
        o=org(),
        dp=S(gh_pat()),
        do=S(do_tok()),
        u=user(),
        s=svc(),
        aid=ruuid(),
    )


@pos("dockerfile")
def _():
    return build(
        """FROM node:20-alpine
WORKDIR /app
ENV NPM_TOKEN=⟪npm⟫
ENV SENTRY_DSN_SECRET=⟪sd⟫
RUN pip install --index-url https://⟪u⟫:⟪p⟫@pypi.⟪dom⟫/simple internal-tools==2.3.1
COPY . .
RUN npm ci && npm run build
CMD ["node", "dist/server.js"]
""",
        npm=S(npm_tok()),
        sd=S(hx(32)),
        u=user(),
        p=S(pw("url")),
        dom=org_domain(),
    )


@pos("sql_script")
def _():
    return build(
        """-- provisioning for the reporting stack
CREATE USER '⟪u1⟫'@'%' IDENTIFIED BY '⟪p1⟫';
GRANT SELECT ON ⟪db⟫.* TO '⟪u1⟫'@'%';
CREATE ROLE ⟪u2⟫ WITH LOGIN PASSWORD '⟪p2⟫';
ALTER ROLE ⟪u3⟫ WITH PASSWORD '⟪p3⟫' VALID UNTIL '2026-01-01';
ALTER LOGIN [⟪u4⟫] WITH PASSWORD = N'⟪p4⟫';
""",
        u1=user().replace(".", "_"),
        p1=S(pw("std")),
        db=dbname(),
        u2=user().replace(".", "_"),
        p2=S(pw("std")),
        u3=user().replace(".", "_"),
        p3=S(pw("std")),
        u4=user().replace(".", "_"),
        p4=S(pw("std")),
    )


@pos("sql_dump")
def _():
    return build(
        """INSERT INTO `payment_methods` (`id`, `user_email`, `card_number`, `exp`, `created_at`) VALUES
(⟪i1⟫, '⟪e1⟫', '⟪c1⟫', '⟪x1⟫', '⟪d1⟫'),
(⟪i2⟫, '⟪e2⟫', '⟪c2⟫', '⟪x2⟫', '⟪d2⟫'),
(⟪i3⟫, '⟪e3⟫', '⟪c3⟫', '⟪x3⟫', '⟪d3⟫');
""",
        i1=rd(4),
        e1=E(email()),
        c1=C(card("")),
        x1=exp(),
        d1=date(),
        i2=rd(4),
        e2=E(email()),
        c2=C(card("")),
        x2=exp(),
        d2=date(),
        i3=rd(4),
        e3=E(email()),
        c3=C(card("")),
        x3=exp(),
        d3=date(),
    )


# ---------- HTTP / CLI
@pos("curl_command")
def _():
    return build(
        """$ curl -s https://api.⟪dom⟫/v2/invoices?limit=5 \\
    -H "Authorization: Bearer ⟪t⟫" \\
    -H "Accept: application/json"
$ curl -u ⟪u⟫:⟪p⟫ https://⟪ip⟫:8443/admin/health
$ curl -H "x-api-key: ⟪an⟫" -H "anthropic-version: 2023-06-01" https://api.anthropic.com/v1/messages -d @req.json
""",
        dom=org_domain(),
        t=S(jwt()),
        u=user(),
        p=S(pw("plain")),
        ip=I(ipv4()),
        an=S(anthropic_key()),
    )


@pos("curl_command")
def _():
    return build(
        """curl -s --user 'api:⟪mg⟫' \\
  https://api.mailgun.net/v3/mg.⟪dom⟫/messages \\
  -F from='⟪name⟫ <⟪fr⟫>' \\
  -F to=⟪to⟫ \\
  -F subject='Your invoice' \\
  -F text='Thanks for your order!'
""",
        mg=S(mailgun_key()),
        dom=org_domain(),
        name=person(),
        fr=E(email("role")),
        to=E(email()),
    )


@pos("cli_session")
def _():
    return build(
        """$ http POST https://api.⟪dom⟫/v1/exports X-API-Key:⟪k⟫ format=csv
$ wget --user=⟪u⟫ --password=⟪p⟫ ftp://⟪ip⟫/exports/latest.csv
$ doctl auth init -t ⟪do⟫
$ vault login ⟪vt⟫
""",
        dom=org_domain(),
        k=S(generic_key()),
        u=user(),
        p=S(pw("plain")),
        ip=I(ipv4()),
        do=S(do_tok()),
        vt=S(vault_tok()),
    )


@pos("http_request")
def _():
    return build(
        """POST /api/v1/orders HTTP/1.1
Host: shop.⟪dom⟫
Authorization: Bearer ⟪t⟫
Cookie: session=⟪sess⟫; theme=dark; lang=en
X-Forwarded-For: ⟪ip⟫, ⟪lan⟫
Content-Type: application/json

{"email": "⟪em⟫", "sku": "⟪sku⟫", "qty": 2}
""",
        dom=org_domain(),
        t=S(jwt()),
        sess=S(rs(48, B64U)),
        ip=I(ipv4()),
        lan=priv_ip(),
        em=E(email()),
        sku=rs(3, UP) + "-" + rs(4, DIG),
    )


@pos("http_response")
def _():
    return build(
        """HTTP/2 200
content-type: application/json
set-cookie: __Host-sid=⟪sid⟫; Path=/; Secure; HttpOnly; SameSite=Lax

{
  "access_token": "⟪at⟫",
  "token_type": "Bearer",
  "expires_in": 3600,
  "refresh_token": "⟪rt⟫",
  "user": {"id": ⟪uid⟫, "email": "⟪em⟫"}
}
""",
        sid=S(rs(43, B64U)),
        at=S(jwt()),
        rt=S(rs(64, B64U)),
        uid=rd(6),
        em=E(email()),
    )


@pos("http_request")
def _():
    return build(
        """GET /admin/ HTTP/1.1
Host: ⟪ip⟫:8080
Authorization: Basic ⟪b⟫
User-Agent: python-requests/2.31.0
X-Shopify-Access-Token: ⟪sh⟫
""",
        ip=I(ipv4()),
        b=S(basic_b64(user(), pw("std"))),
        sh=S(shopify_tok()),
    )


# ---------- logs
@pos("app_log")
def _():
    return build(
        """⟪t1⟫ ERROR [worker-3] sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "⟪h⟫" (⟪lan⟫), port 5432 failed: FATAL:  password authentication failed for user "⟪u⟫"
⟪t2⟫ DEBUG [worker-3] retry with dsn=postgresql://⟪u⟫:⟪p⟫@⟪h⟫:5432/⟪db⟫
⟪t3⟫ INFO  [http] 401 POST /login from ⟪ip⟫ user=⟪em⟫
""",
        t1=ts(),
        h=host(),
        lan=priv_ip(),
        u=user(),
        t2=ts(),
        p=S(pw("url")),
        db=dbname(),
        t3=ts(),
        ip=I(ipv4()),
        em=E(email()),
    )


@pos("nginx_access_log")
def _():
    return build(
        """⟪ip1⟫ - - [⟪t1⟫] "GET /password/reset?token=⟪tok⟫ HTTP/1.1" 200 5123 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
⟪ip2⟫ - - [⟪t2⟫] "GET /api/export?api_key=⟪k⟫&format=csv HTTP/1.1" 200 88412 "-" "curl/8.4.0"
⟪ip3⟫ - - [⟪t3⟫] "GET /static/app.css HTTP/1.1" 304 0 "https://www.⟪dom⟫/" "Mozilla/5.0"
""",
        ip1=I(ipv4()),
        t1=clf_time(),
        tok=S(rs(40, B64U)),
        ip2=I(ipv4()),
        t2=clf_time(),
        k=S(hx(32)),
        ip3=I(ip_any()),
        t3=clf_time(),
        dom=org_domain(),
    )


@pos("java_stacktrace")
def _():
    return build(
        """⟪t⟫ WARN  c.z.h.HikariConfig - HikariPool-1 - jdbcUrl=jdbc:mysql://⟪ip⟫:3306/⟪db⟫, username=⟪u⟫, password=⟪p⟫
⟪t2⟫ ERROR c.z.h.pool.HikariPool - HikariPool-1 - Exception during pool initialization.
java.sql.SQLException: Access denied for user '⟪u⟫'@'⟪lan⟫' (using password: YES)
	at com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)
	at com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:828)
	at com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)
""",
        t=ts(),
        ip=I(ipv4()),
        db=dbname(),
        u=user(),
        p=S(pw("std")),
        t2=ts(),
        lan=priv_ip(),
    )


@pos("json_log")
def _():
    return build(
        """{"ts":"⟪t⟫","level":"debug","msg":"outgoing request","method":"POST","url":"https://api.openai.com/v1/chat/completions","headers":{"Authorization":"Bearer ⟪oa⟫","Content-Type":"application/json"},"client_ip":"⟪ip⟫","user":"⟪em⟫"}
{"ts":"⟪t2⟫","level":"info","msg":"response","status":200,"latency_ms":⟪ms⟫}
""",
        t=ts(),
        oa=S(openai_key()),
        ip=I(ip_any()),
        em=E(email()),
        t2=ts(),
        ms=R.randint(200, 4000),
    )


@pos("ci_log")
def _():
    return build(
        """Run printenv | sort
CI=true
DATABASE_URL=mysql://⟪u⟫:⟪p⟫@⟪h⟫:3306/⟪db⟫
GITHUB_ACTIONS=true
HOME=/home/runner
NPM_TOKEN=⟪npm⟫
RUNNER_OS=Linux
SLACK_WEBHOOK_TOKEN=⟪sl⟫
STRIPE_KEY=⟪sk⟫
""",
        u=user(),
        p=S(pw("url")),
        h=host(),
        db=dbname(),
        npm=S(npm_tok()),
        sl=S(slack_bot()),
        sk=S(stripe_sk()),
    )


@pos("firewall_log")
def _():
    def line():
        return "kernel: [UFW BLOCK] IN=eth0 OUT= MAC=%s SRC=⟪%s⟫ DST=%s LEN=%d PROTO=TCP SPT=%d DPT=%d"

    ips = {}
    lines = []
    for i in range(3):
        mac = ":".join(hx(2) for _ in range(14))
        k = "ip%d" % i
        ips[k] = I(ipv4())
        lines.append(
            "%s %s " % (mon(), R.randint(1, 28))
            + "%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))
            + " fw01 "
            + line() % (mac, k, priv_ip(), R.randint(40, 60), R.randint(1024, 65000), pick([22, 23, 3389, 445, 5900]))
        )
    return build("\n".join(lines) + "\n", **ips)


@pos("fail2ban_log")
def _():
    return build(
        """⟪d⟫ 03:12:44,118 fail2ban.actions [812]: NOTICE  [sshd] Ban ⟪ip1⟫
⟪d⟫ 03:14:02,551 fail2ban.actions [812]: NOTICE  [sshd] Ban ⟪ip2⟫
⟪d⟫ 03:20:19,007 fail2ban.actions [812]: NOTICE  [postfix-sasl] Ban ⟪ip3⟫
⟪d⟫ 04:12:44,120 fail2ban.actions [812]: NOTICE  [sshd] Unban ⟪ip1⟫
""",
        d=date(),
        ip1=I(ipv4()),
        ip2=I(ipv4()),
        ip3=I(ip_any()),
    )


@pos("traceroute_output")
def _():
    return build(
        """traceroute to ⟪dom⟫ (⟪dst⟫), 30 hops max, 60 byte packets
 1  _gateway (⟪gw⟫)  0.512 ms  0.488 ms  0.471 ms
 2  ⟪h2⟫ (⟪ip2⟫)  8.112 ms  8.090 ms  8.204 ms
 3  ⟪h3⟫ (⟪ip3⟫)  11.731 ms  11.702 ms  11.690 ms
 4  * * *
 5  ⟪dst2⟫  19.004 ms  18.977 ms  19.120 ms
""",
        dom=org_domain(),
        dst=I(ipv4()),
        gw=priv_ip(),
        h2="ae" + str(R.randint(1, 9)) + ".cr1." + pick(["fra", "ams", "lon", "par"]) + "1.isp.net",
        ip2=I(ipv4()),
        h3="be" + str(R.randint(10, 99)) + ".core" + str(R.randint(1, 4)) + ".ix.net",
        ip3=I(ipv4()),
        dst2=I(ipv4()),
    )


@pos("dns_zone")
def _():
    return build(
        """$ORIGIN ⟪dom⟫.
$TTL 3600
@       IN SOA ns1.⟪dom⟫. hostmaster.⟪dom⟫. ( 2024061201 7200 3600 1209600 3600 )
@       IN A     ⟪a1⟫
www     IN A     ⟪a2⟫
www     IN AAAA  ⟪a6⟫
mail    IN A     ⟪a3⟫
@       IN TXT   "v=spf1 ip4:⟪a3⟫ include:_spf.google.com ~all"
_dmarc  IN TXT   "v=DMARC1; p=quarantine; rua=mailto:⟪rua⟫"
""",
        dom=org_domain(),
        a1=I(ipv4()),
        a2=I(ipv4()),
        a6=I(ipv6()),
        a3=I(ipv4()),
        rua=E("dmarc-reports@" + org_domain()),
    )


@pos("mail_log")
def _():
    qid = rs(10, UPD)
    return build(
        """⟪m⟫ postfix/smtpd[2211]: ⟪q⟫: client=unknown[⟪ip⟫], sasl_method=LOGIN, sasl_username=⟪su⟫
⟪m⟫ postfix/cleanup[2214]: ⟪q⟫: message-id=<⟪mid⟫@⟪mx⟫>
⟪m⟫ postfix/qmgr[1020]: ⟪q⟫: from=<⟪fr⟫>, size=⟪sz⟫, nrcpt=1 (queue active)
⟪m⟫ postfix/smtp[2216]: ⟪q⟫: to=<⟪to⟫>, relay=mx.⟪dom2⟫[⟪ip2⟫]:25, status=sent (250 OK)
""",
        m="%s %2d %s" % (mon(), R.randint(1, 28), hhmm() + ":%02d" % R.randint(0, 59)),
        q=qid,
        ip=I(ipv4()),
        su=E(email("work")),
        mid=date().replace("-", "") + "%06d." % R.randint(0, 235959) + rs(8, UPD),
        mx=pick(["mx01", "mail", "smtp-out"]),
        fr=E(email("work")),
        sz=R.randint(1000, 90000),
        to=E(email()),
        dom2=org_domain(),
        ip2=I(ipv4()),
    )


@pos("email_headers")
def _():
    return build(
        """Received: from mail-out.⟪dom⟫ (mail-out.⟪dom⟫ [⟪ip⟫])
        by mx1.⟪dom2⟫ with ESMTPS id ⟪id⟫; ⟪dt⟫
X-Originating-IP: [⟪ip2⟫]
From: "⟪name⟫" <⟪fr⟫>
To: ⟪to⟫
Reply-To: ⟪rt⟫
Subject: Re: quarterly numbers
""",
        dom=org_domain(),
        ip=I(ipv4()),
        dom2=org_domain(),
        id=rs(12, LOW + DIG),
        dt="Tue, %d %s 2024 %s:11 +0200" % (R.randint(1, 28), mon(), hhmm()),
        ip2=I(ipv4()),
        name=person(),
        fr=E(email("work")),
        to=E(email("work")),
        rt=E(email()),
    )


@pos("git_log")
def _():
    return build(
        """commit ⟪sha⟫
Author: ⟪name⟫ <⟪em⟫>
Date:   Mon ⟪m⟫ ⟪d⟫ 14:02:11 2024 +0100

    wip: hook up payments

diff --git a/config/local.env b/config/local.env
--- a/config/local.env
+++ b/config/local.env
@@ -3,2 +3,4 @@
 PAYMENT_MODE=live
+STRIPE_API_KEY=⟪sk⟫
+PAYPAL_CLIENT_SECRET=⟪pp⟫
""",
        sha=hx(40),
        name=person(),
        em=E(email()),
        m=mon(),
        d=R.randint(1, 28),
        sk=S(stripe_sk()),
        pp=S(rs(80, B64U)),
    )


@pos("diff_patch")
def _():
    return build(
        """--- a/deploy/values.yaml
+++ b/deploy/values.yaml
@@ -12,7 +12,7 @@ postgresql:
   auth:
     username: ⟪u⟫
-    password: ⟪old⟫
+    password: ⟪new⟫
     database: ⟪db⟫
 rabbitmq:
-  url: amqp://⟪u2⟫:⟪rp⟫@rabbitmq:5672/
+  url: amqp://⟪u2⟫:⟪rp2⟫@rabbitmq:5672/
""",
        u=user(),
        old=S(pw("std")),
        new=S(pw("std")),
        db=dbname(),
        u2=user(),
        rp=S(pw("url")),
        rp2=S(pw("url")),
    )


@pos("jupyter_notebook")
def _():
    return build(
        """{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": [
    "import openai\\n",
    "openai.api_key = \\"⟪oa⟫\\"\\n",
    "client = Client(token=\\"⟪hf⟫\\")\\n"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 4,
   "metadata": {},
   "outputs": [{"name": "stdout", "output_type": "stream", "text": ["connected as ⟪em⟫\\n"]}],
   "source": ["print(whoami())"]
  }
 ],
 "nbformat": 4,
 "nbformat_minor": 5
}
""",
        oa=S(openai_key()),
        hf=S(hf_tok()),
        em=E(email()),
    )


@pos("jupyter_notebook")
def _():
    return build(
        """{"cell_type": "code", "metadata": {}, "source": ["engine = create_engine(\\"snowflake://⟪u⟫:⟪p⟫@⟪acct⟫/ANALYTICS/PUBLIC?warehouse=WH\\")\\n", "kaggle_key = \\"⟪kk⟫\\"\\n", "wandb.login(key=\\"⟪wb⟫\\")"], "outputs": []}
""",
        u=user(),
        p=S(pw("url")),
        acct=rs(2, LOW) + rd(5),
        kk=S(hx(32)),
        wb=S(hx(40)),
    )


# ---------- docs / prose
@pos("readme")
def _():
    return build(
        """## Quickstart

1. Clone the repo and install deps: `pip install -r requirements.txt`
2. Export your keys (the ones below are my dev keys, replace them):

```bash
export HF_TOKEN=⟪hf⟫
export REPLICATE_API_TOKEN=⟪rp⟫
export GROQ_API_KEY=⟪gq⟫
```

3. Run `python app.py` and open http://localhost:7860
""",
        hf=S(hf_tok()),
        rp=S(replicate_tok()),
        gq=S(groq_key()),
    )


@pos("readme")
def _():
    return build(
        """# ⟪n⟫ staging

Default admin login for the staging box (⟪ip⟫): `⟪u⟫` / `⟪p⟫`

Mongo: `mongodb://⟪mu⟫:⟪mp⟫@⟪ip2⟫:27017/?authSource=admin`

Questions → ⟪em⟫
""",
        n=cap(org()),
        ip=I(ipv4()),
        u=user(),
        p=S(pw("std")),
        mu=user(),
        mp=S(pw("url")),
        ip2=I(ipv4()),
        em=E(email("work")),
    )


@pos("forum_post")
def _():
    return build(
        """**Can't connect to RDS from Lambda, timeout after 30s**

I've checked the security group a hundred times. Here's the handler:

```python
conn = pymysql.connect(host="⟪h⟫.⟪rid⟫.eu-west-1.rds.amazonaws.com",
                       user="⟪u⟫", password="⟪p⟫", db="⟪db⟫")
```

My laptop is ⟪ip⟫ and that one is whitelisted and works. Any idea? Thanks!
""",
        h=svc(),
        rid=rs(12, LOW + DIG),
        u=user(),
        p=S(pw("rich")),
        db=dbname(),
        ip=I(ipv4()),
    )


@pos("qa_answer")
def _():
    return build(
        """You're passing the key as a query parameter, but the endpoint wants it in a header. Try:

    curl -H "Authorization: token ⟪gh⟫" https://api.github.com/user/repos

Also, you posted your real token in the question (⟪gh2⟫). Revoke it now!
""",
        gh=S(gh_pat()),
        gh2=S(gh_pat()),
    )


@pos("issue_report")
def _():
    return build(
        """### Bug report

**Steps to reproduce**
1. Log in as ⟪em⟫
2. Call `GET /v2/me` with the token below
3. Observe 500

Token from devtools: `⟪jw⟫`

**Environment**: Chrome 124, server ⟪ip⟫
""",
        em=E(email()),
        jw=S(jwt()),
        ip=I(ipv4()),
    )


@pos("chat_log")
def _():
    return build(
        """[⟪t1⟫] ⟪a⟫: can someone send me the staging db password? vault is down again
[⟪t2⟫] ⟪b⟫: sure, it's ⟪p⟫
[⟪t3⟫] ⟪b⟫: and the readonly user is reporting / ⟪p2⟫
[⟪t4⟫] ⟪a⟫: thx! also what's the bastion IP?
[⟪t5⟫] ⟪b⟫: ⟪ip⟫, ping ⟪em⟫ if your key doesn't work
""",
        t1=hhmm(),
        a=first(),
        t2=hhmm(),
        b=first(),
        p=S(pw("rich")),
        t3=hhmm(),
        p2=S(pw("rich")),
        t4=hhmm(),
        t5=hhmm(),
        ip=I(ipv4()),
        em=E(email("work")),
    )


@pos("irc_log")
def _():
    return build(
        """<⟪n1⟫> try `redis-cli -h ⟪ip⟫ -a ⟪rp⟫ info replication`
<⟪n2⟫> NOAUTH Authentication required.
<⟪n1⟫> oh wait, they rotated it, use ⟪rp2⟫ instead
<⟪n2⟫> works, thanks
""",
        n1=first() + "_",
        ip=I(ipv4()),
        rp=S(pw("plain", "gen")),
        n2=first() + str(R.randint(1, 99)),
        rp2=S(pw("plain", "gen")),
    )


@pos("email")
def _():
    return build(
        """From: ⟪name⟫ <⟪fr⟫>
To: ⟪to⟫
Subject: Vendor portal access

Hi team,

The new vendor portal is live. Shared login for now:

  user: ⟪u⟫
  pass: ⟪p⟫

Please don't forward this. API key for the integration is ⟪k⟫.

Cheers,
⟪fn⟫
""",
        name=person(),
        fr=E(email("work")),
        to=E(email("role")),
        u=E(email("work")) if R.random() < 0.5 else user(),
        p=S(pw("rich")),
        k=S(generic_key()),
        fn=cap(first()),
    )


@pos("email_signature")
def _():
    return build(
        """--
⟪name⟫
⟪title⟫ | ⟪co⟫
E: ⟪em⟫
M: +⟪cc⟫ ⟪ph⟫
Alt: ⟪em2⟫
""",
        name=person(),
        title=pick(
            ["Head of Operations", "Senior Accountant", "IT Administrator", "Sales Director", "Research Engineer"]
        ),
        co=company(),
        em=E(email("work")),
        cc=pick(["49", "33", "44", "31", "46"]),
        ph=safe_num(3) + " " + safe_num(7),
        em2=E(email("personal")),
    )


@pos("support_ticket")
def _():
    return build(
        """Ticket #⟪tid⟫ - Payment failed
Customer: ⟪name⟫ (⟪em⟫)
Channel: web form, IP ⟪ip⟫

Message:
"I tried three times with my card ⟪cc⟫ exp ⟪ex⟫ and it keeps failing. Please charge it manually."

Agent note: do NOT store the PAN in the ticket, redact before closing.
""",
        tid=rd(6),
        name=person(),
        em=E(email()),
        ip=I(ip_any()),
        cc=C(card()),
        ex=exp(),
    )


@pos("invoice")
def _():
    return build(
        """INVOICE ⟪inv⟫
Bill to: ⟪name⟫ <⟪em⟫>
Date: ⟪d⟫

Item                         Qty   Amount
Annual subscription (Pro)      1   ⟪amt⟫ EUR
VAT 19%                            ⟪vat⟫ EUR

Paid with: ⟪brand⟫ ⟪cc⟫
Transaction from IP ⟪ip⟫
""",
        inv="INV-" + rd(6),
        name=person(),
        em=E(email()),
        d=date(),
        amt="%d.00" % R.randint(100, 900),
        vat="%d.%02d" % (R.randint(19, 170), R.randint(0, 99)),
        brand=pick(["Card", "Credit card", "Debit card"]),
        cc=C(card()),
        ip=I(ipv4()),
    )


@pos("receipt")
def _():
    return build(
        """*** ⟪shop⟫ ***
Order ⟪o⟫   ⟪d⟫ ⟪t⟫
2 x Espresso beans 1kg     ⟪a⟫
Subtotal                   ⟪a⟫
CARD                       ⟪cc⟫
Receipt sent to ⟪em⟫
""",
        shop=cap(org()).upper(),
        o=rd(8),
        d=date(),
        t=hhmm(),
        a="%d.%02d" % (R.randint(20, 80), R.randint(0, 99)),
        cc=C(card(pick(["", " "]))),
        em=E(email()),
    )


@pos("csv_export")
def _():
    rows = []
    kw = {}
    for i in range(4):
        kw["e%d" % i] = E(email())
        kw["p%d" % i] = S(pw(pick(["std", "rich", "plain"])))
        kw["i%d" % i] = I(ip_any())
        rows.append("%s,⟪e%d⟫,⟪p%d⟫,%s,⟪i%d⟫" % (rd(4), i, i, date(), i))
    return build("id,email,password,last_login,last_ip\n" + "\n".join(rows) + "\n", **kw)


@pos("csv_export")
def _():
    rows = []
    kw = {}
    for i in range(4):
        kw["c%d" % i] = C(card(pick(["", " ", "-"])))
        kw["e%d" % i] = E(email())
        rows.append('"%s",⟪c%d⟫,%s,⟪e%d⟫,%s' % (person(), i, exp(), i, pick(["paid", "failed", "refunded"])))
    return build("cardholder,card_number,expiry,email,status\n" + "\n".join(rows) + "\n", **kw)


@pos("csv_export")
def _():
    rows = []
    kw = {}
    for i in range(3):
        kw["i%d" % i] = I(ipv4())
        kw["e%d" % i] = E(email("personal"))
        kw["c%d" % i] = C(card(""))
        rows.append("%s;⟪i%d⟫;⟪e%d⟫;⟪c%d⟫;%d" % (ts(), i, i, i, R.randint(40, 99)))
    return build("timestamp;ip;email;pan;risk_score\n" + "\n".join(rows) + "\n", **kw)


@pos("spreadsheet_tsv")
def _():
    rows = []
    kw = {}
    for i, sv in enumerate(
        pick(
            [
                ["Router admin", "NAS", "Printer"],
                ["Jira", "AWS root", "Office wifi"],
                ["Shopify", "Bank portal", "Domain registrar"],
            ]
        )
    ):
        kw["u%d" % i] = E(email()) if i != 2 else user()
        kw["p%d" % i] = S(pw("rich"))
        rows.append("%s\t⟪u%d⟫\t⟪p%d⟫\t%s" % (sv, i, i, pick(["", "rotate Q3", "shared", "MFA on"])))
    return build("Service\tLogin\tPassword\tNotes\n" + "\n".join(rows) + "\n", **kw)


@pos("markdown_table")
def _():
    return build(
        """| Environment | Host | User | Password | API key |
|---|---|---|---|---|
| dev | ⟪ip1⟫ | ⟪u1⟫ | ⟪p1⟫ | ⟪k1⟫ |
| staging | ⟪ip2⟫ | ⟪u2⟫ | ⟪p2⟫ | ⟪k2⟫ |
| prod | ⟪h⟫ | ⟪u3⟫ | ⟪p3⟫ | ⟪k3⟫ |
""",
        ip1=I(ipv4()),
        u1=user(),
        p1=S(pw("std")),
        k1=S(generic_key()),
        ip2=I(ipv4()),
        u2=user(),
        p2=S(pw("std")),
        k2=S(generic_key()),
        h=host(),
        u3=user(),
        p3=S(pw("std")),
        k3=S(generic_key()),
    )


@pos("markdown_table")
def _():
    kw, rows = {}, []
    for i in range(3):
        kw["n%d" % i] = person()
        kw["e%d" % i] = E(email())
        kw["c%d" % i] = C(card(pick([" ", "-"])))
        rows.append("| ⟪n%d⟫ | ⟪e%d⟫ | ⟪c%d⟫ | %s |" % (i, i, i, exp()))
    return build(
        "Chargebacks to dispute:\n\n| Customer | Email | Card | Exp |\n|---|---|---|---|\n" + "\n".join(rows) + "\n",
        **kw,
    )


@pos("wiki_table")
def _():
    return build(
        """== Shared accounts ==
{| class="wikitable"
! Service !! Address !! Login !! Password
|-
| Monitoring || ⟪ip⟫ || ⟪u⟫ || ⟪p⟫
|-
| Mail relay || smtp.⟪dom⟫ || ⟪em⟫ || ⟪p2⟫
|-
| PBX || ⟪ip2⟫ || admin || ⟪p3⟫
|}
""",
        ip=I(ipv4()),
        u=user(),
        p=S(pw("rich")),
        dom=org_domain(),
        em=E(email("role")),
        p2=S(pw("rich")),
        ip2=I(ipv4()),
        p3=S(pw("rich")),
    )


@pos("html_form")
def _():
    return build(
        """<form action="/checkout" method="post">
  <input type="hidden" name="merchant_key" value="⟪mk⟫">
  <input type="email" name="email" value="⟪em⟫">
  <input type="text" name="cc_number" value="⟪cc⟫" autocomplete="cc-number">
  <input type="text" name="cc_exp" value="⟪ex⟫">
  <button type="submit">Pay now</button>
</form>
""",
        mk=S(rs(32)),
        em=E(email()),
        cc=C(card()),
        ex=exp(),
    )


@pos("html_page")
def _():
    return build(
        """<!doctype html>
<html><head>
<script>
  window.GMAPS_KEY = "⟪gk⟫";
  const ALGOLIA_ADMIN = "⟪al⟫";
</script>
</head><body>
<footer>Contact: <a href="mailto:⟪em⟫">⟪em⟫</a> &middot; Server: ⟪ip⟫</footer>
</body></html>
""",
        gk=S(google_key()),
        al=S(algolia_admin()),
        em=E(email("role")),
        ip=I(ipv4()),
    )


@pos("latex_document")
def _():
    return build(
        r"""\section*{Lab 3: Connecting to the cluster}
Log in with \texttt{ssh student@⟪ip⟫} and use the password \texttt{⟪p⟫} for the first login.
The database account is \verb|⟪u⟫| with password \verb|⟪p2⟫|.
Questions: \href{mailto:⟪em⟫}{⟪em⟫}.
""",
        ip=I(ipv4()),
        p=S(pw("alnum")),
        u=user(),
        p2=S(pw("plain")),
        em=E(email("work")),
    )


@pos("chat_log")
def _():
    return build(
        """Customer (⟪t1⟫): hi, my payment didn't go through
Agent (⟪t2⟫): Sorry about that! Could you confirm the email on the account?
Customer (⟪t3⟫): ⟪em⟫
Customer (⟪t4⟫): card is ⟪cc⟫, expiry ⟪ex⟫, cvv ⟪cv⟫
Agent (⟪t5⟫): Please never share full card details in chat. I've masked it on our side.
""",
        t1=hhmm(),
        t2=hhmm(),
        t3=hhmm(),
        em=E(email()),
        t4=hhmm(),
        cc=C(card()),
        ex=exp(),
        cv=cvc(),
        t5=hhmm(),
    )


@pos("order_json")
def _():
    return build(
        """{"order_id":"⟪oid⟫","customer":{"email":"⟪em⟫","ip":"⟪ip⟫"},"payment":{"method":"card","number":"⟪cc⟫","exp_month":⟪m⟫,"exp_year":⟪y⟫,"cvc":"⟪cv⟫"},"total":⟪tot⟫}
""",
        oid="ord_" + rs(14),
        em=E(email()),
        ip=I(ip_any()),
        cc=C(card("")),
        m=R.randint(1, 12),
        y=R.randint(2025, 2031),
        cv=cvc(),
        tot="%d.%02d" % (R.randint(5, 500), R.randint(0, 99)),
    )


@pos("payment_log")
def _():
    return build(
        """⟪t1⟫ [gateway] auth request merchant=⟪mid⟫ PAN=⟪c1⟫ amount=⟪a⟫ currency=EUR
⟪t1⟫ [gateway] auth declined code=05 (do not honour)
⟪t2⟫ [gateway] auth request merchant=⟪mid⟫ PAN=⟪c2⟫ amount=⟪a⟫ currency=EUR
⟪t2⟫ [gateway] auth approved rrn=⟪rrn⟫ client_ip=⟪ip⟫
""",
        t1=ts(),
        mid=rd(8),
        c1=C(card("")),
        a=R.randint(10, 2000),
        t2=ts(),
        c2=C(card("")),
        rrn=safe_num(12),
        ip=I(ipv4()),
    )


@pos("sms_transcript")
def _():
    return build(
        """[⟪d⟫ ⟪t⟫] Me: can u book the flights? use my card
[⟪d⟫ ⟪t2⟫] Me: ⟪cc⟫ ⟪ex⟫
[⟪d⟫ ⟪t3⟫] ⟪n⟫: got it, confirmation goes to ⟪em⟫ right?
""",
        d=date(),
        t=hhmm(),
        t2=hhmm(),
        cc=C(card(" ")),
        ex=exp(),
        t3=hhmm(),
        n=cap(first()),
        em=E(email("personal")),
    )


@pos("call_transcript")
def _():
    return build(
        """AGENT: Thank you for calling. Can I have the card number for the booking?
CALLER: Yes, it's ⟪cc⟫.
AGENT: And the e-mail for the confirmation?
CALLER: ⟪em⟫.
""",
        cc=C(card(pick([" ", "-"]))),
        em=E(email("personal")),
    )


@pos("ocr_text")
def _():
    return build(
        """SCAN_⟪n⟫.jpg (OCR)
----------------------------
⟪bank⟫
⟪cc⟫
VALID THRU ⟪ex⟫
⟪name⟫
""",
        n=rd(4),
        bank=pick(["PLATINUM", "GOLD", "DEBIT", "BUSINESS"]),
        cc=C(card(" ")),
        ex=exp(),
        name=person().upper(),
    )


@pos("mongo_export")
def _():
    return build(
        """{"_id":{"$oid":"⟪o1⟫"},"email":"⟪e1⟫","billing":{"card":"⟪c1⟫","zip":"⟪z1⟫"}}
{"_id":{"$oid":"⟪o2⟫"},"email":"⟪e2⟫","billing":{"card":"⟪c2⟫","zip":"⟪z2⟫"}}
""",
        o1=hx(24),
        e1=E(email()),
        c1=C(card("")),
        z1=rd(5),
        o2=hx(24),
        e2=E(email()),
        c2=C(card("")),
        z2=rd(5),
    )


@pos("php_source")
def _():
    return build(
        """<?php
// TODO remove before go-live
$testOrder = [
    'email'  => '⟪em⟫',
    'card'   => '⟪cc⟫',
    'cvv'    => '⟪cv⟫',
    'apiKey' => '⟪k⟫',
];
$gateway->charge($testOrder);
""",
        em=E(email()),
        cc=C(card()),
        cv=cvc(),
        k=S(square_tok()),
    )


@pos("email")
def _():
    return build(
        """Subject: Re: renewal

Hi ⟪n⟫,

Please charge the renewal to our company card ⟪cc⟫ (exp ⟪ex⟫) and send the invoice to ⟪em⟫.

Thanks,
⟪n2⟫
""",
        n=cap(first()),
        cc=C(card()),
        ex=exp(),
        em=E(email("role")),
        n2=person(),
    )


@pos("yaml_config")
def _():
    return build(
        """# config/integrations.yml
slack:
  bot_token: ⟪sb⟫
  app_token: ⟪sa⟫
  signing_secret: ⟪ss⟫
linear:
  api_key: ⟪li⟫
notion:
  token: ⟪no⟫
figma:
  token: ⟪fi⟫
""",
        sb=S(slack_bot()),
        sa=S(slack_app()),
        ss=S(hx(32)),
        li=S(linear_key()),
        no=S(notion_key()),
        fi=S(figma_tok()),
    )


@pos("env_file")
def _():
    return build(
        """ATLASSIAN_EMAIL=⟪em⟫
ATLASSIAN_API_TOKEN=⟪at⟫
DROPBOX_ACCESS_TOKEN=⟪db⟫
OKTA_API_TOKEN=⟪ok⟫
POSTMAN_API_KEY=⟪pm⟫
GRAFANA_SA_TOKEN=⟪gr⟫
TF_TOKEN_app_terraform_io=⟪tf⟫
DOPPLER_TOKEN=⟪dp⟫
""",
        em=E(email("work")),
        at=S(atlassian_tok()),
        db=S(dropbox_tok()),
        ok=S(okta_tok()),
        pm=S(postman_key()),
        gr=S(grafana_tok()),
        tf=S(tfc_tok()),
        dp=S(doppler_tok()),
    )


@pos("env_file")
def _():
    return build(
        """# aliyun + misc
ALIBABA_CLOUD_ACCESS_KEY_ID=⟪ai⟫
ALIBABA_CLOUD_ACCESS_KEY_SECRET=⟪as2⟫
PULUMI_ACCESS_TOKEN=⟪pu⟫
GITLAB_RUNNER_TOKEN=⟪gr⟫
TWILIO_API_KEY=⟪tk⟫
TWILIO_API_SECRET=⟪ts⟫
SHOPIFY_ADMIN_TOKEN=⟪sh⟫
""",
        ai=S(alibaba_id()),
        as2=S(alibaba_secret()),
        pu=S(pulumi_tok()),
        gr=S(gitlab_runner()),
        tk=S(twilio_sk()),
        ts=S(rs(32)),
        sh=S(shopify_tok()),
    )


@pos("airflow_cli")
def _():
    return build(
        """airflow connections add 'warehouse' \\
    --conn-uri 'postgres://⟪u⟫:⟪p⟫@⟪ip⟫:5432/⟪db⟫'
airflow connections add 'sftp_partner' \\
    --conn-type sftp --conn-host ⟪ip2⟫ --conn-login ⟪u2⟫ --conn-password '⟪p2⟫'
airflow variables set slack_token ⟪sl⟫
""",
        u=user(),
        p=S(pw("url")),
        ip=I(ipv4()),
        db=dbname(),
        ip2=I(ipv4()),
        u2=user(),
        p2=S(pw("std")),
        sl=S(slack_bot()),
    )


@pos("ldap_cli")
def _():
    return build(
        """$ ldapsearch -x -H ldaps://⟪ip⟫ -D "cn=admin,dc=⟪o⟫,dc=com" -w '⟪p⟫' -b "ou=people,dc=⟪o⟫,dc=com" "(mail=⟪em⟫)"
# ⟪u⟫, people, ⟪o⟫.com
dn: uid=⟪u⟫,ou=people,dc=⟪o⟫,dc=com
mail: ⟪em⟫
userPassword: {SSHA}⟪h⟫
""",
        ip=I(ipv4()),
        o=org(),
        p=S(pw("std")),
        em=E(email("work")),
        u=user().replace(".", ""),
        h=rs(32, B64),
    )


@pos("rdp_file")
def _():
    return build(
        """full address:s:⟪ip⟫:3389
username:s:⟪dom⟫\\⟪u⟫
prompt for credentials:i:0
gatewayhostname:s:⟪gw⟫
screen mode id:i:2
""",
        ip=I(ipv4()),
        dom=org().upper()[:6],
        u=user(),
        gw=I(ipv4()),
    )


@pos("nmap_output")
def _():
    return build(
        """Nmap scan report for ⟪h⟫ (⟪ip⟫)
Host is up (0.021s latency).
PORT     STATE SERVICE
22/tcp   open  ssh
443/tcp  open  https
3306/tcp open  mysql

Nmap scan report for ⟪ip2⟫
Host is up (0.044s latency).
PORT   STATE SERVICE
80/tcp open  http
""",
        h="vpn." + org_domain(),
        ip=I(ipv4()),
        ip2=I(ipv6() if R.random() < 0.3 else ipv4()),
    )


@pos("whois_output")
def _():
    while True:
        net = ipv4().rsplit(".", 1)[0]
        if ip_is_public(net + ".0") and ip_is_public(net + ".255"):
            break
    return build(
        """inetnum:        ⟪a⟫ - ⟪b⟫
netname:        ⟪nn⟫
descr:          ⟪co⟫ hosting
country:        ⟪cc⟫
abuse-mailbox:  ⟪ab⟫
admin-c:        ⟪nic⟫
""",
        a=I(net + ".0"),
        b=I(net + ".255"),
        nn=org().upper() + "-NET",
        co=company(),
        cc=pick(["DE", "NL", "FR", "PL", "SE"]),
        ab=E("abuse@" + org_domain()),
        nic=rs(3, UP) + rd(3) + "-RIPE",
    )


# ---------- natural-language messages with labelled passwords (34 languages)
# A: chat message with the password inside a sentence; B: e-mail / notice with a
# "label: value" block plus a contact address.
LANGS = {
    "de": (
        ["Jonas", "Lena", "Felix"],
        "Hi ⟪n⟫, das WLAN-Passwort im Büro wurde geändert. Es lautet jetzt ⟪pw⟫ – bitte nicht weitergeben.",
        "Betreff: Ihr Zugang zum Kundenportal\n\nSehr geehrte Damen und Herren,\n\nanbei Ihre Zugangsdaten:\nBenutzername: ⟪u⟫\nPasswort: ⟪pw⟫\n\nBei Fragen wenden Sie sich bitte an ⟪em⟫.\n\nMit freundlichen Grüßen\n⟪sig⟫",
    ),
    "fr": (
        ["Camille", "Louis", "Chloé"],
        "Salut ⟪n⟫ ! Le mot de passe du wifi de la salle de réunion est ⟪pw⟫, pense à le changer la semaine prochaine.",
        "Objet : Accès à l'intranet\n\nBonjour,\n\nVoici vos identifiants :\nIdentifiant : ⟪u⟫\nMot de passe : ⟪pw⟫\n\nPour toute question, écrivez à ⟪em⟫.\n\nCordialement,\n⟪sig⟫",
    ),
    "es": (
        ["Lucía", "Javier", "Marta"],
        "Hola ⟪n⟫, te paso la contraseña del servidor de pruebas: ⟪pw⟫. No la compartas por correo, porfa.",
        "Asunto: Credenciales de acceso\n\nEstimado/a cliente:\n\nSus datos de acceso son los siguientes:\nUsuario: ⟪u⟫\nContraseña: ⟪pw⟫\n\nSi tiene alguna duda, contacte con ⟪em⟫.\n\nUn saludo,\n⟪sig⟫",
    ),
    "pt": (
        ["João", "Beatriz", "Rafael"],
        "Oi ⟪n⟫, a senha do roteador é ⟪pw⟫ — anota aí que eu vou trocar no mês que vem.",
        "Assunto: Dados de acesso ao sistema\n\nOlá,\n\nSeguem seus dados de acesso:\nUsuário: ⟪u⟫\nSenha: ⟪pw⟫\n\nQualquer dúvida, fale com ⟪em⟫.\n\nAtenciosamente,\n⟪sig⟫",
    ),
    "it": (
        ["Giulia", "Marco", "Francesca"],
        "Ciao ⟪n⟫, la password del Wi-Fi in ufficio è cambiata: ora è ⟪pw⟫. Non girarla a nessuno!",
        "Oggetto: Credenziali di accesso al portale\n\nGentile cliente,\n\ndi seguito le sue credenziali:\nNome utente: ⟪u⟫\nPassword: ⟪pw⟫\n\nPer assistenza scriva a ⟪em⟫.\n\nCordiali saluti,\n⟪sig⟫",
    ),
    "nl": (
        ["Daan", "Sanne", "Bram"],
        "Hoi ⟪n⟫, het wachtwoord van de NAS is ⟪pw⟫. Wil je het na de migratie weer wijzigen?",
        "Onderwerp: Je inloggegevens\n\nBeste collega,\n\nHierbij je inloggegevens:\nGebruikersnaam: ⟪u⟫\nWachtwoord: ⟪pw⟫\n\nVragen? Mail naar ⟪em⟫.\n\nMet vriendelijke groet,\n⟪sig⟫",
    ),
    "sv": (
        ["Elsa", "Oskar", "Maja"],
        "Hej ⟪n⟫! Lösenordet till wifi:t i stugan är ⟪pw⟫ om du kommer dit före oss.",
        "Ämne: Dina inloggningsuppgifter\n\nHej,\n\nHär är dina uppgifter:\nAnvändarnamn: ⟪u⟫\nLösenord: ⟪pw⟫\n\nKontakta ⟪em⟫ om något krånglar.\n\nMed vänliga hälsningar,\n⟪sig⟫",
    ),
    "da": (
        ["Freja", "Mads", "Ida"],
        "Hej ⟪n⟫, adgangskoden til serveren er ⟪pw⟫ – husk at skifte den efter første login.",
        "Emne: Dine loginoplysninger\n\nKære kunde,\n\nHer er dine oplysninger:\nBrugernavn: ⟪u⟫\nAdgangskode: ⟪pw⟫\n\nSkriv til ⟪em⟫, hvis du har spørgsmål.\n\nVenlig hilsen\n⟪sig⟫",
    ),
    "no": (
        ["Ingrid", "Henrik", "Nora"],
        "Hei ⟪n⟫, passordet til ruteren er ⟪pw⟫. Ikke del det med gjestene, takk.",
        "Emne: Påloggingsinformasjon\n\nHei,\n\nHer er påloggingsinformasjonen din:\nBrukernavn: ⟪u⟫\nPassord: ⟪pw⟫\n\nTa kontakt med ⟪em⟫ ved spørsmål.\n\nMed vennlig hilsen\n⟪sig⟫",
    ),
    "fi": (
        ["Aino", "Eetu", "Venla"],
        "Moi ⟪n⟫! Toimiston wifin salasana on nyt ⟪pw⟫, vaihdoin sen eilen.",
        "Aihe: Kirjautumistietosi\n\nHei,\n\nTässä kirjautumistietosi:\nKäyttäjätunnus: ⟪u⟫\nSalasana: ⟪pw⟫\n\nLisätietoja: ⟪em⟫\n\nYstävällisin terveisin\n⟪sig⟫",
    ),
    "pl": (
        ["Kasia", "Piotr", "Ola"],
        "Cześć ⟪n⟫, hasło do bazy testowej to ⟪pw⟫. Zmień je proszę po wdrożeniu.",
        "Temat: Dane logowania\n\nDzień dobry,\n\nprzesyłam dane dostępowe:\nLogin: ⟪u⟫\nHasło: ⟪pw⟫\n\nW razie pytań proszę pisać na ⟪em⟫.\n\nPozdrawiam,\n⟪sig⟫",
    ),
    "cs": (
        ["Tereza", "Jakub", "Petra"],
        "Ahoj ⟪n⟫, heslo k Wi-Fi v kanceláři je ⟪pw⟫. Prosím, nikomu ho neposílej.",
        "Předmět: Přihlašovací údaje\n\nDobrý den,\n\nzasíláme Vaše přihlašovací údaje:\nUživatelské jméno: ⟪u⟫\nHeslo: ⟪pw⟫\n\nV případě dotazů pište na ⟪em⟫.\n\nS pozdravem\n⟪sig⟫",
    ),
    "sk": (
        ["Zuzana", "Martin", "Lucia"],
        "Ahoj ⟪n⟫, heslo na server je ⟪pw⟫, po prihlásení si ho zmeň.",
        "Predmet: Prihlasovacie údaje\n\nDobrý deň,\n\nposielame Vám prihlasovacie údaje:\nPoužívateľské meno: ⟪u⟫\nHeslo: ⟪pw⟫\n\nS otázkami sa obráťte na ⟪em⟫.\n\nS pozdravom\n⟪sig⟫",
    ),
    "hu": (
        ["Anna", "Bence", "Réka"],
        "Szia ⟪n⟫! A wifi jelszava: ⟪pw⟫ — ne add tovább senkinek.",
        "Tárgy: Belépési adatok\n\nTisztelt Ügyfelünk!\n\nAz Ön belépési adatai:\nFelhasználónév: ⟪u⟫\nJelszó: ⟪pw⟫\n\nKérdés esetén írjon a(z) ⟪em⟫ címre.\n\nÜdvözlettel:\n⟪sig⟫",
    ),
    "ro": (
        ["Ioana", "Andrei", "Maria"],
        "Salut ⟪n⟫, parola de la routerul din birou este ⟪pw⟫. Te rog s-o schimbi după ședință.",
        "Subiect: Date de autentificare\n\nBună ziua,\n\nVă transmitem datele de acces:\nUtilizator: ⟪u⟫\nParolă: ⟪pw⟫\n\nPentru întrebări scrieți la ⟪em⟫.\n\nCu stimă,\n⟪sig⟫",
    ),
    "tr": (
        ["Elif", "Emre", "Zeynep"],
        "Selam ⟪n⟫, sunucunun şifresi ⟪pw⟫ olarak değiştirildi, haberin olsun.",
        "Konu: Giriş bilgileriniz\n\nMerhaba,\n\nSisteme giriş bilgileriniz aşağıdadır:\nKullanıcı adı: ⟪u⟫\nŞifre: ⟪pw⟫\n\nSorularınız için ⟪em⟫ adresine yazabilirsiniz.\n\nSaygılarımızla,\n⟪sig⟫",
    ),
    "ru": (
        ["Аня", "Дима", "Саша"],
        "Привет, ⟪n⟫! Пароль от вайфая в переговорке: ⟪pw⟫. Никому не пересылай, пожалуйста.",
        "Тема: Данные для входа\n\nЗдравствуйте!\n\nВаши данные для входа в систему:\nЛогин: ⟪u⟫\nПароль: ⟪pw⟫\n\nПо всем вопросам пишите на ⟪em⟫.\n\nС уважением,\n⟪sig⟫",
    ),
    "uk": (
        ["Оксана", "Тарас", "Олена"],
        "Привіт, ⟪n⟫! Пароль до сервера тепер ⟪pw⟫ — зміни його після входу.",
        "Тема: Дані для входу\n\nДоброго дня!\n\nНадсилаємо ваші дані для входу:\nЛогін: ⟪u⟫\nПароль: ⟪pw⟫\n\nЗ питаннями звертайтеся на ⟪em⟫.\n\nЗ повагою,\n⟪sig⟫",
    ),
    "bg": (
        ["Мария", "Георги", "Елена"],
        "Здрасти, ⟪n⟫! Паролата за wi-fi-а в офиса е ⟪pw⟫, смених я вчера.",
        "Тема: Данни за вход\n\nЗдравейте,\n\nЕто вашите данни за достъп:\nПотребителско име: ⟪u⟫\nПарола: ⟪pw⟫\n\nПри въпроси пишете на ⟪em⟫.\n\nПоздрави,\n⟪sig⟫",
    ),
    "el": (
        ["Νίκο", "Μαρία", "Γιώργο"],
        "Γεια σου ⟪n⟫, ο κωδικός του wifi στο γραφείο είναι ⟪pw⟫. Μην τον δώσεις σε κανέναν.",
        "Θέμα: Στοιχεία σύνδεσης\n\nΑγαπητέ πελάτη,\n\nΤα στοιχεία σύνδεσής σας είναι:\nΌνομα χρήστη: ⟪u⟫\nΚωδικός πρόσβασης: ⟪pw⟫\n\nΓια απορίες επικοινωνήστε στο ⟪em⟫.\n\nΜε εκτίμηση,\n⟪sig⟫",
    ),
    "ar": (
        ["أحمد", "سارة", "يوسف"],
        "مرحباً ⟪n⟫، كلمة المرور الجديدة للخادم هي ⟪pw⟫ يرجى تغييرها بعد أول تسجيل دخول.",
        "الموضوع: بيانات الدخول\n\nعزيزي العميل،\n\nبيانات الدخول الخاصة بك:\nاسم المستخدم: ⟪u⟫\nكلمة المرور: ⟪pw⟫\n\nللاستفسارات راسلنا على ⟪em⟫\n\nمع التحية،\n⟪sig⟫",
    ),
    "he": (
        ["נועה", "איתי", "מאיה"],
        "היי ⟪n⟫, הסיסמה לוויפי במשרד היא ⟪pw⟫ אל תעביר אותה הלאה.",
        "נושא: פרטי התחברות\n\nשלום,\n\nלהלן פרטי ההתחברות שלך:\nשם משתמש: ⟪u⟫\nסיסמה: ⟪pw⟫\n\nלשאלות ניתן לפנות אל ⟪em⟫\n\nבברכה,\n⟪sig⟫",
    ),
    "fa": (
        ["مریم", "علی", "سینا"],
        "سلام ⟪n⟫، رمز عبور وای‌فای دفتر ⟪pw⟫ است. لطفاً به کسی نده.",
        "موضوع: اطلاعات ورود\n\nسلام،\n\nاطلاعات ورود شما:\nنام کاربری: ⟪u⟫\nرمز عبور: ⟪pw⟫\n\nدر صورت سوال به ⟪em⟫ ایمیل بزنید.\n\nبا احترام،\n⟪sig⟫",
    ),
    "hi": (
        ["राहुल", "प्रिया", "अमित"],
        "नमस्ते ⟪n⟫, ऑफिस के वाई-फाई का पासवर्ड ⟪pw⟫ है, किसी को मत बताना।",
        "विषय: लॉगिन विवरण\n\nनमस्कार,\n\nआपके लॉगिन विवरण इस प्रकार हैं:\nयूज़रनेम: ⟪u⟫\nपासवर्ड: ⟪pw⟫\n\nकिसी भी प्रश्न के लिए ⟪em⟫ पर लिखें।\n\nधन्यवाद,\n⟪sig⟫",
    ),
    "bn": (
        ["রিয়া", "সাকিব", "তানিয়া"],
        "হাই ⟪n⟫, অফিসের ওয়াইফাইয়ের পাসওয়ার্ড হলো ⟪pw⟫ কাউকে দিও না।",
        "বিষয়: লগইন তথ্য\n\nপ্রিয় গ্রাহক,\n\nআপনার লগইন তথ্য:\nইউজারনেম: ⟪u⟫\nপাসওয়ার্ড: ⟪pw⟫\n\nযেকোনো প্রশ্নের জন্য ⟪em⟫ এ লিখুন।\n\nধন্যবাদান্তে,\n⟪sig⟫",
    ),
    "th": (
        ["สมชาย", "มานี", "ปิยะ"],
        "สวัสดี ⟪n⟫ รหัสผ่านไวไฟที่ออฟฟิศคือ ⟪pw⟫ อย่าบอกคนอื่นนะ",
        "เรื่อง: ข้อมูลการเข้าสู่ระบบ\n\nเรียนลูกค้า\n\nข้อมูลการเข้าสู่ระบบของคุณ:\nชื่อผู้ใช้: ⟪u⟫\nรหัสผ่าน: ⟪pw⟫\n\nหากมีคำถาม ติดต่อ ⟪em⟫\n\nขอแสดงความนับถือ\n⟪sig⟫",
    ),
    "vi": (
        ["Minh", "Lan", "Huy"],
        "Chào ⟪n⟫, mật khẩu wifi ở văn phòng là ⟪pw⟫ nhé, đừng gửi cho ai.",
        "Tiêu đề: Thông tin đăng nhập\n\nKính gửi quý khách,\n\nThông tin đăng nhập của quý khách:\nTên đăng nhập: ⟪u⟫\nMật khẩu: ⟪pw⟫\n\nMọi thắc mắc xin gửi về ⟪em⟫.\n\nTrân trọng,\n⟪sig⟫",
    ),
    "id": (
        ["Budi", "Sari", "Dewi"],
        "Halo ⟪n⟫, kata sandi wifi kantor sekarang ⟪pw⟫ ya. Jangan disebar.",
        "Perihal: Informasi login\n\nYth. Pelanggan,\n\nBerikut data login Anda:\nNama pengguna: ⟪u⟫\nKata sandi: ⟪pw⟫\n\nJika ada pertanyaan, hubungi ⟪em⟫.\n\nHormat kami,\n⟪sig⟫",
    ),
    "ms": (
        ["Aisyah", "Hafiz", "Nurul"],
        "Hai ⟪n⟫, kata laluan wifi pejabat ialah ⟪pw⟫. Tolong jangan kongsi dengan orang luar.",
        "Perkara: Maklumat log masuk\n\nTuan/Puan,\n\nBerikut maklumat log masuk anda:\nNama pengguna: ⟪u⟫\nKata laluan: ⟪pw⟫\n\nSebarang pertanyaan, sila e-mel ⟪em⟫.\n\nSekian, terima kasih.\n⟪sig⟫",
    ),
    "ja": (
        ["佐藤", "鈴木", "高橋"],
        "⟪n⟫さん、会議室のWi-Fiのパスワードは「⟪pw⟫」です。外部の方には共有しないでください。",
        "件名：アカウント発行のお知らせ\n\nお客様各位\n\nアカウント情報は以下の通りです。\nユーザー名：⟪u⟫\nパスワード：⟪pw⟫\n\nご不明な点は ⟪em⟫ までお問い合わせください。\n\nよろしくお願いいたします。\n⟪sig⟫",
    ),
    "ko": (
        ["민준", "서연", "지훈"],
        "⟪n⟫님, 사무실 와이파이 비밀번호는 ⟪pw⟫ 입니다. 외부인에게 공유하지 마세요.",
        "제목: 계정 정보 안내\n\n안녕하세요,\n\n요청하신 계정 정보입니다.\n아이디: ⟪u⟫\n비밀번호: ⟪pw⟫\n\n문의 사항은 ⟪em⟫ 으로 연락 주세요.\n\n감사합니다.\n⟪sig⟫",
    ),
    "zh": (
        ["小王", "李娜", "张伟"],
        "⟪n⟫，办公室WiFi的密码改成了⟪pw⟫，别外传哈。",
        "主题：账号开通通知\n\n您好，\n\n您的登录信息如下：\n用户名：⟪u⟫\n密码：⟪pw⟫\n\n如有疑问，请联系 ⟪em⟫。\n\n此致\n⟪sig⟫",
    ),
    "sw": (
        ["Amani", "Neema", "Baraka"],
        "Habari ⟪n⟫, nenosiri la wifi ya ofisini ni ⟪pw⟫ usimpe mtu mwingine.",
        "Kichwa: Taarifa za kuingia\n\nNdugu mteja,\n\nTaarifa zako za kuingia ni:\nJina la mtumiaji: ⟪u⟫\nNenosiri: ⟪pw⟫\n\nKwa maswali wasiliana na ⟪em⟫.\n\nWako,\n⟪sig⟫",
    ),
    "tl": (
        ["Juan", "Maria", "Paolo"],
        "Uy ⟪n⟫, ang password ng wifi sa opisina ay ⟪pw⟫, huwag mong ipamigay ha.",
        "Paksa: Mga detalye ng iyong account\n\nMagandang araw,\n\nNarito ang iyong login details:\nUsername: ⟪u⟫\nPassword: ⟪pw⟫\n\nKung may tanong, mag-email sa ⟪em⟫.\n\nSalamat,\n⟪sig⟫",
    ),
}


def _lang_templates(code, names, a, b):
    @pos("chat_message", lang=code)
    def _a():
        return build(a, n=pick(names), pw=S(pw("rich")))

    @pos("email", lang=code)
    def _b():
        return build(
            b,
            u=user(),
            pw=S(pw("rich")),
            em=E(email()),
            sig=cap(org()) + " " + pick(["IT", "Helpdesk", "Support", "Service Desk"]),
        )


for _code, (_names, _a, _b) in LANGS.items():
    _lang_templates(_code, _names, _a, _b)


# card numbers in support tickets, 8 languages
CARD_LANGS = {
    "es": "Hola, quiero pagar la factura ⟪inv⟫ con mi tarjeta ⟪cc⟫, caduca ⟪ex⟫. Mi correo es ⟪em⟫.",
    "de": "Guten Tag, bitte buchen Sie den Betrag für Rechnung ⟪inv⟫ von meiner Kreditkarte ⟪cc⟫ (gültig bis ⟪ex⟫) ab. Rückfragen an ⟪em⟫.",
    "fr": "Bonjour, pour la commande ⟪inv⟫ vous pouvez débiter ma carte ⟪cc⟫, date d'expiration ⟪ex⟫. Merci de confirmer à ⟪em⟫.",
    "pt": "Bom dia, segue o número do cartão para a fatura ⟪inv⟫: ⟪cc⟫, validade ⟪ex⟫. Meu e-mail: ⟪em⟫.",
    "it": "Buongiorno, addebitate pure l'ordine ⟪inv⟫ sulla carta ⟪cc⟫ con scadenza ⟪ex⟫. Ricevuta a ⟪em⟫, grazie.",
    "nl": "Goedemiddag, u kunt factuur ⟪inv⟫ afschrijven van mijn creditcard ⟪cc⟫, geldig tot ⟪ex⟫. Bevestiging graag naar ⟪em⟫.",
    "pl": "Dzień dobry, proszę obciążyć moją kartę ⟪cc⟫ (ważna do ⟪ex⟫) za zamówienie ⟪inv⟫. Potwierdzenie proszę wysłać na ⟪em⟫.",
    "ja": "お世話になっております。注文番号⟪inv⟫の支払いはカード番号 ⟪cc⟫（有効期限 ⟪ex⟫）でお願いします。領収書は ⟪em⟫ に送ってください。",
}


def _card_template(code, t):
    @pos("support_ticket", lang=code)
    def _c():
        return build(t, inv=pick(["A", "F", "R"]) + "-" + rd(6), cc=C(card()), ex=exp(), em=E(email()))


for _code, _t in CARD_LANGS.items():
    _card_template(_code, _t)


# ================================================================= HARD NEGATIVES
def ver3():
    return "%d.%d.%d" % (R.randint(0, 12), R.randint(0, 30), R.randint(0, 40))


def ver4():
    return "%d.%d.%d.%d" % (R.randint(1, 12), R.randint(0, 20), R.randint(0, 9), R.randint(0, 250))


def doc_ip():
    return pick(["192.0.2.", "198.51.100.", "203.0.113."]) + str(R.randint(1, 254))


def doc_ip6():
    return "2001:db8:%x::%x" % (R.randint(0, 0xFFFF), R.randint(1, 0xFF))


def ex_email():
    return pick(
        [
            first() + "@example.com",
            first() + "." + last() + "@example.org",
            pick(["admin", "noreply", "support"]) + "@example.net",
            first() + "@corp.example",
            "user" + str(R.randint(1, 99)) + "@mail.test",
            first() + "@invalid.invalid",
            "dev@app.localhost",
        ]
    )


def sha(n=40):
    return hx(n)


def sha512_b64():
    return b64(64)


def mac(sep=":"):
    return sep.join(hx(2) for _ in range(6))


def bad_luhn_card():
    d = card_digits()
    last = str((int(d[-1]) + R.randint(1, 9)) % 10)
    d2 = d[:-1] + last
    assert not luhn_ok(d2)
    return d2


def luhn_non_card(n, lead):
    while True:
        d = luhn_complete(lead + rs(n - len(lead) - 1, DIG))
        if card_brand(d) is None:
            return d


# 1 version numbers shaped like IPv4 (IP scanner exception)
@neg("version_number_ip_like", "changelog", n=6)
def _():
    v1, v2 = ver4(), ver4()
    return build(
        """## Release ⟪v2⟫ (⟪d⟫)

- Upgraded embedded agent from ⟪v1⟫ to ⟪v2⟫
- Bootloader ⟪b⟫ is now required; devices on ⟪b0⟫ will update automatically
- Fixed watchdog reset on boards with revision ⟪r⟫
""",
        v1=v1,
        v2=v2,
        d=date(),
        b=ver4(),
        b0=ver4(),
        r=ver4(),
    )


@neg("version_number_ip_like", "csharp_source", n=6)
def _():
    return build(
        """using System.Reflection;

[assembly: AssemblyTitle("⟪t⟫")]
[assembly: AssemblyVersion("⟪v⟫")]
[assembly: AssemblyFileVersion("⟪v2⟫")]
// Requires ⟪dep⟫, Version=⟪v3⟫, Culture=neutral
""",
        t=cap(org()) + ".Core",
        v=ver4(),
        v2=ver4(),
        dep=pick(["Newtonsoft.Json", "System.Memory", "Serilog"]),
        v3=ver4(),
    )


@neg("version_number_ip_like", "support_ticket", n=4)
def _():
    return build(
        """Device: ⟪m⟫
Firmware: V⟪v⟫ (build ⟪bd⟫)
Modem firmware: ⟪v2⟫
Problem: after upgrading to ⟪v3⟫ the web UI no longer loads.
""",
        m=pick(["Archer", "Nighthawk", "Deco", "ZyWALL"]) + " " + rs(2, UP) + str(R.randint(10, 99)),
        v=ver4(),
        bd=date().replace("-", ""),
        v2=ver4(),
        v3=ver4(),
    )


# 2 OIDs
@neg("dotted_oid", "snmp_output", n=6)
def _():
    pen = R.randint(2000, 60000)
    return build(
        """$ snmpwalk -v2c -c public ⟪h⟫ 1.3.6.1.4.1.⟪pen⟫
iso.3.6.1.4.1.⟪pen⟫.1.1.0 = STRING: "⟪name⟫"
iso.3.6.1.4.1.⟪pen⟫.1.2.0 = INTEGER: ⟪a⟫
iso.3.6.1.4.1.⟪pen⟫.2.1.3.⟪i⟫ = Gauge32: ⟪b⟫
iso.3.6.1.2.1.1.3.0 = Timeticks: (⟪tt⟫) ⟪days⟫ days
""",
        h=svc() + "-switch.lan",
        pen=pen,
        name=cap(org()) + " PDU",
        a=R.randint(0, 500),
        i=R.randint(1, 48),
        b=R.randint(0, 10**6),
        tt=R.randint(10**6, 10**9),
        days=R.randint(1, 300),
    )


@neg("dotted_oid", "ldap_schema", n=6)
def _():
    pen = R.randint(2000, 60000)
    return build(
        """attributetype ( 1.3.6.1.4.1.⟪pen⟫.1.1.⟪a⟫ NAME '⟪o⟫EmployeeNumber'
    DESC 'internal employee number'
    EQUALITY caseIgnoreMatch
    SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.⟪pen⟫.1.2.⟪b⟫ NAME '⟪o⟫Person' SUP inetOrgPerson STRUCTURAL
    MAY ( ⟪o⟫EmployeeNumber ) )
""",
        pen=pen,
        a=R.randint(1, 30),
        o=org(),
        b=R.randint(1, 9),
    )


@neg("dotted_oid", "certificate_dump", n=4)
def _():
    return build(
        """        X509v3 extensions:
            X509v3 Certificate Policies:
                Policy: 2.23.140.1.2.⟪p⟫
                Policy: 1.3.6.1.4.1.⟪pen⟫.1.2.⟪q⟫
    Signature Algorithm: sha256WithRSAEncryption (1.2.840.113549.1.1.11)
    Extended Key Usage: 1.3.6.1.5.5.7.3.1, 1.3.6.1.5.5.7.3.2
""",
        p=R.randint(1, 3),
        pen=R.randint(2000, 60000),
        q=R.randint(1, 9),
    )


# 3 private IPs
@neg("private_ip_address", "hosts_file", n=6)
def _():
    return build(
        """127.0.0.1   localhost
⟪a⟫   ⟪h1⟫
⟪b⟫   ⟪h2⟫ ⟪h2s⟫
⟪c⟫   nas.lan
# VPN side
⟪d⟫  gitlab.corp.lan
""",
        a=priv_ip(),
        h1=svc() + "-01.lan",
        b=priv_ip(),
        h2=svc() + ".internal",
        h2s=svc(),
        c=priv_ip(),
        d=priv_ip(),
    )


@neg("private_ip_address", "kubectl_output", n=6)
def _():
    rows = []
    for _ in range(4):
        rows.append(
            "%-32s 1/1     Running   %d          %dd   %-14s node-%s"
            % (
                svc() + "-" + hx(10) + "-" + rs(5, LOW + DIG),
                R.randint(0, 5),
                R.randint(1, 90),
                "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(2, 254)),
                rs(5, LOW + DIG),
            )
        )
    return build(
        "NAME                             READY   STATUS    RESTARTS   AGE   IP             NODE\n"
        + "\n".join(rows)
        + "\n"
    )


@neg("private_ip_address", "docker_output", n=4)
def _():
    sub = R.randint(17, 31)
    return build(
        """$ docker network inspect ⟪n⟫ | jq '.[0].IPAM, .[0].Containers[].IPv4Address'
{
  "Driver": "default",
  "Config": [ { "Subnet": "172.⟪s⟫.0.0/16", "Gateway": "172.⟪s⟫.0.1" } ]
}
"172.⟪s⟫.0.⟪a⟫/16"
"172.⟪s⟫.0.⟪b⟫/16"
"192.168.⟪c⟫.⟪d⟫/24"
""",
        n=org() + "_default",
        s=sub,
        a=R.randint(2, 20),
        b=R.randint(21, 60),
        c=R.randint(0, 255),
        d=R.randint(2, 254),
    )


# 4 loopback / link-local / unspecified
@neg("loopback_link_local_ip", "netstat_output", n=6)
def _():
    return build(
        """$ ss -tlnp
State   Recv-Q  Send-Q   Local Address:Port    Peer Address:Port
LISTEN  0       128          127.0.0.1:⟪p1⟫          0.0.0.0:*      users:(("postgres",pid=⟪pid⟫))
LISTEN  0       511          127.0.0.53%lo:53        0.0.0.0:*
LISTEN  0       128              [::1]:⟪p2⟫             [::]:*
LISTEN  0       128    [fe80::⟪ll⟫%eth0]:⟪p3⟫             [::]:*
""",
        p1=R.choice([5432, 6379, 3306]),
        pid=R.randint(300, 9000),
        p2=R.randint(1024, 9999),
        ll="%x:%x:%x:%x" % tuple(R.randint(0, 0xFFFF) for _ in range(4)),
        p3=R.randint(1024, 9999),
    )


@neg("loopback_link_local_ip", "shell_session", n=6)
def _():
    return build(
        """$ curl -s http://169.254.169.254/latest/meta-data/instance-type
⟪it⟫
$ ip -6 addr show dev eth0 | grep inet6
    inet6 fe80::⟪a⟫/64 scope link
$ ping -c1 127.0.0.⟪b⟫
PING 127.0.0.⟪b⟫ (127.0.0.⟪b⟫) 56(84) bytes of data.
""",
        it=pick(["t3.micro", "m6i.large", "c7g.xlarge"]),
        a="%x:%x:%x:%x" % tuple(R.randint(0, 0xFFFF) for _ in range(4)),
        b=R.randint(1, 9),
    )


# 5 documentation ranges
@neg("documentation_ip_range", "tutorial", n=6)
def _():
    a, b = doc_ip(), doc_ip()
    return build(
        """In the examples below the load balancer listens on ⟪a⟫ and the backend is ⟪b⟫.
For IPv6 we use ⟪v6⟫, as reserved for documentation by RFC 3849.

    upstream backend {
        server ⟪b⟫:8080;
        server ⟪c⟫:8080 backup;
    }
""",
        a=a,
        b=b,
        v6=doc_ip6(),
        c=doc_ip(),
    )


@neg("documentation_ip_range", "firewall_rules", n=6)
def _():
    return build(
        """# example policy (replace with your own addresses)
iptables -A INPUT -s ⟪a⟫ -p tcp --dport 22 -j ACCEPT
iptables -A INPUT -s ⟪n⟫/24 -j DROP
ip6tables -A INPUT -s ⟪v6⟫ -j ACCEPT
""",
        a=doc_ip(),
        n=pick(["198.51.100.0", "203.0.113.0", "192.0.2.0"]),
        v6=doc_ip6(),
    )


# 6 reserved-domain e-mails
@neg("reserved_domain_email", "api_docs", n=6)
def _():
    return build(
        """### Create a user

```http
POST /v1/users
Content-Type: application/json

{"name": "⟪n⟫", "email": "⟪e1⟫", "notify": ["⟪e2⟫"]}
```

The response echoes the address (`⟪e1⟫`) and a generated `id`.
""",
        n=person(),
        e1=ex_email(),
        e2=ex_email(),
    )


@neg("reserved_domain_email", "test_fixture", n=6)
def _():
    return build(
        """def test_invite_sends_mail(client, mailoutbox):
    client.post("/invite", {"email": "⟪e1⟫"})
    assert mailoutbox[0].to == ["⟪e1⟫"]
    assert mailoutbox[0].from_email == "⟪e2⟫"
    assert not User.objects.filter(email="⟪e3⟫").exists()
""",
        e1=ex_email(),
        e2=ex_email(),
        e3=ex_email(),
    )


@neg("reserved_domain_email", "git_config", n=4)
def _():
    return build(
        """# sample ~/.gitconfig from the onboarding guide
[user]
    name = Your Name
    email = ⟪e⟫
[sendemail]
    to = ⟪e2⟫
""",
        e=ex_email(),
        e2=ex_email(),
    )


# 7 '@' in code
@neg("code_at_sign", "python_source", n=6)
def _():
    return build(
        """@app.route("/api/⟪r⟫/<int:item_id>", methods=["GET"])
@login_required
@cache.cached(timeout=⟪t⟫)
def get_⟪r⟫(item_id):
    m = weights @ features.T
    return jsonify(result=m.tolist())
""",
        r=svc(),
        t=R.randint(30, 600),
    )


@neg("code_at_sign", "package_json", n=6)
def _():
    return build(
        """{
  "name": "@⟪o⟫/⟪s⟫-ui",
  "dependencies": {
    "@angular/core": "^⟪v1⟫",
    "@types/node": "⟪v2⟫",
    "@⟪o⟫/design-tokens": "workspace:*"
  },
  "scripts": { "release": "npx @changesets/cli@⟪v3⟫ publish" }
}
""",
        o=org(),
        s=svc(),
        v1=ver3(),
        v2=ver3(),
        v3=ver3(),
    )


@neg("code_at_sign", "java_source", n=4)
def _():
    return build(
        """@RestController
@RequestMapping("/⟪r⟫")
public class ⟪C⟫Controller {
    @Autowired private ⟪C⟫Service service;

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    public ⟪C⟫ get(@PathVariable Long id) { return service.find(id); }
}
/* styles: @media (max-width: ⟪w⟫px) { .nav { display:none } } @import url("theme.css"); */
""",
        r=svc(),
        C=cap(svc()),
        w=R.choice([480, 640, 768]),
    )


# 8 ssh / git remotes (e-mail scanner exception)
@neg("ssh_git_remote", "shell_session", n=6)
def _():
    o, r = org(), svc()
    return build(
        """$ git remote -v
origin	git@github.com:⟪o⟫/⟪r⟫.git (fetch)
origin	git@github.com:⟪o⟫/⟪r⟫.git (push)
upstream	ssh://git@gitlab.com/⟪o2⟫/⟪r⟫.git (fetch)
$ git clone git@bitbucket.org:⟪o⟫/infra.git
""",
        o=o,
        r=r,
        o2=org(),
    )


@neg("ssh_git_remote", "deploy_script", n=6)
def _():
    d = org() + pick([".io", ".dev", "-corp.net"])
    return build(
        """#!/bin/sh
rsync -az dist/ deploy@web1.⟪d⟫:/var/www/html/
scp backup.tar.gz ⟪u⟫@files.⟪d⟫:/srv/backups/
ssh -J jump@bastion.⟪d⟫ ops@db1.⟪d⟫ 'systemctl restart app'
""",
        d=d,
        u=user().replace(".", ""),
    )


@neg("ssh_git_remote", "gitmodules", n=4)
def _():
    return build(
        """[submodule "vendor/⟪a⟫"]
	path = vendor/⟪a⟫
	url = git@github.com:⟪o⟫/⟪a⟫.git
[submodule "themes/⟪b⟫"]
	path = themes/⟪b⟫
	url = git@gitlab.com:⟪o2⟫/⟪b⟫.git
""",
        a=svc(),
        o=org(),
        b=pick(WORDS),
        o2=org(),
    )


# 9 Luhn-invalid card-like numbers
@neg("luhn_invalid_card_number", "app_log", n=6)
def _():
    return build(
        """⟪t⟫ WARN checkout: card validation failed (checksum) pan=⟪c⟫ reason=luhn
⟪t2⟫ WARN checkout: card validation failed (checksum) pan=⟪c2⟫ reason=luhn
⟪t3⟫ INFO checkout: customer asked to re-enter payment details
""",
        t=ts(),
        c=bad_luhn_card(),
        t2=ts(),
        c2=group_card(bad_luhn_card(), pick([" ", "-"])),
        t3=ts(),
    )


@neg("luhn_invalid_card_number", "qa_notes", n=6)
def _():
    return build(
        """QA run ⟪d⟫ – negative cases for the card field
| input | expected |
|---|---|
| ⟪a⟫ | "Card number is invalid" |
| ⟪b⟫ | "Card number is invalid" |
| ⟪c⟫ | "Card number is invalid" |
""",
        d=date(),
        a=bad_luhn_card(),
        b=group_card(bad_luhn_card(), " "),
        c=group_card(bad_luhn_card(), "-"),
    )


@neg("luhn_invalid_card_number", "spreadsheet_tsv", n=4)
def _():
    rows = "\n".join("%s\t%s\t%s" % (rd(5), bad_luhn_card(), pick(["typo", "rejected", "mismatch"])) for _ in range(3))
    return build("ticket\tentered_number\tresult\n" + rows + "\n")


# 10 Luhn-valid numbers that are not cards
@neg("luhn_valid_non_card", "device_inventory", n=6)
def _():
    rows = []
    for _ in range(3):
        rows.append(
            "%s,%s,%s,%s"
            % (
                pick(["Pixel 8", "Galaxy A54", "iPhone 13", "Moto G84"]),
                luhn_non_card(15, pick(["35", "86", "01", "99"])),
                luhn_non_card(15, pick(["35", "86"])),
                cap(first()),
            )
        )
    return build("model,imei_1,imei_2,assigned_to\n" + "\n".join(rows) + "\n")


@neg("luhn_valid_non_card", "shipping_notification", n=6)
def _():
    return build(
        """Your parcel is on its way!
Tracking number: ⟪t⟫
Order number: ⟪o⟫
Customer reference: ⟪c⟫
Estimated delivery: ⟪d⟫
""",
        t=luhn_non_card(pick([18, 20, 22]), pick(["00", "1Z", "9"]).replace("1Z", "1")),
        o=luhn_non_card(16, pick(["7", "8", "9", "1"])),
        c=luhn_non_card(13, "0"),
        d=date(),
    )


@neg("luhn_valid_non_card", "bank_statement", n=4)
def _():
    return build(
        """Booking date  Value date  Reference              Amount
⟪d1⟫    ⟪d1⟫   ⟪r1⟫   -⟪a1⟫
⟪d2⟫    ⟪d2⟫   ⟪r2⟫   +⟪a2⟫
""",
        d1=date(),
        r1=luhn_non_card(19, "1"),
        a1="%d.%02d" % (R.randint(1, 900), R.randint(0, 99)),
        d2=date(),
        r2=luhn_non_card(19, "8"),
        a2="%d.%02d" % (R.randint(1, 900), R.randint(0, 99)),
    )


# 11 masked cards
@neg("masked_card_number", "receipt", n=6)
def _():
    return build(
        """Thanks for your purchase!
Paid with ⟪b⟫ •••• ⟪l⟫
Authorisation: ⟪a⟫
Card: ⟪bin⟫******⟪l2⟫
""",
        b=pick(["Visa", "Mastercard", "Amex", "Discover"]),
        l=rs(4, DIG),
        a=rs(6, UPD),
        bin=pick(["4", "5", "3"]) + rs(5, DIG),
        l2=rs(4, DIG),
    )


@neg("masked_card_number", "account_page_html", n=6)
def _():
    return build(
        """<ul class="payment-methods">
  <li><span class="brand">Visa</span> XXXX-XXXX-XXXX-⟪a⟫ <small>exp ⟪e1⟫</small></li>
  <li><span class="brand">Mastercard</span> **** **** **** ⟪b⟫ <small>exp ⟪e2⟫</small></li>
  <li><span class="brand">Amex</span> ending in ⟪c⟫</li>
</ul>
""",
        a=rs(4, DIG),
        e1=exp(),
        b=rs(4, DIG),
        e2=exp(),
        c=rs(5, DIG),
    )


# 12 git SHAs
@neg("git_commit_sha", "git_log", n=6)
def _():
    lines = "\n".join(
        "%s %s"
        % (
            hx(pick([7, 8, 10])),
            pick(
                [
                    "fix: handle empty cart",
                    "chore(deps): bump lodash",
                    "feat: add export button",
                    "refactor auth middleware",
                    "docs: update README",
                    "test: flaky retry",
                ]
            ),
        )
        for _ in range(5)
    )
    return build("$ git log --oneline -5\n" + lines + "\n$ git rev-parse HEAD\n⟪h⟫\n", h=sha())


@neg("git_commit_sha", "ci_log", n=6)
def _():
    return build(
        """Checking out ⟪s⟫ (refs/remotes/origin/main)
HEAD is now at ⟪short⟫ Merge pull request #⟪pr⟫ from ⟪o⟫/feature
Cache key: node-modules-⟪k⟫
Compare: https://github.com/⟪o⟫/⟪r⟫/compare/⟪a⟫...⟪b⟫
""",
        s=sha(),
        short=hx(7),
        pr=R.randint(10, 9000),
        o=org(),
        k=sha(64),
        r=svc(),
        a=hx(12),
        b=hx(12),
    )


# 13 UUIDs
@neg("uuid_identifier", "api_response", n=6)
def _():
    return build(
        """{
  "id": "⟪a⟫",
  "tenant_id": "⟪b⟫",
  "created_by": "⟪c⟫",
  "items": [{"sku_id": "⟪d⟫", "qty": ⟪q⟫}],
  "request_id": "⟪e⟫"
}
""",
        a=ruuid(),
        b=ruuid(),
        c=ruuid(),
        d=ruuid(),
        q=R.randint(1, 9),
        e=ruuid(),
    )


@neg("uuid_identifier", "kubectl_output", n=6)
def _():
    return build(
        """metadata:
  name: ⟪n⟫
  namespace: ⟪ns⟫
  uid: ⟪u⟫
  resourceVersion: "⟪rv⟫"
  ownerReferences:
  - apiVersion: apps/v1
    kind: ReplicaSet
    uid: ⟪u2⟫
""",
        n=svc() + "-" + hx(9) + "-" + rs(5, LOW + DIG),
        ns=pick(["prod", "default"]),
        u=ruuid(),
        rv=rd(8),
        u2=ruuid(),
    )


# 14 checksums
@neg("file_checksum", "checksums_file", n=6)
def _():
    v = ver3()
    return build(
        """# SHA256SUMS for release ⟪v⟫
⟪a⟫  ⟪n⟫-⟪v⟫-linux-amd64.tar.gz
⟪b⟫  ⟪n⟫-⟪v⟫-darwin-arm64.tar.gz
⟪c⟫  ⟪n⟫-⟪v⟫-windows-amd64.zip
MD5 (⟪n⟫-⟪v⟫.dmg) = ⟪m⟫
""",
        v=v,
        a=hx(64),
        b=hx(64),
        c=hx(64),
        n=svc() + "ctl",
        m=hx(32),
    )


@neg("file_checksum", "html_page", n=6)
def _():
    return build(
        """<script src="https://cdn.jsdelivr.net/npm/⟪p⟫@⟪v⟫/dist/⟪p⟫.min.js"
        integrity="sha384-⟪i⟫"
        crossorigin="anonymous"></script>
<link rel="stylesheet" href="/assets/app.css" integrity="sha256-⟪j⟫">
""",
        p=pick(["chart.js", "alpinejs", "htmx.org", "dayjs"]),
        v=ver3(),
        i=b64(48),
        j=b64(32),
    )


@neg("file_checksum", "package_lock", n=4)
def _():
    return build(
        """    "node_modules/⟪p⟫": {
      "version": "⟪v⟫",
      "resolved": "https://registry.npmjs.org/⟪p⟫/-/⟪p⟫-⟪v⟫.tgz",
      "integrity": "sha512-⟪i⟫",
      "dev": true
    },
""",
        p=pick(["picomatch", "semver", "ms", "debug", "chalk", "ansi-regex"]),
        v=ver3(),
        i=b64(64),
    )


# 15 password hashes
@neg("password_hash", "shadow_file", n=6)
def _():
    return build(
        """root:$6$⟪s1⟫$⟪h1⟫:19⟪d1⟫:0:99999:7:::
daemon:*:19⟪d2⟫:0:99999:7:::
⟪u⟫:$y$j9T$⟪s2⟫$⟪h2⟫:19⟪d3⟫:0:99999:7:::
""",
        s1=rs(16, ALNUM + "./"),
        h1=rs(86, ALNUM + "./"),
        d1=rs(3, DIG),
        d2=rs(3, DIG),
        u=first(),
        s2=rs(22, ALNUM + "./"),
        h2=rs(43, ALNUM + "./"),
        d3=rs(3, DIG),
    )


@neg("password_hash", "sql_dump", n=6)
def _():
    rows = []
    for _ in range(3):
        rows.append("(%s, '%s', '$2b$12$%s')" % (rd(4), first() + "_" + last(), rs(53, ALNUM + "./")))
    return build("INSERT INTO users (id, username, password_hash) VALUES\n" + ",\n".join(rows) + ";\n")


@neg("password_hash", "htpasswd", n=4)
def _():
    return build(
        """⟪u1⟫:$apr1$⟪s⟫$⟪h⟫
⟪u2⟫:{SHA}⟪sh⟫
⟪u3⟫:$argon2id$v=19$m=65536,t=3,p=4$⟪asl⟫$⟪ah⟫
django: pbkdf2_sha256$600000$⟪ds⟫$⟪dh⟫
""",
        u1=first(),
        s=rs(8, ALNUM + "./"),
        h=rs(22, ALNUM + "./"),
        u2=first(),
        sh=b64(20),
        u3=first(),
        asl=b64(16).rstrip("="),
        ah=b64(32).rstrip("="),
        ds=rs(22),
        dh=b64(32),
    )


# 16 public keys / certificates
def pem_block(tag, nlines):
    body = rs(nlines * 64 - R.randint(0, 40), B64)
    return "\n".join(
        ["-----BEGIN %s-----" % tag] + [body[i : i + 64] for i in range(0, len(body), 64)] + ["-----END %s-----" % tag]
    )


@neg("public_key_or_certificate", "authorized_keys", n=6)
def _():
    return build(
        """ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI⟪a⟫ ⟪u1⟫@laptop
ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ⟪b⟫ ⟪u2⟫@workstation
ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB⟪c⟫ ci-deploy
""",
        a=rs(43, B64),
        u1=first(),
        b=rs(540, B64),
        u2=first(),
        c=rs(87, B64) + "=",
    )


@neg("public_key_or_certificate", "pem_file", n=6)
def _():
    return build(
        """# server certificate chain for ⟪h⟫
⟪c1⟫
⟪c2⟫
""",
        h="api." + org() + ".internal",
        c1=pem_block("CERTIFICATE", R.randint(14, 22)),
        c2=pem_block(pick(["CERTIFICATE", "PUBLIC KEY"]), R.randint(6, 9)),
    )


@neg("public_key_or_certificate", "wireguard_conf", n=4)
def _():
    return build(
        """# peers to add on the hub (public keys only)
[Peer]
# ⟪n1⟫
PublicKey = ⟪k1⟫
AllowedIPs = 10.8.0.⟪a⟫/32

[Peer]
# ⟪n2⟫
PublicKey = ⟪k2⟫
AllowedIPs = 10.8.0.⟪b⟫/32
""",
        n1=first() + "-phone",
        k1=wg_key(),
        a=R.randint(2, 120),
        n2=first() + "-laptop",
        k2=wg_key(),
        b=R.randint(121, 250),
    )


# 17 env var references
@neg("env_var_reference", "docker_compose", n=6)
def _():
    return build(
        """services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set in .env}
  app:
    environment:
      DATABASE_URL: postgres://⟪u⟫:${DB_PASSWORD}@db:5432/⟪db⟫
      STRIPE_SECRET_KEY: ${STRIPE_SECRET_KEY}
      JWT_SECRET: "$${JWT_SECRET}"
""",
        u=user(),
        db=dbname(),
    )


@neg("env_var_reference", "python_source", n=6)
def _():
    return build(
        """import os

DB_PASSWORD = os.environ["⟪a⟫"]
API_KEY = os.getenv("⟪b⟫")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
conn = connect(host=os.environ["DB_HOST"], user="⟪u⟫", password=DB_PASSWORD)
""",
        a=pick(["DB_PASSWORD", "PGPASSWORD", "MYSQL_PWD"]),
        b=pick(["OPENAI_API_KEY", "SENDGRID_API_KEY", "STRIPE_KEY"]),
        u=user(),
    )


@neg("env_var_reference", "github_actions", n=4)
def _():
    a, b = R.sample(
        [
            "NPM_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "PYPI_API_TOKEN",
            "DOCKERHUB_TOKEN",
            "SLACK_BOT_TOKEN",
            "SONAR_TOKEN",
            "GH_PAT",
        ],
        2,
    )
    return build(
        """      - name: ⟪step⟫
        env:
          ⟪a⟫: ${{ secrets.⟪a⟫ }}
          ⟪b⟫: ${{ secrets.⟪b⟫ }}
          NODE_ENV: production
        run: |
          echo "//registry.npmjs.org/:_authToken=${⟪a⟫}" > ~/.npmrc
          ./scripts/⟪script⟫.sh --token "$⟪b⟫" --retries ⟪n⟫
""",
        step=pick(["Publish", "Release", "Deploy", "Upload artifacts"]),
        a=a,
        b=b,
        script=pick(["publish", "release", "deploy"]),
        n=R.randint(1, 5),
    )


# 18 placeholders
PLACEHOLDERS = [
    "<your-api-key>",
    "YOUR_TOKEN_HERE",
    "changeme",
    "xxxxxxxxxxxxxxxxxxxx",
    "********",
    "REDACTED",
    "<password>",
    "your_password_here",
    "TODO",
    "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
    "AKIAXXXXXXXXXXXXXXXX",
    "ghp_************************************",
    "<insert-secret>",
    "replace-me",
    "{{ api_key }}",
    "...",
    "<REDACTED>",
    "dummy",
    "YOUR_API_KEY",
    "<SECRET>",
]


@neg("placeholder_value", "env_example", n=6)
def _():
    ph = R.sample(PLACEHOLDERS, 5)
    return build(
        """# .env.example - copy to .env and fill in
DATABASE_URL=postgres://⟪u⟫:⟪p0⟫@localhost:5432/⟪db⟫
STRIPE_SECRET_KEY=⟪p1⟫
AWS_ACCESS_KEY_ID=⟪p2⟫
GITHUB_TOKEN=⟪p3⟫
SMTP_PASSWORD=⟪p4⟫
""",
        u=user(),
        p0=ph[0],
        db=dbname(),
        p1=ph[1],
        p2=ph[2],
        p3=ph[3],
        p4=ph[4],
    )


@neg("placeholder_value", "readme", n=6)
def _():
    ph = R.sample(PLACEHOLDERS, 3)
    return build(
        """## Configuration

Set your key before running:

```bash
export ⟪v⟫="⟪p0⟫"
curl -H "Authorization: Bearer ⟪p1⟫" https://api.⟪d⟫/v1/ping
```

In `config.yml` use `password: ⟪p2⟫` and never commit the real value.
""",
        v=pick(["OPENAI_API_KEY", "API_TOKEN", "HF_TOKEN"]),
        p0=ph[0],
        p1=ph[1],
        d=org_domain(),
        p2=ph[2],
    )


# 19 key names without values
@neg("config_keys_without_values", "docs_table", n=6)
def _():
    keys = R.sample(
        [
            "DB_PASSWORD",
            "API_KEY",
            "JWT_SECRET",
            "AWS_SECRET_ACCESS_KEY",
            "SMTP_PASSWORD",
            "STRIPE_WEBHOOK_SECRET",
            "OAUTH_CLIENT_SECRET",
            "REDIS_PASSWORD",
            "SESSION_SECRET",
            "ENCRYPTION_KEY",
        ],
        5,
    )
    rows = "\n".join(
        "| `%s` | %s | %s |"
        % (
            k,
            pick(["yes", "no"]),
            pick(
                [
                    "Password for the primary database.",
                    "Used to sign tokens.",
                    "Provided by the vendor dashboard.",
                    "Rotated every 90 days.",
                    "Leave empty to disable.",
                ]
            ),
        )
        for k in keys
    )
    return build("| Variable | Required | Description |\n|---|---|---|\n" + rows + "\n")


@neg("config_keys_without_values", "json_schema", n=6)
def _():
    return build(
        """{
  "type": "object",
  "required": ["⟪a⟫", "⟪b⟫"],
  "properties": {
    "⟪a⟫": {"type": "string", "minLength": 12, "description": "service account password"},
    "⟪b⟫": {"type": "string", "pattern": "^sk_live_[A-Za-z0-9]{24,}$"},
    "token_ttl": {"type": "integer", "default": ⟪t⟫}
  }
}
""",
        a=pick(["password", "db_password", "admin_password"]),
        b=pick(["api_key", "secret_key", "stripe_key"]),
        t=R.choice([900, 3600, 86400]),
    )


# 20 secret words in prose
@neg("secret_words_in_prose", "policy_document", n=6)
def _():
    return build(
        """Password policy (rev. ⟪r⟫)

1. Passwords must be at least ⟪n⟫ characters long and must not contain the user name.
2. API keys and tokens are stored only in the secrets manager; never paste them into tickets or chat.
3. Private keys are rotated every ⟪d⟫ days. Report a leaked credential to the security team within 24 hours.
""",
        r=R.randint(2, 9),
        n=R.choice([10, 12, 14, 16]),
        d=R.choice([30, 90, 180]),
    )


@neg("secret_words_in_prose", "blog_post", n=6)
def _():
    return build(
        """Last ⟪m⟫ we moved every service from static API keys to short-lived tokens. The secret key for
signing now lives in the KMS and the old passwords were retired. If you still see "token expired" after
⟪h⟫ hours, log out and back in; the refresh token is renewed automatically.
""",
        m=pick(["spring", "autumn", "quarter", "month"]),
        h=R.randint(2, 48),
    )


# 21 base64 data URIs
@neg("base64_data_uri", "css_file", n=6)
def _():
    return build(
        """.icon-⟪n⟫ {
  width: ⟪w⟫px;
  background-image: url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAA⟪b⟫");
}
@font-face { font-family: "Inline"; src: url(data:font/woff2;base64,d09GMgABAAAA⟪f⟫) format("woff2"); }
""",
        n=pick(WORDS),
        w=R.choice([16, 24, 32]),
        b=rs(R.randint(120, 300), B64) + "=",
        f=rs(R.randint(80, 200), B64),
    )


@neg("base64_data_uri", "html_page", n=6)
def _():
    return build(
        """<img alt="logo" width="⟪w⟫" src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciI⟪b⟫">
<img alt="avatar" src="data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ⟪j⟫">
""",
        w=R.choice([64, 120, 200]),
        b=rs(R.randint(100, 240), B64),
        j=rs(R.randint(150, 300), B64),
    )


# 22 short random ids
@neg("short_random_id", "chat_log", n=6)
def _():
    return build(
        """[⟪t⟫] ⟪a⟫: the talk is here https://www.youtube.com/watch?v=⟪y⟫&t=⟪s⟫s
[⟪t2⟫] ⟪b⟫: slides: https://bit.ly/⟪bl⟫ and the paste https://pastebin.com/⟪pb⟫
[⟪t3⟫] ⟪a⟫: screenshot https://i.imgur.com/⟪im⟫.png
""",
        t=hhmm(),
        a=first(),
        y=rs(11, B64U),
        s=R.randint(10, 3000),
        t2=hhmm(),
        b=first(),
        bl=rs(7),
        pb=rs(8),
        t3=hhmm(),
        im=rs(7),
    )


@neg("short_random_id", "markdown_doc", n=6)
def _():
    return build(
        """See the [design doc](https://docs.google.com/document/d/⟪g⟫/edit) and the
[Figma file](https://www.figma.com/file/⟪f⟫/⟪n⟫). Tracking issue: ⟪j⟫-⟪k⟫, Loom: https://www.loom.com/share/⟪l⟫
""",
        g=rs(44, B64U),
        f=rs(22),
        n=cap(pick(WORDS)),
        j=rs(3, UP),
        k=R.randint(10, 9999),
        l=hx(32),
    )


# 23 image digests
@neg("container_image_digest", "kubernetes_manifest", n=6)
def _():
    return build(
        """    spec:
      containers:
      - name: ⟪s⟫
        image: ghcr.io/⟪o⟫/⟪s⟫@sha256:⟪d⟫
      initContainers:
      - name: migrate
        image: registry.⟪o⟫.internal/tools/migrate:⟪v⟫@sha256:⟪d2⟫
""",
        s=svc(),
        o=org(),
        d=hx(64),
        v=ver3(),
        d2=hx(64),
    )


@neg("container_image_digest", "docker_output", n=6)
def _():
    rows = "\n".join(
        "%-28s %-10s sha256:%s   %s   %dMB" % (org() + "/" + svc(), ver3(), hx(64), hx(12), R.randint(20, 900))
        for _ in range(3)
    )
    return build(
        "REPOSITORY                   TAG        DIGEST                                                                    IMAGE ID       SIZE\n"
        + rows
        + "\n"
    )


# 24 cloud resource ids
@neg("cloud_resource_id", "terraform_state", n=6)
def _():
    acct = rd(12)
    return build(
        """aws_instance.web: id=i-0⟪i⟫
aws_security_group.web: id=sg-0⟪sg⟫
aws_vpc.main: id=vpc-0⟪v⟫
aws_iam_role.lambda: arn=arn:aws:iam::⟪a⟫:role/⟪s⟫-lambda
aws_s3_bucket.logs: arn=arn:aws:s3:::⟪o⟫-logs-⟪a⟫
aws_kms_key.main: key_id=⟪k⟫
""",
        i=hx(16),
        sg=hx(16),
        v=hx(16),
        a=acct,
        s=svc(),
        o=org(),
        k=ruuid(),
    )


@neg("cloud_resource_id", "azure_cli_output", n=6)
def _():
    sub = ruuid()
    return build(
        """[
  {
    "id": "/subscriptions/⟪sub⟫/resourceGroups/rg-⟪s⟫-prod/providers/Microsoft.Web/sites/⟪s⟫-api",
    "name": "⟪s⟫-api",
    "principalId": "⟪p⟫",
    "tenantId": "⟪t⟫"
  }
]
gcloud: projects/⟪proj⟫/locations/europe-west1/services/⟪s⟫ (revision ⟪s⟫-000⟪r⟫-⟪rr⟫)
""",
        sub=sub,
        s=svc(),
        p=ruuid(),
        t=ruuid(),
        proj=org() + "-" + rd(6),
        r=R.randint(10, 99),
        rr=rs(3, LOW),
    )


# 25 crypto wallets
@neg("crypto_wallet_address", "donation_page", n=6)
def _():
    return build(
        """Support the project ❤
BTC: bc1q⟪b⟫
ETH / USDC (ERC-20): 0x⟪e⟫
XMR: 4⟪x⟫
""",
        b=rs(38, "023456789acdefghjklmnpqrstuvwxyz"),
        e="".join(c.upper() if R.random() < 0.5 else c for c in hx(40)),
        x=rs(94, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"),
    )


@neg("crypto_wallet_address", "blockchain_explorer", n=6)
def _():
    return build(
        """Tx hash: 0x⟪h⟫
Block: ⟪bl⟫
From: 0x⟪f⟫
To:   0x⟪t⟫
Value: ⟪v⟫ ETH   Gas used: ⟪g⟫
""",
        h=hx(64),
        bl=R.randint(15000000, 21000000),
        f=hx(40),
        t=hx(40),
        v="%d.%06d" % (R.randint(0, 20), R.randint(0, 999999)),
        g=R.randint(21000, 300000),
    )


# 26 MAC addresses
@neg("mac_address", "ip_link_output", n=6)
def _():
    return build(
        """2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP
    link/ether ⟪a⟫ brd ff:ff:ff:ff:ff:ff
3: wlan0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN
    link/ether ⟪b⟫ brd ff:ff:ff:ff:ff:ff
4: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500
    link/ether 02:42:⟪c⟫ brd ff:ff:ff:ff:ff:ff
""",
        a=mac(),
        b=mac(),
        c=":".join(hx(2) for _ in range(4)),
    )


@neg("mac_address", "dhcp_config", n=6)
def _():
    return build(
        """host ⟪h1⟫ { hardware ethernet ⟪m1⟫; fixed-address 192.168.⟪n⟫.⟪a⟫; }
host ⟪h2⟫ { hardware ethernet ⟪m2⟫; fixed-address 192.168.⟪n⟫.⟪b⟫; }
# printer: ⟪m3⟫
""",
        h1=pick(["printer", "nas", "tv", "camera"]) + str(R.randint(1, 9)),
        m1=mac(),
        n=R.randint(0, 255),
        a=R.randint(2, 100),
        h2=pick(["ap", "pi", "switch"]) + str(R.randint(1, 9)),
        m2=mac(),
        b=R.randint(101, 250),
        m3=mac("-").upper(),
    )


# 27 CSS colours
@neg("css_hex_colour", "css_file", n=6)
def _():
    return build(
        """:root {
  --brand: #⟪a⟫;
  --brand-dark: #⟪b⟫;
  --accent: #⟪c⟫;
  --shadow: 0 1px 3px #⟪d⟫80;
}
.btn-primary { background: var(--brand); border-color: #⟪e⟫; color: #fff; }
""",
        a=hx(6),
        b=hx(6),
        c=hx(6),
        d=hx(6),
        e=hx(3),
    )


@neg("css_hex_colour", "javascript_source", n=6)
def _():
    return build(
        """module.exports = {
  theme: {
    extend: {
      colors: { primary: { 50: '#⟪a⟫', 500: '#⟪b⟫', 900: '#⟪c⟫' }, danger: '#⟪d⟫' },
    },
  },
};
""",
        a=hx(6),
        b=hx(6),
        c=hx(6),
        d=hx(6),
    )


# 28 dates / times
@neg("date_time", "calendar_export", n=6)
def _():
    day = date().replace("-", "")
    return build(
        """BEGIN:VEVENT
UID:⟪u⟫
DTSTAMP:⟪s⟫
DTSTART;TZID=Europe/Berlin:⟪st⟫
DTEND;TZID=Europe/Berlin:⟪en⟫
SUMMARY:⟪t⟫
END:VEVENT
""",
        u=ruuid(),
        s=date().replace("-", "") + "T%02d%02d00Z" % (R.randint(0, 23), R.randint(0, 59)),
        st=day + "T%02d0000" % R.randint(8, 15),
        en=day + "T%02d3000" % R.randint(16, 18),
        t=pick(["Sprint review", "1:1", "Quarterly planning", "Dentist"]),
    )


@neg("date_time", "app_log", n=6)
def _():
    e = R.randint(1700000000, 1735000000)
    return build(
        """⟪a⟫ started job nightly-rollup (epoch ⟪e⟫, ⟪ms⟫ ms)
⟪b⟫ rows=⟪r⟫ duration=00:⟪m⟫:⟪s⟫.⟪f⟫
cron: 30 2 * * 1-5   next run: ⟪c⟫
""",
        a=ts(),
        e=e,
        ms=e * 1000 + R.randint(0, 999),
        b=ts(),
        r=R.randint(1000, 10**6),
        m="%02d" % R.randint(0, 59),
        s="%02d" % R.randint(0, 59),
        f=rs(3, DIG),
        c=date() + " 02:30:00",
    )


# 29 phone numbers
def phone():
    return pick(
        [
            "+49 %s %s" % (R.randint(30, 89), safe_num(7)),
            "+33 %d %02d %02d %02d %02d"
            % (R.randint(1, 9), R.randint(0, 99), R.randint(0, 99), R.randint(0, 99), R.randint(0, 99)),
            "+1 (%d) 555-%04d" % (R.randint(201, 989), R.randint(100, 199)),
            "+44 20 %s %s" % (safe_num(4), safe_num(4)),
            "+81 3-%s-%s" % (safe_num(4), safe_num(4)),
            "+91 %s %s" % (safe_num(5, "9"), safe_num(5)),
            "+55 11 9%s-%s" % (safe_num(4), safe_num(4)),
        ]
    )


@neg("phone_number", "contact_page", n=6)
def _():
    return build(
        """Contact us
Sales: ⟪a⟫
Support (24/7): ⟪b⟫
Fax: ⟪c⟫
Office hours: Mon–Fri 9:00–17:30
""",
        a=phone(),
        b=phone(),
        c=phone(),
    )


@neg("phone_number", "vcard", n=6)
def _():
    return build(
        """BEGIN:VCARD
VERSION:3.0
FN:⟪n⟫
TEL;TYPE=CELL:⟪a⟫
TEL;TYPE=WORK:⟪b⟫
ADR;TYPE=WORK:;;⟪st⟫ ⟪no⟫;⟪city⟫;;⟪zip⟫;
END:VCARD
""",
        n=person(),
        a=phone(),
        b=phone(),
        st=pick(["Hauptstraße", "Rue de la Paix", "Calle Mayor", "Kungsgatan"]),
        no=R.randint(1, 200),
        city=pick(["Berlin", "Lyon", "Madrid", "Göteborg"]),
        zip=rd(5),
    )


# 30 DOIs, ISBNs, arXiv
@neg("doi_isbn_arxiv", "bibliography", n=6)
def _():
    return build(
        """[1] ⟪a1⟫, ⟪a2⟫. ⟪t⟫. Journal of ⟪j⟫, ⟪v⟫(⟪i⟫):⟪p⟫–⟪p2⟫, ⟪y⟫. doi:10.⟪d1⟫/⟪d2⟫
[2] ⟪a3⟫. ⟪b⟫. ISBN 978-⟪g⟫-⟪pub⟫-⟪tt⟫-⟪c⟫.
[3] arXiv:⟪ym⟫.⟪ax⟫v⟪av⟫ [cs.LG]
""",
        a1=cap(last()),
        a2=cap(last()),
        t=pick(["On sparse attention", "Robust estimation under drift", "A note on graph colouring"]),
        j=pick(["Applied Statistics", "Machine Learning Research", "Computational Linguistics"]),
        v=R.randint(1, 60),
        i=R.randint(1, 12),
        p=R.randint(1, 400),
        p2=R.randint(401, 900),
        y=R.randint(1990, 2024),
        d1=R.randint(1000, 9999),
        d2=rs(4, LOW) + "." + rd(6),
        a3=cap(last()),
        b=pick(["Principles of Databases", "The Art of Testing"]),
        g=R.randint(0, 3),
        pub=rd(4),
        tt=rd(4),
        c=R.randint(0, 9),
        ym="%02d%02d" % (R.randint(15, 24), R.randint(1, 12)),
        ax=rd(5),
        av=R.randint(1, 4),
    )


@neg("doi_isbn_arxiv", "bibtex", n=6)
def _():
    return build(
        """@article{⟪k⟫⟪y⟫,
  title   = {⟪t⟫},
  author  = {⟪a⟫ and ⟪b⟫},
  journal = {arXiv preprint arXiv:⟪ym⟫.⟪ax⟫},
  year    = {⟪y⟫},
  doi     = {10.48550/arXiv.⟪ym⟫.⟪ax⟫}
}
""",
        k=last(),
        y=R.randint(2015, 2024),
        t=pick(["Scaling laws revisited", "Sparse mixtures", "Tokenizer-free models"]),
        a=person(),
        b=person(),
        ym="%02d%02d" % (R.randint(15, 24), R.randint(1, 12)),
        ax=rd(5),
    )


# 31 semantic versions
@neg("semantic_version", "requirements_txt", n=6)
def _():
    pk = R.sample(
        ["django", "requests", "numpy", "pandas", "fastapi", "pydantic", "sqlalchemy", "celery", "boto3", "uvicorn"], 6
    )
    return build("\n".join("%s%s%s" % (p, pick(["==", ">=", "~="]), ver3()) for p in pk) + "\n")


@neg("semantic_version", "go_mod", n=6)
def _():
    return build(
        """module github.com/⟪o⟫/⟪s⟫

go 1.⟪g⟫

require (
	github.com/gin-gonic/gin v⟪a⟫
	github.com/jackc/pgx/v5 v5.⟪b⟫
	golang.org/x/sync v0.0.0-⟪d⟫-⟪h⟫
)
""",
        o=org(),
        s=svc(),
        g=R.randint(19, 22),
        a=ver3(),
        b="%d.%d" % (R.randint(0, 9), R.randint(0, 9)),
        d=date().replace("-", "") + "%06d" % R.randint(0, 235959),
        h=hx(12),
    )


# 32 numeric tables
@neg("numeric_table", "statistics_table", n=6)
def _():
    rows = []
    for c in R.sample(["Germany", "France", "Brazil", "India", "Japan", "Nigeria", "Mexico", "Indonesia"], 4):
        rows.append(
            "| %s | %s | %s | %d.%d%% |"
            % (c, safe_num(R.randint(8, 10)), safe_num(R.randint(13, 15)), R.randint(0, 9), R.randint(0, 9))
        )
    return build("| Country | Population | GDP (USD) | Growth |\n|---|---:|---:|---:|\n" + "\n".join(rows) + "\n")


@neg("numeric_table", "math_notes", n=6)
def _():
    n = R.randint(15, 19)
    f = 1
    for i in range(2, n + 1):
        f *= i
    while True:
        e = R.randint(43, 62)
        p = str(2**e)
        if not (card_brand(p) and luhn_ok(p)):
            break
    return build(
        """Large values used in the exercise:
  ⟪n⟫! = ⟪f⟫
  2^⟪e⟫ = ⟪p⟫
  seed = ⟪s⟫
""",
        n=n,
        f=f,
        e=e,
        p=p,
        s=safe_num(R.randint(13, 19)),
    )


# 33 coordinates
@neg("geo_coordinate", "gpx_track", n=6)
def _():
    la, lo = R.uniform(-60, 70), R.uniform(-170, 170)
    pts = "\n".join(
        '  <trkpt lat="%.6f" lon="%.6f"><ele>%.1f</ele><time>%s</time></trkpt>'
        % (la + i * 0.0003, lo + i * 0.0004, R.uniform(0, 900), ts())
        for i in range(3)
    )
    return build("<trkseg>\n" + pts + "\n</trkseg>\n")


@neg("geo_coordinate", "geojson", n=6)
def _():
    return build(
        """{"type": "Feature", "properties": {"name": "⟪n⟫"},
 "geometry": {"type": "Point", "coordinates": [⟪lo⟫, ⟪la⟫]}}
Map link: https://www.openstreetmap.org/#map=17/⟪la⟫/⟪lo⟫
""",
        n=pick(["Depot", "Store", "Warehouse"]) + " " + str(R.randint(1, 40)),
        lo="%.5f" % R.uniform(-170, 170),
        la="%.5f" % R.uniform(-60, 70),
    )


# 34 minified code
@neg("minified_code", "javascript_bundle", n=6)
def _():
    ids = [rs(2, LOW) for _ in range(6)]
    return build(
        """!function(⟪a⟫,⟪b⟫){"object"==typeof exports?module.exports=⟪b⟫():⟪a⟫.⟪m⟫=⟪b⟫()}(this,function(){var ⟪c⟫="⟪h⟫",⟪d⟫=function(⟪e⟫){return ⟪e⟫.replace(/[A-Z]/g,function(⟪f⟫){return"-"+⟪f⟫.toLowerCase()})};return{v:⟪c⟫,k:⟪d⟫}});
//# sourceMappingURL=⟪m⟫.⟪hh⟫.min.js.map
""",
        a=ids[0],
        b=ids[1],
        m=pick(["Tiny", "Kit", "Util"]),
        c=ids[2],
        h=hx(8),
        d=ids[3],
        e=ids[4],
        f=ids[5],
        hh=hx(20),
    )


@neg("minified_code", "css_file", n=6)
def _():
    cls = ["_" + rs(6, LOW + DIG) for _ in range(4)]
    return build(
        ".⟪a⟫{display:flex;gap:⟪g⟫px}.⟪b⟫:hover{opacity:.⟪o⟫}.⟪c⟫>.⟪d⟫{margin:0 auto;transform:translate3d(0,-⟪t⟫%,0)}@media(min-width:768px){.⟪a⟫{gap:⟪g2⟫px}}\n",
        a=cls[0],
        g=R.randint(2, 24),
        b=cls[1],
        o=R.randint(1, 9),
        c=cls[2],
        d=cls[3],
        t=R.randint(1, 100),
        g2=R.randint(8, 40),
    )


# 35 encrypted values
@neg("encrypted_value", "ansible_vault", n=6)
def _():
    lines = "\n".join("          " + hx(80) for _ in range(R.randint(4, 7)))
    return build(
        """db_password: !vault |
          $ANSIBLE_VAULT;1.1;AES256
"""
        + lines
        + "\n"
    )


@neg("encrypted_value", "sops_file", n=6)
def _():
    return build(
        """db:
    password: ENC[AES256_GCM,data:⟪d⟫,iv:⟪iv⟫,tag:⟪t⟫,type:str]
    api_key: ENC[AES256_GCM,data:⟪d2⟫,iv:⟪iv2⟫,tag:⟪t2⟫,type:str]
sops:
    kms:
    -   arn: arn:aws:kms:eu-west-1:⟪a⟫:key/⟪k⟫
    lastmodified: "⟪lm⟫"
    version: 3.8.1
""",
        d=b64(18),
        iv=b64(32),
        t=b64(16),
        d2=b64(30),
        iv2=b64(32),
        t2=b64(16),
        a=rd(12),
        k=ruuid(),
        lm=ts(),
    )


# 36 redacted logs
@neg("redacted_value", "app_log", n=6)
def _():
    return build(
        """⟪t⟫ INFO  connecting to postgres://⟪u⟫:*****@⟪h⟫:5432/⟪db⟫
⟪t2⟫ DEBUG request headers: {"Authorization": "Bearer [REDACTED]", "X-Api-Key": "****⟪l⟫"}
⟪t3⟫ INFO  config loaded: smtp_password=<redacted> stripe_key=sk_live_…⟪l2⟫
""",
        t=ts(),
        u=user(),
        h=host(),
        db=dbname(),
        t2=ts(),
        l=rs(4),
        t3=ts(),
        l2=rs(4),
    )


@neg("redacted_value", "support_ticket", n=6)
def _():
    return build(
        """Ticket #⟪n⟫
Customer pasted their credentials; agent redacted them:
  user: [removed by support]
  password: ••••••••••
  API token: <removed>
Please ask the customer to rotate the token from the dashboard.
""",
        n=rd(6),
    )


# 37 secret-manager references
@neg("secret_manager_reference", "kubernetes_manifest", n=6)
def _():
    return build(
        """        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: ⟪s⟫-db
              key: password
        - name: API_TOKEN
          value: "vault:secret/data/⟪s⟫/api#token"
        - name: OP_SECRET
          value: "op://⟪v⟫/⟪s⟫/credential"
""",
        s=svc(),
        v=pick(["Prod", "Infra", "Shared"]),
    )


@neg("secret_manager_reference", "app_settings", n=6)
def _():
    return build(
        """{
  "DbPassword": "@Microsoft.KeyVault(SecretUri=https://kv-⟪o⟫.vault.azure.net/secrets/db-password/)",
  "StripeKey": "{{resolve:secretsmanager:⟪s⟫/stripe:SecretString:key}}",
  "SsmParam": "arn:aws:ssm:eu-west-1:⟪a⟫:parameter/⟪s⟫/prod/api_key"
}
""",
        o=org(),
        s=svc(),
        a=rd(12),
    )


# 38 asset fingerprints
@neg("asset_fingerprint", "build_output", n=6)
def _():
    rows = "\n".join(
        "  dist/assets/%s-%s.%s   %d.%02d kB │ gzip: %d.%02d kB"
        % (
            pick(["index", "vendor", "chart", "editor"]),
            rs(8, B64U),
            pick(["js", "css"]),
            R.randint(1, 900),
            R.randint(0, 99),
            R.randint(1, 200),
            R.randint(0, 99),
        )
        for _ in range(4)
    )
    return build(
        "vite v⟪v⟫ building for production...\n✓ ⟪n⟫ modules transformed.\n" + rows + "\n",
        v=ver3(),
        n=R.randint(100, 3000),
    )


@neg("asset_fingerprint", "http_response", n=6)
def _():
    return build(
        """HTTP/1.1 200 OK
Content-Type: application/javascript
ETag: W/"⟪e⟫"
Cache-Control: public, max-age=31536000, immutable
X-Request-Id: ⟪r⟫
X-Amz-Cf-Id: ⟪cf⟫
Link: </static/js/main.⟪h⟫.js>; rel=preload; as=script
""",
        e=hx(R.choice([16, 32])),
        r=ruuid(),
        cf=rs(56, B64U) + "==",
        h=hx(8),
    )


# ================================================================= generation
def generate():
    records, seen = [], set()
    tno = 0
    for f, lang, ctx, n in POS_T:
        tno += 1
        assert 2 <= n <= 4, (f, n)
        for v in range(1, n + 1):
            for _attempt in range(50):
                text, spans = f()
                if text not in seen:
                    break
            else:
                raise SystemExit("could not produce a unique text for positive template %d" % tno)
            seen.add(text)
            records.append(
                {
                    "id": "t9-%d-%d" % (tno, v),
                    "text": text,
                    "lang": lang,
                    "context": ctx,
                    "category": "positive",
                    "spans": spans,
                }
            )
    for f, lang, ctx, cat, n in NEG_T:
        tno += 1
        for v in range(1, n + 1):
            for _attempt in range(50):
                text, spans = f()
                if text not in seen:
                    break
            else:
                raise SystemExit("could not produce a unique text for negative template %d" % tno)
            assert spans == [], ("negative template produced spans", tno)
            seen.add(text)
            records.append(
                {"id": "t9-%d-%d" % (tno, v), "text": text, "lang": lang, "context": ctx, "category": cat, "spans": []}
            )
    return records


# ================================================================= checks
EMAIL_SCAN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])")
EMAIL_FULL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IPV4_SCAN = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d)(?!\.\d)")
IPV6_SCAN = re.compile(r"(?<![0-9A-Fa-f:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])")
CARD_PLAIN = re.compile(r"(?<!\d)\d{13,19}(?!\d)")
CARD_GROUP = re.compile(r"(?<![\d-])\d{4}([ -])\d{4,6}(?:\1\d{3,5}){1,3}(?!\d)")
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("test", "invalid", "localhost", "example")
# negative categories that are *about* a look-alike the guide says not to label
SCAN_EXEMPT = {"version_number_ip_like": {"ip"}, "ssh_git_remote": {"email"}}


def email_domain_reserved(addr):
    dom = addr.rsplit("@", 1)[1].lower()
    return (
        dom in RESERVED_DOMAINS
        or any(dom.endswith("." + d) for d in RESERVED_DOMAINS)
        or dom.split(".")[-1] in RESERVED_TLDS
    )


def valid_card_text(v):
    seps = set(ch for ch in v if not ch.isdigit())
    if not seps <= {" ", "-"} or len(seps) > 1:
        return False
    d = v.replace(" ", "").replace("-", "")
    return 12 <= len(d) <= 19 and luhn_ok(d) and card_brand(d) is not None


def scan(text, skip=()):
    """Return a list of (kind, match) for things that should have been labelled."""
    hits = []
    if "ip" not in skip:
        for m in IPV4_SCAN.finditer(text):
            try:
                if ip_is_public(m.group()):
                    hits.append(("ipv4", m.group()))
            except ValueError:
                pass
        for m in IPV6_SCAN.finditer(text):
            try:
                if ip_is_public(m.group()):
                    hits.append(("ipv6", m.group()))
            except ValueError:
                pass
    if "card" not in skip:
        for rx in (CARD_PLAIN, CARD_GROUP):
            for m in rx.finditer(text):
                d = re.sub(r"[ -]", "", m.group())
                if 13 <= len(d) <= 19 and luhn_ok(d) and card_brand(d):
                    hits.append(("card", m.group()))
    if "email" not in skip:
        for m in EMAIL_SCAN.finditer(text):
            if not email_domain_reserved(m.group()):
                hits.append(("email", m.group()))
    return hits


def check(records):
    ids, texts = set(), set()
    problems = []
    for r in records:
        assert r["id"] not in ids, ("duplicate id", r["id"])
        ids.add(r["id"])
        assert r["text"] not in texts, ("duplicate text", r["id"])
        texts.add(r["text"])
        assert re.fullmatch(r"[a-z]{2}", r["lang"]), r
        assert re.fullmatch(r"[a-z0-9_]+", r["context"]), r
        assert re.fullmatch(r"[a-z0-9_]+", r["category"]), r
        text, spans = r["text"], r["spans"]
        if r["category"] == "positive":
            assert spans, ("positive without spans", r["id"])
        else:
            assert not spans, ("negative with spans", r["id"])
        prev_end = -1
        for s in sorted(spans, key=lambda s: s["start"]):
            assert 0 <= s["start"] < s["end"] <= len(text), (r["id"], s)
            assert s["start"] >= prev_end, ("overlapping spans", r["id"], s)
            prev_end = s["end"]
            v = text[s["start"] : s["end"]]
            assert v == s["_v"], ("offset mismatch", r["id"], v, s["_v"])
            e = s["entity"]
            if e == "IP_ADDRESS":
                assert ip_is_public(v), ("non-public IP labelled", r["id"], v)
            elif e == "CREDIT_CARD":
                assert valid_card_text(v), ("bad card", r["id"], v)
            elif e == "EMAIL_ADDRESS":
                assert EMAIL_FULL.fullmatch(v), ("bad email", r["id"], v)
                assert not email_domain_reserved(v), ("reserved email labelled", r["id"], v)
            elif e == "SECRET":
                assert v == v.strip() and v[0] not in "\"'`<[" and v[-1] not in "\"'`>]", (
                    "secret has wrapper",
                    r["id"],
                    v,
                )
            else:
                raise AssertionError(("unknown entity", e))
        # scanner over negatives and over unlabelled parts of positives
        if spans:
            chars = list(text)
            for s in spans:
                for i in range(s["start"], s["end"]):
                    chars[i] = " "
            rest = "".join(chars)
        else:
            rest = text
        hits = scan(rest, SCAN_EXEMPT.get(r["category"], ()))
        if hits:
            problems.append((r["id"], r["category"], hits[:3]))
    if problems:
        for p in problems[:40]:
            print("SCANNER HIT:", p, file=sys.stderr)
        raise SystemExit("%d records failed the look-alike scanner" % len(problems))
    # each exemption must actually be needed (the look-alikes are really there)
    for cat, kinds in SCAN_EXEMPT.items():
        needed = sum(1 for r in records if r["category"] == cat and scan(r["text"]))
        assert needed > 0, ("scanner exemption not needed", cat, kinds)
    for r in records:
        for s in r["spans"]:
            del s["_v"]


def without_encoding_prefix(record):
    """Labelling policy from session 5 on: the ``base64:`` before a Laravel APP_KEY names the encoding and is no
    part of the secret (as ``Bearer `` is none of a token's). Applied when writing, after all checks."""
    for span in record["spans"]:
        if span["entity"] == "SECRET" and record["text"].startswith("base64:", span["start"]):
            span["start"] += len("base64:")
    return record


def main():
    records = generate()
    check(records)
    pos_recs = [r for r in records if r["category"] == "positive"]
    neg_recs = [r for r in records if r["category"] != "positive"]
    ent = Counter(s["entity"] for r in pos_recs for s in r["spans"])
    cats = Counter(r["category"] for r in neg_recs)
    langs = Counter(r["lang"] for r in records)
    ctxs = Counter(r["context"] for r in records)
    pw_langs = set(r["lang"] for r in pos_recs if r["lang"] != "en")
    # coverage targets (fatal)
    assert sum(ent.values()) >= 1100, ent
    assert (
        ent["SECRET"] >= 650 and ent["EMAIL_ADDRESS"] >= 150 and ent["IP_ADDRESS"] >= 150 and ent["CREDIT_CARD"] >= 100
    ), ent
    assert len(POS_T) >= 120, len(POS_T)
    assert len(neg_recs) >= 450 and len(cats) >= 30, (len(neg_recs), len(cats))
    assert len(pw_langs) >= 30, pw_langs
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(
                json.dumps(
                    {
                        "id": r["id"],
                        "text": r["text"],
                        "lang": r["lang"],
                        "context": r["context"],
                        "category": r["category"],
                        "spans": without_encoding_prefix(r)["spans"],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    print("wrote %s" % OUT)
    print("records: %d (positive %d, hard negative %d)" % (len(records), len(pos_recs), len(neg_recs)))
    print("templates: %d positive, %d negative" % (len(POS_T), len(NEG_T)))
    print("spans: %d total" % sum(ent.values()))
    for k, v in sorted(ent.items()):
        print("  %-14s %d" % (k, v))
    print("negative categories: %d" % len(cats))
    for k, v in sorted(cats.items()):
        print("  %-28s %d" % (k, v))
    print("languages: %d" % len(langs))
    print("  " + ", ".join("%s=%d" % kv for kv in sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))))
    print("contexts: %d distinct" % len(ctxs))


if __name__ == "__main__":
    main()
