#!/usr/bin/env python3
"""Generate pii_testset16.jsonl, an independent labelled evaluation set for a PII / secret detector.

What it does
------------
* Holds ~370 hand-written templates (own texts) in which values are marked with
  ``⟦KIND:generator⟧`` slots.  KIND is ``S`` (SECRET), ``E`` (EMAIL_ADDRESS),
  ``IP`` (IP_ADDRESS; ``IP:6`` = IPv6), ``CC`` (CREDIT_CARD; ``CC:g`` grouped) or
  ``x`` (an *unlabelled* value such as a username, hash, private IP, placeholder...).
  ``⟦S:pw@a⟧`` binds the value to key ``a`` so it can be repeated in the same text.
* Every template is rendered 2-4 times with fresh random values from
  ``random.Random(161616)`` (standard library only, fully deterministic).
  Offsets are recorded *while* the text is being assembled, never searched afterwards.
* Templates are spread over four source kinds that a web-scale pretraining corpus
  holds: (a) source code / configuration, (b) web pages, posts, READMEs, docs,
  (c) e-mails, chats, tickets and notes in 30+ natural languages, (d) logs, shell
  sessions and HTTP traffic.  Positive templates carry labelled spans; hard-negative
  templates (46 categories) carry values a detector might wrongly flag.
* Writes one JSON object per line (UTF-8, ensure_ascii=False) with the fields
  id, text, lang, context, category, spans.

Checks (all fatal ``assert``s, run on every record before writing)
-------------------------------------------------------------------
1. text[start:end] equals the value that was inserted at that offset; spans sorted,
   non-overlapping, non-empty; positives have >= 1 span, negatives none.
2. IP_ADDRESS spans parse with ``ipaddress``, are ``is_global`` and are outside the
   documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24 and 2001:db8::/32.
3. CREDIT_CARD spans are Luhn-valid with a real brand prefix and length (separators
   allowed inside the span).
4. EMAIL_ADDRESS spans are syntactically valid and not on reserved domains
   (example.com/.org/.net, .test, .invalid, .localhost, .example).
5. Password-like SECRET values (generators pw/pwu/psk/phrase/pin) never start with a
   symbol and never end in . , ! ? : ;  -- and no SECRET has surrounding whitespace.
6. ids and texts are unique.
7. A leak scanner runs over every negative record and over the *unlabelled* parts of
   every positive (labelled spans masked out).  It must find no public IPv4/IPv6
   address, no Luhn-valid brand-prefixed card number (13-19 digits, spaces/dashes
   allowed) and no e-mail address on a non-reserved domain.
   Documented exceptions: the values of the generators ``ver4`` (four-part version /
   build numbers such as 4.2.17.1) in category ``version_like_ip`` and ``oid``
   (SNMP OIDs, whose first four arcs look like an IPv4) in category ``snmp_oid`` --
   being IPv4-shaped is exactly what those hard negatives test.
   When a random draw trips the scanner (e.g. an order number that happens to be a
   Luhn-valid card), the record is re-drawn (deterministically); a template that
   still fails after 40 draws aborts the run.
8. Dataset-level minimums: >= 600 SECRET, >= 200 EMAIL_ADDRESS, >= 200 IP_ADDRESS,
   >= 100 CREDIT_CARD spans, >= 150 positive templates, >= 500 hard negatives in
   >= 35 categories, >= 30 natural languages, >= 40 vendor token formats.

All values are fake and random.  Usage: python3 make_testset16.py
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

SEED = 161616
PREFIX = "t16"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset16.jsonl")

U = string.ascii_uppercase
L = string.ascii_lowercase
D = string.digits
A = U + L + D
HEX = "0123456789abcdef"
B64 = A + "+/"
B64U = A + "-_"


def rs(rng, chars, n):
    return "".join(rng.choice(chars) for _ in range(n))


def rbytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def b64(rng, n):
    return base64.b64encode(rbytes(rng, n)).decode()


def b64u(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def alnum_start(s, rng):
    if not s[0].isalnum():
        s = rng.choice(A) + s[1:]
    return s


# ---------------------------------------------------------------- pools
FIRST = (
    "anna lukas sophie mateo chloe noah emma liam olivia jan piotr katarzyna ivan olga yuki hiroshi "
    "minjun jisoo wei lihua fatima omar ahmed leila priya arjun rahul giulia marco lucia pablo ines joao "
    "sven ingrid mikko aino elif mehmet thanh somchai dimitris eleni zsofia bence andrei ioana petar maja "
    "tomas lina rasmus freja henrik sara david yosef noa reza sina aziz siti jose marie pierre camille "
    "hannah felix jonas lea tim agnieszka bartek oksana taras kristiina juris ruta nasrin amani kofi"
).split()
LAST = (
    "schmidt mueller dubois garcia rossi silva jansen kowalski nowak ivanov petrova tanaka sato kim park "
    "wang chen haddad rahman sharma patel bianchi fernandez santos larsen nilsson virtanen yilmaz demir tran "
    "papadopoulos nagy popescu horvat novak jensen cohen levi karimi hashemi wijaya martin bernard weber "
    "wagner becker hoffmann fischer moreau lopez ortiz costa berg hansen kozak shevchenko tamm ozols "
    "kazlauskas mwangi otieno reyes santos dela-cruz"
).split()
FREEMAIL = (
    "gmail.com yahoo.com outlook.com hotmail.com icloud.com proton.me gmx.de web.de t-online.de orange.fr "
    "free.fr laposte.net libero.it virgilio.it mail.ru yandex.ru seznam.cz wp.pl o2.pl interia.pl qq.com "
    "163.com naver.com daum.net yahoo.co.jp bol.com.br uol.com.br telefonica.net ziggo.nl telenet.be "
    "bluewin.ch gmx.at hotmail.fr abv.bg freemail.hu ukr.net inbox.lv hot.ee mail.ee yahoo.co.id"
).split()
DWORDS = (
    "bright wave nord licht blue harbor stone field peak river lumen atlas vertex orbit pixel cedar maple "
    "delta kappa tandem fjord ember quartz solar terra nimbus velo zephyr koala lynx otter falcon raven "
    "crane birch aspen coral amber flux forge works labs soft data cloud shop mart logistik media studio "
    "systems tech digital group nova kraft haus verde rio sol luna"
).split()
TLDS = "com io de fr nl pl es it co.uk se cz com.br co.jp net org ch at dk fi no app dev shop eu ua tr gr hu ro".split()
PWWORDS = (
    "harbor lantern falcon copper meadow violet granite thunder pepper orchid saturn walnut cobalt maple "
    "tiger rocket silver autumn breeze canyon dragon ember frost glacier hazel indigo jasper kestrel lemon "
    "mango nebula oyster panda quill raven sierra tulip umber velvet willow yonder zebra kasia bruno luna "
    "milo oskar greta sommer winter sonne kuchen fenetre cerise perro gato lluvia"
).split()
USERS = (
    "deploy admin root ubuntu svc_backup ci-bot jdoe mkowalski app_user etl report_ro www-data postgres "
    "gitlab-runner jenkins sa dbadmin ops monitor webmaster api_svc"
).split()


def pick_name(rng):
    return rng.choice(FIRST), rng.choice(LAST)


def g_dom(rng):
    w1, w2 = rng.sample(DWORDS, 2)
    sep = rng.choice(["", "", "-"])
    return f"{w1}{sep}{w2}.{rng.choice(TLDS)}"


def g_email(rng, arg=""):
    f, l = pick_name(rng)
    style = rng.randrange(6)
    local = [
        f"{f}.{l}",
        f"{f[0]}.{l}",
        f"{f}{l}{rng.randint(1, 99)}",
        f"{f}_{l}",
        f"{l}.{f}",
        f"{f}{rng.randint(1970, 2005)}",
    ][style]
    if arg == "corp" or (not arg and rng.random() < 0.45):
        dom = g_dom(rng)
    else:
        dom = rng.choice(FREEMAIL)
    return f"{local}@{dom}"


DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def is_public_ip(s):
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return False
    return ip.is_global and not any(ip in n for n in DOC_NETS if n.version == ip.version)


def g_ip4(rng):
    while True:
        s = ".".join(
            str(x) for x in (rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
        )
        if is_public_ip(s):
            return s


def g_ip6(rng):
    while True:
        first = rng.choice(
            [
                "2a00",
                "2a01",
                "2a02",
                "2a03",
                "2a05",
                "2600",
                "2604",
                "2606",
                "2607",
                "2401",
                "2403",
                "2404",
                "2800",
                "2c0f",
                "2001:4860",
                "2a0" + rng.choice(HEX[6:]),
            ]
        )
        groups = [format(rng.randint(0, 0xFFFF), "x") for _ in range(rng.choice([3, 4, 5, 6]))]
        if rng.random() < 0.6:
            s = first + ":" + ":".join(groups[:2]) + "::" + ":".join(groups[2:])
        else:
            n = 8 - len(first.split(":"))
            groups = [format(rng.randint(0, 0xFFFF), "x") for _ in range(n)]
            s = first + ":" + ":".join(groups)
        try:
            s = str(ipaddress.ip_address(s))
        except ValueError:  # too many groups for '::' -- draw again
            continue
        if is_public_ip(s):
            return s


def luhn_ok(d):
    tot = 0
    for i, ch in enumerate(reversed(d)):
        x = int(ch)
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        tot += x
    return tot % 10 == 0


def luhn_complete(prefix_body):
    for c in D:
        if luhn_ok(prefix_body + c):
            return prefix_body + c
    raise AssertionError


def card_brand(d):
    n = len(d)
    if not d.isdigit() or n < 12:
        return None
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (p4 == 6011 or 644 <= p3 <= 649 or p2 == 65 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    if p4 in (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763) and 12 <= n <= 19:
        return "maestro"
    return None


def g_card(rng, arg=""):
    brand = rng.choice(["visa", "visa", "visa", "mc", "mc2", "amex", "disc", "jcb", "diners", "unionpay"])
    if brand == "visa":
        pre, n = "4" + rs(rng, D, 5), 16
    elif brand == "mc":
        pre, n = str(rng.randint(51, 55)) + rs(rng, D, 4), 16
    elif brand == "mc2":
        pre, n = str(rng.randint(2221, 2720)) + rs(rng, D, 2), 16
    elif brand == "amex":
        pre, n = rng.choice(["34", "37"]) + rs(rng, D, 4), 15
    elif brand == "disc":
        pre, n = rng.choice(["6011", "65" + rs(rng, D, 2)]) + rs(rng, D, 2), 16
    elif brand == "jcb":
        pre, n = str(rng.randint(3528, 3589)) + rs(rng, D, 2), 16
    elif brand == "diners":
        pre, n = "36" + rs(rng, D, 4), 14
    else:
        pre, n = "62" + rs(rng, D, 4), 16
    num = luhn_complete(pre + rs(rng, D, n - len(pre) - 1))
    assert card_brand(num) and luhn_ok(num)
    if arg == "g":
        sep = rng.choice([" ", " ", "-"])
        if n == 15:
            parts = [num[:4], num[4:10], num[10:]]
        elif n == 14:
            parts = [num[:4], num[4:10], num[10:]]
        else:
            parts = [num[i : i + 4] for i in range(0, n, 4)]
        return sep.join(parts)
    return num


# ---------------------------------------------------------------- secret generators
PW_FORBIDDEN_END = ".,!?:;"


def fix_pw(s, rng):
    s = alnum_start(s, rng)
    while s[-1] in PW_FORBIDDEN_END:
        s = s[:-1] + rng.choice(D)
    return s


def g_pw(rng, syms="#%*+-_=!~^"):
    st = rng.randrange(6)
    w1, w2 = rng.sample(PWWORDS, 2)
    if st == 0:
        s = w1.capitalize() + rng.choice(syms) + str(rng.randint(10, 9999)) + w2
    elif st == 1:
        n = rng.randint(10, 18)
        while True:
            s = rs(rng, A + syms, n)
            if any(c in U for c in s) and any(c in L for c in s) and any(c in D for c in s):
                break
    elif st == 2:
        leet = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"})
        s = w1.capitalize().translate(leet) + rng.choice(syms) + w2.capitalize() + str(rng.randint(1, 99))
    elif st == 3:
        s = rs(rng, U, 2) + rs(rng, D, 3) + rng.choice(syms) + rs(rng, L, 4) + rs(rng, D, 2) + rs(rng, U + L, 2)
    elif st == 4:
        s = rng.choice(FIRST).capitalize() + str(rng.randint(1965, 2012)) + rng.choice(syms) + rs(rng, A, 3)
    else:
        s = w1 + str(rng.randint(0, 99)) + rng.choice(syms) + w2.upper()[:3] + rs(rng, D + L, 4)
    return fix_pw(s, rng)


def g_pwu(rng):
    return g_pw(rng, syms="-_~")


def g_psk(rng):
    if rng.random() < 0.5:
        s = (
            rng.choice(PWWORDS).capitalize()
            + rng.choice(PWWORDS).capitalize()
            + rng.choice("#%*+-_=")
            + str(rng.randint(100, 99999))
        )
    else:
        s = rs(rng, A, rng.randint(14, 24))
    return fix_pw(s, rng)


def g_phrase(rng):
    ws = rng.sample(PWWORDS, 4)
    return fix_pw(rng.choice("-_.").join(ws) + str(rng.randint(10, 999)), rng)


def g_pin(rng):
    while True:
        s = rs(rng, U + D, rng.randint(6, 8)) if rng.random() < 0.5 else rs(rng, L + D, rng.randint(6, 8))
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def g_gapp(rng):
    return " ".join(rs(rng, L, 4) for _ in range(4))


def g_djkey(rng):
    s = rs(rng, L + D + "!@#%^&*(-_=+)", 50)
    return rng.choice(L) + s[1:-1] + rng.choice(D)


def g_wpsalt(rng):
    chars = A + "!#%^&*()-_=+[]{}<>~|;:,.?/"
    s = rs(rng, chars, 64)
    return rng.choice(A) + s[1:-1] + rng.choice(A)


def g_pem(rng, sep="\n", kind=None):
    kind = kind or rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    if kind == "RSA PRIVATE KEY":
        raw = b"\x30\x82\x02\x5c\x02\x01\x00\x02\x81\x81\x00" + rbytes(rng, 590)
    elif kind == "PRIVATE KEY":
        raw = b"\x30\x81\x87\x02\x01\x00\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01" + rbytes(rng, 121)
    elif kind == "EC PRIVATE KEY":
        raw = b"\x30\x77\x02\x01\x01\x04\x20" + rbytes(rng, 114)
    else:
        raw = b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none" + rbytes(rng, 360)
    body = base64.b64encode(raw).decode()
    w = 70 if kind.startswith("OPENSSH") else 64
    lines = [body[i : i + w] for i in range(0, len(body), w)]
    return sep.join([f"-----BEGIN {kind}-----"] + lines + [f"-----END {kind}-----"])


def g_jwt(rng):
    alg = rng.choice(["HS256", "HS256", "RS256"])
    hdr = b64u(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    iat = rng.randint(1_650_000_000, 1_760_000_000)
    pl = {"sub": str(rng.randint(1000, 999999)), "iat": iat, "exp": iat + rng.choice([900, 3600, 86400])}
    if rng.random() < 0.5:
        pl["role"] = rng.choice(["admin", "user", "service"])
    if rng.random() < 0.4:
        pl["iss"] = "https://auth." + g_dom(rng)
    sig = b64u(rbytes(rng, 32 if alg == "HS256" else 256))
    return f"{hdr}.{b64u(json.dumps(pl, separators=(',', ':')).encode())}.{sig}"


def g_basic(rng):
    return base64.b64encode(f"{rng.choice(USERS)}:{g_pw(rng)}".encode()).decode()


def g_authplain(rng):
    return base64.b64encode(f"\0{rng.choice(USERS)}\0{g_pw(rng)}".encode()).decode()


def g_sess(rng):
    k = rng.randrange(3)
    return [rs(rng, L + D, 26), rs(rng, HEX, 32), b64u(rbytes(rng, 36))][k]


def g_sassig(rng):
    return b64(rng, 32).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def g_discord(rng):
    return b64u(str(rng.randint(10**17, 10**18)).encode()) + "." + rs(rng, B64U, 6) + "." + rs(rng, B64U, 38)


SECRET_GENS = {
    # vendor formats
    "akia": lambda r: "AKIA" + rs(r, U + "234567", 16),
    "asia": lambda r: "ASIA" + rs(r, U + "234567", 16),
    "awssk": lambda r: rs(r, A, 1) + rs(r, A + "+/", 39),
    "ltai": lambda r: "LTAI" + rs(r, A, 20),
    "alisk": lambda r: rs(r, A, 30),
    "ghp": lambda r: "ghp_" + rs(r, A, 36),
    "gho": lambda r: "gho_" + rs(r, A, 36),
    "ghs": lambda r: "ghs_" + rs(r, A, 36),
    "ghfg": lambda r: "github_pat_" + rs(r, U + D, 22) + "_" + rs(r, A, 59),
    "glpat": lambda r: "glpat-" + rs(r, A + "_-", 19) + rs(r, A, 1),
    "xoxb": lambda r: f"xoxb-{rs(r, D, 12)}-{rs(r, D, 13)}-{rs(r, A, 24)}",
    "xoxp": lambda r: f"xoxp-{rs(r, D, 12)}-{rs(r, D, 12)}-{rs(r, D, 13)}-{rs(r, HEX, 32)}",
    "slackhook": lambda r: f"https://hooks.slack.com/services/T{rs(r, U + D, 10)}/B{rs(r, U + D, 10)}/{rs(r, A, 24)}",
    "sklive": lambda r: "sk_live_" + rs(r, A, r.choice([24, 99])),
    "sktest": lambda r: "sk_test_" + rs(r, A, r.choice([24, 99])),
    "rklive": lambda r: "rk_live_" + rs(r, A, r.choice([24, 99])),
    "whsec": lambda r: "whsec_" + rs(r, A, 32),
    "aiza": lambda r: "AIza" + rs(r, A + "_-", 34) + rs(r, A, 1),
    "gocspx": lambda r: "GOCSPX-" + rs(r, A + "_-", 27) + rs(r, A, 1),
    "ya29": lambda r: "ya29.a0" + rs(r, A + "_-", 150) + rs(r, A, 1),
    "openai": lambda r: r.choice(
        ["sk-proj-" + rs(r, A + "_-", 155) + rs(r, A, 1), "sk-" + rs(r, A, 20) + "T3BlbkFJ" + rs(r, A, 20)]
    ),
    "anthropic": lambda r: "sk-ant-api03-" + rs(r, A + "_-", 93) + "AA",
    "twtok": lambda r: rs(r, HEX, 32),
    "twsk": lambda r: "SK" + rs(r, HEX, 32),
    "sendgrid": lambda r: "SG." + rs(r, A + "_-", 22) + "." + rs(r, A + "_-", 42) + rs(r, A, 1),
    "mailgun": lambda r: "key-" + rs(r, HEX, 32),
    "mailchimp": lambda r: rs(r, HEX, 32) + "-us" + str(r.randint(1, 21)),
    "npm": lambda r: "npm_" + rs(r, A, 36),
    "pypi": lambda r: "pypi-AgEIcHlwaS5vcmc" + rs(r, A + "_-", r.randint(120, 160)) + rs(r, A, 1),
    "rubygems": lambda r: "rubygems_" + rs(r, HEX, 48),
    "dckr": lambda r: "dckr_pat_" + rs(r, A + "_-", 26) + rs(r, A, 1),
    "dop": lambda r: "dop_v1_" + rs(r, HEX, 64),
    "shpat": lambda r: "shpat_" + rs(r, HEX, 32),
    "shpss": lambda r: "shpss_" + rs(r, HEX, 32),
    "sqtok": lambda r: "EAAA" + rs(r, A + "_-", 59) + rs(r, A, 1),
    "sqsec": lambda r: "sq0csp-" + rs(r, A + "_-", 42) + rs(r, A, 1),
    "discord": g_discord,
    "telegram": lambda r: f"{r.randint(10**8, 10**10 - 1)}:AA{rs(r, A + '_-', 32)}{rs(r, A, 1)}",
    "azkey": lambda r: b64(r, 64),
    "hf": lambda r: "hf_" + rs(r, A, 34),
    "dapi": lambda r: "dapi" + rs(r, HEX, 32),
    "atlassian": lambda r: "ATATT3xFfGF0" + rs(r, A + "_-", 170) + rs(r, A, 1) + "=" + rs(r, "0123456789ABCDEF", 8),
    "ddapi": lambda r: rs(r, HEX, 32),
    "ddapp": lambda r: rs(r, HEX, 40),
    "nrak": lambda r: "NRAK-" + rs(r, U + D, 27),
    "sntryu": lambda r: "sntryu_" + rs(r, HEX, 64),
    "doppler": lambda r: "dp.st." + r.choice(["dev", "stg", "prd"]) + "." + rs(r, A, 40),
    "linear": lambda r: "lin_api_" + rs(r, A, 40),
    "pmak": lambda r: "PMAK-" + rs(r, HEX, 24) + "-" + rs(r, HEX, 34),
    "glsa": lambda r: "glsa_" + rs(r, A, 32) + "_" + rs(r, HEX, 8),
    "pulumi": lambda r: "pul-" + rs(r, HEX, 40),
    "dropbox": lambda r: "sl." + rs(r, A + "_-", 134) + rs(r, A, 1),
    "figma": lambda r: "figd_" + rs(r, A + "_-", 39) + rs(r, A, 1),
    "notion": lambda r: r.choice(["secret_" + rs(r, A, 43), "ntn_" + rs(r, D, 11) + rs(r, A, 35)]),
    "airtable": lambda r: "pat" + rs(r, A, 14) + "." + rs(r, HEX, 64),
    "vault": lambda r: "hvs." + rs(r, A + "_-", 89) + rs(r, A, 1),
    "tfc": lambda r: rs(r, A, 14) + ".atlasv1." + rs(r, A, 67),
    "age": lambda r: "AGE-SECRET-KEY-1" + rs(r, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
    "mapboxsk": lambda r: "sk.eyJ1Ijoi" + rs(r, A, 30) + "." + rs(r, A + "_-", 21) + rs(r, A, 1),
    "heroku": lambda r: "HRKU-AA" + rs(r, A + "_-", 57) + rs(r, A, 1),
    "cfapi": lambda r: rs(r, A, 1) + rs(r, A + "_-", 38) + rs(r, A, 1),
    "okta": lambda r: "00" + rs(r, A + "_-", 39) + rs(r, A, 1),
    "nfp": lambda r: "nfp_" + rs(r, A, 36),
    "supabase": lambda r: "sbp_" + rs(r, HEX, 40),
    "contentful": lambda r: "CFPAT-" + rs(r, A + "_-", 42) + rs(r, A, 1),
    "pscale": lambda r: "pscale_pw_" + rs(r, A + "_-", 42) + rs(r, A, 1),
    "circleci": lambda r: "CCIPAT_" + rs(r, A, 22) + "_" + rs(r, HEX, 40),
    "fbtok": lambda r: "EAAB" + rs(r, A, 180),
    "awssess": lambda r: "IQoJb3JpZ2luX2VjE" + rs(r, A + "+/", 300) + rs(r, A, 1),
    # generic credentials
    "pw": g_pw,
    "pwu": g_pwu,
    "psk": g_psk,
    "phrase": g_phrase,
    "pin": g_pin,
    "gapp": g_gapp,
    "djkey": g_djkey,
    "wpsalt": g_wpsalt,
    "pem": g_pem,
    "pemesc": lambda r: g_pem(r, sep="\\n", kind="PRIVATE KEY"),
    "pemind": lambda r: g_pem(r, sep="\n  "),
    "jwt": g_jwt,
    "basic": g_basic,
    "authplain": g_authplain,
    "sess": g_sess,
    "sassig": g_sassig,
    "opaque": lambda r: rs(r, A, 40),
    "hex32": lambda r: rs(r, HEX, 32),
    "b64k32": lambda r: b64(r, 32),
}
GENERIC = {
    "pw",
    "pwu",
    "psk",
    "phrase",
    "pin",
    "gapp",
    "djkey",
    "wpsalt",
    "pem",
    "pemesc",
    "pemind",
    "jwt",
    "basic",
    "authplain",
    "sess",
    "sassig",
    "opaque",
    "hex32",
    "b64k32",
}
PASSWORDLIKE = {"pw", "pwu", "psk", "phrase", "pin"}


# ---------------------------------------------------------------- unlabelled / negative generators
def g_priv_ip(rng):
    k = rng.randrange(3)
    if k == 0:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if k == 1:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def g_doc_ip(rng):
    return rng.choice(["192.0.2", "198.51.100", "203.0.113"]) + "." + str(rng.randint(1, 254))


def g_doc_ip6(rng):
    return str(
        ipaddress.ip_address(
            "2001:db8:%x:%x::%x" % (rng.randint(0, 0xFFFF), rng.randint(0, 0xFFFF), rng.randint(1, 0xFFFF))
        )
    )


def g_special_ip(rng):
    k = rng.randrange(6)
    return [
        f"127.0.{rng.randint(0, 1)}.{rng.randint(1, 254)}",
        f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
        f"{rng.randint(224, 239)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        "0.0.0.0",
        "255.255.255.255",
    ][k]


def g_special_ip6(rng):
    k = rng.randrange(4)
    return [
        "::1",
        "fe80::%x:%x:%x:%x" % tuple(rng.randint(0, 0xFFFF) for _ in range(4)),
        "fd%02x:%x:%x::%x"
        % (rng.randint(0, 255), rng.randint(0, 0xFFFF), rng.randint(0, 0xFFFF), rng.randint(1, 0xFFFF)),
        "ff02::%x" % rng.randint(1, 0xFB),
    ][k]


def g_ver4(rng):
    return f"{rng.randint(1, 12)}.{rng.randint(0, 24)}.{rng.randint(0, 60)}.{rng.randint(1, 250)}"


def g_oid(rng):
    return "1.3.6.1." + rng.choice(
        [
            "2.1.1.3.0",
            "2.1.2.2.1.10." + str(rng.randint(1, 48)),
            "4.1." + str(rng.randint(2000, 60000)) + "." + str(rng.randint(1, 9)) + ".1",
        ]
    )


def g_resemail(rng):
    f, l = pick_name(rng)
    dom = rng.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "shop.test",
            "corp.invalid",
            "dev.localhost",
            "acme.example",
            "staging.example.org",
            "qa.test",
        ]
    )
    return f"{rng.choice([f, f + '.' + l, f[0] + l])}@{dom}"


def g_luhnbad(rng):
    num = g_card(rng).replace(" ", "")
    bad = num[:-1] + str((int(num[-1]) + rng.randint(1, 9)) % 10)
    assert not luhn_ok(bad)
    if rng.random() < 0.5 and len(bad) == 16:
        return " ".join(bad[i : i + 4] for i in range(0, 16, 4))
    return bad


def g_luhn_noncard(rng, n=None, first=None):
    while True:
        n = n or rng.choice([12, 14, 16, 18])
        first = first or rng.choice("179")
        num = luhn_complete(first + rs(rng, D, n - 2))
        if not card_brand(num):
            return num


def g_imei(rng):
    while True:
        num = luhn_complete(rng.choice(["35", "86", "01"]) + rs(rng, D, 12))
        if not card_brand(num):
            return num


def g_safe_digits(rng, n):
    while True:
        s = rng.choice("123456789") + rs(rng, D, n - 1)
        if not (card_brand(s) and luhn_ok(s)):
            return s


def g_bcrypt(rng):
    return "$2b$" + rng.choice(["10", "12"]) + "$" + rs(rng, A + "./", 53)


def g_pwhash(rng):
    k = rng.randrange(4)
    if k == 0:
        return g_bcrypt(rng)
    if k == 1:
        return "$argon2id$v=19$m=65536,t=3,p=4$" + b64u(rbytes(rng, 16)) + "$" + b64u(rbytes(rng, 32))
    if k == 2:
        return "$6$" + rs(rng, A + "./", 16) + "$" + rs(rng, A + "./", 86)
    return "pbkdf2_sha256$" + str(rng.choice([600000, 870000])) + "$" + rs(rng, A, 22) + "$" + b64(rng, 32)


def g_sshpub(rng):
    if rng.random() < 0.5:
        key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(rng, B64, 43)
    else:
        key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(rng, B64, 300)
    return key + " " + rng.choice(USERS) + "@" + rng.choice(["laptop", "build-01", "ws-17", "macbook"])


def g_pempub(rng):
    kind = rng.choice(["PUBLIC KEY", "CERTIFICATE"])
    raw = (
        b"\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01"
        if kind == "PUBLIC KEY"
        else b"\x30\x82\x01\x8a\x30\x82\x01\x30\xa0\x03\x02\x01\x02"
    ) + rbytes(rng, 78 if kind == "PUBLIC KEY" else 300)
    body = base64.b64encode(raw).decode()
    return "\n".join(
        [f"-----BEGIN {kind}-----"] + [body[i : i + 64] for i in range(0, len(body), 64)] + [f"-----END {kind}-----"]
    )


def g_masked(rng):
    k = rng.randrange(7)
    return [
        "sk_live_" + "*" * 20 + rs(rng, A, 4),
        "ghp_" + "•" * 12 + rs(rng, A, 4),
        "AKIA" + "X" * 12 + rs(rng, U, 4),
        "********",
        "xoxb-****-****-" + rs(rng, A, 4),
        rs(rng, A, 4) + "…" + rs(rng, A, 4),
        "●●●●●●●●●●",
    ][k]


def g_placeholder(rng):
    return rng.choice(
        [
            "<YOUR_API_KEY>",
            "your-secret-here",
            "REPLACE_ME",
            "xxxxxxxxxxxxxxxxxxxxxxxx",
            "<password>",
            "CHANGE_THIS_VALUE",
            "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
            "YOUR_TOKEN_HERE",
            "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "********",
            "[insert password]",
            "TODO",
        ]
    )


def g_envref(rng):
    v = rng.choice(
        [
            "DB_PASSWORD",
            "API_KEY",
            "STRIPE_SECRET_KEY",
            "GITHUB_TOKEN",
            "SMTP_PASS",
            "OPENAI_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "REDIS_PASSWORD",
            "JWT_SECRET",
        ]
    )
    return rng.choice(
        [
            f"${{{v}}}",
            f"${v}",
            f"os.environ['{v}']",
            f"process.env.{v}",
            f"%{v}%",
            f"$env:{v}",
            f'ENV.fetch("{v}")',
            f'getenv("{v}")',
        ]
    )


def g_tplvar(rng):
    v = rng.choice(["db_password", "api_token", "smtp_password", "secret_key", "NPM_TOKEN", "DEPLOY_KEY"])
    return rng.choice(
        [
            f"{{{{ secrets.{v.upper()} }}}}",
            f"{{{{ vault_{v} }}}}",
            f"%({v})s",
            f"{{{v}}}",
            f"<%= ENV['{v.upper()}'] %>",
            f"#{{{v}}}",
            f"${{var.{v}}}",
            f"{{{{ .Values.{v} }}}}",
        ]
    )


def g_csrf(rng):
    return rng.choice([rs(rng, A, 64), b64u(rbytes(rng, 32)), rs(rng, HEX, 40)])


def g_nonce(rng):
    return b64(rng, 16)


def g_alnumword(rng):
    return rng.choice(
        [
            "COVID19",
            "MP3",
            "i18n",
            "x86_64",
            "H2O",
            "B2B",
            "4K",
            "Win10Pro",
            "A4",
            "IPv6",
            "WPA2",
            "k8s",
            "a11y",
            "S3",
            "EC2",
            "GPT4",
            "RTX4090",
            "PS5",
            "5G",
            "Q3FY24",
            "M2Pro",
            "B12",
            "CO2",
            "F1",
            "G7",
            "USB3",
            "HDMI2",
            "mp4",
            "Y2K",
            "24x7",
            "W3C",
            "l10n",
            "e2e",
            "3D",
            "Gen2",
            "v2beta1",
            "ARM64",
            "Base64",
            "SHA256",
            "utf8mb4",
            "P2P",
            "Web3",
            "H264",
            "AV1",
            "m1",
            "DDR5",
        ]
    )


def g_sku(rng):
    return rng.choice(
        [
            f"SKU-{rs(rng, U, 3)}-{rs(rng, D, 5)}",
            f"{rs(rng, U, 2)}{rs(rng, D, 4)}-{rs(rng, U + D, 3)}",
            f"ART.{rs(rng, D, 3)}.{rs(rng, D, 3)}.{rs(rng, D, 2)}",
            f"B0{rs(rng, U + D, 8)}",
        ]
    )


def g_pnr(rng):
    return rs(rng, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6)


def g_coupon(rng):
    return (
        rng.choice(["SAVE", "WELCOME", "BLACKFRIDAY", "SUMMER", "SOLDES", "RABATT", "FREESHIP", "NEU"])
        + rng.choice(["", "-"])
        + str(rng.choice([5, 10, 15, 20, 25, 30, 50]))
        + rng.choice(["", "", rs(rng, U, 2)])
    )


def g_ups(rng):
    return rng.choice(
        [
            "1Z" + rs(rng, U + D, 16),
            rs(rng, U, 2) + rs(rng, D, 9) + rng.choice(["DE", "CN", "GB", "US"]),
            g_safe_digits(rng, 12),
        ]
    )


def g_btc(rng):
    k = rng.randrange(3)
    if k == 0:
        return "bc1q" + rs(rng, "qpzry9x8gf2tvdw0s3jn54khce6mua7l", 38)
    if k == 1:
        return "0x" + rs(rng, HEX + "ABCDEF", 40)
    return rng.choice("13") + rs(rng, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33)


def g_b64blob(rng):
    return rng.choice(
        [
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA",
            "data:font/woff2;base64,d09GMgABAAAA",
            "data:image/gif;base64,R0lGODlhAQABAIAAAP",
        ]
    ) + b64(rng, rng.randint(40, 90))


def g_mac(rng):
    sep = rng.choice([":", "-"])
    return sep.join(rs(rng, HEX, 2) for _ in range(6))


def g_podname(rng):
    return (
        rng.choice(["web", "api", "worker", "checkout", "ingest"])
        + "-"
        + rs(rng, "bcdfghjklmnpqrstvwxz2456789", 10)
        + "-"
        + rs(rng, "bcdfghjklmnpqrstvwxz2456789", 5)
    )


def g_ulid(rng):
    return rs(rng, "0123456789ABCDEFGHJKMNPQRSTVWXYZ", 26)


def g_isbn(rng):
    body = "978" + str(rng.randint(0, 1)) + rs(rng, D, 8)
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    return body + str((10 - s % 10) % 10)


X_GENS = {
    "user": lambda r: r.choice(USERS),
    "name": lambda r: " ".join(x.capitalize() for x in pick_name(r)),
    "fname": lambda r: pick_name(r)[0].capitalize(),
    "lname": lambda r: pick_name(r)[1].capitalize(),
    "dom": g_dom,
    "word": lambda r: r.choice(DWORDS),
    "app": lambda r: r.choice(["billing", "crm", "shop", "ledger", "intranet", "portal", "ingest", "auth"]),
    "pip": g_priv_ip,
    "port": lambda r: str(r.choice([22, 2222, 8080, 8443, 5432, 3306, 6379, 9200, 27017, 5672])),
    "num": lambda r: str(r.randint(100, 99999)),
    "pid": lambda r: str(r.randint(300, 65000)),
    "uuid": lambda r: (
        "%s-%s-4%s-%s%s-%s"
        % (rs(r, HEX, 8), rs(r, HEX, 4), rs(r, HEX, 3), r.choice("89ab"), rs(r, HEX, 3), rs(r, HEX, 12))
    ),
    "sha1": lambda r: rs(r, HEX, 40),
    "sha7": lambda r: rs(r, HEX, 7),
    "sha256": lambda r: rs(r, HEX, 64),
    "md5": lambda r: rs(r, HEX, 32),
    "date": lambda r: f"20{r.randint(19, 26)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    "time": lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
    "ts": lambda r: (
        f"20{r.randint(19, 26)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:"
        f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
    ),
    "clf": lambda r: (
        f"{r.randint(1, 28):02d}/{r.choice(['Jan', 'Mar', 'Jun', 'Sep', 'Nov'])}/20{r.randint(19, 26)}:"
        f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d} +0000"
    ),
    "epoch": lambda r: str(r.randint(1_500_000_000, 1_790_000_000)),
    "epochms": lambda r: str(r.randint(1_500_000_000_000, 1_790_000_000_000)),
    "ver": lambda r: f"{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
    "ver4": g_ver4,
    "oid": g_oid,
    "snow": lambda r: "1" + rs(r, D, 18),
    "twsid": lambda r: "AC" + rs(r, HEX, 32),
    "pklive": lambda r: "pk_live_" + rs(r, A, r.choice([24, 99])),
    "pktest": lambda r: "pk_test_" + rs(r, A, r.choice([24, 99])),
    "mapboxpk": lambda r: "pk.eyJ1Ijoi" + rs(r, A, 30) + "." + rs(r, A + "_-", 22),
    "recaptcha": lambda r: "6L" + rs(r, A + "_-", 38),
    "algolia": lambda r: rs(r, HEX, 32),
    "algoliaapp": lambda r: rs(r, U + D, 10),
    "gclient": lambda r: f"{rs(r, D, 12)}-{rs(r, L + D, 32)}.apps.googleusercontent.com",
    "qid": lambda r: rs(r, "0123456789ABCDEF", 10),
    "hex16": lambda r: rs(r, HEX, 16),
    "trace": lambda r: rs(r, HEX, 32),
    "mac": g_mac,
    "privip": g_priv_ip,
    "docip": g_doc_ip,
    "docip6": g_doc_ip6,
    "spip": g_special_ip,
    "spip6": g_special_ip6,
    "resemail": g_resemail,
    "luhnbad": g_luhnbad,
    "noncard": g_luhn_noncard,
    "imei": g_imei,
    "sin": lambda r: g_luhn_noncard(r, n=9, first=r.choice("12456")),
    "order": lambda r: g_safe_digits(r, r.choice([8, 10, 13])),
    "bcrypt": g_bcrypt,
    "pwhash": g_pwhash,
    "sshpub": g_sshpub,
    "pempub": g_pempub,
    "masked": g_masked,
    "placeholder": g_placeholder,
    "envref": g_envref,
    "tplvar": g_tplvar,
    "csrf": g_csrf,
    "nonce": g_nonce,
    "alnum": g_alnumword,
    "sku": g_sku,
    "pnr": g_pnr,
    "coupon": g_coupon,
    "ups": g_ups,
    "btc": g_btc,
    "b64blob": g_b64blob,
    "podname": g_podname,
    "ulid": g_ulid,
    "isbn": g_isbn,
    "objid": lambda r: rs(r, HEX, 24),
    "digest": lambda r: "sha256:" + rs(r, HEX, 64),
    "integrity": lambda r: "sha512-" + b64(r, 64),
    "color": lambda r: "#" + rs(r, HEX, 6),
    "lat": lambda r: f"{r.uniform(-60, 70):.6f}",
    "lon": lambda r: f"{r.uniform(-170, 170):.6f}",
    "asset": lambda r: rs(r, HEX, 8),
    "akiaex": lambda r: r.choice(["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"]),
    "skex": lambda r: r.choice(
        ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"]
    ),
    "maskcard": lambda r: (
        r.choice(["**** **** **** ", "XXXX-XXXX-XXXX-", "•••• ", "ending in ", "xxxxxxxxxxxx"]) + rs(r, D, 4)
    ),
    "cardlast4": lambda r: rs(r, D, 4),
    "redacted": lambda r: r.choice(
        ["[REDACTED]", "***", "<hidden>", "[FILTERED]", "<redacted>", "(removed)", "[masked]", "█████████"]
    ),
    "age_pub": lambda r: "age1" + rs(r, "qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
    "price": lambda r: f"{r.randint(3, 899)}.{r.choice(['00', '50', '99', '95'])}",
}

EXEMPT_IP_GENS = {"ver4": "version_like_ip", "oid": "snmp_oid"}

# ---------------------------------------------------------------- templates
TEMPLATES = []


def P(grp, lang, ctx, text, n=3):
    TEMPLATES.append(dict(grp=grp, lang=lang, ctx=ctx, cat="positive", text=text.strip("\n"), n=n))


def N(cat, grp, lang, ctx, text, n=4):
    TEMPLATES.append(dict(grp=grp, lang=lang, ctx=ctx, cat=cat, text=text.strip("\n"), n=n))


# ======================= (a) source code and configuration ======================
P(
    "a",
    "en",
    "python_settings",
    """
