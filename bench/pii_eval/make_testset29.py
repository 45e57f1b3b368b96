#!/usr/bin/env python3
"""Generator for blind PII test set 29 (pii_testset29.jsonl).

What it does
------------
Builds about 1200 labelled records for a PII / secrets detector, deterministically
(random.Random(292929), Python standard library only).  Records imitate what ordinary
people and small teams write down: chat exports, support tickets, e-mails to colleagues
and family, onboarding / handover notes, wiki pages, account lists pasted as CSV / TSV /
Markdown / HTML / plain-text tables, invoices, receipts, order confirmations and web
forms in 40+ natural languages (about 65 % of the records), plus code, config files and
logs that such teams share (about 35 %).  Roughly half of the records are hard negatives
(order / booking / tracking / ticket numbers, masked cards, password hashes, digests,
ids, usernames, placeholders, password-policy text, public / publishable keys, network
names, private and documentation IP ranges, example.* e-mail addresses, ...).

Every template is a hand-written text with placeholders ``⟦kind⟧`` (or ``⟦kind=tag⟧`` to
reuse one value inside a record).  The renderer walks the template left to right,
generates a fresh random value for each placeholder and records the span offsets at the
moment it inserts a labelled value (offsets are never searched for afterwards).

Entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET (see the labelling guide in the
task brief; only the value is labelled, never a label, quote, ``Bearer ``/``Basic ``/
``token ``/``base64:`` prefix, user name or the user part of ``user:password``).

Checks (all fatal assertions, run on the final data)
----------------------------------------------------
* text[start:end] equals the value that was inserted for every span;
* spans are sorted and do not overlap; positives have >= 1 span, negatives have none;
* every labelled IP parses, is_global, and is outside 192.0.2/24, 198.51.100/24,
  203.0.113/24 and 2001:db8::/32;
* every labelled card has a real brand prefix + length (Visa, Mastercard, Amex,
  Discover, JCB, Diners, UnionPay) and passes Luhn;
* every labelled e-mail has a non-reserved domain (not example.com/.org/.net, .test,
  .invalid, .localhost, .example);
* labelled passwords are >= 8 chars, mix >= 2 character classes, never start with a
  symbol and never end in . , ! ? : ; ; no labelled value contains EXAMPLE/example/xxxx;
* ids are unique and no text occurs twice;
* a simple scanner over negative texts and over the unlabelled parts of positive
  texts (labelled spans blanked out) finds no public IPv4/IPv6 address, no Luhn-valid
  brand-prefixed card number (runs of digits with single space/dash separators, every
  contiguous group combination of 13-19 digits) and no e-mail address on a non-reserved
  domain.  There are no category-specific exceptions.  A record whose random values
  trip the scanner is re-drawn (deterministically) before the final assertion pass.

At the end a summary (record counts, spans per entity, vendor formats, categories,
languages, contexts) is printed.
"""

import base64
import hashlib
import ipaddress
import json
import os
import random
import re
import string
import sys
from collections import Counter

SEED = 292929
R = random.Random(SEED)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset29.jsonl")

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def rs(alpha, n):
    return "".join(R.choice(alpha) for _ in range(n))


def rdig(n, first_nonzero=True):
    s = R.choice("123456789") if first_nonzero else R.choice(DG)
    return s + rs(DG, n - 1)


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


# ---------------------------------------------------------------------------
# name pools
# ---------------------------------------------------------------------------
ROMAN_FIRST = [
    "anna",
    "jonas",
    "camille",
    "lucia",
    "giulia",
    "joao",
    "sanne",
    "elin",
    "ingrid",
    "mette",
    "aino",
    "pawel",
    "petra",
    "zuzana",
    "eszter",
    "ioana",
    "elif",
    "maria",
    "dmitri",
    "oksana",
    "georgi",
    "marko",
    "ivana",
    "nina",
    "ruta",
    "liga",
    "kadri",
    "layla",
    "noa",
    "maryam",
    "priya",
    "tania",
    "somchai",
    "thu",
    "dewi",
    "aisyah",
    "paolo",
    "xiaoming",
    "misaki",
    "minji",
    "amina",
    "kavitha",
    "laia",
    "megan",
    "tom",
    "rahul",
    "omar",
    "itai",
    "sakib",
    "juma",
]
ROMAN_LAST = [
    "berger",
    "wolff",
    "laurent",
    "ortega",
    "ferri",
    "ferreira",
    "devries",
    "lindqvist",
    "haugen",
    "kjaer",
    "virtanen",
    "nowak",
    "dvorakova",
    "kovac",
    "nagy",
    "popescu",
    "yilmaz",
    "papadopoulou",
    "volkov",
    "shevchenko",
    "petrov",
    "jovanovic",
    "horvat",
    "zupan",
    "petrauskas",
    "berzina",
    "tamm",
    "haddad",
    "cohen",
    "rezaei",
    "sharma",
    "rahman",
    "jaidee",
    "nguyen",
    "lestari",
    "rahim",
    "santos",
    "wang",
    "sato",
    "kim",
    "mwangi",
    "raj",
    "puig",
    "doyle",
    "ashworth",
    "verma",
    "khatib",
    "levi",
    "hasan",
    "otieno",
]

NAMES = {
    "en": ["Megan Doyle", "Tom Ashworth", "Priya Raman", "Jake Miller", "Sarah Quinn", "Owen Price"],
    "de": ["Jonas Berger", "Katrin Wolff", "Lukas Heinemann", "Sabine Roth", "Felix Brandt"],
    "fr": ["Camille Laurent", "Hugo Bernard", "Léa Moreau", "Mathieu Girard", "Chloé Fabre"],
    "es": ["Lucía Ortega", "Javier Molina", "Carmen Ruiz", "Diego Navarro", "Paula Iglesias"],
    "it": ["Giulia Ferri", "Marco Bellini", "Chiara Conti", "Luca Romano"],
    "pt": ["João Ferreira", "Beatriz Costa", "Rafael Almeida", "Inês Duarte"],
    "nl": ["Sanne de Vries", "Bram Jansen", "Eva Bakker", "Thijs Visser"],
    "sv": ["Elin Lindqvist", "Oskar Berg", "Maja Holm", "Viktor Sjöberg"],
    "nb": ["Ingrid Haugen", "Sindre Dahl", "Kari Solberg", "Magnus Lie"],
    "da": ["Mette Kjær", "Rasmus Holm", "Freja Nielsen", "Anders Bech"],
    "fi": ["Aino Virtanen", "Mikko Laine", "Sanna Heikkinen", "Juha Koskinen"],
    "pl": ["Agnieszka Nowak", "Paweł Wiśniewski", "Magda Zielińska", "Tomasz Kowal"],
    "cs": ["Petra Dvořáková", "Jan Novotný", "Lucie Králová", "Martin Černý"],
    "sk": ["Zuzana Horváthová", "Peter Kováč", "Jana Balážová", "Michal Varga"],
    "hu": ["Nagy Eszter", "Kovács Bence", "Tóth Réka", "Szabó Dániel"],
    "ro": ["Ioana Popescu", "Andrei Ionescu", "Elena Dumitru", "Mihai Stan"],
    "tr": ["Elif Yılmaz", "Mehmet Demir", "Zeynep Kaya", "Burak Şahin"],
    "el": ["Μαρία Παπαδοπούλου", "Γιώργος Νικολάου", "Ελένη Γεωργίου", "Κώστας Δημητρίου"],
    "ru": ["Анна Смирнова", "Дмитрий Волков", "Ольга Кузнецова", "Сергей Морозов"],
    "uk": ["Оксана Шевченко", "Андрій Коваленко", "Ірина Бондар", "Тарас Мельник"],
    "bg": ["Мария Иванова", "Георги Петров", "Десислава Колева", "Николай Стоянов"],
    "sr": ["Марко Јовановић", "Јелена Петровић", "Немања Илић", "Ана Николић"],
    "hr": ["Ivana Horvat", "Luka Babić", "Petra Marić", "Ante Jurić"],
    "sl": ["Nina Kovač", "Matej Zupan", "Eva Krajnc", "Rok Potočnik"],
    "lt": ["Rūta Kazlauskienė", "Tomas Petrauskas", "Eglė Jankauskaitė", "Mantas Stankevičius"],
    "lv": ["Līga Bērziņa", "Jānis Kalniņš", "Ilze Ozola", "Mārtiņš Liepa"],
    "et": ["Kadri Tamm", "Margus Saar", "Liis Kask", "Andres Mägi"],
    "ar": ["ليلى حداد", "عمر الخطيب", "سارة منصور", "يوسف العلي"],
    "he": ["נועה כהן", "איתי לוי", "מיכל אברהם", "יונתן פרץ"],
    "fa": ["مریم رضایی", "علی احمدی", "سارا محمدی", "رضا کریمی"],
    "hi": ["प्रिया शर्मा", "राहुल वर्मा", "अनीता गुप्ता", "विकास सिंह"],
    "bn": ["তানিয়া রহমান", "সাকিব হাসান", "নুসরাত জাহান", "রাকিব চৌধুরী"],
    "th": ["สมชาย ใจดี", "นภา ศรีสุข", "วิชัย ทองดี", "มาลี แก้วใส"],
    "vi": ["Nguyễn Thu Hà", "Trần Minh Đức", "Lê Thị Mai", "Phạm Quốc Bảo"],
    "id": ["Dewi Lestari", "Budi Santoso", "Rina Wulandari", "Agus Pratama"],
    "ms": ["Nur Aisyah", "Ahmad Faizal", "Siti Hajar", "Hafiz Rahman"],
    "tl": ["Maria Santos", "Jose Reyes", "Ana Cruz", "Paolo Bautista"],
    "zh": ["王晓明", "李娜", "张伟", "陈静"],
    "ja": ["佐藤 美咲", "鈴木 健太", "高橋 由美", "田中 翔"],
    "ko": ["김민지", "이준호", "박서연", "최현우"],
    "sw": ["Amina Mwangi", "Juma Otieno", "Neema Wanjiku", "Baraka Kimani"],
    "ta": ["கவிதா ராஜ்", "அருண் குமார்", "மீனா சுந்தர்", "கார்த்திக் ராமன்"],
    "ca": ["Laia Puig", "Jordi Vidal", "Marta Soler", "Pau Ferrer"],
}

LANG_TLD = {
    "de": "de",
    "fr": "fr",
    "es": "es",
    "it": "it",
    "pt": "pt",
    "nl": "nl",
    "sv": "se",
    "nb": "no",
    "da": "dk",
    "fi": "fi",
    "pl": "pl",
    "cs": "cz",
    "sk": "sk",
    "hu": "hu",
    "ro": "ro",
    "tr": "com.tr",
    "el": "gr",
    "ru": "ru",
    "uk": "com.ua",
    "bg": "bg",
    "sr": "rs",
    "hr": "hr",
    "sl": "si",
    "lt": "lt",
    "lv": "lv",
    "et": "ee",
    "ar": "ae",
    "he": "co.il",
    "fa": "ir",
    "hi": "in",
    "bn": "com.bd",
    "th": "co.th",
    "vi": "vn",
    "id": "co.id",
    "ms": "my",
    "tl": "ph",
    "zh": "cn",
    "ja": "jp",
    "ko": "co.kr",
    "sw": "co.ke",
    "ta": "in",
    "ca": "cat",
    "en": "com",
}
PROVIDERS = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "proton.me",
    "icloud.com",
    "gmx.de",
    "web.de",
    "orange.fr",
    "libero.it",
    "seznam.cz",
    "wp.pl",
    "mail.ru",
    "yandex.ru",
    "ukr.net",
    "naver.com",
    "qq.com",
    "163.com",
    "yahoo.co.jp",
    "abv.bg",
    "freemail.hu",
    "mail.ee",
    "inbox.lv",
    "tutanota.com",
    "fastmail.com",
    "posteo.de",
    "zoho.com",
    "hey.com",
]
CO_WORDS = [
    "nordvik",
    "brenner",
    "altamira",
    "kestrel",
    "lumen",
    "vesta",
    "harbor",
    "tidewell",
    "copperleaf",
    "ostara",
    "mirabel",
    "quarzo",
    "falkenrot",
    "sunbay",
    "verdant",
    "pinecrest",
    "arcadia",
    "solvik",
    "bluefin",
    "marlow",
    "zenit",
    "kappa",
    "orchid",
    "tundra",
    "helix",
    "granite",
    "corvus",
    "linden",
]
CO_SUFFIX = [
    "",
    "-studio",
    "-logistik",
    "-consult",
    "-dental",
    "-bau",
    "-media",
    "-tech",
    "-group",
    "-bakery",
    "-law",
    "-travel",
    "labs",
    "works",
]
CUR = {"lang": "en"}


def company_domain():
    tld = LANG_TLD.get(CUR["lang"], "com") if R.random() < 0.7 else R.choice(["com", "io", "net", "org", "eu"])
    return R.choice(CO_WORDS) + R.choice(CO_SUFFIX) + "." + tld


def local_part():
    f, l = R.choice(ROMAN_FIRST), R.choice(ROMAN_LAST)
    style = R.randint(0, 6)
    if style == 0:
        return f + "." + l
    if style == 1:
        return f[0] + l
    if style == 2:
        return f + "_" + l + str(R.randint(1, 99))
    if style == 3:
        return f + str(R.randint(70, 99))
    if style == 4:
        return R.choice(
            [
                "info",
                "office",
                "billing",
                "kontakt",
                "hr",
                "it-support",
                "accounts",
                "admin",
                "buchhaltung",
                "reservations",
            ]
        )
    if style == 5:
        return l + "." + f[0]
    return f + "-" + l


# ---------------------------------------------------------------------------
# labelled value generators
# ---------------------------------------------------------------------------
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("test", "invalid", "localhost", "example")


def email_domain_reserved(dom):
    dom = dom.lower().rstrip(".")
    if any(dom == d or dom.endswith("." + d) for d in RESERVED_DOMAINS):
        return True
    return dom.rsplit(".", 1)[-1] in RESERVED_TLDS


def g_email():
    dom = R.choice(PROVIDERS) if R.random() < 0.5 else company_domain()
    return local_part() + "@" + dom


DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_is_public(s):
    ip = ipaddress.ip_address(s)
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return False
    return not any(ip in n for n in DOC_NETS)


def g_ip4():
    while True:
        s = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if ip_is_public(s):
            return s


V6_PREFIX = [
    "2a01:4f8",
    "2a02:8070",
    "2a00:1450",
    "2600:1f18",
    "2406:da18",
    "2001:41d0",
    "2a03:2880",
    "2804:14c",
    "2c0f:f248",
    "2401:4900",
    "2a05:d014",
    "2607:f8b0",
    "2a0a:a541",
]


def g_ip6():
    while True:
        pre = R.choice(V6_PREFIX)
        groups = pre.split(":")
        while len(groups) < 8:
            groups.append("%x" % (R.randint(0, 0xFFFF) if R.random() < 0.6 else 0))
        s = str(ipaddress.ip_address(":".join(groups)))
        if ip_is_public(s) and s.count(":") >= 2:
            return s


def g_ip():
    return g_ip6() if R.random() < 0.2 else g_ip4()


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


def luhn_check_digit(partial):
    for c in DG:
        if luhn_ok(partial + c):
            return c


def card_brand(d):
    n = len(d)
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    p2, p4, p3 = int(d[:2]), int(d[:4]), int(d[:3])
    if n == 16 and (51 <= p2 <= 55 or 2221 <= p4 <= 2720):
        return "mastercard"
    if n == 15 and p2 in (34, 37):
        return "amex"
    if n in (16, 19) and (d.startswith("6011") or d.startswith("65") or 644 <= p3 <= 649):
        return "discover"
    if n in (16, 19) and 3528 <= p4 <= 3589:
        return "jcb"
    if n == 14 and (p2 in (36, 38) or 300 <= p3 <= 305):
        return "diners"
    if n in (16, 17, 18, 19) and d.startswith("62"):
        return "unionpay"
    return None


CARD_SPECS = [
    ("visa", lambda: "4", 16, 30),
    ("mc", lambda: str(R.randint(51, 55)), 16, 16),
    ("mc2", lambda: str(R.randint(2221, 2720)), 16, 6),
    ("amex", lambda: R.choice(["34", "37"]), 15, 12),
    ("disc", lambda: R.choice(["6011", "65", str(R.randint(644, 649))]), 16, 6),
    ("jcb", lambda: str(R.randint(3528, 3589)), 16, 5),
    ("diners", lambda: R.choice(["36", "38"]), 14, 3),
    ("up", lambda: "62", 16, 5),
]


def card_digits(brand=None):
    specs = [s for s in CARD_SPECS if brand is None or s[0] == brand]
    spec = R.choices(specs, weights=[s[3] for s in specs])[0]
    pre = spec[1]()
    body = pre + rs(DG, spec[2] - len(pre) - 1)
    return body + luhn_check_digit(body)


def fmt_card(d, style=None):
    style = style or R.choice(["plain", "space", "space", "dash"])
    if style == "plain":
        return d
    sep = " " if style == "space" else "-"
    if len(d) == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(parts)


def g_card():
    return fmt_card(card_digits())


# passwords -----------------------------------------------------------------
PW_SYM = "!#%*-_+=^~."
URL_SYM = "-_~."


def pw_ok(p):
    classes = sum([any(c.islower() for c in p), any(c.isupper() for c in p), any(c.isdigit() for c in p)])
    return (
        len(p) >= 8
        and classes >= 2
        and p[0].isalnum()
        and p[-1] not in ".,!?:;"
        and p[-1].isalnum()
        and "xxxx" not in p.lower()
        and "example" not in p.lower()
    )


def g_pw(sym=PW_SYM, lo=9, hi=16):
    while True:
        n = R.randint(lo, hi)
        chars = [R.choice(AN)]
        for _ in range(n - 2):
            chars.append(R.choice(sym) if R.random() < 0.14 else R.choice(AN))
        chars.append(R.choice(AN))
        p = "".join(chars)
        if pw_ok(p) and sum(c.isdigit() for c in p) >= 1:
            return p


def g_pwu():
    return g_pw(URL_SYM, 10, 20)


WORDS = [
    "maple",
    "orbit",
    "lantern",
    "copper",
    "violet",
    "harbor",
    "pebble",
    "thunder",
    "falcon",
    "meadow",
    "quartz",
    "saffron",
    "glacier",
    "tundra",
    "willow",
    "ember",
    "canyon",
    "biscuit",
    "nebula",
    "walrus",
    "cobalt",
    "juniper",
    "marble",
    "pepper",
    "raven",
    "sprocket",
    "tulip",
    "velvet",
    "zephyr",
    "anchor",
    "bramble",
    "cactus",
    "dynamo",
    "fjord",
    "gadget",
    "hazel",
    "igloo",
    "jigsaw",
    "kettle",
    "lobster",
]


def g_pp():
    n = R.randint(3, 4)
    ws = R.sample(WORDS, n)
    ws = [w.capitalize() if R.random() < 0.4 else w for w in ws]
    pos = R.randrange(n)
    ws[pos] = ws[pos] + str(R.randint(2, 99)) if R.random() < 0.5 else ws[pos]
    sep = R.choice("-._")
    p = sep.join(ws)
    if not any(c.isdigit() for c in p):
        p = p + sep + str(R.randint(10, 999))
    return p


def g_psk():
    return g_pp() if R.random() < 0.35 else g_pw(PW_SYM, 12, 20)


def g_pin():
    while True:
        n = R.randint(6, 8)
        p = rs(UP + DG, n)
        if any(c.isdigit() for c in p) and sum(c.isalpha() for c in p) >= 2:
            return p


# vendor tokens -----------------------------------------------------------
def _jwt():
    hdr = b64u(json.dumps({"alg": R.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}, separators=(",", ":")).encode())
    payload = {"sub": str(R.randint(10000, 99999999)), "iat": R.randint(1690000000, 1730000000)}
    payload["exp"] = payload["iat"] + R.choice([900, 3600, 86400])
    if R.random() < 0.5:
        payload["role"] = R.choice(["admin", "user", "service", "editor"])
    pl = b64u(json.dumps(payload, separators=(",", ":")).encode())
    return hdr + "." + pl + "." + rs(B64U, R.choice([43, 86]))


def _discord():
    uid = str(R.randint(10**17, 10**18 - 1))
    return b64u(uid.encode()) + "." + rs(B64U, 6) + "." + rs(B64U, 38)


