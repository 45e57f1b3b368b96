#!/usr/bin/env python3
"""Generator for PII test set 19 (pii_testset19.jsonl).

Set 19 focuses on source code and configuration in many programming and
config languages (Python, JavaScript/TypeScript, Java, Kotlin, Scala, Groovy,
C#, Go, Rust, Ruby, PHP, Swift, Dart, Perl, R, Lua, Elixir, Haskell, Julia,
C/C++, SQL, Bash, PowerShell, Dockerfile, Makefile, YAML (Kubernetes, CI,
Ansible, Helm, compose), JSON, TOML, INI, XML, HCL/Terraform, .properties,
.env, .npmrc/.pypirc/.netrc/.pgpass and other dotfiles, nginx/HAProxy/redis
configs, DNS zone files, LDIF ...) where credentials are passed positionally or
structurally: function/constructor arguments, connection strings and DSNs,
CLI flags, ENV lines, CI variables, Kubernetes Secrets (base64 data),
Terraform/Ansible variables, unit tests and fixtures, SQL user management, and
more than 60 real vendor token formats (all values random and fake).

Every record is rendered from a template.  A template is a string with
placeholders of the form  \u27e6name\u27e7  or  \u27e6name:tag\u27e7  (the tag re-uses the same
value inside one record) or  \u27e6#key\u27e7  (a short comment phrase translated into
the record's natural language), or a Python function returning a list of
parts.  Each placeholder is produced by a generator that returns
(value, entity or None, kind).  The text is built left to right and the span
offsets are recorded at insertion time (never searched afterwards).

Where the file format has comments, about 60% of the templates without their
own comment get one translated comment line (12 natural languages); the record's
lang is the language of its comments ('en' otherwise).  Unlabelled fillers such
as the app, domain or database name keep one value per record.

Everything is deterministic: one random.Random(1919) drives all choices.

Checks (all fatal, see check_record / final_checks):
  * text[start:end] equals the inserted value for every span;
  * spans are sorted and never overlap; positives have >= 1 span, hard
    negatives have none;
  * every labelled IP is globally routable (ipaddress .is_global) and not in a
    documentation range (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32);
  * every labelled card number passes Luhn and has a real brand prefix/length
    (Visa, Mastercard 51-55/2221-2720, Amex, Discover, JCB, Diners, UnionPay);
  * every labelled e-mail has a non-reserved domain;
  * labelled passwords follow the guide (>= 8 chars, start alphanumeric, do not
    end in . , ! ? : ; , mix >= 2 character classes or are passphrases of 3+
    words with digits); no SECRET value contains EXAMPLE/xxxx/your_;
  * ids are unique and no text occurs twice;
  * a simple scanner run over every negative text and over the unlabelled
    parts of every positive text (labelled spans masked with NUL) finds no
    public IPv4 address, no Luhn-valid brand-prefixed card number (plain or
    grouped with spaces/dashes) and no e-mail address on a non-reserved domain.
    There are no category-specific exceptions.  If a randomly drawn variant
    trips the scanner (for example a random hex id that happens to contain a
    Luhn-valid Visa-prefixed digit run) the variant is redrawn from the same
    seeded stream, so the output stays deterministic.
Finally a summary (records, spans per entity, categories, languages,
contexts) is printed.
"""

import base64
import collections
import hashlib
import ipaddress
import json
import os
import random
import re
import string
import zlib

R = random.Random(1919)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset19.jsonl")

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
HEX = "0123456789abcdef"
HEXU = HEX.upper()
B64 = AN + "+/"
B64U = AN + "-_"
BCRYPT64 = "./" + AN
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def rs(n, alphabet=AN):
    return "".join(R.choice(alphabet) for _ in range(n))


def rd(n):
    return str(R.randint(1, 9)) + rs(n - 1, DG)


def b64(data):
    return base64.b64encode(data).decode()


def b64u_nopad(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


# ---------------------------------------------------------------- word lists
WORDS = [
    "copper",
    "lantern",
    "meadow",
    "orbit",
    "velvet",
    "canyon",
    "harbor",
    "pebble",
    "quartz",
    "thistle",
    "falcon",
    "glacier",
    "saffron",
    "tundra",
    "marble",
    "cobalt",
    "juniper",
    "ember",
    "walnut",
    "cascade",
    "nimbus",
    "prairie",
    "basalt",
    "lagoon",
    "willow",
    "sparrow",
    "granite",
    "mosaic",
    "voyage",
    "cinder",
    "fjord",
    "hazel",
    "obsidian",
    "paprika",
    "ripple",
    "tangent",
    "umber",
    "vortex",
    "wicker",
    "zephyr",
    "anchor",
    "bramble",
    "citadel",
    "dynamo",
    "kettle",
]
FIRST = [
    "anna",
    "lukas",
    "maria",
    "jonas",
    "sofia",
    "mateo",
    "emma",
    "noah",
    "lea",
    "elias",
    "chloe",
    "hugo",
    "giulia",
    "marco",
    "ines",
    "tomas",
    "julia",
    "david",
    "sara",
    "kenji",
    "yuki",
    "wei",
    "mei",
    "olga",
    "ivan",
    "fatima",
    "omar",
    "priya",
    "arjun",
    "nina",
    "pablo",
    "lucia",
    "jan",
    "eva",
    "piotr",
    "zofia",
    "erik",
    "astrid",
    "liam",
    "ava",
    "malik",
    "leonie",
    "bruno",
    "ada",
]
LAST = [
    "schmidt",
    "meyer",
    "dubois",
    "martin",
    "garcia",
    "rossi",
    "silva",
    "jansen",
    "kowalski",
    "nilsson",
    "tanaka",
    "suzuki",
    "wang",
    "li",
    "petrov",
    "haddad",
    "khan",
    "patel",
    "novak",
    "horvat",
    "lopez",
    "moreau",
    "bianchi",
    "weber",
    "fischer",
    "dijkstra",
    "lindqvist",
    "sato",
    "chen",
    "ivanova",
    "okafor",
    "brennan",
    "costa",
    "vidal",
    "keller",
    "laine",
]
CO = [
    "north",
    "wind",
    "blue",
    "harbor",
    "lumen",
    "vertex",
    "alpine",
    "cedar",
    "nova",
    "quartz",
    "river",
    "summit",
    "atlas",
    "ember",
    "orbit",
    "pixel",
    "kestrel",
    "tandem",
    "meridian",
    "willow",
    "granite",
    "solace",
    "bright",
    "fjord",
    "helix",
    "copper",
    "maple",
    "zenith",
    "silver",
    "arc",
    "tidal",
    "vireo",
    "brook",
    "lattice",
    "pylon",
    "quill",
]
TLDS = [
    "com",
    "io",
    "de",
    "fr",
    "net",
    "org",
    "co.uk",
    "nl",
    "es",
    "it",
    "dev",
    "app",
    "ch",
    "at",
    "se",
    "pl",
    "eu",
    "tech",
    "cloud",
    "com.br",
    "co.jp",
    "cz",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "gmx.de",
    "web.de",
    "proton.me",
    "yahoo.fr",
    "icloud.com",
    "libero.it",
    "wp.pl",
    "seznam.cz",
    "hotmail.es",
    "yandex.ru",
    "naver.com",
    "t-online.de",
]
USERS = [
    "deploy",
    "svc_reporting",
    "app_rw",
    "etl_loader",
    "jenkins",
    "ci-runner",
    "analytics",
    "billing_app",
    "webapp",
    "replicator",
    "grafana_reader",
    "backup",
    "airflow",
    "orders_api",
    "inventory_svc",
    "kc_admin",
    "metabase",
    "looker_ro",
    "dbt_runner",
    "monitor",
    "svc-sync",
    "payments",
    "crm_writer",
    "ops",
    "build",
    "mailer",
    "ingest",
    "report_user",
    "app_owner",
]
DBS = [
    "orders",
    "analytics",
    "billing",
    "inventory",
    "crm",
    "warehouse",
    "reporting",
    "payments_ledger",
    "app_prod",
    "metrics",
    "catalog",
    "auth",
    "events",
    "shop",
    "hr_portal",
    "telemetry",
]
APPS = [
    "checkout",
    "ledger",
    "atlas",
    "harvest",
    "beacon",
    "relay",
    "pulse",
    "quarry",
    "nimbus",
    "orchard",
    "sentinel",
    "tally",
    "courier",
    "mosaic",
    "signal",
    "keystone",
]
SSIDS = [
    "Office-5G",
    "Lab_Guest",
    "Werkstatt",
    "HQ-Floor2",
    "Warehouse-IoT",
    "Studio",
    "Atelier",
    "Sensors-2G",
    "Kantoor",
    "Biuro-WiFi",
    "Sala-Reuniones",
    "Magazzino",
]


def company_domain():
    a, b = R.sample(CO, 2)
    sep = R.choice(["", "-", ""])
    return f"{a}{sep}{b}.{R.choice(TLDS)}"


def gen_email():
    f, l = R.choice(FIRST), R.choice(LAST)
    style = R.randrange(9)
    if style < 2:
        local = f + str(R.randint(1, 99)) if R.random() < 0.5 else f"{f}.{l}{R.randint(1, 99)}"
        return f"{local}@{R.choice(FREEMAIL)}"
    dom = company_domain()
    local = [
        f"{f}.{l}",
        f"{f[0]}.{l}",
        f"{f}{l}",
        f"{f}_{l}",
        f"{l}.{f}",
        f"{f}.{l}+ci",
        R.choice(
            [
                "ops",
                "billing",
                "security",
                "devops",
                "it-support",
                "platform",
                "alerts",
                "noreply",
                "accounts",
                "data-team",
            ]
        ),
    ][style - 2]
    return f"{local}@{dom}"


RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("test", "invalid", "localhost", "example")


def reserved_domain(dom):
    d = dom.lower().rstrip(".")
    if any(d == r or d.endswith("." + r) for r in RESERVED_DOMAINS):
        return True
    return d.rsplit(".", 1)[-1] in RESERVED_TLDS


def gen_reserved_email():
    f, l = R.choice(FIRST), R.choice(LAST)
    dom = R.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            f"{R.choice(CO)}.test",
            f"{R.choice(APPS)}.invalid",
            f"{R.choice(CO)}.example",
            f"app.{R.choice(APPS)}.localhost",
        ]
    )
    return f"{R.choice([f, f + '.' + l, f[0] + l, 'ci-bot', 'noreply', 'qa'])}@{dom}"


# ---------------------------------------------------------------- IPs
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def public_ip_ok(s):
    a = ipaddress.ip_address(s)
    return a.is_global and not any(a in n for n in DOC_NETS if n.version == a.version)


def gen_pubip4():
    while True:
        s = f"{R.randint(1, 223)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        if public_ip_ok(s):
            return s


V6_PREFIX = [
    "2a01:4f8",
    "2a00:1450",
    "2606:4700",
    "2600:1f18",
    "2a02:26f0",
    "2001:41d0",
    "2604:a880",
    "2a03:b0c0",
    "2a05:d014",
    "2620:11c",
    "2c0f:fb50",
    "2406:da18",
]


def gen_pubip6():
    while True:
        groups = R.choice(V6_PREFIX).split(":")
        while len(groups) < 8:
            groups.append("%x" % R.choice([0, 0, R.randrange(0x10000), R.randrange(0x100)]))
        a = ipaddress.IPv6Address(":".join(groups))
        s = str(a) if R.random() < 0.8 else a.exploded
        if public_ip_ok(s):
            return s


def gen_privip():
    c = R.randrange(4)
    if c == 0:
        return f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    if c == 1:
        return f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    if c == 2:
        return f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}"
    return f"100.{R.randint(64, 127)}.{R.randint(0, 255)}.{R.randint(1, 254)}"


def gen_docip():
    return R.choice(["192.0.2", "198.51.100", "203.0.113"]) + f".{R.randint(1, 254)}"


# ---------------------------------------------------------------- cards
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


def card_brand(d):
    n = len(d)
    if d.startswith("4") and n in (13, 16, 19):
        return "visa"
    if n == 16 and (51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720):
        return "mastercard"
    if n == 15 and d[:2] in ("34", "37"):
        return "amex"
    if n in (16, 19) and (d.startswith("6011") or d.startswith("65") or 644 <= int(d[:3]) <= 649):
        return "discover"
    if n in (16, 19) and 3528 <= int(d[:4]) <= 3589:
        return "jcb"
    if n == 14 and (d.startswith("36") or 300 <= int(d[:3]) <= 305):
        return "diners"
    if n in (16, 17, 18, 19) and d.startswith("62"):
        return "unionpay"
    return None


def luhn_complete(prefix, length):
    body = prefix + rs(length - len(prefix) - 1, DG)
    for c in DG:
        if luhn_ok(body + c):
            return body + c


def gen_card_digits():
    b = R.choice(["visa", "visa", "mc", "mc2", "amex", "disc", "jcb", "diners", "unionpay"])
    if b == "visa":
        return luhn_complete("4", 16)
    if b == "mc":
        return luhn_complete(str(R.randint(51, 55)), 16)
    if b == "mc2":
        return luhn_complete(str(R.randint(2221, 2720)), 16)
    if b == "amex":
        return luhn_complete(R.choice(["34", "37"]), 15)
    if b == "disc":
        return luhn_complete(R.choice(["6011", "65", str(R.randint(644, 649))]), 16)
    if b == "jcb":
        return luhn_complete(str(R.randint(3528, 3589)), 16)
    if b == "diners":
        return luhn_complete("36", 14)
    return luhn_complete("62" + rs(2, DG), 16)


def fmt_card(d, style=None):
    style = style if style is not None else R.choice(["plain", "space", "dash", "plain"])
    if style == "plain":
        return d
    sep = " " if style == "space" else "-"
    if len(d) == 15:
        groups = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        groups = [d[:4], d[4:10], d[10:]]
    else:
        groups = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(groups)


def gen_luhn_bad():
    while True:
        d = R.choice(["4", "5" + str(R.randint(1, 5)), "37", "6011"])
        ln = 15 if d == "37" else 16
        s = d + rs(ln - len(d), DG)
        if not luhn_ok(s):
            return fmt_card(s)


# ---------------------------------------------------------------- passwords
SYM = "#%^*_-+=!~@&"
SYL_C = "bdfgklmnprstvz"
SYL_V = "aeiou"


def classes(s):
    return sum([any(c.islower() for c in s), any(c.isupper() for c in s), any(c.isdigit() for c in s)])


def password_ok(p):
    if len(p) < 8 or not p[0].isalnum() or p[-1] in ".,!?:;":
        return False
    words = re.split(r"[-_.+]", p)
    phrase = len([w for w in words if w.isalpha()]) >= 3 and any(c.isdigit() for c in p)
    return classes(p) >= 2 or phrase


def _pw(symbols):
    while True:
        style = R.choice(["mixed", "mixed", "pron", "phrase", "alnum", "hexmix"])
        if style == "mixed":
            n = R.randint(10, 22)
            p = R.choice(UP + LO) + "".join(R.choice(AN + symbols) for _ in range(n - 2)) + R.choice(AN)
        elif style == "pron":

            def word():
                return "".join(R.choice(SYL_C) + R.choice(SYL_V) for _ in range(R.randint(2, 3)))

            p = (
                word().capitalize()
                + str(R.randint(2, 999))
                + (R.choice(symbols) if symbols else "")
                + word().capitalize()
            )
        elif style == "phrase":
            seps = [c for c in "-_.+" if c in symbols or c in "-_"]
            sep = R.choice(seps)
            ws = R.sample(WORDS, R.randint(3, 4))
            ws.insert(R.randrange(1, len(ws) + 1), str(R.randint(10, 9999)))
            if R.random() < 0.3:
                ws[0] = ws[0].capitalize()
            p = sep.join(ws)
        elif style == "alnum":
            p = rs(R.randint(12, 24))
        else:
            p = rs(R.randint(16, 32), HEX)
        if password_ok(p) and not re.search(r"example|xxxx|your_", p, re.I):
            return p


def gen_pw():
    return _pw(SYM)


def gen_pwu():
    return _pw("-_~")


def gen_pw_plain():
    return _pw("_-+=%")


def gen_pin():
    while True:
        p = rs(R.randint(6, 8), UP + DG)
        if any(c.isalpha() for c in p) and any(c.isdigit() for c in p):
            return p


