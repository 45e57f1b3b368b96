#!/usr/bin/env python3
"""
make_testset10.py - deterministic generator for ``pii_testset10.jsonl``.

Test set #10 of the PII / secrets evaluation data, focused on source code,
infrastructure and operations material.  It was written "blind": the
templates below are original text and every value is generated at random
(random.Random(101010), Python standard library only).  No real people,
keys or hosts are used.

What it produces
----------------
One JSON object per line (UTF-8, ensure_ascii=False)::

    {"id": "t10-<template#>-<variant#>", "text": ..., "lang": <ISO 639-1>,
     "context": <snake_case document kind>, "category": "positive" | <hard
     negative category>, "spans": [{"start", "end", "entity"}]}

* Positive templates (code in ~20 languages, shell, CI, IaC, container and
  daemon configs, dotfiles, logs, stack traces, SQL, HTTP) are each
  instantiated 2-4 times with fresh values.
* Hard-negative templates (env lookups, secret references, placeholders,
  hashes, digests, ids, versions, public keys, fake fixtures, ...) are each
  instantiated 3-4 times and carry no spans.

Templates contain placeholders ``«kind»`` or ``«kind:ref»`` (``ref`` reuses
the same value inside one record).  The renderer appends literal text and
generated values piece by piece and records the offsets of labelled values
at insertion time; nothing is searched for afterwards.

Entities: SECRET, EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD (see the labelling
guide of the task).  Span = the value only (no label, quotes, ``Bearer``,
port, CIDR suffix or brackets).

Checks (all fatal, run on every record after generation)
--------------------------------------------------------
1.  text[start:end] equals the inserted value for every span (checked at
    insertion and again on the final records against the recorded values).
2.  Spans are sorted, inside the text, and never overlap.
3.  Every IP_ADDRESS span parses and is globally routable (ipaddress
    ``is_global``), not multicast and not in 192.0.2/24, 198.51.100/24,
    203.0.113/24 or 2001:db8::/32.
4.  Every CREDIT_CARD span passes Luhn and has a real brand prefix/length
    (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay).
5.  Every EMAIL_ADDRESS span is a well-formed address on a non-reserved
    domain (not example.com/.org/.net, .test, .invalid, .localhost,
    .example).
6.  SECRET spans have no surrounding whitespace, never end in . , ! ? : ;
    and (except PEM private-key blocks, which start with "-----BEGIN")
    never start with a symbol.
7.  Ids are unique, texts are unique, positives have >= 1 span, hard
    negatives have none.
8.  A simple scanner is run over every negative text and over the
    unlabelled parts of every positive text (labelled spans masked with
    NUL characters).  It must find no public IPv4 address, no Luhn-valid
    brand-prefixed 13-19 digit number (digits optionally separated by
    single spaces or dashes) and no e-mail address on a non-reserved
    domain.  While generating, a record whose random values trip the
    scanner (or duplicate an earlier text) is re-drawn; the final pass is
    fatal.
    Documented exception: in category ``four_part_version`` IPv4-shaped
    strings are allowed if and only if they are exactly the four-part
    version numbers the generator inserted for that record (they are the
    point of that category).
9.  Quotas: >= 900 SECRET, >= 120 EMAIL_ADDRESS, >= 120 IP_ADDRESS,
    >= 60 CREDIT_CARD spans, >= 150 positive templates, >= 40 distinct
    vendor token formats, >= 400 hard negatives in >= 30 categories,
    >= 15 programming/scripting languages.

Labelling decisions (possibly disputable)
----------------------------------------
* AWS access key ids (AKIA...) are labelled SECRET, like the secret keys.
* Webhook URLs whose path is the credential (Slack, Discord) are labelled
  as a whole URL.
* HTTP Basic values and docker config "auth" values (base64 of user:pass)
  and Kubernetes Secret ``data:`` passwords (base64 of the password) are
  labelled SECRET as the whole base64 string; base64 usernames are not.
* Laravel ``APP_KEY=base64:...``: only the part after ``base64:``.
* A GCP service-account JSON: ``private_key`` (a \n-escaped PEM, span from
  -----BEGIN to the END line, without the trailing \n) is SECRET and
  ``client_email`` is EMAIL_ADDRESS; ``private_key_id``/``client_id`` are
  not labelled.  PEM blocks embedded in YAML keep their indentation inside
  the span.  ENCRYPTED PRIVATE KEY blocks are labelled too.
* Identifiers are never labelled: Twilio Account SIDs, OAuth client ids,
  tenant/subscription UUIDs, Shopify API keys (public half), Algolia app
  ids, usernames, CVC/expiry dates.  CSRF tokens appearing in positive
  records stay unlabelled.
* Password-reset tokens in URLs, session cookies, refresh tokens, SNMP
  communities, Wi-Fi/IPsec PSKs, RADIUS/TACACS shared secrets and VRRP
  auth_pass values are labelled SECRET.
* Password hashes (bcrypt, argon2, PBKDF2, sha512-crypt, {SSHA}, SCRAM,
  MySQL native, Cisco type 5) and encrypted blobs (ansible-vault, sops,
  SealedSecrets, Jenkins {AQAAA..}, {cipher}, ENC(...)) are hard
  negatives; so are publishable keys (Stripe pk_live_, Mapbox pk.,
  reCAPTCHA site keys, Algolia search-only keys) and obvious placeholders
  (including AKIAXXXXXXXXXXXXXXXX / sk_live_xxxx...).

Run:  python3 make_testset10.py   (writes pii_testset10.jsonl next to it and
prints a summary).
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
from urllib.parse import quote

SEED = 101010
PREFIX = "t10"
rng = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_PATH = os.path.join(HERE, "pii_testset10.jsonl")

SECRET, EMAIL, IP, CARD = "SECRET", "EMAIL_ADDRESS", "IP_ADDRESS", "CREDIT_CARD"

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
LETTERS = string.ascii_letters
DIGITS = string.digits
ALNUM = LETTERS + DIGITS
HEXL = DIGITS + "abcdef"
HEXU = DIGITS + "ABCDEF"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32AWS = UPPER + "234567"
CRYPT64 = "./" + ALNUM


def fail(msg):
    sys.stderr.write("CHECK FAILED: " + msg + "\n")
    sys.exit(1)


def rs(chars, n):
    return "".join(rng.choice(chars) for _ in range(n))


def rbytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def b64(raw):
    return base64.b64encode(raw).decode()


def b64u(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jdump(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def digits(n, first=None):
    if first is None:
        first = rng.choice("123456789")
    return first + rs(DIGITS, n - 1)


# ---------------------------------------------------------------------------
# vocabularies (invented company names; generic first/last names combined at
# random)
# ---------------------------------------------------------------------------
WORDS = """amber anchor apple arrow aspen autumn badger bamboo banjo basil beacon
birch bison blossom breeze bronze cactus canyon carbon cedar cobalt comet copper
coral cosmic cricket crystal dahlia delta desert dragon eagle ember falcon fern
fjord flint forest fossil galaxy garnet ginger glacier granite harbor hazel heron
indigo iris ivory jasper juniper kestrel lagoon lantern lemon lilac lotus lunar
magnet maple marble meadow meteor mint monsoon nectar nickel nova oasis olive onyx
orbit orchid otter panda pebble pepper pine planet plum polar prism quartz quill
raven reef ripple river rocket saffron sage salmon sapphire shadow silver spruce
summit sunset tango thistle thunder tiger topaz tulip tundra velvet violet walnut
willow winter zephyr""".split()

FIRST = """anna ben carla dmitri elena farid greta hiro ines jonas kaito lena marco
nadia oscar priya quentin rosa sven tamar umar vera wei ximena yusuf zoe liam maya
noah olga pablo rania stefan tomasz aylin bruno chiara diego emeka fatima gustavo
hana ivan jana kemal lucia mateo nora ole paula""".split()

LAST = """novak okafor lindqvist moreau tanaka kowalski schneider haddad fernandes
ivanova nakamura petrov rossi silva weber yilmaz costa dubois eriksen gallo horvat
jansen kaur larsen mendes nieminen oliveira popescu quinn rahman sato thorsen urban
varga wagner xu young zeller alvarez brandt chen demir engel fischer garcia
hoffmann ito jovanovic keller lopez""".split()

COMPANIES = """kestrelfreight bluefjord quillmetrics orchardbyte tallowcloud
marrowlabs vintryhealth copperlane nimbusforge halcyonpay brightwharf tidewell
saltmarsh-energy lumenpath oakridge-analytics pinecrest-logistics veloxa grauwerk
nordhavn cervantia tulparsoft wisla-data zorkatech meridianhq fernhollow
ashgrove-bank redkite-media stonebridge-legal harborline quasarnet""".split()

TLDS = [
    "com",
    "io",
    "net",
    "de",
    "co.uk",
    "eu",
    "dev",
    "pl",
    "es",
    "com.tr",
    "ru",
    "fr",
    "nl",
    "ch",
    "se",
    "cloud",
    "tech",
    "at",
    "fi",
    "pt",
]

ROLES = [
    "ops",
    "billing",
    "devops",
    "alerts",
    "noc",
    "it-support",
    "payments",
    "admin",
    "backup",
    "security",
    "finance",
    "sre",
    "postmaster",
    "no-reply",
    "jenkins",
    "monitoring",
    "accounts",
    "helpdesk",
]

SVC_USERS = [
    "app",
    "app_rw",
    "svc_backup",
    "deploy",
    "jenkins",
    "etl_loader",
    "reporting",
    "grafana",
    "replicator",
    "admin",
    "webapp",
    "billing_svc",
    "ci-bot",
    "ansible",
    "monitor",
    "kafka",
    "mqtt_gw",
    "api_user",
    "wp_admin",
    "dbadmin",
    "sync_agent",
    "svc-ldap",
    "gitlab-runner",
    "nagios",
    "backup_operator",
    "svc_export",
    "orders_app",
    "metrics",
    "crm_sync",
    "integration",
]

DBS = [
    "orders",
    "billing",
    "analytics",
    "crm",
    "inventory",
    "auth",
    "payments",
    "warehouse",
    "telemetry",
    "ledger",
    "cms",
    "wordpress",
    "gitea",
    "keycloak",
    "metrics",
    "shipping",
    "hr",
    "catalog",
]

REGIONS = [
    "eu-west-1",
    "us-east-1",
    "eu-central-1",
    "ap-southeast-2",
    "us-west-2",
    "eu-north-1",
    "ca-central-1",
    "sa-east-1",
]

HOST_ROLES = [
    "db",
    "pg",
    "mysql",
    "redis",
    "mq",
    "kafka",
    "ldap",
    "smtp",
    "api",
    "web",
    "vault",
    "es",
    "mongo",
    "bastion",
    "ci",
    "nfs",
    "files",
    "cache",
    "queue",
    "auth",
]
ENVS = ["prod", "stg", "int", "dev", "eu1", "us2", "qa"]

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

RESERVED_SUFFIXES = (".test", ".invalid", ".localhost", ".example")
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")


def is_reserved_domain(domain):
    d = domain.lower().rstrip(".")
    if d in ("localhost", "test", "invalid", "example"):
        return True
    if any(d == r or d.endswith("." + r) for r in RESERVED_DOMAINS):
        return True
    return d.endswith(RESERVED_SUFFIXES)


DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def is_public_ip(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return False
    if not a.is_global or a.is_multicast or a.is_private or a.is_reserved:
        return False
    return not any(a.version == n.version and a in n for n in DOC_NETS)


def luhn_ok(num):
    total = 0
    for i, ch in enumerate(reversed(num)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def card_brand(d):
    if not d.isdigit():
        return None
    n = len(d)
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (d.startswith("6011") or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    return None


EMAIL_FULL_RE = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")

# ---------------------------------------------------------------------------
# value generators.  GEN[kind] = (entity or None, function)
# ---------------------------------------------------------------------------
GEN = {}
VENDOR_KINDS = set()
PASSWORD_KINDS = {"pw", "pwu", "phrase", "pw8", "pwora", "community", "pwleet"}
STATE = {"allow_ip_like": set(), "used_env": set()}


def gen(kind, entity=None, vendor=False):
    def deco(f):
        GEN[kind] = (entity, f)
        if vendor:
            VENDOR_KINDS.add(kind)
        return f

    return deco


def fix_edges(p, tail=DIGITS):
    if not p[0].isalnum():
        p = rng.choice(LETTERS) + p[1:]
    if not p[-1].isalnum():
        p = p[:-1] + rng.choice(tail)
    return p


PW_SYMS = "!*_-+.=^~"


def pw_random():
    while True:
        n = rng.randint(12, 24)
        p = rs(ALNUM + ALNUM + PW_SYMS, n)
        p = fix_edges(p)
        if any(c.isdigit() for c in p) and any(c.islower() for c in p) and any(c.isupper() for c in p):
            return p


def pw_words():
    w1, w2 = rng.sample(WORDS, 2)
    sym = rng.choice("!*_-+.=^~")
    num = str(rng.randint(1, 9999))
    pat = rng.randint(0, 3)
    if pat == 0:
        p = f"{w1.capitalize()}{sym}{num}"
    elif pat == 1:
        p = f"{w1.capitalize()}{num}{sym}{w2.capitalize()}"
    elif pat == 2:
        p = f"{w1}{sym}{w2.capitalize()}{num}"
    else:
        p = f"{num}{w1.capitalize()}{sym}{w2}"
    return fix_edges(p)


def pw_phrase():
    k = rng.randint(3, 5)
    ws = rng.sample(WORDS, k)
    sep = rng.choice(["-", ".", "_", "-", "+"])
    if rng.random() < 0.4:
        ws = [w.capitalize() for w in ws]
    p = sep.join(ws)
    if rng.random() < 0.5:
        p += sep + str(rng.randint(2, 99))
    return fix_edges(p)


LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5", "t": "7", "l": "1"}


def pw_leet():
    w1, w2 = rng.sample(WORDS, 2)
    base = w1.capitalize() + rng.choice(["", "_", "-", ""]) + w2
    out = [base[0]]
    for ch in base[1:]:
        if ch in LEET and rng.random() < 0.6:
            out.append(rng.choice(LEET[ch]))
        else:
            out.append(ch)
    p = "".join(out) + rng.choice(["", "!", "#", "*", "_"]) + str(rng.randint(1, 999))
    p = p.replace("#", "*")
    return fix_edges(p)


@gen("pw", SECRET)
def g_pw():
    r = rng.random()
    if r < 0.4:
        return pw_random()
    if r < 0.65:
        return pw_words()
    if r < 0.8:
        return pw_phrase()
    return pw_leet()


@gen("pwleet", SECRET)
def g_pwleet():
    return pw_leet()


@gen("pwu", SECRET)  # URL / shell / colon-separated safe password
def g_pwu():
    r = rng.random()
    if r < 0.55:
        while True:
            p = fix_edges(rs(ALNUM + ALNUM + "-_.", rng.randint(14, 28)))
            if any(c.isdigit() for c in p) and any(c.isupper() for c in p):
                return p
    if r < 0.8:
        w1, w2 = rng.sample(WORDS, 2)
        return f"{w1.capitalize()}{rng.choice('-_.')}{w2}{rng.randint(10, 9999)}"
    return "-".join(rng.sample(WORDS, rng.randint(3, 4))) + str(rng.randint(1, 99))


@gen("phrase", SECRET)
def g_phrase():
    return pw_phrase()


@gen("pw8", SECRET)
def g_pw8():
    return rng.choice(LETTERS) + rs(ALNUM, 7)


@gen("pwora", SECRET)  # Oracle unquoted identifier-style password
def g_pwora():
    w1, w2 = rng.sample(WORDS, 2)
    return f"{w1.capitalize()}_{w2.capitalize()}{rng.randint(10, 999)}"


@gen("community", SECRET)
def g_community():
    return rng.choice(WORDS) + rs(ALNUM, rng.randint(6, 12))


@gen("django", SECRET)
def g_django():
    return fix_edges(rs(LOWER + DIGITS + "!@%^&*(-_=+)", 50))


@gen("wpsalt", SECRET)
def g_wpsalt():
    return fix_edges(rs(ALNUM + "!*-_+=^~.|[]{}()<>:;,", 64))


@gen("session", SECRET)
def g_session():
    return fix_edges(rs(B64URL, rng.choice([32, 40, 48, 64])))


@gen("basic", SECRET)
def g_basic():
    return b64(f"{g_user()}:{g_pwu()}".encode())


@gen("b64pw", SECRET)
def g_b64pw():
    return b64(g_pw().encode())


@gen("wg_key", SECRET)
def g_wg_key():
    return b64(rbytes(32))


# --- vendor token formats -------------------------------------------------
def vend(kind, f):
    gen(kind, SECRET, vendor=True)(f)


vend("aws_akid", lambda: "AKIA" + rs(B32AWS, 16))
vend("aws_secret", lambda: rs(ALNUM + "+/", 40))
vend("aws_session", lambda: "IQoJb3JpZ2luX2VjE" + rs(B64, rng.randint(220, 300)))
vend("gcp_key", lambda: "AIza" + rs(B64URL, 35))
vend("gcp_oauth", lambda: "GOCSPX-" + rs(B64URL, 28))
vend("gcp_refresh", lambda: "1//0" + rs(ALNUM, 2) + rs(B64URL, 98))
vend("azure_storage", lambda: b64(rbytes(64)))
vend("azure_client_secret", lambda: rs(ALNUM, 3) + "8Q~" + rs(ALNUM + "_.~-", 33) + rs(ALNUM, 1))
vend("azure_sig", lambda: quote(b64(rbytes(32)), safe=""))
vend("gh_pat", lambda: "ghp_" + rs(ALNUM, 36))
vend("gh_oauth", lambda: "gho_" + rs(ALNUM, 36))
vend("gh_app", lambda: "ghs_" + rs(ALNUM, 36))
vend("gh_refresh", lambda: "ghr_" + rs(ALNUM, 76))
vend("gh_fine", lambda: "github_pat_11" + rs(UPPER + DIGITS, 22) + "_" + rs(ALNUM, 59))
vend("gl_pat", lambda: "glpat-" + rs(ALNUM + "_-", 19) + rs(ALNUM, 1))
vend("gl_runner", lambda: "glrt-" + rs(ALNUM + "_-", 19) + rs(ALNUM, 1))
vend("gl_deploy", lambda: "gldt-" + rs(ALNUM + "_-", 19) + rs(ALNUM, 1))
vend("gl_trigger", lambda: "glptt-" + rs(HEXL, 40))
vend("bb_app", lambda: "ATBB" + rs(ALNUM, 32))
vend("slack_bot", lambda: f"xoxb-{digits(11)}-{digits(13)}-{rs(ALNUM, 24)}")
vend("slack_user", lambda: f"xoxp-{digits(11)}-{digits(11)}-{digits(13)}-{rs(HEXL, 32)}")
vend(
    "slack_webhook",
    lambda: (
        "https://hooks.slack.com/services/T"
        + rs(UPPER + DIGITS, 10)
        + "/B"
        + rs(UPPER + DIGITS, 10)
        + "/"
        + rs(ALNUM, 24)
    ),
)
vend("stripe_sk", lambda: "sk_live_" + (rs(ALNUM, 24) if rng.random() < 0.4 else "51" + rs(ALNUM, 97)))
vend("stripe_rk", lambda: "rk_live_" + (rs(ALNUM, 24) if rng.random() < 0.4 else "51" + rs(ALNUM, 97)))
vend("stripe_whsec", lambda: "whsec_" + rs(ALNUM, 32))
vend("twilio_sk", lambda: "SK" + rs(HEXL, 32))
vend("twilio_token", lambda: rs(HEXL, 32))
vend("sendgrid", lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 42) + rs(ALNUM, 1))
vend("mailgun", lambda: "key-" + rs(HEXL, 32))
vend("mailchimp", lambda: rs(HEXL, 32) + "-us" + str(rng.randint(1, 21)))
vend("shopify", lambda: "shpat_" + rs(HEXL, 32))
vend("shopify_ss", lambda: "shpss_" + rs(HEXL, 32))
vend("npm", lambda: "npm_" + rs(ALNUM, 36))
vend("pypi", lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, rng.randint(60, 140)) + rs(ALNUM, 1))
vend("dockerhub", lambda: "dckr_pat_" + rs(B64URL, 26) + rs(ALNUM, 1))
vend("hf", lambda: "hf_" + rs(LETTERS, 34))
vend(
    "openai",
    lambda: (
        ("sk-proj-" + rs(B64URL, 123) + rs(ALNUM, 1))
        if rng.random() < 0.6
        else ("sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20))
    ),
)
vend("anthropic", lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA")
vend(
    "discord",
    lambda: (
        b64u(str(rng.randint(10**17, 10**18 - 1)).encode()) + "." + rs(B64URL, 6) + "." + rs(B64URL, 37) + rs(ALNUM, 1)
    ),
)
vend(
    "discord_webhook",
    lambda: "https://discord.com/api/webhooks/" + digits(18, "1") + "/" + rs(B64URL, 67) + rs(ALNUM, 1),
)
vend("telegram", lambda: f"{rng.randint(10**8, 10**10 - 1)}:AA" + rs(B64URL, 32) + rs(ALNUM, 1))
vend("dd_api", lambda: rs(HEXL, 32))
vend("dd_app", lambda: rs(HEXL, 40))
vend("newrelic", lambda: "NRAK-" + rs(UPPER + DIGITS, 27))
vend("newrelic_lic", lambda: rs(HEXL, 36) + "NRAL")
vend("sentry_token", lambda: "sntryu_" + rs(HEXL, 64))
vend("heroku", lambda: "HRKU-AA" + rs(B64URL, 57) + rs(ALNUM, 1))
vend("do_token", lambda: "dop_v1_" + rs(HEXL, 64))
vend("cf_token", lambda: rs(ALNUM, 1) + rs(B64URL, 38) + rs(ALNUM, 1))
vend("cf_global", lambda: rs(HEXL, 37))
vend("vault", lambda: "hvs.CAESI" + rs(B64URL, 85) + rs(ALNUM, 1))
vend("linear", lambda: "lin_api_" + rs(ALNUM, 40))
vend("notion", lambda: ("secret_" + rs(ALNUM, 43)) if rng.random() < 0.5 else ("ntn_" + digits(11) + rs(ALNUM, 35)))
vend("postman", lambda: "PMAK-" + rs(HEXL, 24) + "-" + rs(HEXL, 34))
vend("square", lambda: "EAAA" + rs(B64URL, 59) + rs(ALNUM, 1))
vend("square_secret", lambda: "sq0csp-" + rs(B64URL, 42) + rs(ALNUM, 1))
vend("braintree", lambda: "access_token$production$" + rs(LOWER + DIGITS, 16) + "$" + rs(HEXL, 32))
vend("paypal_secret", lambda: "E" + rs(B64URL, 78) + rs(ALNUM, 1))
vend("okta", lambda: "00" + rs(B64URL, 39) + rs(ALNUM, 1))
vend("auth0_secret", lambda: rs(ALNUM, 1) + rs(B64URL, 62) + rs(ALNUM, 1))
vend("fcm", lambda: "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 133) + rs(ALNUM, 1))
vend("algolia_admin", lambda: rs(HEXL, 32))
vend("atlassian", lambda: "ATATT3xFfGF0" + rs(B64URL, 170) + "=" + rs(HEXU, 8))
vend("grafana", lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEXL, 8))
vend("age", lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58))
vend("pulumi", lambda: "pul-" + rs(HEXL, 40))
vend("tfc", lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67))
vend("doppler", lambda: "dp.st.prd." + rs(ALNUM, 43))
vend("databricks", lambda: "dapi" + rs(HEXL, 32))
vend("supabase", lambda: "sbp_" + rs(HEXL, 40))
vend("netlify", lambda: "nfp_" + rs(ALNUM, 36))
vend("figma", lambda: "figd_" + rs(B64URL, 39) + rs(ALNUM, 1))
vend("airtable", lambda: "pat" + rs(ALNUM, 14) + "." + rs(HEXL, 64))
vend("pscale", lambda: "pscale_pw_" + rs(B64URL, 42) + rs(ALNUM, 1))
vend("dropbox", lambda: "sl." + rs(B64URL, 134) + rs(ALNUM, 1))
vend("circleci", lambda: "CCIPAT_" + rs(ALNUM, 22) + "_" + rs(HEXL, 40))
vend("buildkite", lambda: "bkua_" + rs(HEXL, 40))
vend("rubygems", lambda: "rubygems_" + rs(HEXL, 48))
vend("nuget", lambda: "oy2" + rs(LOWER + DIGITS, 43))
vend("crates", lambda: "cio" + rs(ALNUM, 32))
vend("b2key", lambda: "K00" + rs(ALNUM, 28))


def g_mapbox(prefix):
    user = rng.choice(FIRST) + rng.choice(["", "-maps", str(rng.randint(1, 99))])
    body = b64u(jdump({"u": user, "a": rs(LOWER + DIGITS, 25)}))
    return f"{prefix}.{body}.{rs(B64URL, 21)}{rs(ALNUM, 1)}"


vend("mapbox_sk", lambda: g_mapbox("sk"))


@gen("jwt", SECRET, vendor=False)
def g_jwt():
    alg = rng.choice(["HS256", "RS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        hdr["kid"] = rs(B64URL, 22)
    iat = rng.randint(1700000000, 1760000000)
    sub = rng.choice([g_uuid(), f"user:{rng.randint(1000, 99999)}", f"svc-{rng.choice(WORDS)}"])
    pl = {
        "sub": sub,
        "iss": f"https://auth.{g_domain()}/",
        "aud": rng.choice(["api", "internal-api", "billing", "k8s"]),
        "iat": iat,
        "exp": iat + rng.choice([900, 3600, 43200]),
    }
    if rng.random() < 0.5:
        pl["scope"] = " ".join(rng.sample(["read", "write", "admin", "orders:read", "users:write", "deploy"], 2))
    sig = {"HS256": 32, "RS256": 256, "ES256": 64}[alg]
    return f"{b64u(jdump(hdr))}.{b64u(jdump(pl))}.{b64u(rbytes(sig))}"


PEM_TYPES = {
    "rsa": ("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 64, (14, 25)),
    "ec": ("EC PRIVATE KEY", "MHcCAQEEI", 64, (3, 3)),
    "openssh": (
        "OPENSSH PRIVATE KEY",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        70,
        (5, 7),
    ),
    "pkcs8": ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 64, (12, 25)),
    "enc": ("ENCRYPTED PRIVATE KEY", "MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI", 64, (12, 20)),
}


def pem_lines(label, first, width, nrange, trailer="="):
    nlines = rng.randint(*nrange)
    body = first + rs(B64, width * nlines - len(first))
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    lines[-1] = lines[-1][: rng.randint(width // 3, width - 4)] + trailer
    return [f"-----BEGIN {label}-----"] + lines + [f"-----END {label}-----"]


def pem_private(kind):
    label, first, width, nr = PEM_TYPES[kind]
    return pem_lines(label, first, width, nr)


for _k in PEM_TYPES:
    GEN["pem_" + _k] = (SECRET, (lambda k=_k: "\n".join(pem_private(k))))

# --- email / ip / card ------------------------------------------------------


@gen("domain")
def g_domain():
    return f"{rng.choice(COMPANIES)}.{rng.choice(TLDS)}"


@gen("email", EMAIL)
def g_email():
    dom = g_domain()
    f, l = rng.choice(FIRST), rng.choice(LAST)
    r = rng.random()
    if r < 0.3:
        local = f"{f}.{l}"
    elif r < 0.45:
        local = f"{f[0]}{l}"
    elif r < 0.55:
        local = f"{f}_{l}{rng.randint(1, 99)}"
    elif r < 0.65:
        local = f"{f}{rng.randint(70, 99)}"
    elif r < 0.72:
        local = f"{f}.{l}+{rng.choice(['alerts', 'ci', 'billing', 'test'])}"
    else:
        local = rng.choice(ROLES)
    return f"{local}@{dom}"


@gen("gsa_email", EMAIL)
def g_gsa_email():
    return (
        f"{rng.choice(['deployer', 'ci-runner', 'backup', 'etl', 'terraform'])}"
        f"@{rng.choice(WORDS)}-prod-{rng.randint(100000, 999999)}.iam.gserviceaccount.com"
    )


@gen("ip", IP)
def g_ip():
    while True:
        s = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        if is_public_ip(s):
            return s


@gen("ip6", IP)
def g_ip6():
    prefixes = [
        0x2A01,
        0x2A02,
        0x2A03,
        0x2A05,
        0x2A00,
        0x2600,
        0x2604,
        0x2607,
        0x2620,
        0x2406,
        0x2400,
        0x2C0F,
        0x2804,
        0x2A0A,
    ]
    while True:
        top = rng.choice(prefixes)
        if rng.random() < 0.5:
            val = (top << 112) | rng.getrandbits(112)
        else:
            val = (top << 112) | (rng.getrandbits(48) << 64) | rng.randint(1, 0xFFFF)
        s = str(ipaddress.IPv6Address(val))
        if is_public_ip(s):
            return s


@gen("card", CARD)
def g_card():
    brand = rng.choices(
        ["visa", "mc", "mc2", "amex", "disc", "jcb", "diners", "visa13"], weights=[30, 20, 6, 12, 10, 8, 6, 3]
    )[0]
    if brand == "visa":
        prefix, n = "4", 16
    elif brand == "visa13":
        prefix, n = "4", 13
    elif brand == "mc":
        prefix, n = str(rng.randint(51, 55)), 16
    elif brand == "mc2":
        prefix, n = str(rng.randint(2221, 2720)), 16
    elif brand == "amex":
        prefix, n = rng.choice(["34", "37"]), 15
    elif brand == "disc":
        prefix, n = rng.choice(["6011", "65"]), 16
    elif brand == "jcb":
        prefix, n = str(rng.randint(3528, 3589)), 16
    else:
        prefix, n = "36", 14
    body = prefix + rs(DIGITS, n - len(prefix) - 1)
    for c in DIGITS:
        if luhn_ok(body + c):
            num = body + c
            break
    sep = rng.choice(["", " ", "-", " ", ""])
    if not sep or n == 13:
        return num
    if n == 15:
        parts = [num[:4], num[4:10], num[10:]]
    elif n == 14:
        parts = [num[:4], num[4:10], num[10:]]
    else:
        parts = [num[i : i + 4] for i in range(0, n, 4)]
    return sep.join(parts)


# --- unlabelled helpers -----------------------------------------------------
@gen("user")
def g_user():
    u = rng.choice(SVC_USERS)
    if rng.random() < 0.3:
        u += str(rng.randint(1, 9))
    return u


@gen("first")
def g_first():
    return rng.choice(FIRST)


@gen("First")
def g_First():
    return rng.choice(FIRST).capitalize()


@gen("Last")
def g_Last():
    return rng.choice(LAST).capitalize()


@gen("company")
def g_company():
    return rng.choice(COMPANIES)


@gen("Company")
def g_Company():
    return " ".join(p.capitalize() for p in rng.choice(COMPANIES).split("-")) + rng.choice(
        [" GmbH", " Ltd", " Inc.", " AB", " S.L.", ""]
    )


@gen("word")
def g_word():
    return rng.choice(WORDS)


@gen("Word")
def g_Word():
    return rng.choice(WORDS).capitalize()


@gen("ENVNAME")
def g_ENVNAME():
    return rng.choice(WORDS).upper()


@gen("host")
def g_host():
    r = rng.random()
    role = rng.choice(HOST_ROLES)
    if r < 0.5:
        return f"{role}{rng.randint(1, 40):02d}.{rng.choice(ENVS)}.{g_company()}.internal"
    if r < 0.8:
        return f"{role}-{rng.randint(1, 9)}.{g_company()}.lan"
    return f"{role}.{rng.choice(ENVS)}.svc.cluster.local"


@gen("pubhost")
def g_pubhost():
    return f"{rng.choice(['app', 'portal', 'api', 'shop', 'status', 'admin', 'dash', 'my'])}.{g_domain()}"


@gen("db")
def g_db():
    return rng.choice(DBS)


@gen("upper_db")
def g_upper_db():
    return rng.choice(DBS).upper() + rng.choice(["", "PRD", "01"])


@gen("region")
def g_region():
    return rng.choice(REGIONS)


@gen("bucket")
def g_bucket():
    return f"{g_company()}-{rng.choice(['backups', 'exports', 'static', 'logs', 'artifacts'])}-{rng.randint(1, 99)}"


@gen("acct")
def g_acct():
    return rng.choice(COMPANIES).replace("-", "")[:14] + rs(LOWER + DIGITS, 4)


@gen("port")
def g_port():
    return str(rng.choice([3000, 5000, 8000, 8080, 8443, 9000, 5432, 3306, 6379, 1025, 2525]))


@gen("privip")
def g_privip():
    r = rng.random()
    if r < 0.45:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r < 0.75:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


@gen("docip")
def g_docip():
    return f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(1, 254)}"


@gen("docip6")
def g_docip6():
    return f"2001:db8:{rng.randint(0, 0xFFFF):x}::{rng.randint(1, 0xFFF):x}"


@gen("ula6")
def g_ula6():
    return f"fd{rs(HEXL, 2)}:{rs(HEXL, 4)}:{rs(HEXL, 4)}::{rng.randint(1, 0xFFF):x}"


@gen("resmail")
def g_resmail():
    local = rng.choice(
        [rng.choice(FIRST), f"{rng.choice(FIRST)}.{rng.choice(LAST)}", rng.choice(ROLES), "test-user", "qa+signup"]
    )
    dom = rng.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            f"{rng.choice(WORDS)}.test",
            f"{rng.choice(WORDS)}.example",
            f"mail.{rng.choice(WORDS)}.invalid",
            "example.com",
        ]
    )
    return f"{local}@{dom}"


@gen("uuid")
def g_uuid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@gen("semver")
def g_semver():
    return f"{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 30)}"


@gen("ver")
def g_ver():
    return g_semver()


@gen("ver4")
def g_ver4():
    v = f"{rng.randint(1, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 60)}.{rng.randint(0, 250)}"
    STATE["allow_ip_like"].add(v)
    return v


@gen("date")
def g_date():
    return f"{rng.randint(2023, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _time():
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


@gen("ts")
def g_ts():
    return f"{g_date()} {_time()},{rng.randint(0, 999):03d}"


@gen("ts_iso")
def g_ts_iso():
    return f"{g_date()}T{_time()}.{rng.randint(0, 999):03d}Z"


@gen("clf_ts")
def g_clf_ts():
    return f"{rng.randint(1, 28):02d}/{rng.choice(MONTHS)}/{rng.randint(2023, 2025)}:{_time()} +0000"


@gen("syslog_ts")
def g_syslog_ts():
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28):2d} {_time()}"


@gen("logcat_ts")
def g_logcat_ts():
    return f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {_time()}.{rng.randint(0, 999):03d}"


@gen("hm")
def g_hm():
    return f"{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}"


@gen("b64user")
def g_b64user():
    return b64(g_user().encode())


@gen("epoch")
def g_epoch():
    return str(rng.randint(1690000000, 1760000000))


@gen("num")
def g_num():
    return str(rng.randint(100, 99999))


@gen("ordernum")
def g_ordernum():
    return "ORD-" + digits(8)


@gen("amount")
def g_amount():
    return f"{rng.randint(5, 2400)}.{rng.randint(0, 99):02d}"


@gen("exp")
def g_exp():
    return f"{rng.randint(1, 12):02d}/{rng.randint(25, 31)}"


@gen("mm")
def g_mm():
    return str(rng.randint(1, 12))


@gen("yyyy")
def g_yyyy():
    return str(rng.randint(2025, 2031))


@gen("cvc")
def g_cvc():
    return f"{rng.randint(100, 999)}"


@gen("twilio_sid")
def g_twilio_sid():
    return "AC" + rs(HEXL, 32)


@gen("rid")
def g_rid():
    return rs(LOWER + DIGITS, 5)


@gen("wg_pub")
def g_wg_pub():
    return b64(rbytes(32))


@gen("digest")
def g_digest():
    return "sha256:" + rs(HEXL, 64)


@gen("csrf")
def g_csrf():
    return rs(ALNUM, 64)


@gen("nonce")
def g_nonce():
    return b64(rbytes(16))


@gen("b64json")
def g_b64json():
    obj = rng.choice(
        [
            {
                "theme": rng.choice(["dark", "light"]),
                "page": rng.randint(1, 40),
                "lang": rng.choice(["en", "de", "pl"]),
            },
            {"event": "page_view", "path": f"/docs/{rng.choice(WORDS)}", "ts": int(g_epoch())},
            {
                "feature_flags": rng.sample(["new-nav", "beta-search", "dark-mode", "fast-checkout"], 2),
                "rollout": rng.randint(1, 100),
            },
            {"replicas": rng.randint(1, 9), "image": f"{rng.choice(WORDS)}:{g_semver()}", "debug": False},
        ]
    )
    return b64(json.dumps(obj).encode())


@gen("b64text")
def g_b64text():
    w = rng.sample(WORDS, 6)
    txt = f"Meeting notes: {w[0]} rollout moved to {g_date()}. Owners: {w[1]} team. Next: {' '.join(w[2:])}.\n"
    return b64(txt.encode())


@gen("sshpub")
def g_sshpub():
    if rng.random() < 0.6:
        return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43)
    return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(B64, 508) + "="


@gen("cert")
def g_cert():
    return "\n".join(pem_lines("CERTIFICATE", "MIID" + rs(B64, 4) + "CCA", 64, (14, 22)))


@gen("pubkey")
def g_pubkey():
    return "\n".join(
        pem_lines("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 64, (6, 6), trailer="IDAQAB")
    )


@gen("pgp_pub")
def g_pgp_pub():
    lines = ["-----BEGIN PGP PUBLIC KEY BLOCK-----", ""]
    body = "mQINBG" + rs(B64, 64 * rng.randint(8, 12))
    lines += [body[i : i + 64] for i in range(0, len(body), 64)]
    lines += ["=" + rs(B64, 4), "-----END PGP PUBLIC KEY BLOCK-----"]
    return "\n".join(lines)


@gen("jwks_n")
def g_jwks_n():
    return b64u(rbytes(256))


@gen("bcrypt")
def g_bcrypt():
    return f"$2{rng.choice('aby')}${rng.choice(['10', '12', '12', '14'])}$" + rs(CRYPT64, 53)


@gen("argon2")
def g_argon2():
    return (
        f"$argon2id$v=19$m={rng.choice([19456, 65536, 47104])},t={rng.randint(2, 4)},p=1$"
        + b64(rbytes(16)).rstrip("=")
        + "$"
        + b64(rbytes(32)).rstrip("=")
    )


@gen("pbkdf2")
def g_pbkdf2():
    return f"pbkdf2_sha256${rng.choice([600000, 720000, 870000])}${rs(ALNUM, 22)}${b64(rbytes(32))}"


@gen("shacrypt")
def g_shacrypt():
    return "$6$" + rs(CRYPT64, 16) + "$" + rs(CRYPT64, 86)


@gen("md5crypt")
def g_md5crypt():
    return "$1$" + rs(CRYPT64, 4) + "$" + rs(CRYPT64, 22)


@gen("ssha")
def g_ssha():
    return "{SSHA}" + b64(rbytes(24))


@gen("scram")
def g_scram():
    return f"SCRAM-SHA-256$4096:{b64(rbytes(16))}${b64(rbytes(32))}:{b64(rbytes(32))}"


@gen("mysqlhash")
def g_mysqlhash():
    return "*" + rs(HEXU, 40)


@gen("pk_live")
def g_pk_live():
    return "pk_live_" + ("51" + rs(ALNUM, 97) if rng.random() < 0.6 else rs(ALNUM, 24))


@gen("mapbox_pk")
def g_mapbox_pk():
    return g_mapbox("pk")


@gen("recaptcha")
def g_recaptcha():
    return "6L" + rs(B64URL, 38)


@gen("gclientid")
def g_gclientid():
    return f"{digits(12)}-{rs(LOWER + DIGITS, 32)}.apps.googleusercontent.com"


@gen("vaultblob")
def g_vaultblob():
    lines = ["$ANSIBLE_VAULT;1.1;AES256"] + [rs(HEXL, 80) for _ in range(rng.randint(4, 7))]
    return "\n".join(lines)


@gen("sopsenc")
def g_sopsenc():
    return (
        f"ENC[AES256_GCM,data:{b64(rbytes(rng.randint(10, 30)))},iv:{b64(rbytes(32))},tag:{b64(rbytes(16))},type:str]"
    )


@gen("sealed")
def g_sealed():
    return "AgB" + rs(B64, rng.randint(300, 420)) + "=="


@gen("jenkins_enc")
def g_jenkins_enc():
    return "{AQAAABAAAAAQ" + rs(B64, 64) + "=}"


@gen("traceparent")
def g_traceparent():
    return f"00-{rs(HEXL, 32)}-{rs(HEXL, 16)}-01"


@gen("xray")
def g_xray():
    return f"Root=1-{rs(HEXL, 8)}-{rs(HEXL, 24)};Parent={rs(HEXL, 16)};Sampled=1"


@gen("lorem_ident")
def g_lorem_ident():
    return rs(LOWER, 1) + rs(LOWER + UPPER, rng.randint(0, 2))


def pattern_kind(kind):
    """Patterned kinds: d<N>, nhex<N>, HEX<N>, nalnum<N>, lower<N>, upper<N>,
    nb64_<N> (unlabelled) and key<N>, hex<N>, b64_<N> (SECRET)."""
    m = re.fullmatch(r"(d|nhex|HEX|nalnum|lower|upper|nb64_|key|hex|b64_)(\d+)", kind)
    if not m:
        return None
    t, n = m.group(1), int(m.group(2))
    if t == "d":
        return None, (lambda: digits(n, "1" if n >= 12 else None))
    if t == "nhex":
        return None, (lambda: rs(HEXL, n))
    if t == "HEX":
        return None, (lambda: rs(HEXU, n))
    if t == "nalnum":
        return None, (lambda: rs(ALNUM, n))
    if t == "lower":
        return None, (lambda: rs(LOWER, n))
    if t == "upper":
        return None, (lambda: rs(UPPER + DIGITS, n))
    if t == "nb64_":
        return None, (lambda: b64(rbytes(n)))
    if t == "key":
        return SECRET, (lambda: rs(ALNUM, n))
    if t == "hex":
        return SECRET, (lambda: rs(HEXL, n))
    if t == "b64_":
        return SECRET, (lambda: b64(rbytes(n)))
    return None


VENDOR_ENV = [
    ("GITHUB_TOKEN", "gh_pat"),
    ("GITLAB_TOKEN", "gl_pat"),
    ("SLACK_BOT_TOKEN", "slack_bot"),
    ("STRIPE_SECRET_KEY", "stripe_sk"),
    ("SENDGRID_API_KEY", "sendgrid"),
    ("MAILGUN_API_KEY", "mailgun"),
    ("NPM_TOKEN", "npm"),
    ("HUGGING_FACE_HUB_TOKEN", "hf"),
    ("OPENAI_API_KEY", "openai"),
    ("ANTHROPIC_API_KEY", "anthropic"),
    ("DISCORD_BOT_TOKEN", "discord"),
    ("TELEGRAM_BOT_TOKEN", "telegram"),
    ("NEW_RELIC_API_KEY", "newrelic"),
    ("SENTRY_AUTH_TOKEN", "sentry_token"),
    ("HEROKU_API_KEY", "heroku"),
    ("DIGITALOCEAN_TOKEN", "do_token"),
    ("CLOUDFLARE_API_TOKEN", "cf_token"),
    ("VAULT_TOKEN", "vault"),
    ("LINEAR_API_KEY", "linear"),
    ("NOTION_TOKEN", "notion"),
    ("POSTMAN_API_KEY", "postman"),
    ("SQUARE_ACCESS_TOKEN", "square"),
    ("OKTA_API_TOKEN", "okta"),
    ("MAPBOX_SECRET_TOKEN", "mapbox_sk"),
    ("ATLASSIAN_API_TOKEN", "atlassian"),
    ("GRAFANA_SA_TOKEN", "grafana"),
    ("PULUMI_ACCESS_TOKEN", "pulumi"),
    ("DOPPLER_TOKEN", "doppler"),
    ("DATABRICKS_TOKEN", "databricks"),
    ("SUPABASE_ACCESS_TOKEN", "supabase"),
    ("NETLIFY_AUTH_TOKEN", "netlify"),
    ("FIGMA_TOKEN", "figma"),
    ("AIRTABLE_TOKEN", "airtable"),
    ("DOCKERHUB_TOKEN", "dockerhub"),
    ("PYPI_API_TOKEN", "pypi"),
    ("TWILIO_API_KEY", "twilio_sk"),
    ("SHOPIFY_ACCESS_TOKEN", "shopify"),
    ("GOOGLE_MAPS_API_KEY", "gcp_key"),
    ("AWS_SECRET_ACCESS_KEY", "aws_secret"),
    ("AZURE_CLIENT_SECRET", "azure_client_secret"),
    ("BITBUCKET_APP_PASSWORD", "bb_app"),
    ("DD_API_KEY", "dd_api"),
    ("CIRCLECI_TOKEN", "circleci"),
    ("BUILDKITE_API_TOKEN", "buildkite"),
    ("GEM_HOST_API_KEY", "rubygems"),
    ("NUGET_API_KEY", "nuget"),
    ("CARGO_REGISTRY_TOKEN", "crates"),
    ("DROPBOX_ACCESS_TOKEN", "dropbox"),
    ("PLANETSCALE_PASSWORD", "pscale"),
    ("FCM_SERVER_KEY", "fcm"),
    ("SOPS_AGE_KEY", "age"),
    ("TFE_TOKEN", "tfc"),
    ("MAILCHIMP_API_KEY", "mailchimp"),
    ("GITLAB_RUNNER_TOKEN", "gl_runner"),
    ("CF_API_KEY", "cf_global"),
]


def produce(kind):
    """Return a list of (text, entity-or-None, kind) pieces for one placeholder."""
    if kind == "vendor_env":
        choices = [v for v in VENDOR_ENV if v[0] not in STATE["used_env"]]
        name, vk = rng.choice(choices)
        STATE["used_env"].add(name)
        return [(name + "=", None, None)] + produce(vk)
    m = re.fullmatch(r"pem_(rsa|ec|openssh|pkcs8|enc)_(json|i(\d+))", kind)
    if m:
        lines = pem_private(m.group(1))
        joiner = "\\n" if m.group(2) == "json" else "\n" + " " * int(m.group(3))
        val = joiner.join(lines) + ("\\n" if m.group(2) == "json" else "")
        if m.group(2) == "json":
            return [(val[:-2], SECRET, "pem_" + m.group(1)), ("\\n", None, None)]
        return [(val, SECRET, "pem_" + m.group(1))]
    if kind in GEN:
        ent, f = GEN[kind]
    else:
        pk = pattern_kind(kind)
        if pk is None:
            fail(f"unknown placeholder kind {kind!r}")
        ent, f = pk
    for _ in range(200):
        val = f()
        if ent != SECRET or kind.startswith("pem_"):
            break
        if val[0].isalnum() and val[-1] not in ".,!?:;" and val.strip() == val:
            break
    else:
        fail(f"could not generate a well-formed value for {kind}")
    return [(val, ent, kind)]


PH_RE = re.compile(r"«([A-Za-z0-9_]+)(?::([A-Za-z0-9_]+))?»")


def render(tpl):
    """Render a template; returns (text, spans, span_meta)."""
    STATE["allow_ip_like"] = set()
    STATE["used_env"] = set()
    out, spans, meta = [], [], []
    pos, last, cache = 0, 0, {}
    for m in PH_RE.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        kind, ref = m.group(1), m.group(2)
        if ref is not None and (kind, ref) in cache:
            pieces = cache[(kind, ref)]
        else:
            pieces = produce(kind)
            if ref is not None:
                cache[(kind, ref)] = pieces
        for text, ent, k in pieces:
            if ent:
                spans.append({"start": pos, "end": pos + len(text), "entity": ent})
                meta.append((k, text))
            out.append(text)
            pos += len(text)
        last = m.end()
    out.append(tpl[last:])
    text = "".join(out)
    for s, (k, v) in zip(spans, meta):
        if text[s["start"] : s["end"]] != v:
            fail(f"offset mismatch for {k}")
    if "«" in text or "»" in text:
        fail("unrendered placeholder in: " + text[:200])
    return text, spans, meta


# ---------------------------------------------------------------------------
# scanner used on negatives and on the unlabelled parts of positives
# ---------------------------------------------------------------------------
SCAN_IP_RE = re.compile(r"(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\d)(?!\.\d)")
SCAN_CARD_RE = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
SCAN_EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")


def mask(text, spans):
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            chars[i] = "\x00"
    return "".join(chars)


def scan(text, allow_ip_like=()):
    hits = []
    for m in SCAN_IP_RE.finditer(text):
        if is_public_ip(m.group(0)) and m.group(0) not in allow_ip_like:
            hits.append(("ipv4", m.group(0)))
    for m in SCAN_CARD_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group(0))
        if luhn_ok(d) and card_brand(d):
            hits.append(("card", m.group(0)))
    for m in SCAN_EMAIL_RE.finditer(text):
        if not is_reserved_domain(m.group(1)):
            hits.append(("email", m.group(0)))
    return hits


# ===========================================================================
# POSITIVE TEMPLATES  (context, lang, text)
# ===========================================================================
POS = []


def P(context, lang, text):
    POS.append((context, lang, text.strip("\n")))


# ---------------------------------------------------------------- Python ---
P(
    "python_source",
    "en",
    r"""
