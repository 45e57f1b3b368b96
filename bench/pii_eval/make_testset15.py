#!/usr/bin/env python3
"""Generate pii_testset15.jsonl: a labelled PII / secrets set focused on code,
configuration, CI/IaC, shell sessions, HTTP traffic, logs and developer web
pages (Q&A posts, GitHub issues, READMEs, notebooks, Postman/HAR exports).

How it works
------------
* Every record comes from a hand-written template.  Templates contain markers
  of the form  ⟪K:generator⟫  or  ⟪K:generator#tag⟫  where K is
    S  -> SECRET span          E -> EMAIL_ADDRESS span
    I  -> IP_ADDRESS span      C -> CREDIT_CARD span
    V  -> unlabelled filler value (look-alikes: key ids, hashes, SHAs, ...)
    X  -> unlabelled look-alike that the leak scanner is told to skip
          (IP-shaped version numbers, ``git@github.com:`` / ``user@host`` ssh
          targets, Sentry DSNs ``https://<public key>@o123.ingest.sentry.io/1``
          whose userinfo looks like an e-mail).  These are the documented
          scanner exceptions.
  A ``#tag`` reuses the same value inside one record.
* Templates are rendered left to right; the character offset of each value is
  recorded at insertion time (never searched for afterwards).  Multi-line
  values (PEM blocks) inserted on an indented line are re-indented and the
  span covers the indented block exactly as inserted.
* Positive templates yield 2-4 instances each, hard-negative templates 4, all
  with fresh random values from random.Random(151515).  The output is fully
  deterministic.

Checks (all fatal ``assert``s)
------------------------------
* text[start:end] == inserted value for every span; spans sorted, no overlap;
  values have no surrounding whitespace/quotes.
* IP spans parse with ipaddress, are is_global and outside the documentation
  ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32.
* Card spans are Luhn-valid with a real brand prefix and length
  (separators allowed inside the span).
* E-mail spans are syntactically valid and not on reserved domains
  (example.com/.org/.net, .test, .invalid, .localhost, .example).
* Password-like secrets never start with a symbol and never end in . , ! ? : ;
* Unique ids and unique texts; positives have >=1 span, negatives none.
* Leak scanner: on every negative text, and on every positive text with its
  labelled spans blanked out, there must be no public IPv4 address, no
  Luhn-valid brand-prefixed card number and no e-mail address on a
  non-reserved domain, except inside X-marked look-alikes.  A rendered
  instance that trips the scanner by chance (e.g. a random order number that
  happens to be Luhn-valid) is re-drawn; the final dataset is then re-scanned
  and must be clean.
* Coverage minimums: >=700 SECRET, >=150 EMAIL_ADDRESS, >=200 IP_ADDRESS,
  >=60 CREDIT_CARD spans, >=140 positive templates, >=500 negative records in
  >=35 categories, >=15 programming-language contexts (*_source), >=30 tool
  config contexts (*_config), >=50 distinct vendor token formats.
"""

import base64
import collections
import ipaddress
import json
import os
import random
import re
import string
import textwrap
import uuid

SEED = 151515
PREFIX = "t15"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset15.jsonl")

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
ALNUM = LOW + UP + DIG
LOWDIG = LOW + DIG
UPDIG = UP + DIG
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64U = ALNUM + "-_"
B32 = UP + "234567"
BCRYPT = "./" + ALNUM


def rs(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


def rb(r, n):
    return bytes(r.getrandbits(8) for _ in range(n))


def b64(r, n):
    return base64.b64encode(rb(r, n)).decode()


def b64u(r, n):
    return base64.urlsafe_b64encode(rb(r, n)).decode().rstrip("=")


def ruuid(r):
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


WORDS = sorted(
    set(
        """willow harbor nectar copper falcon meadow lantern quartz ember
cobalt saffron juniper orbit tundra velvet maple canyon breeze pepper walnut glacier
cedar marble thistle raven sparrow ripple summit harvest violet granite amber coral
drift hollow prism cinder basalt fjord lagoon pixel rocket silver tiger zephyr comet
kernel lotus mango nimbus otter pebble quill rustic sable tango umber vortex wander
yarrow badger cactus dolphin fennel gopher hazel indigo jasper kiwi lemon mosaic
nutmeg olive panther quokka radish spruce truffle urchin vanilla wombat""".split()
    )
)
FIRST = """anna ben carla david elena felix greta hugo ines jonas karin lars maria
niko olga pavel quinn rosa stefan tara umar vera wei xenia yusuf zoe ahmed bianca
chen dmitri emma farah gabriel hana ivan julia kenji lucia mateo noor oscar priya""".split()
LAST = """schmidt novak rossi garcia kowalski dubois silva tanaka ivanova petrov
larsen fischer moreau martins haddad okafor nguyen kim sato jensen berg costa
romero weber horvat lindqvist murphy brennan oconnor patel singh yilmaz""".split()
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "proton.me",
    "icloud.com",
    "gmx.de",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "163.com",
    "orange.fr",
    "libero.it",
    "wp.pl",
    "hotmail.co.uk",
    "fastmail.com",
    "posteo.de",
    "naver.com",
]
CORP_SUFFIX = ["labs", "soft", "works", "logix", "hq", "cloud", "data", "pay", "ly", "ify", "tech", "ops"]
TLDS = ["com", "io", "de", "co.uk", "net", "dev", "app", "fr", "nl", "es", "com.br", "se"]
RESERVED_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_EMAIL_TLDS = (".test", ".invalid", ".localhost", ".example")


def email_reserved(domain):
    d = domain.lower()
    return (
        d in RESERVED_EMAIL_DOMAINS
        or any(d.endswith("." + x) for x in RESERVED_EMAIL_DOMAINS)
        or any(d.endswith(t) for t in RESERVED_EMAIL_TLDS)
        or d in ("test", "invalid", "localhost", "example")
    )


def corp_domain(r):
    return r.choice(WORDS) + r.choice(CORP_SUFFIX) + "." + r.choice(TLDS)


def person_local(r):
    f, l = r.choice(FIRST), r.choice(LAST)
    return r.choice(
        [f + "." + l, f[0] + l, f + str(r.randint(1, 99)), f + "_" + l, f + "." + l + str(r.randint(1, 9)), l + "." + f]
    )


def email(r):
    if r.random() < 0.4:
        return person_local(r) + "@" + r.choice(FREEMAIL)
    local = (
        person_local(r)
        if r.random() < 0.7
        else r.choice(
            ["billing", "ops-alerts", "devops", "security", "noreply", "support", "ci-bot", "deploy", "finance"]
        )
    )
    return local + "@" + corp_domain(r)


def email_res(r):
    dom = r.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "corp.test",
            "mail.invalid",
            "dev.localhost",
            "acme.example",
            "shop.test",
        ]
    )
    return person_local(r) + "@" + dom


# ---------------------------------------------------------------- IP addresses
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public_ok(s):
    a = ipaddress.ip_address(s)
    return a.is_global and not a.is_multicast and not any(a in n for n in DOC_NETS if n.version == a.version)


def ip4(r):
    while True:
        s = "%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))
        if ip_public_ok(s):
            return s


V6_PREFIX = [
    "2a01:4f8",
    "2600:1f18",
    "2a02:c207",
    "2604:a880",
    "2001:41d0",
    "2a03:b0c0",
    "2406:da18",
    "2a00:1450",
    "2607:f8b0",
    "2a05:d014",
    "2400:cb00",
    "2a0e:97c0",
]


def ip6(r):
    while True:
        groups = r.choice(V6_PREFIX).split(":") + ["%x" % r.randint(0, 0xFFFF) for _ in range(6)]
        if r.random() < 0.5:
            groups[2 + r.randint(0, 3)] = "0"
            groups[3 + r.randint(0, 3)] = "0"
        s = ipaddress.ip_address(":".join(groups)).compressed
        if ip_public_ok(s):
            return s


def ip_priv(r):
    return r.choice(
        [
            lambda: "10.%d.%d.%d" % (r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)),
            lambda: "172.%d.%d.%d" % (r.randint(16, 31), r.randint(0, 255), r.randint(1, 254)),
            lambda: "192.168.%d.%d" % (r.randint(0, 255), r.randint(1, 254)),
        ]
    )()


def ip_doc(r):
    return r.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(r.randint(1, 254))


# ---------------------------------------------------------------- cards
def luhn_ok(d):
    tot = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        tot += n
    return tot % 10 == 0


def card_brand(d):
    n = len(d)
    if n < 12 or not d.isdigit():
        return None
    p2, p3, p4 = int(d[:2]), int(d[:3]), int(d[:4])
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
    if (p2 in (36, 38) or 300 <= p3 <= 305) and n == 14:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    if p4 in (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763) and 12 <= n <= 19:
        return "maestro"
    return None


def luhn_complete(r, prefix, length):
    body = prefix + rs(r, DIG, length - len(prefix) - 1)
    for c in DIG:
        if luhn_ok(body + c):
            return body + c


CARD_SPECS = [
    ("4", 16),
    ("4", 16),
    ("4", 16),
    ("51", 16),
    ("53", 16),
    ("55", 16),
    ("2221", 16),
    ("2720", 16),
    ("34", 15),
    ("37", 15),
    ("6011", 16),
    ("65", 16),
    ("3530", 16),
    ("36", 14),
    ("62", 16),
    ("4", 13),
    ("5020", 16),
]


def card_digits(r):
    p, n = r.choice(CARD_SPECS)
    if p == "2221":
        p = str(r.randint(2221, 2720))
    if p == "3530":
        p = str(r.randint(3528, 3589))
    return luhn_complete(r, p, n)


def fmt_card(r, d):
    style = r.choice(["plain", "space", "dash", "space"])
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


# ---------------------------------------------------------------- passwords
PW_SYM = "!#%*+=.~@^_-"
URL_SYM = "-_.~"
END_SYM = "#%*@^~+="


def pw_ok(p):
    return bool(p) and p[0].isalnum() and p[-1] not in ".,!?:;" and " " not in p


def pw_rand(r, sym=PW_SYM):
    n = r.randint(14, 24)
    while True:
        s = r.choice(ALNUM) + rs(r, ALNUM + sym * 2, n - 2) + r.choice(ALNUM)
        if any(c in sym for c in s) and any(c.isdigit() for c in s) and any(c.isupper() for c in s):
            return s


def pw_word(r, sym=END_SYM):
    w = r.choice(WORDS).capitalize()
    d = str(r.randint(1, 9999))
    s = r.choice(sym)
    w2 = r.choice(WORDS)
    return r.choice([w + d + s, w + s + d, w2 + w + d + s, w + d + s + w2.capitalize(), w + "_" + d])


def pw_phrase(r, seps="-_.+~"):
    sep = r.choice(seps)
    ws = [r.choice(WORDS) for _ in range(r.randint(3, 5))]
    if r.random() < 0.6:
        ws = [w.capitalize() for w in ws]
    if r.random() < 0.6:
        ws.append(str(r.randint(2, 99)))
    return sep.join(ws)


def pw_lphrase(r, seps="-_."):
    sep = r.choice(seps + "--")
    return sep.join(r.choice(WORDS) for _ in range(r.randint(3, 4)))


LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "l": "1"}


def pw_leet(r, allow_at=True):
    out = []
    for w in (r.choice(WORDS), r.choice(WORDS)):
        cs = []
        for i, ch in enumerate(w):
            if i and ch == "a" and allow_at and r.random() < 0.5:
                cs.append("@")
            elif ch in LEET and r.random() < 0.6:
                cs.append(LEET[ch])
            else:
                cs.append(ch)
        s = "".join(cs)
        out.append(s[0].upper() + s[1:] if s[0].isalpha() else s)
    return (
        r.choice(["", "_", "-", "."]).join(out)
        + str(r.randint(0, 99))
        + r.choice(["", "", "#", "*"] if allow_at else ["", "", "~"])
    )


def pw(r):
    while True:
        p = r.choice([pw_rand, pw_rand, pw_word, pw_phrase, pw_lphrase, pw_leet])(r)
        if pw_ok(p):
            return p


def pw_url(r):
    while True:
        p = r.choice(
            [
                lambda r: pw_rand(r, URL_SYM),
                lambda r: pw_word(r, "~_"),
                lambda r: pw_phrase(r, "-_.~"),
                pw_lphrase,
                lambda r: pw_leet(r, False),
            ]
        )(r)
        if pw_ok(p):
            return p


# ---------------------------------------------------------------- PEM blocks
def pem(r, label, first, nlines, width=64, tail=""):
    body = first + rs(r, B64, width * nlines - len(first) + r.randint(4, width - 8))
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    return "-----BEGIN %s-----\n%s%s\n-----END %s-----" % (label, "\n".join(lines), tail, label)


def pem_rsa(r):
    return pem(r, "RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", r.randint(14, 24))


def pem_pkcs8(r):
    return pem(r, "PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", r.randint(14, 24))


def pem_ec(r):
    return pem(r, "EC PRIVATE KEY", "MHcCAQEEI", 2)


def pem_openssh(r):
    return pem(
        r,
        "OPENSSH PRIVATE KEY",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACD",
        4,
        width=70,
    )


def pem_pgp(r):
    body = "lQVYBG" + rs(r, B64, 64 * 10)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return (
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"
        + "\n".join(lines)
        + "\n="
        + rs(r, B64, 4)
        + "\n-----END PGP PRIVATE KEY BLOCK-----"
    )


def openvpn_key(r):
    lines = [rs(r, HEX, 32) for _ in range(16)]
    return "-----BEGIN OpenVPN Static key V1-----\n" + "\n".join(lines) + "\n-----END OpenVPN Static key V1-----"


def jwt_enc(o):
    return base64.urlsafe_b64encode(json.dumps(o, separators=(",", ":")).encode()).decode().rstrip("=")


def jwt(r, payload=None):
    alg = r.choice(["HS256", "RS256", "ES256", "HS512"])
    now = r.randint(1700000000, 1760000000)
    pl = payload or {
        "sub": r.choice([ruuid(r), str(r.randint(1000, 9999999))]),
        "iat": now,
        "exp": now + 3600 * r.choice([1, 12, 24, 720]),
        "scope": r.choice(["read write", "admin", "api", "orders:write"]),
    }
    return jwt_enc({"alg": alg, "typ": "JWT"}) + "." + jwt_enc(pl) + "." + b64u(r, 64 if alg == "HS512" else 32)


def jwt_supabase(r):
    now = r.randint(1700000000, 1760000000)
    return jwt(
        r, {"iss": "supabase", "ref": rs(r, LOW, 20), "role": "service_role", "iat": now, "exp": now + 315360000}
    )


def session_cookie(r):
    return r.choice(
        [
            lambda: rs(r, LOWDIG, 32),  # django sessionid
            lambda: "s%3A" + b64u(r, 24) + "." + b64(r, 32).rstrip("="),  # express connect.sid
            lambda: rs(r, LOWDIG, 26),  # PHPSESSID
            lambda: b64(r, 96).replace("=", "") + "--" + rs(r, HEX, 40),  # rails cookie store
            lambda: "CfDJ8" + b64u(r, 180),  # ASP.NET Core
            lambda: "eyJpdiI6I" + b64(r, 150).rstrip("="),  # laravel_session
        ]
    )()


VAL_COUNTER = collections.Counter()


# ---------------------------------------------------------------- generators
def _slack_webhook(r):
    return "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(r, UPDIG, 8), rs(r, UPDIG, 10), rs(r, ALNUM, 24))


def _discord(r):
    uid = str(r.randint(10**17, 13 * 10**17))
    return base64.b64encode(uid.encode()).decode().rstrip("=") + "." + rs(r, B64U, 6) + "." + rs(r, B64U, 38)


def _basic(r):
    user = r.choice(["admin", "deploy", "api", "ci", "grafana", "svc-sync", "jenkins", "monitor"])
    return base64.b64encode((user + ":" + pw_url(r)).encode()).decode()


def _docker_auth(r):
    user = r.choice(["acmebot", "buildsvc", "releaser", "ci-push"])
    return base64.b64encode((user + ":dckr_pat_" + rs(r, B64U, 27)).encode()).decode()