# settings/production.py
DEBUG = False
ALLOWED_HOSTS = ["⟦IP⟧", "shop.⟦x:dom⟧"]
SECRET_KEY = "⟦S:djkey⟧"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "⟦x:user⟧",
        "PASSWORD": "⟦S:pw⟧",
        "HOST": "⟦x:pip⟧",
    }
}
EMAIL_HOST_USER = "⟦E⟧"
EMAIL_HOST_PASSWORD = "⟦S:gapp⟧"
""",
)
P(
    "a",
    "en",
    "dotenv",
    """
APP_ENV=production
APP_DEBUG=false
APP_KEY=base64:⟦S:b64k32⟧
DB_HOST=⟦x:pip⟧
DB_USERNAME=⟦x:user⟧
DB_PASSWORD=⟦S:pw⟧
STRIPE_KEY=⟦x:pklive⟧
STRIPE_SECRET=⟦S:sklive⟧
MAIL_FROM_ADDRESS=⟦E⟧
""",
)
P(
    "a",
    "en",
    "docker_compose",
    """
services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: ⟦x:user⟧
      POSTGRES_PASSWORD: ⟦S:pw⟧
  worker:
    build: .
    environment:
      - REDIS_URL=redis://:⟦S:pwu⟧@redis:6379/0
      - SENTRY_AUTH_TOKEN=⟦S:sntryu⟧