import pymysql

# nightly export of churned accounts; runs from cron on the reporting box
db = pymysql.connect("«privip»", "«user»", "«pw»", "«db»")
with db.cursor() as cur:
    cur.execute("SELECT id, plan, closed_at FROM accounts WHERE closed_at > %s", (cutoff,))
    rows = cur.fetchall()
""",
)

P(
    "python_source",
    "en",
    r"""
import smtplib
from email.message import EmailMessage


def send_report(body: str) -> None:
    msg = EmailMessage()
    msg["From"] = "«email:f»"
    msg["To"] = "«email»"
    msg["Subject"] = "Backup report"
    msg.set_content(body)
    with smtplib.SMTP("smtp.«domain»", 587) as smtp:
        smtp.starttls()
        smtp.login("«email:f»", "«pw»")
        smtp.send_message(msg)
""",
)

P(
    "python_source",
    "en",
    r"""
import paramiko

ssh = paramiko.SSHClient()
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
ssh.connect("«ip»", 22, "«user»", "«pw»", timeout=10)
stdin, stdout, stderr = ssh.exec_command("systemctl restart worker")
""",
)

P(
    "python_source",
    "en",
    r"""
from ldap3 import Server, Connection, ALL

server = Server("ldaps://«ip»:636", get_info=ALL)
conn = Connection(server, "cn=«user»,ou=services,dc=«company:c»,dc=net", "«pw»", auto_bind=True)
conn.search("ou=people,dc=«company:c»,dc=net", "(mail=*)", attributes=["mail", "uid"])
""",
)

P(
    "python_source",
    "en",
    r"""
import redis
import pika

cache = redis.Redis("«privip»", 6379, 0, "«pw»")
creds = pika.PlainCredentials("«user»", "«pw»")
params = pika.ConnectionParameters("«host»", 5672, "/jobs", creds)
""",
)

P(
    "python_source",
    "en",
    r"""
import paho.mqtt.client as mqtt

client = mqtt.Client(client_id="edge-gw-«num»")
client.username_pw_set("«user»", "«pw»")
client.tls_set()
client.connect("«ip»", 8883, keepalive=60)
""",
)

P(
    "python_source",
    "en",
    r"""
import requests

API_KEY = "«hex32»"


def fetch_invoices(page):
    r = requests.get(
        "https://billing.«domain»/api/v2/invoices",
        params={"page": page},
        auth=("«user»", "«pw»"),
        headers={"X-Api-Key": API_KEY},
        timeout=30,
    )
    r.raise_for_status()
    return r.json()
""",
)

P(
    "python_source",
    "en",
    r"""
import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="«aws_akid»",
    aws_secret_access_key="«aws_secret»",
    region_name="«region»",
)
s3.upload_file("/tmp/export.csv", "«bucket»", "exports/export.csv")
""",
)

P(
    "django_settings",
    "en",
    r"""
# settings/production.py
SECRET_KEY = '«django»'
DEBUG = False
ALLOWED_HOSTS = ["«pubhost»"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "«db»",
        "USER": "«user»",
        "PASSWORD": "«pw»",
        "HOST": "«privip»",
        "PORT": "5432",
    }
}

