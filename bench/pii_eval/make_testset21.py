#!/usr/bin/env python3
"""Generator for PII test set 21 (a blind, independently written evaluation set).

What it does
------------
Builds ~1200 labelled records for a PII/secret detector and writes them to
``pii_testset21.jsonl`` next to this script (one JSON object per line, UTF-8,
``ensure_ascii=False``).  Entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD,
SECRET.  Everything is synthetic: every e-mail, IP, card number, password,
token and key is generated here with ``random.Random(212121)`` (fully
deterministic; standard library only).  Vendor tokens only imitate the public
*format* of real vendors (GitHub, GitLab, Slack, Stripe, AWS, Google, OpenAI,
Anthropic, SendGrid, ... more than 80 formats); none is a real key.

Templates are written with a tiny placeholder language: ``§kind§`` or
``§kind:tag§`` (the same tag re-uses one value inside a record).  Each kind is
either *labelled* (its value becomes a span with a fixed entity) or
*unlabelled* (a hard-negative look-alike: private/documentation IPs,
example-domain e-mails, masked or Luhn-invalid numbers, publishable keys,
password hashes, CSRF tokens, UUIDs, ...).  Spans are recorded at insertion
time (no searching afterwards).  A template with no labelled kind is a hard
negative and carries a snake_case category; the others are "positive".
There are >300 templates: code and configuration in many languages, web pages,
READMEs, Q&A posts, logs, shell sessions, HTTP traffic, tables, combo lists,
and e-mails/chats/tickets/notes in ~40 natural languages.

Checks (all fatal assertions, run on the final data before writing)
-------------------------------------------------------------------
* text[start:end] equals the inserted value for every span; spans sorted,
  non-overlapping, inside the text; positives have >=1 span, negatives none.
* every IP span parses, is ``is_global`` and outside the documentation ranges
  (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32) and multicast.
* every CREDIT_CARD span is Luhn-valid with a real brand prefix and length.
* every EMAIL_ADDRESS span is a syntactically valid address whose domain is not
  reserved (example.com/.org/.net, .test, .invalid, .localhost, .example).
* every SECRET span: no EXAMPLE/example/xxxx/your_ markers; passwords (the
  password kinds) have >=8 chars, mix >=2 character classes (or are 3+ word
  passphrases with digits), never start with a symbol and never end in
  . , ! ? : ;  -- and no span starts/ends with whitespace.
* ids unique, no text repeated, languages/contexts/categories non-empty.
* a simple scanner over every negative text and over the *unlabelled* parts of
  every positive text (labelled spans masked with a block character) finds no
  public IPv4 or IPv6, no Luhn-valid brand-prefixed 12-19 digit number (plain or
  grouped with single spaces/dashes; every contiguous run of groups is tried),
  and no e-mail on a non-reserved domain.  No category-specific exceptions are
  needed: generators for unlabelled look-alikes are rejection-sampled until
  the scanner is clean (records are regenerated otherwise).
* minimum sizes of the brief (records, spans per entity, negatives,
  negative categories, languages, templates, vendor formats).
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

SEED = 212121
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "pii_testset21.jsonl")

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
AN = LOW + UP + DIG
HEX = "0123456789abcdef"
B64 = AN + "+/"
URLS = AN + "-_"


def rs(n, alpha=AN):
    return "".join(R.choice(alpha) for _ in range(n))


def rs_edge(n, alpha):
    """Random string whose first and last characters are alphanumeric."""
    return R.choice(AN) + rs(n - 2, alpha) + R.choice(AN)


def hexs(n):
    return rs(n, HEX)


def digits(n):
    return R.choice("123456789") + rs(n - 1, DIG)


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def b64(b):
    return base64.b64encode(b).decode()


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


# --------------------------------------------------------------------------
# word lists (hand written)
# --------------------------------------------------------------------------
WORDS = (
    "amber anchor apricot atlas badger bamboo beacon birch bison blossom "
    "canyon cedar cobalt comet copper coral cricket crystal delta dune "
    "ember falcon fern fjord galaxy garnet glacier granite harbor hazel "
    "heron indigo island jasper juniper kettle lagoon lantern lemon lilac "
    "maple marble meadow meteor mosaic nectar nimbus oasis olive onyx orbit "
    "otter pebble pepper pine plume prairie quartz quill raven reef ripple "
    "saffron sapphire sierra silver spruce summit tango thistle timber "
    "topaz tundra velvet violet walnut willow zephyr"
).split()
FIRST_EN = (
    "james olivia liam emma noah ava lucas mia ethan sofia mason chloe "
    "logan grace owen ruby caleb nora aaron ella isaac hannah julian "
    "leah miles zoe felix clara hugo ines marco elena tomas anna"
).split()
LAST_EN = (
    "smith johnson brown garcia miller davis wilson moore taylor clark "
    "walker young allen king wright scott green baker adams nelson hill "
    "campbell mitchell roberts carter phillips evans turner torres parker "
    "collins edwards stewart morris murphy cook rogers morgan peterson "
    "cooper reed bailey bell kelly howard ward cox richardson wood watson "
    "brooks bennett gray james hughes price sanders myers long ross foster "
    "novak schmidt weber fischer dubois lambert rossi ricci silva santos "
    "jansen visser nilsson larsen virtanen kowalski horvat popescu yilmaz"
).split()
CO_A = (
    "north blue bright cloud data green iron lumen nova pixel quantum rapid "
    "silver stone swift terra urban vector alpha core delta fusion harbor "
    "kite maple nimbus orbit polar prime river summit zen atlas cobalt"
).split()
CO_B = (
    "labs works systems soft ware tech logic forge byte stack net hub "
    "media print market health cargo foods motion metrics point grid "
    "craft studio scale ops mint"
).split()
TLDS = (
    "com com com net org io co de fr es it nl se pl com.br co.uk co.jp ru "
    "in com.au ch at be dk fi no cz gr com.tr mx ca co.kr cn vn co.id ae "
    "co.za ie pt ro hu co.il com.ar cl sk lt hr rs bg"
).split()
FREEMAIL = (
    "gmail.com outlook.com yahoo.com hotmail.com proton.me gmx.de web.de "
    "mail.ru yandex.ru qq.com 163.com naver.com yahoo.co.jp libero.it "
    "orange.fr free.fr seznam.cz wp.pl t-online.de icloud.com "
    "rediffmail.com uol.com.br gmx.at o2.pl abv.bg ukr.net"
).split()
ROLES = (
    "info support billing hr jobs security noc admin sales contact office "
    "accounts helpdesk devops finance press privacy legal"
).split()

# Names per language: "first full;first full;..."  (first is used in greetings)
NAMES_RAW = {
    "en": "James:James Walker;Olivia:Olivia Bennett;Noah:Noah Fischer;Grace:Grace Howard;Owen:Owen Reed",
    "de": "Jonas:Jonas Becker;Lena:Lena Hoffmann;Felix:Felix Wagner;Marie:Marie Schulz;Tobias:Tobias Krüger",
    "fr": "Camille:Camille Lefèvre;Julien:Julien Moreau;Léa:Léa Fontaine;Hugo:Hugo Garnier;Chloé:Chloé Mercier",
    "es": "Lucía:Lucía Fernández;Javier:Javier Morales;Carmen:Carmen Ortega;Diego:Diego Navarro;Sofía:Sofía Ramos",
    "it": "Giulia:Giulia Conti;Matteo:Matteo Ferri;Chiara:Chiara Galli;Luca:Luca Marchetti;Sara:Sara De Luca",
    "pt": "Ana:Ana Carvalho;João:João Pereira;Beatriz:Beatriz Lima;Rafael:Rafael Souza;Mariana:Mariana Rocha",
    "nl": "Sanne:Sanne de Vries;Daan:Daan Bakker;Emma:Emma Visser;Thijs:Thijs Mulder;Fleur:Fleur Smit",
    "sv": "Elin:Elin Lindqvist;Oskar:Oskar Berg;Maja:Maja Holm;Viktor:Viktor Ek;Ida:Ida Sandberg",
    "da": "Freja:Freja Møller;Mads:Mads Kristensen;Ida:Ida Poulsen;Rasmus:Rasmus Holm;Sofie:Sofie Lund",
    "nb": "Ingrid:Ingrid Haugen;Sindre:Sindre Berg;Nora:Nora Solberg;Henrik:Henrik Dahl;Thea:Thea Lie",
    "fi": "Aino:Aino Virtanen;Eetu:Eetu Mäkinen;Sanna:Sanna Heikkinen;Joni:Joni Laine;Veera:Veera Koski",
    "pl": "Kasia:Katarzyna Wójcik;Piotr:Piotr Zieliński;Ola:Aleksandra Nowak;Marek:Marek Lewandowski;Zosia:Zofia Kamińska",
    "cs": "Tereza:Tereza Dvořáková;Jakub:Jakub Novák;Eliška:Eliška Svobodová;Ondřej:Ondřej Černý;Petr:Petr Procházka",
    "sk": "Zuzana:Zuzana Horváthová;Martin:Martin Kováč;Lucia:Lucia Baláž;Tomáš:Tomáš Varga;Jana:Jana Tóthová",
    "hu": "Eszter:Nagy Eszter;Bence:Kovács Bence;Réka:Szabó Réka;Gergő:Tóth Gergő;Anna:Varga Anna",
    "ro": "Ioana:Ioana Popa;Andrei:Andrei Ionescu;Elena:Elena Dumitrescu;Mihai:Mihai Stan;Raluca:Raluca Marin",
    "tr": "Elif:Elif Yıldız;Emre:Emre Demir;Zeynep:Zeynep Kaya;Burak:Burak Şahin;Ayşe:Ayşe Çelik",
    "el": "Μαρία:Μαρία Παπαδοπούλου;Νίκος:Νίκος Γεωργίου;Ελένη:Ελένη Δημητρίου;Γιώργος:Γιώργος Νικολάου",
    "ru": "Анна:Анна Смирнова;Дмитрий:Дмитрий Кузнецов;Ольга:Ольга Попова;Сергей:Сергей Волков;Ирина:Ирина Соколова",
    "uk": "Олена:Олена Шевченко;Андрій:Андрій Коваленко;Марія:Марія Бондаренко;Тарас:Тарас Мельник",
    "bg": "Мария:Мария Иванова;Георги:Георги Петров;Елена:Елена Димитрова;Иван:Иван Стоянов",
    "sr": "Милица:Милица Јовановић;Никола:Никола Петровић;Јелена:Јелена Николић;Марко:Марко Ђорђевић",
    "hr": "Ana:Ana Horvat;Ivan:Ivan Kovačević;Petra:Petra Babić;Luka:Luka Marić",
    "lt": "Eglė:Eglė Kazlauskienė;Tomas:Tomas Petrauskas;Rūta:Rūta Jankauskaitė;Mantas:Mantas Stankevičius",
    "ca": "Laia:Laia Puig;Jordi:Jordi Vila;Núria:Núria Soler;Pau:Pau Ferrer",
    "ar": "أحمد:أحمد الخطيب;فاطمة:فاطمة الزهراني;عمر:عمر حداد;ليلى:ليلى منصور",
    "he": "נועה:נועה כהן;איתי:איתי לוי;מיכל:מיכל מזרחי;יונתן:יונתן פרץ",
    "fa": "سارا:سارا محمدی;علی:علی رضایی;مریم:مریم حسینی;رضا:رضا کریمی",
    "ur": "عائشہ:عائشہ خان;بلال:بلال احمد;زینب:زینب ملک;عمران:عمران شیخ",
    "hi": "प्रिया:प्रिया शर्मा;राहुल:राहुल वर्मा;अनीता:अनीता गुप्ता;विक्रम:विक्रम सिंह",
    "bn": "রিয়া:রিয়া দাস;অর্ণব:অর্ণব সেন;তানিয়া:তানিয়া রহমান;সৌরভ:সৌরভ ঘোষ",
    "ta": "கவியா:கவியா முருகன்;அருண்:அருண் குமார்;மீனா:மீனா ராஜ்;கார்த்திக்:கார்த்திக் சுந்தர்",
    "th": "สมชาย:สมชาย ใจดี;สุภาพร:สุภาพร ศรีสุข;ธนา:ธนา วงศ์ไทย;นภา:นภา รัตนกุล",
    "vi": "Lan:Nguyễn Thị Lan;Minh:Trần Văn Minh;Hương:Lê Thu Hương;Tuấn:Phạm Anh Tuấn",
    "id": "Dewi:Dewi Lestari;Budi:Budi Santoso;Rina:Rina Wulandari;Agus:Agus Pratama",
    "ms": "Aisyah:Nur Aisyah;Hafiz:Muhammad Hafiz;Farah:Farah Aziz;Imran:Imran Hakim",
    "zh": "小明:王小明;丽娜:李丽娜;伟:张伟;静:刘静",
    "ja": "佐藤:佐藤 花子;鈴木:鈴木 一郎;高橋:高橋 美咲;田中:田中 健太",
    "ko": "민준:김민준;서연:이서연;지호:박지호;하은:최하은",
    "sw": "Amani:Amani Mwangi;Neema:Neema Otieno;Baraka:Baraka Kamau;Zawadi:Zawadi Njeri",
    "tl": "Maria:Maria Santos;Jose:Jose Reyes;Andrea:Andrea Cruz;Paolo:Paolo Bautista",
}
NAMES = {k: [tuple(p.split(":")) for p in v.split(";")] for k, v in NAMES_RAW.items()}


def company():
    return R.choice(CO_A) + R.choice(CO_B)


def domain():
    c = company()
    if R.random() < 0.25:
        c = c + "-" + R.choice(["group", "gmbh", "corp", "online", "global", "eu"])
    return c + "." + R.choice(TLDS)


def username():
    f, l = R.choice(FIRST_EN), R.choice(LAST_EN)
    return R.choice(
        [
            f + "." + l,
            f[0] + l,
            f + "_" + l[:3],
            l + str(R.randint(2, 99)),
            "svc_" + R.choice(["backup", "deploy", "etl", "report", "sync"]),
            R.choice(["deploy", "ops", "builder", "dbadmin", "webapp", "app_rw"]) + str(R.randint(1, 9)),
            f + str(R.randint(70, 99)),
        ]
    )


def email_local():
    f, l = R.choice(FIRST_EN), R.choice(LAST_EN)
    return R.choice(
        [
            f + "." + l,
            f[0] + "." + l,
            f + l[0],
            f + "_" + l,
            l + "." + f,
            f + str(R.randint(1, 99)),
            f + "." + l + str(R.randint(1, 9)),
        ]
    )


def email():
    r = R.random()
    if r < 0.4:
        return email_local() + "@" + R.choice(FREEMAIL)
    if r < 0.85:
        return email_local() + "@" + domain()
    return R.choice(ROLES) + "@" + domain()


RESERVED_SUFFIX = ("example.com", "example.org", "example.net")
RESERVED_TLD = ("test", "invalid", "localhost", "example")


def reserved_domain(d):
    d = d.lower().rstrip(".")
    if any(d == s or d.endswith("." + s) for s in RESERVED_SUFFIX):
        return True
    return d.rsplit(".", 1)[-1] in RESERVED_TLD


def ex_email():
    d = R.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "shop.test",
            "corp.example",
            "demo.invalid",
            "example.com",
            "dev.localhost",
        ]
    )
    return (
        R.choice(
            [
                email_local(),
                "user",
                "test.user",
                "jane.doe",
                "john.doe",
                "alice",
                "bob",
                "noreply",
                "qa+" + str(R.randint(1, 999)),
            ]
        )
        + "@"
        + d
    )


# --------------------------------------------------------------------------
# IP addresses
# --------------------------------------------------------------------------
DOC4 = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
DOC6 = ipaddress.ip_network("2001:db8::/32")


def ip_is_public(s):
    a = ipaddress.ip_address(s)
    if a.is_multicast or not a.is_global:
        return False
    if a.version == 4:
        return not any(a in n for n in DOC4)
    return a not in DOC6


def ip4():
    while True:
        s = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if ip_is_public(s):
            return s


V6P = [
    "2001:4860",
    "2a00:1450",
    "2a01:4f8",
    "2a02:c207",
    "2604:a880",
    "2606:4700",
    "2607:f8b0",
    "2620:fe",
    "2400:cb00",
    "2403:5800",
    "2404:6800",
    "2800:3f0",
    "2c0f:fb50",
    "2a0e:97c0",
    "2a03:2880",
    "2600:1f18",
    "2a05:d014",
]


def ip6():
    while True:
        head = R.choice(V6P)
        n = 8 - len(head.split(":"))
        groups = []
        for i in range(n):
            groups.append("0" if (R.random() < 0.3 and i < n - 1) else "%x" % R.randrange(1, 0x10000))
        s = str(ipaddress.ip_address(head + ":" + ":".join(groups)))
        if ip_is_public(s):
            return s


def priv4():
    r = R.random()
    if r < 0.4:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
    if r < 0.7:
        return "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254))
    if r < 0.92:
        return "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254))
    return "100.%d.%d.%d" % (R.randint(64, 127), R.randint(0, 255), R.randint(1, 254))


def priv6():
    if R.random() < 0.5:
        return str(
            ipaddress.ip_address(
                "fd%02x:%x:%x::%x"
                % (R.randrange(256), R.randrange(1, 65536), R.randrange(65536), R.randrange(1, 65536))
            )
        )
    return str(ipaddress.ip_address("fe80::%x:%x:%x:%x" % tuple(R.randrange(1, 65536) for _ in range(4))))


def doc4():
    n = R.choice(DOC4)
    return str(n.network_address + R.randint(1, 254))


def doc6():
    return str(ipaddress.ip_address("2001:db8:%x::%x" % (R.randrange(65536), R.randrange(1, 65536))))


def loop4():
    return R.choice(
        [
            "127.0.0.1",
            "0.0.0.0",
            "127.0.0.53",
            "127.0.1.1",
            "::1",
            "169.254.169.254",
            "169.254.%d.%d" % (R.randint(1, 254), R.randint(1, 254)),
            "239.255.255.250",
            "224.0.0.251",
            "127.0.0.%d" % R.randint(2, 254),
        ]
    )


# --------------------------------------------------------------------------
# payment cards
# --------------------------------------------------------------------------
def luhn_ok(num):
    s = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return s % 10 == 0


def luhn_complete(partial):
    for c in DIG:
        if luhn_ok(partial + c):
            return partial + c


# brand: (prefix ranges as (lo, hi, prefix_len), lengths)
CARD_RULES = {
    "visa": ([(4, 4, 1)], (13, 16, 19)),
    "mastercard": ([(51, 55, 2), (2221, 2720, 4)], (16,)),
    "amex": ([(34, 34, 2), (37, 37, 2)], (15,)),
    "discover": ([(6011, 6011, 4), (644, 649, 3), (65, 65, 2), (622126, 622925, 6)], (16, 17, 18, 19)),
    "jcb": ([(3528, 3589, 4)], (16, 17, 18, 19)),
    "diners": ([(300, 305, 3), (36, 36, 2), (38, 39, 2), (3095, 3095, 4)], (14, 16, 17, 18, 19)),
    "unionpay": ([(62, 62, 2), (81, 81, 2)], (16, 17, 18, 19)),
    "maestro": (
        [
            (5018, 5018, 4),
            (5020, 5020, 4),
            (5038, 5038, 4),
            (5893, 5893, 4),
            (6304, 6304, 4),
            (6759, 6759, 4),
            (6761, 6763, 4),
            (50, 50, 2),
            (56, 58, 2),
            (67, 67, 2),
        ],
        tuple(range(12, 20)),
    ),
    "mir": ([(2200, 2204, 4)], (16, 17, 18, 19)),
    "rupay": ([(60, 60, 2), (508, 508, 3), (652, 653, 3)], (16,)),
}


def card_brand(num):
    for brand, (ranges, lens) in CARD_RULES.items():
        if len(num) not in lens:
            continue
        for lo, hi, pl in ranges:
            if lo <= int(num[:pl]) <= hi:
                return brand
    return None


GEN_BRANDS = [
    ("visa", ["4"], 16, "4444"),
    ("visa", ["4"], 16, "4444"),
    ("visa", ["4"], 16, "4444"),
    ("mastercard", [str(x) for x in range(51, 56)], 16, "4444"),
    ("mastercard", [str(x) for x in range(2221, 2721)], 16, "4444"),
    ("mastercard", [str(x) for x in range(51, 56)], 16, "4444"),
    ("amex", ["34", "37"], 15, "465"),
    ("discover", ["6011", "65"] + [str(x) for x in range(644, 650)], 16, "4444"),
    ("jcb", [str(x) for x in range(3528, 3590)], 16, "4444"),
    ("diners", ["36", "300", "305"], 14, "464"),
    ("unionpay", ["62"], 16, "4444"),
    ("mir", ["2200", "2201", "2202", "2204"], 16, "4444"),
    ("visa", ["4"], 19, "44443"),
]


def card(brand=None, fmt=None):
    opts = [g for g in GEN_BRANDS if brand is None or g[0] == brand]
    b, prefixes, length, groups = R.choice(opts)
    p = R.choice(prefixes)
    num = luhn_complete(p + rs(length - len(p) - 1, DIG))
    assert card_brand(num), num
    fmt = fmt or R.choice(["plain", "space", "space", "dash"])
    if fmt == "plain":
        return num
    sep = " " if fmt == "space" else "-"
    out, i = [], 0
    for g in groups:
        out.append(num[i : i + int(g)])
        i += int(g)
    return sep.join(out)


def bad_luhn():
    while True:
        c = card().replace(" ", "").replace("-", "")
        last = str((int(c[-1]) + R.randint(1, 9)) % 10)
        bad = c[:-1] + last
        if not luhn_ok(bad):
            return " ".join(bad[i : i + 4] for i in range(0, len(bad), 4)) if R.random() < 0.5 else bad


def masked_cc():
    l4 = rs(4, DIG)
    return R.choice(
        [
            "**** **** **** " + l4,
            "XXXX-XXXX-XXXX-" + l4,
            "•••• " + l4,
            "************" + l4,
            R.choice(["4", "5", "37"]) + "**********" + l4,
            "VISA ending in " + l4,
            "Mastercard ···· " + l4,
            "xxxx xxxx xxxx " + l4,
        ]
    )


# --------------------------------------------------------------------------
# passwords and secrets
# --------------------------------------------------------------------------
PW_SYM = "!#*-_+=.^~@%"


def _classes(s):
    return sum([any(c.islower() for c in s), any(c.isupper() for c in s), any(c.isdigit() for c in s)])


def password(sym=PW_SYM, lo=10, hi=16):
    while True:
        if R.random() < 0.45:
            w1, w2 = R.choice(WORDS), R.choice(WORDS)
            num = R.choice([R.randint(10, 99), R.randint(100, 999), R.randint(3000, 9999)])  # never a year
            s = w1.capitalize() + (R.choice(sym) if sym else "") + w2 + str(num)
            if R.random() < 0.5:
                s = s[::-1].swapcase()[::-1]
        else:
            n = R.randint(lo, hi)
            pool = AN + sym
            s = R.choice(AN) + "".join(R.choice(pool) for _ in range(n - 2)) + R.choice(AN)
        if len(s) >= 8 and _classes(s) >= 2 and s[0].isalnum() and s[-1].isalnum() and w_ok(s):
            return s


def w_ok(s):
    low = s.lower()
    return not any(b in low for b in ("example", "xxxx", "your_", "passw", "qwerty", "1234"))


def passphrase():
    sep = R.choice("-._ ") if R.random() < 0.3 else R.choice("-._")
    ws = [R.choice(WORDS) for _ in range(R.randint(3, 4))]
    if R.random() < 0.4:
        ws = [w.capitalize() for w in ws]
    ws.insert(R.randint(1, len(ws)), str(R.randint(2, 999)))
    return sep.join(ws)


def pin_code():
    while True:
        s = rs(R.randint(6, 8), UP + DIG)
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def pem_block(label, prefix, nchars, width=64):
    body = prefix + rs(nchars - len(prefix), B64)
    pad = R.choice(["", "=", "=="])
    body = body[: len(body) - len(pad)] + pad
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----" % (label, "\n".join(lines), label)


def rsa_key():
    return pem_block(
        "RSA PRIVATE KEY",
        R.choice(["MIIEpAIBAAKCAQEA", "MIIEowIBAAKCAQEA", "MIICXQIBAAKBgQC"]),
        R.choice([812, 1588, 1624]),
    )


def ec_key():
    return pem_block("EC PRIVATE KEY", "MHcCAQEEI", 160)


def pkcs8_key():
    return pem_block(
        "PRIVATE KEY",
        R.choice(
            ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQ"]
        ),
        1620,
    )


def ossh_key():
    return pem_block(
        "OPENSSH PRIVATE KEY",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACA",
        R.choice([396, 399]),
        width=70,
    )


def jwt(alg=None, claims=None):
    alg = alg or R.choice(["HS256", "HS256", "RS256", "ES256"])
    now = R.randint(1650000000, 1760000000)
    payload = {
        "sub": R.choice([str(R.randint(1000, 9999999)), rs(8, LOW + DIG) + "-" + rs(4, LOW + DIG)]),
        "iat": now,
        "exp": now + R.choice([900, 3600, 86400, 604800]),
    }
    if claims:
        payload.update(claims)
    elif R.random() < 0.6:
        payload[R.choice(["role", "scope", "tenant", "aud"])] = R.choice(
            ["admin", "service", "read:all write:all", "api", "billing"]
        )
    sig = b64u(rbytes({"HS256": 32, "RS256": 256, "ES256": 64}[alg]))
    return (
        b64u(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
        + "."
        + b64u(json.dumps(payload, separators=(",", ":")).encode())
        + "."
        + sig
    )


def discord_bot():
    return b64u(str(R.randint(10**17, 10**18 * 9)).encode()) + "." + rs(6, URLS) + "." + rs(38, URLS)


def basic_auth():
    return b64((username() + ":" + password(sym="-_.")).encode())


def mapbox(prefix):
    u = R.choice(FIRST_EN) + R.choice(LAST_EN)
    return (
        prefix
        + "."
        + b64u(json.dumps({"u": u, "a": rs(25, LOW + DIG)}, separators=(",", ":")).encode())
        + "."
        + rs(22, URLS)
    )


def aws_secret():
    while True:
        s = rs_edge(40, AN + "/+")
        if w_ok(s):
            return s


def azure_cs():
    return rs(3, AN) + R.choice(["8Q~", "7Q~"]) + rs(33, AN + "-_.~") + R.choice(AN)


def openai_key():
    if R.random() < 0.5:
        return "sk-" + rs(20) + "T3BlbkFJ" + rs(20)
    return "sk-proj-" + rs(74, URLS) + "T3BlbkFJ" + rs(74, URLS) + R.choice(AN)


# Labelled kinds: name -> (generator, entity, vendor-format label or None)
S = "SECRET"
LABELLED = {
    "email": (email, "EMAIL_ADDRESS", None),
    "email_free": (lambda: email_local() + "@" + R.choice(FREEMAIL), "EMAIL_ADDRESS", None),
    "email_corp": (lambda: email_local() + "@" + domain(), "EMAIL_ADDRESS", None),
    "email_role": (lambda: R.choice(ROLES) + "@" + domain(), "EMAIL_ADDRESS", None),
    "email_sa": (
        lambda: (
            R.choice(["uploader", "ci-deployer", "etl-runner", "backup-sa"])
            + "@"
            + R.choice(WORDS)
            + "-prod-"
            + digits(6)
            + ".iam.gserviceaccount.com"
        ),
        "EMAIL_ADDRESS",
        None,
    ),
    "ip4": (ip4, "IP_ADDRESS", None),
    "ip6": (ip6, "IP_ADDRESS", None),
    "cc": (card, "CREDIT_CARD", None),
    "cc_plain": (lambda: card(fmt="plain"), "CREDIT_CARD", None),
    "cc_sp": (lambda: card(fmt="space"), "CREDIT_CARD", None),
    "cc_visa": (lambda: card("visa"), "CREDIT_CARD", None),
    "cc_mc": (lambda: card("mastercard"), "CREDIT_CARD", None),
    "cc_amex": (lambda: card("amex"), "CREDIT_CARD", None),
    "pw": (password, S, None),
    "pw_url": (lambda: password(sym="-_."), S, None),
    "pw_an": (lambda: password(sym=""), S, None),
    "pass_phrase": (passphrase, S, None),
    "pin_code": (pin_code, S, None),
    "psk": (lambda: R.choice([passphrase, lambda: password(sym="-_.")])(), S, None),
    "ghp": (lambda: "ghp_" + rs(36), S, "github_classic_pat"),
    "gho": (lambda: "gho_" + rs(36), S, "github_oauth"),
    "ghu": (lambda: "ghu_" + rs(36), S, "github_user_to_server"),
    "ghs": (lambda: "ghs_" + rs(36), S, "github_server_to_server"),
    "ghr": (lambda: "ghr_" + rs(76), S, "github_refresh"),
    "github_pat": (lambda: "github_pat_11" + rs(20, UP + DIG) + "_" + rs(59), S, "github_fine_grained_pat"),
    "glpat": (lambda: "glpat-" + rs(20), S, "gitlab_pat"),
    "glrt": (lambda: "glrt-" + rs(20), S, "gitlab_runner_token"),
    "xoxb": (lambda: "xoxb-%s-%s-%s" % (digits(12), digits(13), rs(24)), S, "slack_bot"),
    "xoxp": (lambda: "xoxp-%s-%s-%s-%s" % (digits(11), digits(12), digits(13), hexs(32)), S, "slack_user"),
    "xapp": (lambda: "xapp-1-A%s-%s-%s" % (rs(10, UP + DIG), digits(13), hexs(64)), S, "slack_app"),
    "slack_webhook": (
        lambda: "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(8, UP + DIG), rs(10, UP + DIG), rs(24)),
        S,
        "slack_webhook",
    ),
    "discord_webhook": (
        lambda: "https://discord.com/api/webhooks/%s/%s" % (digits(19), rs(68, URLS)),
        S,
        "discord_webhook",
    ),
    "sk_live": (lambda: "sk_live_" + R.choice(["51" + rs(97), rs(24), rs(34)]), S, "stripe_secret_live"),
    "sk_test": (lambda: "sk_test_" + R.choice(["51" + rs(97), rs(24)]), S, "stripe_secret_test"),
    "rk_live": (lambda: "rk_live_" + R.choice(["51" + rs(97), rs(24)]), S, "stripe_restricted"),
    "whsec": (lambda: "whsec_" + rs(32), S, "stripe_webhook_secret"),
    "akia": (lambda: "AKIA" + rs(16, UP + "234567"), S, "aws_access_key_id"),
    "asia": (lambda: "ASIA" + rs(16, UP + "234567"), S, "aws_temp_access_key_id"),
    "aws_secret": (aws_secret, S, "aws_secret_access_key"),
    "aws_session": (lambda: "IQoJb3JpZ2luX2VjE" + rs(R.choice([300, 360]), B64) + "==", S, "aws_session_token"),
    "aiza": (lambda: "AIza" + rs(35, URLS), S, "google_api_key"),
    "gocspx": (lambda: "GOCSPX-" + rs(28, URLS), S, "google_oauth_client_secret"),
    "openai": (openai_key, S, "openai"),
    "anthropic": (lambda: "sk-ant-api03-" + rs(93, URLS) + "AA", S, "anthropic"),
    "sendgrid": (lambda: "SG." + rs(22, URLS) + "." + rs(43, URLS), S, "sendgrid"),
    "mailgun": (lambda: "key-" + hexs(32), S, "mailgun"),
    "mailchimp": (lambda: hexs(32) + "-us" + str(R.randint(1, 21)), S, "mailchimp"),
    "npm": (lambda: "npm_" + rs(36), S, "npm"),
    "pypi": (lambda: "pypi-AgEIcHlwaS5vcmc" + rs(R.choice([60, 140]), URLS), S, "pypi"),
    "shpat": (lambda: "shpat_" + hexs(32), S, "shopify_access_token"),
    "shpss": (lambda: "shpss_" + hexs(32), S, "shopify_shared_secret"),
    "discord_bot": (discord_bot, S, "discord_bot"),
    "telegram_bot": (lambda: "%d:AA%s" % (R.randint(10**8, 8 * 10**9), rs(33, URLS)), S, "telegram_bot"),
    "hvs": (lambda: "hvs." + R.choice([rs(24), "CAESI" + rs(86, URLS)]), S, "vault_token"),
    "tfc": (lambda: rs(14) + ".atlasv1." + rs(67), S, "terraform_cloud"),
    "dop": (lambda: "dop_v1_" + hexs(64), S, "digitalocean"),
    "doppler": (lambda: "dp.st." + R.choice(["dev", "prd", "stg"]) + "." + rs(40), S, "doppler"),
    "azure_key": (lambda: b64(rbytes(64)), S, "azure_storage_key"),
    "dd_api": (lambda: hexs(32), S, "datadog_api_key"),
    "dd_app": (lambda: hexs(40), S, "datadog_app_key"),
    "nrak": (lambda: "NRAK-" + rs(27, UP + DIG), S, "newrelic_user_key"),
    "pmak": (lambda: "PMAK-" + hexs(24) + "-" + hexs(34), S, "postman"),
    "atatt": (lambda: "ATATT3xFfGF0" + rs(170, URLS) + "=" + rs(8, "0123456789ABCDEF"), S, "atlassian"),
    "lin_api": (lambda: "lin_api_" + rs(40), S, "linear"),
    "notion": (lambda: R.choice(["secret_" + rs(43), "ntn_" + digits(11) + rs(35)]), S, "notion"),
    "figd": (lambda: "figd_" + rs(40, URLS) + R.choice(AN), S, "figma"),
    "hf": (lambda: "hf_" + rs(34, LOW + UP), S, "huggingface"),
    "r8": (lambda: "r8_" + rs(37), S, "replicate"),
    "gsk": (lambda: "gsk_" + rs(52), S, "groq"),
    "dapi": (lambda: "dapi" + hexs(32), S, "databricks"),
    "pscale": (lambda: "pscale_tkn_" + rs(43), S, "planetscale"),
    "pul": (lambda: "pul-" + hexs(40), S, "pulumi"),
    "glsa": (lambda: "glsa_" + rs(32) + "_" + hexs(8), S, "grafana_service_account"),
    "sq_atp": (lambda: "EAAA" + rs(60, URLS), S, "square_access_token"),
    "sq0csp": (lambda: "sq0csp-" + rs(43, URLS), S, "square_oauth_secret"),
    "age_key": (lambda: "AGE-SECRET-KEY-1" + rs(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"), S, "age_secret_key"),
    "okta": (lambda: "00" + rs(40, URLS), S, "okta_api_token"),
    "sbp": (lambda: "sbp_" + hexs(40), S, "supabase_access_token"),
    "cfpat": (lambda: "CFPAT-" + rs(43, URLS), S, "contentful"),
    "mapbox_sk": (lambda: mapbox("sk"), S, "mapbox_secret"),
    "dckr": (lambda: "dckr_pat_" + rs(27, URLS), S, "docker_hub_pat"),
    "rubygems": (lambda: "rubygems_" + hexs(48), S, "rubygems"),
    "nuget": (lambda: "oy2" + rs(43, LOW + DIG), S, "nuget"),
    "tskey": (lambda: "tskey-auth-k" + rs(10) + "CNTRL-" + rs(33), S, "tailscale"),
    "airtable": (lambda: "pat" + rs(14) + "." + hexs(64), S, "airtable"),
    "brevo": (lambda: "xkeysib-" + hexs(64) + "-" + rs(16), S, "brevo"),
    "shippo": (lambda: "shippo_live_" + hexs(40), S, "shippo"),
    "ezak": (lambda: "EZAK" + hexs(54), S, "easypost"),
    "ltai": (lambda: "LTAI" + rs(20), S, "alibaba_access_key_id"),
    "ali_secret": (lambda: rs(30), S, None),
    "twilio_token": (lambda: hexs(32), S, "twilio_auth_token"),
    "bkua": (lambda: "bkua_" + hexs(40), S, "buildkite"),
    "azure_cs": (azure_cs, S, "azure_ad_client_secret"),
    "pcsk": (lambda: "pcsk_" + rs(5) + "_" + rs(60), S, "pinecone"),
    "sqp": (lambda: "sqp_" + hexs(40), S, "sonarqube"),
    "cio": (lambda: "cio" + rs(32), S, "crates_io"),
    "sl_dropbox": (lambda: "sl." + rs(135, URLS), S, "dropbox"),
    "fio": (lambda: "fio-u-" + rs(64, URLS), S, "frameio"),
    "prefect": (lambda: "pnu_" + rs(36), S, "prefect"),
    "jwt": (jwt, S, "jwt"),
    "rsa_key": (rsa_key, S, "pem_rsa_private_key"),
    "ec_key": (ec_key, S, "pem_ec_private_key"),
    "ossh_key": (ossh_key, S, "openssh_private_key"),
    "pkcs8_key": (pkcs8_key, S, "pem_pkcs8_private_key"),
    "pkcs8_key_json": (lambda: pkcs8_key().replace("\n", "\\n"), S, "pem_pkcs8_private_key"),
    "hex32": (lambda: hexs(32), S, None),
    "hex40": (lambda: hexs(40), S, None),
    "hex64": (lambda: hexs(64), S, None),
    "tok32": (lambda: rs(32), S, None),
    "tok40": (lambda: rs(40), S, None),
    "b64_secret": (lambda: b64(rbytes(32)), S, None),
    "django_key": (lambda: rs_edge(50, LOW + DIG + "!@#%^&*(-_=+)"), S, None),
    "laravel_key": (lambda: b64(rbytes(32)), S, None),
    "rails_key": (lambda: hexs(128), S, None),
    "basic_auth": (basic_auth, S, None),
    "k8s_b64": (lambda: b64(password().encode()), S, None),
    "docker_auth": (basic_auth, S, None),
    "session_id": (lambda: rs(32, LOW + DIG), S, None),
    "wg_key": (lambda: b64(rbytes(32)), S, None),
    "cf_token": (lambda: rs(40, URLS), S, None),
    "pusher_secret": (lambda: hexs(20), S, None),
    "algolia_admin": (lambda: hexs(32), S, None),
    "plaid_secret": (lambda: hexs(30), S, None),
    "uuid_secret": (lambda: uuid4(), S, None),
}
PASSWORD_KINDS = {"pw", "pw_url", "pw_an", "pass_phrase", "pin_code", "psk"}


# --------------------------------------------------------------------------
# unlabelled look-alikes (hard negatives / context)
# --------------------------------------------------------------------------
def uuid4():
    h = hexs(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def crypt_b64(n):
    return rs(n, "./" + AN)


def phone():
    return R.choice(
        [
            "+49 %d %s" % (R.randint(30, 89), digits(7)),
            "+33 %d %s %s %s %s" % (R.randint(1, 9), rs(2, DIG), rs(2, DIG), rs(2, DIG), rs(2, DIG)),
            "+1 (%s) %s-%s" % (digits(3), digits(3), rs(4, DIG)),
            "+44 20 %s %s" % (rs(4, DIG), rs(4, DIG)),
            "+81 3-%s-%s" % (rs(4, DIG), rs(4, DIG)),
            "+91 %s %s" % (digits(5), rs(5, DIG)),
            "+55 11 9%s-%s" % (rs(4, DIG), rs(4, DIG)),
            "(0%d) %s %s" % (R.randint(20, 99), rs(3, DIG), rs(4, DIG)),
            "+7 9%s %s-%s-%s" % (rs(2, DIG), rs(3, DIG), rs(2, DIG), rs(2, DIG)),
            "+86 1%s %s %s" % (rs(2, DIG), rs(4, DIG), rs(4, DIG)),
            "+82 10-%s-%s" % (rs(4, DIG), rs(4, DIG)),
            "+254 7%s %s" % (rs(2, DIG), rs(6, DIG)),
        ]
    )


def iban():
    c = R.choice([("DE", 18), ("NL", 14), ("FR", 23), ("ES", 20), ("IT", 23), ("RO", 20), ("BE", 12), ("AT", 16)])
    body = rs(c[1], DIG)
    if c[0] in ("NL", "RO"):
        body = rs(4, UP) + rs(c[1] - 4, DIG)
    s = c[0] + rs(2, DIG) + body
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def tracking():
    return R.choice(
        [
            "1Z" + rs(6, UP + DIG) + rs(10, DIG),
            rs(2, UP) + rs(9, DIG) + R.choice(["DE", "CN", "PL", "NL", "GB"]),
            "JD" + rs(16, DIG),
            digits(12),
        ]
    )


def order_no():
    return R.choice(
        [
            "#" + digits(6),
            "ORD-" + digits(7),
            "A" + digits(8),
            digits(5) + "-" + digits(4),
            "INV-%d-%s" % (R.randint(2019, 2025), rs(5, DIG)),
        ]
    )


def date():
    y, m, d = R.randint(2019, 2025), R.randint(1, 12), R.randint(1, 28)
    return R.choice(["%04d-%02d-%02d" % (y, m, d), "%02d.%02d.%04d" % (d, m, y), "%02d/%02d/%04d" % (d, m, y)])


def iso_ts():
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        R.randint(2021, 2025),
        R.randint(1, 12),
        R.randint(1, 28),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
        R.randint(0, 999),
    )


def clf_ts():
    return "%02d/%s/%04d:%02d:%02d:%02d +0000" % (
        R.randint(1, 28),
        R.choice("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()),
        R.randint(2021, 2025),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
    )


def sys_ts():
    return "%s %2d %02d:%02d:%02d" % (
        R.choice("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()),
        R.randint(1, 28),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
    )


def version():
    return "%d.%d.%d" % (R.randint(0, 12), R.randint(0, 40), R.randint(0, 30))


def ssh_pub():
    if R.random() < 0.5:
        return (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
            + rs(43, B64)
            + " "
            + R.choice(FIRST_EN)
            + "@"
            + R.choice(["laptop", "ci-runner", "workstation", "bastion"])
        )
    return (
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ"
        + rs(340, B64)
        + "= "
        + R.choice(FIRST_EN)
        + "@"
        + R.choice(["mbp", "build01", "desktop"])
    )


UNLABELLED = {
    "name": None,
    "first": None,  # language dependent, see fill()
    "user": username,
    "host": domain,
    "company": lambda: company().capitalize(),
    "priv4": priv4,
    "priv6": priv6,
    "doc4": doc4,
    "doc6": doc6,
    "loop4": loop4,
    "ex_email": ex_email,
    "uuid": uuid4,
    "sha1": lambda: hexs(40),
    "sha256": lambda: hexs(64),
    "md5": lambda: hexs(32),
    "gitsha": lambda: hexs(7),
    "trace": lambda: hexs(32),
    "spanid": lambda: hexs(16),
    "reqid": lambda: R.choice(["req_" + rs(14), uuid4(), rs(20, UP + DIG), "%s-%s" % (hexs(8), hexs(8))]),
    "bcrypt": lambda: "$2%s$%d$" % (R.choice("aby"), R.choice([10, 11, 12])) + crypt_b64(53),
    "sha512crypt": lambda: "$6$" + crypt_b64(16) + "$" + crypt_b64(86),
    "md5crypt": lambda: "$1$" + crypt_b64(8) + "$" + crypt_b64(22),
    "argon2": lambda: (
        "$argon2id$v=19$m=65536,t=3,p=4$" + b64(rbytes(16)).rstrip("=") + "$" + b64(rbytes(32)).rstrip("=")
    ),
    "pbkdf2": lambda: "pbkdf2_sha256$%d$%s$%s" % (R.choice([600000, 720000, 870000]), rs(22), b64(rbytes(32))),
    "cisco8": lambda: "$8$" + crypt_b64(14) + "$" + crypt_b64(43),
    "cisco9": lambda: "$9$" + crypt_b64(14) + "$" + crypt_b64(43),
    "pk_live": lambda: "pk_live_" + R.choice(["51" + rs(97), rs(24)]),
    "pk_test": lambda: "pk_test_" + R.choice(["51" + rs(97), rs(24)]),
    "mapbox_pk": lambda: mapbox("pk"),
    "g_client_id": lambda: digits(12) + "-" + rs(32, LOW + DIG) + ".apps.googleusercontent.com",
    "recaptcha": lambda: "6L" + rs(6, URLS) + "AAAAA" + rs(27, URLS),
    "csrf": lambda: rs(R.choice([32, 40, 64]), URLS),
    "nonce": lambda: b64(rbytes(16)),
    "vault_acc": lambda: rs(24),
    "btc": lambda: "bc1q" + rs(38, "qpzry9x8gf2tvdw0s3jn54khce6mua7l"),
    "eth": lambda: "0x" + rs(40, "0123456789abcdefABCDEF"),
    "masked_cc": masked_cc,
    "last4": lambda: rs(4, DIG),
    "bad_luhn": bad_luhn,
    "iban": iban,
    "phone": phone,
    "order_no": order_no,
    "tracking": tracking,
    "date": date,
    "iso_ts": iso_ts,
    "clf_ts": clf_ts,
    "sys_ts": sys_ts,
    "time": lambda: "%02d:%02d" % (R.randint(0, 23), R.randint(0, 59)),
    "epoch": lambda: str(R.randint(1600000000, 1760000000)),
    "int": lambda: str(R.randint(2, 9999)),
    "small": lambda: str(R.randint(2, 64)),
    "pwlen": lambda: str(R.choice([8, 10, 12, 14, 16])),
    "port": lambda: str(
        R.choice([22, 80, 443, 3000, 3306, 5432, 6379, 8080, 8443, 9000, 9090, 9200, 27017, 5672, 1883, 11211])
    ),
    "hport": lambda: str(R.randint(1025, 65000)),
    "amount": lambda: "%d.%02d" % (R.randint(5, 2500), R.randint(0, 99)),
    "exp": lambda: "%02d/%02d" % (R.randint(1, 12), R.randint(26, 31)),
    "cvv": lambda: rs(3, DIG),
    "version": version,
    "winbuild": lambda: "10.0.%d.%d" % (R.choice([19045, 22621, 22631, 26100, 20348, 17763]), R.randint(1000, 5000)),
    "chromever": lambda: "%d.0.%d.%d" % (R.randint(110, 131), R.randint(5400, 6900), R.randint(20, 210)),
    "mac": lambda: ":".join(hexs(2) for _ in range(6)),
    "color": lambda: "#" + hexs(6),
    "sri": lambda: "sha384-" + b64(rbytes(48)),
    "integrity": lambda: "sha512-" + b64(rbytes(64)),
    "digest": lambda: "sha256:" + hexs(64),
    "isbn": lambda: "978-%d-%s-%s-%d" % (R.randint(0, 9), rs(3, DIG), rs(5, DIG), R.randint(0, 9)),
    "ssh_pub": ssh_pub,
    "pub_pem": lambda: pem_block("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 392),
    "cert_pem": lambda: pem_block("CERTIFICATE", "MIID" + rs(2, AN) + "CCA" + rs(2, AN) + "gAwIBAgI", 1200),
    "fingerprint": lambda: "SHA256:" + b64(rbytes(32)).rstrip("="),
    "age_pub": lambda: "age1" + rs(58, "qpzry9x8gf2tvdw0s3jn54khce6mua7l"),
    "wg_pub": lambda: b64(rbytes(32)),
    "acct": lambda: digits(12),
    "twilio_sid": lambda: "AC" + hexs(32),
    "client_uuid": uuid4,
    "idem": lambda: R.choice([uuid4(), "idem_" + rs(24)]),
    "word": lambda: R.choice(WORDS),
    "envname": lambda: R.choice(
        [
            "API_KEY",
            "DB_PASSWORD",
            "STRIPE_SECRET_KEY",
            "GITHUB_TOKEN",
            "OPENAI_API_KEY",
            "SMTP_PASSWORD",
            "AWS_SECRET_ACCESS_KEY",
            "SLACK_BOT_TOKEN",
        ]
    ),
    "city": lambda: R.choice(
        [
            "Berlin",
            "Lyon",
            "Porto",
            "Osaka",
            "Austin",
            "Leeds",
            "Gdańsk",
            "Nairobi",
            "Pune",
            "Curitiba",
            "Utrecht",
            "Tampere",
        ]
    ),
    "country": lambda: R.choice(["DE", "FR", "US", "BR", "JP", "IN", "NL", "PL", "KE", "GB", "CA", "SE"]),
    "snowflake": lambda: digits(18),
    "lat": lambda: "%.5f" % R.uniform(-60, 70),
    "lon": lambda: "%.5f" % R.uniform(-170, 170),
}


# --------------------------------------------------------------------------
# template engine
# --------------------------------------------------------------------------
TEMPLATES = []
PH = re.compile(r"§([a-z0-9_]+)(?::([a-z0-9_]+))?§")


def T(lang, context, text, category=None, n=None):
    text = text.strip("\n")
    kinds = [m.group(1) for m in PH.finditer(text)]
    for k in kinds:
        assert k in LABELLED or k in UNLABELLED, ("unknown kind", k, text[:60])
    labelled = any(k in LABELLED for k in kinds)
    if labelled:
        assert category is None, text[:60]
        category = "positive"
    else:
        assert category and re.fullmatch(r"[a-z0-9_]+", category), text[:60]
        assert kinds, ("negative template needs variable content", text[:60])
    assert re.fullmatch(r"[a-z0-9_]+", context), context
    TEMPLATES.append({"lang": lang, "context": context, "text": text, "category": category, "n": n})


def gen(kind, lang):
    if kind == "name":
        if lang in NAMES and lang != "en":
            return R.choice(NAMES[lang])[1]
        return R.choice(FIRST_EN).capitalize() + " " + R.choice(LAST_EN).capitalize()
    if kind == "first":
        if lang in NAMES and lang != "en":
            return R.choice(NAMES[lang])[0]
        return R.choice(FIRST_EN).capitalize()
    if kind in LABELLED:
        return LABELLED[kind][0]()
    return UNLABELLED[kind]()


def fill(t):
    text, lang = t["text"], t["lang"]
    out, spans, used, cache = [], [], [], {}
    pos = last = 0
    for m in PH.finditer(text):
        lit = text[last : m.start()]
        out.append(lit)
        pos += len(lit)
        k, tag = m.group(1), m.group(2)
        if tag and (k, tag) in cache:
            v = cache[(k, tag)]
        else:
            v = gen(k, lang)
            if tag:
                cache[(k, tag)] = v
        if k in LABELLED:
            spans.append({"start": pos, "end": pos + len(v), "entity": LABELLED[k][1], "_kind": k, "_value": v})
            used.append(k)
        out.append(v)
        pos += len(v)
        last = m.end()
    out.append(text[last:])
    return "".join(out), spans, used


# --------------------------------------------------------------------------
# scanner used on negatives and on unlabelled parts of positives
# --------------------------------------------------------------------------
RE_IP4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\d|\.\d)")
RE_DIGRUN = re.compile(r"(?<![\d])\d+(?:[ -]\d+)*(?![\d])")
RE_IP6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
RE_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")


def scan(text):
    """Return a list of findings (kind, value) in text."""
    found = []
    for m in RE_IP4.finditer(text):
        try:
            if ip_is_public(m.group(1)):
                found.append(("ip", m.group(1)))
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
                if len(acc) >= 12 and card_brand(acc) and luhn_ok(acc):
                    found.append(("card", acc))
    for m in RE_EMAIL.finditer(text):
        if not reserved_domain(m.group(1)):
            found.append(("email", m.group(0)))
    for m in RE_IP6.finditer(text):
        try:
            if ip_is_public(m.group(0)):
                found.append(("ip6", m.group(0)))
        except ValueError:
            pass
    return found


def masked(text, spans):
    out, last = [], 0
    for s in spans:
        out.append(text[last : s["start"]])
        out.append("\u2588")
        last = s["end"]
    out.append(text[last:])
    return "".join(out)


# ==========================================================================
# TEMPLATES -- (a) source code, positives
# ==========================================================================
T(
    "en",
    "python_source",
    r"""
