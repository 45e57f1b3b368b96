#!/usr/bin/env python3
"""Generate pii_testset13.jsonl: a blind, labelled evaluation set for a PII / secrets detector.

Written without looking at the detector or at any other labelled set (N = 13, SEED = 131313).

What it does
------------
* Holds ~250 hand-written positive templates (code/config, web/forum/docs, mail/chat/tickets/
  tables in 40+ languages, logs/shell/HTTP dumps) and ~180 hard-negative templates in 47
  categories.  Templates are
  plain text with placeholders ``⟨K:gen⟩`` or ``⟨K:gen#tag⟩`` where K is one of
  S (SECRET), E (EMAIL_ADDRESS), I (IP_ADDRESS), C (CREDIT_CARD) -- labelled -- or U
  (unlabelled filler: names, hosts, private IPs, hashes, ...).  ``#tag`` re-uses one value
  inside a record (e.g. an IP that appears twice; every labelled occurrence gets a span).
* Every value is generated from random.Random(131313) by a generator function: vendor tokens in
  their real published shapes (but random content), human-style and machine passwords,
  passphrases, JWTs, PEM/OpenSSH/PGP private-key blocks, Basic-auth base64, session cookies,
  Luhn-valid card numbers of real brands, public IPv4/IPv6, e-mail addresses on invented
  company domains or big free-mail domains.  Nothing is real data.
* Each template is instantiated 2-4 times with fresh values (single-language mail/chat templates
  twice, most others three times).  Filler names such as domain/repo/org are kept consistent
  inside one document.  Span offsets are recorded while
  the text is assembled (never searched for afterwards).

Record format: {"id", "text", "lang", "context", "category", "spans": [{"start","end","entity"}]}

Checks (all fatal, via assert / SystemExit)
------------------------------------------
1. text[start:end] == the inserted value for every span; spans sorted and non-overlapping;
   no placeholder left in any text.
2. every IP_ADDRESS span parses and is public: is_global, not multicast/reserved, not in the
   documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32.
3. every CREDIT_CARD span passes Luhn and has a real brand prefix/length (Visa, Mastercard,
   Amex, Discover, JCB, Diners, UnionPay).
4. every EMAIL_ADDRESS span is a full address on a non-reserved domain (not example.com/.org/
   .net, not .test/.invalid/.localhost/.example).
5. passwords (generators marked pw) start with a letter/digit and do not end in . , ! ? : ;
   no SECRET span has surrounding whitespace or quote characters.
6. ids unique, texts unique, hard negatives carry no spans, each template used 2-4 times.
7. Leak scanner: over every hard-negative text and over the *unlabelled* part of every positive
   text (labelled spans blanked out with a non-text character) it finds no public IPv4 (and no
   public IPv6), no Luhn-valid brand-prefixed 13-19 digit number (plain or grouped with single
   spaces/dashes, any contiguous run of groups), and no e-mail on a non-reserved domain.
   Documented exception: category ``ip_shaped_number`` (version / section numbers that are
   shaped like public IPv4 addresses on purpose) is exempt from the IPv4 part only.
   When a random filler value trips the scanner the record is regenerated (max 40 tries,
   then fatal); the number of such retries is printed.
8. Minimum sizes: >=700 SECRET, >=200 EMAIL_ADDRESS, >=200 IP_ADDRESS, >=100 CREDIT_CARD spans,
   >=150 positive templates, >=500 hard negatives in >=35 categories, >=30 languages,
   >=40 vendor token formats used in SECRET spans.

Run: python3 make_testset13.py   (writes pii_testset13.jsonl next to this file, prints summary)
"""

import base64
import collections
import ipaddress
import json
import os
import random
import re
import string
import uuid

SEED = 131313
R = random.Random(SEED)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset13.jsonl")

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
ALNUM = LOW + UP + DIG
HEX = DIG + "abcdef"
B64 = ALNUM + "+/"
B64U = ALNUM + "-_"


def rs(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def rsa(chars, n):
    """random string whose first and last characters are alphanumeric"""
    if n <= 2:
        return rs(ALNUM, n)
    return R.choice(ALNUM) + rs(chars, n - 2) + R.choice(ALNUM)


def b64(s):
    if isinstance(s, str):
        s = s.encode()
    return base64.b64encode(s).decode()


def b64u(s):
    if isinstance(s, str):
        s = s.encode()
    return base64.urlsafe_b64encode(s).decode().rstrip("=")


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


GEN = {}
PASSWORD_GENS = set()
VENDOR_GENS = set()


def gen(name, pw=False, vendor=False):
    def deco(f):
        GEN[name] = f
        if pw:
            PASSWORD_GENS.add(name)
        if vendor:
            VENDOR_GENS.add(name)
        return f

    return deco


def V(name, f):
    """register a vendor-format token generator"""
    gen(name, vendor=True)(f)


# --------------------------------------------------------------------------- people, places
FIRST = [
    "anna",
    "lukas",
    "marie",
    "jonas",
    "sofia",
    "mateo",
    "lucia",
    "pierre",
    "camille",
    "giulia",
    "marco",
    "joao",
    "beatriz",
    "sven",
    "ingrid",
    "mikko",
    "aino",
    "piotr",
    "agnieszka",
    "jan",
    "petra",
    "zoltan",
    "eszter",
    "andrei",
    "ioana",
    "emre",
    "elif",
    "dmitri",
    "olga",
    "taras",
    "oksana",
    "nikos",
    "eleni",
    "yael",
    "omar",
    "layla",
    "reza",
    "priya",
    "arjun",
    "rahim",
    "haruto",
    "yuki",
    "wei",
    "mei",
    "minjun",
    "jiwoo",
    "linh",
    "minh",
    "somchai",
    "ayu",
    "budi",
    "siti",
    "jose",
    "amani",
    "juma",
    "ivan",
    "luka",
    "nina",
    "tomas",
    "ruta",
    "liene",
    "kadri",
    "jordi",
    "laia",
    "david",
    "emma",
    "oliver",
    "chloe",
    "noah",
    "freya",
    "henrik",
    "katja",
]
LAST = [
    "keller",
    "novak",
    "dubois",
    "garcia",
    "rossi",
    "silva",
    "jansen",
    "lindqvist",
    "virtanen",
    "kowalski",
    "horvath",
    "popescu",
    "yilmaz",
    "ivanova",
    "kovalenko",
    "papadopoulos",
    "cohen",
    "haddad",
    "rahimi",
    "sharma",
    "das",
    "tanaka",
    "suzuki",
    "wang",
    "chen",
    "kim",
    "park",
    "nguyen",
    "tran",
    "saelim",
    "santoso",
    "rahman",
    "mwangi",
    "petrov",
    "kazlauskas",
    "ozols",
    "tamm",
    "puig",
    "smith",
    "brown",
    "oconnor",
    "muller",
    "schmidt",
    "berg",
    "hansen",
    "moreau",
    "ferrari",
    "costa",
    "kaya",
    "weber",
    "fischer",
    "lopez",
    "martin",
    "bianchi",
    "nielsen",
]
SYL = [
    "nor",
    "vik",
    "sol",
    "tek",
    "ma",
    "ri",
    "lux",
    "ber",
    "gen",
    "ta",
    "co",
    "dex",
    "ul",
    "ran",
    "vel",
    "ka",
    "mo",
    "zen",
    "tri",
    "pol",
    "ar",
    "den",
    "sa",
    "lin",
    "qu",
    "ost",
    "bri",
    "fal",
    "ne",
    "dor",
    "wes",
    "kor",
    "ami",
    "pra",
    "sel",
    "tor",
]
CWORDS = [
    "logistik",
    "systems",
    "labs",
    "media",
    "consult",
    "bau",
    "group",
    "solutions",
    "data",
    "works",
    "digital",
    "partners",
    "studio",
    "health",
    "energy",
    "foods",
    "travel",
    "finance",
    "legal",
    "print",
    "tech",
    "software",
    "shop",
    "net",
    "cloud",
]
TLDS = [
    "com",
    "de",
    "fr",
    "io",
    "net",
    "org",
    "co.uk",
    "es",
    "it",
    "nl",
    "se",
    "pl",
    "cz",
    "com.br",
    "co.jp",
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
    "co.kr",
    "vn",
    "co.id",
    "ph",
    "mx",
    "ro",
    "hu",
    "sk",
    "ua",
    "co.il",
    "ae",
    "co.ke",
    "co.za",
    "tech",
    "dev",
    "app",
    "cloud",
    "eu",
    "lt",
    "lv",
    "ee",
    "si",
    "hr",
    "bg",
    "ca",
    "cat",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.co.jp",
    "web.de",
    "gmx.net",
    "mail.ru",
    "yandex.ru",
    "orange.fr",
    "libero.it",
    "seznam.cz",
    "wp.pl",
    "naver.com",
    "qq.com",
    "163.com",
    "protonmail.com",
    "icloud.com",
    "t-online.de",
    "free.fr",
    "ukr.net",
]
ROLE = [
    "info",
    "support",
    "billing",
    "hr",
    "kontakt",
    "contact",
    "office",
    "sales",
    "admin",
    "noreply",
    "it-helpdesk",
    "devops",
    "security",
    "facturacion",
    "buchhaltung",
    "press",
]
WORDS = [
    "velvet",
    "orbit",
    "canyon",
    "lamp",
    "river",
    "pepper",
    "glacier",
    "harbor",
    "falcon",
    "meadow",
    "copper",
    "lantern",
    "violet",
    "thunder",
    "marble",
    "cactus",
    "willow",
    "ember",
    "saffron",
    "quartz",
    "tundra",
    "biscuit",
    "nebula",
    "piano",
    "walnut",
    "comet",
    "ferry",
]


def company_domain():
    base = "".join(R.choice(SYL) for _ in range(R.randint(2, 3)))
    if R.random() < 0.5:
        base += R.choice(["-", ""]) + R.choice(CWORDS)
    return base + "." + R.choice(TLDS)


@gen("email")
def g_email():
    f, l = R.choice(FIRST), R.choice(LAST)
    local = R.choice(
        [
            f"{f}.{l}",
            f"{f[0]}{l}",
            f"{f}_{l}",
            f"{f}{R.randint(1, 99)}",
            f"{l}.{f[0]}",
            f"{f}.{l}{R.randint(70, 99)}",
            R.choice(ROLE),
            f"{f}-{l}",
        ]
    )
    dom = company_domain() if R.random() < 0.65 else R.choice(FREEMAIL)
    return f"{local}@{dom}"


@gen("sa_email")
def g_sa_email():
    return f"{R.choice(['deployer', 'ci-runner', 'bq-export', 'backup'])}@{R.choice(SYL)}{R.choice(SYL)}-{R.randint(100000, 999999)}.iam.gserviceaccount.com"


RESERVED_EMAIL_DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "corp.example",
    "shop.test",
    "qa.test",
    "nowhere.invalid",
    "dev.localhost",
    "users.example.org",
]


@gen("rmail")
def g_rmail():
    f, l = R.choice(FIRST), R.choice(LAST)
    return f"{R.choice([f, f + '.' + l, f[0] + l, 'test' + str(R.randint(1, 99)), 'user' + str(R.randint(1, 999))])}@{R.choice(RESERVED_EMAIL_DOMAINS)}"


gen("first")(lambda: R.choice(FIRST).capitalize())
gen("last")(lambda: R.choice(LAST).capitalize())
gen("name")(lambda: R.choice(FIRST).capitalize() + " " + R.choice(LAST).capitalize())
gen("user")(
    lambda: R.choice(
        [
            "deploy",
            "admin",
            "svc_backup",
            "ops",
            "jenkins",
            "app_user",
            "webmaster",
            "report",
            "etl",
            R.choice(FIRST) + "." + R.choice(LAST),
            R.choice(FIRST)[0] + R.choice(LAST),
            R.choice(FIRST) + str(R.randint(1, 99)),
        ]
    )
)
gen("host")(
    lambda: (
        R.choice(["db", "web", "app", "api", "cache", "mq", "files", "git", "ci", "mail"])
        + "-"
        + R.choice(["prod", "stg", "dev", "eu", "us"])
        + "-"
        + "%02d" % R.randint(1, 20)
    )
)
gen("hostshort")(lambda: R.choice(["bastion", "web01", "vps", "gw", "nas", "srv2", "edge1", "node-a"]))
gen("domain")(company_domain)
gen("dbname")(
    lambda: (
        R.choice(["shop", "crm", "billing", "analytics", "wp", "inventory", "app"])
        + R.choice(["_prod", "", "_db", "_live"])
    )
)
gen("num")(lambda: str(R.randint(1000, 99999)))
gen("pid")(lambda: str(R.randint(300, 65000)))
gen("port")(lambda: str(R.randint(1025, 65000)))
gen("size")(lambda: str(R.randint(120, 98000)))
gen("amount")(lambda: str(R.randint(5, 4000)) + "." + "%02d" % R.randint(0, 99))
gen("mm")(lambda: str(R.randint(1, 12)))
gen("yyyy")(lambda: str(R.randint(2026, 2031)))
gen("cvv")(lambda: "%03d" % R.randint(0, 999))
gen("exp")(lambda: "%02d/%02d" % (R.randint(1, 12), R.randint(26, 31)))
gen("last4")(lambda: "%04d" % R.randint(0, 9999))
gen("date")(lambda: "2025-%02d-%02d" % (R.randint(1, 12), R.randint(1, 28)))
gen("time")(lambda: "%02d:%02d" % (R.randint(7, 19), R.randint(0, 59)))
gen("ts")(
    lambda: (
        "2025-%02d-%02dT%02d:%02d:%02d.%03dZ"
        % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(0, 999))
    )
)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
gen("clf_ts")(
    lambda: (
        "%02d/%s/2025:%02d:%02d:%02d +0000"
        % (R.randint(1, 28), R.choice(MONTHS), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))
    )
)
gen("syslog_ts")(
    lambda: (
        "%s %2d %02d:%02d:%02d"
        % (R.choice(MONTHS), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))
    )
)
gen("gitdate")(
    lambda: (
        "%s %s %d %02d:%02d:%02d 2025 +0200"
        % (
            R.choice(["Mon", "Tue", "Wed", "Thu", "Fri"]),
            R.choice(MONTHS),
            R.randint(1, 28),
            R.randint(0, 23),
            R.randint(0, 59),
            R.randint(0, 59),
        )
    )
)
gen("ssid")(
    lambda: (
        R.choice(["Office", "GuestNet", "Lager", "Sala", "Studio", "FRITZ!Box", "Bureau", "Kantor"])
        + "-"
        + rs(UP + DIG, 4)
    )
)
gen("svc")(lambda: R.choice(["billing", "payments", "search", "notifier", "auth", "reports", "gateway"]))
gen("org")(lambda: R.choice(SYL) + R.choice(SYL) + R.choice(["", "-labs", "-dev", "hq"]))
gen("repo")(
    lambda: (
        R.choice(["api", "infra", "website", "mobile-app", "etl-jobs", "terraform", "bot"])
        + R.choice(["", "-v2", "-core"])
    )
)
gen("proj")(lambda: R.choice(WORDS) + "-" + R.choice(WORDS) + "-" + str(R.randint(100000, 999999)))
gen("acct")(lambda: R.choice(SYL) + R.choice(SYL) + rs(LOW + DIG, 6))
gen("word")(lambda: R.choice(WORDS))
gen("fname")(
    lambda: (
        R.choice(["release", "backup", "dataset", "firmware", "installer", "dump"])
        + "-"
        + str(R.randint(1, 9))
        + "."
        + str(R.randint(0, 40))
    )
)
gen("pkg")(lambda: R.choice(["openssl", "libxml2", "nodejs", "zlib", "curl", "nginx", "postgresql", "driver"]))
gen("inv")(lambda: "RE-" + str(R.randint(2025000, 2025999)))
gen("rs5")(lambda: rs(LOW + DIG, 5))
gen("scope")(lambda: R.choice(SYL) + R.choice(SYL))
gen("qid")(lambda: rs("0123456789ABCDEF", 10))
gen("akid")(lambda: "AKIA" + rs(UP + "234567", 16))
gen("ali_id")(lambda: "LTAI5t" + rs(ALNUM, 18))
gen("twilio_sid")(lambda: "AC" + rs(HEX, 32))
gen("stripe_pk")(lambda: "pk_live_51" + rs(ALNUM, 97))
gen("hex40")(lambda: rs(HEX, 40))
gen("hex16")(lambda: rs(HEX, 16))
gen("hex8")(lambda: rs(HEX, 8))
gen("digits21")(lambda: "1" + rs(DIG, 20))
gen("digits9")(lambda: str(R.randint(100000000, 999999999)))
gen("epoch")(lambda: str(R.randint(1600000000, 1760000000)))
gen("epoch_ms")(lambda: str(R.randint(1600000000000, 1760000000000)))
gen("sbref")(lambda: rs(LOW, 20))
gen("fp")(lambda: rs(B64, 43))
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Go-http-client/1.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "okhttp/4.12.0",
    "Wget/1.21.4",
]
gen("ua")(lambda: R.choice(UAS))