EMAIL_HOST = "smtp.«domain»"
EMAIL_HOST_USER = "«email»"
EMAIL_HOST_PASSWORD = "«pw»"
""",
)

P(
    "python_source",
    "en",
    r"""
from ftplib import FTP_TLS

ftps = FTP_TLS("«ip»")
ftps.login("«user»", "«pwu»")
ftps.prot_p()
with open("daily.zip", "rb") as fh:
    ftps.storbinary("STOR incoming/daily.zip", fh)
""",
)

P(
    "python_source",
    "de",
    r"""
# Zugangsdaten für den Exportdienst (TODO: in den Vault verschieben)
BENUTZER = "«user»"
KENNWORT = "«pw»"
SERVER = "«ip»"


def verbinden():
    # Verbindung zum Altsystem aufbauen
    return Client(SERVER, BENUTZER, KENNWORT)
""",
)

P(
    "python_source",
    "en",
    r"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    github_token: str = "«gh_pat»"
    sentry_token: str = "«sentry_token»"
    slack_webhook: str = "«slack_webhook»"
    timeout: int = 30
""",
)

P(
    "python_source",
    "en",
    r"""
from sqlalchemy import create_engine

engine = create_engine(
    "mssql+pyodbc://«user»:«pwu»@«ip»:1433/«db»?driver=ODBC+Driver+18+for+SQL+Server",
    pool_pre_ping=True,
)
""",
)

P(
    "python_source",
    "en",
    r"""
from openai import OpenAI
import anthropic

oa = OpenAI(api_key="«openai»")
claude = anthropic.Anthropic(api_key="«anthropic»")
""",
)

P(
    "python_source",
    "en",
    r"""
from huggingface_hub import login
from slack_sdk import WebClient

login("«hf»")
slack = WebClient("«slack_bot»")
slack.chat_postMessage(channel="#ml-builds", text="model pushed")
""",
)

P(
    "python_source",
    "en",
    r"""
from telegram.ext import ApplicationBuilder

app = ApplicationBuilder().token("«telegram»").build()
ADMIN_CHAT = «num»
""",
)

P(
    "jupyter_notebook",
    "en",
    r"""
{
 "cells": [
  {
   "cell_type": "code",
   "source": [
    "import snowflake.connector\n",
    "con = snowflake.connector.connect(user=\"«user»\", password=\"«pw»\", account=\"«acct»\")\n"
   ]
  }
 ]
}
""",
)

P(
    "python_source",
    "en",
    r"""
from google.cloud import storage
import googlemaps

gmaps = googlemaps.Client(key="«gcp_key»")
OAUTH_CLIENT_SECRET = "«gcp_oauth»"
""",
)

P(
    "python_source",
    "en",
    r"""
import hvac

client = hvac.Client(url="https://vault.«domain»:8200", token="«vault»")
secret = client.secrets.kv.v2.read_secret_version(path="payments/stripe")
""",
)

P(
    "odbc_connection_string",
    "en",
    r"""
conn_str = (
    "DRIVER={PostgreSQL Unicode};SERVER=«privip»;PORT=5432;"
    "DATABASE=«db»;UID=«user»;PWD=«pw»;sslmode=require"
)
cnxn = pyodbc.connect(conn_str)
""",
)

P(
    "python_source",
    "zh",
    r"""
# 数据库连接配置（测试环境，上线前请修改）
DB_HOST = "«privip»"
yonghu = "«user»"
mima = "«pw»"  # 数据库密码
""",
)

P(
    "python_source",
    "ru",
    r"""
# настройки подключения к шлюзу учёта
polzovatel = "«user»"
parol = "«pw»"  # пароль сервисной учётной записи
adres = "https://«ip»/api"
""",
)

P(
    "python_source",
    "en",
    r"""
# TODO: remove before release - used to reproduce the 3DS bug from ticket PAY-«num»
FALLBACK_CARD = "«card»"
FALLBACK_EXP = "«exp»"
MERCHANT_KEY = "«key32»"
""",
)

# ------------------------------------------------------------- JS / TS ---
P(
    "javascript_source",
    "en",
    r"""
const mysql = require('mysql2/promise');

const pool = mysql.createPool({
  host: '«privip»',
  user: '«user»',
  password: '«pw»',
  database: '«db»',
  connectionLimit: 10,
});
""",
)

P(
    "javascript_source",
    "en",
    r"""
const nodemailer = require('nodemailer');

const transporter = nodemailer.createTransport({
  host: 'smtp.«domain»',
  port: 465,
  secure: true,
  auth: { user: '«email»', pass: '«pw»' },
});
""",
)

P(
    "javascript_source",
    "en",
    r"""
const mongoose = require('mongoose');

mongoose.connect('mongodb+srv://«user»:«pwu»@cluster0.«rid».mongodb.net/«db»?retryWrites=true&w=majority');
""",
)

P(
    "javascript_source",
    "en",
    r"""
const stripe = require('stripe')('«stripe_sk»');
const endpointSecret = '«stripe_whsec»';

app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret);
  res.sendStatus(200);
});
""",
)

P(
    "typescript_source",
    "en",
    r"""
import Redis from 'ioredis';

export const redis = new Redis(6379, '«privip»', {
  password: '«pw»',
  db: 2,
});
""",
)

P(
    "javascript_source",
    "en",
    r"""
const { Client, GatewayIntentBits } = require('discord.js');

const client = new Client({ intents: [GatewayIntentBits.Guilds] });
client.login('«discord»');
""",
)

P(
    "typescript_source",
    "en",
    r"""
import axios from 'axios';

export const legacyApi = axios.create({
  baseURL: 'https://«ip»:8443/api',
  auth: { username: '«user»', password: '«pw»' },
});

export const partnerApi = axios.create({
  baseURL: 'https://partner.«domain»/v1',
  headers: { Authorization: 'Bearer «jwt»' },
});
""",
)

P(
    "javascript_source",
    "en",
    r"""
const { Client } = require('ssh2');

const conn = new Client();
conn.connect({
  host: '«ip»',
  port: 22,
  username: '«user»',
  privateKey: `«pem_openssh»`,
});
""",
)

P(
    "typescript_source",
    "en",
    r"""
import { S3Client } from '@aws-sdk/client-s3';

const s3 = new S3Client({
  region: '«region»',
  credentials: {
    accessKeyId: '«aws_akid»',
    secretAccessKey: '«aws_secret»',
  },
});
""",
)

P(
    "javascript_source",
    "en",
    r"""
async function pushToDevice(deviceToken, title) {
  return fetch('https://fcm.googleapis.com/fcm/send', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: 'key=«fcm»',
    },
    body: JSON.stringify({ to: deviceToken, notification: { title } }),
  });
}
""",
)

P(
    "javascript_source",
    "en",
    r"""
// next.config.js
module.exports = {
  env: {
    MAPBOX_SECRET: '«mapbox_sk»',
    ALGOLIA_ADMIN_KEY: '«algolia_admin»',
    ALGOLIA_APP_ID: '«upper10»',
  },
};
""",
)

P(
    "javascript_source",
    "en",
    r"""
const twilio = require('twilio');

const client = twilio('«twilio_sid»', '«twilio_token»');
client.messages.create({ from: process.env.TWILIO_FROM, to: process.argv[2], body: 'Your code is ready' });
""",
)

P(
    "typescript_source",
    "en",
    r"""
export const config = {
  openai: { apiKey: '«openai»' },
  notion: { token: '«notion»' },
  linear: { apiKey: '«linear»' },
  postman: { apiKey: '«postman»' },
} as const;
""",
)

P(
    "javascript_source",
    "en",
    r"""
const { WebClient } = require('@slack/web-api');

const userClient = new WebClient('«slack_user»');
const botClient = new WebClient('«slack_bot»');
""",
)

P(
    "typescript_source",
    "en",
    r"""
// checkout.spec.ts was failing on staging, card copied from the support ticket
const card = { number: '«card»', exp: '«exp»', cvc: '«cvc»' };
const customerEmail = '«email»';
""",
)

# ----------------------------------------------------------------- Java ---
P(
    "java_source",
    "en",
    r"""
public class LegacyDao {
    private static final String URL = "jdbc:postgresql://«privip»:5432/«db»";

    public Connection open() throws SQLException {
        return DriverManager.getConnection(URL, "«user»", "«pw»");
    }
}
""",
)

P(
    "java_source",
    "en",
    r"""
Properties props = new Properties();
props.put("mail.smtp.auth", "true");
props.put("mail.smtp.starttls.enable", "true");
Session session = Session.getInstance(props);
Transport transport = session.getTransport("smtp");
transport.connect("smtp.«domain»", 587, "«email»", "«pw»");
""",
)

P(
    "java_source",
    "en",
    r"""
JSch jsch = new JSch();
Session session = jsch.getSession("«user»", "«ip»", 22);
session.setPassword("«pw»");
session.setConfig("StrictHostKeyChecking", "no");
session.connect(15000);
""",
)

P(
    "spring_properties",
    "en",
    r"""
spring.datasource.url=jdbc:mysql://«privip»:3306/«db»?useSSL=true
spring.datasource.username=«user»
spring.datasource.password=«pw»
spring.mail.host=smtp.«domain»
spring.mail.username=«email»
spring.mail.password=«pw»
jwt.signing-key=«b64_32»
""",
)

P(
    "spring_yaml",
    "en",
    r"""
spring:
  datasource:
    url: jdbc:oracle:thin:@//«ip»:1521/«upper_db»
    username: «user»
    password: "«pw»"
  rabbitmq:
    host: «host»
    username: «user»
    password: «pwu»
security:
  oauth2:
    client:
      client-secret: «auth0_secret»
""",
)

P(
    "java_source",
    "en",
    r"""
public final class Keys {
    public static final String SENDGRID_API_KEY = "«sendgrid»";
    public static final String MAILCHIMP_KEY = "«mailchimp»";

    private Keys() {}
}
""",
)

P(
    "java_source",
    "en",
    r"""
Jedis jedis = new Jedis("«privip»", 6379);
jedis.auth("«pw»");

ConnectionFactory factory = new ConnectionFactory();
factory.setHost("«host»");
factory.setUsername("«user»");
factory.setPassword("«pw»");
""",
)

P(
    "java_source",
    "pl",
    r"""
// połączenie z bazą magazynową – hasło tymczasowe, zmienić po migracji
String uzytkownik = "«user»";
String haslo = "«pw»";
Connection c = DriverManager.getConnection("jdbc:sqlserver://«ip»:1433;databaseName=«db»", uzytkownik, haslo);
""",
)

P(
    "java_source",
    "en",
    r"""
Hashtable<String, String> env = new Hashtable<>();
env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
env.put(Context.PROVIDER_URL, "ldap://«ip»:389");
env.put(Context.SECURITY_PRINCIPAL, "uid=«user»,ou=system");
env.put(Context.SECURITY_CREDENTIALS, "«pw»");
DirContext ctx = new InitialDirContext(env);
""",
)

P(
    "java_source",
    "en",
    r"""
AmazonS3 s3 = AmazonS3ClientBuilder.standard()
    .withCredentials(new AWSStaticCredentialsProvider(
        new BasicAWSCredentials("«aws_akid»", "«aws_secret»")))
    .withRegion("«region»")
    .build();
""",
)

# --------------------------------------------------------------- Kotlin ---
P(
    "kotlin_source",
    "en",
    r"""
val dataSource = HikariDataSource().apply {
    jdbcUrl = "jdbc:postgresql://«host»:5432/«db»"
    username = "«user»"
    password = "«pw»"
    maximumPoolSize = 8
}
""",
)

P(
    "kotlin_source",
    "en",
    r"""
private val client = OkHttpClient.Builder()
    .addInterceptor { chain ->
        chain.proceed(
            chain.request().newBuilder()
                .addHeader("PRIVATE-TOKEN", "«gl_pat»")
                .build()
        )
    }
    .build()
""",
)

P(
    "kotlin_source",
    "en",
    r"""
object BuildSecrets {
    const val TELEGRAM_TOKEN = "«telegram»"
    const val SQUARE_ACCESS_TOKEN = "«square»"
    const val SUPPORT_EMAIL = "«email»"
}
""",
)

P(
    "kotlin_source",
    "en",
    r"""
val mqtt = MqttClient("ssl://«ip»:8883", MqttClient.generateClientId())
val opts = MqttConnectOptions().apply {
    userName = "«user»"
    password = "«pw»".toCharArray()
}
mqtt.connect(opts)
""",
)

P(
    "kotlin_source",
    "en",
    r"""
val jedis = JedisPooled("«privip»", 6379, "«user»", "«pw»")
val ldap = LDAPConnection("«ip»", 389, "cn=«user»,ou=svc,dc=corp", "«pw»")
""",
)

# ------------------------------------------------------------------- C# ---
P(
    "csharp_source",
    "en",
    r"""
using var conn = new SqlConnection(
    "Server=«ip»,1433;Database=«db»;User Id=«user»;Password=«pw»;TrustServerCertificate=True;");
await conn.OpenAsync();
""",
)

P(
    "appsettings_json",
    "en",
    r"""
{
  "ConnectionStrings": {
    "Default": "Host=«privip»;Port=5432;Database=«db»;Username=«user»;Password=«pw»"
  },
  "Jwt": {
    "Issuer": "https://auth.«domain»",
    "Key": "«b64_32»"
  },
  "Smtp": {
    "User": "«email»",
    "Password": "«pw»"
  }
}
""",
)

P(
    "csharp_source",
    "en",
    r"""
var smtp = new SmtpClient("smtp.«domain»", 587)
{
    EnableSsl = true,
    Credentials = new NetworkCredential("«email:f»", "«pw»")
};
smtp.Send("«email:f»", "«email»", "Disk usage alert", body);
""",
)

P(
    "csharp_source",
    "en",
    r"""
private const string StorageConn =
    "DefaultEndpointsProtocol=https;AccountName=«acct»;AccountKey=«azure_storage»;EndpointSuffix=core.windows.net";

var blobService = new BlobServiceClient(StorageConn);
var sasUri = new Uri("https://«acct».blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-01-31T00:00:00Z&spr=https&sig=«azure_sig»");
""",
)

P(
    "csharp_source",
    "en",
    r"""
var credential = new ClientSecretCredential(
    "«uuid»",
    "«uuid»",
    "«azure_client_secret»");
var graph = new GraphServiceClient(credential);
""",
)

P(
    "csharp_source",
    "en",
    r"""
var client = new MongoClient("mongodb://«user»:«pwu»@«ip»:27017/?authSource=admin");
var factory = new ConnectionFactory { HostName = "«host»", UserName = "«user»", Password = "«pw»" };
""",
)

P(
    "web_config",
    "en",
    r"""
<configuration>
  <connectionStrings>
    <add name="Erp" connectionString="Data Source=«ip»;Initial Catalog=«db»;User ID=«user»;Password=«pw»" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <appSettings>
    <add key="PayPalClientSecret" value="«paypal_secret»" />
  </appSettings>
</configuration>
""",
)

P(
    "csharp_source",
    "en",
    r"""
var ftp = new FtpClient("«ip»", "«user»", "«pw»");
await ftp.ConnectAsync();
var sftp = new SftpClient("«ip»", 22, "«user»", "«pw»");
sftp.Connect();
""",
)

# ------------------------------------------------------------------- Go ---
P(
    "go_source",
    "en",
    r"""
db, err := sql.Open("mysql", "«user»:«pwu»@tcp(«ip»:3306)/«db»?parseTime=true")
if err != nil {
    log.Fatal(err)
}
""",
)

P(
    "go_source",
    "en",
    r"""
// datadog reporter settings
cfg := &Config{
    Host:   "«host»",
    User:   "«user»",
    Password: "«pw»",
    APIKey: "«dd_api»",
    AppKey: "«dd_app»",
}
""",
)

P(
    "go_source",
    "en",
    r"""
auth := smtp.PlainAuth("", "«email:f»", "«pw»", "smtp.«domain:d»")
err := smtp.SendMail("smtp.«domain:d»:587", auth, "«email:f»", []string{"«email»"}, msg)
""",
)

P(
    "go_source",
    "en",
    r"""
config := &ssh.ClientConfig{
    User: "«user»",
    Auth: []ssh.AuthMethod{
        ssh.Password("«pw»"),
    },
    HostKeyCallback: ssh.InsecureIgnoreHostKey(),
}
client, err := ssh.Dial("tcp", "«ip»:22", config)
""",
)

P(
    "go_source",
    "en",
    r"""
var registryTokens = map[string]string{
    "github": "«gh_pat»",
    "npm":    "«npm»",
    "docker": "«dockerhub»",
    "pypi":   "«pypi»",
}
""",
)

P(
    "go_source",
    "en",
    r"""
l, err := ldap.DialURL("ldap://«ip»:389")
if err != nil {
    return err
}
defer l.Close()
if err := l.Bind("cn=«user»,dc=«company»,dc=local", "«pw»"); err != nil {
    return fmt.Errorf("bind failed: %w", err)
}
""",
)

P(
    "go_source",
    "en",
    r"""
rdb := redis.NewClient(&redis.Options{
    Addr:     "«privip»:6379",
    Password: "«pw»",
    DB:       0,
})
nc, _ := nats.Connect("nats://«user»:«pwu»@«ip»:4222")
""",
)

P(
    "go_source",
    "tr",
    r"""
// Veritabanı bağlantı bilgileri
var (
    kullaniciAdi = "«user»"
    sifre        = "«pw»"
    sunucu       = "«ip»:5432"
)
""",
)

P(
    "go_source",
    "en",
    r"""
client := github.NewClient(nil).WithAuthToken("«gh_app»")
gl, err := gitlab.NewClient("«gl_pat»", gitlab.WithBaseURL("https://gitlab.«domain»/api/v4"))
""",
)

# ----------------------------------------------------------------- Rust ---
P(
    "rust_source",
    "en",
    r"""
let pool = PgPoolOptions::new()
    .max_connections(5)
    .connect("postgres://«user»:«pwu»@«privip»/«db»")
    .await?;
""",
)

P(
    "rust_source",
    "en",
    r"""
const LINEAR_TOKEN: &str = "«linear»";
const CF_API_TOKEN: &str = "«cf_token»";
static DEFAULT_TIMEOUT_SECS: u64 = 30;
""",
)

P(
    "rust_source",
    "en",
    r"""
let creds = Credentials::new("«email»".to_owned(), "«pw»".to_owned());
let mailer = SmtpTransport::relay("smtp.«domain»")?
    .credentials(creds)
    .build();
""",
)

P(
    "rust_source",
    "en",
    r"""
let resp = reqwest::Client::new()
    .get("https://«ip»/api/v1/status")
    .basic_auth("«user»", Some("«pw»"))
    .send()
    .await?;
""",
)

P(
    "rust_source",
    "en",
    r"""
let client = redis::Client::open("redis://:«pwu»@«ip»:6380/")?;
let amqp = Connection::connect("amqp://«user»:«pwu»@«privip»:5672/%2f", ConnectionProperties::default()).await?;
""",
)

# ----------------------------------------------------------------- Ruby ---
P(
    "rails_database_yml",
    "en",
    r"""
production:
  adapter: postgresql
  host: «privip»
  database: «db»
  username: «user»
  password: «pw»
  pool: 10
""",
)

P(
    "ruby_source",
    "en",
    r"""
require 'net/smtp'

Net::SMTP.start('smtp.«domain:d»', 587, '«domain:d»', '«email:f»', '«pw»', :login) do |smtp|
  smtp.send_message(message, '«email:f»', '«email»')
end
""",
)

P(
    "ruby_source",
    "en",
    r"""
require 'net/ftp'

Net::FTP.open('«ip»', '«user»', '«pwu»') do |ftp|
  ftp.passive = true
  ftp.putbinaryfile('reports/weekly.csv')
end
""",
)

P(
    "ruby_source",
    "en",
    r"""
client = Octokit::Client.new(access_token: '«gh_pat»')
ShopifyAPI::Context.setup(api_key: '«nhex32»', api_secret_key: '«shopify_ss»', host_name: '«pubhost»')
""",
)

P(
    "ruby_source",
    "en",
    r"""
Sidekiq.configure_server do |config|
  config.redis = { url: 'redis://:«pwu»@«privip»:6379/0' }
end
Rails.application.config.x.heroku_api_key = '«heroku»'
""",
)

P(
    "ruby_source",
    "en",
    r"""
Aws.config.update(
  region: '«region»',
  credentials: Aws::Credentials.new('«aws_akid»', '«aws_secret»')
)
""",
)

# ------------------------------------------------------------------ PHP ---
P(
    "php_source",
    "en",
    r"""
<?php
$pdo = new PDO("mysql:host=«privip»;dbname=«db»;charset=utf8mb4", "«user»", "«pw»", [
    PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
]);
""",
)

P(
    "php_source",
    "en",
    r"""
<?php
$link = mysqli_connect("«ip»", "«user»", "«pw»", "«db»");
if (!$link) {
    die("Connect failed: " . mysqli_connect_error());
}
""",
)

P(
    "php_source",
    "en",
    r"""
<?php
$mail = new PHPMailer(true);
$mail->isSMTP();
$mail->Host = 'smtp.«domain»';
$mail->SMTPAuth = true;
$mail->Username = '«email:f»';
$mail->Password = '«pw»';
$mail->setFrom('«email:f»', 'Shop');
""",
)

P(
    "laravel_env",
    "en",
    r"""
APP_KEY=base64:«b64_32»
DB_CONNECTION=mysql
DB_HOST=«privip»
DB_DATABASE=«db»
DB_USERNAME=«user»
DB_PASSWORD=«pw»
MAIL_USERNAME=«email»
MAIL_PASSWORD=«pw»
PUSHER_APP_SECRET=«hex20»
""",
)

P(
    "wp_config",
    "en",
    r"""
<?php
define( 'DB_NAME', '«db»' );
define( 'DB_USER', '«user»' );
define( 'DB_PASSWORD', '«pw»' );
define( 'DB_HOST', '«privip»' );
define( 'AUTH_KEY',         '«wpsalt»' );
define( 'SECURE_AUTH_KEY',  '«wpsalt»' );
""",
)

P(
    "php_source",
    "en",
    r"""
<?php
$ds = ldap_connect("ldaps://«ip»");
ldap_set_option($ds, LDAP_OPT_PROTOCOL_VERSION, 3);
$bound = ldap_bind($ds, "cn=«user»,ou=apps,dc=«company»,dc=org", "«pw»");
""",
)

P(
    "composer_auth_json",
    "en",
    r"""
{
    "http-basic": {
        "repo.«domain»": {
            "username": "«user»",
            "password": "«pw»"
        }
    },
    "github-oauth": {
        "github.com": "«gh_oauth»"
    }
}
""",
)

P(
    "php_source",
    "en",
    r"""
<?php
return [
    'stripe' => [
        'secret' => '«stripe_sk»',
        'webhook_secret' => '«stripe_whsec»',
    ],
    'twilio' => [
        'sid' => '«twilio_sid»',
        'token' => '«twilio_token»',
        'api_key' => '«twilio_sk»',
    ],
];
""",
)

# ----------------------------------------------------------------- Perl ---
P(
    "perl_source",
    "en",
    r"""
use DBI;
my $dbh = DBI->connect("DBI:mysql:database=«db»;host=«privip»", "«user»", "«pw»", { RaiseError => 1 })
    or die $DBI::errstr;
""",
)

P(
    "perl_source",
    "en",
    r"""
use Net::FTP;
use Net::SSH::Perl;

my $ftp = Net::FTP->new("«ip»", Debug => 0) or die "cannot connect";
$ftp->login("«user»", '«pwu»') or die "login failed";

my $ssh = Net::SSH::Perl->new("«ip»");
$ssh->login('«user»', '«pw»');
""",
)

P(
    "perl_source",
    "en",
    r"""
my %config = (
    smtp_host => 'smtp.«domain»',
    smtp_user => '«email»',
    smtp_pass => '«pw»',
    okta_token => '«okta»',
);
""",
)

P(
    "perl_source",
    "en",
    r"""
my $ldap = Net::LDAP->new('«ip»') or die "$@";
my $mesg = $ldap->bind('cn=«user»,dc=corp,dc=lan', password => '«pw»');
""",
)

# ---------------------------------------------------------------- Swift ---
P(
    "swift_source",
    "en",
    r"""
let credential = URLCredential(user: "«user»", password: "«pw»", persistence: .forSession)
let space = URLProtectionSpace(host: "«ip»", port: 8443, protocol: "https", realm: nil,
                               authenticationMethod: NSURLAuthenticationMethodHTTPBasic)
URLCredentialStorage.shared.setDefaultCredential(credential, for: space)
""",
)

P(
    "swift_source",
    "en",
    r"""
enum Secrets {
    static let stripeSecretKey = "«stripe_sk»"
    static let revenueCatKey = "«key32»"
    static let supportAddress = "«email»"
}
""",
)

P(
    "swift_source",
    "en",
    r"""
let config = PostgresClient.Configuration(
    host: "«ip»",
    port: 5432,
    username: "«user»",
    password: "«pw»",
    database: "«db»",
    tls: .prefer(.clientDefault)
)
""",
)

# ---------------------------------------------------------------- Scala ---
P(
    "scala_source",
    "en",
    r"""
val db = Database.forURL(
  "jdbc:mysql://«privip»:3306/«db»",
  "«user»",
  "«pw»",
  driver = "com.mysql.cj.jdbc.Driver"
)
""",
)

P(
    "scala_source",
    "en",
    r"""
val props = new Properties()
props.put("bootstrap.servers", "«ip»:9093")
props.put("security.protocol", "SASL_SSL")
props.put("sasl.mechanism", "PLAIN")
props.put("sasl.jaas.config",
  "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"«user»\" password=\"«pw»\";")
""",
)

P(
    "scala_source",
    "en",
    r"""
object Settings {
  val slackToken = "«slack_bot»"
  val smtpUser = "«email»"
  val smtpPassword = "«pw»"
}
""",
)

# --------------------------------------------------------------- Elixir ---
P(
    "elixir_config",
    "en",
    r"""
config :shop, Shop.Repo,
  username: "«user»",
  password: "«pw»",
  hostname: "«privip»",
  database: "«db»"

config :shop, ShopWeb.Endpoint,
  secret_key_base: "«b64_64»"
""",
)

