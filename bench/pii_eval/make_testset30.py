#!/usr/bin/env python3
"""Generator for PII hold-out set 30 (blind, final test set).

What it does
------------
Builds ``pii_testset30.jsonl`` (next to this script): about 1200 labelled
records for a detector of EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD and SECRET
spans.  All templates were written for this set; every value that fills a
placeholder is generated here from ``random.Random(303030)`` (fake names,
fake domains, random keys in real vendor formats, Luhn-valid random card
numbers, random public IPs), so the output is fully deterministic.

Templates are plain strings containing ``@@kind@@`` placeholders (``@@kind#tag@@``
re-uses one value inside a record).  Each kind is either labelled (it has an
entity) or unlabelled (names, private IPs, hashes, ids ...).  While a template is
rendered, the offsets of every labelled value are recorded at insertion time;
nothing is searched for afterwards.  Records are grouped (not exported) into the
four corpus strata: web/docs, code/config, communication (30+ languages) and
logs/shell/HTTP/dumps.

Checks (all fatal ``assert``/SystemExit)
----------------------------------------
* ``text[start:end]`` equals the inserted value for every span; spans are sorted
  and do not overlap; positives have >= 1 span, hard negatives have none.
* every labelled IP parses, is ``is_global`` and is outside the documentation
  ranges 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32; no port,
  bracket or CIDR suffix inside a span.
* every labelled card is Luhn-valid with a real brand prefix and length
  (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay).
* every labelled e-mail has a non-reserved domain (not example.com/.org/.net
  or .test/.invalid/.localhost/.example).
* labelled passwords/passphrases/PINs: >= 6 (PIN) or >= 8 chars, at least two
  character classes, do not start with a symbol and do not end in . , ! ? : ;
  no labelled SECRET contains EXAMPLE/example/xxxx/your_.
* ids unique, no text repeated, category/lang/context fields present.
* a simple scanner run over every negative text and over the unlabelled parts
  of every positive text (span characters blanked) finds no public IPv4
  address, no Luhn-valid brand-prefixed card number and no e-mail address on a
  non-reserved domain.  Documented scanner exceptions (apply to all
  categories): an ``user@host`` match directly preceded by ``//`` (URL userinfo
  without a password, category url_without_password) or directly followed by
  ``:`` + path (scp/ssh remote such as ``git@host:org/repo``) is not treated
  as an e-mail; dotted numbers with more than four parts (OIDs) are not IPv4
  candidates.  If a rendering trips the scanner or repeats an earlier text it
  is re-rendered with fresh random values (deterministically); a template that
  cannot be rendered cleanly in 50 tries aborts the run.
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

SEED = 303030
R = random.Random(SEED)
UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
HEXL = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
B64 = AN + "+/"
B64U = AN + "-_"


def rs(alpha, n):
    return "".join(R.choice(alpha) for _ in range(n))


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def b64s(s):
    return base64.b64encode(s.encode()).decode()


# ---------------------------------------------------------------- names
NAMES = {
    "en": "Olivia Hartley|Marcus Bellweather|Priya Ramaswamy|Dylan Okafor|Harriet Pike|Connor Vasquez|Tessa Lindqvist|Jamal Whitcombe",
    "de": "Jörg Käßmann|Annika Brettschneider|Lukas Pfeiffer|Svenja Ohlendorf|Matthias Grünwald|Heike Zimmerling",
    "fr": "Élodie Marchetti|Baptiste Roussel|Camille Fauvel|Thibault Lemaire|Océane Duplessis|Régis Vautrin",
    "es": "Lucía Carvajal|Andrés Villanueva|Marta Echeverría|Íñigo Salcedo|Paloma Ortúzar|Rodrigo Benítez",
    "it": "Giulia Bernasconi|Matteo Lombardini|Chiara Fumagalli|Davide Scarpellini|Federica Gallo",
    "pt": "João Carvalhal|Beatriz Nogueira|Thiago Albuquerque|Inês Figueiredo|Rafaela Monteiro",
    "nl": "Sanne van Dijkhuizen|Joost Verbeek|Femke de Wolff|Bram Oosterhuis|Lotte Janssens",
    "pl": "Agnieszka Wróblewska|Paweł Szczepański|Katarzyna Dąbrowska|Michał Zieliński",
    "cs": "Tereza Procházková|Ondřej Dvořák|Lucie Kolářová|Jiří Šťastný",
    "sk": "Zuzana Horváthová|Martin Kučera|Lenka Baláž|Peter Ondrejka",
    "sv": "Elin Sjöberg|Oskar Lindgren|Maja Åkesson|Viktor Holmqvist",
    "da": "Mette Kjærgaard|Rasmus Østergaard|Ida Frederiksen|Kasper Lund",
    "nb": "Ingrid Solberg|Håkon Bjørnstad|Sigrid Aasen|Eirik Nygård",
    "fi": "Aino Virtanen|Juhani Mäkelä|Emilia Heikkinen|Ville Korhonen",
    "hu": "Eszter Kovács|Bence Szabó|Réka Németh|Gergő Tóth",
    "ro": "Ioana Dumitrescu|Andrei Popescu|Bianca Stănescu|Mihai Ionescu",
    "tr": "Elif Yıldırım|Emre Şahin|Zeynep Kaya|Burak Öztürk",
    "ru": "Анна Кузнецова|Дмитрий Соколов|Екатерина Морозова|Игорь Васильев",
    "uk": "Оксана Шевчук|Тарас Коваленко|Ірина Бондар|Богдан Мельник",
    "bg": "Мария Петрова|Георги Иванов|Десислава Костова|Николай Стоянов",
    "sr": "Јелена Марковић|Милош Петровић|Ана Јовановић|Душан Николић",
    "hr": "Ivana Babić|Luka Horvat|Petra Kovačević|Marko Jurić",
    "el": "Ελένη Παπαδοπούλου|Γιώργος Νικολάου|Μαρία Κωνσταντίνου|Νίκος Γεωργίου",
    "ar": "ليلى حداد|عمر الخطيب|سارة المصري|يوسف العلي",
    "he": "נועה לוי|איתי כהן|מיכל אברהם|יונתן פרץ",
    "fa": "مریم احمدی|علی رضایی|زهرا کریمی|حسین محمدی",
    "hi": "प्रिया शर्मा|राहुल वर्मा|अनीता गुप्ता|विकास सिंह",
    "bn": "সুমাইয়া রহমান|তানভীর হাসান|নুসরাত জাহান|আরিফ চৌধুরী",
    "ta": "கவிதா ராஜன்|அருண் குமார்|மீனா சுப்பிரமணியம்|கார்த்திக் சேகர்",
    "th": "สมชาย ใจดี|วรรณา ศรีสุข|ณัฐพล วงศ์ไทย|กมลวรรณ แก้วมณี",
    "vi": "Nguyễn Thị Lan|Trần Văn Hùng|Phạm Minh Châu|Lê Quốc Bảo",
    "id": "Siti Rahmawati|Budi Santoso|Dewi Lestari|Agus Pratama",
    "ms": "Nurul Aisyah|Ahmad Faizal|Siti Zulaikha|Hafiz Ismail",
    "tl": "Maria Santos|Jose Dela Cruz|Angelica Reyes|Paolo Mendoza",
    "sw": "Amani Mwangi|Baraka Otieno|Neema Wanjiru|Juma Hassan",
    "zh": "王磊|李婷|张伟|陈晓梅",
    "ja": "佐藤 健太|鈴木 美咲|高橋 翔|田中 由美",
    "ko": "김민준|이서연|박지훈|최수아",
    "ca": "Jordi Puigdomènech|Montserrat Ferrer|Núria Casals|Pau Vilaró",
    "et": "Kadri Tamm|Marten Saar|Liis Kask|Rasmus Mägi",
    "lt": "Rūta Kazlauskienė|Tomas Petrauskas|Eglė Jankauskaitė|Mantas Žukauskas",
}
NAMES = {k: v.split("|") for k, v in NAMES.items()}
LATIN_LOCAL = [
    "olivia.hartley",
    "m.bellweather",
    "priya.r",
    "dokafor",
    "harriet_pike",
    "cvasquez",
    "tessa.l",
    "jwhitcombe",
    "j.kassmann",
    "annika.b",
    "lpfeiffer",
    "elodie.marchetti",
    "b.roussel",
    "lucia.carvajal",
    "andres.v",
    "giulia.bernasconi",
    "joao.carvalhal",
    "sanne.vd",
    "a.wroblewska",
    "tprochazkova",
    "elin.sjoberg",
    "mette.k",
    "ingrid.solberg",
    "aino.virtanen",
    "kovacs.eszter",
    "ioana.d",
    "elif.yildirim",
    "a.kuznetsova",
    "d.sokolov",
    "oksana.sh",
    "m.petrova",
    "ivana.babic",
    "e.papadopoulou",
    "layla.haddad",
    "omar.k",
    "noa.levi",
    "maryam.ahmadi",
    "priya.sharma",
    "tanvir.h",
    "kavitha.r",
    "somchai.j",
    "lan.nguyen",
    "budi.santoso",
    "nurul.aisyah",
    "maria.santos",
    "amani.mwangi",
    "wang.lei",
    "liting88",
    "k.sato",
    "misaki.suzuki",
    "minjun.kim",
    "seoyeon.lee",
    "jordi.puig",
    "kadri.tamm",
    "ruta.k",
    "ops-team",
    "billing",
    "support",
    "hr.department",
    "it-helpdesk",
    "finance",
    "noc",
    "security",
    "jobs",
]
ORG_A = [
    "kestrel",
    "borealis",
    "tidewater",
    "nordlicht",
    "saltmarsh",
    "ironbark",
    "lumen",
    "quillon",
    "vantor",
    "silberfluss",
    "brightwell",
    "copperleaf",
    "marigold",
    "halvard",
    "orrery",
    "pinegate",
    "sable",
    "tessellate",
    "veldt",
    "wrenfield",
    "zanzi",
    "azurine",
    "calder",
    "fjordline",
    "granja",
    "hikari",
    "kaizen",
    "lazuli",
]
ORG_B = [
    "freight",
    "labs",
    "logistik",
    "media",
    "systems",
    "health",
    "consult",
    "energie",
    "studio",
    "bank",
    "retail",
    "robotics",
    "analytics",
    "clinic",
    "travel",
    "foods",
    "legal",
    "works",
    "data",
    "cloud",
]
LANG_TLD = {
    "de": ["de", "at", "ch"],
    "fr": ["fr", "be"],
    "es": ["es", "mx", "com.ar"],
    "it": ["it"],
    "pt": ["pt", "com.br"],
    "nl": ["nl", "be"],
    "pl": ["pl"],
    "cs": ["cz"],
    "sk": ["sk"],
    "sv": ["se"],
    "da": ["dk"],
    "nb": ["no"],
    "fi": ["fi"],
    "hu": ["hu"],
    "ro": ["ro"],
    "tr": ["com.tr"],
    "ru": ["ru"],
    "uk": ["com.ua"],
    "bg": ["bg"],
    "sr": ["rs"],
    "hr": ["hr"],
    "el": ["gr"],
    "ar": ["ae", "com.sa", "eg"],
    "he": ["co.il"],
    "fa": ["ir"],
    "hi": ["in", "co.in"],
    "bn": ["com.bd"],
    "ta": ["in"],
    "th": ["co.th"],
    "vi": ["vn", "com.vn"],
    "id": ["co.id"],
    "ms": ["com.my"],
    "tl": ["ph"],
    "sw": ["co.ke", "co.tz"],
    "zh": ["cn", "com.cn"],
    "ja": ["co.jp", "jp"],
    "ko": ["co.kr"],
    "ca": ["cat"],
    "et": ["ee"],
    "lt": ["lt"],
}
FREEMAIL = {
    "de": ["web.de", "gmx.de", "t-online.de"],
    "fr": ["orange.fr", "free.fr"],
    "it": ["libero.it"],
    "cs": ["seznam.cz"],
    "pl": ["wp.pl", "onet.pl"],
    "ru": ["mail.ru", "yandex.ru"],
    "zh": ["qq.com", "163.com"],
    "ja": ["yahoo.co.jp"],
    "ko": ["naver.com", "daum.net"],
    "pt": ["uol.com.br"],
    "uk": ["ukr.net"],
}
GLOBAL_FREE = ["gmail.com", "outlook.com", "hotmail.com", "proton.me", "icloud.com", "yahoo.com", "fastmail.com"]
RESERVED_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = (".test", ".invalid", ".localhost", ".example")


def org_domain(lang="en"):
    tld = R.choice(LANG_TLD.get(lang, ["com", "io", "net", "co.uk", "org", "dev", "ca", "com.au"]))
    sep = R.choice(["", "-", ""])
    return f"{R.choice(ORG_A)}{sep}{R.choice(ORG_B)}.{tld}"


def gen_email(lang="en"):
    local = R.choice(LATIN_LOCAL)
    if R.random() < 0.15:
        local += R.choice(["+news", "+jira", str(R.randint(2, 99))])
    if R.random() < 0.35 and not local.startswith(
        ("ops", "billing", "support", "hr.", "it-", "finance", "noc", "sec", "jobs")
    ):
        dom = R.choice(FREEMAIL.get(lang, []) + GLOBAL_FREE)
    else:
        dom = org_domain(lang)
        if R.random() < 0.2:
            dom = R.choice(["mail.", "corp.", "eu."]) + dom
    return f"{local}@{dom}"


def is_reserved_domain(dom):
    d = dom.lower().rstrip(".")
    if any(d == r or d.endswith("." + r) for r in RESERVED_EMAIL_DOMAINS):
        return True
    return any(d.endswith(t) for t in RESERVED_TLDS)


def gen_exemail(lang="en"):
    local = R.choice(
        [
            "jane.doe",
            "john",
            "alice",
            "bob",
            "admin",
            "user",
            "noreply",
            "test.user",
            "dev",
            "someone",
            "max.mustermann",
            "taro.yamada",
            "ivan.ivanov",
            "firstname.lastname",
        ]
    )
    dom = R.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "corp.example",
            "shop.test",
            "acme.invalid",
            "dev.localhost",
            "example.co.example",
        ]
    )
    return f"{local}@{dom}"


# ---------------------------------------------------------------- IPs
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def is_doc(ip):
    return any(ip.version == n.version and ip in n for n in DOC_NETS)


def gen_ip4(lang=None):
    while True:
        a = R.choice(
            [
                R.randint(1, 223),
                R.choice(
                    [
                        5,
                        31,
                        37,
                        45,
                        46,
                        62,
                        77,
                        78,
                        80,
                        81,
                        82,
                        85,
                        88,
                        89,
                        91,
                        93,
                        94,
                        95,
                        104,
                        109,
                        134,
                        141,
                        151,
                        176,
                        178,
                        185,
                        188,
                        193,
                        194,
                        195,
                        212,
                        213,
                        217,
                    ]
                ),
            ]
        )
        s = f"{a}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        ip = ipaddress.ip_address(s)
        if ip.is_global and not is_doc(ip) and not ip.is_multicast:
            return s


def gen_ip6(lang=None):
    while True:
        pre = R.choice(
            [
                "2a01",
                "2a02",
                "2a00",
                "2a03",
                "2a05",
                "2600",
                "2607",
                "2604",
                "2610",
                "2800",
                "2804",
                "2c0f",
                "240e",
                "2401",
                "2406",
                "2409",
                "2001:67c",
                "2a0a",
            ]
        )
        parts = pre.split(":") + [format(R.randint(0, 0xFFFF), "x") for _ in range(8 - len(pre.split(":")))]
        if R.random() < 0.5:
            parts[4] = parts[5] = parts[6] = "0"
        ip = ipaddress.ip_address(":".join(parts))
        if ip.is_global and not is_doc(ip):
            return ip.compressed


def gen_privip(lang=None):
    c = R.random()
    if c < 0.4:
        return f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    if c < 0.7:
        return f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}"
    if c < 0.9:
        return f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    return f"100.{R.randint(64, 127)}.{R.randint(0, 255)}.{R.randint(1, 254)}"


def gen_docip(lang=None):
    return R.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(R.randint(1, 254))


def gen_loopip(lang=None):
    return R.choice(
        [
            "127.0.0.1",
            f"127.0.{R.randint(0, 3)}.{R.randint(1, 9)}",
            "0.0.0.0",
            f"169.254.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"224.0.0.{R.randint(1, 251)}",
            f"239.255.{R.randint(0, 255)}.{R.randint(1, 250)}",
            "255.255.255.255",
            "169.254.169.254",
        ]
    )


def gen_priv6(lang=None):
    c = R.random()
    if c < 0.35:
        return f"fd{rs(HEXL, 2)}:{rs(HEXL, 4)}:{rs(HEXL, 4)}::{R.randint(1, 99)}"
    if c < 0.7:
        return f"fe80::{rs(HEXL, 4)}:{rs(HEXL, 2)}ff:fe{rs(HEXL, 2)}:{rs(HEXL, 4)}"
    return R.choice(["::1", "::", "ff02::1", "ff02::fb"])


def gen_docip6(lang=None):
    return f"2001:db8:{format(R.randint(0, 0xFFFF), 'x')}::{format(R.randint(1, 0xFFF), 'x')}"


# ---------------------------------------------------------------- cards
def luhn_ok(d):
    s = 0
    for i, ch in enumerate(reversed(d)):
        x = int(ch)
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        s += x
    return s % 10 == 0


def luhn_complete(partial):
    for c in DG:
        if luhn_ok(partial + c):
            return partial + c


def brand_of(d):
    """Strict brand table used for generation and for the labelled-card assertion."""
    n = len(d)
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720) and n == 16:
        return "mastercard"
    if d[:2] in ("34", "37") and n == 15:
        return "amex"
    if (d[:4] == "6011" or d[:2] == "65" or 644 <= int(d[:3]) <= 649) and 16 <= n <= 19:
        return "discover"
    if 3528 <= int(d[:4]) <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (d[:2] == "36" or 300 <= int(d[:3]) <= 305) and n == 14:
        return "diners"
    if d[:2] == "62" and 16 <= n <= 19:
        return "unionpay"
    return None


def scanner_brand(d):
    """Broader table for the negative scanner (also Maestro-like ranges)."""
    if brand_of(d):
        return True
    n = len(d)
    if 12 <= n <= 19 and (d[:2] in ("50", "56", "57", "58", "63", "67") or d[0] == "6"):
        return True
    if (d[:2] == "36" or d[:2] in ("38", "39") or 300 <= int(d[:3]) <= 305) and 14 <= n <= 19:
        return True
    return False


CARD_BRANDS = {
    "visa": (lambda: "4", [16, 16, 16, 13, 19]),
    "mc": (lambda: R.choice([str(R.randint(51, 55)), str(R.randint(2221, 2720))]), [16]),
    "amex": (lambda: R.choice(["34", "37"]), [15]),
    "disc": (lambda: R.choice(["6011", "65", str(R.randint(644, 649))]), [16]),
    "jcb": (lambda: str(R.randint(3528, 3589)), [16]),
    "diners": (lambda: R.choice(["36", str(R.randint(300, 305))]), [14]),
    "cup": (lambda: "62" + R.choice(["12", "22", "58", "84"]), [16, 19]),
}


def fmt_card(d, style):
    if style == "plain":
        return d
    sep = " " if style == "sp" else "-"
    if len(d) == 15:
        g = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        g = [d[:4], d[4:10], d[10:]]
    else:
        g = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(g)


def gen_card(brand=None, style=None):
    brand = brand or R.choice(["visa", "visa", "visa", "mc", "mc", "amex", "disc", "jcb", "diners", "cup"])
    pf, lens = CARD_BRANDS[brand]
    while True:
        p = pf()
        n = R.choice(lens)
        d = luhn_complete(p + rs(DG, n - len(p) - 1))
        if brand_of(d):
            break
    style = style or R.choice(["plain", "sp", "sp", "dash"])
    return fmt_card(d, style)


def gen_card_bad(lang=None):
    v = gen_card(style=R.choice(["plain", "sp", "dash"]))
    digits = [c for c in v]
    # change the last digit so that the Luhn check fails
    last = digits[-1]
    digits[-1] = str((int(last) + R.randint(1, 9)) % 10)
    return "".join(digits)


def gen_card_masked(lang=None):
    last4 = rs(DG, 4)
    return R.choice(
        [
            f"**** **** **** {last4}",
            f"XXXX-XXXX-XXXX-{last4}",
            f"•••• {last4}",
            f"************{last4}",
            f"{R.choice(['4', '5'])}{rs(DG, 5)}******{last4}",
        ]
    )


def gen_imei(lang=None):
    return luhn_complete("35" + rs(DG, 12))


def safe_digits(n, first=None):
    while True:
        d = (first or R.choice("123456789")) + rs(DG, n - 1)
        if not (luhn_ok(d) and scanner_brand(d)):
            return d


# ---------------------------------------------------------------- secrets
WORDS = [
    "amber",
    "basalt",
    "cobalt",
    "drizzle",
    "ember",
    "falcon",
    "glacier",
    "harbor",
    "indigo",
    "juniper",
    "kettle",
    "lantern",
    "meadow",
    "nimbus",
    "orchid",
    "pepper",
    "quartz",
    "raven",
    "saffron",
    "tundra",
    "umber",
    "violet",
    "walnut",
    "zephyr",
    "copper",
    "velvet",
    "canyon",
    "maple",
    "orbit",
    "pixel",
    "rocket",
    "sierra",
    "willow",
    "marble",
    "thistle",
    "lagoon",
    "cinder",
    "breeze",
    "otter",
    "fennel",
    "gravel",
    "mosaic",
    "parsnip",
    "tulip",
]
PW_SYM = "#%&*+=-_@^~$"
PW_BAD_END = ".,!?:;"


def pw_ok(p, minlen=8):
    cls = sum([any(c.islower() for c in p), any(c.isupper() for c in p), any(c.isdigit() for c in p)])
    return (
        len(p) >= minlen
        and cls >= 2
        and p[0].isalnum()
        and p[-1] not in PW_BAD_END
        and "example" not in p.lower()
        and "xxxx" not in p.lower()
    )


def gen_pw(lang=None):
    while True:
        st = R.random()
        if st < 0.45:
            n = R.randint(10, 20)
            p = R.choice(AN) + rs(AN + PW_SYM, n - 2) + R.choice(AN)
        elif st < 0.8:
            w1, w2 = R.sample(WORDS, 2)
            p = (
                w1.capitalize()
                + R.choice(["", "-", "_", "."])
                + w2.capitalize()
                + str(R.randint(10, 999))
                + R.choice(["", "#", "&", "*", "x", "Q", "%"])
            )
        else:
            w = R.choice(WORDS)
            tr = str.maketrans({"a": "4", "e": "3", "o": "0", "i": "1"})
            p = w.capitalize().translate(tr) + R.choice(["$", "@", "#", "+"]) + rs(UP + LO + DG, R.randint(4, 7))
        if pw_ok(p):
            return p


def gen_pw_url(lang=None):
    while True:
        p = R.choice(AN) + rs(AN + "-_~", R.randint(10, 22)) + R.choice(AN)
        if pw_ok(p):
            return p


def gen_phrase(lang=None):
    while True:
        sep = R.choice(["-", "_", ".", " "])
        ws = R.sample(WORDS, R.randint(3, 4))
        if R.random() < 0.5:
            ws[R.randrange(len(ws))] += str(R.randint(2, 99))
        else:
            ws.append(str(R.randint(10, 9999)))
        if R.random() < 0.3:
            ws[0] = ws[0].capitalize()
        p = sep.join(ws)
        if pw_ok(p):
            return p


def gen_pin(lang=None):
    while True:
        p = rs(UP + DG, R.randint(6, 8))
        if any(c.isdigit() for c in p) and any(c.isalpha() for c in p):
            return p


def gen_jwt(lang=None):
    alg = R.choice(["HS256", "HS256", "RS256", "HS512"])
    h = {"alg": alg, "typ": "JWT"}
    if R.random() < 0.3:
        h["kid"] = rs(HEXL, 8)
    p = {
        "sub": R.choice([str(R.randint(1000, 999999)), rs(HEXL, 8) + "-" + rs(HEXL, 4)]),
        "iat": R.randint(1690000000, 1735000000),
    }
    p["exp"] = p["iat"] + R.choice([900, 3600, 86400])
    if R.random() < 0.5:
        p["role"] = R.choice(["admin", "service", "reader", "ops"])
    if R.random() < 0.3:
        p["iss"] = "https://auth." + org_domain()
    siglen = {"HS256": 43, "HS512": 86, "RS256": 342}[alg]
    return (
        b64u(json.dumps(h, separators=(",", ":")).encode())
        + "."
        + b64u(json.dumps(p, separators=(",", ":")).encode())
        + "."
        + rs(B64U, siglen)
    )


def pem_body(first, nlines, last_len):
    lines = []
    cur = first + rs(B64, 64 - len(first))
    lines.append(cur)
    for _ in range(nlines - 2):
        lines.append(rs(B64, 64))
    lines.append(rs(B64, last_len - 2) + R.choice(["==", "Aw", "AB", "o="]))
    return lines


def gen_pkey(kind=None, esc=False):
    kind = kind or R.choice(["rsa", "ec", "openssh", "pkcs8"])
    if kind == "rsa":
        label, body = "RSA PRIVATE KEY", pem_body("MIIEpAIBAAKCAQEA", R.randint(8, 12), R.randint(20, 60))
    elif kind == "ec":
        label, body = "EC PRIVATE KEY", pem_body("MHcCAQEEI", 3, 12)
    elif kind == "openssh":
        body = (
            ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
            + [rs(B64, 70) for _ in range(3)]
            + [rs(B64, 24) + "="]
        )
        label = "OPENSSH PRIVATE KEY"
    else:
        label, body = "PRIVATE KEY", pem_body("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", R.randint(8, 12), R.randint(20, 60))
    nl = "\\n" if esc else "\n"
    return f"-----BEGIN {label}-----" + nl + nl.join(body) + nl + f"-----END {label}-----"


def digits(n):
    return str(R.randint(10 ** (n - 1), 10**n - 1))


def gen_discord(lang=None):
    return b64u(digits(18).encode()) + "." + rs(B64U, 6) + "." + rs(B64U, 38)


def gen_azure_ad(lang=None):
    return rs(AN, 3) + R.choice(DG) + "Q~" + rs(AN + "-_.~", 33) + R.choice(AN)


def gen_django(lang=None):
    pre = "django-insecure-" if R.random() < 0.3 else ""
    return pre + R.choice(LO) + rs(LO + DG + "!#%^&*(-_=+)", 48) + R.choice(LO + DG)


VENDOR = {
    "akid": lambda: "AKIA" + rs(UP + DG, 16),
    "asia": lambda: "ASIA" + rs(UP + DG, 16),
    "aws_sk": lambda: rs(AN + "/+", 40),
    "ghp": lambda: "ghp_" + rs(AN, 36),
    "gho": lambda: "gho_" + rs(AN, 36),
    "ghu": lambda: "ghu_" + rs(AN, 36),
    "ghs": lambda: "ghs_" + rs(AN, 36),
    "ghr": lambda: "ghr_" + rs(AN, 36),
    "gh_pat": lambda: "github_pat_11" + rs(UP + DG, 20) + "_" + rs(AN, 59),
    "glpat": lambda: "glpat-" + rs(AN + "-_", 20),
    "glptt": lambda: "glptt-" + rs(HEXL, 40),
    "glrt": lambda: "GR1348941" + rs(AN + "-_", 20),
    "xoxb": lambda: f"xoxb-{digits(11)}-{digits(13)}-{rs(AN, 24)}",
    "xoxp": lambda: f"xoxp-{digits(11)}-{digits(11)}-{digits(13)}-{rs(HEXL, 32)}",
    "xapp": lambda: f"xapp-1-A{rs(UP + DG, 10)}-{digits(13)}-{rs(HEXL, 64)}",
    "sk_live": lambda: "sk_live_" + rs(AN, R.choice([24, 99])),
    "sk_test": lambda: "sk_test_" + rs(AN, R.choice([24, 99])),
    "rk_live": lambda: "rk_live_" + rs(AN, R.choice([24, 99])),
    "rk_test": lambda: "rk_test_" + rs(AN, 24),
    "whsec": lambda: "whsec_" + rs(AN, 32),
    "aiza": lambda: "AIza" + rs(AN + "-_", 35),
    "openai": lambda: "sk-proj-" + rs(B64U, 48) + "T3BlbkFJ" + rs(B64U, 48),
    "openai_old": lambda: "sk-" + rs(AN, 20) + "T3BlbkFJ" + rs(AN, 20),
    "anthropic": lambda: "sk-ant-api03-" + rs(B64U, 93) + "AA",
    "sendgrid": lambda: "SG." + rs(B64U, 22) + "." + rs(B64U, 43),
    "mailgun": lambda: "key-" + rs(HEXL, 32),
    "mailchimp": lambda: rs(HEXL, 32) + "-us" + str(R.randint(1, 21)),
    "npm": lambda: "npm_" + rs(AN, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64U, R.randint(60, 110)),
    "dckr": lambda: "dckr_pat_" + rs(B64U, 27),
    "hf": lambda: "hf_" + rs(UP + LO, 34),
    "shpat": lambda: "shpat_" + rs(HEXL, 32),
    "shpss": lambda: "shpss_" + rs(HEXL, 32),
    "shpca": lambda: "shpca_" + rs(HEXL, 32),
    "atlassian": lambda: "ATATT3xFfGF0" + rs(B64U, 170) + "=" + rs(HEXU, 8),
    "dop": lambda: "dop_v1_" + rs(HEXL, 64),
    "doppler": lambda: "dp.pt." + rs(AN, 43),
    "postman": lambda: "PMAK-" + rs(HEXL, 24) + "-" + rs(HEXL, 34),
    "linear": lambda: "lin_api_" + rs(AN, 40),
    "notion": lambda: R.choice(["secret_" + rs(AN, 43), "ntn_" + digits(11) + rs(AN, 35)]),
    "discord": gen_discord,
    "telegram": lambda: f"{R.randint(1000000000, 7999999999)}:AA{rs(B64U, 33)}",
    "square": lambda: "EAAA" + rs(B64U, 60),
    "sq0csp": lambda: "sq0csp-" + rs(B64U, 43),
    "azure_storage": lambda: rs(B64, 86) + "==",
    "dapi": lambda: "dapi" + rs(HEXL, 32),
    "glsa": lambda: "glsa_" + rs(AN, 32) + "_" + rs(HEXL, 8),
    "nrak": lambda: "NRAK-" + rs(UP + DG, 27),
    "sntryu": lambda: "sntryu_" + rs(HEXL, 64),
    "hvs": lambda: "hvs." + rs(B64U, 24),
    "tfc": lambda: rs(AN, 14) + ".atlasv1." + rs(B64U, 67),
    "pulumi": lambda: "pul-" + rs(HEXL, 40),
    "figma": lambda: "figd_" + rs(B64U, 40),
    "sbp": lambda: "sbp_" + rs(HEXL, 40),
    "pscale_tok": lambda: "pscale_tok_" + rs(AN + "_", 42) + R.choice(AN),
    "pscale_pw": lambda: "pscale_pw_" + rs(AN + "_", 42) + R.choice(AN),
    "okta": lambda: "00" + rs(B64U, 40),
    "dt": lambda: "dt0c01." + rs(UP + DG, 24) + "." + rs(UP + DG, 64),
    "age": lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
    "ltai": lambda: "LTAI" + rs(AN, 20),
    "rubygems": lambda: "rubygems_" + rs(HEXL, 48),
    "mapbox_sk": lambda: "sk.eyJ1Ijoi" + rs(AN, 16) + "IiwiYSI6I" + rs(AN, 24) + "." + rs(B64U, 22),
    "brevo": lambda: "xkeysib-" + rs(HEXL, 64) + "-" + rs(AN, 16),
    "groq": lambda: "gsk_" + rs(AN, 52),
    "replicate": lambda: "r8_" + rs(AN, 37),
    "cfpat": lambda: "CFPAT-" + rs(B64U, 43),
    "easypost": lambda: "EZAK" + rs(HEXL, 54),
    "shippo": lambda: "shippo_live_" + rs(HEXL, 40),
    "flw": lambda: "FLWSECK-" + rs(HEXL, 32) + "-X",
    "adafruit": lambda: "aio_" + rs(AN, 28),
    "gocspx": lambda: "GOCSPX-" + rs(B64U, 27) + R.choice(AN),
    "azure_ad": gen_azure_ad,
    "circleci": lambda: "CCIPAT_" + rs(AN, 22) + "_" + rs(HEXL, 40),
    "buildkite": lambda: "bkua_" + rs(HEXL, 40),
    "sonar": lambda: "squ_" + rs(HEXL, 40),
    "render": lambda: "rnd_" + rs(AN, 32),
    "tailscale": lambda: "tskey-auth-k" + rs(AN, 10) + "CNTRL-" + rs(AN, 33),
    "netlify": lambda: "nfp_" + rs(AN, 36),
    "yandex_iam": lambda: "AQVN" + rs(B64U, 36),
    "yandex_oauth": lambda: "y0_AgAAAAA" + rs(B64U, 48),
    "xai": lambda: "xai-" + rs(AN, 80),
    "pplx": lambda: "pplx-" + rs(AN, 48),
    "airtable": lambda: "pat" + rs(AN, 14) + "." + rs(HEXL, 64),
    "glrt_auth": lambda: "glrt-" + rs(B64U, 20),
}
GENERIC_SECRET = {
    "pw": gen_pw,
    "pw_url": gen_pw_url,
    "phrase": gen_phrase,
    "pin": gen_pin,
    "jwt": gen_jwt,
    "pkey": lambda L=None: gen_pkey(),
    "pkey_rsa": lambda L=None: gen_pkey("rsa"),
    "pkey_ec": lambda L=None: gen_pkey("ec"),
    "pkey_openssh": lambda L=None: gen_pkey("openssh"),
    "pkey_json": lambda L=None: gen_pkey("pkcs8", esc=True),
    "hex32": lambda L=None: rs(HEXL, 32),
    "hex40": lambda L=None: rs(HEXL, 40),
    "hex64": lambda L=None: rs(HEXL, 64),
    "tok32": lambda L=None: rs(AN, 32),
    "tok64": lambda L=None: rs(AN, 64),
    "tok40": lambda L=None: rs(AN + "-_", 39) + R.choice(AN),
    "b64key": lambda L=None: base64.b64encode(bytes(R.getrandbits(8) for _ in range(32))).decode(),
    "django": gen_django,
    "k8s_b64": lambda L=None: b64s(gen_pw()),
    "basic_b64": lambda L=None: b64s(
        R.choice(["svc-deploy", "api", "jenkins", "admin", "grafana", "reporter"]) + ":" + gen_pw()
    ),
    "session": lambda L=None: R.choice([rs(AN, 32), rs(HEXL, 40), "s%3A" + rs(B64U, 32) + "." + rs(B64U, 43)]),
    "uuid_secret": lambda L=None: gen_uuid(),
    "sas_sig": lambda L=None: rs(AN, 20) + R.choice(["%2B", "%2F"]) + rs(AN, 21) + "%3D",
}
SECRET_PW_KINDS = {"pw", "pw_url", "phrase", "pin"}

# ---------------------------------------------------------------- unlabelled values
FIRST_USERS = [
    "jdoe",
    "mkeller",
    "svc_backup",
    "deploy",
    "ci-runner",
    "app_rw",
    "analytics",
    "ops",
    "root",
    "postgres",
    "grafana",
    "h.nakamura",
    "pkowalski",
    "lmartin",
    "readonly",
    "etl_loader",
    "wp_admin",
    "ubuntu",
    "ec2-user",
]


def gen_name(lang="en"):
    return R.choice(NAMES.get(lang, NAMES["en"]))


def gen_first(lang="en"):
    return gen_name(lang).split()[0] if lang not in ("zh", "ko") else gen_name(lang)


def gen_uuid(lang=None):
    h = rs(HEXL, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice('89ab')}{h[17:20]}-{h[20:]}"


def gen_bcrypt(lang=None):
    return f"$2{R.choice('aby')}${R.choice(['10', '12', '12', '14'])}$" + rs(AN + "./", 53)


def gen_crypt(lang=None):
    c = R.random()
    if c < 0.4:
        return "$6$" + rs(AN + "./", 16) + "$" + rs(AN + "./", 86)
    if c < 0.6:
        return "$5$rounds=5000$" + rs(AN + "./", 16) + "$" + rs(AN + "./", 43)
    if c < 0.8:
        return "$1$" + rs(AN + "./", 8) + "$" + rs(AN + "./", 22)
    return "$y$j9T$" + rs(AN + "./", 22) + "$" + rs(AN + "./", 43)


def gen_argon2(lang=None):
    return f"$argon2id$v=19$m=65536,t=3,p=4${rs(B64, 22)}${rs(B64, 43)}"


def gen_cisco(lang=None):
    return R.choice(
        ["$8$" + rs(AN + "./", 14) + "$" + rs(AN + "./", 43), "$9$" + rs(AN + "./", 14) + "$" + rs(AN + "./", 43)]
    )


def gen_eth(lang=None):
    return "0x" + rs("0123456789abcdefABCDEF", 40)


def gen_btc(lang=None):
    return R.choice(
        [
            "bc1q" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 38),
            "1" + rs("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33),
            "3" + rs("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33),
        ]
    )


def gen_ssh_pub(lang=None):
    user = R.choice(["deploy", "jenkins", "anna", "rk", "build"])
    host = R.choice(["buildbox", "laptop-07", "bastion", "ws-114"])
    if R.random() < 0.5:
        return f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{rs(B64, 43)} {user}@{host}"
    return f"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{rs(B64, 180)}= {user}@{host}"


def gen_pub_block(lang=None):
    if R.random() < 0.5:
        body = pem_body("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 7, 10)
        return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(body) + "\n-----END PUBLIC KEY-----"
    body = pem_body("MIIDazCCAlOgAwIBAgIU", R.randint(9, 14), R.randint(20, 60))
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(body) + "\n-----END CERTIFICATE-----"


def gen_iso(lang=None):
    return f"2024-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}.{R.randint(0, 999):03d}Z"


def gen_clf(lang=None):
    mon = R.choice(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    return (
        f"{R.randint(1, 28):02d}/{mon}/2024:{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d} +0000"
    )


def gen_host(lang=None):
    return R.choice(
        [
            f"db-prod-{R.randint(1, 9):02d}.internal",
            f"pg-{rs(LO, 4)}.svc.cluster.local",
            f"redis-{R.randint(1, 5)}.cache.lan",
            f"mysql.{R.choice(ORG_A)}.{R.choice(['io', 'de', 'net'])}",
            f"api.{org_domain()}",
            f"rabbit-{R.randint(1, 3)}.mq.corp",
            "localhost",
            f"mongo-{R.randint(0, 2)}.mongo.svc",
        ]
    )


UA = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.207 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
]
PATHS = [
    "/api/v1/orders",
    "/login",
    "/healthz",
    "/static/app.3f9c.js",
    "/api/v2/users/me",
    "/wp-login.php",
    "/favicon.ico",
    "/graphql",
    "/metrics",
    "/api/v1/invoices?page=2",
    "/.env",
    "/checkout/confirm",
]


def gen_applog(lang=None):
    out = []
    for _ in range(R.randint(3, 6)):
        lvl = R.choice(["INFO", "INFO", "DEBUG", "WARN"])
        svc = R.choice(["api", "worker", "billing", "auth", "scheduler", "gateway"])
        msg = R.choice(
            [
                f"request completed path={R.choice(PATHS)} status={R.choice([200, 200, 204, 301, 404])} duration_ms={R.randint(2, 900)}",
                f"connected to {gen_privip()}:{R.choice([5432, 6379, 3306, 9092])} pool_size={R.randint(4, 32)}",
                f"job {gen_uuid()} finished in {R.randint(1, 90)}s",
                f"cache miss key=user:{R.randint(100, 99999)}:profile",
                f"retrying upstream {gen_privip()} attempt={R.randint(1, 4)}",
                f"heartbeat ok lag_ms={R.randint(0, 40)}",
            ]
        )
        out.append(f"{gen_iso()} {lvl:<5} [{svc}] {msg}")
    return "\n".join(out)


def gen_nginx_neg(lang=None):
    out = []
    for _ in range(R.randint(3, 6)):
        ip = R.choice([gen_privip(), gen_docip(), "127.0.0.1"])
        out.append(
            f'{ip} - - [{gen_clf()}] "{R.choice(["GET", "GET", "POST", "HEAD"])} {R.choice(PATHS)} HTTP/1.1" {R.choice([200, 200, 302, 404, 499])} {R.randint(0, 48000)} "-" "{R.choice(UA)}"'
        )
    return "\n".join(out)


EN_PARA = [
    "We moved the staging cluster to the new region last week, so expect the first deploy after the switch to be slow while images are pulled.",
    "The retry logic now backs off exponentially and gives up after five attempts; previously it would hammer the upstream until the circuit breaker tripped.",
    "If the build fails on the lint step, run the formatter locally before pushing again - CI will not auto-fix anything.",
    "Most of the latency came from the ORM issuing one query per row, which a single join fixed.",
    "Remember that the nightly job runs at 02:00 UTC and holds a lock on the reporting tables for about ten minutes.",
    "Feature flags are evaluated on the server; the client only receives the resolved booleans.",
    "Our on-call rotation changes every Monday at 09:00 local time, and the handover doc lives in the team wiki.",
    "Logs are retained for 30 days in the hot tier and 13 months in cold storage.",
    "The migration is idempotent, so it is safe to re-run it if the first attempt times out.",
    "Uploads larger than 25 MB are streamed straight to object storage instead of being buffered in memory.",
    "Thanks to everyone who tested the beta; the crash on resume is fixed in this release.",
    "Rate limits are applied per API key and per IP, whichever is hit first.",
]


def gen_para(lang=None):
    return " ".join(R.sample(EN_PARA, R.randint(2, 3)))


def gen_mac(lang=None):
    return ":".join(rs(HEXL, 2) for _ in range(6))


UNLAB = {
    "name": gen_name,
    "first": gen_first,
    "user": lambda L=None: R.choice(FIRST_USERS),
    "org": lambda L=None: R.choice(ORG_A) + R.choice(["", "-"]) + R.choice(ORG_B),
    "lid": lambda L=None: rs(LO + DG, 17),
    "wgpub": lambda L=None: base64.b64encode(bytes(R.getrandbits(8) for _ in range(32))).decode(),
    "exemail": gen_exemail,
    "privip": gen_privip,
    "docip": gen_docip,
    "loopip": gen_loopip,
    "priv6": gen_priv6,
    "docip6": gen_docip6,
    "uuid": gen_uuid,
    "hex7": lambda L=None: rs(HEXL, 7),
    "sha1": lambda L=None: rs(HEXL, 40),
    "sha256": lambda L=None: rs(HEXL, 64),
    "md5": lambda L=None: rs(HEXL, 32),
    "sri": lambda L=None: "sha384-" + rs(B64, 64),
    "imgdigest": lambda L=None: "sha256:" + rs(HEXL, 64),
    "bcrypt": gen_bcrypt,
    "crypt": gen_crypt,
    "argon2": gen_argon2,
    "cisco": gen_cisco,
    "eth": gen_eth,
    "btc": gen_btc,
    "csrf": lambda L=None: rs(B64U, R.choice([32, 43, 64])),
    "nonce": lambda L=None: rs(B64, 22) + "==",
    "reqid": lambda L=None: R.choice([gen_uuid(), "req_" + rs(AN, 24), rs(HEXU, 26)]),
    "traceparent": lambda L=None: f"00-{rs(HEXL, 32)}-{rs(HEXL, 16)}-01",
    "traceid": lambda L=None: rs(HEXL, 32),
    "idem": lambda L=None: gen_uuid(),
    "vault_acc": lambda L=None: rs(AN, 24),
    "cachekey": lambda L=None: f"v3:{rs(HEXL, 12)}:{R.randint(1, 9999)}",
    "pk_live": lambda L=None: "pk_live_" + rs(AN, R.choice([24, 99])),
    "pk_test": lambda L=None: "pk_test_" + rs(AN, R.choice([24, 99])),
    "mapbox_pk": lambda L=None: "pk.eyJ1Ijoi" + rs(AN, 16) + "IiwiYSI6I" + rs(AN, 24) + "." + rs(B64U, 22),
    "gclient": lambda L=None: digits(12) + "-" + rs(LO + DG, 32) + ".apps.googleusercontent.com",
    "recaptcha": lambda L=None: "6L" + rs(B64U, 38),
    "ssh_pub": gen_ssh_pub,
    "pub_block": gen_pub_block,
    "order": lambda L=None: R.choice(["ORD-", "INV-", "#", "PO "]) + safe_digits(R.randint(6, 10)),
    "imei": gen_imei,
    "isbn": lambda L=None: f"978-{R.randint(0, 9)}-{R.randint(10, 99)}-{R.randint(100000, 999999)}-{R.randint(0, 9)}",
    "card_bad": gen_card_bad,
    "card_masked": gen_card_masked,
    "mac": gen_mac,
    "iso": gen_iso,
    "clf": gen_clf,
    "port": lambda L=None: str(R.choice([22, 80, 443, 5432, 6379, 8080, 8443, 3306, 9200, 27017, 5672])),
    "n2": lambda L=None: str(R.randint(10, 99)),
    "n3": lambda L=None: str(R.randint(100, 999)),
    "n4": lambda L=None: str(R.randint(1000, 9999)),
    "ms": lambda L=None: str(R.randint(3, 2500)),
    "ver": lambda L=None: f"{R.randint(0, 9)}.{R.randint(0, 30)}.{R.randint(0, 20)}",
    "acct": lambda L=None: digits(12),
    "sshfp": lambda L=None: "SHA256:" + rs(B64, 43),
    "host": gen_host,
    "applog": gen_applog,
    "nginxneg": gen_nginx_neg,
    "para": gen_para,
    "date": lambda L=None: f"2024-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
    "hexcolor": lambda L=None: "#" + rs(HEXL, 6),
    "sid": lambda L=None: "AC" + rs(HEXL, 32),
    "gpgfp": lambda L=None: " ".join(rs(HEXU, 4) for _ in range(10)),
    "word": lambda L=None: R.choice(WORDS),
    "city": lambda L=None: R.choice(["Leipzig", "Porto", "Gdańsk", "Tartu", "Osaka", "Nairobi", "Cebu", "Izmir"]),
}

KINDS = {}
for k, f in VENDOR.items():
    KINDS[k] = ("SECRET", (lambda f: lambda L=None: f())(f))
for k, f in GENERIC_SECRET.items():
    KINDS[k] = ("SECRET", f)
KINDS["email"] = ("EMAIL_ADDRESS", gen_email)
KINDS["ip4"] = ("IP_ADDRESS", gen_ip4)
KINDS["sa_email"] = (
    "EMAIL_ADDRESS",
    lambda L=None: (
        R.choice(["etl-runner", "ci-deployer", "bq-export"])
        + "@"
        + R.choice(WORDS)
        + "-prod-"
        + str(R.randint(100, 999))
        + ".iam.gserviceaccount.com"
    ),
)
KINDS["ip6"] = ("IP_ADDRESS", gen_ip6)
KINDS["card"] = ("CREDIT_CARD", lambda L=None: gen_card())
for b in CARD_BRANDS:
    KINDS[b] = ("CREDIT_CARD", (lambda b: lambda L=None: gen_card(b))(b))
for st in ("plain", "sp", "dash"):
    KINDS["card_" + st] = ("CREDIT_CARD", (lambda st: lambda L=None: gen_card(style=st))(st))
for k, f in UNLAB.items():
    assert k not in KINDS, k
    KINDS[k] = (None, f)


# ================================================================ templates
TEMPLATES = []
_GROUP = [None]


def group(g):
    _GROUP[0] = g


def T(ctx, cat, text, lang="en", n=None):
    TEMPLATES.append(dict(ctx=ctx, cat=cat, text=text, lang=lang, n=n, group=_GROUP[0]))


P = "positive"

# ---------------------------------------------------------------- web pages, blogs, forums, Q&A, docs, READMEs
group("web")
T(
    "forum_post",
    P,
    """Re: SMTP relay keeps rejecting my app