def _kube_key_data(r):
    return base64.b64encode((pem(r, "RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 6) + "\n").encode()).decode()


def _mapbox_sk(r):
    return "sk.eyJ1Ijoi" + rs(r, B64U, 14) + "IiwiYSI6I" + rs(r, B64U, 22) + "." + rs(r, B64U, 22)


def _stripe_sk(r, mode):
    return "sk_%s_" % mode + (rs(r, ALNUM, 24) if r.random() < 0.4 else "51" + rs(r, ALNUM, 97))


# Vendor token formats (counted for the >=50 coverage check).
VENDOR = {
    "aws_akid": lambda r: "AKIA" + rs(r, B32, 16),
    "aws_asia": lambda r: "ASIA" + rs(r, B32, 16),
    "aws_secret": lambda r: r.choice(ALNUM) + rs(r, ALNUM + "+/", 39),
    "aws_session": lambda r: "IQoJb3JpZ2luX2VjE" + rs(r, B64, 220),
    "gh_pat": lambda r: "ghp_" + rs(r, ALNUM, 36),
    "gh_oauth": lambda r: "gho_" + rs(r, ALNUM, 36),
    "gh_server": lambda r: "ghs_" + rs(r, ALNUM, 36),
    "gh_fine": lambda r: "github_pat_11" + rs(r, UPDIG, 20) + "_" + rs(r, ALNUM, 59),
    "glpat": lambda r: "glpat-" + rs(r, B64U, 20),
    "glrt": lambda r: "glrt-" + rs(r, B64U, 20),
    "slack_bot": lambda r: "xoxb-%d-%d-%s" % (r.randint(10**10, 10**12), r.randint(10**12, 10**13), rs(r, ALNUM, 24)),
    "slack_user": lambda r: (
        "xoxp-%d-%d-%d-%s"
        % (r.randint(10**10, 10**12), r.randint(10**10, 10**12), r.randint(10**12, 10**13), rs(r, HEX, 32))
    ),
    "slack_app": lambda r: "xapp-1-A%s-%d-%s" % (rs(r, UPDIG, 10), r.randint(10**12, 10**13), rs(r, HEX, 64)),
    "slack_webhook": _slack_webhook,
    "stripe_sk": lambda r: _stripe_sk(r, "live"),
    "stripe_sk_test": lambda r: _stripe_sk(r, "test"),
    "stripe_rk": lambda r: "rk_live_" + rs(r, ALNUM, 24),
    "stripe_whsec": lambda r: "whsec_" + rs(r, ALNUM, 32),
    "twilio_token": lambda r: rs(r, HEX, 32),
    "sendgrid": lambda r: "SG." + rs(r, B64U, 22) + "." + rs(r, B64U, 43),
    "mailgun": lambda r: "key-" + rs(r, HEX, 32),
    "mailchimp": lambda r: rs(r, HEX, 32) + "-us" + str(r.randint(1, 21)),
    "openai": lambda r: "sk-proj-" + rs(r, B64U, 74) + "T3BlbkFJ" + rs(r, B64U, 74),
    "anthropic": lambda r: "sk-ant-api03-" + rs(r, B64U, 93) + "AA",
    "google_api": lambda r: "AIza" + rs(r, B64U, 35),
    "gcp_client_secret": lambda r: "GOCSPX-" + rs(r, B64U, 28),
    "npm": lambda r: "npm_" + rs(r, ALNUM, 36),
    "pypi": lambda r: "pypi-AgEIcHlwaS5vcmc" + rs(r, B64U, 160),
    "dockerhub": lambda r: "dckr_pat_" + rs(r, B64U, 27),
    "heroku": lambda r: "HRKU-" + ruuid(r),
    "digitalocean": lambda r: "dop_v1_" + rs(r, HEX, 64),
    "shopify": lambda r: "shpat_" + rs(r, HEX, 32),
    "shopify_ss": lambda r: "shpss_" + rs(r, HEX, 32),
    "atlassian": lambda r: "ATATT3xFfGF0" + rs(r, B64U, 170) + "=" + rs(r, "0123456789ABCDEF", 8),
    "azure_storage": lambda r: b64(r, 64),
    "alibaba_id": lambda r: "LTAI5t" + rs(r, ALNUM, 18),
    "alibaba_secret": lambda r: rs(r, ALNUM, 30),
    "vault": lambda r: "hvs." + rs(r, B64U, 90),
    "tfc": lambda r: rs(r, ALNUM, 14) + ".atlasv1." + rs(r, ALNUM, 67),
    "databricks": lambda r: "dapi" + rs(r, HEX, 32),
    "sentry_user": lambda r: "sntryu_" + rs(r, HEX, 64),
    "datadog_api": lambda r: rs(r, HEX, 32),
    "datadog_app": lambda r: rs(r, HEX, 40),
    "newrelic": lambda r: "NRAK-" + rs(r, UPDIG, 27),
    "linear": lambda r: "lin_api_" + rs(r, ALNUM, 40),
    "notion": lambda r: "ntn_" + rs(r, DIG, 11) + rs(r, ALNUM, 35),
    "figma": lambda r: "figd_" + rs(r, B64U, 40),
    "discord": _discord,
    "telegram": lambda r: "%d:AA%s" % (r.randint(10**9, 8 * 10**9), rs(r, B64U, 33)),
    "hf": lambda r: "hf_" + rs(r, ALNUM, 34),
    "cloudflare": lambda r: rs(r, B64U, 40),
    "grafana_sa": lambda r: "glsa_" + rs(r, ALNUM, 32) + "_" + rs(r, HEX, 8),
    "postman": lambda r: "PMAK-" + rs(r, HEX, 24) + "-" + rs(r, HEX, 34),
    "pulumi": lambda r: "pul-" + rs(r, HEX, 40),
    "doppler": lambda r: "dp.st.prd." + rs(r, ALNUM, 43),
    "age": lambda r: "AGE-SECRET-KEY-1" + rs(r, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
    "square": lambda r: "EAAA" + rs(r, B64U, 60),
    "square_secret": lambda r: "sq0csp-" + rs(r, B64U, 43),
    "braintree": lambda r: "access_token$production$" + rs(r, LOWDIG, 16) + "$" + rs(r, HEX, 32),
    "okta": lambda r: "00" + rs(r, B64U, 40),
    "mapbox_sk": _mapbox_sk,
    "planetscale": lambda r: "pscale_pw_" + rs(r, B64U, 43),
    "flyio": lambda r: "fo1_" + rs(r, B64U, 43),
    "netlify": lambda r: "nfp_" + rs(r, ALNUM, 36),
    "circleci": lambda r: "CCIPAT_" + rs(r, ALNUM, 22) + "_" + rs(r, HEX, 40),
    "buildkite": lambda r: "bkua_" + rs(r, HEX, 40),
    "sonar": lambda r: "squ_" + rs(r, HEX, 40),
    "rubygems": lambda r: "rubygems_" + rs(r, HEX, 48),
    "nuget": lambda r: "oy2" + rs(r, LOWDIG, 43),
    "crates": lambda r: "cio" + rs(r, ALNUM, 32),
    "pinecone": lambda r: "pcsk_" + rs(r, ALNUM, 5) + "_" + rs(r, ALNUM, 60),
    "groq": lambda r: "gsk_" + rs(r, ALNUM, 52),
    "replicate": lambda r: "r8_" + rs(r, ALNUM, 37),
    "algolia_admin": lambda r: rs(r, HEX, 32),
    "airtable": lambda r: "pat" + rs(r, ALNUM, 14) + "." + rs(r, HEX, 64),
    "easypost": lambda r: "EZAK" + rs(r, HEX, 54),
    "supabase_service": jwt_supabase,
    "consul": ruuid,
    "django_secret": lambda r: r.choice(LOWDIG) + rs(r, LOWDIG + "!@#%^*(-_=+)", 48) + r.choice(LOWDIG),
    "rails_master": lambda r: rs(r, HEX, 32),
    "laravel_key": lambda r: "base64:" + b64(r, 32),
    "wireguard_priv": lambda r: b64(r, 32),
    "tsig": lambda r: b64(r, 32),
    "mailjet": lambda r: rs(r, HEX, 32),
    "twilio_api_secret": lambda r: rs(r, ALNUM, 32),
    "sentry_org": lambda r: "sntrys_eyJpYXQiO" + rs(r, B64U, 140),
    "render": lambda r: "rnd_" + rs(r, ALNUM, 28),
    "vercel": lambda r: rs(r, ALNUM, 24),
    "jfrog": lambda r: "AKCp8" + rs(r, ALNUM, 68),
    "snyk": ruuid,
    "azure_devops_pat": lambda r: rs(r, "abcdefghijklmnopqrstuvwxyz234567", 52),
    "recaptcha_secret": lambda r: "6L" + rs(r, B64U, 38),
    "b2_key": lambda r: "K00" + rs(r, ALNUM, 28),
    "xai": lambda r: "xai-" + rs(r, ALNUM, 80),
    "cohere": lambda r: rs(r, ALNUM, 40),
    "mistral": lambda r: rs(r, ALNUM, 32),
    "hex32": lambda r: rs(r, HEX, 32),
    "hex40": lambda r: rs(r, HEX, 40),
    "hex64": lambda r: rs(r, HEX, 64),
    "b64_32": lambda r: b64(r, 32),
}
GENERIC_SECRET = {
    "hex32",
    "hex40",
    "hex64",
    "b64_32",
    "django_secret",
    "rails_master",
    "laravel_key",
    "wireguard_priv",
    "tsig",
    "consul",
    "snyk",
    "vercel",
    "cohere",
    "mistral",
    "alibaba_secret",
    "aws_secret",
    "twilio_token",
    "datadog_api",
    "datadog_app",
    "algolia_admin",
    "mailjet",
    "twilio_api_secret",
    "cloudflare",
    "azure_storage",
}

SECRET_OTHER = {
    "pw": pw,
    "pw_url": pw_url,
    "pw_rand": pw_rand,
    "pw_word": pw_word,
    "pw_phrase": pw_phrase,
    "pw_lphrase": pw_lphrase,
    "pw_leet": pw_leet,
    "jwt": jwt,
    "basic": _basic,
    "docker_auth": _docker_auth,
    "session": session_cookie,
    "pem_rsa": pem_rsa,
    "pem_pkcs8": pem_pkcs8,
    "pem_ec": pem_ec,
    "pem_openssh": pem_openssh,
    "pem_pgp": pem_pgp,
    "openvpn_key": openvpn_key,
    "pem_pkcs8_json": lambda r: pem_pkcs8(r).replace("\n", "\\n"),
    "kube_key_data": _kube_key_data,
}
PASSWORD_GENS = {"pw", "pw_url", "pw_rand", "pw_word", "pw_phrase", "pw_lphrase", "pw_leet"}

NAMES = ["api", "billing", "orders", "auth", "search", "ledger", "inventory", "notify", "gateway", "reports"]


def _host(r):
    return "%s-%s-%02d.%s" % (
        r.choice(["db", "pg", "redis", "mq", "api", "web", "cache", "es", "vault", "k8s"]),
        r.choice(["prod", "stg", "dev", "eu1", "us2"]),
        r.randint(1, 30),
        r.choice(["internal", "int.lan", "svc.cluster.local", "corp.local"]),
    )


def _ver(r):
    return "%d.%d.%d" % (r.randint(0, 9), r.randint(0, 40), r.randint(0, 30))


def _ver4(r):
    # IP-shaped build number; deliberately sometimes in public-looking space.
    return "%d.%d.%d.%d" % (r.randint(1, 12), r.randint(0, 9), r.randint(0, 30), r.randint(0, 250))


def _ulid(r):
    return "01" + rs(r, "0123456789ABCDEFGHJKMNPQRSTVWXYZ", 24)


FILL = {
    "user": lambda r: r.choice(
        [
            "deploy",
            "app_rw",
            "svc_backup",
            "jenkins",
            "admin",
            "postgres",
            "root",
            "etl_user",
            "grafana",
            "readonly",
            "ci",
            "sa",
            "webapp",
            "replicator",
        ]
    ),
    "name": lambda r: r.choice(FIRST).capitalize() + " " + r.choice(LAST).capitalize(),
    "first": lambda r: r.choice(FIRST).capitalize(),
    "app": lambda r: r.choice(NAMES) + r.choice(["-svc", "-api", "", "-worker"]),
    "org": lambda r: r.choice(WORDS) + r.choice(["-labs", "-io", "hq", "-platform", ""]),
    "repo": lambda r: r.choice(NAMES) + r.choice(["-service", "-infra", "-web", "-cli"]),
    "db": lambda r: r.choice(NAMES) + r.choice(["_prod", "_db", "", "_staging"]),
    "bucket": lambda r: r.choice(WORDS) + "-" + r.choice(NAMES) + "-" + r.choice(["prod", "backups", "logs", "assets"]),
    "region": lambda r: r.choice(["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-west-2"]),
    "domain": corp_domain,
    "host": _host,
    "ip_priv": ip_priv,
    "ip_doc": ip_doc,
    "ip6_priv": lambda r: r.choice(
        [
            "fd%02x:%x::%x" % (r.randint(0, 255), r.randint(1, 0xFFFF), r.randint(1, 0xFFF)),
            "fe80::%x:%x" % (r.randint(1, 0xFFFF), r.randint(1, 0xFFFF)),
            "::1",
        ]
    ),
    "port": lambda r: str(r.choice([5432, 3306, 6379, 8080, 8443, 9200, 5672, 27017, 9092, 443])),
    "int": lambda r: str(r.randint(2, 500)),
    "small": lambda r: str(r.randint(0, 9)),
    "sha40": lambda r: rs(r, HEX, 40),
    "sha7": lambda r: rs(r, HEX, 7),
    "sha256hex": lambda r: rs(r, HEX, 64),
    "md5hex": lambda r: rs(r, HEX, 32),
    "hex4": lambda r: rs(r, HEX, 4),
    "hex8": lambda r: rs(r, HEX, 8),
    "hex16": lambda r: rs(r, HEX, 16),
    "up4": lambda r: rs(r, UPDIG, 4),
    "uuid": ruuid,
    "ulid": _ulid,
    "csrf": lambda r: rs(r, ALNUM, 64),
    "nonce": lambda r: b64(r, 16),
    "req_id": lambda r: r.choice([ruuid(r), rs(r, HEX, 32), "req_" + rs(r, ALNUM, 14)]),
    "traceparent": lambda r: "00-%s-%s-01" % (rs(r, HEX, 32), rs(r, HEX, 16)),
    "amzn_trace": lambda r: "Root=1-%s-%s" % (rs(r, HEX, 8), rs(r, HEX, 24)),
    "cf_ray": lambda r: rs(r, HEX, 16) + "-" + r.choice(["FRA", "AMS", "IAD", "SJC", "NRT"]),
    "pk_live": lambda r: "pk_live_51" + rs(r, ALNUM, 97),
    "pk_test": lambda r: "pk_test_51" + rs(r, ALNUM, 97),
    "gclient_id": lambda r: "%d-%s.apps.googleusercontent.com" % (r.randint(10**11, 10**12 - 1), rs(r, LOWDIG, 32)),
    "gh_client_id": lambda r: r.choice(
        ["Iv1." + rs(r, HEX, 16), "Iv23li" + rs(r, ALNUM, 14), "Ov23li" + rs(r, ALNUM, 14)]
    ),
    "twilio_ac": lambda r: "AC" + rs(r, HEX, 32),
    "twilio_sk_sid": lambda r: "SK" + rs(r, HEX, 32),
    "twilio_sm": lambda r: "SM" + rs(r, HEX, 32),
    "twilio_mg": lambda r: "MG" + rs(r, HEX, 32),
    "stripe_ch": lambda r: "ch_3" + rs(r, ALNUM, 23),
    "stripe_cus": lambda r: "cus_" + rs(r, ALNUM, 14),
    "stripe_pi": lambda r: "pi_3" + rs(r, ALNUM, 23),
    "stripe_evt": lambda r: "evt_1" + rs(r, ALNUM, 23),
    "stripe_in": lambda r: "in_1" + rs(r, ALNUM, 23),
    "stripe_sub": lambda r: "sub_1" + rs(r, ALNUM, 23),
    "slack_chan": lambda r: "C0" + rs(r, UPDIG, 9),
    "slack_uid": lambda r: "U0" + rs(r, UPDIG, 9),
    "slack_team": lambda r: "T0" + rs(r, UPDIG, 9),
    "digest": lambda r: "sha256:" + rs(r, HEX, 64),
    "bcrypt": lambda r: "$2b$12$" + rs(r, BCRYPT, 53),
    "argon2": lambda r: "$argon2id$v=19$m=65536,t=3,p=4$" + b64(r, 16).rstrip("=") + "$" + b64(r, 32).rstrip("="),
    "sha512crypt": lambda r: "$6$" + rs(r, BCRYPT, 16) + "$" + rs(r, BCRYPT, 86),
    "apr1": lambda r: "$apr1$" + rs(r, BCRYPT, 8) + "$" + rs(r, BCRYPT, 22),
    "pbkdf2": lambda r: "pbkdf2_sha256$600000$" + rs(r, ALNUM, 22) + "$" + b64(r, 32),
    "md5pg": lambda r: "md5" + rs(r, HEX, 32),
    "scram": lambda r: "SCRAM-SHA-256$4096:%s$%s:%s" % (b64(r, 16), b64(r, 32), b64(r, 32)),
    "etag": lambda r: r.choice(
        ['"%s"' % rs(r, HEX, 32), 'W/"%x-%s"' % (r.randint(100, 99999), b64(r, 20).rstrip("="))]
    ),
    "sri": lambda r: "sha384-" + b64(r, 48),
    "sri512": lambda r: "sha512-" + b64(r, 64),
    "ssh_pub_ed": lambda r: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(r, B64, 43),
    "ssh_pub_rsa": lambda r: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(r, B64, 340),
    "fp_sha256": lambda r: "SHA256:" + b64(r, 32).rstrip("="),
    "fp_md5": lambda r: "MD5:" + ":".join(rs(r, HEX, 2) for _ in range(16)),
    "gpg_fp": lambda r: " ".join(rs(r, "0123456789ABCDEF", 4) for _ in range(10)),
    "gpg_keyid": lambda r: rs(r, "0123456789ABCDEF", 16),
    "cert_fp": lambda r: ":".join(rs(r, "0123456789ABCDEF", 2) for _ in range(32)),
    "wg_pub": lambda r: b64(r, 32),
    "mapbox_pk": lambda r: "pk.eyJ1Ijoi" + rs(r, B64U, 14) + "IiwiYSI6I" + rs(r, B64U, 22) + "." + rs(r, B64U, 22),
    "recaptcha_site": lambda r: "6L" + rs(r, B64U, 38),
    "algolia_app": lambda r: rs(r, UPDIG, 10),
    "algolia_search": lambda r: rs(r, HEX, 32),
    "sentry_dsn": lambda r: (
        "https://%s@o%d.ingest.sentry.io/%d" % (rs(r, HEX, 32), r.randint(100000, 999999), r.randint(1000000, 9999999))
    ),
    "date": lambda r: "2025-%02d-%02d" % (r.randint(1, 12), r.randint(1, 28)),
    "time": lambda r: "%02d:%02d:%02d" % (r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)),
    "epoch": lambda r: str(r.randint(1700000000, 1760000000)),
    "epoch_ms": lambda r: str(r.randint(1700000000000, 1760000000000)),
    "ver": _ver,
    "ver4": _ver4,
    "pod": lambda r: (
        "%s-%s-%s"
        % (r.choice(NAMES), rs(r, "bcdfghjklmnpqrstvwxz2456789", 10), rs(r, "bcdfghjklmnpqrstvwxz2456789", 5))
    ),
    "email_res": email_res,
    "ssh_target": lambda r: (
        r.choice(["deploy", "ubuntu", "ec2-user", "admin", "git"])
        + "@"
        + r.choice(["bastion", "build-01", "jump", "app-3", "gitlab"])
        + "."
        + corp_domain(r)
    ),
    "git_ssh": lambda r: (
        "git@"
        + r.choice(["github.com", "gitlab.com", "bitbucket.org"])
        + ":"
        + r.choice(WORDS)
        + "-labs/"
        + r.choice(NAMES)
        + ".git"
    ),
    "aws_acct": lambda r: str(r.randint(10**11, 10**12 - 1)),
    "ec2_id": lambda r: "i-0" + rs(r, HEX, 16),
    "vpc_id": lambda r: "vpc-0" + rs(r, HEX, 16),
    "sg_id": lambda r: "sg-0" + rs(r, HEX, 16),
    "ansible_vault": lambda r: (
        "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(r, DIG + "abcdef", 80) for _ in range(r.randint(4, 7)))
    ),
    "sops_enc": lambda r: (
        "ENC[AES256_GCM,data:%s,iv:%s,tag:%s,type:str]" % (b64(r, r.randint(10, 30)), b64(r, 32), b64(r, 16))
    ),
    "jenkins_enc": lambda r: "{AQAAABAAAAAQ" + b64(r, 48) + "}",
    "sealed": lambda r: "AgB" + rs(r, B64, 300) + "==",
    "pulumi_secure": lambda r: "v1:" + b64(r, 12) + ":" + b64(r, 40),
    "b64png": lambda r: "iVBORw0KGgoAAAANSUhEUgAAA" + rs(r, B64, 120) + "AAAABJRU5ErkJggg==",
    "sku": lambda r: "%s-%s-%04d" % (rs(r, UP, 3), rs(r, UPDIG, 4), r.randint(0, 9999)),
    "order_no": lambda r: "%d" % r.randint(10**9, 10**12),
    "mac": lambda r: ":".join(rs(r, "0123456789abcdef", 2) for _ in range(6)),
    "serial": lambda r: rs(r, UPDIG, 12),
    "gcp_key_id": lambda r: rs(r, HEX, 40),
    "proj": lambda r: r.choice(WORDS) + "-" + r.choice(NAMES) + "-" + str(r.randint(100000, 999999)),
    "kid": lambda r: rs(r, B64U, 43),
    "b62_6": lambda r: rs(r, ALNUM, 6),
    "hash8": lambda r: rs(r, HEX, 8),
    "az_tenant": ruuid,
    "envname": lambda r: r.choice(
        [
            "API_KEY",
            "SERVICE_TOKEN",
            "DB_PASSWORD",
            "SMTP_PASS",
            "STRIPE_SECRET_KEY",
            "GITHUB_TOKEN",
            "SLACK_BOT_TOKEN",
            "OPENAI_API_KEY",
            "REDIS_PASSWORD",
            "JWT_SECRET",
        ]
    ),
    "expiry": lambda r: "%02d/%02d" % (r.randint(1, 12), r.randint(26, 31)),
    "cvv": lambda r: str(r.randint(100, 999)),
    "amount": lambda r: "%d.%02d" % (r.randint(3, 900), r.randint(0, 99)),
    "amount_cents": lambda r: str(r.randint(300, 90000)),
    "card_last4": lambda r: str(r.randint(1000, 9999)),
}

GEN = {}
GEN.update(VENDOR)
GEN.update(SECRET_OTHER)
GEN.update(FILL)
GEN.update(
    {"email": email, "ip4": ip4, "ip6": ip6, "card": lambda r: fmt_card(r, card_digits(r)), "card_plain": card_digits}
)
VENDOR_FORMATS = set(VENDOR) - GENERIC_SECRET


# ====================================================================== POSITIVE TEMPLATES
POS = []


def P(context, text, lang="en"):
    POS.append((context, lang, textwrap.dedent(text).strip("\n")))


# ---------------------------------------------------------------- source code (>=15 languages)
P(
    "python_source",
    """
import boto3

# rotated by ops in commit ⟪V:sha7⟫, ticket OPS-⟪V:int⟫
s3 = boto3.client(
    "s3",
    aws_access_key_id="⟪S:aws_akid⟫",
    aws_secret_access_key="⟪S:aws_secret⟫",
    region_name="⟪V:region⟫",
)
s3.upload_file("report.csv", "⟪V:bucket⟫", "daily/report.csv")
""",
)
P(
    "python_source",
    """
import requests

GITHUB_TOKEN = "⟪S:gh_pat⟫"
REPO = "⟪V:org⟫/⟪V:repo⟫"
SHA = "⟪V:sha40⟫"  # release commit, not a token

resp = requests.get(
    f"https://api.github.com/repos/{REPO}/commits/{SHA}/status",
    headers={"Authorization": f"token {GITHUB_TOKEN}", "Accept": "application/vnd.github+json"},
    timeout=10,
)
""",
)
P(
    "python_source",
    """
import psycopg2

conn = psycopg2.connect(
    host="⟪I:ip4⟫", port=5432, dbname="⟪V:db⟫",
    user="⟪V:user⟫", password="⟪S:pw⟫",
    sslmode="require",
)
cur = conn.cursor()
# seed admin; stored hash below is bcrypt of the temp password ⟪S:pw_word⟫
cur.execute("INSERT INTO users (login, pw_hash) VALUES (%s, %s)", ("admin", "⟪V:bcrypt⟫"))
""",
)
P(
    "python_source",
    """
import stripe

stripe.api_key = "⟪S:stripe_sk⟫"
STRIPE_PUBLISHABLE_KEY = "⟪V:pk_live⟫"  # fine to ship to the browser


def refund(charge_id="⟪V:stripe_ch⟫", customer="⟪V:stripe_cus⟫"):
    return stripe.Refund.create(charge=charge_id, metadata={"customer": customer})
""",
)
P(
    "django_settings_source",
    """
SECRET_KEY = "⟪S:django_secret⟫"
DEBUG = False
ALLOWED_HOSTS = ["⟪V:domain⟫", "⟪I:ip4⟫"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "⟪V:db⟫",
        "USER": "⟪V:user⟫",
        "PASSWORD": "⟪S:pw⟫",
        "HOST": "⟪V:ip_priv⟫",
    }
}
EMAIL_HOST = "smtp.mailgun.org"
EMAIL_HOST_USER = "⟪E:email⟫"
EMAIL_HOST_PASSWORD = "⟪S:pw⟫"
DEFAULT_FROM_EMAIL = "⟪E:email⟫"
""",
)
P(
    "python_source",
    """
import os
from openai import OpenAI

client = OpenAI(
    api_key="⟪S:openai⟫",
    organization=os.environ.get("OPENAI_ORG_ID"),
)
resp = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "ping"}])
""",
)
P(
    "python_source",
    """
import smtplib
from email.message import EmailMessage

msg = EmailMessage()
msg["From"] = "⟪E:email#from⟫"
msg["To"] = "⟪E:email⟫"
msg["Subject"] = "nightly export finished"
with smtplib.SMTP("smtp.office365.com", 587) as s:
    s.starttls()
    s.login("⟪E:email#from⟫", "⟪S:pw⟫")
    s.send_message(msg)
""",
)
P(
    "javascript_source",
    """
// server/payments.js
const stripe = require('stripe')('⟪S:stripe_sk⟫');
// public key used by checkout.html: ⟪V:pk_live⟫

module.exports.charge = async (amount, customer = '⟪V:stripe_cus⟫') =>
  stripe.paymentIntents.create({ amount, currency: 'eur', customer });
""",
)
P(
    "javascript_source",
    """
const axios = require('axios');

const api = axios.create({
  baseURL: 'http://⟪I:ip4⟫:8080/api/v2',
  timeout: 5000,
  auth: { username: '⟪V:user⟫', password: '⟪S:pw⟫' },
  headers: { 'X-Request-Id': '⟪V:req_id⟫' },
});
""",
)
P(
    "typescript_source",
    """
import sgMail from '@sendgrid/mail';

export const mailConfig = {
  sendgridKey: '⟪S:sendgrid⟫',
  fromEmail: '⟪E:email⟫',
  replyTo: '⟪E:email⟫',
  templateId: 'd-⟪V:md5hex⟫',
};
sgMail.setApiKey(mailConfig.sendgridKey);
""",
)
P(
    "typescript_source",
    """
@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      host: '⟪I:ip4⟫',
      port: 5432,
      username: '⟪V:user⟫',
      password: '⟪S:pw⟫',
      database: '⟪V:db⟫',
      synchronize: false,
    }),
  ],
})
export class AppModule {}
""",
)
P(
    "go_source",
    """
sess, err := session.NewSession(&aws.Config{
	Region:      aws.String("⟪V:region⟫"),
	Credentials: credentials.NewStaticCredentials("⟪S:aws_akid⟫", "⟪S:aws_secret⟫", ""),
})
if err != nil {
	log.Fatalf("aws session: %v", err)
}
""",
)
P(
    "go_source",
    """
rdb := redis.NewClient(&redis.Options{
	Addr:     "⟪I:ip4⟫:6379",
	Password: "⟪S:pw⟫",
	DB:       ⟪V:small⟫,
})
""",
)
P(
    "go_source",
    """
package notify

const (
	slackWebhook = "⟪S:slack_webhook⟫"
	buildCommit  = "⟪V:sha40⟫" // injected by ldflags
	channelID    = "⟪V:slack_chan⟫"
)
""",
)
P(
    "java_source",
    """
String url = "jdbc:mysql://⟪I:ip4⟫:3306/⟪V:db⟫?useSSL=true";
try (Connection conn = DriverManager.getConnection(url, "⟪V:user⟫", "⟪S:pw⟫")) {
    PreparedStatement ps = conn.prepareStatement("SELECT id FROM orders WHERE status = ?");
    ps.setString(1, "PAID");
}
""",
)
P(
    "java_source",
    """
@Bean
public AmazonS3 s3Client() {
    BasicAWSCredentials creds = new BasicAWSCredentials("⟪S:aws_akid⟫", "⟪S:aws_secret⟫");
    return AmazonS3ClientBuilder.standard()
            .withRegion("⟪V:region⟫")
            .withCredentials(new AWSStaticCredentialsProvider(creds))
            .build();
}
""",
)
P(
    "kotlin_source",
    """
private val client = OkHttpClient.Builder()
    .addInterceptor { chain ->
        chain.proceed(chain.request().newBuilder()
            .header("Authorization", "Bearer ⟪S:linear⟫")
            .build())
    }.build()

val retrofit: Retrofit = Retrofit.Builder()
    .baseUrl("https://⟪I:ip4⟫:8443/")
    .client(client)
    .build()
""",
)
P(
    "csharp_source",
    """
var cs = "Server=⟪I:ip4⟫,1433;Database=⟪V:db⟫;User Id=sa;Password=⟪S:pw_url⟫;TrustServerCertificate=True;";
using var conn = new SqlConnection(cs);
await conn.OpenAsync();
""",
)
P(
    "csharp_source",
    """
StripeConfiguration.ApiKey = "⟪S:stripe_sk⟫";
var publishable = "⟪V:pk_live⟫"; // rendered into the Razor view
var service = new PaymentIntentService();
var intent = await service.GetAsync("⟪V:stripe_pi⟫");
""",
)
P(
    "ruby_source",
    """
client = Octokit::Client.new(access_token: "⟪S:gh_pat⟫")
client.create_status("⟪V:org⟫/⟪V:repo⟫", "⟪V:sha40⟫", "success", context: "ci/deploy")
""",
)
P(
    "ruby_source",
    """
account_sid = "⟪V:twilio_ac⟫"   # Account SID (identifier)
auth_token  = "⟪S:twilio_token⟫"
@client = Twilio::REST::Client.new(account_sid, auth_token)
@client.messages.create(from: "+15005550006", to: ENV["ONCALL_PHONE"], body: "disk > 90%")
""",
)
P(
    "php_source",
    """
<?php
$pdo = new PDO("mysql:host=⟪I:ip4⟫;dbname=⟪V:db⟫;charset=utf8mb4", "⟪V:user⟫", "⟪S:pw⟫");

$mail = new PHPMailer(true);
$mail->isSMTP();
$mail->Host = 'smtp.gmail.com';
$mail->SMTPAuth = true;
$mail->Username = '⟪E:email⟫';
$mail->Password = '⟪S:pw_lphrase⟫';
""",
)
P(
    "php_source",
    """
<?php
// config/payments.php
\\Stripe\\Stripe::setApiKey('⟪S:stripe_sk⟫');
define('STRIPE_PK', '⟪V:pk_live⟫');
define('STRIPE_WEBHOOK_SECRET', '⟪S:stripe_whsec⟫');
""",
)
P(
    "rust_source",
    """
const API_KEY: &str = "⟪S:anthropic⟫";

let res = reqwest::Client::new()
    .post("https://api.anthropic.com/v1/messages")
    .header("x-api-key", API_KEY)
    .header("anthropic-version", "2023-06-01")
    .send()
    .await?;
""",
)
P(
    "rust_source",
    """
let pool = PgPoolOptions::new()
    .max_connections(⟪V:int⟫)
    .connect("postgres://⟪V:user⟫:⟪S:pw_url⟫@⟪I:ip4⟫:5432/⟪V:db⟫")
    .await?;
""",
)
P(
    "swift_source",
    """
let apiKey = "⟪S:google_api⟫"
var request = URLRequest(url: URL(string: "https://maps.googleapis.com/maps/api/geocode/json?key=\\(apiKey)")!)
request.setValue("Bearer ⟪S:jwt⟫", forHTTPHeaderField: "Authorization")
""",
)
P(
    "scala_source",
    """
val spark = SparkSession.builder.appName("⟪V:app⟫").getOrCreate()
spark.sparkContext.hadoopConfiguration.set("fs.s3a.access.key", "⟪S:aws_akid⟫")
spark.sparkContext.hadoopConfiguration.set("fs.s3a.secret.key", "⟪S:aws_secret⟫")
val df = spark.read.parquet("s3a://⟪V:bucket⟫/events/")
""",
)
P(
    "elixir_source",
    """
config :my_app, MyApp.Repo,
  username: "⟪V:user⟫",
  password: "⟪S:pw⟫",
  hostname: "⟪I:ip4⟫",
  database: "⟪V:db⟫",
  pool_size: 10

config :my_app, MyAppWeb.Endpoint,
  secret_key_base: "⟪S:hex64⟫"
""",
)
P(
    "perl_source",
    """
my $dbh = DBI->connect("dbi:Pg:dbname=⟪V:db⟫;host=⟪I:ip4⟫;port=5432",
                       "⟪V:user⟫", "⟪S:pw⟫", { RaiseError => 1, AutoCommit => 0 })
    or die $DBI::errstr;
""",
)
P(
    "bash_source",
    """
#!/usr/bin/env bash
set -euo pipefail
# nightly backup upload
TOKEN='⟪S:digitalocean⟫'
curl -sf -u '⟪V:user⟫:⟪S:pw_url⟫' "https://⟪I:ip4⟫/backup/upload" -F file=@/var/backups/db.sql.gz
curl -s -H "Authorization: Bearer $TOKEN" https://api.digitalocean.com/v2/droplets
""",
)
P(
    "powershell_source",
    """
$secure = ConvertTo-SecureString "⟪S:pw⟫" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ("CORP\\svc_sql", $secure)
Invoke-Command -ComputerName ⟪I:ip4⟫ -Credential $cred -ScriptBlock { Get-Service MSSQLSERVER }
""",
)
P(
    "r_source",
    """
Sys.setenv(
  AWS_ACCESS_KEY_ID = "⟪S:aws_akid⟫",
  AWS_SECRET_ACCESS_KEY = "⟪S:aws_secret⟫",
  AWS_DEFAULT_REGION = "⟪V:region⟫"
)
con <- dbConnect(RPostgres::Postgres(), host = "⟪I:ip4⟫", user = "⟪V:user⟫",
                 password = "⟪S:pw⟫", dbname = "⟪V:db⟫")
""",
)
P(
    "dart_source",
    """
const String openWeatherKey = '⟪S:hex32⟫';
// anon key is public; the service role key below must never ship in the app!
const String supabaseServiceRole = '⟪S:supabase_service⟫';
final uri = Uri.parse('https://api.openweathermap.org/data/2.5/weather?q=Berlin&appid=$openWeatherKey');
""",
)
P(
    "cpp_source",
    """
curl_easy_setopt(curl, CURLOPT_URL, "ftp://⟪I:ip4⟫/upload/firmware.bin");
curl_easy_setopt(curl, CURLOPT_USERPWD, "firmware:⟪S:pw_url⟫");
curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
""",
)
P(
    "lua_source",
    """
local red = redis:new()
red:set_timeouts(1000, 1000, 1000)
local ok, err = red:connect("⟪I:ip4⟫", 6379)
local res, err = red:auth("⟪S:pw⟫")
""",
)
P(
    "groovy_source",
    """
pipeline {
  agent any
  stages {
    stage('push') {
      steps {
        // TODO use withCredentials(credentialsId: 'dockerhub-bot') instead
        sh "docker login -u acmebot -p ⟪S:dockerhub⟫ registry-1.docker.io"
        sh "docker push acme/⟪V:app⟫:⟪V:sha7⟫"
      }
    }
  }
}
""",
)
P(
    "haskell_source",
    """
connInfo :: ConnectInfo
connInfo = defaultConnectInfo
  { connectHost     = "⟪I:ip4⟫"
  , connectUser     = "⟪V:user⟫"
  , connectPassword = "⟪S:pw⟫"
  , connectDatabase = "⟪V:db⟫"
  }
""",
)
P(
    "clojure_source",
    """
(def db-spec {:dbtype   "postgresql"
              :host     "⟪I:ip4⟫"
              :dbname   "⟪V:db⟫"
              :user     "⟪V:user⟫"
              :password "⟪S:pw⟫"})
""",
)
P(
    "java_source",
    """
MongoClientSettings settings = MongoClientSettings.builder()
    .applyConnectionString(new ConnectionString("mongodb://⟪I:ip4⟫:27017"))
    .credential(MongoCredential.createScramSha256Credential("⟪V:user⟫", "admin", "⟪S:pw⟫".toCharArray()))
    .build();
""",
)
P(
    "python_source",
    """
import discord

APPLICATION_ID = ⟪V:aws_acct⟫  # public
intents = discord.Intents.default()
client = discord.Client(intents=intents)
client.run("⟪S:discord⟫")
""",
)
P(
    "python_source",
    """
# -*- coding: utf-8 -*-
# бот для уведомлений о деплое
from telegram.ext import Updater

updater = Updater("⟪S:telegram⟫", use_context=True)
CHAT_ID = -100⟪V:aws_acct⟫
updater.bot.send_message(CHAT_ID, "deploy ⟪V:sha7⟫ ok")
""",
)
P(
    "gcp_service_account_json",
    r"""
{
  "type": "service_account",
  "project_id": "⟪V:proj⟫",
  "private_key_id": "⟪V:gcp_key_id⟫",
  "private_key": "⟪S:pem_pkcs8_json⟫\n",
  "client_email": "⟪E:email⟫",
  "client_id": "1⟪V:aws_acct⟫⟪V:aws_acct⟫",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
)
P(
    "go_source",
    """
var jwtKey = []byte("⟪S:pw_rand⟫")

// example token issued in staging, still valid for 30 days:
// ⟪S:jwt⟫
func sign(claims jwt.MapClaims) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(jwtKey)
}
""",
)
P(
    "python_source",
    """
import paramiko

ssh = paramiko.SSHClient()
# host key ⟪V:fp_sha256⟫ verified manually
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
ssh.connect("⟪I:ip4⟫", port=22, username="root", password="⟪S:pw⟫", timeout=8)
""",
)
P(
    "kotlin_gradle_source",
    """
android {
    defaultConfig {
        buildConfigField("String", "MAPS_API_KEY", "\\"⟪S:google_api⟫\\"")
    }
    signingConfigs {
        create("release") {
            storeFile = file("release.jks")
            storePassword = "⟪S:pw⟫"
            keyAlias = "upload"
            keyPassword = "⟪S:pw⟫"
        }
    }
}
""",
)
P(
    "typescript_source",
    """
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic({ apiKey: '⟪S:anthropic⟫', maxRetries: 2 });
const pinecone = new Pinecone({ apiKey: '⟪S:pinecone⟫' });
""",
)
P(
    "python_source",
    """
from huggingface_hub import login, snapshot_download

login(token="⟪S:hf⟫")
snapshot_download("⟪V:org⟫/⟪V:repo⟫", revision="⟪V:sha40⟫")
""",
)
P(
    "javascript_source",
    """
const mailgun = new Mailgun(formData);
const mg = mailgun.client({ username: 'api', key: '⟪S:mailgun⟫', url: 'https://api.eu.mailgun.net' });
await mg.messages.create('mg.⟪V:domain⟫', { from: '⟪E:email⟫', to: ['⟪E:email⟫'], subject: 'Invoice ready' });
""",
)
P(
    "python_source",
    """
from datadog import initialize, api

options = {
    "api_key": "⟪S:datadog_api⟫",
    "app_key": "⟪S:datadog_app⟫",
    "api_host": "https://api.datadoghq.eu",
}
initialize(**options)
""",
)
P(
    "ruby_source",
    """
Sidekiq.configure_server do |config|
  config.redis = { url: "redis://:⟪S:pw_url⟫@⟪I:ip4⟫:6379/0", network_timeout: 5 }
end
""",
)
P(
    "go_source",
    """
client := twilio.NewRestClientWithParams(twilio.ClientParams{
	Username: "⟪V:twilio_ac⟫",
	Password: "⟪S:twilio_token⟫",
})
params := &openapi.CreateMessageParams{}
params.SetMessagingServiceSid("⟪V:twilio_mg⟫")
""",
)
P(
    "python_source",
    """
import oss2
# 阿里云 OSS 上传
auth = oss2.Auth("⟪S:alibaba_id⟫", "⟪S:alibaba_secret⟫")
bucket = oss2.Bucket(auth, "https://oss-cn-hangzhou.aliyuncs.com", "⟪V:bucket⟫")
""",
)
P(
    "javascript_source",
    """
// algolia: search key is public, admin key must stay on the server
const searchClient = algoliasearch('⟪V:algolia_app#a⟫', '⟪V:algolia_search⟫');
const adminClient = algoliasearch('⟪V:algolia_app#a⟫', '⟪S:algolia_admin⟫');
""",
)
P(
    "python_source",
    """
from notion_client import Client
from linear import LinearClient

notion = Client(auth="⟪S:notion⟫")
linear = LinearClient("⟪S:linear⟫")
FIGMA_TOKEN = "⟪S:figma⟫"
""",
)

# ---------------------------------------------------------------- config files (>=30 tools)
P(
    "dotenv_config",
    """
APP_NAME=Shop
APP_ENV=production
APP_KEY=⟪S:laravel_key⟫
APP_URL=https://⟪V:domain⟫

DB_CONNECTION=mysql
DB_HOST=⟪I:ip4⟫
DB_DATABASE=⟪V:db⟫
DB_USERNAME=⟪V:user⟫
DB_PASSWORD=⟪S:pw⟫

MAIL_USERNAME=⟪E:email⟫
MAIL_PASSWORD=⟪S:pw_lphrase⟫
STRIPE_KEY=⟪V:pk_live⟫
STRIPE_SECRET=⟪S:stripe_sk⟫
""",
)
P(
    "dotenv_config",
    """
NODE_ENV=production
DATABASE_URL=postgresql://⟪V:user⟫:⟪S:pw_url⟫@⟪V:host⟫:5432/⟪V:db⟫
REDIS_URL=redis://default:⟪S:pw_url⟫@⟪I:ip4⟫:6379
JWT_SECRET=⟪S:hex64⟫
NEXT_PUBLIC_MAPBOX_TOKEN=⟪V:mapbox_pk⟫
MAPBOX_SECRET_TOKEN=⟪S:mapbox_sk⟫
SENTRY_AUTH_TOKEN=⟪S:sentry_user⟫
""",
)
P(
    "nginx_config",
    """
upstream backend {
    server ⟪I:ip4⟫:8080 max_fails=3;
    server ⟪V:ip_priv⟫:8080 backup;
}
server {
    listen 443 ssl;
    server_name ⟪V:domain⟫;
    allow ⟪I:ip4⟫;
    deny all;
    location /internal/ {
        proxy_set_header Authorization "Basic ⟪S:basic⟫";
        proxy_pass http://backend;
    }
}
""",
)
P(
    "apache_config",
    """
<VirtualHost *:443>
    ServerName ⟪V:domain⟫
    SetEnv DB_PASS "⟪S:pw⟫"
    ProxyPass /api http://⟪I:ip4⟫:9000/api
    ProxyPassReverse /api http://⟪I:ip4⟫:9000/api
    Require ip ⟪I:ip4⟫
</VirtualHost>
""",
)
P(
    "pgpass_config",
    """
# hostname:port:database:username:password
⟪I:ip4⟫:5432:⟪V:db⟫:⟪V:user⟫:⟪S:pw_url⟫
⟪V:host⟫:5432:*:replicator:⟪S:pw_url⟫
""",
)
P(
    "pgbouncer_config",
    """
;; userlist.txt - md5 entries are hashes, plain ones are passwords
"⟪V:user⟫" "⟪S:pw_url⟫"
"readonly" "⟪V:md5pg⟫"
"monitor" "⟪V:scram⟫"
""",
)
P(
    "mysql_config",
    """
[client]
user=⟪V:user⟫
password="⟪S:pw⟫"
host=⟪I:ip4⟫
port=3306

[mysqldump]
user=backup
password="⟪S:pw⟫"
""",
)
P(
    "redis_config",
    """
bind 127.0.0.1 ⟪V:ip_priv⟫
port 6379
requirepass ⟪S:pw_rand⟫
masterauth ⟪S:pw_rand⟫
replicaof ⟪I:ip4⟫ 6379
""",
)
P(
    "mongod_config",
    """
net:
  port: 27017
  bindIp: 127.0.0.1,⟪V:ip_priv⟫
security:
  authorization: enabled
  keyFile: /etc/mongo/keyfile
# app uri
# mongodb://⟪V:user⟫:⟪S:pw_url⟫@⟪I:ip4⟫:27017/⟪V:db⟫?authSource=admin&replicaSet=rs0
""",
)
P(
    "rabbitmq_config",
    """
listeners.tcp.default = 5672
default_user = ⟪V:user⟫
default_pass = ⟪S:pw⟫
management.tcp.ip = ⟪I:ip4⟫
# definitions.json stores password_hash "⟪V:b64_32⟫" for the monitoring user
""",
)
P(
    "kafka_config",
    """
KafkaServer {
    org.apache.kafka.common.security.plain.PlainLoginModule required
    username="broker"
    password="⟪S:pw⟫"
    user_broker="⟪S:pw⟫"
    user_⟪V:app⟫="⟪S:pw⟫";
};
""",
)
P(
    "kibana_config",
    """
server.host: "0.0.0.0"
elasticsearch.hosts: ["https://⟪I:ip4⟫:9200"]
elasticsearch.username: "kibana_system"
elasticsearch.password: "⟪S:pw⟫"
xpack.encryptedSavedObjects.encryptionKey: "⟪S:hex32⟫"
""",
)
P(
    "grafana_config",
    """
[security]
admin_user = admin
admin_password = ⟪S:pw⟫
secret_key = ⟪S:pw_rand⟫

[smtp]
enabled = true
host = smtp.sendgrid.net:587
user = apikey
password = ⟪S:sendgrid⟫
from_address = ⟪E:email⟫
""",
)
P(
    "alertmanager_config",
    """
global:
  smtp_smarthost: 'smtp.gmail.com:587'
  smtp_from: '⟪E:email#a⟫'
  smtp_auth_username: '⟪E:email#a⟫'
  smtp_auth_password: '⟪S:pw_lphrase⟫'
  slack_api_url: '⟪S:slack_webhook⟫'
receivers:
  - name: oncall
    email_configs:
      - to: '⟪E:email⟫'
""",
)
P(
    "docker_config",
    """
{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "⟪S:docker_auth⟫"
    },
    "ghcr.io": {
      "auth": "⟪S:basic⟫"
    }
  },
  "credsStore": ""
}
""",
)
P(
    "npmrc_config",
    """
@⟪V:org⟫:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟪S:gh_pat⟫
//registry.npmjs.org/:_authToken=⟪S:npm⟫
always-auth=true
""",
)
P(
    "pypirc_config",
    """
[distutils]
index-servers =
    pypi
    internal

[pypi]
username = __token__
password = ⟪S:pypi⟫

[internal]
repository = https://⟪I:ip4⟫/simple/
username = ⟪V:user⟫
password = ⟪S:pw⟫
""",
)
P(
    "maven_config",
    """
<settings>
  <servers>
    <server>
      <id>nexus-releases</id>
      <username>⟪V:user⟫</username>
      <password>⟪S:pw_url⟫</password>
    </server>
    <server>
      <id>artifactory</id>
      <username>ci</username>
      <password>⟪S:jfrog⟫</password>
    </server>
  </servers>
</settings>
""",
)
P(
    "gradle_config",
    """
signing.keyId=⟪V:hash8⟫
signing.password=⟪S:pw⟫
signing.secretKeyRingFile=/home/ci/.gnupg/secring.gpg
ossrhUsername=⟪V:user⟫
ossrhPassword=⟪S:pw⟫
org.gradle.jvmargs=-Xmx2g
""",
)
P(
    "netrc_config",
    """
machine api.heroku.com
  login ⟪E:email#h⟫
  password ⟪S:heroku⟫
machine git.heroku.com
  login ⟪E:email#h⟫
  password ⟪S:heroku⟫
""",
)
P(
    "git_credentials_config",
    """
https://⟪V:user⟫:⟪S:gh_pat⟫@github.com
https://oauth2:⟪S:glpat⟫@gitlab.⟪V:domain⟫
""",
)
P(
    "wpa_supplicant_config",
    """
ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
country=DE
network={
    ssid="⟪V:org⟫-office"
    psk="⟪S:pw_lphrase⟫"
    key_mgmt=WPA-PSK
}
network={
    ssid="⟪V:org⟫-guest"
    psk="⟪S:pw_phrase⟫"
}
""",
)
P(
    "hostapd_config",
    """
interface=wlan0
ssid=lab-⟪V:hex4⟫
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=⟪S:pw_lphrase⟫
rsn_pairwise=CCMP
""",
)
P(
    "openvpn_config",
    """
client
dev tun
remote ⟪I:ip4⟫ 1194 udp
auth-user-pass creds.txt
key-direction 1
<tls-auth>
⟪S:openvpn_key⟫
</tls-auth>
""",
)
P(
    "wireguard_config",
    """
[Interface]
PrivateKey = ⟪S:wireguard_priv⟫
Address = 10.⟪V:small⟫.0.2/24
DNS = ⟪I:ip_dns⟫

[Peer]
PublicKey = ⟪V:wg_pub⟫
PresharedKey = ⟪S:b64_32⟫
Endpoint = ⟪I:ip4⟫:51820
AllowedIPs = 0.0.0.0/0
""",
)
P(
    "strongswan_config",
    """
# /etc/ipsec.secrets
⟪I:ip4⟫ ⟪I:ip4⟫ : PSK "⟪S:pw_rand⟫"
: RSA moon.key
""",
)
P(
    "postfix_config",
    """
# /etc/postfix/sasl_passwd
[smtp.sendgrid.net]:587 apikey:⟪S:sendgrid⟫
[smtp.mailgun.org]:587 ⟪E:email⟫:⟪S:pw⟫
""",
)
P(
    "msmtp_config",
    """
account default
host smtp.fastmail.com
port 465
tls on
from ⟪E:email#m⟫
user ⟪E:email#m⟫
password ⟪S:pw_phrase⟫
""",
)
P(
    "rclone_config",
    """
[s3-backup]
type = s3
provider = AWS
access_key_id = ⟪S:aws_akid⟫
secret_access_key = ⟪S:aws_secret⟫
region = ⟪V:region⟫

[b2]
type = b2
account = ⟪V:hex16⟫
key = ⟪S:b2_key⟫
""",
)
P(
    "aws_credentials_config",
    """
[default]
aws_access_key_id = ⟪S:aws_akid⟫
aws_secret_access_key = ⟪S:aws_secret⟫

[prod-readonly]
aws_access_key_id = ⟪S:aws_asia⟫
aws_secret_access_key = ⟪S:aws_secret⟫
aws_session_token = ⟪S:aws_session⟫
""",
)
P(
    "kubeconfig_config",
    """
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://⟪I:ip4⟫:6443
    insecure-skip-tls-verify: true
  name: prod
users:
- name: admin
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t⟪V:b64_32⟫
    client-key-data: ⟪S:kube_key_data⟫
- name: ci
  user:
    token: ⟪S:jwt⟫
""",
)
P(
    "terraform_tfvars_config",
    """
region               = "⟪V:region⟫"
db_username          = "⟪V:user⟫"
db_password          = "⟪S:pw⟫"
cloudflare_api_token = "⟪S:cloudflare⟫"
allowed_cidrs        = ["⟪V:ip_priv⟫/32"]
bastion_ip           = "⟪I:ip4⟫"
""",
)
P(
    "ansible_inventory_config",
    """
[web]
web1 ansible_host=⟪I:ip4⟫ ansible_user=deploy ansible_password=⟪S:pw⟫
web2 ansible_host=⟪I:ip4⟫ ansible_user=deploy ansible_password=⟪S:pw⟫

[db]
db1 ansible_host=⟪V:ip_priv⟫ ansible_become_pass=⟪S:pw_url⟫
""",
)
P(
    "consul_config",
    """
acl {
  enabled = true
  default_policy = "deny"
  tokens {
    initial_management = "⟪S:consul⟫"
    agent = "⟪S:consul⟫"
  }
}
encrypt = "⟪S:b64_32⟫"
retry_join = ["⟪I:ip4⟫"]
""",
)
P(
    "traefik_config",
    """
http:
  middlewares:
    dashboard-auth:
      basicAuth:
        users:
          - "admin:⟪V:apr1⟫"
providers:
  docker: {}
certificatesResolvers:
  le:
    acme:
      email: ⟪E:email⟫
      dnsChallenge:
        provider: cloudflare
# CF_DNS_API_TOKEN=⟪S:cloudflare⟫
""",
)
P(
    "haproxy_config",
    """
listen stats
    bind ⟪I:ip4⟫:8404
    stats enable
    stats uri /stats
    stats auth admin:⟪S:pw_url⟫
backend app
    server app1 ⟪V:ip_priv⟫:8080 check
""",
)
P(
    "supervisord_config",
    """
[inet_http_server]
port=⟪I:ip4⟫:9001
username=admin
password=⟪S:pw⟫

[program:worker]
command=/opt/app/bin/worker --token ⟪S:hex40⟫
""",
)
P(
    "keepalived_config",
    """
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    authentication {
        auth_type PASS
        auth_pass ⟪S:pw_url⟫
    }
    virtual_ipaddress {
        ⟪I:ip4⟫/24
    }
}
""",
)
P(
    "freeradius_config",
    """