""",
)
P(
    "a",
    "en",
    "k8s_manifest",
    """
apiVersion: v1
kind: Secret
metadata:
  name: ⟦x:app⟧-credentials
  namespace: prod
type: Opaque
stringData:
  GITHUB_TOKEN: ⟦S:ghp⟧
  HF_TOKEN: "⟦S:hf⟧"
""",
)
P(
    "a",
    "en",
    "terraform",
    """
provider "aws" {
  region     = "eu-central-1"
  access_key = "⟦S:akia⟧"
  secret_key = "⟦S:awssk⟧"
}

resource "aws_security_group_rule" "office_ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["⟦IP⟧/32", "⟦IP⟧/32"]
}
""",
)
P(
    "a",
    "en",
    "javascript_source",
    """
// notify.js - send SMS on failed payment
const twilio = require("twilio");
const client = twilio(process.env.TWILIO_SID || "⟦x:twsid⟧", "⟦S:twtok⟧");

module.exports = async (to, body) => client.messages.create({ to, from: "+15005550006", body });
""",
)
P(
    "a",
    "en",
    "java_properties",
    """
spring.datasource.url=jdbc:mysql://⟦IP⟧:3306/orders?useSSL=true
spring.datasource.username=⟦x:user⟧
spring.datasource.password=⟦S:pw⟧
spring.mail.host=smtp.⟦x:dom⟧
spring.mail.username=⟦E⟧
spring.mail.password=⟦S:pw⟧
""",
)
P(
    "a",
    "en",
    "go_source",
    """
func newGitHubClient(ctx context.Context) *github.Client {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "⟦S:gho⟧"})
	return github.NewClient(oauth2.NewClient(ctx, ts))
}
""",
)
P(
    "a",
    "en",
    "php_config",
    """
<?php
define( 'DB_NAME', 'wp_⟦x:word⟧' );
define( 'DB_USER', '⟦x:user⟧' );
define( 'DB_PASSWORD', '⟦S:pw⟧' );
define( 'DB_HOST', '⟦IP⟧' );
define( 'AUTH_KEY',         '⟦S:wpsalt⟧' );
define( 'SECURE_AUTH_KEY',  '⟦S:wpsalt⟧' );
""",
)
P(
    "a",
    "en",
    "ruby_source",
    """
Aws.config.update(
  region: 'us-west-2',
  credentials: Aws::Credentials.new('⟦S:akia⟧', '⟦S:awssk⟧')
)
S3 = Aws::S3::Client.new
""",
)
P(
    "a",
    "en",
    "csharp_source",
    """
var connStr = "Server=tcp:sql-⟦x:word⟧.database.windows.net,1433;Initial Catalog=crm;User ID=⟦x:user⟧;Password=⟦S:pw⟧;Encrypt=True;";
using var conn = new SqlConnection(connStr);
""",
)
P(
    "a",
    "en",
    "json_config",
    """
{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=⟦x:word⟧store;AccountKey=⟦S:azkey⟧;EndpointSuffix=core.windows.net",
    "FUNCTIONS_WORKER_RUNTIME": "python"
  }
}
""",
)
P(
    "a",
    "en",
    "npmrc",
    """
registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=⟦S:npm⟧
always-auth=true
""",
)
P(
    "a",
    "en",
    "pypirc",
    """
[distutils]
index-servers = pypi

[pypi]
username = __token__
password = ⟦S:pypi⟧
""",
)
P(
    "a",
    "en",
    "ci_yaml",
    """
name: release
on: [push]
env:
  DOCKERHUB_USER: ⟦x:user⟧
  DOCKERHUB_TOKEN: ⟦S:dckr⟧
  SLACK_WEBHOOK: ⟦S:slackhook⟧
jobs:
  build:
    runs-on: ubuntu-latest
""",
)
P(
    "a",
    "en",
    "ansible_vars",
    """
# group_vars/db.yml
ansible_host: ⟦IP⟧
ansible_user: ⟦x:user⟧
ansible_become_pass: ⟦S:pw⟧
mysql_root_password: "⟦S:pw⟧"
""",
)
P(
    "a",
    "en",
    "nginx_conf",
    """
location /upstream/ {
    allow ⟦IP⟧;
    deny  all;
    proxy_pass http://⟦x:pip⟧:8080;
    proxy_set_header Authorization "Basic ⟦S:basic⟧";
}
""",
)
P(
    "a",
    "en",
    "python_source",
    """
import requests

OPENAI_KEY = "⟦S:openai⟧"
resp = requests.get("https://api.openai.com/v1/models",
                    headers={"Authorization": f"Bearer {OPENAI_KEY}"}, timeout=10)
""",
)
P(
    "a",
    "en",
    "rust_source",
    """
let res = reqwest::Client::new()
    .post("https://api.sendgrid.com/v3/mail/send")
    .bearer_auth("⟦S:sendgrid⟧")
    .json(&body)
    .send()
    .await?;
""",
)
P(
    "a",
    "en",
    "android_xml",
    """
<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">⟦x:word⟧</string>
    <string name="google_maps_key">⟦S:aiza⟧</string>
    <string name="support_email">⟦E⟧</string>
</resources>
""",
)
P(
    "a",
    "en",
    "swift_source",
    """
enum Secrets {
    static let telegramBotToken = "⟦S:telegram⟧"
    static let backendURL = URL(string: "https://⟦IP⟧:8443/api")!
}
""",
)
P(
    "a",
    "en",
    "shell_script",
    """
#!/usr/bin/env bash
set -euo pipefail
export DIGITALOCEAN_TOKEN=⟦S:dop⟧
doctl compute droplet list --format Name,PublicIPv4
rsync -az ./dist/ ⟦x:user⟧@⟦IP⟧:/var/www/html/
""",
)
P(
    "a",
    "en",
    "sql_script",
    """
