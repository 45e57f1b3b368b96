"""Generate bench/pii_eval/pii_testset5.jsonl: an independent, synthetic, seeded PII evaluation set.

Written without looking at the detector, its tests or the earlier sets. Templates carry placeholders
``⟦KIND⟧``; positive kinds become labelled spans, ``⟦n:KIND⟧`` inserts a hard-negative value (recorded so the
validator knows it is deliberate), other kinds are neutral fillers. Offsets are recorded while concatenating.

    .venv/bin/python bench/pii_eval/make_testset5.py
"""

from __future__ import annotations

import base64
import ipaddress
import json
import random
import re
import string
import sys
from pathlib import Path

SEED = 5_2026_11_25
OUT = Path(__file__).with_name("pii_testset5.jsonl")
rng = random.Random(SEED)

ALNUM = string.ascii_letters + string.digits
UPPER_DIG = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"

# ----------------------------------------------------------------------------------------------------------------
# value generators


def rand(alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def mixed(n: int, alphabet: str = ALNUM) -> str:
    """Random value with at least one lower, upper and digit, alphanumeric at both ends."""
    while True:
        s = rand(alphabet, n)
        if (
            any(c.islower() for c in s)
            and any(c.isupper() for c in s)
            and sum(c.isdigit() for c in s) >= 2
            and s[0].isalnum()
            and s[-1].isalnum()
        ):
            return s


FIRST = [
    "anna",
    "lukas",
    "marie",
    "jonas",
    "sofia",
    "mateo",
    "camille",
    "hugo",
    "giulia",
    "luca",
    "ines",
    "tiago",
    "zofia",
    "jakub",
    "olga",
    "dmitri",
    "yuki",
    "haruto",
    "wei",
    "jing",
    "minjun",
    "seoyeon",
    "linh",
    "minh",
    "elif",
    "emre",
    "fatima",
    "omar",
    "astrid",
    "nils",
    "tereza",
    "ondrej",
    "oksana",
    "taras",
    "putri",
    "budi",
    "noah",
    "chloe",
    "aarav",
    "priya",
    "kwame",
    "amara",
    "freya",
    "sven",
    "lea",
    "felix",
    "nora",
    "rafael",
]
LAST = [
    "becker",
    "hoffmann",
    "moreau",
    "lefevre",
    "rossi",
    "bianchi",
    "garcia",
    "navarro",
    "silva",
    "costa",
    "nowak",
    "wojcik",
    "ivanova",
    "petrov",
    "tanaka",
    "sato",
    "zhang",
    "liu",
    "kim",
    "park",
    "nguyen",
    "tran",
    "yilmaz",
    "demir",
    "haddad",
    "mansour",
    "lindqvist",
    "berg",
    "novakova",
    "dvorak",
    "kovalenko",
    "shevchuk",
    "santoso",
    "wijaya",
    "okafor",
    "mensah",
    "jansen",
    "devries",
    "oconnor",
    "mehta",
    "iyer",
    "fischer",
]
FREEMAIL = [
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.fr",
    "hotmail.es",
    "yahoo.co.jp",
    "yahoo.com.br",
    "web.de",
    "gmx.at",
    "gmx.net",
    "t-online.de",
    "posteo.de",
    "orange.fr",
    "free.fr",
    "libero.it",
    "virgilio.it",
    "wp.pl",
    "o2.pl",
    "seznam.cz",
    "mail.ru",
    "yandex.ru",
    "ukr.net",
    "naver.com",
    "daum.net",
    "qq.com",
    "163.com",
    "126.com",
    "uol.com.br",
    "terra.com.br",
    "proton.me",
    "icloud.com",
    "ziggo.nl",
    "telia.com",
    "bluewin.ch",
    "abv.bg",
    "rediffmail.com",
    "fastmail.fm",
    "tutanota.de",
    "yahoo.com.vn",
    "mynet.com",
]
ORGDOM = [
    "brightfield-labs.io",
    "kanzlei-obermayr.at",
    "nordlicht-energie.de",
    "vinhomes-travel.vn",
    "quokka.dev",
    "atelier-marchal.fr",
    "estudio-ibarra.es",
    "padaria-sol.com.br",
    "ferramenta-conti.it",
    "bouwbedrijf-kok.nl",
    "zaklad-wisla.pl",
    "sibtechsnab.ru",
    "kitsune-soft.co.jp",
    "huaxin-logistics.cn",
    "hanbit-edu.kr",
    "anadolu-tekstil.com.tr",
    "dar-alnoor.ae",
    "fjordsystem.se",
    "pivovar-hrad.cz",
    "agro-podillia.com.ua",
    "sinar-abadi.co.id",
    "lumen-analytics.ai",
    "cobalt-harbor.co.uk",
    "wattle-data.com.au",
    "mail.uni-kelm.edu.pl",
    "cs.tohoku-inst.ac.jp",
    "research.polarlab.org.uk",
    "shop.kaffeerösterei.berlin",
    "ops.tinyfleet.cloud",
    "hq.mercator-freight.com",
    "studio-yuzu.tokyo",
    "maple-ridge-clinic.ca",
    "kiwi-orchard.co.nz",
]


def email() -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    style = rng.randrange(9)
    local = [
        f"{f}.{last}",
        f"{f[0]}{last}",
        f"{f}_{last}{rng.randrange(10, 99)}",
        f"{f}.{last}+{rng.choice(['news', 'git', 'billing', 'shop'])}",
        f"{last}.{f}",
        f"{f}{rng.randrange(1970, 2008)}",
        f"{f}-{last}",
        f"{f[0].upper()}.{last.capitalize()}",
        rng.choice(["info", "kontakt", "contact", "support", "billing", "hr", "ventas", "biuro", "office"]),
    ][style]
    dom = rng.choice(FREEMAIL) if rng.random() < 0.55 and style != 8 else rng.choice(ORGDOM)
    if "ö" in dom:
        dom = dom.replace("ö", "oe")
    return f"{local}@{dom}"


def is_pii_ip(s: str) -> bool:
    a = ipaddress.ip_address(s)
    return a.is_global and not a.is_multicast and not a.is_reserved


def ip4() -> str:
    while True:
        s = ".".join(
            str(x) for x in (rng.randrange(1, 224), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
        )
        if is_pii_ip(s):
            return s


V6_PREFIX = [
    "2a00",
    "2a01",
    "2a02",
    "2a03",
    "2a05",
    "2400",
    "2401",
    "2403",
    "2600",
    "2601",
    "2604",
    "2607",
    "2800",
    "2c0f",
    "2001:4860",
    "2606:4700",
    "2a0a",
    "2804",
    "240e",
]


def ip6() -> str:
    while True:
        p = rng.choice(V6_PREFIX).split(":")
        groups = p + [format(rng.randrange(0x10000), "x") for _ in range(8 - len(p))]
        # sprinkle zero runs so compression shows up
        if rng.random() < 0.6:
            i = rng.randrange(len(p), 7)
            for j in range(i, min(8, i + rng.randrange(1, 4))):
                groups[j] = "0"
        a = ipaddress.IPv6Address(":".join(groups))
        if not is_pii_ip(str(a)):
            continue
        r = rng.random()
        s = a.exploded if r < 0.1 else a.compressed
        return s.upper() if rng.random() < 0.1 else s


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(num: str) -> bool:
    return luhn_digit(num[:-1]) == num[-1]


def brand_prefix(brand: str) -> tuple[str, int]:
    if brand == "visa":
        return "4", 16
    if brand == "mc":
        return str(rng.randrange(51, 56)), 16
    if brand == "mc2":
        return str(rng.randrange(2221, 2721)), 16
    if brand == "amex":
        return rng.choice(["34", "37"]), 15
    if brand == "disc":
        return rng.choice(["6011", str(rng.randrange(644, 650)), "65"]), 16
    if brand == "jcb":
        return str(rng.randrange(3528, 3590)), 16
    if brand == "diners":
        return rng.choice(["36", "38", str(rng.randrange(300, 306))]), 14
    if brand == "up":
        return "62" + str(rng.randrange(10, 99)), rng.choice([16, 16, 19])
    raise ValueError(brand)


BRANDS = ["visa", "visa", "mc", "mc2", "amex", "disc", "jcb", "diners", "up"]


def card_digits(brand: str) -> str:
    pre, n = brand_prefix(brand)
    body = pre + "".join(str(rng.randrange(10)) for _ in range(n - len(pre) - 1))
    return body + luhn_digit(body)


def group(num: str, sep: str) -> str:
    if not sep:
        return num
    n = len(num)
    sizes = {15: [4, 6, 5], 14: [4, 6, 4], 16: [4, 4, 4, 4], 19: [4, 4, 4, 4, 3]}[n]
    out, i = [], 0
    for s in sizes:
        out.append(num[i : i + s])
        i += s
    return sep.join(out)


def card(brand: str | None = None, sep: str | None = None) -> str:
    brand = brand or rng.choice(BRANDS)
    sep = rng.choice(["", " ", " ", "-"]) if sep is None else sep
    return group(card_digits(brand), sep)


def bad_card(sep: str | None = None) -> str:
    num = card_digits(rng.choice(BRANDS))
    last = str((int(num[-1]) + rng.randrange(1, 10)) % 10)
    num = num[:-1] + last
    assert not luhn_ok(num)
    sep = rng.choice(["", " ", "-"]) if sep is None else sep
    return group(num, sep)


def b64u(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def jwt() -> str:
    head = b64u({"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"})
    body = b64u(
        {
            "sub": str(rng.randrange(10**6, 10**7)),
            "iat": rng.randrange(1_700_000_000, 1_800_000_000),
            "scope": rng.choice(["read", "admin", "user:write"]),
            "jti": mixed(12),
        }
    )
    return f"{head}.{body}.{rand(B64URL, 43)}"


def pem(kind: str | None = None) -> tuple[str, list[str], str]:
    kind = kind or rng.choice(
        ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]
    )
    nbytes = {"EC PRIVATE KEY": 121, "OPENSSH PRIVATE KEY": 399}.get(kind, rng.choice([288, 336, 405]))
    body = base64.b64encode(rng.randbytes(nbytes)).decode()
    width = 70 if kind == "OPENSSH PRIVATE KEY" else 64
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    return f"-----BEGIN {kind}-----", lines, f"-----END {kind}-----"


def basic_b64() -> str:
    while True:
        raw = f"{rng.choice(USERS)}:{mixed(rng.randrange(12, 20))}".encode()
        if len(raw) % 3 == 0:
            return base64.b64encode(raw).decode()


def pem_text(sep: str = "\n", indent: str = "") -> str:
    b, lines, e = pem()
    return sep.join([b] + [indent + x for x in lines] + [indent + e])


SECRETS = {
    "akia": lambda: "AKIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
    "asia": lambda: "ASIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
    "awssk": lambda: mixed(40, ALNUM + "+/"),
    "ghp": lambda: "ghp_" + mixed(36),
    "gho": lambda: "gho_" + mixed(36),
    "ghs": lambda: "ghs_" + mixed(36),
    "ghu": lambda: "ghu_" + mixed(36),
    "ghpat": lambda: "github_pat_11" + rand(UPPER_DIG, 20) + "_" + mixed(59),
    "glpat": lambda: "glpat-" + mixed(20),
    "xoxb": lambda: f"xoxb-{rng.randrange(10**11, 10**12)}-{rng.randrange(10**12, 10**13)}-{mixed(24)}",
    "xoxp": lambda: (
        f"xoxp-{rng.randrange(10**11, 10**12)}-{rng.randrange(10**11, 10**12)}-"
        f"{rng.randrange(10**12, 10**13)}-{rand(HEX, 32)}"
    ),
    "sklive": lambda: "sk_live_" + mixed(rng.choice([24, 99])),
    "rklive": lambda: "rk_live_" + mixed(rng.choice([24, 99])),
    "whsec": lambda: "whsec_" + mixed(32),
    "jwt": jwt,
    "aiza": lambda: "AIza" + mixed(35, ALNUM + "-_"),
    "sg": lambda: "SG." + mixed(22, ALNUM + "-_") + "." + mixed(43, ALNUM + "-_"),
    "npm": lambda: "npm_" + mixed(36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + mixed(rng.randrange(60, 120), ALNUM + "-_"),
    "hf": lambda: "hf_" + mixed(34),
    "openai": lambda: "sk-proj-" + mixed(rng.choice([48, 64, 120]), ALNUM + "-_"),
    "anthropic": lambda: "sk-ant-api03-" + mixed(93, ALNUM + "-_") + "AA",
    "shpat": lambda: "shpat_" + rand(HEX, 32),
    "dop": lambda: "dop_v1_" + rand(HEX, 64),
    "telegram": lambda: f"{rng.randrange(10**8, 10**10)}:AA" + mixed(33, ALNUM + "-_"),
    "dckr": lambda: "dckr_pat_" + mixed(27, ALNUM + "-_"),
    "dapi": lambda: "dapi" + rand(HEX, 32),
    "ya29": lambda: "ya29." + mixed(rng.randrange(110, 160), ALNUM + "-_"),
    "gocspx": lambda: "GOCSPX-" + mixed(28, ALNUM + "-_"),
    "glsa": lambda: "glsa_" + mixed(32) + "_" + rand(HEX, 8),
    "linear": lambda: "lin_api_" + mixed(40),
    "age": lambda: "AGE-SECRET-KEY-1" + rand("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".upper(), 58),
    "hvs": lambda: "hvs." + mixed(rng.choice([24, 92]), ALNUM + "-_"),
    "pmak": lambda: "PMAK-" + rand(HEX, 24) + "-" + rand(HEX, 34),
    "azkey": lambda: mixed(86, ALNUM + "+/") + "==",
    "he": lambda: mixed(rng.choice([12, 16, 20, 24, 24, 32, 32, 40])),
    "hel": lambda: mixed(rng.choice([40, 48, 64])),
    "pw": lambda: mixed(rng.choice([12, 14, 16, 18]), ALNUM + "!#%*+=?^~"),
    "basic": lambda: basic_b64(),
}


# ----------------------------------------------------------------------------------------------------------------
# neutral fillers and hard-negative values

HOSTS = [
    "db-01.internal",
    "web-03",
    "api.svc.cluster.local",
    "cache-eu-2",
    "build-runner-7",
    "nas.lan",
    "edge-fra-1",
    "worker-12.prod",
    "mq.corp.intra",
    "ci-agent-4",
]
USERS = ["mkowalski", "tanaka_y", "jdubois", "ops-bot", "deploy", "lhernandez", "kpetrova", "nguyenlinh", "svc_etl"]


def date() -> str:
    return f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def ts() -> str:
    return f"{date()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"


def priv4() -> str:
    return rng.choice(
        [
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"172.{rng.randrange(16, 32)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"127.0.0.{rng.randrange(1, 9)}",
            f"169.254.{rng.randrange(1, 255)}.{rng.randrange(1, 255)}",
            f"100.{rng.randrange(64, 128)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"192.0.2.{rng.randrange(1, 255)}",
            f"198.51.100.{rng.randrange(1, 255)}",
            f"203.0.113.{rng.randrange(1, 255)}",
            "0.0.0.0",
            f"224.0.0.{rng.randrange(1, 255)}",
            f"239.255.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            f"240.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            "255.255.255.255",
        ]
    )


def priv6() -> str:
    return rng.choice(
        [
            "::1",
            "::",
            f"fe80::{rand(HEX, 4)}:{rand(HEX, 2)}ff:fe{rand(HEX, 2)}:{rand(HEX, 4)}",
            f"fd{rand(HEX, 2)}:{rand(HEX, 4)}:{rand(HEX, 4)}::{rng.randrange(1, 99)}",
            f"2001:db8:{rand(HEX, 4)}::{rand(HEX, 3)}",
            f"2001:db8::{rng.randrange(1, 200)}",
            "ff02::1",
            "ff02::fb",
            f"fc00::{rand(HEX, 4)}",
            "::ffff:192.168.1.20",
        ]
    )


RESERVED_MAIL_DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "corp.example",
    "shop.test",
    "acme.test",
    "nowhere.invalid",
    "mailer.invalid",
    "localhost",
    "intranet.example",
]


def neg_email() -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice([f"{f}.{last}", f, "noreply", "user", "admin", f"{f}+test", "jane.doe", "alice", "bob"])
    return f"{local}@{rng.choice(RESERVED_MAIL_DOMAINS)}"


def version4() -> str:
    return rng.choice(
        [
            f"{rng.randrange(1, 12)}.{rng.randrange(0, 20)}.{rng.randrange(0, 50)}.{rng.randrange(0, 300)}",
            f"10.0.{rng.randrange(17000, 26100)}.{rng.randrange(1, 5000)}",
            f"{rng.randrange(100, 131)}.0.{rng.randrange(5000, 6800)}.{rng.randrange(10, 200)}",
            f"{rng.randrange(1, 9)}.{rng.randrange(0, 9)}.{rng.randrange(0, 9)}.{rng.randrange(0, 9)}",
        ]
    )


def oid() -> str:
    return rng.choice(["1.3.6.1.4.1.", "2.5.4.", "1.2.840.113549.1.9.", "1.3.6.1.2.1.2.2.1."]) + str(
        rng.randrange(1, 60000)
    )


def uuid4() -> str:
    h = rand(HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


def placeholder() -> str:
    return rng.choice(
        [
            "<your-api-key>",
            "YOUR_API_KEY_HERE",
            "xxxxxxxxxxxxxxxxxxxx",
            "changeme",
            "REPLACE_ME",
            "********",
            "<token>",
            "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "TODO",
            "your-secret-here",
            "<PASSWORD>",
            "dummy",
            "AKIAXXXXXXXXXXXXXXXX",
            "…",
            "[REDACTED]",
            "null",
            "insert-token",
            "0000000000000000",
            "abc123",
            "<paste key>",
            "__SECRET__",
        ]
    )


def envref() -> str:
    v = rng.choice(
        [
            "DB_PASSWORD",
            "API_KEY",
            "STRIPE_SECRET",
            "GITHUB_TOKEN",
            "SMTP_PASS",
            "JWT_SECRET",
            "AWS_SECRET_ACCESS_KEY",
            "SLACK_BOT_TOKEN",
            "REDIS_AUTH",
        ]
    )
    lv = v.lower()
    return rng.choice(
        [
            f"${{{v}}}",
            f"${v}",
            f"%{v}%",
            f"{{{{ secrets.{v} }}}}",
            f"{{{{ .Values.{lv} }}}}",
            f'os.environ["{v}"]',
            f"process.env.{v}",
            f"settings.{v}",
            f"var.{lv}",
            f"env('{v}')",
            f"${{env:{v}}}",
            f"$({v})",
            f"{{{{ vault_{lv} }}}}",
            f'getenv("{v}")',
            f"ENV.fetch('{v}')",
        ]
    )


def lowent() -> str:
    return rng.choice(
        [
            "password",
            "password123",
            "hunter2",
            "letmein",
            "admin",
            "secret",
            "qwerty",
            "sommerurlaub",
            "motdepasse",
            "contraseña",
            "пароль",
            "123456",
            "trustno1",
            "test",
            "correcthorse",
            "postgres",
            "rootroot",
            "welcome1",
        ]
    )


def content_hash_file() -> str:
    return rng.choice(
        [
            f"main.{rand(HEX, 8)}.js",
            f"index-{mixed(8, ALNUM)}.js",
            f"app.{rand(HEX, 20)}.css",
            f"chunk-vendors.{rand(HEX, 8)}.js",
            f"logo.{rand(HEX, 32)}.svg",
            f"runtime~main.{rand(HEX, 16)}.bundle.js",
            f"style-{mixed(8, ALNUM + '_')}.css",
            f"font-{rand(HEX, 12)}.woff2",
        ]
    )


def b64img() -> str:
    return "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA" + rand(B64, rng.randrange(40, 90)) + "=="


def isbn() -> str:
    body = "978" + "".join(str(rng.randrange(10)) for _ in range(9))
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    d = str((10 - s % 10) % 10)
    return f"{body[:3]}-{body[3]}-{body[4:7]}-{body[7:12]}-{d}"


def mac() -> str:
    sep = rng.choice([":", "-"])
    return sep.join(rand("0123456789ABCDEF", 2) for _ in range(6))


NEG = {
    "email": neg_email,
    "ip4": priv4,
    "ip6": priv6,
    "ver": version4,
    "oid": oid,
    "badcard": bad_card,
    "badcardp": lambda: bad_card(""),
    "uuid": uuid4,
    "sha": lambda: rand(HEX, 40),
    "sha7": lambda: rand(HEX, 7),
    "sha256": lambda: rand(HEX, 64),
    "md5": lambda: rand(HEX, 32),
    "color": lambda: "#" + rand("0123456789abcdefABCDEF", rng.choice([3, 6, 6, 8])),
    "ph": placeholder,
    "env": envref,
    "low": lowent,
    "hashfile": content_hash_file,
    "b64img": b64img,
    "isbn": isbn,
    "mac": mac,
    "sri": lambda: "sha384-" + rand(B64, 64),
    "ulid": lambda: "01" + rand("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 24),
    "b64id": lambda: mixed(22, ALNUM + "-_"),
    "docker": lambda: "sha256:" + rand(HEX, 64),
    "sect": lambda: ".".join(str(rng.randrange(1, 13)) for _ in range(4)),
    "ytid": lambda: mixed(11, ALNUM + "-_"),
    "npmint": lambda: "sha512-" + rand(B64, 86) + "==",
    "cert": lambda: "\n".join(
        ["-----BEGIN CERTIFICATE-----"]
        + [rand(B64, 64) for _ in range(rng.randrange(4, 8))]
        + ["-----END CERTIFICATE-----"]
    ),
    "pubkey": lambda: "\n".join(
        ["-----BEGIN PUBLIC KEY-----"]
        + [rand(B64, 64) for _ in range(4)]
        + [rand(B64, 24) + "==", "-----END PUBLIC KEY-----"]
    ),
    "sshpub": lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rand(B64, 43),
    "awsex": lambda: rng.choice(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]),
    "sktest": lambda: rng.choice(["sk_test_...", "sk_live_...", "ghp_...", "xoxb-..."]),
}

FILL = {
    "NAME": lambda: f"{rng.choice(FIRST).capitalize()} {rng.choice(LAST).capitalize()}",
    "FIRST": lambda: rng.choice(FIRST).capitalize(),
    "USER": lambda: rng.choice(USERS),
    "HOST": lambda: rng.choice(HOSTS),
    "DATE": date,
    "TS": ts,
    "N": lambda: str(rng.randrange(2, 99)),
    "NN": lambda: str(rng.randrange(100, 999)),
    "PORT": lambda: str(rng.choice([22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090, 27017, 51820])),
    "HEX8": lambda: rand(HEX, 8),
    "AMT": lambda: f"{rng.randrange(5, 900)}.{rng.randrange(100):02d}",
    "TIME": lambda: f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}",
}

CARD_KINDS = {"C": (None, None), "CP": (None, ""), "CS": (None, " "), "CH": (None, "-")}
for _b in set(BRANDS):
    CARD_KINDS["C" + _b] = (_b, None)

TOKEN = re.compile(r"⟦([A-Za-z0-9_:]+)⟧")


def render(tpl: str) -> tuple[str, list[dict], list[tuple[int, int]]]:
    """Fill a template; returns text, gold spans and the ranges of deliberate hard-negative values."""
    out: list[str] = []
    pos = 0
    spans: list[dict] = []
    negs: list[tuple[int, int]] = []
    inserted: list[str] = []
    last = 0

    def put(s: str) -> tuple[int, int]:
        nonlocal pos
        out.append(s)
        start = pos
        pos += len(s)
        return start, pos

    for m in TOKEN.finditer(tpl):
        put(tpl[last : m.start()])
        last = m.end()
        kind = m.group(1)
        entity = None
        if kind == "E":
            value, entity = email(), "EMAIL_ADDRESS"
        elif kind == "I4":
            value, entity = ip4(), "IP_ADDRESS"
        elif kind == "I6":
            value, entity = ip6(), "IP_ADDRESS"
        elif kind in CARD_KINDS:
            value, entity = card(*CARD_KINDS[kind]), "CREDIT_CARD"
        elif kind.startswith("S:"):
            value, entity = SECRETS[kind[2:]](), "SECRET"
        elif kind.startswith("PEM"):
            # PEM, PEMJ (JSON-escaped \n), PEMY<n> (YAML block indented n spaces)
            if kind == "PEMJ":
                value = pem_text("\\n")
            elif kind.startswith("PEMY"):
                value = pem_text("\n", " " * int(kind[4:]))
            else:
                value = pem_text()
            entity = "SECRET"
        elif kind.startswith("n:"):
            value = NEG[kind[2:]]()
        elif kind in FILL:
            value = FILL[kind]()
        else:
            raise KeyError(kind)
        s, e = put(value)
        if entity:
            spans.append({"start": s, "end": e, "entity": entity})
            inserted.append(value)
        elif kind.startswith("n:"):
            negs.append((s, e))
    put(tpl[last:])
    text = "".join(out)
    for sp, value in zip(spans, inserted, strict=True):
        assert text[sp["start"] : sp["end"]] == value
    return text, spans, negs


# ----------------------------------------------------------------------------------------------------------------
# validation

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
IP4_RE = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
IP6_RE = re.compile(r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{1,4}:){2,7}:?[0-9A-Fa-f:]*[0-9A-Fa-f](?![0-9A-Za-z:])")
CARD_RE = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
VENDOR_RE = re.compile(
    r"AKIA[A-Z2-7]{16}|ASIA[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_\w{40,}|glpat-[\w-]{20}|xox[bpas]-[\w-]{20,}"
    r"|[sr]k_live_[A-Za-z0-9]{20,}|eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+|AIza[\w-]{35}|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|npm_[A-Za-z0-9]{36}|hf_[A-Za-z0-9]{30,}|sk-(?:proj|ant)-[\w-]{20,}"
)

DOC_EXAMPLES = {"AKIAIOSFODNN7EXAMPLE"}


def reserved_mail(addr: str) -> bool:
    dom = addr.rsplit("@", 1)[1].lower()
    return (
        dom in {"example.com", "example.org", "example.net", "localhost"}
        or dom.endswith((".example.com", ".example.org", ".example.net", ".test", ".invalid", ".example", ".localhost"))
        or dom.split(".")[-1] in {"test", "invalid", "example", "localhost"}
    )


def brand_ok(d: str) -> bool:
    n = len(d)
    return (
        (d[0] == "4" and n in (13, 16, 19))
        or (n == 16 and (51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720))
        or (n == 15 and d[:2] in ("34", "37"))
        or (n == 16 and (d.startswith(("6011", "65")) or 644 <= int(d[:3]) <= 649))
        or (n == 16 and 3528 <= int(d[:4]) <= 3589)
        or (n == 14 and (d[:2] in ("36", "38") or 300 <= int(d[:3]) <= 305))
        or (n in (16, 17, 18, 19) and d[:2] == "62")
    )


def validate(rec: dict, negs: list[tuple[int, int]]) -> None:
    text, spans = rec["text"], rec["spans"]
    prev_end = -1
    for sp in sorted(spans, key=lambda s: s["start"]):
        assert 0 <= sp["start"] < sp["end"] <= len(text), rec["id"]
        assert sp["start"] >= prev_end, f"overlap in {rec['id']}"
        prev_end = sp["end"]
        v = text[sp["start"] : sp["end"]]
        assert v == v.strip(), (rec["id"], v)
        if sp["entity"] == "EMAIL_ADDRESS":
            assert EMAIL_RE.fullmatch(v) and not reserved_mail(v), v
        elif sp["entity"] == "IP_ADDRESS":
            assert is_pii_ip(v), v
        elif sp["entity"] == "CREDIT_CARD":
            d = re.sub(r"[ -]", "", v)
            assert d.isdigit() and luhn_ok(d) and brand_ok(d), v
    covered = [(s["start"], s["end"]) for s in spans] + negs

    def inside(a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in covered) or any(s < b and a < e for s, e in negs)

    def labelled(a: int, b: int) -> bool:
        return any(s["start"] <= a and b <= s["end"] for s in spans)

    def touches_span(a: int, b: int) -> bool:
        return any(s["start"] < b and a < s["end"] for s in spans)

    for m in EMAIL_RE.finditer(text):
        if touches_span(*m.span()):
            continue
        if not reserved_mail(m.group()) and not labelled(*m.span()) and not inside(*m.span()):
            raise AssertionError(f"{rec['id']}: unlabelled e-mail {m.group()!r}")
    for m in IP4_RE.finditer(text):
        try:
            ok = is_pii_ip(m.group())
        except ValueError:
            continue
        if ok and not labelled(*m.span()) and not inside(*m.span()):
            raise AssertionError(f"{rec['id']}: unlabelled IPv4 {m.group()!r}")
    for m in IP6_RE.finditer(text):
        try:
            ok = is_pii_ip(m.group())
        except ValueError:
            continue
        if ok and not labelled(*m.span()) and not inside(*m.span()):
            raise AssertionError(f"{rec['id']}: unlabelled IPv6 {m.group()!r}")
    for m in CARD_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group())
        if luhn_ok(d) and brand_ok(d) and not labelled(*m.span()) and not inside(*m.span()):
            raise AssertionError(f"{rec['id']}: unlabelled card {m.group()!r}")
    for m in VENDOR_RE.finditer(text):
        if m.group() in DOC_EXAMPLES:
            continue
        if not labelled(*m.span()) and not inside(*m.span()):
            raise AssertionError(f"{rec['id']}: unlabelled secret {m.group()!r}")
    if rec["category"] != "positive":
        assert not spans


def main() -> None:
    records: list[dict] = []
    seen_tpl: set[str] = set()
    seen_text: set[str] = set()
    n_pos_tpl = n_neg_tpl = 0
    for i, (lang, ctx, tpl, reps) in enumerate(POSITIVE):
        assert tpl not in seen_tpl, tpl[:60]
        seen_tpl.add(tpl)
        n_pos_tpl += 1
        for r in range(reps):
            text, spans, negs = render(tpl)
            if text in seen_text:
                continue
            seen_text.add(text)
            assert spans, tpl[:80]
            rec = {
                "id": f"t5-p{i:03d}-{r}",
                "text": text,
                "lang": lang,
                "context": ctx,
                "category": "positive",
                "spans": spans,
            }
            for sp in spans:
                assert text[sp["start"] : sp["end"]]
            validate(rec, negs)
            records.append(rec)
    for i, (cat, lang, ctx, tpl, reps) in enumerate(NEGATIVE):
        assert tpl not in seen_tpl, tpl[:60]
        seen_tpl.add(tpl)
        n_neg_tpl += 1
        for r in range(reps):
            text, spans, negs = render(tpl)
            if text in seen_text:
                continue
            seen_text.add(text)
            assert not spans, tpl[:80]
            rec = {"id": f"t5-n{i:03d}-{r}", "text": text, "lang": lang, "context": ctx, "category": cat, "spans": []}
            validate(rec, negs)
            records.append(rec)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    texts = [r["text"] for r in records]
    dup = len(texts) - len(set(texts))
    with OUT.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    from collections import Counter

    ent = Counter(s["entity"] for r in records for s in r["spans"])
    cats = Counter(r["category"] for r in records)
    langs = Counter(r["lang"] for r in records)
    ctxs = Counter(r["context"] for r in records)
    non_en = sum(v for k, v in langs.items() if k != "en") / len(records)
    print(f"templates: {n_pos_tpl} positive + {n_neg_tpl} negative = {n_pos_tpl + n_neg_tpl}; duplicate texts: {dup}")
    print(f"records: {len(records)}; spans: {sum(ent.values())} {dict(ent)}")
    print(f"hard negatives: {sum(v for k, v in cats.items() if k != 'positive')} in {len(cats) - 1} categories")
    print("categories:", dict(sorted(cats.items())))
    print(f"non-English share: {non_en:.1%}; langs:", dict(langs.most_common()))
    print("contexts:", dict(ctxs.most_common()))
    if "--check" in sys.argv:
        assert sum(ent.values()) >= 500 and min(ent.values()) >= 100, ent
        assert sum(v for k, v in cats.items() if k != "positive") >= 400 and len(cats) - 1 >= 20
        assert non_en >= 0.30
        assert n_pos_tpl + n_neg_tpl >= 350


# ----------------------------------------------------------------------------------------------------------------
# templates

POSITIVE: list[tuple[str, str, str, int]] = []
NEGATIVE: list[tuple[str, str, str, str, int]] = []


def P(lang: str, ctx: str, tpl: str, reps: int = 2) -> None:
    if "⟦C" in tpl and reps == 2:  # cards are the rarest entity: one more instance each
        reps = 3
    POSITIVE.append((lang, ctx, tpl, reps))


def N(cat: str, lang: str, ctx: str, tpl: str, reps: int = 3) -> None:
    NEGATIVE.append((cat, lang, ctx, tpl, reps))


# ---------------------------------------------------------------- e-mail
P(
    "en",
    "email",
    "From: ⟦NAME⟧ <⟦E⟧>\nTo: ⟦E⟧\nSubject: Re: quarterly numbers\nDate: Tue, 3 Mar 2026 09:14:02 +0100\n\nSee attached.",
)
P(
    "en",
    "email",
    'Return-Path: <⟦E⟧>\nDelivered-To: ⟦E⟧\nReceived: from mx2 (⟦HOST⟧) by smtp; ⟦TS⟧\nReply-To: "⟦NAME⟧" <⟦E⟧>',
)
P("en", "mbox", "From ⟦E⟧  Mon Feb  2 11:02:40 2026\nFrom: ⟦E⟧\nCc: ⟦E⟧, ⟦E⟧\nX-Mailer: Evolution 3.52.1\n")
P("en", "prose", "Questions about the workshop can go to ⟦E⟧ (⟦FIRST⟧ handles registrations).")
P("en", "forum", "Thanks all, that fixed it!\n\n--\n⟦NAME⟧ | Senior Backend Engineer\n⟦E⟧ | PGP on request")
P(
    "en",
    "code",
    '{\n  "name": "left-pad-ng",\n  "version": "2.1.0",\n  "author": "⟦NAME⟧ <⟦E⟧>",\n  "license": "MIT"\n}',
)
P(
    "en",
    "config",
    '[project]\nname = "tidyframe"\nauthors = [\n  { name = "⟦NAME⟧", email = "⟦E⟧" },\n  { name = "⟦NAME⟧", email = "⟦E⟧" },\n]',
)
P(
    "en",
    "config",
    "Source: libfoo\nSection: libs\nPriority: optional\nMaintainer: ⟦NAME⟧ <⟦E⟧>\nUploaders: ⟦NAME⟧ <⟦E⟧>\nBuild-Depends: debhelper-compat (= 13)",
)
P(
    "en",
    "log",
    "commit ⟦n:sha⟧\nAuthor: ⟦NAME⟧ <⟦E⟧>\nDate:   Thu Jan 15 17:40:11 2026 +0200\n\n    fix race in scheduler",
)
P("en", "config", "# .mailmap\n⟦NAME⟧ <⟦E⟧> <⟦E⟧>\n⟦NAME⟧ <⟦E⟧>")
P("en", "latex", "\\author{⟦NAME⟧\\thanks{Corresponding author: \\href{mailto:⟦E⟧}{\\texttt{⟦E⟧}}}}")
P("en", "vcard", "BEGIN:VCARD\nVERSION:4.0\nFN:⟦NAME⟧\nEMAIL;TYPE=work:⟦E⟧\nEND:VCARD")
P(
    "en",
    "ics",
    "BEGIN:VEVENT\nSUMMARY:Sprint review\nORGANIZER;CN=⟦NAME⟧:mailto:⟦E⟧\nATTENDEE;ROLE=REQ-PARTICIPANT:mailto:⟦E⟧\nEND:VEVENT",
)
P(
    "en",
    "sql",
    "INSERT INTO `customers` (`id`, `name`, `email`, `created_at`) VALUES\n(⟦NN⟧, '⟦NAME⟧', '⟦E⟧', '⟦DATE⟧ 10:00:00'),\n(⟦NN⟧, '⟦NAME⟧', '⟦E⟧', '⟦DATE⟧ 11:30:00');",
)
P("en", "csv", 'id,full_name,email,plan\n⟦NN⟧,⟦NAME⟧,⟦E⟧,pro\n⟦NN⟧,⟦NAME⟧,⟦E⟧,free\n⟦NN⟧,"⟦NAME⟧",⟦E⟧,team')
P("en", "tsv", "user\temail\tlast_login\n⟦USER⟧\t⟦E⟧\t⟦TS⟧\n⟦USER⟧\t⟦E⟧\t⟦TS⟧")
P("en", "markdown", "| Maintainer | Contact | Area |\n|---|---|---|\n| ⟦NAME⟧ | ⟦E⟧ | parser |\n| ⟦NAME⟧ | ⟦E⟧ | CLI |")
P(
    "en",
    "log",
    "⟦TS⟧ postfix/smtp[⟦NN⟧⟦N⟧]: 4F2A1C0B7: to=<⟦E⟧>, relay=mx.⟦HOST⟧[⟦n:ip4⟧]:25, delay=1.2, status=sent (250 2.0.0 OK)",
)
P("en", "crontab", "MAILTO=⟦E⟧\nSHELL=/bin/bash\n# m h dom mon dow command\n15 3 * * * /usr/local/bin/backup.sh --all")
P("en", "config", "[user]\n\tname = ⟦NAME⟧\n\temail = ⟦E⟧\n[core]\n\teditor = vim")
P(
    "en",
    "config",
    "<VirtualHost *:443>\n    ServerName shop.⟦HOST⟧\n    ServerAdmin ⟦E⟧\n    DocumentRoot /var/www/shop\n</VirtualHost>",
)
P(
    "en",
    "whois",
    "Domain Name: QUOKKA-TOOLS.DEV\nRegistrar: Some Registrar LLC\nRegistrant Email: ⟦E⟧\nAdmin Email: ⟦E⟧\nTech Email: ⟦E⟧\nName Server: ns1.quokka-tools.dev",
)
P("en", "chat", "[⟦TIME⟧] <⟦USER⟧> can someone add ⟦E⟧ to the on-call rotation?\n[⟦TIME⟧] <⟦USER⟧> done")
P(
    "en",
    "issue",
    "**Reporter:** ⟦NAME⟧ (⟦E⟧)\n\nSteps to reproduce:\n1. open settings\n2. click export\n\nExpected CSV, got 500.",
)
P("en", "html_text", "Contact us\nPress inquiries: ⟦E⟧\nCareers: ⟦E⟧\n© 2026 Cobalt Harbor Ltd.")
P(
    "en",
    "json",
    '{"data":[{"id":⟦NN⟧,"attributes":{"email":"⟦E⟧","verified":true}},{"id":⟦NN⟧,"attributes":{"email":"⟦E⟧","verified":false}}]}',
)
P("en", "code", "# Copyright (c) 2026 ⟦NAME⟧ <⟦E⟧>\n# SPDX-License-Identifier: Apache-2.0\nimport os\n")
P("en", "prose", "Email ⟦E⟧, or ⟦E⟧ if it's about invoices.")
P("en", "log", 'level=info msg="password reset requested" user=⟦E⟧ ip=⟦n:ip4⟧ ts=⟦TS⟧')
P("en", "yaml", "notifications:\n  email:\n    recipients:\n      - ⟦E⟧\n      - ⟦E⟧\n    on_failure: always")
P("de", "email", "Hallo zusammen,\n\nbitte Rückmeldung bis Freitag an ⟦E⟧.\n\nViele Grüße\n⟦NAME⟧")
P("de", "prose", "Anmeldung zum Sommerfest per E-Mail an ⟦E⟧ – Anmeldeschluss ist der 12. Juni.")
P("de", "html_text", "Impressum\nVerantwortlich: ⟦NAME⟧\nE-Mail: ⟦E⟧\nUSt-IdNr. folgt")
P("fr", "email", "Bonjour,\nMerci d'écrire à ⟦E⟧ pour toute question sur la facture.\nCordialement,\n⟦NAME⟧")
P("fr", "prose", "Pour vous désinscrire, envoyez « STOP » à l'adresse ⟦E⟧.")
P("es", "prose", "Si tienes dudas, escríbenos a ⟦E⟧ o pásate por la oficina.")
P("es", "forum", "Me pasó lo mismo con la versión nueva. Mi correo es ⟦E⟧ por si quieres que te mande el log.")
P("pt", "prose", "Envie o currículo para ⟦E⟧ até o dia 30. Vagas limitadas!")
P("pt", "chat", "⟦FIRST⟧: manda pro meu email: ⟦E⟧\n⟦FIRST⟧: blz, enviado")
P("it", "prose", "Per informazioni scrivere a ⟦E⟧ indicando nome e cognome.")
P("nl", "prose", "Vragen? Mail naar ⟦E⟧ of bel ons tijdens kantooruren.")
P("pl", "prose", "Zgłoszenia prosimy przesyłać na adres ⟦E⟧ do końca miesiąca.")
P("ru", "prose", "Вопросы присылайте на почту ⟦E⟧, ответим в течение дня.")
P("ru", "forum", "Пишите в личку или на ⟦E⟧ — скину конфиг.")
P("uk", "prose", "Резюме надсилайте на ⟦E⟧ з темою «Вакансія».")
P("ja", "prose", "お問い合わせは⟦E⟧までお願いします。")
P("ja", "html_text", "【連絡先】担当：⟦NAME⟧／メール：⟦E⟧（平日10時〜18時）")
P("zh", "prose", "如有疑问请发邮件至⟦E⟧，我们会尽快回复。")
P("zh", "chat", "我的邮箱是⟦E⟧，文件发这里就行")
P("ko", "prose", "문의 사항은 ⟦E⟧로 보내 주세요.")
P("vi", "prose", "Mọi thắc mắc xin gửi về địa chỉ ⟦E⟧ trước ngày 15.")
P("tr", "prose", "Başvurular için ⟦E⟧ adresine e-posta gönderebilirsiniz.")
P("ar", "prose", "للاستفسار يرجى مراسلتنا على ⟦E⟧ خلال أوقات الدوام.")
P("sv", "prose", "Frågor om bokningen skickas till ⟦E⟧.")
P("cs", "prose", "Přihlášky posílejte na e-mail ⟦E⟧ do pátku.")
P("id", "prose", "Silakan kirim bukti transfer ke ⟦E⟧ paling lambat besok.")
P("hi", "prose", "किसी भी प्रश्न के लिए ⟦E⟧ पर ईमेल करें।")

# ---------------------------------------------------------------- IP addresses
P(
    "en",
    "log",
    '⟦I4⟧ - - [14/Mar/2026:10:22:31 +0000] "GET /api/v1/items?page=2 HTTP/1.1" 200 5123 "-" "Mozilla/5.0"\n'
    '⟦I4⟧ - - [14/Mar/2026:10:22:33 +0000] "POST /login HTTP/1.1" 302 0 "-" "curl/8.4.0"',
)
P("en", "log", '⟦I6⟧ - - [02/Feb/2026:08:01:10 +0100] "GET /feed.xml HTTP/2.0" 304 0 "-" "FreshRSS/1.23"')
P(
    "en",
    "log",
    "⟦TS⟧ sshd[⟦NN⟧⟦N⟧]: Failed password for invalid user admin from ⟦I4⟧ port 5⟦NN⟧ ssh2\n"
    "⟦TS⟧ sshd[⟦NN⟧⟦N⟧]: Disconnected from authenticating user root ⟦I4⟧ port 4⟦NN⟧ [preauth]",
)
P(
    "en",
    "log",
    "⟦TS⟧ fail2ban.actions [⟦NN⟧]: NOTICE [sshd] Ban ⟦I4⟧\n⟦TS⟧ fail2ban.actions [⟦NN⟧]: NOTICE [sshd] Unban ⟦I4⟧",
)
P("en", "log", "kernel: [UFW BLOCK] IN=eth0 OUT= MAC=⟦n:mac⟧ SRC=⟦I4⟧ DST=⟦n:ip4⟧ LEN=60 PROTO=TCP SPT=⟦NN⟧⟦N⟧ DPT=23")
P("en", "config", "location /admin {\n    allow ⟦I4⟧;\n    allow ⟦I4⟧/29;\n    deny all;\n}")
P("en", "config", "set_real_ip_from ⟦I4⟧/24;\nset_real_ip_from ⟦I6⟧/48;\nreal_ip_header CF-Connecting-IP;")
P("en", "http", "GET /checkout HTTP/1.1\nHost: shop.⟦HOST⟧\nX-Forwarded-For: ⟦I4⟧, ⟦I4⟧\nX-Real-IP: ⟦I4⟧")
P(
    "en",
    "har",
    '{"log":{"entries":[{"startedDateTime":"⟦TS⟧","serverIPAddress":"⟦I4⟧","connection":"443","request":{"method":"GET"}},'
    '{"serverIPAddress":"[⟦I6⟧]","connection":"443"}]}}',
)
P("en", "cli", "$ dig +short api.lumen-analytics.ai\n⟦I4⟧\n⟦I4⟧\n$ dig +short AAAA api.lumen-analytics.ai\n⟦I6⟧")
P("en", "cli", "traceroute to ⟦I4⟧, 30 hops max\n 1  gw (⟦n:ip4⟧)  0.412 ms\n 2  ⟦I4⟧  8.113 ms\n 3  ⟦I4⟧  9.870 ms")
P("en", "cli", "PING ⟦I4⟧ (⟦I4⟧) 56(84) bytes of data.\n64 bytes from ⟦I4⟧: icmp_seq=1 ttl=57 time=12.4 ms")
P("en", "cli", "tcp   ESTAB  0  0  ⟦n:ip4⟧:⟦PORT⟧  ⟦I4⟧:5⟦NN⟧\ntcp6  ESTAB  0  0  [⟦n:ip6⟧]:443  [⟦I6⟧]:5⟦NN⟧")
P(
    "en",
    "yaml",
    'services:\n  app:\n    image: registry.local/app:1.4\n    extra_hosts:\n      - "legacy-erp:⟦I4⟧"\n    dns:\n      - ⟦I4⟧',
)
P(
    "en",
    "yaml",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: ingress\nspec:\n  type: LoadBalancer\n  loadBalancerIP: ⟦I4⟧\n  loadBalancerSourceRanges:\n    - ⟦I4⟧/32",
)
P(
    "en",
    "hcl",
    'resource "aws_security_group_rule" "office" {\n  type        = "ingress"\n  cidr_blocks = ["⟦I4⟧/32", "⟦I4⟧/28"]\n  ipv6_cidr_blocks = ["⟦I6⟧/64"]\n}',
)
P(
    "en",
    "config",
    "[Interface]\nAddress = 10.8.0.2/24\n\n[Peer]\nPublicKey = ⟦n:b64id⟧⟦n:b64id⟧=\nEndpoint = ⟦I4⟧:51820\nAllowedIPs = 0.0.0.0/0",
)
P("en", "config", "client\ndev tun\nproto udp\nremote ⟦I4⟧ 1194\nremote ⟦I6⟧ 1194\nresolv-retry infinite")
P(
    "en",
    "log",
    "⟦TS⟧ postfix/smtpd[⟦NN⟧]: connect from unknown[⟦I4⟧]\n⟦TS⟧ postfix/smtpd[⟦NN⟧]: NOQUEUE: reject: RCPT from unknown[⟦I6⟧]: 554 5.7.1",
)
P(
    "en",
    "dns",
    '$ORIGIN fjordsystem.se.\n@    3600 IN A     ⟦I4⟧\nwww  3600 IN A     ⟦I4⟧\n@    3600 IN AAAA  ⟦I6⟧\n@    3600 IN TXT   "v=spf1 ip4:⟦I4⟧ ip6:⟦I6⟧ -all"',
)
P("en", "csv", "timestamp,src_ip,dst_port,action\n⟦TS⟧,⟦I4⟧,22,DROP\n⟦TS⟧,⟦I4⟧,3389,DROP\n⟦TS⟧,⟦I6⟧,443,ALLOW")
P("en", "sql", "INSERT INTO login_audit (user_id, ip, ok) VALUES (⟦NN⟧, '⟦I4⟧', 1), (⟦NN⟧, '⟦I6⟧', 0);")
P("en", "json", '{"event":"login","remote_addr":"⟦I4⟧","geo":{"country":"DE"},"forwarded":["⟦I4⟧","⟦n:ip4⟧"]}')
P("en", "chat", "<⟦USER⟧> the bot is hammering us from ⟦I4⟧ again\n<⟦USER⟧> blocked, also ⟦I4⟧ same ASN")
P(
    "en",
    "prose",
    "The outage started when the resolver at ⟦I4⟧ stopped answering; traffic failed over to ⟦I6⟧ within a minute.",
)
P("en", "log", "WARN  [http-nio-8080-exec-4] c.a.web.RateLimiter - client=[⟦I6⟧]:5⟦NN⟧ exceeded 100 req/min")
P("en", "url", "Mirror list:\nhttp://⟦I4⟧/debian/\nhttps://[⟦I6⟧]:8443/debian/\nrsync://⟦I4⟧:873/debian")
P(
    "en",
    "systemd",
    "[Service]\nExecStart=/usr/bin/socat TCP-LISTEN:2222,fork TCP:⟦I4⟧:22\nIPAddressAllow=⟦I4⟧\nRestart=always",
)
P("en", "config", "Host bastion\n    HostName ⟦I4⟧\n    User ⟦USER⟧\n    Port 2222\n    IdentityFile ~/.ssh/id_ed25519")
P("en", "config", "# /etc/hosts\n127.0.0.1   localhost\n⟦I4⟧  erp.partner.local\n⟦I6⟧  erp6.partner.local")
P(
    "en",
    "whois",
    "inetnum:        ⟦I4⟧ - ⟦I4⟧\nnetname:        EXAMPLE-HOSTING-NET\ncountry:        NL\nstatus:         ASSIGNED PA",
)
P(
    "en",
    "markdown",
    "| host | public IP | role |\n|------|-----------|------|\n| fra-1 | `⟦I4⟧` | edge |\n| sin-2 | `⟦I6⟧` | edge |",
)
P("de", "prose", "Der Angriff kam von ⟦I4⟧; wir haben die Adresse in der Firewall gesperrt.")
P("de", "log", "⟦TS⟧ Anmeldung fehlgeschlagen für Benutzer „⟦USER⟧“ von ⟦I4⟧ (3. Versuch)")
P("fr", "prose", "Le serveur répond sur ⟦I4⟧ mais pas sur ⟦I6⟧, je pense que l'IPv6 est mal routé.")
P("es", "forum", "Mi IP pública es ⟦I4⟧ y aun así el router dice que no hay conexión.")
P("pt", "log", "⟦TS⟧ ERRO conexão recusada pelo host ⟦I4⟧ porta ⟦PORT⟧")
P("it", "prose", "Accesso sospetto dall'indirizzo ⟦I4⟧ alle 3:40, account bloccato.")
P("nl", "chat", "⟦FIRST⟧: kun je ⟦I4⟧ even whitelisten?\n⟦FIRST⟧: staat erin")
P("pl", "prose", "Logowanie z nowego adresu IP: ⟦I4⟧. Jeśli to nie Ty, zmień hasło.")
P("ru", "log", "⟦TS⟧ Блокировка: слишком много попыток входа с адреса ⟦I4⟧")
P("ru", "forum", "Пинг до ⟦I4⟧ идёт, а до ⟦I6⟧ — нет. Провайдер молчит.")
P("uk", "prose", "Сервер доступний за адресою ⟦I4⟧, порт ⟦PORT⟧.")
P("ja", "prose", "接続元IP⟦I4⟧からの不正アクセスを検知しました。")
P("ja", "log", "【警告】⟦TS⟧ 認証失敗：送信元＝⟦I4⟧、ユーザー＝⟦USER⟧")
P("zh", "prose", "服务器地址：⟦I4⟧，端口⟦PORT⟧，请勿外传。")
P("zh", "chat", "刚才那个IP是⟦I6⟧吗？我这边ping不通")
P("ko", "prose", "접속 IP ⟦I4⟧에서 비정상적인 로그인 시도가 감지되었습니다.")
P("vi", "prose", "Địa chỉ IP của máy chủ là ⟦I4⟧, hãy cập nhật bản ghi DNS.")
P("tr", "log", "⟦TS⟧ UYARI: ⟦I4⟧ adresinden çok fazla istek alındı")
P("ar", "prose", "تم رصد محاولة دخول من العنوان ⟦I4⟧ وتم حظرها.")
P("sv", "prose", "Vi ser trafik från ⟦I4⟧ och ⟦I6⟧ som inte hör till kundnätet.")
P("cs", "prose", "Veřejná adresa brány je ⟦I4⟧, vnitřní síť 10.0.0.0/8.")
P("id", "chat", "IP VPS-nya ⟦I4⟧ ya, user root, nanti password aku kirim terpisah")

# ---------------------------------------------------------------- credit cards
P("en", "chat", "Agent: Could you confirm the card you paid with?\nCustomer: sure it's ⟦C⟧ exp 08/29")
P("en", "email", "Hi,\nplease charge the deposit to my Amex ⟦Camex⟧, expiry 11/28. Name on card: ⟦NAME⟧.\nThanks")
P(
    "en",
    "log",
    '⟦TS⟧ DEBUG PaymentController: request body={"card_number":"⟦CP⟧","exp_month":7,"exp_year":2029,"amount":⟦AMT⟧}',
)
P("en", "log", "⟦TS⟧ ERROR gateway declined: pan=⟦CP⟧ reason=insufficient_funds order=⟦NN⟧⟦N⟧")
P("en", "csv", "order_id,customer,card,amount\n⟦NN⟧⟦N⟧,⟦NAME⟧,⟦C⟧,⟦AMT⟧\n⟦NN⟧⟦N⟧,⟦NAME⟧,⟦C⟧,⟦AMT⟧")
P("en", "sql", "INSERT INTO payments (id, cc_number, cc_exp, cvv) VALUES (⟦NN⟧, '⟦CP⟧', '09/27', '⟦NN⟧');")
P("en", "json", '{"payment_method":{"type":"card","card":{"number":"⟦C⟧","brand":"visa","exp":"03/30"}}}')
P("en", "forum", "lol my bank sent me a new card ⟦Cmc2⟧ and the old one still works??")
P(
    "en",
    "issue",
    "Repro: enter ⟦Cdiners⟧ in the card field → validation says 'invalid length'. Diners cards have 14 digits.",
)
P("en", "prose", "Card on file: ⟦Cjcb⟧ (JCB). Backup: ⟦Cdisc⟧.")
P("en", "html_text", "Order summary\nShipping: Standard\nPaid with ⟦CS⟧\nTotal: $⟦AMT⟧")
P("en", "markdown", "| Test | Input | Result |\n|---|---|---|\n| accepted | `⟦CH⟧` | ok |\n| accepted | `⟦Cup⟧` | ok |")
P("en", "tsv", "name\tcard\texp\n⟦NAME⟧\t⟦CH⟧\t01/28\n⟦NAME⟧\t⟦CP⟧\t12/27")
P("en", "yaml", 'billing:\n  holder: ⟦NAME⟧\n  card_number: "⟦CS⟧"\n  cvc: "⟦NN⟧"')
P("en", "chat", "[⟦TIME⟧] ⟦FIRST⟧: pls book the hotel on the company card ⟦Cvisa⟧\n[⟦TIME⟧] ⟦FIRST⟧: 👍")
P(
    "en",
    "code",
    'def test_charge(client):\n    resp = client.post("/charge", json={"pan": "⟦CP⟧", "cents": 1999})\n    assert resp.status_code == 201',
)
P("en", "prose", "My Mastercard (⟦Cmc⟧) was charged twice for the same order.")
P(
    "de",
    "email",
    "Sehr geehrte Damen und Herren,\nbitte buchen Sie den Betrag von meiner Kreditkarte ⟦C⟧ ab (gültig bis 05/28).",
)
P("de", "form", "Zahlungsart: Kreditkarte\nKartennummer: ⟦CS⟧\nKarteninhaber: ⟦NAME⟧")
P("fr", "chat", "Client : voici ma carte ⟦C⟧, date d'expiration 06/29\nConseiller : merci, c'est noté")
P("fr", "email", "Numéro de carte bancaire : ⟦Cvisa⟧\nTitulaire : ⟦NAME⟧")
P("es", "prose", "Pagué con la tarjeta ⟦C⟧ y el cargo aparece duplicado.")
P("es", "form", "Número de tarjeta: ⟦CH⟧ · Vencimiento: 10/27")
P("pt", "chat", "o número do cartão é ⟦C⟧, validade 04/30")
P("it", "email", "Vi comunico il numero della carta di credito: ⟦Camex⟧ (scadenza 02/29).")
P("nl", "prose", "Betaald met creditcard ⟦Cmc⟧ op ⟦DATE⟧.")
P("pl", "chat", "numer karty: ⟦C⟧, data ważności 09/28")
P("ru", "chat", "Номер карты ⟦C⟧, срок действия 12/29. Спасибо!")
P("ru", "email", "Прошу вернуть средства на карту ⟦Cup⟧.")
P("uk", "prose", "Оплата карткою ⟦C⟧ не пройшла, спробуйте іншу.")
P("ja", "form", "カード番号：⟦C⟧\n有効期限：07/28")
P("ja", "chat", "カード⟦CP⟧で決済お願いします。")
P("zh", "chat", "卡号⟦CP⟧，有效期到2029年3月")
P("zh", "prose", "请使用银联卡⟦Cup⟧支付，谢谢。")
P("ko", "chat", "카드번호 ⟦C⟧ 로 결제해 주세요")
P("vi", "prose", "Số thẻ tín dụng của tôi là ⟦C⟧, hết hạn 11/28.")
P("tr", "chat", "kart numaram ⟦C⟧ son kullanma 03/29")
P("ar", "chat", "رقم البطاقة ⟦C⟧ وتاريخ الانتهاء 08/28")
P("sv", "email", "Kortnummer: ⟦C⟧\nGiltigt till: 06/27")
P("cs", "prose", "Platba kartou ⟦C⟧ byla zamítnuta.")
P("id", "chat", "nomor kartu kredit saya ⟦C⟧, berlaku sampai 05/29")
P("en", "receipt", "*** RECEIPT ***\nVISA ⟦Cvisa⟧\nAUTH 0⟦NN⟧⟦N⟧\nTOTAL EUR ⟦AMT⟧")
P("en", "log", "[checkout] tokenization failed for input '⟦CH⟧' (len ok, luhn ok)")

# ---------------------------------------------------------------- secrets: vendor formats
P("en", "config", "[default]\naws_access_key_id = ⟦S:akia⟧\naws_secret_access_key = ⟦S:awssk⟧\nregion = eu-central-1")
P("en", "config", "[prod]\naws_access_key_id=⟦S:asia⟧\naws_secret_access_key=⟦S:awssk⟧\naws_session_token=⟦S:hel⟧")
P("en", "cli", "$ export AWS_ACCESS_KEY_ID=⟦S:akia⟧\n$ export AWS_SECRET_ACCESS_KEY=⟦S:awssk⟧\n$ aws s3 ls")
P(
    "en",
    "json",
    '{\n  "AccessKey": {\n    "UserName": "ci-deployer",\n    "AccessKeyId": "⟦S:akia⟧",\n    "Status": "Active",\n    "SecretAccessKey": "⟦S:awssk⟧"\n  }\n}',
)
P(
    "en",
    "yaml",
    "name: release\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      GH_TOKEN: ⟦S:ghp⟧\n    steps:\n      - uses: actions/checkout@v4",
)
P("en", "cli", "$ git remote set-url origin https://⟦S:ghp⟧@github.com/org/repo.git")
P("en", "config", "//npm.pkg.github.com/:_authToken=⟦S:ghp⟧\n@myorg:registry=https://npm.pkg.github.com")
P("en", "config", "//registry.npmjs.org/:_authToken=⟦S:npm⟧\nalways-auth=true")
P("en", "config", "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = ⟦S:pypi⟧")
P(
    "en",
    "config",
    "machine api.github.com\n  login ⟦USER⟧\n  password ⟦S:gho⟧\nmachine gitlab.com\n  login ⟦USER⟧\n  password ⟦S:glpat⟧",
)
P("en", "log", "⟦TS⟧ runner: using token ⟦S:ghs⟧ for checkout")
P("en", "issue", "I pasted my token by mistake: `⟦S:ghpat⟧` — already revoked it, please ignore.")
P("en", "yaml", 'variables:\n  GITLAB_TOKEN: "⟦S:glpat⟧"\nstages: [build, deploy]')
P("en", "env", "SLACK_BOT_TOKEN=⟦S:xoxb⟧\nSLACK_SIGNING_SECRET=⟦S:he⟧\nSLACK_CHANNEL=#alerts")
P(
    "en",
    "code",
    'from slack_sdk import WebClient\n\nclient = WebClient(token="⟦S:xoxp⟧")\nclient.chat_postMessage(channel="#general", text="hi")',
)
P(
    "en",
    "code",
    "const stripe = require('stripe')('⟦S:sklive⟧');\nconst session = await stripe.checkout.sessions.create({ mode: 'payment' });",
)
P("en", "env", "STRIPE_SECRET_KEY=⟦S:sklive⟧\nSTRIPE_RESTRICTED_KEY=⟦S:rklive⟧\nSTRIPE_WEBHOOK_SECRET=⟦S:whsec⟧")
P(
    "en",
    "http",
    "GET /v1/me HTTP/1.1\nHost: api.lumen-analytics.ai\nAuthorization: Bearer ⟦S:jwt⟧\nAccept: application/json",
)
P("en", "cli", "curl -H 'Authorization: Bearer ⟦S:jwt⟧' https://api.quokka.dev/v2/projects")
P(
    "en",
    "har",
    '{"request":{"headers":[{"name":"authorization","value":"Bearer ⟦S:jwt⟧"},{"name":"cookie","value":"sid=⟦S:he⟧"}]}}',
)
P(
    "en",
    "code",
    '<script async defer src="https://maps.googleapis.com/maps/api/js?key=⟦S:aiza⟧&callback=initMap"></script>',
)
P(
    "en",
    "json",
    '{\n  "apiKey": "⟦S:aiza⟧",\n  "authDomain": "kiwi-orchard.firebaseapp.com",\n  "projectId": "kiwi-orchard"\n}',
)
P("en", "env", "SENDGRID_API_KEY=⟦S:sg⟧\nMAIL_FROM=⟦n:email⟧")
P("en", "cli", "$ huggingface-cli login --token ⟦S:hf⟧\nToken is valid (permission: write).")
P("en", "code", 'import openai\nopenai.api_key = "⟦S:openai⟧"\n')
P("en", "env", "ANTHROPIC_API_KEY=⟦S:anthropic⟧\nMODEL=claude-sonnet")
P(
    "en",
    "code",
    'shopify.Session.setup(api_key="⟦S:he⟧", secret="⟦S:hel⟧")\nsession = shopify.Session("shop.myshopify.com", "2024-01", "⟦S:shpat⟧")',
)
P("en", "hcl", 'provider "digitalocean" {\n  token = "⟦S:dop⟧"\n}')
P("en", "code", "TELEGRAM_BOT_TOKEN = '⟦S:telegram⟧'\nbot = telebot.TeleBot(TELEGRAM_BOT_TOKEN)")
P("en", "cli", "$ echo ⟦S:dckr⟧ | docker login -u ⟦USER⟧ --password-stdin\nLogin Succeeded")
P("en", "config", "[DEFAULT]\nhost = https://adb-⟦NN⟧⟦NN⟧.azuredatabricks.net\ntoken = ⟦S:dapi⟧")
P("en", "log", "⟦TS⟧ DEBUG oauth2 refresh ok access_token=⟦S:ya29⟧ expires_in=3599")
P(
    "en",
    "json",
    '{"web":{"client_id":"⟦NN⟧⟦NN⟧-abc.apps.googleusercontent.com","client_secret":"⟦S:gocspx⟧","redirect_uris":["http://localhost:8080/cb"]}}',
)
P(
    "en",
    "yaml",
    "apiVersion: 1\ndatasources:\n  - name: prom\n    type: prometheus\n    secureJsonData:\n      httpHeaderValue1: 'Bearer ⟦S:glsa⟧'",
)
P("en", "env", "LINEAR_API_KEY=⟦S:linear⟧\nPOSTMAN_API_KEY=⟦S:pmak⟧")
P(
    "en",
    "config",
    "# created: ⟦TS⟧\n# public key: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs0x6cz7\n⟦S:age⟧",
)
P("en", "cli", "$ vault login ⟦S:hvs⟧\nSuccess! You are now authenticated.")
P(
    "en",
    "config",
    "DefaultEndpointsProtocol=https;AccountName=kelmstorage;AccountKey=⟦S:azkey⟧;EndpointSuffix=core.windows.net",
)
P("en", "chat", "<⟦USER⟧> here's the staging key: ⟦S:sklive⟧\n<⟦USER⟧> dude that's live not staging, rotate it")
P("en", "markdown", "## Setup\n\n```bash\nexport OPENAI_API_KEY=⟦S:openai⟧\npython run.py\n```")
P(
    "en",
    "notebook",
    '{"cells":[{"cell_type":"code","source":["import os\\n","os.environ[\\"HF_TOKEN\\"] = \\"⟦S:hf⟧\\"\\n"],"outputs":[]}],"nbformat":4}',
)
P(
    "en",
    "notebook",
    '{"cell_type":"code","execution_count":3,"source":["client = boto3.client(\\"s3\\", aws_access_key_id=\\"⟦S:akia⟧\\", aws_secret_access_key=\\"⟦S:awssk⟧\\")"]}',
)
P(
    "en",
    "yaml",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-creds\ntype: Opaque\nstringData:\n  GITHUB_TOKEN: ⟦S:ghp⟧\n  DB_PASSWORD: ⟦S:he⟧",
)
P(
    "en",
    "yaml",
    "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: ⟦S:he⟧\n  api:\n    environment:\n      - JWT_SECRET=⟦S:hel⟧",
)
P("de", "chat", "⟦FIRST⟧: hier der Token für die Pipeline: ⟦S:glpat⟧\n⟦FIRST⟧: danke, trag ich ein")
P("fr", "issue", "J'ai commité ma clé AWS par erreur (⟦S:akia⟧), elle est désactivée depuis.")
P("es", "forum", "Mi bot no arranca, uso el token ⟦S:telegram⟧ y me da 401.")
P("pt", "chat", "usa esse token do slack: ⟦S:xoxb⟧")
P("ru", "forum", "Вот мой ключ, вдруг поможет: ⟦S:aiza⟧ (потом удалю)")
P("ja", "chat", "GitHubのトークンは⟦S:ghp⟧です。あとで失効させます。")
P("zh", "prose", "访问令牌：⟦S:ghp⟧（请勿分享）")
P("ko", "chat", "스트라이프 키 ⟦S:sklive⟧ 이거 맞나요?")
P("tr", "issue", "Yanlışlıkla npm tokenımı paylaştım: ⟦S:npm⟧")
P("it", "prose", "La chiave API di OpenAI (⟦S:openai⟧) è stata revocata ieri sera.")
P("vi", "chat", "token hugging face của mình là ⟦S:hf⟧ nha")
P("pl", "issue", "Token GitLaba w logach CI: ⟦S:glpat⟧ — proszę o usunięcie.")

# ---------------------------------------------------------------- secrets: PEM blocks
P("en", "pem", "⟦PEM⟧\n", 3)
P("en", "cli", "$ cat ~/.ssh/id_rsa\n⟦PEM⟧\n$ ls -l ~/.ssh")
P("en", "yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls-key\nstringData:\n  tls.key: |\n    ⟦PEMY4⟧\n")
P(
    "en",
    "json",
    '{\n  "type": "service_account",\n  "project_id": "kelm-etl",\n  "private_key_id": "⟦n:sha⟧",\n  "private_key": "⟦PEMJ⟧\\n",\n  "token_uri": "https://oauth2.googleapis.com/token"\n}',
)
P("en", "hcl", 'resource "tls_private_key" "x" {}\nlocals {\n  legacy_key = <<EOT\n⟦PEM⟧\nEOT\n}')
P("en", "issue", "Here is the key the installer generated, maybe it is malformed?\n\n```\n⟦PEM⟧\n```")
P("de", "email", "Hallo ⟦FIRST⟧,\nanbei der Schlüssel für den Server:\n\n⟦PEM⟧\n\nBitte nach dem Import löschen.")
P("ru", "forum", "Ключ выглядит так, что не так?\n⟦PEM⟧")
P("ja", "chat", "秘密鍵貼っておきます↓\n⟦PEM⟧\n使い終わったら消してください。")

# ---------------------------------------------------------------- secrets: generic high-entropy by label
P("en", "env", "DATABASE_URL=postgres://app:⟦S:he⟧@⟦HOST⟧:5432/app\nSECRET_KEY=⟦S:hel⟧\nDEBUG=false")
P(
    "en",
    "code",
    "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.mysql',\n        'USER': 'shop',\n        'PASSWORD': '⟦S:he⟧',\n    }\n}\nSECRET_KEY = '⟦S:hel⟧'",
)
P(
    "en",
    "code",
    "spring.datasource.url=jdbc:mysql://⟦HOST⟧:3306/erp\nspring.datasource.username=erp\nspring.datasource.password=⟦S:he⟧",
)
P("en", "config", '[client]\nuser=backup\npassword="⟦S:pw⟧"\nhost=⟦HOST⟧')
P("en", "config", "requirepass ⟦S:he⟧\nmasterauth ⟦S:he⟧\nbind 127.0.0.1")
P(
    "en",
    "xml",
    '<connectionStrings>\n  <add name="Main" connectionString="Server=⟦HOST⟧;Database=Crm;User Id=crm;Password=⟦S:pw⟧;" />\n</connectionStrings>',
)
P(
    "en",
    "code",
    'const config = {\n  clientId: "web-portal",\n  clientSecret: "⟦S:hel⟧",\n  redirectUri: "/auth/callback",\n};',
)
P("en", "code", 'var apiSecret = "⟦S:he⟧" // TODO move to vault')
P("en", "code", "$db_pass = '⟦S:pw⟧';\n$conn = new mysqli($db_host, $db_user, $db_pass, \"shop\");")
P("en", "code", 'let api_token: &str = "⟦S:hel⟧";')
P(
    "en",
    "sql",
    "CREATE USER reporting WITH PASSWORD '⟦S:he⟧';\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;",
)
P("en", "sql", "INSERT INTO integrations (name, api_key) VALUES ('mailer', '⟦S:hel⟧'), ('sms', '⟦S:he⟧');")
P("en", "http", "POST /webhook HTTP/1.1\nX-Api-Key: ⟦S:hel⟧\nContent-Type: application/json")
P("en", "http", "GET /admin HTTP/1.1\nAuthorization: Basic ⟦S:basic⟧")
P("en", "url", "https://api.meteo-feed.io/v3/forecast?lat=52.5&lon=13.4&appid=⟦S:hel⟧&units=metric")
P("en", "cli", "$ mysql -u root -p⟦S:pw⟧ -h ⟦HOST⟧ shop < dump.sql")
P("en", "cli", "$ docker run -e POSTGRES_PASSWORD=⟦S:he⟧ -d postgres:16")
P(
    "en",
    "yaml",
    "spring:\n  security:\n    oauth2:\n      client:\n        registration:\n          keycloak:\n            client-id: portal\n            client-secret: ⟦S:hel⟧",
)
P("en", "ini", "[smtp]\nhost = smtp.mailgun.org\nuser = postmaster\npass = ⟦S:he⟧")
P("en", "log", "⟦TS⟧ INFO  Connecting with credentials user=etl password=⟦S:he⟧")
P("en", "chat", "<⟦USER⟧> wifi password for the guest network is ⟦S:pw⟧\n<⟦USER⟧> ty")
P("en", "prose", "The admin password for the staging box is ⟦S:pw⟧ until we set up SSO.")
P("en", "csv", "service,username,password\nftp,upload,⟦S:pw⟧\nvpn,⟦USER⟧,⟦S:he⟧")
P(
    "en",
    "markdown",
    "| system | login | secret |\n|---|---|---|\n| jenkins | admin | `⟦S:he⟧` |\n| grafana | admin | `⟦S:pw⟧` |",
)
P(
    "en",
    "systemd",
    '[Service]\nEnvironment="API_TOKEN=⟦S:hel⟧"\nEnvironment=LOG_LEVEL=info\nExecStart=/opt/app/bin/server',
)
P("en", "crontab", "0 */6 * * * curl -fsS -u admin:⟦S:pw⟧ https://backup.⟦HOST⟧/trigger >/dev/null")
P(
    "en",
    "nginx",
    'location /metrics {\n    proxy_set_header Authorization "Bearer ⟦S:hel⟧";\n    proxy_pass http://127.0.0.1:9090;\n}',
)
P("en", "latex", "% TODO remove before submission\n\\newcommand{\\apikey}{⟦S:hel⟧}")
P("en", "toml", '[tool.poetry.http-basic.private]\nusername = "ci"\npassword = "⟦S:he⟧"')
P("en", "code", 'Properties p = new Properties();\np.setProperty("mail.smtp.password", "⟦S:pw⟧");')
P("en", "code", 'client = Minio("s3.⟦HOST⟧", access_key="minio-admin", secret_key="⟦S:hel⟧")')
P("en", "powershell", '$SecurePass = ConvertTo-SecureString "⟦S:pw⟧" -AsPlainText -Force')
P("en", "dockerfile", "FROM node:20-alpine\nENV NPM_TOKEN=⟦S:npm⟧\nARG SENTRY_AUTH_TOKEN=⟦S:hel⟧\nRUN npm ci")
P("en", "yaml", '- name: Deploy\n  run: ./deploy.sh\n  env:\n    DEPLOY_KEY: "⟦S:hel⟧"')
P("de", "prose", "Das neue WLAN-Passwort lautet ⟦S:pw⟧ – bitte nicht weitergeben.")
P("de", "email", "Zugangsdaten für das Kundenportal:\nBenutzer: ⟦USER⟧\nKennwort: ⟦S:pw⟧")
P("de", "config", "# Datenbank\nDB_BENUTZER=shop\nDB_PASSWORT=⟦S:he⟧")
P("fr", "prose", "Le mot de passe du compte administrateur est ⟦S:pw⟧, à changer dès la première connexion.")
P("fr", "email", "Identifiant : ⟦USER⟧\nMot de passe : ⟦S:pw⟧\nClé API : ⟦S:hel⟧")
P("es", "prose", "La contraseña del servidor es ⟦S:pw⟧ y el usuario es root.")
P("es", "chat", "te paso la clave de la API: ⟦S:hel⟧")
P("pt", "email", "Segue a senha provisória: ⟦S:pw⟧. Altere no primeiro acesso.")
P("pt", "prose", "A chave secreta da integração é ⟦S:hel⟧.")
P("it", "prose", "La password del database è ⟦S:pw⟧ — non committarla!")
P("nl", "chat", "⟦FIRST⟧: wachtwoord van de NAS is ⟦S:pw⟧")
P("pl", "prose", "Hasło do panelu: ⟦S:pw⟧, login: admin.")
P("ru", "chat", "Пароль от сервера: ⟦S:pw⟧, логин root")
P("ru", "config", "# доступ к БД\nпользователь=app\nпароль=⟦S:he⟧")
P("uk", "chat", "ось пароль від адмінки: ⟦S:pw⟧")
P("ja", "prose", "初期パスワードは「⟦S:pw⟧」です。ログイン後に変更してください。")
P("ja", "email", "APIキー：⟦S:hel⟧\nシークレット：⟦S:hel⟧")
P("zh", "prose", "数据库密码：⟦S:pw⟧，用户名：root。")
P("zh", "chat", "API密钥是⟦S:hel⟧，别发到群里")
P("ko", "prose", "관리자 비밀번호는 ⟦S:pw⟧ 입니다.")
P("ko", "email", "API 키: ⟦S:hel⟧\n비밀 키: ⟦S:hel⟧")
P("vi", "prose", "Mật khẩu wifi văn phòng là ⟦S:pw⟧ nhé.")
P("tr", "prose", "Sunucu şifresi ⟦S:pw⟧, kullanıcı adı admin.")
P("ar", "prose", "كلمة المرور الجديدة هي ⟦S:pw⟧ يرجى تغييرها بعد الدخول.")
P("ar", "chat", "مفتاح الـ API هو ⟦S:hel⟧")
P("sv", "prose", "Lösenordet till routern är ⟦S:pw⟧.")
P("cs", "email", "Přihlašovací údaje: uživatel ⟦USER⟧, heslo ⟦S:pw⟧.")
P("id", "prose", "Kata sandi server: ⟦S:pw⟧, jangan disebar ya.")
P("fi", "prose", "Palvelimen salasana on ⟦S:pw⟧.")
P("he", "prose", "הסיסמה לשרת היא ⟦S:pw⟧")
P("el", "prose", "Ο κωδικός πρόσβασης είναι ⟦S:pw⟧.")

# ---------------------------------------------------------------- mixed
P("en", "email", "From: ⟦E⟧\nTo: ⟦E⟧\n\nServer ⟦I4⟧ is up. Root password: ⟦S:pw⟧\nBilling card: ⟦C⟧")
P("en", "log", "⟦TS⟧ login ok user=⟦E⟧ ip=⟦I4⟧ token=⟦S:jwt⟧")
P("en", "sql", "INSERT INTO users (email, last_ip, api_key) VALUES ('⟦E⟧', '⟦I6⟧', '⟦S:hel⟧');")
P("en", "csv", "email,ip,card\n⟦E⟧,⟦I4⟧,⟦CP⟧\n⟦E⟧,⟦I6⟧,⟦CH⟧")
P("de", "chat", "⟦FIRST⟧: Server ⟦I4⟧, Login ⟦E⟧, Passwort ⟦S:pw⟧")
P("ja", "email", "差出人：⟦E⟧\n本文：サーバー⟦I4⟧のAPIキーは⟦S:hel⟧です。")
P("zh", "log", "⟦TS⟧ 用户⟦E⟧从⟦I4⟧登录，令牌⟦S:ghp⟧")
P("en", "json", '{"user":{"email":"⟦E⟧","card":"⟦C⟧","last_ip":"⟦I4⟧"},"session":"⟦S:jwt⟧"}')
P("fr", "log", "⟦TS⟧ connexion de ⟦E⟧ depuis ⟦I6⟧ (clé ⟦S:akia⟧)")
P("ru", "email", "От: ⟦E⟧\nСервер: ⟦I4⟧\nКлюч: ⟦S:ghp⟧\nКарта: ⟦C⟧")

# ================================================================ hard negatives
C = "reserved_email_domains"
N(C, "en", "docs", "To test the signup flow, register as ⟦n:email⟧ with any password.")
N(
    C,
    "en",
    "code",
    'def test_invite(client):\n    r = client.post("/invite", json={"email": "⟦n:email⟧"})\n    assert r.json()["to"] == "⟦n:email⟧"',
)
N(C, "en", "config", "[smtp]\nfrom = ⟦n:email⟧\nreply_to = ⟦n:email⟧\nhost = localhost")
N(C, "en", "email", "From: Test Sender <⟦n:email⟧>\nTo: ⟦n:email⟧\nSubject: [fixture] welcome mail")
N(C, "en", "yaml", "users:\n  - name: Alice\n    email: ⟦n:email⟧\n  - name: Bob\n    email: ⟦n:email⟧")
N(C, "de", "docs", "Beispiel: Tragen Sie als Absender ⟦n:email⟧ ein und speichern Sie.")
N(C, "fr", "docs", "Exemple d'adresse valide : ⟦n:email⟧ (domaine réservé à la documentation).")
N(C, "ja", "docs", "例：⟦n:email⟧ のように入力してください。")
N(C, "zh", "docs", "示例邮箱：⟦n:email⟧（仅用于测试）")
N(C, "ru", "docs", "Например, укажите адрес ⟦n:email⟧ в поле «Получатель».")
N(C, "en", "log", "⟦TS⟧ cron[⟦NN⟧]: mail sent to root@localhost (exit status 0)")

C = "non_global_ipv4"
N(C, "en", "config", "server {\n    listen ⟦n:ip4⟧:80;\n    location / { proxy_pass http://⟦n:ip4⟧:8080; }\n}")
N(C, "en", "log", "⟦TS⟧ dhcpd: DHCPACK on ⟦n:ip4⟧ to ⟦n:mac⟧ via eth1")
N(
    C,
    "en",
    "yaml",
    "networks:\n  backend:\n    ipam:\n      config:\n        - subnet: 172.28.0.0/16\n          gateway: ⟦n:ip4⟧",
)
N(C, "en", "docs", "In this guide the web server has the address ⟦n:ip4⟧ and the database ⟦n:ip4⟧.")
N(C, "en", "cli", "$ ip addr show eth0\n    inet ⟦n:ip4⟧/24 brd 192.168.1.255 scope global eth0")
N(C, "en", "config", "# /etc/hosts\n⟦n:ip4⟧  nas.lan\n⟦n:ip4⟧  printer.lan\n⟦n:ip4⟧  pi-hole.lan")
N(C, "de", "prose", "Der Router ist unter ⟦n:ip4⟧ erreichbar, das Standardgateway ist ⟦n:ip4⟧.")
N(C, "ja", "prose", "ルーターの管理画面は⟦n:ip4⟧です。")
N(C, "zh", "prose", "内网地址：⟦n:ip4⟧，网关⟦n:ip4⟧。")
N(C, "es", "forum", "Pongo ⟦n:ip4⟧ en el navegador y no carga la página del módem.")
N(C, "en", "log", "⟦TS⟧ avahi-daemon: Joining mDNS multicast group on interface eth0.IPv4 with address ⟦n:ip4⟧.")
N(C, "en", "csv", "host,ip,vlan\nsw-core,⟦n:ip4⟧,10\nap-3,⟦n:ip4⟧,20\ncam-1,⟦n:ip4⟧,30")
N(C, "ru", "prose", "Адрес камеры в локальной сети — ⟦n:ip4⟧, маска 255.255.255.0.")

C = "non_global_ipv6"
N(C, "en", "cli", "$ ip -6 addr\n    inet6 ⟦n:ip6⟧/64 scope link\n    inet6 ⟦n:ip6⟧/128 scope host")
N(C, "en", "config", "listen [::]:443 ssl;\nlisten [⟦n:ip6⟧]:8443;\nresolver [⟦n:ip6⟧] valid=30s;")
N(C, "en", "docs", "Use ⟦n:ip6⟧ in examples; it belongs to the documentation prefix.")
N(C, "en", "log", "⟦TS⟧ radvd: sending RA to ⟦n:ip6⟧ on br0")
N(C, "fr", "prose", "L'adresse ⟦n:ip6⟧ est locale au lien, elle ne sort pas du réseau.")
N(C, "en", "yaml", 'ipv6:\n  enabled: true\n  ula_prefix: ⟦n:ip6⟧/48\n  dns: ["⟦n:ip6⟧"]')

C = "version_numbers"
N(C, "en", "log", "Microsoft Windows [Version ⟦n:ver⟧]\n(c) Microsoft Corporation. All rights reserved.")
N(C, "en", "code", '[assembly: AssemblyVersion("⟦n:ver⟧")]\n[assembly: AssemblyFileVersion("⟦n:ver⟧")]')
N(
    C,
    "en",
    "http",
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/⟦n:ver⟧ Safari/537.36",
)
N(C, "en", "prose", "Upgrade to build ⟦n:ver⟧ or later to get the fix.")
N(C, "en", "changelog", "## [⟦n:ver⟧] - ⟦DATE⟧\n### Fixed\n- crash on empty config\n## [⟦n:ver⟧] - ⟦DATE⟧")
N(
    C,
    "en",
    "xml",
    "<dependency>\n  <groupId>org.acme</groupId>\n  <artifactId>core</artifactId>\n  <version>⟦n:ver⟧</version>\n</dependency>",
)
N(C, "de", "prose", "Die Firmware ⟦n:ver⟧ behebt das WLAN-Problem; Version ⟦n:ver⟧ hatte es noch.")
N(C, "ja", "prose", "バージョン⟦n:ver⟧にアップデートしてください。")
N(C, "ru", "forum", "После обновления до ⟦n:ver⟧ драйвер перестал работать.")
N(C, "en", "cli", "$ ./firmware-tool --info\nBootloader: ⟦n:ver⟧\nModem: ⟦n:ver⟧\nBaseband: ⟦n:ver⟧")
N(C, "zh", "prose", "当前版本：⟦n:ver⟧，最新版本：⟦n:ver⟧。")

C = "oids_and_section_numbers"
N(C, "en", "cli", "$ snmpget -v2c -c public ⟦HOST⟧ ⟦n:oid⟧\nSNMPv2-SMI::enterprises = INTEGER: 42")
N(C, "en", "docs", "See section ⟦n:sect⟧ of the specification for the handshake details.")
N(C, "en", "latex", "\\subsection{Results}\\label{sec:⟦n:sect⟧}\nAs shown in Table ⟦n:sect⟧ and Eq.~(⟦N⟧)")
N(C, "en", "config", "extendedKeyUsage = ⟦n:oid⟧, 1.3.6.1.5.5.7.3.2\ncertificatePolicies = ⟦n:oid⟧")
N(C, "de", "prose", "Gemäß Abschnitt ⟦n:sect⟧ der Norm ist die Prüfung jährlich durchzuführen.")
N(C, "fr", "prose", "Voir l'article ⟦n:sect⟧ du règlement intérieur.")
N(C, "en", "markdown", "| Clause | Requirement |\n|---|---|\n| ⟦n:sect⟧ | Access control |\n| ⟦n:sect⟧ | Logging |")

C = "luhn_invalid_cards"
N(
    C,
    "en",
    "code",
    'def test_rejects_bad_checksum():\n    assert not is_valid_card("⟦n:badcard⟧")\n    assert not is_valid_card("⟦n:badcardp⟧")',
)
N(C, "en", "log", "⟦TS⟧ WARN card validation failed (checksum) for input ⟦n:badcard⟧")
N(
    C,
    "en",
    "chat",
    "Customer: my card is ⟦n:badcard⟧\nAgent: that number doesn't pass validation, could you re-check it?",
)
N(C, "de", "form", "Kartennummer: ⟦n:badcard⟧ – Fehler: ungültige Prüfziffer")
N(C, "fr", "form", "Numéro de carte : ⟦n:badcard⟧ ✗ numéro invalide")
N(C, "ja", "form", "カード番号：⟦n:badcard⟧（番号が正しくありません）")
N(C, "en", "csv", "attempt,pan,status\n1,⟦n:badcardp⟧,rejected\n2,⟦n:badcardp⟧,rejected")
N(C, "es", "prose", "El número ⟦n:badcard⟧ no es válido, revisa los dígitos.")

C = "masked_cards"
N(C, "en", "receipt", "VISA **** **** **** ⟦NN⟧1\nAUTH CODE 0⟦NN⟧\nTOTAL ⟦AMT⟧")
N(C, "en", "email", "Your payment with Mastercard ending in ⟦NN⟧4 was successful.")
N(C, "en", "json", '{"card":{"brand":"amex","last4":"1⟦NN⟧","exp_month":9,"masked":"3782 XXXXXX X1005"}}')
N(C, "de", "prose", "Bezahlt mit Karte •••• ⟦NN⟧7 am ⟦DATE⟧.")
N(C, "ja", "prose", "ご利用カード：************⟦NN⟧2")
N(C, "en", "log", "⟦TS⟧ charge ok pan=411111******⟦NN⟧1 amount=⟦AMT⟧")

C = "uuids_and_ids"
N(C, "en", "log", "⟦TS⟧ request_id=⟦n:uuid⟧ trace_id=⟦n:md5⟧ span_id=⟦HEX8⟧⟦HEX8⟧ status=200")
N(C, "en", "json", '{"id":"⟦n:uuid⟧","parent":"⟦n:uuid⟧","ulid":"⟦n:ulid⟧"}')
N(C, "en", "sql", "SELECT * FROM orders WHERE id = '⟦n:uuid⟧';")
N(
    C,
    "en",
    "url",
    "https://docs.google.com/document/d/⟦n:b64id⟧⟦n:b64id⟧/edit\nhttps://www.youtube.com/watch?v=⟦n:ytid⟧",
)
N(C, "en", "config", "[Unit]\nDescription=Data disk\n[Mount]\nWhat=/dev/disk/by-uuid/⟦n:uuid⟧\nWhere=/data")
N(C, "de", "prose", "Ihre Vorgangsnummer lautet ⟦n:uuid⟧. Bitte bei Rückfragen angeben.")
N(C, "en", "markdown", "Closes #⟦NN⟧. Run id: `⟦n:ulid⟧`")
N(C, "en", "code", 'GUID: {⟦n:uuid⟧}\nProductCode = "{⟦n:uuid⟧}"')
N(C, "en", "prose", "Video ID ⟦n:ytid⟧ and playlist PL⟦n:b64id⟧ are linked in the description.")

C = "git_shas"
N(
    C,
    "en",
    "log",
    "commit ⟦n:sha⟧ (HEAD -> main, origin/main)\nMerge: ⟦n:sha7⟧ ⟦n:sha7⟧\nDate:   Fri Jan 9 11:00:00 2026 +0100",
)
N(C, "en", "cli", "$ git rev-parse HEAD\n⟦n:sha⟧\n$ git log --oneline -2\n⟦n:sha7⟧ fix typo\n⟦n:sha7⟧ bump deps")
N(C, "en", "yaml", "- uses: actions/checkout@⟦n:sha⟧ # v4.1.1\n- uses: actions/setup-python@⟦n:sha⟧ # v5")
N(C, "en", "issue", "Bisected to ⟦n:sha⟧; reverting ⟦n:sha7⟧ fixes it.")
N(C, "fr", "prose", "Le bug a été introduit par le commit ⟦n:sha⟧.")
N(C, "zh", "prose", "回滚到提交⟦n:sha⟧之后问题消失。")
N(
    C,
    "en",
    "config",
    '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = https://git.kelm.dev/lib.git\n# pinned at ⟦n:sha⟧',
)

C = "checksums"
N(
    C,
    "en",
    "cli",
    "$ sha256sum release.tar.gz\n⟦n:sha256⟧  release.tar.gz\n$ md5sum release.tar.gz\n⟦n:md5⟧  release.tar.gz",
)
N(
    C,
    "en",
    "code",
    '<script src="https://cdn.jsdelivr.net/npm/lib@3/dist/lib.min.js" integrity="⟦n:sri⟧" crossorigin="anonymous"></script>',
)
N(
    C,
    "en",
    "json",
    '"node_modules/left-pad": {\n  "version": "1.3.0",\n  "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",\n  "integrity": "⟦n:npmint⟧"\n}',
)
N(C, "en", "yaml", "image: ghcr.io/kelm/api@⟦n:docker⟧\nimagePullPolicy: IfNotPresent")
N(C, "en", "config", "requests==2.32.3 \\\n    --hash=sha256:⟦n:sha256⟧ \\\n    --hash=sha256:⟦n:sha256⟧")
N(C, "de", "prose", "Prüfsumme (SHA-256): ⟦n:sha256⟧")
N(C, "en", "log", "Digest: ⟦n:docker⟧\nStatus: Downloaded newer image for postgres:16")
N(C, "ru", "prose", "Контрольная сумма MD5 архива: ⟦n:md5⟧")
N(C, "en", "cli", "go: downloading golang.org/x/net v0.25.0\ngolang.org/x/net v0.25.0 h1:⟦n:b64id⟧⟦n:b64id⟧=")

C = "hex_colours"
N(C, "en", "css", ":root {\n  --brand: ⟦n:color⟧;\n  --accent: ⟦n:color⟧;\n  --bg: ⟦n:color⟧;\n}")
N(C, "en", "json", '{"theme":{"primary":"⟦n:color⟧","secondary":"⟦n:color⟧","error":"⟦n:color⟧"}}')
N(C, "en", "latex", "\\definecolor{accent}{HTML}{⟦HEX8⟧}\n\\definecolor{muted}{HTML}{A3B1C9}")
N(C, "ja", "prose", "メインカラーは⟦n:color⟧、サブカラーは⟦n:color⟧に変更しました。")
N(C, "en", "yaml", 'labels:\n  - name: bug\n    color: "⟦n:color⟧"\n  - name: feature\n    color: "⟦n:color⟧"')

C = "base64_images"
N(C, "en", "html_text", '<img alt="logo" src="⟦n:b64img⟧">')
N(C, "en", "css", '.icon { background-image: url("⟦n:b64img⟧"); }')
N(C, "en", "json", '{"avatar":"⟦n:b64img⟧","name":"placeholder"}')
N(C, "en", "markdown", "![diagram](⟦n:b64img⟧)")
N(
    C,
    "en",
    "notebook",
    '{"output_type":"display_data","data":{"image/png":"iVBORw0KGgoAAAANSUhEUgAA⟦n:b64id⟧⟦n:b64id⟧AAAAAElFTkSuQmCC"}}',
)

C = "content_hash_filenames"
N(
    C,
    "en",
    "html_text",
    '<script type="module" src="/assets/⟦n:hashfile⟧"></script>\n<link rel="stylesheet" href="/assets/⟦n:hashfile⟧">',
)
N(
    C,
    "en",
    "log",
    "dist/assets/⟦n:hashfile⟧   142.31 kB │ gzip: 45.80 kB\ndist/assets/⟦n:hashfile⟧   12.02 kB │ gzip: 3.11 kB",
)
N(C, "en", "json", '{"files":{"main.js":"/static/js/⟦n:hashfile⟧","main.css":"/static/css/⟦n:hashfile⟧"}}')
N(C, "en", "log", '⟦n:ip4⟧ - - [14/Mar/2026:10:22:31 +0000] "GET /assets/⟦n:hashfile⟧ HTTP/1.1" 200 8123')
N(C, "de", "prose", "Die Datei ⟦n:hashfile⟧ wird nach jedem Build neu erzeugt.")

C = "placeholders"
N(C, "en", "env", "API_KEY=⟦n:ph⟧\nSECRET_KEY=⟦n:ph⟧\nDB_PASSWORD=⟦n:ph⟧")
N(C, "en", "docs", "Replace `⟦n:ph⟧` with the token from your dashboard, then run `make deploy`.")
N(C, "en", "yaml", 'auth:\n  client_id: my-app\n  client_secret: ⟦n:ph⟧\n  api_token: "⟦n:ph⟧"')
N(C, "en", "code", 'API_KEY = "⟦n:ph⟧"  # set your key here\nclient = Client(api_key=API_KEY)')
N(C, "en", "cli", "curl -H 'Authorization: Bearer ⟦n:ph⟧' https://api.quokka.dev/v2/me")
N(C, "de", "docs", "Ersetzen Sie ⟦n:ph⟧ durch Ihren persönlichen API-Schlüssel.")
N(C, "fr", "docs", "Remplacez ⟦n:ph⟧ par votre jeton d'accès.")
N(C, "ja", "docs", "「⟦n:ph⟧」の部分をご自身のAPIキーに置き換えてください。")
N(C, "zh", "docs", "将⟦n:ph⟧替换为你的访问令牌。")
N(C, "en", "json", '{"password":"⟦n:ph⟧","token":"⟦n:ph⟧"}')
N(C, "en", "config", "[pypi]\nusername = __token__\npassword = ⟦n:ph⟧")
N(C, "ru", "docs", "Вместо ⟦n:ph⟧ подставьте свой токен.")

C = "env_references"
N(C, "en", "yaml", "env:\n  GITHUB_TOKEN: ⟦n:env⟧\n  NPM_TOKEN: ⟦n:env⟧\n  AWS_SECRET_ACCESS_KEY: ⟦n:env⟧")
N(
    C,
    "en",
    "yaml",
    "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ⟦n:env⟧\n      REDIS_PASSWORD: ⟦n:env⟧",
)
N(C, "en", "code", "password = ⟦n:env⟧\napi_key = ⟦n:env⟧\nclient = connect(password=password)")
N(C, "en", "code", "const stripe = require('stripe')(⟦n:env⟧);\nconst token = ⟦n:env⟧;")
N(C, "en", "hcl", 'provider "aws" {\n  access_key = ⟦n:env⟧\n  secret_key = ⟦n:env⟧\n}')
N(C, "en", "config", "spring.datasource.password=⟦n:env⟧\napp.jwt.secret=⟦n:env⟧")
N(C, "en", "cli", "set PGPASSWORD=⟦n:env⟧\npsql -h ⟦HOST⟧ -U app")
N(
    C,
    "en",
    "yaml",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  password: ⟦n:env⟧\n  token: ⟦n:env⟧",
)
N(C, "de", "docs", "Das Passwort wird aus ⟦n:env⟧ gelesen, nicht aus der Konfigurationsdatei.")
N(C, "ja", "docs", "トークンは⟦n:env⟧から読み込まれます。")
N(
    C,
    "en",
    "dockerfile",
    'ARG NPM_TOKEN\nENV NPM_TOKEN=⟦n:env⟧\nRUN echo "//registry.npmjs.org/:_authToken=⟦n:env⟧" > .npmrc',
)

C = "low_entropy_passwords"
N(C, "en", "prose", "Please stop using '⟦n:low⟧' as your password, it is in every breach list.")
N(C, "en", "yaml", "mysql:\n  root_password: ⟦n:low⟧\n  user: app\n  password: ⟦n:low⟧")
N(C, "en", "docs", "The default login for the appliance is admin / ⟦n:low⟧; change it immediately.")
N(C, "de", "prose", "Das Standardpasswort „⟦n:low⟧“ ist zu schwach.")
N(C, "es", "prose", "Nunca uses ⟦n:low⟧ como contraseña.")
N(C, "ru", "prose", "Пароль «⟦n:low⟧» слишком простой, придумайте другой.")
N(C, "en", "code", 'conn = psycopg.connect(user="postgres", password="⟦n:low⟧", host="localhost")')
N(C, "en", "csv", "rank,password,count\n1,⟦n:low⟧,⟦NN⟧⟦NN⟧\n2,⟦n:low⟧,⟦NN⟧⟦NN⟧\n3,⟦n:low⟧,⟦NN⟧⟦N⟧")

C = "key_names_without_values"
N(
    C,
    "en",
    "docs",
    "Set `api_key`, `client_secret` and `access_token` in the settings page; leave `password` empty for SSO.",
)
N(C, "en", "env", "# required\nSTRIPE_SECRET_KEY=\nGITHUB_TOKEN=\nAWS_SECRET_ACCESS_KEY=")
N(
    C,
    "en",
    "code",
    "class Settings(BaseSettings):\n    api_key: SecretStr\n    db_password: SecretStr\n    jwt_secret: str = Field(..., min_length=32)",
)
N(
    C,
    "en",
    "sql",
    "CREATE TABLE credentials (\n  id SERIAL PRIMARY KEY,\n  api_key TEXT NOT NULL,\n  secret_hash BYTEA,\n  password_salt TEXT\n);",
)
N(C, "de", "docs", "Die Variablen DB_PASSWORT und API_SCHLUESSEL müssen gesetzt sein.")
N(C, "ja", "docs", "環境変数 API_KEY と SECRET_TOKEN を設定してください。")
N(
    C,
    "en",
    "markdown",
    "| Variable | Description |\n|---|---|\n| `SLACK_BOT_TOKEN` | bot token (xoxb-…) |\n| `SENTRY_DSN` | DSN |",
)
N(C, "en", "log", "⟦TS⟧ ERROR missing required setting: OPENAI_API_KEY")

C = "auth_urls"
N(
    C,
    "en",
    "yaml",
    "oauth:\n  auth_url: https://login.kelm.dev/oauth2/authorize\n  token_endpoint: https://login.kelm.dev/oauth2/token\n  jwks_uri: https://login.kelm.dev/.well-known/jwks.json",
)
N(
    C,
    "en",
    "json",
    '{"issuer":"https://id.quokka.dev","authorization_endpoint":"https://id.quokka.dev/auth","token_endpoint":"https://id.quokka.dev/token"}',
)
N(
    C,
    "en",
    "env",
    "AUTH_URL=https://auth.lumen-analytics.ai/login\nTOKEN_URL=https://auth.lumen-analytics.ai/token\nSECRET_MANAGER_URL=https://vault.⟦HOST⟧:8200",
)
N(
    C,
    "en",
    "config",
    "[auth]\npassword_reset_url = https://portal.cobalt-harbor.co.uk/reset\nsecret_store = /etc/app/secrets.d",
)
N(C, "de", "config", "token_endpoint=https://sso.nordlicht-energie.de/realms/main/protocol/openid-connect/token")

C = "public_keys_and_certs"
N(C, "en", "pem", "⟦n:cert⟧\n")
N(C, "en", "pem", "⟦n:pubkey⟧\n")
N(C, "en", "config", "# ~/.ssh/authorized_keys\n⟦n:sshpub⟧ ⟦USER⟧-laptop\n⟦n:sshpub⟧ ci")
N(
    C,
    "en",
    "yaml",
    "tls:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIB⟦n:b64id⟧⟦n:b64id⟧\n    -----END CERTIFICATE-----",
)
N(C, "en", "docs", "Add this public key to your GitHub account:\n\n⟦n:sshpub⟧ deploy")

C = "mac_addresses"
N(C, "en", "cli", "$ ip link\n2: eth0: <BROADCAST,MULTICAST,UP> mtu 1500\n    link/ether ⟦n:mac⟧ brd ff:ff:ff:ff:ff:ff")
N(C, "en", "config", "host printer {\n  hardware ethernet ⟦n:mac⟧;\n  fixed-address ⟦n:ip4⟧;\n}")
N(C, "de", "prose", "Die MAC-Adresse des Geräts lautet ⟦n:mac⟧.")
N(C, "en", "csv", "device,mac\nlaptop,⟦n:mac⟧\nphone,⟦n:mac⟧")
N(C, "zh", "prose", "网卡物理地址：⟦n:mac⟧")

C = "isbn_and_codes"
N(C, "en", "prose", "Reference: ⟦NAME⟧, Distributed Systems, 3rd ed., ISBN ⟦n:isbn⟧.")
N(C, "de", "prose", "Lehrbuch: ISBN ⟦n:isbn⟧, 2. Auflage.")
N(C, "en", "latex", "@book{key2026,\n  title = {Applied Cryptography Notes},\n  isbn = {⟦n:isbn⟧},\n  year = {2026}\n}")
N(C, "en", "csv", "title,isbn,price\nNotes,⟦n:isbn⟧,⟦AMT⟧\nMore Notes,⟦n:isbn⟧,⟦AMT⟧")
N(C, "fr", "prose", "Réf. ISBN ⟦n:isbn⟧ – disponible en librairie.")

C = "at_sign_non_emails"
N(C, "en", "cli", "⟦USER⟧@web-03:~$ sudo systemctl restart nginx\n⟦USER⟧@web-03:~$ exit")
N(C, "en", "code", "import { Component } from '@angular/core';\nimport type { Request } from '@types/express';")
N(C, "en", "code", '@Override\npublic String toString() {\n    return "User@" + Integer.toHexString(hashCode());\n}')
N(C, "en", "cli", "$ pip install 'pkg @ git+https://git.kelm.dev/pkg.git@v1.2.0'")
N(C, "en", "prose", "Meet @ 5pm, room 3.12 — bring snacks @ cost.")
N(C, "en", "log", "Loaded Java object java.lang.Object@6d06d69c and ref User@1b6d3586")

C = "vendor_docs_examples"
N(C, "en", "docs", "For example, an access key ID looks like ⟦n:awsex⟧.")
N(
    C,
    "en",
    "config",
    "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
)
N(C, "en", "docs", "Tokens are prefixed, e.g. `⟦n:sktest⟧` (truncated here).")
N(C, "en", "docs", "GitHub tokens start with ghp_, gho_, ghu_, ghs_ or github_pat_; Slack bot tokens start with xoxb-.")
N(C, "de", "docs", "Ein gültiger Schlüssel beginnt immer mit „sk_live_“ gefolgt von Zufallszeichen.")

C = "numeric_ids"
N(C, "en", "log", "⟦TS⟧ job=⟦NN⟧⟦NN⟧ ts_ms=17⟦NN⟧⟦NN⟧⟦NN⟧⟦NN⟧ offset=⟦NN⟧⟦NN⟧")
N(C, "en", "json", '{"order_id":"ORD-2026-⟦NN⟧⟦NN⟧","invoice":"INV/⟦NN⟧/2026","tracking":"1Z⟦NN⟧X⟦NN⟧⟦NN⟧"}')
N(C, "de", "prose", "Ihre Bestellnummer: 2026-⟦NN⟧-⟦NN⟧⟦N⟧. Lieferung in 3–5 Werktagen.")
N(C, "en", "csv", "sku,qty,price\nSKU-⟦NN⟧-⟦NN⟧,⟦N⟧,⟦AMT⟧\nSKU-⟦NN⟧-⟦NN⟧,⟦N⟧,⟦AMT⟧")
N(C, "ja", "prose", "注文番号：⟦NN⟧-⟦NN⟧⟦NN⟧、お届け予定日：⟦DATE⟧")

C = "hashes_in_secret_context"
N(C, "en", "log", "⟦TS⟧ audit: api key rotated, fingerprint=⟦n:md5⟧ key_id=⟦n:uuid⟧")
N(C, "en", "prose", "The token's SHA-256 fingerprint is ⟦n:sha256⟧; the token itself is stored in the vault.")


if __name__ == "__main__":
    main()
