#!/usr/bin/env python3
"""make_testset24.py -- blind, labelled PII/secret test set no. 24.

Writes pii_testset24.jsonl next to this script. Standard library only, and
deterministic: one random.Random(242424) drives every choice.

How it works
------------
* A few hundred hand-written templates (source code, config, CI, infra-as-code,
  notebooks, web pages, READMEs, Q&A/forum posts, e-mails, chats, tickets,
  notes in 40+ languages, logs, shell sessions, HTTP traffic, tables and data
  dumps).  Each template has a context name, a language, and a category
  ("positive" or the name of a hard-negative category).
* Placeholders look like  \u27eaKIND\u27eb  (U+27EA/U+27EB brackets, which never occur in
  the template text itself).  Upper-case kinds create labelled values
  (EMAIL, IP4, IP6, CARD, S:<format>); lower-case kinds create unlabelled
  filler or near-miss values (private IPs, example.com mail, hashes,
  publishable keys, placeholders, ...).  "#tag" after a kind reuses the same
  value inside one record.  Spans are recorded while the text is built (offset
  of the value at insertion time), never by searching afterwards.
* Every template is rendered several times with fresh random values; variant
  numbers give ids  t24-<template#>-<variant#>.

Checks (all fatal, asserted at the end over the final data)
------------------------------------------------------------
* text[start:end] == the inserted value for every span; spans sorted, never
  overlapping; positives have >= 1 span, negatives have none.
* IP_ADDRESS: parses, is_global, not in 192.0.2/24, 198.51.100/24,
  203.0.113/24, 2001:db8::/32.
* CREDIT_CARD: Luhn-valid, real brand prefix and length (Visa 16, Mastercard
  51-55/2221-2720 16, Amex 34/37 15, Discover 6011/644-649/65 16, JCB
  3528-3589 16, Diners 36 14, UnionPay 62 16); separators only space/dash.
* EMAIL_ADDRESS: syntactically an address and the domain is not a reserved
  one (example.com/.org/.net, *.example, .test, .invalid, .localhost).
* SECRET: no documentation markers (EXAMPLE, example, xxxx, your_); values
  generated as passwords are >= 8 chars, mix >= 2 character classes, do not
  start with a symbol and do not end in . , ! ? : ;
* ids unique, texts unique.
* A simple scanner runs over every negative text and over the unlabelled parts
  of positive texts (labelled spans blanked out) and must find: no public
  IPv4 (dotted quad not embedded in a longer dotted/word token) and no public
  IPv6, no Luhn-valid brand-prefixed card number (digit groups joined by
  single spaces/dashes, windows aligned to group boundaries, broad brand table
  incl. Maestro/Mir/RuPay), no e-mail address on a non-reserved domain.
  Documented exceptions of the e-mail scan: scp-style git remotes
  ("git@github.com:org/repo.git", category git_ssh_remote) and URL userinfo
  without password ("https://user@host/...").  A rendering that trips any
  check is re-drawn (same RNG stream); the final assertions run again over all
  records, so nothing unchecked is written.

Variants: 3 per positive template; 3 per hard-negative template (every 7th
hard-negative template 4), giving about 1270 records.

Labelling decisions worth knowing: Slack incoming-webhook URLs are labelled
SECRET as a whole URL; for Basic auth, k8s Secret data and Laravel APP_KEY
only the base64 part is labelled; in URL userinfo / user:pass pairs only the
password; AWS access key ids (and the analogous Alibaba LTAI / Tencent AKID
ids) are labelled; Stripe test secret keys are labelled; Google
service-account addresses (...iam.gserviceaccount.com) are labelled
EMAIL_ADDRESS; Algolia search-only keys, Shopify client ids, Twilio account
SIDs, GCP private_key_id values, WireGuard/age public keys and k8s base64
usernames are left unlabelled; Luhn-valid card numbers that a text calls a
"card on file"/"team card" are labelled like any other card.  Secret values
never start with a symbol and never end in . , ! ? : ; (PEM blocks excepted,
they start with dashes).
"""

import base64
import ipaddress
import json
import os
import re
import string
import sys
import uuid as _uuid
from collections import Counter
import random

R = random.Random(242424)

L = string.ascii_lowercase
U = string.ascii_uppercase
D = string.digits
HEXL = "0123456789abcdef"
B62 = L + U + D
B64C = B62 + "+/"
B64U = B62 + "-_"
UD = U + D
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def rs(alpha, n):
    return "".join(R.choice(alpha) for _ in range(n))


def hx(n):
    return rs(HEXL, n)


def digits(n):
    return R.choice("123456789") + rs(D, n - 1)


def ri(a, b):
    return R.randint(a, b)


def pick(seq):
    return R.choice(seq)


