#!/usr/bin/env python3
"""Blind PII/secret test set no. 22: deterministic generator.

What it does
------------
Builds ``pii_testset22.jsonl`` (next to this script): about 1200 labelled
records that imitate what a web-scale pretraining corpus contains:
source code and configuration files, web pages / READMEs / Q&A posts,
e-mails, chats and tickets in 40 natural languages (Latin, Cyrillic, Greek,
Arabic, Hebrew, Devanagari, Bengali, Thai, Tamil, CJK, Hangul scripts),
logs / shell sessions / HTTP traffic, and tables / lists.

Every record comes from a hand-written template (more than 300 of them).
Templates contain placeholders of the form ``⟪kind⟫`` or ``⟪kind:tag⟫``
(same kind + tag = same value inside one record).  Each placeholder kind is
either *labelled* (it maps to EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD or
SECRET and produces a span) or *unlabelled* filler (usernames, private IPs,
hashes, request ids, publishable keys, ...).  All values are random and fake,
drawn from ``random.Random(222222)``; vendor tokens follow the real public
shape of each vendor's format (prefix, length, alphabet) with random bodies.
Offsets are recorded while the text is assembled, never searched afterwards.

Records: {"id","text","lang","context","category","spans"}; category is
"positive" or the snake_case name of a hard-negative category.

Checks (all fatal ``assert``/``SystemExit``)
-------------------------------------------
* text[start:end] equals the inserted value for every span; spans sorted and
  non-overlapping; positives have >= 1 span, negatives have none;
* every labelled IP parses, ``is_global`` is true and it is outside the
  documentation ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32;
* every labelled card is Luhn-valid and has a real brand prefix and length
  (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay);
* every labelled e-mail has a non-reserved domain (not example.com/.org/.net,
  not .test/.invalid/.localhost/.example);
* labelled passwords: >= 8 chars, mix >= 2 character classes (or passphrase
  of >= 3 words with digits), never start with a symbol, never end in
  . , ! ? : ;  Vendor doc example values (EXAMPLE, xxxx, your_) never appear
  in a labelled span;
* ids unique, no text repeated;
* a simple scanner (regexes for dotted IPv4, e-mail addresses and 13-19 digit
  card-like runs, plain or grouped by space/dash; also IPv6 literals) is run
  over every negative text and over every positive text with its spans
  blanked out; it must find no public IPv4 (or IPv6), no Luhn-valid
  brand-prefixed card number and no e-mail on a non-reserved domain.  Records whose random filler trips the scanner are
  re-drawn (deterministically); a template that cannot be made clean aborts.
  Documented exceptions: in categories ``version_strings`` and ``snmp_oids``
  the IPv4 part of the scanner is skipped, because dotted four-part version
  numbers and OID prefixes such as 1.3.6.1 look like IPv4 addresses (that is
  the point of those hard negatives);
* size targets: >= 1150 records, >= 500 negatives in >= 35 categories,
  >= 600 SECRET, >= 200 EMAIL_ADDRESS, >= 200 IP_ADDRESS, >= 100 CREDIT_CARD
  spans, >= 300 templates, >= 40 vendor token formats, >= 30 languages.

At the end it prints a summary (counts per category, entity, language,
context).  Standard library only.
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
import sys

SEED = 222222
R = random.Random(SEED)

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
ALNUM = LOW + UP + DIG
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"


def rs(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


def mixed(r, alphabet, n):
    """random string that contains at least one digit and one letter (if alphabet allows)"""
    while True:
        s = rs(r, alphabet, n)
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            if "xxxx" not in s.lower() and "example" not in s.lower():
                return s


# ---------------------------------------------------------------- names
FIRST = [
    "anna",
    "jonas",
    "maria",
    "lukas",
    "sofia",
    "mateo",
    "emma",
    "noah",
    "olivia",
    "liam",
    "chloe",
    "ivan",
    "elena",
    "piotr",
    "agnieszka",
    "tomas",
    "lucie",
    "mehmet",
    "ayse",
    "ahmed",
    "fatima",
    "yuki",
    "haruto",
    "minjun",
    "seoyeon",
    "wei",
    "li",
    "arjun",
    "priya",
    "thanh",
    "linh",
    "budi",
    "siti",
    "kofi",
    "amara",
    "diego",
    "camila",
    "giulia",
    "marco",
    "sven",
    "ingrid",
    "mikko",
    "aino",
    "dimitris",
    "eleni",
    "yosef",
    "noa",
    "reza",
    "sara",
    "oleksandr",
    "iryna",
    "bogdan",
    "andrei",
    "zsofia",
    "bence",
    "ana",
    "luka",
    "rasa",
    "janis",
    "kadri",
    "juma",
    "maricel",
    "kavya",
    "farhan",
    "somchai",
    "nicole",
    "kevin",
    "laura",
    "pablo",
    "ines",
    "jakub",
    "petra",
]
LAST = [
    "schneider",
    "kowalski",
    "novak",
    "rossi",
    "garcia",
    "silva",
    "dubois",
    "jansen",
    "nielsen",
    "virtanen",
    "yilmaz",
    "ivanov",
    "petrenko",
    "papadopoulos",
    "cohen",
    "hosseini",
    "sharma",
    "nguyen",
    "tanaka",
    "kim",
    "wang",
    "chen",
    "santoso",
    "rahman",
    "mensah",
    "okafor",
    "lopez",
    "moreau",
    "bianchi",
    "andersson",
    "hansen",
    "horvat",
    "popescu",
    "nagy",
    "kazlauskas",
    "berzins",
    "tamm",
    "mwangi",
    "reyes",
    "krishnan",
    "ali",
    "suzuki",
    "park",
    "zhang",
    "fischer",
    "weber",
    "martin",
    "costa",
    "haddad",
    "levi",
    "kaya",
    "smirnov",
    "dvorak",
    "lindqvist",
    "oconnor",
]
LOCAL_NAMES = {
    "ru": (
        ["Алексей", "Мария", "Дмитрий", "Ольга", "Сергей", "Наталья", "Игорь", "Екатерина"],
        ["Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева"],
    ),
    "uk": (
        ["Олександр", "Ірина", "Андрій", "Оксана", "Тарас", "Юлія"],
        ["Шевченко", "Коваленко", "Бондаренко", "Мельник"],
    ),
    "bg": (["Георги", "Мария", "Иван", "Десислава", "Николай"], ["Петров", "Георгиева", "Димитров", "Стоянова"]),
    "el": (["Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Κώστας", "Κατερίνα"], ["Παπαδόπουλος", "Οικονόμου", "Γεωργίου"]),
    "ar": (["أحمد", "فاطمة", "محمد", "ليلى", "يوسف", "مريم"], ["الحسن", "العلي", "منصور", "حداد"]),
    "he": (["יוסי", "נועה", "דניאל", "מיכל", "אורי", "שירה"], ["כהן", "לוי", "מזרחי", "פרץ"]),
    "fa": (["رضا", "سارا", "علی", "مریم", "حسین", "نگار"], ["حسینی", "احمدی", "کریمی", "رضایی"]),
    "hi": (["राहुल", "प्रिया", "अमित", "नेहा", "विकास", "अंजलि"], ["शर्मा", "वर्मा", "गुप्ता", "सिंह"]),
    "bn": (["রাহুল", "সুমি", "তানভীর", "নুসরাত", "আরিফ"], ["রহমান", "হোসেন", "চৌধুরী", "আহমেদ"]),
    "th": (["สมชาย", "สุดา", "วิชัย", "มาลี", "ธนา"], ["ใจดี", "ศรีสุข", "วงศ์ไทย", "บุญมา"]),
    "zh": (["伟", "芳", "娜", "强", "敏", "静", "磊"], ["王", "李", "张", "刘", "陈", "杨"]),
    "ja": (["翔太", "結衣", "大輔", "陽菜", "健", "美咲"], ["佐藤", "鈴木", "高橋", "田中", "伊藤"]),
    "ko": (["민준", "서연", "지훈", "하은", "도윤", "수빈"], ["김", "이", "박", "최", "정"]),
    "ta": (["அருண்", "பிரியா", "கார்த்திக்", "மீனா"], ["ராஜா", "சுப்பிரமணியம்", "கிருஷ்ணன்"]),
    "ur": (["عمران", "عائشہ", "بلال", "زینب"], ["خان", "ملک", "قریشی"]),
}
CJK_ORDER = {"zh", "ja", "ko"}


def fname(r, lang):
    if lang in LOCAL_NAMES:
        return r.choice(LOCAL_NAMES[lang][0])
    return r.choice(FIRST).capitalize()


def lname(r, lang):
    if lang in LOCAL_NAMES:
        return r.choice(LOCAL_NAMES[lang][1])
    return r.choice(LAST).capitalize()


def fullname(r, lang):
    f, l = fname(r, lang), lname(r, lang)
    if lang in CJK_ORDER:
        return l + f if lang != "ko" else l + f
    return f + " " + l


WORDS = [
    "river",
    "copper",
    "falcon",
    "maple",
    "orbit",
    "lantern",
    "quartz",
    "harbor",
    "meadow",
    "cinder",
    "violet",
    "summit",
    "pepper",
    "glacier",
    "thunder",
    "walnut",
    "saffron",
    "ember",
    "willow",
    "cobalt",
    "mosaic",
    "tundra",
    "biscuit",
    "canyon",
    "nebula",
    "pixel",
    "marble",
    "juniper",
    "oyster",
    "velvet",
    "kayak",
    "tornado",
    "hazel",
    "puzzle",
    "rocket",
    "sparrow",
    "tulip",
    "zephyr",
    "badger",
    "comet",
]
CO_WORDS = [
    "nordwind",
    "bluepeak",
    "kestrel",
    "ostara",
    "vantix",
    "loomwork",
    "tidewater",
    "pinecrest",
    "brightline",
    "quillon",
    "sandoval",
    "redfern",
    "helix",
    "marlow",
    "corvid",
    "ambertree",
    "greyhaven",
    "solvik",
    "terranova",
    "kappa",
    "fjordlab",
    "umbra",
    "alderon",
    "mistral-ops",
]
TLDS = [
    "com",
    "de",
    "fr",
    "io",
    "co.uk",
    "nl",
    "pl",
    "it",
    "es",
    "se",
    "com.br",
    "co.jp",
    "in",
    "ru",
    "ch",
    "at",
    "cz",
    "fi",
    "dk",
    "no",
    "gr",
    "com.tr",
    "co.kr",
    "cn",
    "vn",
    "id",
    "com.au",
    "ca",
    "pt",
    "ro",
    "hu",
    "ie",
    "be",
    "lt",
    "ee",
    "lv",
    "co.za",
    "mx",
    "ar",
    "cl",
    "net",
    "org",
    "dev",
    "app",
]
FREEMAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "web.de",
    "gmx.de",
    "gmx.at",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "163.com",
    "naver.com",
    "daum.net",
    "orange.fr",
    "libero.it",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "protonmail.com",
    "icloud.com",
    "yahoo.co.jp",
    "t-online.de",
    "free.fr",
    "ukr.net",
    "abv.bg",
    "freemail.hu",
    "inbox.lv",
    "mail.ee",
    "hotmail.es",
    "uol.com.br",
    "rediffmail.com",
    "walla.co.il",
    "sapo.pt",
    "bluewin.ch",
    "posteo.de",
]


def company_domain(r):
    w = r.choice(CO_WORDS)
    if r.random() < 0.4:
        w = w + r.choice(["-group", "-tech", "-logistik", "-media", "labs", "-bau", "-consulting", "soft", "-health"])
    return w + "." + r.choice(TLDS)


def email(r, lang=None, corp=None):
    f, l = r.choice(FIRST), r.choice(LAST)
    pat = r.randrange(7)
    if pat == 0:
        loc = f + "." + l
    elif pat == 1:
        loc = f[0] + l
    elif pat == 2:
        loc = f + l + str(r.randrange(1, 99))
    elif pat == 3:
        loc = l + "." + f
    elif pat == 4:
        loc = f + "_" + l[:3] + str(r.randrange(70, 100))
    elif pat == 5:
        loc = r.choice(
            ["info", "office", "support", "billing", "kontakt", "hr", "sales", "it-helpdesk", "compras", "admin"]
        )
    else:
        loc = f + "." + l[0]
    if corp is None:
        corp = r.random() < 0.5
    dom = company_domain(r) if (corp or pat == 5) else r.choice(FREEMAIL)
    return loc + "@" + dom


RESERVED_DOMAINS = ["example.com", "example.org", "example.net"]
RESERVED_TLDS = ["test", "invalid", "localhost", "example"]


def ex_email(r):
    f, l = r.choice(FIRST), r.choice(LAST)
    loc = r.choice(
        [f, f + "." + l, f[0] + l, "noreply", "test.user", "alice", "bob", "jdoe", f + str(r.randrange(1, 9))]
    )
    dom = r.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "corp.example",
            "shop.test",
            "acme.test",
            "mailer.invalid",
            "dev.localhost",
            "staging.example.org",
        ]
    )
    return loc + "@" + dom


# ---------------------------------------------------------------- IPs
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def is_public_ip(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return False
    if any(a.version == n.version and a in n for n in DOC_NETS):
        return False
    return a.is_global and not a.is_multicast


def ip4(r):
    while True:
        s = ".".join(str(x) for x in (r.randrange(1, 224), r.randrange(256), r.randrange(256), r.randrange(1, 255)))
        if is_public_ip(s):
            return s


def ip6(r):
    while True:
        first = r.choice(
            [
                "2a0" + r.choice(HEX[:10]),
                "2a" + rs(r, HEX, 2),
                "240" + r.choice("0123456789abcdef"),
                "260" + r.choice("0123456"),
                "2c0f",
                "2400",
                "2804",
                "2620",
            ]
        )
        groups = [first] + [format(r.randrange(0, 0x10000), "x") for _ in range(r.choice([2, 3]))]
        tail = [format(r.randrange(1, 0x10000), "x") for _ in range(r.choice([1, 2]))]
        s = ":".join(groups) + "::" + ":".join(tail)
        if is_public_ip(s):
            return str(ipaddress.ip_address(s))


def priv_ip(r):
    c = r.randrange(3)
    if c == 0:
        return "10.%d.%d.%d" % (r.randrange(256), r.randrange(256), r.randrange(1, 255))
    if c == 1:
        return "192.168.%d.%d" % (r.randrange(256), r.randrange(1, 255))
    return "172.%d.%d.%d" % (r.randrange(16, 32), r.randrange(256), r.randrange(1, 255))


def doc_ip(r):
    return r.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(r.randrange(1, 255))


def doc_ip6(r):
    return "2001:db8:%x::%x" % (r.randrange(1, 0xFFFF), r.randrange(1, 0xFFFF))


def special_ip(r):
    return r.choice(
        [
            "127.0.0.1",
            "0.0.0.0",
            "169.254.%d.%d" % (r.randrange(1, 255), r.randrange(1, 255)),
            "224.0.0.%d" % r.randrange(1, 255),
            "255.255.255.255",
            "127.0.1.1",
            "100.%d.%d.%d" % (r.randrange(64, 128), r.randrange(256), r.randrange(1, 255)),
            "239.255.255.250",
            "::1",
            "fe80::%x:%x" % (r.randrange(1, 0xFFFF), r.randrange(1, 0xFFFF)),
        ]
    )


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


def brand_of(d):
    n = len(d)
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    p2, p3, p4 = int(d[:2]), int(d[:3]), int(d[:4])
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649) and n in (16, 19):
        return "discover"
    if 3528 <= p4 <= 3589 and n in (16, 19):
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38)) and n == 14:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    return None


def _card_digits(r, brand):
    if brand == "visa":
        pre, n = "4", 16
    elif brand == "mastercard":
        pre, n = (str(r.randrange(51, 56)) if r.random() < 0.7 else str(r.randrange(2221, 2721))), 16
    elif brand == "amex":
        pre, n = r.choice(["34", "37"]), 15
    elif brand == "discover":
        pre, n = r.choice(["6011", "65", str(r.randrange(644, 650))]), 16
    elif brand == "jcb":
        pre, n = str(r.randrange(3528, 3590)), 16
    elif brand == "diners":
        pre, n = r.choice(["36", "38", str(r.randrange(300, 306))]), 14
    else:
        pre, n = "62", r.choice([16, 16, 19])
    body = pre + rs(r, DIG, n - len(pre) - 1)
    for c in DIG:
        if luhn_ok(body + c):
            return body + c


def group_card(d, sep):
    n = len(d)
    if n == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif n == 14:
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i : i + 4] for i in range(0, n, 4)]
    return sep.join(parts)


def card(r, brand=None, fmt=None):
    brand = brand or r.choice(
        ["visa"] * 5 + ["mastercard"] * 4 + ["amex"] * 2 + ["discover", "jcb", "diners", "unionpay"]
    )
    d = _card_digits(r, brand)
    fmt = fmt or r.choice(["plain", "space", "space", "dash"])
    if fmt == "plain":
        return d
    return group_card(d, " " if fmt == "space" else "-")


def bad_card_number(r):
    """16-digit number that is neither Luhn-valid with a brand prefix (order / tracking numbers)"""
    while True:
        d = rs(r, DIG, 16)
        if not (brand_of(d) and luhn_ok(d)):
            return d


def masked_card(r):
    last4 = rs(r, DIG, 4)
    return r.choice(
        [
            "**** **** **** " + last4,
            "XXXX-XXXX-XXXX-" + last4,
            "•••• " + last4,
            "ending in " + last4,
            "4" + "*" * 11 + last4,
            "5" + rs(r, DIG, 5) + "******" + last4,
        ]
    )


# ---------------------------------------------------------------- secrets
PW_SYM = "!#$%*-_+=@^&~"


def password(r, symbols=PW_SYM, lo=9, hi=18):
    while True:
        n = r.randint(lo, hi)
        style = r.randrange(4)
        if style == 0:  # word-ish + digits + symbol
            w = r.choice(WORDS)
            w = w[0].upper() + w[1:]
            s = w + r.choice(symbols + DIG) + rs(r, DIG, r.randint(2, 4)) + rs(r, LOW + UP, r.randint(1, 3))
            s = s + r.choice(WORDS)[: r.randint(2, 4)].upper()
        elif style == 1:
            s = rs(r, ALNUM, n)
        elif style == 2:
            s = (
                rs(r, ALNUM, 3)
                + "".join(
                    r.choice([r.choice(ALNUM), r.choice(ALNUM), r.choice(symbols or ALNUM)]) for _ in range(n - 4)
                )
                + rs(r, ALNUM, 1)
            )
        else:
            s = (
                r.choice(UP)
                + rs(r, LOW, r.randint(3, 5))
                + r.choice(symbols or "-")
                + rs(r, DIG, r.randint(2, 4))
                + r.choice(symbols or "-")
                + rs(r, UP + DIG, r.randint(2, 3))
            )
        if pw_ok(s):
            return s


def pw_ok(s):
    if len(s) < 8 or not s[0].isalnum() or s[-1] in ".,!?:;":
        return False
    classes = sum([any(c.islower() for c in s), any(c.isupper() for c in s), any(c.isdigit() for c in s)])
    low = s.lower()
    if "example" in low or "xxxx" in low or low.startswith("your"):
        return False
    return classes >= 2


def passphrase(r):
    sep = r.choice(["-", ".", "_", " "])
    ws = r.sample(WORDS, r.randint(3, 5))
    if r.random() < 0.5:
        ws[0] = ws[0].capitalize()
    ws.append(str(r.randint(10, 9999)))
    r.shuffle(ws)
    s = sep.join(ws)
    if not s[0].isalnum():
        s = "x" + s
    return s


def pin_code(r):
    while True:
        s = rs(r, UP + DIG, r.randint(6, 8))
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def b64(data):
    return base64.b64encode(data).decode()


def b64u(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(r, alg="HS256", payload=None):
    hdr = {"alg": alg, "typ": "JWT"}
    if payload is None:
        iat = r.randint(1690000000, 1735000000)
        payload = r.choice(
            [
                {"sub": str(r.randint(1000, 999999)), "name": r.choice(FIRST).capitalize(), "iat": iat},
                {"user_id": r.randint(10, 99999), "role": r.choice(["admin", "editor", "service"]), "exp": iat + 86400},
                {
                    "iss": "https://auth." + company_domain(r),
                    "sub": "auth0|" + rs(r, HEX, 24),
                    "aud": "api",
                    "iat": iat,
                    "exp": iat + 3600,
                },
                {"role": "service_role", "iss": "supabase", "iat": iat, "exp": iat + 315360000},
                {
                    "iss": "kubernetes/serviceaccount",
                    "kubernetes.io/serviceaccount/namespace": r.choice(["default", "ci", "prod"]),
                    "kubernetes.io/serviceaccount/service-account.name": r.choice(["deployer", "argo", "builder"]),
                },
            ]
        )
    sig = rs(r, B64URL, 43 if alg.startswith("HS") else 342)
    return (
        b64u(json.dumps(hdr, separators=(",", ":")).encode())
        + "."
        + b64u(json.dumps(payload, separators=(",", ":")).encode())
        + "."
        + sig
    )


def pem_block(r, kind="RSA PRIVATE KEY", nl="\n"):
    prefixes = {
        "RSA PRIVATE KEY": ("MIIEpAIBAAKCAQEA", 25),
        "PRIVATE KEY": ("MIIEvgIBADANBgkqhkiG9w0BAQEFAASC", 25),
        "EC PRIVATE KEY": ("MHcCAQEEI", 3),
        "OPENSSH PRIVATE KEY": ("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 6),
        "ENCRYPTED PRIVATE KEY": ("MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI", 27),
        "DSA PRIVATE KEY": ("MIIBuwIBAAKBgQD", 9),
    }
    pre, nlines = prefixes[kind]
    nlines = max(3, nlines + r.randint(-2, 2))
    body = pre + rs(r, B64, 64 * nlines - len(pre) + r.randint(-40, 0))
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    if kind == "OPENSSH PRIVATE KEY":
        lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    return nl.join(["-----BEGIN %s-----" % kind] + lines + ["-----END %s-----" % kind])


def pgp_block(r):
    body = "lQVYBG" + rs(r, B64, 64 * 12 - 6)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join(
        ["-----BEGIN PGP PRIVATE KEY BLOCK-----", ""]
        + lines
        + ["=" + rs(r, B64, 4), "-----END PGP PRIVATE KEY BLOCK-----"]
    )


def pub_block(r, kind):
    pre = {"PUBLIC KEY": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", "CERTIFICATE": "MIIDdzCCAl+gAwIBAgIE"}[kind]
    n = 6 if kind == "PUBLIC KEY" else 18
    body = pre + rs(r, B64, 64 * n - len(pre) - 8) + "IDAQAB"
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join(["-----BEGIN %s-----" % kind] + lines + ["-----END %s-----" % kind])


def ssh_pub(r):
    t = r.choice(["ed25519", "rsa"])
    if t == "ed25519":
        return (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
            + rs(r, B64, 43)
            + " "
            + r.choice(FIRST)
            + "@"
            + r.choice(["laptop", "mbp", "build01", "devbox"])
        )
    return (
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ"
        + rs(r, B64, 360)
        + " "
        + r.choice(FIRST)
        + "@"
        + r.choice(["work-pc", "thinkpad", "ci"])
    )


def uuid4(r):
    h = rs(r, HEX, 32)
    h = h[:12] + "4" + h[13:16] + r.choice("89ab") + h[17:]
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def basic_b64(r, cache):
    u = cache.get(("user", "b")) or r.choice(["admin", "api", "deploy", "svc_report", "jenkins", r.choice(FIRST)])
    p = cache.get(("pw", "b")) or password(r, "-_")
    return b64((u + ":" + p).encode())


def mapbox(r, kind):
    body = b64u(
        json.dumps(
            {"u": r.choice(FIRST) + r.choice(LAST)[:3], "a": rs(r, LOW + DIG, 25)}, separators=(",", ":")
        ).encode()
    )
    return kind + "." + body + "." + rs(r, B64URL, 22)


def discord_tok(r):
    return b64u(str(r.randint(10**17, 10**19 - 1)).encode()) + "." + rs(r, B64URL, 6) + "." + rs(r, B64URL, 38)


BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

# vendor formats (labelled SECRET).  name -> generator
VENDOR = {
    "aws_akid": lambda r: r.choice(["AKIA", "AKIA", "ASIA"]) + mixed(r, UP + "234567", 16),
    "aws_sk": lambda r: mixed(r, ALNUM + "/+", 40),
    "ghp": lambda r: "ghp_" + mixed(r, ALNUM, 36),
    "gho": lambda r: "gho_" + mixed(r, ALNUM, 36),
    "ghs": lambda r: "ghs_" + mixed(r, ALNUM, 36),
    "github_pat": lambda r: "github_pat_11" + mixed(r, UP + DIG, 20) + "_" + mixed(r, ALNUM, 59),
    "glpat": lambda r: "glpat-" + mixed(r, ALNUM + "_-", 20),
    "glrt": lambda r: "glrt-" + mixed(r, ALNUM + "_-", 20),
    "xoxb": lambda r: "xoxb-%d-%d-%s" % (r.randint(10**10, 10**12), r.randint(10**11, 10**13), mixed(r, ALNUM, 24)),
    "xoxp": lambda r: (
        "xoxp-%d-%d-%d-%s"
        % (r.randint(10**10, 10**12), r.randint(10**10, 10**12), r.randint(10**11, 10**13), rs(r, HEX, 32))
    ),
    "slack_webhook": lambda r: (
        "https://hooks.slack.com/services/T%s/B%s/%s"
        % (mixed(r, UP + DIG, 8), mixed(r, UP + DIG, 10), mixed(r, ALNUM, 24))
    ),
    "sk_live": lambda r: "sk_live_51" + mixed(r, ALNUM, 97),
    "sk_test": lambda r: "sk_test_51" + mixed(r, ALNUM, 97),
    "rk_live": lambda r: "rk_live_51" + mixed(r, ALNUM, 97),
    "whsec": lambda r: "whsec_" + mixed(r, ALNUM, 32),
    "aiza": lambda r: "AIza" + mixed(r, ALNUM + "_-", 35),
    "gocspx": lambda r: "GOCSPX-" + mixed(r, ALNUM + "_-", 28),
    "ya29": lambda r: "ya29.a0A" + mixed(r, ALNUM + "_-", 150),
    "g_refresh": lambda r: "1//0" + r.choice("3gGe") + mixed(r, ALNUM + "_-", 99),
    "openai": lambda r: "sk-proj-" + mixed(r, ALNUM + "_-", 156),
    "openai_old": lambda r: "sk-" + mixed(r, ALNUM, 20) + "T3BlbkFJ" + mixed(r, ALNUM, 20),
    "anthropic": lambda r: "sk-ant-api03-" + mixed(r, ALNUM + "_-", 93) + "AA",
    "twilio_token": lambda r: rs(r, HEX, 32),
    "sendgrid": lambda r: "SG." + mixed(r, ALNUM + "_-", 22) + "." + mixed(r, ALNUM + "_-", 43),
    "mailgun": lambda r: "key-" + rs(r, HEX, 32),
    "mailchimp": lambda r: rs(r, HEX, 32) + "-us" + str(r.randint(1, 21)),
    "npm": lambda r: "npm_" + mixed(r, ALNUM, 36),
    "pypi": lambda r: "pypi-AgEIcHlwaS5vcmc" + mixed(r, ALNUM + "_-", 140),
    "shpat": lambda r: "shpat_" + rs(r, HEX, 32),
    "shpss": lambda r: "shpss_" + rs(r, HEX, 32),
    "discord": discord_tok,
    "telegram": lambda r: "%d:AA%s" % (r.randint(10**8, 10**10 - 1), mixed(r, ALNUM + "_-", 33)),
    "heroku": uuid4,
    "dop": lambda r: "dop_v1_" + rs(r, HEX, 64),
    "azure_key": lambda r: mixed(r, B64, 86) + "==",
    "hvs": lambda r: "hvs.CAESI" + mixed(r, ALNUM + "_-", 86),
    "tfc": lambda r: mixed(r, ALNUM, 14) + ".atlasv1." + mixed(r, ALNUM, 67),
    "dd_api": lambda r: rs(r, HEX, 32),
    "dd_app": lambda r: rs(r, HEX, 40),
    "nrak": lambda r: "NRAK-" + mixed(r, UP + DIG, 27),
    "sntryu": lambda r: "sntryu_" + rs(r, HEX, 64),
    "atatt": lambda r: "ATATT3xFfGF0" + mixed(r, ALNUM + "_-", 170) + "=" + rs(r, "0123456789ABCDEF", 8),
    "lin_api": lambda r: "lin_api_" + mixed(r, ALNUM, 40),
    "notion": lambda r: r.choice(["secret_" + mixed(r, ALNUM, 43), "ntn_" + mixed(r, ALNUM, 46)]),
    "pmak": lambda r: "PMAK-" + rs(r, HEX, 24) + "-" + rs(r, HEX, 34),
    "doppler": lambda r: "dp.pt." + mixed(r, ALNUM, 43),
    "glsa": lambda r: "glsa_" + mixed(r, ALNUM, 32) + "_" + rs(r, HEX, 8),
    "hf": lambda r: "hf_" + rs(r, LOW + UP, 34),
    "r8": lambda r: "r8_" + mixed(r, ALNUM, 37),
    "cf_token": lambda r: mixed(r, ALNUM + "_-", 40),
    "dropbox": lambda r: "sl.B" + mixed(r, ALNUM + "_-", 134),
    "sq_eaaa": lambda r: "EAAA" + mixed(r, ALNUM + "_-", 60),
    "sq0csp": lambda r: "sq0csp-" + mixed(r, ALNUM + "_-", 43),
    "braintree": lambda r: "access_token$production$" + mixed(r, LOW + DIG, 16) + "$" + rs(r, HEX, 32),
    "okta": lambda r: "00" + mixed(r, ALNUM + "_-", 40),
    "dapi": lambda r: "dapi" + rs(r, HEX, 32),
    "pulumi": lambda r: "pul-" + rs(r, HEX, 40),
    "age": lambda r: "AGE-SECRET-KEY-1" + rs(r, BECH, 58).upper(),
    "airtable": lambda r: "pat" + mixed(r, ALNUM, 14) + "." + rs(r, HEX, 64),
    "mapbox_sk": lambda r: mapbox(r, "sk"),
    "ltai": lambda r: "LTAI" + mixed(r, ALNUM, 20),
    "ali_secret": lambda r: mixed(r, ALNUM, 30),
    "fb_token": lambda r: "EAAG" + mixed(r, ALNUM, 180),
    "tw_bearer": lambda r: "AAAAAAAAAAAAAAAAAAAAA" + mixed(r, ALNUM, 26) + "%3D" + mixed(r, ALNUM, 50),
    "dckr": lambda r: "dckr_pat_" + mixed(r, ALNUM + "_-", 27),
    "figd": lambda r: "figd_" + mixed(r, ALNUM + "_-", 40),
    "nfp": lambda r: "nfp_" + mixed(r, ALNUM, 36),
    "cfpat": lambda r: "CFPAT-" + mixed(r, ALNUM + "_-", 43),
    "aio": lambda r: "aio_" + mixed(r, ALNUM, 28),
    "atbb": lambda r: "ATBB" + mixed(r, ALNUM, 32),
    "rubygems": lambda r: "rubygems_" + rs(r, HEX, 48),
    "shippo": lambda r: "shippo_live_" + rs(r, HEX, 40),
    "bkua": lambda r: "bkua_" + rs(r, HEX, 40),
    "tskey": lambda r: "tskey-auth-k" + mixed(r, ALNUM, 11) + "CNTRL-" + mixed(r, ALNUM, 33),
    "gsk": lambda r: "gsk_" + mixed(r, ALNUM, 52),
    "pplx": lambda r: "pplx-" + mixed(r, ALNUM, 48),
    "lsv2": lambda r: "lsv2_pt_" + rs(r, HEX, 32) + "_" + rs(r, HEX, 10),
    "pcsk": lambda r: "pcsk_" + mixed(r, ALNUM, 5) + "_" + mixed(r, ALNUM, 63),
    "fcm": lambda r: "AAAA" + mixed(r, ALNUM + "_-", 7) + ":APA91b" + mixed(r, ALNUM + "_-", 134),
    "mlsn": lambda r: "mlsn." + rs(r, HEX, 64),
    "resend": lambda r: "re_" + mixed(r, ALNUM, 8) + "_" + mixed(r, ALNUM, 24),
    "sbp": lambda r: "sbp_" + rs(r, HEX, 40),
    "rnd": lambda r: "rnd_" + mixed(r, ALNUM, 32),
    "fo1": lambda r: "fo1_" + mixed(r, ALNUM + "_-", 43),
    "pscale_pw": lambda r: "pscale_pw_" + mixed(r, ALNUM + "_-", 43),
    "pscale_tkn": lambda r: "pscale_tkn_" + mixed(r, ALNUM + "_-", 43),
    "cio": lambda r: "cio" + mixed(r, ALNUM, 32),
    "sk_test_rk": lambda r: "rk_test_51" + mixed(r, ALNUM, 97),
    "mp_token": lambda r: (
        "APP_USR-%d-%06d-%s-%d"
        % (r.randint(10**15, 10**16 - 1), r.randint(0, 999999), rs(r, HEX, 32), r.randint(10**8, 10**9))
    ),
}

GENERIC_SECRET = {
    "pw": lambda r: password(r),
    "pw_url": lambda r: password(r, "-_~"),
    "pw_plain": lambda r: password(r, ""),
    "pp": passphrase,
    "pin": pin_code,
    "jwt": jwt,
    "jwt_rs": lambda r: jwt(r, "RS256"),
    "rsa_key": lambda r: pem_block(r, "RSA PRIVATE KEY"),
    "pkcs8_key": lambda r: pem_block(r, "PRIVATE KEY"),
    "ec_key": lambda r: pem_block(r, "EC PRIVATE KEY"),
    "openssh_key": lambda r: pem_block(r, "OPENSSH PRIVATE KEY"),
    "enc_key": lambda r: pem_block(r, "ENCRYPTED PRIVATE KEY"),
    "pkcs8_esc": lambda r: pem_block(r, "PRIVATE KEY", nl="\\n"),
    "pgp_key": pgp_block,
    "k8s_b64": lambda r: b64(password(r).encode()),
    "hex32": lambda r: rs(r, HEX, 32),
    "hex40": lambda r: rs(r, HEX, 40),
    "hex64": lambda r: rs(r, HEX, 64),
    "django_key": lambda r: mixed(r, LOW + DIG, 3) + rs(r, LOW + DIG + "!@#%^&*(-_=+)", 46) + rs(r, LOW + DIG, 1),
    "rails_key": lambda r: rs(r, HEX, 128),
    "laravel_key": lambda r: b64(bytes(r.randrange(256) for _ in range(32))),
    "b64_32": lambda r: b64(bytes(r.randrange(256) for _ in range(32))),
    "tok32": lambda r: mixed(r, ALNUM, 32),
    "tok40": lambda r: mixed(r, ALNUM + "_-", 40),
    "tok24": lambda r: mixed(r, ALNUM, 24),
    "sess": lambda r: mixed(r, LOW + DIG, 32),
    "sess_long": lambda r: mixed(r, ALNUM + "-_", 64),
    "client_secret": lambda r: mixed(r, ALNUM + "_-~.", 34) + r.choice(ALNUM),
    "wifi_psk": lambda r: password(r, "-_!#@", 10, 20),
    "wg_key": lambda r: mixed(r, B64, 42) + r.choice("AEIMQUYcgkosw048") + "=",
    "plex": lambda r: mixed(r, ALNUM + "_-", 20),
    "smtp_plain": lambda r: b64(("\0" + r.choice(FIRST) + "@" + company_domain(r) + "\0" + password(r)).encode()),
    "community": lambda r: mixed(r, ALNUM, 12) + "_" + mixed(r, ALNUM, 4),
}

# 'basic' is handled specially (needs the cache); it is a SECRET too.
SECRET_KINDS = set(VENDOR) | set(GENERIC_SECRET) | {"basic"}


# ---------------------------------------------------------------- unlabelled fillers
def ts(r):
    return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        r.randint(1, 12),
        r.randint(1, 28),
        r.randrange(24),
        r.randrange(60),
        r.randrange(60),
        r.randrange(1000),
    )


def date(r):
    return "2024-%02d-%02d" % (r.randint(1, 12), r.randint(1, 28))


HOSTS = [
    "db-prod-01",
    "api-gw",
    "worker-3",
    "redis-cache",
    "mq01",
    "build-agent-7",
    "vpn-edge",
    "mail-relay",
    "k8s-node-2",
    "backup-nas",
    "web-frontend",
    "jump01",
    "ldap-master",
    "grafana",
    "staging-db",
    "pos-terminal-12",
]


def host(r):
    return r.choice(HOSTS) + r.choice(["", ".internal", ".corp.lan", ".svc.cluster.local", ".local", ".intra"])


def fqdn(r):
    return r.choice(["api", "app", "mail", "vpn", "git", "shop", "cdn", "portal", "auth"]) + "." + company_domain(r)


def bcrypt(r):
    return "$2%s$%d$%s" % (r.choice("aby"), r.choice([10, 11, 12, 12, 14]), rs(r, ALNUM + "./", 53))


def crypt6(r):
    return "$%s$%s$%s" % (
        r.choice(["6", "6", "5", "1"]),
        rs(r, ALNUM + "./", r.choice([8, 16])),
        rs(r, ALNUM + "./", 86),
    )


def argon2(r):
    return "$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s" % (
        r.choice([19456, 65536, 47104]),
        r.randint(2, 4),
        r.choice([1, 4]),
        rs(r, B64[:-2], 22),
        rs(r, B64[:-2], 43),
    )


def cisco(r, t="9"):
    return "$%s$%s$%s" % (t, rs(r, ALNUM + "./", 14), rs(r, ALNUM + "./", 43))


def ulid(r):
    return "01" + rs(r, "0123456789ABCDEFGHJKMNPQRSTVWXYZ", 24)


def btc(r):
    return r.choice(
        [
            "bc1q" + rs(r, BECH, 38),
            "bc1p" + rs(r, BECH, 58),
            "3" + rs(r, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33),
        ]
    )


def eth(r):
    return "0x" + "".join(c.upper() if r.random() < 0.4 else c for c in rs(r, HEX, 40))


def gclient(r):
    return "%d-%s.apps.googleusercontent.com" % (r.randint(10**11, 10**12 - 1), rs(r, LOW + DIG, 32))


def phone(r):
    return r.choice(
        [
            "+49 %d %d" % (r.randint(150, 179), r.randint(1000000, 9999999)),
            "+33 6 %02d %02d %02d %02d" % tuple(r.randint(10, 99) for _ in range(4)),
            "(%d) %d-%04d" % (r.randint(201, 989), r.randint(200, 999), r.randint(0, 9999)),
            "+81 90-%04d-%04d" % (r.randint(1000, 9999), r.randint(0, 9999)),
            "+7 9%02d %03d-%02d-%02d" % (r.randint(10, 99), r.randint(100, 999), r.randint(10, 99), r.randint(10, 99)),
            "+91 %05d %05d" % (r.randint(70000, 99999), r.randint(0, 99999)),
            "0%d %d %d" % (r.randint(20, 99), r.randint(100, 999), r.randint(1000, 9999)),
        ]
    )


def iban(r):
    c = r.choice(["DE", "FR", "NL", "ES", "IT", "PL", "AT"])
    n = {"DE": 18, "FR": 23, "NL": 14, "ES": 20, "IT": 23, "PL": 24, "AT": 16}[c]
    body = ("ABNA" + rs(r, DIG, 10)) if c == "NL" else rs(r, DIG, n)
    s = c + rs(r, DIG, 2) + body
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def mac(r):
    return ":".join(rs(r, HEX, 2) for _ in range(6))


LOG_TEMPL = [
    "{ts} INFO  [{th}] GET /api/v1/{res}/{n} 200 {ms}ms rid={rid}",
    "{ts} DEBUG [{th}] cache hit key=user:{n}:profile",
    "{ts} INFO  [{th}] POST /api/v1/{res} 201 {ms}ms from {pip}",
    "{ts} WARN  [{th}] slow query ({ms}ms): SELECT * FROM {res} WHERE id = ${n2}",
    "{ts} INFO  [{th}] healthcheck ok upstream={pip}:8080",
    "{ts} INFO  [{th}] job {res}-sync finished in {ms}ms (rows={n})",
    "{ts} ERROR [{th}] upstream timeout after 30000ms host={pip}",
    "{ts} INFO  [{th}] GC pause {ms}ms heap=512M/2048M",
    "{ts} INFO  [{th}] connected to broker amqp://{pip}:5672 vhost=/",
    "{ts} DEBUG [{th}] span_id={span} parent={span2}",
]


def loglines(r):
    out = []
    for _ in range(r.randint(8, 26)):
        out.append(
            r.choice(LOG_TEMPL).format(
                ts=ts(r),
                th=r.choice(["main", "worker-1", "worker-2", "http-nio-8080-exec-4", "scheduler"]),
                res=r.choice(["orders", "users", "invoices", "carts", "sessions"]),
                n=r.randint(1, 99999),
                n2=r.randint(1, 9),
                ms=r.randint(1, 4000),
                rid=uuid4(r),
                pip=priv_ip(r),
                span=rs(r, HEX, 16),
                span2=rs(r, HEX, 16),
            )
        )
    return "\n".join(out)


PROSE = [
    "The migration to the new cluster took longer than planned because two of the nodes kept failing their readiness probes.",
    "We decided to keep the old endpoint alive for another sprint so mobile clients have time to update.",
    "Most of the latency came from DNS lookups inside the container, not from the database itself.",
    "If the build is red on main, please don't merge anything else until it's fixed — thanks!",
    "Rotating the credentials is on the checklist for the next maintenance window.",
    "Note: the staging environment is reset every Sunday night, so don't store anything important there.",
    "The nightly report job runs at 02:00 UTC and usually finishes within twenty minutes.",
    "We saw a spike of 502s after the deploy; rolling back fixed it, root cause still unknown.",
    "Logs older than 30 days are moved to cold storage and deleted after a year.",
    "The vendor confirmed the outage on their side and promised a post-mortem by Friday.",
    "Remember to bump the chart version whenever you touch anything under templates/.",
    "Feature flags are evaluated on the server; the client only receives the final booleans.",
]


def prose(r):
    return " ".join(r.sample(PROSE, r.randint(2, 4)))


ENV_NOISE = [
    "NODE_ENV=production",
    "LOG_LEVEL=info",
    "PORT=8080",
    "TZ=Europe/Berlin",
    "WORKERS=4",
    "CACHE_TTL=300",
    "FEATURE_NEW_CHECKOUT=true",
    "SENTRY_ENVIRONMENT=prod",
    "MAX_UPLOAD_MB=25",
    "LOCALE=de_DE.UTF-8",
    "QUEUE_NAME=default",
    "RATE_LIMIT_PER_MIN=120",
    "ENABLE_METRICS=1",
    "HTTP_TIMEOUT=15",
]


def env_noise(r):
    return "\n".join(r.sample(ENV_NOISE, r.randint(3, 7)))


UA = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "curl/8.4.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
]

FILL = {
    "user": lambda r, l: r.choice(
        [
            "admin",
            "deploy",
            "jenkins",
            "svc_backup",
            "app_user",
            "root",
            "ubuntu",
            "postgres",
            "webmaster",
            "ops",
            "ci-bot",
            "reporting",
            "grafana",
            "sa_etl",
        ]
        + [r.choice(FIRST) + r.choice(["", ".", "_"]) + r.choice(LAST)[: r.randint(1, 6)] for _ in range(4)]
    ),
    "fname": fname,
    "lname": lname,
    "name": fullname,
    "host": lambda r, l: host(r),
    "fqdn": lambda r, l: fqdn(r),
    "domain": lambda r, l: company_domain(r),
    "dbname": lambda r, l: r.choice(
        ["shop_prod", "crm", "billing", "analytics", "app", "wordpress", "inventory", "hr_portal", "ledger"]
    ),
    "priv_ip": lambda r, l: priv_ip(r),
    "doc_ip": lambda r, l: doc_ip(r),
    "doc_ip6": lambda r, l: doc_ip6(r),
    "special_ip": lambda r, l: special_ip(r),
    "ex_email": lambda r, l: ex_email(r),
    "uuid": lambda r, l: uuid4(r),
    "sha1": lambda r, l: rs(r, HEX, 40),
    "short_sha": lambda r, l: rs(r, HEX, 7),
    "sha256": lambda r, l: rs(r, HEX, 64),
    "md5": lambda r, l: rs(r, HEX, 32),
    "sha512b64": lambda r, l: "sha512-" + rs(r, B64, 86) + "==",
    "bcrypt": lambda r, l: bcrypt(r),
    "crypt6": lambda r, l: crypt6(r),
    "argon2": lambda r, l: argon2(r),
    "cisco": lambda r, l: cisco(r),
    "cisco8": lambda r, l: cisco(r, "8"),
    "mysql_hash": lambda r, l: "*" + rs(r, "0123456789ABCDEF", 40),
    "csrf": lambda r, l: rs(r, ALNUM, 64),
    "csrf_b64": lambda r, l: rs(r, B64, 43) + "=",
    "nonce": lambda r, l: rs(r, B64, 22) + "==",
    "vault_acc": lambda r, l: rs(r, ALNUM, 24),
    "req_id": lambda r, l: uuid4(r),
    "trace": lambda r, l: "00-%s-%s-01" % (rs(r, HEX, 32), rs(r, HEX, 16)),
    "hex16": lambda r, l: rs(r, HEX, 16),
    "btc": lambda r, l: btc(r),
    "eth": lambda r, l: eth(r),
    "pk_live": lambda r, l: "pk_live_51" + mixed(r, ALNUM, 97),
    "pk_test": lambda r, l: "pk_test_51" + mixed(r, ALNUM, 97),
    "mapbox_pk": lambda r, l: mapbox(r, "pk"),
    "gclient": lambda r, l: gclient(r),
    "recaptcha": lambda r, l: "6L" + rs(r, "cdefe", 1) + mixed(r, ALNUM + "_-", 37),
    "ssh_pub": lambda r, l: ssh_pub(r),
    "cert": lambda r, l: pub_block(r, "CERTIFICATE"),
    "pubkey": lambda r, l: pub_block(r, "PUBLIC KEY"),
    "date": lambda r, l: date(r),
    "ts": lambda r, l: ts(r),
    "epoch": lambda r, l: str(r.randint(1700000000, 1735000000)),
    "time": lambda r, l: "%02d:%02d" % (r.randrange(24), r.randrange(60)),
    "port": lambda r, l: str(r.choice([22, 80, 443, 2222, 3000, 3306, 5432, 6379, 8080, 8443, 9000, 27017])),
    "small": lambda r, l: str(r.randint(8, 16)),
    "num": lambda r, l: str(r.randint(2, 999)),
    "big": lambda r, l: str(r.randint(1000, 999999)),
    "order_no": lambda r, l: bad_card_number(r),
    "masked_cc": lambda r, l: masked_card(r),
    "phone": lambda r, l: phone(r),
    "iban": lambda r, l: iban(r),
    "mac": lambda r, l: mac(r),
    "ver": lambda r, l: "%d.%d.%d" % (r.randint(0, 12), r.randint(0, 30), r.randint(0, 40)),
    "ver4": lambda r, l: "%d.%d.%d.%d" % (r.randint(1, 20), r.randint(0, 40), r.randint(0, 300), r.randint(0, 9999)),
    "oid": lambda r, l: "1.3.6.1.4.1.%d.%d.%d" % (r.randint(2, 60000), r.randint(1, 20), r.randint(1, 99)),
    "price": lambda r, l: "%d.%02d" % (r.randint(3, 900), r.randrange(100)),
    "ulid": lambda r, l: ulid(r),
    "ticket": lambda r, l: r.choice(["OPS", "INC", "SUP", "DEV", "SEC", "IT"]) + "-" + str(r.randint(100, 9999)),
    "ua": lambda r, l: r.choice(UA),
    "fp": lambda r, l: "SHA256:" + rs(r, B64, 43),
    "docker_digest": lambda r, l: "sha256:" + rs(r, HEX, 64),
    "loglines": lambda r, l: loglines(r),
    "prose": lambda r, l: prose(r),
    "env_noise": lambda r, l: env_noise(r),
    "word": lambda r, l: r.choice(WORDS),
    "company": lambda r, l: r.choice(CO_WORDS).replace("-", " ").title(),
    "ms": lambda r, l: str(r.randint(1, 3000)),
    "bytes": lambda r, l: str(r.randint(120, 90000)),
    "tracking": lambda r, l: r.choice(
        ["1Z" + rs(r, UP + DIG, 16), "JJD" + rs(r, DIG, 18), rs(r, UP, 2) + rs(r, DIG, 9) + "DE"]
    ),
    "alnum_id": lambda r, l: rs(r, ALNUM, 24),
    "twilio_sid": lambda r, l: "AC" + rs(r, HEX, 32),
    "snowflake": lambda r, l: str(r.randint(10**17, 10**18)),
    "amount": lambda r, l: str(r.randint(5, 2500)) + r.choice([",00", ".00", ",50", ".99"]),
    "wifi_ssid": lambda r, l: r.choice(
        [
            "FRITZ!Box 7590 QX",
            "Vodafone-2G-A1B2",
            "TP-Link_5G_Home",
            "Office-Guest",
            "Livebox-7C31",
            "Buero_WLAN",
            "Cafe_Libre",
            "HUAWEI-B535",
        ]
    ),
}

# ---------------------------------------------------------------- labelled kinds
LABELLED = {
    "email": ("EMAIL_ADDRESS", lambda r, l: email(r)),
    "email_p": ("EMAIL_ADDRESS", lambda r, l: email(r, corp=False)),
    "email_c": ("EMAIL_ADDRESS", lambda r, l: email(r, corp=True)),
    "ip4": ("IP_ADDRESS", lambda r, l: ip4(r)),
    "ip6": ("IP_ADDRESS", lambda r, l: ip6(r)),
    "cc": ("CREDIT_CARD", lambda r, l: card(r)),
    "cc_plain": ("CREDIT_CARD", lambda r, l: card(r, fmt="plain")),
    "cc_space": ("CREDIT_CARD", lambda r, l: card(r, fmt="space")),
    "visa": ("CREDIT_CARD", lambda r, l: card(r, "visa")),
    "mc": ("CREDIT_CARD", lambda r, l: card(r, "mastercard")),
    "amex": ("CREDIT_CARD", lambda r, l: card(r, "amex")),
    "sa_email": (
        "EMAIL_ADDRESS",
        lambda r, l: (
            r.choice(["deployer", "ci-runner", "terraform", "bq-export", "firebase-adminsdk-" + rs(r, LOW + DIG, 5)])
            + "@"
            + r.choice(WORDS)
            + "-"
            + r.choice(["prod", "staging", "data"])
            + "-"
            + str(r.randint(100000, 999999))
            + ".iam.gserviceaccount.com"
        ),
    ),
}
for _k, _g in VENDOR.items():
    LABELLED[_k] = ("SECRET", (lambda g: lambda r, l: g(r))(_g))
for _k, _g in GENERIC_SECRET.items():
    LABELLED[_k] = ("SECRET", (lambda g: lambda r, l: g(r))(_g))
PASSWORD_KINDS = {"pw", "pw_url", "pw_plain", "wifi_psk"}
assert not (set(LABELLED) & set(FILL))

# ---------------------------------------------------------------- templates
TEMPLATES = []  # dicts: ctx, lang, cat, text, n (relative weight), sec
_SEC = ["code"]


def SECTION(name):
    _SEC[0] = name


_CHAT_LINE = re.compile(r"^((?:\[⟪time⟫\] )?<?)⟪(fname|name|user)⟫")


def tag_speakers(text):
    """in chat logs, let two speakers alternate instead of a new random name on every line"""
    out, i = [], 0
    for line in text.split("\n"):
        m = _CHAT_LINE.match(line)
        if m:
            line = m.group(1) + "⟪%s:%s⟫" % (m.group(2), "ab"[i % 2]) + line[m.end() :]
            i += 1
        out.append(line)
    return "\n".join(out)


def P(ctx, lang, text, n=4):
    if ctx == "chat_message":
        text = tag_speakers(text)
    TEMPLATES.append(dict(ctx=ctx, lang=lang, cat="positive", text=text.strip("\n"), n=n, sec=_SEC[0]))


def N(cat, ctx, lang, text, n=4):
    if ctx == "chat_message":
        text = tag_speakers(text)
    TEMPLATES.append(dict(ctx=ctx, lang=lang, cat=cat, text=text.strip("\n"), n=n, sec=_SEC[0]))


SECTION("code")

# ================================================================ (a) source code and configuration
P(
    "dotenv",
    "en",
    """