# --------------------------------------------------------------------------- IP addresses
DOC4 = [ipaddress.ip_network(x) for x in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
DOC6 = ipaddress.ip_network("2001:db8::/32")


def is_public_ip(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return False
    if not a.is_global or a.is_multicast or a.is_reserved or a.is_unspecified:
        return False
    if a.version == 4:
        return not any(a in n for n in DOC4)
    return a not in DOC6


@gen("ipv4")
def g_ipv4():
    while True:
        s = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if is_public_ip(s):
            return s


@gen("ipv6")
def g_ipv6():
    while True:
        first = R.choice(
            [
                0x2A01,
                0x2A02,
                0x2A00,
                0x2A03,
                0x2A05,
                0x2600,
                0x2604,
                0x2607,
                0x2620,
                0x2406,
                0x2405,
                0x2803,
                0x2C0F,
                0x2001,
                0x2400,
                0x2A0E,
                0x2804,
            ]
        )
        groups = [first] + [R.randrange(0x10000) for _ in range(7)]
        k = R.randint(0, 4)
        if k:
            st = R.randint(3, 7 - k)
            for i in range(st, st + k):
                groups[i] = 0
        if R.random() < 0.3:
            groups[7] = R.randint(1, 255)
        s = ipaddress.IPv6Address(":".join("%x" % g for g in groups)).compressed
        if is_public_ip(s):
            return s


@gen("priv_ip")
def g_priv_ip():
    c = R.randrange(3)
    if c == 0:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    if c == 1:
        return "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254))
    return "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254))


gen("priv_ip6")(
    lambda: "fd%02x:%x:%x::%x" % (R.randint(0, 255), R.randrange(0x10000), R.randrange(0x10000), R.randint(1, 0xFFFF))
)
gen("doc_ip")(lambda: R.choice(["192.0.2", "198.51.100", "203.0.113"]) + "." + str(R.randint(1, 254)))
gen("doc_ip6")(lambda: "2001:db8:%x::%x" % (R.randrange(0x10000), R.randint(1, 0xFFFF)))
gen("loop_ip")(
    lambda: R.choice(
        [
            "127.0.0.1",
            "127.0.1.1",
            "127.0.0.53",
            "169.254.%d.%d" % (R.randint(0, 255), R.randint(1, 254)),
            "0.0.0.0",
            "::1",
            "fe80::%x:%x:%x:%x" % tuple(R.randrange(0x10000) for _ in range(4)),
            "224.0.0.251",
            "255.255.255.255",
            "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254)),
            "239.255.255.250",
        ]
    )
)


# --------------------------------------------------------------------------- cards
def luhn_digit(partial):
    s = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return str((10 - s % 10) % 10)


def luhn_ok(num):
    return luhn_digit(num[:-1]) == num[-1]


CARD_BRANDS = {
    "visa": (lambda: "4", [16, 16, 16, 13, 19]),
    "mastercard": (lambda: R.choice(["51", "52", "53", "54", "55", str(R.randint(2221, 2720))]), [16]),
    "amex": (lambda: R.choice(["34", "37"]), [15]),
    "discover": (lambda: R.choice(["6011", "65", str(R.randint(644, 649))]), [16]),
    "jcb": (lambda: str(R.randint(3528, 3589)), [16]),
    "diners": (lambda: R.choice(["36", "38", str(R.randint(300, 305))]), [14]),
    "unionpay": (lambda: "62", [16]),
}
BRAND_WEIGHTS = ["visa"] * 5 + ["mastercard"] * 4 + ["amex"] * 2 + ["discover", "jcb", "diners", "unionpay"]


def card_number(brand=None):
    brand = brand or R.choice(BRAND_WEIGHTS)
    pf, lens = CARD_BRANDS[brand]
    p = pf()
    L = R.choice(lens)
    body = p + rs(DIG, L - len(p) - 1)
    return body + luhn_digit(body)


def fmt_card(num, style):
    if style == "plain" or len(num) == 13:
        return num
    sep = " " if style == "space" else "-"
    if len(num) == 15:
        g = [4, 6, 5]
    elif len(num) == 14:
        g = [4, 6, 4]
    else:
        g = [4] * (len(num) // 4) + ([len(num) % 4] if len(num) % 4 else [])
    out, i = [], 0
    for n in g:
        out.append(num[i : i + n])
        i += n
    return sep.join(out)


def brand_ok(d):
    L = len(d)
    if d[0] == "4" and L in (13, 16, 19):
        return True
    if L == 16 and (d[:2] in ("51", "52", "53", "54", "55") or 2221 <= int(d[:4]) <= 2720):
        return True
    if L == 15 and d[:2] in ("34", "37"):
        return True
    if 16 <= L <= 19 and (d[:4] == "6011" or d[:2] == "65" or 644 <= int(d[:3]) <= 649):
        return True
    if 16 <= L <= 19 and 3528 <= int(d[:4]) <= 3589:
        return True
    if 14 <= L <= 19 and (d[:2] in ("36", "38", "39") or 300 <= int(d[:3]) <= 305):
        return True
    if 16 <= L <= 19 and d[:2] == "62":
        return True
    if 12 <= L <= 19 and d[:4] in ("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763"):
        return True
    return False


gen("card")(lambda: fmt_card(card_number(), R.choice(["plain", "space", "space", "dash"])))
gen("card_plain")(lambda: card_number())
gen("card_sp")(lambda: fmt_card(card_number(), "space"))
for _b in CARD_BRANDS:
    gen(_b)((lambda b: lambda: fmt_card(card_number(b), R.choice(["plain", "space", "dash"])))(_b))


@gen("luhn_bad")
def g_luhn_bad():
    n = card_number()
    bad = n[:-1] + str((int(n[-1]) + R.randint(1, 9)) % 10)
    return fmt_card(bad, R.choice(["plain", "space", "dash"]))


@gen("imei")
def g_imei():
    b = "35" + rs(DIG, 12)
    return b + luhn_digit(b)


@gen("imei_fmt")
def g_imei_fmt():
    n = g_imei()
    return "%s-%s-%s-%s" % (n[:2], n[2:8], n[8:14], n[14])


@gen("siret")
def g_siret():
    b = R.choice("789") + rs(DIG, 12)
    n = b + luhn_digit(b)
    return "%s %s %s %s" % (n[:3], n[3:6], n[6:9], n[9:])


@gen("sin_ca")
def g_sin():
    b = R.choice("1279") + rs(DIG, 7)
    n = b + luhn_digit(b)
    return "%s %s %s" % (n[:3], n[3:6], n[6:])


@gen("loyalty")
def g_loyalty():
    b = "9" + rs(DIG, 14)
    return b + luhn_digit(b)


# --------------------------------------------------------------------------- passwords
PW_SYM = "#*+-_=@^~!?"
HW = [
    "Sommer",
    "Kaffee",
    "Mariposa",
    "Sakura",
    "Lisboa",
    "Ostsee",
    "Tiger",
    "Bergblick",
    "Hortensia",
    "Cervantes",
    "Maracuja",
    "Nordlicht",
    "Kirschbaum",
    "Vesuvio",
    "Fjord",
    "Pingwin",
    "Kotek",
    "Solnyshko",
    "Gatito",
    "Delfin",
    "Baleia",
    "Hanami",
    "Tulipan",
    "Kastanie",
    "Zitrone",
    "Paprika",
    "Lavanda",
    "Kanelbulle",
    "Sauna",
    "Palmera",
    "Mango",
    "Orion",
    "Falcon",
    "Bluebird",
    "Sunflower",
    "Dragon",
    "Chelsea",
    "Arsenal",
    "Barcelona",
    "Juventus",
    "Galatasaray",
    "Porsche",
    "Snoopy",
    "Pikachu",
    "Gandalf",
    "Merlin",
    "Bambus",
    "Aurora",
    "Cappuccino",
    "Zeytin",
]
LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"})


@gen("pw_gen", pw=True)
def g_pw_gen():
    L = R.randint(12, 22)
    while True:
        s = R.choice(ALNUM) + rs(ALNUM + PW_SYM * 2, L - 2) + R.choice(ALNUM)
        if (
            any(c.isdigit() for c in s)
            and any(c.isupper() for c in s)
            and any(c.islower() for c in s)
            and any(c in PW_SYM for c in s)
        ):
            return s


@gen("pw_url", pw=True)
def g_pw_url():
    L = R.randint(12, 24)
    while True:
        s = R.choice(ALNUM) + rs(ALNUM + "-_~", L - 2) + R.choice(ALNUM)
        if any(c.isdigit() for c in s) and any(c.isupper() for c in s) and any(c.islower() for c in s):
            return s


@gen("pw_human", pw=True)
def g_pw_human():
    w, w2 = R.choice(HW), R.choice(HW)
    year = str(R.randint(1965, 2025))
    sym = R.choice("#*+-_=@!?&$%")
    c = R.randrange(7)
    if c == 0:
        return w + year + sym + w2.lower()
    if c == 1:
        return w + sym + str(R.randint(10, 9999))
    if c == 2:
        return w.lower().translate(LEET).capitalize() + year[2:] + R.choice(["", sym + str(R.randint(1, 9))])
    if c == 3:
        return w.lower() + sym + w2 + str(R.randint(1, 99))
    if c == 4:
        return R.choice(FIRST).capitalize() + year + R.choice(["", sym + "%02d" % R.randint(1, 12)])
    if c == 5:
        return w + "." + w2 + "." + str(R.randint(10, 99))
    return w[:4] + str(R.randint(10, 99)) + sym + w2[:4].upper() + str(R.randint(0, 9))


@gen("passphrase", pw=True)
def g_passphrase():
    return R.choice(["-", " ", "_", "."]).join(R.sample(WORDS, R.randint(3, 5))) + str(R.randint(1, 99))


@gen("wifi_psk", pw=True)
def g_wifi_psk():
    c = R.randrange(3)
    if c == 0:
        return "-".join(R.sample(WORDS, 3)) + str(R.randint(10, 99))
    if c == 1:
        return rs(ALNUM, R.randint(16, 24))
    return g_pw_human()


gen("b64pw")(lambda: b64(g_pw_gen()))
gen("gmail_app", pw=True)(lambda: " ".join(rs(LOW, 4) for _ in range(4)))
gen("basic_b64")(lambda: b64(GEN["user"]() + ":" + R.choice([g_pw_gen, g_pw_human, g_pw_url])()))
gen("b64_plain")(lambda: b64("\0" + g_email() + "\0" + g_pw_gen()))
gen("session")(lambda: rs(B64U, R.choice([32, 40, 48])))
gen("phpsess")(lambda: rs(LOW + DIG, 26))
gen("connect_sid")(lambda: "s%3A" + rs(B64U, 32) + "." + rs(ALNUM, 43))
gen("generic32")(lambda: rs(ALNUM, 32))
gen("generic40")(lambda: rs(ALNUM, 40))
gen("generic_hex40")(lambda: rs(HEX, 40))
gen("generic_b64")(lambda: rsa(B64, 44))
gen("hex20")(lambda: rs(HEX, 20))
gen("hex32s")(lambda: rs(HEX, 32))
gen("smtp_authcode")(lambda: rs(LOW, 16))
gen("django_key")(lambda: rsa(LOW + DIG + "!@#^*(-_=+)", 50))
gen("wp_salt")(lambda: rsa(ALNUM + "!@#^*()-_=+[]{}<>~|:/?.", 64))
gen("laravel_key")(lambda: b64(rbytes(32)))
gen("wg_key")(lambda: b64(rbytes(32)))


@gen("jwt")
def g_jwt():
    alg = R.choice(["HS256", "RS256", "ES256", "HS512"])
    hdr = b64u(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")))
    now = R.randint(1690000000, 1760000000)
    payload = {
        "sub": R.choice([str(R.randint(1000, 9999999)), str(uuid.UUID(int=R.getrandbits(128), version=4))]),
        "iat": now,
        "exp": now + 3600 * R.choice([1, 12, 24, 720]),
    }
    if R.random() < 0.6:
        payload["role"] = R.choice(["admin", "service_role", "user", "editor"])
    if R.random() < 0.4:
        payload["iss"] = "https://auth." + company_domain()
    body = b64u(json.dumps(payload, separators=(",", ":")))
    sig = rs(B64U, 86 if alg in ("HS512", "RS256") else 43)
    return f"{hdr}.{body}.{sig}"


def pem(label, first, nlines, width=64):
    rows = [first + rs(B64, width - len(first))] + [rs(B64, width) for _ in range(nlines - 1)]
    rows.append(rs(B64, R.randint(8, width - 4)) + R.choice(["", "=", "=="]))
    return f"-----BEGIN {label}-----\n" + "\n".join(rows) + f"\n-----END {label}-----"


gen("pk_rsa")(lambda: pem("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", R.randint(7, 12)))
gen("pk_pkcs8")(lambda: pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", R.randint(7, 12)))
gen("pk_ec")(lambda: pem("EC PRIVATE KEY", "MHcCAQEEI", 2))
gen("pk_enc")(lambda: pem("ENCRYPTED PRIVATE KEY", "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQww", R.randint(6, 10)))
gen("pk_openssh")(
    lambda: pem(
        "OPENSSH PRIVATE KEY",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        R.randint(3, 6),
        70,
    )
)
gen("pk_json")(lambda: pem("PRIVATE KEY", "MIIEvgIBADANBgkqhkiG9w0BAQEFAASC", R.randint(7, 12)).replace("\n", "\\n"))


@gen("pk_pgp")
def g_pk_pgp():
    rows = ["lQdGBG" + rs(B64, 58)] + [rs(B64, 64) for _ in range(R.randint(5, 9))] + [rs(B64, 30), "=" + rs(B64, 4)]
    return "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + "\n".join(rows) + "\n-----END PGP PRIVATE KEY BLOCK-----"


# --------------------------------------------------------------------------- vendor token formats (random content)
V("aws_secret", lambda: rsa(ALNUM + "+/", 40))
V("aws_session", lambda: "IQoJb3JpZ2luX2VjE" + rs(B64, 220))
V("gh_pat", lambda: "ghp_" + rs(ALNUM, 36))
V("gh_fine", lambda: "github_pat_11" + rs(UP + DIG, 20) + "_" + rs(ALNUM, 59))
V("gh_oauth", lambda: "gho_" + rs(ALNUM, 36))
V("gh_app", lambda: "ghs_" + rs(ALNUM, 36))
V("glpat", lambda: "glpat-" + rs(ALNUM + "-_", 19) + R.choice(ALNUM))
V("gl_runner", lambda: "glrt-" + rs(ALNUM + "-_", 19) + R.choice(ALNUM))
V("slack_bot", lambda: "xoxb-%d-%d-%s" % (R.randint(10**10, 10**11), R.randint(10**12, 10**13), rs(ALNUM, 24)))
V(
    "slack_user",
    lambda: (
        "xoxp-%d-%d-%d-%s"
        % (R.randint(10**10, 10**11), R.randint(10**10, 10**11), R.randint(10**12, 10**13), rs(HEX, 32))
    ),
)
V(
    "slack_webhook",
    lambda: "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(UP + DIG, 8), rs(UP + DIG, 10), rs(ALNUM, 24)),
)
V("stripe_sk", lambda: "sk_live_" + R.choice(["", "51"]) + rs(ALNUM, R.choice([24, 97])))
V("stripe_rk", lambda: "rk_live_51" + rs(ALNUM, 97))
V("stripe_whsec", lambda: "whsec_" + rs(ALNUM, 32))
V("openai", lambda: "sk-proj-" + rs(B64U, 58) + "T3BlbkFJ" + rs(B64U, 58) + R.choice(ALNUM))
V("openai_legacy", lambda: "sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20))
V("anthropic", lambda: "sk-ant-api03-" + rs(B64U, 93) + "AA")
V("google_api", lambda: "AIza" + rs(B64U, 34) + R.choice(ALNUM))
V("gcp_secret", lambda: "GOCSPX-" + rs(B64U, 27) + R.choice(ALNUM))
V("twilio_token", lambda: rs(HEX, 32))
V("sendgrid", lambda: "SG." + rs(B64U, 22) + "." + rs(B64U, 42) + R.choice(ALNUM))
V("mailgun", lambda: "key-" + rs(HEX, 32))
V("mailchimp", lambda: rs(HEX, 32) + "-us" + str(R.randint(1, 21)))
V("npm", lambda: "npm_" + rs(ALNUM, 36))
V("pypi", lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64U, 120) + R.choice(ALNUM))
V("heroku", lambda: str(uuid.UUID(int=R.getrandbits(128), version=4)))
V("do_token", lambda: "dop_v1_" + rs(HEX, 64))
V("shopify", lambda: "shpat_" + rs(HEX, 32))
V("shopify_ss", lambda: "shpss_" + rs(HEX, 32))
V(
    "discord",
    lambda: b64u(str(R.randint(10**17, 2 * 10**18))) + "." + rs(B64U, 6) + "." + rs(B64U, 37) + R.choice(ALNUM),
)
V("telegram", lambda: "%d:AA%s" % (R.randint(10**8, 8 * 10**9), rs(B64U, 32) + R.choice(ALNUM)))
V("azure_key", lambda: b64(rbytes(64)))
V("azure_secret", lambda: rs(ALNUM, 3) + "8Q~" + rs(ALNUM + "~_-", 33) + R.choice(ALNUM))
V("vault", lambda: "hvs.CAESI" + rs(B64U, 86) + R.choice(ALNUM))
V("tfc", lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67))
V("dd_api", lambda: rs(HEX, 32))
V("dd_app", lambda: rs(HEX, 40))
V("newrelic", lambda: "NRAK-" + rs(UP + DIG, 27))
V("nr_license", lambda: rs(HEX, 36) + "NRAL")
V("sentry", lambda: "sntryu_" + rs(HEX, 64))
V("doppler", lambda: "dp.st." + R.choice(["dev", "prd", "stg"]) + "." + rs(ALNUM, 40))
V("postman", lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34))
V("atlassian", lambda: "ATATT3xFfGF0" + rs(B64U, 170) + "=" + rs("0123456789ABCDEF", 8))
V("linear", lambda: "lin_api_" + rs(ALNUM, 40))
V("notion", lambda: R.choice(["secret_" + rs(ALNUM, 43), "ntn_" + rs(DIG, 11) + rs(ALNUM, 35)]))
V("airtable", lambda: "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64))
V("figma", lambda: "figd_" + rs(B64U, 39) + R.choice(ALNUM))
V("hf", lambda: "hf_" + rs(ALNUM, 34))
V("replicate", lambda: "r8_" + rs(ALNUM, 37))
V("groq", lambda: "gsk_" + rs(ALNUM, 52))
V("databricks", lambda: "dapi" + rs(HEX, 32))
V("cloudflare", lambda: rs(ALNUM + "_-", 39) + R.choice(ALNUM))
V("square", lambda: "EAAA" + rs(B64U, 59) + R.choice(ALNUM))
V("square_secret", lambda: "sq0csp-" + rs(B64U, 42) + R.choice(ALNUM))
V("braintree", lambda: "access_token$production$" + rs(LOW + DIG, 16) + "$" + rs(HEX, 32))
V("dropbox", lambda: "sl." + rs(B64U, 137) + R.choice(ALNUM))
V("fb_token", lambda: "EAAG" + rs(ALNUM, 160))
V("twitter_bearer", lambda: "AAAAAAAAAAAAAAAAAAAAA" + rs(ALNUM, 25) + "%3D" + rs(ALNUM, 50))
V("mapbox_sk", lambda: "sk.eyJ1Ijoi" + rs(B64U, 60) + "." + rs(B64U, 21) + R.choice(ALNUM))
V("okta", lambda: "00" + rs(B64U, 39) + R.choice(ALNUM))
V("grafana_sa", lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8))
V("grafana_cloud", lambda: "glc_eyJvIjoi" + rs(ALNUM, 100) + "fQ==")
V("netlify", lambda: "nfp_" + rs(ALNUM, 36))
V("age_key", lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58))
V("shippo", lambda: "shippo_live_" + rs(HEX, 40))
V("pulumi", lambda: "pul-" + rs(HEX, 40))
V("supabase", lambda: "sbp_" + rs(HEX, 40))
V("ali_secret", lambda: rs(ALNUM, 30))
V("flutterwave", lambda: "FLWSECK-" + rs(HEX, 32) + "-X")
V("adafruit", lambda: "aio_" + rs(ALNUM, 28))
V("contentful", lambda: "CFPAT-" + rs(B64U, 42) + R.choice(ALNUM))
V("rubygems", lambda: "rubygems_" + rs(HEX, 48))
V("dockerhub", lambda: "dckr_pat_" + rs(B64U, 26) + R.choice(ALNUM))
V("flyio", lambda: "fo1_" + rs(B64U, 42) + R.choice(ALNUM))
V("planetscale", lambda: "pscale_pw_" + rs(B64U, 42) + R.choice(ALNUM))
V("tailscale", lambda: "tskey-auth-k" + rs(ALNUM, 16) + "-" + rs(ALNUM, 30))
V("bitbucket", lambda: "ATBB" + rs(ALNUM, 32))
V("brevo", lambda: "xkeysib-" + rs(HEX, 64) + "-" + rs(ALNUM, 16))
V("fcm", lambda: "AAAA" + rs(B64U, 7) + ":APA91b" + rs(B64U, 133) + R.choice(ALNUM))
V("crates", lambda: "cio" + rs(ALNUM, 32))
V("mercadopago", lambda: "APP_USR-%s-%s-%s-%s" % (rs(DIG, 16), rs(DIG, 6), rs(HEX, 32), rs(DIG, 9)))
V("pd_integ", lambda: rs(HEX, 32))
V("sendinblue_smtp", lambda: "xsmtpsib-" + rs(HEX, 64) + "-" + rs(ALNUM, 16))
V("lob", lambda: "live_" + rs(HEX, 35))
V("mollie_live", lambda: "live_" + rs(ALNUM, 30))
V("razorpay_secret", lambda: rs(ALNUM, 24))
V("yandex_oauth", lambda: "y0_" + rs(B64U, 55) + R.choice(ALNUM))
V("gitea", lambda: rs(HEX, 40))
V("jfrog", lambda: "cmVmdGtuOjAxOjE3" + rs(ALNUM, 48))
V("zendesk", lambda: rs(ALNUM, 40))


# --------------------------------------------------------------------------- hard-negative fillers
gen("uuid")(lambda: str(uuid.UUID(int=R.getrandbits(128), version=4)))
gen("sha1")(lambda: rs(HEX, 40))
gen("sha7")(lambda: rs(HEX, 7))
gen("sha256")(lambda: rs(HEX, 64))
gen("md5")(lambda: rs(HEX, 32))
gen("integrity")(lambda: "sha512-" + b64(rbytes(64)))
gen("ver4")(lambda: "%d.%d.%d.%d" % (R.randint(1, 30), R.randint(0, 20), R.randint(0, 255), R.randint(0, 255)))
gen("ver3")(lambda: "%d.%d.%d" % (R.randint(0, 12), R.randint(0, 40), R.randint(0, 30)))
gen("sku")(lambda: R.choice(["SKU-", "ART-", "", "P"]) + rs(UP, 3) + "-" + rs(DIG, 5) + R.choice(["", "-" + rs(UP, 2)]))
gen("partno")(lambda: rs(UP, 2) + rs(DIG, 4) + "-" + rs(UP + DIG, 3))
gen("pnr")(lambda: rs("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6))
gen("coupon")(
    lambda: (
        R.choice(
            ["SPRING", "WELCOME", "SOMMER", "NAVIDAD", "BLACKFRIDAY", "SALDI", "STUDENT", "FREESHIP", "SOLDES", "ZIMA"]
        )
        + str(R.choice([5, 10, 15, 20, 25, 30, 40, 50]))
        + R.choice(["", rs(UP, 2)])
    )
)
gen("b64data")(lambda: b64(rbytes(R.randint(60, 160))))
gen("btc")(lambda: "bc1q" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 38))
gen("eth")(lambda: "0x" + rs(HEX + "ABCDEF", 40))
gen("csrf")(lambda: rs(ALNUM, 64))
gen("nonce")(lambda: b64(rbytes(16)))
gen("mac")(lambda: ":".join("%02x" % R.randrange(256) for _ in range(6)))
gen("serial")(lambda: rs(UP + DIG, 12))
gen("oid")(lambda: "1.3.6.1.4.1.%d.%d.%d" % (R.randint(2000, 60000), R.randint(1, 20), R.randint(1, 300)))
gen("arn")(
    lambda: "arn:aws:iam::%s:role/%s" % (rs(DIG, 12), R.choice(["deploy", "ReadOnly", "lambda-exec", "ci-runner"]))
)
gen("ec2")(lambda: "i-0" + rs(HEX, 16))
gen("subnet")(lambda: "subnet-0" + rs(HEX, 16))
gen("stripe_obj")(lambda: R.choice(["cus_", "pi_3", "ch_3", "sub_1", "in_1", "prod_"]) + rs(ALNUM, R.choice([14, 24])))
gen("slack_chan")(lambda: "C0" + rs(UP + DIG, 9))
gen("snowflake")(lambda: "1" + rs(DIG, 18))
gen("mongo_id")(lambda: rs(HEX, 24))


@gen("isbn")
def g_isbn():
    b = "978" + R.choice("0123456789") + rs(DIG, 8)
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(b))
    n = b + str((10 - s % 10) % 10)
    return "%s-%s-%s-%s-%s" % (n[:3], n[3], n[4:8], n[8:12], n[12])


gen("doi")(
    lambda: (
        "10.%d/%s.%d.%d"
        % (R.randint(1000, 9999), R.choice(["j", "s", "acs", "nature"]), R.randint(2015, 2025), R.randint(1000, 99999))
    )
)
gen("arxiv")(lambda: "%02d%02d.%05d" % (R.randint(15, 25), R.randint(1, 12), R.randint(1, 29999)))
gen("ups")(lambda: "1Z" + rs(UP + DIG, 6) + rs(DIG, 10))
gen("traceparent")(lambda: "00-%s-%s-01" % (rs(HEX, 32), rs(HEX, 16)))
gen("cf_ray")(lambda: rs(HEX, 16) + "-" + R.choice(["FRA", "AMS", "CDG", "NRT", "GRU", "IAD"]))
gen("vault_blob")(lambda: "\n".join(rs(HEX, 80) for _ in range(R.randint(3, 5))))
gen("sops")(
    lambda: (
        "ENC[AES256_GCM,data:%s,iv:%s,tag:%s,type:str]"
        % (b64(rbytes(R.randint(12, 30))), b64(rbytes(32)), b64(rbytes(16)))
    )
)
gen("jenkins_enc")(lambda: "{AQAAABAAAAAQ" + b64(rbytes(48)) + "}")
gen("pgp_fp")(lambda: " ".join(rs("0123456789ABCDEF", 4) for _ in range(10)))
gen("asset")(
    lambda: (
        R.choice(["main", "vendor", "app", "runtime", "chunk-vendors"])
        + "."
        + rs(HEX, 8)
        + R.choice([".js", ".css", ".chunk.js"])
    )
)
gen("digest")(lambda: "sha256:" + rs(HEX, 64))
gen("color")(lambda: "#" + rs(HEX, 6))
gen("lat")(lambda: "%.5f" % R.uniform(-60, 70))
gen("lon")(lambda: "%.5f" % R.uniform(-170, 170))
gen("ssh_pub_ed")(lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43))
gen("ssh_pub_rsa")(lambda: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(B64, 340))
gen("pem_pub")(lambda: pem("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 5))
gen("pem_cert")(lambda: pem("CERTIFICATE", "MIIDdzCCAl+gAwIBAgIE", R.randint(8, 12)))
gen("pgp_pub")(
    lambda: (
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBG"
        + rs(B64, 58)
        + "\n"
        + "\n".join(rs(B64, 64) for _ in range(5))
        + "\n="
        + rs(B64, 4)
        + "\n-----END PGP PUBLIC KEY BLOCK-----"
    )
)
gen("age_pub")(lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58))
gen("stripe_test")(lambda: "sk_test_" + R.choice(["", "51"]) + rs(ALNUM, R.choice([24, 97])))
gen("pk_test")(lambda: "pk_test_51" + rs(ALNUM, 97))
gen("mollie_test")(lambda: "test_" + rs(ALNUM, 30))
gen("bt_sandbox")(lambda: "access_token$sandbox$" + rs(LOW + DIG, 16) + "$" + rs(HEX, 32))
gen("mapbox_pk")(lambda: "pk.eyJ1Ijoi" + rs(B64U, 50) + "." + rs(B64U, 22))
gen("gclient_id")(lambda: "%s-%s.apps.googleusercontent.com" % (rs(DIG, 12), rs(LOW + DIG, 32)))
gen("recaptcha")(lambda: "6L" + rs(B64U, 38))
gen("algolia_search")(lambda: rs(HEX, 32))
gen("bcrypt")(lambda: "$2b$%s$%s" % (R.choice(["10", "12", "13"]), rs(ALNUM + "./", 53)))
gen("shadow512")(lambda: "$6$%s$%s" % (rs(ALNUM + "./", 16), rs(ALNUM + "./", 86)))
gen("argon2")(lambda: "$argon2id$v=19$m=65536,t=3,p=4$%s$%s" % (rs(B64, 22), rs(B64, 43)))
gen("pbkdf2")(lambda: "pbkdf2_sha256$%d$%s$%s=" % (R.choice([600000, 720000, 870000]), rs(ALNUM, 22), rs(B64, 43)))
gen("apr1")(lambda: "$apr1$%s$%s" % (rs(ALNUM + "./", 8), rs(ALNUM + "./", 22)))
gen("alnumword")(
    lambda: R.choice(
        [
            "COVID19",
            "B2B",
            "MP4",
            "x86_64",
            "A4",
            "IPv6",
            "H264",
            "W3C",
            "L10n",
            "i18n",
            "3D",
            "5G",
            "K8s",
            "Win32",
            "ARM64",
            "USB3",
            "HDMI2",
            "4K60",
            "B12",
            "CO2",
            "R2D2",
            "F1",
            "A380",
            "UTF8",
            "MP3",
            "PS5",
            "M2",
            "S3",
            "EC2",
            "V8",
            "AV1",
            "DDR5",
            "WPA3",
            "Y2K",
            "H2O",
            "G7",
        ]
    )
)
gen("tracking_dhl")(lambda: "JD01" + rs(DIG, 16))
gen("ibeacon")(lambda: str(uuid.UUID(int=R.getrandbits(128), version=4)).upper())
gen("masked_pan")(lambda: R.choice(["4", "5", "3"]) + rs(DIG, 5) + "******" + rs(DIG, 4))
gen("req_id")(lambda: rs(ALNUM, 20))
gen("ansible_salt")(lambda: rs(HEX, 64))


# =========================================================================== templates
TEMPLATES = []
GROUP = ["a"]  # a: code/config, b: web/forum/docs, c: mail/chat/tickets/tables, d: logs/shell/http


def P(lang, context, text, n=3):
    if GROUP[0] == "c" and lang not in ("en", "de", "fr", "es") and "⟨C:" not in text and n == 3:
        n = 2  # keep the many-language mail/chat block from dominating the mix
    TEMPLATES.append(dict(lang=lang, context=context, category="positive", text=text, n=n, group=GROUP[0]))


def N(category, lang, context, text, n=4):
    TEMPLATES.append(dict(lang=lang, context=context, category=category, text=text, n=n, group="neg"))


# --------------------------------------------------------------- (a) source code and config files
P(
    "en",
    "dotenv_file",
    r"""# production settings -- do not commit
APP_ENV=production
DATABASE_URL=postgres://app_user:⟨S:pw_url⟩@⟨U:host⟩.internal:5432/⟨U:dbname⟩
STRIPE_SECRET_KEY=⟨S:stripe_sk⟩
STRIPE_PUBLISHABLE_KEY=⟨U:stripe_pk⟩
SENDGRID_API_KEY=⟨S:sendgrid⟩
MAIL_FROM=⟨E:email⟩""",
)
P(
    "en",
    "python_source",
    r"""SECRET_KEY = '⟨S:django_key⟩'

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': '⟨U:dbname⟩',
        'USER': '⟨U:user⟩',
        'PASSWORD': '⟨S:pw_gen⟩',
        'HOST': '⟨I:ipv4⟩',
        'PORT': '5432',
    }
}
ADMINS = [('⟨U:name⟩', '⟨E:email⟩')]""",
)
P(
    "en",
    "javascript_source",
    r"""import Twilio from 'twilio';
import OpenAI from 'openai';

const client = new Twilio('⟨U:twilio_sid⟩', '⟨S:twilio_token⟩');
const openai = new OpenAI({ apiKey: "⟨S:openai⟩" });

export async function notify(to, body) {
  return client.messages.create({ to, from: '+15005550006', body });
}""",
)
P(
    "en",
    "aws_credentials_file",
    r"""[default]
aws_access_key_id = ⟨U:akid⟩
aws_secret_access_key = ⟨S:aws_secret⟩
region = eu-central-1

[deploy]
aws_access_key_id = ⟨U:akid⟩
aws_secret_access_key = ⟨S:aws_secret⟩
aws_session_token = ⟨S:aws_session⟩""",
)
P(
    "en",
    "docker_compose",
    r"""services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ⟨U:user⟩
      POSTGRES_PASSWORD: ⟨S:pw_gen⟩
  redis:
    image: redis:7-alpine
    command: redis-server --requirepass ⟨S:pw_gen⟩
  app:
    build: .
    environment:
      - REDIS_URL=redis://:⟨S:pw_url⟩@redis:6379/0
      - SENTRY_AUTH_TOKEN=⟨S:sentry⟩""",
)
P(
    "en",
    "kubernetes_manifest",
    r"""apiVersion: v1
kind: Secret
metadata:
  name: ⟨U:svc⟩-credentials
  namespace: prod
type: Opaque
stringData:
  api-token: ⟨S:generic_hex40⟩
  webhook-secret: "⟨S:stripe_whsec⟩"
data:
  password: ⟨S:b64pw⟩""",
)
P(
    "en",
    "terraform",
    r"""provider "cloudflare" {
  api_token = "⟨S:cloudflare⟩"
}

resource "aws_db_instance" "main" {
  identifier = "⟨U:dbname⟩"
  username   = "dbadmin"
  password   = "⟨S:pw_gen⟩"
}

resource "aws_security_group_rule" "office_ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  cidr_blocks = ["⟨I:ipv4⟩/32", "⟨I:ipv4⟩/32"]
}""",
)
P(
    "en",
    "ansible_inventory",
    r"""[web]
⟨I:ipv4⟩ ansible_user=deploy ansible_ssh_pass=⟨S:pw_gen⟩
⟨I:ipv4⟩ ansible_user=deploy ansible_ssh_pass=⟨S:pw_gen⟩

[db]
⟨I:ipv4⟩ ansible_user=root ansible_become_pass=⟨S:pw_human⟩""",
)
P(
    "en",
    "java_properties",
    r"""spring.datasource.url=jdbc:mysql://⟨I:ipv4⟩:3306/⟨U:dbname⟩?useSSL=true
spring.datasource.username=⟨U:user⟩
spring.datasource.password=⟨S:pw_gen⟩
spring.mail.host=smtp.⟨U:domain⟩
spring.mail.username=⟨E:email⟩
spring.mail.password=⟨S:pw_gen⟩""",
)
P(
    "en",
    "php_source",
    r"""<?php
define( 'DB_NAME', '⟨U:dbname⟩' );
define( 'DB_USER', '⟨U:user⟩' );
define( 'DB_PASSWORD', '⟨S:pw_gen⟩' );
define( 'DB_HOST', '⟨I:ipv4⟩' );
define( 'AUTH_KEY',         '⟨S:wp_salt⟩' );
define( 'SECURE_AUTH_KEY',  '⟨S:wp_salt⟩' );""",
)
P(
    "en",
    "go_source",
    r"""package notify

// TODO: move to vault before release
const (
	slackToken = "⟨S:slack_bot⟩"
	webhookURL = "⟨S:slack_webhook⟩"
)

func channel() string { return "#alerts" }""",
)
P(
    "en",
    "ruby_source",
    r"""Stripe.api_key = ENV.fetch("STRIPE_KEY", "⟨S:stripe_rk⟩")
Mailgun.configure do |config|
  config.api_key = '⟨S:mailgun⟩'
end""",
)
P(
    "en",
    "json_config",
    r"""{
  "ConnectionStrings": {
    "Default": "Server=⟨I:ipv4⟩,1433;Database=⟨U:dbname⟩;User Id=sa;Password=⟨S:pw_gen⟩;"
  },
  "AzureStorage": "DefaultEndpointsProtocol=https;AccountName=⟨U:acct⟩;AccountKey=⟨S:azure_key⟩;EndpointSuffix=core.windows.net",
  "Smtp": { "User": "⟨E:email⟩", "Password": "⟨S:pw_gen⟩" }
}""",
)
P(
    "en",
    "gcp_service_account",
    r"""{
  "type": "service_account",
  "project_id": "⟨U:proj⟩",
  "private_key_id": "⟨U:hex40⟩",
  "private_key": "⟨S:pk_json⟩\n",
  "client_email": "⟨E:sa_email⟩",
  "client_id": "⟨U:digits21⟩",
  "token_uri": "https://oauth2.googleapis.com/token"
}""",
    n=2,
)
P(
    "en",
    "npmrc",
    r"""//registry.npmjs.org/:_authToken=⟨S:npm⟩
@⟨U:scope⟩:registry=https://npm.pkg.github.com/
//npm.pkg.github.com/:_authToken=⟨S:gh_pat⟩
always-auth=true""",
)
P(
    "en",
    "pypirc",
    r"""[distutils]
index-servers =
    pypi

[pypi]
username = __token__
password = ⟨S:pypi⟩""",
    n=2,
)
P(
    "en",
    "github_actions_workflow",
    r"""jobs:
  trigger:
    runs-on: ubuntu-latest
    steps:
      - name: dispatch downstream
        run: |
          curl -X POST \
            -H "Authorization: token ⟨S:gh_fine⟩" \
            https://api.github.com/repos/⟨U:org⟩/⟨U:repo⟩/dispatches""",
)
P(
    "en",
    "pip_requirements",
    r"""--extra-index-url https://⟨U:user⟩:⟨S:pw_url⟩@pypi.⟨U:domain⟩/simple/
requests==2.32.3
boto3>=1.34
internal-utils==0.9.2""",
)
P(
    "en",
    "git_config",
    r"""[core]
	repositoryformatversion = 0
	bare = false
[remote "origin"]
	url = https://oauth2:⟨S:glpat⟩@gitlab.⟨U:domain⟩/⟨U:org⟩/⟨U:repo⟩.git
	fetch = +refs/heads/*:refs/remotes/origin/*""",
)
P(
    "en",
    "nginx_config",
    r"""location /api/ {
    proxy_pass http://⟨I:ipv4⟩:8080;
    proxy_set_header Authorization "Basic ⟨S:basic_b64⟩";
    allow ⟨I:ipv4⟩;
    allow ⟨U:priv_ip⟩;
    deny all;
}""",
)
P(
    "en",
    "jupyter_notebook",
    r"""{
 "cells": [
  {
   "cell_type": "code",
   "source": [
    "from huggingface_hub import login\n",
    "login(token=\"⟨S:hf⟩\")\n",
    "import replicate, os\n",
    "os.environ[\"REPLICATE_API_TOKEN\"] = \"⟨S:replicate⟩\""
   ]
  }
 ]
}""",
)
P(
    "en",
    "rust_source",
    r"""fn main() -> anyhow::Result<()> {
    // quick test, key will be rotated
    let client = anthropic::Client::new("⟨S:anthropic⟩");
    let db = Pool::connect("mysql://root:⟨S:pw_url⟩@⟨I:ipv4⟩/⟨U:dbname⟩")?;
    Ok(())
}""",
)
P(
    "en",
    "gradle_properties",
    r"""org.gradle.jvmargs=-Xmx4g
MAPS_API_KEY=⟨S:google_api⟩
RELEASE_STORE_FILE=release.jks
RELEASE_STORE_PASSWORD=⟨S:pw_gen⟩
RELEASE_KEY_ALIAS=upload
RELEASE_KEY_PASSWORD=⟨S:pw_gen⟩""",
)
P(
    "en",
    "powershell_script",
    r"""$secpass = ConvertTo-SecureString '⟨S:pw_gen⟩' -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ('svc_backup', $secpass)
Invoke-Command -ComputerName ⟨U:hostshort⟩ -Credential $cred -ScriptBlock { Get-Service }""",
)
P(
    "en",
    "sql_script",
    r"""CREATE USER 'report'@'%' IDENTIFIED BY '⟨S:pw_gen⟩';
GRANT SELECT ON ⟨U:dbname⟩.* TO 'report'@'%';
ALTER ROLE app_rw WITH LOGIN PASSWORD '⟨S:pw_human⟩';""",
)
P(
    "en",
    "dockerfile",
    r"""FROM node:20-alpine
ARG NPM_TOKEN=⟨S:npm⟩
ENV NEW_RELIC_LICENSE_KEY=⟨S:nr_license⟩ \
    NEW_RELIC_APP_NAME=⟨U:svc⟩
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci""",
)
P(
    "en",
    "helm_values",
    r"""postgresql:
  auth:
    postgresPassword: "⟨S:pw_gen⟩"
    replicationPassword: ⟨S:pw_gen⟩
grafana:
  adminPassword: ⟨S:pw_human⟩
  smtp:
    user: ⟨E:email⟩""",
)
P(
    "en",
    "yaml_config",
    r"""vault:
  address: https://vault.⟨U:domain⟩:8200
  token:
    ⟨S:vault⟩
tailscale:
  authkey: ⟨S:tailscale⟩""",
)
P(
    "en",
    "maven_settings",
    r"""<settings>
  <servers>
    <server>
      <id>⟨U:repo⟩-releases</id>
      <username>⟨U:user⟩</username>
      <password>⟨S:pw_gen⟩</password>
    </server>
    <server>
      <id>artifactory</id>
      <username>ci</username>
      <password>⟨S:jfrog⟩</password>
    </server>
  </servers>
</settings>""",
)
P(
    "en",
    "dotnet_web_config",
    r"""<appSettings>
  <add key="Environment" value="Production" />
  <add key="RazorpayKeySecret" value="⟨S:razorpay_secret⟩" />
  <add key="ZendeskApiToken" value="⟨S:zendesk⟩" />
  <add key="SupportMailbox" value="⟨E:email⟩" />
</appSettings>""",
)
P(
    "en",
    "msmtp_config",
    r"""account default
host smtp.⟨U:domain⟩
port 587
tls on
from ⟨E:email#1⟩
user ⟨E:email#1⟩
password ⟨S:pw_gen⟩""",
)
P(
    "en",
    "s3cmd_config",
    r"""[default]
access_key = ⟨U:akid⟩
secret_key = ⟨S:aws_secret⟩
host_base = s3.eu-west-1.amazonaws.com
use_https = True""",
    n=2,
)
P(
    "en",
    "wpa_supplicant",
    r"""ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
network={
    ssid="⟨U:ssid⟩"
    psk="⟨S:wifi_psk⟩"
    key_mgmt=WPA-PSK
}""",
)
P(
    "en",
    "router_config",
    r"""interface=wlan0
ssid=⟨U:ssid⟩
wpa=2
wpa_passphrase=⟨S:wifi_psk⟩
# uplink ⟨I:ipv4⟩ via pppoe, pppoe password ⟨S:pw_gen⟩""",
)
P(
    "en",
    "wireguard_config",
    r"""[Interface]
PrivateKey = ⟨S:wg_key⟩
Address = 10.8.0.2/32
DNS = 10.8.0.1

[Peer]
PublicKey = ⟨U:wg_key⟩
PresharedKey = ⟨S:wg_key⟩
Endpoint = ⟨I:ipv4⟩:51820
AllowedIPs = 0.0.0.0/0""",
)
P("en", "ssh_key_file", r"""⟨S:pk_openssh⟩""", n=2)
P(
    "en",
    "pem_file",
    r"""Bag Attributes
    friendlyName: ⟨U:svc⟩
⟨S:pk_rsa⟩""",
    n=2,
)
P(
    "en",
    "python_source",
    r"""import requests

API = "https://api.⟨U:domain⟩/v2"

def fetch_orders():
    r = requests.get(f"{API}/orders",
                     auth=("⟨U:user⟩", "⟨S:pw_gen⟩"),
                     headers={"X-API-Key": "⟨S:generic32⟩"})
    r.raise_for_status()
    return r.json()""",
)
P(
    "en",
    "javascript_source",
    r"""const res = await fetch(`https://${host}/v1/me`, {
  headers: { Authorization: `Bearer ⟨S:jwt⟩` },
});""",
)
P(
    "en",
    "shell_script",
    r'''#!/usr/bin/env bash
set -euo pipefail
export GITHUB_TOKEN=⟨S:gh_pat⟩
export HF_TOKEN=⟨S:hf⟩
export DD_API_KEY=⟨S:dd_api⟩
export DD_APP_KEY=⟨S:dd_app⟩
./scripts/release.sh "$@"''',
)
P(
    "en",
    "dotenv_file",
    r"""APP_NAME=Laravel
APP_KEY=base64:⟨S:laravel_key⟩
MAIL_MAILER=smtp
MAIL_USERNAME=⟨E:email⟩
MAIL_PASSWORD=⟨S:pw_gen⟩
PUSHER_APP_ID=⟨U:num⟩
PUSHER_APP_SECRET=⟨S:hex20⟩""",
)
P(
    "en",
    "postman_environment",
    r"""{
  "name": "prod",
  "values": [
    {"key": "baseUrl", "value": "https://api.⟨U:domain⟩", "enabled": true},
    {"key": "apiKey", "value": "⟨S:postman⟩", "enabled": true},
    {"key": "adminPassword", "value": "⟨S:pw_gen⟩", "enabled": true}
  ]
}""",
)
P(
    "en",
    "terraform_tfvars",
    r'''datadog_api_key  = "⟨S:dd_api⟩"
datadog_app_key  = "⟨S:dd_app⟩"
pagerduty_key    = "⟨S:pd_integ⟩"
tfe_token        = "⟨S:tfc⟩"
allowed_cidr     = "⟨I:ipv4⟩/29"''',
)
P(
    "en",
    "cargo_credentials",
    r'''[registry]
token = "⟨S:crates⟩"

[registries.internal]
token = "Bearer ⟨S:gitea⟩"''',
    n=2,
)
P(
    "en",
    "bundler_config",
    r'''---
BUNDLE_PATH: "vendor/bundle"
BUNDLE_RUBYGEMS__PKG__GITHUB__COM: "⟨U:user⟩:⟨S:gh_pat⟩"
BUNDLE_GEM__FURY__IO: "⟨S:generic32⟩"''',
)
P(
    "en",
    "docker_config_json",
    r"""{
  "auths": {
    "registry.⟨U:domain⟩": {
      "auth": "⟨S:basic_b64⟩"
    },
    "https://index.docker.io/v1/": {
      "auth": "⟨S:basic_b64⟩"
    }
  }
}""",
)
P(
    "en",
    "javascript_source",
    r"""import { createClient } from '@supabase/supabase-js'

// service role: server side only!
const admin = createClient(
  'https://⟨U:sbref⟩.supabase.co',
  process.env.SUPABASE_SERVICE_ROLE_KEY ?? '⟨S:jwt⟩'
)
const mgmtToken = '⟨S:supabase⟩'
""",
)
P(
    "en",
    "circleci_config",
    r"""version: 2.1
jobs:
  build:
    docker:
      - image: cimg/python:3.12
        auth:
          username: ⟨U:user⟩
          password: ⟨S:dockerhub⟩
    environment:
      NETLIFY_AUTH_TOKEN: ⟨S:netlify⟩
      FLY_API_TOKEN: ⟨S:flyio⟩""",
)
P(
    "en",
    "airflow_config",
    r"""export AIRFLOW_CONN_WAREHOUSE='mysql://⟨U:user⟩:⟨S:pw_url⟩@⟨I:ipv4⟩:3306/⟨U:dbname⟩'
export AIRFLOW_CONN_MONGO='mongodb+srv://⟨U:user⟩:⟨S:pw_url⟩@cluster0.⟨U:rs5⟩.mongodb.net/?retryWrites=true'
export AIRFLOW_CONN_BROKER='amqp://⟨U:user⟩:⟨S:pw_url⟩@⟨I:ipv4⟩:5672/%2F' """,
)
P(
    "en",
    "ldap_config",
    r"""ldap:
  url: ldaps://⟨I:ipv4⟩:636
  bindDN: cn=admin,dc=⟨U:word⟩,dc=com
  bindPassword: ⟨S:pw_gen⟩
  userSearchBase: ou=people,dc=⟨U:word⟩,dc=com""",
)
P(
    "en",
    "prometheus_config",
    r"""scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['⟨I:ipv4⟩:9100', '⟨I:ipv4⟩:9100', '⟨U:priv_ip⟩:9100']
    basic_auth:
      username: prometheus
      password: ⟨S:pw_gen⟩
  - job_name: grafana
    authorization:
      credentials: ⟨S:grafana_sa⟩""",
)
P(
    "en",
    "elastic_config",
    r'''cloud.id: "prod:ZXUtY2VudHJhbC0xLmF3cy5jbG91ZC5lcy5pbw=="
cloud.auth: "elastic:⟨S:pw_gen⟩"
output.elasticsearch:
  hosts: ["https://⟨I:ipv4⟩:9200"]
  api_key: "⟨S:generic_b64⟩"''',
)
P(
    "es",
    "python_source",
    r'''# Configuración del bot (¡no subir al repositorio!)
TOKEN_TELEGRAM = "⟨S:telegram⟩"
# contraseña del correo que envía los avisos
CORREO = "⟨E:email⟩"
CLAVE_CORREO = "⟨S:pw_human⟩"''',
)
P(
    "ru",
    "yaml_config",
    r"""# настройки интеграции с Яндексом
yandex:
  oauth_token: ⟨S:yandex_oauth⟩   # токен действует год
database:
  host: ⟨I:ipv4⟩
  пароль: ⟨S:pw_gen⟩""",
)
P(
    "zh",
    "ini_config",
    r"""; 阿里云访问凭证（仅限测试环境）
[aliyun]
access_key_id = ⟨U:ali_id⟩
access_key_secret = ⟨S:ali_secret⟩
; 数据库密码
db_password = ⟨S:pw_gen⟩""",
)
P(
    "de",
    "python_source",
    r'''# Zugangsdaten für den Shop-Export (TODO: in Vault verschieben)
SHOPIFY_TOKEN = "⟨S:shopify⟩"
SHOPIFY_SHARED_SECRET = "⟨S:shopify_ss⟩"
FTP_HOST = "⟨I:ipv4⟩"
FTP_PASSWORT = "⟨S:pw_gen⟩"''',
)
P(
    "pt",
    "javascript_source",
    r"""// chave do Mercado Pago (produção)
const mp = new MercadoPagoConfig({ accessToken: '⟨S:mercadopago⟩' });
// webhook do Flutterwave
const FLW_SECRET = '⟨S:flutterwave⟩';""",
)
P(
    "en",
    "kotlin_source",
    r"""object Keys {
    const val FCM_SERVER_KEY = "⟨S:fcm⟩"
    const val CONTENTFUL_TOKEN = "⟨S:contentful⟩"
}""",
)
P(
    "en",
    "swift_source",
    r"""enum Secrets {
    static let dropboxToken = "⟨S:dropbox⟩"
    static let brevoKey = "⟨S:brevo⟩"
}""",
    n=2,
)
P(
    "en",
    "csharp_source",
    r"""var client = new ShippoClient("⟨S:shippo⟩");
var pulumiToken = Environment.GetEnvironmentVariable("PULUMI_ACCESS_TOKEN") ?? "⟨S:pulumi⟩";
var lob = new LobClient(apiKey: "⟨S:lob⟩");""",
)
P(
    "en",
    "python_source",
    r"""import openai, databricks.sql as dbsql

openai.api_key = "⟨S:openai_legacy⟩"
conn = dbsql.connect(server_hostname="adb-⟨U:num⟩.azuredatabricks.net",
                     http_path="/sql/1.0/warehouses/⟨U:hex16⟩",
                     access_token="⟨S:databricks⟩")""",
)
P(
    "en",
    "toml_config",
    r'''[tool.poetry.source]
name = "private"
url = "https://pkgs.⟨U:domain⟩/simple"

[secrets]
groq = "⟨S:groq⟩"
age_identity = "⟨S:age_key⟩"''',
)
P(
    "en",
    "azure_config",
    r"""AZURE_TENANT_ID=⟨U:uuid⟩
AZURE_CLIENT_ID=⟨U:uuid⟩
AZURE_CLIENT_SECRET=⟨S:azure_secret⟩
SERVICEBUS=Endpoint=sb://⟨U:acct⟩.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=⟨S:azure_key⟩""",
)
P(
    "en",
    "php_source",
    r"""$mail = new PHPMailer(true);
$mail->Host       = 'smtp.⟨U:domain⟩';
$mail->Username   = '⟨E:email⟩';
$mail->Password   = '⟨S:pw_gen⟩';
$mail->addAddress('⟨E:email⟩');""",
)

GROUP[0] = "b"
# --------------------------------------------------------------- (b) web pages, forum / Q&A posts, READMEs, docs
P(
    "en",
    "qa_post",
    r"""Title: 401 Unauthorized when calling chat completions

I'm getting a 401 every time, even though the key works in the playground. Here's my code:

```python
headers = {"Authorization": "Bearer ⟨S:openai⟩"}
r = requests.post(URL, headers=headers, json=payload)
```

What am I doing wrong?""",
)
P(
    "en",
    "qa_answer",
    r"""Your connection string is missing the port. It should look like:

`Server=tcp:⟨U:acct⟩.database.windows.net,1433;User ID=⟨U:user⟩;Password=⟨S:pw_gen⟩;Encrypt=True;`

Also, you probably don't want to paste the real password here.""",
)
P(
    "en",
    "github_issue",
    r"""### Steps to reproduce

```
$ export SLACK_BOT_TOKEN=⟨S:slack_bot⟩
$ export SLACK_USER_TOKEN=⟨S:slack_user⟩
$ python bot.py
```

The bot connects from ⟨I:ipv4⟩ but never receives events. Version 2.4.1, Python 3.12.""",
)
P(
    "en",
    "readme",
    r"""## Configuration

Copy `.env.example` to `.env`. For the shared demo workspace we use:

```
AIRTABLE_TOKEN=⟨S:airtable⟩
NOTION_TOKEN=⟨S:notion⟩
```

Questions? Ping the maintainer at ⟨E:email⟩.""",
)
P(
    "de",
    "forum_post",
    r"""Hallo zusammen,

mein Raspberry Pi meldet beim Verbinden zum MQTT-Broker immer "Authentication failed". Hier meine config.yaml:

```
mqtt:
  host: ⟨I:ipv4⟩
  user: pi
  password: ⟨S:pw_human⟩
```

Hat jemand eine Idee, woran das liegen kann? Danke!""",
)
P(
    "en",
    "forum_reply",
    r"""Heads up: you pasted your real bot token (⟨S:discord⟩) in the post above. Anyone can take over the bot with that. Reset it in the developer portal right away.""",
)
P(
    "en",
    "web_page",
    r"""<footer class="site-footer">
  <p>Press: <a href="mailto:⟨E:email#1⟩">⟨E:email#1⟩</a> &middot; Support: <a href="mailto:⟨E:email#2⟩">⟨E:email#2⟩</a></p>
  <p>&copy; 2025 ⟨U:last⟩ GmbH</p>
</footer>""",
)
P(
    "en",
    "web_page",
    r"""<div id="login-box">
  <!-- TODO remove before launch: staging login is admin / ⟨S:pw_human⟩ -->
  <form method="post" action="/login">
    <input type="text" name="user">
    <input type="password" name="smtp_pass" value="⟨S:pw_gen⟩">
  </form>
</div>""",
)
P(
    "en",
    "web_page",
    r"""<script>
  window.__CONFIG__ = {
    mapbox: "⟨S:mapbox_sk⟩",
    graphql: "https://⟨I:ipv4⟩/graphql",
    contact: "⟨E:email⟩"
  };
</script>""",
)
P(
    "es",
    "blog_post",
    r"""Paso 3: configurar el bot de Telegram

Abre @BotFather, crea el bot y copia el token. En mi caso era ⟨S:telegram⟩ (ya lo he revocado, no intentéis usarlo). Después lo pegamos en el archivo config.py y arrancamos el servidor en ⟨I:ipv4⟩.""",
)
P(
    "ru",
    "qa_post",
    r"""Подскажите, почему бот не отвечает? Токен вставил вот так:

bot = telebot.TeleBot("⟨S:telegram⟩")

Сервер стоит на ⟨I:ipv4⟩, порт 8443 открыт. Пишите в личку или на ⟨E:email⟩.""",
)
P(
    "pt",
    "qa_post",
    r"""Como faço para autenticar na API do Mercado Pago? Estou usando o access token ⟨S:mercadopago⟩ e sempre recebo 401. Já conferi que a conta é de produção. Alguém sabe?""",
)
P(
    "ja",
    "blog_post",
    r"""Discord Botの作り方（初心者向け）

まずはトークンを取得します。私の場合は次のようになりました。

client.run('⟨S:discord⟩')

※このトークンは記事公開後に再発行しています。""",
)
P(
    "en",
    "wiki_page",
    r"""## Production servers

| Host   | Public IP | SSH user | Password |
|--------|-----------|----------|----------|
| web-01 | ⟨I:ipv4⟩ | deploy | ⟨S:pw_gen⟩ |
| web-02 | ⟨I:ipv4⟩ | deploy | ⟨S:pw_gen⟩ |
| db-01  | ⟨I:ipv4⟩ | postgres | ⟨S:pw_gen⟩ |""",
)
P(
    "en",
    "api_docs",
    r"""### Create a charge

```bash
curl https://api.⟨U:domain⟩/v1/charges \
  -u ⟨S:stripe_sk⟩: \
  -d amount=2000 \
  -d currency=eur
```""",
)
P(
    "en",
    "paste_dump",
    r"""⟨E:email⟩:⟨S:pw_human⟩
⟨E:email⟩:⟨S:pw_human⟩
⟨E:email⟩:⟨S:pw_gen⟩
⟨E:email⟩:⟨S:pw_human⟩
⟨E:email⟩:⟨S:pw_gen⟩""",
)
P(
    "en",
    "csv_export",
    r"""id,name,email,card_number,exp
⟨U:num⟩,⟨U:name⟩,⟨E:email⟩,⟨C:card_plain⟩,⟨U:exp⟩
⟨U:num⟩,⟨U:name⟩,⟨E:email⟩,⟨C:card_plain⟩,⟨U:exp⟩
⟨U:num⟩,⟨U:name⟩,⟨E:email⟩,⟨C:card_plain⟩,⟨U:exp⟩""",
)
P(
    "en",
    "changelog",
    r"""## 3.8.0

- Webhook deliveries now originate from ⟨I:ipv4⟩ and ⟨I:ipv4⟩ (IPv6: ⟨I:ipv6⟩). Update your allow lists.
- Fixed pagination in the audit log export.""",
)
P(
    "de",
    "docs_page",
    r"""Firewall-Freigaben

Tragen Sie die folgenden Adressen unserer Monitoring-Server in Ihre Firewall ein: ⟨I:ipv4⟩, ⟨I:ipv4⟩ und ⟨I:ipv6⟩. Bei Fragen wenden Sie sich an ⟨E:email⟩.""",
)
P(
    "en",
    "abuse_report",
    r"""We observed SSH brute-force attempts against our network from the following hosts:

- ⟨I:ipv4⟩ (⟨U:num⟩ attempts)
- ⟨I:ipv4⟩
- ⟨I:ipv6⟩

Please investigate and reply to ⟨E:email⟩.""",
)
P(
    "en",
    "gist",
    r'''# quick script to sync Linear issues to Figma comments
LINEAR_KEY = "⟨S:linear⟩"
FIGMA_TOKEN = "⟨S:figma⟩"
TEAM = "ENG"''',
)
P(
    "fr",
    "forum_post",
    r"""Je partage ma config rclone au cas où ça aiderait quelqu'un :

[sauvegarde]
type = s3
provider = AWS
access_key_id = ⟨U:akid⟩
secret_access_key = ⟨S:aws_secret⟩
region = eu-west-3

Ça marche nickel depuis mon serveur (⟨I:ipv4⟩).""",
)
P(
    "zh",
    "qa_post",
    r"""请问为什么 SMTP 一直认证失败？配置如下：

spring.mail.host=smtp.qq.com
spring.mail.username=⟨E:email⟩
spring.mail.password=⟨S:smtp_authcode⟩

已经开启了 SMTP 服务，求大佬帮忙看看。""",
)
P(
    "ko",
    "blog_post",
    r"""API 키 설정 방법

발급받은 키를 아래처럼 설정 파일에 넣으면 됩니다.

ACCESS_KEY=⟨U:hex16⟩
SECRET_KEY=⟨S:generic40⟩

저는 ⟨I:ipv4⟩ 서버에서 테스트했습니다.""",
)
P(
    "en",
    "readme",
    r"""[![Build status](https://ci.⟨U:domain⟩/api/badges/⟨U:org⟩/⟨U:repo⟩/status.svg?token=⟨S:generic32⟩)](https://ci.⟨U:domain⟩/⟨U:org⟩/⟨U:repo⟩)

# ⟨U:repo⟩

Internal tooling. Contact ⟨E:email⟩ for access.""",
)
P(
    "en",
    "docs_page",
    r"""Example request:

    GET /v1/reports HTTP/1.1
    Host: api.⟨U:domain⟩
    Authorization: Basic ⟨S:basic_b64⟩

The response is a JSON array of report objects.""",
)
P(
    "it",
    "web_page",
    r"""<section class="contatti">
  <h2>Contatti</h2>
  <p>Per informazioni commerciali scrivete a ⟨E:email⟩, per l'assistenza tecnica a ⟨E:email⟩.</p>
</section>""",
)
P(
    "pl",
    "forum_post",
    r"""Mam problem z połączeniem do MikroTika. Adres WAN ⟨I:ipv4⟩, login admin, hasło ⟨S:pw_human⟩ – Winbox wyrzuca błąd. Co robię źle?""",
)
P(
    "en",
    "qa_post",
    r"""ssh keeps saying "invalid format" for my key. Here it is (I generated it only for this test):

```
⟨S:pk_openssh⟩
```

I'm on OpenSSH 9.6.""",
    n=2,
)
P(
    "en",
    "gitlab_issue",
    r"""CI fails on the mirror job with `remote: HTTP Basic: Access denied`. The job pushes to `https://gitlab-ci-token:⟨S:glpat⟩@gitlab.⟨U:domain⟩/⟨U:org⟩/⟨U:repo⟩.git`. Runner registered with `⟨S:gl_runner⟩`.""",
)
P(
    "nl",
    "docs_page",
    r"""Mailinstellingen

Sta e-mail toe van onze verzendservers ⟨I:ipv4⟩ en ⟨I:ipv4⟩ in uw SPF-record. Problemen? Mail naar ⟨E:email⟩.""",
)
P(
    "en",
    "status_page",
    r"""Incident resolved: Elevated error rates in eu-west

Between 09:12 and 09:47 UTC traffic from ⟨I:ipv4⟩ and ⟨I:ipv4⟩ was incorrectly rate limited. Affected customers can contact ⟨E:email⟩ for credits.""",
)
P(
    "en",
    "hn_comment",
    r"""Found a public repo today with live creds committed: ⟨U:akid⟩ / ⟨S:aws_secret⟩ plus a Bitbucket app password (⟨S:bitbucket⟩). Reported it to ⟨E:email⟩, still not rotated after a week.""",
)
P(
    "en",
    "blog_post",
    r"""Getting started with Claude in Python

```python
import anthropic
client = anthropic.Anthropic(api_key="⟨S:anthropic⟩")
```

(Yes, that key is revoked.)""",
)
P(
    "es",
    "forum_post",
    r"""Hola, no consigo enviar correos con PHPMailer. Este es mi código:

$mail->Username = '⟨E:email⟩';
$mail->Password = '⟨S:pw_gen⟩';

Me sale "SMTP connect() failed". ¿Alguna idea?""",
)
P(
    "en",
    "qa_post",
    r"""Loading a gated model fails with 403:

model = AutoModel.from_pretrained("org/model", token="⟨S:hf⟩")

The token has read scope. Any ideas?""",
)
P(
    "tr",
    "qa_post",
    r"""Merhaba, Heroku CLI ile giriş yapamıyorum. HEROKU_API_KEY=⟨S:heroku⟩ olarak ayarladım ama "Invalid credentials" hatası alıyorum. Yardımcı olabilir misiniz?""",
)
P(
    "en",
    "web_page",
    r"""<table class="team">
  <tr><th>Name</th><th>Role</th><th>E-mail</th></tr>
  <tr><td>⟨U:name⟩</td><td>CTO</td><td>⟨E:email⟩</td></tr>
  <tr><td>⟨U:name⟩</td><td>Office</td><td>⟨E:email⟩</td></tr>
</table>""",
)
P(
    "en",
    "docs_page",
    r"""Fill in the connection form:

Host: ⟨I:ipv4⟩
Port: 5432
User: analytics
Password: ⟨S:pw_gen⟩

then click "Test connection".""",
)
P(
    "en",
    "readme",
    r"""### Deploy

```
flyctl auth token ⟨S:flyio⟩
pscale auth login --service-token ⟨S:planetscale⟩
```

Need help? ⟨E:email⟩""",
)
P(
    "en",
    "qa_post",
    r"""Does anyone know why Grafana Cloud rejects my token? I'm using `⟨S:grafana_cloud⟩` in the Authorization header and get 401.""",
    n=2,
)


P(
    "de",
    "qa_answer",
    r"""Bei mir lag es am fehlenden TLS. So funktioniert es:

```yaml
mailer:
  host: smtp.⟨U:domain⟩
  port: 587
  user: ⟨E:email⟩
  pass: ⟨S:pw_gen⟩
```""",
)
P(
    "zh",
    "readme",
    r"""## 部署

1. 配置环境变量：`export DOPPLER_TOKEN=⟨S:doppler⟩`
2. 服务器地址：⟨I:ipv4⟩
3. 如有问题请联系 ⟨E:email⟩""",
)
P(
    "it",
    "forum_post",
    r"""Ciao a tutti, Home Assistant non si collega al broker. Questo è il mio secrets.yaml:

mqtt_password: ⟨S:pw_human⟩
telegram_token: ⟨S:telegram⟩

Il broker è su ⟨I:ipv4⟩. Grazie!""",
)
P(
    "ja",
    "wiki_page",
    r"""## VPNアカウント一覧

| ユーザー | パスワード | 接続先 |
|---------|-----------|--------|
| ⟨U:user⟩ | ⟨S:pw_gen⟩ | ⟨I:ipv4⟩ |
| ⟨U:user⟩ | ⟨S:pw_gen⟩ | ⟨I:ipv4⟩ |""",
)
P(
    "en",
    "qa_answer",
    r"""Gmail needs an app password, not your normal one:

```python
server = smtplib.SMTP_SSL("smtp.gmail.com", 465)
server.login("⟨E:email⟩", "⟨S:gmail_app⟩")
```""",
)
P(
    "fr",
    "blog_post",
    r"""Configurer WireGuard en 5 minutes

Sur le serveur (⟨I:ipv4⟩), le fichier ressemble à ceci :

[Interface]
PrivateKey = ⟨S:wg_key⟩
ListenPort = 51820""",
)
P(
    "en",
    "docs_page",
    r"""Troubleshooting: if you see

    ERROR delivery to ⟨E:email⟩ failed: connection to ⟨I:ipv4⟩:25 refused

your outbound port 25 is blocked by the hosting provider.""",
)
P(
    "nl",
    "forum_post",
    r"""Mijn NAS is van buitenaf niet bereikbaar. Port forwarding staat aan naar poort 5001, extern IP is ⟨I:ipv4⟩. Admin-wachtwoord heb ik al gereset naar ⟨S:pw_human⟩, maar het helpt niet.""",
)
P(
    "en",
    "github_discussion",
    r"""Webhook signature verification fails for us too. We're on v12, secret is `⟨S:stripe_whsec⟩`, requests come from ⟨I:ipv4⟩. Any ideas?""",
)

GROUP[0] = "c"
# --------------------------------------------------------------- (c) e-mails, chats, tickets, handover notes, tables
P(
    "en",
    "email",
    r"""Hi team,

The new Jenkins admin password is ⟨S:pw_gen⟩ - please update your password managers. The server also moved to ⟨I:ipv4⟩.

Cheers,
⟨U:first⟩ <⟨E:email⟩>""",
)
P(
    "en",
    "chat",
    r"""⟨U:user⟩ 10:14 AM
anyone have the prod stripe key?
⟨U:user⟩ 10:15 AM
`⟨S:stripe_sk⟩`
rotate it after the migration pls""",
)
P(
    "en",
    "ticket",
    r"""SUP-⟨U:num⟩: Customer cannot log in
Reporter: ⟨E:email⟩
Description: Customer reset the password to ⟨S:pw_human⟩ but still gets "invalid credentials". Last login IP: ⟨I:ipv4⟩.""",
)
P(
    "en",
    "handover_note",
    r"""On-call handover ⟨U:date⟩
* PagerDuty integration key: ⟨S:pd_integ⟩
* Grafana admin: admin / ⟨S:pw_gen⟩
* Bastion: ⟨I:ipv4⟩ (ssh -i ~/.ssh/oncall)
* Escalation: ⟨E:email⟩""",
)
P(
    "en",
    "email",
    r"""Your account has been created.

Username: ⟨E:email⟩
Temporary password:
    ⟨S:pw_gen⟩

You will be asked to change it at first sign-in.""",
)
P("en", "chat", r"""⟨S:pw_gen⟩ is the new root pw for ⟨I:ipv4⟩, don't lose it""")
P(
    "en",
    "email",
    r"""Hi ⟨U:first⟩,

Please charge the conference fee to our company card ⟨C:card⟩, exp ⟨U:exp⟩, billing contact ⟨E:email⟩.

Thanks!""",
)
P(
    "de",
    "email",
    r"""Hallo ⟨U:first⟩,

wie besprochen hier die Zugangsdaten für den neuen Testserver (⟨I:ipv4⟩):

Benutzer: admin
Passwort: ⟨S:pw_human⟩

Bitte nach dem ersten Login ändern. Bei Fragen einfach an ⟨E:email⟩ schreiben.

Viele Grüße
⟨U:first⟩""",
)
P(
    "de",
    "chat",
    r"""[⟨U:time⟩] ⟨U:name⟩: Kannst du mir den Key für die OpenAI-API schicken?
[⟨U:time⟩] ⟨U:name⟩: ⟨S:openai⟩ ← das ist der von unserem Team-Account""",
)
P(
    "de",
    "email",
    r"""Sehr geehrte Damen und Herren,

bitte belasten Sie für die Rechnung ⟨U:inv⟩ meine Kreditkarte ⟨C:card⟩ (gültig bis ⟨U:exp⟩).

Mit freundlichen Grüßen
⟨U:name⟩
⟨E:email⟩""",
)
P(
    "de",
    "handover_note",
    r"""Übergabe Bereitschaft:
Das Webhook-Secret für GitHub lautet ⟨S:generic_hex40⟩, das Deploy-Passwort steht in der nächsten Zeile:
⟨S:pw_gen⟩
Server: ⟨I:ipv4⟩""",
)
P(
    "fr",
    "ticket",
    r"""Ticket #⟨U:num⟩ – Accès SFTP
Bonjour, le client n'arrive pas à se connecter au serveur ⟨I:ipv4⟩. Identifiant : ⟨U:user⟩ / mot de passe : ⟨S:pw_gen⟩. Pouvez-vous vérifier les règles du pare-feu ? Contact : ⟨E:email⟩""",
)
P(
    "fr",
    "chat",
    r"""⟨U:first⟩ : t'as le mot de passe du compte Instagram de la boîte ?
⟨U:first⟩ : oui, ⟨S:pw_human⟩, mais change-le après l'événement stp""",
)
P(
    "es",
    "chat",
    r"""[10:42] ⟨U:first⟩: oye, ¿me pasas la clave del wifi de la oficina?
[10:43] ⟨U:first⟩: claro, la red es ⟨U:ssid⟩ y la contraseña es ⟨S:wifi_psk⟩
[10:43] ⟨U:first⟩: ¡gracias!""",
)
P(
    "es",
    "ticket",
    r"""Ticket ⟨U:num⟩ – No funciona la VPN
El usuario ⟨E:email⟩ indica que la clave precompartida (PSK) es ⟨S:wifi_psk⟩ y que el servidor ⟨I:ipv4⟩ rechaza la conexión.""",
)
P(
    "it",
    "handover_note",
    r"""Note di passaggio consegne – ⟨U:date⟩
- Il backup notturno gira su ⟨I:ipv4⟩, utente root.
- La password del NAS è cambiata: ⟨S:pw_gen⟩
- Il token API di Datadog (⟨S:dd_api⟩) scade a fine mese.
- Per emergenze: ⟨E:email⟩""",
)
P(
    "pt",
    "email",
    r"""Olá ⟨U:first⟩,
segue o cartão corporativo para a compra das licenças: ⟨C:card⟩, validade ⟨U:exp⟩, CVV ⟨U:cvv⟩. Depois apague esta mensagem, por favor.
Abraço,
⟨U:first⟩ – ⟨E:email⟩""",
)
P(
    "nl",
    "chat",
    r"""⟨U:first⟩: kan iemand mij het wachtwoord van de staging database sturen?
⟨U:first⟩: staat in de kluis, maar hier: `⟨S:pw_gen⟩`
⟨U:first⟩: top, dank je""",
)
P(
    "sv",
    "email",
    r"""Hej!
Jag har skapat ett konto åt dig i vårt CRM. Användarnamn: ⟨E:email⟩
Tillfälligt lösenord: ⟨S:pw_human⟩
Inloggningen fungerar bara från kontorets IP (⟨I:ipv4⟩).
Mvh ⟨U:first⟩""",
)
P(
    "da",
    "ticket",
    r"""Sag ⟨U:num⟩: Kunden har sendt sit kortnummer i klartekst: ⟨C:card⟩. Jeg har slettet vedhæftningen, men mailen fra ⟨E:email⟩ ligger stadig i indbakken.""",
)
P(
    "nb",
    "chat",
    r"""⟨U:first⟩: VPN-nøkkelen (PSK) for hytta er ⟨S:wifi_psk⟩, og ruteren står på ⟨I:ipv4⟩
⟨U:first⟩: takk, jeg tester i kveld""",
)
P(
    "fi",
    "email",
    r"""Moi,
uusi API-avain Mailchimpiin on ⟨S:mailchimp⟩. Vanha avain on poistettu käytöstä. Jos jokin integraatio hajoaa, laita viestiä osoitteeseen ⟨E:email⟩.
Terveisin ⟨U:first⟩""",
)
P(
    "pl",
    "handover_note",
    r"""Przekazanie dyżuru ⟨U:date⟩:
1. Serwer poczty (⟨I:ipv4⟩) – restart o 3:00, bez problemów.
2. Hasło do panelu OVH zmienione na: ⟨S:pw_gen⟩
3. Klient ⟨E:email⟩ zgłasza błędy 502, ticket w toku.""",
)
P(
    "cs",
    "email",
    r"""Dobrý den,
posílám přístupové údaje k FTP: server ⟨I:ipv4⟩, uživatel ⟨U:user⟩, heslo ⟨S:pw_gen⟩.
S pozdravem
⟨U:name⟩
⟨E:email⟩""",
)
P(
    "sk",
    "chat",
    r"""⟨U:first⟩: heslo k routeru je ⟨S:pw_human⟩ a verejná IP je ⟨I:ipv4⟩
⟨U:first⟩: vďaka, skúsim to hneď""",
)
P(
    "hu",
    "ticket",
    r"""Hibajegy #⟨U:num⟩
A fizetés sikertelen volt a következő kártyával: ⟨C:card⟩. Az ügyfél e-mail címe: ⟨E:email⟩. Kérem, ellenőrizzék a tranzakciót.""",
)
P(
    "ro",
    "email",
    r"""Bună ziua,
vă trimit cheia API pentru integrarea cu SendGrid: ⟨S:sendgrid⟩
Vă rog să nu o publicați în depozitul public.
Cu stimă,
⟨U:first⟩ (⟨E:email⟩)""",
)
P(
    "tr",
    "chat",
    r"""⟨U:first⟩: sunucuya bağlanamıyorum, IP ⟨I:ipv4⟩ değil mi?
⟨U:first⟩: evet, kullanıcı adı deploy; ⟨S:pw_gen⟩ şifresiyle giriş yapabilirsin
⟨U:first⟩: tamam teşekkürler""",
)
P("ru", "email", r"""Коллеги, доступ к админке 1С: логин ⟨U:user⟩, пароль ⟨S:pw_human⟩. Вопросы — на ⟨E:email⟩.""")
P(
    "uk",
    "chat",
    r"""⟨U:first⟩: скинь, будь ласка, пароль від Jira
⟨U:first⟩: ⟨S:pw_gen⟩ — тільки нікому не пересилай""",
)
P(
    "el",
    "email",
    r"""Καλησπέρα,
ο νέος κωδικός πρόσβασης για το VPN είναι: ⟨S:pw_gen⟩
Η διεύθυνση του gateway είναι ⟨I:ipv4⟩.
Ευχαριστώ,
⟨U:first⟩ – ⟨E:email⟩""",
)
P(
    "he",
    "chat",
    r"""⟨U:first⟩: הסיסמה החדשה לשרת היא ⟨S:pw_gen⟩
⟨U:first⟩: תודה! ומה כתובת ה-IP?
⟨U:first⟩: ⟨I:ipv4⟩""",
)
P(
    "ar",
    "email",
    r"""مرحباً ⟨U:first⟩،
هذه بيانات الدخول إلى لوحة التحكم:
اسم المستخدم: ⟨U:user⟩
كلمة المرور: ⟨S:pw_gen⟩
للاستفسار راسلني على ⟨E:email⟩
مع التحية""",
)
P("fa", "ticket", r"""درخواست #⟨U:num⟩: کاربر نمی‌تواند وارد شود. رمز عبور موقت: ⟨S:pw_gen⟩ — ایمیل کاربر: ⟨E:email⟩""")
P(
    "hi",
    "chat",
    r"""⟨U:first⟩: सर्वर का पासवर्ड क्या है?
⟨U:first⟩: पासवर्ड ⟨S:pw_gen⟩ है, और IP ⟨I:ipv4⟩ है।""",
)
P(
    "bn",
    "email",
    r"""নমস্কার,
আপনার অ্যাকাউন্টের অস্থায়ী পাসওয়ার্ড: ⟨S:pw_gen⟩
লগইন করার পর অনুগ্রহ করে পরিবর্তন করুন। সহায়তার জন্য ⟨E:email⟩ এ যোগাযোগ করুন।""",
)
P(
    "ja",
    "chat",
    r"""⟨U:first⟩さん、ステージング環境のDBパスワードは「⟨S:pw_gen⟩」です。接続先は ⟨I:ipv4⟩ です。よろしくお願いします。""",
)
P(
    "ja",
    "email",
    r"""お世話になっております。
法人カードの番号をお送りします：⟨C:card⟩（有効期限 ⟨U:exp⟩）
ご確認のほどよろしくお願いいたします。
⟨E:email⟩""",
)
P("zh", "chat", r"""⟨U:first⟩：测试服务器的 root 密码改成 ⟨S:pw_gen⟩ 了，IP 是 ⟨I:ipv4⟩，有问题找我。""")
P(
    "zh",
    "email",
    r"""您好，
阿里云的 AccessKey ID：⟨U:ali_id⟩
AccessKey Secret：⟨S:ali_secret⟩
请妥善保管。联系人邮箱：⟨E:email⟩""",
)
P(
    "ko",
    "ticket",
    r"""문의 #⟨U:num⟩
고객님이 결제 카드 번호 ⟨C:card⟩ 를 채팅에 남기셨습니다. 고객 이메일: ⟨E:email⟩. 카드 정보는 즉시 삭제 바랍니다.""",
)
P(
    "ko",
    "chat",
    r"""⟨U:first⟩: ⟨S:pw_human⟩ 이게 관리자 비밀번호예요
⟨U:first⟩: 감사합니다!""",
)
P(
    "vi",
    "chat",
    r"""⟨U:first⟩: mật khẩu wifi phòng họp là ⟨S:wifi_psk⟩ nhé
⟨U:first⟩: ok cảm ơn anh""",
)
P(
    "th",
    "email",
    r"""เรียนคุณ⟨U:first⟩
รหัสผ่านสำหรับเข้าระบบคือ ⟨S:pw_gen⟩ กรุณาเปลี่ยนรหัสผ่านหลังจากเข้าสู่ระบบครั้งแรก
ติดต่อ ⟨E:email⟩""",
)
P(
    "id",
    "chat",
    r"""⟨U:first⟩: bang, token GitHub buat CI udah aku ganti: ⟨S:gh_pat⟩
⟨U:first⟩: sip, nanti aku update di secrets""",
)
P(
    "ms",
    "email",
    r"""Salam,
Berikut butiran akaun pelayan: alamat IP ⟨I:ipv4⟩, nama pengguna ⟨U:user⟩, kata laluan ⟨S:pw_gen⟩.
Terima kasih,
⟨E:email⟩""",
)
P(
    "tl",
    "chat",
    r"""⟨U:first⟩: pre, ano ulit password ng admin panel?
⟨U:first⟩: ⟨S:pw_human⟩ — wag mo na i-share ha""",
)
P(
    "sw",
    "email",
    r"""Habari ⟨U:first⟩,
Nenosiri la mfumo wa malipo ni ⟨S:pw_gen⟩. Tafadhali usilishiriki na mtu yeyote.
Asante,
⟨E:email⟩""",
)
P(
    "hr",
    "ticket",
    r"""Prijava #⟨U:num⟩: korisnik ⟨E:email⟩ ne može pristupiti poslužitelju ⟨I:ipv4⟩. Privremena lozinka: ⟨S:pw_gen⟩""",
)
P(
    "sl",
    "chat",
    r"""⟨U:first⟩: geslo za strežnik je ⟨S:pw_gen⟩
⟨U:first⟩: hvala, kateri IP?
⟨U:first⟩: ⟨I:ipv4⟩""",
)
P(
    "bg",
    "email",
    r"""Здравейте,
паролата за достъп до базата данни е ⟨S:pw_gen⟩, а сървърът е ⟨I:ipv4⟩.
Поздрави,
⟨E:email⟩""",
)
P(
    "lt",
    "handover_note",
    r"""Perdavimo pastabos: serverio ⟨I:ipv4⟩ slaptažodis – ⟨S:pw_gen⟩. Klientų aptarnavimas: ⟨E:email⟩.""",
)
P(
    "lv",
    "chat",
    r"""⟨U:first⟩: WiFi tīkla parole ir ⟨S:wifi_psk⟩
⟨U:first⟩: paldies!""",
)
P(
    "et",
    "email",
    r"""Tere,
sinu ajutine parool on ⟨S:pw_gen⟩. Palun muuda see esimesel sisselogimisel.
Küsimuste korral kirjuta ⟨E:email⟩""",
)
P(
    "ca",
    "ticket",
    r"""Incidència ⟨U:num⟩: el client ha enviat la targeta ⟨C:card⟩ per correu electrònic des de ⟨E:email⟩. Cal esborrar el missatge.""",
)
P(
    "sr",
    "chat",
    r"""⟨U:first⟩: lozinka za bazu je ⟨S:pw_gen⟩, server ⟨I:ipv4⟩
⟨U:first⟩: hvala, probam odmah""",
)
P(
    "af",
    "email",
    r"""Goeie môre ⟨U:first⟩,
Die nuwe wagwoord vir die rekeningstelsel is ⟨S:pw_human⟩. Stuur asseblief enige vrae na ⟨E:email⟩.
Groete""",
)
P(
    "is",
    "chat",
    r"""⟨U:first⟩: lykilorðið að routernum er ⟨S:pw_gen⟩
⟨U:first⟩: takk fyrir!""",
)
P(
    "ga",
    "email",
    r"""A ⟨U:first⟩, a chara,
Seo é an pasfhocal nua don fhreastalaí ⟨I:ipv4⟩: ⟨S:pw_gen⟩
Le meas,
⟨E:email⟩""",
)
# tables
P(
    "en",
    "markdown_table",
    r"""| Service | Login | Password |
|---------|-------|----------|
| Jira | ⟨E:email⟩ | ⟨S:pw_gen⟩ |
| AWS root | ⟨E:email⟩ | ⟨S:pw_human⟩ |
| Router | admin | ⟨S:pw_gen⟩ |""",
)
P(
    "de",
    "csv_export",
    r"""Name;E-Mail;Kartennummer;Ablauf
⟨U:name⟩;⟨E:email⟩;⟨C:card⟩;⟨U:exp⟩
⟨U:name⟩;⟨E:email⟩;⟨C:card⟩;⟨U:exp⟩
⟨U:name⟩;⟨E:email⟩;⟨C:card⟩;⟨U:exp⟩""",
)
P(
    "fr",
    "html_table",
    r"""<table>
  <tr><th>Service</th><th>Jeton</th><th>Responsable</th></tr>
  <tr><td>Brevo</td><td>⟨S:brevo⟩</td><td>⟨E:email⟩</td></tr>
  <tr><td>Doppler</td><td>⟨S:doppler⟩</td><td>⟨E:email⟩</td></tr>
</table>""",
)
P(
    "nl",
    "tsv_export",
    "Server\tIP-adres\tGebruiker\tWachtwoord\n⟨U:host⟩\t⟨I:ipv4⟩\troot\t⟨S:pw_gen⟩\n⟨U:host⟩\t⟨I:ipv4⟩\tbeheer\t⟨S:pw_gen⟩\n⟨U:host⟩\t⟨I:ipv4⟩\troot\t⟨S:pw_gen⟩",
)
P(
    "es",
    "spreadsheet_export",
    r"""Cuenta;Usuario;Clave;Notas
Banco online;⟨U:user⟩;⟨S:pw_human⟩;cambiar en marzo
Hosting;⟨E:email⟩;⟨S:pw_gen⟩;
Correo;⟨E:email⟩;⟨S:pw_human⟩;""",
)
P(
    "en",
    "confluence_table",
    r"""|| Vendor || Key || Owner ||
| Stripe | ⟨S:stripe_sk⟩ | ⟨E:email⟩ |
| SendGrid | ⟨S:sendgrid⟩ | ⟨E:email⟩ |
| Twilio | ⟨S:twilio_token⟩ | ⟨E:email⟩ |""",
)
P(
    "pt",
    "markdown_table",
    r"""| Nome | Cartão | Validade |
|------|--------|----------|
| ⟨U:name⟩ | ⟨C:card⟩ | ⟨U:exp⟩ |
| ⟨U:name⟩ | ⟨C:card⟩ | ⟨U:exp⟩ |
| ⟨U:name⟩ | ⟨C:card⟩ | ⟨U:exp⟩ |""",
)
P(
    "it",
    "markdown_table",
    r"""| Sede | IP pubblico | PSK Wi-Fi |
|------|-------------|-----------|
| Milano | ⟨I:ipv4⟩ | ⟨S:wifi_psk⟩ |
| Torino | ⟨I:ipv4⟩ | ⟨S:wifi_psk⟩ |""",
)
P(
    "en",
    "handover_note",
    r"""Handover for ⟨U:name⟩ (leaving Friday)

Okta admin API token -> ⟨S:okta⟩
Atlassian token (CI bot):
⟨S:atlassian⟩
Square prod access token: ⟨S:square⟩, app secret ⟨S:square_secret⟩""",
    n=2,
)
P(
    "en",
    "email",
    r"""Hi,

as requested, the Braintree production token is [⟨S:braintree⟩] and the Twitter bearer is [⟨S:twitter_bearer⟩].

Best,
⟨U:first⟩""",
    n=2,
)
P(
    "de",
    "ticket",
    r"""Ticket ⟨U:num⟩ - Kunde ⟨E:email⟩ bittet um Erstattung. Zahlung erfolgte mit Karte ⟨C:card⟩ am ⟨U:date⟩, Betrag ⟨U:amount⟩ EUR.""",
)
P(
    "en",
    "chat",
    r"""⟨U:first⟩: the DigitalOcean token for terraform is <⟨S:do_token⟩>
⟨U:first⟩: and the Facebook page token?
⟨U:first⟩: ⟨S:fb_token⟩""",
    n=2,
)
P(
    "en",
    "email",
    r"""From: ⟨U:name⟩ <⟨E:email⟩>
To: ⟨E:email⟩
Subject: PGP key for the backup job

Attached below, keep it offline:

⟨S:pk_pgp⟩""",
    n=2,
)
P(
    "en",
    "chat",
    r"""⟨U:first⟩: here's the EC key for the Apple push cert, don't commit it
⟨S:pk_ec⟩
⟨U:first⟩: thx""",
    n=2,
)
P(
    "en",
    "email",
    r"""Hi ⟨U:first⟩, the passphrase for the encrypted backup key is "⟨S:passphrase⟩" and the key itself is:

⟨S:pk_enc⟩""",
    n=2,
)
P(
    "fr",
    "email",
    r"""Bonjour,
Voici la carte pour le paiement de l'hôtel : ⟨C:card⟩, expiration ⟨U:exp⟩. Le nom sur la carte est ⟨U:name⟩.
Merci de confirmer à ⟨E:email⟩.""",
)
P(
    "en",
    "ticket",
    r"""INC-⟨U:num⟩ Payment failed
Customer: ⟨E:email⟩
Card: ⟨C:amex⟩
Gateway response: do_not_honor""",
)
P(
    "es",
    "email",
    r"""Hola ⟨U:first⟩,
te paso la tarjeta de la empresa para reservar los vuelos: ⟨C:visa⟩, caduca ⟨U:exp⟩.
Un saludo,
⟨E:email⟩""",
)
P(
    "ja",
    "ticket",
    r"""【問い合わせ #⟨U:num⟩】
お客様（⟨E:email⟩）から、カード番号 ⟨C:jcb⟩ で決済できないとの連絡あり。""",
)
P("zh", "ticket", r"""工单 ⟨U:num⟩：用户 ⟨E:email⟩ 反馈银联卡 ⟨C:unionpay⟩ 支付失败，请财务核实。""")
P(
    "en",
    "chat",
    r"""⟨U:first⟩: can you put this on the corporate mastercard? ⟨C:mastercard⟩
⟨U:first⟩: done""",
)
P(
    "it",
    "email",
    r"""Buongiorno,
per il rinnovo dell'abbonamento usate pure la carta ⟨C:card⟩ (scadenza ⟨U:exp⟩).
Cordiali saluti,
⟨U:name⟩ – ⟨E:email⟩""",
)

P(
    "en",
    "sql_dump",
    r"""INSERT INTO payments (id, customer_email, pan, expiry) VALUES
  (⟨U:num⟩, '⟨E:email⟩', '⟨C:card_plain⟩', '⟨U:exp⟩'),
  (⟨U:num⟩, '⟨E:email⟩', '⟨C:card_plain⟩', '⟨U:exp⟩');""",
)
P(
    "en",
    "http_request_dump",
    r"""POST /checkout HTTP/1.1
Host: shop.⟨U:domain⟩
Content-Type: application/x-www-form-urlencoded

cardholder=⟨U:first⟩+⟨U:last⟩&cc_number=⟨C:card_plain⟩&cc_exp=⟨U:exp⟩&email=⟨E:email⟩""",
)
P(
    "nl",
    "chat",
    r"""⟨U:first⟩: kun je de hotelboeking op de zakelijke creditcard zetten? ⟨C:card_sp⟩, geldig tot ⟨U:exp⟩
⟨U:first⟩: komt goed""",
)
P(
    "pl",
    "email",
    r"""Dzień dobry,
proszę obciążyć kartę ⟨C:card⟩ (ważna do ⟨U:exp⟩) kwotą za fakturę ⟨U:inv⟩.
Pozdrawiam, ⟨E:email⟩""",
)
P("sv", "chat", r"""⟨U:first⟩: kortnumret till företagskortet är ⟨C:card⟩, giltigt t.o.m. ⟨U:exp⟩""")
P(
    "tr",
    "email",
    r"""Merhaba,
otel ödemesi için kart numaram: ⟨C:card⟩, son kullanma ⟨U:exp⟩.
Saygılarımla, ⟨E:email⟩""",
)
P("ru", "chat", r"""⟨U:first⟩: оплати, пожалуйста, хостинг с карты ⟨C:card⟩, срок до ⟨U:exp⟩""")
P(
    "en",
    "json_api_response",
    r"""{"customer": {"email": "⟨E:email⟩", "default_card": {"number": "⟨C:card_plain⟩", "brand": "card", "exp": "⟨U:exp⟩"}}, "ip": "⟨I:ipv4⟩"}""",
)
P(
    "en",
    "support_chat",
    r"""Customer: hi, my payment keeps failing, card is ⟨C:discover⟩
Agent: Please never share your full card number here. I've removed it from our records.
Customer: ok, the other one is ⟨C:diners⟩""",
)

GROUP[0] = "d"
# --------------------------------------------------------------- (d) logs, shell sessions, HTTP traffic
P(
    "en",
    "nginx_access_log",
    r'''⟨I:ipv4⟩ - - [⟨U:clf_ts⟩] "GET /index.html HTTP/1.1" 200 ⟨U:size⟩ "-" "⟨U:ua⟩"
⟨I:ipv4⟩ - - [⟨U:clf_ts⟩] "POST /wp-login.php HTTP/1.1" 403 ⟨U:size⟩ "-" "⟨U:ua⟩"
⟨I:ipv4⟩ - - [⟨U:clf_ts⟩] "GET /api/v2/orders?access_token=⟨S:generic32⟩ HTTP/1.1" 200 ⟨U:size⟩ "-" "⟨U:ua⟩"
⟨I:ipv6⟩ - - [⟨U:clf_ts⟩] "GET /robots.txt HTTP/1.1" 404 ⟨U:size⟩ "-" "⟨U:ua⟩"''',
)
P(
    "en",
    "auth_log",
    r"""⟨U:syslog_ts⟩ ⟨U:hostshort⟩ sshd[⟨U:pid⟩]: Failed password for invalid user ⟨U:user⟩ from ⟨I:ipv4⟩ port ⟨U:port⟩ ssh2
⟨U:syslog_ts⟩ ⟨U:hostshort⟩ sshd[⟨U:pid⟩]: Accepted publickey for deploy from ⟨I:ipv4⟩ port ⟨U:port⟩ ssh2: ED25519 SHA256:⟨U:fp⟩
⟨U:syslog_ts⟩ ⟨U:hostshort⟩ sshd[⟨U:pid⟩]: Disconnected from authenticating user root ⟨I:ipv4⟩ port ⟨U:port⟩ [preauth]""",
)
P(
    "en",
    "fail2ban_log",
    r"""⟨U:date⟩ 03:12:44,118 fail2ban.actions [⟨U:pid⟩]: NOTICE [sshd] Ban ⟨I:ipv4⟩
⟨U:date⟩ 03:14:02,551 fail2ban.actions [⟨U:pid⟩]: NOTICE [sshd] Ban ⟨I:ipv4⟩
⟨U:date⟩ 04:12:44,120 fail2ban.actions [⟨U:pid⟩]: NOTICE [sshd] Unban ⟨I:ipv4⟩""",
)
P(
    "en",
    "http_request_dump",
    r"""POST /v1/messages HTTP/1.1
Host: api.⟨U:domain⟩
Authorization: Basic ⟨S:basic_b64⟩
Content-Type: application/json
X-Forwarded-For: ⟨I:ipv4⟩, ⟨U:priv_ip⟩
Cookie: _ga=GA1.2.⟨U:digits9⟩.⟨U:epoch⟩; session_id=⟨S:session⟩""",
)
P(
    "en",
    "http_response_dump",
    r"""HTTP/2 200
content-type: text/html; charset=utf-8
set-cookie: connect.sid=⟨S:connect_sid⟩; Path=/; HttpOnly; Secure
set-cookie: remember_token=⟨S:generic40⟩; Max-Age=2592000; HttpOnly
x-served-by: cache-fra-⟨U:num⟩""",
)
P(
    "en",
    "curl_verbose",
    r"""$ curl -v https://api.⟨U:domain⟩/v1/users/me -H "Authorization: Bearer ⟨S:jwt⟩"
*   Trying ⟨I:ipv4#1⟩:443...
* Connected to api.⟨U:domain⟩ (⟨I:ipv4#1⟩) port 443
> GET /v1/users/me HTTP/2
< HTTP/2 200""",
)
P(
    "en",
    "bash_history",
    r"""ls -la
mysql -h ⟨I:ipv4⟩ -u root -p⟨S:pw_gen⟩ shop_prod
sshpass -p '⟨S:pw_gen⟩' ssh deploy@⟨I:ipv4⟩
export AWS_SECRET_ACCESS_KEY=⟨S:aws_secret⟩
history -c""",
)
P(
    "en",
    "shell_session",
    r"""$ docker login -u ⟨U:user⟩ -p ⟨S:dockerhub⟩
WARNING! Using --password via the CLI is insecure. Use --password-stdin.
Login Succeeded""",
)
P(
    "en",
    "python_traceback",
    r"""Traceback (most recent call last):
  File "/srv/app/db.py", line 42, in connect
    engine = create_engine("postgresql+psycopg2://⟨U:user⟩:⟨S:pw_url⟩@⟨I:ipv4#1⟩:5432/⟨U:dbname⟩")
sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "⟨I:ipv4#1⟩", port 5432 failed: timeout expired""",
)
P(
    "en",
    "json_log",
    r"""{"ts":"⟨U:ts⟩","level":"info","event":"user.login","email":"⟨E:email⟩","ip":"⟨I:ipv4⟩","ua":"⟨U:ua⟩"}
{"ts":"⟨U:ts⟩","level":"info","event":"user.login","email":"⟨E:email⟩","ip":"⟨I:ipv6⟩","ua":"⟨U:ua⟩"}
{"ts":"⟨U:ts⟩","level":"warn","event":"user.login_failed","email":"⟨E:email⟩","ip":"⟨I:ipv4⟩"}""",
)
P(
    "en",
    "payment_debug_log",
    r"""⟨U:ts⟩ DEBUG gateway.request {"amount": ⟨U:amount⟩, "currency": "EUR", "card": {"number": "⟨C:card_plain⟩", "exp_month": ⟨U:mm⟩, "exp_year": ⟨U:yyyy⟩}, "merchant_key": "⟨S:generic32⟩"}
⟨U:ts⟩ DEBUG gateway.response {"status": "approved", "auth_code": "⟨U:num⟩"}""",
)
P(
    "en",
    "firewall_log",
    r"""⟨U:syslog_ts⟩ gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟨I:ipv4⟩ DST=⟨U:priv_ip⟩ LEN=60 TTL=49 PROTO=TCP SPT=⟨U:port⟩ DPT=22
⟨U:syslog_ts⟩ gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟨I:ipv4⟩ DST=⟨U:priv_ip⟩ LEN=44 TTL=241 PROTO=TCP SPT=⟨U:port⟩ DPT=3389""",
)
P(
    "en",
    "mail_log",
    r"""⟨U:syslog_ts⟩ mx1 postfix/smtpd[⟨U:pid⟩]: connect from mail-⟨U:word⟩.⟨U:domain⟩[⟨I:ipv4⟩]
⟨U:syslog_ts⟩ mx1 postfix/qmgr[⟨U:pid⟩]: ⟨U:qid⟩: from=<⟨E:email⟩>, size=⟨U:size⟩, nrcpt=1 (queue active)
⟨U:syslog_ts⟩ mx1 postfix/smtp[⟨U:pid⟩]: ⟨U:qid⟩: to=<⟨E:email⟩>, relay=mx.⟨U:domain⟩[⟨I:ipv4⟩]:25, status=sent (250 OK)""",
)
P(
    "en",
    "kubectl_output",
    r"""$ kubectl get secret db-creds -o yaml
apiVersion: v1
data:
  password: ⟨S:b64pw⟩
  username: YXBwX3VzZXI=
kind: Secret
metadata:
  name: db-creds""",
)
P(
    "en",
    "tcpdump_output",
    r"""⟨U:time⟩:12.345678 IP ⟨I:ipv4⟩.443 > ⟨U:priv_ip⟩.⟨U:port⟩: Flags [P.], seq 1:518, ack 1, win 501, length 517
⟨U:time⟩:12.346001 IP ⟨U:priv_ip⟩.⟨U:port⟩ > ⟨I:ipv4⟩.53: 4521+ A? api.⟨U:domain⟩. (34)""",
)
P(
    "en",
    "redis_monitor",
    r'''⟨U:epoch⟩.118233 [0 ⟨I:ipv4⟩:⟨U:port⟩] "AUTH" "⟨S:pw_gen⟩"
⟨U:epoch⟩.118901 [0 ⟨I:ipv4⟩:⟨U:port⟩] "GET" "session:⟨U:hex16⟩"''',
)
P(
    "en",
    "ftp_transcript",
    r"""Connected to ⟨I:ipv4⟩.
220 ProFTPD Server ready.
USER ⟨U:user⟩
331 Password required
PASS ⟨S:pw_gen⟩
230 User logged in""",
)
P(
    "en",
    "smtp_transcript",
    r"""S: 220 smtp.⟨U:domain⟩ ESMTP
C: EHLO client
S: 250-AUTH PLAIN LOGIN
C: AUTH PLAIN ⟨S:b64_plain⟩
S: 235 Authentication successful""",
)
P(
    "en",
    "imap_transcript",
    r"""* OK IMAP4rev1 ready
a1 LOGIN ⟨E:email⟩ ⟨S:pw_gen⟩
a1 OK LOGIN completed""",
)
P(
    "en",
    "cloudtrail_event",
    r"""{"eventName": "ConsoleLogin", "sourceIPAddress": "⟨I:ipv4⟩", "userIdentity": {"type": "IAMUser", "accessKeyId": "⟨U:akid⟩"}, "additionalEventData": {"MFAUsed": "No"}}""",
)
P(
    "en",
    "windows_event_log",
    r"""An account failed to log on.
Account Name:        ⟨U:user⟩
Workstation Name:    ⟨U:hostshort⟩
Source Network Address: ⟨I:ipv4⟩
Source Port:         ⟨U:port⟩""",
)
P(
    "en",
    "docker_inspect",
    r""""Env": [
    "POSTGRES_PASSWORD=⟨S:pw_gen⟩",
    "SENTRY_AUTH_TOKEN=⟨S:sentry⟩",
    "NEW_RELIC_API_KEY=⟨S:newrelic⟩",
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin"
],""",
)
P(
    "en",
    "ci_log",
    r"""[INFO] Using repository credentials user 'ci' password '⟨S:pw_gen⟩' for https://nexus.⟨U:domain⟩
[INFO] Publishing artifact ⟨U:repo⟩-1.4.2.jar
[INFO] RubyGems key: ⟨S:rubygems⟩""",
)
P(
    "en",
    "har_file",
    r""""headers": [
  {"name": "Authorization", "value": "Bearer ⟨S:gh_oauth⟩"},
  {"name": "Cookie", "value": "_octo=GH1.1.⟨U:digits9⟩.⟨U:epoch⟩; user_session=⟨S:session⟩"}
]""",
)
P(
    "en",
    "haproxy_log",
    r'''⟨U:syslog_ts⟩ lb1 haproxy[⟨U:pid⟩]: [⟨I:ipv6⟩]:⟨U:port⟩ fe_https be_app/web01 0/0/1/12/13 200 ⟨U:size⟩ - - ---- 12/12/0/0/0 0/0 "GET /health HTTP/1.1"
⟨U:syslog_ts⟩ lb1 haproxy[⟨U:pid⟩]: ⟨I:ipv4⟩:⟨U:port⟩ fe_https be_app/web02 0/0/2/40/42 302 ⟨U:size⟩ - - ---- 12/12/0/0/0 0/0 "GET /login HTTP/1.1"''',
)
P(
    "en",
    "apache_error_log",
    r"""[⟨U:syslog_ts⟩] [authz_core:error] [pid ⟨U:pid⟩] [client ⟨I:ipv4⟩:⟨U:port⟩] AH01630: client denied by server configuration: /var/www/admin
[⟨U:syslog_ts⟩] [php:warn] [pid ⟨U:pid⟩] [client ⟨I:ipv4⟩:⟨U:port⟩] PHP Warning: mysqli::__construct(): (HY000/1045): Access denied""",
)
P(
    "en",
    "shell_session",
    r"""$ git clone https://⟨U:user⟩:⟨S:gh_pat⟩@github.com/⟨U:org⟩/⟨U:repo⟩.git
Cloning into '⟨U:repo⟩'...
remote: Enumerating objects: 1342, done.""",
)
P(
    "en",
    "shell_session",
    r"""$ PGPASSWORD=⟨S:pw_gen⟩ psql -h ⟨I:ipv4⟩ -U ⟨U:user⟩ -d ⟨U:dbname⟩
psql (16.2)
SSL connection (protocol: TLSv1.3)
⟨U:dbname⟩=>""",
)
P(
    "en",
    "shell_session",
    r"""$ vault login ⟨S:vault⟩
Success! You are now authenticated.
Key                  Value
token_accessor       ⟨U:generic_acc⟩
token_policies       ["default" "ops"]""",
)
P(
    "en",
    "bash_history",
    r"""wget --user=⟨U:user⟩ --password=⟨S:pw_gen⟩ https://files.⟨U:domain⟩/backup.tar.gz
htpasswd -b /etc/nginx/.htpasswd ⟨U:user⟩ ⟨S:pw_human⟩
smbclient //⟨I:ipv4⟩/share -U ⟨U:user⟩%⟨S:pw_url⟩
redis-cli -h ⟨I:ipv4⟩ -a ⟨S:pw_gen⟩ ping""",
)
P(
    "en",
    "cmd_session",
    r"""C:\Users\admin> net use Z: \\⟨I:ipv4⟩\backup ⟨S:pw_gen⟩ /user:svc_backup
The command completed successfully.""",
)
P(
    "en",
    "router_syslog",
    r"""⟨U:syslog_ts⟩ router pppd[⟨U:pid⟩]: local  IP address ⟨I:ipv4⟩
⟨U:syslog_ts⟩ router pppd[⟨U:pid⟩]: remote IP address ⟨I:ipv4⟩
⟨U:syslog_ts⟩ router pppd[⟨U:pid⟩]: primary   DNS address ⟨I:ipv4⟩""",
)
P(
    "en",
    "ping_output",
    r"""$ ping -c 1 ⟨U:domain⟩
PING ⟨U:domain⟩ (⟨I:ipv4#1⟩) 56(84) bytes of data.
64 bytes from ⟨I:ipv4#1⟩: icmp_seq=1 ttl=54 time=12.3 ms
$ traceroute -n ⟨U:domain⟩
 1  ⟨U:priv_ip⟩  0.412 ms
 2  ⟨I:ipv4⟩  8.903 ms
 3  ⟨I:ipv4⟩  11.771 ms""",
)
P(
    "en",
    "dig_output",
    r""";; ANSWER SECTION:
⟨U:domain⟩.		300	IN	A	⟨I:ipv4⟩
⟨U:domain⟩.		300	IN	AAAA	⟨I:ipv6⟩

;; SERVER: ⟨I:ipv4⟩#53(⟨I:ipv4⟩) (UDP)""",
)
P(
    "en",
    "whois_output",
    r"""inetnum:        ⟨I:ipv4⟩ - ⟨I:ipv4⟩
netname:        ⟨U:org⟩-NET
country:        DE
abuse-mailbox:  ⟨E:email⟩
tech-c:         ⟨U:last⟩-RIPE""",
)
P(
    "en",
    "webhook_log",
    r"""⟨U:ts⟩ INFO  verifying webhook with secret ⟨S:stripe_whsec⟩ from ⟨I:ipv4⟩
⟨U:ts⟩ INFO  event accepted (type=payment_intent.succeeded)""",
)
P(
    "en",
    "app_log",
    r"""⟨U:ts⟩ [main] DEBUG HttpClient - POST https://api.⟨U:domain⟩/token client_id=⟨U:hex16⟩&client_secret=⟨S:generic40⟩&grant_type=client_credentials
⟨U:ts⟩ [main] DEBUG HttpClient - 200 OK (134 ms)""",
)
P(
    "en",
    "http_request_dump",
    r"""GET /dashboard HTTP/1.1
Host: ⟨U:domain⟩
Cookie: PHPSESSID=⟨S:phpsess⟩; lang=de
X-Real-IP: ⟨I:ipv4⟩
User-Agent: ⟨U:ua⟩""",
)
P(
    "en",
    "http_request_dump",
    r"""GET /api/export?apikey=⟨S:generic32⟩&format=csv HTTP/1.1
Host: reports.⟨U:domain⟩
X-Forwarded-For: ⟨I:ipv6⟩""",
)
P(
    "en",
    "websocket_log",
    r"""⟨U:ts⟩ ws connect wss://gateway.⟨U:domain⟩/?token=⟨S:jwt⟩ from ⟨I:ipv4⟩
⟨U:ts⟩ ws closed code=1000""",
)
P(
    "de",
    "app_log",
    r"""⟨U:ts⟩ FEHLER Anmeldung am SMTP-Server fehlgeschlagen: Benutzer ⟨E:email⟩, Passwort ⟨S:pw_gen⟩, Server ⟨I:ipv4⟩:587""",
)
P("ja", "app_log", r"""⟨U:ts⟩ [ERROR] 決済APIの呼び出しに失敗しました カード番号=⟨C:card_plain⟩ 送信元IP=⟨I:ipv4⟩""")
P(
    "en",
    "env_dump",
    r"""$ env | sort
HOME=/home/app
HUGGINGFACE_TOKEN=⟨S:hf⟩
LINEAR_API_KEY=⟨S:linear⟩
PLANETSCALE_PASSWORD=⟨S:planetscale⟩
SHELL=/bin/bash""",
)
P(
    "en",
    "shell_session",
    r"""$ npm config set //registry.npmjs.org/:_authToken ⟨S:npm⟩
$ npm publish --access public
+ @⟨U:scope⟩/utils@1.0.3""",
)
P(
    "en",
    "shell_session",
    r"""$ ./deploy.sh production ⟨S:pw_gen⟩ ⟨I:ipv4⟩
[deploy] uploading build to ⟨I:ipv4⟩ ...
[deploy] done""",
)
P(
    "en",
    "http_request_dump",
    r"""POST /oauth/token HTTP/1.1
Host: login.⟨U:domain⟩
Content-Type: application/x-www-form-urlencoded

grant_type=password&username=⟨E:email⟩&password=⟨S:pw_url⟩&client_secret=⟨S:gcp_secret⟩""",
)
P(
    "en",
    "nginx_access_log",
    r"""⟨I:ipv4⟩ - ⟨U:user⟩ [⟨U:clf_ts⟩] "GET /admin/?api_key=⟨S:adafruit⟩ HTTP/1.1" 200 ⟨U:size⟩
⟨I:ipv6⟩ - - [⟨U:clf_ts⟩] "GET /favicon.ico HTTP/1.1" 200 ⟨U:size⟩""",
)


P(
    "en",
    "exim_log",
    r"""⟨U:date⟩ 10:22:31 1r⟨U:serial⟩ <= ⟨E:email⟩ H=(mail.⟨U:domain⟩) [⟨I:ipv4⟩] P=esmtpsa A=dovecot_login:⟨E:email⟩ S=⟨U:size⟩
⟨U:date⟩ 10:22:33 1r⟨U:serial⟩ => ⟨E:email⟩ R=dnslookup T=remote_smtp H=mx.⟨U:domain⟩ [⟨I:ipv4⟩]""",
)
P(
    "en",
    "app_log",
    r"""[⟨U:ts⟩] production.DEBUG: Incoming request {"path":"/login","input":{"email":"⟨E:email⟩","password":"⟨S:pw_human⟩"},"ip":"⟨I:ipv4⟩"}""",
)
P(
    "en",
    "nginx_error_log",
    r'''⟨U:date⟩ 08:14:02 [error] ⟨U:pid⟩#0: *⟨U:num⟩ upstream timed out while reading response header from upstream, client: ⟨I:ipv4⟩, server: ⟨U:domain⟩, upstream: "http://⟨I:ipv4⟩:8080/api", host: "⟨U:domain⟩"''',
)
P(
    "en",
    "jenkins_console",
    r"""[Pipeline] sh
+ git fetch https://x-access-token:⟨S:gh_app⟩@github.com/⟨U:org⟩/⟨U:repo⟩.git
From https://github.com/⟨U:org⟩/⟨U:repo⟩
 * branch            main       -> FETCH_HEAD""",
)
P(
    "en",
    "shell_session",
    r"""$ export TF_TOKEN_app_terraform_io=⟨S:tfc⟩
$ terraform login
$ ssh -p 2222 deploy@⟨I:ipv4⟩ 'cat /etc/os-release' """,
)

gen("generic_acc")(lambda: rs(ALNUM, 24))

# =========================================================================== hard negatives
N(
    "git_commit_hash",
    "en",
    "git_log",
    r"""commit ⟨U:sha1⟩
Author: ⟨U:name⟩ <⟨U:rmail⟩>
Date:   ⟨U:gitdate⟩

    Fix race condition in ⟨U:word⟩ loader""",
)
N(
    "git_commit_hash",
    "en",
    "shell_session",
    r"""$ git merge origin/main
Updating ⟨U:sha7⟩..⟨U:sha7⟩
Fast-forward
 src/⟨U:word⟩.py | 12 ++++++------""",
)
N(
    "git_commit_hash",
    "en",
    "github_issue",
    r"""Bisect points at ⟨U:sha7⟩ as the first bad commit; reverting ⟨U:sha1⟩ fixes the build.""",
)
N("git_commit_hash", "de", "chat", r"""⟨U:first⟩: Der Fehler wurde mit Commit ⟨U:sha7⟩ behoben, siehe auch ⟨U:sha1⟩.""")
N(
    "checksum_hash",
    "en",
    "shell_session",
    r"""$ sha256sum ⟨U:fname⟩.tar.gz
⟨U:sha256⟩  ⟨U:fname⟩.tar.gz""",
)
N(
    "checksum_hash",
    "en",
    "release_notes",
    r"""MD5 (⟨U:fname⟩.iso) = ⟨U:md5⟩
SHA1 (⟨U:fname⟩.iso) = ⟨U:sha1⟩""",
)
N("checksum_hash", "de", "docs_page", r"""Prüfsumme (SHA-256) der Datei ⟨U:fname⟩.zip: ⟨U:sha256⟩""")
N(
    "checksum_hash",
    "en",
    "package_lock",
    r""""node_modules/⟨U:word⟩": {
  "version": "⟨U:ver3⟩",
  "resolved": "https://registry.npmjs.org/⟨U:word⟩/-/⟨U:word⟩-⟨U:ver3⟩.tgz",
  "integrity": "⟨U:integrity⟩"
}""",
)
N(
    "uuid_identifier",
    "en",
    "app_log",
    r"""⟨U:ts⟩ INFO request_id=⟨U:uuid⟩ tenant=⟨U:uuid⟩ status=200 duration_ms=⟨U:pid⟩""",
)
N(
    "uuid_identifier",
    "en",
    "json_payload",
    r"""{"orderId": "⟨U:uuid⟩", "customerId": "⟨U:uuid⟩", "status": "shipped"}""",
)
N(
    "uuid_identifier",
    "en",
    "fstab",
    r"""UUID=⟨U:uuid⟩ /data ext4 defaults,noatime 0 2
UUID=⟨U:uuid⟩ none  swap sw 0 0""",
)
N(
    "uuid_identifier",
    "ja",
    "ticket",
    r"""対象のテナントID: ⟨U:uuid⟩
サブスクリプションID: ⟨U:uuid⟩""",
)
N("ip_shaped_number", "en", "changelog", r"""Upgraded ⟨U:pkg⟩ from ⟨U:ver4⟩ to ⟨U:ver4⟩ to pick up the security fix.""")
N(
    "ip_shaped_number",
    "en",
    "csharp_source",
    r"""[assembly: AssemblyVersion("⟨U:ver4⟩")]
[assembly: AssemblyFileVersion("⟨U:ver4⟩")]""",
)
N(
    "ip_shaped_number",
    "fr",
    "support_answer",
    r"""La version ⟨U:ver4⟩ du pilote corrige le problème ; la ⟨U:ver4⟩ est encore affectée.""",
)
N(
    "ip_shaped_number",
    "de",
    "legal_text",
    r"""Gemäß Abschnitt ⟨U:ver4⟩ der Richtlinie sind Änderungen schriftlich zu dokumentieren.""",
)
N(
    "private_ip",
    "en",
    "shell_session",
    r"""$ ip addr show eth0
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500
    inet ⟨U:priv_ip⟩/24 brd 10.255.255.255 scope global eth0
    inet6 ⟨U:priv_ip6⟩/64 scope global""",
)
N(
    "private_ip",
    "en",
    "hosts_file",
    r"""127.0.0.1   localhost
⟨U:priv_ip⟩  ⟨U:host⟩.internal
⟨U:priv_ip⟩  ⟨U:host⟩.internal""",
)
N("private_ip", "es", "chat", r"""⟨U:first⟩: el router está en ⟨U:priv_ip⟩ y la impresora en ⟨U:priv_ip⟩""")
N(
    "private_ip",
    "en",
    "kubernetes_manifest",
    r"""status:
  hostIP: ⟨U:priv_ip⟩
  podIP: ⟨U:priv_ip⟩
  phase: Running""",
)
N(
    "documentation_ip",
    "en",
    "api_docs",
    r"""curl http://⟨U:doc_ip⟩:8080/health
# {"status":"ok","peer":"⟨U:doc_ip⟩"}""",
)
N(
    "documentation_ip",
    "en",
    "rfc_text",
    r"""For example, a client at ⟨U:doc_ip⟩ sends a query to the resolver at ⟨U:doc_ip⟩, which forwards it to ⟨U:doc_ip6⟩.""",
)
N(
    "documentation_ip",
    "de",
    "docs_page",
    r"""Beispiel: ssh admin@⟨U:doc_ip⟩ – ersetzen Sie die Adresse durch die Ihres Servers.""",
)
N(
    "documentation_ip",
    "en",
    "nginx_config",
    r"""# sample only
set_real_ip_from ⟨U:doc_ip⟩;
allow ⟨U:doc_ip6⟩;""",
)
N(
    "loopback_linklocal_ip",
    "en",
    "shell_session",
    r"""$ ss -tlnp
LISTEN 0 128 ⟨U:loop_ip⟩:5432 0.0.0.0:*
LISTEN 0 128 [::1]:6379 [::]:*""",
)
N(
    "loopback_linklocal_ip",
    "en",
    "app_log",
    r"""⟨U:ts⟩ WARN could not reach metadata service at ⟨U:loop_ip⟩, retrying""",
)
N(
    "loopback_linklocal_ip",
    "pt",
    "forum_post",
    r"""Quando acesso ⟨U:loop_ip⟩ no navegador aparece a página padrão do Apache. O que faço?""",
)
N(
    "loopback_linklocal_ip",
    "en",
    "mdns_log",
    r"""⟨U:syslog_ts⟩ avahi-daemon[⟨U:pid⟩]: Joining mDNS multicast group on interface eth0 (⟨U:loop_ip⟩)""",
)
N(
    "reserved_domain_email",
    "en",
    "docs_page",
    r"""Send a test message to ⟨U:rmail⟩ and check that it arrives in the sandbox inbox.""",
)
N(
    "reserved_domain_email",
    "en",
    "shell_session",
    r'''$ git config --global user.email "⟨U:rmail⟩"
$ git config --global user.name "⟨U:name⟩"''',
)
N(
    "reserved_domain_email",
    "en",
    "test_fixture",
    r"""users = [
    {"name": "⟨U:name⟩", "email": "⟨U:rmail⟩"},
    {"name": "⟨U:name⟩", "email": "⟨U:rmail⟩"},
]""",
)
N("reserved_domain_email", "fr", "docs_page", r"""Pour tester le formulaire, utilisez l'adresse ⟨U:rmail⟩.""")
N(
    "masked_secret",
    "en",
    "dotenv_file",
    r"""STRIPE_SECRET_KEY=sk_live_••••••••••••••••⟨U:last4⟩
DB_PASSWORD=********""",
)
N(
    "masked_secret",
    "en",
    "ci_log",
    r'''+ curl -H 'Authorization: Bearer ****' https://api.⟨U:domain⟩/deploy
+ echo "token=[MASKED]"''',
)
N("masked_secret", "en", "receipt", r"""Paid with Visa ending in ⟨U:last4⟩ (**** **** **** ⟨U:last4⟩) on ⟨U:date⟩.""")
N(
    "masked_secret",
    "de",
    "email",
    r"""Ihr Passwort: ●●●●●●●● (aus Sicherheitsgründen nicht angezeigt). Kartennummer: ⟨U:masked_pan⟩""",
)
N(
    "masked_secret",
    "en",
    "app_log",
    r"""⟨U:ts⟩ INFO connecting as ⟨U:user⟩ with password=<redacted> api_key=AKIA****************""",
)
N(
    "placeholder_credential",
    "en",
    "readme",
    r"""```
export OPENAI_API_KEY=<your-api-key-here>
export DB_PASSWORD=YOUR_PASSWORD
export APP_PORT=⟨U:port⟩
```""",
)
N(
    "placeholder_credential",
    "en",
    "yaml_config",
    r"""smtp:
  user: ⟨U:rmail⟩
  password: REPLACE_ME
  api_token: xxxxxxxxxxxxxxxxxxxxxxxx""",
)
N(
    "placeholder_credential",
    "es",
    "docs_page",
    r"""Sustituye <TU_TOKEN> por el token que obtuviste en el paso ⟨U:mm⟩.""",
)
N(
    "placeholder_credential",
    "en",
    "dotenv_example",
    r"""# .env.example
SECRET_KEY=changeme-in-production
GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX
PORT=⟨U:port⟩""",
)
N(
    "test_or_sandbox_key",
    "en",
    "python_source",
    r'''# test mode only
stripe.api_key = "⟨U:stripe_test⟩"
STRIPE_PK = "⟨U:pk_test⟩"''',
)
N(
    "test_or_sandbox_key",
    "en",
    "dotenv_file",
    r"""MOLLIE_API_KEY=⟨U:mollie_test⟩
BRAINTREE_TOKEN=⟨U:bt_sandbox⟩""",
)
N(
    "test_or_sandbox_key",
    "de",
    "docs_page",
    r"""Für Tests verwenden Sie den Sandbox-Schlüssel ⟨U:stripe_test⟩; echte Zahlungen werden damit nicht ausgelöst.""",
)
N(
    "test_or_sandbox_key",
    "en",
    "github_issue",
    r"""Repro with the test key `⟨U:stripe_test⟩` on account acct_⟨U:rs5⟩.""",
)
N(
    "publishable_key",
    "en",
    "javascript_source",
    r"""const stripe = Stripe('⟨U:stripe_pk⟩');
mapboxgl.accessToken = '⟨U:mapbox_pk⟩';""",
)
N(
    "publishable_key",
    "en",
    "html_page",
    r"""<div class="g-recaptcha" data-sitekey="⟨U:recaptcha⟩"></div>
<meta name="google-signin-client_id" content="⟨U:gclient_id⟩">""",
)
N(
    "publishable_key",
    "en",
    "json_config",
    r"""{"algolia": {"appId": "⟨U:serial⟩", "searchOnlyApiKey": "⟨U:algolia_search⟩"}}""",
)
N(
    "publishable_key",
    "fr",
    "docs_page",
    r"""La clé publiable ⟨U:stripe_pk⟩ peut être intégrée sans risque dans le code du navigateur.""",
)
N(
    "password_hash",
    "en",
    "shadow_file",
    r"""⟨U:user⟩:⟨U:shadow512⟩:19876:0:99999:7:::
nobody:*:19876:0:99999:7:::""",
)
N(
    "password_hash",
    "en",
    "sql_script",
    r"""INSERT INTO users (email, password_hash) VALUES ('⟨U:rmail⟩', '⟨U:bcrypt⟩');""",
)
N("password_hash", "en", "app_log", r"""⟨U:ts⟩ DEBUG stored hash ⟨U:argon2⟩ for uid=⟨U:num⟩""")
N(
    "password_hash",
    "en",
    "django_fixture",
    r"""{"model": "auth.user", "pk": ⟨U:mm⟩, "fields": {"username": "⟨U:user⟩", "password": "⟨U:pbkdf2⟩"}}""",
)
N(
    "password_hash",
    "en",
    "htpasswd_file",
    r"""⟨U:user⟩:⟨U:apr1⟩
⟨U:user⟩:⟨U:bcrypt⟩""",
)
N(
    "public_key",
    "en",
    "authorized_keys",
    r"""⟨U:ssh_pub_ed⟩ deploy@buildbox
⟨U:ssh_pub_rsa⟩ ⟨U:first⟩@laptop""",
)
N("public_key", "en", "pem_file", r"""⟨U:pem_pub⟩""")
N(
    "public_key",
    "en",
    "pem_file",
    r"""subject=CN = ⟨U:host⟩.internal
⟨U:pem_cert⟩""",
)
N(
    "public_key",
    "en",
    "email",
    r"""My public key for encrypted mail:

⟨U:pgp_pub⟩""",
    n=3,
)
N(
    "public_key",
    "en",
    "wireguard_config",
    r"""[Peer]
# ⟨U:first⟩'s phone
PublicKey = ⟨U:wg_key⟩
AllowedIPs = 10.8.0.⟨U:mm⟩/32""",
)
N(
    "env_var_reference",
    "en",
    "docker_compose",
    r"""environment:
  DB_PASSWORD: ${DB_PASSWORD}
  API_KEY: ${⟨U:svc⟩_API_KEY:?missing}""",
)
N(
    "env_var_reference",
    "en",
    "github_actions_workflow",
    r"""      - run: ./deploy.sh
        env:
          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
          DB_PASSWORD: ${{ secrets.DB_PASSWORD_⟨U:dbname⟩ }}""",
)
N(
    "env_var_reference",
    "en",
    "python_source",
    r"""api_key = os.environ["OPENAI_API_KEY"]
password = os.getenv("⟨U:svc⟩_DB_PASSWORD", "")""",
)
N(
    "env_var_reference",
    "en",
    "kubernetes_manifest",
    r"""env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: ⟨U:svc⟩-db
        key: password""",
)
N(
    "env_var_reference",
    "en",
    "powershell_script",
    r"""$token = $env:AZURE_CLIENT_SECRET
Connect-AzAccount -ServicePrincipal -Tenant ⟨U:uuid⟩ -Credential $cred""",
)
N(
    "template_placeholder",
    "en",
    "ansible_template",
    r"""# managed by ansible, role ⟨U:svc⟩
[client]
user = {{ mysql_user }}
password = {{ vault_mysql_password }}
host = {{ groups['db'][0] }}""",
)
N(
    "template_placeholder",
    "en",
    "python_source",
    r"""MSG = "Hello {first_name}, your reset token is {token}. It expires in ⟨U:mm⟩ hours."
cur.execute("UPDATE users SET pw = %(password)s WHERE id = %(id)s", params)""",
)
N(
    "template_placeholder",
    "en",
    "helm_template",
    r"""data:
  password: {{ .Values.⟨U:svc⟩.password | b64enc | quote }}
  token: {{ required "token is required" .Values.token }}""",
)
N(
    "template_placeholder",
    "en",
    "erb_template",
    r"""production:
  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>
  password: <%= Rails.application.credentials.dig(:db, :password) %>
  pool: ⟨U:mm⟩""",
)
N(
    "product_code",
    "en",
    "invoice",
    r"""Item: ⟨U:sku⟩  Qty ⟨U:mm⟩  Unit price ⟨U:amount⟩ EUR
Item: ⟨U:sku⟩  Qty ⟨U:mm⟩  Unit price ⟨U:amount⟩ EUR""",
)
N("product_code", "de", "web_page", r"""Artikelnummer: ⟨U:partno⟩ – Ersatzteil passend für Modell ⟨U:partno⟩""")
N("product_code", "ja", "web_page", r"""型番：⟨U:partno⟩　在庫あり""")
N(
    "product_code",
    "en",
    "csv_export",
    r"""sku,name,stock
⟨U:sku⟩,⟨U:word⟩ lamp,⟨U:mm⟩
⟨U:sku⟩,⟨U:word⟩ chair,⟨U:mm⟩""",
)
N(
    "booking_reference",
    "en",
    "email",
    r"""Your booking is confirmed. Booking reference: ⟨U:pnr⟩. Flight LH⟨U:pid⟩ departs ⟨U:date⟩ at ⟨U:time⟩.""",
)
N(
    "booking_reference",
    "de",
    "email",
    r"""Ihre Reservierungsnummer lautet ⟨U:pnr⟩. Bitte halten Sie diese beim Check-in bereit.""",
)
N("booking_reference", "es", "chat", r"""⟨U:first⟩: el localizador del vuelo es ⟨U:pnr⟩, asiento ⟨U:mm⟩C""")
N("booking_reference", "it", "email", r"""Codice prenotazione: ⟨U:pnr⟩ – Hotel ⟨U:last⟩, check-in ⟨U:date⟩.""")
N("coupon_code", "en", "web_page", r"""Use code ⟨U:coupon⟩ at checkout to save on your first order!""")
N("coupon_code", "es", "email", r"""¡Aprovecha! Introduce el cupón ⟨U:coupon⟩ antes del ⟨U:date⟩.""")
N("coupon_code", "it", "web_page", r"""Codice sconto: ⟨U:coupon⟩ – valido fino a esaurimento scorte.""")
N("coupon_code", "pl", "email", r"""Twój kod rabatowy: ⟨U:coupon⟩. Wpisz go w koszyku.""")
N("timestamp", "en", "app_log", r"""{"created_at": ⟨U:epoch⟩, "updated_at_ms": ⟨U:epoch_ms⟩, "ts": "⟨U:ts⟩"}""")
N(
    "timestamp",
    "en",
    "shell_session",
    r"""$ date +%s
⟨U:epoch⟩
$ date -d @⟨U:epoch⟩
⟨U:gitdate⟩""",
)
N(
    "timestamp",
    "en",
    "csv_export",
    r"""event_time,event
⟨U:ts⟩,login
⟨U:ts⟩,logout""",
)
N("timestamp", "zh", "app_log", r"""时间戳：⟨U:epoch_ms⟩，订单已创建""")
N("base64_data", "en", "html_page", r"""<img alt="logo" src="data:image/png;base64,⟨U:b64data⟩">""")
N(
    "base64_data",
    "en",
    "email_mime",
    r"""Content-Type: application/pdf; name="⟨U:fname⟩.pdf"
Content-Transfer-Encoding: base64

⟨U:b64data⟩""",
)
N("base64_data", "en", "json_payload", r"""{"filename": "⟨U:fname⟩.bin", "content": "⟨U:b64data⟩"}""")
N(
    "base64_data",
    "en",
    "css_file",
    r"""@font-face { font-family: "Icons"; src: url(data:font/woff2;base64,⟨U:b64data⟩) format("woff2"); }""",
)
N(
    "crypto_address",
    "en",
    "readme",
    r"""## Donate
BTC: ⟨U:btc⟩
ETH: ⟨U:eth⟩""",
)
N(
    "crypto_address",
    "en",
    "forum_post",
    r"""Sent 0.05 ETH to ⟨U:eth⟩ an hour ago and it still shows pending. Tx from ⟨U:eth⟩.""",
)
N("crypto_address", "ru", "chat", r"""⟨U:first⟩: кидай на этот адрес: ⟨U:btc⟩""")
N("crypto_address", "de", "web_page", r"""Spenden per Bitcoin an ⟨U:btc⟩ – vielen Dank!""")
N(
    "luhn_invalid_number",
    "en",
    "qa_post",
    r"""My validator rejects ⟨U:luhn_bad⟩ - is that number supposed to be valid?""",
)
N("luhn_invalid_number", "en", "test_fixture", r"""INVALID_CARDS = ["⟨U:luhn_bad⟩", "⟨U:luhn_bad⟩", "⟨U:luhn_bad⟩"]""")
N(
    "luhn_invalid_number",
    "de",
    "ticket",
    r"""Kunde hat die Nummer ⟨U:luhn_bad⟩ eingegeben, das Formular meldet "ungültige Kartennummer".""",
)
N(
    "luhn_invalid_number",
    "es",
    "app_log",
    r"""⟨U:ts⟩ WARN validación fallida: número ⟨U:luhn_bad⟩ no supera el algoritmo de Luhn""",
)
N("luhn_valid_non_card", "en", "device_inventory", r"""Device: Pixel 8, IMEI ⟨U:imei⟩, serial ⟨U:serial⟩""")
N("luhn_valid_non_card", "fr", "invoice", r"""Société ⟨U:last⟩ SAS – SIRET ⟨U:siret⟩ – TVA FR⟨U:mm⟩⟨U:digits9⟩""")
N("luhn_valid_non_card", "en", "hr_form", r"""Employee SIN: ⟨U:sin_ca⟩ (on file)""")
N(
    "luhn_valid_non_card",
    "en",
    "loyalty_email",
    r"""Your loyalty card number is ⟨U:loyalty⟩. Show it at the till to collect points.""",
)
N("luhn_valid_non_card", "de", "ticket", r"""Gerät mit IMEI ⟨U:imei_fmt⟩ wurde als gestohlen gemeldet.""")
N(
    "csrf_token_nonce",
    "en",
    "html_page",
    r"""<form method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟨U:csrf⟩">
</form>""",
)
N(
    "csrf_token_nonce",
    "en",
    "http_response_dump",
    r"""HTTP/1.1 200 OK
Content-Security-Policy: script-src 'nonce-⟨U:nonce⟩' 'strict-dynamic'
X-CSRF-Token: ⟨U:csrf⟩""",
)
N(
    "csrf_token_nonce",
    "en",
    "oauth_redirect",
    r"""https://accounts.⟨U:domain⟩/authorize?response_type=code&client_id=⟨U:hex16⟩&state=⟨U:csrf⟩&nonce=⟨U:req_id⟩""",
)
N(
    "csrf_token_nonce",
    "en",
    "html_page",
    r"""<meta name="csrf-token" content="⟨U:csrf⟩">
<script nonce="⟨U:nonce⟩">init();</script>""",
)
N(
    "alphanumeric_words",
    "en",
    "product_description",
    r"""Supports ⟨U:alnumword⟩, ⟨U:alnumword⟩ and ⟨U:alnumword⟩ out of the box.""",
)
N(
    "alphanumeric_words",
    "de",
    "web_page",
    r"""Neu im Sortiment: ⟨U:alnumword⟩-kompatible Geräte mit ⟨U:alnumword⟩ und ⟨U:alnumword⟩.""",
)
N("alphanumeric_words", "en", "chat", r"""⟨U:first⟩: did the ⟨U:alnumword⟩ build for ⟨U:alnumword⟩ finish?""")
N("alphanumeric_words", "fr", "blog_post", r"""Le passage au ⟨U:alnumword⟩ change tout pour le ⟨U:alnumword⟩.""")
N(
    "device_serial_mac",
    "en",
    "shell_session",
    r"""$ ip link show eth0
2: eth0: <BROADCAST,MULTICAST,UP> mtu 1500
    link/ether ⟨U:mac⟩ brd ff:ff:ff:ff:ff:ff""",
)
N("device_serial_mac", "en", "asset_inventory", r"""Asset tag IT-⟨U:num⟩ | S/N ⟨U:serial⟩ | MAC ⟨U:mac⟩""")
N("device_serial_mac", "nl", "ticket", r"""Laptop met serienummer ⟨U:serial⟩ wordt teruggestuurd voor reparatie.""")
N(
    "device_serial_mac",
    "en",
    "dhcp_config",
    r"""host printer-⟨U:mm⟩ { hardware ethernet ⟨U:mac⟩; fixed-address ⟨U:priv_ip⟩; }""",
)
N(
    "oid_dotted_numbers",
    "en",
    "snmp_output",
    r"""$ snmpwalk -v2c -c public ⟨U:priv_ip⟩ ⟨U:oid⟩
⟨U:oid⟩ = INTEGER: ⟨U:mm⟩""",
)
N("oid_dotted_numbers", "en", "ldap_schema", r"""attributetype ( ⟨U:oid⟩ NAME 'employeeBadge' SYNTAX ⟨U:oid⟩ )""")
N(
    "oid_dotted_numbers",
    "en",
    "x509_dump",
    r"""X509v3 Certificate Policies:
    Policy: ⟨U:oid⟩
    Policy: 2.23.140.1.2.1""",
)
N(
    "cloud_resource_id",
    "en",
    "cli_output",
    r"""{"InstanceId": "⟨U:ec2⟩", "SubnetId": "⟨U:subnet⟩", "IamInstanceProfile": {"Arn": "⟨U:arn⟩"}}""",
)
N(
    "cloud_resource_id",
    "en",
    "terraform_state",
    r"""role_arn = "⟨U:arn⟩"
subnet_ids = ["⟨U:subnet⟩", "⟨U:subnet⟩"]""",
)
N(
    "cloud_resource_id",
    "en",
    "azure_cli_output",
    r'''"id": "/subscriptions/⟨U:uuid⟩/resourceGroups/rg-⟨U:svc⟩/providers/Microsoft.Web/sites/⟨U:svc⟩-app"''',
)
N("cloud_resource_id", "de", "ticket", r"""Bitte die Instanz ⟨U:ec2⟩ im Subnetz ⟨U:subnet⟩ neu starten.""")
N(
    "vendor_object_id",
    "en",
    "webhook_payload",
    r"""{"id": "evt_⟨U:generic_acc⟩", "type": "invoice.paid", "data": {"object": {"id": "⟨U:stripe_obj⟩", "customer": "⟨U:stripe_obj⟩"}}}""",
)
N("vendor_object_id", "en", "app_log", r"""⟨U:ts⟩ INFO posted to slack channel ⟨U:slack_chan⟩ (guild ⟨U:snowflake⟩)""")
N("vendor_object_id", "en", "mongo_shell", r"""> db.orders.findOne({_id: ObjectId("⟨U:mongo_id⟩")})""")
N("vendor_object_id", "en", "ticket", r"""Twilio account ⟨U:twilio_sid⟩ shows failed SMS for message SM⟨U:md5⟩.""")
N(
    "at_sign_handles",
    "en",
    "python_source",
    r"""@app.route("/api/⟨U:word⟩")
@login_required
def view(): ...""",
)
N("at_sign_handles", "en", "shell_session", r"""$ npm install @types/node@⟨U:ver3⟩ @⟨U:scope⟩/ui@⟨U:ver3⟩""")
N("at_sign_handles", "en", "chat", r"""@⟨U:first⟩ can you review? cc @⟨U:user⟩ – meeting @ ⟨U:time⟩""")
N("at_sign_handles", "es", "social_post", r"""Gracias @⟨U:first⟩_⟨U:last⟩ y @⟨U:word⟩oficial por el apoyo #⟨U:word⟩""")
N("geo_coordinates", "en", "json_payload", r"""{"lat": ⟨U:lat⟩, "lon": ⟨U:lon⟩, "accuracy": ⟨U:mm⟩}""")
N("geo_coordinates", "de", "chat", r"""⟨U:first⟩: Treffpunkt ist bei ⟨U:lat⟩, ⟨U:lon⟩""")
N("geo_coordinates", "en", "gpx_file", r"""<trkpt lat="⟨U:lat⟩" lon="⟨U:lon⟩"><ele>⟨U:pid⟩</ele></trkpt>""")
N(
    "credential_label_without_value",
    "en",
    "web_page",
    r"""<label for="pw">Password</label>
<input id="pw" type="password" name="password" placeholder="Password" required>
<a href="/forgot-password">Forgot your password?</a> (form v⟨U:mm⟩)""",
)
N(
    "credential_label_without_value",
    "de",
    "email",
    r"""Hallo ⟨U:first⟩, Ihr Passwort wurde erfolgreich zurückgesetzt. Falls Sie das nicht waren, kontaktieren Sie uns.""",
)
N(
    "credential_label_without_value",
    "ja",
    "web_page",
    r"""パスワードを忘れた場合は、登録済みのメールアドレスを入力してください。（受付番号 ⟨U:num⟩）""",
)
N(
    "credential_label_without_value",
    "en",
    "ui_strings",
    r'''"api_key_label": "API key",
"api_key_help": "Paste the key from your dashboard (⟨U:mm⟩ chars max)",
"password_required": "Password is required"''',
)
N(
    "credential_label_without_value",
    "fr",
    "ticket",
    r"""L'utilisateur ⟨U:first⟩ a oublié son mot de passe ; lien de réinitialisation envoyé le ⟨U:date⟩.""",
)
N(
    "password_policy",
    "en",
    "docs_page",
    r"""Passwords must be at least ⟨U:mm⟩ characters long and contain an upper-case letter, a digit and a symbol.""",
)
N(
    "password_policy",
    "es",
    "web_page",
    r"""La contraseña debe tener entre 8 y ⟨U:pid⟩ caracteres y no puede contener tu nombre.""",
)
N("password_policy", "pl", "email", r"""Hasło musi mieć co najmniej ⟨U:mm⟩ znaków. Zmieniaj je co 90 dni.""")
N("password_policy", "ko", "web_page", r"""비밀번호는 ⟨U:mm⟩자 이상이어야 하며 숫자와 특수문자를 포함해야 합니다.""")
N(
    "bibliographic_id",
    "en",
    "bibliography",
    r"""⟨U:last⟩, A. (2023). Some findings. Journal of Things, 12(3). https://doi.org/⟨U:doi⟩ ISBN ⟨U:isbn⟩""",
)
N("bibliographic_id", "en", "readme", r"""If you use this code, please cite arXiv:⟨U:arxiv⟩ (doi:⟨U:doi⟩).""")
N("bibliographic_id", "de", "web_page", r"""ISBN ⟨U:isbn⟩ · ⟨U:pid⟩ Seiten · gebunden""")
N("bibliographic_id", "it", "bibliography", r"""Vedi anche ISBN ⟨U:isbn⟩ e DOI ⟨U:doi⟩.""")
N("tracking_number", "en", "email", r"""Your parcel is on its way. UPS tracking number: ⟨U:ups⟩""")
N("tracking_number", "de", "email", r"""Sendungsnummer: ⟨U:tracking_dhl⟩ – voraussichtliche Zustellung am ⟨U:date⟩.""")
N("tracking_number", "en", "chat", r"""⟨U:first⟩: tracking is ⟨U:ups⟩, should arrive ⟨U:date⟩""")
N("tracking_number", "nl", "email", r"""Uw pakket met trackingcode ⟨U:tracking_dhl⟩ is onderweg.""")
N(
    "request_trace_id",
    "en",
    "http_request_dump",
    r"""GET /api/items HTTP/1.1
traceparent: ⟨U:traceparent⟩
X-Request-Id: ⟨U:uuid⟩""",
)
N(
    "request_trace_id",
    "en",
    "http_response_dump",
    r"""HTTP/2 520
cf-ray: ⟨U:cf_ray⟩
x-amz-request-id: ⟨U:serial⟩⟨U:hex8⟩""",
)
N("request_trace_id", "en", "app_log", r"""⟨U:ts⟩ ERROR trace_id=⟨U:md5⟩ span_id=⟨U:hex16⟩ upstream timeout""")
N("request_trace_id", "pt", "ticket", r"""Erro ao finalizar compra. ID da requisição: ⟨U:uuid⟩""")
N(
    "encrypted_blob",
    "en",
    "ansible_vault",
    r"""db_password: !vault |
          $ANSIBLE_VAULT;1.1;AES256
          ⟨U:vault_blob⟩""",
)
N(
    "encrypted_blob",
    "en",
    "sops_file",
    r"""api_token: ⟨U:sops⟩
sops:
    kms:
        - arn: ⟨U:arn⟩""",
)
N("encrypted_blob", "en", "jenkins_credentials", r"""<password>⟨U:jenkins_enc⟩</password>""")
N(
    "encrypted_blob",
    "en",
    "age_file",
    r"""-----BEGIN AGE ENCRYPTED FILE-----
⟨U:b64data⟩
-----END AGE ENCRYPTED FILE-----""",
    n=3,
)
N(
    "hashed_asset_name",
    "en",
    "html_page",
    r"""<script src="/static/js/⟨U:asset⟩"></script>
<link rel="stylesheet" href="/static/css/⟨U:asset⟩">""",
)
N(
    "hashed_asset_name",
    "en",
    "build_log",
    r"""dist/⟨U:asset⟩   142.3 kB
dist/⟨U:asset⟩    18.9 kB""",
)
N("hashed_asset_name", "en", "cdn_log", r"""⟨U:ts⟩ HIT /assets/⟨U:asset⟩ 200""")
N(
    "container_digest",
    "en",
    "kubernetes_manifest",
    r"""containers:
  - name: web
    image: nginx@⟨U:digest⟩""",
)
N(
    "container_digest",
    "en",
    "shell_session",
    r"""$ docker pull ⟨U:svc⟩:latest
latest: Pulling from library/⟨U:svc⟩
Digest: ⟨U:digest⟩
Status: Downloaded newer image""",
)
N("container_digest", "en", "ci_log", r"""pushed ghcr.io/⟨U:org⟩/⟨U:repo⟩:⟨U:ver3⟩ digest: ⟨U:digest⟩ size: ⟨U:pid⟩""")
N(
    "key_fingerprint",
    "en",
    "shell_session",
    r"""The authenticity of host '⟨U:hostshort⟩ (⟨U:priv_ip⟩)' can't be established.
ED25519 key fingerprint is SHA256:⟨U:fp⟩.""",
)
N("key_fingerprint", "en", "email", r"""My PGP fingerprint: ⟨U:pgp_fp⟩""")
N("key_fingerprint", "de", "docs_page", r"""Fingerabdruck des Signaturschlüssels: ⟨U:pgp_fp⟩""")
N(
    "css_hex_values",
    "en",
    "css_file",
    r""".btn-primary { background: ⟨U:color⟩; border-color: ⟨U:color⟩; color: ⟨U:color⟩; }""",
)
N("css_hex_values", "en", "json_config", r"""{"theme": {"primary": "⟨U:color⟩", "accent": "⟨U:color⟩"}}""")
N("css_hex_values", "en", "design_notes", r"""Brand colors: ⟨U:color⟩ (primary), ⟨U:color⟩ (secondary)""")
N(
    "public_identifier_in_config",
    "en",
    "yaml_config",
    r"""oauth:
  client_id: ⟨U:gclient_id⟩
  redirect_uri: https://app.⟨U:domain⟩/callback
  scopes: [openid, email]""",
)
N(
    "public_identifier_in_config",
    "en",
    "dotenv_file",
    r"""AWS_REGION=eu-west-1
AWS_ACCOUNT_ID=⟨U:digits9⟩⟨U:mm⟩
TWILIO_ACCOUNT_SID=⟨U:twilio_sid⟩""",
)
N(
    "public_identifier_in_config",
    "en",
    "json_config",
    r"""{"tenantId": "⟨U:uuid⟩", "clientId": "⟨U:uuid⟩", "authority": "https://login.microsoftonline.com/⟨U:uuid⟩"}""",
)
N(
    "age_public_recipient",
    "en",
    "sops_config",
    r"""creation_rules:
  - path_regex: secrets/.*\.yaml
    age: ⟨U:age_pub⟩""",
    n=3,
)
N(
    "age_public_recipient",
    "en",
    "readme",
    r"""Encrypt files for the team with `age -r ⟨U:age_pub⟩ -o out.age in.txt`.""",
    n=3,
)
N("random_looking_words", "en", "chat", r"""⟨U:first⟩: lol ⟨U:junk⟩ my cat walked on the keyboard""")
N(
    "random_looking_words",
    "de",
    "forum_post",
    r"""Mein WLAN heißt ⟨U:ssid⟩ und das Gerät ⟨U:hostshort⟩, trotzdem keine Verbindung.""",
)
N("random_looking_words", "en", "app_log", r"""⟨U:ts⟩ INFO cache key user:⟨U:num⟩:prefs:v⟨U:mm⟩ refreshed""")
N(
    "phone_and_numbers",
    "en",
    "email_signature",
    r"""⟨U:name⟩ | Sales | +49 30 ⟨U:num⟩ ⟨U:num⟩ | Office hours ⟨U:time⟩–18:00""",
)
N("phone_and_numbers", "fr", "web_page", r"""Tél. : +33 1 ⟨U:mm⟩ ⟨U:mm⟩ ⟨U:mm⟩ ⟨U:mm⟩ – du lundi au vendredi""")
N(
    "phone_and_numbers",
    "en",
    "invoice",
    r"""Invoice ⟨U:inv⟩ · Order ⟨U:digits9⟩ · Customer no. ⟨U:num⟩ · Total ⟨U:amount⟩ EUR""",
)
N(
    "semver_and_dates",
    "en",
    "changelog",
    r"""## [⟨U:ver3⟩] - ⟨U:date⟩
### Fixed
- crash when ⟨U:word⟩ is empty""",
)
N("semver_and_dates", "de", "email", r"""Das Update auf Version ⟨U:ver3⟩ ist ab dem ⟨U:mm⟩.⟨U:mm⟩.2025 verfügbar.""")
N(
    "semver_and_dates",
    "en",
    "requirements_file",
    r"""⟨U:pkg⟩==⟨U:ver3⟩
⟨U:word⟩>=⟨U:ver3⟩,<⟨U:ver3⟩""",
)

gen("junk")(lambda: rs(LOW, R.randint(8, 12)))


# =========================================================================== rendering and checks
PH = re.compile(r"⟨([SEICU]):(\w+)(?:#(\w+))?⟩")
ENT = {"S": "SECRET", "E": "EMAIL_ADDRESS", "I": "IP_ADDRESS", "C": "CREDIT_CARD"}


# filler names that refer to one thing inside a document (same domain / repo / org ... each time)
CONSISTENT = {"domain", "repo", "org", "dbname", "hostshort", "svc", "acct", "scope", "sbref", "proj", "rs5"}


def render(tpl):
    out, spans, cache = [], [], {}
    pos = cur = 0
    for m in PH.finditer(tpl):
        lit = tpl[pos : m.start()]
        out.append(lit)
        cur += len(lit)
        kind, g, tag = m.groups()
        if g not in GEN:
            raise SystemExit(f"unknown generator {g!r}")
        if kind == "U" and g in CONSISTENT and not tag:
            tag = "_auto"
        key = (kind, g, tag)
        if tag and key in cache:
            val = cache[key]
        else:
            val = GEN[g]()
            if tag:
                cache[key] = val
        if kind in ENT:
            spans.append({"start": cur, "end": cur + len(val), "entity": ENT[kind], "_gen": g, "_val": val})
        out.append(val)
        cur += len(val)
        pos = m.end()
    out.append(tpl[pos:])
    return "".join(out), spans


IPV4_RE = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\.?\d)")
IPV6_RE = re.compile(r"(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Fa-f:])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})")
EMAIL_FULL = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}")
DIGRUN_RE = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")
BLANK = "\u2591"