# ---------------------------------------------------------------- keys, tokens
def gen_jwt(alg=None, role=None):
    alg = alg or R.choice(["HS256", "HS256", "RS256", "HS512", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256" and R.random() < 0.6:
        hdr["kid"] = rs(16, HEX)
    iat = R.randint(1690000000, 1740000000)
    pl = {
        "sub": R.choice([str(R.randint(1000, 999999)), rs(8, HEX) + "-" + rs(4, HEX)]),
        "iat": iat,
        "exp": iat + R.choice([900, 3600, 86400, 31536000]),
    }
    if role:
        pl["role"] = role
        pl["iss"] = "supabase"
    elif R.random() < 0.5:
        pl["scope"] = R.choice(["read write", "admin", "svc:deploy", "api"])
    sig_len = {"HS256": 43, "HS512": 86, "RS256": 342, "ES256": 86}[alg]
    return (
        b64u_nopad(json.dumps(hdr, separators=(",", ":")).encode())
        + "."
        + b64u_nopad(json.dumps(pl, separators=(",", ":")).encode())
        + "."
        + rs(sig_len, B64U)
    )


PEM_PREFIX = {
    "RSA PRIVATE KEY": "MIIEowIBAAKCAQEA",
    "PRIVATE KEY": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ",
    "EC PRIVATE KEY": "MHcCAQEEI",
    "OPENSSH PRIVATE KEY": "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAA",
    "DSA PRIVATE KEY": "MIIBuwIBAAKBgQ",
}


def pem_body(prefix, total, width=64):
    body = prefix + rs(total - len(prefix), B64)
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    return lines


def gen_pem(kind=None, sep="\n", indent=""):
    kind = kind or R.choice(list(PEM_PREFIX))
    total = {
        "RSA PRIVATE KEY": R.randint(1500, 1700),
        "PRIVATE KEY": R.randint(1600, 1700),
        "EC PRIVATE KEY": 160,
        "OPENSSH PRIVATE KEY": R.randint(380, 420),
        "DSA PRIVATE KEY": 640,
    }[kind]
    width = 70 if kind == "OPENSSH PRIVATE KEY" else 64
    lines = pem_body(PEM_PREFIX[kind], total, width)
    if kind == "EC PRIVATE KEY":
        lines[-1] = lines[-1][:-2] + "=="
    out = [f"-----BEGIN {kind}-----"] + [indent + l for l in lines] + [indent + f"-----END {kind}-----"]
    return sep.join(out)


def gen_cert(indent="", sep="\n", kind="CERTIFICATE"):
    prefix = (
        "MIID" + R.choice(["zTCCArWgAwIBAgIU", "BTCCAe2gAwIBAgIJ", "qDCCApCgAwIBAgIQ"])
        if kind == "CERTIFICATE"
        else "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
    )
    lines = pem_body(prefix, R.randint(900, 1300) if kind == "CERTIFICATE" else 392)
    lines[-1] = lines[-1] + "IDAQAB" if kind != "CERTIFICATE" else lines[-1]
    return sep.join([f"-----BEGIN {kind}-----"] + [indent + l for l in lines] + [indent + f"-----END {kind}-----"])


def gen_wg_key():
    return b64(rbytes(32))


def gen_ssh_pub():
    k = R.choice(["ed", "rsa", "ecdsa"])
    if k == "ed":
        return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(43, B64)
    if k == "rsa":
        return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(510, B64) + "="
    return "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB" + rs(87, B64) + "="


def gen_mapbox(prefix):
    user = R.choice(FIRST) + R.choice(["", "-maps", "dev", str(R.randint(1, 99))])
    pl = b64u_nopad(json.dumps({"u": user, "a": rs(25, LO + DG)}, separators=(",", ":")).encode())
    return f"{prefix}.{pl}.{rs(22, B64U)}"


def _ok_ends(s, alphabet_ok=AN):
    return s[0] in alphabet_ok and s[-1] in alphabet_ok


def rs_clean(n, alphabet):
    """random string whose first and last characters are alphanumeric"""
    while True:
        s = rs(n, alphabet)
        if s[0] in AN and s[-1] in AN:
            return s


VENDOR = {
    "aws_akid": lambda: "AKIA" + rs(16, UP + "234567"),
    "aws_asia": lambda: "ASIA" + rs(16, UP + "234567"),
    "aws_secret": lambda: rs_clean(40, AN + "/+"),
    "aws_session": lambda: "IQoJb3JpZ2luX2Vj" + rs(R.randint(280, 360), B64) + "=",
    "ghp": lambda: "ghp_" + rs(36),
    "gho": lambda: "gho_" + rs(36),
    "ghu": lambda: "ghu_" + rs(36),
    "ghs": lambda: "ghs_" + rs(36),
    "ghr": lambda: "ghr_" + rs(36),
    "github_pat": lambda: "github_pat_11" + rs(20, UP + DG) + "_" + rs(59),
    "glpat": lambda: "glpat-" + rs_clean(20, B64U),
    "glrt": lambda: "glrt-" + rs_clean(20, B64U),
    "gldt": lambda: "gldt-" + rs_clean(20, B64U),
    "slack_bot": lambda: f"xoxb-{rd(11)}-{rd(13)}-{rs(24)}",
    "slack_user": lambda: f"xoxp-{rd(11)}-{rd(11)}-{rd(13)}-{rs(32, HEX)}",
    "slack_app": lambda: f"xapp-1-A{rs(10, UP + DG)}-{rd(13)}-{rs(64, HEX)}",
    "slack_webhook": lambda: f"https://hooks.slack.com/services/T{rs(10, UP + DG)}/B{rs(10, UP + DG)}/{rs(24)}",
    "discord_webhook": lambda: f"https://discord.com/api/webhooks/{rd(19)}/{rs_clean(68, B64U)}",
    "stripe_live": lambda: "sk_live_" + R.choice(["51" + rs(97), rs(24)]),
    "stripe_test": lambda: "sk_test_" + R.choice(["51" + rs(97), rs(24)]),
    "stripe_rk": lambda: R.choice(["rk_live_", "rk_test_"]) + "51" + rs(97),
    "stripe_whsec": lambda: "whsec_" + rs(32),
    "openai": lambda: R.choice(
        [
            "sk-proj-" + rs(74, B64U) + "T3BlbkFJ" + rs_clean(74, B64U),
            "sk-" + rs(20) + "T3BlbkFJ" + rs(20),
            "sk-svcacct-" + rs(74, B64U) + "T3BlbkFJ" + rs_clean(74, B64U),
        ]
    ),
    "anthropic": lambda: "sk-ant-api03-" + rs(93, B64U) + "AA",
    "google_api": lambda: "AIza" + rs_clean(35, B64U),
    "gcp_oauth_secret": lambda: "GOCSPX-" + rs_clean(28, B64U),
    "sendgrid": lambda: "SG." + rs_clean(22, B64U) + "." + rs_clean(43, B64U),
    "twilio_auth": lambda: rs(32, HEX),
    "mailgun": lambda: "key-" + rs(32, HEX),
    "mailchimp": lambda: rs(32, HEX) + "-us" + str(R.randint(1, 21)),
    "npm": lambda: "npm_" + rs(36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs_clean(R.randint(120, 160), B64U),
    "dockerhub": lambda: "dckr_pat_" + rs_clean(27, B64U),
    "shopify_shpat": lambda: "shpat_" + rs(32, HEX),
    "shopify_shpss": lambda: "shpss_" + rs(32, HEX),
    "shopify_shpca": lambda: "shpca_" + rs(32, HEX),
    "do": lambda: R.choice(["dop_v1_", "doo_v1_"]) + rs(64, HEX),
    "vault_hvs": lambda: "hvs.CAESI" + rs_clean(R.randint(80, 95), B64U),
    "vault_legacy": lambda: "s." + rs(24),
    "tfc": lambda: rs(14) + ".atlasv1." + rs_clean(67, B64U),
    "databricks": lambda: "dapi" + rs(32, HEX),
    "hf": lambda: "hf_" + rs(34, UP + LO),
    "atlassian": lambda: "ATATT3xFfGF0" + rs(170, B64U) + "=" + rs(8, HEXU),
    "linear": lambda: "lin_api_" + rs(40),
    "notion": lambda: R.choice(["ntn_" + rs(46), "secret_" + rs(43)]),
    "postman": lambda: "PMAK-" + rs(24, HEX) + "-" + rs(34, HEX),
    "sentry_user": lambda: "sntryu_" + rs(64, HEX),
    "sentry_org": lambda: "sntrys_eyJpYXQiOjE3" + rs(140) + "_" + rs(43),
    "grafana_sa": lambda: "glsa_" + rs(32) + "_" + rs(8, HEX),
    "newrelic_user": lambda: "NRAK-" + rs(27, UP + DG),
    "newrelic_license": lambda: rs(36, HEX) + "NRAL",
    "datadog_api": lambda: rs(32, HEX),
    "datadog_app": lambda: rs(40, HEX),
    "azure_storage": lambda: rs_clean(86, B64) + "==",
    "azure_ad_secret": lambda: rs(3) + R.choice("78") + "Q~" + rs_clean(34, AN + "_~.-"),
    "azure_devops": lambda: rs(52, LO + "234567"),
    "square": lambda: "EAAA" + rs_clean(60, B64U),
    "square_secret": lambda: "sq0csp-" + rs_clean(43, B64U),
    "braintree": lambda: "access_token$production$" + rs(16, LO + DG) + "$" + rs(32, HEX),
    "discord_bot": lambda: "MT" + rs(24) + "." + rs_clean(6, B64U) + "." + rs_clean(38, B64U),
    "telegram": lambda: f"{R.randint(10**8, 10**10 - 1)}:AA" + rs_clean(33, B64U),
    "facebook": lambda: "EAA" + R.choice("GBIJ") + rs(R.randint(150, 190)),
    "cloudflare": lambda: rs_clean(40, B64U),
    "fastly": lambda: rs_clean(32, B64U),
    "fcm": lambda: "AAAA" + rs(7) + ":APA91b" + rs_clean(134, B64U),
    "age": lambda: "AGE-SECRET-KEY-1" + rs(58, BECH32.upper()),
    "pulumi": lambda: "pul-" + rs(40, HEX),
    "doppler": lambda: "dp.st." + R.choice(["prd", "dev", "stg"]) + "." + rs(40),
    "pscale_pw": lambda: "pscale_pw_" + rs_clean(43, B64U),
    "pscale_tkn": lambda: "pscale_tkn_" + rs_clean(43, B64U),
    "supabase_mgmt": lambda: "sbp_" + rs(40, HEX),
    "netlify": lambda: "nfp_" + rs(36),
    "airtable": lambda: "pat" + rs(14) + "." + rs(64, HEX),
    "asana": lambda: "1/" + rd(16) + ":" + rs(32, HEX),
    "figma": lambda: "figd_" + rs_clean(40, B64U),
    "okta": lambda: "00" + rs_clean(40, B64U),
    "jfrog": lambda: R.choice(["AKCp" + rs(69), "cmVmdGtuOjAxOjE3" + rs(48)]),
    "sonar": lambda: R.choice(["sqp_", "squ_", "sqa_"]) + rs(40, HEX),
    "contentful": lambda: "CFPAT-" + rs_clean(43, B64U),
    "dynatrace": lambda: "dt0c01." + rs(24, UP + DG) + "." + rs(64, UP + DG),
    "adafruit": lambda: "aio_" + rs(28),
    "readme": lambda: "rdme_" + rs(70, HEX),
    "tailscale": lambda: "tskey-auth-k" + rs(10) + "CNTRL-" + rs(33),
    "clojars": lambda: "CLOJARS_" + rs(60, HEX),
    "rubygems": lambda: "rubygems_" + rs(48, HEX),
    "shippo": lambda: "shippo_live_" + rs(40, HEX),
    "nuget": lambda: "oy2" + rs(43, LO + DG),
    "crates": lambda: "cio" + rs(32),
    "mapbox_sk": lambda: gen_mapbox("sk"),
    "confluent_secret": lambda: rs_clean(64, B64),
    "influx": lambda: rs_clean(86, B64U) + "==",
    "linode": lambda: rs(64, HEX),
    "heroku": lambda: "HRKU-AA" + rs_clean(58, B64U),
    "alibaba": lambda: "LTAI" + rs(20),
    "ibm_cloud": lambda: rs_clean(44, B64U),
}

# env-var name(s) that naturally carry each vendor token (for the mixed .env templates)
VENDOR_ENV = [
    ("GITHUB_TOKEN", "ghp"),
    ("GH_TOKEN", "github_pat"),
    ("GITLAB_TOKEN", "glpat"),
    ("SLACK_BOT_TOKEN", "slack_bot"),
    ("SLACK_APP_TOKEN", "slack_app"),
    ("STRIPE_SECRET_KEY", "stripe_live"),
    ("STRIPE_API_KEY", "stripe_test"),
    ("STRIPE_RESTRICTED_KEY", "stripe_rk"),
    ("STRIPE_WEBHOOK_SECRET", "stripe_whsec"),
    ("OPENAI_API_KEY", "openai"),
    ("ANTHROPIC_API_KEY", "anthropic"),
    ("GOOGLE_MAPS_SERVER_KEY", "google_api"),
    ("SENDGRID_API_KEY", "sendgrid"),
    ("MAILGUN_API_KEY", "mailgun"),
    ("MAILCHIMP_API_KEY", "mailchimp"),
    ("NPM_TOKEN", "npm"),
    ("PYPI_TOKEN", "pypi"),
    ("DOCKERHUB_TOKEN", "dockerhub"),
    ("SHOPIFY_ADMIN_TOKEN", "shopify_shpat"),
    ("DIGITALOCEAN_TOKEN", "do"),
    ("VAULT_TOKEN", "vault_hvs"),
    ("TFE_TOKEN", "tfc"),
    ("DATABRICKS_TOKEN", "databricks"),
    ("HF_TOKEN", "hf"),
    ("JIRA_API_TOKEN", "atlassian"),
    ("LINEAR_API_KEY", "linear"),
    ("NOTION_TOKEN", "notion"),
    ("POSTMAN_API_KEY", "postman"),
    ("SENTRY_AUTH_TOKEN", "sentry_org"),
    ("GRAFANA_SA_TOKEN", "grafana_sa"),
    ("NEW_RELIC_API_KEY", "newrelic_user"),
    ("NEW_RELIC_LICENSE_KEY", "newrelic_license"),
    ("DD_API_KEY", "datadog_api"),
    ("DD_APP_KEY", "datadog_app"),
    ("AZURE_DEVOPS_EXT_PAT", "azure_devops"),
    ("SQUARE_ACCESS_TOKEN", "square"),
    ("TELEGRAM_BOT_TOKEN", "telegram"),
    ("DISCORD_TOKEN", "discord_bot"),
    ("CLOUDFLARE_API_TOKEN", "cloudflare"),
    ("FASTLY_API_TOKEN", "fastly"),
    ("PULUMI_ACCESS_TOKEN", "pulumi"),
    ("DOPPLER_TOKEN", "doppler"),
    ("PLANETSCALE_SERVICE_TOKEN", "pscale_tkn"),
    ("SUPABASE_ACCESS_TOKEN", "supabase_mgmt"),
    ("NETLIFY_AUTH_TOKEN", "netlify"),
    ("AIRTABLE_TOKEN", "airtable"),
    ("ASANA_PAT", "asana"),
    ("FIGMA_TOKEN", "figma"),
    ("OKTA_API_TOKEN", "okta"),
    ("JFROG_ACCESS_TOKEN", "jfrog"),
    ("SONAR_TOKEN", "sonar"),
    ("CONTENTFUL_MANAGEMENT_TOKEN", "contentful"),
    ("DT_API_TOKEN", "dynatrace"),
    ("ADAFRUIT_IO_KEY", "adafruit"),
    ("README_API_KEY", "readme"),
    ("TS_AUTHKEY", "tailscale"),
    ("CLOJARS_DEPLOY_TOKEN", "clojars"),
    ("GEM_HOST_API_KEY", "rubygems"),
    ("SHIPPO_API_TOKEN", "shippo"),
    ("NUGET_API_KEY", "nuget"),
    ("CARGO_REGISTRY_TOKEN", "crates"),
    ("MAPBOX_DOWNLOADS_TOKEN", "mapbox_sk"),
    ("INFLUX_TOKEN", "influx"),
    ("LINODE_TOKEN", "linode"),
    ("HEROKU_API_KEY", "heroku"),
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "alibaba"),
    ("IBMCLOUD_API_KEY", "ibm_cloud"),
    ("FCM_SERVER_KEY", "fcm"),
    ("SLACK_WEBHOOK_URL", "slack_webhook"),
    ("DISCORD_WEBHOOK_URL", "discord_webhook"),
    ("SENTRY_USER_TOKEN", "sentry_user"),
    ("SQUARE_APPLICATION_SECRET", "square_secret"),
    ("BRAINTREE_ACCESS_TOKEN", "braintree"),
    ("FB_PAGE_TOKEN", "facebook"),
    ("GITLAB_RUNNER_TOKEN", "glrt"),
    ("GITLAB_DEPLOY_TOKEN", "gldt"),
    ("AZURE_STORAGE_KEY", "azure_storage"),
    ("TWILIO_AUTH_TOKEN", "twilio_auth"),
    ("SHOPIFY_API_SECRET", "shopify_shpss"),
    ("AGE_SECRET_KEY", "age"),
    ("CONFLUENT_CLOUD_API_SECRET", "confluent_secret"),
    ("OPENAI_ADMIN_KEY", "openai"),
    ("GH_APP_INSTALL_TOKEN", "ghs"),
]


# ---------------------------------------------------------------- negative-only helpers
def gen_bcrypt():
    return f"$2{R.choice('aby')}${R.choice(['10', '12', '12', '14'])}$" + rs(53, BCRYPT64)


def gen_crypt(kind=None):
    kind = kind or R.choice(["6", "5", "1"])
    salt = rs(16 if kind != "1" else 8, BCRYPT64)
    n = {"6": 86, "5": 43, "1": 22}[kind]
    return f"${kind}${salt}${rs(n, BCRYPT64)}"


def gen_apr1():
    return "$apr1$" + rs(8, BCRYPT64) + "$" + rs(22, BCRYPT64)


def gen_argon2():
    return (
        f"$argon2id$v=19$m={R.choice([19456, 65536, 47104])},t={R.randint(2, 4)},p={R.randint(1, 4)}$"
        + b64(rbytes(16)).rstrip("=")
        + "$"
        + b64(rbytes(32)).rstrip("=")
    )


def gen_cisco(t):
    return f"${t}$" + rs(14, BCRYPT64) + "$" + rs(43, BCRYPT64)


def gen_django_hash():
    return f"pbkdf2_sha256${R.choice([600000, 720000, 870000])}${rs(22)}${b64(rbytes(32))}"


def gen_scram():
    return f"SCRAM-SHA-256$4096:{b64(rbytes(16))}${b64(rbytes(32))}:{b64(rbytes(32))}"


def gen_uuid():
    h = rs(32, HEX)
    h = h[:12] + "4" + h[13:16] + R.choice("89ab") + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def digest(alg, word=None):
    word = word if word is not None else R.choice(WORDS) + str(R.randint(0, 999))
    return hashlib.new(alg, word.encode()).hexdigest()


LANGS = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "ja", "zh", "ru"]
LANG_W = [22, 11, 10, 9, 7, 7, 6, 6, 5, 6, 5, 6]

COMMENTS = {
    "db": [
        "connection settings for the reporting database",
        "Verbindungsdaten für die Reporting-Datenbank",
        "paramètres de connexion à la base de reporting",
        "datos de conexión de la base de datos de informes",
        "parametri di connessione al database dei report",
        "dados de conexão do banco de relatórios",
        "verbindingsgegevens voor de rapportagedatabase",
        "dane połączenia z bazą raportową",
        "anslutningsuppgifter för rapportdatabasen",
        "レポート用データベースの接続設定",
        "报表数据库的连接配置",
        "параметры подключения к базе отчётов",
    ],
    "tmp": [
        "temporary credentials - rotate before the release",
        "vorläufige Zugangsdaten, vor dem Release rotieren",
        "identifiants provisoires, à changer avant la mise en production",
        "credenciales temporales, rotar antes del lanzamiento",
        "credenziali temporanee, da ruotare prima del rilascio",
        "credenciais temporárias, trocar antes do lançamento",
        "tijdelijke inloggegevens, vervangen vóór de release",
        "tymczasowe dane logowania, zmienić przed wydaniem",
        "tillfälliga inloggningsuppgifter, byt före release",
        "一時的な認証情報、リリース前に変更すること",
        "临时凭据，发布前必须更换",
        "временные учётные данные, сменить перед релизом",
    ],
    "test": [
        "fixture for the integration tests",
        "Testdaten für die Integrationstests",
        "jeu de données pour les tests d'intégration",
        "datos de prueba para los tests de integración",
        "dati di prova per i test di integrazione",
        "dados de teste para os testes de integração",
        "testgegevens voor de integratietests",
        "dane testowe do testów integracyjnych",
        "testdata för integrationstesterna",
        "結合テスト用のフィクスチャ",
        "集成测试用的测试数据",
        "тестовые данные для интеграционных тестов",
    ],
    "deploy": [
        "deployment settings for production",
        "Deployment-Einstellungen für Produktion",
        "réglages de déploiement pour la production",
        "ajustes de despliegue para producción",
        "impostazioni di deploy per la produzione",
        "configurações de implantação para produção",
        "deployment-instellingen voor productie",
        "ustawienia wdrożenia dla produkcji",
        "driftsättningsinställningar för produktion",
        "本番環境のデプロイ設定",
        "生产环境的部署配置",
        "настройки развёртывания для продакшена",
    ],
    "ref": [
        "the real value is injected at runtime",
        "der echte Wert wird zur Laufzeit eingespielt",
        "la vraie valeur est injectée à l'exécution",
        "el valor real se inyecta en tiempo de ejecución",
        "il valore reale viene iniettato a runtime",
        "o valor real é injetado em tempo de execução",
        "de echte waarde wordt tijdens runtime ingevoegd",
        "prawdziwa wartość jest wstrzykiwana w czasie działania",
        "det riktiga värdet sätts in vid körning",
        "実際の値は実行時に注入される",
        "真实值在运行时注入",
        "настоящее значение подставляется во время выполнения",
    ],
    "hash": [
        "only the hash is stored, never the plain password",
        "gespeichert wird nur der Hash, nie das Klartext-Passwort",
        "seul le hash est stocké, jamais le mot de passe en clair",
        "solo se guarda el hash, nunca la contraseña en claro",
        "si salva solo l'hash, mai la password in chiaro",
        "só o hash é guardado, nunca a senha em texto puro",
        "alleen de hash wordt opgeslagen, nooit het wachtwoord zelf",
        "przechowywany jest tylko skrót, nigdy hasło",
        "bara hashen lagras, aldrig lösenordet i klartext",
        "平文ではなくハッシュのみを保存する",
        "只保存哈希值，从不保存明文密码",
        "хранится только хеш, а не пароль",
    ],
    "pub": [
        "public material, safe to publish",
        "öffentliche Daten, dürfen veröffentlicht werden",
        "donnée publique, peut être partagée",
        "dato público, se puede compartir",
        "dato pubblico, si può condividere",
        "dado público, pode ser compartilhado",
        "openbare gegevens, mag gedeeld worden",
        "dane publiczne, można je udostępniać",
        "offentligt, får delas",
        "公開情報なので共有してよい",
        "公开信息，可以分享",
        "публичные данные, можно публиковать",
    ],
    "id": [
        "identifier only, grants no access",
        "nur eine Kennung, gewährt keinen Zugriff",
        "simple identifiant, ne donne aucun accès",
        "solo un identificador, no da acceso",
        "solo un identificativo, non dà accesso",
        "apenas um identificador, não dá acesso",
        "alleen een identificatie, geeft geen toegang",
        "tylko identyfikator, nie daje dostępu",
        "endast en identifierare, ger ingen åtkomst",
        "識別子のみでアクセス権はない",
        "仅为标识符，不授予访问权限",
        "только идентификатор, доступа не даёт",
    ],
    "api": [
        "client for the partner API",
        "Client für die Partner-API",
        "client pour l'API partenaire",
        "cliente para la API de socios",
        "client per l'API dei partner",
        "cliente para a API de parceiros",
        "client voor de partner-API",
        "klient API partnera",
        "klient för partner-API:t",
        "パートナーAPI用クライアント",
        "合作伙伴 API 客户端",
        "клиент для партнёрского API",
    ],
}
COMMENTS.update(
    {
        "owner": [
            "maintained by the platform team",
            "gepflegt vom Plattform-Team",
            "maintenu par l'équipe plateforme",
            "mantenido por el equipo de plataforma",
            "gestito dal team piattaforma",
            "mantido pela equipe de plataforma",
            "beheerd door het platformteam",
            "utrzymywane przez zespół platformy",
            "underhålls av plattformsteamet",
            "プラットフォームチームが管理",
            "由平台团队维护",
            "поддерживается командой платформы",
        ],
        "legacy": [
            "legacy setup, scheduled for migration",
            "Altlast, Migration ist geplant",
            "ancienne configuration, migration prévue",
            "configuración antigua, migración planificada",
            "configurazione legacy, migrazione pianificata",
            "configuração antiga, migração planejada",
            "oude configuratie, migratie gepland",
            "stara konfiguracja, migracja zaplanowana",
            "äldre konfiguration, migrering planerad",
            "旧構成、移行予定",
            "旧配置，计划迁移",
            "устаревшая конфигурация, запланирована миграция",
        ],
        "staging": [
            "used by the staging environment",
            "wird von der Staging-Umgebung genutzt",
            "utilisé par l'environnement de préproduction",
            "lo usa el entorno de staging",
            "usato dall'ambiente di staging",
            "usado pelo ambiente de homologação",
            "gebruikt door de acceptatieomgeving",
            "używane przez środowisko testowe",
            "används av stagingmiljön",
            "ステージング環境で使用",
            "供预发布环境使用",
            "используется тестовым стендом",
        ],
        "review": [
            "checked during the last security review",
            "beim letzten Sicherheitsreview geprüft",
            "vérifié lors de la dernière revue de sécurité",
            "revisado en la última auditoría de seguridad",
            "verificato nell'ultima revisione di sicurezza",
            "verificado na última revisão de segurança",
            "gecontroleerd tijdens de laatste security-review",
            "sprawdzone podczas ostatniego przeglądu bezpieczeństwa",
            "kontrollerat vid senaste säkerhetsgranskningen",
            "前回のセキュリティレビューで確認済み",
            "已在上次安全审查中检查",
            "проверено на последнем аудите безопасности",
        ],
        "sync": [
            "keep in sync with the deployment pipeline",
            "mit der Deployment-Pipeline synchron halten",
            "à garder synchronisé avec le pipeline de déploiement",
            "mantener sincronizado con el pipeline de despliegue",
            "da tenere allineato con la pipeline di deploy",
            "manter sincronizado com o pipeline de implantação",
            "synchroon houden met de deployment-pipeline",
            "utrzymywać zgodność z potokiem wdrożeniowym",
            "håll i synk med driftsättningspipelinen",
            "デプロイパイプラインと同期させること",
            "需与部署流水线保持同步",
            "держать в синхронизации с конвейером развёртывания",
        ],
    }
)
AUTO_COMMENT_KEYS = ["owner", "legacy", "staging", "review", "sync"]
_HASH_CTX = """python_source django_settings jupyter_config shell_script dockerfile docker_compose yaml_config spring_yaml
k8s_manifest helm_values gitlab_ci github_actions travis_ci bitbucket_pipelines azure_pipelines circleci_config drone_ci
terraform terraform_tfvars terraformrc ansible_vars ansible_playbook ansible_inventory env_file env_example toml_config
cargo_credentials cargo_toml cargo_lock pyproject_toml pypirc pip_conf netrc aws_credentials s3cfg gem_credentials
rails_database_yml ruby_source perl_source r_source julia_source elixir_config makefile properties_file gradle_properties
powershell_script wireguard_config ipsec_secrets haproxy_config mysql_cnf redis_conf nginx_config fail2ban_config
ssh_config sshd_config msmtprc git_config gitconfig homeassistant_secrets dbt_profiles gitea_app_ini synapse_config
alertmanager_config grafana_provisioning prometheus_config hosts_file fstab codeowners netplan_config sops_config
sops_file known_hosts authorized_keys requirements_txt pre_commit_config npmrc yarnrc wpa_supplicant http_request_file
age_keys ldif""".split()
_SLASH_CTX = """js_source ts_source java_source kotlin_source scala_source go_source rust_source csharp_source swift_source
dart_source c_source cpp_source arduino_source jenkinsfile gradle_build solidity_source""".split()
COMMENT_STYLE = {c: ("# ", "") for c in _HASH_CTX}
COMMENT_STYLE.update({c: ("// ", "") for c in _SLASH_CTX})
COMMENT_STYLE.update({c: ("-- ", "") for c in ["sql_script", "lua_source", "haskell_source"]})
COMMENT_STYLE.update({"dns_zone": ("; ", "")})
COMMENT_STYLE.update(
    {c: ("<!-- ", " -->") for c in ["web_config", "nuget_config", "maven_settings", "maven_pom", "html_template"]}
)


def add_auto_comment(src, ctx):
    """Prefix a translated comment line (only where the file format has comments)."""
    if "\u27e6#" in src or ctx not in COMMENT_STYLE or src.startswith("<?php") or R.random() < 0.4:
        return src
    pre, post = COMMENT_STYLE[ctx]
    line = f"{pre}\u27e6#{R.choice(AUTO_COMMENT_KEYS)}\u27e7{post}\n"
    if src.startswith("#!"):
        first, rest = src.split("\n", 1)
        return first + "\n" + line + rest
    return line + src


for _k, _v in COMMENTS.items():
    assert len(_v) == len(LANGS), _k


# ---------------------------------------------------------------- generator registry
GEN = {}


def reg(name, fn, entity=None, kind=None):
    GEN[name] = lambda: (fn(), entity, kind or name)


def S(name, fn, kind=None):
    reg(name, fn, "SECRET", kind or name)


S("pw", gen_pw, "password")
S("pwu", gen_pwu, "password")
S("pw_plain", gen_pw_plain, "password")
S("pin", gen_pin, "pin")
reg("email", gen_email, "EMAIL_ADDRESS")
reg(
    "sa_email",
    lambda: (
        f"{R.choice(APPS)}-{R.choice(['sa', 'deployer', 'ci', 'reader'])}@"
        f"{R.choice(APPS)}-{R.choice(['prod', 'staging', 'data'])}-{R.randint(100000, 999999)}"
        f".iam.gserviceaccount.com"
    ),
    "EMAIL_ADDRESS",
)
reg("pubip", gen_pubip4, "IP_ADDRESS")
reg("pubip6", gen_pubip6, "IP_ADDRESS")
reg("card", lambda: fmt_card(gen_card_digits()), "CREDIT_CARD")
reg("card_plain", lambda: fmt_card(gen_card_digits(), "plain"), "CREDIT_CARD")
reg("card_grp", lambda: fmt_card(gen_card_digits(), R.choice(["space", "dash"])), "CREDIT_CARD")
S("jwt", gen_jwt)
S("jwt_service", lambda: gen_jwt("HS256", "service_role"))
S("pem", lambda: gen_pem())
S("pem_rsa", lambda: gen_pem("RSA PRIVATE KEY"))
S("pem_pk8", lambda: gen_pem("PRIVATE KEY"))
S("pem_ossh", lambda: gen_pem("OPENSSH PRIVATE KEY"))
S("pem_ec", lambda: gen_pem("EC PRIVATE KEY"))
S("pem_json", lambda: gen_pem("PRIVATE KEY", sep="\\n"))
S("pem_i4", lambda: gen_pem(sep="\n    "))
S("pem_i6", lambda: gen_pem(R.choice(["RSA PRIVATE KEY", "EC PRIVATE KEY"]), sep="\n      "))
S("k8s_b64pw", lambda: b64(gen_pw().encode()), "k8s_b64")
S("b64pem", lambda: b64((gen_pem(R.choice(["EC PRIVATE KEY", "PRIVATE KEY"])) + "\n").encode()), "k8s_b64")
S("basic_b64", lambda: b64(f"{R.choice(USERS)}:{gen_pw()}".encode()), "basic_b64")
S("hex32s", lambda: rs(32, HEX), "generic")
S("hex40s", lambda: rs(40, HEX), "generic")
S("hex64s", lambda: rs(64, HEX), "generic")
S("b64s", lambda: b64(rbytes(R.choice([24, 32, 48]))), "generic")
S("laravel", lambda: b64(rbytes(32)), "generic")
S("django_key", lambda: "django-insecure-" * R.randint(0, 1) + rs_clean(50, AN + "!@#%^&*(-_=+)"), "generic")
S("wp_salt", lambda: rs_clean(64, AN + "!@#%^&*()-_=+[]{}|<>,.;:~"), "generic")
S("totp", lambda: rs(32, UP + "234567"), "generic")
S("session", lambda: rs(32, LO + DG), "session")
S("gh_session", lambda: rs_clean(48, B64U), "session")
S("hmac", lambda: R.choice([rs(32), rs(64, HEX), b64(rbytes(32)), rs_clean(48, B64U)]), "generic")
S("client_secret", lambda: R.choice([rs(32), rs_clean(40, B64U), rs(48, HEX)]), "generic")
S("api_key", lambda: R.choice([rs(32), rs(40, HEX), rs(24, UP + DG), rs_clean(36, B64U)]), "generic")
S("wg_priv", gen_wg_key, "generic")
S("minio_secret", lambda: rs_clean(40, AN + "+/"), "generic")
S("an64s", lambda: rs(64), "generic")
S("b64u_43s", lambda: rs_clean(43, B64U), "generic")
reg("confluent_key", lambda: rs(16, UP + DG))  # Confluent API key = SASL username (identifier), left unlabelled
for _name, _fn in VENDOR.items():
    S("v_" + _name, _fn, "vendor:" + _name)

# unlabelled fillers
reg("user", lambda: R.choice(USERS) + R.choice(["", "", "", str(R.randint(1, 9))]))
reg("db", lambda: R.choice(DBS))
reg("app", lambda: R.choice(APPS))
reg("domain", company_domain)
reg("ssid", lambda: R.choice(SSIDS) + R.choice(["", "-" + str(R.randint(1, 9))]))
reg("acct", lambda: R.choice(APPS) + R.choice(["store", "data", "logs"]) + str(R.randint(10, 999)))
reg("org", lambda: R.choice(CO) + R.choice(["-labs", "-io", "hq", "-eng", ""]))
reg("repo", lambda: R.choice(APPS) + R.choice(["-api", "-web", "-infra", "", "-service"]))
reg("name", lambda: R.choice(FIRST).capitalize() + " " + R.choice(LAST).capitalize())
reg(
    "host",
    lambda: R.choice(
        [
            f"{R.choice(['pg', 'db', 'mysql', 'mssql', 'mongo', 'redis', 'mq', 'kafka'])}-{R.choice(['prod', 'stg', 'dev', 'eu1'])}-{R.randint(1, 9):02d}.{R.choice(['internal', 'corp.lan', 'svc.cluster.local', 'int.' + company_domain()])}",
            f"{R.choice(APPS)}-db.{company_domain()}",
            f"{R.choice(DBS)}.{rs(12, LO + DG)}.{R.choice(['eu-west-1', 'us-east-2', 'eu-central-1'])}.rds.amazonaws.com",
            f"{R.choice(APPS)}-{R.choice(['sql', 'pg'])}.{R.choice(['database.windows.net', 'postgres.database.azure.com'])}",
        ]
    ),
)
reg("hostshort", lambda: R.choice(["buildbox", "laptop", "ci-runner", "bastion", "ws", "jump"]) + str(R.randint(1, 40)))
reg("privip", gen_privip)
reg("docip", gen_docip)
reg(
    "privip6",
    lambda: (
        R.choice(["fd", "fe80:"])
        + (rs(2, HEX) + ":" + rs(4, HEX) + ":" + rs(4, HEX) + "::" + rs(3, HEX) if True else "")
    ),
)
reg("resemail", gen_reserved_email)
reg("luhn_bad", gen_luhn_bad)
reg("uuid", gen_uuid)
reg("UUID", lambda: gen_uuid().upper())
reg("oid", lambda: rs(8, HEX[:8]) + rs(16, HEX))
for _n in (4, 6, 7, 8, 10, 12, 14, 16, 17, 20, 24, 32, 40, 64):
    reg(f"hex{_n}", (lambda n: lambda: rs(n, HEX))(_n))
reg("HEX16", lambda: rs(16, HEXU))
reg("HEX40", lambda: rs(40, HEXU))
for _n in (8, 10, 12, 14, 16, 20, 22, 24, 32, 40, 43, 64):
    reg(f"an{_n}", (lambda n: lambda: rs(n))(_n))
    reg(f"b64_{_n}", (lambda n: lambda: rs(n, B64))(_n))
    reg(f"b64u_{_n}", (lambda n: lambda: rs_clean(n, B64U))(_n))
reg("UPAN8", lambda: rs(8, UP + DG))
reg("UPAN10", lambda: rs(10, UP + DG))
reg("int", lambda: str(R.randint(2, 99999)))
reg("int3", lambda: str(R.randint(100, 999)))
reg("port", lambda: str(R.choice([5432, 3306, 6379, 27017, 5672, 9092, 8080, 8443, 1433, 9200])))
reg("word", lambda: R.choice(WORDS))
reg("sha1", lambda: digest("sha1"))
reg("sha256", lambda: digest("sha256"))
reg("sha512", lambda: digest("sha512"))
reg("md5", lambda: digest("md5"))
reg("bcrypt", gen_bcrypt)
reg("crypt", gen_crypt)
reg("sha512crypt", lambda: gen_crypt("6"))
reg("md5crypt", lambda: gen_crypt("1"))
reg("apr1", gen_apr1)
reg("argon2", gen_argon2)
reg("cisco8", lambda: gen_cisco(8))
reg("cisco9", lambda: gen_cisco(9))
reg("django_hash", gen_django_hash)
reg("scram", gen_scram)
reg("mysql_hash", lambda: "*" + rs(40, HEXU))
reg("pg_md5", lambda: "md5" + rs(32, HEX))
reg("ssha", lambda: "{SSHA}" + b64(rbytes(24)))
reg("ssh_pub", gen_ssh_pub)
reg("cert", gen_cert)
reg("cert_i4", lambda: gen_cert(sep="\n    "))
reg("pubkey_pem", lambda: gen_cert(kind="PUBLIC KEY"))
reg("wg_pub", gen_wg_key)
reg("age_pub", lambda: "age1" + rs(58, BECH32))
reg("eth", lambda: "0x" + "".join(c.upper() if R.random() < 0.5 else c for c in rs(40, HEX)))
reg("btc", lambda: "bc1q" + rs(R.choice([38, 58]), BECH32))
reg("pk_live", lambda: "pk_live_51" + rs(97))
reg("pk_test", lambda: "pk_test_51" + rs(97))
reg("mapbox_pk", lambda: gen_mapbox("pk"))
reg("gclient", lambda: f"{rd(12)}-{rs(32, LO + DG)}.apps.googleusercontent.com")
reg("recaptcha", lambda: "6L" + rs(38, B64U))
reg("turnstile", lambda: "0x4AAAAAAA" + rs(14, B64U))
reg(
    "b64json",
    lambda: b64(
        json.dumps(
            {"theme": R.choice(["dark", "light"]), "locale": R.choice(LANGS), "page_size": R.choice([20, 50, 100])}
        ).encode()
    ),
)
reg("png_b64", lambda: "iVBORw0KGgoAAAANSUhEUgAAA" + rs(R.randint(60, 140), B64) + "=")
reg("semver", lambda: f"{R.randint(0, 9)}.{R.randint(0, 30)}.{R.randint(0, 20)}")


def comment(key, lang):
    return COMMENTS[key][LANGS.index(lang)]


# ================================================================ templates
TEMPLATES = []  # (category, context, template, n_variants)


def P(ctx, tpl, n=2):
    if not callable(tpl) and "\u27e6card" in tpl:
        n = 3  # card fixtures get one more variant
    TEMPLATES.append(("positive", ctx, tpl, n))


def N(cat, ctx, tpl, n=4):
    TEMPLATES.append((cat, ctx, tpl, n))


# ---------------------------------------------------------------- Python
P(
    "python_source",
    """import psycopg2

# ⟦#db⟧
conn = psycopg2.connect(host="⟦host⟧", port=5432, user="⟦user⟧", password="⟦pw⟧", dbname="⟦db⟧")
cur = conn.cursor()
""",
)
P(
    "python_source",
    """import pymysql

def get_conn():
    # ⟦#tmp⟧
    return pymysql.connect("⟦pubip⟧", "⟦user⟧", "⟦pw⟧", "⟦db⟧", charset="utf8mb4")
""",
)
P(
    "python_source",
    """cache = redis.Redis(host="⟦host⟧", port=6379, db=⟦int⟧ % 16, password='⟦pw⟧', ssl=True)
""",
)
P(
    "python_source",
    """from sqlalchemy import create_engine

engine = create_engine("postgresql+psycopg2://⟦user⟧:⟦pwu⟧@⟦host⟧:5432/⟦db⟧", pool_size=10)
""",
)
P(
    "python_source",
    """s3 = boto3.client(
    "s3",
    aws_access_key_id="⟦v_aws_akid⟧",
    aws_secret_access_key="⟦v_aws_secret⟧",
    region_name="eu-central-1",
)
""",
)
P(
    "python_source",
    """from openai import OpenAI

client = OpenAI(api_key="⟦v_openai⟧")  # ⟦#tmp⟧
resp = client.responses.create(model="gpt-4.1-mini", input="ping")
""",
)
P(
    "python_source",
    """import anthropic
client = anthropic.Anthropic(
    api_key='⟦v_anthropic⟧',
)
""",
)
P(
    "python_source",
    """resp = requests.get(
    "https://api.github.com/repos/⟦org⟧/⟦repo⟧/actions/runs",
    headers={"Authorization": "Bearer ⟦v_ghp⟧", "Accept": "application/vnd.github+json"},
    timeout=10,
)
""",
)
P(
    "python_source",
    """r = requests.post("https://⟦host⟧/api/v2/export", auth=("⟦user⟧", "⟦pw⟧"), json={"fmt": "csv"})
""",
)
P(
    "django_settings",
    """SECRET_KEY = '⟦django_key⟧'
DEBUG = False
ALLOWED_HOSTS = ["⟦pubip⟧", "⟦app⟧.⟦domain⟧"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "⟦db⟧",
        "USER": "⟦user⟧",
        "PASSWORD": "⟦pw⟧",
        "HOST": "⟦host⟧",
    }
}
""",
)
P(
    "python_source",
    """app.config["SECRET_KEY"] = "⟦hex32s⟧"
app.config["MAIL_SERVER"] = "smtp.⟦domain⟧"
app.config["MAIL_USERNAME"] = "⟦email:e⟧"
app.config["MAIL_PASSWORD"] = "⟦pw⟧"
app.config["MAIL_DEFAULT_SENDER"] = "⟦email:e⟧"
""",
)
P(
    "unit_test",
    """import pytest

@pytest.fixture
def stripe_key():
    # ⟦#test⟧
    return "⟦v_stripe_test⟧"
""",
)
P(
    "unit_test",
    """class SlackNotifierTest(unittest.TestCase):
    def setUp(self):
        self.client = WebClient(token="⟦v_slack_bot⟧")
        self.channel = "C0⟦UPAN8⟧"
""",
)
P(
    "python_source",
    """ssh = paramiko.SSHClient()
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
ssh.connect("⟦pubip⟧", 22, "⟦user⟧", "⟦pw⟧", timeout=15)
""",
)
P(
    "python_source",
    """with FTP("⟦pubip⟧") as ftp:
    ftp.login("⟦user⟧", "⟦pw⟧")
    ftp.cwd("/outbound")
""",
)
P(
    "python_source",
    """with smtplib.SMTP("smtp.⟦domain⟧", 587) as server:
    server.starttls()
    server.login("⟦email:e⟧", "⟦pw⟧")
    server.sendmail("⟦email:e⟧", ["⟦email⟧"], msg.as_string())
""",
)
P(
    "python_source",
    """client = MongoClient("mongodb+srv://⟦user⟧:⟦pwu⟧@cluster0.⟦an8⟧.mongodb.net/?retryWrites=true&w=majority")
""",
)
P(
    "unit_test",
    """# ⟦#test⟧
VALID_TOKEN = "⟦jwt⟧"

def test_decode_roundtrip():
    claims = decode(VALID_TOKEN, verify=False)
    assert "sub" in claims
""",
)
P(
    "python_source",
    """import hvac
client = hvac.Client(url="https://vault.⟦domain⟧:8200", token="⟦v_vault_hvs⟧")
secret = client.secrets.kv.v2.read_secret_version(path="⟦app⟧/config")
""",
)
P(
    "python_source",
    """application = Application.builder().token("⟦v_telegram⟧").build()
application.run_polling()
""",
)
P(
    "python_source",
    """bot = commands.Bot(command_prefix="!", intents=intents)
bot.run("⟦v_discord_bot⟧")
""",
)
P(
    "unit_test",
    """# ⟦#test⟧
VALID_CARDS = [
    "⟦card⟧",
    "⟦card⟧",
]

@pytest.mark.parametrize("number", VALID_CARDS)
def test_luhn(number):
    assert luhn_valid(number)
""",
)
P(
    "python_source",
    """from huggingface_hub import login, snapshot_download
login(token="⟦v_hf⟧")
snapshot_download("⟦org⟧/⟦app⟧-base", local_dir="models/")
""",
)
P(
    "python_source",
    """sg = SendGridAPIClient("⟦v_sendgrid⟧")
message = Mail(from_email="⟦email⟧", to_emails="⟦email⟧", subject="Invoice", html_content=body)
sg.send(message)
""",
)
P(
    "python_source",
    """conn = pyodbc.connect(
    "Driver={ODBC Driver 18 for SQL Server};Server=tcp:⟦host⟧,1433;"
    "Database=⟦db⟧;Uid=⟦user⟧;Pwd={⟦pw⟧};Encrypt=yes;"
)
""",
)
P(
    "python_source",
    """auth_provider = PlainTextAuthProvider(username="⟦user⟧", password="⟦pw⟧")
cluster = Cluster(["⟦pubip⟧", "⟦pubip⟧"], auth_provider=auth_provider)
""",
)
P(
    "python_source",
    """es = Elasticsearch("https://⟦pubip⟧:9200", basic_auth=("elastic", "⟦pw⟧"), verify_certs=False)
""",
)
P(
    "python_source",
    """conn = snowflake.connector.connect(
    user="⟦user⟧",
    password="⟦pw⟧",
    account="⟦an8⟧.eu-central-1",
    warehouse="COMPUTE_WH",
)
""",
)
P(
    "python_source",
    """client = InfluxDBClient(url="https://⟦pubip⟧:8086", token="⟦v_influx⟧", org="⟦org⟧")
""",
)
P(
    "python_source",
    """server = Server("ldaps://⟦host⟧", get_info=ALL)
conn = Connection(server, user="cn=⟦user⟧,ou=services,dc=corp,dc=lan", password="⟦pw⟧", auto_bind=True)
""",
)
P(
    "python_source",
    """requests.post(
    "https://api.mailgun.net/v3/mg.⟦domain⟧/messages",
    auth=("api", "⟦v_mailgun⟧"),
    data={"from": "⟦email⟧", "to": ["⟦email⟧"], "subject": "Weekly report"},
)
""",
)
P(
    "python_source",
    """client = MailchimpMarketing.Client()
client.set_config({"api_key": "⟦v_mailchimp⟧", "server": "us19"})
""",
)
P(
    "python_source",
    """client = Client(access_token='⟦v_square⟧', environment='production')
""",
)
P(
    "python_source",
    """gateway = braintree.BraintreeGateway(access_token="⟦v_braintree⟧")
""",
)
P(
    "python_source",
    """endpoint_secret = '⟦v_stripe_whsec⟧'
event = stripe.Webhook.construct_event(payload, sig_header, endpoint_secret)
""",
)
P(
    "python_source",
    """from airflow.models import Connection
conn = Connection(conn_id="⟦db⟧_pg", conn_type="postgres", host="⟦pubip⟧",
                  login="⟦user⟧", password="⟦pw⟧", port=5432)
""",
)
P(
    "python_source",
    """celery_app = Celery("tasks", broker="amqp://⟦user⟧:⟦pwu⟧@⟦pubip⟧:5672//")
""",
)
P(
    "python_source",
    """GRAPH = "https://graph.facebook.com/v19.0"
PAGE_TOKEN = "⟦v_facebook⟧"
requests.post(f"{GRAPH}/me/messages", params={"access_token": PAGE_TOKEN}, json=payload)
""",
)
P(
    "jupyter_config",
    """c.ServerApp.ip = "0.0.0.0"
c.ServerApp.token = "⟦hex40s⟧"
c.ServerApp.open_browser = False
""",
)
P(
    "python_source",
    """handler = SMTPHandler(
    mailhost=("smtp.⟦domain⟧", 587),
    fromaddr="⟦email:e⟧",
    toaddrs=["⟦email⟧"],
    subject="[⟦app⟧] error",
    credentials=("⟦email:e⟧", "⟦pw⟧"),
    secure=(),
)
""",
)
P(
    "unit_test",
    """def test_session_cookie(client):
    client.cookies.set("sessionid", "⟦session⟧")
    r = client.get("/dashboard/")
    assert r.status_code == 200
""",
)
P(
    "python_source",
    """ALGOLIA_APP_ID = "⟦UPAN10⟧"
ALGOLIA_ADMIN_KEY = "⟦hex32s⟧"
client = SearchClient.create(ALGOLIA_APP_ID, ALGOLIA_ADMIN_KEY)
""",
)

# ---------------------------------------------------------------- JavaScript / TypeScript
P(
    "js_source",
    """const connection = mysql.createConnection({
  host: '⟦pubip⟧',
  user: '⟦user⟧',
  password: '⟦pw⟧',
  database: '⟦db⟧'
});
""",
)
P(
    "js_source",
    """// ⟦#db⟧
const pool = new Pool({ connectionString: 'postgres://⟦user⟧:⟦pwu⟧@⟦host⟧:5432/⟦db⟧' });
""",
)
P(
    "js_source",
    """await mongoose.connect(`mongodb://⟦user⟧:⟦pwu⟧@⟦pubip⟧:27017/⟦db⟧?authSource=admin`);
""",
)
P(
    "js_source",
    """const stripe = require('stripe')('⟦v_stripe_live⟧');
""",
)
P(
    "ts_source",
    """import Redis from "ioredis";
export const redis = new Redis("rediss://default:⟦pwu⟧@⟦host⟧:6380/0");
""",
)
P(
    "js_source",
    """const conn = await amqp.connect('amqps://⟦user⟧:⟦pwu⟧@⟦host⟧/⟦app⟧');
""",
)
P(
    "js_source",
    """const api = axios.create({
  baseURL: 'https://api.github.com',
  headers: { Authorization: `token ⟦v_gho⟧` },
});
""",
)
P(
    "js_source",
    """const url = `https://maps.googleapis.com/maps/api/geocode/json?address=${encodeURIComponent(addr)}&key=⟦v_google_api⟧`;
""",
)
P(
    "unit_test",
    """// ⟦#test⟧
beforeAll(() => {
  process.env.NPM_TOKEN = '⟦v_npm⟧';
  process.env.SENTRY_AUTH_TOKEN = '⟦v_sentry_user⟧';
});
""",
)
P(
    "js_source",
    """const transporter = nodemailer.createTransport({
  host: 'smtp.⟦domain⟧',
  port: 465,
  secure: true,
  auth: { user: '⟦email⟧', pass: '⟦pw⟧' },
});
""",
)
P(
    "ts_source",
    """const octokit = new Octokit({ auth: "⟦v_github_pat⟧" });
const { data } = await octokit.rest.repos.listForOrg({ org: "⟦org⟧" });
""",
)
P(
    "ts_source",
    """// server-side only
const serviceRoleKey = '⟦jwt_service⟧';
export const admin = createClient('https://⟦an20⟧.supabase.co', serviceRoleKey);
""",
)
P(
    "js_source",
    """const web = new WebClient('⟦v_slack_user⟧');
""",
)
P(
    "js_source",
    """const res = await fetch('https://⟦host⟧/api/v1/orders', {
  headers: { 'Authorization': 'Basic ⟦basic_b64⟧', 'Content-Type': 'application/json' },
});
""",
)
P(
    "unit_test",
    """// ⟦#test⟧
export const testCard = {
  number: '⟦card⟧',
  cvc: '⟦int3⟧',
  expMonth: 12,
  expYear: 2029,
  email: '⟦email⟧',
};
""",
)
P(
    "js_source",
    """const token = jwt.sign({ sub: user.id }, '⟦hmac⟧', { expiresIn: '1h' });
""",
)
P(
    "js_source",
    """const base = new Airtable({ apiKey: '⟦v_airtable⟧' }).base('app⟦an14⟧');
""",
)
P(
    "ts_source",
    """const notion = new Client({ auth: "⟦v_notion⟧" });
""",
)
P(
    "js_source",
    """const res = await fetch(`https://api.figma.com/v1/files/${fileKey}`, {
  headers: { 'X-Figma-Token': '⟦v_figma⟧' },
});
""",
)
P(
    "ts_source",
    """export const linear = new LinearClient({ apiKey: "⟦v_linear⟧" });
""",
)
P(
    "js_source",
    """app.use(session({
  secret: '⟦hmac⟧',
  resave: false,
  saveUninitialized: false,
}));
""",
)
P(
    "ts_source",
    """const kafka = new Kafka({
  brokers: ['pkc-⟦an8⟧.eu-west-1.aws.confluent.cloud:9092'],
  ssl: true,
  sasl: { mechanism: 'plain', username: '⟦confluent_key⟧', password: '⟦v_confluent_secret⟧' },
});
""",
)

# ---------------------------------------------------------------- JVM
P(
    "java_source",
    """// ⟦#db⟧
Connection conn = DriverManager.getConnection(
    "jdbc:postgresql://⟦host⟧:5432/⟦db⟧", "⟦user⟧", "⟦pw⟧");
""",
)
P(
    "java_source",
    """private static final String URL =
    "jdbc:mysql://⟦pubip⟧:3306/⟦db⟧?user=⟦user⟧&password=⟦pwu⟧&useSSL=true";
""",
)
P(
    "java_source",
    """String url = "jdbc:sqlserver://⟦host⟧:1433;databaseName=⟦db⟧;user=⟦user⟧;password=⟦pw⟧;encrypt=true;";
""",
)
P(
    "java_source",
    """OracleDataSource ods = new OracleDataSource();
ods.setURL("jdbc:oracle:thin:⟦user⟧/⟦pwu⟧@⟦pubip⟧:1521/ORCLPDB1");
""",
)
P(
    "properties_file",
    """# ⟦#deploy⟧
spring.datasource.url=jdbc:postgresql://⟦host⟧:5432/⟦db⟧
spring.datasource.username=⟦user⟧
spring.datasource.password=⟦pw⟧
spring.mail.username=⟦email⟧
spring.mail.password=⟦pw⟧
""",
)
P(
    "spring_yaml",
    """spring:
  datasource:
    url: jdbc:mariadb://⟦pubip⟧:3306/⟦db⟧
    username: ⟦user⟧
    password: "⟦pw⟧"
app:
  jwt:
    secret: ⟦b64s⟧
""",
)
P(
    "kotlin_source",
    """val request = Request.Builder()
    .url("https://api.datadoghq.eu/api/v1/validate")
    .header("DD-API-KEY", "⟦v_datadog_api⟧")
    .header("DD-APPLICATION-KEY", "⟦v_datadog_app⟧")
    .build()
""",
)
P(
    "java_source",
    """AWSCredentials creds = new BasicAWSCredentials("⟦v_aws_akid⟧", "⟦v_aws_secret⟧");
AmazonS3 s3 = AmazonS3ClientBuilder.standard()
    .withCredentials(new AWSStaticCredentialsProvider(creds)).build();
""",
)
P(
    "unit_test",
    """@Test
void acceptsValidCardNumbers() {
    // ⟦#test⟧
    assertTrue(validator.isValid("⟦card⟧"));
    assertTrue(validator.isValid("⟦card⟧"));
    assertFalse(validator.isValid("1234"));
}
""",
)
P(
    "scala_source",
    """val db = Database.forURL(
  "jdbc:postgresql://⟦host⟧/⟦db⟧",
  user = "⟦user⟧",
  password = "⟦pw⟧",
  driver = "org.postgresql.Driver")
""",
)
P(
    "jenkinsfile",
    """stage('Push image') {
    steps {
        sh "docker login -u ⟦user⟧ -p ⟦pw_plain⟧ registry.⟦domain⟧"
        sh "docker push registry.⟦domain⟧/⟦app⟧:${BUILD_NUMBER}"
    }
}
""",
)
P(
    "gradle_build",
    """repositories {
    maven {
        url = uri("https://nexus.⟦domain⟧/repository/maven-releases/")
        credentials {
            username = "⟦user⟧"
            password = "⟦pw⟧"
        }
    }
}
""",
)
P(
    "kotlin_source",
    """// ⟦#api⟧
Twilio.init("AC⟦hex32⟧", "⟦v_twilio_auth⟧")
val msg = Message.creator(PhoneNumber(to), PhoneNumber(from), body).create()
""",
)
P(
    "jenkinsfile",
    """environment {
    ARTIFACTORY_URL = 'https://⟦org⟧.jfrog.io/artifactory'
    ARTIFACTORY_TOKEN = '⟦v_jfrog⟧'
}
""",
)
P(
    "kotlin_source",
    """val props = Properties().apply {
    put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"⟦user⟧\\" password=\\"⟦pw⟧\\";")
    put("bootstrap.servers", "⟦pubip⟧:9093")
}
""",
)
P(
    "properties_file",
    """server.port=8443
server.ssl.key-store=classpath:keystore.p12
server.ssl.key-store-password=⟦pw⟧
server.ssl.key-alias=⟦app⟧
""",
)
P(
    "unit_test",
    """class PaymentFixtures {
    static final String CARD_ONE = "⟦card⟧";
    static final String CARD_TWO = "⟦card⟧";
    static final String OWNER_EMAIL = "⟦email⟧";
}
""",
)

# ---------------------------------------------------------------- .NET
P(
    "csharp_source",
    """// ⟦#db⟧
using var conn = new SqlConnection("Server=⟦host⟧;Database=⟦db⟧;User Id=⟦user⟧;Password=⟦pw⟧;TrustServerCertificate=True;");
""",
)
P(
    "appsettings_json",
    """{
  "ConnectionStrings": {
    "Default": "Data Source=⟦pubip⟧,1433;Initial Catalog=⟦db⟧;User ID=⟦user⟧;Password=⟦pw⟧;"
  },
  "Logging": { "LogLevel": { "Default": "Warning" } }
}
""",
)
P(
    "web_config",
    """<connectionStrings>
  <add name="Main" connectionString="Server=⟦host⟧;Database=⟦db⟧;Uid=⟦user⟧;Pwd=⟦pw_plain⟧;" providerName="System.Data.SqlClient" />
</connectionStrings>
""",
)
P(
    "csharp_source",
    """var smtp = new SmtpClient("smtp.⟦domain⟧", 587)
{
    EnableSsl = true,
    Credentials = new NetworkCredential("⟦email⟧", "⟦pw⟧")
};
""",
)
P(
    "csharp_source",
    """var blob = new BlobServiceClient(
    "DefaultEndpointsProtocol=https;AccountName=⟦acct⟧;AccountKey=⟦v_azure_storage⟧;EndpointSuffix=core.windows.net");
""",
)
P(
    "csharp_source",
    """var credential = new ClientSecretCredential(
    tenantId: "⟦uuid⟧",
    clientId: "⟦uuid⟧",
    clientSecret: "⟦v_azure_ad_secret⟧");
""",
)
P(
    "unit_test",
    """[TestCase("⟦card⟧", true)]
[TestCase("⟦card⟧", true)]
[TestCase("0000 0000", false)]
public void Validates(string number, bool expected) => Assert.AreEqual(expected, Luhn.Check(number));
""",
)
P(
    "csharp_source",
    """var factory = new ConnectionFactory
{
    HostName = "⟦pubip⟧",
    UserName = "⟦user⟧",
    Password = "⟦pw⟧",
    VirtualHost = "/⟦app⟧"
};
""",
)
P(
    "csharp_source",
    """await using var dataSource = NpgsqlDataSource.Create("Host=⟦pubip⟧;Username=⟦user⟧;Password=⟦pw⟧;Database=⟦db⟧");
""",
)
P(
    "nuget_config",
    """<packageSourceCredentials>
  <internal>
    <add key="Username" value="⟦user⟧" />
    <add key="ClearTextPassword" value="⟦pw_plain⟧" />
  </internal>
</packageSourceCredentials>
""",
)

# ---------------------------------------------------------------- Go
P(
    "go_source",
    """// ⟦#db⟧
db, err := sql.Open("postgres", "host=⟦host⟧ user=⟦user⟧ password=⟦pw_plain⟧ dbname=⟦db⟧ sslmode=require")
""",
)
P(
    "go_source",
    """dsn := "⟦user⟧:⟦pwu⟧@tcp(⟦pubip⟧:3306)/⟦db⟧?parseTime=true"
db, err := gorm.Open(mysql.Open(dsn), &gorm.Config{})
""",
)
P(
    "go_source",
    """rdb := redis.NewClient(&redis.Options{
	Addr:     "⟦host⟧:6379",
	Password: "⟦pw⟧",
	DB:       0,
})
""",
)
P(
    "unit_test",
    """// ⟦#test⟧
const testToken = "⟦v_glpat⟧"

func TestClient(t *testing.T) {
	c := NewClient(testToken)
	if c == nil {
		t.Fatal("nil client")
	}
}
""",
)
P(
    "go_source",
    """client := github.NewClient(nil).WithAuthToken("⟦v_ghp⟧")
""",
)
P(
    "go_source",
    """auth := smtp.PlainAuth("", "⟦email⟧", "⟦pw⟧", "smtp.⟦domain⟧")
err := smtp.SendMail("smtp.⟦domain⟧:587", auth, from, to, msg)
""",
)
P(
    "go_source",
    """var signingKey = []byte("⟦hmac⟧")
token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
""",
)
P(
    "unit_test",
    """var cardTests = []struct {
	in   string
	want bool
}{
	{"⟦card⟧", true},
	{"⟦card⟧", true},
	{"⟦luhn_bad⟧", false},
}
""",
)
P(
    "go_source",
    """cfg := &oauth2.Config{
	ClientID:     "⟦gclient⟧",
	ClientSecret: "⟦v_gcp_oauth_secret⟧",
	RedirectURL:  "https://⟦app⟧.⟦domain⟧/callback",
}
""",
)

# ---------------------------------------------------------------- Rust
P(
    "rust_source",
    """let pool = PgPoolOptions::new()
    .max_connections(5)
    .connect("postgres://⟦user⟧:⟦pwu⟧@⟦pubip⟧/⟦db⟧")
    .await?;
""",
)
P(
    "rust_source",
    """let resp = reqwest::Client::new()
    .post("https://api-inference.huggingface.co/models/⟦org⟧/⟦app⟧")
    .bearer_auth("⟦v_hf⟧")
    .json(&body)
    .send()
    .await?;
""",
)
P(
    "unit_test",
    """#[test]
fn parses_identity() {
    // ⟦#test⟧
    let key = "⟦v_age⟧";
    assert!(key.parse::<age::x25519::Identity>().is_ok());
}
""",
)
P(
    "cargo_credentials",
    """# ~/.cargo/credentials.toml
[registry]
token = "⟦v_crates⟧"
""",
)
P(
    "rust_source",
    """let client = redis::Client::open("redis://:⟦pwu⟧@⟦pubip⟧:6379/")?;
""",
)

# ---------------------------------------------------------------- Ruby
P(
    "ruby_source",
    """ActiveRecord::Base.establish_connection(
  adapter:  "postgresql",
  host:     "⟦host⟧",
  username: "⟦user⟧",
  password: "⟦pw⟧",
  database: "⟦db⟧"
)
""",
)
P(
    "rails_database_yml",
    """production:
  adapter: mysql2
  host: ⟦pubip⟧
  username: ⟦user⟧
  password: ⟦pw⟧
  database: ⟦db⟧_production
""",
)
P(
    "ruby_source",
    """Net::SMTP.start('smtp.⟦domain⟧', 587, 'localhost', '⟦email⟧', '⟦pw⟧', :login) do |smtp|
  smtp.send_message(msg, from, to)
end
""",
)
P(
    "unit_test",
    """RSpec.describe ShopifySync do
  let(:access_token) { "⟦v_shopify_shpat⟧" }
  let(:shop) { "⟦app⟧-store.myshopify.com" }
end
""",
)
P(
    "gem_credentials",
    """---
:rubygems_api_key: ⟦v_rubygems⟧
""",
)
P(
    "ruby_source",
    """token = JWT.encode(payload, "⟦hmac⟧", "HS256")
""",
)
P(
    "unit_test",
    """FactoryBot.define do
  factory :payment_method do
    number { "⟦card⟧" }
    holder_email { "⟦email⟧" }
  end
end
""",
)

# ---------------------------------------------------------------- PHP
P(
    "php_source",
    """<?php
// ⟦#db⟧
$pdo = new PDO("mysql:host=⟦host⟧;dbname=⟦db⟧;charset=utf8mb4", "⟦user⟧", "⟦pw⟧");
""",
)
P(
    "php_source",
    """<?php
$link = mysqli_connect('⟦pubip⟧', '⟦user⟧', '⟦pw⟧', '⟦db⟧');
if (!$link) { die('Connect error'); }
""",
)
P(
    "env_file",
    """APP_NAME=⟦app⟧
APP_ENV=production
APP_KEY=base64:⟦laravel⟧
DB_CONNECTION=mysql
DB_HOST=⟦pubip⟧
DB_USERNAME=⟦user⟧
DB_PASSWORD=⟦pw_plain⟧
MAIL_USERNAME=⟦email⟧
""",
)
P(
    "wp_config",
    """define( 'DB_NAME', '⟦db⟧' );
define( 'DB_USER', '⟦user⟧' );
define( 'DB_PASSWORD', '⟦pw⟧' );
define( 'DB_HOST', '⟦host⟧' );
define( 'AUTH_KEY', '⟦wp_salt⟧' );
""",
)
P(
    "php_source",
    """$mail = new PHPMailer(true);
$mail->Host = 'smtp.⟦domain⟧';
$mail->SMTPAuth = true;
$mail->Username = '⟦email⟧';
$mail->Password = '⟦pw⟧';
""",
)
P(
    "unit_test",
    """public function testAcceptsCard(): void
{
    // ⟦#test⟧
    $this->assertTrue(CardValidator::isValid('⟦card⟧'));
}
""",
)
P(
    "php_config",
    """<?php
$CONFIG = array (
  'dbtype' => 'pgsql',
  'dbhost' => '⟦host⟧',
  'dbuser' => '⟦user⟧',
  'dbpassword' => '⟦pw⟧',
  'secret' => '⟦b64s⟧',
);
""",
)

# ---------------------------------------------------------------- Swift / Dart / Perl / R / Lua / Elixir / C / Haskell / Julia
P(
    "swift_source",
    """// ⟦#api⟧
let apiToken = "⟦v_openai⟧"
var request = URLRequest(url: URL(string: "https://api.openai.com/v1/models")!)
request.setValue("Bearer \\(apiToken)", forHTTPHeaderField: "Authorization")
""",
)
P(
    "unit_test",
    """func testCardFormatting() {
    let formatted = CardFormatter.format("⟦card_plain⟧")
    XCTAssertFalse(formatted.isEmpty)
}
""",
)
P(
    "dart_source",
    """final smtpServer = SmtpServer('smtp.⟦domain⟧', username: '⟦email⟧', password: '⟦pw⟧', port: 587);
""",
)
P(
    "perl_source",
    """my $dbh = DBI->connect("dbi:Pg:dbname=⟦db⟧;host=⟦host⟧", '⟦user⟧', '⟦pw⟧', { RaiseError => 1 });
""",
)
P(
    "r_source",
    """# ⟦#db⟧
con <- dbConnect(RPostgres::Postgres(), host = "⟦pubip⟧", dbname = "⟦db⟧",
                 user = "⟦user⟧", password = "⟦pw⟧")
""",
)
P(
    "lua_source",
    """local red = redis:new()
red:connect("⟦host⟧", 6379)
local ok, err = red:auth("⟦pw⟧")
""",
)
P(
    "elixir_config",
    """config :⟦app⟧, ⟦app⟧.Repo,
  username: "⟦user⟧",
  password: "⟦pw⟧",
  hostname: "⟦pubip⟧",
  database: "⟦db⟧_prod",
  pool_size: 10
""",
)
P(
    "c_source",
    """/* ⟦#db⟧ */
if (!mysql_real_connect(conn, "⟦host⟧", "⟦user⟧", "⟦pw⟧", "⟦db⟧", 3306, NULL, 0)) {
    fprintf(stderr, "%s\\n", mysql_error(conn));
}
""",
)
P(
    "cpp_source",
    """curl_easy_setopt(curl, CURLOPT_URL, "https://⟦pubip⟧/upload");
curl_easy_setopt(curl, CURLOPT_USERPWD, "⟦user⟧:⟦pw⟧");
""",
)
P(
    "haskell_source",
    """conn <- connectPostgreSQL "host=⟦host⟧ dbname=⟦db⟧ user=⟦user⟧ password=⟦pw_plain⟧"
""",
)
P(
    "julia_source",
    """conn = LibPQ.Connection("host=⟦pubip⟧ port=5432 dbname=⟦db⟧ user=⟦user⟧ password=⟦pw_plain⟧")
""",
)
P(
    "arduino_source",
    """const char* WIFI_SSID = "⟦ssid⟧";
const char* WIFI_PASS = "⟦pw⟧";
const char* MQTT_HOST = "⟦pubip⟧";
const char* MQTT_PASS = "⟦pw⟧";
""",
)

# ---------------------------------------------------------------- shell / CLI
P(
    "shell_script",
    """#!/usr/bin/env bash
set -euo pipefail
# ⟦#tmp⟧
mysql -h ⟦pubip⟧ -u ⟦user⟧ -p⟦pw_plain⟧ ⟦db⟧ < dump.sql
""",
)
P(
    "shell_script",
    """PGPASSWORD=⟦pw_plain⟧ psql -h ⟦host⟧ -U ⟦user⟧ -d ⟦db⟧ -c "VACUUM ANALYZE;"
""",
)
P(
    "shell_script",
    """curl -sS -u ⟦user⟧:⟦pw_plain⟧ -X POST "https://⟦host⟧/api/v1/reindex" -d '{"full":true}'
""",
)
P(
    "shell_script",
    """curl -s -H "Authorization: Bearer ⟦v_do⟧" "https://api.digitalocean.com/v2/droplets?per_page=200" | jq '.droplets[].name'
""",
)
P(
    "shell_script",
    """echo "⟦v_dockerhub⟧" | docker login --username ⟦user⟧ --password-stdin
docker login -u ⟦user⟧ --password ⟦pw_plain⟧ ghcr.io
""",
)
P(
    "shell_script",
    """gh auth login --with-token <<< "⟦v_ghp⟧"
gh repo clone ⟦org⟧/⟦repo⟧
""",
)
P(
    "shell_script",
    """# ⟦#deploy⟧
export AWS_ACCESS_KEY_ID=⟦v_aws_akid⟧
export AWS_SECRET_ACCESS_KEY=⟦v_aws_secret⟧
export AWS_DEFAULT_REGION=eu-west-1
aws s3 sync ./dist s3://⟦app⟧-static --delete
""",
)
P(
    "shell_script",
    """redis-cli -h ⟦pubip⟧ -p 6379 -a ⟦pw_plain⟧ --no-auth-warning INFO replication
""",
)
P(
    "shell_script",
    """sshpass -p '⟦pw⟧' ssh -o StrictHostKeyChecking=no ⟦user⟧@⟦pubip⟧ 'systemctl restart ⟦app⟧'
""",
)
P(
    "shell_script",
    """mongosh "mongodb://⟦user⟧:⟦pwu⟧@⟦pubip⟧:27017/admin?tls=true" --eval 'db.stats()'
""",
)
P(
    "shell_script",
    """wget --user=⟦user⟧ --password=⟦pw_plain⟧ https://repo.⟦domain⟧/releases/⟦app⟧-⟦semver⟧.tar.gz
""",
)
P(
    "powershell_script",
    """# ⟦#tmp⟧
$secure = ConvertTo-SecureString "⟦pw⟧" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ("CORP\\⟦user⟧", $secure)
Enter-PSSession -ComputerName ⟦pubip⟧ -Credential $cred
""",
)
P(
    "powershell_script",
    """$headers = @{ "PRIVATE-TOKEN" = "⟦v_glpat⟧" }
Invoke-RestMethod -Headers $headers -Uri "https://gitlab.⟦domain⟧/api/v4/projects?membership=true"
""",
)
P(
    "shell_script",
    """az login --service-principal -u ⟦uuid⟧ -p ⟦v_azure_ad_secret⟧ --tenant ⟦uuid⟧
""",
)
P(
    "shell_script",
    """export VAULT_ADDR=https://vault.⟦domain⟧:8200
vault login ⟦v_vault_hvs⟧
VAULT_TOKEN=⟦v_vault_legacy⟧ vault kv get secret/⟦app⟧
""",
)
P(
    "shell_script",
    """psql "postgresql://⟦user⟧:⟦pwu⟧@⟦pubip⟧:5432/⟦db⟧?sslmode=require" -f migrate.sql
""",
)
P(
    "shell_script",
    """htpasswd -b -B /etc/nginx/.htpasswd ⟦user⟧ ⟦pw_plain⟧
""",
)
P(
    "shell_script",
    """git clone https://⟦user⟧:⟦v_ghp⟧@github.com/⟦org⟧/⟦repo⟧.git
""",
)
P(
    "shell_script",
    """npm config set //registry.npmjs.org/:_authToken ⟦v_npm⟧
npm publish --access public
""",
)
P(
    "shell_script",
    """python -m twine upload -u __token__ -p ⟦v_pypi⟧ dist/*
""",
)
P(
    "shell_script",
    """sqlcmd -S ⟦pubip⟧ -U sa -P ⟦pw_plain⟧ -Q "BACKUP DATABASE [⟦db⟧] TO DISK = N'/var/opt/mssql/backup/⟦db⟧.bak'"
""",
)
P(
    "shell_script",
    """mosquitto_pub -h ⟦pubip⟧ -p 8883 -u ⟦user⟧ -P ⟦pw_plain⟧ -t sensors/⟦word⟧/temp -m 21.5
""",
)
P(
    "shell_script",
    """nmcli dev wifi connect "⟦ssid⟧" password "⟦pw⟧"
""",
)
P(
    "makefile",
    """NETLIFY_AUTH_TOKEN ?= ⟦v_netlify⟧

deploy:
\tnetlify deploy --prod --dir=public --auth $(NETLIFY_AUTH_TOKEN)
""",
)
P(
    "shell_script",
    """ldapsearch -x -H ldaps://⟦host⟧ -D "cn=⟦user⟧,dc=corp,dc=lan" -w ⟦pw_plain⟧ -b "dc=corp,dc=lan" "(uid=*)"
""",
)
P(
    "shell_script",
    """smbclient //⟦pubip⟧/backup -U ⟦user⟧%⟦pw_plain⟧ -c 'put nightly.tar.gz'
""",
)
P(
    "fstab",
    """//⟦pubip⟧/share  /mnt/share  cifs  username=⟦user⟧,password=⟦pw_plain⟧,uid=1000,iocharset=utf8  0  0
""",
)
P(
    "shell_script",
    """rabbitmqctl add_user ⟦user:u⟧ '⟦pw⟧'
rabbitmqctl set_permissions -p / ⟦user:u⟧ ".*" ".*" ".*"
""",
)
P(
    "shell_script",
    """git config --global url."https://⟦user⟧:⟦v_ghp⟧@github.com/".insteadOf "https://github.com/"
""",
)
P(
    "shell_script",
    """export BUNDLE_GITHUB__COM=x-access-token:⟦v_ghs⟧
bundle install --jobs 4
""",
)
P(
    "shell_script",
    """mc alias set backup https://⟦pubip⟧:9000 ⟦user⟧ ⟦minio_secret⟧
mc mirror ./exports backup/⟦app⟧-exports
""",
)
P(
    "shell_script",
    """curl -X POST https://fcm.googleapis.com/fcm/send \\
  -H "Authorization: key=⟦v_fcm⟧" \\
  -H "Content-Type: application/json" -d @payload.json
""",
)
P(
    "shell_script",
    """curl -H "Authorization: SSWS ⟦v_okta⟧" "https://⟦org⟧.okta.com/api/v1/users?limit=25"
""",
)
P(
    "shell_script",
    """curl -s https://app.asana.com/api/1.0/users/me -H "Authorization: Bearer ⟦v_asana⟧"
""",
)
P(
    "shell_script",
    """sudo tailscale up --authkey=⟦v_tailscale⟧ --hostname=⟦hostshort⟧
""",
)
P(
    "shell_script",
    """gitlab-runner register --non-interactive --url https://gitlab.⟦domain⟧ --token ⟦v_glrt⟧ --executor docker
""",
)
P(
    "shell_script",
    """git clone https://gitlab+deploy-token-⟦int⟧:⟦v_gldt⟧@gitlab.⟦domain⟧/⟦org⟧/⟦repo⟧.git
""",
)
P(
    "shell_script",
    """curl -s -X POST "https://api.cloudflare.com/client/v4/zones/⟦hex32⟧/purge_cache" \\
  -H "Authorization: Bearer ⟦v_cloudflare⟧" --data '{"purge_everything":true}'
""",
)
P(
    "shell_script",
    """curl -X POST -H "Fastly-Key: ⟦v_fastly⟧" https://api.fastly.com/service/⟦an22⟧/purge_all
""",
)
P(
    "shell_script",
    """curl -b "session=⟦session⟧" https://⟦app⟧.⟦domain⟧/admin/export.csv -o export.csv
""",
)

# ---------------------------------------------------------------- Docker / compose
P(
    "dockerfile",
    """FROM python:3.12-slim
ENV DB_HOST=⟦host⟧ \\
    DB_USER=⟦user⟧ \\
    DB_PASSWORD=⟦pw_plain⟧
COPY . /app
""",
)
P(
    "dockerfile",
    """FROM node:20-alpine
ARG NPM_TOKEN=⟦v_npm⟧
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
""",
)
P(
    "dockerfile",
    """FROM golang:1.22 AS build
LABEL maintainer="⟦email⟧"
ENV SENTRY_AUTH_TOKEN=⟦v_sentry_org⟧
RUN go build -o /out/⟦app⟧ ./cmd/⟦app⟧
""",
)
P(
    "docker_compose",
    """services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ⟦user⟧
      POSTGRES_PASSWORD: ⟦pw⟧
      POSTGRES_DB: ⟦db⟧
""",
)
P(
    "docker_compose",
    """services:
  rabbit:
    image: rabbitmq:3-management
    environment:
      - RABBITMQ_DEFAULT_USER=⟦user⟧
      - RABBITMQ_DEFAULT_PASS=⟦pw_plain⟧
  mysql:
    image: mysql:8
    environment:
      - MYSQL_ROOT_PASSWORD=⟦pw_plain⟧
""",
)

# ---------------------------------------------------------------- CI
P(
    "gitlab_ci",
    """variables:
  SONAR_HOST_URL: "https://sonar.⟦domain⟧"
  SONAR_TOKEN: "⟦v_sonar⟧"

sonar:
  script:
    - sonar-scanner -Dsonar.projectKey=⟦app⟧
""",
)
P(
    "github_actions",
    """- name: Notify
  env:
    SLACK_WEBHOOK: ⟦v_slack_webhook⟧
  run: ./scripts/notify.sh "deploy finished"
""",
)
P(
    "travis_ci",
    """env:
  global:
    - DOCKER_USERNAME=⟦user⟧
    - DOCKER_PASSWORD=⟦pw_plain⟧
""",
)
P(
    "bitbucket_pipelines",
    """pipelines:
  branches:
    main:
      - step:
          script:
            - pipe: atlassian/jira-transition:0.4.0
              variables:
                JIRA_BASE_URL: 'https://⟦org⟧.atlassian.net'
                JIRA_USER_EMAIL: '⟦email⟧'
                JIRA_API_TOKEN: '⟦v_atlassian⟧'
""",
)
P(
    "azure_pipelines",
    """variables:
  - name: NUGET_FEED
    value: 'https://api.nuget.org/v3/index.json'
  - name: NUGET_API_KEY
    value: '⟦v_nuget⟧'
steps:
  - script: dotnet nuget push **/*.nupkg -k $(NUGET_API_KEY) -s $(NUGET_FEED)
""",
)
P(
    "github_actions",
    """- name: Publish crate
  run: cargo publish --token ⟦v_crates⟧
- name: Publish gem
  run: gem push pkg/*.gem
  env:
    GEM_HOST_API_KEY: ⟦v_rubygems⟧
""",
)
P(
    "circleci_config",
    """jobs:
  deploy:
    docker:
      - image: cimg/base:stable
    environment:
      HEROKU_API_KEY: ⟦v_heroku⟧
      HEROKU_APP_NAME: ⟦app⟧-prod
""",
)
P(
    "gitlab_ci",
    """deploy:
  stage: deploy
  script:
    - curl -X POST -F token=⟦v_glpat⟧ -F ref=main https://gitlab.⟦domain⟧/api/v4/projects/⟦int⟧/trigger/pipeline
""",
)
P(
    "drone_ci",
    """steps:
  - name: publish
    image: plugins/docker
    settings:
      repo: ⟦org⟧/⟦app⟧
      username: ⟦user⟧
      password: ⟦pw⟧
""",
)

# ---------------------------------------------------------------- Kubernetes / Helm
P(
    "k8s_manifest",
    """apiVersion: v1
kind: Secret
metadata:
  name: ⟦app⟧-db
type: Opaque
data:
  username: ⟦b64user⟧
  password: ⟦k8s_b64pw⟧
""",
)
P(
    "k8s_manifest",
    """apiVersion: v1
kind: Secret
metadata:
  name: ⟦app⟧-tokens
stringData:
  linear-api-key: ⟦v_linear⟧
  webhook-secret: "⟦hmac⟧"
""",
)
P(
    "shell_script",
    """kubectl create secret docker-registry regcred \\
  --docker-server=registry.⟦domain⟧ --docker-username=⟦user⟧ \\
  --docker-password=⟦pw_plain⟧ --docker-email=⟦email⟧
""",
)
P(
    "shell_script",
    """kubectl -n ⟦app⟧ create secret generic db-credentials --from-literal=username=⟦user⟧ --from-literal=password='⟦pw⟧'
""",
)
P(
    "helm_values",
    """postgresql:
  auth:
    username: ⟦user⟧
    postgresPassword: "⟦pw⟧"
    password: "⟦pw⟧"
    database: ⟦db⟧
""",
)
P(
    "k8s_manifest",
    """apiVersion: v1
kind: Secret
metadata:
  name: ⟦app⟧-tls
type: kubernetes.io/tls
data:
  tls.crt: ⟦b64_64⟧⟦b64_64⟧
  tls.key: ⟦b64pem⟧
""",
)
P(
    "k8s_manifest",
    """apiVersion: v1
kind: ConfigMap
metadata:
  name: ⟦app⟧-mailer
data:
  SMTP_RELAY: "⟦pubip⟧"
  SMTP_USER: "⟦email⟧"
  SMTP_PASSWORD: "⟦pw⟧"
""",
)
P(
    "k8s_manifest",
    """stringData:
  tls.key: |
    ⟦pem_i4⟧
""",
)

# ---------------------------------------------------------------- Terraform
P(
    "terraform",
    """resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.t3.medium"
  username          = "⟦user⟧"
  password          = "⟦pw⟧"
  allocated_storage = 50
}
""",
)
P(
    "terraform",
    """provider "aws" {
  region     = "us-east-1"
  access_key = "⟦v_aws_akid⟧"
  secret_key = "⟦v_aws_secret⟧"
}
""",
)
P(
    "terraform",
    """provider "cloudflare" {
  api_token = "⟦v_cloudflare⟧"
}

resource "cloudflare_record" "api" {
  zone_id = var.zone_id
  name    = "api"
  type    = "A"
  value   = "⟦pubip⟧"
}
""",
)
P(
    "terraform",
    """resource "aws_security_group_rule" "ssh_office" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["⟦pubip⟧/32", "⟦pubip⟧/32", "10.0.0.0/8"]
}
""",
)
P(
    "terraform_tfvars",
    """datadog_api_key = "⟦v_datadog_api⟧"
datadog_app_key = "⟦v_datadog_app⟧"
alert_email     = "⟦email⟧"
""",
)
P(
    "terraformrc",
    """credentials "app.terraform.io" {
  token = "⟦v_tfc⟧"
}
""",
)
P(
    "terraform",
    """provider "github" {
  owner = "⟦org⟧"
  token = "⟦v_github_pat⟧"
}
""",
)
P(
    "terraform",
    """resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "⟦app⟧-jump"
  admin_username                  = "⟦user⟧"
  admin_password                  = "⟦pw⟧"
  disable_password_authentication = false
}
""",
)
P(
    "terraform",
    """resource "aws_route53_record" "mx" {
  name    = "⟦domain⟧"
  type    = "AAAA"
  ttl     = 300
  records = ["⟦pubip6⟧"]
}
""",
)

# ---------------------------------------------------------------- Ansible
P(
    "ansible_inventory",
    """[web]
web1 ansible_host=⟦pubip⟧ ansible_user=⟦user⟧ ansible_password=⟦pw⟧
web2 ansible_host=⟦pubip⟧ ansible_user=⟦user⟧

[db]
db1 ansible_host=⟦privip⟧
""",
)
P(
    "ansible_vars",
    """---
# ⟦#deploy⟧
mysql_root_password: "⟦pw⟧"
mysql_replication_user: repl
mysql_replication_master: ⟦pubip⟧
""",
)
P(
    "ansible_playbook",
    """- name: Create application database user
  community.mysql.mysql_user:
    name: ⟦user⟧
    password: "⟦pw⟧"
    priv: "⟦db⟧.*:ALL"
    host: "%"
""",
)
P(
    "ansible_playbook",
    """- name: Register with the monitoring API
  ansible.builtin.uri:
    url: https://api.newrelic.com/graphql
    method: POST
    headers:
      API-Key: ⟦v_newrelic_user⟧
""",
)

# ---------------------------------------------------------------- dotfiles and tool configs
P(
    "npmrc",
    """//registry.npmjs.org/:_authToken=⟦v_npm⟧
email=⟦email⟧
always-auth=true
""",
)
P(
    "npmrc",
    """@⟦org⟧:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦v_ghp⟧
""",
)
P(
    "pypirc",
    """[distutils]
index-servers =
    pypi

[pypi]
username = __token__
password = ⟦v_pypi⟧
""",
)
P(
    "pypirc",
    """[internal]
repository = https://pypi.⟦domain⟧/simple/
username = ⟦user⟧
password = ⟦pw⟧
""",
)
P(
    "netrc",
    """machine ⟦host⟧
  login ⟦user⟧
  password ⟦pw_plain⟧
machine api.mapbox.com
  login mapbox
  password ⟦v_mapbox_sk⟧
""",
)
P(
    "git_credentials",
    """https://⟦user⟧:⟦pwu⟧@gitlab.⟦domain⟧
https://⟦user⟧:⟦v_ghp⟧@github.com
""",
)
P(
    "docker_config_json",
    """{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "⟦basic_b64⟧"
    }
  }
}
""",
)
P(
    "pip_conf",
    """[global]
index-url = https://⟦user⟧:⟦pwu⟧@pypi.⟦domain⟧/simple
timeout = 60
""",
)
P(
    "aws_credentials",
    """[default]
aws_access_key_id = ⟦v_aws_akid⟧
aws_secret_access_key = ⟦v_aws_secret⟧

[ci-session]
aws_access_key_id = ⟦v_aws_asia⟧
aws_secret_access_key = ⟦v_aws_secret⟧
aws_session_token = ⟦v_aws_session⟧
""",
)
P(
    "pgpass",
    """⟦host⟧:5432:⟦db⟧:⟦user⟧:⟦pw_plain⟧
⟦pubip⟧:5432:*:⟦user⟧:⟦pw_plain⟧
""",
)
P(
    "maven_settings",
    """<settings>
  <servers>
    <server>
      <id>⟦app⟧-releases</id>
      <username>⟦user⟧</username>
      <password>⟦pw_plain⟧</password>
    </server>
  </servers>
</settings>
""",
)
P(
    "gradle_properties",
    """ossrhUsername=⟦user⟧
ossrhPassword=⟦pw⟧
signing.keyId=⟦HEX16⟧
signing.password=⟦pw⟧
""",
)
P(
    "composer_auth",
    """{
    "github-oauth": {
        "github.com": "⟦v_gho⟧"
    },
    "http-basic": {
        "repo.⟦domain⟧": { "username": "⟦user⟧", "password": "⟦pw⟧" }
    }
}
""",
)
P(
    "yarnrc",
    """npmRegistryServer: "https://registry.yarnpkg.com"
npmAuthToken: "⟦v_npm⟧"
""",
)
P(
    "s3cfg",
    """[default]
access_key = ⟦v_aws_akid⟧
secret_key = ⟦v_aws_secret⟧
host_base = s3.amazonaws.com
""",
)
P(
    "wpa_supplicant",
    """network={
    ssid="⟦ssid⟧"
    psk="⟦pw⟧"
    key_mgmt=WPA-PSK
}
""",
)
P(
    "wireguard_config",
    """[Interface]
PrivateKey = ⟦wg_priv⟧
Address = 10.⟦int3⟧.0.2/24

[Peer]
PublicKey = ⟦wg_pub⟧
Endpoint = ⟦pubip⟧:51820
AllowedIPs = 0.0.0.0/0
""",
)
P(
    "ipsec_secrets",
    """# /etc/ipsec.secrets
⟦pubip⟧ %any : PSK "⟦pw⟧"
""",
)
P(
    "nginx_config",
    """upstream legacy_api {
    server ⟦pubip⟧:8080;
}
location /legacy/ {
    proxy_set_header Authorization "Basic ⟦basic_b64⟧";
    proxy_pass http://legacy_api;
}
""",
)
P(
    "haproxy_config",
    """userlist stats_users
    user ⟦user:u⟧ insecure-password ⟦pw:p⟧

listen stats
    bind :8404
    stats auth ⟦user:u⟧:⟦pw:p⟧
""",
)
P(
    "mysql_cnf",
    """[client]
user=⟦user⟧
password=⟦pw⟧
host=⟦pubip⟧
""",
)
P(
    "redis_conf",
    """bind 127.0.0.1 ⟦privip⟧
requirepass ⟦pw:a⟧
masterauth ⟦pw:a⟧
""",
)
P(
    "pgbouncer_userlist",
    """"⟦user⟧" "⟦pw⟧"
"⟦user⟧" "⟦pw⟧"
""",
)
P(
    "postfix_sasl_passwd",
    """[smtp.⟦domain⟧]:587 ⟦email⟧:⟦pw⟧
""",
)
P(
    "msmtprc",
    """account default
host smtp.⟦domain⟧
port 587
from ⟦email:e⟧
user ⟦email:e⟧
password ⟦pw_plain⟧
""",
)
P(
    "rsyncd_secrets",
    """⟦user⟧:⟦pw⟧
""",
)
P(
    "git_config",
    """[user]
    name = ⟦name⟧
    email = ⟦email⟧
[sendemail]
    smtpserver = smtp.⟦domain⟧
    smtpuser = ⟦email⟧
    smtppass = ⟦pw⟧
""",
)
P(
    "homeassistant_secrets",
    """wifi_password: "⟦pw⟧"
mqtt_password: "⟦pw⟧"
alarm_code: "⟦pin⟧"
""",
)
P(
    "dbt_profiles",
    """analytics:
  target: prod
  outputs:
    prod:
      type: postgres
      host: ⟦pubip⟧
      user: ⟦user⟧
      password: "⟦pw⟧"
      dbname: ⟦db⟧
      schema: marts
""",
)
P(
    "gitea_app_ini",
    """[database]
DB_TYPE = postgres
HOST = ⟦host⟧:5432
USER = ⟦user⟧
PASSWD = `⟦pw⟧`

[security]
INTERNAL_TOKEN = ⟦jwt⟧
SECRET_KEY = ⟦an64s⟧
""",
)
P(
    "synapse_config",
    """registration_shared_secret: "⟦b64u_43s⟧"
macaroon_secret_key: "⟦b64u_43s⟧"
email:
  smtp_host: smtp.⟦domain⟧
  smtp_user: "⟦email⟧"
  smtp_pass: "⟦pw⟧"
""",
)
P(
    "keycloak_realm_json",
    """{
  "clientId": "⟦app⟧-backend",
  "enabled": true,
  "publicClient": false,
  "secret": "⟦client_secret⟧",
  "redirectUris": ["https://⟦app⟧.⟦domain⟧/*"]
}
""",
)
P(
    "alertmanager_config",
    """global:
  smtp_smarthost: 'smtp.⟦domain⟧:587'
  smtp_from: '⟦email⟧'
  smtp_auth_username: '⟦email⟧'
  smtp_auth_password: '⟦pw⟧'
  slack_api_url: '⟦v_slack_webhook⟧'
""",
)
P(
    "grafana_provisioning",
    """datasources:
  - name: Prometheus
    type: prometheus
    url: http://⟦pubip⟧:9090
    basicAuth: true
    basicAuthUser: ⟦user⟧
    secureJsonData:
      basicAuthPassword: ⟦pw⟧
""",
)
P(
    "age_keys",
    """# created: 2024-03-11T09:12:44+01:00
# public key: ⟦age_pub⟧
⟦v_age⟧
""",
)
P(
    "ssh_private_key",
    """⟦pem_ossh⟧
""",
)
P(
    "gcp_service_account_json",
    """{
  "type": "service_account",
  "project_id": "⟦app⟧-prod-⟦int3⟧",
  "private_key_id": "⟦hex40⟧",
  "private_key": "⟦pem_json⟧\\n",
  "client_email": "⟦sa_email⟧",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
)
P(
    "unit_test",
    '''# ⟦#test⟧
PRIVATE_KEY = """⟦pem_rsa⟧
"""
''',
)
P(
    "yaml_config",
    """tls:
  cert_file: /etc/⟦app⟧/tls.crt
  key: |
      ⟦pem_i6⟧
""",
)
P(
    "client_secret_json",
    """{"web":{"client_id":"⟦gclient⟧","project_id":"⟦app⟧-⟦int3⟧","client_secret":"⟦v_gcp_oauth_secret⟧","redirect_uris":["https://⟦app⟧.⟦domain⟧/oauth2/callback"]}}
""",
)
P(
    "yaml_config",
    """slack:
  signing_secret: ⟦hex32s⟧
  bot_token: ⟦v_slack_bot⟧
  app_token: ⟦v_slack_app⟧
""",
)
P(
    "yaml_config",
    """github_app:
  app_id: ⟦int⟧
  webhook_secret: "⟦hex40s⟧"
  private_key_path: /run/secrets/gh-app.pem
""",
)
P(
    "yaml_config",
    """mfa:
  issuer: ⟦app⟧
  otpauth: "otpauth://totp/⟦app⟧:⟦email⟧?secret=⟦totp⟧&issuer=⟦app⟧"
""",
)
P(
    "http_request_file",
    """### list invoices
GET https://api.⟦domain⟧/v2/invoices?limit=50
Authorization: Bearer ⟦jwt⟧
Accept: application/json
""",
)
P(
    "env_file",
    """DATABASE_URL=mysql://⟦user⟧:⟦v_pscale_pw⟧@aws.connect.psdb.cloud/⟦db⟧?sslaccept=strict
PLANETSCALE_ORG=⟦org⟧
""",
)
P(
    "oauth_token_response",
    """{"access_token": "⟦v_ghu⟧", "expires_in": 28800, "refresh_token": "⟦v_ghr⟧", "refresh_token_expires_in": 15811200, "scope": "", "token_type": "bearer"}
""",
)
P(
    "postman_environment",
    """{
  "name": "⟦app⟧-prod",
  "values": [
    { "key": "baseUrl", "value": "https://api.⟦domain⟧", "enabled": true },
    { "key": "postmanApiKey", "value": "⟦v_postman⟧", "enabled": true },
    { "key": "adminPassword", "value": "⟦pw⟧", "enabled": true }
  ]
}
""",
)

# ---------------------------------------------------------------- SQL
P(
    "sql_script",
    """-- ⟦#tmp⟧
CREATE USER '⟦user:u⟧'@'%' IDENTIFIED BY '⟦pw⟧';
GRANT SELECT, INSERT ON ⟦db⟧.* TO '⟦user:u⟧'@'%';
""",
)
P(
    "sql_script",
    """ALTER ROLE ⟦user⟧ WITH LOGIN PASSWORD '⟦pw⟧' VALID UNTIL '2026-01-01';
""",
)
P(
    "sql_script",
    """CREATE LOGIN ⟦user:u⟧ WITH PASSWORD = '⟦pw⟧', CHECK_POLICY = ON;
CREATE USER ⟦user:u⟧ FOR LOGIN ⟦user:u⟧;
""",
)
P(
    "sql_script",
    """CREATE USER ⟦user⟧ IDENTIFIED BY "⟦pw⟧" DEFAULT TABLESPACE users QUOTA 500M ON users;
""",
)
P(
    "sql_script",
    """-- ⟦#test⟧
INSERT INTO payment_methods (customer_id, pan, exp_month, exp_year) VALUES
  (⟦int⟧, '⟦card⟧', 4, 2028),
  (⟦int⟧, '⟦card⟧', 11, 2027);
""",
)
P(
    "sql_script",
    """INSERT INTO users (id, email, signup_ip, created_at) VALUES
  (1, '⟦email⟧', '⟦pubip⟧', now()),
  (2, '⟦email⟧', '⟦pubip⟧', now());
""",
)
P(
    "sql_script",
    """CREATE SERVER legacy_srv FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '⟦pubip⟧', dbname '⟦db⟧', port '5432');
CREATE USER MAPPING FOR CURRENT_USER SERVER legacy_srv OPTIONS (user '⟦user⟧', password '⟦pw⟧');
""",
)
P(
    "sql_script",
    """CHANGE REPLICATION SOURCE TO
  SOURCE_HOST='⟦pubip⟧',
  SOURCE_USER='repl',
  SOURCE_PASSWORD='⟦pw⟧',
  SOURCE_AUTO_POSITION=1;
""",
)
P(
    "sql_script",
    """SELECT * FROM dblink('host=⟦host⟧ user=⟦user⟧ password=⟦pw_plain⟧ dbname=⟦db⟧', 'SELECT id FROM orders') AS t(id int);
""",
)
P(
    "sql_script",
    """UPDATE integrations SET api_token = '⟦v_shopify_shpca⟧', updated_by = '⟦email⟧' WHERE id = ⟦int⟧;
""",
)

# ---------------------------------------------------------------- fixtures with e-mails, IPs, cards
P(
    "json_fixture",
    """{
  "customers": [
    {"id": ⟦int⟧, "email": "⟦email⟧", "card": "⟦card⟧"},
    {"id": ⟦int⟧, "email": "⟦email⟧", "card": "⟦card⟧"}
  ]
}
""",
)
P(
    "yaml_fixture",
    """- model: accounts.user
  pk: ⟦int⟧
  fields:
    email: ⟦email⟧
    last_login_ip: ⟦pubip⟧
- model: accounts.user
  pk: ⟦int⟧
  fields:
    email: ⟦email⟧
    last_login_ip: ⟦pubip6⟧
""",
)
P(
    "csv_seed",
    """id,email,ip,card_number
1,⟦email⟧,⟦pubip⟧,⟦card_plain⟧
2,⟦email⟧,⟦pubip⟧,⟦card_plain⟧
""",
)
P(
    "unit_test",
    """def test_parse_access_log():
    line = '⟦pubip:i⟧ - - [12/Mar/2024:10:01:22 +0000] "GET /health HTTP/1.1" 200 17'
    entry = parse(line)
    assert entry.remote_addr == "⟦pubip:i⟧"
""",
)
P(
    "hosts_file",
    """127.0.0.1   localhost
⟦pubip⟧  api.partner-gateway.⟦domain⟧
⟦pubip⟧  sftp.⟦domain⟧
""",
)
P(
    "dns_zone",
    """$ORIGIN ⟦domain⟧.
@      3600 IN A     ⟦pubip⟧
www    3600 IN A     ⟦pubip⟧
@      3600 IN AAAA  ⟦pubip6⟧
mail   3600 IN MX 10 mx1.⟦domain⟧.
""",
)
P(
    "nginx_config",
    """location /admin/ {
    allow ⟦pubip⟧;
    allow ⟦pubip6⟧;
    allow 10.0.0.0/8;
    deny all;
}
set_real_ip_from ⟦pubip⟧;
""",
)
P(
    "fail2ban_config",
    """[DEFAULT]
ignoreip = 127.0.0.1/8 ::1 ⟦pubip⟧ ⟦pubip⟧/32
bantime  = 1h
""",
)
P(
    "package_json",
    """{
  "name": "@⟦org⟧/⟦repo⟧",
  "version": "⟦semver⟧",
  "author": "⟦name⟧ <⟦email⟧>",
  "bugs": { "email": "⟦email⟧" },
  "license": "MIT"
}
""",
)
P(
    "pyproject_toml",
    """[project]
name = "⟦repo⟧"
version = "⟦semver⟧"
authors = [
  { name = "⟦name⟧", email = "⟦email⟧" },
  { name = "⟦name⟧", email = "⟦email⟧" },
]
""",
)
P(
    "maven_pom",
    """<developers>
  <developer>
    <name>⟦name⟧</name>
    <email>⟦email⟧</email>
    <organization>⟦org⟧</organization>
  </developer>
</developers>
""",
)
P(
    "codeowners",
    """*.tf          ⟦email⟧
/services/⟦app⟧/  ⟦email⟧ ⟦email⟧
""",
)
P(
    "cargo_toml",
    """[package]
name = "⟦repo⟧"
version = "⟦semver⟧"
authors = ["⟦name⟧ <⟦email⟧>"]
edition = "2021"
""",
)
P(
    "ssh_config",
    """Host prod-bastion
    HostName ⟦pubip⟧
    User ⟦user⟧
    Port 2222
Host prod-db
    HostName ⟦privip⟧
    ProxyJump prod-bastion
""",
)
P(
    "prometheus_config",
    """scrape_configs:
  - job_name: edge
    static_configs:
      - targets: ['⟦pubip⟧:9100', '⟦pubip⟧:9100', '⟦privip⟧:9100']
""",
)
P(
    "unit_test",
    """func TestGeoLookup(t *testing.T) {
	loc, err := geo.Lookup(net.ParseIP("⟦pubip⟧"))
	require.NoError(t, err)
	_, err = geo.Lookup(net.ParseIP("⟦pubip6⟧"))
	require.NoError(t, err)
	_ = loc
}
""",
)
P(
    "java_source",
    """@Bean
public JavaMailSender mailSender() {
    JavaMailSenderImpl sender = new JavaMailSenderImpl();
    sender.setHost("⟦pubip⟧");
    sender.setUsername("⟦email⟧");
    sender.setPassword("⟦pw⟧");
    return sender;
}
""",
)
P(
    "combo_fixture",
    """# ⟦#test⟧
⟦email⟧:⟦pw⟧
⟦email⟧:⟦pw⟧
⟦email⟧:⟦pw⟧
""",
)
P(
    "ts_source",
    """export const ALLOWED_WEBHOOK_SOURCES = [
  "⟦pubip⟧",
  "⟦pubip⟧",
  "⟦pubip6⟧",
];
""",
)
P(
    "kotlin_source",
    """data class Customer(val email: String, val card: String)

val fixtures = listOf(
    Customer("⟦email⟧", "⟦card⟧"),
    Customer("⟦email⟧", "⟦card⟧"),
)
""",
)


# ---------------------------------------------------------------- vendor mix templates (random structure)
def _pick_vendors(k):
    return R.sample(VENDOR_ENV, k)


def t_env_mix():
    lines = ["# " + "⟦#deploy⟧"]
    for name, v in _pick_vendors(R.randint(2, 4)):
        lines.append(f"{name}=⟦v_{v}⟧")
    lines.insert(R.randint(1, len(lines)), "LOG_LEVEL=" + R.choice(["info", "debug", "warn"]))
    return "\n".join(lines) + "\n"


def t_export_mix():
    out = ["#!/bin/sh"]
    for name, v in _pick_vendors(R.randint(2, 3)):
        q = R.choice(['"', "'", ""])
        out.append(f"export {name}={q}⟦v_{v}⟧{q}")
    return "\n".join(out) + "\n"


def t_yaml_mix():
    out = [f"{R.choice(APPS)}:", "  credentials:"]
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(f"    {name.lower()}: ⟦v_{v}⟧")
    return "\n".join(out) + "\n"


def t_json_mix():
    items = [f'    "{name.lower()}": "⟦v_{v}⟧"' for name, v in _pick_vendors(R.randint(2, 3))]
    return '{\n  "integrations": {\n' + ",\n".join(items) + "\n  }\n}\n"


def t_gha_env_mix():
    out = ["jobs:", "  release:", "    runs-on: ubuntu-latest", "    env:"]
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(f"      {name}: ⟦v_{v}⟧")
    out += ["    steps:", "      - run: make release"]
    return "\n".join(out) + "\n"


def t_toml_mix():
    out = ["[secrets]"]
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(f'{name.lower()} = "⟦v_{v}⟧"')
    return "\n".join(out) + "\n"


def t_k8s_stringdata_mix():
    out = ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {R.choice(APPS)}-vendor", "stringData:"]
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(f'  {name.lower().replace("_", "-")}: "⟦v_{v}⟧"')
    return "\n".join(out) + "\n"


def t_tf_vars_mix():
    out = []
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(
            f'variable "{name.lower()}" {{\n  type      = string\n  sensitive = true\n  default   = "⟦v_{v}⟧"\n}}'
        )
    return "\n\n".join(out) + "\n"


def t_py_const_mix():
    out = ["# ⟦#api⟧"]
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(f'{name} = "⟦v_{v}⟧"')
    return "\n".join(out) + "\n"


def t_ps_mix():
    out = []
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(f'$env:{name} = "⟦v_{v}⟧"')
    out.append("./deploy.ps1 -Environment prod")
    return "\n".join(out) + "\n"


def t_docker_env_mix():
    out = ["FROM alpine:3.19"]
    for name, v in _pick_vendors(R.randint(1, 2)):
        out.append(f"ENV {name}=⟦v_{v}⟧")
    out.append('CMD ["/usr/local/bin/worker"]')
    return "\n".join(out) + "\n"


def t_go_test_mix():
    out = ["func TestLoadConfig(t *testing.T) {"]
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(f'\tt.Setenv("{name}", "⟦v_{v}⟧")')
    out += ["\tcfg := Load()", "\tassert.NotNil(t, cfg)", "}"]
    return "\n".join(out) + "\n"


def t_compose_env_mix():
    out = ["services:", "  worker:", "    image: ⟦org⟧/worker:latest", "    environment:"]
    for name, v in _pick_vendors(R.randint(2, 3)):
        out.append(f"      - {name}=⟦v_{v}⟧")
    return "\n".join(out) + "\n"


for _ctx, _fn in [
    ("env_file", t_env_mix),
    ("shell_script", t_export_mix),
    ("yaml_config", t_yaml_mix),
    ("json_config", t_json_mix),
    ("github_actions", t_gha_env_mix),
    ("toml_config", t_toml_mix),
    ("k8s_manifest", t_k8s_stringdata_mix),
    ("terraform", t_tf_vars_mix),
    ("python_source", t_py_const_mix),
    ("powershell_script", t_ps_mix),
    ("dockerfile", t_docker_env_mix),
    ("unit_test", t_go_test_mix),
    ("docker_compose", t_compose_env_mix),
]:
    P(_ctx, _fn, n=5)


# ================================================================ hard negatives
# -- password hashes (never secrets)
N(
    "password_hash",
    "htpasswd_file",
    """⟦user⟧:⟦apr1⟧
⟦user⟧:⟦bcrypt⟧
⟦user⟧:⟦apr1⟧
""",
)
N(
    "password_hash",
    "shadow_file",
    """root:!:19732:0:99999:7:::
⟦user⟧:⟦sha512crypt⟧:19801:0:99999:7:::
⟦user⟧:⟦crypt⟧:19655:0:99999:7:::
""",
)
N(
    "password_hash",
    "cisco_config",
    """hostname edge-⟦int3⟧
enable secret 9 ⟦cisco9⟧
username ⟦user⟧ privilege 15 secret 8 ⟦cisco8⟧
username ⟦user⟧ privilege 1 secret 5 ⟦md5crypt⟧
""",
)
N(
    "password_hash",
    "json_fixture",
    """[
  {
    "model": "auth.user",
    "pk": ⟦int⟧,
    "fields": {"username": "⟦user⟧", "password": "⟦django_hash⟧", "is_staff": true}
  }
]
""",
)
N(
    "password_hash",
    "sql_script",
    """-- ⟦#hash⟧
INSERT INTO users (username, password_hash) VALUES ('⟦user⟧', '⟦bcrypt⟧');
INSERT INTO users (username, password_hash) VALUES ('⟦user⟧', '⟦argon2⟧');
""",
)
N(
    "password_hash",
    "unit_test",
    """STORED = b"⟦bcrypt⟧"

def test_wrong_password_rejected():
    # ⟦#hash⟧
    assert not bcrypt.checkpw(b"not-the-password", STORED)
""",
)
N(
    "password_hash",
    "sql_script",
    """ALTER ROLE ⟦user⟧ PASSWORD '⟦scram⟧';
""",
)
N(
    "password_hash",
    "sql_script",
    """CREATE USER '⟦user⟧'@'%' IDENTIFIED WITH mysql_native_password AS '⟦mysql_hash⟧';
""",
)
N(
    "password_hash",
    "docker_compose",
    """services:
  traefik:
    labels:
      - "traefik.http.middlewares.auth.basicauth.users=⟦user⟧:⟦apr1⟧"
""",
)
N(
    "password_hash",
    "ansible_playbook",
    """- name: Create service account
  ansible.builtin.user:
    name: ⟦user⟧
    password: "⟦sha512crypt⟧"
    shell: /bin/bash
""",
)
N(
    "password_hash",
    "rust_source",
    """// ⟦#hash⟧
const ADMIN_HASH: &str = "⟦argon2⟧";
let parsed = PasswordHash::new(ADMIN_HASH)?;
""",
)
N(
    "password_hash",
    "ldif",
    """dn: uid=⟦user:u⟧,ou=people,dc=corp,dc=lan
objectClass: inetOrgPerson
uid: ⟦user:u⟧
userPassword: ⟦ssha⟧
""",
)
N(
    "password_hash",
    "pg_authid_dump",
    """rolname | rolpassword
⟦user⟧ | ⟦pg_md5⟧
⟦user⟧ | ⟦scram⟧
""",
)

# -- UUIDs
N(
    "uuid",
    "terraform",
    """provider "azurerm" {
  features {}
  subscription_id = "⟦uuid⟧"
  tenant_id       = "⟦uuid⟧"
}
""",
)
N(
    "uuid",
    "csharp_source",
    """[ComVisible(true)]
[Guid("⟦UUID⟧")]
public class ⟦app⟧Exporter : IExporter { }
""",
)
N(
    "uuid",
    "json_config",
    """{
  "workspaceId": "⟦uuid⟧",
  "datasetId": "⟦uuid⟧",
  "refreshSchedule": "daily"
}
""",
)
N(
    "uuid",
    "visual_studio_solution",
    """Project("{⟦UUID⟧}") = "⟦app⟧.Core", "src\\⟦app⟧.Core\\⟦app⟧.Core.csproj", "{⟦UUID⟧}"
EndProject
""",
)
N(
    "uuid",
    "python_source",
    """NAMESPACE = uuid.UUID("⟦uuid⟧")
doc_id = uuid.uuid5(NAMESPACE, path)
""",
)

# -- object ids
N(
    "object_id",
    "js_source",
    """db.orders.find({ _id: ObjectId("⟦oid⟧"), customer: ObjectId("⟦oid⟧") })
""",
)
N(
    "object_id",
    "unit_test",
    """def test_refund_links_charge():
    refund = build_refund(charge="ch_⟦an24⟧", customer="cus_⟦an14⟧")
    assert refund["payment_intent"].startswith("pi_")
""",
)
N(
    "object_id",
    "log_excerpt",
    """twilio.callback sid=CA⟦hex32⟧ status=completed
twilio.callback sid=SM⟦hex32⟧ status=delivered messaging_service=MG⟦hex32⟧
""",
)
N(
    "object_id",
    "yaml_config",
    """slack:
  channel_id: C0⟦UPAN8⟧
  team_id: T0⟦UPAN8⟧
  oncall_user: U0⟦UPAN8⟧
""",
)
N(
    "object_id",
    "terraform",
    """data "aws_subnet" "app" {
  id = "subnet-⟦hex17⟧"
}
resource "aws_instance" "worker" {
  ami                    = "ami-⟦hex17⟧"
  vpc_security_group_ids = ["sg-⟦hex17⟧"]
}
""",
)

# -- environment references
N(
    "env_reference",
    "python_source",
    """# ⟦#ref⟧
conn = psycopg2.connect(
    host=os.environ["DB_HOST"],
    user=os.environ["DB_USER"],
    password=os.environ["DB_PASSWORD"],
    dbname="⟦db⟧",
)
""",
)
N(
    "env_reference",
    "js_source",
    """const octokit = new Octokit({ auth: process.env.⟦APP⟧_GITHUB_TOKEN });
const stripe = new Stripe(process.env.⟦APP⟧_STRIPE_SECRET_KEY, { apiVersion: '2024-06-20' });
""",
)
N(
    "env_reference",
    "github_actions",
    """- name: Publish
  run: npm publish
  env:
    NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
    SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK_⟦app⟧ }}