ok so after 3 hours i figured it out lol. the relay wants AUTH LOGIN and my config had the wrong port. For anyone finding this later, this is what works for me (yes I know I should rotate it, will do tonight):

smtp_host = smtp.@@org@@.mail-relay.net
smtp_user = @@email@@
smtp_pass = @@pw@@
smtp_port = 587

posted from my phone, sorry for formatting""",
)
T(
    "qa_answer",
    P,
    """**Answer** (score: 14)

You are hitting the rate limit because every request creates a new client. Create it once:

```python
import openai
client = openai.OpenAI(api_key="@@openai@@")
```

Then reuse `client` everywhere. Also, please regenerate that key, it is visible in your question history now.""",
)
T(
    "qa_question",
    P,
    """Title: boto3 NoCredentialsError only inside cron

My script runs fine from the shell but under cron I get `NoCredentialsError`. I hardcoded the credentials to test and then it works:

    session = boto3.Session(
        aws_access_key_id="@@akid@@",
        aws_secret_access_key="@@aws_sk@@",
        region_name="eu-central-1")

Why would cron not see ~/.aws/credentials? Ubuntu 22.04, python 3.10.""",
)
T(
    "blog_post",
    P,
    """# How we cut our Stripe webhook failures to zero

@@para@@

The fix was embarrassingly simple: we were verifying signatures against the wrong secret. Each endpoint has its own signing secret, and our staging one (`@@whsec@@`) had been copied into production config.

