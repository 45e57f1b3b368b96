#!/usr/bin/env python3
"""Generate PII/secret detector test set 25 (blind, independent holdout).

Writes /work/holdout/pii_testset25.jsonl (one JSON object per line) from
hand-written templates.  Everything is generated with random.Random(252525) and
the standard library only, so running the script twice gives the same file.

Content: personal and small-business communication (e-mails to IT support,
chat threads, shared notes, onboarding documents, wiki pages, pasted
spreadsheets, invoices/receipts, web forms and confirmations) in 40+ languages,
plus developer content (code, config, logs, shell sessions) for roughly 40% of
the records.  Positive records contain EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD
and SECRET spans; hard-negative records come from the same sources and contain
look-alikes that must not be labelled (order/tracking/booking numbers, masked
cards, hashes, ids, placeholders, policy text, publishable keys, public keys,
private/documentation IPs, reserved-domain e-mails, ...).

Templates use slots written as ⟦kind⟧ or ⟦kind#tag⟧ (a tagged slot reuses
the same value inside one record).  Slot kinds listed in ENTITY are labelled;
all others are unlabelled filler.  Offsets are recorded while the text is
assembled (never found by searching afterwards).

Fatal checks (assert) run on every record:
  * text[start:end] equals the inserted value for every span; spans sorted and
    non-overlapping; positives have >= 1 span, negatives have none;
  * every labelled IP parses, is global (is_global, not private, loopback,
    link-local, multicast, reserved, unspecified) and not in a documentation
    range (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32);
  * every labelled card is Luhn-valid with a real brand prefix and length;
  * every labelled e-mail has a non-reserved domain;
  * labelled secrets contain no EXAMPLE/xxxx/your_ markers; labelled passwords
    have >= 8 chars, mix >= 2 character classes, do not start with a symbol
    and do not end in . , ! ? : ;
  * ids unique, no text appears twice, templates unique;
  * a simple scanner run over negative texts and over the unlabelled parts of
    positive texts (labelled spans blanked out) finds no public IPv4 address,
    no Luhn-valid brand-prefixed 13-19 digit card number (plain or grouped with
    spaces/dashes) and no e-mail address on a non-reserved domain.  There are
    no category-specific exceptions: a variant that trips the scanner is
    regenerated (deterministically) and the final set is asserted clean;
  * set-level minimums from the brief (record/span/category/language/template
    and vendor-format counts).
At the end a summary is printed.
"""

import base64
import collections
import ipaddress
import json
import os
import random
import re
import string

R = random.Random(252525)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset25.jsonl")

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def rs(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def rs_edge(chars, n):
    """random string whose first and last characters are alphanumeric"""
    if n < 3:
        return rs(AN, n)
    return R.choice(AN) + rs(chars, n - 2) + R.choice(AN)


def b64(b):
    return base64.b64encode(b).decode()


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


# ---------------------------------------------------------------- names etc.
NAMES = {
    "en": (
        ["Emma", "Oliver", "Chloe", "James", "Priya", "Liam", "Grace", "Noah"],
        ["Walker", "Hughes", "Patel", "Bennett", "Murphy", "Clarke", "Turner"],
    ),
    "de": (
        ["Lena", "Jonas", "Katrin", "Felix", "Sabine", "Tobias", "Miriam"],
        ["Schneider", "Becker", "Hoffmann", "Wagner", "Krüger", "Vogel"],
    ),
    "fr": (
        ["Camille", "Julien", "Manon", "Thomas", "Élodie", "Hugo"],
        ["Martin", "Lefèvre", "Girard", "Moreau", "Fontaine"],
    ),
    "es": (
        ["Lucía", "Javier", "Carmen", "Diego", "Paula", "Sergio"],
        ["García", "Romero", "Navarro", "Torres", "Delgado"],
    ),
    "it": (
        ["Giulia", "Marco", "Chiara", "Luca", "Francesca", "Davide"],
        ["Rossi", "Bianchi", "Greco", "Conti", "Marino"],
    ),
    "pt": (
        ["Ana", "João", "Beatriz", "Rafael", "Mariana", "Tiago"],
        ["Silva", "Costa", "Ferreira", "Almeida", "Ribeiro"],
    ),
    "nl": (["Sanne", "Daan", "Femke", "Bram", "Lotte", "Ruben"], ["de Vries", "Jansen", "Bakker", "Visser", "Smit"]),
    "sv": (["Elin", "Oskar", "Maja", "Erik", "Saga"], ["Lindqvist", "Berg", "Nilsson", "Holm"]),
    "da": (["Freja", "Mads", "Ida", "Rasmus"], ["Jensen", "Nielsen", "Møller", "Larsen"]),
    "no": (["Ingrid", "Sindre", "Kari", "Håkon"], ["Hansen", "Johansen", "Berg", "Dahl"]),
    "fi": (["Aino", "Mikko", "Venla", "Jussi"], ["Virtanen", "Korhonen", "Mäkinen", "Laine"]),
    "pl": (["Zofia", "Kacper", "Agnieszka", "Piotr", "Magda"], ["Kowalska", "Nowak", "Wiśniewski", "Zając"]),
    "cs": (["Tereza", "Jakub", "Lucie", "Ondřej"], ["Novák", "Dvořáková", "Svoboda", "Černý"]),
    "sk": (["Zuzana", "Martin", "Lucia", "Peter"], ["Horváth", "Kováčová", "Varga"]),
    "hu": (["Eszter", "Bence", "Réka", "Gábor"], ["Nagy", "Kovács", "Tóth", "Szabó"]),
    "ro": (["Ioana", "Andrei", "Elena", "Mihai"], ["Popescu", "Ionescu", "Dumitru", "Stan"]),
    "bg": (["Мария", "Георги", "Десислава", "Иван"], ["Иванова", "Петров", "Георгиева", "Димитров"]),
    "el": (["Μαρία", "Γιώργος", "Ελένη", "Νίκος"], ["Παπαδοπούλου", "Νικολάου", "Γεωργίου"]),
    "ru": (["Анна", "Дмитрий", "Екатерина", "Сергей", "Ольга"], ["Смирнова", "Иванов", "Кузнецова", "Попов"]),
    "uk": (["Олена", "Тарас", "Ірина", "Богдан"], ["Шевченко", "Коваленко", "Бондар", "Мельник"]),
    "tr": (["Elif", "Mehmet", "Zeynep", "Emre"], ["Yılmaz", "Kaya", "Demir", "Şahin"]),
    "ar": (["فاطمة", "أحمد", "ليلى", "يوسف"], ["الحسن", "العلي", "منصور", "حداد"]),
    "he": (["נועה", "יונתן", "מיכל", "איתי"], ["כהן", "לוי", "מזרחי", "פרץ"]),
    "fa": (["سارا", "علی", "مریم", "رضا"], ["محمدی", "حسینی", "کریمی", "رضایی"]),
    "hi": (["प्रिया", "राहुल", "अनीता", "विकास"], ["शर्मा", "वर्मा", "गुप्ता", "सिंह"]),
    "bn": (["তানিয়া", "রাকিব", "সুমাইয়া", "আরিফ"], ["রহমান", "হোসেন", "চৌধুরী", "ইসলাম"]),
    "zh": (["伟", "芳", "静", "磊", "婷"], ["王", "李", "张", "刘", "陈"]),
    "ja": (["美咲", "翔太", "陽菜", "健一"], ["佐藤", "鈴木", "高橋", "田中"]),
    "ko": (["민준", "서연", "지훈", "수빈"], ["김", "이", "박", "최"]),
    "vi": (["Linh", "Minh", "Trang", "Huy"], ["Nguyễn", "Trần", "Lê", "Phạm"]),
    "th": (["สมชาย", "มาลี", "อนันต์", "ปิยะ"], ["ศรีสุข", "ทองดี", "วงศ์ใหญ่"]),
    "id": (["Putri", "Budi", "Sari", "Agus"], ["Santoso", "Wijaya", "Hidayat", "Pratama"]),
    "ms": (["Nurul", "Faiz", "Aisyah", "Hakim"], ["Ismail", "Rahman", "Abdullah"]),
    "tl": (["Maricel", "Jomar", "Angelica", "Paolo"], ["Santos", "Reyes", "Cruz", "Bautista"]),
    "sw": (["Amina", "Baraka", "Neema", "Juma"], ["Mwangi", "Otieno", "Njoroge", "Wanjiku"]),
    "hr": (["Ana", "Ivan", "Petra", "Marko"], ["Horvat", "Kovačević", "Babić", "Marić"]),
    "sl": (["Nina", "Luka", "Maja", "Jure"], ["Novak", "Kranjc", "Zupan"]),
    "lt": (["Ieva", "Mantas", "Rūta", "Tomas"], ["Kazlauskas", "Petraitė", "Jankauskas"]),
    "lv": (["Līga", "Jānis", "Anna", "Mārtiņš"], ["Bērziņš", "Kalniņa", "Ozols"]),
    "et": (["Kadri", "Mart", "Liis", "Rasmus"], ["Tamm", "Saar", "Sepp", "Mägi"]),
    "ca": (["Núria", "Jordi", "Montse", "Pau"], ["Puig", "Vila", "Serra", "Soler"]),
    "sr": (["Jelena", "Nikola", "Milica", "Stefan"], ["Jovanović", "Petrović", "Nikolić"]),
}
LAT_FIRST = [
    "anna",
    "mark",
    "julia",
    "tomasz",
    "lucia",
    "ahmed",
    "yuki",
    "minh",
    "olga",
    "pierre",
    "sofia",
    "kenji",
    "ines",
    "lars",
    "fatima",
    "diego",
    "maria",
    "jan",
    "chen",
    "priya",
    "omar",
    "elif",
    "ivan",
    "noor",
    "katja",
    "paulo",
    "hana",
    "raj",
    "leila",
    "sven",
    "greta",
    "mateo",
    "aylin",
    "bruno",
    "nadia",
    "teo",
]
LAT_LAST = [
    "novak",
    "keller",
    "rossi",
    "garcia",
    "tanaka",
    "nguyen",
    "petrov",
    "dubois",
    "silva",
    "yilmaz",
    "kowalski",
    "jensen",
    "hassan",
    "kim",
    "fischer",
    "moreau",
    "costa",
    "lindberg",
    "horvat",
    "sato",
    "ivanova",
    "mendes",
    "berger",
    "kaya",
    "park",
    "haddad",
    "sharma",
    "wong",
    "ortega",
    "varga",
    "okafor",
    "brandt",
]
PERSONAL_DOMAINS = [
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
    "telefonica.net",
    "uol.com.br",
    "sapo.pt",
    "ziggo.nl",
    "kpnmail.nl",
    "telia.com",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "interia.pl",
    "freemail.hu",
    "yandex.ru",
    "mail.ru",
    "ukr.net",
    "abv.bg",
    "naver.com",
    "daum.net",
    "qq.com",
    "163.com",
    "yahoo.co.jp",
    "rediffmail.com",
    "bigpond.com",
    "shaw.ca",
    "gmx.at",
    "bluewin.ch",
    "live.se",
    "online.no",
    "kolumbus.fi",
    "hotmail.co.uk",
]
BIZ_WORDS = [
    "nordwind",
    "bluefern",
    "kettlebrook",
    "atelier-nove",
    "harborline",
    "lindenhof",
    "sunpeak",
    "mosaico",
    "vertexa",
    "orchardhill",
    "brightlane",
    "copperleaf",
    "quarrystone",
    "tidewater",
    "pinecrest",
    "saltbox",
    "emberworks",
    "fjordline",
    "riverstone",
    "oakmontgroup",
    "casaverde",
    "bakkerij-jansen",
    "kovac-servis",
    "studio-lumen",
    "zielony-ogrod",
    "kaffeehaus-mira",
    "ostra-digital",
    "vela-logistica",
    "akari-design",
    "mavi-tekstil",
    "solnechny-dom",
    "praxis-weber",
    "klinika-zdrowie",
    "taller-ruiz",
    "fiskeby-bygg",
]
BIZ_TLDS = [
    "com",
    "de",
    "fr",
    "es",
    "it",
    "nl",
    "pl",
    "cz",
    "se",
    "io",
    "co.uk",
    "com.br",
    "com.tr",
    "ru",
    "jp",
    "eu",
    "at",
    "ch",
    "be",
    "pt",
    "fi",
    "no",
    "dk",
    "gr",
    "ro",
    "hu",
    "com.au",
    "net",
    "co",
]
ORG_LOCALS = [
    "info",
    "office",
    "billing",
    "support",
    "kontakt",
    "rechnungen",
    "contabilidad",
    "admin",
    "hello",
    "biuro",
    "facturation",
    "ordini",
    "team",
    "sales",
    "boekhouding",
    "it",
]
RESERVED_DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "shop.test",
    "corp.example",
    "acme.invalid",
    "dev.localhost",
    "staging.example.org",
    "demo.test",
]
USER_WORDS = [
    "anna",
    "mkowalski",
    "j.smith",
    "lena.v",
    "pgarcia",
    "tkoenig",
    "sofia_r",
    "devops",
    "backup",
    "jdoe",
    "ops-bot",
    "mrossi",
    "k.tanaka",
    "elin.b",
    "nguyen.minh",
    "a.haddad",
    "deploy",
    "ci-runner",
    "svc_sync",
    "olga.p",
    "bakery",
    "frontdesk",
    "rwagner",
    "aylin.k",
    "marco.c",
    "lars.j",
]
SHOPS = [
    "Bäckerei Vogel",
    "Studio Lumen",
    "Café Orchidea",
    "Nordic Bikes",
    "Casa Verde",
    "Atelier Nove",
    "Green Leaf Yoga",
    "Harbor Print",
    "Mavi Tekstil",
    "Kettlebrook Tea",
    "Praxis Weber",
    "Zielony Ogród",
]
CITIES = ["Lisbon", "Graz", "Lyon", "Kraków", "Porto", "Bergen", "Valencia", "Brno", "Turin", "Osaka", "Izmir", "Tartu"]
WIFI = [
    "Office-5G",
    "FRITZ!Box 7590 KQ",
    "Studio_Guest",
    "Vodafone-8C21",
    "Livebox-5A3F",
    "TP-Link_42E8",
    "Atelier WLAN",
    "Kantoor-Gast",
    "Shop-Staff",
    "Magenta-7F10",
    "MOVISTAR_3B9C",
    "H368N-D21A",
]
REGIONS = ["eu-central-1", "eu-west-1", "us-east-1", "ap-southeast-2", "eu-north-1", "us-west-2"]
WORDS = [
    "maple",
    "orbit",
    "cactus",
    "lantern",
    "harbor",
    "violet",
    "granite",
    "pepper",
    "meadow",
    "copper",
    "falcon",
    "tundra",
    "saffron",
    "willow",
    "quartz",
    "nebula",
    "biscuit",
    "marble",
    "canyon",
    "ember",
    "juniper",
    "pixel",
    "walrus",
    "glacier",
    "otter",
    "thistle",
    "rocket",
    "velvet",
    "lagoon",
    "cobalt",
]
PKGS = ["lodash", "express", "dayjs", "zod", "axios", "chalk", "uuid", "react-dom", "vite", "pino"]

DOT_DECIMAL = {"en", "zh", "ja", "ko", "th", "hi", "bn", "ms", "tl", "he", "sw", "ar", "fa"}


def g_first(lang):
    return R.choice(NAMES.get(lang, NAMES["en"])[0])


def g_name(lang):
    f, l = NAMES.get(lang, NAMES["en"])
    if lang in ("zh", "ja", "ko"):
        return R.choice(l) + R.choice(f)
    return R.choice(f) + " " + R.choice(l)


def g_email(lang=None):
    f, l = R.choice(LAT_FIRST), R.choice(LAT_LAST)
    r = R.random()
    if r < 0.5:
        dom = R.choice(PERSONAL_DOMAINS)
    else:
        dom = R.choice(BIZ_WORDS) + "." + R.choice(BIZ_TLDS)
    if r > 0.8:
        local = R.choice(ORG_LOCALS)
    else:
        local = R.choice(
            [
                f + "." + l,
                f[0] + l,
                f + "." + l + str(R.randint(1, 99)),
                f + str(R.randint(70, 99)),
                f + "_" + l,
                l + "." + f[0],
            ]
        )
    return local + "@" + dom


def g_ex_email(lang=None):
    return (
        R.choice(["jane.doe", "test", "user", "noreply", "demo", "alice", "bob", "max.mustermann", "qa"])
        + "@"
        + R.choice(RESERVED_DOMAINS)
    )


def g_resdomain(lang=None):
    return R.choice(RESERVED_DOMAINS)


def g_bizdomain(lang=None):
    return R.choice(BIZ_WORDS) + "." + R.choice(BIZ_TLDS)


def g_user(lang=None):
    u = R.choice(USER_WORDS)
    return u + (str(R.randint(1, 99)) if R.random() < 0.3 else "")