""",
)
N(
    "env_reference",
    "docker_compose",
    """services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ${POSTGRES_USER:-⟦user⟧}
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}
""",
)
N(
    "env_reference",
    "terraform",
    """resource "aws_db_instance" "⟦db⟧" {
  username = var.db_username
  password = var.db_password
  # ⟦#ref⟧
}
""",
)
N(
    "env_reference",
    "java_source",
    """String url = System.getenv("⟦APP⟧_JDBC_URL");
Connection c = DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASS"));
""",
)
N(
    "env_reference",
    "go_source",
    """rdb := redis.NewClient(&redis.Options{
	Addr:     os.Getenv("REDIS_ADDR"),
	Password: os.Getenv("⟦APP⟧_REDIS_PASSWORD"),
})
""",
)
N(
    "env_reference",
    "rust_source",
    """let token = std::env::var("⟦APP⟧_API_TOKEN").expect("⟦APP⟧_API_TOKEN must be set");
""",
)
N(
    "env_reference",
    "npmrc",
    """//registry.npmjs.org/:_authToken=${NPM_TOKEN}
@⟦org⟧:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=${GITHUB_PACKAGES_TOKEN}
""",
)
N(
    "env_reference",
    "shell_script",
    """mysql -h "$DB_HOST" -u "$DB_USER" -p"$DB_PASS" "⟦db⟧" < schema.sql