def reserved_domain(d):
    d = d.lower().rstrip(".")
    if any(d == r or d.endswith("." + r) for r in ("example.com", "example.org", "example.net")):
        return True
    return d.rsplit(".", 1)[-1] in ("test", "invalid", "localhost", "example")


def scan(text, allow_ipv4=False):
    """return list of leak findings in text (used on negatives and unlabelled parts of positives)"""
    found = []
    if not allow_ipv4:
        for m in IPV4_RE.finditer(text):
            if all(int(x) <= 255 and (x == "0" or not x.startswith("0")) for x in m.groups()) and is_public_ip(
                m.group(0)
            ):
                found.append(("ipv4", m.group(0)))
    for m in IPV6_RE.finditer(text):
        s = m.group(0)
        if s.count(":") >= 2 and is_public_ip(s):
            found.append(("ipv6", s))
    for m in EMAIL_RE.finditer(text):
        if not reserved_domain(m.group(1)):
            found.append(("email", m.group(0)))
    for m in DIGRUN_RE.finditer(text):
        groups = re.split(r"[ -]", m.group(0))
        for i in range(len(groups)):
            acc = ""
            for j in range(i, len(groups)):
                acc += groups[j]
                if len(acc) > 19:
                    break
                if len(acc) >= 12 and brand_ok(acc) and luhn_ok(acc):
                    found.append(("card", acc))
    return found