# --- app ---
APP_NAME=⟪company⟫
APP_ENV=production
APP_KEY=base64:⟪laravel_key⟫
APP_DEBUG=false
APP_URL=https://⟪fqdn⟫

LOG_CHANNEL=stack
DB_CONNECTION=mysql
DB_HOST=⟪priv_ip⟫
DB_PORT=3306
DB_DATABASE=⟪dbname⟫
DB_USERNAME=⟪user⟫
DB_PASSWORD=⟪pw⟫

MAIL_MAILER=smtp
MAIL_HOST=smtp.mailgun.org
MAIL_PORT=587
MAIL_PASSWORD=⟪mailgun⟫
""",
)
P(
    "docker_compose",
    "en",
    """
version: "3.8"
services:
  db:
    image: postgres:16-alpine
    restart: unless-stopped
    environment:
      POSTGRES_USER: ⟪user⟫
      POSTGRES_PASSWORD: ⟪pw⟫
      POSTGRES_DB: ⟪dbname⟫
    volumes:
      - pgdata:/var/lib/postgresql/data
  api:
    build: .
    depends_on: [db]
    environment:
      - DATABASE_URL=postgres://⟪user:u⟫:⟪pw_url⟫@db:5432/⟪dbname⟫
      - STRIPE_SECRET_KEY=⟪sk_live⟫
      - STRIPE_PUBLISHABLE_KEY=⟪pk_live⟫
    ports:
      - "8080:8080"
volumes:
  pgdata:
""",
)
P(
    "python_source",
    "en",
    """
# settings/production.py
from .base import *  # noqa

DEBUG = False
SECRET_KEY = '⟪django_key⟫'
ALLOWED_HOSTS = ['⟪fqdn⟫', '⟪ip4⟫']

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': '⟪dbname⟫',
        'USER': '⟪user⟫',
        'PASSWORD': '⟪pw⟫',
        'HOST': '⟪priv_ip⟫',
        'PORT': '5432',
    }
}

EMAIL_HOST = 'smtp.office365.com'
EMAIL_HOST_USER = '⟪email_c⟫'
EMAIL_HOST_PASSWORD = '⟪pw⟫'
EMAIL_USE_TLS = True
""",
)
P(
    "javascript_source",
    "en",
    """
// config/default.js  -- TODO move these to vault before go-live!!
module.exports = {
  port: process.env.PORT || 3000,
  stripe: {
    secretKey: '⟪sk_live⟫',
    webhookSecret: '⟪whsec⟫',
  },
  sendgrid: {
    apiKey: '⟪sendgrid⟫',
    from: '⟪email_c⟫',
  },
  redis: { host: '⟪priv_ip⟫', port: 6379 },
};
""",
)
P(
    "terraform",
    "en",
    """
provider "aws" {
  region     = "eu-central-1"
  access_key = "⟪aws_akid⟫"
  secret_key = "⟪aws_sk⟫"
}

resource "aws_instance" "bastion" {
  ami           = "ami-0⟪hex16⟫"
  instance_type = "t3.micro"
  tags = {
    Name  = "bastion-⟪word⟫"
    Owner = "platform"
  }
}
""",
    n=3,
)
P(
    "aws_credentials",
    "en",
    """
[default]
aws_access_key_id = ⟪aws_akid⟫
aws_secret_access_key = ⟪aws_sk⟫
region = eu-west-1