curl -u "${API_USER}:${API_PASSWORD}" https://⟦app⟧.⟦domain⟧/api/ping
""",
)
N(
    "env_reference",
    "php_source",
    """<?php
$pdo = new PDO(getenv('DB_DSN'), getenv('DB_USER'), getenv('⟦APP⟧_DB_PASSWORD'));
$key = env('STRIPE_SECRET', null);
""",
)
N(
    "env_reference",
    "csharp_source",
    """var key = builder.Configuration["⟦Appc⟧:Stripe:SecretKey"];
var cs = builder.Configuration.GetConnectionString("Default");
""",
)
N(
    "env_reference",
    "jenkinsfile",
    """withCredentials([usernamePassword(credentialsId: '⟦app⟧-registry', usernameVariable: 'REG_USER', passwordVariable: 'REG_PASS')]) {
    sh 'echo "$REG_PASS" | docker login -u "$REG_USER" --password-stdin registry.⟦domain⟧'
}
""",
)
N(
    "env_reference",
    "ansible_vars",
    """db_password: "{{ vault_⟦db⟧_password }}"
api_token: "{{ lookup('env', 'API_TOKEN') }}"
""",
)
N(
    "env_reference",
    "ruby_source",
    """Stripe.api_key = ENV.fetch("⟦APP⟧_STRIPE_SECRET_KEY")