def g_date(lang):
    y, m, d = R.randint(2023, 2025), R.randint(1, 12), R.randint(1, 28)
    if lang in ("en",):
        return "%d-%02d-%02d" % (y, m, d)
    if lang in ("zh", "ja", "ko"):
        return "%d/%02d/%02d" % (y, m, d)
    if lang in (
        "fr",
        "es",
        "it",
        "pt",
        "ca",
        "el",
        "ar",
        "fa",
        "hi",
        "bn",
        "vi",
        "th",
        "id",
        "ms",
        "tl",
        "sw",
        "he",
        "tr",
    ):
        return "%02d/%02d/%d" % (d, m, y)
    return "%02d.%02d.%d" % (d, m, y)


def g_date_iso(lang=None):
    return "%d-%02d-%02d" % (R.randint(2023, 2025), R.randint(1, 12), R.randint(1, 28))


def g_time(lang=None):
    return "%02d:%02d" % (R.randint(6, 22), R.choice([0, 5, 10, 15, 20, 30, 40, 45, 50]))


def g_ts(lang=None):
    return "%sT%02d:%02d:%02dZ" % (g_date_iso(), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


def g_clf(lang=None):
    mon = R.choice(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    return "%02d/%s/%d:%02d:%02d:%02d +0000" % (
        R.randint(1, 28),
        mon,
        R.randint(2023, 2025),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
    )


def g_gitdate(lang=None):
    return "%s %s %d %02d:%02d:%02d %d +0100" % (
        R.choice(["Mon", "Tue", "Wed", "Thu", "Fri"]),
        R.choice(["Mar", "Apr", "Oct"]),
        R.randint(1, 28),
        R.randint(8, 20),
        R.randint(0, 59),
        R.randint(0, 59),
        R.randint(2023, 2025),
    )


def g_amount(lang):
    v = "%d%s%02d" % (R.randint(5, 2400), "." if lang in DOT_DECIMAL else ",", R.randint(0, 99))
    return v


def g_inv(lang=None):
    return R.choice(
        [
            "RE-%d-%04d" % (R.randint(2023, 2025), R.randint(1, 9999)),
            "INV-%05d" % R.randint(1, 99999),
            "F%d/%03d" % (R.randint(2023, 2025), R.randint(1, 999)),
            "%d-%04d" % (R.randint(2023, 2025), R.randint(1, 9999)),
        ]
    )


def g_order(lang=None):
    return R.choice(
        [
            "#%d" % R.randint(100000, 99999999),
            "ORD-%s" % rs(UP + DG, 8),
            "%d-%d" % (R.randint(100, 999), R.randint(1000000, 9999999)),
            "A%s" % rs(DG, 9),
        ]
    )


def g_track(lang=None):
    return R.choice(
        [
            "1Z" + rs(UP + DG, 16),
            "JJD00" + rs(DG, 16),
            R.choice(["LX", "RR", "CP", "UA"]) + rs(DG, 9) + R.choice(["DE", "FR", "PL", "CN", "NL"]),
            "00340" + rs(DG, 15),
            "SF" + rs(DG, 12),
        ]
    )


def g_booking(lang=None):
    return rs("ABCDEFGHJKLMNPQRSTUVWXYZ", 3) + rs("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 3)


def g_ticket(lang=None):
    return str(R.randint(10000, 999999))


def g_custno(lang=None):
    return R.choice(
        ["K-%06d" % R.randint(1, 999999), "%d" % R.randint(1000000, 9999999), "CU%05d" % R.randint(1, 99999)]
    )


def g_flight(lang=None):
    return (
        R.choice(["LH", "AF", "IB", "KL", "TK", "LO", "SK", "AZ", "TP", "JL", "FR", "U2"])
        + " "
        + str(R.randint(100, 9899))
    )


def g_int(lang=None):
    return str(R.randint(1000, 99999))


def g_n(lang=None):
    return str(R.randint(2, 48))


def g_n3(lang=None):
    return str(R.randint(100, 999))


def g_oct(lang=None):
    return str(R.randint(2, 254))


def g_pid(lang=None):
    return str(R.randint(300, 65000))


def g_port(lang=None):
    return str(R.randint(1025, 65000))


def g_last4(lang=None):
    return rs(DG, 4)


def g_exp(lang=None):
    return "%02d/%d" % (R.randint(1, 12), R.randint(26, 31))


def g_shop(lang=None):
    return R.choice(SHOPS)


def g_city(lang=None):
    return R.choice(CITIES)


def g_wifi(lang=None):
    return R.choice(WIFI)


def g_region(lang=None):
    return R.choice(REGIONS)


def g_acct(lang=None):
    return rs(LO, R.randint(5, 8)) + rs(LO + DG, 4)


def g_acct12(lang=None):
    return str(R.randint(10**11, 10**12 - 1))


def g_semver(lang=None):
    return "%d.%d.%d" % (R.randint(0, 14), R.randint(0, 30), R.randint(0, 40))


def g_uuid(lang=None):
    h = rs(HEX, 32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def g_hexn(n):
    return lambda lang=None: rs(HEX, n)


def g_mac(lang=None):
    return ":".join(rs(HEX, 2) for _ in range(6))


def g_pkg(lang=None):
    return R.choice(PKGS)


def g_epoch_ms(lang=None):
    return str(R.randint(1690000000000, 1760000000000))


def g_k8sname(lang=None):
    return R.choice(["db-credentials", "shop-secrets", "smtp-auth", "app-env", "pg-auth"]) + "-" + rs(LO + DG, 4)


def g_masked_card(lang=None):
    l4 = rs(DG, 4)
    return R.choice(
        ["**** **** **** " + l4, "XXXX-XXXX-XXXX-" + l4, "•••• " + l4, "************" + l4, "ending in " + l4]
    )


def g_priv_ip(lang=None):
    c = R.random()
    if c < 0.4:
        return "192.168.%d.%d" % (R.randint(0, 20), R.randint(2, 254))
    if c < 0.75:
        return "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(2, 254))
    return "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(2, 254))


def g_doc_ip(lang=None):
    return R.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(R.randint(1, 254))


def g_hex4(lang=None):
    return rs(HEX, 4).lstrip("0") or "1"


def g_btc(lang=None):
    return "bc1q" + rs(BECH, 38)


def g_eth(lang=None):
    return "0x" + rs(HEX + "ABCDEF", 40)


def g_bcrypt(lang=None):
    return "$2b$%d$" % R.choice([10, 11, 12]) + rs("./" + AN, 53)


def g_crypt6(lang=None):
    return "$6$" + rs("./" + AN, 16) + "$" + rs("./" + AN, 86)


def g_crypt1(lang=None):
    return "$1$" + rs("./" + AN, 8) + "$" + rs("./" + AN, 22)


def g_argon2(lang=None):
    return "$argon2id$v=19$m=65536,t=3,p=4$" + b64(rbytes(16)).rstrip("=") + "$" + b64(rbytes(32)).rstrip("=")


def g_cisco9(lang=None):
    return "$9$" + rs("./" + AN, 14) + "$" + rs("./" + AN, 43)


def g_cisco8(lang=None):
    return "$8$" + rs("./" + AN, 14) + "$" + rs("./" + AN, 43)


def g_ssh_pub(lang=None):
    if R.random() < 0.6:
        return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43)
    return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(B64, 360)


def _pem(label, prefix, nchars, sep="\n"):
    body = prefix + rs(B64, nchars - len(prefix))
    if label != "OPENSSH PRIVATE KEY" and R.random() < 0.5:
        body = body[:-2] + "=="
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----%s%s%s-----END %s-----" % (label, sep, sep.join(lines), sep, label)


def g_cert(lang=None):
    return _pem("CERTIFICATE", "MIID", R.choice([900, 1100, 1240]))


def g_pubkey(lang=None):
    return _pem("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 392)


def g_pk_live(lang=None):
    return "pk_live_" + rs(AN, R.choice([24, 99]))


def g_pk_test(lang=None):
    return "pk_test_" + rs(AN, R.choice([24, 99]))


def g_mapbox_pk(lang=None):
    return (
        "pk."
        + b64u(
            json.dumps(
                {"u": R.choice(USER_WORDS).replace(".", ""), "a": rs(LO + DG, 25)}, separators=(",", ":")
            ).encode()
        )
        + "."
        + rs(B64U, 22)
    )


def g_gcid(lang=None):
    return str(R.randint(10**11, 10**12 - 1)) + "-" + rs(LO + DG, 32) + ".apps.googleusercontent.com"


def g_recaptcha(lang=None):
    return "6L" + rs(B64U, 38)


def g_csrf(lang=None):
    return rs(AN, 64)


def g_nonce(lang=None):
    return b64(rbytes(16))


def g_vault_acc(lang=None):
    return rs(AN, 24)


def g_sri(lang=None):
    return b64(rbytes(64))


def g_jwks_n(lang=None):
    return b64u(rbytes(256))


def g_priv_cidr(lang=None):
    return R.choice(
        ["10.%d.0.0/16" % R.randint(0, 255), "172.%d.0.0/16" % R.randint(16, 31), "192.168.%d.0/24" % R.randint(0, 99)]
    )


def g_badcard(lang=None):
    d = _card_digits()
    last = int(d[-1])
    d = d[:-1] + str((last + R.randint(1, 9)) % 10)
    assert not luhn_ok(d)
    return _fmt_card(d)


def g_b64user(lang=None):
    return b64(g_user().encode())


def g_age_pub(lang=None):
    return "age1" + rs(BECH, 58)


def g_wg_pub(lang=None):
    return b64(rbytes(32))


# ---------------------------------------------------------------- labelled values
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public(s):
    ip = ipaddress.ip_address(s)
    if any(ip in n for n in DOC_NETS if n.version == ip.version):
        return False
    bad = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    if ip.version == 4 and ip in ipaddress.ip_network("100.64.0.0/10"):
        return False
    return ip.is_global and not bad


def g_ip4(lang=None):
    while True:
        s = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        if ip_public(s):
            return s


V6_PREFIXES = [
    0x2A00,
    0x2A01,
    0x2A02,
    0x2A03,
    0x2A05,
    0x2A0E,
    0x2600,
    0x2601,
    0x2602,
    0x2603,
    0x2604,
    0x2605,
    0x2606,
    0x2607,
    0x2620,
    0x2400,
    0x2401,
    0x2402,
    0x2403,
    0x2404,
    0x2405,
    0x2406,
    0x2408,
    0x2409,
    0x2800,
    0x2801,
    0x2803,
    0x2C0F,
]


def g_ip6(lang=None):
    while True:
        h = [R.choice(V6_PREFIXES)] + [R.randrange(65536) for _ in range(7)]
        if R.random() < 0.5:
            k = R.randint(3, 4)
            for i in range(k, 7):
                h[i] = 0
            h[7] = R.choice([1, 2, R.randrange(1, 65536)])
        s = str(ipaddress.IPv6Address(int("".join("%04x" % x for x in h), 16)))
        if ip_public(s):
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


def card_brand(d):
    n = len(d)
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720) and n == 16:
        return "mastercard"
    if d[:2] in ("34", "37") and n == 15:
        return "amex"
    if (d[:4] == "6011" or d[:2] == "65" or 644 <= int(d[:3]) <= 649) and n in (16, 19):
        return "discover"
    if 3528 <= int(d[:4]) <= 3589 and n in (16, 19):
        return "jcb"
    if (d[:2] == "36" or 300 <= int(d[:3]) <= 305 or d[:2] == "38") and n == 14:
        return "diners"
    if d[:2] == "62" and n in (16, 19):
        return "unionpay"
    return None


def _card_digits():
    b = R.random()
    if b < 0.35:
        pre, n = "4", 16
    elif b < 0.55:
        pre, n = (str(R.randint(51, 55)) if R.random() < 0.6 else str(R.randint(2221, 2720))), 16
    elif b < 0.70:
        pre, n = R.choice(["34", "37"]), 15
    elif b < 0.78:
        pre, n = R.choice(["6011", "65", str(R.randint(644, 649))]), 16
    elif b < 0.86:
        pre, n = str(R.randint(3528, 3589)), 16
    elif b < 0.93:
        pre, n = R.choice(["36", str(R.randint(300, 305))]), 14
    else:
        pre, n = "62", 16
    body = pre + rs(DG, n - len(pre) - 1)
    for c in DG:
        if luhn_ok(body + c):
            return body + c


def _fmt_card(d):
    sep = R.choice(["", " ", " ", "-"])
    if not sep:
        return d
    if len(d) == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(parts)


def g_card(lang=None):
    return _fmt_card(_card_digits())


PW_SYM = "!%*+-_.="


def pw_ok(p):
    if len(p) < 8 or not p[0].isalnum() or p[-1] in ".,!?:;":
        return False
    classes = sum([any(c.islower() for c in p), any(c.isupper() for c in p), any(c.isdigit() for c in p)])
    return classes >= 2


def g_pw(lang=None):
    while True:
        s = R.random()
        if s < 0.35:
            p = rs_edge(AN + AN + PW_SYM, R.randint(10, 18))
        elif s < 0.6:
            w1, w2 = R.sample(WORDS, 2)
            p = (
                w1.capitalize()
                + R.choice(["", "-", "_", "!", "*"])
                + w2
                + str(R.randint(10, 999))
                + R.choice(["", "x", "Q", "k"])
            )
        elif s < 0.8:
            p = "-".join(rs(UP + LO + DG, 3) for _ in range(3))
            p = p[0].upper() + p[1:] + str(R.randint(1, 9))
        else:
            p = rs(LO, 3) + R.choice(PW_SYM) + rs(UP, 2) + rs(DG, 3) + rs(LO + UP, 3)
            p = R.choice(AN) + p
        if pw_ok(p) and not FORBID.search(p):
            return p


def g_pwu(lang=None):
    while True:
        p = rs(AN, R.randint(12, 24))
        if pw_ok(p) and not FORBID.search(p):
            return p


def g_pp(lang=None):
    ws = R.sample(WORDS, R.randint(3, 4))
    sep = R.choice(["-", "_", "."])
    if R.random() < 0.5:
        ws = [w.capitalize() for w in ws]
    return sep.join(ws) + sep + str(R.randint(2, 999))


def g_pin(lang=None):
    while True:
        p = rs(UP + DG, R.randint(6, 8))
        if any(c.isdigit() for c in p) and any(c.isalpha() for c in p):
            return p


def g_k8s_b64(lang=None):
    return b64(g_pw().encode())


def g_basic_b64(lang=None):
    return b64((g_user() + ":" + g_pw()).encode())


def g_laravel(lang=None):
    return b64(rbytes(32))


def g_wg_key(lang=None):
    return b64(rbytes(32))


def g_session(lang=None):
    return R.choice([rs(LO + DG, 32), rs(AN, 48), "s%3A" + rs(B64U, 32) + "." + rs(AN, 43)])


def g_jwt(lang=None):
    hdr = b64u(json.dumps({"alg": R.choice(["HS256", "RS256"]), "typ": "JWT"}, separators=(",", ":")).encode())
    body = {"sub": str(R.randint(1000, 999999)), "iat": R.randint(1700000000, 1750000000)}
    if R.random() < 0.5:
        body["role"] = R.choice(["admin", "staff", "customer"])
    body["exp"] = body["iat"] + 3600
    pl = b64u(json.dumps(body, separators=(",", ":")).encode())
    sig = rs(B64U, 43 if hdr.startswith("eyJhbGciOiJIUzI1") else 342)
    return hdr + "." + pl + "." + sig


def g_privkey(lang=None, sep="\n"):
    kind = R.choice(["RSA", "PK", "EC", "OPENSSH", "OPENSSH"])
    if kind == "RSA":
        return _pem("RSA PRIVATE KEY", "MIIEow" + "IBAAKCAQEA", 1588, sep)
    if kind == "PK":
        return _pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 1620, sep)
    if kind == "EC":
        return _pem("EC PRIVATE KEY", "MHcCAQEEI", 164, sep)
    return _pem(
        "OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 388, sep
    )


def g_privkey_json(lang=None):
    return _pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 1620, "\\n")


def g_openssh(lang=None):
    return _pem("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 388)


def g_discord(lang=None):
    uid = str(R.randint(10**17, 13 * 10**17))
    return b64(uid.encode()).rstrip("=") + "." + rs(B64U, 6) + "." + rs(B64U, 38)


def g_mapbox_sk(lang=None):
    return (
        "sk."
        + b64u(
            json.dumps(
                {"u": R.choice(USER_WORDS).replace(".", ""), "a": rs(LO + DG, 25)}, separators=(",", ":")
            ).encode()
        )
        + "."
        + rs(B64U, 22)
    )


# vendor token formats (all labelled SECRET)
VENDOR = {
    "aws_akid": lambda l=None: R.choice(["AKIA", "ASIA"]) + rs(UP + "234567", 16),
    "aws_secret": lambda l=None: rs_edge(AN + "/+", 40),
    "ghp": lambda l=None: "ghp_" + rs(AN, 36),
    "gho": lambda l=None: "gho_" + rs(AN, 36),
    "ghs": lambda l=None: "ghs_" + rs(AN, 36),
    "github_pat": lambda l=None: "github_pat_11" + rs(UP + DG, 20) + "_" + rs(AN, 59),
    "glpat": lambda l=None: "glpat-" + rs_edge(B64U, 20),
    "glrt": lambda l=None: "glrt-" + rs_edge(B64U, 20),
    "xoxb": lambda l=None: "xoxb-%d-%d-%s" % (R.randint(10**10, 10**12), R.randint(10**12, 10**13), rs(AN, 24)),
    "xoxp": lambda l=None: (
        "xoxp-%d-%d-%d-%s"
        % (R.randint(10**10, 10**12), R.randint(10**10, 10**12), R.randint(10**12, 10**13), rs(HEX, 32))
    ),
    "xapp": lambda l=None: "xapp-1-A%s-%d-%s" % (rs(UP + DG, 10), R.randint(10**12, 10**13), rs(HEX, 64)),
    "sk_live": lambda l=None: "sk_live_" + R.choice(["", "51"]) + rs(AN, R.choice([24, 96])),
    "sk_test": lambda l=None: "sk_test_" + R.choice(["", "51"]) + rs(AN, R.choice([24, 96])),
    "rk_live": lambda l=None: "rk_live_" + rs(AN, R.choice([24, 96])),
    "whsec": lambda l=None: "whsec_" + rs(AN, 32),
    "openai": lambda l=None: R.choice(
        [
            "sk-proj-" + rs(B64U, 40) + "T3BlbkFJ" + rs(B64U, 40),
            "sk-" + rs(AN, 20) + "T3BlbkFJ" + rs(AN, 20),
            "sk-svcacct-" + rs(B64U, 40) + "T3BlbkFJ" + rs(AN, 40),
        ]
    ),
    "anthropic": lambda l=None: "sk-ant-api03-" + rs(B64U, 93) + "AA",
    "google_api": lambda l=None: "AIza" + rs_edge(B64U, 35),
    "sendgrid": lambda l=None: "SG." + rs(B64U, 22) + "." + rs_edge(B64U, 43),
    "mailgun": lambda l=None: "key-" + rs(HEX, 32),
    "npm": lambda l=None: "npm_" + rs(AN, 36),
    "pypi": lambda l=None: "pypi-AgEIcHlwaS5vcmc" + rs_edge(B64U, 150),
    "shopify": lambda l=None: R.choice(["shpat_", "shpca_", "shppa_"]) + rs(HEX, 32),
    "hf": lambda l=None: "hf_" + rs(UP + LO, 34),
    "dop": lambda l=None: "dop_v1_" + rs(HEX, 64),
    "telegram": lambda l=None: "%d:AA%s" % (R.randint(10**8, 8 * 10**9), rs_edge(B64U, 33)),
    "discord": g_discord,
    "atlassian": lambda l=None: "ATATT3xFfGF0" + rs(B64U, 170) + "=" + rs("0123456789ABCDEF", 8),
    "azure_key": lambda l=None: rs(AN, 1) + rs(B64, 85) + "==",
    "square": lambda l=None: "EAAA" + rs_edge(B64U, 60),
    "mailchimp": lambda l=None: rs(HEX, 32) + "-us" + str(R.randint(1, 21)),
    "postman": lambda l=None: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34),
    "doppler": lambda l=None: "dp.st." + R.choice(["prd", "dev", "stg"]) + "." + rs(AN, 40),
    "linear": lambda l=None: "lin_api_" + rs(AN, 40),
    "newrelic": lambda l=None: "NRAK-" + rs(UP + DG, 27),
    "databricks": lambda l=None: "dapi" + rs(HEX, 32),
    "notion": lambda l=None: R.choice(["ntn_" + rs(DG, 11) + rs(AN, 35), "secret_" + rs(AN, 43)]),
    "grafana": lambda l=None: "glsa_" + rs(AN, 32) + "_" + rs(HEX, 8),
    "vault_hvs": lambda l=None: "hvs." + rs(AN, 24) if R.random() < 0.5 else "hvs.CAESI" + rs(B64U, 86),
    "tfc": lambda l=None: rs(AN, 14) + ".atlasv1." + rs(AN, 67),
    "pscale": lambda l=None: "pscale_pw_" + rs_edge(B64U, 43),
    "supabase": lambda l=None: "sbp_" + rs(HEX, 40),
    "alibaba_id": lambda l=None: "LTAI" + rs(AN, 20),
    "alibaba_secret": lambda l=None: rs(AN, 30),
    "figma": lambda l=None: "figd_" + rs_edge(B64U, 40),
    "dropbox": lambda l=None: "sl." + rs_edge(B64U, 135),
    "sentry": lambda l=None: "sntryu_" + rs(HEX, 64),
    "brevo": lambda l=None: "xkeysib-" + rs(HEX, 64) + "-" + rs(AN, 16),
    "mapbox_sk": g_mapbox_sk,
    "age": lambda l=None: "AGE-SECRET-KEY-1" + rs(BECH.upper(), 58),
    "pulumi": lambda l=None: "pul-" + rs(HEX, 40),
    "netlify": lambda l=None: "nfp_" + rs(AN, 36),
    "airtable": lambda l=None: "pat" + rs(AN, 14) + "." + rs(HEX, 64),
    "groq": lambda l=None: "gsk_" + rs(AN, 52),
    "replicate": lambda l=None: "r8_" + rs(AN, 37),
    "render": lambda l=None: "rnd_" + rs(AN, 32),
    "twilio_auth": lambda l=None: rs(HEX, 32),
}
VENDOR_KINDS = set(VENDOR) - {
    "alibaba_secret",
    "twilio_auth",
}  # those two are vendor secrets without a distinctive format

GENERIC_SECRET = {
    "pw": g_pw,
    "pwu": g_pwu,
    "pp": g_pp,
    "pin": g_pin,
    "k8s_b64": g_k8s_b64,
    "basic_b64": g_basic_b64,
    "laravel": g_laravel,
    "wg_key": g_wg_key,
    "session": g_session,
    "jwt": g_jwt,
    "privkey": g_privkey,
    "privkey_json": g_privkey_json,
    "openssh": g_openssh,
    "hex32": g_hexn(32),
    "hex40": g_hexn(40),
    "key64": lambda l=None: rs(AN, 64),
    "apikey": lambda l=None: rs(AN, R.choice([32, 40])),
    "django": lambda l=None: rs_edge(LO + DG + "!#%^&*(-_=+)", 50),
    "wpsalt": lambda l=None: rs_edge(AN + "!#%^&*()-_=+[]{}<>~|;:,.?", 64),
    "b2key": lambda l=None: "K00" + rs(DG, 1) + rs(AN + "+/", 27),
}

GEN = {
    "email": g_email,
    "ip4": g_ip4,
    "ip6": g_ip6,
    "card": g_card,
    "first": g_first,
    "name": g_name,
    "user": g_user,
    "ex_email": g_ex_email,
    "resdomain": g_resdomain,
    "bizdomain": g_bizdomain,
    "date": g_date,
    "date_iso": g_date_iso,
    "time": g_time,
    "ts": g_ts,
    "clf": g_clf,
    "gitdate": g_gitdate,
    "amount": g_amount,
    "inv": g_inv,
    "order": g_order,
    "track": g_track,
    "booking": g_booking,
    "ticket": g_ticket,
    "custno": g_custno,
    "flight": g_flight,
    "int": g_int,
    "n": g_n,
    "n3": g_n3,
    "oct": g_oct,
    "pid": g_pid,
    "port": g_port,
    "last4": g_last4,
    "exp": g_exp,
    "shop": g_shop,
    "city": g_city,
    "wifi": g_wifi,
    "region": g_region,
    "acct": g_acct,
    "acct12": g_acct12,
    "semver": g_semver,
    "uuid": g_uuid,
    "md5": g_hexn(32),
    "sha1": g_hexn(40),
    "sha256": g_hexn(64),
    "hex16": g_hexn(16),
    "hex8": g_hexn(8),
    "hex32u": g_hexn(32),
    "mac": g_mac,
    "pkg": g_pkg,
    "epoch_ms": g_epoch_ms,
    "k8sname": g_k8sname,
    "masked_card": g_masked_card,
    "priv_ip": g_priv_ip,
    "doc_ip": g_doc_ip,
    "hex4": g_hex4,
    "btc": g_btc,
    "eth": g_eth,
    "bcrypt": g_bcrypt,
    "crypt6": g_crypt6,
    "crypt1": g_crypt1,
    "argon2": g_argon2,
    "cisco9": g_cisco9,
    "cisco8": g_cisco8,
    "ssh_pub": g_ssh_pub,
    "cert": g_cert,
    "pubkey": g_pubkey,
    "pk_live": g_pk_live,
    "pk_test": g_pk_test,
    "mapbox_pk": g_mapbox_pk,
    "gcid": g_gcid,
    "recaptcha": g_recaptcha,
    "csrf": g_csrf,
    "nonce": g_nonce,
    "vault_acc": g_vault_acc,
    "sri": g_sri,
    "jwks_n": g_jwks_n,
    "priv_cidr": g_priv_cidr,
    "badcard": g_badcard,
    "b64user": g_b64user,
    "age_pub": g_age_pub,
    "wg_pub": g_wg_pub,
    "rs14": lambda l=None: rs(AN, 14),
    "rs5": lambda l=None: rs(LO + DG, 5),
}
GEN.update(VENDOR)
GEN.update(GENERIC_SECRET)
ENTITY = {"email": "EMAIL_ADDRESS", "ip4": "IP_ADDRESS", "ip6": "IP_ADDRESS", "card": "CREDIT_CARD"}
for _k in list(VENDOR) + list(GENERIC_SECRET):
    ENTITY[_k] = "SECRET"
PASSWORD_KINDS = {"pw", "pwu"}

FORBID = re.compile(r"example|xxxx|your_|your-|changeme|placeholder", re.I)

# ---------------------------------------------------------------- checks / scanner
RESERVED_SUFFIX = (".test", ".invalid", ".localhost", ".example")


def domain_reserved(dom):
    dom = dom.lower().rstrip(".")
    if dom in ("example.com", "example.org", "example.net") or any(
        dom.endswith("." + d) for d in ("example.com", "example.org", "example.net")
    ):
        return True
    return dom.endswith(RESERVED_SUFFIX) or dom in ("test", "invalid", "localhost", "example")


IP4_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\.?\d)")
CARD_RE = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![A-Za-z0-9-])")