# ---------------------------------------------------------------- names
NAMES = {
    "en": (
        ["James", "Olivia", "Priya", "Marcus", "Hannah", "Tyler", "Grace", "Ethan", "Chloe", "Darnell"],
        ["Walker", "Okafor", "Bennett", "Nguyen", "Hughes", "Patel", "Foster", "Brennan", "Caldwell"],
    ),
    "de": (
        ["Jonas", "Lena", "Matthias", "Sabine", "Katrin", "Florian", "Uwe", "Birgit"],
        ["Becker", "Schröder", "Hoffmann", "Krause", "Vogel", "Lehmann", "Brandt"],
    ),
    "fr": (
        ["Camille", "Julien", "Élodie", "Mathieu", "Inès", "Thibault", "Margaux"],
        ["Lefèvre", "Moreau", "Girard", "Fontaine", "Rousseau", "Chevalier"],
    ),
    "es": (
        ["Lucía", "Javier", "Mateo", "Carmen", "Alejandro", "Sofía"],
        ["García", "Fernández", "Ruiz", "Navarro", "Ortega"],
    ),
    "it": (["Giulia", "Marco", "Chiara", "Lorenzo", "Federica"], ["Rossi", "Bianchi", "Esposito", "Colombo", "Ricci"]),
    "pt": (["João", "Beatriz", "Rafael", "Mariana", "Thiago"], ["Silva", "Oliveira", "Costa", "Pereira", "Almeida"]),
    "nl": (["Daan", "Sanne", "Bram", "Lotte", "Joris"], ["de Vries", "Jansen", "Bakker", "Visser", "Smit"]),
    "sv": (["Erik", "Maja", "Oskar", "Elin", "Linnea"], ["Lindqvist", "Berg", "Nyström", "Holm", "Sjöberg"]),
    "da": (["Mads", "Freja", "Rasmus", "Ida"], ["Nielsen", "Jørgensen", "Madsen", "Kristensen"]),
    "nb": (["Sindre", "Ingrid", "Henrik", "Kari"], ["Haugen", "Johansen", "Solberg", "Dahl"]),
    "fi": (["Aino", "Mikko", "Juha", "Sanna", "Eetu"], ["Virtanen", "Korhonen", "Mäkinen", "Nieminen"]),
    "pl": (["Kasia", "Tomasz", "Agnieszka", "Paweł", "Michał"], ["Kowalski", "Nowak", "Wiśniewska", "Zieliński"]),
    "cs": (["Jakub", "Tereza", "Petr", "Lucie"], ["Novák", "Dvořáková", "Svoboda", "Černý"]),
    "sk": (["Martin", "Zuzana", "Lukáš"], ["Horváth", "Kováčová", "Baláž"]),
    "hu": (["Bence", "Réka", "Gábor", "Eszter"], ["Nagy", "Kovács", "Tóth", "Szabó"]),
    "ro": (["Andrei", "Ioana", "Mihai", "Elena"], ["Popescu", "Ionescu", "Dumitru", "Stan"]),
    "tr": (["Emre", "Zeynep", "Burak", "Elif", "Mert"], ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik"]),
    "el": (["Γιώργος", "Μαρία", "Νίκος", "Ελένη"], ["Παπαδόπουλος", "Κωνσταντίνου", "Γεωργίου"]),
    "ru": (["Алексей", "Мария", "Дмитрий", "Ольга", "Сергей"], ["Иванов", "Смирнова", "Кузнецов", "Попова"]),
    "uk": (["Олена", "Тарас", "Андрій", "Ірина"], ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко"]),
    "bg": (["Георги", "Десислава", "Иван", "Мария"], ["Петров", "Димитрова", "Стоянов"]),
    "sr": (["Марко", "Јелена", "Никола"], ["Јовановић", "Петровић", "Николић"]),
    "hr": (["Ivan", "Ana", "Luka", "Petra"], ["Horvat", "Kovačević", "Babić"]),
    "sl": (["Luka", "Nina", "Jan"], ["Novak", "Kranjc", "Zupan"]),
    "lt": (["Mantas", "Ieva", "Tomas"], ["Kazlauskas", "Petrauskaitė", "Jankauskas"]),
    "lv": (["Jānis", "Anna", "Mārtiņš"], ["Bērziņš", "Kalniņa", "Ozols"]),
    "et": (["Mart", "Kadri", "Rasmus"], ["Tamm", "Saar", "Sepp"]),
    "ar": (["أحمد", "فاطمة", "يوسف", "ليلى"], ["الحسن", "المصري", "العلي", "الخطيب"]),
    "he": (["נועה", "איתי", "יעל", "דניאל"], ["כהן", "לוי", "מזרחי", "פרץ"]),
    "fa": (["علی", "سارا", "رضا", "مریم"], ["محمدی", "حسینی", "رضایی", "کریمی"]),
    "hi": (["राहुल", "प्रिया", "अमित", "नेहा"], ["शर्मा", "वर्मा", "गुप्ता", "सिंह"]),
    "bn": (["রাহুল", "তানিয়া", "সৌরভ"], ["চৌধুরী", "রহমান", "দাস"]),
    "ta": (["அருண்", "கவிதா", "சுரேஷ்"], ["குமார்", "ராஜன்", "சுந்தரம்"]),
    "th": (["สมชาย", "นภา", "ธนพล"], ["ศรีสุข", "วงศ์ไทย", "แก้วมณี"]),
    "vi": (["Minh", "Lan", "Tuấn", "Hương"], ["Nguyễn", "Trần", "Lê", "Phạm"]),
    "id": (["Budi", "Sari", "Agus", "Dewi"], ["Santoso", "Wijaya", "Halim", "Pratama"]),
    "ms": (["Aiman", "Nurul", "Hafiz"], ["Rahman", "Ismail", "Abdullah"]),
    "tl": (["Jose", "Maricel", "Paolo"], ["Santos", "Reyes", "Cruz", "Bautista"]),
    "ja": (["翔太", "美咲", "健一", "陽子"], ["佐藤", "鈴木", "高橋", "田中"]),
    "zh": (["伟", "芳", "磊", "静"], ["王", "李", "张", "刘", "陈"]),
    "ko": (["민준", "서연", "지훈", "수빈"], ["김", "이", "박", "최"]),
    "sw": (["Juma", "Amina", "Baraka", "Neema"], ["Mwangi", "Otieno", "Njoroge", "Wanjiru"]),
    "ca": (["Jordi", "Laia", "Pau", "Núria"], ["Puig", "Vidal", "Soler", "Ferrer"]),
    "ka": (["გიორგი", "ნინო", "ლევანი"], ["ბერიძე", "კაპანაძე", "გელაშვილი"]),
}

LAT_FIRST = [
    "anna",
    "ben",
    "carla",
    "dmitri",
    "elif",
    "farid",
    "greta",
    "hiro",
    "ines",
    "jonas",
    "kasia",
    "lars",
    "mei",
    "nadia",
    "omar",
    "paula",
    "quentin",
    "rosa",
    "sven",
    "tomas",
    "ulla",
    "vikram",
    "wen",
    "yusuf",
    "zofia",
    "aiko",
    "bruno",
    "chidi",
    "dagny",
    "emeka",
    "fatima",
    "gio",
    "hana",
    "ivan",
    "jae",
    "kofi",
    "lucia",
    "mateus",
    "noor",
    "olek",
    "priya",
    "rafael",
    "sakura",
    "tariq",
]
LAT_LAST = [
    "berg",
    "castillo",
    "dubois",
    "eriksen",
    "fischer",
    "gomez",
    "haddad",
    "ito",
    "jansen",
    "kowalczyk",
    "lindgren",
    "moreau",
    "nakamura",
    "okafor",
    "petrov",
    "quinn",
    "rossi",
    "sato",
    "tanaka",
    "umarov",
    "varga",
    "weber",
    "yilmaz",
    "zhang",
    "novak",
    "kim",
    "park",
    "silva",
    "haugen",
    "mwangi",
    "nguyen",
    "horvat",
    "popescu",
    "cohen",
    "rahman",
    "santos",
    "ozols",
]

FREE_DOMAINS = [
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
    "virgilio.it",
    "yahoo.es",
    "terra.com.br",
    "uol.com.br",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "mail.ru",
    "yandex.ru",
    "ukr.net",
    "abv.bg",
    "freemail.hu",
    "naver.com",
    "daum.net",
    "qq.com",
    "163.com",
    "yahoo.co.jp",
    "rediffmail.com",
    "btinternet.com",
    "bigpond.com",
    "shaw.ca",
    "telenet.be",
    "ziggo.nl",
    "hotmail.se",
    "online.no",
    "inbox.lv",
    "zoho.com",
    "fastmail.com",
    "gmx.at",
    "bluewin.ch",
    "hotmail.co.uk",
    "yahoo.com.tw",
    "mail.bg",
    "walla.co.il",
    "yahoo.co.id",
]
CORP_STEMS = [
    "nordkap-logistik",
    "bluequarry",
    "hartwell-partners",
    "sunmesa-energy",
    "kestrelworks",
    "vintermark",
    "orchidlane",
    "palomar-health",
    "brightfield-analytics",
    "tessaract-labs",
    "redwillow",
    "alderbank",
    "mosaiq-studio",
    "lumenfold",
    "corvid-systems",
    "halden-bau",
    "azurita",
    "kobaltgruppen",
    "saffron-foods",
    "pinecrest-edu",
    "veldhuis-transport",
    "copperleaf",
    "northwind-ops",
    "tidewater-marine",
    "granitepeak",
    "meridia-pharma",
    "quillon",
    "arbeo",
    "stellwerk-it",
    "fjordline-data",
]
CORP_TLDS = [
    "com",
    "io",
    "de",
    "co.uk",
    "fr",
    "nl",
    "se",
    "no",
    "pl",
    "com.br",
    "co.jp",
    "es",
    "it",
    "ch",
    "at",
    "dev",
    "net",
    "org",
    "eu",
    "app",
    "tech",
    "co",
    "com.au",
    "ca",
    "in",
    "cz",
    "fi",
    "ro",
]
RESERVED_MAIL = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example",
    "corp.example",
    "shop.test",
    "dev.test",
    "mailer.invalid",
    "host.invalid",
    "app.localhost",
    "example.co.example",
]

WORDS = [
    "granite",
    "otter",
    "lantern",
    "mosaic",
    "tundra",
    "velvet",
    "cobalt",
    "saffron",
    "harbor",
    "quartz",
    "meadow",
    "falcon",
    "ember",
    "juniper",
    "canyon",
    "pepper",
    "glacier",
    "violet",
    "marble",
    "thistle",
    "comet",
    "walnut",
    "lagoon",
    "nimbus",
    "rivet",
    "orchid",
    "sparrow",
    "basalt",
    "tangerine",
    "pylon",
    "bramble",
    "zephyr",
    "kettle",
    "obsidian",
    "willow",
    "ferret",
    "cactus",
    "tarmac",
    "nectar",
    "piston",
]
SYL = [
    "ka",
    "ro",
    "mi",
    "zu",
    "tel",
    "van",
    "dor",
    "qui",
    "lex",
    "sap",
    "ny",
    "bri",
    "gor",
    "fen",
    "wa",
    "pol",
    "tri",
    "mos",
    "jux",
    "hel",
    "vor",
    "dan",
    "ke",
    "lum",
]
PW_SYM = "!#$%&*+-=?@^_~"
PW_URL_SYM = "-_~"


def email_local():
    f, l = pick(LAT_FIRST), pick(LAT_LAST)
    p = ri(0, 7)
    if p == 0:
        return f + "." + l
    if p == 1:
        return f[0] + l
    if p == 2:
        return f + "_" + l + str(ri(1, 99))
    if p == 3:
        return f + str(ri(70, 2005))
    if p == 4:
        return l + "." + f[0]
    if p == 5:
        return f + "." + l + str(ri(1, 9))
    if p == 6:
        return f + l[:3] + str(ri(10, 999))
    return f + "-" + l


def corp_domain():
    return pick(CORP_STEMS) + "." + pick(CORP_TLDS)


def gen_email(arg=""):
    if arg == "gsa":
        return (
            pick(["deployer", "terraform", "firebase-adminsdk-" + rs(L + D, 5), "ci-runner", "etl"])
            + "@"
            + pick(WORDS)
            + "-"
            + pick(["prod", "app", str(ri(100000, 999999))])
            + ".iam.gserviceaccount.com"
        )
    if arg == "corp" or (arg == "" and R.random() < 0.4):
        local = pick(
            [
                email_local(),
                email_local(),
                pick(["info", "billing", "support", "hr", "it-ops", "kontakt", "sales", "security", "admin"]),
            ]
        )
        return local + "@" + corp_domain()
    return email_local() + "@" + pick(FREE_DOMAINS)


# ---------------------------------------------------------------- IPs
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public_ok(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return False
    if not a.is_global or a.is_multicast:
        return False
    return not any(a.version == n.version and a in n for n in DOC_NETS)


def gen_ip4():
    while True:
        s = "%d.%d.%d.%d" % (ri(1, 223), ri(0, 255), ri(0, 255), ri(1, 254))
        if ip_public_ok(s):
            return s


V6_PREFIXES = ["2a02", "2a01", "2604", "2607", "2a00", "2001:67c", "2400", "2a03", "2605", "2c0f", "2800", "2406"]


def gen_ip6():
    while True:
        pre = pick(V6_PREFIXES).split(":")
        groups = pre + [hx(ri(1, 4)).lstrip("0") or "0" for _ in range(8 - len(pre))]
        # make some zero runs so compression appears
        if R.random() < 0.6:
            k = ri(len(pre) + 1, 6)
            for j in range(k, min(8, k + ri(1, 3))):
                groups[j] = "0"
        s = str(ipaddress.ip_address(":".join(groups)))
        if ip_public_ok(s):
            return s


def gen_priv4():
    p = ri(0, 2)
    if p == 0:
        return "10.%d.%d.%d" % (ri(0, 255), ri(0, 255), ri(1, 254))
    if p == 1:
        return "192.168.%d.%d" % (ri(0, 255), ri(1, 254))
    return "172.%d.%d.%d" % (ri(16, 31), ri(0, 255), ri(1, 254))


def gen_docip4():
    return pick(["192.0.2", "198.51.100", "203.0.113"]) + "." + str(ri(1, 254))


def gen_docip6():
    return str(ipaddress.ip_address("2001:db8:%x:%x::%x" % (ri(0, 0xFFFF), ri(0, 0xFFFF), ri(1, 0xFFF))))


def gen_priv6():
    return str(ipaddress.ip_address("fd%02x:%x:%x::%x" % (ri(0, 255), ri(0, 0xFFFF), ri(0, 0xFFFF), ri(1, 0xFFF))))


def gen_ll4():
    return "169.254.%d.%d" % (ri(0, 255), ri(1, 254))


def gen_ll6():
    return "fe80::%x:%x:%x:%x" % (ri(0, 0xFFFF), ri(0, 0xFFFF), ri(0, 0xFFFF), ri(0, 0xFFFF))


def gen_cgnat():
    return "100.%d.%d.%d" % (ri(64, 127), ri(0, 255), ri(1, 254))


def gen_mcast():
    return pick(
        [
            "224.0.0.%d" % ri(1, 255),
            "239.%d.%d.%d" % (ri(0, 255), ri(0, 255), ri(1, 254)),
            "255.255.255.255",
            "ff02::%x" % ri(1, 0xFF),
            "0.0.0.0",
            "::",
        ]
    )


def gen_lo():
    return pick(["127.0.0.1", "127.0.%d.%d" % (ri(0, 3), ri(1, 254)), "::1", "localhost"])


# ---------------------------------------------------------------- cards
def luhn_ok(num):
    tot = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return tot % 10 == 0


def luhn_complete(prefix, length):
    body = prefix + rs(D, length - len(prefix) - 1)
    for c in D:
        if luhn_ok(body + c):
            return body + c


def card_brand_strict(num):
    n = len(num)
    if num[0] == "4" and n == 16:
        return "visa"
    if n == 16 and (51 <= int(num[:2]) <= 55 or 2221 <= int(num[:4]) <= 2720):
        return "mastercard"
    if n == 15 and num[:2] in ("34", "37"):
        return "amex"
    if n == 16 and (num.startswith("6011") or num.startswith("65") or 644 <= int(num[:3]) <= 649):
        return "discover"
    if n == 16 and 3528 <= int(num[:4]) <= 3589:
        return "jcb"
    if n == 14 and num.startswith("36"):
        return "diners"
    if n == 16 and num.startswith("62"):
        return "unionpay"
    return None


def card_brand_broad(num):
    """Broad table used by the negative scanner (more permissive than labelling)."""
    n = len(num)
    if card_brand_strict(num):
        return True
    p2, p3, p4 = int(num[:2]), int(num[:3]), int(num[:4])
    if num[0] == "4" and n in (13, 16, 19):
        return True
    if num[0] == "5" and 50 <= p2 <= 59 and 12 <= n <= 19:  # MC / Maestro
        return True
    if 2200 <= p4 <= 2204 and n == 16:  # Mir
        return True
    if p2 in (34, 37) and n == 15:
        return True
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return True
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return True
    if num[0] == "6" and 12 <= n <= 19:  # Discover/UnionPay/Maestro/RuPay
        return True
    if 2221 <= p4 <= 2720 and n == 16:
        return True
    if p2 in (81, 82) and n == 16:  # RuPay
        return True
    return False


CARD_PREFIXES = {
    "visa": (["4"], 16),
    "mc": (["51", "52", "53", "54", "55", "2221", "2300", "2511", "2720"], 16),
    "amex": (["34", "37"], 15),
    "disc": (["6011", "65", "644", "647", "649"], 16),
    "jcb": (["3528", "3530", "3566", "3589"], 16),
    "diners": (["36"], 14),
    "unionpay": (["62"], 16),
}
CARD_WEIGHTS = ["visa"] * 5 + ["mc"] * 4 + ["amex"] * 2 + ["disc", "jcb", "diners", "unionpay"]


def fmt_card(num, sep):
    if sep == "":
        return num
    n = len(num)
    if n == 15:
        parts = [num[:4], num[4:10], num[10:]]
    elif n == 14:
        parts = [num[:4], num[4:10], num[10:]]
    else:
        parts = [num[i : i + 4] for i in range(0, n, 4)]
    return sep.join(parts)


def gen_card(arg=""):
    args = arg.split(":") if arg else []
    brand = next((a for a in args if a in CARD_PREFIXES), None) or pick(CARD_WEIGHTS)
    sep = None
    for a in args:
        if a in ("plain", "space", "dash"):
            sep = {"plain": "", "space": " ", "dash": "-"}[a]
    if sep is None:
        sep = pick(["", " ", " ", "-"])
    pres, n = CARD_PREFIXES[brand]
    num = luhn_complete(pick(pres), n)
    return fmt_card(num, sep)


def gen_bad_card():
    pres, n = CARD_PREFIXES[pick(["visa", "mc", "amex", "disc"])]
    num = luhn_complete(pick(pres), n)
    last = str((int(num[-1]) + ri(1, 9)) % 10)
    num = num[:-1] + last
    assert not luhn_ok(num)
    return fmt_card(num, pick(["", " ", "-"]))


def gen_nobrand_luhn():
    return luhn_complete(pick(["9", "7", "19", "99", "70"]), ri(16, 18))


def gen_imei():
    return luhn_complete(pick(["35", "86", "01", "99"]) + rs(D, 6), 15)


# ---------------------------------------------------------------- secrets
def b64(bs):
    return base64.b64encode(bs).decode()


def b64u(bs):
    return base64.urlsafe_b64encode(bs).decode().rstrip("=")


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def gen_password(urlsafe=False):
    """>= 8 chars, >= 2 classes, no leading symbol, no trailing . , ! ? : ;"""
    syms = PW_URL_SYM if urlsafe else PW_SYM
    while True:
        p = ri(0, 4)
        if p == 0:  # fully random
            s = rs(B62, ri(10, 20))
            if R.random() < 0.7:
                k = ri(1, len(s) - 2)
                s = s[:k] + pick(syms) + s[k:]
        elif p == 1:  # syllables + digits + symbol
            s = (
                pick(SYL).capitalize()
                + pick(SYL)
                + str(ri(2, 99))
                + pick(syms)
                + pick(SYL)
                + pick(SYL).capitalize()
                + str(ri(0, 9))
            )
        elif p == 2:  # leet mix
            s = pick(SYL).upper() + rs(L + D, ri(4, 8)) + pick(syms) + rs(U + D, ri(2, 5))
        elif p == 3:
            s = rs(L, 3) + rs(D, 2) + rs(U, 2) + pick(syms) + rs(B62, ri(3, 8))
        else:
            s = rs(B62 + syms, ri(12, 24))
            s = pick(B62) + s + pick(B62)
        if pw_ok(s):
            return s


def pw_ok(s):
    if len(s) < 8 or not s[0].isalnum() or s[-1] in ".,!?:;":
        return False
    classes = sum([any(c.islower() for c in s), any(c.isupper() for c in s), any(c.isdigit() for c in s)])
    if classes < 2:
        return False
    low = s.lower()
    return not any(m in low for m in ("example", "xxxx", "your_", "qwerty", "password", "passw0rd"))


def gen_passphrase():
    sep = pick(["-", ".", "_", "-", " "])
    ws = [pick(WORDS) for _ in range(ri(3, 4))]
    if R.random() < 0.5:
        ws[ri(0, len(ws) - 1)] = ws[0].capitalize()
    ws.insert(ri(1, len(ws)), str(ri(10, 9999)))
    return sep.join(ws)


def gen_pin():
    while True:
        s = rs(U + D, ri(6, 8)) if R.random() < 0.7 else rs(L + D, ri(6, 8))
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s) and s[0].isalnum():
            return s


def gen_jwt(role=None):
    hdr = {"alg": pick(["HS256", "RS256", "HS512"]), "typ": "JWT"}
    now = ri(1690000000, 1790000000)
    pl = {
        "sub": pick([str(ri(1000, 999999)), str(_uuid.UUID(int=R.getrandbits(128)))]),
        "iat": now,
        "exp": now + pick([900, 3600, 86400, 2592000]),
    }
    if role:
        pl["role"] = role
        pl["iss"] = "supabase"
    elif R.random() < 0.5:
        pl["scope"] = pick(["read write", "admin", "api:all", "orders:rw"])
    sig = b64u(rbytes(pick([32, 32, 64, 256])))
    return (
        b64u(json.dumps(hdr, separators=(",", ":")).encode())
        + "."
        + b64u(json.dumps(pl, separators=(",", ":")).encode())
        + "."
        + sig
    )


def b64_lines(nbytes, width=64, lead=b""):
    s = b64(lead + rbytes(nbytes))
    return "\n".join(s[i : i + width] for i in range(0, len(s), width))


def gen_pem(kind="rsa"):
    if kind == "rsa":
        body = b64_lines(ri(600, 1190), lead=bytes.fromhex("308204a40201000282010100"))
        return "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----"
    if kind == "ec":
        body = b64_lines(118, lead=bytes.fromhex("30770201010420"))
        return "-----BEGIN EC PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----"
    if kind == "openssh":
        body = b64_lines(ri(380, 1500), width=70, lead=b"openssh-key-v1\x00\x00\x00\x00\x04none")
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----"
    if kind == "enc":
        body = b64_lines(ri(700, 1250), lead=bytes.fromhex("308205133040"))
        return "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----"
    body = b64_lines(ri(630, 1210), lead=bytes.fromhex("308204be020100300d06092a864886f70d0101010500"))
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----"


def uuid4():
    return str(_uuid.UUID(int=R.getrandbits(128), version=4))


VENDOR = {
    "aws_akid": lambda: "AKIA" + rs(UD, 16),
    "aws_asia": lambda: "ASIA" + rs(UD, 16),
    "aws_secret": lambda: rs(B62 + "/+", 40),
    "ghp": lambda: "ghp_" + rs(B62, 36),
    "gho": lambda: "gho_" + rs(B62, 36),
    "ghu": lambda: "ghu_" + rs(B62, 36),
    "ghs": lambda: "ghs_" + rs(B62, 36),
    "github_pat": lambda: "github_pat_11" + rs(UD, 20) + "_" + rs(B62, 59),
    "glpat": lambda: "glpat-" + rs(B62 + "-_", 20),
    "glrt": lambda: "glrt-" + rs(B62 + "-_", 20),
    "xoxb": lambda: "xoxb-" + digits(12) + "-" + digits(13) + "-" + rs(B62, 24),
    "xoxp": lambda: "xoxp-" + digits(12) + "-" + digits(12) + "-" + digits(13) + "-" + hx(32),
    "xapp": lambda: "xapp-1-A" + rs(UD, 10) + "-" + digits(13) + "-" + hx(64),
    "slack_webhook": lambda: "https://hooks.slack.com/services/T" + rs(UD, 10) + "/B" + rs(UD, 10) + "/" + rs(B62, 24),
    "stripe_live": lambda: "sk_live_" + rs(B62, pick([24, 99])),
    "stripe_test": lambda: "sk_test_" + rs(B62, pick([24, 99])),
    "stripe_rk": lambda: "rk_live_" + rs(B62, pick([24, 99])),
    "stripe_whsec": lambda: "whsec_" + rs(B62, 32),
    "google_api": lambda: "AIza" + rs(B62 + "-_", 35),
    "openai": lambda: "sk-proj-" + rs(B62 + "-_", 74) + "T3BlbkFJ" + rs(B62 + "-_", 74),
    "anthropic": lambda: "sk-ant-api03-" + rs(B62 + "-_", 93) + "AA",
    "sendgrid": lambda: "SG." + rs(B62 + "-_", 22) + "." + rs(B62 + "-_", 43),
    "mailgun": lambda: "key-" + hx(32),
    "mailchimp": lambda: hx(32) + "-us" + str(ri(1, 21)),
    "npm": lambda: "npm_" + rs(B62, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B62 + "-_", ri(120, 160)),
    "shopify": lambda: "shpat_" + hx(32),
    "shopify_ss": lambda: "shpss_" + hx(32),
    "discord": lambda: b64u(digits(18).encode()) + "." + rs(B62 + "-_", 6) + "." + rs(B62 + "-_", 38),
    "telegram": lambda: str(ri(100000000, 7999999999)) + ":AA" + rs(B62 + "-_", 33),
    "digitalocean": lambda: "dop_v1_" + hx(64),
    "vault": lambda: "hvs." + rs(B62 + "-_", 91),
    "tfc": lambda: rs(B62, 14) + ".atlasv1." + rs(B62, 67),
    "doppler": lambda: "dp.st." + pick(["dev", "prd", "stg"]) + "." + rs(B62, 40),
    "newrelic": lambda: "NRAK-" + rs(UD, 27),
    "sentry": lambda: "sntryu_" + hx(64),
    "azure_storage": lambda: b64(rbytes(64)),
    "atlassian": lambda: "ATATT3xFfGF0" + rs(B62 + "-_", 170) + "=" + rs("0123456789ABCDEF", 8),
    "linear": lambda: "lin_api_" + rs(B62, 40),
    "notion": lambda: "ntn_" + rs(D, 11) + rs(B62, 35),
    "airtable": lambda: "pat" + rs(B62, 14) + "." + hx(64),
    "postman": lambda: "PMAK-" + hx(24) + "-" + hx(34),
    "huggingface": lambda: "hf_" + rs(U + L, 34),
    "replicate": lambda: "r8_" + rs(B62, 37),
    "groq": lambda: "gsk_" + rs(B62, 52),
    "square": lambda: "EAAA" + rs(B62 + "-_", 60),
    "braintree": lambda: "access_token$production$" + rs(L + D, 16) + "$" + hx(32),
    "facebook": lambda: "EAAG" + rs(B62, ri(150, 190)),
    "dropbox": lambda: "sl." + rs(B62 + "-_", 135),
    "figma": lambda: "figd_" + rs(B62 + "-_", 40),
    "grafana_sa": lambda: "glsa_" + rs(B62, 32) + "_" + hx(8),
    "pulumi": lambda: "pul-" + hx(40),
    "databricks": lambda: "dapi" + hx(32),
    "age": lambda: "AGE-SECRET-KEY-1" + rs(BECH.upper(), 58),
    "mapbox_sk": lambda: "sk.eyJ1Ijoi" + rs(B62, 60) + "." + rs(B62 + "-_", 22),
    "shippo": lambda: "shippo_live_" + hx(40),
    "okta": lambda: "00" + rs(B62 + "-_", 40),
    "dockerhub": lambda: "dckr_pat_" + rs(B62 + "-_", 27),
    "bitbucket": lambda: "ATBB" + rs(B62, 32),
    "contentful": lambda: "CFPAT-" + rs(B62 + "-_", 43),
    "alibaba": lambda: "LTAI" + rs(B62, 20),
    "tencent": lambda: "AKID" + rs(B62, 32),
    "yandex": lambda: "AQVN" + rs(B62 + "-_", 36),
    "brevo": lambda: "xkeysib-" + hx(64) + "-" + rs(B62, 16),
    "paystack": lambda: "sk_live_" + hx(40),
    "mollie": lambda: "live_" + rs(B62, 30),
    "flutterwave": lambda: "FLWSECK-" + hx(32) + "-X",
    "clojars": lambda: "CLOJARS_" + hx(60),
    "rubygems": lambda: "rubygems_" + hx(48),
    "nuget": lambda: "oy2" + rs(L + D, 43),
    "sourcegraph": lambda: "sgp_" + hx(16) + "_" + hx(40),
    "prefect": lambda: "pnu_" + rs(B62, 36),
    "readme": lambda: "rdme_" + rs(L + D, 70),
    "infracost": lambda: "ico-" + rs(B62, 32),
    "tailscale": lambda: "tskey-auth-k" + rs(B62, 16) + "CNTRL-" + rs(B62, 33),
    "ngrok": lambda: "2" + rs(B62, 26) + "_" + rs(B62, 21),
    "onepassword": lambda: "ops_eyJ" + rs(B62, 240),
    "planetscale": lambda: "pscale_pw_" + rs(B62 + "_", 43),
    "netlify": lambda: "nfp_" + rs(B62, 36),
    "deno": lambda: "ddp_" + rs(B62, 36),
    "hubspot": lambda: "pat-" + pick(["na1", "eu1"]) + "-" + uuid4(),
    "dynatrace": lambda: "dt0c01." + rs(UD, 24) + "." + rs(UD, 64),
    "launchdarkly": lambda: "api-" + uuid4(),
    "harness": lambda: "pat." + rs(B62, 22) + "." + rs(B62, 24) + "." + rs(B62, 20),
    "supabase_sr": lambda: gen_jwt("service_role"),
    "gocardless": lambda: "live_" + rs(B62 + "-_", 40),
    "adafruit": lambda: "aio_" + rs(B62, 28),
    "frameio": lambda: "fio-u-" + rs(B62 + "-_", 64),
    "lob": lambda: "live_" + hx(35),
    "sonar": lambda: "squ_" + hx(40),
    "mercadopago": lambda: "APP_USR-" + digits(16) + "-" + digits(6) + "-" + hx(32) + "-" + digits(9),
    "pagerduty": lambda: "u+" + rs(B62 + "-_", 18),
}
VENDOR_POOL = [k for k in VENDOR if k != "supabase_sr"]

GENERIC = {
    "pw": lambda: gen_password(),
    "pwu": lambda: gen_password(urlsafe=True),
    "phrase": gen_passphrase,
    "pin": gen_pin,
    "psk": lambda: pick([gen_passphrase(), gen_password(), rs(B62, ri(16, 24))]),
    "hex32": lambda: hx(32),
    "hex40": lambda: hx(40),
    "hex64": lambda: hx(64),
    "b62_32": lambda: rs(B62, 32),
    "b62_40": lambda: rs(B62, 40),
    "b64_32": lambda: b64(rbytes(32)),
    "b64u_43": lambda: b64u(rbytes(32)),
    "uuid": uuid4,
    "jwt": lambda: gen_jwt(),
    "django": lambda: pick(L + D) + rs(L + D + "!#%^&*(-_=+)", 49),
    "laravel": lambda: b64(rbytes(32)),
    "rails": lambda: hx(128),
    "flask": lambda: hx(ri(24, 48)),
    "session": lambda: rs(L + D, 32),
    "k8s_b64": lambda: b64(gen_password().encode()),
    "basic": lambda: b64((pick(LAT_FIRST) + ":" + gen_password()).encode()),
    "pem_rsa": lambda: gen_pem("rsa"),
    "pem_ec": lambda: gen_pem("ec"),
    "pem_openssh": lambda: gen_pem("openssh"),
    "pem_pkcs8": lambda: gen_pem("pkcs8"),
    "pem_enc": lambda: gen_pem("enc"),
    "pem_json": lambda: gen_pem("pkcs8").replace("\n", "\\n"),
    "vendor": lambda: VENDOR[pick(VENDOR_POOL)](),
    "wgkey": lambda: b64(rbytes(32)),
    "fernet": lambda: b64u(rbytes(32)) + "=",
    "hmac": lambda: pick([hx(64), b64(rbytes(48))]),
    "cookie": lambda: pick([b64u(rbytes(48)), "s%3A" + rs(B62 + "-_", 32) + "." + rs(B62, 43)]),
    "oauth_secret": lambda: pick(
        [rs(B62 + "-_", 40), "GOCSPX-" + rs(B62 + "-_", 28), rs(B62 + "~._-", 39) + pick(B62)]
    ),
    "android_pw": lambda: gen_password(),
}


# ---------------------------------------------------------------- unlabelled fillers / near misses
def gen_user():
    f, l = pick(LAT_FIRST), pick(LAT_LAST)
    return pick(
        [
            f + "." + l,
            f[0] + l,
            f + "_" + l[:3],
            l + str(ri(1, 99)),
            "svc_" + pick(WORDS),
            "deploy",
            "ci-runner",
            f,
            "admin_" + f,
        ]
    )


def gen_host():
    return (
        pick(["db", "api", "web", "cache", "mq", "auth", "worker", "edge", "build", "vpn"])
        + "-"
        + pick(["prod", "stg", "dev", "eu", "us", "ap"])
        + "-"
        + "%02d" % ri(1, 40)
    )


def gen_site():
    return pick(["www.", "api.", "shop.", "app.", ""]) + corp_domain()


def gen_date():
    return "%04d-%02d-%02d" % (ri(2019, 2026), ri(1, 12), ri(1, 28))


def gen_ts():
    return "%sT%02d:%02d:%02d%s" % (
        gen_date(),
        ri(0, 23),
        ri(0, 59),
        ri(0, 59),
        pick(["Z", ".%03dZ" % ri(0, 999), "+02:00"]),
    )


def gen_time():
    return "%02d:%02d" % (ri(6, 22), ri(0, 59))


BCRYPT_A = "./" + U + L + D


def neg_gen(kind, arg, lang):
    if kind == "first":
        return pick(NAMES.get(lang, NAMES["en"])[0])
    if kind == "last":
        return pick(NAMES.get(lang, NAMES["en"])[1])
    if kind == "full":
        f, l = NAMES.get(lang, NAMES["en"])
        if lang in ("zh", "ja", "ko"):
            return pick(l) + pick(f)
        return pick(f) + " " + pick(l)
    if kind == "user":
        return gen_user()
    if kind == "host":
        return gen_host()
    if kind == "site":
        return gen_site()
    if kind == "date":
        return gen_date()
    if kind == "ts":
        return gen_ts()
    if kind == "time":
        return gen_time()
    if kind == "int":
        a, b = re.fullmatch(r"(-?\d+)-(-?\d+)", arg).groups()
        return str(ri(int(a), int(b)))
    if kind == "hex":
        return hx(int(arg))
    if kind == "b62":
        return rs(B62, int(arg))
    if kind == "alt":
        return pick(arg.split("|"))
    if kind == "word":
        return pick(WORDS)
    if kind == "uuid":
        return uuid4()
    if kind == "sha1":
        return hx(40)
    if kind == "sha256":
        return hx(64)
    if kind == "md5":
        return hx(32)
    if kind == "short":
        return hx(7)
    if kind == "priv4":
        return gen_priv4()
    if kind == "priv6":
        return gen_priv6()
    if kind == "lo":
        return gen_lo()
    if kind == "ll4":
        return gen_ll4()
    if kind == "ll6":
        return gen_ll6()
    if kind == "docip4":
        return gen_docip4()
    if kind == "docip6":
        return gen_docip6()
    if kind == "cgnat":
        return gen_cgnat()
    if kind == "mcast":
        return gen_mcast()
    if kind == "mask":
        return pick(["255.255.255.0", "255.255.0.0", "255.255.255.128", "255.255.254.0", "255.255.255.252"])
    if kind == "exemail":
        return email_local() + "@" + pick(RESERVED_MAIL)
    if kind == "bcrypt":
        return "$2" + pick("aby") + "$" + pick(["10", "12", "11", "14"]) + "$" + rs(BCRYPT_A, 53)
    if kind == "sha512crypt":
        return "$6$" + rs(BCRYPT_A, 16) + "$" + rs(BCRYPT_A, 86)
    if kind == "sha256crypt":
        return "$5$" + rs(BCRYPT_A, 16) + "$" + rs(BCRYPT_A, 43)
    if kind == "md5crypt":
        return "$1$" + rs(BCRYPT_A, 8) + "$" + rs(BCRYPT_A, 22)
    if kind == "argon2":
        return "$argon2id$v=19$m=65536,t=3,p=4$" + b64(rbytes(16)).rstrip("=") + "$" + b64(rbytes(32)).rstrip("=")
    if kind == "cisco9":
        return "$9$" + rs(BCRYPT_A, 14) + "$" + rs(BCRYPT_A, 43)
    if kind == "cisco8":
        return "$8$" + rs(BCRYPT_A, 14) + "$" + rs(BCRYPT_A, 43)
    if kind == "pbkdf2":
        return "pbkdf2_sha256$" + pick(["600000", "720000", "870000"]) + "$" + rs(B62, 22) + "$" + b64(rbytes(32))
    if kind == "pk_live":
        return "pk_live_" + rs(B62, pick([24, 99]))
    if kind == "pk_test":
        return "pk_test_" + rs(B62, pick([24, 99]))
    if kind == "mapbox_pk":
        return "pk.eyJ1Ijoi" + rs(B62, 40) + "In0." + rs(B62 + "-_", 22)
    if kind == "gclient":
        return digits(12) + "-" + rs(L + D, 32) + ".apps.googleusercontent.com"
    if kind == "recaptcha":
        return "6L" + rs(B62 + "-_", 38)
    if kind == "sshpub":
        return (
            pick(
                [
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64C, 43),
                    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(B64C, 200),
                ]
            )
            + " "
            + pick(LAT_FIRST)
            + "@"
            + pick(["laptop", "workstation", "buildbox", "mbp"])
            + pick(["", "-" + str(ri(1, 9))])
        )
    if kind == "cert":
        return (
            "-----BEGIN CERTIFICATE-----\n"
            + b64_lines(ri(500, 900), lead=bytes.fromhex("308203"))
            + "\n-----END CERTIFICATE-----"
        )
    if kind == "pubkey":
        return (
            "-----BEGIN PUBLIC KEY-----\n"
            + b64_lines(ri(90, 294), lead=bytes.fromhex("30820122300d06092a864886f70d01010105000382010f00"))
            + "\n-----END PUBLIC KEY-----"
        )
    if kind == "csrf":
        return rs(B62 + "-_", pick([32, 40, 43, 64]))
    if kind == "nonce":
        return b64(rbytes(16)).rstrip("=")
    if kind == "accessor":
        return rs(B62, 24)
    if kind == "btc":
        return pick(["bc1q" + rs(BECH, 38), "1" + rs("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33)])
    if kind == "eth":
        return "0x" + rs(HEXL + "ABCDEF", 40)
    if kind == "envref":
        v = pick(
            [
                "DB_PASSWORD",
                "API_KEY",
                "STRIPE_SECRET_KEY",
                "GITHUB_TOKEN",
                "SMTP_PASS",
                "JWT_SECRET",
                "OPENAI_API_KEY",
                "AWS_SECRET_ACCESS_KEY",
                "REDIS_PASSWORD",
                "SLACK_BOT_TOKEN",
            ]
        )
        return pick(
            [
                "${%s}" % v,
                "$%s" % v,
                "${{ secrets.%s }}" % v,
                "process.env.%s" % v,
                'os.environ["%s"]' % v,
                "%%%s%%" % v,
                "$env:%s" % v,
                "{{ .Values.%s }}" % v.lower(),
                'ENV.fetch("%s")' % v,
                'getenv("%s")' % v,
            ]
        )
    if kind == "placeholder":
        return pick(
            [
                "<your-api-key>",
                "YOUR_API_KEY_HERE",
                "xxxxxxxxxxxxxxxxxxxx",
                "********",
                "REPLACE_ME",
                "<password>",
                "<TOKEN>",
                "${SECRET}",
                "your_secret_here",
                "sk_live_xxxxxxxxxxxxxxxxxxxx",
                "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "TODO",
                "<insert token>",
                "...",
                "dummy-value",
                "[REDACTED]",
                "<redacted>",
                "CHANGE_ME_BEFORE_DEPLOY",
            ]
        )
    if kind == "vexample":
        return pick(
            [
                "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AKIAI44QH8DHBEXAMPLE",
                "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
                "sk_test_EXAMPLEKEY" + rs(D, 6),
                "xoxb-your-bot-token",
                "ghp_EXAMPLE" + "x" * 25,
                "AIzaSyEXAMPLE-EXAMPLE-EXAMPLE",
                "your_api_key",
                "example-token-123",
            ]
        )
    if kind == "masked":
        return pick(
            [
                "sk_live_" + "*" * 20 + rs(B62, 4),
                "ghp_" + "•" * 12 + rs(B62, 4),
                "****" + rs(B62, 4),
                "AKIA" + "*" * 12 + rs(UD, 4),
                rs(B62, 4) + "…" + rs(B62, 4),
                "[REDACTED]",
                "<masked>",
                "xoxb-****-****",
                "••••••••",
            ]
        )
    if kind == "maskcard":
        return pick(
            [
                "**** **** **** " + rs(D, 4),
                "XXXX-XXXX-XXXX-" + rs(D, 4),
                "•••• " + rs(D, 4),
                rs(D, 6) + "******" + rs(D, 4),
                "ending in " + rs(D, 4),
            ]
        )
    if kind == "badcard":
        return gen_bad_card()
    if kind == "nobrand":
        return gen_nobrand_luhn()
    if kind == "imei":
        return gen_imei()
    if kind == "iban":
        c = pick(["DE", "FR", "NL", "ES", "IT", "PL", "GB", "SE"])
        return (
            c
            + rs(D, 2)
            + " "
            + " ".join(rs(U + D if c in ("NL", "GB") and i == 0 else D, 4) for i in range(4))
            + " "
            + rs(D, 2)
        )
    if kind == "phone":
        return pick(
            [
                "+49 %d %d" % (ri(151, 179), ri(1000000, 9999999)),
                "+33 6 %02d %02d %02d %02d" % tuple(ri(10, 99) for _ in range(4)),
                "(%d) %d-%04d" % (ri(201, 989), ri(200, 999), ri(0, 9999)),
                "+81 90-%04d-%04d" % (ri(0, 9999), ri(0, 9999)),
                "+44 7%d %06d" % (ri(100, 999), ri(0, 999999)),
                "+7 9%02d %03d-%02d-%02d" % (ri(0, 99), ri(0, 999), ri(0, 99), ri(0, 99)),
                "+91 9%04d %05d" % (ri(0, 9999), ri(0, 99999)),
            ]
        )
    if kind == "order":
        return pick(["ORD-", "#", "PO-", "INV-", "AB"]) + str(ri(100000, 99999999))
    if kind == "tracking":
        return pick(["1Z" + rs(UD, 16), "JD" + rs(D, 18), "RR" + rs(D, 9) + "DE", "9400" + rs(D, 18)])
    if kind == "ver":
        return pick(
            [
                "%d.%d.%d" % (ri(0, 9), ri(0, 40), ri(0, 30)),
                "%d.%d.%d-rc.%d" % (ri(1, 5), ri(0, 9), ri(0, 9), ri(1, 4)),
                "%d.%d.%d.%d" % (ri(1, 9), ri(0, 9), ri(300, 9000), ri(1, 99)),
                "v%d.%d.%d" % (ri(0, 3), ri(0, 30), ri(0, 20)),
            ]
        )
    if kind == "mac":
        return ":".join(hx(2) for _ in range(6))
    if kind == "digest":
        return "sha256:" + hx(64)
    if kind == "objid":
        return pick(["cus_", "pi_", "ch_", "sub_", "in_", "evt_", "price_", "acct_"]) + rs(B62, pick([14, 24]))
    if kind == "arn":
        return "arn:aws:%s::%s:%s" % (
            pick(["iam", "sts"]),
            rs(D, 12),
            pick(["role/", "user/", "policy/"]) + pick(WORDS) + "-" + pick(["deployer", "reader", "ci"]),
        )
    if kind == "acct":
        return rs(D, 12)
    if kind == "gpgfp":
        return " ".join(rs("0123456789ABCDEF", 4) for _ in range(10))
    if kind == "sshfp":
        return "SHA256:" + b64(rbytes(32)).rstrip("=")
    if kind == "oid":
        return "1.3.6.1.4.1." + ".".join(str(ri(1, 40000)) for _ in range(ri(3, 6)))
    if kind == "gaid":
        return pick(
            ["G-" + rs(UD, 10), "UA-%d-%d" % (ri(1000000, 99999999), ri(1, 9)), "GTM-" + rs(UD, 7), "AW-" + rs(D, 10)]
        )
    if kind == "datauri":
        return "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA" + b64(rbytes(ri(60, 150)))
    if kind == "reqid":
        return pick([uuid4(), "req_" + rs(B62, 24), hx(32), "Root=1-" + hx(8) + "-" + hx(24)])
    if kind == "cachekey":
        return pick(
            ["user:%d:profile" % ri(1, 99999), "sess-meta:" + hx(16), "v2:catalog:" + pick(WORDS) + ":" + hx(12)]
        )
    if kind == "port":
        return str(pick([22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9200, 27017, 5672, 11211]))
    if kind == "money":
        return pick(["€", "$", "£", ""]) + "%d.%02d" % (ri(3, 2999), ri(0, 99))
    if kind == "isbn":
        return "978-%d-%d-%d-%d" % (ri(0, 9), ri(100, 9999), ri(1000, 99999), ri(0, 9))
    if kind == "serial":
        return rs(UD, 4) + "-" + rs(UD, 4) + "-" + rs(D, 4)
    if kind == "company":
        return pick(CORP_STEMS).replace("-", " ").title()
    if kind == "wpa_ssid":
        return pick(
            [
                "Fritz!Box 7590 " + rs(UD, 2),
                "TP-Link_" + rs("0123456789ABCDEF", 4),
                "Office-Guest",
                "Vodafone-" + rs(UD, 4),
            ]
        )
    raise KeyError(kind)


def pos_gen(kind, arg, lang):
    """Returns (value, entity, kindtag)."""
    if kind == "EMAIL":
        return gen_email(arg), "EMAIL_ADDRESS", "email"
    if kind == "IP4":
        return gen_ip4(), "IP_ADDRESS", "ip"
    if kind == "IP6":
        return gen_ip6(), "IP_ADDRESS", "ip"
    if kind == "IP":
        return (gen_ip6() if R.random() < 0.25 else gen_ip4()), "IP_ADDRESS", "ip"
    if kind == "CARD":
        return gen_card(arg), "CREDIT_CARD", "card"
    if kind == "S":
        fn = VENDOR.get(arg) or GENERIC.get(arg)
        if fn is None:
            raise KeyError(arg)
        while True:
            v = fn()
            # keys/tokens follow the same edge rule as passwords: no leading symbol,
            # no trailing sentence punctuation (PEM blocks start with dashes by definition)
            if arg.startswith("pem") or (v[0].isalnum() and v[-1] not in ".,!?:;"):
                return v, "SECRET", arg
    raise KeyError(kind)


PH = re.compile("\u27ea([^\u27eb]+)\u27eb")


def render(tpl, lang):
    out = []
    spans = []
    cache = {}
    n = 0
    last = 0
    for m in PH.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        n += len(lit)
        last = m.end()
        key = m.group(1)
        base, _, tag = key.partition("#")
        kind, _, arg = base.partition(":")
        if tag and key in cache:
            val, ent, kt = cache[key]
        elif kind[0].isupper():
            val, ent, kt = pos_gen(kind, arg, lang)
        else:
            val, ent, kt = neg_gen(kind, arg, lang), None, None
        if tag:
            cache[key] = (val, ent, kt)
        if ent:
            spans.append({"start": n, "end": n + len(val), "entity": ent, "_v": val, "_k": kt})
        out.append(val)
        n += len(val)
    out.append(tpl[last:])
    text = "".join(out)
    assert len(text) == n + len(tpl) - last
    return text, spans


# ---------------------------------------------------------------- scanner and checks
RE_IP4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)")
RE_IP6 = re.compile(r"(?<![\w:.])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w:])")
RE_DIGRUN = re.compile(r"(?<![\w])\d+(?:[ -]\d+)*(?![\w])")
RE_MAIL = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")
RESERVED_SUFFIX = (".test", ".invalid", ".localhost", ".example")


def domain_reserved(dom):
    d = dom.lower()
    return (
        d in ("example.com", "example.org", "example.net")
        or d.endswith((".example.com", ".example.org", ".example.net"))
        or d.endswith(RESERVED_SUFFIX)
        or d in ("test", "invalid", "localhost", "example")
    )


def scan(text, category):
    hits = []
    for m in RE_IP4.finditer(text):
        if ip_public_ok(m.group(1)):
            hits.append(("ip4", m.group(1)))
    for m in RE_IP6.finditer(text):
        s = m.group(1)
        if s.count(":") >= 2 and ip_public_ok(s):
            hits.append(("ip6", s))
    for m in RE_DIGRUN.finditer(text):
        groups = re.split(r"[ -]", m.group(0))
        for i in range(len(groups)):
            acc = ""
            for j in range(i, len(groups)):
                acc += groups[j]
                if len(acc) > 19:
                    break
                if len(acc) >= 12 and luhn_ok(acc) and card_brand_broad(acc):
                    hits.append(("card", acc))
    for m in RE_MAIL.finditer(text):
        if domain_reserved(m.group(1)):
            continue
        before = text[max(0, m.start() - 3) : m.start()]
        after = text[m.end() : m.end() + 1]
        if before.endswith("//"):
            continue  # URL userinfo without password (https://user@host)
        if category == "git_ssh_remote" and after == ":":
            continue  # scp-style git remote
        hits.append(("email", m.group(0)))
    return hits


def blank_spans(text, spans):
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            chars[i] = " " if text[i] != "\n" else "\n"
    return "".join(chars)


DOC_MARKERS = ("EXAMPLE", "example", "xxxx", "your_", "YOUR_")


def check_record(rec, spans_meta):
    text = rec["text"]
    errs = []
    if rec["category"] == "positive":
        if not rec["spans"]:
            errs.append("positive without spans")
    elif rec["spans"]:
        errs.append("negative with spans")
    prev_end = -1
    for s, meta in zip(rec["spans"], spans_meta):
        v = text[s["start"] : s["end"]]
        if v != meta["_v"]:
            errs.append("offset mismatch")
        if s["start"] < prev_end:
            errs.append("overlap")
        prev_end = s["end"]
        e = s["entity"]
        if e == "IP_ADDRESS" and not ip_public_ok(v):
            errs.append("non-public ip " + v)
        if e == "CREDIT_CARD":
            if not re.fullmatch(r"\d+(?:[ -]\d+)*", v):
                errs.append("bad card chars")
            num = re.sub(r"[ -]", "", v)
            if not (luhn_ok(num) and card_brand_strict(num)):
                errs.append("bad card " + v)
        if e == "EMAIL_ADDRESS":
            m = RE_MAIL.fullmatch(v)
            if not m or domain_reserved(m.group(1)):
                errs.append("bad email " + v)
        if e == "SECRET":
            if any(mk in v for mk in DOC_MARKERS):
                errs.append("doc marker in secret")
            if meta["_k"] in ("pw", "pwu", "android_pw") and not pw_ok(v):
                errs.append("weak/ambiguous password " + v)
            if v != v.strip() or not v:
                errs.append("secret with outer whitespace")
    hits = scan(blank_spans(text, rec["spans"]), rec["category"])
    if hits:
        errs.append("scanner: %r" % hits[:3])
    return errs


# ---------------------------------------------------------------- templates
TEMPLATES = []


def T(ctx, lang, cat, text, n=4):
    TEMPLATES.append((ctx, lang, cat, text, n))


# ===== source code & configuration: positives =====
T(
    "python_source",
    "en",
    "positive",
    """import os
import boto3

# TODO(⟪user⟫): move these into SSM before the audit
AWS_ACCESS_KEY_ID = "⟪S:aws_akid⟫"
AWS_SECRET_ACCESS_KEY = "⟪S:aws_secret⟫"
REGION = "⟪alt:eu-central-1|us-east-1|ap-southeast-2⟫"

s3 = boto3.client("s3", aws_access_key_id=AWS_ACCESS_KEY_ID,
                  aws_secret_access_key=AWS_SECRET_ACCESS_KEY, region_name=REGION)
for obj in s3.list_objects_v2(Bucket="⟪word⟫-exports")["Contents"]:
    print(obj["Key"])
""",
)
T(
    "python_source",
    "en",
    "positive",
    """def send_report(to_addr):
    msg = EmailMessage()
    msg["From"] = "⟪EMAIL:corp⟫"
    msg["To"] = to_addr
    msg["Subject"] = "Nightly report"
    with smtplib.SMTP_SSL("smtp.⟪site⟫", 465) as s:
        s.login("reports", "⟪S:pw⟫")
        s.send_message(msg)
""",
)
T(
    "python_source",
    "en",
    "positive",
    """# settings.py  (generated by 'django-admin startproject ⟪word⟫')
SECRET_KEY = '⟪S:django⟫'
DEBUG = False
ALLOWED_HOSTS = ['⟪IP4⟫', 'localhost']
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': '⟪word⟫',
        'USER': '⟪user⟫',
        'PASSWORD': '⟪S:pw⟫',
        'HOST': '⟪priv4⟫',
        'PORT': '5432',
    }
}
""",
)
T(
    "jupyter_notebook",
    "en",
    "positive",
    """{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": [
    "import openai\\n",
    "client = openai.OpenAI(api_key=\\"⟪S:openai⟫\\")\\n",
    "resp = client.chat.completions.create(model=\\"gpt-4o-mini\\", messages=msgs)"
   ]
  },
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["## Results (run ⟪date⟫)"]
  }
 ],
 "nbformat": 4,
 "nbformat_minor": 5
}""",
)
T(
    "jupyter_notebook",
    "en",
    "positive",
    """# In[12]:
from huggingface_hub import login
login(token="⟪S:huggingface⟫")

# In[13]:
df = pd.read_csv("s3://⟪word⟫-lake/raw/events.csv")
df.head()
""",
)
T(
    "javascript_source",
    "en",
    "positive",
    """const Stripe = require('stripe');
// quick hack for the demo, DO NOT COMMIT
const stripe = Stripe('⟪S:stripe_live⟫');

app.post('/checkout', async (req, res) => {
  const session = await stripe.checkout.sessions.create({
    line_items: req.body.items,
    mode: 'payment',
    success_url: 'https://⟪site⟫/thanks',
  });
  res.json({ id: session.id });
});""",
)
T(
    "javascript_source",
    "en",
    "positive",
    """const { Client, GatewayIntentBits } = require("discord.js");
const client = new Client({ intents: [GatewayIntentBits.Guilds] });
client.once("ready", () => console.log(`logged in as ${client.user.tag}`));
client.login("⟪S:discord⟫"); // bot token""",
)
T(
    "typescript_source",
    "en",
    "positive",
    """import { createClient } from '@supabase/supabase-js'

export const supabaseAdmin = createClient(
  'https://⟪b62:20⟫.supabase.co',
  '⟪S:supabase_sr⟫', // service_role – server only!!
  { auth: { persistSession: false } }
)""",
)
T(
    "typescript_source",
    "en",
    "positive",
    """export const config = {
  sendgridKey: "⟪S:sendgrid⟫",
  fromAddress: "⟪EMAIL:corp⟫",
  replyTo: "⟪exemail⟫",
  retries: 3,
};""",
)
T(
    "go_source",
    "en",
    "positive",
    """package main

import (
	"database/sql"
	_ "github.com/go-sql-driver/mysql"
)

const dsn = "⟪user⟫:⟪S:pwu⟫@tcp(⟪IP4⟫:3306)/⟪word⟫?parseTime=true"

func main() {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		panic(err)
	}
	defer db.Close()
}""",
)
T(
    "go_source",
    "en",
    "positive",
    """func newSlack() *slack.Client {
	// token rotated ⟪date⟫
	return slack.New("⟪S:xoxb⟫", slack.OptionDebug(false))
}""",
)
T(
    "java_source",
    "en",
    "positive",
    """public class MailConfig {
    private static final String SMTP_HOST = "⟪IP4⟫";
    private static final String SMTP_USER = "⟪EMAIL⟫";
    private static final String SMTP_PASS = "⟪S:pw⟫";

    public Session session() {
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        return Session.getInstance(p, new Authenticator() {
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(SMTP_USER, SMTP_PASS);
            }
        });
    }
}""",
)
T(
    "kotlin_source",
    "en",
    "positive",
    """object ApiKeys {
    const val MAPS = "⟪S:google_api⟫"
    const val TELEGRAM_BOT = "⟪S:telegram⟫"
}""",
)
T(
    "rust_source",
    "en",
    "positive",
    """fn client() -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer ⟪S:groq⟫"));
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}""",
)
T(
    "ruby_source",
    "en",
    "positive",
    """Rails.application.configure do
  config.action_mailer.smtp_settings = {
    address:        "smtp.mailgun.org",
    port:           587,
    user_name:      "⟪EMAIL:corp⟫",
    password:       "⟪S:mailgun⟫",
    authentication: :plain
  }
end""",
)
T(
    "php_source",
    "en",
    "positive",
    """<?php
define('DB_NAME', '⟪word⟫_wp');
define('DB_USER', '⟪user⟫');
define('DB_PASSWORD', '⟪S:pw⟫');
define('DB_HOST', '⟪IP4⟫');
define('AUTH_KEY',         '⟪S:b62_40⟫');
define('SECURE_AUTH_KEY',  '⟪S:b62_40⟫');
$table_prefix = 'wp_';""",
)
T(
    "php_source",
    "en",
    "positive",
    """APP_NAME=Laravel
APP_ENV=production
APP_KEY=base64:⟪S:laravel⟫
APP_DEBUG=false
APP_URL=https://⟪site⟫
MAIL_USERNAME=⟪EMAIL⟫
MAIL_PASSWORD=⟪S:pw⟫""",
)
T(
    "csharp_source",
    "en",
    "positive",
    """{
  "ConnectionStrings": {
    "Default": "Server=⟪IP4⟫,1433;Database=⟪word⟫;User Id=sa;Password=⟪S:pw⟫;TrustServerCertificate=True"
  },
  "Storage": "DefaultEndpointsProtocol=https;AccountName=⟪word⟫store;AccountKey=⟪S:azure_storage⟫;EndpointSuffix=core.windows.net",
  "Logging": { "LogLevel": { "Default": "Information" } }
}""",
)
T(
    "csharp_source",
    "en",
    "positive",
    """var client = new HttpClient();
client.DefaultRequestHeaders.Add("X-Api-Key", "⟪S:hex32⟫");
client.DefaultRequestHeaders.Add("X-Request-Id", Guid.NewGuid().ToString());
var resp = await client.GetAsync("https://⟪site⟫/v2/orders?since=⟪date⟫");""",
)
T(
    "swift_source",
    "en",
    "positive",
    """enum Secrets {
    static let revenueCatKey = "⟪S:b62_32⟫"
    static let sentryToken = "⟪S:sentry⟫"
    static let supportEmail = "⟪EMAIL:corp⟫"
}""",
)
T(
    "scala_source",
    "en",
    "positive",
    """val kafkaProps = Map(
  "bootstrap.servers" -> "⟪IP4⟫:9092,⟪IP4⟫:9092",
  "security.protocol" -> "SASL_SSL",
  "sasl.jaas.config" -> "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"⟪user⟫\\" password=\\"⟪S:pw⟫\\";"
)""",
)
T(
    "perl_source",
    "en",
    "positive",
    """#!/usr/bin/perl
use DBI;
my $dbh = DBI->connect("DBI:Pg:dbname=⟪word⟫;host=⟪IP4⟫", "⟪user⟫", "⟪S:pw⟫")
    or die $DBI::errstr;""",
)
T(
    "r_source",
    "en",
    "positive",
    """library(rtweet)
Sys.setenv(OPENAI_API_KEY = "⟪S:openai⟫")
con <- dbConnect(RPostgres::Postgres(), host = "⟪IP4⟫", user = "analyst",
                 password = "⟪S:pw⟫", dbname = "⟪word⟫")""",
)
T(
    "bash_script",
    "en",
    "positive",
    """#!/usr/bin/env bash
set -euo pipefail
export GITHUB_TOKEN=⟪S:ghp⟫
export NPM_TOKEN=⟪S:npm⟫
gh release create "v⟪ver⟫" dist/*.tgz --notes-file CHANGELOG.md
npm publish --access public""",
)
T(
    "bash_script",
    "en",
    "positive",
    """# backup.sh -- runs from cron at 02:15
PGPASSWORD='⟪S:pw⟫' pg_dump -h ⟪IP4⟫ -U backup ⟪word⟫ | gzip > /srv/backup/$(date +%F).sql.gz
rsync -az /srv/backup/ backup@⟪priv4⟫:/vol/pg/""",
)
T(
    "powershell_script",
    "en",
    "positive",
    """$secure = ConvertTo-SecureString "⟪S:pw⟫" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ("CORP\\⟪user⟫", $secure)
Enter-PSSession -ComputerName ⟪IP4⟫ -Credential $cred""",
)
T(
    "lua_source",
    "en",
    "positive",
    """local redis = require "resty.redis"
local red = redis:new()
red:connect("⟪IP4⟫", 6379)
local ok, err = red:auth("⟪S:b62_32⟫")""",
)
T(
    "dart_source",
    "en",
    "positive",
    """class Env {
  static const openWeatherKey = '⟪S:hex32⟫';
  static const firebaseApiKey = '⟪S:google_api⟫';
}""",
)
T(
    "elixir_source",
    "en",
    "positive",
    '''config :my_app, MyApp.Repo,
  username: "postgres",
  password: "⟪S:pw⟫",
  hostname: "⟪IP4⟫",
  pool_size: 10

config :my_app, MyAppWeb.Endpoint,
  secret_key_base: "⟪S:rails⟫"''',
)
T(
    "c_source",
    "en",
    "positive",
    '''/* wifi.h - credentials for the greenhouse sensor */
#define WIFI_SSID "⟪wpa_ssid⟫"
#define WIFI_PASS "⟪S:psk⟫"
#define MQTT_HOST "⟪IP4⟫"
#define MQTT_TOKEN "⟪S:adafruit⟫"''',
)
T(
    "cpp_source",
    "en",
    "positive",
    """static const char* kLicenseServer = "https://⟪site⟫/activate";
static const char* kHmacSecret = "⟪S:hmac⟫";  // shared with backend""",
)
T(
    "haskell_source",
    "en",
    "positive",
    """main :: IO ()
main = do
  let token = "⟪S:linear⟫"
  manager <- newTlsManager
  runReq defaultHttpConfig $ req POST (https "api.linear.app" /: "graphql") body jsonResponse (oAuth2Bearer token)""",
)
T(
    "julia_source",
    "en",
    "positive",
    """ENV["DATADOG_API_KEY"] = "⟪S:hex32⟫"
conn = LibPQ.Connection("host=⟪IP4⟫ dbname=metrics user=julia password=⟪S:pw⟫")""",
)
T(
    "groovy_jenkinsfile",
    "en",
    "positive",
    """pipeline {
  agent any
  environment {
    SONAR_TOKEN = '⟪S:sonar⟫'
    DOCKERHUB_TOKEN = '⟪S:dockerhub⟫'
  }
  stages {
    stage('Push') {
      steps { sh 'echo $DOCKERHUB_TOKEN | docker login -u ⟪user⟫ --password-stdin' }
    }
  }
}""",
)
T(
    "sql_script",
    "en",
    "positive",
    """-- provisioning for reporting replica
CREATE USER report_ro WITH PASSWORD '⟪S:pw⟫';
GRANT SELECT ON ALL TABLES IN SCHEMA public TO report_ro;
ALTER USER etl_writer WITH PASSWORD '⟪S:pw⟫' VALID UNTIL '⟪date⟫';""",
)
T(
    "dotenv",
    "en",
    "positive",
    """# .env.production
NODE_ENV=production
DATABASE_URL=postgres://app:⟪S:pwu⟫@⟪IP4⟫:5432/app
REDIS_URL=redis://default:⟪S:pwu⟫@⟪host⟫:6379/0
STRIPE_SECRET_KEY=⟪S:stripe_live⟫
STRIPE_PUBLISHABLE_KEY=⟪pk_live⟫
STRIPE_WEBHOOK_SECRET=⟪S:stripe_whsec⟫
SENTRY_ENVIRONMENT=prod""",
)
T(
    "dotenv",
    "en",
    "positive",
    """OPENAI_API_KEY=⟪S:openai⟫
ANTHROPIC_API_KEY=⟪S:anthropic⟫
HF_TOKEN=⟪S:huggingface⟫
REPLICATE_API_TOKEN=⟪S:replicate⟫
LOG_LEVEL=debug""",
)
T(
    "dotenv",
    "en",
    "positive",
    """SHOPIFY_CLIENT_ID=⟪hex:32⟫
SHOPIFY_API_SECRET=⟪S:shopify_ss⟫
SHOPIFY_ADMIN_TOKEN=⟪S:shopify⟫
SCOPES=read_products,write_orders
HOST=https://⟪site⟫""",
)
T(
    "yaml_config",
    "en",
    "positive",
    """spring:
  datasource:
    url: jdbc:postgresql://⟪IP4⟫:5432/orders
    username: orders_svc
    password: ⟪S:pw⟫
  mail:
    host: smtp.office365.com
    username: ⟪EMAIL:corp⟫
    password: ⟪S:pw⟫
management.endpoints.web.exposure.include: health,info""",
)
T(
    "yaml_config",
    "en",
    "positive",
    """# config/storage.yml
amazon:
  service: S3
  access_key_id: ⟪S:aws_akid⟫
  secret_access_key: ⟪S:aws_secret⟫
  region: eu-west-1
  bucket: ⟪word⟫-uploads-prod""",
)
T(
    "k8s_manifest",
    "en",
    "positive",
    """apiVersion: v1
kind: Secret
metadata:
  name: ⟪word⟫-db
  namespace: prod
type: Opaque
data:
  username: ⟪alt:cG9zdGdyZXM=|YXBwX3VzZXI=|cmVwb3J0aW5n⟫
  password: ⟪S:k8s_b64⟫""",
)
T(
    "k8s_manifest",
    "en",
    "positive",
    '''apiVersion: v1
kind: Secret
metadata:
  name: registry-creds
stringData:
  GITLAB_TOKEN: "⟪S:glpat⟫"
  RUNNER_TOKEN: "⟪S:glrt⟫"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  LOG_FORMAT: json
  UPSTREAM: "http://⟪priv4⟫:8080"''',
)
T(
    "helm_values",
    "en",
    "positive",
    """grafana:
  adminUser: admin
  adminPassword: "⟪S:pw⟫"
  env:
    GF_SERVER_ROOT_URL: https://grafana.⟪site⟫
  serviceAccountToken: ⟪S:grafana_sa⟫""",
)
T(
    "docker_compose",
    "en",
    "positive",
    """services:
  db:
    image: mariadb:11
    environment:
      MARIADB_ROOT_PASSWORD: ⟪S:pw⟫
      MARIADB_PASSWORD: ⟪S:pw⟫
  app:
    image: ghcr.io/⟪word⟫/api:⟪ver⟫
    environment:
      - MAIL_FROM=⟪EMAIL:corp⟫
      - PUBLIC_IP=⟪IP4⟫
    ports: ["8080:8080"]""",
)
T(
    "dockerfile",
    "en",
    "positive",
    """FROM python:3.12-slim
ENV PIP_INDEX_URL=https://__token__:⟪S:pypi⟫@upload.pypi.org/simple
ENV TZ=Europe/Berlin
COPY . /app
RUN pip install -r /app/requirements.txt""",
)
T(
    "terraform",
    "en",
    "positive",
    """provider "digitalocean" {
  token = "⟪S:digitalocean⟫"
}

resource "digitalocean_droplet" "web" {
  image  = "ubuntu-24-04-x64"
  name   = "web-⟪int:1-9⟫"
  region = "fra1"
  size   = "s-1vcpu-1gb"
}

resource "digitalocean_firewall" "web" {
  inbound_rule {
    protocol         = "tcp"
    port_range       = "22"
    source_addresses = ["⟪IP4⟫/32"]
  }
}""",
)
T(
    "terraform",
    "en",
    "positive",
    """variable "db_password" {
  type      = string
  sensitive = true
  default   = "⟪S:pw⟫"
}

provider "cloudflare" {
  api_token = "⟪S:b62_40⟫"
}

terraform {
  cloud {
    organization = "⟪word⟫"
    token        = "⟪S:tfc⟫"
  }
}""",
)
T(
    "ansible_playbook",
    "en",
    "positive",
    """- hosts: dbservers
  become: yes
  vars:
    mysql_root_password: "⟪S:pw⟫"
    replication_user: repl
    replication_password: "⟪S:pw⟫"
    primary_ip: ⟪IP4⟫
  tasks:
    - name: ensure mysql is running
      service: name=mysql state=started""",
)
T(
    "github_actions",
    "en",
    "positive",
    """name: deploy
on: [push]
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      VERCEL_TOKEN: ${{ secrets.VERCEL_TOKEN }}
      FLY_API_TOKEN: ⟪S:b62_40⟫
    steps:
      - uses: actions/checkout@v4
      - run: curl -fsS -X POST -H "Authorization: Bearer ⟪S:netlify⟫" https://api.netlify.com/api/v1/sites/⟪uuid⟫/builds""",
)
T(
    "gitlab_ci",
    "en",
    "positive",
    """variables:
  DOCKER_DRIVER: overlay2
  SONAR_HOST_URL: https://sonar.⟪site⟫
  PULUMI_ACCESS_TOKEN: "⟪S:pulumi⟫"

deploy:
  stage: deploy
  script:
    - pulumi up --yes --stack prod
  only: [main]""",
)
T(
    "circleci_config",
    "en",
    "positive",
    """version: 2.1
jobs:
  publish:
    docker:
      - image: cimg/ruby:3.3
    steps:
      - checkout
      - run: |
          mkdir -p ~/.gem && echo ":rubygems_api_key: ⟪S:rubygems⟫" > ~/.gem/credentials
          chmod 0600 ~/.gem/credentials && gem push pkg/*.gem""",
)
T(
    "npmrc",
    "en",
    "positive",
    """registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=⟪S:npm⟫
@⟪word⟫:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟪S:ghp⟫""",
)
T(
    "pypirc",
    "en",
    "positive",
    """[distutils]
index-servers =
    pypi
    private

[pypi]
username = __token__
password = ⟪S:pypi⟫

[private]
repository = https://pkgs.⟪site⟫/simple
username = ⟪user⟫
password = ⟪S:pw⟫""",
)
T(
    "netrc",
    "en",
    "positive",
    """machine api.heroku.com
  login ⟪EMAIL⟫
  password ⟪S:uuid⟫
machine git.heroku.com
  login ⟪EMAIL⟫
  password ⟪S:uuid⟫""",
)
T("ssh_key_file", "en", "positive", """⟪S:pem_openssh⟫""")
T(
    "pem_file",
    "en",
    "positive",
    """# server.key for ⟪site⟫ (renewed ⟪date⟫)
⟪S:pem_rsa⟫""",
)
T(
    "json_config",
    "en",
    "positive",
    """{
  "type": "service_account",
  "project_id": "⟪word⟫-⟪int:100000-999999⟫",
  "private_key_id": "⟪hex:40⟫",
  "private_key": "⟪S:pem_json⟫\\n",
  "client_email": "⟪EMAIL:gsa⟫",
  "client_id": "⟪int:100000000000000000000-999999999999999999999⟫",
  "token_uri": "https://oauth2.googleapis.com/token"
}""",
)
T(
    "ini_config",
    "en",
    "positive",
    """[client]
user = backup
password = "⟪S:pw⟫"
host = ⟪IP4⟫

[mysqldump]
single-transaction""",
)
T(
    "toml_config",
    "en",
    "positive",
    '''[server]
bind = "0.0.0.0:8080"
public_url = "https://⟪site⟫"

[auth]
jwt_secret = "⟪S:b64u_43⟫"
admin_email = "⟪EMAIL⟫"

[integrations.linear]
api_key = "⟪S:linear⟫"''',
)
T(
    "xml_config",
    "en",
    "positive",
    """<settings>
  <servers>
    <server>
      <id>nexus-releases</id>
      <username>deploy</username>
      <password>⟪S:pwu⟫</password>
    </server>
    <server>
      <id>github</id>
      <username>⟪user⟫</username>
      <password>⟪S:ghp⟫</password>
    </server>
  </servers>
</settings>""",
)
T(
    "properties_file",
    "en",
    "positive",
    """# application.properties
spring.rabbitmq.host=⟪IP4⟫
spring.rabbitmq.username=orders
spring.rabbitmq.password=⟪S:pw⟫
app.jwt.signing-key=⟪S:hex64⟫
app.ops-contact=⟪EMAIL:corp⟫""",
)
T(
    "wireguard_conf",
    "en",
    "positive",
    """[Interface]
PrivateKey = ⟪S:wgkey⟫
Address = 10.8.0.⟪int:2-200⟫/24
DNS = 10.8.0.1

[Peer]
PublicKey = ⟪b62:43⟫=
Endpoint = ⟪IP4⟫:51820
AllowedIPs = 0.0.0.0/0""",
)
T(
    "nginx_conf",
    "en",
    "positive",
    """server {
    listen 443 ssl;
    server_name ⟪site⟫;
    location /internal/ {
        allow ⟪IP4⟫;
        allow ⟪IP6⟫;
        deny all;
        proxy_set_header Authorization "Basic ⟪S:basic⟫";
        proxy_pass http://⟪priv4⟫:9000;
    }
}""",
)
T(
    "git_config",
    "en",
    "positive",
    """[remote "origin"]
	url = https://⟪user⟫:⟪S:github_pat⟫@github.com/⟪word⟫/⟪word⟫-infra.git
	fetch = +refs/heads/*:refs/remotes/origin/*
[user]
	email = ⟪EMAIL⟫""",
)
T(
    "vagrantfile",
    "en",
    "positive",
    """Vagrant.configure("2") do |config|
  config.vm.box = "ubuntu/jammy64"
  config.vm.network "public_network", ip: "⟪IP4⟫"
  config.vm.provision "shell", inline: "echo 'root:⟪S:pw⟫' | chpasswd"
end""",
)
T(
    "cloud_init",
    "en",
    "positive",
    """#cloud-config
users:
  - name: ops
    ssh_authorized_keys:
      - ⟪sshpub⟫
chpasswd:
  list: |
    ops:⟪S:pw⟫
  expire: false
runcmd:
  - [ sh, -c, "curl -fsSL https://tailscale.com/install.sh | sh && tailscale up --authkey ⟪S:tailscale⟫" ]""",
)
T(
    "makefile",
    "en",
    "positive",
    """DOCKER_REPO ?= registry.⟪site⟫/platform
NUGET_KEY := ⟪S:nuget⟫

publish:
	dotnet nuget push bin/Release/*.nupkg --api-key $(NUGET_KEY) --source https://api.nuget.org/v3/index.json""",
)
T(
    "python_source",
    "en",
    "positive",
    """from airtable import Airtable
from notion_client import Client

AIRTABLE_TOKEN = "⟪S:airtable⟫"
notion = Client(auth="⟪S:notion⟫")
base = Airtable("app⟪b62:14⟫", "Leads", api_key=AIRTABLE_TOKEN)""",
)
T(
    "javascript_source",
    "en",
    "positive",
    """// firebase-admin init for the cron worker
admin.initializeApp({
  credential: admin.credential.cert({
    projectId: "⟪word⟫-app",
    clientEmail: "⟪EMAIL:gsa⟫",
    privateKey: "⟪S:pem_json⟫",
  }),
});""",
)
T(
    "python_source",
    "en",
    "positive",
    """JIRA_URL = "https://⟪word⟫.atlassian.net"
JIRA_USER = "⟪EMAIL:corp⟫"
JIRA_TOKEN = "⟪S:atlassian⟫"
jira = JIRA(server=JIRA_URL, basic_auth=(JIRA_USER, JIRA_TOKEN))""",
)
T(
    "go_source",
    "en",
    "positive",
    """var cfg = Config{
	DatadogAPIKey: "⟪S:hex32⟫",
	DatadogAppKey: "⟪S:hex40⟫",
	NewRelicKey:   "⟪S:newrelic⟫",
	Site:          "datadoghq.eu",
}""",
)
T(
    "python_source",
    "en",
    "positive",
    """client = Client(
    account_sid="AC⟪hex:32⟫",
    auth_token="⟪S:hex32⟫",
)
client.messages.create(to="⟪phone⟫", from_="+1⟪int:2000000000-9999999999⟫", body="Your code is ready")""",
)
T(
    "ruby_source",
    "en",
    "positive",
    """Braintree::Gateway.new(
  access_token: "⟪S:braintree⟫"
)
Square::Client.new(access_token: "⟪S:square⟫", environment: "production")""",
)
T(
    "php_source",
    "en",
    "positive",
    """$paystack = new \\Yabacon\\Paystack('⟪S:paystack⟫');
$mollie = new \\Mollie\\Api\\MollieApiClient();
$mollie->setApiKey('⟪S:mollie⟫');
$flw_secret = '⟪S:flutterwave⟫';""",
)
T(
    "yaml_config",
    "en",
    "positive",
    """# docker-compose.override.yml (local only!!)
services:
  worker:
    environment:
      DOPPLER_TOKEN: ⟪S:doppler⟫
      VAULT_ADDR: https://vault.⟪site⟫:8200
      VAULT_TOKEN: ⟪S:vault⟫""",
)
T(
    "shell_rc",
    "en",
    "positive",
    """# ~/.zshrc
export PATH="$HOME/.local/bin:$PATH"
export DIGITALOCEAN_ACCESS_TOKEN="⟪S:digitalocean⟫"
export DATABRICKS_HOST="https://adb-⟪int:1000000000000000-9999999999999999⟫.⟪int:1-19⟫.azuredatabricks.net"
export DATABRICKS_TOKEN="⟪S:databricks⟫"
alias k=kubectl""",
)
T(
    "python_source",
    "en",
    "positive",
    '''# sops/age key for the staging cluster -- keep out of git!
AGE_KEY = """# created: ⟪ts⟫
# public key: age1⟪hex:10⟫⟪b62:48⟫
⟪S:age⟫"""''',
)
T(
    "javascript_source",
    "en",
    "positive",
    """const mapboxgl = require('mapbox-gl');
mapboxgl.accessToken = '⟪mapbox_pk⟫'; // public token, fine in the browser
// server-side uploads need the secret scope token:
const UPLOAD_TOKEN = '⟪S:mapbox_sk⟫';""",
)
T(
    "yaml_config",
    "en",
    "positive",
    """# .github/dependabot.yml
registries:
  npm-private:
    type: npm-registry
    url: https://npm.pkg.github.com
    token: ⟪S:ghs⟫
  docker-hub:
    type: docker-registry
    url: registry.hub.docker.com
    username: ⟪user⟫
    password: ⟪S:dockerhub⟫""",
)
T(
    "python_source",
    "en",
    "positive",
    '''ALIYUN_ACCESS_KEY_ID = "⟪S:alibaba⟫"
ALIYUN_ACCESS_KEY_SECRET = "⟪S:b62_32⟫"
TENCENT_SECRET_ID = "⟪S:tencent⟫"
TENCENT_SECRET_KEY = "⟪S:b62_32⟫"''',
)
T(
    "kotlin_source",
    "en",
    "positive",
    """android {
    signingConfigs {
        create("release") {
            storeFile = file("release.jks")
            storePassword = "⟪S:android_pw⟫"
            keyAlias = "upload"
            keyPassword = "⟪S:android_pw⟫"
        }
    }
}""",
)
T(
    "yaml_config",
    "en",
    "positive",
    """# prometheus alertmanager.yml
global:
  smtp_smarthost: 'smtp.⟪site⟫:587'
  smtp_from: '⟪EMAIL:corp⟫'
  smtp_auth_username: 'alerts'
  smtp_auth_password: '⟪S:pw⟫'
  slack_api_url: '⟪S:slack_webhook⟫'
receivers:
  - name: oncall
    pagerduty_configs:
      - routing_key: ⟪S:hex32⟫""",
)
T(
    "python_source",
    "en",
    "positive",
    '''class Config:
    SECRET_KEY = "⟪S:flask⟫"
    SQLALCHEMY_DATABASE_URI = "mysql+pymysql://flask:⟪S:pwu⟫@⟪IP4⟫/shop"
    MAIL_DEFAULT_SENDER = "⟪EMAIL⟫"''',
)
T(
    "typescript_source",
    "en",
    "positive",
    """export const figma = new FigmaClient({ personalAccessToken: '⟪S:figma⟫' });
export const contentful = createClient({
  space: '⟪b62:12⟫',
  accessToken: '⟪S:contentful⟫',
});""",
)
T(
    "go_source",
    "en",
    "positive",
    """// internal/hooks/stripe.go
const endpointSecret = "⟪S:stripe_whsec⟫"

func handleWebhook(w http.ResponseWriter, r *http.Request) {
	payload, _ := io.ReadAll(r.Body)
	event, err := webhook.ConstructEvent(payload, r.Header.Get("Stripe-Signature"), endpointSecret)
	if err != nil {
		log.Printf("bad signature from %s: %v", r.RemoteAddr, err)
		return
	}
	_ = event
}""",
)
# ===== source code & configuration: hard negatives =====
T(
    "python_source",
    "en",
    "env_var_references",
    """import os

DB_PASSWORD = os.environ["DB_PASSWORD"]
API_KEY = os.getenv("⟪alt:PAYMENTS|MAPS|SEARCH⟫_API_KEY", "")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY missing (see ⟪alt:README|docs/deploy.md|wiki⟫)")
# default port ⟪port⟫
""",
)
T(
    "dotenv",
    "en",
    "placeholders",
    """# Copy to .env and fill in. Never commit the real file.
DATABASE_URL=postgres://USER:PASSWORD@localhost:5432/⟪word⟫
STRIPE_SECRET_KEY=⟪placeholder⟫
OPENAI_API_KEY=⟪placeholder⟫
SMTP_PASSWORD=
SESSION_SECRET=⟪placeholder⟫
""",
)
T(
    "yaml_config",
    "en",
    "env_var_references",
    """services:
  api:
    image: ghcr.io/⟪word⟫/api:⟪ver⟫
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set me}
      JWT_SECRET: ${JWT_SECRET}
      REDIS_URL: redis://redis:6379/⟪int:0-5⟫
    env_file: .env
""",
)
T(
    "github_actions",
    "en",
    "env_var_references",
    """name: release
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ⟪alt:ubuntu-latest|ubuntu-22.04|macos-14⟫
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: ⟪int:18-22⟫ }
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
      - run: gh release upload ${{ github.ref_name }} dist/*
        env:
          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}
""",
)
T(
    "javascript_source",
    "en",
    "publishable_keys",
    """// client-side bundle: only publishable values belong here
const stripe = Stripe('⟪pk_live⟫');
const elements = stripe.elements({ locale: '⟪alt:de|fr|en|auto⟫' });
window.RECAPTCHA_SITE_KEY = '⟪recaptcha⟫';
""",
)
T(
    "html_page",
    "en",
    "recaptcha_site_keys",
    """<form action="/signup" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="⟪csrf⟫">
  <input name="email" type="email" placeholder="you@example.com">
  <div class="g-recaptcha" data-sitekey="⟪recaptcha⟫"></div>
  <button>Join the ⟪word⟫ beta</button>
</form>""",
)
T(
    "javascript_source",
    "en",
    "oauth_client_ids",
    """google.accounts.id.initialize({
  client_id: "⟪gclient⟫",
  callback: handleCredentialResponse,
  ux_mode: "⟪alt:popup|redirect⟫",
});""",
)
T(
    "json_config",
    "en",
    "oauth_client_ids",
    """{
  "web": {
    "client_id": "⟪gclient⟫",
    "project_id": "⟪word⟫-⟪int:1000-9999⟫",
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    "token_uri": "https://oauth2.googleapis.com/token",
    "redirect_uris": ["http://localhost:⟪int:3000-9000⟫/callback"]
  }
}""",
)
T(
    "javascript_source",
    "en",
    "publishable_keys",
    """mapboxgl.accessToken = '⟪mapbox_pk⟫';
const map = new mapboxgl.Map({
  container: 'map',
  style: 'mapbox://styles/mapbox/⟪alt:streets-v12|outdoors-v12|light-v11⟫',
  center: [⟪int:-20-40⟫.⟪int:100-999⟫, ⟪int:35-60⟫.⟪int:100-999⟫],
  zoom: ⟪int:3-14⟫
});""",
)
T(
    "sql_dump",
    "en",
    "password_hashes",
    """INSERT INTO users (id, username, email, password_hash, created_at) VALUES
(⟪int:1-99⟫, '⟪user⟫', '⟪exemail⟫', '⟪bcrypt⟫', '⟪date⟫'),
(⟪int:100-199⟫, '⟪user⟫', '⟪exemail⟫', '⟪bcrypt⟫', '⟪date⟫'),
(⟪int:200-299⟫, '⟪user⟫', '⟪exemail⟫', '⟪argon2⟫', '⟪date⟫');""",
)
T(
    "shadow_file",
    "en",
    "password_hashes",
    """root:⟪sha512crypt⟫:19⟪int:100-999⟫:0:99999:7:::
daemon:*:19⟪int:100-999⟫:0:99999:7:::
⟪user⟫:⟪sha512crypt⟫:19⟪int:100-999⟫:0:99999:7:::
backup:⟪md5crypt⟫:18⟪int:100-999⟫:0:99999:7:::
nobody:!:19⟪int:100-999⟫::::::""",
)
T(
    "cisco_config",
    "en",
    "password_hashes",
    """hostname ⟪host⟫
!
enable secret 9 ⟪cisco9⟫
username admin privilege 15 secret 8 ⟪cisco8⟫
!
interface GigabitEthernet0/1
 ip address ⟪priv4⟫ ⟪mask⟫
 no shutdown
!""",
)
T(
    "python_source",
    "en",
    "password_hashes",
    """# fixtures/users.py -- hashes only, generated with Django's make_password
USERS = [
    {"username": "⟪user⟫", "password": "⟪pbkdf2⟫"},
    {"username": "⟪user⟫", "password": "⟪pbkdf2⟫"},
]""",
)
T(
    "yaml_config",
    "en",
    "public_keys_certificates",
    """# authorized keys for the deploy user
users:
  - name: deploy
    ssh_authorized_keys:
      - ⟪sshpub⟫
      - ⟪sshpub⟫
    sudo: ALL=(ALL) NOPASSWD:ALL""",
)
T(
    "pem_file",
    "en",
    "public_keys_certificates",
    """# CA bundle for the ⟪word⟫ internal PKI, valid until ⟪date⟫
⟪cert⟫""",
)
T(
    "pem_file",
    "en",
    "public_keys_certificates",
    """# JWT verification key (public half only)
⟪pubkey⟫""",
)
T(
    "terraform",
    "en",
    "cloud_resource_ids",
    """resource "aws_iam_role_policy_attachment" "ci" {
  role       = "⟪word⟫-ci"
  policy_arn = "⟪arn⟫"
}

data "aws_caller_identity" "current" {}
# account ⟪acct⟫, region ⟪alt:eu-west-1|us-east-2|ap-northeast-1⟫
locals {
  vpc_cidr = "10.⟪int:0-255⟫.0.0/16"
}""",
)
T(
    "terraform",
    "en",
    "env_var_references",
    """variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "main" {
  identifier = "⟪word⟫-db"
  username   = "dbadmin"
  password   = var.db_password
  instance_class = "db.t4g.⟪alt:micro|small|medium⟫"
}""",
)
T(
    "k8s_manifest",
    "en",
    "env_var_references",
    """apiVersion: apps/v1
kind: Deployment
metadata:
  name: ⟪word⟫-api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.internal/⟪word⟫:⟪ver⟫
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: ⟪word⟫-db, key: password }
            - name: POD_IP
              valueFrom:
                fieldRef: { fieldPath: status.podIP }""",
)
T(
    "dockerfile",
    "en",
    "container_image_refs",
    """FROM node:⟪int:18-22⟫-alpine@⟪digest⟫ AS build
WORKDIR /src
COPY package*.json ./
RUN npm ci
FROM gcr.io/distroless/nodejs⟪int:18-22⟫@⟪digest⟫
COPY --from=build /src /app
EXPOSE ⟪port⟫""",
)
T(
    "nginx_conf",
    "en",
    "private_ipv4",
    """upstream backend {
    server ⟪priv4⟫:8080 max_fails=3;
    server ⟪priv4⟫:8080 max_fails=3;
    server ⟪priv4⟫:8080 backup;
}
server {
    listen 80;
    set_real_ip_from ⟪priv4⟫/16;
    location /health { allow 127.0.0.1; deny all; }
}""",
)
T(
    "ini_config",
    "en",
    "documentation_ip",
    """; sample configuration from the manual (addresses are documentation ranges)
[server]
listen = ⟪docip4⟫
peer = ⟪docip4⟫
listen_v6 = ⟪docip6⟫
admin_contact = ⟪exemail⟫
retries = ⟪int:1-9⟫""",
)
T(
    "go_source",
    "en",
    "loopback_localhost",
    """func TestServer(t *testing.T) {
	srv := httptest.NewServer(handler())
	defer srv.Close()
	addr := "127.0.0.1:⟪int:1024-65000⟫"
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Fatalf("port %s unexpectedly open", addr)
	}
	_ = net.ParseIP("::1")
	_ = "⟪lo⟫"
}""",
)
T(
    "python_source",
    "en",
    "version_numbers_oids",
    '''SNMP_OIDS = {
    "sysDescr": "1.3.6.1.2.1.1.1.0",
    "ifInOctets": "1.3.6.1.2.1.2.2.1.10",
    "vendor": "⟪oid⟫",
}
MIN_FIRMWARE = "⟪ver⟫"
KERNEL = "⟪int:4-6⟫.⟪int:1-19⟫.⟪int:100-999⟫.⟪int:1-99⟫"''',
)
T(
    "requirements_txt",
    "en",
    "version_numbers_oids",
    """django==⟪int:3-5⟫.⟪int:0-2⟫.⟪int:0-20⟫
requests==2.⟪int:20-32⟫.⟪int:0-9⟫
numpy>=1.⟪int:20-26⟫,<3
urllib3==1.26.⟪int:10-20⟫
cryptography==⟪int:38-44⟫.0.⟪int:0-9⟫
# pinned ⟪date⟫ by ⟪user⟫""",
)
T(
    "java_source",
    "en",
    "uuid_request_trace_ids",
    """@Test
void propagatesTraceHeaders() {
    var req = MockMvcRequestBuilders.get("/orders/⟪int:1000-9999⟫")
        .header("X-Request-Id", "⟪reqid⟫")
        .header("traceparent", "00-⟪hex:32⟫-⟪hex:16⟫-01")
        .header("Idempotency-Key", "⟪uuid⟫");
    mvc.perform(req).andExpect(status().isOk());
}""",
)
T(
    "csharp_source",
    "en",
    "secret_variable_no_value",
    """public class ⟪alt:Smtp|Mail|Relay|Notification|Outbox⟫Options
{
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = ⟪alt:25|465|587|2525⟫;
    public int TimeoutSeconds { get; set; } = ⟪int:5-120⟫;
    public string Password { get; set; } = string.Empty;
    public string ApiKey { get; init; } = default!;
    public bool UseSsl { get; set; } = true;
}""",
)
T(
    "python_source",
    "en",
    "secret_variable_no_value",
    '''def connect(host: str, user: str, password: str | None = None, *, token=None):
    """Open a session. Pass either ``password`` or ``token``."""
    if password is None and token is None:
        password = getpass.getpass(f"password for {user}@{host}: ")
    return Session(host, user, password=password, token=token, timeout=⟪int:5-60⟫)''',
)
T(
    "rust_source",
    "en",
    "hashes_checksums",
    """const EXPECTED_SHA256: &str = "⟪sha256⟫";
const BUILD_COMMIT: &str = "⟪sha1⟫";

fn verify(bytes: &[u8]) -> bool {
    hex::encode(Sha256::digest(bytes)) == EXPECTED_SHA256
}""",
)
T(
    "lock_file",
    "en",
    "hashes_checksums",
    '''[[package]]
name = "⟪word⟫-core"
version = "⟪ver⟫"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "⟪sha256⟫"

[[package]]
name = "⟪word⟫"
version = "⟪ver⟫"
checksum = "⟪sha256⟫"''',
)
T(
    "javascript_source",
    "en",
    "csrf_nonce_tokens",
    """<script nonce="⟪nonce⟫">
  window.__INITIAL_STATE__ = {"csrfToken":"⟪csrf⟫","locale":"⟪alt:en-GB|de-DE|es-ES⟫","build":"⟪short⟫"};
</script>""",
)
T(
    "python_source",
    "en",
    "cache_keys",
    """CACHE_KEYS = {
    "profile": "user:{id}:profile",
    "cart": "cart:v3:{session}",
}
redis.set("⟪cachekey⟫", payload, ex=⟪int:60-86400⟫)
redis.delete("⟪cachekey⟫")""",
)
T(
    "hcl_vault_policy",
    "en",
    "vault_accessors",
    """# vault token lookup output (no token value is printed)
Key                 Value
---                 -----
accessor            ⟪accessor⟫
creation_time       ⟪int:1690000000-1790000000⟫
display_name        approle
entity_id           ⟪uuid⟫
policies            [default ⟪word⟫-read]
ttl                 ⟪int:1-767⟫h""",
)
T(
    "solidity_source",
    "en",
    "crypto_wallet_addresses",
    """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Treasury {
    address public constant MULTISIG = ⟪eth⟫;
    address public constant FEE_SINK = ⟪eth⟫;
    uint256 public feeBps = ⟪int:1-300⟫;
}""",
)
T(
    "git_config",
    "en",
    "git_ssh_remote",
    """[core]
	repositoryformatversion = 0
[remote "origin"]
	url = git@github.com:⟪word⟫/⟪word⟫-service.git
	fetch = +refs/heads/*:refs/remotes/origin/*
[remote "mirror"]
	url = git@gitlab.com:⟪word⟫/mirror.git
[branch "main"]
	remote = origin""",
)
T(
    "java_source",
    "en",
    "decorators_mentions",
    """@RestController
@RequestMapping("/api/v⟪int:1-3⟫/⟪word⟫")
public class ⟪alt:Order|Invoice|Shipment⟫Controller {
    @Autowired private Service service;
    @GetMapping("/{id}") @PreAuthorize("hasRole('ADMIN')")
    public Dto get(@PathVariable long id) { return service.find(id); }
}""",
)
T(
    "yaml_config",
    "en",
    "vendor_example_values",
    """# Example from the AWS CLI docs -- these are NOT real credentials
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region = ⟪alt:us-west-2|eu-central-1|ap-south-1⟫
output = ⟪alt:json|table|text⟫""",
)
T(
    "python_source",
    "en",
    "vendor_example_values",
    """def test_masks_keys():
    # documentation values, never real
    assert mask("⟪vexample⟫") == "****"
    assert mask("⟪vexample⟫") == "****"
    assert mask("") == ""  # case ⟪int:1-999⟫""",
)
T(
    "css_source",
    "en",
    "data_uri_base64",
    """.logo-⟪word⟫ {
  width: ⟪int:16-64⟫px;
  background: #⟪hex:6⟫ url("⟪datauri⟫") no-repeat;
}""",
)
T(
    "html_page",
    "en",
    "analytics_tracking_ids",
    """<!-- Global site tag -->
<script async src="https://www.googletagmanager.com/gtag/js?id=⟪gaid⟫"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', '⟪gaid⟫');
</script>""",
)
T(
    "python_source",
    "en",
    "masked_redacted_secrets",
    '''def redact(cfg):
    """Return a copy safe for logging."""
    out = dict(cfg)
    for k in ("password", "token", "api_key"):
        if out.get(k):
            out[k] = "⟪masked⟫"
    return out

# >>> redact(load())
# {'host': '⟪host⟫', 'password': '********', 'token': '⟪masked⟫'}''',
)
T(
    "ansible_playbook",
    "en",
    "env_var_references",
    """- hosts: web
  vars_files:
    - vault.yml
  vars:
    db_password: "{{ vault_db_password }}"
    api_token: "{{ lookup('env', 'API_TOKEN') }}"
  tasks:
    - name: template config
      template: src=app.conf.j2 dest=/etc/⟪word⟫/app.conf mode=0600""",
)
T(
    "ansible_vault",
    "en",
    "encrypted_ciphertext",
    """$ANSIBLE_VAULT;1.1;AES256
⟪hex:64⟫
⟪hex:64⟫
⟪hex:64⟫
⟪hex:40⟫""",
)
# ===== web pages, READMEs, docs, Q&A, forums: positives =====
T(
    "qa_post",
    "en",
    "positive",
    """**Question:** psycopg2 OperationalError: FATAL password authentication failed

I'm connecting like this and it keeps failing, even though the same creds work in DBeaver:

```python
conn = psycopg2.connect(host="⟪IP4⟫", dbname="⟪word⟫", user="⟪user⟫", password="⟪S:pw⟫")
```

pg_hba.conf has `host all all 0.0.0.0/0 md5`. What am I missing?? Server is Ubuntu ⟪int:20-24⟫.04.

**Answer (⟪int:3-87⟫ votes):** First of all, rotate that password, you just posted it publicly. Then check `password_encryption` - if it's scram-sha-256 the md5 line won't match...""",
)
T(
    "qa_post",
    "en",
    "positive",
    """Title: 401 from GitHub API even with a fresh token

curl -H "Authorization: token ⟪S:ghp⟫" https://api.github.com/user/repos
{
  "message": "Bad credentials",
  "documentation_url": "https://docs.github.com/rest"
}

Edit: nvm, I had a trailing newline in the env var. Leaving this here in case it helps someone.""",
)
T(
    "qa_post",
    "en",
    "positive",
    """Q: nodemailer "Invalid login: 535-5.7.8 Username and Password not accepted"

```js
const transporter = nodemailer.createTransport({
  service: 'gmail',
  auth: { user: '⟪EMAIL:free⟫', pass: '⟪S:pw⟫' }
});
```
I generated an app password like the docs say. Still 535. Any idea?

A: Gmail app passwords are 16 letters, you seem to have pasted something else. Also turn on 2FA first.""",
)
T(
    "forum_post",
    "en",
    "positive",
    """Re: Home Assistant can't reach my MQTT broker

ok so here is my config, maybe someone spots it:

mqtt:
  broker: ⟪IP4⟫
  port: 8883
  username: ha
  password: ⟪S:pw⟫

the broker is on a VPS, ufw allows 8883 from my home IP (⟪IP4⟫). works from mosquitto_sub on the laptop lol""",
)
T(
    "forum_post",
    "en",
    "positive",
    """[SOLVED] OpenVPN keeps dropping every ⟪int:2-59⟫ minutes

Server: ⟪IP4⟫ (Hetzner), client on Arch. Log says "TLS key negotiation failed". My auth file:

    ⟪user⟫
    ⟪S:pw⟫

Fixed it by raising reneg-sec, thx to everyone who replied!!""",
)
T(
    "readme",
    "en",
    "positive",
    """# ⟪word⟫-bot

A tiny Telegram bot that posts CI results.

## Quick start

```bash
git clone https://github.com/⟪user⟫/⟪word⟫-bot && cd ⟪word⟫-bot
export BOT_TOKEN=⟪S:telegram⟫
export CHAT_ID=-100⟪int:1000000000-9999999999⟫
python bot.py
```

Questions → ⟪EMAIL⟫""",
)
T(
    "readme",
    "en",
    "positive",
    """## Deployment notes (internal)

* Prod box: `⟪IP4⟫` (ssh as `ubuntu`)
* Staging: `⟪IP4⟫`
* Grafana admin: `admin` / `⟪S:pw⟫`
* PagerDuty integration key: `⟪S:hex32⟫`

Ping ⟪EMAIL:corp⟫ before touching prod.""",
)
T(
    "blog_post",
    "en",
    "positive",
    """<article>
<h2>How we leaked a key and what we learned</h2>
<p>On ⟪date⟫ a contractor pushed a commit containing <code>⟪S:aws_akid⟫</code> together with its secret
<code>⟪S:aws_secret⟫</code>. Within ⟪int:4-20⟫ minutes bots had spun up GPU instances in three regions.</p>
<p>The first API call came from <strong>⟪IP4⟫</strong>; a second wave came from ⟪IP4⟫ and ⟪IP6⟫.</p>
<p>We rotated everything, enabled secret scanning, and wrote this post mortem.</p>
</article>""",
)
T(
    "blog_post",
    "en",
    "positive",
    """### Self-hosting Vaultwarden on a €4 VPS

After installing Docker I started the container with the admin token set (generate your own, obviously - this is the one from my throwaway test box):

    docker run -d --name vw -e ADMIN_TOKEN=⟪S:b64_32⟫ -p 80:80 vaultwarden/server:latest

Then point your DNS A record at the server (mine was ⟪IP4⟫) and you're done.""",
)
T(
    "docs_page",
    "en",
    "positive",
    """Authentication
==============

All requests must include your secret key in the ``Authorization`` header.
The key below belongs to the sandbox account of *⟪company⟫* and was left in this page by mistake:

.. code-block:: shell

   curl https://api.⟪site⟫/v1/charges \\
     -u ⟪S:stripe_test⟫: \\
     -d amount=⟪int:100-9999⟫ -d currency=eur

Publishable keys (``pk_...``) are safe to embed in client code.""",
)
T(
    "issue_comment",
    "en",
    "positive",
    """@⟪user⟫ here's the full output you asked for:

```
$ docker login -u ⟪user⟫ -p ⟪S:dockerhub⟫ registry-1.docker.io
WARNING! Using --password via the CLI is insecure. Use --password-stdin.
Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp ⟪IP4⟫:443: i/o timeout
```
Running Docker ⟪ver⟫ on Fedora.""",
)
T(
    "issue_comment",
    "en",
    "positive",
    """Same problem here. My `.pgpass`:

```
⟪IP4⟫:5432:*:replicator:⟪S:pw⟫
localhost:5432:*:postgres:⟪S:pw⟫
```
Permissions are 0600. Still prompts for a password.""",
)
T(
    "gist",
    "en",
    "positive",
    """# gist: sync-calendar.py (⟪int:2-40⟫ stars)
import caldav
client = caldav.DAVClient(
    url="https://caldav.fastmail.com/dav/",
    username="⟪EMAIL⟫",
    password="⟪S:pw⟫",
)""",
)
T(
    "wiki_page",
    "en",
    "positive",
    """== Office network ==
{| class="wikitable"
! Device !! Address !! Login
|-
| Firewall || ⟪IP4⟫ || admin / ⟪S:pw⟫
|-
| Printer (2nd floor) || ⟪priv4⟫ || none
|-
| Wi-Fi "⟪wpa_ssid⟫" || – || PSK: ⟪S:psk⟫
|}""",
)
T(
    "changelog",
    "en",
    "positive",
    """## [⟪ver⟫] - ⟪date⟫
### Security
- Revoked the leaked Sentry token `⟪S:sentry⟫` (see #⟪int:100-999⟫).
- Removed hard-coded SendGrid key `⟪S:sendgrid⟫` from `mailer/config.js`.
### Fixed
- Crash when the locale is `tr_TR`.""",
)
T(
    "html_page",
    "en",
    "positive",
    """<footer class="site-footer">
  <p>&copy; ⟪int:2019-2026⟫ ⟪company⟫ &middot; <a href="mailto:⟪EMAIL:corp⟫">⟪alt:Contact|Kontakt|Contacto⟫</a></p>
  <p>Press: <a href="mailto:⟪EMAIL:corp⟫">press office</a> &middot; Impressum</p>
  <!-- staging: ⟪IP4⟫ -->
</footer>""",
)
T(
    "html_page",
    "en",
    "positive",
    """<script>
  // TODO remove before launch
  const ALGOLIA_APP_ID = "⟪b62:10⟫";
  const ALGOLIA_ADMIN_KEY = "⟪S:hex32⟫";
  const ALGOLIA_SEARCH_KEY = "⟪hex:32⟫"; // search-only, public
</script>""",
)
T(
    "docs_page",
    "en",
    "positive",
    """### Connecting with the CLI

```console
$ psql "postgresql://analytics:⟪S:pwu⟫@⟪IP4⟫:5432/warehouse?sslmode=require"
psql (⟪int:14-17⟫.⟪int:1-9⟫)
SSL connection (protocol: TLSv1.3)
warehouse=>
```""",
)
T(
    "readme",
    "de",
    "positive",
    """# Projekt ⟪word⟫

Interne Zugangsdaten (bitte NICHT weitergeben):

| Dienst | Benutzer | Passwort |
|---|---|---|
| Jenkins | ci | ⟪S:pw⟫ |
| Nexus | deploy | ⟪S:pw⟫ |

Server: ⟪IP4⟫, Ansprechpartner: ⟪EMAIL:corp⟫""",
)
T(
    "blog_post",
    "fr",
    "positive",
    """Tutoriel : envoyer des SMS avec l'API en Python

Voici mon script complet (j'ai laissé ma clé, ne faites pas comme moi 😅) :

    API_KEY = "⟪S:b62_32⟫"
    SENDER = "⟪EMAIL⟫"

Le serveur de test tourne sur ⟪IP4⟫, port 8000.""",
)
T(
    "forum_post",
    "es",
    "positive",
    """Hola a todos, no consigo conectar mi cámara IP desde fuera de casa. La IP pública del router es ⟪IP4⟫ y tengo redirigido el puerto 554.
Usuario: admin, contraseña: ⟪S:pw⟫
¿Alguien sabe si el problema es del operador (CG-NAT)? Gracias de antemano!!""",
)
T(
    "qa_post",
    "pt",
    "positive",
    """Pergunta: erro 403 ao chamar a API do Mercado Pago

Estou usando este token de produção: `⟪S:mercadopago⟫`
e o e-mail da conta é ⟪EMAIL⟫. Alguém já passou por isso?""",
)
T(
    "forum_post",
    "ru",
    "positive",
    """Помогите настроить почту на сервере. Postfix ругается "SASL authentication failed".

relayhost = [smtp.yandex.ru]:465
smtp_sasl_password_maps: [smtp.yandex.ru]:465 ⟪EMAIL:free⟫:⟪S:pw⟫

IP сервера ⟪IP4⟫, в SPF он прописан. Что не так?""",
)
T(
    "qa_post",
    "ja",
    "positive",
    """【質問】Python から Gmail で送信できません

以下のコードで実行すると認証エラーになります。

```
server.login("⟪EMAIL:free⟫", "⟪S:pw⟫")
```

サーバーのグローバル IP は ⟪IP4⟫ です。どなたか分かる方いますか？""",
)
T(
    "blog_post",
    "zh",
    "positive",
    """【踩坑记录】Redis 被挖矿程序入侵

上周我们的服务器（公网 IP：⟪IP4⟫）被人利用未设密码的 Redis 写入了 crontab。
修复后的配置如下：

    bind 127.0.0.1 ⟪priv4⟫
    requirepass ⟪S:b62_32⟫
    rename-command CONFIG ""

攻击来源 IP：⟪IP4⟫、⟪IP6⟫。""",
)
T(
    "forum_post",
    "it",
    "positive",
    """Ciao ragazzi, ho un problema con il mio NAS Synology. Ho aperto la porta 5001 e ora vedo tentativi di login da ⟪IP4⟫ e ⟪IP4⟫.
La password di admin era ⟪S:pw⟫ (già cambiata ovviamente). Conviene attivare il blocco automatico?""",
)
T(
    "readme",
    "en",
    "positive",
    """### Test accounts for QA (staging only)

- buyer: `⟪EMAIL⟫` / `⟪S:pw⟫`
- seller: `⟪EMAIL⟫` / `⟪S:pw⟫`
- admin: `admin@⟪word⟫.test` / ask in #qa

Card on file for the QA buyer: `⟪CARD:visa:space⟫` (exp 12/⟪int:27-31⟫, CVC ⟪int:100-999⟫)""",
)
T(
    "html_page",
    "en",
    "positive",
    """<div class="order-confirmation">
  <h3>Thanks for your order #⟪int:100000-999999⟫!</h3>
  <dl>
    <dt>Billed to</dt><dd>⟪full⟫, ⟪EMAIL⟫</dd>
    <dt>Card</dt><dd>⟪CARD:mc:space⟫</dd>
    <dt>Total</dt><dd>⟪money⟫</dd>
  </dl>
</div>""",
)
T(
    "forum_post",
    "en",
    "positive",
    """>>> anyone know a good VPN provider? my ISP keeps throttling

ehh just rent a box and run wireguard. mine's at ⟪IP4⟫, $5/mo. peers: me (⟪IP6⟫) and my gf's phone.
psk for the guest peer is ⟪S:wgkey⟫ if u wanna test lol (will rotate tomorrow)""",
)
T(
    "docs_page",
    "en",
    "positive",
    """## Webhook verification

Our legacy integration still signs events with the shared secret `⟪S:stripe_whsec⟫`.
Events come from `⟪IP4⟫` and `⟪IP4⟫`; allow-list both.

> Note: the IPs in the table below are examples from RFC 5737 (⟪docip4⟫).""",
)
T(
    "qa_post",
    "en",
    "positive",
    """Why does my JWT say "invalid signature"??

token: ⟪S:jwt⟫
secret I'm verifying with: ⟪S:b64u_43⟫

jwt.io says signature verified when I paste both there, but express-jwt rejects it. Using algorithms: ['HS256'].""",
)
T(
    "blog_post",
    "en",
    "positive",
    """Scraping pastebins for fun (and responsible disclosure)

Among the ⟪int:1000-99999⟫ pastes we scanned last month, a typical "combo" looked like this:

⟪EMAIL⟫:⟪S:pw⟫
⟪EMAIL⟫:⟪S:pw⟫
⟪EMAIL⟫:⟪S:pw⟫

All affected providers were notified on ⟪date⟫.""",
)
T(
    "readme",
    "en",
    "positive",
    """## Local setup

1. `cp .env.example .env`
2. Ask ⟪first⟫ for the Algolia keys, or use the shared dev ones:
   - `ALGOLIA_APP_ID=⟪b62:10⟫`
   - `ALGOLIA_API_KEY=⟪S:hex32⟫`
3. `docker compose up`
4. Log in at http://localhost:3000 with `dev@⟪word⟫.test` / `⟪S:pw⟫`""",
)
T(
    "forum_post",
    "de",
    "positive",
    """Hallo zusammen,

seit dem Update auf FRITZ!OS ⟪int:7-8⟫.⟪int:10-60⟫ kommt meine DynDNS nicht mehr durch. Öffentliche IP laut Router: ⟪IP4⟫, IPv6-Präfix ⟪IP6⟫.
Zugangsdaten für den DynDNS-Dienst: ⟪user⟫ / ⟪S:pw⟫ (ist nur ein Testkonto).
Jemand eine Idee? Danke und Gruß, ⟪first⟫""",
)
T(
    "web_shop_page",
    "en",
    "positive",
    """Saved payment methods
---------------------
[x] Visa ···· default
    ⟪CARD:visa:dash⟫   exp 0⟪int:1-9⟫/⟪int:27-30⟫
[ ] American Express
    ⟪CARD:amex:space⟫   exp 1⟪int:0-2⟫/⟪int:27-30⟫
Need help? ⟪EMAIL:corp⟫""",
)
T(
    "issue_comment",
    "en",
    "positive",
    """Repro repo: https://github.com/⟪user⟫/repro-⟪int:100-999⟫

The failing request (copied from devtools):

POST /api/login HTTP/2
Host: ⟪site⟫
Content-Type: application/json
Cookie: session=⟪S:cookie⟫; theme=dark

{"email":"⟪EMAIL⟫","password":"⟪S:pw⟫"}""",
)
T(
    "docs_page",
    "en",
    "positive",
    """# Service accounts

| name | key | owner |
|------|-----|-------|
| ci-deployer | `⟪S:vendor⟫` | ⟪EMAIL:corp⟫ |
| metrics | `⟪S:vendor⟫` | ⟪EMAIL:corp⟫ |
| backups | `⟪S:vendor⟫` | ⟪EMAIL:corp⟫ |""",
)
# ===== web pages, READMEs, docs, Q&A, forums: hard negatives =====
T(
    "docs_page",
    "en",
    "reserved_domain_email",
    """## Inviting users

Send a POST request with the address of the person you want to invite:

```json
{"email": "⟪exemail⟫", "role": "⟪alt:viewer|editor|owner⟫"}
```

The response contains the pending invitation for ⟪exemail⟫. Addresses on `.test` and `.invalid` are rejected in production.""",
)
T(
    "readme",
    "en",
    "placeholders",
    """## Configuration

Create `config.yaml`:

```yaml
api_key: ⟪placeholder⟫
api_secret: ⟪placeholder⟫
endpoint: https://api.⟪alt:acme|contoso|initech⟫.example/v⟪int:1-3⟫
```

Replace the placeholders with the values from your dashboard. Never commit real keys.""",
)
T(
    "docs_page",
    "en",
    "documentation_ip",
    """Firewall rules
--------------

The examples below use addresses from RFC 5737 and RFC 3849:

    iptables -A INPUT -s ⟪docip4⟫ -p tcp --dport ⟪port⟫ -j ACCEPT
    iptables -A INPUT -s ⟪docip4⟫/24 -j DROP
    ip6tables -A INPUT -s ⟪docip6⟫ -j ACCEPT

Adjust them to your own network before use.""",
)
T(
    "qa_post",
    "en",
    "private_ipv4",
    """Q: Can't reach my Raspberry Pi from another subnet

Pi is ⟪priv4⟫, laptop is ⟪priv4⟫, router ⟪priv4⟫ netmask ⟪mask⟫. Ping works one way only.

A: Your Pi's default gateway is wrong; set it to the router (⟪priv4⟫) in /etc/dhcpcd.conf and reboot.""",
)
T(
    "forum_post",
    "en",
    "cgnat_shared_ip",
    """Port forwarding doesn't work and my router WAN shows ⟪cgnat⟫ - is that normal?

> Yes, 100.64.0.0/10 is carrier-grade NAT (RFC 6598). Your ISP shares one public address between many customers. Ask them for a public IPv4 or use IPv6 / a tunnel. My WAN was ⟪cgnat⟫ too until I called them.""",
)
T(
    "docs_page",
    "en",
    "link_local_ip",
    """### Instance metadata

From inside the VM query the metadata service:

    curl http://169.254.169.254/latest/meta-data/instance-id
    curl -H "Metadata-Flavor: Google" http://169.254.169.254/computeMetadata/v1/

If DHCP fails the interface falls back to an APIPA address such as ⟪ll4⟫ (IPv6: ⟪ll6⟫).""",
)
T(
    "blog_post",
    "en",
    "multicast_broadcast_ip",
    """mDNS, SSDP and friends

Service discovery on a LAN relies on multicast: mDNS uses 224.0.0.251 (and ff02::fb), SSDP uses 239.255.255.250, and DHCP discovery goes to the broadcast address ⟪alt:255.255.255.255|0.0.0.0⟫. We captured ⟪int:200-9000⟫ packets to ⟪mcast⟫ in ten minutes.""",
)
T(
    "docs_page",
    "en",
    "password_policy_text",
    """Password requirements

* At least ⟪int:10-16⟫ characters
* Must contain upper-case and lower-case letters and a digit
* Must not contain your user name or e-mail
* Must not be one of your last ⟪int:3-24⟫ passwords

Passwords expire after ⟪int:60-365⟫ days. Use the "Forgot password" link if you are locked out.""",
)
T(
    "readme",
    "en",
    "publishable_keys",
    """### Front-end keys

These go into the browser bundle and are safe to publish:

| Name | Value |
|------|-------|
| Stripe publishable key | `⟪pk_test⟫` |
| Mapbox public token | `⟪mapbox_pk⟫` |
| reCAPTCHA site key | `⟪recaptcha⟫` |

Secret keys live in Vault, never here.""",
)
T(
    "qa_post",
    "en",
    "luhn_invalid_card",
    """Q: My card validation regex accepts `⟪badcard⟫` but the payment provider rejects it. Why?

A: A regex only checks the shape. That number fails the Luhn checksum (mod 10), so it can't be a valid card. Run Luhn before you call the API.""",
)
T(
    "blog_post",
    "en",
    "masked_card_number",
    """Receipt design tips

Never print the full PAN. Show something like `⟪maskcard⟫` or `⟪maskcard⟫` and the card brand. PCI DSS allows the first six and last four digits at most.""",
)
T(
    "docs_page",
    "en",
    "non_card_luhn_number",
    """Device registration

Each handset is identified by its IMEI, e.g. `⟪imei⟫`. The last digit is a Luhn check digit, so the same algorithm used for payment cards validates it. Loyalty cards use a 16+ digit number with a Luhn check too, e.g. `⟪nobrand⟫`.""",
)
T(
    "wiki_page",
    "en",
    "bank_account_iban",
    """== Payments ==
Supplier invoices are paid by SEPA transfer to ⟪iban⟫ (BIC ⟪alt:COBADEFFXXX|BNPAFRPPXXX|INGBNL2A⟫).
Refunds go back to the original account. Reference: invoice number (⟪order⟫).""",
)
T(
    "html_page",
    "en",
    "phone_numbers",
    """<address>
  ⟪company⟫<br>
  Phone: <a href="tel:⟪phone⟫">⟪phone⟫</a><br>
  Fax: ⟪phone⟫<br>
  Support hours: Mon–Fri ⟪time⟫–⟪time⟫
</address>""",
)
T(
    "docs_page",
    "en",
    "uuid_request_trace_ids",
    """## Errors

Every error response includes a request id. Quote it when contacting support:

```json
{"error": {"code": "rate_limited", "message": "Too many requests", "request_id": "⟪reqid⟫", "trace_id": "⟪hex:32⟫"}}
```""",
)
T(
    "docs_page",
    "en",
    "hashes_checksums",
    """Downloads

| File | SHA-256 |
|------|---------|
| ⟪word⟫-⟪ver⟫-linux-amd64.tar.gz | `⟪sha256⟫` |
| ⟪word⟫-⟪ver⟫-darwin-arm64.tar.gz | `⟪sha256⟫` |
| ⟪word⟫-⟪ver⟫-windows.zip | `⟪sha256⟫` |

Verify with `sha256sum -c SHA256SUMS`.""",
)
T(
    "blog_post",
    "en",
    "password_hashes",
    """Why you should stop using MD5 for passwords

Here are two hashes of the *same* password. The first is salted bcrypt, the second Argon2id:

    ⟪bcrypt⟫
    ⟪argon2⟫

Neither reveals the password, and that's the point.""",
)
T(
    "qa_post",
    "en",
    "crypto_wallet_addresses",
    """Sent BTC to the wrong address?

I sent 0.0⟪int:1-9⟫ BTC to `⟪btc⟫` instead of `⟪btc⟫`. Is there any way to get it back?

A: No, transactions are final. If the address belongs to an exchange, contact them with the txid ⟪sha256⟫.""",
)
T(
    "readme",
    "en",
    "crypto_wallet_addresses",
    """## Donate

If this project saved you time:

* ETH / ERC-20: `⟪eth⟫`
* BTC: `⟪btc⟫`
* GitHub Sponsors: github.com/sponsors/⟪user⟫""",
)
T(
    "docs_page",
    "en",
    "oauth_client_ids",
    """Sign in with Google

1. Create an OAuth client in the Cloud console.
2. Copy the **client ID** (it looks like `⟪gclient⟫`) into `GOOGLE_CLIENT_ID`.
3. The client secret is shown only once; store it in your secret manager.""",
)
T(
    "docs_page",
    "en",
    "public_keys_certificates",
    """Verifying release signatures

Import the maintainer key (fingerprint `⟪gpgfp⟫`) and check the signature:

    gpg --verify ⟪word⟫-⟪ver⟫.tar.gz.asc

SSH host key fingerprint of the download mirror: `⟪sshfp⟫`.""",
)
T(
    "forum_post",
    "en",
    "usernames_only",
    """Does anyone know who runs the ⟪word⟫ mirror? The account `⟪user⟫` hasn't pushed since ⟪date⟫ and `⟪user⟫` says they lost access. Login name on the bug tracker is ⟪user⟫ if you want to ping them.""",
)
T(
    "docs_page",
    "en",
    "env_var_references",
    """### Environment variables

| Variable | Description |
|---|---|
| `DATABASE_URL` | Postgres connection string |
| `SECRET_KEY_BASE` | Generate with `bin/rails secret` |
| `SMTP_PASSWORD` | Read via `⟪envref⟫` |

Set them in your platform's dashboard, e.g. `heroku config:set SECRET_KEY_BASE=$(bin/rails secret)`.""",
)
T(
    "issue_comment",
    "en",
    "masked_redacted_secrets",
    """Here's my config with secrets removed:

```
token: ⟪masked⟫
webhook_secret: ⟪masked⟫
db_password: [REDACTED]
endpoint: https://hooks.⟪alt:acme|initech|umbrella⟫.example/⟪word⟫
```
Error happens on every call since ⟪ver⟫.""",
)
T(
    "changelog",
    "en",
    "version_numbers_oids",
    """## ⟪ver⟫ (⟪date⟫)

* Bump openssl to 3.⟪int:0-4⟫.⟪int:0-15⟫
* Drop support for Node ⟪int:12-16⟫.x
* Build ⟪int:1-9⟫.⟪int:0-9⟫.⟪int:1000-9999⟫.⟪int:100-999⟫ is now the LTS line
* Fix regression from #⟪int:1000-9999⟫""",
)
T(
    "wiki_page",
    "en",
    "mac_addresses_serials",
    """== Lab inventory ==
* Switch core-sw1: MAC ⟪mac⟫, serial ⟪serial⟫
* AP ⟪word⟫: MAC ⟪mac⟫, serial ⟪serial⟫
* UPS: serial ⟪serial⟫, firmware ⟪ver⟫""",
)
T(
    "blog_post",
    "en",
    "timestamps_dates_numbers",
    """Benchmarks, run on ⟪date⟫ at ⟪time⟫ UTC:

| run | p50 (ms) | p99 (ms) | requests |
|-----|---------:|---------:|---------:|
| 1 | ⟪int:3-40⟫.⟪int:0-9⟫ | ⟪int:50-400⟫ | ⟪int:100000-999999⟫ |
| 2 | ⟪int:3-40⟫.⟪int:0-9⟫ | ⟪int:50-400⟫ | ⟪int:100000-999999⟫ |

Total bytes: ⟪int:1000000-99999999⟫.""",
)
T(
    "html_page",
    "en",
    "analytics_tracking_ids",
    """<head>
<meta name="google-site-verification" content="⟪b62:43⟫">
<meta name="facebook-domain-verification" content="⟪hex:30⟫">
<!-- Tag Manager ⟪gaid⟫ -->
<meta property="og:site_name" content="⟪company⟫">
</head>""",
)
T(
    "forum_post",
    "de",
    "reserved_domain_email",
    """Hi, in der Doku steht als Beispiel immer ⟪exemail⟫ – muss ich da meine echte Adresse eintragen oder reicht die Testadresse ⟪exemail⟫ für die Entwicklungsumgebung? Danke!""",
)
T(
    "qa_post",
    "fr",
    "private_ipv4",
    """Question : Impossible d'accéder à mon serveur Plex depuis la télé

Le serveur est en ⟪priv4⟫, la télé en ⟪priv4⟫, la box en ⟪priv4⟫. Le pare-feu Windows est désactivé. Une idée ?

Réponse : vérifie que les deux sont dans le même sous-réseau (masque ⟪mask⟫).""",
)
T(
    "blog_post",
    "ja",
    "documentation_ip",
    """ネットワーク設定の例（RFC 5737 のドキュメント用アドレスを使用しています）

    ip addr add ⟪docip4⟫/24 dev eth0
    ip route add default via ⟪docip4⟫

実際の環境に合わせて変更してください。（⟪date⟫ 更新）""",
)
T(
    "docs_page",
    "es",
    "placeholders",
    """Configuración de la API

Sustituye `⟪placeholder⟫` por tu clave personal y `⟪placeholder⟫` por el secreto. Ejemplo:

    curl -H "Authorization: Bearer <TU_TOKEN>" https://api.⟪alt:acme|tienda|pagos⟫.example/v⟪int:1-3⟫/pedidos""",
)
T(
    "qa_post",
    "ru",
    "password_hashes",
    """Вопрос: как проверить пароль против такого хеша из /etc/shadow?

    ⟪sha512crypt⟫

Ответ: используйте crypt() с той же солью (часть между вторым и третьим $). Сам пароль из хеша получить нельзя.""",
)
T(
    "readme",
    "zh",
    "env_var_references",
    """## 配置

请在运行前设置以下环境变量（不要把真实密钥写进代码）：

    export OPENAI_API_KEY=<你的密钥>
    export DB_PASSWORD=$(cat /run/secrets/db_password)

数据库默认监听 ⟪lo⟫:⟪port⟫。""",
)
T(
    "docs_page",
    "en",
    "csrf_nonce_tokens",
    """### CSRF protection

The server renders a per-session token into every form:

```html
<input type="hidden" name="authenticity_token" value="⟪csrf⟫">
<meta name="csrf-token" content="⟪csrf⟫">
```

Requests without a matching `X-CSRF-Token` header get a 422.""",
)
T(
    "wiki_page",
    "en",
    "cloud_resource_ids",
    """== Billing objects ==
* Customer: ⟪objid⟫
* Subscription: ⟪objid⟫
* Last invoice: ⟪objid⟫ (⟪money⟫)
* IAM role used by the sync job: ⟪arn⟫""",
)
T(
    "docs_page",
    "en",
    "order_tracking_ids",
    """Where is my order?

Enter your order number (for example ⟪order⟫) and the tracking code from the shipping e-mail (e.g. ⟪tracking⟫). ISBN of the manual: ⟪isbn⟫.""",
)
# ===== e-mails, chats, tickets, notes (multilingual): positives =====
T(
    "email",
    "en",
    "positive",
    """From: ⟪full⟫ <⟪EMAIL:corp⟫>
To: ⟪EMAIL:corp⟫
Subject: VPN access for the new contractor
Date: ⟪date⟫

Hi,

please set up VPN for ⟪full⟫ (⟪EMAIL⟫). Temporary password: ⟪S:pw⟫ - he must change it at first login.
Gateway is ⟪IP4⟫, split tunnel for 10.0.0.0/8 only.

Thanks,
⟪first⟫""",
)
T(
    "email",
    "de",
    "positive",
    """Von: ⟪full⟫ <⟪EMAIL:corp⟫>
Betreff: Zugang Buchhaltungssoftware

Hallo ⟪first⟫,

wie besprochen hier deine Zugangsdaten für DATEV:
Benutzername: ⟪user⟫
Kennwort: ⟪S:pw⟫

Bitte beim ersten Login ändern. Bei Fragen einfach an ⟪EMAIL:corp⟫ schreiben.

Viele Grüße
⟪full⟫""",
)
T(
    "email",
    "fr",
    "positive",
    """Objet : Accès au serveur de test

Bonjour ⟪first⟫,

Le serveur de recette est disponible à l'adresse ⟪IP4⟫ (SSH port 22).
Identifiant : deploy — mot de passe : ⟪S:pw⟫
La clé API du module de paiement : ⟪S:stripe_test⟫

Cordialement,
⟪full⟫ — ⟪EMAIL:corp⟫""",
)
T(
    "email",
    "es",
    "positive",
    """Asunto: Datos de acceso a la intranet

Hola ⟪first⟫:

Te paso los datos para entrar en la intranet mientras arreglamos el SSO.
Usuario: ⟪EMAIL:corp⟫
Contraseña provisional: ⟪S:pw⟫

Si tienes problemas escribe a ⟪EMAIL:corp⟫. ¡Un saludo!""",
)
T(
    "email",
    "it",
    "positive",
    """Oggetto: credenziali PEC

Ciao ⟪first⟫,
ecco le credenziali della casella PEC dell'ufficio: ⟪EMAIL:corp⟫ / ⟪S:pw⟫.
Il server IMAP è ⟪IP4⟫. Mi raccomando, non inoltrare questa mail.
Grazie, ⟪first⟫""",
)
T(
    "email",
    "pt",
    "positive",
    """Assunto: Pagamento da reserva

Olá, ⟪first⟫!
Segue o cartão para a reserva do hotel, como combinamos por telefone: ⟪CARD⟫, validade 0⟪int:1-9⟫/⟪int:27-31⟫, titular ⟪full⟫.
Qualquer dúvida responda para ⟪EMAIL⟫.
Abraços""",
)
T(
    "email",
    "nl",
    "positive",
    """Onderwerp: wachtwoord wifi kantoor

Hoi allemaal,

Het nieuwe wifi-wachtwoord voor "⟪wpa_ssid⟫" is: ⟪S:psk⟫
Gasten kunnen het gastnetwerk gebruiken. Vragen? Mail ⟪EMAIL:corp⟫.

Groetjes, ⟪first⟫""",
)
T(
    "email",
    "sv",
    "positive",
    """Ämne: Inloggning till bokföringen

Hej ⟪first⟫!
Här är dina uppgifter till Fortnox: användare ⟪EMAIL:corp⟫, lösenord ⟪S:pw⟫.
Byt gärna lösenordet direkt. Mvh ⟪full⟫""",
)
T(
    "chat_message",
    "da",
    "positive",
    """[⟪time⟫] ⟪first⟫: hvad er koden til printeren igen?
[⟪time⟫] ⟪first⟫: admin / ⟪S:pw⟫ – og den står på ⟪priv4⟫
[⟪time⟫] ⟪first⟫: tak!""",
)
T(
    "chat_message",
    "nb",
    "positive",
    """⟪first⟫ ⟪time⟫
hei, kan du sende meg API-nøkkelen til Vipps-testmiljøet?

⟪first⟫ ⟪time⟫
⟪S:hex32⟫ – men ikke del den videre 🙏""",
)
T(
    "support_ticket",
    "fi",
    "positive",
    """Tiketti #⟪int:10000-99999⟫ – Sähköposti ei toimi puhelimessa

Asiakas: ⟪full⟫ (⟪EMAIL⟫)
Kuvaus: Asiakas antoi salasanansa puhelimessa jotta voimme testata: ⟪S:pw⟫
IMAP-palvelin: ⟪IP4⟫. Salasana vaihdettava testin jälkeen!""",
)
T(
    "email",
    "pl",
    "positive",
    """Temat: Dostęp do panelu hostingu

Cześć ⟪first⟫,
przesyłam dane do panelu: login ⟪user⟫, hasło ⟪S:pw⟫.
Serwer: ⟪IP4⟫, FTP na porcie 21. W razie problemów pisz na ⟪EMAIL:corp⟫.
Pozdrawiam, ⟪full⟫""",
)
T(
    "chat_message",
    "cs",
    "positive",
    """⟪first⟫: ahoj, potřebuju heslo k routeru na chatě
⟪first⟫: je to ⟪S:pw⟫, adresa ⟪priv4⟫, vzdálená správa přes ⟪IP4⟫:8443
⟪first⟫: díky!!""",
)
T(
    "email",
    "sk",
    "positive",
    """Predmet: prístup do e-shopu

Dobrý deň, ⟪first⟫,
posielam prístupové údaje do administrácie: ⟪EMAIL:corp⟫ / ⟪S:pw⟫.
S pozdravom ⟪full⟫""",
)
T(
    "email",
    "hu",
    "positive",
    """Tárgy: Számla fizetése

Kedves ⟪first⟫!
A foglaláshoz az alábbi kártyát használhatja: ⟪CARD⟫ (lejárat: 1⟪int:0-2⟫/⟪int:27-30⟫).
Kérdés esetén írjon a ⟪EMAIL⟫ címre.
Üdvözlettel: ⟪full⟫""",
)
T(
    "chat_message",
    "ro",
    "positive",
    """⟪first⟫: salut, ai parola de la contul de AWS pentru staging?
⟪first⟫: user-ul e ⟪user⟫, parola ⟪S:pw⟫. access key: ⟪S:aws_akid⟫
⟪first⟫: mersi, o schimb după demo""",
)
T(
    "email",
    "tr",
    "positive",
    """Konu: Sunucu erişim bilgileri

Merhaba ⟪first⟫ Bey,
Yeni sunucunuz hazır. IP adresi: ⟪IP4⟫
Kullanıcı adı: root
Şifre: ⟪S:pw⟫
Destek için ⟪EMAIL:corp⟫ adresine yazabilirsiniz.
İyi çalışmalar""",
)
T(
    "email",
    "el",
    "positive",
    """Θέμα: Κωδικοί πρόσβασης

Γεια σου ⟪first⟫,
ο λογαριασμός σου στο σύστημα κρατήσεων είναι έτοιμος.
Χρήστης: ⟪EMAIL:corp⟫
Κωδικός: ⟪S:pw⟫
Ο διακομιστής βρίσκεται στη διεύθυνση ⟪IP4⟫.
Φιλικά, ⟪full⟫""",
)
T(
    "chat_message",
    "ru",
    "positive",
    """⟪first⟫ [⟪time⟫]: скинь токен от бота, плиз
⟪first⟫ [⟪time⟫]: ⟪S:telegram⟫
⟪first⟫ [⟪time⟫]: и пароль от админки: ⟪S:pw⟫
⟪first⟫ [⟪time⟫]: ок, спасибо""",
)
T(
    "email",
    "uk",
    "positive",
    """Тема: Доступ до CRM

Привіт, ⟪first⟫!
Твій логін: ⟪EMAIL:corp⟫, пароль: ⟪S:pw⟫.
Сервер CRM: ⟪IP4⟫. Будь ласка, зміни пароль після першого входу.
З повагою, ⟪full⟫""",
)
T(
    "support_ticket",
    "bg",
    "positive",
    """Заявка #⟪int:1000-9999⟫ – Плащането не минава

Клиент: ⟪full⟫, ⟪EMAIL⟫
Карта: ⟪CARD⟫
Грешка: „Do not honor“. Моля, проверете при банката.""",
)
T(
    "chat_message",
    "sr",
    "positive",
    """⟪first⟫: који је пасворд за базу на продукцији?
⟪first⟫: ⟪S:pw⟫ , хост ⟪IP4⟫
⟪first⟫: хвала, мењамо га сутра""",
)
T(
    "email",
    "hr",
    "positive",
    """Predmet: Pristup VPN-u

Bok ⟪first⟫,
tvoji podaci za VPN: korisnik ⟪user⟫, lozinka ⟪S:pw⟫, poslužitelj ⟪IP4⟫.
Lijep pozdrav, ⟪full⟫ (⟪EMAIL:corp⟫)""",
)
T(
    "personal_note",
    "sl",
    "positive",
    """Opombe – selitev strežnika
- stari strežnik: ⟪IP4⟫
- novi: ⟪IP4⟫
- geslo za phpMyAdmin: ⟪S:pw⟫
- kontakt gostitelja: ⟪EMAIL:corp⟫""",
)
T(
    "chat_message",
    "lt",
    "positive",
    """⟪first⟫: koks slaptažodis svečių wifi?
⟪first⟫: ⟪S:psk⟫
⟪first⟫: ačiū 🙂""",
)
T(
    "email",
    "lv",
    "positive",
    """Tēma: Piekļuve grāmatvedības sistēmai

Sveiki, ⟪first⟫!
Lietotājvārds: ⟪EMAIL:corp⟫
Parole: ⟪S:pw⟫
Ar cieņu, ⟪full⟫""",
)
T(
    "chat_message",
    "et",
    "positive",
    """⟪first⟫ ⟪time⟫: Kas sa saad mulle saata Zone'i API võtme?
⟪first⟫ ⟪time⟫: ⟪S:b62_40⟫
⟪first⟫ ⟪time⟫: aitäh, panen selle vaulti""",
)
T(
    "email",
    "ar",
    "positive",
    """الموضوع: بيانات الدخول إلى الخادم

مرحباً ⟪first⟫،
عنوان الخادم الجديد هو ⟪IP4⟫
اسم المستخدم: admin
كلمة المرور: ⟪S:pw⟫
للدعم الفني راسلنا على ⟪EMAIL:corp⟫
مع التحية، ⟪full⟫""",
)
T(
    "chat_message",
    "he",
    "positive",
    """⟪first⟫: מה הסיסמה לחשבון של הספק?
⟪first⟫: ⟪S:pw⟫
⟪first⟫: והמייל של החשבון? 
⟪first⟫: ⟪EMAIL⟫""",
)
T(
    "email",
    "fa",
    "positive",
    """موضوع: اطلاعات ورود به پنل

سلام ⟪first⟫ عزیز،
نام کاربری: ⟪user⟫
رمز عبور: ⟪S:pw⟫
آدرس سرور: ⟪IP4⟫
در صورت مشکل به ⟪EMAIL:corp⟫ ایمیل بزنید.""",
)
T(
    "chat_message",
    "hi",
    "positive",
    """⟪first⟫: भाई, सर्वर का पासवर्ड भेज दो
⟪first⟫: ⟪S:pw⟫ — IP है ⟪IP4⟫
⟪first⟫: ठीक है, धन्यवाद""",
)
T(
    "email",
    "bn",
    "positive",
    """বিষয়: অ্যাকাউন্টের তথ্য

প্রিয় ⟪first⟫,
আপনার ইউজারনেম: ⟪EMAIL:corp⟫
পাসওয়ার্ড: ⟪S:pw⟫
প্রথমবার লগইনের পরে পাসওয়ার্ড পরিবর্তন করুন।
ধন্যবাদ, ⟪full⟫""",
)
T(
    "chat_message",
    "ta",
    "positive",
    """⟪first⟫: டேட்டாபேஸ் கடவுச்சொல் என்ன?
⟪first⟫: ⟪S:pw⟫ , சர்வர் ⟪IP4⟫
⟪first⟫: நன்றி!""",
)
T(
    "email",
    "th",
    "positive",
    """เรื่อง: ข้อมูลเข้าสู่ระบบ

สวัสดีคุณ⟪first⟫
ชื่อผู้ใช้: ⟪EMAIL:corp⟫
รหัสผ่าน: ⟪S:pw⟫
เซิร์ฟเวอร์: ⟪IP4⟫
ขอบคุณครับ ⟪full⟫""",
)
T(
    "chat_message",
    "vi",
    "positive",
    """⟪first⟫: cho mình xin mật khẩu wifi quán với
⟪first⟫: ⟪S:psk⟫ nha bạn
⟪first⟫: cảm ơn nhiều!""",
)
T(
    "email",
    "id",
    "positive",
    """Subjek: Akses server baru

Halo ⟪first⟫,
Server sudah siap di ⟪IP4⟫. Username: ubuntu, password: ⟪S:pw⟫
Token API Midtrans (sandbox): ⟪S:b62_32⟫
Salam, ⟪full⟫ — ⟪EMAIL:corp⟫""",
)
T(
    "chat_message",
    "ms",
    "positive",
    """⟪first⟫: boleh bagi kata laluan akaun emel syarikat?
⟪first⟫: ⟪EMAIL:corp⟫ / ⟪S:pw⟫
⟪first⟫: terima kasih!""",
)
T(
    "chat_message",
    "tl",
    "positive",
    """⟪first⟫: pre, ano ulit password ng router natin?
⟪first⟫: ⟪S:pw⟫ tapos yung IP ng server sa labas ⟪IP4⟫
⟪first⟫: salamat pre!""",
)
T(
    "email",
    "ja",
    "positive",
    """件名：開発環境のアカウント情報

⟪full⟫様

お疲れ様です。開発環境のアカウントを発行しました。
ユーザー名：⟪EMAIL:corp⟫
パスワード：⟪S:pw⟫
サーバー：⟪IP4⟫
初回ログイン後にパスワードを変更してください。

よろしくお願いいたします。""",
)
T(
    "chat_message",
    "zh",
    "positive",
    """⟪full⟫ ⟪time⟫
测试服的数据库密码是多少？

⟪full⟫ ⟪time⟫
⟪S:pw⟫，地址 ⟪IP4⟫:3306，用完记得改。""",
)
T(
    "email",
    "ko",
    "positive",
    """제목: 서버 접속 정보 전달드립니다

⟪full⟫님 안녕하세요.
서버 IP: ⟪IP4⟫
계정: deploy
비밀번호: ⟪S:pw⟫
문의는 ⟪EMAIL:corp⟫ 로 부탁드립니다.
감사합니다.""",
)
T(
    "chat_message",
    "sw",
    "positive",
    """⟪first⟫: Habari, nitumie nenosiri la akaunti ya M-Pesa API tafadhali
⟪first⟫: Consumer secret ni ⟪S:b62_32⟫ na seva iko ⟪IP4⟫
⟪first⟫: Asante sana!""",
)
T(
    "email",
    "ca",
    "positive",
    """Assumpte: Accés al servidor

Hola ⟪first⟫,
et passo les dades: usuari ⟪user⟫, contrasenya ⟪S:pw⟫, servidor ⟪IP4⟫.
Salutacions, ⟪full⟫ (⟪EMAIL:corp⟫)""",
)
T(
    "chat_message",
    "ka",
    "positive",
    """⟪first⟫: სერვერის პაროლი რა არის?
⟪first⟫: ⟪S:pw⟫ , IP: ⟪IP4⟫
⟪first⟫: მადლობა!""",
)
T(
    "support_ticket",
    "en",
    "positive",
    """Ticket #⟪int:100000-999999⟫  Priority: High
Requester: ⟪EMAIL⟫
Subject: Charged twice

hi, i was charged twice for my subscribtion this month. card number is ⟪CARD⟫ and the second charge came on ⟪date⟫. please refund asap!!

-- Agent note: customer sent full PAN in clear text, ticket must be redacted after refund.""",
)
T(
    "chat_message",
    "en",
    "positive",
    """#ops-incidents
⟪user⟫  ⟪time⟫  prod api is down?? 502s everywhere
⟪user⟫  ⟪time⟫  yeah LB health checks failing. ssh in: `ssh -i key.pem ubuntu@⟪IP4⟫`
⟪user⟫  ⟪time⟫  lol the key is in the runbook right? nvm here ⟪S:pem_ec⟫
⟪user⟫  ⟪time⟫  dude. rotate that after""",
)
T(
    "chat_message",
    "en",
    "positive",
    """DM with ⟪first⟫ – ⟪date⟫
me: can u share the openai key for the hackathon
⟪first⟫: ⟪S:openai⟫
⟪first⟫: budget is capped at $50 so whatever
me: ty!!""",
)
T(
    "meeting_notes",
    "en",
    "positive",
    """Weekly infra sync – ⟪date⟫
Attendees: ⟪full⟫, ⟪full⟫, ⟪full⟫

1. Migration to new colo: old range ⟪IP4⟫–⟪IP4⟫ retires end of month.
2. Shared Postgres superuser still "postgres / ⟪S:pw⟫" → ACTION ⟪first⟫: rotate + move to Vault.
3. Datadog key ⟪S:hex32⟫ leaked in a screenshot; revoked.""",
)
T(
    "handover_note",
    "de",
    "positive",
    """Übergabe Rufbereitschaft KW ⟪int:1-52⟫

- Backup-Server ⟪IP4⟫ hängt manchmal beim Snapshot → neu starten
- Notfallzugang iLO: Administrator / ⟪S:pw⟫
- Provider-Hotline: ⟪phone⟫, Kundennummer ⟪int:100000-999999⟫
- Bei Fragen: ⟪EMAIL:corp⟫""",
)
T(
    "sms",
    "en",
    "positive",
    """Hi ⟪first⟫, your temporary access code for the building portal is ⟪S:pin⟫. It expires in 24h. Reply STOP to opt out.""",
)
T(
    "support_ticket",
    "fr",
    "positive",
    """Ticket n°⟪int:1000-9999⟫ — Remboursement

Client : ⟪full⟫ <⟪EMAIL⟫>
Message : Bonjour, j'ai été débité deux fois. Ma carte : ⟪CARD⟫. Merci de faire le nécessaire.""",
)
T(
    "chat_message",
    "pt",
    "positive",
    """[⟪time⟫] ⟪first⟫: mano, qual é a senha do painel da Cloudflare?
[⟪time⟫] ⟪first⟫: ⟪S:pw⟫
[⟪time⟫] ⟪first⟫: e o token de API que o script usa é ⟪S:b62_40⟫
[⟪time⟫] ⟪first⟫: valeu""",
)
T(
    "email",
    "en",
    "positive",
    """Subject: Re: Re: card for the conference booking

Hey ⟪first⟫,

sorry for the delay – use the team card: ⟪CARD⟫, exp ⟪int:1-12⟫/⟪int:27-31⟫, billing contact ⟪EMAIL:corp⟫.
Budget code ⟪int:1000-9999⟫. Thx!

> On ⟪date⟫, ⟪full⟫ <⟪EMAIL:corp⟫> wrote:
> Can someone send me a card I can use for the booking?""",
)
# ===== e-mails, chats, tickets, notes: hard negatives =====
T(
    "email",
    "en",
    "password_policy_text",
    """Subject: Your password expires in ⟪int:2-14⟫ days

Hello ⟪first⟫,

the password for your account ⟪user⟫ will expire on ⟪date⟫. Please choose a new one with at least ⟪int:12-16⟫ characters at https://id.⟪alt:acme|contoso|initech⟫.example/change.
IT will never ask you for your password by e-mail or phone.

IT Service Desk""",
)
T(
    "email",
    "de",
    "password_policy_text",
    """Betreff: Passwort zurückgesetzt

Hallo ⟪first⟫,

dein Passwort wurde am ⟪date⟫ um ⟪time⟫ Uhr zurückgesetzt. Falls du das nicht warst, melde dich bitte sofort beim Service Desk (Durchwahl ⟪int:100-999⟫).
Aus Sicherheitsgründen senden wir Passwörter niemals per E-Mail.""",
)
T(
    "chat_message",
    "en",
    "env_var_references",
    """⟪user⟫: where do i put the stripe key?
⟪user⟫: don't paste it anywhere, just `export STRIPE_SECRET_KEY=...` in your shell or add it to 1Password and run `op run -- npm start`
⟪user⟫: and the app reads ⟪envref⟫?
⟪user⟫: yep""",
)
T(
    "chat_message",
    "fr",
    "usernames_only",
    """⟪first⟫ : c'est quoi ton identifiant sur le GitLab ?
⟪first⟫ : ⟪user⟫
⟪first⟫ : ok je t'ajoute au groupe ⟪word⟫, le mot de passe tu le gardes pour toi 😉""",
)
T(
    "email",
    "es",
    "reserved_domain_email",
    """Asunto: Pruebas del formulario

Hola ⟪first⟫, para las pruebas usa solo direcciones ficticias como ⟪exemail⟫ o ⟪exemail⟫. Así no enviamos correos reales por error. Gracias.""",
)
T(
    "chat_message",
    "it",
    "private_ipv4",
    """⟪first⟫: la stampante non va
⟪first⟫: prova a collegarti a ⟪priv4⟫, se non risponde riavvia lo switch (⟪priv4⟫)
⟪first⟫: fatto, ora funziona 👍""",
)
T(
    "support_ticket",
    "pt",
    "masked_card_number",
    """Chamado #⟪int:1000-9999⟫
Cliente informa cobrança indevida no cartão final ⟪int:1000-9999⟫ (⟪maskcard⟫). Valor: ⟪money⟫. Pedido ⟪order⟫. Encaminhado ao financeiro.""",
)
T(
    "chat_message",
    "nl",
    "order_tracking_ids",
    """⟪first⟫: is mijn pakket al onderweg?
klantenservice: Ja! Bestelnummer ⟪order⟫, track & trace ⟪tracking⟫. Verwachte levering ⟪date⟫.""",
)
T(
    "email",
    "sv",
    "phone_numbers",
    """Ämne: Ny telefonlista

Hej alla, här är de nya numren:
Växel: ⟪phone⟫
Support: ⟪phone⟫
Jour: ⟪phone⟫
/⟪first⟫""",
)
T(
    "chat_message",
    "pl",
    "masked_redacted_secrets",
    """⟪first⟫: wrzuciłem config na kanał, ale zamaskowałem hasła
⟪first⟫: widzę „password: ⟪masked⟫” – super, tak ma być
⟪first⟫: prawdziwe są w Vaulcie pod ścieżką secret/⟪word⟫""",
)
T(
    "support_ticket",
    "cs",
    "luhn_invalid_card",
    """Požadavek #⟪int:1000-9999⟫
Zákazník uvádí číslo karty ⟪badcard⟫, ale platební brána ho odmítá jako neplatné (chybný kontrolní součet). Požádat o nové zadání.""",
)
T(
    "email",
    "hu",
    "bank_account_iban",
    """Tárgy: Átutalási adatok

Kedves ⟪first⟫!
Kérjük, a díjat a következő számlára utalja: ⟪iban⟫. Közlemény: ⟪order⟫.
Köszönettel: ⟪company⟫""",
)
T(
    "chat_message",
    "ro",
    "uuid_request_trace_ids",
    """⟪first⟫: am primit eroare 500, request id ⟪reqid⟫
⟪first⟫: văd în loguri, trace ⟪hex:32⟫, e un timeout la baza de date. Revin.""",
)
T(
    "email",
    "tr",
    "cloud_resource_ids",
    """Konu: Fatura hakkında

Merhaba, abonelik numaranız ⟪objid⟫ ve müşteri kimliğiniz ⟪objid⟫. Faturanız ⟪date⟫ tarihinde kesildi. Tutar: ⟪money⟫.""",
)
T(
    "chat_message",
    "el",
    "loopback_localhost",
    """⟪first⟫: το app τρέχει στο localhost:⟪int:3000-9000⟫ αλλά δεν ανοίγει
⟪first⟫: δοκίμασε 127.0.0.1 αντί για localhost, μάλλον είναι θέμα IPv6 (::1)""",
)
T(
    "email",
    "ru",
    "password_policy_text",
    """Тема: Смена пароля

Уважаемый(ая) ⟪first⟫!
Срок действия вашего пароля истекает ⟪date⟫. Новый пароль должен содержать не менее ⟪int:10-14⟫ символов, буквы разных регистров и цифры.
Служба поддержки никогда не запрашивает пароль по почте.""",
)
T(
    "chat_message",
    "uk",
    "crypto_wallet_addresses",
    """⟪first⟫: скинь гаманець для донату
⟪first⟫: USDT (ERC-20): ⟪eth⟫
⟪first⟫: BTC: ⟪btc⟫""",
)
T(
    "email",
    "ar",
    "phone_numbers",
    """الموضوع: تغيير أرقام الهاتف

مرحباً،
رقم خدمة العملاء الجديد هو ⟪phone⟫ ورقم الطوارئ ⟪phone⟫.
شكراً لكم، فريق ⟪company⟫""",
)
T(
    "chat_message",
    "he",
    "private_ipv4",
    """⟪first⟫: הנתב לא מגיב
⟪first⟫: תנסה להיכנס ל-⟪priv4⟫, ואם לא עובד אז ל-⟪priv4⟫
⟪first⟫: עבד, תודה""",
)
T(
    "email",
    "fa",
    "order_tracking_ids",
    """موضوع: ارسال سفارش

سفارش شما با شماره ⟪order⟫ ارسال شد. کد رهگیری: ⟪tracking⟫
با تشکر، ⟪company⟫""",
)
T(
    "chat_message",
    "hi",
    "usernames_only",
    """⟪first⟫: GitHub पर तुम्हारा यूज़रनेम क्या है?
⟪first⟫: ⟪user⟫
⟪first⟫: ठीक है, रिपो में जोड़ दिया।""",
)
T(
    "email",
    "ja",
    "password_policy_text",
    """件名：【重要】パスワード変更のお願い

⟪full⟫様
セキュリティ強化のため、⟪date⟫までにパスワードを変更してください。
新しいパスワードは⟪int:10-16⟫文字以上で、英大文字・英小文字・数字を含めてください。
当社からメールでパスワードをお尋ねすることはありません。""",
)
T(
    "chat_message",
    "zh",
    "order_tracking_ids",
    """客服：您好，您的订单号是 ⟪order⟫，快递单号 ⟪tracking⟫，预计 ⟪date⟫ 送达。
⟪full⟫：好的，谢谢！""",
)
T(
    "email",
    "ko",
    "masked_card_number",
    """제목: 결제 완료 안내

⟪full⟫님, 결제가 완료되었습니다.
결제 수단: 신용카드 (⟪maskcard⟫)
결제 금액: ⟪int:10000-900000⟫원
주문번호: ⟪order⟫""",
)
T(
    "chat_message",
    "th",
    "reserved_domain_email",
    """⟪first⟫: ใช้อีเมลอะไรทดสอบระบบดี
⟪first⟫: ใช้ ⟪exemail⟫ ไปก่อน ไม่ใช่อีเมลจริง""",
)
T(
    "chat_message",
    "vi",
    "private_ipv4",
    """⟪first⟫: camera ở kho không xem được
⟪first⟫: thử vào ⟪priv4⟫ xem, hoặc đầu ghi ở ⟪priv4⟫""",
)
T(
    "email",
    "id",
    "timestamps_dates_numbers",
    """Subjek: Jadwal rapat

Halo tim, rapat evaluasi diadakan ⟪date⟫ pukul ⟪time⟫ WIB di ruang ⟪int:100-999⟫. Anggaran Q⟪int:1-4⟫: Rp ⟪int:10-900⟫.⟪int:100-999⟫.000.""",
)
T(
    "chat_message",
    "sw",
    "phone_numbers",
    """⟪first⟫: Namba yako mpya ni ipi?
⟪first⟫: ⟪phone⟫, ile ya zamani situmii tena.""",
)
T(
    "chat_message",
    "ka",
    "usernames_only",
    """⟪first⟫: რა არის შენი მომხმარებლის სახელი სისტემაში?
⟪first⟫: ⟪user⟫""",
)
T(
    "personal_note",
    "en",
    "placeholders",
    """TODO before go-live
- [ ] replace API key placeholder "⟪placeholder⟫" with the real one from Vault
- [ ] set SMTP password (currently "⟪placeholder⟫")
- [x] DNS → ⟪site⟫ (done ⟪date⟫)""",
)
T(
    "meeting_notes",
    "en",
    "masked_redacted_secrets",
    """Incident review ⟪date⟫
- A token (⟪masked⟫) was pasted in #general at ⟪time⟫ and revoked ⟪int:3-40⟫ min later.
- No misuse found in audit logs; request ids ⟪reqid⟫ and ⟪reqid⟫ checked.
- Action: enable push protection on all repos.""",
)
T(
    "email",
    "en",
    "vendor_example_values",
    """Subject: Re: CLI setup

Hi ⟪first⟫, the values in the tutorial (⟪vexample⟫ and ⟪vexample⟫) are just the vendor's documentation samples, they won't work. Generate your own in the console under Security credentials.""",
)
T(
    "sms",
    "en",
    "order_tracking_ids",
    """Your parcel ⟪tracking⟫ from ⟪company⟫ will be delivered ⟪date⟫ between ⟪time⟫ and ⟪time⟫. Manage delivery: https://trk.⟪alt:post|dhl|ups⟫.example/⟪b62:8⟫""",
)
T(
    "support_ticket",
    "de",
    "non_card_luhn_number",
    """Ticket #⟪int:10000-99999⟫ – Handy gesperrt
Kunde meldet Diebstahl, IMEI ⟪imei⟫, Kundenkarte ⟪nobrand⟫. Gerät wurde im Netz gesperrt.""",
)
T(
    "chat_message",
    "es",
    "secret_variable_no_value",
    """⟪first⟫: oye, ¿qué pongo en password en el docker-compose?
⟪first⟫: nada, déjalo vacío y usa el archivo de secretos: `password_file: /run/secrets/db_password`""",
)
# ===== logs, shell sessions, HTTP traffic =====
T(
    "access_log",
    "en",
    "positive",
    '''⟪IP4⟫ - - [⟪int:10-28⟫/Mar/2025:⟪time⟫:⟪int:10-59⟫ +0000] "GET /wp-login.php HTTP/1.1" 404 162 "-" "Mozilla/5.0"
⟪IP4⟫ - - [⟪int:10-28⟫/Mar/2025:⟪time⟫:⟪int:10-59⟫ +0000] "POST /xmlrpc.php HTTP/1.1" 403 199 "-" "python-requests/2.31.0"
⟪priv4⟫ - - [⟪int:10-28⟫/Mar/2025:⟪time⟫:⟪int:10-59⟫ +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"
⟪IP6⟫ - - [⟪int:10-28⟫/Mar/2025:⟪time⟫:⟪int:10-59⟫ +0000] "GET /.env HTTP/1.1" 404 162 "-" "curl/8.5.0"''',
)
T(
    "syslog",
    "en",
    "positive",
    """⟪alt:Jan|Feb|Mar|Apr⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Failed password for invalid user admin from ⟪IP4⟫ port ⟪int:30000-65000⟫ ssh2
⟪alt:Jan|Feb|Mar|Apr⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Failed password for root from ⟪IP4⟫ port ⟪int:30000-65000⟫ ssh2
⟪alt:Jan|Feb|Mar|Apr⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ ⟪host⟫ sshd[⟪int:1000-99999⟫]: Accepted publickey for deploy from ⟪priv4⟫ port ⟪int:30000-65000⟫ ssh2""",
)
T(
    "app_log",
    "en",
    "positive",
    """⟪ts⟫ DEBUG [http-client] --> POST https://api.⟪site⟫/v1/token
⟪ts⟫ DEBUG [http-client] Authorization: Bearer ⟪S:jwt⟫
⟪ts⟫ DEBUG [http-client] <-- 200 OK (⟪int:20-900⟫ms)
⟪ts⟫ INFO  [sync] fetched ⟪int:1-5000⟫ records for ⟪EMAIL⟫""",
)
T(
    "app_log",
    "en",
    "positive",
    """[⟪ts⟫] ERROR db: connection failed: postgresql://billing:⟪S:pwu⟫@⟪IP4⟫:5432/billing (timeout after 30s)
[⟪ts⟫] WARN  retrying in ⟪int:1-30⟫s (attempt ⟪int:2-5⟫/5)""",
)
T(
    "app_log",
    "en",
    "positive",
    """{"level":"error","ts":"⟪ts⟫","msg":"payment declined","customer":"⟪EMAIL⟫","card":"⟪CARD:plain⟫","amount":⟪int:100-99999⟫,"ip":"⟪IP4⟫","request_id":"⟪reqid⟫"}""",
)
T(
    "shell_session",
    "en",
    "positive",
    """$ export AWS_ACCESS_KEY_ID=⟪S:aws_asia⟫
$ export AWS_SECRET_ACCESS_KEY=⟪S:aws_secret⟫
$ export AWS_SESSION_TOKEN=⟪S:b64_32⟫
$ aws sts get-caller-identity
{
    "UserId": "AROA⟪b62:17⟫:⟪user⟫",
    "Account": "⟪acct⟫",
    "Arn": "arn:aws:sts::⟪acct⟫:assumed-role/admin/⟪user⟫"
}""",
)
T(
    "shell_session",
    "en",
    "positive",
    """root@⟪host⟫:~# mysql -h ⟪IP4⟫ -u root -p'⟪S:pw⟫' -e "show databases;"
+--------------------+
| Database           |
+--------------------+
| information_schema |
| ⟪word⟫             |
+--------------------+
root@⟪host⟫:~# history | tail -n 2""",
)
T(
    "shell_session",
    "en",
    "positive",
    """PS C:\\Users\\⟪user⟫> git remote -v
origin  https://oauth2:⟪S:glpat⟫@gitlab.com/⟪word⟫/backend.git (fetch)
origin  https://oauth2:⟪S:glpat#a⟫@gitlab.com/⟪word⟫/backend.git (push)""",
)
T(
    "curl_command",
    "en",
    "positive",
    """curl -X POST https://api.sendgrid.com/v3/mail/send \\
  -H "Authorization: Bearer ⟪S:sendgrid⟫" \\
  -H "Content-Type: application/json" \\
  -d '{"personalizations":[{"to":[{"email":"⟪EMAIL⟫"}]}],"from":{"email":"⟪EMAIL:corp⟫"},"subject":"Test","content":[{"type":"text/plain","value":"hi"}]}\'""",
)
T(
    "curl_command",
    "en",
    "positive",
    """$ curl -u ⟪user⟫:⟪S:pw⟫ https://⟪IP4⟫:9200/_cat/indices?v
health status index                 pri rep docs.count
green  open   logs-⟪date⟫      1   1     ⟪int:1000-999999⟫""",
)
T(
    "http_request",
    "en",
    "positive",
    """GET /api/v2/reports/⟪int:1000-9999⟫ HTTP/1.1
Host: ⟪site⟫
User-Agent: ⟪word⟫-sync/⟪ver⟫
Authorization: Basic ⟪S:basic⟫
X-Forwarded-For: ⟪IP4⟫, ⟪priv4⟫
Accept: application/json""",
)
T(
    "http_request",
    "en",
    "positive",
    """POST /graphql HTTP/2
host: api.⟪site⟫
authorization: Bearer ⟪S:vendor⟫
content-type: application/json
x-request-id: ⟪reqid⟫

{"query":"mutation { createUser(email: \\"⟪EMAIL⟫\\") { id } }"}""",
)
T(
    "http_response",
    "en",
    "positive",
    """HTTP/1.1 200 OK
Content-Type: application/json
Set-Cookie: sid=⟪S:session⟫; Path=/; HttpOnly; Secure; SameSite=Lax
X-Request-Id: ⟪reqid⟫

{"access_token":"⟪S:jwt⟫","token_type":"Bearer","expires_in":3600,"refresh_token":"⟪S:b64u_43⟫"}""",
)
T(
    "app_log",
    "en",
    "positive",
    '''⟪ts⟫ [WARN] SecretScanner: possible credential committed by ⟪EMAIL:corp⟫ in a1b2c3d: "⟪S:vendor⟫"
⟪ts⟫ [WARN] SecretScanner: possible credential committed by ⟪EMAIL:corp⟫ in 9f8e7d6: "⟪S:vendor⟫"''',
)
T(
    "firewall_log",
    "en",
    "positive",
    """⟪ts⟫ DROP IN=eth0 OUT= SRC=⟪IP4⟫ DST=⟪priv4⟫ LEN=60 PROTO=TCP SPT=⟪int:1024-65000⟫ DPT=⟪port⟫
⟪ts⟫ DROP IN=eth0 OUT= SRC=⟪IP4⟫ DST=⟪priv4⟫ LEN=44 PROTO=TCP SPT=⟪int:1024-65000⟫ DPT=⟪port⟫
⟪ts⟫ ACCEPT IN=eth0 OUT= SRC=⟪IP6⟫ DST=⟪priv6⟫ LEN=80 PROTO=UDP SPT=53 DPT=⟪int:1024-65000⟫""",
)
T(
    "mail_log",
    "en",
    "positive",
    """⟪alt:Mar|Apr|May⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ mx1 postfix/smtpd[⟪int:1000-9999⟫]: connect from unknown[⟪IP4⟫]
⟪alt:Mar|Apr|May⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ mx1 postfix/smtpd[⟪int:1000-9999⟫]: NOQUEUE: reject: RCPT from unknown[⟪IP4⟫]: 554 5.7.1 <⟪EMAIL⟫>: Relay access denied; from=<⟪EMAIL⟫> to=<⟪EMAIL⟫>""",
)
T(
    "shell_session",
    "en",
    "positive",
    """ubuntu@⟪host⟫:~$ cat ~/.docker/config.json
{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "⟪S:basic⟫"
    }
  }
}""",
)
T(
    "ci_log",
    "en",
    "positive",
    """Run ./scripts/deploy.sh
+ echo "deploying to ⟪IP4⟫"
deploying to ⟪IP4⟫
+ heroku container:login --api-key ⟪S:uuid⟫
Login Succeeded
##[warning]The command line contained a secret that was not masked.""",
)
# --- log negatives
T(
    "access_log",
    "en",
    "private_ipv4",
    '''⟪priv4⟫ - - [⟪int:10-28⟫/Apr/2025:⟪time⟫:⟪int:10-59⟫ +0200] "GET /metrics HTTP/1.1" 200 ⟪int:1000-9999⟫ "-" "Prometheus/2.⟪int:40-54⟫.0"
⟪priv4⟫ - - [⟪int:10-28⟫/Apr/2025:⟪time⟫:⟪int:10-59⟫ +0200] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.⟪int:26-31⟫"
127.0.0.1 - - [⟪int:10-28⟫/Apr/2025:⟪time⟫:⟪int:10-59⟫ +0200] "GET /status HTTP/1.1" 200 ⟪int:100-999⟫ "-" "curl/8.5.0"''',
)
T(
    "app_log",
    "en",
    "masked_redacted_secrets",
    """⟪ts⟫ INFO  config loaded: {"db_host":"⟪host⟫","db_password":"***","api_key":"⟪masked⟫","debug":false}
⟪ts⟫ INFO  listening on 0.0.0.0:⟪port⟫""",
)
T(
    "app_log",
    "en",
    "uuid_request_trace_ids",
    """⟪ts⟫ level=info msg="request finished" method=GET path=/v1/items status=200 duration=⟪int:1-900⟫ms request_id=⟪reqid⟫ trace_id=⟪hex:32⟫ span_id=⟪hex:16⟫
⟪ts⟫ level=warn msg="slow query" table=orders rows=⟪int:1000-99999⟫ idempotency_key=⟪uuid⟫""",
)
T(
    "shell_session",
    "en",
    "hashes_checksums",
    """$ sha256sum ⟪word⟫-⟪ver⟫.iso
⟪sha256⟫  ⟪word⟫-⟪ver⟫.iso
$ git log --oneline -3
⟪short⟫ Merge pull request #⟪int:100-999⟫ from ⟪user⟫/fix
⟪short⟫ bump deps
⟪short⟫ docs: typo""",
)
T(
    "shell_session",
    "en",
    "public_keys_certificates",
    """$ cat ~/.ssh/id_ed25519.pub
⟪sshpub⟫
$ ssh-keygen -lf ~/.ssh/id_ed25519.pub
256 ⟪sshfp⟫ (ED25519)""",
)
T(
    "shell_session",
    "en",
    "private_ipv4",
    """$ ip -4 addr show eth0
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP
    inet ⟪priv4⟫/24 brd 192.168.255.255 scope global dynamic eth0
$ ip route
default via ⟪priv4⟫ dev eth0 proto dhcp metric 100""",
)
T(
    "shell_session",
    "en",
    "env_var_references",
    """$ read -s -p "DB password: " PGPASSWORD && export PGPASSWORD
DB password:
$ psql -h ⟪host⟫ -U ⟪user⟫ -d ⟪word⟫ -c '\\dt'
$ unset PGPASSWORD""",
)
T(
    "http_request",
    "en",
    "csrf_nonce_tokens",
    """POST /account/settings HTTP/1.1
Host: ⟪alt:app|portal|my⟫.⟪alt:acme|initech|contoso⟫.example
Cookie: csrftoken=⟪csrf⟫; lang=⟪alt:en|de|fr⟫
X-CSRFToken: ⟪csrf⟫
Content-Type: application/x-www-form-urlencoded

display_name=⟪first⟫&newsletter=on""",
)
T(
    "http_response",
    "en",
    "cloud_resource_ids",
    """HTTP/1.1 200 OK
Content-Type: application/json

{"id":"⟪objid⟫","object":"customer","email":"⟪exemail⟫","default_source":"⟪objid⟫","created":⟪int:1600000000-1790000000⟫}""",
)
T(
    "syslog",
    "en",
    "mac_addresses_serials",
    """⟪alt:Jan|Feb|Mar⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ gw dnsmasq-dhcp[⟪int:100-9999⟫]: DHCPACK(br0) ⟪priv4⟫ ⟪mac⟫ ⟪alt:iphone|printer|tv|laptop⟫
⟪alt:Jan|Feb|Mar⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ gw kernel: usb 1-1: SerialNumber: ⟪serial⟫""",
)
T(
    "app_log",
    "en",
    "link_local_ip",
    """⟪ts⟫ WARN network: DHCP timeout on eth1, using link-local ⟪ll4⟫
⟪ts⟫ INFO network: IPv6 ⟪ll6⟫ on eth1
⟪ts⟫ INFO metadata: querying 169.254.169.254""",
)
T(
    "shell_session",
    "en",
    "loopback_localhost",
    """$ ss -tlnp
State  Recv-Q Send-Q Local Address:Port  Peer Address:Port
LISTEN 0      511        127.0.0.1:⟪int:3000-9000⟫      0.0.0.0:*
LISTEN 0      4096           [::1]:⟪port⟫         [::]:*
LISTEN 0      128          0.0.0.0:22         0.0.0.0:*""",
)
# ===== tables, lists, data dumps =====
T(
    "csv_export",
    "en",
    "positive",
    """id,name,email,signup_ip,plan
⟪int:1000-1999⟫,⟪full⟫,⟪EMAIL⟫,⟪IP4⟫,pro
⟪int:2000-2999⟫,⟪full⟫,⟪EMAIL⟫,⟪IP4⟫,free
⟪int:3000-3999⟫,⟪full⟫,⟪EMAIL⟫,⟪IP6⟫,team
⟪int:4000-4999⟫,⟪full⟫,⟪exemail⟫,⟪priv4⟫,test""",
)
T(
    "csv_export",
    "en",
    "positive",
    """order_id;customer;card_number;exp;amount
⟪order⟫;⟪full⟫;⟪CARD:plain⟫;0⟪int:1-9⟫/⟪int:26-30⟫;⟪money⟫
⟪order⟫;⟪full⟫;⟪CARD:plain⟫;1⟪int:0-2⟫/⟪int:26-30⟫;⟪money⟫
⟪order⟫;⟪full⟫;⟪maskcard⟫;0⟪int:1-9⟫/⟪int:26-30⟫;⟪money⟫""",
)
T(
    "combo_list",
    "en",
    "positive",
    """# dump ⟪date⟫ (⟪int:1000-90000⟫ lines)
⟪EMAIL:free⟫:⟪S:pw⟫
⟪EMAIL:free⟫:⟪S:pw⟫
⟪EMAIL:free⟫:⟪S:pw⟫
⟪EMAIL:free⟫:⟪S:pw⟫""",
)
T(
    "sql_dump",
    "en",
    "positive",
    """-- MySQL dump 10.13  Distrib 8.0.⟪int:20-40⟫
INSERT INTO `api_clients` (`id`,`name`,`client_secret`,`owner_email`,`allowed_ip`) VALUES
(1,'mobile-app','⟪S:oauth_secret⟫','⟪EMAIL:corp⟫','⟪IP4⟫'),
(2,'partner-sync','⟪S:oauth_secret⟫','⟪EMAIL⟫','⟪IP4⟫'),
(3,'local-dev','','⟪exemail⟫','127.0.0.1');""",
)
T(
    "json_dump",
    "en",
    "positive",
    """[
  {"user": "⟪user⟫", "email": "⟪EMAIL⟫", "last_login_ip": "⟪IP4⟫", "api_token": "⟪S:b62_40⟫"},
  {"user": "⟪user⟫", "email": "⟪EMAIL⟫", "last_login_ip": "⟪IP6⟫", "api_token": "⟪S:b62_40⟫"},
  {"user": "⟪user⟫", "email": "⟪exemail⟫", "last_login_ip": "⟪priv4⟫", "api_token": null}
]""",
)
T(
    "markdown_table",
    "en",
    "positive",
    """| Host | Public IP | Role | Root password |
|------|-----------|------|---------------|
| ⟪host⟫ | ⟪IP4⟫ | web | ⟪S:pw⟫ |
| ⟪host⟫ | ⟪IP4⟫ | db | ⟪S:pw⟫ |
| ⟪host⟫ | ⟪IP4⟫ | cache | ⟪S:pw⟫ |""",
)
T(
    "spreadsheet_paste",
    "en",
    "positive",
    """Service\tLogin\tPassword\tNotes
AWS root\t⟪EMAIL:corp⟫\t⟪S:pw⟫\tMFA on ⟪first⟫'s phone
Namecheap\t⟪user⟫\t⟪S:pw⟫\trenews ⟪date⟫
Mailchimp\t⟪EMAIL:corp⟫\t⟪S:pw⟫\tAPI key ⟪S:mailchimp⟫""",
)
T(
    "ldif_dump",
    "en",
    "positive",
    """dn: uid=⟪user⟫,ou=people,dc=⟪word⟫,dc=internal
objectClass: inetOrgPerson
cn: ⟪full⟫
mail: ⟪EMAIL:corp⟫
userPassword: ⟪S:pw⟫

dn: uid=⟪user⟫,ou=people,dc=⟪word⟫,dc=internal
objectClass: inetOrgPerson
cn: ⟪full⟫
mail: ⟪EMAIL:corp⟫
userPassword: ⟪sha512crypt⟫""",
)
T(
    "csv_export",
    "de",
    "positive",
    """Kundennr;Name;E-Mail;Kreditkarte;Gültig bis
⟪int:10000-99999⟫;⟪full⟫;⟪EMAIL⟫;⟪CARD:space⟫;0⟪int:1-9⟫/⟪int:27-30⟫
⟪int:10000-99999⟫;⟪full⟫;⟪EMAIL⟫;⟪CARD:space⟫;1⟪int:0-2⟫/⟪int:27-30⟫""",
)
T(
    "keepass_export",
    "en",
    "positive",
    '''"Group","Title","Username","Password","URL","Notes"
"Root","Router","admin","⟪S:pw⟫","http://⟪priv4⟫",""
"Root","Bank","⟪user⟫","⟪S:pw⟫","https://banking.⟪site⟫","PIN letter in drawer"
"Root","Wi-Fi","","⟪S:psk⟫","",""
"Root","GitHub","⟪EMAIL⟫","⟪S:pw⟫","https://github.com","recovery codes printed"''',
)
T(
    "yaml_dump",
    "en",
    "positive",
    """- name: ⟪word⟫-prod
  provider: hetzner
  ipv4: ⟪IP4⟫
  ipv6: ⟪IP6⟫
  root_pw: ⟪S:pw⟫
- name: ⟪word⟫-stage
  provider: ovh
  ipv4: ⟪IP4⟫
  root_pw: ⟪S:pw⟫""",
)
T(
    "ip_blocklist",
    "en",
    "positive",
    """# fail2ban export – banned in the last 24h (⟪date⟫)
⟪IP4⟫
⟪IP4⟫
⟪IP4⟫
⟪IP6⟫
⟪IP4⟫
# whitelist (never ban): 127.0.0.1 ⟪priv4⟫""",
)
T(
    "contact_list",
    "en",
    "positive",
    """Conference attendees – dietary requirements
1. ⟪full⟫ – ⟪EMAIL⟫ – vegetarian
2. ⟪full⟫ – ⟪EMAIL⟫ – none
3. ⟪full⟫ – ⟪EMAIL⟫ – gluten free
4. ⟪full⟫ – ⟪EMAIL⟫ – vegan""",
)
T(
    "contact_list",
    "fr",
    "positive",
    """Liste des bénévoles – fête de quartier
- ⟪full⟫ : ⟪EMAIL⟫ (stand crêpes)
- ⟪full⟫ : ⟪EMAIL⟫ (buvette)
- ⟪full⟫ : ⟪EMAIL⟫ (montage)""",
)
T(
    "csv_export",
    "ja",
    "positive",
    """会員番号,氏名,メールアドレス,登録IP
⟪int:10000-99999⟫,⟪full⟫,⟪EMAIL⟫,⟪IP4⟫
⟪int:10000-99999⟫,⟪full⟫,⟪EMAIL⟫,⟪IP4⟫
⟪int:10000-99999⟫,⟪full⟫,⟪EMAIL⟫,⟪IP4⟫""",
)
T(
    "json_dump",
    "en",
    "positive",
    """{"webhooks": [
  {"id": "wh_⟪b62:12⟫", "url": "https://⟪site⟫/hooks/orders", "signing_secret": "⟪S:hex64⟫"},
  {"id": "wh_⟪b62:12⟫", "url": "https://⟪site⟫/hooks/refunds", "signing_secret": "⟪S:hex64⟫"}
], "exported_by": "⟪EMAIL:corp⟫"}""",
)
T(
    "sql_dump",
    "en",
    "positive",
    """COPY public.payment_methods (id, user_id, pan, holder, created_at) FROM stdin;
⟪int:1-999⟫	⟪int:1000-9999⟫	⟪CARD:plain⟫	⟪full⟫	⟪date⟫
⟪int:1-999⟫	⟪int:1000-9999⟫	⟪CARD:plain⟫	⟪full⟫	⟪date⟫
\\.""",
)
T(
    "markdown_table",
    "en",
    "positive",
    """### API keys inventory (⟪date⟫)

| Vendor | Key | Owner |
|---|---|---|
| GitHub | `⟪S:github_pat⟫` | ⟪EMAIL:corp⟫ |
| PyPI | `⟪S:pypi⟫` | ⟪EMAIL:corp⟫ |
| Postman | `⟪S:postman⟫` | ⟪EMAIL:corp⟫ |
| Sourcegraph | `⟪S:sourcegraph⟫` | ⟪EMAIL:corp⟫ |""",
)
# --- table negatives
T(
    "csv_export",
    "en",
    "reserved_domain_email",
    """id,name,email,role
⟪int:1-99⟫,⟪full⟫,⟪exemail⟫,admin
⟪int:100-199⟫,⟪full⟫,⟪exemail⟫,editor
⟪int:200-299⟫,⟪full⟫,⟪exemail⟫,viewer""",
)
T(
    "csv_export",
    "en",
    "private_ipv4",
    """hostname,ip,mac,vlan
⟪host⟫,⟪priv4⟫,⟪mac⟫,⟪int:10-99⟫
⟪host⟫,⟪priv4⟫,⟪mac⟫,⟪int:10-99⟫
⟪host⟫,⟪priv4⟫,⟪mac⟫,⟪int:10-99⟫""",
)
T(
    "markdown_table",
    "en",
    "luhn_invalid_card",
    """| Test case | Input | Expected |
|---|---|---|
| wrong check digit | `⟪badcard⟫` | rejected |
| wrong check digit | `⟪badcard⟫` | rejected |
| too short | `⟪int:100000000-999999999⟫` | rejected |""",
)
T(
    "json_dump",
    "en",
    "uuid_request_trace_ids",
    """[{"event":"order.created","id":"⟪uuid⟫","trace":"⟪hex:32⟫","at":"⟪ts⟫"},
 {"event":"order.paid","id":"⟪uuid⟫","trace":"⟪hex:32⟫","at":"⟪ts⟫"},
 {"event":"order.shipped","id":"⟪uuid⟫","trace":"⟪hex:32⟫","at":"⟪ts⟫"}]""",
)
T(
    "sql_dump",
    "en",
    "password_hashes",
    """COPY auth_user (id, username, password, last_login) FROM stdin;
⟪int:1-50⟫	⟪user⟫	⟪pbkdf2⟫	⟪ts⟫
⟪int:51-99⟫	⟪user⟫	⟪pbkdf2⟫	⟪ts⟫
⟪int:100-150⟫	⟪user⟫	⟪bcrypt⟫	⟪ts⟫
\\.""",
)
T(
    "csv_export",
    "en",
    "crypto_wallet_addresses",
    """date,asset,amount,address,txid
⟪date⟫,BTC,0.⟪int:1000-9999⟫,⟪btc⟫,⟪sha256⟫
⟪date⟫,ETH,⟪int:1-9⟫.⟪int:10-99⟫,⟪eth⟫,0x⟪sha256⟫""",
)
T(
    "spreadsheet_paste",
    "en",
    "phone_numbers",
    """Name\tPhone\tExtension
⟪full⟫\t⟪phone⟫\t⟪int:100-999⟫
⟪full⟫\t⟪phone⟫\t⟪int:100-999⟫
⟪full⟫\t⟪phone⟫\t⟪int:100-999⟫""",
)
T(
    "csv_export",
    "en",
    "bank_account_iban",
    """supplier,iban,bic,amount
⟪company⟫,⟪iban⟫,⟪alt:DEUTDEFF|BNPAFRPP|INGBNL2A⟫,⟪money⟫
⟪company⟫,⟪iban⟫,⟪alt:COBADEFF|RABONL2U|BSCHESMM⟫,⟪money⟫""",
)
T(
    "json_dump",
    "en",
    "cloud_resource_ids",
    """{"Roles":[{"RoleName":"⟪word⟫-ci","Arn":"⟪arn⟫","RoleId":"AROA⟪b62:17⟫"},
{"RoleName":"⟪word⟫-read","Arn":"⟪arn⟫","RoleId":"AROA⟪b62:17⟫"}],"Account":"⟪acct⟫"}""",
)
T(
    "markdown_table",
    "en",
    "version_numbers_oids",
    """| Component | Version | Released |
|---|---|---|
| agent | ⟪ver⟫ | ⟪date⟫ |
| firmware | ⟪int:1-9⟫.⟪int:0-9⟫.⟪int:300-9999⟫.⟪int:0-99⟫ | ⟪date⟫ |
| schema | ⟪int:1-40⟫ | ⟪date⟫ |""",
)
T(
    "csv_export",
    "en",
    "non_card_luhn_number",
    """device_id,imei,sim_iccid,owner
⟪int:100-999⟫,⟪imei⟫,89⟪int:10000000000000000-99999999999999999⟫,⟪user⟫
⟪int:100-999⟫,⟪imei⟫,89⟪int:10000000000000000-99999999999999999⟫,⟪user⟫""",
)
T(
    "json_dump",
    "en",
    "publishable_keys",
    """{"stripe": {"publishableKey": "⟪pk_live⟫"}, "maps": {"token": "⟪mapbox_pk⟫"}, "captcha": {"siteKey": "⟪recaptcha⟫"}, "version": "⟪ver⟫"}""",
)
T(
    "csv_export",
    "en",
    "hashes_checksums",
    """file,size,md5,sha1
⟪word⟫.tar.gz,⟪int:1000-999999⟫,⟪md5⟫,⟪sha1⟫
⟪word⟫.zip,⟪int:1000-999999⟫,⟪md5⟫,⟪sha1⟫""",
)
# ===== extra: payment cards, long documents, mixed-language text =====
T(
    "chat_message",
    "es",
    "positive",
    """[⟪time⟫] ⟪first⟫: oye me pasas la tarjeta de la empresa para pagar el hosting?
[⟪time⟫] ⟪first⟫: ⟪CARD⟫ caduca ⟪int:1-12⟫/⟪int:27-31⟫
[⟪time⟫] ⟪first⟫: el cvv te lo digo por teléfono
[⟪time⟫] ⟪first⟫: perfecto gracias""",
)
T(
    "app_log",
    "en",
    "positive",
    """⟪ts⟫ DEBUG gateway.request {"merchant":"⟪word⟫","pan":"⟪CARD:plain⟫","exp":"⟪int:1-12⟫/⟪int:27-31⟫","amount":"⟪money⟫","email":"⟪EMAIL⟫"}
⟪ts⟫ DEBUG gateway.response {"status":"approved","auth_code":"⟪b62:6⟫"}
⟪ts⟫ WARN  pci-lint: full PAN written to debug log""",
)
T(
    "email",
    "ja",
    "positive",
    """件名：お支払いカードの変更について

⟪full⟫様
ご依頼のあったカード番号を登録しました：⟪CARD⟫
有効期限：⟪int:1-12⟫/⟪int:27-31⟫
ご不明な点は ⟪EMAIL:corp⟫ までお問い合わせください。""",
)
T(
    "forum_post",
    "en",
    "positive",
    """PSA: got this phishing sms today, "your parcel is on hold, pay the fee". I entered a dummy number first and it accepted anything?? Then some idiot in the replies posted his REAL card: ⟪CARD⟫ exp ⟪int:1-12⟫/⟪int:27-31⟫. Mods please delete. The phishing site resolved to ⟪IP4⟫.""",
)
T(
    "python_source",
    "en",
    "positive",
    """# scripts/replay_failed_charges.py -- one-off, delete after use
FAILED = [
    {"customer": "⟪EMAIL⟫", "card": "⟪CARD:plain⟫", "amount": ⟪int:100-9999⟫},
    {"customer": "⟪EMAIL⟫", "card": "⟪CARD:plain⟫", "amount": ⟪int:100-9999⟫},
]
for row in FAILED:
    charge(row["card"], row["amount"])""",
)
T(
    "http_request",
    "en",
    "positive",
    """POST /checkout/pay HTTP/1.1
Host: shop.⟪site⟫
Content-Type: application/x-www-form-urlencoded
X-Real-IP: ⟪IP4⟫

cc_name=⟪first⟫+⟪last⟫&cc_number=⟪CARD:plain⟫&cc_exp=⟪int:1-12⟫%2F⟪int:27-31⟫&email=⟪EMAIL⟫""",
)
T(
    "support_ticket",
    "it",
    "positive",
    """Ticket #⟪int:10000-99999⟫ – Addebito non riconosciuto
Cliente: ⟪full⟫ (⟪EMAIL⟫)
Carta indicata dal cliente: ⟪CARD⟫
Nota operatore: chiedere al cliente di non inviare più il numero completo via mail.""",
)
T(
    "personal_note",
    "nl",
    "positive",
    """boodschappen + regelen
- verzekering bellen
- nieuwe creditcard: ⟪CARD:space⟫ (oude geblokkeerd)
- wachtwoord bank app wijzigen → ⟪S:pw⟫
- ⟪first⟫ mailen: ⟪EMAIL⟫""",
)
T(
    "chat_message",
    "zh",
    "positive",
    """⟪full⟫：帮我订一下机票，用这张卡 ⟪CARD⟫，有效期 ⟪int:1-12⟫/⟪int:27-31⟫
⟪full⟫：好的，订好了发你邮箱 ⟪EMAIL⟫""",
)
T(
    "email",
    "ru",
    "positive",
    """Тема: Оплата счёта

Добрый день!
Для оплаты используйте корпоративную карту ⟪CARD⟫, срок действия ⟪int:1-12⟫/⟪int:27-31⟫.
Чек пришлите на ⟪EMAIL:corp⟫.
С уважением, ⟪full⟫""",
)
T(
    "csv_export",
    "pl",
    "positive",
    """nr_zamowienia,klient,email,karta
⟪order⟫,⟪full⟫,⟪EMAIL⟫,⟪CARD:dash⟫
⟪order⟫,⟪full⟫,⟪EMAIL⟫,⟪CARD:dash⟫""",
)
T(
    "chat_message",
    "de",
    "positive",
    """⟪first⟫: kannst du mir mal schnell die Firmenkarte schicken? brauch die für den AWS-Account, der Free Tier ist abgelaufen lol
⟪first⟫: klar: ⟪CARD:space⟫, läuft ⟪int:1-12⟫/⟪int:27-31⟫ ab. Rechnungsadresse ist die vom Büro
⟪first⟫: top thx, ich schick dir den invoice an ⟪EMAIL:corp⟫""",
)
T(
    "chat_message",
    "hi",
    "positive",
    """⟪first⟫: bro ek kaam kar de, Netflix ka payment fail ho gaya
⟪first⟫: mera card use kar le ⟪CARD⟫, OTP main bata dunga
⟪first⟫: ok done, login ⟪EMAIL:free⟫ / ⟪S:pw⟫ hi hai na?""",
)
T(
    "postmortem",
    "en",
    "positive",
    """# Post-incident review: credential exposure in public bucket

**Date:** ⟪date⟫
**Authors:** ⟪full⟫, ⟪full⟫
**Status:** Complete

## Summary

An S3 bucket used for exporting support tickets (`⟪word⟫-support-exports`) had its ACL changed to public-read during a Terraform refactor. Over ⟪int:3-11⟫ days the bucket was listed ⟪int:20-400⟫ times. Among the exported tickets were several that contained secrets pasted by customers and by our own staff.

## Impact

* ⟪int:3-90⟫ customer tickets with personal data were exposed.
* One ticket contained the production SMTP credential `smtp-relay / ⟪S:pw⟫`.
* One ticket contained a customer's full card number (`⟪CARD⟫`), pasted by the customer into a free-text field.
* A staff member had pasted a GitHub token (`⟪S:github_pat⟫`) into an internal note.

## Timeline (UTC)

| Time | Event |
|------|-------|
| ⟪time⟫ | Terraform apply by ⟪EMAIL:corp⟫ changes the bucket ACL |
| ⟪time⟫ | First anonymous ListObjects from ⟪IP4⟫ |
| ⟪time⟫ | Bulk download from ⟪IP4⟫ and ⟪IP6⟫ |
| ⟪time⟫ | External researcher reports the issue to ⟪EMAIL:corp⟫ |
| ⟪time⟫ | ACL reverted, credentials rotated |

Internal scanners from ⟪priv4⟫ and ⟪priv4⟫ also hit the bucket; those are expected.

## What went well

* The researcher used our disclosure address and gave us time.
* Token revocation took under ⟪int:5-30⟫ minutes.

## What went wrong

* The ticket exporter does not redact free-text fields.
* No alert fired on the ACL change (Config rule was disabled on ⟪date⟫).

## Action items

1. Add a redaction step to the exporter (owner: ⟪first⟫).
2. Enable S3 Block Public Access at the account level (owner: ⟪first⟫).
3. Add push protection on all repos (owner: ⟪first⟫).
""",
)
T(
    "readme",
    "en",
    "positive",
    """# ⟪word⟫-ops-toolkit

Scripts we use to keep the ⟪word⟫ cluster alive. Mostly bash, some Python. Not pretty.

## Requirements

- bash 5, jq, curl
- python ⟪int:3-3⟫.⟪int:10-13⟫ with `requests`
- access to the bastion (`⟪IP4⟫`, port 2222)

## Layout

```
bin/          entry points
lib/          shared helpers
inventory/    host lists (generated, don't edit)
```

## Configuration

The scripts read `~/.opsrc`. A working copy from the team drive looks like this:

```bash
OPS_API=https://ops.⟪site⟫/api
OPS_TOKEN=⟪S:b62_40⟫
PAGERDUTY_TOKEN=⟪S:pagerduty⟫
SLACK_WEBHOOK=⟪S:slack_webhook⟫
# metrics
DD_API_KEY=⟪S:hex32⟫
```

## Usage

```
bin/drain-node ⟪host⟫        # cordon + drain
bin/rotate-certs --all
bin/whois-ip ⟪IP4⟫          # who owns this address?
```

## Troubleshooting

* `401 Unauthorized` – your OPS_TOKEN expired, ask in #ops.
* `connection refused` on ⟪priv4⟫ – the VPN is down.
* Anything else: ⟪EMAIL:corp⟫.

## License

Internal use only.
""",
)
T(
    "email_thread",
    "en",
    "positive",
    """From: ⟪full⟫ <⟪EMAIL:corp⟫>
To: ⟪full⟫ <⟪EMAIL:corp⟫>
Cc: ⟪EMAIL:corp⟫
Subject: Re: Re: Re: migration weekend – final checklist

Sounds good. One more thing: the new DB primary is ⟪IP4⟫, replica ⟪IP4⟫. Replication user is `repl` with password ⟪S:pw⟫ (we'll rotate Monday).

-- 
⟪full⟫
Platform Team

On ⟪date⟫ ⟪time⟫, ⟪full⟫ wrote:
> OK for me. DNS TTL is already down to 60s. Cloudflare token for the cutover script is in the vault but here it is for the runbook: ⟪S:b62_40⟫
>
> On ⟪date⟫ ⟪time⟫, ⟪full⟫ wrote:
>> Hi all,
>> checklist for Saturday:
>> 1. freeze deploys at 18:00
>> 2. final backup to ⟪priv4⟫
>> 3. switch DNS
>> 4. smoke tests (test accounts are on ⟪exemail⟫, don't use real customers)
>> Questions to me or ⟪EMAIL:corp⟫.""",
)
T(
    "forum_post",
    "en",
    "positive",
    """Re: [HELP] hacked wordpress site, what do i do

ok update after 2 days of pain. found a file wp-content/uploads/2024/⟪int:1-12⟫/cache.php that was a webshell. access log shows the uploader came from ⟪IP4⟫ and ⟪IP4⟫. they also added an admin user with email ⟪EMAIL⟫. my own admin pw was "⟪S:pw⟫" which i reused on like 3 sites (yes i know...). changed everything now, installed wordfence. thx ⟪user⟫ for the tip about checking wp_options for injected JS!!""",
)
T(
    "chat_message",
    "tl",
    "positive",
    """⟪first⟫: pa-send naman ng card for the Grab business account
⟪first⟫: eto oh ⟪CARD⟫, exp ⟪int:1-12⟫/⟪int:27-31⟫. wag mo i-save sa phone ha
⟪first⟫: noted po""",
)
T(
    "docs_page",
    "pt",
    "positive",
    """## Integração com o gateway de pagamentos

Para testar em produção assistida use a chave `⟪S:stripe_live⟫` (conta de homologação da ⟪company⟫; será revogada).
O callback deve apontar para `https://⟪site⟫/webhooks/pagamentos` e só aceita requisições de ⟪IP4⟫.
Dúvidas: ⟪EMAIL:corp⟫""",
)
T(
    "blog_post",
    "de",
    "positive",
    """Mein Homelab 2025 – Teil ⟪int:2-5⟫

Der Proxmox-Host hängt jetzt hinter einer OPNsense. Von außen erreichbar ist nur WireGuard auf ⟪IP4⟫ (Port 51820). Der Pre-Shared-Key für mein Handy war übrigens ⟪S:wgkey⟫ – der ist inzwischen getauscht, also gar nicht erst probieren 😉
Intern läuft alles auf ⟪priv4⟫/24.""",
)
T(
    "qa_post",
    "ko",
    "positive",
    """질문: 스프링 부트에서 메일 발송이 안 됩니다

application.yml 설정입니다.

    spring.mail.username: ⟪EMAIL:free⟫
    spring.mail.password: ⟪S:pw⟫

서버 IP는 ⟪IP4⟫ 입니다. 535 인증 오류가 계속 납니다. 도와주세요!""",
)
T(
    "forum_post",
    "tr",
    "positive",
    """Arkadaşlar modemimin arayüzüne dışarıdan giriş denemeleri var, loglarda ⟪IP4⟫ ve ⟪IP4⟫ adresleri görünüyor. Admin şifrem ⟪S:pw⟫ idi, değiştirdim. Başka ne yapmam lazım?""",
)
T(
    "qa_post",
    "vi",
    "positive",
    """Hỏi: Không kết nối được MongoDB Atlas

Chuỗi kết nối của mình: mongodb+srv://⟪user⟫:⟪S:pwu⟫@cluster0.⟪b62:5⟫.mongodb.net/shop
Đã thêm IP ⟪IP4⟫ vào whitelist rồi mà vẫn timeout. Ai biết chỉ giúp với.""",
)
T(
    "docs_page",
    "ar",
    "positive",
    """## ربط التطبيق بواجهة الدفع

استخدم مفتاح API التالي في بيئة الاختبار: ⟪S:stripe_test⟫
يجب أن تأتي الطلبات من العنوان ⟪IP4⟫ فقط.
للاستفسار: ⟪EMAIL:corp⟫""",
)
T(
    "qa_post",
    "id",
    "positive",
    """Tanya: error "Authentication failed" saat push ke GitHub

Saya sudah pakai token: ⟪S:ghp⟫
Remote: https://github.com/⟪user⟫/tugas-akhir.git
Kenapa ya masih gagal? Makasih sebelumnya gan.""",
)
# --- extra hard negatives in more languages / formats
T(
    "forum_post",
    "pl",
    "documentation_ip",
    """W dokumentacji podają przykładowe adresy ⟪docip4⟫ i ⟪docip6⟫ – to zakresy z RFC, nie próbujcie się na nie łączyć 🙂 U mnie serwer stoi na ⟪priv4⟫.""",
)
T(
    "readme",
    "ru",
    "placeholders",
    """## Настройка

Скопируйте `config.example.yml` в `config.yml` и укажите свои значения:

    token: ⟪placeholder⟫
    password: ⟪placeholder⟫

Никогда не коммитьте настоящие ключи. Версия: ⟪ver⟫.""",
)
T(
    "docs_page",
    "ko",
    "publishable_keys",
    """## 클라이언트 키

브라우저에 노출되어도 되는 공개 키입니다.

    const stripe = Stripe('⟪pk_live⟫');

비밀 키(sk_로 시작)는 절대 프런트엔드에 넣지 마세요.""",
)
T(
    "blog_post",
    "pt",
    "password_hashes",
    """Como o WordPress guarda senhas? Olhe a tabela wp_users: o campo user_pass tem algo como `⟪bcrypt⟫` ou `⟪md5crypt⟫`. Isso é um hash, não a senha.""",
)
T(
    "qa_post",
    "zh",
    "version_numbers_oids",
    """问：升级到 ⟪ver⟫ 后启动报错

内核版本 ⟪int:4-6⟫.⟪int:1-19⟫.⟪int:300-999⟫.⟪int:1-99⟫，glibc 2.⟪int:28-39⟫，OID ⟪oid⟫ 无法解析。求助！""",
)
T(
    "chat_message",
    "ja",
    "loopback_localhost",
    """⟪first⟫：ローカルで動かしたけど http://localhost:⟪int:3000-9000⟫ に繋がらない
⟪first⟫：127.0.0.1 で試してみて。WSL だと ::1 の問題かも""",
)
T(
    "email",
    "fr",
    "bank_account_iban",
    """Objet : Coordonnées bancaires

Bonjour,
Merci d'effectuer le virement sur le compte suivant : ⟪iban⟫ (BIC ⟪alt:BNPAFRPP|SOGEFRPP|CRLYFRPP⟫). Référence : ⟪order⟫.
Cordialement, ⟪company⟫""",
)
T(
    "support_ticket",
    "es",
    "masked_card_number",
    """Caso #⟪int:10000-99999⟫ – Cargo duplicado
Tarjeta del cliente: ⟪maskcard⟫. Importe: ⟪money⟫. Se solicita reembolso del segundo cargo (referencia ⟪objid⟫).""",
)
T(
    "email",
    "it",
    "reserved_domain_email",
    """Oggetto: ambiente di test

Per i test di registrazione usate solo indirizzi tipo ⟪exemail⟫ o ⟪exemail⟫, non quelli dei clienti veri. Grazie, ⟪first⟫""",
)
T(
    "chat_message",
    "ar",
    "cgnat_shared_ip",
    """⟪first⟫: عنوان الـ WAN في الراوتر هو ⟪cgnat⟫ وفتح المنافذ لا يعمل
⟪first⟫: هذا عنوان CGNAT من مزود الخدمة، اطلب منهم عنوان IP عام""",
)
T(
    "wiki_page",
    "de",
    "private_ipv4",
    """== Netzplan Büro ==
* Router: ⟪priv4⟫
* NAS: ⟪priv4⟫ (Freigaben: scans, projekte)
* Drucker EG: ⟪priv4⟫
* Gäste-WLAN: eigenes VLAN ⟪int:10-99⟫, Netz 10.⟪int:0-255⟫.⟪int:0-255⟫.0/24""",
)
T(
    "docs_page",
    "en",
    "git_ssh_remote",
    """### Cloning

Use SSH if you have a key registered:

    git clone git@github.com:⟪word⟫/⟪word⟫.git
    git remote add upstream git@gitlab.com:⟪word⟫-mirror/⟪word⟫.git

Over HTTPS you will be prompted for a token; never put it in the URL.""",
)
T(
    "yaml_config",
    "en",
    "csrf_nonce_tokens",
    """# saved session state from the e2e runner (no credentials)
state:
  csrf_token: ⟪csrf⟫
  nonce: ⟪nonce⟫
  locale: ⟪alt:en|de|fr|ja⟫
  viewport: ⟪int:320-1920⟫x⟪int:480-1080⟫""",
)
T(
    "python_source",
    "en",
    "vault_accessors",
    """# revoke all tokens of the departed user by accessor (accessors are not tokens)
for acc in ["⟪accessor⟫", "⟪accessor⟫"]:
    client.auth.token.revoke_accessor(acc)
log.info("revoked %d accessors for %s", 2, "⟪user⟫")""",
)
T(
    "json_config",
    "en",
    "cache_keys",
    """{"cache": {"prefix": "⟪word⟫:", "keys": ["⟪cachekey⟫", "⟪cachekey⟫"], "ttl": ⟪int:60-3600⟫}}""",
)
T(
    "typescript_source",
    "en",
    "decorators_mentions",
    """import { Component } from '@angular/core';
import { HttpClient } from '@angular/common/http';

@Component({ selector: 'app-⟪word⟫', templateUrl: './⟪word⟫.component.html' })
export class ⟪alt:Cart|Profile|Search|Invoice⟫Component {
  constructor(private http: HttpClient) {}
  // ping @⟪user⟫ before changing the API contract
}""",
)
T("html_page", "en", "data_uri_base64", """<img alt="⟪word⟫ logo" width="⟪int:16-128⟫" src="⟪datauri⟫">""")
T(
    "markdown_table",
    "en",
    "multicast_broadcast_ip",
    """| Purpose | Address |
|---|---|
| mDNS | 224.0.0.251 |
| SSDP | 239.255.255.250 |
| custom stream | ⟪mcast⟫ |
| netmask | ⟪mask⟫ |""",
)
T(
    "k8s_manifest",
    "en",
    "container_image_refs",
    """spec:
  containers:
    - name: app
      image: ghcr.io/⟪word⟫/app@⟪digest⟫
    - name: sidecar
      image: docker.io/envoyproxy/envoy:v1.⟪int:25-31⟫.⟪int:0-9⟫@⟪digest⟫""",
)
T(
    "blog_post",
    "en",
    "encrypted_ciphertext",
    """Encrypting secrets in git with SOPS

After `sops -e secrets.yaml` the file looks like this – safe to commit, only the KMS key can decrypt it:

    db_password: ENC[AES256_GCM,data:⟪b62:24⟫,iv:⟪b62:43⟫=,tag:⟪b62:22⟫==,type:str]
    sops:
        lastmodified: "⟪ts⟫"
        mac: ENC[AES256_GCM,data:⟪b62:43⟫,iv:⟪b62:43⟫=,tag:⟪b62:22⟫==,type:str]""",
)
T(
    "email",
    "en",
    "recaptcha_site_keys",
    """Subject: captcha on the contact form

Hi ⟪first⟫, I've added the reCAPTCHA widget. Site key (public, goes in the HTML): ⟪recaptcha⟫. The secret key is in the server env as RECAPTCHA_SECRET, not in this mail. Deployed ⟪date⟫.""",
)
T(
    "shell_session",
    "en",
    "analytics_tracking_ids",
    """$ grep -R "gtag(" public/ | head -3
public/index.html:  gtag('config', '⟪gaid⟫');
public/blog.html:  gtag('config', '⟪gaid⟫');
public/shop.html:  gtag('config', '⟪gaid⟫');""",
)
T(
    "syslog",
    "en",
    "link_local_ip",
    """⟪alt:Jan|Feb|Mar⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ ⟪host⟫ avahi-daemon[⟪int:100-999⟫]: Joining mDNS multicast group on interface eth0.IPv6 with address ⟪ll6⟫.
⟪alt:Jan|Feb|Mar⟫ ⟪int:10-28⟫ ⟪time⟫:⟪int:10-59⟫ ⟪host⟫ avahi-daemon[⟪int:100-999⟫]: Registering new address record for ⟪ll4⟫ on eth0.IPv4.""",
)
# ===== extra web / docs / logs =====
T(
    "qa_post",
    "en",
    "positive",
    """Q: Laravel "No application encryption key has been specified" after deploy

My .env on the server:

    APP_ENV=production
    APP_KEY=base64:⟪S:laravel⟫
    DB_HOST=⟪IP4⟫
    DB_PASSWORD=⟪S:pw⟫

I ran `php artisan config:cache` already. What else?

A: You cached config before the .env was in place. Run `php artisan config:clear`. And rotate that APP_KEY, it's now public.""",
)
T(
    "forum_post",
    "en",
    "positive",
    """Re: Minecraft server keeps getting griefed

whitelist is on now. rcon password was literally in server.properties on the public github repo 🤦 `rcon.password=⟪S:pw⟫`. server ip is ⟪IP4⟫ if u wanna join, ask ⟪user⟫ for whitelist""",
)
T(
    "issue_comment",
    "en",
    "positive",
    """Thanks for the report. I've reproduced it on ⟪ver⟫. For what it's worth, the config you attached still contains a live-looking token (`⟪S:vendor⟫`) - please revoke it, GitHub issues are indexed by search engines.""",
)
T(
    "docs_page",
    "de",
    "positive",
    """## Anbindung an das Warenwirtschaftssystem

Der Import-Job verbindet sich per SFTP mit ⟪IP4⟫ (Benutzer `wawi-import`, Passwort `⟪S:pw⟫`).
Fehlermeldungen gehen automatisch an ⟪EMAIL:corp⟫.
Für Tests bitte nur die Adresse ⟪exemail⟫ verwenden.""",
)
T(
    "wiki_page",
    "en",
    "positive",
    """= Runbook: restore from backup =

# Stop the app: `systemctl stop ⟪word⟫`
# Fetch the latest dump from the backup box (⟪IP4⟫): `scp backup@⟪IP4⟫:/srv/dumps/latest.sql.gz .`
# Restore: `gunzip -c latest.sql.gz | mysql -u root -p'⟪S:pw⟫' ⟪word⟫`
# Start the app and check /health.
Escalation: ⟪EMAIL:corp⟫""",
)
T(
    "blog_post",
    "es",
    "positive",
    """Cómo automaticé mis facturas con Python

El script se conecta al correo (⟪EMAIL:free⟫) con una contraseña de aplicación (⟪S:pw⟫ — ya la revoqué, tranquilos) y descarga los PDF. Luego los sube a un servidor propio en ⟪IP4⟫.""",
)
T(
    "html_page",
    "en",
    "positive",
    """<!-- contact page -->
<section id="team">
  <div class="member"><h4>⟪full⟫</h4><p>Managing Director</p><a href="mailto:⟪EMAIL:corp⟫">⟪alt:E-mail|Email|Mail⟫</a></div>
  <div class="member"><h4>⟪full⟫</h4><p>Head of Sales</p><a href="mailto:⟪EMAIL:corp⟫">⟪alt:E-mail|Email|Mail⟫</a></div>
  <div class="member"><h4>⟪full⟫</h4><p>Support</p><a href="mailto:⟪EMAIL:corp⟫">⟪alt:E-mail|Email|Mail⟫</a></div>
</section>""",
)
T(
    "docs_page",
    "en",
    "positive",
    """Allow-listing our egress IPs

If your firewall restricts inbound traffic, allow the following addresses used by our webhook workers:

* ⟪IP4⟫
* ⟪IP4⟫
* ⟪IP4⟫
* ⟪IP6⟫

These addresses are stable; we announce changes at least ⟪int:14-60⟫ days in advance.""",
)
T(
    "qa_post",
    "en",
    "positive",
    """How do I make `git push` stop asking for my password?

I tried storing it in the URL like `https://⟪user⟫:⟪S:pwu⟫@bitbucket.org/⟪word⟫/api.git` but Bitbucket now wants an app password...

A: Bitbucket app passwords / API tokens look like `⟪S:bitbucket⟫` - use that instead of your account password and put it into the credential helper, not the URL.""",
)
T(
    "readme",
    "fr",
    "positive",
    """# Déploiement

Serveur de prod : `⟪IP4⟫`
Compte de service : `deploy` / `⟪S:pw⟫`
Jeton GitLab pour le registre : `⟪S:glpat⟫`
Contact : ⟪EMAIL:corp⟫""",
)
T(
    "docs_page",
    "en",
    "password_policy_text",
    """## Choosing a strong passphrase

A passphrase of several random words is easier to remember and harder to guess than a short complex password. Use a password manager to generate it, never reuse it, and enable two-factor authentication. Minimum length for admin accounts: ⟪int:14-24⟫ characters.""",
)
T(
    "qa_post",
    "en",
    "secret_variable_no_value",
    """Q: How to read a password in bash without echoing it?

A: `read -rs -p "Password: " PASS; echo` – the value ends up in $PASS. Pass it to tools via stdin (`--password-stdin`) instead of the command line, otherwise it shows up in `ps` and in your history (⟪int:2-90⟫ upvotes).""",
)
T(
    "forum_post",
    "en",
    "usernames_only",
    """[⟪date⟫] Looking for teammates! My Steam name is ⟪user⟫, Discord ⟪user⟫#⟪int:1000-9999⟫. EU servers, evenings after ⟪time⟫.""",
)
T(
    "html_page",
    "en",
    "reserved_domain_email",
    """<form>
  <label>Email <input type="email" placeholder="⟪exemail⟫"></label>
  <label>Password <input type="password" placeholder="at least ⟪int:8-16⟫ characters"></label>
  <small>Example: jane.doe@example.org</small>
</form>""",
)
T(
    "app_log",
    "de",
    "positive",
    """⟪ts⟫ FEHLER Anmeldung fehlgeschlagen für Benutzer ⟪EMAIL⟫ von ⟪IP4⟫ (Grund: falsches Passwort)
⟪ts⟫ FEHLER Anmeldung fehlgeschlagen für Benutzer ⟪EMAIL⟫ von ⟪IP4⟫ (Grund: Konto gesperrt)
⟪ts⟫ INFO  Anmeldung erfolgreich für Benutzer ⟪exemail⟫ von ⟪priv4⟫""",
)
T(
    "shell_session",
    "en",
    "positive",
    """$ redis-cli -h ⟪IP4⟫ -a '⟪S:b62_32⟫' INFO server | head -3
Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.
# Server
redis_version:7.⟪int:0-4⟫.⟪int:0-9⟫""",
)
T(
    "app_log",
    "en",
    "timestamps_dates_numbers",
    """⟪ts⟫ INFO batch ⟪int:1000-9999⟫ processed ⟪int:100000-999999⟫ rows in ⟪int:1-900⟫.⟪int:100-999⟫s (⟪int:1000-9999⟫ rows/s), heap ⟪int:100-900⟫MB, gc ⟪int:1-99⟫ms""",
)


# ---------------------------------------------------------------- build
def build():
    records = []
    seen = set()
    neg_i = 0
    for ti, (ctx, lang, cat, tpl, n) in enumerate(TEMPLATES, 1):
        # variants per template: 3 for positives; 3 for hard negatives, every 7th negative template 4
        if cat == "positive":
            n = 3
        else:
            n = 4 if neg_i % 7 == 0 else 3
            neg_i += 1
        for vi in range(1, n + 1):
            for attempt in range(200):
                text, spans = render(tpl, lang)
                rec = {
                    "id": "t24-%d-%d" % (ti, vi),
                    "text": text,
                    "lang": lang,
                    "context": ctx,
                    "category": cat,
                    "spans": [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in spans],
                }
                errs = check_record(rec, spans)
                if not errs and text not in seen:
                    break
            else:
                raise SystemExit("template %d (%s/%s) cannot be rendered cleanly: %s" % (ti, ctx, cat, errs))
            seen.add(text)
            rec["_meta"] = spans
            records.append(rec)
    return records


def final_checks(records):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts)), "duplicate texts"
    for r in records:
        errs = check_record(r, r["_meta"])
        assert not errs, (r["id"], errs)
        assert r["lang"] and r["context"] and r["category"]
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"])
            assert s["entity"] in ("EMAIL_ADDRESS", "IP_ADDRESS", "CREDIT_CARD", "SECRET")