import requests

# TODO: move to the vault before the release
GITHUB_TOKEN = "§ghp§"

def list_repos(org):
    r = requests.get(f"https://api.github.com/orgs/{org}/repos",
                     headers={"Authorization": f"Bearer {GITHUB_TOKEN}"})
    r.raise_for_status()
    return [x["full_name"] for x in r.json()]
""",
)
T(
    "en",
    "python_source",
    r"""
import boto3

session = boto3.Session(
    aws_access_key_id="§akia§",
    aws_secret_access_key="§aws_secret§",
    region_name="eu-central-1",
)
s3 = session.client("s3")
for obj in s3.list_objects_v2(Bucket="§word§-reports")["Contents"]:
    print(obj["Key"])
""",
)
T(
    "en",
    "python_source",
    r"""
import stripe
stripe.api_key = "§sk_live§"

def refund(charge_id: str, cents: int):
    return stripe.Refund.create(charge=charge_id, amount=cents)
""",
)
T(
    "en",
    "django_settings",
    r"""
# settings/production.py
DEBUG = False
SECRET_KEY = "§django_key§"
ALLOWED_HOSTS = ["§host§", "§ip4§"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "§user§",
        "PASSWORD": "§pw§",
        "HOST": "§priv4§",
        "PORT": "5432",
    }
}
EMAIL_HOST = "smtp.§host§"
EMAIL_HOST_USER = "§email_corp§"
EMAIL_HOST_PASSWORD = "§pw§"
""",
)
T(
    "en",
    "python_source",
    r"""