def scan(text):
    """return a list of findings (public IPv4, card numbers, non-reserved e-mails)"""
    found = []
    for m in IP4_RE.finditer(text):
        try:
            if ip_public(m.group(1)):
                found.append(("ip", m.group(1)))
        except ValueError:
            pass
    for m in CARD_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group(0))
        # also test every contiguous 13-19 digit window of a long grouped run
        for i in range(len(d)):
            for j in range(i + 13, min(len(d), i + 19) + 1):
                sub = d[i:j]
                if card_brand(sub) and luhn_ok(sub):
                    found.append(("card", m.group(0)))
    for m in EMAIL_RE.finditer(text):
        if not domain_reserved(m.group(1)):
            found.append(("email", m.group(0)))
    return found


def check_value(kind, val):
    ent = ENTITY[kind]
    if ent == "IP_ADDRESS":
        assert ip_public(val), val
    elif ent == "CREDIT_CARD":
        d = re.sub(r"[ -]", "", val)
        assert d.isdigit() and card_brand(d) and luhn_ok(d), val
    elif ent == "EMAIL_ADDRESS":
        assert EMAIL_RE.fullmatch(val) and not domain_reserved(val.split("@")[1]), val
    else:
        assert not FORBID.search(val), (kind, val)
        assert val[-1] not in ".,!?:;" or kind in ("wpsalt",), (kind, val)
        if kind in PASSWORD_KINDS:
            assert pw_ok(val), val
        if kind == "jwt":
            assert val.count(".") == 2 and val.startswith("eyJ")
        if kind in ("privkey", "openssh"):
            assert val.startswith("-----BEGIN ") and val.endswith("PRIVATE KEY-----")


SLOT_RE = re.compile(r"⟦([a-z0-9_]+)(?:#([a-z0-9]+))?⟧")


def render(tpl, lang):
    out, spans, pos, last, cache = [], [], 0, 0, {}
    for m in SLOT_RE.finditer(tpl):
        lit = tpl[last : m.end() - len(m.group(0))]
        out.append(lit)
        pos += len(lit)
        last = m.end()
        kind, tag = m.group(1), m.group(2)
        if tag and (kind, tag) in cache:
            val = cache[(kind, tag)]
        else:
            val = GEN[kind](lang)
            if tag:
                cache[(kind, tag)] = val
        if kind in ENTITY:
            check_value(kind, val)
            spans.append({"start": pos, "end": pos + len(val), "entity": ENTITY[kind], "_val": val, "_kind": kind})
        out.append(val)
        pos += len(val)
    out.append(tpl[last:])
    return "".join(out), spans


def masked(text, spans):
    chars = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            chars[i] = "\x00"
    return "".join(chars)


# ---------------------------------------------------------------- templates
# POS: (lang, context, text, is_dev); NEG: (lang, context, category, text, is_dev)
POS, NEG = [], []


def P(lang, ctx, text):
    POS.append((lang, ctx, text, False))


def D(ctx, text, lang="en"):
    POS.append((lang, ctx, text, True))


def N(lang, ctx, cat, text):
    NEG.append((lang, ctx, cat, text, False))


def ND(ctx, cat, text, lang="en"):
    NEG.append((lang, ctx, cat, text, True))


# ---- natural-language positives
P(
    "en",
    "it_support_email",
    "Hi ⟦first⟧,\n\nI still can't log in to the VPN from home. My username is ⟦user⟧ and the password I set on Monday is ⟦pw⟧. My home IP shows as ⟦ip4⟧ if that helps with the allowlist.\n\nThanks,\n⟦name⟧",
)
P(
    "en",
    "chat_thread",
    "[09:14] ⟦first#a⟧: can someone send me the wifi password for the studio?\n[09:15] ⟦first#b⟧: network is ⟦wifi⟧, key is ⟦pw⟧\n[09:15] ⟦first#a⟧: thanks!",
)
P(
    "en",
    "shared_note",
    "Accounts for the shop (do not share!)\n- Shopify admin: ⟦email⟧ / ⟦pw⟧\n- Card for ads: ⟦card⟧ exp ⟦exp⟧\n- Newsletter API key: ⟦mailchimp⟧",
)
P(
    "en",
    "onboarding_doc",
    "Welcome aboard, ⟦first⟧! Your laptop login is ⟦user⟧ with the temporary password ⟦pw⟧. You'll be asked to change it at first sign-in. Your work e-mail is ⟦email⟧.",
)
P(
    "en",
    "invoice",
    "INVOICE ⟦inv⟧\nBilled to: ⟦name⟧ <⟦email⟧>\nPaid by card: ⟦card⟧\nTotal: ⟦amount⟧ EUR\nThank you for your business!",
)
P("en", "web_form", "Checkout\nFull name: ⟦name⟧\nEmail: ⟦email⟧\nCard number: ⟦card⟧\nExpiry: ⟦exp⟧\n[Place order]")
P("en", "sms_message", "Your one-time access code for the tenant portal is ⟦pin⟧. Never share this code with anyone.")
P(
    "en",
    "email_personal",
    "Hey, the login for Mum's streaming account is ⟦email⟧ and the password is ⟦pw⟧. Please don't change it again :)",
)
P(
    "en",
    "spreadsheet_paste",
    "device\tusername\tpassword\nrouter admin\tadmin\t⟦pw⟧\nNAS\t⟦user⟧\t⟦pw⟧\nprinter web UI\tadmin\t⟦pw⟧",
)
P(
    "en",
    "it_support_email",
    "Ticket ⟦ticket⟧: our office firewall keeps blocking the supplier's server at ⟦ip4⟧ and their backup at ⟦ip6⟧. Could you allow both? Contact on their side: ⟦email⟧.",
)
P(
    "en",
    "wiki_page",
    "== Staging access ==\nSSH into the bastion at ⟦ip4⟧ (port 2222) as deploy. The deploy key passphrase is ⟦pp⟧. Ask ⟦email⟧ if you are locked out.",
)
P(
    "en",
    "form_confirmation",
    "Thanks for your booking, ⟦name⟧! A confirmation was sent to ⟦email⟧. We charged the card ending in ⟦last4⟧.",
)
P(
    "en",
    "receipt",
    "CARD RECEIPT\nMerchant: ⟦shop⟧\nCard: ⟦card⟧\nApproval: ⟦n3⟧⟦n3⟧\nAmount: ⟦amount⟧\nKeep this receipt for your records.",
)
P(
    "en",
    "chat_thread",
    "⟦first#a⟧: I'm locked out of the accounting app again\n⟦first#b⟧: reset it to ⟦pw⟧ for now, change it after you log in\n⟦first#a⟧: got it",
)
P(
    "en",
    "email_business",
    "Hi ⟦first⟧,\n\nplease update the card on file for our hosting account to ⟦card⟧ (exp ⟦exp⟧). The old one was cancelled.\n\nBest,\n⟦name⟧\n⟦email⟧",
)
P("en", "shared_note", "Alarm panel: code ⟦pin⟧ then OK\nGuest wifi: ⟦wifi⟧ / ⟦pw⟧\nLandlord: ⟦email⟧")
P(
    "en",
    "it_support_email",
    "Hello IT,\n\nmy new colleague ⟦name⟧ needs access to the shared mailbox. Their address is ⟦email⟧. I've set an initial password (⟦pw⟧) on the mailbox; please force a change.\n\n⟦first⟧",
)
P(
    "en",
    "onboarding_doc",
    "Contractor access checklist\n1. VPN gateway: ⟦ip4⟧\n2. Git token (read-only): ⟦glpat⟧\n3. Point of contact: ⟦email⟧",
)
P(
    "en",
    "voicemail_transcript",
    "Hi, it's ⟦first⟧ from the front desk. The new door panel code is ⟦pin⟧, and the wifi password for guests is ⟦pw⟧. Call me back if it doesn't work.",
)
P(
    "en",
    "web_form",
    "Contact request\nName: ⟦name⟧\nE-mail: ⟦email⟧\nMessage: my account was hacked, the attacker logged in from ⟦ip4⟧ at ⟦time⟧. Please lock it.",
)
P(
    "en",
    "invoice",
    "Order summary\nCustomer: ⟦name⟧\nShip to: ⟦city⟧\nPayment: Amex ⟦card⟧\nSubtotal ⟦amount⟧\nQuestions? ⟦email⟧",
)
P(
    "en",
    "shared_note",
    "Password manager export (temp)\ntitle,url,username,password\nBank,https://online.bank.invalid,⟦user⟧,⟦pw⟧\nPayroll,https://payroll.invalid,⟦email⟧,⟦pw⟧",
)