def _b64lines(nbytes, width=64):
    s = base64.b64encode(bytes(R.getrandbits(8) for _ in range(nbytes))).decode()
    return "\n".join(s[i : i + width] for i in range(0, len(s), width))


def _privkey(kind=None):
    kind = kind or R.choice(["RSA", "OPENSSH", "EC", "PKCS8"])
    if kind == "RSA":
        return (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA"
            + _b64lines(R.randint(420, 700))[16:]
            + "\n-----END RSA PRIVATE KEY-----"
        )
    if kind == "OPENSSH":
        return (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
            + _b64lines(R.randint(250, 330), 70)
            + "\n-----END OPENSSH PRIVATE KEY-----"
        )
    if kind == "EC":
        return "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI" + _b64lines(110)[9:] + "\n-----END EC PRIVATE KEY-----"
    return (
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
        + _b64lines(R.randint(400, 640))[32:]
        + "\n-----END PRIVATE KEY-----"
    )


VENDOR = {
    "akid": lambda: R.choice(["AKIA", "AKIA", "ASIA"]) + rs(B32, 16),
    "awssk": lambda: R.choice(AN) + rs(AN + "/+", 38) + R.choice(AN),
    "ghp": lambda: "ghp_" + rs(AN, 36),
    "gho": lambda: R.choice(["gho_", "ghs_", "ghu_"]) + rs(AN, 36),
    "ghpat": lambda: "github_pat_11" + rs(UP + DG, 20) + "_" + rs(AN, 59),
    "glpat": lambda: "glpat-" + rs(AN + "-_", 20),
    "xoxb": lambda: "xoxb-" + rdig(11) + "-" + rdig(13) + "-" + rs(AN, 24),
    "xoxp": lambda: "xoxp-" + rdig(11) + "-" + rdig(11) + "-" + rdig(13) + "-" + rs(HEX, 32),
    "sklive": lambda: "sk_live_" + (rs(AN, 24) if R.random() < 0.5 else "51" + rs(AN, 97)),
    "sktest": lambda: R.choice(["sk_test_", "rk_test_"]) + (rs(AN, 24) if R.random() < 0.5 else "51" + rs(AN, 97)),
    "rklive": lambda: "rk_live_" + rs(AN, 24),
    "whsec": lambda: "whsec_" + rs(AN, 32),
    "openai": lambda: (
        ("sk-proj-" + rs(B64U, 74) + "T3BlbkFJ" + rs(B64U, 74))
        if R.random() < 0.6
        else ("sk-" + rs(AN, 20) + "T3BlbkFJ" + rs(AN, 20))
    ),
    "anthropic": lambda: "sk-ant-api03-" + rs(B64U, 93) + "AA",
    "gapi": lambda: "AIza" + rs(B64U, 35),
    "sendgrid": lambda: "SG." + rs(B64U, 22) + "." + rs(B64U, 43),
    "mailgun": lambda: "key-" + rs(HEX, 32),
    "npm": lambda: "npm_" + rs(AN, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64U, 120),
    "shpat": lambda: R.choice(["shpat_", "shpss_", "shpca_"]) + rs(HEX, 32),
    "hf": lambda: "hf_" + rs(UP + LO, 34),
    "dop": lambda: "dop_v1_" + rs(HEX, 64),
    "tgbot": lambda: str(R.randint(500000000, 7999999999)) + ":AA" + rs(B64U, 33),
    "discord": _discord,
    "mailchimp": lambda: rs(HEX, 32) + "-us" + str(R.randint(1, 21)),
    "atlassian": lambda: "ATATT3xFfGF0" + rs(B64U, 170) + "=" + rs("0123456789ABCDEF", 8),
    "doppler": lambda: R.choice(["dp.pt.", "dp.st.dev.", "dp.sa."]) + rs(AN, 43),
    "postman": lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34),
    "square": lambda: R.choice(["EAAA", "EAAA"]) + rs(B64U, 60),
    "linear": lambda: "lin_api_" + rs(AN, 40),
    "notion": lambda: ("secret_" + rs(AN, 43)) if R.random() < 0.5 else ("ntn_" + rdig(11) + rs(AN, 35)),
    "dapi": lambda: "dapi" + rs(HEX, 32),
    "azkey": lambda: rs(B64, 86) + "==",
    "hvs": lambda: "hvs.CAESI" + rs(B64U, 86),
    "tfc": lambda: rs(AN, 14) + ".atlasv1." + rs(AN, 67),
    "pulumi": lambda: "pul-" + rs(HEX, 40),
    "sbp": lambda: "sbp_" + rs(HEX, 40),
    "nrak": lambda: "NRAK-" + rs(UP + DG, 27),
    "age": lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
    "glsa": lambda: "glsa_" + rs(AN, 32) + "_" + rs(HEX, 8),
    "figma": lambda: "figd_" + rs(B64U, 40),
    "alibaba": lambda: "LTAI" + rs(AN, 20),
    "okta": lambda: "00" + rs(B64U, 40),
    "dropbox": lambda: "sl.B" + rs(B64U, 135),
    "jwt": _jwt,
}
GENERIC = {
    "pw": g_pw,
    "pwu": g_pwu,
    "pp": g_pp,
    "psk": g_psk,
    "pin": g_pin,
    "privkey": _privkey,
    "rsakey": lambda: _privkey("RSA"),
    "sshkey": lambda: _privkey("OPENSSH"),
    "eckey": lambda: _privkey("EC"),
    "hex32": lambda: rs(HEX, 32),
    "hex40": lambda: rs(HEX, 40),
    "hex64": lambda: rs(HEX, 64),
    "b64tok": lambda: R.choice(AN) + rs(B64U, R.randint(30, 46)) + R.choice(AN),
    "basic": None,
    "k8s": None,
    "laravel": lambda: base64.b64encode(bytes(R.getrandbits(8) for _ in range(32))).decode(),
    "djkey": lambda: R.choice(AN) + rs(LO + DG + "!#%^*(-_=+)", 48) + R.choice(AN),
    "sess": lambda: rs(LO + DG, 32),
    "phpsess": lambda: rs(LO + DG, 26),
}


def g_basic():
    user = g_user()
    return base64.b64encode((user + ":" + g_pw()).encode()).decode()


def g_k8s():
    return base64.b64encode(g_pw().encode()).decode()


GENERIC["basic"] = g_basic
GENERIC["k8s"] = g_k8s
TOK_CHOICES = [k for k in VENDOR if k not in ("awssk",)]


def g_tok():
    k = R.choice(TOK_CHOICES)
    return VENDOR[k](), k


# ---------------------------------------------------------------------------
# unlabelled value generators (hard-negative material)
# ---------------------------------------------------------------------------
def g_user():
    f, l = R.choice(ROMAN_FIRST), R.choice(ROMAN_LAST)
    return R.choice(
        [
            f[0] + l,
            f + "." + l[0],
            f + str(R.randint(1, 99)),
            "svc_" + R.choice(["backup", "ci", "print", "scan", "sync"]),
            l + "_" + f[0],
            R.choice(["admin", "root", "ops", "deploy", "kasse", "reception"]) + str(R.randint(1, 9)),
        ]
    )


def g_name():
    return R.choice(NAMES.get(CUR["lang"], NAMES["en"]))


def g_exemail():
    dom = R.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "shop.test",
            "corp.example",
            "mail.invalid",
            "dev.localhost",
            "example.com",
        ]
    )
    return local_part() + "@" + dom


def g_privip():
    k = R.randint(0, 4)
    if k == 0:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    if k == 1:
        return "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254))
    if k == 2:
        return "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254))
    return "192.168.%d.%d" % (R.choice([0, 1, 1, 2, 10, 178, R.randint(0, 255)]), R.randint(1, 254))


def g_privip6():
    return R.choice(
        [
            "fd%02x:%x:%x::%x" % (R.randint(0, 255), R.randint(1, 0xFFFF), R.randint(1, 0xFFFF), R.randint(1, 0xFFF)),
            "fe80::%x:%x:%x:%x" % tuple(R.randint(1, 0xFFFF) for _ in range(4)),
        ]
    )


def g_docip():
    return R.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(R.randint(1, 254))


def g_docip6():
    return "2001:db8:%x::%x" % (R.randint(0, 0xFFFF), R.randint(1, 0xFFF))


def g_masked():
    last = rs(DG, 4)
    return R.choice(
        [
            "**** **** **** " + last,
            "XXXX-XXXX-XXXX-" + last,
            "•••• " + last,
            "************" + last,
            "4" + rs(DG, 5) + "******" + last,
            "xxxx xxxx xxxx " + last,
            "*" + last,
        ]
    )


def g_badcard():
    d = card_digits()
    c = int(d[-1])
    return fmt_card(d[:-1] + str((c + R.randint(1, 9)) % 10))


def g_bcrypt():
    return "$2" + R.choice("aby") + "$" + R.choice(["10", "12", "12", "14"]) + "$" + rs("./" + AN, 53)


def g_crypt():
    k = R.choice(["1", "5", "6", "6"])
    n = {"1": 22, "5": 43, "6": 86}[k]
    return "$" + k + "$" + rs("./" + AN, R.randint(8, 16)) + "$" + rs("./" + AN, n)


def g_argon2():
    return "$argon2id$v=19$m=65536,t=3,p=4$" + rs(B64[:-2] + "+/", 22) + "$" + rs(B64[:-2] + "+/", 43)


def g_cisco():
    return R.choice(["$8$", "$9$"]) + rs("./" + AN, 14) + "$" + rs("./" + AN, 43)


NEG = {
    "name": g_name,
    "user": g_user,
    "exemail": g_exemail,
    "privip": g_privip,
    "privip6": g_privip6,
    "docip": g_docip,
    "docip6": g_docip6,
    "masked": g_masked,
    "badcard": g_badcard,
    "bcrypt": g_bcrypt,
    "crypt": g_crypt,
    "argon2": g_argon2,
    "cisco": g_cisco,
    "loopback": lambda: R.choice(["127.0.0.1", "::1", "localhost", "127.0.1.1", "0.0.0.0"]),
    "order": lambda: R.choice(
        [
            "ORD-%d-%06d" % (R.randint(2023, 2025), R.randint(0, 999999)),
            "#%d" % R.randint(10000, 999999),
            "%03d-%07d-%07d" % (R.randint(100, 999), R.randint(0, 9999999), R.randint(0, 9999999)),
            "B%s" % rs(UP + DG, 9),
            "%d" % R.randint(100000000, 999999999),
        ]
    ),
    "pnr": lambda: rs("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6),
    "track": lambda: R.choice(
        [
            "1Z" + rs(UP + DG, 6) + rdig(10, False),
            "JJD" + rs(DG, 18),
            "RR" + rs(DG, 9) + R.choice(["DE", "FR", "PL", "CN"]),
            "LP" + rs(DG, 14) + "CN",
            "00340434" + rs(DG, 12),
            "TBA" + rs(DG, 12),
        ]
    ),
    "ticket": lambda: R.choice(
        [
            "INC%07d" % R.randint(0, 9999999),
            "#%d" % R.randint(1000, 99999),
            "%s-%d" % (R.choice(["SUP", "OPS", "HELP", "IT", "CS"]), R.randint(10, 9999)),
            "TCK-%s" % rs(UP + DG, 6),
        ]
    ),
    "invoice": lambda: R.choice(
        [
            "RE-%d-%04d" % (R.randint(2023, 2025), R.randint(1, 9999)),
            "INV-%05d" % R.randint(1, 99999),
            "F%d/%03d" % (R.randint(2023, 2025), R.randint(1, 999)),
            "%d/%d" % (R.randint(1, 999), R.randint(2023, 2025)),
        ]
    ),
    "custno": lambda: R.choice(
        ["%06d" % R.randint(0, 999999), "K-%05d" % R.randint(0, 99999), "C%08d" % R.randint(0, 99999999)]
    ),
    "phone": lambda: R.choice(
        [
            "+%d %d %d %d" % (R.randint(30, 49), R.randint(10, 999), R.randint(100, 999), R.randint(1000, 9999)),
            "0%d %d %d" % (R.randint(10, 99), R.randint(100, 999), R.randint(1000, 9999)),
            "(%d) %d-%d" % (R.randint(200, 989), R.randint(200, 999), R.randint(1000, 9999)),
        ]
    ),
    "sha256": lambda: rs(HEX, 64),
    "sha1": lambda: rs(HEX, 40),
    "md5": lambda: rs(HEX, 32),
    "gitsha": lambda: rs(HEX, R.choice([7, 8, 40])),
    "digest": lambda: "sha256:" + rs(HEX, 64),
    "uuid": lambda: (
        "%s-%s-4%s-%s%s-%s" % (rs(HEX, 8), rs(HEX, 4), rs(HEX, 3), R.choice("89ab"), rs(HEX, 3), rs(HEX, 12))
    ),
    "placeholder": lambda: R.choice(
        [
            "<your-api-key>",
            "YOUR_API_KEY_HERE",
            "REPLACE_ME",
            "<password>",
            "changeme-later",
            "<insert token>",
            "TODO",
            "********",
            "your_secret_here",
            "<PASTE_KEY>",
            "{{ api_key }}",
        ]
    ),
    "envref": lambda: R.choice(
        [
            "${DB_PASSWORD}",
            "$API_TOKEN",
            "${{ secrets.DEPLOY_KEY }}",
            "%SMTP_PASS%",
            "process.env.STRIPE_KEY",
            "os.environ['OPENAI_API_KEY']",
            "${env:GITHUB_TOKEN}",
            "{{ vault_db_password }}",
            'ENV["MAIL_PASS"]',
        ]
    ),
    "pklive": lambda: R.choice(["pk_live_", "pk_test_"]) + (rs(AN, 24) if R.random() < 0.5 else "51" + rs(AN, 97)),
    "mapbox": lambda: "pk.eyJ1Ijoi" + rs(B64U, 20) + "IiwiYSI6Im" + rs(B64U, 24) + "." + rs(B64U, 22),
    "gclient": lambda: rdig(12) + "-" + rs(LO + DG, 32) + ".apps.googleusercontent.com",
    "recaptcha": lambda: "6L" + rs(B64U, 38),
    "ssid": lambda: R.choice(
        [
            "FRITZ!Box 7590 " + rs(UP, 2),
            "Vodafone-" + rs(UP + DG, 4),
            "Cafe_Lumen_Guest",
            "HomeNet_5G",
            "TP-Link_" + rs("0123456789ABCDEF", 4),
            "Office-Staff",
            "eduroam",
            "Livebox-" + rs(UP + DG, 4),
            "Gaeste-WLAN",
            "Pension Linde",
            "Ziggo" + rs(DG, 7),
        ]
    ),
    "csrf": lambda: rs(B64U, R.choice([32, 40, 64])),
    "nonce": lambda: rs(B64U, R.choice([16, 22, 24])),
    "reqid": lambda: R.choice(
        ["req_" + rs(AN, 14), rs(HEX, 32), "Root=1-" + rs(HEX, 8) + "-" + rs(HEX, 24), rs(HEX, 16)]
    ),
    "traceid": lambda: rs(HEX, 32),
    "spanid": lambda: rs(HEX, 16),
    "cachekey": lambda: R.choice(
        [
            "user:%d:profile:v%d" % (R.randint(1, 99999), R.randint(1, 5)),
            "sess_meta:" + rs(HEX, 12),
            "cart:%d" % R.randint(1, 999999),
            "rate:%s:%d" % (rs(LO, 5), R.randint(1, 999)),
        ]
    ),
    "accessor": lambda: rs(AN, 24),
    "btc": lambda: "bc1q" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 38),
    "eth": lambda: "0x" + rs("0123456789abcdefABCDEF", 40),
    "redacted": lambda: R.choice(
        ["********", "[REDACTED]", "••••••••", "<hidden>", "***", "sk_live_****", "[FILTERED]"]
    ),
    "sshfp": lambda: "SHA256:" + rs(B64[:-2] + "+/", 43),
    "sshpub": lambda: R.choice(
        [
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64[:-2] + "+/", 43),
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + rs(B64[:-2] + "+/", 300),
        ]
    ),
    "cert": lambda: (
        "-----BEGIN CERTIFICATE-----\nMIID" + _b64lines(R.randint(300, 500))[4:] + "\n-----END CERTIFICATE-----"
    ),
    "pubkeypem": lambda: (
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        + _b64lines(260)[44:]
        + "\n-----END PUBLIC KEY-----"
    ),
    "mac": lambda: ":".join("%02x" % R.randint(0, 255) for _ in range(6)),
    "serial": lambda: rs(UP + DG, R.choice([10, 12])),
    "date": lambda: "%d-%02d-%02d" % (R.randint(2023, 2025), R.randint(1, 12), R.randint(1, 28)),
    "ddate": lambda: "%02d.%02d.%d" % (R.randint(1, 28), R.randint(1, 12), R.randint(2023, 2025)),
    "time": lambda: "%02d:%02d" % (R.randint(7, 22), R.randint(0, 59)),
    "amount": lambda: "%d.%02d" % (R.randint(4, 980), R.randint(0, 99)),
    "num": lambda: str(R.randint(2, 60)),
    "port": lambda: str(R.choice([22, 443, 2222, 3306, 5432, 6379, 8080, 8443, 27017])),
    "host": lambda: (
        R.choice(["db01", "nas", "srv-app-0%d" % R.randint(1, 9), "pbx", "build", "files"])
        + "."
        + R.choice(["internal", "lan", "corp.lan", "local", "home.arpa"])
    ),
    "domain": company_domain,
    "exkey": lambda: R.choice(
        [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "xoxb-your-bot-token",
            "AIzaSyEXAMPLE-EXAMPLE-EXAMPLE",
            "sk-your_openai_key",
            "SG.xxxxxxxx.yyyyyyyy",
        ]
    ),
    "kid": lambda: rs(HEX, 8) + "-" + rs(HEX, 4) + "-" + rs(HEX, 4) + "-" + rs(HEX, 4) + "-" + rs(HEX, 12),
}

LAB = {
    "email": ("EMAIL_ADDRESS", g_email),
    "ip4": ("IP_ADDRESS", g_ip4),
    "ip6": ("IP_ADDRESS", g_ip6),
    "ip": ("IP_ADDRESS", g_ip),
    "card": ("CREDIT_CARD", g_card),
    "cardsp": ("CREDIT_CARD", lambda: fmt_card(card_digits(), "space")),
    "carddash": ("CREDIT_CARD", lambda: fmt_card(card_digits(), "dash")),
    "cardplain": ("CREDIT_CARD", lambda: fmt_card(card_digits(), "plain")),
    "amex": ("CREDIT_CARD", lambda: fmt_card(card_digits("amex"))),
    "visa": ("CREDIT_CARD", lambda: fmt_card(card_digits("visa"))),
}
for _k, _f in list(VENDOR.items()) + list(GENERIC.items()):
    LAB[_k] = ("SECRET", _f)
LAB["tok"] = ("SECRET", None)

PH = re.compile(r"⟦([a-z0-9_]+)(?:=([a-z0-9]+))?⟧")
SECRET_KIND = Counter()


def render(tmpl, lang):
    CUR["lang"] = lang
    out, spans, kinds = [], [], []
    pos, last, cache = 0, 0, {}
    for m in PH.finditer(tmpl):
        lit = tmpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        kind, tag = m.group(1), m.group(2)
        key = (kind, tag)
        if tag and key in cache:
            val, ent, vk = cache[key]
        else:
            if kind in LAB:
                ent, fn = LAB[kind]
                if kind == "tok":
                    val, vk = g_tok()
                else:
                    val, vk = fn(), kind
            elif kind in NEG:
                ent, val, vk = None, NEG[kind](), kind
            else:
                raise KeyError("unknown placeholder %s in %r" % (kind, tmpl[:60]))
            if tag:
                cache[key] = (val, ent, vk)
        if ent:
            spans.append({"start": pos, "end": pos + len(val), "entity": ent, "_v": val, "_k": vk})
        out.append(val)
        pos += len(val)
        last = m.end()
    out.append(tmpl[last:])
    text = "".join(out)
    return text, spans


# ---------------------------------------------------------------------------
# scanner for unlabelled material
# ---------------------------------------------------------------------------
RE_V4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d])")
RE_V6 = re.compile(r"(?<![0-9A-Fa-f:])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![0-9A-Fa-f:])")
RE_DIGRUN = re.compile(r"\d+(?:[ -]\d+)*")
RE_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")