[backup-account]
aws_access_key_id=⟪aws_akid⟫
aws_secret_access_key=⟪aws_sk⟫
output = json
""",
    n=3,
)
P(
    "kubernetes_manifest",
    "en",
    """
apiVersion: v1
kind: Secret
metadata:
  name: ⟪dbname⟫-credentials
  namespace: prod
type: Opaque
data:
  username: ⟪k8s_user⟫
  password: ⟪k8s_b64⟫
stringData:
  API_TOKEN: "⟪tok40⟫"
""".replace("⟪k8s_user⟫", "YXBwX3VzZXI="),
)
P(
    "github_actions",
    "en",
    """
name: deploy
on:
  push:
    branches: [ main ]
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      REGISTRY_USER: ⟪user⟫
      # FIXME: temporary, remove after the demo
      REGISTRY_TOKEN: ⟪dckr⟫
    steps:
      - uses: actions/checkout@v4
      - run: echo "$REGISTRY_TOKEN" | docker login -u "$REGISTRY_USER" --password-stdin
      - run: ssh -o StrictHostKeyChecking=no deploy@⟪ip4⟫ './release.sh ${{ github.sha }}'
""",
    n=3,
)
P(
    "java_properties",
    "en",
    """
# application-prod.properties
server.port=8443
spring.datasource.url=jdbc:mysql://⟪ip4⟫:3306/⟪dbname⟫?useSSL=true&serverTimezone=UTC
spring.datasource.username=⟪user⟫
spring.datasource.password=⟪pw⟫
spring.jpa.hibernate.ddl-auto=validate
spring.mail.host=smtp.gmail.com
spring.mail.username=⟪email_p⟫
spring.mail.password=⟪pw⟫
management.endpoints.web.exposure.include=health,info
""",
)
P(
    "json_config",
    "en",
    """
{
  "Logging": { "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning" } },
  "AllowedHosts": "*",
  "ConnectionStrings": {
    "Default": "Server=tcp:⟪ip4⟫,1433;Database=⟪dbname⟫;User ID=⟪user⟫;Password=⟪pw⟫;Encrypt=True;",
    "Storage": "DefaultEndpointsProtocol=https;AccountName=st⟪word⟫prod;AccountKey=⟪azure_key⟫;EndpointSuffix=core.windows.net"
  },
  "Jwt": { "Issuer": "https://⟪fqdn⟫", "SigningKey": "⟪b64_32⟫" }
}
""",
)
P(
    "go_source",
    "en",
    """
package main

import (
	"context"
	"log"

	openai "github.com/sashabaranov/go-openai"
)

// quick hack for the hackathon, do not ship
const apiKey = "⟪openai⟫"

func main() {
	c := openai.NewClient(apiKey)
	resp, err := c.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
		Model:    openai.GPT4o,
		Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "ping"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Println(resp.Choices[0].Message.Content)
}
""",
    n=3,
)
P(
    "rust_source",
    "en",
    """
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};

const TOKEN: &str = "⟪anthropic⟫";

fn client() -> reqwest::Client {
    let mut h = HeaderMap::new();
    h.insert("x-api-key", HeaderValue::from_static(TOKEN));
    h.insert("anthropic-version", HeaderValue::from_static("2023-06-01"));
    reqwest::Client::builder().default_headers(h).build().unwrap()
}
""",
    n=3,
)
P(
    "php_source",
    "en",
    """
<?php
/** The name of the database for WordPress */
define( 'DB_NAME', '⟪dbname⟫' );
/** Database username */
define( 'DB_USER', '⟪user⟫' );
/** Database password */
define( 'DB_PASSWORD', '⟪pw⟫' );
/** Database hostname */
define( 'DB_HOST', '⟪ip4⟫:3306' );
define( 'DB_CHARSET', 'utf8mb4' );