P(
    "de",
    "it_support_email",
    "Hallo ⟦first⟧,\n\nich komme seit heute nicht mehr ins E-Mail-Postfach. Benutzer: ⟦user⟧, Passwort: ⟦pw⟧. Meine IP laut Router ist ⟦ip4⟧.\n\nViele Grüße\n⟦name⟧",
)
P(
    "de",
    "chat_thread",
    "⟦first#a⟧: Wie war nochmal das WLAN-Passwort im Büro?\n⟦first#b⟧: ⟦pw⟧ (Netz: ⟦wifi⟧)\n⟦first#a⟧: Danke dir!",
)
P(
    "de",
    "invoice",
    "Rechnung Nr. ⟦inv⟧\nKunde: ⟦name⟧, ⟦email⟧\nBezahlt mit Kreditkarte ⟦card⟧\nGesamtbetrag: ⟦amount⟧ €",
)
P(
    "de",
    "onboarding_doc",
    "Einarbeitung, Tag 1\n• Laptop-Anmeldung: ⟦user⟧ / Startpasswort ⟦pw⟧\n• DATEV-Zugang folgt per Post\n• Fragen bitte an ⟦email⟧",
)
P(
    "de",
    "shared_note",
    "Zugangscode Paketstation: ⟦pin⟧\nAlarmanlage Lager: bitte bei ⟦first⟧ erfragen\nFritzBox-Kennwort: ⟦pw⟧",
)
P(
    "de",
    "wiki_page",
    "Der Server der Praxis-Software steht unter ⟦ip4⟧. Der API-Schlüssel für die Online-Terminbuchung lautet ⟦apikey⟧ und darf nicht weitergegeben werden.",
)
P(
    "de",
    "web_form",
    "Zahlungsdaten\nKarteninhaber: ⟦name⟧\nKartennummer: ⟦card⟧\nGültig bis: ⟦exp⟧\nE-Mail für die Bestätigung: ⟦email⟧",
)
P(
    "de",
    "email_business",
    "Sehr geehrte Frau ⟦name⟧,\n\nanbei die Zugangsdaten für Ihr Kundenportal: Benutzername ⟦email⟧, vorläufiges Kennwort ⟦pw⟧. Bitte ändern Sie es nach der ersten Anmeldung.\n\nMit freundlichen Grüßen",
)

P(
    "fr",
    "it_support_email",
    "Bonjour,\n\nJe n'arrive plus à me connecter à la messagerie. Mon identifiant est ⟦user⟧ et mon mot de passe ⟦pw⟧. Pouvez-vous vérifier ? Mon adresse de secours : ⟦email⟧.\n\nCordialement,\n⟦name⟧",
)
P(
    "fr",
    "chat_thread",
    "⟦first#a⟧ : tu as le code du wifi de la boutique ?\n⟦first#b⟧ : oui c'est ⟦pw⟧\n⟦first#a⟧ : merci !",
)
P(
    "fr",
    "invoice",
    "FACTURE ⟦inv⟧\nClient : ⟦name⟧ (⟦email⟧)\nRéglée par carte bancaire ⟦card⟧\nMontant TTC : ⟦amount⟧ €",
)
P("fr", "shared_note", "Accès du cabinet :\n- Logiciel compta : ⟦email⟧ / ⟦pw⟧\n- Code portail : ⟦pin⟧")
P(
    "fr",
    "form_confirmation",
    "Merci ⟦first⟧ ! Votre inscription est confirmée. Un e-mail a été envoyé à ⟦email⟧. Votre mot de passe provisoire : ⟦pw⟧",
)
P(
    "fr",
    "wiki_page",
    "Le NAS de l'agence est joignable depuis l'extérieur via ⟦ip4⟧. Compte admin : admin, mot de passe : ⟦pw⟧.",
)

P(
    "es",
    "email_personal",
    "Hola ⟦first⟧, te paso los datos del hosting: usuario ⟦user⟧, contraseña ⟦pw⟧. El servidor tiene la IP ⟦ip4⟧. Cualquier cosa me escribes a ⟦email⟧.",
)
P("es", "invoice", "Factura n.º ⟦inv⟧\nCliente: ⟦name⟧\nCorreo: ⟦email⟧\nPago con tarjeta: ⟦card⟧\nTotal: ⟦amount⟧ €")
P("es", "chat_thread", "⟦first#a⟧: ¿me pasas la clave del wifi del local?\n⟦first#b⟧: ⟦pw⟧\n⟦first#a⟧: gracias!!")
P(
    "es",
    "onboarding_doc",
    "Bienvenida, ⟦first⟧. Tu cuenta corporativa es ⟦email⟧ y tu contraseña temporal es ⟦pw⟧. Cámbiala en el primer inicio de sesión.",
)
P("es", "web_form", "Formulario de pago\nTitular: ⟦name⟧\nNúmero de tarjeta: ⟦card⟧\nCaducidad: ⟦exp⟧")
P(
    "es",
    "it_support_email",
    "Buenas, desde ayer no puedo entrar al correo. Mi usuario es ⟦user⟧ y la contraseña que uso es ⟦pw⟧. Me conecto desde la IP ⟦ip4⟧. Gracias, ⟦name⟧",
)

P(
    "it",
    "chat_thread",
    "Ciao ⟦first⟧, la password del gestionale è ⟦pw⟧ e l'utente è ⟦user⟧. Non girarla a nessuno per favore.",
)
P("it", "invoice", "Fattura n. ⟦inv⟧\nCliente: ⟦name⟧\nPagamento con carta ⟦card⟧\nTotale: ⟦amount⟧ €")
P(
    "it",
    "it_support_email",
    "Buongiorno, il nostro NAS (⟦ip4⟧) non è più raggiungibile dall'esterno. Le credenziali di amministrazione sono admin / ⟦pw⟧. Contatto: ⟦email⟧",
)
P(
    "it",
    "shared_note",
    "Codice allarme ufficio: chiedere a ⟦first⟧\nPIN accesso portale fornitori: ⟦pin⟧\nEmail amministrazione: ⟦email⟧",
)

P("pt", "chat_thread", "Olá ⟦first⟧, segue o acesso ao painel da loja: ⟦email⟧ / senha ⟦pw⟧. Qualquer dúvida me chama.")
P("pt", "invoice", "Nota de cobrança ⟦inv⟧\nCliente: ⟦name⟧\nCartão: ⟦card⟧\nValor: R$ ⟦amount⟧")
P("pt", "chat_thread", "⟦first#a⟧: qual é a senha do wi-fi do escritório?\n⟦first#b⟧: ⟦pw⟧")
P(
    "pt",
    "it_support_email",
    "Bom dia, o servidor de backup com IP ⟦ip4⟧ está recusando a conexão. Usuário backup, senha ⟦pw⟧. Responder para ⟦email⟧.",
)

P("nl", "chat_thread", "Hoi ⟦first⟧, het wachtwoord van de kassa-app is ⟦pw⟧. Inloggen met ⟦email⟧.")
P("nl", "invoice", "Factuur ⟦inv⟧\nKlant: ⟦name⟧\nBetaald met creditcard ⟦card⟧\nTotaal: € ⟦amount⟧")
P(
    "nl",
    "it_support_email",
    "Beste helpdesk, ik kan niet inloggen op de VPN. Mijn gebruikersnaam is ⟦user⟧, wachtwoord ⟦pw⟧, mijn IP-adres is ⟦ip4⟧. Groet, ⟦name⟧",
)

P("sv", "chat_thread", "Hej ⟦first⟧! Lösenordet till bokföringsprogrammet är ⟦pw⟧, användarnamnet är ⟦email⟧.")
P("sv", "chat_thread", "⟦first#a⟧: vad är wifi-lösenordet i ateljén?\n⟦first#b⟧: ⟦pw⟧")
P("sv", "invoice", "Faktura ⟦inv⟧\nKund: ⟦name⟧\nBetalt med kort ⟦card⟧\nAtt betala: ⟦amount⟧ kr")

P("da", "email_personal", "Hej ⟦first⟧, adgangskoden til webshoppen er ⟦pw⟧, brugernavn ⟦email⟧.")
P("da", "receipt", "Kvittering\nKort: ⟦card⟧\nBeløb: ⟦amount⟧ kr\nTak for købet, ⟦first⟧!")
P("no", "chat_thread", "Hei ⟦first⟧, passordet til ruteren er ⟦pw⟧, og den offentlige IP-en vår er ⟦ip4⟧.")
P("no", "form_confirmation", "Faktura ⟦inv⟧ er betalt med kort ⟦card⟧. Kvittering er sendt til ⟦email⟧.")
P("fi", "chat_thread", "Moi ⟦first⟧! Toimiston wifin salasana on ⟦pw⟧.")
P("fi", "invoice", "Lasku ⟦inv⟧\nAsiakas: ⟦name⟧\nMaksettu kortilla ⟦card⟧\nSähköposti: ⟦email⟧")
P("fi", "it_support_email", "Hei, en pääse kirjautumaan palvelimelle ⟦ip4⟧. Käyttäjätunnus ⟦user⟧, salasana ⟦pw⟧.")

P("pl", "chat_thread", "Cześć ⟦first⟧, hasło do panelu sklepu to ⟦pw⟧, login ⟦email⟧.")
P("pl", "invoice", "Faktura nr ⟦inv⟧\nNabywca: ⟦name⟧\nZapłacono kartą ⟦card⟧\nRazem: ⟦amount⟧ zł")
P(
    "pl",
    "it_support_email",
    "Dzień dobry, nie mogę połączyć się z serwerem ⟦ip4⟧. Moje dane: użytkownik ⟦user⟧, hasło ⟦pw⟧. Proszę o kontakt: ⟦email⟧",
)
P(
    "pl",
    "onboarding_doc",
    "Witaj w zespole, ⟦first⟧! Twój adres służbowy to ⟦email⟧, hasło startowe: ⟦pw⟧. Zmień je po pierwszym logowaniu.",
)
P("cs", "chat_thread", "Ahoj ⟦first⟧, heslo k Wi-Fi v kanceláři je ⟦pw⟧.")
P("cs", "invoice", "Faktura č. ⟦inv⟧\nOdběratel: ⟦name⟧\nZaplaceno kartou ⟦card⟧\nE-mail: ⟦email⟧")
P("cs", "email_business", "Dobrý den, posílám přístup k serveru: IP ⟦ip4⟧, uživatel root, heslo ⟦pw⟧.")
P("sk", "chat_thread", "Ahoj ⟦first⟧, prihlasovacie heslo do e-shopu je ⟦pw⟧ a meno ⟦email⟧.")
P("sk", "it_support_email", "Dobrý deň, náš server ⟦ip4⟧ neodpovedá od rána. Kontakt: ⟦email⟧")
P("hu", "chat_thread", "Szia ⟦first⟧! A webshop admin jelszava: ⟦pw⟧, felhasználónév: ⟦email⟧.")
P("hu", "invoice", "Számla ⟦inv⟧\nVevő: ⟦name⟧\nFizetve bankkártyával: ⟦card⟧")
P("ro", "chat_thread", "Salut ⟦first⟧, parola de la contul firmei este ⟦pw⟧, iar emailul este ⟦email⟧.")
P("ro", "invoice", "Factura ⟦inv⟧\nClient: ⟦name⟧\nPlătit cu cardul ⟦card⟧")
P("bg", "chat_thread", "Здравей, ⟦first⟧! Паролата за сайта е ⟦pw⟧, а потребителят е ⟦email⟧.")
P("bg", "email_business", "Сървърът ни е на ⟦ip4⟧, паролата за root е ⟦pw⟧.")
P("el", "chat_thread", "Γεια σου ⟦first⟧, ο κωδικός για το wifi του γραφείου είναι ⟦pw⟧.")
P("el", "invoice", "Τιμολόγιο ⟦inv⟧\nΠελάτης: ⟦name⟧\nΠληρωμή με κάρτα ⟦card⟧\nEmail: ⟦email⟧")
P("ru", "chat_thread", "Привет, ⟦first⟧! Пароль от админки сайта: ⟦pw⟧, логин ⟦email⟧.")
P(
    "ru",
    "it_support_email",
    "Добрый день! Не могу подключиться к серверу ⟦ip4⟧. Логин ⟦user⟧, пароль ⟦pw⟧. Ответ, пожалуйста, на ⟦email⟧.",
)
P("ru", "invoice", "Счёт № ⟦inv⟧\nПокупатель: ⟦name⟧\nОплачено картой ⟦card⟧")
P("ru", "chat_thread", "⟦first#a⟧: скинь токен бота\n⟦first#b⟧: ⟦telegram⟧\n⟦first#a⟧: спасибо, после теста перевыпущу")
P("uk", "chat_thread", "Привіт, ⟦first⟧! Пароль до поштової скриньки: ⟦pw⟧.")
P("uk", "invoice", "Рахунок № ⟦inv⟧\nОплачено карткою ⟦card⟧\nЕл. пошта: ⟦email⟧")
P("tr", "chat_thread", "Merhaba ⟦first⟧, muhasebe programının şifresi ⟦pw⟧, kullanıcı adı ⟦email⟧.")
P("tr", "invoice", "Fatura No: ⟦inv⟧\nMüşteri: ⟦name⟧\nKart: ⟦card⟧\nToplam: ⟦amount⟧ TL")
P("tr", "email_business", "Sunucunun IP adresi ⟦ip4⟧, root şifresi ⟦pw⟧. Lütfen kimseyle paylaşma.")
P("ar", "chat_thread", "مرحباً ⟦first⟧، كلمة مرور حساب المتجر هي ⟦pw⟧ والبريد الإلكتروني ⟦email⟧.")
P("ar", "invoice", "فاتورة رقم ⟦inv⟧\nالعميل: ⟦name⟧\nالدفع بالبطاقة: ⟦card⟧")
P("he", "chat_thread", "היי ⟦first⟧, הסיסמה לוויי-פיי במשרד היא ⟦pw⟧.")
P("he", "invoice", 'חשבונית ⟦inv⟧\nלקוח: ⟦name⟧\nשולם בכרטיס ⟦card⟧\nדוא"ל: ⟦email⟧')
P("fa", "chat_thread", "سلام ⟦first⟧، رمز عبور پنل سایت ⟦pw⟧ است و نام کاربری ⟦email⟧.")
P("fa", "email_business", "آی‌پی سرور ما ⟦ip4⟧ است. لطفاً آن را در فایروال مجاز کنید.")
P("hi", "chat_thread", "नमस्ते ⟦first⟧, दुकान के खाते का पासवर्ड ⟦pw⟧ है और ईमेल ⟦email⟧ है।")
P("hi", "invoice", "बिल संख्या ⟦inv⟧\nग्राहक: ⟦name⟧\nकार्ड: ⟦card⟧")
P("bn", "chat_thread", "হ্যালো ⟦first⟧, অফিসের ওয়াই-ফাই পাসওয়ার্ড হলো ⟦pw⟧।")
P("bn", "email_business", "আমার ইমেইল ⟦email⟧, সার্ভারের আইপি ⟦ip4⟧।")
P("zh", "chat_thread", "⟦first⟧你好，店铺后台的账号是⟦email⟧，密码是⟦pw⟧，请不要外传。")
P("zh", "invoice", "发票号：⟦inv⟧\n客户：⟦name⟧\n支付卡号：⟦card⟧")
P("zh", "shared_note", "服务器IP：⟦ip4⟧，root密码：⟦pw⟧")
P("zh", "chat_thread", "⟦first#a⟧：OpenAI的key发我一下\n⟦first#b⟧：⟦openai⟧\n⟦first#a⟧：收到")
P("ja", "chat_thread", "⟦first⟧さん、事務所のWi-Fiのパスワードは ⟦pw⟧ です。")
P("ja", "invoice", "請求書番号：⟦inv⟧\nお客様：⟦name⟧ 様\nお支払いカード：⟦card⟧\nメール：⟦email⟧")
P("ja", "it_support_email", "サーバー（⟦ip4⟧）のrootパスワードを ⟦pw⟧ に変更しました。")
P("ko", "chat_thread", "⟦first⟧님, 쇼핑몰 관리자 비밀번호는 ⟦pw⟧ 입니다. 아이디는 ⟦email⟧ 이에요.")
P("ko", "receipt", "영수증\n카드번호: ⟦card⟧\n금액: ⟦amount⟧원")
P("vi", "chat_thread", "Chào ⟦first⟧, mật khẩu wifi văn phòng là ⟦pw⟧ nhé.")
P("vi", "invoice", "Hóa đơn số ⟦inv⟧\nKhách hàng: ⟦name⟧\nThẻ thanh toán: ⟦card⟧\nEmail: ⟦email⟧")
P("th", "chat_thread", "สวัสดี ⟦first⟧ รหัสผ่านไวไฟของร้านคือ ⟦pw⟧ นะ")
P("th", "receipt", "ใบเสร็จ ⟦inv⟧\nบัตร: ⟦card⟧\nอีเมล: ⟦email⟧")
P("id", "chat_thread", "Halo ⟦first⟧, password akun toko online kita ⟦pw⟧, email login ⟦email⟧.")
P("id", "email_business", "Server kantor bisa diakses di ⟦ip4⟧ dengan user admin dan password ⟦pw⟧.")
P("ms", "chat_thread", "Hai ⟦first⟧, kata laluan wifi pejabat ialah ⟦pw⟧.")
P("ms", "invoice", "Invois ⟦inv⟧\nPelanggan: ⟦name⟧\nKad: ⟦card⟧")
P("tl", "chat_thread", "Uy ⟦first⟧, ang password ng wifi sa opisina ay ⟦pw⟧.")
P("tl", "email_personal", "Pakisend ang resibo sa ⟦email⟧. Ito ang card na ginamit ko: ⟦card⟧")
P("sw", "chat_thread", "Habari ⟦first⟧, nenosiri la akaunti ya duka ni ⟦pw⟧ na barua pepe ni ⟦email⟧.")
P("sw", "email_business", "Seva yetu iko kwenye anwani ⟦ip4⟧. Tafadhali iruhusu kwenye firewall.")
P("hr", "chat_thread", "Bok ⟦first⟧, lozinka za wifi u uredu je ⟦pw⟧.")
P("hr", "invoice", "Račun br. ⟦inv⟧\nKupac: ⟦name⟧\nPlaćeno karticom ⟦card⟧")
P("sl", "chat_thread", "Živjo ⟦first⟧, geslo za spletno trgovino je ⟦pw⟧, uporabniško ime pa ⟦email⟧.")
P("lt", "chat_thread", "Labas, ⟦first⟧! Biuro Wi-Fi slaptažodis: ⟦pw⟧")
P("lv", "chat_thread", "Sveiki, ⟦first⟧! Biroja Wi-Fi parole ir ⟦pw⟧.")
P("et", "chat_thread", "Tere ⟦first⟧! Kontori wifi parool on ⟦pw⟧.")
P("ca", "chat_thread", "Hola ⟦first⟧, la contrasenya del wifi de la botiga és ⟦pw⟧.")
P("sr", "chat_thread", "Zdravo ⟦first⟧, lozinka za administraciju sajta je ⟦pw⟧, a korisničko ime ⟦email⟧.")
P("lt", "invoice", "Sąskaita ⟦inv⟧\nPirkėjas: ⟦name⟧\nApmokėta kortele ⟦card⟧")
P("et", "email_business", "Tere! Meie serveri IP-aadress on ⟦ip4⟧, kontaktisik ⟦email⟧.")
P("ca", "invoice", "Factura ⟦inv⟧\nClient: ⟦name⟧\nPagat amb targeta ⟦card⟧\nCorreu: ⟦email⟧")
P("sr", "invoice", "Račun ⟦inv⟧\nKupac: ⟦name⟧\nPlaćeno karticom ⟦card⟧")
P("lv", "email_business", "Labdien! Mūsu e-pasts ir ⟦email⟧, serveris atrodas uz ⟦ip4⟧.")
P("sl", "invoice", "Račun ⟦inv⟧\nKupec: ⟦name⟧\nPlačano s kartico ⟦card⟧")