def scan(text):
    hits = []
    for m in RE_V4.finditer(text):
        try:
            if ip_is_public(m.group(1)):
                hits.append(("ip4", m.group(1)))
        except ValueError:
            pass
    for m in RE_V6.finditer(text):
        try:
            if ip_is_public(m.group(1)):
                hits.append(("ip6", m.group(1)))
        except ValueError:
            pass
    for m in RE_DIGRUN.finditer(text):
        groups = re.split(r"[ -]", m.group(0))
        for i in range(len(groups)):
            acc = ""
            for j in range(i, len(groups)):
                acc += groups[j]
                if len(acc) > 19:
                    break
                if len(acc) >= 13 and card_brand(acc) and luhn_ok(acc):
                    hits.append(("card", acc))
            # also any 13-19 window inside a long unseparated run
            g = groups[i]
            if len(g) > 19:
                for a in range(len(g) - 12):
                    for L in range(13, 20):
                        w = g[a : a + L]
                        if len(w) == L and card_brand(w) and luhn_ok(w):
                            hits.append(("card", w))
    for m in RE_EMAIL.finditer(text):
        if not email_domain_reserved(m.group(1)):
            hits.append(("email", m.group(0)))
    return hits


def blank_spans(text, spans):
    t = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            if t[i] != "\n":
                t[i] = "\u2588"
    return "".join(t)


# ---------------------------------------------------------------------------
# templates
# ---------------------------------------------------------------------------
TEMPLATES = []


def T(lang, ctx, cat, text, code=False):
    TEMPLATES.append(
        {"lang": lang, "context": ctx, "category": "positive" if cat == "P" else cat, "text": text, "code": code}
    )


def C(ctx, cat, text, lang="en"):
    T(lang, ctx, cat, text, code=True)


# ===== English =====
T(
    "en",
    "chat_export",
    "P",
    """[09:14] ⟦name⟧: can you log into the shared Mailchimp? user is ⟦email⟧
[09:15] ⟦name⟧: password ⟦pw⟧ — please don't paste it anywhere else
[09:15] ⟦name⟧: got it, I'm in""",
)
T(
    "en",
    "support_ticket",
    "P",
    """Ticket ⟦ticket⟧ | Priority: high
Customer reports the charge on card ⟦card⟧ (exp 08/27) failed twice.
Contact: ⟦email⟧
IP at checkout: ⟦ip4⟧
Agent note: asked customer to retry with 3-D Secure.""",
)
T(
    "en",
    "family_email",
    "P",
    """Hi Mum,

the Netflix login is ⟦email⟧ and the new password is ⟦pw⟧. The Wi-Fi at the cabin is "⟦ssid⟧" with key ⟦psk⟧.

Love,
⟦name⟧""",
)
T(
    "en",
    "handover_note",
    "P",
    """## Handover – office IT (please keep private)

| System | Login | Password |
|---|---|---|
| Router admin | admin | ⟦pw⟧ |
| NAS | ⟦user⟧ | ⟦pw⟧ |
| Printer portal | ⟦email⟧ | ⟦pw⟧ |

Static IP from the ISP: ⟦ip4⟧""",
)
T(
    "en",
    "order_confirmation",
    "P",
    """Order ⟦order⟧ confirmed
Ship to: ⟦name⟧
Paid with: ⟦card⟧
Receipt sent to: ⟦email⟧
Total: $⟦amount⟧""",
)
T(
    "en",
    "onboarding_note",
    "P",
    """Welcome aboard! Your VPN gateway is ⟦ip4⟧ and your first-login passphrase is ⟦pp⟧ (you will be asked to change it).
For today the CI bot uses this GitHub token: ⟦ghp⟧ — we will move it to the vault next week.""",
)
T(
    "en",
    "csv_export",
    "P",
    """name,email,phone,temp_password
⟦name⟧,⟦email⟧,⟦phone⟧,⟦pw⟧
⟦name⟧,⟦email⟧,⟦phone⟧,⟦pw⟧
⟦name⟧,⟦email⟧,⟦phone⟧,⟦pw⟧""",
)
T(
    "en",
    "forum_post",
    "P",
    """My home server sits on ⟦ip6⟧ behind the ISP box, port 443 forwarded. Certbot keeps timing out — any idea? Second box is on ⟦ip4⟧ and works fine.""",
)
T(
    "en",
    "sms",
    "P",
    """Door code for the storage unit changed to ⟦pin⟧. Alarm app login ⟦email⟧ / ⟦pw⟧. Delete after reading!""",
)
T(
    "en",
    "web_form",
    "P",
    """Full name: ⟦name⟧
E-mail: ⟦email⟧
Card number: ⟦cardsp⟧
Expiry: 11/28
Billing phone: ⟦phone⟧
[Submit payment]""",
)
T(
    "en",
    "password_policy",
    "password_policy",
    """Reminder from IT: passwords must be at least 14 characters, mix upper and lower case with a number, and may not repeat any of your last five. Never send a password by e-mail — use the reset link on the portal instead.""",
)
T(
    "en",
    "receipt",
    "masked_card",
    """THANK YOU FOR SHOPPING
Order ⟦order⟧   ⟦date⟧ ⟦time⟧
Visa ⟦masked⟧   APPROVED
Auth code 0⟦num⟧A1
Total paid: $⟦amount⟧""",
)
T(
    "en",
    "chat_export",
    "network_name",
    """[18:02] ⟦name⟧: what's the guest wifi?
[18:03] ⟦name⟧: ⟦ssid⟧ — no password, you just accept the terms page
[18:03] ⟦name⟧: staff network is hidden, ask ⟦name⟧ if you need it""",
)
T(
    "en",
    "support_ticket",
    "username_only",
    """Accounts created today: ⟦user⟧, ⟦user⟧, ⟦user⟧.
Temporary passwords were delivered by SMS and are deliberately not stored in ticket ⟦ticket⟧.""",
)
T(
    "en",
    "shipping_notice",
    "tracking_number",
    """Your parcel ⟦track⟧ is out for delivery today between ⟦time⟧ and 18:00. Order ⟦order⟧. Reply STOP to opt out.""",
)
T(
    "en",
    "wiki_page",
    "example_domain_email",
    """Testing the sign-up flow: use ⟦exemail⟧ or ⟦exemail⟧ — these domains never receive mail, so the confirmation step will not fire.""",
)
T(
    "en",
    "wiki_page",
    "documentation_ip",
    """In the network diagram the office router is ⟦docip⟧, the VPN peer is ⟦docip⟧ and the backup site uses ⟦docip6⟧. Replace with real values when deploying.""",
)
T(
    "en",
    "email",
    "secret_reference",
    """Hi ⟦name⟧,
the shared Amazon login is now in the Bitwarden collection "Office – Purchasing". I removed the old sticky note. If you cannot see it, ping me and I'll re-share.
Cheers""",
)
T(
    "en",
    "booking_confirmation",
    "booking_reference",
    """Your flight is booked! Booking reference: ⟦pnr⟧
Passenger: ⟦name⟧
Ticket number: 125-⟦num⟧⟦num⟧⟦num⟧
Departure ⟦date⟧ ⟦time⟧""",
)

# ===== German =====
T(
    "de",
    "chat_export",
    "P",
    """[⟦ddate⟧, ⟦time⟧] ⟦name⟧: Kannst du dich mal beim DATEV-Portal anmelden?
[⟦ddate⟧, ⟦time⟧] ⟦name⟧: Benutzer ⟦email⟧, Passwort ⟦pw⟧
[⟦ddate⟧, ⟦time⟧] ⟦name⟧: Danke, klappt!""",
)
T(
    "de",
    "email",
    "P",
    """Hallo ⟦name⟧,

anbei wie besprochen die Zugangsdaten für den Webshop-Server:
Host: ⟦ip4⟧
SSH-Benutzer: ⟦user⟧
Passwort: ⟦pw⟧

Bitte nach dem ersten Login ändern.
Viele Grüße
⟦name⟧""",
)
T(
    "de",
    "handover_note",
    "P",
    """Übergabe Büro-IT (vertraulich)
- Fritzbox: http://192.168.178.1, Kennwort ⟦pw⟧
- WLAN „⟦ssid⟧“, WPA2-Schlüssel: ⟦psk⟧
- Telekom-Kundencenter: ⟦email⟧ / ⟦pw⟧
- Feste IP laut Vertrag: ⟦ip4⟧""",
)
T(
    "de",
    "invoice",
    "P",
    """Rechnung ⟦invoice⟧
Kunde: ⟦name⟧, Kundennr. ⟦custno⟧
Zahlungsart: Kreditkarte ⟦card⟧
Betrag: ⟦amount⟧ EUR
Rückfragen an ⟦email⟧""",
)
T(
    "de",
    "wiki_table",
    "P",
    """{| class="wikitable"
! Dienst !! Konto !! Kennwort
|-
| Steuerportal || ⟦user⟧ || ⟦pw⟧
|-
| Newsletter || ⟦email⟧ || ⟦pw⟧
|-
| Kasse (PIN) || Filiale 2 || ⟦pin⟧
|}""",
)
T(
    "de",
    "support_ticket",
    "P",
    """Ticket ⟦ticket⟧ – Kunde kann sich nicht einloggen.
Letzte Anmeldeversuche von ⟦ip4⟧ und ⟦ip6⟧. Kunde hat uns sein neues Passwort ⟦pw⟧ per Mail geschickt (!), bitte Zurücksetzen erzwingen. Mail: ⟦email⟧""",
)
T(
    "de",
    "family_email",
    "P",
    """Hi Papa, hier die Kreditkarte für die Ferienwohnung: ⟦card⟧, gültig bis 09/27, Prüfziffer steht hinten. Bestätigung geht an ⟦email⟧. LG ⟦name⟧""",
)
T(
    "de",
    "password_policy",
    "password_policy",
    """Hinweis der IT: Kennwörter müssen mindestens 12 Zeichen lang sein und Groß-/Kleinbuchstaben sowie Ziffern enthalten. Bitte niemals Passwörter per E-Mail oder Chat versenden – nutzt den Passwortmanager.""",
)
T(
    "de",
    "order_confirmation",
    "masked_card",
    """Bestellbestätigung ⟦order⟧
Zahlung per Mastercard ⟦masked⟧ – erfolgreich belastet: ⟦amount⟧ €
Lieferung voraussichtlich am ⟦ddate⟧. Sendungsnummer: ⟦track⟧""",
)
T(
    "de",
    "email",
    "username_only",
    """Hallo ⟦name⟧,
dein Benutzername für das Zeiterfassungssystem lautet ⟦user⟧. Das Startkennwort erhältst du morgen persönlich von ⟦name⟧ – nicht per Mail.
Gruß, Personalabteilung""",
)
T(
    "de",
    "wiki_page",
    "private_ip",
    """Netzplan Praxis:
Router ⟦privip⟧, Drucker ⟦privip⟧, NAS ⟦privip⟧ (Freigabe „Scans“), Telefonanlage ⟦privip⟧. Alles im Gastnetz ist gesperrt.""",
)
T(
    "de",
    "invoice",
    "invoice_number",
    """Rechnungsnummer ⟦invoice⟧ vom ⟦ddate⟧, Kundennummer ⟦custno⟧, Auftrag ⟦order⟧. Bitte überweisen Sie ⟦amount⟧ EUR innerhalb von 14 Tagen unter Angabe der Rechnungsnummer.""",
)

# ===== French =====
T(
    "fr",
    "chat_export",
    "P",
    """⟦name⟧ — ⟦time⟧
le code du wifi de la boutique c'est ⟦psk⟧
⟦name⟧ — ⟦time⟧
merci ! et pour le compte Shopify ? ⟦email⟧ / ⟦pw⟧ c'est toujours bon ?""",
)
T(
    "fr",
    "email",
    "P",
    """Bonjour ⟦name⟧,

Voici les accès au serveur de l'association :
adresse : ⟦ip4⟧
identifiant : ⟦user⟧
mot de passe : ⟦pw⟧

Merci de ne pas le transférer.
Bien à vous,
⟦name⟧""",
)
T(
    "fr",
    "order_confirmation",
    "P",
    """Confirmation de commande ⟦order⟧
Client : ⟦name⟧ (⟦email⟧)
Carte : ⟦card⟧ — exp. 03/28
Montant : ⟦amount⟧ €""",
)
T(
    "fr",
    "onboarding_note",
    "P",
    """Arrivée de ⟦name⟧ — checklist
1. Compte Google Workspace : ⟦email⟧, mot de passe provisoire ⟦pw⟧
2. Clé API du CRM (lecture seule) : ⟦hex32⟧
3. Code de l'alarme : ⟦pin⟧""",
)
T(
    "fr",
    "html_table",
    "P",
    """<table>
<tr><th>Service</th><th>Identifiant</th><th>Mot de passe</th></tr>
<tr><td>Banque en ligne</td><td>⟦user⟧</td><td>⟦pw⟧</td></tr>
<tr><td>Impots.gouv</td><td>⟦email⟧</td><td>⟦pw⟧</td></tr>
</table>""",
)
T(
    "fr",
    "password_policy",
    "password_policy",
    """Rappel : votre mot de passe doit contenir au moins 12 caractères, dont une majuscule, un chiffre et un caractère spécial. Il expire tous les 90 jours. Le service informatique ne vous demandera jamais votre mot de passe.""",
)
T(
    "fr",
    "shipping_notice",
    "tracking_number",
    """Votre colis n° ⟦track⟧ sera livré le ⟦ddate⟧. Commande ⟦order⟧. Pour toute question, répondez à ce SMS.""",
)
T(
    "fr",
    "support_ticket",
    "placeholder_credential",
    """Ticket ⟦ticket⟧ : le client a copié la config d'exemple telle quelle, la ligne contient encore API_KEY=⟦placeholder⟧ et DB_PASSWORD=⟦placeholder⟧. Il faut qu'il mette ses propres valeurs.""",
)
T(
    "fr",
    "receipt",
    "masked_card",
    """TICKET CLIENT
CB ⟦masked⟧
MONTANT ⟦amount⟧ EUR
DEBIT — ⟦ddate⟧ ⟦time⟧
A CONSERVER""",
)

# ===== Spanish =====
T(
    "es",
    "chat_export",
    "P",
    """⟦name⟧: oye, ¿me pasas la clave del Wi-Fi de la oficina?
⟦name⟧: red ⟦ssid⟧, contraseña ⟦psk⟧
⟦name⟧: y la del Holded es ⟦pw⟧ con el correo ⟦email⟧""",
)
T(
    "es",
    "email",
    "P",
    """Hola ⟦name⟧:
Te dejo los datos de la tarjeta de empresa para reservar el hotel: ⟦card⟧, caduca 10/27. Envía la factura a ⟦email⟧.
Un saludo""",
)
T(
    "es",
    "support_ticket",
    "P",
    """Incidencia ⟦ticket⟧
Usuario: ⟦email⟧
IP de origen: ⟦ip4⟧
Descripción: el cliente pegó su token de la API en el chat: ⟦tok⟧. Revocar y avisar.""",
)
T(
    "es",
    "markdown_table",
    "P",
    """| Cuenta | Usuario | Contraseña |
|---|---|---|
| Correo tienda | ⟦email⟧ | ⟦pw⟧ |
| TPV | ⟦user⟧ | ⟦pin⟧ |
| Hosting | ⟦user⟧ | ⟦pw⟧ |""",
)
T(
    "es",
    "web_form",
    "P",
    """Nombre y apellidos: ⟦name⟧
Correo electrónico: ⟦email⟧
Número de tarjeta: ⟦carddash⟧
Fecha de caducidad: 05/29""",
)
T(
    "es",
    "order_confirmation",
    "masked_card",
    """Pedido ⟦order⟧ confirmado. Pagado con tarjeta terminada en ⟦masked⟧. Importe: ⟦amount⟧ €. Número de seguimiento: ⟦track⟧.""",
)
T(
    "es",
    "email",
    "password_policy",
    """Estimado equipo: a partir del lunes las contraseñas deberán tener 12 caracteres como mínimo e incluir números y letras. Nadie del departamento de sistemas os pedirá nunca la contraseña por correo.""",
)
T(
    "es",
    "booking_confirmation",
    "booking_reference",
    """Reserva confirmada. Localizador: ⟦pnr⟧. Titular: ⟦name⟧. Llegada ⟦ddate⟧, 2 noches. Número de cliente ⟦custno⟧.""",
)
T(
    "es",
    "wiki_page",
    "env_var_reference",
    """Para desplegar, la contraseña de la base de datos se lee de ⟦envref⟧ y el token del bot de ⟦envref⟧. No escribáis valores reales en este documento.""",
)
# ===== Italian =====
T(
    "it",
    "chat_export",
    "P",
    """⟦name⟧: mi ridai la password del gestionale?
⟦name⟧: utente ⟦user⟧, password ⟦pw⟧
⟦name⟧: e la PEC? ⟦email⟧ con la solita ⟦pw⟧""",
)
T(
    "it",
    "email",
    "P",
    """Ciao ⟦name⟧,
ti giro la carta aziendale per il rinnovo del dominio: ⟦card⟧ scad. 02/28. La ricevuta arriverà a ⟦email⟧.
Grazie!""",
)
T(
    "it",
    "handover_note",
    "P",
    """Passaggio di consegne – studio
• Server ufficio: ⟦ip4⟧ (porta ⟦port⟧)
• Accesso admin: ⟦user⟧ / ⟦pw⟧
• Chiave API fatturazione elettronica: ⟦b64tok⟧""",
)
T(
    "it",
    "receipt",
    "masked_card",
    """SCONTRINO ⟦invoice⟧
Carta ⟦masked⟧ — importo ⟦amount⟧ EUR
Transazione approvata il ⟦ddate⟧""",
)
T(
    "it",
    "email",
    "username_only",
    """Buongiorno, il tuo nome utente per il portale dipendenti è ⟦user⟧. La password provvisoria ti verrà comunicata a voce da ⟦name⟧.""",
)
T(
    "it",
    "shipping_notice",
    "tracking_number",
    """Il tuo pacco ⟦track⟧ è in consegna. Ordine ⟦order⟧. Orario previsto: ⟦time⟧–19:00.""",
)

# ===== Portuguese =====
T(
    "pt",
    "chat_export",
    "P",
    """[⟦time⟧] ⟦name⟧: qual é a senha do wi-fi da loja?
[⟦time⟧] ⟦name⟧: rede ⟦ssid⟧ / senha ⟦psk⟧
[⟦time⟧] ⟦name⟧: e o login do iFood é ⟦email⟧, senha ⟦pw⟧""",
)
T(
    "pt",
    "email",
    "P",
    """Olá ⟦name⟧,
segue o cartão para a compra dos bilhetes: ⟦card⟧, validade 07/27. Envia a confirmação para ⟦email⟧.
Beijinhos""",
)
T(
    "pt",
    "support_ticket",
    "P",
    """Chamado ⟦ticket⟧ — cliente informou que o acesso vem do IP ⟦ip4⟧. Credencial enviada pelo cliente (trocar!): ⟦pw⟧. E-mail de contato: ⟦email⟧""",
)
T(
    "pt",
    "tsv_sheet",
    "P",
    """serviço	usuário	senha
Correios	⟦user⟧	⟦pw⟧
Banco	⟦user⟧	⟦pw⟧
Nota Fiscal	⟦email⟧	⟦pw⟧""",
)
T(
    "pt",
    "order_confirmation",
    "masked_card",
    """Pedido ⟦order⟧ aprovado! Pagamento no cartão final ⟦masked⟧, valor R$ ⟦amount⟧. Código de rastreio: ⟦track⟧.""",
)
T(
    "pt",
    "email",
    "password_policy",
    """Prezados, lembramos que a senha deve ter pelo menos 10 caracteres, com letras e números, e deve ser trocada a cada 90 dias. Nunca compartilhe sua senha com ninguém, nem com o suporte.""",
)