import smtplib
from email.message import EmailMessage

msg = EmailMessage()
msg["From"] = "§email:from§"
msg["To"] = "§email§"
msg["Subject"] = "Nightly report"
msg.set_content(open("report.txt").read())

with smtplib.SMTP_SSL("smtp.§host§", 465) as s:
    s.login("§email:from§", "§pw§")
    s.send_message(msg)
""",
)
T(
    "en",
    "python_source",
    r"""
import psycopg2

conn = psycopg2.connect("postgresql://§user§:§pw_url§@§ip4§:5432/analytics?sslmode=require")
cur = conn.cursor()
cur.execute("SELECT count(*) FROM events WHERE ts > now() - interval '1 day'")
print(cur.fetchone())
""",
)
T(
    "en",
    "python_source",
    r"""
from openai import OpenAI

client = OpenAI(api_key="§openai§")
resp = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Summarise the ticket below"}],
)
print(resp.choices[0].message.content)
""",
)
T(
    "en",
    "python_source",
    r"""
import anthropic

client = anthropic.Anthropic(api_key="§anthropic§")  # temp key for the hackathon
message = client.messages.create(
    model="claude-3-5-sonnet-latest",
    max_tokens=512,
    messages=[{"role": "user", "content": "Write a haiku about §word§s"}],
)
""",
)
T(
    "en",
    "python_source",
    r"""
from slack_sdk import WebClient

client = WebClient(token="§xoxb§")
client.chat_postMessage(channel="#deploys", text=f"Release {version} is live :rocket:")
""",
)
T(
    "en",
    "python_source",
    r"""
from telegram.ext import ApplicationBuilder, CommandHandler

async def start(update, context):
    await update.message.reply_text("Hi! I track §word§ prices.")

app = ApplicationBuilder().token("§telegram_bot§").build()
app.add_handler(CommandHandler("start", start))
app.run_polling()
""",
)
T(
    "en",
    "python_source",
    r"""
import discord

intents = discord.Intents.default()
intents.message_content = True
client = discord.Client(intents=intents)

@client.event
async def on_ready():
    print(f"logged in as {client.user}")

client.run("§discord_bot§")
""",
)
T(
    "en",
    "javascript_source",
    r"""
// billing/service.js
const stripe = require('stripe')('§sk_test§');

async function createCustomer(email) {
  return stripe.customers.create({ email, description: 'created by onboarding' });
}
module.exports = { createCustomer };
""",
)
T(
    "en",
    "javascript_source",
    r"""
const axios = require('axios');

const api = axios.create({
  baseURL: 'https://api.§host§/v2',
  timeout: 5000,
  headers: { Authorization: 'Bearer §jwt§' },
});

api.get('/invoices?status=open').then(r => console.log(r.data.length));
""",
)
T(
    "en",
    "javascript_source",
    r"""
import mongoose from 'mongoose';

const uri = 'mongodb+srv://§user§:§pw_url§@cluster0.§rs5§.mongodb.net/app?retryWrites=true&w=majority';
await mongoose.connect(uri);
console.log('connected');
""".replace("§rs5§", "§gitsha§"),
)
T(
    "en",
    "javascript_source",
    r"""
const nodemailer = require("nodemailer");

const transporter = nodemailer.createTransport({
  host: "smtp.§host§",
  port: 587,
  secure: false,
  auth: {
    user: "§email_corp§",
    pass: "§pw§",
  },
});
""",
)
T(
    "en",
    "typescript_source",
    r"""
export const config = {
  port: Number(process.env.PORT ?? 3000),
  sendgridApiKey: '§sendgrid§',
  fromAddress: '§email_role§',
  sentryEnvironment: 'production',
};
""",
)
T(
    "en",
    "go_source",
    r"""
package main

import (
	"database/sql"
	"log"

	_ "github.com/go-sql-driver/mysql"
)

func main() {
	db, err := sql.Open("mysql", "§user§:§pw_url§@tcp(§ip4§:3306)/inventory?parseTime=true")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
}
""",
)
T(
    "en",
    "go_source",
    r"""
package gitlab

// token with api scope, expires end of quarter
const defaultToken = "§glpat§"

func NewClient() *Client {
	return &Client{BaseURL: "https://gitlab.§host§/api/v4", Token: defaultToken}
}
""",
)
T(
    "en",
    "java_source",
    r"""
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;

public class Uploader {
    private static final BasicAWSCredentials CREDS =
        new BasicAWSCredentials("§akia§", "§aws_secret§");

    public static void main(String[] args) {
        var s3 = AmazonS3ClientBuilder.standard().withRegion("us-east-1").build();
        System.out.println(s3.listBuckets());
    }
}
""",
)
T(
    "en",
    "csharp_source",
    r"""
using System.Data.SqlClient;

class Repo
{
    const string ConnStr = "Server=§ip4§,1433;Database=Payroll;User Id=sa;Password=§pw_url§;TrustServerCertificate=True;";

    public SqlConnection Open()
    {
        var c = new SqlConnection(ConnStr);
        c.Open();
        return c;
    }
}
""",
)
T(
    "en",
    "csharp_source",
    r"""
var blobService = new BlobServiceClient(
    "DefaultEndpointsProtocol=https;AccountName=§word§store§small§;AccountKey=§azure_key§;EndpointSuffix=core.windows.net");
var container = blobService.GetBlobContainerClient("invoices");
""",
)
T(
    "en",
    "php_source",
    r"""
<?php
define( 'DB_NAME', 'wp_§word§' );
define( 'DB_USER', '§user§' );
define( 'DB_PASSWORD', '§pw§' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );

define( 'AUTH_KEY',         '§tok40§' );
define( 'SECURE_AUTH_KEY',  '§tok40§' );
$table_prefix = 'wp_';
""",
)
T(
    "en",
    "php_source",
    r"""
<?php
$mail = new PHPMailer(true);
$mail->isSMTP();
$mail->Host       = 'smtp.§host§';
$mail->SMTPAuth   = true;
$mail->Username   = '§email_corp:u§';
$mail->Password   = '§pw§';
$mail->Port       = 587;
$mail->setFrom('§email_corp:u§', 'Shop');
$mail->addAddress('§email§');
""",
)
T(
    "en",
    "ruby_source",
    r"""
require "octokit"

client = Octokit::Client.new(access_token: "§gho§")
client.auto_paginate = true
client.org_repos("§word§-labs").each { |r| puts r.full_name }
""",
)
T(
    "en",
    "rails_credentials",
    r"""
# config/credentials.yml.enc (decrypted by mistake and committed)
secret_key_base: §rails_key§
aws:
  access_key_id: §akia§
  secret_access_key: §aws_secret§
stripe:
  secret_key: §rk_live§
""",
)
T(
    "en",
    "rust_source",
    r"""
let client = reqwest::Client::new();
let res = client
    .post("https://api.anthropic.com/v1/messages")
    .header("x-api-key", "§anthropic§")
    .header("anthropic-version", "2023-06-01")
    .json(&body)
    .send()
    .await?;
""",
)
T(
    "en",
    "kotlin_source",
    r"""
object ApiModule {
    private const val HF_TOKEN = "§hf§"

    val client: OkHttpClient = OkHttpClient.Builder()
        .addInterceptor { chain ->
            chain.proceed(chain.request().newBuilder()
                .header("Authorization", "Bearer $HF_TOKEN").build())
        }.build()
}
""",
)
T(
    "en",
    "swift_source",
    r"""
struct ReplicateClient {
    // FIXME: don't ship this in the app bundle
    let apiToken = "§r8§"
    let baseURL = URL(string: "https://api.replicate.com/v1")!
}
""",
)
T(
    "en",
    "dart_source",
    r"""
class GroqService {
  static const _apiKey = 'gsk_§tok_groq§';
}
""".replace("gsk_§tok_groq§", "§gsk§"),
)
T(
    "en",
    "r_source",
    r"""
library(httr)
Sys.setenv(OPENAI_API_KEY = "§openai§")
res <- POST("https://api.openai.com/v1/embeddings",
            add_headers(Authorization = paste("Bearer", Sys.getenv("OPENAI_API_KEY"))),
            body = list(model = "text-embedding-3-small", input = "hello"), encode = "json")
""",
)
T(
    "en",
    "perl_source",
    r"""
use DBI;
my $dbh = DBI->connect("DBI:mysql:database=crm;host=§ip4§;port=3306",
                       "§user§", "§pw§", { RaiseError => 1 })
    or die $DBI::errstr;
""",
)
T(
    "en",
    "elixir_config",
    r"""
config :shop, Shop.Repo,
  username: "§user§",
  password: "§pw§",
  hostname: "§ip4§",
  database: "shop_prod",
  pool_size: 10
""",
)
T(
    "en",
    "scala_config",
    r"""
# conf/application.conf
play.http.secret.key = "§tok40§"
slick.dbs.default.db.url = "jdbc:postgresql://§ip4§:5432/orders"
slick.dbs.default.db.user = "§user§"
slick.dbs.default.db.password = "§pw§"
""",
)
T(
    "en",
    "lua_config",
    r"""
-- ~/.config/nvim/lua/plugins/ai.lua
require("chatgpt").setup({
  api_key_cmd = nil,
  openai_params = { model = "gpt-4o", max_tokens = 800 },
})
vim.env.OPENAI_API_KEY = "§openai§"
""",
)
T(
    "en",
    "python_source",
    r"""
import requests

DD_API_KEY = "§dd_api§"
DD_APP_KEY = "§dd_app§"

r = requests.get("https://api.datadoghq.eu/api/v1/monitor",
                 headers={"DD-API-KEY": DD_API_KEY, "DD-APPLICATION-KEY": DD_APP_KEY})
""",
)
T(
    "en",
    "python_source",
    r"""
from twilio.rest import Client

account_sid = "§twilio_sid§"
auth_token = "§twilio_token§"
client = Client(account_sid, auth_token)
client.messages.create(body="Your order shipped", from_="+15005550006", to=customer_phone)
""",
)
T(
    "en",
    "python_source",
    r"""
import requests

resp = requests.post(
    "https://api.mailgun.net/v3/mg.§host§/messages",
    auth=("api", "§mailgun§"),
    data={"from": "Alerts <§email_role§>", "to": ["§email§"], "subject": "Disk usage", "text": body},
)
""",
)
T(
    "en",
    "javascript_source",
    r"""
const mailchimp = require("@mailchimp/mailchimp_marketing");
mailchimp.setConfig({ apiKey: "§mailchimp§", server: "us6" });
const res = await mailchimp.lists.addListMember(listId, { email_address: "§email§", status: "subscribed" });
""",
)
T(
    "en",
    "php_source",
    r"""
<?php
$config = Brevo\Client\Configuration::getDefaultConfiguration()
    ->setApiKey('api-key', '§brevo§');
$api = new Brevo\Client\Api\TransactionalEmailsApi(new GuzzleHttp\Client(), $config);
""",
)
T(
    "en",
    "python_source",
    r"""
from notion_client import Client
notion = Client(auth="§notion§")
pages = notion.databases.query(database_id="§uuid§")
""",
)
T(
    "en",
    "javascript_source",
    r"""
import { LinearClient } from '@linear/sdk';
const linear = new LinearClient({ apiKey: '§lin_api§' });
const me = await linear.viewer;
""",
)
T(
    "en",
    "python_source",
    r"""
FIGMA_TOKEN = "§figd§"
r = requests.get(f"https://api.figma.com/v1/files/{file_key}", headers={"X-Figma-Token": FIGMA_TOKEN})
""",
)
T(
    "en",
    "jupyter_notebook",
    r"""
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": [
    "import os\n",
    "os.environ[\"HF_TOKEN\"] = \"§hf§\"\n",
    "from huggingface_hub import login\n",
    "login(os.environ[\"HF_TOKEN\"])"
   ]
  }
 ],
 "nbformat": 4,
 "nbformat_minor": 5
}
""",
)
T(
    "en",
    "python_source",
    r"""
from databricks import sql

with sql.connect(server_hostname="adb-§acct§.7.azuredatabricks.net",
                 http_path="/sql/1.0/warehouses/§gitsha§e1",
                 access_token="§dapi§") as conn:
    with conn.cursor() as c:
        c.execute("SELECT 1")
""",
)
T(
    "en",
    "javascript_source",
    r"""
import { Client } from '@notionhq/client';
import Airtable from 'airtable';

const base = new Airtable({ apiKey: '§airtable§' }).base('app§tok14§');
""".replace("§tok14§", "§gitsha§"),
)
T(
    "en",
    "python_source",
    r"""
import pinecone
pc = pinecone.Pinecone(api_key="§pcsk§")
index = pc.Index("product-search")
""",
)
T(
    "en",
    "go_source",
    r"""
client := godo.NewFromToken("§dop§")
droplets, _, err := client.Droplets.List(ctx, &godo.ListOptions{PerPage: 50})
""",
)
T(
    "en",
    "python_source",
    r"""
# deploy helper -- prints the payload so we can debug
import json, requests
WEBHOOK = "§slack_webhook§"
requests.post(WEBHOOK, data=json.dumps({"text": f"deploy of {sha} finished"}))
""",
)
T(
    "en",
    "javascript_source",
    r"""
const WEBHOOK_URL = "§discord_webhook§";
await fetch(WEBHOOK_URL, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ content: `Build #${process.env.BUILD_NUMBER} failed` }),
});
""",
)
T(
    "en",
    "python_source",
    r"""
import shopify
session = shopify.Session("§word§-store.myshopify.com", "2024-07", "§shpat§")
shopify.ShopifyResource.activate_session(session)
""",
)
T(
    "en",
    "ruby_source",
    r"""
Square::Client.new(
  access_token: '§sq_atp§',
  environment: 'production'
)
""",
)
T(
    "en",
    "python_source",
    r"""
import oss2
auth = oss2.Auth("§ltai§", "§ali_secret§")
bucket = oss2.Bucket(auth, "https://oss-cn-hangzhou.aliyuncs.com", "§word§-backup")
""",
)
T(
    "en",
    "javascript_source",
    r"""
// server-side only! the browser uses the public pk token below
const MAPBOX_SECRET = '§mapbox_sk§';
const MAPBOX_PUBLIC = '§mapbox_pk§';
""",
)
T(
    "en",
    "python_source",
    r"""
import msal
app = msal.ConfidentialClientApplication(
    client_id="§client_uuid§",
    authority="https://login.microsoftonline.com/§uuid§",
    client_credential="§azure_cs§",
)
result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
""",
)
T(
    "en",
    "python_source",
    r"""