ActiveRecord::Base.establish_connection(ENV["DATABASE_URL"])
""",
)
N(
    "env_reference",
    "powershell_script",
    """$cred = New-Object PSCredential($env:SVC_USER, (ConvertTo-SecureString $env:⟦APP⟧_SVC_PASS -AsPlainText -Force))
""",
)
N(
    "env_reference",
    "gitlab_ci",
    """deploy:
  script:
    - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" "$CI_REGISTRY"
    - helm upgrade ⟦app⟧ ./chart --set db.password="$DB_PASSWORD"
""",
)

# -- placeholders
N(
    "placeholder",
    "env_example",
    """# ⟦#ref⟧
DB_PASSWORD=<your-db-password>
STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx
OPENAI_API_KEY=your_openai_api_key_here
APP_NAME=⟦app⟧
""",
)
N(
    "placeholder",
    "yaml_config",
    """database:
  host: ⟦host⟧
  user: ⟦user⟧
  password: "<REPLACE_WITH_DB_PASSWORD>"
smtp:
  password: "********"
""",
)
N(
    "placeholder",
    "yaml_config",
    """api:
  key: ""
  secret: null
  token: ~
  endpoint: https://api.⟦domain⟧/v1
""",
)
N(
    "placeholder",
    "python_source",
    """client = Client(
    api_key="YOUR_API_KEY",       # TODO: load from secret store
    api_secret="YOUR_API_SECRET",
    base_url="https://api.⟦domain⟧",
)
""",
)
N(
    "placeholder",
    "terraform",
    """variable "admin_password" {
  description = "Administrator password for ⟦app⟧"
  type        = string
  sensitive   = true
  default     = "REPLACE_ME"
}
""",
)
N(
    "placeholder",
    "json_config",
    """{
  "clientSecret": "{{CLIENT_SECRET}}",
  "apiToken": "%API_TOKEN%",
  "dbPassword": "$(DB_PASSWORD)",
  "service": "⟦app⟧"
}
""",
)

# -- config keys whose values are names
N(
    "config_name_value",
    "docker_compose",
    """services:
  app:
    image: ⟦org⟧/⟦app⟧
    environment:
      DB_PASSWORD_FILE: /run/secrets/db_password
      API_TOKEN_FILE: /run/secrets/api_token