# ===== Dutch =====
T(
    "nl",
    "chat_export",
    "P",
    """⟦name⟧: wat is het wachtwoord van de boekhouding?
⟦name⟧: ⟦email⟧ en ⟦pw⟧
⟦name⟧: top, dank je""",
)
T(
    "nl",
    "email",
    "P",
    """Hoi ⟦name⟧,
Hierbij de gegevens voor de nieuwe VPS: IP ⟦ip4⟧, gebruiker ⟦user⟧, wachtwoord ⟦pw⟧. IPv6 is ⟦ip6⟧.
Groet, ⟦name⟧""",
)
T(
    "nl",
    "invoice",
    "P",
    """Factuur ⟦invoice⟧
Klant: ⟦name⟧
Betaald met creditcard ⟦card⟧
Bedrag: € ⟦amount⟧""",
)
T(
    "nl",
    "wiki_page",
    "network_name",
    """Wifi op kantoor: netwerk ⟦ssid⟧ voor gasten, het wachtwoord staat op het bordje bij de receptie. Medewerkers gebruiken het netwerk ⟦ssid⟧ met hun eigen account.""",
)
T(
    "nl",
    "order_confirmation",
    "order_number",
    """Bedankt voor je bestelling! Bestelnummer ⟦order⟧, klantnummer ⟦custno⟧. Je pakket wordt ⟦ddate⟧ bezorgd.""",
)

# ===== Swedish =====
T(
    "sv",
    "chat_export",
    "P",
    """⟦name⟧: vad är lösenordet till Fortnox?
⟦name⟧: ⟦pw⟧ (användare ⟦email⟧)
⟦name⟧: tack!""",
)
T(
    "sv",
    "handover_note",
    "P",
    """Överlämning – föreningens IT
Webbhotell: ⟦user⟧ / ⟦pw⟧
Swish-kopplingens API-nyckel: ⟦hex32⟧
Routerns publika IP: ⟦ip4⟧""",
)
T(
    "sv",
    "email",
    "P",
    """Hej ⟦name⟧! Här är kortet för konferensbokningen: ⟦card⟧, giltigt till 12/27. Kvittot skickas till ⟦email⟧.""",
)
T(
    "sv",
    "email",
    "password_policy",
    """Hej alla, från och med måndag måste lösenord vara minst 12 tecken långa och innehålla både bokstäver och siffror. Skicka aldrig lösenord via mejl eller Slack.""",
)
T(
    "sv",
    "receipt",
    "masked_card",
    """KVITTO ⟦invoice⟧
Kort: ⟦masked⟧
Belopp: ⟦amount⟧ SEK
⟦ddate⟧ ⟦time⟧ GODKÄND""",
)

# ===== Norwegian =====
T(
    "nb",
    "chat_export",
    "P",
    """⟦name⟧: hva er passordet til Tripletex igjen?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: og wifi på hytta er ⟦ssid⟧, nøkkel ⟦psk⟧""",
)
T(
    "nb",
    "email",
    "P",
    """Hei ⟦name⟧,
her er påloggingen til nettbutikken: brukernavn ⟦user⟧, passord ⟦pw⟧. Serveren står på ⟦ip4⟧.
Hilsen ⟦name⟧""",
)
T(
    "nb",
    "booking_confirmation",
    "booking_reference",
    """Bestillingen din er bekreftet. Referanse: ⟦pnr⟧. Reisende: ⟦name⟧. Avreise ⟦ddate⟧ kl. ⟦time⟧.""",
)
T(
    "nb",
    "support_ticket",
    "username_only",
    """Sak ⟦ticket⟧: brukeren ⟦user⟧ er låst ute etter fem feil forsøk. Be brukeren bruke «Glemt passord»-lenken.""",
)

# ===== Danish =====
T(
    "da",
    "chat_export",
    "P",
    """⟦name⟧: hvad er koden til e-conomic?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: og alarmkoden er ⟦pin⟧""",
)
T(
    "da",
    "email",
    "P",
    """Hej ⟦name⟧
Kortoplysninger til flybilletterne: ⟦card⟧, udløb 04/28. Send kvitteringen til ⟦email⟧.
Mvh ⟦name⟧""",
)
T(
    "da",
    "order_confirmation",
    "masked_card",
    """Ordrebekræftelse ⟦order⟧ – betalt med Dankort/Visa ⟦masked⟧, beløb ⟦amount⟧ kr. Pakkenummer ⟦track⟧.""",
)
T(
    "da",
    "email",
    "password_policy",
    """Kære alle – nye regler: adgangskoder skal være på mindst 12 tegn med både tal og bogstaver. IT spørger aldrig om din adgangskode.""",
)

# ===== Finnish =====
T(
    "fi",
    "chat_export",
    "P",
    """⟦name⟧: mikä on Netvisorin salasana?
⟦name⟧: tunnus ⟦user⟧, salasana ⟦pw⟧
⟦name⟧: kiitti""",
)
T(
    "fi",
    "email",
    "P",
    """Hei ⟦name⟧,
tässä yrityskortin tiedot hotellivarausta varten: ⟦card⟧, voimassa 06/27. Kuitti osoitteeseen ⟦email⟧.
Terveisin ⟦name⟧""",
)
T(
    "fi",
    "handover_note",
    "P",
    """Luovutusmuistio
- palvelin: ⟦ip4⟧
- ylläpitäjä: ⟦user⟧ / ⟦pw⟧
- WLAN-avain: ⟦psk⟧""",
)
T(
    "fi",
    "shipping_notice",
    "tracking_number",
    """Lähetyksesi ⟦track⟧ on noudettavissa ⟦ddate⟧ alkaen. Tilausnumero ⟦order⟧.""",
)

# ===== Polish =====
T(
    "pl",
    "chat_export",
    "P",
    """⟦name⟧: jakie jest hasło do panelu hostingu?
⟦name⟧: login ⟦user⟧, hasło ⟦pw⟧
⟦name⟧: a do skrzynki ⟦email⟧ to samo?
⟦name⟧: nie, tam jest ⟦pw⟧""",
)
T(
    "pl",
    "email",
    "P",
    """Dzień dobry,
przesyłam dane karty firmowej do opłacenia faktury: ⟦card⟧, ważna do 01/28. Potwierdzenie proszę wysłać na ⟦email⟧.
Pozdrawiam, ⟦name⟧""",
)
T(
    "pl",
    "support_ticket",
    "P",
    """Zgłoszenie ⟦ticket⟧: klient loguje się z adresu ⟦ip4⟧, w załączniku zrzut ekranu z kluczem API ⟦tok⟧ — należy go unieważnić.""",
)
T(
    "pl",
    "order_confirmation",
    "masked_card",
    """Zamówienie ⟦order⟧ opłacone kartą ⟦masked⟧. Kwota: ⟦amount⟧ zł. Numer przesyłki: ⟦track⟧.""",
)
T(
    "pl",
    "email",
    "password_policy",
    """Przypominamy: hasło musi mieć co najmniej 12 znaków, zawierać wielkie i małe litery oraz cyfry. Dział IT nigdy nie prosi o podanie hasła.""",
)

# ===== Czech =====
T(
    "cs",
    "chat_export",
    "P",
    """⟦name⟧: jaké je heslo do Fakturoidu?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: díky!""",
)
T(
    "cs",
    "email",
    "P",
    """Ahoj ⟦name⟧,
posílám přístup na server: ⟦ip4⟧, uživatel ⟦user⟧, heslo ⟦pw⟧. Prosím změň si ho.
⟦name⟧""",
)
T(
    "cs",
    "invoice",
    "P",
    """Faktura č. ⟦invoice⟧
Odběratel: ⟦name⟧
Platba kartou: ⟦card⟧
Částka: ⟦amount⟧ Kč""",
)
T("cs", "shipping_notice", "tracking_number", """Vaše zásilka ⟦track⟧ bude doručena ⟦ddate⟧. Objednávka ⟦order⟧.""")

# ===== Slovak =====
T(
    "sk",
    "chat_export",
    "P",
    """⟦name⟧: aké je heslo k e-shopu?
⟦name⟧: meno ⟦user⟧, heslo ⟦pw⟧
⟦name⟧: a WiFi v kancelárii ⟦psk⟧""",
)
T(
    "sk",
    "email",
    "P",
    """Dobrý deň, posielam údaje karty na úhradu: ⟦card⟧, platnosť 08/28. Potvrdenie pošlite na ⟦email⟧. S pozdravom ⟦name⟧""",
)
T(
    "sk",
    "support_ticket",
    "username_only",
    """Požiadavka ⟦ticket⟧: používateľ ⟦user⟧ si zabudol heslo, poslali sme mu odkaz na obnovenie.""",
)
# ===== Hungarian =====
T(
    "hu",
    "chat_export",
    "P",
    """⟦name⟧: mi a jelszó a számlázóhoz?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: köszi!""",
)
T(
    "hu",
    "email",
    "P",
    """Szia ⟦name⟧!
Itt a céges kártya a szállásfoglaláshoz: ⟦card⟧, lejárat 03/27. A visszaigazolást a ⟦email⟧ címre kérem.
Üdv, ⟦name⟧""",
)
T(
    "hu",
    "handover_note",
    "P",
    """Átadás-átvétel
Szerver IP: ⟦ip4⟧
Admin: ⟦user⟧ — jelszó: ⟦pw⟧
API kulcs: ⟦tok⟧""",
)
T(
    "hu",
    "email",
    "password_policy",
    """Kedves Kollégák! A jelszónak legalább 12 karakterből kell állnia, és tartalmaznia kell kis- és nagybetűt, valamint számot. Jelszót soha ne küldjetek e-mailben.""",
)

# ===== Romanian =====
T(
    "ro",
    "chat_export",
    "P",
    """⟦name⟧: care e parola de la SmartBill?
⟦name⟧: ⟦email⟧ și parola ⟦pw⟧
⟦name⟧: mersi""",
)
T(
    "ro",
    "email",
    "P",
    """Bună ⟦name⟧,
îți trimit datele cardului pentru rezervare: ⟦card⟧, expiră 11/27. Confirmarea la ⟦email⟧.
Mulțumesc""",
)
T(
    "ro",
    "support_ticket",
    "P",
    """Tichet ⟦ticket⟧: încercări de autentificare eșuate de la ⟦ip4⟧ și ⟦ip4⟧ pentru contul ⟦email⟧.""",
)
T(
    "ro",
    "order_confirmation",
    "order_number",
    """Comanda ta ⟦order⟧ a fost confirmată. Număr client ⟦custno⟧. Livrare estimată: ⟦ddate⟧. AWB: ⟦track⟧.""",
)

# ===== Turkish =====
T(
    "tr",
    "chat_export",
    "P",
    """⟦name⟧: muhasebe programının şifresi neydi?
⟦name⟧: kullanıcı ⟦user⟧, şifre ⟦pw⟧
⟦name⟧: e-posta ⟦email⟧ değil mi?
⟦name⟧: evet""",
)
T(
    "tr",
    "email",
    "P",
    """Merhaba ⟦name⟧,
otel rezervasyonu için şirket kartı: ⟦card⟧, son kullanma 09/28. Faturayı ⟦email⟧ adresine gönderebilirsin.
Kolay gelsin""",
)
T(
    "tr",
    "support_ticket",
    "P",
    """Talep ⟦ticket⟧: müşterinin sunucusu ⟦ip4⟧, root şifresi ⟦pw⟧ olarak paylaşılmış. Hemen değiştirilmeli.""",
)
T(
    "tr",
    "order_confirmation",
    "masked_card",
    """Siparişiniz ⟦order⟧ alındı. Ödeme: kart ⟦masked⟧, tutar ⟦amount⟧ TL. Kargo takip no: ⟦track⟧.""",
)
T(
    "tr",
    "email",
    "password_policy",
    """Değerli çalışanlar, şifreniz en az 12 karakter olmalı ve harf ile rakam içermelidir. BT ekibi sizden asla şifrenizi istemez.""",
)

# ===== Greek =====
T(
    "el",
    "chat_export",
    "P",
    """⟦name⟧: ποιος είναι ο κωδικός για το e-shop;
⟦name⟧: χρήστης ⟦user⟧, κωδικός ⟦pw⟧
⟦name⟧: ευχαριστώ!""",
)
T(
    "el",
    "email",
    "P",
    """Γεια σου ⟦name⟧,
η εταιρική κάρτα για την κράτηση: ⟦card⟧, λήξη 05/28. Στείλε την επιβεβαίωση στο ⟦email⟧.
Φιλικά""",
)
T(
    "el",
    "handover_note",
    "P",
    """Παράδοση εργασιών
Διακομιστής: ⟦ip4⟧
Διαχειριστής: ⟦user⟧ / ⟦pw⟧
Κλειδί Wi-Fi: ⟦psk⟧""",
)
T(
    "el",
    "shipping_notice",
    "tracking_number",
    """Η αποστολή σας ⟦track⟧ θα παραδοθεί στις ⟦ddate⟧. Αριθμός παραγγελίας ⟦order⟧.""",
)

# ===== Russian =====
T(
    "ru",
    "chat_export",
    "P",
    """⟦name⟧: скинь пароль от 1С, пожалуйста
⟦name⟧: логин ⟦user⟧, пароль ⟦pw⟧
⟦name⟧: а почта ⟦email⟧ — там тот же?
⟦name⟧: нет, там ⟦pw⟧""",
)
T(
    "ru",
    "email",
    "P",
    """Добрый день, ⟦name⟧!
Данные для доступа к VPS: IP ⟦ip4⟧, пользователь ⟦user⟧, пароль ⟦pw⟧. Токен бота для уведомлений: ⟦tgbot⟧.
С уважением, ⟦name⟧""",
)
T(
    "ru",
    "support_ticket",
    "P",
    """Заявка ⟦ticket⟧. Клиент оплатил картой ⟦card⟧, но заказ не создался. Почта клиента: ⟦email⟧, IP: ⟦ip4⟧.""",
)
T(
    "ru",
    "markdown_table",
    "P",
    """| Сервис | Логин | Пароль |
|---|---|---|
| Хостинг | ⟦user⟧ | ⟦pw⟧ |
| Почта | ⟦email⟧ | ⟦pw⟧ |
| Роутер | admin | ⟦pw⟧ |""",
)
T(
    "ru",
    "order_confirmation",
    "masked_card",
    """Заказ ⟦order⟧ оплачен картой ⟦masked⟧ на сумму ⟦amount⟧ ₽. Трек-номер: ⟦track⟧.""",
)
T(
    "ru",
    "email",
    "password_policy",
    """Коллеги, напоминаем: пароль должен быть не короче 12 символов, содержать буквы и цифры. Никогда не отправляйте пароли по почте или в мессенджерах.""",
)
T(
    "ru",
    "wiki_page",
    "private_ip",
    """Сеть офиса: шлюз ⟦privip⟧, принтер ⟦privip⟧, сервер 1С ⟦privip⟧. Гостевая сеть изолирована.""",
)

# ===== Ukrainian =====
T(
    "uk",
    "chat_export",
    "P",
    """⟦name⟧: який пароль від Нової пошти бізнес?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: дякую!""",
)
T(
    "uk",
    "email",
    "P",
    """Привіт, ⟦name⟧!
Ось картка для оплати конференції: ⟦card⟧, дійсна до 10/27. Квитанцію надішли на ⟦email⟧.""",
)
T(
    "uk",
    "handover_note",
    "P",
    """Передача справ
Сервер: ⟦ip4⟧
Адмін: ⟦user⟧, пароль ⟦pw⟧
Ключ API CRM: ⟦hex32⟧""",
)
T(
    "uk",
    "shipping_notice",
    "tracking_number",
    """Ваша посилка ⟦track⟧ прибула у відділення. Замовлення ⟦order⟧. Зберігання до ⟦ddate⟧.""",
)

# ===== Bulgarian =====
T(
    "bg",
    "chat_export",
    "P",
    """⟦name⟧: каква е паролата за счетоводната програма?
⟦name⟧: ⟦user⟧ / ⟦pw⟧
⟦name⟧: мерси""",
)
T(
    "bg",
    "email",
    "P",
    """Здравей, ⟦name⟧,
картата за резервацията: ⟦card⟧, валидна до 12/28. Потвърждението – на ⟦email⟧.""",
)
T(
    "bg",
    "order_confirmation",
    "order_number",
    """Поръчка ⟦order⟧ е приета. Клиентски номер ⟦custno⟧. Очаквана доставка ⟦ddate⟧.""",
)

# ===== Serbian (Cyrillic) =====
T(
    "sr",
    "chat_export",
    "P",
    """⟦name⟧: која је лозинка за књиговодство?
⟦name⟧: корисник ⟦user⟧, лозинка ⟦pw⟧
⟦name⟧: хвала""",
)
T(
    "sr",
    "email",
    "P",
    """Здраво ⟦name⟧,
сервер је на ⟦ip4⟧, приступ ⟦user⟧ / ⟦pw⟧. Пошаљи ми потврду на ⟦email⟧.""",
)
T(
    "sr",
    "email",
    "password_policy",
    """Колеге, лозинка мора имати најмање 12 знакова, укључујући бројеве и велика слова. ИТ служба никада неће тражити вашу лозинку.""",
)

# ===== Croatian =====
T(
    "hr",
    "chat_export",
    "P",
    """⟦name⟧: koja je lozinka za e-Račune?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: hvala!""",
)
T(
    "hr",
    "email",
    "P",
    """Bok ⟦name⟧, evo kartice za rezervaciju apartmana: ⟦card⟧, vrijedi do 07/28. Potvrdu pošalji na ⟦email⟧.""",
)
T(
    "hr",
    "receipt",
    "masked_card",
    """RAČUN ⟦invoice⟧
Kartica: ⟦masked⟧
Iznos: ⟦amount⟧ EUR
⟦ddate⟧ ⟦time⟧""",
)

# ===== Slovenian =====
T(
    "sl",
    "chat_export",
    "P",
    """⟦name⟧: kakšno je geslo za spletno trgovino?
⟦name⟧: uporabnik ⟦user⟧, geslo ⟦pw⟧
⟦name⟧: hvala""",
)
T("sl", "email", "P", """Živjo ⟦name⟧, strežnik je na ⟦ip4⟧, dostop ⟦user⟧ / ⟦pw⟧. Račun pošlji na ⟦email⟧.""")
T("sl", "shipping_notice", "tracking_number", """Vaša pošiljka ⟦track⟧ bo dostavljena ⟦ddate⟧. Naročilo ⟦order⟧.""")

# ===== Lithuanian =====
T(
    "lt",
    "chat_export",
    "P",
    """⟦name⟧: koks slaptažodis buhalterijai?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: ačiū""",
)
T(
    "lt",
    "email",
    "P",
    """Sveiki, ⟦name⟧,
siunčiu kortelės duomenis apmokėjimui: ⟦card⟧, galioja iki 02/28. Sąskaitą siųskite ⟦email⟧.""",
)
T(
    "lt",
    "support_ticket",
    "username_only",
    """Užklausa ⟦ticket⟧: naudotojas ⟦user⟧ užblokuotas. Slaptažodžio atkūrimo nuoroda išsiųsta.""",
)

# ===== Latvian =====
T(
    "lv",
    "chat_export",
    "P",
    """⟦name⟧: kāda ir parole grāmatvedības sistēmai?
⟦name⟧: lietotājs ⟦user⟧, parole ⟦pw⟧
⟦name⟧: paldies""",
)
T("lv", "email", "P", """Sveiki ⟦name⟧, serveris ir ⟦ip4⟧, piekļuve ⟦user⟧ / ⟦pw⟧. Rēķinu sūtiet uz ⟦email⟧.""")
T("lv", "order_confirmation", "masked_card", """Pasūtījums ⟦order⟧ apmaksāts ar karti ⟦masked⟧. Summa: ⟦amount⟧ EUR.""")