def summary(records):
    ent = Counter()
    cats = Counter()
    langs = Counter()
    ctxs = Counter()
    fmts = Counter()
    for r in records:
        cats[r["category"]] += 1
        langs[r["lang"]] += 1
        ctxs[r["context"]] += 1
        for s in r["spans"]:
            ent[s["entity"]] += 1
        for m in r["_meta"]:
            if m["entity"] == "SECRET":
                fmts[m["_k"]] += 1
    vendor_used = set()
    for r in records:
        for m in r["_meta"]:
            if m["_k"] in VENDOR:
                vendor_used.add(m["_k"])
            elif m["_k"] == "vendor":
                pass
    pos = sum(1 for r in records if r["category"] == "positive")
    print("records: %d  (positive %d, hard negative %d)" % (len(records), pos, len(records) - pos))
    print("templates: %d" % len(TEMPLATES))
    print("spans per entity:", dict(ent), " total", sum(ent.values()))
    print("hard-negative categories (%d):" % (len(cats) - 1))
    for k, v in sorted(cats.items(), key=lambda kv: (-kv[1], kv[0])):
        print("   %-28s %d" % (k, v))
    print("languages (%d):" % len(langs), dict(sorted(langs.items(), key=lambda kv: -kv[1])))
    print("contexts (%d):" % len(ctxs), dict(sorted(ctxs.items(), key=lambda kv: -kv[1])))
    print("named vendor token formats used directly (%d):" % len(vendor_used), " ".join(sorted(vendor_used)))
    print("secret value kinds:", dict(sorted(fmts.items(), key=lambda kv: -kv[1])))
    return ent, cats, langs, vendor_used


def main():
    records = build()
    final_checks(records)
    ent, cats, langs, vendor_used = summary(records)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset24.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for r in records:
            r = {k: v for k, v in r.items() if k != "_meta"}
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