# ---- developer positives
D(
    "env_file",
    "# .env (production)\nAPP_ENV=production\nDB_HOST=⟦priv_ip⟧\nDB_USER=⟦user⟧\nDB_PASSWORD=⟦pw⟧\nSTRIPE_SECRET_KEY=⟦sk_live⟧\nSTRIPE_PUBLISHABLE_KEY=⟦pk_live⟧",
)
D("env_file", "AWS_ACCESS_KEY_ID=⟦aws_akid⟧\nAWS_SECRET_ACCESS_KEY=⟦aws_secret⟧\nAWS_DEFAULT_REGION=⟦region⟧")
D(
    "env_file",
    "APP_NAME=Shop\nAPP_ENV=local\nAPP_KEY=base64:⟦laravel⟧\nMAIL_MAILER=smtp\nMAIL_USERNAME=⟦email⟧\nMAIL_PASSWORD=⟦pw⟧",
)
D(
    "python_code",
    'from openai import OpenAI\n\nclient = OpenAI(api_key="⟦openai⟧")  # TODO: move to env before pushing\nresp = client.responses.create(model="gpt-4.1-mini", input="hello")',
)
D(
    "python_code",
    "from anthropic import Anthropic\n\nclient = Anthropic(api_key='⟦anthropic⟧')\nmsg = client.messages.create(model='claude-3-5-haiku-latest', max_tokens=256, messages=[{'role': 'user', 'content': 'hi'}])",
)
D(
    "js_code",
    "const sgMail = require('@sendgrid/mail');\nsgMail.setApiKey('⟦sendgrid⟧');\nawait sgMail.send({ to: '⟦email⟧', from: '⟦email⟧', subject: 'Your order', text: 'Thanks!' });",
)
D(
    "shell_session",
    "$ git clone https://⟦user⟧:⟦ghp⟧@github.com/⟦user⟧/shop-theme.git\nCloning into 'shop-theme'...\nremote: Enumerating objects: ⟦int⟧, done.",
)
D("shell_session", '$ curl -u ⟦user⟧:⟦pw⟧ https://api.⟦bizdomain⟧/v1/orders?status=open\n{"orders": [], "count": 0}')
D("curl_command", 'curl -s -H "Authorization: Bearer ⟦glpat⟧" "https://gitlab.com/api/v4/projects?membership=true"')
D(
    "docker_compose",
    "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: ⟦user#u⟧\n      POSTGRES_PASSWORD: ⟦pwu#p⟧\n  app:\n    build: .\n    environment:\n      DATABASE_URL: postgres://⟦user#u⟧:⟦pwu#p⟧@db:5432/app",
)
D(
    "k8s_manifest",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ⟦k8sname⟧\ntype: Opaque\ndata:\n  username: ⟦b64user⟧\n  password: ⟦k8s_b64⟧",
)
D(
    "http_request",
    "GET /api/orders HTTP/1.1\nHost: api.⟦bizdomain⟧\nAuthorization: Basic ⟦basic_b64⟧\nX-Request-ID: ⟦uuid⟧\nAccept: application/json",
)
D(
    "app_log",
    '⟦ip4⟧ - - [⟦clf⟧] "GET /login HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n⟦ip4⟧ - - [⟦clf⟧] "POST /api/cart HTTP/1.1" 201 88 "-" "okhttp/4.12.0"\n⟦ip6⟧ - - [⟦clf⟧] "GET /favicon.ico HTTP/1.1" 404 153 "-" "Mozilla/5.0"',
)
D(
    "app_log",
    "sshd[⟦pid⟧]: Failed password for invalid user admin from ⟦ip4⟧ port ⟦port⟧ ssh2\nsshd[⟦pid⟧]: Failed password for root from ⟦ip4⟧ port ⟦port⟧ ssh2\nsshd[⟦pid⟧]: Accepted publickey for deploy from ⟦ip6⟧ port ⟦port⟧ ssh2",
)
D("app_log", "⟦ts⟧ DEBUG payment.request card_number=⟦card⟧ amount=⟦amount⟧ customer_email=⟦email⟧ client_ip=⟦ip4⟧")
D(
    "yaml_config",
    'smtp:\n  host: smtp.⟦bizdomain⟧\n  port: 587\n  username: ⟦email⟧\n  password: "⟦pw⟧"\n  starttls: true',
)
D("json_config", '{\n  "slack": {\n    "bot_token": "⟦xoxb⟧",\n    "channel": "#alerts"\n  },\n  "retry": 3\n}')
D(
    "python_code",
    "import telebot\n\nbot = telebot.TeleBot(\"⟦telegram⟧\")\n\n@bot.message_handler(commands=['start'])\ndef start(m):\n    bot.reply_to(m, 'Hi!')",
)
D(
    "js_code",
    "const { Client, GatewayIntentBits } = require('discord.js');\nconst client = new Client({ intents: [GatewayIntentBits.Guilds] });\nclient.login('⟦discord⟧');",
)
D("npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=⟦npm⟧\nalways-auth=true")
D("pypirc", "[distutils]\nindex-servers = pypi\n\n[pypi]\n  username = __token__\n  password = ⟦pypi⟧")
D(
    "terraform",
    'provider "digitalocean" {\n  token = "⟦dop⟧"\n}\n\nresource "digitalocean_droplet" "web" {\n  image  = "ubuntu-24-04-x64"\n  region = "fra1"\n  size   = "s-1vcpu-1gb"\n}',
)
D(
    "terraform",
    'provider "aws" {\n  region     = "⟦region⟧"\n  access_key = "⟦aws_akid⟧"\n  secret_key = "⟦aws_secret⟧"\n}',
)
D("shell_session", "$ export HF_TOKEN=⟦hf⟧\n$ huggingface-cli login --token $HF_TOKEN\nLogin successful")
D(
    "ci_config",
    "name: deploy\non: [push]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      SHOPIFY_ACCESS_TOKEN: ⟦shopify⟧\n      SHOP_DOMAIN: ⟦acct⟧.myshopify.com\n    steps:\n      - uses: actions/checkout@v4",
)
D(
    "php_code",
    "<?php\nuse Mailgun\\Mailgun;\n$mg = Mailgun::create('⟦mailgun⟧');\n$mg->messages()->send('mg.⟦bizdomain⟧', ['from' => '⟦email⟧', 'to' => '⟦email⟧', 'subject' => 'Hi']);",
)
D("go_code", 'package notify\n\nconst (\n\ttwilioAccountSID = "AC⟦hex32u⟧"\n\ttwilioAuthToken  = "⟦twilio_auth⟧"\n)')
D(
    "java_properties",
    "spring.datasource.url=jdbc:mysql://⟦priv_ip⟧:3306/shop\nspring.datasource.username=⟦user⟧\nspring.datasource.password=⟦pw⟧\nspring.jpa.hibernate.ddl-auto=validate",
)
D("ini_config", "[database]\nhost = ⟦ip4⟧\nport = 5432\nuser = ⟦user⟧\npassword = ⟦pw⟧\n\n[cache]\nhost = ⟦priv_ip⟧")
D("shell_session", "$ cat ~/.ssh/id_ed25519\n⟦openssh⟧\n$ chmod 600 ~/.ssh/id_ed25519")
D(
    "json_config",
    '{\n  "type": "service_account",\n  "project_id": "shop-analytics-⟦n3⟧",\n  "private_key_id": "⟦sha1⟧",\n  "private_key": "⟦privkey_json⟧\\n",\n  "client_email": "⟦email⟧",\n  "token_uri": "https://oauth2.googleapis.com/token"\n}',
)
D("app_log", "⟦ts⟧ INFO auth: issued access token for user_id=⟦int⟧: ⟦jwt⟧")
D(
    "http_request",
    "POST /cart/checkout HTTP/2\nHost: shop.⟦bizdomain⟧\nCookie: sessionid=⟦session⟧; theme=dark; lang=en\nContent-Type: application/json",
)
D(
    "python_code",
    "import requests\n\nheaders = {'Authorization': 'Bearer ⟦jwt⟧'}\nr = requests.get('https://api.⟦bizdomain⟧/v2/me', headers=headers, timeout=10)",
)
D(
    "env_file",
    "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=⟦acct⟧;AccountKey=⟦azure_key⟧;EndpointSuffix=core.windows.net",
)
D("ruby_code", "require 'stripe'\nStripe.api_key = '⟦sk_test⟧'\nStripe::Customer.create(email: '⟦email⟧')")
D("env_file", "STRIPE_SECRET_KEY=⟦sk_live⟧\nSTRIPE_WEBHOOK_SECRET=⟦whsec⟧\nCURRENCY=eur")
D("env_file", "SQUARE_ENVIRONMENT=production\nSQUARE_ACCESS_TOKEN=⟦square⟧\nSQUARE_LOCATION_ID=L⟦rs14⟧")
D(
    "json_config",
    '{\n  "name": "shop-api",\n  "values": [\n    { "key": "baseUrl", "value": "https://api.⟦bizdomain⟧" },\n    { "key": "postmanApiKey", "value": "⟦postman⟧" }\n  ]\n}',
)
D("shell_session", "$ doppler run --token ⟦doppler⟧ -- npm start\n> shop@1.0.0 start\n> node server.js")
D(
    "python_code",
    "import httpx\n\nLINEAR_KEY = \"⟦linear⟧\"\nr = httpx.post('https://api.linear.app/graphql', headers={'Authorization': LINEAR_KEY}, json={'query': '{ viewer { id } }'})",
)
D("env_file", "NEW_RELIC_API_KEY=⟦newrelic⟧\nNEW_RELIC_APP_NAME=shop-web")
D("ini_config", "[DEFAULT]\nhost = https://adb-⟦int⟧⟦int⟧.azuredatabricks.net\ntoken = ⟦databricks⟧")
D("env_file", "NOTION_TOKEN=⟦notion⟧\nNOTION_DATABASE_ID=⟦hex32u⟧")
D("env_file", "GRAFANA_URL=https://grafana.⟦bizdomain⟧\nGRAFANA_SA_TOKEN=⟦grafana⟧")
D(
    "shell_session",
    "$ export VAULT_ADDR=https://vault.⟦bizdomain⟧:8200\n$ export VAULT_TOKEN=⟦vault_hvs⟧\n$ vault kv get secret/shop/db",
)
D("hcl_config", 'credentials "app.terraform.io" {\n  token = "⟦tfc⟧"\n}')
D("env_file", "DATABASE_URL=mysql://⟦user⟧:⟦pscale⟧@aws.connect.psdb.cloud/shop?sslaccept=strict")
D("shell_session", "$ supabase login --token ⟦supabase⟧\nYou are now logged in. Happy coding!")
D(
    "env_file",
    "ALIBABA_CLOUD_ACCESS_KEY_ID=⟦alibaba_id⟧\nALIBABA_CLOUD_ACCESS_KEY_SECRET=⟦alibaba_secret⟧\nOSS_BUCKET=shop-assets",
)
D("curl_command", "curl -H 'X-Figma-Token: ⟦figma⟧' 'https://api.figma.com/v1/files/⟦rs14⟧'")
D(
    "python_code",
    "import dropbox\n\ndbx = dropbox.Dropbox('⟦dropbox⟧')\nfor entry in dbx.files_list_folder('').entries:\n    print(entry.name)",
)
D("env_file", "SENTRY_ORG=⟦acct⟧\nSENTRY_PROJECT=shop-web\nSENTRY_AUTH_TOKEN=⟦sentry⟧")
D("env_file", "BREVO_API_KEY=⟦brevo⟧\nNEWSLETTER_LIST_ID=⟦n⟧")
D(
    "gradle_properties",
    "# ~/.gradle/gradle.properties\nMAPBOX_DOWNLOADS_TOKEN=⟦mapbox_sk⟧\norg.gradle.jvmargs=-Xmx2048m",
)
D("key_file", "# created: ⟦ts⟧\n# public key: ⟦age_pub⟧\n⟦age⟧")
D(
    "ci_config",
    "variables:\n  PULUMI_ACCESS_TOKEN: ⟦pulumi⟧\n  STACK: prod\ndeploy:\n  script:\n    - pulumi up --yes --stack $STACK",
)
D("shell_session", "$ netlify deploy --prod --auth ⟦netlify⟧ --dir dist\nDeploy is live!")
D(
    "js_code",
    "const Airtable = require('airtable');\nconst base = new Airtable({ apiKey: '⟦airtable⟧' }).base('app⟦rs14⟧');",
)
D("env_file", "GROQ_API_KEY=⟦groq⟧\nREPLICATE_API_TOKEN=⟦replicate⟧")
D("env_file", "RENDER_API_KEY=⟦render⟧\nRENDER_SERVICE=srv-⟦rs14⟧")
D("html", '<script async src="https://maps.googleapis.com/maps/api/js?key=⟦google_api⟧&callback=initMap"></script>')
D("git_credentials", "https://⟦user⟧:⟦gho⟧@github.com\nhttps://oauth2:⟦glpat⟧@gitlab.com")
D(
    "shell_session",
    "$ gitlab-runner register --non-interactive --url https://gitlab.com --token ⟦glrt⟧ --executor docker",
)
D("env_file", "GH_TOKEN=⟦github_pat⟧\nGH_REPO=⟦user⟧/storefront")
D(
    "python_code",
    'from slack_sdk import WebClient\n\nclient = WebClient(token="⟦xoxp⟧")\nclient.chat_postMessage(channel="#orders", text="New order!")',
)
D("env_file", "# restricted key for the reporting job\nSTRIPE_RK=⟦rk_live⟧\nSLACK_APP_TOKEN=⟦xapp⟧")
D("yaml_config", "jira:\n  url: https://⟦acct⟧.atlassian.net\n  email: ⟦email⟧\n  api_token: ⟦atlassian⟧")
D(
    "shell_session",
    "$ mysql -h ⟦ip4⟧ -u ⟦user⟧ -p⟦pwu⟧ shop\nmysql: [Warning] Using a password on the command line interface can be insecure.",
)
D("app_log", "⟦ts⟧ ERROR could not connect to postgresql://⟦user⟧:⟦pwu⟧@⟦ip4⟧:5432/orders: timeout expired")
D("env_file", "REDIS_URL=redis://default:⟦pwu⟧@⟦ip4⟧:6379/0\nQUEUE=default")
D(
    "js_code",
    "const uri = 'mongodb+srv://⟦user⟧:⟦pwu⟧@cluster0.⟦rs5⟧.mongodb.net/?retryWrites=true&w=majority';\nconst client = new MongoClient(uri);",
)
D(
    "python_code",
    "import pika\n\nparams = pika.URLParameters('amqp://⟦user⟧:⟦pwu⟧@⟦priv_ip⟧:5672/%2F')\nconn = pika.BlockingConnection(params)",
)
D(
    "php_code",
    "define( 'DB_NAME', 'wp_shop' );\ndefine( 'DB_USER', '⟦user⟧' );\ndefine( 'DB_PASSWORD', '⟦pw⟧' );\ndefine( 'AUTH_KEY', '⟦wpsalt⟧' );",
)
D(
    "python_code",
    "# settings/production.py\nDEBUG = False\nSECRET_KEY = '⟦django⟧'\nALLOWED_HOSTS = ['shop.⟦bizdomain⟧']",
)
D("env_file", "JWT_SECRET=⟦key64⟧\nJWT_EXPIRES_IN=3600")
D("env_file", "GITHUB_WEBHOOK_SECRET=⟦hex40⟧\nPORT=⟦port⟧")
D(
    "wireguard_config",
    "[Interface]\nPrivateKey = ⟦wg_key⟧\nAddress = 10.8.0.⟦oct⟧/32\nDNS = 10.8.0.1\n\n[Peer]\nPublicKey = ⟦wg_pub⟧\nEndpoint = ⟦ip4⟧:51820\nAllowedIPs = 0.0.0.0/0",
)
D("wpa_supplicant", 'network={\n    ssid="⟦wifi⟧"\n    psk="⟦pw⟧"\n    key_mgmt=WPA-PSK\n}')
D(
    "ansible_inventory",
    "[web]\n⟦ip4⟧ ansible_user=root ansible_password=⟦pw⟧\n⟦ip4⟧ ansible_user=root ansible_password=⟦pw⟧",
)
D(
    "stack_trace",
    'Traceback (most recent call last):\n  File "sync.py", line 42, in <module>\n    r.raise_for_status()\nrequests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://api.⟦bizdomain⟧/v2/items?api_key=⟦apikey⟧&page=2',
)
D(
    "jupyter_cell",
    "In [3]: import os\n   ...: os.environ['OPENAI_API_KEY'] = '⟦openai⟧'\n   ...: os.environ['ANTHROPIC_API_KEY'] = '⟦anthropic⟧'",
)
D(
    "git_diff",
    "--- a/mailer.py\n+++ b/mailer.py\n@@ -3,3 +3,3 @@\n-API_KEY = os.getenv('SENDGRID_API_KEY')\n+API_KEY = '⟦sendgrid⟧'  # quick fix, revert later\n sg = SendGridAPIClient(API_KEY)",
)
D(
    "sql_dump",
    "INSERT INTO users (id, email, signup_ip) VALUES\n(⟦int⟧, '⟦email⟧', '⟦ip4⟧'),\n(⟦int⟧, '⟦email⟧', '⟦ip6⟧'),\n(⟦int⟧, '⟦email⟧', '⟦ip4⟧');",
)
D("csv_export", "email,last_login_ip,plan\n⟦email⟧,⟦ip4⟧,pro\n⟦email⟧,⟦ip4⟧,free\n⟦email⟧,⟦ip6⟧,pro")
D(
    "shell_session",
    "# block scanners seen in the logs\niptables -A INPUT -s ⟦ip4⟧ -j DROP\niptables -A INPUT -s ⟦ip4⟧/24 -j DROP\nip6tables -A INPUT -s ⟦ip6⟧ -j DROP",
)
D("nginx_config", "location /admin {\n    allow ⟦ip4⟧;\n    allow ⟦ip6⟧;\n    allow 192.168.0.0/16;\n    deny all;\n}")
D(
    "crash_report",
    "Unhandled exception in CheckoutController\nPaymentDeclinedException: issuer declined card=⟦card⟧ exp=⟦exp⟧ ip=⟦ip4⟧\n  at Shop.Payments.Charge(Order order)",
)
D(
    "app_log",
    "⟦ts⟧ fail2ban.actions [⟦pid⟧]: NOTICE [sshd] Ban ⟦ip4⟧\n⟦ts⟧ fail2ban.actions [⟦pid⟧]: NOTICE [sshd] Ban ⟦ip4⟧\n⟦ts⟧ fail2ban.actions [⟦pid⟧]: NOTICE [nginx-http-auth] Ban ⟦ip6⟧",
)
D(
    "dns_zone",
    "$ORIGIN ⟦bizdomain⟧.\n@     3600 IN A     ⟦ip4⟧\nwww   3600 IN A     ⟦ip4⟧\n@     3600 IN AAAA  ⟦ip6⟧\nmail  3600 IN MX 10 mx.⟦bizdomain⟧.",
)
D("bash_history", "ssh root@⟦ip4#h⟧\nsshpass -p '⟦pw⟧' scp backup.tar.gz root@⟦ip4#h⟧:/srv/backups/\nhistory -c")
D("shell_session", "$ echo ⟦ghp⟧ | docker login ghcr.io -u ⟦user⟧ --password-stdin\nLogin Succeeded")
D(
    "shell_session",
    "$ kubectl create secret generic smtp-auth --from-literal=username=⟦user⟧ --from-literal=password='⟦pw⟧'\nsecret/smtp-auth created",
)
D(
    "helm_values",
    "postgresql:\n  auth:\n    username: ⟦user⟧\n    postgresPassword: ⟦pw⟧\n    database: shop\nredis:\n  auth:\n    password: ⟦pwu⟧",
)
D("php_code", "$pdo = new PDO('mysql:host=⟦ip4⟧;dbname=shop;charset=utf8mb4', '⟦user⟧', '⟦pw⟧');")
D(
    "csharp_code",
    'var connStr = "Server=⟦priv_ip⟧;Database=Shop;User Id=⟦user⟧;Password=⟦pw⟧;TrustServerCertificate=True";\nusing var conn = new SqlConnection(connStr);',
)
D("toml_config", '[http-basic.private-repo]\nusername = "⟦user⟧"\npassword = "⟦pw⟧"')
D(
    "java_code",
    'public class GatewayConfig {\n    private static final String API_KEY = "⟦apikey⟧"; // payment gateway\n    private static final String ENDPOINT = "https://pay.⟦bizdomain⟧/v1";\n}',
)
D(
    "chat_thread",
    "#dev-ops\n⟦first#a⟧: @⟦first#b⟧ staging DB pw is ⟦pw⟧, host ⟦ip4⟧\n⟦first#b⟧: thx, rotating it after the demo",
)
D(
    "app_log",
    "⟦ts⟧ mailer: bounce for ⟦email⟧ (550 5.1.1 user unknown)\n⟦ts⟧ mailer: bounce for ⟦email⟧ (552 mailbox full)",
)
D("vpn_config", "# auth-user-pass file for OpenVPN (auth.txt)\n⟦user⟧\n⟦pw⟧")
D("rclone_config", "[b2-backup]\ntype = b2\naccount = 00⟦hex8⟧⟦hex4⟧\nkey = ⟦b2key⟧\nhard_delete = false")
D(
    "app_log",
    "postfix/smtpd[⟦pid⟧]: connect from unknown[⟦ip4#c⟧]\npostfix/smtpd[⟦pid⟧]: NOQUEUE: reject: RCPT from unknown[⟦ip4#c⟧]: 554 5.7.1 Relay access denied; from=<⟦email⟧> to=<⟦email⟧>",
)
D("shell_session", "$ ssh-keygen -y -f deploy_key\nEnter passphrase: ⟦pp⟧\n$ cat deploy_key\n⟦privkey⟧")
D(
    "yaml_config",
    "# config.yaml - Einstellungen für den Shop-Export\nexport:\n  ftp_host: ⟦ip4⟧\n  ftp_user: ⟦user⟧\n  ftp_pass: ⟦pw⟧  # Passwort vom Hoster, nicht ändern",
    "de",
)
D(
    "python_code",
    "# Configuración del envío de correos\nSMTP_USER = '⟦email⟧'\nSMTP_PASS = '⟦pw⟧'  # contraseña de aplicación\nSMTP_HOST = 'smtp.⟦bizdomain⟧'",
    "es",
)
D(
    "js_code",
    "// Chave da API de pagamentos (não commitar!)\nconst PAGAMENTO_API_KEY = '⟦sk_live⟧';\nconst LOJA_EMAIL = '⟦email⟧';",
    "pt",
)
D("env_file", "# Настройки бота\nTELEGRAM_BOT_TOKEN=⟦telegram⟧\nADMIN_EMAIL=⟦email⟧", "ru")
D(
    "ini_config",
    "; Paramètres de connexion à la base\n[db]\nhôte = ⟦ip4⟧\nutilisateur = ⟦user⟧\nmot_de_passe = ⟦pw⟧",
    "fr",
)
D("python_code", '# 通知用のSlackトークン\nSLACK_TOKEN = "⟦xoxb⟧"\n# 管理者のメール\nADMIN = "⟦email⟧"', "ja")
D("yaml_config", "# konfiguracja kopii zapasowych\nbackup:\n  host: ⟦ip4⟧\n  user: ⟦user⟧\n  haslo: ⟦pw⟧", "pl")
D("env_file", "# Configurazione pagamenti\nSTRIPE_KEY=⟦sk_test⟧\nEMAIL_ASSISTENZA=⟦email⟧", "it")
D(
    "http_request",
    "POST /v1/charges HTTP/1.1\nHost: api.stripe.com\nAuthorization: Bearer ⟦sk_live⟧\nIdempotency-Key: ⟦uuid⟧\nContent-Type: application/x-www-form-urlencoded",
)
D("app_log", "⟦ts⟧ WARN webhook signature mismatch, secret=⟦whsec⟧ remote_addr=⟦ip4⟧")
D(
    "yaml_config",
    "newsletter:\n  provider: mailchimp\n  api_key: ⟦mailchimp⟧\n  list_id: ⟦hex8⟧⟦hex4⟧\n  reply_to: ⟦email⟧",
)
D("shell_session", "$ gh auth login --with-token <<< ⟦ghp⟧\n$ gh repo list ⟦user⟧")
D(
    "python_code",
    "import boto3\n\ns3 = boto3.client(\n    's3',\n    aws_access_key_id='⟦aws_akid⟧',\n    aws_secret_access_key='⟦aws_secret⟧',\n)",
)