P(
    "elixir_config",
    "en",
    r"""
config :shop, Shop.Mailer,
  adapter: Swoosh.Adapters.Mailgun,
  api_key: "«mailgun»",
  domain: "mg.«domain»"

config :ex_aws,
  access_key_id: "«aws_akid»",
  secret_access_key: "«aws_secret»"
""",
)

P(
    "elixir_source",
    "en",
    r"""
{:ok, conn} = Postgrex.start_link(hostname: "«ip»", username: "«user»", password: "«pw»", database: "«db»")
{:ok, _} = Redix.start_link(host: "«privip»", password: "«pwu»")
""",
)

# ------------------------------------------------------------------ Lua ---
P(
    "lua_source",
    "en",
    r"""
local redis = require "resty.redis"
local red = redis:new()
red:set_timeout(1000)
local ok, err = red:connect("«privip»", 6379)
local res, err = red:auth("«pw»")
""",
)

P(
    "lua_source",
    "en",
    r"""
local mysql = require "resty.mysql"
local db = mysql:new()
local ok, err = db:connect{
    host = "«ip»",
    port = 3306,
    database = "«db»",
    user = "«user»",
    password = "«pw»",
}
""",
)

P(
    "lua_source",
    "en",
    r"""
-- bot config
return {
    token = "«discord»",
    prefix = "!",
    owner_mail = "«email»",
}
""",
)

P(
    "lua_source",
    "en",
    r"""
local smtp = require("socket.smtp")
local r, e = smtp.send{
    from = "<«email:f»>",
    rcpt = "<«email»>",
    user = "«email:f»",
    password = "«pw»",
    server = "smtp.«domain»",
}
""",
)

# -------------------------------------------------------------------- R ---
P(
    "r_source",
    "en",
    r"""
library(DBI)
con <- dbConnect(RPostgres::Postgres(),
                 dbname = "«db»",
                 host = "«privip»",
                 user = "«user»",
                 password = "«pw»")
""",
)

P(
    "r_source",
    "en",
    r"""
Sys.setenv(OPENAI_API_KEY = "«openai»")
Sys.setenv(AWS_ACCESS_KEY_ID = "«aws_akid»", AWS_SECRET_ACCESS_KEY = "«aws_secret»")
""",
)

P(
    "r_source",
    "en",
    r"""
library(RMariaDB)
con <- dbConnect(MariaDB(), dbname = "«db»", username = "«user»", password = "«pw»", host = "«ip»")
""",
)

# ----------------------------------------------------------------- Dart ---
P(
    "dart_source",
    "en",
    r"""
final conn = PostgreSQLConnection(
  '«ip»',
  5432,
  '«db»',
  username: '«user»',
  password: '«pw»',
);
await conn.open();
""",
)

P(
    "dart_source",
    "en",
    r"""
class Env {
  static const String mapboxSecret = '«mapbox_sk»';
  static const String oneSignalRestKey = '«key48»';
}
""",
)

P(
    "dart_source",
    "en",
    r"""
final smtpServer = SmtpServer('smtp.«domain»', port: 587, username: '«email»', password: '«pw»');
const stripeRestrictedKey = '«stripe_rk»';
""",
)

# ---------------------------------------------------------------- C/C++ ---
P(
    "c_source",
    "en",
    r"""
MYSQL *conn = mysql_init(NULL);
if (!mysql_real_connect(conn, "«privip»", "«user»", "«pw»", "«db»", 3306, NULL, 0)) {
    fprintf(stderr, "%s\n", mysql_error(conn));
    return 1;
}
""",
)

P(
    "cpp_source",
    "en",
    r"""
CURL *curl = curl_easy_init();
curl_easy_setopt(curl, CURLOPT_URL, "https://«ip»/upload");
curl_easy_setopt(curl, CURLOPT_USERPWD, "«user»:«pw»");
curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
""",
)

P(
    "arduino_sketch",
    "en",
    r"""
#define WIFI_SSID     "«word»-iot"
#define WIFI_PSK      "«phrase»"
#define MQTT_HOST     "«ip»"
#define MQTT_USER     "«user»"
#define MQTT_PASSWORD "«pw»"
""",
)

P(
    "cpp_source",
    "en",
    r"""
namespace cfg {
const std::string kApiKey = "«hex64»";
const std::string kBucketSecret = "«aws_secret»";
constexpr int kRetries = 3;
}  // namespace cfg
""",
)

P(
    "c_source",
    "en",
    r"""
static const char *pg_conninfo =
    "host=«privip» port=5432 dbname=«db» user=«user» password=«pw» sslmode=require";
PGconn *conn = PQconnectdb(pg_conninfo);
""",
)

P(
    "c_source",
    "en",
    r"""
int rc = ssh_userauth_password(session, "«user»", "«pw»");
if (rc != SSH_AUTH_SUCCESS) {
    fprintf(stderr, "auth failed: %s\n", ssh_get_error(session));
}
""",
)

P(
    "cpp_source",
    "en",
    r"""
mqtt::connect_options opts;
opts.set_user_name("«user»");
opts.set_password("«pw»");
mqtt::async_client cli("ssl://«ip»:8883", "plc-gw-«d4»");
""",
)

# -------------------------------------------------------------- Haskell ---
P(
    "haskell_source",
    "en",
    r"""
connectInfo :: ConnectInfo
connectInfo = defaultConnectInfo
  { connectHost = "«privip»"
  , connectUser = "«user»"
  , connectPassword = "«pw»"
  , connectDatabase = "«db»"
  }
""",
)

P(
    "haskell_source",
    "en",
    r"""
apiToken :: Text
apiToken = "«cf_token»"

doToken :: ByteString
doToken = "«do_token»"
""",
)

P(
    "haskell_source",
    "en",
    r"""
main :: IO ()
main = do
  conn <- connectPostgreSQL "host=«ip» dbname=«db» user=«user» password=«pw»"
  rows <- query_ conn "select id, status from jobs" :: IO [(Int, Text)]
  print (length rows)
""",
)

# ---------------------------------------------------------------- Julia ---
P(
    "julia_source",
    "en",
    r"""
using LibPQ
conn = LibPQ.Connection("host=«privip» dbname=«db» user=«user» password=«pw»")
result = execute(conn, "SELECT count(*) FROM events")
""",
)

P(
    "julia_source",
    "en",
    r"""
ENV["AWS_ACCESS_KEY_ID"] = "«aws_akid»"
ENV["AWS_SECRET_ACCESS_KEY"] = "«aws_secret»"
ENV["HF_TOKEN"] = "«hf»"
""",
)

P(
    "julia_source",
    "en",
    r"""
using SMTPClient
opt = SendOptions(isSSL = true, username = "«email:f»", passwd = "«pw»")
resp = send("smtps://smtp.«domain»:465", ["<«email»>"], "<«email:f»>", body, opt)
""",
)

# ---------------------------------------------------------------- shell ---
P(
    "shell_script",
    "en",
    r"""
#!/bin/bash
set -euo pipefail
mysqldump -h «ip» -u «user» -p«pwu» --single-transaction «db» | gzip > /backup/«db»-$(date +%F).sql.gz
""",
)

P(
    "shell_script",
    "en",
    r"""
#!/usr/bin/env bash
export PGPASSWORD='«pw»'
psql -h «privip» -U «user» -d «db» -c "VACUUM ANALYZE;"
PGPASSWORD='«pw»' pg_dump -h «ip» -U «user» «db» > /srv/dumps/«db».sql
""",
)

P(
    "shell_script",
    "en",
    r"""
sshpass -p '«pw»' ssh -o StrictHostKeyChecking=no «user»@«ip» 'sudo systemctl restart nginx'
sshpass -p '«pw»' scp ./release.tar.gz «user»@«ip»:/opt/app/
""",
)

P(
    "shell_script",
    "en",
    r"""
RSYNC_PASSWORD='«pw»' rsync -avz --delete /srv/www/ rsync://«user»@«ip»/www/
""",
)

P(
    "shell_script",
    "en",
    r"""
smbclient //«privip»/finance -U «user»%«pwu» -c 'get reports/q3.xlsx'
mount -t cifs //«privip»/finance /mnt/fin -o username=«user»,password=«pwu»,vers=3.0
""",
)

P(
    "batch_script",
    "en",
    r"""
@echo off
net use Z: \\«privip»\deploy /user:CORP\«user» «pwu» /persistent:no
xcopy /E /Y build\* Z:\releases\
net use Z: /delete
""",
)

P(
    "shell_script",
    "en",
    r"""
ldapsearch -x -H ldaps://«ip» -D "cn=«user»,dc=«company:c»,dc=com" -w '«pw»' -b "ou=people,dc=«company:c»,dc=com" "(uid=*)" mail
""",
)

P(
    "shell_script",
    "en",
    r"""
openssl pkcs12 -export -in server.crt -inkey server.key -out server.p12 -passout pass:«pwu»
openssl rsa -in encrypted.key -out plain.key -passin pass:«pwu»
""",
)

P(
    "shell_script",
    "en",
    r"""
7z a -p«pwu» -mhe=on /backup/hr-archive.7z /srv/hr/
zip -P «pwu» -r logs-«date».zip /var/log/app/
""",
)

P(
    "shell_script",
    "en",
    r"""
docker login -u «user» -p «dockerhub»
docker login registry.«domain» --username «user» --password «pwu»
""",
)

P(
    "shell_script",
    "en",
    r"""
helm upgrade --install shop ./charts/shop \
  --namespace prod \
  --set postgresql.auth.password=«pwu» \
  --set redis.auth.password=«pwu» \
  --set stripe.secretKey=«stripe_sk»
""",
)

P(
    "shell_script",
    "en",
    r"""
kubectl -n payments create secret generic db-credentials \
  --from-literal=username=«user» \
  --from-literal=password=«pwu»
kubectl -n payments create secret generic api-keys --from-literal=SENDGRID_API_KEY=«sendgrid»
""",
)

P(
    "shell_history",
    "en",
    r"""
  501  cd /opt/app
  502  export GITHUB_TOKEN=«gh_pat»
  503  git pull
  504  mysql -u «user» -p«pwu» -h «ip» «db»
  505  curl -u «user»:«pwu» https://«ip»:9200/_cat/indices
  506  history | tail
""",
)

P(
    "shell_history",
    "en",
    r"""
vault login «vault»
vault kv get secret/payments
export DIGITALOCEAN_ACCESS_TOKEN=«do_token»
doctl kubernetes cluster kubeconfig save prod-«num»
""",
)

P(
    "shell_history",
    "en",
    r"""
ssh-add ~/.ssh/id_ed25519
export OPENAI_API_KEY=«openai»
python scripts/eval.py --model gpt --limit 50
export HF_TOKEN=«hf»
huggingface-cli upload «company»/«word»-classifier ./out
""",
)

P(
    "shell_script",
    "en",
    r"""
curl -sS -H "Authorization: token «gh_pat»" \
     -H "Accept: application/vnd.github+json" \
     https://api.github.com/repos/«company»/infra/actions/runs
""",
)

P(
    "shell_script",
    "en",
    r"""
curl -X PUT -u «user»:«pwu» "https://«ip»:9200/_snapshot/nightly" \
  -H 'Content-Type: application/json' -d '{"type":"fs","settings":{"location":"/mnt/snapshots"}}'
""",
)

P(
    "shell_script",
    "en",
    r"""
#!/bin/sh
export AWS_ACCESS_KEY_ID=«aws_akid»
export AWS_SECRET_ACCESS_KEY=«aws_secret»
export AWS_SESSION_TOKEN=«aws_session»
aws s3 sync /srv/static s3://«bucket»/static --delete
""",
)

P(
    "shell_script",
    "en",
    r"""
wget --user=«user» --password='«pw»' -r -np ftp://«ip»/pub/firmware/
""",
)

P(
    "shell_script",
    "en",
    r"""
htpasswd -b -c /etc/nginx/.htpasswd «user» «pwu»
htpasswd -b /etc/nginx/.htpasswd «user» «pwu»
""",
)

P(
    "shell_script",
    "en",
    r"""
mosquitto_pub -h «ip» -p 8883 --capath /etc/ssl/certs -u «user» -P «pwu» -t plant/line3/temp -m 21.7
mosquitto_sub -h «ip» -u «user» -P «pwu» -t 'plant/#' -v
""",
)

P(
    "shell_script",
    "en",
    r"""
redis-cli -h «privip» -p 6379 -a «pwu» --no-auth-warning INFO replication
mongosh "mongodb://«user»:«pwu»@«ip»:27017/admin?tls=true"
""",
)

P(
    "shell_script",
    "en",
    r"""
git clone https://«user»:«gh_pat»@github.com/«company»/deploy-scripts.git
git clone https://oauth2:«gl_pat»@gitlab.«domain»/platform/terraform.git
""",
)

P(
    "shell_script",
    "en",
    r"""
npm config set //registry.npmjs.org/:_authToken «npm»
twine upload -u __token__ -p «pypi» dist/*
GEM_HOST_API_KEY=«rubygems» gem push pkg/«word»-«semver».gem
""",
)

P(
    "shell_script",
    "en",
    r"""
# rotate the replication user (ticket OPS-«num»)
ssh «user»@«privip» "sudo -u postgres psql -c \"ALTER ROLE replicator PASSWORD '«pw»'\""
""",
)

P(
    "shell_script",
    "en",
    r"""
echo '«pw»' | sudo -S apt-get update
echo "«user»:«pwu»" | chpasswd
""",
)

P(
    "shell_script",
    "en",
    r"""
sqlcmd -S «ip»,1433 -U sa -P '«pw»' -Q "BACKUP DATABASE [«db:d»] TO DISK='/var/opt/mssql/backup/«db:d».bak'"
""",
)

P(
    "shell_script",
    "en",
    r"""
ansible-playbook site.yml -i inventories/prod --extra-vars "db_password=«pwu» api_token=«hex40»"
""",
)

P(
    "shell_script",
    "en",
    r"""
lftp -u «user»,«pwu» sftp://«ip» -e "mirror -R ./dist /var/www/html; bye"
""",
)

P(
    "shell_script",
    "en",
    r"""
xfreerdp /v:«ip» /u:«user» /p:'«pw»' /cert:ignore
""",
)

P(
    "shell_script",
    "en",
    r"""
ipmitool -I lanplus -H «privip» -U ADMIN -P «pwu» chassis power status
""",
)

P(
    "shell_script",
    "en",
    r"""
curl -s -X POST https://api.telegram.org/bot«telegram»/sendMessage -d chat_id=«num» -d text="deploy finished"
curl -X POST -H 'Content-type: application/json' --data '{"text":"deploy finished"}' «slack_webhook»
""",
)

# ----------------------------------------------------------- PowerShell ---
P(
    "powershell_script",
    "en",
    r"""
$secpw = ConvertTo-SecureString "«pw»" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential("CORP\«user»", $secpw)
Invoke-Command -ComputerName «host» -Credential $cred -ScriptBlock { Restart-Service W3SVC }
""",
)

P(
    "powershell_script",
    "en",
    r"""
$headers = @{ Authorization = "Bearer «jwt»" }
Invoke-RestMethod -Uri "https://management.azure.com/subscriptions/«uuid»/resourceGroups?api-version=2021-04-01" -Headers $headers
""",
)

P(
    "powershell_script",
    "en",
    r"""
$secret = ConvertTo-SecureString "«azure_client_secret»" -AsPlainText -Force
$sp = New-Object PSCredential("«uuid»", $secret)
Connect-AzAccount -ServicePrincipal -TenantId "«uuid»" -Credential $sp
""",
)

P(
    "powershell_script",
    "en",
    r"""
Set-ADAccountPassword -Identity «user» -Reset -NewPassword (ConvertTo-SecureString -AsPlainText "«pw»" -Force)
Send-MailMessage -To "«email»" -From "«email»" -Subject "Account reset" -SmtpServer smtp.«domain»
""",
)

P(
    "powershell_script",
    "en",
    r"""
$pair = "«user»:«pw»"
$bytes = [System.Text.Encoding]::ASCII.GetBytes($pair)
$basic = [Convert]::ToBase64String($bytes)
Invoke-WebRequest -Uri "https://«ip»/api/export" -Headers @{ Authorization = "Basic $basic" }
""",
)

P(
    "powershell_script",
    "en",
    r"""
$conn = New-Object System.Data.SqlClient.SqlConnection
$conn.ConnectionString = "Server=«ip»;Database=«db»;User ID=«user»;Password=«pw»;"
$conn.Open()
""",
)

# ------------------------------------------------------------------- CI ---
P(
    "github_actions_workflow",
    "en",
    r"""
name: release
on:
  push:
    tags: ['v*']
jobs:
  publish:
    runs-on: ubuntu-latest
    env:
      NPM_TOKEN: «npm»
      DOCKERHUB_USERNAME: «user»
      DOCKERHUB_TOKEN: «dockerhub»
    steps:
      - uses: actions/checkout@v4
      - run: echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc
      - run: npm publish
""",
)

P(
    "github_actions_workflow",
    "en",
    r"""
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: appleboy/ssh-action@v1
        with:
          host: «ip»
          username: «user»
          password: «pw»
          script: cd /srv/app && ./deploy.sh
""",
)

P(
    "github_actions_workflow",
    "en",
    r"""
- name: Notify Discord
  run: |
    curl -H "Content-Type: application/json" \
      -d '{"content":"Build ${{ github.run_number }} finished"}' \
      «discord_webhook»
""",
)

P(
    "gitlab_ci_config",
    "en",
    r"""
variables:
  POSTGRES_DB: «db»
  POSTGRES_USER: «user»
  POSTGRES_PASSWORD: "«pw»"
  SONAR_TOKEN: "«hex40»"

test:
  image: python:3.12
  services:
    - postgres:16
  script:
    - pytest -q
""",
)

P(
    "gitlab_ci_config",
    "en",
    r"""
deploy_prod:
  stage: deploy
  script:
    - curl --request POST --form token=«gl_trigger» --form ref=main https://gitlab.«domain»/api/v4/projects/«num»/trigger/pipeline
    - sshpass -p «pwu» rsync -az build/ «user»@«ip»:/var/www/
""",
)

P(
    "gitlab_runner_config",
    "en",
    r"""
concurrent = 4

[[runners]]
  name = "«word»-docker-«d2»"
  url = "https://gitlab.«domain»/"
  token = "«gl_runner»"
  executor = "docker"
  [runners.cache.s3]
    AccessKey = "«aws_akid»"
    SecretKey = "«aws_secret»"
""",
)

P(
    "jenkinsfile",
    "en",
    r"""
pipeline {
    agent any
    environment {
        SLACK_TOKEN = '«slack_bot»'
        NEXUS_PASSWORD = '«pw»'
    }
    stages {
        stage('Publish') {
            steps {
                sh "curl -u «user»:«pwu» --upload-file target/app.jar https://nexus.«domain»/repository/releases/"
            }
        }
    }
}
""",
)

P(
    "circleci_config",
    "en",
    r"""
version: 2.1
jobs:
  build:
    docker:
      - image: «company»/builder:latest
        auth:
          username: «user»
          password: «dockerhub»
    environment:
      HEROKU_API_KEY: «heroku»
    steps:
      - checkout
""",
)

P(
    "azure_pipelines_config",
    "en",
    r"""
variables:
  sqlAdminLogin: «user»
  sqlAdminPassword: '«pw»'
  acrPassword: '«key32»'
steps:
  - script: sqlcmd -S «ip» -U $(sqlAdminLogin) -P $(sqlAdminPassword) -i migrate.sql
""",
)

P(
    "drone_config",
    "en",
    r"""
kind: pipeline
type: docker
name: default
steps:
  - name: publish
    image: plugins/docker
    settings:
      repo: «company»/api
      username: «user»
      password: «pw»
  - name: notify
    image: plugins/slack
    settings:
      webhook: «slack_webhook»
""",
)

P(
    "buildkite_pipeline",
    "en",
    r"""
env:
  SENTRY_AUTH_TOKEN: "«sentry_token»"
  BUILDKITE_API_TOKEN: "«buildkite»"
steps:
  - label: ":rocket: release"
    command: "scripts/release.sh"
""",
)

P(
    "bitbucket_pipelines",
    "en",
    r"""
pipelines:
  branches:
    main:
      - step:
          script:
            - pipe: atlassian/ssh-run:0.8.0
              variables:
                SSH_USER: «user»
                SERVER: «ip»
            - curl -u «user»:«bb_app» https://api.bitbucket.org/2.0/repositories/«company»/web/downloads -F files=@dist.zip
""",
)

P(
    "jenkins_credentials_xml",
    "en",
    r"""
<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
  <scope>GLOBAL</scope>
  <id>deploy-«word»</id>
  <username>«user»</username>
  <password>«pw»</password>
</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
""",
)

# ------------------------------------------------------------------ IaC ---
P(
    "terraform_config",
    "en",
    r"""
provider "aws" {
  region     = "«region»"
  access_key = "«aws_akid»"
  secret_key = "«aws_secret»"
}

resource "aws_db_instance" "main" {
  identifier        = "«db»-prod"
  engine            = "postgres"
  instance_class    = "db.t3.medium"
  username          = "«user»"
  password          = "«pw»"
  allocated_storage = 100
}
""",
)

P(
    "terraform_config",
    "en",
    r"""
provider "cloudflare" {
  api_token = "«cf_token»"
}

provider "digitalocean" {
  token = "«do_token»"
}

provider "datadog" {
  api_key = "«dd_api»"
  app_key = "«dd_app»"
}
""",
)

P(
    "terraform_tfvars",
    "en",
    r"""
admin_username = "«user»"
admin_password = "«pw»"
github_token   = "«gh_fine»"
allowed_cidrs  = ["«ip»/32", "10.0.0.0/8"]
alert_email    = "«email»"
""",
)

P(
    "terraform_config",
    "en",
    r"""
resource "azurerm_mssql_server" "sql" {
  name                         = "sql-«company»-prod"
  resource_group_name          = azurerm_resource_group.rg.name
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "«user»"
  administrator_login_password = "«pw»"
}
""",
)

P(
    "terraform_config",
    "en",
    r"""
terraform {
  backend "remote" {
    hostname     = "app.terraform.io"
    organization = "«company»"
    token        = "«tfc»"
  }
}

provider "vault" {
  address = "https://vault.«domain»:8200"
  token   = "«vault»"
}
""",
)

P(
    "terraform_config",
    "en",
    r"""
provider "newrelic" {
  account_id = «d7»
  api_key    = "«newrelic»"
  region     = "EU"
}

provider "pulumi" {}

resource "github_actions_secret" "deploy" {
  repository      = "infra"
  secret_name     = "DEPLOY_TOKEN"
  plaintext_value = "«gh_pat»"
}
""",
)

P(
    "pulumi_program",
    "en",
    r"""
import * as aws from "@pulumi/aws";

const db = new aws.rds.Instance("orders", {
    engine: "mysql",
    instanceClass: "db.t3.small",
    allocatedStorage: 20,
    username: "«user»",
    password: "«pw»",
    skipFinalSnapshot: true,
});
""",
)

P(
    "pulumi_stack_config",
    "en",
    r"""
config:
  aws:region: «region»
  shop:dbPassword: «pw»
  shop:stripeKey: «stripe_rk»
  shop:adminEmail: «email»
""",
)

P(
    "cloudformation_template",
    "en",
    r"""
Resources:
  AppDatabase:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      MasterUsername: «user»
      MasterUserPassword: «pw»
      AllocatedStorage: "50"
  NotifyTopic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Endpoint: «email»
          Protocol: email
""",
)

P(
    "cloudformation_template",
    "en",
    r"""
{
  "Parameters": {
    "DBPassword": {
      "Type": "String",
      "NoEcho": true,
      "Default": "«pw»"
    },
    "ApiKey": {
      "Type": "String",
      "Default": "«key40»"
    }
  }
}
""",
)

P(
    "ansible_vars",
    "en",
    r"""
---
mysql_root_password: "«pw»"
mysql_users:
  - name: «user»
    host: "%"
    password: "«pw»"
    priv: "«db».*:ALL"
ansible_become_pass: "«pw»"
""",
)

P(
    "ansible_inventory",
    "en",
    r"""
[web]
web1 ansible_host=«ip» ansible_user=«user» ansible_password=«pwu»
web2 ansible_host=«ip» ansible_user=«user» ansible_password=«pwu»

[db]
db1 ansible_host=«privip» ansible_user=root ansible_ssh_pass=«pwu»
""",
)

P(
    "ansible_playbook",
    "en",
    r"""
- name: Create application user
  community.postgresql.postgresql_user:
    db: «db»
    name: «user»
    password: "«pw»"
    login_host: «privip»
    login_password: "«pw»"
""",
)

P(
    "ansible_vars",
    "en",
    r"""
deploy_user: «user»
deploy_ssh_key: |
  «pem_ec_i2»
deploy_known_host: «ip»
""",
)

P(
    "chef_attributes",
    "en",
    r"""
default['app']['db_host'] = '«privip»'
default['app']['db_user'] = '«user»'
default['app']['db_password'] = '«pw»'
default['app']['newrelic_key'] = '«newrelic_lic»'
""",
)

P(
    "salt_pillar",
    "en",
    r"""
mysql:
  server:
    root_password: «pw»
  user:
    «user»:
      password: «pw»
      host: '%'
rabbitmq:
  admin_password: «pwu»
""",
)

P(
    "puppet_hiera",
    "en",
    r"""
---
profile::database::password: '«pw»'
profile::monitoring::datadog_api_key: '«dd_api»'
profile::mail::relay_password: '«pw»'
profile::mail::relay_user: '«email»'
profile::firewall::trusted: ['«ip»', '10.20.0.0/16']
""",
)

# ----------------------------------------------------- containers / k8s ---
P(
    "docker_compose",
    "en",
    r"""
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: «user»
      POSTGRES_PASSWORD: «pw»
  minio:
    image: minio/minio
    environment:
      MINIO_ROOT_USER: «user»
      MINIO_ROOT_PASSWORD: «pwu»
  grafana:
    image: grafana/grafana
    environment:
      - GF_SECURITY_ADMIN_PASSWORD=«pwu»
""",
)

P(
    "dockerfile",
    "en",
    r"""
FROM node:20-alpine
WORKDIR /app
ENV NODE_ENV=production \
    SENTRY_AUTH_TOKEN=«sentry_token» \
    ALGOLIA_ADMIN_KEY=«algolia_admin»
COPY . .
RUN npm ci && npm run build
""",
)