# ===== Estonian =====
T(
    "et",
    "chat_export",
    "P",
    """⟦name⟧: mis on Merit Aktiva parool?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: aitäh!""",
)
T(
    "et",
    "email",
    "P",
    """Tere ⟦name⟧, siin on ettevõtte kaart hotelli broneerimiseks: ⟦card⟧, kehtib kuni 06/28. Kinnitus aadressile ⟦email⟧.""",
)
T(
    "et",
    "email",
    "password_policy",
    """Tere kõigile! Parool peab olema vähemalt 12 märki pikk ning sisaldama tähti ja numbreid. IT-osakond ei küsi kunagi teie parooli.""",
)
# ===== Arabic =====
T(
    "ar",
    "chat_export",
    "P",
    """⟦name⟧: ما هي كلمة المرور لحساب المتجر؟
⟦name⟧: البريد ⟦email⟧ وكلمة المرور ⟦pw⟧
⟦name⟧: شكراً""",
)
T(
    "ar",
    "email",
    "P",
    """مرحباً ⟦name⟧،
هذه بيانات البطاقة لحجز الفندق: ⟦card⟧ وتنتهي في 08/28. أرسل التأكيد إلى ⟦email⟧.
مع التحية""",
)
T(
    "ar",
    "support_ticket",
    "P",
    """تذكرة ⟦ticket⟧: محاولات دخول فاشلة من العنوان ⟦ip4⟧. أرسل العميل مفتاح الـ API في المحادثة: ⟦tok⟧ — يجب إلغاؤه فوراً.""",
)
T(
    "ar",
    "order_confirmation",
    "masked_card",
    """تم تأكيد طلبك ⟦order⟧. الدفع بالبطاقة ⟦masked⟧. المبلغ: ⟦amount⟧ درهم. رقم التتبع: ⟦track⟧.""",
)
T(
    "ar",
    "email",
    "password_policy",
    """تنبيه من قسم تقنية المعلومات: يجب ألا تقل كلمة المرور عن 12 حرفاً وأن تحتوي على أحرف وأرقام. لن نطلب منك كلمة المرور أبداً.""",
)

# ===== Hebrew =====
T(
    "he",
    "chat_export",
    "P",
    """⟦name⟧: מה הסיסמה לחשבונית ירוקה?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: תודה!""",
)
T(
    "he",
    "email",
    "P",
    """היי ⟦name⟧,
פרטי הכרטיס להזמנת הטיסה: ⟦card⟧, תוקף 01/29. אישור לכתובת ⟦email⟧.""",
)
T(
    "he",
    "handover_note",
    "P",
    """העברת מקל – מערכות המשרד
שרת: ⟦ip4⟧
משתמש: ⟦user⟧ סיסמה: ⟦pw⟧
קוד אזעקה: ⟦pin⟧""",
)
T("he", "shipping_notice", "tracking_number", """המשלוח שלך ⟦track⟧ יגיע ב-⟦ddate⟧. מספר הזמנה ⟦order⟧.""")

# ===== Persian =====
T(
    "fa",
    "chat_export",
    "P",
    """⟦name⟧: رمز پنل هاست چیه؟
⟦name⟧: نام کاربری ⟦user⟧ رمز ⟦pw⟧
⟦name⟧: ممنون""",
)
T(
    "fa",
    "email",
    "P",
    """سلام ⟦name⟧،
آدرس سرور ⟦ip4⟧ است و توکن ربات تلگرام: ⟦tgbot⟧. لطفاً به ⟦email⟧ خبر بده.""",
)
T(
    "fa",
    "email",
    "password_policy",
    """همکاران گرامی، رمز عبور باید حداقل ۱۲ کاراکتر و شامل حروف و اعداد باشد. واحد فناوری هرگز رمز شما را نمی‌پرسد.""",
)

# ===== Hindi =====
T(
    "hi",
    "chat_export",
    "P",
    """⟦name⟧: Tally का पासवर्ड क्या है?
⟦name⟧: यूज़र ⟦user⟧, पासवर्ड ⟦pw⟧
⟦name⟧: धन्यवाद""",
)
T(
    "hi",
    "email",
    "P",
    """नमस्ते ⟦name⟧,
होटल बुकिंग के लिए कंपनी कार्ड: ⟦card⟧, समाप्ति 04/28। पुष्टि ⟦email⟧ पर भेजें।""",
)
T(
    "hi",
    "support_ticket",
    "P",
    """टिकट ⟦ticket⟧: ग्राहक का सर्वर ⟦ip4⟧ है और उसने चैट में API कुंजी भेज दी: ⟦tok⟧ — तुरंत रद्द करें।""",
)
T(
    "hi",
    "order_confirmation",
    "masked_card",
    """आपका ऑर्डर ⟦order⟧ कन्फ़र्म हो गया है। भुगतान कार्ड ⟦masked⟧ से, राशि ₹⟦amount⟧। ट्रैकिंग नंबर: ⟦track⟧।""",
)

# ===== Bengali =====
T(
    "bn",
    "chat_export",
    "P",
    """⟦name⟧: দোকানের ওয়াইফাই পাসওয়ার্ড কী?
⟦name⟧: নেটওয়ার্ক ⟦ssid⟧, পাসওয়ার্ড ⟦psk⟧
⟦name⟧: ধন্যবাদ""",
)
T(
    "bn",
    "email",
    "P",
    """প্রিয় ⟦name⟧,
সার্ভারের ঠিকানা ⟦ip4⟧, ইউজার ⟦user⟧, পাসওয়ার্ড ⟦pw⟧। রিপোর্ট ⟦email⟧ এ পাঠাবেন।""",
)
T("bn", "shipping_notice", "tracking_number", """আপনার পার্সেল ⟦track⟧ ⟦ddate⟧ তারিখে পৌঁছাবে। অর্ডার নম্বর ⟦order⟧।""")

# ===== Thai =====
T(
    "th",
    "chat_export",
    "P",
    """⟦name⟧: รหัสผ่านระบบบัญชีคืออะไร
⟦name⟧: ผู้ใช้ ⟦user⟧ รหัส ⟦pw⟧
⟦name⟧: ขอบคุณครับ""",
)
T(
    "th",
    "email",
    "P",
    """เรียน ⟦name⟧
บัตรบริษัทสำหรับจองโรงแรม: ⟦card⟧ หมดอายุ 09/27 ส่งใบยืนยันไปที่ ⟦email⟧""",
)
T(
    "th",
    "order_confirmation",
    "masked_card",
    """คำสั่งซื้อ ⟦order⟧ ชำระด้วยบัตร ⟦masked⟧ ยอด ⟦amount⟧ บาท หมายเลขพัสดุ ⟦track⟧""",
)

# ===== Vietnamese =====
T(
    "vi",
    "chat_export",
    "P",
    """⟦name⟧: mật khẩu phần mềm kế toán là gì vậy?
⟦name⟧: tài khoản ⟦user⟧, mật khẩu ⟦pw⟧
⟦name⟧: cảm ơn nhé""",
)
T(
    "vi",
    "email",
    "P",
    """Chào ⟦name⟧,
thẻ công ty để đặt vé: ⟦card⟧, hết hạn 03/28. Gửi xác nhận về ⟦email⟧ nhé.""",
)
T(
    "vi",
    "support_ticket",
    "P",
    """Phiếu hỗ trợ ⟦ticket⟧: khách đăng nhập từ IP ⟦ip4⟧, đã gửi nhầm mật khẩu ⟦pw⟧ qua chat. Cần đổi ngay.""",
)
T(
    "vi",
    "email",
    "password_policy",
    """Thông báo: mật khẩu phải dài ít nhất 12 ký tự, gồm chữ và số. Bộ phận IT không bao giờ hỏi mật khẩu của bạn.""",
)

# ===== Indonesian =====
T(
    "id",
    "chat_export",
    "P",
    """⟦name⟧: password Jurnal apa ya?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: makasih""",
)
T(
    "id",
    "email",
    "P",
    """Halo ⟦name⟧,
ini kartu kantor buat pesan hotel: ⟦card⟧, berlaku sampai 06/28. Konfirmasi kirim ke ⟦email⟧ ya.""",
)
T(
    "id",
    "handover_note",
    "P",
    """Serah terima
Server: ⟦ip4⟧
Login admin: ⟦user⟧ / ⟦pw⟧
Token API WhatsApp: ⟦b64tok⟧""",
)
T(
    "id",
    "order_confirmation",
    "order_number",
    """Pesanan ⟦order⟧ sudah dikonfirmasi. Nomor pelanggan ⟦custno⟧. Nomor resi: ⟦track⟧.""",
)

# ===== Malay =====
T(
    "ms",
    "chat_export",
    "P",
    """⟦name⟧: kata laluan akaun kedai apa?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: terima kasih""",
)
T(
    "ms",
    "email",
    "P",
    """Salam ⟦name⟧, kad syarikat untuk tempahan: ⟦card⟧, tamat 11/27. Hantar pengesahan ke ⟦email⟧.""",
)
T(
    "ms",
    "email",
    "password_policy",
    """Peringatan: kata laluan mestilah sekurang-kurangnya 12 aksara dengan huruf dan nombor. Pasukan IT tidak akan meminta kata laluan anda.""",
)

# ===== Tagalog =====
T(
    "tl",
    "chat_export",
    "P",
    """⟦name⟧: ano yung password sa GCash business?
⟦name⟧: ⟦email⟧ tapos ⟦pw⟧
⟦name⟧: salamat!""",
)
T(
    "tl",
    "email",
    "P",
    """Hi ⟦name⟧, eto yung card para sa booking: ⟦card⟧, expiry 02/28. Ipadala ang resibo sa ⟦email⟧.""",
)
T("tl", "shipping_notice", "tracking_number", """Ang iyong parcel ⟦track⟧ ay darating sa ⟦ddate⟧. Order ⟦order⟧.""")

# ===== Chinese =====
T(
    "zh",
    "chat_export",
    "P",
    """⟦name⟧：财务系统的密码是多少？
⟦name⟧：账号 ⟦user⟧，密码 ⟦pw⟧
⟦name⟧：谢谢""",
)
T(
    "zh",
    "email",
    "P",
    """⟦name⟧你好，
服务器地址 ⟦ip4⟧，用户名 ⟦user⟧，密码 ⟦pw⟧。钉钉机器人的密钥：⟦hex64⟧。有问题发邮件到 ⟦email⟧。""",
)
T(
    "zh",
    "order_confirmation",
    "P",
    """订单 ⟦order⟧ 已确认
付款卡号：⟦card⟧
收件人：⟦name⟧
邮箱：⟦email⟧""",
)
T(
    "zh",
    "markdown_table",
    "P",
    """| 平台 | 账号 | 密码 |
|---|---|---|
| 阿里云 | ⟦email⟧ | ⟦pw⟧ |
| 公众号 | ⟦user⟧ | ⟦pw⟧ |
| AccessKey | ⟦alibaba⟧ | ⟦b64tok⟧ |""",
)
T(
    "zh",
    "order_confirmation",
    "masked_card",
    """您的订单 ⟦order⟧ 已支付，银行卡 ⟦masked⟧，金额 ¥⟦amount⟧。快递单号：⟦track⟧。""",
)
T(
    "zh",
    "email",
    "password_policy",
    """各位同事：密码长度至少12位，须包含字母和数字，每90天更换一次。IT部门不会索要您的密码。""",
)

# ===== Japanese =====
T(
    "ja",
    "chat_export",
    "P",
    """⟦name⟧：会計ソフトのパスワード教えてください
⟦name⟧：ID ⟦user⟧、パスワード ⟦pw⟧ です
⟦name⟧：ありがとうございます""",
)
T(
    "ja",
    "email",
    "P",
    """⟦name⟧さん
出張用の法人カード番号です：⟦card⟧（有効期限 10/28）。確認メールは ⟦email⟧ に届きます。
よろしくお願いします。""",
)
T(
    "ja",
    "handover_note",
    "P",
    """引き継ぎメモ
・サーバー：⟦ip4⟧
・管理者：⟦user⟧ / ⟦pw⟧
・Slackボットトークン：⟦xoxb⟧""",
)
T(
    "ja",
    "shipping_notice",
    "tracking_number",
    """ご注文 ⟦order⟧ の商品を発送しました。お問い合わせ番号：⟦track⟧。お届け予定日：⟦ddate⟧""",
)
T(
    "ja",
    "email",
    "password_policy",
    """パスワードは12文字以上で、英字と数字を含めてください。情報システム部がパスワードを尋ねることはありません。""",
)

# ===== Korean =====
T(
    "ko",
    "chat_export",
    "P",
    """⟦name⟧: 회계 프로그램 비밀번호가 뭐예요?
⟦name⟧: 아이디 ⟦user⟧, 비번 ⟦pw⟧
⟦name⟧: 감사합니다""",
)
T(
    "ko",
    "email",
    "P",
    """⟦name⟧님,
출장 숙소 결제용 법인카드: ⟦card⟧ (유효기간 05/28). 확인 메일은 ⟦email⟧로 보내주세요.""",
)
T(
    "ko",
    "support_ticket",
    "P",
    """문의 ⟦ticket⟧: 고객 서버 IP ⟦ip4⟧, 관리자 비밀번호 ⟦pw⟧ 를 채팅으로 전달받음. 변경 요청 필요.""",
)
T(
    "ko",
    "order_confirmation",
    "masked_card",
    """주문 ⟦order⟧ 결제 완료. 카드 ⟦masked⟧, 금액 ⟦amount⟧원. 운송장 번호 ⟦track⟧.""",
)

# ===== Swahili =====
T(
    "sw",
    "chat_export",
    "P",
    """⟦name⟧: nenosiri la akaunti ya duka ni lipi?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: asante""",
)
T(
    "sw",
    "email",
    "P",
    """Habari ⟦name⟧, kadi ya kampuni kwa ajili ya hoteli: ⟦card⟧, inaisha 07/28. Tuma uthibitisho kwa ⟦email⟧.""",
)
T(
    "sw",
    "email",
    "password_policy",
    """Tafadhali kumbuka: nenosiri liwe na herufi 12 au zaidi pamoja na namba. Timu ya TEHAMA haitakuuliza nenosiri lako kamwe.""",
)

# ===== Tamil =====
T(
    "ta",
    "chat_export",
    "P",
    """⟦name⟧: கணக்கு மென்பொருளின் கடவுச்சொல் என்ன?
⟦name⟧: பயனர் ⟦user⟧, கடவுச்சொல் ⟦pw⟧
⟦name⟧: நன்றி""",
)
T("ta", "email", "P", """வணக்கம் ⟦name⟧, சர்வர் முகவரி ⟦ip4⟧. அறிக்கையை ⟦email⟧ க்கு அனுப்பவும்.""")
T("ta", "order_confirmation", "masked_card", """உங்கள் ஆர்டர் ⟦order⟧ உறுதிசெய்யப்பட்டது. அட்டை ⟦masked⟧, தொகை ₹⟦amount⟧.""")