define( 'AUTH_KEY',         '⟪django_key⟫' );
define( 'SECURE_AUTH_KEY',  '⟪django_key⟫' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
""",
)
P(
    "yaml_config",
    "en",
    """
# config/credentials.yml (decrypted with `bin/rails credentials:edit`)
secret_key_base: ⟪rails_key⟫

aws:
  access_key_id: ⟪aws_akid⟫
  secret_access_key: ⟪aws_sk⟫

smtp:
  user_name: ⟪email_c⟫
  password: ⟪pw⟫
""",
    n=3,
)
P(
    "npmrc",
    "en",
    """
registry=https://registry.npmjs.org/
@⟪word⟫:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟪ghp⟫
//registry.npmjs.org/:_authToken=⟪npm⟫
save-exact=true
""",
    n=3,
)
P(
    "pypirc",
    "en",
    """
[distutils]
index-servers =
    pypi
    testpypi

[pypi]
username = __token__
password = ⟪pypi⟫

[testpypi]
repository = https://test.pypi.org/legacy/
username = __token__
password = ⟪pypi⟫
""",
    n=3,
)
P(
    "netrc",
    "en",
    """
machine api.heroku.com
  login ⟪email_p⟫
  password ⟪heroku⟫
machine git.heroku.com
  login ⟪email_p⟫
  password ⟪heroku⟫
machine ftp.⟪domain⟫ login ⟪user⟫ password ⟪pw⟫
""",
    n=3,
)
P(
    "nginx_config",
    "en",
    """
upstream backend {
    server ⟪ip4⟫:8080 weight=3;
    server ⟪ip4⟫:8080;
    server ⟪priv_ip⟫:8080 backup;
}

server {
    listen 443 ssl http2;
    server_name ⟪fqdn⟫;

    location /admin/ {
        allow ⟪ip4⟫;
        allow ⟪ip6⟫;
        allow 10.0.0.0/8;
        deny all;
        proxy_pass http://backend;
    }
}
""",
)
P(
    "private_key_file",
    "en",
    """
⟪openssh_key⟫
""",
    n=3,
)
P(
    "private_key_file",
    "en",
    """
Bag Attributes
    friendlyName: ⟪fqdn⟫
    localKeyID: 01 00 00 00
Key Attributes: <No Attributes>
⟪pkcs8_key⟫
""",
    n=2,
)
P(
    "service_account_json",
    "en",
    """
{
  "type": "service_account",
  "project_id": "⟪word⟫-prod-⟪num⟫",
  "private_key_id": "⟪sha1⟫",
  "private_key": "⟪pkcs8_esc⟫\\n",
  "client_email": "⟪sa_email⟫",
  "client_id": "⟪snowflake⟫",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
    n=3,
)
P(
    "kubeconfig",
    "en",
    """
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM⟪sha256⟫
    server: https://⟪ip4⟫:6443
  name: prod
contexts:
- context: {cluster: prod, user: ci}
  name: prod
current-context: prod
kind: Config
users:
- name: ci
  user:
    token: ⟪jwt_rs⟫
""",
    n=3,
)
P(
    "wpa_supplicant",
    "en",
    """
ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1
country=DE

network={
    ssid="⟪wifi_ssid⟫"
    psk="⟪wifi_psk⟫"
    key_mgmt=WPA-PSK
    priority=10
}
""",
)
P(
    "router_config",
    "en",
    """
hostname edge-⟪num⟫
!
enable secret 9 ⟪cisco⟫
username netops privilege 15 secret 9 ⟪cisco⟫
!
interface GigabitEthernet0/0
 description UPLINK-ISP
 ip address ⟪ip4⟫ 255.255.255.252
!
crypto isakmp key ⟪pw_plain⟫ address ⟪ip4⟫
!
snmp-server community ⟪community⟫ RO 10
ip route 0.0.0.0 0.0.0.0 ⟪ip4⟫
""",
)
P(
    "wireguard_config",
    "en",
    """
[Interface]
Address = 10.66.⟪num⟫.1/24
ListenPort = 51820
PrivateKey = ⟪wg_key⟫

[Peer]
# laptop-⟪fname⟫
PublicKey = ⟪pubwg⟫
PresharedKey = ⟪wg_key⟫
AllowedIPs = 10.66.0.0/24
Endpoint = ⟪ip4⟫:51820
PersistentKeepalive = 25
""".replace("⟪pubwg⟫", "⟪csrf_b64⟫"),
)
P(
    "redis_config",
    "en",
    """
bind 127.0.0.1 ⟪priv_ip⟫
protected-mode yes
port 6379
requirepass ⟪pw_plain⟫
masterauth ⟪pw_plain⟫
maxmemory 2gb
maxmemory-policy allkeys-lru
""",
    n=3,
)
P(
    "javascript_source",
    "en",
    """
const mongoose = require('mongoose');

// prod cluster
mongoose.connect('mongodb+srv://⟪user⟫:⟪pw_url⟫@cluster0.⟪short_sha⟫.mongodb.net/⟪dbname⟫?retryWrites=true&w=majority')
  .then(() => console.log('mongo connected'))
  .catch(err => console.error('mongo error', err));
""",
)
P(
    "jupyter_notebook",
    "en",
    """
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": [
    "import os\\n",
    "from huggingface_hub import login\\n",
    "login(token=\\"⟪hf⟫\\")\\n",
    "os.environ[\\"OPENAI_API_KEY\\"] = \\"⟪openai_old⟫\\""
   ]
  }
 ],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
""",
    n=3,
)
P(
    "shell_script",
    "en",
    """
#!/usr/bin/env bash
set -euo pipefail

API="https://api.digitalocean.com/v2"
TOKEN="⟪dop:a⟫"

curl -s -X POST "$API/droplets" \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ⟪dop:a⟫" \\
  -d '{"name":"ci-runner-⟪num⟫","region":"fra1","size":"s-2vcpu-4gb","image":"ubuntu-22-04-x64"}'

scp build.tar.gz root@⟪ip4⟫:/opt/releases/
""",
    n=3,
)
P(
    "makefile",
    "en",
    """
IMAGE ?= registry.⟪domain⟫/shop/api
TAG   ?= $(shell git rev-parse --short HEAD)

login:
\tdocker login registry.⟪domain⟫ -u ⟪user⟫ -p ⟪pw⟫

push: build login
\tdocker push $(IMAGE):$(TAG)

.PHONY: login push
""",
    n=3,
)
P(
    "ansible_inventory",
    "en",
    """
[web]
web1 ansible_host=⟪ip4⟫ ansible_user=ubuntu
web2 ansible_host=⟪ip4⟫ ansible_user=ubuntu

[db]
db1 ansible_host=⟪priv_ip⟫

[all:vars]
ansible_become_pass=⟪pw⟫
mysql_root_password=⟪pw⟫
""",
)
P(
    "helm_values",
    "en",
    """
replicaCount: 2
image:
  repository: ghcr.io/⟪word⟫/api
  tag: "⟪ver⟫"
postgresql:
  enabled: true
  auth:
    username: ⟪user⟫
    password: "⟪pw⟫"
    postgresPassword: "⟪pw⟫"
service:
  type: LoadBalancer
  loadBalancerIP: ⟪ip4⟫
  loadBalancerSourceRanges:
    - ⟪ip4⟫/32
""",
)
P(
    "grafana_provisioning",
    "en",
    """
apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    url: http://⟪priv_ip⟫:9090
    basicAuth: true
    basicAuthUser: ⟪user⟫
    secureJsonData:
      basicAuthPassword: ⟪pw⟫
  - name: Loki
    type: loki
    url: https://logs-prod-eu-west-0.grafana.net
    basicAuthUser: "⟪big⟫"
    secureJsonData:
      basicAuthPassword: ⟪glsa⟫
""",
    n=3,
)
P(
    "alertmanager_config",
    "en",
    """
global:
  smtp_smarthost: 'smtp.⟪domain⟫:587'
  smtp_from: '⟪email_c⟫'
  smtp_auth_username: '⟪email_c⟫'
  smtp_auth_password: '⟪pw⟫'
  slack_api_url: '⟪slack_webhook⟫'

route:
  receiver: team-ops
receivers:
  - name: team-ops
    slack_configs:
      - channel: '#alerts'
    email_configs:
      - to: '⟪email_c⟫'
""",
)
P(
    "python_source",
    "en",
    """
import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="⟪aws_akid⟫",
    aws_secret_access_key="⟪aws_sk⟫",
    region_name="us-east-1",
)

for obj in s3.list_objects_v2(Bucket="⟪word⟫-exports")["Contents"]:
    print(obj["Key"], obj["Size"])
""",
)
P(
    "python_source",
    "en",
    """
import requests
from requests.auth import HTTPBasicAuth

r = requests.get(
    "https://⟪fqdn⟫/rest/api/2/search?jql=project=OPS",
    auth=HTTPBasicAuth("⟪email_c⟫", "⟪atatt⟫"),
    timeout=30,
)
r.raise_for_status()
print(len(r.json()["issues"]))
""",
    n=3,
)
P(
    "javascript_source",
    "en",
    """
const BOT_TOKEN = '⟪telegram⟫';
const CHAT_ID = -100⟪big⟫;

async function notify(text) {
  await fetch(`https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ chat_id: CHAT_ID, text }),
  });
}
""",
    n=3,
)
P(
    "python_source",
    "en",
    """
import discord

intents = discord.Intents.default()
intents.message_content = True
client = discord.Client(intents=intents)

@client.event
async def on_message(msg):
    if msg.content.startswith("!ping"):
        await msg.channel.send("pong")

client.run("⟪discord⟫")  # TODO env var
""",
    n=3,
)
P(
    "gradle_properties",
    "en",
    """
# local.properties -- do not commit (oops)
sdk.dir=/Users/⟪fname⟫/Library/Android/sdk
MAPS_API_KEY=⟪aiza⟫
RELEASE_STORE_PASSWORD=⟪pw⟫
RELEASE_KEY_ALIAS=upload
RELEASE_KEY_PASSWORD=⟪pw⟫
""",
)
P(
    "arduino_sketch",
    "en",
    """
#include <WiFi.h>
#include <PubSubClient.h>

#define WIFI_SSID   "⟪wifi_ssid⟫"
#define WIFI_PASS   "⟪wifi_psk⟫"
#define MQTT_HOST   "⟪ip4⟫"
#define MQTT_USER   "sensor-⟪num⟫"
#define MQTT_PASS   "⟪pw_plain⟫"

WiFiClient net;
PubSubClient mqtt(net);

void setup() {
  Serial.begin(115200);
  WiFi.begin(WIFI_SSID, WIFI_PASS);
  while (WiFi.status() != WL_CONNECTED) delay(250);
  mqtt.setServer(MQTT_HOST, 1883);
}
""",
)
P(
    "sql_script",
    "en",
    """
-- provisioning for reporting replica
CREATE USER 'report_ro'@'%' IDENTIFIED BY '⟪pw⟫';
GRANT SELECT ON ⟪dbname⟫.* TO 'report_ro'@'%';
CREATE USER 'etl'@'⟪ip4⟫' IDENTIFIED BY '⟪pw⟫';
GRANT SELECT, INSERT, UPDATE ON ⟪dbname⟫.staging_* TO 'etl'@'⟪ip4⟫';
FLUSH PRIVILEGES;
""",
)
P(
    "sql_dump",
    "en",
    """
--
-- Dumping data for table `customers`
--
LOCK TABLES `customers` WRITE;
INSERT INTO `customers` (`id`,`name`,`email`,`card_number`,`last_ip`,`created_at`) VALUES
(⟪big⟫,'⟪name⟫','⟪email⟫','⟪cc_plain⟫','⟪ip4⟫','⟪date⟫ 10:12:44'),
(⟪big⟫,'⟪name⟫','⟪email⟫','⟪cc_plain⟫','⟪ip4⟫','⟪date⟫ 18:40:02'),
(⟪big⟫,'⟪name⟫','⟪email⟫','⟪cc_plain⟫','⟪ip6⟫','⟪date⟫ 07:55:19');
UNLOCK TABLES;
""",
    n=5,
)
P(
    "powershell_script",
    "en",
    """
$User = "⟪user⟫"
$Pass = ConvertTo-SecureString '⟪pw⟫' -AsPlainText -Force
$Cred = New-Object System.Management.Automation.PSCredential($User, $Pass)

Enter-PSSession -ComputerName ⟪ip4⟫ -Credential $Cred -UseSSL
# Restart-Service W3SVC
""",
)
P(
    "dockerfile",
    "en",
    """
FROM node:20-alpine AS build
WORKDIR /app
ARG NPM_TOKEN=⟪npm⟫
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc
COPY package*.json ./
RUN npm ci && rm -f .npmrc
COPY . .
ENV SENTRY_AUTH_TOKEN=⟪sntryu⟫
RUN npm run build
""",
    n=3,
)
P(
    "gitlab_ci",
    "en",
    """
variables:
  DOCKER_DRIVER: overlay2
  GITLAB_TOKEN: "⟪glpat⟫"
  RUNNER_TOKEN: "⟪glrt⟫"

stages: [build, release]

release:
  stage: release
  script:
    - 'curl --header "PRIVATE-TOKEN: $GITLAB_TOKEN" "https://gitlab.⟪domain⟫/api/v4/projects/⟪num⟫/releases"'
""",
    n=3,
)
P(
    "serverless_yaml",
    "en",
    """
service: ⟪word⟫-notifier
provider:
  name: aws
  runtime: nodejs20.x
  region: eu-central-1
  environment:
    TWILIO_ACCOUNT_SID: ⟪twilio_sid⟫
    TWILIO_AUTH_TOKEN: ⟪twilio_token⟫
    SLACK_BOT_TOKEN: ⟪xoxb⟫
functions:
  notify:
    handler: handler.notify
""",
    n=3,
)
P(
    "php_source",
    "en",
    """
<?php
require 'vendor/autoload.php';

// publishable key is fine in the frontend; the secret one is NOT
$publishable = '⟪pk_live⟫';
$stripe = new \\Stripe\\StripeClient('⟪sk_live⟫');

$intent = $stripe->paymentIntents->create([
    'amount' => ⟪big⟫,
    'currency' => 'eur',
]);
""",
    n=3,
)
P(
    "dotenv",
    "en",
    """
NEXT_PUBLIC_SUPABASE_URL=https://⟪short_sha⟫⟪short_sha⟫.supabase.co
SUPABASE_SERVICE_ROLE_KEY=⟪jwt⟫
SUPABASE_ACCESS_TOKEN=⟪sbp⟫
⟪env_noise⟫
RESEND_API_KEY=⟪resend⟫
""",
)
P(
    "toml_config",
    "en",
    """
# ~/.config/⟪word⟫/config.toml
[profile.default]
endpoint = "https://api.⟪domain⟫"
token = "⟪hf⟫"

[profile.replicate]
api_token = "⟪r8⟫"

[profile.groq]
api_key = "⟪gsk⟫"
""",
    n=3,
)
P(
    "git_credentials",
    "en",
    """
https://⟪user⟫:⟪ghp⟫@github.com
https://oauth2:⟪glpat⟫@gitlab.⟪domain⟫
https://⟪user⟫:⟪atbb⟫@bitbucket.org
""",
    n=3,
)
P(
    "pgpass",
    "en",
    """
# hostname:port:database:username:password
⟪priv_ip⟫:5432:⟪dbname⟫:⟪user⟫:⟪pw_url⟫
⟪ip4⟫:5432:*:replicator:⟪pw_url⟫
*:*:*:postgres:⟪pw_url⟫
""",
)
P(
    "terraform_tfvars",
    "en",
    """
cloudflare_api_token = "⟪cf_token⟫"
cloudflare_zone_id   = "⟪md5⟫"
do_token             = "⟪dop⟫"
admin_cidrs          = ["⟪ip4⟫/32", "⟪ip4⟫/32"]
environment          = "prod"
""",
)
P(
    "java_properties",
    "en",
    """
jdbc.driver=org.postgresql.Driver
jdbc.url=jdbc:postgresql://⟪ip4⟫:5432/⟪dbname⟫?user=⟪user⟫&password=⟪pw_url⟫&ssl=true
pool.max=20
pool.timeout=30000
""",
    n=3,
)
P(
    "xml_config",
    "en",
    """
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
    <add name="Main" connectionString="Data Source=⟪ip4⟫;Initial Catalog=⟪dbname⟫;User Id=⟪user⟫;Password=⟪pw⟫;" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <appSettings>
    <add key="SmtpUser" value="⟪email_c⟫" />
    <add key="SmtpPassword" value="⟪pw⟫" />
    <add key="Environment" value="Production" />
  </appSettings>
</configuration>
""",
)
P(
    "docker_config_json",
    "en",
    """
{
	"auths": {
		"https://index.docker.io/v1/": {
			"auth": "⟪basic⟫"
		},
		"registry.⟪domain⟫": {
			"auth": "⟪basic⟫"
		}
	},
	"credsStore": ""
}
""",
    n=3,
)
P(
    "yaml_config",
    "en",
    """
# keycloak / oidc client for the reporting app
oidc:
  issuer: https://sso.⟪domain⟫/realms/main
  client_id: reporting-web
  client_secret: ⟪client_secret⟫
  redirect_uri: https://reports.⟪domain⟫/callback
  scopes: [openid, profile, email]
""",
)
P(
    "yaml_config",
    "en",
    """
slack:
  bot_token: ⟪xoxb⟫
  user_token: ⟪xoxp⟫
  signing_secret: ⟪hex32⟫
  default_channel: "#deployments"
github:
  app_id: ⟪big⟫
  installation_token: ⟪ghs⟫
""",
    n=3,
)
P(
    "go_source",
    "en",
    """
func TestAuthMiddleware(t *testing.T) {
	// token captured from staging, still valid until next rotation
	tok := "⟪jwt⟫"
	req := httptest.NewRequest("GET", "/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rr := httptest.NewRecorder()
	handler.ServeHTTP(rr, req)
	if rr.Code != http.StatusOK {
		t.Fatalf("got %d", rr.Code)
	}
}
""",
)
P(
    "postman_environment",
    "en",
    """
{
  "id": "⟪uuid⟫",
  "name": "prod",
  "values": [
    { "key": "baseUrl", "value": "https://api.⟪domain⟫", "enabled": true },
    { "key": "apiKey", "value": "⟪tok32⟫", "type": "secret", "enabled": true },
    { "key": "postmanKey", "value": "⟪pmak⟫", "enabled": true },
    { "key": "adminPassword", "value": "⟪pw⟫", "enabled": true }
  ],
  "_postman_variable_scope": "environment"
}
""",
    n=3,
)
P(
    "cargo_credentials",
    "en",
    """
[registry]
token = "⟪cio⟫"

[registries.internal]
token = "Bearer ⟪tok40⟫"
""",
    n=3,
)
P(
    "gem_credentials",
    "en",
    """
---
:rubygems_api_key: ⟪rubygems⟫
:github: Bearer ⟪ghp⟫
""",
    n=3,
)
P(
    "composer_auth_json",
    "en",
    """
{
    "github-oauth": {
        "github.com": "⟪gho⟫"
    },
    "http-basic": {
        "repo.packagist.com": {
            "username": "token",
            "password": "⟪tok40⟫"
        }
    }
}
""",
    n=3,
)
P(
    "s3cfg",
    "en",
    """
[default]
access_key = ⟪aws_akid⟫
secret_key = ⟪aws_sk⟫
host_base = s3.amazonaws.com
host_bucket = %(bucket)s.s3.amazonaws.com
use_https = True
""",
    n=3,
)
P(
    "muttrc",
    "en",
    """
set realname = "⟪name⟫"
set from = "⟪email_p⟫"
set imap_user = "⟪email_p:a⟫"
set imap_pass = "⟪pw⟫"
set smtp_url = "smtps://smtp.⟪domain⟫:465/"
set smtp_pass = "⟪pw⟫"
set folder = "imaps://imap.⟪domain⟫:993"
""",
)
P(
    "cloud_init",
    "en",
    """
#cloud-config
hostname: ⟪word⟫-node
users:
  - name: ops
    groups: sudo
    shell: /bin/bash
    ssh_authorized_keys:
      - ⟪ssh_pub⟫
chpasswd:
  list: |
    ops:⟪pw_url⟫
  expire: false
runcmd:
  - curl -fsSL https://tailscale.com/install.sh | sh
  - tailscale up --authkey=⟪tskey⟫ --advertise-tags=tag:server
""",
    n=3,
)
P(
    "systemd_unit",
    "en",
    """
[Unit]
Description=Metrics shipper
After=network-online.target

[Service]
Environment=DD_API_KEY=⟪dd_api⟫
Environment=DD_APP_KEY=⟪dd_app⟫
Environment=DD_SITE=datadoghq.eu
ExecStart=/usr/local/bin/shipper --listen 127.0.0.1:8125
Restart=always

[Install]
WantedBy=multi-user.target
""",
    n=3,
)
P(
    "python_source",
    "en",
    """
# airflow connection bootstrap
from airflow.models import Connection

conn = Connection(
    conn_id="warehouse",
    uri="postgresql://⟪user⟫:⟪pw_url⟫@⟪ip4⟫:5432/⟪dbname⟫",
)
broker_url = "amqp://celery:⟪pw_url⟫@⟪priv_ip⟫:5672//"
""",
)
P(
    "csharp_source",
    "en",
    """
public static class Secrets
{
    // TODO(⟪fname⟫): move to KeyVault
    public const string NewRelicKey = "⟪nrak⟫";
    public const string DatabricksToken = "⟪dapi⟫";
    public const string PulumiToken = "⟪pulumi⟫";
}
""",
    n=3,
)
P(
    "kotlin_source",
    "en",
    """
object ApiConfig {
    const val BASE_URL = "https://api.⟪domain⟫/v2/"
    const val SQUARE_ACCESS_TOKEN = "⟪sq_eaaa⟫"
    const val SQUARE_APP_SECRET = "⟪sq0csp⟫"
    const val TIMEOUT_SECONDS = 30L
}
""",
    n=3,
)
P(
    "swift_source",
    "en",
    """
enum Keys {
    static let mapboxSecret = "⟪mapbox_sk⟫"
    static let mapboxPublic = "⟪mapbox_pk⟫"
    static let firebaseServerKey = "⟪fcm⟫"
}
""",
    n=3,
)
P(
    "ruby_source",
    "en",
    """
Braintree::Configuration.environment = :production
gateway = Braintree::Gateway.new(access_token: "⟪braintree⟫")

Shippo::API.token = '⟪shippo⟫'
Airtable.api_key = '⟪airtable⟫'
""",
    n=3,
)
P(
    "dotenv",
    "en",
    """
# ai stuff
OPENAI_API_KEY=⟪openai⟫
ANTHROPIC_API_KEY=⟪anthropic⟫
PERPLEXITY_API_KEY=⟪pplx⟫
LANGCHAIN_TRACING_V2=true
LANGCHAIN_API_KEY=⟪lsv2⟫
PINECONE_API_KEY=⟪pcsk⟫
PINECONE_ENV=gcp-starter
""",
    n=3,
)
P(
    "dotenv",
    "en",
    """
⟪env_noise⟫
OKTA_ORG_URL=https://⟪word⟫.okta.com
OKTA_API_TOKEN=⟪okta⟫
LINEAR_API_KEY=⟪lin_api⟫
NOTION_TOKEN=⟪notion⟫
FIGMA_TOKEN=⟪figd⟫
NETLIFY_AUTH_TOKEN=⟪nfp⟫
""",
    n=3,
)
P(
    "dotenv",
    "en",
    """
CONTENTFUL_SPACE_ID=⟪short_sha⟫⟪num⟫
CONTENTFUL_MANAGEMENT_TOKEN=⟪cfpat⟫
ADAFRUIT_IO_USERNAME=⟪user⟫
ADAFRUIT_IO_KEY=⟪aio⟫
DOPPLER_TOKEN=⟪doppler⟫
BUILDKITE_API_TOKEN=⟪bkua⟫
""",
    n=3,
)
P(
    "dotenv",
    "en",
    """
# infra
VAULT_ADDR=https://vault.⟪domain⟫:8200
VAULT_TOKEN=⟪hvs⟫
TF_TOKEN_app_terraform_io=⟪tfc⟫
RENDER_API_KEY=⟪rnd⟫
FLY_API_TOKEN=⟪fo1⟫
PLANETSCALE_SERVICE_TOKEN=⟪pscale_tkn⟫
DATABASE_PASSWORD=⟪pscale_pw⟫
""",
    n=3,
)
P(
    "python_source",
    "en",
    """
import oss2

auth = oss2.Auth('⟪ltai⟫', '⟪ali_secret⟫')
bucket = oss2.Bucket(auth, 'https://oss-cn-hangzhou.aliyuncs.com', '⟪word⟫-assets')
bucket.put_object_from_file('backup/db.sql.gz', '/tmp/db.sql.gz')
""",
    n=3,
)
P(
    "javascript_source",
    "en",
    """
// twitter + facebook share worker
const TW_BEARER = "⟪tw_bearer⟫";
const FB_PAGE_TOKEN = "⟪fb_token⟫";
const MAILERSEND_KEY = "⟪mlsn⟫";
export default { TW_BEARER, FB_PAGE_TOKEN, MAILERSEND_KEY };
""",
    n=3,
)
P(
    "yaml_config",
    "en",
    """
# mailchimp + shopify sync job
mailchimp:
  api_key: ⟪mailchimp⟫
  list_id: ⟪short_sha⟫⟪num⟫
shopify:
  shop: ⟪word⟫-store.myshopify.com
  admin_api_access_token: ⟪shpat⟫
  api_secret_key: ⟪shpss⟫
""",
    n=3,
)
P(
    "shell_script",
    "en",
    """
#!/bin/sh
# backup to dropbox every night
DROPBOX_TOKEN="⟪dropbox⟫"
tar czf /tmp/site.tgz /var/www
curl -X POST https://content.dropboxapi.com/2/files/upload \\
    --header "Authorization: Bearer $DROPBOX_TOKEN" \\
    --header "Dropbox-API-Arg: {\\"path\\": \\"/backups/site-$(date +%F).tgz\\"}" \\
    --data-binary @/tmp/site.tgz
""",
    n=3,
)
P(
    "age_key_file",
    "en",
    """
# created: ⟪ts⟫
# public key: age1⟪agepub⟫
⟪age⟫
""".replace("⟪agepub⟫", "⟪short_sha⟫qz9x8gf2tvdw0s3jn54khce6mua7lqpzry9x8gf2tvdw0s3jn5"),
    n=3,
)
P(
    "python_source",
    "en",
    """
from google.oauth2.credentials import Credentials

creds = Credentials(
    token="⟪ya29⟫",
    refresh_token="⟪g_refresh⟫",
    token_uri="https://oauth2.googleapis.com/token",
    client_id="⟪gclient⟫",
    client_secret="⟪gocspx⟫",
)
""",
    n=3,
)
P(
    "stripe_cli_config",
    "en",
    """
[default]
  device_name = "⟪fname⟫-macbook"
  display_name = "⟪company⟫"
  test_mode_api_key = "⟪sk_test⟫"
  test_mode_pub_key = "⟪pk_test⟫"
  live_mode_api_key = "⟪rk_live⟫"
  live_mode_pub_key = "⟪pk_live⟫"
  restricted_test_key = "⟪sk_test_rk⟫"
""",
    n=3,
)
P(
    "htaccess",
    "en",
    """
RewriteEngine On
# block the scraper farm
Order Allow,Deny
Allow from all
Deny from ⟪ip4⟫
Deny from ⟪ip4⟫
Deny from ⟪ip6⟫
ErrorDocument 403 /blocked.html
""",
)
P(
    "hosts_file",
    "en",
    """
127.0.0.1       localhost
::1             localhost ip6-localhost ip6-loopback
⟪ip4⟫    ⟪fqdn⟫
⟪ip4⟫    staging.⟪domain⟫
⟪priv_ip⟫       ⟪host⟫
""",
)
P(
    "python_source",
    "de",
    """
# Konfiguration für den Export-Job (nicht einchecken!!)
FTP_HOST = "⟪ip4⟫"
FTP_BENUTZER = "⟪user⟫"
FTP_PASSWORT = "⟪pw⟫"

def hochladen(datei):
    # Verbindung aufbauen und Datei übertragen
    with ftplib.FTP_TLS(FTP_HOST) as ftp:
        ftp.login(FTP_BENUTZER, FTP_PASSWORT)
        ftp.storbinary(f"STOR {datei.name}", datei)
""",
)
P(
    "javascript_source",
    "es",
    """
// Configuración de la pasarela de pago - NO SUBIR AL REPO
const config = {
  // clave secreta de producción
  claveSecreta: "⟪sk_live⟫",
  // correo para avisos de fraude
  correoAvisos: "⟪email_c⟫",
  ipServidor: "⟪ip4⟫",
};
""",
    n=3,
)
P(
    "python_source",
    "zh",
    """
# 数据库配置（生产环境）
DB_CONFIG = {
    "host": "⟪ip4⟫",
    "port": 3306,
    "user": "⟪user⟫",
    "password": "⟪pw⟫",  # 密码，请勿外传
    "database": "⟪dbname⟫",
}
# 阿里云 AccessKey
ACCESS_KEY_ID = "⟪ltai⟫"
ACCESS_KEY_SECRET = "⟪ali_secret⟫"
""",
    n=3,
)
P(
    "yaml_config",
    "ja",
    """
# 本番用の設定ファイル（社外秘）
server:
  host: ⟪ip4⟫
  port: 443
mail:
  送信元: ⟪email_c⟫
  パスワード: "⟪pw⟫"
line_notify_token: ⟪tok40⟫
""",
    n=3,
)
P(
    "python_source",
    "ru",
    """
# Настройки бота — токен не светить!
TOKEN = "⟪telegram⟫"
ADMIN_IDS = [⟪big⟫, ⟪big⟫]
# резервный сервер
BACKUP_HOST = "⟪ip4⟫"
BACKUP_PASS = "⟪pw⟫"
""",
    n=3,
)
P(
    "php_source",
    "pt",
    """
<?php
// configuração do banco - produção
$config = [
    'host'  => '⟪ip4⟫',
    'banco' => '⟪dbname⟫',
    'usuario' => '⟪user⟫',
    'senha' => '⟪pw⟫',
];
// e-mail do responsável: ⟪email_c⟫
""",
    n=3,
)
P(
    "long_source_file",
    "en",
    """
\"\"\"Utility helpers for the billing service.\"\"\"
import logging
import time
from decimal import Decimal

log = logging.getLogger(__name__)


def money(v):
    return Decimal(v).quantize(Decimal("0.01"))


def retry(fn, attempts=3, delay=0.5):
    for i in range(attempts):
        try:
            return fn()
        except Exception as exc:  # noqa
            log.warning("attempt %s failed: %s", i + 1, exc)
            time.sleep(delay * (2 ** i))
    raise RuntimeError("giving up")


def vat(amount, rate="0.19"):
    return money(Decimal(amount) * Decimal(rate))


def chunked(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


_PAYPAL_CLIENT_ID = "A⟪alnum_id⟫"
_PAYPAL_SECRET = "⟪client_secret⟫"


def normalize_iban(s):
    return s.replace(" ", "").upper()


def format_invoice_no(year, seq):
    return f"INV-{year}-{seq:06d}"


class RateLimiter:
    def __init__(self, per_sec):
        self.per_sec = per_sec
        self.last = 0.0

    def wait(self):
        now = time.monotonic()
        gap = 1.0 / self.per_sec
        if now - self.last < gap:
            time.sleep(gap - (now - self.last))
        self.last = time.monotonic()
""",
    n=3,
)
P(
    "long_config_file",
    "en",
    """
# /etc/postfix/main.cf (excerpt) + relay credentials
smtpd_banner = $myhostname ESMTP
biff = no
append_dot_mydomain = no
readme_directory = no
compatibility_level = 3.6
smtpd_tls_cert_file=/etc/letsencrypt/live/mail/fullchain.pem
smtpd_tls_key_file=/etc/letsencrypt/live/mail/privkey.pem
smtpd_tls_security_level=may
smtp_tls_CApath=/etc/ssl/certs
smtp_tls_security_level=encrypt
smtp_tls_session_cache_database = btree:${data_directory}/smtp_scache
smtpd_relay_restrictions = permit_mynetworks permit_sasl_authenticated defer_unauth_destination
myhostname = mail.⟪domain⟫
alias_maps = hash:/etc/aliases
alias_database = hash:/etc/aliases
myorigin = /etc/mailname
mydestination = $myhostname, localhost.localdomain, localhost
relayhost = [smtp.sendgrid.net]:587
mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128 ⟪ip4⟫/32
mailbox_size_limit = 0
recipient_delimiter = +
inet_interfaces = all
inet_protocols = all
smtp_sasl_auth_enable = yes
smtp_sasl_security_options = noanonymous
# sasl_passwd: [smtp.sendgrid.net]:587 apikey:⟪sendgrid⟫
smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd
header_size_limit = 4096000
""",
    n=3,
)

# ---------------------------------------------------------------- (a) hard negatives in code / config
N(
    "env_var_references",
    "dotenv",
    "en",
    """
# .env.template -- copy to .env and fill in
APP_ENV=local
DB_HOST=${DB_HOST:-localhost}
DB_PASSWORD=${DB_PASSWORD}
STRIPE_SECRET_KEY=$STRIPE_SECRET_KEY
OPENAI_API_KEY=
⟪env_noise⟫
""",
)
N(
    "env_var_references",
    "docker_compose",
    "en",
    """
services:
  db:
    image: mysql:8.4
    environment:
      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD:?set it in .env}
      MYSQL_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
secrets:
  db_password:
    file: ./secrets/⟪dbname⟫_password.txt
""",
)
N(
    "env_var_references",
    "github_actions",
    "en",
    """
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, registry-url: 'https://registry.npmjs.org' }
      - run: npm publish --access public
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
      - run: ./notify.sh
        env:
          SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK_URL }}
          GH_TOKEN: ${{ github.token }}
          RELEASE: v⟪ver⟫
""",
)
N(
    "env_var_references",
    "python_source",
    "en",
    """
import os

DATABASE = {
    "host": os.environ.get("PGHOST", "localhost"),
    "user": os.environ["PGUSER"],
    "password": os.environ["PGPASSWORD"],
}
STRIPE_KEY = os.getenv("STRIPE_SECRET_KEY")
if not STRIPE_KEY:
    raise RuntimeError("STRIPE_SECRET_KEY missing -- see README")
log.info("connecting to %s as %s", DATABASE["host"], DATABASE["user"])  # build ⟪short_sha⟫
""",
)
N(
    "env_var_references",
    "kubernetes_manifest",
    "en",
    """
      containers:
        - name: api
          image: ghcr.io/⟪word⟫/api:⟪ver⟫
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ⟪dbname⟫-credentials
                  key: password
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: { name: api-token, key: token }
""",
)
N(
    "env_var_references",
    "terraform",
    "en",
    """
variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "main" {
  identifier        = "⟪dbname⟫-prod"
  engine            = "postgres"
  username          = "app"
  password          = var.db_password
  manage_master_user_password = false
}
""",
    n=3,
)
N(
    "placeholder_values",
    "dotenv",
    "en",
    """
# Example configuration. Replace the placeholders!
API_KEY=your_api_key_here
API_SECRET=<your-secret>
DB_PASSWORD=CHANGE_ME
JWT_SECRET=replace-with-a-long-random-string
SMTP_PASSWORD=********
SMTP_HOST=smtp.⟪domain⟫
APP_URL=https://⟪fqdn⟫
""",
    n=3,
)
N(
    "placeholder_values",
    "yaml_config",
    "en",
    """
# config.sample.yml
database:
  host: localhost
  user: myuser
  password: "<PASSWORD>"
auth:
  github_token: "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  slack_token: "xoxb-your-token"
mail:
  from: "⟪ex_email⟫"
""",
    n=3,
)
N(
    "placeholder_values",
    "python_source",
    "en",
    """
# TODO: put real credentials in settings_local.py (not tracked)
API_KEY = "YOUR_API_KEY"
API_SECRET = "YOUR_API_SECRET"
WEBHOOK_SECRET = "whsec_..."
ADMIN_EMAIL = "⟪ex_email⟫"
""",
    n=3,
)
N(
    "vendor_doc_examples",
    "aws_credentials",
    "en",
    """
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region = us-west-2
# profile for ⟪fname⟫, copied from the AWS CLI guide
""",
    n=3,
)
N(
    "vendor_doc_examples",
    "terraform",
    "en",
    """
# From the provider docs -- static credentials (not recommended)
provider "aws" {
  region     = "us-west-2"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}
# ⟪prose⟫
""",
    n=3,
)
N(
    "publishable_keys",
    "javascript_source",
    "en",
    """
import { loadStripe } from '@stripe/stripe-js';

// publishable key -- safe to ship to the browser
const stripePromise = loadStripe('⟪pk_live⟫');

export async function checkout(sessionId) {
  const stripe = await stripePromise;
  return stripe.redirectToCheckout({ sessionId });
}
""",
)
N(
    "publishable_keys",
    "dotenv",
    "en",
    """
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=⟪pk_test⟫
NEXT_PUBLIC_SITE_URL=https://⟪fqdn⟫
NEXT_PUBLIC_GA_ID=G-⟪pin_like⟫
⟪env_noise⟫
""".replace("⟪pin_like⟫", "⟪short_sha⟫"),
)
N(
    "public_map_tokens",
    "javascript_source",
    "en",
    """
mapboxgl.accessToken = '⟪mapbox_pk⟫';
const map = new mapboxgl.Map({
  container: 'map',
  style: 'mapbox://styles/mapbox/streets-v12',
  center: [13.405, 52.52],
  zoom: 11,
});
""",
)
N(
    "oauth_client_ids",
    "html_page",
    "en",
    """
<head>
  <meta name="google-signin-client_id" content="⟪gclient⟫">
  <script src="https://accounts.google.com/gsi/client" async defer></script>
</head>
<body>
  <div id="g_id_onload" data-client_id="⟪gclient⟫" data-login_uri="https://⟪fqdn⟫/auth/google"></div>
</body>
""",
)
N(
    "oauth_client_ids",
    "yaml_config",
    "en",
    """
oauth:
  google:
    client_id: ⟪gclient⟫
    client_secret: ${GOOGLE_CLIENT_SECRET}
  github:
    client_id: Iv1.⟪hex16⟫
    client_secret: ${GITHUB_CLIENT_SECRET}
""",
)
N(
    "recaptcha_site_keys",
    "html_page",
    "en",
    """
<form action="/contact" method="post">
  <input type="text" name="name" placeholder="Your name">
  <input type="email" name="email" placeholder="you@example.com">
  <textarea name="message"></textarea>
  <div class="g-recaptcha" data-sitekey="⟪recaptcha⟫"></div>
  <button type="submit">Send</button>
</form>
""",
)
N(
    "public_keys_and_certificates",
    "authorized_keys",
    "en",
    """
# ops team
⟪ssh_pub⟫
⟪ssh_pub⟫
# ci deploy key (read-only)
⟪ssh_pub⟫
""",
)
N(
    "public_keys_and_certificates",
    "pem_file",
    "en",
    """
⟪cert⟫
""",
    n=3,
)
N(
    "public_keys_and_certificates",
    "json_config",
    "en",
    """
{
  "issuer": "https://auth.⟪domain⟫",
  "audience": "api",
  "algorithms": ["RS256"],
  "publicKey": "⟪pubkey_esc⟫"
}
""".replace(
        "⟪pubkey_esc⟫",
        "-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA⟪csrf⟫\\n-----END PUBLIC KEY-----",
    ),
    n=3,
)
N(
    "password_hashes",
    "htpasswd",
    "en",
    """
⟪user⟫:⟪bcrypt⟫
⟪user⟫:⟪bcrypt⟫
⟪user⟫:⟪bcrypt⟫
""",
)
N(
    "password_hashes",
    "shadow_file",
    "en",
    """
root:⟪crypt6⟫:19780:0:99999:7:::
daemon:*:19700:0:99999:7:::
bin:*:19700:0:99999:7:::
⟪user⟫:⟪crypt6⟫:19801:0:99999:7:::
sshd:!:19700::::::
""",
)
N(
    "password_hashes",
    "router_config",
    "en",
    """
hostname core-sw-⟪num⟫
enable algorithm-type scrypt secret ⟪cisco⟫
username admin privilege 15 secret 9 ⟪cisco⟫
username monitor privilege 1 secret 8 ⟪cisco8⟫
interface Vlan10
 ip address ⟪priv_ip⟫ 255.255.255.0
""",
)
N(
    "password_hashes",
    "sql_dump",
    "en",
    """
INSERT INTO users (id, username, password_hash, created_at) VALUES
(1, '⟪user⟫', '⟪argon2⟫', '⟪date⟫'),
(2, '⟪user⟫', '⟪argon2⟫', '⟪date⟫'),
(3, '⟪user⟫', '⟪bcrypt⟫', '⟪date⟫');
""",
)
N(
    "password_hashes",
    "yaml_config",
    "en",
    """
# traefik dynamic config
http:
  middlewares:
    admin-auth:
      basicAuth:
        users:
          - "⟪user⟫:⟪bcrypt⟫"
          - "⟪user⟫:$apr1$⟪short_sha⟫$⟪csrf_short⟫"
""".replace("⟪csrf_short⟫", "⟪short_sha⟫⟪short_sha⟫x"),
    n=3,
)
N(
    "password_hashes",
    "sql_script",
    "en",
    """
-- mysql.user excerpt
SELECT user, host, authentication_string FROM mysql.user;
-- | app      | %         | ⟪mysql_hash⟫ |
-- | backup   | localhost | ⟪mysql_hash⟫ |
""",
    n=3,
)
N(
    "checksums_and_digests",
    "shell_session",
    "en",
    """
$ sha256sum ⟪word:w⟫-⟪ver:v⟫-linux-amd64.tar.gz
⟪sha256:h⟫  ⟪word:w⟫-⟪ver:v⟫-linux-amd64.tar.gz
$ cat SHA256SUMS | grep linux-amd64
⟪sha256:h⟫  ⟪word:w⟫-⟪ver:v⟫-linux-amd64.tar.gz
$ md5sum backup.sql
⟪md5⟫  backup.sql
""",
)
N(
    "checksums_and_digests",
    "dockerfile",
    "en",
    """
FROM python:3.12-slim@⟪docker_digest⟫ AS base
COPY --from=ghcr.io/astral-sh/uv@⟪docker_digest⟫ /uv /bin/uv
RUN uv pip install --system -r requirements.txt
""",
)
N(
    "checksums_and_digests",
    "package_lock",
    "en",
    """
    "node_modules/lodash": {
      "version": "4.17.21",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
      "integrity": "⟪sha512b64⟫"
    },
    "node_modules/ms": {
      "version": "2.1.3",
      "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
      "integrity": "⟪sha512b64⟫"
    }
""",
)
N(
    "checksums_and_digests",
    "requirements_txt",
    "en",
    """
requests==2.31.0 \\
    --hash=sha256:⟪sha256⟫ \\
    --hash=sha256:⟪sha256⟫
urllib3==2.2.1 \\
    --hash=sha256:⟪sha256⟫
""",
)
N(
    "crypto_wallet_addresses",
    "yaml_config",
    "en",
    """
donations:
  bitcoin: ⟪btc⟫
  ethereum: ⟪eth⟫
  note: "Thanks for supporting the project!"
""",
)
N(
    "csrf_tokens",
    "html_page",
    "en",
    """
<form method="post" action="/account/settings">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟪csrf⟫">
  <label>Display name <input name="display_name" value="⟪fname⟫"></label>
  <button>Save</button>
</form>
<meta name="csrf-token" content="⟪csrf_b64⟫">
""",
)
N(
    "nonces",
    "html_page",
    "en",
    """
<!doctype html>
<html>
<head>
<meta http-equiv="Content-Security-Policy" content="script-src 'nonce-⟪nonce:a⟫' 'strict-dynamic'">
<script nonce="⟪nonce:a⟫">window.__APP__ = {release: "⟪ver⟫", build: "⟪short_sha⟫"};</script>
</head>
""",
)
N(
    "cache_keys",
    "python_source",
    "en",
    """
def cache_key(user_id, page):
    raw = f"feed:{user_id}:{page}:v3"
    return "feed:" + hashlib.sha1(raw.encode()).hexdigest()

# e.g. feed:⟪sha1⟫
CACHE_PREFIX = "tmpl:⟪md5⟫"
""",
)
N(
    "idempotency_keys",
    "javascript_source",
    "en",
    """
const res = await fetch('https://api.⟪domain⟫/v1/payouts', {
  method: 'POST',
  headers: {
    'Content-Type': 'application/json',
    'Idempotency-Key': '⟪uuid⟫',
    'X-Request-Id': '⟪req_id⟫',
  },
  body: JSON.stringify({ amount: ⟪big⟫, currency: 'eur' }),
});
""",
)
N(
    "uuids_and_object_ids",
    "json_config",
    "en",
    """
{
  "tenantId": "⟪uuid⟫",
  "subscriptionId": "⟪uuid⟫",
  "resourceGroup": "rg-⟪word⟫-prod",
  "objectId": "⟪uuid⟫",
  "mongoId": "⟪short_sha⟫⟪short_sha⟫⟪short_sha⟫abc",
  "ulid": "⟪ulid⟫"
}
""",
)
N(
    "private_ip_addresses",
    "nginx_config",
    "en",
    """
upstream app {
    server ⟪priv_ip⟫:3000;
    server ⟪priv_ip⟫:3000;
}
set_real_ip_from 10.0.0.0/8;
set_real_ip_from ⟪priv_ip⟫;
real_ip_header X-Forwarded-For;
""",
)
N(
    "private_ip_addresses",
    "docker_compose",
    "en",
    """
networks:
  backend:
    ipam:
      config:
        - subnet: 172.28.0.0/16
services:
  db:
    networks:
      backend:
        ipv4_address: ⟪priv_ip⟫
  cache:
    extra_hosts:
      - "db.local:⟪priv_ip⟫"
""",
)
N(
    "loopback_and_special_ips",
    "yaml_config",
    "en",
    """
server:
  bind: 0.0.0.0
  port: 8080
metrics:
  listen: 127.0.0.1:9100
discovery:
  multicast_group: 239.255.255.250
  link_local_fallback: ⟪special_ip⟫
""",
)
N(
    "documentation_ip_ranges",
    "terraform",
    "en",
    """
# Example from our module docs: restrict SSH to the office range
module "bastion" {
  source        = "./modules/bastion"
  allowed_cidrs = ["⟪doc_ip⟫/32", "198.51.100.0/24"]
  ipv6_cidrs    = ["2001:db8::/32"]
}
""",
)
N(
    "version_strings",
    "csharp_source",
    "en",
    """
[assembly: AssemblyVersion("⟪ver4⟫")]
[assembly: AssemblyFileVersion("⟪ver4⟫")]
[assembly: AssemblyInformationalVersion("⟪ver⟫+⟪short_sha⟫")]
""",
)
N(
    "version_strings",
    "xml_config",
    "en",
    """
<dependency>
  <groupId>org.apache.httpcomponents</groupId>
  <artifactId>httpclient</artifactId>
  <version>⟪ver⟫</version>
</dependency>
<!-- bundled driver ⟪ver4⟫ -->
<driver version="⟪ver4⟫" vendor="ODBC"/>
""",
)
N(
    "snmp_oids",
    "yaml_config",
    "en",
    """
# snmp_exporter generator.yml
modules:
  if_mib:
    walk:
      - ⟪oid⟫
      - 1.3.6.1.2.1.2.2.1.10
      - 1.3.6.1.2.1.31.1.1.1.6
    lookups:
      - source_indexes: [ifIndex]
        lookup: ⟪oid⟫
""",
)
N(
    "config_without_secrets",
    "yaml_config",
    "en",
    """
# feature flags
flags:
  new_checkout: { enabled: true, rollout: 25 }
  dark_mode: { enabled: true }
  legacy_export: { enabled: false }
limits:
  max_upload_mb: 50
  session_timeout_min: 30
password_policy:
  min_length: ⟪small⟫
  require_symbols: true
""",
)
N(
    "config_without_secrets",
    "python_source",
    "en",
    """
PASSWORD_MIN_LENGTH = ⟪small⟫
TOKEN_TTL_SECONDS = 3600
SECRET_ROTATION_DAYS = 90
API_KEY_HEADER = "X-Api-Key"
AUTH_TOKEN_COOKIE = "session"

def validate_password(pw: str) -> bool:
    return len(pw) >= PASSWORD_MIN_LENGTH and any(c.isdigit() for c in pw)
""",
    n=3,
)
N(
    "reserved_domain_emails",
    "python_source",
    "en",
    """
import pytest

@pytest.mark.parametrize("addr", [
    "⟪ex_email⟫",
    "⟪ex_email⟫",
    "user+tag@example.org",
])
def test_valid_email(addr):
    assert is_valid_email(addr)
""",
)
N(
    "synthetic_test_fixtures",
    "json_config",
    "en",
    """
[
  {"id": 1, "email": "⟪ex_email⟫", "ip": "⟪doc_ip⟫", "card": "⟪masked_cc⟫"},
  {"id": 2, "email": "⟪ex_email⟫", "ip": "⟪doc_ip6⟫", "card": "⟪masked_cc⟫"},
  {"id": 3, "email": "⟪ex_email⟫", "ip": "⟪doc_ip⟫", "card": null}
]
""",
)
N(
    "redacted_secrets",
    "yaml_config",
    "en",
    """
# output of `helm get values api` (secrets redacted by our wrapper)
postgresql:
  auth:
    password: '[REDACTED]'
stripe:
  secretKey: 'sk_live_••••••••••••'
  webhookSecret: '****'
image:
  tag: ⟪ver⟫-⟪short_sha⟫
""",
)
N(
    "vault_accessors",
    "shell_session",
    "en",
    """
$ vault token lookup -accessor ⟪vault_acc:a⟫
Key                 Value
---                 -----
accessor            ⟪vault_acc:a⟫
creation_time       ⟪epoch⟫
display_name        oidc-⟪fname⟫
entity_id           ⟪uuid⟫
expire_time         ⟪ts⟫
policies            [default dev-read]
ttl                 767h59m
""",
)
N(
    "token_metadata",
    "json_config",
    "en",
    """
{
  "tokens": [
    {"name": "ci-deploy", "scopes": ["read_registry", "write_registry"], "expires_at": "⟪date⟫", "last_used_ip": "⟪priv_ip⟫"},
    {"name": "renovate", "scopes": ["api"], "expires_at": "⟪date⟫", "revoked": true}
  ]
}
""",
)
N(
    "hash_based_ids",
    "javascript_source",
    "en",
    """
const avatar = (email) =>
  `https://www.gravatar.com/avatar/${md5(email.trim().toLowerCase())}?d=identicon`;
// cached: https://www.gravatar.com/avatar/⟪md5⟫?d=identicon
const BUILD_ID = '⟪sha1⟫';
""",
)
N(
    "mac_addresses",
    "dhcp_config",
    "en",
    """
host printer-2og {
  hardware ethernet ⟪mac⟫;
  fixed-address ⟪priv_ip⟫;
}
host nas {
  hardware ethernet ⟪mac⟫;
  fixed-address ⟪priv_ip⟫;
}
""",
)
N(
    "email_like_strings",
    "python_source",
    "en",
    """
@app.route("/health")
@login_required
@cache.cached(timeout=60)
def health():
    return {"ok": True}

# git remote: ssh://git@⟪host⟫:2222/platform/api.git
# npm: @types/node@20 @angular/core@17
""",
)
N(
    "html_form_fields",
    "html_page",
    "en",
    """
<form id="login" method="post" action="/login">
  <label for="u">Username</label>
  <input id="u" name="username" autocomplete="username" required>
  <label for="p">Password</label>
  <input id="p" name="password" type="password" autocomplete="current-password" minlength="10" required>
  <input type="hidden" name="next" value="/dashboard/⟪num⟫">
  <button type="submit">Sign in</button>
</form>
""",
    n=3,
)
N(
    "base64_non_secret_data",
    "css",
    "en",
    """
.icon-check {
  background-image: url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAA⟪csrf⟫");
}
.font-fallback { src: url("data:font/woff2;base64,d09GMgABAAAAA⟪csrf⟫") format("woff2"); }
""",
)
N(
    "git_commit_shas",
    "changelog",
    "en",
    """
## [⟪ver⟫] - ⟪date⟫
### Fixed
- Retry webhook delivery on 429 (⟪short_sha⟫)
- Don't log request bodies for /auth/* (⟪short_sha⟫)
### Changed
- Bump axios to 1.6.8 (⟪sha1⟫)
""",
)

SECTION("web")

# ================================================================ (b) web pages, READMEs, docs, Q&A, forums
P(
    "qa_post",
    "en",
    """
**Title:** psycopg2.OperationalError: FATAL: password authentication failed for user

I'm trying to connect to my Postgres on a VPS from my laptop and keep getting this error. pg_hba.conf has `host all all 0.0.0.0/0 md5`. What am I missing??

```python
conn = psycopg2.connect(
    host="⟪ip4⟫",
    port=5432,
    dbname="⟪dbname⟫",
    user="⟪user⟫",
    password="⟪pw⟫",
)
```

Tried restarting the service twice. Ubuntu 22.04, PG 14.

**Comment:** you just posted your server IP and password publicly, change it asap
""",
)
P(
    "qa_post",
    "en",
    """
Q: Nodemailer "Invalid login: 535-5.7.8 Username and Password not accepted"

const transporter = nodemailer.createTransport({
  service: 'gmail',
  auth: { user: '⟪email_p⟫', pass: '⟪pw⟫' }
});

I enabled "less secure apps" before but it seems that option is gone now. Any idea?

A: Google removed that. Use an app password or OAuth2. Also, rotate the password you pasted above.
""",
)
P(
    "github_issue",
    "en",
    """
### Bug: sync crashes when the remote returns 401

**Steps to reproduce**
1. Run `⟪word⟫ sync --verbose`
2. Wait ~30s

**Log**
```
DEBUG request: GET https://api.github.com/repos/⟪word⟫/⟪word⟫/contents
DEBUG headers: {'Authorization': 'token ⟪ghp⟫', 'Accept': 'application/vnd.github+json'}
ERROR 401 Bad credentials
Traceback (most recent call last):
  File "sync.py", line 88, in run
KeyError: 'sha'
```

**Environment**: macOS 14.4, python 3.11, version ⟪ver⟫
""",
)
P(
    "github_issue",
    "en",
    """
Hey! After upgrading to ⟪ver⟫ the webhook verification fails for every event:

```
stripe.error.SignatureVerificationError: No signatures found matching the expected signature for payload
```

my env:
```
STRIPE_API_KEY=⟪sk_test⟫
STRIPE_WEBHOOK_SECRET=⟪whsec⟫
```
(these are test keys so should be fine to share I guess)

Worked on the previous version. Any ideas?
""",
)
P(
    "readme",
    "en",
    """
# ⟪word⟫-bot

A tiny Slack bot that posts the daily stand-up reminder.

## Setup

```bash
git clone https://github.com/⟪user⟫/⟪word⟫-bot
cd ⟪word⟫-bot
pip install -r requirements.txt
export SLACK_BOT_TOKEN=⟪xoxb⟫
python bot.py
```

## Notes
- Runs every weekday at 09:30 (cron)
- Contact: ⟪email_p⟫
""",
)
P(
    "readme",
    "en",
    """
## Deployment

The production box is `⟪ip4⟫` (Hetzner, fsn1). Staging lives on `⟪ip4⟫`.

```
ssh deploy@⟪ip4⟫
cd /srv/app && docker compose pull && docker compose up -d
```

Admin panel: https://⟪fqdn⟫/admin — user `admin`, password `⟪pw⟫` (change after first login!)

⟪prose⟫
""",
)
P(
    "blog_post",
    "en",
    """
<article>
<h1>Automating invoice exports with the Airtable API</h1>
<p>Last week I finally got around to automating our monthly invoice export. Here's the script I ended up with — it's short, and it saves me about an hour every month.</p>
<pre><code>import requests
TOKEN = "⟪airtable⟫"
BASE = "app⟪alnum_id⟫"
r = requests.get(f"https://api.airtable.com/v0/{BASE}/Invoices",
                 headers={"Authorization": f"Bearer {TOKEN}"})
</code></pre>
<p>⟪prose⟫</p>
</article>
""",
    n=3,
)
P(
    "forum_post",
    "en",
    """
Re: OpenWrt + WireGuard handshake never completes

Here's my full config, maybe someone spots the problem. Public IP of the VPS is ⟪ip4⟫, home connection is ⟪ip4⟫ (dynamic but rarely changes).

config interface 'wg0'
	option proto 'wireguard'
	option private_key '⟪wg_key⟫'
	list addresses '10.8.0.2/24'

config wireguard_wg0
	option public_key '⟪csrf_b64⟫'
	option endpoint_host '⟪ip4⟫'
	option endpoint_port '51820'

Thanks in advance, been at this for two evenings now :(
""",
)
P(
    "html_page",
    "en",
    """
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Contact us – ⟪company⟫</title></head>
<body>
<h1>Contact</h1>
<p>Sales: <a href="mailto:⟪email_c:a⟫">⟪email_c:a⟫</a><br>
Support: <a href="mailto:⟪email_c:b⟫">⟪email_c:b⟫</a><br>
Phone: ⟪phone⟫</p>
<p>Press enquiries go to ⟪name⟫ (⟪email_c⟫).</p>
<footer>&copy; 2024 ⟪company⟫ GmbH</footer>
</body>
</html>
""",
)
P(
    "html_page",
    "de",
    """
<h2>Impressum</h2>
<p>Angaben gemäß § 5 TMG</p>
<p>⟪company⟫ GmbH<br>Musterstraße ⟪num⟫<br>10115 Berlin</p>
<p><strong>Vertreten durch:</strong> ⟪name⟫</p>
<p><strong>Kontakt:</strong><br>Telefon: ⟪phone⟫<br>E-Mail: ⟪email_c⟫</p>
<p>Registereintrag: Amtsgericht Charlottenburg, HRB ⟪big⟫</p>
""",
)
P(
    "html_page",
    "fr",
    """
<section class="mentions-legales">
<h2>Mentions légales</h2>
<p>Éditeur du site : ⟪company⟫ SAS, ⟪num⟫ rue de la République, 69002 Lyon</p>
<p>Directeur de la publication : ⟪name⟫ – <a href="mailto:⟪email_c:a⟫">⟪email_c:a⟫</a></p>
<p>Hébergeur : serveur dédié, adresse IP ⟪ip4⟫</p>
</section>
""",
)
P(
    "html_page",
    "ja",
    """
<div class="company-info">
<h3>会社概要</h3>
<dl>
<dt>会社名</dt><dd>株式会社⟪company⟫</dd>
<dt>代表者</dt><dd>⟪name⟫</dd>
<dt>お問い合わせ</dt><dd><a href="mailto:⟪email_c:a⟫">⟪email_c:a⟫</a></dd>
<dt>電話番号</dt><dd>⟪phone⟫</dd>
</dl>
</div>
""",
)
P(
    "wiki_page",
    "en",
    """
= Office onboarding =

Welcome to the Lisbon office! A few practical things:

* '''Wi-Fi:''' network ''⟪wifi_ssid⟫'', password <code>⟪wifi_psk⟫</code>
* '''Guest Wi-Fi:''' ask reception, the code changes weekly
* '''Printer:''' "2F-Color", driver on the intranet
* '''Door code (server room):''' <code>⟪pin⟫</code> — do not share with visitors
* IT contact: ⟪email_c⟫

⟪prose⟫
""",
)
P(
    "pastebin_dump",
    "en",
    """
==== config dump ⟪date⟫ ====
[smtp]
host=smtp.⟪domain⟫
user=⟪email_c⟫
pass=⟪pw⟫

[ftp]
host=⟪ip4⟫
user=⟪user⟫
pass=⟪pw⟫

[paypal]
account=⟪email_p⟫
""",
)
P(
    "forum_post",
    "de",
    """
Hallo zusammen,

ich versuche seit Tagen, Nextcloud hinter meiner FritzBox erreichbar zu machen. Externe IP laut Router: ⟪ip4⟫. Portfreigabe 443 → 192.168.178.20 ist eingerichtet.

Meine config.php (Auszug):
  'dbuser' => 'oc_admin',
  'dbpassword' => '⟪pw⟫',
  'mail_smtppassword' => '⟪pw⟫',

Trotzdem bekomme ich von außen nur einen Timeout. Hat jemand eine Idee? Danke & Gruß
""",
)
P(
    "forum_post",
    "es",
    """
Buenas, tengo un problema con mi servidor de Minecraft. La IP pública es ⟪ip4⟫ y el puerto 25565 está abierto en el router, pero mis amigos no pueden entrar.

El rcon.password en server.properties es ⟪pw_plain⟫ por si alguien quiere probar a conectarse y ver si responde (ya lo cambiaré luego jaja).

¿Alguien sabe qué puede ser? Gracias!!
""",
)
P(
    "qa_post",
    "pt",
    """
Pergunta: Erro 403 ao chamar a API do Mercado Pago

Estou usando este código em PHP e recebo 403 sempre:

$token = "⟪mp_token⟫";

Já gerei outro access token e o erro continua. O e-mail da conta é ⟪email_p⟫. Alguém já passou por isso?
""",
    n=3,
)
P(
    "qa_post",
    "ru",
    """
Вопрос: не подключается к серверу по SSH после смены порта

Поменял порт в sshd_config на 2222, перезапустил сервис, и теперь не могу зайти. Сервер ⟪ip4⟫, пользователь root, пароль ⟪pw⟫ (временный, потом сменю). Файрвол ufw, правило для 2222 добавил.

Что я делаю не так?
""",
)
P(
    "qa_post",
    "zh",
    """
问题：Spring Boot 连接 MySQL 报错 Access denied for user

配置如下：
spring.datasource.url=jdbc:mysql://⟪ip4⟫:3306/⟪dbname⟫
spring.datasource.username=⟪user⟫
spring.datasource.password=⟪pw⟫

本地连接正常，部署到服务器上就报错，求大佬帮忙看看，谢谢！
""",
)
P(
    "docs_page",
    "en",
    """
## Authenticating requests

All API requests must include your secret key in the `Authorization` header. Your test key is shown below while you are logged in:

```
curl https://api.⟪domain⟫/v1/charges \\
  -H "Authorization: Bearer ⟪sk_test⟫"
```

> Keep this key secret. Anyone with it can create charges in test mode.
""",
)
P(
    "changelog",
    "en",
    """
## ⟪ver⟫ (⟪date⟫)

### Security
- Rotated the leaked npm publish token (`⟪npm⟫`) that was accidentally included in the 1.8.0 tarball. If you mirrored that tarball, please delete it.
- The old token has been revoked on our side.

### Fixed
- Windows path handling in `init`.
""",
    n=3,
)
P(
    "blog_post",
    "en",
    """
# How we got breached by our own CI logs

TL;DR: a debug flag printed our Vault token in a public build log.

The line looked harmless enough:

    [debug] vault login -method=token token=⟪hvs⟫

It stayed online for 19 hours. During that window someone from ⟪ip4⟫ used it to list secret paths (but, thankfully, the policy didn't allow reads on prod).

⟪prose⟫
""",
)
P(
    "support_article",
    "en",
    """
<h2>Troubleshooting payment failures</h2>
<p>If a customer reports that their card was declined, ask them for the last four digits only. <strong>Never</strong> ask for the full number by e-mail.</p>
<p>Example of what <em>not</em> to do (received from a customer last month, number since blocked by the bank):</p>
<blockquote>my card is ⟪cc⟫ exp 09/27 can you try again pls</blockquote>
<p>Instead, direct them to the secure payment page.</p>
""",
)
P(
    "readme",
    "en",
    """
## Running the test-suite against the shared sandbox

The shared sandbox credentials (rotated monthly, last rotation ⟪date⟫):

| Key | Value |
|-----|-------|
| host | `⟪ip4⟫` |
| user | `qa` |
| password | `⟪pw⟫` |
| api token | `⟪tok32⟫` |

Please don't use the sandbox for load tests.
""",
)
P(
    "forum_post",
    "en",
    """
[QUOTE=⟪user⟫]Does anyone have a working Plex config for the new firmware?[/QUOTE]

Sure, here's mine. Server is at ⟪ip4⟫:32400, the token is in Preferences.xml → PlexOnlineToken="⟪plex⟫"

Hope that helps!
""",
    n=3,
)
P(
    "qa_post",
    "en",
    """
How do I fix "certificate verify failed" with requests + proxy?

```
proxies = {
  "http": "http://⟪user⟫:⟪pw_url⟫@⟪ip4⟫:3128",
  "https": "http://⟪user⟫:⟪pw_url⟫@⟪ip4⟫:3128",
}
requests.get("https://pypi.org/simple/", proxies=proxies, verify=True)
```
Corporate proxy, works in the browser.
""",
)
P(
    "docs_page",
    "en",
    """
### Connecting with psql

Our managed cluster endpoint for your team:

    psql "postgresql://⟪user⟫:⟪pscale_pw⟫@aws.connect.psdb.cloud/⟪dbname⟫?sslmode=require"

Connections from outside the VPN are allowed only from ⟪ip4⟫ and ⟪ip6⟫.
""",
    n=3,
)
P(
    "html_page",
    "en",
    """
<table class="team">
<tr><td><img src="/img/team/⟪fname⟫.jpg"></td><td><b>⟪name⟫</b><br>Head of Engineering<br>⟪email_c⟫</td></tr>
<tr><td><img src="/img/team/⟪fname⟫.jpg"></td><td><b>⟪name⟫</b><br>Product<br>⟪email_c⟫</td></tr>
<tr><td><img src="/img/team/⟪fname⟫.jpg"></td><td><b>⟪name⟫</b><br>Customer Success<br>⟪email_c⟫</td></tr>
</table>
""",
)
P(
    "job_posting",
    "en",
    """
We're hiring: Senior Backend Engineer (Go/Postgres), remote in EU time zones.

You'll work on our payments platform, which processes ~2M transactions a day. ⟪prose⟫

Interested? Send your CV and a short note to ⟪email_c⟫ — no recruiters please.
""",
)
P(
    "forum_post",
    "it",
    """
Ciao a tutti, ho un problema con il mio NAS Synology. Da fuori casa non riesco ad accedere, l'IP pubblico è ⟪ip4⟫ e ho aperto la porta 5001.

Ho anche creato un utente "ospite" con password ⟪pw⟫ per mio fratello, ma nemmeno lui entra. Qualche idea? Grazie mille
""",
)
P(
    "qa_post",
    "ko",
    """
질문: 파이썬으로 네이버 메일 SMTP 발송이 안 됩니다

smtp = smtplib.SMTP_SSL('smtp.naver.com', 465)
smtp.login('⟪email_p⟫', '⟪pw⟫')

계속 인증 오류가 나는데 2단계 인증 때문일까요? 도와주세요 ㅠㅠ
""",
)
P(
    "forum_post",
    "pl",
    """
Cześć, mam problem z konfiguracją poczty w Thunderbirdzie. Serwer IMAP: imap.⟪domain⟫, login ⟪email_c⟫, hasło ⟪pw⟫. Wyskakuje błąd uwierzytelniania, chociaż przez przeglądarkę loguję się bez problemu.

Może ktoś podpowie? Z góry dzięki.
""",
)
P(
    "blog_post",
    "tr",
    """
Sunucuma SSH ile bağlanırken "Permission denied (publickey)" hatası alıyordum. Sorunun kaynağını bulmam iki saatimi aldı. Sunucu IP'si ⟪ip4⟫, kullandığım anahtar şuydu (artık iptal edildi, merak etmeyin):

⟪openssh_key⟫

Çözüm: authorized_keys dosyasının izinleri 600 olmalıymış.
""",
    n=3,
)
P(
    "readme",
    "en",
    """
# infra-notes

Quick reference for the on-call person. **Private repo — do not fork.**

- VPN concentrator: ⟪ip4⟫ (PSK in 1Password, but for emergencies: `⟪wifi_psk⟫`)
- Backup server: ⟪ip4⟫
- Status page admin: ⟪email_c⟫ / ⟪pw⟫

## Escalation
1. ⟪name⟫ — ⟪phone⟫
2. ⟪name⟫ — ⟪phone⟫

⟪prose⟫
""",
)
P(
    "mailing_list_archive",
    "en",
    """
From: ⟪name⟫ <⟪email_p⟫>
Subject: Re: [users] SASL auth failing after upgrade to ⟪ver⟫
Date: ⟪date⟫

> Can you post the output of `testsaslauthd`?

Sure:

  $ testsaslauthd -u ⟪user⟫ -p ⟪pw⟫
  0: NO "authentication failed"

The server is reachable at ⟪ip4⟫ if one of the devs wants a look.
""",
)
P(
    "code_review_comment",
    "en",
    """
**⟪user⟫** commented on `src/config/prod.ts` line 14:

> ```ts
> export const PAYPAL_SECRET = '⟪client_secret⟫';
> export const SENTRY_TOKEN = '⟪sntryu⟫';
> ```

Please don't commit these — move them to the secret manager and rotate both, the PR is public.
""",
)
P(
    "html_page",
    "en",
    """
<div class="checkout-debug" style="display:none">
<!-- DEBUG: last order payload -->
<!-- {"card":"⟪cc_plain⟫","exp":"11/26","name":"⟪name⟫","email":"⟪email⟫","ip":"⟪ip4⟫"} -->
</div>
<p>Thank you for your order!</p>
""",
)

# ---------------------------------------------------------------- (b) hard negatives in docs / web
N(
    "reserved_domain_emails",
    "docs_page",
    "en",
    """
## Inviting team members

Use the `invite` command with the member's address:

    $ ⟪word⟫ team invite ⟪ex_email⟫ --role editor

You can invite several people at once: `⟪word⟫ team invite alice@example.com bob@example.org`.
""",
)
N(
    "documentation_ip_ranges",
    "docs_page",
    "en",
    """
### Allow-listing

Add the IP addresses of your build servers, for example `⟪doc_ip⟫` and `⟪doc_ip⟫`, or a whole range such as `198.51.100.0/24`. IPv6 is supported too: `⟪doc_ip6⟫`.
""",
)
N(
    "documentation_ip_ranges",
    "rfc_style_text",
    "en",
    """
   In the following example, the client at ⟪doc_ip⟫ contacts the
   relay at ⟪doc_ip⟫, which forwards the request to the server at
   ⟪doc_ip⟫.  An IPv6 client would use ⟪doc_ip6⟫ instead.
""",
)
N(
    "placeholder_values",
    "docs_page",
    "en",
    """
## Quick start

1. Create an API key in the dashboard.
2. Export it: `export ACME_API_KEY=<your key>`
3. Run `acme ping` — you should see `pong`.

Never paste your real key into issues. Use `sk_live_...` or `[redacted]` when you share logs.
Build: ⟪short_sha⟫
""",
)
N(
    "vendor_doc_examples",
    "docs_page",
    "en",
    """
The SDK looks for credentials in the following order. For local testing you can use the documented sample values:

    AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

These will of course be rejected by the real service (request id ⟪req_id⟫).
""",
)
N(
    "vendor_doc_examples",
    "docs_page",
    "en",
    """
Set the token as an environment variable:

```
export GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX
export SLACK_TOKEN=xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx
```

(Replace the X's with your own values. Tested with v⟪ver⟫.)
""",
)
N(
    "password_policy_text",
    "docs_page",
    "en",
    """
## Password requirements

Passwords must be at least ⟪small⟫ characters long and contain letters from at least three of the following groups: upper case, lower case, digits, symbols. Passwords are checked against a list of known-breached passwords. We store only salted argon2id hashes; support staff can never see your password and will never ask for it.
""",
)
N(
    "password_policy_text",
    "html_page",
    "de",
    """
<h3>Sicheres Passwort wählen</h3>
<ul>
<li>mindestens ⟪small⟫ Zeichen</li>
<li>keine Namen, Geburtstage oder Wörter aus dem Wörterbuch</li>
<li>für jeden Dienst ein eigenes Passwort – ein Passwortmanager hilft</li>
</ul>
<p>Unsere Mitarbeiter fragen Sie <b>niemals</b> nach Ihrem Passwort.</p>
""",
)
N(
    "masked_card_numbers",
    "html_page",
    "en",
    """
<div class="payment-methods">
  <div class="card">⟪masked_cc⟫ <span>expires 08/27</span></div>
  <div class="card">⟪masked_cc⟫ <span>expires 01/26</span></div>
  <a href="/billing/add">Add payment method</a>
</div>
""",
)
N(
    "publishable_keys",
    "docs_page",
    "en",
    """
### Client-side integration

Your publishable key identifies your account to Stripe.js. It is safe to expose in your frontend:

```html
<script>const stripe = Stripe('⟪pk_live⟫');</script>
```

Never put your secret key in client-side code.
""",
)
N(
    "public_map_tokens",
    "blog_post",
    "en",
    """
For the map on the homepage I used Mapbox GL. The default public token (pk.*) is fine to embed — it's scoped to my domain:

    mapboxgl.accessToken = "⟪mapbox_pk⟫";

For uploads you need a secret token with the uploads:write scope; keep that one on the server.
""",
)
N(
    "crypto_wallet_addresses",
    "html_page",
    "en",
    """
<section id="donate">
<h3>Support the project</h3>
<p>BTC: <code>⟪btc⟫</code></p>
<p>ETH / USDC (ERC-20): <code>⟪eth⟫</code></p>
<p>Thank you! Every satoshi goes into server costs.</p>
</section>
""",
)
N(
    "email_like_strings",
    "qa_post",
    "en",
    """
Q: Why does my decorator @cached_property break pickling?

class Foo:
    @cached_property
    def bar(self): ...

Also happens with @functools.lru_cache. Python ⟪ver⟫, installed via pip install foo@git+https://github.com/foo/foo
""",
)
N(
    "git_commit_shas",
    "github_issue",
    "en",
    """
Bisected it: the regression was introduced in ⟪sha1⟫ (merged in #⟪big⟫). Reverting ⟪short_sha⟫ on top of main fixes it locally. The parent commit ⟪sha1⟫ is fine.
""",
)
N(
    "checksums_and_digests",
    "download_page",
    "en",
    """
<h3>Downloads – ⟪word⟫ ⟪ver⟫</h3>
<table>
<tr><td>⟪word⟫-⟪ver⟫-x64.msi</td><td><code>SHA-256: ⟪sha256⟫</code></td></tr>
<tr><td>⟪word⟫-⟪ver⟫-arm64.dmg</td><td><code>SHA-256: ⟪sha256⟫</code></td></tr>
<tr><td>⟪word⟫-⟪ver⟫.tar.gz</td><td><code>MD5: ⟪md5⟫</code></td></tr>
</table>
""",
)
N(
    "version_strings",
    "release_notes",
    "en",
    """
Release notes – build ⟪ver4⟫

* Firmware ⟪ver4⟫ fixes the Wi-Fi reconnect loop.
* Requires bootloader ⟪ver4⟫ or later.
* Known issue: downgrading to ⟪ver⟫ wipes settings.
""",
)
N(
    "snmp_oids",
    "docs_page",
    "en",
    """
Useful OIDs for the UPS:
- `⟪oid⟫` – battery capacity (%)
- `⟪oid⟫` – runtime remaining (minutes)
- `1.3.6.1.2.1.1.3.0` – sysUpTime
Query with `snmpget -v2c -c public ⟪priv_ip⟫ ⟪oid⟫`.
""",
)
N(
    "phone_numbers",
    "html_page",
    "en",
    """
<footer>
  <p>Customer service: <a href="tel:⟪phone:a⟫">⟪phone:a⟫</a> (Mon–Fri 9–18)</p>
  <p>Emergency line: ⟪phone⟫</p>
  <p>Fax: ⟪phone⟫</p>
</footer>
""",
)
N(
    "iban_and_bank_codes",
    "html_page",
    "de",
    """
<p>Bitte überweisen Sie den Betrag innerhalb von 14 Tagen auf folgendes Konto:</p>
<p>Kontoinhaber: ⟪company⟫ GmbH<br>IBAN: ⟪iban⟫<br>BIC: COBADEFFXXX<br>Verwendungszweck: Rechnung ⟪big⟫</p>
""",
)
N(
    "tracking_numbers",
    "html_page",
    "en",
    """
<div class="order-status">
  <p>Order #⟪big⟫ has shipped!</p>
  <p>Carrier: DHL · Tracking number: <a href="#">⟪tracking⟫</a></p>
  <p>Reference: ⟪order_no⟫</p>
</div>
""",
)
N(
    "ssh_host_fingerprints",
    "docs_page",
    "en",
    """
When you connect for the first time, verify the host key fingerprint:

    ED25519 key fingerprint is ⟪fp⟫.
    RSA key fingerprint is ⟪fp⟫.

If it doesn't match, stop and contact the infrastructure team.
""",
)
N(
    "usernames_only",
    "docs_page",
    "en",
    """
### Default accounts

| Service | Username |
|--|--|
| Grafana | `admin` |
| Jenkins | `⟪user⟫` |
| Postgres | `postgres` |

Passwords are generated on first boot and printed once to the container log.
""",
)
N(
    "request_and_trace_ids",
    "github_issue",
    "en",
    """
Getting intermittent 500s from the /v2/orders endpoint. Some request ids from today:

- `⟪req_id⟫` at ⟪ts⟫
- `⟪req_id⟫` at ⟪ts⟫
- traceparent `⟪trace⟫`

Happy to provide more if needed.
""",
)
N(
    "base64_non_secret_data",
    "qa_post",
    "en",
    """
Q: How do I decode this base64 string in JS?

The API returns `"payload": "eyJvcmRlcklkIjo⟪csrf⟫"` and atob() gives me garbage.

A: It's base64url, replace - and _ first. Also it's just JSON with the order id, nothing sensitive.
""",
)
N(
    "redacted_secrets",
    "github_issue",
    "en",
    """
Config (secrets removed):

```yaml
api_key: "<redacted>"
db_password: "********"
webhook_secret: "whsec_[REDACTED]"
endpoint: https://⟪fqdn⟫/hooks
```

Error appears on ⟪ver⟫ but not ⟪ver⟫.
""",
)
N(
    "config_without_secrets",
    "readme",
    "en",
    """
## Configuration

| Variable | Default | Description |
|---|---|---|
| `PORT` | `8080` | HTTP port |
| `DATABASE_URL` | – | Postgres connection string (required) |
| `API_TOKEN` | – | Token used to call the upstream API (required) |
| `LOG_LEVEL` | `info` | one of debug, info, warn |

Tested on v⟪ver⟫.
""",
)
N(
    "token_metadata",
    "docs_page",
    "en",
    """
### Token format

Personal access tokens start with a fixed prefix followed by 36 random characters. Tokens expire after ⟪small⟫0 days by default. The dashboard only shows the last four characters (for example `…⟪last4⟫`) after creation.
""".replace("⟪last4⟫", "⟪short_sha⟫"),
)
N(
    "html_form_fields",
    "html_page",
    "fr",
    """
<form action="/inscription" method="post">
  <label>Adresse e-mail <input type="email" name="email" placeholder="vous@example.com"></label>
  <label>Mot de passe <input type="password" name="mot_de_passe" minlength="⟪small⟫"></label>
  <label>Confirmer le mot de passe <input type="password" name="confirmation"></label>
  <button>Créer un compte</button>
</form>
""",
)
N(
    "timestamps_and_numeric_ids",
    "docs_page",
    "en",
    """
Snowflake IDs encode the creation time: `⟪snowflake⟫` → ⟪ts⟫. Message ids are 64-bit integers like ⟪snowflake⟫, and Unix timestamps such as ⟪epoch⟫ are in seconds.
""",
)
N(
    "luhn_invalid_numbers",
    "support_article",
    "en",
    """
<h3>Where do I find my order number?</h3>
<p>Your order number is the 16-digit number at the top of the confirmation e-mail, e.g. <code>⟪order_no⟫</code>. It is <em>not</em> your card number. Gift card codes look like <code>⟪order_no⟫</code>.</p>
""",
)
N(
    "private_ip_addresses",
    "forum_post",
    "en",
    """
My router hands out ⟪priv_ip⟫ to the NAS and ⟪priv_ip⟫ to the printer, but after a reboot the NAS sometimes gets ⟪priv_ip⟫ instead. Should I just set a static lease? Gateway is 192.168.1.1.
""",
)
N(
    "loopback_and_special_ips",
    "qa_post",
    "en",
    """
Q: Why does my Flask app work on 127.0.0.1 but not from another device?

A: You're binding to localhost. Run with `--host 0.0.0.0`. Also note that ⟪special_ip⟫ is not routable; your phone must use the LAN address.
""",
)
N(
    "uuids_and_object_ids",
    "docs_page",
    "en",
    """
Every resource has a UUID, e.g. `⟪uuid⟫`. List endpoints return cursors like `⟪ulid⟫`; pass them back as `?after=` to page through results.
""",
)
N(
    "mac_addresses",
    "forum_post",
    "en",
    """
The Pi shows up twice in the DHCP table, once as ⟪mac⟫ (eth0) and once as ⟪mac⟫ (wlan0). Is that normal?
""",
)
N(
    "cache_keys",
    "docs_page",
    "en",
    """
Cached fragments are keyed as `views/⟪word⟫/⟪md5⟫` and invalidated on deploy. To flush a single entry: `redis-cli DEL fragment:⟪sha1⟫`.
""",
)
N(
    "nonces",
    "docs_page",
    "en",
    """
Each request must include a fresh nonce (for example `⟪hex16⟫⟪hex16⟫`) and a timestamp; the server rejects nonces it has seen in the last 5 minutes.
""",
)
N(
    "csrf_tokens",
    "qa_post",
    "en",
    """
Q: Laravel says "419 Page Expired" on every POST

I do send the token: `<input type="hidden" name="_token" value="⟪alnum_id⟫⟪alnum_id⟫">`. Session driver is file. What else?
""",
)
N(
    "idempotency_keys",
    "docs_page",
    "en",
    """
Retry-safe requests: send `Idempotency-Key: ⟪uuid⟫`. Keys expire after 24 hours. Reusing a key with a different body returns 409.
""",
)
N(
    "oauth_client_ids",
    "docs_page",
    "en",
    """
Your OAuth client ID is public and can be embedded in the app: `⟪gclient⟫`. The client secret must stay on the server.
""",
)
N(
    "recaptcha_site_keys",
    "docs_page",
    "en",
    """
Site key (used in the HTML, public): `⟪recaptcha⟫`. The secret key is only used server-side when calling siteverify.
""",
)

SECTION("msg")

# ================================================================ (c) e-mails, chats, tickets, notes in many languages
P(
    "email",
    "en",
    """
From: ⟪name⟫ <⟪email_c:a⟫>
To: it-support <⟪email_c⟫>
Subject: VPN not working from hotel

Hi team,

I'm in Madrid this week and the VPN client keeps timing out. The hotel gives me a public address (⟪ip4⟫ according to whatismyip). My username is ⟪user⟫ and I reset my password yesterday to ⟪pw⟫ — maybe that didn't sync?

Thanks,
⟪fname⟫
""",
)
P(
    "email",
    "en",
    """
Hi ⟪fname⟫,

as discussed on the phone, here are the details for the new card for the marketing budget:

Card: ⟪cc⟫
Valid thru: 07/28
CVC: I'll tell you by phone

Please don't forward this mail. Any questions, ping me at ⟪email_c⟫.

Best,
⟪name⟫
Finance
""",
)
P(
    "chat_message",
    "en",
    """
[⟪time⟫] ⟪fname:a⟫: can someone send me the staging db creds?
[⟪time⟫] ⟪fname:b⟫: host ⟪ip4⟫ user ⟪user⟫ pw ⟪pw⟫
[⟪time⟫] ⟪fname:b⟫: pls don't paste it in #general again lol
[⟪time⟫] ⟪fname:a⟫: thx 🙏
""",
)
P(
    "support_ticket",
    "en",
    """
Ticket #⟪big⟫ — Priority: High
Requester: ⟪name⟫ (⟪email_p⟫)
Subject: charged twice

Customer writes: "I was charged twice for my order. The card used was ⟪cc⟫. Please refund one of the payments asap, I'm on a tight budget this month."

Internal note: refund initiated, ask customer to remove card number from future emails.
""",
)
P(
    "email",
    "de",
    """
Von: ⟪name⟫ <⟪email_c:a⟫>
An: ⟪email_c⟫
Betreff: Zugangsdaten neuer Mitarbeiter

Hallo ⟪fname⟫,

anbei die Zugangsdaten für den neuen Kollegen:

Benutzer: ⟪user⟫
Initialpasswort: ⟪pw⟫
VPN-Gateway: ⟪ip4⟫

Bitte beim ersten Login das Passwort ändern lassen.

Viele Grüße
⟪fname⟫
""",
)
P(
    "chat_message",
    "de",
    """
⟪fname⟫ [⟪time⟫]: wie war nochmal das WLAN-Passwort im Lager?
⟪fname⟫ [⟪time⟫]: ⟪wifi_psk⟫ (Netz heißt ⟪wifi_ssid⟫)
⟪fname⟫ [⟪time⟫]: danke dir!
""",
)
P(
    "email",
    "fr",
    """
Bonjour ⟪fname⟫,

Suite à notre échange, voici les identifiants du serveur de préproduction :
- adresse : ⟪ip4⟫
- utilisateur : ⟪user⟫
- mot de passe : ⟪pw⟫

Merci de ne pas les transmettre par SMS. Pour toute question, écris-moi à ⟪email_c⟫.

Cordialement,
⟪name⟫
""",
)
P(
    "sms",
    "fr",
    """
Salut c'est ⟪fname⟫, voilà le code de la boîte à clés : ⟪pin⟫. Le wifi c'est ⟪wifi_ssid⟫ / ⟪wifi_psk⟫. Bon séjour !
""",
)
P(
    "email",
    "es",
    """
Hola ⟪fname⟫:

Te paso los datos de la tarjeta de empresa para la reserva del hotel de la feria:

Titular: ⟪name⟫
Número: ⟪cc⟫
Caducidad: 03/27

Cuando tengas la factura mándala a ⟪email_c⟫, por favor.

Un saludo,
⟪fname⟫
""",
)
P(
    "chat_message",
    "es",
    """
⟪fname⟫: oye, ¿me pasas la contraseña del panel de Cloudflare?
⟪fname⟫: usuario ⟪email_c⟫ y la contraseña es ⟪pw⟫
⟪fname⟫: pero mejor te creo una cuenta propia mañana
""",
)
P(
    "email",
    "it",
    """
Ciao ⟪fname⟫,

ti giro le credenziali per il gestionale:
utente: ⟪user⟫
password: ⟪pw⟫
indirizzo: https://⟪ip4⟫:8443

Mi raccomando, cambia la password al primo accesso. Per problemi scrivi a ⟪email_c⟫.

A presto,
⟪name⟫
""",
)
P(
    "email",
    "pt",
    """
Olá ⟪fname⟫,

Segue o acesso ao servidor de arquivos:
IP: ⟪ip4⟫
Usuário: ⟪user⟫
Senha: ⟪pw⟫

Qualquer dúvida me chama no e-mail ⟪email_c⟫.

Abraço,
⟪name⟫
""",
)
P(
    "chat_message",
    "pt",
    """
⟪fname⟫: amor, qual é o número do cartão pra eu fazer a compra do mercado online?
⟪fname⟫: ⟪cc⟫ validade 10/26
⟪fname⟫: o código de trás eu te falo por ligação
""",
)
P(
    "email",
    "nl",
    """
Hoi ⟪fname⟫,

Zoals beloofd de inloggegevens voor de webshop-beheeromgeving:
gebruikersnaam: ⟪user⟫
wachtwoord: ⟪pw⟫

De server draait op ⟪ip4⟫. Vragen? Mail ⟪email_c⟫.

Groetjes,
⟪name⟫
""",
)
P(
    "email",
    "pl",
    """
Dzień dobry,

przesyłam dane dostępowe do panelu hostingu:
login: ⟪user⟫
hasło: ⟪pw⟫
serwer: ⟪ip4⟫

W razie pytań proszę o kontakt: ⟪email_c⟫.

Pozdrawiam
⟪name⟫
""",
)
P(
    "chat_message",
    "cs",
    """
⟪fname⟫: ahoj, nevíš heslo k routeru v kanceláři?
⟪fname⟫: jo, admin / ⟪pw⟫, IP je ⟪priv_ip⟫
⟪fname⟫: díky, a venkovní adresa je pořád ⟪ip4⟫?
⟪fname⟫: jo
""",
)
P(
    "email",
    "sk",
    """
Ahoj ⟪fname⟫,

posielam ti prístup na FTP:
server: ⟪ip4⟫
meno: ⟪user⟫
heslo: ⟪pw⟫

Keby niečo, napíš mi na ⟪email_p⟫.

Vďaka,
⟪fname⟫
""",
)
P(
    "email",
    "sv",
    """
Hej ⟪fname⟫!

Här är uppgifterna till det nya bokföringssystemet:
Användarnamn: ⟪user⟫
Lösenord: ⟪pw⟫

Fakturor skickas till ⟪email_c⟫ som vanligt.

Mvh
⟪name⟫
""",
)
P(
    "chat_message",
    "da",
    """
⟪fname⟫: hvad er koden til gæste-wifi'en?
⟪fname⟫: ⟪wifi_psk⟫
⟪fname⟫: og hvis den ikke virker så skriv til ⟪email_c⟫
""",
)
P(
    "email",
    "nb",
    """
Hei ⟪fname⟫,

Her er påloggingen til serveren:
adresse: ⟪ip4⟫
bruker: ⟪user⟫
passord: ⟪pw⟫

Husk å bytte passord etter første innlogging.

Hilsen ⟪name⟫
""",
)
P(
    "support_ticket",
    "fi",
    """
Tiketti #⟪big⟫
Lähettäjä: ⟪name⟫ <⟪email_p⟫>

Hei, en pääse kirjautumaan verkkopankkiin. Yritin salasanalla ⟪pw⟫, mutta se ei kelpaa. Kirjautumisyritys tuli osoitteesta ⟪ip4⟫. Voitteko auttaa?
""",
)
P(
    "email",
    "tr",
    """
Merhaba ⟪fname⟫ Bey,

Sunucu erişim bilgileri aşağıdadır:
IP: ⟪ip4⟫
Kullanıcı adı: ⟪user⟫
Şifre: ⟪pw⟫

Sorularınız için ⟪email_c⟫ adresine yazabilirsiniz.

Saygılarımla,
⟪name⟫
""",
)
P(
    "chat_message",
    "tr",
    """
⟪fname⟫: kartın numarasını atar mısın, bileti ben alayım
⟪fname⟫: ⟪cc⟫ son kullanma 05/27
⟪fname⟫: tamamdır, aldım
""",
)
P(
    "email",
    "ru",
    """
Здравствуйте, ⟪fname⟫!

Высылаю доступы к новому серверу:
IP: ⟪ip4⟫
Логин: ⟪user⟫
Пароль: ⟪pw⟫

По всем вопросам пишите на ⟪email_c⟫.

С уважением,
⟪name⟫
""",
)
P(
    "chat_message",
    "ru",
    """
⟪fname⟫: скинь номер карты, переведу за билеты
⟪fname⟫: ⟪cc⟫
⟪fname⟫: ок, отправил, проверь
""",
)
P(
    "email",
    "uk",
    """
Доброго дня, ⟪fname⟫!

Надсилаю дані для входу в CRM:
логін: ⟪email_c⟫
пароль: ⟪pw⟫

Сервер бази даних: ⟪ip4⟫. Після першого входу змініть пароль, будь ласка.

З повагою,
⟪name⟫
""",
)
P(
    "email",
    "bg",
    """
Здравей, ⟪fname⟫,

Ето данните за достъп до сървъра:
IP адрес: ⟪ip4⟫
потребител: ⟪user⟫
парола: ⟪pw⟫

Поздрави,
⟪name⟫
""",
)
P(
    "email",
    "el",
    """
Γεια σου ⟪fname⟫,

Σου στέλνω τα στοιχεία πρόσβασης για τον διακομιστή:
IP: ⟪ip4⟫
χρήστης: ⟪user⟫
κωδικός: ⟪pw⟫

Για οποιαδήποτε απορία στείλε μου στο ⟪email_c⟫.

Φιλικά,
⟪name⟫
""",
)
P(
    "email",
    "ar",
    """
مرحباً ⟪fname⟫،

هذه بيانات الدخول إلى لوحة التحكم:
اسم المستخدم: ⟪user⟫
كلمة المرور: ⟪pw⟫
عنوان الخادم: ⟪ip4⟫

للاستفسار راسلني على ⟪email_c⟫

مع التحية،
⟪name⟫
""",
)
P(
    "chat_message",
    "ar",
    """
⟪fname⟫: ممكن ترسل لي رقم البطاقة عشان أدفع الاشتراك؟
⟪fname⟫: ⟪cc⟫ تنتهي 08/27
⟪fname⟫: تمام، شكراً
""",
)
P(
    "email",
    "he",
    """
היי ⟪fname⟫,

מצרף את פרטי הגישה לשרת הבדיקות:
כתובת: ⟪ip4⟫
שם משתמש: ⟪user⟫
סיסמה: ⟪pw⟫

אם יש בעיה תכתוב לי ל-⟪email_c⟫.

תודה,
⟪name⟫
""",
)
P(
    "chat_message",
    "fa",
    """
⟪fname⟫: رمز وای‌فای دفتر رو داری؟
⟪fname⟫: آره، ⟪wifi_psk⟫
⟪fname⟫: مرسی! ایمیل پشتیبانی هم ⟪email_c⟫ هست دیگه؟
⟪fname⟫: آره
""",
)
P(
    "email",
    "hi",
    """
नमस्ते ⟪fname⟫ जी,

सर्वर की लॉगिन जानकारी नीचे दी गई है:
आईपी: ⟪ip4⟫
यूज़रनेम: ⟪user⟫
पासवर्ड: ⟪pw⟫

कोई समस्या हो तो ⟪email_c⟫ पर मेल करें।

धन्यवाद,
⟪name⟫
""",
)
P(
    "chat_message",
    "hi",
    """
⟪fname⟫: भाई कार्ड नंबर भेज दो, टिकट बुक कर देता हूँ
⟪fname⟫: ⟪cc⟫ एक्सपायरी 12/26
⟪fname⟫: ओके हो गया
""",
)
P(
    "email",
    "bn",
    """
প্রিয় ⟪fname⟫,

নতুন সার্ভারের তথ্য:
আইপি: ⟪ip4⟫
ইউজারনেম: ⟪user⟫
পাসওয়ার্ড: ⟪pw⟫

কোনো সমস্যা হলে ⟪email_c⟫ ঠিকানায় লিখুন।

ধন্যবাদ,
⟪name⟫
""",
)
P(
    "chat_message",
    "th",
    """
⟪fname⟫: ขอรหัสผ่านไวไฟห้องประชุมหน่อย
⟪fname⟫: ⟪wifi_psk⟫ ครับ
⟪fname⟫: ขอบคุณค่ะ แล้วอีเมลฝ่ายไอทีคือ ⟪email_c⟫ ใช่ไหม
⟪fname⟫: ใช่ครับ
""",
)
P(
    "email",
    "vi",
    """
Chào ⟪fname⟫,

Mình gửi thông tin đăng nhập máy chủ:
IP: ⟪ip4⟫
Tài khoản: ⟪user⟫
Mật khẩu: ⟪pw⟫

Có gì thắc mắc bạn gửi mail về ⟪email_c⟫ nhé.

Thân,
⟪name⟫
""",
)
P(
    "chat_message",
    "vi",
    """
⟪fname⟫: gửi mình số thẻ để đặt vé máy bay nha
⟪fname⟫: ⟪cc⟫ hết hạn 09/27
⟪fname⟫: ok đặt xong rồi
""",
)
P(
    "email",
    "id",
    """
Halo ⟪fname⟫,

Berikut data akses server produksi:
IP: ⟪ip4⟫
Username: ⟪user⟫
Password: ⟪pw⟫

Kalau ada kendala, kirim email ke ⟪email_c⟫ ya.

Salam,
⟪name⟫
""",
)
P(
    "chat_message",
    "ms",
    """
⟪fname⟫: boleh bagi kata laluan wifi pejabat?
⟪fname⟫: ⟪wifi_psk⟫
⟪fname⟫: terima kasih! nanti saya emel ke ⟪email_c⟫ kalau ada masalah
""",
)
P(
    "email",
    "zh",
    """
⟪name⟫你好，

新服务器的登录信息如下：
IP：⟪ip4⟫
用户名：⟪user⟫
密码：⟪pw⟫

如有问题请发邮件至 ⟪email_c⟫。

谢谢！
⟪name⟫
""",
)
P(
    "chat_message",
    "zh",
    """
⟪name⟫：帮我订一下酒店吧，用公司的卡
⟪name⟫：卡号 ⟪cc⟫，有效期 06/27
⟪name⟫：好的，订好了发你确认邮件
""",
)
P(
    "email",
    "ja",
    """
⟪name⟫様

お世話になっております。
検証環境のログイン情報をお送りします。

サーバー：⟪ip4⟫
ユーザー名：⟪user⟫
パスワード：⟪pw⟫

ご不明点は ⟪email_c⟫ までご連絡ください。

よろしくお願いいたします。
⟪name⟫
""",
)
P(
    "chat_message",
    "ja",
    """
⟪fname⟫：会議室のWi-Fiのパスワード教えてもらえますか？
⟪fname⟫：⟪wifi_psk⟫ です
⟪fname⟫：ありがとうございます！
""",
)
P(
    "email",
    "ko",
    """
⟪name⟫님 안녕하세요,

테스트 서버 접속 정보 보내드립니다.
IP: ⟪ip4⟫
아이디: ⟪user⟫
비밀번호: ⟪pw⟫

문의사항은 ⟪email_c⟫ 로 보내주세요.

감사합니다.
⟪name⟫ 드림
""",
)
P(
    "chat_message",
    "ko",
    """
⟪fname⟫: 법인카드 번호 좀 알려줄 수 있어?
⟪fname⟫: ⟪cc⟫ 유효기간 11/27
⟪fname⟫: 고마워, 결제하고 영수증 보낼게
""",
)
P(
    "email",
    "ro",
    """
Bună ziua, ⟪fname⟫,

Vă trimit datele de acces pentru serverul de test:
IP: ⟪ip4⟫
utilizator: ⟪user⟫
parolă: ⟪pw⟫

Pentru întrebări scrieți-mi la ⟪email_c⟫.

Cu stimă,
⟪name⟫
""",
)
P(
    "email",
    "hu",
    """
Kedves ⟪fname⟫!

Küldöm a belépési adatokat a tesztszerverhez:
IP-cím: ⟪ip4⟫
felhasználónév: ⟪user⟫
jelszó: ⟪pw⟫

Kérdés esetén írj a ⟪email_c⟫ címre.

Üdv,
⟪name⟫
""",
)
P(
    "chat_message",
    "hr",
    """
⟪fname⟫: pošalji mi broj kartice za rezervaciju apartmana
⟪fname⟫: ⟪cc⟫ vrijedi do 04/27
⟪fname⟫: hvala, rezervirano
""",
)
P(
    "email",
    "lt",
    """
Sveiki, ⟪fname⟫,

siunčiu prisijungimo duomenis prie serverio:
IP: ⟪ip4⟫
vartotojas: ⟪user⟫
slaptažodis: ⟪pw⟫

Klausimus siųskite adresu ⟪email_c⟫.

Pagarbiai,
⟪name⟫
""",
)
P(
    "email",
    "lv",
    """
Sveiks, ⟪fname⟫!

Pieejas dati serverim:
IP adrese: ⟪ip4⟫
lietotājvārds: ⟪user⟫
parole: ⟪pw⟫

Ja rodas jautājumi, raksti uz ⟪email_c⟫.

Ar cieņu,
⟪name⟫
""",
)
P(
    "chat_message",
    "et",
    """
⟪fname⟫: mis on kontori wifi parool?
⟪fname⟫: ⟪wifi_psk⟫
⟪fname⟫: aitäh! kui ei tööta, kirjutan ⟪email_c⟫
""",
)
P(
    "chat_message",
    "sw",
    """
⟪fname⟫: naomba nenosiri la wifi ya ofisi
⟪fname⟫: ni ⟪wifi_psk⟫
⟪fname⟫: asante sana! barua pepe ya IT ni ⟪email_c⟫ sivyo?
⟪fname⟫: ndiyo
""",
)
P(
    "chat_message",
    "tl",
    """
⟪fname⟫: pa-send naman ng password ng wifi sa opisina
⟪fname⟫: ⟪wifi_psk⟫ po
⟪fname⟫: salamat! i-email ko na lang sa ⟪email_c⟫ kung may problema
""",
)
P(
    "email",
    "ta",
    """
வணக்கம் ⟪fname⟫,

சர்வர் உள்நுழைவு விவரங்கள்:
IP: ⟪ip4⟫
பயனர்பெயர்: ⟪user⟫
கடவுச்சொல்: ⟪pw⟫

ஏதேனும் சந்தேகம் இருந்தால் ⟪email_c⟫ க்கு மின்னஞ்சல் அனுப்பவும்.

நன்றி,
⟪name⟫
""",
)
P(
    "chat_message",
    "ur",
    """
⟪fname⟫: دفتر کے وائی فائی کا پاس ورڈ کیا ہے؟
⟪fname⟫: ⟪wifi_psk⟫
⟪fname⟫: شکریہ! کوئی مسئلہ ہو تو ⟪email_c⟫ پر لکھ دوں گا
""",
)
P(
    "email",
    "ca",
    """
Hola ⟪fname⟫,

Et passo les dades d'accés al servidor:
IP: ⟪ip4⟫
usuari: ⟪user⟫
contrasenya: ⟪pw⟫

Si tens cap dubte, escriu-me a ⟪email_c⟫.

Salutacions,
⟪name⟫
""",
)
P(
    "meeting_notes",
    "en",
    """
Weekly infra sync — ⟪date⟫
Attendees: ⟪fname⟫, ⟪fname⟫, ⟪fname⟫

1. Firewall change: allow ⟪ip4⟫ and ⟪ip4⟫ (new office) on port 443 — done
2. Old monitoring box ⟪ip4⟫ to be decommissioned next week
3. ⟪fname⟫ shared the temporary root password for the new NAS in the meeting (⟪pw⟫) → must be rotated today!
4. AOB: vendor contact is ⟪email_c⟫
""",
)
P(
    "note",
    "en",
    """
TODO before Friday
- renew domain (registrar login: ⟪email_p⟫ / ⟪pw⟫)
- call the bank about the second card ⟪cc⟫
- send invoice to ⟪email_c⟫
- buy milk
""",
)
P(
    "email_thread",
    "en",
    """
On ⟪date⟫ ⟪fname:a⟫ wrote:
> Could you resend the key? The one from last week doesn't work.

Sure, here you go:

⟪rsa_key⟫

It's for the sftp user "partner" on ⟪ip4⟫. Please confirm once you've stored it and delete this mail.

-- 
⟪name⟫ | ⟪company⟫ | ⟪email_c⟫
""",
    n=3,
)
P(
    "support_ticket",
    "en",
    """
[INC-⟪big⟫] Customer portal login loop
Reported by: ⟪email_p⟫
Source IP: ⟪ip4⟫ / ⟪ip6⟫
Browser: ⟪ua⟫

Agent note: user sent their credentials in the first message (⟪user⟫ / ⟪pw⟫). Advised them to change it. Session cookie from HAR file: session=⟪sess⟫ — invalidated.
""",
)
P(
    "chat_message",
    "en",
    """
<⟪user⟫> anyone know why the bot stopped posting?
<⟪user⟫> token expired probably. new one: ⟪xoxb⟫
<⟪user⟫> dude. DMs.
<⟪user⟫> oops, rotating
""",
)
P(
    "email",
    "en",
    """
Subject: Your new API credentials

Hello ⟪fname⟫,

Your production API credentials have been created:

  Client ID:     ⟪uuid⟫
  Client secret: ⟪client_secret⟫

The secret will not be shown again. If you did not request this, contact ⟪email_c⟫ immediately.

— The ⟪company⟫ team
""",
)
P(
    "chat_message",
    "de",
    """
[⟪time⟫] ⟪fname⟫: Kannst du mir mal kurz deine Kreditkartennummer für die AWS-Rechnung schicken? Meine ist abgelaufen
[⟪time⟫] ⟪fname⟫: ⟪cc⟫, 02/28, Prüfnummer sag ich dir am Telefon
[⟪time⟫] ⟪fname⟫: 👍
""",
)
P(
    "email",
    "de",
    """
Sehr geehrte Damen und Herren,

leider funktioniert mein Zugang zu Ihrem Kundenportal nicht mehr. Meine E-Mail-Adresse ist ⟪email_p⟫, mein Passwort lautet ⟪pw⟫. Ich habe es schon dreimal versucht.

Mit freundlichen Grüßen
⟪name⟫
""",
)
P(
    "note",
    "ja",
    """
メモ（⟪date⟫）
・ルーターの管理画面：⟪ip4⟫
・管理者パスワード：⟪pw⟫
・問い合わせ先：⟪email_c⟫
""",
)
P(
    "email",
    "fr",
    """
Objet : Paiement de la facture n°⟪big⟫

Bonjour,

Pour régler la facture, vous pouvez débiter ma carte ⟪cc⟫ (exp. 05/28). Mon adresse pour le reçu : ⟪email_p⟫.

Bien à vous,
⟪name⟫
""",
)

# ---------------------------------------------------------------- (c) hard negatives in messages
N(
    "masked_card_numbers",
    "email",
    "en",
    """
Subject: Your receipt from ⟪company⟫

Hi ⟪fname⟫, thanks for your purchase!

Amount: €⟪price⟫
Paid with: Visa ⟪masked_cc⟫
Order: #⟪big⟫

Questions? Just reply to this e-mail.
""",
)
N(
    "masked_card_numbers",
    "email",
    "de",
    """
Hallo ⟪fname⟫,

vielen Dank für Ihre Bestellung. Der Betrag von ⟪amount⟫ € wurde von Ihrer Karte ⟪masked_cc⟫ abgebucht.

Ihr ⟪company⟫-Team
""",
)
N(
    "masked_card_numbers",
    "sms",
    "es",
    """
BANCO: Compra de ⟪amount⟫ EUR con tarjeta ⟪masked_cc⟫ en AMAZON EU. Si no la reconoce llame al ⟪phone⟫.
""",
)
N(
    "luhn_invalid_numbers",
    "email",
    "en",
    """
Hi ⟪fname⟫,

your order ⟪order_no⟫ has been dispatched. Customer number: ⟪big⟫⟪big⟫. Please quote the order number in any correspondence.

Kind regards
""",
)
N(
    "luhn_invalid_numbers",
    "chat_message",
    "fr",
    """
⟪fname⟫ : c'est quoi le numéro de commande déjà ?
⟪fname⟫ : ⟪order_no⟫
⟪fname⟫ : merci, je relance le SAV
""",
)
N(
    "reserved_domain_emails",
    "email",
    "en",
    """
Hi ⟪fname⟫,

For the demo next week please use the dummy accounts ⟪ex_email⟫ and ⟪ex_email⟫ — they're wired to the sandbox and won't send real mail.

Thanks!
""",
)
N(
    "private_ip_addresses",
    "chat_message",
    "en",
    """
[⟪time⟫] ⟪fname⟫: printer is at ⟪priv_ip⟫ now, not ⟪priv_ip⟫
[⟪time⟫] ⟪fname⟫: and the NAS?
[⟪time⟫] ⟪fname⟫: ⟪priv_ip⟫, same as before
""",
)
N(
    "private_ip_addresses",
    "support_ticket",
    "de",
    """
Ticket ⟪ticket⟫: Drucker im 2. OG nicht erreichbar
Der Drucker hat laut Display die Adresse ⟪priv_ip⟫, das Gateway ist ⟪priv_ip⟫. Ping geht nicht. Bitte prüfen.
""",
)
N(
    "usernames_only",
    "email",
    "en",
    """
Hi ⟪fname⟫,

your account has been created. Username: ⟪user⟫. You'll receive a separate e-mail with a one-time link to set your password — we never send passwords by e-mail.

IT Service Desk
""",
)
N(
    "password_policy_text",
    "email",
    "fr",
    """
Bonjour,

Votre mot de passe expire dans ⟪small⟫ jours. Merci de le modifier depuis l'intranet. Rappel : au moins 12 caractères, avec majuscules, chiffres et caractères spéciaux. Le service informatique ne vous demandera jamais votre mot de passe.

Cordialement,
Le service informatique
""",
)
N(
    "password_policy_text",
    "chat_message",
    "ja",
    """
⟪fname⟫：パスワードは12文字以上、英大文字・数字・記号を含める必要があります。
⟪fname⟫：了解です。⟪small⟫日ごとに変更ですよね？
⟪fname⟫：はい、そうです。
""",
)
N(
    "phone_numbers",
    "sms",
    "en",
    """
Hi ⟪fname⟫, it's ⟪fname⟫ — new number: ⟪phone⟫. Old one (⟪phone⟫) stops working on Friday.
""",
)
N(
    "phone_numbers",
    "chat_message",
    "ru",
    """
⟪fname⟫: запиши мой новый номер ⟪phone⟫
⟪fname⟫: ок, а старый ⟪phone⟫ удалить?
⟪fname⟫: да
""",
)
N(
    "iban_and_bank_codes",
    "email",
    "nl",
    """
Beste ⟪fname⟫,

Wil je het bedrag van € ⟪amount⟫ overmaken naar IBAN ⟪iban⟫ t.n.v. ⟪company⟫, onder vermelding van factuur ⟪big⟫?

Met vriendelijke groet,
⟪name⟫
""",
)
N(
    "iban_and_bank_codes",
    "email",
    "pl",
    """
Dzień dobry,

proszę o przelew kwoty ⟪amount⟫ zł na rachunek ⟪iban⟫, tytułem: faktura ⟪big⟫/2024.

Pozdrawiam
""",
)
N(
    "tracking_numbers",
    "sms",
    "de",
    """
Ihr Paket ⟪tracking⟫ wird heute zwischen ⟪time⟫ und 18:00 zugestellt. Sendungsverfolgung: dhl.de
""",
)
N(
    "tracking_numbers",
    "email",
    "it",
    """
Ciao ⟪fname⟫, il tuo pacco è stato spedito! Numero di tracciamento: ⟪tracking⟫. Riferimento ordine: ⟪order_no⟫.
""",
)
N(
    "redacted_secrets",
    "support_ticket",
    "en",
    """
Ticket ⟪ticket⟫ — customer pasted credentials, removed by agent
Message: "my login is ⟪user⟫ and password [removed by support] — still can't get in"
Action: password reset link sent.
""",
)
N(
    "placeholder_values",
    "chat_message",
    "en",
    """
<⟪user⟫> what do I put in API_KEY?
<⟪user⟫> your own key from the dashboard, the README just says <YOUR_KEY_HERE>
<⟪user⟫> ah ok, and DB_PASSWORD stays as ${DB_PASSWORD}?
<⟪user⟫> yep, comes from the vault at runtime
""",
)
N(
    "token_metadata",
    "email",
    "en",
    """
Subject: A new personal access token was added to your account

Hi ⟪user⟫,

A personal access token (classic) named "laptop-⟪word⟫" with scopes repo, workflow was recently added to your account. It expires on ⟪date⟫.

If this wasn't you, revoke it in Settings → Developer settings.
""",
)
N(
    "crypto_wallet_addresses",
    "chat_message",
    "en",
    """
⟪fname⟫: send the 0.02 to ⟪btc⟫
⟪fname⟫: not eth? I only have ⟪eth⟫ funded
⟪fname⟫: btc pls
""",
)
N(
    "uuids_and_object_ids",
    "support_ticket",
    "en",
    """
Ticket ⟪ticket⟫
Workspace id: ⟪uuid⟫
Affected document: ⟪uuid⟫
Correlation id: ⟪req_id⟫
Description: exports hang at 99%.
""",
)
N(
    "timestamps_and_numeric_ids",
    "chat_message",
    "en",
    """
⟪fname⟫: the failing message id is ⟪snowflake⟫, sent at ⟪epoch⟫
⟪fname⟫: and the previous one ⟪snowflake⟫?
⟪fname⟫: delivered fine
""",
)
N(
    "email_like_strings",
    "chat_message",
    "en",
    """
<⟪user⟫> @⟪user⟫ can you review?
<⟪user⟫> sure, ping @here when CI is green. fyi the ssh prompt said ⟪user⟫@⟪host⟫ not the bastion
""",
)
N(
    "reserved_domain_emails",
    "email",
    "de",
    """
Hallo ⟪fname⟫,

für die Schulung nutzen wir die Testadressen ⟪ex_email⟫ und ⟪ex_email⟫. Echte Kundendaten bitte nicht verwenden!

Gruß
""",
)
N(
    "masked_card_numbers",
    "chat_message",
    "zh",
    """
⟪name⟫：我刚收到扣款短信，尾号 ⟪last4⟫ 的卡被扣了 ⟪amount⟫ 元
⟪name⟫：是会员续费吧？
⟪name⟫：对，忘了取消了
""".replace("⟪last4⟫", "⟪small⟫⟪small⟫"),
)
N(
    "masked_card_numbers",
    "sms",
    "ar",
    """
تمت عملية شراء بمبلغ ⟪amount⟫ ريال باستخدام بطاقتك المنتهية بـ ⟪small⟫⟪small⟫. إذا لم تقم بهذه العملية اتصل على ⟪phone⟫
""",
)
N(
    "masked_card_numbers",
    "email",
    "ko",
    """
⟪name⟫님, 결제가 완료되었습니다.
결제 금액: ⟪amount⟫원
결제 수단: 신용카드 (⟪masked_cc⟫)
주문 번호: ⟪big⟫
""",
)
N(
    "private_ip_addresses",
    "chat_message",
    "pt",
    """
⟪fname⟫: o ip da impressora mudou pra ⟪priv_ip⟫
⟪fname⟫: e o servidor de arquivos continua em ⟪priv_ip⟫?
⟪fname⟫: sim
""",
)
N(
    "password_policy_text",
    "email",
    "es",
    """
Estimado/a ⟪fname⟫:

Su contraseña caducará en ⟪small⟫ días. Le recordamos que nunca le pediremos su contraseña por correo ni por teléfono. La nueva contraseña debe tener al menos 12 caracteres.

Departamento de Sistemas
""",
)
N(
    "usernames_only",
    "chat_message",
    "tr",
    """
⟪fname⟫: sisteme hangi kullanıcı adıyla giriyordun?
⟪fname⟫: ⟪user⟫
⟪fname⟫: tamam, şifreni sıfırlama linkini mailine gönderdim
""",
)
N(
    "phone_numbers",
    "email",
    "ja",
    """
⟪name⟫様

お問い合わせありがとうございます。担当者より ⟪phone⟫ からお電話いたします。

カスタマーサポート
""",
)
N(
    "luhn_invalid_numbers",
    "sms",
    "vi",
    """
Don hang ⟪order_no⟫ cua ban da duoc giao thanh cong. Cam on ban da mua sam!
""",
)
N(
    "reserved_domain_emails",
    "email",
    "fr",
    """
Bonjour,

Pour les tests de la nouvelle newsletter, utilisez uniquement les adresses ⟪ex_email⟫ et ⟪ex_email⟫.

Merci !
""",
)
N(
    "iban_and_bank_codes",
    "email",
    "es",
    """
Hola ⟪fname⟫,

Puedes hacer la transferencia de ⟪amount⟫ € a la cuenta ⟪iban⟫ (concepto: reserva ⟪big⟫).

Saludos
""",
)
N(
    "tracking_numbers",
    "chat_message",
    "ko",
    """
⟪fname⟫: 택배 송장번호 알려줄래?
⟪fname⟫: ⟪tracking⟫
⟪fname⟫: 고마워!
""",
)
N(
    "uuids_and_object_ids",
    "email",
    "sv",
    """
Hej ⟪fname⟫,

Ärendet har fått id ⟪uuid⟫. Ange detta id om du kontaktar oss igen.

Vänliga hälsningar
Kundtjänst
""",
)
N(
    "redacted_secrets",
    "email",
    "de",
    """
Hallo ⟪fname⟫,

das Passwort habe ich dir aus Sicherheitsgründen per Signal geschickt, hier nur der Benutzername: ⟪user⟫. Das Passwort steht NICHT in dieser Mail (*****).

Gruß
""",
)
N(
    "placeholder_values",
    "email",
    "it",
    """
Ciao ⟪fname⟫,

nel file di configurazione sostituisci <PASSWORD> e <API_KEY> con i valori che trovi nel gestore delle password aziendale. Non scriverli mai nelle e-mail!

Grazie
""",
)
N(
    "private_ip_addresses",
    "chat_message",
    "hi",
    """
⟪fname⟫: प्रिंटर का आईपी अब ⟪priv_ip⟫ है
⟪fname⟫: और राउटर?
⟪fname⟫: ⟪priv_ip⟫
""",
)
N(
    "phone_numbers",
    "chat_message",
    "id",
    """
⟪fname⟫: nomor WA saya ganti ya, sekarang ⟪phone⟫
⟪fname⟫: oke, sudah saya simpan
""",
)
N(
    "timestamps_and_numeric_ids",
    "email",
    "pl",
    """
Dzień dobry,

numer zgłoszenia: ⟪big⟫⟪small⟫, numer klienta: ⟪big⟫. Prosimy podawać go w korespondencji.

Pozdrawiamy
""",
)
N(
    "masked_card_numbers",
    "email",
    "ru",
    """
Здравствуйте, ⟪fname⟫!

Оплата ⟪amount⟫ ₽ картой ⟪masked_cc⟫ прошла успешно. Номер заказа: ⟪big⟫.

Спасибо за покупку!
""",
)
N(
    "usernames_only",
    "email",
    "el",
    """
Γεια σας ⟪fname⟫,

Ο λογαριασμός σας δημιουργήθηκε. Όνομα χρήστη: ⟪user⟫. Θα λάβετε ξεχωριστό μήνυμα για να ορίσετε τον κωδικό σας.

Τμήμα Πληροφορικής
""",
)
N(
    "private_ip_addresses",
    "chat_message",
    "he",
    """
⟪fname⟫: הכתובת של המדפסת עכשיו ⟪priv_ip⟫
⟪fname⟫: ומה עם הראוטר?
⟪fname⟫: ⟪priv_ip⟫ כמו קודם
""",
)
N(
    "luhn_invalid_numbers",
    "sms",
    "th",
    """
คำสั่งซื้อเลขที่ ⟪order_no⟫ ของคุณถูกจัดส่งแล้ว ขอบคุณที่ใช้บริการ
""",
)
N(
    "reserved_domain_emails",
    "chat_message",
    "nl",
    """
⟪fname⟫: welk adres gebruik ik voor de testaccount?
⟪fname⟫: ⟪ex_email⟫, die komt nergens aan
""",
)
N(
    "password_policy_text",
    "email",
    "fi",
    """
Hei ⟪fname⟫,

salasanasi vanhenee ⟪small⟫ päivän kuluttua. Uuden salasanan on oltava vähintään 12 merkkiä pitkä. IT-tuki ei koskaan kysy salasanaasi sähköpostitse.

IT-tuki
""",
)
N(
    "iban_and_bank_codes",
    "email",
    "fr",
    """
Bonjour ⟪fname⟫,

Merci de régler la somme de ⟪amount⟫ € par virement sur l'IBAN ⟪iban⟫ (BIC BNPAFRPPXXX), référence ⟪big⟫.

Cordialement
""",
)
N(
    "usernames_only",
    "chat_message",
    "uk",
    """
⟪fname⟫: який у тебе логін у системі?
⟪fname⟫: ⟪user⟫
⟪fname⟫: добре, надіслав посилання для скидання пароля
""",
)
N(
    "tracking_numbers",
    "email",
    "cs",
    """
Dobrý den,

vaše zásilka ⟪tracking⟫ byla předána dopravci. Číslo objednávky: ⟪big⟫.

Děkujeme za nákup
""",
)
N(
    "phone_numbers",
    "email",
    "ro",
    """
Bună ziua ⟪fname⟫,

Vă rugăm să ne sunați la ⟪phone⟫ pentru confirmarea programării.

Mulțumim
""",
)

# ================================================================ (d) logs, shell sessions, HTTP traffic
SECTION("logs")
P(
    "nginx_access_log",
    "en",
    """
⟪ip4⟫ - - [12/Mar/2024:10:15:22 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "⟪ua⟫"
⟪ip4⟫ - - [12/Mar/2024:10:15:23 +0000] "GET /index.html HTTP/1.1" 200 5120 "-" "⟪ua⟫"
⟪priv_ip⟫ - - [12/Mar/2024:10:15:24 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟪ip6⟫ - - [12/Mar/2024:10:15:29 +0000] "POST /api/login HTTP/2.0" 401 61 "https://⟪fqdn⟫/" "⟪ua⟫"
⟪ip4⟫ - - [12/Mar/2024:10:15:31 +0000] "GET /.env HTTP/1.1" 403 162 "-" "python-requests/2.31.0"
""",
)
P(
    "auth_log",
    "en",
    """
Mar 12 03:14:07 ⟪host⟫ sshd[⟪big⟫]: Failed password for invalid user oracle from ⟪ip4⟫ port ⟪big⟫ ssh2
Mar 12 03:14:09 ⟪host⟫ sshd[⟪big⟫]: Failed password for root from ⟪ip4⟫ port ⟪big⟫ ssh2
Mar 12 03:14:11 ⟪host⟫ sshd[⟪big⟫]: Connection closed by authenticating user root ⟪ip4⟫ port ⟪big⟫ [preauth]
Mar 12 03:15:40 ⟪host⟫ sshd[⟪big⟫]: Accepted publickey for deploy from ⟪priv_ip⟫ port ⟪big⟫ ssh2: ED25519 ⟪fp⟫
""",
)
P(
    "shell_session",
    "en",
    """
$ mysql -h ⟪ip4⟫ -u root -p'⟪pw⟫' -e 'SHOW DATABASES;'
+--------------------+
| Database           |
+--------------------+
| information_schema |
| ⟪dbname⟫           |
+--------------------+
$ history | tail -3
  501  ssh root@⟪ip4⟫
  502  mysql -h ⟪ip4⟫ -u root -p'⟪pw⟫' -e 'SHOW DATABASES;'
  503  history | tail -3
""",
)
P(
    "shell_session",
    "en",
    """
⟪user⟫@⟪host⟫:~$ curl -u ⟪user⟫:⟪pw_url⟫ https://⟪fqdn⟫/api/v1/status
{"status":"ok","version":"⟪ver⟫"}
⟪user⟫@⟪host⟫:~$ curl -H "X-Api-Key: ⟪tok32⟫" https://⟪fqdn⟫/api/v1/metrics | head -c 200
""",
)
P(
    "http_request",
    "en",
    """
POST /v1/orders HTTP/1.1
Host: api.⟪domain⟫
Authorization: Bearer ⟪jwt⟫
Content-Type: application/json
X-Request-Id: ⟪req_id⟫
X-Forwarded-For: ⟪ip4⟫, ⟪priv_ip⟫
User-Agent: ⟪ua⟫

{"sku":"A-⟪num⟫","qty":1,"email":"⟪email⟫"}
""",
)
P(
    "http_request",
    "en",
    """
GET /admin/ HTTP/1.1
Host: ⟪fqdn⟫
Authorization: Basic ⟪basic⟫
Cookie: sessionid=⟪sess⟫; csrftoken=⟪csrf⟫
Accept: text/html
""",
)
P(
    "http_response",
    "en",
    """
HTTP/1.1 200 OK
Content-Type: application/json
X-Request-Id: ⟪req_id⟫

{
  "access_token": "⟪jwt⟫",
  "token_type": "Bearer",
  "expires_in": 3600,
  "refresh_token": "⟪sess_long⟫",
  "scope": "read write"
}
""",
)
P(
    "application_log",
    "en",
    """
⟪loglines⟫
⟪ts⟫ ERROR [http-nio-8080-exec-7] PaymentService - charge failed for card=⟪cc_plain⟫ amount=⟪price⟫ EUR customer=⟪email⟫ ip=⟪ip4⟫
⟪loglines⟫
""",
)
P(
    "application_log",
    "en",
    """
⟪ts⟫ DEBUG [main] Loaded configuration:
⟪ts⟫ DEBUG [main]   db.url = jdbc:postgresql://⟪priv_ip⟫:5432/⟪dbname⟫
⟪ts⟫ DEBUG [main]   db.user = ⟪user⟫
⟪ts⟫ DEBUG [main]   db.password = ⟪pw⟫
⟪ts⟫ DEBUG [main]   mail.api_key = ⟪sendgrid⟫
⟪ts⟫ INFO  [main] Started Application in 4.812 seconds
""",
)
P(
    "application_log",
    "en",
    """
⟪loglines⟫
⟪ts⟫ WARN  [webhook] GET /callback?code=⟪alnum_id⟫&state=⟪hex16⟫&access_token=⟪ya29⟫ from ⟪ip4⟫
⟪loglines⟫
""",
)
P(
    "postfix_log",
    "en",
    """
Mar 12 08:01:13 mail postfix/smtpd[⟪big⟫]: connect from unknown[⟪ip4⟫]
Mar 12 08:01:14 mail postfix/smtpd[⟪big⟫]: ⟪short_sha⟫A: client=unknown[⟪ip4⟫], sasl_method=LOGIN, sasl_username=⟪email_c⟫
Mar 12 08:01:14 mail postfix/qmgr[⟪big⟫]: ⟪short_sha⟫A: from=<⟪email_c⟫>, size=⟪bytes⟫, nrcpt=1 (queue active)
Mar 12 08:01:15 mail postfix/smtp[⟪big⟫]: ⟪short_sha⟫A: to=<⟪email_p⟫>, relay=gmail-smtp-in.l.google.com[⟪ip4⟫]:25, status=sent (250 2.0.0 OK)
""",
)
P(
    "smtp_transcript",
    "en",
    """
S: 220 mail.⟪domain⟫ ESMTP ready
C: EHLO client.local
S: 250-AUTH PLAIN LOGIN
C: AUTH PLAIN ⟪smtp_plain⟫
S: 235 2.7.0 Authentication successful
C: MAIL FROM:<⟪email_c⟫>
S: 250 OK
C: RCPT TO:<⟪email⟫>
""",
)
P(
    "firewall_log",
    "en",
    """
⟪ts⟫ kernel: [UFW BLOCK] IN=eth0 OUT= MAC=⟪mac⟫:⟪mac⟫:08:00 SRC=⟪ip4⟫ DST=⟪priv_ip⟫ LEN=44 TTL=243 PROTO=TCP SPT=⟪big⟫ DPT=22
⟪ts⟫ kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟪ip4⟫ DST=⟪priv_ip⟫ LEN=40 TTL=49 PROTO=TCP SPT=⟪big⟫ DPT=3389
⟪ts⟫ kernel: [UFW BLOCK] IN=eth0 OUT= SRC=⟪ip6⟫ DST=⟪doc_ip6⟫ LEN=60 PROTO=TCP SPT=⟪big⟫ DPT=23
""",
)
P(
    "fail2ban_log",
    "en",
    """
⟪ts⟫ fail2ban.actions [⟪big⟫]: NOTICE [sshd] Ban ⟪ip4⟫
⟪ts⟫ fail2ban.actions [⟪big⟫]: NOTICE [sshd] Ban ⟪ip4⟫
⟪ts⟫ fail2ban.actions [⟪big⟫]: NOTICE [nginx-botsearch] Ban ⟪ip4⟫
⟪ts⟫ fail2ban.actions [⟪big⟫]: NOTICE [sshd] Unban ⟪ip4⟫
""",
)
P(
    "shell_session",
    "en",
    """
$ git push https://⟪user⟫:⟪ghp⟫@github.com/⟪user⟫/⟪word⟫.git main
Enumerating objects: 5, done.
Counting objects: 100% (5/5), done.
Writing objects: 100% (3/3), 312 bytes | 312.00 KiB/s, done.
To https://github.com/⟪user⟫/⟪word⟫.git
   ⟪short_sha⟫..⟪short_sha⟫  main -> main
""",
)
P(
    "ci_log",
    "en",
    """
#12 [build 4/7] RUN pip install -r requirements.txt
#12 0.912 Looking in indexes: https://__token__:⟪pypi⟫@upload.pypi.org/simple
#12 3.221 Collecting requests==2.31.0
#13 [build 5/7] RUN echo "registry token: ⟪dckr⟫" > /dev/null
#13 DONE 0.1s
""",
)
P(
    "kubectl_output",
    "en",
    """
$ kubectl describe pod api-⟪short_sha⟫-x7k2p -n prod | grep -A8 Environment
    Environment:
      NODE_ENV:          production
      DATABASE_URL:      postgres://api:⟪pw_url⟫@⟪priv_ip⟫:5432/⟪dbname⟫
      REDIS_URL:         redis://:⟪pw_url⟫@redis-master:6379/0
      STRIPE_SECRET_KEY: ⟪rk_live⟫
      PORT:              8080
""",
)
P(
    "traceroute_output",
    "en",
    """
traceroute to ⟪fqdn⟫ (⟪ip4:dst⟫), 30 hops max, 60 byte packets
 1  ⟪priv_ip⟫  0.412 ms  0.388 ms  0.371 ms
 2  ⟪ip4⟫  8.114 ms  8.092 ms  8.201 ms
 3  ⟪ip4⟫  9.530 ms  9.512 ms  9.620 ms
 4  * * *
 5  ⟪ip4⟫  21.882 ms  21.790 ms  21.911 ms
 6  ⟪ip4:dst⟫  22.104 ms  22.087 ms  22.015 ms
""",
)
P(
    "dig_output",
    "en",
    """
; <<>> DiG 9.18.24 <<>> ⟪fqdn⟫ ANY
;; ANSWER SECTION:
⟪fqdn:h⟫.	300	IN	A	⟪ip4⟫
⟪fqdn:h⟫.	300	IN	A	⟪ip4⟫
⟪fqdn:h⟫.	300	IN	AAAA	⟪ip6⟫
;; SERVER: 127.0.0.53#53(127.0.0.53) (UDP)
""",
)
P(
    "bash_history",
    "en",
    """
cd /opt/app
vim .env
export AWS_ACCESS_KEY_ID=⟪aws_akid⟫
export AWS_SECRET_ACCESS_KEY=⟪aws_sk⟫
aws s3 ls
psql "host=⟪ip4⟫ user=⟪user⟫ password=⟪pw⟫ dbname=⟪dbname⟫"
sudo systemctl restart nginx
exit
""",
)
P(
    "http_request",
    "en",
    """
POST /oauth/token HTTP/1.1
Host: login.⟪domain⟫
Content-Type: application/x-www-form-urlencoded

grant_type=password&username=⟪email⟫&password=⟪pw_url⟫&client_id=web&client_secret=⟪client_secret⟫
""",
)
P(
    "har_excerpt",
    "en",
    """
"request": {
  "method": "GET",
  "url": "https://⟪fqdn⟫/api/account",
  "headers": [
    {"name": "cookie", "value": "__Host-session=⟪sess_long⟫; theme=dark"},
    {"name": "x-xsrf-token", "value": "⟪csrf⟫"},
    {"name": "authorization", "value": "Bearer ⟪jwt⟫"}
  ]
},
"serverIPAddress": "⟪ip4⟫",
""",
)
P(
    "ftp_session",
    "en",
    """
$ ftp ⟪ip4⟫
Connected to ⟪ip4⟫.
220 ProFTPD Server ready.
Name (⟪ip4⟫:⟪user⟫): webupload
331 Password required for webupload
Password: ⟪pw⟫
230 User webupload logged in
ftp> put index.html
""",
)
P(
    "apache_error_log",
    "en",
    """
[Tue Mar 12 10:15:22.331 2024] [php:error] [pid ⟪big⟫] [client ⟪ip4⟫:⟪big⟫] PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [1045] Access denied for user 'shop'@'⟪ip4⟫' (using password: YES) in /var/www/html/db.php:12
[Tue Mar 12 10:15:22.332 2024] [php:error] [pid ⟪big⟫] [client ⟪ip4⟫:⟪big⟫] Stack trace: #0 /var/www/html/db.php(12): PDO->__construct('mysql:host=⟪priv_ip⟫...', 'shop', '⟪pw⟫')
""",
)
P(
    "docker_logs",
    "en",
    """
$ docker logs api-1 2>&1 | head
[entrypoint] waiting for db...
[entrypoint] env dump (DEBUG=1):
SENDGRID_API_KEY=⟪sendgrid⟫
TWILIO_AUTH_TOKEN=⟪twilio_token⟫
JWT_SECRET=⟪hex64⟫
[entrypoint] starting gunicorn on 0.0.0.0:8000
""",
)

# hard negatives: logs / shell / http
N(
    "private_ip_addresses",
    "application_log",
    "en",
    """
⟪loglines⟫
""",
)
N(
    "request_and_trace_ids",
    "application_log",
    "en",
    """
⟪ts⟫ INFO request_id=⟪req_id⟫ trace_id=⟪md5⟫ span_id=⟪hex16⟫ method=GET path=/api/v2/items status=200 duration_ms=⟪ms⟫
⟪ts⟫ INFO request_id=⟪req_id⟫ trace_id=⟪md5⟫ span_id=⟪hex16⟫ method=POST path=/api/v2/items status=201 duration_ms=⟪ms⟫
⟪ts⟫ WARN request_id=⟪req_id⟫ traceparent=⟪trace⟫ msg="retrying upstream"
""",
)
N(
    "documentation_ip_ranges",
    "auth_log",
    "en",
    """
Mar 12 03:14:07 bastion sshd[⟪big⟫]: Failed password for invalid user test from ⟪doc_ip⟫ port ⟪big⟫ ssh2
Mar 12 03:14:09 bastion sshd[⟪big⟫]: Failed password for root from ⟪doc_ip⟫ port ⟪big⟫ ssh2
Mar 12 03:14:30 bastion sshd[⟪big⟫]: Accepted publickey for ops from ⟪doc_ip6⟫ port ⟪big⟫ ssh2
""",
)
N(
    "loopback_and_special_ips",
    "shell_session",
    "en",
    """
$ ip -brief addr
lo               UNKNOWN        127.0.0.1/8 ::1/128
eth0             UP             ⟪priv_ip⟫/24 fe80::a00:27ff:fe4e:⟪num⟫/64
docker0          DOWN           172.17.0.1/16
$ ping -c1 ⟪special_ip⟫
""",
)
N(
    "csrf_tokens",
    "http_response",
    "en",
    """
HTTP/1.1 200 OK
Set-Cookie: XSRF-TOKEN=⟪csrf⟫; Path=/; SameSite=Lax
Content-Security-Policy: default-src 'self'; script-src 'nonce-⟪nonce⟫'
X-Request-Id: ⟪req_id⟫
Content-Type: text/html; charset=utf-8
""",
)
N(
    "redacted_secrets",
    "application_log",
    "en",
    """
⟪ts⟫ DEBUG [main] Loaded configuration:
⟪ts⟫ DEBUG [main]   db.url = jdbc:postgresql://⟪priv_ip⟫:5432/⟪dbname⟫
⟪ts⟫ DEBUG [main]   db.password = ******
⟪ts⟫ DEBUG [main]   stripe.key = sk_live_***redacted***
⟪ts⟫ DEBUG [main]   Authorization: Bearer [FILTERED]
""",
)
N(
    "checksums_and_digests",
    "shell_session",
    "en",
    """
$ docker images --digests
REPOSITORY           TAG       DIGEST                                                                    IMAGE ID       SIZE
nginx                1.25      ⟪docker_digest⟫   ⟪short_sha⟫abcde   187MB
postgres             16        ⟪docker_digest⟫   ⟪short_sha⟫12345   431MB
""",
)
N(
    "git_commit_shas",
    "shell_session",
    "en",
    """
$ git log --oneline -5
⟪short_sha⟫ fix: handle empty cart
⟪short_sha⟫ chore(deps): bump express
⟪short_sha⟫ feat: add invoice pdf
$ git rev-parse HEAD
⟪sha1⟫
""",
)
N(
    "vault_accessors",
    "application_log",
    "en",
    """
⟪ts⟫ [INFO]  core: successful mount: namespace="" path=secret/ type=kv
⟪ts⟫ [INFO]  expiration: revoked lease: lease_id=auth/token/create/⟪hex16⟫ accessor=⟪vault_acc⟫
⟪ts⟫ [INFO]  token: created token with accessor=⟪vault_acc⟫ policies=[default ci]
""",
)
N(
    "password_hashes",
    "shell_session",
    "en",
    """
$ sudo grep ⟪user:u⟫ /etc/shadow
⟪user:u⟫:⟪crypt6⟫:19802:0:99999:7:::
$ htpasswd -nbB admin "$(cat /run/secrets/pw)"
admin:⟪bcrypt⟫
""",
)
N(
    "usernames_only",
    "auth_log",
    "en",
    """
Mar 12 09:00:01 ⟪host⟫ CRON[⟪big⟫]: pam_unix(cron:session): session opened for user ⟪user⟫ by (uid=0)
Mar 12 09:00:02 ⟪host⟫ sudo:   ⟪user⟫ : TTY=pts/0 ; PWD=/home/⟪user⟫ ; USER=root ; COMMAND=/usr/bin/apt update
Mar 12 09:00:05 ⟪host⟫ systemd-logind[⟪big⟫]: New session 42 of user ⟪user⟫.
""",
)
N(
    "mac_addresses",
    "shell_session",
    "en",
    """
$ arp -a
? (⟪priv_ip⟫) at ⟪mac⟫ [ether] on eth0
? (⟪priv_ip⟫) at ⟪mac⟫ [ether] on eth0
gateway (⟪priv_ip⟫) at ⟪mac⟫ [ether] on eth0
""",
)
N(
    "idempotency_keys",
    "http_request",
    "en",
    """
POST /v1/refunds HTTP/1.1
Host: api.⟪domain⟫
Idempotency-Key: ⟪uuid⟫
X-Correlation-Id: ⟪req_id⟫
Content-Type: application/json

{"charge":"ch_⟪alnum_id⟫","amount":⟪big⟫}
""",
)
N(
    "public_keys_and_certificates",
    "shell_session",
    "en",
    """
$ cat ~/.ssh/id_ed25519.pub
⟪ssh_pub⟫
$ ssh-keygen -lf ~/.ssh/id_ed25519.pub
256 ⟪fp⟫ ⟪user⟫@laptop (ED25519)
""",
)
N(
    "timestamps_and_numeric_ids",
    "application_log",
    "en",
    """
⟪ts⟫ INFO job=⟪snowflake⟫ started epoch=⟪epoch⟫
⟪ts⟫ INFO job=⟪snowflake⟫ processed=⟪big⟫ skipped=⟪num⟫
⟪ts⟫ INFO job=⟪snowflake⟫ finished
""",
)
N(
    "luhn_invalid_numbers",
    "application_log",
    "en",
    """
⟪ts⟫ INFO  order created order_no=⟪order_no⟫ customer=⟪big⟫ total=⟪price⟫
⟪ts⟫ INFO  order created order_no=⟪order_no⟫ customer=⟪big⟫ total=⟪price⟫
⟪ts⟫ WARN  payment pending order_no=⟪order_no⟫ card=⟪masked_cc⟫
""",
)
N(
    "ssh_host_fingerprints",
    "shell_session",
    "en",
    """
$ ssh deploy@⟪host⟫
The authenticity of host '⟪host⟫ (⟪priv_ip⟫)' can't be established.
ED25519 key fingerprint is ⟪fp⟫.
This key is not known by any other names.
Are you sure you want to continue connecting (yes/no/[fingerprint])? yes
""",
)
N(
    "env_var_references",
    "shell_session",
    "en",
    """
$ echo $DATABASE_URL
$ export PGPASSWORD="$(vault kv get -field=password secret/⟪dbname⟫)"
$ psql -h ⟪priv_ip⟫ -U app -d ⟪dbname⟫ -c 'select 1'
 ?column?
----------
        1
""",
)

# ================================================================ (e) tables and lists
SECTION("tables")
P(
    "csv_export",
    "en",
    """
customer_id,name,email,card_number,exp,last_login_ip
⟪big⟫,⟪name⟫,⟪email⟫,⟪cc⟫,04/27,⟪ip4⟫
⟪big⟫,⟪name⟫,⟪email⟫,⟪cc⟫,11/26,⟪ip4⟫
⟪big⟫,⟪name⟫,⟪email⟫,⟪cc⟫,02/29,⟪priv_ip⟫
⟪big⟫,⟪name⟫,⟪email⟫,⟪cc⟫,08/28,⟪ip6⟫
""",
    n=6,
)
P(
    "csv_export",
    "en",
    """
"date";"merchant";"card";"amount";"status"
"⟪date⟫";"AMAZON MKTPL";"⟪cc_plain⟫";"⟪price⟫";"settled"
"⟪date⟫";"UBER TRIP";"⟪cc_plain⟫";"⟪price⟫";"settled"
"⟪date⟫";"SPOTIFY";"⟪masked_cc⟫";"⟪price⟫";"declined"
"⟪date⟫";"HOTEL CENTRAL";"⟪cc_plain⟫";"⟪price⟫";"pending"
""",
    n=5,
)
P(
    "combo_list",
    "en",
    """
⟪email:a⟫:⟪pw⟫
⟪email:b⟫:⟪pw⟫
⟪email:c⟫:⟪pw⟫
⟪email:d⟫:⟪pp⟫
⟪email:e⟫:⟪pw⟫
""",
)
P(
    "combo_list",
    "en",
    """
# dump ⟪date⟫ -- ⟪fqdn⟫
url,username,password
https://⟪fqdn⟫/login,⟪user⟫,⟪pw⟫
https://mail.⟪domain⟫,⟪email⟫,⟪pw⟫
https://⟪ip4⟫:8443/,admin,⟪pw⟫
""",
)
P(
    "password_manager_export",
    "en",
    """
name,url,username,password,note
Hetzner,https://accounts.hetzner.com,⟪email_p⟫,⟪pw⟫,
Router,http://192.168.1.1,admin,⟪pw⟫,living room
Bank,https://online.⟪domain⟫,⟪user⟫,⟪pp⟫,"PIN is separate"
Netflix,https://netflix.com,⟪email_p⟫,⟪pw⟫,shared with family
""",
)
P(
    "markdown_table",
    "en",
    """
| Server | Public IP | Role | root pw |
|--------|-----------|------|---------|
| web-01 | ⟪ip4⟫ | nginx | `⟪pw⟫` |
| web-02 | ⟪ip4⟫ | nginx | `⟪pw⟫` |
| db-01  | ⟪ip4⟫ | postgres | `⟪pw⟫` |
| mon    | ⟪ip6⟫ | grafana | n/a (ssh key) |
""",
)
P(
    "html_table",
    "en",
    """
<table border="1">
<thead><tr><th>Name</th><th>E-mail</th><th>Department</th><th>Extension</th></tr></thead>
<tbody>
<tr><td>⟪name⟫</td><td>⟪email_c⟫</td><td>Finance</td><td>⟪num⟫</td></tr>
<tr><td>⟪name⟫</td><td>⟪email_c⟫</td><td>Legal</td><td>⟪num⟫</td></tr>
<tr><td>⟪name⟫</td><td>⟪email_c⟫</td><td>IT</td><td>⟪num⟫</td></tr>
<tr><td>⟪name⟫</td><td>⟪email_c⟫</td><td>Sales</td><td>⟪num⟫</td></tr>
</tbody>
</table>
""",
)
P(
    "markdown_table",
    "en",
    """
## API keys per environment (INTERNAL)

| env | service | key |
|---|---|---|
| dev | OpenAI | `⟪openai⟫` |
| staging | SendGrid | `⟪sendgrid⟫` |
| prod | Stripe | `⟪sk_live⟫` |
| prod | Mailgun | `⟪mailgun⟫` |
""",
    n=3,
)
P(
    "tsv_export",
    "en",
    """
ip	first_seen	requests	country	abuse_contact
⟪ip4⟫	⟪date⟫	⟪big⟫	NL	⟪email_c⟫
⟪ip4⟫	⟪date⟫	⟪big⟫	US	⟪email_c⟫
⟪ip4⟫	⟪date⟫	⟪big⟫	DE	⟪email_c⟫
⟪ip6⟫	⟪date⟫	⟪big⟫	SG	⟪email_c⟫
""",
)
P(
    "spreadsheet_paste",
    "de",
    """
Name	Kartennummer	Gültig bis	Kostenstelle
⟪name⟫	⟪cc_space⟫	06/27	KST ⟪num⟫
⟪name⟫	⟪cc_space⟫	09/26	KST ⟪num⟫
⟪name⟫	⟪cc_space⟫	01/28	KST ⟪num⟫
""",
)
P(
    "bulleted_list",
    "en",
    """
Accounts to migrate before the old mail server is switched off:
- ⟪email_c⟫ (shared mailbox, pw: ⟪pw⟫)
- ⟪email_c⟫ (pw: ⟪pw⟫)
- ⟪email_c⟫ — forwarding only
- ⟪email_p⟫ — external, ignore
""",
)
P(
    "csv_export",
    "fr",
    """
nom;prénom;courriel;téléphone;adresse_ip
⟪lname⟫;⟪fname⟫;⟪email_p⟫;⟪phone⟫;⟪ip4⟫
⟪lname⟫;⟪fname⟫;⟪email_p⟫;⟪phone⟫;⟪ip4⟫
⟪lname⟫;⟪fname⟫;⟪email_p⟫;⟪phone⟫;⟪ip4⟫
""",
)
P(
    "json_lines",
    "en",
    """
{"ts":"⟪ts⟫","event":"signup","email":"⟪email⟫","ip":"⟪ip4⟫"}
{"ts":"⟪ts⟫","event":"signup","email":"⟪email⟫","ip":"⟪ip6⟫"}
{"ts":"⟪ts⟫","event":"payment","card":"⟪cc_plain⟫","ip":"⟪ip4⟫"}
{"ts":"⟪ts⟫","event":"login","email":"⟪ex_email⟫","ip":"⟪doc_ip⟫"}
""",
)
P(
    "ldif",
    "en",
    """
dn: uid=⟪user:u⟫,ou=people,dc=⟪word⟫,dc=com
objectClass: inetOrgPerson
uid: ⟪user:u⟫
cn: ⟪name⟫
mail: ⟪email_c⟫
userPassword: ⟪pw⟫

dn: uid=svc-backup,ou=services,dc=⟪word⟫,dc=com
objectClass: account
uid: svc-backup
userPassword: {SSHA}⟪csrf_b64⟫
""",
)
P(
    "html_table",
    "es",
    """
<table>
<tr><th>Cliente</th><th>Correo</th><th>Tarjeta</th><th>Importe</th></tr>
<tr><td>⟪name⟫</td><td>⟪email_p⟫</td><td>⟪cc⟫</td><td>⟪amount⟫ €</td></tr>
<tr><td>⟪name⟫</td><td>⟪email_p⟫</td><td>⟪cc⟫</td><td>⟪amount⟫ €</td></tr>
<tr><td>⟪name⟫</td><td>⟪email_p⟫</td><td>⟪cc⟫</td><td>⟪amount⟫ €</td></tr>
</table>
""",
)
P(
    "yaml_list",
    "en",
    """
# allowlist.yml - partner egress IPs
partners:
  - name: ⟪company⟫
    contact: ⟪email_c⟫
    ips: [⟪ip4⟫, ⟪ip4⟫]
  - name: ⟪company⟫
    contact: ⟪email_c⟫
    ips: [⟪ip4⟫, ⟪ip6⟫]
""",
)
P(
    "markdown_table",
    "ja",
    """
| 名前 | メール | カード番号 |
|---|---|---|
| ⟪name⟫ | ⟪email_p⟫ | ⟪cc⟫ |
| ⟪name⟫ | ⟪email_p⟫ | ⟪cc⟫ |
""",
)
P(
    "csv_export",
    "en",
    """
device,serial,mgmt_ip,wifi_ssid,wifi_psk
AP-lobby,⟪alnum_id⟫,⟪priv_ip⟫,⟪wifi_ssid⟫,⟪wifi_psk⟫
AP-warehouse,⟪alnum_id⟫,⟪priv_ip⟫,⟪wifi_ssid⟫,⟪wifi_psk⟫
edge-router,⟪alnum_id⟫,⟪ip4⟫,-,-
""",
)
P(
    "combo_list",
    "ru",
    """
=== база аккаунтов (обновлено ⟪date⟫) ===
⟪email_p⟫;⟪pw⟫
⟪email_p⟫;⟪pw⟫
⟪email_p⟫;⟪pw⟫
""",
)

# hard negatives: tables / lists
N(
    "masked_card_numbers",
    "csv_export",
    "en",
    """
date,merchant,card,amount
⟪date⟫,AMAZON MKTPL,⟪masked_cc⟫,⟪price⟫
⟪date⟫,UBER TRIP,⟪masked_cc⟫,⟪price⟫
⟪date⟫,SPOTIFY,⟪masked_cc⟫,⟪price⟫
""",
)
N(
    "luhn_invalid_numbers",
    "csv_export",
    "en",
    """
order_no,sku,qty,total
⟪order_no⟫,SKU-⟪num⟫,1,⟪price⟫
⟪order_no⟫,SKU-⟪num⟫,2,⟪price⟫
⟪order_no⟫,SKU-⟪num⟫,1,⟪price⟫
""",
)
N(
    "reserved_domain_emails",
    "csv_export",
    "en",
    """
id,email,plan
1,⟪ex_email⟫,free
2,⟪ex_email⟫,pro
3,⟪ex_email⟫,team
""",
)
N(
    "private_ip_addresses",
    "markdown_table",
    "en",
    """
| host | ip | vlan |
|---|---|---|
| ⟪host⟫ | ⟪priv_ip⟫ | 10 |
| ⟪host⟫ | ⟪priv_ip⟫ | 20 |
| ⟪host⟫ | ⟪priv_ip⟫ | 20 |
""",
)
N(
    "documentation_ip_ranges",
    "csv_export",
    "en",
    """
rule,source,action
allow-office,⟪doc_ip⟫/32,accept
allow-partner,198.51.100.0/24,accept
allow-v6,⟪doc_ip6⟫/64,accept
""",
)
N(
    "password_hashes",
    "csv_export",
    "en",
    """
username,password_hash,last_login
⟪user⟫,⟪bcrypt⟫,⟪date⟫
⟪user⟫,⟪argon2⟫,⟪date⟫
⟪user⟫,⟪crypt6⟫,⟪date⟫
""",
)
N(
    "iban_and_bank_codes",
    "csv_export",
    "de",
    """
Empfänger;IBAN;Betrag;Verwendungszweck
⟪company⟫;⟪iban⟫;⟪amount⟫;Rechnung ⟪big⟫
⟪company⟫;⟪iban⟫;⟪amount⟫;Rechnung ⟪big⟫
""",
)
N(
    "token_metadata",
    "markdown_table",
    "en",
    """
| Token name | Scopes | Created | Expires |
|---|---|---|---|
| ci-deploy | repo, packages:write | ⟪date⟫ | ⟪date⟫ |
| renovate | repo | ⟪date⟫ | never |
| grafana-reader | read:org | ⟪date⟫ | ⟪date⟫ |
""",
)
N(
    "uuids_and_object_ids",
    "csv_export",
    "en",
    """
tenant_id,user_id,session_id,created
⟪uuid⟫,⟪uuid⟫,⟪ulid⟫,⟪ts⟫
⟪uuid⟫,⟪uuid⟫,⟪ulid⟫,⟪ts⟫
""",
)
N(
    "version_strings",
    "markdown_table",
    "en",
    """
| Component | Version |
|---|---|
| Driver | ⟪ver4⟫ |
| Firmware | ⟪ver4⟫ |
| BIOS | ⟪ver⟫ |
""",
)
N(
    "crypto_wallet_addresses",
    "csv_export",
    "en",
    """
label,chain,address
cold-1,BTC,⟪btc⟫
hot-1,ETH,⟪eth⟫
hot-2,BTC,⟪btc⟫
""",
)
N(
    "usernames_only",
    "csv_export",
    "en",
    """
username,full_name,role
⟪user⟫,⟪name⟫,admin
⟪user⟫,⟪name⟫,viewer
⟪user⟫,⟪name⟫,editor
""",
)
N(
    "phone_numbers",
    "html_table",
    "en",
    """
<table>
<tr><td>Berlin office</td><td>⟪phone⟫</td></tr>
<tr><td>Paris office</td><td>⟪phone⟫</td></tr>
<tr><td>Tokyo office</td><td>⟪phone⟫</td></tr>
</table>
""",
)
N(
    "tracking_numbers",
    "csv_export",
    "en",
    """
shipment,carrier,tracking
⟪big⟫,UPS,⟪tracking⟫
⟪big⟫,DHL,⟪tracking⟫
⟪big⟫,DPD,⟪tracking⟫
""",
)
N(
    "publishable_keys",
    "markdown_table",
    "en",
    """
| env | publishable key (frontend) |
|---|---|
| test | `⟪pk_test⟫` |
| live | `⟪pk_live⟫` |
""",
)
N(
    "checksums_and_digests",
    "markdown_table",
    "en",
    """
| file | sha256 |
|---|---|
| app-⟪ver⟫.zip | `⟪sha256⟫` |
| app-⟪ver⟫.tar.gz | `⟪sha256⟫` |
""",
)
N(
    "mac_addresses",
    "csv_export",
    "en",
    """
hostname,mac,ip
⟪host⟫,⟪mac⟫,⟪priv_ip⟫
⟪host⟫,⟪mac⟫,⟪priv_ip⟫
⟪host⟫,⟪mac⟫,⟪priv_ip⟫
""",
)
N(
    "placeholder_values",
    "markdown_table",
    "en",
    """
| Variable | Example value |
|---|---|
| `API_KEY` | `<your-api-key>` |
| `DB_PASSWORD` | `changeme-in-prod-XXXX` |
| `ADMIN_EMAIL` | `⟪ex_email⟫` |
""",
)
N(
    "snmp_oids",
    "csv_export",
    "en",
    """
metric,oid,type
ifInOctets,1.3.6.1.2.1.2.2.1.10,counter
upsBatteryCapacity,⟪oid⟫,gauge
cpuLoad,⟪oid⟫,gauge
""",
)
N(
    "email_like_strings",
    "bulleted_list",
    "en",
    """
Reviewers for this release:
- @⟪user⟫ (backend)
- @⟪user⟫ (frontend)
- team @platform/infra
Packages: @babel/core@⟪ver⟫, @types/react@⟪ver⟫
""",
)
N(
    "loopback_and_special_ips",
    "markdown_table",
    "en",
    """
| Address | Meaning |
|---|---|
| 127.0.0.1 | loopback |
| 0.0.0.0 | all interfaces |
| ⟪special_ip⟫ | special-purpose |
| 255.255.255.255 | limited broadcast |
""",
)

# ---------------------------------------------------------------- proportions
# target number of records per part of the corpus mix; each template's n is a relative weight
SECTION_TARGET = {"code": 375, "web": 310, "msg": 310, "logs": 125, "tables": 125}


def rebalance():
    for sec, target in SECTION_TARGET.items():
        ts_ = [t for t in TEMPLATES if t["sec"] == sec]
        tot = sum(t["n"] for t in ts_)
        exact = [target * t["n"] / tot for t in ts_]
        ns = [max(1, int(x)) for x in exact]
        rem = target - sum(ns)
        order = sorted(range(len(ts_)), key=lambda i: -(exact[i] - int(exact[i])))
        for i in order[: max(0, rem)]:
            ns[i] += 1
        for t, n in zip(ts_, ns):
            t["n"] = n
    assert set(t["sec"] for t in TEMPLATES) == set(SECTION_TARGET)


# ---------------------------------------------------------------- engine
PH_RE = re.compile(r"⟪([a-z0-9_]+)(?::([a-z0-9_]+))?⟫")


def render(tpl, lang, r):
    out, spans, cache, pos, last = [], [], {}, 0, 0
    for m in PH_RE.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        kind, tag = m.group(1), m.group(2)
        key = (kind, tag) if tag else None
        if key and key in cache:
            val = cache[key]
        elif kind == "basic":
            val = basic_b64(r, cache)
        elif kind in LABELLED:
            val = LABELLED[kind][1](r, lang)
        elif kind in FILL:
            val = FILL[kind](r, lang)
        else:
            raise SystemExit("unknown placeholder kind %r" % kind)
        if tag == "b" and (kind, "a") in cache and kind in FILL:
            for _ in range(20):  # second speaker / second value differs from the first
                if val != cache[(kind, "a")]:
                    break
                val = FILL[kind](r, lang)
        if key:
            cache[key] = val
        out.append(val)
        if kind in LABELLED or kind == "basic":
            ent = "SECRET" if kind == "basic" else LABELLED[kind][0]
            spans.append({"start": pos, "end": pos + len(val), "entity": ent, "_kind": kind, "_val": val})
        pos += len(val)
        last = m.end()
    out.append(tpl[last:])
    text = "".join(out)
    for s in spans:
        assert text[s["start"] : s["end"]] == s["_val"], (s, text)
    return text, spans


# ---------------------------------------------------------------- scanner
SCAN_IP4 = re.compile(r"(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?!\d|\.\d)")
SCAN_IP6 = re.compile(r"(?<![\w:.])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w:.])")
SCAN_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![A-Za-z0-9-])")
SCAN_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
SCAN_EXEMPT_IP = {"version_strings", "snmp_oids"}