def check_span(text, sp):
    v = sp["_val"]
    assert text[sp["start"] : sp["end"]] == v, (text, sp)
    ent, g = sp["entity"], sp["_gen"]
    if ent == "IP_ADDRESS":
        assert is_public_ip(v), v
    elif ent == "CREDIT_CARD":
        d = re.sub(r"[ -]", "", v)
        assert d.isdigit() and luhn_ok(d) and brand_ok(d) and 13 <= len(d) <= 19, v
        assert re.fullmatch(r"\d+(?:[ -]\d+)*", v), v
    elif ent == "EMAIL_ADDRESS":
        m = EMAIL_FULL.fullmatch(v)
        assert m and not reserved_domain(v.split("@", 1)[1]), v
    elif ent == "SECRET":
        assert v == v.strip() and v, repr(v)
        assert v[0] not in "\"'`<>[]()" and v[-1] not in "\"'`<>[]()", v
        if g in PASSWORD_GENS:
            assert v[0].isalnum(), v
            assert v[-1] not in ".,!?:;", v
    else:
        raise AssertionError(ent)


def build():
    records, seen_text, retries = [], set(), 0
    for ti, t in enumerate(TEMPLATES, start=1):
        assert 2 <= t["n"] <= 4
        for vi in range(1, t["n"] + 1):
            for attempt in range(40):
                text, spans = render(t["text"])
                assert "⟨" not in text and "⟩" not in text
                blanked = list(text)
                for sp in spans:
                    check_span(text, sp)
                    for k in range(sp["start"], sp["end"]):
                        blanked[k] = BLANK
                leaks = scan("".join(blanked), allow_ipv4=(t["category"] == "ip_shaped_number"))
                if not leaks and text not in seen_text:
                    break
                retries += 1
            else:
                raise SystemExit(f"template {ti} keeps leaking {leaks} or repeating:\n{text}")
            seen_text.add(text)
            spans.sort(key=lambda s: s["start"])
            for a, b in zip(spans, spans[1:]):
                assert a["end"] <= b["start"], (a, b)
            if t["category"] == "positive":
                assert spans, ti
            else:
                assert not spans, ti
            records.append(
                {
                    "id": f"t13-{ti}-{vi}",
                    "text": text,
                    "lang": t["lang"],
                    "context": t["context"],
                    "category": t["category"],
                    "spans": [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in spans],
                    "_gens": [s["_gen"] for s in spans],
                    "_group": t["group"],
                }
            )
    return records, retries