# ===== Catalan =====
T(
    "ca",
    "chat_export",
    "P",
    """⟦name⟧: quina és la contrasenya del programa de factures?
⟦name⟧: ⟦email⟧ / ⟦pw⟧
⟦name⟧: gràcies!""",
)
T(
    "ca",
    "email",
    "P",
    """Hola ⟦name⟧, la targeta de l'empresa per a la reserva: ⟦card⟧, caduca 04/28. Envia la confirmació a ⟦email⟧.""",
)
T(
    "ca",
    "order_confirmation",
    "order_number",
    """Comanda ⟦order⟧ confirmada. Número de client ⟦custno⟧. Lliurament previst ⟦ddate⟧.""",
)
# ===== mixed natural-language: more layouts, positives =====
T(
    "en",
    "chat_export",
    "P",
    """⟦name⟧ [11:02 AM]
here's the deploy key, don't lose it again 🙃
```
⟦sshkey⟧
```
⟦name⟧ [11:04 AM]
thanks, added to the build box""",
)
T(
    "de",
    "support_ticket",
    "P",
    """Ticket ⟦ticket⟧: Kunde hat den kompletten API-Aufruf gepostet, inkl. Header „Authorization: Bearer ⟦jwt⟧“. Token bitte sofort sperren. Quelle: ⟦ip4⟧""",
)
T(
    "en",
    "email",
    "P",
    """Subject: Stripe keys for the new shop

Hi ⟦name⟧, live secret key is ⟦sklive⟧ and the webhook signing secret is ⟦whsec⟧. The publishable key you already have. Please put them into the hosting panel, not into git.""",
)
T(
    "fr",
    "chat_export",
    "P",
    """⟦name⟧ : j'ai mis la clé OpenAI dans le doc partagé : ⟦openai⟧
⟦name⟧ : euh... supprime-la, je la régénère""",
)
T(
    "es",
    "handover_note",
    "P",
    """Traspaso de la web del restaurante
- Panel del hosting: ⟦user⟧ / ⟦pw⟧
- SMTP: ⟦email⟧, clave de aplicación ⟦pw⟧
- Token de SendGrid: ⟦sendgrid⟧
- IP del servidor: ⟦ip4⟧""",
)
T(
    "en",
    "combo_list",
    "P",
    """leaked list found on pastebin (reported to users):
⟦email⟧:⟦pw⟧
⟦email⟧:⟦pw⟧
⟦email⟧:⟦pw⟧
⟦email⟧:⟦pw⟧""",
)
T(
    "pt",
    "html_table",
    "P",
    """<table border="1">
<tr><td>Cliente</td><td>⟦name⟧</td></tr>
<tr><td>E-mail</td><td>⟦email⟧</td></tr>
<tr><td>Cartão</td><td>⟦cardsp⟧</td></tr>
<tr><td>IP</td><td>⟦ip4⟧</td></tr>
</table>""",
)
T(
    "it",
    "support_ticket",
    "P",
    """Ticket ⟦ticket⟧ — il cliente ha incollato nel modulo la sua chiave di Anthropic: ⟦anthropic⟧. Va revocata. Accesso da ⟦ip6⟧.""",
)
T(
    "nl",
    "tsv_sheet",
    "P",
    """naam	e-mail	kaart	vervaldatum
⟦name⟧	⟦email⟧	⟦cardplain⟧	09/27
⟦name⟧	⟦email⟧	⟦cardplain⟧	01/28""",
)
T(
    "en",
    "wiki_page",
    "P",
    """== Shared accounts ==
* Canva: ⟦email⟧ — pw ⟦pw⟧
* Zoom (webinars): ⟦email⟧ — pw ⟦pw⟧
* Hugging Face token for the demo space: ⟦hf⟧""",
)
T(
    "de",
    "csv_export",
    "P",
    """Name;E-Mail;Kartennummer;Ablauf
⟦name⟧;⟦email⟧;⟦carddash⟧;03/28
⟦name⟧;⟦email⟧;⟦cardsp⟧;12/27""",
)
T(
    "en",
    "receipt",
    "P",
    """MERCHANT COPY
Card: ⟦amex⟧
Cardholder: ⟦name⟧
Amount: USD ⟦amount⟧
Approval code: ⟦pnr⟧""",
)
T(
    "ru",
    "support_ticket",
    "P",
    """Инцидент ⟦ticket⟧: в публичном чате опубликован приватный ключ сервера:
⟦rsakey⟧
Ключ отозван, доступ с ⟦ip4⟧ заблокирован.""",
)
T(
    "ja",
    "support_ticket",
    "P",
    """問い合わせ ⟦ticket⟧：お客様がGitLabのトークン ⟦glpat⟧ をフォームに貼り付けました。失効済み。接続元 ⟦ip4⟧""",
)
T(
    "ko",
    "chat_export",
    "P",
    """⟦name⟧: 노션 통합 토큰 여기 둘게요 ⟦notion⟧
⟦name⟧: 공개 채널이에요! 지금 바로 재발급하세요""",
)
T(
    "zh",
    "chat_export",
    "P",
    """⟦name⟧：阿里云的 AccessKey ID 是 ⟦alibaba⟧，Secret 是 ⟦b64tok⟧
⟦name⟧：别发群里啊，赶紧换掉""",
)
T(
    "pl",
    "handover_note",
    "P",
    """Przekazanie obowiązków
Konto AWS: klucz ⟦akid⟧, sekret ⟦awssk⟧
Serwer produkcyjny: ⟦ip4⟧
Hasło do bazy: ⟦pw⟧""",
)
T(
    "tr",
    "chat_export",
    "P",
    """⟦name⟧: Discord botunun tokenı bu: ⟦discord⟧
⟦name⟧: tamam, sunucuya ekledim""",
)
T(
    "uk",
    "support_ticket",
    "P",
    """Звернення ⟦ticket⟧: клієнт надіслав рядок підключення з паролем ⟦pwu⟧ до бази на ⟦ip4⟧. Попросили змінити.""",
)
T(
    "sv",
    "chat_export",
    "P",
    """⟦name⟧: här är npm-token för att publicera paketet: ⟦npm⟧
⟦name⟧: tack, jag lägger den i CI:ns hemligheter""",
)
T(
    "es",
    "email",
    "P",
    """Asunto: acceso a Shopify
Hola ⟦name⟧, el token de la app privada es ⟦shpat⟧. La tienda es la de siempre. Cualquier cosa escribe a ⟦email⟧.""",
)
T(
    "de",
    "email",
    "P",
    """Hallo ⟦name⟧,
für die Newsletter-Anbindung: Mailchimp-API-Key ⟦mailchimp⟧. Absender ist ⟦email⟧.
Gruß""",
)
T(
    "fr",
    "support_ticket",
    "P",
    """Ticket ⟦ticket⟧ – le client nous a transmis l'en-tête Authorization: Basic ⟦basic⟧ dans sa capture. Demander la rotation du mot de passe.""",
)
T(
    "id",
    "chat_export",
    "P",
    """⟦name⟧: token DigitalOcean buat deploy: ⟦dop⟧
⟦name⟧: oke, jangan lupa dirotasi minggu depan""",
)
T(
    "vi",
    "chat_export",
    "P",
    """⟦name⟧: khóa API Google Maps: ⟦gapi⟧
⟦name⟧: nhớ giới hạn theo domain nhé""",
)
T(
    "ar",
    "chat_export",
    "P",
    """⟦name⟧: هذا رمز Linear للوصول عبر الـ API: ⟦linear⟧
⟦name⟧: تمام، سأضيفه إلى الإعدادات""",
)
T("he", "support_ticket", "P", """פנייה ⟦ticket⟧: הלקוח שלח טוקן Postman ⟦postman⟧ בצ'אט. בוטל. כתובת IP: ⟦ip4⟧""")
T(
    "hi",
    "email",
    "P",
    """विषय: ईमेल सेवा
⟦name⟧ जी, Mailgun की कुंजी ⟦mailgun⟧ है। भेजने वाला पता ⟦email⟧ रहेगा।""",
)
T(
    "el",
    "support_ticket",
    "P",
    """Αίτημα ⟦ticket⟧: ο πελάτης επικόλλησε το κλειδί Databricks ⟦dapi⟧ στο email του. Ανακλήθηκε. IP: ⟦ip4⟧""",
)
T(
    "cs",
    "chat_export",
    "P",
    """⟦name⟧: token pro Vault: ⟦hvs⟧
⟦name⟧: ten má platnost jen do zítra, ok""",
)
T(
    "nb",
    "handover_note",
    "P",
    """Overlevering
Cloudflare API-token: ⟦b64tok⟧
Grafana servicekonto: ⟦glsa⟧
Monitorering-IP: ⟦ip4⟧""",
)
T(
    "fi",
    "support_ticket",
    "P",
    """Tiketti ⟦ticket⟧: asiakas lähetti Square-tunnuksen ⟦square⟧ sähköpostissa. Mitätöity. Kirjautumisyritykset osoitteesta ⟦ip6⟧.""",
)
T(
    "ro",
    "chat_export",
    "P",
    """⟦name⟧: cheia Figma pentru plugin: ⟦figma⟧
⟦name⟧: mersi, o pun în setări""",
)
T(
    "hu",
    "support_ticket",
    "P",
    """Jegy ⟦ticket⟧: az ügyfél Okta API tokenje (SSWS ⟦okta⟧) bekerült a naplóba. Visszavonva.""",
)
T(
    "da",
    "chat_export",
    "P",
    """⟦name⟧: her er age-nøglen til backup-filerne: ⟦age⟧
⟦name⟧: gemt i password manageren""",
)
T(
    "ms",
    "chat_export",
    "P",
    """⟦name⟧: token Supabase untuk migrasi: ⟦sbp⟧
⟦name⟧: ok, saya tukar selepas siap""",
)
T(
    "en",
    "sms",
    "P",
    """Your new online banking PIN for first login: ⟦pin⟧. Card ending in ⟦num⟧ remains blocked. Our number: ⟦phone⟧.""",
)
T("de", "sms", "P", """Zugangscode Paketstation: ⟦pin⟧. Ihr Kundenkonto ⟦email⟧ wurde aktualisiert.""")
T(
    "es",
    "forum_post",
    "P",
    """Ayuda: mi router con IP pública ⟦ip4⟧ recibe intentos de login desde ⟦ip4⟧ y ⟦ip4⟧ cada minuto. ¿Bloqueo esos rangos?""",
)
T(
    "fr",
    "forum_post",
    "P",
    """Bonjour, mon serveur Minecraft sur ⟦ip4⟧ (IPv6 ⟦ip6⟧) n'est pas joignable depuis l'extérieur. Le port est bien ouvert sur la box…""",
)
T(
    "pt",
    "forum_post",
    "P",
    """Alguém sabe por que o servidor ⟦ip4⟧ aparece como spam? Os e-mails saem de ⟦email⟧ e são rejeitados pelo Gmail.""",
)
T(
    "ru",
    "forum_post",
    "P",
    """Подскажите, почему с адреса ⟦ip4⟧ идут тысячи запросов на wp-login.php? Хостинг говорит, что блокировать должен я.""",
)
T(
    "it",
    "web_form",
    "P",
    """Nome: ⟦name⟧
Email: ⟦email⟧
Numero carta: ⟦card⟧
Scadenza: 08/28
Codice promozionale: ⟦pnr⟧""",
)
T(
    "ja",
    "web_form",
    "P",
    """お名前：⟦name⟧
メールアドレス：⟦email⟧
カード番号：⟦cardsp⟧
有効期限：12/27""",
)
T(
    "ko",
    "web_form",
    "P",
    """이름: ⟦name⟧
이메일: ⟦email⟧
카드번호: ⟦carddash⟧
유효기간: 03/29""",
)
T(
    "zh",
    "web_form",
    "P",
    """姓名：⟦name⟧
邮箱：⟦email⟧
信用卡号：⟦card⟧
有效期：06/28""",
)
T(
    "tr",
    "web_form",
    "P",
    """Ad Soyad: ⟦name⟧
E-posta: ⟦email⟧
Kart numarası: ⟦cardsp⟧
Son kullanma: 10/28""",
)
T(
    "nl",
    "wiki_page",
    "P",
    """= Wachtwoorden vereniging =
Website beheer: ⟦user⟧ / ⟦pp⟧
Ledenadministratie: ⟦email⟧ / ⟦pw⟧""",
)
T(
    "sv",
    "wiki_page",
    "P",
    """Gemensamma konton
* Instagram: ⟦email⟧ — lösen ⟦pw⟧
* Webshop-admin: ⟦user⟧ — lösen ⟦pp⟧""",
)
T(
    "en",
    "plain_table",
    "P",
    """ACCOUNT          USER                 PASSWORD
ups.com          ⟦user⟧         ⟦pw⟧
dhl business     ⟦email⟧      ⟦pw⟧
alarm panel      installer            ⟦pin⟧""",
)
T(
    "de",
    "html_table",
    "P",
    """<table>
<tr><th>Gerät</th><th>IP</th><th>Passwort</th></tr>
<tr><td>Firewall (extern)</td><td>⟦ip4⟧</td><td>⟦pw⟧</td></tr>
<tr><td>Switch</td><td>⟦privip⟧</td><td>⟦pw⟧</td></tr>
</table>""",
)
# ===== mixed natural-language hard negatives =====
T(
    "en",
    "chat_export",
    "crypto_wallet",
    """⟦name⟧: send the refund in BTC to ⟦btc⟧ please
⟦name⟧: or USDT (ERC-20) to ⟦eth⟧, whatever is cheaper""",
)
T(
    "de",
    "email",
    "crypto_wallet",
    """Spenden für den Verein nehmen wir auch per Krypto entgegen: Bitcoin ⟦btc⟧, Ethereum ⟦eth⟧. Vielen Dank!""",
)
T("es", "forum_post", "crypto_wallet", """Mi dirección para la rifa: ⟦eth⟧. Si gano, ¡gracias!""")
T(
    "en",
    "support_ticket",
    "password_hash",
    """Ticket ⟦ticket⟧: user ⟦user⟧ can't log in. DB row shows hash ⟦bcrypt⟧, last_login ⟦date⟧. Hash looks fine, probably caps lock.""",
)
T(
    "ru",
    "support_ticket",
    "password_hash",
    """Заявка ⟦ticket⟧: в дампе таблицы users у ⟦user⟧ хеш ⟦argon2⟧ — восстановить пароль из него нельзя, отправьте ссылку сброса.""",
)
T(
    "fr",
    "wiki_page",
    "password_hash",
    """Migration des comptes : les anciens hachages au format ⟦crypt⟧ seront convertis en bcrypt lors de la prochaine connexion de l'utilisateur.""",
)
T(
    "en",
    "wiki_page",
    "checksum_digest",
    """Download the installer and verify it before running:
SHA-256: ⟦sha256⟧
MD5 (legacy): ⟦md5⟧""",
)
T(
    "de",
    "email",
    "checksum_digest",
    """Hallo ⟦name⟧, die Prüfsumme der Backup-Datei vom ⟦ddate⟧ lautet ⟦sha256⟧. Bitte nach dem Kopieren vergleichen.""",
)
T(
    "ja",
    "wiki_page",
    "checksum_digest",
    """配布ファイルのSHA-1ハッシュ：⟦sha1⟧。ダウンロード後に必ず確認してください。""",
)
T(
    "en",
    "support_ticket",
    "uuid_identifier",
    """Ticket ⟦ticket⟧: webhook delivery failed for subscription ⟦uuid⟧, event ⟦uuid⟧. Customer account ⟦custno⟧.""",
)
T(
    "pt",
    "email",
    "uuid_identifier",
    """Olá, o ID da sua instalação é ⟦uuid⟧. Informe-o ao suporte se precisar de ajuda.""",
)
T(
    "en",
    "chat_export",
    "vendor_example_key",
    """⟦name⟧: is this a real key in the tutorial? ⟦exkey⟧
⟦name⟧: no, that's the placeholder straight out of the docs, nothing to revoke""",
)
T(
    "de",
    "wiki_page",
    "vendor_example_key",
    """In der Anleitung steht als Beispiel AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE und AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY – bitte durch eigene Werte ersetzen.""",
)
T(
    "en",
    "support_ticket",
    "redacted_secret",
    """Ticket ⟦ticket⟧: logs attached. The auth header is shown as Authorization: Bearer ⟦redacted⟧ and password=⟦redacted⟧, so nothing sensitive leaked.""",
)
T(
    "es",
    "support_ticket",
    "redacted_secret",
    """Incidencia ⟦ticket⟧: en la captura la contraseña aparece como ⟦redacted⟧; el cliente no compartió datos sensibles.""",
)
T(
    "en",
    "onboarding_note",
    "secret_reference",
    """Day 1 checklist for ⟦name⟧:
- laptop asset tag ⟦serial⟧
- password manager invite sent to the work address
- all shared logins live in 1Password vault "Studio"; never copy them into Notion""",
)
T(
    "fr",
    "email",
    "secret_reference",
    """Bonjour ⟦name⟧, le mot de passe du compte partagé est dans le coffre Bitwarden « Compta ». Je ne l'envoie pas par mail, évidemment.""",
)
T(
    "en",
    "email",
    "phone_number",
    """Hi ⟦name⟧, if the delivery is late call the depot on ⟦phone⟧ or the driver on ⟦phone⟧. Order ⟦order⟧.""",
)
T("it", "email", "phone_number", """Per urgenze chiamate ⟦name⟧ al ⟦phone⟧ oppure il centralino ⟦phone⟧.""")
T(
    "en",
    "inventory_list",
    "serial_number",
    """Laptop inventory
⟦name⟧ — ThinkPad T14, S/N ⟦serial⟧, MAC ⟦mac⟧
⟦name⟧ — MacBook Air, S/N ⟦serial⟧, MAC ⟦mac⟧""",
)
T(
    "de",
    "inventory_list",
    "mac_address",
    """Geräteliste WLAN-Freigabe: Drucker ⟦mac⟧, Kassensystem ⟦mac⟧, Tablet Empfang ⟦mac⟧.""",
)
T(
    "en",
    "support_ticket",
    "customer_number",
    """Ticket ⟦ticket⟧: customer ⟦custno⟧ disputes invoice ⟦invoice⟧ of ⟦amount⟧ EUR dated ⟦ddate⟧.""",
)
T(
    "nl",
    "email",
    "customer_number",
    """Beste klant, uw klantnummer is ⟦custno⟧ en uw contractnummer ⟦order⟧. Vermeld deze bij elke betaling.""",
)
T(
    "en",
    "chat_export",
    "luhn_invalid_number",
    """⟦name⟧: the form says my card ⟦badcard⟧ is invalid
⟦name⟧: you probably mistyped a digit, that number fails the checksum""",
)
T(
    "de",
    "support_ticket",
    "luhn_invalid_number",
    """Ticket ⟦ticket⟧: Kunde tippt ⟦badcard⟧ ein, Prüfziffer falsch – Zahlungsdienst lehnt ab. Kunde soll Nummer von der Karte abschreiben.""",
)
T(
    "en",
    "wiki_page",
    "public_key",
    """To give me access to the build box, add my public key to authorized_keys:
⟦sshpub⟧ ⟦user⟧-laptop""",
)
T(
    "es",
    "email",
    "public_key",
    """Hola, esta es mi clave pública para el servidor (la privada no sale de mi portátil):
⟦sshpub⟧""",
)
T(
    "en",
    "support_ticket",
    "ssh_fingerprint",
    """Ticket ⟦ticket⟧: user asks whether the host key warning is legit. Expected fingerprint for the new server: ⟦sshfp⟧ (ED25519).""",
)
T(
    "de",
    "email",
    "ssh_fingerprint",
    """Beim ersten Verbinden muss der Fingerabdruck ⟦sshfp⟧ angezeigt werden. Wenn nicht, bitte abbrechen und ⟦name⟧ anrufen.""",
)
T(
    "en",
    "email",
    "certificate_block",
    """Hi ⟦name⟧, here is the intermediate certificate the hosting company asked for:
⟦cert⟧""",
)
T(
    "en",
    "wiki_page",
    "publishable_key",
    """Front-end config for the donation page: Stripe publishable key ⟦pklive⟧. This one is meant to be public; the secret key stays on the server.""",
)
T(
    "fr",
    "chat_export",
    "publishable_key",
    """⟦name⟧ : le token Mapbox pour la carte du site c'est ⟦mapbox⟧
⟦name⟧ : ok, c'est un token public de toute façon""",
)
T(
    "en",
    "chat_export",
    "oauth_client_id",
    """⟦name⟧: which Google client ID do we use for "Sign in with Google"?
⟦name⟧: ⟦gclient⟧ — the client secret is NOT in this chat, ask ⟦name⟧""",
)
T(
    "pt",
    "wiki_page",
    "recaptcha_site_key",
    """Chave do site reCAPTCHA (pública, vai no HTML do formulário): ⟦recaptcha⟧""",
)
T(
    "en",
    "booking_confirmation",
    "booking_reference",
    """Hotel booking confirmed. Confirmation no. ⟦order⟧, PIN for changes sent separately. Guest: ⟦name⟧, check-in ⟦date⟧.""",
)
T(
    "de",
    "booking_confirmation",
    "booking_reference",
    """Ihre Buchung ⟦pnr⟧ ist bestätigt. Reisender: ⟦name⟧, Hinflug ⟦ddate⟧ ⟦time⟧ Uhr. Sitzplatz 14C.""",
)
T(
    "ko",
    "booking_confirmation",
    "booking_reference",
    """예약 번호 ⟦pnr⟧ 이(가) 확정되었습니다. 탑승객 ⟦name⟧, 출발 ⟦date⟧ ⟦time⟧.""",
)
T(
    "zh",
    "booking_confirmation",
    "booking_reference",
    """您的酒店预订已确认，确认号 ⟦order⟧，入住人 ⟦name⟧，入住日期 ⟦date⟧。""",
)
T(
    "en",
    "support_ticket",
    "support_ticket_id",
    """Merged ⟦ticket⟧ into ⟦ticket⟧. Related incidents ⟦ticket⟧ and ⟦ticket⟧ closed as duplicates.""",
)
T(
    "es",
    "email",
    "support_ticket_id",
    """Hemos recibido su consulta. Número de incidencia: ⟦ticket⟧. Responda a este correo sin cambiar el asunto.""",
)
T("ar", "email", "support_ticket_id", """تم استلام طلبك برقم ⟦ticket⟧. سنرد عليك خلال 48 ساعة.""")
T(
    "en",
    "chat_export",
    "placeholder_credential",
    """⟦name⟧: what do I put in API_KEY?
⟦name⟧: for now leave it as ⟦placeholder⟧, the real key comes from the vault at deploy time""",
)
T(
    "ja",
    "wiki_page",
    "placeholder_credential",
    """設定例：API_KEY=⟦placeholder⟧、PASSWORD=⟦placeholder⟧ のように記載し、実際の値は書かないでください。""",
)
T(
    "de",
    "chat_export",
    "env_var_reference",
    """⟦name⟧: wo kommt das SMTP-Passwort her?
⟦name⟧: aus ⟦envref⟧, steht nirgends im Klartext""",
)
T(
    "en",
    "email",
    "example_domain_email",
    """Hi ⟦name⟧, in the docs please replace real addresses with ⟦exemail⟧ style ones, e.g. ⟦exemail⟧ for the sales contact.""",
)
T(
    "fr",
    "wiki_page",
    "example_domain_email",
    """Pour les tests, utilisez les adresses ⟦exemail⟧ et ⟦exemail⟧ : elles ne reçoivent jamais de courrier.""",
)
T(
    "de",
    "wiki_page",
    "documentation_ip",
    """Beispielkonfiguration: Server ⟦docip⟧, Gateway ⟦docip⟧, IPv6 ⟦docip6⟧. Das sind Dokumentationsadressen, bitte nicht produktiv nutzen.""",
)
T(
    "en",
    "chat_export",
    "private_ip",
    """⟦name⟧: printer moved to ⟦privip⟧
⟦name⟧: and the NAS?
⟦name⟧: still ⟦privip⟧, reboot it if it hangs""",
)
T(
    "es",
    "email",
    "private_ip",
    """El NAS está en ⟦privip⟧ y la cámara del almacén en ⟦privip⟧; solo se accede desde la red de la oficina.""",
)
T(
    "en",
    "wiki_page",
    "loopback_localhost",
    """Local dev: the app listens on ⟦loopback⟧:3000, the mock mail server on ⟦loopback⟧:1025. Nothing here is reachable from outside.""",
)
T(
    "en",
    "chat_export",
    "network_name",
    """⟦name⟧: which network is the conference room on?
⟦name⟧: ⟦ssid⟧, you log in with your normal company account""",
)
T(
    "pl",
    "email",
    "network_name",
    """W sali konferencyjnej dostępna jest sieć ⟦ssid⟧. Hasło otrzymacie na miejscu od recepcji.""",
)
T(
    "en",
    "email",
    "password_talk_no_value",
    """Hi ⟦name⟧, I reset your password — you'll get an e-mail with a one-time link. It expires in 30 minutes, and nobody at IT can see the new password you choose.""",
)
T(
    "de",
    "chat_export",
    "password_talk_no_value",
    """⟦name⟧: hab das WLAN-Passwort vergessen
⟦name⟧: steht auf dem Zettel am Kühlschrank, schick ich nicht über WhatsApp""",
)
T(
    "ru",
    "chat_export",
    "password_talk_no_value",
    """⟦name⟧: пароль от роутера сменили?
⟦name⟧: да, новый скажу лично, в чат писать не буду""",
)
T(
    "zh",
    "chat_export",
    "password_talk_no_value",
    """⟦name⟧：wifi密码改了吗？
⟦name⟧：改了，新密码贴在前台，别在群里发""",
)
T(
    "en",
    "receipt",
    "receipt_without_card",
    """Corner Bakery — receipt ⟦invoice⟧
2x sourdough   ⟦amount⟧
1x flat white  ⟦amount⟧
Paid: CASH
⟦date⟧ ⟦time⟧""",
)
T(
    "fr",
    "invoice",
    "invoice_number",
    """Facture n° ⟦invoice⟧ du ⟦ddate⟧ — client ⟦custno⟧ — montant TTC ⟦amount⟧ €. Paiement par virement à réception.""",
)
T(
    "it",
    "email",
    "order_number",
    """Gentile cliente, il suo ordine ⟦order⟧ è stato spedito. Numero cliente ⟦custno⟧, fattura ⟦invoice⟧.""",
)
T(
    "sw",
    "shipping_notice",
    "tracking_number",
    """Kifurushi chako ⟦track⟧ kitafika tarehe ⟦ddate⟧. Nambari ya oda ⟦order⟧.""",
)
T("hi", "email", "username_only", """नमस्ते ⟦name⟧, पोर्टल पर आपका यूज़रनेम ⟦user⟧ है। पासवर्ड SMS से अलग भेजा जाएगा।""")
T(
    "ar",
    "chat_export",
    "username_only",
    """⟦name⟧: اسم المستخدم في نظام الحضور هو ⟦user⟧، وكلمة المرور ستصلك من الموارد البشرية.""",
)
T("vi", "email", "masked_card", """Giao dịch ⟦amount⟧ VND bằng thẻ ⟦masked⟧ đã thành công. Mã đơn hàng ⟦order⟧.""")
T(
    "id",
    "chat_export",
    "masked_card",
    """⟦name⟧: kartu yang dipakai yang mana?
⟦name⟧: yang ujungnya ⟦masked⟧""",
)
T("he", "email", "masked_card", """החיוב בסך ⟦amount⟧ ₪ בכרטיס ⟦masked⟧ בוצע בהצלחה. מספר הזמנה ⟦order⟧.""")
T("el", "email", "masked_card", """Η χρέωση ⟦amount⟧ € στην κάρτα ⟦masked⟧ ολοκληρώθηκε. Παραγγελία ⟦order⟧.""")
T(
    "bg",
    "email",
    "password_policy",
    """Колеги, паролата трябва да е поне 12 символа, с букви и цифри. ИТ отделът никога няма да ви поиска паролата.""",
)
T(
    "hr",
    "email",
    "password_policy",
    """Lozinka mora imati najmanje 12 znakova te sadržavati slova i brojke. Nikada ne šaljite lozinku e-poštom.""",
)
T(
    "lt",
    "email",
    "password_policy",
    """Slaptažodis turi būti bent 12 simbolių, su raidėmis ir skaičiais. IT skyrius niekada neprašys jūsų slaptažodžio.""",
)
T("th", "email", "password_policy", """รหัสผ่านต้องมีอย่างน้อย 12 ตัวอักษร ประกอบด้วยตัวอักษรและตัวเลข ฝ่ายไอทีจะไม่ถามรหัสผ่านของคุณ""")
T(
    "ta",
    "email",
    "password_policy",
    """கடவுச்சொல் குறைந்தது 12 எழுத்துகள் கொண்டதாகவும் எழுத்துகளும் எண்களும் கலந்ததாகவும் இருக்க வேண்டும்.""",
)
T(
    "ca",
    "email",
    "password_policy",
    """Recordeu: la contrasenya ha de tenir com a mínim 12 caràcters amb lletres i números. Informàtica mai no us la demanarà.""",
)
T("lv", "email", "username_only", """Jūsu lietotājvārds ir ⟦user⟧. Paroli saņemsiet atsevišķi pa SMS.""")
T(
    "et",
    "support_ticket",
    "username_only",
    """Pöördumine ⟦ticket⟧: kasutaja ⟦user⟧ konto avati uuesti, parooli lähtestamise link saadeti.""",
)
T("sl", "email", "order_number", """Vaše naročilo ⟦order⟧ je potrjeno. Številka stranke ⟦custno⟧.""")
T("sr", "shipping_notice", "tracking_number", """Ваша пошиљка ⟦track⟧ стиже ⟦ddate⟧. Поруџбина ⟦order⟧.""")
T("fa", "shipping_notice", "tracking_number", """مرسوله شما با کد رهگیری ⟦track⟧ در تاریخ ⟦ddate⟧ تحویل می‌شود.""")
T("bn", "email", "masked_card", """আপনার কার্ড ⟦masked⟧ থেকে ⟦amount⟧ টাকা কাটা হয়েছে। অর্ডার ⟦order⟧।""")
T(
    "tl",
    "email",
    "password_policy",
    """Paalala: ang password ay dapat hindi bababa sa 12 karakter at may titik at numero. Hindi kailanman hihingin ng IT ang iyong password.""",
)
T("ms", "shipping_notice", "tracking_number", """Bungkusan anda ⟦track⟧ akan dihantar pada ⟦ddate⟧. Pesanan ⟦order⟧.""")
T(
    "uk",
    "email",
    "password_policy",
    """Нагадуємо: пароль має містити щонайменше 12 символів, літери та цифри. ІТ-відділ ніколи не просить ваш пароль.""",
)
T(
    "sk",
    "order_confirmation",
    "masked_card",
    """Objednávka ⟦order⟧ bola zaplatená kartou ⟦masked⟧. Suma: ⟦amount⟧ EUR.""",
)
T(
    "hu",
    "order_confirmation",
    "order_number",
    """Rendelésszám: ⟦order⟧, ügyfélszám: ⟦custno⟧. Várható kiszállítás: ⟦ddate⟧.""",
)
T(
    "ro",
    "email",
    "password_policy",
    """Parola trebuie să aibă cel puțin 12 caractere, cu litere și cifre. Departamentul IT nu vă va cere niciodată parola.""",
)
T(
    "tr",
    "support_ticket",
    "support_ticket_id",
    """Talebiniz ⟦ticket⟧ numarası ile kaydedildi. Lütfen yanıt verirken konu satırını değiştirmeyin.""",
)
T("fi", "email", "customer_number", """Asiakasnumerosi on ⟦custno⟧ ja laskun numero ⟦invoice⟧. Eräpäivä ⟦ddate⟧.""")
T("da", "support_ticket", "uuid_identifier", """Sag ⟦ticket⟧: fejlen vedrører enheden ⟦uuid⟧. Log-id ⟦uuid⟧.""")
T(
    "sv",
    "chat_export",
    "network_name",
    """⟦name⟧: vilket nät ska jag välja?
⟦name⟧: ⟦ssid⟧, lösenordet står på lappen vid kaffemaskinen""",
)
T("nb", "email", "customer_number", """Kundenummeret ditt er ⟦custno⟧. Fakturanummer ⟦invoice⟧, forfall ⟦ddate⟧.""")
T(
    "cs",
    "email",
    "password_policy",
    """Heslo musí mít alespoň 12 znaků a obsahovat písmena i číslice. IT oddělení vás o heslo nikdy nepožádá.""",
)
# ===== code / config / logs: positives =====
C(
    "dotenv",
    "P",
    """# .env for the booking site — DO NOT COMMIT
APP_ENV=production
DB_HOST=⟦host⟧
DB_USER=booking
DB_PASSWORD=⟦pw⟧
STRIPE_SECRET_KEY=⟦sklive⟧
STRIPE_WEBHOOK_SECRET=⟦whsec⟧
MAIL_FROM=⟦email⟧""",
)
C(
    "dotenv",
    "P",
    """APP_NAME=Shopfront
APP_KEY=base64:⟦laravel⟧
APP_URL=https://shop.⟦domain⟧
MAIL_USERNAME=⟦email⟧
MAIL_PASSWORD=⟦pw⟧""",
)
C(
    "dotenv",
    "P",
    """OPENAI_API_KEY=⟦openai⟧
ANTHROPIC_API_KEY=⟦anthropic⟧
HF_TOKEN=⟦hf⟧
LOG_LEVEL=info""",
)
C(
    "docker_compose",
    "P",
    """services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ⟦pw⟧
  app:
    image: ghcr.io/acme/app:latest
    environment:
      DATABASE_URL: postgres://app:⟦pwu⟧@db:5432/app
      SENDGRID_API_KEY: ⟦sendgrid⟧""",
)
C(
    "k8s_manifest",
    "P",
    """apiVersion: v1
kind: Secret
metadata:
  name: shop-db
type: Opaque
data:
  username: YXBw
  password: ⟦k8s⟧""",
)
C(
    "k8s_manifest",
    "P",
    """apiVersion: v1
kind: Secret
metadata:
  name: notifier
stringData:
  SLACK_BOT_TOKEN: ⟦xoxb⟧
  TELEGRAM_TOKEN: ⟦tgbot⟧""",
)
C(
    "python_script",
    "P",
    """import requests

API = "https://api.⟦domain⟧/v2/orders"
TOKEN = "⟦b64tok⟧"  # TODO move to env

r = requests.get(API, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
print(r.json())""",
)
C("curl_command", "P", """curl -u ⟦user⟧:⟦pw⟧ https://files.⟦domain⟧/api/upload -F file=@report.pdf""")
C(
    "curl_command",
    "P",
    '''curl -s https://api.⟦domain⟧/me \\
  -H "Authorization: Bearer ⟦jwt⟧" \\
  -H "Accept: application/json"''',
)
C(
    "git_diff",
    "P",
    """diff --git a/config/settings.py b/config/settings.py
@@ -12,7 +12,7 @@ DEBUG = False
-SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
+SECRET_KEY = "⟦djkey⟧"
 ALLOWED_HOSTS = ["shop.⟦domain⟧"]""",
)
C(
    "app_log",
    "P",
    """⟦date⟧T⟦time⟧:11Z INFO  login ok user=⟦email⟧ ip=⟦ip4⟧
⟦date⟧T⟦time⟧:42Z WARN  login failed user=⟦email⟧ ip=⟦ip4⟧ attempts=3
⟦date⟧T⟦time⟧:03Z INFO  password reset requested user=⟦email⟧ ip=⟦ip6⟧""",
)
C(
    "nginx_access_log",
    "P",
    '''⟦ip4⟧ - - [12/Mar/2025:10:14:02 +0100] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"
⟦ip4⟧ - - [12/Mar/2025:10:14:05 +0100] "POST /xmlrpc.php HTTP/1.1" 403 162 "-" "curl/8.4.0"
⟦ip6⟧ - - [12/Mar/2025:10:15:31 +0100] "GET / HTTP/2.0" 200 5120 "-" "Mozilla/5.0"''',
)
C(
    "terraform",
    "P",
    """provider "aws" {
  region     = "eu-central-1"
  access_key = "⟦akid⟧"
  secret_key = "⟦awssk⟧"
}""",
)
C(
    "ci_config",
    "P",
    """name: deploy
on: [push]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ./deploy.sh
        env:
          DO_TOKEN: ⟦dop⟧
          GH_TOKEN: ⟦ghpat⟧""",
)
C(
    "npmrc",
    "P",
    """//registry.npmjs.org/:_authToken=⟦npm⟧
@acme:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦ghp⟧""",
)
C(
    "pypirc",
    "P",
    """[distutils]
index-servers = pypi

[pypi]
username = __token__
password = ⟦pypi⟧""",
)
C(
    "php_config",
    "P",
    """<?php
define( 'DB_NAME', 'wp_blog' );
define( 'DB_USER', 'wp_user' );
define( 'DB_PASSWORD', '⟦pw⟧' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY', '⟦b64tok⟧' );""",
)
C(
    "properties_file",
    "P",
    """spring.datasource.url=jdbc:mysql://⟦host⟧:3306/crm
spring.datasource.username=crm
spring.datasource.password=⟦pw⟧
spring.mail.username=⟦email⟧
spring.mail.password=⟦pw⟧""",
)
C(
    "json_config",
    "P",
    """{
  "ConnectionStrings": {
    "Default": "Server=⟦host⟧;Database=Shop;User Id=shop;Password=⟦pw⟧;",
    "Storage": "DefaultEndpointsProtocol=https;AccountName=shopfiles;AccountKey=⟦azkey⟧;EndpointSuffix=core.windows.net"
  }
}""",
)
C(
    "shell_history",
    "P",
    """  501  ssh -p 2222 ⟦user⟧@⟦ip4⟧
  502  mysql -u root -p⟦pw⟧ shop < dump.sql
  503  export GITHUB_TOKEN=⟦ghp⟧
  504  gh release list""",
)
C(
    "shell_history",
    "P",
    """psql "postgresql://report:⟦pwu⟧@⟦ip4⟧:5432/analytics"
redis-cli -u redis://:⟦pwu⟧@⟦host⟧:6379/0 ping""",
)
C(
    "python_script",
    "P",
    """from pymongo import MongoClient
client = MongoClient("mongodb+srv://⟦user⟧:⟦pwu⟧@cluster0.⟦domain⟧/?retryWrites=true")
db = client.shop""",
)
C(
    "python_script",
    "P",
    """import smtplib
s = smtplib.SMTP("smtp.⟦domain⟧", 587)
s.starttls()
s.login("⟦email⟧", "⟦pw⟧")""",
)
C(
    "python_script",
    "P",
    """import telebot
bot = telebot.TeleBot("⟦tgbot⟧")

@bot.message_handler(commands=["start"])
def hi(m):
    bot.reply_to(m, "hello")""",
)
C(
    "js_config",
    "P",
    """const { Client, GatewayIntentBits } = require("discord.js");
const client = new Client({ intents: [GatewayIntentBits.Guilds] });
client.login("⟦discord⟧");""",
)
C(
    "js_config",
    "P",
    """const { WebClient } = require("@slack/web-api");
const web = new WebClient("⟦xoxp⟧");
web.chat.postMessage({ channel: "#orders", text: "new order" });""",
)
C(
    "js_config",
    "P",
    """const stripe = require("stripe")("⟦sktest⟧");
// test mode key, still keep it out of the repo
module.exports = stripe;""",
)
C(
    "python_script",
    "P",
    """from openai import OpenAI
client = OpenAI(api_key="⟦openai⟧")
print(client.models.list())""",
)
C(
    "jupyter_cell",
    "P",
    """# In[3]:
import anthropic
c = anthropic.Anthropic(api_key="⟦anthropic⟧")
c.messages.create(model="claude-x", max_tokens=50, messages=[{"role": "user", "content": "hi"}])""",
)
C(
    "jupyter_cell",
    "P",
    """# In[1]:
from huggingface_hub import login
login(token="⟦hf⟧")""",
)
C(
    "python_script",
    "P",
    """import sendgrid
sg = sendgrid.SendGridAPIClient(api_key="⟦sendgrid⟧")""",
)
C(
    "shell_script",
    "P",
    """curl -s --user "api:⟦mailgun⟧" https://api.mailgun.net/v3/mg.⟦domain⟧/messages \\
  -F from="Shop <⟦email⟧>" -F to=⟦email⟧ -F subject=Test -F text=hello""",
)
C(
    "python_script",
    "P",
    """from twilio.rest import Client
account_sid = "AC⟦md5⟧"
auth_token = "⟦hex32⟧"
client = Client(account_sid, auth_token)""",
)
C(
    "shell_script",
    "P",
    '''curl -X GET "https://acme-shop.myshopify.com/admin/api/2024-01/orders.json" \\
  -H "X-Shopify-Access-Token: ⟦shpat⟧"''',
)
C(
    "shell_history",
    "P",
    """doctl auth init --access-token ⟦dop⟧
export VAULT_ADDR=https://vault.⟦domain⟧:8200
export VAULT_TOKEN=⟦hvs⟧
vault kv get secret/shop""",
)
C(
    "json_config",
    "P",
    """{
  "credentials": {
    "app.terraform.io": {
      "token": "⟦tfc⟧"
    }
  }
}""",
)
C(
    "yaml_config",
    "P",
    """# Pulumi + Supabase access for the staging stack
pulumi:
  accessToken: ⟦pulumi⟧
supabase:
  accessToken: ⟦sbp⟧
  dbPassword: ⟦pw⟧""",
)
C(
    "yaml_config",
    "P",
    """newrelic:
  license_region: eu
  api_key: ⟦nrak⟧
grafana:
  url: https://grafana.⟦domain⟧
  service_account_token: ⟦glsa⟧""",
)
C(
    "age_keyfile",
    "P",
    """# created: 2024-11-02T10:12:44+01:00
# public key: age1⟦md5⟧⟦md5⟧
⟦age⟧""",
)
C(
    "dotenv",
    "P",
    """DOPPLER_TOKEN=⟦doppler⟧
POSTMAN_API_KEY=⟦postman⟧
SQUARE_ACCESS_TOKEN=⟦square⟧""",
)
C(
    "postman_env",
    "P",
    """{
  "name": "prod",
  "values": [
    {"key": "baseUrl", "value": "https://api.⟦domain⟧", "enabled": true},
    {"key": "apiKey", "value": "⟦hex40⟧", "enabled": true},
    {"key": "password", "value": "⟦pw⟧", "enabled": true}
  ]
}""",
)
C(
    "js_config",
    "P",
    """import { LinearClient } from "@linear/sdk";
import { Client } from "@notionhq/client";
export const linear = new LinearClient({ apiKey: "⟦linear⟧" });
export const notion = new Client({ auth: "⟦notion⟧" });""",
)
C(
    "ini_config",
    "P",
    """[DEFAULT]
host = https://adb-⟦num⟧⟦num⟧.azuredatabricks.net
token = ⟦dapi⟧""",
)
C(
    "curl_command",
    "P",
    """curl -u ⟦email⟧:⟦atlassian⟧ -H "Accept: application/json" https://acme.atlassian.net/rest/api/3/myself""",
)
C("curl_command", "P", """curl -H "Authorization: SSWS ⟦okta⟧" https://acme.okta.com/api/v1/users?limit=5""")
C(
    "js_config",
    "P",
    """const FIGMA_TOKEN = "⟦figma⟧";
const DROPBOX_TOKEN = "⟦dropbox⟧";
fetch(url, { headers: { "X-Figma-Token": FIGMA_TOKEN } });""",
)
C(
    "aws_credentials",
    "P",
    """[default]
aws_access_key_id = ⟦akid⟧
aws_secret_access_key = ⟦awssk⟧

[backup]
aws_access_key_id = ⟦akid⟧
aws_secret_access_key = ⟦awssk⟧""",
)
C(
    "wpa_supplicant",
    "P",
    """network={
    ssid="⟦ssid⟧"
    psk="⟦psk⟧"
    key_mgmt=WPA-PSK
}""",
)
C(
    "fail2ban_log",
    "P",
    """⟦date⟧ 03:12:44,101 fail2ban.actions [812]: NOTICE [sshd] Ban ⟦ip4⟧
⟦date⟧ 03:15:02,377 fail2ban.actions [812]: NOTICE [sshd] Ban ⟦ip4⟧
⟦date⟧ 03:20:19,008 fail2ban.actions [812]: NOTICE [postfix-sasl] Ban ⟦ip4⟧""",
)
C(
    "firewall_rules",
    "P",
    """# allow office and the accountant's home
ufw allow from ⟦ip4⟧ to any port 22
ufw allow from ⟦ip4⟧ to any port 443
ufw allow from ⟦ip6⟧ to any port 22""",
)
C(
    "http_request_dump",
    "P",
    """GET /account HTTP/1.1
Host: shop.⟦domain⟧
Cookie: sessionid=⟦sess⟧; lang=de
User-Agent: Mozilla/5.0
X-Forwarded-For: ⟦ip4⟧""",
)
C(
    "http_request_dump",
    "P",
    """POST /api/sync HTTP/1.1
Host: erp.⟦domain⟧
Authorization: Basic ⟦basic⟧
Content-Type: application/json""",
)
C(
    "json_log",
    "P",
    """{"ts":"⟦date⟧T⟦time⟧:00Z","level":"error","msg":"payment declined","email":"⟦email⟧","client_ip":"⟦ip4⟧","card":"⟦cardplain⟧"}
{"ts":"⟦date⟧T⟦time⟧:07Z","level":"info","msg":"retry ok","email":"⟦email⟧","client_ip":"⟦ip4⟧"}""",
)
C(
    "git_credentials",
    "P",
    """https://⟦user⟧:⟦ghp⟧@github.com
https://oauth2:⟦glpat⟧@gitlab.⟦domain⟧""",
)
C(
    "ansible_inventory",
    "P",
    """[web]
⟦ip4⟧ ansible_user=deploy ansible_password=⟦pw⟧
⟦ip4⟧ ansible_user=deploy ansible_password=⟦pw⟧

[db]
⟦host⟧ ansible_become_pass=⟦pw⟧""",
)
C(
    "sql_dump",
    "P",
    """INSERT INTO customers (id, name, email, card_number, last_ip) VALUES
(1041, '⟦name⟧', '⟦email⟧', '⟦cardplain⟧', '⟦ip4⟧'),
(1042, '⟦name⟧', '⟦email⟧', '⟦cardplain⟧', '⟦ip4⟧');""",
)
C(
    "chat_export",
    "P",
    """[dev-ops] ⟦name⟧: here's the key for the staging box, paste it into ~/.ssh/staging
⟦privkey⟧
[dev-ops] ⟦name⟧: thx""",
)
C(
    "python_script",
    "P",
    '''# google maps geocoding
GMAPS_KEY = "⟦gapi⟧"
GITHUB_APP_TOKEN = "⟦gho⟧"''',
)
C(
    "yaml_config",
    "P",
    """smtp:
  host: smtp.⟦domain⟧
  port: 587
  user: ⟦email⟧
  password: ⟦pw⟧
webhook:
  signing_secret: ⟦hex64⟧""",
)
C(
    "ssh_config_note",
    "P",
    """# router at the holiday flat, set up by ⟦name⟧
# WAN: ⟦ip4⟧  admin password: ⟦pw⟧  Wi-Fi PSK: ⟦psk⟧""",
)
C(
    "cron_script",
    "P",
    """#!/bin/sh
# nightly backup
export RESTIC_PASSWORD="⟦pp⟧"
export AWS_ACCESS_KEY_ID=⟦akid⟧
export AWS_SECRET_ACCESS_KEY=⟦awssk⟧
restic -r s3:s3.amazonaws.com/acme-backup backup /srv""",
)
C(
    "email_headers",
    "P",
    """Received: from mail.⟦domain⟧ (mail.⟦domain⟧ [⟦ip4⟧])
From: ⟦name⟧ <⟦email⟧>
To: ⟦email⟧
Subject: Rechnung""",
)
C(
    "csv_export",
    "P",
    """order_id,customer_email,card,ip
⟦order⟧,⟦email⟧,⟦carddash⟧,⟦ip4⟧
⟦order⟧,⟦email⟧,⟦carddash⟧,⟦ip4⟧""",
)
C(
    "python_script",
    "P",
    """# test fixture accidentally copied from prod
CUSTOMER = {"email": "⟦email⟧", "card": "⟦cardsp⟧", "exp": "07/28"}""",
)
# ===== code / config / logs: hard negatives =====
C(
    "dotenv",
    "placeholder_credential",
    """# .env.example — copy to .env and fill in
DB_PASSWORD=⟦placeholder⟧
STRIPE_SECRET_KEY=sk_live_your_key_here
OPENAI_API_KEY=⟦placeholder⟧
SMTP_PASSWORD=""",
)
C(
    "yaml_config",
    "placeholder_credential",
    """# values.yaml defaults — override per environment
auth:
  adminPassword: ""        # set via --set auth.adminPassword=...
  apiToken: ⟦placeholder⟧
  jwtSecret: <generate-with-openssl-rand>""",
)
C(
    "k8s_manifest",
    "secret_reference",
    """env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: shop-db
        key: password
  - name: STRIPE_KEY
    valueFrom:
      secretKeyRef:
        name: stripe
        key: secret""",
)
C(
    "ci_config",
    "env_var_reference",
    """- name: Publish
  run: npm publish
  env:
    NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
    SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK_URL }}""",
)
C(
    "python_script",
    "env_var_reference",
    """import os
DB_PASSWORD = os.environ["DB_PASSWORD"]
API_KEY = os.getenv("PAYMENT_API_KEY", "")
if not API_KEY:
    raise SystemExit("PAYMENT_API_KEY missing")""",
)
C(
    "docker_compose",
    "env_var_reference",
    """services:
  db:
    image: mariadb:11
    environment:
      MARIADB_ROOT_PASSWORD: ⟦envref⟧
      MARIADB_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}""",
)
C(
    "js_config",
    "publishable_key",
    """// public config shipped to the browser
export const stripe = loadStripe("⟦pklive⟧");
export const MAPBOX_TOKEN = "⟦mapbox⟧";""",
)
C(
    "html_page",
    "recaptcha_site_key",
    """<form action="/contact" method="post">
  <input name="email" type="email">
  <div class="g-recaptcha" data-sitekey="⟦recaptcha⟧"></div>
  <button>Send</button>
</form>""",
)
C(
    "json_config",
    "oauth_client_id",
    """{
  "web": {
    "client_id": "⟦gclient⟧",
    "project_id": "shop-login-⟦num⟧",
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "redirect_uris": ["https://shop.⟦domain⟧/callback"]
  }
}""",
)
C(
    "html_page",
    "csrf_token",
    """<form method="post" action="/profile">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟦csrf⟧">
  <input type="hidden" name="_nonce" value="⟦nonce⟧">
  <input name="display_name" value="⟦name⟧">
</form>""",
)
C(
    "http_response",
    "nonce_value",
    """HTTP/1.1 200 OK
Content-Security-Policy: script-src 'self' 'nonce-⟦nonce⟧'
Set-Cookie: XSRF-TOKEN=⟦csrf⟧; Path=/; SameSite=Lax
X-Request-Id: ⟦reqid⟧""",
)
C(
    "app_log",
    "request_trace_id",
    """⟦date⟧T⟦time⟧:12Z INFO request_id=⟦reqid⟧ trace_id=⟦traceid⟧ span_id=⟦spanid⟧ GET /api/orders 200 41ms
⟦date⟧T⟦time⟧:13Z INFO request_id=⟦reqid⟧ trace_id=⟦traceid⟧ span_id=⟦spanid⟧ POST /api/cart 201 88ms""",
)
C(
    "curl_command",
    "idempotency_key",
    """curl https://api.⟦domain⟧/v1/payouts \\
  -H "Idempotency-Key: ⟦uuid⟧" \\
  -H "X-Correlation-ID: ⟦uuid⟧" \\
  -d amount=2500""",
)
C(
    "shell_history",
    "cache_key",
    """redis-cli GET ⟦cachekey⟧
redis-cli DEL ⟦cachekey⟧
redis-cli TTL ⟦cachekey⟧""",
)
C(
    "cli_output",
    "vault_accessor",
    """$ vault token lookup -format=table
Key                 Value
---                 -----
accessor            ⟦accessor⟧
display_name        github-⟦user⟧
policies            [default shop-read]
ttl                 767h59m""",
)
C(
    "shadow_file",
    "password_hash",
    """root:⟦crypt⟧:19800:0:99999:7:::
deploy:⟦crypt⟧:19811:0:99999:7:::
backup:!:19811:0:99999:7:::""",
)
C(
    "htpasswd",
    "password_hash",
    """⟦user⟧:⟦bcrypt⟧
⟦user⟧:⟦bcrypt⟧""",
)
C(
    "router_config",
    "password_hash",
    """hostname shop-edge
enable secret 9 ⟦cisco⟧
username admin privilege 15 secret 9 ⟦cisco⟧
ip route 0.0.0.0 0.0.0.0 ⟦privip⟧""",
)
C(
    "sql_dump",
    "password_hash",
    """INSERT INTO users (id, username, password_hash) VALUES
(1, '⟦user⟧', '⟦argon2⟧'),
(2, '⟦user⟧', '⟦bcrypt⟧');""",
)
C(
    "checksum_file",
    "checksum_digest",
    """⟦sha256⟧  backup-⟦date⟧.tar.zst
⟦sha256⟧  backup-⟦date⟧.tar.zst
⟦sha256⟧  restore.sh""",
)
C(
    "docker_output",
    "container_digest",
    """REPOSITORY        TAG       DIGEST
ghcr.io/acme/web  1.8.2     ⟦digest⟧
postgres          16        ⟦digest⟧""",
)
C(
    "git_log",
    "git_commit_hash",
    """commit ⟦gitsha⟧
Author: ⟦name⟧
Date:   ⟦date⟧

    rotate db password (value now in vault)

commit ⟦gitsha⟧
    fix checkout rounding""",
)
C(
    "app_log",
    "private_ip",
    """⟦date⟧ ⟦time⟧ dhcpd: DHCPACK on ⟦privip⟧ to ⟦mac⟧ via eth1
⟦date⟧ ⟦time⟧ dhcpd: DHCPACK on ⟦privip⟧ to ⟦mac⟧ via eth1
⟦date⟧ ⟦time⟧ sshd: Accepted publickey for deploy from ⟦privip⟧ port 51234""",
)
C(
    "terraform",
    "private_ip",
    """resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}
resource "aws_subnet" "app" {
  cidr_block = "10.20.1.0/24"
}
# bastion internal address: ⟦privip⟧""",
)
C(
    "nginx_config",
    "loopback_localhost",
    """server {
    listen 80;
    location / {
        proxy_pass http://127.0.0.1:3000;
    }
    location /metrics {
        allow 127.0.0.1;
        allow ::1;
        deny all;
    }
}""",
)
C(
    "yaml_config",
    "documentation_ip",
    '''# sample from the README
peers:
  - name: office
    endpoint: ⟦docip⟧:51820
  - name: home
    endpoint: "[⟦docip6⟧]:51820"''',
)
C(
    "wireguard_config",
    "public_key",
    """[Peer]
# office router
PublicKey = ⟦b64pub⟧
AllowedIPs = 10.8.0.0/24
Endpoint = ⟦docip⟧:51820""",
)
C(
    "authorized_keys",
    "public_key",
    """⟦sshpub⟧ ⟦user⟧@laptop
⟦sshpub⟧ ⟦user⟧@desktop""",
)
C("pem_file", "public_key", """⟦pubkeypem⟧""")
C(
    "pem_file",
    "certificate_block",
    """# chain.pem
⟦cert⟧""",
)
C(
    "known_hosts_note",
    "ssh_fingerprint",
    """The authenticity of host '⟦host⟧ (⟦privip⟧)' can't be established.
ED25519 key fingerprint is ⟦sshfp⟧.
Are you sure you want to continue connecting (yes/no)?""",
)
C(
    "markdown_docs",
    "vendor_example_key",
    """## Configure credentials

```ini
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
```
Replace both values with the keys from your own IAM user.""",
)
C(
    "python_script",
    "vendor_example_key",
    """# example from the SDK docs — not a real key
client = Client(api_key="⟦exkey⟧")""",
)
C(
    "json_config",
    "crypto_wallet",
    """{
  "payout_wallets": {
    "btc": "⟦btc⟧",
    "eth": "⟦eth⟧"
  }
}""",
)
C(
    "python_test",
    "luhn_invalid_number",
    """def test_rejects_bad_checksum():
    for n in ["⟦badcard⟧", "⟦badcard⟧", "⟦badcard⟧"]:
        assert not luhn_valid(n)""",
)
C(
    "app_log",
    "redacted_secret",
    """⟦date⟧T⟦time⟧:01Z DEBUG connecting db user=shop password=⟦redacted⟧ host=⟦host⟧
⟦date⟧T⟦time⟧:01Z DEBUG outgoing headers Authorization=Bearer ⟦redacted⟧""",
)
C(
    "app_log",
    "masked_card",
    """⟦date⟧ ⟦time⟧ payment ok order=⟦order⟧ card=⟦masked⟧ amount=⟦amount⟧ EUR
⟦date⟧ ⟦time⟧ payment ok order=⟦order⟧ card=⟦masked⟧ amount=⟦amount⟧ EUR""",
)
C(
    "yaml_config",
    "uuid_identifier",
    """tenant_id: ⟦uuid⟧
subscription_id: ⟦uuid⟧
client_id: ⟦uuid⟧
resource_group: rg-shop-prod""",
)
C(
    "inventory_csv",
    "serial_number",
    """asset,serial,mac,owner
LT-014,⟦serial⟧,⟦mac⟧,⟦user⟧
LT-015,⟦serial⟧,⟦mac⟧,⟦user⟧
PR-002,⟦serial⟧,⟦mac⟧,office""",
)
C(
    "csv_export",
    "order_number",
    """order_id,created,status,total
⟦order⟧,⟦date⟧,shipped,⟦amount⟧
⟦order⟧,⟦date⟧,pending,⟦amount⟧
⟦order⟧,⟦date⟧,refunded,⟦amount⟧""",
)
C(
    "json_api_response",
    "tracking_number",
    """{"shipments":[{"carrier":"UPS","tracking":"⟦track⟧","status":"in_transit"},{"carrier":"DHL","tracking":"⟦track⟧","status":"delivered"}]}""",
)
C(
    "csv_export",
    "username_only",
    """username,display_name,department,last_login
⟦user⟧,⟦name⟧,sales,⟦date⟧
⟦user⟧,⟦name⟧,finance,⟦date⟧
⟦user⟧,⟦name⟧,it,⟦date⟧""",
)
C(
    "yaml_config",
    "password_policy",
    """password_policy:
  min_length: 14
  require_uppercase: true
  require_digit: true
  max_age_days: 90
  history: 5
  lockout_after_failed: 5""",
)
C(
    "ini_config",
    "network_name",
    """[wifi]
ssid = ⟦ssid⟧
security = wpa2-enterprise
eap = peap
; credentials come from the user's directory account""",
)
C(
    "json_config",
    "example_domain_email",
    """{
  "admins": ["⟦exemail⟧", "⟦exemail⟧"],
  "notify": "⟦exemail⟧"
}""",
)
C(
    "python_script",
    "cache_key",
    """CACHE_KEY = "cart:{user_id}:v2"
SESSION_COOKIE_NAME = "shop_session"
CSRF_COOKIE_NAME = "shop_csrftoken"
key = CACHE_KEY.format(user_id=uid)""",
)
C(
    "app_log",
    "password_talk_no_value",
    """⟦date⟧ ⟦time⟧ auth: password changed for user=⟦user⟧ (policy ok, length>=12)
⟦date⟧ ⟦time⟧ auth: password reset link sent to user=⟦user⟧
⟦date⟧ ⟦time⟧ auth: 3 failed password attempts for user=⟦user⟧""",
)