from google_auth_oauthlib.flow import Flow
CLIENT_CONFIG = {
    "web": {
        "client_id": "§g_client_id§",
        "client_secret": "§gocspx§",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
}
""",
)
T(
    "en",
    "python_source",
    r"""
import googlemaps
gmaps = googlemaps.Client(key="§aiza§")
geocode = gmaps.geocode("§int§ Market Street, §city§")
""",
)
T(
    "en",
    "java_source",
    r"""
// Okta admin client used by the nightly sync job
Client client = Clients.builder()
    .setOrgUrl("https://§word§-corp.okta.com")
    .setClientCredentials(new TokenClientCredentials("§okta§"))
    .build();
""",
)
T(
    "en",
    "go_source",
    r"""
vaultCfg := vault.DefaultConfig()
vaultCfg.Address = "https://vault.§host§:8200"
client, _ := vault.NewClient(vaultCfg)
client.SetToken("§hvs§")
secret, err := client.Logical().Read("kv/data/payments")
""",
)
T(
    "de",
    "python_source",
    r"""
# Zugangsdaten für den Export – bitte NICHT einchecken!
FTP_HOST = "§ip4§"
FTP_BENUTZER = "§user§"
FTP_PASSWORT = "§pw§"

def hochladen(datei):
    # Verbindung aufbauen und Datei übertragen
    with ftplib.FTP(FTP_HOST, FTP_BENUTZER, FTP_PASSWORT) as ftp:
        ftp.storbinary(f"STOR {datei}", open(datei, "rb"))
""",
)
T(
    "es",
    "javascript_source",
    r"""
// Configuración del cliente de pagos (entorno de producción)
// OJO: la clave secreta no debería estar aquí, moverla al gestor de secretos
const claveSecreta = '§sk_live§';
const correoSoporte = '§email_role§';
""",
)
T(
    "ru",
    "yaml_config",
    r"""
# Настройки подключения к базе данных
database:
  host: §ip4§      # внешний адрес сервера
  port: 5432
  user: §user§
  password: "§pw§"  # временный пароль, сменить после миграции
""",
)
T(
    "zh",
    "python_source",
    r"""
# 数据库配置（测试完成后请删除）
DB_CONFIG = {
    "host": "§ip4§",
    "user": "§user§",
    "password": "§pw§",  # 临时密码
    "charset": "utf8mb4",
}
""",
)
T(
    "pt",
    "java_source",
    r"""
// Conexão com o banco legado -- senha provisória, trocar depois da migração
String url = "jdbc:oracle:thin:@§ip4§:1521/ORCL";
String usuario = "§user§";
String senha = "§pw§";
""",
)
T(
    "fr",
    "shell_script",
    r"""
#!/bin/bash
# Sauvegarde nocturne vers le serveur distant
# Mot de passe temporaire, à remplacer par une clé SSH
export RESTIC_PASSWORD='§pass_phrase§'
restic -r sftp:backup@§ip4§:/srv/restic backup /var/www
""",
)
T(
    "ja",
    "python_source",
    r"""
# 本番用の設定（後で環境変数に移すこと）
SLACK_BOT_TOKEN = "§xoxb§"
# 通知先
ALERT_EMAIL = "§email_corp§"
""",
)


# ==========================================================================
# (a) configuration, positives
# ==========================================================================
T(
    "en",
    "shell_script",
    r"""
#!/usr/bin/env bash
set -euo pipefail
export GITHUB_TOKEN=§ghp§
gh release create "v$1" dist/*.tar.gz --notes-file CHANGELOG.md
""",
)
T(
    "en",
    "dockerfile",
    r"""
FROM node:20-alpine
WORKDIR /app
COPY package*.json ./
RUN echo "//registry.npmjs.org/:_authToken=§npm§" > .npmrc && npm ci && rm .npmrc
COPY . .
CMD ["node", "server.js"]
""",
)
T(
    "en",
    "docker_compose",
    r"""
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: §user§
      POSTGRES_PASSWORD: §pw§
      POSTGRES_DB: app
  cache:
    image: redis:7
    command: ["redis-server", "--requirepass", "§pw_an§"]
""",
)
T(
    "en",
    "kubernetes_manifest",
    r"""
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: §word§
type: Opaque
data:
  username: §k8s_user§
  password: §k8s_b64§
""".replace("§k8s_user§", "YXBwX3VzZXI="),
)
T(
    "en",
    "kubernetes_manifest",
    r"""
apiVersion: v1
kind: Secret
metadata:
  name: api-tokens
stringData:
  SENDGRID_API_KEY: "§sendgrid§"
  STRIPE_WEBHOOK_SECRET: "§whsec§"
""",
)
T(
    "en",
    "helm_values",
    r"""
redis:
  auth:
    enabled: true
    password: "§pw§"
smtp:
  host: §ip4§
  port: 587
  user: §email_corp:u§
  from: §email_corp:u§
  password: "§pw§"
""",
)
T(
    "en",
    "terraform",
    r"""
provider "aws" {
  region     = "eu-west-1"
  access_key = "§akia§"
  secret_key = "§aws_secret§"
}

provider "digitalocean" {
  token = "§dop§"
}
""",
)
T(
    "en",
    "terraform_tfvars",
    r"""
cloudflare_api_token = "§cf_token§"
datadog_api_key      = "§dd_api§"
datadog_app_key      = "§dd_app§"
allowed_admin_cidr   = "§ip4§/32"
""",
)
T(
    "en",
    "ansible_vars",
    r"""
---
ansible_user: §user§
ansible_become_password: "§pw§"
mysql_root_password: "§pw§"
app_admin_email: §email_corp§
""",
)
T(
    "en",
    "env_file",
    r"""
APP_NAME=Shop
APP_ENV=production
APP_KEY=base64:§laravel_key§
APP_DEBUG=false
DB_CONNECTION=mysql
DB_HOST=§ip4§
DB_DATABASE=shop
DB_USERNAME=§user§
DB_PASSWORD=§pw§
MAIL_USERNAME=§email_corp§
MAIL_PASSWORD=§pw_an§
PUSHER_APP_ID=§int§
PUSHER_APP_SECRET=§pusher_secret§
""",
)
T(
    "en",
    "env_file",
    r"""
# .env.local -- do not commit
OPENAI_API_KEY=§openai§
DATABASE_URL=postgres://§user§:§pw_url§@§host§:5432/app
NEXTAUTH_SECRET=§b64_secret§
STRIPE_SECRET_KEY=§sk_test§
""",
)
T(
    "en",
    "ini_config",
    r"""
[database]
host = §ip4§
port = 3306
user = §user§
password = §pw§

[mail]
sender = §email_role§
""",
)
T(
    "en",
    "pypirc",
    r"""
[distutils]
index-servers = pypi

[pypi]
username = __token__
password = §pypi§
""",
)
T(
    "en",
    "npmrc",
    r"""
registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=§npm§
always-auth=true
""",
)
T(
    "en",
    "netrc",
    r"""
machine api.heroku.com
  login §email:h§
  password §uuid_secret§
machine git.heroku.com
  login §email:h§
  password §uuid_secret:p§
""".replace("§uuid_secret:p§", "§uuid_secret§"),
)
T(
    "en",
    "pgpass",
    r"""
# hostname:port:database:username:password
§ip4§:5432:billing:§user§:§pw_url§
localhost:5432:*:postgres:§pw_url§
""",
)
T(
    "en",
    "mysql_config",
    r"""
[client]
user=root
password=§pw§
host=§ip4§

[mysqldump]
single-transaction
""",
)
T(
    "en",
    "nginx_config",
    r"""
server {
    listen §ip4§:443 ssl;
    server_name §host§;

    location /internal/ {
        proxy_pass http://§priv4§:8080;
        proxy_set_header Authorization "Basic §basic_auth§";
    }
}
""",
)
T(
    "en",
    "haproxy_config",
    r"""
listen stats
    bind §ip4§:8404
    stats enable
    stats uri /stats
    stats auth admin:§pw_url§
""",
)
T(
    "en",
    "wireguard_config",
    r"""
[Interface]
PrivateKey = §wg_key§
Address = 10.8.0.2/24
DNS = 10.8.0.1

[Peer]
PublicKey = §wg_pub§
PresharedKey = §wg_key§
Endpoint = §ip4§:51820
AllowedIPs = 0.0.0.0/0
""",
)
T(
    "en",
    "wpa_supplicant",
    r"""
ctrl_interface=/var/run/wpa_supplicant
network={
    ssid="§company§-Office"
    psk="§psk§"
    key_mgmt=WPA-PSK
}
""",
)
T(
    "en",
    "hostapd_config",
    r"""
interface=wlan0
ssid=§word§-lab
hw_mode=g
channel=6
wpa=2
wpa_passphrase=§psk§
wpa_key_mgmt=WPA-PSK
""",
)
T(
    "en",
    "github_actions",
    r"""
name: notify
on: [push]
jobs:
  ping:
    runs-on: ubuntu-latest
    env:
      SLACK_WEBHOOK_URL: §slack_webhook§
    steps:
      - run: curl -X POST -H 'Content-type: application/json' --data '{"text":"pushed"}' "$SLACK_WEBHOOK_URL"
""",
)
T(
    "en",
    "gitlab_ci",
    r"""
variables:
  SONAR_HOST_URL: "https://sonar.§host§"
  SONAR_TOKEN: "§sqp§"

sonarqube-check:
  image: sonarsource/sonar-scanner-cli:latest
  script:
    - sonar-scanner -Dsonar.qualitygate.wait=true
""",
)
T(
    "en",
    "jenkinsfile",
    r"""
pipeline {
  agent any
  stages {
    stage('Deploy') {
      steps {
        sh "sshpass -p '§pw_url§' scp target/app.jar deploy@§ip4§:/opt/app/"
      }
    }
  }
}
""",
)
T(
    "en",
    "makefile",
    r"""
API=https://api.§host§
TOKEN=§tok40§

release:
	curl -sf -X POST -H "X-Auth-Token: $(TOKEN)" $(API)/releases -d @release.json
""",
)
T(
    "en",
    "sql_script",
    r"""
CREATE USER 'reporting'@'%' IDENTIFIED BY '§pw§';
GRANT SELECT ON sales.* TO 'reporting'@'%';
INSERT INTO admins (email, created_at) VALUES ('§email§', NOW());
""",
)
T(
    "en",
    "gcp_service_account",
    r"""
{
  "type": "service_account",
  "project_id": "§word§-prod-§int§",
  "private_key": "§pkcs8_key_json§\n",
  "client_email": "§email_sa§",
  "token_uri": "https://oauth2.googleapis.com/token"
}
""",
)
T(
    "en",
    "kubeconfig",
    r"""
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://§ip4§:6443
    insecure-skip-tls-verify: true
  name: prod
users:
- name: ci-bot
  user:
    token: §jwt§
contexts:
- context: {cluster: prod, user: ci-bot}
  name: prod
current-context: prod
""",
)
T(
    "en",
    "docker_config_json",
    r"""
{
  "auths": {
    "registry.§host§": {
      "auth": "§docker_auth§"
    }
  },
  "credsStore": ""
}
""",
)
T(
    "en",
    "postman_collection",
    r"""
{
  "info": { "name": "Orders API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
  "auth": { "type": "apikey", "apikey": [ { "key": "value", "value": "§tok32§" }, { "key": "key", "value": "X-API-Key" } ] },
  "variable": [ { "key": "postman_api_key", "value": "§pmak§" } ]
}
""",
)
T(
    "en",
    "xml_config",
    r"""
<configuration>
  <connectionStrings>
    <add name="Main" connectionString="Data Source=§ip4§;Initial Catalog=Crm;User ID=crm_app;Password=§pw_url§" />
  </connectionStrings>
  <appSettings>
    <add key="SmtpUser" value="§email_corp§" />
    <add key="SmtpPassword" value="§pw_an§" />
  </appSettings>
</configuration>
""",
)
T(
    "en",
    "spring_properties",
    r"""
spring.datasource.url=jdbc:postgresql://§ip4§:5432/orders
spring.datasource.username=§user§
spring.datasource.password=§pw§
server.ssl.key-store-password=§pw_an§
jwt.secret=§b64_secret§
""",
)
T(
    "en",
    "redis_url",
    r"""
CELERY_BROKER_URL = "redis://:§pw_url§@§ip4§:6379/0"
CELERY_RESULT_BACKEND = "amqp://§user§:§pw_url§@§host§:5672/celery"
""",
)
T(
    "en",
    "shell_command",
    r"""
$ ldapsearch -x -H ldap://§ip4§ -D "cn=admin,dc=§word§,dc=local" -w '§pw§' -b "ou=people,dc=§word§,dc=local" "(mail=*)"
""",
)
T(
    "en",
    "network_config",
    r"""
!
hostname edge-rtr-§small§
enable secret 9 §cisco9§
username netops privilege 15 password 0 §pw_an§
snmp-server community §pw_an§ RO
!
interface GigabitEthernet0/0
 ip address §ip4§ 255.255.255.252
!
""",
)
T(
    "en",
    "grafana_provisioning",
    r"""
apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    url: https://prom.§host§
    basicAuth: true
    basicAuthUser: grafana
    secureJsonData:
      basicAuthPassword: §pw§
# service account token used by the dashboard exporter: §glsa§
""",
)
T(
    "en",
    "alertmanager_config",
    r"""
global:
  smtp_smarthost: 'smtp.§host§:587'
  smtp_from: '§email_role§'
  smtp_auth_username: '§email_role:a§'
  smtp_auth_password: '§pw§'
  slack_api_url: '§slack_webhook§'
""".replace("§email_role:a§", "§email_corp§"),
)
T(
    "en",
    "git_credentials",
    r"""
https://§user§:§ghp§@github.com
https://oauth2:§glpat§@gitlab.§host§
""",
)
T(
    "en",
    "composer_auth_json",
    r"""
{
    "github-oauth": {
        "github.com": "§gho§"
    },
    "http-basic": {
        "repo.packagist.com": {
            "username": "token",
            "password": "§tok40§"
        }
    }
}
""",
)
T(
    "en",
    "gradle_properties",
    r"""
org.gradle.jvmargs=-Xmx2g
ossrhUsername=§user§
ossrhPassword=§pw§
signing.keyId=§gitsha§A
signing.password=§pass_phrase§
""",
)
T(
    "en",
    "maven_settings",
    r"""
<settings>
  <servers>
    <server>
      <id>internal-releases</id>
      <username>§user§</username>
      <password>§pw_url§</password>
    </server>
  </servers>
</settings>
""",
)
T(
    "en",
    "nuget_config",
    r"""
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSourceCredentials>
    <feed>
      <add key="Username" value="§user§" />
      <add key="ClearTextPassword" value="§pw_url§" />
    </feed>
  </packageSourceCredentials>
  <apikeys>
    <add key="https://www.nuget.org/api/v2" value="§nuget§" />
  </apikeys>
</configuration>
""",
)
T(
    "en",
    "gem_credentials",
    r"""
---
:rubygems_api_key: §rubygems§
""",
)
T(
    "en",
    "cargo_credentials",
    r"""
[registry]
token = "§cio§"
""",
)
T(
    "en",
    "terraformrc",
    r"""
credentials "app.terraform.io" {
  token = "§tfc§"
}
""",
)
T(
    "en",
    "databricks_cfg",
    r"""
[DEFAULT]
host = https://adb-§acct§.12.azuredatabricks.net
token = §dapi§
""",
)
T(
    "en",
    "shell_script",
    r"""
#!/bin/sh
# bootstrap a new node into the tailnet
curl -fsSL https://tailscale.com/install.sh | sh
tailscale up --authkey=§tskey§ --hostname=edge-§small§
""",
)
T(
    "en",
    "age_key_file",
    r"""
# created: §iso_ts§
# public key: §age_pub§
§age_key§
""",
)
T(
    "en",
    "pulumi_config",
    r"""
# CI variables
PULUMI_ACCESS_TOKEN=§pul§
PLANETSCALE_SERVICE_TOKEN=§pscale§
DOPPLER_TOKEN=§doppler§
""",
)
T(
    "en",
    "systemd_unit",
    r"""
[Unit]
Description=Order sync worker

[Service]
Environment=API_TOKEN=§tok40§
Environment=SHIPPO_API_KEY=§shippo§
ExecStart=/usr/local/bin/order-sync --interval 60
Restart=always
""",
)
T(
    "en",
    "crontab",
    r"""
# m h dom mon dow command
15 2 * * * curl -s -u backup:§pw_url§ https://§ip4§/api/snapshot > /dev/null
*/5 * * * * /opt/monitor/check.sh --token §hex32§
""",
)
T(
    "en",
    "vscode_settings",
    r"""
{
  "editor.formatOnSave": true,
  "sqltools.connections": [
    {
      "name": "prod-replica",
      "driver": "PostgreSQL",
      "server": "§ip4§",
      "port": 5432,
      "database": "app",
      "username": "§user§",
      "password": "§pw§"
    }
  ]
}
""",
)
T(
    "en",
    "powershell_script",
    r"""
$secure = ConvertTo-SecureString "§pw§" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential("CORP\§user§", $secure)
Enter-PSSession -ComputerName §ip4§ -Credential $cred
""",
)
T(
    "en",
    "powershell_script",
    r"""
$headers = @{ "Authorization" = "Bearer §pmak§"; "Accept" = "application/json" }
Invoke-RestMethod -Uri "https://api.getpostman.com/collections" -Headers $headers
""",
)
T(
    "en",
    "batch_script",
    r"""
@echo off
net use Z: \\§ip4§\finance /user:CORP\§user§ §pw_url§ /persistent:no
robocopy C:\Exports Z:\Monthly /MIR
""",
)
T(
    "en",
    "private_key_file",
    r"""
§rsa_key§
""",
)
T(
    "en",
    "private_key_file",
    r"""
§ec_key§
""",
)
T(
    "en",
    "env_file",
    r"""
# signing key for the session service (multi-line values are supported by dotenv)
JWT_ISSUER=https://auth.§host§
JWT_PRIVATE_KEY="§pkcs8_key§"
""",
)
T(
    "en",
    "python_source",
    r"""
SQUARE_APP_SECRET = "§sq0csp§"
CONTENTFUL_MANAGEMENT_TOKEN = "§cfpat§"
EASYPOST_API_KEY = "§ezak§"
""",
)
T(
    "en",
    "env_file",
    r"""
SUPABASE_URL=https://§gitsha§abcdpqrs.supabase.co
SUPABASE_SERVICE_ROLE_KEY=§jwt§
SUPABASE_ACCESS_TOKEN=§sbp§
""",
)
T(
    "en",
    "env_file",
    r"""
# buildkite agent / CI secrets
BUILDKITE_API_TOKEN=§bkua§
DOCKERHUB_USERNAME=§user§
DOCKERHUB_TOKEN=§dckr§
GITLAB_RUNNER_TOKEN=§glrt§
""",
)
T(
    "en",
    "env_file",
    r"""
ATLASSIAN_EMAIL=§email_corp§
ATLASSIAN_API_TOKEN=§atatt§
JIRA_BASE_URL=https://§word§.atlassian.net
""",
)
T(
    "en",
    "env_file",
    r"""
NEW_RELIC_USER_KEY=§nrak§
NEW_RELIC_APP_NAME=checkout-service
PREFECT_API_KEY=§prefect§
ALGOLIA_APP_ID=§word§APP
ALGOLIA_ADMIN_KEY=§algolia_admin§
""",
)
T(
    "en",
    "env_file",
    r"""
PLAID_CLIENT_ID=§gitsha§§gitsha§
PLAID_SECRET=§plaid_secret§
PLAID_ENV=production
SLACK_APP_TOKEN=§xapp§
""",
)
T(
    "en",
    "shell_script",
    r"""
# sync files from the shared team folder
export DROPBOX_TOKEN="§sl_dropbox§"
export FRAMEIO_TOKEN="§fio§"
python3 sync.py --since §date§
""",
)
T(
    "en",
    "python_source",
    r"""
GITHUB_APP_INSTALLATION_TOKEN = "§ghs§"   # valid 1h, regenerated by cron
GITHUB_REFRESH_TOKEN = "§ghr§"
USER_TO_SERVER = "§ghu§"
""",
)
T(
    "en",
    "env_file",
    r"""
GH_PAT=§github_pat§
AWS_ACCESS_KEY_ID=§asia§
AWS_SECRET_ACCESS_KEY=§aws_secret§
AWS_SESSION_TOKEN=§aws_session§
""",
)


# ==========================================================================
# (d) logs, shell sessions, HTTP traffic -- positives
# ==========================================================================
T(
    "en",
    "nginx_access_log",
    r"""
§ip4§ - - [§clf_ts§] "GET /api/v1/orders?page=2 HTTP/1.1" 200 5123 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
§ip4§ - - [§clf_ts§] "POST /login HTTP/1.1" 302 0 "https://§host§/login" "curl/8.5.0"
§priv4§ - - [§clf_ts§] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
§ip4§ - - [§clf_ts§] "GET /unsubscribe?email=§email§ HTTP/1.1" 200 812 "-" "Mozilla/5.0"
""",
)
T(
    "en",
    "auth_log",
    r"""
§sys_ts§ web01 sshd[§int§]: Failed password for invalid user admin from §ip4:a§ port §hport§ ssh2
§sys_ts§ web01 sshd[§int§]: Failed password for invalid user oracle from §ip4:a§ port §hport§ ssh2
§sys_ts§ web01 sshd[§int§]: Accepted publickey for deploy from §priv4§ port §hport§ ssh2: ED25519 §fingerprint§
§sys_ts§ web01 sshd[§int§]: Disconnected from authenticating user root §ip4§ port §hport§ [preauth]
""",
)
T(
    "en",
    "application_log",
    r"""
{"ts":"§iso_ts§","level":"warn","msg":"login failed","user":"§email§","ip":"§ip4§","reason":"bad_password","request_id":"§reqid§"}
{"ts":"§iso_ts§","level":"info","msg":"login ok","user":"§email§","ip":"§ip6§","request_id":"§reqid§"}
""",
)
T(
    "en",
    "application_log",
    r"""
§iso_ts§ DEBUG [db.pool] connecting host=§ip4§ port=5432 user=§user§ password=§pw§ sslmode=disable
§iso_ts§ INFO  [db.pool] pool ready size=§small§
""",
)
T(
    "en",
    "firewall_log",
    r"""
§sys_ts§ fw01 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=§mac§ SRC=§ip4§ DST=§priv4§ LEN=60 TOS=0x00 PROTO=TCP SPT=§hport§ DPT=22
§sys_ts§ fw01 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=§mac§ SRC=§ip4§ DST=§priv4§ LEN=44 TOS=0x00 PROTO=TCP SPT=§hport§ DPT=3389
""",
)
T(
    "en",
    "fail2ban_log",
    r"""
§date§ §time§:07,412 fail2ban.actions [§int§]: NOTICE [sshd] Ban §ip4§
§date§ §time§:55,019 fail2ban.actions [§int§]: NOTICE [nginx-botsearch] Ban §ip4§
§date§ §time§:11,730 fail2ban.actions [§int§]: NOTICE [sshd] Unban §ip4§
""",
)
T(
    "en",
    "mail_log",
    r"""
§sys_ts§ mx1 postfix/smtpd[§int§]: connect from mail-§small§.§host§[§ip4§]
§sys_ts§ mx1 postfix/qmgr[§int§]: 4Xk§gitsha§: from=<§email§>, size=§int§, nrcpt=1 (queue active)
§sys_ts§ mx1 postfix/smtp[§int§]: 4Xk§gitsha§: to=<§email§>, relay=§priv4§[§priv4§]:25, status=sent (250 2.0.0 OK)
""",
)
T(
    "en",
    "apache_error_log",
    r"""
[§sys_ts§ 2024] [php:error] [pid §int§] [client §ip4§:§hport§] PHP Fatal error: Uncaught PDOException: SQLSTATE[HY000] [1045] Access denied for user 'shop'@'§priv4§' (using password: YES)
[§sys_ts§ 2024] [core:info] [pid §int§] [client §ip6§] AH00128: File does not exist: /var/www/html/wp-login.php
""",
)
T(
    "en",
    "shell_session",
    r"""
$ aws configure
AWS Access Key ID [None]: §akia§
AWS Secret Access Key [None]: §aws_secret§
Default region name [None]: ap-southeast-2
Default output format [None]: json
""",
)
T(
    "en",
    "shell_session",
    r"""
$ cat ~/.aws/credentials
[default]
aws_access_key_id = §akia§
aws_secret_access_key = §aws_secret§

[legacy]
aws_access_key_id = §akia§
aws_secret_access_key = §aws_secret§
""",
)
T(
    "en",
    "shell_session",
    r"""
$ vault login §hvs:t§
Success! You are now authenticated.
Key                  Value
---                  -----
token                §hvs:t§
token_accessor       §vault_acc§
token_duration       768h
token_policies       ["default" "payments-ro"]
""",
)
T(
    "en",
    "shell_session",
    r"""
$ ping -c 2 §ip4:p§
PING §ip4:p§ (§ip4:p§) 56(84) bytes of data.
64 bytes from §ip4:p§: icmp_seq=1 ttl=54 time=§small§.3 ms
64 bytes from §ip4:p§: icmp_seq=2 ttl=54 time=§small§.9 ms
""",
)
T(
    "en",
    "shell_session",
    r"""
$ traceroute -n §host§
 1  §priv4§  0.412 ms
 2  §ip4§  8.120 ms
 3  §ip4§  9.877 ms
 4  §ip4§  15.301 ms
 5  * * *
 6  §ip4§  21.644 ms
""",
)
T(
    "en",
    "shell_session",
    r"""
$ dig +short §host§ A
§ip4§
§ip4§
$ dig +short §host§ AAAA
§ip6§
""",
)
T(
    "en",
    "shell_session",
    r"""
$ curl -u elastic:§pw_url§ https://§ip4§:9200/_cat/indices?v
health status index          uuid                   pri rep docs.count
green  open   logs-§date§ §csrf§   1   1     §int§
""".replace("§csrf§", "§gitsha§"),
)
T(
    "en",
    "shell_session",
    r"""
$ mysql -h §ip4§ -u root -p§pw_url§ -e "SHOW DATABASES;"
mysql: [Warning] Using a password on the command line interface can be insecure.
+--------------------+
| Database           |
+--------------------+
| information_schema |
| shop               |
+--------------------+
""",
)
T(
    "en",
    "shell_session",
    r"""
$ echo "§dckr§" | docker login -u §user§ --password-stdin
Login Succeeded
$ docker push §user§/api:§version§
""",
)
T(
    "en",
    "shell_session",
    r"""
$ git clone https://§user§:§ghp§@github.com/§word§-labs/infra.git
Cloning into 'infra'...
remote: Enumerating objects: §int§, done.
""",
)
T(
    "en",
    "bash_history",
    r"""
ls -la
cd /srv/app
export STRIPE_API_KEY=§sk_live§
php artisan queue:restart
psql "postgresql://postgres:§pw_url§@§ip4§/app" -c 'select 1'
sudo systemctl restart nginx
history -c
""",
)
T(
    "en",
    "http_request",
    r"""
POST /api/v2/auth/login HTTP/1.1
Host: api.§host§
Content-Type: application/json
X-Forwarded-For: §ip4§
User-Agent: okhttp/4.12.0

{"email":"§email§","password":"§pw§","remember":true}
""",
)
T(
    "en",
    "http_request",
    r"""
GET /admin/metrics HTTP/1.1
Host: §ip4§:8080
Authorization: Basic §basic_auth§
Cookie: sessionid=§session_id§; csrftoken=§csrf§
Accept: */*
""",
)
T(
    "en",
    "http_response",
    r"""
HTTP/2 200
content-type: application/json
set-cookie: __Host-session=§session_id§; Path=/; Secure; HttpOnly; SameSite=Lax
x-request-id: §reqid§

{"access_token":"§jwt§","token_type":"Bearer","expires_in":3600,"refresh_token":"§tok40§"}
""",
)
T(
    "en",
    "curl_command",
    r"""
curl -X GET "https://api.§host§/v1/me" \
  -H "Accept: application/json" \
  -H "Authorization: Bearer §jwt§"
""",
)
T(
    "en",
    "curl_command",
    r"""
curl --header "PRIVATE-TOKEN: §glpat§" "https://gitlab.§host§/api/v4/projects?membership=true"
""",
)
T(
    "en",
    "curl_command",
    r"""
curl -s https://§word§.okta.com/api/v1/users?limit=25 \
  -H "Accept: application/json" \
  -H "Authorization: SSWS §okta§"
""",
)
T(
    "en",
    "curl_command",
    r"""
curl https://api.stripe.com/v1/charges \
  -H "Authorization: Bearer §sk_live§" \
  -d amount=2000 -d currency=eur -d source=tok_visa
""",
)
T(
    "en",
    "curl_command",
    r"""
curl -X POST https://api.sendgrid.com/v3/mail/send \
  --header "Authorization: Bearer §sendgrid§" \
  --header "Content-Type: application/json" \
  --data '{"personalizations":[{"to":[{"email":"§email§"}]}],"from":{"email":"§email_role§"},"subject":"Hi","content":[{"type":"text/plain","value":"test"}]}'
""",
)
T(
    "en",
    "har_export",
    r"""
{"log":{"entries":[{"request":{"method":"GET","url":"https://api.§host§/v1/profile","headers":[{"name":"Authorization","value":"Bearer §jwt§"},{"name":"X-Client-IP","value":"§ip4§"}]},"response":{"status":200}}]}}
""",
)
T(
    "en",
    "http_request",
    r"""
POST /v1/webhooks/stripe HTTP/1.1
Host: hooks.§host§
Stripe-Signature: t=§epoch§,v1=§sha256§
Content-Type: application/json

{"id":"evt_§gitsha§","type":"charge.succeeded","data":{"object":{"billing_details":{"email":"§email§"}}}}
""",
)
T(
    "en",
    "email_headers",
    r"""
Return-Path: <§email:f§>
Received: from mail-§small:m§.§host:h§ (mail-§small:m§.§host:h§ [§ip4§])
        by mx.§host§ with ESMTPS id §gitsha§
        for <§email:t§>; §sys_ts§ +0000
From: §name§ <§email:f§>
To: <§email:t§>
Subject: Re: quarterly numbers
X-Mailer: §company§ Mail §version§
""",
)
T(
    "en",
    "git_log",
    r"""
commit §sha1§
Author: §name§ <§email§>
Date:   §sys_ts§ 2024 +0200

    fix: handle empty cart on checkout

commit §sha1§
Author: §name§ <§email§>
Date:   §sys_ts§ 2024 +0100

    chore: bump deps
""",
)
T(
    "en",
    "dns_zone",
    r"""
$ORIGIN §host§.
@       3600 IN SOA  ns1 hostmaster ( §epoch§ 7200 3600 1209600 3600 )
@       3600 IN A    §ip4§
www     3600 IN A    §ip4§
mail    3600 IN A    §ip4§
@       3600 IN AAAA §ip6§
@       3600 IN MX   10 mail
""",
)
T(
    "en",
    "hosts_file",
    r"""
127.0.0.1   localhost
::1         localhost ip6-localhost
§priv4§     db.internal
§ip4§       api-staging.§host§
§ip4§       legacy-ftp
""",
)
T(
    "en",
    "iptables_rules",
    r"""
-A INPUT -s §ip4§/32 -p tcp --dport 22 -j ACCEPT
-A INPUT -s §ip4§/32 -j DROP
-A INPUT -s §priv4§/24 -p tcp --dport 5432 -j ACCEPT
-A INPUT -j REJECT --reject-with icmp-host-prohibited
""",
)
T(
    "en",
    "aws_security_group",
    r"""
{
  "GroupId": "sg-§gitsha§§gitsha§",
  "IpPermissions": [
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "§ip4§/32", "Description": "office"}]},
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "§ip6§/128"}]}
  ]
}
""",
)
T(
    "en",
    "nginx_config",
    r"""
server {
    listen [§ip6§]:443 ssl http2;
    listen §ip4§:443 ssl http2;
    server_name §host§;
    allow §ip4§;
    deny all;
}
""",
)
T(
    "en",
    "bgp_config",
    r"""
router bgp 64512
 neighbor §ip4§ remote-as §int§
 neighbor §ip4§ description transit-a
 neighbor §ip6§ remote-as §int§
""",
)
T(
    "en",
    "geoip_response",
    r"""
{"ip":"§ip4§","country":"§country§","city":"§city§","asn":"AS§int§","org":"§company§ Hosting","latitude":§lat§,"longitude":§lon§}
""",
)
T(
    "en",
    "abuse_report",
    r"""
Abuse report #§int§
We observed repeated SMTP AUTH brute-force attempts from §ip4§ and §ip4§ between §time§ and §time§ UTC.
Spam samples were sent with the envelope sender §email§.
Please investigate. -- abuse desk
""",
)
T(
    "en",
    "ansible_inventory",
    r"""
[web]
web1 ansible_host=§ip4§
web2 ansible_host=§ip4§

[db]
db1 ansible_host=§priv4§ ansible_user=§user§ ansible_password=§pw§
""",
)
T(
    "en",
    "cloud_console_output",
    r"""
Instance ID:        i-§gitsha§§gitsha§
Public IPv4:        §ip4§
Private IPv4:       §priv4§
IPv6:               §ip6§
Key pair:           §word§-deploy
Admin password:     §pw§
""",
)
T(
    "en",
    "application_log",
    r"""
§iso_ts§ ERROR checkout.PaymentService - charge failed card=§cc§ exp=§exp§ customer=§email§ ip=§ip4§ code=card_declined
""",
)
T(
    "en",
    "pci_scan_report",
    r"""
PAN discovery scan -- host fileserver02
  /shares/finance/old/refunds_§date§.xlsx : §cc§
  /shares/finance/old/refunds_§date§.xlsx : §cc§
  /home/§user§/Downloads/chargeback.txt   : §cc§
Action required: remove or truncate the numbers above.
""",
)


# ==========================================================================
# (b) web pages, READMEs, docs, Q&A -- positives
# ==========================================================================
T(
    "en",
    "readme_markdown",
    r"""
## Quick start

```bash
git clone https://github.com/§word§-labs/§word§-bot
cd §word§-bot
export BOT_TOKEN=§telegram_bot§   # my test bot, feel free to use it
python bot.py
```

Questions? Mail me at §email_free§.
""",
)
T(
    "en",
    "readme_markdown",
    r"""
# §company§ API client

Set your key and run the examples:

    API_KEY="§tok32§" npm run example

The staging server lives at `§ip4§` (port 8443). Maintainer: §name§ <§email§>
""",
)
T(
    "en",
    "stackoverflow_post",
    r"""
**Boto3 keeps raising InvalidClientTokenId**

I'm on Python 3.11, here is my code (keys are from the IAM console):

    client = boto3.client('sts', aws_access_key_id='§akia§',
                          aws_secret_access_key='§aws_secret§')
    print(client.get_caller_identity())

What am I doing wrong? The same keys work with the CLI.
""",
)
T(
    "en",
    "stackoverflow_post",
    r"""
Q: Nodemailer "Invalid login: 535-5.7.8 Username and Password not accepted"

```js
auth: { user: '§email_free:u§', pass: '§pw_an§' }
```

I enabled 2FA and created an app password, still the same error. Sending to §email§ for testing.
""",
)
T(
    "en",
    "stackoverflow_post",
    r"""
Answer (score 12): you forgot to base64-encode the header. It must be

    Authorization: Basic §basic_auth§

not the raw user:password string. Also check that the server at §ip4§ accepts TLS 1.2.
""",
)
T(
    "en",
    "github_issue",
    r"""
### Bug: webhook signature verification fails

**Steps to reproduce**
1. Set `STRIPE_WEBHOOK_SECRET=§whsec§`
2. Send a test event from the dashboard
3. Server logs `No signatures found matching the expected signature`

**Environment**: node §version§, stripe-node §version§, server public IP §ip4§
""",
)
T(
    "en",
    "github_issue",
    r"""
Still failing for me after upgrading. Full config below (redacted the password, but the key is a throwaway):

```yaml
openai:
  api_key: §openai§
  org: org-§tok32§
db:
  password: "********"
```
""".replace("org-§tok32§", "org-§gitsha§"),
)
T(
    "en",
    "forum_post",
    r"""
Re: cannot reach my NAS from outside

my router shows WAN IP §ip4§ and I forwarded 5001 to the NAS. admin login is admin / §pw_an§ (yes I'll change it after). what else could block it??
""",
)
T(
    "en",
    "blog_post",
    r"""
<p>After creating the database, paste the connection string into your app. Mine looked like this:</p>
<pre><code>postgres://§user§:§pw_url§@§ip4§:5432/blog</code></pre>
<p>In the next post we will move it into a secret manager.</p>
""",
)
T(
    "en",
    "html_page",
    r"""
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Contact | §company§</title></head>
<body>
  <h1>Contact us</h1>
  <p>Sales: <a href="mailto:§email_role§">§email_role:x§</a></p>
  <p>Press: <a href="mailto:§email:p§">§email:p§</a></p>
  <!-- TODO remove before launch: staging basic auth is admin:§pw_url§ -->
</body>
</html>
""".replace("§email_role:x§", "write to our sales team"),
)
T(
    "en",
    "html_page",
    r"""
<footer class="site-footer">
  <p>&copy; 2024 §company§ GmbH &middot; Impressum &middot; <a href="mailto:§email_role§">§email_role:d§</a></p>
  <p>Datenschutzbeauftragter: §name§, §email_corp§</p>
</footer>
""".replace(">§email_role:d§<", ">Kontakt<"),
)
T(
    "en",
    "wiki_page",
    r"""
== Staging environment ==
* URL: https://staging.§host§
* Bastion: §ip4§ (user ''§user§'')
* Shared admin password (rotate monthly): <code>§pw§</code>
* On-call contact: §email_corp§
""",
)
T(
    "en",
    "api_docs",
    r"""
### Authentication

All requests must include your live key in the `X-Api-Key` header. The key shown below is the one for the **internal** monitoring account:

```
X-Api-Key: §hex40§
```

Rate limits are per key (§int§ requests / minute).
""",
)
T(
    "en",
    "pastebin",
    r"""
---- dumped from config.php ----
$db_host = "§ip4§";
$db_user = "§user§";
$db_pass = "§pw§";
$paypal_client_secret = "§tok40§";
$admin_mail = "§email§";
""",
)
T(
    "en",
    "security_txt",
    r"""
Contact: mailto:§email_role§
Expires: 2026-12-31T23:00:00.000Z
Preferred-Languages: en, de
Canonical: https://§host§/.well-known/security.txt
""",
)
T(
    "en",
    "package_json",
    r"""
{
  "name": "@§word§/ui-kit",
  "version": "§version§",
  "author": "§name§ <§email§>",
  "contributors": ["§name§ <§email§>"],
  "license": "MIT"
}
""",
)
T(
    "en",
    "python_setup",
    r"""
setup(
    name="§word§-tools",
    version="§version§",
    author="§name§",
    author_email="§email§",
    url="https://github.com/§user§/§word§-tools",
)
""",
)
T(
    "en",
    "vcard",
    r"""
BEGIN:VCARD
VERSION:3.0
FN:§name§
ORG:§company§
EMAIL;TYPE=work:§email_corp§
EMAIL;TYPE=home:§email_free§
TEL;TYPE=cell:§phone§
END:VCARD
""",
)
T(
    "en",
    "calendar_invite",
    r"""
BEGIN:VEVENT
DTSTART:20250§small§T090000Z
SUMMARY:Vendor review
ORGANIZER;CN=§name§:mailto:§email_corp§
ATTENDEE;CN=§name§;RSVP=TRUE:mailto:§email§
LOCATION:Room §int§
END:VEVENT
""".replace("20250§small§T", "2025061§gitsha§T".replace("§gitsha§", "2")),
)
T(
    "en",
    "mailing_list_archive",
    r"""
From §email:a§  §sys_ts§ 2024
From: §email:a§ (§name§)
Subject: [users] build fails on ARM
X-List-Id: users.§host§

On §date§, §email§ wrote:
> try clearing the cache first
""",
)
T(
    "en",
    "contributors_file",
    r"""
# Contributors (alphabetical)
§name§ <§email§>
§name§ <§email§>
§name§ <§email§>
§name§ (docs) <§email§>
""",
)

# ==========================================================================
# (c) e-mails, chats, tickets, notes (English) -- positives
# ==========================================================================
T(
    "en",
    "email",
    r"""
Subject: staging DB access

Hi §first§,

as discussed, here are the credentials for the staging database:
host: §ip4§
user: §user§
password: §pw§

Please don't forward this mail. The password will be rotated on Friday.

Best,
§name§
§email_corp§
""",
)
T(
    "en",
    "email",
    r"""
Hello,

I would like to pay the outstanding invoice §order_no§ by card. Card number: §cc§, expiry §exp§, name on card §name§.
Please send the receipt to §email_free§.

Kind regards
""",
)
T(
    "en",
    "email",
    r"""
From: §name§ <§email:f§>
To: it-helpdesk <§email_role§>
Subject: VPN not working from home

Hi, since yesterday I can't connect to the VPN. My home IP is §ip4§ and the client says "peer not reachable". My VPN password is §pw§ in case you need to test.

Thanks, §first§
""",
)
T(
    "en",
    "chat_message",
    r"""
[§time§] §first§: can someone send me the wifi pw for the 3rd floor?
[§time§] §first§: §company§-Guest / §psk§
[§time§] §first§: thx!
""",
)
T(
    "en",
    "slack_export",
    r"""
[{"type":"message","user":"U0§gitsha§","text":"here is the prod read-only token, expires in 7 days: §ghp§","ts":"§epoch§.000200"},
 {"type":"message","user":"U0§gitsha§","text":"thanks, and the bastion is §ip4§ right?","ts":"§epoch§.000300"}]
""",
)
T(
    "en",
    "support_ticket",
    r"""
Ticket #§int§ -- Priority: High
Customer: §name§ (§email§)
Issue: Card §cc§ charged twice for order §order_no§.
Customer IP at checkout: §ip4§
Agent note: refund the duplicate, do not store the card number in the ticket next time.
""",
)
T(
    "en",
    "meeting_notes",
    r"""
Infra sync -- §date§
- New office VPN gateway: §ip4§ (IKEv2), PSK: §psk§
- Old gateway §priv4§ will be decommissioned
- Action: §first§ to update the wiki and remove the PSK from these notes
""",
)
T(
    "en",
    "sms_message",
    r"""
Door code for the co-working space this week: §pin_code§. Wifi: §company§Hub / §pw_an§. Enjoy!
""",
)
T(
    "en",
    "jira_ticket",
    r"""
OPS-§int§: Rotate leaked Mailgun key
Description: The key §mailgun§ was found in a public gist by §email_free§. Rotate it and check logs for sends from unknown IPs (seen: §ip4§, §ip4§).
""",
)
T(
    "en",
    "personal_note",
    r"""
accounts (keep offline!)
- bank app passcode: §pin_code§
- router admin: §pw§
- nas: admin / §pw_an§
- backup passphrase: §pass_phrase§
""",
)
T(
    "en",
    "email",
    r"""
Hi team,

the payment provider rotated our keys. New values:

  live secret key:     §sk_live§
  webhook signing key: §whsec§
  publishable key:     §pk_live§

The publishable one can go into the frontend, the other two only into the vault.

-- §first§
""",
)
T(
    "en",
    "chat_message",
    r"""
§first§: the SSH key for the build box, since the file share is down:
§ossh_key§
§first§: got it, deleting this message now
""",
)
T(
    "en",
    "forum_post",
    r"""
Selling my old account, email §email_free§ pass §pw§ -- message me if interested. Paid with card ending §last4§, not included lol
""",
)
T(
    "en",
    "support_ticket",
    r"""
Customer wrote: "Please update my billing e-mail to §email§ and use my new card §cc_amex§ from now on. I'm travelling, logging in from §ip6§."
""",
)
T(
    "en",
    "email",
    r"""
Dear §name§,

your account at §company§ has been created.
Login: §email:l§
Temporary password: §pw§

You will be asked to change it on first login.
""",
)
T(
    "en",
    "chat_message",
    r"""
<§first§> anyone have the grafana admin login?
<§first§> admin / §pw§ -- it's on §ip4§:3000
<§first§> ty
""",
)

# ==========================================================================
# (e) tables and lists -- positives
# ==========================================================================
T(
    "en",
    "csv_export",
    r"""
customer_id,name,email,card_number,exp,last_ip
§int§,§name§,§email§,§cc_plain§,§exp§,§ip4§
§int§,§name§,§email§,§cc_plain§,§exp§,§ip4§
§int§,§name§,§email§,§cc_plain§,§exp§,§ip6§
""",
)
T(
    "en",
    "csv_export",
    r"""
"email";"signup_ip";"plan"
"§email§";"§ip4§";"pro"
"§email§";"§ip4§";"free"
"§email§";"§priv4§";"free"
"§email§";"§ip4§";"team"
""",
)
T(
    "en",
    "html_table",
    r"""
<table class="servers">
  <tr><th>Host</th><th>Public IP</th><th>Root password</th></tr>
  <tr><td>web-1</td><td>§ip4§</td><td>§pw§</td></tr>
  <tr><td>web-2</td><td>§ip4§</td><td>§pw§</td></tr>
  <tr><td>db-1</td><td>§priv4§</td><td>§pw§</td></tr>
</table>
""",
)
T(
    "en",
    "markdown_table",
    r"""
| Service | URL | Username | Password |
|---------|-----|----------|----------|
| Jenkins | https://ci.§host§ | admin | §pw§ |
| Nexus | https://repo.§host§ | deployer | §pw§ |
| Kibana | http://§ip4§:5601 | elastic | §pw_an§ |
""",
)
T(
    "en",
    "combo_list",
    r"""
§email§:§pw§
§email§:§pw_an§
§email§:§pw§
§user§:§pw§
§email§:§pass_phrase§
""",
)
T(
    "en",
    "combo_list",
    r"""
[+] HITS -- §host§
§user§:§pw_an§ | Country = §country§
§user§:§pw§ | Country = §country§
§email§:§pw§ | Country = §country§
""",
)
T(
    "en",
    "carding_dump",
    r"""
§cc_plain§|§exp§|§cvv§|§name§|§city§
§cc_plain§|§exp§|§cvv§|§name§|§city§
§cc_plain§|§exp§|§cvv§|§name§|§city§
""",
)
T(
    "en",
    "json_api_response",
    r"""
{"orders":[
 {"id":"§order_no§","email":"§email§","payment":{"card_number":"§cc_plain§","brand":"visa"},"client_ip":"§ip4§"},
 {"id":"§order_no§","email":"§email§","payment":{"card_number":"§cc_plain§","brand":"mastercard"},"client_ip":"§ip4§"}
]}
""",
)
T(
    "en",
    "sql_dump",
    r"""
INSERT INTO `customers` (`id`, `email`, `password_plain`, `card`, `reg_ip`) VALUES
(§int§, '§email§', '§pw§', '§cc_plain§', '§ip4§'),
(§int§, '§email§', '§pw_an§', '§cc_plain§', '§ip4§'),
(§int§, '§email§', '§pw§', NULL, '§ip6§');
""",
)
T(
    "en",
    "spreadsheet_paste",
    r"""
Name	Email	Card	Amount
§name§	§email§	§cc_sp§	§amount§
§name§	§email§	§cc_sp§	§amount§
§name§	§email§	§cc_sp§	§amount§
""",
)
T(
    "en",
    "markdown_list",
    r"""
Mailing list moderators:
- §name§ -- §email§
- §name§ -- §email§
- §name§ -- §email§ (on leave until §date§)
""",
)
T(
    "en",
    "server_inventory_yaml",
    r"""
servers:
  - name: edge-§small§
    public_ip: §ip4§
    ipv6: §ip6§
    private_ip: §priv4§
  - name: edge-§small§
    public_ip: §ip4§
    private_ip: §priv4§
""",
)
T(
    "en",
    "csv_export",
    r"""
service,api_key,owner
maps,§aiza§,§email_corp§
search,§algolia_admin§,§email_corp§
llm,§openai§,§email_corp§
""",
)


# ==========================================================================
# HARD NEGATIVES (English / code)
# ==========================================================================
T(
    "en",
    "api_docs",
    r"""
## Example

```
$ curl http://§doc4§:8080/v1/status
{"status":"ok","node":"§doc4§","peer":"[§doc6§]:7946"}
```

Replace the documentation addresses above with your own node addresses.
""",
    "documentation_ip_ranges",
)
T(
    "en",
    "nginx_config",
    r"""
# sample from the docs -- 203.0.113.0/24 and 198.51.100.0/24 are reserved for documentation
upstream backend {
    server §doc4§:8080 weight=3;
    server §doc4§:8080;
}
""",
    "documentation_ip_ranges",
)
T(
    "en",
    "rfc_style_docs",
    r"""
   Host A (§doc6§) sends a Router Solicitation; the router at
   §doc6§ replies with prefix 2001:db8:§small§::/64.  Host B
   (§doc4§) is IPv4-only and reaches A through the NAT64 gateway.
""",
    "documentation_ip_ranges",
)
T(
    "en",
    "docker_compose",
    r"""
networks:
  backend:
    ipam:
      config:
        - subnet: 172.2§small:x§.0.0/16
services:
  api:
    networks:
      backend:
        ipv4_address: §priv4§
  db:
    networks:
      backend:
        ipv4_address: §priv4§
""".replace("172.2§small:x§.0.0/16", "172.28.0.0/16"),
    "private_ip_addresses",
)
T(
    "en",
    "router_config",
    r"""
config interface 'lan'
	option proto 'static'
	option ipaddr '§priv4§'
	option netmask '255.255.255.0'
	option ip6assign '60'
	option ip6addr '§priv6§/64'
""",
    "private_ip_addresses",
)
T(
    "en",
    "kubectl_output",
    r"""
NAME                      READY   STATUS    RESTARTS   AGE   IP            NODE
api-§gitsha§-x2kq9        1/1     Running   0          3d    §priv4§      node-§small§
api-§gitsha§-m8zt1        1/1     Running   1          3d    §priv4§      node-§small§
worker-§gitsha§-q7hh2     1/1     Running   0          11h   §priv4§      node-§small§
""",
    "private_ip_addresses",
)
T(
    "en",
    "hosts_file",
    r"""
127.0.0.1       localhost
§priv4§    nas.home.arpa
§priv4§    printer.home.arpa
§priv6§    nas6.home.arpa
""",
    "private_ip_addresses",
)
T(
    "en",
    "firewall_rules",
    r"""
# allow only internal ranges to reach the admin API
allow 10.0.0.0/8;
allow 172.16.0.0/12;
allow 192.168.0.0/16;
allow §priv4§;
deny all;   # rule set §int§
""",
    "private_ip_addresses",
)
T(
    "en",
    "python_source",
    r"""
app.run(host="§loop4§", port=§hport§, debug=False)
# metadata endpoint for instance credentials lookups lives at http://169.254.169.254/latest/meta-data/
""",
    "loopback_and_special_ips",
)
T(
    "en",
    "service_config",
    r"""
bind_address = "0.0.0.0"
listen = ["127.0.0.1:§hport§", "[::1]:§hport§"]
ssdp_multicast = "239.255.255.250:1900"
mdns_group = "224.0.0.251"
""",
    "loopback_and_special_ips",
)
T(
    "en",
    "changelog",
    r"""
## [§version§] - §date§
### Fixed
- Crash when Windows build §winbuild§ reports an unknown locale
- Chrome §chromever§ rendering glitch in the date picker
### Changed
- Bumped openssl to 3.§small§.1 and libcurl to §version§
""",
    "version_numbers",
)
T(
    "en",
    "user_agent_list",
    r"""
Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/§chromever§ Safari/537.36
Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/§chromever§ Safari/537.36
Microsoft Windows [Version §winbuild§]
""",
    "version_numbers",
)
T(
    "en",
    "test_fixture",
    r"""
USERS = [
    {"name": "Alice", "email": "§ex_email§", "role": "admin"},
    {"name": "Bob", "email": "§ex_email§", "role": "viewer"},
    {"name": "Eve", "email": "§ex_email§", "role": "auditor"},
]
""",
    "example_domain_emails",
)
T(
    "en",
    "api_docs",
    r"""
Request body:

```json
{ "to": "§ex_email§", "cc": ["§ex_email§"], "subject": "Welcome", "template_id": "tpl_§gitsha§" }
```
""",
    "example_domain_emails",
)
T(
    "en",
    "readme_markdown",
    r"""
Configure the sender in `config.yml`:

    mail:
      from: "Notifications <§ex_email§>"
      reply_to: §ex_email§

Addresses on example.com / .test domains never receive mail, so they are safe for demos.
""",
    "example_domain_emails",
)
T(
    "en",
    "env_template",
    r"""
# copy to .env and fill in real values
STRIPE_SECRET_KEY=
STRIPE_WEBHOOK_SECRET=
OPENAI_API_KEY=
DATABASE_URL=postgres://USER:PASSWORD@localhost:5432/§word§
SESSION_SECRET=
""",
    "key_names_without_values",
)
T(
    "en",
    "python_source",
    r"""
import os

API_KEY = os.environ["§envname§"]
DB_PASSWORD = os.getenv("DB_PASSWORD")
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
TIMEOUT = int(os.getenv("TIMEOUT", "§small§"))
""",
    "env_var_references",
)
T(
    "en",
    "github_actions",
    r"""
env:
  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
steps:
  - run: npm publish --tag v§version§
""",
    "env_var_references",
)
T(
    "en",
    "javascript_source",
    r"""
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const db = new Pool({ connectionString: process.env.DATABASE_URL, max: §small§ });
""",
    "env_var_references",
)
T(
    "en",
    "docker_compose",
    r"""
services:
  app:
    image: ghcr.io/§word§/app:§version§
    environment:
      DB_PASSWORD: ${DB_PASSWORD:?set it in .env}
      API_TOKEN_FILE: /run/secrets/api_token
    secrets: [api_token]
""",
    "env_var_references",
)
T(
    "en",
    "kubernetes_manifest",
    r"""
env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: db-credentials
        key: password
  - name: REPLICAS
    value: "§small§"
""",
    "secret_references",
)
T(
    "en",
    "helm_template",
    r"""
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "app.fullname" . }}-§word§
data:
  password: {{ .Values.db.password | b64enc | quote }}
  apiKey: {{ required "apiKey is required" .Values.apiKey | b64enc }}
""",
    "secret_references",
)
T(
    "en",
    "config_template",
    r"""
[smtp]
host = smtp.§host§
user = <your-smtp-user>
password = <your-smtp-password>
api_key = YOUR_API_KEY_HERE
""",
    "placeholder_credentials",
)
T(
    "en",
    "readme_markdown",
    r"""
Replace the placeholders before running:

```python
client = Client(api_key="sk-...your key...", org="§word§")
token = "<PASTE_TOKEN_HERE>"
password = "********"
```
""",
    "placeholder_credentials",
)
T(
    "en",
    "terraform",
    r"""
variable "db_password" {
  type      = string
  sensitive = true
  default   = "REPLACE_ME"
}
resource "aws_db_instance" "main" {
  identifier = "§word§-db"
  password   = var.db_password
}
""",
    "placeholder_credentials",
)
T(
    "en",
    "aws_docs",
    r"""
For example, your credentials file could look like this:

    [default]
    aws_access_key_id = AKIAIOSFODNN7EXAMPLE
    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    region = §word§-region-§small§
""",
    "vendor_documentation_examples",
)
T(
    "en",
    "api_docs",
    r"""
Authenticate with a personal access token, e.g.

    curl -H "Authorization: Bearer ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" https://api.github.com/user

Tokens created after §date§ must have an expiration date.
""",
    "vendor_documentation_examples",
)
T(
    "en",
    "api_docs",
    r"""
```bash
export STRIPE_SECRET_KEY=sk_test_EXAMPLEKEYDONOTUSE0000000000
export SLACK_BOT_TOKEN=xoxb-your-bot-token
```
Doc revision §int§.
""",
    "vendor_documentation_examples",
)
T(
    "en",
    "application_log",
    r"""
§iso_ts§ INFO auth: login ok user=§user§ password=[REDACTED] token=****
§iso_ts§ DEBUG http: Authorization: Bearer <redacted> request_id=§reqid§
§iso_ts§ INFO db: connected to postgres://§user§:*****@§priv4§/app
""",
    "redacted_secrets",
)
T(
    "en",
    "support_ticket",
    r"""
Ticket #§int§: customer pasted their API key in chat; agent replaced it with sk_live_************************ before saving. Key rotated at §time§.
""",
    "redacted_secrets",
)
T(
    "en",
    "shell_session",
    r"""
$ gh auth status
github.com
  ✓ Logged in to github.com account §user§ (keyring)
  - Active account: true
  - Git operations protocol: https
  - Token: gho_************************************
  - Token scopes: 'gist', 'read:org', 'repo'
""",
    "redacted_secrets",
)
T(
    "en",
    "shadow_file",
    r"""
root:§sha512crypt§:19§small§0:0:99999:7:::
daemon:*:19000:0:99999:7:::
§user§:§sha512crypt§:19§small§1:0:99999:7:::
§user§:§md5crypt§:18§small§2:0:99999:7:::
""",
    "password_hashes",
)
T(
    "en",
    "htpasswd",
    r"""
admin:§bcrypt§
§user§:§bcrypt§
""",
    "password_hashes",
)
T(
    "en",
    "sql_dump",
    r"""
INSERT INTO auth_user (id, username, password, email) VALUES
(§int§, '§user§', '§pbkdf2§', '§ex_email§'),
(§int§, '§user§', '§argon2§', '§ex_email§');
""",
    "password_hashes",
)
T(
    "en",
    "network_config",
    r"""
username admin privilege 15 secret 9 §cisco9§
username backup privilege 5 secret 8 §cisco8§
enable algorithm-type scrypt secret §cisco9§
""",
    "cisco_hashed_secrets",
)
T(
    "en",
    "checksums_file",
    r"""
§sha256§  §word§-§version§-linux-amd64.tar.gz
§sha256§  §word§-§version§-darwin-arm64.tar.gz
§sha256§  §word§-§version§-windows-amd64.zip
""",
    "checksums_and_digests",
)
T(
    "en",
    "docker_output",
    r"""
$ docker pull ghcr.io/§word§/api:§version§
§version§: Pulling from §word§/api
Digest: §digest§
Status: Downloaded newer image for ghcr.io/§word§/api:§version§
""",
    "checksums_and_digests",
)
T(
    "en",
    "package_lock",
    r"""
"node_modules/§word§-utils": {
  "version": "§version§",
  "resolved": "https://registry.npmjs.org/§word§-utils/-/§word§-utils-§version§.tgz",
  "integrity": "§integrity§"
}
""",
    "checksums_and_digests",
)
T(
    "en",
    "html_page",
    r"""
<script src="https://cdn.jsdelivr.net/npm/§word§@§version§/dist/app.min.js"
        integrity="§sri§"
        crossorigin="anonymous"></script>
""",
    "sri_integrity_hashes",
)
T(
    "en",
    "git_log",
    r"""
§gitsha§ (HEAD -> main) Merge pull request #§int§ from §user§/fix-timeouts
§gitsha§ fix: retry on 503
§gitsha§ docs: update install notes
§gitsha§ ci: cache pip
""",
    "git_hashes",
)
T(
    "en",
    "git_output",
    r"""
commit §sha1§
Merge: §gitsha§ §gitsha§
Date:   §sys_ts§ 2024 +0000

    Merge branch 'release/§version§'
""",
    "git_hashes",
)
T(
    "en",
    "json_api_response",
    r"""
{"error":{"code":"rate_limited","message":"Too many requests"},"request_id":"§reqid§","correlation_id":"§uuid§","retry_after":§small§}
""",
    "request_and_trace_ids",
)
T(
    "en",
    "http_request",
    r"""
GET /api/orders/§int§ HTTP/1.1
Host: shop.example.com
traceparent: 00-§trace§-§spanid§-01
X-Request-ID: §uuid§
X-Correlation-ID: §reqid§
""",
    "request_and_trace_ids",
)
T(
    "en",
    "http_request",
    r"""
POST /v1/payments HTTP/1.1
Host: api.example.com
Idempotency-Key: §idem§
Content-Type: application/json

{"amount": §int§, "currency": "eur"}
""",
    "idempotency_keys",
)
T(
    "en",
    "html_page",
    r"""
<form method="post" action="/account/settings">
  <input type="hidden" name="csrfmiddlewaretoken" value="§csrf§">
  <input type="hidden" name="authenticity_token" value="§csrf§">
  <input type="email" name="email" placeholder="§ex_email§">
</form>
""",
    "csrf_tokens",
)
T(
    "en",
    "http_response",
    r"""
HTTP/1.1 200 OK
Set-Cookie: XSRF-TOKEN=§csrf§; Path=/; SameSite=Strict
X-CSRF-Token: §csrf§
Content-Length: §int§
""",
    "csrf_tokens",
)
T(
    "en",
    "html_page",
    r"""
<meta http-equiv="Content-Security-Policy" content="script-src 'nonce-§nonce§' 'strict-dynamic'">
<script nonce="§nonce:n§">window.__INITIAL_STATE__ = {"page": §small§};</script>
""".replace("§nonce:n§", "§nonce§"),
    "nonces",
)
T(
    "en",
    "oauth_redirect",
    r"""
https://accounts.example.com/authorize?response_type=code&client_id=web-app&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&state=§csrf§&nonce=§nonce§&code_challenge=§csrf§&code_challenge_method=S256
""",
    "nonces",
)
T(
    "en",
    "python_source",
    r"""
CACHE_KEY = f"v2:product:{product_id}:price:{currency}"
key = "cache:user-profile:§int§:§md5§"
redis.setex(key, §int§, payload)
""",
    "cache_keys",
)
T(
    "en",
    "shell_session",
    r"""
$ vault token lookup -accessor §vault_acc§
Key                 Value
---                 -----
accessor            §vault_acc:a§
display_name        approle
policies            [default readonly]
ttl                 §small§h
""".replace("§vault_acc:a§", "§vault_acc§"),
    "vault_accessors",
)
T(
    "en",
    "html_page",
    r"""
<script src="https://js.stripe.com/v3/"></script>
<script>
  const stripe = Stripe('§pk_live§');
  const elements = stripe.elements({ locale: '§country§' });
</script>
""",
    "publishable_keys",
)
T(
    "en",
    "javascript_source",
    r"""
// test mode publishable key -- safe to expose in the browser
export const STRIPE_PUBLISHABLE_KEY = "§pk_test§";
export const PRICE_ID = "price_§gitsha§";
""",
    "publishable_keys",
)
T(
    "en",
    "javascript_source",
    r"""
mapboxgl.accessToken = '§mapbox_pk§';
const map = new mapboxgl.Map({ container: 'map', style: 'mapbox://styles/mapbox/streets-v12', zoom: §small§ });
""",
    "mapbox_public_tokens",
)
T(
    "en",
    "html_page",
    r"""
<meta name="google-signin-client_id" content="§g_client_id§">
<div id="g_id_onload" data-client_id="§g_client_id§" data-login_uri="https://app.example.com/login"></div>
""",
    "oauth_client_ids",
)
T(
    "en",
    "json_config",
    r"""
{
  "oauth": {
    "client_id": "§client_uuid§",
    "tenant_id": "§uuid§",
    "redirect_uri": "http://localhost:§hport§/callback",
    "scopes": ["openid", "profile"]
  }
}
""",
    "oauth_client_ids",
)
T(
    "en",
    "html_page",
    r"""
<form action="/contact" method="post">
  <textarea name="message"></textarea>
  <div class="g-recaptcha" data-sitekey="§recaptcha§"></div>
  <button type="submit">Send (§int§)</button>
</form>
""",
    "recaptcha_site_keys",
)
T(
    "en",
    "ssh_authorized_keys",
    r"""
§ssh_pub§
§ssh_pub§
""",
    "public_keys_and_certificates",
)
T(
    "en",
    "pem_public_key",
    r"""
§pub_pem§
""",
    "public_keys_and_certificates",
)
T(
    "en",
    "tls_certificate",
    r"""
# chain for api.example.com, valid until §date§
§cert_pem§
""",
    "public_keys_and_certificates",
)
T(
    "en",
    "wireguard_docs",
    r"""
Peer public keys (these are public, share them freely):
  laptop: §wg_pub§
  phone:  §wg_pub§
Endpoint: vpn.example.net:51820
""",
    "public_keys_and_certificates",
)
T(
    "en",
    "shell_session",
    r"""
$ ssh deploy@§priv4§
The authenticity of host '§priv4:h§ (§priv4:h§)' can't be established.
ED25519 key fingerprint is §fingerprint§.
Are you sure you want to continue connecting (yes/no/[fingerprint])? yes
""",
    "ssh_host_fingerprints",
)
T(
    "en",
    "blog_post",
    r"""
If you enjoyed this tutorial, consider a small donation:
BTC: §btc§
ETH: §eth§
Thanks for reading part §small§!
""",
    "crypto_wallet_addresses",
)
T(
    "en",
    "json_api_response",
    r"""
{"tx":{"hash":"0x§sha256§","from":"§eth§","to":"§eth§","value":"§int§000000000000000","block":§int§§int§}}
""",
    "crypto_wallet_addresses",
)
T(
    "en",
    "login_form",
    r"""
Sign in
Username: §user§
Password: [                ]
[x] Remember me      Forgot password?
Last login: §date§ from a new device
""",
    "usernames_only",
)
T(
    "en",
    "config_file",
    r"""
[replication]
primary_conninfo = 'host=§priv4§ port=5432 user=§user§ application_name=replica_§small§'
ssh_user = §user§
""",
    "usernames_only",
)
T(
    "en",
    "receipt",
    r"""
§company§ Store #§int§
§date§ §time§
Coffee beans 1kg        §amount§
Card:  §masked_cc§
Terminal: T§pin_code_neg§
THANK YOU
""".replace("§pin_code_neg§", "§int§"),
    "masked_card_numbers",
)
T(
    "en",
    "email",
    r"""
Your payment of €§amount§ was successful.
Payment method: §masked_cc§
Order: §order_no§
Questions? Reply to this e-mail or visit help.example.com.
""",
    "masked_card_numbers",
)
T(
    "en",
    "bug_report",
    r"""
Checkout rejects the number §bad_luhn§ with "invalid card" -- which is correct, the check digit is wrong (Luhn fails). Closing as not a bug. Build §int§.
""",
    "luhn_invalid_numbers",
)
T(
    "en",
    "unit_test",
    r"""
def test_rejects_bad_checksum():
    assert not is_valid_card("§bad_luhn§")
    assert not is_valid_card("§bad_luhn§")
    assert not is_valid_card("§int§")
""",
    "luhn_invalid_numbers",
)
T(
    "en",
    "shipping_notification",
    r"""
Your order §order_no§ has shipped!
Carrier tracking number: §tracking§
Estimated delivery: §date§
""",
    "order_and_tracking_numbers",
)
T(
    "en",
    "invoice",
    r"""
INVOICE §order_no§
Date: §date§
Bank transfer to IBAN §iban§, BIC COBADEFFXXX
Reference: §order_no§
Total due: EUR §amount§
""",
    "iban_and_bank_details",
)
T(
    "en",
    "contact_page",
    r"""
Call us: §phone§ (Mon-Fri 9:00-17:00)
Fax: §phone§
Visit: §int§ Harbour Road, §city§
""",
    "phone_numbers",
)
T(
    "en",
    "book_catalog",
    r"""
ISBN §isbn§ -- "Practical §word§ engineering", §int§ pages
ISBN §isbn§ -- "The §word§ handbook", 2nd ed.
""",
    "isbn_and_product_codes",
)
T(
    "en",
    "analytics_export",
    r"""
event_id,user_id,timestamp,session_length
§snowflake§,§int§,§epoch§,§small§
§snowflake§,§int§,§epoch§,§small§
§snowflake§,§int§,§epoch§,§small§
""",
    "timestamps_and_numeric_ids",
)
T(
    "en",
    "css_stylesheet",
    r"""
:root {
  --brand: §color§;
  --brand-dark: §color§;
  --accent: §color§;
}
.btn-primary { background: var(--brand); border-radius: §small§px; }
""",
    "hex_colors_and_css",
)
T(
    "en",
    "html_page",
    r"""
<img alt="logo" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAB§b64_img§" width="§small§">
""".replace("§b64_img§", "§nonce§§nonce§"),
    "base64_media",
)
T(
    "en",
    "dhcp_leases",
    r"""
lease §priv4§ {
  starts 3 §date§ §time§:00;
  hardware ethernet §mac§;
  client-hostname "printer-§small§";
}
""",
    "mac_addresses_and_serials",
)
T(
    "en",
    "security_policy",
    r"""
Password requirements (policy v§version§):
* at least §pwlen§ characters, no maximum below 64
* must not match any of your last 5 passwords
* never share your password, not even with IT staff
* use the company password manager to generate and store passwords
""",
    "password_policy_text",
)
T(
    "en",
    "email",
    r"""
We received a request to reset the password for your account (§ex_email§).
If this was you, use the link in the app. If not, you can ignore this message.
We will never ask you for your password by e-mail. Ref §int§.
""",
    "password_reset_notices",
)
T(
    "en",
    "yaml_config",
    r"""
rules:
  - id: github-pat
    regex: 'ghp_[0-9A-Za-z]{36}'
  - id: aws-access-key
    regex: '(AKIA|ASIA)[0-9A-Z]{16}'
  - id: stripe-live
    regex: 'sk_live_[0-9a-zA-Z]{24,}'
    severity: §word§
""",
    "secret_detection_patterns",
)
T(
    "en",
    "yaml_config",
    r"""
server:
  port: §hport§
  read_timeout: §small§s
  max_body_size: §small§MB
feature_flags:
  new_checkout: true
  dark_mode: false
log_level: info
""",
    "config_non_secret_values",
)
T(
    "en",
    "markdown_doc",
    r"""
Artifacts are published to https://downloads.example.org/§word§/§version§/ and mirrored on
s3://§word§-public-artifacts/releases/. See https://docs.example.com/§word§#install for details.
""",
    "hostnames_and_urls",
)
T(
    "en",
    "json_config",
    r"""
{"role_arn":"arn:aws:iam::§acct§:role/§word§-ci","bucket":"arn:aws:s3:::§word§-logs-§acct§","kms_key":"arn:aws:kms:eu-west-1:§acct§:key/§uuid§"}
""",
    "cloud_resource_ids",
)
T(
    "en",
    "map_data",
    r"""
{"type":"Feature","geometry":{"type":"Point","coordinates":[§lon§,§lat§]},"properties":{"name":"§city§ depot","capacity":§int§}}
""",
    "coordinates_and_measurements",
)
T(
    "en",
    "ad_audience_upload",
    r"""
hashed_email,hashed_phone
§sha256§,§sha256§
§sha256§,§sha256§
""",
    "hashed_identifiers",
)
T(
    "en",
    "video_links",
    r"""
Watch part 1: https://youtu.be/§tok11§ and part 2: https://youtu.be/§tok11§
Short link: https://bit.ly/§tok7§
""".replace("§tok11§", "§gitsha§Xq1").replace("§tok7§", "§gitsha§"),
    "short_ids_and_slugs",
)
T(
    "en",
    "stackoverflow_post",
    r"""
Q: How do I store a password safely in Python?

Never store it in plain text. Hash it with a slow KDF:

```python
from argon2 import PasswordHasher
ph = PasswordHasher()
hash = ph.hash(user_supplied_password)
```
The resulting hash looks like `§argon2§`, which is safe to store.
""",
    "password_hashes",
)
T(
    "en",
    "jwt_docs",
    r"""
A JWT has three parts separated by dots: header.payload.signature. The header usually
decodes to {"alg":"HS256","typ":"JWT"}. Never paste real tokens into online decoders
(ticket §int§).
""",
    "security_explainer_text",
)
T(
    "en",
    "email",
    r"""
Hi §first§,

reminder that credentials must never be sent by e-mail or chat. Please use the shared vault
entry "§word§-staging" instead; access has been granted to your account §user§.

Thanks
""",
    "security_explainer_text",
)
T(
    "en",
    "shell_session",
    r"""
$ ip -br addr
lo               UNKNOWN        127.0.0.1/8 ::1/128
eth0             UP             §priv4§/24 §priv6§/64
docker0          DOWN           172.17.0.1/16
""",
    "private_ip_addresses",
)
T(
    "en",
    "markdown_table",
    r"""
| Env | Host | Internal IP |
|-----|------|-------------|
| dev | dev.internal | §priv4§ |
| qa  | qa.internal  | §priv4§ |
| docs| docs.example.com | §doc4§ |
""",
    "private_ip_addresses",
)
T(
    "en",
    "csv_export",
    r"""
user_id,username,signup_date,plan
§int§,§user§,§date§,free
§int§,§user§,§date§,pro
§int§,§user§,§date§,team
""",
    "usernames_only",
)
T(
    "en",
    "combo_list_explainer",
    r"""
Credential-stuffing lists usually have the form email:password, one per line. Our detector
flags such dumps; this training doc itself contains none. Revision §int§, author §user§.
""",
    "security_explainer_text",
)


# ==========================================================================
# (c) multilingual e-mails, chats, tickets, notes (positives and negatives)
#     (lang, context, category or None for positive, text)
# ==========================================================================
ML = [
    # German
    (
        "de",
        "chat_message",
        None,
        "Hi §first§, das neue WLAN-Passwort fürs Büro lautet §pw§ – bitte nicht weitergeben. Das Gäste-Netz bleibt wie bisher.",
    ),
    (
        "de",
        "email",
        None,
        "Sehr geehrte Damen und Herren,\n\nbitte buchen Sie die Rechnung §order_no§ von meiner Kreditkarte §cc§ (gültig bis §exp§) ab. Rückfragen gern an §email§.\n\nMit freundlichen Grüßen\n§name§",
    ),
    (
        "de",
        "support_ticket",
        "masked_card_numbers",
        "Ticket §order_no§: Kunde §name§ meldet eine doppelte Abbuchung. Karte laut Beleg: §masked_cc§, Betrag §amount§ EUR. Bitte prüfen.",
    ),
    (
        "de",
        "internal_wiki",
        "private_ip_addresses",
        "Der Drucker im 2. OG hat die feste Adresse §priv4§, der Zeitserver läuft auf §priv4§. Beide sind nur im internen Netz erreichbar.",
    ),
    # French
    (
        "fr",
        "email",
        None,
        "Bonjour §first§,\n\nVoici les accès au serveur de préproduction : adresse §ip4§, utilisateur §user§, mot de passe §pw§.\nMerci de le changer après la première connexion.\n\n§name§",
    ),
    (
        "fr",
        "support_ticket",
        None,
        "Client : §name§ <§email§>\nProblème : paiement refusé avec la carte §cc§ alors que le plafond n'est pas atteint. Dernière connexion depuis §ip4§.",
    ),
    (
        "fr",
        "forum_post",
        "example_domain_emails",
        "Pour tester le formulaire d'inscription, utilisez plutôt une adresse fictive comme §ex_email§ ; ces domaines ne reçoivent jamais de courrier. Réf. §int§.",
    ),
    (
        "fr",
        "chat_message",
        "password_policy_text",
        "Rappel : à partir du §date§, les mots de passe doivent comporter au moins §pwlen§ caractères et être changés tous les 90 jours. Ne les envoyez jamais par e-mail.",
    ),
    # Spanish
    (
        "es",
        "chat_message",
        None,
        "§first§, te paso la clave de la API de pagos para el entorno de pruebas: §sk_test§ No la subas al repositorio, porfa.",
    ),
    (
        "es",
        "email",
        None,
        "Hola, soy §name§. Mi correo nuevo es §email§ y la tarjeta para las cuotas es la §cc§. Gracias.",
    ),
    (
        "es",
        "support_ticket",
        "phone_numbers",
        "Llamar a §name§ al §phone§ entre las 9 y las 14 h. Pedido §order_no§ pendiente de envío.",
    ),
    (
        "es",
        "blog_post",
        "env_var_references",
        'Nunca escribas la clave en el código: léela con os.getenv("§envname§") y guárdala en el gestor de secretos. Versión probada: §version§.',
    ),
    # Italian
    (
        "it",
        "email",
        None,
        "Ciao §first§, ti giro le credenziali del database: host §ip4§, utente §user§, password §pw§. Cancella questa mail dopo averle salvate.",
    ),
    (
        "it",
        "chat_message",
        None,
        "Il cliente §name§ (§email§) dice che l'addebito sulla carta §cc§ è stato fatto due volte.",
    ),
    (
        "it",
        "support_ticket",
        "redacted_secrets",
        "Dal log risulta: utente=§user§ password=******** token=[REDACTED]. Errore 401 alle §time§, nessun dato sensibile esposto.",
    ),
    (
        "it",
        "internal_wiki",
        "documentation_ip_ranges",
        "Negli esempi della guida usiamo solo indirizzi di documentazione, ad esempio §doc4§ o §doc6§, mai quelli reali. Revisione §int§.",
    ),
    # Portuguese
    (
        "pt",
        "chat_message",
        None,
        "§first§, a senha do roteador do escritório mudou, agora é §pw§. O IP público fixo é §ip4§.",
    ),
    (
        "pt",
        "email",
        None,
        "Prezados, segue o cartão para renovação da assinatura: §cc§, validade §exp§. Favor enviar a nota fiscal para §email§.\nAtt, §name§",
    ),
    (
        "pt",
        "forum_post",
        "order_and_tracking_numbers",
        "Meu pedido §order_no§ está parado há uma semana. Código de rastreio §tracking§. Alguém sabe o que acontece?",
    ),
    (
        "pt",
        "support_ticket",
        "masked_card_numbers",
        "Estorno solicitado para o cartão final §last4§ (§masked_cc§). Prazo de até 2 faturas. Protocolo §int§.",
    ),
    # Dutch
    (
        "nl",
        "email",
        None,
        "Hoi §first§, de API-sleutel voor SendGrid is §sendgrid§. Zet hem alsjeblieft in de kluis en niet in Git.",
    ),
    (
        "nl",
        "support_ticket",
        None,
        "Melding van §name§ (§email§): inlogpogingen vanaf onbekend adres §ip4§ om §time§. Account tijdelijk geblokkeerd.",
    ),
    (
        "nl",
        "chat_message",
        "usernames_only",
        "Mijn gebruikersnaam is §user§, maar het wachtwoord stuur ik je via de wachtwoordmanager. Ticket §int§.",
    ),
    (
        "nl",
        "email",
        "iban_and_bank_details",
        "Gelieve het bedrag van €§amount§ over te maken op §iban§ t.n.v. Stichting §company§, onder vermelding van factuur §order_no§.",
    ),
    # Swedish
    (
        "sv",
        "chat_message",
        None,
        "Lösenordet till det delade kontot på servern är §pw§ – byt det när du har loggat in första gången, §first§.",
    ),
    (
        "sv",
        "email",
        None,
        "Hej! Min kortbetalning med §cc§ gick inte igenom. Kontakta mig gärna på §email§.\nHälsningar, §name§",
    ),
    (
        "sv",
        "internal_wiki",
        "private_ip_addresses",
        "NAS:en i källaren nås på §priv4§ och skrivaren på §priv4§ (endast internt nät). Uppdaterad §date§.",
    ),
    (
        "sv",
        "support_ticket",
        "placeholder_credentials",
        'Fyll i din egen nyckel i filen config.toml: api_key = "<DIN-API-NYCKEL>". Exemplet i dokumentationen fungerar inte. Version §version§.',
    ),
    # Danish
    (
        "da",
        "email",
        None,
        "Hej §first§, her er adgangskoden til regnskabssystemet: §pw§. Brugernavn: §user§.\nVh §name§",
    ),
    ("da", "chat_message", None, "Kan du refundere ordren? Kunden skrev fra §email§ og betalte med §cc§."),
    (
        "da",
        "email",
        "phone_numbers",
        "Ring til vores kundeservice på §phone§ eller skriv via kontaktformularen. Sagsnummer §order_no§.",
    ),
    (
        "da",
        "chat_message",
        "example_domain_emails",
        "Til testmiljøet bruger vi kun adresser som §ex_email§ og §ex_email§, så ingen rigtige kunder får mails. Build §int§.",
    ),
    # Norwegian
    ("nb", "chat_message", None, "Gjestenettet heter §company§-Gjest og passordet er §pass_phrase§. Hilsen §first§"),
    (
        "nb",
        "support_ticket",
        None,
        "Innlogging fra §ip4§ og §ip4§ på kontoen til §email§ i løpet av natten. Kunden bekrefter at det ikke var ham.",
    ),
    (
        "nb",
        "internal_wiki",
        "loopback_and_special_ips",
        "Tjenesten lytter bare på §loop4§, så den er ikke tilgjengelig utenfra. Port §hport§.",
    ),
    (
        "nb",
        "email",
        "masked_card_numbers",
        "Kvittering: betalt med kort §masked_cc§, beløp §amount§ kr, ordre §order_no§. Takk for handelen!",
    ),
    # Finnish
    (
        "fi",
        "email",
        None,
        "Hei §first§, tässä testipalvelimen tunnukset: käyttäjä §user§, salasana §pw§. Palvelimen osoite on §ip4§.",
    ),
    ("fi", "chat_message", None, "Asiakas §name§ (§email§) ilmoitti, että kortilta §cc§ veloitettiin kahdesti."),
    (
        "fi",
        "support_ticket",
        "redacted_secrets",
        "Lokissa näkyy vain password=[SUODATETTU] ja api_key=****, joten salaisuudet eivät vuotaneet. Tiketti §int§.",
    ),
    (
        "fi",
        "internal_wiki",
        "private_ip_addresses",
        "Sisäverkon DNS-palvelin: §priv4§, varapalvelin §priv4§. Näitä ei voi käyttää ulkoverkosta. Päivitetty §date§.",
    ),
    # Polish
    (
        "pl",
        "chat_message",
        None,
        "§first§, token do GitLaba na CI to §glpat§ – wygasa za 30 dni, więc ustaw sobie przypomnienie.",
    ),
    (
        "pl",
        "email",
        None,
        "Dzień dobry, proszę o zwrot za zamówienie §order_no§ na kartę §cc§. Kontakt: §email§.\nPozdrawiam, §name§",
    ),
    (
        "pl",
        "forum_post",
        "documentation_ip_ranges",
        "W przykładach konfiguracji używajcie adresów z puli dokumentacyjnej, np. §doc4§ albo §doc6§. Wersja poradnika §version§.",
    ),
    (
        "pl",
        "support_ticket",
        "luhn_invalid_numbers",
        "Klient wpisał numer karty §bad_luhn§, który nie przechodzi walidacji sumy kontrolnej – formularz słusznie go odrzucił. Zgłoszenie §int§.",
    ),
    # Czech
    ("cs", "email", None, "Ahoj §first§, heslo k Wi-Fi v zasedačce je §pw§. Síť se jmenuje §company§-Meeting."),
    (
        "cs",
        "support_ticket",
        None,
        "Uživatel §email§ hlásí podezřelé přihlášení z IP adresy §ip4§. Doporučena změna hesla.",
    ),
    ("cs", "chat_message", "phone_numbers", "Kurýr volal z čísla §phone§, zásilka §tracking§ dorazí zítra."),
    (
        "cs",
        "internal_wiki",
        "env_var_references",
        "Heslo k databázi se načítá z proměnné prostředí ${DB_PASSWORD}; v repozitáři je jen šablona .env.example. Revize §int§.",
    ),
    # Slovak
    ("sk", "chat_message", None, "Prístupový kód do skladu je §pin_code§, platí do konca mesiaca. §first§"),
    (
        "sk",
        "email",
        None,
        "Dobrý deň, prosím o zmenu kontaktného e-mailu na §email§. Platobná karta §cc§ zostáva rovnaká.\nS pozdravom §name§",
    ),
    (
        "sk",
        "support_ticket",
        "order_and_tracking_numbers",
        "Objednávka §order_no§ bola odoslaná, číslo zásielky §tracking§. Doručenie do 3 pracovných dní.",
    ),
    (
        "sk",
        "email",
        "password_reset_notices",
        "Nikdy od vás nebudeme žiadať heslo e-mailom ani telefonicky. Ak ste o obnovenie hesla nežiadali, správu ignorujte. Kód správy §int§.",
    ),
    # Hungarian
    ("hu", "email", None, "Szia §first§! A teszt adatbázis jelszava: §pw§, a szerver címe §ip4§.\nÜdv, §name§"),
    (
        "hu",
        "chat_message",
        None,
        "A megrendelő e-mail címe §email§, a kártyaszám §cc§ – kérlek, ellenőrizd a terhelést.",
    ),
    (
        "hu",
        "internal_wiki",
        "private_ip_addresses",
        "A belső wiki a §priv4§ címen érhető el, a VPN-en kívülről nem. Utolsó módosítás: §date§.",
    ),
    (
        "hu",
        "support_ticket",
        "redacted_secrets",
        "A naplóban a jelszó helyén csak ******** szerepel, a token pedig [TÖRÖLVE]. Jegy: §int§.",
    ),
    # Romanian
    (
        "ro",
        "chat_message",
        None,
        "§first§, parola pentru contul de test este §pw§. Te rog să o schimbi după prima autentificare.",
    ),
    (
        "ro",
        "support_ticket",
        None,
        "Clientul §name§ (§email§) a raportat o tranzacție suspectă pe cardul §cc§, inițiată de la IP-ul §ip4§.",
    ),
    (
        "ro",
        "email",
        "iban_and_bank_details",
        "Vă rugăm să achitați factura §order_no§ în contul §iban§, deschis la banca §company§. Suma: §amount§ lei.",
    ),
    (
        "ro",
        "forum_post",
        "example_domain_emails",
        "Pentru teste folosiți adrese de tipul §ex_email§, nu adrese reale. Codul de eroare era §int§.",
    ),
    # Turkish
    (
        "tr",
        "email",
        None,
        "Merhaba §first§, sunucuya erişim bilgileri: IP §ip4§, kullanıcı adı §user§, şifre §pw§. İyi çalışmalar.",
    ),
    ("tr", "chat_message", None, "Müşteri §email§ adresinden yazdı, §cc§ numaralı kartından iki kez çekim yapılmış."),
    (
        "tr",
        "support_ticket",
        "masked_card_numbers",
        "Ödeme §masked_cc§ kartıyla alındı, tutar §amount§ TL. Sipariş no: §order_no§.",
    ),
    (
        "tr",
        "chat_message",
        "private_ip_addresses",
        "Yazıcının IP adresi §priv4§, modemin arayüzü §priv4§ üzerinden açılıyor. Sadece ofis ağından erişilebilir.",
    ),
    # Greek
    (
        "el",
        "chat_message",
        None,
        "§first§, ο κωδικός για το Wi-Fi του γραφείου είναι §pw§. Μην τον δώσεις σε επισκέπτες.",
    ),
    (
        "el",
        "email",
        None,
        "Καλησπέρα σας, παρακαλώ χρεώστε την κάρτα §cc§ για την κράτηση §order_no§. Για επιβεβαίωση: §email§.\nΕυχαριστώ, §name§",
    ),
    (
        "el",
        "support_ticket",
        "phone_numbers",
        "Ο πελάτης §name§ ζήτησε να τον καλέσουμε στο §phone§ σχετικά με την παραγγελία §order_no§.",
    ),
    (
        "el",
        "internal_wiki",
        "documentation_ip_ranges",
        "Στα παραδείγματα χρησιμοποιούμε μόνο διευθύνσεις τεκμηρίωσης όπως §doc4§. Έκδοση οδηγού §version§.",
    ),
    # Russian
    ("ru", "chat_message", None, "§first§, вот токен бота для Telegram: §telegram_bot§ Не публикуй его в общем чате."),
    (
        "ru",
        "email",
        None,
        "Здравствуйте! Оплата картой §cc§ не прошла, хотя деньги списались. Мой e-mail для связи: §email§.\nС уважением, §name§",
    ),
    (
        "ru",
        "forum_post",
        "placeholder_credentials",
        "Ключ не храните в коде: пишите API_KEY=<ваш_ключ> в файл .env и добавьте его в .gitignore. Проверено на версии §version§.",
    ),
    (
        "ru",
        "support_ticket",
        "private_ip_addresses",
        "Сервер мониторинга находится по адресу §priv4§, доступ только из внутренней сети. Заявка №§int§.",
    ),
    # Ukrainian
    ("uk", "email", None, "Привіт, §first§! Пароль до облікового запису бухгалтерії: §pw§. Логін — §user§."),
    ("uk", "support_ticket", None, "Користувач §email§ повідомив про вхід з невідомої адреси §ip4§ о §time§."),
    (
        "uk",
        "chat_message",
        "masked_card_numbers",
        "У квитанції видно лише §masked_cc§, повний номер картки банк не показує. Замовлення §order_no§.",
    ),
    (
        "uk",
        "internal_wiki",
        "password_policy_text",
        "Пароль має містити щонайменше §pwlen§ символів, великі й малі літери та цифри. Не використовуйте один пароль для різних сервісів.",
    ),
    # Bulgarian
    ("bg", "chat_message", None, "§first§, паролата за админ панела е §pw§. Смени я, след като влезеш."),
    ("bg", "email", None, "Здравейте, моля, изпратете фактурата на §email§. Платих с карта §cc§.\nПоздрави, §name§"),
    ("bg", "support_ticket", "phone_numbers", "Клиентът §name§ моли да му се обадим на §phone§ за поръчка §order_no§."),
    (
        "bg",
        "forum_post",
        "example_domain_emails",
        "За тестове използвайте адрес като §ex_email§ – той никога не получава писма. Грешка §int§.",
    ),
    # Serbian (Cyrillic)
    ("sr", "email", None, "Здраво §first§, лозинка за тест налог је §pw§. Промени је после пријаве."),
    ("sr", "support_ticket", None, "Корисник §email§ пријавио је пријављивање са непознате адресе §ip4§."),
    ("sr", "chat_message", "masked_card_numbers", "На рачуну пише само картица §masked_cc§ и износ §amount§ динара."),
    (
        "sr",
        "internal_wiki",
        "private_ip_addresses",
        "Интерни сервер је на адреси §priv4§ и доступан је само преко VPN-а.",
    ),
    # Croatian
    ("hr", "email", None, "Bok §first§, lozinka za FTP je §pw§, a poslužitelj je na §ip4§. Pozdrav"),
    ("hr", "chat_message", None, "Kupac §name§ (§email§) tvrdi da mu je kartica §cc§ terećena dvaput."),
    (
        "hr",
        "internal_wiki",
        "private_ip_addresses",
        "Interni Git poslužitelj: §priv4§, rezervni: §priv4§. Dostupno samo preko VPN-a.",
    ),
    (
        "hr",
        "support_ticket",
        "redacted_secrets",
        "U zapisniku je lozinka zamijenjena s ******** i token s [UKLONJENO]. Prijava §int§.",
    ),
    # Lithuanian
    ("lt", "chat_message", None, "§first§, durų kodas į serverinę yra §pin_code§. Nepamiršk užrakinti."),
    (
        "lt",
        "email",
        None,
        "Laba diena, mano el. paštas §email§, kortelės numeris §cc§. Prašau grąžinti pinigus už užsakymą §order_no§.",
    ),
    (
        "lt",
        "support_ticket",
        "order_and_tracking_numbers",
        "Siunta §tracking§ išsiųsta §date§, užsakymo nr. §order_no§.",
    ),
    (
        "lt",
        "chat_message",
        "placeholder_credentials",
        'Konfigūracijoje palik token: "<TAVO_RAKTAS>", tikrą raktą įrašysime per CI. Versija §version§.',
    ),
    # Catalan
    (
        "ca",
        "email",
        None,
        "Hola §first§, la contrasenya del compte compartit és §pw§. Canvia-la quan entris.\nSalutacions, §name§",
    ),
    (
        "ca",
        "support_ticket",
        None,
        "L'usuari §email§ va intentar pagar amb la targeta §cc§ des de l'adreça §ip4§ i el pagament es va rebutjar.",
    ),
    (
        "ca",
        "chat_message",
        "private_ip_addresses",
        "La impressora de l'oficina té l'adreça §priv4§ i només funciona a la xarxa interna.",
    ),
    (
        "ca",
        "forum_post",
        "password_policy_text",
        "La contrasenya ha de tenir com a mínim §pwlen§ caràcters i no pot contenir el teu nom d'usuari.",
    ),
    # Arabic
    ("ar", "chat_message", None, "مرحبا §first§، كلمة مرور شبكة الواي فاي الجديدة هي §pw§ يرجى عدم مشاركتها."),
    (
        "ar",
        "email",
        None,
        "السلام عليكم،\nأرجو تحديث بريدي الإلكتروني إلى §email§ واستخدام البطاقة §cc§ للتجديد القادم.\nمع الشكر، §name§",
    ),
    (
        "ar",
        "support_ticket",
        "masked_card_numbers",
        "تم الدفع باستخدام البطاقة §masked_cc§ بمبلغ §amount§ ريال. رقم الطلب §order_no§.",
    ),
    (
        "ar",
        "internal_wiki",
        "private_ip_addresses",
        "عنوان خادم الطباعة الداخلي هو §priv4§ ولا يمكن الوصول إليه من خارج الشبكة.",
    ),
    # Hebrew
    (
        "he",
        "email",
        None,
        "היי §first§, הסיסמה לחשבון הבדיקות היא §pw§ ושם המשתמש §user§. נא להחליף אחרי הכניסה הראשונה.",
    ),
    ("he", "support_ticket", None, "הלקוח §name§ (§email§) מדווח על חיוב כפול בכרטיס §cc§."),
    ("he", "chat_message", "phone_numbers", "אפשר להתקשר אליי ל-§phone§ לגבי הזמנה §order_no§."),
    (
        "he",
        "forum_post",
        "documentation_ip_ranges",
        "בדוגמאות בתיעוד השתמשו רק בכתובות כמו §doc4§ ולא בכתובות אמיתיות. גרסה §version§.",
    ),
    # Persian
    ("fa", "chat_message", None, "§first§ جان، رمز عبور سرور آزمایشی §pw§ است و آدرس آن §ip4§ است."),
    ("fa", "email", None, "سلام، لطفاً رسید پرداخت را به §email§ بفرستید. شماره کارت §cc§ بود.\nبا تشکر، §name§"),
    (
        "fa",
        "support_ticket",
        "redacted_secrets",
        "در لاگ فقط password=**** دیده می‌شود و توکن حذف شده است. شماره تیکت §int§.",
    ),
    ("fa", "internal_wiki", "private_ip_addresses", "آدرس داخلی پرینتر §priv4§ است و فقط از شبکه دفتر در دسترس است."),
    # Urdu
    ("ur", "chat_message", None, "§first§، دفتر کے وائی فائی کا پاس ورڈ §pw§ ہے۔ کسی کو نہ بتائیں۔"),
    (
        "ur",
        "email",
        None,
        "السلام علیکم، میرے کارڈ §cc§ سے دو بار رقم کٹ گئی ہے۔ براہ کرم §email§ پر جواب دیں۔\nشکریہ، §name§",
    ),
    (
        "ur",
        "support_ticket",
        "masked_card_numbers",
        "ادائیگی کارڈ §masked_cc§ سے ہوئی، رقم §amount§ روپے۔ آرڈر §order_no§۔",
    ),
    (
        "ur",
        "internal_wiki",
        "private_ip_addresses",
        "اندرونی سرور کا پتہ §priv4§ ہے اور یہ صرف دفتر کے نیٹ ورک سے قابل رسائی ہے۔",
    ),
    # Hindi
    ("hi", "email", None, "नमस्ते §first§, स्टेजिंग सर्वर का पासवर्ड §pw§ है और IP पता §ip4§ है। कृपया इसे किसी के साथ साझा न करें।"),
    ("hi", "support_ticket", None, "ग्राहक §name§ (§email§) का कहना है कि कार्ड §cc§ से दो बार भुगतान कट गया।"),
    ("hi", "chat_message", "phone_numbers", "कूरियर वाले का नंबर §phone§ है, ऑर्डर §order_no§ कल तक पहुँच जाएगा।"),
    (
        "hi",
        "forum_post",
        "password_policy_text",
        "पासवर्ड कम से कम §pwlen§ अक्षरों का होना चाहिए और उसमें अंक व बड़े अक्षर दोनों होने चाहिए।",
    ),
    # Bengali
    ("bn", "chat_message", None, "§first§, অফিসের ওয়াই-ফাই পাসওয়ার্ড এখন §pw§ । অতিথিদের দিও না।"),
    ("bn", "email", None, "প্রিয় মহোদয়, আমার কার্ড §cc§ থেকে ভুল করে টাকা কাটা হয়েছে। যোগাযোগ: §email§ ।\nধন্যবাদ, §name§"),
    ("bn", "support_ticket", "masked_card_numbers", "রসিদে শুধু §masked_cc§ দেখা যাচ্ছে, অর্ডার নম্বর §order_no§ ।"),
    ("bn", "internal_wiki", "private_ip_addresses", "প্রিন্টারের অভ্যন্তরীণ ঠিকানা §priv4§, বাইরে থেকে এটি পাওয়া যায় না।"),
    # Tamil
    ("ta", "email", None, "வணக்கம் §first§, சோதனை சர்வரின் கடவுச்சொல் §pw§. பயனர் பெயர் §user§."),
    ("ta", "support_ticket", None, "வாடிக்கையாளர் §email§ அவர்களின் அட்டை §cc§ இல் இரண்டு முறை பணம் எடுக்கப்பட்டது."),
    ("ta", "chat_message", "phone_numbers", "டெலிவரி நபரின் எண் §phone§, ஆர்டர் எண் §order_no§."),
    ("ta", "internal_wiki", "password_policy_text", "கடவுச்சொல் குறைந்தது §pwlen§ எழுத்துகள் கொண்டதாக இருக்க வேண்டும்."),
    # Thai
    ("th", "chat_message", None, "§first§ รหัสผ่าน Wi-Fi ของออฟฟิศคือ §pw§ อย่าบอกคนนอกนะ"),
    ("th", "email", None, "เรียนฝ่ายบริการลูกค้า ดิฉันถูกตัดเงินจากบัตร §cc§ ซ้ำสองครั้ง กรุณาติดต่อกลับที่ §email§ ขอบคุณค่ะ §name§"),
    (
        "th",
        "support_ticket",
        "masked_card_numbers",
        "ชำระเงินด้วยบัตร §masked_cc§ จำนวน §amount§ บาท หมายเลขคำสั่งซื้อ §order_no§",
    ),
    ("th", "internal_wiki", "private_ip_addresses", "เครื่องพิมพ์ในสำนักงานใช้ที่อยู่ §priv4§ ใช้ได้เฉพาะในเครือข่ายภายใน"),
    # Vietnamese
    (
        "vi",
        "email",
        None,
        "Chào §first§, mật khẩu tài khoản quản trị là §pw§, máy chủ ở địa chỉ §ip4§. Nhớ đổi mật khẩu sau khi đăng nhập.",
    ),
    ("vi", "support_ticket", None, "Khách hàng §name§ (§email§) báo thẻ §cc§ bị trừ tiền hai lần."),
    ("vi", "chat_message", "phone_numbers", "Số điện thoại của shipper là §phone§, mã vận đơn §tracking§."),
    (
        "vi",
        "forum_post",
        "example_domain_emails",
        "Khi viết tài liệu hãy dùng địa chỉ như §ex_email§ thay vì email thật. Phiên bản §version§.",
    ),
    # Indonesian
    ("id", "chat_message", None, "§first§, token API untuk Hugging Face: §hf§ Jangan di-commit ya."),
    (
        "id",
        "email",
        None,
        "Halo, saya §name§. Tolong kirim tagihan ke §email§. Kartu kredit yang dipakai §cc§. Terima kasih.",
    ),
    (
        "id",
        "support_ticket",
        "order_and_tracking_numbers",
        "Pesanan §order_no§ sudah dikirim dengan nomor resi §tracking§.",
    ),
    ("id", "internal_wiki", "private_ip_addresses", "Server internal ada di §priv4§ dan hanya bisa diakses lewat VPN."),
    # Malay
    (
        "ms",
        "email",
        None,
        "Hai §first§, kata laluan untuk akaun ujian ialah §pw§. Sila tukar selepas log masuk pertama.",
    ),
    ("ms", "support_ticket", None, "Pelanggan §email§ melaporkan log masuk yang mencurigakan dari alamat IP §ip4§."),
    ("ms", "chat_message", "masked_card_numbers", "Resit hanya tunjuk kad §masked_cc§, jumlah RM§amount§."),
    (
        "ms",
        "forum_post",
        "env_var_references",
        "Simpan kunci API dalam pemboleh ubah persekitaran seperti $API_KEY, bukan dalam kod sumber. Versi §version§.",
    ),
    # Chinese
    ("zh", "chat_message", None, "§first§，测试环境数据库的密码是§pw§，地址§ip4§，用完请及时修改。"),
    ("zh", "email", None, "您好，我的信用卡§cc§被重复扣款，请将退款确认发送到§email§。谢谢！\n§name§"),
    (
        "zh",
        "support_ticket",
        "masked_card_numbers",
        "订单§order_no§已使用尾号§last4§的银行卡（§masked_cc§）支付，金额§amount§元。",
    ),
    ("zh", "internal_wiki", "private_ip_addresses", "内网打印机地址为§priv4§，仅限办公室网络访问。"),
    # Japanese
    (
        "ja",
        "email",
        None,
        "§first§さん、検証サーバーのログイン情報です。ユーザー名：§user§、パスワード：§pw§ 初回ログイン後に変更してください。",
    ),
    ("ja", "support_ticket", None, "お客様§name§様（§email§）より、カード§cc§で二重決済されたとの連絡がありました。"),
    ("ja", "chat_message", "phone_numbers", "配達業者の電話番号は§phone§です。追跡番号§tracking§。"),
    (
        "ja",
        "forum_post",
        "documentation_ip_ranges",
        "サンプル設定ではドキュメント用アドレス§doc4§を使ってください。バージョン§version§で確認済み。",
    ),
    # Korean
    ("ko", "chat_message", None, "§first§님, 사무실 와이파이 비밀번호는 §pw§ 입니다. 외부인에게 알려주지 마세요."),
    (
        "ko",
        "email",
        None,
        "안녕하세요, 카드 §cc§ 로 결제가 두 번 되었습니다. 회신은 §email§ 으로 부탁드립니다.\n§name§ 드림",
    ),
    ("ko", "support_ticket", "masked_card_numbers", "결제 카드: §masked_cc§, 금액 §amount§원, 주문번호 §order_no§"),
    ("ko", "internal_wiki", "private_ip_addresses", "사내 NAS 주소는 §priv4§ 이며 VPN 연결 시에만 접속할 수 있습니다."),
    # Swahili
    ("sw", "chat_message", None, "§first§, nenosiri la Wi-Fi ya ofisi ni §pw§. Usimpe mtu wa nje."),
    ("sw", "email", None, "Habari, tafadhali tuma risiti kwa §email§. Nililipa kwa kadi §cc§.\nAsante, §name§"),
    ("sw", "support_ticket", "phone_numbers", "Mteja §name§ anaomba apigiwe simu kwa §phone§ kuhusu oda §order_no§."),
    (
        "sw",
        "internal_wiki",
        "private_ip_addresses",
        "Printa ya ofisi iko kwenye anwani §priv4§ na inapatikana tu ndani ya mtandao wa ofisi.",
    ),
    # Tagalog
    ("tl", "chat_message", None, "§first§, ang password ng admin account ay §pw§. Palitan mo agad pagka-login."),
    (
        "tl",
        "support_ticket",
        None,
        "Ang customer na si §name§ (§email§) ay nagsabing dalawang beses siyang nasingil sa card na §cc§.",
    ),
    ("tl", "chat_message", "phone_numbers", "Tawagan mo si §name§ sa §phone§ tungkol sa order §order_no§."),
    (
        "tl",
        "forum_post",
        "password_policy_text",
        "Dapat hindi bababa sa §pwlen§ na character ang password at may kasamang numero.",
    ),
]
for _lang, _ctx, _cat, _txt in ML:
    T(_lang, _ctx, _txt, _cat)

# a few more multilingual templates with vendor tokens / IPv6 / cards
T(
    "de",
    "support_ticket",
    "Hallo Support, unser Monitoring meldet Zugriffe von §ip6§ und §ip4§ auf /admin. Der Zugang lief über den Token §glpat§, den wir inzwischen widerrufen haben. Gruß §name§",
)
T(
    "fr",
    "email",
    "Bonjour,\nla clé d'API Mailgun de l'association est §mailgun§ et le compte d'envoi est §email_role§. Merci de ne pas la diffuser.\n§name§",
)
T("es", "support_ticket", "El cliente §email§ pagó con la tarjeta §cc_amex§ desde la IP §ip6§. Revisar posible fraude.")
T(
    "it",
    "chat_message",
    "Ecco il token di Vercel… no, scusa, è quello di DigitalOcean: §dop§ Usalo solo per lo staging.",
)
T("pt", "email", "Olá §first§, a chave do Google Maps para o servidor é §aiza§ — restrita ao IP §ip4§.\nAbraço")
T("ru", "chat_message", "Кинь в вольт, пожалуйста: SLACK_BOT_TOKEN=§xoxb§ и вебхук §slack_webhook§")
T("ja", "chat_message", "GitHubのトークン§github_pat§を共有します。読み取り専用です。")
T("zh", "chat_message", "OpenAI 的密钥先用这个：§openai§ 月底前会轮换。")
T("ko", "email", "AWS 액세스 키 ID: §akia§\n시크릿 키: §aws_secret§\n테스트 후 바로 삭제해 주세요.")
T("tr", "chat_message", "Stripe canlı anahtarı: §sk_live§ — lütfen sadece sunucu tarafında kullan.")
T("pl", "email", "Cześć §first§,\nhasło do skrzynki §email_corp§ to §pw§. Zmień je po zalogowaniu.\n§name§")
T("nl", "chat_message", "WireGuard config voor thuis: Endpoint = §ip4§:51820, PrivateKey = §wg_key§")
T("sv", "support_ticket", "Kunden §name§ (§email§) loggade in från §ip6§ och ändrade kortet till §cc_visa§.")
T("vi", "chat_message", "Token bot Discord mới: §discord_bot§ Đừng đăng lên GitHub nhé.")
T("id", "email", "Halo tim, koneksi database produksi: postgres://§user§:§pw_url§@§ip4§:5432/app\nSalam, §first§")
T("ar", "chat_message", "مفتاح SendGrid الجديد هو §sendgrid§ والبريد المرسل §email_role§")
T("hi", "chat_message", "GitLab रनर टोकन: §glrt§ इसे CI वेरिएबल में डाल दो।")
T("he", "chat_message", "הטוקן של Notion לאינטגרציה: §notion§ נא לא לשתף מחוץ לצוות.")
T("uk", "email", "Доступ до сервера: §ip4§, користувач root, пароль §pw§. Після налаштування змінимо.")
T("fi", "chat_message", "Tässä Hugging Face -token: §hf§ ja Replicate-token: §r8§")
T("el", "email", "Το κλειδί API του Postman είναι §pmak§. Παρακαλώ μην το ανεβάσεις στο αποθετήριο.")
T("cs", "chat_message", "Heslo k routeru: §pw_an§, veřejná IP §ip4§, IPv6 §ip6§.")
T("ro", "email", "Salut §first§, tokenul pentru Docker Hub este §dckr§. Utilizatorul este §user§.")
T("th", "email", "คีย์ API ของ Anthropic สำหรับทีม: §anthropic§ กรุณาเก็บไว้ในระบบจัดการรหัสลับ")
T("da", "support_ticket", "Kortet §cc_mc§ blev afvist for ordre §order_no§; kunden (§email§) prøvede fra §ip4§.")
T("hu", "chat_message", "Az npm token: §npm§ – csak a CI-ban használd.")
T("bg", "chat_message", "Паролата за Wi-Fi в офиса е §pass_phrase§ — не я давай на гости.")
T("ms", "chat_message", "Kunci Groq untuk demo: §gsk§ tamat tempoh minggu depan.")
T("sw", "email", "Habari §first§, neno la siri la seva ni §pw§ na anwani yake ni §ip4§.")
T("ca", "chat_message", "El token de Cloudflare és §cf_token§ i només té permisos de DNS.")


# ==========================================================================
# generation, validation, output
# ==========================================================================
POS_N = 2  # variants per positive template
NEG_N = 3  # variants per negative template


def build():
    records, seen = [], set()
    for ti, t in enumerate(TEMPLATES, 1):
        n = t["n"] or (POS_N if t["category"] == "positive" else NEG_N)
        for vi in range(1, n + 1):
            for _attempt in range(300):
                text, spans, used = fill(t)
                if text in seen or scan(masked(text, spans)):
                    continue
                break
            else:
                raise SystemExit("could not generate a clean variant for template %d" % ti)
            seen.add(text)
            records.append(
                {
                    "id": "t21-%d-%d" % (ti, vi),
                    "text": text,
                    "lang": t["lang"],
                    "context": t["context"],
                    "category": t["category"],
                    "spans": spans,
                    "_kinds": used,
                }
            )
    return records


RE_EMAIL_FULL = re.compile(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")


def check_password(v, kind):
    if kind == "pin_code":  # alphanumeric access codes: 6-8 chars, letters and digits
        assert 6 <= len(v) <= 8 and v.isalnum(), v
        assert any(c.isdigit() for c in v) and any(c.isalpha() for c in v), v
        return
    assert len(v) >= 8, v
    assert v[0].isalnum(), v
    assert v[-1] not in ".,!?:;", v
    words = re.split(r"[-._ ]", v)
    passphrase_ok = len([w for w in words if w.isalpha()]) >= 3 and any(c.isdigit() for c in v)
    assert _classes(v) >= 2 or passphrase_ok, v


def validate(records):
    ids, texts = set(), set()
    for r in records:
        assert r["id"] not in ids, r["id"]
        ids.add(r["id"])
        assert r["text"] not in texts, r["id"]
        texts.add(r["text"])
        assert r["lang"] and r["context"] and r["category"], r["id"]
        spans = r["spans"]
        if r["category"] == "positive":
            assert spans, r["id"]
        else:
            assert not spans, r["id"]
        prev_end = -1
        for s in spans:
            v = r["text"][s["start"] : s["end"]]
            assert v == s["_value"], (r["id"], v, s["_value"])
            assert 0 <= s["start"] < s["end"] <= len(r["text"]), r["id"]
            assert s["start"] >= prev_end, ("overlap", r["id"])
            prev_end = s["end"]
            assert v == v.strip(), (r["id"], v)
            e = s["entity"]
            if e == "IP_ADDRESS":
                assert ip_is_public(v), (r["id"], v)
            elif e == "CREDIT_CARD":
                d = re.sub(r"[ -]", "", v)
                assert re.fullmatch(r"\d(?:[ -]?\d)+", v) and d.isdigit(), (r["id"], v)
                assert luhn_ok(d) and card_brand(d), (r["id"], v)
            elif e == "EMAIL_ADDRESS":
                m = RE_EMAIL_FULL.fullmatch(v)
                assert m and not reserved_domain(m.group(1)), (r["id"], v)
            elif e == "SECRET":
                low = v.lower()
                assert "example" not in low and "xxxx" not in low and "your_" not in low, (r["id"], v)
                if s["_kind"] in PASSWORD_KINDS:
                    check_password(v, s["_kind"])
            else:
                raise AssertionError(e)
        findings = scan(masked(r["text"], spans))
        assert not findings, (r["id"], findings)


def scanner_selftest():
    """The scanner must find planted values and ignore look-alikes (fatal)."""
    hits = scan("a 8.8.4.4 b 4111 1111 1111 1111 c jo@mail.de d [2a00:1450:4001::200e]:443 e 5500-0000-0000-0004")
    assert [h[0] for h in hits] == ["ip", "card", "card", "email", "ip6"], hits
    quiet = (
        "10.1.2.3 192.0.2.7 127.0.0.1 v10.0.19045.3803 Chrome/124.0.6367.91 jo@example.com "
        "4111 1111 1111 1112 Octokit::Client 12:30:45 aa:bb:cc:dd:ee:ff 2001:db8::1 fe80::1 ::1"
    )
    assert not scan(quiet), scan(quiet)


def main():
    scanner_selftest()
    records = build()
    validate(records)
    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            out = {k: r[k] for k in ("id", "text", "lang", "context", "category")}
            out["spans"] = [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in r["spans"]]
            f.write(json.dumps(out, ensure_ascii=False) + "\n")

    # ---- summary -------------------------------------------------------
    ent = collections.Counter(s["entity"] for r in records for s in r["spans"])
    cats = collections.Counter(r["category"] for r in records)
    langs = collections.Counter(r["lang"] for r in records)
    ctxs = collections.Counter(r["context"] for r in records)
    vendors = sorted({LABELLED[k][2] for r in records for k in r["_kinds"] if LABELLED[k][2]})
    neg = [r for r in records if r["category"] != "positive"]
    neg_cats = {r["category"] for r in neg}
    print("records: %d (positive %d, hard negative %d)" % (len(records), cats["positive"], len(neg)))
    print("templates: %d" % len(TEMPLATES))
    print("spans per entity: %s" % dict(sorted(ent.items())))
    print("vendor token formats used: %d" % len(vendors))
    print("  " + ", ".join(vendors))
    print("hard-negative categories (%d):" % len(neg_cats))
    for c, n in sorted(cats.items()):
        if c != "positive":
            print("  %-34s %d" % (c, n))
    print("languages (%d): %s" % (len(langs), ", ".join("%s=%d" % kv for kv in sorted(langs.items()))))
    print("contexts (%d): %s" % (len(ctxs), ", ".join("%s=%d" % kv for kv in sorted(ctxs.items()))))

    # ---- minimum sizes of the brief (fatal) ----------------------------
    assert 1100 <= len(records) <= 1350, len(records)
    assert ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 200, ent
    assert ent["IP_ADDRESS"] >= 200 and ent["CREDIT_CARD"] >= 100, ent
    assert len(neg) >= 500 and len(neg_cats) >= 35, (len(neg), len(neg_cats))
    assert len(vendors) >= 40, len(vendors)
    assert len(TEMPLATES) >= 300, len(TEMPLATES)
    assert len([l for l in langs if l != "en"]) >= 30, langs


if __name__ == "__main__":
    main()