CREATE USER 'report_ro'@'%' IDENTIFIED BY '⟦S:pw⟧';
GRANT SELECT ON shop.* TO 'report_ro'@'%';
INSERT INTO customers (full_name, email, card_number) VALUES ('⟦x:name⟧', '⟦E⟧', '⟦CC⟧');
""",
)
P(
    "a",
    "en",
    "json_credentials",
    r"""
{
  "type": "service_account",
  "project_id": "⟦x:word⟧-prod-⟦x:num⟧",
  "private_key": "⟦S:pemesc⟧\n",
  "client_email": "⟦E:corp⟧",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
    n=2,
)
P(
    "a",
    "en",
    "maven_settings",
    """
<settings>
  <servers>
    <server>
      <id>nexus-releases</id>
      <username>⟦x:user⟧</username>
      <password>⟦S:pw⟧</password>
    </server>
  </servers>
</settings>
""",
)
P(
    "a",
    "en",
    "git_credentials",
    """
https://⟦x:user⟧:⟦S:ghp⟧@github.com
https://oauth2:⟦S:glpat⟧@gitlab.⟦x:dom⟧
""",
)
P(
    "a",
    "en",
    "dockerfile",
    """
FROM python:3.12-slim
ARG NPM_TOKEN=⟦S:npm⟧
ENV HUGGINGFACE_HUB_TOKEN=⟦S:hf⟧
RUN pip install --no-cache-dir -r requirements.txt
""",
)
P(
    "a",
    "en",
    "jupyter_notebook",
    r"""
{"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [],
 "source": ["import anthropic\n", "client = anthropic.Anthropic(api_key=\"⟦S:anthropic⟧\")\n"]}
""",
)
P(
    "a",
    "en",
    "toml_config",
    """
[connections.snowflake]
account = "⟦x:word⟧-⟦x:word⟧"
user = "⟦x:user⟧"
password = "⟦S:pw⟧"

[openai]
api_key = "⟦S:openai⟧"
""",
)
P(
    "a",
    "en",
    "helm_values",
    """
grafana:
  adminUser: admin
  adminPassword: ⟦S:pw⟧
  smtp:
    enabled: true
    user: ⟦E⟧
    password: "⟦S:pw⟧"
""",
)
P(
    "a",
    "en",
    "java_source",
    """
Connection conn = DriverManager.getConnection(
        "jdbc:postgresql://⟦IP⟧:5432/ledger", "⟦x:user⟧", "⟦S:pw⟧");
""",
)
P(
    "a",
    "en",
    "python_source",
    """
from aliyunsdkcore.client import AcsClient

client = AcsClient("⟦S:ltai⟧", "⟦S:alisk⟧", "cn-hangzhou")
""",
)
P(
    "a",
    "en",
    "hcl_config",
    """
credentials "app.terraform.io" {
  token = "⟦S:tfc⟧"
}
""",
    n=2,
)
P(
    "a",
    "en",
    "kubeconfig",
    """
apiVersion: v1
clusters:
- cluster:
    server: https://⟦IP⟧:6443
  name: prod
users:
- name: ci
  user:
    token: ⟦S:jwt⟧
""",
)
P(
    "a",
    "en",
    "ansible_vars",
    """
deploy_user: ⟦x:user⟧
deploy_private_key: |
  ⟦S:pemind⟧
""",
    n=2,
)
P(
    "a",
    "en",
    "yaml_config",
    """
discord:
  token: ⟦S:discord⟧
  guild_id: "⟦x:snow⟧"
  log_channel: "⟦x:snow⟧"
""",
)
P(
    "a",
    "en",
    "powershell_script",
    r"""
$secpass = ConvertTo-SecureString "⟦S:pw⟧" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ("CORP\⟦x:user⟧", $secpass)
Invoke-Command -ComputerName ⟦IP⟧ -Credential $cred -ScriptBlock { Get-Service }
""",
)
P(
    "a",
    "en",
    "php_config",
    """
'mailgun' => [
    'domain' => 'mg.⟦x:dom⟧',
    'secret' => env('MAILGUN_SECRET', '⟦S:mailgun⟧'),
    'endpoint' => 'api.eu.mailgun.net',
],
""",
)
P(
    "a",
    "en",
    "dotenv",
    """
SHOPIFY_API_KEY=⟦x:md5⟧
SHOPIFY_API_SECRET=⟦S:shpss⟧
SHOPIFY_ADMIN_TOKEN=⟦S:shpat⟧
SHOP=⟦x:word⟧-store.myshopify.com
""",
)
P(
    "a",
    "en",
    "yaml_config",
    """
# /etc/datadog-agent/datadog.yaml
api_key: ⟦S:ddapi⟧
app_key: ⟦S:ddapp⟧
site: datadoghq.eu
hostname: ⟦x:app⟧-⟦x:num⟧
""",
)
P(
    "a",
    "en",
    "dotenv",
    """
AIRFLOW_CONN_WAREHOUSE='postgresql://etl:⟦S:pwu⟧@⟦IP⟧:5432/dwh'
AIRFLOW__WEBSERVER__SECRET_KEY=⟦S:hex32⟧
""",
)
P(
    "a",
    "en",
    "javascript_source",
    """
const stripe = require('stripe')('⟦S:sktest⟧');
const endpointSecret = '⟦S:whsec⟧';
app.post('/webhook', express.raw({type: 'application/json'}), handleStripe);
""",
)
P(
    "a",
    "en",
    "python_source",
    """
client = MailchimpMarketing.Client()
client.set_config({"api_key": "⟦S:mailchimp⟧", "server": "us6"})
""",
)
P(
    "a",
    "en",
    "postman_environment",
    """
{
  "name": "prod",
  "values": [
    {"key": "baseUrl", "value": "https://⟦IP⟧/v2", "enabled": true},
    {"key": "apiKey", "value": "⟦S:pmak⟧", "enabled": true},
    {"key": "adminPassword", "value": "⟦S:pw⟧", "enabled": true}
  ]
}
""",
)
P(
    "a",
    "en",
    "dotenv",
    """
NOTION_TOKEN=⟦S:notion⟧
LINEAR_API_KEY=⟦S:linear⟧
FIGMA_TOKEN=⟦S:figma⟧
""",
)
P(
    "a",
    "en",
    "yaml_config",
    """
apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    url: http://⟦IP⟧:9090
    basicAuth: true
    basicAuthUser: ⟦x:user⟧
    secureJsonData:
      basicAuthPassword: ⟦S:pw⟧
""",
)
P(
    "a",
    "en",
    "ci_yaml",
    """
variables:
  PULUMI_ACCESS_TOKEN: "⟦S:pulumi⟧"
  CIRCLE_TOKEN: "⟦S:circleci⟧"
deploy:
  script:
    - pulumi up --yes --stack prod
""",
)
P(
    "a",
    "en",
    "config_file",
    """
network={
    ssid="⟦x:word⟧-5G"
    psk="⟦S:psk⟧"
    key_mgmt=WPA-PSK
}
""",
)
P(
    "a",
    "en",
    "dotenv",
    """
JIRA_BASE_URL=https://⟦x:word⟧.atlassian.net
JIRA_USER=⟦E⟧
JIRA_API_TOKEN=⟦S:atlassian⟧
""",
    n=2,
)
P(
    "a",
    "en",
    "ini_config",
    """
[DEFAULT]
host  = https://adb-⟦x:num⟧.azuredatabricks.net
token = ⟦S:dapi⟧

[staging]
host  = https://adb-⟦x:num⟧.azuredatabricks.net
token = ⟦S:dapi⟧
""",
)
P(
    "a",
    "en",
    "key_file",
    """
# created: ⟦x:ts⟧
# public key: ⟦x:age_pub⟧
⟦S:age⟧
""",
)
P(
    "a",
    "en",
    "ini_config",
    """
[default]
access_key = ⟦S:akia⟧
secret_key = ⟦S:awssk⟧
host_base = s3.amazonaws.com
use_https = True
""",
)
P(
    "a",
    "en",
    "netrc",
    """
machine api.heroku.com
  login ⟦E⟧
  password ⟦S:heroku⟧
machine git.heroku.com
  login ⟦E⟧
  password ⟦S:heroku⟧
""",
)
P(
    "a",
    "en",
    "python_source",
    """
def test_vault_login():
    client = hvac.Client(url="https://vault.⟦x:dom⟧:8200", token="⟦S:vault⟧")
    assert client.is_authenticated()
""",
)
P(
    "a",
    "en",
    "javascript_source",
    """
export const config = {
  mapbox: { publicToken: "⟦x:mapboxpk⟧", uploadToken: "⟦S:mapboxsk⟧" },
  stripe: { publishableKey: "⟦x:pktest⟧", restrictedKey: "⟦S:rklive⟧" },
};
""",
)
P(
    "a",
    "en",
    "python_source",
    """
import dropbox
dbx = dropbox.Dropbox("⟦S:dropbox⟧")
dbx.files_upload(data, "/backups/⟦x:date⟧.tar.gz")
""",
)
P(
    "a",
    "en",
    "yaml_config",
    """
square:
  environment: production
  access_token: ⟦S:sqtok⟧
  application_secret: ⟦S:sqsec⟧
""",
)
P(
    "a",
    "en",
    "dotenv",
    """
CLOUDFLARE_API_TOKEN=⟦S:cfapi⟧
OKTA_API_TOKEN=⟦S:okta⟧
NETLIFY_AUTH_TOKEN=⟦S:nfp⟧
""",
)
P(
    "a",
    "en",
    "typescript_source",
    """
const supabaseAdmin = createManagementClient({ accessToken: '⟦S:supabase⟧' });
const cms = contentful.createClient({ accessToken: '⟦S:contentful⟧' });
""",
)
P(
    "a",
    "en",
    "dotenv",
    """
DATABASE_URL="mysql://⟦x:user⟧:⟦S:pscale⟧@aws.connect.psdb.cloud/⟦x:app⟧?sslaccept=strict"
NEW_RELIC_API_KEY=⟦S:nrak⟧
""",
)
P(
    "a",
    "en",
    "python_source",
    """
GRAPH_TOKEN = "⟦S:fbtok⟧"
META_APP_SECRET = "⟦S:hex32⟧"
""",
)
P(
    "a",
    "en",
    "yaml_config",
    """
grafana_cloud:
  stack_url: https://⟦x:word⟧.grafana.net
  service_account_token: ⟦S:glsa⟧
doppler:
  token: ⟦S:doppler⟧
""",
)
P(
    "a",
    "en",
    "gemfile_credentials",
    """
---
:rubygems_api_key: ⟦S:rubygems⟧
""",
    n=2,
)
P(
    "a",
    "en",
    "python_source",
    """
creds = google.oauth2.credentials.Credentials(
    token="⟦S:ya29⟧",
    client_id="⟦x:gclient⟧",
    client_secret="⟦S:gocspx⟧",
)
""",
)
P(
    "a",
    "en",
    "cpp_source",
    """
// TODO remove before release!!
static const char* kApiKey   = "⟦S:airtable⟧";
static const char* kSlackBot = "⟦S:xoxb⟧";
""",
)
P(
    "a",
    "en",
    "dotenv",
    """
AWS_ACCESS_KEY_ID=⟦S:asia⟧
AWS_SECRET_ACCESS_KEY=⟦S:awssk⟧
AWS_SESSION_TOKEN=⟦S:awssess⟧
""",
)

# ======================= (b) web pages, posts, READMEs, docs =======================
P(
    "b",
    "en",
    "readme",
    """
## Quickstart

```bash
export OPENAI_API_KEY=⟦S:openai⟧
python -m summarizer --input notes.txt
```

Questions? Mail ⟦E⟧.
""",
)
P(
    "b",
    "en",
    "qa_post",
    """
**GitHub API returns 401 even though token is valid**

I'm calling the API from our build box (⟦IP⟧) like this:

```python
headers = {"Authorization": "token ⟦S:ghp⟧"}
r = requests.get("https://api.github.com/user/repos", headers=headers)
```

Any idea what I'm missing? The same token works from my laptop.
""",
)
P(
    "b",
    "de",
    "forum_post",
    """
Hallo zusammen, mein Router hängt sich ständig auf. Öffentliche IP laut Provider: ⟦IP⟧.
Firmware ist aktuell. WLAN-Passwort (ja, ich ändere es danach):
⟦S:psk⟧
Hat jemand eine Idee?
""",
)
P(
    "b",
    "en",
    "blog_post",
    """
Sending mail from Django through Gmail is easy once you create an app password. My settings looked like this:
EMAIL_HOST_USER = '⟦E⟧' and the app password `⟦S:gapp⟧`. Don't forget to enable TLS on port 587!
""",
)
P(
    "b",
    "en",
    "shop_page",
    """
<h2>Order #⟦x:order⟧ confirmed</h2>
<table class="summary">
  <tr><td>Email</td><td>⟦E⟧</td></tr>
  <tr><td>Card</td><td>⟦CC:g⟧</td></tr>
  <tr><td>Total</td><td>€⟦x:price⟧</td></tr>
</table>
""",
)
P(
    "b",
    "en",
    "paste_dump",
    """
-- combo dump 2 --
⟦E⟧:⟦S:pw⟧
⟦E⟧:⟦S:pw⟧
⟦E⟧:⟦S:pw⟧
""",
)
P(
    "b",
    "en",
    "issue_comment",
    """
Still failing for me on ⟦x:ver⟧. The agent logs `connection refused` to ⟦IP⟧:443. My config:

    api_key: ⟦S:ddapi⟧
    site: datadoghq.com

(yes I'll rotate the key)
""",
)
P(
    "b",
    "en",
    "docs_page",
    """
### Staging accounts

| Environment | User | Password |
|-------------|------|----------|
| staging | qa-admin | ⟦S:pw⟧ |
| preprod | qa-viewer | ⟦S:pw⟧ |
""",
)
P(
    "b",
    "es",
    "qa_post",
    """
¿Por qué no puedo conectarme a MySQL desde fuera? Uso este comando:

mysql -h ⟦IP⟧ -u admin -p⟦S:pw⟧ tienda

y me sale ERROR 2003 (HY000). Gracias de antemano.
""",
)
P(
    "b",
    "en",
    "blog_comment",
    """
<div class="comment" data-ip="⟦IP⟧">
  <span class="author">⟦x:name⟧</span> &lt;⟦E⟧&gt; wrote on ⟦x:date⟧:
  <p>Great write-up, the step about rotating keys saved me.</p>
</div>
""",
)
P(
    "b",
    "en",
    "web_page",
    """
<form action="/api/lookup" method="post">
  <input type="hidden" name="api_key" value="⟦S:opaque⟧">
  <input type="text" name="q" placeholder="Search parcels">
</form>
""",
)
P(
    "b",
    "en",
    "web_page",
    """
<script>
window.__CONFIG__ = {"mapboxToken": "⟦x:mapboxpk⟧", "stripePublishable": "⟦x:pklive⟧",
                     "stripeSecret": "⟦S:sklive⟧", "supportEmail": "⟦E⟧"};
</script>
""",
)
P(
    "b",
    "en",
    "gist",
    """
# export all tickets as CSV
curl -u ⟦x:user⟧:⟦S:pwu⟧ "https://helpdesk.⟦x:dom⟧/api/v2/export?format=csv" -o tickets.csv
""",
)
P(
    "b",
    "en",
    "forum_post",
    """
PSA: someone on our team pushed ⟦S:xoxb⟧ to a public repo yesterday. It's our Slack bot token, we revoked it
within 20 minutes but the bot had already posted spam. Check your pre-commit hooks, people.
""",
)
P(
    "b",
    "fr",
    "docs_page",
    """
Pour connecter l'outil à Jira, renseignez votre adresse (⟦E⟧) puis collez le jeton :

Jeton : ⟦S:atlassian⟧

Le jeton expire au bout d'un an.
""",
    n=2,
)
P(
    "b",
    "en",
    "tutorial",
    """
Step 3 - add the bot token to your `.env` file:

```
TELEGRAM_TOKEN=⟦S:telegram⟧
ADMIN_CHAT_ID=⟦x:num⟧
```
Then run `python bot.py` and send /start to your bot.
""",
)
P(
    "b",
    "pl",
    "shop_page",
    """
Dziękujemy za zamówienie nr ⟦x:order⟧!
Płatność: karta ⟦CC:g⟧
Potwierdzenie wysłaliśmy na adres ⟦E⟧.
""",
)
P(
    "b",
    "cs",
    "classified_ad",
    """
Prodám kolo Author, velikost M, málo jeté. Cena 8 500 Kč.
Kontakt: ⟦E⟧ (prosím jen e-mailem)
""",
)
P(
    "b",
    "ja",
    "docs_page",
    """
## 接続設定

APIキー: ⟦S:sendgrid⟧
送信元アドレス: ⟦E⟧
サーバー: ⟦IP⟧
""",
)
P(
    "b",
    "en",
    "wiki_page",
    """
== Server inventory ==
{| class="wikitable"
! Host !! Public IP !! root password
|-
| web-01 || ⟦IP⟧ || ⟦S:pw⟧
|-
| web-02 || ⟦IP⟧ || ⟦S:pw⟧
|}
""",
)
P(
    "b",
    "en",
    "rss_feed",
    """
<item>
  <title>Release ⟦x:ver⟧</title>
  <author>⟦E⟧ (⟦x:name⟧)</author>
  <guid isPermaLink="false">⟦x:uuid⟧</guid>
</item>
""",
)
P(
    "b",
    "ru",
    "forum_post",
    """
Ребята, помогите настроить nginx. VPS: ⟦IP⟧, доступ root / ⟦S:pw⟧ — всё равно сервер пустой, потом сменю.
Ошибка 502 при проксировании на порт 3000.
""",
)
P(
    "b",
    "pt",
    "qa_post",
    """
Estou usando a chave ⟦S:aiza⟧ no Geocoding e recebo REQUEST_DENIED. Já ativei a API no console.
Alguém sabe o motivo?
""",
)
P(
    "b",
    "en",
    "web_page",
    """
<footer>
  <p>Contact: <a href="mailto:⟦E⟧">⟦x:name⟧</a></p>
  <!-- served by edge node ⟦IP:6⟧ -->
</footer>
""",
)
P(
    "b",
    "it",
    "docs_page",
    """
Configura il file `config.yaml` così:

```yaml
smtp:
  utente: ⟦E⟧
  password: ⟦S:pw⟧
```
""",
)
P(
    "b",
    "en",
    "code_review",
    """
> + GITLAB_TOKEN = "⟦S:glpat@a⟧"

Please don't commit this. Revoke `⟦S:glpat@a⟧` and move it to a masked CI variable. There is a second one in deploy.sh as well: ⟦S:glpat⟧
""",
    n=2,
)
P(
    "b",
    "en",
    "status_page",
    """
Update ⟦x:time⟧ UTC - traffic from ⟦IP⟧ and ⟦IP⟧ has been null-routed after the abuse report.
Customers behind ⟦IP:6⟧ may see elevated latency.
""",
)
P(
    "b",
    "nl",
    "blog_post",
    """
Mijn Raspberry Pi draait nu als Pi-hole. Inloggen gaat via ssh pi@⟦IP⟧ met wachtwoord ⟦S:pw⟧ — niet doen in productie!
""",
)
P(
    "b",
    "tr",
    "guestbook",
    """
Ziyaretçi defteri — ⟦x:name⟧ (⟦E⟧): Siteniz çok faydalı, teşekkürler!
""",
)
P(
    "b",
    "en",
    "web_page",
    """
<script>
dataLayer.push({"event":"purchase","ecommerce":{"transaction_id":"⟦x:order⟧",
"payment":{"card":"⟦CC⟧","holder":"⟦x:name⟧"},"email":"⟦E⟧"}});
</script>
""",
)
P(
    "b",
    "zh",
    "qa_post",
    """
阿里云 SDK 报 InvalidAccessKeyId.NotFound，我的配置：
AccessKeyId：⟦S:ltai⟧
AccessKeySecret：⟦S:alisk⟧
请问是哪里错了？
""",
)
P(
    "b",
    "ko",
    "docs_page",
    """
접속 정보
- 서버: ⟦IP⟧
- 계정: ⟦x:user⟧
- 비밀번호: ⟦S:pw⟧
""",
)
P(
    "b",
    "en",
    "forum_post",
    """
I tried `huggingface-cli login --token ⟦S:hf⟧` but it says "Invalid user token". Fresh token, write scope.
""",
)
P(
    "b",
    "en",
    "faq_page",
    """
**How do I reach support?** Write to ⟦E⟧ or, for billing, ⟦E⟧. Our abuse desk: ⟦E⟧.
""",
)
P(
    "b",
    "en",
    "readme",
    """
### Deploy

1. `netlify login` is not needed in CI, the token is baked in:

       NETLIFY_AUTH_TOKEN=⟦S:nfp⟧ netlify deploy --prod

2. DNS A record -> ⟦IP⟧
""",
)
P(
    "b",
    "de",
    "shop_page",
    """
Ihre Bestellung ⟦x:order⟧
Zahlungsart: Kreditkarte ⟦CC:g⟧
Rechnungsadresse: ⟦x:name⟧, Hauptstraße 12, 10115 Berlin
Fragen? ⟦E⟧
""",
)
P(
    "b",
    "en",
    "docs_page",
    """
The webhook for #alerts is

```
⟦S:slackhook⟧
```

post JSON with a `text` field.
""",
)
P(
    "b",
    "sv",
    "forum_post",
    """
Min NAS (extern IP ⟦IP⟧) svarar inte på port 5001. Admin-lösenordet är ⟦S:pw⟧, om någon vill titta via TeamViewer.
""",
)
P(
    "b",
    "en",
    "qa_answer",
    """
Your cookie is expired. Grab a new one from DevTools and pass it along:

    curl -b "sessionid=⟦S:sess⟧; csrftoken=⟦x:csrf⟧" https://⟦x:dom⟧/admin/

That worked for me.
""",
)
P(
    "b",
    "en",
    "docs_page",
    """
Example request (real output from our sandbox):

    GET /v1/accounts HTTP/1.1
    Authorization: Bearer ⟦S:jwt⟧
""",
)
P(
    "b",
    "es",
    "blog_post",
    """
Para probar el pago usé mi tarjeta ⟦CC⟧ y la clave secreta ⟦S:sktest⟧ en modo test. Funciona perfecto.
""",
)
P(
    "b",
    "en",
    "shop_page",
    """
Card on file: ⟦CC:g⟧ (exp 11/29) — billing contact ⟦E⟧
""",
)