P(
    "dockerfile",
    "en",
    r"""
FROM python:3.12-slim
ARG PIP_INDEX_URL=https://«user»:«pwu»@pypi.«domain»/simple
RUN pip install --no-cache-dir -r requirements.txt
ENV HF_TOKEN=«hf»
""",
)

P(
    "kubernetes_manifest",
    "en",
    r"""
apiVersion: v1
kind: Secret
metadata:
  name: app-credentials
  namespace: «word»
type: Opaque
stringData:
  DB_PASSWORD: «pw»
  STRIPE_SECRET_KEY: «stripe_sk»
  JWT_SECRET: «key40»
""",
)

P(
    "kubernetes_manifest",
    "en",
    r"""
apiVersion: v1
kind: Secret
metadata:
  name: smtp-relay-«word»
type: Opaque
data:
  username: «b64user»
  password: «b64pw»
""",
)

P(
    "kubernetes_manifest",
    "en",
    r"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: registry.«domain»/worker:«semver»
          env:
            - name: RABBITMQ_URL
              value: amqp://«user»:«pwu»@«host»:5672/jobs
            - name: OPENAI_API_KEY
              value: «openai»
""",
)

P(
    "helm_values",
    "en",
    r"""
postgresql:
  auth:
    username: «user»
    password: «pw»
    postgresPassword: «pw»
redis:
  auth:
    password: «pwu»
ingress:
  hosts:
    - «pubhost»
""",
)

P(
    "kubernetes_manifest",
    "en",
    r"""
apiVersion: v1
kind: Secret
metadata:
  name: registry-pull
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"registry.«domain»":{"username":"«user»","password":"«pwu»"}}}'
""",
)

P(
    "kubeconfig",
    "en",
    r"""
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://«ip»:6443
    insecure-skip-tls-verify: true
  name: prod
users:
- name: ci-deployer
  user:
    token: «jwt»
- name: legacy-admin
  user:
    username: admin
    password: «pwu»
""",
)

P(
    "docker_config_json",
    "en",
    r"""
{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "«basic»"
    },
    "registry.«domain»": {
      "auth": "«basic»",
      "email": "«email»"
    }
  }
}
""",
)

P(
    "docker_inspect",
    "en",
    r"""
"Env": [
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "MYSQL_ROOT_PASSWORD=«pw»",
    "MYSQL_PASSWORD=«pw»",
    "MYSQL_USER=«user»"
],
""",
)

P(
    "k8s_pod_log",
    "en",
    r"""
Starting worker with environment:
  APP_ENV=production
  REDIS_PASSWORD=«pwu»
  STRIPE_API_KEY=«stripe_rk»
  SMTP_PASSWORD=«pw»
  LOG_LEVEL=info
""",
)

P(
    "systemd_unit",
    "en",
    r"""
[Service]
Environment="DB_PASSWORD=«pwu»"
Environment="NEW_RELIC_LICENSE_KEY=«newrelic_lic»"
ExecStart=/opt/app/bin/server --listen 0.0.0.0:8080
""",
)

P(
    "supervisor_config",
    "en",
    r"""
[program:worker]
command=/srv/venv/bin/celery -A app worker
environment=BROKER_URL="amqp://«user»:«pwu»@«privip»:5672//",SENTRY_TOKEN="«sentry_token»"
""",
)

# -------------------------------------------------------- daemon configs ---
P(
    "nginx_config",
    "en",
    r"""
server {
    listen 443 ssl;
    server_name «pubhost»;

    location /internal/ {
        allow «ip»;
        allow 10.0.0.0/8;
        deny all;
        proxy_pass http://«privip»:8080;
        proxy_set_header Authorization "Basic «basic»";
    }
}
""",
)

P(
    "haproxy_config",
    "en",
    r"""
userlist admins
    user «user» insecure-password «pwu»

listen stats
    bind *:8404
    stats enable
    stats uri /stats
    stats auth «user»:«pwu»

backend api
    server api1 «ip»:443 check ssl verify none
    server api2 «ip»:443 check ssl verify none
""",
)

P(
    "postfix_sasl_passwd",
    "en",
    r"""
# /etc/postfix/sasl_passwd
[smtp.«domain»]:587 «email»:«pwu»
[«ip»]:465 «user»:«pwu»
""",
)

P(
    "dovecot_passwd",
    "en",
    r"""
«email»:{PLAIN}«pwu»:5000:5000::/var/mail/vhosts/«first»
«email»:{PLAIN}«pwu»:5000:5000::/var/mail/vhosts/«first»
""",
)

P(
    "samba_setup",
    "en",
    r"""
# join the file server to the domain
net ads join -U «user»%«pwu»
smbpasswd -w «pwu»
pdbedit -a -u «user»
""",
)

P(
    "asterisk_pjsip",
    "en",
    r"""
[«d4»]
type=auth
auth_type=userpass
username=«d4»
password=«pwu»

[trunk-provider]
type=registration
server_uri=sip:«ip»
client_uri=sip:«user»@«ip»
""",
)

P(
    "asterisk_sip_conf",
    "en",
    r"""
[general]
register => «user»:«pwu»@«ip»/«d4»

[«d4»]
type=friend
secret=«pwu»
host=dynamic
""",
)

P(
    "freeradius_config",
    "en",
    r"""
client «ip» {
    secret    = «pwu»
    shortname = branch-«num»
    nastype   = other
}

client internal {
    ipaddr = 10.40.0.0/16
    secret = «pwu»
}
""",
)

P(
    "freeradius_users",
    "en",
    r"""
«user»    Cleartext-Password := "«pw»"
          Reply-Message := "Welcome, %{User-Name}"
«user»    Cleartext-Password := "«pw»"
""",
)

P(
    "openldap_config",
    "en",
    r"""
database    mdb
suffix      "dc=«company:c»,dc=com"
rootdn      "cn=admin,dc=«company:c»,dc=com"
rootpw      «pwu»
directory   /var/lib/ldap
""",
)

P(
    "mosquitto_config",
    "en",
    r"""
connection bridge-cloud
address «ip»:8883
remote_username «user»
remote_password «pwu»
topic sensors/# out 1
""",
)

P(
    "rabbitmq_config",
    "en",
    r"""
default_user = «user»
default_pass = «pwu»
listeners.tcp.default = 5672
management.tcp.port = 15672
""",
)

P(
    "kafka_jaas",
    "en",
    r"""
KafkaServer {
    org.apache.kafka.common.security.plain.PlainLoginModule required
    username="admin"
    password="«pw:adm»"
    user_admin="«pw:adm»"
    user_«first»="«pw»";
};
""",
)

P(
    "kibana_config",
    "en",
    r"""
server.host: "0.0.0.0"
elasticsearch.hosts: ["https://«ip»:9200"]
elasticsearch.username: "kibana_system"
elasticsearch.password: "«pw»"
xpack.encryptedSavedObjects.encryptionKey: "«key32»"
""",
)

P(
    "logstash_config",
    "en",
    r"""
output {
  elasticsearch {
    hosts => ["https://«privip»:9200"]
    user => "«user»"
    password => "«pw»"
    index => "app-%{+YYYY.MM.dd}"
  }
}
""",
)

P(
    "grafana_ini",
    "en",
    r"""
[security]
admin_user = «user»
admin_password = «pw»
secret_key = «key32»

[smtp]
enabled = true
host = smtp.«domain»:587
user = «email»
password = «pw»
""",
)

P(
    "prometheus_config",
    "en",
    r"""
scrape_configs:
  - job_name: node
    basic_auth:
      username: «user»
      password: «pw»
    static_configs:
      - targets: ['«ip»:9100', '10.0.3.4:9100']
  - job_name: k8s-api
    bearer_token: «jwt»
""",
)

P(
    "alertmanager_config",
    "en",
    r"""
global:
  smtp_smarthost: 'smtp.«domain»:587'
  smtp_from: '«email:f»'
  smtp_auth_username: '«email:f»'
  smtp_auth_password: '«pw»'
  slack_api_url: '«slack_webhook»'
receivers:
  - name: oncall
    email_configs:
      - to: '«email»'
""",
)

P(
    "redis_conf",
    "en",
    r"""
bind 0.0.0.0
port 6379
requirepass «pwu»
masterauth «pwu»
replicaof «ip» 6379
user worker on >«pwu» ~jobs:* +@all
""",
)

P(
    "pgbouncer_userlist",
    "en",
    r"""
"«user»" "«pw»"
"«user»" "«pw»"
"pgbouncer_admin" "«pw»"
""",
)

P(
    "pgpass",
    "en",
    r"""
«privip»:5432:«db»:«user»:«pwu»
«host»:5432:*:«user»:«pwu»
""",
)

P(
    "netrc",
    "en",
    r"""
machine «pubhost»
  login «user»
  password «pwu»
machine api.heroku.com
  login «email»
  password «heroku»
""",
)

P(
    "my_cnf",
    "en",
    r"""
[client]
user=«user»
password="«pw»"
host=«ip»

[mysqldump]
user=backup
password=«pwu»
""",
)

P(
    "npmrc",
    "en",
    r"""
registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=«npm»
@«company»:registry=https://npm.pkg.github.com/
//npm.pkg.github.com/:_authToken=«gh_pat»
always-auth=true
""",
)

P(
    "pypirc",
    "en",
    r"""
[distutils]
index-servers =
    pypi
    internal

[pypi]
username = __token__
password = «pypi»

[internal]
repository = https://pypi.«domain»/simple/
username = «user»
password = «pwu»
""",
)

P(
    "maven_settings",
    "en",
    r"""
<settings>
  <servers>
    <server>
      <id>releases</id>
      <username>«user»</username>
      <password>«pw»</password>
    </server>
    <server>
      <id>ossrh</id>
      <username>«user»</username>
      <password>«pw»</password>
    </server>
  </servers>
</settings>
""",
)

P(
    "gradle_properties",
    "en",
    r"""
org.gradle.jvmargs=-Xmx2g
ossrhUsername=«user»
ossrhPassword=«pw»
signing.keyId=«HEX8»
signing.password=«pw»
artifactoryApiKey=«key64»
""",
)

P(
    "nuget_config",
    "en",
    r"""
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSourceCredentials>
    <internal>
      <add key="Username" value="«user»" />
      <add key="ClearTextPassword" value="«pw»" />
    </internal>
  </packageSourceCredentials>
  <apikeys>
    <add key="https://www.nuget.org/api/v2/package" value="«nuget»" />
  </apikeys>
</configuration>
""",
)

P(
    "rclone_config",
    "en",
    r"""
[backup-s3]
type = s3
provider = AWS
access_key_id = «aws_akid»
secret_access_key = «aws_secret»
region = «region»

[b2]
type = b2
account = «nhex12»
key = «b2key»
""",
)

P(
    "s3cfg",
    "en",
    r"""
[default]
access_key = «aws_akid»
secret_key = «aws_secret»
host_base = s3.«region».amazonaws.com
use_https = True
""",
)

P(
    "aws_credentials",
    "en",
    r"""
[default]
aws_access_key_id = «aws_akid»
aws_secret_access_key = «aws_secret»

[ci-deployer]
aws_access_key_id = «aws_akid»
aws_secret_access_key = «aws_secret»
aws_session_token = «aws_session»
""",
)

P(
    "boto_config",
    "en",
    r"""
[Credentials]
aws_access_key_id = «aws_akid»
aws_secret_access_key = «aws_secret»
gs_oauth2_refresh_token = «gcp_refresh»
""",
)

P(
    "gcp_service_account_json",
    "en",
    r"""
{
  "type": "service_account",
  "project_id": "«word»-prod-«d6»",
  "private_key_id": "«nhex40»",
  "private_key": "«pem_pkcs8_json»",
  "client_email": "«gsa_email»",
  "client_id": "«d21»",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
)

P(
    "ssh_private_key_file",
    "en",
    r"""
# deploy key for «word»-prod (added «date»)
«pem_openssh»
""",
)

P(
    "tls_key_file",
    "en",
    r"""
# /etc/ssl/private/«pubhost».key
«pem_rsa»
""",
)

P(
    "tls_key_file",
    "en",
    r"""
# client.key (encrypted); passphrase kept here until the vault migration is done
«pem_enc»
passphrase: «phrase»
""",
)

P(
    "vscode_settings",
    "en",
    r"""
{
  "sqltools.connections": [
    {
      "name": "prod-readonly",
      "driver": "PostgreSQL",
      "server": "«ip»",
      "port": 5432,
      "database": "«db»",
      "username": "«user»",
      "password": "«pw»"
    }
  ]
}
""",
)

P(
    "odbc_ini",
    "en",
    r"""
[ReportingDSN]
Driver=ODBC Driver 18 for SQL Server
Server=tcp:«ip»,1433
Database=«db»
UID=«user»
PWD=«pw»
""",
)

P(
    "jdbc_url",
    "en",
    r"""
jdbc:sqlserver://«ip»:1433;databaseName=«db»;user=«user»;password=«pw»;encrypt=true
jdbc:mysql://«privip»:3306/«db»?user=«user»&password=«pwu»&useSSL=false
""",
)

P(
    "wireguard_config",
    "en",
    r"""
[Interface]
PrivateKey = «wg_key»
Address = «privip»/32

[Peer]
PublicKey = «wg_pub»
PresharedKey = «wg_key»
Endpoint = «ip»:51820
AllowedIPs = 10.66.0.0/16
""",
)

P(
    "ipsec_secrets",
    "en",
    r"""
# /etc/ipsec.secrets
«ip» «ip» : PSK "«phrase»"
: RSA /etc/ipsec.d/private/gw.key
""",
)

P(
    "hostapd_config",
    "en",
    r"""
interface=wlan0
ssid=«word»-guest
wpa=2
wpa_passphrase=«phrase»
wpa_key_mgmt=WPA-PSK
""",
)

P(
    "wpa_supplicant",
    "en",
    r"""
network={
    ssid="«word»-corp"
    key_mgmt=WPA-EAP
    eap=PEAP
    identity="«email»"
    password="«pw»"
}
""",
)

P(
    "snmp_config",
    "en",
    r"""
rocommunity «community» «ip»
createUser «user» SHA "«pw»" AES "«pw»"
rouser «user» priv
""",
)

P(
    "keepalived_config",
    "en",
    r"""
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    authentication {
        auth_type PASS
        auth_pass «pw8»
    }
    virtual_ipaddress {
        «ip»/24
    }
}
""",
)

P(
    "frr_config",
    "en",
    r"""
router bgp 650«d2»
 neighbor «ip:n» remote-as 174
 neighbor «ip:n» password «pwu»
 neighbor «ip6» remote-as 3356
""",
)

P(
    "cisco_config",
    "en",
    r"""
hostname core-sw-«d2»
enable secret 5 «md5crypt»
username «user» privilege 15 password 0 «pwu»
snmp-server community «community» RO
tacacs-server host «ip» key «pwu»
""",
)

P(
    "toml_config",
    "en",
    r"""
[database]
url = "postgresql://«user»:«pwu»@«ip»:5432/«db»"

[github]
app_id = «d6»
installation_token = "«gh_app»"
webhook_secret = "«key32»"

[newrelic]
license_key = "«newrelic_lic»"
""",
)

P(
    "cargo_credentials",
    "en",
    r"""
[registries.«word»]
token = "«key40»"

[registry]
token = "«crates»"
""",
)

P(
    "git_config",
    "en",
    r"""
[user]
    name = «First» «Last»
    email = «email»
[credential "https://gitlab.«domain»"]
    username = «user»
[http "https://«ip»/"]
    extraheader = Authorization: Bearer «gl_pat»
""",
)

P(
    "git_credentials",
    "en",
    r"""
https://«user»:«gh_pat»@github.com
https://«user»:«gl_pat»@gitlab.com
https://«user»:«bb_app»@bitbucket.org
""",
)

P(
    "crontab",
    "en",
    r"""
MAILTO=«email»
SHELL=/bin/bash
15 2 * * * /usr/local/bin/backup.sh --target s3://«bucket» --key «aws_akid» --secret «aws_secret» >> /var/log/backup.log 2>&1
*/5 * * * * curl -fsS -m 10 https://hc.«domain»/ping/«uuid» > /dev/null
""",
)

P(
    "certbot_command",
    "en",
    r"""
certbot certonly --non-interactive --agree-tos --email «email» --dns-cloudflare --dns-cloudflare-credentials /root/.secrets/cf.ini -d «pubhost»
# /root/.secrets/cf.ini
dns_cloudflare_api_token = «cf_token»
""",
)

P(
    "cloudflare_ini",
    "en",
    r"""
# legacy global key, still used by the old cert renewal host
dns_cloudflare_email = «email»
dns_cloudflare_api_key = «cf_global»
""",
)

# -------------------------------------------------------- dotenv/vendor ---
P(
    "dotenv_file",
    "en",
    r"""
NODE_ENV=production
DATABASE_URL=postgres://«user»:«pwu»@«host»:5432/«db»
REDIS_URL=redis://default:«pwu»@«privip»:6379
«vendor_env»
«vendor_env»
«vendor_env»
""",
)

P(
    "dotenv_file",
    "en",
    r"""
# generated by bootstrap.sh on «date»
«vendor_env»
«vendor_env»
«vendor_env»
«vendor_env»
ADMIN_EMAIL=«email»
""",
)

P(
    "dotenv_file",
    "en",
    r"""
APP_URL=https://«pubhost»
«vendor_env»
«vendor_env»
SMTP_USER=«email»
SMTP_PASS=«pw»
""",
)

P(
    "dotenv_file",
    "en",
    r"""
SHOPIFY_API_SECRET=«shopify_ss»
SHOPIFY_ADMIN_TOKEN=«shopify»
BRAINTREE_ACCESS_TOKEN=«braintree»
SQUARE_APPLICATION_SECRET=«square_secret»
PAYPAL_CLIENT_SECRET=«paypal_secret»
""",
)

P(
    "dotenv_file",
    "en",
    r"""
NEXT_PUBLIC_SITE_URL=https://«pubhost»
AUTH0_CLIENT_SECRET=«auth0_secret»
AUTH0_SECRET=«hex64»
NEXTAUTH_SECRET=«b64_32»
GOOGLE_CLIENT_SECRET=«gcp_oauth»
GITHUB_CLIENT_SECRET=«hex40»
""",
)

P(
    "yaml_config",
    "en",
    r"""
integrations:
  atlassian:
    email: «email»
    api_token: «atlassian»
  figma:
    token: «figma»
  airtable:
    token: «airtable»
  dropbox:
    access_token: «dropbox»
""",
)

P(
    "json_config",
    "en",
    r"""
{
  "supabase": { "accessToken": "«supabase»" },
  "planetscale": { "password": "«pscale»" },
  "netlify": { "authToken": "«netlify»" },
  "databricks": { "host": "https://adb-«d16».«d1».azuredatabricks.net", "token": "«databricks»" }
}
""",
)

P(
    "yaml_config",
    "en",
    r"""
secrets:
  age_key: «age»
  pulumi_access_token: «pulumi»
  doppler_token: «doppler»
  grafana_sa_token: «grafana»
  circleci_token: «circleci»
""",
)

P(
    "yaml_config",
    "en",
    r"""
smtp:
  host: smtp.«domain»
  username: «email»
  password:
    «pw»
""",
)

# ------------------------------------------- non-English identifiers ---
P(
    "yaml_config",
    "es",
    r"""
# configuración del servicio de facturación
base_de_datos:
  servidor: «privip»
  usuario: «user»
  contrasena: «pw»
correo:
  remitente: «email»
  clave_smtp: «pw»
""",
)

P(
    "properties_file",
    "fr",
    r"""
# Paramètres de connexion à l'annuaire
annuaire.url=ldaps://«ip»:636
annuaire.utilisateur=cn=«user»,ou=services
annuaire.mot_de_passe=«pw»
""",
)

P(
    "properties_file",
    "pt",
    r"""
# credenciais do gateway de pagamentos
gateway.usuario=«user»
gateway.senha=«pw»
gateway.chave_api=«key40»
""",
)

P(
    "ini_config",
    "nl",
    r"""
; koppeling met het boekhoudpakket
[boekhouding]
gebruiker = «user»
wachtwoord = «pw»
server = «ip»
""",
)

P(
    "ini_config",
    "fi",
    r"""
# varmuuskopiointipalvelimen tunnukset
[varmuuskopio]
kayttaja = «user»
salasana = «pw»
""",
)

P(
    "json_config",
    "pl",
    r"""
{
  "serwer": "«ip»",
  "uzytkownik": "«user»",
  "haslo": "«pw»",
  "opis": "konto serwisowe do eksportu faktur"
}
""",
)

P(
    "php_source",
    "tr",
    r"""
<?php
// Muhasebe servisine bağlantı ayarları
$kullanici = '«user»';
$sifre = '«pw»';
$sunucu = '«ip»';
""",
)

P(
    "kotlin_source",
    "ru",
    r"""
// учётные данные для выгрузки в хранилище
val polzovatel = "«user»"
val parol = "«pw»"
""",
)

P(
    "csharp_source",
    "de",
    r"""
// Verbindung zum Lagerverwaltungssystem
private const string Benutzer = "«user»";
private const string Kennwort = "«pw»";
private const string Adresse = "https://«ip»/lvs";
""",
)

# ----------------------------------------- value on the line after label ---
P(
    "runbook_notes",
    "en",
    r"""
Break-glass access for the core switch («ip»)
Username:
«user»
Password:
«pw»
Rotate after use and log the ticket number.
""",
)

P(
    "readme_snippet",
    "en",
    r"""
## Staging database
Host: «privip»
User: «user»
Password
    «pw»
API token (read-only):
    «gl_pat»
""",
)

P(
    "ticket_comment",
    "en",
    r"""
Hi «First», the new service account is ready.
login: «user»
pass:
«pw»
Please change it on first login. Questions go to «email».
""",
)

P(
    "runbook_notes",
    "de",
    r"""
Notfallzugang Firewall (nur im Störfall verwenden)
Benutzer: «user»
Kennwort:
«pw»
Danach bitte sofort ändern und im Ticket vermerken.
""",
)

P(
    "chat_export",
    "es",
    r"""
[«date:d» «hm»] «first:a»: ¿me pasas la clave del FTP de proveedores?
[«date:d» «hm»] «first:b»: servidor «ip», usuario «user»
[«date:d» «hm»] «first:b»: contraseña:
«pw»
""",
)

# --------------------------------------------------- logs / stack traces ---
P(
    "application_log",
    "en",
    r"""
«ts» INFO  [main] o.h.e.j.c.i.DriverManagerConnectionProviderImpl - HHH10001005: using driver [org.postgresql.Driver] at URL [jdbc:postgresql://«ip»:5432/«db»]
«ts» INFO  [main] o.h.e.j.c.i.DriverManagerConnectionProviderImpl - HHH10001001: Connection properties: {password=«pw», user=«user»}
«ts» WARN  [main] o.h.e.j.e.i.JdbcEnvironmentInitiator - HHH000342: Could not obtain connection to query metadata
""",
)

P(
    "python_traceback",
    "en",
    r"""
Traceback (most recent call last):
  File "/srv/app/jobs/sync.py", line 42, in <module>
    engine = create_engine("postgresql://«user:u»:«pwu»@«ip:h»:5432/«db»")
  File "/srv/app/venv/lib/python3.11/site-packages/sqlalchemy/engine/create.py", line 564, in create_engine
    dbapi = dbapi_meth(**dbapi_args)
sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "«ip:h»", port 5432 failed: FATAL:  password authentication failed for user "«user:u»"
""",
)

P(
    "java_stack_trace",
    "en",
    r"""
«ts» ERROR [pool-3-thread-1] c.«word».etl.Loader - load failed, cfg={url=jdbc:mysql://«ip:h»:3306/«db», user=«user:u», password=«pw»}
java.sql.SQLException: Access denied for user '«user:u»'@'«ip»' (using password: YES)
	at com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:129)
	at com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:828)
	at c.«word».etl.Loader.run(Loader.java:88)
""",
)

P(
    "application_log_json",
    "en",
    r"""
{"ts":"«ts_iso»","level":"debug","msg":"outbound request","method":"POST","url":"https://api.«domain»/v1/orders","headers":{"authorization":"Bearer «jwt»","x-request-id":"«uuid»"},"client_ip":"«ip»","user":"«email»"}
""",
)

P(
    "nginx_access_log",
    "en",
    r"""
«ip» - - [«clf_ts»] "GET /api/v1/export?format=csv&api_key=«hex32» HTTP/1.1" 200 18234 "-" "python-requests/2.31.0"
«ip» - - [«clf_ts»] "POST /login HTTP/1.1" 302 0 "https://«pubhost»/login" "Mozilla/5.0"
«ip» - - [«clf_ts»] "GET /reset?email=«email»&token=«key32» HTTP/1.1" 200 512 "-" "Mozilla/5.0"
""",
)

P(
    "application_log",
    "en",
    r"""
«ts» DEBUG [http-nio-8080-exec-7] o.s.web.client.RestTemplate - HTTP POST https://«ip»/oauth/token
«ts» DEBUG [http-nio-8080-exec-7] o.s.web.client.RestTemplate - Writing [{grant_type=[client_credentials], client_id=[«nhex32»], client_secret=[«key40»]}]
""",
)

P(
    "application_log",
    "es",
    r"""
«ts» ERROR conexion.py:77 - No se pudo conectar a la base de datos «db» en «ip»: usuario=«user» contraseña=«pw» (tiempo de espera agotado)
«ts» INFO  conexion.py:80 - Reintentando en 30 segundos
""",
)

P(
    "application_log",
    "tr",
    r"""
«ts» HATA  [odeme] Banka servisine bağlanılamadı. kullanici=«user» sifre=«pw» sunucu=«ip»
«ts» BILGI [odeme] Kart ile ödeme reddedildi: kart=«card» e-posta=«email»
""",
)

P(
    "application_log",
    "ru",
    r"""
«ts» ОШИБКА [импорт] не удалось подключиться к «ip»:5432, пользователь «user», пароль: «pw»
«ts» ИНФО   [импорт] уведомление отправлено на «email»
""",
)

P(
    "application_log",
    "pl",
    r"""
«ts» BŁĄD [eksport] logowanie do SFTP «ip» nie powiodło się (użytkownik=«user», hasło=«pw»)
«ts» INFO [eksport] raport wysłany do «email»
""",
)