client office-ap {
    ipaddr = ⟪I:ip4⟫
    secret = ⟪S:pw_rand⟫
    shortname = ap-⟪V:hex4⟫
}
client vpn {
    ipaddr = ⟪V:ip_priv⟫
    secret = ⟪S:pw_lphrase⟫
}
""",
)
P(
    "snmpd_config",
    """
agentAddress udp:161
rocommunity ⟪S:pw_url⟫ ⟪I:ip4⟫
rwcommunity ⟪S:pw_url⟫ ⟪V:ip_priv⟫
sysLocation rack B4
""",
)
P(
    "bind_config",
    """
key "transfer-key" {
    algorithm hmac-sha256;
    secret "⟪S:tsig⟫";
};
server ⟪I:ip4⟫ {
    keys { "transfer-key"; };
};
""",
)
P(
    "wordpress_config",
    """
<?php
define( 'DB_NAME', '⟪V:db⟫' );
define( 'DB_USER', '⟪V:user⟫' );
define( 'DB_PASSWORD', '⟪S:pw⟫' );
define( 'DB_HOST', '⟪I:ip4⟫' );
define( 'AUTH_KEY',         '⟪S:pw_rand⟫' );
define( 'SECURE_AUTH_KEY',  '⟪S:pw_rand⟫' );
""",
)
P(
    "rails_database_config",
    """