""",
)
N(
    "config_name_value",
    "yaml_config",
    """secrets:
  provider: aws-secrets-manager
  secret_name: prod/⟦app⟧/database
  password_key: password
  token_field: access_token
""",
)
N(
    "config_name_value",
    "yaml_config",
    """password_policy:
  min_length: ⟦int3⟧
  require_digits: true
  require_symbols: true
  max_age_days: 90
auth_method: password
""",
)
N(
    "config_name_value",
    "sshd_config",
    """PasswordAuthentication no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AllowUsers ⟦user⟧ ⟦user⟧
""",
)
N(
    "config_name_value",
    "properties_file",
    """spring.datasource.username=⟦user⟧
spring.datasource.password=
spring.datasource.hikari.pool-name=⟦app⟧-pool
management.endpoint.env.keys-to-sanitize=password,secret,token
""",
)


# -- hash function test vectors (real digests)
def t_hash_vectors_py():
    w = R.choice(WORDS) + str(R.randint(0, 99))
    alg = R.choice(["sha256", "sha1", "md5", "sha512", "sha3_256", "blake2b"])
    return f'def test_{alg}_vector():\n    assert hashlib.{alg}(b"{w}").hexdigest() == "{hashlib.new(alg, w.encode()).hexdigest()}"\n'


def t_hash_vectors_go():
    rows = []
    for _ in range(3):
        w = R.choice(WORDS)
        rows.append(f'\t{{"{w}", "{hashlib.md5(w.encode()).hexdigest()}"}},')
    return "var md5Vectors = []struct{ in, want string }{\n" + "\n".join(rows) + "\n}\n"


def t_hash_vectors_js():
    w = R.choice(WORDS) + "-" + R.choice(WORDS)
    return (
        f"test('sha1 of {w}', () => {{\n  expect(sha1('{w}')).toBe('{hashlib.sha1(w.encode()).hexdigest()}');\n}});\n"
    )


def t_hash_vectors_rust():
    w = R.choice(WORDS) + str(R.randint(10, 999))
    return (
        f'#[test]\nfn sha256_{R.randint(1, 999)}() {{\n    assert_eq!(hex::encode(Sha256::digest(b"{w}")),\n'
        f'               "{hashlib.sha256(w.encode()).hexdigest()}");\n}}\n'
    )


def t_crc_vectors():
    w = R.choice(WORDS)
    return (
        f'// ⟦#test⟧\nassertEquals(0x{zlib.crc32(w.encode()):08x}L, crc32("{w}".getBytes()));\n'
        f'assertEquals("{hashlib.md5(w.encode()).hexdigest()}", DigestUtils.md5Hex("{w}"));\n'
    )


N("hash_test_vector", "unit_test", t_hash_vectors_py, n=5)
N("hash_test_vector", "unit_test", t_hash_vectors_go)
N("hash_test_vector", "unit_test", t_hash_vectors_js)
N("hash_test_vector", "unit_test", t_hash_vectors_rust)
N("hash_test_vector", "unit_test", t_crc_vectors)

# -- base64 of non-secret data
N(
    "base64_nonsecret",
    "k8s_manifest",
    """apiVersion: v1
