#!/usr/bin/env python3
"""Generator for PII test set 26 (independent, blind-written holdout set).

What it does
------------
Builds ``pii_testset26.jsonl`` next to this script: about 1200 labelled records
that imitate what a web-scale pretraining corpus contains -- source code and
configuration in many languages (application code, .env/YAML/TOML/INI files,
CI workflows, Terraform/Kubernetes/Ansible, notebooks, commit diffs), web
pages, READMEs, docs and Q&A/forum posts, e-mails/chats/tickets/notes in 40+
natural languages (Latin and non-Latin scripts), logs / shell sessions / HTTP
traffic, and tables / lists / data dumps.

Every template is hand-written here.  Templates contain placeholders of the
form ``⟦generator⟧`` or ``⟦generator:key⟧`` (the key re-uses one value inside
a record).  Rendering walks the template left to right, appends the literal
text and the generated values, and records the offsets of labelled values at
the moment they are inserted (no searching afterwards).  All values (tokens,
passwords, cards, IPs, e-mails, keys) are random and fake, generated with
``random.Random(262626)``; vendor tokens follow real, publicly documented
vendor formats (prefixes / lengths / alphabets) but carry random bodies.

Entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET (see the labelling
guide this set follows).  Records whose category is not ``positive`` are hard
negatives: they contain look-alikes (publishable keys, hashes, placeholders,
private/documentation IPs, reserved e-mail domains, Luhn-invalid numbers ...)
and carry no spans at all.

Checks (all fatal assertions, run before writing)
-------------------------------------------------
* text[start:end] equals the value inserted for every span; spans are sorted
  and never overlap; positive records have >= 1 span, negatives have none.
* every labelled IP parses, is ``is_global`` and is outside the documentation
  ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32.
* every labelled card is all digits apart from single space/dash group
  separators, passes Luhn and matches a real brand prefix + length.
* every labelled e-mail has a syntactically valid shape and a non-reserved
  domain (not example.com/.org/.net, .test, .invalid, .localhost, .example).
* every labelled SECRET satisfies basic sanity (non-empty, no surrounding
  whitespace/quotes, does not start with a label such as ``Bearer ``, does not
  contain the documentation marker EXAMPLE / placeholders); labelled
  passwords are >= 8 chars, start alphanumeric, don't end in . , ! ? : ; and
  mix two character classes (or are passphrases with digits).
* ids are unique, no text occurs twice.
* a simple scanner is run over every negative text and over every positive
  text with its labelled spans blanked out.  It must find no public IPv4
  address (and no public IPv6 address), no Luhn-valid brand-prefixed 12-19
  digit number (plain or grouped by single spaces/dashes, delimited by
  non-word characters), and no e-mail address on a non-reserved domain.
  There are no category-specific exceptions to the scanner.
* minimum sizes: >= 1150 records, >= 600 SECRET spans, >= 200 e-mail spans,
  >= 200 IP spans, >= 80 card spans, >= 500 negatives in >= 35 categories,
  >= 300 templates, >= 30 languages, >= 40 vendor token formats.

Finally it prints a summary (record counts, spans per entity, categories,
languages, contexts, genres).
"""

import base64
import collections
import ipaddress
import json
import os
import re
import string
import sys
import unicodedata

import random

R = random.Random(262626)

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
ANL = LO + DG
ANU = UP + DG
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"


def rs(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def rsafe(chars, n):
    """Random string without 9+ consecutive digits (keeps digit scanner quiet)."""
    while True:
        s = rs(chars, n)
        if not re.search(r"\d{9}", s):
            return s


def b64(b):
    return base64.b64encode(b).decode()


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def ch(seq):
    return R.choice(seq)


# ---------------------------------------------------------------------------
# people / organisations (all invented)
# ---------------------------------------------------------------------------
NAMES = {
    "en": [
        ("James", "Carter"),
        ("Olivia", "Bennett"),
        ("Priya", "Raman"),
        ("Daniel", "Okafor"),
        ("Emily", "Hughes"),
        ("Marcus", "Lindqvist"),
        ("Hannah", "Doyle"),
        ("Tom", "Whitfield"),
        ("Grace", "Nakamura"),
        ("Samuel", "Adeyemi"),
        ("Rachel", "Moreno"),
        ("Kevin", "Baptiste"),
    ],
    "de": [
        ("Jürgen", "Müller"),
        ("Katrin", "Schäfer"),
        ("Lukas", "Becker"),
        ("Anja", "Wolff"),
        ("Felix", "Braun"),
        ("Sabine", "Krüger"),
        ("Tobias", "Hoffmann"),
        ("Miriam", "Vogel"),
    ],
    "fr": [
        ("Élodie", "Fournier"),
        ("Mathieu", "Lefèvre"),
        ("Camille", "Girard"),
        ("Hugo", "Moreau"),
        ("Inès", "Chevalier"),
        ("Baptiste", "Rousseau"),
    ],
    "es": [
        ("Lucía", "Hernández"),
        ("Javier", "Ortega"),
        ("Marta", "Ruiz"),
        ("Andrés", "Castillo"),
        ("Sofía", "Navarro"),
        ("Diego", "Márquez"),
    ],
    "pt": [("João", "Ferreira"), ("Beatriz", "Almeida"), ("Rafael", "Costa"), ("Larissa", "Gonçalves")],
    "it": [("Giulia", "Romano"), ("Matteo", "Esposito"), ("Chiara", "Ricci"), ("Lorenzo", "Galli")],
    "nl": [("Sanne", "de Vries"), ("Joris", "Bakker"), ("Femke", "Visser"), ("Bram", "Jansen")],
    "pl": [("Krzysztof", "Wiśniewski"), ("Agnieszka", "Kowalczyk"), ("Paweł", "Zieliński"), ("Marta", "Wójcik")],
    "sv": [("Erik", "Sandberg"), ("Linnea", "Holm"), ("Oskar", "Nyström")],
    "fi": [("Aino", "Virtanen"), ("Mikko", "Korhonen"), ("Eveliina", "Mäkelä")],
    "tr": [("Emre", "Yılmaz"), ("Zeynep", "Kaya"), ("Burak", "Şahin")],
    "cs": [("Tomáš", "Novák"), ("Petra", "Dvořáková"), ("Jakub", "Černý")],
    "hu": [("Bence", "Nagy"), ("Eszter", "Kovács"), ("Gábor", "Szabó")],
    "ro": [("Andrei", "Popescu"), ("Ioana", "Dumitru"), ("Mihai", "Stanciu")],
    "ru": [
        ("Дмитрий", "Соколов", "dmitry", "sokolov"),
        ("Анна", "Кузнецова", "anna", "kuznetsova"),
        ("Игорь", "Лебедев", "igor", "lebedev"),
        ("Ольга", "Морозова", "olga", "morozova"),
    ],
    "uk": [("Олена", "Шевченко", "olena", "shevchenko"), ("Тарас", "Коваленко", "taras", "kovalenko")],
    "bg": [("Георги", "Петров", "georgi", "petrov"), ("Мария", "Иванова", "maria", "ivanova")],
    "el": [("Νίκος", "Παπαδόπουλος", "nikos", "papadopoulos"), ("Ελένη", "Γεωργίου", "eleni", "georgiou")],
    "ja": [
        ("健太", "佐藤", "kenta", "sato"),
        ("美咲", "高橋", "misaki", "takahashi"),
        ("翔", "中村", "sho", "nakamura"),
    ],
    "zh": [("伟", "王", "wei", "wang"), ("晓敏", "李", "xiaomin", "li"), ("志强", "陈", "zhiqiang", "chen")],
    "ko": [("민준", "김", "minjun", "kim"), ("서연", "이", "seoyeon", "lee"), ("지훈", "박", "jihoon", "park")],
    "ar": [
        ("أحمد", "الحربي", "ahmed", "alharbi"),
        ("ليلى", "منصور", "layla", "mansour"),
        ("خالد", "العتيبي", "khaled", "alotaibi"),
    ],
    "he": [("נועה", "כהן", "noa", "cohen"), ("איתי", "לוי", "itai", "levi")],
    "fa": [("سارا", "رضایی", "sara", "rezaei"), ("علی", "محمدی", "ali", "mohammadi")],
    "hi": [("राहुल", "शर्मा", "rahul", "sharma"), ("अनन्या", "वर्मा", "ananya", "verma")],
    "bn": [("সৌমিত্র", "দাস", "soumitra", "das"), ("তানিয়া", "রহমান", "tania", "rahman")],
    "th": [("สมชาย", "ใจดี", "somchai", "jaidee"), ("ปิยะนุช", "ศรีสุข", "piyanuch", "srisuk")],
    "vi": [("Minh Anh", "Nguyễn"), ("Quốc Bảo", "Trần"), ("Thu Hà", "Lê")],
    "id": [("Budi", "Santoso"), ("Siti", "Rahayu"), ("Agus", "Pratama")],
    "ta": [("கார்த்திக்", "சுப்பிரமணியன்", "karthik", "subramanian")],
    "ur": [("عمران", "قریشی", "imran", "qureshi")],
    "sw": [("Amani", "Mwangi"), ("Neema", "Otieno")],
    "sr": [("Марко", "Јовановић", "marko", "jovanovic"), ("Јелена", "Петровић", "jelena", "petrovic")],
    "hr": [("Ivana", "Horvat"), ("Luka", "Babić")],
    "sl": [("Nina", "Kranjc"), ("Matej", "Zupan")],
    "da": [("Mette", "Jørgensen"), ("Rasmus", "Kjær")],
    "nb": [("Ingrid", "Haugen"), ("Sindre", "Bakke")],
    "sk": [("Zuzana", "Horváthová"), ("Martin", "Kučera")],
    "ca": [("Jordi", "Puig"), ("Montserrat", "Vidal")],
    "et": [("Kristjan", "Tamm"), ("Liis", "Saar")],
    "lt": [("Tomas", "Kazlauskas"), ("Rūta", "Jankauskienė")],
    "lv": [("Jānis", "Bērziņš"), ("Ilze", "Kalniņa")],
    "ms": [("Aiman", "Hakimi"), ("Nurul", "Aisyah")],
    "tl": [("Miguel", "Dela Cruz"), ("Andrea", "Santos")],
}
WEBMAIL = {
    "de": ["gmx.de", "web.de", "t-online.de", "posteo.de"],
    "fr": ["orange.fr", "free.fr", "laposte.net"],
    "es": ["telefonica.net", "hotmail.es"],
    "it": ["libero.it", "virgilio.it"],
    "pt": ["sapo.pt", "uol.com.br"],
    "ru": ["yandex.ru", "mail.ru"],
    "uk": ["ukr.net", "i.ua"],
    "ja": ["yahoo.co.jp", "docomo.ne.jp"],
    "zh": ["qq.com", "163.com", "126.com"],
    "ko": ["naver.com", "daum.net"],
    "pl": ["wp.pl", "onet.pl", "o2.pl"],
    "cs": ["seznam.cz", "centrum.cz"],
    "tr": ["yandex.com.tr"],
    "nl": ["ziggo.nl", "kpnmail.nl"],
    "sv": ["telia.se", "bredband.net"],
    "fi": ["elisanet.fi"],
    "hu": ["freemail.hu", "citromail.hu"],
    "in": ["rediffmail.com"],
    "hi": ["rediffmail.com"],
}
GENERIC_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "hotmail.com", "fastmail.com"]
ROOTS = [
    "nordwind",
    "bluepeak",
    "kestrel",
    "orbitale",
    "sunhaven",
    "vantaflow",
    "tidewater",
    "ferrocraft",
    "lumenbyte",
    "copperleaf",
    "stillwater",
    "quartzline",
    "brightforge",
    "halcyonia",
    "mosaiqa",
    "pinegrove",
    "redfinch",
    "silverbirch",
    "terranovix",
    "zephyrion",
    "alderbank",
    "marlowe",
    "ostrava-soft",
    "kiboko",
    "sakuragi",
    "hanul",
    "lotusbridge",
    "andesia",
    "fjordline",
    "volantis",
    "aurelian",
    "baltica",
]
SUFFIX = ["", "-labs", "-group", "tech", "-studio", "-health", "-systems", "-logistics", "soft", "-bank", "-media"]
TLDS = [
    ".com",
    ".io",
    ".de",
    ".fr",
    ".co.uk",
    ".es",
    ".it",
    ".nl",
    ".pl",
    ".com.br",
    ".co.jp",
    ".ru",
    ".se",
    ".cz",
    ".com.tr",
    ".in",
    ".vn",
    ".co.kr",
    ".net",
    ".org",
    ".ch",
    ".at",
    ".com.au",
    ".ca",
    ".mx",
    ".id",
    ".eu",
    ".dev",
]
CITIES = [
    "Leipzig",
    "Lyon",
    "Porto",
    "Gdańsk",
    "Osaka",
    "Busan",
    "Pune",
    "Cluj",
    "Tampere",
    "Izmir",
    "Brno",
    "Valencia",
    "Bologna",
    "Utrecht",
    "Göteborg",
    "Curitiba",
    "Mombasa",
    "Da Nang",
    "Chiang Mai",
    "Haifa",
]
PROJECTS = [
    "atlas",
    "billing-svc",
    "orion",
    "checkout",
    "ledger",
    "harbor",
    "pipeline",
    "webshop",
    "crm-sync",
    "inventory",
    "payroll",
    "notify",
    "gateway",
    "reports",
    "mobile-api",
    "search",
    "auth-service",
]


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = (
        s.replace("æ", "ae")
        .replace("ø", "o")
        .replace("ł", "l")
        .replace("Ł", "L")
        .replace("ı", "i")
        .replace("ß", "ss")
        .replace("đ", "d")
        .replace("Đ", "D")
    )
    return re.sub(r"[^a-z]", "", s.lower())


def person(ctx):
    if "person" not in ctx:
        pool = NAMES.get(ctx["lang"], NAMES["en"])
        p = ch(pool)
        if len(p) == 2:
            p = (p[0], p[1], fold(p[0]), fold(p[1]))
        ctx["person"] = p
    return ctx["person"]


def second_person(ctx):
    if "person2" not in ctx:
        pool = NAMES.get(ctx["lang"], NAMES["en"])
        first = person(ctx)[0]
        p = ch([q for q in pool if q[0] != first] or pool)
        if len(p) == 2:
            p = (p[0], p[1], fold(p[0]), fold(p[1]))
        ctx["person2"] = p
    return ctx["person2"]


def org_domain(ctx):
    if "dom" not in ctx:
        ctx["dom"] = ch(ROOTS) + ch(SUFFIX) + ch(TLDS)
    return ctx["dom"]


# ---------------------------------------------------------------------------
# generator registry
# ---------------------------------------------------------------------------
GENS = {}
VENDOR = set()


def gen(name, entity=None, vendor=False):
    def deco(f):
        assert name not in GENS, name
        GENS[name] = (f, entity)
        if vendor:
            VENDOR.add(name)
        return f

    return deco


def simple(name, entity, fn, vendor=False):
    gen(name, entity, vendor)(lambda ctx: fn())