production:
  adapter: postgresql
  host: ⟪I:ip4⟫
  database: ⟪V:db⟫
  username: ⟪V:user⟫
  password: "⟪S:pw⟫"
  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>
# config/master.key: ⟪S:rails_master⟫
""",
)
P(
    "spring_config",
    """
spring.datasource.url=jdbc:postgresql://⟪I:ip4⟫:5432/⟪V:db⟫
spring.datasource.username=⟪V:user⟫
spring.datasource.password=⟪S:pw⟫
spring.mail.username=⟪E:email⟫
spring.mail.password=⟪S:pw_lphrase⟫
jwt.secret=⟪S:b64_32⟫
management.endpoints.web.exposure.include=health
""",
)
P(
    "aspnet_appsettings_config",
    """
{
  "ConnectionStrings": {
    "Default": "Server=⟪I:ip4⟫;Database=⟪V:db⟫;User Id=⟪V:user⟫;Password=⟪S:pw_url⟫;"
  },
  "Stripe": {
    "PublishableKey": "⟪V:pk_live⟫",
    "SecretKey": "⟪S:stripe_sk⟫",
    "WebhookSecret": "⟪S:stripe_whsec⟫"
  },
  "AllowedHosts": "*"
}
""",
)
P(
    "logstash_config",
    """
output {
  elasticsearch {
    hosts => ["https://⟪I:ip4⟫:9200"]
    user => "logstash_writer"
    password => "⟪S:pw⟫"
    index => "app-%{+YYYY.MM.dd}"
  }
}
""",
)
P(
    "fluentd_config",
    """
<match app.**>
  @type s3
  aws_key_id ⟪S:aws_akid⟫
  aws_sec_key ⟪S:aws_secret⟫
  s3_bucket ⟪V:bucket⟫
  s3_region ⟪V:region⟫
</match>
""",
)
P(
    "telegraf_config",
    """
[[outputs.influxdb_v2]]
  urls = ["http://⟪I:ip4⟫:8086"]
  token = "⟪S:b64_32⟫"
  organization = "⟪V:org⟫"
  bucket = "metrics"

[[inputs.mysql]]
  servers = ["monitor:⟪S:pw_url⟫@tcp(⟪V:ip_priv⟫:3306)/"]
""",
)
P(
    "filebeat_config",
    """
cloud.id: "prod:⟪V:b64_32⟫"
cloud.auth: "elastic:⟪S:pw_url⟫"
output.logstash:
  hosts: ["⟪I:ip4⟫:5044"]
""",
)
P(
    "jenkins_casc_config",
    """
jenkins:
  securityRealm:
    local:
      users:
        - id: admin
          password: "⟪S:pw⟫"
credentials:
  system:
    domainCredentials:
      - credentials:
          - string:
              id: github-token
              secret: "${GITHUB_TOKEN}"
          - string:
              id: sonar-token
              secret: "⟪S:sonar⟫"
""",
)
P(
    "dovecot_config",
    """
# /etc/dovecot/users
⟪E:email⟫:{PLAIN}⟪S:pw_url⟫:5000:5000::/var/mail/vhosts
⟪E:email⟫:⟪V:sha512crypt⟫:5000:5000::/var/mail/vhosts
""",
)
P(
    "fetchmail_config",
    """
poll imap.gmail.com protocol IMAP
    user "⟪E:email⟫" there with password "⟪S:pw_phrase⟫" is "⟪V:user⟫" here
    ssl keep
""",
)
P(
    "pip_config",
    """
[global]
index-url = https://⟪V:user⟫:⟪S:pw_url⟫@⟪V:host⟫/repository/pypi/simple
extra-index-url = https://__token__:⟪S:glpat⟫@gitlab.com/api/v4/projects/⟪V:int⟫/packages/pypi/simple
""",
)
P(
    "composer_config",
    """
{
    "github-oauth": {
        "github.com": "⟪S:gh_oauth⟫"
    },
    "http-basic": {
        "repo.packagist.com": {
            "username": "token",
            "password": "⟪S:hex64⟫"
        }
    }
}
""",
)
P(
    "cargo_config",
    """
[registry]
token = "⟪S:crates⟫"

[registries.internal]
index = "sparse+https://⟪V:host⟫/cargo/"
token = "Bearer ⟪S:jfrog⟫"
""",
)
P(
    "gem_credentials_config",
    """
---
:rubygems_api_key: ⟪S:rubygems⟫
:github: Bearer ⟪S:gh_pat⟫
""",
)
P(
    "nuget_config",
    """
<configuration>
  <packageSourceCredentials>
    <github>
      <add key="Username" value="⟪V:user⟫" />
      <add key="ClearTextPassword" value="⟪S:gh_pat⟫" />
    </github>
  </packageSourceCredentials>
  <apikeys>
    <add key="https://api.nuget.org/v3/index.json" value="⟪S:nuget⟫" />
  </apikeys>
</configuration>
""",
)
P(
    "docker_compose_config",
    """
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ⟪V:user⟫
      POSTGRES_PASSWORD: ⟪S:pw⟫
  mysql:
    image: mysql:8.4
    environment:
      MYSQL_ROOT_PASSWORD: "⟪S:pw⟫"
      MYSQL_PASSWORD: ${MYSQL_PASSWORD}
  api:
    image: ghcr.io/⟪V:org⟫/api@⟪V:digest⟫
    environment:
      - STRIPE_SECRET_KEY=⟪S:stripe_sk_test⟫
""",
)
P(
    "dockerfile_config",
    """
FROM node:20-alpine
LABEL org.opencontainers.image.revision="⟪V:sha40⟫"
ARG NPM_TOKEN=⟪S:npm⟫
ENV SENTRY_DSN=⟪X:sentry_dsn⟫
ENV OPENAI_API_KEY=⟪S:openai⟫
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
""",
)
P(
    "datadog_agent_config",
    """
api_key: ⟪S:datadog_api⟫
site: datadoghq.eu
hostname: ⟪V:host⟫
logs_enabled: true
process_config:
  enabled: "true"
""",
)
P(
    "samba_credentials_config",
    """
username=⟪V:user⟫
password=⟪S:pw⟫
domain=CORP
# mount: //⟪I:ip4⟫/share /mnt/share cifs credentials=/root/.smbcred
""",
)

# ---------------------------------------------------------------- CI / IaC / Kubernetes
P(
    "github_actions_workflow",
    """
name: release
on: { push: { tags: ['v*'] } }
jobs:
  publish:
    runs-on: ubuntu-latest
    env:
      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
      SLACK_WEBHOOK: ⟪S:slack_webhook⟫
      CODECOV_TOKEN: ⟪S:uuid⟫
    steps:
      - uses: actions/checkout@⟪V:sha40⟫
      - run: npm publish
""",
)
P(
    "gitlab_ci_workflow",
    """
variables:
  DOCKER_DRIVER: overlay2
  SONAR_TOKEN: "⟪S:sonar⟫"
  DEPLOY_HOST: "⟪I:ip4⟫"

deploy:
  stage: deploy
  script:
    - echo "⟪S:glpat⟫" | docker login registry.gitlab.com -u ci --password-stdin
    - ssh -o StrictHostKeyChecking=no deploy@$DEPLOY_HOST "./deploy.sh $CI_COMMIT_SHA"
""",
)
P(
    "circleci_workflow",
    """
version: 2.1
jobs:
  deploy:
    docker:
      - image: cimg/python:3.12
        auth:
          username: acmebot
          password: ⟪S:dockerhub⟫
    environment:
      AWS_ACCESS_KEY_ID: ⟪S:aws_akid⟫
      AWS_SECRET_ACCESS_KEY: ⟪S:aws_secret⟫
""",
)
P(
    "travis_workflow",
    """
language: ruby
env:
  global:
    - secure: "⟪V:b64_32⟫"
    - HEROKU_API_KEY=⟪S:heroku⟫
deploy:
  provider: rubygems
  api_key: ⟪S:rubygems⟫
""",
)
P(
    "bitbucket_pipelines_workflow",
    """
pipelines:
  branches:
    main:
      - step:
          script:
            - pipe: atlassian/ssh-run:0.8.0
              variables:
                SSH_USER: 'deploy'
                SERVER: '⟪I:ip4⟫'
            - curl -u "ci-bot:⟪S:atlassian⟫" https://⟪V:org⟫.atlassian.net/rest/api/3/myself
""",
)
P(
    "azure_pipelines_workflow",
    """
variables:
  - group: prod-secrets
  - name: AZURE_STORAGE_KEY
    value: '⟪S:azure_storage⟫'
steps:
  - script: az storage blob upload-batch -d '$web' -s dist --account-name ⟪V:org⟫web --account-key $(AZURE_STORAGE_KEY)
  - script: curl -u :⟪S:azure_devops_pat⟫ https://dev.azure.com/⟪V:org⟫/_apis/projects
""",
)
P(
    "terraform_source",
    """
provider "aws" {
  region     = "⟪V:region⟫"
  access_key = "⟪S:aws_akid⟫"
  secret_key = "⟪S:aws_secret⟫"
}

provider "github" {
  owner = "⟪V:org⟫"
  token = "⟪S:gh_fine⟫"
}
""",
)
P(
    "terraform_source",
    """
resource "aws_db_instance" "main" {
  identifier        = "⟪V:db⟫"
  engine            = "postgres"
  instance_class    = "db.t3.medium"
  username          = "⟪V:user⟫"
  password          = "⟪S:pw⟫"
  vpc_security_group_ids = ["⟪V:sg_id⟫"]
}

provider "datadog" {
  api_key = "⟪S:datadog_api⟫"
  app_key = "⟪S:datadog_app⟫"
}
""",
)
P(
    "cloudformation_template",
    """
Parameters:
  DBPassword:
    Type: String
    NoEcho: true
    Default: "⟪S:pw⟫"
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUsername: ⟪V:user⟫
      MasterUserPassword: !Ref DBPassword
      VPCSecurityGroups: [⟪V:sg_id⟫]
""",
)
P(
    "pulumi_config",
    """
config:
  aws:region: ⟪V:region⟫
  app:dbPassword:
    secure: ⟪V:pulumi_secure⟫
  app:stripeKey: ⟪S:stripe_rk⟫
  app:pulumiAccessToken: ⟪S:pulumi⟫
""",
)
P(
    "k8s_manifest",
    """
apiVersion: v1
kind: Secret
metadata:
  name: ⟪V:app⟫-secrets
type: Opaque
stringData:
  DATABASE_PASSWORD: "⟪S:pw⟫"
  SENDGRID_API_KEY: "⟪S:sendgrid⟫"
  PUBLIC_BASE_URL: "https://⟪V:domain⟫"
""",
)
P(
    "k8s_manifest",
    """
apiVersion: v1
kind: Secret
metadata:
  name: registry-creds
  annotations:
    kubectl.kubernetes.io/last-applied-by: ⟪V:uuid⟫
data:
  username: ZGVwbG95
  password: ⟪S:b64_32⟫
  tls.key: ⟪S:kube_key_data⟫
""",
)
P(
    "helm_values",
    """
postgresql:
  auth:
    username: ⟪V:user⟫
    password: "⟪S:pw⟫"
    postgresPassword: "⟪S:pw⟫"
    existingSecret: ""
redis:
  auth:
    existingSecret: redis-auth
    existingSecretPasswordKey: password
ingress:
  hosts: [⟪V:domain⟫]
""",
)
P(
    "k8s_manifest",
    """
containers:
  - name: api
    image: ghcr.io/⟪V:org⟫/api@⟪V:digest⟫
    env:
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef: { name: db, key: password }
      - name: SLACK_BOT_TOKEN
        value: "⟪S:slack_bot⟫"
      - name: SLACK_APP_TOKEN
        value: "⟪S:slack_app⟫"
""",
)
P(
    "serverless_config",
    """
service: ⟪V:app⟫
provider:
  name: aws
  runtime: nodejs20.x
  environment:
    TABLE: orders
    SHOPIFY_TOKEN: ⟪S:shopify⟫
    SHOPIFY_API_SECRET: ⟪S:shopify_ss⟫
    PARAM_REF: ${ssm:/prod/shopify/secret}
""",
)
P(
    "ansible_playbook",
    """
- hosts: dbservers
  become: true
  vars:
    mysql_root_password: "⟪S:pw⟫"
    app_db_password: "{{ vault_app_db_password }}"
    replication_source: ⟪I:ip4⟫
  tasks:
    - name: create app user
      community.mysql.mysql_user:
        name: app
        password: "⟪S:pw⟫"
        host: "%"
""",
)

# ---------------------------------------------------------------- shell sessions / histories
P(
    "shell_history",
    """
  501  ssh ⟪X:ssh_target⟫
  502  mysql -u root -p⟪S:pw_url⟫ -h ⟪I:ip4⟫ ⟪V:db⟫
  503  export GITHUB_TOKEN=⟪S:gh_pat⟫
  504  gh pr list --repo ⟪V:org⟫/⟪V:repo⟫
  505  curl -H "Authorization: Bearer ⟪S:jwt⟫" https://⟪I:ip4⟫/api/me
""",
)
P(
    "shell_session",
    """
$ aws configure --profile prod
AWS Access Key ID [None]: ⟪S:aws_akid⟫
AWS Secret Access Key [None]: ⟪S:aws_secret⟫
Default region name [None]: ⟪V:region⟫
Default output format [None]: json
$ aws sts get-caller-identity --profile prod
{"UserId": "AIDA⟪V:up4⟫⟪V:up4⟫⟪V:up4⟫", "Account": "⟪V:aws_acct⟫"}
""",
)
P(
    "shell_session",
    """
$ redis-cli -h ⟪I:ip4⟫ -a '⟪S:pw⟫' ping
Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.
PONG
$ PGPASSWORD='⟪S:pw⟫' psql -h ⟪I:ip4⟫ -U ⟪V:user⟫ -d ⟪V:db⟫ -c '\\dt'
""",
)
P(
    "shell_session",
    """