kind: ConfigMap
metadata:
  name: ⟦app⟧-assets
binaryData:
  logo.png: ⟦png_b64⟧
""",
)
N(
    "base64_nonsecret",
    "html_template",
    """<img alt="⟦app⟧" src="data:image/png;base64,⟦png_b64⟧" width="32">
""",
)


def t_b64_json_test():
    d = {"theme": R.choice(["dark", "light"]), "lang": R.choice(LANGS), "page": R.randint(1, 50)}
    raw = json.dumps(d, separators=(",", ":"))
    return f'def test_encode_prefs():\n    assert encode_prefs({d!r}) == "{b64(raw.encode())}"\n'


N("base64_nonsecret", "unit_test", t_b64_json_test)
N(
    "base64_nonsecret",
    "k8s_manifest",
    """apiVersion: v1
kind: Secret
metadata:
  name: ⟦app⟧-db-location
data:
  host: ⟦b64host⟧
  port: NTQzMg==
  username: ⟦b64user⟧
""",
)
N(
    "base64_nonsecret",
    "json_config",
    """{
  "cursor": "⟦b64json⟧",
  "hasMore": true
}
""",
)

# -- public keys
N(
    "public_key",
    "authorized_keys",
    """⟦ssh_pub⟧ ⟦user⟧@⟦hostshort⟧
⟦ssh_pub⟧ ⟦user⟧@⟦hostshort⟧
""",
)
N(
    "public_key",
    "python_source",
    '''# ⟦#pub⟧
JWT_PUBLIC_KEY = """⟦pubkey_pem⟧
"""
''',
)
N(
    "public_key",
    "json_config",
    """{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"⟦hex16⟧","n":"⟦b64u_64⟧⟦b64u_64⟧⟦b64u_64⟧","e":"AQAB"}]}
""",
)
N(
    "public_key",
    "wireguard_config",
    """[Peer]
# ⟦#pub⟧
PublicKey = ⟦wg_pub⟧
AllowedIPs = 10.⟦int3⟧.0.0/24
Endpoint = ⟦privip⟧:51820
""",
)
N(
    "public_key",
    "dockerfile",
    """FROM debian:bookworm-slim
RUN gpg --keyserver hkps://keys.openpgp.org --recv-keys ⟦HEX40⟧ \\
 && gpg --verify ⟦app⟧.tar.gz.asc
""",
)
N(
    "public_key",
    "known_hosts",
    """⟦host⟧ ⟦ssh_pub⟧
⟦privip⟧ ⟦ssh_pub⟧
""",
)
N(
    "public_key",
    "sops_config",
    """creation_rules:
  - path_regex: secrets/.*\\.yaml$
    age: ⟦age_pub⟧
""",
)

# -- certificates
N(
    "certificate",
    "yaml_config",
    """tls:
  ca_cert: |
    ⟦cert_i4⟧
""",
)
N(
    "certificate",
    "pem_file",
    """⟦cert⟧
""",
)

# -- publishable keys
N(
    "publishable_key",
    "js_source",
    """const stripe = Stripe('⟦pk_live⟧');
const elements = stripe.elements();
""",
)
N(
    "publishable_key",
    "env_file",
    """NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=⟦pk_test⟧
NEXT_PUBLIC_APP_URL=https://⟦app⟧.⟦domain⟧
""",
)
N(
    "publishable_key",
    "js_source",
    """mapboxgl.accessToken = '⟦mapbox_pk⟧';
const map = new mapboxgl.Map({ container: 'map', style: 'mapbox://styles/mapbox/streets-v12' });
""",
)
N(
    "publishable_key",
    "env_file",
    """NEXT_PUBLIC_POSTHOG_KEY=phc_⟦an43⟧
NEXT_PUBLIC_ALGOLIA_SEARCH_KEY=⟦hex32⟧
""",
)

# -- OAuth client ids
N(
    "oauth_client_id",
    "env_file",
    """GOOGLE_CLIENT_ID=⟦gclient⟧
GOOGLE_REDIRECT_URI=https://⟦app⟧.⟦domain⟧/auth/google/callback
""",
)
N(
    "oauth_client_id",
    "yaml_config",
    """oauth:
  github:
    client_id: Iv1.⟦hex16⟧
    scopes: [read:user, user:email]
""",
)
N(
    "oauth_client_id",
    "ts_source",
    """export const msalConfig = {
  auth: {
    clientId: "⟦uuid⟧",
    authority: "https://login.microsoftonline.com/⟦uuid⟧",
  },
};
""",
)
N(
    "oauth_client_id",
    "env_file",
    """AUTH0_DOMAIN=⟦app⟧.eu.auth0.com
AUTH0_CLIENT_ID=⟦an32⟧
AUTH0_AUDIENCE=https://api.⟦domain⟧
""",
)

# -- captcha site keys
N(
    "recaptcha_site_key",
    "html_template",
    """<form method="post" action="/signup">
  <div class="g-recaptcha" data-sitekey="⟦recaptcha⟧"></div>
</form>
""",
)
N(
    "recaptcha_site_key",
    "html_template",
    """<div class="cf-turnstile" data-sitekey="⟦turnstile⟧" data-theme="light"></div>
""",
)

# -- CSRF tokens
N(
    "csrf_token",
    "html_template",
    """<form method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟦an64⟧">
  <button type="submit">Save</button>
</form>
""",
)
N(
    "csrf_token",
    "html_template",
    """<meta name="csrf-param" content="authenticity_token" />
<meta name="csrf-token" content="⟦b64u_43⟧⟦b64u_43⟧" />
""",
)
N(
    "csrf_token",
    "unit_test",
    """def test_post_requires_csrf(client):
    r = client.post("/settings", headers={"X-CSRF-Token": "⟦hex32⟧"}, data={"tz": "UTC"})
    assert r.status_code == 403
""",
)

# -- nonces
N(
    "nonce",
    "nginx_config",
    """add_header Content-Security-Policy "script-src 'self' 'nonce-⟦b64_22⟧'; object-src 'none'";
""",
)
N(
    "nonce",
    "unit_test",
    """AUTH_URL = ("https://accounts.⟦domain⟧/authorize?response_type=code&client_id=⟦app⟧"
            "&state=⟦hex32⟧&nonce=⟦b64u_22⟧&code_challenge=⟦b64u_43⟧&code_challenge_method=S256")
""",
)

# -- vault accessors
N(
    "vault_accessor",
    "shell_script",
    """vault token revoke -accessor ⟦an24⟧
vault token lookup -accessor ⟦an24⟧
""",
)
N(
    "vault_accessor",
    "json_config",
    """{
  "accessor": "⟦an24⟧",
  "entity_id": "⟦uuid⟧",
  "policies": ["default", "⟦app⟧-read"],
  "ttl": 2764800
}
""",
)

# -- request / trace / correlation ids
N(
    "request_id",
    "log_excerpt",
    """level=info msg="request done" request_id=⟦uuid⟧ trace_id=⟦hex32⟧ span_id=⟦hex16⟧ status=200
level=warn msg="slow query" request_id=⟦uuid⟧ duration_ms=⟦int⟧
""",
)
N(
    "request_id",
    "http_request_file",
    """GET https://api.⟦domain⟧/v1/orders
traceparent: 00-⟦hex32⟧-⟦hex16⟧-01
X-Request-Id: ⟦uuid⟧
""",
)
N(
    "request_id",
    "json_config",
    """{"ResponseMetadata": {"RequestId": "⟦UPAN10⟧⟦UPAN10⟧", "HTTPStatusCode": 200, "HostId": "⟦b64_64⟧"}}
""",
)
N(
    "request_id",
    "java_source",
    """MDC.put("correlationId", "⟦uuid⟧");
log.info("processing batch {}", batchId);
""",
)

# -- idempotency keys
N(
    "idempotency_key",
    "shell_script",
    """curl https://api.stripe.com/v1/refunds \\
  -u "$STRIPE_SECRET_KEY:" \\
  -H "Idempotency-Key: ⟦uuid⟧" \\
  -d charge=ch_⟦an24⟧
""",
)
N(
    "idempotency_key",
    "python_source",
    """resp = session.post(url, json=payload, headers={"Idempotency-Key": "⟦hex32⟧"})