@@para@@""",
)
T(
    "readme",
    P,
    """## Quick start

1. Clone the repo
2. Copy `.env.sample` to `.env`
3. Fill in the values below (the ones in this README are from my dev sandbox and still work, ask me before you use them)

```
TELEGRAM_BOT_TOKEN=@@telegram@@
ADMIN_CHAT_EMAIL=@@email@@
```

4. `docker compose up -d`""",
)
T(
    "forum_post",
    P,
    """[SOLVED] cannot ssh into droplet after resize

droplet ip is @@ip4@@ , the console works but ssh times out. firewall rules look right?? I also tried from my phone hotspot.

EDIT: turned out the resize reset ufw. `ufw allow 22/tcp` fixed it. thx @@first@@""",
)
T(
    "wiki_page",
    P,
    """=== Staging environment ===
* URL: https://staging.@@org@@.io (basic auth: staging / @@pw@@)
* Bastion: @@ip4@@ (port 2222)
* DB: via bastion only, see [[Database access]]
* Owner: @@email@@

''Last edited 3 weeks ago''
""",
)
T(
    "gist",
    P,
    """// quick & dirty script to post build status to discord
// TODO move token to env before sharing!!!
const { Client, GatewayIntentBits } = require('discord.js');
const client = new Client({ intents: [GatewayIntentBits.Guilds] });
client.login('@@discord@@');""",
)
T(
    "docs_page",
    P,
    """### Authenticating against the internal registry

Our CI uses a robot account. If you need to pull images locally use your own token; for the record the robot token is `@@dckr@@` and must **never** be used outside the pipeline.

```bash
echo "$REGISTRY_TOKEN" | docker login registry.@@org@@.io -u robot --password-stdin
```""",
)
T(
    "forum_post",
    P,
    """Hallo zusammen,

mein Pi-hole löst nichts mehr auf seit dem Update. Upstream ist @@ip4@@ und als zweiter @@ip4@@. Lokal hängt er unter @@privip@@. Hat jemand eine Idee? Log zeigt nur "REFUSED".

Gruß @@first@@""",
    lang="de",
)
T(
    "qa_answer",
    P,
    """You're passing the credentials in the URL, which works, but the `@` in the password breaks parsing. Percent-encode it or pick a password without it. Your string should look like:

`mongodb+srv://appuser:@@pw_url@@@cluster0.@@hex7@@.mongodb.net/shop?retryWrites=true`

(and change that password, it's now public)""",
)
T(
    "product_page",
    P,
    """Order confirmation – thank you!

Order @@order@@
Ship to: @@name@@
Paid with card @@card@@ (exp 09/27)
Confirmation sent to @@email@@

Questions? Reply to this message.""",
)
T(
    "blog_post",
    P,
    """Today I learned: GitHub fine-grained tokens look different from the classic ones. A classic one starts with ghp_, a fine-grained one is much longer, like this one I just revoked after pasting it into a screenshot:

@@gh_pat@@

Lesson learned. Use `gh auth login` instead.""",
)
T(
    "forum_post",
    P,
    """routeur bloqué après mise à jour du firmware

Bonjour, depuis ce matin impossible d'accéder à l'interface. IP publique de la box : @@ip4@@, IPv6 : @@ip6@@. Le mot de passe admin que j'avais mis (@@pw@@) n'est plus accepté. Reset usine obligatoire ?""",
    lang="fr",
)
T(
    "readme",
    P,
    """# weather-bot

Small Slack bot that posts the forecast at 7am.

## Config
| var | value |
|-----|-------|
| SLACK_BOT_TOKEN | `@@xoxb@@` |
| SLACK_APP_TOKEN | `@@xapp@@` |
| CITY | Lisbon |

PRs welcome.""",
)
T(
    "qa_question",
    P,
    """Why does my Laravel app throw "No application encryption key has been specified"?

My .env on the server:
```
APP_NAME=Shop
APP_ENV=production
APP_KEY=base64:@@b64key@@
APP_DEBUG=false
DB_PASSWORD=@@pw@@
```
I ran `php artisan config:cache` already.""",
)
T(
    "docs_page",
    P,
    """Step 4 — Configure the HuggingFace token

Export it so `huggingface-cli` picks it up:

    export HF_TOKEN=@@hf@@

The token above belongs to the workshop account and will be deleted after the session on Friday.""",
)
T(
    "support_kb",
    P,
    """Customer reported double charge. Card on file: @@card@@. Second card attempted: @@card@@. Both declined at first try, then both went through. Customer email: @@email@@. Refund issued for the second one.""",
)
T(
    "forum_post",
    P,
    """anyone else getting 401 from the mailgun api since yesterday? my key is @@mailgun@@ and the domain is verified. tried both EU and US base urls. sending from @@email@@""",
)
T(
    "blog_post",
    P,
    """Setting up WireGuard on a $5 VPS

Server public IP: @@ip4@@
Tunnel network: 10.8.0.0/24

[Interface]
PrivateKey = @@b64key@@
Address = 10.8.0.1/24
ListenPort = 51820

@@para@@""",
)
T(
    "qa_answer",
    P,
    """The JWT you posted decodes fine, the problem is the `exp` claim is in the past:

```
@@jwt@@
```

Ask the auth service for a fresh token, or check your server clock (NTP).""",
)
T(
    "forum_post",
    P,
    """Bonjour, j'ai un souci avec PayPlug : le paiement de test passe mais en prod j'ai "card declined". J'ai testé avec ma propre carte @@card_sp@@, même résultat. Merci d'avance""",
    lang="fr",
)
T(
    "docs_page",
    P,
    """#### Internal: sandbox accounts for QA

| env | user | password |
| --- | --- | --- |
| qa-eu | qa.lead | @@pw@@ |
| qa-us | qa.lead | @@pw@@ |
| demo | sales-demo | @@phrase@@ |

Contact: @@email@@""",
)
T(
    "gist",
    P,
    """#!/bin/sh
# backup the nas to b2 every night
export B2_ACCOUNT_ID=@@md5@@
export B2_ACCOUNT_KEY=@@tok32@@
export RESTIC_PASSWORD='@@phrase@@'
restic -r b2:nas-backup:/ backup /volume1/photos""",
)
T(
    "forum_post",
    P,
    """Mi servidor de Minecraft va lento desde que cambié de proveedor. La IP es @@ip4@@:25565, si alguien quiere probar el ping. La contraseña de rcon es @@pw@@ (la voy a cambiar, es para que alguien del foro me ayude).""",
    lang="es",
)
T(
    "qa_question",
    P,
    """Twilio returns 20003 Authenticate

```js
const client = require('twilio')('@@sid@@', '@@hex32@@');
client.messages.create({ body: 'hi', from: '+15005550006', to: process.env.TO })
```
Account SID and auth token copied straight from the console. What am I missing?""",
)
T(
    "readme",
    P,
    """### Deploying

```
flyctl secrets set DATABASE_URL=postgres://shop:@@pw_url@@@@@host@@:5432/shop
flyctl secrets set SENTRY_AUTH_TOKEN=@@sntryu@@
flyctl deploy
```""",
)
T(
    "docs_page",
    P,
    """Note for the ops handbook: the old monitoring box (@@ip4@@) is still receiving syslog from the branch offices. Decommission only after the new collector @@ip4@@ has been confirmed in every office. IPv6 of the new collector: @@ip6@@.""",
)
T(
    "blog_comment",
    P,
    """great tutorial!! one thing: in step 3 you left your sendgrid key in the screenshot text: @@sendgrid@@ — you might want to revoke it 🙂""",
)
T(
    "forum_post",
    P,
    """Ciao a tutti, ho configurato il NAS con accesso remoto. Indirizzo @@ip4@@, utente admin, password @@pw@@. Qualcuno può controllare se la porta 5001 è raggiungibile? Grazie mille""",
    lang="it",
)
T(
    "qa_answer",
    P,
    """Your problem is the quoting. In PowerShell use single quotes so `$` is not expanded:

```powershell
$env:PGPASSWORD = '@@pw@@'
psql -h @@host@@ -U analytics -d warehouse
```""",
)
T(
    "wiki_page",
    P,
    """== VPN for contractors ==
Server: vpn.@@org@@.de (@@ip4@@)
Pre-shared key: @@pw@@
Group: contractors-2024
Questions to @@email@@ or @@email@@.""",
)
T(
    "docs_page",
    P,
    """Example request (real token redacted in the published version, this is the draft):

```http
POST /v2/charges HTTP/1.1
Host: api.@@org@@.com
Authorization: Bearer @@sk_live@@
Content-Type: application/json

{"amount": 4200, "currency": "eur"}
```""",
)
T(
    "forum_post",
    P,
    """PSA: scammers are using this address @@email@@ and also @@email@@ to send fake invoices in our club's name. Their mail server was at @@ip4@@ according to the headers. Do not pay anything.""",
)
T(
    "changelog",
    P,
    """## 2.14.0
- Fixed: webhook retries now respect Retry-After
- Removed leaked test credential from fixtures (`@@sk_test@@`) and rotated it
- Contributors: @@email@@""",
)
T(
    "qa_question",
    P,
    """Getting `invalid_client` from Google OAuth

client_id: @@gclient@@
client_secret: @@gocspx@@
redirect uri matches exactly. I'm testing on localhost:3000.""",
)
T(
    "blog_post",
    P,
    """Ich habe heute meinen Homeserver auf IPv6 umgestellt. Der Router bekommt jetzt @@ip6@@ vom Provider, und der Server ist direkt unter @@ip6@@ erreichbar. Firewall nicht vergessen! Außerdem hat mein Provider mir noch eine feste IPv4 gegeben: @@ip4@@.""",
    lang="de",
)
T(
    "readme",
    P,
    """## Running the scraper

Set the proxy and the API key:

```
PROXY_URL=http://scraper:@@pw_url@@@@@ip4@@:3128
SERPAPI_KEY=@@hex64@@
```""",
)
T(
    "docs_page",
    P,
    """The Terraform Cloud token for the `infra-prod` workspace is stored in 1Password. For the migration weekend only, it is also here:

credentials "app.terraform.io" {
  token = "@@tfc@@"
}""",
)
T(
    "forum_post",
    P,
    """Vim z hraním na serveru @@ip4@@ problém – po připojení mě to hned vyhodí. Admin heslo jsem resetoval na @@pw@@ a pořád nic. Verze 1.20.4.""",
    lang="cs",
)
T(
    "qa_answer",
    P,
    """You don't need the SDK for this, plain curl works:

curl https://api.anthropic.com/v1/messages \\
  -H "x-api-key: @@anthropic@@" \\
  -H "anthropic-version: 2023-06-01" \\
  -H "content-type: application/json" \\
  -d '{"model": "claude-3-haiku-20240307", "max_tokens": 64, "messages": [{"role":"user","content":"ping"}]}'

(I've since deleted that key.)""",
)
T(
    "product_review",
    P,
    """Paid with my Amex @@amex@@ and was charged twice, support took 2 weeks to answer. Avoid. If the seller reads this: my order email is @@email@@.""",
)
T(
    "blog_post",
    P,
    """Self-hosting Gitea, part 2

The runner registers with a token from the admin panel; mine was `@@hex40@@`. Runners then talk to the instance at @@ip4@@.

@@para@@""",
)
# --- web hard negatives
T(
    "docs_page",
    "example_domain_email",
    """## Contact form

Submissions go to `@@exemail@@` in the sample config. Replace it with your own inbox before going live. For testing, send a message from `@@exemail@@` and check the queue.""",
)
T(
    "qa_answer",
    "example_domain_email",
    """RFC 2606 reserves those names exactly for this. Use `@@exemail@@` in fixtures and `@@exemail@@` for the second user; mail to them will never be delivered.""",
)
T(
    "docs_page",
    "documentation_ip",
    """### Allow-listing

Add your office range to the allow list, for example `@@docip@@/32` and `@@docip@@`. IPv6 works the same: `@@docip6@@`. The addresses in this page are from the documentation ranges and are not reachable.""",
)
T(
    "blog_post",
    "documentation_ip",
    """In the diagram, the load balancer answers on @@docip@@ and forwards to the two app servers @@docip@@ and @@docip@@. @@para@@""",
)
T(
    "forum_post",
    "private_ip",
    """my router is at @@privip@@ and the printer got @@privip@@ from dhcp but windows keeps looking for it at @@privip@@. how do i make the address fixed?""",
)
T(
    "qa_answer",
    "private_ip",
    """Containers on the same bridge reach each other via the internal addresses, e.g. the db at @@privip@@:5432. From the host use @@privip@@. None of this is reachable from outside unless you publish ports.""",
)
T(
    "docs_page",
    "loopback_linklocal_ip",
    """The metadata service is always at `169.254.169.254`; bind your dev server to `@@loopip@@` and never to `0.0.0.0` on shared machines. Multicast discovery uses `@@loopip@@`.""",
)
T(
    "readme",
    "vendor_example_key",
    """## Configure AWS

```
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
region = us-west-2
```
These are the placeholder values from the AWS docs; use your own.""",
)
T(
    "docs_page",
    "vendor_example_key",
    """Set the key in your environment:

    export STRIPE_API_KEY=sk_test_EXAMPLE_@@n4@@
    export OPENAI_API_KEY=sk-your_key_here

Both values above are placeholders.""",
)
T(
    "readme",
    "placeholder_value",
    """Create `config.yml`:

```yaml
api_key: <YOUR_API_KEY>
api_secret: "<paste secret here>"
webhook_url: https://hooks.slack.com/services/XXXX/XXXX/XXXX
db_password: changeme-in-production   # placeholder, the installer refuses to start with it
```""",
)
T(
    "qa_answer",
    "placeholder_value",
    """Replace `YOUR_TOKEN_HERE` with the token from the dashboard, keep the `Bearer ` prefix:

`Authorization: Bearer YOUR_TOKEN_HERE`

and for the second service `X-Api-Key: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.""",
)
T(
    "docs_page",
    "env_var_reference",
    """Credentials are never stored in the repository. The compose file reads them from the environment:

```yaml
environment:
  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
  API_TOKEN: ${API_TOKEN:?missing}
  SMTP_PASS: "$SMTP_PASS"
```""",
)
T(
    "blog_post",
    "env_var_reference",
    """Keep secrets in the CI settings and reference them: `${{ secrets.NPM_TOKEN }}` in Actions, `$CI_JOB_TOKEN` in GitLab, `%API_KEY%` on Windows runners. @@para@@""",
)
T(
    "docs_page",
    "publishable_key",
    """Stripe.js only needs the publishable key, which is safe to embed in the page:

```html
<script>const stripe = Stripe('@@pk_live@@');</script>
```
For local testing use `@@pk_test@@`.""",
)
T(
    "readme",
    "public_map_token",
    """The map widget uses a public Mapbox token (URL-restricted to our domain):

MAPBOX_PUBLIC_TOKEN=@@mapbox_pk@@""",
)
T(
    "qa_answer",
    "oauth_client_id",
    """The client ID is not secret, it ends up in the browser anyway: `@@gclient@@`. What you must keep private is the client secret, which you should not paste here.""",
)
T(
    "docs_page",
    "recaptcha_site_key",
    """Add the widget:

<div class="g-recaptcha" data-sitekey="@@recaptcha@@"></div>

The site key is public; the secret key stays on the server.""",
)
T(
    "docs_page",
    "public_key_or_certificate",
    """Add this public key to `~/.ssh/authorized_keys` on the target host:

```
@@ssh_pub@@
```
Fingerprint: @@sshfp@@""",
)
T(
    "blog_post",
    "public_key_or_certificate",
    """Here is the certificate the server presented (copied from `openssl s_client`):

@@pub_block@@

Note the issuer, it's the internal CA.""",
)
T(
    "qa_answer",
    "csrf_token",
    """The 419 comes from the CSRF check. Your form must include the hidden field, e.g.

<input type="hidden" name="_token" value="@@csrf@@">

It's regenerated per session, so copying it from another browser won't work.""",
)
T(
    "docs_page",
    "nonce",
    """CSP with a per-request nonce:

Content-Security-Policy: script-src 'nonce-@@nonce@@' 'strict-dynamic'

and then `<script nonce="@@nonce#a@@">` … the nonce must change on every response.""",
)
T(
    "forum_post",
    "password_hash",
    """found this in an old /etc/shadow backup, can someone tell me which algorithm this is?

root:@@crypt@@:19500:0:99999:7:::

(not asking to crack it, I just want to know if it's sha512)""",
)
T(
    "qa_answer",
    "password_hash",
    """Store only the hash. With bcrypt the stored value looks like `@@bcrypt@@`; with argon2id it looks like `@@argon2@@`. Both embed the salt and cost parameters.""",
)
T(
    "docs_page",
    "checksum_digest",
    """Verify the download:

```
sha256sum node-v20.12.2-linux-x64.tar.xz
@@sha256@@  node-v20.12.2-linux-x64.tar.xz
```
MD5 (legacy mirrors): @@md5@@""",
)
T(
    "changelog",
    "git_commit_hash",
    """### Fixed
- Crash when config file is empty (@@hex7@@)
- Off-by-one in pagination (@@sha1@@)
- Reverted @@hex7@@ because it broke Windows builds""",
)
T(
    "blog_post",
    "crypto_wallet_address",
    """If this guide helped you, tips are welcome: BTC @@btc@@ or ETH @@eth@@. Thanks!""",
)
T(
    "forum_post",
    "username_only",
    """my username on the old forum was @@user@@, on github it's @@user@@. the admin account is literally called "administrator", shocking I know""",
)
T(
    "docs_page",
    "resource_uuid",
    """To delete a project call `DELETE /v1/projects/{id}`, for instance

DELETE /v1/projects/@@uuid@@

The id is a UUID and is shown on the project settings page. Org id: @@uuid@@.""",
)
T(
    "qa_answer",
    "luhn_invalid_number",
    """That number can't be valid: @@card_bad@@ fails the Luhn check (the last digit should be different), so the gateway rejects it before even contacting the bank.""",
)
T(
    "product_page",
    "masked_card_number",
    """Payment method: Visa ending in @@n4@@
Card: @@card_masked@@
Billing address on file. Manage payment methods in your account settings.""",
)
T(
    "support_kb",
    "non_card_number",
    """To check warranty status we need the IMEI (dial *#06#), e.g. @@imei@@, plus the order number @@order@@ from the confirmation mail. The ISBN on the manual is @@isbn@@.""",
)
T(
    "changelog",
    "version_string",
    """Upgrade notes: bump from @@ver@@ to @@ver@@. Requires PostgreSQL 14.11 or newer and Node 20.12.2. Build 2024.05.17.""",
)
T(
    "docs_page",
    "redacted_secret",
    """The log line in the screenshot reads `api_key=sk_live_****************` and `password=[REDACTED]` because the logger masks anything matching a credential pattern. Tokens are shown as `ghp_…Xy9` in the UI.""",
)
T(
    "docs_page",
    "password_policy_text",
    """Password requirements: at least 12 characters, at least one upper-case letter, one digit and one symbol. Passwords expire after 365 days and the last 5 cannot be reused. Use a password manager and enable two-factor authentication.""",
)
T(
    "qa_answer",
    "code_identifier",
    """Rename `getPassword()` to `resolvePasswordFromVault()` and make `api_key` a required constructor argument; `PASSWORD_RESET_URL` and `SECRET_KEY_SETTING_NAME` are just config key names, not values.""",
)
T(
    "docs_page",
    "oid_and_dotted_number",
    """The extension is identified by OID 1.3.6.1.4.1.@@n4@@.1.2 and the policy by 2.5.29.32.0. Section 4.2.1 (key usage) of RFC 5280 explains the bits.""",
)
T(
    "forum_post",
    "mac_address",
    """the camera shows up with MAC @@mac@@ but gets no lease. the other one (@@mac@@) works fine. same model, same firmware""",
)
T(
    "docs_page",
    "url_without_password",
    """Clone over SSH (`git clone git@github.com:@@user@@/toolkit.git`) or HTTPS with just the username (`https://@@user@@@gitlab.com/group/toolkit.git`), git will prompt for the token.""",
)
T(
    "docs_page",
    "sri_integrity_hash",
    """<script src="https://cdn.jsdelivr.net/npm/alpinejs@3.13.10/dist/cdn.min.js"
        integrity="@@sri@@" crossorigin="anonymous" defer></script>""",
)
T(
    "docs_page",
    "container_image_digest",
    """Pin images by digest in production:

image: ghcr.io/@@user@@/api@@@imgdigest@@

Tags can be moved; digests cannot.""",
)
T(
    "blog_post",
    "aws_account_id_arn",
    """Cross-account access: in account @@acct@@ create a role `arn:aws:iam::@@acct@@:role/ReadOnlyAudit` and trust the principal `arn:aws:iam::@@acct@@:root`. Neither the account id nor the ARN is a secret.""",
)
T(
    "docs_page",
    "ssh_key_fingerprint",
    """When connecting the first time you will see:

ED25519 key fingerprint is @@sshfp@@.
Are you sure you want to continue connecting (yes/no/[fingerprint])?

Compare it with the fingerprint published on the status page.""",
)
T(
    "docs_page",
    "empty_credential",
    """If `password` is left empty (`password: ""`) the client falls back to peer authentication. An empty `api_key=` line disables the integration.""",
)
T(
    "docs_page",
    "idempotency_key",
    """Send an `Idempotency-Key` header with POST requests, e.g. `Idempotency-Key: @@idem@@`. Replaying the same key within 24 h returns the cached response.""",
)
T(
    "qa_answer",
    "request_trace_id",
    """When you open a ticket include the request id from the response headers, like `X-Request-Id: @@reqid@@`, and the trace id `@@traceid@@`. That's all we need to find your call.""",
)
T(
    "docs_page",
    "vault_accessor",
    """`vault token lookup` prints the accessor (`accessor  @@vault_acc@@`), which can be used to revoke a token without knowing the token itself. Accessors are safe to log.""",
)
T(
    "docs_page",
    "cache_key",
    """Cache entries are keyed by version and content hash, e.g. `@@cachekey@@`. Bump the version prefix to invalidate everything.""",
)
T(
    "blog_post",
    "timestamp_and_date",
    """Release timeline: code freeze @@date@@, RC @@date@@, GA @@iso@@. Build numbers 20240517.3 and 20240602.1 were skipped.""",
)
T(
    "forum_post",
    "example_domain_email",
    """Il modulo di contatto manda tutto a @@exemail@@, è normale? Nel manuale c'è scritto di usare @@exemail@@ solo per le prove.""",
    lang="it",
)
T(
    "docs_page",
    "documentation_ip",
    """Beispiel: Der Client @@docip@@ verbindet sich mit dem Server @@docip@@ über Port @@port@@. Die Adressen stammen aus dem Dokumentationsbereich (RFC 5737).""",
    lang="de",
)
T(
    "qa_answer",
    "private_ip",
    """Las IP @@privip@@ y @@privip@@ son privadas, no sirven para acceder desde internet. Necesitas redirigir el puerto en el router (@@privip@@).""",
    lang="es",
)