$ docker login -u acmebot -p ⟪S:dockerhub⟫
WARNING! Using --password via the CLI is insecure. Use --password-stdin.
Login Succeeded
$ docker pull ghcr.io/⟪V:org⟫/worker@⟪V:digest⟫
""",
)
P(
    "shell_session",
    """
$ htpasswd -nbB admin '⟪S:pw⟫'
admin:⟪V:bcrypt⟫
$ htpasswd -nb metrics '⟪S:pw_lphrase⟫'
metrics:⟪V:apr1⟫
""",
)
P(
    "shell_session",
    """
$ git remote -v
origin	https://x-access-token:⟪S:gh_server⟫@github.com/⟪V:org⟫/⟪V:repo⟫.git (fetch)
origin	https://x-access-token:⟪S:gh_server⟫@github.com/⟪V:org⟫/⟪V:repo⟫.git (push)
$ git log -1 --format=%H
⟪V:sha40⟫
""",
)
P(
    "shell_session",
    """
$ kubectl create secret generic ⟪V:app⟫-db \\
    --from-literal=username=⟪V:user⟫ \\
    --from-literal=password='⟪S:pw⟫' \\
    --from-literal=api-token=⟪S:hex40⟫
secret/⟪V:app⟫-db created
""",
)
P(
    "shell_history",
    """
sshpass -p '⟪S:pw⟫' ssh -o StrictHostKeyChecking=no root@⟪I:ip4⟫
scp -P 2222 backup.tar.gz ⟪X:ssh_target⟫:/srv/
sshpass -p '⟪S:pw⟫' rsync -av ./dist/ www@⟪I:ip4⟫:/var/www/html/
""",
)
P(
    "shell_session",
    """
$ openssl genrsa 2048 2>/dev/null | tee deploy.key
⟪S:pem_rsa⟫
$ cat ~/.ssh/id_ed25519.pub
⟪V:ssh_pub_ed⟫ deploy@ci-runner
""",
)
P(
    "shell_session",
    """
$ cat ~/.ssh/id_ed25519
⟪S:pem_openssh⟫
$ ssh-keygen -lf ~/.ssh/id_ed25519.pub
256 ⟪V:fp_sha256⟫ deploy@laptop (ED25519)
""",
)
P(
    "powershell_history",
    """
PS C:\\> $env:AZURE_DEVOPS_EXT_PAT = "⟪S:azure_devops_pat⟫"
PS C:\\> az devops login --organization https://dev.azure.com/⟪V:org⟫
PS C:\\> net use Z: \\\\⟪I:ip4⟫\\share /user:CORP\\svc_files ⟪S:pw_url⟫
""",
)
P(
    "shell_session",
    """
$ vault login ⟪S:vault⟫
Success! You are now authenticated.
token_accessor       ⟪V:csrf⟫
$ vault kv get -field=password secret/⟪V:app⟫/db
⟪S:pw⟫
""",
)
P(
    "shell_history",
    """
: 1718⟪V:int⟫:0;npm config set //registry.npmjs.org/:_authToken ⟪S:npm⟫
: 1718⟪V:int⟫:0;echo ⟪S:gh_fine⟫ | gh auth login --with-token
: 1718⟪V:int⟫:0;export HF_TOKEN=⟪S:hf⟫
: 1718⟪V:int⟫:0;export REPLICATE_API_TOKEN=⟪S:replicate⟫
""",
)
P(
    "shell_session",
    """
$ fly secrets set DATABASE_URL=postgres://⟪V:user⟫:⟪S:pw_url⟫@⟪V:app⟫-db.flycast:5432/⟪V:db⟫
$ fly tokens create deploy -x 999999h
⟪S:flyio⟫
$ netlify env:set NETLIFY_AUTH_TOKEN ⟪S:netlify⟫
""",
)

# ---------------------------------------------------------------- HTTP
P(
    "curl_verbose_output",
    """
> GET /v1/accounts/me HTTP/2
> Host: api.⟪V:domain⟫
> Authorization: Bearer ⟪S:jwt⟫
> User-Agent: curl/8.5.0
>
< HTTP/2 200
< x-request-id: ⟪V:req_id⟫
< etag: ⟪V:etag⟫
""",
)
P(
    "http_request",
    """
POST /account/settings HTTP/1.1
Host: ⟪V:domain⟫
Cookie: sessionid=⟪S:session⟫; csrftoken=⟪V:csrf⟫
X-CSRFToken: ⟪V:csrf⟫
X-Forwarded-For: ⟪I:ip4⟫, ⟪V:ip_priv⟫
Content-Type: application/x-www-form-urlencoded

email=⟪E:email⟫&notify=on
""",
)
P(
    "http_response",
    """
HTTP/1.1 302 Found
Location: /dashboard
Set-Cookie: _session_id=⟪S:session⟫; path=/; HttpOnly; Secure; SameSite=Lax
Set-Cookie: XSRF-TOKEN=⟪V:csrf⟫; path=/
ETag: ⟪V:etag⟫
X-Request-Id: ⟪V:uuid⟫
""",
)
P(
    "http_response",
    """
HTTP/1.1 200 OK
Content-Type: application/json

{"access_token":"⟪S:jwt⟫","token_type":"Bearer","expires_in":3600,"refresh_token":"⟪S:pw_rand⟫","scope":"openid email","id_token_hint":null}
""",
)
P(
    "http_request",
    """
POST /oauth2/token HTTP/1.1
Host: oauth2.googleapis.com
Content-Type: application/x-www-form-urlencoded

grant_type=authorization_code&code=4%2F0Ad⟪V:csrf⟫&client_id=⟪V:gclient_id⟫&client_secret=⟪S:gcp_client_secret⟫&redirect_uri=https%3A%2F%2F⟪V:domain⟫%2Fcb
""",
)
P(
    "http_request",
    """
POST /v1/payments HTTP/1.1
Host: pay.⟪V:domain⟫
Authorization: Basic ⟪S:basic⟫
Content-Type: application/json

{"amount": ⟪V:amount_cents⟫, "currency": "EUR", "card": {"number": "⟪C:card_plain⟫", "exp": "⟪V:expiry⟫", "cvc": "⟪V:cvv⟫"}, "email": "⟪E:email⟫", "client_ip": "⟪I:ip4⟫"}
""",
)
P(
    "webhook_payload",
    """
{
  "event": "user.login_failed",
  "occurred_at": "⟪V:date⟫T⟪V:time⟫Z",
  "user": {"id": "⟪V:uuid⟫", "email": "⟪E:email⟫"},
  "source_ip": "⟪I:ip4⟫",
  "forwarded_for": ["⟪I:ip6⟫", "⟪V:ip_priv⟫"],
  "request_id": "⟪V:req_id⟫"
}
""",
)
P(
    "shell_session",
    """
$ curl https://api.stripe.com/v1/customers/⟪V:stripe_cus⟫ -u ⟪S:stripe_sk_test⟫:
# frontend uses ⟪V:pk_test⟫ – that one is public
$ curl https://api.stripe.com/v1/webhook_endpoints -u ⟪S:stripe_rk⟫:
""",
)
P(
    "har_file",
    r"""
{"log": {"version": "1.2", "entries": [{
  "startedDateTime": "⟪V:date⟫T⟪V:time⟫.120Z",
  "serverIPAddress": "⟪I:ip4⟫",
  "request": {"method": "GET", "url": "https://api.⟪V:domain⟫/v2/me",
    "headers": [
      {"name": "Authorization", "value": "Bearer ⟪S:jwt⟫"},
      {"name": "Cookie", "value": "connect.sid=⟪S:session⟫; _ga=GA1.1.⟪V:int⟫.⟪V:epoch⟫"},
      {"name": "X-Request-Id", "value": "⟪V:uuid⟫"}]},
  "response": {"status": 200, "headers": [{"name": "ETag", "value": "⟪V:md5hex⟫"}]}
}]}}
""",
)
P(
    "har_file",
    r"""
{"log": {"entries": [{
  "request": {"method": "POST", "url": "https://checkout.⟪V:domain⟫/pay",
    "postData": {"mimeType": "application/x-www-form-urlencoded",
      "text": "card_number=⟪C:card_plain⟫&exp=⟪V:expiry⟫&email=⟪E:email⟫&_csrf=⟪V:csrf⟫"}},
  "response": {"status": 402},
  "serverIPAddress": "⟪I:ip6⟫"
}]}}
""",
)
P(
    "postman_collection",
    r"""
{
  "info": {"_postman_id": "⟪V:uuid⟫", "name": "⟪V:app⟫ API"},
  "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "⟪S:okta⟫", "type": "string"}]},
  "variable": [
    {"key": "baseUrl", "value": "https://⟪I:ip4⟫:8443"},
    {"key": "adminPassword", "value": "⟪S:pw⟫"},
    {"key": "apiKeyRef", "value": "{{API_KEY}}"}
  ]
}
""",
)
P(
    "postman_collection",
    r"""
{
  "item": [{"name": "Create order", "request": {
    "method": "POST",
    "auth": {"type": "basic", "basic": [{"key": "username", "value": "⟪V:user⟫"}, {"key": "password", "value": "⟪S:pw⟫"}]},
    "header": [{"key": "X-Api-Key", "value": "⟪S:postman⟫"}],
    "url": "https://api.⟪V:domain⟫/orders"}}]
}
""",
)
P(
    "http_request",
    """
GET /api/v3/orders?status=open HTTP/1.1
Host: ⟪V:domain⟫
X-Shopify-Access-Token: ⟪S:shopify⟫
X-Request-ID: ⟪V:uuid⟫
If-None-Match: ⟪V:etag⟫
""",
)

# ---------------------------------------------------------------- logs / traces
P(
    "nginx_access_log",
    """