def reserved_domain(dom):
    dom = dom.lower().rstrip(".")
    if any(dom == d or dom.endswith("." + d) for d in RESERVED_DOMAINS):
        return True
    return dom.rsplit(".", 1)[-1] in RESERVED_TLDS


def scan(text, cat):
    hits = []
    if cat not in SCAN_EXEMPT_IP:
        for m in SCAN_IP4.finditer(text):
            if is_public_ip(m.group(1)):
                hits.append(("ip", m.group(1)))
        for m in SCAN_IP6.finditer(text):
            if ":" in m.group(1) and is_public_ip(m.group(1)):
                hits.append(("ip6", m.group(1)))
    for m in SCAN_EMAIL.finditer(text):
        if not reserved_domain(m.group(1)):
            hits.append(("email", m.group(0)))
    for m in SCAN_CARD.finditer(text):
        d = re.sub(r"[ -]", "", m.group(0))
        if 13 <= len(d) <= 19 and brand_of(d) and luhn_ok(d):
            hits.append(("card", m.group(0)))
    return hits


def blank_spans(text, spans):
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# ---------------------------------------------------------------- value checks
def check_span(s):
    v, e, k = s["_val"], s["entity"], s["_kind"]
    low = v.lower()
    assert "example" not in low and "xxxx" not in low and not low.startswith("your_"), v
    if e == "IP_ADDRESS":
        assert is_public_ip(v), v
    elif e == "CREDIT_CARD":
        assert re.fullmatch(r"\d+(?:[ -]\d+)*", v), v
        d = re.sub(r"[ -]", "", v)
        assert brand_of(d) and luhn_ok(d), v
    elif e == "EMAIL_ADDRESS":
        m = re.fullmatch(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)", v)
        assert m and not reserved_domain(m.group(1)), v
    else:
        if k in PASSWORD_KINDS:
            assert pw_ok(v), v
        if k == "pp":
            assert len(re.split(r"[-._ ]", v)) >= 4 and any(c.isdigit() for c in v) and v[0].isalnum(), v
        if k == "pin":
            assert 6 <= len(v) <= 8 and any(c.isdigit() for c in v) and any(c.isalpha() for c in v), v
        assert v == v.strip() and v[-1] not in ".,!?:;", v