NEG["b64pub"] = lambda: rs(AN + "+/", 42) + R.choice("AEIMQUYcgkosw048") + "="


# ---------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------
TARGET_TOTAL = 1200
NL_SHARE = 0.65


def check_record(rec, spans):
    text = rec["text"]
    prev_end = -1
    for s in spans:
        assert text[s["start"] : s["end"]] == s["_v"], rec["id"]
        assert s["start"] >= prev_end, "overlap in %s" % rec["id"]
        assert s["end"] > s["start"]
        prev_end = s["end"]
        v, ent = s["_v"], s["entity"]
        if ent == "IP_ADDRESS":
            assert ip_is_public(v), (rec["id"], v)
        elif ent == "CREDIT_CARD":
            d = re.sub(r"[ -]", "", v)
            assert d.isdigit() and card_brand(d) and luhn_ok(d), (rec["id"], v)
            assert re.fullmatch(r"\d+(?:[ -]\d+)*", v)
        elif ent == "EMAIL_ADDRESS":
            assert re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", v), v
            assert not email_domain_reserved(v.split("@", 1)[1]), (rec["id"], v)
        elif ent == "SECRET":
            low = v.lower()
            assert "example" not in low and "xxxx" not in low and "your_" not in low, (rec["id"], v)
            if s["_k"] in ("pw", "pwu", "psk"):
                assert pw_ok(v) or re.fullmatch(r"(?:[A-Za-z0-9]+[-._]){2,}[A-Za-z0-9]+", v), v
            if s["_k"] in ("pw", "pwu", "pp", "psk", "pin"):
                assert v[0].isalnum() and v[-1] not in ".,!?:;", v
        else:
            raise AssertionError(ent)
    if rec["category"] == "positive":
        assert spans, rec["id"]
    else:
        assert not spans, rec["id"]