⟪I:ip4⟫ - - [⟪V:date⟫:⟪V:time⟫ +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"
⟪I:ip4⟫ - - [⟪V:date⟫:⟪V:time⟫ +0000] "POST /api/login HTTP/1.1" 401 61 "-" "python-requests/2.31.0"
⟪V:ip_priv⟫ - - [⟪V:date⟫:⟪V:time⟫ +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟪I:ip6⟫ - - [⟪V:date⟫:⟪V:time⟫ +0000] "GET / HTTP/2.0" 200 5120 "-" "Mozilla/5.0"
""",
)
P(
    "auth_log",
    """
sshd[⟪V:int⟫]: Failed password for root from ⟪I:ip4⟫ port 51022 ssh2
sshd[⟪V:int⟫]: Failed password for invalid user admin from ⟪I:ip4⟫ port 40110 ssh2
sshd[⟪V:int⟫]: Accepted publickey for deploy from ⟪V:ip_priv⟫ port 53344 ssh2: ED25519 ⟪V:fp_sha256⟫
""",
)
P(
    "app_log",
    """
⟪V:date⟫ ⟪V:time⟫,311 DEBUG config loaded: {'db_host': '⟪V:host⟫', 'db_user': '⟪V:user⟫', 'db_password': '⟪S:pw⟫', 'api_key_ref': 'env:API_KEY', 'smtp_password': '⟪S:pw_lphrase⟫'}
⟪V:date⟫ ⟪V:time⟫,402 INFO listening on 0.0.0.0:8000 (commit ⟪V:sha7⟫)
""",
)
P(
    "python_traceback",
    """
Traceback (most recent call last):
  File "/app/worker.py", line 42, in <module>
    engine = create_engine("postgresql+psycopg2://⟪V:user⟫:⟪S:pw_url⟫@⟪I:ip4⟫:5432/⟪V:db⟫")
  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/create.py", line 612, in create_engine
psycopg2.OperationalError: connection to server at "⟪I:ip4⟫", port 5432 failed: FATAL:  password authentication failed for user "⟪V:user⟫"
""",
)
P(
    "java_stack_trace",
    """
org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource'
Caused by: java.sql.SQLException: Access denied for user '⟪V:user⟫'@'⟪I:ip4⟫' (using password: YES)
    url=jdbc:mysql://⟪V:host⟫:3306/⟪V:db⟫?user=⟪V:user⟫&password=⟪S:pw_url⟫
    at com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)
""",
)
P(
    "app_log",
    """
[⟪V:date⟫T⟪V:time⟫Z] WARN  checkout: card declined card=⟪C:card⟫ exp=⟪V:expiry⟫ user=⟪E:email⟫ ip=⟪I:ip4⟫ order=⟪V:ulid⟫
[⟪V:date⟫T⟪V:time⟫Z] INFO  checkout: retry ok card=**** **** **** ⟪V:card_last4⟫ order=⟪V:ulid⟫
""",
)
P(
    "laravel_log",
    """
[⟪V:date⟫ ⟪V:time⟫] production.ERROR: SQLSTATE[23000]: Integrity constraint violation (SQL: insert into `payments` (`email`, `card_number`, `ip`) values (⟪E:email⟫, ⟪C:card_plain⟫, ⟪I:ip4⟫))
""",
)
P(
    "cloudtrail_event",
    """
{
  "eventName": "ConsoleLogin",
  "eventTime": "⟪V:date⟫T⟪V:time⟫Z",
  "sourceIPAddress": "⟪I:ip4⟫",
  "userIdentity": {"type": "IAMUser", "accountId": "⟪V:aws_acct⟫", "accessKeyId": "⟪S:aws_asia⟫", "userName": "⟪V:user⟫"},
  "requestID": "⟪V:uuid⟫",
  "eventID": "⟪V:uuid⟫"
}
""",
)
P(
    "fail2ban_log",
    """
⟪V:date⟫ ⟪V:time⟫,114 fail2ban.actions [812]: NOTICE  [sshd] Ban ⟪I:ip4⟫
⟪V:date⟫ ⟪V:time⟫,530 fail2ban.actions [812]: NOTICE  [nginx-botsearch] Ban ⟪I:ip4⟫
⟪V:date⟫ ⟪V:time⟫,998 fail2ban.actions [812]: NOTICE  [sshd] Unban ⟪I:ip4⟫
⟪V:date⟫ ⟪V:time⟫,101 fail2ban.filter  [812]: INFO    [sshd] Ignore ⟪V:ip_priv⟫ by ip
""",
)
P(
    "sentry_event",
    """
{
  "event_id": "⟪V:md5hex⟫",
  "level": "error",
  "user": {"id": "⟪V:int⟫", "email": "⟪E:email⟫", "ip_address": "⟪I:ip4⟫"},
  "request": {"url": "https://⟪V:domain⟫/api/keys", "headers": {"Authorization": "Token ⟪S:hex40⟫"}},
  "contexts": {"trace": {"trace_id": "⟪V:md5hex⟫"}}
}
""",
)
P(
    "mail_log",
    """
postfix/smtpd[⟪V:int⟫]: connect from unknown[⟪I:ip4⟫]
postfix/qmgr[⟪V:int⟫]: 4F⟪V:up4⟫: from=<⟪E:email⟫>, size=2210, nrcpt=1 (queue active)
postfix/smtp[⟪V:int⟫]: 4F⟪V:up4⟫: to=<⟪E:email⟫>, relay=mx.⟪V:domain⟫[⟪I:ip4⟫]:25, status=sent (250 2.0.0 OK)
""",
)
P(
    "rails_log",
    """
Started POST "/orders" for ⟪I:ip4⟫ at ⟪V:date⟫ ⟪V:time⟫ +0000
Processing by OrdersController#create as JSON
  Parameters: {"order"=>{"email"=>"⟪E:email⟫", "card_number"=>"⟪C:card⟫", "cvc"=>"[FILTERED]"}, "authenticity_token"=>"⟪V:csrf⟫"}
Completed 201 Created in 88ms
""",
)
P(
    "docker_logs",
    """
api-1  | Starting with env: PORT=8080 LOG_LEVEL=debug
api-1  | GROQ_API_KEY=⟪S:groq⟫
api-1  | XAI_API_KEY=⟪S:xai⟫
api-1  | BUILD_SHA=⟪V:sha40⟫
api-1  | listening on ⟪V:ip_priv⟫:8080
""",
)
P(
    "k8s_events_log",
    """
Warning  FailedPull  pod/⟪V:pod⟫  Failed to pull image "⟪V:host⟫/api@⟪V:digest⟫": unauthorized
Normal   Pulling     pod/⟪V:pod⟫  Pulling image from ⟪I:ip4⟫:5000 with auth ⟪S:docker_auth⟫
""",
)
P(
    "firewall_log",
    """
kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟪I:ip4⟫ DST=⟪V:ip_priv⟫ PROTO=TCP SPT=⟪V:int⟫ DPT=22
kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟪I:ip4⟫ DST=⟪V:ip_priv⟫ PROTO=TCP SPT=⟪V:int⟫ DPT=3389
kernel: [UFW ALLOW] IN=eth0 OUT= SRC=⟪I:ip6⟫ DST=⟪V:ip6_priv⟫ PROTO=TCP DPT=443
""",
)

# ---------------------------------------------------------------- Q&A, issues, READMEs, notebooks
P(
    "qa_post",
    """
**Q: boto3 keeps saying InvalidClientTokenId**

I'm calling S3 from a Lambda and get `InvalidClientTokenId` even though the keys work locally:

```python
session = boto3.Session(aws_access_key_id="⟪S:aws_akid⟫",
                        aws_secret_access_key="⟪S:aws_secret⟫")
```
The key id in IAM shows as active. Region is ⟪V:region⟫. Any idea?
""",
)
P(
    "github_issue",
    """
### Bug: worker can't reach Postgres after upgrade to ⟪V:ver⟫

Here's my docker-compose (trimmed):

```yaml
  worker:
    environment:
      DATABASE_URL: postgres://⟪V:user⟫:⟪S:pw_url⟫@⟪I:ip4⟫:5432/⟪V:db⟫
      SECRET_KEY_BASE: ⟪S:hex64⟫
```
Logs say `connection refused`. Commit ⟪V:sha7⟫ works fine.
""",
)
P(
    "forum_post",
    """
Hallo zusammen,

mein Mailversand über Strato klappt nicht. Meine .env:

```
MAIL_HOST=smtp.strato.de
MAIL_USERNAME=⟪E:email⟫
MAIL_PASSWORD=⟪S:pw⟫
```
Fehlermeldung: "535 Authentication credentials invalid". Server-IP ist ⟪I:ip4⟫. Hat jemand eine Idee?
""",
    "de",
)
P(
    "qa_post",
    """
Bonjour, je n'arrive pas à me connecter à MySQL depuis mon script PHP :

```php
$conn = new mysqli("⟪I:ip4⟫", "⟪V:user⟫", "⟪S:pw⟫", "⟪V:db⟫");
```
J'obtiens « Access denied ». Le même mot de passe marche dans phpMyAdmin. Merci d'avance !
""",
    "fr",
)
P(
    "github_issue",
    """
**No se envían los correos con nodemailer**

Configuración:

```js
const transporter = nodemailer.createTransport({
  host: "smtp.gmail.com", port: 465, secure: true,
  auth: { user: "⟪E:email⟫", pass: "⟪S:pw_lphrase⟫" }
});
```
Error: `Invalid login: 535-5.7.8 Username and Password not accepted`. ¿Alguien sabe por qué?
""",
    "es",
)
P(
    "qa_post",
    """
Pessoal, meu webhook do Stripe retorna 400. Estou usando:

```python
stripe.api_key = "⟪S:stripe_sk_test⟫"
endpoint_secret = "⟪S:stripe_whsec⟫"
```
A chave publicável no front é ⟪V:pk_test⟫. O que estou fazendo de errado?
""",
    "pt",
)
P(
    "qa_post",
    """
S3 にアップロードしようとすると SignatureDoesNotMatch になります。

```
AWS_ACCESS_KEY_ID=⟪S:aws_akid⟫
AWS_SECRET_ACCESS_KEY=⟪S:aws_secret⟫
```
リージョンは ⟪V:region⟫ です。どなたか分かる方いますか？
""",
    "ja",
)
P(
    "qa_post",
    """
Бот не отвечает на сообщения. Токен получил у @BotFather:

```python
bot = telebot.TeleBot("⟪S:telegram⟫")
```
Сервер: ⟪I:ip4⟫, порт 8443 открыт. Что не так?
""",
    "ru",
)
P(
    "qa_post",
    """
阿里云 SDK 调用报错 InvalidAccessKeyId.NotFound，配置如下：

```
access_key_id = ⟪S:alibaba_id⟫
access_key_secret = ⟪S:alibaba_secret⟫
endpoint = ecs.cn-hangzhou.aliyuncs.com
```
服务器公网 IP 是 ⟪I:ip4⟫，求助！
""",
    "zh",
)
P(
    "forum_post",
    """
Ciao a tutti, Home Assistant non si collega al broker MQTT:

```yaml
mqtt:
  broker: ⟪I:ip4⟫
  username: ⟪V:user⟫
  password: ⟪S:pw_lphrase⟫
```
Nel log vedo "Connection refused: not authorised". Grazie!
""",
    "it",
)
P(
    "github_issue",
    """
Hoi, na de update krijg ik een 401 van de API:

```
curl -H "PRIVATE-TOKEN: ⟪S:glpat⟫" https://gitlab.⟪V:domain⟫/api/v4/projects
```
Runner token staat in config.toml als `token = "⟪S:glrt⟫"`. Wie weet raad?
""",
    "nl",
)
P(
    "forum_post",
    """
Cześć, mam problem z połączeniem do bazy po migracji na nowy VPS (⟪I:ip4⟫):

```
DB_USER=⟪V:user⟫
DB_PASS=⟪S:pw⟫
```
Kontakt do admina: ⟪E:email⟫. Co może być nie tak?
""",
    "pl",
)
P(
    "readme",
    """
## Quick start

```bash
export DATABRICKS_HOST=https://adb-⟪V:aws_acct⟫.azuredatabricks.net
export DATABRICKS_TOKEN=⟪S:databricks⟫
python -m etl.run --date ⟪V:date⟫
```

Questions? Ping ⟪E:email⟫ or open an issue.
""",
)
P(
    "readme",
    """
# ⟪V:app⟫

Staging is deployed at http://⟪I:ip4⟫:3000 (login `admin` / `⟪S:pw_word⟫`).

The test Mailjet keys (`MJ_APIKEY_PUBLIC=⟪V:hex32⟫`, `MJ_APIKEY_PRIVATE=⟪S:mailjet⟫`) only work from the office network.
""",
)
P(
    "jupyter_notebook",
    r"""
{
 "cells": [
  {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [],
   "source": ["import os\n", "os.environ[\"OPENAI_API_KEY\"] = \"⟪S:openai⟫\"\n", "os.environ[\"COHERE_API_KEY\"] = \"⟪S:cohere⟫\"\n"]},
  {"cell_type": "code", "execution_count": 4, "metadata": {}, "outputs": [],
   "source": ["df = pd.read_csv(\"s3://⟪V:bucket⟫/train.csv\")"]}
 ],
 "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5
}
""",
)
P(
    "jupyter_notebook",
    r"""
{"cell_type": "code", "execution_count": 12, "source": ["!env | grep -i key"],
 "outputs": [{"name": "stdout", "output_type": "stream", "text": [
   "WANDB_API_KEY=⟪S:hex40⟫\n",
   "PINECONE_API_KEY=⟪S:pinecone⟫\n",
   "MAPBOX_PUBLIC_TOKEN=⟪V:mapbox_pk⟫\n"]}]}
""",
)
P(
    "gist",
    """
# notes for the on-call rotation
bastion: ⟪I:ip4⟫ (ssh ⟪X:ssh_target⟫)
grafana: https://⟪V:domain⟫/grafana  admin / ⟪S:pw_leet⟫
pagerduty escalation: ⟪E:email⟫
vpn psk: ⟪S:pw_phrase⟫
""",
)
P(
    "chat_log",
    """
[⟪V:time⟫] ⟪V:first⟫: can someone send me the staging db creds?
[⟪V:time⟫] ⟪V:first⟫: host ⟪I:ip4⟫ user ⟪V:user⟫ pass ⟪S:pw⟫
[⟪V:time⟫] ⟪V:first⟫: please don't paste that here, rotate it and use 1Password
""",
)
P(
    "github_issue",
    """
Stack trace from our EU region node (⟪I:ip6⟫):

```
requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://api.airtable.com/v0/app⟪V:b62_6⟫
headers={'Authorization': 'Bearer ⟪S:airtable⟫'}
```
Reporter: ⟪E:email⟫
""",
)

# ---------------------------------------------------------------- card-centric
P(
    "sql_dump",
    """
INSERT INTO `payment_methods` (`id`, `user_email`, `pan`, `exp`, `created_ip`) VALUES
(⟪V:int⟫, '⟪E:email⟫', '⟪C:card_plain⟫', '⟪V:expiry⟫', '⟪I:ip4⟫'),
(⟪V:int⟫, '⟪E:email⟫', '⟪C:card_plain⟫', '⟪V:expiry⟫', '⟪V:ip_priv⟫');
""",
)
P(
    "csv_export",
    """
order_id,email,card,amount,ip
⟪V:ulid⟫,⟪E:email⟫,⟪C:card⟫,⟪V:amount⟫,⟪I:ip4⟫
⟪V:ulid⟫,⟪E:email⟫,⟪C:card⟫,⟪V:amount⟫,⟪I:ip4⟫
""",
)
P(
    "github_issue",
    """
**Checkout fails for Amex/Discover cards**

Steps: enter card `⟪C:card⟫`, expiry ⟪V:expiry⟫, any CVC. Gateway returns `invalid_number`
even though it's a real card (my own, I already cancelled it). Request id ⟪V:req_id⟫.
""",
)
P(
    "python_test_source",
    """
def test_charge_declined(client):
    payload = {
        "card_number": "⟪C:card_plain⟫",
        "exp": "⟪V:expiry⟫",
        "email": "⟪E:email⟫",
    }
    resp = client.post("/api/charge", json=payload, headers={"X-Api-Key": "⟪S:hex32⟫"})
    assert resp.status_code == 402
""",
)
P(
    "kafka_message_dump",
    """
partition=3 offset=⟪V:int⟫ key=⟪V:uuid⟫
value={"type":"payment.created","pan":"⟪C:card_plain⟫","holder_email":"⟪E:email⟫","ip":"⟪I:ip4⟫","amount":"⟪V:amount⟫"}
""",
)
P(
    "redis_monitor_output",
    """
⟪V:epoch⟫.123456 [0 ⟪V:ip_priv⟫:51234] "AUTH" "⟪S:pw_rand⟫"
⟪V:epoch⟫.223456 [0 ⟪V:ip_priv⟫:51234] "HSET" "cart:⟪V:uuid⟫" "card" "⟪C:card⟫" "email" "⟪E:email⟫"
""",
)
P(
    "mongo_document",
    """
{
  "_id": ObjectId("⟪V:hex16⟫⟪V:hex8⟫"),
  "email": "⟪E:email⟫",
  "billing": {"card": "⟪C:card⟫", "exp": "⟪V:expiry⟫"},
  "lastLoginIp": "⟪I:ip4⟫",
  "passwordHash": "⟪V:argon2⟫"
}
""",
)
P(
    "email_message",
    """
From: ⟪E:email⟫
To: ⟪E:email⟫
Subject: Re: refund for order ⟪V:order_no⟫

Hi, the customer's card is ⟪C:card⟫ (exp ⟪V:expiry⟫). Can you push the refund manually?
The admin panel login is still admin / ⟪S:pw_word⟫.
""",
)
P(
    "shell_session",
    """
$ curl https://api.braintreegateway.com/merchants/⟪V:hex16⟫/transactions \\
    -H "Authorization: Bearer ⟪S:braintree⟫" \\
    -d "amount=⟪V:amount⟫&credit_card[number]=⟪C:card_plain⟫&credit_card[expiration_date]=⟪V:expiry⟫"
""",
)
P(
    "app_log",
    """
level=error ts=⟪V:date⟫T⟪V:time⟫Z msg="square charge failed" token=⟪S:square⟫ card=⟪C:card⟫ buyer=⟪E:email⟫ remote=⟪I:ip4⟫
""",
)
P(
    "support_ticket",
    """
Ticket #⟪V:int⟫ from ⟪E:email⟫
Customer says: "Your site charged my card ⟪C:card⟫ twice on ⟪V:date⟫."
Internal note: duplicate charges ⟪V:stripe_ch⟫ and ⟪V:stripe_ch⟫, refund one.
""",
)

# ---------------------------------------------------------------- more look-alike pairs
P(
    "python_source",
    """
# Keycloak OIDC client
OIDC_CLIENT_ID = "⟪V:app⟫-web"
OIDC_CLIENT_SECRET = "⟪S:pw_rand⟫"
OIDC_ISSUER = "https://sso.⟪V:domain⟫/realms/main"
GITHUB_APP_CLIENT_ID = "⟪V:gh_client_id⟫"
GITHUB_APP_CLIENT_SECRET = "⟪S:hex40⟫"
""",
)
P(
    "javascript_source",
    """
// next.config.js
module.exports = {
  env: {
    NEXT_PUBLIC_RECAPTCHA_SITE_KEY: '⟪V:recaptcha_site⟫',
  },
  serverRuntimeConfig: {
    RECAPTCHA_SECRET_KEY: '⟪S:recaptcha_secret⟫',
    GOOGLE_CLIENT_ID: '⟪V:gclient_id⟫',
    GOOGLE_CLIENT_SECRET: '⟪S:gcp_client_secret⟫',
  },
};
""",
)
P(
    "python_source",
    """
# fixtures/users.py
USERS = [
    {"username": "⟪V:user⟫", "password": "⟪S:pw_lphrase⟫", "password_hash": "⟪V:pbkdf2⟫"},
    {"username": "qa", "password": "⟪S:pw_leet⟫", "password_hash": "⟪V:bcrypt⟫"},
]
""",
)
P(
    "yaml_config",
    """
# api gateway
keys:
  - id: ⟪V:twilio_sk_sid⟫          # Twilio API key SID (identifier)
    secret: ⟪S:twilio_api_secret⟫
  - id: key_⟪V:ulid⟫
    secret: ⟪S:hex64⟫
    created: ⟪V:date⟫
""",
)
P(
    "go_source",
    """
// Okta + New Relic clients
oktaClient, _ := okta.NewClient(ctx,
	okta.WithOrgUrl("https://⟪V:org⟫.okta.com"),
	okta.WithToken("⟪S:okta⟫"),
)
nrApp, _ := newrelic.NewApplication(newrelic.ConfigAppName("⟪V:app⟫"), newrelic.ConfigLicense("⟪S:hex40⟫"))
nrClient := newrelicapi.New(newrelicapi.ConfigPersonalAPIKey("⟪S:newrelic⟫"))
""",
)
P(
    "age_keys_config",
    """
# created: ⟪V:date⟫T⟪V:time⟫Z
# public key: age1⟪V:md5hex⟫⟪V:md5hex⟫
⟪S:age⟫
""",
)
P(
    "sops_config",
    """
creation_rules:
  - path_regex: secrets/.*\\.yaml$
    age: age1⟪V:md5hex⟫⟪V:md5hex⟫
# DO NOT COMMIT: dev key for local decrypt
# SOPS_AGE_KEY=⟪S:age⟫
""",
)
P(
    "php_source",
    """
<?php
$client = new \\GuzzleHttp\\Client(['base_uri' => 'https://api.easypost.com/v2/']);
$res = $client->post('shipments', ['auth' => ['⟪S:easypost⟫', '']]);
$doppler = new DopplerClient('⟪S:doppler⟫');
""",
)
P(
    "typescript_source",
    """
export const env = {
  PLANETSCALE_PASSWORD: '⟪S:planetscale⟫',
  RENDER_API_KEY: '⟪S:render⟫',
  VERCEL_TOKEN: '⟪S:vercel⟫',
  VERCEL_PROJECT_ID: 'prj_⟪V:b62_6⟫⟪V:b62_6⟫⟪V:b62_6⟫',
  BUILDKITE_TOKEN: '⟪S:buildkite⟫',
};
""",
)
P(
    "circleci_workflow",
    """
# .circleci/config.yml (excerpt)
- run:
    name: trigger downstream
    command: |
      curl -X POST https://circleci.com/api/v2/project/gh/⟪V:org⟫/⟪V:repo⟫/pipeline \\
        -H "Circle-Token: ⟪S:circleci⟫" -d '{"branch":"main"}'
      curl -H "Authorization: Bearer ⟪S:grafana_sa⟫" https://⟪V:org⟫.grafana.net/api/annotations
""",
)
P(
    "pgp_key_export",
    """
# exported for the release signing box, key id ⟪V:gpg_keyid⟫
# fingerprint: ⟪V:gpg_fp⟫
⟪S:pem_pgp⟫
""",
)
P(
    "k8s_manifest",
    """
apiVersion: v1
kind: Secret
metadata:
  name: tls-⟪V:app⟫
type: kubernetes.io/tls
stringData:
  tls.key: |
    ⟪S:pem_ec⟫
  webhook-secret: ⟪S:sentry_org⟫
""",
)
P(
    "ansible_vars",
    """
# group_vars/prod.yml
vault_ssh_private_key: |
  ⟪S:pem_rsa⟫
deploy_public_key: "⟪V:ssh_pub_ed⟫ deploy@prod"
encrypted_example: !vault |
  ⟪V:ansible_vault⟫
""",
)

# ---------------------------------------------------------------- extra card / e-mail carriers
P(
    "javascript_test_source",
    """
describe('tokenize', () => {
  it('accepts the customer card from ticket #⟪V:int⟫', async () => {
    const res = await tokenize({ number: '⟪C:card⟫', exp: '⟪V:expiry⟫', email: '⟪E:email⟫' });
    expect(res.brand).toBeDefined();
  });
  it('accepts a second card', async () => {
    await tokenize({ number: '⟪C:card_plain⟫', exp: '⟪V:expiry⟫' });
  });
});
""",
)
P(
    "elasticsearch_query_output",
    """
{"hits": {"hits": [
  {"_id": "⟪V:uuid⟫", "_source": {"message": "payment failed pan=⟪C:card_plain⟫", "client.ip": "⟪I:ip4⟫", "user.email": "⟪E:email⟫"}},
  {"_id": "⟪V:uuid⟫", "_source": {"message": "payment failed pan=⟪C:card_plain⟫", "client.ip": "⟪I:ip4⟫", "user.email": "⟪E:email⟫"}}
]}}
""",
)
P(
    "php_source",
    """
<?php
// quick manual test – remove before merge!
$card = ['number' => '⟪C:card⟫', 'exp_month' => 4, 'exp_year' => 2029, 'cvc' => '⟪V:cvv⟫'];
$backup = ['number' => '⟪C:card⟫'];
$customerEmail = '⟪E:email⟫';
""",
)
P(
    "app_log",
    """
⟪V:date⟫ ⟪V:time⟫ ERROR PaymentService - Adyen refused: {"cardNumber":"⟪C:card_plain⟫","holderName":"⟪V:name⟫","shopperEmail":"⟪E:email⟫","shopperIP":"⟪I:ip4⟫"}
⟪V:date⟫ ⟪V:time⟫ DEBUG PaymentService - using API key ⟪S:hex64⟫
""",
)
P(
    "qa_post",
    """
Luhn check fails in my validator but the bank accepts the card. Input was `⟪C:card⟫`,
and `⟪C:card⟫` also fails. My regex: `^4[0-9]{12}(?:[0-9]{3})?$`. Contact: ⟪E:email⟫
""",
)
P(
    "excel_csv_export",
    """
Name;E-Mail;Kartennummer;Gültig bis
⟪V:name⟫;⟪E:email⟫;⟪C:card⟫;⟪V:expiry⟫
⟪V:name⟫;⟪E:email⟫;⟪C:card⟫;⟪V:expiry⟫
""",
    "de",
)
P(
    "graphql_request",
    """
mutation {
  addPaymentMethod(input: {cardNumber: "⟪C:card_plain⟫", expiry: "⟪V:expiry⟫", billingEmail: "⟪E:email⟫"}) { id }
}
# headers: {"Authorization": "Bearer ⟪S:jwt⟫"}
""",
)
P(
    "sql_query_log",
    """
LOG:  duration: ⟪V:int⟫.2 ms  statement: UPDATE customers SET card_number = '⟪C:card⟫', email = '⟪E:email⟫' WHERE id = ⟪V:int⟫;
LOG:  connection authorized: user=⟪V:user⟫ database=⟪V:db⟫ host=⟪I:ip4⟫
""",
)


# ====================================================================== HARD NEGATIVES
NEG = []


def N(category, context, text, lang="en"):
    NEG.append((category, context, lang, textwrap.dedent(text).strip("\n")))


# env lookups
N(
    "env_reference",
    "python_source",
    """
db_password = os.environ["DB_PASSWORD"]
api_key = os.getenv("⟪V:envname⟫", "")
client = Client(api_key=api_key, timeout=⟪V:int⟫, region="⟪V:region⟫")
""",
)
N(
    "env_reference",
    "javascript_source",
    """
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const token = process.env.⟪V:envname⟫ ?? '';
const port = Number(process.env.PORT || ⟪V:port⟫);
""",
)
N(
    "env_reference",
    "docker_compose_config",
    """
services:
  db:
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set in .env}
      REDIS_URL: redis://:${REDIS_PASSWORD}@redis:6379/⟪V:small⟫
      ⟪V:envname⟫: ${⟪V:envname⟫}
""",
)
N(
    "env_reference",
    "shell_source",
    """
mysql -u "$DB_USER" -p"$DB_PASS" -h "${DB_HOST:-⟪V:ip_priv⟫}" ⟪V:db⟫ < migrate.sql
curl -H "Authorization: Bearer ${⟪V:envname⟫}" https://api.⟪V:domain⟫/v1/sync
""",
)
# template placeholders
N(
    "template_placeholder",
    "helm_template",
    """
env:
  - name: DB_PASSWORD
    value: {{ .Values.postgresql.auth.password | quote }}
  - name: API_TOKEN
    value: "{{ required "apiToken is required" .Values.⟪V:app⟫.apiToken }}"
replicas: ⟪V:small⟫
""",
)
N(
    "template_placeholder",
    "github_actions_workflow",
    """
- name: publish
  run: npm publish --access public
  env:
    NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
    SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}
    BUILD_REF: ${{ github.sha }}-⟪V:int⟫
""",
)
N(
    "template_placeholder",
    "python_source",
    """
DSN_TEMPLATE = "postgresql://%(user)s:%(password)s@%(host)s:%(port)s/%(db)s"
SMTP_TEMPLATE = "smtp://{user}:{password}@{host}:587"
print(DSN_TEMPLATE % cfg)  # cfg loaded from ⟪V:bucket⟫/config.json
""",
)
N(
    "template_placeholder",
    "erb_template",
    """
production:
  password: <%= ENV['DATABASE_PASSWORD'] %>
  secret_key_base: <%= Rails.application.credentials.secret_key_base %>
  smtp_password: <%= ENV.fetch('SMTP_PASSWORD') %>
  pool: ⟪V:small⟫
""",
)
# secret manager refs
N(
    "secret_manager_reference",
    "ecs_task_definition",
    """
"secrets": [
  {"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:⟪V:region⟫:⟪V:aws_acct⟫:secret:prod/⟪V:app⟫/db-⟪V:b62_6⟫"},
  {"name": "API_KEY", "valueFrom": "arn:aws:ssm:⟪V:region⟫:⟪V:aws_acct⟫:parameter/prod/⟪V:app⟫/api-key"}
]
""",
)
N(
    "secret_manager_reference",
    "yaml_config",
    """
database:
  password: vault:secret/data/⟪V:app⟫/db#password
  api_key: op://Engineering/⟪V:app⟫ Stripe/credential
  smtp: gcp:projects/⟪V:proj⟫/secrets/smtp-password/versions/latest
""",
)
N(
    "secret_manager_reference",
    "azure_appsettings",
    """
{
  "DbPassword": "@Microsoft.KeyVault(SecretUri=https://⟪V:org⟫-kv.vault.azure.net/secrets/DbPassword/⟪V:md5hex⟫)",
  "StorageKey": "@Microsoft.KeyVault(VaultName=⟪V:org⟫-kv;SecretName=storage-key)"
}
""",
)
N(
    "secret_manager_reference",
    "k8s_manifest",
    """
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
spec:
  secretStoreRef: { name: aws-sm, kind: ClusterSecretStore }
  data:
    - secretKey: password
      remoteRef: { key: prod/⟪V:app⟫/postgres, property: password }
  refreshInterval: ⟪V:int⟫m
""",
)
# documented example keys
N(
    "documented_example_key",
    "aws_docs",
    """
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region = ⟪V:region⟫
""",
)
N(
    "documented_example_key",
    "readme",
    """
Example (from the AWS docs, not a real key):

    export AWS_ACCESS_KEY_ID=AKIAI44QH8DHBEXAMPLE
    export AWS_SECRET_ACCESS_KEY=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
    aws s3 ls s3://⟪V:bucket⟫
""",
)
N(
    "documented_example_key",
    "api_docs",
    """
The token looks like `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`
(the jwt.io sample). Send it as `Authorization: Bearer <token>` to /v⟪V:small⟫/orders.
""",
)
N(
    "documented_example_key",
    "slack_docs",
    """
SLACK_BOT_TOKEN=xoxb-not-a-real-token-this-will-not-work
SLACK_SIGNING_SECRET=<your signing secret>
# see section ⟪V:small⟫.⟪V:small⟫ of the setup guide
""",
)
# placeholders
N(
    "placeholder_value",
    "dotenv_config",
    """
# copy to .env and fill in
OPENAI_API_KEY=<YOUR_OPENAI_API_KEY>
DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/⟪V:db⟫
STRIPE_SECRET_KEY=sk_live_REPLACE_ME
""",
)
N(
    "placeholder_value",
    "yaml_config",
    """
smtp:
  host: smtp.⟪V:domain⟫
  username: your-username
  password: your-password-here
  api_key: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
""",
)
N(
    "placeholder_value",
    "readme",
    """
Set the token in `~/.config/⟪V:app⟫/config.toml`:

```toml
token = "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
password = "********"
```
""",
)
N(
    "placeholder_value",
    "java_source",
    """
// TODO: move to vault
private static final String API_KEY = "CHANGE_ME_BEFORE_DEPLOY";
private static final String PASSWORD = "${db.password}";
private static final int RETRIES = ⟪V:small⟫;
""",
)
# masked
N(
    "masked_key",
    "app_log",
    """
⟪V:date⟫ ⟪V:time⟫ INFO using stripe key sk_live_************************⟪V:hex4⟫ for account acct_⟪V:b62_6⟫
⟪V:date⟫ ⟪V:time⟫ INFO github token ghp_****⟪V:hex4⟫ scopes=repo,workflow
""",
)
N(
    "masked_key",
    "dashboard_text",
    """