P(
    "sshd_log",
    "en",
    r"""
«syslog_ts» bastion sshd[«d5»]: Failed password for invalid user «user» from «ip» port «d5» ssh2
«syslog_ts» bastion sshd[«d5»]: Accepted publickey for «user» from «ip» port «d5» ssh2
«syslog_ts» bastion sshd[«d5»]: Disconnected from authenticating user root «ip6» port «d5» [preauth]
""",
)

P(
    "firewall_rules",
    "en",
    r"""
# allow partner VPN endpoints
iptables -A INPUT -s «ip»/32 -p tcp --dport 443 -j ACCEPT
iptables -A INPUT -s «ip»/32 -p udp --dport 500 -j ACCEPT
ip6tables -A INPUT -s «ip6»/128 -p tcp --dport 443 -j ACCEPT
iptables -A INPUT -s 10.0.0.0/8 -j ACCEPT
""",
)

P(
    "fail2ban_log",
    "en",
    r"""
«ts» fail2ban.actions [«d4»]: NOTICE [sshd] Ban «ip»
«ts» fail2ban.actions [«d4»]: NOTICE [nginx-botsearch] Ban «ip»
«ts» fail2ban.actions [«d4»]: NOTICE [sshd] Unban «ip»
""",
)

P(
    "vault_response_log",
    "en",
    r"""
{"request_id":"«uuid»","lease_id":"database/creds/readonly/«nalnum24»","renewable":true,"lease_duration":3600,"data":{"password":"«pwu»","username":"v-token-readonly-«lower8»-«d10»"},"auth":null}
""",
)

P(
    "sentry_event",
    "en",
    r"""
{
  "event_id": "«nhex32»",
  "level": "error",
  "exception": {"values": [{"type": "AuthError", "value": "invalid credentials for «email:e»"}]},
  "request": {
    "url": "https://«pubhost»/api/session",
    "env": {"REMOTE_ADDR": "«ip»"},
    "cookies": {"session": "«session»"},
    "data": {"email": "«email:e»", "password": "«pw»"}
  }
}
""",
)

P(
    "curl_verbose",
    "en",
    r"""
*   Trying «ip:h»:443...
* Connected to api.«domain:d» («ip:h») port 443
> GET /v2/accounts HTTP/2
> Host: api.«domain:d»
> Authorization: Bearer «jwt»
> User-Agent: curl/8.4.0
>
< HTTP/2 200
""",
)

# ---------------------------------------------------------- card data ---
P(
    "payment_service_log",
    "en",
    r"""
«ts» WARN  PaymentGateway - charge declined: card=«card» exp=«exp» amount=«amount» EUR customer=«email» ip=«ip»
«ts» INFO  PaymentGateway - retrying with 3DS for order «ordernum»
""",
)

P(
    "payment_service_log",
    "en",
    r"""
«ts» DEBUG c.s.billing.StripeClient - POST https://api.stripe.com/v1/payment_methods body=type=card&card[number]=«card»&card[exp_month]=«mm»&card[exp_year]=«yyyy»&card[cvc]=«cvc»
«ts» DEBUG c.s.billing.StripeClient - Authorization: Bearer «stripe_sk»
""",
)

P(
    "application_log_json",
    "en",
    r"""
{"level":"error","ts":"«ts_iso»","svc":"checkout","msg":"tokenization failed","pan":"«card»","exp":"«exp»","email":"«email»","remote_addr":"«ip»"}
{"level":"error","ts":"«ts_iso»","svc":"checkout","msg":"tokenization failed","pan":"«card»","exp":"«exp»","email":"«email»","remote_addr":"«ip»"}
""",
)

P(
    "csv_export",
    "en",
    r"""
order_id,email,card_number,amount,ip
«ordernum»,«email»,«card»,«amount»,«ip»
«ordernum»,«email»,«card»,«amount»,«ip»
«ordernum»,«email»,«card»,«amount»,«ip6»
""",
)

P(
    "kafka_message_dump",
    "en",
    r"""
offset=«d6» partition=«d1» key=«uuid»
value={"type":"payment.created","card":"«card»","holder_email":"«email»","amount":«amount»,"client_ip":"«ip»"}
""",
)

P(
    "redis_monitor",
    "en",
    r"""
«epoch».«d6» [0 «privip»:«d5»] "HSET" "cart:«d6»" "card" "«card»" "cvv" "«cvc»"
«epoch».«d6» [0 «privip»:«d5»] "HSET" "cart:«d6»" "email" "«email»"
""",
)

P(
    "mysql_general_log",
    "en",
    r"""
«ts_iso»	   «d3» Connect	«user»@«privip» on «db» using TCP/IP
«ts_iso»	   «d3» Query	SELECT id FROM payments WHERE card_number = '«card»' AND email = '«email»'
""",
)

P(
    "elasticsearch_document",
    "en",
    r"""
{
  "_index": "checkout-events-«date»",
  "_id": "«nalnum20»",
  "_source": {
    "event": "card_submitted",
    "card_number": "«card»",
    "customer": "«email»",
    "geo": {"ip": "«ip»"}
  }
}
""",
)

P(
    "android_logcat",
    "en",
    r"""
«logcat_ts»  «d4»  «d4» D CheckoutViewModel: submitting card «card» for «email»
«logcat_ts»  «d4»  «d4» D HttpClient: Authorization: Bearer «jwt»
""",
)

P(
    "chargeback_csv",
    "en",
    r"""
case_id;opened;card;reason;cardholder_email
CB-«d6»;«date»;«card»;fraudulent;«email»
CB-«d6»;«date»;«card»;not_received;«email»
""",
)

P(
    "webhook_payload",
    "en",
    r"""
{
  "id": "evt_«nalnum24»",
  "type": "order.paid",
  "data": {
    "customer": {"email": "«email»", "ip": "«ip»"},
    "payment": {"method": "card", "number": "«card»", "expiry": "«exp»"}
  }
}
""",
)

P(
    "pci_scan_report",
    "en",
    r"""
PAN discovery scan - host app-«d2» («privip»)
[HIGH] /var/log/app/debug.log:«num»  «card»
[HIGH] /srv/exports/orders-«date».csv:«num»  «card»
[MED]  /home/«user»/notes.txt:«num»  «card»
""",
)

P(
    "support_email",
    "en",
    r"""
From: «First» «Last» <«email»>
Subject: Refund not received

Hello, I was charged twice on «date». The card I used is «card» (exp «exp»).
Please refund to the same card. You can reach me at «email» as well.
""",
)

# --------------------------------------------------------------- people ---
P(
    "package_json",
    "en",
    r"""
{
  "name": "@«company»/ui-kit",
  "version": "«semver»",
  "author": "«First» «Last» <«email»>",
  "contributors": ["«email»"],
  "scripts": { "build": "tsup src/index.ts" }
}
""",
)

P(
    "pom_xml",
    "en",
    r"""
<developers>
  <developer>
    <id>«user»</id>
    <name>«First» «Last»</name>
    <email>«email»</email>
    <organization>«Company»</organization>
  </developer>
</developers>
""",
)

P(
    "codeowners",
    "en",
    r"""
# Each line is a file pattern followed by one or more owners.
/infra/        «email» «email»
/billing/      «email»
*.tf           «email»
""",
)

P(
    "mailmap",
    "en",
    r"""
«First» «Last» <«email»> <«email»>
«First» «Last» <«email»> «first» <«email»>
""",
)

P(
    "git_log",
    "en",
    r"""
commit «nhex40»
Author: «First» «Last» <«email»>
Date:   Tue Mar 4 10:12:44 2025 +0100

    fix: rotate leaked smtp password (was «pw»)
""",
)

P(
    "sql_dump",
    "en",
    r"""
INSERT INTO `customers` (`id`, `email`, `last_login_ip`, `created_at`) VALUES
(«num», '«email»', '«ip»', '«date» 10:11:12'),
(«num», '«email»', '«ip»', '«date» 08:40:03'),
(«num», '«email»', '«ip6»', '«date» 17:02:55');
""",
)

P(
    "sql_dump",
    "en",
    r"""
INSERT INTO payment_cards (customer_id, pan, exp_month, exp_year, holder_email) VALUES
(«num», '«card»', «mm», «yyyy», '«email»'),
(«num», '«card»', «mm», «yyyy», '«email»');
""",
)

P(
    "access_list",
    "en",
    r"""
# admin panel allow-list (managed by «email»)
«ip»    # office «word»
«ip»    # vpn gateway
«ip6»    # ipv6 office uplink
""",
)

P(
    "dns_zone",
    "en",
    r"""
$ORIGIN «domain».
@       3600 IN A     «ip»
www     3600 IN A     «ip»
mail    3600 IN A     «ip»
@       3600 IN AAAA  «ip6»
@       3600 IN TXT   "v=spf1 ip4:«ip» include:_spf.«domain» -all"
""",
)

# ------------------------------------------------------------------ SQL ---
P(
    "sql_script",
    "en",
    r"""
CREATE USER '«user:u»'@'%' IDENTIFIED BY '«pw»';
GRANT SELECT, INSERT, UPDATE ON «db».* TO '«user:u»'@'%';
FLUSH PRIVILEGES;
""",
)

P(
    "sql_script",
    "en",
    r"""
CREATE ROLE «user:u» WITH LOGIN PASSWORD '«pw»' VALID UNTIL '2026-01-01';
ALTER ROLE replicator WITH REPLICATION LOGIN PASSWORD '«pw»';
GRANT CONNECT ON DATABASE «db» TO «user:u»;
""",
)

P(
    "sql_script",
    "en",
    r"""
CREATE USER etl_«word:w» IDENTIFIED BY «pwora»;
GRANT CREATE SESSION, CREATE TABLE TO etl_«word:w»;
ALTER USER system IDENTIFIED BY «pwora» ACCOUNT UNLOCK;
""",
)

P(
    "sql_script",
    "en",
    r"""
CREATE LOGIN [«user»] WITH PASSWORD = N'«pw»', CHECK_POLICY = OFF;
EXEC sp_addlinkedsrvlogin @rmtsrvname = N'LEGACY_ERP', @useself = N'False', @locallogin = NULL, @rmtuser = N'«user»', @rmtpassword = N'«pw»';
""",
)

P(
    "sql_stored_procedure",
    "en",
    r"""
CREATE PROCEDURE dbo.ImportLegacyOrders
AS
BEGIN
    SELECT *
    INTO #staging
    FROM OPENROWSET('SQLNCLI', 'Server=«ip»;Uid=«user»;Pwd=«pw»;Database=«db»;',
                    'SELECT order_id, total FROM dbo.Orders WHERE shipped = 0');
END
""",
)

P(
    "sql_script",
    "en",
    r"""
CREATE SERVER legacy_pg FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '«ip»', port '5432', dbname '«db»');
CREATE USER MAPPING FOR CURRENT_USER SERVER legacy_pg OPTIONS (user '«user»', password '«pw»');
""",
)

P(
    "sql_script",
    "en",
    r"""
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST='«ip»',
  SOURCE_USER='repl',
  SOURCE_PASSWORD='«pw»',
  SOURCE_SSL=1;
START REPLICA;
""",
)

P(
    "sql_script",
    "en",
    r"""
SELECT dblink_connect('archive', 'host=«ip» dbname=«db» user=«user» password=«pw»');
""",
)

P(
    "sql_script",
    "en",
    r"""
UPDATE integrations SET api_key = '«sendgrid»', updated_by = '«email»' WHERE name = 'sendgrid';
UPDATE integrations SET api_key = '«mailgun»' WHERE name = 'mailgun';
""",
)

P(
    "sql_stored_procedure",
    "en",
    r"""
CREATE OR REPLACE FUNCTION sync_remote() RETURNS void AS $$
BEGIN
  PERFORM dblink_exec('host=«ip» port=5432 dbname=«db» user=«user» password=«pw»',
                      'REFRESH MATERIALIZED VIEW daily_totals');
END;
$$ LANGUAGE plpgsql;
""",
)

# ----------------------------------------------------------------- HTTP ---
P(
    "http_request",
    "en",
    r"""
POST /v1/payment_intents HTTP/1.1
Host: api.stripe.com
Authorization: Bearer «stripe_sk»
Content-Type: application/x-www-form-urlencoded
Idempotency-Key: «uuid»

amount=«d4»&currency=eur&payment_method_data[type]=card&payment_method_data[card][number]=«card»&receipt_email=«email»
""",
)

P(
    "http_request",
    "en",
    r"""
GET /admin/api/2024-01/orders.json HTTP/1.1
Host: «company».myshopify.com
X-Shopify-Access-Token: «shopify»
Accept: application/json
""",
)

P(
    "http_request",
    "en",
    r"""
POST /api/login HTTP/1.1
Host: «pubhost»
Content-Type: application/json
X-Forwarded-For: «ip»
Cookie: csrftoken=«csrf»

{"username": "«email»", "password": "«pw»"}
""",
)

P(
    "http_request",
    "en",
    r"""
GET /internal/metrics HTTP/1.1
Host: «privip»:9090
Authorization: Basic «basic»
Cookie: sessionid=«session»; csrftoken=«csrf»
User-Agent: curl/8.5.0
""",
)

P(
    "http_response",
    "en",
    r"""
HTTP/1.1 200 OK
Content-Type: application/json
Set-Cookie: __Host-session=«session»; Path=/; Secure; HttpOnly; SameSite=Lax
X-Request-Id: «uuid»

{"access_token":"«jwt»","token_type":"Bearer","expires_in":3600,"refresh_token":"«key40»"}
""",
)

P(
    "http_request",
    "en",
    r"""
POST /graphql HTTP/1.1
Host: api.linear.app
Authorization: «linear»
Content-Type: application/json

{"query":"{ viewer { id email } }"}
""",
)

P(
    "http_request",
    "en",
    r"""
POST /v1/messages HTTP/1.1
Host: api.anthropic.com
x-api-key: «anthropic»
anthropic-version: 2023-06-01
content-type: application/json
""",
)

P(
    "har_snippet",
    "en",
    r"""
{
  "request": {
    "method": "GET",
    "url": "https://api.«domain»/v1/me",
    "headers": [
      {"name": "Authorization", "value": "Bearer «jwt»"},
      {"name": "Cookie", "value": "sid=«session»"}
    ]
  },
  "serverIPAddress": "«ip»"
}
""",
)

P(
    "http_request",
    "en",
    r"""
PUT /api/v2/series HTTP/1.1
Host: api.datadoghq.eu
DD-API-KEY: «dd_api»
DD-APPLICATION-KEY: «dd_app»
Content-Type: application/json
""",
)

P(
    "http_request",
    "en",
    r"""
GET /api/v1/users?limit=50 HTTP/1.1
Host: «company».okta.com
Authorization: SSWS «okta»
Accept: application/json
""",
)

P(
    "http_request",
    "en",
    r"""
POST /v3/mail/send HTTP/1.1
Host: api.sendgrid.com
Authorization: Bearer «sendgrid»

{"personalizations":[{"to":[{"email":"«email»"}]}],"from":{"email":"«email»"},"subject":"Invoice"}
""",
)

P(
    "http_request",
    "en",
    r"""
POST /2010-04-01/Accounts/«twilio_sid»/Messages.json HTTP/1.1
Host: api.twilio.com
Authorization: Basic «basic»
X-Forwarded-For: «ip»
""",
)

P(
    "http_request",
    "en",
    r"""
GET /rest/api/3/myself HTTP/1.1
Host: «company».atlassian.net
Authorization: Basic «basic»
X-Atlassian-Token: «atlassian»
""",
)

P(
    "http_request",
    "en",
    r"""
POST /v2/payments HTTP/1.1
Host: connect.squareup.com
Authorization: Bearer «square»
Square-Version: 2024-01-18

{"source_id":"cnon:card-nonce-ok","amount_money":{"amount":«d4»,"currency":"EUR"},"buyer_email_address":"«email»"}
""",
)


# ===========================================================================
# HARD NEGATIVE TEMPLATES  (category, context, lang, text) - no spans at all
# ===========================================================================
NEG = []


def N(category, context, lang, text):
    NEG.append((category, context, lang, text.strip("\n")))


# ------------------------------------------------------------ env_lookup ---
N(
    "env_lookup",
    "python_source",
    "en",
    r"""
import os

DB_PASSWORD = os.environ["«ENVNAME»_DB_PASSWORD"]
API_TOKEN = os.environ.get("«ENVNAME»_API_TOKEN", "")
CACHE_URL = os.getenv("CACHE_URL", "redis://«privip»:6379/«d1»")
""",
)
N(
    "env_lookup",
    "javascript_source",
    "en",
    r"""
const config = {
  dbPassword: process.env.«ENVNAME»_DB_PASSWORD,
  stripeKey: process.env.STRIPE_SECRET_KEY ?? '',
  port: Number(process.env.PORT || «port»),
};
""",
)
N(
    "env_lookup",
    "ruby_source",
    "en",
    r"""
config.action_mailer.smtp_settings = {
  address: ENV.fetch('SMTP_HOST', '«privip»'),
  user_name: ENV.fetch('SMTP_USER'),
  password: ENV.fetch('SMTP_PASSWORD'),
  port: «port»
}
""",
)
N(
    "env_lookup",
    "java_source",
    "en",
    r"""
String url = System.getenv("«ENVNAME»_JDBC_URL");
String user = System.getenv().getOrDefault("«ENVNAME»_DB_USER", "«user»");
char[] password = System.getenv("«ENVNAME»_DB_PASSWORD").toCharArray();
""",
)
N(
    "env_lookup",
    "go_source",
    "en",
    r"""
dsn := fmt.Sprintf("%s:%s@tcp(%s)/%s", os.Getenv("DB_USER"), os.Getenv("DB_PASSWORD"), os.Getenv("DB_HOST"), "«db»")
token, ok := os.LookupEnv("«ENVNAME»_TOKEN")
if !ok {
    log.Fatal("«ENVNAME»_TOKEN not set")
}
""",
)
N(
    "env_lookup",
    "csharp_source",
    "en",
    r"""
var password = Environment.GetEnvironmentVariable("«ENVNAME»_SQL_PASSWORD")
    ?? throw new InvalidOperationException("missing «ENVNAME»_SQL_PASSWORD");
var apiKey = builder.Configuration["«Word»:ApiKey"];
""",
)
N(
    "env_lookup",
    "rust_source",
    "en",
    r"""
let api_key = std::env::var("«ENVNAME»_API_KEY").expect("«ENVNAME»_API_KEY must be set");
let db_url = env::var("DATABASE_URL").unwrap_or_else(|_| "postgres://localhost/«db»".into());
""",
)
N(
    "env_lookup",
    "shell_script",
    "en",
    r"""
: "${DB_PASSWORD:?DB_PASSWORD must be set}"
: "${«ENVNAME»_TOKEN:?missing token}"
mysql -h "$DB_HOST" -u "$DB_USER" -p"$DB_PASSWORD" «db» < migrations/«d4»_init.sql
""",
)
N(
    "env_lookup",
    "powershell_script",
    "en",
    r"""
$password = $env:«ENVNAME»_ADMIN_PASSWORD
$token = [Environment]::GetEnvironmentVariable("«ENVNAME»_TOKEN", "Machine")
Write-Host "Connecting to $($env:COMPUTERNAME) on port «port»"
""",
)
N(
    "env_lookup",
    "php_source",
    "en",
    r"""
<?php
$db = new PDO(getenv('DB_DSN'), getenv('DB_USER'), getenv('DB_PASSWORD'));
$stripeSecret = $_ENV['STRIPE_SECRET'] ?? null;
$timeout = (int) ($_ENV['«ENVNAME»_TIMEOUT'] ?? «d2»);
""",
)
N(
    "env_lookup",
    "docker_compose",
    "en",
    r"""
services:
  db:
    image: postgres:1«d1»
    environment:
      POSTGRES_USER: ${POSTGRES_USER}
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?err}
  «word»:
    image: «word»/api:«semver»
    env_file: .env
""",
)

# --------------------------------------------------- ci_secret_reference ---
N(
    "ci_secret_reference",
    "github_actions_workflow",
    "en",
    r"""
jobs:
  publish:
    runs-on: ubuntu-latest
    timeout-minutes: «d2»
    env:
      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
      «ENVNAME»_API_KEY: ${{ secrets.«ENVNAME»_API_KEY }}
    steps:
      - uses: docker/login-action@v3
        with:
          username: ${{ vars.DOCKERHUB_USERNAME }}
          password: ${{ secrets.DOCKERHUB_TOKEN }}
""",
)
N(
    "ci_secret_reference",
    "gitlab_ci_config",
    "en",
    r"""
build_image:
  stage: build
  script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" .
  variables:
    «ENVNAME»_URL: https://«pubhost»
""",
)
N(
    "ci_secret_reference",
    "jenkinsfile",
    "en",
    r"""
stage('Deploy') {
    environment {
        SONAR_TOKEN = credentials('sonar-«word»')
    }
    steps {
        withCredentials([usernamePassword(credentialsId: '«word»-nexus', usernameVariable: 'NEXUS_USER', passwordVariable: 'NEXUS_PASS')]) {
            sh 'mvn -s settings.xml deploy -Dnexus.user=$NEXUS_USER -Dnexus.pass=$NEXUS_PASS -Dbuild=«d4»'
        }
    }
}
""",
)
N(
    "ci_secret_reference",
    "circleci_config",
    "en",
    r"""
workflows:
  release:
    jobs:
      - publish:
          context: «word»-prod
jobs:
  publish:
    steps:
      - run: echo "$DOCKERHUB_PASSWORD" | docker login -u "$DOCKERHUB_USERNAME" --password-stdin
      - run: ./scripts/release.sh --build «d4»
""",
)
N(
    "ci_secret_reference",
    "azure_pipelines_config",
    "en",
    r"""
variables:
  - group: «word»-prod-secrets
steps:
  - task: AzureKeyVault@2
    inputs:
      azureSubscription: sc-«word»
      KeyVaultName: kv-«word»-«d2»
      SecretsFilter: 'SqlPassword,ApiKey'
  - script: sqlcmd -S $(sqlServer) -U $(sqlUser) -P $(SqlPassword) -i migrate.sql
""",
)
N(
    "ci_secret_reference",
    "drone_config",
    "en",
    r"""
steps:
  - name: publish
    image: plugins/docker:«semver»
    settings:
      repo: «word»/api
      username:
        from_secret: docker_username
      password:
        from_secret: docker_password
""",
)
N(
    "ci_secret_reference",
    "buildkite_pipeline",
    "en",
    r"""
steps:
  - label: ":key: fetch secrets"
    command: |
      export API_TOKEN="$(buildkite-agent secret get api_token)"
      export DB_PASSWORD="$(buildkite-agent secret get «word»_db_password)"
      ./deploy.sh --step «d3»
""",
)

# --------------------------------------------- secret_manager_reference ---
N(
    "secret_manager_reference",
    "cloudformation_template",
    "en",
    r"""
MasterUserPassword: '{{resolve:secretsmanager:arn:aws:secretsmanager:«region»:«d12»:secret:prod/«db»-«nalnum6»:SecretString:password}}'
ApiKey: '{{resolve:ssm-secure:/prod/«word»/api-key:«d1»}}'
""",
)
N(
    "secret_manager_reference",
    "terraform_config",
    "en",
    r"""
data "aws_secretsmanager_secret_version" "db" {
  secret_id = "arn:aws:secretsmanager:«region»:«d12»:secret:«word»/db-«nalnum6»"
}

resource "aws_db_instance" "main" {
  password = jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]
}
""",
)
N(
    "secret_manager_reference",
    "azure_app_settings",
    "en",
    r"""
{
  "name": "DbPassword",
  "value": "@Microsoft.KeyVault(SecretUri=https://kv-«word»-«d2».vault.azure.net/secrets/DbPassword/«nhex32»)",
  "slotSetting": false
}
""",
)
N(
    "secret_manager_reference",
    "cloud_run_service",
    "en",
    r"""
env:
  - name: STRIPE_SECRET_KEY
    valueFrom:
      secretKeyRef:
        name: projects/«d12»/secrets/«word»-stripe-key
        key: latest
  - name: LOG_LEVEL
    value: info
""",
)
N(
    "secret_manager_reference",
    "vault_agent_template",
    "en",
    r"""
{{ with secret "database/creds/«word»-readonly" }}
DB_USER={{ .Data.username }}
DB_PASSWORD={{ .Data.password }}
{{ end }}
# lease ttl «d2»m, rendered by vault-agent
""",
)
N(
    "secret_manager_reference",
    "dotenv_template",
    "en",
    r"""
# resolved at runtime by `op run --env-file=.env.tpl -- ./server`
DATABASE_PASSWORD=op://Production/«Word» Postgres/password
STRIPE_SECRET_KEY=op://Production/Stripe «Word»/credential
PORT=«port»
""",
)
N(
    "secret_manager_reference",
    "kubernetes_manifest",
    "en",
    r"""
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: «word»-db
spec:
  refreshInterval: «d2»m
  secretStoreRef:
    name: vault-backend
    kind: ClusterSecretStore
  data:
    - secretKey: password
      remoteRef:
        key: secret/data/«word»/db
        property: password
""",
)

# ------------------------------------------------ placeholder_credentials ---
N(
    "placeholder_credentials",
    "dotenv_example",
    "en",
    r"""
# copy to .env and fill in
APP_NAME=«word»
APP_PORT=«port»
DB_PASSWORD=changeme
STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx
AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX
AWS_SECRET_ACCESS_KEY=<your-secret-access-key>
""",
)
N(
    "placeholder_credentials",
    "readme_snippet",
    "en",
    r"""
Call the API with your own credentials:

    curl -u <username>:<password> https://api.«domain»/v«d1»/reports
    export «ENVNAME»_TOKEN=YOUR_TOKEN_HERE
""",
)
N(
    "placeholder_credentials",
    "yaml_config",
    "en",
    r"""
database:
  host: «privip»
  user: «user»
  password: "********"
api:
  key: YOUR_API_KEY
  secret: REPLACE_ME
  timeout_ms: «d4»
""",
)
N(
    "placeholder_credentials",
    "python_source",
    "en",
    r"""
# Example usage - replace the placeholders before running
client = «Word»Client(api_key="YOUR_API_KEY", secret="<your-secret>")
conn = connect(host="«privip»", user="«user»", password="<password>")
""",
)
N(
    "placeholder_credentials",
    "appsettings_json",
    "en",
    r"""
{
  "ConnectionStrings": {
    "Default": "Server=«privip»;Database=«db»;User Id=«user»;Password=<your_password>;"
  },
  "Stripe": { "SecretKey": "sk_live_..." },
  "Retries": «d1»
}
""",
)
N(
    "placeholder_credentials",
    "docker_compose",
    "en",
    r"""
services:
  db:
    image: mariadb:«d2»
    environment:
      MARIADB_ROOT_PASSWORD: please-change-me
      MARIADB_PASSWORD: xxx
      MARIADB_DATABASE: «db»
""",
)
N(
    "placeholder_credentials",
    "terraform_tfvars",
    "en",
    r"""
# terraform.tfvars.example
admin_password = "CHANGE_ME"
api_token      = "<api-token>"
github_token   = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
instance_count = «d1»
""",
)