def scanner_self_test():
    """The scanner must fire on obvious leaks, otherwise the negative checks would be vacuous."""
    assert scan("from 81.2.69.160 now")[0][0] == "ip4"
    assert scan("host 2a01:4f8:10a:1::2 up")[0][0] == "ip6"
    assert scan("card 5500-0000-0000-0004 ok")[0][0] == "card"
    assert scan("mail ana.lopez@nordvik.no pls")[0][0] == "email"
    assert not scan("10.0.0.1 192.0.2.7 2001:db8::1 ana@example.com x@shop.test 5500-0000-0000-0005")


def main():
    scanner_self_test()
    nl = [t for t in TEMPLATES if not t["code"]]
    code = [t for t in TEMPLATES if t["code"]]
    plan = []
    for group, total in ((nl, round(TARGET_TOTAL * NL_SHARE)), (code, TARGET_TOTAL - round(TARGET_TOTAL * NL_SHARE))):
        static = [t for t in group if not PH.search(t["text"])]
        dyn = [t for t in group if PH.search(t["text"])]
        for t in static:  # a template without placeholders can only give one distinct text
            plan.append((t, 1))
        # hard-negative templates get a slightly larger share (weight 1.15 vs 1.0);
        # largest-remainder rounding keeps the total exact and the result deterministic
        w = [1.15 if t["category"] != "positive" else 1.0 for t in dyn]
        rest = total - len(static)
        quota = [rest * x / sum(w) for x in w]
        counts = [int(q) for q in quota]
        order = sorted(range(len(dyn)), key=lambda i: (-(quota[i] - counts[i]), i))
        for i in order[: rest - sum(counts)]:
            counts[i] += 1
        for t, n in zip(dyn, counts):
            plan.append((t, max(n, 1)))
    idx = {id(t): i + 1 for i, t in enumerate(TEMPLATES)}
    plan.sort(key=lambda p: idx[id(p[0])])
    records, seen = [], set()
    for t, n in plan:
        tnum = idx[id(t)]
        for v in range(1, n + 1):
            for attempt in range(200):
                text, spans = render(t["text"], t["lang"])
                if text in seen:
                    continue
                if scan(blank_spans(text, spans)):
                    continue
                break
            else:
                raise AssertionError("could not render clean text for template %d" % tnum)
            assert "⟦" not in text and "⟧" not in text
            seen.add(text)
            rec = {
                "id": "t29-%d-%d" % (tnum, v),
                "text": text,
                "lang": t["lang"],
                "context": t["context"],
                "category": t["category"],
                "spans": [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in spans],
            }
            check_record(rec, spans)
            for s in spans:
                if s["entity"] == "SECRET":
                    SECRET_KIND[s["_k"]] += 1
            records.append(rec)

    # ---- final fatal checks over the whole set ----
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts)), "duplicate texts"
    for r in records:
        sp = r["spans"]
        for a, b in zip(sp, sp[1:]):
            assert a["end"] <= b["start"], r["id"]
        if r["category"] != "positive":
            assert not sp
            hits = scan(r["text"])
        else:
            assert sp
            hits = scan(blank_spans(r["text"], sp))
        assert not hits, (r["id"], hits)
        assert re.fullmatch(r"[a-z][a-z0-9_]*", r["context"]) and re.fullmatch(r"[a-z][a-z0-9_]*", r["category"])

    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    # ---- summary ----
    ent = Counter(s["entity"] for r in records for s in r["spans"])
    cats = Counter(r["category"] for r in records)
    langs = Counter(r["lang"] for r in records)
    ctxs = Counter(r["context"] for r in records)
    n_pos = cats["positive"]
    n_code = sum(n for t, n in plan if t["code"])
    vendor_used = sorted(k for k in SECRET_KIND if k in VENDOR)
    print("records: %d  (positive %d, hard negative %d)" % (len(records), n_pos, len(records) - n_pos))
    print("templates: %d  (natural-language %d, code/config/log %d)" % (len(TEMPLATES), len(nl), len(code)))
    print(
        "natural-language records: %d (%.0f%%), code/config/log records: %d"
        % (len(records) - n_code, 100.0 * (len(records) - n_code) / len(records), n_code)
    )
    print("spans per entity:", dict(sorted(ent.items())))
    print("vendor token formats used (%d): %s" % (len(vendor_used), ", ".join(vendor_used)))
    print("secret value kinds:", dict(SECRET_KIND.most_common()))
    print(
        "hard-negative categories (%d):" % (len(cats) - 1),
        dict(sorted((k, v) for k, v in cats.items() if k != "positive")),
    )
    print("languages (%d):" % len(langs), dict(langs.most_common()))
    print("contexts (%d):" % len(ctxs), dict(ctxs.most_common()))
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 150 and ent["IP_ADDRESS"] >= 120 and ent["CREDIT_CARD"] >= 100
    ), ent
    assert len(records) - n_pos >= 500 and len(cats) - 1 >= 35, cats
    assert len(TEMPLATES) >= 300 and len(vendor_used) >= 25 and len(langs) >= 35


if __name__ == "__main__":
    main()