API keys
  Name: ⟪V:app⟫-prod   Key: AKIA************⟪V:up4⟫   Created: ⟪V:date⟫   Last used: 2 hours ago
  Name: ci            Key: ••••••••••••⟪V:hex4⟫       Created: ⟪V:date⟫
""",
)
N(
    "masked_key",
    "receipt_text",
    """
Payment method: Visa •••• ⟪V:card_last4⟫ (expires ⟪V:expiry⟫)
Card number: **** **** **** ⟪V:card_last4⟫
Amount: EUR ⟪V:amount⟫
""",
)
N(
    "masked_key",
    "cli_output",
    """
$ heroku config -a ⟪V:app⟫
DATABASE_URL: postgres://u***:*****@ec2-***.compute-1.amazonaws.com:5432/d⟪V:hex8⟫
REDIS_TLS_URL: rediss://:p*********@***:⟪V:port⟫
""",
)
# publishable
N(
    "publishable_key",
    "javascript_source",
    """
const stripe = Stripe('⟪V:pk_live⟫');
const elements = stripe.elements({ appearance: { theme: 'stripe' }, locale: 'auto' }); // intent ⟪V:stripe_pi⟫
""",
)
N(
    "publishable_key",
    "html_page",
    """
<script src="https://js.stripe.com/v3/"></script>
<script>
  const stripe = Stripe("⟪V:pk_test⟫", { locale: "de" });
</script>
""",
)
N(
    "publishable_key",
    "dotenv_config",
    """
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=⟪V:pk_live⟫
NEXT_PUBLIC_SITE_URL=https://⟪V:domain⟫
NEXT_PUBLIC_BUILD=⟪V:sha7⟫
""",
)
# public client ids
N(
    "public_client_id",
    "javascript_source",
    """
google.accounts.id.initialize({
  client_id: '⟪V:gclient_id⟫',
  callback: handleCredentialResponse,
});
""",
)
N(
    "public_client_id",
    "yaml_config",
    """
github_app:
  app_id: ⟪V:int⟫
  client_id: ⟪V:gh_client_id⟫
  installation_id: ⟪V:aws_acct⟫
""",
)
N(
    "public_client_id",
    "msal_config",
    """
const msalConfig = {
  auth: {
    clientId: "⟪V:uuid⟫",
    authority: "https://login.microsoftonline.com/⟪V:az_tenant⟫",
    redirectUri: "https://⟪V:domain⟫/auth/callback",
  },
};
""",
)
# public browser keys
N(
    "public_browser_key",
    "html_page",
    """
<div class="g-recaptcha" data-sitekey="⟪V:recaptcha_site⟫"></div>
<script>mapboxgl.accessToken = '⟪V:mapbox_pk⟫';</script>
""",
)
N(
    "public_browser_key",
    "javascript_source",
    """
// search-only key, safe for the browser
const client = algoliasearch('⟪V:algolia_app⟫', '⟪V:algolia_search⟫');
const index = client.initIndex('⟪V:app⟫_products');
""",
)
N(
    "public_browser_key",
    "javascript_source",
    """
Sentry.init({
  dsn: "⟪X:sentry_dsn⟫",
  release: "⟪V:app⟫@⟪V:ver⟫",
  tracesSampleRate: 0.⟪V:small⟫,
});
""",
)
# ssh public keys
N(
    "ssh_public_key",
    "authorized_keys",
    """
⟪V:ssh_pub_ed⟫ deploy@ci-runner
⟪V:ssh_pub_rsa⟫ backup@nas
""",
)
N(
    "ssh_public_key",
    "cloud_init",
    """
#cloud-config
users:
  - name: ops
    ssh_authorized_keys:
      - ⟪V:ssh_pub_ed⟫ ops@laptop
""",
)
N(
    "ssh_public_key",
    "known_hosts",
    """
github.com ⟪V:ssh_pub_ed⟫
|1|⟪V:nonce⟫|⟪V:nonce⟫ ⟪V:ssh_pub_ed⟫
""",
)
# fingerprints
N(
    "key_fingerprint",
    "shell_session",
    """
$ ssh-keygen -lf ~/.ssh/id_ed25519.pub
256 ⟪V:fp_sha256⟫ deploy@laptop (ED25519)
$ ssh-keygen -E md5 -lf ~/.ssh/id_ed25519.pub
256 ⟪V:fp_md5⟫ deploy@laptop (ED25519)
""",
)
N(
    "key_fingerprint",
    "shell_session",
    """
$ gpg --list-keys releases
pub   ed25519 ⟪V:date⟫ [SC]
      ⟪V:gpg_fp⟫
uid           [ultimate] Release Bot <⟪V:email_res⟫>
""",
)
N(
    "key_fingerprint",
    "tls_report",
    """
Certificate: CN=⟪V:domain⟫
SHA-256 Fingerprint: ⟪V:cert_fp⟫
Valid until: ⟪V:date⟫
""",
)
# checksums
N(
    "file_checksum",
    "checksums_file",
    """
⟪V:sha256hex⟫  ⟪V:app⟫-⟪V:ver⟫-linux-amd64.tar.gz
⟪V:sha256hex⟫  ⟪V:app⟫-⟪V:ver⟫-darwin-arm64.tar.gz
""",
)
N(
    "file_checksum",
    "dockerfile_config",
    """
ENV TERRAFORM_VERSION=⟪V:ver⟫
ENV TERRAFORM_SHA256=⟪V:sha256hex⟫
RUN echo "${TERRAFORM_SHA256}  terraform.zip" | sha256sum -c -
""",
)
N(
    "file_checksum",
    "maven_metadata",
    """
<checksums>
  <md5>⟪V:md5hex⟫</md5>
  <sha1>⟪V:sha40⟫</sha1>
  <artifact>com.⟪V:org⟫:⟪V:app⟫:⟪V:ver⟫</artifact>
</checksums>
""",
)
# SRI
N(
    "sri_hash",
    "html_page",
    """
<script src="https://cdn.jsdelivr.net/npm/bootstrap@⟪V:ver⟫/dist/js/bootstrap.bundle.min.js"
        integrity="⟪V:sri⟫" crossorigin="anonymous"></script>
""",
)
N(
    "sri_hash",
    "html_page",
    """
<link rel="stylesheet" href="/assets/app.⟪V:hash8⟫.css" integrity="⟪V:sri⟫">
""",
)
N(
    "sri_hash",
    "webpack_manifest",
    """
{"main.js": {"src": "main.⟪V:hash8⟫.js", "integrity": "⟪V:sri512⟫"}}
""",
)
# lockfiles
N(
    "lockfile_hash",
    "package_lock",
    """
"node_modules/⟪V:app⟫": {
  "version": "⟪V:ver⟫",
  "resolved": "https://registry.npmjs.org/⟪V:app⟫/-/⟪V:app⟫-⟪V:ver⟫.tgz",
  "integrity": "⟪V:sri512⟫"
}
""",
)
N(
    "lockfile_hash",
    "go_sum",
    """
github.com/⟪V:org⟫/⟪V:repo⟫ v⟪V:ver⟫ h1:⟪V:b64_32⟫
github.com/⟪V:org⟫/⟪V:repo⟫ v⟪V:ver⟫/go.mod h1:⟪V:b64_32⟫
""",
)
N(
    "lockfile_hash",
    "cargo_lock",
    """
[[package]]
name = "⟪V:app⟫"
version = "⟪V:ver⟫"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "⟪V:sha256hex⟫"
""",
)
# etags
N(
    "etag_header",
    "http_response",
    """
HTTP/2 200
content-type: application/json
etag: ⟪V:etag⟫
last-modified: Tue, 0⟪V:small⟫ Jul 2025 10:11:12 GMT
cache-control: max-age=⟪V:int⟫
""",
)
N(
    "etag_header",
    "http_request",
    """
GET /v1/catalog HTTP/1.1
Host: api.⟪V:domain⟫
If-None-Match: ⟪V:etag⟫
""",
)
N(
    "etag_header",
    "s3_listing",
    """
<Contents><Key>exports/⟪V:date⟫.csv</Key><ETag>&quot;⟪V:md5hex⟫-⟪V:small⟫&quot;</ETag><Size>⟪V:int⟫</Size></Contents>
""",
)
# git SHAs
N(
    "git_sha",
    "git_log",
    """
commit ⟪V:sha40⟫
Author: ⟪V:name⟫ <⟪V:email_res⟫>
Date:   ⟪V:date⟫

    fix: rotate leaked token handling (#⟪V:int⟫)
""",
)
N(
    "git_sha",
    "git_log",
    """
⟪V:sha7⟫ Merge pull request #⟪V:int⟫ from ⟪V:org⟫/feat/secrets
⟪V:sha7⟫ chore: bump deps
⟪V:sha7⟫ ci: pin actions/checkout@⟪V:sha40⟫
""",
)
N(
    "git_sha",
    "github_actions_workflow",
    """
- uses: actions/setup-node@⟪V:sha40⟫ # v4
- uses: docker/login-action@⟪V:sha40⟫ # v3
""",
)
# uuids / ulids
N(
    "uuid_ulid_id",
    "app_log",
    """
⟪V:date⟫T⟪V:time⟫Z INFO order created order_id=⟪V:uuid⟫ tenant=⟪V:uuid⟫ job=⟪V:ulid⟫
""",
)
N(
    "uuid_ulid_id",
    "sql_dump",
    """
INSERT INTO sessions_audit (id, user_id, created_at) VALUES ('⟪V:uuid⟫', '⟪V:uuid⟫', '⟪V:date⟫');
""",
)
N(
    "uuid_ulid_id",
    "json_api_response",
    """
{"data": [{"id": "⟪V:ulid⟫", "type": "invoice"}, {"id": "⟪V:ulid⟫", "type": "invoice"}], "cursor": "⟪V:ulid⟫"}
""",
)
# stripe ids
N(
    "stripe_object_id",
    "webhook_payload",
    """
{"id": "⟪V:stripe_evt⟫", "type": "charge.succeeded",
 "data": {"object": {"id": "⟪V:stripe_ch⟫", "customer": "⟪V:stripe_cus⟫", "payment_intent": "⟪V:stripe_pi⟫", "amount": ⟪V:amount_cents⟫}}}
""",
)
N(
    "stripe_object_id",
    "app_log",
    """
stripe: invoice ⟪V:stripe_in⟫ paid for subscription ⟪V:stripe_sub⟫ (customer ⟪V:stripe_cus⟫)
""",
)
N(
    "stripe_object_id",
    "support_ticket",
    """
Refund requested for charge ⟪V:stripe_ch⟫ / payment intent ⟪V:stripe_pi⟫. Customer id ⟪V:stripe_cus⟫.
""",
)
# twilio sids
N(
    "twilio_sid",
    "app_log",
    """
twilio: message ⟪V:twilio_sm⟫ queued via service ⟪V:twilio_mg⟫ (account ⟪V:twilio_ac⟫)
""",
)
N(
    "twilio_sid",
    "json_api_response",
    """
{"sid": "⟪V:twilio_sm⟫", "account_sid": "⟪V:twilio_ac⟫", "status": "delivered", "num_segments": "⟪V:small⟫"}
""",
)
N(
    "twilio_sid",
    "yaml_config",
    """
twilio:
  account_sid: ⟪V:twilio_ac⟫
  api_key_sid: ⟪V:twilio_sk_sid⟫
  auth_token: ${TWILIO_AUTH_TOKEN}
""",
)
# slack ids
N(
    "slack_channel_id",
    "yaml_config",
    """
slack:
  alerts_channel: ⟪V:slack_chan⟫
  oncall_user: ⟪V:slack_uid⟫
  workspace: ⟪V:slack_team⟫
""",
)
N(
    "slack_channel_id",
    "json_api_response",
    """
{"ok": true, "channel": "⟪V:slack_chan⟫", "ts": "⟪V:epoch⟫.⟪V:int⟫", "message": {"user": "⟪V:slack_uid⟫", "text": "deploy done"}}
""",
)
N(
    "slack_channel_id",
    "python_source",
    """
client.chat_postMessage(channel="⟪V:slack_chan⟫", text="build ⟪V:sha7⟫ passed", token=os.environ["SLACK_BOT_TOKEN"])
""",
)
# container digests
N(
    "container_digest",
    "shell_session",
    """
$ docker pull ghcr.io/⟪V:org⟫/⟪V:app⟫:⟪V:ver⟫
Digest: ⟪V:digest⟫
Status: Downloaded newer image for ghcr.io/⟪V:org⟫/⟪V:app⟫:⟪V:ver⟫
""",
)
N(
    "container_digest",
    "k8s_manifest",
    """
containers:
  - name: ⟪V:app⟫
    image: registry.⟪V:domain⟫/⟪V:app⟫@⟪V:digest⟫
    imagePullPolicy: IfNotPresent
""",
)
N(
    "container_digest",
    "dockerfile_config",
    """
FROM python:3.12-slim@⟪V:digest⟫ AS base
FROM gcr.io/distroless/base@⟪V:digest⟫
""",
)
# request / trace ids
N(
    "request_trace_id",
    "http_response",
    """
HTTP/1.1 500 Internal Server Error
x-request-id: ⟪V:req_id⟫
traceparent: ⟪V:traceparent⟫
x-amzn-trace-id: ⟪V:amzn_trace⟫
cf-ray: ⟪V:cf_ray⟫
""",
)
N(
    "request_trace_id",
    "app_log",
    """
{"level":"error","msg":"upstream timeout","trace_id":"⟪V:md5hex⟫","span_id":"⟪V:hex16⟫","request_id":"⟪V:req_id⟫"}
""",
)
N(
    "request_trace_id",
    "github_issue",
    """
Getting intermittent 502s. Request IDs: ⟪V:req_id⟫, ⟪V:req_id⟫. Trace: ⟪V:traceparent⟫
""",
)
# csrf / nonce
N(
    "csrf_token_nonce",
    "html_page",
    """
<form method="post" action="/login">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟪V:csrf⟫">
  <input type="hidden" name="authenticity_token" value="⟪V:nonce⟫⟪V:nonce⟫">
</form>
""",
)
N(
    "csrf_token_nonce",
    "http_response",
    """
Content-Security-Policy: script-src 'nonce-⟪V:nonce⟫' 'strict-dynamic'; object-src 'none'
Set-Cookie: csrftoken=⟪V:csrf⟫; Path=/; SameSite=Lax
""",
)
N(
    "csrf_token_nonce",
    "oauth_redirect",
    """
https://accounts.google.com/o/oauth2/v2/auth?client_id=⟪V:gclient_id⟫&response_type=code&state=⟪V:csrf⟫&nonce=⟪V:hex16⟫&redirect_uri=https%3A%2F%2F⟪V:domain⟫%2Fcb
""",
)
# password hashes
N(
    "password_hash",
    "shadow_file",
    """
root:⟪V:sha512crypt⟫:19⟪V:int⟫:0:99999:7:::
deploy:⟪V:sha512crypt⟫:19⟪V:int⟫:0:99999:7:::
nobody:*:19⟪V:int⟫:0:99999:7:::
""",
)
N(
    "password_hash",
    "htpasswd_file",
    """
admin:⟪V:apr1⟫
metrics:⟪V:bcrypt⟫
""",
)
N(
    "password_hash",
    "sql_dump",
    """
INSERT INTO auth_user (id, username, email, password) VALUES
(⟪V:int⟫, 'admin', '⟪V:email_res⟫', '⟪V:pbkdf2⟫'),
(⟪V:int⟫, 'qa', '⟪V:email_res⟫', '⟪V:argon2⟫');
""",
)
N(
    "password_hash",
    "pg_dump",
    """
CREATE ROLE ⟪V:user⟫ WITH LOGIN PASSWORD '⟪V:scram⟫';
ALTER ROLE readonly WITH PASSWORD '⟪V:md5pg⟫';
""",
)
# encrypted blobs
N(
    "encrypted_blob",
    "ansible_vars",
    """
db_password: !vault |
  ⟪V:ansible_vault⟫
db_user: ⟪V:user⟫
""",
)
N(
    "encrypted_blob",
    "sops_file",
    """
db:
    password: ⟪V:sops_enc⟫
    api_key: ⟪V:sops_enc⟫
sops:
    lastmodified: "⟪V:date⟫T⟪V:time⟫Z"
    version: ⟪V:ver⟫
""",
)
N(
    "encrypted_blob",
    "jenkins_credentials",
    """
<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
  <id>⟪V:app⟫-deploy</id>
  <username>⟪V:user⟫</username>
  <password>⟪V:jenkins_enc⟫</password>
</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
""",
)
N(
    "encrypted_blob",
    "k8s_manifest",
    """
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
spec:
  encryptedData:
    password: ⟪V:sealed⟫
""",
)
# base64 data
N(
    "base64_data",
    "html_page",
    """
<img alt="logo" src="data:image/png;base64,⟪V:b64png⟫">
""",
)
N(
    "base64_data",
    "kubeconfig_config",
    """
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSU⟪V:b64_32⟫⟪V:b64_32⟫
    server: https://⟪V:ip_priv⟫:6443
  name: ⟪V:app⟫
""",
)
N(
    "base64_data",
    "json_api_response",
    """
{"settings": "⟪V:b64u_settings⟫", "page_cursor": "⟪V:b64_32⟫"}
""",
)
# versions
N(
    "version_string",
    "requirements_file",
    """
Django==⟪V:ver⟫
psycopg2-binary==⟪V:ver⟫
requests>=⟪V:ver⟫,<3
""",
)
N(
    "version_string",
    "csharp_source",
    """
[assembly: AssemblyVersion("⟪X:ver4⟫")]
[assembly: AssemblyFileVersion("⟪X:ver4⟫")]
""",
)
N(
    "version_string",
    "http_response",
    """
Server: nginx/1.⟪V:int⟫.⟪V:small⟫
X-Powered-By: PHP/8.⟪V:small⟫.⟪V:int⟫
X-App-Build: ⟪X:ver4⟫
""",
)
N(
    "version_string",
    "cli_output",
    """
$ ⟪V:app⟫ --version
⟪V:app⟫ version ⟪X:ver4⟫ (build ⟪V:sha7⟫, go1.22.⟪V:small⟫)
""",
)
# private IPs
N(
    "private_ip",
    "nginx_config",
    """
upstream api {
    server ⟪V:ip_priv⟫:8080;
    server ⟪V:ip_priv⟫:8080;
}
set_real_ip_from ⟪V:ip_priv⟫;
""",
)
N(
    "private_ip",
    "docker_inspect",
    """
"Networks": {"bridge": {"Gateway": "172.17.0.1", "IPAddress": "172.17.0.⟪V:small⟫", "IPv6Gateway": "⟪V:ip6_priv⟫"}}
""",
)
N(
    "private_ip",
    "app_log",
    """
connected to redis at ⟪V:ip_priv⟫:6379, metadata from 169.254.169.254, health check from 127.0.0.1 and ⟪V:ip6_priv⟫
""",
)
# doc IPs
N(
    "documentation_ip",
    "api_docs",
    """
Allow-list your egress IP, for example `⟪V:ip_doc⟫` or `⟪V:ip_doc⟫/32`. IPv6 example: `2001:db8::⟪V:hex4⟫`.
""",
)
N(
    "documentation_ip",
    "rfc_excerpt",
    """
   Client (⟪V:ip_doc⟫) -> NAT -> Server (⟪V:ip_doc⟫), port ⟪V:port⟫
""",
)
N(
    "documentation_ip",
    "terraform_source",
    """
variable "office_cidrs" {
  default = ["⟪V:ip_doc⟫/32", "⟪V:ip_doc⟫/32"]  # replace with your ranges
}
""",
)
# reserved emails
N(
    "reserved_domain_email",
    "python_test_source",
    """
def test_signup(client):
    resp = client.post("/signup", json={"email": "⟪V:email_res⟫", "password": "***"})
    assert resp.json()["email"] == "⟪V:email_res⟫"
""",
)
N(
    "reserved_domain_email",
    "api_docs",
    """
curl -X POST https://api.⟪V:domain⟫/v1/invites -d '{"email":"⟪V:email_res⟫"}'
""",
)
N(
    "reserved_domain_email",
    "yaml_config",
    """
notifications:
  from: ⟪V:email_res⟫
  to: [⟪V:email_res⟫, ⟪V:email_res⟫]
""",
)
# ssh targets
N(
    "ssh_target",
    "shell_history",
    """
ssh -J ⟪X:ssh_target⟫ ubuntu@⟪V:ip_priv⟫
scp dump.sql ⟪X:ssh_target⟫:/tmp/
""",
)
N(
    "ssh_target",
    "shell_session",
    """
$ git clone ⟪X:git_ssh⟫
Cloning into '⟪V:repo⟫'...
""",
)
N(
    "ssh_target",
    "ansible_inventory_config",
    """
[bastion]
⟪X:ssh_target⟫ ansible_port=22
""",
)
# npm / packages
N(
    "npm_scope_package",
    "shell_session",
    """
$ npm i @⟪V:org⟫/⟪V:app⟫@⟪V:ver⟫ @types/node@20.⟪V:int⟫.0
added ⟪V:int⟫ packages in 3s
""",
)
N(
    "npm_scope_package",
    "package_json",
    """
{
  "dependencies": {
    "@⟪V:org⟫/ui": "^⟪V:ver⟫",
    "@aws-sdk/client-s3": "^3.⟪V:int⟫.0",
    "lodash": "4.17.21"
  }
}
""",
)
N(
    "npm_scope_package",
    "yarn_lock",
    """
"@⟪V:org⟫/core@^⟪V:ver⟫":
  version "⟪V:ver⟫"
  resolved "https://registry.yarnpkg.com/@⟪V:org⟫/core/-/core-⟪V:ver⟫.tgz#⟪V:sha40⟫"
""",
)
N(
    "package_version_pin",
    "gemfile_lock",
    """
GEM
  remote: https://rubygems.org/
  specs:
    rails (⟪V:ver⟫)
    pg (⟪V:ver⟫)
""",
)
N(
    "package_version_pin",
    "go_mod",
    """
module github.com/⟪V:org⟫/⟪V:repo⟫

require (
	github.com/jackc/pgx/v5 v⟪V:ver⟫
	golang.org/x/crypto v0.⟪V:int⟫.0
)
""",
)
N(
    "package_version_pin",
    "pyproject_toml",
    """
[tool.poetry.dependencies]
python = "^3.11"
fastapi = "^⟪V:ver⟫"
sqlalchemy = {version = "^⟪V:ver⟫", extras = ["asyncio"]}
""",
)
# minified
N(
    "minified_code",
    "javascript_bundle",
    """
!function(e,t){"use strict";var n="⟪V:b62_6⟫⟪V:b62_6⟫",r=function(e){return e.⟪V:b62_6⟫?e:t(n)};e.__chunk_⟪V:hash8⟫=r}(window,function(e){return{k:e,v:"⟪V:hash8⟫"}});
""",
)
N(
    "minified_code",
    "javascript_bundle",
    """
(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[⟪V:int⟫],{⟪V:int⟫:function(e,t,n){"use strict";n.d(t,{Z:function(){return o}});var o="⟪V:kid⟫"}}]);
""",
)
N(
    "minified_code",
    "css_bundle",
    """