# ----------------------------------------------------- artifact_checksums ---
N(
    "artifact_checksums",
    "sha256sums_file",
    "en",
    r"""
«nhex64»  «word»-«semver»-linux-amd64.tar.gz
«nhex64»  «word»-«semver»-linux-arm64.tar.gz
«nhex64»  «word»-«semver»-darwin-arm64.tar.gz
""",
)
N(
    "artifact_checksums",
    "homebrew_formula",
    "en",
    r"""
class «Word»Cli < Formula
  desc "Command line client for «word»"
  url "https://github.com/«word»/«word»-cli/archive/refs/tags/v«semver».tar.gz"
  sha256 "«nhex64»"
  license "MIT"
end
""",
)
N(
    "artifact_checksums",
    "dockerfile",
    "en",
    r"""
ARG TOOL_VERSION=«semver»
ARG TOOL_SHA256=«nhex64»
RUN curl -fsSLo /tmp/tool.tgz https://downloads.«domain»/tool-${TOOL_VERSION}.tgz \
 && echo "${TOOL_SHA256}  /tmp/tool.tgz" | sha256sum -c -
""",
)
N(
    "artifact_checksums",
    "gradle_verification_metadata",
    "en",
    r"""
<component group="org.«word»" name="«word»-core" version="«semver»">
   <artifact name="«word»-core-«semver».jar">
      <sha256 value="«nhex64»" origin="Generated by Gradle"/>
   </artifact>
</component>
""",
)
N(
    "artifact_checksums",
    "go_sum",
    "en",
    r"""
github.com/«word»/«word» v«semver» h1:«nb64_32»
github.com/«word»/«word» v«semver»/go.mod h1:«nb64_32»
""",
)

# --------------------------------------------------------------- git_shas ---
N(
    "git_shas",
    "git_log",
    "en",
    r"""
«nhex7» fix(api): handle empty «word» list
«nhex7» chore(deps): bump «word» from «semver» to «semver»
«nhex7» feat: add «word» export
«nhex7» Merge pull request #«d4» from «word»/«word»-fix
""",
)
N(
    "git_shas",
    "pre_commit_config",
    "en",
    r"""
repos:
  - repo: https://github.com/«word»/«word»-hooks
    rev: «nhex40»  # frozen: v«semver»
    hooks:
      - id: «word»-check
""",
)
N(
    "git_shas",
    "github_actions_workflow",
    "en",
    r"""
steps:
  - uses: actions/checkout@«nhex40» # v4.1.«d1»
  - uses: actions/setup-node@«nhex40» # v4.0.«d1»
    with:
      node-version: «d2»
""",
)
N(
    "git_shas",
    "git_submodule_status",
    "en",
    r"""
 «nhex40» vendor/«word» (v«semver»)
+«nhex40» third_party/«word» (heads/main)
 «nhex40» tools/«word» (v«semver»-«d2»-g«nhex7»)
""",
)

# -------------------------------------------------------- sri_integrity ---
N(
    "sri_integrity",
    "html_source",
    "en",
    r"""
<script src="https://cdn.jsdelivr.net/npm/«word»@«semver»/dist/«word».min.js"
        integrity="sha384-«nb64_48»"
        crossorigin="anonymous"></script>
""",
)
N(
    "sri_integrity",
    "package_lock_json",
    "en",
    r"""
"node_modules/«word»": {
  "version": "«semver»",
  "resolved": "https://registry.npmjs.org/«word»/-/«word»-«semver».tgz",
  "integrity": "sha512-«nb64_64»",
  "dev": true
}
""",
)
N(
    "sri_integrity",
    "yarn_lock",
    "en",
    r"""
«word»@^«semver»:
  version "«semver»"
  resolved "https://registry.yarnpkg.com/«word»/-/«word»-«semver».tgz#«nhex40»"
  integrity sha512-«nb64_64»
""",
)
N(
    "sri_integrity",
    "html_source",
    "en",
    r"""
<link rel="stylesheet" href="/assets/app.«nhex8».css" integrity="sha256-«nb64_32»" crossorigin="anonymous">
""",
)

# ------------------------------------------------------- password_hashes ---
N(
    "password_hashes",
    "shadow_file",
    "en",
    r"""
root:«shacrypt»:19«d3»:0:99999:7:::
«user»:«shacrypt»:19«d3»:0:99999:7:::
nobody:*:19«d3»:0:99999:7:::
""",
)
N(
    "password_hashes",
    "htpasswd_file",
    "en",
    r"""
«user»:«bcrypt»
«first»:«bcrypt»
""",
)
N(
    "password_hashes",
    "django_fixture",
    "en",
    r"""
[
  {
    "model": "auth.user",
    "pk": «d3»,
    "fields": {
      "username": "«first»",
      "password": "«pbkdf2»",
      "is_staff": true
    }
  }
]
""",
)
N(
    "password_hashes",
    "sql_dump",
    "en",
    r"""
INSERT INTO users (id, login, password_hash, created_at) VALUES
(«d4», '«first»', '«argon2»', '«date»'),
(«d4», '«first»', '«bcrypt»', '«date»');
""",
)
N(
    "password_hashes",
    "ldif_file",
    "en",
    r"""
dn: uid=«first»,ou=people,dc=«word»,dc=internal
objectClass: inetOrgPerson
uid: «first»
userPassword: «ssha»
""",
)
N(
    "password_hashes",
    "sql_script",
    "en",
    r"""
-- pg_authid export (hashes only)
«user» | «scram»
CREATE USER '«user»'@'%' IDENTIFIED WITH mysql_native_password AS '«mysqlhash»';
""",
)
N(
    "password_hashes",
    "slapd_config",
    "en",
    r"""
database    mdb
suffix      "dc=«word»,dc=lan"
rootdn      "cn=admin,dc=«word»,dc=lan"
rootpw      «ssha»
""",
)

# ------------------------------------------------------ uuid_identifiers ---
N(
    "uuid_identifiers",
    "terraform_config",
    "en",
    r"""
provider "azurerm" {
  features {}
  subscription_id = "«uuid»"
  tenant_id       = "«uuid»"
}
""",
)
N(
    "uuid_identifiers",
    "arm_resource_id",
    "en",
    r"""
/subscriptions/«uuid»/resourceGroups/rg-«word»-prod/providers/Microsoft.Web/sites/app-«word»
/subscriptions/«uuid»/resourceGroups/rg-«word»-prod/providers/Microsoft.Sql/servers/sql-«word»
""",
)
N(
    "uuid_identifiers",
    "kubernetes_manifest",
    "en",
    r"""
metadata:
  name: «word»-«nalnum5»
  namespace: default
  uid: «uuid»
  resourceVersion: "«d6»"
  ownerReferences:
    - kind: ReplicaSet
      uid: «uuid»
""",
)
N(
    "uuid_identifiers",
    "csharp_source",
    "en",
    r"""
public static readonly Guid PluginId = new Guid("«uuid»");
public static readonly Guid CorrelationScope = Guid.Parse("«uuid»");
""",
)

# -------------------------------------------------------- build_versions ---
N(
    "build_versions",
    "changelog",
    "en",
    r"""
## [«semver»] - «date»
### Fixed
- «word» import no longer times out (#«d4»)

## [«semver»] - «date»
### Added
- «word» export endpoint
""",
)
N(
    "build_versions",
    "ci_output",
    "en",
    r"""
Build #«d4» finished: SUCCESS
Version: «semver»+build.«d3»
Image: registry.«domain»/api:«semver»-«nhex7»
Duration: «d2»m «d2»s
""",
)
N(
    "build_versions",
    "build_gradle",
    "en",
    r"""
android {
    defaultConfig {
        applicationId "com.«word».app"
        versionCode «d5»
        versionName "«semver»"
        minSdk «d2»
    }
}
""",
)
N(
    "build_versions",
    "pyproject_toml",
    "en",
    r"""
[project]
name = "«word»-client"
version = "«semver»"
requires-python = ">=3.«d1»"
""",
)

# ----------------------------------------------------- four_part_version ---
N(
    "four_part_version",
    "csharp_source",
    "en",
    r"""
[assembly: AssemblyVersion("«ver4»")]
[assembly: AssemblyFileVersion("«ver4»")]
[assembly: AssemblyInformationalVersion("«semver»-rc.«d1»")]
""",
)
N(
    "four_part_version",
    "csproj_file",
    "en",
    r"""
<PropertyGroup>
  <TargetFramework>net8.0</TargetFramework>
  <Version>«ver4»</Version>
  <FileVersion>«ver4»</FileVersion>
  <Product>«Word» Agent</Product>
</PropertyGroup>
""",
)
N(
    "four_part_version",
    "info_plist",
    "en",
    r"""
<key>CFBundleShortVersionString</key>
<string>«semver»</string>
<key>CFBundleVersion</key>
<string>«ver4»</string>
""",
)
N(
    "four_part_version",
    "firmware_notes",
    "en",
    r"""
«Word» switch firmware «ver4» (released «date»)
 - upgrade path: «ver4» -> «ver4»
 - bootloader «ver4» required
""",
)
N(
    "four_part_version",
    "powershell_output",
    "en",
    r"""
PS C:\> (Get-Item "C:\Program Files\«Word»\agent.exe").VersionInfo

ProductVersion   FileVersion      FileName
--------------   -----------      --------
«ver4»          «ver4»          C:\Program Files\«Word»\agent.exe
""",
)

# ----------------------------------------------------- container_digests ---
N(
    "container_digests",
    "kubernetes_manifest",
    "en",
    r"""
containers:
  - name: «word»
    image: ghcr.io/«word»/«word»@«digest»
    imagePullPolicy: IfNotPresent
""",
)
N(
    "container_digests",
    "docker_output",
    "en",
    r"""
«semver»: Pulling from library/«word»
«nhex12»: Pull complete
«nhex12»: Pull complete
Digest: «digest»
Status: Downloaded newer image for «word»:«semver»
""",
)
N(
    "container_digests",
    "oci_index_json",
    "en",
    r"""
{
  "schemaVersion": 2,
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "«digest»", "size": «d4», "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "«digest»", "size": «d4», "platform": {"architecture": "arm64", "os": "linux"}}
  ]
}
""",
)
N(
    "container_digests",
    "kubectl_output",
    "en",
    r"""
$ kubectl get pod «word»-«nalnum5» -o jsonpath='{.status.containerStatuses[0].imageID}'
docker-pullable://registry.«domain»/«word»@«digest»
""",
)

# ----------------------------------------------------- request_trace_ids ---
N(
    "request_trace_ids",
    "http_response",
    "en",
    r"""
HTTP/1.1 502 Bad Gateway
X-Request-Id: «uuid»
traceparent: «traceparent»
X-Amzn-Trace-Id: «xray»
CF-Ray: «nhex16»-FRA
""",
)
N(
    "request_trace_ids",
    "application_log_json",
    "en",
    r"""
{"ts":"«ts_iso»","level":"info","msg":"request finished","trace_id":"«nhex32»","span_id":"«nhex16»","duration_ms":«d3»,"status":200}
{"ts":"«ts_iso»","level":"warn","msg":"slow query","trace_id":"«nhex32»","span_id":"«nhex16»","duration_ms":«d4»}
""",
)
N(
    "request_trace_ids",
    "otel_span_dump",
    "en",
    r"""
Span #«d1»
    Trace ID       : «nhex32»
    Parent ID      : «nhex16»
    ID             : «nhex16»
    Name           : GET /api/«word»
    Status code    : Ok
""",
)
N(
    "request_trace_ids",
    "support_ticket",
    "en",
    r"""
Customer reports a 500 on checkout. Request id «uuid», trace «nhex32».
Correlation id from the gateway: «nalnum26». Happened at «ts_iso».
""",
)

# ------------------------------------------------------------ csrf_nonces ---
N(
    "csrf_nonces",
    "html_source",
    "en",
    r"""
<form method="post" action="/account/«word»/">
  <input type="hidden" name="csrfmiddlewaretoken" value="«csrf»">
  <button type="submit">Save</button>
</form>
""",
)
N(
    "csrf_nonces",
    "html_source",
    "en",
    r"""
<meta name="csrf-param" content="authenticity_token" />
<meta name="csrf-token" content="«nb64_64»" />
<script nonce="«nonce»">window.__APP__ = {page: "«word»"};</script>
""",
)
N(
    "csrf_nonces",
    "http_response",
    "en",
    r"""
HTTP/2 200
content-security-policy: default-src 'self'; script-src 'self' 'nonce-«nonce»'; object-src 'none'
x-csrf-token: «csrf»
""",
)
N(
    "csrf_nonces",
    "oauth_authorize_url",
    "en",
    r"""
https://login.«domain»/oauth2/authorize?response_type=code&client_id=«nalnum20»&redirect_uri=https%3A%2F%2F«word».app%2Fcallback&scope=openid%20profile&state=«nalnum32»&nonce=«nalnum32»&code_challenge=«nalnum43»&code_challenge_method=S256
""",
)
N(
    "csrf_nonces",
    "php_template",
    "en",
    r"""
<form method="POST" action="/profile/«d4»">
    <input type="hidden" name="_token" value="«nalnum40»">
    <input type="hidden" name="_method" value="PUT">
</form>
""",
)

# ------------------------------------------------------ base64_nonsecret ---
N(
    "base64_nonsecret",
    "kubernetes_manifest",
    "en",
    r"""
apiVersion: v1
kind: ConfigMap
metadata:
  name: «word»-settings
binaryData:
  settings.json: «b64json»
""",
)
N(
    "base64_nonsecret",
    "shell_script",
    "en",
    r"""
# decode the feature-flag payload we got from the CDN edge
echo '«b64json»' | base64 -d | jq .
""",
)
N(
    "base64_nonsecret",
    "email_mime",
    "en",
    r"""
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="notes-«d3».txt"

«b64text»
""",
)
N(
    "base64_nonsecret",
    "json_event",
    "en",
    r"""
{"messageId":"«d16»","publishTime":"«ts_iso»","data":"«b64json»","attributes":{"source":"«word»"}}
""",
)
N(
    "base64_nonsecret",
    "css_source",
    "en",
    r"""
.icon-«word» {
  background-image: url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQ«nb64_48»");
}
""",
)

# ------------------------------------------------------ public_keys_certs ---
N(
    "public_keys_certs",
    "authorized_keys",
    "en",
    r"""
«sshpub» «first»-laptop
«sshpub» ci-deploy-«d2»
""",
)
N(
    "public_keys_certs",
    "tls_certificate",
    "en",
    r"""
# /etc/ssl/certs/«word».crt
«cert»
""",
)
N(
    "public_keys_certs",
    "go_source",
    "en",
    r"""
// publicKeyPEM verifies webhook signatures from «word»; it is safe to commit.
const publicKeyPEM = `«pubkey»`
""",
)
N(
    "public_keys_certs",
    "pgp_key_file",
    "en",
    r"""
«pgp_pub»
""",
)
N(
    "public_keys_certs",
    "jwks_json",
    "en",
    r"""
{"keys":[{"kty":"RSA","use":"sig","kid":"«nalnum16»","alg":"RS256","n":"«jwks_n»","e":"AQAB"}]}
""",
)
N(
    "public_keys_certs",
    "known_hosts",
    "en",
    r"""
«privip» «sshpub»
|1|«nb64_20»|«nb64_20» «sshpub»
""",
)

# --------------------------------------------------- test_fixtures_fake ---
N(
    "test_fixtures_fake",
    "python_test",
    "en",
    r"""
def test_login_rejects_bad_password_«d3»(client):
    resp = client.post("/login", json={"email": "«resmail»", "password": "wrong-password"})
    assert resp.status_code == 401


def test_token_is_masked(caplog):
    log_request(token="not-a-real-token")
    assert "not-a-real-token" not in caplog.text
""",
)
N(
    "test_fixtures_fake",
    "jest_test",
    "en",
    r"""
jest.mock('../src/payments', () => ({
  secretKey: 'fake-secret-key-for-tests',
  webhookSecret: 'whsec_test_dummy',
}));

test('charges «d2» euros', async () => {
  await expect(charge(«d2»)).resolves.toBeDefined();
});
""",
)
N(
    "test_fixtures_fake",
    "go_test",
    "en",
    r"""
var cases = []struct {
    name, user, password string
    wantErr              error
}{
    {"empty password", "«first»", "", ErrEmptyPassword},
    {"dummy creds", "test-user", "dummy-password", nil},
    {"case «d3»", "«first»", "fake", ErrTooShort},
}
""",
)
N(
    "test_fixtures_fake",
    "rspec_factory",
    "en",
    r"""
FactoryBot.define do
  factory :user do
    email { "«first»@example.com" }
    password { "test-password" }
    api_token { "fake-token-#{«d3»}" }
  end
end
""",
)
N(
    "test_fixtures_fake",
    "yaml_fixture",
    "en",
    r"""
users:
  - email: «resmail»
    password: fake-password-«d3»
  - email: «resmail»
    password: dummy
""",
)

# ------------------------------------------------------------ minified_code ---
N(
    "minified_code",
    "minified_javascript",
    "en",
    r"""
!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?module.exports=t():"function"==typeof define&&define.amd?define(t):(e=e||self).«Word»=t()}(this,function(){"use strict";var n="«semver»",r=function(e){return e.«lorem_ident»+e.«lorem_ident»};return{version:n,run:r}});
""",
)
N(
    "minified_code",
    "webpack_chunk",
    "en",
    r"""
(self.webpackChunk«word»=self.webpackChunk«word»||[]).push([[«d3»],{«d4»:function(e,t,n){"use strict";n.d(t,{Z:function(){return r}});var o=n(«d4»),r=function(e){return(0,o.jsx)("div",{className:"«nalnum8»",children:e.children})}}}]);
""",
)
N(
    "minified_code",
    "minified_css",
    "en",
    r"""
._«nalnum6»_«d1»{display:flex;gap:.«d1»rem}._«nalnum6»_«d1»:hover{color:#«nhex6»}._«nalnum6»_«d1»{margin:0 auto;max-width:«d3»px}
""",
)
N(
    "minified_code",
    "source_map",
    "en",
    r"""
{"version":3,"file":"«word».min.js","sources":["../src/«word».ts"],"names":["e","t","n"],"mappings":"AAAA,SAASA,EAAE«nalnum12»,GAAG«nalnum10»;AACf,OAAO«nalnum8»"}
""",
)

# ------------------------------------------------------ package_versions ---
N(
    "package_versions",
    "requirements_txt",
    "en",
    r"""
django==«semver» \
    --hash=sha256:«nhex64»
«word»==«semver»
«word»-sdk>=«semver»,<«d1».0
""",
)
N(
    "package_versions",
    "package_json",
    "en",
    r"""
"dependencies": {
  "«word»": "^«semver»",
  "@«word»/core": "~«semver»",
  "«word»-utils": "«semver»"
}
""",
)
N(
    "package_versions",
    "shell_script",
    "en",
    r"""
npm install «word»@«semver» @«word»/cli@«semver»
pnpm add -D «word»-plugin@«semver»
pip install "«word»==«semver»"
""",
)
N(
    "package_versions",
    "go_mod",
    "en",
    r"""
module github.com/«word»/service

go 1.«d2»

require (
    github.com/«word»/«word» v«semver»
    golang.org/x/«word» v0.«d2».0
)
""",
)
N(
    "package_versions",
    "gemfile_lock",
    "en",
    r"""
GEM
  remote: https://rubygems.org/
  specs:
    «word» («semver»)
      «word»-core (~> «semver»)
""",
)

# -------------------------------------------------- decorators_annotations ---
N(
    "decorators_annotations",
    "java_source",
    "en",
    r"""
@Component
public class «Word»Client {
    @Value("${«word».datasource.password}")
    private String password;

    @JsonIgnore
    @Column(name = "password_hash", length = «d3»)
    private String passwordHash;
}
""",
)
N(
    "decorators_annotations",
    "python_source",
    "en",
    r"""
@login_required
@permission_required("accounts.change_password", raise_exception=True)
@require_http_methods(["GET", "POST"])
def change_password_«d2»(request):
    return render(request, "accounts/password_change.html")
""",
)
N(
    "decorators_annotations",
    "typescript_source",
    "en",
    r"""
@Controller('auth')
export class «Word»AuthController {
  @UseGuards(AuthGuard('jwt'))
  @Post('password/reset/:token')
  reset(@Param('token') token: string, @Body() dto: ResetPasswordDto) {
    return this.auth.reset(token, dto, «d2»);
  }
}
""",
)
N(
    "decorators_annotations",
    "rust_source",
    "en",
    r"""
#[derive(Debug, Deserialize, Serialize)]
pub struct «Word»Credentials {
    pub username: String,
    #[serde(skip_serializing)]
    pub password: String,
    #[serde(default = "default_ttl_«d2»")]
    pub ttl_secs: u64,
}
""",
)
N(
    "decorators_annotations",
    "csharp_source",
    "en",
    r"""
public class «Word»LoginModel
{
    [Required, EmailAddress]
    public string Email { get; set; }

    [Required, DataType(DataType.Password), StringLength(«d3», MinimumLength = 12)]
    public string Password { get; set; }
}
""",
)

# ------------------------------------------------- reserved_domain_emails ---
N(
    "reserved_domain_emails",
    "python_test",
    "en",
    r"""
def test_welcome_mail_«d3»(mailer):
    send_welcome("«resmail»")
    assert mailer.outbox[0].to == ["«resmail»"]
""",
)
N(
    "reserved_domain_emails",
    "sql_seed",
    "en",
    r"""
INSERT INTO users (id, email, display_name) VALUES
(«d3», '«resmail»', '«First» «Last»'),
(«d3», '«resmail»', '«First» «Last»');
""",
)
N(
    "reserved_domain_emails",
    "git_config",
    "en",
    r"""
[user]
    name = «First» «Last»
    email = «first»@example.com
[core]
    editor = vim
    autocrlf = input
""",
)
N(
    "reserved_domain_emails",
    "yaml_config",
    "en",
    r"""
notifications:
  admin_email: ops@«word».example
  sender: noreply@«word».test
  bounce: bounces@«word».invalid
  digest_hour: «d1»
""",
)
N(
    "reserved_domain_emails",
    "crontab",
    "en",
    r"""
MAILTO=root@example.org
«d2» 3 * * * /usr/local/bin/rotate-«word».sh
""",
)

# --------------------------------------------------- private_ips_config ---
N(
    "private_ips_config",
    "nginx_config",
    "en",
    r"""
upstream «word»_backend {
    server «privip»:8080 max_fails=3;
    server «privip»:8080 max_fails=3;
    server 127.0.0.1:8081 backup;
}
""",
)
N(
    "private_ips_config",
    "hosts_file",
    "en",
    r"""
127.0.0.1   localhost
::1         localhost ip6-localhost
«privip»    «word»-db
«privip»    «word»-cache
""",
)
N(
    "private_ips_config",
    "netplan_config",
    "en",
    r"""
network:
  version: 2
  ethernets:
    ens«d1»:
      addresses: [«privip»/24, «ula6»/64]
      routes:
        - to: default
          via: «privip»
      nameservers:
        addresses: [«privip», «privip»]
""",
)
N(
    "private_ips_config",
    "docker_daemon_json",
    "en",
    r"""
{
  "bip": "172.«d2».0.1/16",
  "dns": ["«privip»", "«privip»"],
  "insecure-registries": ["«privip»:5000"],
  "log-opts": {"max-size": "«d2»m"}
}
""",
)
N(
    "private_ips_config",
    "kubernetes_manifest",
    "en",
    r"""
apiVersion: v1
kind: Service
metadata:
  name: «word»
spec:
  clusterIP: 10.96.«d2».«d2»
  ports:
    - port: «port»
  externalIPs:
    - «privip»
""",
)

# ---------------------------------------------------- publishable_keys ---
N(
    "publishable_keys",
    "javascript_source",
    "en",
    r"""
// publishable key - safe to ship to the browser
const stripe = Stripe('«pk_live»');
const elements = stripe.elements({ locale: '«lower2»' });
""",
)
N(
    "publishable_keys",
    "javascript_source",
    "en",
    r"""
mapboxgl.accessToken = '«mapbox_pk»';
const map = new mapboxgl.Map({ container: 'map', zoom: «d1» });
""",
)
N(
    "publishable_keys",
    "html_source",
    "en",
    r"""
<div class="g-recaptcha" data-sitekey="«recaptcha»"></div>
<div id="g_id_onload" data-client_id="«gclientid»" data-login_uri="https://«word».app/login"></div>
""",
)
N(
    "publishable_keys",
    "javascript_source",
    "en",
    r"""
// search-only key: public by design, restricted to the «word» index
const client = algoliasearch('«upper10»', '«nhex32»');
const index = client.initIndex('«word»_products');
""",
)

# ---------------------------------------------------- password_policy_code ---
N(
    "password_policy_code",
    "python_source",
    "en",
    r"""
PASSWORD_MIN_LENGTH = «d2»
PASSWORD_RE = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{12,}$")


def validate_password(pw: str) -> None:
    if len(pw) < PASSWORD_MIN_LENGTH or not PASSWORD_RE.match(pw):
        raise ValidationError("Password must have 12+ chars, upper, lower and a digit")
""",
)
N(
    "password_policy_code",
    "typescript_source",
    "en",
    r"""
export const passwordSchema = z
  .string()
  .min(«d2», 'Password is too short')
  .regex(/[A-Z]/, 'Password needs an uppercase letter')
  .regex(/[0-9]/, 'Password needs a digit');
""",
)
N(
    "password_policy_code",
    "keycloak_realm",
    "en",
    r"""
realm: «word»
passwordPolicy: "length(«d2») and digits(1) and upperCase(1) and notUsername(undefined) and passwordHistory(«d1»)"
bruteForceProtected: true
""",
)
N(
    "password_policy_code",
    "pwquality_conf",
    "en",
    r"""
# /etc/security/pwquality.conf
minlen = «d2»
dcredit = -1
ucredit = -1
maxrepeat = «d1»
""",
)

