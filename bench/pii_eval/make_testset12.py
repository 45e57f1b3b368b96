#!/usr/bin/env python3
"""Generate pii_testset12.jsonl: a blind, synthetic, labelled PII/secret test set.

Focus: text as a web crawler extracts it from web pages and developer
documentation (Q&A posts with code blocks, GitHub issues/READMEs, gists,
pastebins, tutorials, API references, changelogs, status pages, pasted server
logs, "my config isn't working" posts, notebooks rendered as text, Markdown /
reST / AsciiDoc / HTML, JSON/YAML/XML examples, Postman/Insomnia exports, HAR
files, curl examples, webhook payloads, error pages, WHOIS/DNS dumps, firewall
and access logs, mail headers) with prose in English plus 26 other languages
(de fr es it pt nl pl ru uk cs sv da nb fi tr ja zh ko ar he hi vi id ro hu el),
plus a large number of hard negatives (60 categories).

Everything is deterministic (random.Random(121212)) and uses only the standard
library.  All values (keys, passwords, addresses, card numbers, IPs) are
generated at random; the template texts were written for this file.

How it works
------------
Templates are plain strings with slots written as U+27E6 ... U+27E7 brackets:
  S:gen      SECRET produced by generator `gen` (vendor formats that exist)
  E[:kind]   EMAIL_ADDRESS on a non-reserved domain
  IP / IP6   public (globally routable, non-documentation) IPv4 / IPv6
  CC[:brand[:fmt]]  Luhn-valid card number of a real brand (plain/space/dash)
  f:gen      unlabelled filler (usernames, hashes, UUIDs, private IPs, ...)
  P:key      a prose phrase in the language of the template
  ...@v / =v store a value in variable v / insert it again (same label).
Spans are recorded while the text is assembled (never searched afterwards).
Each template is instantiated 2-4 times with fresh values; ids are
t12-<template#>-<variant#>.  Templates whose language is '*' get a language
from a fixed rotation, so their prose is in that language.

Labelling decisions (may be disputed)
-------------------------------------
* Publishable / public identifiers are NOT labelled: Stripe pk_live_/pk_test_,
  Google Analytics / Tag Manager ids, reCAPTCHA/hCaptcha/Turnstile site keys,
  OAuth client ids (Google/Azure/GitHub/PayPal client ids), Firebase web config
  apiKey and Maps JS embed keys (AIza... in browser-side code), Meta pixel ids,
  WireGuard/SSH/PGP/age public keys, certificates, DKIM p= values, ACME and
  site-verification tokens.
* Not labelled at all (no entity for them): names, phone numbers, CVV codes,
  expiry dates, IBAN-like ids, usernames, hostnames, MAC addresses.
* Google AIza... keys ARE labelled when used server-side (backend code, curl).
* Stripe sk_test_ keys and AWS documentation-style keys ending in EXAMPLE are
  treated as obviously fake example keys (hard negatives), as the brief asks.
* AWS access key ids (AKIA/ASIA...) are labelled SECRET (secret scanners treat
  them as credential material); Twilio Account SIDs, Shopify API keys (client
  ids), Confluent API-key "usernames", token accessors, key ids are NOT.
* Authorization: Basic <b64> -> the base64 value is SECRET (it encodes
  user:password); Docker config "auth" and Kubernetes Secret data values
  (base64 of passwords) are SECRET.  `Bearer `, `SSWS `, `token ` prefixes are
  never in the span.
* Laravel APP_KEY=base64:XXXX -> only XXXX (after the format prefix).
* Slack incoming-webhook URLs are labelled as a whole (the URL is the
  credential).  Presigned S3 X-Amz-Signature and Azure SAS sig= values are
  SECRET; the surrounding URL is not.
* SNMP community strings, Wi-Fi PSKs, demo-instance passwords, TOTP seeds,
  session cookies (session=, PHPSESSID=, connect.sid=) are SECRET.  CSRF tokens,
  CSP nonces, webhook signatures (X-Hub-Signature, Stripe-Signature), password
  hashes (bcrypt, sha512-crypt, pbkdf2, argon2, Cisco type 5) are NOT.
* Google service-account client_email (...@...iam.gserviceaccount.com) is an
  e-mail address on a real domain and is labelled EMAIL_ADDRESS.
* Private-key blocks: span = BEGIN line .. END line inclusive; inside JSON the
  block contains literal "\\n" escapes, in YAML it contains the indentation.
* Usernames (also in user:password and in ssh targets) are never labelled.
* Hostnames that embed an IP with dashes are avoided entirely.

Checks (all fatal, run before the file is written)
--------------------------------------------------
1. text[start:end] == the value inserted for every span (offsets recorded
   during insertion); spans sorted and non-overlapping.
2. every IP span parses, is_global, and is outside 192.0.2/24, 198.51.100/24,
   203.0.113/24 and 2001:db8::/32.
3. every CREDIT_CARD span passes Luhn and has a real brand prefix/length
   (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay).
4. every EMAIL_ADDRESS span matches an address regex and its domain is not
   reserved (example.com/.org/.net, .test, .invalid, .localhost, .example).
5. SECRET spans have no surrounding whitespace, do not start with a symbol
   (except private-key blocks starting with '-----'), and do not end in
   . , ! ? : ;
6. ids unique, texts unique, positives have >= 1 span, negatives have none,
   every template has 2-4 variants.
7. a simple scanner run over every negative text and over the unlabelled parts
   of every positive text (labelled spans blanked out) finds
   - no public IPv4 address (dotted quad not embedded in a longer dotted run),
   - no Luhn-valid, brand-prefixed 13-19 digit number (spaces/dashes allowed),
   - no e-mail address on a non-reserved domain,
   - none of ~25 high-confidence live-secret patterns (ghp_, AKIA, sk_live_,
     xoxb-, PEM private key headers, JWTs, ...) unless visibly fake
     (contains EXAMPLE / XXXX / xxxx).
   Documented exceptions: category `ssh_user_host` is exempt from the e-mail
   check (git@github.com style targets look like addresses); category
   `ipv4_like_version_oid` is exempt from the IPv4 check (four-part versions
   and OIDs such as 2.5.4.3 are syntactically global IPv4 addresses); lines
   starting with Message-ID:/In-Reply-To:/References: are exempt from the
   e-mail check (message ids are not addresses).
   When a random instantiation trips the scanner (e.g. a random phone number
   happening to be a Luhn-valid Visa number) it is re-drawn; a template that
   keeps failing aborts the script.
8. minimum counts: >=700 SECRET, >=200 EMAIL_ADDRESS, >=200 IP_ADDRESS,
   >=100 CREDIT_CARD spans, >=140 positive templates, >=700 negative records
   in >=40 categories, >=20 languages besides English.
"""

import base64
import collections
import datetime
import ipaddress
import json
import os
import random
import re
import string
import uuid

SEED = 121212
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "pii_testset12.jsonl")

DIG = string.digits
LOW = string.ascii_lowercase
UP = string.ascii_uppercase
LET = LOW + UP
ALNUM = DIG + LOW + UP
LOWNUM = LOW + DIG
UPNUM = UP + DIG
HEX = "0123456789abcdef"
HEXU = HEX.upper()
B64 = UP + LOW + DIG + "+/"
B64U = UP + LOW + DIG + "-_"
B32 = UP + "234567"
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def rs(n, alpha=ALNUM):
    return "".join(R.choice(alpha) for _ in range(n))


def rsa(n, alpha=ALNUM):
    """random string whose first and last characters are alphanumeric"""
    if n <= 2:
        return rs(n, ALNUM)
    return rs(1, ALNUM) + rs(n - 2, alpha) + rs(1, ALNUM)


def rd(n):
    return rs(1, "123456789") + rs(n - 1, DIG)


def rb(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64(b):
    return base64.b64encode(b).decode()


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def b64_alnum_start(nbytes):
    while True:
        v = b64(rb(nbytes))
        if v[0].isalnum():
            return v


# ---------------------------------------------------------------- word lists
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
    "ana",
    "pieter",
    "sanne",
    "kasia",
    "piotr",
    "olga",
    "dmitri",
    "oksana",
    "taras",
    "jana",
    "tomas",
    "elin",
    "oskar",
    "freja",
    "mads",
    "ingrid",
    "aino",
    "mikko",
    "elif",
    "emre",
    "yuki",
    "haruto",
    "wei",
    "xiaoling",
    "minjun",
    "seoyeon",
    "omar",
    "layla",
    "noa",
    "itai",
    "arjun",
    "priya",
    "linh",
    "minh",
    "budi",
    "sari",
    "andrei",
    "ioana",
    "bence",
    "reka",
    "nikos",
    "eleni",
    "liam",
    "emma",
    "noah",
    "olivia",
    "kwame",
    "amara",
]
LAST = [
    "mueller",
    "schmidt",
    "dubois",
    "moreau",
    "garcia",
    "lopez",
    "rossi",
    "bianchi",
    "silva",
    "santos",
    "devries",
    "jansen",
    "nowak",
    "kowalski",
    "ivanov",
    "petrenko",
    "novak",
    "svoboda",
    "lindqvist",
    "andersson",
    "nielsen",
    "hansen",
    "berg",
    "virtanen",
    "korhonen",
    "yilmaz",
    "demir",
    "tanaka",
    "sato",
    "zhang",
    "chen",
    "kim",
    "park",
    "haddad",
    "mansour",
    "cohen",
    "levi",
    "sharma",
    "patel",
    "nguyen",
    "tran",
    "santoso",
    "popescu",
    "ionescu",
    "nagy",
    "kovacs",
    "papadopoulos",
    "smith",
    "walker",
    "okafor",
    "mensah",
    "fischer",
    "weber",
    "lambert",
    "ferrari",
    "costa",
    "visser",
]
WORDS = [
    "falcon",
    "harbor",
    "maple",
    "quartz",
    "ember",
    "tundra",
    "saffron",
    "granite",
    "lumen",
    "orbit",
    "pixel",
    "cedar",
    "delta",
    "nimbus",
    "koala",
    "mango",
    "pepper",
    "walnut",
    "cobalt",
    "willow",
    "sommer",
    "winter",
    "kaffee",
    "sonne",
    "mond",
    "fleur",
    "soleil",
    "gato",
    "perro",
    "luna",
    "stella",
    "fiore",
    "casa",
    "bosque",
    "zon",
    "fiets",
    "kot",
    "zima",
    "lato",
    "sakura",
    "tiger",
    "dragon",
    "rocket",
    "banana",
    "coffee",
    "summer",
    "autumn",
    "river",
    "forest",
    "island",
    "velvet",
    "thunder",
    "copper",
    "silver",
    "garnet",
    "meadow",
    "canyon",
    "glacier",
    "prairie",
    "bamboo",
]
HOSTP = ["web", "db", "api", "worker", "cache", "mail", "vpn", "build", "edge", "app", "proxy", "node"]
CO1 = [
    "nord",
    "blue",
    "quartz",
    "silver",
    "maple",
    "atlas",
    "kiwi",
    "delta",
    "orbit",
    "pixel",
    "lumen",
    "cedar",
    "falcon",
    "harbor",
    "granite",
    "vertex",
    "saffron",
    "tundra",
    "coral",
    "ember",
    "zephyr",
    "alpen",
    "sol",
    "vento",
    "polar",
    "aurora",
    "basalt",
    "meridian",
    "opal",
    "riverbend",
]
CO2 = [
    "labs",
    "works",
    "systems",
    "logistics",
    "media",
    "soft",
    "cloud",
    "data",
    "tech",
    "shop",
    "studio",
    "bank",
    "health",
    "energy",
    "foods",
    "travel",
    "legal",
    "games",
    "print",
    "motors",
    "digital",
    "verlag",
]
TLDS = [
    "com",
    "io",
    "de",
    "fr",
    "nl",
    "pl",
    "es",
    "it",
    "co.uk",
    "se",
    "dk",
    "no",
    "fi",
    "cz",
    "com.br",
    "com.tr",
    "jp",
    "co.kr",
    "ru",
    "ua",
    "ro",
    "hu",
    "gr",
    "in",
    "vn",
    "co.id",
    "com.au",
    "ca",
    "ch",
    "at",
    "be",
    "pt",
    "ie",
    "net",
    "org",
    "dev",
    "app",
    "tech",
    "cloud",
    "shop",
    "co.il",
    "ae",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "gmx.de",
    "web.de",
    "t-online.de",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "libero.it",
    "mail.ru",
    "yandex.ru",
    "ukr.net",
    "seznam.cz",
    "wp.pl",
    "onet.pl",
    "naver.com",
    "daum.net",
    "qq.com",
    "163.com",
    "yahoo.co.jp",
    "rediffmail.com",
    "uol.com.br",
    "bol.com.br",
    "hotmail.es",
    "gmx.at",
    "bluewin.ch",
    "telenet.be",
    "ziggo.nl",
    "hotmail.co.uk",
    "zoho.com",
    "tuta.io",
]
CITIES = [
    "Berlin",
    "Lyon",
    "Sevilla",
    "Torino",
    "Porto",
    "Utrecht",
    "Krakow",
    "Kazan",
    "Lviv",
    "Brno",
    "Uppsala",
    "Aarhus",
    "Bergen",
    "Tampere",
    "Izmir",
    "Osaka",
    "Chengdu",
    "Busan",
    "Amman",
    "Haifa",
    "Pune",
    "Da Nang",
    "Bandung",
    "Cluj",
    "Debrecen",
    "Thessaloniki",
    "Leeds",
    "Accra",
]
REGIONS = [
    "eu-central-1",
    "eu-west-1",
    "eu-north-1",
    "us-east-1",
    "us-west-2",
    "ap-northeast-1",
    "ap-southeast-2",
    "sa-east-1",
    "ca-central-1",
]


def company_domain():
    return R.choice(CO1) + R.choice(["", "-", ""]) + R.choice(CO2) + "." + R.choice(TLDS)


def gen_user():
    f, l = R.choice(FIRST), R.choice(LAST)
    st = R.randint(0, 6)
    if st == 0:
        return f + "." + l
    if st == 1:
        return f[0] + l
    if st == 2:
        return f + str(R.randint(1, 99))
    if st == 3:
        return R.choice(["admin", "deploy", "app", "svc_backup", "jenkins", "ubuntu", "www-data", "ci", "dbadmin"])
    if st == 4:
        return f + "_" + l[:3]
    if st == 5:
        return l + f[0]
    return f


# ---------------------------------------------------------------- e-mail
RESERVED_2LD = ("example.com", "example.org", "example.net")
RESERVED_TLD = ("test", "invalid", "localhost", "example")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}")


def domain_reserved(d):
    d = d.lower().rstrip(".")
    if any(d == x or d.endswith("." + x) for x in RESERVED_2LD):
        return True
    return d.rsplit(".", 1)[-1] in RESERVED_TLD


def email(kind=None):
    f, l = R.choice(FIRST), R.choice(LAST)
    if kind is None:
        kind = R.choice(["free", "corp", "corp", "free"])
    if kind == "gsa":
        return "%s@%s-%s-%s.iam.gserviceaccount.com" % (
            R.choice(["firebase-adminsdk-" + rs(5, LOWNUM), "deployer", "ci-runner", "etl-sa"]),
            R.choice(WORDS),
            R.choice(WORDS),
            rd(6),
        )
    if kind == "role":
        local = R.choice(
            ["billing", "ops", "support", "security", "noc", "abuse", "press", "hr", "jobs", "kontakt", "info"]
        )
        return local + "@" + company_domain()
    st = R.randint(0, 5)
    local = [
        f + "." + l,
        f[0] + "." + l,
        f + l + str(R.randint(1, 99)),
        f + "_" + l,
        l + "." + f,
        f + str(R.randint(1970, 2006)),
    ][st]
    if kind == "free":
        return local + "@" + R.choice(FREEMAIL)
    if R.random() < 0.2:
        local = R.choice(["billing", "ops", "support", "security", "noc", "abuse", "press", "devops", "it-service"])
    return local + "@" + company_domain()


def example_email():
    local = R.choice(["user", "admin", "jane.doe", "john", "alice", "bob", "noreply", "you", "test", "dev", gen_user()])
    dom = R.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "company.test",
            "shop.example",
            "app.invalid",
            "host.localhost",
            "corp.example.org",
            "acme.test",
        ]
    )
    return local + "@" + dom