# ======================= (c) e-mails, chats, tickets, notes (many languages) ======================
P(
    "c",
    "en",
    "email",
    """
From: ⟦x:name⟧ <⟦E⟧>
To: it-ops <⟦E⟧>
Subject: VPN pre-shared key rotated

Hi team,
the new PSK for the site-to-site tunnel (peer ⟦IP⟧) is ⟦S:psk⟧ — please update your configs by Friday.
""",
)
P(
    "c",
    "de",
    "email",
    """
Sehr geehrte Frau ⟦x:lname⟧,

Ihr Zugang wurde eingerichtet.
Benutzername: ⟦E⟧
Passwort: ⟦S:pw⟧

Bitte ändern Sie das Passwort nach der ersten Anmeldung.
Mit freundlichen Grüßen
""",
)
P(
    "c",
    "fr",
    "chat",
    """
[⟦x:time⟧] camille: tu peux m'envoyer le mdp du compte OVH ?
[⟦x:time⟧] pierre: identifiant ⟦E⟧
[⟦x:time⟧] pierre: ⟦S:pw⟧
[⟦x:time⟧] camille: merci !
""",
)
P(
    "c",
    "es",
    "support_ticket",
    """
Ticket #⟦x:num⟧ — Prioridad alta
El cliente ⟦E⟧ reporta un cargo duplicado en la tarjeta ⟦CC:g⟧. IP de la sesión: ⟦IP⟧.
""",
)
P(
    "c",
    "it",
    "chat",
    """
Ciao! Ti giro le credenziali FTP del cliente:
host ⟦IP⟧
utente ⟦x:user⟧
password ⟦S:pw⟧
""",
)
P(
    "c",
    "pt",
    "chat",
    """
Oi! A senha do Wi-Fi do escritório mudou, agora é ⟦S:psk⟧. Qualquer problema me chama: ⟦E⟧
""",
)
P(
    "c",
    "nl",
    "email",
    """
Beste ⟦x:fname⟧,

Hierbij de inloggegevens voor het klantportaal:
gebruikersnaam: ⟦x:user⟧
wachtwoord: ⟦S:pw⟧

Met vriendelijke groet,
⟦x:name⟧ (⟦E⟧)
""",
)
P(
    "c",
    "pl",
    "chat",
    """
Cześć, hasło do serwera ⟦IP⟧ to ⟦S:pw⟧, login ⟦x:user⟧. Zmień po zalogowaniu pls.
""",
)
P(
    "c",
    "ru",
    "chat",
    """
Привет! Вот токен бота: ⟦S:telegram⟧
Админ — ⟦E⟧, если что пиши ему.
""",
)
P(
    "c",
    "uk",
    "email",
    """
Доброго дня!
Ми отримали оплату карткою ⟦CC:g⟧. Квитанцію надіслано на ⟦E⟧.
З повагою, служба підтримки
""",
)
P(
    "c",
    "cs",
    "note",
    """
Poznámky k migraci:
- DB heslo: ⟦S:pw⟧
- nový server ⟦IP⟧
- kontakt na dodavatele ⟦E⟧
""",
)
P(
    "c",
    "sk",
    "email",
    """
Dobrý deň,
posielam prihlasovacie údaje do e-shopu:
meno: ⟦E⟧
heslo: ⟦S:pw⟧
""",
)
P(
    "c",
    "sv",
    "chat",
    """
Hej! Lösenordet till gästnätet är ⟦S:psk⟧ och till admin-panelen ⟦S:pw⟧.
""",
)
P(
    "c",
    "da",
    "chat",
    """
Hej, her er API-nøglen til Shopify-butikken: ⟦S:shpat⟧ — den virker kun på vores konto.
""",
)
P(
    "c",
    "nb",
    "email",
    """
Hei ⟦x:fname⟧,
passordet til fakturasystemet er ⟦S:pw⟧. Brukernavn er e-postadressen din (⟦E⟧).
Hilsen IT
""",
)
P(
    "c",
    "fi",
    "chat",
    """
Moi! Tässä palvelimen tiedot: ⟦IP⟧, tunnus ⟦x:user⟧, salasana ⟦S:pw⟧
""",
)
P(
    "c",
    "tr",
    "chat",
    """
Merhaba, kart numaram ⟦CC⟧, son kullanma 08/27. Siparişi bu kartla tamamlayabilir misiniz? E-posta: ⟦E⟧
""",
)
P(
    "c",
    "ja",
    "chat",
    """
お疲れ様です。本番DBのパスワードは ⟦S:pw⟧ です。接続先は ⟦IP⟧ です。
取り扱いにご注意ください。
""",
)
P(
    "c",
    "zh",
    "chat",
    """
你好，服务器 ⟦IP⟧ 的 root 密码是 ⟦S:pw⟧，有问题发邮件到 ⟦E⟧。
""",
)
P(
    "c",
    "ko",
    "email",
    """
안녕하세요 ⟦x:fname⟧님,
관리자 페이지 임시 비밀번호는 ⟦S:pw⟧ 입니다. 로그인 후 반드시 변경해 주세요.
문의: ⟦E⟧
""",
)
P(
    "c",
    "ar",
    "email",
    """
مرحبا ⟦x:fname⟧،
تم إنشاء حسابك. البريد: ⟦E⟧
كلمة المرور المؤقتة: ⟦S:pw⟧
""",
)
P(
    "c",
    "he",
    "chat",
    """
היי, הסיסמה לשרת ⟦IP⟧ היא ⟦S:pw⟧ — תחליף אותה אחרי הכניסה הראשונה.
""",
)
P(
    "c",
    "hi",
    "email",
    """
नमस्ते ⟦x:fname⟧ जी,
आपका अस्थायी पासवर्ड ⟦S:pw⟧ है। कृपया लॉगिन के बाद इसे बदल दें।
सहायता: ⟦E⟧
""",
)
P(
    "c",
    "id",
    "chat",
    """
Halo kak, ini akun dashboard: email ⟦E⟧ kata sandi ⟦S:pw⟧. Tolong jangan disebar ya.
""",
)
P(
    "c",
    "vi",
    "chat",
    """
Chào anh, mật khẩu wifi văn phòng là ⟦S:psk⟧, còn IP tĩnh của mình là ⟦IP⟧ nhé.
""",
)
P(
    "c",
    "th",
    "chat",
    """
สวัสดีครับ รหัสผ่านใหม่ของระบบคือ ⟦S:pw⟧ ส่งรายละเอียดเพิ่มเติมที่ ⟦E⟧ ครับ
""",
)
P(
    "c",
    "el",
    "email",
    """
Γεια σου ⟦x:fname⟧,
ο κωδικός για το VPN είναι ⟦S:pw⟧ και ο διακομιστής ⟦IP⟧.
""",
)
P(
    "c",
    "hu",
    "chat",
    """
Szia! A jelszó: ⟦S:pw⟧ — a felhasználó ⟦E⟧.
""",
)
P(
    "c",
    "ro",
    "support_ticket",
    """
Tichet ⟦x:num⟧: clientul ⟦E⟧ nu poate plăti cu cardul ⟦CC:g⟧. Eroare 05 de la bancă.
""",
)
P(
    "c",
    "bg",
    "chat",
    """
Здравей, паролата за админ панела е ⟦S:pw⟧, а сървърът е ⟦IP⟧.
""",
)
P(
    "c",
    "hr",
    "email",
    """
Bok ⟦x:fname⟧,
lozinka za VPN je ⟦S:pw⟧. Javi se na ⟦E⟧ ako ne radi.
""",
)
P(
    "c",
    "sl",
    "chat",
    """
Živjo, geslo za strežnik je ⟦S:pw⟧ (uporabnik ⟦x:user⟧).
""",
)
P(
    "c",
    "lt",
    "email",
    """
Sveiki,
jūsų slaptažodis: ⟦S:pw⟧
Prisijungimo vardas: ⟦E⟧
""",
)
P(
    "c",
    "lv",
    "chat",
    """
Sveiki! Parole Wi-Fi: ⟦S:psk⟧. Rēķinus sūtiet uz ⟦E⟧.
""",
)
P(
    "c",
    "et",
    "email",
    """
Tere ⟦x:fname⟧!
Sinu uus parool on ⟦S:pw⟧. Palun muuda see esimesel sisselogimisel.
""",
)
P(
    "c",
    "fa",
    "chat",
    """
سلام، رمز عبور سرور ⟦IP⟧ این است: ⟦S:pw⟧
""",
)
P(
    "c",
    "ms",
    "email",
    """
Hai ⟦x:fname⟧,
kata laluan sementara anda ialah ⟦S:pw⟧. Sila hubungi ⟦E⟧ jika ada masalah.
""",
)
P(
    "c",
    "ca",
    "chat",
    """
Hola! La contrasenya del compte compartit és ⟦S:pw⟧ i l'usuari és ⟦E⟧.
""",
)
P(
    "c",
    "sw",
    "chat",
    """
Habari, nenosiri la mfumo ni ⟦S:pw⟧. Tuma barua pepe kwa ⟦E⟧ ukikwama.
""",
)
P(
    "c",
    "tl",
    "chat",
    """
Hi po! Ang password ng admin ay ⟦S:pw⟧ at ang email ay ⟦E⟧. Salamat po!
""",
)
P(
    "c",
    "en",
    "chat",
    """
#devops  ⟦x:time⟧
mike: anyone have the prod redis pw?
sara: ⟦S:pw⟧
sara: ^ that's for ⟦IP⟧, the replica uses ⟦S:pw⟧
""",
)
P(
    "c",
    "en",
    "support_ticket",
    """
Ticket ⟦x:num⟧ | Status: open
Customer: ⟦x:name⟧ <⟦E⟧>
Last login from: ⟦IP⟧
Note: customer pasted their card number in the chat (⟦CC:g⟧). Purge transcript after resolution.
""",
)
P(
    "c",
    "en",
    "note",
    """
# homelab.md
| device | ip | user | password |
|---|---|---|---|
| router | ⟦x:pip⟧ | admin | ⟦S:pw⟧ |
| nas | ⟦x:pip⟧ | admin | ⟦S:pw⟧ |
| vps | ⟦IP⟧ | root | ⟦S:pw⟧ |
""",
)
P(
    "c",
    "en",
    "email",
    """
Subject: Fwd: your API access

Your key: ⟦S:ddapi⟧
Your app key: ⟦S:ddapp⟧
Keep them out of source control.
""",
)
P(
    "c",
    "de",
    "support_ticket",
    """
Ticket ⟦x:num⟧: Kunde ⟦E⟧ meldet, dass sein Token nicht funktioniert.
Token laut Kunde:
⟦S:ghfg⟧
Anfrage kam von ⟦IP⟧.
""",
)
P(
    "c",
    "fr",
    "email",
    """
Bonjour,
voici le code d'accès au coffre partagé : ⟦S:phrase⟧
Ne le transférez à personne.
Cordialement,
⟦x:name⟧ — ⟦E⟧
""",
)
P(
    "c",
    "es",
    "note",
    """
Accesos del cliente ⟦x:name⟧:
- panel: ⟦E⟧ / ⟦S:pw⟧
- PIN de la alarma (alfanumérico): ⟦S:pin⟧
""",
)
P(
    "c",
    "en",
    "chat",
    """
⟦S:pw⟧ <- new root password for the staging box, rotate after the demo
""",
)
P(
    "c",
    "en",
    "email",
    """
Hi ⟦x:fname⟧,

Please find the card details for the conference booking:
⟦CC:g⟧, exp 04/28, holder ⟦x:name⟧.
Invoice to ⟦E⟧.
""",
)
P(
    "c",
    "pt",
    "support_ticket",
    """
Chamado ⟦x:num⟧: o usuário ⟦E⟧ informou a senha ⟦S:pw⟧ no formulário público. Senha redefinida.
""",
)
P(
    "c",
    "it",
    "email",
    """
Oggetto: credenziali PEC
Indirizzo: ⟦E⟧
Password: ⟦S:pw⟧
Server IMAP: ⟦IP⟧
""",
)
P(
    "c",
    "ja",
    "support_ticket",
    """
問い合わせ番号 ⟦x:num⟧
お客様メール: ⟦E⟧
決済カード: ⟦CC:g⟧
アクセス元IP: ⟦IP⟧
""",
)
P(
    "c",
    "nl",
    "chat",
    """
"⟦S:pw⟧" is het nieuwe wachtwoord van de gedeelde mailbox, ik heb het net aangepast.
""",
)
P(
    "c",
    "pl",
    "email",
    """
Dzień dobry,
token do API: ⟦S:linear⟧
adres do faktur: ⟦E⟧
""",
)