def main():
    records, retries = build()
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert len({r["text"] for r in records}) == len(records)
    pos = [r for r in records if r["category"] == "positive"]
    neg = [r for r in records if r["category"] != "positive"]
    ent = collections.Counter(s["entity"] for r in pos for s in r["spans"])
    vendors = {g for r in pos for g in r["_gens"] if g in VENDOR_GENS}
    pos_templates = sum(1 for t in TEMPLATES if t["category"] == "positive")
    neg_templates = len(TEMPLATES) - pos_templates
    cats = collections.Counter(r["category"] for r in neg)
    langs = collections.Counter(r["lang"] for r in records)
    ctxs = collections.Counter(r["context"] for r in records)
    assert ent["SECRET"] >= 700, ent
    assert ent["EMAIL_ADDRESS"] >= 200, ent
    assert ent["IP_ADDRESS"] >= 200, ent
    assert ent["CREDIT_CARD"] >= 100, ent
    assert pos_templates >= 150, pos_templates
    assert len(neg) >= 500 and len(cats) >= 35, (len(neg), len(cats))
    assert len(langs) >= 30, len(langs)
    assert len(vendors) >= 40, len(vendors)
    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            r = {k: v for k, v in r.items() if not k.startswith("_")}
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    # re-read and re-verify the written file independently of the generator state
    with open(OUT, encoding="utf-8") as f:
        back = [json.loads(line) for line in f]
    assert len(back) == len(records)
    for r in back:
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"])

    print(f"wrote {OUT}")
    print(f"records: {len(records)}  positive: {len(pos)}  hard negative: {len(neg)}")
    print(f"templates: {len(TEMPLATES)}  positive: {pos_templates}  negative: {neg_templates}")
    print(
        "records per source group (a code/config, b web/forum/docs, c mail/chat/tickets/tables, d logs/shell/http):",
        dict(sorted(collections.Counter(r["_group"] for r in pos).items())),
    )
    print("spans per entity:", dict(ent), " total:", sum(ent.values()))
    print(f"vendor token formats used in SECRET spans: {len(vendors)}")
    print(
        "secret generators used:",
        dict(
            collections.Counter(
                g for r in pos for g, s in zip(r["_gens"], r["spans"]) if s["entity"] == "SECRET"
            ).most_common()
        ),
    )
    print(f"scanner-triggered regenerations: {retries}")
    print(f"hard-negative categories ({len(cats)}):", dict(sorted(cats.items())))
    print(f"languages ({len(langs)}):", dict(langs.most_common()))
    print(f"contexts ({len(ctxs)}):", dict(ctxs.most_common()))


if __name__ == "__main__":
    main()
