#!/usr/bin/env python3
"""Generator for blind PII/secret test set 27 (``pii_testset27.jsonl``).

What it does
------------
Deterministically (``random.Random(272727)``, standard library only) writes about
1200 labelled records for a PII / secrets detector.  The focus is "where people
write credentials down for each other":

* ~50 %  chat messages, threads, e-mails, tickets and shared notes in 43 natural
  languages (Latin, Cyrillic, Greek, Arabic, Hebrew, Persian, Devanagari,
  Bengali, Thai, CJK and Hangul scripts).  Each language has its own lexicon
  (local words for password / login / token / key / PIN / card number ...) and
  its own full sentences; a chat template is one skeleton (Slack, WhatsApp,
  Telegram, IRC, Discord, Teams, e-mail, ticket, note) combined with one
  language, so every (skeleton, language) pair is a distinct template.
* ~35 %  tables of accounts / settings in 14 syntaxes (CSV, TSV, Markdown pipe,
  org-mode, HTML, LaTeX tabular, MediaWiki, reStructuredText grid, Confluence,
  fixed-width report, spreadsheet paste (CRLF/TSV), YAML list, JSON list,
  AsciiDoc); template = (schema, syntax).
* ~15 %  code and configuration files.

Every labelled value is generated at random and its offsets are recorded at the
moment it is appended to the text (no searching afterwards).  Hard negatives
(records without spans) come from the same sources: password policies, reset
notices, masked values, placeholders, hashes, ids, usernames, order / booking /
tracking codes, publishable keys, client ids, doc-range IPs, reserved e-mail
domains, Luhn-invalid look-alike numbers, tables of non-secret data, ...

Checks (all fatal ``assert``s, run over the final output)
---------------------------------------------------------
* ``text[start:end]`` equals the value inserted for every span; spans are sorted
  and never overlap; entities are one of the four allowed labels.
* every labelled IP is globally routable (``ipaddress`` ``is_global``, not
  multicast/reserved, not in 192.0.2/24, 198.51.100/24, 203.0.113/24,
  2001:db8::/32);
* every labelled card passes Luhn and has a real brand prefix and length;
* every labelled e-mail has a non-reserved domain (not example.com/.org/.net,
  .test, .invalid, .localhost, .example);
* every SECRET starts with an alphanumeric character (or ``-----BEGIN``), does
  not end in ``. , ! ? : ;`` and contains no ``example`` / ``xxxx`` / ``your_``;
* ids unique, texts unique, positives have >=1 span, negatives have none;
* a simple scanner run over the negative texts and over the unlabelled parts of
  positive texts (labelled spans blanked) finds no public IPv4 address, no
  Luhn-valid brand-prefixed 13-19 digit number (plain or grouped with single
  spaces / dashes) and no e-mail address on a non-reserved domain.  There is no
  category-specific exception.  While generating, a record that fails the
  scanner or repeats an earlier text is simply drawn again (deterministically);
  the final pass asserts.
* global targets: >=1150 records, >=600 SECRET, >=150 EMAIL, >=120 IP,
  >=60 CARD spans, >=500 negatives in >=35 categories, >=300 templates,
  >=40 languages, >=25 real vendor token formats.

At the end a summary is printed (counts per category, entity, language, context).
"""

import base64
import collections
import ipaddress
import json
import os
import random
import re
import string
import sys

R = random.Random(272727)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset27.jsonl")

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
HEXL = "0123456789abcdef"
URLS = AN + "-_"
B64 = AN + "+/"
ENT = {"E": "EMAIL_ADDRESS", "I": "IP_ADDRESS", "C": "CREDIT_CARD", "S": "SECRET"}


def rs(alpha, n):
    return "".join(R.choice(alpha) for _ in range(n))


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def clean_ends(fn):
    """Draw until the value starts alphanumeric and does not end in punctuation."""
    while True:
        s = fn()
        if s[0].isalnum() and s[-1] not in ".,!?:;" and not bad_word(s):
            return s


def bad_word(s):
    low = s.lower()
    return "example" in low or "xxxx" in low or "your_" in low


# ---------------------------------------------------------------- passwords
WORDS = (
    "amber anchor apple basil beacon birch bison cactus canyon cedar cobalt comet copper coral "
    "cricket dune ember falcon fern fjord galaxy garnet glacier harbor hazel heron indigo iris "
    "jasper juniper kettle kiwi lagoon lantern lemon maple marble meadow meteor mint nebula "
    "nectar oasis olive onyx orbit otter pebble pepper pine plum quartz quill raven reef river "
    "saffron sequoia silver sparrow spruce summit tango thistle tundra velvet walnut willow "
    "yonder zephyr"
).split()
SYM = {"default": "-_.!#*+=@%", "safe": "-_.+=", "url": "-._~!*", "plain": ""}


def gen_password(profile="default"):
    sym = SYM[profile]
    while True:
        n = R.randint(10, 18)
        chars = []
        for _ in range(n):
            r = R.random()
            chars.append(R.choice(UP) if r < 0.28 else R.choice(DG) if r < 0.52 else R.choice(LO))
        if sym:
            for _ in range(R.randint(0, 2)):
                chars[R.randint(1, n - 2)] = R.choice(sym)
        s = "".join(chars)
        if not (any(c.islower() for c in s) and any(c.isupper() for c in s) and any(c.isdigit() for c in s)):
            continue
        if not s[0].isalnum() or not s[-1].isalnum() or bad_word(s):
            continue
        return s


def gen_passphrase():
    k = R.randint(3, 4)
    ws = R.sample(WORDS, k)
    i = R.randrange(k)
    ws[i] = ws[i].capitalize()
    num = str(R.randint(10, 9999))
    sep = R.choice("-._+")
    if R.random() < 0.5:
        ws.insert(R.randint(1, k), num)
    else:
        ws[-1] = ws[-1] + num
    return sep.join(ws)


def gen_pin():
    while True:
        s = rs(UP + DG, R.randint(6, 8))
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def gen_psk():
    return gen_passphrase() if R.random() < 0.4 else gen_password("safe")


# ---------------------------------------------------------------- e-mail
FIRST = (
    "anna oliver lena jonas camille hugo lucia mateo giulia marco sanne daan elsa oskar ingrid "
    "henrik freja mads aino eetu zofia jakub tereza tomas reka bence ioana andrei petra luka nika "
    "mari rasmus janis laura emilija lukas elif emre maria giorgos olga dmitri oksana taras ivan "
    "milica ahmed fatima noa itai maryam reza rahul priya rakib tania somchai napa minh lan putri "
    "budi aisyah farid wei li yuki haruto minjun seoyeon amani neema jose andrea jordi laia gudrun olafur"
).split()
LAST = (
    "hart weber martin garcia rossi silva devries berg hansen nielsen virtanen nowak novak horvat "
    "popescu kovac tamm ozols kazlauskas yilmaz papadopoulos ivanova petrenko dimitrov jovanovic "
    "haddad cohen ahmadi sharma rahman srisuk nguyen santoso rahim zhang wang tanaka suzuki kim park "
    "mwangi reyes puig jonsson"
).split()
FREEMAIL = (
    "gmail.com outlook.com yahoo.com gmx.de web.de mail.ru yandex.ru proton.me icloud.com naver.com "
    "qq.com 163.com libero.it orange.fr free.fr wp.pl seznam.cz hotmail.co.uk yahoo.co.jp uol.com.br "
    "t-online.de abv.bg ukr.net walla.co.il"
).split()
SYL = "nor tal ve kin bra lum sol dar mer fen cor ast pel vir gro tek nova zen qua bel mar lin ost rex".split()
TLDS = "com de fr io net org co.uk es it nl pl se ch at be cz pt com.br co.jp in com.tr gr ro hu fi dk no".split()


def gen_domain():
    base = R.choice(SYL) + R.choice(SYL)
    if R.random() < 0.4:
        base += "-" + R.choice(
            ["tech", "labs", "group", "logistics", "media", "health", "bank", "systems", "travel", "energy"]
        )
    return base + "." + R.choice(TLDS)


def gen_email(ctx=None):
    f, l = R.choice(FIRST), R.choice(LAST)
    local = R.choice(
        [
            f"{f}.{l}",
            f"{f[0]}{l}",
            f"{f}{R.randint(1, 99)}",
            f"{l}.{f}",
            f"{f}.{l}{R.randint(70, 99)}",
            R.choice(["support", "billing", "ops", "it-helpdesk", "security", "admin", "noc", "kontakt"]),
        ]
    )
    role = (
        "@" not in local
        and local.replace("-", "").isalpha()
        and local in ("support", "billing", "ops", "it-helpdesk", "security", "admin", "noc", "kontakt")
    )
    dom = gen_domain() if role or R.random() < 0.5 else R.choice(FREEMAIL)
    return f"{local}@{dom}"


RESERVED_DOMS = [
    "example.com",
    "example.org",
    "example.net",
    "corp.test",
    "mail.invalid",
    "intranet.example",
    "shop.example.com",
    "dev.localhost",
]


def gen_exemail(ctx=None):
    return f"{R.choice(FIRST)}.{R.choice(LAST)}@{R.choice(RESERVED_DOMS)}"


def email_domain_reserved(dom):
    dom = dom.lower().rstrip(".")
    for d in ("example.com", "example.org", "example.net"):
        if dom == d or dom.endswith("." + d):
            return True
    return dom.rsplit(".", 1)[-1] in ("test", "invalid", "localhost", "example")


# ---------------------------------------------------------------- IPs
DOCNETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public(s):
    a = ipaddress.ip_address(s)
    if not a.is_global or a.is_multicast or a.is_reserved or a.is_loopback or a.is_link_local or a.is_unspecified:
        return False
    return not any(a.version == n.version and a in n for n in DOCNETS)


def gen_ip4(ctx=None):
    while True:
        s = ".".join(str(x) for x in (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)))
        if ip_public(s):
            return s


def gen_ip6(ctx=None):
    while True:
        first = R.choice(
            [R.randint(0x2400, 0x240F), R.randint(0x2600, 0x260F), R.randint(0x2A00, 0x2A10), 0x2A01, 0x2A02]
        )
        hs = [first] + [R.randint(0, 0xFFFF) for _ in range(7)]
        if R.random() < 0.6:
            z = R.randint(3, 5)
            for j in range(z, min(8, z + R.randint(2, 3))):
                hs[j] = 0
        s = str(ipaddress.IPv6Address(":".join("%x" % h for h in hs)))
        if ip_public(s):
            return s


def gen_privip(ctx=None):
    return R.choice(
        [
            f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"100.{R.randint(64, 127)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
        ]
    )


def gen_docip(ctx=None):
    return R.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(R.randint(1, 254))


def gen_docip6(ctx=None):
    return f"2001:db8:{R.randint(0, 0xFFFF):x}::{R.randint(1, 0xFFF):x}"