# ---- natural-language hard negatives
N(
    "en",
    "email_business",
    "order_number",
    "Hello ⟦first⟧,\nthanks for your order ⟦order⟧ placed on ⟦date⟧. We'll let you know as soon as it ships.\nThe ⟦shop⟧ team",
)
N(
    "de",
    "email_business",
    "order_number",
    "Hallo ⟦first⟧, deine Bestellung ⟦order⟧ vom ⟦date⟧ ist eingegangen. Du bekommst eine Nachricht, sobald sie unterwegs ist.",
)
N("es", "sms_message", "order_number", "Pedido ⟦order⟧ confirmado. Gracias por comprar en ⟦shop⟧, ⟦first⟧.")
N("pl", "email_business", "order_number", "Zamówienie nr ⟦order⟧ z dnia ⟦date⟧ zostało przyjęte do realizacji.")
N(
    "tr",
    "sms_message",
    "order_number",
    "Sipariş numaranız: ⟦order⟧. Kargoya verildiğinde SMS ile bilgilendirileceksiniz.",
)
N(
    "en",
    "spreadsheet_paste",
    "order_number",
    "order\tdate\tstatus\n⟦order⟧\t⟦date⟧\tshipped\n⟦order⟧\t⟦date⟧\tpending\n⟦order⟧\t⟦date⟧\treturned",
)
N("fr", "sms_message", "tracking_number", "Bonjour ⟦first⟧, votre colis ⟦track⟧ sera livré le ⟦date⟧.")
N("nl", "email_business", "tracking_number", "Je pakket ⟦track⟧ is onderweg en wordt op ⟦date⟧ bezorgd.")
N("it", "sms_message", "tracking_number", "La spedizione ⟦track⟧ è in consegna oggi, ⟦date⟧.")
N("ru", "sms_message", "tracking_number", "Ваша посылка ⟦track⟧ прибыла в пункт выдачи ⟦date⟧.")
N("zh", "sms_message", "tracking_number", "您的快递单号为⟦track⟧，预计⟦date⟧送达。")
N(
    "en",
    "chat_thread",
    "tracking_number",
    "⟦first#a⟧: did the printer toner arrive?\n⟦first#b⟧: not yet, tracking says ⟦track⟧ is out for delivery",
)
N(
    "en",
    "email_business",
    "booking_reference",
    "Your booking reference is ⟦booking⟧. Flight ⟦flight⟧ on ⟦date⟧ at ⟦time⟧. Please have your passport ready at check-in.",
)
N(
    "es",
    "email_business",
    "booking_reference",
    "Localizador de la reserva: ⟦booking⟧. Vuelo ⟦flight⟧, salida a las ⟦time⟧.",
)
N("it", "email_business", "booking_reference", "Codice prenotazione: ⟦booking⟧. Hotel a ⟦city⟧, arrivo il ⟦date⟧.")
N("ja", "email_business", "booking_reference", "ご予約番号：⟦booking⟧\nチェックイン：⟦date⟧ ⟦time⟧")
N(
    "de",
    "email_business",
    "booking_reference",
    "Buchungsnummer ⟦booking⟧: Doppelzimmer für 2 Personen, Anreise am ⟦date⟧.",
)
N("pt", "email_business", "booking_reference", "Código da reserva: ⟦booking⟧. Voo ⟦flight⟧ em ⟦date⟧.")
N("el", "email_business", "booking_reference", "Κωδικός κράτησης: ⟦booking⟧, πτήση ⟦flight⟧ στις ⟦time⟧.")
N("sv", "invoice", "invoice_reference", "Fakturanummer ⟦inv⟧ förfaller ⟦date⟧. Belopp: ⟦amount⟧ kr.")
N(
    "de",
    "invoice",
    "invoice_reference",
    "Bitte überweisen Sie ⟦amount⟧ € unter Angabe der Rechnungsnummer ⟦inv⟧ bis zum ⟦date⟧.",
)
N("fi", "invoice", "invoice_reference", "Laskun numero ⟦inv⟧, eräpäivä ⟦date⟧, summa ⟦amount⟧ €.")
N("cs", "invoice", "invoice_reference", "Faktura ⟦inv⟧ je splatná ⟦date⟧. Částka: ⟦amount⟧ Kč.")
N("hu", "invoice", "invoice_reference", "A(z) ⟦inv⟧ számú számla fizetési határideje ⟦date⟧.")
N("en", "receipt", "masked_card", "Payment received, thank you! Card: ⟦masked_card⟧, amount ⟦amount⟧ USD, ⟦date⟧.")
N("de", "receipt", "masked_card", "Zahlung mit Karte **** **** **** ⟦last4⟧ erfolgreich. Betrag: ⟦amount⟧ €.")
N("fr", "sms_message", "masked_card", "Votre carte se terminant par ⟦last4⟧ a été débitée de ⟦amount⟧ € le ⟦date⟧.")
N("pt", "receipt", "masked_card", "Compra aprovada no cartão final ⟦last4⟧: R$ ⟦amount⟧.")
N("ko", "sms_message", "masked_card", "[승인] ⟦masked_card⟧ ⟦amount⟧원 ⟦date⟧ ⟦time⟧")
N("ja", "receipt", "masked_card", "ご利用カード：⟦masked_card⟧\nご利用金額：⟦amount⟧円")
N("ar", "sms_message", "masked_card", "تمت عملية شراء بالبطاقة المنتهية بـ ⟦last4⟧ بمبلغ ⟦amount⟧.")
N(
    "en",
    "form_confirmation",
    "ticket_number",
    "Your support request #⟦ticket⟧ has been received. A technician will contact you within ⟦n⟧ hours.",
)
N(
    "id",
    "email_business",
    "ticket_number",
    "Tiket bantuan #⟦ticket⟧ sudah kami terima, ⟦first⟧. Tim kami akan menghubungi Anda.",
)
N("vi", "email_business", "ticket_number", "Yêu cầu hỗ trợ số ⟦ticket⟧ của bạn đã được tiếp nhận.")
N(
    "de",
    "email_business",
    "customer_number",
    "Ihre Kundennummer lautet ⟦custno⟧. Bitte geben Sie diese bei Rückfragen an.",
)
N("nl", "email_business", "customer_number", "Uw klantnummer is ⟦custno⟧. Vermeld dit nummer bij al uw vragen.")
N("da", "email_business", "customer_number", "Dit kundenummer er ⟦custno⟧, ⟦first⟧.")
N(
    "en",
    "wiki_page",
    "password_policy",
    "Password rules (updated ⟦date⟧): at least ⟦n⟧ characters, mix of upper- and lower-case letters and digits, no reuse of the last 5 passwords. IT will never ask you for your password.",
)
N(
    "de",
    "wiki_page",
    "password_policy",
    "Passwortrichtlinie: mindestens ⟦n⟧ Zeichen, Groß- und Kleinbuchstaben sowie Ziffern. Passwörter nie per E-Mail verschicken. Stand: ⟦date⟧",
)
N(
    "fr",
    "onboarding_doc",
    "password_policy",
    "Votre mot de passe doit contenir au moins ⟦n⟧ caractères, dont une majuscule et un chiffre. Ne le communiquez jamais, même au support. (⟦first⟧, service informatique)",
)
N(
    "es",
    "onboarding_doc",
    "password_policy",
    "La contraseña debe tener al menos ⟦n⟧ caracteres y combinar letras y números. Nunca la envíes por correo ni por chat. Actualizado: ⟦date⟧",
)
N(
    "pl",
    "wiki_page",
    "password_policy",
    "Hasło musi mieć co najmniej ⟦n⟧ znaków i zawierać cyfrę. Zmieniaj je co ⟦n3⟧ dni.",
)
N(
    "ru",
    "wiki_page",
    "password_policy",
    "Пароль должен содержать не менее ⟦n⟧ символов, заглавные и строчные буквы и цифры. Не передавайте пароль коллегам. Обновлено: ⟦date⟧",
)
N(
    "ja",
    "wiki_page",
    "password_policy",
    "パスワードは⟦n⟧文字以上で、英大文字・小文字・数字を含めてください。（更新日：⟦date⟧）",
)
N(
    "ar",
    "wiki_page",
    "password_policy",
    "يجب أن تتكون كلمة المرور من ⟦n⟧ أحرف على الأقل وأن تحتوي على أرقام. لا تشارك كلمة المرور مع أحد. تاريخ التحديث: ⟦date⟧",
)
N(
    "tr",
    "wiki_page",
    "password_policy",
    "Şifreniz en az ⟦n⟧ karakter olmalı ve harf ile rakam içermelidir. Güncelleme: ⟦date⟧",
)
N(
    "it",
    "onboarding_doc",
    "password_policy",
    "La password deve avere almeno ⟦n⟧ caratteri e va cambiata ogni ⟦n3⟧ giorni. Non comunicarla a nessuno. (⟦first⟧, IT)",
)
N("ko", "wiki_page", "password_policy", "비밀번호는 ⟦n⟧자 이상이어야 하며 숫자와 영문을 섞어야 합니다. 갱신일: ⟦date⟧")
N(
    "zh",
    "wiki_page",
    "password_policy",
    "密码长度至少⟦n⟧位，需包含大小写字母和数字，请勿通过邮件发送密码。更新日期：⟦date⟧",
)
N("hi", "wiki_page", "password_policy", "पासवर्ड कम से कम ⟦n⟧ अक्षरों का होना चाहिए और उसमें अंक होने चाहिए। अद्यतन: ⟦date⟧")
N(
    "pt",
    "onboarding_doc",
    "password_policy",
    "A senha deve ter no mínimo ⟦n⟧ caracteres, com letras e números. Nunca compartilhe sua senha. Atualizado em ⟦date⟧.",
)
N(
    "sv",
    "wiki_page",
    "password_policy",
    "Lösenordet ska vara minst ⟦n⟧ tecken och innehålla både bokstäver och siffror. Uppdaterad ⟦date⟧.",
)
N(
    "en",
    "email_business",
    "password_reset_notice",
    "Your password was changed on ⟦date⟧ at ⟦time⟧. If this wasn't you, contact ⟦ex_email⟧ immediately.",
)
N(
    "de",
    "email_business",
    "password_reset_notice",
    "Ihr Passwort wurde am ⟦date⟧ um ⟦time⟧ geändert. Falls Sie das nicht waren, wenden Sie sich an ⟦ex_email⟧.",
)
N(
    "es",
    "email_business",
    "password_reset_notice",
    "Hemos recibido una solicitud para restablecer la contraseña de ⟦ex_email⟧. Si no fuiste tú, ignora este mensaje.",
)
N(
    "fr",
    "email_business",
    "password_reset_notice",
    "Votre mot de passe a été modifié le ⟦date⟧. Si vous n'êtes pas à l'origine de ce changement, contactez le support (ticket ⟦ticket⟧).",
)
N(
    "en",
    "onboarding_doc",
    "reserved_domain_email",
    "For testing the contact form, use ⟦ex_email⟧ as sender and ⟦ex_email⟧ as recipient. Never use real customer addresses.",
)
N(
    "de",
    "wiki_page",
    "reserved_domain_email",
    "Beispieladressen für Schulungen: ⟦ex_email⟧, ⟦ex_email⟧. Echte Kundendaten bitte nie verwenden.",
)
N(
    "en",
    "chat_thread",
    "username_only",
    "⟦first⟧: my login is ⟦user⟧ but I forgot the password, can you send me a reset link?",
)
N(
    "de",
    "it_support_email",
    "username_only",
    "Hallo IT, mein Benutzername ist ⟦user⟧. Ich habe mein Passwort vergessen, bitte setzt es zurück. Danke, ⟦first⟧",
)
N(
    "fr",
    "it_support_email",
    "username_only",
    "Bonjour, mon identifiant est ⟦user⟧ et mon compte est bloqué depuis ⟦time⟧. Merci, ⟦name⟧",
)
N(
    "es",
    "chat_thread",
    "username_only",
    "⟦first⟧: mi usuario es ⟦user⟧, ¿me desbloqueas la cuenta? no recuerdo la contraseña",
)
N(
    "en",
    "shared_note",
    "redacted_secret",
    "Router admin\nuser: admin\npassword: •••••••• (stored in the team vault, ask ⟦first⟧)",
)
N(
    "en",
    "it_support_email",
    "redacted_secret",
    "Hi, the logs show token=[REDACTED] for request ⟦uuid⟧. Can you tell me which integration this is? ⟦first⟧",
)
N(
    "de",
    "onboarding_doc",
    "placeholder",
    "Ihre Zugangsdaten\nBenutzername: ⟦user⟧\nPasswort: [wird beim ersten Login festgelegt]\nSupport: Durchwahl ⟦n3⟧",
)
N(
    "en",
    "wiki_page",
    "placeholder",
    "To connect the shop to the newsletter tool, open Settings > Integrations and paste <your API key> into the field. Owner: ⟦first⟧",
)
N(
    "en",
    "chat_thread",
    "private_ip",
    "⟦first#a⟧: printer is at ⟦priv_ip⟧ and the NAS at ⟦priv_ip⟧\n⟦first#b⟧: ok, adding them now",
)
N("de", "shared_note", "private_ip", "Der Drucker hat die IP ⟦priv_ip⟧, das NAS ⟦priv_ip⟧, der Router ⟦priv_ip⟧.")
N("es", "chat_thread", "private_ip", "El router de la tienda está en ⟦priv_ip⟧, entra desde la red interna.")
N("ru", "shared_note", "private_ip", "Камера у входа: ⟦priv_ip⟧, регистратор: ⟦priv_ip⟧.")
N("ja", "shared_note", "private_ip", "プリンターのIPアドレスは⟦priv_ip⟧です。")
N("de", "web_form", "crypto_wallet", "Spenden für den Verein gerne an BTC ⟦btc⟧ oder ETH ⟦eth⟧. Danke, ⟦first⟧!")
N("en", "email_personal", "crypto_wallet", "Send my share of the dinner to ⟦eth⟧ whenever you get a chance. ⟦first⟧")
N(
    "en",
    "it_support_email",
    "mac_address",
    "Please add my laptop to the guest network allowlist, MAC address ⟦mac⟧. Thanks, ⟦first⟧",
)
N(
    "en",
    "form_confirmation",
    "uuid_identifier",
    "Application received. Your application ID is ⟦uuid⟧. Keep it for your records.",
)
N("en", "web_form", "luhn_invalid_number", "The card number ⟦badcard⟧ is not valid. Please check it and try again.")
N("de", "web_form", "luhn_invalid_number", "Die Kartennummer ⟦badcard⟧ ist ungültig. Bitte prüfen Sie Ihre Eingabe.")
N(
    "en",
    "it_support_email",
    "version_number",
    "The router firmware is now on ⟦semver⟧ and the POS app on ⟦semver⟧. Let me know if anything breaks. ⟦first⟧",
)
N(
    "en",
    "email_business",
    "meeting_id",
    "Join the call: meeting ID ⟦n3⟧ ⟦n3⟧ ⟦n3⟧, dial-in via the app. See you at ⟦time⟧, ⟦first⟧",
)
N("de", "invoice", "tax_id", "USt-IdNr.: DE⟦n3⟧⟦n3⟧⟦n3⟧\nSteuernummer: ⟦n3⟧/⟦n3⟧/⟦int⟧\nRechnung ⟦inv⟧")
N(
    "en",
    "web_form",
    "personal_name_only",
    "Contact form\nName: ⟦name⟧\nCompany: ⟦shop⟧\nMessage: please call me back about the quote from ⟦date⟧.",
)
N(
    "en",
    "chat_thread",
    "password_mention_no_value",
    "⟦first#a⟧: I changed the wifi password this morning\n⟦first#b⟧: can you put the new one in the vault instead of the chat?\n⟦first#a⟧: done at ⟦time⟧",
)
N(
    "pl",
    "chat_thread",
    "password_mention_no_value",
    "⟦first⟧: zmieniłam hasło do poczty, nowe jest w sejfie haseł od ⟦time⟧",
)
N(
    "fr",
    "chat_thread",
    "password_mention_no_value",
    "⟦first⟧ : j'ai mis le nouveau mot de passe du wifi dans le coffre-fort à ⟦time⟧, ne le mettez pas ici",
)
N(
    "nl",
    "it_support_email",
    "password_mention_no_value",
    "Beste ⟦first⟧, je wachtwoord verloopt over ⟦n⟧ dagen. Wijzig het via het portaal.",
)
N("uk", "email_business", "order_number", "Ваше замовлення ⟦order⟧ передано до служби доставки ⟦date⟧.")
N("ro", "sms_message", "tracking_number", "Coletul ⟦track⟧ va fi livrat pe ⟦date⟧.")
N("th", "sms_message", "order_number", "คำสั่งซื้อ ⟦order⟧ ของคุณจัดส่งแล้ว")
N("he", "sms_message", "booking_reference", "מספר ההזמנה שלך: ⟦booking⟧. טיסה ⟦flight⟧ בשעה ⟦time⟧.")
N("sw", "sms_message", "order_number", "Oda yako ⟦order⟧ imepokelewa. Asante, ⟦first⟧.")
N("ms", "sms_message", "tracking_number", "Bungkusan ⟦track⟧ akan dihantar pada ⟦date⟧.")
N("tl", "sms_message", "order_number", "Ang order mo na ⟦order⟧ ay naipadala na.")
N("hr", "email_business", "invoice_reference", "Račun ⟦inv⟧ dospijeva ⟦date⟧, iznos ⟦amount⟧ €.")
N("bg", "sms_message", "tracking_number", "Пратка ⟦track⟧ ще бъде доставена на ⟦date⟧.")
N("el", "receipt", "masked_card", "Χρέωση κάρτας ⟦masked_card⟧: ⟦amount⟧ €.")
N("fa", "sms_message", "order_number", "سفارش شما با شماره ⟦order⟧ ثبت شد.")
N("bn", "sms_message", "order_number", "আপনার অর্ডার ⟦order⟧ পাঠানো হয়েছে।")
N("sk", "email_business", "customer_number", "Vaše zákaznícke číslo je ⟦custno⟧.")
N("sl", "sms_message", "tracking_number", "Vaša pošiljka ⟦track⟧ bo dostavljena ⟦date⟧.")
N("lt", "sms_message", "order_number", "Jūsų užsakymas ⟦order⟧ išsiųstas ⟦date⟧.")
N("lv", "sms_message", "tracking_number", "Sūtījums ⟦track⟧ tiks piegādāts ⟦date⟧.")
N("et", "sms_message", "order_number", "Teie tellimus ⟦order⟧ on teele pandud.")
N("ca", "email_business", "booking_reference", "Codi de reserva: ⟦booking⟧. Arribada el ⟦date⟧.")
N("sr", "sms_message", "tracking_number", "Pošiljka ⟦track⟧ biće isporučena ⟦date⟧.")
N("no", "invoice", "invoice_reference", "Faktura ⟦inv⟧ forfaller ⟦date⟧. Beløp: ⟦amount⟧ kr.")