# ---------------------------------------------------------------- source code, config, notebooks, CI, infra, diffs
group("code")
T(
    "dotenv",
    P,
    """# ---- app ----
NODE_ENV=production
PORT=8080
LOG_LEVEL=info
PUBLIC_URL=https://shop.@@org@@.com

# ---- database ----
DB_HOST=@@host@@
DB_PORT=5432
DB_USER=shop_rw
DB_PASSWORD=@@pw@@

# ---- third parties ----
STRIPE_SECRET_KEY=@@sk_live@@
STRIPE_PUBLISHABLE_KEY=@@pk_live@@
SENDGRID_API_KEY=@@sendgrid@@
SENTRY_ENVIRONMENT=prod
FEATURE_NEW_CHECKOUT=true""",
)
T(
    "dotenv",
    P,
    """OPENAI_API_KEY=@@openai@@
ANTHROPIC_API_KEY=@@anthropic@@
GROQ_API_KEY=@@groq@@
MODEL_NAME=gpt-4o-mini
MAX_TOKENS=1024""",
)
T(
    "python_source",
    P,
    """import requests

BASE = "https://api.notion.com/v1"
HEADERS = {
    "Authorization": "Bearer @@notion@@",
    "Notion-Version": "2022-06-28",
}

def fetch_page(page_id):
    r = requests.get(f"{BASE}/pages/{page_id}", headers=HEADERS, timeout=10)
    r.raise_for_status()
    return r.json()""",
)
T(
    "settings_py",
    P,
    '''# settings/production.py
from .base import *  # noqa

DEBUG = False
ALLOWED_HOSTS = ["app.@@org@@.com", "@@ip4@@"]
SECRET_KEY = '@@django@@'

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
        "USER": "app",
        "PASSWORD": "@@pw@@",
        "HOST": "@@host@@",
    }
}
EMAIL_HOST_USER = "@@email@@"
EMAIL_HOST_PASSWORD = "@@pw@@"''',
)
T(
    "k8s_manifest",
    P,
    """apiVersion: v1
kind: Secret
metadata:
  name: payments-db
  namespace: payments
type: Opaque
data:
  username: cGF5bWVudHM=
  password: @@k8s_b64@@
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: payments-config
data:
  LOG_LEVEL: info
  DB_HOST: @@host@@""",
)
T(
    "github_workflow",
    P,
    """name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      NETLIFY_SITE_ID: @@uuid@@
      NETLIFY_AUTH_TOKEN: @@netlify@@   # FIXME use secrets.NETLIFY_AUTH_TOKEN
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm run build
      - run: npx netlify deploy --prod --dir=dist""",
)
T(
    "gitlab_ci",
    P,
    """variables:
  DOCKER_DRIVER: overlay2
  SONAR_HOST_URL: https://sonar.@@org@@.io
  SONAR_TOKEN: "@@sonar@@"

stages: [test, scan]

sonar:
  stage: scan
  image: sonarsource/sonar-scanner-cli
  script:
    - sonar-scanner -Dsonar.projectKey=billing""",
)
T(
    "terraform",
    P,
    """provider "aws" {
  region     = "eu-west-1"
  access_key = "@@akid@@"
  secret_key = "@@aws_sk@@"
}

resource "aws_s3_bucket" "logs" {
  bucket = "@@word@@-logs-@@n4@@"
}""",
)
T(
    "terraform",
    P,
    """provider "digitalocean" {
  token = "@@dop@@"
}

resource "digitalocean_firewall" "web" {
  name = "web"
  inbound_rule {
    protocol         = "tcp"
    port_range       = "22"
    source_addresses = ["@@ip4@@/32", "@@ip4@@/32"]
  }
}""",
)
T(
    "docker_compose",
    P,
    """services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: keycloak
      POSTGRES_PASSWORD: @@pw@@
  keycloak:
    image: quay.io/keycloak/keycloak:24.0
    environment:
      KC_DB_URL: jdbc:postgresql://db/keycloak
      KC_DB_PASSWORD: @@pw#a@@
      KEYCLOAK_ADMIN: admin
      KEYCLOAK_ADMIN_PASSWORD: @@pw@@""",
)
T(
    "node_source",
    P,
    """// mailer.js
const nodemailer = require("nodemailer");

const transport = nodemailer.createTransport({
  host: "smtp.@@org@@.net",
  port: 465,
  secure: true,
  auth: { user: "@@email@@", pass: "@@pw@@" },
});

module.exports = transport;""",
)
T(
    "java_source",
    P,
    """public final class PaymentConfig {
    // TODO: load from vault, this is temporary for the demo on Thursday
    static final String SQUARE_ACCESS_TOKEN = "@@square@@";
    static final String SQUARE_APP_SECRET   = "@@sq0csp@@";
    static final String LOCATION_ID = "L@@n4@@XYZ";
}""",
)
T(
    "go_source",
    P,
    """package main

import (
	"log"
	tele "gopkg.in/telebot.v3"
)

func main() {
	b, err := tele.NewBot(tele.Settings{Token: "@@telegram@@"})
	if err != nil {
		log.Fatal(err)
	}
	b.Start()
}""",
)
T("ssh_private_key", P, """@@pkey_openssh@@""")
T(
    "pem_file",
    P,
    """Bag Attributes
    friendlyName: api-client
@@pkey_rsa@@""",
)
T(
    "gcp_service_account",
    P,
    """{
  "type": "service_account",
  "project_id": "@@word@@-prod-@@n3@@",
  "private_key_id": "@@sha1@@",
  "private_key": "@@pkey_json@@\\n",
  "client_email": "@@sa_email@@",
  "client_id": "@@n4@@@@n4@@@@n4@@@@n4@@@@n4@@",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}""",
)
T(
    "npmrc",
    P,
    """registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=@@npm@@
save-exact=true""",
)
T(
    "pypirc",
    P,
    """[distutils]
index-servers = pypi

[pypi]
username = __token__
password = @@pypi@@""",
)
T(
    "git_diff",
    P,
    """diff --git a/config/services.yml b/config/services.yml
index @@hex7@@..@@hex7@@ 100644
--- a/config/services.yml
+++ b/config/services.yml
@@ -12,7 +12,7 @@ shopify:
   shop: @@word@@-store.myshopify.com
-  access_token: ${SHOPIFY_TOKEN}
+  access_token: @@shpat@@
   api_version: 2024-04""",
)
T(
    "git_diff",
    P,
    """commit @@sha1@@
Author: @@name@@ <@@email@@>
Date:   Tue Apr 2 14:11:09 2024 +0200

    remove hardcoded key (oops)

diff --git a/src/client.ts b/src/client.ts
-const API_KEY = "@@aiza@@";
+const API_KEY = process.env.MAPS_API_KEY!;""",
)
T(
    "jupyter_notebook",
    P,
    """{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [],
   "source": [
    "import os\\n",
    "os.environ[\\"HUGGINGFACEHUB_API_TOKEN\\"] = \\"@@hf@@\\"\\n",
    "os.environ[\\"REPLICATE_API_TOKEN\\"] = \\"@@replicate@@\\"\\n"
   ]
  }
 ],
 "nbformat": 4,
 "nbformat_minor": 5
}""",
)
T(
    "ansible_vars",
    P,
    """---
# group_vars/db.yml
postgres_version: 15
postgres_listen: "*"
postgres_admin_password: "@@pw@@"
replication_password: "@@pw@@"
backup_s3_key: @@akid@@
backup_s3_secret: @@aws_sk@@
allowed_clients:
  - @@ip4@@
  - @@privip@@""",
)
T(
    "nginx_conf",
    P,
    """server {
    listen 443 ssl;
    server_name admin.@@org@@.com;

    allow @@ip4@@;
    allow @@ip4@@;
    allow @@privip@@/16;
    deny all;

    location / {
        proxy_pass http://127.0.0.1:9000;
        proxy_set_header Authorization "Basic @@basic_b64@@";
    }
}""",
)
T(
    "php_source",
    P,
    """<?php
// wp-config.php (excerpt)
define( 'DB_NAME', 'wp_blog' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', '@@pw@@' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         '@@tok40@@' );
define( 'SECURE_AUTH_KEY',  '@@tok40@@' );""",
)
T(
    "appsettings_json",
    P,
    """{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "ConnectionStrings": {
    "Default": "Server=tcp:@@word@@-sql.database.windows.net,1433;Database=orders;User ID=ordersvc;Password=@@pw@@;Encrypt=True;"
  },
  "Storage": {
    "ConnectionString": "DefaultEndpointsProtocol=https;AccountName=@@word@@store;AccountKey=@@azure_storage@@;EndpointSuffix=core.windows.net"
  },
  "AzureAd": { "ClientId": "@@uuid@@", "ClientSecret": "@@azure_ad@@" }
}""",
)
T(
    "ruby_source",
    P,
    """# config/initializers/services.rb
Rails.application.configure do
  config.x.mailchimp_key   = "@@mailchimp@@"
  config.x.easypost_key    = "@@easypost@@"
  config.x.shippo_token    = "@@shippo@@"
end""",
)
T(
    "gemrc",
    P,
    """---
:backtrace: false
:rubygems_api_key: @@rubygems@@
:sources:
- https://rubygems.org/""",
)
T(
    "shell_script",
    P,
    """#!/usr/bin/env bash
set -euo pipefail
# rotate-and-upload.sh — run from cron on the backup host
export AWS_ACCESS_KEY_ID=@@akid@@
export AWS_SECRET_ACCESS_KEY=@@aws_sk@@
export PGPASSWORD='@@pw@@'
pg_dump -h @@host@@ -U backup appdb | gzip > /tmp/appdb.sql.gz
aws s3 cp /tmp/appdb.sql.gz s3://backups-@@n4@@/daily/""",
)
T(
    "circleci_config",
    P,
    """version: 2.1
jobs:
  publish:
    docker:
      - image: cimg/node:20.11
    environment:
      CIRCLE_TOKEN: @@circleci@@
      NPM_TOKEN: @@npm@@
    steps:
      - checkout
      - run: npm publish""",
)
T(
    "buildkite_pipeline",
    P,
    '''steps:
  - label: ":rocket: release"
    command: scripts/release.sh
    env:
      BUILDKITE_API_TOKEN: "@@buildkite@@"
      GITHUB_TOKEN: "@@ghp@@"''',
)
T(
    "python_source",
    P,
    """# slack_notify.py
from slack_sdk import WebClient

client = WebClient(token="@@xoxp@@")

def notify(channel, text):
    client.chat_postMessage(channel=channel, text=text)

if __name__ == "__main__":
    notify("#deploys", "build finished")""",
)
T(
    "config_toml",
    P,
    '''[server]
bind = "0.0.0.0:8443"

[database]
url = "postgresql://grafana:@@pw_url@@@@@host@@:5432/grafana"

[auth.generic_oauth]
client_id = "grafana"
client_secret = "@@tok32@@"

[smtp]
user = "@@email@@"
password = """@@pw@@"""''',
)
T(
    "helm_values",
    P,
    '''image:
  repository: registry.@@org@@.io/analytics
  tag: "@@ver@@"
ingress:
  enabled: true
  hosts: [analytics.@@org@@.io]
secrets:
  datadogApiKey: "@@hex32@@"
  newRelicKey: "@@nrak@@"
  dynatraceToken: "@@dt@@"''',
)
T(
    "vault_agent_config",
    P,
    """vault {
  address = "https://vault.@@org@@.internal:8200"
}
auto_auth {
  method "token_file" {
    config = { token_file_path = "/etc/vault/token" }
  }
}
# bootstrap token (one-time, will be revoked after first login)
# VAULT_TOKEN=@@hvs@@""",
)
T(
    "pulumi_config",
    P,
    """config:
  aws:region: eu-north-1
  app:dbPassword:
    secure: v1:@@nonce@@
  app:pulumiAccessToken: @@pulumi@@""",
)
T(
    "csharp_source",
    P,
    """var client = new HttpClient();
client.DefaultRequestHeaders.Add("X-Postman-Api-Key", "@@postman@@");
var resp = await client.GetAsync("https://api.getpostman.com/collections");""",
)
T(
    "rust_source",
    P,
    """const LINEAR_API_KEY: &str = "@@linear@@";
const FIGMA_TOKEN: &str = "@@figma@@";

fn headers() -> reqwest::header::HeaderMap {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("Authorization", LINEAR_API_KEY.parse().unwrap());
    h
}""",
)
T(
    "supabase_env",
    P,
    """SUPABASE_URL=https://@@hex7@@@@hex7@@.supabase.co
SUPABASE_ACCESS_TOKEN=@@sbp@@
PLANETSCALE_SERVICE_TOKEN=@@pscale_tok@@
DATABASE_URL=mysql://@@user@@:@@pscale_pw@@@aws.connect.psdb.cloud/app?sslaccept=strict""",
)
T(
    "okta_config",
    P,
    """okta:
  client:
    orgUrl: https://@@word@@.okta.com
    token: @@okta@@
  oauth2:
    issuer: https://@@word@@.okta.com/oauth2/default""",
)
T(
    "age_keys",
    P,
    """# created: 2024-03-11T09:12:44+01:00
# public key: age1@@sha1@@
@@age@@""",
)
T(
    "sops_config",
    P,
    """# .sops.yaml — DO NOT COMMIT the key file, only this
creation_rules:
  - path_regex: secrets/.*\\.yaml$
    age: age1@@sha1@@
# local dev key (teammates: generate your own!)
# SOPS_AGE_KEY=@@age@@""",
)
T(
    "docker_config_json",
    P,
    """{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "@@basic_b64@@"
    },
    "registry.gitlab.com": {
      "auth": "@@basic_b64@@"
    }
  }
}""",
)
T(
    "kotlin_source",
    P,
    """object ApiKeys {
    const val AIRTABLE = "@@airtable@@"   // personal access token
    const val FLUTTERWAVE_SECRET = "@@flw@@"
    const val ADAFRUIT_IO = "@@adafruit@@"
}""",
)
T(
    "swift_source",
    P,
    """enum Secrets {
    static let backendSigningSecret = "@@hex64@@"
    static let supportEmail = "@@email@@"
}""",
)
T(
    "python_source",
    P,
    '''# scraper/settings.py
PROXIES = [
    "http://crawl:@@pw_url@@@@@ip4@@:8000",
    "http://crawl:@@pw_url@@@@@ip4@@:8000",
]
CONTACT = "@@email@@"
PERPLEXITY_KEY = "@@pplx@@"''',
)
T(
    "yaml_config",
    P,
    """alertmanager:
  receivers:
    - name: oncall
      email_configs:
        - to: @@email@@
          from: @@email@@
          smarthost: smtp.@@org@@.io:587
          auth_username: alerts
          auth_password: @@pw@@
      telegram_configs:
        - bot_token: @@telegram@@
          chat_id: -100@@n4@@@@n4@@""",
)
T(
    "properties_file",
    P,
    """# application-prod.properties
spring.datasource.url=jdbc:mysql://@@host@@:3306/crm
spring.datasource.username=crm
spring.datasource.password=@@pw@@
spring.mail.username=@@email@@
spring.mail.password=@@pw@@
jwt.signing.secret=@@b64key@@""",
)
T(
    "cloud_init",
    P,
    """#cloud-config
users:
  - name: ops
    ssh_authorized_keys:
      - @@ssh_pub@@
chpasswd:
  list: |
    ops:@@pw@@
  expire: false
runcmd:
  - tailscale up --authkey=@@tailscale@@""",
)
T(
    "gitlab_runner_config",
    P,
    """concurrent = 4

[[runners]]
  name = "build-01"
  url = "https://gitlab.@@org@@.io/"
  token = "@@glrt_auth@@"
  executor = "docker"
# registration token used once: @@glrt@@""",
)
T(
    "gitlab_ci",
    P,
    """trigger_downstream:
  stage: deploy
  script:
    - curl -X POST --fail -F token=@@glptt@@ -F ref=main https://gitlab.@@org@@.io/api/v4/projects/@@n3@@/trigger/pipeline""",
)
T(
    "databricks_cfg",
    P,
    """[DEFAULT]
host  = https://adb-@@n4@@@@n4@@.@@n2@@.azuredatabricks.net
token = @@dapi@@

[staging]
host  = https://adb-@@n4@@@@n4@@.@@n2@@.azuredatabricks.net
token = @@dapi@@""",
)
T(
    "grafana_provisioning",
    P,
    """apiVersion: 1
datasources:
  - name: Loki
    type: loki
    url: https://logs-prod-eu-west-0.grafana.net
    basicAuth: true
    basicAuthUser: @@n3@@@@n3@@
    secureJsonData:
      basicAuthPassword: @@glsa@@""",
)
T(
    "python_source",
    P,
    '''"""One-off migration: copy users from the legacy MySQL to Postgres."""
import pymysql, psycopg

SRC = dict(host="@@ip4@@", user="legacy_ro", password="@@pw@@", db="crm")
DST = "postgresql://migrator:@@pw_url@@@@@host@@/crm"

def main():
    with pymysql.connect(**SRC) as src, psycopg.connect(DST) as dst:
        ...''',
)
T(
    "atlassian_script",
    P,
    '''# jira_export.py
JIRA = "https://@@word@@.atlassian.net"
AUTH = ("@@email@@", "@@atlassian@@")
JQL = "project = OPS AND updated >= -7d"''',
)
T(
    "mapbox_server",
    P,
    """// server-side only: secret token with styles:write scope
const MAPBOX_SECRET = "@@mapbox_sk@@";
// browser token (public, URL-restricted)
const MAPBOX_PUBLIC = "@@mapbox_pk@@";""",
)
T(
    "render_yaml",
    P,
    """services:
  - type: web
    name: api
    env: docker
    envVars:
      - key: RENDER_API_KEY
        value: @@render@@
      - key: BREVO_API_KEY
        value: @@brevo@@""",
)
T(
    "contentful_config",
    P,
    """module.exports = {
  spaceId: "@@lid@@",
  managementToken: "@@cfpat@@",
  environment: "master",
};""",
)
T(
    "yandex_cloud",
    P,
    """# ~/.config/yandex-cloud/config.yaml
current: default
profiles:
  default:
    token: @@yandex_oauth@@
    cloud-id: b1g@@lid@@
    folder-id: b1g@@lid@@
# service account api key for the exporter: @@yandex_iam@@""",
)
T(
    "alibaba_config",
    P,
    """[default]
access_key_id = @@ltai@@
access_key_secret = @@tok32@@
region_id = cn-hangzhou""",
)
T(
    "python_source",
    P,
    """# grok_client.py
import os
XAI_API_KEY = os.getenv("XAI_API_KEY", "@@xai@@")  # fallback for local dev ONLY""",
)
T(
    "shopify_app_toml",
    P,
    '''# shopify.app.toml
client_id = "@@md5@@"
name = "bundle-builder"
application_url = "https://bundle.@@org@@.app"

[auth]
# app secret (partners dashboard)
api_secret = "@@shpss@@"''',
)
T(
    "github_workflow",
    P,
    """      - name: Publish to PyPI
        env:
          TWINE_USERNAME: __token__
          TWINE_PASSWORD: @@pypi@@
        run: twine upload dist/*
      - name: Notify
        run: curl -s -H "Authorization: token @@gho@@" https://api.github.com/repos/@@user@@/pkg/dispatches -d '{"event_type":"released"}' """,
)
T(
    "java_source",
    P,
    """// TokenTest.java
@Test
void parsesBearer() {
    String header = "Bearer @@jwt@@";
    assertTrue(JwtParser.isValid(header.substring(7)));
}""",
)
T(
    "git_diff",
    P,
    """--- a/deploy/hosts.ini
+++ b/deploy/hosts.ini
@@ -1,6 +1,8 @@
 [web]
-web1 ansible_host=@@privip@@
+web1 ansible_host=@@ip4@@
+web2 ansible_host=@@ip4@@
 [web:vars]
 ansible_user=deploy
+ansible_become_pass=@@pw@@""",
)
T(
    "express_source",
    P,
    """app.use(session({
  secret: "@@tok40@@",
  resave: false,
  saveUninitialized: false,
  cookie: { secure: true, maxAge: 86400000 },
}));""",
)
T(
    "flask_config",
    P,
    '''class ProdConfig(Config):
    SECRET_KEY = "@@hex64@@"
    SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://flask:@@pw_url@@@@@host@@/flask"
    MAIL_USERNAME = "@@email@@"
    STRIPE_WEBHOOK_SECRET = "@@whsec@@"''',
)
T(
    "sql_dump",
    P,
    """-- seed data for local dev (copied from prod by mistake!!)
INSERT INTO payment_methods (id, user_id, pan, holder, exp) VALUES
  (1, 101, '@@card_plain@@', '@@name@@', '11/26'),
  (2, 102, '@@card_plain@@', '@@name@@', '03/27'),
  (3, 117, '@@card_plain@@', '@@name@@', '08/25');""",
)
T(
    "csv_export",
    P,
    """customer_id,email,last_login_ip,card_number
10231,@@email@@,@@ip4@@,@@card@@
10232,@@email@@,@@ip4@@,
10240,@@email@@,@@ip6@@,@@card@@""",
)
T(
    "unit_test",
    P,
    """def test_checkout_charges_card(client):
    # uses a real card from the QA pool, do not log!
    resp = client.post("/checkout", json={"card": "@@visa@@", "cvc": "@@n3@@", "email": "@@email@@"})
    assert resp.status_code == 201""",
)
T(
    "makefile",
    P,
    """REGISTRY ?= registry.@@org@@.io
DOCKER_PASS := @@pw@@

login:
	echo "$(DOCKER_PASS)" | docker login $(REGISTRY) -u ci --password-stdin

push: login
	docker push $(REGISTRY)/app:latest""",
)
T(
    "powershell_script",
    P,
    """$secure = ConvertTo-SecureString "@@pw@@" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential("CORP\\svc_sql", $secure)
Invoke-Command -ComputerName sql01 -Credential $cred -ScriptBlock { Get-Service MSSQLSERVER }""",
)
T(
    "wireguard_conf",
    P,
    """[Interface]
PrivateKey = @@b64key@@
Address = 10.66.0.4/32
DNS = 10.66.0.1

[Peer]
PublicKey = @@wgpub@@
Endpoint = @@ip4@@:51820
AllowedIPs = 0.0.0.0/0""",
)
T(
    "hostapd_conf",
    P,
    """interface=wlan0
ssid=Lab-Guest
hw_mode=g
channel=6
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=@@phrase@@""",
)
T(
    "python_source",
    P,
    """# Kommentar: Zugangsdaten nur für die Testumgebung!
FTP_HOST = "@@ip4@@"
FTP_USER = "upload"
FTP_PASS = "@@pw@@"  # TODO: in den Tresor verschieben""",
    lang="de",
)
T(
    "js_source",
    P,
    """// 注意：这个密钥只在测试环境使用
const config = {
  appKey: "@@ltai@@",
  appSecret: "@@tok32@@",
  endpoint: "https://oss-cn-shanghai.aliyuncs.com",
};""",
    lang="zh",
)
T(
    "cpp_source",
    P,
    """// mqtt_client.cpp
static const char* MQTT_HOST = "@@ip4@@";
static const char* MQTT_USER = "sensor-@@n3@@";
static const char* MQTT_PASS = "@@pw@@";
static const int   MQTT_PORT = 8883;""",
)
T(
    "pgpass",
    P,
    """@@host@@:5432:*:replicator:@@pw@@
@@ip4@@:5432:analytics:reporter:@@pw@@""",
)
T(
    "netrc",
    P,
    """machine api.heroku.com
  login @@email@@
  password @@uuid_secret@@
machine git.@@org@@.io
  login ci-bot
  password @@glpat@@""",
)
# --- code hard negatives
T(
    "dotenv",
    "env_var_reference",
    """DATABASE_URL=${DATABASE_URL}
REDIS_PASSWORD=${REDIS_PASSWORD:-}
STRIPE_SECRET_KEY=$STRIPE_SECRET_KEY
JWT_SECRET=${JWT_SECRET:?JWT_SECRET must be set}""",
)
T(
    "github_workflow",
    "env_var_reference",
    """    steps:
      - uses: actions/checkout@v4
      - run: ./deploy.sh
        env:
          AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}""",
)
T(
    "python_source",
    "env_var_reference",
    """import os

DB_PASSWORD = os.environ["DB_PASSWORD"]
API_KEY = os.getenv("API_KEY")
TOKEN = os.environ.get("GITHUB_TOKEN", "")""",
)
T(
    "terraform",
    "placeholder_value",
    """variable "db_password" {
  type      = string
  sensitive = true
  default   = "REPLACE_ME"
}

provider "aws" {
  access_key = var.aws_access_key   # <your-access-key>
  secret_key = var.aws_secret_key
}""",
)
T(
    "dotenv",
    "placeholder_value",
    """# copy to .env and fill in
OPENAI_API_KEY=sk-...
SLACK_BOT_TOKEN=xoxb-your-token
GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
DB_PASSWORD=<db-password>""",
)
T(
    "k8s_manifest",
    "env_var_reference",
    """env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: payments-db
        key: password
  - name: API_TOKEN
    valueFrom:
      secretKeyRef: {name: api, key: token}""",
)
T(
    "js_source",
    "publishable_key",
    """// public config, shipped to the browser
export const stripeKey = "@@pk_live@@";
export const stripeTestKey = "@@pk_test@@";
export const recaptchaSiteKey = "@@recaptcha@@";""",
)
T(
    "android_manifest",
    "oauth_client_id",
    """<meta-data android:name="com.google.android.geo.API_CLIENT_ID"
           android:value="@@gclient@@" />
<string name="default_web_client_id">@@gclient@@</string>""",
)
T(
    "js_source",
    "public_map_token",
    """mapboxgl.accessToken = "@@mapbox_pk@@"; // public token
const map = new mapboxgl.Map({ container: "map", style: "mapbox://styles/mapbox/streets-v12" });""",
)
T("pem_file", "public_key_or_certificate", """@@pub_block@@""")
T(
    "authorized_keys",
    "public_key_or_certificate",
    """# ops team
@@ssh_pub@@
@@ssh_pub@@""",
)
T(
    "sql_dump",
    "password_hash",
    """INSERT INTO users (id, username, email, password_hash) VALUES
 (1, '@@user@@', '@@exemail@@', '@@bcrypt@@'),
 (2, '@@user@@', '@@exemail@@', '@@argon2@@');""",
)
T(
    "router_config",
    "password_hash",
    """hostname edge-rtr-01
enable secret 9 @@cisco@@
username netops privilege 15 secret 9 @@cisco@@
!
interface GigabitEthernet0/1
 ip address @@privip@@ 255.255.255.0""",
)
T(
    "shadow_file",
    "password_hash",
    """root:@@crypt@@:19652:0:99999:7:::
daemon:*:19478:0:99999:7:::
deploy:@@crypt@@:19700:0:99999:7:::""",
)
T(
    "lockfile",
    "checksum_digest",
    """"node_modules/lodash": {
  "version": "4.17.21",
  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
  "integrity": "sha512-@@sri@@"
},
# go.sum
golang.org/x/net v0.24.0 h1:@@csrf@@=""",
)
T(
    "docker_compose",
    "container_image_digest",
    """services:
  api:
    image: ghcr.io/@@user@@/api@@@imgdigest@@
  worker:
    image: ghcr.io/@@user@@/worker@@@imgdigest@@""",
)
T(
    "git_log",
    "git_commit_hash",
    """@@sha1@@ (HEAD -> main, origin/main) Merge pull request #@@n3@@ from feature/retry
@@sha1@@ Add jitter to backoff
@@sha1@@ Bump axios from 1.6.7 to 1.6.8""",
)
T(
    "python_source",
    "csrf_token",
    """def test_form_requires_csrf(client):
    token = "@@csrf@@"   # generated by the test session, not a credential
    resp = client.post("/profile", data={"csrfmiddlewaretoken": token})
    assert resp.status_code == 403""",
)
T(
    "python_source",
    "idempotency_key",
    """payment = client.payments.create(
    amount=1999,
    currency="eur",
    idempotency_key="@@idem@@",
    metadata={"order": "@@order@@"},
)""",
)
T(
    "yaml_config",
    "private_ip",
    """upstreams:
  - name: api
    servers: [@@privip@@:8080, @@privip@@:8080, @@privip@@:8080]
  - name: cache
    servers: [@@privip@@:6379]
listen: 0.0.0.0:80""",
)
T(
    "terraform",
    "private_ip",
    """resource "aws_subnet" "private_a" {
  cidr_block = "10.@@n2@@.1.0/24"
}
resource "aws_instance" "db" {
  private_ip = "@@privip@@"
}""",
)
T(
    "unit_test",
    "documentation_ip",
    """@pytest.mark.parametrize("addr", ["@@docip@@", "@@docip@@", "@@docip6@@"])
def test_is_documentation(addr):
    assert is_documentation_range(addr)""",
)
T(
    "unit_test",
    "example_domain_email",
    """def test_send_invite(mailer):
    mailer.invite("@@exemail@@", inviter="@@exemail@@")
    assert mailer.outbox[0].to == ["@@exemail#x@@"] or True""",
)
T(
    "unit_test",
    "luhn_invalid_number",
    """def test_rejects_bad_checksum():
    assert not luhn_valid("@@card_bad@@")
    assert not luhn_valid("@@card_bad@@")""",
)
T(
    "python_source",
    "non_card_number",
    """TRACKING = "1Z@@n4@@AB@@n4@@@@n4@@"
ORDER_ID = "@@order@@"
IMEI = "@@imei@@"   # test device""",
)
T(
    "requirements",
    "version_string",
    """django==@@ver@@
psycopg[binary]==@@ver@@
celery>=@@ver@@,<6
redis==5.0.4""",
)
T(
    "js_source",
    "code_identifier",
    """export function validatePassword(password) {
  return password.length >= MIN_PASSWORD_LENGTH;
}
const API_KEY_HEADER = "X-Api-Key";
const SECRET_FIELDS = ["password", "token", "apiKey", "clientSecret"];""",
)
T(
    "python_source",
    "redacted_secret",
    """LOG_MASK = "****"
def redact(s):
    # 'password=hunter' -> 'password=****'
    return re.sub(r"(password|token)=\\S+", r"\\1=" + LOG_MASK, s)
print(redact(line))  # password=****  token=****""",
)
T(
    "vault_cli",
    "vault_accessor",
    """$ vault token lookup -accessor @@vault_acc@@
Key                 Value
---                 -----
accessor            @@vault_acc#a@@
display_name        approle
policies            [default deploy]
ttl                 767h59m""",
)
T(
    "python_source",
    "cache_key",
    """CACHE_KEY = "catalog:{locale}:{version}"
key = f"@@cachekey@@"
redis.set(key, payload, ex=3600)""",
)
T(
    "yaml_config",
    "empty_credential",
    """smtp:
  host: localhost
  port: 1025
  username: ""
  password: ""
api:
  token:""",
)
T(
    "ethers_source",
    "crypto_wallet_address",
    """const TREASURY = "@@eth@@";
const FEE_RECIPIENT = "@@eth@@";
const tx = await contract.transfer(TREASURY, amount);""",
)
T(
    "dhcpd_conf",
    "mac_address",
    """host printer-2f {
  hardware ethernet @@mac@@;
  fixed-address @@privip@@;
}""",
)
T(
    "snmp_config",
    "oid_and_dotted_number",
    """# interface counters
ifInOctets   1.3.6.1.2.1.2.2.1.10
ifOutOctets  1.3.6.1.2.1.2.2.1.16
sysUpTime    1.3.6.1.2.1.1.3.0""",
)
T(
    "git_config",
    "url_without_password",
    """[remote "origin"]
	url = git@gitlab.com:@@user@@/infra.git
	fetch = +refs/heads/*:refs/remotes/origin/*
[remote "mirror"]
	url = https://@@user@@@bitbucket.org/team/infra.git""",
)
T(
    "iam_policy",
    "aws_account_id_arn",
    """{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::@@acct@@:role/ci-deployer"},
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::artifacts-@@acct@@/*"
  }]
}""",
)
T(
    "known_hosts",
    "ssh_key_fingerprint",
    """# ssh-keygen -lf ~/.ssh/known_hosts
256 @@sshfp@@ gitlab.com (ED25519)
3072 @@sshfp@@ bastion (RSA)""",
)
T(
    "html_page",
    "sri_integrity_hash",
    """<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css"
      integrity="@@sri@@" crossorigin="anonymous">""",
)
T(
    "python_source",
    "resource_uuid",
    """PROJECT_ID = "@@uuid@@"
WORKSPACE_ID = "@@uuid@@"
resp = api.get(f"/projects/{PROJECT_ID}/runs", params={"workspace": WORKSPACE_ID})""",
)
T(
    "tracing_config",
    "request_trace_id",
    """# sample propagated headers
traceparent: @@traceparent@@
x-request-id: @@reqid@@
x-correlation-id: @@uuid@@""",
)
T(
    "css_source",
    "timestamp_and_date",
    """/* build @@iso@@ */
:root { --brand: @@hexcolor@@; --accent: @@hexcolor@@; }""",
)
T(
    "readme",
    "vendor_example_key",
    """```python
client = boto3.client(
    "s3",
    aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
)
```""",
)
T(
    "js_source",
    "nonce",
    """const nonce = crypto.randomBytes(16).toString("base64"); // e.g. "@@nonce@@"
res.setHeader("Content-Security-Policy", `script-src 'nonce-${nonce}'`);""",
)
T(
    "python_source",
    "loopback_linklocal_ip",
    '''BIND = "0.0.0.0"
METADATA_URL = "http://169.254.169.254/latest/meta-data/"
REDIS = "redis://127.0.0.1:6379/0"
MDNS_GROUP = "@@loopip@@"''',
)
T(
    "password_policy",
    "password_policy_text",
    """password_policy:
  min_length: 14
  require_uppercase: true
  require_digit: true
  require_symbol: true
  max_age_days: 180
  history: 5""",
)