# ---------------------------------------------------------------- cards
def luhn_ok(d):
    tot = 0
    for i, ch in enumerate(reversed(d)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        tot += v
    return tot % 10 == 0


def luhn_digit(partial):
    for c in DG:
        if luhn_ok(partial + c):
            return c


def card_brand(d):
    n = len(d)

    def p(k):
        return int(d[:k])

    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if n == 16 and (51 <= p(2) <= 55 or 2221 <= p(4) <= 2720):
        return "mastercard"
    if n == 15 and p(2) in (34, 37):
        return "amex"
    if 16 <= n <= 19 and (p(4) == 6011 or p(2) == 65 or 644 <= p(3) <= 649 or 622126 <= p(6) <= 622925):
        return "discover"
    if 16 <= n <= 19 and 3528 <= p(4) <= 3589:
        return "jcb"
    if 14 <= n <= 19 and (300 <= p(3) <= 305 or p(2) in (36, 38, 39) or p(4) == 3095):
        return "diners"
    if 16 <= n <= 19 and p(2) == 62:
        return "unionpay"
    if 12 <= n <= 19 and p(4) in (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763):
        return "maestro"
    return None


def card_digits(valid=True):
    brand = R.choices(["visa", "mc", "mc2", "amex", "disc", "jcb", "diners", "up"], [30, 20, 6, 12, 10, 8, 6, 8])[0]
    pre, n = {
        "visa": ("4", 16),
        "mc": (str(R.randint(51, 55)), 16),
        "mc2": (str(R.randint(2221, 2720)), 16),
        "amex": (R.choice(["34", "37"]), 15),
        "disc": (R.choice(["6011", "65", str(R.randint(644, 649))]), 16),
        "jcb": (str(R.randint(3528, 3589)), 16),
        "diners": (R.choice(["36", str(R.randint(300, 305))]), 14),
        "up": ("62", R.choice([16, 19])),
    }[brand]
    body = pre + rs(DG, n - len(pre) - 1)
    chk = luhn_digit(body)
    if not valid:
        chk = str((int(chk) + R.randint(1, 9)) % 10)
    return body + chk


def group_card(d, sep):
    n = len(d)
    if n == 15:
        g = [4, 6, 5]
    elif n == 14:
        g = [4, 6, 4]
    elif n == 19:
        g = [4, 4, 4, 4, 3]
    else:
        g = [4, 4, 4, 4]
    out, i = [], 0
    for k in g:
        out.append(d[i : i + k])
        i += k
    return sep.join(out)


def gen_card(ctx=None, plain=False):
    d = card_digits()
    if plain:
        return d
    return R.choice([d, group_card(d, " "), group_card(d, " "), group_card(d, "-")])


# ---------------------------------------------------------------- tokens
def gen_jwt(ctx=None):
    hdr = R.choice(
        [
            {"alg": "HS256", "typ": "JWT"},
            {"alg": "RS256", "typ": "JWT", "kid": rs(HEXL, 16)},
            {"typ": "JWT", "alg": "ES256"},
        ]
    )
    iat = R.randint(1700000000, 1760000000)
    pl = R.choice(
        [
            {"sub": str(R.randint(10000, 9999999)), "iat": iat, "exp": iat + 3600},
            {"sub": rs(HEXL, 24), "role": R.choice(["admin", "service", "editor"]), "iat": iat},
            {"iss": "https://auth." + gen_domain(), "aud": "api", "scope": "read write", "iat": iat, "exp": iat + 900},
        ]
    )
    sig = b64u(rbytes(64 if hdr["alg"] == "ES256" else 32 if hdr["alg"] == "HS256" else 128))
    return ".".join(
        [
            b64u(json.dumps(hdr, separators=(",", ":")).encode()),
            b64u(json.dumps(pl, separators=(",", ":")).encode()),
            sig,
        ]
    )


def b64lines(prefix, nbytes, width):
    body = prefix + base64.b64encode(rbytes(nbytes)).decode()
    return [body[i : i + width] for i in range(0, len(body), width)]


def gen_privkey(kind=None):
    kind = kind or R.choice(["RSA", "EC", "PKCS8", "OPENSSH"])
    if kind == "RSA":
        label, lines = "RSA PRIVATE KEY", b64lines("MIIEow" + R.choice("IJ") + "BAAKCAQEA", R.randint(600, 900), 64)
    elif kind == "EC":
        label, lines = "EC PRIVATE KEY", b64lines("MHcCAQEEI", 110, 64)
    elif kind == "PKCS8":
        label, lines = "PRIVATE KEY", b64lines("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", R.randint(600, 900), 64)
    else:
        label, lines = (
            "OPENSSH PRIVATE KEY",
            b64lines("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 300, 70),
        )
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def gen_cert(ctx=None):
    lines = b64lines("MIID" + rs(AN, 2) + "CCA" + rs(AN, 2) + "gAwIBAgIU", R.randint(500, 700), 64)
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----"


def gen_pubkeypem(ctx=None):
    lines = b64lines("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 250, 64)
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----"


def v_aws_akid():
    return R.choice(["AKIA", "AKIA", "ASIA"]) + rs(UP + "234567", 16)


def v_b64(n):
    return lambda: clean_ends(lambda: rs(B64, n))


AGE_ALPHA = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
VENDORS = {
    # kind: (display name, generator, counts-as-real-vendor-format)
    "aws_akid": ("AWS", v_aws_akid, True),
    "aws_secret": ("AWS secret", v_b64(40), False),
    "ghp": ("GitHub", lambda: "ghp_" + rs(AN, 36), True),
    "github_pat": ("GitHub", lambda: "github_pat_11" + rs(UP + DG, 20) + "_" + rs(AN, 59), True),
    "gho": ("GitHub OAuth", lambda: "gho_" + rs(AN, 36), True),
    "glpat": ("GitLab", lambda: "glpat-" + clean_ends(lambda: rs(URLS, 20)), True),
    "xoxb": ("Slack", lambda: f"xoxb-{R.randint(10**10, 10**12)}-{R.randint(10**12, 10**13)}-{rs(AN, 24)}", True),
    "xoxp": (
        "Slack",
        lambda: (
            f"xoxp-{R.randint(10**10, 10**12)}-{R.randint(10**10, 10**12)}-{R.randint(10**12, 10**13)}-{rs(HEXL, 32)}"
        ),
        True,
    ),
    "slack_webhook": (
        "Slack webhook",
        lambda: f"https://hooks.slack.com/services/T{rs(UP + DG, 8)}/B{rs(UP + DG, 10)}/{rs(AN, 24)}",
        True,
    ),
    "stripe_sk": ("Stripe", lambda: "sk_live_" + rs(AN, R.choice([24, 99])), True),
    "stripe_test": ("Stripe (test)", lambda: "sk_test_" + rs(AN, R.choice([24, 99])), True),
    "stripe_rk": ("Stripe", lambda: "rk_live_" + rs(AN, R.choice([24, 99])), True),
    "whsec": ("Stripe webhook", lambda: "whsec_" + rs(AN, 32), True),
    "google_api": ("Google Maps", lambda: "AIza" + clean_ends(lambda: rs(URLS, 35)), True),
    "gocspx": ("Google OAuth", lambda: "GOCSPX-" + clean_ends(lambda: rs(URLS, 28)), True),
    "openai": (
        "OpenAI",
        lambda: R.choice(
            ["sk-proj-" + rs(URLS, 74) + "T3BlbkFJ" + rs(AN, 74), "sk-" + rs(AN, 20) + "T3BlbkFJ" + rs(AN, 20)]
        ),
        True,
    ),
    "anthropic": ("Anthropic", lambda: "sk-ant-api03-" + rs(URLS, 93) + "AA", True),
    "sendgrid": ("SendGrid", lambda: "SG." + rs(URLS, 22) + "." + clean_ends(lambda: rs(URLS, 43)), True),
    "mailgun": ("Mailgun", lambda: "key-" + rs(HEXL, 32), True),
    "mailchimp": ("Mailchimp", lambda: rs(HEXL, 32) + "-us" + str(R.randint(1, 21)), True),
    "npm": ("npm", lambda: "npm_" + rs(AN, 36), True),
    "pypi": ("PyPI", lambda: "pypi-AgEIcHlwaS5vcmc" + clean_ends(lambda: rs(URLS, 120)), True),
    "shopify": ("Shopify", lambda: R.choice(["shpat_", "shpss_"]) + rs(HEXL, 32), True),
    "discord": (
        "Discord bot",
        lambda: (
            b64u(str(R.randint(10**17, 10**18)).encode()) + "." + rs(URLS, 6) + "." + clean_ends(lambda: rs(URLS, 38))
        ),
        True,
    ),
    "telegram": ("Telegram bot", lambda: f"{R.randint(10**8, 10**10 - 1)}:AA" + clean_ends(lambda: rs(URLS, 33)), True),
    "do": ("DigitalOcean", lambda: "dop_v1_" + rs(HEXL, 64), True),
    "azure": ("Azure Storage", lambda: clean_ends(lambda: base64.b64encode(rbytes(64)).decode()), True),
    "hf": ("Hugging Face", lambda: "hf_" + rs(UP + LO, 34), True),
    "atlassian": ("Atlassian", lambda: "ATATT3xFfGF0" + rs(URLS, 170) + "=" + rs("0123456789ABCDEF", 8), True),
    "square": (
        "Square",
        lambda: R.choice(["sq0csp-" + clean_ends(lambda: rs(URLS, 43)), "EAAA" + clean_ends(lambda: rs(URLS, 60))]),
        True,
    ),
    "linear": ("Linear", lambda: "lin_api_" + rs(AN, 40), True),
    "notion": ("Notion", lambda: R.choice(["secret_" + rs(AN, 43), "ntn_" + rs(DG, 11) + rs(AN, 35)]), True),
    "postman": ("Postman", lambda: "PMAK-" + rs(HEXL, 24) + "-" + rs(HEXL, 34), True),
    "grafana": ("Grafana", lambda: "glsa_" + rs(AN, 32) + "_" + rs(HEXL, 8), True),
    "vault": ("Vault", lambda: "hvs." + rs(URLS, R.choice([24, 91])) + R.choice(AN), True),
    "databricks": ("Databricks", lambda: "dapi" + rs(HEXL, 32), True),
    "newrelic": ("New Relic", lambda: "NRAK-" + rs(UP + DG, 27), True),
    "supabase": ("Supabase", lambda: "sbp_" + rs(HEXL, 40), True),
    "pulumi": ("Pulumi", lambda: "pul-" + rs(HEXL, 40), True),
    "age": ("age", lambda: "AGE-SECRET-KEY-1" + rs(AGE_ALPHA, 58), True),
    "tfc": ("Terraform Cloud", lambda: rs(AN, 14) + ".atlasv1." + rs(AN, 67), True),
    "figma": ("Figma", lambda: "figd_" + clean_ends(lambda: rs(URLS, 40)), True),
    "airtable": ("Airtable", lambda: "pat" + rs(AN, 14) + "." + rs(HEXL, 64), True),
    "twilio": ("Twilio auth token", lambda: rs(HEXL, 32), False),
    "datadog": ("Datadog", lambda: rs(HEXL, 32), False),
    "doppler": ("Doppler", lambda: "dp.st.prd." + rs(AN, 43), True),
    "fcm": (
        "Firebase FCM server key",
        lambda: "AAAA" + rs(URLS, 7) + ":APA91b" + clean_ends(lambda: rs(URLS, 134)),
        True,
    ),
    "dropbox": ("Dropbox", lambda: "sl." + clean_ends(lambda: rs(URLS, 135)), True),
    "mapbox_sk": (
        "Mapbox secret",
        lambda: (
            "sk."
            + b64u(
                json.dumps(
                    {"u": R.choice(FIRST) + str(R.randint(1, 99)), "a": "cl" + rs(LO + DG, 23)}, separators=(",", ":")
                ).encode()
            )
            + "."
            + clean_ends(lambda: rs(URLS, 22))
        ),
        True,
    ),
}
CHAT_VENDORS = [k for k in VENDORS if k not in ("slack_webhook",)]


# ---------------------------------------------------------------- unlabelled look-alikes
def gen_user(ctx=None):
    f, l = R.choice(FIRST), R.choice(LAST)
    return R.choice(
        [
            f"{f}.{l}",
            f"{f[0]}{l}",
            f"{f}_{l[0]}",
            "svc-" + R.choice(WORDS),
            "deploy",
            "admin",
            f"ops_{f}",
            f"{l}{R.randint(1, 99)}",
            "backup",
            "root",
            f"{f}-{l}",
        ]
    )


def gen_uuid(ctx=None):
    return f"{rs(HEXL, 8)}-{rs(HEXL, 4)}-4{rs(HEXL, 3)}-{R.choice('89ab')}{rs(HEXL, 3)}-{rs(HEXL, 12)}"


CRYPT = "./" + AN


def gen_hash(ctx=None):
    return R.choice(
        [
            lambda: "$2b$12$" + rs(CRYPT, 53),
            lambda: "$2y$10$" + rs(CRYPT, 53),
            lambda: "$6$" + rs(CRYPT, 16) + "$" + rs(CRYPT, 86),
            lambda: "$5$" + rs(CRYPT, 16) + "$" + rs(CRYPT, 43),
            lambda: "$1$" + rs(CRYPT, 8) + "$" + rs(CRYPT, 22),
            lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + b64u(rbytes(16)) + "$" + b64u(rbytes(32)),
        ]
    )()


def gen_order(ctx=None):
    return R.choice(
        [
            f"ORD-{R.randint(100000, 9999999)}",
            str(R.randint(10**7, 10**9)),
            f"A{R.randint(10**5, 10**6)}-{rs(UP, 2)}",
            f"{R.randint(100, 999)}-{R.randint(1000000, 9999999)}-{R.randint(1000000, 9999999)}",
            f"SO{R.randint(2023, 2025)}/{R.randint(1000, 99999)}",
        ]
    )


def gen_tracking(ctx=None):
    return R.choice(
        [
            "JJD" + rs(DG, 18),
            "1Z" + rs(UP + DG, 6) + rs(DG, 10),
            "RR" + rs(DG, 9) + R.choice(["DE", "FR", "PL", "CN"]),
            "00" + rs(DG, 18),
        ]
    )


def gen_phone(ctx=None):
    return R.choice(
        [
            f"+49 {R.randint(150, 179)} {R.randint(1000000, 99999999)}",
            f"+33 6 {rs(DG, 2)} {rs(DG, 2)} {rs(DG, 2)} {rs(DG, 2)}",
            f"+7 9{rs(DG, 2)} {rs(DG, 3)}-{rs(DG, 2)}-{rs(DG, 2)}",
            f"+81 90-{rs(DG, 4)}-{rs(DG, 4)}",
            f"+1 ({R.randint(201, 989)}) {R.randint(200, 999)}-{rs(DG, 4)}",
            f"+91 9{rs(DG, 4)} {rs(DG, 5)}",
            f"+82 10-{rs(DG, 4)}-{rs(DG, 4)}",
            f"+30 69{rs(DG, 1)} {rs(DG, 3)} {rs(DG, 4)}",
        ]
    )


def gen_pklive(ctx=None):
    return R.choice(["pk_live_", "pk_test_"]) + rs(AN, R.choice([24, 99]))


def gen_mapboxpk(ctx=None):
    return (
        "pk."
        + b64u(
            json.dumps(
                {"u": R.choice(FIRST) + str(R.randint(1, 99)), "a": "cl" + rs(LO + DG, 23)}, separators=(",", ":")
            ).encode()
        )
        + "."
        + rs(URLS, 22)
    )


def gen_gclientid(ctx=None):
    return f"{R.randint(10**11, 10**12 - 1)}-{rs(LO + DG, 32)}.apps.googleusercontent.com"


def gen_recaptcha(ctx=None):
    return "6L" + rs(URLS, 38)


def gen_btc(ctx=None):
    return "bc1q" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 38)


def gen_eth(ctx=None):
    return "0x" + rs(HEXL + "ABCDEF", 40)


def gen_semver(ctx=None):
    return f"{R.randint(0, 9)}.{R.randint(0, 30)}.{R.randint(0, 40)}"


def gen_masked(ctx=None):
    return R.choice(
        [
            "••••••••",
            "********",
            "************",
            rs(AN, 2) + "•••••••" + rs(AN, 1),
            "(hidden)",
            "[REDACTED]",
            "***redacted***",
        ]
    )


def gen_maskedtok(ctx=None):
    return R.choice(
        [
            R.choice(["ghp_", "sk_live_", "xoxb-", "glpat-", "AKIA"]) + "*" * R.randint(8, 20) + rs(AN, 4),
            "…" + rs(AN, 4),
            "[masked]",
            "sk-…" + rs(AN, 4),
        ]
    )


def gen_placeholder(ctx=None):
    return R.choice(
        [
            "<PASSWORD>",
            "<your-password>",
            "${DB_PASSWORD}",
            "{{ vault_db_password }}",
            "%DB_PASS%",
            "REPLACE_ME",
            "<redacted>",
            "[REDACTED]",
            "<API_KEY>",
            "${API_TOKEN}",
            "{{ secrets.DEPLOY_TOKEN }}",
            "__SET_ME__",
            "TBD",
        ]
    )


def gen_envref(ctx=None):
    return R.choice(
        [
            "$DB_PASSWORD",
            "${STRIPE_SECRET_KEY}",
            "%API_TOKEN%",
            "env:GITHUB_TOKEN",
            "{{ .Values.db.password }}",
            "process.env.API_KEY",
            "os.environ['SMTP_PASSWORD']",
            "${{ secrets.NPM_TOKEN }}",
            "$(cat /run/secrets/db_pass)",
        ]
    )


def gen_secretref(ctx=None):
    return R.choice(
        [
            f"vault:secret/data/{R.choice(WORDS)}#password",
            f"arn:aws:secretsmanager:eu-west-1:{rs(DG, 12)}:secret:prod/{R.choice(WORDS)}-{rs(AN, 6)}",
            f"projects/{R.choice(WORDS)}-{R.randint(100, 999)}/secrets/db-pass/versions/{R.randint(1, 9)}",
            f"op://Infra/{R.choice(WORDS).capitalize()}/password",
            f"secretKeyRef: {R.choice(WORDS)}-creds/password",
            f"azurekeyvault://{R.choice(WORDS)}-kv/secrets/api-token",
        ]
    )


def gen_vaultacc(ctx=None):
    return rs(AN, 24)


def gen_awsexample(ctx=None):
    return R.choice(
        [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "xoxb-your-bot-token",
            "your_api_key_here",
            "AIzaSyEXAMPLE-EXAMPLE-EXAMPLE",
        ]
    )


def gen_pnr(ctx=None):
    while True:
        s = rs(UP + DG, 6)
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def gen_meetingid(ctx=None):
    return f"{R.randint(810, 899)} {rs(DG, 4)} {rs(DG, 4)}"


def gen_mac(ctx=None):
    return ":".join(rs(HEXL, 2) for _ in range(6))


def gen_hex(n):
    return lambda ctx=None: rs(HEXL, n)


def gen_sri(ctx=None):
    return base64.b64encode(rbytes(64)).decode()


def gen_sshpub(ctx=None):
    return "AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43)


def gen_sshpubrsa(ctx=None):
    return "AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(B64, 180)


def gen_invalid_card(ctx=None):
    d = card_digits(valid=False)
    return R.choice([d, group_card(d, " "), group_card(d, "-")])


# ---------------------------------------------------------------- language lexicons
LEX_FIELDS = ("pw user token key pin card order hi intro thanks policy reset ask server wifi names").split()
LEX = {}


def lex(code, *vals, colon=": "):
    assert len(vals) == len(LEX_FIELDS), code
    d = dict(zip(LEX_FIELDS, vals))
    d["names"] = d["names"].split(",")
    d["code"] = code
    d["colon"] = colon
    LEX[code] = d


lex(
    "en",
    "password",
    "username",
    "token",
    "API key",
    "PIN",
    "card number",
    "order number",
    "Hi",
    "here are the credentials for the new server",
    "Thanks, got it!",
    "Reminder: never paste passwords into chat, use the password manager instead.",
    "Your password was reset; use the link in the e-mail to choose a new one.",
    "Could you send me the staging token via the vault?",
    "server",
    "Wi-Fi",
    "Oliver,Grace,Harry,Chloe",
)
lex(
    "de",
    "Passwort",
    "Benutzername",
    "Token",
    "API-Schlüssel",
    "PIN",
    "Kartennummer",
    "Bestellnummer",
    "Hallo",
    "hier die Zugangsdaten für den neuen Server",
    "Danke, hab's!",
    "Zur Erinnerung: Passwörter bitte nie im Chat posten, sondern im Passwort-Manager ablegen.",
    "Dein Passwort wurde zurückgesetzt; bitte über den Link in der E-Mail ein neues vergeben.",
    "Kannst du mir das Staging-Token über den Tresor schicken?",
    "Server",
    "WLAN",
    "Jonas,Lena,Felix,Marie",
)
lex(
    "fr",
    "mot de passe",
    "identifiant",
    "jeton",
    "clé API",
    "code PIN",
    "numéro de carte",
    "numéro de commande",
    "Salut",
    "voici les accès pour le nouveau serveur",
    "Merci, c'est noté !",
    "Rappel : ne collez jamais de mot de passe dans le chat, utilisez le gestionnaire de mots de passe.",
    "Votre mot de passe a été réinitialisé ; utilisez le lien reçu par e-mail pour en choisir un nouveau.",
    "Tu peux m'envoyer le jeton de préprod via le coffre-fort ?",
    "serveur",
    "Wi-Fi",
    "Camille,Hugo,Léa,Mathis",
)
lex(
    "es",
    "contraseña",
    "usuario",
    "token",
    "clave API",
    "PIN",
    "número de tarjeta",
    "número de pedido",
    "Hola",
    "aquí tienes los accesos del servidor nuevo",
    "¡Gracias, recibido!",
    "Recordatorio: nunca pegues contraseñas en el chat, usa el gestor de contraseñas.",
    "Tu contraseña se ha restablecido; usa el enlace del correo para elegir una nueva.",
    "¿Me pasas el token de staging por el gestor?",
    "servidor",
    "wifi",
    "Lucía,Mateo,Sofía,Diego",
)
lex(
    "it",
    "password",
    "nome utente",
    "token",
    "chiave API",
    "PIN",
    "numero della carta",
    "numero d'ordine",
    "Ciao",
    "ecco le credenziali per il nuovo server",
    "Grazie, ricevuto!",
    "Promemoria: non incollate mai password in chat, usate il password manager.",
    "La tua password è stata reimpostata; usa il link nell'e-mail per sceglierne una nuova.",
    "Mi mandi il token di staging tramite il vault?",
    "server",
    "Wi-Fi",
    "Giulia,Lorenzo,Chiara,Matteo",
)
lex(
    "pt",
    "senha",
    "usuário",
    "token",
    "chave de API",
    "PIN",
    "número do cartão",
    "número do pedido",
    "Oi",
    "seguem os acessos do servidor novo",
    "Valeu, recebi!",
    "Lembrete: nunca cole senhas no chat, use o gerenciador de senhas.",
    "Sua senha foi redefinida; use o link do e-mail para criar uma nova.",
    "Pode me mandar o token de homologação pelo cofre?",
    "servidor",
    "Wi-Fi",
    "Ana,João,Beatriz,Rafael",
)
lex(
    "nl",
    "wachtwoord",
    "gebruikersnaam",
    "token",
    "API-sleutel",
    "pincode",
    "kaartnummer",
    "bestelnummer",
    "Hoi",
    "hier zijn de inloggegevens voor de nieuwe server",
    "Dank je, ontvangen!",
    "Herinnering: plak nooit wachtwoorden in de chat, gebruik de wachtwoordmanager.",
    "Je wachtwoord is gereset; kies via de link in de e-mail een nieuw wachtwoord.",
    "Kun je me het staging-token via de kluis sturen?",
    "server",
    "wifi",
    "Sanne,Daan,Fleur,Bram",
)
lex(
    "sv",
    "lösenord",
    "användarnamn",
    "token",
    "API-nyckel",
    "PIN-kod",
    "kortnummer",
    "ordernummer",
    "Hej",
    "här är inloggningsuppgifterna till den nya servern",
    "Tack, fick det!",
    "Påminnelse: klistra aldrig in lösenord i chatten, använd lösenordshanteraren.",
    "Ditt lösenord har återställts; använd länken i mejlet för att välja ett nytt.",
    "Kan du skicka staging-token via valvet?",
    "server",
    "wifi",
    "Elsa,Oskar,Maja,Lucas",
)
lex(
    "nb",
    "passord",
    "brukernavn",
    "token",
    "API-nøkkel",
    "PIN-kode",
    "kortnummer",
    "ordrenummer",
    "Hei",
    "her er påloggingen til den nye serveren",
    "Takk, mottatt!",
    "Påminnelse: lim aldri inn passord i chatten, bruk passordbehandleren.",
    "Passordet ditt er tilbakestilt; bruk lenken i e-posten for å velge et nytt.",
    "Kan du sende meg staging-tokenet via hvelvet?",
    "server",
    "wifi",
    "Ingrid,Henrik,Nora,Sander",
)
lex(
    "da",
    "adgangskode",
    "brugernavn",
    "token",
    "API-nøgle",
    "pinkode",
    "kortnummer",
    "ordrenummer",
    "Hej",
    "her er loginoplysningerne til den nye server",
    "Tak, modtaget!",
    "Husk: indsæt aldrig adgangskoder i chatten, brug adgangskodeadministratoren.",
    "Din adgangskode er nulstillet; brug linket i mailen til at vælge en ny.",
    "Kan du sende mig staging-tokenet via boksen?",
    "server",
    "wifi",
    "Freja,Mads,Ida,Emil",
)
lex(
    "fi",
    "salasana",
    "käyttäjätunnus",
    "token",
    "API-avain",
    "PIN-koodi",
    "kortin numero",
    "tilausnumero",
    "Moi",
    "tässä uuden palvelimen tunnukset",
    "Kiitos, sain!",
    "Muistutus: älä koskaan liitä salasanoja chattiin, käytä salasanojen hallintaa.",
    "Salasanasi on nollattu; valitse uusi sähköpostin linkin kautta.",
    "Voitko lähettää staging-tokenin holvin kautta?",
    "palvelin",
    "wifi",
    "Aino,Eetu,Venla,Leevi",
)
lex(
    "pl",
    "hasło",
    "login",
    "token",
    "klucz API",
    "PIN",
    "numer karty",
    "numer zamówienia",
    "Cześć",
    "oto dane dostępowe do nowego serwera",
    "Dzięki, mam!",
    "Przypomnienie: nigdy nie wklejajcie haseł na czacie, używajcie menedżera haseł.",
    "Twoje hasło zostało zresetowane; ustaw nowe przez link z maila.",
    "Możesz mi przesłać token do stagingu przez sejf?",
    "serwer",
    "Wi-Fi",
    "Zofia,Jakub,Maja,Kacper",
)
lex(
    "cs",
    "heslo",
    "uživatelské jméno",
    "token",
    "API klíč",
    "PIN",
    "číslo karty",
    "číslo objednávky",
    "Ahoj",
    "tady jsou přístupy k novému serveru",
    "Díky, mám to!",
    "Připomínka: hesla nikdy nevkládejte do chatu, používejte správce hesel.",
    "Vaše heslo bylo resetováno; nové si nastavte přes odkaz v e-mailu.",
    "Pošleš mi token na staging přes trezor?",
    "server",
    "Wi-Fi",
    "Tereza,Jakub,Eliška,Tomáš",
)
lex(
    "sk",
    "heslo",
    "používateľské meno",
    "token",
    "API kľúč",
    "PIN",
    "číslo karty",
    "číslo objednávky",
    "Ahoj",
    "tu sú prístupy na nový server",
    "Vďaka, mám!",
    "Pripomienka: heslá nikdy nevkladajte do chatu, používajte správcu hesiel.",
    "Vaše heslo bolo resetované; nové si nastavte cez odkaz v e-maile.",
    "Pošleš mi token na staging cez trezor?",
    "server",
    "Wi-Fi",
    "Zuzana,Martin,Lucia,Peter",
)
lex(
    "hu",
    "jelszó",
    "felhasználónév",
    "token",
    "API-kulcs",
    "PIN-kód",
    "kártyaszám",
    "rendelésszám",
    "Szia",
    "itt vannak az új szerver belépési adatai",
    "Köszi, megvan!",
    "Emlékeztető: jelszót soha ne másoljatok a chatbe, használjátok a jelszókezelőt.",
    "A jelszavadat visszaállítottuk; az e-mailben kapott linken adj meg újat.",
    "Át tudnád küldeni a staging tokent a széfen keresztül?",
    "szerver",
    "wifi",
    "Anna,Bence,Réka,Máté",
)
lex(
    "ro",
    "parolă",
    "utilizator",
    "token",
    "cheie API",
    "PIN",
    "numărul cardului",
    "numărul comenzii",
    "Salut",
    "uite datele de acces pentru serverul nou",
    "Mersi, am primit!",
    "Reamintire: nu lipiți niciodată parole în chat, folosiți managerul de parole.",
    "Parola ta a fost resetată; folosește linkul din e-mail ca să alegi una nouă.",
    "Îmi trimiți tokenul de staging prin seif?",
    "server",
    "Wi-Fi",
    "Ioana,Andrei,Elena,Mihai",
)
lex(
    "hr",
    "lozinka",
    "korisničko ime",
    "token",
    "API ključ",
    "PIN",
    "broj kartice",
    "broj narudžbe",
    "Bok",
    "evo pristupnih podataka za novi poslužitelj",
    "Hvala, imam!",
    "Podsjetnik: lozinke nikad ne lijepite u chat, koristite upravitelj lozinki.",
    "Lozinka ti je resetirana; novu postavi putem poveznice iz e-maila.",
    "Možeš li mi poslati token za staging preko trezora?",
    "poslužitelj",
    "Wi-Fi",
    "Ana,Luka,Petra,Ivan",
)
lex(
    "sl",
    "geslo",
    "uporabniško ime",
    "žeton",
    "API ključ",
    "PIN",
    "številka kartice",
    "številka naročila",
    "Živjo",
    "tukaj so dostopni podatki za novi strežnik",
    "Hvala, imam!",
    "Opomnik: gesel nikoli ne lepite v klepet, uporabljajte upravitelja gesel.",
    "Geslo je bilo ponastavljeno; novo nastavi prek povezave v e-pošti.",
    "Mi lahko pošlješ žeton za staging prek trezorja?",
    "strežnik",
    "Wi-Fi",
    "Nika,Luka,Eva,Žan",
)
lex(
    "et",
    "parool",
    "kasutajanimi",
    "token",
    "API-võti",
    "PIN-kood",
    "kaardi number",
    "tellimuse number",
    "Tere",
    "siin on uue serveri ligipääsuandmed",
    "Aitäh, sain kätte!",
    "Meeldetuletus: ärge kunagi kleepige paroole vestlusesse, kasutage paroolihaldurit.",
    "Sinu parool on lähtestatud; vali e-kirjas oleva lingi kaudu uus.",
    "Kas saad staging-tokeni seifi kaudu saata?",
    "server",
    "wifi",
    "Mari,Rasmus,Liis,Karl",
)
lex(
    "lv",
    "parole",
    "lietotājvārds",
    "marķieris",
    "API atslēga",
    "PIN kods",
    "kartes numurs",
    "pasūtījuma numurs",
    "Sveiki",
    "te ir jaunā servera piekļuves dati",
    "Paldies, saņēmu!",
    "Atgādinājums: nekad neielīmējiet paroles čatā, izmantojiet paroļu pārvaldnieku.",
    "Tava parole ir atiestatīta; jaunu izvēlies, izmantojot saiti e-pastā.",
    "Vari atsūtīt staging marķieri caur seifu?",
    "serveris",
    "Wi-Fi",
    "Anna,Jānis,Laura,Roberts",
)
lex(
    "lt",
    "slaptažodis",
    "vartotojo vardas",
    "žetonas",
    "API raktas",
    "PIN kodas",
    "kortelės numeris",
    "užsakymo numeris",
    "Labas",
    "štai naujo serverio prisijungimo duomenys",
    "Ačiū, gavau!",
    "Priminimas: niekada neklijuokite slaptažodžių į pokalbį, naudokite slaptažodžių tvarkyklę.",
    "Tavo slaptažodis atkurtas; naują pasirink per nuorodą el. laiške.",
    "Gal gali atsiųsti staging žetoną per seifą?",
    "serveris",
    "Wi-Fi",
    "Emilija,Lukas,Gabija,Matas",
)
lex(
    "tr",
    "şifre",
    "kullanıcı adı",
    "token",
    "API anahtarı",
    "PIN",
    "kart numarası",
    "sipariş numarası",
    "Selam",
    "yeni sunucunun giriş bilgileri şöyle",
    "Teşekkürler, aldım!",
    "Hatırlatma: şifreleri asla sohbete yapıştırmayın, şifre yöneticisini kullanın.",
    "Şifreniz sıfırlandı; e-postadaki bağlantıdan yeni bir şifre belirleyin.",
    "Staging token'ını kasa üzerinden gönderebilir misin?",
    "sunucu",
    "Wi-Fi",
    "Elif,Emre,Zeynep,Burak",
)
lex(
    "el",
    "κωδικός πρόσβασης",
    "όνομα χρήστη",
    "token",
    "κλειδί API",
    "PIN",
    "αριθμός κάρτας",
    "αριθμός παραγγελίας",
    "Γεια σου",
    "να τα στοιχεία πρόσβασης για τον νέο διακομιστή",
    "Ευχαριστώ, τα πήρα!",
    "Υπενθύμιση: μην επικολλάτε ποτέ κωδικούς στο chat, χρησιμοποιήστε τον διαχειριστή κωδικών.",
    "Ο κωδικός σας επαναφέρθηκε· επιλέξτε νέο από τον σύνδεσμο στο e-mail.",
    "Μπορείς να μου στείλεις το token του staging μέσω του θησαυροφυλακίου;",
    "διακομιστής",
    "Wi-Fi",
    "Μαρία,Γιώργος,Ελένη,Νίκος",
)
lex(
    "ru",
    "пароль",
    "логин",
    "токен",
    "API-ключ",
    "ПИН-код",
    "номер карты",
    "номер заказа",
    "Привет",
    "вот доступы к новому серверу",
    "Спасибо, получил!",
    "Напоминание: никогда не вставляйте пароли в чат, пользуйтесь менеджером паролей.",
    "Ваш пароль сброшен; задайте новый по ссылке из письма.",
    "Скинешь токен для стейджинга через хранилище?",
    "сервер",
    "Wi-Fi",
    "Анна,Дмитрий,Ольга,Сергей",
)
lex(
    "uk",
    "пароль",
    "логін",
    "токен",
    "API-ключ",
    "ПІН-код",
    "номер картки",
    "номер замовлення",
    "Привіт",
    "ось доступи до нового сервера",
    "Дякую, отримав!",
    "Нагадування: ніколи не вставляйте паролі в чат, користуйтеся менеджером паролів.",
    "Ваш пароль скинуто; задайте новий за посиланням з листа.",
    "Надішлеш токен для стейджингу через сховище?",
    "сервер",
    "Wi-Fi",
    "Оксана,Андрій,Ірина,Тарас",
)
lex(
    "bg",
    "парола",
    "потребителско име",
    "токен",
    "API ключ",
    "ПИН код",
    "номер на карта",
    "номер на поръчка",
    "Здрасти",
    "ето достъпа до новия сървър",
    "Благодаря, получих!",
    "Напомняне: никога не поставяйте пароли в чата, използвайте мениджъра на пароли.",
    "Паролата ви е нулирана; задайте нова чрез линка в имейла.",
    "Ще ми пратиш ли токена за staging през трезора?",
    "сървър",
    "Wi-Fi",
    "Мария,Иван,Десислава,Георги",
)
lex(
    "sr",
    "лозинка",
    "корисничко име",
    "токен",
    "API кључ",
    "ПИН",
    "број картице",
    "број поруџбине",
    "Здраво",
    "ево приступних података за нови сервер",
    "Хвала, стигло је!",
    "Подсетник: лозинке никад не лепите у чет, користите менаџер лозинки.",
    "Лозинка вам је ресетована; нову поставите преко линка из мејла.",
    "Можеш ли да ми пошаљеш токен за стејџинг преко трезора?",
    "сервер",
    "Wi-Fi",
    "Јелена,Марко,Милица,Никола",
)
lex(
    "ar",
    "كلمة المرور",
    "اسم المستخدم",
    "الرمز المميز",
    "مفتاح API",
    "رمز PIN",
    "رقم البطاقة",
    "رقم الطلب",
    "مرحباً",
    "هذه بيانات الدخول إلى الخادم الجديد",
    "شكراً، وصلت!",
    "تذكير: لا تلصقوا كلمات المرور في المحادثة أبداً، استخدموا مدير كلمات المرور.",
    "تمت إعادة تعيين كلمة المرور؛ استخدم الرابط في البريد لاختيار كلمة جديدة.",
    "هل يمكنك إرسال رمز بيئة الاختبار عبر الخزنة؟",
    "الخادم",
    "واي فاي",
    "أحمد,فاطمة,يوسف,ليلى",
)
lex(
    "he",
    "סיסמה",
    "שם משתמש",
    "טוקן",
    "מפתח API",
    "קוד PIN",
    "מספר כרטיס",
    "מספר הזמנה",
    "היי",
    "הנה פרטי הגישה לשרת החדש",
    "תודה, קיבלתי!",
    "תזכורת: לעולם אל תדביקו סיסמאות בצ'אט, השתמשו במנהל הסיסמאות.",
    "הסיסמה שלך אופסה; בחר סיסמה חדשה דרך הקישור במייל.",
    "תוכל לשלוח לי את הטוקן של הסטייג'ינג דרך הכספת?",
    "שרת",
    "Wi-Fi",
    "נועה,איתי,מאיה,יונתן",
)
lex(
    "fa",
    "رمز عبور",
    "نام کاربری",
    "توکن",
    "کلید API",
    "پین",
    "شماره کارت",
    "شماره سفارش",
    "سلام",
    "این هم اطلاعات ورود به سرور جدید",
    "ممنون، رسید!",
    "یادآوری: هرگز رمز عبور را در چت نگذارید، از مدیر رمز عبور استفاده کنید.",
    "رمز عبور شما بازنشانی شد؛ با لینک داخل ایمیل رمز جدید انتخاب کنید.",
    "می‌شه توکن استیجینگ رو از طریق گاوصندوق بفرستی؟",
    "سرور",
    "وای‌فای",
    "مریم,علی,سارا,رضا",
)
lex(
    "hi",
    "पासवर्ड",
    "यूज़रनेम",
    "टोकन",
    "API कुंजी",
    "पिन",
    "कार्ड नंबर",
    "ऑर्डर नंबर",
    "नमस्ते",
    "नए सर्वर की लॉगिन जानकारी यह रही",
    "धन्यवाद, मिल गया!",
    "याद रखें: चैट में कभी पासवर्ड पेस्ट न करें, पासवर्ड मैनेजर का उपयोग करें।",
    "आपका पासवर्ड रीसेट कर दिया गया है; ईमेल के लिंक से नया पासवर्ड चुनें।",
    "क्या आप स्टेजिंग टोकन वॉल्ट से भेज सकते हैं?",
    "सर्वर",
    "वाई-फ़ाई",
    "राहुल,प्रिया,अमित,नेहा",
)
lex(
    "bn",
    "পাসওয়ার্ড",
    "ইউজারনেম",
    "টোকেন",
    "API কী",
    "পিন",
    "কার্ড নম্বর",
    "অর্ডার নম্বর",
    "হাই",
    "নতুন সার্ভারের লগইন তথ্য দিলাম",
    "ধন্যবাদ, পেয়েছি!",
    "মনে রাখবেন: চ্যাটে কখনও পাসওয়ার্ড পেস্ট করবেন না, পাসওয়ার্ড ম্যানেজার ব্যবহার করুন।",
    "আপনার পাসওয়ার্ড রিসেট করা হয়েছে; ইমেইলের লিংক থেকে নতুন পাসওয়ার্ড দিন।",
    "স্টেজিং টোকেনটা ভল্ট দিয়ে পাঠাতে পারবে?",
    "সার্ভার",
    "ওয়াই-ফাই",
    "রাকিব,তানিয়া,সুমন,নুসরাত",
)
lex(
    "th",
    "รหัสผ่าน",
    "ชื่อผู้ใช้",
    "โทเค็น",
    "คีย์ API",
    "รหัส PIN",
    "หมายเลขบัตร",
    "เลขที่คำสั่งซื้อ",
    "สวัสดี",
    "นี่คือข้อมูลเข้าระบบของเซิร์ฟเวอร์ใหม่",
    "ขอบคุณ ได้รับแล้ว!",
    "ย้ำอีกครั้ง: ห้ามวางรหัสผ่านในแชทเด็ดขาด ให้ใช้โปรแกรมจัดการรหัสผ่าน",
    "รีเซ็ตรหัสผ่านของคุณแล้ว โปรดตั้งรหัสใหม่ผ่านลิงก์ในอีเมล",
    "ช่วยส่งโทเค็นของ staging ผ่านตู้เซฟให้หน่อยได้ไหม",
    "เซิร์ฟเวอร์",
    "Wi-Fi",
    "สมชาย,นภา,อนันต์,กาญจนา",
)
lex(
    "vi",
    "mật khẩu",
    "tên đăng nhập",
    "token",
    "khóa API",
    "mã PIN",
    "số thẻ",
    "mã đơn hàng",
    "Chào",
    "đây là thông tin đăng nhập máy chủ mới",
    "Cảm ơn, nhận rồi!",
    "Nhắc nhở: tuyệt đối không dán mật khẩu vào chat, hãy dùng trình quản lý mật khẩu.",
    "Mật khẩu của bạn đã được đặt lại; hãy dùng liên kết trong email để chọn mật khẩu mới.",
    "Bạn gửi mình token staging qua kho bí mật được không?",
    "máy chủ",
    "Wi-Fi",
    "Minh,Lan,Hùng,Thảo",
)
lex(
    "id",
    "kata sandi",
    "nama pengguna",
    "token",
    "kunci API",
    "PIN",
    "nomor kartu",
    "nomor pesanan",
    "Halo",
    "ini akses untuk server baru",
    "Makasih, sudah diterima!",
    "Pengingat: jangan pernah menempelkan kata sandi di chat, gunakan pengelola kata sandi.",
    "Kata sandi Anda telah direset; pilih yang baru lewat tautan di email.",
    "Bisa kirim token staging lewat brankas?",
    "server",
    "Wi-Fi",
    "Putri,Budi,Siti,Agus",
)
lex(
    "ms",
    "kata laluan",
    "nama pengguna",
    "token",
    "kunci API",
    "PIN",
    "nombor kad",
    "nombor pesanan",
    "Hai",
    "ini maklumat log masuk untuk pelayan baharu",
    "Terima kasih, dah dapat!",
    "Peringatan: jangan sesekali tampal kata laluan dalam sembang, guna pengurus kata laluan.",
    "Kata laluan anda telah ditetapkan semula; pilih yang baharu melalui pautan dalam e-mel.",
    "Boleh hantar token staging melalui peti besi?",
    "pelayan",
    "Wi-Fi",
    "Aisyah,Farid,Nurul,Hafiz",
)
lex(
    "zh",
    "密码",
    "用户名",
    "令牌",
    "API 密钥",
    "PIN 码",
    "卡号",
    "订单号",
    "你好",
    "新服务器的登录信息如下",
    "谢谢，收到！",
    "提醒：请勿在聊天中粘贴密码，请使用密码管理器。",
    "您的密码已重置，请通过邮件中的链接设置新密码。",
    "能通过保险库把测试环境的令牌发我吗？",
    "服务器",
    "Wi-Fi",
    "王伟,李娜,张磊,刘洋",
    colon="：",
)
lex(
    "ja",
    "パスワード",
    "ユーザー名",
    "トークン",
    "APIキー",
    "PINコード",
    "カード番号",
    "注文番号",
    "お疲れさまです",
    "新しいサーバーのログイン情報です",
    "ありがとうございます、受け取りました！",
    "注意：チャットにパスワードを貼らないでください。パスワードマネージャーを使ってください。",
    "パスワードをリセットしました。メールのリンクから新しいパスワードを設定してください。",
    "ステージングのトークンを金庫経由で送ってもらえますか？",
    "サーバー",
    "Wi-Fi",
    "佐藤,鈴木,高橋,田中",
    colon="：",
)
lex(
    "ko",
    "비밀번호",
    "아이디",
    "토큰",
    "API 키",
    "PIN",
    "카드 번호",
    "주문 번호",
    "안녕하세요",
    "새 서버 접속 정보입니다",
    "감사합니다, 받았어요!",
    "알림: 채팅에 비밀번호를 절대 붙여넣지 말고 비밀번호 관리자를 사용하세요.",
    "비밀번호가 초기화되었습니다. 메일의 링크로 새 비밀번호를 설정하세요.",
    "스테이징 토큰을 금고로 보내줄 수 있어요?",
    "서버",
    "와이파이",
    "민준,서연,지훈,하은",
)
lex(
    "sw",
    "nenosiri",
    "jina la mtumiaji",
    "tokeni",
    "ufunguo wa API",
    "PIN",
    "namba ya kadi",
    "namba ya oda",
    "Habari",
    "hizi ni taarifa za kuingia kwenye seva mpya",
    "Asante, nimepokea!",
    "Kumbusho: kamwe msibandike nenosiri kwenye gumzo, tumieni kidhibiti cha nenosiri.",
    "Nenosiri lako limewekwa upya; chagua jipya kupitia kiungo kwenye barua pepe.",
    "Unaweza kunitumia tokeni ya staging kupitia sefu?",
    "seva",
    "Wi-Fi",
    "Amani,Neema,Juma,Zawadi",
)
lex(
    "tl",
    "password",
    "username",
    "token",
    "API key",
    "PIN",
    "numero ng card",
    "numero ng order",
    "Hello",
    "eto ang login para sa bagong server",
    "Salamat, natanggap ko na!",
    "Paalala: huwag kailanman mag-paste ng password sa chat, gamitin ang password manager.",
    "Na-reset na ang password mo; pumili ng bago gamit ang link sa email.",
    "Pwede mo bang ipadala ang staging token sa vault?",
    "server",
    "Wi-Fi",
    "Maria,Jose,Andrea,Paolo",
)
lex(
    "ca",
    "contrasenya",
    "usuari",
    "token",
    "clau API",
    "PIN",
    "número de targeta",
    "número de comanda",
    "Hola",
    "aquí tens els accessos del servidor nou",
    "Gràcies, rebut!",
    "Recordatori: no enganxeu mai contrasenyes al xat, feu servir el gestor de contrasenyes.",
    "S'ha restablert la teva contrasenya; tria'n una de nova amb l'enllaç del correu.",
    "Em passes el token de staging pel gestor?",
    "servidor",
    "wifi",
    "Jordi,Laia,Pau,Núria",
)
lex(
    "is",
    "lykilorð",
    "notandanafn",
    "tóki",
    "API-lykill",
    "PIN-númer",
    "kortanúmer",
    "pöntunarnúmer",
    "Hæ",
    "hér eru innskráningarupplýsingar fyrir nýja netþjóninn",
    "Takk, móttekið!",
    "Áminning: aldrei líma lykilorð í spjallið, notið lykilorðastjórann.",
    "Lykilorðið þitt hefur verið endurstillt; veldu nýtt með tenglinum í tölvupóstinum.",
    "Geturðu sent mér staging-tókann í gegnum hólfið?",
    "netþjónn",
    "þráðlaust net",
    "Guðrún,Jón,Sigríður,Ólafur",
)
LANGS = list(LEX)


# ---------------------------------------------------------------- builder / template engine
class Builder:
    def __init__(self):
        self.parts, self.n, self.spans, self.expect, self.kinds = [], 0, [], [], []

    def add(self, s):
        self.parts.append(s)
        self.n += len(s)

    def val(self, v, ent, kind=None):
        if ent:
            self.spans.append({"start": self.n, "end": self.n + len(v), "entity": ENT[ent]})
            self.expect.append(v)
            self.kinds.append(kind or ENT[ent])
        self.add(v)

    def piece(self, p):
        if isinstance(p, str):
            self.add(p)
        elif isinstance(p, tuple):
            self.val(*p)
        else:
            for q in p:
                self.piece(q)

    def text(self):
        return "".join(self.parts)


def plen(p):
    if isinstance(p, str):
        return len(p)
    if isinstance(p, tuple):
        return len(p[0])
    return sum(plen(q) for q in p)


def ptext(p):
    if isinstance(p, str):
        return p
    if isinstance(p, tuple):
        return p[0]
    return "".join(ptext(q) for q in p)


class Ctx:
    def __init__(self, L=None):
        self.L = L or LEX["en"]
        self.memo = {}
        self._vendor = None
        self.base = R.randint(7 * 60, 21 * 60)

    @property
    def vendor(self):
        if self._vendor is None:
            self._vendor = R.choice(CHAT_VENDORS)
        return self._vendor


def vendor_val(kind):
    return (VENDORS[kind][1](), "S", "vendor:" + kind)


def hm(m):
    return f"{m // 60:02d}:{m % 60:02d}"


def _names(ctx):
    if "names" not in ctx.memo:
        ctx.memo["names"] = R.sample(ctx.L["names"], 2)
    return ctx.memo["names"]


VARS = {
    "n1": lambda c: _names(c)[0],
    "n2": lambda c: _names(c)[1],
    "nick1": lambda c: R.choice(FIRST) + R.choice(["", "_", "^", "|away", str(R.randint(1, 99))]),
    "nick2": lambda c: R.choice(LAST) + R.choice(["", "_", "`", str(R.randint(1, 99))]),
    "d": lambda c: (
        lambda y, m, d: R.choice([f"{d:02d}.{m:02d}.{y % 100:02d}", f"{m}/{d}/{y % 100:02d}", f"{y}-{m:02d}-{d:02d}"])
    )(R.randint(2023, 2025), R.randint(1, 12), R.randint(1, 28)),
    "t1": lambda c: hm(c.base),
    "t2": lambda c: hm(c.base + R.randint(1, 5)),
    "t3": lambda c: hm(c.base + R.randint(6, 12)),
    "num": lambda c: str(R.randint(1000, 999999)),
    "status": lambda c: R.choice(["open", "pending", "in progress", "waiting on customer", "new"]),
    "env": lambda c: R.choice(["prod", "staging", "dev", "qa", "uat", "prod-eu", "lab"]),
    "ssid": lambda c: R.choice(["Office", "Guest", "Lab", "Casa", "Home", "Warehouse", "Cafe"]) + "-" + rs(UP + DG, 4),
    "db": lambda c: R.choice(WORDS) + R.choice(["", "db", "app", "-core"]),
    "domain": lambda c: gen_domain(),
    "acct": lambda c: R.choice(WORDS) + R.choice(SYL) + str(R.randint(1, 99)),
    "svc": lambda c: VENDORS[c.vendor][0],
    "exdom": lambda c: R.choice(RESERVED_DOMS),
    "exp": lambda c: f"{R.randint(1, 12):02d}/{R.randint(26, 31)}",
    "last4": lambda c: rs(DG, 4),
    "semver": lambda c: gen_semver(),
    "pkg": lambda c: R.choice(WORDS) + R.choice(["", "-js", "-utils", "-core"]),
    "n1en": lambda c: R.choice(FIRST).capitalize() + " " + R.choice(LAST).capitalize(),
    "digit": lambda c: str(R.randint(1, 9)),
}

GENS = {
    "PW": lambda c: (gen_password(), "S", "password"),
    "PWS": lambda c: (gen_password("safe"), "S", "password"),
    "PWU": lambda c: (gen_password("url"), "S", "password"),
    "PSK": lambda c: (gen_psk(), "S", "psk"),
    "PASSPHRASE": lambda c: (gen_passphrase(), "S", "passphrase"),
    "PIN": lambda c: (gen_pin(), "S", "pin"),
    "EMAIL": lambda c: (gen_email(), "E"),
    "IP4": lambda c: (gen_ip4(), "I"),
    "IP6": lambda c: (gen_ip6(), "I"),
    "IP": lambda c: (gen_ip6() if R.random() < 0.2 else gen_ip4(), "I"),
    "CARD": lambda c: (gen_card(), "C"),
    "CARDPLAIN": lambda c: (gen_card(plain=True), "C"),
    "JWT": lambda c: (gen_jwt(), "S", "jwt"),
    "PRIVKEY": lambda c: (gen_privkey(), "S", "private_key"),
    "PRIVKEY_OPENSSH": lambda c: (gen_privkey("OPENSSH"), "S", "private_key"),
    "PEMESC": lambda c: (gen_privkey("PKCS8").replace("\n", "\\n"), "S", "private_key"),
    "BASIC": lambda c: (base64.b64encode(f"{gen_user()}:{gen_password('safe')}".encode()).decode(), "S", "basic_auth"),
    "K8SB64": lambda c: (base64.b64encode(gen_password().encode()).decode(), "S", "k8s_secret_data"),
    "LARAVEL": lambda c: (clean_ends(lambda: base64.b64encode(rbytes(32)).decode()), "S", "laravel_app_key"),
    "DJANGOKEY": lambda c: (clean_ends(lambda: rs(LO + DG + "!@#%^&*(-_=+)", 50)), "S", "signing_secret"),
    "SESSION": lambda c: (clean_ends(lambda: rs(URLS, R.choice([32, 43, 64]))), "S", "session_cookie"),
    "CFTOKEN": lambda c: (clean_ends(lambda: rs(URLS, 40)), "S", "generic_api_token"),
    "HEXSECRET": lambda c: (rs(HEXL, 40), "S", "generic_api_token"),
    "VTOK": lambda c: vendor_val(c.vendor),
    "GHTOK": lambda c: vendor_val(R.choice(["ghp", "github_pat", "gho"])),
    # unlabelled
    "user": lambda c: gen_user(),
    "b64user": lambda c: base64.b64encode(gen_user().encode()).decode(),
    "privip": gen_privip,
    "docip": gen_docip,
    "docip6": gen_docip6,
    "exemail": gen_exemail,
    "uuid": gen_uuid,
    "hash": gen_hash,
    "order": gen_order,
    "tracking": gen_tracking,
    "phone": gen_phone,
    "pklive": gen_pklive,
    "mapboxpk": gen_mapboxpk,
    "gclientid": gen_gclientid,
    "recaptcha": gen_recaptcha,
    "btc": gen_btc,
    "eth": gen_eth,
    "masked": gen_masked,
    "maskedtok": gen_maskedtok,
    "placeholder": gen_placeholder,
    "envref": gen_envref,
    "vaultacc": gen_vaultacc,
    "awsexample": gen_awsexample,
    "pnr": gen_pnr,
    "meetingid": gen_meetingid,
    "hex16": gen_hex(16),
    "hex32": gen_hex(32),
    "hex40": gen_hex(40),
    "hex64": gen_hex(64),
    "cert": gen_cert,
    "pubkeypem": gen_pubkeypem,
    "sshpub": gen_sshpub,
    "sshpubrsa": gen_sshpubrsa,
    "sri": gen_sri,
    "csrf": lambda c: rs(URLS, 43),
    "nonce": lambda c: base64.b64encode(rbytes(16)).decode(),
    "digits21": lambda c: rs(DG, 21),
    "chatid": lambda c: "-100" + rs(DG, 6),
    "pid": lambda c: str(R.randint(1000, 99999)),
    "agepub": lambda c: rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
    "vaulthex": lambda c: "\n".join(rs(HEXL, 80) for _ in range(R.randint(3, 6))),
    "alnum24": lambda c: rs(AN, 24),
    "apr1": lambda c: "$apr1$" + rs(CRYPT, 8) + "$" + rs(CRYPT, 22),
    "bcrypt": lambda c: "$2y$10$" + rs(CRYPT, 53),
    "sha512crypt": lambda c: "$6$" + rs(CRYPT, 16) + "$" + rs(CRYPT, 86),
    "argon2": lambda c: "$argon2id$v=19$m=65536,t=3,p=4$" + b64u(rbytes(16)) + "$" + b64u(rbytes(32)),
    "cisco9": lambda c: "$9$" + rs(CRYPT, 14) + "$" + rs(CRYPT, 43),
    "cisco8": lambda c: "$8$" + rs(CRYPT, 14) + "$" + rs(CRYPT, 43),
}
for _k in VENDORS:
    GENS["V:" + _k] = (lambda k: lambda c: vendor_val(k))(_k)

TOK = re.compile("⟦([^⟧]+)⟧")


def render(tpl, ctx, b):
    pos = 0
    for m in TOK.finditer(tpl):
        b.add(tpl[pos : m.start()])
        name = m.group(1)
        if name.startswith("L:"):
            b.add(ctx.L[name[2:]])
        elif name == "c":
            b.add(ctx.L["colon"])
        elif name.startswith("$"):
            k = name[1:]
            if k not in ctx.memo:
                ctx.memo[k] = VARS[k](ctx)
            b.add(ctx.memo[k])
        else:
            b.piece(GENS[name](ctx))
        pos = m.end()
    b.add(tpl[pos:])


# ---------------------------------------------------------------- chat templates
CHAT_POS = [
    (
        "slack_export",
        "[⟦$t1⟧] ⟦$n1⟧: ⟦L:hi⟧ ⟦$n2⟧, ⟦L:intro⟧\n[⟦$t1⟧] ⟦$n1⟧: ⟦L:user⟧⟦c⟧⟦user⟧\n[⟦$t2⟧] ⟦$n1⟧: ⟦L:pw⟧⟦c⟧⟦PW⟧\n[⟦$t3⟧] ⟦$n2⟧: ⟦L:thanks⟧",
    ),
    (
        "whatsapp_export",
        '⟦$d⟧, ⟦$t1⟧ - ⟦$n1⟧: ⟦L:wifi⟧ "⟦$ssid⟧"\n⟦$d⟧, ⟦$t1⟧ - ⟦$n1⟧: ⟦L:pw⟧⟦c⟧⟦PSK⟧\n⟦$d⟧, ⟦$t2⟧ - ⟦$n2⟧: ⟦L:thanks⟧',
    ),
    ("telegram_export", "⟦$n1⟧, [⟦$d⟧ ⟦$t1⟧]\n⟦L:key⟧ (⟦$svc⟧)⟦c⟧⟦VTOK⟧\n\n⟦$n2⟧, [⟦$d⟧ ⟦$t2⟧]\n⟦L:thanks⟧"),
    ("irc_log", "[⟦$t1⟧] <⟦$nick1⟧> ⟦$nick2⟧: ⟦L:token⟧ ⟦$svc⟧ ⟦$env⟧⟦c⟧⟦VTOK⟧\n[⟦$t2⟧] <⟦$nick2⟧> ⟦L:thanks⟧"),
    (
        "discord_export",
        "⟦$n1⟧ — ⟦$d⟧ ⟦$t1⟧\n⟦L:intro⟧\n⟦L:server⟧⟦c⟧⟦IP⟧\n⟦L:user⟧⟦c⟧root\n⟦L:pw⟧⟦c⟧⟦PW⟧\n\n⟦$n2⟧ — ⟦$d⟧ ⟦$t2⟧\n⟦L:thanks⟧",
    ),
    ("teams_chat", "⟦$n1⟧ ⟦$t1⟧\n⟦L:hi⟧ ⟦$n2⟧! ⟦L:intro⟧\nE-mail⟦c⟧⟦EMAIL⟧\n⟦L:pw⟧⟦c⟧⟦PW⟧"),
    (
        "email_message",
        "From: ⟦$n1⟧ <⟦EMAIL⟧>\nTo: ⟦$n2⟧ <⟦EMAIL⟧>\nSubject: ⟦L:server⟧ ⟦$env⟧\n\n⟦L:hi⟧ ⟦$n2⟧,\n⟦L:intro⟧\n\nssh ⟦user⟧@⟦IP⟧\n⟦L:pw⟧⟦c⟧⟦PW⟧\n\n⟦L:thanks⟧\n⟦$n1⟧",
    ),
    ("support_ticket", "#⟦$num⟧ [⟦$status⟧] ⟦$n1⟧\n⟦L:card⟧⟦c⟧⟦CARD⟧ (⟦$exp⟧)\nE-mail⟦c⟧⟦EMAIL⟧"),
    ("shared_note", "⟦L:server⟧ ⟦$env⟧\n- IP⟦c⟧⟦IP⟧\n- ⟦L:user⟧⟦c⟧⟦user⟧\n- ⟦L:pw⟧⟦c⟧⟦PW⟧\n- ⟦L:pin⟧⟦c⟧⟦PIN⟧"),
    ("slack_export", "⟦$n1⟧  ⟦$t1⟧\n⟦L:intro⟧\npostgres://⟦user⟧:⟦PWU⟧@⟦IP4⟧:5432/⟦$db⟧\n⟦$n2⟧  ⟦$t2⟧\n⟦L:thanks⟧"),
    (
        "teams_chat",
        '⟦$n1⟧ (⟦$t1⟧): ⟦L:token⟧ ⟦$env⟧⟦c⟧\ncurl -H "Authorization: Bearer ⟦JWT⟧" https://api.⟦$domain⟧/v1/me\n⟦$n2⟧ (⟦$t2⟧): ⟦L:thanks⟧',
    ),
    ("whatsapp_export", "[⟦$d⟧ ⟦$t1⟧] ⟦$n1⟧: ⟦L:token⟧ GitHub⟦c⟧⟦GHTOK⟧\n[⟦$d⟧ ⟦$t1⟧] ⟦$n1⟧: ⟦EMAIL⟧"),
    ("telegram_export", "⟦$n1⟧: VPN ⟦L:server⟧⟦c⟧⟦IP6⟧\n⟦$n1⟧: ⟦L:pw⟧⟦c⟧⟦PASSPHRASE⟧\n⟦$n2⟧: ⟦L:thanks⟧"),
    (
        "whatsapp_export",
        "⟦$d⟧ ⟦$t1⟧ - ⟦$n1⟧: ⟦L:card⟧ ⟦CARD⟧\n⟦$d⟧ ⟦$t1⟧ - ⟦$n1⟧: ⟦EMAIL⟧\n⟦$d⟧ ⟦$t2⟧ - ⟦$n2⟧: ⟦L:thanks⟧",
    ),
    (
        "support_ticket",
        "Ticket ⟦$num⟧ — ⟦$n1⟧\n⟦L:intro⟧\nAuthorization: Basic ⟦BASIC⟧\nHost: ⟦IP4⟧\n— ⟦$n2⟧: ⟦L:thanks⟧",
    ),
    ("discord_export", "⟦$n1⟧: ⟦L:hi⟧ ⟦$n2⟧, ⟦L:intro⟧ (SSH, ⟦$env⟧)\n```\n⟦PRIVKEY⟧\n```\n⟦$n2⟧: ⟦L:thanks⟧"),
    ("irc_log", "<⟦$nick1⟧> ⟦L:server⟧ ⟦IP4⟧, ⟦L:user⟧ ⟦user⟧, ⟦L:pw⟧ ⟦PW⟧\n<⟦$nick2⟧> ⟦L:thanks⟧"),
    (
        "email_message",
        "Subject: ⟦L:token⟧ / ⟦$svc⟧\n\n⟦L:hi⟧ ⟦$n2⟧,\n⟦L:key⟧⟦c⟧⟦VTOK⟧\n⟦L:pin⟧⟦c⟧⟦PIN⟧\n\n⟦$n1⟧ <⟦EMAIL⟧>",
    ),
    ("shared_note", "☑ ⟦$svc⟧\n⟦L:user⟧⟦c⟧⟦EMAIL⟧\n⟦L:pw⟧⟦c⟧⟦PW⟧\nAPI⟦c⟧⟦VTOK⟧"),
    ("slack_thread", "⟦$n2⟧: ⟦L:ask⟧\n  ↳ ⟦$n1⟧: ⟦L:token⟧⟦c⟧⟦VTOK⟧\n  ↳ ⟦$n2⟧: ⟦L:thanks⟧"),
]

CHAT_NEG = [
    ("password_policy_text", "slack_export", "[⟦$t1⟧] ⟦$n1⟧: ⟦L:policy⟧\n[⟦$t2⟧] ⟦$n2⟧: 👍"),
    (
        "password_reset_notice",
        "email_message",
        "From: no-reply@⟦$exdom⟧\nTo: ⟦$n2⟧ <⟦exemail⟧>\nDate: ⟦$d⟧ ⟦$t1⟧\n\n⟦L:reset⟧\nhttps://account.⟦$exdom⟧/reset (30 min)",
    ),
    ("masked_value", "teams_chat", "⟦$n1⟧ ⟦$t1⟧\n⟦L:user⟧⟦c⟧⟦user⟧\n⟦L:pw⟧⟦c⟧⟦masked⟧\n⟦L:token⟧⟦c⟧⟦maskedtok⟧"),
    (
        "placeholder_credential",
        "shared_note",
        "⟦L:server⟧ ⟦$env⟧\n⟦L:user⟧⟦c⟧⟦user⟧\n⟦L:pw⟧⟦c⟧⟦placeholder⟧\n⟦L:key⟧⟦c⟧⟦placeholder⟧",
    ),
    ("credential_request", "whatsapp_export", "⟦$d⟧, ⟦$t1⟧ - ⟦$n2⟧: ⟦L:ask⟧\n⟦$d⟧, ⟦$t2⟧ - ⟦$n1⟧: 👌 ⟦L:policy⟧"),
    ("password_hash", "irc_log", "[⟦$t1⟧] <⟦$nick1⟧> ⟦L:pw⟧ hash ⟦user⟧⟦c⟧⟦hash⟧\n[⟦$t2⟧] <⟦$nick2⟧> ⟦L:thanks⟧"),
    ("order_number", "support_ticket", "#⟦$num⟧ ⟦$n1⟧\n⟦L:order⟧⟦c⟧⟦order⟧\nE-mail⟦c⟧⟦exemail⟧\n⟦L:thanks⟧"),
    (
        "private_ip_address",
        "discord_export",
        "⟦$n1⟧ — ⟦$d⟧ ⟦$t1⟧\n⟦L:server⟧⟦c⟧⟦privip⟧\n⟦L:user⟧⟦c⟧⟦user⟧\n⟦L:pw⟧ → 1Password",
    ),
    ("documentation_ip", "telegram_export", "⟦$n1⟧, [⟦$d⟧ ⟦$t1⟧]\n⟦L:server⟧⟦c⟧⟦docip⟧ / ⟦docip6⟧"),
    ("reserved_email_domain", "teams_chat", "⟦$n1⟧ ⟦$t1⟧\nE-mail⟦c⟧⟦exemail⟧\n⟦L:user⟧⟦c⟧⟦user⟧"),
    ("username_only", "slack_export", "[⟦$t1⟧] ⟦$n1⟧: ⟦L:user⟧⟦c⟧⟦user⟧ (⟦$svc⟧)\n[⟦$t2⟧] ⟦$n2⟧: ⟦L:thanks⟧"),
    ("request_trace_id", "support_ticket", "Ticket ⟦$num⟧\nrequest-id⟦c⟧⟦uuid⟧\ntrace-id⟦c⟧⟦hex32⟧\n⟦$n1⟧"),
    ("publishable_key", "slack_export", "[⟦$t1⟧] ⟦$n1⟧: ⟦L:key⟧ (publishable)⟦c⟧⟦pklive⟧"),
    ("oauth_client_id", "teams_chat", "⟦$n1⟧ ⟦$t1⟧\nclient_id⟦c⟧⟦gclientid⟧"),
    ("card_last_four", "support_ticket", "#⟦$num⟧ ⟦$n1⟧\n⟦L:card⟧⟦c⟧**** **** **** ⟦$last4⟧ (⟦$exp⟧)"),
    ("phone_number", "whatsapp_export", "⟦$d⟧, ⟦$t1⟧ - ⟦$n1⟧: ⟦phone⟧\n⟦$d⟧, ⟦$t2⟧ - ⟦$n2⟧: ⟦L:thanks⟧"),
    ("vendor_doc_example", "irc_log", "[⟦$t1⟧] <⟦$nick1⟧> ⟦L:key⟧⟦c⟧⟦awsexample⟧ (docs)\n[⟦$t2⟧] <⟦$nick2⟧> ok"),
    ("crypto_wallet_address", "telegram_export", "⟦$n1⟧: BTC⟦c⟧⟦btc⟧\n⟦$n1⟧: ETH⟦c⟧⟦eth⟧"),
    ("tracking_number", "email_message", "Subject: ⟦L:order⟧ ⟦order⟧\n\n⟦L:hi⟧ ⟦$n2⟧,\nDHL/UPS⟦c⟧⟦tracking⟧\n⟦$n1⟧"),
    ("meeting_id", "teams_chat", "⟦$n1⟧ ⟦$t1⟧\nZoom ID⟦c⟧⟦meetingid⟧\n⟦$n2⟧ ⟦$t2⟧\n⟦L:thanks⟧"),
    ("env_var_reference", "discord_export", "⟦$n1⟧: ⟦L:pw⟧⟦c⟧⟦envref⟧\n⟦$n1⟧: ⟦L:token⟧⟦c⟧⟦envref⟧"),
    (
        "booking_code",
        "whatsapp_export",
        "⟦$d⟧, ⟦$t1⟧ - ⟦$n1⟧: ⟦L:order⟧ / PNR⟦c⟧⟦pnr⟧\n⟦$d⟧, ⟦$t2⟧ - ⟦$n2⟧: ⟦L:thanks⟧",
    ),
]


# ---------------------------------------------------------------- tables
LATEX_SPECIAL = "_#$%&{}~^\\"


def latex_plain(s):
    out = []
    for ch in s:
        out.append("\\" + ch if ch in "_#$%&{}" else ch)
    return "".join(out)


def render_table(fmt, headers, keys, rows, b, title, root):
    def cells(row, sep, pre="", post=""):
        b.add(pre)
        for i, c in enumerate(row):
            if i:
                b.add(sep)
            b.piece(c)
        b.add(post)

    w = [max(plen(h), *(plen(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def padded(row, sep, pre, post):
        b.add(pre)
        for i, c in enumerate(row):
            if i:
                b.add(sep)
            b.piece(c)
            b.add(" " * (w[i] - plen(c)))
        b.add(post)

    if fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        cells(headers if fmt == "csv" else keys, sep)
        for r in rows:
            b.add("\n")
            cells(r, sep)
        b.add("\n")
    elif fmt == "spreadsheet":
        cells(headers, "\t")
        for r in rows:
            b.add("\r\n")
            cells(r, "\t")
    elif fmt == "markdown":
        b.add(f"### {title}\n\n")
        cells(headers, " | ", "| ", " |\n")
        b.add("|" + "|".join("---" for _ in headers) + "|\n")
        for r in rows:
            cells(r, " | ", "| ", " |\n")
    elif fmt == "org":
        b.add(f"* {title}\n")
        padded(headers, " | ", "| ", " |\n")
        b.add("|" + "+".join("-" * (x + 2) for x in w) + "|\n")
        for r in rows:
            padded(r, " | ", "| ", " |\n")
    elif fmt == "html":
        b.add(f'<table class="accounts">\n  <caption>{title}</caption>\n  <tr>')
        for h in headers:
            b.add("<th>")
            b.piece(h)
            b.add("</th>")
        b.add("</tr>\n")
        for r in rows:
            b.add("  <tr>")
            for c in r:
                b.add("<td>")
                b.piece(c)
                b.add("</td>")
            b.add("</tr>\n")
        b.add("</table>\n")
    elif fmt == "latex":
        b.add("\\begin{tabular}{" + "l" * len(headers) + "}\n\\hline\n")
        for ri, r in enumerate([headers] + rows):
            for i, c in enumerate(r):
                if i:
                    b.add(" & ")
                t = ptext(c)
                if isinstance(c, str) and not (ri == 0):
                    b.add(latex_plain(c))
                elif isinstance(c, str):
                    b.add(latex_plain(c))
                elif any(ch in LATEX_SPECIAL for ch in t):
                    d = next(x for x in "|!+=@" if x not in t)
                    b.add("\\verb" + d)
                    b.piece(c)
                    b.add(d)
                else:
                    b.piece(c)
            b.add(" \\\\\n" + ("\\hline\n" if ri == 0 else ""))
        b.add("\\hline\n\\end{tabular}\n")
    elif fmt == "mediawiki":
        b.add('{| class="wikitable"\n|+ ' + title + "\n")
        cells(headers, " !! ", "! ", "\n")
        for r in rows:
            b.add("|-\n")
            cells(r, " || ", "| ", "\n")
        b.add("|}\n")
    elif fmt == "rst":
        border = "+" + "+".join("-" * (x + 2) for x in w) + "+\n"
        b.add(border)
        padded(headers, " | ", "| ", " |\n")
        b.add("+" + "+".join("=" * (x + 2) for x in w) + "+\n")
        for r in rows:
            padded(r, " | ", "| ", " |\n")
            b.add(border)
    elif fmt == "confluence":
        b.add(f"h3. {title}\n")
        cells(headers, "||", "||", "||\n")
        for r in rows:
            cells(r, "|", "|", "|\n")
    elif fmt == "fixed":
        b.add(f"{title.upper()}    run {R.randint(2023, 2025)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}\n")
        padded(headers, "  ", "", "\n")
        b.add("  ".join("-" * x for x in w) + "\n")
        for r in rows:
            padded(r, "  ", "", "\n")
        b.add(f"({len(rows)} rows)\n")
    elif fmt == "yaml":
        b.add(f"# {title}\n{root}:\n")
        for r in rows:
            for i, (k, c) in enumerate(zip(keys, r)):
                b.add(("  - " if i == 0 else "    ") + k + ": ")
                t = ptext(c)
                q = any(ch in t for ch in ":#{}[]&*!|>'%@`,•") or t[0] in "-?"
                b.add('"' if q else "")
                b.piece(c)
                b.add('"\n' if q else "\n")
    elif fmt == "json":
        b.add('{\n  "' + root + '": [\n')
        for ri, r in enumerate(rows):
            b.add("    {")
            for i, (k, c) in enumerate(zip(keys, r)):
                assert '"' not in ptext(c) and "\\" not in ptext(c)
                b.add(("" if i == 0 else ", ") + f'"{k}": "')
                b.piece(c)
                b.add('"')
            b.add("}" + ("," if ri < len(rows) - 1 else "") + "\n")
        b.add("  ]\n}\n")
    elif fmt == "asciidoc":
        b.add(f'.{title}\n[options="header"]\n|===\n')
        cells(headers, " |", "|", "\n")
        for r in rows:
            cells(r, " |", "|", "\n")
        b.add("|===\n")
    else:
        raise ValueError(fmt)


TABLE_FORMATS = {
    "csv": "csv_export",
    "tsv": "tsv_export",
    "markdown": "markdown_table",
    "org": "org_mode_table",
    "html": "html_table",
    "latex": "latex_tabular",
    "mediawiki": "mediawiki_table",
    "rst": "rst_grid_table",
    "confluence": "confluence_table",
    "fixed": "fixed_width_report",
    "spreadsheet": "spreadsheet_paste",
    "yaml": "yaml_account_list",
    "json": "json_account_list",
    "asciidoc": "asciidoc_table",
}
SERVICES = [
    "Jira",
    "AWS console",
    "Grafana",
    "GitLab",
    "Jenkins",
    "Salesforce",
    "Zendesk",
    "HubSpot",
    "Confluence",
    "NAS",
    "Router",
    "Firewall",
    "SAP",
    "Odoo",
    "WordPress",
    "Nextcloud",
    "Proxmox",
    "vCenter",
    "Moodle",
    "Shopware",
]
SITES = ["HQ", "Lager", "Filiale Nord", "Atelier", "Branch-2", "Depot", "Showroom", "Clinic", "Kantor", "Office-B"]


def C(gen, ctx):
    return GENS[gen](ctx)


def person(ctx):
    return R.choice(ctx.L["names"]) + " " + R.choice(UP) + "."


# Each schema: name -> (is_negative_category or None, fn(ctx) -> (title, root, headers, keys, rowfn), uses_lexicon)
def ts_accounts(c):
    L = c.L
    return (
        "accounts",
        "accounts",
        ["Service", L["user"], L["pw"], "E-mail"],
        ["service", "username", "password", "email"],
        lambda: [R.choice(SERVICES), C("user", c), C("PW", c), C("EMAIL", c)],
    )


def ts_servers(c):
    L = c.L
    return (
        "servers",
        "servers",
        ["Host", "IP", L["user"], L["pw"]],
        ["host", "ip", "user", "password"],
        lambda: [R.choice(WORDS) + "-" + str(R.randint(1, 20)), C("IP", c), C("user", c), C("PW", c)],
    )


def ts_tokens(c):
    L = c.L

    def row():
        k = R.choice(CHAT_VENDORS)
        return [VENDORS[k][0], R.choice(["prod", "staging", "dev", "ci"]), vendor_val(k), C("EMAIL", c)]

    return ("api tokens", "tokens", ["Service", "Env", L["token"], "Owner"], ["service", "env", "token", "owner"], row)


def ts_cards(c):
    L = c.L
    return (
        "corporate cards",
        "cards",
        ["Name", L["card"], "Exp", "E-mail"],
        ["holder", "card_number", "exp", "email"],
        lambda: [person(c), C("CARD", c), f"{R.randint(1, 12):02d}/{R.randint(26, 31)}", C("EMAIL", c)],
    )


def ts_wifi(c):
    L = c.L
    return (
        "wifi",
        "wifi",
        ["Site", "SSID", L["pw"]],
        ["site", "ssid", "psk"],
        lambda: [
            R.choice(SITES),
            R.choice(["Office", "Guest", "Lab", "IoT", "POS"]) + "-" + rs(UP + DG, 4),
            C("PSK", c),
        ],
    )


def ts_vpn(c):
    return (
        "vpn peers",
        "peers",
        ["Gateway", "IP", "PSK"],
        ["gateway", "ip", "psk"],
        lambda: ["gw-" + R.choice(WORDS), C("IP", c), C("PSK", c)],
    )


def ts_dsn(c):
    def row():
        scheme, port = R.choice([("mysql", 3306), ("postgresql", 5432), ("mongodb", 27017), ("redis", 6379)])
        return [
            R.choice(WORDS) + "_" + R.choice(["prod", "stage", "replica"]),
            [scheme + "://" + gen_user() + ":", GENS["PWU"](c), "@", GENS["IP4"](c), f":{port}/{R.choice(WORDS)}"],
        ]

    return ("connection strings", "databases", ["Name", "DSN"], ["name", "dsn"], row)


def ts_staff_pin(c):
    L = c.L
    return (
        "staff",
        "staff",
        ["Employee", L["user"], L["pin"]],
        ["employee", "login", "pin"],
        lambda: [person(c), C("user", c), C("PIN", c)],
    )


def ts_mixed(c):
    L = c.L
    return (
        "systems",
        "systems",
        ["System", "IP", "Contact", L["key"]],
        ["system", "ip", "contact", "secret"],
        lambda: [
            R.choice(SERVICES),
            C("IP", c),
            C("EMAIL", c),
            vendor_val(R.choice(CHAT_VENDORS)) if R.random() < 0.6 else C("PW", c),
        ],
    )


def ts_allowlist(c):
    return (
        "ip allowlist",
        "allowlist",
        ["Customer", "IP", "E-mail", "Added"],
        ["customer", "ip", "email", "added"],
        lambda: [
            R.choice(SYL).capitalize()
            + R.choice(SYL)
            + " "
            + R.choice(["GmbH", "Ltd", "SA", "AB", "Oy", "s.r.o.", "KK"]),
            C("IP", c),
            C("EMAIL", c),
            f"{R.randint(2023, 2025)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
        ],
    )


def ts_n_users(c):
    L = c.L
    return (
        "directory",
        "users",
        ["Name", L["user"], "E-mail", "Team"],
        ["name", "username", "email", "team"],
        lambda: [person(c), C("user", c), C("exemail", c), R.choice(["Ops", "Sales", "HR", "Dev", "Finance"])],
    )


def ts_n_hash(c):
    L = c.L
    return (
        "user hashes",
        "users",
        [L["user"], L["pw"] + " hash"],
        ["user", "password_hash"],
        lambda: [C("user", c), C("hash", c)],
    )


def ts_n_priv(c):
    return (
        "lan inventory",
        "hosts",
        ["Host", "IP", "MAC"],
        ["host", "ip", "mac"],
        lambda: [R.choice(WORDS) + "-" + str(R.randint(1, 40)), C("privip", c), gen_mac()],
    )


def ts_n_orders(c):
    L = c.L
    return (
        "orders",
        "orders",
        [L["order"], "SKU", "Qty", "Total"],
        ["order", "sku", "qty", "total"],
        lambda: [
            C("order", c),
            rs(UP, 3) + "-" + rs(DG, 5),
            str(R.randint(1, 40)),
            f"{R.randint(5, 4000)}.{rs(DG, 2)}",
        ],
    )


def ts_n_checksum(c):
    return (
        "release checksums",
        "files",
        ["File", "SHA-256"],
        ["file", "sha256"],
        lambda: [R.choice(WORDS) + "-" + gen_semver() + R.choice([".tar.gz", ".zip", ".deb", ".msi"]), rs(HEXL, 64)],
    )


def ts_n_public(c):
    return (
        "public client config",
        "clients",
        ["Service", "Public key / client ID"],
        ["service", "public_id"],
        lambda: R.choice(
            [
                ["Stripe publishable", gen_pklive()],
                ["Mapbox public", gen_mapboxpk()],
                ["Google OAuth client_id", gen_gclientid()],
                ["reCAPTCHA site key", gen_recaptcha()],
            ]
        ),
    )


def ts_n_masked(c):
    L = c.L
    return (
        "accounts",
        "accounts",
        ["Service", L["user"], L["pw"]],
        ["service", "username", "password"],
        lambda: [R.choice(SERVICES), C("user", c), gen_masked()],
    )


def ts_n_env(c):
    return (
        "deployment variables",
        "variables",
        ["Variable", "Value"],
        ["name", "value"],
        lambda: [R.choice(["DB_PASSWORD", "API_TOKEN", "SMTP_PASS", "STRIPE_KEY", "JWT_SECRET"]), gen_envref()],
    )


def ts_n_docip(c):
    return (
        "sample hosts",
        "hosts",
        ["Host", "IP"],
        ["host", "ip"],
        lambda: [R.choice(WORDS) + ".example.net", gen_docip() if R.random() < 0.7 else gen_docip6()],
    )


def ts_n_reqlog(c):
    return (
        "request log",
        "requests",
        ["Time", "Request ID", "Status", "ms"],
        ["time", "request_id", "status", "ms"],
        lambda: [
            f"{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}",
            gen_uuid(),
            str(R.choice([200, 201, 401, 403, 500])),
            str(R.randint(3, 900)),
        ],
    )


def ts_n_i18n(c):
    L = c.L

    def row():
        k = R.choice(
            [
                ("login.password", "Password", "pw"),
                ("login.username", "Username", "user"),
                ("settings.api_key", "API key", "key"),
                ("checkout.card", "Card number", "card"),
                ("security.pin", "PIN", "pin"),
                ("orders.number", "Order number", "order"),
                ("auth.token", "Token", "token"),
            ]
        )
        return [k[0], k[1], L[k[2]]]

    return ("ui strings", "strings", ["Key", "en", L["code"]], ["key", "en", L["code"]], row)


def ts_n_wallet(c):
    return (
        "payout wallets",
        "wallets",
        ["Chain", "Address"],
        ["chain", "address"],
        lambda: R.choice([["BTC", gen_btc()], ["ETH", gen_eth()]]),
    )


def ts_n_phone(c):
    return (
        "phone list",
        "contacts",
        ["Name", "Phone", "Ext"],
        ["name", "phone", "ext"],
        lambda: [person(c), gen_phone(), str(R.randint(100, 999))],
    )


def ts_n_last4(c):
    L = c.L
    return (
        "cards on file",
        "cards",
        ["Name", L["card"], "Exp"],
        ["holder", "card", "exp"],
        lambda: [
            person(c),
            R.choice(["**** **** **** ", "•••• ", "XXXX-XXXX-XXXX-", "ending "]) + rs(DG, 4),
            f"{R.randint(1, 12):02d}/{R.randint(26, 31)}",
        ],
    )


def ts_n_versions(c):
    return (
        "component versions",
        "components",
        ["Component", "Version", "Build"],
        ["component", "version", "build"],
        lambda: [R.choice(WORDS) + R.choice(["-api", "-web", "-worker", ""]), gen_semver(), str(R.randint(100, 99999))],
    )


def ts_n_secretref(c):
    return (
        "secret references",
        "secrets",
        ["Name", "Reference"],
        ["name", "ref"],
        lambda: [R.choice(["db_password", "api_token", "smtp_pass", "signing_key"]), gen_secretref()],
    )


def ts_n_luhnbad(c):
    return (
        "reference numbers",
        "refs",
        ["Ref", "Number"],
        ["ref", "number"],
        lambda: ["R-" + rs(DG, 5), gen_invalid_card()],
    )


def ts_n_commits(c):
    return (
        "deploy history",
        "deploys",
        ["Commit", "Author", "Date"],
        ["commit", "author", "date"],
        lambda: [
            rs(HEXL, 40) if R.random() < 0.5 else rs(HEXL, 7),
            person(c),
            f"{R.randint(2023, 2025)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
        ],
    )


def ts_n_employee(c):
    return (
        "employee ids",
        "employees",
        ["Name", "Employee ID", "Dept"],
        ["name", "employee_id", "dept"],
        lambda: [person(c), gen_uuid(), R.choice(["Ops", "Sales", "HR", "Dev"])],
    )


def ts_n_vendorex(c):
    return (
        "documentation sample values",
        "samples",
        ["Variable", "Sample value"],
        ["variable", "sample"],
        lambda: [R.choice(["AWS_ACCESS_KEY_ID", "API_KEY", "TOKEN", "SECRET"]), gen_awsexample()],
    )


def ts_n_policy(c):
    L = c.L
    return (
        L["pw"] + " policy",
        "rules",
        ["Rule", "Value"],
        ["rule", "value"],
        lambda: R.choice(
            [
                ["min_length", str(R.randint(10, 16))],
                ["max_age_days", str(R.choice([90, 180, 365]))],
                ["history", str(R.randint(3, 24))],
                ["require_mfa", R.choice(["yes", "no"])],
                ["lockout_after", str(R.randint(3, 10))],
                ["hash", R.choice(["argon2id", "bcrypt"])],
            ]
        ),
    )


def ts_n_mac(c):
    return (
        "device registry",
        "devices",
        ["Device", "MAC", "VLAN"],
        ["device", "mac", "vlan"],
        lambda: [
            R.choice(["printer", "ap", "cam", "phone", "tv"]) + "-" + str(R.randint(1, 99)),
            gen_mac().upper(),
            str(R.randint(2, 400)),
        ],
    )


TABLE_POS = [
    ts_accounts,
    ts_servers,
    ts_tokens,
    ts_cards,
    ts_wifi,
    ts_vpn,
    ts_dsn,
    ts_staff_pin,
    ts_mixed,
    ts_allowlist,
]
TABLE_NEG = [
    ("reserved_email_domain", ts_n_users),
    ("password_hash", ts_n_hash),
    ("private_ip_address", ts_n_priv),
    ("order_number", ts_n_orders),
    ("checksum_digest", ts_n_checksum),
    ("publishable_key", ts_n_public),
    ("masked_value", ts_n_masked),
    ("env_var_reference", ts_n_env),
    ("documentation_ip", ts_n_docip),
    ("request_trace_id", ts_n_reqlog),
    ("ui_translation_strings", ts_n_i18n),
    ("crypto_wallet_address", ts_n_wallet),
    ("phone_number", ts_n_phone),
    ("card_last_four", ts_n_last4),
    ("version_string", ts_n_versions),
    ("secret_manager_reference", ts_n_secretref),
    ("luhn_invalid_number", ts_n_luhnbad),
    ("commit_hash", ts_n_commits),
    ("employee_id", ts_n_employee),
    ("vendor_doc_example", ts_n_vendorex),
    ("password_policy_text", ts_n_policy),
    ("mac_address", ts_n_mac),
]
KEYED_FORMATS = {"tsv", "yaml", "json"}  # these print English keys instead of the (localised) headers
LEXICAL_SCHEMAS = {
    ts_accounts,
    ts_servers,
    ts_tokens,
    ts_cards,
    ts_wifi,
    ts_staff_pin,
    ts_mixed,
    ts_n_users,
    ts_n_hash,
    ts_n_orders,
    ts_n_masked,
    ts_n_i18n,
    ts_n_last4,
    ts_n_policy,
}


# ---------------------------------------------------------------- code / config templates
CODE_POS = [
    (
        "dotenv",
        "# .env (⟦$env⟧)\nAPP_ENV=⟦$env⟧\nDB_HOST=⟦IP4⟧\nDB_USER=⟦user⟧\nDB_PASSWORD=⟦PWS⟧\nSTRIPE_SECRET_KEY=⟦V:stripe_sk⟧\nMAIL_FROM=⟦EMAIL⟧\n",
    ),
    (
        "docker_compose",
        'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: ⟦user⟧\n      POSTGRES_PASSWORD: "⟦PW⟧"\n  worker:\n    image: registry.⟦$domain⟧/worker:⟦$semver⟧\n    environment:\n      SENDGRID_API_KEY: ⟦V:sendgrid⟧\n',
    ),
    (
        "k8s_secret",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ⟦$db⟧-credentials\n  namespace: ⟦$env⟧\ntype: Opaque\ndata:\n  username: ⟦b64user⟧\n  password: ⟦K8SB64⟧\n",
    ),
    (
        "django_settings",
        'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "NAME": "⟦$db⟧",\n        "USER": "⟦user⟧",\n        "PASSWORD": "⟦PW⟧",\n        "HOST": "⟦IP4⟧",\n    }\n}\nSECRET_KEY = "⟦DJANGOKEY⟧"\nEMAIL_HOST_USER = "⟦EMAIL⟧"\n',
    ),
    (
        "node_source",
        "const client = new OpenAI({\n  apiKey: \"⟦V:openai⟧\",\n});\nconst anthropic = new Anthropic({ apiKey: '⟦V:anthropic⟧' });\n// owner: ⟦EMAIL⟧\n",
    ),
    (
        "terraform_tfvars",
        'do_token     = "⟦V:do⟧"\nregion       = "fra1"\nadmin_cidr   = "⟦IP4⟧/32"\nalert_email  = "⟦EMAIL⟧"\n',
    ),
    (
        "ini_config",
        "[database]\nhost = ⟦IP4⟧\nport = 3306\nuser = ⟦user⟧\npassword = ⟦PWS⟧\n\n[smtp]\nlogin = ⟦EMAIL⟧\npassword = ⟦PWS⟧\n",
    ),
    (
        "java_properties",
        "spring.datasource.url=jdbc:postgresql://⟦IP4⟧:5432/⟦$db⟧\nspring.datasource.username=⟦user⟧\nspring.datasource.password=⟦PWS⟧\nspring.mail.username=⟦EMAIL⟧\nspring.mail.password=⟦PWS⟧\n",
    ),
    ("toml_config", '[slack]\nbot_token = "⟦V:xoxb⟧"\nchannel = "#ops-⟦$env⟧"\n\n[github]\ntoken = "⟦V:ghp⟧"\n'),
    (
        "shell_script",
        "#!/usr/bin/env bash\nexport AWS_ACCESS_KEY_ID=⟦V:aws_akid⟧\nexport AWS_SECRET_ACCESS_KEY='⟦V:aws_secret⟧'\nexport AWS_DEFAULT_REGION=eu-central-1\naws s3 sync ./dist s3://⟦$db⟧-assets\n",
    ),
    (
        "curl_command",
        "curl -u ⟦user⟧:⟦PWU⟧ -X POST https://⟦IP4⟧:8443/api/v2/backup \\\n  -H 'Content-Type: application/json' -d '{\"full\": true}'\n",
    ),
    ("git_credentials", "https://⟦user⟧:⟦V:ghp⟧@github.com\nhttps://oauth2:⟦V:glpat⟧@gitlab.⟦$domain⟧\n"),
    ("jdbc_url", "# ⟦$db⟧ reporting\njdbc:mysql://⟦IP4⟧:3306/⟦$db⟧?user=⟦user⟧&password=⟦PWU⟧&useSSL=true\n"),
    (
        "laravel_env",
        "APP_NAME=⟦$db⟧\nAPP_ENV=production\nAPP_KEY=base64:⟦LARAVEL⟧\nDB_PASSWORD=⟦PWS⟧\nMAIL_USERNAME=⟦EMAIL⟧\n",
    ),
    (
        "gcp_service_account_json",
        '{\n  "type": "service_account",\n  "project_id": "⟦$db⟧-prod",\n  "private_key_id": "⟦hex40⟧",\n  "private_key": "⟦PEMESC⟧\\n",\n  "client_id": "⟦digits21⟧"\n}\n',
    ),
    (
        "http_request",
        "GET /v1/orders HTTP/1.1\nHost: api.⟦$domain⟧\nAuthorization: Bearer ⟦JWT⟧\nCookie: session=⟦SESSION⟧; theme=dark\n",
    ),
    ("netrc", "machine api.⟦$domain⟧\n  login ⟦user⟧\n  password ⟦PWS⟧\nmachine ⟦IP4⟧ login deploy password ⟦PWS⟧\n"),
    ("pgpass", "⟦IP4⟧:5432:⟦$db⟧:⟦user⟧:⟦PWS⟧\n*:5432:*:replicator:⟦PWS⟧\n"),
    ("wpa_supplicant_conf", 'network={\n    ssid="⟦$ssid⟧"\n    psk="⟦PSK⟧"\n    key_mgmt=WPA-PSK\n}\n'),
    ("ipsec_secrets", '# /etc/ipsec.secrets (⟦$env⟧)\n⟦IP4⟧ ⟦IP4⟧ : PSK "⟦PSK⟧"\n'),
    ("docker_config_json", '{\n  "auths": {\n    "registry.⟦$domain⟧": {\n      "auth": "⟦BASIC⟧"\n    }\n  }\n}\n'),
    ("npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=⟦V:npm⟧\n# ⟦$pkg⟧\n"),
    ("pip_conf", "[global]\nindex-url = https://⟦user⟧:⟦PWU⟧@pypi.⟦$domain⟧/simple\n"),
    ("pypirc", "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = ⟦V:pypi⟧\n"),
    (
        "github_actions",
        "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      HF_TOKEN: ⟦V:hf⟧\n      DATABRICKS_TOKEN: ⟦V:databricks⟧\n    steps:\n      - run: ./deploy.sh ⟦$env⟧\n",
    ),
    (
        "python_source",
        'import telegram\n\nBOT_TOKEN = "⟦V:telegram⟧"\nADMIN_CHAT = ⟦chatid⟧\nbot = telegram.Bot(token=BOT_TOKEN)\n',
    ),
    (
        "go_source",
        'package notify\n\nconst (\n\tdiscordToken = "⟦V:discord⟧"\n\twebhookURL   = "⟦V:slack_webhook⟧"\n)\n',
    ),
    (
        "appsettings_json",
        '{\n  "ConnectionStrings": {\n    "Main": "Server=⟦IP4⟧;Database=⟦$db⟧;User Id=⟦user⟧;Password=⟦PWS⟧;",\n    "Blob": "DefaultEndpointsProtocol=https;AccountName=⟦$acct⟧;AccountKey=⟦V:azure⟧;EndpointSuffix=core.windows.net"\n  }\n}\n',
    ),
    (
        "php_source",
        "$mail->Host = 'smtp.⟦$domain⟧';\n$mail->Username = '⟦EMAIL⟧';\n$mail->Password = '⟦PWS⟧';\n$mail->Port = 587;\n",
    ),
    (
        "ansible_inventory",
        "[web]\nweb1 ansible_host=⟦IP4⟧ ansible_user=⟦user⟧ ansible_password=⟦PWS⟧\nweb2 ansible_host=⟦IP6⟧ ansible_user=⟦user⟧ ansible_become_password=⟦PWS⟧\n",
    ),
    ("ssh_private_key_file", "# ~/.ssh/id_ed25519 (⟦user⟧, ⟦$env⟧)\n⟦PRIVKEY_OPENSSH⟧\n"),
    ("dotenv", "CACHE_URL=redis://:⟦PWU⟧@⟦IP4⟧:6379/0\nBROKER_URL=amqp://⟦user⟧:⟦PWU⟧@⟦IP4⟧:5672//\n"),
    (
        "test_fixture_json",
        '{\n  "customer": "⟦EMAIL⟧",\n  "card_number": "⟦CARDPLAIN⟧",\n  "exp": "⟦$exp⟧",\n  "billing_ip": "⟦IP4⟧"\n}\n',
    ),
    (
        "nginx_conf",
        "# upstream ⟦$db⟧\nupstream backend {\n    server ⟦IP4⟧:8080;\n    server [⟦IP6⟧]:8080 backup;\n}\n",
    ),
    (
        "mail_log",
        "Mar 12 10:42:01 mx1 postfix/smtpd[⟦pid⟧]: connect from unknown[⟦IP4⟧]\nMar 12 10:42:02 mx1 postfix/smtp[⟦pid⟧]: to=<⟦EMAIL⟧>, relay=mx.⟦$domain⟧[⟦IP4⟧]:25, status=sent\n",
    ),
    ("dotenv", "MAPBOX_SECRET_TOKEN=⟦V:mapbox_sk⟧\nMAPBOX_PUBLIC_TOKEN=⟦mapboxpk⟧\n"),
    ("python_source", 'import stripe\nstripe.api_key = "⟦V:stripe_rk⟧"\nendpoint_secret = "⟦V:whsec⟧"\n'),
    (
        "terminal_session",
        '$ vault login ⟦V:vault⟧\nSuccess! You are now authenticated.\ntoken_accessor       ⟦vaultacc⟧\ntoken_policies       ["default" "⟦$env⟧"]\n',
    ),
    ("age_keyfile", "# created: 2024-05-02T10:11:12Z\n# public key: age1⟦agepub⟧\n⟦V:age⟧\n"),
    ("shell_history", "jira login --server https://⟦$acct⟧.atlassian.net --login ⟦EMAIL⟧ --token ⟦V:atlassian⟧\n"),
    ("postman_env_json", '{"key": "postman_api_key", "value": "⟦V:postman⟧", "enabled": true, "env": "⟦$env⟧"}\n'),
    (
        "grafana_provisioning",
        "apiVersion: 1\ndatasources:\n  - name: Loki\n    url: http://⟦IP4⟧:3100\n    basicAuth: true\n    basicAuthUser: ⟦user⟧\n    secureJsonData:\n      basicAuthPassword: ⟦PWS⟧\n",
    ),
    (
        "terraform_provider",
        'provider "cloudflare" {\n  api_token = "⟦CFTOKEN⟧"\n}\nprovider "newrelic" {\n  api_key = "⟦V:newrelic⟧"\n}\n',
    ),
    ("dotenv", "SUPABASE_ACCESS_TOKEN=⟦V:supabase⟧\nPULUMI_ACCESS_TOKEN=⟦V:pulumi⟧\nLINEAR_API_KEY=⟦V:linear⟧\n"),
    ("yaml_config", "notion:\n  token: ⟦V:notion⟧\nfigma:\n  token: ⟦V:figma⟧\nairtable:\n  pat: ⟦V:airtable⟧\n"),
    ("dotenv", "GRAFANA_SA_TOKEN=⟦V:grafana⟧\nDOPPLER_TOKEN=⟦V:doppler⟧\nTFE_TOKEN=⟦V:tfc⟧\n"),
    ("python_source", 'FCM_SERVER_KEY = "⟦V:fcm⟧"\nDROPBOX_TOKEN = "⟦V:dropbox⟧"\nSQUARE_SECRET = "⟦V:square⟧"\n'),
    (
        "dotenv",
        "SHOPIFY_ADMIN_TOKEN=⟦V:shopify⟧\nMAILGUN_API_KEY=⟦V:mailgun⟧\nMAILCHIMP_KEY=⟦V:mailchimp⟧\nGOOGLE_MAPS_KEY=⟦V:google_api⟧\nGOOGLE_CLIENT_SECRET=⟦V:gocspx⟧\n",
    ),
    (
        "yaml_config",
        "twilio:\n  account_sid: AC⟦hex32⟧\n  auth_token: ⟦V:twilio⟧\ndatadog:\n  api_key: ⟦V:datadog⟧\nslack:\n  user_token: ⟦V:xoxp⟧\n",
    ),
]

CODE_NEG = [
    ("password_hash", "htpasswd", "⟦user⟧:⟦apr1⟧\n⟦user⟧:⟦bcrypt⟧\n"),
    ("password_hash", "shadow_file", "⟦user⟧:⟦sha512crypt⟧:19782:0:99999:7:::\n⟦user⟧:!:19782:0:99999:7:::\n"),
    (
        "env_var_reference",
        "dotenv",
        "DB_PASSWORD=${DB_PASSWORD}\nSTRIPE_SECRET_KEY=${STRIPE_SECRET_KEY:?missing}\nAPI_TOKEN=\nSMTP_USER=⟦exemail⟧\nAPP_ENV=⟦$env⟧\n",
    ),
    (
        "publishable_key",
        "node_source",
        'export const config = {\n  stripeKey: "⟦pklive⟧",\n  mapboxToken: "⟦mapboxpk⟧",\n  env: "⟦$env⟧",\n};\n',
    ),
    (
        "oauth_client_id",
        "dotenv",
        "GOOGLE_CLIENT_ID=⟦gclientid⟧\nGOOGLE_REDIRECT_URI=https://app.⟦$domain⟧/auth/callback\n",
    ),
    (
        "csrf_token",
        "html_source",
        '<meta name="csrf-token" content="⟦csrf⟧">\n<form method="post" action="/login">\n  <input type="hidden" name="_csrf" value="⟦csrf⟧">\n  <input type="password" name="password" autocomplete="current-password">\n</form>\n',
    ),
    (
        "public_key_certificate",
        "authorized_keys",
        "ssh-ed25519 ⟦sshpub⟧ ⟦user⟧-laptop\nssh-rsa ⟦sshpubrsa⟧ ci-runner\n",
    ),
    ("public_key_certificate", "pem_file", "# ⟦$domain⟧ chain\n⟦cert⟧\n"),
    (
        "vendor_doc_example",
        "aws_credentials_file",
        "[profile ⟦$db⟧]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = ⟦$region⟧\n",
    ),
    (
        "secret_manager_reference",
        "k8s_deployment",
        "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: ⟦$db⟧-credentials\n        key: password\n  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef: {name: ⟦$pkg⟧, key: token}\n",
    ),
    (
        "checksum_digest",
        "package_lock",
        '"node_modules/⟦$pkg⟧": {\n  "version": "⟦$semver⟧",\n  "resolved": "https://registry.npmjs.org/⟦$pkg⟧/-/⟦$pkg⟧-⟦$semver⟧.tgz",\n  "integrity": "sha512-⟦sri⟧"\n}\n',
    ),
    (
        "request_trace_id",
        "http_response",
        "HTTP/1.1 201 Created\nX-Request-Id: ⟦uuid⟧\ntraceparent: 00-⟦hex32⟧-⟦hex16⟧-01\nContent-Type: application/json\n",
    ),
    (
        "idempotency_key",
        "curl_command",
        'curl https://api.stripe.com/v1/refunds \\\n  -H "Idempotency-Key: ⟦uuid⟧" \\\n  -u "$STRIPE_SECRET_KEY:" -d charge=ch_⟦alnum24⟧\n',
    ),
    (
        "nonce",
        "http_response",
        "Content-Security-Policy: script-src 'self' 'nonce-⟦nonce⟧'; object-src 'none'\n<script nonce=\"⟦nonce⟧\">init()</script>\n",
    ),
    (
        "vault_accessor",
        "terminal_session",
        "$ vault token lookup -accessor ⟦vaultacc⟧\nKey                 Value\n---                 -----\naccessor            ⟦vaultacc⟧\ndisplay_name        userpass-⟦user⟧\npolicies            [default ⟦$env⟧]\nttl                 767h59m\n",
    ),
    (
        "cache_key",
        "python_source",
        'CACHE_KEY_PREFIX = "⟦$db⟧:v⟦$digit⟧:"\nprofile_cache_key = f"user_profile:{user_id}:⟦hex16⟧"\n',
    ),
    (
        "commit_hash",
        "git_log",
        "commit ⟦hex40⟧\nAuthor: ⟦$n1en⟧ <⟦exemail⟧>\nDate:   ⟦$d⟧\n\n    rotate db password (new value stored in vault)\n",
    ),
    ("encrypted_blob", "ansible_vault", "$ANSIBLE_VAULT;1.1;AES256\n⟦vaulthex⟧\n"),
    (
        "placeholder_credential",
        "python_source",
        'def test_login(client):\n    resp = client.post("/login", data={"user": "⟦user⟧", "password": os.environ["TEST_PASSWORD"]})\n    assert resp.status_code == ⟦$code⟧\n',
    ),
    (
        "password_policy_text",
        "python_source",
        'PASSWORD_MIN_LENGTH = ⟦$minlen⟧\nPASSWORD_REGEX = r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{⟦$minlen⟧,}$"\n# passwords are hashed with argon2id before storage\n',
    ),
    (
        "private_ip_address",
        "network_interfaces",
        "auto eth0\niface eth0 inet static\n  address ⟦privip⟧/24\n  gateway ⟦privip⟧\n  dns-nameservers ⟦privip⟧ 127.0.0.53\n",
    ),
    ("documentation_ip", "nginx_conf", "# example from the runbook\nallow ⟦docip⟧;\nallow ⟦docip6⟧;\ndeny all;\n"),
    ("password_hash", "yaml_config", 'users:\n  - name: ⟦user⟧\n    password_hash: "⟦argon2⟧"\n'),
    ("password_hash", "cisco_config", "username ⟦user⟧ privilege 15 secret 9 ⟦cisco9⟧\nenable secret 8 ⟦cisco8⟧\n"),
    ("crypto_wallet_address", "dotenv", "PAYOUT_BTC_ADDRESS=⟦btc⟧\nPAYOUT_ETH_ADDRESS=⟦eth⟧\n"),
    (
        "placeholder_credential",
        "readme_snippet",
        'export OPENAI_API_KEY="<your-openai-key>"\nexport GITHUB_TOKEN="ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n# then run: make ⟦$env⟧\n',
    ),
    ("public_key_certificate", "pem_file", "⟦pubkeypem⟧\n"),
    ("recaptcha_site_key", "dotenv", "RECAPTCHA_SITE_KEY=⟦recaptcha⟧\nRECAPTCHA_THEME=⟦$theme⟧\n"),
]
VARS["region"] = lambda c: R.choice(["us-west-2", "eu-central-1", "ap-southeast-1", "eu-west-3"])
VARS["code"] = lambda c: str(R.choice([200, 302]))
VARS["minlen"] = lambda c: str(R.randint(10, 16))
VARS["theme"] = lambda c: R.choice(["light", "dark"]) + "-" + rs(LO, 3)


# ---------------------------------------------------------------- scanners / checks
IP4_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
CARD_RE = re.compile(r"(?<![\w])\d(?:[ -]?\d){11,18}(?![\w])")
MAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")


def scan(text):
    """Return a list of leaks (public IPv4, brand Luhn card, e-mail on non-reserved domain)."""
    leaks = []
    for m in IP4_RE.finditer(text):
        try:
            if ip_public(m.group()):
                leaks.append(("ip", m.group()))
        except ValueError:
            pass
    for m in CARD_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group())
        if 12 <= len(d) <= 19 and luhn_ok(d) and card_brand(d):
            leaks.append(("card", m.group()))
    for m in MAIL_RE.finditer(text):
        if not email_domain_reserved(m.group(1)):
            leaks.append(("email", m.group()))
    return leaks


def blank_spans(text, spans):
    t = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            t[i] = " "
    return "".join(t)


def check_value(ent, v, kind):
    if ent == "IP_ADDRESS":
        assert ip_public(v), v
    elif ent == "CREDIT_CARD":
        d = re.sub(r"[ -]", "", v)
        assert d.isdigit() and luhn_ok(d) and card_brand(d) not in (None, "maestro"), v
    elif ent == "EMAIL_ADDRESS":
        assert re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", v) and not email_domain_reserved(
            v.split("@")[1]
        ), v
    else:
        assert v[0].isalnum() or v.startswith("-----BEGIN"), v
        assert v[-1] not in ".,!?:;", v
        assert not bad_word(v), v
        if kind == "password":
            assert len(v) >= 8


# ---------------------------------------------------------------- assembly
RECORDS, TEXTS, TEMPLATE_IDS, VARIANTS, KINDS = [], set(), {}, collections.Counter(), collections.Counter()
RETRIES = collections.Counter()


def tid(key):
    if key not in TEMPLATE_IDS:
        TEMPLATE_IDS[key] = len(TEMPLATE_IDS) + 1
    return TEMPLATE_IDS[key]


def emit(key, lang, context, category, build):
    """build() -> Builder. Redraw on scanner leak or duplicate text (deterministic)."""
    for attempt in range(40):
        b = build()
        text = b.text()
        ok = text not in TEXTS
        if ok:
            if category == "positive":
                ok = bool(b.spans) and not scan(blank_spans(text, b.spans))
            else:
                ok = not b.spans and not scan(text)
        if ok:
            break
        RETRIES[category] += 1
    else:
        raise AssertionError(f"could not build a clean record for {key}")
    t = tid(key)
    rid = f"t27-{t}-{VARIANTS[t]}"
    VARIANTS[t] += 1
    TEXTS.add(text)
    rec = {"id": rid, "text": text, "lang": lang, "context": context, "category": category, "spans": b.spans}
    RECORDS.append((rec, list(b.expect), list(b.kinds)))


def chat_builder(tpl, L):
    def build():
        b = Builder()
        render(tpl, Ctx(L), b)
        return b

    return build


def table_builder(fmt, schema, L):
    def build():
        ctx = Ctx(L)
        title, root, headers, keys, rowfn = schema(ctx)
        rows = [rowfn() for _ in range(R.randint(2, 5))]
        b = Builder()
        render_table(fmt, headers, keys, rows, b, title, root)
        return b

    return build


def main():
    # chat, positive: one record per (skeleton, language) pair drawn without replacement
    combos = [(i, lg) for i in range(len(CHAT_POS)) for lg in LANGS]
    R.shuffle(combos)
    for i, lg in combos[:340]:
        ctxname, tpl = CHAT_POS[i]
        emit(("chatpos", i, lg), lg, ctxname, "positive", chat_builder(tpl, LEX[lg]))
    ncombos = [(i, lg) for i in range(len(CHAT_NEG)) for lg in LANGS]
    R.shuffle(ncombos)
    for i, lg in ncombos[:262]:
        cat, ctxname, tpl = CHAT_NEG[i]
        emit(("chatneg", i, lg), lg, ctxname, cat, chat_builder(tpl, LEX[lg]))
    # tables
    fmts = list(TABLE_FORMATS)
    for k in range(238):
        schema = TABLE_POS[k % len(TABLE_POS)]
        fmt = fmts[(k // len(TABLE_POS) + k) % len(fmts)]
        lg = R.choice(LANGS) if schema in LEXICAL_SCHEMAS and fmt not in KEYED_FORMATS and R.random() < 0.75 else "en"
        emit(
            ("tablepos", schema.__name__, fmt), lg, TABLE_FORMATS[fmt], "positive", table_builder(fmt, schema, LEX[lg])
        )
    for k in range(176):
        cat, schema = TABLE_NEG[k % len(TABLE_NEG)]
        fmt = fmts[(k // len(TABLE_NEG) * 3 + k) % len(fmts)]
        lg = R.choice(LANGS) if schema in LEXICAL_SCHEMAS and fmt not in KEYED_FORMATS and R.random() < 0.75 else "en"
        if schema is ts_n_i18n:  # values are translations: always a non-English target language
            lg = R.choice(LANGS[1:])
        emit(("tableneg", schema.__name__, fmt), lg, TABLE_FORMATS[fmt], cat, table_builder(fmt, schema, LEX[lg]))
    # code
    for k in range(106):
        j = k % len(CODE_POS)
        ctxname, tpl = CODE_POS[j]
        emit(("codepos", j), "en", ctxname, "positive", chat_builder(tpl, LEX["en"]))
    for k in range(78):
        j = k % len(CODE_NEG)
        cat, ctxname, tpl = CODE_NEG[j]
        emit(("codeneg", j), "en", ctxname, cat, chat_builder(tpl, LEX["en"]))

    final_checks()
    with open(OUT, "w", encoding="utf-8") as f:
        for rec, _, _ in RECORDS:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    summary()


def final_checks():
    ids = set()
    ent_count = collections.Counter()
    for rec, expect, kinds in RECORDS:
        assert set(rec) == {"id", "text", "lang", "context", "category", "spans"}
        assert rec["id"] not in ids
        ids.add(rec["id"])
        text, spans = rec["text"], rec["spans"]
        assert re.fullmatch(r"[a-z]{2}", rec["lang"]) and re.fullmatch(r"[a-z0-9_]+", rec["context"])
        assert re.fullmatch(r"[a-z0-9_]+", rec["category"])
        if rec["category"] == "positive":
            assert spans
            assert not scan(blank_spans(text, spans)), (rec["id"], scan(blank_spans(text, spans)))
        else:
            assert not spans
            assert not scan(text), (rec["id"], scan(text))
        prev = 0
        for s, v, kd in zip(spans, expect, kinds):
            assert 0 <= s["start"] < s["end"] <= len(text)
            assert s["start"] >= prev, rec["id"]
            prev = s["end"]
            assert text[s["start"] : s["end"]] == v, rec["id"]
            assert s["entity"] in ENT.values()
            check_value(s["entity"], v, kd)
            ent_count[s["entity"]] += 1
            KINDS[kd] += 1
    texts = [r["text"] for r, _, _ in RECORDS]
    assert len(set(texts)) == len(texts)
    negs = [r for r, _, _ in RECORDS if r["category"] != "positive"]
    real_vendor = {k[7:] for k in KINDS if k.startswith("vendor:") and VENDORS[k[7:]][2]}
    assert len(RECORDS) >= 1150
    assert ent_count["SECRET"] >= 600 and ent_count["EMAIL_ADDRESS"] >= 150
    assert ent_count["IP_ADDRESS"] >= 120 and ent_count["CREDIT_CARD"] >= 60
    assert len(negs) >= 500 and len({r["category"] for r in negs}) >= 35
    assert len(TEMPLATE_IDS) >= 300
    assert len({r["lang"] for r, _, _ in RECORDS}) >= 40
    assert len(real_vendor) >= 25, sorted(real_vendor)


def summary():
    recs = [r for r, _, _ in RECORDS]
    ents = collections.Counter(s["entity"] for r in recs for s in r["spans"])
    print(f"wrote {len(recs)} records to {OUT}")
    print(
        f"positives: {sum(r['category'] == 'positive' for r in recs)}  negatives: {sum(r['category'] != 'positive' for r in recs)}"
    )
    print(f"templates: {len(TEMPLATE_IDS)}  redraws during generation: {dict(RETRIES)}")
    print("spans per entity:", dict(ents))
    groups = collections.Counter(
        (
            "chat/e-mail/ticket/note"
            if k[0].startswith("chat")
            else "table"
            if k[0].startswith("table")
            else "code/config"
        )
        for k, t in TEMPLATE_IDS.items()
        for _ in range(VARIANTS[t])
    )
    print("record groups:", dict(groups))
    vend = sorted(k[7:] for k in KINDS if k.startswith("vendor:"))
    print(f"vendor token kinds ({len(vend)}; real-format {sum(VENDORS[v][2] for v in vend)}):", ", ".join(vend))
    print(
        "secret kinds:",
        dict(sorted((k, v) for k, v in KINDS.items() if not k.startswith("vendor:") and k not in ENT.values())),
    )
    cats = collections.Counter(r["category"] for r in recs)
    print(f"categories ({len(cats) - 1} negative):", dict(sorted(cats.items(), key=lambda x: -x[1])))
    langs = collections.Counter(r["lang"] for r in recs)
    print(f"languages ({len(langs)}):", dict(sorted(langs.items(), key=lambda x: -x[1])))
    ctxs = collections.Counter(r["context"] for r in recs)
    print(f"contexts ({len(ctxs)}):", dict(sorted(ctxs.items(), key=lambda x: -x[1])))


if __name__ == "__main__":
    main()