# ---- developer hard negatives
ND(
    "shadow_file",
    "password_hash",
    "root:⟦crypt6⟧:19⟦n3⟧:0:99999:7:::\n⟦user⟧:⟦crypt6⟧:19⟦n3⟧:0:99999:7:::\ndaemon:*:19⟦n3⟧:0:99999:7:::",
)
ND("htpasswd", "password_hash", "⟦user⟧:⟦bcrypt⟧\n⟦user⟧:⟦bcrypt⟧")
ND("sql_dump", "password_hash", "INSERT INTO users (id, username, password_hash) VALUES (⟦int⟧, '⟦user⟧', '⟦argon2⟧');")
ND(
    "router_config",
    "password_hash",
    "hostname shop-gw\nusername admin privilege 15 secret 9 ⟦cisco9⟧\nusername backup secret 8 ⟦cisco8⟧",
)
ND(
    "python_code",
    "password_hash",
    "stored = '⟦bcrypt⟧'\nif bcrypt.checkpw(password.encode(), stored.encode()):\n    login_user(user)",
)
ND("app_log", "password_hash", "⟦ts⟧ DEBUG migrated legacy hash for user=⟦user⟧ old=⟦crypt1⟧ new_scheme=argon2id")
ND("shell_session", "checksum_digest", "$ sha256sum backup-⟦date_iso#d⟧.tar.gz\n⟦sha256⟧  backup-⟦date_iso#d⟧.tar.gz")
ND(
    "http_response",
    "checksum_digest",
    'HTTP/1.1 200 OK\nETag: "⟦md5⟧"\nContent-Length: ⟦int⟧\nCache-Control: max-age=3600',
)
ND("release_notes", "checksum_digest", "shop-app-⟦semver⟧.dmg\nMD5: ⟦md5⟧\nSHA-256: ⟦sha256⟧")
ND(
    "git_log",
    "git_commit_hash",
    "commit ⟦sha1⟧\nAuthor: ⟦name⟧ <⟦ex_email⟧>\nDate:   ⟦gitdate⟧\n\n    Fix password reset form validation",
)
ND(
    "app_log",
    "request_id",
    "⟦ts⟧ INFO request_id=⟦uuid⟧ method=POST path=/login status=401 user=⟦user⟧ duration_ms=⟦n3⟧",
)
ND(
    "http_request",
    "trace_id",
    "GET /api/cart HTTP/1.1\nHost: shop.⟦resdomain⟧\ntraceparent: 00-⟦md5⟧-⟦hex16⟧-01\nX-Correlation-ID: ⟦uuid⟧",
)
ND(
    "python_code",
    "idempotency_key",
    "intent = stripe.PaymentIntent.create(\n    amount=⟦int⟧,\n    currency='eur',\n    idempotency_key='⟦uuid⟧',\n)",
)
ND(
    "html",
    "csrf_token",
    '<form method="post" action="/account/password">\n  <input type="hidden" name="csrfmiddlewaretoken" value="⟦csrf⟧">\n  <input type="password" name="new_password" autocomplete="new-password">\n</form>',
)
ND(
    "http_response",
    "csrf_token",
    "HTTP/1.1 200 OK\nSet-Cookie: XSRF-TOKEN=⟦csrf⟧; Path=/; SameSite=Lax\nContent-Type: text/html",
)
ND("http_response", "nonce", "Content-Security-Policy: default-src 'self'; script-src 'nonce-⟦nonce⟧' 'strict-dynamic'")
ND(
    "cli_output",
    "vault_accessor",
    "Key                 Value\n---                 -----\naccessor            ⟦vault_acc⟧\ndisplay_name        userpass-⟦user⟧\npolicies            [default dev]\nttl                 ⟦n⟧h",
)
ND(
    "app_log",
    "cache_key",
    "⟦ts⟧ DEBUG cache miss key=cart:⟦int⟧:⟦md5⟧ ttl=300\n⟦ts⟧ DEBUG cache set key=product:⟦int⟧:v⟦n⟧",
)
ND("env_file", "publishable_key", "STRIPE_PUBLISHABLE_KEY=⟦pk_live⟧\nNEXT_PUBLIC_SITE_URL=https://shop.⟦bizdomain⟧")
ND(
    "js_code",
    "publishable_key",
    "const stripe = Stripe('⟦pk_test⟧');\nconst elements = stripe.elements({ locale: 'auto' });",
)
ND("authorized_keys", "ssh_public_key", "⟦ssh_pub⟧ ⟦user⟧@laptop\n⟦ssh_pub⟧ deploy@ci")
ND("pem_file", "certificate", "# CA bundle for the office proxy (public)\n⟦cert⟧")
ND("pem_file", "public_key", "# webhook signature verification key (public)\n⟦pubkey⟧")
ND(
    "json_config",
    "public_key",
    '{\n  "keys": [\n    { "kty": "RSA", "kid": "⟦hex16⟧", "use": "sig", "alg": "RS256", "e": "AQAB", "n": "⟦jwks_n⟧" }\n  ]\n}',
)
ND("env_file", "oauth_client_id", "GOOGLE_CLIENT_ID=⟦gcid⟧\nGOOGLE_REDIRECT_URI=https://app.⟦bizdomain⟧/auth/callback")
ND(
    "html",
    "recaptcha_site_key",
    '<form action="/contact" method="post">\n  <div class="g-recaptcha" data-sitekey="⟦recaptcha⟧"></div>\n  <button type="submit">Send</button>\n</form>',
)
ND(
    "js_code",
    "mapbox_public_token",
    "mapboxgl.accessToken = '⟦mapbox_pk⟧';\nconst map = new mapboxgl.Map({ container: 'map', zoom: ⟦n⟧ });",
)
ND(
    "yaml_config",
    "env_var_reference",
    "database:\n  host: ${DB_HOST}\n  user: ${DB_USER}\n  password: ${DB_PASSWORD}\n  pool_size: ⟦n⟧",
)
ND(
    "ci_config",
    "env_var_reference",
    "jobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      STRIPE_KEY: ${{ secrets.STRIPE_KEY }}\n      DATABASE_URL: ${{ secrets.DATABASE_URL }}\n      NODE_VERSION: ⟦n⟧",
)
ND(
    "helm_template",
    "env_var_reference",
    'env:\n  - name: DB_PASSWORD\n    value: {{ .Values.db.password | quote }}\n  - name: REPLICAS\n    value: "⟦n⟧"',
)
ND(
    "env_file",
    "placeholder",
    "# .env.example - copy to .env and fill in\nDB_PASSWORD=<db-password>\nOPENAI_API_KEY=<paste-key-here>\nPORT=⟦port⟧",
)
ND(
    "readme",
    "placeholder",
    "## Setup\n\nExport your token before running the sync:\n\n    export API_TOKEN=<token from the dashboard>\n    ./sync.sh --since ⟦date_iso⟧",
)
ND(
    "aws_credentials",
    "vendor_example_key",
    "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = ⟦region⟧\n# values copied from the AWS docs, replace before use (⟦date_iso⟧)",
)
ND(
    "k8s_manifest",
    "container_digest",
    "containers:\n  - name: shop\n    image: registry.⟦bizdomain⟧/shop@sha256:⟦sha256⟧\n    ports:\n      - containerPort: ⟦port⟧",
)
ND(
    "lockfile",
    "package_integrity",
    '"node_modules/⟦pkg⟧": {\n  "version": "⟦semver⟧",\n  "integrity": "sha512-⟦sri⟧",\n  "license": "MIT"\n}',
)
ND(
    "k8s_manifest",
    "secret_reference",
    "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: ⟦k8sname⟧\n        key: password\n  - name: LOG_LEVEL\n    value: info",
)
ND(
    "docker_compose",
    "private_ip",
    "networks:\n  backend:\n    ipam:\n      config:\n        - subnet: ⟦priv_cidr⟧\nservices:\n  cache:\n    networks:\n      backend:\n        ipv4_address: ⟦priv_ip⟧",
)
ND("ufw_rules", "private_ip", "ufw allow from ⟦priv_ip⟧ to any port 22\nufw allow from ⟦priv_cidr⟧ to any port 5432")
ND(
    "readme",
    "documentation_ip",
    "Point the A record of your domain to your server's address (for example ⟦doc_ip⟧), wait ⟦n⟧ minutes, then run certbot.",
)
ND(
    "dns_zone",
    "documentation_ip",
    "www   IN A     ⟦doc_ip⟧\nwww   IN AAAA  2001:db8::⟦hex4⟧\n; documentation addresses, replace before deploy (v⟦semver⟧)",
)
ND(
    "nginx_config",
    "special_ip",
    "server {\n    listen 127.0.0.1:⟦port⟧;\n    listen [::1]:⟦port⟧;\n    set_real_ip_from 169.254.0.0/16;\n    location / { proxy_pass http://127.0.0.1:⟦port⟧; }\n}",
)
ND(
    "package_json",
    "version_number",
    '{\n  "dependencies": {\n    "⟦pkg⟧": "^⟦semver⟧",\n    "express": "~⟦semver⟧"\n  }\n}',
)
ND(
    "js_code",
    "crypto_wallet",
    "// receiving addresses for the donation widget (public)\nconst TREASURY_ETH = '⟦eth⟧';\nconst TREASURY_BTC = '⟦btc⟧';",
)
ND(
    "cli_output",
    "mac_address",
    "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n    link/ether ⟦mac⟧ brd ff:ff:ff:ff:ff:ff\n    inet ⟦priv_ip⟧/24 scope global eth0",
)
ND("python_code", "luhn_invalid_number", "def test_rejects_bad_checksum():\n    assert not luhn_valid('⟦badcard⟧')")
ND("app_log", "redacted_secret", "⟦ts⟧ INFO connecting to db user=⟦user⟧ password=****** host=⟦priv_ip⟧")
ND(
    "json_config",
    "empty_credential",
    '{"smtp": {"host": "smtp.⟦bizdomain⟧", "user": "", "password": ""}, "retries": ⟦n⟧}',
)
ND(
    "terraform",
    "cloud_resource_id",
    'role_arn   = "arn:aws:iam::⟦acct12⟧:role/deploy"\nkms_key_id = "⟦uuid⟧"\nregion     = "⟦region⟧"',
)
ND(
    "json_config",
    "account_identifier",
    '{\n  "twilio": {\n    "account_sid": "AC⟦hex32u⟧",\n    "messaging_service_sid": "MG⟦hex32u⟧",\n    "auth_token": "${TWILIO_AUTH_TOKEN}"\n  }\n}',
)
ND(
    "sql_query",
    "uuid_identifier",
    "SELECT id, status, total FROM orders WHERE customer_id = '⟦uuid⟧' ORDER BY created_at DESC LIMIT ⟦n⟧;",
)
ND(
    "js_code",
    "password_policy",
    "export const PASSWORD_RULES = {\n  minLength: ⟦n⟧,\n  requireDigit: true,\n  requireUppercase: true,\n  maxAgeDays: ⟦n3⟧,\n};",
)
ND(
    "python_code",
    "credential_variable_name",
    "password = request.form['password']\nif not check_password_hash(user.pw_hash, password):\n    abort(⟦n3⟧)",
)
ND(
    "app_log",
    "timestamp",
    '{"event":"login","user":"⟦user⟧","ts":⟦epoch_ms⟧,"ok":true}\n{"event":"logout","user":"⟦user⟧","ts":⟦epoch_ms⟧}',
)
ND("app_log", "reserved_domain_email", "⟦ts⟧ mailer: sent welcome mail to ⟦ex_email⟧ (queue id ⟦hex16⟧)")
ND(
    "git_config",
    "reserved_domain_email",
    "[user]\n    name = ⟦name⟧\n    email = ⟦ex_email⟧\n[pull]\n    rebase = true",
)
ND(
    "http_request",
    "oauth_request_parameters",
    "GET /authorize?response_type=code&client_id=⟦uuid⟧&redirect_uri=https%3A%2F%2Fapp.⟦bizdomain⟧%2Fcb&state=⟦hex16⟧&code_challenge_method=S256 HTTP/1.1",
)
ND("app_log", "username_only", "⟦ts⟧ WARN login failed for user ⟦user⟧ from ⟦priv_ip⟧ (invalid password, attempt ⟦n⟧)")
ND(
    "k8s_manifest",
    "non_secret_config",
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-config\ndata:\n  LOG_LEVEL: info\n  CACHE_TTL: "⟦n3⟧"\n  FEATURE_NEW_CHECKOUT: "true"',
)
ND(
    "python_code",
    "test_fixture_masked_card",
    "def test_receipt_masks_card():\n    assert mask('⟦last4⟧') == '**** **** **** ⟦last4⟧'  # last four digits only",
)
ND(
    "yaml_config",
    "env_var_reference",
    "# Einstellungen für den Mailversand\nmail:\n  user: ${SMTP_USER}\n  passwort: ${SMTP_PASSWORD}  # kommt aus dem Tresor\n  port: ⟦port⟧",
    "de",
)
ND("env_file", "placeholder", "# Rellenar con tus propios datos\nDB_PASSWORD=\nAPI_KEY=\nPUERTO=⟦port⟧", "es")
ND(
    "python_code",
    "checksum_digest",
    '# ファイルの整合性チェック\nEXPECTED_SHA256 = "⟦sha256⟧"\nassert hashlib.sha256(data).hexdigest() == EXPECTED_SHA256',
    "ja",
)
ND("app_log", "request_id", "⟦ts⟧ ERROR upstream timeout request_id=⟦hex32u⟧ upstream=⟦priv_ip⟧:⟦port⟧ attempt=⟦n⟧")
ND("http_response", "idempotency_key", "HTTP/1.1 409 Conflict\nIdempotency-Key: ⟦uuid⟧\nRequest-Id: req_⟦rs14⟧")