# ---------------------------------------------------------------- e-mails, chats, tickets, meeting notes, shared docs (many languages)
group("comms")
T(
    "email",
    P,
    """From: @@name@@ <@@email@@>
To: @@email@@
Subject: access for the new contractor

Hi,

as discussed, here are the temporary credentials for the staging admin:

  user: contractor-@@n2@@
  pass: @@pw@@

Please make them change it on first login. I'll be offline from Thursday.

Thanks,
@@first@@""",
)
T(
    "slack_chat",
    P,
    """[09:14] @@first@@: anyone have the sentry token? my CLI login expired
[09:15] @@first@@: use mine for now @@sntryu@@
[09:15] @@first@@: ty
[09:16] @@first@@: (delete that message pls)""",
)
T(
    "meeting_notes",
    P,
    """Infra sync — @@date@@
Attendees: @@name@@, @@name@@, @@name@@

1. Migration of the reporting DB: done, new primary is @@ip4@@ (old @@ip4@@ stays read-only until end of month).
2. CDN: new origin IPv6 @@ip6@@, DNS TTL lowered to 300.
3. Rotate the shared SFTP password — current one is @@pw@@, @@first@@ owns the rotation.
4. AOB: none.""",
)
T(
    "support_ticket",
    P,
    """Ticket #@@n4@@@@n2@@ — Priority: High
Customer: @@name@@ (@@email@@)

Customer says she was charged for a subscription she cancelled. Card ending shown in her bank app matches the one on file: @@card@@. Please check with billing and refund if confirmed.

Internal note: customer also asked us to update the email to @@email@@.""",
)
T(
    "email",
    P,
    """Subject: Re: Re: API access

Hey @@first@@,

sure, here you go — this is a read-only key for the reporting API:

@@tok40@@

It's tied to my account so please don't share it further. If you need write access talk to @@email@@.

Cheers""",
)
T(
    "teams_chat",
    P,
    """@@name@@ 10:42
Kann mir jemand das WLAN-Passwort fürs Besprechungszimmer schicken?

@@name@@ 10:43
Netz: MEET-3OG
Passwort: @@pw@@

@@name@@ 10:43
Danke dir!""",
    lang="de",
)
T(
    "email",
    P,
    """Betreff: Zugang zum Kundenportal

Sehr geehrte Frau @@name@@,

wie telefonisch besprochen erhalten Sie hiermit Ihre Zugangsdaten. Ihr Benutzername ist Ihre E-Mail-Adresse (@@email@@), das Initialpasswort lautet @@pw@@ .

Bitte ändern Sie das Passwort bei der ersten Anmeldung.

Mit freundlichen Grüßen
@@name@@
Kundenservice""",
    lang="de",
)
T(
    "support_ticket",
    P,
    """Störung #@@n4@@: VPN-Verbindung bricht ab
Betroffener Standort: Filiale @@city@@, öffentliche IP @@ip4@@
Gateway im RZ: @@ip4@@
Seit gestern 15 Uhr ca. alle 20 min Abbruch, Tunnel baut sich neu auf. Bitte prüfen.""",
    lang="de",
)
T(
    "email",
    P,
    """Objet : accès au serveur de préproduction

Bonjour @@first@@,

Voici les informations demandées :
- hôte : @@ip4@@
- identifiant : deploy
- mot de passe : @@pw@@

Le serveur sera éteint vendredi soir, pense à récupérer tes fichiers avant.

Bonne journée,
@@name@@""",
    lang="fr",
)
T(
    "whatsapp_chat",
    P,
    """[12/03 20:14] @@first@@: tu peux payer la réservation du gîte ? je te rembourse
[12/03 20:15] @@first@@: ok envoie le numéro de ta carte
[12/03 20:16] @@first@@: @@card@@ exp 04/26, le code je te le dis par tel
[12/03 20:16] @@first@@: 👍""",
    lang="fr",
)
T(
    "email",
    P,
    """Asunto: Bienvenido/a a la plataforma

Hola @@first@@:

Tu cuenta ya está activa. Para entrar usa tu correo @@email@@ y esta contraseña provisional: @@pw@@

Por seguridad, el sistema te pedirá cambiarla la primera vez. Cualquier duda, escríbenos a @@email@@.

Un saludo,
Equipo de Soporte""",
    lang="es",
)
T(
    "support_ticket",
    P,
    """Incidencia: cobro duplicado
Cliente: @@name@@
Tarjeta afectada: @@card@@
Importe: 89,90 €
El cliente adjunta captura del extracto. Pendiente de revisar con la pasarela.""",
    lang="es",
)
T(
    "email",
    P,
    """Oggetto: credenziali FTP per il fornitore

Ciao @@first@@,
ti giro i dati per caricare i file del catalogo:

server: @@ip4@@ (porta 21, FTPS esplicito)
utente: fornitore_catalogo
password: @@pw@@

Fammi sapere se funziona.
@@name@@""",
    lang="it",
)
T(
    "teams_chat",
    P,
    """@@first@@: qualcuno ha il token del bot di Telegram per gli allarmi?
@@first@@: eccolo @@telegram@@
@@first@@: grazie, lo metto nel vault e cancello il messaggio""",
    lang="it",
)
T(
    "whatsapp_chat",
    P,
    """[08:02] @@first@@: amor, passa o número do cartão pra eu fechar a compra do mercado
[08:05] @@first@@: @@card@@ validade 10/27
[08:05] @@first@@: obrigado ❤️""",
    lang="pt",
)
T(
    "email",
    P,
    """Assunto: acesso ao painel de monitoramento

Olá @@first@@,

O Grafana novo está em https://monitor.@@org@@.com.br. Entra com o usuário "noc" e a senha @@pw@@ . O servidor antigo (@@ip4@@) será desligado no fim do mês.

Abraço,
@@name@@""",
    lang="pt",
)
T(
    "email",
    P,
    """Onderwerp: inloggegevens testomgeving

Hoi @@first@@,

Hierbij de gegevens voor de testomgeving:
URL: https://test.@@org@@.nl
Gebruiker: tester01
Wachtwoord: @@pw@@

Het IP-adres van de server is @@ip4@@, mocht DNS niet werken.

Groet,
@@name@@""",
    lang="nl",
)
T(
    "email",
    P,
    """Temat: dostęp do serwera

Cześć @@first@@,
serwer stoi pod adresem @@ip4@@, login: admin, hasło: @@pw@@. Klucz API do panelu: @@hex32@@.
Daj znać jak coś nie działa.
@@name@@""",
    lang="pl",
)
T(
    "support_ticket",
    P,
    """Požadavek č. @@n4@@
Zákazník @@name@@ (@@email@@) hlásí, že mu nejde přihlášení do e-shopu. Heslo si prý nastavil na @@pw@@ a systém ho odmítá. Poslal nám ho sám v e-mailu – prosím po vyřešení ticket anonymizovat.""",
    lang="cs",
)
T(
    "chat",
    P,
    """@@first@@: ahoj, potrebujem heslo k wifi v kancelárii
@@first@@: sieť OFFICE-5G, heslo @@pw@@
@@first@@: vďaka!""",
    lang="sk",
)
T(
    "email",
    P,
    """Ämne: Inloggning till leverantörsportalen

Hej @@first@@!

Här kommer inloggningen till portalen. Användarnamn: @@email@@, lösenord: @@pw@@ — byt gärna direkt.

Vänliga hälsningar
@@name@@""",
    lang="sv",
)
T(
    "meeting_notes",
    P,
    """Referat – driftsmøde @@date@@
Til stede: @@name@@, @@name@@
- Ny firewall er sat op, ekstern adresse @@ip4@@.
- Backup-serveren flyttes til @@ip4@@ i næste uge.
- Kodeord til den fælles admin-konto er ændret til @@pw@@ (ligger også i password-manageren).""",
    lang="da",
)
T(
    "email",
    P,
    """Emne: tilgang til regnskapssystemet

Hei @@first@@,
du har nå fått konto. Brukernavn er @@user@@ og midlertidig passord er @@pw@@. Systemet krever to-faktor fra neste uke.
Mvh
@@name@@""",
    lang="nb",
)
T(
    "chat",
    P,
    """@@first@@: Mikä oli taas se testipalvelimen IP?
@@first@@: @@ip4@@, ja salasana on @@pw@@
@@first@@: kiitti!""",
    lang="fi",
)
T(
    "email",
    P,
    """Tárgy: hozzáférés a számlázó rendszerhez

Kedves @@first@@!

A belépéshez szükséges adatok: felhasználónév @@user@@, jelszó @@pw@@. Az API-kulcs az integrációhoz: @@tok32@@

Üdvözlettel:
@@name@@""",
    lang="hu",
)
T(
    "support_ticket",
    P,
    """Tichet @@n4@@ – plată respinsă
Clientul @@name@@ a încercat să plătească cu cardul @@card@@ de trei ori. Email de contact: @@email@@. Vă rog verificați în consola procesatorului.""",
    lang="ro",
)
T(
    "email",
    P,
    """Konu: Sunucu erişim bilgileri

Merhaba @@first@@,

Yeni sunucunun bilgileri aşağıda:
IP: @@ip4@@
Kullanıcı: root
Şifre: @@pw@@

İlk girişte şifreyi değiştirmeyi unutma.
İyi çalışmalar,
@@name@@""",
    lang="tr",
)
T(
    "telegram_chat",
    P,
    """@@first@@, [14.03.2024 11:20]
скинь пароль от базы на стенде

@@first@@, [14.03.2024 11:21]
@@pw@@
хост @@ip4@@, пользователь app

@@first@@, [14.03.2024 11:21]
спасибо, удали потом сообщение""",
    lang="ru",
)
T(
    "email",
    P,
    """Тема: Доступ к почтовому ящику отдела

Добрый день, @@first@@!

Общий ящик @@email@@ настроен. Пароль для входа: @@pw@@
IMAP-сервер: imap.@@org@@.ru, порт 993.

С уважением,
@@name@@""",
    lang="ru",
)
T(
    "chat",
    P,
    """@@first@@: Привіт, дай будь ласка токен для GitLab, мій прострочився
@@first@@: тримай @@glpat@@ , він на тиждень
@@first@@: дякую!""",
    lang="uk",
)
T(
    "email",
    P,
    """Тема: данни за достъп

Здравей, @@first@@,
Ето данните за новия акаунт: потребител @@email@@, парола @@pw@@ . Сървърът е на @@ip4@@.
Поздрави,
@@name@@""",
    lang="bg",
)
T(
    "chat",
    P,
    """@@first@@: Да ли неко зна лозинку за рутер у магацину?
@@first@@: @@pw@@ — адреса је @@privip@@, а јавна @@ip4@@""",
    lang="sr",
)
T(
    "email",
    P,
    """Predmet: pristup za novog djelatnika

Bok @@first@@,
kolegica počinje u ponedjeljak. Njezin e-mail je @@email@@, privremena lozinka @@pw@@. Molim te da joj otvoriš pristup VPN-u.
Lp, @@name@@""",
    lang="hr",
)
T(
    "email",
    P,
    """Θέμα: Κωδικοί πρόσβασης για το νέο σύστημα

Καλημέρα @@first@@,

σου στέλνω τα στοιχεία: χρήστης @@user@@, κωδικός @@pw@@. Ο διακομιστής βρίσκεται στη διεύθυνση @@ip4@@.

Φιλικά,
@@name@@""",
    lang="el",
)
T(
    "chat",
    P,
    """@@first@@: مرحبا، ممكن ترسل لي كلمة مرور الواي فاي للضيوف؟
@@first@@: اسم الشبكة Guest-2 وكلمة المرور @@pw@@
@@first@@: شكراً جزيلاً""",
    lang="ar",
)
T(
    "email",
    P,
    """الموضوع: بيانات الدخول إلى لوحة التحكم

السيد @@name@@،
تم إنشاء حسابك. البريد الإلكتروني: @@email@@
كلمة المرور المؤقتة: @@pw@@
عنوان الخادم: @@ip4@@
مع التحية،
فريق الدعم""",
    lang="ar",
)
T(
    "chat",
    P,
    """@@first@@: מישהו יודע מה הסיסמה לחשבון האדמין של האתר?
@@first@@: @@pw@@ — אבל תחליף אותה אחרי השימוש
@@first@@: תודה!""",
    lang="he",
)
T(
    "email",
    P,
    """موضوع: اطلاعات ورود به سامانه

سلام @@first@@ عزیز،
نام کاربری: @@user@@
رمز عبور: @@pw@@
آدرس سرور: @@ip4@@
لطفاً بعد از اولین ورود رمز را تغییر دهید.
@@name@@""",
    lang="fa",
)
T(
    "email",
    P,
    """विषय: सर्वर एक्सेस की जानकारी

नमस्ते @@first@@ जी,
नए सर्वर का आईपी @@ip4@@ है। यूज़रनेम deploy और पासवर्ड @@pw@@ है। कृपया पहली बार लॉगिन के बाद पासवर्ड बदल लें।
धन्यवाद,
@@name@@""",
    lang="hi",
)
T(
    "chat",
    P,
    """@@first@@: ভাই, পেমেন্ট গেটওয়ের সিক্রেট কী টা দাও তো
@@first@@: @@sk_live@@
@@first@@: ধন্যবাদ, কাজ শেষ হলে মুছে দিচ্ছি""",
    lang="bn",
)
T(
    "email",
    P,
    """பொருள்: புதிய கணக்கு விவரங்கள்

வணக்கம் @@first@@,
உங்கள் மின்னஞ்சல் @@email@@. தற்காலிக கடவுச்சொல்: @@pw@@
நன்றி,
@@name@@""",
    lang="ta",
)
T(
    "line_chat",
    P,
    """@@first@@: ขอรหัสผ่าน Wi-Fi ห้องประชุมหน่อยครับ
@@first@@: @@pw@@ ค่ะ
@@first@@: ขอบคุณครับ""",
    lang="th",
)
T(
    "email",
    P,
    """Tiêu đề: Thông tin đăng nhập hệ thống

Chào @@first@@,
Tài khoản của bạn đã được tạo: email @@email@@, mật khẩu tạm thời @@pw@@. Máy chủ thử nghiệm có địa chỉ @@ip4@@.
Trân trọng,
@@name@@""",
    lang="vi",
)
T(
    "whatsapp_chat",
    P,
    """[10.15] @@first@@: Mas, tolong kirim password server staging ya
[10.16] @@first@@: @@pw@@ , IP-nya @@ip4@@
[10.16] @@first@@: siap, makasih""",
    lang="id",
)
T(
    "email",
    P,
    """Perkara: Akses ke portal pembekal

Salam @@first@@,
Akaun anda telah diaktifkan. E-mel: @@email@@, kata laluan sementara: @@pw@@
Sila tukar kata laluan selepas log masuk pertama.
Terima kasih,
@@name@@""",
    lang="ms",
)
T(
    "messenger_chat",
    P,
    """@@first@@: pre, pa-send naman ng card mo para sa booking, bayaran kita bukas
@@first@@: @@card@@ exp 02/28
@@first@@: salamat!""",
    lang="tl",
)
T(
    "email",
    P,
    """Kichwa: Taarifa za kuingia kwenye mfumo

Habari @@first@@,
Akaunti yako iko tayari. Barua pepe: @@email@@, nenosiri la muda: @@pw@@
Asante,
@@name@@""",
    lang="sw",
)
T(
    "wechat_chat",
    P,
    """@@name@@：测试服务器的密码是多少？
@@name@@：@@pw@@，IP是@@ip4@@
@@name@@：收到，谢谢""",
    lang="zh",
)
T(
    "email",
    P,
    """主题：新员工账号信息

@@first@@，你好：
你的企业邮箱是 @@email@@，初始密码为 @@pw@@ ，请在首次登录后修改。
API密钥（测试环境）：@@hex32@@
行政部 @@name@@""",
    lang="zh",
)
T(
    "email",
    P,
    """件名：検証環境のアクセス情報

@@name@@様

お疲れ様です。検証環境の接続情報をお送りします。
ホスト：@@ip4@@
ユーザー名：admin
パスワード：@@pw@@

ご確認のほどよろしくお願いいたします。""",
    lang="ja",
)
T(
    "slack_chat",
    P,
    """@@first@@ 14:02 OpenAIのキー共有します（社内検証用）
@@first@@ 14:02 @@openai@@
@@first@@ 14:05 ありがとうございます！使い終わったら教えてください""",
    lang="ja",
)
T(
    "kakaotalk_chat",
    P,
    """[오후 3:12] @@first@@: 개발 서버 비번 뭐였죠?
[오후 3:13] @@first@@: @@pw@@ 입니다. IP는 @@ip4@@
[오후 3:13] @@first@@: 감사합니다!""",
    lang="ko",
)
T(
    "email",
    P,
    """Assumpte: accés al servidor de còpies

Hola @@first@@,
T'envio les dades d'accés: usuari backup, contrasenya @@pw@@, adreça @@ip4@@.
Salutacions,
@@name@@""",
    lang="ca",
)
T(
    "email",
    P,
    """Teema: ligipääs testkeskkonda

Tere, @@first@@!
Kasutaja: @@email@@
Parool: @@pw@@
Server: @@ip4@@
Parimat,
@@name@@""",
    lang="et",
)
T(
    "email",
    P,
    """Tema: prisijungimo duomenys

Sveiki, @@first@@,
jūsų paskyra sukurta. El. paštas: @@email@@, laikinas slaptažodis: @@pw@@ .
Pagarbiai,
@@name@@""",
    lang="lt",
)
T(
    "jira_ticket",
    P,
    """OPS-@@n4@@: Prod API returning 502

Steps: curl -H "Authorization: Bearer @@jwt@@" https://api.@@org@@.io/v2/health
Observed from @@ip4@@ and @@ip4@@ (both customer egress IPs).
Reporter: @@email@@""",
)
T(
    "email",
    P,
    """Subject: Your card was updated

Hi @@first@@, we've updated the card on your account to @@card@@. If this wasn't you, contact @@email@@ immediately.""",
)
T(
    "shared_doc",
    P,
    """Onboarding checklist – Marketing tools (shared with team)

☐ HubSpot – login via SSO
☐ Canva – team account @@email@@ / @@pw@@
☐ Mailchimp API (for the newsletter script): @@mailchimp@@
☐ Brand assets folder – ask @@first@@

Last edited by @@name@@""",
)
T(
    "meeting_notes",
    P,
    """Daily stand-up, @@date@@
- @@first@@: finished payment retry, blocked on sandbox creds → @@first@@ posted them: sk = @@sk_test@@, webhook secret @@whsec@@
- @@first@@: investigating spikes from @@ip4@@ (looks like a crawler)
- @@first@@: PTO tomorrow""",
)
T(
    "email",
    P,
    """Subject: SSH key for the build server

Hi team, the private key for the deploy user is below. I know, I know, it should go through the vault, but the vault is down.

@@pkey_ec@@

Please delete this email after importing.
@@first@@""",
)
T(
    "support_ticket",
    P,
    """[Zendesk #@@n4@@@@n2@@] Unable to connect to database
Customer shared their connection string while asking for help:
Server=@@ip4@@;Database=erp;User Id=sa;Password=@@pw@@;
Customer contact: @@email@@, phone on file.""",
)
# --- comms hard negatives
T(
    "email",
    "example_domain_email",
    """Subject: template for the welcome mail

Hi @@first@@, for the template please use placeholder addresses only, e.g. @@exemail@@ as recipient and @@exemail@@ as reply-to. Real addresses get filled in by the CRM.""",
)
T(
    "email",
    "password_policy_text",
    """Betreff: Neue Passwortrichtlinie ab 1. Juli

Liebe Kolleginnen und Kollegen,

ab dem 1. Juli gelten neue Regeln: Passwörter müssen mindestens 14 Zeichen lang sein und Groß-, Kleinbuchstaben sowie Ziffern enthalten. Bitte niemals Passwörter per E-Mail oder Chat verschicken.

Ihre IT""",
    lang="de",
)
T(
    "chat",
    "redacted_secret",
    """@@first@@ : j'ai collé le token par erreur dans le canal
@@first@@ : pas grave, Slack l'a masqué : `xoxb-••••••••`. Révoque-le quand même
@@first@@ : fait ✔""",
    lang="fr",
)
T(
    "support_ticket",
    "masked_card_number",
    """Incidencia @@n4@@: el cliente indica un cargo con la tarjeta terminada en @@n4@@ (@@card_masked@@). No tenemos el número completo, pedir comprobante al banco.""",
    lang="es",
)
T(
    "email",
    "private_ip",
    """Oggetto: nuova stampante

La stampante del secondo piano ha ora l'indirizzo @@privip@@, il vecchio @@privip@@ è libero. Il gateway resta @@privip@@.""",
    lang="it",
)
T(
    "chat",
    "username_only",
    """@@first@@: qual é o teu utilizador no sistema novo?
@@first@@: @@user@@, e o do estagiário é @@user@@
@@first@@: ok, vou dar permissões aos dois""",
    lang="pt",
)
T(
    "email",
    "documentation_ip",
    """Onderwerp: voorbeeld voor de training

In de slides gebruiken we @@docip@@ als webserver en @@docip@@ als client. Dit zijn documentatie-adressen, ze bestaan niet echt.""",
    lang="nl",
)
T(
    "chat",
    "luhn_invalid_number",
    """@@first@@: numer karty z formularza @@card_bad@@ nie przechodzi walidacji
@@first@@: bo ktoś przestawił cyfry, suma kontrolna się nie zgadza""",
    lang="pl",
)
T(
    "meeting_notes",
    "request_trace_id",
    """Zápis z incidentu @@date@@
- Chyba se objevila u požadavku @@reqid@@ (trace @@traceid@@).
- Korelační ID z brány: @@uuid@@
- Další kroky: doplnit logování.""",
    lang="cs",
)
T(
    "email",
    "placeholder_value",
    """Ämne: mall för API-integration

Fyll i din egen nyckel där det står <API_NYCKEL> och ditt lösenord där det står <LÖSENORD>. Skicka aldrig riktiga värden i mejl.""",
    lang="sv",
)
T(
    "chat",
    "resource_uuid",
    """@@first@@: hvad er id'et på projektet?
@@first@@: @@uuid@@ – og workspace er @@uuid@@""",
    lang="da",
)
T(
    "email",
    "version_string",
    """Emne: oppgradering av klientene

Alle maskiner skal oppgraderes fra versjon @@ver@@ til @@ver@@ innen fredag. Build-nummer: 2024.06.03.""",
    lang="nb",
)
T(
    "chat",
    "password_policy_text",
    """@@first@@: Salasanan pitää olla vähintään 12 merkkiä ja siinä pitää olla numero
@@first@@: ja sitä ei saa lähettää chatissa, muista se""",
    lang="fi",
)
T(
    "email",
    "empty_credential",
    """Tárgy: hibás konfiguráció

A config fájlban a jelszó mező üres (password: ""), ezért nem indul a szolgáltatás. Kérlek töltsd ki a vaultból.""",
    lang="hu",
)
T(
    "chat",
    "git_commit_hash",
    """@@first@@: fixul e în commit-ul @@hex7@@, l-am pus și pe release branch (@@sha1@@)
@@first@@: perfect, mersi""",
    lang="ro",
)
T(
    "email",
    "checksum_digest",
    """Konu: kurulum dosyasının doğrulanması

İndirdiğiniz dosyanın SHA-256 değeri @@sha256@@ olmalı. Farklıysa dosyayı tekrar indirin.""",
    lang="tr",
)
T(
    "telegram_chat",
    "redacted_secret",
    """@@first@@: в логах пароль виден?
@@first@@: нет, там password=******** и token=[скрыто]
@@first@@: отлично""",
    lang="ru",
)
T(
    "chat",
    "example_domain_email",
    """@@first@@: для тесту реєстрації використовуй @@exemail@@
@@first@@: а для другого користувача @@exemail@@, ок""",
    lang="uk",
)
T(
    "email",
    "private_ip",
    """Θέμα: διευθύνσεις εσωτερικού δικτύου

Ο εκτυπωτής είναι στη @@privip@@ και ο NAS στη @@privip@@. Δεν είναι προσβάσιμα από έξω.""",
    lang="el",
)
T(
    "chat",
    "password_policy_text",
    """@@first@@: تذكير: لا ترسلوا كلمات المرور عبر البريد أو الدردشة، واستخدموا مدير كلمات المرور.
@@first@@: وكلمة المرور يجب أن تكون 12 حرفاً على الأقل""",
    lang="ar",
)
T(
    "chat",
    "masked_card_number",
    """@@first@@: הכרטיס שמסתיים ב-@@n4@@ נדחה שוב
@@first@@: במערכת רואים רק @@card_masked@@, תבקש מהלקוח לבדוק מול הבנק""",
    lang="he",
)
T(
    "email",
    "username_only",
    """विषय: नए उपयोगकर्ता

नए इंटर्न का यूज़रनेम @@user@@ होगा और टीम लीड का @@user@@। पासवर्ड वे खुद सेट करेंगे।""",
    lang="hi",
)
T(
    "line_chat",
    "private_ip",
    """@@first@@: เครื่องพิมพ์ใหม่ IP @@privip@@ นะครับ
@@first@@: แล้วเราเตอร์ยังเป็น @@privip@@ เหมือนเดิมใช่ไหม
@@first@@: ใช่ครับ""",
    lang="th",
)
T(
    "email",
    "masked_card_number",
    """Tiêu đề: xác nhận thanh toán

Giao dịch bằng thẻ @@card_masked@@ đã thành công. Mã đơn hàng: @@order@@.""",
    lang="vi",
)
T(
    "whatsapp_chat",
    "crypto_wallet_address",
    """[19.02] @@first@@: ini alamat dompet buat donasi: @@eth@@
[19.03] @@first@@: oke, sudah kukirim""",
    lang="id",
)
T(
    "wechat_chat",
    "redacted_secret",
    """@@name@@：日志里的密钥已经脱敏了吗？
@@name@@：是的，现在显示为 sk-****，密码显示为 ******""",
    lang="zh",
)
T(
    "email",
    "password_policy_text",
    """件名：パスワード変更のお願い

全社員の皆様
セキュリティ強化のため、今月末までにパスワードを変更してください。12文字以上で、英大文字・数字を含めてください。パスワードをメールで送らないでください。
情報システム部""",
    lang="ja",
)
T(
    "kakaotalk_chat",
    "documentation_ip",
    """@@first@@: 문서에 나오는 @@docip@@ 는 예시 주소예요
@@first@@: 아 그렇구나, 실제 서버 아니군요""",
    lang="ko",
)
T(
    "email",
    "placeholder_value",
    """Asunto: plantilla de configuración

En el archivo deja `API_KEY=TU_CLAVE_AQUI` y `PASSWORD=<contraseña>`; cada uno pone la suya en local.""",
    lang="es",
)
T(
    "chat",
    "username_only",
    """@@first@@: Ni jina gani la mtumiaji kwenye seva?
@@first@@: ni @@user@@, nenosiri utapata kutoka kwa msimamizi""",
    lang="sw",
)
T(
    "meeting_notes",
    "idempotency_key",
    """Notes — payments retro @@date@@
- Double charges were caused by missing idempotency keys on retries. Example key from the fix: @@idem@@.
- Action: @@first@@ adds a test.""",
)
T(
    "email",
    "aws_account_id_arn",
    """Subject: cross-account role

Please allow our account @@acct@@ to assume arn:aws:iam::@@acct@@:role/partner-read. No keys needed, we use STS.""",
)