def main():
    rebalance()
    recs, seen_text = [], set()
    for ti, t in enumerate(TEMPLATES, 1):
        for vi in range(1, t["n"] + 1):
            for attempt in range(200):
                text, spans = render(t["text"], t["lang"], R)
                if text in seen_text:
                    continue
                spans.sort(key=lambda s: s["start"])
                masked = blank_spans(text, spans)
                hits = scan(masked, t["cat"])
                if not hits:
                    break
            else:
                raise SystemExit(
                    "template %d (%s) cannot be made scanner-clean: %r\n%s" % (ti, t["ctx"], hits, text[:400])
                )
            for a, b in zip(spans, spans[1:]):
                assert a["end"] <= b["start"], ("overlap", ti)
            for s in spans:
                check_span(s)
            if t["cat"] == "positive":
                assert spans, "positive template without spans: %d" % ti
            else:
                assert not spans, "negative template with spans: %d" % ti
            seen_text.add(text)
            recs.append(
                {
                    "id": "t22-%d-%d" % (ti, vi),
                    "text": text,
                    "lang": t["lang"],
                    "context": t["ctx"],
                    "category": t["cat"],
                    "_sec": t["sec"],
                    "spans": [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in spans],
                    "_kinds": [s["_kind"] for s in spans],
                }
            )
    ids = [x["id"] for x in recs]
    assert len(ids) == len(set(ids))
    assert len({x["text"] for x in recs}) == len(recs)
    # re-verify offsets on the final objects
    for x in recs:
        for s in x["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(x["text"])
        assert re.fullmatch(r"[a-z][a-z0-9_]*", x["context"]) and re.fullmatch(r"[a-z][a-z0-9_]*", x["category"])
    ent = collections.Counter(s["entity"] for x in recs for s in x["spans"])
    cats = collections.Counter(x["category"] for x in recs)
    langs = collections.Counter(x["lang"] for x in recs)
    ctxs = collections.Counter(x["context"] for x in recs)
    secs = collections.Counter(x["_sec"] for x in recs)
    vendors_used = {k for x in recs for k in x["_kinds"] if k in VENDOR}
    negs = sum(v for k, v in cats.items() if k != "positive")
    print("records: %d  (positive %d, hard negative %d)" % (len(recs), cats["positive"], negs))
    print("templates: %d" % len(TEMPLATES))
    print("corpus mix:", ", ".join("%s=%d (%.0f%%)" % (k, v, 100.0 * v / len(recs)) for k, v in secs.items()))
    print("spans per entity:", dict(sorted(ent.items())))
    print("vendor token formats used (%d): %s" % (len(vendors_used), ", ".join(sorted(vendors_used))))
    print("hard-negative categories (%d):" % (len(cats) - 1))
    for k, v in sorted(cats.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %-34s %d" % (k, v))
    print(
        "languages (%d): %s"
        % (len(langs), ", ".join("%s=%d" % kv for kv in sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))))
    )
    print(
        "contexts (%d): %s"
        % (len(ctxs), ", ".join("%s=%d" % kv for kv in sorted(ctxs.items(), key=lambda kv: (-kv[1], kv[0]))))
    )
    fails = []
    if len(recs) < 1150:
        fails.append("records")
    if negs < 500:
        fails.append("negatives")
    if len(cats) - 1 < 35:
        fails.append("neg categories")
    if ent["SECRET"] < 600:
        fails.append("SECRET")
    if ent["EMAIL_ADDRESS"] < 200:
        fails.append("EMAIL")
    if ent["IP_ADDRESS"] < 200:
        fails.append("IP")
    if ent["CREDIT_CARD"] < 100:
        fails.append("CARD")
    if len(TEMPLATES) < 300:
        fails.append("templates")
    if len(vendors_used) < 40:
        fails.append("vendors")
    if len(langs) < 30:
        fails.append("langs")
    if fails and "--draft" not in sys.argv:
        raise SystemExit("size targets not met: %s" % fails)
    elif fails:
        print("DRAFT: targets not met:", fails)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset22.jsonl")
    if "--draft" in sys.argv:
        out = "/tmp/t22/draft.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for x in recs:
            x.pop("_kinds")
            x.pop("_sec")
            f.write(json.dumps(x, ensure_ascii=False) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