# ---------------------------------------------- secret_field_declarations ---
N(
    "secret_field_declarations",
    "go_source",
    "en",
    r"""
type «Word»Config struct {
    Host     string `yaml:"host"`
    User     string `yaml:"user"`
    Password string `yaml:"password" json:"-"`
    APIKey   string `yaml:"api_key"`
    Port     int    `yaml:"port" default:"«port»"`
}
""",
)
N(
    "secret_field_declarations",
    "protobuf_schema",
    "en",
    r"""
message «Word»Credentials {
  string username = 1;
  string password = 2;
  string api_key = 3;
  int64 expires_at = «d1»;
}
""",
)
N(
    "secret_field_declarations",
    "sql_schema",
    "en",
    r"""
CREATE TABLE «word»_accounts (
    id            BIGSERIAL PRIMARY KEY,
    email         VARCHAR(«d3») NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    api_token_sha CHAR(64)
);
""",
)
N(
    "secret_field_declarations",
    "openapi_schema",
    "en",
    r"""
components:
  schemas:
    «Word»Login:
      type: object
      required: [username, password]
      properties:
        username: {type: string, maxLength: «d2»}
        password: {type: string, format: password}
""",
)
N(
    "secret_field_declarations",
    "terraform_config",
    "en",
    r"""
variable "db_password" {
  type        = string
  sensitive   = true
  description = "Master password for the «word» database"
}

variable "replicas" {
  default = «d1»
}
""",
)

# --------------------------------------------------------- masked_values ---
N(
    "masked_values",
    "application_log",
    "en",
    r"""
«ts» INFO  DataSource - connecting url=jdbc:postgresql://«privip»:5432/«db» user=«user» password=********
«ts» DEBUG HttpClient - Authorization: Bearer [REDACTED]
""",
)
N(
    "masked_values",
    "ci_output",
    "en",
    r"""
$ echo "token=$GITHUB_TOKEN"
token=***
$ docker login -u «user» -p ***
Login Succeeded (build «d4»)
""",
)
N(
    "masked_values",
    "application_log_json",
    "en",
    r"""
{"ts":"«ts_iso»","msg":"payment ok","card":"**** **** **** «d4»","token":"sk_live_****«nalnum4»","user_id":«d5»}
""",
)
N(
    "masked_values",
    "kubectl_output",
    "en",
    r"""
Name:         «word»-db
Namespace:    default
Type:         Opaque

Data
====
password:  «d2» bytes
username:  «d1» bytes
""",
)
N(
    "masked_values",
    "dotenv_file",
    "en",
    r"""
DATABASE_URL=postgres://«user»:*****@«privip»:5432/«db»
SENTRY_AUTH_TOKEN=<redacted>
""",
)

# ------------------------------------------------------- encrypted_values ---
N(
    "encrypted_values",
    "ansible_vars",
    "en",
    r"""
db_password: !vault |
          «vaultblob»
db_user: «user»
""",
)
N(
    "encrypted_values",
    "sops_yaml",
    "en",
    r"""
database:
  password: «sopsenc»
  user: «user»
sops:
  age:
    - recipient: age1«lower58»
  lastmodified: "«ts_iso»"
""",
)
N(
    "encrypted_values",
    "sealed_secret",
    "en",
    r"""
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: «word»-creds
spec:
  encryptedData:
    password: «sealed»
""",
)
N(
    "encrypted_values",
    "jenkins_credentials_xml",
    "en",
    r"""
<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
  <id>«word»-deploy</id>
  <username>«user»</username>
  <password>«jenkins_enc»</password>
</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
""",
)
N(
    "encrypted_values",
    "spring_properties",
    "en",
    r"""
spring.datasource.username=«user»
spring.datasource.password={cipher}«nhex64»
jasypt.encryptor.algorithm=PBEWITHHMACSHA512ANDAES_256
app.«word».api-key=ENC(«nb64_32»)
""",
)

# ------------------------------------------------------ k8s_secret_refs ---
N(
    "k8s_secret_refs",
    "kubernetes_manifest",
    "en",
    r"""
env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: «word»-db
        key: password
  - name: WORKERS
    value: "«d1»"
""",
)
N(
    "k8s_secret_refs",
    "kubernetes_manifest",
    "en",
    r"""
spec:
  imagePullSecrets:
    - name: regcred-«word»
  containers:
    - name: api
      envFrom:
        - secretRef:
            name: «word»-env
      volumeMounts:
        - name: tls
          mountPath: /etc/tls
  volumes:
    - name: tls
      secret:
        secretName: «word»-tls-«d2»
""",
)
N(
    "k8s_secret_refs",
    "helm_values",
    "en",
    r"""
postgresql:
  auth:
    existingSecret: «word»-postgres
    secretKeys:
      adminPasswordKey: postgres-password
      userPasswordKey: password
replicaCount: «d1»
""",
)
N(
    "k8s_secret_refs",
    "kubernetes_manifest",
    "en",
    r"""
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: «word»-kv
spec:
  provider: azure
  parameters:
    keyvaultName: kv-«word»-«d2»
    objects: |
      array:
        - |
          objectName: DbPassword
          objectType: secret
""",
)

# ---------------------------------------------- interactive_prompt_commands ---
N(
    "interactive_prompt_commands",
    "shell_script",
    "en",
    r"""
# prompts for the password
mysql -h «privip» -u «user» -p «db»
psql -h «privip» -U «user» -W -d «db»
""",
)
N(
    "interactive_prompt_commands",
    "shell_script",
    "en",
    r"""
cat ~/.secrets/ghcr.txt | docker login ghcr.io -u «user» --password-stdin
read -rsp "Vault token: " VAULT_TOKEN && export VAULT_TOKEN
sshpass -f /etc/«word»/.sshpass ssh «user»@«privip» uptime
""",
)
N(
    "interactive_prompt_commands",
    "shell_script",
    "en",
    r"""
openssl pkcs12 -export -in «word».crt -inkey «word».key -out «word».p12 -passout env:P12_PASS
openssl rsa -in enc.key -out plain.key -passin file:/run/secrets/«word»_pass
kubectl create secret generic «word»-db --from-file=password=./secrets/«word».txt
""",
)
N(
    "interactive_prompt_commands",
    "powershell_script",
    "en",
    r"""
$cred = Get-Credential -UserName "CORP\«user»" -Message "Password for «word»"
$pw = Read-Host -AsSecureString "New password"
Set-ADAccountPassword -Identity «user» -NewPassword $pw -Reset
""",
)

# --------------------------------------------------- numeric_identifiers ---
N(
    "numeric_identifiers",
    "json_event",
    "en",
    r"""
{"order_id":«d9»,"customer_id":«d7»,"created":«epoch»,"items":«d1»,"warehouse":"«upper3»-«d2»"}
""",
)
N(
    "numeric_identifiers",
    "aws_cli_output",
    "en",
    r"""
{
    "UserId": "AIDA«upper17»",
    "Account": "«d12:a»",
    "Arn": "arn:aws:iam::«d12:a»:user/«user»"
}
""",
)
N(
    "numeric_identifiers",
    "discord_api_response",
    "en",
    r"""
{"id":"«d18»","channel_id":"«d18»","guild_id":"«d18»","timestamp":"«ts_iso»","content":"deploy «semver» done"}
""",
)
N(
    "numeric_identifiers",
    "application_log",
    "en",
    r"""
«ts» INFO  shipment «d12» created for order «d10» (parcel «d14», weight «d4» g)
""",
)

# ----------------------------------------------------- asset_hashes_etags ---
N(
    "asset_hashes_etags",
    "http_response",
    "en",
    r"""
HTTP/2 304
etag: "«nhex32»"
cache-control: public, max-age=«d5», immutable
last-modified: Tue, «d2» Jan 2025 10:00:00 GMT
""",
)
N(
    "asset_hashes_etags",
    "build_output",
    "en",
    r"""
dist/index.html                    «d1».«d2» kB
dist/assets/index-«nalnum8».css    «d2».«d2» kB │ gzip: «d1».«d2» kB
dist/assets/index-«nalnum8».js    «d3».«d2» kB │ gzip: «d2».«d2» kB
""",
)
N(
    "asset_hashes_etags",
    "asset_manifest_json",
    "en",
    r"""
{
  "files": {
    "main.js": "/static/js/main.«nhex8».js",
    "main.css": "/static/css/main.«nhex8».css",
    "«d3».chunk.js": "/static/js/«d3».«nhex8».chunk.js"
  }
}
""",
)
N(
    "asset_hashes_etags",
    "ci_cache_config",
    "en",
    r"""
- restore_cache:
    keys:
      - deps-v«d1»-{{ checksum "package-lock.json" }}
      - deps-v«d1»-
# last saved key: deps-v«d1»-«nhex64»
""",
)

# ------------------------------------------------- oauth_public_identifiers ---
N(
    "oauth_public_identifiers",
    "oidc_config",
    "en",
    r"""
oidc:
  issuer: https://login.microsoftonline.com/«uuid»/v2.0
  client_id: «uuid»
  redirect_uri: https://«word».app/auth/callback
  scopes: [openid, profile, email]
""",
)
N(
    "oauth_public_identifiers",
    "javascript_source",
    "en",
    r"""
const auth0 = await createAuth0Client({
  domain: '«word».eu.auth0.com',
  clientId: '«nalnum32»',
  authorizationParams: { redirect_uri: window.location.origin, audience: 'https://api.«word».app' },
});
""",
)
N(
    "oauth_public_identifiers",
    "github_app_manifest",
    "en",
    r"""
app_id: «d6»
client_id: Iv1.«nhex16»
installation_id: «d8»
webhook_url: https://«word».app/github/events
""",
)
N(
    "oauth_public_identifiers",
    "android_resources",
    "en",
    r"""
<resources>
    <string name="default_web_client_id">«gclientid»</string>
    <string name="gcm_defaultSenderId">«d12»</string>
</resources>
""",
)

# --------------------------------------------------------- benign_logs ---
N(
    "benign_logs",
    "nginx_access_log",
    "en",
    r"""
«privip» - - [«clf_ts»] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.«d2»"
«privip» - - [«clf_ts»] "GET /api/«word»?page=«d1» HTTP/1.1" 200 «d4» "-" "Mozilla/5.0"
""",
)
N(
    "benign_logs",
    "application_log",
    "en",
    r"""
«ts» INFO  [worker-«d1»] JobRunner - job «uuid» finished in «d3» ms (user_id=«d5», items=«d2»)
«ts» WARN  [worker-«d1»] RetryPolicy - attempt «d1»/10 for «word»-sync failed: timeout
""",
)
N(
    "benign_logs",
    "systemd_journal",
    "en",
    r"""
«syslog_ts» «word»-«d2» systemd[1]: Started «Word» API service.
«syslog_ts» «word»-«d2» «word»[«d4»]: listening on «privip»:«port»
«syslog_ts» «word»-«d2» «word»[«d4»]: connected to redis at «privip»:6379
""",
)
N(
    "benign_logs",
    "kubernetes_events",
    "en",
    r"""
LAST SEEN   TYPE      REASON      OBJECT                    MESSAGE
«d1»m         Normal    Scheduled   pod/«word»-«nalnum5»     Successfully assigned default/«word»-«nalnum5» to node-«d2»
«d1»m         Normal    Pulled      pod/«word»-«nalnum5»     Container image "«word»:«semver»" already present on machine
""",
)

# ------------------------------------------------ sql_without_credentials ---
N(
    "sql_without_credentials",
    "sql_script",
    "en",
    r"""
GRANT SELECT, INSERT ON «db».«word» TO '«user»'@'10.%';
REVOKE DELETE ON «db».* FROM '«user»'@'%';
CREATE USER 'backup'@'localhost' IDENTIFIED WITH auth_socket;
""",
)
N(
    "sql_without_credentials",
    "sql_script",
    "en",
    r"""
CREATE ROLE readonly_«word» NOLOGIN;
GRANT USAGE ON SCHEMA public TO readonly_«word»;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO readonly_«word»;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO readonly_«word»;
""",
)
N(
    "sql_without_credentials",
    "sql_script",
    "en",
    r"""
CREATE USER [«word»-app-«d2»] FROM EXTERNAL PROVIDER;
ALTER ROLE db_datareader ADD MEMBER [«word»-app-«d2»];
""",
)
N(
    "sql_without_credentials",
    "sql_script",
    "en",
    r"""
CREATE USER ops_«word» IDENTIFIED EXTERNALLY;
GRANT CREATE SESSION TO ops_«word»;
ALTER USER ops_«word» QUOTA «d3»M ON users;
""",
)

# -------------------------------------------- documentation_ip_examples ---
N(
    "documentation_ip_examples",
    "readme_snippet",
    "en",
    r"""
## Example
Point the agent at your collector, e.g. `«docip»:«port»`, and allow the
documentation subnet 198.51.100.0/24 in the firewall. For IPv6 use
`[«docip6»]:«port»`.
""",
)
N(
    "documentation_ip_examples",
    "man_page",
    "en",
    r"""
EXAMPLES
       «word»ctl route add «docip»/32 via «docip»
       «word»ctl route add 203.0.113.0/24 via «docip»
       «word»ctl neigh show dev eth«d1»
""",
)
N(
    "documentation_ip_examples",
    "firewall_rules",
    "en",
    r"""
# sample policy from the docs (documentation ranges only)
allow from «docip» to any port «port»
allow from 198.51.100.0/24 to any port 22
deny  from «docip6» to any
""",
)
N(
    "documentation_ip_examples",
    "yaml_config",
    "en",
    r"""
# example values - replace with your own
peers:
  - address: «docip»
    asn: 645«d2»
  - address: «docip6»
    asn: 645«d2»
""",
)

# ----------------------------------------------------- public_http_headers ---
N(
    "public_http_headers",
    "http_response",
    "en",
    r"""
HTTP/2 200
server: nginx/1.«d2».«d1»
content-type: text/html; charset=utf-8
strict-transport-security: max-age=«d8»; includeSubDomains
vary: Accept-Encoding
x-content-type-options: nosniff
""",
)
N(
    "public_http_headers",
    "http_request",
    "en",
    r"""
GET /api/«word»/items?limit=«d2» HTTP/1.1
Host: «word».app
Accept: application/json
Accept-Language: en-GB,en;q=0.9
User-Agent: «Word»App/«semver» (Android 14)
""",
)
N(
    "public_http_headers",
    "http_response",
    "en",
    r"""
HTTP/1.1 301 Moved Permanently
Location: https://www.«word».app/«word»
Cache-Control: max-age=«d4»
Content-Length: 0
""",
)

# ---------------------------------------------------- template_variables ---
N(
    "template_variables",
    "helm_template",
    "en",
    r"""
env:
  - name: DB_PASSWORD
    value: {{ .Values.«word».db.password | quote }}
  - name: API_KEY
    value: {{ required "apiKey is required" .Values.apiKey | quote }}
  - name: REPLICAS
    value: "«d1»"
""",
)
N(
    "template_variables",
    "jinja_template",
    "en",
    r"""
[client]
user={{ «word»_db_user }}
password={{ «word»_db_password }}
host={{ hostvars[groups['db'][0]]['ansible_host'] }}
port=«port»
""",
)
N(
    "template_variables",
    "python_source",
    "en",
    r"""
cur.execute(
    "UPDATE «word»_users SET password_hash = %(password)s WHERE id = %(id)s",
    {"password": hashed, "id": user_id},
)
""",
)
N(
    "template_variables",
    "erb_template",
    "en",
    r"""
production:
  username: <%= ENV['DB_USER'] %>
  password: <%= @db_password %>
  pool: «d1»
""",
)
N(
    "template_variables",
    "terraform_config",
    "en",
    r"""
resource "aws_db_instance" "«word»" {
  username = var.db_username
  password = random_password.«word».result
  port     = «port»
}
""",
)

# ---------------------------------------------- password_handling_code ---
N(
    "password_handling_code",
    "python_source",
    "en",
    r"""
def hash_password(password: str) -> bytes:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=«d2»))


def check(password: str, stored: bytes) -> bool:
    return bcrypt.checkpw(password.encode(), stored)
""",
)
N(
    "password_handling_code",
    "java_source",
    "en",
    r"""
if (!passwordEncoder.matches(request.getPassword(), user.getPasswordHash())) {
    failedLogins.increment("«word»");
    throw new BadCredentialsException("invalid credentials");
}
""",
)
N(
    "password_handling_code",
    "go_source",
    "en",
    r"""
mac := hmac.New(sha256.New, signingKey)
mac.Write(body)
if !hmac.Equal(mac.Sum(nil), sig) {
    return errors.New("«word»: bad signature")
}
""",
)
N(
    "password_handling_code",
    "csharp_source",
    "en",
    r"""
var hash = BCrypt.Net.BCrypt.HashPassword(model.Password, workFactor: «d2»);
var ok = BCrypt.Net.BCrypt.Verify(model.Password, user.PasswordHash);
""",
)
N(
    "password_handling_code",
    "javascript_source",
    "en",
    r"""
const hasher = new Argon2Hasher({ memoryCost: «d5», timeCost: «d1» });
const valid = await hasher.verify(user.passwordHash, req.body.password);
""",
)


# ===========================================================================
# build, validate, write, summarise
# ===========================================================================
CODE_LANG_OF_CONTEXT = {
    "python_source": "python",
    "django_settings": "python",
    "jupyter_notebook": "python",
    "odbc_connection_string": "python",
    "python_traceback": "python",
    "javascript_source": "javascript",
    "typescript_source": "typescript",
    "pulumi_program": "typescript",
    "java_source": "java",
    "kotlin_source": "kotlin",
    "csharp_source": "csharp",
    "go_source": "go",
    "rust_source": "rust",
    "ruby_source": "ruby",
    "php_source": "php",
    "wp_config": "php",
    "perl_source": "perl",
    "swift_source": "swift",
    "scala_source": "scala",
    "elixir_source": "elixir",
    "elixir_config": "elixir",
    "lua_source": "lua",
    "r_source": "r",
    "dart_source": "dart",
    "c_source": "c",
    "cpp_source": "cpp",
    "arduino_sketch": "cpp",
    "haskell_source": "haskell",
    "julia_source": "julia",
    "shell_script": "shell",
    "shell_history": "shell",
    "powershell_script": "powershell",
    "batch_script": "batch",
    "sql_script": "sql",
    "sql_stored_procedure": "sql",
}

MAX_TRIES = 60


def instantiate(tpl, category):
    """Render a template until its unlabelled text passes the scanner and the
    text is new.  Returns (text, spans, meta, allow_ip_like)."""
    for _ in range(MAX_TRIES):
        text, spans, meta = render(tpl)
        allow = set(STATE["allow_ip_like"]) if category == "four_part_version" else set()
        if category != "positive" and spans:
            fail("negative template produced spans: " + tpl[:120])
        hits = scan(mask(text, spans), allow)
        if not hits and text not in SEEN_TEXTS:
            SEEN_TEXTS.add(text)
            return text, spans, meta, allow
    fail(f"template keeps failing the scanner ({category}): {hits} :: {tpl[:160]!r}")


SEEN_TEXTS = set()


def build():
    records, metas, allows = [], [], []
    tnum = 0
    for context, lang, tpl in POS:
        tnum += 1
        for v in range(1, rng.randint(2, 4) + 1):
            text, spans, meta, allow = instantiate(tpl, "positive")
            records.append(
                {
                    "id": f"{PREFIX}-{tnum}-{v}",
                    "text": text,
                    "lang": lang,
                    "context": context,
                    "category": "positive",
                    "spans": spans,
                }
            )
            metas.append(meta)
            allows.append(allow)
    for category, context, lang, tpl in NEG:
        tnum += 1
        for v in range(1, rng.randint(3, 4) + 1):
            text, spans, meta, allow = instantiate(tpl, category)
            records.append(
                {
                    "id": f"{PREFIX}-{tnum}-{v}",
                    "text": text,
                    "lang": lang,
                    "context": context,
                    "category": category,
                    "spans": [],
                }
            )
            metas.append(meta)
            allows.append(allow)
    return records, metas, allows


def validate(records, metas, allows):
    ids, texts = set(), set()
    for rec, meta, allow in zip(records, metas, allows):
        rid, text, spans = rec["id"], rec["text"], rec["spans"]
        if rid in ids:
            fail("duplicate id " + rid)
        ids.add(rid)
        if text in texts:
            fail("duplicate text in " + rid)
        texts.add(text)
        if set(rec) != {"id", "text", "lang", "context", "category", "spans"}:
            fail("bad keys in " + rid)
        if not re.fullmatch(r"[a-z]{2}", rec["lang"]):
            fail("bad lang in " + rid)
        if not re.fullmatch(r"[a-z0-9_]+", rec["context"]) or not re.fullmatch(r"[a-z0-9_]+", rec["category"]):
            fail("bad context/category in " + rid)
        if rec["category"] == "positive":
            if not spans:
                fail("positive without spans " + rid)
        elif spans:
            fail("negative with spans " + rid)
        if len(meta) != len(spans):
            fail("meta mismatch " + rid)
        prev_end = -1
        for s, (kind, value) in zip(spans, meta):
            st, en, ent = s["start"], s["end"], s["entity"]
            if not (0 <= st < en <= len(text)):
                fail(f"span out of range in {rid}")
            if st < prev_end:
                fail(f"overlapping/unsorted spans in {rid}")
            prev_end = en
            val = text[st:en]
            if val != value:
                fail(f"span text != inserted value in {rid}: {val!r} vs {value!r}")
            if val != val.strip():
                fail(f"span with surrounding whitespace in {rid}: {val!r}")
            if ent == IP:
                if not is_public_ip(val):
                    fail(f"non-public IP labelled in {rid}: {val}")
            elif ent == CARD:
                d = re.sub(r"[ -]", "", val)
                if not re.fullmatch(r"\d(?:[ -]?\d)+", val) or not luhn_ok(d) or not card_brand(d):
                    fail(f"bad card in {rid}: {val}")
            elif ent == EMAIL:
                m = EMAIL_FULL_RE.fullmatch(val)
                if not m or is_reserved_domain(m.group(1)):
                    fail(f"bad/reserved email in {rid}: {val}")
            elif ent == SECRET:
                if kind.startswith("pem_"):
                    if not (
                        val.startswith("-----BEGIN ")
                        and "PRIVATE KEY-----" in val.splitlines()[0]
                        and val.rstrip().endswith("PRIVATE KEY-----")
                        and "-----END " in val
                    ):
                        fail(f"bad PEM block in {rid}")
                else:
                    if not val[0].isalnum():
                        fail(f"secret starts with a symbol in {rid}: {val!r}")
                if val[-1] in ".,!?:;":
                    fail(f"secret ends with punctuation in {rid}: {val!r}")
                if kind in PASSWORD_KINDS and any(c.isspace() for c in val):
                    fail(f"password with whitespace in {rid}: {val!r}")
            else:
                fail(f"unknown entity {ent} in {rid}")
        hits = scan(mask(text, spans), allow)
        if hits:
            fail(f"scanner found unlabelled PII in {rid}: {hits}")
        if allow and rec["category"] != "four_part_version":
            fail("ip-like allow list outside four_part_version")


def main():
    records, metas, allows = build()
    validate(records, metas, allows)

    pos = [r for r in records if r["category"] == "positive"]
    neg = [r for r in records if r["category"] != "positive"]
    ent_counts = Counter(s["entity"] for r in records for s in r["spans"])
    kind_counts = Counter(k for m in metas for k, _ in m)
    vendor_used = sorted(k for k in kind_counts if k in VENDOR_KINDS)
    neg_cats = Counter(r["category"] for r in neg)
    code_langs = sorted({CODE_LANG_OF_CONTEXT[c] for c, _, _ in POS if c in CODE_LANG_OF_CONTEXT})

    quotas = [
        (ent_counts[SECRET] >= 900, f"SECRET spans {ent_counts[SECRET]} < 900"),
        (ent_counts[EMAIL] >= 120, f"EMAIL spans {ent_counts[EMAIL]} < 120"),
        (ent_counts[IP] >= 120, f"IP spans {ent_counts[IP]} < 120"),
        (ent_counts[CARD] >= 60, f"CARD spans {ent_counts[CARD]} < 60"),
        (len(POS) >= 150, f"positive templates {len(POS)} < 150"),
        (len(neg) >= 400, f"negatives {len(neg)} < 400"),
        (len(neg_cats) >= 30, f"negative categories {len(neg_cats)} < 30"),
        (len(vendor_used) >= 40, f"vendor formats {len(vendor_used)} < 40"),
        (len(code_langs) >= 15, f"code languages {len(code_langs)} < 15"),
    ]
    for ok, msg in quotas:
        if not ok:
            fail("quota: " + msg)

    with open(OUT_PATH, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    print(f"wrote {OUT_PATH}")
    print(f"records: {len(records)}  positive: {len(pos)}  hard negative: {len(neg)}")
    print(f"templates: positive {len(POS)}, negative {len(NEG)}, total {len(POS) + len(NEG)}")
    print("spans per entity: " + ", ".join(f"{k}={v}" for k, v in sorted(ent_counts.items())))
    print(f"vendor token formats used ({len(vendor_used)}): {', '.join(vendor_used)}")
    print(f"code/script languages ({len(code_langs)}): {', '.join(code_langs)}")
    secret_kinds = Counter(
        k for r, m in zip(records, metas) for s, (k, _) in zip(r["spans"], m) if s["entity"] == SECRET
    )
    print("SECRET value kinds (top 25): " + ", ".join(f"{k}={v}" for k, v in secret_kinds.most_common(25)))
    print(
        f"categories ({len(neg_cats) + 1}): positive={len(pos)}; "
        + ", ".join(f"{k}={v}" for k, v in sorted(neg_cats.items()))
    )
    print("languages: " + ", ".join(f"{k}={v}" for k, v in Counter(r["lang"] for r in records).most_common()))
    ctx = Counter(r["context"] for r in records)
    print(f"contexts ({len(ctx)}): " + ", ".join(f"{k}={v}" for k, v in sorted(ctx.items())))
    print("all checks passed")


if __name__ == "__main__":
    main()