# ---- fillers (unlabelled) ---------------------------------------------------
gen("first")(lambda c: person(c)[0])
gen("last")(lambda c: person(c)[1])
gen("name")(
    lambda c: (person(c)[1] + person(c)[0]) if c["lang"] in ("zh", "ja", "ko") else (person(c)[0] + " " + person(c)[1])
)
gen("name2")(
    lambda c: (
        (second_person(c)[1] + second_person(c)[0])
        if c["lang"] in ("zh", "ja", "ko")
        else (second_person(c)[0] + " " + second_person(c)[1])
    )
)
gen("last2")(lambda c: second_person(c)[1])
gen("first2")(lambda c: second_person(c)[0])
gen("user")(
    lambda c: ch(
        [
            person(c)[2][0] + person(c)[3],
            person(c)[2] + "." + person(c)[3],
            person(c)[2],
            person(c)[3] + str(R.randint(1, 99)),
        ]
    )
)
gen("svcuser")(
    lambda c: ch(
        [
            "deploy",
            "svc_backup",
            "app_rw",
            "etl_loader",
            "ci-bot",
            "jenkins",
            "replicator",
            "grafana_ro",
            "api_user",
            "root",
            "admin",
            "postgres",
            "sa",
            "webadmin",
        ]
    )
)
gen("dom")(lambda c: org_domain(c))
gen("host")(
    lambda c: (
        ch(["api", "db", "cache", "mq", "git", "ci", "vpn", "files", "auth", "mail", "search"])
        + ch(["", "-prod", "-stg", "-01", "-eu", "-2"])
        + "."
        + org_domain(c)
    )
)
gen("ihost")(
    lambda c: (
        ch(["db", "redis", "pg", "mongo", "rabbit", "es", "kafka"])
        + "-"
        + str(R.randint(1, 9))
        + "."
        + ch(["internal", "svc.cluster.local", "lan", "corp.local", "prod.local"])
    )
)
gen("city")(lambda c: ch(CITIES))
gen("proj")(lambda c: ch(PROJECTS))
gen("num")(lambda c: str(R.randint(2, 999)))
gen("num4")(lambda c: str(R.randint(1000, 9999)))
gen("port")(lambda c: str(ch([22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9000, 27017, 5672, 9200, 2222, 8000])))
gen("pct")(lambda c: str(R.randint(1, 99)))
gen("date")(lambda c: "20%02d-%02d-%02d" % (R.randint(19, 25), R.randint(1, 12), R.randint(1, 28)))
gen("time")(lambda c: "%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)))
gen("hm")(lambda c: "%02d:%02d" % (R.randint(7, 22), R.randint(0, 59)))
gen("ts")(
    lambda c: (
        "20%02d-%02d-%02dT%02d:%02d:%02d.%03dZ"
        % (
            R.randint(21, 25),
            R.randint(1, 12),
            R.randint(1, 28),
            R.randint(0, 23),
            R.randint(0, 59),
            R.randint(0, 59),
            R.randint(0, 999),
        )
    )
)
gen("epoch")(lambda c: str(R.randint(1600000000, 1760000000)))
gen("uuid")(lambda c: "%s-%s-4%s-%s%s-%s" % (rs(HEX, 8), rs(HEX, 4), rs(HEX, 3), ch("89ab"), rs(HEX, 3), rs(HEX, 12)))
gen("sha7")(lambda c: rsafe(HEX, 7))
gen("sha40")(lambda c: rsafe(HEX, 40))
gen("sha64")(lambda c: rsafe(HEX, 64))
gen("md5")(lambda c: rsafe(HEX, 32))
gen("ver")(lambda c: "%d.%d.%d" % (R.randint(0, 9), R.randint(0, 30), R.randint(0, 40)))
gen("ms")(lambda c: str(R.randint(3, 2500)))
gen("bytes")(lambda c: str(R.randint(120, 98000)))
gen("status")(lambda c: ch(["200", "200", "201", "204", "301", "304", "400", "401", "403", "404", "500", "502"]))
gen("amount")(lambda c: "%d.%02d" % (R.randint(3, 2400), R.randint(0, 99)))
gen("ticket")(lambda c: ch(["INC", "OPS", "SUP", "SEC", "HD", "IT"]) + "-" + str(R.randint(1000, 99999)))
gen("ordno")(
    lambda c: ch(["ORD", "INV", "SO", "PO", "RE"]) + "-" + str(R.randint(10, 99)) + "-" + str(R.randint(100000, 999999))
)
gen("last4")(lambda c: str(R.randint(1000, 9999)))
gen("mac")(lambda c: ":".join("%02x" % R.randrange(256) for _ in range(6)))
gen("pid")(lambda c: str(R.randint(300, 65000)))
gen("path")(
    lambda c: ch(
        [
            "/api/v1/orders",
            "/api/v2/users/me",
            "/login",
            "/checkout/confirm",
            "/health",
            "/graphql",
            "/static/app.js",
            "/v1/payments",
            "/admin/settings",
            "/oauth/token",
            "/api/v1/reports?from=2024-01-01",
            "/favicon.ico",
            "/metrics",
            "/search?q=boots",
        ]
    )
)
gen("method")(lambda c: ch(["GET", "GET", "POST", "PUT", "DELETE", "PATCH"]))
gen("ua")(
    lambda c: ch(
        [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "curl/8.5.0",
            "python-requests/2.31.0",
            "okhttp/4.12.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
            "Go-http-client/2.0",
            "PostmanRuntime/7.36.1",
        ]
    )
)
gen("region")(
    lambda c: ch(["eu-central-1", "us-east-1", "eu-west-1", "ap-northeast-1", "us-west-2", "ap-south-1", "sa-east-1"])
)
gen("bucket")(
    lambda c: (
        ch(PROJECTS) + "-" + ch(["assets", "backups", "logs", "exports", "uploads"]) + "-" + str(R.randint(10, 99))
    )
)
gen("dbname")(lambda c: ch(["shop", "app_prod", "analytics", "crm", "wordpress", "billing", "keycloak", "gitea"]))
gen("acct")(lambda c: str(R.randint(100000000000, 999999999999)))  # AWS account id, 12 digits
gen("phone")(
    lambda c: (
        "+%d %d %d %d"
        % (ch([33, 34, 39, 44, 48, 49, 81, 82, 90]), R.randint(10, 99), R.randint(100, 999), R.randint(1000, 9999))
    )
)


# ---- private / special IPs (unlabelled) ------------------------------------
def priv_ip():
    k = R.randrange(3)
    if k == 0:
        return "10.%d.%d.%d" % (R.randrange(256), R.randrange(256), R.randint(1, 254))
    if k == 1:
        return "172.%d.%d.%d" % (R.randint(16, 31), R.randrange(256), R.randint(1, 254))
    return "192.168.%d.%d" % (R.randrange(256), R.randint(1, 254))


simple("pip", None, priv_ip)
simple("loopip", None, lambda: ch(["127.0.0.1", "127.0.1.1", "127.0.0.53", "::1", "0.0.0.0"]))
simple("llip", None, lambda: "169.254.%d.%d" % (R.randint(0, 255), R.randint(1, 254)))
simple("cgnat", None, lambda: "100.%d.%d.%d" % (R.randint(64, 127), R.randrange(256), R.randint(1, 254)))
simple(
    "mcast", None, lambda: "%d.%d.%d.%d" % (R.randint(224, 239), R.randrange(256), R.randrange(256), R.randint(1, 254))
)
simple("docip", None, lambda: ch(["192.0.2.", "198.51.100.", "203.0.113."]) + str(R.randint(1, 254)))
simple("docip6", None, lambda: "2001:db8:%x:%x::%x" % (R.randrange(65536), R.randrange(65536), R.randint(1, 65535)))
simple(
    "ula6",
    None,
    lambda: "fd%02x:%x:%x::%x" % (R.randrange(256), R.randrange(65536), R.randrange(65536), R.randint(1, 65535)),
)
simple("ll6", None, lambda: "fe80::%x:%x:%x:%x" % tuple(R.randrange(65536) for _ in range(4)))


# ---- labelled: IPs ---------------------------------------------------------
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def is_public_ip(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return False
    return a.is_global and not a.is_multicast and not any(a in n for n in DOC_NETS if n.version == a.version)


def pub_ip4():
    while True:
        s = "%d.%d.%d.%d" % (R.randint(1, 223), R.randrange(256), R.randrange(256), R.randint(1, 254))
        if is_public_ip(s):
            return s


V6P = [
    "2a01:4f8",
    "2001:41d0",
    "2a00:1450",
    "2606:4700",
    "2400:cb00",
    "2a02:26f0",
    "2604:a880",
    "2a03:2880",
    "2a05:d014",
    "2600:1f18",
    "2406:da18",
    "2a0c:5a80",
    "240e:3b7",
    "2804:14c",
    "2c0f:f4c0",
]


def pub_ip6():
    while True:
        groups = V6P[R.randrange(len(V6P))].split(":")
        while len(groups) < 8:
            groups.append("%x" % (R.randrange(65536) if R.random() < 0.7 else 0))
        a = ipaddress.ip_address(":".join(groups))
        s = a.compressed if R.random() < 0.85 else a.exploded
        if is_public_ip(s):
            return s


simple("ip4", "IP_ADDRESS", pub_ip4)
simple("ip6", "IP_ADDRESS", pub_ip6)
simple("ip", "IP_ADDRESS", lambda: pub_ip6() if R.random() < 0.2 else pub_ip4())


# ---- labelled: e-mails -----------------------------------------------------
def local_part(p):
    f, l = p[2], p[3]
    return ch(
        [
            f + "." + l,
            f[0] + l,
            f + l[0],
            f + str(R.randint(1, 99)),
            l + "." + f,
            f + "_" + l,
            f + "-" + l[:3],
            f + "." + l + str(R.randint(70, 99)),
        ]
    )


gen("email", "EMAIL_ADDRESS")(lambda c: local_part(person(c)) + "@" + ch(WEBMAIL.get(c["lang"], []) + GENERIC_MAIL))
gen("email2", "EMAIL_ADDRESS")(
    lambda c: local_part(second_person(c)) + "@" + ch(WEBMAIL.get(c["lang"], []) + GENERIC_MAIL)
)
gen("wemail", "EMAIL_ADDRESS")(lambda c: local_part(person(c)) + "@" + org_domain(c))
gen("wemail2", "EMAIL_ADDRESS")(lambda c: local_part(second_person(c)) + "@" + org_domain(c))
gen("remail", "EMAIL_ADDRESS")(
    lambda c: (
        ch(
            [
                "billing",
                "support",
                "security",
                "hr",
                "info",
                "kontakt",
                "ops",
                "noc",
                "sales",
                "careers",
                "privacy",
                "helpdesk",
                "dpo",
                "accounts",
            ]
        )
        + "@"
        + org_domain(c)
    )
)


def rand_person_email(c):
    pool = ch(list(NAMES.values()))
    p = ch(pool)
    if len(p) == 2:
        p = (p[0], p[1], fold(p[0]), fold(p[1]))
    return local_part(p) + "@" + ch(GENERIC_MAIL + sum(WEBMAIL.values(), []) + [ch(ROOTS) + ch(TLDS)])


gen("remail_any", "EMAIL_ADDRESS")(rand_person_email)
gen("saemail", "EMAIL_ADDRESS")(
    lambda c: (
        ch(["terraform", "ci-deployer", "bq-export", "gke-nodes", "backup-job"])
        + "@"
        + ch(PROJECTS)
        + "-"
        + str(R.randint(100000, 999999))
        + ".iam.gserviceaccount.com"
    )
)

# reserved-domain e-mails (unlabelled)
gen("xemail")(
    lambda c: (
        local_part(person(c))
        + "@"
        + ch(
            [
                "example.com",
                "example.org",
                "example.net",
                "mail.example.com",
                "corp.example",
                "shop.test",
                "nowhere.invalid",
                "dev.localhost",
                "example.co.example",
                "staging.example.org",
            ]
        )
    )
)


# ---- labelled: credit cards ------------------------------------------------
def luhn_ok(d):
    tot = 0
    for i, ch_ in enumerate(reversed(d)):
        n = int(ch_)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        tot += n
    return tot % 10 == 0


def luhn_complete(prefix, length):
    body = prefix + "".join(R.choice(DG) for _ in range(length - len(prefix) - 1))
    for d in DG:
        if luhn_ok(body + d):
            return body + d


BRANDS = {  # brand: (prefix generator, lengths)
    "visa": (lambda: "4", [16, 16, 16, 13, 19]),
    "mc": (lambda: ch(["5" + str(R.randint(1, 5)), str(R.randint(2221, 2720))]), [16]),
    "amex": (lambda: ch(["34", "37"]), [15]),
    "discover": (lambda: ch(["6011", "65", str(R.randint(644, 649))]), [16]),
    "jcb": (lambda: str(R.randint(3528, 3589)), [16]),
    "diners": (lambda: ch(["36", "30" + str(R.randint(0, 5))]), [14]),
    "unionpay": (lambda: "62" + str(R.randint(0, 9)), [16, 19]),
}


def brand_of(d):
    n = len(d)
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if n == 16 and (51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720):
        return "mc"
    if n == 15 and d[:2] in ("34", "37"):
        return "amex"
    if 16 <= n <= 19 and (d[:4] == "6011" or d[:2] == "65" or 644 <= int(d[:3]) <= 649):
        return "discover"
    if 16 <= n <= 19 and 3528 <= int(d[:4]) <= 3589:
        return "jcb"
    if 14 <= n <= 19 and (d[:2] in ("36", "38", "39") or 300 <= int(d[:3]) <= 305):
        return "diners"
    if 16 <= n <= 19 and d[:2] == "62":
        return "unionpay"
    return None


def scanner_brand(d):
    """Stricter than brand_of: also counts Maestro-like ranges (12-19 digits)."""
    if brand_of(d):
        return True
    return 12 <= len(d) <= 19 and (d[:2] in ("50", "56", "57", "58") or d[0] == "6")


def fmt_card(d, style=None):
    style = style or ch(["plain", "space", "space", "dash"])
    if style == "plain":
        return d
    sep = " " if style == "space" else "-"
    n = len(d)
    if n == 15:
        groups = [4, 6, 5]
    elif n == 14:
        groups = [4, 6, 4]
    elif n == 13:
        groups = [4, 4, 5]
    elif n == 19:
        groups = [4, 4, 4, 4, 3]
    else:
        groups = [4, 4, 4, 4]
    out, i = [], 0
    for g in groups:
        out.append(d[i : i + g])
        i += g
    return sep.join(out)


def card(brand=None, style=None):
    brand = brand or ch(["visa", "visa", "visa", "mc", "mc", "amex", "discover", "jcb", "diners", "unionpay"])
    pfx, lens = BRANDS[brand]
    d = luhn_complete(pfx(), ch(lens))
    assert brand_of(d), d
    return fmt_card(d, style)


simple("card", "CREDIT_CARD", card)
simple("cardv", "CREDIT_CARD", lambda: card("visa"))
simple("cardm", "CREDIT_CARD", lambda: card("mc"))
simple("carda", "CREDIT_CARD", lambda: card("amex"))
simple("cardp", "CREDIT_CARD", lambda: card(style="plain"))
gen("exp")(lambda c: "%02d/%02d" % (R.randint(1, 12), R.randint(25, 31)))
gen("cvv")(lambda c: str(R.randint(100, 999)))


def bad_card():
    brand = ch(["visa", "visa", "mc", "amex", "discover"])
    pfx, lens = BRANDS[brand]
    d = luhn_complete(pfx(), ch([l for l in lens if l != 13 and l != 19] or lens))
    d = d[:-1] + str((int(d[-1]) + ch([1, 3, 5, 7])) % 10)
    assert not luhn_ok(d)
    return fmt_card(d)


simple("badcard", None, bad_card)
simple(
    "maskcard",
    None,
    lambda: (
        ch(
            [
                "**** **** **** ",
                "XXXX-XXXX-XXXX-",
                "•••• •••• •••• ",
                "************",
                "4*** **** **** ",
                "5xxx-xxxx-xxxx-",
                "37XX XXXXXX X",
            ]
        )
        + str(R.randint(1000, 9999))
    ),
)
simple(
    "track",
    None,
    lambda: ch(
        [
            "1Z" + rs(ANU, 16),
            "JD0" + str(R.randint(10**16, 10**17 - 1)),
            str(R.randint(7, 9)) + str(R.randint(10**10, 10**11 - 1)),
            "RR" + str(R.randint(10**8, 10**9 - 1)) + "DE",
        ]
    ),
)
simple(
    "isbn",
    None,
    lambda: "978-%d-%d-%d-%d" % (R.randint(0, 9), R.randint(100, 999), R.randint(10000, 99999), R.randint(0, 9)),
)


# ---- labelled: passwords and generic secrets --------------------------------
WORDS = [
    "harbor",
    "violet",
    "granite",
    "pepper",
    "orbit",
    "maple",
    "cobalt",
    "lantern",
    "walrus",
    "saffron",
    "thunder",
    "meadow",
    "quartz",
    "falcon",
    "ember",
    "juniper",
    "canyon",
    "biscuit",
    "nebula",
    "otter",
    "tundra",
    "marble",
    "cactus",
    "glacier",
    "pixel",
    "rocket",
    "mango",
    "willow",
    "dragon",
    "copper",
    "velvet",
    "prism",
    "kettle",
]
PW_MID = "_-*+=!%&^~.$"
PW_MID_URL = "_-.~!*"


def pw_ok(p):
    classes = sum([any(c.islower() for c in p), any(c.isupper() for c in p), any(c.isdigit() for c in p)])
    return (
        len(p) >= 8
        and p[0].isalnum()
        and p[-1] not in ".,!?:;"
        and classes >= 2
        and "example" not in p.lower()
        and "EXAMPLE" not in p
    )


def password(urlsafe=False):
    mid = PW_MID_URL if urlsafe else PW_MID
    while True:
        k = R.randrange(5)
        if k == 0:
            p = rs(AN, 1) + "".join(R.choice(AN + mid) for _ in range(R.randint(9, 18))) + rs(AN, 1)
        elif k == 1:
            p = ch(WORDS).capitalize() + ch(mid) + str(R.randint(10, 9999)) + ch(WORDS) + rs(UP + DG, 2)
        elif k == 2:
            p = rs(AN, R.randint(12, 24))
        elif k == 3:
            w = ch(WORDS)
            p = (
                w[0].upper()
                + w[1:].replace("o", "0").replace("a", "4").replace("e", "3")
                + ch(mid)
                + rs(AN, R.randint(4, 7))
            )
        else:
            p = rs(LO, 3) + rs(DG, 2) + ch(mid) + rs(UP, 2) + rs(AN, R.randint(3, 8))
        if pw_ok(p) and not re.search(r"\d{7}", p):
            return p


def passphrase():
    sep = ch(["-", "_", ".", " ", "+"])
    ws = [ch(WORDS) for _ in range(R.randint(3, 5))]
    if R.random() < 0.5:
        ws = [w.capitalize() for w in ws]
    ws.insert(R.randrange(1, len(ws) + 1), str(R.randint(2, 999)))
    return sep.join(ws)


simple("pw", "SECRET", password)
simple("pwu", "SECRET", lambda: password(True))
simple("phrase", "SECRET", passphrase)
simple(
    "pin",
    "SECRET",
    lambda: ch([rs(UP, 2) + rs(DG, 2) + rs(UP + DG, 3), rs(DG, 2) + rs(LO, 2) + rs(ANL, 3), rs(UP, 3) + rs(DG, 3)]),
)
simple("psk", "SECRET", lambda: password() if R.random() < 0.6 else passphrase())
simple("hex32", "SECRET", lambda: rsafe(HEX, 32))
simple("hex40", "SECRET", lambda: rsafe(HEX, 40))
simple("hex64", "SECRET", lambda: rsafe(HEX, 64))
simple("tok", "SECRET", lambda: rsafe(B64U, R.randint(32, 48)).lstrip("-_") + rs(AN, 2))
simple("tok_an", "SECRET", lambda: rsafe(AN, R.randint(24, 40)))
simple("b64key", "SECRET", lambda: b64(rbytes(ch([32, 32, 48, 64]))))
simple(
    "django",
    "SECRET",
    lambda: (
        "django-insecure-" + rs(LO + DG + "!@$%^&*(-_=+)", 50)
        if R.random() < 0.3
        else rs(AN, 1) + rs(LO + DG + "!$%^&*(-_=+)", 48) + rs(AN, 1)
    ),
)
simple("cookie", "SECRET", lambda: rsafe(ANL, 32))
simple("sesstok", "SECRET", lambda: "s%3A" + rsafe(B64U, 32) + "." + rsafe(AN, 43))
gen("basic", "SECRET")(lambda c: b64(("%s:%s" % (ch(["admin", "api", "deploy", person(c)[2]]), password())).encode()))
simple("k8sb64", "SECRET", lambda: b64(password().encode()))


def jwt(payload=None):
    hdr = ch(
        [
            {"alg": "HS256", "typ": "JWT"},
            {"alg": "RS256", "typ": "JWT", "kid": rs(AN, 16)},
            {"typ": "JWT", "alg": "HS512"},
        ]
    )
    pl = payload or {
        "sub": str(R.randint(1000, 999999)),
        "name": ch(["svc", "admin", "mobile", "worker"]),
        "iat": R.randint(1600000000, 1750000000),
        "exp": R.randint(1750000000, 1800000000),
        "scope": ch(["read write", "admin", "orders:write", "offline_access"]),
    }
    sig = rbytes(ch([32, 64, 256 // 8]))
    return (
        b64u(json.dumps(hdr, separators=(",", ":")).encode())
        + "."
        + b64u(json.dumps(pl, separators=(",", ":")).encode())
        + "."
        + b64u(sig)
    )


simple("jwt", "SECRET", jwt)
simple(
    "sbjwt",
    "SECRET",
    lambda: jwt(
        {
            "iss": "supabase",
            "ref": rs(LO, 20),
            "role": "service_role",
            "iat": R.randint(1600000000, 1700000000),
            "exp": R.randint(1900000000, 2000000000),
        }
    ),
    vendor=True,
)


def pem_body(nbytes):
    s = b64(rbytes(nbytes))
    return "\n".join(s[i : i + 64] for i in range(0, len(s), 64))


def privkey(kind=None):
    kind = kind or ch(["RSA", "RSA", "EC", "OPENSSH", "PKCS8", "DSA", "ENCRYPTED"])
    if kind == "RSA":
        return (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE"
            + pem_body(R.randint(500, 1100))[4:]
            + "\n-----END RSA PRIVATE KEY-----"
        )
    if kind == "EC":
        return "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI" + pem_body(112)[9:] + "\n-----END EC PRIVATE KEY-----"
    if kind == "OPENSSH":
        return (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
            + pem_body(R.randint(250, 350))
            + "\n-----END OPENSSH PRIVATE KEY-----"
        )
    if kind == "DSA":
        return (
            "-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQ" + pem_body(420)[14:] + "\n-----END DSA PRIVATE KEY-----"
        )
    if kind == "ENCRYPTED":
        return (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI"
            + pem_body(R.randint(600, 1000))[46:]
            + "\n-----END ENCRYPTED PRIVATE KEY-----"
        )
    return (
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
        + pem_body(R.randint(600, 1100))[32:]
        + "\n-----END PRIVATE KEY-----"
    )


simple("privkey", "SECRET", privkey)
simple("rsakey", "SECRET", lambda: privkey("RSA"))
simple("sshkey", "SECRET", lambda: privkey("OPENSSH"))
simple("eckey", "SECRET", lambda: privkey("EC"))
simple("pkjson", "SECRET", lambda: privkey("PKCS8").replace("\n", "\\n"))

# ---- labelled: vendor formats (random bodies) ---------------------------------
V = lambda name, fn: simple(name, "SECRET", fn, vendor=True)
V("akid", lambda: "AKIA" + rsafe(ANU.replace("0", ""), 16))
V("asia", lambda: "ASIA" + rsafe(ANU, 16))
V("awssk", lambda: rs(AN, 1) + rsafe(AN + "/+", 38) + rs(AN, 1))
V("ghp", lambda: "ghp_" + rsafe(AN, 36))
V("gho", lambda: "gho_" + rsafe(AN, 36))
V("ghs", lambda: "ghs_" + rsafe(AN, 36))
V("ghu", lambda: "ghu_" + rsafe(AN, 36))
V("ghr", lambda: "ghr_" + rsafe(AN, 76))
V("ghfg", lambda: "github_pat_11" + rsafe(ANU, 20) + "_" + rsafe(AN, 59))
V("glpat", lambda: "glpat-" + rsafe(AN + "-_", 20))
V("glrt", lambda: "glrt-" + rsafe(AN + "-_", 20))
V("xoxb", lambda: "xoxb-%d-%d-%s" % (R.randint(10**10, 10**12), R.randint(10**10, 10**12), rsafe(AN, 24)))
V(
    "xoxp",
    lambda: (
        "xoxp-%d-%d-%d-%s"
        % (R.randint(10**10, 10**12), R.randint(10**10, 10**12), R.randint(10**10, 10**12), rsafe(HEX, 32))
    ),
)
V("xapp", lambda: "xapp-1-A%s-%d-%s" % (rs(ANU, 10), R.randint(10**12, 10**13), rsafe(HEX, 64)))
V("slackhook", lambda: "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(ANU, 8), rs(ANU, 10), rsafe(AN, 24)))
V("sklive", lambda: "sk_live_" + rsafe(AN, ch([24, 99])))
V("sktest", lambda: "sk_test_" + rsafe(AN, ch([24, 99])))
V("rklive", lambda: "rk_live_" + rsafe(AN, 24))
V("whsec", lambda: "whsec_" + rsafe(AN, 32))
V("aiza", lambda: "AIza" + rsafe(AN + "-_", 35))
V("gocspx", lambda: "GOCSPX-" + rsafe(AN + "-_", 28))
V(
    "openai",
    lambda: ch(
        [
            "sk-proj-" + rsafe(AN + "-_", 124) + rs(AN, 2),
            "sk-" + rsafe(AN, 20) + "T3BlbkFJ" + rsafe(AN, 20),
            "sk-svcacct-" + rsafe(AN + "-_", 90) + rs(AN, 2),
        ]
    ),
)
V("anthropic", lambda: "sk-ant-api03-" + rsafe(AN + "-_", 93) + "AA")
V("sendgrid", lambda: "SG." + rsafe(AN + "-_", 22) + "." + rsafe(AN + "-_", 43))
V("mailgun", lambda: "key-" + rsafe(HEX, 32))
V("mailchimp", lambda: rsafe(HEX, 32) + "-us" + str(R.randint(1, 21)))
V("npm", lambda: "npm_" + rsafe(AN, 36))
V("pypi", lambda: "pypi-AgEIcHlwaS5vcmc" + rsafe(AN + "-_", R.randint(60, 160)))
V("dckr", lambda: "dckr_pat_" + rsafe(AN + "-_", 27))
V("dop", lambda: "dop_v1_" + rsafe(HEX, 64))
V("shpat", lambda: ch(["shpat_", "shpca_", "shppa_", "shpss_"]) + rsafe(HEX, 32))
V(
    "discord",
    lambda: (
        b64(str(R.randint(10**17, 10**18)).encode()).rstrip("=") + "." + rs(AN + "-_", 6) + "." + rsafe(AN + "-_", 38)
    ),
)
V("telegram", lambda: "%d:AA%s" % (R.randint(10**8, 10**10), rsafe(AN + "-_", 33)))
V("hvs", lambda: "hvs." + rsafe(AN + "_-", 90))
V("tfc", lambda: rsafe(AN, 14) + ".atlasv1." + rsafe(AN, 67))
V("azkey", lambda: b64(rbytes(64)))
V("nrak", lambda: "NRAK-" + rsafe(ANU, 27))
V("sntryu", lambda: "sntryu_" + rsafe(HEX, 64))
V("linear", lambda: "lin_api_" + rsafe(AN, 40))
V("notion", lambda: ch(["secret_" + rsafe(AN, 43), "ntn_" + rsafe(AN, 46)]))
V("airtable", lambda: "pat" + rsafe(AN, 14) + "." + rsafe(HEX, 64))
V("figma", lambda: "figd_" + rsafe(AN + "-_", 40))
V("postman", lambda: "PMAK-" + rsafe(HEX, 24) + "-" + rsafe(HEX, 34))
V("atlassian", lambda: "ATATT3xFfGF0" + rsafe(AN + "-_", 170) + "=" + rsafe(ANU, 8))
V("glsa", lambda: "glsa_" + rsafe(AN, 32) + "_" + rsafe(HEX, 8))
V("hf", lambda: "hf_" + rsafe(UP + LO, 34))
V("replicate", lambda: "r8_" + rsafe(AN, 37))
V("groq", lambda: "gsk_" + rsafe(AN, 52))
V("doppler", lambda: "dp.pt." + rsafe(AN, 43))
V("pulumi", lambda: "pul-" + rsafe(HEX, 40))
V("agekey", lambda: "AGE-SECRET-KEY-1" + rsafe("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58))
V("square", lambda: ch(["EAAA" + rsafe(AN + "-_", 60), "sq0csp-" + rsafe(AN + "-_", 43)]))
V("braintree", lambda: "access_token$production$" + rs(ANL, 16) + "$" + rsafe(HEX, 32))
V("mapboxsk", lambda: "sk.eyJ1Ijoi" + rsafe(AN, 30) + "." + rsafe(AN + "-_", 22))
V("okta", lambda: "00" + rsafe(AN + "-_", 40))
V("dapi", lambda: "dapi" + rsafe(HEX, 32))
V("dropbox", lambda: "sl." + rsafe(AN + "-_", 135))
V("fbtok", lambda: "EAA" + rs(UP, 1) + rsafe(AN, R.randint(150, 190)))
V("atbb", lambda: "ATBB" + rsafe(AN, 32))
V("netlify", lambda: "nfp_" + rsafe(AN, 40))
V("sbp", lambda: "sbp_" + rsafe(HEX, 40))
V("pscale", lambda: "pscale_pw_" + rsafe(AN + "-_", 43))
V("contentful", lambda: "CFPAT-" + rsafe(AN + "-_", 43))
V("shippo", lambda: "shippo_live_" + rsafe(HEX, 40))
V("aio", lambda: "aio_" + rsafe(AN, 28))
V("clojars", lambda: "CLOJARS_" + rsafe(HEX, 60))
V("rubygems", lambda: "rubygems_" + rsafe(HEX, 48))
V("nuget", lambda: "oy2" + rsafe(ANL, 43))
V("ltai", lambda: "LTAI" + rsafe(AN, 20))
V("akidtc", lambda: "AKID" + rsafe(AN, 32))
V("twilio", lambda: rsafe(HEX, 32))
V("ddkey", lambda: rsafe(HEX, 32))
V("herokukey", lambda: "%s-%s-%s-%s-%s" % (rs(HEX, 8), rs(HEX, 4), rs(HEX, 4), rs(HEX, 4), rs(HEX, 12)))
V("fcm", lambda: "AAAA" + rsafe(AN + "-_", 7) + ":APA91b" + rsafe(AN + "-_", 134))
V("cfapi", lambda: rsafe(AN + "-_", 40))
V("flw", lambda: "FLWSECK-" + rsafe(HEX, 32) + "-X")
V("tfp", lambda: "tfp_" + rsafe(AN, 44) + "_" + rsafe(AN, 14))
V("lokalise", lambda: rsafe(HEX, 40))


# ---- unlabelled look-alikes (hard negatives) ---------------------------------
simple("pklive", None, lambda: "pk_live_" + rsafe(AN, ch([24, 99])))
simple("pktest", None, lambda: "pk_test_" + rsafe(AN, ch([24, 99])))
simple("mapboxpk", None, lambda: "pk.eyJ1IjoiJ" + rsafe(AN, 40) + "." + rsafe(AN + "-_", 22))
simple("gclient", None, lambda: "%d-%s.apps.googleusercontent.com" % (R.randint(10**11, 10**12 - 1), rsafe(ANL, 32)))
simple("recaptcha", None, lambda: "6L" + rs("cdefABCDEF", 1) + rsafe(AN + "-_", 37))
simple("akidex", None, lambda: ch(["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE", "AKIA" + rs(ANU, 9) + "EXAMPLE"]))
simple(
    "awsskex",
    None,
    lambda: ch(
        [
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            rs(AN, 10) + "/" + rs(AN, 19) + "EXAMPLEKEY",
        ]
    ),
)
simple(
    "placeholder",
    None,
    lambda: ch(
        [
            "your_api_key_here",
            "<YOUR_TOKEN>",
            "YOUR_SECRET_KEY",
            "xxxxxxxxxxxxxxxxxxxx",
            "<insert-password>",
            "REPLACE_ME",
            "********",
            "${API_TOKEN}",
            "{{ api_token }}",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "<password>",
            "your-password",
            "%YOUR_KEY%",
            "TODO",
            "[REDACTED]",
            "<redacted>",
            "xoxb-your-bot-token",
            "your_secret_here",
            "<paste token here>",
            "...",
        ]
    ),
)
simple(
    "envref",
    None,
    lambda: ch(
        [
            "${DB_PASSWORD}",
            "$SECRET_KEY",
            "%(DB_PASS)s",
            "${{ secrets.DEPLOY_TOKEN }}",
            'os.environ["API_KEY"]',
            "process.env.STRIPE_SECRET",
            'env("APP_KEY")',
            "${env:GITHUB_TOKEN}",
            "%env(APP_SECRET)%",
            "{{ vault_db_password }}",
            'ENV.fetch("SMTP_PASSWORD")',
            'System.getenv("JWT_SECRET")',
            "$(cat /run/secrets/db_pw)",
            "{{ .Values.auth.password }}",
            "secretRef:db-creds",
            'getenv("MAIL_PASS")',
        ]
    ),
)
simple(
    "redact",
    None,
    lambda: ch(
        [
            "********",
            "[REDACTED]",
            "<hidden>",
            "sk_live_****" + rs(AN, 4),
            "••••••••••",
            "ghp_****************" + rs(AN, 4),
            "***",
            "(redacted)",
            "xxxx-xxxx",
            "[FILTERED]",
        ]
    ),
)
simple("bcrypt", None, lambda: "$2" + ch("aby") + "$" + ch(["10", "12", "11"]) + "$" + rsafe(AN + "./", 53))
simple("sha512crypt", None, lambda: "$6$" + rs(AN + "./", R.randint(8, 16)) + "$" + rsafe(AN + "./", 86))
simple("sha256crypt", None, lambda: "$5$" + rs(AN + "./", 16) + "$" + rsafe(AN + "./", 43))
simple("md5crypt", None, lambda: "$1$" + rs(AN + "./", 8) + "$" + rsafe(AN + "./", 22))
simple(
    "argon2",
    None,
    lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + b64(rbytes(16)).rstrip("=") + "$" + b64(rbytes(32)).rstrip("="),
)
simple("cisco8", None, lambda: "$8$" + rs(AN, 14) + "$" + rsafe(AN + "./", 43))
simple("cisco9", None, lambda: "$9$" + rs(AN, 14) + "$" + rsafe(AN + "./", 43))
simple("pbkdf2", None, lambda: "pbkdf2_sha256$600000$" + rs(AN, 22) + "$" + b64(rbytes(32)))
simple("sri", None, lambda: ch(["sha384-", "sha256-", "sha512-"]) + b64(rbytes(48)))
simple("digest", None, lambda: "sha256:" + rsafe(HEX, 64))
simple("csrf", None, lambda: rsafe(AN, 64))
simple("nonce", None, lambda: b64(rbytes(16)))
simple("accessor", None, lambda: rsafe(AN, 24))
simple("traceparent", None, lambda: "00-%s-%s-01" % (rsafe(HEX, 32), rsafe(HEX, 16)))
simple("reqid", None, lambda: ch(["req_", "rid-", "", "corr-"]) + rsafe(AN, 20))
simple(
    "btc",
    None,
    lambda: ch(
        [
            "bc1q" + rsafe(ANL.replace("1", "").replace("b", "").replace("i", "").replace("o", ""), 38),
            "1" + rsafe("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33),
            "3" + rsafe("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33),
        ]
    ),
)
simple("eth", None, lambda: "0x" + rsafe("0123456789abcdefABCDEF", 40))
simple(
    "sshpub",
    None,
    lambda: ch(
        [
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rsafe(AN + "+/", 43),
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rsafe(AN + "+/", 360),
        ]
    ),
)
simple(
    "pubpem",
    None,
    lambda: (
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        + pem_body(260)[44:]
        + "\n-----END PUBLIC KEY-----"
    ),
)
simple(
    "cert",
    None,
    lambda: "-----BEGIN CERTIFICATE-----\nMIID" + pem_body(R.randint(600, 900))[4:] + "\n-----END CERTIFICATE-----",
)
simple("fingerprint", None, lambda: "SHA256:" + b64(rbytes(32)).rstrip("="))
simple("pgpfp", None, lambda: " ".join(rs("0123456789ABCDEF", 4) for _ in range(10)))
simple("semver", None, lambda: "%d.%d.%d" % (R.randint(0, 20), R.randint(0, 40), R.randint(0, 99)))
simple("hexcolor", None, lambda: "#" + rs("0123456789abcdef", 6))
simple(
    "idem",
    None,
    lambda: "%s-%s-4%s-%s%s-%s" % (rs(HEX, 8), rs(HEX, 4), rs(HEX, 3), ch("89ab"), rs(HEX, 3), rs(HEX, 12)),
)
simple("cachekey", None, lambda: ch(["user:", "sess:", "rate:", "v2:product:", "tile:"]) + rsafe(HEX, 16))
simple("gitsha", None, lambda: rsafe(HEX, 40))
simple("short", None, lambda: rsafe(HEX, 7))
simple("pkgint", None, lambda: "sha512-" + b64(rbytes(64)))
simple("chksum", None, lambda: rsafe(HEX, 32))
simple("hubsig", None, lambda: "sha256=" + rsafe(HEX, 64))
simple(
    "clientid",
    None,
    lambda: ch(
        [
            rsafe(ANL, 24),
            "%s-%s-%s-%s-%s" % (rs(HEX, 8), rs(HEX, 4), rs(HEX, 4), rs(HEX, 4), rs(HEX, 12)),
            "Iv1." + rsafe(HEX, 16),
            rsafe(AN, 20),
        ]
    ),
)
simple(
    "uname",
    None,
    lambda: (
        ch(
            [
                "mkowalski",
                "j.doe",
                "admin",
                "svc_reporting",
                "tanaka_k",
                "dev-ops",
                "lena.h",
                "deploy",
                "backup_ro",
                "root",
                "marco.r",
                "ahmed_k",
            ]
        )
        + ch(["", str(R.randint(1, 99))])
    ),
)
gen("k8suser")(lambda c: b64(ch(["app", "admin", "postgres", "svc_" + person(c)[3]]).encode()))
simple("rid", None, lambda: rsafe(ANL, 14))
simple("wgpub", None, lambda: b64(rbytes(32)))
simple("wgkey", "SECRET", lambda: b64(rbytes(32)))
simple("uuidkey", "SECRET", lambda: "%s-%s-%s-%s-%s" % (rs(HEX, 8), rs(HEX, 4), rs(HEX, 4), rs(HEX, 4), rs(HEX, 12)))
simple("hex12", None, lambda: rsafe(HEX, 12))
simple("pngb64", None, lambda: b64(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rbytes(R.randint(60, 120))))
simple("tok64x", None, lambda: b64u(rbytes(256)))
simple("tok64", "SECRET", lambda: rsafe(AN, 64))
simple(
    "docker_img",
    None,
    lambda: (
        ch(["nginx", "postgres", "redis", "node", "python"])
        + ":"
        + ch(["1.25", "16-alpine", "7.2", "20-slim", "3.12"])
        + "@sha256:"
        + rsafe(HEX, 64)
    ),
)


# ---------------------------------------------------------------------------
# templates
# ---------------------------------------------------------------------------
TEMPLATES = []  # (lang, context, category, genre, text, n)


def T(lang, context, category, genre, text, n=4):
    TEMPLATES.append((lang, context, category, genre, text, n))


P = "positive"

# ===== source code & configuration: positives ================================
T(
    "en",
    "python_source",
    P,
    "code",
    r"""import os
import boto3
from botocore.config import Config

# TODO(⟦user⟧): move these into SSM before the audit
AWS_ACCESS_KEY_ID = "⟦akid⟧"
AWS_SECRET_ACCESS_KEY = "⟦awssk⟧"

def client(service="s3"):
    return boto3.client(
        service,
        region_name=os.getenv("AWS_REGION", "⟦region⟧"),
        aws_access_key_id=AWS_ACCESS_KEY_ID,
        aws_secret_access_key=AWS_SECRET_ACCESS_KEY,
        config=Config(retries={"max_attempts": 5}),
    )

if __name__ == "__main__":
    for obj in client().list_objects_v2(Bucket="⟦bucket⟧").get("Contents", []):
        print(obj["Key"], obj["Size"])
""",
)
T(
    "en",
    "dotenv",
    P,
    "code",
    r"""# ---- ⟦proj⟧ local settings (do not commit!!) ----
APP_ENV=production
APP_DEBUG=false
APP_KEY=base64:⟦b64key⟧
APP_URL=https://⟦host⟧

DB_CONNECTION=mysql
DB_HOST=⟦pip⟧
DB_PORT=3306
DB_DATABASE=⟦dbname⟧
DB_USERNAME=⟦svcuser⟧
DB_PASSWORD=⟦pw⟧

MAIL_MAILER=smtp
MAIL_HOST=smtp.sendgrid.net
MAIL_USERNAME=apikey
MAIL_PASSWORD=⟦sendgrid⟧
MAIL_FROM_ADDRESS=⟦remail⟧
""",
)
T(
    "en",
    "yaml_config",
    P,
    "code",
    r"""spring:
  datasource:
    url: jdbc:postgresql://⟦ihost⟧:5432/⟦dbname⟧
    username: ⟦svcuser⟧
    password: ⟦pw⟧
  mail:
    host: smtp.⟦dom⟧
    port: 587
    username: ⟦wemail⟧
    password: ⟦pw⟧
management:
  endpoints:
    web:
      exposure:
        include: health,info
""",
)
T(
    "en",
    "javascript_source",
    P,
    "code",
    r"""const express = require('express');
const Stripe = require('stripe');

// quick hack for the demo tomorrow, rotate afterwards
const stripe = Stripe('⟦sklive⟧');
const app = express();

app.post('/pay', express.json(), async (req, res) => {
  const intent = await stripe.paymentIntents.create({
    amount: req.body.amount,
    currency: 'eur',
    metadata: { order: req.body.orderId },
  });
  res.json({ clientSecret: intent.client_secret });
});

app.listen(process.env.PORT || ⟦port⟧);
""",
)
T(
    "en",
    "typescript_source",
    P,
    "code",
    r"""import { Octokit } from "@octokit/rest";

const octokit = new Octokit({
  auth: "⟦ghp⟧",
  userAgent: "release-bot v⟦ver⟧",
});

export async function latestTag(owner: string, repo: string): Promise<string | undefined> {
  const { data } = await octokit.repos.listTags({ owner, repo, per_page: 1 });
  return data[0]?.name;
}
""",
)
T(
    "en",
    "go_source",
    P,
    "code",
    r"""package main

import (
	"database/sql"
	"log"

	_ "github.com/lib/pq"
)

const dsn = "postgres://⟦svcuser⟧:⟦pwu⟧@⟦ihost⟧:5432/⟦dbname⟧?sslmode=disable"

func main() {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		log.Fatalf("open: %v", err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM orders").Scan(&n); err != nil {
		log.Fatal(err)
	}
	log.Printf("orders=%d", n)
}
""",
)
T(
    "en",
    "java_source",
    P,
    "code",
    r"""package com.⟦proj⟧.mail;

import java.util.Properties;
import javax.mail.*;

public final class Mailer {
    private static final String SMTP_USER = "⟦wemail⟧";
    private static final String SMTP_PASS = "⟦pw⟧";   // FIXME: vault

    public static Session session() {
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.host", "⟦host⟧");
        p.put("mail.smtp.port", "587");
        return Session.getInstance(p, new Authenticator() {
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(SMTP_USER, SMTP_PASS);
            }
        });
    }
}
""",
)
T(
    "en",
    "csharp_source",
    P,
    "code",
    r"""using Azure.Storage.Blobs;

namespace Contoso.Backup
{
    public static class Storage
    {
        // legacy connection string, see ⟦ticket⟧
        private const string Conn =
            "DefaultEndpointsProtocol=https;AccountName=⟦proj⟧store;AccountKey=⟦azkey⟧;EndpointSuffix=core.windows.net";

        public static BlobContainerClient Container(string name) =>
            new BlobServiceClient(Conn).GetBlobContainerClient(name);
    }
}
""",
)
T(
    "en",
    "ruby_source",
    P,
    "code",
    r"""# config/initializers/twilio.rb
Twilio.configure do |config|
  config.account_sid = "AC⟦md5⟧"
  config.auth_token  = "⟦twilio⟧"
end

SLACK_WEBHOOK = "⟦slackhook⟧"
""",
)
T(
    "en",
    "php_source",
    P,
    "code",
    r"""<?php
// wp-config.php -- generated by installer on ⟦date⟧
define( 'DB_NAME', '⟦dbname⟧' );
define( 'DB_USER', '⟦svcuser⟧' );
define( 'DB_PASSWORD', '⟦pw⟧' );
define( 'DB_HOST', '⟦pip⟧' );
define( 'DB_CHARSET', 'utf8mb4' );

define( 'AUTH_KEY',         '⟦tok_an⟧' );
define( 'SECURE_AUTH_KEY',  '⟦tok_an⟧' );
define( 'LOGGED_IN_KEY',    '⟦tok_an⟧' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
""",
)
T(
    "en",
    "rust_source",
    P,
    "code",
    r"""use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};

const HF_TOKEN: &str = "⟦hf⟧";

pub fn client() -> reqwest::Result<reqwest::blocking::Client> {
    let mut h = HeaderMap::new();
    h.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {}", HF_TOKEN)).unwrap());
    reqwest::blocking::Client::builder().default_headers(h).build()
}
""",
)
T(
    "en",
    "kotlin_source",
    P,
    "code",
    r"""object ApiConfig {
    const val BASE_URL = "https://⟦host⟧/v2/"
    // TODO remove before release!!!
    const val MAPBOX_SECRET = "⟦mapboxsk⟧"
    const val SENTRY_TOKEN = "⟦sntryu⟧"
    val timeoutMs = ⟦ms⟧L
}
""",
)
T(
    "en",
    "swift_source",
    P,
    "code",
    r"""import Foundation

enum Secrets {
    static let openAIKey = "⟦openai⟧"
    static let backendHost = "⟦host⟧"
}

func makeRequest(prompt: String) -> URLRequest {
    var r = URLRequest(url: URL(string: "https://api.openai.com/v1/chat/completions")!)
    r.httpMethod = "POST"
    r.setValue("Bearer \(Secrets.openAIKey)", forHTTPHeaderField: "Authorization")
    return r
}
""",
)
T(
    "en",
    "bash_script",
    P,
    "code",
    r"""#!/usr/bin/env bash
set -euo pipefail
# nightly backup -> offsite box
export PGPASSWORD='⟦pw⟧'
STAMP=$(date +%F)
pg_dump -h ⟦ihost⟧ -U ⟦svcuser⟧ ⟦dbname⟧ | gzip > /var/backups/db-$STAMP.sql.gz
rsync -az /var/backups/ backup@⟦ip4⟧:/srv/offsite/⟦proj⟧/
curl -fsS -X POST -H 'Content-type: application/json' \
  --data "{\"text\":\"backup $STAMP ok\"}" ⟦slackhook⟧
""",
)
T(
    "en",
    "powershell_script",
    P,
    "code",
    r"""# Map the share for the scanner PCs
$User = "CORP\⟦svcuser⟧"
$Pass = ConvertTo-SecureString "⟦pw⟧" -AsPlainText -Force
$Cred = New-Object System.Management.Automation.PSCredential($User, $Pass)
New-PSDrive -Name S -PSProvider FileSystem -Root "\\⟦pip⟧\scans" -Credential $Cred -Persist
Write-Host "mapped S: for $env:COMPUTERNAME"
""",
)
T(
    "en",
    "github_actions",
    P,
    "code",
    r"""name: deploy
on:
  push:
    branches: [ main ]
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      NODE_ENV: production
      NPM_TOKEN: ⟦npm⟧
      DIGITALOCEAN_ACCESS_TOKEN: ⟦dop⟧
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm ci && npm run build
      - run: doctl apps create-deployment ⟦uuid⟧
""",
)
T(
    "en",
    "gitlab_ci",
    P,
    "code",
    r"""stages: [build, publish]

variables:
  DOCKER_DRIVER: overlay2
  REGISTRY_USER: ⟦svcuser⟧
  REGISTRY_PASSWORD: "⟦dckr⟧"

publish:
  stage: publish
  image: docker:24
  script:
    - echo "$REGISTRY_PASSWORD" | docker login -u "$REGISTRY_USER" --password-stdin
    - docker build -t ⟦svcuser⟧/⟦proj⟧:$CI_COMMIT_SHORT_SHA .
    - docker push ⟦svcuser⟧/⟦proj⟧:$CI_COMMIT_SHORT_SHA
""",
)
T(
    "en",
    "terraform",
    P,
    "code",
    r"""provider "aws" {
  region     = "⟦region⟧"
  access_key = "⟦akid⟧"
  secret_key = "⟦awssk⟧"
}

resource "aws_db_instance" "main" {
  identifier          = "⟦proj⟧-db"
  engine              = "postgres"
  instance_class      = "db.t3.medium"
  username            = "⟦svcuser⟧"
  password            = "⟦pw⟧"
  skip_final_snapshot = true
}

resource "aws_security_group_rule" "office" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = ["⟦ip4⟧/32"]
  security_group_id = aws_db_instance.main.id
}
""",
)
T(
    "en",
    "kubernetes_manifest",
    P,
    "code",
    r"""apiVersion: v1
kind: Secret
metadata:
  name: ⟦proj⟧-db
  namespace: prod
type: Opaque
data:
  username: ⟦k8suser⟧
  password: ⟦k8sb64⟧
---
apiVersion: v1
kind: Secret
metadata:
  name: ⟦proj⟧-api
stringData:
  API_TOKEN: "⟦tok⟧"
""",
)
T(
    "en",
    "helm_values",
    P,
    "code",
    r"""replicaCount: 2
image:
  repository: ghcr.io/⟦svcuser⟧/⟦proj⟧
  tag: "⟦ver⟧"
ingress:
  enabled: true
  hosts:
    - host: ⟦host⟧
postgresql:
  auth:
    username: app
    password: "⟦pw⟧"
    postgresPassword: "⟦pw⟧"
redis:
  auth:
    password: ⟦pw⟧
""",
)
T(
    "en",
    "ansible_inventory",
    P,
    "code",
    r"""[web]
web01 ansible_host=⟦ip4⟧
web02 ansible_host=⟦ip4⟧

[db]
db01 ansible_host=⟦pip⟧ ansible_user=⟦svcuser⟧ ansible_password=⟦pw⟧

[all:vars]
ansible_become_pass=⟦pw⟧
ansible_python_interpreter=/usr/bin/python3
""",
)
T(
    "en",
    "docker_compose",
    P,
    "code",
    r"""version: "3.9"
services:
  db:
    image: mariadb:11
    environment:
      MARIADB_ROOT_PASSWORD: ⟦pw⟧
      MARIADB_DATABASE: ⟦dbname⟧
      MARIADB_USER: ⟦svcuser⟧
      MARIADB_PASSWORD: ⟦pw⟧
    volumes:
      - dbdata:/var/lib/mysql
  app:
    build: .
    environment:
      - DATABASE_URL=mysql://⟦svcuser⟧:⟦pwu⟧@db:3306/⟦dbname⟧
      - SECRET_KEY_BASE=⟦hex64⟧
    ports:
      - "8080:8080"
volumes:
  dbdata: {}
""",
)
T(
    "en",
    "jupyter_notebook",
    P,
    "code",
    r"""{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": [
    "import openai\n",
    "client = openai.OpenAI(api_key=\"⟦openai⟧\")\n",
    "resp = client.chat.completions.create(model=\"gpt-4o-mini\", messages=[{\"role\": \"user\", \"content\": \"hi\"}])\n"
   ]
  },
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["## results for ⟦city⟧ survey"]
  }
 ],
 "nbformat": 4,
 "nbformat_minor": 5
}
""",
)
T(
    "en",
    "git_diff",
    P,
    "code",
    r"""commit ⟦sha40⟧
Author: ⟦name⟧ <⟦wemail⟧>
Date:   Tue ⟦date⟧ ⟦time⟧ +0200

    add staging creds (temporary)

diff --git a/config/staging.env b/config/staging.env
index ⟦sha7⟧..⟦sha7⟧ 100644
--- a/config/staging.env
+++ b/config/staging.env
@@ -3,6 +3,8 @@ LOG_LEVEL=debug
 CACHE_TTL=300
 FEATURE_NEW_CHECKOUT=true
-REDIS_URL=redis://localhost:6379/0
+REDIS_URL=redis://:⟦pwu⟧@⟦ihost⟧:6379/0
+GITLAB_TOKEN=⟦glpat⟧
 SENTRY_ENVIRONMENT=staging
""",
)
T(
    "en",
    "gcp_service_account",
    P,
    "code",
    r"""{
  "type": "service_account",
  "project_id": "⟦proj⟧-⟦num4⟧",
  "private_key_id": "⟦sha40⟧",
  "private_key": "⟦pkjson⟧\n",
  "client_email": "⟦saemail⟧",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
    n=3,
)
T(
    "en",
    "ssh_private_key_file",
    P,
    "code",
    r"""⟦sshkey⟧
""",
    n=3,
)
T(
    "en",
    "pem_bundle",
    P,
    "code",
    r"""# server.pem for ⟦host⟧ (key + cert concatenated, ⟦date⟧)
⟦rsakey⟧
⟦cert⟧
""",
    n=3,
)
T(
    "en",
    "npmrc",
    P,
    "code",
    r"""registry=https://registry.npmjs.org/
@⟦proj⟧:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦ghp⟧
//registry.npmjs.org/:_authToken=⟦npm⟧
save-exact=true
""",
)
T(
    "en",
    "pypirc",
    P,
    "code",
    r"""[distutils]
index-servers =
    pypi
    internal

[pypi]
username = __token__
password = ⟦pypi⟧

[internal]
repository = https://⟦host⟧/simple/
username = ⟦svcuser⟧
password = ⟦pw⟧
""",
)
T(
    "en",
    "docker_config_json",
    P,
    "code",
    r"""{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "⟦basic⟧"
    },
    "registry.⟦dom⟧": {
      "auth": "⟦basic⟧"
    }
  },
  "credsStore": ""
}
""",
)
T(
    "en",
    "sql_script",
    P,
    "code",
    r"""-- provisioning for reporting replica, run as superuser
CREATE ROLE ⟦svcuser⟧ LOGIN PASSWORD '⟦pw⟧';
GRANT CONNECT ON DATABASE ⟦dbname⟧ TO ⟦svcuser⟧;
GRANT USAGE ON SCHEMA public TO ⟦svcuser⟧;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO ⟦svcuser⟧;
ALTER USER postgres WITH PASSWORD '⟦pw⟧';
""",
)
T(
    "en",
    "nginx_conf",
    P,
    "code",
    r"""upstream backend {
    server ⟦pip⟧:8080;
    server ⟦pip⟧:8080 backup;
}
server {
    listen 443 ssl http2;
    server_name ⟦host⟧;
    # allow office + monitoring only
    allow ⟦ip4⟧;
    allow ⟦ip4⟧;
    deny all;
    location /internal/ {
        proxy_set_header Authorization "Basic ⟦basic⟧";
        proxy_pass http://backend;
    }
}
""",
)
T(
    "en",
    "wireguard_conf",
    P,
    "code",
    r"""[Interface]
PrivateKey = ⟦wgkey⟧
Address = 10.8.0.⟦num⟧/24
DNS = ⟦ip4⟧

[Peer]
PublicKey = ⟦wgpub⟧
PresharedKey = ⟦wgkey⟧
Endpoint = ⟦ip4⟧:51820
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 25
""",
)
T(
    "en",
    "wpa_supplicant",
    P,
    "code",
    r"""ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1
country=DE

network={
    ssid="⟦proj⟧-office"
    psk="⟦psk⟧"
    key_mgmt=WPA-PSK
}
""",
)
T(
    "en",
    "toml_config",
    P,
    "code",
    r"""[server]
host = "0.0.0.0"
port = ⟦port⟧

[database]
url = "postgresql://⟦svcuser⟧:⟦pwu⟧@⟦ihost⟧/⟦dbname⟧"
pool = 10

[telegram]
bot_token = "⟦telegram⟧"
admin_chat = ⟦num4⟧⟦num4⟧
""",
)
T(
    "en",
    "ini_config",
    P,
    "code",
    r"""; rclone.conf
[offsite]
type = s3
provider = Other
access_key_id = ⟦akid⟧
secret_access_key = ⟦awssk⟧
endpoint = https://s3.⟦dom⟧

[b2]
type = b2
account = ⟦hex12⟧
key = ⟦tok_an⟧
""",
)
T(
    "en",
    "c_source",
    P,
    "code",
    r"""/* firmware/net_cfg.c -- board rev C */
#include "net_cfg.h"

static const char *WIFI_SSID  = "⟦proj⟧-iot";
static const char *WIFI_PASS  = "⟦psk⟧";
static const char *MQTT_HOST  = "⟦ip4⟧";
static const int   MQTT_PORT  = 8883;
static const char *MQTT_TOKEN = "⟦tok⟧";

void net_cfg_load(net_cfg_t *c) {
    c->ssid = WIFI_SSID; c->pass = WIFI_PASS;
    c->broker = MQTT_HOST; c->port = MQTT_PORT; c->token = MQTT_TOKEN;
}
""",
)
T(
    "en",
    "cpp_source",
    P,
    "code",
    r"""// telemetry_uploader.cpp
#include <string>
namespace cfg {
  inline const std::string kEndpoint = "https://⟦host⟧/ingest";
  inline const std::string kApiKey   = "⟦ddkey⟧";   // datadog
  inline const std::string kFallbackIp = "⟦ip⟧";
}
""",
)
T(
    "en",
    "scala_source",
    P,
    "code",
    r"""object KafkaSettings {
  val bootstrap = "⟦ihost⟧:9092"
  val saslJaas =
    "org.apache.kafka.common.security.plain.PlainLoginModule required " +
    "username=\"⟦svcuser⟧\" password=\"⟦pw⟧\";"
}
""",
)
T(
    "en",
    "r_source",
    P,
    "code",
    r"""library(httr)
library(jsonlite)

# airtable export for the ⟦city⟧ study
token <- "⟦airtable⟧"
res <- GET("https://api.airtable.com/v0/app⟦rid⟧/Responses",
           add_headers(Authorization = paste("Bearer", token)))
df <- fromJSON(content(res, "text"))$records
""",
)
T(
    "en",
    "dart_source",
    P,
    "code",
    r"""class Env {
  static const supabaseUrl = 'https://⟦proj⟧.supabase.co';
  static const supabaseServiceRole = '⟦sbjwt⟧';
  static const sentryDsnHost = '⟦host⟧';
}
""",
)
T(
    "en",
    "lua_source",
    P,
    "code",
    r"""-- nvim plugin config
require("chatgpt").setup({
  api_key_cmd = nil,
  openai_params = { model = "gpt-4o" },
})
vim.env.ANTHROPIC_API_KEY = "⟦anthropic⟧"
vim.g.copilot_proxy = "http://⟦pip⟧:3128"
""",
)
T(
    "en",
    "perl_source",
    P,
    "code",
    r"""#!/usr/bin/perl
use strict; use warnings;
use DBI;
my $dbh = DBI->connect("DBI:mysql:database=⟦dbname⟧;host=⟦pip⟧", "⟦svcuser⟧", "⟦pw⟧",
    { RaiseError => 1 }) or die $DBI::errstr;
my $sth = $dbh->prepare("SELECT id, email FROM customers WHERE created > ?");
""",
)
T(
    "en",
    "elixir_source",
    P,
    "code",
    r"""import Config

config :my_app, MyApp.Repo,
  username: "⟦svcuser⟧",
  password: "⟦pw⟧",
  hostname: "⟦ihost⟧",
  database: "⟦dbname⟧_prod",
  pool_size: 15

config :my_app, MyAppWeb.Endpoint,
  secret_key_base: "⟦tok64⟧"
""",
)
T(
    "en",
    "haskell_source",
    P,
    "code",
    r"""module Config where

data Cfg = Cfg { linearKey :: String, notionKey :: String }

defaultCfg :: Cfg
defaultCfg = Cfg
  { linearKey = "⟦linear⟧"
  , notionKey = "⟦notion⟧"
  }
""",
)
T(
    "en",
    "python_source",
    P,
    "code",
    r"""import smtplib
from email.message import EmailMessage

msg = EmailMessage()
msg["From"] = "⟦wemail⟧"
msg["To"] = "⟦email2⟧"
msg["Subject"] = "Weekly numbers"
msg.set_content(open("report.txt").read())

with smtplib.SMTP_SSL("smtp.gmail.com", 465) as s:
    s.login("⟦wemail⟧", "⟦pw⟧")  # app password
    s.send_message(msg)
""",
)
T(
    "en",
    "python_source",
    P,
    "code",
    r"""# settings/production.py
from .base import *  # noqa

DEBUG = False
SECRET_KEY = '⟦django⟧'
ALLOWED_HOSTS = ['⟦host⟧', '⟦ip4⟧']
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': '⟦dbname⟧',
        'USER': '⟦svcuser⟧',
        'PASSWORD': '⟦pw⟧',
        'HOST': '⟦ihost⟧',
    }
}
EMAIL_HOST_USER = '⟦remail⟧'
EMAIL_HOST_PASSWORD = '⟦sendgrid⟧'
""",
)
T(
    "en",
    "python_source",
    P,
    "code",
    r"""import discord

intents = discord.Intents.default()
intents.message_content = True
bot = discord.Client(intents=intents)

@bot.event
async def on_ready():
    print(f"logged in as {bot.user}")

bot.run("⟦discord⟧")
""",
)
T(
    "en",
    "java_properties",
    P,
    "code",
    r"""# application-prod.properties
server.port=8443
spring.datasource.url=jdbc:mysql://⟦pip⟧:3306/⟦dbname⟧?useSSL=true
spring.datasource.username=⟦svcuser⟧
spring.datasource.password=⟦pw⟧
jwt.signing.secret=⟦hex64⟧
app.payments.braintree.token=⟦braintree⟧
logging.level.root=WARN
""",
)
T(
    "en",
    "xml_config",
    P,
    "code",
    r"""<?xml version="1.0" encoding="utf-8"?>
<settings>
  <servers>
    <server>
      <id>⟦proj⟧-releases</id>
      <username>⟦svcuser⟧</username>
      <password>⟦pw⟧</password>
    </server>
    <server>
      <id>github</id>
      <username>⟦user⟧</username>
      <password>⟦ghfg⟧</password>
    </server>
  </servers>
</settings>
""",
)
T(
    "en",
    "nuget_config",
    P,
    "code",
    r"""<configuration>
  <packageSources>
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <apikeys>
    <add key="https://www.nuget.org" value="⟦nuget⟧" />
  </apikeys>
</configuration>
""",
)
T(
    "en",
    "gradle_properties",
    P,
    "code",
    r"""org.gradle.jvmargs=-Xmx2g
signing.keyId=⟦short⟧
signing.password=⟦pw⟧
ossrhUsername=⟦user⟧
ossrhPassword=⟦pw⟧
clojarsToken=⟦clojars⟧
""",
)
T(
    "en",
    "python_source",
    P,
    "code",
    r"""from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient

web = WebClient(token="⟦xoxb⟧")
sm = SocketModeClient(app_token="⟦xapp⟧", web_client=web)
""",
)
T(
    "en",
    "vault_config",
    P,
    "code",
    r"""# ~/.vault-token style helper used by the deploy wrapper
export VAULT_ADDR=https://vault.⟦dom⟧:8200
export VAULT_TOKEN=⟦hvs⟧
export TF_TOKEN_app_terraform_io=⟦tfc⟧
vault kv get -field=password secret/⟦proj⟧/db
""",
)
T(
    "en",
    "dotenv",
    P,
    "code",
    r"""NEXT_PUBLIC_APP_NAME=⟦proj⟧
NEXT_PUBLIC_STRIPE_KEY=⟦pklive⟧
STRIPE_SECRET_KEY=⟦sktest⟧
STRIPE_WEBHOOK_SECRET=⟦whsec⟧
RESEND_FROM=⟦remail⟧
DATABASE_URL=postgresql://postgres:⟦pwu⟧@db.⟦rid⟧.supabase.co:5432/postgres
GROQ_API_KEY=⟦groq⟧
REPLICATE_API_TOKEN=⟦replicate⟧
""",
)
T(
    "en",
    "dotenv",
    P,
    "code",
    r"""SHOPIFY_API_KEY=⟦md5⟧
SHOPIFY_API_SECRET=⟦shpat⟧
SHIPPO_TOKEN=⟦shippo⟧
SQUARE_ACCESS_TOKEN=⟦square⟧
FLW_SECRET_KEY=⟦flw⟧
""",
)
T(
    "en",
    "makefile",
    P,
    "code",
    r"""PKG := ⟦proj⟧
VERSION ?= $(shell git describe --tags)

publish:
	twine upload -u __token__ -p ⟦pypi⟧ dist/*

gem:
	GEM_HOST_API_KEY=⟦rubygems⟧ gem push pkg/$(PKG)-$(VERSION).gem
""",
)
T(
    "en",
    "dockerfile",
    P,
    "code",
    r"""FROM python:3.12-slim
WORKDIR /app
ENV PIP_INDEX_URL=https://⟦svcuser⟧:⟦pwu⟧@pypi.⟦dom⟧/simple
COPY requirements.txt .
RUN pip install -r requirements.txt
ENV HUGGING_FACE_HUB_TOKEN=⟦hf⟧
COPY . .
CMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]
""",
)
T(
    "en",
    "cloud_init",
    P,
    "code",
    r"""#cloud-config
users:
  - name: ⟦svcuser⟧
    groups: sudo
    shell: /bin/bash
    plain_text_passwd: ⟦pw⟧
    lock_passwd: false
chpasswd:
  list: |
    root:⟦pw⟧
  expire: false
runcmd:
  - [ sh, -c, "echo 'nameserver ⟦ip4⟧' > /etc/resolv.conf" ]
""",
)
T(
    "en",
    "ssh_config",
    P,
    "code",
    r"""Host bastion
    HostName ⟦ip4⟧
    User ⟦svcuser⟧
    Port 2222
    IdentityFile ~/.ssh/id_ed25519

Host db-*
    ProxyJump bastion
    User ubuntu

Host legacy-ftp
    HostName ⟦ip4⟧
    User ftpuser
""",
)
T(
    "en",
    "python_source",
    P,
    "code",
    r'''"""Tiny wrapper around the Postman + Figma APIs (internal use)."""
import requests

POSTMAN_KEY = "⟦postman⟧"
FIGMA_TOKEN = "⟦figma⟧"

def collections():
    return requests.get("https://api.getpostman.com/collections",
                        headers={"X-Api-Key": POSTMAN_KEY}).json()

def file_nodes(key):
    return requests.get(f"https://api.figma.com/v1/files/{key}",
                        headers={"X-Figma-Token": FIGMA_TOKEN}).json()
''',
)
T(
    "en",
    "javascript_source",
    P,
    "code",
    r"""// firebase-messaging legacy sender (to be removed)
const SERVER_KEY = '⟦fcm⟧';
fetch('https://fcm.googleapis.com/fcm/send', {
  method: 'POST',
  headers: { 'Authorization': 'key=' + SERVER_KEY, 'Content-Type': 'application/json' },
  body: JSON.stringify({ to: deviceToken, notification: { title: 'Ping' } }),
});
""",
)
T(
    "en",
    "yaml_config",
    P,
    "code",
    r"""# grafana provisioning
apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    url: http://⟦pip⟧:9090
  - name: Loki
    type: loki
    url: https://logs-prod-eu.grafana.net
    basicAuth: true
    basicAuthUser: ⟦num4⟧⟦num⟧
    secureJsonData:
      basicAuthPassword: ⟦glsa⟧
""",
)
T(
    "en",
    "python_source",
    P,
    "code",
    r"""# alibaba + tencent OSS mirror sync
ALIYUN_AK = "⟦ltai⟧"
ALIYUN_SK = "⟦tok_an⟧"
TENCENT_SECRET_ID = "⟦akidtc⟧"
TENCENT_SECRET_KEY = "⟦tok_an⟧"
MIRROR_IP = "⟦ip4⟧"
""",
)
T(
    "en",
    "hcl_config",
    P,
    "code",
    r"""terraform {
  cloud {
    organization = "⟦proj⟧"
    workspaces { name = "prod" }
  }
}

provider "cloudflare" {
  api_token = "⟦cfapi⟧"
}

provider "databricks" {
  host  = "https://adb-⟦num4⟧⟦num4⟧.azuredatabricks.net"
  token = "⟦dapi⟧"
}
""",
)
T(
    "en",
    "yaml_config",
    P,
    "code",
    r"""# .netlify / deploy notes
build:
  command: hugo --minify
deploy:
  netlify_auth_token: ⟦netlify⟧
  site_id: ⟦uuid⟧
contentful:
  space: ⟦rid⟧
  management_token: ⟦contentful⟧
""",
)
T(
    "en",
    "ini_config",
    P,
    "code",
    r"""[mysqld]
bind-address = 0.0.0.0
max_connections = 300

[client]
user=⟦svcuser⟧
password=⟦pw⟧
host=⟦pip⟧
""",
)
T(
    "en",
    "python_source",
    P,
    "code",
    r"""class Settings(BaseSettings):
    okta_domain: str = "⟦proj⟧.okta.com"
    okta_api_token: str = "⟦okta⟧"
    pulumi_access_token: str = "⟦pulumi⟧"
    doppler_token: str = "⟦doppler⟧"
    age_identity: str = "⟦agekey⟧"
""",
)
T(
    "en",
    "javascript_source",
    P,
    "code",
    r"""// scripts/seed-admin.js
await db.users.insert({
  email: '⟦wemail⟧',
  role: 'admin',
  password: await bcrypt.hash('⟦pw⟧', 12),
  createdFrom: '⟦ip4⟧',
});
""",
)
T(
    "en",
    "go_source",
    P,
    "code",
    r"""var cfg = &oauth2.Config{
	ClientID:     "⟦gclient⟧",
	ClientSecret: "⟦gocspx⟧",
	RedirectURL:  "https://⟦host⟧/auth/callback",
	Scopes:       []string{"openid", "email"},
	Endpoint:     google.Endpoint,
}
""",
)
T(
    "en",
    "terraform_tfvars",
    P,
    "code",
    r"""# terraform.tfvars  (gitignored?? apparently not)
project        = "⟦proj⟧"
admin_cidrs    = ["⟦ip4⟧/32", "⟦ip4⟧/32", "⟦ip6⟧/128"]
db_password    = "⟦pw⟧"
datadog_api_key = "⟦ddkey⟧"
new_relic_key   = "⟦nrak⟧"
""",
)
T(
    "en",
    "bitbucket_pipelines",
    P,
    "code",
    r"""pipelines:
  branches:
    master:
      - step:
          name: Deploy
          script:
            - pipe: atlassian/ftp-deploy:0.3.7
              variables:
                USER: ⟦svcuser⟧
                PASSWORD: ⟦pw⟧
                SERVER: ⟦ip4⟧
                REMOTE_PATH: /var/www/html
            - curl -u ⟦user⟧:⟦atbb⟧ https://api.bitbucket.org/2.0/user
""",
)

# ===== web pages, READMEs, docs, Q&A, forums: positives ========================
T(
    "en",
    "qa_forum_post",
    P,
    "web",
    r"""**psycopg2.OperationalError: FATAL: password authentication failed**

I'm getting this when connecting from my laptop, but the same string works on the server?? Here is what I use:

```
conn = psycopg2.connect("host=⟦ip4⟧ port=5432 dbname=⟦dbname⟧ user=⟦svcuser⟧ password=⟦pw⟧")
```

pg_hba.conf has `host all all 0.0.0.0/0 md5`. Any idea? Thanks in advance

edit: server is Ubuntu 22.04, postgres 15

**Answer** (score 12)

Check `listen_addresses` first and whether the password was set with scram-sha-256 – md5 entries in pg_hba won't match. Also, you just posted your password, change it now.
""",
)
T(
    "en",
    "github_issue",
    P,
    "web",
    r"""### Bug: webhook signature check fails after upgrade to v⟦ver⟧

**Steps to reproduce**
1. configure `STRIPE_WEBHOOK_SECRET=⟦whsec⟧`
2. send a test event from the dashboard
3. see `No signatures found matching the expected signature for payload`

**Environment**
- node 20.11, express 4.19
- running behind cloudflare, origin ⟦ip4⟧

<details><summary>full log</summary>

```
⟦ts⟧ ERROR webhook verify failed (req ⟦uuid⟧)
```
</details>

> @⟦user⟧ please rotate that secret, it's visible to everyone now
""",
)
T(
    "en",
    "readme",
    P,
    "web",
    r"""# ⟦proj⟧

Small CLI that mirrors Jira issues to a Notion database.

## Quick start

```bash
pip install -e .
export NOTION_TOKEN=⟦notion⟧
export JIRA_USER=⟦wemail⟧
export JIRA_API_TOKEN=⟦atlassian⟧
python -m sync --board OPS
```

## Maintainer

⟦name⟧ – ⟦wemail⟧ (reports / questions welcome)

Licensed MIT.
""",
)
T(
    "en",
    "blog_post",
    P,
    "web",
    r"""<article>
<h2>How I automated my home lab backups</h2>
<p>Posted on ⟦date⟧ by ⟦name⟧</p>
<p>The NAS sits behind a Fritzbox, and my VPS (<code>⟦ip4⟧</code>) pulls the snapshots every night over WireGuard.
Here's the restic invocation I ended up with:</p>
<pre><code>RESTIC_PASSWORD='⟦phrase⟧' restic -r sftp:backup@⟦ip4⟧:/srv/restic backup /volume1/photos
</code></pre>
<p>Yes, that's the real repository password, the repo is gone now so whatever :)</p>
<p>Questions? Write me at <a href="mailto:⟦email⟧">⟦email⟧</a>.</p>
</article>
""",
)
T(
    "en",
    "web_page",
    P,
    "web",
    r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>⟦proj⟧ – Contact</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/pricing">Pricing</a> | <a href="/contact">Contact</a></nav>
<main>
  <h1>Get in touch</h1>
  <p>Sales: <a href="mailto:⟦remail⟧">⟦remail⟧</a><br>
     Press: ⟦wemail⟧<br>
     Security reports: ⟦remail⟧ (PGP key on request)</p>
  <p>Office hours Mon–Fri ⟦hm⟧–18:00 CET.</p>
</main>
<footer>© 2024 ⟦proj⟧ GmbH · ⟦city⟧</footer>
</body></html>
""",
)
T(
    "en",
    "docs_page",
    P,
    "web",
    r"""## Authenticating against the internal registry

Every CI runner authenticates with a robot account. The current robot credentials are:

| key | value |
|-----|-------|
| user | robot$⟦proj⟧+ci |
| token | ⟦tok⟧ |
| registry | registry.⟦dom⟧ |

> **Note:** the token expires every 90 days. Ping ⟦wemail⟧ for a new one.
""",
)
T(
    "en",
    "stackoverflow_question",
    P,
    "web",
    r"""Why does my Telegram bot not receive updates?

I set the webhook like this and getWebhookInfo shows `last_error_message: "Connection timed out"`

    curl -F "url=https://⟦ip4⟧:8443/hook" -F "certificate=@cert.pem" https://api.telegram.org/bot⟦telegram⟧/setWebhook

The server is reachable from my browser. Firewall allows 8443. what am i missing??

python-telegram-bot 20.7
""",
)
T(
    "en",
    "forum_post",
    P,
    "web",
    r"""Re: Router keeps dropping PPPoE every night

ok so here's my config (isp login blanked... mostly lol)

    interface pppoe-out1
      user=⟦user⟧@isp
      password=⟦pw⟧
    ip dns set servers=⟦ip4⟧,⟦ip4⟧

drops happen at 03:00 sharp every day. logs show "LCP timeout". the modem is a bridge. ideas?
""",
)
T(
    "en",
    "tutorial",
    P,
    "web",
    r"""Step 4 – Connect your app to SendGrid

Open `.env` and paste the key you created in step 2. Mine looks like this (it's revoked now, don't bother):

    SENDGRID_API_KEY=⟦sendgrid⟧
    FROM_EMAIL=⟦wemail⟧

Then restart the dev server with `npm run dev`. If the test mail to ⟦email2⟧ arrives, you're done!
""",
)
T(
    "en",
    "gist",
    P,
    "web",
    r"""// gist: cloudflare DDNS updater (run from cron every 5 min)
const ZONE = "⟦md5⟧";
const RECORD = "⟦md5⟧";
const TOKEN = "⟦cfapi⟧";
const ip = (await (await fetch("https://api.ipify.org")).text()).trim(); // e.g. ⟦ip4⟧
await fetch(`https://api.cloudflare.com/client/v4/zones/${ZONE}/dns_records/${RECORD}`, {
  method: "PATCH",
  headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
  body: JSON.stringify({ content: ip }),
});
""",
)
T(
    "en",
    "wiki_page",
    P,
    "web",
    r"""= On-call cheat sheet =

* VPN gateway: ⟦ip4⟧ (fallback ⟦ip4⟧)
* Grafana: https://grafana.⟦dom⟧ – shared login ''oncall'' / ''⟦pw⟧''
* PagerDuty escalations: ⟦remail⟧
* Status page API key: ⟦hex32⟧

''Last edited by ⟦name⟧ on ⟦date⟧''
""",
)
T(
    "en",
    "changelog",
    P,
    "web",
    r"""## [⟦ver⟧] - ⟦date⟧
### Fixed
- Removed hard-coded Mailgun key (`⟦mailgun⟧`) from `notify/mail.py` – it has been revoked.
- Crash when `SMTP_HOST` is unset.
### Changed
- Default retry count is now 5.
""",
)
T(
    "en",
    "mailing_list_archive",
    P,
    "web",
    r"""From: ⟦name⟧ <⟦email⟧>
Subject: [users] Re: replication lag after failover
Date: ⟦date⟧

On the new primary (⟦ip4⟧) I see the standby reconnecting every few seconds:

  FATAL:  password authentication failed for user "replicator"

primary_conninfo on the standby is
  'host=⟦ip4⟧ port=5432 user=replicator password=⟦pw⟧ application_name=node2'

Any hints appreciated.
-- 
⟦first⟧
""",
)
T(
    "en",
    "docs_page",
    P,
    "web",
    r"""### Sentry / New Relic integration

Add the following to your `newrelic.ini`:

```ini
[newrelic]
license_key = ⟦hex40⟧
app_name = ⟦proj⟧ (prod)
```

and for the CLI:

```
export NEW_RELIC_API_KEY=⟦nrak⟧
```
""",
)
T(
    "en",
    "reddit_post",
    P,
    "web",
    r"""r/selfhosted · Posted by u/⟦user⟧

finally got my jellyfin + wireguard setup working 🎉

for anyone struggling, the key part was the peer config on the phone:

    [Peer]
    Endpoint = ⟦ip4⟧:51820
    PresharedKey = ⟦wgkey⟧

also my duckdns token is ⟦uuidkey⟧ but that's not a secret right? (edit: it is, rotated, thanks guys)
""",
)
T(
    "en",
    "readme",
    P,
    "web",
    r"""## Deploying to Heroku

```
heroku login
heroku config:set HEROKU_API_KEY=⟦herokukey⟧ -a ⟦proj⟧
heroku config:set DATABASE_URL=postgres://⟦svcuser⟧:⟦pwu⟧@⟦ip4⟧:5432/⟦dbname⟧
```

Questions → open an issue or mail ⟦wemail⟧.
""",
)
T(
    "en",
    "web_page",
    P,
    "web",
    r"""<div class="team">
  <div class="member"><img src="/img/⟦user⟧.jpg" alt=""><h3>⟦name⟧</h3><p>Head of Engineering</p><a href="mailto:⟦wemail⟧">⟦wemail⟧</a></div>
  <div class="member"><img src="/img/p2.jpg" alt=""><h3>⟦name2⟧</h3><p>Customer Success</p><a href="mailto:⟦wemail2⟧">⟦wemail2⟧</a></div>
</div>
""",
)
T(
    "en",
    "hn_comment",
    P,
    "web",
    r"""This is why I always run trufflehog in pre-commit. Last month a contractor pushed `export ANTHROPIC_API_KEY=⟦anthropic⟧` in a shell history file to a public repo, and within 20 minutes someone from ⟦ip4⟧ was burning through our quota. Rotation is easy, noticing is hard.
""",
)
T(
    "en",
    "docs_page",
    P,
    "web",
    r"""# Payment test checklist (internal)

Use the sandbox cards from the PSP portal for automated tests. For the manual end-to-end run on prod we use the company card:

- Card: ⟦card⟧
- Exp: ⟦exp⟧  CVC: ⟦cvv⟧
- Holder: ⟦name⟧

Refund right after the test and note the order id in the sheet.
""",
)
T(
    "de",
    "forum_post",
    P,
    "web",
    r"""Hallo zusammen,

ich bekomme beim Verbinden mit meinem NAS immer "Zugriff verweigert". Die fstab-Zeile sieht so aus:

//⟦pip⟧/daten /mnt/nas cifs username=⟦user⟧,password=⟦pw⟧,uid=1000 0 0

Von außen über ⟦ip4⟧ klappt es auch nicht. Hat jemand eine Idee? Danke & Gruß
⟦first⟧
""",
)
T(
    "de",
    "blog_post",
    P,
    "web",
    r"""<h2>Mailserver-Umzug: was ich gelernt habe</h2>
<p>Der neue Server hat die IP <b>⟦ip4⟧</b> und IPv6 <b>⟦ip6⟧</b>. Wichtig: PTR-Eintrag beim Hoster setzen, sonst landet alles im Spam.</p>
<p>Für die Migration habe ich imapsync benutzt:</p>
<pre>imapsync --host1 alt.⟦dom⟧ --user1 ⟦wemail⟧ --password1 '⟦pw⟧' \
         --host2 ⟦ip4⟧ --user2 ⟦wemail⟧ --password2 '⟦pw⟧'</pre>
<p>Fragen gerne per Mail an ⟦email⟧.</p>
""",
)
T(
    "fr",
    "qa_forum_post",
    P,
    "web",
    r"""Bonjour,

Je n'arrive pas à envoyer de mails depuis Symfony, j'ai l'erreur « Expected response code 250 but got 535 ».
Mon .env.local :

MAILER_DSN=smtp://⟦wemail⟧:⟦pwu⟧@smtp.⟦dom⟧:587

Le serveur SMTP répond bien (telnet ⟦ip4⟧ 587 ok). Une idée ? Merci d'avance !
""",
)
T(
    "es",
    "qa_forum_post",
    P,
    "web",
    r"""¿Por qué mi script de Python no puede conectarse a MongoDB Atlas?

Tengo esto:

```python
client = MongoClient("mongodb+srv://⟦user⟧:⟦pwu⟧@cluster0.⟦rid⟧.mongodb.net/?retryWrites=true")
```

y me da `ServerSelectionTimeoutError`. Ya agregué mi IP (⟦ip4⟧) a la lista de acceso. ¿Alguna sugerencia? Gracias
""",
)
T(
    "pt",
    "blog_post",
    P,
    "web",
    r"""## Integrando o Mercado de pagamentos no Laravel

Depois de criar a conta, copie a chave secreta para o `.env`:

```
STRIPE_SECRET=⟦sktest⟧
STRIPE_KEY=⟦pktest⟧
```

Dúvidas? Me mande um e-mail: ⟦email⟧ 😉
""",
)
T(
    "ja",
    "tech_blog",
    P,
    "web",
    r"""## GitHub Actions から ECR に push する手順

まず IAM ユーザーを作成し、アクセスキーを発行します。今回は検証用なので直接書いていますが、本番では必ず Secrets に登録してください。

```yaml
env:
  AWS_ACCESS_KEY_ID: ⟦akid⟧
  AWS_SECRET_ACCESS_KEY: ⟦awssk⟧
  AWS_REGION: ap-northeast-1
```

※この記事のキーは削除済みです。質問は ⟦email⟧ までどうぞ。
""",
)
T(
    "zh",
    "tech_blog",
    P,
    "web",
    r"""# Redis 连接超时问题排查记录

线上环境配置如下（密码已经改过了）：

```
spring.redis.host=⟦ip4⟧
spring.redis.port=6379
spring.redis.password=⟦pw⟧
```

后来发现是安全组没有放行 6379 端口。有问题可以发邮件到 ⟦email⟧ 交流。
""",
)
T(
    "ru",
    "tech_blog",
    P,
    "web",
    r"""### Настройка бота для уведомлений о деплое

Создаём бота через @BotFather и получаем токен вида `⟦telegram:t⟧`. Дальше в GitLab CI:

```yaml
notify:
  script:
    - curl -s "https://api.telegram.org/bot⟦telegram:t⟧/sendMessage?chat_id=-100⟦num4⟧&text=deploy ok"
```

(да, это токен из статьи, он уже отозван)
""",
)
T(
    "ko",
    "tech_blog",
    P,
    "web",
    r"""## 네이버 클라우드 서버에 MySQL 설치하기

서버 공인 IP: ⟦ip4⟧

```
mysql -u root -p'⟦pw⟧' -e "CREATE USER '⟦svcuser⟧'@'%' IDENTIFIED BY '⟦pw⟧';"
```

궁금한 점은 ⟦email⟧ 로 메일 주세요.
""",
)
T(
    "it",
    "forum_post",
    P,
    "web",
    r"""Ciao a tutti, ho un problema con il mio Raspberry: dopo il riavvio non si collega più al wifi.
Il wpa_supplicant.conf è questo:

network={
  ssid="Casa_⟦first⟧"
  psk="⟦psk⟧"
}

L'IP pubblico di casa è ⟦ip4⟧ se serve. Grazie mille!
""",
)
T(
    "pl",
    "forum_post",
    P,
    "web",
    r"""Siema, mam problem z konfiguracją Nextcloud za reverse proxy. W config.php:

  'dbuser' => '⟦svcuser⟧',
  'dbpassword' => '⟦pw⟧',
  'trusted_proxies' => ['⟦ip4⟧'],

Po zalogowaniu dostaję błąd 400. Ktoś coś? Z góry dzięki.
""",
)
T(
    "tr",
    "forum_post",
    P,
    "web",
    r"""Merhaba arkadaşlar, sunucuma SSH ile bağlanamıyorum. Komut:

sshpass -p '⟦pw⟧' ssh ⟦svcuser⟧@⟦ip4⟧

"Permission denied" hatası alıyorum. Yardımcı olabilecek var mı? İletişim: ⟦email⟧
""",
)
T(
    "vi",
    "qa_forum_post",
    P,
    "web",
    r"""Mọi người cho mình hỏi, mình dùng Laravel gửi mail qua Gmail SMTP nhưng bị lỗi 535.

MAIL_USERNAME=⟦email⟧
MAIL_PASSWORD=⟦pw⟧

Mình đã bật xác minh 2 bước rồi. Cảm ơn mọi người!
""",
)
T(
    "id",
    "forum_post",
    P,
    "web",
    r"""Gan, mau tanya. Aku pakai Mikrotik buat hotspot kantor, tapi user nggak bisa login. Konfigurasi radius:

/radius add service=hotspot address=⟦ip4⟧ secret=⟦pw⟧

Ada yang pernah ngalamin? Kontak aku di ⟦email⟧ ya. Makasih
""",
)
T(
    "nl",
    "qa_forum_post",
    P,
    "web",
    r"""Vraag: Home Assistant kan niet verbinden met mijn MQTT broker

configuration.yaml:

mqtt:
  broker: ⟦ip4⟧
  username: ⟦user⟧
  password: ⟦pw⟧

Logs zeggen "Connection refused - not authorised". Iemand een idee? Alvast bedankt!
""",
)
T(
    "uk",
    "tech_blog",
    P,
    "web",
    r"""## Як ми перенесли CI на self-hosted runners

Реєстрація раннера виглядала так:

```
gitlab-runner register --url https://gitlab.⟦dom⟧ --registration-token ⟦glrt⟧ --executor docker
```

Сервер раннера: ⟦ip4⟧. Питання — пишіть на ⟦email⟧.
""",
)
T(
    "hi",
    "tech_blog",
    P,
    "web",
    r"""## Razorpay के साथ Django में पेमेंट कैसे जोड़ें

सबसे पहले settings.py में अपनी keys डालें (यह टेस्ट की है, असली key कभी commit न करें):

```python
STRIPE_SECRET_KEY = "⟦sktest⟧"
SUPPORT_EMAIL = "⟦email⟧"
```
""",
)
T(
    "en",
    "docs_page",
    P,
    "web",
    r"""## Importing the legacy LDAP users

The bind account for the old directory is still active until the migration finishes:

```
ldapsearch -x -H ldaps://⟦ip4⟧ -D "cn=⟦svcuser⟧,ou=svc,dc=corp" -w '⟦pw⟧' -b "ou=people,dc=corp"
```

Contact ⟦wemail⟧ if the bind fails.
""",
)
T(
    "en",
    "qa_forum_post",
    P,
    "web",
    r"""Q: curl returns 401 from our internal API even with credentials

$ curl -v -u ⟦svcuser⟧:⟦pw⟧ https://⟦host⟧/api/v1/status
> Authorization: Basic ⟦basic⟧
< HTTP/1.1 401 Unauthorized

The same user works in the browser. Is there something with special characters in the password?

A: yes — quote the whole -u argument in single quotes, your shell is eating part of it.
""",
)
T(
    "en",
    "web_page",
    P,
    "web",
    r"""<form action="/subscribe" method="post">
  <!-- debug: prefilled for QA, remove before launch -->
  <input type="email" name="email" value="⟦email⟧">
  <input type="hidden" name="api_key" value="⟦mailchimp⟧">
  <button>Subscribe</button>
</form>
""",
)
T(
    "en",
    "paste_site",
    P,
    "web",
    r"""PASTEBIN · untitled · ⟦date⟧
----
vps login
ip: ⟦ip4⟧
user: root
pass: ⟦pw⟧

panel: https://⟦ip4⟧:8443  admin / ⟦pw⟧
ipv6 ⟦ip6⟧
""",
)
T(
    "en",
    "readme",
    P,
    "web",
    r"""## Running the Dropbox sync locally

1. Create an app in the Dropbox console.
2. Generate an access token. For reference, the one used in CI was `⟦dropbox⟧` (revoked).
3. `DROPBOX_TOKEN=... cargo run -- --src ./photos`
""",
)
T(
    "en",
    "docs_page",
    P,
    "web",
    r"""## Graph API access (marketing)

Long-lived page token for the ⟦city⟧ page, valid 60 days:

`⟦fbtok⟧`

Renew via Business Settings → System users. Owner: ⟦wemail⟧
""",
)
T(
    "en",
    "adafruit_project_page",
    P,
    "web",
    r"""Wire the BME280 to the Feather, then set your credentials in secrets.py:

```python
secrets = {
    "ssid": "⟦proj⟧",
    "password": "⟦psk⟧",
    "aio_username": "⟦user⟧",
    "aio_key": "⟦aio⟧",
}
```
""",
)

# ===== e-mails, chats, tickets, notes (many languages): positives ================
T(
    "en",
    "email",
    P,
    "msg",
    r"""From: ⟦name⟧ <⟦wemail⟧>
To: ⟦name2⟧ <⟦wemail2⟧>
Subject: access for the new contractor

Hi ⟦first2⟧,

can you set up ⟦first⟧'s VPN account today? Temporary password is ⟦pw⟧ — please force a change on first login.
Their home IP for the allowlist: ⟦ip4⟧

Thanks,
⟦first⟧
""",
)
T(
    "en",
    "chat_message",
    P,
    "msg",
    r"""[⟦hm⟧] ⟦first⟧: anyone have the staging db pw?
[⟦hm⟧] ⟦first2⟧: ⟦pw⟧
[⟦hm⟧] ⟦first2⟧: pls dont paste it anywhere else lol
[⟦hm⟧] ⟦first⟧: ty 🙏
""",
)
T(
    "en",
    "support_ticket",
    P,
    "msg",
    r"""Ticket ⟦ticket⟧ – Payment failed twice
Customer: ⟦name⟧ (⟦email⟧)
Channel: web form
Message:
hi, i tried to pay my invoice ⟦ordno⟧ with my card ⟦card⟧ exp ⟦exp⟧ and it says declined both times?? my bank says everything is fine. please help
Agent note: asked customer NOT to send card numbers by mail. Logged from ⟦ip4⟧.
""",
)
T(
    "en",
    "personal_note",
    P,
    "msg",
    r"""todo this week
- renew passport!!
- wifi at mum's: ⟦psk⟧
- netflix shared acc ⟦email⟧ / ⟦pw⟧
- call dentist ⟦hm⟧ thu
""",
)
T(
    "de",
    "email",
    P,
    "msg",
    r"""Von: ⟦name⟧ <⟦wemail⟧>
An: ⟦wemail2⟧
Betreff: Zugangsdaten Testsystem

Hallo ⟦first2⟧,

anbei wie besprochen die Zugangsdaten für das Testsystem:

Server: ⟦ip4⟧
Benutzer: ⟦svcuser⟧
Passwort: ⟦pw⟧

Bitte nach dem ersten Login ändern. Bei Fragen einfach kurz anrufen.

Viele Grüße
⟦name⟧
""",
)
T(
    "de",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧ (⟦hm⟧): kannst du mir nochmal den Token für die Gitlab-API schicken? hab ihn verloren 🙈
⟦first2⟧ (⟦hm⟧): ⟦glpat⟧
⟦first2⟧ (⟦hm⟧): läuft nächste Woche ab übrigens
""",
)
T(
    "fr",
    "email",
    P,
    "msg",
    r"""De : ⟦name⟧ <⟦email⟧>
À : ⟦remail⟧
Objet : Problème de paiement commande ⟦ordno⟧

Bonjour,

Ma commande a été refusée alors que ma carte fonctionne ailleurs. Voici le numéro : ⟦card⟧ (exp. ⟦exp⟧).
Pouvez-vous vérifier de votre côté ?

Cordialement,
⟦name⟧
""",
)
T(
    "fr",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧ : le mot de passe du wifi invités c'est ⟦psk⟧
⟦first2⟧ : merci !! et pour l'imprimante ?
⟦first⟧ : code d'accès ⟦pin⟧
""",
)
T(
    "es",
    "email",
    P,
    "msg",
    r"""Asunto: Acceso al servidor FTP

Hola ⟦first2⟧:

Te paso los datos para subir los archivos del proyecto:
- Host: ⟦ip4⟧
- Usuario: ⟦svcuser⟧
- Contraseña: ⟦pw⟧

Cualquier duda me escribes a ⟦wemail⟧.
Un saludo,
⟦first⟧
""",
)
T(
    "es",
    "support_ticket",
    P,
    "msg",
    r"""Incidencia ⟦ticket⟧
Cliente: ⟦name⟧ <⟦email⟧>
Descripción: no puedo entrar a mi cuenta desde ayer, me dice contraseña incorrecta pero es ⟦pw⟧ estoy segura. Mi IP es ⟦ip4⟧ por si sirve.
""",
)
T(
    "pt",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: oi, qual é a senha do roteador do escritório?
⟦first2⟧: usuário admin, senha ⟦pw⟧
⟦first2⟧: e o ip externo é ⟦ip4⟧
⟦first⟧: valeu!
""",
)
T(
    "pt",
    "email",
    P,
    "msg",
    r"""Assunto: Dados de pagamento – assinatura anual

Olá, equipe,

Segue o cartão corporativo para renovar a assinatura: ⟦card⟧, validade ⟦exp⟧.
Qualquer problema, falem com ⟦wemail⟧.

Abraços,
⟦name⟧
""",
)
T(
    "it",
    "email",
    P,
    "msg",
    r"""Oggetto: credenziali gestionale

Ciao ⟦first2⟧,
ti giro le credenziali del gestionale per il nuovo collega:
utente: ⟦user⟧
password: ⟦pw⟧
Mi raccomando, cambiala al primo accesso.
Per problemi scrivi a ⟦remail⟧.
⟦first⟧
""",
)
T(
    "nl",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: heb jij het wachtwoord van de Mailchimp-account?
⟦first2⟧: ⟦email⟧ / ⟦pw⟧
⟦first⟧: top, dank je
""",
)
T(
    "sv",
    "email",
    P,
    "msg",
    r"""Ämne: Inloggning till kundportalen

Hej ⟦first2⟧!

Här är dina uppgifter till portalen:
Användarnamn: ⟦email2⟧
Tillfälligt lösenord: ⟦pw⟧

Hör av dig till ⟦remail⟧ om något strular.
Mvh ⟦name⟧
""",
)
T(
    "nb",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: hva var passordet til wifi på hytta igjen?
⟦first2⟧: ⟦psk⟧
⟦first⟧: takk!
""",
)
T(
    "da",
    "email",
    P,
    "msg",
    r"""Emne: Adgang til NAS

Hej ⟦first2⟧,
NAS'en kan nås udefra på ⟦ip4⟧:5001. Brugernavn ⟦user⟧ og adgangskode ⟦pw⟧.
Venlig hilsen ⟦first⟧ (⟦email⟧)
""",
)
T(
    "fi",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: mikä oli testipalvelimen salasana?
⟦first2⟧: ⟦pw⟧ (palvelin ⟦ip4⟧)
⟦first⟧: kiitti
""",
)
T(
    "pl",
    "email",
    P,
    "msg",
    r"""Temat: Dane do logowania – panel hostingu

Cześć ⟦first2⟧,
przesyłam dane do panelu:
login: ⟦user⟧
hasło: ⟦pw⟧
IP serwera: ⟦ip4⟧
Pozdrawiam, ⟦first⟧
⟦wemail⟧
""",
)
T(
    "cs",
    "email",
    P,
    "msg",
    r"""Předmět: Přístup k VPN

Ahoj ⟦first2⟧,
posílám přístup k VPN: uživatel ⟦user⟧, heslo ⟦pw⟧. Brána je na ⟦ip4⟧.
Díky, ⟦first⟧
""",
)
T(
    "sk",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: ahoj, aké je heslo na firemný Slack bot token?
⟦first2⟧: nie heslo ale token: ⟦xoxb⟧
⟦first2⟧: daj ho do .env a necommituj ho prosím
""",
)
T(
    "hu",
    "email",
    P,
    "msg",
    r"""Tárgy: Belépési adatok

Szia ⟦first2⟧!
A teszt szerver elérése: ⟦ip4⟧, felhasználó: ⟦svcuser⟧, jelszó: ⟦pw⟧.
Üdv, ⟦name⟧ – ⟦wemail⟧
""",
)
T(
    "ro",
    "support_ticket",
    P,
    "msg",
    r"""Tichet ⟦ticket⟧
Client: ⟦name⟧ (⟦email⟧)
Mesaj: Bună ziua, nu pot plăti abonamentul, cardul meu ⟦card⟧ este respins. Vă rog să verificați. Mulțumesc!
""",
)
T(
    "tr",
    "email",
    P,
    "msg",
    r"""Konu: Sunucu erişim bilgileri

Merhaba ⟦first2⟧,
Yeni sunucunun bilgileri aşağıda:
IP: ⟦ip4⟧
Kullanıcı: ⟦svcuser⟧
Şifre: ⟦pw⟧
İyi çalışmalar,
⟦first⟧ (⟦wemail⟧)
""",
)
T(
    "el",
    "email",
    P,
    "msg",
    r"""Θέμα: Κωδικοί πρόσβασης

Γεια σου ⟦first2⟧,
ο κωδικός για το σύστημα κρατήσεων είναι ⟦pw⟧ και ο διακομιστής είναι στη διεύθυνση ⟦ip4⟧.
Για οτιδήποτε, στείλε μου στο ⟦email⟧.
⟦first⟧
""",
)
T(
    "ru",
    "email",
    P,
    "msg",
    r"""Тема: Доступы к серверу

Привет, ⟦first2⟧!
Вот доступы к новому серверу:
IP: ⟦ip4⟧
логин: ⟦svcuser⟧
пароль: ⟦pw⟧
Если что — пиши на ⟦email⟧.
⟦first⟧
""",
)
T(
    "ru",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: скинь токен от бота плиз
⟦first2⟧: ⟦telegram⟧
⟦first2⟧: только никому
""",
)
T(
    "uk",
    "email",
    P,
    "msg",
    r"""Тема: Оплата замовлення ⟦ordno⟧

Добрий день!
Не вдається оплатити замовлення карткою ⟦card⟧. Прошу перевірити.
З повагою, ⟦name⟧, ⟦email⟧
""",
)
T(
    "bg",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: каква е паролата за админ панела?
⟦first2⟧: ⟦pw⟧
⟦first2⟧: сървърът е ⟦ip4⟧
""",
)
T(
    "sr",
    "email",
    P,
    "msg",
    r"""Тема: Приступ бази

Здраво,
шаљем приступ бази: корисник ⟦svcuser⟧, лозинка ⟦pw⟧, хост ⟦ip4⟧.
Поздрав, ⟦email⟧
""",
)
T(
    "hr",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: koja je lozinka za ured wifi?
⟦first2⟧: ⟦psk⟧
⟦first⟧: hvala!
""",
)
T(
    "sl",
    "email",
    P,
    "msg",
    r"""Zadeva: Dostop do strežnika

Živjo,
strežnik: ⟦ip4⟧, uporabnik ⟦svcuser⟧, geslo ⟦pw⟧.
Lep pozdrav, ⟦email⟧
""",
)
T(
    "ar",
    "email",
    P,
    "msg",
    r"""الموضوع: بيانات الدخول إلى لوحة التحكم

مرحباً ⟦first2⟧،
هذه بيانات الدخول المؤقتة:
اسم المستخدم: ⟦user⟧
كلمة المرور: ⟦pw⟧
عنوان الخادم: ⟦ip4⟧
يرجى تغيير كلمة المرور بعد أول تسجيل دخول.
مع التحية، ⟦first⟧ — ⟦email⟧
""",
)
T(
    "ar",
    "support_ticket",
    P,
    "msg",
    r"""تذكرة ⟦ticket⟧
العميل: ⟦name⟧ ‏(⟦email⟧)
الرسالة: لم أتمكن من الدفع باستخدام البطاقة ⟦card⟧، أرجو المساعدة.
""",
)
T(
    "he",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: מה הסיסמה לשרת הבדיקות?
⟦first2⟧: ⟦pw⟧
⟦first2⟧: הכתובת ⟦ip4⟧
⟦first⟧: תודה!
""",
)
T(
    "fa",
    "email",
    P,
    "msg",
    r"""موضوع: اطلاعات ورود

سلام ⟦first2⟧ عزیز،
نام کاربری: ⟦user⟧
رمز عبور: ⟦pw⟧
آدرس سرور: ⟦ip4⟧
با تشکر، ⟦email⟧
""",
)
T(
    "hi",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: भाई staging सर्वर का पासवर्ड क्या है?
⟦first2⟧: ⟦pw⟧
⟦first2⟧: IP ⟦ip4⟧ है, किसी को मत भेजना
""",
)
T(
    "bn",
    "email",
    P,
    "msg",
    r"""বিষয়: সার্ভার অ্যাক্সেস

প্রিয় ⟦first2⟧,
সার্ভারের আইপি: ⟦ip4⟧
ইউজার: ⟦svcuser⟧
পাসওয়ার্ড: ⟦pw⟧
ধন্যবাদ, ⟦email⟧
""",
)
T(
    "th",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: รหัสผ่าน wifi ออฟฟิศคืออะไรนะ
⟦first2⟧: ⟦psk⟧
⟦first⟧: ขอบคุณครับ
""",
)
T(
    "th",
    "email",
    P,
    "msg",
    r"""เรื่อง: ข้อมูลการชำระเงิน

เรียนฝ่ายบัญชี
กรุณาตัดบัตร ⟦card⟧ หมดอายุ ⟦exp⟧ สำหรับใบแจ้งหนี้ ⟦ordno⟧
ติดต่อกลับได้ที่ ⟦email⟧
""",
)
T(
    "vi",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: cho mình xin mật khẩu tài khoản AWS test với
⟦first2⟧: access key ⟦akid⟧ secret ⟦awssk⟧
⟦first⟧: ok cảm ơn nha
""",
)
T(
    "id",
    "email",
    P,
    "msg",
    r"""Subjek: Akses server produksi

Halo ⟦first2⟧,
Berikut akses server:
IP: ⟦ip4⟧
User: ⟦svcuser⟧
Password: ⟦pw⟧
Terima kasih, ⟦email⟧
""",
)
T(
    "ms",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: kata laluan router pejabat apa ya?
⟦first2⟧: ⟦pw⟧
⟦first⟧: terima kasih!
""",
)
T(
    "zh",
    "chat_message",
    P,
    "msg",
    r"""⟦name⟧ ⟦hm⟧
测试服务器的密码是多少？
⟦name2⟧ ⟦hm⟧
⟦pw⟧ ，服务器地址 ⟦ip4⟧，用完记得改一下
""",
)
T(
    "zh",
    "email",
    P,
    "msg",
    r"""主题：报销信用卡信息

财务你好，
出差费用用公司卡支付，卡号 ⟦card⟧，有效期 ⟦exp⟧。
如有问题请联系 ⟦email⟧。
谢谢！
""",
)
T(
    "ja",
    "email",
    P,
    "msg",
    r"""件名：検証環境のログイン情報

⟦last2⟧さん

お疲れ様です。検証環境のログイン情報をお送りします。
サーバー：⟦ip4⟧
ユーザー名：⟦svcuser⟧
パスワード：⟦pw⟧

ご不明点があれば ⟦wemail⟧ までご連絡ください。
⟦name⟧
""",
)
T(
    "ja",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: Slackのwebhook URLってどれだっけ？
⟦first2⟧: ⟦slackhook⟧
⟦first⟧: ありがとう！
""",
)
T(
    "ko",
    "email",
    P,
    "msg",
    r"""제목: 서버 접속 정보

⟦first2⟧님 안녕하세요,
서버 접속 정보 전달드립니다.
IP: ⟦ip4⟧
계정: ⟦svcuser⟧
비밀번호: ⟦pw⟧
문의는 ⟦email⟧ 로 부탁드립니다.
""",
)
T(
    "ko",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: 카드 번호 좀 알려줘 결제해야 해
⟦first2⟧: ⟦card⟧ 유효기간 ⟦exp⟧
⟦first⟧: 고마워
""",
)
T(
    "sw",
    "email",
    P,
    "msg",
    r"""Mada: Taarifa za kuingia

Habari ⟦first2⟧,
Seva: ⟦ip4⟧
Jina la mtumiaji: ⟦svcuser⟧
Nenosiri: ⟦pw⟧
Asante, ⟦email⟧
""",
)
T(
    "tl",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: pre ano ulit password ng admin panel?
⟦first2⟧: ⟦pw⟧ tapos yung server ⟦ip4⟧
⟦first⟧: salamat!
""",
)
T(
    "ca",
    "email",
    P,
    "msg",
    r"""Assumpte: Accés al servidor

Hola ⟦first2⟧,
usuari: ⟦svcuser⟧
contrasenya: ⟦pw⟧
servidor: ⟦ip4⟧
Salutacions, ⟦email⟧
""",
)
T(
    "et",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: mis on testserveri parool?
⟦first2⟧: ⟦pw⟧, aadress ⟦ip4⟧
""",
)
T(
    "lt",
    "email",
    P,
    "msg",
    r"""Tema: Prisijungimo duomenys

Sveiki,
vartotojas: ⟦svcuser⟧
slaptažodis: ⟦pw⟧
serveris: ⟦ip4⟧
Pagarbiai, ⟦email⟧
""",
)
T(
    "lv",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: kāda ir wifi parole birojā?
⟦first2⟧: ⟦psk⟧
""",
)
T(
    "ta",
    "email",
    P,
    "msg",
    r"""பொருள்: சர்வர் அணுகல்

வணக்கம் ⟦first2⟧,
சர்வர் IP: ⟦ip4⟧
பயனர்: ⟦svcuser⟧
கடவுச்சொல்: ⟦pw⟧
நன்றி, ⟦email⟧
""",
)
T(
    "ur",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: سرور کا پاس ورڈ کیا ہے؟
⟦first2⟧: ⟦pw⟧
⟦first2⟧: آئی پی ⟦ip4⟧ ہے
""",
)
T(
    "en",
    "email",
    P,
    "msg",
    r"""Subject: Re: Re: invoice #⟦num4⟧ overdue

> please settle by friday

paid just now with the amex ending ... actually here is the full number since your portal is broken again: ⟦carda⟧ exp ⟦exp⟧
billing contact going forward is ⟦wemail2⟧, not me.

--
⟦name⟧ | ⟦wemail⟧ | ⟦phone⟧
""",
)
T(
    "en",
    "support_ticket",
    P,
    "msg",
    r"""#⟦num4⟧ [P2] Customer API key leaked in public repo
Reporter: ⟦remail⟧
Found at: github.com/⟦user⟧/⟦proj⟧/blob/main/config.js line 14
Leaked value: ⟦sklive⟧
Action: key revoked at ⟦hm⟧ UTC, customer (⟦email⟧) informed.
""",
)
T(
    "en",
    "sms_export",
    P,
    "msg",
    r"""⟦date⟧ ⟦hm⟧  <DHL>  Your parcel ⟦track⟧ is out for delivery today.
⟦date⟧ ⟦hm⟧  Mum  the alarm code changed to ⟦pin⟧ ok? and wifi is still ⟦psk⟧
⟦date⟧ ⟦hm⟧  Me   ok thx x
""",
)
T(
    "en",
    "meeting_notes",
    P,
    "msg",
    r"""Infra sync – ⟦date⟧
Attendees: ⟦name⟧, ⟦name2⟧

* new egress IPs from the provider: ⟦ip4⟧, ⟦ip4⟧ → update partner allowlists
* IPv6 range announced, first host ⟦ip6⟧
* ⟦first2⟧ to rotate the shared Jenkins admin pw (currently ⟦pw⟧ …yes it's in the notes, that's the problem)
* next sync in 2 weeks
""",
)
T(
    "de",
    "support_ticket",
    P,
    "msg",
    r"""Ticket ⟦ticket⟧ – Kunde meldet Kreditkartenproblem
Kunde: ⟦name⟧, ⟦email⟧
Nachricht: Guten Tag, die Zahlung mit meiner Mastercard ⟦cardm⟧ wurde abgelehnt, obwohl genug Deckung da ist. Bitte prüfen.
Notiz Support: Kartendaten bitte künftig nicht per Mail!
""",
)
T(
    "es",
    "chat_message",
    P,
    "msg",
    r"""⟦first⟧: oye, me pasas la tarjeta de la empresa para comprar los billetes?
⟦first2⟧: ⟦cardv⟧ caduca ⟦exp⟧ cvv ⟦cvv⟧
⟦first⟧: gracias!!
""",
)
T(
    "fr",
    "support_ticket",
    P,
    "msg",
    r"""Ticket ⟦ticket⟧
De : ⟦email⟧
« Bonjour, depuis l'adresse ⟦ip4⟧ je n'arrive plus à me connecter, est-ce que mon compte est bloqué ? Mon identifiant est ⟦user⟧. »
Réponse agent : compte débloqué, IP retirée de la liste noire.
""",
)

# ===== logs, shell sessions, HTTP traffic: positives ===========================
T(
    "en",
    "nginx_access_log",
    P,
    "log",
    r"""⟦ip4⟧ - - [⟦date⟧:⟦time⟧ +0000] "⟦method⟧ ⟦path⟧ HTTP/1.1" ⟦status⟧ ⟦bytes⟧ "-" "⟦ua⟧"
⟦pip⟧ - - [⟦date⟧:⟦time⟧ +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟦ip4⟧ - - [⟦date⟧:⟦time⟧ +0000] "⟦method⟧ ⟦path⟧ HTTP/2.0" ⟦status⟧ ⟦bytes⟧ "https://⟦host⟧/" "⟦ua⟧"
⟦ip6⟧ - - [⟦date⟧:⟦time⟧ +0000] "GET /robots.txt HTTP/1.1" 404 153 "-" "⟦ua⟧"
⟦ip4⟧ - - [⟦date⟧:⟦time⟧ +0000] "POST /wp-login.php HTTP/1.1" 403 548 "-" "⟦ua⟧"
""",
)
T(
    "en",
    "auth_log",
    P,
    "log",
    r"""⟦date⟧T⟦time⟧ bastion sshd[⟦pid⟧]: Failed password for invalid user admin from ⟦ip4⟧ port ⟦num4⟧⟦num⟧ ssh2
⟦date⟧T⟦time⟧ bastion sshd[⟦pid⟧]: Failed password for root from ⟦ip4⟧ port ⟦num4⟧ ssh2
⟦date⟧T⟦time⟧ bastion sshd[⟦pid⟧]: Accepted publickey for ⟦svcuser⟧ from ⟦pip⟧ port ⟦num4⟧ ssh2: ED25519 ⟦fingerprint⟧
⟦date⟧T⟦time⟧ bastion sshd[⟦pid⟧]: Disconnected from authenticating user root ⟦ip6⟧ port ⟦num4⟧ [preauth]
""",
)
T(
    "en",
    "shell_session",
    P,
    "log",
    r"""$ export GITHUB_TOKEN=⟦ghp⟧
$ gh auth status
github.com
  ✓ Logged in to github.com account ⟦user⟧ (GITHUB_TOKEN)
  - Active account: true
  - Git operations protocol: https
  - Token: ghp_************************************
$ gh repo clone ⟦user⟧/⟦proj⟧
Cloning into '⟦proj⟧'...
""",
)
T(
    "en",
    "shell_session",
    P,
    "log",
    r"""root@web01:~# mysql -h ⟦pip⟧ -u ⟦svcuser⟧ -p'⟦pw⟧' ⟦dbname⟧ -e 'select count(*) from orders'
mysql: [Warning] Using a password on the command line interface can be insecure.
+----------+
| count(*) |
+----------+
|    ⟦num4⟧ |
+----------+
root@web01:~# history | tail -3
""",
)
T(
    "en",
    "http_request",
    P,
    "log",
    r"""POST /v1/charges HTTP/1.1
Host: api.stripe.com
Authorization: Bearer ⟦sklive⟧
Content-Type: application/x-www-form-urlencoded
Idempotency-Key: ⟦idem⟧
X-Forwarded-For: ⟦ip4⟧, ⟦pip⟧
User-Agent: ⟦ua⟧

amount=⟦num4⟧&currency=eur&source=tok_visa&description=order+⟦ordno⟧
""",
)
T(
    "en",
    "http_request",
    P,
    "log",
    r"""GET /api/v2/accounts/me HTTP/2
host: ⟦host⟧
accept: application/json
authorization: Bearer ⟦jwt⟧
cookie: _ga=GA1.2.⟦num4⟧⟦num4⟧.⟦epoch⟧; session=⟦cookie⟧
x-request-id: ⟦uuid⟧
x-real-ip: ⟦ip⟧
""",
)
T(
    "en",
    "http_response",
    P,
    "log",
    r"""HTTP/1.1 200 OK
Content-Type: application/json
X-Request-Id: ⟦reqid⟧

{"access_token":"⟦jwt⟧","token_type":"Bearer","expires_in":3600,"refresh_token":"⟦tok⟧","scope":"read write"}
""",
)
T(
    "en",
    "app_log",
    P,
    "log",
    r"""⟦ts⟧ INFO  [main] o.s.b.w.e.tomcat.TomcatWebServer : Tomcat started on port(s): 8080 (http)
⟦ts⟧ DEBUG [http-nio-8080-exec-3] c.a.p.PaymentClient : POST https://api.⟦dom⟧/charge body={"pan":"⟦cardp⟧","exp":"⟦exp⟧","amount":⟦amount⟧}
⟦ts⟧ WARN  [http-nio-8080-exec-3] c.a.p.PaymentClient : retrying (1/3) after 502 from upstream ⟦ip4⟧
⟦ts⟧ INFO  [http-nio-8080-exec-3] c.a.p.PaymentClient : charge ok id=ch_⟦rid⟧
""",
)
T(
    "en",
    "app_log",
    P,
    "log",
    r"""⟦ts⟧ level=info msg="starting worker" version=⟦ver⟧ pid=⟦pid⟧
⟦ts⟧ level=debug msg="loaded config" redis_url="redis://default:⟦pwu⟧@⟦ihost⟧:6379/2" queue=emails
⟦ts⟧ level=info msg="sent mail" to=⟦email⟧ template=welcome took=⟦ms⟧ms
⟦ts⟧ level=info msg="sent mail" to=⟦email2⟧ template=reset took=⟦ms⟧ms
⟦ts⟧ level=warn msg="bounce" to=⟦remail_any⟧ code=550
""",
)
T(
    "en",
    "shell_session",
    P,
    "log",
    r"""PS C:\Users\⟦user⟧> az login --service-principal -u ⟦uuid⟧ -p ⟦tok_an⟧ --tenant ⟦uuid⟧
[
  {
    "cloudName": "AzureCloud",
    "isDefault": true,
    "state": "Enabled",
    "user": { "name": "⟦uuid⟧", "type": "servicePrincipal" }
  }
]
""",
)
T(
    "en",
    "ci_log",
    P,
    "log",
    r"""Run docker login -u ⟦svcuser⟧ -p ⟦dckr⟧ ghcr.io
WARNING! Using --password via the CLI is insecure. Use --password-stdin.
Login Succeeded
Run docker push ghcr.io/⟦svcuser⟧/⟦proj⟧:⟦sha7⟧
The push refers to repository [ghcr.io/⟦svcuser⟧/⟦proj⟧]
⟦sha7⟧: Pushed
latest: digest: ⟦digest⟧ size: 1578
""",
)
T(
    "en",
    "firewall_log",
    P,
    "log",
    r"""⟦date⟧ ⟦time⟧ DROP IN=eth0 OUT= SRC=⟦ip4⟧ DST=⟦pip⟧ LEN=60 PROTO=TCP SPT=⟦num4⟧ DPT=23
⟦date⟧ ⟦time⟧ DROP IN=eth0 OUT= SRC=⟦ip4⟧ DST=⟦pip⟧ LEN=40 PROTO=TCP SPT=⟦num4⟧ DPT=445
⟦date⟧ ⟦time⟧ ACCEPT IN=eth0 OUT= SRC=⟦ip4⟧ DST=⟦pip⟧ LEN=52 PROTO=TCP SPT=⟦num4⟧ DPT=443
⟦date⟧ ⟦time⟧ DROP IN=eth0 OUT= SRC=⟦ip6⟧ DST=⟦ula6⟧ LEN=80 PROTO=UDP SPT=⟦num4⟧ DPT=53
""",
)
T(
    "en",
    "mail_log",
    P,
    "log",
    r"""⟦date⟧ ⟦time⟧ mx1 postfix/smtpd[⟦pid⟧]: connect from unknown[⟦ip4⟧]
⟦date⟧ ⟦time⟧ mx1 postfix/smtpd[⟦pid⟧]: NOQUEUE: reject: RCPT from unknown[⟦ip4⟧]: 554 5.7.1 <⟦wemail⟧>: Relay access denied; from=<⟦remail_any⟧> to=<⟦wemail⟧> proto=ESMTP
⟦date⟧ ⟦time⟧ mx1 postfix/smtpd[⟦pid⟧]: disconnect from unknown[⟦ip4⟧] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4
""",
)
T(
    "en",
    "shell_session",
    P,
    "log",
    r"""~/src/⟦proj⟧ (main) $ cat .env
OPENAI_API_KEY=⟦openai⟧
PINECONE_API_KEY=⟦uuidkey⟧
HF_TOKEN=⟦hf⟧
~/src/⟦proj⟧ (main) $ git add . && git commit -m "wip"
[main ⟦sha7⟧] wip
 3 files changed, 41 insertions(+)
""",
)
T(
    "en",
    "kubectl_output",
    P,
    "log",
    r"""$ kubectl get secret ⟦proj⟧-creds -o yaml
apiVersion: v1
data:
  DB_PASSWORD: ⟦k8sb64⟧
  STRIPE_KEY: ⟦k8sb64⟧
kind: Secret
metadata:
  creationTimestamp: "⟦ts⟧"
  name: ⟦proj⟧-creds
  namespace: default
  uid: ⟦uuid⟧
type: Opaque
""",
)
T(
    "en",
    "shell_session",
    P,
    "log",
    r"""$ curl -s https://api.mailgun.net/v3/⟦dom⟧/messages \
    --user 'api:⟦mailgun⟧' \
    -F from='Alerts <⟦remail⟧>' \
    -F to=⟦email⟧ \
    -F subject='disk 91% on web01' -F text='see grafana'
{"id":"⟦uuid⟧","message":"Queued. Thank you."}
""",
)
T(
    "en",
    "vpn_log",
    P,
    "log",
    r"""⟦date⟧ ⟦time⟧ openvpn[⟦pid⟧]: ⟦ip4⟧:⟦num4⟧ TLS: Initial packet from [AF_INET]⟦ip4⟧:⟦num4⟧
⟦date⟧ ⟦time⟧ openvpn[⟦pid⟧]: ⟦ip4⟧:⟦num4⟧ VERIFY OK: depth=0, CN=⟦user⟧
⟦date⟧ ⟦time⟧ openvpn[⟦pid⟧]: ⟦user⟧/⟦ip4⟧:⟦num4⟧ MULTI_sva: pool returned IPv4=10.8.0.⟦num⟧
""",
)
T(
    "en",
    "app_log",
    P,
    "log",
    r"""Traceback (most recent call last):
  File "/srv/app/jobs/sync.py", line 88, in run
    conn = ftplib.FTP_TLS("⟦ip4⟧", user="⟦svcuser⟧", passwd="⟦pw⟧", timeout=30)
  File "/usr/lib/python3.11/ftplib.py", line 738, in __init__
    super().__init__(host, user, passwd, acct, timeout, source_address, encoding=encoding)
TimeoutError: [Errno 110] Connection timed out
""",
)

# ===== tables, lists, data dumps: positives ===================================
T(
    "en",
    "csv_dump",
    P,
    "table",
    r"""id,full_name,email,signup_ip,country,created_at
⟦num4⟧,"⟦name⟧",⟦email⟧,⟦ip4⟧,DE,⟦date⟧
⟦num4⟧,"⟦name2⟧",⟦email2⟧,⟦ip4⟧,FR,⟦date⟧
⟦num4⟧,"Test User",qa+⟦num⟧@example.com,⟦pip⟧,--,⟦date⟧
⟦num4⟧,"⟦name⟧",⟦remail_any⟧,⟦ip6⟧,PL,⟦date⟧
""",
)
T(
    "en",
    "sql_dump",
    P,
    "table",
    r"""--
-- Dumping data for table `customers`
--
INSERT INTO `customers` (`id`, `name`, `email`, `password_hash`, `last_ip`) VALUES
(⟦num⟧, '⟦name⟧', '⟦email⟧', '⟦bcrypt⟧', '⟦ip4⟧'),
(⟦num⟧, '⟦name2⟧', '⟦email2⟧', '⟦bcrypt⟧', '⟦ip4⟧'),
(⟦num⟧, 'admin', '⟦remail⟧', '⟦bcrypt⟧', '⟦pip⟧');
""",
)
T(
    "en",
    "markdown_table",
    P,
    "table",
    r"""| service | url | user | password |
|---|---|---|---|
| grafana | https://grafana.⟦dom⟧ | admin | ⟦pw⟧ |
| rabbitmq | http://⟦pip⟧:15672 | ⟦svcuser⟧ | ⟦pw⟧ |
| minio | https://s3.⟦dom⟧ | minioadmin | ⟦pw⟧ |
| jenkins | https://ci.⟦dom⟧ | ⟦user⟧ | ⟦pw⟧ |
""",
)
T(
    "en",
    "combo_list",
    P,
    "table",
    r"""# leak sample, ⟦date⟧
⟦remail_any⟧:⟦pw⟧
⟦remail_any⟧:⟦pw⟧
⟦remail_any⟧:⟦pw⟧
⟦remail_any⟧:⟦pw⟧
""",
)
T(
    "en",
    "password_manager_export",
    P,
    "table",
    r"""name,url,username,password,note
GitHub,https://github.com/login,⟦user⟧,⟦pw⟧,
AWS root,https://console.aws.amazon.com,⟦email⟧,⟦pw⟧,MFA on phone
Bank,https://banking.⟦dom⟧,⟦num4⟧⟦num4⟧,⟦pw⟧,
Home router,http://192.168.1.1,admin,⟦pw⟧,
""",
)
T(
    "en",
    "json_dump",
    P,
    "table",
    r"""[
  {"id": "cus_⟦rid⟧", "email": "⟦email⟧", "card": {"number": "⟦cardp⟧", "exp": "⟦exp⟧", "brand": "auto"}, "ip": "⟦ip4⟧"},
  {"id": "cus_⟦rid⟧", "email": "⟦email2⟧", "card": {"number": "⟦cardp⟧", "exp": "⟦exp⟧", "brand": "auto"}, "ip": "⟦ip4⟧"}
]
""",
)
T(
    "en",
    "tsv_export",
    P,
    "table",
    r"""order	customer	card_number	amount	status
⟦ordno⟧	⟦name⟧	⟦card⟧	⟦amount⟧	captured
⟦ordno⟧	⟦name2⟧	⟦card⟧	⟦amount⟧	refunded
⟦ordno⟧	⟦name⟧	⟦maskcard⟧	⟦amount⟧	captured
""",
)
T(
    "en",
    "inventory_list",
    P,
    "table",
    r"""HOST            PUBLIC_IP         PRIVATE_IP      ROLE
web-01          ⟦ip4⟧      ⟦pip⟧     nginx
web-02          ⟦ip4⟧      ⟦pip⟧     nginx
db-01           -                 ⟦pip⟧     postgres
edge-01         ⟦ip6⟧  ⟦ula6⟧  haproxy
""",
)
T(
    "en",
    "yaml_dump",
    P,
    "table",
    r"""accounts:
  - service: twilio
    sid: AC⟦md5⟧
    token: ⟦twilio⟧
  - service: mailchimp
    key: ⟦mailchimp⟧
  - service: sendgrid
    key: ⟦sendgrid⟧
""",
)
T(
    "de",
    "csv_dump",
    P,
    "table",
    r"""Kundennr;Name;E-Mail;Telefon;Ort
⟦num4⟧;⟦name⟧;⟦email⟧;⟦phone⟧;⟦city⟧
⟦num4⟧;⟦name2⟧;⟦email2⟧;⟦phone⟧;⟦city⟧
⟦num4⟧;Muster GmbH;info@example.de.example;⟦phone⟧;⟦city⟧
""",
)
T(
    "ja",
    "csv_dump",
    P,
    "table",
    r"""会員ID,氏名,メールアドレス,登録IP
⟦num4⟧,⟦name⟧,⟦email⟧,⟦ip4⟧
⟦num4⟧,⟦name2⟧,⟦email2⟧,⟦ip4⟧
""",
)
T(
    "en",
    "spreadsheet_paste",
    P,
    "table",
    r"""Employee	Corporate card	Limit	Manager
⟦name⟧	⟦card⟧	5000	⟦name2⟧
⟦name2⟧	⟦card⟧	2500	⟦name⟧
""",
)
T(
    "en",
    "api_keys_list",
    P,
    "table",
    r"""- name: ci-github
  token: ⟦ghs⟧
- name: release-bot
  token: ⟦ghu⟧
- name: renovate
  token: ⟦gho⟧
- name: refresh
  token: ⟦ghr⟧
""",
)
T(
    "en",
    "log_table",
    P,
    "table",
    r"""time                 src_ip            user          result
⟦hm⟧                ⟦ip4⟧     ⟦uname⟧        FAIL
⟦hm⟧                ⟦ip4⟧     ⟦uname⟧        OK
⟦hm⟧                ⟦ip6⟧     ⟦uname⟧        FAIL
⟦hm⟧                ⟦pip⟧     ⟦uname⟧        OK
""",
)
T(
    "en",
    "html_table",
    P,
    "table",
    r"""<table class="users">
<tr><th>Name</th><th>E-mail</th><th>Last login from</th></tr>
<tr><td>⟦name⟧</td><td>⟦email⟧</td><td>⟦ip4⟧</td></tr>
<tr><td>⟦name2⟧</td><td>⟦email2⟧</td><td>⟦ip4⟧</td></tr>
</table>
""",
)
T(
    "ru",
    "csv_dump",
    P,
    "table",
    r"""ФИО;email;ip;карта
⟦name⟧;⟦email⟧;⟦ip4⟧;⟦card⟧
⟦name2⟧;⟦email2⟧;⟦ip4⟧;⟦card⟧
""",
)
T(
    "en",
    "ldif_dump",
    P,
    "table",
    r"""dn: uid=⟦user⟧,ou=people,dc=⟦proj⟧,dc=local
objectClass: inetOrgPerson
cn: ⟦name⟧
mail: ⟦wemail⟧
userPassword: ⟦pw⟧

dn: uid=svc,ou=people,dc=⟦proj⟧,dc=local
objectClass: inetOrgPerson
cn: service
mail: ⟦remail⟧
userPassword: ⟦pw⟧
""",
)
T(
    "pt",
    "csv_dump",
    P,
    "table",
    r"""nome,email,cartao,validade
⟦name⟧,⟦email⟧,⟦card⟧,⟦exp⟧
⟦name2⟧,⟦email2⟧,⟦card⟧,⟦exp⟧
""",
)
T(
    "en",
    "wifi_list",
    P,
    "table",
    r"""SSID              | Security | Key
⟦proj⟧-guest      | WPA2     | ⟦psk⟧
⟦proj⟧-staff      | WPA2-ENT | (radius)
⟦proj⟧-iot        | WPA2     | ⟦psk⟧
""",
)

# ===== hard negatives: code & configuration ====================================
T(
    "en",
    "dotenv",
    "placeholder_value",
    "code",
    r"""# Copy this file to .env and fill in your own values
APP_NAME=⟦proj⟧
APP_ENV=local
DB_HOST=127.0.0.1
DB_USERNAME=⟦svcuser⟧
DB_PASSWORD=⟦placeholder⟧
STRIPE_SECRET_KEY=⟦placeholder⟧
OPENAI_API_KEY=⟦placeholder⟧
SENTRY_DSN=
""",
)
T(
    "en",
    "python_source",
    "env_var_reference",
    "code",
    r"""import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "⟦dbname⟧"),
        "USER": os.environ.get("DB_USER", "⟦svcuser⟧"),
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": os.environ.get("DB_HOST", "⟦ihost⟧"),
    }
}
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
STRIPE_KEY = ⟦envref⟧
""",
)
T(
    "en",
    "github_actions",
    "env_var_reference",
    "code",
    r"""name: release
on: { push: { tags: ['v*'] } }
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
      - run: ./deploy.sh
        env:
          AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          DEPLOY_TOKEN: ⟦envref⟧
      - run: echo "build ⟦sha7⟧ done"
""",
)
T(
    "en",
    "javascript_source",
    "publishable_key",
    "code",
    r"""// Stripe.js is initialised with the *publishable* key only – safe to ship to browsers
const stripe = Stripe('⟦pklive⟧', { locale: 'auto' });
const elements = stripe.elements({ appearance: { theme: 'stripe' } });
const card = elements.create('card');
card.mount('#card-element');
""",
)
T(
    "en",
    "html_page",
    "publishable_key",
    "code",
    r"""<script src="https://js.stripe.com/v3/"></script>
<script>
  window.STRIPE_PUBLISHABLE_KEY = "⟦pktest⟧";
  window.MAPBOX_PUBLIC_TOKEN = "⟦mapboxpk⟧";
</script>
""",
)
T(
    "en",
    "typescript_source",
    "public_token",
    "code",
    r"""import mapboxgl from "mapbox-gl";

// public (pk.) token, URL-restricted to our domains in the Mapbox dashboard
mapboxgl.accessToken = "⟦mapboxpk⟧";

export const map = new mapboxgl.Map({
  container: "map",
  style: "mapbox://styles/mapbox/streets-v12",
  center: [⟦num⟧.5, 48.1],
  zoom: 9,
});
""",
)
T(
    "en",
    "html_page",
    "recaptcha_site_key",
    "code",
    r"""<form id="contact" action="/send" method="POST">
  <input name="name" placeholder="Your name">
  <textarea name="msg"></textarea>
  <div class="g-recaptcha" data-sitekey="⟦recaptcha⟧"></div>
  <button type="submit">Send</button>
</form>
<script src="https://www.google.com/recaptcha/api.js" async defer></script>
""",
)
T(
    "en",
    "javascript_source",
    "oauth_client_id",
    "code",
    r"""google.accounts.id.initialize({
  client_id: "⟦gclient⟧",
  callback: handleCredentialResponse,
  auto_select: false,
});
google.accounts.id.renderButton(document.getElementById("g-btn"), { theme: "outline" });
""",
)
T(
    "en",
    "yaml_config",
    "oauth_client_id",
    "code",
    r"""oauth:
  provider: github
  client_id: ⟦clientid⟧
  client_secret: ${GITHUB_CLIENT_SECRET}
  callback_url: https://⟦host⟧/auth/github/callback
  scopes: [read:user, user:email]
""",
)
T(
    "en",
    "python_source",
    "vendor_doc_example_key",
    "code",
    r"""# Example from the AWS docs -- these are the documented sample credentials, not real ones.
session = boto3.Session(
    aws_access_key_id="⟦akidex⟧",
    aws_secret_access_key="⟦awsskex⟧",
    region_name="⟦region⟧",
)
""",
)
T(
    "en",
    "ini_config",
    "vendor_doc_example_key",
    "code",
    r"""# ~/.aws/credentials (sample from the CLI user guide)
[default]
aws_access_key_id = ⟦akidex⟧
aws_secret_access_key = ⟦awsskex⟧

[dev]
role_arn = arn:aws:iam::⟦acct⟧:role/⟦proj⟧-dev
source_profile = default
""",
)
T(
    "en",
    "shadow_file",
    "unix_crypt_hash",
    "code",
    r"""root:⟦sha512crypt⟧:19⟦num⟧:0:99999:7:::
daemon:*:19⟦num⟧:0:99999:7:::
⟦svcuser⟧:⟦sha512crypt⟧:19⟦num⟧:0:99999:7:::
⟦uname⟧:⟦sha256crypt⟧:19⟦num⟧:0:99999:7:::
legacy:⟦md5crypt⟧:18⟦num⟧:0:99999:7:::
nobody:*:18⟦num⟧:0:99999:7:::
""",
)
T(
    "en",
    "cisco_config",
    "cisco_secret_hash",
    "code",
    r"""hostname ⟦proj⟧-core-sw1
!
enable algorithm-type scrypt secret 9 ⟦cisco9⟧
!
username ⟦uname⟧ privilege 15 secret 8 ⟦cisco8⟧
username netops privilege 15 secret 9 ⟦cisco9⟧
!
interface Vlan10
 ip address ⟦pip⟧ 255.255.255.0
!
ntp server ⟦pip⟧
""",
)
T(
    "en",
    "python_source",
    "bcrypt_hash",
    "code",
    r"""# tests/fixtures/users.py -- hashes only, the plaintexts are not stored anywhere
USERS = [
    {"username": "⟦uname⟧", "password_hash": "⟦bcrypt⟧", "role": "admin"},
    {"username": "⟦uname⟧", "password_hash": "⟦bcrypt⟧", "role": "viewer"},
]
""",
)
T(
    "en",
    "htpasswd",
    "bcrypt_hash",
    "code",
    r"""⟦uname⟧:⟦bcrypt⟧
⟦uname⟧:⟦bcrypt⟧
""",
)
T(
    "en",
    "django_fixture",
    "pbkdf2_hash",
    "code",
    r"""[
  {
    "model": "auth.user",
    "pk": ⟦num⟧,
    "fields": {
      "username": "⟦uname⟧",
      "password": "⟦pbkdf2⟧",
      "is_superuser": true,
      "email": "⟦xemail⟧"
    }
  }
]
""",
)
T(
    "en",
    "yaml_config",
    "argon2_hash",
    "code",
    r"""# authelia users_database.yml
users:
  ⟦uname⟧:
    displayname: "⟦name⟧"
    password: "⟦argon2⟧"
    email: ⟦xemail⟧
    groups: [admins]
""",
)
T(
    "en",
    "package_lock",
    "sri_integrity_hash",
    "code",
    r"""    "node_modules/⟦proj⟧-utils": {
      "version": "⟦semver⟧",
      "resolved": "https://registry.npmjs.org/⟦proj⟧-utils/-/⟦proj⟧-utils-⟦semver⟧.tgz",
      "integrity": "⟦pkgint⟧",
      "dev": true
    },
""",
)
T(
    "en",
    "html_page",
    "sri_integrity_hash",
    "code",
    r"""<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css"
      integrity="⟦sri⟧" crossorigin="anonymous">
<script src="/static/app.⟦sha7⟧.js" integrity="⟦sri⟧" crossorigin="anonymous" nonce="⟦nonce⟧"></script>
""",
)
T(
    "en",
    "kubernetes_manifest",
    "container_image_digest",
    "code",
    r"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: ⟦proj⟧
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/⟦proj⟧@⟦digest⟧
        - name: sidecar
          image: ⟦docker_img⟧
""",
)
T(
    "en",
    "kubernetes_manifest",
    "secret_reference_no_value",
    "code",
    r"""        env:
          - name: DB_PASSWORD
            valueFrom:
              secretKeyRef:
                name: ⟦proj⟧-db
                key: password
          - name: API_TOKEN
            valueFrom:
              secretKeyRef: { name: ⟦proj⟧-api, key: token }
          - name: POD_IP
            valueFrom: { fieldRef: { fieldPath: status.podIP } }
""",
)
T(
    "en",
    "terraform",
    "secret_reference_no_value",
    "code",
    r"""variable "db_password" {
  description = "Master password for ⟦proj⟧ (set via TF_VAR_db_password)"
  type        = string
  sensitive   = true
}

resource "aws_db_instance" "this" {
  identifier = "⟦proj⟧"
  username   = "⟦svcuser⟧"
  password   = var.db_password
}

data "aws_secretsmanager_secret_version" "api" {
  secret_id = "⟦proj⟧/api-token"
}
""",
)
T(
    "en",
    "terraform",
    "private_ip",
    "code",
    r"""resource "aws_vpc" "main" {
  cidr_block = "10.⟦num⟧.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "⟦pip⟧/24"
}
resource "aws_instance" "bastion" {
  private_ip = "⟦pip⟧"
  ami        = "ami-⟦rid⟧"
}
""",
)
T(
    "en",
    "docker_compose",
    "loopback_ip",
    "code",
    r"""services:
  redis:
    image: redis:7
    ports: ["127.0.0.1:6379:6379"]
  api:
    build: .
    environment:
      REDIS_URL: redis://127.0.0.1:6379/0
      BIND: 0.0.0.0:⟦port⟧
      METRICS_ADDR: "[::1]:9100"
""",
)
T(
    "en",
    "go_source",
    "csrf_token",
    "code",
    r"""// csrf middleware test: token is random per session, not a credential
func TestCSRF(t *testing.T) {
	tok := "⟦csrf⟧"
	req := httptest.NewRequest("POST", "/form", strings.NewReader("csrf_token="+tok))
	req.Header.Set("X-CSRF-Token", tok)
	rr := httptest.NewRecorder()
	handler.ServeHTTP(rr, req)
}
""",
)
T(
    "en",
    "python_source",
    "request_trace_id",
    "code",
    r"""logger.info(
    "request finished",
    extra={
        "request_id": "⟦uuid⟧",
        "traceparent": "⟦traceparent⟧",
        "correlation_id": "⟦reqid⟧",
        "duration_ms": ⟦ms⟧,
    },
)
""",
)
T(
    "en",
    "ruby_source",
    "idempotency_key",
    "code",
    r"""charge = Stripe::Charge.create(
  { amount: ⟦num4⟧, currency: "usd", customer: customer.id },
  { idempotency_key: "⟦idem⟧" }
)
Rails.cache.write("⟦cachekey⟧", charge.id, expires_in: 10.minutes)
""",
)
T(
    "en",
    "java_source",
    "cache_key",
    "code",
    r"""String key = "⟦cachekey⟧";
redis.setex(key, 3600, payload);
String etag = "\"⟦md5⟧\"";
response.setHeader("ETag", etag);
""",
)
T(
    "en",
    "hcl_config",
    "vault_accessor",
    "code",
    r"""# vault token lookup output (token itself not shown)
# accessor            ⟦accessor⟧
# creation_ttl        768h
# display_name        approle
# policies            [default ⟦proj⟧-read]
path "secret/data/⟦proj⟧/*" {
  capabilities = ["read"]
}
""",
)
T(
    "en",
    "solidity_source",
    "crypto_wallet_address",
    "code",
    r"""// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Treasury {
    address public constant OWNER = ⟦eth⟧;
    address public constant FEE_SINK = ⟦eth⟧;
    function withdraw() external { require(msg.sender == OWNER); payable(FEE_SINK).transfer(address(this).balance); }
}
""",
)
T(
    "en",
    "authorized_keys",
    "ssh_public_key",
    "code",
    r"""# ~/.ssh/authorized_keys on ⟦proj⟧-bastion
⟦sshpub⟧ ⟦uname⟧@laptop
⟦sshpub⟧ ci-deploy
""",
)
T(
    "en",
    "pem_file",
    "x509_certificate",
    "code",
    r"""# CA bundle for the internal PKI (public certificate, safe to distribute)
⟦cert⟧
""",
    n=3,
)
T(
    "en",
    "pem_file",
    "public_key_pem",
    "code",
    r"""// JWT verification key (public half only)
const PUBLIC_KEY = `⟦pubpem⟧`;
jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256"] });
""",
)
T(
    "en",
    "git_log",
    "git_commit_sha",
    "code",
    r"""* ⟦sha7⟧ (HEAD -> main, origin/main) fix: handle empty cart
* ⟦sha7⟧ chore(deps): bump ⟦proj⟧-utils to ⟦semver⟧
* ⟦sha7⟧ Merge pull request #⟦num⟧ from ⟦uname⟧/feature/export
* ⟦sha7⟧ docs: explain rate limits
commit ⟦gitsha⟧
""",
)
T(
    "en",
    "python_source",
    "checksum_digest",
    "code",
    r"""EXPECTED_SHA256 = "⟦sha64⟧"
EXPECTED_MD5 = "⟦md5⟧"

def verify(path):
    h = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if h != EXPECTED_SHA256:
        raise ValueError(f"checksum mismatch for {path}: {h}")
""",
)
T(
    "en",
    "javascript_source",
    "webhook_signature_header",
    "code",
    r"""// verify GitHub webhook: the header carries an HMAC *digest*, the secret comes from env
const sig = req.get('X-Hub-Signature-256'); // e.g. "⟦hubsig⟧"
const expected = 'sha256=' + crypto.createHmac('sha256', process.env.WEBHOOK_SECRET).update(req.rawBody).digest('hex');
if (!crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) return res.sendStatus(401);
""",
)
T(
    "en",
    "html_page",
    "csp_nonce",
    "code",
    r"""<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-⟦nonce⟧'">
<script nonce="⟦nonce⟧">window.__BUILD__ = "⟦sha7⟧";</script>
""",
)
T(
    "en",
    "css_source",
    "hex_color",
    "code",
    r"""/* theme tokens */
:root {
  --brand: ⟦hexcolor⟧;
  --brand-dark: ⟦hexcolor⟧;
  --accent: ⟦hexcolor⟧;
  --radius: 6px;
}
.btn-primary { background: var(--brand); border-color: ⟦hexcolor⟧; }
""",
)
T(
    "en",
    "python_source",
    "version_number",
    "code",
    r"""# requirements.txt
django==⟦semver⟧
requests>=⟦semver⟧
boto3==1.34.⟦num⟧
psycopg2-binary==2.9.⟦num⟧
python-dateutil==2.9.0
""",
)
T(
    "en",
    "python_source",
    "uuid_identifier",
    "code",
    r"""TENANTS = {
    "acme": "⟦uuid⟧",
    "globex": "⟦uuid⟧",
    "initech": "⟦uuid⟧",
}
DEFAULT_WORKSPACE_ID = "⟦uuid⟧"
""",
)
T(
    "en",
    "c_source",
    "mac_address",
    "code",
    r"""/* board defaults -- MAC is overwritten from EEPROM at boot */
static uint8_t default_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x⟦num⟧ % 255, 0x01};
#define FALLBACK_MAC "⟦mac⟧"
#define FALLBACK_IP  "⟦pip⟧"
#define GATEWAY_IP   "⟦pip⟧"
""",
)
T(
    "en",
    "python_source",
    "username_only",
    "code",
    r"""ADMINS = ["⟦uname⟧", "⟦uname⟧", "⟦uname⟧"]
DEFAULT_DB_USER = "⟦svcuser⟧"
SSH_USER = "⟦uname⟧"

def is_admin(username: str) -> bool:
    return username in ADMINS
""",
)
T(
    "en",
    "java_source",
    "empty_password_field",
    "code",
    r"""// LoginForm.java (⟦ticket⟧, ⟦date⟧)
public class LoginForm {
    private String username = "";
    private char[] password = new char[0];
    private String otpCode = null;

    public boolean isComplete() {
        return !username.isEmpty() && password.length > 0;
    }
}
""",
)
T(
    "en",
    "yaml_config",
    "redacted_value",
    "code",
    r"""# output of `helm get values ⟦proj⟧` (sensitive values masked by the plugin)
postgresql:
  auth:
    username: ⟦svcuser⟧
    password: ⟦redact⟧
smtp:
  host: ⟦ihost⟧
  password: ⟦redact⟧
apiToken: ⟦redact⟧
""",
)
T(
    "en",
    "sql_script",
    "private_ip",
    "code",
    r"""-- allow app servers in the VPC
CREATE USER '⟦svcuser⟧'@'⟦pip⟧' IDENTIFIED BY '${APP_DB_PASSWORD}';
CREATE USER '⟦svcuser⟧'@'10.%' IDENTIFIED WITH auth_socket;
GRANT SELECT, INSERT, UPDATE ON ⟦dbname⟧.* TO '⟦svcuser⟧'@'⟦pip⟧';
""",
)
T(
    "en",
    "python_source",
    "luhn_invalid_number",
    "code",
    r"""import pytest

@pytest.mark.parametrize("number", [
    "⟦badcard⟧",
    "⟦badcard⟧",
    "⟦badcard⟧",
])
def test_rejects_bad_checksum(number):
    assert not luhn_valid(number)
""",
)
T(
    "en",
    "rust_source",
    "documentation_ip",
    "code",
    r"""#[test]
fn parses_forwarded_header() {
    let h = "for=⟦docip:a⟧;proto=https, for=\"[⟦docip6⟧]\"";
    let ips = parse_forwarded(h).unwrap();
    assert_eq!(ips[0].to_string(), "⟦docip:a⟧".split(';').next().unwrap());
    assert_eq!(ips.len(), 2);
}
""",
)
T(
    "en",
    "go_source",
    "documentation_ip",
    "code",
    r"""func TestAllowlist(t *testing.T) {
	al := NewAllowlist([]string{"⟦docip⟧/32", "⟦docip⟧/32", "⟦docip6⟧/64"})
	if !al.Contains(net.ParseIP("⟦docip⟧")) {
		t.Log("expected to be outside the list")
	}
}
""",
)
T(
    "en",
    "swift_source",
    "placeholder_value",
    "code",
    r"""enum Config {
    // Fill these in locally, never commit real values.
    static let apiKey = "⟦placeholder⟧"
    static let apiSecret = "⟦placeholder⟧"
    static let baseURL = URL(string: "https://api.⟦dom⟧")!
}
""",
)
T(
    "en",
    "php_source",
    "env_var_reference",
    "code",
    r"""<?php
return [
    'default' => env('DB_CONNECTION', 'mysql'),
    'connections' => [
        'mysql' => [
            'host' => env('DB_HOST', '127.0.0.1'),
            'username' => env('DB_USERNAME', 'forge'),
            'password' => env('DB_PASSWORD', ''),
        ],
    ],
    'stripe_secret' => ⟦envref⟧,
];
""",
)
T(
    "en",
    "python_source",
    "base64_image_data",
    "code",
    r"""FAVICON = (
    "data:image/png;base64,"
    "⟦pngb64⟧"
)
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
""",
)
T(
    "en",
    "csharp_source",
    "password_policy_code",
    "code",
    r"""public static bool IsStrong(string pw) =>
    pw.Length >= 12 &&
    pw.Any(char.IsUpper) &&
    pw.Any(char.IsDigit) &&
    !CommonPasswords.Contains(pw.ToLowerInvariant());
// minimum length raised from 8 to 12 in ⟦ticket⟧
""",
)
T(
    "en",
    "ansible_playbook",
    "secret_reference_no_value",
    "code",
    r"""- name: configure app database
  hosts: db
  vars_files:
    - vault.yml
  tasks:
    - name: create user
      community.postgresql.postgresql_user:
        name: ⟦svcuser⟧
        password: "{{ vault_db_password }}"
        role_attr_flags: LOGIN
""",
)
T(
    "en",
    "ansible_vault",
    "encrypted_blob",
    "code",
    r"""$ANSIBLE_VAULT;1.1;AES256
⟦sha64⟧
⟦sha64⟧
⟦sha64⟧
⟦sha64⟧
""",
)
T(
    "en",
    "dockerfile",
    "env_var_reference",
    "code",
    r"""FROM node:20-alpine
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm -f .npmrc
ENV NODE_ENV=production PORT=⟦port⟧
HEALTHCHECK CMD wget -qO- http://127.0.0.1:⟦port⟧/health || exit 1
""",
)
T(
    "en",
    "kotlin_source",
    "oauth_client_id",
    "code",
    r"""val gso = GoogleSignInOptions.Builder(GoogleSignInOptions.DEFAULT_SIGN_IN)
    .requestIdToken("⟦gclient⟧")
    .requestEmail()
    .build()
""",
)
T(
    "en",
    "dotenv",
    "publishable_key",
    "code",
    r"""# public values only, these end up in the JS bundle
VITE_STRIPE_PUBLISHABLE_KEY=⟦pklive⟧
VITE_RECAPTCHA_SITE_KEY=⟦recaptcha⟧
VITE_GOOGLE_CLIENT_ID=⟦gclient⟧
VITE_API_BASE=https://api.⟦dom⟧
""",
)
T(
    "en",
    "git_diff",
    "redacted_value",
    "code",
    r"""diff --git a/config/prod.yml b/config/prod.yml
--- a/config/prod.yml
+++ b/config/prod.yml
@@ -12,7 +12,7 @@ mailer:
   host: ⟦ihost⟧
   port: 587
-  password: ⟦redact⟧
+  password: ${SMTP_PASSWORD}
   from: ⟦xemail⟧
""",
)
T(
    "en",
    "yaml_config",
    "multicast_ip",
    "code",
    r"""# keepalived / service discovery
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id ⟦num⟧
    unicast_src_ip ⟦pip⟧
}
mdns_group: 224.0.0.251
ssdp_group: 239.255.255.250
cluster_multicast: ⟦mcast⟧
""",
)
T(
    "en",
    "ini_config",
    "link_local_ip",
    "code",
    r"""[metadata]
; cloud instance metadata endpoint
endpoint = http://169.254.169.254/latest/meta-data/
fallback = ⟦llip⟧
ipv6_gateway = ⟦ll6⟧
""",
)
T(
    "en",
    "yaml_config",
    "cgnat_ip",
    "code",
    r"""# tailscale ACL test fixtures (100.64.0.0/10 CGNAT addresses)
hosts:
  laptop: ⟦cgnat⟧
  nas: ⟦cgnat⟧
  pi: ⟦cgnat⟧
tests:
  - src: laptop
    accept: ["nas:445"]
""",
)
T(
    "en",
    "python_source",
    "placeholder_value",
    "code",
    r"""# notebook cell 1 -- set your key before running
import os
os.environ["OPENAI_API_KEY"] = "sk-..."  # paste yours here
os.environ["HF_TOKEN"] = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
MODEL = "⟦proj⟧-⟦semver⟧"
""",
)
T(
    "en",
    "go_source",
    "private_ipv6",
    "code",
    r"""var trusted = []string{
	"⟦ula6⟧/64",
	"⟦ll6⟧",
	"::1",
	"⟦pip⟧/16",
}
""",
)
T(
    "en",
    "python_source",
    "reserved_email_domain",
    "code",
    r"""def test_signup_sends_welcome(client, mailoutbox):
    client.post("/signup", {"email": "⟦xemail:a⟧", "password": os.environ["TEST_PW"]})
    assert mailoutbox[0].to == ["⟦xemail:a⟧"]
    assert mailoutbox[0].from_email == "⟦xemail⟧"
""",
)
T(
    "en",
    "typescript_source",
    "test_fixture_masked_card",
    "code",
    r"""export const fixtures = {
  savedCard: { brand: "visa", display: "⟦maskcard⟧", exp: "⟦exp⟧" },
  order: { id: "⟦ordno⟧", total: ⟦amount⟧ },
};
""",
)

# ===== hard negatives: web pages, docs, Q&A =====================================
T(
    "en",
    "docs_page",
    "vendor_doc_example_key",
    "web",
    r"""## Configuring credentials

Run `aws configure` and enter your keys when prompted:

```
$ aws configure
AWS Access Key ID [None]: ⟦akidex⟧
AWS Secret Access Key [None]: ⟦awsskex⟧
Default region name [None]: ⟦region⟧
Default output format [None]: json
```

The values above are the sample credentials used throughout this guide.
""",
)
T(
    "en",
    "readme",
    "placeholder_value",
    "web",
    r"""## Configuration

Create a `config.yml`:

```yaml
slack:
  bot_token: ⟦placeholder⟧
  channel: "#alerts"
github:
  token: ⟦placeholder⟧
```

Never commit this file. Questions: open an issue (please don't e-mail maintainers directly).
""",
)
T(
    "en",
    "docs_page",
    "reserved_email_domain",
    "web",
    r"""### Sending a test message

```bash
curl -X POST https://api.⟦dom⟧/v1/messages \
  -H "Authorization: Bearer $API_TOKEN" \
  -d from=⟦xemail⟧ -d to=⟦xemail⟧ -d subject="Hello"
```

Use addresses on `example.com` in examples; they are reserved and never delivered.
""",
)
T(
    "en",
    "qa_forum_post",
    "password_policy_text",
    "web",
    r"""Q: Is a 12 character password with a symbol enough for an admin account in 2024?

A: Length matters more than symbols. Use a password manager to generate 20+ random characters, or a passphrase of five or more random words, enable MFA, and never reuse it across services. Rotate only when there's a reason to believe it leaked. NIST 800-63B dropped the mandatory periodic change rule years ago.
(answered ⟦date⟧, score ⟦num⟧)
""",
)
T(
    "en",
    "blog_post",
    "password_policy_text",
    "web",
    r"""<h2>Why we stopped forcing password changes every 90 days</h2>
<p>Posted ⟦date⟧ · ⟦num⟧ min read</p>
<p>Forced rotation made people append a counter to the same base word. After switching to breach-checking on login (k-anonymity lookups against known-leaked lists) and requiring MFA, support tickets about lockouts dropped by ⟦pct⟧%.</p>
<p>The minimum length is now 14 characters, no composition rules.</p>
""",
)
T(
    "en",
    "docs_page",
    "documentation_ip",
    "web",
    r"""## Trusting proxy headers

If your load balancer sends `X-Forwarded-For: ⟦docip⟧, ⟦docip⟧`, configure:

```
trusted_proxies = ["⟦docip⟧/24"]
```

IPv6 example: `⟦docip6⟧`. The addresses in this page come from the documentation ranges (RFC 5737 / RFC 3849).
""",
)
T(
    "en",
    "stackoverflow_question",
    "private_ip",
    "web",
    r"""Can't reach my Docker container from another machine on the LAN

Host is ⟦pip⟧, container exposes 8080. From the host `curl 127.0.0.1:8080` works, from my laptop (⟦pip⟧) `curl ⟦pip⟧:8080` times out. `docker ps` shows `0.0.0.0:8080->8080/tcp`. ufw is inactive. Router is the usual 192.168.1.1. What else could block it?
""",
)
T(
    "en",
    "github_issue",
    "redacted_value",
    "web",
    r"""**Describe the bug**
Login through SSO fails with `invalid_client`.

**Config** (secrets removed)
```
OIDC_ISSUER=https://auth.⟦dom⟧/realms/main
OIDC_CLIENT_ID=⟦proj⟧-web
OIDC_CLIENT_SECRET=⟦redact⟧
```

**Version** ⟦semver⟧
""",
)
T(
    "en",
    "docs_page",
    "publishable_key",
    "web",
    r"""### Client-side keys

Your *publishable* key (`⟦pktest⟧`) identifies your account to Stripe.js and can be published in your app's HTML. Keep your secret key on the server only; it is shown once in the dashboard and starts with `sk_`.
""",
)
T(
    "en",
    "web_page",
    "crypto_wallet_address",
    "web",
    r"""<section class="donate">
  <h3>Support the project</h3>
  <p>BTC: <code>⟦btc⟧</code></p>
  <p>ETH / USDC: <code>⟦eth⟧</code></p>
  <p>Thank you! Every satoshi goes to server costs.</p>
</section>
""",
)
T(
    "en",
    "readme",
    "ssh_public_key",
    "web",
    r"""### Access

Add this deploy key to the repo with read-only permissions:

```
⟦sshpub⟧ deploy@⟦proj⟧
```

Fingerprint: `⟦fingerprint⟧`
""",
)
T(
    "en",
    "docs_page",
    "key_fingerprint",
    "web",
    r"""## Verifying release signatures

All releases are signed with our release key:

    pub   rsa4096 2021-03-02 [SC]
          ⟦pgpfp⟧
    uid   ⟦proj⟧ release signing

Check the downloaded tarball against `SHA256SUMS` (⟦sha64⟧).
""",
)
T(
    "en",
    "changelog",
    "version_number",
    "web",
    r"""## ⟦semver⟧ (⟦date⟧)
- bump minimum OpenSSL to 3.0.⟦num⟧
- support for Python 3.13
## ⟦semver⟧ (⟦date⟧)
- fix crash in `parse_header` (#⟦num4⟧)
""",
)
T(
    "en",
    "web_page",
    "uuid_identifier",
    "web",
    r"""<a href="/orders/⟦uuid⟧/invoice.pdf">Download invoice</a>
<span data-tenant="⟦uuid⟧" data-build="⟦sha7⟧">Workspace settings</span>
""",
)
T(
    "en",
    "web_page",
    "tracking_number",
    "web",
    r"""<div class="shipment">
  <h4>Your order ⟦ordno⟧ has shipped</h4>
  <p>Carrier: UPS · Tracking number: <strong>⟦track⟧</strong></p>
  <p>Estimated delivery: ⟦date⟧</p>
</div>
""",
)
T(
    "en",
    "web_page",
    "isbn_number",
    "web",
    r"""<ul class="books">
  <li><cite>Practical Network Security</cite>, ⟦num⟧ pages, ISBN ⟦isbn⟧</li>
  <li><cite>Databases in Depth</cite>, 2nd ed., ISBN ⟦isbn⟧</li>
</ul>
""",
)
T(
    "en",
    "docs_page",
    "masked_card_number",
    "web",
    r"""## Receipts

Receipts only ever show the last four digits, e.g. `⟦maskcard⟧`. Full card numbers are tokenised by the payment provider and never reach our servers.
""",
)
T(
    "en",
    "qa_forum_post",
    "luhn_invalid_number",
    "web",
    r"""Q: Why does my validator reject ⟦badcard⟧?

A: Because that number fails the Luhn checksum, so it can't be a real card number. Double each second digit from the right, subtract 9 when the result is above 9, sum everything: the total must end in 0. Yours doesn't.
""",
)
T(
    "en",
    "docs_page",
    "oauth_client_id",
    "web",
    r"""## Sign in with Google

1. Create an OAuth client of type *Web application*.
2. Copy the client ID, e.g. `⟦gclient⟧`, into `GOOGLE_CLIENT_ID`.
3. Put the client secret only into your server's secret store.
""",
)
T(
    "en",
    "docs_page",
    "recaptcha_site_key",
    "web",
    r"""### reCAPTCHA v3

Add the site key to your frontend config: `RECAPTCHA_SITE_KEY=⟦recaptcha⟧`.
The secret key is used only by the backend verification call and is not part of this page.
""",
)
T(
    "en",
    "github_issue",
    "request_trace_id",
    "web",
    r"""Getting intermittent 502 from the API since this morning.

Request ids from the failed calls:
- `⟦uuid⟧`
- `⟦uuid⟧`
- trace: `⟦traceparent⟧`

Region ⟦region⟧, client version ⟦semver⟧.
""",
)
T(
    "en",
    "docs_page",
    "webhook_signature_header",
    "web",
    r"""### Verifying webhook deliveries

Every delivery carries a signature header:

```
X-Signature-256: ⟦hubsig⟧
X-Delivery: ⟦uuid⟧
```

Compute HMAC-SHA256 over the raw body using your endpoint secret and compare in constant time.
""",
)
T(
    "en",
    "wiki_page",
    "private_ip",
    "web",
    r"""= Office network =

* Gateway: ⟦pip⟧
* Printers: ⟦pip⟧, ⟦pip⟧
* DHCP range: 192.168.⟦num⟧.100 – 192.168.⟦num⟧.200 (not really, check the router)
* Guest VLAN: 172.20.0.0/16
""",
)
T(
    "en",
    "blog_post",
    "cgnat_ip",
    "web",
    r"""<p>My ISP moved me behind carrier-grade NAT: the WAN address on the router is now <code>⟦cgnat⟧</code>, which is in 100.64.0.0/10, so port forwarding is dead. I switched to a tunnel through a small VPS instead.</p>
""",
)
T(
    "de",
    "docs_page",
    "placeholder_value",
    "web",
    r"""## Einrichtung

Trage deinen API-Schlüssel in die Datei `config.ini` ein:

    [api]
    schluessel = ⟦placeholder⟧
    passwort = ⟦placeholder⟧

Den echten Schlüssel bekommst du im Kundenportal unter „Entwickler“.
""",
)
T(
    "fr",
    "blog_post",
    "password_policy_text",
    "web",
    r"""<h2>Choisir un bon mot de passe en 2024</h2>
<p>Publié le ⟦date⟧</p>
<p>Privilégiez une phrase de passe longue, composée de plusieurs mots choisis au hasard, et activez la double authentification partout où c'est possible. Un gestionnaire de mots de passe fait le reste.</p>
""",
)
T(
    "es",
    "qa_forum_post",
    "private_ip",
    "web",
    r"""Pregunta: no puedo acceder a mi Raspberry desde fuera de casa

Tengo la Raspberry en ⟦pip⟧ y el router en 192.168.1.1. Abrí el puerto 22 pero desde el móvil con datos no conecta. ¿Qué me falta?
Respuesta: la IP ⟦pip⟧ es privada, tienes que redirigir el puerto en el router hacia ella y usar tu IP pública (o un DDNS).
""",
)
T(
    "ja",
    "docs_page",
    "placeholder_value",
    "web",
    r"""## 設定方法

`.env` ファイルに以下のように記述してください。

```
API_KEY=⟦placeholder⟧
API_SECRET=⟦placeholder⟧
```

実際の値は管理画面の「開発者設定」から取得できます。キーは絶対に Git にコミットしないでください。
""",
)
T(
    "zh",
    "qa_forum_post",
    "password_hash",
    "web",
    r"""问：数据库里存的密码是这样的，能还原成明文吗？

`⟦bcrypt⟧`

答：不能。这是 bcrypt 哈希，只能用 `bcrypt.checkpw` 比对，不能解密。请让用户重置密码。
""",
)
T(
    "ru",
    "tech_blog",
    "documentation_ip",
    "web",
    r"""### Настройка fail2ban

В примере ниже адреса из документационных диапазонов:

```
ignoreip = 127.0.0.1/8 ⟦docip⟧ ⟦docip⟧/24
```

Проверяем: `fail2ban-client status sshd`.
""",
)
T(
    "pt",
    "docs_page",
    "env_var_reference",
    "web",
    r"""## Variáveis de ambiente

| Variável | Descrição |
|---|---|
| `DB_PASSWORD` | senha do banco, defina via `⟦envref⟧` |
| `JWT_SECRET` | segredo para assinar tokens |
| `SMTP_USER` | usuário do servidor de e-mail |
""",
)
T(
    "ko",
    "tech_blog",
    "private_ip",
    "web",
    r"""## 사내망 DNS 설정

내부 DNS 서버: ⟦pip⟧, 보조 DNS: ⟦pip⟧
VPN 접속 후에는 10.0.0.0/8 대역만 터널로 보내도록 설정했습니다.
""",
)
T(
    "it",
    "docs_page",
    "reserved_email_domain",
    "web",
    r"""## Esempio di richiesta

```json
{ "mittente": "⟦xemail⟧", "destinatario": "⟦xemail⟧", "oggetto": "Prova" }
```

Gli indirizzi di esempio usano domini riservati e non ricevono posta.
""",
)
T(
    "nl",
    "blog_post",
    "crypto_wallet_address",
    "web",
    r"""<p>Wil je dit blog steunen? Een kleine donatie is welkom op mijn Bitcoin-adres <code>⟦btc⟧</code>. Bedankt!</p>
""",
)
T(
    "pl",
    "qa_forum_post",
    "password_hash",
    "web",
    r"""Pytanie: co to za ciąg w /etc/shadow?

⟦uname⟧:⟦sha512crypt⟧:19⟦num⟧:0:99999:7:::

Odpowiedź: to hash SHA-512 (prefiks $6$) razem z solą. Hasła w tej postaci nie da się odczytać.
""",
)
T(
    "tr",
    "docs_page",
    "oauth_client_id",
    "web",
    r"""## Google ile giriş

İstemci kimliğini (client ID) ön yüz yapılandırmasına ekleyin: `⟦gclient⟧`. İstemci gizli anahtarını yalnızca sunucuda saklayın.
""",
)
T(
    "en",
    "web_page",
    "phone_number",
    "web",
    r"""<footer>
  <p>Customer service: <a href="tel:⟦phone⟧">⟦phone⟧</a> (Mon–Fri)</p>
  <p>Registered office: ⟦city⟧ · VAT ID DE⟦num4⟧⟦num⟧</p>
</footer>
""",
)
T(
    "en",
    "docs_page",
    "mac_address",
    "web",
    r"""### DHCP reservations

| Device | MAC | Address |
|---|---|---|
| printer | ⟦mac⟧ | ⟦pip⟧ |
| nas | ⟦mac⟧ | ⟦pip⟧ |
""",
)

# ===== hard negatives: e-mails, chats, tickets (many languages) ==================
T(
    "en",
    "email",
    "reserved_email_domain",
    "msg",
    r"""From: ⟦name⟧ <⟦xemail⟧>
To: QA team <⟦xemail⟧>
Subject: test accounts for the signup flow

Hi all, for the regression run please use the seeded accounts on our test domain (they never receive mail). Passwords are in the vault entry "qa-seed", not here.
Cheers, ⟦first⟧
""",
)
T(
    "en",
    "chat_message",
    "password_policy_text",
    "msg",
    r"""[⟦hm⟧] ⟦first⟧: do we really need to rotate the shared admin password again?
[⟦hm⟧] ⟦first2⟧: yes, it's in the policy, every time someone leaves
[⟦hm⟧] ⟦first⟧: ok I'll generate a new one in the password manager and share it via the vault, not here
""",
)
T(
    "en",
    "support_ticket",
    "masked_card_number",
    "msg",
    r"""Ticket ⟦ticket⟧
Customer: ⟦name⟧
Issue: double charge on card ⟦maskcard⟧ for order ⟦ordno⟧ (⟦amount⟧ EUR).
Resolution: refund issued ⟦date⟧, ref ⟦reqid⟧.
""",
)
T(
    "en",
    "email",
    "redacted_value",
    "msg",
    r"""Subject: [security] rotated leaked token

Team,
the token that was posted in #general this morning (⟦redact⟧) has been revoked at ⟦hm⟧. New credentials are in the vault under ⟦proj⟧/ci. Please don't paste secrets in chat.
– ⟦first⟧, security
""",
)
T(
    "en",
    "chat_message",
    "username_only",
    "msg",
    r"""⟦first⟧: what's your username on the build server?
⟦first2⟧: ⟦uname⟧
⟦first⟧: added you to the deployers group
""",
)
T(
    "de",
    "email",
    "masked_card_number",
    "msg",
    r"""Betreff: Ihre Zahlung für Bestellung ⟦ordno⟧

Guten Tag ⟦name⟧,
wir haben Ihre Zahlung über ⟦amount⟧ € erhalten. Belastet wurde die Karte ⟦maskcard⟧.
Mit freundlichen Grüßen
Ihr Kundenservice
""",
)
T(
    "de",
    "chat_message",
    "private_ip",
    "msg",
    r"""⟦first⟧: der Drucker hat jetzt ne feste IP, ⟦pip⟧
⟦first2⟧: und der NAS?
⟦first⟧: ⟦pip⟧, wie gehabt
""",
)
T(
    "fr",
    "email",
    "password_policy_text",
    "msg",
    r"""Objet : Rappel – changement de mot de passe

Bonjour à tous,
votre mot de passe de messagerie expire dans 7 jours. Merci de le modifier via l'intranet. Le service informatique ne vous demandera jamais votre mot de passe par e-mail ou par téléphone.
Pour toute question : ticket ⟦ticket⟧, poste ⟦num4⟧.
L'équipe IT – ⟦city⟧
""",
)
T(
    "es",
    "chat_message",
    "tracking_number",
    "msg",
    r"""⟦first⟧: ya salió el paquete?
⟦first2⟧: sí, número de seguimiento ⟦track⟧
⟦first⟧: genial, gracias
""",
)
T(
    "it",
    "support_ticket",
    "luhn_invalid_number",
    "msg",
    r"""Ticket ⟦ticket⟧
Il cliente segnala che il modulo rifiuta la carta "⟦badcard⟧". Verificato: il numero non supera il controllo Luhn, probabilmente errore di battitura. Chiesto di reinserirlo nel portale (mai via email).
""",
)
T(
    "pt",
    "email",
    "reserved_email_domain",
    "msg",
    r"""Assunto: contas de teste

Pessoal, para os testes usem ⟦xemail⟧ e ⟦xemail⟧. São domínios reservados, nenhum e-mail é entregue.
Abs, ⟦first⟧
""",
)
T(
    "nl",
    "support_ticket",
    "request_trace_id",
    "msg",
    r"""Ticket ⟦ticket⟧
Klant meldt foutmelding bij het afrekenen. Request-ID uit de foutmelding: ⟦uuid⟧, correlatie-ID ⟦reqid⟧. Doorgezet naar tweede lijn.
""",
)
T(
    "sv",
    "chat_message",
    "version_number",
    "msg",
    r"""⟦first⟧: vilken version kör vi i prod nu?
⟦first2⟧: ⟦semver⟧, staging har ⟦semver⟧
⟦first⟧: okej tack
""",
)
T(
    "pl",
    "chat_message",
    "git_commit_sha",
    "msg",
    r"""⟦first⟧: który commit jest na produkcji?
⟦first2⟧: ⟦gitsha⟧
⟦first⟧: dzięki, zrobię revert do ⟦short⟧
""",
)
T(
    "cs",
    "email",
    "password_policy_text",
    "msg",
    r"""Předmět: Nové pravidla pro hesla

Dobrý den,
od příštího měsíce musí mít hesla alespoň 14 znaků a bude vyžadováno dvoufázové ověření. Hesla nikomu nesdělujte.
IT oddělení, ⟦name⟧ (⟦date⟧)
""",
)
T(
    "ru",
    "chat_message",
    "private_ip",
    "msg",
    r"""⟦first⟧: какой адрес у тестовой базы?
⟦first2⟧: ⟦pip⟧, порт 5432
⟦first2⟧: пароль в хранилище, сюда не пишу
""",
)
T(
    "uk",
    "email",
    "masked_card_number",
    "msg",
    r"""Тема: Підтвердження оплати

Шановний клієнте, оплату ⟦amount⟧ грн за замовлення ⟦ordno⟧ отримано. Картка: ⟦maskcard⟧.
Дякуємо!
""",
)
T(
    "ar",
    "chat_message",
    "password_policy_text",
    "msg",
    r"""⟦first⟧: هل يجب تغيير كلمة المرور كل شهر؟
⟦first2⟧: لا، فقط إذا تسربت. المهم أن تكون طويلة وأن تفعّل التحقق بخطوتين.
""",
)
T(
    "he",
    "email",
    "reserved_email_domain",
    "msg",
    r"""נושא: חשבונות בדיקה

היי, לבדיקות השתמשו בכתובות ⟦xemail⟧ ו-⟦xemail⟧. אלה דומיינים שמורים ולא נשלח אליהם דואר.
""",
)
T(
    "fa",
    "chat_message",
    "username_only",
    "msg",
    r"""⟦first⟧: نام کاربری‌ات روی سرور چیه؟
⟦first2⟧: ⟦uname⟧
⟦first⟧: اضافه‌ات کردم
""",
)
T(
    "hi",
    "email",
    "masked_card_number",
    "msg",
    r"""विषय: भुगतान की पुष्टि

प्रिय ग्राहक, आपके ऑर्डर ⟦ordno⟧ का भुगतान ₹⟦amount⟧ कार्ड ⟦maskcard⟧ से प्राप्त हुआ। धन्यवाद।
""",
)
T(
    "th",
    "chat_message",
    "tracking_number",
    "msg",
    r"""⟦first⟧: พัสดุส่งแล้วหรือยัง
⟦first2⟧: ส่งแล้ว เลขพัสดุ ⟦track⟧
""",
)
T(
    "vi",
    "email",
    "redacted_value",
    "msg",
    r"""Tiêu đề: Đã thu hồi khóa API

Chào cả nhóm, khóa API bị lộ (⟦redact⟧) đã bị thu hồi lúc ⟦hm⟧. Khóa mới nằm trong kho bí mật, không gửi qua chat.
""",
)
T(
    "id",
    "chat_message",
    "private_ip",
    "msg",
    r"""⟦first⟧: IP printer lantai 2 berapa?
⟦first2⟧: ⟦pip⟧
""",
)
T(
    "zh",
    "email",
    "masked_card_number",
    "msg",
    r"""主题：支付成功通知

尊敬的客户，您尾号为 ⟦last4⟧ 的银行卡（⟦maskcard⟧）已成功支付订单 ⟦ordno⟧，金额 ¥⟦amount⟧。
""",
)
T(
    "ja",
    "chat_message",
    "version_number",
    "msg",
    r"""⟦first⟧: 本番のバージョンいくつだっけ？
⟦first2⟧: ⟦semver⟧ です。ステージングは ⟦semver⟧
""",
)
T(
    "ko",
    "email",
    "password_policy_text",
    "msg",
    r"""제목: 비밀번호 정책 변경 안내

안녕하세요. 다음 달부터 비밀번호는 최소 12자 이상이어야 하며, 2단계 인증이 필수입니다. 비밀번호를 메일이나 메신저로 공유하지 마세요.
정보보안팀 ⟦name⟧ · 시행일 ⟦date⟧
""",
)
T(
    "tr",
    "chat_message",
    "uuid_identifier",
    "msg",
    r"""⟦first⟧: sipariş kimliği neydi?
⟦first2⟧: ⟦uuid⟧
""",
)
T(
    "el",
    "chat_message",
    "private_ip",
    "msg",
    r"""⟦first⟧: ποια είναι η IP του εκτυπωτή;
⟦first2⟧: ⟦pip⟧
""",
)
T(
    "hu",
    "chat_message",
    "placeholder_value",
    "msg",
    r"""⟦first⟧: mit írjak az API_KEY helyére a példában?
⟦first2⟧: hagyd így: ⟦placeholder⟧ – mindenki a sajátját írja be
""",
)
T(
    "ro",
    "email",
    "tracking_number",
    "msg",
    r"""Subiect: Comanda ⟦ordno⟧ a fost expediată

Bună ziua, coletul dumneavoastră are numărul de urmărire ⟦track⟧. Livrare estimată: ⟦date⟧.
""",
)
T(
    "fi",
    "email",
    "masked_card_number",
    "msg",
    r"""Aihe: Maksuvahvistus

Hei ⟦first⟧, maksusi ⟦amount⟧ € tilauksesta ⟦ordno⟧ on vastaanotettu kortilta ⟦maskcard⟧.
""",
)
T(
    "bn",
    "chat_message",
    "version_number",
    "msg",
    r"""⟦first⟧: অ্যাপের কোন ভার্সন চলছে?
⟦first2⟧: ⟦semver⟧
""",
)
T(
    "sw",
    "chat_message",
    "tracking_number",
    "msg",
    r"""⟦first⟧: mzigo umetumwa?
⟦first2⟧: ndiyo, namba ya ufuatiliaji ni ⟦track⟧
""",
)
T(
    "ms",
    "email",
    "password_policy_text",
    "msg",
    r"""Subjek: Peringatan keselamatan

Jangan sekali-kali berkongsi kata laluan anda melalui e-mel. Pasukan IT tidak akan meminta kata laluan anda.
Rujukan: ⟦ticket⟧
""",
)
T(
    "en",
    "personal_note",
    "phone_number",
    "msg",
    r"""groceries: oat milk, eggs, coffee
plumber ⟦first⟧: ⟦phone⟧ (after ⟦hm⟧)
parcel ⟦track⟧ arrives thu
""",
)
T(
    "en",
    "support_ticket",
    "crypto_wallet_address",
    "msg",
    r"""Ticket ⟦ticket⟧ – withdrawal stuck
User says the withdrawal to ⟦eth⟧ has been pending since ⟦date⟧. Tx hash 0x⟦sha64⟧. Escalated to payments.
""",
)

# ===== hard negatives: logs, shell, HTTP ========================================
T(
    "en",
    "nginx_access_log",
    "private_ip",
    "log",
    r"""⟦pip⟧ - - [⟦date⟧:⟦time⟧ +0000] "⟦method⟧ ⟦path⟧ HTTP/1.1" ⟦status⟧ ⟦bytes⟧ "-" "⟦ua⟧"
⟦pip⟧ - - [⟦date⟧:⟦time⟧ +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟦pip⟧ - - [⟦date⟧:⟦time⟧ +0000] "⟦method⟧ ⟦path⟧ HTTP/1.1" ⟦status⟧ ⟦bytes⟧ "-" "⟦ua⟧"
127.0.0.1 - - [⟦date⟧:⟦time⟧ +0000] "GET /nginx_status HTTP/1.1" 200 97 "-" "curl/8.5.0"
""",
)
T(
    "en",
    "http_request",
    "csrf_token",
    "log",
    r"""POST /account/settings HTTP/1.1
Host: ⟦host⟧
Content-Type: application/x-www-form-urlencoded
X-CSRFToken: ⟦csrf⟧
X-Request-ID: ⟦uuid⟧

csrfmiddlewaretoken=⟦csrf⟧&display_name=⟦first⟧&timezone=Europe%2FBerlin
""",
)
T(
    "en",
    "http_response",
    "request_trace_id",
    "log",
    r"""HTTP/2 429
content-type: application/json
retry-after: 30
x-request-id: ⟦uuid⟧
traceparent: ⟦traceparent⟧
x-ratelimit-remaining: 0

{"error":"rate_limited","request_id":"⟦reqid⟧"}
""",
)
T(
    "en",
    "shell_session",
    "env_var_reference",
    "log",
    r"""$ echo $DATABASE_URL
postgres://⟦svcuser⟧:${DB_PASSWORD}@localhost:5432/⟦dbname⟧
$ psql "$DATABASE_URL" -c '\dt'
Password for user ⟦svcuser⟧:
psql: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "⟦svcuser⟧"
""",
)
T(
    "en",
    "shell_session",
    "checksum_digest",
    "log",
    r"""$ sha256sum ⟦proj⟧-⟦semver⟧-linux-amd64.tar.gz
⟦sha64⟧  ⟦proj⟧-⟦semver⟧-linux-amd64.tar.gz
$ md5sum backup.tar
⟦md5⟧  backup.tar
$ docker pull ⟦docker_img⟧
Digest: ⟦digest⟧
""",
)
T(
    "en",
    "app_log",
    "redacted_value",
    "log",
    r"""⟦ts⟧ INFO  config loaded: db_user=⟦svcuser⟧ db_password=⟦redact⟧ api_token=⟦redact⟧ region=⟦region⟧
⟦ts⟧ INFO  connected to ⟦ihost⟧:5432 in ⟦ms⟧ms
⟦ts⟧ WARN  slow query (⟦ms⟧ms) request_id=⟦uuid⟧
""",
)
T(
    "en",
    "auth_log",
    "private_ip",
    "log",
    r"""⟦date⟧T⟦time⟧ gw sshd[⟦pid⟧]: Accepted publickey for ⟦uname⟧ from ⟦pip⟧ port ⟦num4⟧ ssh2: RSA ⟦fingerprint⟧
⟦date⟧T⟦time⟧ gw sshd[⟦pid⟧]: pam_unix(sshd:session): session opened for user ⟦uname⟧(uid=1001)
⟦date⟧T⟦time⟧ gw sudo: ⟦uname⟧ : TTY=pts/0 ; PWD=/home ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx
""",
)
T(
    "en",
    "dmesg_log",
    "mac_address",
    "log",
    r"""[    2.⟦num4⟧] e1000e 0000:00:1f.6 eth0: (PCI Express:2.5GT/s:Width x1) ⟦mac⟧
[    3.⟦num4⟧] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready
[    4.⟦num4⟧] wlan0: associated, BSSID ⟦mac⟧
""",
)
T(
    "en",
    "ci_log",
    "placeholder_value",
    "log",
    r"""Run ./scripts/deploy.sh
  env:
    DEPLOY_TOKEN: ***
    AWS_ACCESS_KEY_ID: ***
+ echo 'deploying ⟦sha7⟧ to ⟦region⟧'
deploying ⟦sha7⟧ to ⟦region⟧
+ curl -s -H 'Authorization: Bearer ***' https://api.⟦dom⟧/deploy
{"status":"queued","id":"⟦uuid⟧"}
""",
)
T(
    "en",
    "app_log",
    "vault_accessor",
    "log",
    r"""⟦ts⟧ [INFO]  core: successful mount: namespace="" path=⟦proj⟧/ type=kv
⟦ts⟧ [INFO]  expiration: revoked lease: lease_id=auth/approle/login/⟦sha40⟧
⟦ts⟧ [INFO]  token: created token accessor=⟦accessor⟧ policies=["default","⟦proj⟧"]
""",
)
T(
    "en",
    "shell_session",
    "loopback_ip",
    "log",
    r"""$ ss -tlnp
State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
LISTEN 0      511        127.0.0.1:⟦port⟧      0.0.0.0:*     users:(("node",pid=⟦pid⟧,fd=20))
LISTEN 0      4096   127.0.0.53%lo:53        0.0.0.0:*     users:(("systemd-resolve",pid=⟦pid⟧))
LISTEN 0      128          [::1]:6379        [::]:*     users:(("redis-server",pid=⟦pid⟧))
""",
)
T(
    "en",
    "http_request",
    "idempotency_key",
    "log",
    r"""POST /v1/payouts HTTP/1.1
Host: api.⟦dom⟧
Authorization: Bearer ${PAYOUT_TOKEN}
Idempotency-Key: ⟦idem⟧
X-Correlation-ID: ⟦reqid⟧
Content-Type: application/json

{"amount": ⟦num4⟧, "currency": "EUR", "reference": "⟦ordno⟧"}
""",
)
T(
    "en",
    "firewall_log",
    "multicast_ip",
    "log",
    r"""⟦date⟧ ⟦time⟧ DROP IN=eth0 SRC=⟦pip⟧ DST=⟦mcast⟧ PROTO=UDP SPT=5353 DPT=5353
⟦date⟧ ⟦time⟧ DROP IN=eth0 SRC=⟦pip⟧ DST=239.255.255.250 PROTO=UDP SPT=⟦num4⟧ DPT=1900
⟦date⟧ ⟦time⟧ DROP IN=eth0 SRC=⟦llip⟧ DST=224.0.0.22 PROTO=2
""",
)

# ===== hard negatives: tables, lists, dumps =====================================
T(
    "en",
    "csv_dump",
    "reserved_email_domain",
    "table",
    r"""id,name,email,role
1,Test Admin,⟦xemail⟧,admin
2,Test Editor,⟦xemail⟧,editor
3,Test Viewer,⟦xemail⟧,viewer
4,Load Test ⟦num⟧,⟦xemail⟧,viewer
""",
)
T(
    "en",
    "sql_dump",
    "bcrypt_hash",
    "table",
    r"""INSERT INTO users (id, username, password_hash, created_at) VALUES
(⟦num⟧, '⟦uname⟧', '⟦bcrypt⟧', '⟦date⟧'),
(⟦num⟧, '⟦uname⟧', '⟦bcrypt⟧', '⟦date⟧'),
(⟦num⟧, '⟦uname⟧', '⟦argon2⟧', '⟦date⟧');
""",
)
T(
    "en",
    "markdown_table",
    "private_ip",
    "table",
    r"""| host | ip | role |
|---|---|---|
| k8s-master-1 | ⟦pip⟧ | control plane |
| k8s-worker-1 | ⟦pip⟧ | worker |
| k8s-worker-2 | ⟦pip⟧ | worker |
| lb | ⟦pip⟧ | haproxy |
""",
)
T(
    "en",
    "tsv_export",
    "masked_card_number",
    "table",
    r"""date	order	card	amount
⟦date⟧	⟦ordno⟧	⟦maskcard⟧	⟦amount⟧
⟦date⟧	⟦ordno⟧	⟦maskcard⟧	⟦amount⟧
⟦date⟧	⟦ordno⟧	⟦maskcard⟧	⟦amount⟧
""",
)
T(
    "en",
    "csv_dump",
    "uuid_identifier",
    "table",
    r"""event_id,user_id,event,ts
⟦uuid⟧,⟦uuid⟧,login,⟦epoch⟧
⟦uuid⟧,⟦uuid⟧,view_item,⟦epoch⟧
⟦uuid⟧,⟦uuid⟧,checkout,⟦epoch⟧
""",
)
T(
    "en",
    "json_dump",
    "jwks_public_key",
    "table",
    r"""{"keys":[{"kty":"RSA","use":"sig","kid":"⟦rid⟧","alg":"RS256","n":"⟦tok64x⟧","e":"AQAB"},{"kty":"RSA","use":"sig","kid":"⟦rid⟧","alg":"RS256","n":"⟦tok64x⟧","e":"AQAB"}]}
""",
)
T(
    "en",
    "csv_dump",
    "crypto_wallet_address",
    "table",
    r"""label,chain,address
cold-1,BTC,⟦btc⟧
hot-1,ETH,⟦eth⟧
fees,ETH,⟦eth⟧
""",
)
T(
    "en",
    "list",
    "isbn_number",
    "table",
    r"""Reading list ⟦date⟧
1. ISBN ⟦isbn⟧ – borrowed
2. ISBN ⟦isbn⟧ – to buy
3. ISBN ⟦isbn⟧ – done
""",
)
T(
    "en",
    "csv_dump",
    "luhn_invalid_number",
    "table",
    r"""test_case,input,expected
bad_checksum_1,⟦badcard⟧,invalid
bad_checksum_2,⟦badcard⟧,invalid
too_short,4⟦num4⟧ ⟦num4⟧,invalid
""",
)
T(
    "en",
    "inventory_list",
    "mac_address",
    "table",
    r"""hostname      mac                 ip
printer-2f    ⟦mac⟧   ⟦pip⟧
ap-lobby      ⟦mac⟧   ⟦pip⟧
cam-gate      ⟦mac⟧   ⟦pip⟧
""",
)
T(
    "en",
    "yaml_dump",
    "username_only",
    "table",
    r"""team:
  - login: ⟦uname⟧
    role: maintainer
  - login: ⟦uname⟧
    role: developer
  - login: ⟦uname⟧
    role: reporter
""",
)
T(
    "de",
    "csv_dump",
    "phone_number",
    "table",
    r"""Name;Abteilung;Durchwahl
⟦name⟧;Einkauf;⟦phone⟧
⟦name2⟧;Vertrieb;⟦phone⟧
""",
)
T(
    "en",
    "sql_dump",
    "unix_crypt_hash",
    "table",
    r"""-- radius users (hashed)
INSERT INTO radcheck (username, attribute, op, value) VALUES
('⟦uname⟧', 'Crypt-Password', ':=', '⟦sha512crypt⟧'),
('⟦uname⟧', 'Crypt-Password', ':=', '⟦md5crypt⟧');
""",
)


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------
PH = re.compile(r"⟦([a-z0-9_]+)(?::([a-z0-9]+))?⟧")


def render(tpl, lang):
    ctx = {"lang": lang}
    parts, spans, cache, used = [], [], {}, []
    n = 0
    last = 0
    for m in PH.finditer(tpl):
        lit = tpl[last : m.start()]
        parts.append(lit)
        n += len(lit)
        name, key = m.group(1), m.group(2)
        fn, ent = GENS[name]
        if key and (name, key) in cache:
            v = cache[(name, key)]
        else:
            v = fn(ctx)
            if key:
                cache[(name, key)] = v
        if ent:
            spans.append({"start": n, "end": n + len(v), "entity": ent})
            used.append((name, v))
        parts.append(v)
        n += len(v)
        last = m.end()
    parts.append(tpl[last:])
    text = "".join(parts)
    return text, spans, used


# ---------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------
RESERVED_SUFFIXES = (".test", ".invalid", ".localhost", ".example")
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
EMAIL_RE = re.compile(r"([A-Za-z0-9._%+\-]+)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})(?![\w\-])")
EMAIL_FULL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
IPV4_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?!\w|\.\d)")
IPV6_RE = re.compile(r"(?<![\w:.])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w:])")
CARD_RE = re.compile(r"(?<![\w\-])(\d(?:[ \-]?\d){11,18})(?![\w\-])")
CARD_SPAN_RE = re.compile(r"^\d+(?:[ \-]\d+)*$")


def reserved_domain(d):
    d = d.lower().rstrip(".")
    if d in ("localhost",):
        return True
    if any(d == r or d.endswith("." + r) for r in RESERVED_DOMAINS):
        return True
    return d.endswith(RESERVED_SUFFIXES)


def scan(text):
    """Return findings of public IPs, brand-prefixed Luhn-valid numbers, non-reserved e-mails."""
    hits = []
    for m in IPV4_RE.finditer(text):
        if is_public_ip(m.group(1)):
            hits.append(("ipv4", m.group(1)))
    for m in IPV6_RE.finditer(text):
        if m.group(1).count(":") >= 2 and is_public_ip(m.group(1)):
            hits.append(("ipv6", m.group(1)))
    for m in CARD_RE.finditer(text):
        d = re.sub(r"[ \-]", "", m.group(1))
        if scanner_brand(d) and luhn_ok(d):
            hits.append(("card", m.group(1)))
    for m in EMAIL_RE.finditer(text):
        if not reserved_domain(m.group(2)):
            hits.append(("email", m.group(0)))
    return hits


PASSWORD_GENS = {"pw", "pwu"}
FORBIDDEN_IN_SECRET = ("EXAMPLE", "example", "xxxx", "your_", "YOUR_", "<", ">")


def check_secret(name, v):
    assert v and v == v.strip(), (name, v)
    assert v[0] not in "\"'`" and v[-1] not in "\"'`", (name, v)
    for bad in ("Bearer ", "Basic ", "token ", "base64:"):
        assert not v.startswith(bad), (name, v)
    for bad in FORBIDDEN_IN_SECRET:
        assert bad not in v, (name, v)
    if name in PASSWORD_GENS:
        assert pw_ok(v), v
    if name == "phrase":
        assert len(re.split(r"[-_. +]", v)) >= 4 and any(c.isdigit() for c in v), v
    if name == "psk":
        assert pw_ok(v) or (len(re.split(r"[-_. +]", v)) >= 4 and any(c.isdigit() for c in v)), v
    if name == "pin":
        assert 6 <= len(v) <= 8 and any(c.isdigit() for c in v) and any(c.isalpha() for c in v), v
    if "PRIVATE KEY" in v:
        assert v.startswith("-----BEGIN ") and re.search(r"-----END [A-Z ]*PRIVATE KEY-----(\\n)?$", v), v[:60]


def check_value(ent, name, v):
    if ent == "IP_ADDRESS":
        assert is_public_ip(v), v
    elif ent == "CREDIT_CARD":
        assert CARD_SPAN_RE.match(v), v
        d = re.sub(r"[ \-]", "", v)
        assert luhn_ok(d) and brand_of(d), v
    elif ent == "EMAIL_ADDRESS":
        assert EMAIL_FULL.match(v), v
        assert not reserved_domain(v.split("@", 1)[1]), v
    elif ent == "SECRET":
        check_secret(name, v)
    else:
        raise AssertionError(ent)


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------
# variants per template, chosen per genre so that the corpus shares of the brief are met
VARIANTS = {
    ("code", True): 3,
    ("code", False): 3,
    ("web", True): 4,
    ("web", False): 3,
    ("msg", True): 3,
    ("msg", False): 3,
    ("log", True): 4,
    ("log", False): 4,
    ("table", True): 4,
    ("table", False): 4,
}


def build():
    records, seen_text, meta = [], set(), []
    for ti, (lang, context, category, genre, tpl, n) in enumerate(TEMPLATES, 1):
        n = min(n, VARIANTS[(genre, category == P)])
        names = [m.group(1) for m in PH.finditer(tpl)]
        for nm in names:
            assert nm in GENS, (ti, nm)
        labelled = [nm for nm in names if GENS[nm][1]]
        if category == P:
            assert labelled, ("positive template without labelled values", ti)
        else:
            assert not labelled, ("negative template with labelled values", ti, labelled)
        assert re.fullmatch(r"[a-z][a-z0-9_]*", category) and re.fullmatch(r"[a-z][a-z0-9_]*", context), ti
        for vi in range(1, n + 1):
            for attempt in range(30):
                text, spans, used = render(tpl, lang)
                if text not in seen_text:
                    break
            else:
                raise AssertionError("cannot render a unique text for template %d" % ti)
            seen_text.add(text)
            rec = {
                "id": "t26-%d-%d" % (ti, vi),
                "text": text,
                "lang": lang,
                "context": context,
                "category": category,
                "spans": spans,
            }
            records.append(rec)
            meta.append((genre, used))
    return records, meta


def run_checks(records, meta):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts)), "duplicate texts"
    problems = []
    for r, (genre, used) in zip(records, meta):
        t, spans = r["text"], r["spans"]
        if r["category"] == P:
            assert spans, r["id"]
        else:
            assert not spans, r["id"]
        assert len(spans) == len(used)
        prev_end = -1
        for sp, (name, v) in zip(spans, used):
            assert t[sp["start"] : sp["end"]] == v, (r["id"], sp)
            assert sp["start"] >= prev_end, ("overlap", r["id"])
            assert sp["end"] > sp["start"]
            prev_end = sp["end"]
            check_value(sp["entity"], name, v)
        # scanner over unlabelled parts
        masked = list(t)
        for sp in spans:
            for i in range(sp["start"], sp["end"]):
                masked[i] = " "
        hits = scan("".join(masked))
        if hits:
            problems.append((r["id"], r["category"], hits[:3]))
    assert not problems, "scanner findings in unlabelled text:\n" + "\n".join(map(str, problems[:40]))


def summary(records, meta):
    ent = collections.Counter(sp["entity"] for r in records for sp in r["spans"])
    cats = collections.Counter(r["category"] for r in records)
    langs = collections.Counter(r["lang"] for r in records)
    ctxs = collections.Counter(r["context"] for r in records)
    genres = collections.Counter(g for g, _ in meta)
    vendors = collections.Counter(n for _, used in meta for n, _ in used if n in VENDOR)
    npos = cats[P]
    nneg = len(records) - npos
    out = []
    out.append(
        "records: %d  (positive %d, hard negative %d)  templates: %d" % (len(records), npos, nneg, len(TEMPLATES))
    )
    out.append("spans: %d  %s" % (sum(ent.values()), dict(ent.most_common())))
    out.append(
        "negative categories (%d): %s" % (len(cats) - 1, dict(sorted((k, v) for k, v in cats.items() if k != P)))
    )
    out.append("languages (%d): %s" % (len(langs), dict(langs.most_common())))
    out.append("genres: %s" % {g: "%d (%.0f%%)" % (c, 100.0 * c / len(records)) for g, c in genres.most_common()})
    out.append("vendor token formats used (%d): %s" % (len(vendors), ", ".join(sorted(vendors))))
    out.append("contexts (%d): %s" % (len(ctxs), dict(ctxs.most_common())))
    return "\n".join(out), ent, cats, langs, vendors


def main():
    records, meta = build()
    run_checks(records, meta)
    text, ent, cats, langs, vendors = summary(records, meta)
    assert len(records) >= 1150, len(records)
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 200 and ent["IP_ADDRESS"] >= 200 and ent["CREDIT_CARD"] >= 80
    ), ent
    assert len(records) - cats[P] >= 500 and len(cats) - 1 >= 35, cats
    assert len(TEMPLATES) >= 300 and len(langs) >= 30 and len(vendors) >= 40
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset26.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(text)
    print("wrote", out)


if __name__ == "__main__":
    main()