# ---------------------------------------------------------------- IPs
DOC_NETS = [ipaddress.ip_network(x) for x in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public(v):
    a = ipaddress.ip_address(v)
    if not a.is_global:
        return False
    return not any(a.version == n.version and a in n for n in DOC_NETS)


def pub4():
    while True:
        v = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if ip_public(v):
            return v


V6PRE = [
    "2a01",
    "2a02",
    "2a03",
    "2a00",
    "2a05",
    "2600",
    "2604",
    "2607",
    "2610",
    "2620",
    "2400",
    "2401",
    "2403",
    "2404",
    "2406",
    "2409",
    "2800",
    "2803",
    "2c0f",
    "2a10",
]


def pub6():
    while True:
        groups = [R.choice(V6PRE)] + ["%x" % R.getrandbits(16) for _ in range(7)]
        if R.random() < 0.6:
            for i in range(4, 7):
                groups[i] = "0"
        v = str(ipaddress.ip_address(":".join(groups)))
        if ip_public(v):
            return v


def priv4():
    c = R.randint(0, 9)
    if c <= 2:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    if c <= 4:
        return "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254))
    if c <= 7:
        return "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254))
    if c == 8:
        return "127.0.0.%d" % R.randint(1, 9)
    return "169.254.%d.%d" % (R.randint(0, 255), R.randint(1, 254))


def doc4():
    return R.choice(["192.0.2", "198.51.100", "203.0.113"]) + ".%d" % R.randint(1, 254)


def doc6():
    return str(ipaddress.ip_address("2001:db8:%x::%x" % (R.getrandbits(16), R.getrandbits(12) + 1)))


def priv6():
    c = R.randint(0, 2)
    if c == 0:
        return str(
            ipaddress.ip_address(
                "fd%02x:%x:%x::%x" % (R.getrandbits(8), R.getrandbits(16), R.getrandbits(16), R.getrandbits(16))
            )
        )
    if c == 1:
        return str(ipaddress.ip_address("fe80::%x:%x:%x:%x" % tuple(R.getrandbits(16) for _ in range(4))))
    return "::1"


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


def luhn_complete(prefix, length):
    body = prefix + rs(length - len(prefix) - 1, DIG)
    for c in DIG:
        if luhn_ok(body + c):
            return body + c


def card_brand(d):
    """strict brand check used for labelled cards"""
    n = len(d)
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
    if (300 <= p3 <= 305 or p2 in (36, 38, 39) or p4 == 3095) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    return None


def card_brand_broad(d):
    """broader check used by the leak scanner (adds Maestro, UATP)"""
    b = card_brand(d)
    if b:
        return b
    n = len(d)
    if (d[:2] == "50" or 56 <= int(d[:2]) <= 69) and 12 <= n <= 19:
        return "maestro"
    if d[0] == "1" and n == 15:
        return "uatp"
    return None


def gen_card_digits(brand):
    if brand == "visa":
        return luhn_complete("4", 16)
    if brand == "mc":
        return luhn_complete(R.choice(["51", "52", "53", "54", "55", str(R.randint(2221, 2720))]), 16)
    if brand == "amex":
        return luhn_complete(R.choice(["34", "37"]), 15)
    if brand == "disc":
        return luhn_complete(R.choice(["6011", "65", str(R.randint(644, 649))]), 16)
    if brand == "jcb":
        return luhn_complete(str(R.randint(3528, 3589)), 16)
    if brand == "diners":
        return luhn_complete(R.choice(["36", "30" + str(R.randint(0, 5))]), 14)
    if brand == "up":
        return luhn_complete("62" + str(R.randint(0, 1)) + str(R.randint(2, 9)), 16)
    raise KeyError(brand)


def fmt_card(d, fmt):
    if fmt == "plain":
        return d
    sep = " " if fmt == "sp" else "-"
    if len(d) == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(parts)


def card(arg=""):
    a = arg.split(":") if arg else []
    brand = (
        a[0]
        if a and a[0] != "any"
        else R.choice(["visa", "visa", "visa", "mc", "mc", "amex", "disc", "jcb", "diners", "up"])
    )
    fmt = a[1] if len(a) > 1 and a[1] != "any" else R.choice(["plain", "sp", "sp", "dash"])
    return fmt_card(gen_card_digits(brand), fmt)


def bad_card():
    d = gen_card_digits(R.choice(["visa", "mc", "amex", "disc"]))
    d = d[:-1] + str((int(d[-1]) + R.randint(1, 9)) % 10)
    return fmt_card(d, R.choice(["plain", "sp", "dash"]))


def masked_card():
    d = gen_card_digits(R.choice(["visa", "mc", "amex", "disc", "jcb"]))
    st = R.randint(0, 4)
    if st == 0:
        return "**** **** **** " + d[-4:]
    if st == 1:
        return d[:6] + "*" * (len(d) - 10) + d[-4:]
    if st == 2:
        return "XXXX-XXXX-XXXX-" + d[-4:]
    if st == 3:
        return "•••• " + d[-4:]
    return d[:4] + " " + d[4:6] + "** **** " + d[-4:]


def luhn_non_card(kind=None):
    kind = kind or R.choice(["imei", "iccid", "cust"])
    if kind == "imei":
        return luhn_complete(R.choice(["35", "86", "01", "99"]) + rs(6, DIG), 15)
    if kind == "iccid":
        return luhn_complete("89" + R.choice(["49", "33", "44", "31", "48", "90"]), 19)
    return luhn_complete(R.choice(["8", "9", "7", "0"]), 16)


# ---------------------------------------------------------------- passwords
LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"})
PWSYM = "!#$%*@^+=-_"


def gen_password():
    w = lambda: R.choice(WORDS)
    st = R.randint(0, 6)
    if st == 0:
        p = w().capitalize() + str(R.randint(1, 2025)) + R.choice("!#$%*@+=") + w()
    elif st == 1:
        p = w().capitalize() + R.choice(["_", "-", ".", "#"]) + w() + str(R.randint(10, 99))
    elif st == 2:
        p = rsa(R.randint(12, 20), ALNUM + PWSYM)
    elif st == 3:
        p = w().translate(LEET) + w().translate(LEET).capitalize() + str(R.randint(0, 99)) + R.choice("#$%*")
    elif st == 4:
        p = w().capitalize() + str(R.randint(1950, 2024)) + R.choice("#$%*")
    elif st == 5:
        p = rs(R.randint(12, 24), ALNUM)
    else:
        p = w() + R.choice("!@#$") + w().capitalize() + rs(3, DIG)
    return p


def url_pw():
    if R.random() < 0.4:
        return R.choice(WORDS).capitalize() + str(R.randint(10, 9999)) + R.choice(WORDS)
    return rsa(R.randint(12, 28), ALNUM + "-_")


def passphrase():
    return R.choice([" ", "-", " ", "."]).join(R.choice(WORDS) for _ in range(R.randint(4, 5)))


def psk():
    st = R.randint(0, 2)
    if st == 0:
        return R.choice(WORDS).capitalize() + R.choice(WORDS) + str(R.randint(100, 9999))
    if st == 1:
        return rs(R.randint(12, 20), ALNUM)
    return R.choice(WORDS) + "-" + R.choice(WORDS) + "-" + R.choice(WORDS) + str(R.randint(1, 99))


def pem(label, nlines, first=""):
    body = first + b64(rb(nlines * 48))
    lines = [body[i : i + 64] for i in range(0, len(body), 64)][:nlines]
    if nlines > 1:
        lines[-1] = lines[-1][: R.randint(20, 64)]
        if len(lines[-1]) % 4:
            lines[-1] = lines[-1][: len(lines[-1]) - len(lines[-1]) % 4]
    return lines, "-----BEGIN %s-----" % label, "-----END %s-----" % label


def pem_block(label, nlines, first="", sep="\n"):
    lines, b, e = pem(label, nlines, first)
    return sep.join([b] + lines + [e])


def jwt():
    alg = R.choice(["HS256", "HS256", "RS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        hdr["kid"] = rs(16, HEX)
    now = R.randint(1650000000, 1740000000)
    pl = {
        "sub": R.choice([str(uuid.UUID(int=R.getrandbits(128), version=4)), rd(8)]),
        "iat": now,
        "exp": now + R.choice([900, 3600, 86400]),
    }
    if R.random() < 0.5:
        pl["role"] = R.choice(["user", "admin", "service", "editor"])
    if R.random() < 0.4:
        pl["iss"] = "https://auth." + company_domain()
    sig = {"HS256": 43, "RS256": 342, "ES256": 86}[alg]
    return (
        b64u(json.dumps(hdr, separators=(",", ":")).encode())
        + "."
        + b64u(json.dumps(pl, separators=(",", ":")).encode())
        + "."
        + rsa(sig, B64U)
    )


def discord_token():
    ident = str(R.randint(10**17, 10**19 - 1))
    return b64u(ident.encode()) + "." + rs(6, B64U) + "." + rsa(38, B64U)


def sas_sig():
    v = b64_alnum_start(32)
    return v.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def mapbox_sk():
    return (
        "sk."
        + b64u(json.dumps({"u": gen_user().replace(".", ""), "a": rs(25, LOWNUM)}, separators=(",", ":")).encode())
        + "."
        + rsa(22, B64U)
    )


def basic_auth():
    return b64_of("%s:%s" % (gen_user(), gen_password()))


def b64_of(s):
    v = b64(s.encode())
    return v


def matrix_tok():
    return "syt_" + b64u(gen_user().encode()) + "_" + rs(20, LET) + "_" + rs(6, ALNUM)


SG = {
    "password": gen_password,
    "url_pw": url_pw,
    "passphrase": passphrase,
    "psk": psk,
    "gapp": lambda: " ".join(rs(4, LOW) for _ in range(4)),
    "community": lambda: R.choice(WORDS) + R.choice(["Mon", "Ro", "Snmp", "_ro_"]) + str(R.randint(10, 999)),
    "aws_id": lambda: "AKIA" + rs(16, B32),
    "asia": lambda: "ASIA" + rs(16, B32),
    "aws_sk": lambda: rsa(40, ALNUM + "/+"),
    "aws_session": lambda: "IQoJb3JpZ2luX2Vj" + rsa(R.randint(180, 260), ALNUM + "/+"),
    "ghp": lambda: "ghp_" + rs(36),
    "gho": lambda: "gho_" + rs(36),
    "ghs": lambda: "ghs_" + rs(36),
    "ghpat": lambda: "github_pat_" + rs(22) + "_" + rs(59),
    "glpat": lambda: "glpat-" + rsa(20, ALNUM + "-_"),
    "glrt": lambda: "glrt-" + rsa(20, ALNUM + "-_"),
    "xoxb": lambda: "xoxb-%s-%s-%s" % (rd(11), rd(13), rs(24)),
    "xoxp": lambda: "xoxp-%s-%s-%s-%s" % (rd(11), rd(11), rd(13), rs(32, HEX)),
    "slack_hook": lambda: "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(8, UPNUM), rs(10, UPNUM), rs(24)),
    "sk_live": lambda: "sk_live_" + (rs(24) if R.random() < 0.5 else "51" + rs(97)),
    "rk_live": lambda: "rk_live_" + (rs(24) if R.random() < 0.5 else "51" + rs(97)),
    "whsec": lambda: "whsec_" + rs(32),
    "sendgrid": lambda: "SG." + rsa(22, B64U) + "." + rsa(43, B64U),
    "mailgun": lambda: "key-" + rs(32, HEX),
    "openai": lambda: R.choice(
        ["sk-" + rs(20) + "T3BlbkFJ" + rs(20), "sk-proj-" + rsa(74, ALNUM + "-_") + "T3BlbkFJ" + rsa(74, ALNUM + "-_")]
    ),
    "anthropic": lambda: "sk-ant-api03-" + rsa(93, B64U) + "AA",
    "gapi": lambda: "AIza" + rsa(35, B64U),
    "gcs": lambda: "GOCSPX-" + rsa(28, B64U),
    "ya29": lambda: "ya29." + rsa(R.randint(120, 180), B64U),
    "g_refresh": lambda: "1//0" + rs(2, LET) + rsa(R.randint(90, 100), B64U),
    "npm": lambda: "npm_" + rs(36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rsa(R.randint(140, 180), B64U),
    "discord": discord_token,
    "telegram": lambda: "%s:AA%s" % (rd(10), rsa(33, B64U)),
    "shpat": lambda: "shpat_" + rs(32, HEX),
    "shpss": lambda: "shpss_" + rs(32, HEX),
    "braintree": lambda: "access_token$production$%s$%s" % (rs(16, LOWNUM), rs(32, HEX)),
    "paypal_secret": lambda: "E" + rsa(79, ALNUM + "-_"),
    "nrak": lambda: "NRAK-" + rs(27, UPNUM),
    "azkey": lambda: b64_alnum_start(64),
    "sas_sig": sas_sig,
    "dop": lambda: "dop_v1_" + rs(64, HEX),
    "hf": lambda: "hf_" + rs(34, LET),
    "atlassian": lambda: "ATATT3xFfGF0" + rsa(R.randint(140, 180), ALNUM + "-_") + "=" + rs(8, HEXU),
    "linear": lambda: "lin_api_" + rs(40),
    "vault": lambda: "hvs." + rs(R.randint(24, 90), ALNUM + "_-").rstrip("-_") + rs(1),
    "postman": lambda: "PMAK-%s-%s" % (rs(24, HEX), rs(34, HEX)),
    "mapbox_sk": mapbox_sk,
    "jwt": jwt,
    "rsa_pem": lambda: pem_block("RSA PRIVATE KEY", R.randint(10, 26), "MIIE"),
    "openssh": lambda: pem_block(
        "OPENSSH PRIVATE KEY", R.randint(5, 8), "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAA"
    ),
    "ec_pem": lambda: pem_block("EC PRIVATE KEY", R.randint(3, 5), "MHcCAQEEI"),
    "ec_pem_ind4": lambda: pem_block("EC PRIVATE KEY", R.randint(3, 5), "MHcCAQEEI", "\n    "),
    "pkcs8": lambda: pem_block("PRIVATE KEY", R.randint(8, 26), "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
    "pkcs8_json": lambda: pem_block("PRIVATE KEY", R.randint(8, 26), "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "\\n"),
    "pgp_priv": lambda: pem_block("PGP PRIVATE KEY BLOCK", R.randint(8, 14), "lQdGBG").replace(
        "BLOCK-----\n", "BLOCK-----\n\n", 1
    ),
    "hex32": lambda: rs(32, HEX),
    "hex40": lambda: rs(40, HEX),
    "hex64": lambda: rs(64, HEX),
    "hex128": lambda: rs(128, HEX),
    "tok32": lambda: rs(32),
    "tok40": lambda: rs(40),
    "tok48": lambda: rsa(48, ALNUM + "-_"),
    "tok64b": lambda: rsa(64, ALNUM + "+/"),
    "a30": lambda: rsa(30, ALNUM + "-_"),
    "b64_32": lambda: b64_alnum_start(32),
    "b64_48": lambda: b64_alnum_start(48),
    "basic": basic_auth,
    "dockerauth": basic_auth,
    "k8s_b64": lambda: b64_of(gen_password()),
    "sess": lambda: rs(R.choice([32, 40, 48]), LOWNUM),
    "phpsess": lambda: rs(26, LOWNUM),
    "connect_sid": lambda: "s%3A" + rs(32, B64U) + "." + rsa(43, ALNUM + "%"),
    "wpsalt": lambda: rsa(64, ALNUM + "!#$%^*()-_=+[]{}|;:,.<>?~@"),
    "django": lambda: rsa(50, LOWNUM + "!@#$%^&*(-_=+)"),
    "age": lambda: "AGE-SECRET-KEY-1" + rs(58, BECH.upper()),
    "tfc": lambda: rs(14) + ".atlasv1." + rs(67),
    "cf_token": lambda: rsa(40, ALNUM + "_-"),
    "cf_global": lambda: rs(37, HEX),
    "okta": lambda: "00" + rsa(40, ALNUM + "-_"),
    "fcm": lambda: "AAAA" + rs(7, B64U) + ":APA91b" + rsa(134, B64U),
    "mailchimp": lambda: rs(32, HEX) + "-us" + str(R.randint(1, 21)),
    "airtable": lambda: "pat" + rs(14) + "." + rs(64, HEX),
    "notion": lambda: R.choice(["secret_" + rs(43), "ntn_" + rd(11) + rs(35)]),
    "wgkey": lambda: b64_alnum_start(32),
    "sntryu": lambda: "sntryu_" + rs(64, HEX),
    "nuget": lambda: "oy2" + rs(43, LOWNUM),
    "pulumi": lambda: "pul-" + rs(40, HEX),
    "glsa": lambda: "glsa_" + rs(32) + "_" + rs(8, HEX),
    "dapi": lambda: "dapi" + rs(32, HEX),
    "rubygems": lambda: "rubygems_" + rs(48, HEX),
    "ngrok": lambda: "2" + rs(26) + "_" + rs(21),
    "tskey": lambda: "tskey-auth-k" + rs(10) + "CNTRL-" + rs(33),
    "matrix": matrix_tok,
    "twbearer": lambda: "AAAAAAAAAAAAAAAAAAAAA" + rs(25) + "%3D" + rs(50),
    "fbtoken": lambda: "EAAG" + rs(R.randint(120, 180)),
    "azsecret": lambda: rs(3) + "8Q~" + rsa(34, ALNUM + "_-.~"),
    "uuid_secret": lambda: str(uuid.UUID(int=R.getrandbits(128), version=4)),
    "totp": lambda: rs(32, B32),
    "square": lambda: "EAAA" + rsa(60, B64U),
    "p_hex": lambda: "p" + rs(64, HEX),
    "sqpat": lambda: "sq0atp-" + rsa(22, B64U),
}


# ---------------------------------------------------------------- fillers (unlabelled)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def rdt():
    return datetime.datetime(2019, 1, 1) + datetime.timedelta(seconds=R.randint(0, 6 * 365 * 86400))


def fmt_dt(kind):
    d = rdt()
    if kind == "date":
        return d.strftime("%Y-%m-%d")
    if kind == "ts":
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "dt":
        return d.strftime("%Y-%m-%d %H:%M:%S")
    if kind == "clf":
        return "%02d/%s/%d:%s +0000" % (d.day, MONTHS[d.month - 1], d.year, d.strftime("%H:%M:%S"))
    if kind == "syslog":
        return "%s %2d %s" % (MONTHS[d.month - 1], d.day, d.strftime("%H:%M:%S"))
    if kind == "rfcdate":
        return "%s, %02d %s %d %s %s" % (
            DAYS[d.weekday()],
            d.day,
            MONTHS[d.month - 1],
            d.year,
            d.strftime("%H:%M:%S"),
            R.choice(["+0000", "+0100", "+0200", "-0500", "+0900"]),
        )
    if kind == "gitdate":
        return "%s %s %d %s %d %s" % (
            DAYS[d.weekday()],
            MONTHS[d.month - 1],
            d.day,
            d.strftime("%H:%M:%S"),
            d.year,
            R.choice(["+0100", "+0200", "-0700", "+0530"]),
        )
    if kind == "nginxdate":
        return d.strftime("%Y/%m/%d %H:%M:%S")
    if kind == "yyyymmdd":
        return d.strftime("%Y%m%d")
    if kind == "amzdate":
        return d.strftime("%Y%m%dT%H%M%SZ")
    if kind == "unix":
        return str(int(d.replace(tzinfo=datetime.UTC).timestamp()))
    if kind == "time":
        return d.strftime("%H:%M")
    if kind == "dmy":
        return d.strftime("%d.%m.%Y")
    raise KeyError(kind)


def ua():
    c = R.randint(0, 4)
    if c == 0:
        return (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.%d Safari/537.36"
            % (R.randint(110, 126), R.randint(5000, 6500), R.randint(40, 220))
        )
    if c == 1:
        v = R.randint(115, 127)
        return "Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/%d.0" % (v, v)
    if c == 2:
        return (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Mobile/15E148 Safari/604.1"
            % (R.randint(0, 5), R.randint(0, 5))
        )
    if c == 3:
        return "curl/8.%d.%d" % (R.randint(0, 9), R.randint(0, 1))
    return "python-requests/2.%d.%d" % (R.randint(25, 32), R.randint(0, 3))


def ulid():
    return rs(1, "01") + rs(25, "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def phone():
    c = R.randint(0, 4)
    if c == 0:
        return "+49 %d %d %d" % (R.randint(151, 179), R.randint(100, 999), R.randint(1000, 9999))
    if c == 1:
        return "+33 6 %02d %02d %02d %02d" % tuple(R.randint(0, 99) for _ in range(4))
    if c == 2:
        return "+1 (%d) 555-01%02d" % (R.randint(201, 989), R.randint(0, 99))
    if c == 3:
        return "+44 7700 900%03d" % R.randint(0, 999)
    return "+81 90-%04d-%04d" % (R.randint(0, 9999), R.randint(0, 9999))


def sshpub():
    if R.random() < 0.5:
        return (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
            + rs(43, B64)
            + " "
            + gen_user()
            + "@"
            + R.choice(HOSTP)
            + "-"
            + rs(2, DIG)
        )
    return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(R.randint(300, 500), B64) + "= " + gen_user() + "@laptop"


def ver4():
    return "%d.%d.%d.%d" % (R.randint(1, 20), R.randint(0, 9), R.randint(0, 99), R.randint(0, 250))


F = {
    "user": gen_user,
    "first": lambda: R.choice(FIRST).capitalize(),
    "last": lambda: R.choice(LAST).capitalize(),
    "full": lambda: R.choice(FIRST).capitalize() + " " + R.choice(LAST).capitalize(),
    "host": lambda: R.choice(HOSTP) + "-" + "%02d" % R.randint(1, 40),
    "HOST": lambda: (R.choice(HOSTP) + "-" + R.choice(CITIES)[:3] + "-%02d" % R.randint(1, 9)).upper(),
    "domain": company_domain,
    "DOMAIN": lambda: company_domain().upper(),
    "word": lambda: R.choice(WORDS),
    "Word": lambda: R.choice(WORDS).capitalize(),
    "WORD": lambda: R.choice(WORDS).upper(),
    "lcword": lambda: R.choice(WORDS) + rs(3, LOWNUM),
    "lc5": lambda: rs(5, LOWNUM),
    "lc10": lambda: rs(10, LOWNUM),
    "lc14": lambda: rs(14, LOW),
    "a9": lambda: rs(9),
    "a14": lambda: rs(14),
    "a16": lambda: rs(16, UPNUM),
    "a24": lambda: rs(24),
    "hex8": lambda: rs(8, HEX),
    "HEX8": lambda: rs(8, HEXU),
    "hex12": lambda: rs(12, HEX),
    "hex17": lambda: rs(17, HEX),
    "hex20": lambda: rs(20, HEX),
    "hex32": lambda: rs(32, HEX),
    "sha1": lambda: rs(40, HEX),
    "sha7": lambda: rs(7, HEX),
    "sha256": lambda: rs(64, HEX),
    "md5": lambda: rs(32, HEX),
    "fpr": lambda: " ".join(rs(4, HEXU) for _ in range(10)),
    "b64_43": lambda: rs(43, B64),
    "b64user": lambda: b64_of(gen_user()),
    "wgpub": lambda: b64_alnum_start(32),
    "dbname": lambda: (
        R.choice(["app", "shop", "prod", "crm", "wp", "analytics", "billing", "main"])
        + R.choice(["", "_db", "_prod", "2"])
    ),
    "region": lambda: R.choice(REGIONS),
    "bucket": lambda: R.choice(WORDS) + "-" + R.choice(["assets", "backups", "exports", "logs"]) + "-" + rs(4, LOWNUM),
    "repo": lambda: R.choice(WORDS) + "/" + R.choice(WORDS) + "-" + R.choice(["api", "web", "cli", "infra", "bot"]),
    "project": lambda: R.choice(WORDS) + "-" + R.choice(WORDS) + "-" + rd(6),
    "privip": priv4,
    "docip": doc4,
    "docip6": doc6,
    "privip6": priv6,
    "cgnat": lambda: "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254)),
    "gw": lambda: "192.168.%d.1" % R.randint(0, 50),
    "port": lambda: str(R.choice([8080, 8443, 3000, 5000, 8000, 9000, 2222, 10443, R.randint(1025, 65000)])),
    "n": lambda: str(R.randint(2, 9999)),
    "n1": lambda: str(R.randint(1, 9)),
    "n2": lambda: str(R.randint(10, 99)),
    "n4": lambda: str(R.randint(1000, 9999)),
    "n5": lambda: str(R.randint(10000, 65000)),
    "pid": lambda: str(R.randint(300, 99999)),
    "bytes": lambda: str(R.randint(120, 98000)),
    "ttl": lambda: str(R.choice([48, 52, 54, 57, 113, 116, 242])),
    "ver": lambda: "%d.%d.%d" % (R.randint(0, 12), R.randint(0, 30), R.randint(0, 20)),
    "ver4": ver4,
    "date": lambda: fmt_dt("date"),
    "ts": lambda: fmt_dt("ts"),
    "dt": lambda: fmt_dt("dt"),
    "clf": lambda: fmt_dt("clf"),
    "syslog": lambda: fmt_dt("syslog"),
    "rfcdate": lambda: fmt_dt("rfcdate"),
    "gitdate": lambda: fmt_dt("gitdate"),
    "nginxdate": lambda: fmt_dt("nginxdate"),
    "yyyymmdd": lambda: fmt_dt("yyyymmdd"),
    "amzdate": lambda: fmt_dt("amzdate"),
    "unix": lambda: fmt_dt("unix"),
    "time": lambda: fmt_dt("time"),
    "dmy": lambda: fmt_dt("dmy"),
    "ua": ua,
    "mac": lambda: ":".join(rs(2, HEX) for _ in range(6)),
    "ssid": lambda: (
        R.choice(["FRITZ!Box 7590 ", "Vodafone-", "TP-Link_", "Livebox-", "HUAWEI-", "Cafe_", "Guest-"]) + rs(4, UPNUM)
    ),
    "city": lambda: R.choice(CITIES),
    "cc": lambda: R.choice(
        ["DE", "FR", "NL", "PL", "ES", "IT", "SE", "FI", "CZ", "RO", "TR", "UA", "JP", "KR", "BR", "IN"]
    ),
    "nic": lambda: rs(2, UP) + rd(4) + "-RIPE",
    "phone": phone,
    "ord": lambda: R.choice(["#", "ORD-", "A", ""]) + rd(R.choice([6, 7, 8])),
    "exp": lambda: "%02d/%02d" % (R.randint(1, 12), R.randint(25, 31)),
    "mm": lambda: "%02d" % R.randint(1, 12),
    "yyyy": lambda: str(R.randint(2025, 2031)),
    "cvv": lambda: rs(3, DIG),
    "amount": lambda: "%d.%02d" % (R.randint(5, 1999), R.randint(0, 99)),
    "acsid": lambda: "AC" + rs(32, HEX),
    "gclient": lambda: "%s-%s.apps.googleusercontent.com" % (rd(12), rs(32, LOWNUM)),
    "uuid": lambda: str(uuid.UUID(int=R.getrandbits(128), version=4)),
    "UUID": lambda: str(uuid.UUID(int=R.getrandbits(128), version=4)).upper(),
    "ulid": ulid,
    "pk_live": lambda: "pk_live_" + (rs(24) if R.random() < 0.5 else "51" + rs(97)),
    "pk_test": lambda: "pk_test_" + (rs(24) if R.random() < 0.5 else "51" + rs(97)),
    "sk_test": lambda: "sk_test_" + (rs(24) if R.random() < 0.5 else "51" + rs(97)),
    "fake_aws_id": lambda: "AKIA" + rs(9, B32) + "EXAMPLE",
    "fake_aws_sk": lambda: rsa(20, ALNUM + "/") + "/" + rs(10, UP) + "EXAMPLEKEY",
    "last4": lambda: rs(4, DIG),
    "ga4": lambda: "G-" + rs(10, UPNUM),
    "ua_id": lambda: "UA-%s-%d" % (rd(R.choice([7, 8, 9])), R.randint(1, 9)),
    "gtm": lambda: "GTM-" + rs(7, UPNUM),
    "pixel": lambda: rd(R.choice([15, 16])),
    "recaptcha": lambda: "6L" + R.choice("cefd") + rs(37, B64U),
    "turnstile": lambda: "0x4AAAAAAA" + rs(14, B64U),
    "ghclient": lambda: R.choice(["Iv1." + rs(16, HEX), "Ov23li" + rs(14)]),
    "aiza": lambda: "AIza" + rsa(35, B64U),
    "sri384": lambda: "sha384-" + b64(rb(48)),
    "sri512": lambda: "sha512-" + b64(rb(64)),
    "sri256": lambda: "sha256-" + b64(rb(32)),
    "amzorder": lambda: "%s-%s-%s" % (rd(3), rd(7), rd(7)),
    "ups": lambda: "1Z" + rs(6, UPNUM) + rs(10, DIG),
    "datapng": lambda: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA" + b64(rb(R.randint(40, 140))),
    "cssclass": lambda: rs(1, LET) + rs(R.randint(4, 7), LET + DIG),
    "hexcolor": lambda: "#" + rs(R.choice([3, 6]), HEX),
    "oid": lambda: "1.3.6.1.4.1.%d.%d.%d" % (R.randint(100, 60000), R.randint(1, 9), R.randint(1, 30)),
    "lat": lambda: "%.6f" % R.uniform(-60, 70),
    "lon": lambda: "%.6f" % R.uniform(-170, 170),
    "exmail": example_email,
    "exdom": lambda: R.choice(
        ["example.com", "example.org", "example.net", "api.example.com", "shop.example", "staging.test", "corp.invalid"]
    ),
    "badcard": bad_card,
    "maskcard": masked_card,
    "imei": lambda: luhn_non_card("imei"),
    "iccid": lambda: luhn_non_card("iccid"),
    "custno": lambda: luhn_non_card("cust"),
    "btc": lambda: "bc1q" + rs(38, BECH),
    "btc_legacy": lambda: R.choice("13") + rs(R.randint(25, 33), B58),
    "eth": lambda: "0x" + rs(40, HEX + "ABCDEF"),
    "sshpub": sshpub,
    "pubpem": lambda: pem_block("PUBLIC KEY", R.randint(4, 7), "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"),
    "certpem": lambda: pem_block("CERTIFICATE", R.randint(8, 14), "MIID"),
    "pgppub": lambda: pem_block("PGP PUBLIC KEY BLOCK", R.randint(6, 10), "mQINBG").replace(
        "BLOCK-----\n", "BLOCK-----\n\n", 1
    ),
    "nonce": lambda: b64(rb(16)),
    "csrf": lambda: rs(R.choice([40, 64]), ALNUM),
    "csrf_u": lambda: b64u(rb(32)),
    "bcrypt": lambda: "$2b$%02d$" % R.choice([10, 11, 12]) + rs(53, "./" + ALNUM),
    "sha512crypt": lambda: "$6$" + rs(16, "./" + ALNUM) + "$" + rs(86, "./" + ALNUM),
    "pbkdf2": lambda: "pbkdf2_sha256$%d$%s$%s" % (R.choice([600000, 720000, 870000]), rs(22), b64(rb(32))),
    "argon2": lambda: "$argon2id$v=19$m=65536,t=3,p=4$%s$%s" % (b64(rb(16)).rstrip("="), b64(rb(32)).rstrip("=")),
    "apr1": lambda: "$apr1$" + rs(8, "./" + ALNUM) + "$" + rs(22, "./" + ALNUM),
    "md5crypt": lambda: "$1$" + rs(4, ALNUM) + "$" + rs(22, "./" + ALNUM),
    "arn_secret": lambda: (
        "arn:aws:secretsmanager:%s:%s:secret:%s/%s-%s"
        % (R.choice(REGIONS), rd(12), R.choice(["prod", "staging"]), R.choice(WORDS), rs(6))
    ),
    "digest": lambda: "sha256:" + rs(64, HEX),
    "rayid": lambda: rs(16, HEX) + "-" + R.choice(["FRA", "AMS", "CDG", "NRT", "SIN", "IAD", "GRU", "WAW", "MAD"]),
    "ytid": lambda: rs(11, B64U),
    "tweetid": lambda: "17" + rs(17, DIG),
    "dkim_p": lambda: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + rs(R.randint(200, 300), B64) + "IDAQAB",
    "gsv": lambda: rs(43, B64U),
    "hubsig": lambda: "sha256=" + rs(64, HEX),
    "chunk": lambda: rs(R.choice([8, 20]), HEX),
    "pkg": lambda: R.choice(
        [
            "@babel/core",
            "@types/node",
            "@angular/core",
            "@nestjs/common",
            "@vue/compiler-sfc",
            "@aws-sdk/client-s3",
            "@prisma/client",
            "@tanstack/react-query",
            "@emotion/styled",
            "@sentry/node",
        ]
    ),
    "upword": lambda: R.choice(WORDS).upper(),
    "salt": lambda: rs(16, ALNUM),
    "issue": lambda: str(R.randint(12, 48000)),
    "b64msg": lambda: b64_of(
        R.choice(["Welcome to ", "Maintenance window on ", "Hello from ", "Build "])
        + R.choice(WORDS)
        + " "
        + fmt_dt("date")
    ),
    "semverr": lambda: "^%d.%d.%d" % (R.randint(0, 9), R.randint(0, 40), R.randint(0, 20)),
}


# ---------------------------------------------------------------- phrases
PH = {
    "en": dict(
        ask="Hi all, my config isn't working and I can't figure out why.",
        here="Here's my current file:",
        log="This is what the log shows:",
        thanks="Thanks in advance!",
        err="I keep getting this error:",
        edit="EDIT: solved, it was a typo in the hostname.",
        doc="Example request:",
        note="Note: replace the example values with your own.",
        rot="(I'll rotate the keys afterwards, obviously.)",
    ),
    "de": dict(
        ask="Hallo zusammen, meine Konfiguration funktioniert nicht und ich weiß nicht warum.",
        here="Hier ist meine aktuelle Datei:",
        log="Das steht im Log:",
        thanks="Danke im Voraus für jede Hilfe!",
        err="Ich bekomme immer diesen Fehler:",
        edit="EDIT: Problem gelöst, es lag an einem Tippfehler im Hostnamen.",
        doc="Beispielanfrage:",
        note="Hinweis: Ersetze die Platzhalter durch deine eigenen Werte.",
        rot="(Die Schlüssel werden danach natürlich rotiert.)",
    ),
    "fr": dict(
        ask="Bonjour, ma configuration ne fonctionne pas et je ne comprends pas pourquoi.",
        here="Voici mon fichier actuel :",
        log="Voici ce que j'ai dans les logs :",
        thanks="Merci d'avance pour votre aide !",
        err="J'obtiens toujours cette erreur :",
        edit="EDIT : résolu, c'était une faute de frappe dans le nom d'hôte.",
        doc="Exemple de requête :",
        note="Remarque : remplacez les valeurs d'exemple par les vôtres.",
        rot="(Je changerai les clés juste après, bien sûr.)",
    ),
    "es": dict(
        ask="Hola a todos, mi configuración no funciona y no sé por qué.",
        here="Este es mi archivo actual:",
        log="Esto es lo que sale en el log:",
        thanks="¡Gracias de antemano por cualquier ayuda!",
        err="Siempre me sale este error:",
        edit="EDITO: resuelto, era una errata en el nombre del host.",
        doc="Ejemplo de petición:",
        note="Nota: sustituye los valores de ejemplo por los tuyos.",
        rot="(Luego rotaré las claves, claro.)",
    ),
    "it": dict(
        ask="Ciao a tutti, la mia configurazione non funziona e non capisco il motivo.",
        here="Ecco il mio file attuale:",
        log="Questo è l'output del log:",
        thanks="Grazie in anticipo a chiunque risponda!",
        err="Ottengo sempre questo errore:",
        edit="EDIT: risolto, era un errore di battitura nel nome host.",
        doc="Esempio di richiesta:",
        note="Nota: sostituisci i valori di esempio con i tuoi.",
        rot="(Ovviamente dopo cambierò le chiavi.)",
    ),
    "pt": dict(
        ask="Olá pessoal, minha configuração não está funcionando e não sei por quê.",
        here="Segue o meu arquivo atual:",
        log="Isto é o que aparece no log:",
        thanks="Desde já agradeço qualquer ajuda!",
        err="Sempre recebo este erro:",
        edit="EDIT: resolvido, era um erro de digitação no hostname.",
        doc="Exemplo de requisição:",
        note="Obs.: substitua os valores de exemplo pelos seus.",
        rot="(Depois eu troco as chaves, claro.)",
    ),
    "nl": dict(
        ask="Hoi allemaal, mijn configuratie werkt niet en ik snap niet waarom.",
        here="Dit is mijn huidige bestand:",
        log="Dit staat er in de log:",
        thanks="Alvast bedankt voor de hulp!",
        err="Ik krijg steeds deze foutmelding:",
        edit="EDIT: opgelost, het was een typefout in de hostnaam.",
        doc="Voorbeeldverzoek:",
        note="Let op: vervang de voorbeeldwaarden door je eigen waarden.",
        rot="(Ik roteer de sleutels daarna natuurlijk.)",
    ),
    "pl": dict(
        ask="Cześć, moja konfiguracja nie działa i nie wiem dlaczego.",
        here="Oto mój aktualny plik:",
        log="Tak wygląda log:",
        thanks="Z góry dzięki za pomoc!",
        err="Cały czas dostaję ten błąd:",
        edit="EDIT: rozwiązane, literówka w nazwie hosta.",
        doc="Przykładowe żądanie:",
        note="Uwaga: zastąp przykładowe wartości własnymi.",
        rot="(Klucze oczywiście potem zmienię.)",
    ),
    "ru": dict(
        ask="Всем привет, у меня не работает конфигурация, и я не понимаю почему.",
        here="Вот мой текущий файл:",
        log="Вот что в логах:",
        thanks="Заранее спасибо за помощь!",
        err="Постоянно получаю вот такую ошибку:",
        edit="UPD: решено, была опечатка в имени хоста.",
        doc="Пример запроса:",
        note="Примечание: замените примерные значения своими.",
        rot="(Ключи потом, конечно, поменяю.)",
    ),
    "uk": dict(
        ask="Привіт усім, моя конфігурація не працює, і я не розумію чому.",
        here="Ось мій поточний файл:",
        log="Ось що в логах:",
        thanks="Наперед дякую за допомогу!",
        err="Постійно отримую таку помилку:",
        edit="UPD: вирішено, була помилка в імені хоста.",
        doc="Приклад запиту:",
        note="Примітка: замініть приклади власними значеннями.",
        rot="(Ключі потім, звісно, зміню.)",
    ),
    "cs": dict(
        ask="Ahoj, moje konfigurace nefunguje a nevím proč.",
        here="Tady je můj aktuální soubor:",
        log="V logu je tohle:",
        thanks="Předem díky za pomoc!",
        err="Pořád dostávám tuhle chybu:",
        edit="EDIT: vyřešeno, překlep v názvu hostitele.",
        doc="Ukázkový požadavek:",
        note="Poznámka: nahraďte ukázkové hodnoty vlastními.",
        rot="(Klíče pak samozřejmě vyměním.)",
    ),
    "sv": dict(
        ask="Hej alla, min konfiguration fungerar inte och jag förstår inte varför.",
        here="Här är min nuvarande fil:",
        log="Det här står i loggen:",
        thanks="Tack på förhand för all hjälp!",
        err="Jag får hela tiden det här felet:",
        edit="EDIT: löst, det var ett stavfel i värdnamnet.",
        doc="Exempelanrop:",
        note="Obs: byt ut exempelvärdena mot dina egna.",
        rot="(Nycklarna byter jag förstås efteråt.)",
    ),
    "da": dict(
        ask="Hej alle, min konfiguration virker ikke, og jeg kan ikke se hvorfor.",
        here="Her er min nuværende fil:",
        log="Dette står der i loggen:",
        thanks="På forhånd tak for hjælpen!",
        err="Jeg får hele tiden denne fejl:",
        edit="EDIT: løst, der var en stavefejl i værtsnavnet.",
        doc="Eksempel på forespørgsel:",
        note="Bemærk: erstat eksempelværdierne med dine egne.",
        rot="(Nøglerne skifter jeg selvfølgelig bagefter.)",
    ),
    "nb": dict(
        ask="Hei, konfigurasjonen min fungerer ikke, og jeg skjønner ikke hvorfor.",
        here="Her er filen min slik den er nå:",
        log="Dette står i loggen:",
        thanks="Takk på forhånd for hjelpen!",
        err="Jeg får hele tiden denne feilen:",
        edit="EDIT: løst, det var en skrivefeil i vertsnavnet.",
        doc="Eksempel på forespørsel:",
        note="Merk: bytt ut eksempelverdiene med dine egne.",
        rot="(Nøklene bytter jeg selvfølgelig etterpå.)",
    ),
    "fi": dict(
        ask="Moi kaikki, konfiguraationi ei toimi enkä ymmärrä miksi.",
        here="Tässä nykyinen tiedostoni:",
        log="Lokissa lukee näin:",
        thanks="Kiitos jo etukäteen avusta!",
        err="Saan koko ajan tämän virheen:",
        edit="EDIT: ratkaistu, isäntänimessä oli kirjoitusvirhe.",
        doc="Esimerkkipyyntö:",
        note="Huom: korvaa esimerkkiarvot omillasi.",
        rot="(Vaihdan avaimet tietysti jälkeenpäin.)",
    ),
    "tr": dict(
        ask="Merhaba, yapılandırmam çalışmıyor ve nedenini anlamadım.",
        here="Mevcut dosyam şu şekilde:",
        log="Logda şunlar yazıyor:",
        thanks="Şimdiden yardımlarınız için teşekkürler!",
        err="Sürekli bu hatayı alıyorum:",
        edit="DÜZENLEME: çözüldü, sunucu adında yazım hatası varmış.",
        doc="Örnek istek:",
        note="Not: örnek değerleri kendi değerlerinizle değiştirin.",
        rot="(Anahtarları sonra tabii ki değiştireceğim.)",
    ),
    "ja": dict(
        ask="設定がうまく動かなくて困っています。原因がわかりません。",
        here="現在の設定ファイルはこちらです：",
        log="ログには次のように出ています：",
        thanks="よろしくお願いします。",
        err="毎回このエラーが出ます：",
        edit="追記：解決しました。ホスト名のタイプミスでした。",
        doc="リクエスト例：",
        note="注意：サンプルの値はご自身の値に置き換えてください。",
        rot="（キーは後でローテーションします）",
    ),
    "zh": dict(
        ask="大家好，我的配置一直不生效，不知道是哪里出了问题。",
        here="这是我现在的配置文件：",
        log="日志输出如下：",
        thanks="先谢谢各位了！",
        err="一直报这个错误：",
        edit="更新：已解决，是主机名拼错了。",
        doc="请求示例：",
        note="注意：请将示例值替换为你自己的值。",
        rot="（密钥之后我会换掉的）",
    ),
    "ko": dict(
        ask="안녕하세요, 설정이 제대로 동작하지 않는데 이유를 모르겠습니다.",
        here="현재 설정 파일입니다:",
        log="로그는 다음과 같습니다:",
        thanks="미리 감사드립니다!",
        err="계속 이 오류가 발생합니다:",
        edit="수정: 해결했습니다. 호스트 이름에 오타가 있었네요.",
        doc="요청 예시:",
        note="참고: 예시 값은 본인 값으로 바꿔서 사용하세요.",
        rot="(키는 나중에 교체할 예정입니다)",
    ),
    "ar": dict(
        ask="مرحبًا، الإعدادات عندي لا تعمل ولا أعرف السبب.",
        here="هذا هو الملف الحالي:",
        log="هذا ما يظهر في السجل:",
        thanks="شكرًا مقدمًا على المساعدة!",
        err="تظهر لي هذه الرسالة دائمًا:",
        edit="تحديث: تم الحل، كان هناك خطأ إملائي في اسم المضيف.",
        doc="مثال على الطلب:",
        note="ملاحظة: استبدل القيم التجريبية بقيمك الخاصة.",
        rot="(سأغيّر المفاتيح لاحقًا بالطبع.)",
    ),
    "he": dict(
        ask="היי, ההגדרות שלי לא עובדות ואני לא מבין למה.",
        here="זה הקובץ הנוכחי שלי:",
        log="זה מה שמופיע בלוג:",
        thanks="תודה מראש על העזרה!",
        err="אני מקבל כל הזמן את השגיאה הזאת:",
        edit="עריכה: נפתר, הייתה שגיאת הקלדה בשם השרת.",
        doc="דוגמת בקשה:",
        note="הערה: החליפו את ערכי הדוגמה בערכים שלכם.",
        rot="(את המפתחות אחליף אחר כך, כמובן.)",
    ),
    "hi": dict(
        ask="नमस्ते, मेरा कॉन्फ़िगरेशन काम नहीं कर रहा है और समझ नहीं आ रहा क्यों।",
        here="यह मेरी मौजूदा फ़ाइल है:",
        log="लॉग में यह दिख रहा है:",
        thanks="मदद के लिए पहले से धन्यवाद!",
        err="मुझे बार-बार यह त्रुटि मिलती है:",
        edit="अपडेट: हल हो गया, होस्टनेम में टाइपो था।",
        doc="उदाहरण अनुरोध:",
        note="नोट: उदाहरण वाले मानों को अपने मानों से बदलें।",
        rot="(बाद में मैं कुंजियाँ बदल दूँगा।)",
    ),
    "vi": dict(
        ask="Chào mọi người, cấu hình của mình không chạy và mình không hiểu tại sao.",
        here="Đây là file hiện tại của mình:",
        log="Log hiển thị như sau:",
        thanks="Cảm ơn mọi người trước nhé!",
        err="Mình luôn gặp lỗi này:",
        edit="CẬP NHẬT: đã xong, do gõ sai tên máy chủ.",
        doc="Ví dụ yêu cầu:",
        note="Lưu ý: thay các giá trị mẫu bằng giá trị của bạn.",
        rot="(Mình sẽ đổi key sau nhé.)",
    ),
    "id": dict(
        ask="Halo semua, konfigurasi saya tidak jalan dan saya tidak tahu kenapa.",
        here="Ini file saya sekarang:",
        log="Ini isi log-nya:",
        thanks="Terima kasih sebelumnya atas bantuannya!",
        err="Saya selalu mendapat error ini:",
        edit="EDIT: sudah beres, ternyata salah ketik di nama host.",
        doc="Contoh permintaan:",
        note="Catatan: ganti nilai contoh dengan nilai milik Anda.",
        rot="(Nanti kuncinya saya ganti, tentu saja.)",
    ),
    "ro": dict(
        ask="Salut, configurația mea nu funcționează și nu înțeleg de ce.",
        here="Acesta este fișierul meu actual:",
        log="Iată ce apare în log:",
        thanks="Mulțumesc anticipat pentru ajutor!",
        err="Primesc mereu această eroare:",
        edit="EDIT: rezolvat, era o greșeală de tastare în numele hostului.",
        doc="Exemplu de cerere:",
        note="Notă: înlocuiți valorile de exemplu cu valorile proprii.",
        rot="(Evident, voi schimba cheile după aceea.)",
    ),
    "hu": dict(
        ask="Sziasztok, nem működik a konfigurációm, és nem értem, miért.",
        here="Ez a jelenlegi fájlom:",
        log="Ez van a naplóban:",
        thanks="Előre is köszönöm a segítséget!",
        err="Folyamatosan ezt a hibát kapom:",
        edit="SZERK: megoldva, elírás volt a hosztnévben.",
        doc="Példa kérés:",
        note="Megjegyzés: cseréld le a példaértékeket a sajátjaidra.",
        rot="(A kulcsokat utána persze lecserélem.)",
    ),
    "el": dict(
        ask="Γεια σας, η ρύθμισή μου δεν δουλεύει και δεν καταλαβαίνω γιατί.",
        here="Αυτό είναι το τρέχον αρχείο μου:",
        log="Αυτό εμφανίζεται στο log:",
        thanks="Ευχαριστώ εκ των προτέρων!",
        err="Παίρνω συνέχεια αυτό το σφάλμα:",
        edit="EDIT: λύθηκε, ήταν ορθογραφικό λάθος στο όνομα του host.",
        doc="Παράδειγμα αιτήματος:",
        note="Σημείωση: αντικαταστήστε τις τιμές του παραδείγματος με τις δικές σας.",
        rot="(Φυσικά θα αλλάξω τα κλειδιά μετά.)",
    ),
}
LANG_CYCLE = [
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "pl",
    "ru",
    "uk",
    "cs",
    "sv",
    "da",
    "nb",
    "fi",
    "tr",
    "ja",
    "zh",
    "ko",
    "ar",
    "he",
    "hi",
    "vi",
    "id",
    "ro",
    "hu",
    "el",
    "en",
]

# ---------------------------------------------------------------- templates
POS = []
NEG = []


def pos(lang, ctx, text, n=3):
    POS.append((lang, ctx, "positive", text, n))


def neg(cat, lang, ctx, text, n=4):
    NEG.append((lang, ctx, cat, text, n))


# ================================================================ POSITIVE TEMPLATES
pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧

```yaml
version: "3.9"
services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: ⟦f:user@u⟧
      POSTGRES_PASSWORD: "⟦S:password⟧"
      POSTGRES_DB: ⟦f:dbname@d⟧
  web:
    build: .
    environment:
      DATABASE_URL: postgresql://⟦=u⟧:⟦S:url_pw⟧@db:5432/⟦=d⟧
    ports:
      - "8000:8000"
```

⟦P:err⟧
```
web_1  | FATAL:  password authentication failed for user "⟦=u⟧"
```
⟦P:thanks⟧""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:here⟧

```
APP_ENV=production
APP_URL=https://shop.⟦f:domain⟧
STRIPE_SECRET_KEY=⟦S:sk_live⟧
STRIPE_PUBLISHABLE_KEY=⟦f:pk_live⟧
SENDGRID_API_KEY=⟦S:sendgrid⟧
MAIL_FROM=⟦E:corp⟧
```
⟦P:err⟧
```
Error: getaddrinfo ENOTFOUND api.sendgrid.com
```
⟦P:rot⟧""",
    n=4,
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ `aws s3 ls` -> AccessDenied

```ini
# ~/.aws/credentials
[default]
aws_access_key_id = ⟦S:aws_id⟧
aws_secret_access_key = ⟦S:aws_sk⟧
region = ⟦f:region⟧
```
```
An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied
```
⟦P:thanks⟧""",
    n=4,
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (502 Bad Gateway)

```nginx
upstream backend {
    server ⟦IP⟧:⟦f:port⟧;
    server ⟦IP⟧:⟦f:port⟧ backup;
}
server {
    listen 443 ssl;
    server_name ⟦f:domain@d⟧;
    location /admin/ {
        allow ⟦IP⟧;
        allow ⟦f:privip⟧;
        deny all;
        proxy_pass http://backend;
        proxy_set_header X-Api-Key "⟦S:hex32⟧";
    }
}
```
⟦P:log⟧
```
⟦f:nginxdate⟧ [error] 1234#1234: *⟦f:n⟧ connect() failed (111: Connection refused) while connecting to upstream, client: ⟦IP⟧, server: ⟦=d⟧
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted')`

```python
import smtplib
from email.message import EmailMessage

msg = EmailMessage()
msg["From"] = "⟦E:free@a⟧"
msg["To"] = "⟦E⟧"
msg["Subject"] = "Report ⟦f:date⟧"
with smtplib.SMTP("smtp.gmail.com", 587) as s:
    s.starttls()
    s.login("⟦=a⟧", "⟦S:gapp⟧")
    s.send_message(msg)
```
⟦P:thanks⟧""",
)

pos(
    "en",
    "ci_log",
    """Pasting the full job log from our failing workflow (run #⟦f:n⟧), maybe someone sees it:

Run actions/checkout@v4
  with:
    repository: ⟦f:repo@r⟧
Syncing repository: ⟦=r⟧
/usr/bin/git remote add origin https://x-access-token:⟦S:ghs⟧@github.com/⟦=r⟧
/usr/bin/git -c protocol.version=2 fetch --no-tags --prune origin +⟦f:sha1⟧:refs/remotes/origin/main
Error: fatal: could not read Username for 'https://github.com': terminal prompts disabled
Error: Process completed with exit code 128.""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧

```yaml
apiVersion: v1
kind: Secret
metadata:
  name: ⟦f:word⟧-db
type: Opaque
data:
  username: ⟦f:b64user⟧
  password: ⟦S:k8s_b64⟧
stringData:
  API_TOKEN: "⟦S:tok40⟧"
```
⟦P:err⟧
```
Error from server (BadRequest): error when creating "secret.yaml": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 12
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:doc⟧
```bash
curl -X GET "https://api.⟦f:domain⟧/v1/users/me" \\
  -H "Authorization: Bearer ⟦S:jwt⟧" \\
  -H "Content-Type: application/json"
```
```json
{"error":"token_expired","message":"JWT expired at ⟦f:ts⟧"}
```
⟦P:thanks⟧""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```js
const mongoose = require('mongoose');
mongoose.connect('mongodb+srv://⟦f:user⟧:⟦S:url_pw⟧@cluster0.⟦f:lc5⟧.mongodb.net/⟦f:dbname⟧?retryWrites=true&w=majority')
  .then(() => console.log('connected'))
  .catch(err => console.error(err));
```
⟦P:err⟧
```
MongoServerError: bad auth : Authentication failed.
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:here⟧ (wp-config.php)
```php
define( 'DB_NAME', '⟦f:dbname⟧' );
define( 'DB_USER', '⟦f:user⟧' );
define( 'DB_PASSWORD', '⟦S:password⟧' );
define( 'DB_HOST', '⟦IP⟧:3306' );
define( 'AUTH_KEY',         '⟦S:wpsalt⟧' );
define( 'SECURE_AUTH_KEY',  '⟦S:wpsalt⟧' );
```
⟦P:err⟧ Error establishing a database connection""",
    n=4,
)

pos(
    "en",
    "forum_post",
    """Our Laravel site leaked its .env because APP_DEBUG was left on. Posting what was visible at https://⟦f:domain⟧/.env so others know what we are rotating:

APP_NAME=⟦f:Word⟧
APP_ENV=production
APP_KEY=base64:⟦S:b64_32⟧
APP_DEBUG=true
DB_CONNECTION=mysql
DB_HOST=⟦IP⟧
DB_PORT=3306
DB_USERNAME=⟦f:user⟧
DB_PASSWORD=⟦S:password⟧
MAIL_USERNAME=⟦E⟧
MAIL_PASSWORD=⟦S:password⟧""",
    n=4,
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```python
# settings/production.py
SECRET_KEY = '⟦S:django⟧'
DEBUG = False
ALLOWED_HOSTS = ['⟦f:domain⟧', '⟦IP⟧']
EMAIL_HOST = 'smtp.⟦f:domain⟧'
EMAIL_HOST_USER = '⟦E⟧'
EMAIL_HOST_PASSWORD = '⟦S:password⟧'
DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': '⟦f:dbname⟧', 'USER': '⟦f:user⟧', 'PASSWORD': '⟦S:password⟧', 'HOST': '⟦f:privip⟧'}}
```
⟦P:thanks⟧""",
    n=4,
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:here⟧ (application.properties)
```properties
spring.datasource.url=jdbc:postgresql://⟦IP⟧:5432/⟦f:dbname⟧
spring.datasource.username=⟦f:user⟧
spring.datasource.password=⟦S:password⟧
spring.mail.host=smtp.office365.com
spring.mail.username=⟦E:corp⟧
spring.mail.password=⟦S:password⟧
jwt.secret=⟦S:b64_48⟧
```
⟦P:err⟧
```
org.postgresql.util.PSQLException: Connection to ⟦f:host⟧:5432 refused.
```""",
    n=4,
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧
```
com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure
```
```java
String url = "jdbc:mysql://⟦IP⟧:3306/⟦f:dbname⟧?user=⟦f:user⟧&password=⟦S:url_pw⟧&useSSL=false";
Connection conn = DriverManager.getConnection(url);
```
⟦P:thanks⟧""",
)

pos(
    "*",
    "github_issue",
    """⟦P:ask⟧ `npm publish` -> 403 Forbidden

.npmrc:
```
registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=⟦S:npm⟧
@⟦f:word⟧:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦S:ghp⟧
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ twine upload -> 403

```ini
[distutils]
index-servers =
    pypi
    testpypi

[pypi]
username = __token__
password = ⟦S:pypi⟧

[testpypi]
repository = https://test.pypi.org/legacy/
username = __token__
password = ⟦S:pypi⟧
```""",
)

pos(
    "*",
    "github_issue",
    """⟦P:err⟧ `unauthorized: incorrect username or password`

~/.docker/config.json
```json
{
  "auths": {
    "registry.⟦f:domain⟧": { "auth": "⟦S:dockerauth⟧" },
    "https://index.docker.io/v1/": { "auth": "⟦S:dockerauth⟧" }
  },
  "credsStore": ""
}
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```hcl
provider "aws" {
  region     = "⟦f:region⟧"
  access_key = "⟦S:aws_id⟧"
  secret_key = "⟦S:aws_sk⟧"
}

resource "aws_instance" "web" {
  ami           = "ami-⟦f:hex17⟧"
  instance_type = "t3.micro"
}
```
```
Error: error configuring Terraform AWS Provider: error validating provider credentials: SignatureDoesNotMatch
```""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (ansible: UNREACHABLE)
```ini
[web]
web1 ansible_host=⟦IP⟧ ansible_user=⟦f:user⟧ ansible_password=⟦S:password⟧
web2 ansible_host=⟦IP⟧ ansible_user=⟦f:user⟧ ansible_password=⟦S:password⟧ ansible_become_pass=⟦S:password⟧

[db]
db1 ansible_host=⟦f:privip⟧
```""",
    n=4,
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧ (WireGuard handshake never completes)
```ini
[Interface]
PrivateKey = ⟦S:wgkey⟧
Address = 10.8.0.2/24
DNS = ⟦f:privip⟧

[Peer]
PublicKey = ⟦f:wgpub⟧
PresharedKey = ⟦S:wgkey⟧
Endpoint = ⟦IP⟧:51820
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 25
```
⟦P:thanks⟧""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧ Raspberry Pi, /etc/wpa_supplicant/wpa_supplicant.conf:
```
ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
country=⟦f:cc⟧
network={
    ssid="⟦f:ssid⟧"
    psk="⟦S:psk⟧"
    key_mgmt=WPA-PSK
}
network={
    ssid="eduroam"
    key_mgmt=WPA-EAP
    eap=PEAP
    identity="⟦E⟧"
    password="⟦S:password⟧"
}
```""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (replica never syncs)
```
bind 127.0.0.1 ⟦IP⟧
port 6379
requirepass ⟦S:password⟧
masterauth ⟦S:password⟧
replicaof ⟦IP⟧ 6379
```
⟦P:log⟧
```
1:S ⟦f:syslog⟧ * MASTER <-> REPLICA sync started
1:S ⟦f:syslog⟧ # Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧ ~/.my.cnf:
```ini
[client]
user=⟦f:user⟧
password="⟦S:password⟧"
host=⟦IP⟧
```
crontab -l:
```
0 3 * * * mysqldump -u root -p'⟦S:password⟧' --all-databases | gzip > /backup/db-$(date +\\%F).sql.gz
```""",
)

pos(
    "*",
    "gist",
    """⟦P:here⟧ (~/.git-credentials)
```
https://⟦f:user⟧:⟦S:ghp⟧@github.com
https://oauth2:⟦S:glpat⟧@gitlab.⟦f:domain⟧
```
⟦P:rot⟧""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧ (heroku CLI asks for login again and again)
~/.netrc:
```
machine api.heroku.com
  login ⟦E@h⟧
  password ⟦S:uuid_secret@k⟧
machine git.heroku.com
  login ⟦=h⟧
  password ⟦=k⟧
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `google.auth.exceptions.RefreshError: invalid_grant: Invalid JWT Signature.`

service-account.json:
```json
{
  "type": "service_account",
  "project_id": "⟦f:project⟧",
  "private_key_id": "⟦f:sha1⟧",
  "private_key": "⟦S:pkcs8_json⟧\\n",
  "client_email": "⟦E:gsa⟧",
  "client_id": "1⟦f:n5⟧⟦f:n5⟧⟦f:n5⟧⟦f:n5⟧⟦f:n1⟧",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
```""",
)

pos(
    "*",
    "github_issue",
    """⟦P:ask⟧ config/secrets.yml
```yaml
production:
  secret_key_base: ⟦S:hex128⟧
  aws:
    access_key_id: ⟦S:aws_id⟧
    secret_access_key: ⟦S:aws_sk⟧
```""",
)

pos(
    "*",
    "jupyter_notebook",
    """In [1]:
import openai
openai.api_key = "⟦S:openai⟧"

In [2]:
resp = openai.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "⟦P:ask⟧"}])

---------------------------------------------------------------------------
RateLimitError                            Traceback (most recent call last)
Cell In[2], line 1
RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota'}}""",
)

pos(
    "*",
    "jupyter_notebook",
    """[markdown] ⟦P:here⟧

[3]: import os
     os.environ["HF_TOKEN"] = "⟦S:hf⟧"
     from huggingface_hub import login
     login(token=os.environ["HF_TOKEN"])

     Token is valid (permission: write).
     Your token has been saved to /root/.cache/huggingface/token
     Login successful""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```python
import os
from slack_bolt import App

app = App(
    token="⟦S:xoxb⟧",
    signing_secret="⟦S:hex32⟧",
)

@app.message("hello")
def hi(message, say):
    say(f"Hey <@{message['user']}>!")

app.start(port=int(os.environ.get("PORT", 3000)))
```
⟦P:err⟧ `slack_bolt.App: Failed to find a matching listener`""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧
```
discord.errors.LoginFailure: Improper token has been passed.
```
```python
import discord
intents = discord.Intents.default()
intents.message_content = True
client = discord.Client(intents=intents)
client.run('⟦S:discord⟧')
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧
```python
import requests
TOKEN = "⟦S:telegram@t⟧"
CHAT_ID = -100⟦f:n4⟧⟦f:n4⟧
requests.post(f"https://api.telegram.org/bot{TOKEN}/sendMessage", data={"chat_id": CHAT_ID, "text": "ping"})
```
⟦P:log⟧
```
GET https://api.telegram.org/bot⟦=t⟧/getUpdates -> 401 Unauthorized
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```python
from twilio.rest import Client

account_sid = "⟦f:acsid⟧"
auth_token = "⟦S:hex32⟧"
client = Client(account_sid, auth_token)
message = client.messages.create(body="Code ⟦f:n4⟧", from_="⟦f:phone⟧", to="⟦f:phone⟧")
```
⟦P:err⟧ `HTTP 401 error: Unable to create record: Authenticate`""",
)

pos(
    "*",
    "curl_example",
    """⟦P:doc⟧
```bash
curl -s --user 'api:⟦S:mailgun⟧' \\
  https://api.eu.mailgun.net/v3/mg.⟦f:domain⟧/messages \\
  -F from='⟦f:full⟧ <⟦E:corp⟧>' \\
  -F to=⟦E⟧ \\
  -F subject='Hello' \\
  -F text='Testing some Mailgun awesomeness!'
```
```
{"message": "Forbidden"}
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:err⟧ 403
```bash
curl --request POST --url https://api.sendgrid.com/v3/mail/send \\
  --header 'Authorization: Bearer ⟦S:sendgrid⟧' \\
  --header 'Content-Type: application/json' \\
  --data '{"personalizations":[{"to":[{"email":"⟦E⟧"}]}],"from":{"email":"⟦E:corp⟧"},"subject":"Test","content":[{"type":"text/plain","value":"hi"}]}'
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```bash
curl https://api.stripe.com/v1/refunds \\
  -u ⟦S:sk_live⟧: \\
  -d charge=ch_⟦f:a24⟧
```
```json
{"error": {"code": "charge_already_refunded", "type": "invalid_request_error"}}
```""",
)

pos(
    "*",
    "github_issue",
    """⟦P:err⟧ `API rate limit exceeded`
```bash
curl -H "Authorization: token ⟦S:ghp⟧" \\
     -H "Accept: application/vnd.github+json" \\
     https://api.github.com/repos/⟦f:repo⟧/issues?state=open
```
```
x-ratelimit-limit: 5000
x-ratelimit-remaining: 0
x-ratelimit-reset: ⟦f:unix⟧
```""",
)

pos(
    "*",
    "ci_log",
    """⟦P:log⟧ (.gitlab-ci.yml)
```yaml
deploy:
  stage: deploy
  script:
    - git push https://gitlab-ci-token:⟦S:glpat⟧@gitlab.⟦f:domain⟧/⟦f:repo⟧.git HEAD:main
    - 'curl --header "PRIVATE-TOKEN: ⟦S:glpat⟧" "https://gitlab.⟦f:domain⟧/api/v4/projects?per_page=100"'
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ (Azure.RequestFailedException: Server failed to authenticate the request)
```csharp
var conn = "DefaultEndpointsProtocol=https;AccountName=⟦f:lcword⟧;AccountKey=⟦S:azkey⟧;EndpointSuffix=core.windows.net";
var client = new BlobServiceClient(conn);
var container = client.GetBlobContainerClient("uploads");
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧ AuthenticationFailed:
https://⟦f:lcword⟧.blob.core.windows.net/reports/q3-summary.pdf?sv=2022-11-02&ss=b&srt=o&sp=rl&se=⟦f:date⟧T23:59:59Z&st=⟦f:date⟧T08:00:00Z&spr=https&sig=⟦S:sas_sig⟧""",
)

pos(
    "en",
    "forum_post",
    """The export link from our dashboard stopped working after a few days, is that expected? This is the link it generated:

https://⟦f:bucket⟧.s3.⟦f:region⟧.amazonaws.com/exports/⟦f:uuid⟧.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=⟦S:aws_id⟧%2F⟦f:yyyymmdd⟧%2F⟦f:region⟧%2Fs3%2Faws4_request&X-Amz-Date=⟦f:amzdate⟧&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=⟦S:hex64⟧""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧
```
googlemaps.exceptions.ApiError: REQUEST_DENIED (This API key is not authorized to use this service or API.)
```
```python
# backend/geo.py (server side)
import googlemaps
gmaps = googlemaps.Client(key="⟦S:gapi⟧")
geocode_result = gmaps.geocode("⟦f:city⟧")
```""",
)

pos(
    "*",
    "har_file",
    """⟦P:here⟧ (login.har)
```json
{
  "log": {
    "version": "1.2",
    "creator": {"name": "WebInspector", "version": "537.36"},
    "entries": [
      {
        "startedDateTime": "⟦f:ts⟧",
        "request": {
          "method": "POST",
          "url": "https://app.⟦f:domain⟧/api/login",
          "headers": [
            {"name": "Cookie", "value": "session=⟦S:sess⟧; _ga=GA1.2.⟦f:n5⟧⟦f:n5⟧.⟦f:unix⟧"},
            {"name": "User-Agent", "value": "⟦f:ua⟧"}
          ],
          "postData": {"mimeType": "application/json", "text": "{\\"email\\":\\"⟦E⟧\\",\\"password\\":\\"⟦S:password⟧\\"}"}
        },
        "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": "session=⟦S:sess⟧; Path=/; HttpOnly"}]},
        "serverIPAddress": "⟦IP⟧"
      }
    ]
  }
}
```""",
)

pos(
    "*",
    "postman_export",
    """⟦P:here⟧
```json
{
  "info": {"name": "⟦f:Word⟧ API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "⟦S:tok40⟧", "type": "string"}]},
  "variable": [
    {"key": "baseUrl", "value": "https://api.⟦f:domain⟧"},
    {"key": "apiKey", "value": "⟦S:hex32⟧"}
  ],
  "item": [{"name": "List orders", "request": {"method": "GET", "url": "{{baseUrl}}/orders?limit=20"}}]
}
```""",
)

pos(
    "*",
    "insomnia_export",
    """⟦P:here⟧
```yaml
_type: export
__export_format: 4
resources:
  - _id: env_⟦f:hex32⟧
    _type: environment
    name: Production
    data:
      base_url: https://api.⟦f:domain⟧
      client_id: ⟦f:uuid⟧
      client_secret: ⟦S:tok48⟧
      admin_password: "⟦S:password⟧"
```""",
)

pos(
    "*",
    "webhook_payload",
    """⟦P:ask⟧ (signature verification fails, secret is ⟦S:whsec⟧)
```json
{
  "id": "evt_⟦f:a24⟧",
  "type": "customer.created",
  "data": {"object": {"email": "⟦E⟧", "name": "⟦f:full⟧", "metadata": {"signup_ip": "⟦IP⟧", "signup_ip6": "⟦IP6⟧"}}}
}
```""",
)

pos(
    "*",
    "access_log",
    """⟦P:log⟧
```
⟦IP⟧ - - [⟦f:clf⟧] "GET /api/v1/export?api_key=⟦S:hex32⟧&format=csv HTTP/1.1" 200 ⟦f:bytes⟧ "-" "⟦f:ua⟧"
⟦IP⟧ - - [⟦f:clf⟧] "POST /wp-login.php HTTP/1.1" 401 ⟦f:bytes⟧ "-" "python-requests/2.31.0"
⟦IP6⟧ - - [⟦f:clf⟧] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
```""",
    n=4,
)

pos(
    "*",
    "firewall_log",
    """⟦P:log⟧
```
⟦f:syslog⟧ ⟦f:host⟧ kernel: [UFW BLOCK] IN=eth0 OUT= MAC=⟦f:mac⟧ SRC=⟦IP⟧ DST=⟦f:privip⟧ LEN=44 TOS=0x00 PREC=0x00 TTL=⟦f:ttl⟧ ID=⟦f:n4⟧ PROTO=TCP SPT=⟦f:n5⟧ DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0
⟦f:syslog⟧ ⟦f:host⟧ kernel: [UFW BLOCK] IN=eth0 OUT= MAC=⟦f:mac⟧ SRC=⟦IP⟧ DST=⟦f:privip⟧ LEN=40 TOS=0x00 PREC=0x00 TTL=⟦f:ttl⟧ ID=⟦f:n4⟧ PROTO=TCP SPT=⟦f:n5⟧ DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0
⟦f:syslog⟧ ⟦f:host⟧ kernel: [UFW BLOCK] IN=eth0 OUT= MAC=⟦f:mac⟧ SRC=⟦IP⟧ DST=⟦f:privip⟧ LEN=60 TOS=0x00 PREC=0x00 TTL=⟦f:ttl⟧ ID=⟦f:n4⟧ PROTO=UDP SPT=⟦f:n5⟧ DPT=161 LEN=40
```""",
    n=4,
)

pos(
    "*",
    "server_log",
    """⟦P:log⟧ (/var/log/auth.log)
```
⟦f:syslog⟧ ⟦f:host@h⟧ sshd[⟦f:pid⟧]: Failed password for invalid user admin from ⟦IP⟧ port ⟦f:n5⟧ ssh2
⟦f:syslog⟧ ⟦=h⟧ sshd[⟦f:pid⟧]: Failed password for root from ⟦IP⟧ port ⟦f:n5⟧ ssh2
⟦f:syslog⟧ ⟦=h⟧ sshd[⟦f:pid⟧]: Accepted publickey for ⟦f:user⟧ from ⟦IP⟧ port ⟦f:n5⟧ ssh2: ED25519 SHA256:⟦f:b64_43⟧
```""",
    n=4,
)

pos(
    "en",
    "whois_dump",
    """% This is the RIPE Database query service.
% Information related to '⟦IP⟧ - ⟦IP⟧'

inetnum:        ⟦IP⟧ - ⟦IP⟧
netname:        ⟦f:upword⟧-NET
descr:          ⟦f:Word⟧ Hosting
country:        ⟦f:cc⟧
admin-c:        ⟦f:nic⟧
abuse-mailbox:  ⟦E:role⟧
e-mail:         ⟦E:corp⟧
created:        ⟦f:ts⟧
source:         RIPE""",
)

pos(
    "en",
    "whois_dump",
    """Domain Name: ⟦f:DOMAIN⟧
Registry Domain ID: ⟦f:n5⟧⟦f:n4⟧_DOMAIN
Registrar: ⟦f:Word⟧ Registrar Ltd.
Updated Date: ⟦f:ts⟧
Registrant Name: ⟦f:full⟧
Registrant Email: ⟦E⟧
Admin Email: ⟦E⟧
Tech Email: ⟦E:corp⟧
Name Server: NS1.⟦f:DOMAIN⟧
DNSSEC: unsigned
>>> Last update of WHOIS database: ⟦f:ts⟧ <<<""",
)

pos(
    "*",
    "dns_dump",
    """⟦P:here⟧
```
; <<>> DiG 9.18.24 <<>> ⟦f:domain@d⟧ ANY
;; ANSWER SECTION:
⟦=d⟧.		300	IN	A	⟦IP⟧
⟦=d⟧.		300	IN	A	⟦IP⟧
⟦=d⟧.		300	IN	AAAA	⟦IP6⟧
⟦=d⟧.		3600	IN	MX	10 mail.⟦=d⟧.
⟦=d⟧.		3600	IN	TXT	"v=spf1 ip4:⟦IP⟧ include:_spf.google.com ~all"

;; SERVER: 127.0.0.53#53(127.0.0.53) (UDP)
```""",
    n=4,
)

pos(
    "en",
    "mail_headers",
    """Return-Path: <⟦E@s⟧>
Received: from mail-⟦f:lc5⟧.⟦f:domain⟧ (mail-⟦f:lc5⟧.⟦f:domain⟧ [⟦IP⟧])
        by mx.⟦f:domain⟧ with ESMTPS id ⟦f:hex12⟧
        for <⟦E@r⟧>; ⟦f:rfcdate⟧
X-Originating-IP: [⟦IP⟧]
From: "⟦f:full⟧" <⟦=s⟧>
To: ⟦=r⟧
Cc: ⟦E⟧
Subject: Re: invoice ⟦f:n4⟧
Message-ID: <⟦f:hex20⟧@⟦f:domain⟧>
Authentication-Results: mx.⟦f:domain⟧; spf=pass smtp.mailfrom=⟦=s⟧""",
    n=4,
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧ (traceroute)
```
traceroute to ⟦f:domain⟧ (⟦IP⟧), 30 hops max, 60 byte packets
 1  ⟦f:gw⟧  0.412 ms  0.389 ms  0.371 ms
 2  ⟦f:cgnat⟧  8.104 ms  8.097 ms  8.090 ms
 3  ⟦IP⟧  9.812 ms  9.790 ms  9.744 ms
 4  ⟦IP⟧  14.201 ms  14.188 ms  14.176 ms
 5  * * *
```""",
)

pos(
    "en",
    "status_page",
    """Resolved - Between ⟦f:time⟧ and ⟦f:time⟧ UTC on ⟦f:date⟧ our API edge received a flood of requests originating from ⟦IP⟧ and ⟦IP⟧ (AS⟦f:n5⟧). We blocked ⟦IP⟧/24 at the load balancer. Customers connecting via our legacy IPv6 endpoint ⟦IP6⟧ may have seen elevated latency. No data was lost.""",
)

pos(
    "de",
    "blog_post",
    """Indikatoren dieser Phishing-Kampagne (Stand ⟦f:date⟧):

Absenderadressen: ⟦E⟧, ⟦E⟧
C2-Server: ⟦IP⟧:443, ⟦IP⟧:8443
Download-Host: ⟦IP6⟧

Blockieren Sie diese Adressen in Ihrer Firewall und melden Sie verdächtige Mails an ⟦E:role⟧.""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧
```
$ kubectl get svc -n ingress-nginx
NAME                       TYPE           CLUSTER-IP      EXTERNAL-IP      PORT(S)                      AGE
ingress-nginx-controller   LoadBalancer   ⟦f:privip⟧    ⟦IP⟧    80:3⟦f:n4⟧/TCP,443:3⟦f:n4⟧/TCP   ⟦f:n2⟧d
```""",
)

pos(
    "*",
    "ci_log",
    """⟦P:log⟧
```
Apply complete! Resources: 7 added, 0 changed, 0 destroyed.

Outputs:

db_endpoint = "⟦f:word⟧-db.c⟦f:lc10⟧.⟦f:region⟧.rds.amazonaws.com"
db_password = "⟦S:password⟧"
instance_public_ip = "⟦IP⟧"
lb_ipv6 = "⟦IP6⟧"
```""",
)

pos(
    "en",
    "github_issue",
    """### Describe the bug
Worker crashes on startup since upgrading to ⟦f:ver⟧.

### Logs
```
sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "⟦IP@h⟧", port 5432 failed: FATAL:  no pg_hba.conf entry for host "⟦IP⟧", user "⟦f:user@u⟧", database "⟦f:dbname@d⟧", SSL off
[config] SQLALCHEMY_DATABASE_URI=postgresql+psycopg2://⟦=u⟧:⟦S:url_pw⟧@⟦=h⟧:5432/⟦=d⟧
```

### Environment
- OS: Ubuntu 22.04
- Python 3.11.8""",
)

pos(
    "en",
    "error_page",
    """Whoops! There was an error.
Illuminate\\Database\\QueryException
SQLSTATE[HY000] [2002] Connection timed out

Request
POST https://⟦f:domain⟧/checkout
Headers
x-forwarded-for: ⟦IP⟧
Environment Variables
APP_ENV: production
DB_HOST: ⟦f:privip⟧
DB_PASSWORD: ⟦S:password⟧
AWS_ACCESS_KEY_ID: ⟦S:aws_id⟧
AWS_SECRET_ACCESS_KEY: ⟦S:aws_sk⟧
REMOTE_ADDR: ⟦IP⟧
SERVER_ADDR: ⟦IP⟧
MAIL_FROM_ADDRESS: ⟦E:corp⟧""",
    n=4,
)

pos(
    "*",
    "forum_post",
    """⟦P:err⟧
```
Warning: mysqli_connect(): (HY000/1045): Access denied for user 'root'@'⟦IP⟧' (using password: YES) in /var/www/html/inc/db.php on line 4
```
```php
$conn = mysqli_connect("⟦IP⟧", "root", "⟦S:password⟧", "⟦f:dbname⟧");
```""",
)

pos(
    "en",
    "changelog",
    """## [⟦f:ver⟧] - ⟦f:date⟧
### Security
- Removed the hard-coded Sentry auth token (`⟦S:sntryu⟧`) that was accidentally shipped in the previous release. Rotate it if you mirrored the package.
### Fixed
- Retry logic for uploads (#⟦f:issue⟧)""",
)

pos(
    "en",
    "github_readme",
    """# ⟦f:Word⟧Bot

Maintainer: ⟦f:full⟧ <⟦E⟧>

Demo instance: http://⟦IP⟧:⟦f:port⟧ (login `demo` / `⟦S:password⟧`)

## Install
pip install ⟦f:word⟧bot==⟦f:ver⟧""",
)

pos(
    "en",
    "gist",
    """# uptime_alert.py - quick script to post uptime alerts
import requests

API_KEY = "⟦S:tok32⟧"
SLACK_WEBHOOK = "⟦S:slack_hook⟧"

r = requests.get("https://api.⟦f:domain⟧/v2/monitors", params={"api_key": API_KEY})
requests.post(SLACK_WEBHOOK, json={"text": r.text[:200]})""",
)

pos(
    "en",
    "pastebin",
    """# dump ⟦f:date⟧ - fresh combos
⟦E⟧:⟦S:password⟧
⟦E⟧:⟦S:password⟧
⟦E⟧:⟦S:password⟧
⟦E⟧:⟦S:password⟧""",
    n=4,
)

pos(
    "en",
    "pastebin",
    """fullz ⟦f:date⟧
⟦f:full⟧|⟦CC:any:plain⟧|⟦f:exp⟧|⟦f:cvv⟧|⟦f:city⟧
⟦f:full⟧|⟦CC:any:plain⟧|⟦f:exp⟧|⟦f:cvv⟧|⟦f:city⟧
⟦f:full⟧|⟦CC:any:plain⟧|⟦f:exp⟧|⟦f:cvv⟧|⟦f:city⟧
⟦f:full⟧|⟦CC:any:plain⟧|⟦f:exp⟧|⟦f:cvv⟧|⟦f:city⟧""",
    n=4,
)

pos(
    "es",
    "shop_forum_post",
    """Hola, me han cobrado dos veces el pedido ⟦f:ord⟧. La tarjeta es ⟦CC⟧ (caduca ⟦f:exp⟧). ¿Alguien sabe cómo reclamar? Mi correo es ⟦E:free⟧.""",
    n=4,
)
pos(
    "fr",
    "shop_forum_post",
    """Bonjour, j'ai été débité deux fois pour la commande ⟦f:ord⟧ sur ma carte ⟦CC⟧. Le service client ne répond pas à ⟦E:role⟧. Quelqu'un a une idée ?""",
    n=4,
)
pos(
    "it",
    "shop_forum_post",
    """Buongiorno, per l'ordine ⟦f:ord⟧ potete addebitare questa carta: ⟦CC⟧, scadenza ⟦f:exp⟧. Grazie, ⟦f:full⟧ (⟦E:free⟧)""",
    n=4,
)
pos(
    "pl",
    "shop_forum_post",
    """Dzień dobry, sklep pobrał opłatę dwa razy z mojej karty ⟦CC⟧ za zamówienie ⟦f:ord⟧. Proszę o kontakt: ⟦E:free⟧.""",
    n=4,
)
pos(
    "tr",
    "shop_forum_post",
    """Merhaba, ⟦f:ord⟧ numaralı siparişim için kartımdan (⟦CC⟧) iki kez çekim yapıldı. İade için ⟦E:free⟧ adresinden bana ulaşabilirsiniz.""",
    n=4,
)
pos(
    "pt",
    "shop_forum_post",
    """Oi, fiz a compra ⟦f:ord⟧ e o cartão ⟦CC⟧ foi cobrado duas vezes. Já mandei e-mail para ⟦E:role⟧ e nada. Alguém passou por isso?""",
    n=4,
)

pos(
    "en",
    "chat_transcript",
    """[⟦f:time⟧] Customer: hi, my payment keeps failing
[⟦f:time⟧] Agent (⟦f:first⟧): Sorry about that! Can you confirm the email on the account?
[⟦f:time⟧] Customer: ⟦E:free⟧
[⟦f:time⟧] Customer: card is ⟦CC⟧ exp ⟦f:exp⟧
[⟦f:time⟧] Agent (⟦f:first⟧): Please never share full card numbers in chat. I've removed it from our system.""",
    n=4,
)

pos(
    "*",
    "har_file",
    """⟦P:here⟧ (checkout.har, excerpt)
```json
"request": {
  "method": "POST",
  "url": "https://pay.⟦f:domain⟧/v1/checkout",
  "postData": {
    "mimeType": "application/x-www-form-urlencoded",
    "params": [
      {"name": "email", "value": "⟦E⟧"},
      {"name": "card_number", "value": "⟦CC:any:plain⟧"},
      {"name": "exp_month", "value": "⟦f:mm⟧"},
      {"name": "exp_year", "value": "⟦f:yyyy⟧"}
    ]
  }
},
"serverIPAddress": "⟦IP⟧"
```""",
    n=4,
)

pos(
    "en",
    "pastebin",
    """-- users table dump ⟦f:date⟧
INSERT INTO `users` (`id`,`email`,`password_plain`,`last_login_ip`,`created_at`) VALUES
(⟦f:n⟧,'⟦E⟧','⟦S:password⟧','⟦IP⟧','⟦f:dt⟧'),
(⟦f:n⟧,'⟦E⟧','⟦S:password⟧','⟦IP⟧','⟦f:dt⟧'),
(⟦f:n⟧,'⟦E⟧','⟦S:password⟧','⟦IP6⟧','⟦f:dt⟧');""",
    n=4,
)

pos(
    "en",
    "pastebin",
    """INSERT INTO payments (order_id, card_holder, card_number, expiry, amount) VALUES
('⟦f:ord⟧', '⟦f:full⟧', '⟦CC⟧', '⟦f:exp⟧', ⟦f:amount⟧),
('⟦f:ord⟧', '⟦f:full⟧', '⟦CC⟧', '⟦f:exp⟧', ⟦f:amount⟧),
('⟦f:ord⟧', '⟦f:full⟧', '⟦CC⟧', '⟦f:exp⟧', ⟦f:amount⟧);""",
    n=4,
)

pos(
    "*",
    "forum_post",
    """⟦P:here⟧ (export.csv)
```
name,email,ip,signup_date
⟦f:full⟧,⟦E⟧,⟦IP⟧,⟦f:date⟧
⟦f:full⟧,⟦E⟧,⟦IP⟧,⟦f:date⟧
⟦f:full⟧,⟦E⟧,⟦IP⟧,⟦f:date⟧
```""",
    n=4,
)

pos(
    "en",
    "chat_transcript",
    """> **⟦f:first⟧** ⟦f:time⟧
> here's the staging token so you don't have to wait for vault: `⟦S:tok40⟧`
> **⟦f:first⟧** ⟦f:time⟧
> thx! and the db pw?
> **⟦f:first⟧** ⟦f:time⟧
> `⟦S:password⟧` same as last sprint""",
)

pos(
    "de",
    "chat_transcript",
    """[⟦f:time⟧] ⟦f:first⟧: kannst du mir kurz das Passwort für den Staging-Admin schicken?
[⟦f:time⟧] ⟦f:first⟧: klar: ⟦S:password⟧
[⟦f:time⟧] ⟦f:first⟧: und der API-Key für das Monitoring ist ⟦S:hex32⟧
[⟦f:time⟧] ⟦f:first⟧: danke, lösche ich gleich wieder""",
)

pos(
    "*",
    "screenshot_transcript",
    """⟦P:ask⟧
[Screenshot, transcribed]
+------------ Router admin ------------+
| WAN IP:          ⟦IP⟧
| Admin user:      admin
| Admin password:  ⟦S:password⟧
| Wi-Fi SSID:      ⟦f:ssid⟧
| WPA2 key:        ⟦S:psk⟧
+--------------------------------------+""",
)

pos(
    "de",
    "email_forward",
    """Von: IT-Service <⟦E:role⟧>
An: ⟦E:corp⟧
Betreff: Ihr neues VPN-Konto

Hallo ⟦f:first⟧,

Ihr Konto wurde eingerichtet. Benutzername: ⟦f:user⟧
Initialpasswort: ⟦S:password⟧
VPN-Gateway: ⟦IP⟧

Bitte ändern Sie das Passwort bei der ersten Anmeldung.""",
)

pos(
    "it",
    "shop_page",
    """Benvenuti da ⟦f:Word⟧ Caffè! Wi-Fi: ⟦f:ssid⟧ - password: ⟦S:psk⟧ - Orari: 7:00-19:00, via Roma ⟦f:n2⟧.""",
)
pos(
    "fr",
    "shop_page",
    """Bienvenue au ⟦f:Word⟧ ! Réseau Wi-Fi : ⟦f:ssid⟧ / mot de passe : ⟦S:psk⟧ (valable jusqu'au ⟦f:dmy⟧).""",
)
pos("ja", "shop_page", """ご来店ありがとうございます。フリーWi-Fi：⟦f:ssid⟧　パスワード：⟦S:psk⟧　（⟦f:date⟧ 更新）""")

pos(
    "en",
    "forum_post",
    """Router keeps dropping the PPPoE session. Sanitized? No, here's the running config as is:

hostname ⟦f:HOST⟧
enable secret 5 ⟦f:md5crypt⟧
username admin privilege 15 password 0 ⟦S:password⟧
interface GigabitEthernet0/0
 ip address ⟦IP⟧ 255.255.255.248
 no shutdown
snmp-server community ⟦S:community⟧ RO
ip route 0.0.0.0 0.0.0.0 ⟦IP⟧""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (strongSwan: no shared key found)
```
# /etc/ipsec.secrets
⟦IP⟧ ⟦IP⟧ : PSK "⟦S:psk⟧"
: RSA server-key.pem
```""",
)

pos(
    "en",
    "github_issue",
    """### Steps to reproduce
I used this deploy key (it's only for the test server):

```
⟦S:openssh⟧
```

and then `ssh -i deploy_key ⟦f:user⟧@⟦IP⟧` fails with `Permission denied (publickey)`.""",
)

pos(
    "*",
    "forum_post",
    """⟦P:err⟧ `nginx: [emerg] cannot load certificate key "/etc/ssl/private/key.pem"`

key.pem:
```
⟦S:rsa_pem⟧
```""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧
```yaml
apiVersion: v1
kind: Secret
metadata:
  name: ⟦f:word⟧-tls
type: kubernetes.io/tls
stringData:
  tls.key: |
    ⟦S:ec_pem_ind4⟧
```""",
)

pos(
    "en",
    "pastebin",
    """backup of my keyring, do not lose!!
⟦S:pgp_priv⟧""",
)

pos(
    "*",
    "github_issue",
    """⟦P:ask⟧ (sops: failed to get the data key)
```
# keys.txt
# created: ⟦f:ts⟧
# public key: age1⟦f:lc10⟧⟦f:lc10⟧⟦f:lc10⟧⟦f:lc10⟧⟦f:lc10⟧⟦f:lc5⟧⟦f:n4⟧
⟦S:age⟧
```""",
)

pos(
    "*",
    "blog_tutorial",
    """⟦P:log⟧
```
$ vault login -method=userpass username=⟦f:user⟧ password=⟦S:password⟧
Success! You are now authenticated.
Key                    Value
---                    -----
token                  ⟦S:vault⟧
token_accessor         ⟦f:a24⟧
token_duration         768h
token_policies         ["default"]
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:here⟧ (aws sts assume-role)
```json
{
  "Credentials": {
    "AccessKeyId": "⟦S:asia⟧",
    "SecretAccessKey": "⟦S:aws_sk⟧",
    "SessionToken": "⟦S:aws_session⟧",
    "Expiration": "⟦f:ts⟧"
  },
  "AssumedRoleUser": {"Arn": "arn:aws:sts::⟦f:n5⟧⟦f:n5⟧⟦f:n2⟧:assumed-role/⟦f:Word⟧Admin/⟦f:user⟧"}
}
```""",
    n=4,
)

pos(
    "*",
    "forum_post",
    """⟦P:here⟧
```
$ heroku config -a ⟦f:word⟧-prod
=== ⟦f:word⟧-prod Config Vars
DATABASE_URL:    postgres://⟦f:lc14⟧:⟦S:hex64⟧@c⟦f:lc10⟧.cluster-⟦f:lc10⟧.eu-west-1.rds.amazonaws.com:5432/⟦f:lc14⟧
REDIS_URL:       rediss://:⟦S:p_hex⟧@redis-⟦f:lc10⟧.⟦f:region⟧.cache.amazonaws.com:6380
SECRET_KEY_BASE: ⟦S:hex128⟧
```""",
    n=4,
)

pos(
    "*",
    "blog_tutorial",
    """⟦P:here⟧
```
$ doctl auth init --context work
Please authenticate doctl for use with your DigitalOcean account. You can generate a token in the control panel at https://cloud.digitalocean.com/account/api/tokens

Enter your access token: ⟦S:dop⟧
Validating token... OK
```""",
)

pos(
    "*",
    "jupyter_notebook",
    """[1]: !huggingface-cli login --token ⟦S:hf⟧ --add-to-git-credential
     Token has not been saved to git credential helper.
     Your token has been saved to /root/.cache/huggingface/token
[2]: # ⟦P:ask⟧
     from transformers import pipeline""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `anthropic.AuthenticationError: Error code: 401 - invalid x-api-key`
```python
import anthropic
client = anthropic.Anthropic(api_key="⟦S:anthropic⟧")
msg = client.messages.create(model="claude-3-5-sonnet-latest", max_tokens=256, messages=[{"role": "user", "content": "hi"}])
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:doc⟧
```bash
curl -X GET "https://api.cloudflare.com/client/v4/zones?name=⟦f:domain⟧" \\
     -H "X-Auth-Email: ⟦E⟧" \\
     -H "X-Auth-Key: ⟦S:cf_global⟧" \\
     -H "Content-Type: application/json"
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:ask⟧
```bash
curl -X POST "https://api.cloudflare.com/client/v4/zones/⟦f:hex32⟧/dns_records" \\
     -H "Authorization: Bearer ⟦S:cf_token⟧" \\
     -H "Content-Type: application/json" \\
     --data '{"type":"A","name":"www","content":"⟦IP⟧","ttl":120,"proxied":true}'
```""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (/etc/datadog-agent/datadog.yaml)
```yaml
api_key: ⟦S:hex32⟧
app_key: ⟦S:hex40⟧
site: datadoghq.eu
hostname: ⟦f:host⟧
logs_enabled: true
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:doc⟧
```bash
curl https://api.eu.newrelic.com/graphql \\
  -H 'Content-Type: application/json' \\
  -H 'API-Key: ⟦S:nrak⟧' \\
  --data-binary '{"query":"{ actor { user { name email } } }"}'
```""",
)

pos(
    "*",
    "github_issue",
    """⟦P:ask⟧ (sentry-cli: 401 Unauthorized)
.sentryclirc:
```ini
[auth]
token=⟦S:sntryu⟧

[defaults]
org=⟦f:word⟧
project=⟦f:word⟧-web
```""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:here⟧
```
SHOPIFY_API_KEY=⟦f:hex32⟧
SHOPIFY_API_SECRET=⟦S:shpss⟧
SHOPIFY_ACCESS_TOKEN=⟦S:shpat⟧
SHOP=⟦f:word⟧-store.myshopify.com
SCOPES=read_products,write_orders
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```ruby
gateway = Braintree::Gateway.new(access_token: "⟦S:braintree⟧")
result = gateway.transaction.sale(amount: "⟦f:amount⟧", payment_method_nonce: params[:nonce])
```
```
PAYPAL_CLIENT_ID=A⟦f:a24⟧⟦f:a24⟧⟦f:a24⟧
PAYPAL_CLIENT_SECRET=⟦S:paypal_secret⟧
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `API Key Invalid`
```php
$mailchimp = new \\MailchimpMarketing\\ApiClient();
$mailchimp->setConfig(['apiKey' => '⟦S:mailchimp⟧', 'server' => 'us⟦f:n1⟧']);
$response = $mailchimp->lists->addListMember('⟦f:hex8⟧', ['email_address' => '⟦E⟧', 'status' => 'subscribed']);
```""",
)

pos(
    "*",
    "gist",
    """⟦P:here⟧
```js
const Airtable = require('airtable');
const { Client } = require('@notionhq/client');
const base = new Airtable({ apiKey: '⟦S:airtable⟧' }).base('app⟦f:a14⟧');
const notion = new Client({ auth: "⟦S:notion⟧" });
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:ask⟧
```bash
curl -u ⟦E⟧:⟦S:atlassian⟧ \\
  -H "Accept: application/json" \\
  "https://⟦f:word⟧.atlassian.net/rest/api/3/search?jql=project=OPS"
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:doc⟧
```bash
curl -v -X GET \\
  -H "Accept: application/json" \\
  -H "Authorization: SSWS ⟦S:okta⟧" \\
  "https://⟦f:word⟧.okta.com/api/v1/users?limit=25"
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:ask⟧
```bash
curl https://api.linear.app/graphql \\
  -H "Content-Type: application/json" \\
  -H "Authorization: ⟦S:linear⟧" \\
  --data '{"query":"{ viewer { id name } }"}'
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧ ~/.terraform.d/credentials.tfrc.json
```json
{
  "credentials": {
    "app.terraform.io": {
      "token": "⟦S:tfc⟧"
    }
  }
}
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:ask⟧
```bash
curl -H "Authorization: Bearer ⟦S:glsa⟧" https://grafana.⟦f:domain⟧/api/dashboards/uid/⟦f:a9⟧
```""",
)

pos(
    "*",
    "config_help_post",
    '''⟦P:ask⟧ (grafana.ini)
```ini
[security]
admin_user = admin
admin_password = ⟦S:password⟧

[smtp]
enabled = true
host = smtp.⟦f:domain⟧:587
user = ⟦E:corp⟧
password = """⟦S:password⟧"""
from_address = ⟦E:role⟧
```''',
)

pos(
    "*",
    "forum_post",
    """⟦P:here⟧ (~/.databrickscfg)
```ini
[DEFAULT]
host  = https://adb-⟦f:n5⟧⟦f:n5⟧.⟦f:n1⟧.azuredatabricks.net
token = ⟦S:dapi⟧
```""",
)

pos(
    "en",
    "ci_log",
    """+ export PULUMI_ACCESS_TOKEN=⟦S:pulumi⟧
+ pulumi stack select ⟦f:word⟧/prod
+ pulumi up --yes
Updating (prod)
error: [403] Forbidden: You do not have access to this stack""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `Response status code does not indicate success: 403 (The specified API key is invalid)`
```
dotnet nuget push bin/Release/*.nupkg --api-key ⟦S:nuget⟧ --source https://api.nuget.org/v3/index.json
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧ (~/.gem/credentials)
```yaml
---
:rubygems_api_key: ⟦S:rubygems⟧
```""",
)

pos(
    "*",
    "github_issue",
    """⟦P:ask⟧ (auth.json)
```json
{
  "github-oauth": {"github.com": "⟦S:gho⟧"},
  "http-basic": {"repo.packagist.com": {"username": "token", "password": "⟦S:hex40⟧"}}
}
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:here⟧ (~/.m2/settings.xml)
```xml
<settings>
  <servers>
    <server>
      <id>ossrh</id>
      <username>⟦f:user⟧</username>
      <password>⟦S:password⟧</password>
    </server>
    <server>
      <id>nexus-releases</id>
      <username>deploy</username>
      <password>⟦S:password⟧</password>
    </server>
  </servers>
</settings>
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ (gradle.properties)
```properties
signing.keyId=⟦f:HEX8⟧
signing.password=⟦S:password⟧
signing.secretKeyRingFile=/home/⟦f:user⟧/.gnupg/secring.gpg
ossrhUsername=⟦f:user⟧
ossrhPassword=⟦S:password⟧
```""",
)

pos(
    "en",
    "github_page",
    """commit ⟦f:sha1⟧
Author: ⟦f:full⟧ <⟦E⟧>
Date:   ⟦f:gitdate⟧

    Fix race in cache invalidation

commit ⟦f:sha1⟧
Merge: ⟦f:sha7⟧ ⟦f:sha7⟧
Author: ⟦f:full⟧ <⟦E⟧>
Date:   ⟦f:gitdate⟧

    Merge branch 'release/⟦f:ver⟧'
""",
)

pos(
    "en",
    "json_api_example",
    """{
  "name": "@⟦f:word⟧/⟦f:word⟧",
  "version": "⟦f:ver⟧",
  "author": "⟦f:full⟧ <⟦E⟧> (https://⟦f:domain⟧)",
  "contributors": ["⟦f:full⟧ <⟦E⟧>"],
  "bugs": {"email": "⟦E:role⟧"},
  "license": "MIT"
}""",
)

pos(
    "en",
    "github_page",
    '''[project]
name = "⟦f:word⟧-tools"
version = "⟦f:ver⟧"
authors = [{ name = "⟦f:full⟧", email = "⟦E⟧" }]
maintainers = [{ name = "⟦f:full⟧", email = "⟦E⟧" }]
requires-python = ">=3.9"''',
)

pos(
    "en",
    "mailing_list",
    """On ⟦f:rfcdate⟧, ⟦f:full⟧ <⟦E⟧> wrote:
> Has anyone tried the new ⟦f:word⟧ release on ARM?

Yes, works fine here on a Graviton box.

--
⟦f:full⟧ | ⟦E:corp⟧ | ⟦f:phone⟧""",
)

pos(
    "de",
    "news_article",
    """Die ⟦f:Word⟧ AG hat am ⟦f:dmy⟧ einen Datenabfluss bestätigt. Betroffene Kundinnen und Kunden können sich unter ⟦E:role⟧ melden. Pressekontakt: ⟦f:full⟧, ⟦E:corp⟧.""",
)
pos(
    "fr",
    "news_article",
    """La société ⟦f:Word⟧ a confirmé le ⟦f:dmy⟧ une fuite de données. Les clients concernés peuvent écrire à ⟦E:role⟧ ; contact presse : ⟦f:full⟧ (⟦E:corp⟧).""",
)
pos(
    "es",
    "news_article",
    """La empresa ⟦f:Word⟧ confirmó el ⟦f:dmy⟧ una brecha de seguridad. Los afectados pueden escribir a ⟦E:role⟧. Contacto de prensa: ⟦f:full⟧, ⟦E:corp⟧.""",
)
pos(
    "nl",
    "news_article",
    """⟦f:Word⟧ BV heeft op ⟦f:dmy⟧ een datalek bevestigd. Getroffen klanten kunnen mailen naar ⟦E:role⟧. Perscontact: ⟦f:full⟧ (⟦E:corp⟧).""",
)
pos(
    "sv",
    "news_article",
    """⟦f:Word⟧ AB bekräftade den ⟦f:dmy⟧ en dataläcka. Berörda kunder kan kontakta ⟦E:role⟧. Presskontakt: ⟦f:full⟧, ⟦E:corp⟧.""",
)

pos(
    "de",
    "html_snippet",
    """<footer>
  <p>Kontakt: <a href="mailto:⟦E:corp@m⟧">⟦=m⟧</a></p>
  <p>Jobs: <a href="mailto:⟦E:role⟧?subject=Bewerbung">Bewerbung senden</a></p>
  <p>© ⟦f:Word⟧ GmbH</p>
</footer>""",
)
pos(
    "pt",
    "html_snippet",
    """<div class="contato">
  <h3>Fale conosco</h3>
  <p>E-mail: <a href="mailto:⟦E:corp@m⟧">⟦=m⟧</a> · Telefone: ⟦f:phone⟧</p>
</div>""",
)

pos(
    "en",
    "forum_post",
    """Thanks, that fixed it!

--
⟦f:full⟧ · freelance dev · ⟦E:free⟧ · PGP ⟦f:fpr⟧""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```bash
docker run -d --name ⟦f:word⟧ \\
  -p ⟦IP⟧:443:443 \\
  -e POSTGRES_PASSWORD=⟦S:password⟧ \\
  -e JWT_SECRET=⟦S:tok48⟧ \\
  -e ADMIN_EMAIL=⟦E⟧ \\
  ghcr.io/⟦f:repo⟧:⟦f:ver⟧
```""",
    n=4,
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (systemd)
```ini
[Service]
Environment="DB_PASSWORD=⟦S:password⟧"
Environment="API_TOKEN=⟦S:tok40⟧"
ExecStart=/usr/local/bin/⟦f:word⟧ --listen ⟦IP⟧:⟦f:port⟧
Restart=always
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:err⟧
```
$ PGPASSWORD='⟦S:password⟧' psql -h ⟦IP@h⟧ -U ⟦f:user⟧ -d ⟦f:dbname⟧
psql: error: connection to server at "⟦=h⟧", port 5432 failed: timeout expired
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:err⟧
```
$ mysql -h ⟦IP@h⟧ -u root -p⟦S:password⟧ ⟦f:dbname⟧ < dump.sql
ERROR 2003 (HY000): Can't connect to MySQL server on '⟦=h⟧:3306' (110)
```""",
)

pos(
    "*",
    "blog_tutorial",
    """⟦P:here⟧
```bash
#!/bin/bash
sshpass -p '⟦S:password⟧' ssh -o StrictHostKeyChecking=no root@⟦IP⟧ 'systemctl restart ⟦f:word⟧'
```""",
)

pos("*", "forum_post", """⟦P:ask⟧ FileZilla: ftp://⟦f:user⟧:⟦S:url_pw⟧@⟦IP⟧/public_html/ -> 530 Login incorrect.""")

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (/etc/fstab)
```
//⟦IP⟧/backup  /mnt/backup  cifs  username=⟦f:user⟧,password=⟦S:url_pw⟧,uid=1000,vers=3.0  0  0
```""",
)

pos(
    "*",
    "stackoverflow_post",
    r"""⟦P:ask⟧
```powershell
$pw = ConvertTo-SecureString "⟦S:password⟧" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ("⟦f:upword⟧\⟦f:user⟧", $pw)
Enter-PSSession -ComputerName ⟦IP⟧ -Credential $cred
```""",
)

pos(
    "*",
    "forum_post",
    r"""⟦P:err⟧
```
C:\> net use Z: \\⟦IP⟧\share /user:⟦f:user⟧ ⟦S:password⟧
System error 53 has occurred.
```""",
)

pos(
    "en",
    "github_issue",
    """The frontend bundle ships our API key, see src/api.js:

```js
const API_KEY = "⟦S:tok32⟧"; // TODO move to backend
export const getOrders = () => fetch("https://api.⟦f:domain⟧/orders", { headers: { "x-api-key": API_KEY } });
```""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (Kafka SASL)
```properties
bootstrap.servers=⟦IP⟧:9092
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="⟦f:a16⟧" password="⟦S:tok64b⟧";
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN`
```python
params = pika.URLParameters("amqp://⟦f:user⟧:⟦S:url_pw⟧@⟦IP⟧:5672/%2F")
connection = pika.BlockingConnection(params)
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧
```
$ curl -u elastic:⟦S:password⟧ -k "https://⟦IP⟧:9200/_cat/indices?v"
curl: (7) Failed to connect to ⟦f:privip⟧ port 9200: Connection refused
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:err⟧ `MongoServerError: Authentication failed.`
```
mongosh "mongodb://admin:⟦S:url_pw⟧@⟦IP⟧:27017/?authSource=admin"
```""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (alertmanager.yml)
```yaml
global:
  smtp_smarthost: 'smtp.⟦f:domain⟧:587'
  smtp_from: '⟦E:role⟧'
  smtp_auth_username: '⟦E:corp⟧'
  smtp_auth_password: '⟦S:password⟧'
receivers:
  - name: ops
    email_configs:
      - to: '⟦E:corp⟧'
    slack_configs:
      - api_url: '⟦S:slack_hook⟧'
```""",
    n=4,
)

pos(
    "en",
    "ci_log",
    """[Pipeline] withCredentials
Masking supported pattern matches of $DEPLOY_TOKEN
[Pipeline] sh
+ set -x
+ export DEPLOY_KEY=⟦S:tok40⟧
+ curl -s -H 'Authorization: Bearer ****' https://deploy.⟦f:domain⟧/hook
{"status":"queued"}""",
)

pos(
    "en",
    "ci_log",
    """$ export AWS_ACCESS_KEY_ID=⟦S:aws_id⟧
$ export AWS_SECRET_ACCESS_KEY=⟦S:aws_sk⟧
$ aws s3 sync ./build s3://⟦f:bucket@b⟧ --delete
upload: build/index.html to s3://⟦=b⟧/index.html
Done. Your build exited with 0.""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧ (ngrok.yml)
```yaml
version: "2"
authtoken: ⟦S:ngrok⟧
tunnels:
  web:
    proto: http
    addr: 8080
    basic_auth:
      - "⟦f:user⟧:⟦S:url_pw⟧"
```""",
)

pos(
    "*",
    "blog_tutorial",
    """⟦P:here⟧
```bash
sudo tailscale up --authkey=⟦S:tskey⟧ --advertise-routes=10.0.0.0/24 --accept-dns=false
```""",
)

pos(
    "*",
    "github_issue",
    """⟦P:ask⟧ (webhook deliveries fail with 403)
Payload URL: https://ci.⟦f:domain⟧/github-webhook/
Content type: application/json
Secret: ⟦S:tok32⟧

Delivery headers:
X-GitHub-Delivery: ⟦f:uuid⟧
X-Hub-Signature-256: ⟦f:hubsig⟧""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `No signatures found matching the expected signature for payload`
```js
const endpointSecret = "⟦S:whsec⟧";
app.post('/webhook', express.raw({type: 'application/json'}), (req, res) => {
  const sig = req.headers['stripe-signature'];
  const event = stripe.webhooks.constructEvent(req.body, sig, endpointSecret);
  res.json({received: true});
});
```
```
Stripe-Signature: t=⟦f:unix⟧,v1=⟦f:sha256⟧
```""",
)

pos(
    "*",
    "json_api_example",
    """⟦P:log⟧
```json
{
  "access_token": "⟦S:jwt⟧",
  "token_type": "Bearer",
  "expires_in": 3600,
  "refresh_token": "⟦S:tok48⟧",
  "id_token": "⟦S:jwt⟧",
  "scope": "openid profile email"
}
```""",
    n=4,
)

pos(
    "*",
    "curl_example",
    """⟦P:ask⟧
```bash
curl -X POST https://login.microsoftonline.com/⟦f:uuid⟧/oauth2/v2.0/token \\
  -d "client_id=⟦f:uuid⟧" \\
  -d "client_secret=⟦S:azsecret⟧" \\
  -d "scope=https://graph.microsoft.com/.default" \\
  -d "grant_type=client_credentials"
```""",
)

pos(
    "*",
    "blog_tutorial",
    """⟦P:here⟧
```bash
./kcadm.sh config credentials --server https://auth.⟦f:domain⟧ --realm master --user admin --password ⟦S:password⟧
./kcadm.sh get realms/⟦f:word⟧/users --fields username,email
```""",
)

pos(
    "*",
    "config_help_post",
    """⟦P:ask⟧
```yaml
ldap:
  url: ldaps://⟦IP⟧:636
  bindDN: cn=svc-⟦f:word⟧,ou=services,dc=⟦f:word⟧,dc=local
  bindCredentials: "⟦S:password⟧"
  searchBase: ou=people,dc=⟦f:word⟧,dc=local
```""",
)

pos(
    "*",
    "forum_post",
    """⟦P:ask⟧
```
$ redis-cli -h ⟦IP⟧ -p 6379 -a '⟦S:password⟧' --no-auth-warning INFO replication
(error) WRONGPASS invalid username-password pair or user is disabled.
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:ask⟧
```
curl -XGET "https://matrix.⟦f:domain⟧/_matrix/client/v3/joined_rooms?access_token=⟦S:matrix⟧"
{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed."}
```""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `prawcore.exceptions.OAuthException: invalid_grant error processing request`
```python
reddit = praw.Reddit(
    client_id="⟦f:a14⟧",
    client_secret="⟦S:a30⟧",
    username="⟦f:user⟧",
    password="⟦S:password⟧",
    user_agent="script by u/⟦f:user⟧",
)
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:ask⟧
```bash
curl "https://api.twitter.com/2/tweets/search/recent?query=⟦f:word⟧" \\
  -H "Authorization: Bearer ⟦S:twbearer⟧"
```""",
)

pos(
    "en",
    "server_log",
    """⟦f:ts⟧ INFO  graph-sync: GET https://graph.facebook.com/v19.0/me/accounts?access_token=⟦S:fbtoken⟧ -> 190 OAuthException
⟦f:ts⟧ INFO  graph-sync: retrying in 30s (client ⟦IP⟧)""",
)

pos(
    "*",
    "stackoverflow_post",
    """⟦P:err⟧ `google.auth.exceptions.RefreshError: ('invalid_grant: Token has been expired or revoked.')`
token.json:
```json
{"token": "⟦S:ya29⟧", "refresh_token": "⟦S:g_refresh⟧", "token_uri": "https://oauth2.googleapis.com/token", "client_id": "⟦f:gclient⟧", "client_secret": "⟦S:gcs⟧", "scopes": ["https://www.googleapis.com/auth/gmail.readonly"]}
```""",
    n=4,
)

pos(
    "en",
    "pastebin",
    """# fresh socks5 ⟦f:date⟧ (ip:port:user:pass)
⟦IP⟧:1080:⟦f:user⟧:⟦S:url_pw⟧
⟦IP⟧:1080:⟦f:user⟧:⟦S:url_pw⟧
⟦IP⟧:1080:⟦f:user⟧:⟦S:url_pw⟧""",
    n=4,
)

pos(
    "*",
    "server_log",
    """⟦P:log⟧
```
⟦f:ts⟧ DEBUG gateway.request {"merchant":"⟦f:word⟧","pan":"⟦CC:any:plain⟧","exp":"⟦f:exp⟧","cvv":"⟦f:cvv⟧","amount":⟦f:amount⟧,"currency":"EUR","client_ip":"⟦IP⟧","email":"⟦E⟧"}
⟦f:ts⟧ DEBUG gateway.response {"status":"declined","code":"05"}
```""",
    n=4,
)

pos(
    "en",
    "email_forward",
    """Booking confirmation ⟦f:ord⟧
Guest: ⟦f:full⟧
Email: ⟦E⟧
Guarantee: ⟦CC⟧ (exp ⟦f:exp⟧)
Check-in: ⟦f:date⟧ - 2 nights""",
    n=4,
)
pos(
    "es",
    "email_forward",
    """Confirmación de reserva ⟦f:ord⟧
Huésped: ⟦f:full⟧
Correo: ⟦E⟧
Garantía: tarjeta ⟦CC⟧ (vence ⟦f:exp⟧)
Llegada: ⟦f:dmy⟧""",
    n=4,
)

pos(
    "en",
    "html_snippet",
    """<!-- saved page, autofill left the values in -->
<form action="/donate" method="post">
  <input name="email" value="⟦E⟧">
  <input name="cc-number" autocomplete="cc-number" value="⟦CC⟧">
  <input name="cc-exp" value="⟦f:exp⟧">
  <button>Donate</button>
</form>""",
    n=4,
)

pos(
    "en",
    "pastebin",
    """order_id	email	card	amount
⟦f:ord⟧	⟦E⟧	⟦CC⟧	⟦f:amount⟧
⟦f:ord⟧	⟦E⟧	⟦CC⟧	⟦f:amount⟧
⟦f:ord⟧	⟦E⟧	⟦CC⟧	⟦f:amount⟧""",
    n=4,
)

pos(
    "en",
    "server_log",
    """⟦f:ts⟧ WARN  c.⟦f:word⟧.payments.CardValidator - Rejected card ⟦CC⟧ for customer ⟦E⟧ from ⟦IP⟧: AVS mismatch
⟦f:ts⟧ WARN  c.⟦f:word⟧.payments.CardValidator - Rejected card ⟦CC⟧ for customer ⟦E⟧ from ⟦IP⟧: CVV mismatch""",
    n=4,
)

pos(
    "de",
    "crm_note",
    """Telefonische Bestellung ⟦f:ord⟧: Kunde bat um Abbuchung von Karte ⟦CC⟧ (gültig bis ⟦f:exp⟧). Rückruf unter ⟦f:phone⟧, E-Mail ⟦E⟧.""",
    n=4,
)
pos(
    "ru",
    "forum_post",
    """Осторожно! Мне пришло письмо с адреса ⟦E⟧ с просьбой «подтвердить» карту ⟦CC⟧ — это моя настоящая карта, значит, данные где-то утекли.""",
    n=4,
)
pos(
    "uk",
    "forum_post",
    """Увага! Шахраї надіслали мені лист з ⟦E⟧, і там був повний номер моєї картки ⟦CC⟧. Звідки вони його взяли?""",
    n=4,
)
pos(
    "ja",
    "forum_post",
    """昨日⟦E⟧から「カードの確認」というメールが届き、カード番号⟦CC⟧が本文に書かれていました。すぐにカード会社に連絡しました。""",
    n=4,
)
pos(
    "ko",
    "forum_post",
    """쇼핑몰 주문 ⟦f:ord⟧ 결제가 두 번 됐어요. 카드 번호는 ⟦CC⟧ 이고, 연락은 ⟦E:free⟧ 로 주세요.""",
    n=4,
)
pos("zh", "forum_post", """订单 ⟦f:ord⟧ 被重复扣款了，我的卡号是 ⟦CC⟧，请联系 ⟦E:free⟧ 处理，谢谢。""", n=4)
pos("ar", "forum_post", """تم خصم المبلغ مرتين من بطاقتي ⟦CC⟧ للطلب ⟦f:ord⟧. يرجى التواصل معي على ⟦E:free⟧.""", n=4)
pos("hi", "forum_post", """मेरे कार्ड ⟦CC⟧ से ऑर्डर ⟦f:ord⟧ के लिए दो बार पैसे कट गए। कृपया ⟦E:free⟧ पर संपर्क करें।""", n=4)
pos(
    "vi",
    "forum_post",
    """Đơn hàng ⟦f:ord⟧ bị trừ tiền hai lần vào thẻ ⟦CC⟧ của mình. Ai biết cách khiếu nại không? Email: ⟦E:free⟧""",
    n=4,
)
pos(
    "id",
    "forum_post",
    """Kartu saya ⟦CC⟧ ditagih dua kali untuk pesanan ⟦f:ord⟧. Tolong hubungi saya di ⟦E:free⟧.""",
    n=4,
)
pos("he", "forum_post", """חויבתי פעמיים בכרטיס ⟦CC⟧ על הזמנה ⟦f:ord⟧. אפשר ליצור קשר בכתובת ⟦E:free⟧.""", n=4)
pos(
    "el", "forum_post", """Η κάρτα μου ⟦CC⟧ χρεώθηκε δύο φορές για την παραγγελία ⟦f:ord⟧. Επικοινωνία: ⟦E:free⟧""", n=4
)
pos("hu", "forum_post", """A ⟦f:ord⟧ rendelésnél kétszer terhelték a kártyámat (⟦CC⟧). Elérhetőség: ⟦E:free⟧""", n=4)
pos(
    "ro",
    "forum_post",
    """Mi s-a debitat de două ori cardul ⟦CC⟧ pentru comanda ⟦f:ord⟧. Mă puteți contacta la ⟦E:free⟧.""",
    n=4,
)
pos("cs", "forum_post", """Z karty ⟦CC⟧ mi za objednávku ⟦f:ord⟧ strhli peníze dvakrát. Kontakt: ⟦E:free⟧""", n=4)
pos("fi", "forum_post", """Tilauksesta ⟦f:ord⟧ veloitettiin korttiani ⟦CC⟧ kahdesti. Ottakaa yhteyttä: ⟦E:free⟧""", n=4)
pos("da", "forum_post", """Mit kort ⟦CC⟧ er blevet trukket to gange for ordre ⟦f:ord⟧. Kontakt mig på ⟦E:free⟧.""", n=4)
pos("nb", "forum_post", """Kortet mitt ⟦CC⟧ ble belastet to ganger for ordre ⟦f:ord⟧. Kontakt meg på ⟦E:free⟧.""", n=4)

pos(
    "*",
    "asciidoc",
    """= ⟦f:Word⟧ deployment notes
:toc:

== Access

⟦P:here⟧

[source,bash]
----
export MAPBOX_ACCESS_TOKEN=⟦S:mapbox_sk⟧
export SQUARE_ACCESS_TOKEN=⟦S:square⟧
----""",
)

pos(
    "*",
    "rst_doc",
    """⟦f:Word⟧ deployment
================

⟦P:here⟧

.. code-block:: ini

   [api]
   endpoint = https://⟦IP⟧:8443/v1
   token = ⟦S:tok40⟧
   totp_seed = ⟦S:totp⟧""",
)

pos(
    "*",
    "markdown_doc",
    """## ⟦P:log⟧

| key | value |
|-----|-------|
| host | ⟦IP⟧ |
| user | ⟦f:user⟧ |
| password | ⟦S:password⟧ |
| postman key | ⟦S:postman⟧ |""",
)

pos(
    "*",
    "xml_config",
    """⟦P:ask⟧
```xml
<connectionStrings>
  <add name="Default" connectionString="Server=⟦IP⟧,1433;Database=⟦f:dbname⟧;User Id=sa;Password=⟦S:url_pw⟧;TrustServerCertificate=True" />
</connectionStrings>
<appSettings>
  <add key="SmtpUser" value="⟦E:corp⟧" />
  <add key="SmtpPassword" value="⟦S:password⟧" />
</appSettings>
```""",
)

pos(
    "*",
    "server_log",
    """⟦P:log⟧
```
⟦f:ts⟧ [express-session] Cookie: connect.sid=⟦S:connect_sid⟧; PHPSESSID=⟦S:phpsess⟧
⟦f:ts⟧ POST /admin/users 500 from ⟦IP⟧ (X-Forwarded-For: ⟦IP⟧, ⟦f:privip⟧)
```""",
)

pos(
    "*",
    "curl_example",
    """⟦P:err⟧ 401
```bash
curl -i https://api.⟦f:domain⟧/v2/reports \\
  -H "Authorization: Basic ⟦S:basic⟧" \\
  -H "X-Request-Id: ⟦f:uuid⟧"
```""",
)

pos(
    "en",
    "forum_post",
    """Finally got the FCM push working. For anyone copying this, the server key goes in the backend only:

```python
headers = {"Authorization": "key=⟦S:fcm⟧", "Content-Type": "application/json"}
requests.post("https://fcm.googleapis.com/fcm/send", headers=headers, json={"to": "/topics/news", "notification": {"title": "hi"}})
```""",
)

pos(
    "*",
    "github_issue",
    """⟦P:ask⟧ (GitLab runner won't register)
```
sudo gitlab-runner register --non-interactive --url https://gitlab.⟦f:domain⟧ --token ⟦S:glrt⟧ --executor docker --docker-image alpine:3.19
```""",
)

pos(
    "en",
    "blog_post",
    """I spent a weekend hardening my home server. The first thing the logs showed was a steady stream of login attempts from ⟦IP⟧ and ⟦IP⟧, and a scanner at ⟦IP6⟧ probing port 22. After moving SSH behind WireGuard the noise dropped to zero. If you want to compare notes, write to me at ⟦E:free⟧.""",
)

pos(
    "fr",
    "blog_post",
    """Dans ce tutoriel, j'ai configuré mon VPS (adresse publique ⟦IP⟧) avec Docker. Attention : dans la première version de cet article, j'avais laissé le mot de passe root « ⟦S:password⟧ » dans une capture. Il a été changé depuis. Questions : ⟦E:free⟧.""",
)

pos(
    "pt",
    "forum_post",
    """⟦P:ask⟧ Meu .env:
```
DB_HOST=⟦IP⟧
DB_USER=⟦f:user⟧
DB_PASS=⟦S:password⟧
JWT_SECRET=⟦S:tok48⟧
```""",
)

pos(
    "*",
    "status_page",
    """⟦P:log⟧
```
[⟦f:ts⟧] health-check FAILED for https://⟦IP⟧:8443/status?token=⟦S:hex40⟧ (timeout after 10s)
[⟦f:ts⟧] health-check FAILED for https://[⟦IP6⟧]:8443/status (connection reset)
```""",
)

pos(
    "en",
    "github_issue",
    """Login through the admin panel fails. Request copied as cURL from devtools:

curl 'https://admin.⟦f:domain⟧/api/session' -H 'cookie: sessionid=⟦S:sess⟧; csrftoken=⟦f:csrf⟧' -H 'x-csrftoken: ⟦f:csrf⟧' --data-raw '{"username":"⟦f:user⟧","password":"⟦S:password⟧"}'
""",
)

pos(
    "zh",
    "blog_tutorial",
    """下面是我的阿里云服务器配置（公网 IP：⟦IP⟧），数据库密码：⟦S:password⟧，后来已经修改。如果有问题请发邮件到 ⟦E:free⟧。""",
)
pos(
    "ko",
    "blog_tutorial",
    """서버 공인 IP는 ⟦IP⟧ 이고, 관리자 계정 비밀번호는 ⟦S:password⟧ 로 설정했습니다. 문의는 ⟦E:free⟧ 로 주세요.""",
)
pos(
    "ru",
    "blog_tutorial",
    """Сервер: ⟦IP⟧, пользователь root, пароль ⟦S:password⟧. Да, знаю, что так делать нельзя, пароль уже сменил. Пишите на ⟦E:free⟧.""",
)
pos(
    "tr",
    "blog_tutorial",
    """Sunucu adresi ⟦IP⟧, panel şifresi ⟦S:password⟧ olarak ayarlandı. Sorularınız için ⟦E:free⟧ adresine yazabilirsiniz.""",
)
pos(
    "vi",
    "blog_tutorial",
    """IP máy chủ của mình là ⟦IP⟧, mật khẩu quản trị là ⟦S:password⟧ (đã đổi rồi nhé). Liên hệ: ⟦E:free⟧""",
)
pos(
    "ar",
    "blog_tutorial",
    """عنوان الخادم هو ⟦IP⟧ وكلمة مرور لوحة التحكم هي ⟦S:password⟧، وقد غيّرتها لاحقًا. للتواصل: ⟦E:free⟧""",
)
pos(
    "id",
    "blog_tutorial",
    """IP publik server saya ⟦IP⟧ dan kata sandi database ⟦S:password⟧ (sudah diganti). Kalau ada pertanyaan kirim ke ⟦E:free⟧.""",
)
pos(
    "pl",
    "blog_tutorial",
    """Mój VPS ma adres ⟦IP⟧, a hasło do panelu to ⟦S:password⟧ (już zmienione). Pytania proszę kierować na ⟦E:free⟧.""",
)
pos(
    "hu",
    "blog_tutorial",
    """A szerverem címe ⟦IP⟧, az adminisztrátori jelszó ⟦S:password⟧ volt (azóta lecseréltem). Kérdés esetén: ⟦E:free⟧""",
)
pos(
    "el",
    "blog_tutorial",
    """Ο διακομιστής μου έχει IP ⟦IP⟧ και ο κωδικός του πίνακα ελέγχου ήταν ⟦S:password⟧ (τον άλλαξα). Επικοινωνία: ⟦E:free⟧""",
)
pos("he", "blog_tutorial", """כתובת השרת שלי היא ⟦IP⟧ והסיסמה לפאנל הייתה ⟦S:password⟧ (כבר החלפתי). שאלות: ⟦E:free⟧""")
pos(
    "nl",
    "blog_tutorial",
    """Mijn server draait op ⟦IP⟧ en het wachtwoord van de beheerder was ⟦S:password⟧ (inmiddels gewijzigd). Vragen? Mail ⟦E:free⟧.""",
)
pos(
    "it",
    "blog_tutorial",
    """Il mio server ha IP ⟦IP⟧ e la password dell'utente admin era ⟦S:password⟧ (ora cambiata). Per domande: ⟦E:free⟧.""",
)
pos(
    "sv",
    "blog_tutorial",
    """Min server har adressen ⟦IP⟧ och adminlösenordet var ⟦S:password⟧ (nu bytt). Frågor skickas till ⟦E:free⟧.""",
)
pos(
    "uk",
    "blog_tutorial",
    """Мій сервер має адресу ⟦IP⟧, а пароль адміністратора був ⟦S:password⟧ (вже змінив). Питання надсилайте на ⟦E:free⟧.""",
)
pos(
    "hi",
    "blog_tutorial",
    """मेरे सर्वर का IP ⟦IP⟧ है और एडमिन पासवर्ड ⟦S:password⟧ था (अब बदल दिया है)। सवाल हों तो ⟦E:free⟧ पर लिखें।""",
)
pos(
    "ja",
    "blog_tutorial",
    """サーバーのIPは⟦IP⟧、管理者パスワードは⟦S:password⟧でした（現在は変更済み）。質問は⟦E:free⟧まで。""",
)

# ================================================================ HARD NEGATIVE TEMPLATES
# --- documentation placeholders
neg(
    "doc_placeholder_key",
    "*",
    "api_reference",
    """⟦P:doc⟧
```bash
curl https://api.⟦f:domain⟧/v2/items?page=⟦f:n1⟧ \\
  -H "Authorization: Bearer <YOUR_API_TOKEN>" \\
  -H "Accept: application/json"
```
⟦P:note⟧""",
)
neg(
    "doc_placeholder_key",
    "en",
    "github_readme",
    """## Configuration

Copy `.env.example` to `.env` and fill in:

```
API_KEY=your-api-key-here
API_SECRET=your-api-secret
WEBHOOK_SECRET=<paste webhook secret>
DB_PASSWORD=********
```

The service listens on port ⟦f:port⟧ by default.""",
)
neg(
    "doc_placeholder_key",
    "*",
    "blog_tutorial",
    """⟦P:note⟧

```python
client = ⟦f:word⟧.Client(api_key="YOUR_API_KEY", secret="YOUR_SECRET")
result = client.fetch("⟦f:uuid⟧")
```""",
)
neg(
    "doc_placeholder_key",
    "de",
    "blog_tutorial",
    """Im nächsten Schritt trägst du deinen Token ein. Er sieht ungefähr so aus: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. Den echten Wert findest du unter Einstellungen > API (Stand ⟦f:dmy⟧).""",
)
neg(
    "doc_placeholder_key",
    "*",
    "config_help_post",
    """⟦P:here⟧
```yaml
smtp:
  host: smtp.⟦f:exdom⟧
  port: ⟦f:port⟧
  username: <username>
  password: <password>
  api_token: "${TOKEN:?set TOKEN first}"
```""",
)

# --- obviously fake example keys
neg(
    "example_fake_key",
    "en",
    "api_reference",
    """[default]
aws_access_key_id = ⟦f:fake_aws_id⟧
aws_secret_access_key = ⟦f:fake_aws_sk⟧
region = ⟦f:region⟧
# The keys above are examples from the documentation and do not work.""",
)
neg(
    "example_fake_key",
    "*",
    "blog_tutorial",
    """⟦P:note⟧
```hcl
provider "aws" {
  access_key = "⟦f:fake_aws_id⟧"
  secret_key = "⟦f:fake_aws_sk⟧"
  region     = "⟦f:region⟧"
}
```""",
)
neg(
    "example_fake_key",
    "en",
    "api_reference",
    """Personal access tokens look like `ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`. Example request:

    curl -H "Authorization: token ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" https://api.github.com/user/repos?per_page=⟦f:n2⟧""",
)
neg(
    "example_fake_key",
    "*",
    "api_reference",
    """⟦P:doc⟧
```
X-Api-Key: 0000000000000000000000000000000000000000
X-Request-Id: ⟦f:uuid⟧
```
⟦P:note⟧""",
)

# --- stripe test keys
neg(
    "stripe_test_key",
    "en",
    "blog_tutorial",
    """Start the server with your test key (test mode only, no real charges):

```bash
export STRIPE_SECRET_KEY=⟦f:sk_test⟧
node server.js --port ⟦f:port⟧
```""",
)
neg(
    "stripe_test_key",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ (test mode)
```python
stripe.api_key = "⟦f:sk_test⟧"
intent = stripe.PaymentIntent.create(amount=⟦f:n4⟧, currency="eur")
```""",
)
neg(
    "stripe_test_key",
    "*",
    "github_readme",
    """⟦P:note⟧
```
STRIPE_SECRET_KEY=⟦f:sk_test⟧
STRIPE_PUBLISHABLE_KEY=⟦f:pk_test⟧
```""",
)
neg(
    "stripe_test_key",
    "ja",
    "blog_tutorial",
    """テストモードでは⟦f:sk_test⟧のようなテスト用キーを使います。本番キーは絶対に記事に貼らないでください。（⟦f:date⟧ 更新）""",
)

# --- masked keys
neg(
    "masked_key",
    "en",
    "api_reference",
    """Your API keys
Name: production-⟦f:word⟧   Key: sk_live_...⟦f:last4⟧   Created: ⟦f:date⟧   Last used: ⟦f:date⟧
Name: ci-⟦f:word⟧           Key: rk_live_...⟦f:last4⟧   Created: ⟦f:date⟧""",
)
neg(
    "masked_key",
    "*",
    "github_issue",
    """⟦P:log⟧
```
Using token ghp_****************************⟦f:last4⟧
remote: Invalid username or password.
fatal: Authentication failed for 'https://github.com/⟦f:repo⟧.git/'
```""",
)
neg(
    "masked_key",
    "*",
    "ci_log",
    """⟦P:log⟧
```
AWS_ACCESS_KEY_ID=AKIA************⟦f:last4⟧
AWS_SECRET_ACCESS_KEY=****************************************
SLACK_TOKEN=xoxb-****-****-************
```""",
)
neg(
    "masked_key",
    "fr",
    "forum_post",
    """J'ai masqué la clé bien sûr : `SG.••••••••••.••••⟦f:last4⟧`. Le problème vient sûrement d'ailleurs (erreur ⟦f:n⟧).""",
)

# --- revoked notices
neg(
    "revoked_key_notice",
    "en",
    "changelog",
    """## ⟦f:ver⟧ (⟦f:date⟧)
- Security: the deploy token that was briefly visible in the CI logs of build #⟦f:issue⟧ has been revoked and replaced. No action is required from users.""",
)
neg(
    "revoked_key_notice",
    "en",
    "github_issue",
    """**GitGuardian has detected the following Stripe key exposed within your GitHub account.**
Repository: ⟦f:repo⟧
Pushed date: ⟦f:date⟧
Secret type: Stripe Live Key (redacted)
Status: revoked by owner""",
)
neg(
    "revoked_key_notice",
    "*",
    "status_page",
    """⟦f:date⟧ — Security notice. ⟦P:edit⟧ The API key ending in ⟦f:last4⟧ was revoked at ⟦f:time⟧ UTC.""",
)
neg(
    "revoked_key_notice",
    "es",
    "news_article",
    """La empresa ⟦f:Word⟧ informó el ⟦f:dmy⟧ que revocó todas las claves de acceso filtradas en un repositorio público y que ya no son válidas.""",
)

# --- publishable keys
neg(
    "stripe_publishable_key",
    "en",
    "html_snippet",
    """<script src="https://js.stripe.com/v3/"></script>
<script>
  const stripe = Stripe('⟦f:pk_live⟧');
  const elements = stripe.elements({ locale: '⟦f:cc⟧' });
</script>""",
)
neg(
    "stripe_publishable_key",
    "*",
    "config_help_post",
    """⟦P:here⟧
```
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=⟦f:pk_live⟧
NEXT_PUBLIC_SITE_URL=https://⟦f:exdom⟧
```""",
)
neg(
    "stripe_publishable_key",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```js
const stripePromise = loadStripe("⟦f:pk_test⟧");
```""",
)
neg(
    "stripe_publishable_key",
    "pt",
    "blog_tutorial",
    """A chave publicável (⟦f:pk_live⟧) pode ficar no front-end sem problemas; a chave secreta nunca.""",
)

# --- analytics ids
neg(
    "analytics_tag_id",
    "en",
    "html_snippet",
    """<script async src="https://www.googletagmanager.com/gtag/js?id=⟦f:ga4@g⟧"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', '⟦=g⟧');
</script>""",
)
neg(
    "analytics_tag_id",
    "en",
    "html_snippet",
    """<!-- Google Tag Manager -->
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=⟦f:gtm⟧" height="0" width="0" style="display:none"></iframe></noscript>
<script>ga('create', '⟦f:ua_id⟧', 'auto');</script>""",
)
neg(
    "analytics_tag_id",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ (Meta Pixel)
```js
fbq('init', '⟦f:pixel⟧');
fbq('track', 'PageView');
```""",
)
neg(
    "analytics_tag_id",
    "it",
    "blog_tutorial",
    """Nel file di configurazione inserisci l'ID di misurazione (⟦f:ga4⟧) e il sito Matomo numero ⟦f:n1⟧. Questi identificativi sono pubblici.""",
)

# --- captcha site keys
neg(
    "captcha_site_key",
    "en",
    "html_snippet",
    """<form action="/contact" method="POST">
  <div class="g-recaptcha" data-sitekey="⟦f:recaptcha⟧"></div>
  <button type="submit">Send</button>
</form>""",
)
neg(
    "captcha_site_key",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ (reCAPTCHA v3)
```html
<script src="https://www.google.com/recaptcha/api.js?render=⟦f:recaptcha⟧"></script>
```""",
)
neg(
    "captcha_site_key",
    "en",
    "html_snippet",
    """<div class="cf-turnstile" data-sitekey="⟦f:turnstile⟧" data-theme="light"></div>
<div class="h-captcha" data-sitekey="⟦f:uuid⟧"></div>""",
)
neg(
    "captcha_site_key",
    "de",
    "blog_tutorial",
    """Der Websiteschlüssel (⟦f:recaptcha⟧) ist öffentlich und darf im HTML stehen; den geheimen Schlüssel trägst du nur serverseitig ein.""",
)

# --- oauth client ids
neg(
    "oauth_client_id",
    "en",
    "html_snippet",
    """<div id="g_id_onload"
     data-client_id="⟦f:gclient⟧"
     data-login_uri="https://⟦f:exdom⟧/auth/callback"
     data-auto_prompt="false"></div>""",
)
neg(
    "oauth_client_id",
    "*",
    "config_help_post",
    """⟦P:here⟧ (SPA, PKCE)
```js
const msalConfig = {
  auth: {
    clientId: "⟦f:uuid⟧",
    authority: "https://login.microsoftonline.com/⟦f:uuid⟧",
    redirectUri: "http://localhost:⟦f:port⟧"
  }
};
```""",
)
neg(
    "oauth_client_id",
    "*",
    "github_issue",
    """⟦P:ask⟧ GitHub App: Client ID `⟦f:ghclient⟧`, App ID ⟦f:n5⟧, installation ⟦f:n5⟧⟦f:n2⟧.""",
)
neg(
    "oauth_client_id",
    "en",
    "api_reference",
    """GET https://accounts.google.com/o/oauth2/v2/auth?client_id=⟦f:gclient⟧&redirect_uri=https%3A%2F%2F⟦f:exdom⟧%2Fcb&response_type=code&scope=openid%20email&state=⟦f:hex12⟧""",
)

# --- firebase web config
neg(
    "firebase_web_config",
    "en",
    "html_snippet",
    """<script type="module">
  const firebaseConfig = {
    apiKey: "⟦f:aiza⟧",
    authDomain: "⟦f:project@p⟧.firebaseapp.com",
    projectId: "⟦=p⟧",
    storageBucket: "⟦=p⟧.appspot.com",
    messagingSenderId: "⟦f:n5⟧⟦f:n5⟧⟦f:n2⟧",
    appId: "1:⟦f:n5⟧⟦f:n5⟧:web:⟦f:hex20⟧"
  };
  initializeApp(firebaseConfig);
</script>""",
)
neg(
    "firebase_web_config",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ (firebase_options.dart)
```dart
static const FirebaseOptions web = FirebaseOptions(
  apiKey: '⟦f:aiza⟧',
  appId: '1:⟦f:n5⟧⟦f:n4⟧:web:⟦f:hex20⟧',
  projectId: '⟦f:project⟧',
);
```""",
)
neg(
    "firebase_web_config",
    "en",
    "html_snippet",
    """<script src="https://maps.googleapis.com/maps/api/js?key=⟦f:aiza⟧&callback=initMap&libraries=places" async defer></script>""",
)
neg(
    "firebase_web_config",
    "*",
    "json_api_example",
    """⟦P:here⟧ (google-services.json)
```json
{"project_info": {"project_number": "⟦f:n5⟧⟦f:n4⟧", "project_id": "⟦f:project⟧"},
 "client": [{"api_key": [{"current_key": "⟦f:aiza⟧"}]}]}
```""",
)

# --- commit SHAs
neg(
    "git_commit_sha",
    "en",
    "changelog",
    """### Bug Fixes
* **parser:** handle empty arrays ([⟦f:sha7⟧](https://github.com/⟦f:repo@r⟧/commit/⟦f:sha1⟧))
* **cli:** respect --quiet flag ([⟦f:sha7⟧](https://github.com/⟦=r⟧/commit/⟦f:sha1⟧)), closes [#⟦f:issue⟧]""",
)
neg(
    "git_commit_sha",
    "*",
    "github_issue",
    """⟦P:ask⟧ `git bisect` ⟦f:sha1⟧ / ⟦f:sha1⟧
```
Bisecting: 12 revisions left to test after this (roughly 4 steps)
[⟦f:sha1⟧] refactor: move config loader
```""",
)
neg(
    "git_commit_sha",
    "en",
    "ci_log",
    """HEAD is now at ⟦f:sha7⟧ Merge pull request #⟦f:issue⟧ from ⟦f:word⟧/fix-timeout
Checking out ⟦f:sha1⟧ (refs/remotes/origin/main)""",
)
neg(
    "git_commit_sha",
    "en",
    "github_page",
    """Compare: https://github.com/⟦f:repo⟧/compare/⟦f:sha7⟧...⟦f:sha7⟧
Tree: ⟦f:sha1⟧  Parent: ⟦f:sha1⟧""",
)

# --- checksums
neg(
    "file_checksum",
    "en",
    "api_reference",
    """Downloads for ⟦f:word⟧ ⟦f:ver⟧

⟦f:sha256⟧  ⟦f:word⟧-linux-amd64.tar.gz
⟦f:sha256⟧  ⟦f:word⟧-darwin-arm64.tar.gz
⟦f:sha256⟧  ⟦f:word⟧-windows-amd64.zip""",
)
neg(
    "file_checksum",
    "*",
    "blog_tutorial",
    """⟦P:note⟧
```
$ md5sum backup.tar
⟦f:md5⟧  backup.tar
$ sha1sum backup.tar
⟦f:sha1⟧  backup.tar
```""",
)
neg(
    "file_checksum",
    "en",
    "github_page",
    """golang.org/x/crypto v0.⟦f:n2⟧.0 h1:⟦f:b64_43⟧=
golang.org/x/crypto v0.⟦f:n2⟧.0/go.mod h1:⟦f:b64_43⟧=""",
)
neg(
    "file_checksum",
    "en",
    "github_page",
    """SHA256 (⟦f:word⟧-⟦f:ver⟧.tar.xz) = ⟦f:sha256⟧
SIZE (⟦f:word⟧-⟦f:ver⟧.tar.xz) = ⟦f:bytes⟧""",
)

# --- SRI
neg(
    "sri_hash",
    "en",
    "html_snippet",
    """<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.⟦f:n1⟧/dist/css/bootstrap.min.css" integrity="⟦f:sri384⟧" crossorigin="anonymous">""",
)
neg(
    "sri_hash",
    "en",
    "html_snippet",
    """<script src="https://code.jquery.com/jquery-3.7.⟦f:n1⟧.min.js" integrity="⟦f:sri256⟧" crossorigin="anonymous"></script>""",
)
neg(
    "sri_hash",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ (package-lock.json)
```json
"node_modules/⟦f:word⟧": {
  "version": "⟦f:ver⟧",
  "resolved": "https://registry.npmjs.org/⟦f:word⟧/-/⟦f:word⟧-⟦f:ver⟧.tgz",
  "integrity": "⟦f:sri512⟧"
}
```""",
)
neg(
    "sri_hash",
    "en",
    "server_log",
    """Failed to find a valid digest in the 'integrity' attribute for resource 'https://cdn.⟦f:exdom⟧/app.js' with computed SHA-384 integrity '⟦f:sri384⟧'. The resource has been blocked.""",
)

# --- ETags
neg(
    "etag_header",
    "en",
    "curl_example",
    """HTTP/2 200
content-type: text/html; charset=utf-8
etag: W/"⟦f:hex8⟧-⟦f:hex20⟧"
last-modified: ⟦f:rfcdate⟧
cache-control: public, max-age=600""",
)
neg(
    "etag_header",
    "en",
    "curl_example",
    """$ aws s3api head-object --bucket ⟦f:bucket⟧ --key index.html
{
    "AcceptRanges": "bytes",
    "ContentLength": ⟦f:bytes⟧,
    "ETag": "\\"⟦f:md5⟧\\"",
    "VersionId": "⟦f:a24⟧"
}""",
)
neg(
    "etag_header",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ (304 Not Modified)
```
If-None-Match: "⟦f:sha1⟧"
ETag: "⟦f:sha1⟧"
```""",
)
neg(
    "etag_header",
    "en",
    "har_file",
    """{"name": "etag", "value": "\\"⟦f:hex32⟧\\""}, {"name": "x-amz-cf-id", "value": "⟦f:b64_43⟧=="}""",
)

# --- UUIDs
neg(
    "uuid_identifier",
    "en",
    "json_api_example",
    """{
  "id": "⟦f:uuid⟧",
  "account_id": "⟦f:uuid⟧",
  "status": "active",
  "created_at": "⟦f:ts⟧"
}""",
)
neg(
    "uuid_identifier",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ `az account set --subscription ⟦f:uuid⟧` -> SubscriptionNotFound (tenant ⟦f:uuid⟧).""",
)
neg(
    "uuid_identifier",
    "en",
    "server_log",
    """⟦f:ts⟧ INFO request_id=⟦f:uuid⟧ trace_id=⟦f:hex32⟧ span_id=⟦f:hex8⟧⟦f:hex8⟧ status=200 duration_ms=⟦f:n⟧""",
)
neg(
    "uuid_identifier",
    "en",
    "k8s_manifest",
    '''metadata:
  name: ⟦f:word⟧-7d9c8
  namespace: default
  uid: ⟦f:uuid⟧
  resourceVersion: "⟦f:n5⟧"''',
)

# --- ULIDs
neg("ulid_identifier", "en", "server_log", """⟦f:ts⟧ event=order.created id=⟦f:ulid⟧ correlation=⟦f:ulid⟧""")
neg(
    "ulid_identifier",
    "*",
    "json_api_example",
    """⟦P:doc⟧
```json
{"data": [{"id": "⟦f:ulid⟧", "type": "invoice"}, {"id": "⟦f:ulid⟧", "type": "invoice"}]}
```""",
)
neg(
    "ulid_identifier",
    "en",
    "api_reference",
    """Objects are identified by ULIDs such as `⟦f:ulid⟧`; they sort by creation time.""",
)
neg("ulid_identifier", "en", "github_issue", """Job ⟦f:ulid⟧ got stuck in "pending" while ⟦f:ulid⟧ finished fine.""")

# --- order / tracking ids
neg(
    "order_tracking_id",
    "de",
    "shop_page",
    """Vielen Dank für Ihre Bestellung! Bestellnummer: ⟦f:amzorder⟧. Sendungsverfolgung: ⟦f:ups⟧ (UPS). Voraussichtliche Lieferung: ⟦f:dmy⟧.""",
)
neg(
    "order_tracking_id",
    "en",
    "shop_page",
    """Order ⟦f:amzorder⟧ has shipped. Tracking number: ⟦f:ups⟧. Invoice INV-⟦f:n4⟧-⟦f:n5⟧.""",
)
neg(
    "order_tracking_id",
    "fr",
    "forum_post",
    """Mon colis ⟦f:ups⟧ est bloqué depuis le ⟦f:dmy⟧, commande n° ⟦f:amzorder⟧. Quelqu'un a le même souci ?""",
)
neg(
    "order_tracking_id",
    "pl",
    "forum_post",
    """Zamówienie nr ⟦f:amzorder⟧, numer przesyłki ⟦f:ups⟧ — status „w doręczeniu” od ⟦f:dmy⟧.""",
)

# --- data URIs
neg("data_uri_base64", "en", "html_snippet", """<img alt="logo" width="32" height="32" src="⟦f:datapng⟧">""")
neg("data_uri_base64", "en", "html_snippet", """<link rel="icon" href="⟦f:datapng⟧" type="image/png">""")
neg(
    "data_uri_base64",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```css
.icon-check { background-image: url("⟦f:datapng⟧"); }
```""",
)
neg("data_uri_base64", "en", "json_api_example", """{"avatar": "⟦f:datapng⟧", "user_id": "⟦f:uuid⟧"}""")

# --- CSS
neg(
    "css_colors_classnames",
    "en",
    "html_snippet",
    """<div class="sc-⟦f:cssclass⟧ ⟦f:cssclass⟧"><span class="css-⟦f:lc5⟧⟦f:n1⟧ e⟦f:n1⟧⟦f:lc5⟧⟦f:n1⟧">Add to cart</span></div>""",
)
neg(
    "css_colors_classnames",
    "en",
    "html_snippet",
    """<style>.⟦f:cssclass⟧{color:⟦f:hexcolor⟧;background:⟦f:hexcolor⟧}.⟦f:cssclass⟧:hover{border-color:⟦f:hexcolor⟧}</style>""",
)
neg(
    "css_colors_classnames",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```css
:root { --primary: ⟦f:hexcolor⟧; --accent: ⟦f:hexcolor⟧; --bg: ⟦f:hexcolor⟧; }
```""",
)
neg(
    "css_colors_classnames",
    "en",
    "html_snippet",
    """<button class="_⟦f:cssclass⟧_⟦f:n1⟧ _⟦f:cssclass⟧ jsx-⟦f:n5⟧⟦f:n4⟧">Sign up</button>""",
)

# --- asset fingerprints
neg(
    "asset_fingerprint",
    "en",
    "html_snippet",
    """<script defer src="/static/js/main.⟦f:hex8⟧.js"></script>
<link href="/static/css/main.⟦f:hex8⟧.css" rel="stylesheet">
<link rel="preload" href="/fonts/Inter-Regular.⟦f:hex8⟧.woff2" as="font" crossorigin>""",
)
neg(
    "asset_fingerprint",
    "en",
    "json_api_example",
    """{
  "main.js": "/assets/main-⟦f:chunk⟧.js",
  "vendor.js": "/assets/vendor-⟦f:chunk⟧.js",
  "styles.css": "/assets/styles-⟦f:chunk⟧.css"
}""",
)
neg(
    "asset_fingerprint",
    "en",
    "html_snippet",
    """<link rel="stylesheet" href="/assets/application-⟦f:sha256⟧.css" media="all">""",
)
neg(
    "asset_fingerprint",
    "*",
    "ci_log",
    """⟦P:log⟧
```
dist/assets/index-⟦f:chunk⟧.js    ⟦f:n⟧.⟦f:n2⟧ kB | gzip: ⟦f:n2⟧.⟦f:n2⟧ kB
dist/assets/index-⟦f:chunk⟧.css   ⟦f:n2⟧.⟦f:n2⟧ kB | gzip:  ⟦f:n1⟧.⟦f:n2⟧ kB
```""",
)

# --- cache busting
neg(
    "cache_busting_query",
    "en",
    "html_snippet",
    """<link rel='stylesheet' href='https://⟦f:exdom⟧/wp-content/themes/⟦f:word⟧/style.css?ver=⟦f:ver⟧' media='all' />
<script src='https://⟦f:exdom⟧/wp-includes/js/jquery/jquery.min.js?ver=3.7.1' id='jquery-core-js'></script>""",
)
neg(
    "cache_busting_query",
    "en",
    "html_snippet",
    """<script src="/bundle.js?v=⟦f:yyyymmdd⟧⟦f:n2⟧"></script><link href="/app.css?h=⟦f:hex12⟧" rel="stylesheet">""",
)
neg(
    "cache_busting_query",
    "en",
    "access_log",
    """⟦f:privip⟧ - - [⟦f:clf⟧] "GET /api/poll?_=17⟦f:n5⟧⟦f:n5⟧⟦f:n1⟧ HTTP/1.1" 200 ⟦f:bytes⟧""",
)
neg("cache_busting_query", "*", "stackoverflow_post", """⟦P:ask⟧ `style.css?v=⟦f:hex8⟧` ⟦P:thanks⟧""")

# --- version strings
neg(
    "version_string",
    "en",
    "ci_log",
    """$ node -v
v⟦f:n2⟧.⟦f:n1⟧.⟦f:n1⟧
$ npm -v
⟦f:ver⟧
$ docker --version
Docker version 2⟦f:n1⟧.0.⟦f:n1⟧, build ⟦f:sha7⟧""",
)
neg(
    "version_string",
    "*",
    "github_issue",
    """⟦P:ask⟧
- ⟦f:word⟧ version: ⟦f:ver⟧
- OS: Windows 10.0.22631
- Python: 3.⟦f:n2⟧.⟦f:n1⟧""",
)
neg(
    "version_string",
    "en",
    "changelog",
    """## v⟦f:ver⟧-rc.⟦f:n1⟧ (⟦f:date⟧)
Bumped dependencies: ⟦f:word⟧ ⟦f:ver⟧ -> ⟦f:ver⟧""",
)
neg(
    "version_string",
    "en",
    "server_log",
    """Server: nginx/1.2⟦f:n1⟧.⟦f:n1⟧
X-Powered-By: PHP/8.⟦f:n1⟧.⟦f:n2⟧""",
)

# --- IPv4-like versions/OIDs (IPv4 scanner exempt)
neg(
    "ipv4_like_version_oid",
    "en",
    "server_log",
    '''$ snmpwalk -v2c -c public ⟦f:privip⟧ ⟦f:oid⟧
⟦f:oid⟧ = STRING: "⟦f:word⟧"''',
)
neg(
    "ipv4_like_version_oid",
    "en",
    "api_reference",
    """The subject attribute CN has the OID 2.5.4.3, O is 2.5.4.10 and emailAddress is 1.2.840.113549.1.9.1. Firmware build ⟦f:ver4⟧.""",
)
neg("ipv4_like_version_oid", "*", "github_issue", """⟦P:ask⟧ Driver version ⟦f:ver4⟧, firmware ⟦f:ver4⟧.""")
neg(
    "ipv4_like_version_oid",
    "en",
    "changelog",
    """## ⟦f:ver4⟧
- Assembly version set to ⟦f:ver4⟧ (file version ⟦f:ver4⟧)""",
)

# --- dates
neg("date_time_values", "en", "server_log", """⟦f:ts⟧ cron: job "backup" scheduled "0 3 * * *" next run ⟦f:rfcdate⟧""")
neg(
    "date_time_values",
    "de",
    "news_article",
    """Die Veranstaltung findet am ⟦f:dmy⟧ um ⟦f:time⟧ Uhr statt; Anmeldeschluss ist der ⟦f:dmy⟧.""",
)
neg("date_time_values", "ja", "blog_post", """公開日：⟦f:date⟧　最終更新：⟦f:date⟧ ⟦f:time⟧""")
neg("date_time_values", "*", "forum_post", """⟦P:log⟧ ⟦f:dt⟧ / ⟦f:unix⟧ / ⟦f:amzdate⟧""")

# --- coordinates
neg(
    "geo_coordinates",
    "en",
    "json_api_example",
    """{"type": "Feature", "geometry": {"type": "Point", "coordinates": [⟦f:lon⟧, ⟦f:lat⟧]}, "properties": {"name": "⟦f:city⟧"}}""",
)
neg("geo_coordinates", "fr", "blog_post", """Point de rendez-vous : ⟦f:lat⟧, ⟦f:lon⟧ (parking au nord du lac).""")
neg("geo_coordinates", "en", "server_log", """EXIF GPSLatitude=⟦f:lat⟧ GPSLongitude=⟦f:lon⟧ Altitude=⟦f:n⟧m""")
neg(
    "geo_coordinates", "es", "forum_post", """Las coordenadas del refugio son ⟦f:lat⟧ N, ⟦f:lon⟧ E; altitud ⟦f:n4⟧ m."""
)

# --- private IPs
neg(
    "private_ip_addresses",
    "*",
    "config_help_post",
    """⟦P:ask⟧
```
$ docker network inspect bridge | grep -E "Subnet|Gateway|IPv4Address"
    "Subnet": "172.17.0.0/16",
    "Gateway": "172.17.0.1"
    "IPv4Address": "⟦f:privip⟧/16"
```""",
)
neg(
    "private_ip_addresses",
    "en",
    "config_help_post",
    """/etc/hosts
127.0.0.1   localhost
⟦f:privip⟧   ⟦f:host⟧.lan
⟦f:privip⟧   ⟦f:host⟧.lan
::1         localhost ip6-localhost
⟦f:privip6⟧  ⟦f:host⟧""",
)
neg(
    "private_ip_addresses",
    "de",
    "forum_post",
    """Die Fritzbox ist unter ⟦f:gw⟧ erreichbar, der NAS hat ⟦f:privip⟧ und der Provider vergibt per CGNAT ⟦f:cgnat⟧.""",
)
neg(
    "private_ip_addresses",
    "en",
    "k8s_manifest",
    """NAME                      READY   STATUS    IP              NODE
⟦f:word⟧-5c7d9-x2kq      1/1     Running   ⟦f:privip⟧       ⟦f:host⟧
⟦f:word⟧-5c7d9-p8zn      1/1     Running   ⟦f:privip⟧       ⟦f:host⟧""",
)

# --- documentation IPs
neg(
    "documentation_ip_addresses",
    "en",
    "api_reference",
    """Example: allow only ⟦f:docip⟧ and ⟦f:docip⟧/32 to reach the admin API, and ⟦f:docip6⟧ for IPv6 clients.""",
)
neg(
    "documentation_ip_addresses",
    "*",
    "blog_tutorial",
    """⟦P:note⟧
```nginx
set_real_ip_from ⟦f:docip⟧;
allow ⟦f:docip⟧;
deny  all;
```""",
)
neg(
    "documentation_ip_addresses",
    "en",
    "rst_doc",
    """.. code-block:: console

   $ ping -c 1 ⟦f:docip⟧
   64 bytes from ⟦f:docip⟧: icmp_seq=1 ttl=⟦f:ttl⟧ time=12.⟦f:n1⟧ ms""",
)
neg(
    "documentation_ip_addresses",
    "en",
    "dns_dump",
    """www.example.com.  3600  IN  A     ⟦f:docip⟧
www.example.com.  3600  IN  AAAA  ⟦f:docip6⟧""",
)

# --- reserved-domain e-mails
neg(
    "reserved_domain_emails",
    "en",
    "api_reference",
    """POST /v1/users
{"email": "⟦f:exmail⟧", "name": "Jane Doe", "role": "viewer"}""",
)
neg(
    "reserved_domain_emails",
    "*",
    "blog_tutorial",
    """⟦P:note⟧
```bash
git config --global user.email "⟦f:exmail⟧"
git config --global user.name "⟦f:full⟧"
```""",
)
neg(
    "reserved_domain_emails",
    "en",
    "github_readme",
    """Contributors: please use an address like ⟦f:exmail⟧ in test fixtures, never a real inbox. Bounce tests go to ⟦f:exmail⟧.""",
)
neg(
    "reserved_domain_emails",
    "es",
    "api_reference",
    """Para pruebas usa direcciones como ⟦f:exmail⟧ o ⟦f:exmail⟧; nunca se entregan.""",
)

# --- ssh user@host (e-mail scanner exempt)
neg(
    "ssh_user_host",
    "en",
    "github_readme",
    """git clone git@github.com:⟦f:repo⟧.git
cd ⟦f:word⟧ && make install""",
)
neg(
    "ssh_user_host",
    "*",
    "forum_post",
    """⟦P:ask⟧
```
$ ssh -J ⟦f:user⟧@bastion.⟦f:word⟧.internal ⟦f:user⟧@⟦f:privip⟧
Permission denied (publickey).
```""",
)
neg("ssh_user_host", "en", "blog_tutorial", """scp ./dist.tar.gz deploy@⟦f:host⟧.corp.lan:/srv/releases/⟦f:ver⟧/""")
neg(
    "ssh_user_host",
    "en",
    "ci_log",
    """+ git remote add production ssh://git@git.⟦f:word⟧.internal:2222/⟦f:repo⟧.git
+ rsync -az build/ www-data@⟦f:host⟧.internal:/var/www/""",
)

# --- npm scopes / package@version
neg(
    "npm_scope_package_version",
    "en",
    "ci_log",
    """+ ⟦f:pkg⟧@⟦f:ver⟧
+ ⟦f:pkg⟧@⟦f:ver⟧
added ⟦f:n⟧ packages from ⟦f:n⟧ contributors in 12.⟦f:n1⟧s""",
)
neg(
    "npm_scope_package_version",
    "en",
    "github_page",
    '''"⟦f:pkg⟧@⟦f:semverr⟧":
  version "⟦f:ver⟧"
  resolved "https://registry.yarnpkg.com/⟦f:pkg⟧/-/⟦f:word⟧-⟦f:ver⟧.tgz#⟦f:sha1⟧"''',
)
neg(
    "npm_scope_package_version",
    "*",
    "stackoverflow_post",
    """⟦P:err⟧
```
npm ERR! peer dep missing: ⟦f:pkg⟧@⟦f:semverr⟧, required by ⟦f:pkg⟧@⟦f:ver⟧
```""",
)
neg(
    "npm_scope_package_version",
    "en",
    "github_issue",
    """Repro: `npx ⟦f:pkg⟧@⟦f:ver⟧ init` then `pnpm add ⟦f:pkg⟧@latest`. Docker base: node:20.⟦f:n1⟧-alpine@⟦f:digest⟧""",
)

# --- Luhn-invalid cards
neg(
    "luhn_invalid_card_numbers",
    "en",
    "forum_post",
    """Our validator rejects ⟦f:badcard⟧ and says the checksum is wrong. Is the Luhn implementation below correct?""",
)
neg(
    "luhn_invalid_card_numbers",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```python
assert not luhn_valid("⟦f:badcard⟧")
assert not luhn_valid("⟦f:badcard⟧")
```""",
)
neg(
    "luhn_invalid_card_numbers",
    "de",
    "forum_post",
    """Ich habe die Nummer ⟦f:badcard⟧ abgetippt, aber das Formular meldet „ungültige Kartennummer“ – vermutlich ein Zahlendreher.""",
)
neg(
    "luhn_invalid_card_numbers",
    "en",
    "json_api_example",
    """{"error": {"code": "incorrect_number", "param": "number", "message": "The card number ⟦f:badcard⟧ is not a valid credit card number."}}""",
)

# --- masked cards
neg(
    "masked_card_numbers",
    "en",
    "shop_page",
    """Payment method: Visa ending in ⟦f:last4⟧ · Billing address on file · Receipt #⟦f:n5⟧""",
)
neg("masked_card_numbers", "*", "forum_post", """⟦P:ask⟧ Karte/card: ⟦f:maskcard⟧ (⟦f:exp⟧)""")
neg(
    "masked_card_numbers",
    "en",
    "server_log",
    """⟦f:ts⟧ payment authorized card=⟦f:maskcard⟧ amount=⟦f:amount⟧ EUR auth_code=⟦f:a9⟧""",
)
neg(
    "masked_card_numbers",
    "fr",
    "email_forward",
    """Votre paiement de ⟦f:amount⟧ € avec la carte ⟦f:maskcard⟧ a bien été accepté. Référence : ⟦f:ord⟧.""",
)

# --- Luhn-valid non-card ids
neg(
    "luhn_valid_non_card_ids",
    "en",
    "forum_post",
    """Phone stuck in boot loop, IMEI ⟦f:imei⟧, can someone check if it's blacklisted?""",
)
neg(
    "luhn_valid_non_card_ids",
    "de",
    "forum_post",
    """Meine SIM-Karte (ICCID ⟦f:iccid⟧) wird nicht erkannt, PIN ist korrekt.""",
)
neg(
    "luhn_valid_non_card_ids",
    "en",
    "json_api_example",
    """{"customer_number": "⟦f:custno⟧", "loyalty_tier": "gold", "points": ⟦f:n⟧}""",
)
neg("luhn_valid_non_card_ids", "*", "github_issue", """⟦P:ask⟧ Device IMEI: ⟦f:imei⟧, IMEI2: ⟦f:imei⟧""")

# --- password policy prose
neg(
    "password_policy_prose",
    "en",
    "api_reference",
    """Passwords must be at least 12 characters long and contain an uppercase letter, a lowercase letter, a digit and a special character. Passwords are hashed with Argon2id and can be reset at any time. (Policy v⟦f:n1⟧, ⟦f:date⟧)""",
)
neg(
    "password_policy_prose",
    "de",
    "shop_page",
    """Ihr Passwort muss mindestens ⟦f:n1⟧ Zeichen lang sein und darf nicht Ihrem Benutzernamen entsprechen. Aus Sicherheitsgründen fragen wir niemals per E-Mail nach Ihrem Passwort.""",
)
neg(
    "password_policy_prose",
    "fr",
    "shop_page",
    """Votre mot de passe doit contenir au moins ⟦f:n1⟧ caractères, dont une majuscule et un chiffre. Ne le communiquez jamais à personne.""",
)
neg(
    "password_policy_prose",
    "ja",
    "shop_page",
    """パスワードは⟦f:n1⟧文字以上で、英大文字・英小文字・数字を含めてください。パスワードは他人に教えないでください。""",
)
neg(
    "password_policy_prose",
    "es",
    "shop_page",
    """La contraseña debe tener al menos ⟦f:n1⟧ caracteres y no puede coincidir con las últimas ⟦f:n1⟧ contraseñas utilizadas.""",
)

# --- env var references
neg(
    "env_var_references",
    "en",
    "ci_log",
    """env:
  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
run: npm publish --tag v⟦f:ver⟧""",
)
neg(
    "env_var_references",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```js
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const db = new Pool({ password: process.env.DB_PASSWORD, port: ⟦f:port⟧ });
```""",
)
neg(
    "env_var_references",
    "*",
    "config_help_post",
    """⟦P:here⟧
```yaml
services:
  api:
    environment:
      - DATABASE_PASSWORD=${DATABASE_PASSWORD}
      - JWT_SECRET=${JWT_SECRET:?missing}
    ports: ["⟦f:port⟧:⟦f:port⟧"]
```""",
)
neg(
    "env_var_references",
    "en",
    "blog_tutorial",
    """$env:GITHUB_TOKEN = (Get-Secret -Name gh-token -AsPlainText)
python -c "import os; print(len(os.environ['OPENAI_API_KEY']))"  # prints ⟦f:n2⟧""",
)

# --- template placeholders
neg(
    "template_placeholders",
    "en",
    "ansible_playbook",
    '''- name: configure db
  template:
    src: db.conf.j2
    dest: /etc/⟦f:word⟧/db.conf
  vars:
    db_password: "{{ vault_db_password }}"
    api_token: "{{ lookup('env', 'API_TOKEN') }}"''',
)
neg(
    "template_placeholders",
    "en",
    "k8s_manifest",
    '''env:
  - name: DB_PASSWORD
    value: {{ .Values.db.password | quote }}
  - name: REPLICAS
    value: "⟦f:n1⟧"''',
)
neg(
    "template_placeholders",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```python
cur.execute("UPDATE users SET password_hash = %s WHERE id = %s", (hashed, user_id))
log.info("login ok for %s from %s", username, ip)  # line ⟦f:n⟧
```""",
)
neg(
    "template_placeholders",
    "en",
    "api_reference",
    """PUT /v1/users/:id/password
Body: {"current_password": "<current>", "new_password": "<new>"}
Route: /api/⟦f:word⟧/:tenantId/tokens/:tokenId""",
)

# --- regex examples
neg(
    "regex_examples",
    "en",
    "github_page",
    """[[rules]]
id = "github-pat"
regex = '''ghp_[0-9a-zA-Z]{36}'''
[[rules]]
id = "aws-access-key"
regex = '''(A3T[A-Z0-9]|AKIA|ASIA)[A-Z0-9]{16}'''
# rule set v⟦f:ver⟧""",
)
neg(
    "regex_examples",
    "*",
    "stackoverflow_post",
    r"""⟦P:ask⟧
```python
EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+\.[\w.-]+$")
IPV4_RE = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")
```
(⟦f:n⟧)""",
)
neg(
    "regex_examples",
    "en",
    "blog_tutorial",
    r"""To catch Stripe keys use `sk_(live|test)_[0-9a-zA-Z]{24,99}` and for Slack bot tokens `xoxb-[0-9]{10,13}-[0-9]{10,13}-[a-zA-Z0-9]{24}`. Card numbers: `\b(?:\d[ -]*?){13,19}\b`. (Updated ⟦f:date⟧)""",
)
neg(
    "regex_examples",
    "en",
    "api_reference",
    r"""Pattern for a JWT: ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$  -- max length ⟦f:n4⟧""",
)

# --- wallets
neg(
    "crypto_wallet_addresses",
    "en",
    "github_readme",
    """## Support the project
BTC: ⟦f:btc⟧
ETH: ⟦f:eth⟧""",
)
neg("crypto_wallet_addresses", "*", "forum_post", """⟦P:ask⟧ Transaction to ⟦f:btc_legacy⟧ pending since ⟦f:dt⟧.""")
neg(
    "crypto_wallet_addresses",
    "en",
    "json_api_example",
    """{"from": "⟦f:eth⟧", "to": "⟦f:eth⟧", "value": "0x⟦f:hex12⟧", "gas": "0x5208"}""",
)
neg("crypto_wallet_addresses", "de", "blog_post", """Spenden gerne an ⟦f:btc⟧ — vielen Dank!""")

# --- public keys / certs
neg(
    "public_keys_certificates",
    "en",
    "config_help_post",
    """~/.ssh/authorized_keys
⟦f:sshpub⟧
⟦f:sshpub⟧""",
)
neg(
    "public_keys_certificates",
    "*",
    "blog_tutorial",
    """⟦P:here⟧
```
⟦f:pubpem⟧
```""",
)
neg(
    "public_keys_certificates",
    "en",
    "stackoverflow_post",
    """The server sends this certificate, why does curl say "unable to get local issuer certificate"?

⟦f:certpem⟧""",
)
neg(
    "public_keys_certificates",
    "en",
    "github_readme",
    """Release signing key (fingerprint ⟦f:fpr⟧):

⟦f:pgppub⟧""",
)
neg(
    "public_keys_certificates",
    "*",
    "config_help_post",
    """⟦P:ask⟧ (WireGuard peer)
```ini
[Peer]
PublicKey = ⟦f:wgpub⟧
AllowedIPs = 10.8.0.⟦f:n1⟧/32
```""",
)

# --- CSP nonces
neg(
    "csp_nonce",
    "en",
    "curl_example",
    """content-security-policy: default-src 'self'; script-src 'self' 'nonce-⟦f:nonce⟧' 'strict-dynamic'; object-src 'none'; report-uri /csp/⟦f:hex8⟧""",
)
neg(
    "csp_nonce",
    "en",
    "html_snippet",
    """<script nonce="⟦f:nonce⟧">window.__INITIAL_STATE__ = {"page": ⟦f:n1⟧};</script>""",
)
neg(
    "csp_nonce",
    "*",
    "stackoverflow_post",
    """⟦P:err⟧
```
Refused to execute inline script because it violates the following Content Security Policy directive: "script-src 'nonce-⟦f:nonce⟧'".
```""",
)
neg(
    "csp_nonce",
    "en",
    "server_log",
    """⟦f:ts⟧ csp-report blocked-uri=inline nonce=⟦f:nonce⟧ document-uri=https://⟦f:exdom⟧/⟦f:word⟧""",
)

# --- CSRF tokens
neg(
    "csrf_token",
    "en",
    "html_snippet",
    """<form method="post" action="/accounts/login/">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟦f:csrf⟧">
  <input type="text" name="username"> <input type="password" name="password">
</form>""",
)
neg(
    "csrf_token",
    "en",
    "html_snippet",
    """<meta name="csrf-token" content="⟦f:csrf⟧">
<meta name="csrf-param" content="authenticity_token">""",
)
neg(
    "csrf_token",
    "*",
    "har_file",
    """⟦P:here⟧
```json
{"name": "X-CSRF-Token", "value": "⟦f:csrf_u⟧"}, {"name": "X-Requested-With", "value": "XMLHttpRequest"}
```""",
)
neg(
    "csrf_token",
    "en",
    "stackoverflow_post",
    """Laravel returns 419 Page Expired even though the form has <input type="hidden" name="_token" value="⟦f:csrf⟧">. Session driver is file.""",
)

# --- password hashes
neg(
    "password_hashes",
    "en",
    "forum_post",
    """Why does my /etc/shadow entry look like this?
⟦f:user⟧:⟦f:sha512crypt⟧:19⟦f:n2⟧⟦f:n1⟧:0:99999:7:::""",
)
neg(
    "password_hashes",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ bcrypt.compare -> false
```
stored: ⟦f:bcrypt⟧
```""",
)
neg(
    "password_hashes",
    "en",
    "github_issue",
    """After upgrading Django the hashes changed from ⟦f:pbkdf2⟧ to ⟦f:argon2⟧, is that expected?""",
)
neg(
    "password_hashes",
    "en",
    "config_help_post",
    """.htpasswd
⟦f:user⟧:⟦f:apr1⟧
⟦f:user⟧:⟦f:bcrypt⟧""",
)

# --- secret manager references
neg(
    "secret_manager_references",
    "en",
    "json_api_example",
    """"secrets": [{"name": "DB_PASSWORD", "valueFrom": "⟦f:arn_secret⟧"}]""",
)
neg(
    "secret_manager_references",
    "en",
    "k8s_manifest",
    """env:
  - name: API_TOKEN
    valueFrom:
      secretKeyRef:
        name: ⟦f:word⟧-secrets
        key: api-token""",
)
neg(
    "secret_manager_references",
    "*",
    "blog_tutorial",
    """⟦P:note⟧
```bash
vault kv get -field=password secret/⟦f:word⟧/prod/db
gcloud secrets versions access latest --secret=⟦f:word⟧-api-key --project=⟦f:project⟧
```""",
)
neg(
    "secret_manager_references",
    "en",
    "config_help_post",
    """@Microsoft.KeyVault(SecretUri=https://⟦f:word⟧-kv.vault.azure.net/secrets/DbPassword/⟦f:hex32⟧)""",
)

# --- digests / build ids / request ids
neg(
    "image_digest_build_id",
    "en",
    "ci_log",
    """latest: digest: ⟦f:digest⟧ size: ⟦f:n4⟧
Successfully built ⟦f:hex12⟧
Successfully tagged ⟦f:word⟧:⟦f:ver⟧""",
)
neg(
    "image_digest_build_id",
    "en",
    "error_page",
    """Error 1020 Ray ID: ⟦f:rayid⟧ • ⟦f:dt⟧ UTC
Access denied. Performance & security by Cloudflare""",
)
neg(
    "image_digest_build_id",
    "*",
    "github_issue",
    """⟦P:ask⟧ Build ID: ⟦f:uuid⟧, x-amzn-RequestId: ⟦f:uuid⟧, x-amz-id-2: ⟦f:b64_43⟧""",
)
neg(
    "image_digest_build_id",
    "en",
    "k8s_manifest",
    """image: ghcr.io/⟦f:repo⟧@⟦f:digest⟧
imagePullPolicy: IfNotPresent""",
)

# --- empty credential fields
neg(
    "empty_credential_fields",
    "en",
    "json_api_example",
    """{"username": "⟦f:user⟧", "password": "", "api_key": null, "token": "", "retries": ⟦f:n1⟧}""",
)
neg(
    "empty_credential_fields",
    "*",
    "config_help_post",
    """⟦P:here⟧
```
AWS_ACCESS_KEY_ID=
AWS_SECRET_ACCESS_KEY=
DB_PASSWORD=
PORT=⟦f:port⟧
```""",
)
neg(
    "empty_credential_fields",
    "en",
    "api_reference",
    """| Field | Type | Description |
|-------|------|-------------|
| client_secret | string | Secret issued when the app was registered. Never expose it in a browser. |
| refresh_token | string | Returned only when `offline_access` is requested. Max age ⟦f:n2⟧ days. |""",
)
neg(
    "empty_credential_fields",
    "en",
    "xml_config",
    """<server>
  <id>⟦f:word⟧-releases</id>
  <username>${env.NEXUS_USER}</username>
  <password></password>
</server>""",
)

# --- UI strings
neg(
    "password_ui_strings",
    "en",
    "shop_page",
    """Sign in
Email address
Password
Forgot your password?
Remember me
Don't have an account? Sign up (⟦f:n⟧ people joined today)""",
)
neg(
    "password_ui_strings",
    "de",
    "shop_page",
    """Anmelden · E-Mail-Adresse · Passwort · Passwort vergessen? · Angemeldet bleiben · Noch kein Konto? Jetzt registrieren (Seite ⟦f:n1⟧)""",
)
neg(
    "password_ui_strings",
    "ko",
    "shop_page",
    """로그인 · 이메일 · 비밀번호 · 비밀번호를 잊으셨나요? · 회원가입 (⟦f:n⟧)""",
)
neg(
    "password_ui_strings",
    "ru",
    "shop_page",
    """Вход · Электронная почта · Пароль · Забыли пароль? · Запомнить меня · Регистрация (⟦f:n⟧)""",
)
neg("password_ui_strings", "zh", "shop_page", """登录 · 邮箱 · 密码 · 忘记密码？ · 记住我 · 注册新账号（第⟦f:n1⟧步）""")

# --- base64 non secret
neg(
    "base64_non_secret",
    "en",
    "k8s_manifest",
    """apiVersion: v1
kind: ConfigMap
metadata:
  name: ⟦f:word⟧-banner
binaryData:
  banner.txt: ⟦f:b64msg⟧""",
)
neg(
    "base64_non_secret",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧
```
$ echo '⟦f:b64msg⟧' | base64 -d
```""",
)
neg(
    "base64_non_secret",
    "en",
    "api_reference",
    """Pagination cursors are opaque: `"next_cursor": "⟦f:b64msg⟧"`. Pass it back unchanged.""",
)
neg(
    "base64_non_secret",
    "en",
    "json_api_example",
    """{"content": "⟦f:b64msg⟧", "encoding": "base64", "path": "README.md", "sha": "⟦f:sha1⟧"}""",
)

# --- MAC / hardware ids
neg(
    "hardware_ids",
    "en",
    "server_log",
    """eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet ⟦f:privip⟧  netmask 255.255.255.0  broadcast 192.168.1.255
        ether ⟦f:mac⟧  txqueuelen 1000  (Ethernet)""",
)
neg("hardware_ids", "*", "forum_post", """⟦P:ask⟧ USB ID 0bda:⟦f:hex8⟧, MAC ⟦f:mac⟧, disk UUID ⟦f:uuid⟧""")
neg("hardware_ids", "en", "github_issue", """Bluetooth controller ⟦f:mac⟧ fails to pair. Serial number: ⟦f:a16⟧""")
neg("hardware_ids", "fi", "forum_post", """Reitittimen MAC-osoite on ⟦f:mac⟧ ja sarjanumero ⟦f:a16⟧. Mikä vikana?""")

# --- short content ids
neg(
    "content_short_ids",
    "en",
    "blog_post",
    """Watch the talk: https://www.youtube.com/watch?v=⟦f:ytid⟧&t=⟦f:n⟧s and the follow-up https://youtu.be/⟦f:ytid⟧""",
)
neg("content_short_ids", "*", "forum_post", """⟦P:ask⟧ https://x.com/⟦f:user⟧/status/⟦f:tweetid⟧""")
neg(
    "content_short_ids",
    "en",
    "forum_post",
    """Screenshot: https://i.imgur.com/⟦f:a9⟧.png, thread https://redd.it/⟦f:lc5⟧⟦f:n1⟧""",
)
neg(
    "content_short_ids",
    "en",
    "markdown_doc",
    """[![Build](https://img.shields.io/badge/build-passing-brightgreen)](https://ci.⟦f:exdom⟧/b/⟦f:a9⟧) [![DOI](https://zenodo.org/badge/DOI/10.5281/zenodo.⟦f:n5⟧⟦f:n2⟧.svg)](https://doi.org/10.5281/zenodo.⟦f:n5⟧⟦f:n2⟧)""",
)

# --- DNS TXT public records
neg(
    "dns_txt_public_records",
    "en",
    "dns_dump",
    '''⟦f:exdom⟧.  3600 IN TXT "google-site-verification=⟦f:gsv⟧"
⟦f:exdom⟧.  3600 IN TXT "MS=ms⟦f:n5⟧⟦f:n4⟧"
⟦f:exdom⟧.  3600 IN TXT "v=spf1 include:_spf.google.com ~all"''',
)
neg("dns_txt_public_records", "en", "dns_dump", '''selector1._domainkey  IN  TXT  "v=DKIM1; k=rsa; p=⟦f:dkim_p⟧"''')
neg(
    "dns_txt_public_records",
    "*",
    "forum_post",
    """⟦P:ask⟧ (certbot)
```
_acme-challenge.⟦f:exdom⟧. 300 IN TXT "⟦f:gsv⟧"
```""",
)
neg(
    "dns_txt_public_records",
    "en",
    "dns_dump",
    '''_dmarc  IN  TXT  "v=DMARC1; p=quarantine; rua=mailto:dmarc@⟦f:exdom⟧; pct=⟦f:n2⟧"''',
)

# --- webhook signatures
neg(
    "webhook_signature_headers",
    "en",
    "webhook_payload",
    """POST /hooks/github HTTP/1.1
X-GitHub-Event: push
X-GitHub-Delivery: ⟦f:uuid⟧
X-Hub-Signature-256: ⟦f:hubsig⟧
Content-Type: application/json""",
)
neg(
    "webhook_signature_headers", "en", "webhook_payload", """Stripe-Signature: t=⟦f:unix⟧,v1=⟦f:sha256⟧,v0=⟦f:sha256⟧"""
)
neg(
    "webhook_signature_headers",
    "*",
    "stackoverflow_post",
    """⟦P:err⟧
```
X-Shopify-Hmac-Sha256: ⟦f:b64_43⟧=
computed: ⟦f:b64_43⟧=
```""",
)
neg(
    "webhook_signature_headers",
    "en",
    "webhook_payload",
    """X-Slack-Signature: v0=⟦f:sha256⟧
X-Slack-Request-Timestamp: ⟦f:unix⟧""",
)

# --- credential field docs (no values)
neg(
    "credential_field_docs",
    "en",
    "api_reference",
    """Authentication
Send your key in the `X-API-Key` header. Keys are 40 characters long and start with a two-letter prefix. Rotate keys every ⟦f:n2⟧ days from Settings > Security.""",
)
neg(
    "credential_field_docs",
    "fr",
    "api_reference",
    """Authentification : transmettez le jeton dans l'en-tête `Authorization: Bearer`. Les jetons expirent après ⟦f:n2⟧ minutes.""",
)
neg(
    "credential_field_docs",
    "de",
    "api_reference",
    """Der Parameter `client_secret` wird nur beim Anlegen der App angezeigt und kann danach nicht mehr abgerufen werden. Limit: ⟦f:n4⟧ Anfragen pro Stunde.""",
)
neg(
    "credential_field_docs",
    "pt",
    "api_reference",
    """O campo `password` é obrigatório e deve ser enviado apenas via HTTPS. Tamanho máximo: ⟦f:n2⟧ caracteres.""",
)

# --- demo/sample data with placeholders in various languages
neg(
    "sample_credentials_placeholder",
    "it",
    "blog_tutorial",
    """Nel file .env inserisci DB_USER=utente e DB_PASSWORD=la_tua_password, poi avvia con `npm run dev -- --port ⟦f:port⟧`.""",
)
neg(
    "sample_credentials_placeholder",
    "nl",
    "blog_tutorial",
    """Vul bij wachtwoord je eigen wachtwoord in (hier weergegeven als ••••••••). Poort: ⟦f:port⟧.""",
)
neg(
    "sample_credentials_placeholder",
    "tr",
    "blog_tutorial",
    """API anahtarınızı `API_KEY=<anahtarınız>` şeklinde .env dosyasına ekleyin (port ⟦f:port⟧).""",
)
neg(
    "sample_credentials_placeholder",
    "pl",
    "blog_tutorial",
    """W pliku konfiguracyjnym wpisz `password: TWOJE_HASLO` i `token: TWOJ_TOKEN` (sekcja ⟦f:n1⟧).""",
)
neg(
    "sample_credentials_placeholder",
    "vi",
    "blog_tutorial",
    """Điền `API_KEY=khoa_cua_ban` vào file .env rồi chạy lại server ở cổng ⟦f:port⟧.""",
)

# --- JSON/YAML examples with redacted values
neg(
    "redacted_values",
    "en",
    "json_api_example",
    """{"Authorization": "Bearer [REDACTED]", "Cookie": "session=[FILTERED]", "request_id": "⟦f:uuid⟧"}""",
)
neg(
    "redacted_values",
    "*",
    "config_help_post",
    """⟦P:here⟧
```yaml
database:
  host: ⟦f:privip⟧
  user: ⟦f:user⟧
  password: "***"
  sslmode: require
```""",
)
neg(
    "redacted_values",
    "en",
    "server_log",
    """⟦f:ts⟧ Started POST "/users/sign_in" Parameters: {"user"=>{"email"=>"[FILTERED]", "password"=>"[FILTERED]"}, "commit"=>"Log in"} (⟦f:n⟧ms)""",
)
neg(
    "redacted_values",
    "en",
    "ci_log",
    """DATABASE_URL=postgres://app:***@⟦f:privip⟧:5432/app
REDIS_URL=redis://:<redacted>@⟦f:privip⟧:6379/0""",
)

# --- localhost / dev URLs with no credentials
neg(
    "localhost_dev_urls",
    "en",
    "blog_tutorial",
    """Open http://localhost:⟦f:port⟧/admin and log in with the account you just created. The API runs on http://127.0.0.1:⟦f:port⟧.""",
)
neg(
    "localhost_dev_urls",
    "*",
    "stackoverflow_post",
    """⟦P:ask⟧ `curl http://0.0.0.0:⟦f:port⟧/health` -> connection refused, `curl http://[::1]:⟦f:port⟧/` OK.""",
)
neg(
    "localhost_dev_urls",
    "en",
    "config_help_post",
    """DATABASE_URL=postgres://postgres@localhost:5432/⟦f:dbname⟧
REDIS_URL=redis://localhost:6379/⟦f:n1⟧""",
)
neg(
    "localhost_dev_urls",
    "en",
    "ci_log",
    """  ➜  Local:   http://localhost:⟦f:port⟧/
  ➜  Network: http://⟦f:privip⟧:⟦f:port⟧/""",
)

# --- phone numbers / IBAN-like non-targets
neg(
    "phone_and_postal",
    "en",
    "shop_page",
    """Customer service: ⟦f:phone⟧ (Mon-Fri), fax ⟦f:phone⟧. Warehouse: Unit ⟦f:n2⟧, ⟦f:city⟧.""",
)
neg("phone_and_postal", "de", "shop_page", """Hotline: ⟦f:phone⟧ · Postanschrift: Postfach ⟦f:n4⟧, ⟦f:n5⟧ ⟦f:city⟧""")
neg("phone_and_postal", "ja", "shop_page", """お問い合わせ：⟦f:phone⟧（平日10時〜18時）〒⟦f:n2⟧⟦f:n1⟧-⟦f:n4⟧""")
neg("phone_and_postal", "es", "shop_page", """Atención al cliente: ⟦f:phone⟧. Horario: ⟦f:time⟧-⟦f:time⟧.""")

# --- random-looking ids in API docs (request/trace ids)
neg("trace_and_span_ids", "en", "server_log", """traceparent: 00-⟦f:hex32⟧-⟦f:hex8⟧⟦f:hex8⟧-01""")
neg(
    "trace_and_span_ids",
    "en",
    "json_api_example",
    """{"traceId": "⟦f:hex32⟧", "spanId": "⟦f:hex8⟧⟦f:hex8⟧", "name": "GET /api/⟦f:word⟧", "durationMs": ⟦f:n⟧}""",
)
neg(
    "trace_and_span_ids",
    "*",
    "github_issue",
    """⟦P:log⟧
```
X-Amzn-Trace-Id: Root=1-⟦f:hex8⟧-⟦f:hex12⟧⟦f:hex12⟧;Parent=⟦f:hex8⟧⟦f:hex8⟧;Sampled=1
```""",
)
neg(
    "trace_and_span_ids",
    "en",
    "server_log",
    """sentry event_id=⟦f:hex32⟧ release=⟦f:word⟧@⟦f:ver⟧ environment=production""",
)

# --- session/state/nonce parameters in OAuth docs (non-credentials)
neg(
    "oauth_state_nonce",
    "en",
    "api_reference",
    """Redirect after consent: https://⟦f:exdom⟧/callback?code=<authorization_code>&state=⟦f:hex12⟧ (compare state with the value stored in the session)""",
)
neg(
    "oauth_state_nonce",
    "en",
    "json_api_example",
    """{"response_type": "code", "state": "⟦f:csrf_u⟧", "nonce": "⟦f:csrf_u⟧", "code_challenge": "⟦f:csrf_u⟧", "code_challenge_method": "S256"}""",
)
neg("oauth_state_nonce", "*", "stackoverflow_post", """⟦P:err⟧ `invalid_state` — state=⟦f:hex32⟧""")
neg("oauth_state_nonce", "en", "server_log", """⟦f:ts⟧ oidc: nonce mismatch expected=⟦f:hex20⟧ got=⟦f:hex20⟧""")

# --- S3/GCS object keys and bucket names
neg(
    "object_storage_paths",
    "en",
    "ci_log",
    """upload: dist/app.js to s3://⟦f:bucket⟧/releases/⟦f:ver⟧/app-⟦f:chunk⟧.js""",
)
neg("object_storage_paths", "*", "forum_post", """⟦P:ask⟧ gs://⟦f:bucket⟧/exports/⟦f:yyyymmdd⟧/part-⟦f:n4⟧.parquet""")
neg(
    "object_storage_paths",
    "en",
    "json_api_example",
    """{"Bucket": "⟦f:bucket⟧", "Key": "uploads/⟦f:uuid⟧/original.jpg", "VersionId": "⟦f:a24⟧"}""",
)
neg(
    "object_storage_paths",
    "en",
    "api_reference",
    """https://⟦f:bucket⟧.s3.⟦f:region⟧.amazonaws.com/public/⟦f:word⟧.png (public object, no signature)""",
)

# --- license / coupon codes (non-credentials)
neg(
    "coupon_promo_codes",
    "en",
    "shop_page",
    """Use code ⟦f:WORD⟧⟦f:n2⟧ at checkout for ⟦f:n2⟧% off. Offer ends ⟦f:date⟧.""",
)
neg("coupon_promo_codes", "fr", "shop_page", """Code promo : ⟦f:WORD⟧⟦f:n2⟧ — livraison offerte jusqu'au ⟦f:dmy⟧.""")
neg("coupon_promo_codes", "de", "shop_page", """Gutscheincode ⟦f:WORD⟧-⟦f:n2⟧ einlösen und ⟦f:n1⟧ € sparen.""")
neg("coupon_promo_codes", "es", "shop_page", """Cupón: ⟦f:WORD⟧⟦f:n2⟧ (válido hasta el ⟦f:dmy⟧).""")


# ================================================================ rendering
TOK = re.compile("\u27e6([^\u27e7]+)\u27e7")
ENT = {"S": "SECRET", "E": "EMAIL_ADDRESS", "IP": "IP_ADDRESS", "IP6": "IP_ADDRESS", "CC": "CREDIT_CARD"}


def render(tpl, lang):
    out, spans, pos_, i, var = [], [], 0, 0, {}
    for m in TOK.finditer(tpl):
        lit = tpl[i : m.start()]
        out.append(lit)
        pos_ += len(lit)
        i = m.end()
        spec = m.group(1)
        if spec.startswith("="):
            val, ent = var[spec[1:]]
        else:
            name = None
            if "@" in spec:
                spec, name = spec.split("@", 1)
            kind, _, arg = spec.partition(":")
            ent = ENT.get(kind)
            if kind == "S":
                val = SG[arg]()
            elif kind == "E":
                val = email(arg or None)
            elif kind == "IP":
                val = pub4()
            elif kind == "IP6":
                val = pub6()
            elif kind == "CC":
                val = card(arg)
            elif kind == "f":
                val = F[arg]()
            elif kind == "P":
                val = PH[lang][arg]
            else:
                raise ValueError("bad slot " + spec)
            if name:
                var[name] = (val, ent)
        if ent:
            spans.append({"start": pos_, "end": pos_ + len(val), "entity": ent, "_value": val})
        out.append(val)
        pos_ += len(val)
    out.append(tpl[i:])
    return "".join(out), spans


# ================================================================ scanner
IPV4_RE = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)")
CARD_RE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?!\d)")
MSGID_LINE = re.compile(r"^(Message-ID|In-Reply-To|References):.*$", re.M | re.I)
HC_PATTERNS = [
    re.compile(p)
    for p in [
        r"ghp_[A-Za-z0-9]{36}",
        r"gh[ousr]_[A-Za-z0-9]{36}",
        r"github_pat_\w{22}_\w{59}",
        r"glpat-[\w-]{20}",
        r"glrt-[\w-]{20}",
        r"xox[baprs]-\d+-",
        r"sk_live_[A-Za-z0-9]{20,}",
        r"rk_live_[A-Za-z0-9]{20,}",
        r"whsec_[A-Za-z0-9]{24,}",
        r"sk-ant-api\d\d-",
        r"sk-proj-[\w-]{20,}",
        r"AKIA[A-Z2-7]{16}",
        r"ASIA[A-Z2-7]{16}",
        r"SG\.[\w-]{22}\.[\w-]{43}",
        r"-----BEGIN [A-Z ]*PRIVATE KEY",
        r"npm_[A-Za-z0-9]{36}",
        r"hf_[A-Za-z]{34}",
        r"dop_v1_[a-f0-9]{64}",
        r"shp(at|ss)_[a-f0-9]{32}",
        r"hvs\.[\w-]{24,}",
        r"AGE-SECRET-KEY-1",
        r"GOCSPX-",
        r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}",
        r"NRAK-[A-Z0-9]{27}",
        r"pypi-AgEIcHlwaS5vcmc",
        r"hooks\.slack\.com/services/T",
        r"ATATT3xFfGF0",
        r"sntryu_[a-f0-9]{64}",
        r"dapi[a-f0-9]{32}\b",
        r"tskey-auth-",
        r"lin_api_[A-Za-z0-9]{40}",
        r"PMAK-[a-f0-9]{24}",
    ]
]
FAKE_MARK = re.compile(r"EXAMPLE|XXXX|xxxx|0{8}")


def scan(text, category):
    """return list of leak findings in text (labelled spans already blanked)"""
    found = []
    if category != "ipv4_like_version_oid":
        for m in IPV4_RE.finditer(text):
            try:
                if ip_public(m.group()):
                    found.append(("ipv4", m.group()))
            except ValueError:
                pass
    for m in CARD_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group())
        if 13 <= len(d) <= 19 and luhn_ok(d) and card_brand_broad(d):
            found.append(("card", m.group()))
    if category != "ssh_user_host":
        t2 = MSGID_LINE.sub("", text)
        for m in EMAIL_RE.finditer(t2):
            dom = m.group().split("@", 1)[1]
            if not domain_reserved(dom):
                found.append(("email", m.group()))
    for p in HC_PATTERNS:
        for m in p.finditer(text):
            ctx = text[m.start() : m.end() + 40]
            if not FAKE_MARK.search(ctx):
                found.append(("secret", m.group()))
    return found


def blank(text, spans):
    chars = list(text)
    for s in spans:
        for k in range(s["start"], s["end"]):
            chars[k] = " "
    return "".join(chars)


# ================================================================ build
def build():
    records, seen = [], set()
    lang_i = {"pos": 0, "neg": 0}
    tnum = 0
    meta = []
    for group, tpls in (("pos", POS), ("neg", NEG)):
        for lang, ctx, cat, text, n in tpls:
            tnum += 1
            if lang == "*":
                lang = LANG_CYCLE[lang_i[group] % len(LANG_CYCLE)]
                lang_i[group] += 1
            assert 2 <= n <= 4, (tnum, n)
            assert lang in PH, lang
            meta.append((tnum, group, cat))
            for v in range(1, n + 1):
                for attempt in range(200):
                    t, spans = render(text, lang)
                    if group == "neg":
                        assert not spans, "negative template %d has labelled slots" % tnum
                    else:
                        assert spans, "positive template %d has no labelled slots" % tnum
                    if t in seen:
                        continue
                    if scan(blank(t, spans), cat):
                        continue
                    break
                else:
                    raise SystemExit(
                        "template %d (%s) keeps failing the leak scanner: %r" % (tnum, cat, scan(blank(t, spans), cat))
                    )
                seen.add(t)
                records.append(
                    {
                        "id": "t12-%d-%d" % (tnum, v),
                        "text": t,
                        "lang": lang,
                        "context": ctx,
                        "category": cat,
                        "spans": spans,
                    }
                )
    return records, meta


PW_KINDS_END = tuple(".,!?:;")


def check(records, meta):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts)), "duplicate texts"
    per_t = collections.Counter(r["id"].rsplit("-", 1)[0] for r in records)
    assert all(2 <= c <= 4 for c in per_t.values()), "template variant count out of range"
    for r in records:
        t, spans = r["text"], r["spans"]
        if r["category"] == "positive":
            assert spans, r["id"]
        else:
            assert not spans, r["id"]
        last = -1
        for s in sorted(spans, key=lambda s: s["start"]):
            assert s["start"] >= last, ("overlap", r["id"])
            last = s["end"]
            val = s["_value"]
            assert t[s["start"] : s["end"]] == val, ("offset mismatch", r["id"], val)
            assert val == val.strip() and val, ("whitespace", r["id"])
            e = s["entity"]
            if e == "IP_ADDRESS":
                assert ip_public(val), ("non-public ip", r["id"], val)
            elif e == "CREDIT_CARD":
                assert re.fullmatch(r"\d+(?:[ -]\d+)*", val), (r["id"], val)
                d = re.sub(r"[ -]", "", val)
                assert luhn_ok(d) and card_brand(d), ("bad card", r["id"], val)
            elif e == "EMAIL_ADDRESS":
                assert EMAIL_RE.fullmatch(val), ("bad email", r["id"], val)
                assert not domain_reserved(val.split("@", 1)[1]), ("reserved email", r["id"], val)
            elif e == "SECRET":
                if val.startswith("-----BEGIN"):
                    assert re.search(r"-----END [A-Z ]+-----$", val), (r["id"], val[-40:])
                else:
                    assert val[0].isalnum(), ("secret starts with symbol", r["id"], val)
                assert not val.endswith(PW_KINDS_END), ("secret ends with punctuation", r["id"], val)
            else:
                raise AssertionError(e)
        f = scan(blank(t, spans), r["category"])
        assert not f, ("scanner finding", r["id"], f)
    cnt = collections.Counter(s["entity"] for r in records for s in r["spans"])
    pos_t = sum(1 for m in meta if m[1] == "pos")
    negs = [r for r in records if r["category"] != "positive"]
    cats = set(r["category"] for r in negs)
    langs = set(r["lang"] for r in records)
    assert cnt["SECRET"] >= 700, cnt
    assert cnt["EMAIL_ADDRESS"] >= 200, cnt
    assert cnt["IP_ADDRESS"] >= 200, cnt
    assert cnt["CREDIT_CARD"] >= 100, cnt
    assert pos_t >= 140, pos_t
    assert len(negs) >= 700, len(negs)
    assert len(cats) >= 40, len(cats)
    assert len(langs - {"en"}) >= 20, langs
    return cnt


def main():
    records, meta = build()
    cnt = check(records, meta)
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in records:
            r = dict(r)
            r["spans"] = [{k: s[k] for k in ("start", "end", "entity")} for s in r["spans"]]
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    # ---- summary
    pos_r = [r for r in records if r["category"] == "positive"]
    neg_r = [r for r in records if r["category"] != "positive"]
    print("wrote", OUT)
    print("records: %d (positive %d, hard negative %d)" % (len(records), len(pos_r), len(neg_r)))
    print(
        "templates: %d positive, %d negative"
        % (sum(1 for m in meta if m[1] == "pos"), sum(1 for m in meta if m[1] == "neg"))
    )
    print("spans per entity:", dict(sorted(cnt.items())), "total", sum(cnt.values()))
    nc = collections.Counter(r["category"] for r in neg_r)
    print("negative categories (%d):" % len(nc))
    for k, v in sorted(nc.items()):
        print("  %-34s %d" % (k, v))
    lc = collections.Counter(r["lang"] for r in records)
    print("languages (%d):" % len(lc), ", ".join("%s=%d" % kv for kv in sorted(lc.items())))
    cc = collections.Counter(r["context"] for r in records)
    print("contexts (%d):" % len(cc), ", ".join("%s=%d" % kv for kv in sorted(cc.items())))


if __name__ == "__main__":
    main()