# ---------------------------------------------------------------- logs, shell sessions, HTTP traffic, data dumps
group("logs")
T(
    "nginx_access_log",
    P,
    """@@nginxneg@@
@@ip4@@ - - [@@clf@@] "POST /wp-login.php HTTP/1.1" 200 4512 "-" "python-requests/2.31.0"
@@ip4@@ - - [@@clf@@] "GET /.env HTTP/1.1" 404 153 "-" "Go-http-client/1.1"
@@nginxneg@@""",
)
T(
    "auth_log",
    P,
    """@@date@@ 03:12:44 bastion sshd[@@n4@@]: Failed password for invalid user admin from @@ip4@@ port @@n4@@ ssh2
@@date@@ 03:12:47 bastion sshd[@@n4@@]: Failed password for root from @@ip4@@ port @@n4@@ ssh2
@@date@@ 03:13:02 bastion sshd[@@n4@@]: Accepted publickey for deploy from @@privip@@ port @@n4@@ ssh2: ED25519 @@sshfp@@
@@date@@ 03:13:09 bastion sshd[@@n4@@]: Invalid user oracle from @@ip6@@ port @@n4@@""",
)
T(
    "shell_session",
    P,
    """$ mysql -h @@host@@ -u root -p'@@pw@@' -e "SHOW DATABASES;"
+--------------------+
| Database           |
+--------------------+
| information_schema |
| shop               |
+--------------------+
$ history | tail -3""",
)
T(
    "shell_session",
    P,
    """user@laptop:~$ curl -u admin:@@pw@@ -X GET https://@@ip4@@:9200/_cluster/health?pretty
{
  "cluster_name" : "logs",
  "status" : "yellow",
  "number_of_nodes" : 3
}""",
)
T(
    "bash_history",
    P,
    """cd /srv/app
git pull
export GITHUB_TOKEN=@@ghp@@
gh release create v@@ver@@ --notes "bugfixes"
sudo systemctl restart app
ssh root@@@ip4@@
vim /etc/hosts
docker login -u ci -p @@pw@@ registry.@@org@@.io""",
)
T(
    "http_request",
    P,
    """GET /api/v1/me HTTP/1.1
Host: api.@@org@@.com
User-Agent: @@word@@-cli/@@ver@@
Accept: application/json
Authorization: Bearer @@jwt@@
X-Request-Id: @@reqid@@
X-Forwarded-For: @@ip4@@""",
)
T(
    "http_request",
    P,
    """POST /v3/mail/send HTTP/1.1
Host: api.sendgrid.com
Authorization: Bearer @@sendgrid@@
Content-Type: application/json

{"personalizations":[{"to":[{"email":"@@email@@"}]}],"from":{"email":"@@email@@"},"subject":"Your invoice","content":[{"type":"text/plain","value":"attached"}]}""",
)
T(
    "http_request",
    P,
    """GET /admin/ HTTP/1.1
Host: @@ip4@@:8080
Authorization: Basic @@basic_b64@@
Cookie: sessionid=@@session@@; theme=dark
Accept-Language: de-DE,de;q=0.9""",
)
T(
    "har_dump",
    P,
    """{
  "request": {
    "method": "POST",
    "url": "https://auth.@@org@@.com/oauth/token",
    "headers": [
      {"name": "content-type", "value": "application/x-www-form-urlencoded"}
    ],
    "postData": {"text": "grant_type=client_credentials&client_id=reporting&client_secret=@@tok40@@"}
  },
  "response": {"status": 200, "content": {"text": "{\\"access_token\\":\\"@@jwt@@\\",\\"expires_in\\":3600}"}}
}""",
)
T(
    "app_log",
    P,
    """@@applog@@
@@iso@@ ERROR [db] connection failed: FATAL: password authentication failed for user "orders" (dsn=postgres://orders:@@pw_url@@@@@host@@:5432/orders)
@@applog@@""",
)
T(
    "app_log",
    P,
    """@@iso@@ WARN  [payments] card declined pan=@@card_plain@@ reason=insufficient_funds customer=@@email@@ ip=@@ip4@@
@@iso@@ INFO  [payments] retry scheduled in 30s""",
)
T(
    "docker_inspect",
    P,
    '''"Config": {
    "Hostname": "@@hex7@@@@hex7@@",
    "Env": [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "POSTGRES_PASSWORD=@@pw@@",
        "REDIS_URL=redis://:@@pw_url@@@redis:6379/0",
        "NEW_RELIC_LICENSE_KEY=@@hex40@@",
        "TZ=Europe/Berlin"
    ],
    "Image": "registry.@@org@@.io/api:@@ver@@"''',
)
T(
    "kubectl_output",
    P,
    """$ kubectl get secret stripe -n shop -o yaml
apiVersion: v1
data:
  api-key: @@k8s_b64@@
  webhook-secret: @@k8s_b64@@
kind: Secret
metadata:
  creationTimestamp: "@@iso@@"
  name: stripe
  namespace: shop
type: Opaque""",
)
T(
    "env_dump",
    P,
    """$ printenv | sort
HOME=/home/runner
HOSTNAME=runner-@@hex7@@
HF_TOKEN=@@hf@@
LANG=C.UTF-8
NPM_CONFIG_USERCACHE=/tmp/npm
PATH=/usr/local/bin:/usr/bin:/bin
SLACK_BOT_TOKEN=@@xoxb@@
TERM=xterm""",
)
T(
    "git_push_output",
    P,
    """$ git push https://ci-bot:@@ghs@@@github.com/@@user@@/site.git HEAD:gh-pages
Enumerating objects: 57, done.
Counting objects: 100% (57/57), done.
Writing objects: 100% (31/31), 412.30 KiB | 8.43 MiB/s, done.
To https://github.com/@@user@@/site.git
   @@hex7@@..@@hex7@@  HEAD -> gh-pages""",
)
T(
    "firewall_log",
    P,
    """@@date@@T11:02:13Z fw01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=@@ip4@@ DST=@@privip@@ PROTO=TCP SPT=@@n4@@ DPT=3389
@@date@@T11:02:14Z fw01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=@@ip4@@ DST=@@privip@@ PROTO=TCP SPT=@@n4@@ DPT=22
@@date@@T11:02:19Z fw01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=@@ip4@@ DST=@@privip@@ PROTO=UDP SPT=@@n4@@ DPT=161""",
)
T(
    "mail_log",
    P,
    """@@date@@ 10:41:07 mx1 postfix/smtpd[@@n4@@]: connect from unknown[@@ip4@@]
@@date@@ 10:41:08 mx1 postfix/smtpd[@@n4@@]: NOQUEUE: reject: RCPT from unknown[@@ip4@@]: 554 5.7.1 <@@email@@>: Relay access denied; from=<@@email@@> to=<@@email@@>
@@date@@ 10:41:08 mx1 postfix/smtpd[@@n4@@]: disconnect from unknown[@@ip4@@]""",
)
T(
    "csv_dump",
    P,
    """id,name,email,signup_ip,country
1,@@name@@,@@email@@,@@ip4@@,DE
2,@@name@@,@@email@@,@@ip4@@,FR
3,@@name@@,@@email@@,@@ip6@@,PT
4,@@name@@,@@email@@,@@ip4@@,PL""",
)
T(
    "json_dump",
    P,
    """[{"user":"@@user@@","email":"@@email@@","last_ip":"@@ip4@@","api_token":"@@tok32@@"},
 {"user":"@@user@@","email":"@@email@@","last_ip":"@@ip4@@","api_token":"@@tok32@@"}]""",
)
T(
    "combo_list",
    P,
    """# leaked_accounts_sample.txt (from incident IR-@@n4@@, for detection testing)
@@email@@:@@pw@@
@@email@@:@@pw@@
@@email@@:@@pw@@""",
)
T(
    "sql_dump",
    P,
    """mysql> SELECT id, email, card_number, last4 FROM legacy_payments LIMIT 3;
+----+------------------------------+------------------+-------+
| id | email                        | card_number      | last4 |
+----+------------------------------+------------------+-------+
|  1 | @@email@@ | @@card_plain@@ | @@n4@@  |
|  2 | @@email@@ | @@card_plain@@ | @@n4@@  |
+----+------------------------------+------------------+-------+""",
)
T(
    "stack_trace",
    P,
    """Traceback (most recent call last):
  File "/app/worker.py", line 88, in run
    conn = redis.Redis.from_url("rediss://default:@@pw_url@@@@@host@@:6380/0")
  File "/usr/lib/python3.11/site-packages/redis/client.py", line 912, in from_url
redis.exceptions.AuthenticationError: invalid username-password pair""",
)
T(
    "ci_log",
    P,
    """[2024-05-12T08:44:10Z] Step 4/9 : RUN npm config set //registry.npmjs.org/:_authToken @@npm@@
[2024-05-12T08:44:11Z]  ---> Running in @@hex7@@@@hex7@@
[2024-05-12T08:44:14Z] Step 5/9 : RUN npm ci""",
)
T(
    "ci_log",
    P,
    """+ terraform apply -auto-approve
+ export TF_VAR_cloudflare_api_token=@@tok40@@
+ export TF_VAR_hcloud_token=@@tok64@@
+ terraform plan
Plan: 3 to add, 0 to change, 0 to destroy.""",
)
T(
    "cloudtrail_event",
    P,
    """{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accessKeyId":"@@akid@@","userName":"ci-deployer"},"eventTime":"@@iso@@","eventSource":"s3.amazonaws.com","eventName":"PutObject","sourceIPAddress":"@@ip4@@","userAgent":"aws-cli/2.15.30"}""",
)
T(
    "apache_error_log",
    P,
    """[@@date@@ 14:22:01.883] [php:error] [pid @@n4@@] [client @@ip4@@:@@n4@@] PHP Fatal error: Uncaught PDOException: SQLSTATE[HY000] [1045] Access denied for user 'shop'@'localhost' (using password: YES) in /var/www/shop/db.php:12
[@@date@@ 14:22:01.884] [php:notice] [pid @@n4@@] [client @@ip4@@:@@n4@@] db.php: $pass = '@@pw@@';""",
)
T(
    "tcpdump_output",
    P,
    """14:03:22.118 IP @@ip4#c@@.@@n4#p@@ > @@privip#s@@.21: Flags [P.], length 18: FTP: USER backup
14:03:22.181 IP @@ip4#c@@.@@n4#p@@ > @@privip#s@@.21: Flags [P.], length 22: FTP: PASS @@pw@@
14:03:22.240 IP @@privip#s@@.21 > @@ip4#c@@.@@n4#p@@: Flags [P.], length 30: FTP: 230 Login successful.""",
)
T(
    "dns_log",
    P,
    """@@iso@@ client @@ip4@@#@@n4@@ (mail.@@org@@.com): query: mail.@@org@@.com IN A +E(0)K (@@privip@@)
@@iso@@ client @@ip6@@#@@n4@@ (@@org@@.com): query: @@org@@.com IN AAAA +E(0)K (@@privip@@)""",
)
T(
    "redis_cli",
    P,
    '''127.0.0.1:6379> AUTH @@pw@@
OK
127.0.0.1:6379> KEYS session:*
1) "session:@@uuid@@"
127.0.0.1:6379> GET session:@@uuid@@
"{\\"user\\":\\"@@email@@\\",\\"ip\\":\\"@@ip4@@\\"}"''',
)
T(
    "ldap_dump",
    P,
    """dn: uid=@@user@@,ou=people,dc=corp,dc=local
cn: @@name@@
mail: @@email@@
userPassword: @@pw@@
loginShell: /bin/bash""",
)
T(
    "windows_event",
    P,
    """An account failed to log on.
Subject: Security ID: NULL SID
Account For Which Logon Failed: Account Name: svc_backup
Network Information: Workstation Name: -  Source Network Address: @@ip4@@  Source Port: @@n4@@
Detailed Authentication Information: Logon Process: NtLmSsp""",
)
T(
    "curl_verbose",
    P,
    """*   Trying @@ip4@@:443...
* Connected to api.@@org@@.io (@@ip4@@) port 443
> POST /v1/deploy HTTP/2
> Host: api.@@org@@.io
> authorization: Bearer @@dop@@
> content-type: application/json
< HTTP/2 202""",
)
T(
    "proxy_log",
    P,
    """@@iso@@ CONNECT api.openai.com:443 from @@privip@@ user=@@user@@ bytes=@@n4@@
@@iso@@ GET http://update.@@org@@.com/feed.xml?key=@@hex32@@ from @@privip@@ status=200
@@iso@@ CONNECT @@ip4@@:443 from @@privip@@ status=403 reason=category:unknown""",
)
# --- logs hard negatives
T(
    "nginx_access_log",
    "private_ip",
    """@@nginxneg@@
@@nginxneg@@""",
)
T(
    "app_log",
    "request_trace_id",
    """@@iso@@ INFO  [gateway] request_id=@@reqid@@ trace_id=@@traceid@@ span_id=@@hex7@@@@hex7@@ status=200
@@iso@@ INFO  [gateway] request_id=@@reqid@@ trace_id=@@traceid@@ status=499
@@applog@@""",
)
T(
    "app_log",
    "redacted_secret",
    """@@iso@@ DEBUG [http] -> POST /oauth/token headers={"Authorization": "Bearer [REDACTED]", "Content-Type": "application/json"}
@@iso@@ DEBUG [http] body={"client_secret": "***", "password": "********"}
@@applog@@""",
)
T(
    "shell_session",
    "password_hash",
    """$ sudo getent shadow deploy
deploy:@@crypt@@:19700:0:99999:7:::
$ htpasswd -nbB admin "$ADMIN_PW"
admin:@@bcrypt@@""",
)
T(
    "shell_session",
    "checksum_digest",
    """$ sha256sum *.tar.gz
@@sha256@@  release-@@ver@@.tar.gz
@@sha256@@  release-@@ver@@-arm64.tar.gz
$ md5sum backup.sql
@@md5@@  backup.sql""",
)
T(
    "shell_session",
    "loopback_linklocal_ip",
    """$ ip -br addr
lo               UNKNOWN        127.0.0.1/8 ::1/128
eth0             UP             @@privip@@/24 @@priv6@@/64
docker0          DOWN           172.17.0.1/16
$ ping -c1 169.254.169.254""",
)
T(
    "docker_ps",
    "container_image_digest",
    """$ docker images --digests
REPOSITORY          TAG       DIGEST          IMAGE ID       SIZE
ghcr.io/acme/api    @@ver@@   @@imgdigest@@   @@hex7@@@@hex7@@   182MB
redis               7.2       @@imgdigest@@   @@hex7@@@@hex7@@   117MB""",
)
T(
    "kubectl_output",
    "resource_uuid",
    """$ kubectl get pods -o custom-columns=NAME:.metadata.name,UID:.metadata.uid
NAME                       UID
api-@@hex7@@-x2kq9         @@uuid@@
worker-@@hex7@@-8fzpl      @@uuid@@""",
)
T(
    "http_response",
    "csrf_token",
    """HTTP/1.1 200 OK
Content-Type: text/html; charset=utf-8
Set-Cookie: XSRF-TOKEN=@@csrf@@; Path=/; SameSite=Lax
X-Request-Id: @@reqid@@
Cache-Control: no-store""",
)
T(
    "http_request",
    "idempotency_key",
    """POST /v1/payouts HTTP/1.1
Host: api.@@org@@.com
Idempotency-Key: @@idem@@
X-Correlation-Id: @@uuid@@
Content-Type: application/json""",
)
T(
    "vault_cli",
    "vault_accessor",
    """$ vault list auth/token/accessors
Keys
----
@@vault_acc@@
@@vault_acc@@
@@vault_acc@@""",
)
T(
    "csv_dump",
    "example_domain_email",
    """id,email,created_at
1,@@exemail@@,@@date@@
2,@@exemail@@,@@date@@
3,@@exemail@@,@@date@@""",
)
T(
    "firewall_log",
    "documentation_ip",
    """@@date@@T10:00:01Z fw kernel: [BLOCK] SRC=@@docip@@ DST=@@privip@@ PROTO=TCP DPT=22
@@date@@T10:00:02Z fw kernel: [BLOCK] SRC=@@docip@@ DST=@@privip@@ PROTO=TCP DPT=23""",
)
T(
    "payment_log",
    "masked_card_number",
    """@@iso@@ INFO [payments] authorized amount=42.00 card=@@card_masked@@ brand=visa order=@@order@@
@@iso@@ INFO [payments] captured card=@@card_masked@@ order=@@order@@""",
)
T(
    "device_inventory",
    "non_card_number",
    """asset_tag,imei,serial,mac
LAP-@@n4@@,@@imei@@,SN@@n4@@@@n4@@,@@mac@@
PHN-@@n4@@,@@imei@@,SN@@n4@@@@n4@@,@@mac@@""",
)
T(
    "wallet_export",
    "crypto_wallet_address",
    """label,address,balance
cold-1,@@btc@@,0.4182
hot-eth,@@eth@@,12.75""",
)
T(
    "shell_session",
    "ssh_key_fingerprint",
    """$ ssh-keygen -lf ~/.ssh/id_ed25519.pub
256 @@sshfp@@ @@user@@@laptop (ED25519)
$ ssh-add -l
256 @@sshfp@@ @@user@@@laptop (ED25519)""",
)
T(
    "app_log",
    "cache_key",
    """@@iso@@ DEBUG [cache] miss key=@@cachekey@@
@@iso@@ DEBUG [cache] set key=@@cachekey@@ ttl=3600
@@iso@@ DEBUG [cache] hit key=@@cachekey@@""",
)
T(
    "pip_output",
    "version_string",
    """Collecting requests==@@ver@@
Collecting urllib3<3,>=1.21.1
  Downloading urllib3-@@ver@@-py3-none-any.whl (121 kB)
Successfully installed certifi-2024.2.2 idna-3.7 requests-@@ver@@ urllib3-@@ver@@""",
)
T(
    "app_log",
    "empty_credential",
    """@@iso@@ WARN [config] SMTP_PASSWORD is empty, mail disabled
@@iso@@ WARN [config] API_TOKEN not set (value="")
@@applog@@""",
)
T(
    "shell_session",
    "env_var_reference",
    """$ echo 'export DB_PASSWORD="$(pass show db/prod)"' >> ~/.bashrc
$ psql "postgresql://app:${DB_PASSWORD}@db:5432/app"
$ curl -H "Authorization: Bearer $API_TOKEN" https://localhost:8443/health""",
)
T(
    "git_log",
    "git_commit_hash",
    """$ git log --oneline -5
@@hex7@@ Fix flaky test
@@hex7@@ Update README
@@hex7@@ Merge branch 'release/@@ver@@'
@@hex7@@ Bump version
@@hex7@@ Initial commit""",
)
T(
    "snmpwalk_output",
    "oid_and_dotted_number",
    """$ snmpwalk -v2c -c public localhost 1.3.6.1.2.1.1
iso.3.6.1.2.1.1.1.0 = STRING: "Linux gw 6.1.0"
iso.3.6.1.2.1.1.3.0 = Timeticks: (@@n4@@@@n3@@) 1 day""",
)
T(
    "arp_table",
    "mac_address",
    """$ arp -a
? (@@privip@@) at @@mac@@ [ether] on eth0
? (@@privip@@) at @@mac@@ [ether] on eth0""",
)
T(
    "cloudtrail_event",
    "aws_account_id_arn",
    """{"eventName":"AssumeRole","recipientAccountId":"@@acct@@","requestParameters":{"roleArn":"arn:aws:iam::@@acct@@:role/ci","roleSessionName":"gha-@@n4@@"},"sourceIPAddress":"@@docip@@"}""",
)
T(
    "http_response",
    "public_key_or_certificate",
    """HTTP/1.1 200 OK
Content-Type: application/json

{"keys":[{"kty":"RSA","kid":"@@hex7@@","use":"sig","alg":"RS256","n":"@@csrf@@@@csrf@@","e":"AQAB"}]}""",
)
T(
    "app_log",
    "nonce",
    """@@iso@@ DEBUG [oidc] auth request state=@@csrf@@ nonce=@@nonce@@
@@iso@@ DEBUG [oidc] callback state matched""",
)
T(
    "app_log",
    "timestamp_and_date",
    """@@iso@@ INFO [cron] backup started
@@iso@@ INFO [cron] backup finished size=1.4G epoch=1715412345
@@iso@@ INFO [cron] next run 2024-06-01T02:00:00Z""",
)
T(
    "app_log",
    "username_only",
    """@@iso@@ INFO [auth] login ok user=@@user@@ method=sso
@@iso@@ INFO [auth] login ok user=@@user@@ method=sso
@@iso@@ WARN [auth] login failed user=@@user@@ reason=mfa_timeout""",
)
T(
    "app_log",
    "luhn_invalid_number",
    """@@iso@@ WARN [checkout] validation failed field=card_number value=@@card_bad@@ error=checksum
@@iso@@ WARN [checkout] validation failed field=card_number value=@@card_bad@@ error=checksum""",
)