# ======================= (d) logs, shell sessions, HTTP traffic ======================
P(
    "d",
    "en",
    "web_access_log",
    """
⟦IP⟧ - - [⟦x:clf⟧] "GET /api/v1/export?api_key=⟦S:hex32⟧&format=csv HTTP/1.1" 200 5123 "-" "python-requests/2.31.0"
⟦IP⟧ - - [⟦x:clf⟧] "GET /favicon.ico HTTP/1.1" 404 153 "-" "Mozilla/5.0"
⟦x:pip⟧ - - [⟦x:clf⟧] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
""",
)
P(
    "d",
    "en",
    "auth_log",
    """
⟦x:time⟧ web01 sshd[⟦x:pid⟧]: Failed password for root from ⟦IP⟧ port ⟦x:num⟧ ssh2
⟦x:time⟧ web01 sshd[⟦x:pid⟧]: Failed password for invalid user admin from ⟦IP⟧ port ⟦x:num⟧ ssh2
⟦x:time⟧ web01 sshd[⟦x:pid⟧]: Accepted publickey for deploy from ⟦IP⟧ port ⟦x:num⟧ ssh2
""",
)
P(
    "d",
    "en",
    "http_request",
    """
POST /v1/charges HTTP/1.1
Host: api.stripe.com
Authorization: Bearer ⟦S:sklive⟧
Content-Type: application/x-www-form-urlencoded
Idempotency-Key: ⟦x:uuid⟧

amount=2000&currency=eur&source=tok_visa
""",
)
P(
    "d",
    "en",
    "http_request",
    """
GET /internal/metrics HTTP/1.1
Host: ⟦x:pip⟧:9100
Authorization: Basic ⟦S:basic⟧
X-Forwarded-For: ⟦IP⟧, ⟦x:pip⟧
""",
)
P(
    "d",
    "en",
    "http_response",
    """
HTTP/2 302
location: /dashboard
set-cookie: sessionid=⟦S:sess⟧; HttpOnly; Secure; SameSite=Lax; Path=/
set-cookie: csrftoken=⟦x:csrf⟧; Secure; Path=/
x-request-id: ⟦x:uuid⟧
""",
)
P(
    "d",
    "en",
    "curl_verbose",
    """
* Connected to ⟦x:dom⟧ (⟦IP⟧) port 443
> GET /account HTTP/2
> Host: ⟦x:dom⟧
> Cookie: _session_id=⟦S:sess⟧; theme=dark
> user-agent: curl/8.5.0
< HTTP/2 200
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ mysql -h ⟦IP⟧ -u root -p'⟦S:pw⟧' -e 'SHOW DATABASES;'
+--------------------+
| Database           |
+--------------------+
| information_schema |
| shop               |
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ docker login -u ⟦x:user⟧ -p ⟦S:dckr⟧
WARNING! Using --password via the CLI is insecure. Use --password-stdin.
Login Succeeded
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ git clone https://oauth2:⟦S:glpat⟧@gitlab.⟦x:dom⟧/platform/infra.git
Cloning into 'infra'...
remote: Enumerating objects: 1423, done.
""",
)
P(
    "d",
    "en",
    "shell_history",
    """
  501  export AWS_ACCESS_KEY_ID=⟦S:akia⟧
  502  export AWS_SECRET_ACCESS_KEY=⟦S:awssk⟧
  503  aws s3 ls s3://⟦x:word⟧-backups --region eu-west-1
  504  history | grep aws
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
# htpasswd -b -c /etc/nginx/.htpasswd ⟦x:user⟧ ⟦S:pw⟧
Adding password for user ⟦x:user⟧
# systemctl reload nginx
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ redis-cli -h ⟦IP⟧ -a ⟦S:pw⟧ INFO keyspace
Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.
# Keyspace
db0:keys=⟦x:num⟧,expires=0
""",
)
P(
    "d",
    "en",
    "mail_log",
    """
⟦x:time⟧ mx1 postfix/smtp[⟦x:pid⟧]: ⟦x:qid⟧: to=<⟦E⟧>, relay=mx.⟦x:dom⟧[⟦IP⟧]:25, delay=0.8, status=sent (250 OK)
⟦x:time⟧ mx1 postfix/qmgr[⟦x:pid⟧]: ⟦x:qid⟧: from=<⟦E⟧>, size=4211, nrcpt=1 (queue active)
""",
)
P(
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ DEBUG payments.api request body={"email":"⟦E⟧","card_number":"⟦CC⟧","exp":"09/28","amount":4999}
⟦x:ts⟧ INFO  payments.api charge created id=ch_⟦x:hex16⟧
""",
)
P(
    "d",
    "en",
    "traceback",
    """
Traceback (most recent call last):
  File "/app/db.py", line 14, in connect
    return psycopg2.connect(os.environ["DATABASE_URL"])
psycopg2.OperationalError: connection to server at "⟦IP⟧", port 5432 failed: FATAL:  password authentication failed for user "app"
DATABASE_URL=postgres://app:⟦S:pwu⟧@⟦IP⟧:5432/app
""",
)
P(
    "d",
    "en",
    "env_dump",
    """
$ printenv | sort
HOME=/root
HOSTNAME=⟦x:podname⟧
OPENAI_API_KEY=⟦S:openai⟧
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin
SLACK_BOT_TOKEN=⟦S:xoxb⟧
STRIPE_SECRET_KEY=⟦S:rklive⟧
""",
)
P(
    "d",
    "en",
    "windows_event_log",
    """
An account was successfully logged on.
Logon Type:		10
Account Name:		⟦x:user⟧
Workstation Name:	WS-⟦x:num⟧
Source Network Address:	⟦IP⟧
Source Port:		⟦x:num⟧
""",
)
P(
    "d",
    "en",
    "firewall_log",
    """
⟦x:time⟧ fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟦IP⟧ DST=⟦x:pip⟧ LEN=44 PROTO=TCP SPT=⟦x:num⟧ DPT=23
⟦x:time⟧ fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟦IP⟧ DST=⟦x:pip⟧ LEN=40 PROTO=TCP SPT=⟦x:num⟧ DPT=445
""",
)
P(
    "d",
    "en",
    "har_capture",
    """
"request": {
  "method": "GET",
  "url": "https://api.⟦x:dom⟧/v2/me",
  "headers": [
    {"name": "Authorization", "value": "Bearer ⟦S:jwt⟧"},
    {"name": "Accept", "value": "application/json"}
  ]
}
""",
)
P(
    "d",
    "en",
    "http_request",
    """
POST /graphql HTTP/1.1
Host: api.linear.app
Authorization: ⟦S:linear⟧
Content-Type: application/json

{"query":"{ viewer { id email } }"}
""",
)
P(
    "d",
    "en",
    "fail2ban_log",
    """
⟦x:ts⟧ fail2ban.actions [⟦x:pid⟧]: NOTICE [sshd] Ban ⟦IP⟧
⟦x:ts⟧ fail2ban.actions [⟦x:pid⟧]: NOTICE [sshd] Ban ⟦IP:6⟧
⟦x:ts⟧ fail2ban.actions [⟦x:pid⟧]: NOTICE [nginx-limit] Unban ⟦IP⟧
""",
)
P(
    "d",
    "en",
    "ftp_session",
    """
Connected to ⟦IP⟧.
220 ProFTPD Server ready.
USER ⟦x:user⟧
331 Password required for ⟦x:user⟧
PASS ⟦S:pw⟧
230 User ⟦x:user⟧ logged in
""",
)
P(
    "d",
    "en",
    "smtp_session",
    """
S: 220 smtp.⟦x:dom⟧ ESMTP
C: EHLO client
S: 250-AUTH PLAIN LOGIN
C: AUTH PLAIN ⟦S:authplain⟧
S: 235 2.7.0 Authentication successful
C: MAIL FROM:<⟦E⟧>
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ sshpass -p '⟦S:pw⟧' ssh -o StrictHostKeyChecking=no ⟦x:user⟧@⟦IP⟧ uptime
 ⟦x:time⟧ up 41 days,  3:12,  1 user,  load average: 0.08, 0.05, 0.01
""",
)
P(
    "d",
    "en",
    "server_log",
    """
⟦x:ts⟧ [info] accepted connection from [⟦IP:6⟧]:⟦x:num⟧
⟦x:ts⟧ [info] accepted connection from ⟦IP⟧:⟦x:num⟧
⟦x:ts⟧ [warn] slow handshake (1.8s) peer=⟦IP:6⟧
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ wget -q "https://files.⟦x:dom⟧/download?token=⟦S:opaque⟧&file=report-⟦x:date⟧.csv"
$ ls -la report-*.csv
""",
)
P(
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ INFO backup uploaded to https://⟦x:word⟧store.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=o&sp=rwl&se=2026-01-01T00:00:00Z&sig=⟦S:sassig⟧
""",
)
P(
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ ERROR notifier: POST https://api.telegram.org/bot⟦S:telegram⟧/sendMessage failed: 429 Too Many Requests
""",
)
P(
    "d",
    "en",
    "ci_log",
    """
[Pipeline] sh
+ curl -sf -H 'PRIVATE-TOKEN: ⟦S:glpat⟧' https://gitlab.⟦x:dom⟧/api/v4/projects/⟦x:num⟧/jobs
[Pipeline] echo
deploying to ⟦IP⟧
""",
)
P(
    "d",
    "en",
    "web_access_log",
    """
⟦IP⟧ - - [⟦x:clf⟧] "GET /newsletter/unsubscribe?email=⟦E⟧&list=weekly HTTP/1.1" 302 0 "-" "Mozilla/5.0"
⟦IP⟧ - - [⟦x:clf⟧] "POST /login HTTP/1.1" 401 31 "-" "Mozilla/5.0"
""",
)
P(
    "d",
    "en",
    "payment_log",
    """
⟦x:ts⟧ gateway=adyen result=REFUSED pan=⟦CC⟧ cardholder="⟦x:name⟧" ip=⟦IP⟧ reason="Not enough balance"
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ vault login ⟦S:vault⟧
Success! You are now authenticated.
Key                  Value
---                  -----
token_policies       ["default" "ops"]
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ cat ~/.ssh/id_deploy
⟦S:pem⟧
$ chmod 600 ~/.ssh/id_deploy
""",
    n=2,
)
P(
    "d",
    "en",
    "http_request",
    """
GET /api/v2/sites HTTP/1.1
Host: api.⟦x:dom⟧
X-Api-Key: ⟦S:opaque⟧
X-Real-IP: ⟦IP⟧
""",
)
P(
    "d",
    "en",
    "http_request",
    """
POST /api/webhooks/⟦x:snow⟧/messages HTTP/1.1
Host: discord.com
Authorization: Bot ⟦S:discord⟧
User-Agent: DiscordBot (https://github.com/discordjs, 14.14.1)
""",
)
P(
    "d",
    "en",
    "ci_log",
    """
Run npm publish --access public
npm notice Publishing to https://registry.npmjs.org/ with tag latest
npm http fetch PUT 200 https://registry.npmjs.org/@⟦x:word⟧%2fcore 812ms
npm verb token ⟦S:npm⟧
""",
)
P(
    "d",
    "en",
    "proxy_log",
    """
⟦x:ts⟧ CONNECT client=⟦IP⟧ user=⟦x:user⟧ dest=api.⟦x:dom⟧:443 bytes=⟦x:num⟧
⟦x:ts⟧ GET client=⟦IP⟧ url="http://⟦x:dom⟧/login?user=⟦x:user⟧&password=⟦S:pwu⟧" status=200
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ psql "postgresql://⟦x:user⟧:⟦S:pwu⟧@⟦IP⟧:5432/analytics?sslmode=require"
psql (16.2)
analytics=>
""",
)
P(
    "d",
    "en",
    "http_request",
    """
POST /oauth/token HTTP/1.1
Host: auth.⟦x:dom⟧
Content-Type: application/x-www-form-urlencoded

grant_type=password&username=⟦E⟧&password=⟦S:pwu⟧&client_id=web
""",
)
P(
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ WARN auth: login failed for ⟦E⟧ from ⟦IP⟧ (attempt 3)
⟦x:ts⟧ WARN auth: login failed for ⟦E⟧ from ⟦IP⟧ (attempt 1)
⟦x:ts⟧ INFO auth: login ok for ⟦E⟧ from ⟦IP:6⟧
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ curl -s https://api.mailgun.net/v3/mg.⟦x:dom⟧/messages \\
    --user 'api:⟦S:mailgun⟧' \\
    -F from='Alerts <⟦E⟧>' -F to=⟦E⟧ -F subject='Disk full'
""",
)
P(
    "d",
    "en",
    "k8s_log",
    """
⟦x:ts⟧ ⟦x:podname⟧ app: starting with config {"db_host": "⟦x:pip⟧", "db_password": "⟦S:pw⟧", "jwt_secret": "⟦S:opaque⟧"}
""",
)
P(
    "d",
    "en",
    "shell_session",
    """
$ nmap -sV ⟦IP⟧
Nmap scan report for ⟦IP⟧
PORT     STATE SERVICE VERSION
22/tcp   open  ssh     OpenSSH 9.6
443/tcp  open  https   nginx
""",
)


# ----- additional payment-card heavy templates (all groups) -----
P(
    "a",
    "en",
    "csv_export",
    """
order_id,email,card_number,exp,amount
⟦x:order⟧,⟦E⟧,⟦CC⟧,03/27,⟦x:price⟧
⟦x:order⟧,⟦E⟧,⟦CC⟧,11/28,⟦x:price⟧
⟦x:order⟧,⟦E⟧,⟦CC:g⟧,06/29,⟦x:price⟧
""",
)
P(
    "a",
    "en",
    "python_test",
    """
# fixture copied from prod export, DO NOT COMMIT
CUSTOMERS = [
    {"name": "⟦x:name⟧", "pan": "⟦CC⟧", "ip": "⟦IP⟧"},
    {"name": "⟦x:name⟧", "pan": "⟦CC:g⟧", "ip": "⟦IP⟧"},
]
""",
)
P(
    "a",
    "en",
    "json_config",
    """
{"payment_method": {"type": "card", "card": {"number": "⟦CC⟧", "exp_month": 4, "exp_year": 2029},
 "billing_details": {"email": "⟦E⟧"}}}
""",
)
P(
    "b",
    "en",
    "forum_post",
    """
Bank declined my card ⟦CC:g⟧ three times on your site, but it works everywhere else. Order ⟦x:order⟧.
""",
)
P(
    "b",
    "fr",
    "shop_page",
    """
Récapitulatif de commande ⟦x:order⟧
Carte : ⟦CC:g⟧
E-mail : ⟦E⟧
""",
)
P(
    "b",
    "it",
    "blog_comment",
    """
Ho pagato con la carta ⟦CC:g⟧ ma l'ordine risulta ancora in attesa. Scrivetemi a ⟦E⟧.
""",
)
P(
    "c",
    "de",
    "chat",
    """
Kannst du das Hotel mit meiner Karte zahlen? ⟦CC:g⟧, gültig bis 10/28. Danke!
""",
)
P(
    "c",
    "en",
    "note",
    """
cards.txt
personal: ⟦CC:g⟧
business: ⟦CC:g⟧
""",
)
P(
    "c",
    "es",
    "email",
    """
Hola ⟦x:fname⟧, te paso los datos para la reserva:
Tarjeta
⟦CC⟧
Titular: ⟦x:name⟧
""",
)
P(
    "c",
    "nl",
    "support_ticket",
    """
Klant ⟦E⟧ vraagt terugbetaling op kaart ⟦CC:g⟧ (bedrag €⟦x:price⟧).
""",
)
P(
    "c",
    "pl",
    "chat",
    """
numer karty: ⟦CC⟧ — płacę za nas dwoje, przelej mi potem połowę
""",
)
P(
    "c",
    "zh",
    "email",
    """
您好，请用以下信用卡支付会议注册费：⟦CC:g⟧，有效期 07/28。发票请寄到 ⟦E⟧。
""",
)
P(
    "c",
    "ru",
    "support_ticket",
    """
Обращение ⟦x:num⟧: клиент сообщил номер карты ⟦CC:g⟧ в открытом чате. IP: ⟦IP⟧.
""",
)
P(
    "c",
    "ar",
    "chat",
    """
رقم البطاقة ⟦CC:g⟧ وتاريخ الانتهاء 05/29
""",
)
P(
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ ERROR billing: tokenization failed for card ⟦CC⟧ (customer ⟦E⟧)
⟦x:ts⟧ ERROR billing: tokenization failed for card ⟦CC⟧ (customer ⟦E⟧)
""",
)
P(
    "d",
    "en",
    "http_request",
    """
POST /checkout/pay HTTP/1.1
Host: shop.⟦x:dom⟧
Content-Type: application/x-www-form-urlencoded
X-Forwarded-For: ⟦IP⟧

cc_number=⟦CC⟧&cc_exp=0928&email=⟦E⟧
""",
)
P(
    "d",
    "en",
    "db_query_log",
    """
⟦x:ts⟧ LOG:  statement: UPDATE payment_methods SET pan = '⟦CC⟧' WHERE customer_id = ⟦x:num⟧;
""",
)
P(
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ WARN fraud: velocity rule hit card=⟦CC:g⟧ ip=⟦IP⟧ count=7
""",
)

# ======================= hard negatives ======================
# 1 git_commit_hash
N(
    "git_commit_hash",
    "d",
    "en",
    "git_log",
    """
commit ⟦x:sha1⟧
Author: ⟦x:name⟧ <⟦x:resemail⟧>
Date:   ⟦x:ts⟧

    fix: retry on 503 (cherry picked from commit ⟦x:sha1⟧)
""",
)
N(
    "git_commit_hash",
    "b",
    "en",
    "changelog",
    """
### ⟦x:ver⟧
- Fix race in cache invalidation (⟦x:sha7⟧)
- Bump parser to ⟦x:ver⟧ (⟦x:sha7⟧, ⟦x:sha7⟧)
""",
)
N(
    "git_commit_hash",
    "c",
    "de",
    "chat",
    """
Kannst du bitte ⟦x:sha1⟧ auf den Release-Branch cherry-picken? Der Fix steckt in ⟦x:sha7⟧.
""",
)
# 2 file_checksum
N(
    "file_checksum",
    "b",
    "en",
    "download_page",
    """
SHA256 checksums
⟦x:sha256⟧  installer-⟦x:ver⟧-amd64.deb
⟦x:sha256⟧  installer-⟦x:ver⟧-arm64.deb
MD5: ⟦x:md5⟧
""",
)
N(
    "file_checksum",
    "d",
    "en",
    "shell_session",
    """
$ sha1sum backup.tar.gz
⟦x:sha1⟧  backup.tar.gz
$ md5sum backup.tar.gz
⟦x:md5⟧  backup.tar.gz
""",
)
N(
    "file_checksum",
    "c",
    "fr",
    "email",
    """
Bonjour, l'empreinte SHA-256 du fichier livré est ⟦x:sha256⟧. Merci de la vérifier avant installation.
""",
)
# 3 uuid_identifier
N(
    "uuid_identifier",
    "a",
    "en",
    "json_config",
    """
{"tenantId": "⟦x:uuid⟧", "subscriptionId": "⟦x:uuid⟧", "resourceGroup": "rg-⟦x:app⟧"}
""",
)
N(
    "uuid_identifier",
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ INFO job ⟦x:uuid⟧ finished in 412ms (parent ⟦x:uuid⟧)
""",
)
N(
    "uuid_identifier",
    "c",
    "es",
    "support_ticket",
    """
Incidencia ⟦x:num⟧: el pedido con referencia ⟦x:uuid⟧ aparece duplicado en el panel.
""",
)
# 4 version_like_ip (documented scanner exception)
N(
    "version_like_ip",
    "b",
    "en",
    "release_notes",
    """
Driver ⟦x:ver4⟧ fixes a crash in DirectX 12 titles. Previous version ⟦x:ver4⟧ is no longer supported.
""",
)
N(
    "version_like_ip",
    "a",
    "en",
    "csproj",
    """
<PropertyGroup>
  <AssemblyVersion>⟦x:ver4⟧</AssemblyVersion>
  <FileVersion>⟦x:ver4⟧</FileVersion>
</PropertyGroup>
""",
)
N(
    "version_like_ip",
    "c",
    "de",
    "support_ticket",
    """
Nach dem Update auf Firmware ⟦x:ver4⟧ startet der Drucker nicht mehr. Vorher lief ⟦x:ver4⟧ problemlos.
""",
)
# 5 private_ip_address
N(
    "private_ip_address",
    "a",
    "en",
    "yaml_config",
    """
upstreams:
  - ⟦x:privip⟧:8080
  - ⟦x:privip⟧:8080
dns: ⟦x:privip⟧
""",
)
N(
    "private_ip_address",
    "d",
    "en",
    "dhcp_log",
    """
⟦x:time⟧ dnsmasq-dhcp[⟦x:pid⟧]: DHCPACK(br0) ⟦x:privip⟧ ⟦x:mac⟧ android-⟦x:hex16⟧
""",
)
N(
    "private_ip_address",
    "c",
    "it",
    "chat",
    """
La stampante ha IP fisso ⟦x:privip⟧, il NAS invece ⟦x:privip⟧. Gateway ⟦x:privip⟧.
""",
)
# 6 documentation_ip_address
N(
    "documentation_ip_address",
    "b",
    "en",
    "docs_page",
    """
For example, to allow a single host add `allow ⟦x:docip⟧;` and for IPv6 `allow ⟦x:docip6⟧;` to the server block.
""",
)
N(
    "documentation_ip_address",
    "a",
    "en",
    "python_source",
    """
def test_parse_forwarded():
    assert parse("for=⟦x:docip⟧;proto=https") == {"for": "⟦x:docip⟧", "proto": "https"}
""",
)
N(
    "documentation_ip_address",
    "b",
    "ja",
    "docs_page",
    """
例: サーバーのアドレスが ⟦x:docip⟧ の場合、`ping ⟦x:docip⟧` を実行します。
""",
)
# 7 special_purpose_ip
N(
    "special_purpose_ip",
    "a",
    "en",
    "config_file",
    """
bind ⟦x:spip⟧
listen_addresses = '⟦x:spip⟧'
# ipv6: ⟦x:spip6⟧
""",
)
N(
    "special_purpose_ip",
    "d",
    "en",
    "network_log",
    """
⟦x:time⟧ kernel: IPv4 link ⟦x:spip⟧ -> ⟦x:spip⟧, neighbour ⟦x:spip6⟧ reachable
""",
)
N(
    "special_purpose_ip",
    "c",
    "pl",
    "note",
    """
Notatka: usługa nasłuchuje na ⟦x:spip⟧, a multicast grupy to ⟦x:spip⟧.
""",
)
# 8 reserved_domain_email
N(
    "reserved_domain_email",
    "b",
    "en",
    "docs_page",
    """
Set `MAIL_FROM` to something like ⟦x:resemail⟧ and send a test mail to ⟦x:resemail⟧.
""",
)
N(
    "reserved_domain_email",
    "a",
    "en",
    "python_test",
    """
def test_signup(client):
    r = client.post("/signup", json={"email": "⟦x:resemail⟧", "password": "⟦x:placeholder⟧"})
    assert r.status_code == 201
""",
)
N(
    "reserved_domain_email",
    "c",
    "pt",
    "email",
    """
De: ⟦x:resemail⟧
Para: ⟦x:resemail⟧
Assunto: teste de envio do ambiente de homologação
""",
)
# 9 masked_secret
N(
    "masked_secret",
    "b",
    "en",
    "dashboard_page",
    """
API keys
Name: production   Key: ⟦x:masked⟧   Created ⟦x:date⟧
Name: ci           Key: ⟦x:masked⟧   Created ⟦x:date⟧
""",
)
N(
    "masked_secret",
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ INFO loaded credentials token=⟦x:masked⟧ password=⟦x:masked⟧
""",
)
N(
    "masked_secret",
    "c",
    "de",
    "chat",
    """
Der Schlüssel im Dashboard wird nur als ⟦x:masked⟧ angezeigt, den vollen Wert sehe ich nicht.
""",
)
# 10 placeholder_secret
N(
    "placeholder_secret",
    "b",
    "en",
    "readme",
    """
```bash
export API_KEY=⟦x:placeholder⟧
export DB_PASSWORD=⟦x:placeholder⟧
```
""",
)
N(
    "placeholder_secret",
    "a",
    "en",
    "yaml_config",
    """
auth:
  username: admin
  password: "⟦x:placeholder⟧"
  token: ⟦x:placeholder⟧
""",
)
N(
    "placeholder_secret",
    "c",
    "es",
    "note",
    """
Plantilla de credenciales: usuario <usuario>, contraseña ⟦x:placeholder⟧, token ⟦x:placeholder⟧.
""",
)
# 11 publishable_key
N(
    "publishable_key",
    "a",
    "en",
    "javascript_source",
    """
const stripe = Stripe("⟦x:pklive⟧");
const elements = stripe.elements();
""",
)
N(
    "publishable_key",
    "b",
    "en",
    "web_page",
    """
<script src="https://js.stripe.com/v3/"></script>
<div id="checkout" data-key="⟦x:pktest⟧"></div>
""",
)
N(
    "publishable_key",
    "a",
    "en",
    "dotenv",
    """
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=⟦x:pklive⟧
NEXT_PUBLIC_MAPBOX_TOKEN=⟦x:mapboxpk⟧
""",
)
# 12 public_client_identifier
N(
    "public_client_identifier",
    "a",
    "en",
    "javascript_source",
    """
google.accounts.id.initialize({ client_id: "⟦x:gclient⟧", callback: onSignIn });
""",
)
N(
    "public_client_identifier",
    "b",
    "en",
    "web_page",
    """
<div class="g-recaptcha" data-sitekey="⟦x:recaptcha⟧"></div>
<script>const search = algoliasearch("⟦x:algoliaapp⟧", "⟦x:algolia⟧"); // search-only key</script>
""",
)
N(
    "public_client_identifier",
    "a",
    "en",
    "python_source",
    """
ACCOUNT_SID = "⟦x:twsid⟧"  # account SID, not secret; auth token comes from env
client = Client(ACCOUNT_SID, os.environ["TWILIO_AUTH_TOKEN"])
""",
)
# 13 password_hash
N(
    "password_hash",
    "a",
    "en",
    "sql_dump",
    """
INSERT INTO users (id, username, password_hash) VALUES
(1, 'admin', '⟦x:pwhash⟧'),
(2, 'editor', '⟦x:pwhash⟧');
""",
)
N(
    "password_hash",
    "d",
    "en",
    "shadow_file",
    """
root:⟦x:pwhash⟧:19700:0:99999:7:::
deploy:⟦x:pwhash⟧:19712:0:99999:7:::
""",
)
N(
    "password_hash",
    "b",
    "en",
    "qa_post",
    """
Why does `password_verify()` return false? Stored hash is `⟦x:bcrypt⟧` and I'm passing the plain text from the form.
""",
)
# 14 ssh_public_key
N(
    "ssh_public_key",
    "a",
    "en",
    "authorized_keys",
    """
⟦x:sshpub⟧
⟦x:sshpub⟧
""",
)
N(
    "ssh_public_key",
    "a",
    "en",
    "cloud_init",
    """
#cloud-config
users:
  - name: ⟦x:user⟧
    ssh_authorized_keys:
      - ⟦x:sshpub⟧
""",
)
N(
    "ssh_public_key",
    "c",
    "sv",
    "email",
    """
Hej! Här är min publika nyckel, lägg in den på servern:
⟦x:sshpub⟧
""",
)
# 15 public_certificate
N(
    "public_certificate",
    "a",
    "en",
    "pem_file",
    """
⟦x:pempub⟧
""",
)
N(
    "public_certificate",
    "b",
    "en",
    "docs_page",
    """
Pin the following public key in your client:

⟦x:pempub⟧
""",
)
N(
    "public_certificate",
    "a",
    "en",
    "yaml_config",
    """
tls:
  ca_fingerprint: ⟦x:sha256⟧
  ca: |
    (see ca.pem)
  verify: true
""",
)
# 16 env_variable_reference
N(
    "env_variable_reference",
    "a",
    "en",
    "python_source",
    """
DB_PASSWORD = ⟦x:envref⟧
API_TOKEN = ⟦x:envref⟧
""",
)
N(
    "env_variable_reference",
    "a",
    "en",
    "docker_compose",
    """
services:
  app:
    environment:
      DB_PASSWORD: ⟦x:envref⟧
      STRIPE_SECRET_KEY: ⟦x:envref⟧
""",
)
N(
    "env_variable_reference",
    "d",
    "en",
    "shell_session",
    """
$ curl -H "Authorization: Bearer ⟦x:envref⟧" https://api.⟦x:dom⟧/v1/me
{"error":"token missing"}
""",
)
# 17 template_placeholder
N(
    "template_placeholder",
    "a",
    "en",
    "ci_yaml",
    """
- name: Publish
  run: npm publish
  env:
    NODE_AUTH_TOKEN: ⟦x:tplvar⟧
""",
)
N(
    "template_placeholder",
    "a",
    "en",
    "jinja_template",
    """
[client]
user = {{ db_user }}
password = ⟦x:tplvar⟧
""",
)
N(
    "template_placeholder",
    "a",
    "en",
    "helm_template",
    """
data:
  password: ⟦x:tplvar⟧
  api-key: ⟦x:tplvar⟧
""",
)
# 18 product_code
N(
    "product_code",
    "b",
    "en",
    "shop_page",
    """
<li data-sku="⟦x:sku⟧">Wireless headphones — €⟦x:price⟧</li>
<li data-sku="⟦x:sku⟧">USB-C cable 2m — €⟦x:price⟧</li>
""",
)
N(
    "product_code",
    "c",
    "de",
    "email",
    """
Ihre Rücksendung: Artikelnummer ⟦x:sku⟧, Menge 1. Ersatzartikel ⟦x:sku⟧ ist unterwegs.
""",
)
N(
    "product_code",
    "b",
    "fr",
    "shop_page",
    """
Réf. ⟦x:sku⟧ — Chaise de bureau ergonomique, ⟦x:price⟧ € TTC
""",
)
# 19 booking_reference
N(
    "booking_reference",
    "c",
    "en",
    "email",
    """
Your booking is confirmed. Booking reference: ⟦x:pnr⟧
Flight LH⟦x:num⟧ on ⟦x:date⟧. Please keep your reference ⟦x:pnr⟧ for check-in.
""",
)
N(
    "booking_reference",
    "c",
    "it",
    "email",
    """
Codice prenotazione: ⟦x:pnr⟧ — Hotel Bellavista, check-in ⟦x:date⟧.
""",
)
N(
    "booking_reference",
    "c",
    "ko",
    "chat",
    """
예약번호 ⟦x:pnr⟧ 으로 체크인하시면 됩니다.
""",
)
# 20 coupon_code
N(
    "coupon_code",
    "b",
    "en",
    "shop_page",
    """
Use code ⟦x:coupon⟧ at checkout for free shipping. Expires ⟦x:date⟧.
""",
)
N(
    "coupon_code",
    "c",
    "fr",
    "email",
    """
Profitez de -20 % avec le code ⟦x:coupon⟧ jusqu'au ⟦x:date⟧ !
""",
)
N(
    "coupon_code",
    "b",
    "nl",
    "shop_page",
    """
Kortingscode: ⟦x:coupon⟧ (niet geldig in combinatie met andere acties)
""",
)
# 21 timestamp_number
N(
    "timestamp_number",
    "d",
    "en",
    "app_log",
    """
{"ts": ⟦x:epochms⟧, "level": "info", "msg": "cache warmed", "took_ms": 381, "seq": ⟦x:epoch⟧}
""",
)
N(
    "timestamp_number",
    "a",
    "en",
    "json_config",
    """
{"created_at": ⟦x:epoch⟧, "updated_at": ⟦x:epoch⟧, "expires_at_ms": ⟦x:epochms⟧}
""",
)
N(
    "timestamp_number",
    "d",
    "en",
    "metrics",
    """
http_requests_total{code="200"} 4231 ⟦x:epochms⟧
http_requests_total{code="500"} 12 ⟦x:epochms⟧
""",
)
# 22 base64_data_blob
N(
    "base64_data_blob",
    "b",
    "en",
    "web_page",
    """
<img alt="logo" src="⟦x:b64blob⟧">
""",
)
N(
    "base64_data_blob",
    "a",
    "en",
    "css_source",
    """
@font-face { font-family: "Inter"; src: url("⟦x:b64blob⟧") format("woff2"); }
""",
)
N(
    "base64_data_blob",
    "a",
    "en",
    "json_config",
    """
{"icon": "⟦x:b64blob⟧", "name": "⟦x:word⟧"}
""",
)
# 23 crypto_wallet_address
N(
    "crypto_wallet_address",
    "b",
    "en",
    "web_page",
    """
<p>Support the project: BTC/ETH <code>⟦x:btc⟧</code></p>
""",
)
N(
    "crypto_wallet_address",
    "c",
    "ru",
    "chat",
    """
Кидай на кошелёк ⟦x:btc⟧, сеть правильная, проверил.
""",
)
N(
    "crypto_wallet_address",
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ INFO tx confirmed from=⟦x:btc⟧ to=⟦x:btc⟧ block=⟦x:num⟧
""",
)
# 24 luhn_invalid_card_number
N(
    "luhn_invalid_card_number",
    "a",
    "en",
    "python_test",
    """
def test_rejects_bad_checksum():
    assert not validate_card("⟦x:luhnbad⟧")
""",
)
N(
    "luhn_invalid_card_number",
    "c",
    "es",
    "support_ticket",
    """
El cliente escribió mal el número: ⟦x:luhnbad⟧ (el formulario lo rechaza por dígito de control).
""",
)
N(
    "luhn_invalid_card_number",
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ WARN checkout: card failed checksum input="⟦x:luhnbad⟧"
""",
)
# 25 luhn_valid_non_card_number
N(
    "luhn_valid_non_card_number",
    "c",
    "en",
    "support_ticket",
    """
Device IMEI: ⟦x:imei⟧ — reported stolen on ⟦x:date⟧.
""",
)
N(
    "luhn_valid_non_card_number",
    "c",
    "fr",
    "email",
    """
Votre numéro client fidélité est ⟦x:noncard⟧. Numéro d'assurance sociale (CA) du dossier : ⟦x:sin⟧.
""",
)
N(
    "luhn_valid_non_card_number",
    "d",
    "en",
    "mdm_log",
    """
⟦x:ts⟧ enrolled device imei=⟦x:imei⟧ serial=⟦x:hex16⟧ member=⟦x:noncard⟧
""",
)
# 26 csrf_token_nonce
N(
    "csrf_token_nonce",
    "b",
    "en",
    "web_page",
    """
<form method="post" action="/account/settings">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟦x:csrf⟧">
  <script nonce="⟦x:nonce⟧">initForm();</script>
</form>
""",
)
N(
    "csrf_token_nonce",
    "b",
    "en",
    "web_page",
    """
<meta name="csrf-token" content="⟦x:csrf⟧">
<meta http-equiv="Content-Security-Policy" content="script-src 'nonce-⟦x:nonce⟧'">
""",
)
N(
    "csrf_token_nonce",
    "d",
    "en",
    "http_response",
    """
HTTP/1.1 200 OK
Content-Security-Policy: script-src 'self' 'nonce-⟦x:nonce⟧'
X-CSRF-Token: ⟦x:csrf⟧
""",
)
# 27 alphanumeric_word
N(
    "alphanumeric_word",
    "b",
    "en",
    "blog_post",
    """
We benchmarked ⟦x:alnum⟧ against ⟦x:alnum⟧ on ⟦x:alnum⟧ hardware; see the ⟦x:alnum⟧ section.
""",
)
N(
    "alphanumeric_word",
    "c",
    "de",
    "chat",
    """
Hast du das ⟦x:alnum⟧-Kabel? Das ⟦x:alnum⟧ läuft sonst nicht.
""",
)
N(
    "alphanumeric_word",
    "b",
    "es",
    "forum_post",
    """
Mi portátil con ⟦x:alnum⟧ no reconoce el ⟦x:alnum⟧ tras actualizar a ⟦x:alnum⟧.
""",
)
# 28 tracking_number
N(
    "tracking_number",
    "c",
    "en",
    "email",
    """
Your parcel is on its way! Tracking number: ⟦x:ups⟧. Estimated delivery ⟦x:date⟧.
""",
)
N(
    "tracking_number",
    "c",
    "pl",
    "email",
    """
Przesyłka nr ⟦x:ups⟧ została nadana. Status możesz sprawdzić na stronie przewoźnika.
""",
)
N(
    "tracking_number",
    "c",
    "ja",
    "email",
    """
お荷物の追跡番号は ⟦x:ups⟧ です。
""",
)
# 29 container_image_digest
N(
    "container_image_digest",
    "a",
    "en",
    "k8s_manifest",
    """
containers:
  - name: api
    image: ghcr.io/⟦x:word⟧/api@⟦x:digest⟧
""",
)
N(
    "container_image_digest",
    "d",
    "en",
    "shell_session",
    """
$ docker pull redis:7
7: Pulling from library/redis
Digest: ⟦x:digest⟧
Status: Downloaded newer image for redis:7
""",
)
N(
    "container_image_digest",
    "a",
    "en",
    "dockerfile",
    """
FROM node:20-alpine@⟦x:digest⟧ AS build
""",
)
# 30 package_integrity_hash
N(
    "package_integrity_hash",
    "a",
    "en",
    "lockfile",
    """
"node_modules/lodash": {
  "version": "⟦x:ver⟧",
  "resolved": "https://registry.npmjs.org/lodash/-/lodash-⟦x:ver⟧.tgz",
  "integrity": "⟦x:integrity⟧"
}
""",
)
N(
    "package_integrity_hash",
    "a",
    "en",
    "lockfile",
    """
[[package]]
name = "serde"
version = "⟦x:ver⟧"
checksum = "⟦x:sha256⟧"
""",
)
N(
    "package_integrity_hash",
    "b",
    "en",
    "web_page",
    """
<script src="https://cdn.jsdelivr.net/npm/alpinejs@⟦x:ver⟧/dist/cdn.min.js" integrity="⟦x:integrity⟧" crossorigin="anonymous"></script>
""",
)
# 31 mac_address
N(
    "mac_address",
    "d",
    "en",
    "shell_session",
    """
$ ip link show eth0
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500
    link/ether ⟦x:mac⟧ brd ff:ff:ff:ff:ff:ff
""",
)
N(
    "mac_address",
    "c",
    "nl",
    "support_ticket",
    """
Graag het apparaat met MAC-adres ⟦x:mac⟧ toevoegen aan de whitelist.
""",
)
N(
    "mac_address",
    "a",
    "en",
    "config_file",
    """
host printer { hardware ethernet ⟦x:mac⟧; fixed-address ⟦x:privip⟧; }
""",
)
# 32 trace_request_id
N(
    "trace_request_id",
    "d",
    "en",
    "http_response",
    """
HTTP/1.1 500 Internal Server Error
traceparent: 00-⟦x:trace⟧-⟦x:hex16⟧-01
x-request-id: ⟦x:trace⟧
""",
)
N(
    "trace_request_id",
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ ERROR trace_id=⟦x:trace⟧ span_id=⟦x:hex16⟧ upstream timeout
""",
)
N(
    "trace_request_id",
    "c",
    "en",
    "support_ticket",
    """
Customer reports error; Request ID ⟦x:trace⟧ (please quote it when contacting support).
""",
)
# 33 k8s_generated_name
N(
    "k8s_generated_name",
    "d",
    "en",
    "shell_session",
    """
$ kubectl get pods
NAME                        READY   STATUS    RESTARTS   AGE
⟦x:podname⟧   1/1     Running   0          3d
⟦x:podname⟧   1/1     Running   2          3d
""",
)
N(
    "k8s_generated_name",
    "d",
    "en",
    "k8s_log",
    """
⟦x:ts⟧ Warning BackOff pod/⟦x:podname⟧ Back-off restarting failed container
""",
)
N(
    "k8s_generated_name",
    "c",
    "en",
    "chat",
    """
⟦x:podname⟧ is OOMKilled again, can you bump the limit?
""",
)
# 34 snmp_oid (documented scanner exception)
N(
    "snmp_oid",
    "d",
    "en",
    "shell_session",
    """
$ snmpget -v2c -c public ⟦x:privip⟧ ⟦x:oid⟧
iso.⟦x:oid⟧ = Timeticks: (⟦x:num⟧)
""",
)
N(
    "snmp_oid",
    "a",
    "en",
    "yaml_config",
    """
metrics:
  - name: ifInOctets
    oid: ⟦x:oid⟧
  - name: sysUpTime
    oid: ⟦x:oid⟧
""",
)
N(
    "snmp_oid",
    "b",
    "en",
    "docs_page",
    """
Query the vendor MIB at ⟦x:oid⟧ to read the fan status.
""",
)
# 35 redacted_value
N(
    "redacted_value",
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ INFO request headers: Authorization=⟦x:redacted⟧ Cookie=⟦x:redacted⟧
""",
)
N(
    "redacted_value",
    "b",
    "en",
    "issue_comment",
    """
Here's my config (secrets removed):
```
api_key: ⟦x:redacted⟧
password: ⟦x:redacted⟧
```
""",
)
N(
    "redacted_value",
    "c",
    "fr",
    "email",
    """
Mot de passe : ⟦x:redacted⟧ (communiqué par téléphone)
""",
)
# 36 password_policy_text
N(
    "password_policy_text",
    "b",
    "en",
    "web_page",
    """
Your password must be at least 12 characters long and include a number and a symbol. Last changed ⟦x:date⟧.
""",
    n=3,
)
N(
    "password_policy_text",
    "c",
    "de",
    "email",
    """
Hinweis: Passwörter laufen nach 90 Tagen ab. Ihr Passwort wurde am ⟦x:date⟧ zuletzt geändert.
""",
    n=3,
)
N(
    "password_policy_text",
    "b",
    "es",
    "web_page",
    """
La contraseña debe tener entre 8 y 64 caracteres. Intentos restantes: ⟦x:num⟧.
""",
    n=3,
)
# 37 vendor_example_key
N(
    "vendor_example_key",
    "b",
    "en",
    "docs_page",
    """
```
[default]
aws_access_key_id = ⟦x:akiaex⟧
aws_secret_access_key = ⟦x:skex⟧
region = ⟦x:word⟧-1
```
""",
    n=3,
)
N(
    "vendor_example_key",
    "a",
    "en",
    "python_test",
    """
FAKE_KEY = "⟦x:akiaex⟧"  # documented AWS example key
assert mask(FAKE_KEY).endswith("MPLE") and len(FAKE_KEY) == 20  # run ⟦x:num⟧
""",
    n=3,
)
N(
    "vendor_example_key",
    "b",
    "de",
    "tutorial",
    """
Tragen Sie Ihre Schlüssel ein, z. B. ⟦x:akiaex⟧ und ⟦x:skex⟧ (Beispielwerte aus der AWS-Doku, Schritt ⟦x:num⟧).
""",
    n=3,
)
# 38 color_code_css
N(
    "color_code_css",
    "a",
    "en",
    "css_source",
    """
:root { --primary: ⟦x:color⟧; --accent: ⟦x:color⟧; --bg: ⟦x:color⟧; }
""",
)
N(
    "color_code_css",
    "a",
    "en",
    "json_config",
    """
{"theme": {"primary": "⟦x:color⟧", "secondary": "⟦x:color⟧"}}
""",
)
N(
    "color_code_css",
    "c",
    "fi",
    "chat",
    """
Käytetään brändiväriä ⟦x:color⟧ ja taustalle ⟦x:color⟧.
""",
)
# 39 isbn_barcode
N(
    "isbn_barcode",
    "b",
    "en",
    "shop_page",
    """
ISBN-13: ⟦x:isbn⟧ · Paperback · 320 pages
""",
)
N(
    "isbn_barcode",
    "b",
    "de",
    "shop_page",
    """
ISBN ⟦x:isbn⟧, 2. Auflage, ⟦x:price⟧ €
""",
)
N(
    "isbn_barcode",
    "c",
    "cs",
    "email",
    """
Objednaná kniha (ISBN ⟦x:isbn⟧) bude připravena k vyzvednutí.
""",
)
# 40 geo_coordinates
N(
    "geo_coordinates",
    "a",
    "en",
    "json_config",
    """
{"type": "Point", "coordinates": [⟦x:lon⟧, ⟦x:lat⟧]}
""",
)
N(
    "geo_coordinates",
    "c",
    "pt",
    "chat",
    """
Estou aqui: ⟦x:lat⟧, ⟦x:lon⟧ — perto da entrada principal.
""",
)
N(
    "geo_coordinates",
    "d",
    "en",
    "gps_log",
    """
⟦x:ts⟧ fix lat=⟦x:lat⟧ lon=⟦x:lon⟧ sats=9 hdop=0.9
""",
)
# 41 masked_card_number
N(
    "masked_card_number",
    "c",
    "en",
    "email",
    """
Payment received: Visa ⟦x:maskcard⟧, amount €⟦x:price⟧.
""",
)
N(
    "masked_card_number",
    "b",
    "de",
    "shop_page",
    """
Gespeicherte Karte: ⟦x:maskcard⟧ — gültig bis 12/27
""",
)
N(
    "masked_card_number",
    "d",
    "en",
    "payment_log",
    """
⟦x:ts⟧ charge ok card=⟦x:maskcard⟧ amount=⟦x:price⟧ ref=⟦x:order⟧
""",
)
# 42 database_object_id
N(
    "database_object_id",
    "a",
    "en",
    "json_config",
    """
{"_id": {"$oid": "⟦x:objid⟧"}, "owner": {"$oid": "⟦x:objid⟧"}, "ulid": "⟦x:ulid⟧"}
""",
)
N(
    "database_object_id",
    "d",
    "en",
    "app_log",
    """
⟦x:ts⟧ DEBUG fetched document ⟦x:objid⟧ (event ⟦x:ulid⟧)
""",
)
N(
    "database_object_id",
    "b",
    "en",
    "web_page",
    """
<a href="/threads/⟦x:objid⟧">Reply</a> · <a href="/events/⟦x:ulid⟧">Event</a>
""",
)
# 43 asset_fingerprint
N(
    "asset_fingerprint",
    "b",
    "en",
    "web_page",
    """
<link rel="stylesheet" href="/static/css/main.⟦x:asset⟧.css">
<script src="/static/js/app.⟦x:asset⟧.js" defer></script>
""",
)
N(
    "asset_fingerprint",
    "a",
    "en",
    "json_config",
    """
{"main.js": "/assets/main-⟦x:asset⟧.js", "vendor.js": "/assets/vendor-⟦x:asset⟧.js"}
""",
)
N(
    "asset_fingerprint",
    "d",
    "en",
    "web_access_log",
    """
⟦x:privip⟧ - - [⟦x:clf⟧] "GET /assets/index-⟦x:asset⟧.js HTTP/1.1" 200 48122 "-" "Mozilla/5.0"
""",
)
# 44 order_and_account_number
N(
    "order_and_account_number",
    "c",
    "en",
    "email",
    """
Order number: ⟦x:order⟧
Customer number: ⟦x:order⟧
Thank you for shopping with us!
""",
)
N(
    "order_and_account_number",
    "c",
    "sv",
    "email",
    """
Ordernummer ⟦x:order⟧ har skickats. Kundnummer: ⟦x:order⟧.
""",
)
N(
    "order_and_account_number",
    "c",
    "tr",
    "support_ticket",
    """
Sipariş no: ⟦x:order⟧ — müşteri no: ⟦x:order⟧. İade talebi alındı.
""",
)
# 45 public_key_material
N(
    "public_key_material",
    "a",
    "en",
    "key_file",
    """
# age public key (safe to share)
recipient: ⟦x:age_pub⟧
""",
)
N(
    "public_key_material",
    "b",
    "en",
    "docs_page",
    """
Encrypt backups to our public recipient `⟦x:age_pub⟧` before upload.
""",
)
N(
    "public_key_material",
    "c",
    "en",
    "chat",
    """
my age pubkey is ⟦x:age_pub⟧, send me the file encrypted with it
""",
)
# 46 user_handle_and_username
N(
    "username_only",
    "c",
    "en",
    "chat",
    """
@⟦x:user⟧ can you add ⟦x:user⟧ to the on-call rotation? login is just ⟦x:user⟧, no password change needed
""",
)
N(
    "username_only",
    "a",
    "en",
    "yaml_config",
    """
db:
  host: ⟦x:privip⟧
  user: ⟦x:user⟧
  password_file: /run/secrets/db_password
""",
)
N(
    "username_only",
    "c",
    "hu",
    "email",
    """
Szia! A felhasználóneved: ⟦x:user⟧. A jelszót külön SMS-ben küldjük.
""",
)

# extra log / shell / HTTP hard negatives
N(
    "reserved_domain_email",
    "d",
    "en",
    "mail_log",
    """
⟦x:time⟧ mail postfix/smtp[⟦x:pid⟧]: ⟦x:qid⟧: to=<⟦x:resemail⟧>, relay=none, status=bounced (Host or domain name not found)
""",
)
N(
    "publishable_key",
    "d",
    "en",
    "http_request",
    """
GET /v1/payment_intents/pi_⟦x:hex16⟧ HTTP/1.1
Host: api.stripe.com
Authorization: Bearer ⟦x:pklive⟧
""",
)
N(
    "uuid_identifier",
    "d",
    "en",
    "http_response",
    """
HTTP/1.1 201 Created
Location: /v2/orders/⟦x:uuid⟧
X-Correlation-ID: ⟦x:uuid⟧
""",
)
N(
    "env_variable_reference",
    "d",
    "en",
    "ci_log",
    """
+ docker login -u "$REGISTRY_USER" --password-stdin <<< ⟦x:envref⟧
Login Succeeded
""",
)
N(
    "private_ip_address",
    "d",
    "en",
    "shell_session",
    """
$ ssh -J bastion ⟦x:user⟧@⟦x:privip⟧
Last login: ⟦x:time⟧ from ⟦x:privip⟧
""",
)
N(
    "documentation_ip_address",
    "d",
    "en",
    "web_access_log",
    """
⟦x:docip⟧ - - [⟦x:clf⟧] "GET /index.html HTTP/1.1" 200 612 "-" "curl/8.5.0"
⟦x:docip⟧ - - [⟦x:clf⟧] "GET /robots.txt HTTP/1.1" 200 24 "-" "curl/8.5.0"
""",
)


# ---------------------------------------------------------------- rendering
SLOT = re.compile(r"⟦([^⟧]+)⟧")
ENT = {"S": "SECRET", "E": "EMAIL_ADDRESS", "IP": "IP_ADDRESS", "CC": "CREDIT_CARD"}


def produce(kind, arg, rng):
    if kind == "S":
        return SECRET_GENS[arg](rng)
    if kind == "E":
        return g_email(rng, arg)
    if kind == "IP":
        return g_ip6(rng) if arg == "6" else g_ip4(rng)
    if kind == "CC":
        return g_card(rng, arg)
    if kind == "x":
        return X_GENS[arg](rng)
    raise KeyError(kind)


def render(tpl, rng):
    parts = SLOT.split(tpl)
    out, spans, xvals, bound = [], [], [], {}
    pos = 0
    for i, p in enumerate(parts):
        if i % 2 == 0:
            out.append(p)
            pos += len(p)
            continue
        spec, _, key = p.partition("@")
        kind, _, arg = spec.partition(":")
        if key and key in bound:
            v = bound[key]
        else:
            v = produce(kind, arg, rng)
            if key:
                bound[key] = v
        if kind in ENT:
            spans.append({"start": pos, "end": pos + len(v), "entity": ENT[kind], "_gen": arg, "_val": v})
        else:
            xvals.append((pos, pos + len(v), arg))
        out.append(v)
        pos += len(v)
    return "".join(out), spans, xvals


# ---------------------------------------------------------------- checks
RESERVED_SUFFIXES = (".test", ".invalid", ".localhost", ".example")
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")


def email_reserved(dom):
    dom = dom.lower().rstrip(".")
    if any(dom == d or dom.endswith("." + d) for d in RESERVED_DOMAINS):
        return True
    return dom.endswith(RESERVED_SUFFIXES) or dom in ("localhost", "test", "invalid", "example")


EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")
EMAIL_FULL = re.compile(r"^[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
IP4_RE = re.compile(r"(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?!\.?\d)")
IP6_RE = re.compile(r"(?<![0-9A-Za-z:])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![0-9A-Za-z:])")
CARD_RE = re.compile(r"(?<![\w-])(\d(?:[ -]?\d){11,18})(?![\w-])")


def scan(text, rec_cat, xvals):
    """Return list of leak findings in text (labelled spans must already be masked)."""
    found = []
    for m in IP4_RE.finditer(text):
        if is_public_ip(m.group(1)):
            exempt = any(s <= m.start(1) and m.end(1) <= e and EXEMPT_IP_GENS.get(g) == rec_cat for s, e, g in xvals)
            if not exempt:
                found.append(("ipv4", m.group(1)))
    for m in IP6_RE.finditer(text):
        if m.group(1).count(":") >= 2 and is_public_ip(m.group(1)):
            found.append(("ipv6", m.group(1)))
    for m in CARD_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group(1))
        if card_brand(d) and luhn_ok(d):
            found.append(("card", m.group(1)))
    for m in EMAIL_RE.finditer(text):
        if not email_reserved(m.group(1)):
            found.append(("email", m.group(0)))
    return found


def masked_text(text, spans):
    t = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            t[i] = "■"
    return "".join(t)


def check_record(text, spans, cat):
    assert (cat == "positive") == bool(spans), "positives need spans, negatives none"
    prev_end = -1
    for s in spans:
        v = text[s["start"] : s["end"]]
        assert v == s["_val"] and v, (v, s)
        assert s["start"] >= prev_end, "overlap"
        prev_end = s["end"]
        e = s["entity"]
        if e == "IP_ADDRESS":
            assert is_public_ip(v), v
        elif e == "CREDIT_CARD":
            d = re.sub(r"[ -]", "", v)
            assert d.isdigit() and luhn_ok(d) and card_brand(d) not in (None, "maestro"), v
        elif e == "EMAIL_ADDRESS":
            assert EMAIL_FULL.match(v) and not email_reserved(v.split("@")[1]), v
        elif e == "SECRET":
            assert v == v.strip(), v
            if s["_gen"] in PASSWORDLIKE:
                assert v[0].isalnum() and v[-1] not in PW_FORBIDDEN_END, v


def build():
    rng = random.Random(SEED)
    records, seen_text = [], set()
    group_of = {}
    for tid, t in enumerate(TEMPLATES, 1):
        for vi in range(1, t["n"] + 1):
            for attempt in range(40):
                text, spans, xvals = render(t["text"], rng)
                if text in seen_text:
                    continue
                if scan(masked_text(text, spans), t["cat"], xvals):
                    continue
                break
            else:
                raise AssertionError(
                    f"template {tid} keeps failing the leak scanner: {scan(masked_text(text, spans), t['cat'], xvals)}"
                )
            check_record(text, spans, t["cat"])
            seen_text.add(text)
            rid = f"{PREFIX}-{tid:03d}-{vi}"
            group_of[rid] = t["grp"]
            records.append(
                {"id": rid, "text": text, "lang": t["lang"], "context": t["ctx"], "category": t["cat"], "spans": spans}
            )
    return records, group_of


def main():
    records, group_of = build()
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len({r["text"] for r in records}) == len(records), "duplicate texts"
    ent = collections.Counter(s["entity"] for r in records for s in r["spans"])
    pos_tpl = sum(1 for t in TEMPLATES if t["cat"] == "positive")
    negs = [r for r in records if r["category"] != "positive"]
    neg_cats = collections.Counter(r["category"] for r in negs)
    vendor_used = {s["_gen"] for r in records for s in r["spans"] if s["entity"] == "SECRET"} - GENERIC
    langs = collections.Counter(r["lang"] for r in records)
    natural_langs_c = {r["lang"] for r in records if group_of[r["id"]] == "c"}
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 200 and ent["IP_ADDRESS"] >= 200 and ent["CREDIT_CARD"] >= 100
    ), ent
    assert pos_tpl >= 150, pos_tpl
    assert len(negs) >= 500 and len(neg_cats) >= 35, (len(negs), len(neg_cats))
    assert len(natural_langs_c) >= 30, sorted(natural_langs_c)
    assert len(vendor_used) >= 40, sorted(vendor_used)
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in records:
            r = dict(r)
            r["spans"] = [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in r["spans"]]
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    # re-read and re-verify the file as written
    with open(OUT, encoding="utf-8") as fh:
        back = [json.loads(line) for line in fh]
    assert len(back) == len(records)
    for a, b in zip(back, records):
        for sa, sb in zip(a["spans"], b["spans"]):
            assert a["text"][sa["start"] : sa["end"]] == sb["_val"]

    print(f"wrote {len(records)} records to {OUT}")
    print(f"templates: {len(TEMPLATES)} ({pos_tpl} positive, {len(TEMPLATES) - pos_tpl} hard-negative)")
    print(
        f"positive records: {len(records) - len(negs)}; hard-negative records: {len(negs)} in {len(neg_cats)} categories"
    )
    print("spans per entity:", dict(sorted(ent.items())))
    print(f"vendor token formats used ({len(vendor_used)}):", " ".join(sorted(vendor_used)))
    print(
        "records per source group (a code/config, b web/docs, c messages, d logs/shell/http):",
        dict(sorted(collections.Counter(group_of.values()).items())),
    )
    print(
        "positive records per group:",
        dict(sorted(collections.Counter(group_of[r["id"]] for r in records if r["category"] == "positive").items())),
    )
    print(f"languages ({len(langs)}; {len(natural_langs_c)} in messages group):", dict(langs.most_common()))
    print("hard-negative categories:", dict(sorted(neg_cats.items())))
    ctx = collections.Counter(r["context"] for r in records)
    print(f"contexts ({len(ctx)}):", dict(ctx.most_common()))


if __name__ == "__main__":
    sys.exit(main())