# ---------------------------------------------------------------- generation
def variants_for(is_pos, is_dev, text):
    if is_pos:
        return 3
    return 3


def build():
    tpl_texts = [t[2] for t in POS] + [t[3] for t in NEG]
    assert len(tpl_texts) == len(set(tpl_texts)), "duplicate template"
    templates = [(lang, ctx, "positive", text, dev) for (lang, ctx, text, dev) in POS] + list(NEG)
    records, seen = [], set()
    for ti, (lang, ctx, cat, text, dev) in enumerate(templates, 1):
        is_pos = cat == "positive"
        assert lang in NAMES, lang
        assert re.fullmatch(r"[a-z0-9_]+", ctx) and re.fullmatch(r"[a-z0-9_]+", cat)
        for vi in range(1, variants_for(is_pos, dev, text) + 1):
            for attempt in range(200):
                out, spans = render(text, lang)
                if out in seen:
                    continue
                if scan(masked(out, spans)):
                    continue
                break
            else:
                raise AssertionError("cannot render clean variant for template %d: %r" % (ti, text[:60]))
            seen.add(out)
            records.append(
                {
                    "id": "t25-%d-%d" % (ti, vi),
                    "text": out,
                    "lang": lang,
                    "context": ctx,
                    "category": cat,
                    "spans": spans,
                    "_dev": dev,
                    "_tpl": ti,
                }
            )
    return records


def verify(records):
    ids, texts = set(), set()
    for r in records:
        assert r["id"] not in ids
        ids.add(r["id"])
        assert r["text"] not in texts
        texts.add(r["text"])
        t = r["text"]
        prev_end = -1
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(t)
            assert t[s["start"] : s["end"]] == s["_val"], (r["id"], s)
            assert s["start"] >= prev_end, ("overlap", r["id"])
            prev_end = s["end"]
            check_value(s["_kind"], s["_val"])
            # value must not be glued to further word characters of the same token
            if s["entity"] in ("EMAIL_ADDRESS", "CREDIT_CARD", "IP_ADDRESS"):
                assert s["end"] == len(t) or not (t[s["end"]].isalnum()), (r["id"], s)
        if r["category"] == "positive":
            assert r["spans"], r["id"]
        else:
            assert not r["spans"], r["id"]
        findings = scan(masked(t, r["spans"]))
        assert not findings, (r["id"], findings)


def main():
    records = build()
    verify(records)
    pos = [r for r in records if r["category"] == "positive"]
    neg = [r for r in records if r["category"] != "positive"]
    ent = collections.Counter(s["entity"] for r in records for s in r["spans"])
    vendor_used = {s["_kind"] for r in records for s in r["spans"]} & VENDOR_KINDS
    cats = collections.Counter(r["category"] for r in neg)
    langs = collections.Counter(r["lang"] for r in records)
    ctxs = collections.Counter(r["context"] for r in records)
    ntpl = len({r["_tpl"] for r in records})
    dev_share = sum(r["_dev"] for r in records) / len(records)
    # set-level minimums from the brief
    assert 1100 <= len(records) <= 1350, len(records)
    assert (
        ent["SECRET"] >= 600 and ent["EMAIL_ADDRESS"] >= 200 and ent["IP_ADDRESS"] >= 150 and ent["CREDIT_CARD"] >= 100
    ), ent
    assert len(neg) >= 500 and len(cats) >= 35, (len(neg), len(cats))
    assert len(langs) >= 30 and ntpl >= 300 and len(vendor_used) >= 30, (len(langs), ntpl, len(vendor_used))
    assert 0.33 <= dev_share <= 0.5, dev_share
    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            o = {k: r[k] for k in ("id", "text", "lang", "context", "category")}
            o["spans"] = [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in r["spans"]]
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print("wrote %s" % OUT)
    print(
        "records: %d (positive %d, hard negative %d); templates: %d; developer share: %.1f%%"
        % (len(records), len(pos), len(neg), ntpl, 100 * dev_share)
    )
    print("spans per entity: %s (total %d)" % (dict(sorted(ent.items())), sum(ent.values())))
    print("vendor token formats used (%d): %s" % (len(vendor_used), ", ".join(sorted(vendor_used))))
    print("hard-negative categories (%d): %s" % (len(cats), ", ".join("%s=%d" % kv for kv in sorted(cats.items()))))
    print(
        "languages (%d): %s"
        % (len(langs), ", ".join("%s=%d" % kv for kv in sorted(langs.items(), key=lambda x: -x[1])))
    )
    print(
        "contexts (%d): %s" % (len(ctxs), ", ".join("%s=%d" % kv for kv in sorted(ctxs.items(), key=lambda x: -x[1])))
    )


if __name__ == "__main__":
    main()