# ---------------------------------------------------------------- extra card-heavy templates (spread over strata)
group("comms")
T(
    "email",
    P,
    """件名：お支払い方法の変更について

いつもお世話になっております。登録カードを下記に変更してください。
カード番号：@@card@@
有効期限：08/27
名義：@@name@@
何卒よろしくお願いいたします。""",
    lang="ja",
)
T(
    "chat",
    P,
    """@@first@@: 호텔 예약하려면 카드 번호 필요해
@@first@@: @@card_dash@@ 유효기간 05/26
@@first@@: 고마워, 예약 끝나면 알려줄게""",
    lang="ko",
)
T(
    "email",
    P,
    """Betreff: Kreditkarte für die Messe-Buchung

Hallo @@first@@,
bitte buche das Hotel mit der Firmenkarte @@card@@ (gültig bis 12/26, Karteninhaber @@name@@). Rechnung bitte an @@email@@.
Danke!""",
    lang="de",
)
group("web")
T(
    "forum_post",
    P,
    """my bank flagged these two as compromised after I used them on that sketchy site, posting so others can check their statements: @@card@@ and @@card@@. both cancelled now. site was hosted at @@ip4@@""",
)
group("code")
T(
    "json_fixture",
    P,
    """{
  "order_id": "@@order@@",
  "customer": {"name": "@@name@@", "email": "@@email@@"},
  "payment": {"method": "card", "number": "@@card_plain@@", "exp_month": 7, "exp_year": 2027},
  "client_ip": "@@ip4@@"
}""",
)
group("logs")
T(
    "form_submission_log",
    P,
    """@@iso@@ POST /donate form={"amount":"25","card":"@@card_sp@@","name":"@@name@@","email":"@@email@@"} ip=@@ip4@@
@@iso@@ POST /donate form={"amount":"10","card":"@@card_sp@@","name":"@@name@@","email":"@@email@@"} ip=@@ip4@@""",
)