""",
)

# -- cache keys
N(
    "cache_key",
    "redis_commands",
    """GET session:meta:⟦hex16⟧
SET user:profile:⟦int⟧:v3 "{...}" EX 300
DEL rates:EUR:⟦hex12⟧
""",
)
N(
    "cache_key",
    "github_actions",
    """- uses: actions/cache@v4
  with:
    path: ~/.npm
    key: ${{ runner.os }}-node-⟦sha256⟧
""",
)
N(
    "cache_key",
    "python_source",
    """CACHE_KEY = "report:⟦app⟧:⟦hex40⟧"
cached = cache.get(CACHE_KEY)
""",
)

# -- checksums and digests
N(
    "checksum_digest",
    "checksums_file",
    """⟦sha256⟧  terraform_⟦semver⟧_linux_amd64.zip
⟦sha256⟧  terraform_⟦semver⟧_darwin_arm64.zip
""",
)
N(
    "checksum_digest",
    "dockerfile",
    """FROM node:20-alpine@sha256:⟦hex64⟧
COPY --from=builder@sha256:⟦hex64⟧ /out /app
""",
)
N(
    "checksum_digest",
    "package_lock_json",
    """"node_modules/⟦repo⟧": {
  "version": "⟦semver⟧",
  "resolved": "https://registry.npmjs.org/⟦repo⟧/-/⟦repo⟧-⟦semver⟧.tgz",
  "integrity": "sha512-⟦b64_64⟧⟦b64_22⟧=="
}
""",
)
N(
    "checksum_digest",
    "go_sum",
    """github.com/⟦org⟧/⟦repo⟧ v⟦semver⟧ h1:⟦b64_43⟧=
github.com/⟦org⟧/⟦repo⟧ v⟦semver⟧/go.mod h1:⟦b64_43⟧=
""",
)
N(
    "checksum_digest",
    "html_template",
    """<script src="https://cdn.⟦domain⟧/⟦app⟧.min.js" integrity="sha384-⟦b64_64⟧" crossorigin="anonymous"></script>
""",
)
N(
    "checksum_digest",
    "cargo_lock",
    """[[package]]
name = "⟦repo⟧"
version = "⟦semver⟧"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "⟦hex64⟧"
""",
)
N(
    "checksum_digest",
    "requirements_txt",
    """⟦repo⟧==⟦semver⟧ \\
    --hash=sha256:⟦hex64⟧ \\
    --hash=sha256:⟦hex64⟧
""",
)

# -- crypto wallets
N(
    "crypto_wallet",
    "markdown_readme",
    """## Support the project
BTC: ⟦btc⟧
ETH: ⟦eth⟧
""",
)
N(
    "crypto_wallet",
    "solidity_source",
    """address constant TREASURY = ⟦eth⟧;
address constant FEE_RECIPIENT = ⟦eth⟧;
""",
)

# -- usernames only / interactive prompts
N(
    "username_only",
    "shell_script",
    """# password is prompted interactively
mysql -h ⟦privip⟧ -u ⟦user⟧ -p ⟦db⟧
psql -h ⟦host⟧ -U ⟦user⟧ -W ⟦db⟧
""",
)
N(
    "username_only",
    "ssh_config",
    """Host ⟦app⟧-bastion
    HostName ⟦privip⟧
    User ⟦user⟧
    IdentityFile ~/.ssh/id_ed25519
""",
)
N(
    "username_only",
    "ansible_inventory",
    """[app]
app1 ansible_host=⟦privip⟧ ansible_user=⟦user⟧ ansible_become_user=postgres
""",
)
N(
    "username_only",
    "shell_script",
    """docker login -u ⟦user⟧ --password-stdin registry.⟦domain⟧ < /run/secrets/registry_token
""",
)

# -- vendor documentation example values
N(
    "documentation_example_key",
    "aws_credentials",
    """[⟦app⟧-docs]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region = ⟦word⟧-placeholder-1
""",
)
N(
    "documentation_example_key",
    "markdown_readme",
    """Set your token before running `⟦app⟧ sync`:

    export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    export SLACK_BOT_TOKEN=xoxb-your-bot-token
""",
)
N(
    "documentation_example_key",
    "python_source",
    """# docs example for the ⟦app⟧ client
stripe.api_key = "sk_test_your_stripe_secret_key"
client = ⟦app⟧.Client(api_key="your_api_key")
""",
)

# -- private IPs
N(
    "private_ip",
    "docker_compose",
    """networks:
  backend:
    ipam:
      config:
        - subnet: 172.⟦int3⟧.0.0/16
services:
  api:
    networks:
      backend:
        ipv4_address: ⟦privip⟧
""",
)
N(
    "private_ip",
    "nginx_config",
    """upstream backend {
    server ⟦privip⟧:8080 weight=3;
    server ⟦privip⟧:8080;
    server 127.0.0.1:8081 backup;
}
""",
)
N(
    "private_ip",
    "netplan_config",
    """network:
  ethernets:
    eth0:
      addresses: [⟦privip⟧/24, "⟦privip6⟧/64"]
      routes:
        - to: default
          via: ⟦privip⟧
""",
)
N(
    "private_ip",
    "hosts_file",
    """127.0.0.1   localhost
::1         localhost ip6-localhost
⟦privip⟧  ⟦app⟧-db
⟦privip⟧  ⟦app⟧-cache
""",
)
N(
    "private_ip",
    "k8s_manifest",
    """spec:
  clusterIP: 10.96.⟦int3⟧.⟦int3⟧
  podCIDR: 10.244.0.0/16
  externalIPs: ["⟦privip⟧"]
""",
)

# -- documentation IPs
N(
    "documentation_ip",
    "markdown_readme",
    """Allow-list the office addresses ⟦docip⟧ and ⟦docip⟧ in the firewall, then run:

    ufw allow from ⟦docip⟧ to any port 22
""",
)
N(
    "documentation_ip",
    "terraform",
    """# example values from the module documentation
cidr_blocks      = ["⟦docip⟧/32", "192.0.2.0/24"]
ipv6_cidr_blocks = ["2001:db8:⟦hex4⟧::/48"]
""",
)

# -- reserved e-mail domains
N(
    "reserved_email_domain",
    "package_json",
    """{
  "name": "⟦repo⟧",
  "author": "⟦name⟧ <⟦resemail⟧>",
  "contributors": ["⟦resemail⟧"]
}
""",
)
N(
    "reserved_email_domain",
    "unit_test",
    """def test_signup_normalises_email():
    u = User(email="⟦resemail⟧")
    assert validate_email("⟦resemail⟧")
""",
)
N(
    "reserved_email_domain",
    "git_config",
    """[user]
    name = ⟦app⟧ CI
    email = ⟦resemail⟧
""",
)

# -- Luhn-invalid numbers
N(
    "luhn_invalid_number",
    "unit_test",
    """@pytest.mark.parametrize("number", ["⟦luhn_bad⟧", "⟦luhn_bad⟧"])
def test_rejects_bad_checksum(number):
    assert not luhn_valid(number)
""",
)
N(
    "luhn_invalid_number",
    "json_fixture",
    """{"order_id": "⟦luhn_bad⟧", "tracking": "⟦luhn_bad⟧", "status": "shipped"}
""",
)

# -- git commit SHAs
N(
    "git_commit_sha",
    "pre_commit_config",
    """repos:
  - repo: https://github.com/⟦org⟧/⟦repo⟧
    rev: ⟦hex40⟧  # frozen: v⟦semver⟧
    hooks:
      - id: ⟦app⟧-lint
""",
)
N(
    "git_commit_sha",
    "github_actions",
    """steps:
  - uses: actions/checkout@⟦hex40⟧ # v4
  - uses: ⟦org⟧/setup-⟦app⟧@⟦hex40⟧
""",
)
N(
    "git_commit_sha",
    "git_log",
    """commit ⟦hex40⟧
Author: ⟦name⟧ <⟦resemail⟧>
Date:   Tue Apr 2 14:03:11 2024 +0200

    Fix retry logic in ⟦app⟧ client
""",
)

# -- secret references
N(
    "secret_reference",
    "k8s_manifest",
    """env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: ⟦app⟧-db-credentials
        key: password
""",
)
N(
    "secret_reference",
    "terraform",
    """data "aws_secretsmanager_secret_version" "db" {
  secret_id = "arn:aws:secretsmanager:eu-west-1:⟦int3⟧⟦int3⟧⟦int3⟧⟦int3⟧:secret:prod/⟦app⟧/db-⟦an6⟧"
}
""",
)
N(
    "secret_reference",
    "appsettings_json",
    """{
  "DbPassword": "@Microsoft.KeyVault(SecretUri=https://⟦app⟧-kv.vault.azure.net/secrets/DbPassword/)",
  "ApiKey": "@Microsoft.KeyVault(VaultName=⟦app⟧-kv;SecretName=ApiKey)"
}
""",
)
N(
    "secret_reference",
    "shell_script",
    """DB_PASS=$(vault kv get -field=password secret/data/⟦app⟧/db)
TOKEN=$(gcloud secrets versions access latest --secret=⟦app⟧-api-token)
""",
)
N(
    "secret_reference",
    "k8s_manifest",
    """apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
spec:
  data:
    - secretKey: password
      remoteRef:
        key: prod/⟦app⟧/postgres
        property: password
""",
)

# -- masked secrets
N(
    "masked_secret",
    "log_excerpt",
    """INFO connecting to ⟦host⟧ as ⟦user⟧ (password=********)
INFO using token ghp_****************************⟦an4⟧
""",
)
N(
    "masked_secret",
    "ci_log",
    """Run docker login -u ⟦user⟧ -p *** registry.⟦domain⟧
Login Succeeded
""",
)
N(
    "masked_secret",
    "json_config",
    """{"db_password": "[REDACTED]", "api_key": "[REDACTED]", "host": "⟦host⟧"}
""",
)


# -- encrypted blobs
def t_ansible_vault():
    body = "".join(R.choice(HEX) for _ in range(80 * R.randint(3, 5)))
    lines = [body[i : i + 80] for i in range(0, len(body), 80)]
    return (
        "db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n"
        + "\n".join("          " + l for l in lines)
        + "\n"
    )


N("encrypted_blob", "ansible_vars", t_ansible_vault)
N(
    "encrypted_blob",
    "sops_file",
    """password: ENC[AES256_GCM,data:⟦b64_24⟧,iv:⟦b64_43⟧=,tag:⟦b64_22⟧==,type:str]
sops:
  age:
    - recipient: ⟦age_pub⟧
""",
)
N(
    "encrypted_blob",
    "k8s_manifest",
    """apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
spec:
  encryptedData:
    password: AgB⟦b64_64⟧⟦b64_64⟧⟦b64_64⟧
""",
)

# -- signatures
N(
    "signature_value",
    "unit_test",
    """def test_github_signature():
    headers = {"X-Hub-Signature-256": "sha256=⟦hex64⟧", "X-GitHub-Event": "push"}
    assert verify(headers, body, secret=settings.WEBHOOK_SECRET) is False
""",
)
N(
    "signature_value",
    "http_request_file",
    """POST https://⟦app⟧.⟦domain⟧/webhooks/stripe
Stripe-Signature: t=17⟦int3⟧⟦int3⟧⟦int3⟧,v1=⟦hex64⟧
Content-Type: application/json
""",
)

# -- key identifiers
N(
    "key_identifier",
    "json_config",
    """{"alg": "RS256", "typ": "JWT", "kid": "⟦hex40⟧"}
""",
)
N(
    "key_identifier",
    "terraform",
    """resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      kms_master_key_id = "arn:aws:kms:eu-west-1:⟦int3⟧⟦int3⟧⟦int3⟧⟦int3⟧:key/⟦uuid⟧"
      sse_algorithm     = "aws:kms"
    }
  }
}
""",
)
N(
    "key_identifier",
    "gitconfig",
    """[user]
    signingkey = ⟦HEX16⟧
[commit]
    gpgsign = true
""",
)

# -- credential pass-through (identifiers, signatures, no values)
N(
    "credential_passthrough",
    "python_source",
    '''def connect_⟦db⟧(host: str, user: str, password: str):
    """Open a connection; password is never logged."""
    return psycopg2.connect(host=host, user=user, password=password)
''',
)
N(
    "credential_passthrough",
    "java_source",
    """@Bean
DataSource ⟦app⟧DataSource(@Value("${db.url}") String url, @Value("${db.password}") String password) {
    return DataSourceBuilder.create().url(url).password(password).build();
}
""",
)
N(
    "credential_passthrough",
    "ts_source",
    """export interface ⟦Appc⟧Credentials {
  username: string;
  password: string;
  apiKey?: string;
}
""",
)
N(
    "credential_passthrough",
    "go_source",
    """type ⟦Appc⟧DBConfig struct {
	User     string `yaml:"user"`
	Password string `yaml:"password" json:"-"`
	Token    string `yaml:"token"`
}
""",
)
N(
    "credential_passthrough",
    "python_source",
    """password = getpass.getpass("Password for ⟦user⟧: ")
token = keyring.get_password("⟦app⟧", "⟦user⟧")
""",
)
N(
    "credential_passthrough",
    "sql_script",
    """PREPARE create_⟦db⟧_user(text, text) AS SELECT create_app_user($1, $2);
-- ⟦#ref⟧
EXECUTE format('ALTER ROLE %I PASSWORD %L', role_name, new_password);
""",
)

reg("an4", lambda: rs(4))
reg("APP", lambda: R.choice(APPS).upper())
reg("Appc", lambda: R.choice(APPS).capitalize())
reg("an6", lambda: rs(6))
reg("b64user", lambda: b64((R.choice(USERS)).encode()))
reg("b64host", lambda: b64(GEN["host"]()[0].encode()))


# ================================================================ engine
# unlabelled fillers that keep one value per record (the same app / domain / db / version throughout)
SHARED_FILLERS = {"domain", "app", "APP", "Appc", "org", "repo", "db", "semver", "acct"}
PH = re.compile("\u27e6(#?[A-Za-z0-9_]+)(?::([a-z0-9]+))?\u27e7")


def render(tpl, lang):
    """Build the text left to right; spans are recorded at insertion time."""
    out, spans, memo = [], [], {}
    pos = last = 0
    for m in PH.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        name, tag = m.group(1), m.group(2)
        if name.startswith("#"):
            val, ent, kind = comment(name[1:], lang), None, None
        elif tag and tag in memo:
            val, ent, kind = memo[tag]
        elif not tag and name in SHARED_FILLERS:
            if name not in memo:
                memo[name] = GEN[name]()
            val, ent, kind = memo[name]
        else:
            val, ent, kind = GEN[name]()
            if tag:
                memo[tag] = (val, ent, kind)
        if ent:
            spans.append({"start": pos, "end": pos + len(val), "entity": ent, "_kind": kind, "_value": val})
        out.append(val)
        pos += len(val)
        last = m.end()
    tail = tpl[last:]
    assert "\u27e6" not in tail and "\u27e7" not in tail, tail
    out.append(tail)
    text = "".join(out)
    for s in spans:  # offsets recorded during insertion must reproduce the inserted value
        assert text[s["start"] : s["end"]] == s["_value"], s
    return text, spans


# ---------------------------------------------------------------- scanner
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@((?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,})")
IPV4_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\d|\.\d)")
CARD_RES = [re.compile(r"(?<!\d)\d(?:[ \-]?\d){12,18}(?!\d)"), re.compile(r"(?<!\d)\d{13,19}(?!\d)")]


def scan(text):
    """Return the PII-looking things a simple scanner finds in text."""
    found = []
    for m in EMAIL_RE.finditer(text):
        if not reserved_domain(m.group(1)):
            found.append(("email", m.group(0)))
    for m in IPV4_RE.finditer(text):
        try:
            ipaddress.ip_address(m.group(1))
        except ValueError:
            continue
        if public_ip_ok(m.group(1)):
            found.append(("ipv4", m.group(1)))
    for rx in CARD_RES:
        for m in rx.finditer(text):
            d = re.sub(r"[ \-]", "", m.group(0))
            if 13 <= len(d) <= 19 and luhn_ok(d) and card_brand(d):
                found.append(("card", m.group(0)))
    return found


def masked(text, spans):
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            chars[i] = "\x00"
    return "".join(chars)


BAD_SECRET = re.compile(r"example|xxxx|your_", re.I)


def check_record(rec, kinds):
    """Fatal checks on one record (kinds: the generator kind of each span)."""
    text, spans = rec["text"], rec["spans"]
    assert rec["category"] == "positive" and spans or rec["category"] != "positive" and not spans, rec["id"]
    prev_end = -1
    for s, kind in zip(spans, kinds):
        assert 0 <= s["start"] < s["end"] <= len(text)
        assert s["start"] >= prev_end, ("overlap", rec["id"])
        prev_end = s["end"]
        v = text[s["start"] : s["end"]]
        assert v == v.strip() and v, (rec["id"], v)
        e = s["entity"]
        if e == "IP_ADDRESS":
            assert public_ip_ok(v), (rec["id"], v)
        elif e == "CREDIT_CARD":
            d = re.sub(r"[ \-]", "", v)
            assert d.isdigit() and luhn_ok(d) and card_brand(d), (rec["id"], v)
        elif e == "EMAIL_ADDRESS":
            m = EMAIL_RE.fullmatch(v)
            assert m and not reserved_domain(m.group(1)), (rec["id"], v)
        elif e == "SECRET":
            assert not BAD_SECRET.search(v), (rec["id"], v)
            if kind == "password":
                assert password_ok(v), (rec["id"], v)
            if kind == "pin":
                assert 6 <= len(v) <= 8 and classes(v) >= 2, v
            if kind.startswith("pem") or "PRIVATE KEY-----" in v:
                assert v.startswith("-----BEGIN ") and v.endswith("PRIVATE KEY-----"), rec["id"]
        else:
            raise AssertionError(e)
    return not scan(masked(text, spans))


def build():
    records, seen_text, kinds_by_id = [], set(), {}
    for ti, (cat, ctx, tpl, n) in enumerate(TEMPLATES, 1):
        for vi in range(1, n + 1):
            for attempt in range(60):
                src = add_auto_comment(tpl() if callable(tpl) else tpl, ctx)
                lang = R.choices(LANGS, LANG_W)[0] if "\u27e6#" in src else "en"
                text, spans = render(src, lang)
                rec = {
                    "id": f"t19-{ti}-{vi}",
                    "text": text,
                    "lang": lang,
                    "context": ctx,
                    "category": cat,
                    "spans": [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in spans],
                }
                kinds = [s["_kind"] for s in spans]
                if text in seen_text or any(BAD_SECRET.search(s["_value"]) for s in spans if s["entity"] == "SECRET"):
                    continue
                if check_record(rec, kinds):
                    break
            else:
                raise AssertionError(f"could not draw a clean variant for template {ti}")
            seen_text.add(text)
            kinds_by_id[rec["id"]] = kinds
            records.append(rec)
    return records, kinds_by_id


def final_checks(records, kinds_by_id):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts)), "duplicate texts"
    for r in records:
        assert set(r) == {"id", "text", "lang", "context", "category", "spans"}
        assert (
            r["lang"] in LANGS
            and re.fullmatch(r"[a-z0-9_]+", r["context"])
            and re.fullmatch(r"[a-z0-9_]+", r["category"])
        )
        assert check_record(r, kinds_by_id[r["id"]]), ("scanner", r["id"], scan(masked(r["text"], r["spans"])))
        if r["category"] != "positive":
            assert not r["spans"] and not scan(r["text"]), r["id"]


def summary(records):
    pos = [r for r in records if r["category"] == "positive"]
    neg = [r for r in records if r["category"] != "positive"]
    ent = collections.Counter(s["entity"] for r in records for s in r["spans"])
    cats = collections.Counter(r["category"] for r in neg)
    print(
        f"records: {len(records)}  positive: {len(pos)}  hard negative: {len(neg)} "
        f"({100 * len(neg) / len(records):.1f}%)  templates: {len(TEMPLATES)}"
    )
    print("spans per entity:", dict(sorted(ent.items())), " total:", sum(ent.values()))
    print(f"hard-negative categories ({len(cats)}):", dict(sorted(cats.items())))
    print("languages:", dict(collections.Counter(r["lang"] for r in records).most_common()))
    ctxs = collections.Counter(r["context"] for r in records)
    print(f"contexts ({len(ctxs)}):", dict(ctxs.most_common()))
    vk = sorted({k for ks in KINDS.values() for k in ks if k.startswith("vendor:")})
    print(f"vendor token formats used ({len(vk)}):", ", ".join(k[7:] for k in vk))
    return ent, cats


if __name__ == "__main__":
    RECORDS, KINDS = build()
    final_checks(RECORDS, KINDS)
    ent, cats = summary(RECORDS)
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 100 and ent["IP_ADDRESS"] >= 100 and ent["CREDIT_CARD"] >= 50
    )
    assert len(cats) >= 25 and sum(cats.values()) >= 450 and len(TEMPLATES) >= 200
    with open(OUT, "w", encoding="utf-8") as f:
        for r in RECORDS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote", OUT)