.a⟪V:b62_6⟫{color:#1f2937}.b⟪V:b62_6⟫{background:url(/static/media/bg.⟪V:hash8⟫.webp)}
""",
)
# timestamps
N(
    "timestamp",
    "app_log",
    """
ts=⟪V:epoch⟫ ts_ms=⟪V:epoch_ms⟫ iso=⟪V:date⟫T⟪V:time⟫.000Z event=heartbeat
""",
)
N(
    "timestamp",
    "crontab",
    """
# m h dom mon dow command
⟪V:small⟫ 3 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1
*/15 * * * * /usr/local/bin/rotate-logs --since ⟪V:epoch⟫
""",
)
N(
    "timestamp",
    "json_api_response",
    """
{"created": ⟪V:epoch⟫, "updated_ms": ⟪V:epoch_ms⟫, "expires_at": "⟪V:date⟫T⟪V:time⟫+02:00"}
""",
)
# product codes
N(
    "product_code",
    "csv_export",
    """
sku,name,qty
⟪V:sku⟫,USB-C cable 2m,⟪V:int⟫
⟪V:sku⟫,Rack shelf 1U,⟪V:int⟫
""",
)
N(
    "product_code",
    "invoice_text",
    """
Item: ⟪V:sku⟫  Part no. ⟪V:serial⟫  Qty ⟪V:small⟫  EUR ⟪V:amount⟫
""",
)
N(
    "product_code",
    "json_api_response",
    """
{"product_id": "prod_⟪V:b62_6⟫⟪V:b62_6⟫", "price_id": "price_1⟪V:b62_6⟫⟪V:b62_6⟫⟪V:b62_6⟫", "sku": "⟪V:sku⟫"}
""",
)
# cloud resource ids
N(
    "cloud_resource_id",
    "terraform_state",
    """
"id": "⟪V:ec2_id⟫", "vpc_id": "⟪V:vpc_id⟫", "vpc_security_group_ids": ["⟪V:sg_id⟫"],
"arn": "arn:aws:ec2:⟪V:region⟫:⟪V:aws_acct⟫:instance/⟪V:ec2_id⟫"
""",
)
N(
    "cloud_resource_id",
    "cli_output",
    """
$ gcloud projects describe ⟪V:proj⟫
projectId: ⟪V:proj⟫
projectNumber: '⟪V:aws_acct⟫'
""",
)
N(
    "cloud_resource_id",
    "azure_cli_output",
    """
"id": "/subscriptions/⟪V:uuid⟫/resourceGroups/rg-⟪V:app⟫/providers/Microsoft.Web/sites/⟪V:app⟫",
"tenantId": "⟪V:az_tenant⟫"
""",
)
# public key PEM
N(
    "public_key_pem",
    "jwks_config",
    """
JWT_PUBLIC_KEY="⟪V:pem_pub⟫"
JWT_KID=⟪V:kid⟫
""",
)
N(
    "public_key_pem",
    "tls_certificate",
    """
⟪V:pem_cert⟫
""",
)
N(
    "public_key_pem",
    "shell_session",
    """
$ openssl rsa -in key.pem -pubout
writing RSA key
⟪V:pem_pub⟫
""",
)
# k8s object names
N(
    "kubernetes_object_name",
    "kubectl_output",
    """
NAME                              READY   STATUS    RESTARTS   AGE
⟪V:pod⟫    1/1     Running   0          ⟪V:int⟫m
⟪V:pod⟫    1/1     Running   ⟪V:small⟫          ⟪V:int⟫m
""",
)
N(
    "kubernetes_object_name",
    "k8s_events_log",
    """
Normal  Scheduled  pod/⟪V:pod⟫  Successfully assigned default/⟪V:pod⟫ to node-⟪V:hex8⟫
""",
)
N(
    "kubernetes_object_name",
    "kubectl_output",
    """
secret/⟪V:app⟫-token-⟪V:b62_6⟫ created
configmap/⟪V:app⟫-config-⟪V:hash8⟫ unchanged
""",
)
# empty / disabled credentials
N(
    "empty_credential",
    "yaml_config",
    """
redis:
  host: ⟪V:host⟫
  password: ""
  tls: false
""",
)
N(
    "empty_credential",
    "dotenv_config",
    """
SMTP_USER=
SMTP_PASSWORD=
SENTRY_DSN=
PORT=⟪V:port⟫
""",
)
N(
    "empty_credential",
    "redis_config",
    """
# requirepass foobared
protected-mode yes
port ⟪V:port⟫
""",
)
# webhook signatures
N(
    "webhook_signature",
    "http_request",
    """
POST /webhooks/github HTTP/1.1
X-GitHub-Delivery: ⟪V:uuid⟫
X-Hub-Signature-256: sha256=⟪V:sha256hex⟫
""",
)
N(
    "webhook_signature",
    "http_request",
    """
POST /webhooks/stripe HTTP/1.1
Stripe-Signature: t=⟪V:epoch⟫,v1=⟪V:sha256hex⟫
""",
)
N(
    "webhook_signature",
    "http_request",
    """
POST /slack/events HTTP/1.1
X-Slack-Request-Timestamp: ⟪V:epoch⟫
X-Slack-Signature: v0=⟪V:sha256hex⟫
""",
)
# mac / serial
N(
    "mac_serial",
    "dhcp_leases",
    """
lease ⟪V:ip_priv⟫ {
  hardware ethernet ⟪V:mac⟫;
  client-hostname "printer-⟪V:hex4⟫";
}
""",
)
N(
    "mac_serial",
    "inventory_csv",
    """
hostname,serial,mac
node-⟪V:small⟫,⟪V:serial⟫,⟪V:mac⟫
node-⟪V:small⟫,⟪V:serial⟫,⟪V:mac⟫
""",
)
N(
    "mac_serial",
    "cli_output",
    """
$ ip link show eth0
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500
    link/ether ⟪V:mac⟫ brd ff:ff:ff:ff:ff:ff
""",
)
# order numbers
N(
    "order_number",
    "email_message",
    """
Subject: Your order #⟪V:order_no⟫ has shipped
Tracking: 1Z⟪V:serial⟫ (UPS)
""",
)
N(
    "order_number",
    "app_log",
    """
order=⟪V:order_no⟫ invoice=INV-⟪V:int⟫-⟪V:order_no⟫ status=paid
""",
)
N(
    "order_number",
    "support_ticket",
    """
Customer refers to order ⟪V:order_no⟫ and RMA ⟪V:serial⟫.
""",
)
# asset content hashes
N(
    "asset_content_hash",
    "html_page",
    """
<script src="/_next/static/chunks/main-⟪V:hex16⟫.js" defer></script>
<link rel="preload" href="/fonts/inter.⟪V:hash8⟫.woff2" as="font">
""",
)
N(
    "asset_content_hash",
    "webpack_manifest",
    """
{"app.js": "app.⟪V:hash8⟫.js", "vendor.js": "vendor.⟪V:hash8⟫.js", "runtime.js": "runtime.⟪V:hash8⟫.js"}
""",
)
N(
    "asset_content_hash",
    "build_log",
    """
dist/assets/index-⟪V:b62_6⟫⟪V:b62_6⟫.js   ⟪V:int⟫.12 kB │ gzip: ⟪V:int⟫.40 kB
dist/assets/index-⟪V:b62_6⟫⟪V:b62_6⟫.css  ⟪V:int⟫.90 kB
""",
)
# mentions of secret names
N(
    "secret_name_mention",
    "readme",
    """
Set `STRIPE_SECRET_KEY`, `DATABASE_PASSWORD` and `⟪V:envname⟫` in the project settings
(Settings → Secrets → Actions). Never commit them. See ⟪V:app⟫ docs section ⟪V:small⟫.
""",
)
N(
    "secret_name_mention",
    "github_issue",
    """
The `aws_secret_access_key` option is ignored when `role_arn` is set (tested on v⟪V:ver⟫).
""",
)
N(
    "secret_name_mention",
    "qa_post",
    """
Wo trage ich den `client_secret` ein? In der Doku steht nur "password grant" und `token_endpoint`. Version ⟪V:ver⟫.
""",
    "de",
)
# redacted values
N(
    "redacted_log_value",
    "rails_log",
    """
Parameters: {"user"=>{"email"=>"[FILTERED]", "password"=>"[FILTERED]"}, "commit"=>"Sign in"}
Completed 302 Found in ⟪V:int⟫ms
""",
)
N(
    "redacted_log_value",
    "app_log",
    """
{"msg":"login","user":"⟪V:user⟫","password":"<redacted>","token":"[REDACTED]","ip":"⟪V:ip_priv⟫"}
""",
)
N(
    "redacted_log_value",
    "http_request",
    """
Authorization: Bearer [hidden]
Cookie: session=<redacted>; theme=dark
X-Request-Id: ⟪V:uuid⟫
""",
)
# snmp oids
N(
    "snmp_oid",
    "snmp_walk",
    """
SNMPv2-MIB::sysObjectID.0 = OID: .1.3.6.1.4.1.⟪V:int⟫.1.1
IF-MIB::ifInOctets.⟪V:small⟫ = Counter32: ⟪V:order_no⟫
.1.3.6.1.2.1.1.3.0 = Timeticks: (⟪V:int⟫00) 0:00:⟪V:small⟫.00
""",
)
N(
    "snmp_oid",
    "telegraf_config",
    """
[[inputs.snmp.field]]
  name = "uptime"
  oid = "1.3.6.1.2.1.1.3.0"
[[inputs.snmp.field]]
  oid = "1.3.6.1.4.1.⟪V:int⟫.2.1.⟪V:small⟫"
""",
)
N(
    "snmp_oid",
    "mib_excerpt",
    """
enterprises.⟪V:int⟫.1.2.⟪V:small⟫ ::= { cpuLoad 1 }  -- 1.3.6.1.4.1.⟪V:int⟫.1.2.⟪V:small⟫
""",
)
# jwt-shaped / oauth public artefacts
N(
    "oauth_public_metadata",
    "json_api_response",
    """
{"issuer": "https://auth.⟪V:domain⟫", "jwks_uri": "https://auth.⟪V:domain⟫/.well-known/jwks.json",
 "keys": [{"kty": "RSA", "kid": "⟪V:kid⟫", "use": "sig", "n": "⟪V:kid⟫⟪V:kid⟫", "e": "AQAB"}]}
""",
)
N(
    "oauth_public_metadata",
    "yaml_config",
    """
oidc:
  issuer: https://sso.⟪V:domain⟫/realms/main
  client_id: ⟪V:app⟫-spa
  pkce: true
  scopes: [openid, profile, email]
""",
)
N(
    "oauth_public_metadata",
    "http_response",
    """
WWW-Authenticate: Bearer realm="⟪V:app⟫", error="invalid_token", error_description="The access token expired"
""",
)


GEN.update(
    {
        "ip_dns": lambda r: r.choice(["1.1.1.1", "9.9.9.9", "8.8.8.8", "1.0.0.1", "149.112.112.112"]),
        "b64u_settings": lambda r: base64.b64encode(
            json.dumps(
                {
                    "theme": r.choice(["dark", "light"]),
                    "lang": r.choice(["de", "en", "fr"]),
                    "page_size": r.randint(10, 100),
                }
            ).encode()
        ).decode(),
        "pem_pub": lambda r: pem(r, "PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 5, tail="\nIDAQAB"),
        "pem_cert": lambda r: pem(r, "CERTIFICATE", "MIIDdzCCAl+gAwIBAgIU", r.randint(12, 18)),
    }
)

# ====================================================================== rendering
TOK = re.compile(r"⟪([SEICVX]):([a-z0-9_]+)(?:#(\w+))?⟫")
ENTITY = {"S": "SECRET", "E": "EMAIL_ADDRESS", "I": "IP_ADDRESS", "C": "CREDIT_CARD"}
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IPV4_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\d|\.\d)")
CARD_RE = re.compile(r"(?<![0-9A-Za-z])\d(?:[ -]?\d){11,18}(?![0-9A-Za-z])")


def check_value(kind, gen, val):
    assert val and val == val.strip(), (gen, val)
    if kind in ENTITY:
        assert val[0] not in "\"'`<([" and val[-1] not in "\"'`>)]", (gen, val)
    if kind == "I":
        assert ip_public_ok(val), val
    elif kind == "C":
        d = re.sub(r"[ -]", "", val)
        assert d.isdigit() and luhn_ok(d) and card_brand(d), val
        assert re.fullmatch(r"\d+(?:[ -]\d+)*", val), val
    elif kind == "E":
        assert EMAIL_RE.fullmatch(val), val
        assert not email_reserved(val.split("@", 1)[1]), val
    elif kind == "S" and gen in PASSWORD_GENS:
        assert pw_ok(val), val


def render(tpl, r):
    out, spans, exempt, cache, gens = [], [], [], {}, []
    pos = last = 0
    for m in TOK.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        kind, gen, tag = m.groups()
        key = (kind, gen, tag)
        if tag and key in cache:
            val = cache[key]
        else:
            val = GEN[gen](r)
            if "\n" in val:
                cur = "".join(out)
                line = cur[cur.rfind("\n") + 1 :]
                indent = line[: len(line) - len(line.lstrip(" \t"))]
                if indent:
                    val = val.replace("\n", "\n" + indent)
            if tag:
                cache[key] = val
        check_value(kind, gen, val)
        if kind in ENTITY:
            spans.append({"start": pos, "end": pos + len(val), "entity": ENTITY[kind]})
            gens.append(gen)
        elif kind == "X":
            exempt.append((pos, pos + len(val)))
        out.append(val)
        pos += len(val)
        last = m.end()
    out.append(tpl[last:])
    text = "".join(out)
    return text, spans, exempt, gens


def scan(text, spans, exempt):
    """Return leaks found outside labelled spans and outside X look-alikes."""
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            chars[i] = " "
    masked = "".join(chars)

    def exempted(a, b):
        return any(a >= x and b <= y for x, y in exempt)

    leaks = []
    for m in IPV4_RE.finditer(masked):
        try:
            ok = ip_public_ok(m.group(1))
        except ValueError:
            continue
        if ok and not exempted(m.start(1), m.end(1)):
            leaks.append(("ip", m.group(1)))
    for m in CARD_RE.finditer(masked):
        d = re.sub(r"[ -]", "", m.group(0))
        if luhn_ok(d) and card_brand(d) and not exempted(m.start(), m.end()):
            leaks.append(("card", m.group(0)))
    for m in EMAIL_RE.finditer(masked):
        if not email_reserved(m.group(0).split("@", 1)[1]) and not exempted(m.start(), m.end()):
            leaks.append(("email", m.group(0)))
    return leaks


def build():
    r = random.Random(SEED)
    records, seen_texts = [], set()
    span_gens = collections.Counter()
    redraws = 0

    def make(tpl, n, rid, base):
        nonlocal redraws
        made = []
        for v in range(1, n + 1):
            for attempt in range(60):
                text, spans, exempt, gens = render(tpl, r)
                if text in seen_texts or scan(text, spans, exempt):
                    redraws += 1
                    continue
                break
            else:
                raise AssertionError("could not render clean instance of %s: %r" % (rid, scan(text, spans, exempt)))
            seen_texts.add(text)
            rec = {
                "id": "%s-%03d-%d" % (PREFIX, rid, v),
                "text": text,
                "lang": base["lang"],
                "context": base["context"],
                "category": base["category"],
                "spans": spans,
            }
            made.append((rec, gens, exempt))
        return made

    tid = 0
    out = []
    for context, lang, tpl in POS:
        tid += 1
        n = r.choice([2, 3, 3, 4])
        for rec, gens, exempt in make(tpl, n, tid, {"lang": lang, "context": context, "category": "positive"}):
            span_gens.update(gens)
            out.append((rec, exempt))
    n_pos_templates = tid
    for category, context, lang, tpl in NEG:
        tid += 1
        for rec, gens, exempt in make(tpl, 4, tid, {"lang": lang, "context": context, "category": category}):
            out.append((rec, exempt))
    return out, span_gens, n_pos_templates, redraws


def validate(out, span_gens, n_pos_templates):
    ids, texts = set(), set()
    ent = collections.Counter()
    for rec, exempt in out:
        assert rec["id"] not in ids, rec["id"]
        ids.add(rec["id"])
        assert rec["text"] not in texts, rec["id"]
        texts.add(rec["text"])
        spans = rec["spans"]
        if rec["category"] == "positive":
            assert spans, rec["id"]
        else:
            assert not spans, rec["id"]
        prev = 0
        for s in spans:
            assert prev <= s["start"] < s["end"] <= len(rec["text"]), rec["id"]
            prev = s["end"]
            ent[s["entity"]] += 1
        leaks = scan(rec["text"], spans, exempt)
        assert not leaks, (rec["id"], leaks)
    # exempt look-alikes must really be IP-shaped versions or ssh/git targets
    assert ent["SECRET"] >= 700, ent
    assert ent["EMAIL_ADDRESS"] >= 150, ent
    assert ent["IP_ADDRESS"] >= 200, ent
    assert ent["CREDIT_CARD"] >= 60, ent
    assert n_pos_templates >= 140, n_pos_templates
    negs = [rec for rec, _ in out if rec["category"] != "positive"]
    cats = collections.Counter(rec["category"] for rec in negs)
    assert len(negs) >= 500 and len(cats) >= 35, (len(negs), len(cats))
    ctxs = {rec["context"] for rec, _ in out if rec["category"] == "positive"}
    langs_src = {c for c in ctxs if c.endswith("_source")}
    tools = {c for c in ctxs if c.endswith("_config")}
    assert len(langs_src) >= 15, langs_src
    assert len(tools) >= 30, tools
    vendors = {g for g in span_gens if g in VENDOR_FORMATS}
    assert len(vendors) >= 50, len(vendors)
    return ent, cats, langs_src, tools, vendors


def without_encoding_prefix(record):
    """Labelling policy from session 5 on: the ``base64:`` before a Laravel APP_KEY names the encoding and is no
    part of the secret (as ``Bearer `` is none of a token's). Applied when writing, after all checks."""
    for span in record["spans"]:
        if span["entity"] == "SECRET" and record["text"].startswith("base64:", span["start"]):
            span["start"] += len("base64:")
    return record


def main():
    out, span_gens, n_pos_templates, redraws = build()
    ent, cats, langs_src, tools, vendors = validate(out, span_gens, n_pos_templates)
    with open(OUT, "w", encoding="utf-8") as f:
        for rec, _ in out:
            f.write(json.dumps(without_encoding_prefix(rec), ensure_ascii=False) + "\n")
    # re-read and re-verify offsets from disk
    with open(OUT, encoding="utf-8") as f:
        disk = [json.loads(line) for line in f]
    assert [d["id"] for d in disk] == [rec["id"] for rec, _ in out]
    for d, (rec, _) in zip(disk, out):
        assert d == rec
    recs = [rec for rec, _ in out]
    pos = [x for x in recs if x["category"] == "positive"]
    print("wrote %s" % OUT)
    print(
        "records: %d (positive %d from %d templates, hard negative %d from %d templates)"
        % (len(recs), len(pos), n_pos_templates, len(recs) - len(pos), len(NEG))
    )
    print("spans per entity:", dict(sorted(ent.items())))
    print("distinct vendor token formats labelled: %d" % len(vendors))
    print("generators behind labelled spans:", dict(sorted(span_gens.items())))
    print("negative categories (%d):" % len(cats), dict(sorted(cats.items())))
    print("languages:", dict(collections.Counter(x["lang"] for x in recs).most_common()))
    print("programming-language contexts (%d):" % len(langs_src), sorted(langs_src))
    print("tool config contexts (%d):" % len(tools), sorted(tools))
    print(
        "contexts (%d):" % len({x["context"] for x in recs}),
        dict(collections.Counter(x["context"] for x in recs).most_common()),
    )
    print("scanner redraws: %d" % redraws)


if __name__ == "__main__":
    main()