group("web")
T(
    "qa_question",
    P,
    """Stripe keeps saying "Your card number is incorrect" but the number is right?? I typed @@mc@@ and also tried my other card @@visa@@. Both work on Amazon. Using Elements in test mode with a live card, is that the problem?""",
)
T(
    "support_kb",
    "code_identifier",
    """Troubleshooting: if the log shows `KeyError: 'api_secret'` the settings module could not find the `api_secret` entry. Check that `load_credentials()` runs before `init_client()` and that `PASSWORD_FILE` points to a readable file.""",
)
T(
    "docs_page",
    "recaptcha_site_key",
    """hCaptcha / reCAPTCHA configuration

| setting | value | secret? |
|---|---|---|
| site key | `@@recaptcha@@` | no, public |
| theme | dark | no |""",
)
group("code")
T(
    "python_source",
    "code_identifier",
    """class CredentialStore:
    def get_password(self, user_id: str) -> str: ...
    def rotate_api_key(self, key_id: str) -> None: ...
    def revoke_token(self, token_id: str) -> None: ...

PASSWORD_MIN_LENGTH = 12
TOKEN_TTL_SECONDS = 3600""",
)
T(
    "yaml_config",
    "placeholder_value",
    '''# values.yaml (template) - fill via CI
credentials:
  apiKey: "CHANGE_ME"
  clientSecret: "<client-secret>"
  webhookSecret: "{{ .Values.webhookSecret }}"
  dbPassword: "%DB_PASSWORD%"''',
)
T(
    "ini_config",
    "empty_credential",
    """[mysql]
host = @@privip@@
user = report
password =

[ftp]
user = anonymous
pass = """,
)
T(
    "php_source",
    P,
    """<?php
// legacy checkout test — REMOVE before go-live
$testCards = [
    '@@card_plain@@',   // personal card of @@first@@
    '@@card_plain@@',
];
$gatewayKey = '@@sk_live@@';""",
)
group("comms")
T(
    "support_ticket",
    P,
    """Ticket @@n4@@ — Chargeback dispute
Cardholder @@name@@ disputes two charges. Card numbers given on the phone: @@card@@ (main) and @@amex@@ (backup). Merchant contact: @@email@@""",
)
T(
    "chat",
    P,
    """@@first@@: mannen, kan je de boeking doen met jouw kaart? @@first@@ betaalt je terug
@@first@@: ok, ik gebruik @@card@@
@@first@@: top""",
    lang="nl",
)
group("logs")
T(
    "app_log",
    P,
    """@@iso@@ ERROR [billing] gateway timeout while charging pan=@@card_dash@@ amount=129.00 currency=EUR
@@iso@@ ERROR [billing] gateway timeout while charging pan=@@card_dash@@ amount=19.99 currency=EUR
@@applog@@""",
)

group("comms")
T(
    "sms_message",
    P,
    """Tu código de acceso temporal para la taquilla del gimnasio es @@pin@@. Caduca en 24 horas. No lo compartas con nadie.""",
    lang="es",
)
T(
    "email",
    P,
    """Subject: MFA backup codes (keep safe!)

Hi @@first@@, as requested these are the one-time recovery codes for the shared ops account:
@@pin@@
@@pin@@
@@pin@@
Each works once. — IT""",
)


# ================================================================ engine
PH_RE = re.compile(r"@@([a-z0-9_]+(?:#[a-z0-9]+)?)@@")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")
IPV4_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\d|\.\d)")
CARD_RE = re.compile(r"(?<!\d)(\d(?:[ -]?\d){11,18})(?!\d)")


def render(tpl):
    out, spans, kinds, cache, pos = [], [], [], {}, 0
    for i, part in enumerate(PH_RE.split(tpl["text"])):
        if i % 2 == 0:
            out.append(part)
            pos += len(part)
            continue
        kind = part.split("#")[0]
        ent, f = KINDS[kind]
        if "#" in part and part in cache:
            val = cache[part]
        else:
            val = f(tpl["lang"])
            cache[part] = val
        if ent:
            spans.append({"start": pos, "end": pos + len(val), "entity": ent})
            kinds.append((kind, val))
        out.append(val)
        pos += len(val)
    return "".join(out), spans, kinds


def scan(text):
    """Return a list of scanner findings (public IPv4, Luhn+brand card, non-reserved e-mail)."""
    hits = []
    for m in IPV4_RE.finditer(text):
        try:
            ip = ipaddress.ip_address(m.group(1))
        except ValueError:
            continue
        if ip.is_global and not is_doc(ip):
            hits.append(("ip", m.group(1)))
    for m in CARD_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group(1))
        if 12 <= len(d) <= 19 and luhn_ok(d) and scanner_brand(d):
            hits.append(("card", m.group(1)))
    for m in EMAIL_RE.finditer(text):
        if text[max(0, m.start() - 2) : m.start()] == "//":
            continue  # URL userinfo without password (https://user@host/...)
        nxt = text[m.end() : m.end() + 2]
        if len(nxt) == 2 and nxt[0] == ":" and not nxt[1].isspace():
            continue  # scp-style ssh remote (git@host:org/repo)
        if not is_reserved_domain(m.group(1)):
            hits.append(("email", m.group(0)))
    return hits


def masked(text, spans):
    t = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            t[i] = "\n"
    return "".join(t)


def assign_variants():
    targets = {"web": 360, "code": 360, "comms": 300, "logs": 180}
    for g, tgt in targets.items():
        ts = [t for t in TEMPLATES if t["group"] == g]
        for t in ts:
            if not PH_RE.search(t["text"]):
                t["n"] = 1
        fixed = sum(t["n"] for t in ts if t["n"] is not None)
        free = [t for t in ts if t["n"] is None]
        rem = tgt - fixed
        # hard negatives get a larger share of the variants (the set needs >= 500 of them)
        w = [1.6 if t["cat"] != P else 1.0 for t in free]
        quota = [rem * x / sum(w) for x in w]
        for t, q in zip(free, quota):
            t["n"] = max(1, int(q))
        short = rem - sum(t["n"] for t in free)
        order = sorted(range(len(free)), key=lambda i: quota[i] - int(quota[i]), reverse=True)
        for i in order[: max(0, short)]:
            free[i]["n"] += 1


def build():
    assign_variants()
    records, meta, seen = [], [], set()
    for ti, tpl in enumerate(TEMPLATES, 1):
        for v in range(tpl["n"]):
            for attempt in range(50):
                text, spans, kinds = render(tpl)
                if text in seen:
                    continue
                probe = text if tpl["cat"] != P else masked(text, spans)
                if scan(probe):
                    continue
                break
            else:
                raise SystemExit(f"template {ti} ({tpl['ctx']}) could not be rendered cleanly")
            seen.add(text)
            records.append(
                {
                    "id": f"t30-{ti:03d}-{v + 1}",
                    "text": text,
                    "lang": tpl["lang"],
                    "context": tpl["ctx"],
                    "category": tpl["cat"],
                    "spans": spans,
                }
            )
            meta.append({"group": tpl["group"], "kinds": kinds, "template": ti})
    return records, meta


def check(records, meta):
    ids, texts = set(), set()
    for rec, m in zip(records, meta):
        text, spans = rec["text"], rec["spans"]
        assert rec["id"] not in ids, rec["id"]
        ids.add(rec["id"])
        assert text not in texts, rec["id"]
        texts.add(text)
        assert rec["lang"] and rec["context"] and re.fullmatch(r"[a-z0-9_]+", rec["context"]), rec["id"]
        assert re.fullmatch(r"[a-z0-9_]+", rec["category"]), rec["id"]
        if rec["category"] == P:
            assert spans, rec["id"]
        else:
            assert not spans, rec["id"]
            assert not scan(text), (rec["id"], scan(text))
            continue
        assert len(spans) == len(m["kinds"])
        prev_end = -1
        for s, (kind, val) in zip(spans, m["kinds"]):
            assert 0 <= s["start"] < s["end"] <= len(text), rec["id"]
            assert text[s["start"] : s["end"]] == val, rec["id"]
            assert s["start"] >= prev_end, ("overlap", rec["id"])
            prev_end = s["end"]
            ent = s["entity"]
            if ent == "IP_ADDRESS":
                ip = ipaddress.ip_address(val)  # raises on port/bracket/CIDR
                assert ip.is_global and not is_doc(ip) and not ip.is_multicast, (rec["id"], val)
            elif ent == "CREDIT_CARD":
                d = re.sub(r"[ -]", "", val)
                assert d.isdigit() and luhn_ok(d) and brand_of(d), (rec["id"], val)
                assert re.fullmatch(r"\d+(?:[ -]\d+)*", val), val
            elif ent == "EMAIL_ADDRESS":
                mm = EMAIL_RE.fullmatch(val)
                assert mm and not is_reserved_domain(mm.group(1)), (rec["id"], val)
            elif ent == "SECRET":
                low = val.lower()
                assert "example" not in low and "xxxx" not in low and "your_" not in low, (rec["id"], val)
                assert not val.startswith(("Bearer ", "Basic ", "token ", "base64:")), val
                if kind in SECRET_PW_KINDS:
                    assert pw_ok(val, 6 if kind == "pin" else 8), (rec["id"], val)
                if kind.startswith("pkey"):
                    assert val.startswith("-----BEGIN") and val.endswith("PRIVATE KEY-----"), rec["id"]
            else:
                raise AssertionError(ent)
        hits = scan(masked(text, spans))
        assert not hits, (rec["id"], hits)


def summary(records, meta):
    c = collections.Counter
    pos = [r for r in records if r["category"] == P]
    neg = [r for r in records if r["category"] != P]
    ent = c(s["entity"] for r in records for s in r["spans"])
    vendors = c(k for m in meta for k, _ in m["kinds"] if k in VENDOR)
    lines = [
        f"records: {len(records)}  positive: {len(pos)}  hard-negative: {len(neg)}  templates: {len(TEMPLATES)}",
        f"spans: {sum(ent.values())}  " + "  ".join(f"{k}={v}" for k, v in sorted(ent.items())),
        f"vendor token formats used: {len(vendors)}",
        "groups: "
        + "  ".join(f"{g}={n} ({100 * n / len(records):.0f}%)" for g, n in c(m["group"] for m in meta).items()),
    ]
    cats = c(r["category"] for r in neg)
    lines.append(f"hard-negative categories ({len(cats)}): " + ", ".join(f"{k}={v}" for k, v in sorted(cats.items())))
    langs = c(r["lang"] for r in records)
    lines.append(f"languages ({len(langs)}): " + ", ".join(f"{k}={v}" for k, v in langs.most_common()))
    ctxs = c(r["context"] for r in records)
    lines.append(f"contexts ({len(ctxs)}): " + ", ".join(f"{k}={v}" for k, v in ctxs.most_common()))
    return "\n".join(lines), ent, cats, langs, vendors, len(pos), len(neg)


def main():
    records, meta = build()
    check(records, meta)
    text, ent, cats, langs, vendors, npos, nneg = summary(records, meta)
    print(text)
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 200 and ent["IP_ADDRESS"] >= 200 and ent["CREDIT_CARD"] >= 80
    ), ent
    assert nneg >= 500 and len(cats) >= 35 and len(vendors) >= 40 and len(TEMPLATES) >= 300, (
        nneg,
        len(cats),
        len(vendors),
    )
    assert len([l for l in langs if l != "en"]) >= 30, langs
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset30.jsonl")
    with open(out, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
