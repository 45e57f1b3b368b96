#!/usr/bin/env python3
"""Generate ``bench/pii_eval/pii_testset7.jsonl``: an independent, labelled PII evaluation set.

Every text comes from a template written for this set, every value is fake and generated with
``random.Random(SEED)``, and every labelled value is valid for its type. Offsets are recorded
while a text is assembled from its template (never found by searching afterwards), and each
span is checked: ``text[start:end]`` is the value, spans do not overlap, and the value passes
the validator of its entity.

Entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET. Texts without PII are hard negatives,
each with a category naming what makes it hard.

Templates use slots ``⟦kind:arg:arg#tag⟧``. Upper-case kinds (EMAIL, IP4, IP6, DNS, CARD, S) are
labelled; lower-case kinds are unlabelled filler (names, hosts, hashes, private IPs, ...). A
``#tag`` repeats the same value inside one text.

After the set is built, a sanity pass (a quality check only, never a source of offsets) fails the
run if a text still holds a public IP, a real-looking e-mail, a valid card number or a vendor token
outside the labelled spans, except in the negative categories whose point is such a look-alike.

Run: ``python bench/pii_eval/make_testset7.py``
"""

from __future__ import annotations

import base64
import ipaddress
import json
import random
import re
import string
from collections import Counter
from collections.abc import Callable
from pathlib import Path

SEED = 70707
OUT = Path(__file__).with_name("pii_testset7.jsonl")
R = random.Random(SEED)

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

# --------------------------------------------------------------------------------------------
# names and domains (romanised name parts for e-mail local parts, display names per language)
# --------------------------------------------------------------------------------------------

NAMES: dict[str, tuple[list[str], list[str]]] = {
    "en": (
        [
            "james",
            "olivia",
            "michael",
            "emma",
            "daniel",
            "grace",
            "ryan",
            "chloe",
            "nathan",
            "megan",
            "tyler",
            "hannah",
        ],
        ["smith", "johnson", "okafor", "patel", "brennan", "walsh", "carter", "hughes", "mitchell", "reid", "foster"],
    ),
    "de": (
        ["lukas", "lena", "jonas", "hannah", "felix", "marie", "tobias", "katrin", "juergen", "anja", "maximilian"],
        ["mueller", "schmidt", "schneider", "fischer", "weber", "wagner", "becker", "hoffmann", "schaefer", "koch"],
    ),
    "fr": (
        ["camille", "lucas", "chloe", "hugo", "lea", "antoine", "manon", "julien", "elodie", "mathieu", "oceane"],
        ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy", "moreau"],
    ),
    "es": (
        ["sofia", "mateo", "lucia", "alejandro", "martina", "javier", "carmen", "diego", "valeria", "pablo"],
        ["garcia", "fernandez", "lopez", "martinez", "sanchez", "perez", "gomez", "ruiz", "navarro", "ortega"],
    ),
    "pt": (
        ["joao", "ana", "pedro", "mariana", "lucas", "beatriz", "rafael", "camila", "thiago", "larissa"],
        ["silva", "santos", "oliveira", "souza", "pereira", "costa", "rodrigues", "almeida", "carvalho", "ferreira"],
    ),
    "it": (
        ["giulia", "marco", "francesca", "luca", "chiara", "matteo", "alessia", "davide", "federica", "simone"],
        ["rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "colombo", "ricci", "marino", "greco"],
    ),
    "nl": (
        ["daan", "emma", "sem", "julia", "lars", "sanne", "bram", "fleur", "thijs", "noor"],
        ["dejong", "jansen", "devries", "vandijk", "bakker", "visser", "smit", "meijer", "mulder", "bos"],
    ),
    "pl": (
        ["jakub", "zuzanna", "kacper", "julia", "szymon", "maja", "michal", "agnieszka", "pawel", "katarzyna"],
        ["nowak", "kowalski", "wisniewski", "wojcik", "kowalczyk", "kaminski", "lewandowski", "zielinska"],
    ),
    "ru": (
        ["aleksandr", "dmitry", "anna", "elena", "sergey", "olga", "ivan", "natalia", "maksim", "ekaterina"],
        ["ivanov", "smirnov", "kuznetsov", "popov", "sokolov", "volkova", "morozova", "lebedev", "orlova"],
    ),
    "uk": (
        ["oleksandr", "andriy", "olena", "iryna", "taras", "oksana", "bohdan", "yulia", "dmytro", "sofiia"],
        ["shevchenko", "kovalenko", "bondarenko", "tkachenko", "kravchenko", "melnyk", "boyko", "marchenko"],
    ),
    "ja": (
        ["haruto", "yuki", "sota", "yui", "ren", "aoi", "kenji", "misaki", "takumi", "sakura"],
        ["sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "yamamoto", "nakamura", "kobayashi"],
    ),
    "zh": (
        ["wei", "fang", "lei", "jing", "hao", "min", "yang", "xiaoming", "lina", "jun"],
        ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "zhou", "wu"],
    ),
    "ko": (
        ["minjun", "seoyeon", "jiho", "hayoon", "doyun", "jiwoo", "eunji", "hyunwoo", "sujin", "taeyang"],
        ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim"],
    ),
    "ar": (
        ["ahmed", "fatima", "omar", "layla", "youssef", "mariam", "khalid", "nour", "hassan", "salma"],
        ["alsaadi", "haddad", "mansour", "nasser", "alharbi", "khalil", "farouk", "alamri", "saleh"],
    ),
    "he": (
        ["noa", "itai", "yael", "omer", "tamar", "ariel", "shira", "yonatan", "maya", "eitan"],
        ["cohen", "levi", "mizrahi", "peretz", "biton", "friedman", "katz", "avraham", "shapiro"],
    ),
    "hi": (
        ["aarav", "priya", "rohan", "ananya", "vikram", "neha", "arjun", "kavya", "rahul", "deepika"],
        ["sharma", "verma", "gupta", "iyer", "reddy", "nair", "singh", "patel", "joshi", "menon"],
    ),
    "th": (
        ["somchai", "siriporn", "anan", "kanya", "niran", "ploy", "wichai", "malee", "krit", "nattaya"],
        ["srisuk", "wongsa", "chaiyaporn", "rattanakorn", "boonmee", "saetang", "thongdee", "kaewkla"],
    ),
    "el": (
        ["giorgos", "maria", "nikos", "eleni", "dimitris", "katerina", "kostas", "sofia", "yannis", "despina"],
        ["papadopoulos", "nikolaou", "georgiou", "pappas", "vlachos", "oikonomou", "alexiou", "karras"],
    ),
    "tr": (
        ["emre", "elif", "burak", "zeynep", "mehmet", "ayse", "can", "merve", "onur", "selin"],
        ["yilmaz", "kaya", "demir", "sahin", "celik", "yildiz", "aydin", "ozturk", "arslan", "dogan"],
    ),
    "sv": (
        ["erik", "astrid", "oskar", "maja", "lars", "ingrid", "nils", "elsa", "johan", "freja"],
        ["andersson", "johansson", "karlsson", "nilsson", "lindqvist", "berg", "holm", "sandberg"],
    ),
    "cs": (
        ["jan", "tereza", "petr", "lucie", "tomas", "katerina", "jakub", "veronika", "martin", "eliska"],
        ["novak", "svoboda", "dvorak", "cerny", "prochazka", "kucera", "vesely", "horak", "marek"],
    ),
    "vi": (
        ["minh", "linh", "tuan", "huong", "duc", "trang", "khanh", "thao", "quang", "ngoc"],
        ["nguyen", "tran", "le", "pham", "hoang", "vu", "dang", "bui", "do", "ngo"],
    ),
    "id": (
        ["budi", "siti", "agus", "dewi", "rizky", "putri", "andi", "wulan", "fajar", "intan"],
        ["santoso", "wijaya", "pratama", "kusuma", "hidayat", "saputra", "nugroho", "lestari"],
    ),
}

DISPLAY: dict[str, list[str]] = {
    "ru": [
        "Алексей Смирнов",
        "Ольга Кузнецова",
        "Дмитрий Иванов",
        "Наталья Попова",
        "Сергей Лебедев",
        "Екатерина Орлова",
    ],
    "uk": ["Олександр Шевченко", "Ірина Коваленко", "Тарас Бондаренко", "Оксана Мельник", "Богдан Бойко"],
    "ja": ["佐藤 健", "鈴木 美咲", "高橋 翔", "田中 由紀", "山本 蓮", "中村 葵"],
    "zh": ["王伟", "李娜", "张磊", "刘洋", "陈静", "赵敏", "周杰"],
    "ko": ["김민준", "이서연", "박지호", "최하윤", "정도윤", "강은지"],
    "ar": ["أحمد منصور", "فاطمة حداد", "عمر خليل", "ليلى ناصر", "يوسف الحربي", "مريم صالح"],
    "he": ["נועה כהן", "איתי לוי", "יעל מזרחי", "עומר פרץ", "תמר כץ", "אריאל שפירו"],
    "hi": ["राहुल शर्मा", "प्रिया वर्मा", "अनन्या गुप्ता", "विक्रम सिंह", "नेहा जोशी", "अर्जुन नायर"],
    "th": ["สมชาย ศรีสุข", "ศิริพร วงศ์สา", "อนันต์ บุญมี", "กันยา ทองดี", "นิรันดร์ แก้วกล้า"],
    "el": ["Γιώργος Παπαδόπουλος", "Μαρία Νικολάου", "Ελένη Γεωργίου", "Νίκος Βλάχος", "Κατερίνα Οικονόμου"],
    "de": ["Jürgen Müller", "Katrin Schäfer", "Lukas Weber", "Anja Hoffmann", "Tobias Becker", "Lena Fischer"],
    "fr": ["Chloé Dubois", "Julien Moreau", "Élodie Leroy", "Mathieu Durand", "Océane Petit", "Hugo Bernard"],
    "es": ["Lucía Fernández", "Javier Gómez", "Martina Ruiz", "Diego Navarro", "Carmen Ortega", "Pablo Sánchez"],
    "pt": ["João Silva", "Mariana Costa", "Thiago Almeida", "Beatriz Carvalho", "Rafael Pereira", "Camila Souza"],
    "it": ["Giulia Rossi", "Matteo Colombo", "Francesca Ricci", "Davide Greco", "Alessia Romano"],
    "nl": ["Daan de Jong", "Sanne Visser", "Bram van Dijk", "Fleur Bakker", "Thijs Meijer"],
    "pl": ["Jakub Nowak", "Zuzanna Wiśniewska", "Michał Kowalczyk", "Agnieszka Zielińska", "Paweł Wójcik"],
    "tr": ["Emre Yılmaz", "Zeynep Kaya", "Burak Şahin", "Ayşe Çelik", "Onur Doğan"],
    "sv": ["Erik Andersson", "Astrid Lindqvist", "Oskar Nilsson", "Ingrid Sandberg", "Freja Holm"],
    "cs": ["Jan Novák", "Tereza Dvořáková", "Petr Černý", "Lucie Procházková", "Tomáš Veselý"],
    "vi": ["Nguyễn Văn Minh", "Trần Thị Linh", "Lê Quang Đức", "Phạm Thu Trang", "Hoàng Ngọc Khánh"],
    "id": ["Budi Santoso", "Siti Lestari", "Agus Pratama", "Dewi Kusuma", "Rizky Hidayat"],
}

PERSONAL: dict[str, list[str]] = {
    "en": [
        "gmail.com",
        "outlook.com",
        "yahoo.com",
        "hotmail.com",
        "icloud.com",
        "proton.me",
        "fastmail.com",
        "aol.com",
    ],
    "de": [
        "web.de",
        "gmx.de",
        "gmx.net",
        "t-online.de",
        "posteo.de",
        "mailbox.org",
        "freenet.de",
        "gmx.at",
        "bluewin.ch",
    ],
    "fr": ["orange.fr", "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr", "gmail.com", "skynet.be"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "outlook.es", "yahoo.com.mx"],
    "pt": ["uol.com.br", "bol.com.br", "terra.com.br", "sapo.pt", "gmail.com", "hotmail.com"],
    "it": ["libero.it", "virgilio.it", "alice.it", "tiscali.it", "gmail.com"],
    "nl": ["ziggo.nl", "kpnmail.nl", "hotmail.nl", "xs4all.nl", "telenet.be"],
    "pl": ["wp.pl", "o2.pl", "onet.pl", "interia.pl", "gazeta.pl"],
    "ru": ["mail.ru", "yandex.ru", "rambler.ru", "bk.ru", "list.ru", "inbox.ru"],
    "uk": ["ukr.net", "i.ua", "meta.ua", "gmail.com"],
    "ja": ["yahoo.co.jp", "docomo.ne.jp", "ezweb.ne.jp", "nifty.com", "gmail.com", "icloud.com"],
    "zh": ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "aliyun.com"],
    "ko": ["naver.com", "daum.net", "hanmail.net", "kakao.com", "nate.com"],
    "ar": ["gmail.com", "hotmail.com", "yahoo.com", "outlook.sa"],
    "he": ["walla.co.il", "gmail.com", "012.net.il", "bezeqint.net"],
    "hi": ["rediffmail.com", "gmail.com", "yahoo.co.in", "outlook.in"],
    "th": ["hotmail.com", "gmail.com", "yahoo.co.th"],
    "el": ["otenet.gr", "yahoo.gr", "gmail.com", "hol.gr"],
    "tr": ["gmail.com", "hotmail.com", "yandex.com.tr", "mynet.com"],
    "sv": ["telia.com", "gmail.com", "outlook.com", "bredband.net"],
    "cs": ["seznam.cz", "email.cz", "centrum.cz", "post.cz"],
    "vi": ["gmail.com", "yahoo.com.vn", "fpt.vn"],
    "id": ["gmail.com", "yahoo.co.id", "telkom.net"],
}

COMPANY: dict[str, list[str]] = {
    "en": [
        "brightwave.io",
        "harborline.co.uk",
        "kestrelcloud.com",
        "bluefernhealth.org",
        "ridgeview-capital.com",
        "cs.westfield-univ.edu",
        "tallgrass.ai",
    ],
    "de": [
        "nordwind-logistik.de",
        "kaufmann-recht.de",
        "hansebau.de",
        "alpenmetall.at",
        "zuerich-treuhand.ch",
        "stadtwerke-oberau.de",
    ],
    "fr": [
        "atelier-lumiere.fr",
        "cabinet-moreau-avocats.fr",
        "etu.univ-valmont.fr",
        "boulangerie-durand.fr",
        "lyon-numerique.fr",
    ],
    "es": ["solaria-energia.es", "grupoandino.com.mx", "estudiotango.com.ar", "clinica-levante.es"],
    "pt": ["construtora-ipe.com.br", "lusotec.pt", "agencia-manga.com.br", "vinhos-douro.pt"],
    "it": ["studiobianchi.it", "officine-romano.it", "cantina-greco.it"],
    "nl": ["bakkerbouw.nl", "delta-advies.nl", "fietsfabriek.nl"],
    "pl": ["nowak-transport.pl", "kodmistrz.pl", "biuro-rachunkowe-wisla.pl"],
    "ru": ["volga-trans.ru", "sibirsoft.ru", "uralmash-service.ru"],
    "uk": ["dnipro-soft.com.ua", "lvivbud.ua", "kharkiv-it.com.ua"],
    "ja": ["sakura-denki.co.jp", "kyoto-seimitsu.co.jp", "mail.hokuriku-u.ac.jp"],
    "zh": ["tianyu-keji.cn", "huaxin-tech.com.cn", "stu.jiangnan-u.edu.cn"],
    "ko": ["hanriver-tech.co.kr", "seoul-bio.kr", "busan-logis.co.kr"],
    "ar": ["alnoor-trading.ae", "nilesoft.com.eg", "riyadh-logistics.sa"],
    "he": ["kinneret-labs.co.il", "tlv-ventures.com", "negev-solar.co.il"],
    "hi": ["shakti-infra.in", "pune-analytics.co.in", "kaveri-textiles.in"],
    "th": ["siam-logistics.co.th", "chiangmai-coffee.com", "andaman-travel.co.th"],
    "el": ["aigaio-ferries.gr", "thessaloniki-data.gr", "kriti-olive.gr"],
    "tr": ["bosphorus-yazilim.com.tr", "anadolu-lojistik.com.tr", "ege-tekstil.com.tr"],
    "sv": ["lundgren-bygg.se", "norrsken-it.se", "malmo-design.se"],
    "cs": ["brnosoft.cz", "praha-stavby.cz", "vltava-media.cz"],
    "vi": ["saigon-tech.vn", "hanoi-logistics.com.vn", "mekong-agri.vn"],
    "id": ["nusantara-digital.co.id", "bandung-kreatif.id", "surabaya-trading.co.id"],
}

ROLES = [
    "info",
    "support",
    "kontakt",
    "contact",
    "hr",
    "billing",
    "sales",
    "office",
    "jobs",
    "privacy",
    "contato",
    "soporte",
]
RESERVED_MAIL = re.compile(
    r"(?:^|\.)(?:example\.(?:com|org|net)|localhost|localdomain)$|\.(?:invalid|test|example|localhost)$"
)


def lang_key(lang: str) -> str:
    return lang if lang in NAMES else "en"


def email(lang: str, arg: str = "") -> str:
    culture = lang_key(lang) if R.random() < 0.75 else R.choice(list(NAMES))
    if arg == "role":
        return f"{R.choice(ROLES)}@{R.choice(COMPANY[culture])}"
    first = R.choice(NAMES[culture][0])
    last = R.choice(NAMES[culture][1])
    style = R.randrange(11)
    local = [
        f"{first}.{last}",
        f"{first[0]}{last}",
        f"{first}{last}{R.randint(1, 99)}",
        f"{first}_{last}",
        f"{last}.{first}",
        f"{first}.{last}+{R.choice(['news', 'shop', 'github', 'work', 'bills'])}",
        f"{first}{R.randint(1970, 2006)}",
        f"{first[0]}.{last}",
        f"{last}{first[0]}",
        f"{first}-{last}",
        f"{first}.{last[0]}",
    ][style]
    domain = R.choice(COMPANY[culture]) if R.random() < 0.4 else R.choice(PERSONAL[culture])
    value = f"{local}@{domain}"
    if R.random() < 0.05:
        value = value.title()
    return value


EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")


def valid_email(v: str) -> bool:
    return bool(EMAIL_RE.match(v)) and not RESERVED_MAIL.search(v.split("@")[1].lower())


# --------------------------------------------------------------------------------------------
# IP addresses
# --------------------------------------------------------------------------------------------

V4_FIRST = [2, 5, 8, 13, 18, 23, 31, 34, 37, 45, 46, 47, 51, 52, 62, 64, 66, 69, 72, 77, 78, 79, 80, 81, 82, 83]
V4_FIRST += [84, 85, 87, 88, 89, 91, 92, 93, 94, 95, 103, 104, 107, 109, 110, 112, 114, 116, 118, 121, 123, 125]
V4_FIRST += [128, 131, 134, 137, 139, 141, 143, 146, 149, 151, 152, 154, 157, 159, 162, 164, 167, 170, 173, 176]
V4_FIRST += [178, 180, 182, 185, 188, 190, 193, 194, 195, 196, 197, 199, 200, 201, 202, 204, 206, 207, 209, 210]
V4_FIRST += [212, 213, 216, 217, 218, 219, 220, 221, 222, 223]
V6_PREFIX = ["2a00:1450", "2a01:4f8", "2a01:4f9", "2a02:c207", "2a03:2880", "2600:1f18", "2600:3c03", "2604:a880"]
V6_PREFIX += ["2606:4700", "2607:f8b0", "2400:cb00", "2404:6800", "2406:da14", "2001:41d0", "2001:67c", "2a05:d014"]
V6_PREFIX += ["240e:3b4", "2408:8756", "2c0f:fb50", "2800:3f0", "2a0d:5600", "2a02:598", "2001:470", "2620:fe"]
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]
RESOLVERS = [
    "1.1.1.1",
    "8.8.8.8",
    "9.9.9.9",
    "208.67.222.222",
    "1.0.0.1",
    "8.8.4.4",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
]


def valid_ip(v: str) -> bool:
    try:
        ip = ipaddress.ip_address(v)
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast and not any(ip in n for n in DOC_NETS)


def ipv4(lang: str = "", arg: str = "") -> str:
    while True:
        v = f"{R.choice(V4_FIRST)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        if valid_ip(v):
            return v


def ipv6(lang: str = "", arg: str = "") -> str:
    while True:
        groups = R.choice(V6_PREFIX).split(":")
        groups += [f"{R.randint(0, 0xFFFF):x}" for _ in range(R.choice([0, 1, 2]))]
        tail = [f"{R.randint(0, 0xFFFF):x}" for _ in range(R.choice([1, 2, 4]))]
        if R.random() < 0.3:
            tail = [f"{R.randint(1, 0x2FF):x}"]
        mid = ["0"] * (8 - len(groups) - len(tail))
        ip = ipaddress.IPv6Address(":".join(groups + mid + tail))
        mode = R.random()
        if mode < 0.7:
            v = ip.compressed
        elif mode < 0.82:
            v = ip.exploded
        elif mode < 0.92:
            v = ip.compressed.upper()
        else:
            v = ":".join(f"{int(g, 16):x}" for g in ip.exploded.split(":"))
        if valid_ip(v):
            return v


def dns(lang: str = "", arg: str = "") -> str:
    return R.choice(RESOLVERS)


# --------------------------------------------------------------------------------------------
# payment cards
# --------------------------------------------------------------------------------------------

BRANDS: dict[str, tuple[list[str], list[int]]] = {
    "visa": (["4"], [16, 16, 16, 16, 13, 19]),
    "mc": ([str(x) for x in range(51, 56)] + [str(x) for x in range(2221, 2721)], [16]),
    "amex": (["34", "37"], [15]),
    "discover": (["6011", "644", "645", "646", "647", "648", "649", "65"], [16]),
    "jcb": ([str(x) for x in range(3528, 3590)], [16]),
    "maestro": (["5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763"], [16, 18, 19]),
    "diners": (["300", "301", "302", "303", "304", "305", "36", "38"], [14]),
    "unionpay": (["62"], [16, 19]),
    "mir": (["2200", "2201", "2202", "2203", "2204"], [16]),
}
BRAND_WEIGHTS = {
    "visa": 30,
    "mc": 24,
    "amex": 12,
    "discover": 8,
    "jcb": 7,
    "maestro": 6,
    "diners": 4,
    "unionpay": 5,
    "mir": 4,
}
KNOWN_TEST_CARDS = {"4111111111111111", "4242424242424242", "5555555555554444", "378282246310005", "4012888888881881"}


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(body: str) -> str:
    for c in DIGITS:
        if luhn_ok(body + c):
            return body + c
    raise AssertionError(body)


def group_card(d: str, fmt: str) -> str:
    if fmt == "plain":
        return d
    sep = " " if fmt == "space" else "-"
    if len(d) == 15:
        parts = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        parts = [d[:4], d[4:10], d[10:]]
    elif len(d) in (16, 19):
        parts = [d[i : i + 4] for i in range(0, len(d), 4)]
    else:
        return d
    return sep.join(parts)


def card(lang: str = "", arg: str = "") -> str:
    brand, _, fmt = arg.partition(":")
    if not brand:
        brand = R.choices(list(BRAND_WEIGHTS), weights=list(BRAND_WEIGHTS.values()))[0]
    if not fmt:
        fmt = R.choices(["plain", "space", "dash"], weights=[45, 40, 15])[0]
    prefixes, lengths = BRANDS[brand]
    while True:
        prefix = R.choice(prefixes)
        n = R.choice(lengths)
        d = luhn_complete(prefix + "".join(R.choice(DIGITS) for _ in range(n - len(prefix) - 1)))
        if d not in KNOWN_TEST_CARDS:
            return group_card(d, fmt)


def card_brand(d: str) -> str | None:
    for brand, (prefixes, lengths) in BRANDS.items():
        if len(d) in lengths and any(d.startswith(p) for p in prefixes):
            return brand
    return None


def valid_card(v: str) -> bool:
    seps = {c for c in v if not c.isdigit()}
    if not seps <= {" ", "-"} or len(seps) > 1:
        return False
    d = re.sub(r"[ -]", "", v)
    return d.isdigit() and luhn_ok(d) and card_brand(d) is not None


# --------------------------------------------------------------------------------------------
# secrets
# --------------------------------------------------------------------------------------------


def rs(n: int, alphabet: str = ALNUM) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def rtok(n: int, alphabet: str = ALNUM) -> str:
    """Random token that uses every character class its alphabet offers (upper, lower, digit)."""
    need = [cls for cls in (UPPER, LOWER, DIGITS) if any(c in cls for c in alphabet)]
    while True:
        s = rs(n, alphabet)
        if all(any(c in cls for c in s) for cls in need):
            return s


def b64(nbytes: int, urlsafe: bool = False, pad: bool = True) -> str:
    raw = bytes(R.getrandbits(8) for _ in range(nbytes))
    s = base64.urlsafe_b64encode(raw).decode() if urlsafe else base64.b64encode(raw).decode()
    return s if pad else s.rstrip("=")


def b64s(text: str, urlsafe: bool = False) -> str:
    raw = text.encode()
    return (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()


PW_WORDS = ["sommer", "kaffee", "tiger", "falcon", "orange", "winter", "soleil", "montagne", "lluvia", "estrela"]
PW_WORDS += ["girasole", "sakura", "mango", "volcano", "harbor", "nebula", "pinguin", "dragon", "zebra", "kiwi"]
PW_WORDS += ["tornado", "cactus", "bergamot", "fjord", "tundra", "saturn", "marmelade", "lavanda", "koala", "pixel"]
PW_WORDS += ["moskva", "tokyo", "bangkok", "istanbul", "kyiv", "athena", "jakarta", "hanoi", "seoul", "praha"]
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
PW_SYMBOLS = "!&*-_+?.^~"


def password(lang: str = "", arg: str = "") -> str:
    """A human-chosen but non-trivial password (no quotes, backslashes, spaces, $, #, ;, :, =, |, @)."""
    while True:
        style = R.randrange(5)
        w1, w2 = R.sample(PW_WORDS, 2)
        if style == 0:
            v = f"{w1.capitalize()}{R.choice(PW_SYMBOLS)}{w2.capitalize()}{R.randint(10, 2025)}"
        elif style == 1:
            w = "".join(LEET.get(c, c) if R.random() < 0.6 else c for c in w1)
            v = f"{w.capitalize()}{R.choice(PW_SYMBOLS)}{R.randint(1, 99)}{rs(2, LOWER)}{R.choice('!?&*')}"
        elif style == 2:
            v = rtok(R.randint(12, 20), ALNUM + "!&*-_+?.^")
        elif style == 3:
            v = f"{w1}-{w2.capitalize()}-{R.randint(1, 9)}-{R.choice(PW_WORDS)}"
        else:
            v = f"{w1.capitalize()}{R.randint(1960, 2024)}{R.choice(PW_SYMBOLS)}{rs(3, UPPER)}"
        # no leading/trailing punctuation that prose would read as part of the sentence
        if (
            v[0].isalnum()
            and v[-1] not in ".?-_~^+"
            and len(v) >= 10
            and any(c.isdigit() for c in v)
            and any(c.isalpha() for c in v)
        ):
            return v


def urlpw(lang: str = "", arg: str = "") -> str:
    """A password that can sit unescaped in the userinfo of a URL."""
    if R.random() < 0.5:
        return rtok(R.randint(16, 28))
    w1, w2 = R.sample(PW_WORDS, 2)
    return f"{w1.capitalize()}{R.choice('-_.~')}{w2}{R.randint(10, 999)}{rs(2, UPPER)}"


def jwt(lang: str = "", arg: str = "") -> str:
    header = {"alg": R.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    if header["alg"] != "HS256" and R.random() < 0.6:
        header["kid"] = rs(16, HEX)
    now = R.randint(1_700_000_000, 1_730_000_000)
    payload: dict[str, object] = {
        "sub": str(R.randint(10_000, 9_999_999)),
        "iat": now,
        "exp": now + R.choice([900, 3600, 86400]),
    }
    if R.random() < 0.5:
        payload["role"] = R.choice(["service_role", "admin", "user", "editor"])
    if R.random() < 0.5:
        payload["iss"] = R.choice(
            ["https://auth.brightwave.io/", "supabase", "kestrel-api", "https://login.tallgrass.ai"]
        )
    enc = [b64s(json.dumps(x, separators=(",", ":")), urlsafe=True).rstrip("=") for x in (header, payload)]
    sig = b64(32 if header["alg"] == "HS256" else R.choice([64, 256]), urlsafe=True, pad=False)
    return ".".join([*enc, sig])


def discord(lang: str = "", arg: str = "") -> str:
    uid = str(R.randint(10**17, 13 * 10**17))
    return f"{b64s(uid).rstrip('=')}.{rs(6, B64URL)}.{rtok(38, B64URL)}"


def basic_auth(lang: str = "", arg: str = "") -> str:
    user = R.choice(["admin", "deploy", "api", "svc-billing", "jenkins", "grafana", "ci-bot", "monitor"])
    return b64s(f"{user}:{password()}")


def mapbox(lang: str = "", arg: str = "") -> str:
    body = b64s(
        json.dumps(
            {"u": R.choice(NAMES["en"][0]) + str(R.randint(1, 99)), "a": rs(25, LOWER + DIGITS)}, separators=(",", ":")
        )
    )
    return f"sk.{body.rstrip('=')}.{rtok(22, B64URL)}"


def azure_sas(lang: str = "", arg: str = "") -> str:
    return b64(32).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def hexs(n: int) -> str:
    while True:
        s = rs(n, HEX)
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


SECRET_KINDS: dict[str, Callable[[], str]] = {
    "ghp": lambda: "ghp_" + rtok(36),
    "gho": lambda: "gho_" + rtok(36),
    "ghu": lambda: "ghu_" + rtok(36),
    "ghs": lambda: "ghs_" + rtok(36),
    "ghr": lambda: "ghr_" + rtok(36),
    "github_pat": lambda: "github_pat_11" + rtok(20, UPPER + DIGITS) + "_" + rtok(59),
    "glpat": lambda: "glpat-" + rtok(20, ALNUM + "-_"),
    "glrt": lambda: "glrt-" + rtok(20, ALNUM + "-_"),
    "gldt": lambda: "gldt-" + rtok(20, ALNUM + "-_"),
    "glreg": lambda: "GR1348941" + rtok(20, ALNUM + "-_"),
    "xoxb": lambda: f"xoxb-{rs(11, DIGITS)}-{rs(13, DIGITS)}-{rtok(24)}",
    "xoxp": lambda: f"xoxp-{rs(11, DIGITS)}-{rs(11, DIGITS)}-{rs(13, DIGITS)}-{hexs(32)}",
    "xapp": lambda: f"xapp-1-A{rtok(10, UPPER + DIGITS)}-{rs(13, DIGITS)}-{hexs(64)}",
    "akia": lambda: "AKIA" + rtok(16, UPPER + "234567"),
    "asia": lambda: "ASIA" + rtok(16, UPPER + "234567"),
    "awssecret": lambda: rtok(40, ALNUM + "/+"),
    "stripe": lambda: "sk_live_" + R.choice(["51", ""]) + rtok(R.choice([24, 97])),
    "rk_live": lambda: "rk_live_51" + rtok(97),
    "whsec": lambda: "whsec_" + rtok(32),
    "openai": lambda: "sk-" + rtok(20) + "T3BlbkFJ" + rtok(20),
    "openai_proj": lambda: "sk-proj-" + rtok(R.choice([48, 74, 156]), ALNUM + "-_"),
    "anthropic": lambda: "sk-ant-api03-" + rtok(93, ALNUM + "-_") + "AA",
    "google_api": lambda: "AIza" + rtok(35, ALNUM + "-_"),
    "gocspx": lambda: "GOCSPX-" + rtok(28, ALNUM + "-_"),
    "ya29": lambda: "ya29.a0" + rtok(R.randint(120, 180), ALNUM + "-_"),
    "sendgrid": lambda: "SG." + rtok(22, ALNUM + "-_") + "." + rtok(43, ALNUM + "-_"),
    "mailgun": lambda: "key-" + hexs(32),
    "mailchimp": lambda: hexs(32) + f"-us{R.randint(2, 21)}",
    "npm": lambda: "npm_" + rtok(36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rtok(R.randint(120, 160), ALNUM + "-_"),
    "dockerhub": lambda: "dckr_pat_" + rtok(27, ALNUM + "-_"),
    "hf": lambda: "hf_" + rtok(34, string.ascii_letters),
    "shopify": lambda: "shpat_" + hexs(32),
    "shpss": lambda: "shpss_" + hexs(32),
    "do": lambda: "dop_v1_" + hexs(64),
    "square": lambda: "sq0atp-" + rtok(22, ALNUM + "-_"),
    "square_secret": lambda: "sq0csp-" + rtok(43, ALNUM + "-_"),
    "discord": discord,
    "telegram": lambda: f"{R.randint(100_000_000, 7_999_999_999)}:AA{rtok(33, ALNUM + '-_')}",
    "azure_key": lambda: b64(64),
    "azure_cs": lambda: rtok(3) + "8Q~" + rtok(34, ALNUM + "~._-"),
    "sas": azure_sas,
    "databricks": lambda: "dapi" + hexs(32),
    "linear": lambda: "lin_api_" + rtok(40),
    "notion": lambda: "secret_" + rtok(43),
    "ntn": lambda: "ntn_" + rtok(46),
    "postman": lambda: f"PMAK-{hexs(24)}-{hexs(34)}",
    "newrelic": lambda: "NRAK-" + rtok(27, UPPER + DIGITS),
    "grafana": lambda: f"glsa_{rtok(32)}_{hexs(8)}",
    "vault": lambda: "hvs." + rtok(R.choice([24, 92]), ALNUM + "_-"),
    "pulumi": lambda: "pul-" + hexs(40),
    "tfc": lambda: rtok(14) + ".atlasv1." + rtok(67),
    "age": lambda: "AGE-SECRET-KEY-1" + rtok(58, BECH32.upper()),
    "doppler": lambda: "dp.st.prd." + rtok(40),
    "airtable": lambda: "pat" + rtok(14) + "." + hexs(64),
    "mapbox": mapbox,
    "atlassian": lambda: "ATATT3xFfGF0" + rtok(180, ALNUM + "-_") + "=" + rs(8, "0123456789ABCDEF"),
    "figma": lambda: "figd_" + rtok(40, ALNUM + "-_"),
    "sentry": lambda: "sntryu_" + hexs(64),
    "supabase": lambda: "sbp_" + hexs(40),
    "fb": lambda: "EAAG" + rtok(R.randint(150, 190)),
    "okta": lambda: "00" + rtok(40, ALNUM + "-_"),
    "replicate": lambda: "r8_" + rtok(37),
    "groq": lambda: "gsk_" + rtok(52),
    "perplexity": lambda: "pplx-" + rtok(48),
    "xai": lambda: "xai-" + rtok(80),
    "langsmith": lambda: f"lsv2_pt_{hexs(32)}_{hexs(10)}",
    "pinecone": lambda: "pcsk_" + rtok(5) + "_" + rtok(63),
    "elevenlabs": lambda: "sk_" + hexs(48),
    "resend": lambda: "re_" + rtok(8) + "_" + rtok(24),
    "posthog": lambda: "phx_" + rtok(43),
    "hubspot": lambda: f"pat-na1-{hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}",
    "contentful": lambda: "CFPAT-" + rtok(43, ALNUM + "-_"),
    "bitbucket": lambda: "ATBB" + rtok(32) + rs(8, "0123456789ABCDEF"),
    "circleci": lambda: f"CCIPAT_{rtok(22)}_{hexs(40)}",
    "yandex": lambda: "y0_AgAAAAA" + rtok(50, ALNUM + "-_"),
    "vk": lambda: "vk1.a." + rtok(200, ALNUM + "-_"),
    "alibaba_id": lambda: "LTAI5t" + rtok(18),
    "alibaba_secret": lambda: rtok(30),
    "tencent_id": lambda: "AKID" + rtok(32),
    "tencent_secret": lambda: rtok(32),
    "line": lambda: rtok(171, ALNUM + "+/") + "=",
    "adafruit": lambda: "aio_" + rtok(28),
    "pscale": lambda: "pscale_pw_" + rtok(43, ALNUM + "-_"),
    "dropbox": lambda: "sl." + rtok(R.randint(130, 140), ALNUM + "-_"),
    "firebase": lambda: f"AAAA{rtok(7, ALNUM + '-_')}:APA91b{rtok(134, ALNUM + '-_')}",
    "jwt": jwt,
    "basic": basic_auth,
    "pw": password,
    "urlpw": urlpw,
    "hex32": lambda: hexs(32),
    "hex40": lambda: hexs(40),
    "hex64": lambda: hexs(64),
    "alnum": lambda: rtok(R.choice([24, 32, 40])),
    "alnum40": lambda: rtok(40, ALNUM + "_-"),
    "b64_32": lambda: b64(32),
    "b64_48": lambda: b64(48),
    "b64_44": lambda: b64(33),
    "django": lambda: rtok(50, LOWER + DIGITS + "!&*(-_+)^"),
    "laravel": lambda: "base64:" + b64(32),
    "rails": lambda: hexs(128),
    "wpsalt": lambda: rtok(64, ALNUM + "!&*()-_+[],.;:?|~^%"),
    "wgkey": lambda: b64(32),
    "k8sb64": lambda: b64s(password()),
    "bearer": lambda: R.choice([jwt, lambda: rtok(40), lambda: "ghp_" + rtok(36), lambda: rtok(64, ALNUM + "-_")])(),
}

# private keys: kind -> (label, base64 prefix of the DER body, body length in chars, line width)
PEM_KINDS: dict[str, tuple[str, str, int, int]] = {
    "rsa": ("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 1580, 64),
    "rsa1024": ("RSA PRIVATE KEY", "MIICXAIBAAKBgQC", 812, 64),
    "pkcs8": ("PRIVATE KEY", "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQ", 1620, 64),
    "ec": ("EC PRIVATE KEY", "MHcCAQEEI", 160, 64),
    "ecp8": ("PRIVATE KEY", "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg", 184, 64),
    "openssh": (
        "OPENSSH PRIVATE KEY",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        340,
        70,
    ),
    "encrypted": ("ENCRYPTED PRIVATE KEY", "MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI", 1760, 64),
    "dsa": ("DSA PRIVATE KEY", "MIIBuwIBAAKBgQD", 600, 64),
}


def pem(kind: str, mode: str = "raw", indent: int = 0) -> str:
    label, prefix, length, width = PEM_KINDS[kind]
    body = prefix + rs(length - len(prefix), B64)
    pad = "=" * R.choice([0, 0, 1, 2])
    body = body[: len(body) - len(pad)] + pad
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    block = [f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]
    if mode == "json":
        return "\\n".join(block)
    if mode == "crlf":
        return "\r\n".join(block)
    return ("\n" + " " * indent).join(block)


def secret(lang: str, arg: str) -> str:
    kind, _, rest = arg.partition(":")
    if kind == "pem":
        pk, _, rest = rest.partition(":")
        mode, _, ind = rest.partition(":")
        return pem(pk or R.choice(list(PEM_KINDS)), mode or "raw", int(ind or 0))
    while True:
        v = SECRET_KINDS[kind]()
        if valid_secret(v):
            return v


PLACEHOLDER_RE = re.compile(r"YOUR_|xxxx|XXXX|\*\*\*|changeme|EXAMPLE|<|\$\{|•", re.IGNORECASE)


def valid_secret(v: str) -> bool:
    if "PRIVATE KEY-----" in v:
        return v.startswith("-----BEGIN ") and v.endswith("PRIVATE KEY-----") and "-----END " in v
    if len(v) < 8 or any(c.isspace() for c in v) or PLACEHOLDER_RE.search(v):
        return False
    classes = sum(any(f(c) for c in v) for f in (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum()))
    return classes >= 2 and any(c.isdigit() or not c.isalnum() for c in v)


# --------------------------------------------------------------------------------------------
# unlabelled filler (context values and hard-negative values)
# --------------------------------------------------------------------------------------------

CITIES: dict[str, list[str]] = {
    "en": ["Leeds", "Portland", "Austin", "Dublin", "Bristol", "Toronto"],
    "de": ["Leipzig", "Freiburg", "Graz", "Bremen", "Basel", "Kassel"],
    "fr": ["Lyon", "Nantes", "Lille", "Bordeaux", "Liège", "Grenoble"],
    "es": ["Valencia", "Sevilla", "Bilbao", "Rosario", "Guadalajara", "Zaragoza"],
    "pt": ["Curitiba", "Porto", "Recife", "Campinas", "Braga"],
    "it": ["Torino", "Bologna", "Bari", "Verona"],
    "nl": ["Utrecht", "Eindhoven", "Groningen", "Gent"],
    "pl": ["Kraków", "Wrocław", "Gdańsk", "Poznań"],
    "ru": ["Казань", "Новосибирск", "Екатеринбург", "Самара"],
    "uk": ["Львів", "Дніпро", "Одеса", "Харків"],
    "ja": ["札幌", "福岡", "名古屋", "仙台"],
    "zh": ["杭州", "成都", "深圳", "南京"],
    "ko": ["부산", "대구", "인천", "광주"],
    "ar": ["دبي", "القاهرة", "عمّان", "الرياض"],
    "he": ["חיפה", "תל אביב", "באר שבע", "ירושלים"],
    "hi": ["पुणे", "जयपुर", "लखनऊ", "इंदौर"],
    "th": ["เชียงใหม่", "ขอนแก่น", "ภูเก็ต"],
    "el": ["Θεσσαλονίκη", "Πάτρα", "Ηράκλειο"],
    "tr": ["İzmir", "Bursa", "Ankara", "Eskişehir"],
    "sv": ["Göteborg", "Uppsala", "Malmö"],
    "cs": ["Brno", "Ostrava", "Plzeň"],
    "vi": ["Đà Nẵng", "Hải Phòng", "Cần Thơ"],
    "id": ["Bandung", "Surabaya", "Yogyakarta"],
}
COMPANIES = [
    "Nordwind Logistik GmbH",
    "Brightwave Analytics Ltd",
    "Kestrel Cloud Inc.",
    "Atelier Lumière SARL",
    "Solaria Energía S.L.",
]
COMPANIES += [
    "Hanriver Tech Co., Ltd.",
    "Sakura Denki K.K.",
    "Tianyu Keji",
    "Volga Trans LLC",
    "Dnipro Soft",
    "Bosphorus Yazılım A.Ş.",
]
USERS = ["deploy", "ubuntu", "admin", "jenkins", "ci", "dev", "ops", "svc-backup", "app", "etl", "grafana", "monitor"]
HOSTS = [
    "web-01",
    "web-02",
    "prod-api-3",
    "bastion",
    "db-replica-1",
    "worker-7",
    "edge-fra-2",
    "mail",
    "vpn-gw",
    "build-04",
]
DBHOSTS = [
    "db-prod.cluster-c9xk2v1qz8ab.eu-central-1.rds.amazonaws.com",
    "pg-main.internal.brightwave.io",
    "mysql-01.lan",
    "redis-14502.c82.us-east-1-2.ec2.cloud.redislabs.com",
    "sql-shop-prod.database.windows.net",
    "orders-db.cq3mxd2lzv1k.ap-northeast-1.rds.amazonaws.com",
    "postgres.kestrelcloud.svc.cluster.local",
    "db.hansebau.de",
    "rabbitmq.tallgrass.ai",
]
PATHS = [
    "index.html",
    "api/v1/orders",
    "wp-login.php",
    "static/app.3f9c1e.js",
    "login",
    "api/v2/users/me",
    ".env",
    "favicon.ico",
]
PATHS += ["robots.txt", "search?q=winter+jacket", "cart/checkout", "admin/", "feed.xml", "healthz"]
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Go-http-client/1.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def display_name(lang: str) -> str:
    if lang in DISPLAY and R.random() < 0.85:
        return R.choice(DISPLAY[lang])
    first, last = NAMES[lang_key(lang)]
    return f"{R.choice(first).capitalize()} {R.choice(last).capitalize()}"


def first_name(lang: str) -> str:
    name = display_name(lang)
    if lang in ("ja", "zh", "ko"):
        return name.replace(" ", "")
    return name.split()[0]


def ver4(lang: str = "", arg: str = "") -> str:
    """A four-part version / section number that also parses as a public IPv4 address."""
    while True:
        v = f"{R.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 20, 21, 24])}.{R.randint(0, 30)}.{R.randint(0, 40)}.{R.randint(1, 250)}"
        if valid_ip(v):
            return v


def sec4(lang: str = "", arg: str = "") -> str:
    """A four-level section / clause number that also parses as a public IPv4 address."""
    while True:
        v = ".".join(str(R.randint(1, 14)) for _ in range(4))
        if valid_ip(v):
            return v


def luhn_bad(lang: str = "", arg: str = "") -> str:
    while True:
        prefix = R.choice(["4", "51", "53", "55", "2223", "6011", "3530"])
        d = prefix + "".join(R.choice(DIGITS) for _ in range(16 - len(prefix)))
        if not luhn_ok(d):
            return group_card(d, R.choice(["plain", "space", "dash"]))


def masked_card(lang: str = "", arg: str = "") -> str:
    last4 = rs(4, DIGITS)
    return R.choice(
        [
            f"**** **** **** {last4}",
            f"XXXX-XXXX-XXXX-{last4}",
            f"•••• •••• •••• {last4}",
            f"{R.choice(['411111', '545454', '371449', '601100'])}******{last4}",
            f"{R.choice(['4', '5'])}{rs(3, DIGITS)} {rs(2, DIGITS)}** **** {last4}",
            f"************{last4}",
            f"xxxx xxxx xxxx {last4}",
        ]
    )


def imei(lang: str = "", arg: str = "") -> str:
    d = luhn_complete(R.choice(["35", "86", "01", "35"]) + rs(12, DIGITS))
    assert card_brand(d) is None
    if arg == "dash":
        return f"{d[:2]}-{d[2:8]}-{d[8:14]}-{d[14]}"
    return d


def iccid(lang: str = "", arg: str = "") -> str:
    d = luhn_complete(R.choice(["8949", "8986", "8901", "8944", "8933", "8981"]) + rs(14, DIGITS))
    assert card_brand(d) is None
    return d


def priv4(lang: str = "", arg: str = "") -> str:
    return R.choice(
        [
            f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"192.168.{R.randint(0, 20)}.{R.randint(1, 254)}",
        ]
    )


def uuid4(lang: str = "", arg: str = "") -> str:
    h = rs(32, HEX)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice('89ab')}{h[17:20]}-{h[20:]}"


def bcrypt(lang: str = "", arg: str = "") -> str:
    return f"$2{R.choice('aby')}${R.choice(['10', '12', '12', '14'])}${rs(53, './' + ALNUM)}"


def shadow(lang: str = "", arg: str = "") -> str:
    return f"$6${rs(16, './' + ALNUM)}${rs(86, './' + ALNUM)}"


def pbkdf2(lang: str = "", arg: str = "") -> str:
    return f"pbkdf2_sha256$600000${rs(22, ALNUM)}${b64(32)}"


def sshpub(lang: str = "", arg: str = "") -> str:
    who = f"{R.choice(USERS)}@{R.choice(HOSTS)}"
    if R.random() < 0.5:
        return f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{rs(43, B64)} {who}"
    return f"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{rs(510, B64)}= {who}"


def pem_public(label: str, prefix: str, length: int) -> str:
    body = prefix + rs(length - len(prefix), B64)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])


def mac(lang: str = "", arg: str = "") -> str:
    sep = arg or ":"
    return sep.join(rs(2, HEX) for _ in range(6))


def clf(lang: str = "", arg: str = "") -> str:
    return f"{R.randint(10, 28):02d}/{R.choice(MONTHS)}/2024:{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d} +0000"


def syslog_ts(lang: str = "", arg: str = "") -> str:
    return (
        f"{R.choice(MONTHS)} {R.randint(1, 28):2d} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}"
    )


def iso_ts(lang: str = "", arg: str = "") -> str:
    return f"2024-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}.{R.randint(0, 999):03d}Z"


def rint(lang: str, arg: str) -> str:
    lo, _, hi = arg.partition(":")
    return str(R.randint(int(lo), int(hi)))


FILLERS: dict[str, Callable[[str, str], str]] = {
    "name": lambda lang, arg: display_name(lang),
    "first": lambda lang, arg: first_name(lang),
    "user": lambda lang, arg: (
        R.choice(USERS) if arg != "p" else R.choice(NAMES[lang_key(lang)][0]) + str(R.randint(1, 99))
    ),
    "host": lambda lang, arg: R.choice(HOSTS),
    "dbhost": lambda lang, arg: R.choice(DBHOSTS),
    "company": lambda lang, arg: R.choice(COMPANIES),
    "city": lambda lang, arg: R.choice(CITIES.get(lang, CITIES["en"])),
    "int": rint,
    "n": lambda lang, arg: str(R.randint(1, 9)) + rs(int(arg) - 1, DIGITS),
    "hex": lambda lang, arg: rs(int(arg), HEX),
    "alnum": lambda lang, arg: rs(int(arg), ALNUM),
    "lower": lambda lang, arg: rs(int(arg), LOWER + DIGITS),
    "uuid": uuid4,
    "port": lambda lang, arg: str(R.randint(1025, 65000)),
    "date": lambda lang, arg: f"2024-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
    "ts": iso_ts,
    "clf": clf,
    "syslog": syslog_ts,
    "path": lambda lang, arg: R.choice(PATHS),
    "ua": lambda lang, arg: R.choice(UAS),
    "exp": lambda lang, arg: f"{R.randint(1, 12):02d}/{R.randint(25, 31)}",
    "cvv": lambda lang, arg: rs(3, DIGITS),
    "amount": lambda lang, arg: f"{R.randint(5, 2500)}.{R.randint(0, 99):02d}",
    # hard-negative values
    "priv4": priv4,
    "loop4": lambda lang, arg: R.choice(["127.0.0.1", "127.0.1.1", "127.0.0.53"]),
    "ll4": lambda lang, arg: f"169.254.{R.randint(0, 255)}.{R.randint(1, 254)}",
    "cgnat": lambda lang, arg: f"100.{R.randint(64, 127)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
    "doc4": lambda lang, arg: f"{R.choice(['192.0.2', '198.51.100', '203.0.113'])}.{R.randint(1, 254)}",
    "doc6": lambda lang, arg: f"2001:db8:{R.randint(0, 0xFFFF):x}::{R.randint(1, 0xFFF):x}",
    "ll6": lambda lang, arg: (
        f"fe80::{rs(4, HEX).lstrip('0') or '1'}:{rs(2, HEX)}ff:fe{rs(2, HEX)}:{rs(4, HEX).lstrip('0') or '1'}"
    ),
    "ula6": lambda lang, arg: f"fd{rs(2, HEX)}:{rs(4, HEX)}:{rs(4, HEX)}::{R.randint(1, 99)}",
    "bench4": lambda lang, arg: f"198.{R.randint(18, 19)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
    "ver4": ver4,
    "sec4": sec4,
    "luhnbad": luhn_bad,
    "masked": masked_card,
    "imei": imei,
    "iccid": iccid,
    "sha256": lambda lang, arg: rs(64, HEX),
    "sha1": lambda lang, arg: rs(40, HEX),
    "md5": lambda lang, arg: rs(32, HEX),
    "gitsha": lambda lang, arg: rs(int(arg or 7), HEX),
    "bcrypt": bcrypt,
    "shadow": shadow,
    "pbkdf2": pbkdf2,
    "mac": mac,
    "btc": lambda lang, arg: "bc1q" + rs(38, BECH32),
    "eth": lambda lang, arg: "0x" + rs(40, "0123456789abcdefABCDEF"),
    "sshpub": sshpub,
    "cert": lambda lang, arg: pem_public("CERTIFICATE", "MIIDdzCCAl+gAwIBAgIU", 1240),
    "pubpem": lambda lang, arg: pem_public("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 392),
    "wgpub": lambda lang, arg: b64(32),
    "datauri": lambda lang, arg: (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAA" + rs(120, B64) + "="
    ),
    "sri": lambda lang, arg: f"sha{arg or '384'}-" + b64(48 if (arg or "384") == "384" else 64),
    "b64": lambda lang, arg: b64(int(arg)),
    "ytid": lambda lang, arg: rs(11, B64URL),
    "bech": lambda lang, arg: rs(int(arg), BECH32),
}

LABELLED: dict[str, tuple[str, Callable[[str, str], str]]] = {
    "EMAIL": ("EMAIL_ADDRESS", email),
    "IP4": ("IP_ADDRESS", ipv4),
    "IP6": ("IP_ADDRESS", ipv6),
    "IP": ("IP_ADDRESS", lambda lang, arg: ipv4() if R.random() < 0.7 else ipv6()),
    "DNS": ("IP_ADDRESS", dns),
    "CARD": ("CREDIT_CARD", card),
    "S": ("SECRET", secret),
}
VALIDATORS: dict[str, Callable[[str], bool]] = {
    "EMAIL_ADDRESS": valid_email,
    "IP_ADDRESS": valid_ip,
    "CREDIT_CARD": valid_card,
    "SECRET": valid_secret,
}

# --------------------------------------------------------------------------------------------
# template engine
# --------------------------------------------------------------------------------------------

SLOT = re.compile(r"⟦([^⟧]+)⟧")
Span = dict[str, object]
Template = tuple[str, str, str, int, tuple[str, ...]]
TEMPLATES: list[Template] = []


def render(template: str, lang: str) -> tuple[str, list[Span]]:
    """Fill the slots of ``template`` left to right, recording each labelled value's offsets as it is appended."""
    parts: list[str] = []
    spans: list[Span] = []
    cache: dict[str, str] = {}
    values: list[str] = []
    pos = 0
    last = 0
    for m in SLOT.finditer(template):
        literal = template[last : m.start()]
        parts.append(literal)
        pos += len(literal)
        spec = m.group(1)
        key, _, tag = spec.partition("#")
        kind, _, arg = key.partition(":")
        if tag and spec in cache:
            value = cache[spec]
        else:
            value = LABELLED[kind][1](lang, arg) if kind in LABELLED else FILLERS[kind](lang, arg)
            if tag:
                cache[spec] = value
        if kind in LABELLED:
            spans.append({"start": pos, "end": pos + len(value), "entity": LABELLED[kind][0]})
            values.append(value)
        parts.append(value)
        pos += len(value)
        last = m.end()
    parts.append(template[last:])
    text = "".join(parts)
    for span, value in zip(spans, values, strict=True):
        assert text[int(span["start"]) : int(span["end"])] == value  # type: ignore[call-overload]
    return text, spans


def P(lang: str, context: str, n: int, *texts: str) -> None:
    """A positive template: ``n`` variants, cycling through ``texts``."""
    TEMPLATES.append((lang, context, "positive", n, texts))


def N(category: str, lang: str, context: str, n: int, *texts: str) -> None:
    """A hard-negative template (no labelled slots)."""
    TEMPLATES.append((lang, context, category, n, texts))


# ============================================================================================
# POSITIVE TEMPLATES
# ============================================================================================

# ---- e-mail addresses ----------------------------------------------------------------------

P(
    "en",
    "email_header",
    3,
    "From: ⟦name⟧ <⟦EMAIL⟧>\nTo: ⟦EMAIL⟧\nCc: ⟦EMAIL⟧\nDate: Tue, 14 May 2024 09:12:44 +0200\nSubject: Re: Q2 vendor onboarding\n\nHi all,\nlooping in ⟦name⟧ from procurement, she owns the contract now. Please send the signed NDA to her directly.\n\nThanks",
)
P(
    "en",
    "mailing_list",
    2,
    "On Mon, Mar 4, 2024 at 11:02 AM ⟦name⟧ <⟦EMAIL⟧> wrote:\n> I can reproduce this on aarch64 as well, but only with -O2.\n> Bisected to the inliner change from last week.\n\nThanks, that narrows it down. Pushed a revert to the 4.x branch.",
)
P(
    "en",
    "git_log",
    2,
    "commit ⟦hex:40⟧\nAuthor: ⟦name#a⟧ <⟦EMAIL#a⟧>\nDate:   Thu Feb 8 17:41:09 2024 +0100\n\n    fix(parser): handle empty front matter\n\n    Signed-off-by: ⟦name#a⟧ <⟦EMAIL#a⟧>\n    Co-authored-by: ⟦name⟧ <⟦EMAIL⟧>",
)
P(
    "en",
    "package_json",
    2,
    '{\n  "name": "@⟦user⟧/md-lint",\n  "version": "2.3.1",\n  "description": "Opinionated markdown linter",\n  "author": "⟦name⟧ <⟦EMAIL⟧>",\n  "contributors": [\n    { "name": "⟦name⟧", "email": "⟦EMAIL⟧" }\n  ],\n  "bugs": { "email": "⟦EMAIL:role⟧" },\n  "license": "MIT"\n}',
)
P(
    "en",
    "pyproject",
    2,
    '[project]\nname = "tabular-diff"\nversion = "0.9.0"\nauthors = [\n  { name = "⟦name⟧", email = "⟦EMAIL⟧" },\n]\nmaintainers = [{ name = "⟦name⟧", email = "⟦EMAIL⟧" }]\nrequires-python = ">=3.10"',
)
P(
    "en",
    "csv",
    3,
    "id,full_name,email,signup_date,plan\n⟦n:5⟧,⟦name⟧,⟦EMAIL⟧,2023-11-02,pro\n⟦n:5⟧,⟦name⟧,⟦EMAIL⟧,2023-11-04,free\n⟦n:5⟧,⟦name⟧,⟦EMAIL⟧,2023-11-04,team",
)
P(
    "en",
    "vcard",
    2,
    "BEGIN:VCARD\nVERSION:3.0\nFN:⟦name⟧\nORG:⟦company⟧\nTITLE:Account Manager\nEMAIL;TYPE=work:⟦EMAIL⟧\nEMAIL;TYPE=home:⟦EMAIL⟧\nEND:VCARD",
)
P(
    "en",
    "forum_post",
    3,
    "Has anyone managed to get the export working on 3.x? I've been stuck for two days and the docs are out of date. If you have a working config please email me at ⟦EMAIL⟧, happy to buy you a coffee.",
    "Selling my old Thinkpad X1 (gen 7), 16GB, battery at 88%. Pickup in ⟦city⟧ or shipping at your cost. Drop me a line: ⟦EMAIL⟧",
)
P(
    "en",
    "email_signature",
    3,
    "Best regards,\n\n--\n⟦name⟧\nHead of Partnerships | ⟦company⟧\n✉ ⟦EMAIL⟧\nPlease note my new address from June: ⟦EMAIL⟧",
    "Kind regards,\n⟦name⟧\nSenior Recruiter\n⟦EMAIL⟧ | linkedin.com/in/⟦user:p⟧",
)
P(
    "en",
    "markdown_table",
    2,
    "## Team\n\n| Name | Role | Email |\n|------|------|-------|\n| ⟦name⟧ | Maintainer | ⟦EMAIL⟧ |\n| ⟦name⟧ | Security contact | ⟦EMAIL⟧ |\n| ⟦name⟧ | Docs | ⟦EMAIL⟧ |",
)
P(
    "en",
    "maintainers_file",
    2,
    "CSV IMPORT DRIVER\nM:\t⟦name⟧ <⟦EMAIL⟧>\nR:\t⟦name⟧ <⟦EMAIL⟧>\nL:\t⟦EMAIL:role⟧\nS:\tMaintained\nF:\tdrivers/import/csv/",
)
P(
    "en",
    "python_code",
    2,
    'ADMINS = [("⟦name⟧", "⟦EMAIL⟧"), ("Ops", "⟦EMAIL:role⟧")]\nMANAGERS = ADMINS\nDEFAULT_FROM_EMAIL = "⟦EMAIL:role⟧"\nSERVER_EMAIL = DEFAULT_FROM_EMAIL',
)
P(
    "en",
    "yaml_config",
    2,
    "notifications:\n  email:\n    recipients:\n      - ⟦EMAIL⟧\n      - ⟦EMAIL⟧\n    on_success: never\n    on_failure: always",
)
P(
    "en",
    "crontab",
    1,
    "MAILTO=⟦EMAIL⟧\nSHELL=/bin/bash\n# m h dom mon dow command\n0 3 * * * /usr/local/bin/backup.sh --target s3://backups/nightly\n*/15 * * * * /opt/app/bin/healthcheck",
)
P(
    "en",
    "support_ticket",
    2,
    "Ticket #⟦n:6⟧\nCustomer: ⟦name⟧ (⟦EMAIL⟧)\nPriority: High\n\nCustomer cannot log in after the password reset. Reset link was sent to an old address; they asked us to update it to ⟦EMAIL⟧.",
)
P(
    "en",
    "chat_log",
    2,
    "[10:42] <⟦user:p⟧> can someone add ⟦EMAIL⟧ to the staging project?\n[10:43] <⟦user:p⟧> done. also invited ⟦EMAIL⟧ since she's on call next week\n[10:43] <⟦user:p⟧> ty",
)
P(
    "en",
    "cargo_toml",
    1,
    '[package]\nname = "tiny-lru"\nversion = "0.4.2"\nedition = "2021"\nauthors = ["⟦name⟧ <⟦EMAIL⟧>"]\nlicense = "MIT OR Apache-2.0"',
)
P("en", "gitconfig", 1, "[user]\n\tname = ⟦name⟧\n\temail = ⟦EMAIL⟧\n[core]\n\teditor = nvim\n[pull]\n\trebase = true")
P(
    "en",
    "dockerfile",
    1,
    'FROM python:3.12-slim\nLABEL maintainer="⟦EMAIL⟧"\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app:app"]',
)
P(
    "en",
    "k8s_manifest",
    1,
    "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt-prod\nspec:\n  acme:\n    email: ⟦EMAIL⟧\n    server: https://acme-v02.api.letsencrypt.org/directory\n    privateKeySecretRef:\n      name: letsencrypt-prod\n    solvers:\n      - http01:\n          ingress:\n            class: nginx",
)
P(
    "en",
    "java_code",
    2,
    'Message message = new MimeMessage(session);\nmessage.setFrom(new InternetAddress("⟦EMAIL:role⟧"));\nmessage.setRecipients(Message.RecipientType.TO, InternetAddress.parse("⟦EMAIL⟧,⟦EMAIL⟧"));\nmessage.setSubject("Monthly report");',
)
P(
    "en",
    "sql",
    2,
    "INSERT INTO users (id, name, email, created_at) VALUES\n  (⟦n:4⟧, '⟦name⟧', '⟦EMAIL⟧', NOW()),\n  (⟦n:4⟧, '⟦name⟧', '⟦EMAIL⟧', NOW());",
)
P(
    "en",
    "latex",
    2,
    "\\title{Sparse Attention for Tabular Data}\n\\author{⟦name⟧\\thanks{Corresponding author: \\href{mailto:⟦EMAIL#a⟧}{\\texttt{⟦EMAIL#a⟧}}} \\and ⟦name⟧}\n\\date{\\today}",
)
P(
    "en",
    "html",
    2,
    '<footer>\n  <p>Questions about your order? Write to <a href="mailto:⟦EMAIL#a⟧">⟦EMAIL#a⟧</a>.</p>\n  <p>Press: <a href="mailto:⟦EMAIL⟧">⟦name⟧</a></p>\n</footer>',
)
P(
    "en",
    "cv",
    1,
    "⟦name⟧\n⟦city⟧ · ⟦EMAIL⟧ · github.com/⟦user:p⟧\n\nEXPERIENCE\nSenior Data Engineer, ⟦company⟧ (2020 to present)\n- Built streaming ingestion for 40k events/s\n- Led migration from Airflow 1 to 2",
)
P(
    "en",
    "app_log",
    2,
    "⟦ts⟧ INFO  auth.login user_email=⟦EMAIL⟧ result=success mfa=totp\n⟦ts⟧ WARN  auth.login user_email=⟦EMAIL⟧ result=failure reason=bad_password attempts=3",
)
P(
    "en",
    "web_prose",
    1,
    "To request a copy of your data under GDPR Article 15, contact our Data Protection Officer, ⟦name⟧, at ⟦EMAIL⟧. We answer within 30 days.",
)

P(
    "de",
    "impressum",
    3,
    "Impressum\n\nAngaben gemäß § 5 TMG:\n⟦company⟧\nHauptstraße ⟦int:1:120⟧\n⟦int:10115:99998⟧ ⟦city⟧\n\nVertreten durch: ⟦name⟧\nE-Mail: ⟦EMAIL:role⟧\nDatenschutzanfragen: ⟦EMAIL⟧",
)
P(
    "de",
    "email",
    3,
    "Von: ⟦EMAIL⟧\nAn: ⟦EMAIL⟧\nBetreff: AW: Kündigung Mietvertrag\n\nSehr geehrte Damen und Herren,\nbitte senden Sie die Unterlagen künftig an ⟦EMAIL⟧.\n\nMit freundlichen Grüßen\n⟦name⟧",
)
P(
    "de",
    "forum_post",
    2,
    "Hat jemand Erfahrung mit dem Umzug von Nextcloud auf einen neuen Server? Ich zahle gern für Hilfe, Kontakt per Mail: ⟦EMAIL⟧",
)
P(
    "de",
    "cv",
    2,
    "Lebenslauf\n\n⟦name⟧\n⟦city⟧ · ⟦EMAIL⟧\n\nBerufserfahrung\nseit 2019  Softwareentwicklerin, ⟦company⟧\n2016–2019  Werkstudentin, Stadtwerke",
)
P(
    "fr",
    "email",
    3,
    "Le 12/03/2024 à 14:05, ⟦name⟧ <⟦EMAIL⟧> a écrit :\n> Bonjour,\n> pouvez-vous me renvoyer la facture de février ?\n\nBonjour,\nc'est fait, je l'ai aussi envoyée à ⟦EMAIL⟧ pour la comptabilité.\nCordialement",
)
P(
    "fr",
    "web_prose",
    2,
    "Pour toute question concernant votre inscription, écrivez à ⟦EMAIL:role⟧ ou directement à la responsable pédagogique, ⟦name⟧ (⟦EMAIL⟧).",
)
P(
    "fr",
    "cv",
    2,
    "⟦name⟧\nDéveloppeuse full-stack\n⟦city⟧ – ⟦EMAIL⟧\n\nExpériences\n2021 – aujourd'hui : ⟦company⟧, développement d'une plateforme de réservation",
)
P(
    "es",
    "forum_post",
    3,
    "¡Hola! Busco compañero de piso en ⟦city⟧ a partir de septiembre. Habitación amplia, 450 €/mes gastos incluidos. Escribidme a ⟦EMAIL⟧ y os mando fotos.",
)
P(
    "es",
    "email",
    2,
    "De: ⟦name⟧ <⟦EMAIL⟧>\nPara: ⟦EMAIL⟧\nAsunto: Presupuesto reforma cocina\n\nBuenos días,\nadjunto el presupuesto actualizado. Cualquier duda, a este correo o a ⟦EMAIL⟧.\nUn saludo",
)
P(
    "pt",
    "web_prose",
    2,
    "Dúvidas sobre a matrícula? Entre em contato pelo e-mail ⟦EMAIL:role⟧ ou fale com a coordenadora ⟦name⟧ pelo ⟦EMAIL⟧.",
)
P(
    "pt",
    "classified",
    2,
    "Vendo bicicleta aro 29, pouco usada, R$ 1.800. Retirada em ⟦city⟧. Interessados mandar e-mail para ⟦EMAIL⟧",
)
P(
    "it",
    "email",
    2,
    "Gentile ⟦name⟧,\nin allegato il preventivo richiesto. Per la conferma scriva pure a ⟦EMAIL⟧ oppure a ⟦EMAIL:role⟧.\nCordiali saluti",
)
P(
    "nl",
    "forum_post",
    2,
    "Wie kan mij helpen met het instellen van mijn Ziggo-modem in bridge mode? Mail me gerust: ⟦EMAIL⟧",
)
P(
    "pl",
    "email",
    2,
    "Dzień dobry,\nproszę o przesłanie faktury na adres ⟦EMAIL⟧, a kopię do księgowości: ⟦EMAIL⟧.\nPozdrawiam\n⟦name⟧",
)
P(
    "ru",
    "email",
    3,
    "Добрый день!\nРезюме отправил на ⟦EMAIL⟧, продублирую на ⟦EMAIL⟧ на всякий случай.\nС уважением, ⟦name⟧",
)
P(
    "ru",
    "forum_post",
    2,
    "Продаю видеокарту RTX 3070, состояние отличное, самовывоз ⟦city⟧. Пишите на почту ⟦EMAIL⟧, в личку не отвечаю.",
)
P(
    "uk",
    "web_prose",
    2,
    "З питань співпраці звертайтеся до ⟦name⟧ на пошту ⟦EMAIL⟧ або на загальну скриньку ⟦EMAIL:role⟧.",
)
P(
    "ja",
    "web_prose",
    3,
    "お問い合わせは⟦EMAIL⟧までご連絡ください。担当：⟦name⟧（平日10時〜18時）",
    "採用に関するご質問は人事部 ⟦name⟧ 宛に、メール（⟦EMAIL⟧）でお願いいたします。",
)
P(
    "ja",
    "email",
    2,
    "⟦name⟧様\n\nお世話になっております。見積書を添付いたします。今後のご連絡は⟦EMAIL⟧宛にお願いいたします。\n\nよろしくお願いいたします。",
)
P(
    "zh",
    "web_prose",
    3,
    "如有问题请发邮件至⟦EMAIL⟧，我们会在24小时内回复。联系人：⟦name⟧",
    "投稿邮箱：⟦EMAIL⟧，来稿请注明“投稿”字样。",
)
P("zh", "chat_log", 2, "⟦name⟧：简历发我邮箱⟦EMAIL⟧就行\n⟦name⟧：好的，今晚发给你")
P(
    "ko",
    "web_prose",
    3,
    "문의사항은 ⟦EMAIL⟧로 보내주세요. 담당자: ⟦name⟧",
    "입사 지원서는 인사팀 메일(⟦EMAIL⟧)로 제출해 주시기 바랍니다.",
)
P("ar", "web_prose", 2, "للتواصل مع فريق الدعم: ⟦EMAIL:role⟧ أو مراسلة المدير مباشرة على ⟦EMAIL⟧")
P("he", "web_prose", 2, "לפרטים נוספים ניתן לפנות ל⟦name⟧ במייל ⟦EMAIL⟧ או לשלוח קורות חיים ל-⟦EMAIL:role⟧")
P("hi", "web_prose", 2, "कृपया अपना बायोडाटा ⟦EMAIL⟧ पर भेजें। किसी भी प्रश्न के लिए ⟦name⟧ से संपर्क करें।")
P("th", "web_prose", 2, "ติดต่อสอบถามได้ที่อีเมล⟦EMAIL⟧ หรือ ⟦EMAIL:role⟧ ในวันและเวลาทำการ")
P("el", "web_prose", 2, "Για περισσότερες πληροφορίες επικοινωνήστε στο ⟦EMAIL⟧ (υπεύθυνη: ⟦name⟧).")
P(
    "tr",
    "forum_post",
    2,
    "Merhaba, İzmir'de ikinci el piyano arıyorum. Elinde olan varsa ⟦EMAIL⟧ adresine yazabilir mi?",
)
P("sv", "email", 2, "Hej!\nSkicka gärna protokollet till ⟦EMAIL⟧ så vidarebefordrar jag till styrelsen.\nMvh ⟦name⟧")
P("cs", "web_prose", 2, "Dotazy k objednávkám posílejte na ⟦EMAIL:role⟧, reklamace vyřizuje ⟦name⟧ (⟦EMAIL⟧).")
P("vi", "web_prose", 2, "Mọi thắc mắc xin gửi về email ⟦EMAIL⟧ hoặc liên hệ chị ⟦name⟧.")
P("id", "web_prose", 2, "Untuk pendaftaran, kirimkan CV Anda ke ⟦EMAIL⟧ paling lambat 30 Juni.")

# ---- IP addresses --------------------------------------------------------------------------

P(
    "en",
    "nginx_log",
    3,
    '⟦IP4⟧ - - [⟦clf⟧] "GET /⟦path⟧ HTTP/1.1" 200 ⟦int:200:90000⟧ "-" "⟦ua⟧"\n⟦IP4⟧ - - [⟦clf⟧] "POST /⟦path⟧ HTTP/2.0" 302 0 "https://shop.brightwave.io/cart" "⟦ua⟧"\n⟦priv4⟧ - - [⟦clf⟧] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"',
)
P(
    "en",
    "nginx_log",
    1,
    '⟦IP6⟧ - - [⟦clf⟧] "GET /⟦path⟧ HTTP/2.0" 404 153 "-" "⟦ua⟧"\n⟦IP4⟧ - - [⟦clf⟧] "GET /⟦path⟧ HTTP/1.1" 200 5120 "-" "⟦ua⟧"',
)
P(
    "en",
    "apache_log",
    3,
    "[Tue May 14 10:21:03.118204 2024] [authz_core:error] [pid ⟦int:1000:9999⟧:tid 139871] [client ⟦IP4⟧:⟦port⟧] AH01630: client denied by server configuration: /var/www/html/.env\n[Tue May 14 10:21:04.552010 2024] [php:error] [pid ⟦int:1000:9999⟧] [client ⟦IP4⟧:⟦port⟧] PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect()",
)
P(
    "en",
    "sshd_log",
    3,
    "⟦syslog⟧ ⟦host⟧ sshd[⟦int:1000:65000⟧]: Failed password for invalid user admin from ⟦IP⟧ port ⟦port⟧ ssh2\n⟦syslog⟧ ⟦host⟧ sshd[⟦int:1000:65000⟧]: Connection closed by authenticating user root ⟦IP4⟧ port ⟦port⟧ [preauth]\n⟦syslog⟧ ⟦host⟧ sshd[⟦int:1000:65000⟧]: Accepted publickey for deploy from ⟦IP6⟧ port ⟦port⟧ ssh2: ED25519 SHA256:⟦b64:32⟧",
)
P(
    "en",
    "firewall_log",
    3,
    "⟦syslog⟧ ⟦host⟧ kernel: [UFW BLOCK] IN=eth0 OUT= MAC=⟦mac⟧:⟦mac⟧:08:00 SRC=⟦IP4⟧ DST=⟦priv4⟧ LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=54321 PROTO=TCP SPT=⟦port⟧ DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0",
)
P(
    "en",
    "fail2ban_log",
    2,
    "2024-05-14 03:13:02,551 fail2ban.actions [812]: NOTICE [sshd] Ban ⟦IP4⟧\n2024-05-14 03:21:47,009 fail2ban.actions [812]: NOTICE [sshd] Ban ⟦IP⟧\n2024-05-14 04:13:02,611 fail2ban.actions [812]: NOTICE [sshd] Unban ⟦IP4⟧",
)
P(
    "en",
    "http_headers",
    2,
    "GET /api/v2/orders HTTP/1.1\nHost: api.kestrelcloud.com\nX-Forwarded-For: ⟦IP4⟧, ⟦priv4⟧\nX-Real-IP: ⟦IP4⟧\nCF-Connecting-IP: ⟦IP6⟧\nAccept: application/json",
)
P(
    "en",
    "dns_zone",
    2,
    "$ORIGIN brightwave.io.\n$TTL 3600\n@       IN  A     ⟦IP4⟧\n@       IN  AAAA  ⟦IP6⟧\nwww     IN  CNAME @\nmail    IN  A     ⟦IP4⟧\n@       IN  MX 10 mail",
)
P(
    "en",
    "hosts_file",
    1,
    "127.0.0.1   localhost\n::1         localhost ip6-localhost\n⟦IP4⟧  api.staging.brightwave.io\n⟦IP6⟧  grafana.staging.brightwave.io",
)
P(
    "en",
    "nginx_config",
    2,
    "location /admin/ {\n    allow ⟦IP4⟧;\n    allow ⟦IP4⟧;\n    allow ⟦IP6⟧;\n    allow 10.0.0.0/8;\n    deny  all;\n    proxy_pass http://admin_backend;\n}",
)
P(
    "en",
    "terraform",
    2,
    'resource "aws_security_group_rule" "office_ssh" {\n  type              = "ingress"\n  from_port         = 22\n  to_port           = 22\n  protocol          = "tcp"\n  cidr_blocks       = ["⟦IP4⟧/32", "⟦IP4⟧/32"]\n  security_group_id = aws_security_group.bastion.id\n}',
)
P(
    "en",
    "haproxy_config",
    2,
    "backend web\n    balance roundrobin\n    server web1 ⟦IP4⟧:8080 check\n    server web2 ⟦IP4⟧:8080 check\n    server web3 ⟦IP4⟧:8080 check backup",
)
P(
    "en",
    "ping_output",
    2,
    "$ ping -c 2 mail.hansebau.de\nPING mail.hansebau.de (⟦IP4#a⟧) 56(84) bytes of data.\n64 bytes from ⟦IP4#a⟧: icmp_seq=1 ttl=54 time=12.4 ms\n64 bytes from ⟦IP4#a⟧: icmp_seq=2 ttl=54 time=12.1 ms",
)
P(
    "en",
    "traceroute",
    2,
    "traceroute to ⟦IP4#a⟧ (⟦IP4#a⟧), 30 hops max, 60 byte packets\n 1  ⟦priv4⟧  0.412 ms  0.380 ms  0.371 ms\n 2  ⟦cgnat⟧  8.112 ms  8.090 ms  8.301 ms\n 3  ⟦IP4⟧  9.877 ms  9.850 ms  10.002 ms\n 4  ⟦IP4#a⟧  14.223 ms  14.190 ms  14.305 ms",
)
P(
    "en",
    "json_log",
    3,
    '{"time":"⟦ts⟧","level":"warn","msg":"rate limit exceeded","remote_addr":"⟦IP⟧","path":"/api/login","status":429}\n{"time":"⟦ts⟧","level":"info","msg":"request","remote_addr":"⟦IP6⟧","path":"/","status":200}',
)
P(
    "en",
    "waf_csv",
    2,
    "timestamp,client_ip,country,action,rule\n⟦ts⟧,⟦IP4⟧,NL,block,sqli-942100\n⟦ts⟧,⟦IP4⟧,US,challenge,bot-score\n⟦ts⟧,⟦IP6⟧,DE,block,xss-941160",
)
P(
    "en",
    "shell_command",
    3,
    'curl -v "http://[⟦IP6⟧]:8080/healthz"',
    "ssh -i ~/.ssh/id_ed25519 -p 2222 deploy@⟦IP4⟧",
    "nc -zv ⟦IP4⟧ 5432",
)
P(
    "en",
    "docker_compose",
    2,
    'services:\n  app:\n    image: registry.brightwave.io/app:1.14\n    extra_hosts:\n      - "db.internal:⟦IP4⟧"\n      - "cache.internal:⟦IP4⟧"\n    dns:\n      - ⟦DNS⟧',
)
P(
    "en",
    "ansible_inventory",
    2,
    "[web]\n⟦IP4⟧ ansible_user=ubuntu\n⟦IP4⟧ ansible_user=ubuntu\n\n[db]\n⟦IP4⟧ ansible_user=admin ansible_port=2222",
)
P(
    "en",
    "k8s_manifest",
    2,
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: ingress-lb\nspec:\n  type: LoadBalancer\n  loadBalancerIP: ⟦IP4⟧\n  loadBalancerSourceRanges:\n    - ⟦IP4⟧/32\n    - ⟦IP4⟧/29\n  ports:\n    - port: 443",
)
P(
    "en",
    "postfix_log",
    2,
    "⟦syslog⟧ mail postfix/smtpd[1842]: connect from unknown[⟦IP4⟧]\n⟦syslog⟧ mail postfix/smtpd[1842]: NOQUEUE: reject: RCPT from unknown[⟦IP4⟧]: 554 5.7.1 <⟦EMAIL⟧>: Relay access denied; from=<⟦EMAIL⟧> to=<⟦EMAIL⟧> proto=ESMTP",
)
P(
    "en",
    "wireguard_config",
    2,
    "[Interface]\nAddress = 10.8.0.2/24\nDNS = ⟦DNS⟧\n\n[Peer]\nPublicKey = ⟦wgpub⟧\nEndpoint = ⟦IP4⟧:51820\nAllowedIPs = 0.0.0.0/0, ::/0\nPersistentKeepalive = 25",
)
P(
    "en",
    "openvpn_config",
    1,
    "client\ndev tun\nproto udp\nremote ⟦IP4⟧ 1194\nremote ⟦IP4⟧ 1194\nresolv-retry infinite\nnobind\npersist-key",
)
P(
    "en",
    "netstat",
    1,
    "  Proto  Local Address          Foreign Address        State\n  TCP    ⟦priv4⟧:52144      ⟦IP4⟧:443       ESTABLISHED\n  TCP    ⟦priv4⟧:52161      ⟦IP4⟧:443       TIME_WAIT\n  TCP    [::1]:5432             [::]:0                 LISTENING",
)
P(
    "en",
    "sql",
    1,
    "SELECT user_id, created_at FROM logins\nWHERE ip = '⟦IP4⟧' OR ip = '⟦IP6⟧'\nORDER BY created_at DESC LIMIT 50;",
)
P(
    "en",
    "python_code",
    2,
    'BLOCKLIST = {\n    "⟦IP4⟧",\n    "⟦IP4⟧",\n    "⟦IP6⟧",\n}\n\nif request.remote_addr in BLOCKLIST:\n    abort(403)',
)
P("en", "go_code", 1, 'conn, err := net.Dial("tcp", "⟦IP4⟧:6379")\nif err != nil {\n\tlog.Fatalf("redis: %v", err)\n}')
P("en", "rust_code", 1, 'let addr: SocketAddr = "[⟦IP6⟧]:443".parse()?;\nlet stream = TcpStream::connect(addr).await?;')
P(
    "en",
    "email_header",
    2,
    "Received: from mail-ed1-f54.google.com (mail-ed1-f54.google.com [⟦IP4⟧])\n\tby mx.hansebau.de (Postfix) with ESMTPS id 4VbK2x1Zq3z9sWn\n\tfor <⟦EMAIL⟧>; Tue, 14 May 2024 09:12:47 +0200 (CEST)\nX-Originating-IP: [⟦IP4⟧]",
)
P(
    "en",
    "abuse_report",
    2,
    "Hello abuse team,\n\nwe observed SSH brute-force attempts from ⟦IP4⟧ and ⟦IP6⟧ against our range between 02:00 and 04:00 UTC on 2024-05-13. Logs attached. Please take appropriate action.",
)
P(
    "en",
    "markdown_table",
    2,
    "| Host | Public IP | Private IP | Region |\n|---|---|---|---|\n| edge-fra-1 | ⟦IP4⟧ | ⟦priv4⟧ | eu-central |\n| edge-sin-1 | ⟦IP4⟧ | ⟦priv4⟧ | ap-southeast |\n| edge-iad-1 | ⟦IP6⟧ | ⟦priv4⟧ | us-east |",
)
P(
    "en",
    "prometheus_config",
    1,
    "scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['⟦IP4⟧:9100', '⟦IP4⟧:9100', '⟦priv4⟧:9100']",
)
P(
    "en",
    "api_response",
    1,
    '{\n  "ip": "⟦IP4⟧",\n  "city": "⟦city⟧",\n  "country": "DE",\n  "org": "AS24940 Hetzner Online GmbH",\n  "timezone": "Europe/Berlin"\n}',
)
P(
    "en",
    "forum_post",
    2,
    "My ISP gave me a static IPv6 prefix and my router shows ⟦IP6⟧ as WAN address, but nothing reaches the box from outside. IPv4 (⟦IP4⟧) works fine. Any ideas?",
)
P(
    "en",
    "resolv_conf",
    1,
    "# Generated by NetworkManager\nsearch lan\nnameserver ⟦DNS⟧\nnameserver ⟦DNS⟧\noptions edns0 trust-ad",
)
P(
    "en",
    "iptables",
    1,
    "-A INPUT -s ⟦IP4⟧/32 -p tcp --dport 22 -j ACCEPT\n-A INPUT -s ⟦IP4⟧/32 -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j DROP",
)

P(
    "de",
    "forum_post",
    2,
    "Mein Server unter ⟦IP4⟧ ist seit gestern nicht mehr per SSH erreichbar, ping geht aber. Im Log tauchen ständig Verbindungsversuche von ⟦IP6⟧ auf. Jemand eine Idee?",
)
P(
    "fr",
    "forum_post",
    2,
    "Bonjour, ma Freebox a l'IP publique ⟦IP4⟧ mais le port 443 n'est pas joignable depuis l'extérieur. En IPv6 (⟦IP6⟧) ça marche. Une idée ?",
)
P(
    "es",
    "support_ticket",
    2,
    "Incidencia: desde la IP ⟦IP4⟧ se están haciendo cientos de peticiones por minuto al formulario de contacto. ¿Podéis bloquearla en el firewall?",
)
P(
    "pt",
    "forum_post",
    2,
    "Alguém sabe por que o meu IP público aparece como ⟦IP4⟧ em alguns sites e ⟦IP4⟧ em outros? Uso fibra da Vivo.",
)
P(
    "it",
    "web_prose",
    1,
    "Il nostro server DNS secondario risponde all'indirizzo ⟦IP4⟧; aggiornate i record NS entro venerdì.",
)
P(
    "nl",
    "support_ticket",
    1,
    "Klant meldt dat de mailserver ⟦IP4⟧ op een blacklist staat (Spamhaus). Graag controleren en delisting aanvragen.",
)
P("pl", "forum_post", 1, "Mam stałe IP ⟦IP4⟧ od Orange, a mimo to port 8080 jest zamknięty. Ktoś miał podobny problem?")
P(
    "ru",
    "forum_post",
    3,
    "Провайдер выдал статический IP ⟦IP4⟧, но из-за NAT снаружи виден ⟦IP4⟧. Как пробросить порт 25565 для сервера Minecraft?",
    "Блокирую в iptables подсеть, с адреса ⟦IP4⟧ идёт перебор паролей к SSH уже третий день.",
)
P("uk", "support_ticket", 1, "Сервер ⟦IP4⟧ не відповідає з 03:00. Прохання перевірити мережеве обладнання в стійці B4.")
P(
    "ja",
    "security_alert",
    3,
    "【重要】接続元IPアドレス⟦IP⟧からの不正アクセスを検知しました。心当たりがない場合はパスワードを変更してください。",
)
P("ja", "blog", 1, "自宅サーバーのグローバルIPは⟦IP4⟧になっていたので、DNSのAレコードを更新した。")
P(
    "zh",
    "chat_log",
    3,
    "服务器IP：⟦IP4⟧，端口22，用户名root，密钥我私发你",
    "新的出口IP是⟦IP4⟧和⟦IP6⟧，麻烦加一下白名单",
)
P("ko", "web_prose", 2, "접속 IP ⟦IP⟧에서 비정상적인 로그인 시도가 감지되었습니다.")
P(
    "ar",
    "security_alert",
    2,
    "تم رصد محاولة تسجيل دخول من عنوان IP ⟦IP4⟧ في ⟦city⟧. إذا لم تكن أنت، يرجى تغيير كلمة المرور.",
)
P("he", "support_ticket", 1, "השרת בכתובת ⟦IP4⟧ לא מגיב מאז הבוקר, אפשר לבדוק?")
P("hi", "security_alert", 1, "आपके खाते में IP पता ⟦IP4⟧ से लॉगिन किया गया। यदि यह आप नहीं थे तो तुरंत पासवर्ड बदलें।")
P("th", "security_alert", 1, "ตรวจพบการเข้าสู่ระบบจากที่อยู่ IP ⟦IP4⟧ หากไม่ใช่คุณ โปรดเปลี่ยนรหัสผ่านทันที")
P(
    "el",
    "forum_post",
    1,
    "Ο router μου δείχνει εξωτερική IP ⟦IP4⟧, αλλά το port forwarding δεν δουλεύει. Έχει κανείς ιδέα;",
)
P("tr", "support_ticket", 2, "Sunucumuzun IP adresi ⟦IP4⟧ Spamhaus listesine girmiş, yardımcı olabilir misiniz?")
P("vi", "forum_post", 1, "IP tĩnh của mình là ⟦IP4⟧, mở port 3389 rồi mà vẫn không remote được.")
P("id", "support_ticket", 1, "Mohon whitelist IP kantor kami ⟦IP4⟧ dan ⟦IP4⟧ untuk akses ke dashboard.")
P(
    "sv",
    "forum_post",
    1,
    "Min publika IP är ⟦IP4⟧ enligt routern men webbsidor visar en annan adress. Är jag bakom CGNAT?",
)
P("cs", "web_prose", 1, "Sekundární DNS server nově najdete na adrese ⟦IP4⟧, primární zůstává beze změny.")

# ---- payment cards -------------------------------------------------------------------------

P(
    "en",
    "chat_log",
    4,
    "[19:02] ⟦first⟧: the subscription failed again, can you charge my other card instead?\n[19:03] ⟦first⟧: ⟦CARD⟧ exp ⟦exp⟧ cvv ⟦cvv⟧\n[19:05] support: thanks, retrying now",
)
P(
    "en",
    "support_ticket",
    3,
    "Ticket #⟦n:6⟧ - double charge\nCustomer says card ⟦CARD⟧ was charged twice for order #⟦n:7⟧ (⟦amount⟧ EUR). Please refund one of the transactions.",
)
P(
    "en",
    "debug_log",
    4,
    '⟦ts⟧ DEBUG payment.gateway request={"card":{"number":"⟦CARD::plain⟧","exp_month":⟦int:1:12⟧,"exp_year":2027,"cvc":"⟦cvv⟧"},"amount":4999,"currency":"eur"}',
)
P(
    "en",
    "csv",
    3,
    "order_id,customer,card_number,exp,amount\n⟦n:7⟧,⟦name⟧,⟦CARD⟧,⟦exp⟧,⟦amount⟧\n⟦n:7⟧,⟦name⟧,⟦CARD⟧,⟦exp⟧,⟦amount⟧\n⟦n:7⟧,⟦name⟧,⟦CARD⟧,⟦exp⟧,⟦amount⟧",
)
P(
    "en",
    "sql",
    2,
    "INSERT INTO payments (customer_id, pan, expiry, amount) VALUES\n  (⟦n:5⟧, '⟦CARD::plain⟧', '⟦exp⟧', ⟦amount⟧),\n  (⟦n:5⟧, '⟦CARD::plain⟧', '⟦exp⟧', ⟦amount⟧);",
)
P(
    "en",
    "http_body",
    2,
    "POST /checkout/pay HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\ncard_number=⟦CARD::plain⟧&exp=⟦exp⟧&cvc=⟦cvv⟧&holder=⟦first⟧&save=1",
)
P(
    "en",
    "python_code",
    2,
    'resp = gateway.charge(\n    card_number="⟦CARD::plain⟧",\n    expiry="⟦exp⟧",\n    cvv="⟦cvv⟧",\n    amount=Decimal("129.00"),\n)',
)
P(
    "en",
    "xml",
    2,
    '<PaymentRequest>\n  <MerchantId>⟦n:8⟧</MerchantId>\n  <Card>\n    <Number>⟦CARD::plain⟧</Number>\n    <Expiry>⟦exp⟧</Expiry>\n    <Holder>⟦name⟧</Holder>\n  </Card>\n  <Amount currency="GBP">⟦amount⟧</Amount>\n</PaymentRequest>',
)
P(
    "en",
    "email",
    3,
    "Hi,\n\nplease use my company card for the conference booking: ⟦CARD:amex⟧, expiry ⟦exp⟧, name on card ⟦name⟧. The personal one (⟦CARD:visa⟧) is maxed out.\n\nThanks!",
)
P(
    "en",
    "markdown_table",
    2,
    "### Disputed transactions\n\n| Date | Card | Amount | Status |\n|---|---|---|---|\n| 2024-04-02 | ⟦CARD::space⟧ | ⟦amount⟧ | open |\n| 2024-04-05 | ⟦CARD::space⟧ | ⟦amount⟧ | refunded |",
)
P(
    "en",
    "json_record",
    2,
    '{"customer": "⟦name⟧", "payment_method": {"type": "card", "brand": "jcb", "number": "⟦CARD:jcb:plain⟧", "exp": "⟦exp⟧"}}',
    '{"customer": "⟦name⟧", "payment_method": {"type": "card", "brand": "discover", "number": "⟦CARD:discover:dash⟧", "exp": "⟦exp⟧"}}',
)
P(
    "en",
    "forum_post",
    2,
    "Got a weird SMS about my card ⟦CARD:mc:space⟧ being 'temporarily blocked'. Called the bank, they say nothing is wrong. Phishing?",
)
P(
    "en",
    "ocr_form",
    2,
    "CARD AUTHORIZATION FORM\nCardholder: ⟦name⟧\nCard type: [x] Diners Club\nCard number: ⟦CARD:diners:space⟧\nExpiry: ⟦exp⟧\nSignature: ________",
)

P(
    "de",
    "email",
    3,
    "Hallo,\nbitte buchen Sie die Jahresgebühr von meiner Kreditkarte ab: ⟦CARD⟧, gültig bis ⟦exp⟧.\nViele Grüße\n⟦name⟧",
)
P("de", "chat_log", 1, "kannst du das Hotel mit meiner Karte buchen? ⟦CARD:mc⟧, Ablauf ⟦exp⟧, Prüfnummer ⟦cvv⟧")
P(
    "fr",
    "email",
    3,
    "Bonjour,\nmon numéro de carte est le ⟦CARD⟧, date d'expiration ⟦exp⟧. Merci de débiter l'acompte de 30 %.\nCordialement",
)
P("es", "chat_log", 2, "Te paso los datos de la tarjeta para la reserva: ⟦CARD⟧, caduca el ⟦exp⟧, CVV ⟦cvv⟧.")
P("pt", "chat_log", 2, "Pode usar o cartão ⟦CARD⟧, validade ⟦exp⟧, código ⟦cvv⟧. Parcela em 3x por favor.")
P("it", "email", 2, "Buongiorno, per il saldo della fattura potete addebitare la carta ⟦CARD⟧ (scadenza ⟦exp⟧).")
P("nl", "chat_log", 1, "Mijn creditcardnummer is ⟦CARD⟧, geldig tot ⟦exp⟧.")
P("pl", "email", 1, "Proszę obciążyć moją kartę: numer karty ⟦CARD⟧, ważna do ⟦exp⟧.")
P(
    "ru",
    "chat_log",
    3,
    "Переведите, пожалуйста, на карту ⟦CARD:mir⟧, получатель ⟦name⟧.",
    "Номер карты: ⟦CARD⟧, срок действия ⟦exp⟧. Оплатите до пятницы.",
)
P("uk", "chat_log", 1, "Скинь гроші на картку ⟦CARD:mc:space⟧, дякую!")
P("ja", "form_dump", 2, "お支払い情報\nカード番号：⟦CARD⟧\n有効期限：⟦exp⟧\n名義：⟦name⟧")
P(
    "zh",
    "chat_log",
    2,
    "卡号：⟦CARD:unionpay⟧，户名⟦name⟧，开户行招商银行",
    "信用卡号⟦CARD⟧，有效期⟦exp⟧，麻烦帮我订一下酒店",
)
P("ko", "chat_log", 2, "카드 번호 ⟦CARD⟧ 유효기간 ⟦exp⟧ 로 결제 부탁드립니다.")
P("ar", "chat_log", 1, "رقم البطاقة: ⟦CARD⟧ وتاريخ الانتهاء ⟦exp⟧")
P("he", "chat_log", 1, "מספר כרטיס האשראי שלי הוא ⟦CARD⟧, תוקף ⟦exp⟧")
P("hi", "chat_log", 1, "मेरा कार्ड नंबर ⟦CARD⟧ है, एक्सपायरी ⟦exp⟧।")
P("th", "chat_log", 1, "หมายเลขบัตร ⟦CARD⟧ หมดอายุ ⟦exp⟧ ค่ะ")
P("el", "email", 1, "Ο αριθμός της κάρτας μου είναι ⟦CARD⟧, λήξη ⟦exp⟧.")
P("tr", "chat_log", 2, "Kart numaram ⟦CARD⟧, son kullanma ⟦exp⟧, CVV ⟦cvv⟧.")
P("sv", "chat_log", 1, "Kortnummer: ⟦CARD⟧, giltigt till ⟦exp⟧.")
P("cs", "email", 1, "Číslo karty: ⟦CARD⟧, platnost do ⟦exp⟧.")
P("vi", "chat_log", 1, "Số thẻ của mình là ⟦CARD⟧, hết hạn ⟦exp⟧.")
P("id", "chat_log", 1, "Nomor kartu kredit saya ⟦CARD⟧, berlaku sampai ⟦exp⟧.")
P(
    "en",
    "call_notes",
    2,
    "Call notes ⟦date⟧ / agent ⟦first⟧\nCaller wants to update the card on file. New card: ⟦CARD⟧, exp ⟦exp⟧. Old card (⟦CARD⟧) to be removed.",
)
P(
    "en",
    "password_manager_export",
    2,
    "name,cardholder,card_number,expiry,cvv,notes\nPersonal Visa,⟦name⟧,⟦CARD:visa:plain⟧,⟦exp⟧,⟦cvv⟧,\nWork Amex,⟦name⟧,⟦CARD:amex:plain⟧,⟦exp⟧,⟦cvv⟧,travel only",
)
P(
    "en",
    "browser_autofill",
    2,
    '{\n  "creditCards": [\n    {"nameOnCard": "⟦name⟧", "cardNumber": "⟦CARD::plain⟧", "expMonth": ⟦int:1:12⟧, "expYear": 2028},\n    {"nameOnCard": "⟦name⟧", "cardNumber": "⟦CARD::plain⟧", "expMonth": ⟦int:1:12⟧, "expYear": 2027}\n  ]\n}',
)
P(
    "en",
    "hotel_booking",
    2,
    "BOOKING CONFIRMATION\nGuest: ⟦name⟧\nArrival: ⟦date⟧  Nights: 3\nGuarantee: credit card ⟦CARD::dash⟧ exp ⟦exp⟧\nCancellation: free until 48h before arrival",
)
P(
    "en",
    "php_code",
    1,
    "$payment = [\n    'card_number' => '⟦CARD::plain⟧',\n    'exp_month'   => '⟦int:1:12⟧',\n    'exp_year'    => '2027',\n    'cvc'         => '⟦cvv⟧',\n];",
)
P(
    "en",
    "tsv",
    2,
    "date\tmerchant\tcard\tamount\n⟦date⟧\tBookshop\t⟦CARD::space⟧\t⟦amount⟧\n⟦date⟧\tAirline\t⟦CARD::space⟧\t⟦amount⟧",
)
P(
    "en",
    "chat_log",
    2,
    "mum: what's the card number again? the website wants it\nme: ⟦CARD:visa:space⟧\nmum: and the date?\nme: ⟦exp⟧",
    "[21:14] ⟦first⟧: ok paying now, using ⟦CARD:maestro⟧\n[21:15] ⟦first⟧: declined lol, try ⟦CARD:mc⟧",
)
P("en", "app_log", 2, "⟦ts⟧ ERROR checkout: card declined pan=⟦CARD::plain⟧ reason=insufficient_funds order=⟦n:7⟧")
P("de", "support_ticket", 2, "Kunde möchte die hinterlegte Karte ändern. Neue Kartennummer: ⟦CARD⟧, Ablaufdatum ⟦exp⟧.")
P("fr", "chat_log", 1, "voilà ma carte pour la résa : ⟦CARD:visa:space⟧ exp ⟦exp⟧ cryptogramme ⟦cvv⟧")
P("es", "email", 1, "Para la reserva del hotel pueden cargar la tarjeta ⟦CARD:amex⟧ (titular ⟦name⟧, vence ⟦exp⟧).")
P("pt", "support_ticket", 1, "Cliente pediu estorno da compra feita no cartão ⟦CARD⟧ em ⟦date⟧.")
P("it", "chat_log", 1, "ti giro i dati della carta: ⟦CARD:mc:space⟧ scad. ⟦exp⟧")
P("nl", "email", 1, "Gelieve het bedrag af te schrijven van kaart ⟦CARD:maestro⟧.")
P("pl", "chat_log", 1, "dane karty do rezerwacji: ⟦CARD:visa⟧, ważna do ⟦exp⟧")
P("ru", "support_ticket", 1, "Клиент сообщает о списании с карты ⟦CARD⟧, которого он не совершал.")
P("uk", "support_ticket", 1, "Клієнт просить повернути кошти на картку ⟦CARD:visa:space⟧.")
P("ja", "email", 2, "ご登録カード番号：⟦CARD:jcb:space⟧\n有効期限：⟦exp⟧\n上記カードにて決済いたしました。")
P("zh", "support_ticket", 1, "用户反馈银联卡⟦CARD:unionpay⟧被重复扣款，请核实。")
P("ko", "support_ticket", 1, "고객이 카드 ⟦CARD⟧ 로 이중 결제되었다고 문의했습니다.")
P("ar", "support_ticket", 1, "العميل يطلب استرداد المبلغ إلى البطاقة ⟦CARD:visa⟧")
P("he", "email", 1, "נא לחייב את הכרטיס ⟦CARD:mc:dash⟧ בתשלום הראשון.")
P("hi", "support_ticket", 1, "ग्राहक का कहना है कि कार्ड ⟦CARD⟧ से दो बार पैसे कटे।")
P("th", "support_ticket", 1, "ลูกค้าแจ้งว่าบัตร ⟦CARD⟧ ถูกตัดเงินซ้ำ")
P("el", "chat_log", 1, "Στείλε μου τα στοιχεία: κάρτα ⟦CARD:visa:space⟧, λήξη ⟦exp⟧.")
P("tr", "support_ticket", 1, "Müşteri ⟦CARD⟧ numaralı karttan iki kez çekim yapıldığını bildirdi.")
P("vi", "support_ticket", 1, "Khách báo thẻ ⟦CARD⟧ bị trừ tiền hai lần.")
P("id", "support_ticket", 1, "Pelanggan melaporkan kartu ⟦CARD⟧ terpotong dua kali.")
P("sv", "email", 1, "Vänligen debitera kortet ⟦CARD:mc⟧ för depositionen.")
P("cs", "chat_log", 1, "posílám kartu: ⟦CARD:visa:space⟧, platnost ⟦exp⟧")
P(
    "en",
    "invoice",
    2,
    "INVOICE #INV-⟦n:6⟧\nDate: ⟦date⟧\nBill to: ⟦name⟧ <⟦EMAIL⟧>\n\n1 x Annual subscription (Team)    ⟦amount⟧ EUR\nVAT 19%\n\nPaid by card ⟦CARD⟧ on ⟦date⟧. Questions? ⟦EMAIL:role⟧",
)
P(
    "de",
    "invoice",
    2,
    "RECHNUNG Nr. ⟦n:6⟧\nRechnungsdatum: ⟦date⟧\nKunde: ⟦name⟧ (⟦EMAIL⟧)\n\nWartungsvertrag Server, 12 Monate    ⟦amount⟧ €\n\nDer Betrag wurde von Ihrer Kreditkarte ⟦CARD⟧ abgebucht.\nBei Fragen: ⟦EMAIL:role⟧",
)
P(
    "fr",
    "invoice",
    1,
    "FACTURE N° ⟦n:6⟧\nClient : ⟦name⟧ – ⟦EMAIL⟧\nMontant TTC : ⟦amount⟧ €\nRéglé par carte bancaire ⟦CARD::space⟧.",
)

# ---- secrets: vendor tokens in many configuration syntaxes ---------------------------------

VENDORS: list[tuple[str, str, str]] = [
    ("GITHUB_TOKEN", "ghp", "GitHub"),
    ("GH_OAUTH_TOKEN", "gho", "GitHub"),
    ("GITHUB_APP_TOKEN", "ghs", "GitHub"),
    ("GITHUB_PAT", "github_pat", "GitHub"),
    ("GITLAB_TOKEN", "glpat", "GitLab"),
    ("GITLAB_RUNNER_TOKEN", "glrt", "GitLab"),
    ("GITLAB_DEPLOY_TOKEN", "gldt", "GitLab"),
    ("RUNNER_REGISTRATION_TOKEN", "glreg", "GitLab"),
    ("SLACK_BOT_TOKEN", "xoxb", "Slack"),
    ("SLACK_USER_TOKEN", "xoxp", "Slack"),
    ("SLACK_APP_TOKEN", "xapp", "Slack"),
    ("AWS_ACCESS_KEY_ID", "akia", "AWS"),
    ("AWS_SECRET_ACCESS_KEY", "awssecret", "AWS"),
    ("AWS_TEMP_ACCESS_KEY_ID", "asia", "AWS STS"),
    ("STRIPE_SECRET_KEY", "stripe", "Stripe"),
    ("STRIPE_RESTRICTED_KEY", "rk_live", "Stripe"),
    ("STRIPE_WEBHOOK_SECRET", "whsec", "Stripe"),
    ("OPENAI_API_KEY", "openai", "OpenAI"),
    ("OPENAI_KEY", "openai_proj", "OpenAI"),
    ("ANTHROPIC_API_KEY", "anthropic", "Anthropic"),
    ("GOOGLE_MAPS_API_KEY", "google_api", "Google Maps"),
    ("GOOGLE_CLIENT_SECRET", "gocspx", "Google OAuth"),
    ("GOOGLE_ACCESS_TOKEN", "ya29", "Google"),
    ("SENDGRID_API_KEY", "sendgrid", "SendGrid"),
    ("MAILGUN_API_KEY", "mailgun", "Mailgun"),
    ("MAILCHIMP_API_KEY", "mailchimp", "Mailchimp"),
    ("NPM_TOKEN", "npm", "npm"),
    ("PYPI_API_TOKEN", "pypi", "PyPI"),
    ("DOCKERHUB_TOKEN", "dockerhub", "Docker Hub"),
    ("HF_TOKEN", "hf", "Hugging Face"),
    ("SHOPIFY_ACCESS_TOKEN", "shopify", "Shopify"),
    ("SHOPIFY_API_SECRET", "shpss", "Shopify"),
    ("DIGITALOCEAN_TOKEN", "do", "DigitalOcean"),
    ("SQUARE_ACCESS_TOKEN", "square", "Square"),
    ("SQUARE_APP_SECRET", "square_secret", "Square"),
    ("DISCORD_BOT_TOKEN", "discord", "Discord"),
    ("TELEGRAM_BOT_TOKEN", "telegram", "Telegram"),
    ("AZURE_STORAGE_KEY", "azure_key", "Azure Storage"),
    ("AZURE_CLIENT_SECRET", "azure_cs", "Azure AD"),
    ("DATABRICKS_TOKEN", "databricks", "Databricks"),
    ("LINEAR_API_KEY", "linear", "Linear"),
    ("NOTION_TOKEN", "notion", "Notion"),
    ("NOTION_API_KEY", "ntn", "Notion"),
    ("POSTMAN_API_KEY", "postman", "Postman"),
    ("NEW_RELIC_API_KEY", "newrelic", "New Relic"),
    ("GRAFANA_SA_TOKEN", "grafana", "Grafana"),
    ("VAULT_TOKEN", "vault", "Vault"),
    ("PULUMI_ACCESS_TOKEN", "pulumi", "Pulumi"),
    ("TFE_TOKEN", "tfc", "Terraform Cloud"),
    ("SOPS_AGE_KEY", "age", "age"),
    ("DOPPLER_TOKEN", "doppler", "Doppler"),
    ("AIRTABLE_TOKEN", "airtable", "Airtable"),
    ("MAPBOX_SECRET_TOKEN", "mapbox", "Mapbox"),
    ("JIRA_API_TOKEN", "atlassian", "Jira"),
    ("FIGMA_TOKEN", "figma", "Figma"),
    ("SENTRY_AUTH_TOKEN", "sentry", "Sentry"),
    ("SUPABASE_ACCESS_TOKEN", "supabase", "Supabase"),
    ("SUPABASE_SERVICE_ROLE_KEY", "jwt", "Supabase"),
    ("FB_PAGE_ACCESS_TOKEN", "fb", "Facebook"),
    ("OKTA_API_TOKEN", "okta", "Okta"),
    ("REPLICATE_API_TOKEN", "replicate", "Replicate"),
    ("GROQ_API_KEY", "groq", "Groq"),
    ("PERPLEXITY_API_KEY", "perplexity", "Perplexity"),
    ("XAI_API_KEY", "xai", "xAI"),
    ("LANGSMITH_API_KEY", "langsmith", "LangSmith"),
    ("PINECONE_API_KEY", "pinecone", "Pinecone"),
    ("ELEVENLABS_API_KEY", "elevenlabs", "ElevenLabs"),
    ("RESEND_API_KEY", "resend", "Resend"),
    ("POSTHOG_PERSONAL_API_KEY", "posthog", "PostHog"),
    ("HUBSPOT_ACCESS_TOKEN", "hubspot", "HubSpot"),
    ("CONTENTFUL_MANAGEMENT_TOKEN", "contentful", "Contentful"),
    ("BITBUCKET_APP_PASSWORD", "bitbucket", "Bitbucket"),
    ("CIRCLECI_TOKEN", "circleci", "CircleCI"),
    ("YANDEX_OAUTH_TOKEN", "yandex", "Яндекс"),
    ("VK_ACCESS_TOKEN", "vk", "VK"),
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "alibaba_id", "阿里云"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "alibaba_secret", "阿里云"),
    ("TENCENTCLOUD_SECRET_ID", "tencent_id", "腾讯云"),
    ("TENCENTCLOUD_SECRET_KEY", "tencent_secret", "腾讯云"),
    ("LINE_CHANNEL_ACCESS_TOKEN", "line", "LINE"),
    ("ADAFRUIT_IO_KEY", "adafruit", "Adafruit IO"),
    ("PLANETSCALE_PASSWORD", "pscale", "PlanetScale"),
    ("DROPBOX_ACCESS_TOKEN", "dropbox", "Dropbox"),
    ("FCM_SERVER_KEY", "firebase", "Firebase"),
    ("TWILIO_AUTH_TOKEN", "hex32", "Twilio"),
    ("ALGOLIA_ADMIN_API_KEY", "hex32", "Algolia"),
    ("DD_API_KEY", "hex32", "Datadog"),
    ("DD_APP_KEY", "hex40", "Datadog"),
    ("CLOUDFLARE_API_TOKEN", "alnum40", "Cloudflare"),
    ("JWT_SECRET", "b64_48", "JWT"),
    ("SESSION_SECRET", "alnum", "session"),
    ("MAILJET_SECRET_KEY", "hex32", "Mailjet"),
    ("KAKAO_REST_API_KEY", "hex32", "Kakao"),
    ("DB_PASSWORD", "pw", "database"),
    ("REDIS_PASSWORD", "urlpw", "Redis"),
    ("SMTP_PASSWORD", "pw", "SMTP"),
    ("ADMIN_PASSWORD", "pw", "admin"),
    ("DJANGO_SECRET_KEY", "django", "Django"),
    ("APP_KEY", "laravel", "Laravel"),
    ("SECRET_KEY_BASE", "rails", "Rails"),
    ("ENCRYPTION_KEY", "b64_32", "encryption"),
    ("WEBHOOK_SECRET", "hex64", "webhook"),
]

CONFIG_NOTE: dict[str, str] = {
    "en": "production credentials, do not commit",
    "de": "Zugangsdaten für Produktion – nicht committen!",
    "fr": "identifiants de prod, ne pas committer",
    "es": "credenciales de producción, no subir al repo",
    "pt": "credenciais de produção, não commitar",
    "it": "credenziali di produzione, non committare",
    "nl": "productiesleutels, niet committen",
    "pl": "klucze produkcyjne – nie commitować",
    "ru": "ключи для прода, не коммитить!",
    "uk": "ключі для продакшну, не комітити",
    "ja": "本番環境の認証情報（コミット禁止）",
    "zh": "生产环境密钥，请勿提交",
    "ko": "운영 환경 키 - 커밋 금지",
    "tr": "üretim anahtarları, commit etmeyin",
    "he": "מפתחות פרודקשן - לא להעלות לגיט",
    "ar": "مفاتيح بيئة الإنتاج - لا ترفعها إلى المستودع",
    "vi": "khóa môi trường production, không commit",
    "id": "kunci produksi, jangan di-commit",
    "sv": "produktionsnycklar, checka inte in",
    "cs": "produkční klíče, necommitovat",
    "el": "κλειδιά παραγωγής, μην τα κάνετε commit",
    "hi": "प्रोडक्शन की कुंजियाँ, कमिट न करें",
    "th": "คีย์สำหรับ production ห้าม commit",
}


def snake(var: str) -> str:
    return var.lower()


def camel(var: str) -> str:
    head, *rest = var.lower().split("_")
    return head + "".join(w.capitalize() for w in rest)


CONFIG_FORMATS: list[tuple[str, Callable[[list[tuple[str, str]], str], str]]] = [
    (
        "dotenv",
        lambda vs, c: (
            f"# {c}\nNODE_ENV=production\nPORT=8080\n" + "\n".join(f"{v}=⟦S:{k}⟧" for v, k in vs) + "\nLOG_LEVEL=info"
        ),
    ),
    (
        "shell_rc",
        lambda vs, c: (
            f'# ~/.zshrc  ({c})\nexport PATH="$HOME/.local/bin:$PATH"\n'
            + "\n".join(f"export {v}='⟦S:{k}⟧'" for v, k in vs)
        ),
    ),
    (
        "yaml_config",
        lambda vs, c: (
            f"# {c}\napp:\n  name: billing\n  debug: false\nsecrets:\n"
            + "\n".join(f'  {snake(v)}: "⟦S:{k}⟧"' for v, k in vs)
        ),
    ),
    (
        "json_config",
        lambda vs, c: (
            '{\n  "env": "production",\n  "_comment": "'
            + c
            + '",\n'
            + ",\n".join(f'  "{v}": "⟦S:{k}⟧"' for v, k in vs)
            + "\n}"
        ),
    ),
    (
        "toml_config",
        lambda vs, c: (
            f'# {c}\n[server]\nhost = "0.0.0.0"\nport = 8080\n\n[secrets]\n'
            + "\n".join(f'{snake(v)} = "⟦S:{k}⟧"' for v, k in vs)
        ),
    ),
    (
        "docker_compose",
        lambda vs, c: (
            f"services:\n  api:\n    image: ghcr.io/brightwave/api:2.8.1\n    # {c}\n    environment:\n"
            + "\n".join(f"      - {v}=⟦S:{k}⟧" for v, k in vs)
            + '\n    ports:\n      - "8080:8080"'
        ),
    ),
    (
        "k8s_manifest",
        lambda vs, c: (
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n          image: worker:1.4.0\n          # {c}\n          env:\n"
            + "\n".join(f'            - name: {v}\n              value: "⟦S:{k}⟧"' for v, k in vs)
        ),
    ),
    (
        "github_actions",
        lambda vs, c: (
            f"name: deploy\non:\n  push:\n    branches: [main]\n# {c}\nenv:\n"
            + "\n".join(f"  {v}: ⟦S:{k}⟧" for v, k in vs)
            + "\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy"
        ),
    ),
    (
        "python_code",
        lambda vs, c: f"import os\n\n# {c}\n" + "\n".join(f'os.environ.setdefault("{v}", "⟦S:{k}⟧")' for v, k in vs),
    ),
    (
        "powershell",
        lambda vs, c: (
            f"# {c}\n"
            + "\n".join(f'$env:{v} = "⟦S:{k}⟧"' for v, k in vs)
            + "\n.\\scripts\\deploy.ps1 -Environment prod"
        ),
    ),
    (
        "dockerfile",
        lambda vs, c: (
            f"FROM node:20-alpine\nWORKDIR /srv\n# {c}\n"
            + "\n".join(f"ENV {v}=⟦S:{k}⟧" for v, k in vs)
            + '\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "server.js"]'
        ),
    ),
    (
        "systemd_unit",
        lambda vs, c: (
            f"[Unit]\nDescription=Billing worker\n\n[Service]\n# {c}\n"
            + "\n".join(f'Environment="{v}=⟦S:{k}⟧"' for v, k in vs)
            + "\nExecStart=/opt/billing/bin/worker\nRestart=always"
        ),
    ),
    ("fish_config", lambda vs, c: f"# {c}\n" + "\n".join(f"set -gx {v} '⟦S:{k}⟧'" for v, k in vs)),
    (
        "properties",
        lambda vs, c: f"# {c}\nserver.port=8080\n" + "\n".join(f"{snake(v).replace('_', '.')}=⟦S:{k}⟧" for v, k in vs),
    ),
    (
        "ini_config",
        lambda vs, c: (
            f"; {c}\n[general]\ntimezone = UTC\n\n[credentials]\n" + "\n".join(f"{snake(v)} = ⟦S:{k}⟧" for v, k in vs)
        ),
    ),
    (
        "terraform_tfvars",
        lambda vs, c: f'# {c}\nregion = "eu-central-1"\n' + "\n".join(f'{snake(v)} = "⟦S:{k}⟧"' for v, k in vs),
    ),
    (
        "javascript",
        lambda vs, c: f"// {c}\nmodule.exports = {{\n" + "\n".join(f"  {camel(v)}: '⟦S:{k}⟧'," for v, k in vs) + "\n};",
    ),
    (
        "cli_secrets",
        lambda vs, c: f"# {c}\n" + "\n".join(f"heroku config:set {v}='⟦S:{k}⟧' -a billing-prod" for v, k in vs),
    ),
    ("cli_secrets", lambda vs, c: f"# {c}\n" + "\n".join(f'gh secret set {v} --body "⟦S:{k}⟧"' for v, k in vs)),
    (
        "cli_secrets",
        lambda vs, c: (
            "kubectl create secret generic app-env \\\n"
            + " \\\n".join(f"  --from-literal={v}='⟦S:{k}⟧'" for v, k in vs)
        ),
    ),
    (
        "docker_run",
        lambda vs, c: (
            "docker run -d --name api \\\n"
            + " \\\n".join(f"  -e {v}=⟦S:{k}⟧" for v, k in vs)
            + " \\\n  ghcr.io/brightwave/api:2.8.1"
        ),
    ),
    (
        "jupyter_notebook",
        lambda vs, c: (
            '{\n "cell_type": "code",\n "execution_count": 2,\n "metadata": {},\n "outputs": [],\n "source": [\n'
            + ",\n".join(f'  "%env {v}=⟦S:{k}⟧\\n"' for v, k in vs)
            + ',\n  "import client\\n"\n ]\n}'
        ),
    ),
]

_langs_cycle = [
    "en",
    "en",
    "de",
    "ja",
    "ru",
    "zh",
    "fr",
    "es",
    "ko",
    "pt",
    "it",
    "pl",
    "uk",
    "tr",
    "nl",
    "he",
    "ar",
    "vi",
    "id",
    "sv",
    "cs",
    "el",
    "hi",
    "th",
]
_vs = [(v, k) for v, k, _ in VENDORS]
R.shuffle(_vs)
for _i in range(0, len(_vs), 3):
    _chunk = _vs[_i : _i + 3]
    _fmt_name, _fmt = CONFIG_FORMATS[(_i // 3) % len(CONFIG_FORMATS)]
    _lang = _langs_cycle[(_i // 3) % len(_langs_cycle)]
    _text = _fmt(_chunk, CONFIG_NOTE[_lang])
    # the comment is the only natural language in these texts; formats without it are language-neutral
    P(_lang if CONFIG_NOTE[_lang] in _text else "en", _fmt_name, 2, _text)

# ---- secrets: vendor tokens in prose, many languages ---------------------------------------

TOKEN_PROSE: dict[str, list[str]] = {
    "en": [
        "Here's the {svc} token I used for the test run, I'll revoke it tonight: ⟦S:{k}⟧",
        "quick q: is ⟦S:{k}⟧ supposed to work for {svc} from CI too? getting 401s",
        "Oops, I pasted our {svc} key in the public channel earlier (⟦S:{k}⟧). Rotating now.",
    ],
    "de": [
        "Hier der {svc}-Token fürs Testsystem: ⟦S:{k}⟧ – bitte nach dem Test widerrufen.",
        "Der API-Schlüssel für {svc} lautet ⟦S:{k}⟧ und läuft Ende des Monats ab.",
    ],
    "fr": [
        "Voici la clé API {svc} pour la préprod : ⟦S:{k}⟧ (à révoquer après la démo)",
        "Le jeton {svc} est ⟦S:{k}⟧, ne le partagez pas hors de l'équipe.",
    ],
    "es": [
        "Esta es la clave de API de {svc}: ⟦S:{k}⟧ (no la compartas fuera del equipo)",
        "El token de {svc} que funciona es ⟦S:{k}⟧ y caduca el viernes",
    ],
    "pt": [
        "Segue o token do {svc}: ⟦S:{k}⟧ (apaga depois de testar)",
        "A chave de API do {svc} é ⟦S:{k}⟧ e vale só para homologação",
    ],
    "it": [
        "Ecco la chiave API di {svc}: ⟦S:{k}⟧ (da revocare dopo i test)",
        "Il token di {svc} è ⟦S:{k}⟧ e scade a fine mese",
    ],
    "nl": [
        "Hier is de {svc} API-sleutel: ⟦S:{k}⟧ (na de demo intrekken)",
        "Het {svc}-token is ⟦S:{k}⟧ en werkt alleen op staging",
    ],
    "pl": ["Klucz API do {svc}: ⟦S:{k}⟧ (usuń po testach)", "Token {svc} to ⟦S:{k}⟧ i wygasa w piątek"],
    "ru": [
        "Вот токен {svc} для тестов: ⟦S:{k}⟧ — после проверки отзову.",
        "Ключ API {svc}: ⟦S:{k}⟧ (только для стенда, в прод не тащить)",
    ],
    "uk": ["Ось ключ API {svc}: ⟦S:{k}⟧ (після тестів відкличу)", "Токен {svc} — ⟦S:{k}⟧ і діє до кінця тижня"],
    "ja": ["{svc}のAPIキーは⟦S:{k}⟧です。検証が終わったら無効化します。", "{svc}のトークン：⟦S:{k}⟧（テスト環境専用）"],
    "zh": ["{svc}的API密钥：⟦S:{k}⟧，测试完请删除", "{svc}访问令牌是⟦S:{k}⟧，只在测试环境用"],
    "ko": ["{svc} API 키: ⟦S:{k}⟧ (테스트 끝나면 폐기할게요)", "{svc} 토큰은 ⟦S:{k}⟧ 입니다"],
    "ar": ["مفتاح API الخاص بـ {svc} هو ⟦S:{k}⟧ ويرجى عدم مشاركته", "رمز الوصول لـ {svc}: ⟦S:{k}⟧"],
    "he": ["מפתח ה-API של {svc}: ⟦S:{k}⟧ (לבטל אחרי הבדיקות)", "הטוקן של {svc} הוא ⟦S:{k}⟧"],
    "hi": ["{svc} की API कुंजी: ⟦S:{k}⟧ (टेस्ट के बाद हटा दूँगा)", "{svc} का टोकन ⟦S:{k}⟧ है"],
    "th": ["API key ของ {svc} คือ ⟦S:{k}⟧ ใช้เฉพาะทดสอบนะ", "โทเคน {svc}: ⟦S:{k}⟧"],
    "el": ["Το κλειδί API του {svc} είναι ⟦S:{k}⟧ και λήγει την Παρασκευή", "Token για {svc}: ⟦S:{k}⟧"],
    "tr": ["{svc} API anahtarı: ⟦S:{k}⟧ (testten sonra iptal edeceğim)", "{svc} token'ı ⟦S:{k}⟧ olarak güncellendi"],
    "sv": ["API-nyckeln till {svc} är ⟦S:{k}⟧ och gäller bara i test", "{svc}-token: ⟦S:{k}⟧"],
    "cs": ["API klíč pro {svc}: ⟦S:{k}⟧ (po testu ho zruším)", "Token do {svc} je ⟦S:{k}⟧"],
    "vi": ["API key của {svc} là ⟦S:{k}⟧ nhé, test xong mình thu hồi", "Token {svc}: ⟦S:{k}⟧"],
    "id": ["API key {svc}-nya: ⟦S:{k}⟧ (hapus setelah testing)", "Token {svc} yang baru ⟦S:{k}⟧"],
}
PROSE_CONTEXT = ["chat_log", "forum_post", "support_ticket", "email", "issue_comment"]
_prose_langs = list(TOKEN_PROSE)
for _i, (_var, _kind, _svc) in enumerate(VENDORS):
    _lang = _prose_langs[_i % len(_prose_langs)]
    _pats = TOKEN_PROSE[_lang]
    _pat = _pats[(_i // len(_prose_langs)) % len(_pats)]
    P(_lang, PROSE_CONTEXT[_i % len(PROSE_CONTEXT)], 1, _pat.format(svc=_svc, k=_kind))

PW_PROSE: dict[str, list[str]] = {
    "en": [
        "The guest Wi-Fi password is ⟦S:pw⟧ (it changes every month)",
        "root password on the staging box is ⟦S:pw⟧ so please don't paste it anywhere else",
        "Username: ⟦user⟧\nPassword: ⟦S:pw⟧\nPlease change it after your first login",
    ],
    "de": [
        "Das WLAN-Passwort lautet ⟦S:pw⟧ und gilt bis Ende Juni",
        "Zugangsdaten für das Testsystem: Benutzer ⟦user⟧, Kennwort ⟦S:pw⟧\nBitte nicht weitergeben",
        "Passwort: ⟦S:pw⟧ (bitte nach dem ersten Login ändern)",
    ],
    "fr": [
        "Le mot de passe du Wi-Fi est ⟦S:pw⟧ pour toute la semaine",
        "Identifiant : ⟦user⟧ / mot de passe : ⟦S:pw⟧",
        "Voici les accès FTP : hôte ⟦IP4⟧, utilisateur ⟦user⟧, mot de passe ⟦S:pw⟧\nMerci de le changer rapidement",
    ],
    "es": [
        "La contraseña del wifi es ⟦S:pw⟧ por si alguien la necesita",
        "usuario: ⟦user⟧\ncontraseña: ⟦S:pw⟧",
        "Te dejo la clave del servidor: ⟦S:pw⟧ y cuando termines la cambias",
    ],
    "pt": ["A senha do wi-fi é ⟦S:pw⟧ e vale para o andar todo", "Login: ⟦user⟧ | Senha: ⟦S:pw⟧ | Servidor: ⟦dbhost⟧"],
    "it": [
        "La password del Wi-Fi è ⟦S:pw⟧ per gli ospiti",
        "Utente: ⟦user⟧, password: ⟦S:pw⟧ (da cambiare al primo accesso)",
    ],
    "nl": [
        "Het wifi-wachtwoord is ⟦S:pw⟧ voor de vergaderzaal",
        "Gebruikersnaam ⟦user⟧ en wachtwoord ⟦S:pw⟧ voor de testomgeving",
    ],
    "pl": ["Hasło do wifi: ⟦S:pw⟧ (sieć Biuro-5G)", "Login: ⟦user⟧, hasło: ⟦S:pw⟧ – zmień po pierwszym logowaniu"],
    "ru": [
        "Пароль от вайфая: ⟦S:pw⟧ (сеть Office)",
        "Логин: ⟦user⟧, пароль: ⟦S:pw⟧\nПосле входа смени, пожалуйста",
        "Доступ к серверу ⟦IP4⟧: root / ⟦S:pw⟧",
    ],
    "uk": ["Пароль до wi-fi: ⟦S:pw⟧ (мережа Kyiv-Office)", "Логін ⟦user⟧, пароль ⟦S:pw⟧ для тестового сервера"],
    "ja": [
        "Wi-Fiのパスワードは⟦S:pw⟧です。",
        "ユーザー名：⟦user⟧\nパスワード：⟦S:pw⟧\n初回ログイン後に変更してください。",
        "初期パスワード「⟦S:pw⟧」でログインしてください。",
    ],
    "zh": ["WiFi密码是⟦S:pw⟧，别外传", "账号：⟦user⟧ 密码：⟦S:pw⟧", "服务器root密码：⟦S:pw⟧，用完记得改"],
    "ko": [
        "와이파이 비밀번호는 ⟦S:pw⟧입니다.",
        "아이디: ⟦user⟧ / 비밀번호: ⟦S:pw⟧",
        "서버 접속 암호는 ⟦S:pw⟧ 이고 다음 주에 바꿀 예정입니다",
    ],
    "ar": ["كلمة مرور الواي فاي هي ⟦S:pw⟧ للضيوف", "اسم المستخدم: ⟦user⟧\nكلمة المرور: ⟦S:pw⟧"],
    "he": ["הסיסמה לוויפי היא ⟦S:pw⟧ לאורחים", "שם משתמש: ⟦user⟧, סיסמה: ⟦S:pw⟧"],
    "hi": ["वाई-फाई का पासवर्ड ⟦S:pw⟧ है।", "यूज़रनेम: ⟦user⟧\nपासवर्ड: ⟦S:pw⟧"],
    "th": ["รหัสผ่านไวไฟคือ ⟦S:pw⟧ นะคะ", "ชื่อผู้ใช้ ⟦user⟧ รหัสผ่าน ⟦S:pw⟧"],
    "el": ["Ο κωδικός του Wi-Fi είναι ⟦S:pw⟧ για τους επισκέπτες", "Όνομα χρήστη: ⟦user⟧, κωδικός πρόσβασης: ⟦S:pw⟧"],
    "tr": ["Wi-Fi şifresi: ⟦S:pw⟧ (misafir ağı)", "Kullanıcı adı ⟦user⟧, parola ⟦S:pw⟧"],
    "sv": ["Lösenordet till wifi är ⟦S:pw⟧ för gästnätet", "Användarnamn: ⟦user⟧, lösenord: ⟦S:pw⟧"],
    "cs": ["Heslo na wifi je ⟦S:pw⟧ pro hosty", "Uživatel: ⟦user⟧, heslo: ⟦S:pw⟧"],
    "vi": ["Mật khẩu wifi là ⟦S:pw⟧ nha mọi người", "Tài khoản: ⟦user⟧, mật khẩu: ⟦S:pw⟧"],
    "id": ["Password wifi-nya ⟦S:pw⟧ ya", "Username: ⟦user⟧, kata sandi: ⟦S:pw⟧"],
}
PW_CONTEXT = ["chat_log", "email", "support_ticket", "forum_post", "sticky_note"]
for _i, (_lang, _pats) in enumerate(PW_PROSE.items()):
    for _j, _pat in enumerate(_pats):
        P(_lang, PW_CONTEXT[(_i + _j) % len(PW_CONTEXT)], 1, _pat)

# ---- secrets: code ---------------------------------------------------------------------------

P(
    "en",
    "python_code",
    2,
    'import openai\n\nopenai.api_key = "⟦S:openai⟧"\n\nresp = openai.ChatCompletion.create(model="gpt-4", messages=[{"role": "user", "content": prompt}])',
)
P(
    "en",
    "python_code",
    1,
    'from anthropic import Anthropic\n\nclient = Anthropic(api_key="⟦S:anthropic⟧")\nmsg = client.messages.create(model="claude-3-haiku-20240307", max_tokens=256, messages=msgs)',
)
P(
    "en",
    "python_code",
    2,
    's3 = boto3.client(\n    "s3",\n    region_name="eu-west-1",\n    aws_access_key_id="⟦S:akia⟧",\n    aws_secret_access_key="⟦S:awssecret⟧",\n)',
)
P("en", "python_code", 2, 'import stripe\nstripe.api_key = "⟦S:stripe⟧"\nendpoint_secret = "⟦S:whsec⟧"')
P(
    "en",
    "python_code",
    1,
    'bot = telebot.TeleBot("⟦S:telegram⟧", parse_mode="HTML")\n\n@bot.message_handler(commands=["start"])\ndef start(message):\n    bot.reply_to(message, "Привет!")',
)
P(
    "en",
    "python_code",
    2,
    'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "NAME": "shop",\n        "USER": "shop",\n        "PASSWORD": "⟦S:pw⟧",\n        "HOST": "⟦dbhost⟧",\n    }\n}\nSECRET_KEY = "⟦S:django⟧"',
)
P(
    "en",
    "python_code",
    1,
    'from huggingface_hub import login\nlogin(token="⟦S:hf⟧")\nmodel = AutoModel.from_pretrained("org/private-model")',
)
P("en", "python_code", 1, 'engine = create_engine("postgresql+psycopg2://analytics:⟦S:urlpw⟧@⟦dbhost⟧:5432/warehouse")')
P(
    "en",
    "python_code",
    1,
    "headers = {\"Authorization\": f\"Bearer {os.getenv('API_TOKEN', '⟦S:alnum⟧')}\"}\nr = requests.get(url, headers=headers, timeout=10)",
)
P(
    "en",
    "python_code",
    2,
    'app.config["MAIL_USERNAME"] = "⟦EMAIL⟧"\napp.config["MAIL_PASSWORD"] = "⟦S:pw⟧"\napp.config["SECRET_KEY"] = "⟦S:hex64⟧"',
)
P(
    "en",
    "javascript",
    2,
    'const { Octokit } = require("@octokit/rest");\nconst octokit = new Octokit({ auth: "⟦S:ghp⟧" });\nconst { data } = await octokit.repos.listForOrg({ org: "brightwave" });',
)
P(
    "en",
    "javascript",
    1,
    'const client = new Discord.Client({ intents: [GatewayIntentBits.Guilds] });\nclient.login("⟦S:discord⟧");',
)
P(
    "en",
    "javascript",
    1,
    "mongoose.connect('mongodb+srv://app:⟦S:urlpw⟧@cluster0.x7kq2.mongodb.net/prod?retryWrites=true&w=majority');",
)
P(
    "en",
    "javascript",
    2,
    'sgMail.setApiKey("⟦S:sendgrid⟧");\nawait sgMail.send({ to: user.email, from: "⟦EMAIL:role⟧", subject, html });',
)
P(
    "en",
    "typescript",
    2,
    'export const config = {\n  slackToken: process.env.SLACK_TOKEN ?? "⟦S:xoxb⟧",\n  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "⟦S:hex32⟧",\n};',
)
P("en", "typescript", 1, 'const supabase = createClient(\n  "https://xyzcompany.supabase.co",\n  "⟦S:jwt⟧",\n);')
P(
    "en",
    "go_code",
    2,
    'client := github.NewClient(nil).WithAuthToken("⟦S:github_pat⟧")\nrepos, _, err := client.Repositories.List(ctx, "", nil)',
)
P(
    "en",
    "go_code",
    2,
    'cfg := &Config{\n\tAPIKey:    "⟦S:sendgrid⟧",\n\tFromEmail: "⟦EMAIL:role⟧",\n\tTimeout:   10 * time.Second,\n}',
)
P("en", "go_code", 1, 'db, err := sql.Open("mysql", "root:⟦S:urlpw⟧@tcp(⟦IP4⟧:3306)/inventory?parseTime=true")')
P(
    "en",
    "rust_code",
    1,
    'let api_key = "⟦S:hf⟧";\nlet client = reqwest::Client::new();\nlet res = client.post(url).bearer_auth(api_key).json(&body).send().await?;',
)
P(
    "en",
    "rust_code",
    1,
    'let pool = PgPoolOptions::new()\n    .max_connections(5)\n    .connect("postgres://app:⟦S:urlpw⟧@⟦dbhost⟧/app")\n    .await?;',
)
P(
    "en",
    "java_code",
    2,
    'public class DbConfig {\n    private static final String URL = "jdbc:postgresql://⟦dbhost⟧:5432/orders";\n    private static final String USER = "orders";\n    private static final String PASSWORD = "⟦S:pw⟧";\n}',
)
P(
    "en",
    "properties",
    2,
    "spring.datasource.url=jdbc:mysql://⟦dbhost⟧:3306/shop\nspring.datasource.username=shop\nspring.datasource.password=⟦S:pw⟧\nspring.mail.host=smtp.sendgrid.net\nspring.mail.password=⟦S:sendgrid⟧",
)
P(
    "en",
    "csharp",
    2,
    '"ConnectionStrings": {\n  "Default": "Server=⟦dbhost⟧;Database=Shop;User Id=sa;Password=⟦S:pw⟧;TrustServerCertificate=True"\n}',
    'var conn = new SqlConnection("Data Source=⟦IP4⟧,1433;Initial Catalog=Crm;User ID=crm_app;Password=⟦S:pw⟧;");',
)
P(
    "en",
    "csharp",
    2,
    'var credential = new ClientSecretCredential(\n    tenantId: "⟦uuid⟧",\n    clientId: "⟦uuid⟧",\n    clientSecret: "⟦S:azure_cs⟧");',
)
P(
    "en",
    "php_code",
    2,
    "define( 'DB_NAME', 'wp_shop' );\ndefine( 'DB_USER', 'wp_shop' );\ndefine( 'DB_PASSWORD', '⟦S:pw⟧' );\ndefine( 'DB_HOST', 'localhost' );\ndefine( 'AUTH_KEY', '⟦S:wpsalt⟧' );\ndefine( 'SECURE_AUTH_KEY', '⟦S:wpsalt⟧' );",
)
P(
    "en",
    "php_code",
    2,
    "$mail->isSMTP();\n$mail->Host = 'smtp.office365.com';\n$mail->Username = '⟦EMAIL⟧';\n$mail->Password = '⟦S:pw⟧';\n$mail->Port = 587;",
)
P(
    "en",
    "ruby_code",
    1,
    'Stripe.api_key = "⟦S:stripe⟧"\n\nclass ChargesController < ApplicationController\n  def create\n    Stripe::Charge.create(amount: 500, currency: "usd", source: params[:token])\n  end\nend',
)
P(
    "en",
    "ruby_code",
    2,
    "production:\n  adapter: postgresql\n  database: app_production\n  username: app\n  password: ⟦S:pw⟧\n  host: ⟦dbhost⟧\n  secret_key_base: ⟦S:rails⟧",
)
P(
    "en",
    "kotlin_code",
    1,
    'object ApiConfig {\n    const val MAPS_API_KEY = "⟦S:google_api⟧"\n    const val BASE_URL = "https://api.brightwave.io/"\n}',
)
P(
    "en",
    "swift_code",
    1,
    'let serviceRoleKey = "⟦S:jwt⟧"\nvar request = URLRequest(url: url)\nrequest.setValue("Bearer \\(serviceRoleKey)", forHTTPHeaderField: "Authorization")',
)
P(
    "en",
    "bash_script",
    1,
    '#!/usr/bin/env bash\nset -euo pipefail\nTOKEN="⟦S:glpat⟧"\ncurl --fail -H "PRIVATE-TOKEN: $TOKEN" "https://gitlab.com/api/v4/projects/⟦n:8⟧/pipelines?status=failed"',
)
P(
    "en",
    "sql",
    2,
    "CREATE USER 'report'@'%' IDENTIFIED BY '⟦S:pw⟧';\nGRANT SELECT ON analytics.* TO 'report'@'%';",
    "ALTER USER app_rw WITH PASSWORD '⟦S:pw⟧';",
    "INSERT INTO integrations (name, api_key, enabled) VALUES ('stripe', '⟦S:stripe⟧', true), ('sendgrid', '⟦S:sendgrid⟧', true);",
)
P("en", "sql", 1, "CREATE USER 'report'@'⟦IP4⟧' IDENTIFIED BY '⟦S:pw⟧';")

# ---- secrets: credential files ----------------------------------------------------------------

P(
    "en",
    "aws_credentials",
    2,
    "[default]\naws_access_key_id = ⟦S:akia⟧\naws_secret_access_key = ⟦S:awssecret⟧\nregion = eu-central-1\n\n[prod]\naws_access_key_id = ⟦S:akia⟧\naws_secret_access_key = ⟦S:awssecret⟧",
)
P(
    "en",
    "npmrc",
    2,
    "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=⟦S:npm⟧\n@brightwave:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken=⟦S:ghp⟧",
)
P("en", "pypirc", 1, "[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\npassword = ⟦S:pypi⟧")
P(
    "en",
    "netrc",
    2,
    "machine api.heroku.com\n  login ⟦EMAIL⟧\n  password ⟦S:hex32⟧\nmachine git.heroku.com\n  login ⟦EMAIL⟧\n  password ⟦S:hex32⟧",
)
P("en", "git_credentials", 2, "https://⟦user:p⟧:⟦S:ghp⟧@github.com\nhttps://oauth2:⟦S:glpat⟧@gitlab.com")
P(
    "en",
    "docker_config",
    2,
    '{\n  "auths": {\n    "https://index.docker.io/v1/": {\n      "auth": "⟦S:basic⟧"\n    },\n    "registry.brightwave.io": {\n      "auth": "⟦S:basic⟧"\n    }\n  }\n}',
)
P("en", "pgpass", 2, "⟦dbhost⟧:5432:*:app:⟦S:pw⟧\nlocalhost:5432:postgres:postgres:⟦S:pw⟧")
P(
    "en",
    "maven_settings",
    1,
    "<settings>\n  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>deploy</username>\n      <password>⟦S:pw⟧</password>\n    </server>\n  </servers>\n</settings>",
)
P(
    "en",
    "tomcat_users",
    1,
    '<tomcat-users>\n  <role rolename="manager-gui"/>\n  <user username="admin" password="⟦S:pw⟧" roles="manager-gui,admin-gui"/>\n</tomcat-users>',
)
P(
    "en",
    "rclone_config",
    2,
    "[s3-backup]\ntype = s3\nprovider = Wasabi\naccess_key_id = ⟦S:alnum⟧\nsecret_access_key = ⟦S:awssecret⟧\nendpoint = s3.eu-central-1.wasabisys.com",
)
P(
    "en",
    "terraform",
    2,
    'provider "digitalocean" {\n  token = "⟦S:do⟧"\n}\n\nvariable "db_password" {\n  type    = string\n  default = "⟦S:pw⟧"\n}',
)
P("en", "terraform", 1, 'credentials "app.terraform.io" {\n  token = "⟦S:tfc⟧"\n}')
P(
    "en",
    "helm_values",
    2,
    'postgresql:\n  auth:\n    postgresPassword: "⟦S:pw⟧"\n    password: "⟦S:pw⟧"\nredis:\n  auth:\n    password: "⟦S:urlpw⟧"',
)
P(
    "en",
    "ansible_vars",
    2,
    "ansible_user: deploy\nansible_become_password: ⟦S:pw⟧\nmysql_root_password: ⟦S:pw⟧\nnginx_worker_processes: auto",
)
P(
    "en",
    "k8s_secret",
    2,
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secrets\ntype: Opaque\nstringData:\n  DATABASE_PASSWORD: "⟦S:pw⟧"\n  SENDGRID_API_KEY: ⟦S:sendgrid⟧',
)
P(
    "en",
    "k8s_secret",
    2,
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\ntype: Opaque\ndata:\n  username: YXBw\n  password: ⟦S:k8sb64⟧",
)
P(
    "en",
    "wireguard_config",
    2,
    "[Interface]\nPrivateKey = ⟦S:wgkey⟧\nAddress = 10.66.0.3/32\nDNS = 10.66.0.1\n\n[Peer]\nPublicKey = ⟦wgpub⟧\nEndpoint = ⟦IP4⟧:51820\nAllowedIPs = 10.66.0.0/24",
)
P("en", "age_key", 2, "# created: 2024-03-11T09:14:02+01:00\n# public key: age1⟦bech:58⟧\n⟦S:age⟧")
P(
    "en",
    "laravel_env",
    2,
    "APP_NAME=Shop\nAPP_ENV=production\nAPP_KEY=⟦S:laravel⟧\nAPP_DEBUG=false\nDB_CONNECTION=mysql\nDB_HOST=127.0.0.1\nDB_PASSWORD=⟦S:pw⟧\nMAIL_PASSWORD=⟦S:pw⟧",
)
P(
    "en",
    "pip_config",
    1,
    "[global]\nindex-url = https://__token__:⟦S:alnum⟧@pkgs.brightwave.io/pypi/simple\ntimeout = 60",
)
P(
    "en",
    "yaml_config",
    2,
    'database:\n  host: ⟦dbhost⟧\n  user: app\n  password: "⟦S:pw⟧"\nredis:\n  url: redis://:⟦S:urlpw⟧@⟦dbhost⟧:6379/0\nsmtp:\n  user: ⟦EMAIL⟧\n  pass: "⟦S:pw⟧"',
)

# ---- secrets: connection strings and URLs --------------------------------------------------------

P(
    "en",
    "shell_command",
    2,
    'psql "postgresql://app:⟦S:urlpw⟧@⟦dbhost⟧:5432/app?sslmode=require"',
    "PGPASSWORD=⟦S:urlpw⟧ psql -h ⟦IP4⟧ -U postgres -d billing",
    "pg_dump --dbname=postgresql://backup:⟦S:urlpw⟧@⟦IP4⟧:5432/shop -Fc -f shop.dump",
)
P(
    "en",
    "shell_command",
    2,
    "mysql -h ⟦IP4⟧ -u root -p'⟦S:pw⟧' shop < dump.sql",
    "mysqldump -u backup --password='⟦S:pw⟧' --single-transaction shop > shop.sql",
    "mysql --host=⟦dbhost⟧ --user=report --password=⟦S:urlpw⟧ -e 'SHOW PROCESSLIST'",
)
P(
    "en",
    "shell_command",
    2,
    'mongosh "mongodb+srv://admin:⟦S:urlpw⟧@cluster0.q8zt1.mongodb.net/prod"',
    "mongodump --uri='mongodb://backup:⟦S:urlpw⟧@⟦IP4⟧:27017/?authSource=admin' --out /backups/$(date +%F)",
)
P(
    "en",
    "shell_command",
    2,
    "redis-cli -h ⟦dbhost⟧ -p 6379 -a ⟦S:urlpw⟧ --tls INFO memory",
    "redis-cli -u rediss://default:⟦S:urlpw⟧@⟦dbhost⟧:6380 PING",
)
P(
    "en",
    "connection_string",
    2,
    "amqp://orders:⟦S:urlpw⟧@⟦dbhost⟧:5672/%2Fprod",
    "jdbc:mysql://⟦dbhost⟧:3306/shop?user=shop&password=⟦S:urlpw⟧&useSSL=true",
    "Server=tcp:sql-shop-prod.database.windows.net,1433;Initial Catalog=shop;User ID=shopadmin;Password=⟦S:pw⟧;Encrypt=True;",
)
P(
    "en",
    "connection_string",
    2,
    "DefaultEndpointsProtocol=https;AccountName=bwbackups;AccountKey=⟦S:azure_key⟧;EndpointSuffix=core.windows.net",
    "Endpoint=sb://bw-orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=⟦S:b64_44⟧",
)
P(
    "en",
    "connection_string",
    2,
    "https://bwbackups.blob.core.windows.net/exports/report.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-12-31T23:59:59Z&spr=https&sig=⟦S:sas⟧",
)
P(
    "en",
    "url",
    2,
    "https://api.brightwave.io/v2/export?format=csv&access_token=⟦S:alnum⟧",
    "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=⟦S:google_api⟧",
    "wss://stream.kestrelcloud.com/v1/feed?token=⟦S:hex40⟧&symbols=BTC,ETH",
)
P(
    "en",
    "shell_command",
    1,
    "git remote set-url origin https://oauth2:⟦S:glpat⟧@gitlab.com/brightwave/platform.git",
    "git clone https://x-access-token:⟦S:ghs⟧@github.com/brightwave/infra.git",
)
P(
    "en",
    "shell_command",
    2,
    "wget --user=deploy --password='⟦S:pw⟧' ftp://⟦IP4⟧/releases/app-2.4.tar.gz",
    "lftp -u backup,'⟦S:pw⟧' sftp://⟦IP4⟧",
)

# ---- secrets: HTTP headers and curl ------------------------------------------------------

P(
    "en",
    "curl_command",
    3,
    'curl -H "Authorization: Bearer ⟦S:bearer⟧" https://api.kestrelcloud.com/v1/projects',
    'curl -s -H "Authorization: token ⟦S:ghp⟧" https://api.github.com/user/repos?per_page=100',
    "curl -u ⟦S:stripe⟧: https://api.stripe.com/v1/charges -d amount=2000 -d currency=eur",
    'curl --header "PRIVATE-TOKEN: ⟦S:glpat⟧" "https://gitlab.com/api/v4/projects"',
)
P(
    "en",
    "curl_command",
    2,
    'curl https://api.openai.com/v1/chat/completions \\\n  -H "Content-Type: application/json" \\\n  -H "Authorization: Bearer ⟦S:openai_proj⟧" \\\n  -d \'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}\'',
)
P(
    "en",
    "curl_command",
    2,
    'curl -X POST https://api.anthropic.com/v1/messages \\\n  -H "x-api-key: ⟦S:anthropic⟧" \\\n  -H "anthropic-version: 2023-06-01" \\\n  -H "content-type: application/json"',
)
P(
    "en",
    "curl_command",
    2,
    "curl -u admin:⟦S:urlpw⟧ -X PUT http://⟦IP4⟧:9200/_cluster/settings -H 'Content-Type: application/json' -d @settings.json",
    "curl --user 'api:⟦S:mailgun⟧' https://api.mailgun.net/v3/mg.brightwave.io/messages -F to=⟦EMAIL⟧ -F subject=Test",
)
P(
    "en",
    "http_request",
    2,
    "GET /api/v1/users HTTP/1.1\nHost: kestrel.okta.com\nAccept: application/json\nAuthorization: SSWS ⟦S:okta⟧",
    "POST /admin/api/2024-01/graphql.json HTTP/1.1\nHost: brightwave.myshopify.com\nX-Shopify-Access-Token: ⟦S:shopify⟧\nContent-Type: application/json",
    "GET /api/v1/validate HTTP/1.1\nHost: api.datadoghq.eu\nDD-API-KEY: ⟦S:hex32⟧",
)
P(
    "en",
    "http_request",
    2,
    "GET /api/v2/reports HTTP/1.1\nHost: reports.tallgrass.ai\nAuthorization: Basic ⟦S:basic⟧\nUser-Agent: ⟦ua⟧",
    "GET /metrics HTTP/1.1\nHost: ⟦IP4⟧:9090\nAuthorization: Bearer ⟦S:jwt⟧",
)
P(
    "en",
    "http_request",
    1,
    "POST /api/channels/⟦n:18⟧/messages HTTP/1.1\nHost: discord.com\nAuthorization: Bot ⟦S:discord⟧\nContent-Type: application/json",
    "GET /v1/me HTTP/1.1\nHost: api.hubapi.com\nAuthorization: Bearer ⟦S:hubspot⟧",
)
P(
    "en",
    "httpie",
    1,
    "http POST https://api.linear.app/graphql Authorization:⟦S:linear⟧ query='{ viewer { id name } }'",
    "http GET https://api.notion.com/v1/users 'Authorization:Bearer ⟦S:ntn⟧' Notion-Version:2022-06-28",
)
P(
    "en",
    "postman_export",
    1,
    '{\n  "info": { "name": "Billing API" },\n  "auth": {\n    "type": "apikey",\n    "apikey": [\n      { "key": "value", "value": "⟦S:hex32⟧", "type": "string" },\n      { "key": "key", "value": "X-API-Key", "type": "string" }\n    ]\n  }\n}',
)

# ---- secrets: CLI flags, shell history, heredocs -------------------------------------------

P(
    "en",
    "shell_history",
    2,
    "  501  export GITHUB_TOKEN=⟦S:ghp⟧\n  502  gh repo clone brightwave/infra\n  503  cd infra && make plan\n  504  aws configure set aws_secret_access_key ⟦S:awssecret⟧\n  505  aws s3 ls",
)
P(
    "en",
    "shell_history",
    1,
    "  88  docker login -u ⟦user⟧ -p ⟦S:dockerhub⟧\n  89  docker push brightwave/api:2.8.1\n  90  history | grep login",
)
P(
    "en",
    "shell_command",
    2,
    'echo "⟦S:dockerhub⟧" | docker login -u ⟦user:p⟧ --password-stdin',
    "vault login ⟦S:vault⟧",
    "npm config set //registry.npmjs.org/:_authToken ⟦S:npm⟧",
)
P(
    "en",
    "shell_command",
    2,
    "twine upload -u __token__ -p ⟦S:pypi⟧ dist/*",
    "gitlab-runner register --url https://gitlab.com/ --registration-token ⟦S:glreg⟧ --executor docker",
    "sentry-cli --auth-token ⟦S:sentry⟧ releases new 2.8.1",
)
P(
    "en",
    "shell_command",
    1,
    "htpasswd -b -c /etc/nginx/.htpasswd admin '⟦S:pw⟧'",
    "openssl pkcs12 -export -in cert.pem -inkey key.pem -out bundle.p12 -passout pass:⟦S:urlpw⟧",
)
P(
    "en",
    "windows_cmd",
    1,
    "net use Z: \\\\fs01\\share /user:CORP\\⟦user⟧ ⟦S:urlpw⟧",
    'cmdkey /add:fs01.corp.brightwave.io /user:CORP\\svc-backup /pass:"⟦S:pw⟧"',
)
P(
    "en",
    "powershell",
    1,
    '$password = ConvertTo-SecureString "⟦S:pw⟧" -AsPlainText -Force\n$cred = New-Object System.Management.Automation.PSCredential ("CORP\\svc-deploy", $password)\nInvoke-Command -ComputerName app01 -Credential $cred -ScriptBlock { Restart-Service W3SVC }',
)
P(
    "en",
    "heredoc",
    2,
    "cat <<EOF > ~/.npmrc\n//registry.npmjs.org/:_authToken=⟦S:npm⟧\nEOF",
    "cat > /etc/app/secrets.env <<'EOF'\nDB_PASSWORD=⟦S:pw⟧\nSTRIPE_KEY=⟦S:stripe⟧\nEOF\nchmod 600 /etc/app/secrets.env",
)
P(
    "en",
    "dockerfile",
    1,
    'FROM python:3.11\nARG PIP_EXTRA_INDEX_URL=https://__token__:⟦S:alnum⟧@pkgs.brightwave.io/simple\nRUN pip install --extra-index-url "$PIP_EXTRA_INDEX_URL" internal-sdk==3.2.0',
)
P(
    "en",
    "github_actions",
    2,
    "      - name: Publish\n        run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ⟦S:npm⟧\n      - name: Notify\n        run: curl -X POST -H 'Authorization: Bearer ⟦S:xoxb⟧' -d 'channel=C024BE91L' https://slack.com/api/chat.postMessage",
)
P(
    "en",
    "gitlab_ci",
    1,
    'deploy:\n  stage: deploy\n  variables:\n    DEPLOY_TOKEN: "⟦S:gldt⟧"\n  script:\n    - helm upgrade --install api ./chart --set image.tag=$CI_COMMIT_SHORT_SHA',
)

# ---- secrets: logs leaking credentials ------------------------------------------------------

P(
    "en",
    "app_log",
    2,
    '{"ts":"⟦ts⟧","level":"debug","msg":"outgoing request","method":"GET","url":"https://api.kestrelcloud.com/v1/me","headers":{"Authorization":"Bearer ⟦S:jwt⟧","Accept":"application/json"}}',
)
P(
    "en",
    "app_log",
    2,
    "⟦ts⟧ DEBUG db: connecting to postgresql://svc_billing:⟦S:urlpw⟧@⟦IP4⟧:5432/billing (pool=10)\n⟦ts⟧ INFO  db: connected",
)
P(
    "en",
    "nginx_log",
    2,
    '⟦IP4⟧ - - [⟦clf⟧] "GET /api/v1/export?api_key=⟦S:hex32⟧&format=json HTTP/1.1" 200 48211 "-" "python-requests/2.31.0"',
)
P(
    "en",
    "app_log",
    1,
    '{"level":"info","msg":"config loaded","config":"{\\"db_user\\":\\"app\\",\\"db_password\\":\\"⟦S:pw⟧\\",\\"region\\":\\"eu-west-1\\"}"}',
)
P(
    "en",
    "ci_log",
    1,
    "$ ./scripts/publish.sh\n+ TOKEN=⟦S:npm⟧\n+ npm publish --access public\nnpm notice Publishing to https://registry.npmjs.org/ with tag latest",
)
P(
    "en",
    "stack_trace",
    2,
    'Traceback (most recent call last):\n  File "/srv/app/sync.py", line 41, in <module>\n    client = Client(api_key="⟦S:linear#dup⟧")\n  File "/srv/app/client.py", line 12, in __init__\n    raise AuthError(f"invalid key: {api_key}")\nclient.AuthError: invalid key: ⟦S:linear#dup⟧',
)

# ---- secrets: tables and documents ----------------------------------------------------------

P(
    "en",
    "markdown_table",
    2,
    "## Service accounts (staging)\n\n| Service | User | Password |\n|---|---|---|\n| Grafana | admin | ⟦S:pw⟧ |\n| RabbitMQ | orders | ⟦S:pw⟧ |\n| Jenkins | ci-bot | ⟦S:pw⟧ |",
)
P(
    "en",
    "csv",
    2,
    "system,username,password,notes\nvpn,⟦user⟧,⟦S:pw⟧,rotate quarterly\nnas,admin,⟦S:pw⟧,\nrouter,admin,⟦S:pw⟧,ISP box",
)
P("en", "tsv", 2, "service\tkey\towner\nsendgrid\t⟦S:sendgrid⟧\t⟦name⟧\nmapbox\t⟦S:mapbox⟧\t⟦name⟧")
P(
    "de",
    "wiki_markup",
    2,
    '{| class="wikitable"\n! Umgebung !! Benutzer !! Passwort\n|-\n| Test || ⟦user⟧ || ⟦S:pw⟧\n|-\n| Abnahme || ⟦user⟧ || ⟦S:pw⟧\n|}',
)
P(
    "en",
    "latex",
    1,
    "\\begin{tabular}{ll}\n\\textbf{Host} & \\texttt{⟦IP4⟧} \\\\\n\\textbf{User} & \\texttt{lab} \\\\\n\\textbf{Password} & \\texttt{⟦S:pw⟧} \\\\\n\\end{tabular}",
)
P(
    "en",
    "readme",
    2,
    "## Running locally\n\n1. Copy `.env.example` to `.env`\n2. Use the shared dev key: `⟦S:stripe⟧`\n3. Run `make dev`\n\n> The staging Mapbox token is `⟦S:mapbox⟧`, please don't use it in production.",
)
P(
    "en",
    "issue_comment",
    2,
    "I'm getting `401 Bad credentials` with `⟦S:ghp⟧` even though the scopes look right (repo, workflow). Is there some org SSO thing I need to click?",
    "Still broken for me. Here's my config (key redacted... oops, not redacted, it's ⟦S:openai⟧, I'll rotate it)",
)
P(
    "en",
    "email",
    1,
    "Hi ⟦first⟧,\n\nhere are the credentials for the new reporting DB:\n\nhost: ⟦dbhost⟧\nuser: reporting\npassword: ⟦S:pw⟧\n\nPlease store them in the vault and delete this email.\n\nCheers",
)
P(
    "en",
    "chat_log",
    2,
    "[14:02] ⟦first⟧: try with this token ⟦S:xoxb⟧\n[14:03] ⟦first⟧: works, thx. rotating it tomorrow",
    "[09:11] ⟦first⟧: what's the admin pw for grafana again?\n[09:12] ⟦first⟧: ⟦S:pw⟧\n[09:12] ⟦first⟧: pls don't paste it here next time lol",
)
P(
    "en",
    "jupyter_notebook",
    2,
    '{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 3,\n   "metadata": {},\n   "outputs": [],\n   "source": [\n    "import os\\n",\n    "os.environ[\\"OPENAI_API_KEY\\"] = \\"⟦S:openai⟧\\"\\n",\n    "os.environ[\\"PINECONE_API_KEY\\"] = \\"⟦S:pinecone⟧\\"\\n"\n   ]\n  }\n ],\n "nbformat": 4\n}',
)
P(
    "en",
    "multiline_string",
    2,
    'CONFIG = """\n[auth]\nclient_id = 7c1e2b\nclient_secret = ⟦S:gocspx⟧\nrefresh_token = ⟦S:alnum40⟧\n"""',
)
P("en", "multiline_string", 1, "const creds = `\nuser=svc-report\npass=⟦S:pw⟧\n`;")
P(
    "en",
    "xml",
    2,
    '<configuration>\n  <appSettings>\n    <add key="SmtpUser" value="⟦EMAIL⟧" />\n    <add key="SmtpPassword" value="⟦S:pw⟧" />\n    <add key="PaymentApiKey" value="⟦S:square⟧" />\n  </appSettings>\n</configuration>',
)
P(
    "en",
    "hcl",
    1,
    'resource "vault_generic_secret" "db" {\n  path = "secret/db"\n  data_json = jsonencode({\n    username = "app"\n    password = "⟦S:pw⟧"\n  })\n}',
)

# ---- secrets: multilingual technical texts -------------------------------------------------

P(
    "de",
    "support_ticket",
    2,
    "Zugang zum Kundenportal funktioniert nicht. Testkonto: ⟦EMAIL⟧ / Passwort ⟦S:pw⟧\nFehlermeldung: „Sitzung abgelaufen“ direkt nach dem Login.",
)
P(
    "de",
    "wiki_markup",
    1,
    "== Zugangsdaten Testumgebung ==\n* Server: ⟦IP4⟧\n* Benutzer: <code>deploy</code>\n* Kennwort: <code>⟦S:pw⟧</code>\n* API-Schlüssel: <code>⟦S:hex40⟧</code>",
)
P(
    "fr",
    "email",
    2,
    "Bonjour,\nvoici les identifiants du serveur de recette :\nhôte : ⟦IP4⟧\nutilisateur : ⟦user⟧\nmot de passe : ⟦S:pw⟧\nMerci de ne pas les transférer.",
)
P(
    "es",
    "readme",
    1,
    "### Configuración\n\nCopia el fichero de ejemplo y rellena la clave de la API:\n\n```\nAPI_KEY=⟦S:alnum⟧\n```\n\nLa contraseña de la base de datos de pruebas es `⟦S:pw⟧`.",
)
P(
    "pt",
    "support_ticket",
    1,
    "Cliente informou que a integração parou. Token atual: ⟦S:shopify⟧ (loja brightwave-br). Favor verificar escopos.",
)
P(
    "ru",
    "chat_log",
    3,
    "держи доступ к стенду: ssh deploy@⟦IP4⟧, пароль ⟦S:pw⟧\nпосле деплоя смени, ок?",
    "Токен бота: ⟦S:telegram⟧\nне свети его в чате",
)
P("ru", "forum_post", 1, "Почему VK API возвращает error 5? Использую access_token=⟦S:vk⟧ и версию 5.199")
P("uk", "chat_log", 1, "Доступ до адмінки: логін admin, пароль ⟦S:pw⟧")
P(
    "ja",
    "chat_log",
    2,
    "検証環境のDB接続情報です\nホスト：⟦dbhost⟧\nユーザー：app\nパスワード：⟦S:pw⟧",
    "LINEのチャネルアクセストークン：⟦S:line⟧",
)
P(
    "ja",
    "blog",
    1,
    "ハマったのでメモ。環境変数 OPENAI_API_KEY に ⟦S:openai⟧ をセットしても 401 が返ってくる場合、Organization ID の設定を確認すること。",
)
P(
    "zh",
    "chat_log",
    2,
    "阿里云AccessKey ID：⟦S:alibaba_id⟧\nAccessKey Secret：⟦S:alibaba_secret⟧\n用完记得在控制台禁用",
    "腾讯云SecretId：⟦S:tencent_id⟧，SecretKey：⟦S:tencent_secret⟧",
)
P("zh", "blog", 1, "配置文件里把 app_secret 改成⟦S:hex32⟧之后，回调就正常了。")
P(
    "ko",
    "chat_log",
    2,
    "카카오 REST API 키: ⟦S:hex32⟧\n네이버 클라이언트 시크릿: ⟦S:alnum⟧",
    "DB 비밀번호 바뀌었어요: ⟦S:pw⟧",
)
P("ar", "email", 1, "مرحباً،\nبيانات الدخول إلى الخادم:\nالعنوان: ⟦IP4⟧\nاسم المستخدم: admin\nكلمة المرور: ⟦S:pw⟧")
P("he", "chat_log", 1, "הטוקן של GitHub לסביבת הבדיקות: ⟦S:ghp⟧")
P("hi", "email", 1, "सर्वर का एक्सेस: होस्ट ⟦IP4⟧, यूज़र root, पासवर्ड ⟦S:pw⟧")
P("th", "chat_log", 1, "รหัสผ่านฐานข้อมูลใหม่คือ ⟦S:pw⟧ ค่ะ")
P("el", "email", 1, "Στοιχεία πρόσβασης στον server δοκιμών: χρήστης deploy, κωδικός ⟦S:pw⟧")
P("tr", "chat_log", 1, "Sunucu şifresi değişti, yenisi: ⟦S:pw⟧")
P("vi", "chat_log", 1, "Token GitLab mới: ⟦S:glpat⟧, anh em cập nhật vào CI nhé")
P("id", "chat_log", 1, "Akses server staging: user deploy, password ⟦S:pw⟧")

# ---- secrets: private-key blocks -------------------------------------------------------------

P(
    "en",
    "chat_log",
    1,
    "here's the deploy key, I'll rotate it after the migration:\n\n⟦S:pem:openssh⟧\n\nlet me know when you're in",
)
P("en", "key_file", 3, "⟦S:pem:rsa⟧\n")
P("en", "key_file", 2, "⟦S:pem:ec⟧", "⟦S:pem:pkcs8⟧")
P("en", "key_file", 1, "⟦S:pem:encrypted⟧")
P("en", "key_file", 1, "⟦S:pem:dsa⟧")
P(
    "en",
    "gcp_service_account",
    2,
    '{\n  "type": "service_account",\n  "project_id": "bw-analytics-prod",\n  "private_key_id": "⟦hex:40⟧",\n  "private_key": "⟦S:pem:pkcs8:json⟧\\n",\n  "client_id": "⟦n:21⟧",\n  "auth_uri": "https://accounts.google.com/o/oauth2/auth",\n  "token_uri": "https://oauth2.googleapis.com/token"\n}',
)
P(
    "en",
    "k8s_secret",
    2,
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ingress-tls\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIDdzCCAl+gAwIBAgIUf3x9Q2v8kLmN0pR7sT1uV4wX5yZ0wDQYJKoZIhvcNAQEL\n    -----END CERTIFICATE-----\n  tls.key: |\n    ⟦S:pem:ec:raw:4⟧",
)
P(
    "en",
    "terraform",
    1,
    'resource "tls_private_key" "imported" {}\n\nlocals {\n  deploy_key = <<EOF\n⟦S:pem:rsa1024⟧\nEOF\n}',
)
P(
    "en",
    "python_code",
    2,
    'PRIVATE_KEY = """⟦S:pem:ecp8⟧\n"""\n\ntoken = jwt.encode(claims, PRIVATE_KEY, algorithm="ES256")',
)
P(
    "en",
    "dotenv",
    2,
    'APPLE_TEAM_ID=⟦alnum:10⟧\nAPPLE_PRIVATE_KEY="⟦S:pem:ecp8:json⟧"\nGITHUB_APP_PRIVATE_KEY="⟦S:pem:rsa1024:json⟧"',
)
P("en", "ansible_vars", 1, "deploy_ssh_key: |\n  ⟦S:pem:openssh:raw:2⟧\ndeploy_user: deploy")
P(
    "en",
    "forum_post",
    1,
    "Why does ssh say 'invalid format' for my key?? It looks fine to me:\n\n⟦S:pem:openssh⟧\n\nUsing OpenSSH_9.6 on Windows.",
)
P(
    "de",
    "email",
    1,
    "Hallo ⟦first⟧,\nanbei wie besprochen der Schlüssel für den Jump-Host (bitte nicht weiterleiten):\n\n⟦S:pem:rsa1024⟧\n\nGruß",
)
P("ja", "chat_log", 1, "踏み台サーバー用の秘密鍵です。使い終わったら削除してください。\n⟦S:pem:openssh⟧")
P("zh", "forum_post", 1, "为什么我的私钥在 Windows 上报错？内容如下：\n⟦S:pem:ec⟧")
P("ru", "chat_log", 1, "Ключ для деплоя (после релиза перевыпущу):\n⟦S:pem:openssh⟧")
P("en", "windows_file", 1, "⟦S:pem:ec:crlf⟧\r\n")


# ============================================================================================
# HARD NEGATIVES
# ============================================================================================

# ---- e-mail look-alikes ----------------------------------------------------------------------

N(
    "email_example_domain",
    "en",
    "api_docs",
    3,
    '### Create a user\n\n```bash\ncurl -X POST https://api.brightwave.io/v1/users \\\n  -H \'Content-Type: application/json\' \\\n  -d \'{"email": "jane.doe@example.com", "name": "Jane Doe"}\'\n```',
    "Set `MAIL_FROM=noreply@example.org` and `MAIL_REPLY_TO=support@example.org` in your `.env`.",
)
N(
    "email_example_domain",
    "en",
    "python_code",
    2,
    '>>> validate_email("alice@example.com")\nTrue\n>>> validate_email("bob@sub.example.net")\nTrue\n>>> validate_email("not-an-email")\nFalse',
)
N(
    "email_example_domain",
    "en",
    "json_schema",
    2,
    '{\n  "type": "object",\n  "properties": {\n    "email": {"type": "string", "format": "email", "examples": ["someone@example.com", "first.last@example.org"]}\n  }\n}',
)
N(
    "email_example_domain",
    "de",
    "web_prose",
    2,
    "Geben Sie Ihre E-Mail-Adresse im Format name@example.com ein, also zum Beispiel max.mustermann@example.com.",
)
N(
    "email_example_domain",
    "fr",
    "web_prose",
    2,
    "Saisissez votre adresse e-mail (exemple : prenom.nom@example.org) puis cliquez sur « Valider ».",
)
N(
    "email_example_domain",
    "es",
    "web_prose",
    1,
    "Introduce tu correo electrónico, por ejemplo usuario@example.com, y te enviaremos un enlace.",
)
N("email_example_domain", "ja", "web_prose", 2, "メールアドレス（例：taro.yamada@example.com）を入力してください。")
N("email_example_domain", "zh", "web_prose", 1, "请输入邮箱地址，例如 zhangsan@example.com")
N("email_example_domain", "ru", "web_prose", 1, "Укажите адрес электронной почты, например ivanov@example.net")
N(
    "email_example_domain",
    "en",
    "yaml_config",
    2,
    "# sample config, replace before use\nalerting:\n  email_to: oncall@example.com\n  email_from: alerts@example.net\n  smtp_host: smtp.example.com",
)
N(
    "email_reserved_tld",
    "en",
    "test_fixture",
    3,
    'def test_signup(client):\n    resp = client.post("/signup", json={"email": "u1@acme.test", "password": "x"})\n    assert resp.status_code == 201\n    assert User.objects.get(email="u1@acme.test")',
    "fixtures:\n  - email: alice@mail.test\n  - email: bob@corp.invalid\n  - email: carol@shop.localhost",
)
N(
    "email_reserved_tld",
    "en",
    "cron_mail",
    2,
    "From: root@localhost (Cron Daemon)\nTo: root@localhost\nSubject: Cron <root@web-01> /usr/local/bin/backup.sh\n\nbackup finished in 312s",
)
N(
    "email_reserved_tld",
    "en",
    "log_line",
    2,
    "⟦syslog⟧ web-01 postfix/local[2211]: 4VbK2x1: to=<postmaster@localhost.localdomain>, relay=local, status=sent (delivered to mailbox)",
)
N(
    "email_reserved_tld",
    "de",
    "docs",
    1,
    "Für lokale Tests verwenden wir Adressen unter .test, z. B. kunde1@shop.test und kunde2@shop.test, damit keine echten Mails rausgehen.",
)
N(
    "retina_asset",
    "en",
    "html",
    3,
    '<img src="/img/logo.png" srcset="/img/logo@2x.png 2x, /img/logo@3x.png 3x" alt="Brightwave">',
    '.hero {\n  background-image: url("../img/hero@2x.jpg");\n}\n.icon-cart { background: url(sprite@2x.webp) no-repeat; }',
)
N(
    "retina_asset",
    "en",
    "file_listing",
    2,
    "Assets.xcassets/AppIcon.appiconset/\n  AppIcon-60@2x.png\n  AppIcon-60@3x.png\n  AppIcon-76@2x.png\n  Contents.json",
)
N(
    "retina_asset",
    "ja",
    "blog",
    1,
    "Retina対応のために icon@2x.png と icon@3x.png を用意しておくと、iPhoneでもくっきり表示されます。",
)
N(
    "git_ssh_remote",
    "en",
    "shell_command",
    3,
    "git clone git@github.com:brightwave/infra.git\ncd infra\ngit remote add upstream git@gitlab.com:platform/shared/infra.git",
    '[remote "origin"]\n\turl = git@bitbucket.org:kestrel-team/mobile-app.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*',
)
N(
    "git_ssh_remote",
    "en",
    "package_json",
    2,
    '{\n  "name": "ui-kit",\n  "repository": {\n    "type": "git",\n    "url": "git+ssh://git@github.com/brightwave/ui-kit.git"\n  }\n}',
)
N(
    "git_ssh_remote",
    "de",
    "readme",
    1,
    "## Installation\n\nRepository klonen:\n\n    git clone git@github.com:nordwind/tourenplaner.git\n\nDanach `make setup` ausführen.",
)
N("git_ssh_remote", "zh", "blog", 1, "先配置好 SSH key，然后执行 git clone git@gitee.com:tianyu/sdk.git 即可。")
N(
    "package_at_version",
    "en",
    "shell_command",
    4,
    "npm install lodash@4.17.21 react@18.3.1 @types/node@20.12.7",
    "pnpm add -D vite@5.2.10 vitest@1.5.0",
    "go install golang.org/x/tools/gopls@v0.15.3",
    "cargo install ripgrep@14.1.0 && brew install python@3.12",
)
N(
    "package_at_version",
    "en",
    "github_actions",
    2,
    "steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-node@v4\n    with:\n      node-version: 20\n  - uses: docker/build-push-action@v5",
)
N(
    "package_at_version",
    "en",
    "lockfile",
    2,
    '"@babel/core@^7.24.0", "@babel/core@^7.24.4":\n  version "7.24.4"\n  resolved "https://registry.yarnpkg.com/@babel/core/-/core-7.24.4.tgz"',
)
N(
    "package_at_version",
    "en",
    "dockerfile",
    2,
    "FROM nginx@sha256:⟦sha256⟧\nCOPY dist/ /usr/share/nginx/html/",
    "FROM python:3.12-slim@sha256:⟦sha256⟧ AS base",
)
N("package_at_version", "ko", "blog", 1, "npm i next@14.2.3 react@18.3.1 로 버전을 고정하니 빌드 에러가 사라졌다.")
N(
    "shell_prompt",
    "en",
    "terminal",
    4,
    "deploy@web-01:~$ uptime\n 10:14:02 up 41 days,  3:12,  1 user,  load average: 0.12, 0.08, 0.05\ndeploy@web-01:~$ df -h /",
    "root@ubuntu-s-1vcpu:/var/log# tail -n 2 syslog",
    "[ec2-user@ip-172-31-5-9 ~]$ sudo systemctl restart nginx",
    "⟦user:p⟧@MacBook-Pro ~ % brew upgrade",
)
N(
    "shell_prompt",
    "ru",
    "forum_post",
    1,
    "Вот что выдаёт:\nadmin@nas:~$ sudo mount -a\nmount: /mnt/data: wrong fs type\nЧто не так?",
)
N(
    "at_sign_code",
    "en",
    "java_code",
    3,
    '@RestController\n@RequestMapping("/api")\npublic class OrderController {\n    /**\n     * @param id order id\n     * @return the order\n     */\n    @GetMapping("/orders/{id}")\n    @PreAuthorize("hasRole(\'ADMIN\')")\n    public Order get(@PathVariable long id) { return service.find(id); }\n}',
)
N(
    "at_sign_code",
    "en",
    "css",
    2,
    "@import url('fonts.css');\n@font-face { font-family: Inter; src: url(inter.woff2); }\n@media (max-width: 600px) {\n  .nav { display: none; }\n}",
)
N(
    "at_sign_code",
    "en",
    "python_code",
    2,
    '@app.route("/login", methods=["POST"])\n@limiter.limit("5/minute")\ndef login():\n    ...\n\n@dataclass(frozen=True)\nclass Point:\n    x: float\n    y: float',
)
N(
    "at_sign_code",
    "en",
    "sql",
    2,
    "DECLARE @UserId INT = 42;\nDECLARE @Since DATETIME = DATEADD(day, -7, GETDATE());\nSELECT * FROM Orders WHERE UserId = @UserId AND CreatedAt > @Since;",
)
N(
    "at_sign_code",
    "en",
    "typescript",
    2,
    "import { Component } from '@angular/core';\nimport { HttpClient } from '@angular/common/http';\n\n@Component({ selector: 'app-root', templateUrl: './app.component.html' })\nexport class AppComponent {}",
)
N(
    "at_sign_code",
    "en",
    "batch_script",
    1,
    "@echo off\nset BUILD=%~dp0build\nif not exist %BUILD% mkdir %BUILD%\n@call npm run build",
)

# ---- IP look-alikes ----------------------------------------------------------------------

N(
    "ip_private",
    "en",
    "docker_compose",
    3,
    "networks:\n  backend:\n    ipam:\n      config:\n        - subnet: 172.28.0.0/16\nservices:\n  db:\n    networks:\n      backend:\n        ipv4_address: 172.28.0.10",
    'services:\n  app:\n    extra_hosts:\n      - "db.local:⟦priv4⟧"\n      - "cache.local:⟦priv4⟧"',
)
N(
    "ip_private",
    "en",
    "nginx_log",
    3,
    '⟦priv4⟧ - - [⟦clf⟧] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"\n⟦priv4⟧ - - [⟦clf⟧] "GET /metrics HTTP/1.1" 200 5211 "-" "Prometheus/2.51.0"',
)
N(
    "ip_private",
    "en",
    "k8s_manifest",
    2,
    "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\ncontrolPlaneEndpoint: ⟦priv4⟧:6443",
)
N(
    "ip_private",
    "de",
    "manual",
    2,
    "Öffnen Sie im Browser die Adresse 192.168.178.1 (oder fritz.box), um die Oberfläche der FRITZ!Box aufzurufen. Das Gerät erhält dann z. B. die IP ⟦priv4⟧.",
)
N("ip_private", "ja", "manual", 1, "ブラウザで192.168.0.1にアクセスし、初期設定画面を開いてください。")
N("ip_private", "zh", "blog", 1, "路由器管理地址是192.168.1.1，内网服务器固定为⟦priv4⟧。")
N(
    "ip_private",
    "es",
    "forum_post",
    1,
    "Tengo el NAS en ⟦priv4⟧ y la impresora en ⟦priv4⟧, pero desde el portátil no veo ninguno.",
)
N("ip_private", "ru", "forum_post", 1, "Роутер раздаёт адреса 192.168.0.100–192.168.0.200, а сервер висит на ⟦priv4⟧.")
N(
    "ip_private",
    "en",
    "dhcp_leases",
    2,
    'lease ⟦priv4⟧ {\n  starts 2 2024/05/14 08:01:12;\n  ends 2 2024/05/14 20:01:12;\n  hardware ethernet ⟦mac⟧;\n  client-hostname "laptop-anna";\n}',
)
N(
    "ip_private",
    "en",
    "ipv6_ula",
    2,
    "ip -6 addr show dev wg0\n    inet6 ⟦ula6⟧/64 scope global\n       valid_lft forever preferred_lft forever",
)
N(
    "ip_loopback_linklocal",
    "en",
    "terminal",
    3,
    "$ curl http://169.254.169.254/latest/meta-data/instance-id\ni-0⟦hex:16⟧",
    "$ ss -tlnp\nLISTEN 0 511 127.0.0.1:6379 0.0.0.0:*\nLISTEN 0 4096 [::1]:5432 [::]:*",
    "eth0: inet6 ⟦ll6⟧/64 scope link\n      inet 169.254.⟦int:1:254⟧.⟦int:1:254⟧/16 brd 169.254.255.255 scope link",
)
N(
    "ip_loopback_linklocal",
    "en",
    "python_code",
    2,
    'app.run(host="127.0.0.1", port=5000, debug=True)',
    'uvicorn.run("main:app", host="0.0.0.0", port=8000)',
)
N(
    "ip_loopback_linklocal",
    "de",
    "docs",
    1,
    "Der Dienst lauscht standardmäßig nur auf 127.0.0.1:8080; für den Zugriff von außen muss er auf 0.0.0.0 gebunden werden.",
)
N(
    "ip_loopback_linklocal",
    "fr",
    "forum_post",
    1,
    "Ma carte réseau affiche une adresse en 169.254.⟦int:1:254⟧.⟦int:1:254⟧, donc le DHCP ne répond pas, non ?",
)
N(
    "ip_cgnat",
    "en",
    "terminal",
    3,
    "$ tailscale status\n⟦cgnat⟧   laptop      anna@     macOS   -\n⟦cgnat⟧   nas         anna@     linux   active; direct",
)
N(
    "ip_cgnat",
    "de",
    "forum_post",
    1,
    "Im Router steht als WAN-Adresse ⟦cgnat⟧ – ich hänge also hinter Carrier-Grade-NAT und kann keine Ports freigeben.",
)
N("ip_cgnat", "pt", "forum_post", 1, "Meu roteador mostra IP WAN ⟦cgnat⟧, isso é CGNAT da operadora, certo?")
N(
    "ip_documentation",
    "en",
    "rfc_style",
    3,
    "In the following example, the client at ⟦doc4⟧ connects to the server at ⟦doc4⟧ over IPv4, and to ⟦doc6⟧ over IPv6.",
    "Example:\n\n    allow ⟦doc4⟧;\n    allow ⟦doc6⟧;\n    deny all;",
)
N("ip_documentation", "en", "api_docs", 2, '{\n  "ip": "⟦doc4⟧",\n  "country": "ZZ",\n  "note": "sample response"\n}')
N(
    "ip_documentation",
    "de",
    "docs",
    1,
    "Beispiel: Der Server hat die Adresse ⟦doc4⟧ und ist per IPv6 unter ⟦doc6⟧ erreichbar.",
)
N("ip_documentation", "ja", "docs", 1, "例えば、サーバーのアドレスが⟦doc4⟧の場合は次のように設定します。")
N(
    "ip_reserved_special",
    "en",
    "network_config",
    3,
    "auto eth0\niface eth0 inet static\n    address ⟦priv4⟧\n    netmask 255.255.255.0\n    broadcast 255.255.255.255",
    "ip route add 0.0.0.0/0 via 10.0.0.1\niptables -A INPUT -s 0.0.0.0/8 -j DROP\niptables -A INPUT -s 240.0.0.0/4 -j DROP",
)
N(
    "ip_reserved_special",
    "en",
    "benchmark_notes",
    2,
    "The load generator sits on ⟦bench4⟧ and the device under test on ⟦bench4⟧ (RFC 2544 benchmarking range).",
)
N("ip_reserved_special", "ko", "blog", 1, "서브넷 마스크는 255.255.255.0, 게이트웨이는 192.168.0.1로 설정합니다.")

# ---- dotted numbers that parse as IPv4 -----------------------------------------------------

N(
    "version_number",
    "en",
    "changelog",
    4,
    "## [⟦ver4⟧] - 2024-04-18\n### Fixed\n- Crash when the config file is empty\n\n## [⟦ver4⟧] - 2024-03-02\n### Added\n- Dark mode",
)
N(
    "version_number",
    "en",
    "csharp",
    2,
    '[assembly: AssemblyVersion("⟦ver4⟧")]\n[assembly: AssemblyFileVersion("⟦ver4⟧")]',
)
N(
    "version_number",
    "en",
    "xml",
    2,
    '<?xml version="1.0" encoding="utf-8"?>\n<Package Version="⟦ver4⟧" Publisher="CN=Brightwave">\n  <Identity Name="Brightwave.Desktop" Version="⟦ver4⟧" />\n</Package>',
)
N(
    "version_number",
    "en",
    "terminal",
    2,
    "$ app --version\napp ⟦ver4⟧ (build 2291, linux/amd64)",
    "PS> (Get-Item .\\setup.exe).VersionInfo.FileVersion\n⟦ver4⟧",
)
N(
    "version_number",
    "en",
    "support_ticket",
    2,
    "Client version ⟦ver4⟧ crashes on start, downgrading to ⟦ver4⟧ fixes it. Windows 11 23H2.",
)
N(
    "version_number",
    "de",
    "release_notes",
    2,
    "Mit Version ⟦ver4⟧ behebt das Update einen Fehler beim Export nach PDF. Bitte spätestens bis Juli auf ⟦ver4⟧ aktualisieren.",
)
N("version_number", "es", "release_notes", 1, "La versión ⟦ver4⟧ corrige el error de sincronización con el calendario.")
N("version_number", "fr", "release_notes", 1, "La version ⟦ver4⟧ du pilote corrige les plantages au démarrage.")
N(
    "version_number",
    "ru",
    "forum_post",
    1,
    "После обновления драйвера до версии ⟦ver4⟧ пропал звук, откатился на ⟦ver4⟧ — всё работает.",
)
N("version_number", "ja", "release_notes", 1, "バージョン⟦ver4⟧では、起動時にクラッシュする不具合を修正しました。")
N("version_number", "zh", "release_notes", 1, "版本⟦ver4⟧修复了导出时崩溃的问题。")
N("version_number", "pt", "release_notes", 1, "A versão ⟦ver4⟧ corrige a falha na impressão de boletos.")
N("version_number", "tr", "release_notes", 1, "⟦ver4⟧ sürümü ile giriş ekranındaki hata giderildi.")
N(
    "section_number",
    "en",
    "legal",
    3,
    "As set out in clause ⟦sec4⟧, the Supplier shall notify the Customer of any breach within 72 hours. See also section ⟦sec4⟧ (Sub-processors).",
)
N(
    "section_number",
    "en",
    "standard",
    2,
    "⟦sec4⟧ Requirements for software unit verification\nThe verification shall demonstrate compliance with the requirements in ⟦sec4⟧.",
)
N(
    "section_number",
    "de",
    "legal",
    2,
    "Gemäß Ziffer ⟦sec4⟧ der Allgemeinen Geschäftsbedingungen ist eine Kündigung nur schriftlich möglich.",
)
N(
    "section_number",
    "fr",
    "legal",
    1,
    "Conformément à l'article ⟦sec4⟧ du cahier des charges, le prestataire fournit un rapport mensuel.",
)
N("section_number", "pl", "legal", 1, "Zgodnie z punktem ⟦sec4⟧ regulaminu reklamację należy złożyć w ciągu 14 dni.")
N(
    "section_number",
    "ru",
    "legal",
    1,
    "В соответствии с пунктом ⟦sec4⟧ договора оплата производится в течение 10 банковских дней.",
)
N(
    "oid",
    "en",
    "snmp",
    3,
    "$ snmpwalk -v2c -c public ⟦priv4⟧ 1.3.6.1.2.1.1\nSNMPv2-MIB::sysDescr.0 = STRING: Linux sw-core-01\nSNMPv2-MIB::sysObjectID.0 = OID: 1.3.6.1.4.1.8072.3.2.10\nDISMAN-EVENT-MIB::sysUpTimeInstance = Timeticks: (123456) 0:20:34.56",
)
N(
    "oid",
    "en",
    "x509",
    2,
    "Signature Algorithm: sha256WithRSAEncryption (1.2.840.113549.1.1.11)\nSubject: CN=api.brightwave.io (2.5.4.3)\nX509v3 Certificate Policies: Policy: 2.23.140.1.2.1",
)
N(
    "oid",
    "en",
    "ldap_schema",
    1,
    "attributetype ( 1.3.6.1.4.1.55123.1.1.1 NAME 'employeeBadge'\n  EQUALITY caseIgnoreMatch\n  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
)

# ---- card look-alikes ----------------------------------------------------------------------

N(
    "luhn_invalid",
    "en",
    "invoice",
    3,
    "INVOICE\nCustomer reference: ⟦luhnbad⟧\nOrder: #⟦n:7⟧\nTotal due: ⟦amount⟧ EUR\nPayment terms: 14 days net",
)
N(
    "luhn_invalid",
    "en",
    "shipping_notice",
    2,
    "Your parcel is on its way! Tracking number: ⟦luhnbad⟧. Expected delivery: Thursday.",
)
N(
    "luhn_invalid",
    "en",
    "chat_log",
    2,
    "[19:02] ⟦first⟧: card number is ⟦luhnbad⟧ exp ⟦exp⟧\n[19:03] support: that number doesn't look right, could you double-check it?",
)
N(
    "luhn_invalid",
    "de",
    "email",
    2,
    "Ihre Kundennummer lautet ⟦luhnbad⟧. Bitte geben Sie diese bei allen Rückfragen an.",
)
N("luhn_invalid", "fr", "email", 1, "Votre numéro d'adhérent : ⟦luhnbad⟧. Conservez-le précieusement.")
N("luhn_invalid", "ja", "email", 1, "お客様番号：⟦luhnbad⟧\nお問い合わせの際はこちらの番号をお伝えください。")
N("luhn_invalid", "es", "email", 1, "Número de pedido: ⟦luhnbad⟧. Recibirás un aviso cuando salga del almacén.")
N("luhn_invalid", "ru", "email", 1, "Номер договора: ⟦luhnbad⟧. Сохраните его для обращений в поддержку.")
N(
    "masked_card",
    "en",
    "receipt",
    3,
    "RECEIPT\nVISA ⟦masked⟧\nAUTH CODE 0⟦n:5⟧\nAMOUNT ⟦amount⟧ USD\nTHANK YOU",
    "Payment method: Mastercard ending in ⟦n:4⟧\nBilled to: ⟦name⟧",
)
N(
    "masked_card",
    "en",
    "app_log",
    3,
    "⟦ts⟧ INFO payment.authorized order=⟦n:7⟧ pan=⟦masked⟧ amount=⟦amount⟧ currency=EUR",
)
N("masked_card", "de", "email", 2, "Wir haben ⟦amount⟧ € von Ihrer Kreditkarte ⟦masked⟧ abgebucht.")
N("masked_card", "fr", "email", 1, "Le paiement de ⟦amount⟧ € avec la carte ⟦masked⟧ a été accepté.")
N("masked_card", "ja", "email", 1, "ご登録のクレジットカード（⟦masked⟧）で決済が完了しました。")
N("masked_card", "zh", "sms", 1, "您尾号⟦n:4⟧的信用卡消费⟦amount⟧元。")
N("masked_card", "pt", "email", 1, "Pagamento aprovado no cartão ⟦masked⟧.")
N("masked_card", "ko", "sms", 1, "[Web발신] 신한카드(⟦n:4⟧) 승인 ⟦amount⟧원 일시불")
N(
    "imei_luhn_non_card",
    "en",
    "device_info",
    3,
    "Device: Pixel 8\nIMEI: ⟦imei⟧\nIMEI 2: ⟦imei⟧\nICCID: ⟦iccid⟧\nAndroid version: 14",
    "Model: iPhone 15\nSerial: F2LX⟦n:8⟧\nIMEI: ⟦imei:dash⟧",
)
N(
    "imei_luhn_non_card",
    "en",
    "support_ticket",
    2,
    "Customer reports stolen device, IMEI ⟦imei⟧. Please add it to the blocklist.",
)
N(
    "imei_luhn_non_card",
    "de",
    "email",
    1,
    "Die IMEI-Nummer Ihres Geräts lautet ⟦imei⟧. Die SIM-Karte hat die ICCID ⟦iccid⟧.",
)
N(
    "imei_luhn_non_card",
    "ru",
    "forum_post",
    1,
    "Проверил IMEI ⟦imei⟧ на сайте производителя — пишет, что телефон не в розыске.",
)
N("imei_luhn_non_card", "ja", "web_prose", 1, "IMEI番号（⟦imei⟧）は端末の設定画面から確認できます。")
N("imei_luhn_non_card", "es", "support_ticket", 1, "El IMEI del móvil robado es ⟦imei⟧, por favor bloquéenlo.")
N("imei_luhn_non_card", "hi", "web_prose", 1, "आपके फ़ोन का IMEI नंबर ⟦imei⟧ है।")

# ---- secret look-alikes --------------------------------------------------------------------

N(
    "secret_placeholder",
    "en",
    "readme",
    4,
    "## Quick start\n\n```bash\nexport OPENAI_API_KEY=YOUR_API_KEY\nexport STRIPE_SECRET_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX\npython app.py\n```",
    "Replace `<your-token>` with a personal access token (it starts with `ghp_`).",
    "```yaml\ngithub:\n  token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n```",
)
N(
    "secret_placeholder",
    "en",
    "dotenv",
    3,
    "# .env.example\nDB_PASSWORD=changeme\nJWT_SECRET=your-secret-here\nSENDGRID_API_KEY=\nAWS_SECRET_ACCESS_KEY=REPLACE_ME",
    "API_KEY=<insert api key>\nPASSWORD=********\nTOKEN=TODO",
)
N(
    "secret_placeholder",
    "en",
    "python_code",
    2,
    'client = Client(api_key="YOUR_API_KEY_HERE")  # get one at https://dashboard.kestrelcloud.com',
    'PASSWORD = "xxxxxxxx"  # set in local_settings.py',
)
N(
    "secret_placeholder",
    "en",
    "k8s_manifest",
    2,
    'stringData:\n  password: "<base64-encoded-password>"\n  api-key: "CHANGE_ME"',
)
N(
    "secret_placeholder",
    "de",
    "docs",
    2,
    "Ersetzen Sie in der Datei `config.yml` den Wert `DEIN_API_SCHLÜSSEL` durch Ihren persönlichen Schlüssel aus dem Kundenportal.",
)
N(
    "secret_placeholder",
    "fr",
    "docs",
    1,
    "Dans `.env`, remplacez `VOTRE_CLE_API` par la clé fournie dans votre espace client.",
)
N("secret_placeholder", "es", "docs", 1, "Sustituye `TU_CLAVE_API` por la clave que aparece en el panel de control.")
N(
    "secret_placeholder",
    "ja",
    "docs",
    1,
    "`API_KEY=<あなたのAPIキー>` の部分を、管理画面で発行したキーに置き換えてください。",
)
N(
    "secret_placeholder",
    "zh",
    "docs",
    1,
    "将配置文件中的 `your_access_key_secret` 替换为您在控制台获取的 AccessKey Secret。",
)
N("secret_placeholder", "ru", "docs", 1, "В файле настроек замените `ВАШ_ТОКЕН` на токен, полученный у @BotFather.")
N("secret_placeholder", "ko", "docs", 1, "`YOUR_CLIENT_SECRET` 부분을 발급받은 시크릿으로 바꿔주세요.")
N(
    "env_reference",
    "en",
    "github_actions",
    3,
    "env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n  SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}",
)
N(
    "env_reference",
    "en",
    "docker_compose",
    2,
    "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?err}\n      POSTGRES_USER: ${POSTGRES_USER:-app}\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt",
)
N(
    "env_reference",
    "en",
    "python_code",
    3,
    'DB_PASSWORD = os.environ["DB_PASSWORD"]\nSTRIPE_KEY = os.getenv("STRIPE_SECRET_KEY")\nopenai.api_key = os.environ.get("OPENAI_API_KEY")',
)
N(
    "env_reference",
    "en",
    "javascript",
    2,
    "const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);\nconst token = process.env.GITHUB_TOKEN || core.getInput('token');",
)
N(
    "env_reference",
    "en",
    "k8s_manifest",
    2,
    "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db-credentials\n        key: password\n  - name: API_KEY\n    valueFrom:\n      secretKeyRef:\n        name: api\n        key: key",
)
N(
    "env_reference",
    "en",
    "java_code",
    1,
    'String password = System.getenv("DB_PASSWORD");\nString apiKey = env.getProperty("payment.api-key");',
)
N(
    "env_reference",
    "en",
    "properties",
    2,
    "spring.datasource.password=${DB_PASSWORD}\nspring.mail.password=${MAIL_PASSWORD:}\napp.jwt.secret=${JWT_SECRET}",
)
N(
    "env_reference",
    "en",
    "ansible_vars",
    2,
    "mysql_root_password: \"{{ vault_mysql_root_password }}\"\napi_token: \"{{ lookup('env', 'API_TOKEN') }}\"\nsmtp_password: \"{{ lookup('community.hashi_vault.hashi_vault', 'secret=secret/data/smtp:password') }}\"",
)
N(
    "env_reference",
    "en",
    "terraform",
    2,
    'resource "aws_db_instance" "main" {\n  username = "app"\n  password = var.db_password\n}\n\nprovider "github" {\n  token = data.aws_ssm_parameter.github_token.value\n}',
)
N(
    "env_reference",
    "en",
    "symfony_config",
    1,
    "parameters:\n    app.secret: '%env(APP_SECRET)%'\n    mailer_dsn: '%env(MAILER_DSN)%'",
)
N(
    "env_reference",
    "en",
    "dotenv",
    2,
    "DB_PASSWORD=op://Engineering/Postgres Prod/password\nSTRIPE_KEY=op://Engineering/Stripe/credential",
    "AWS_SECRET_ACCESS_KEY=$(aws configure get aws_secret_access_key)\nGH_TOKEN=$(gh auth token)",
)
N(
    "env_reference",
    "en",
    "cloudformation",
    1,
    "MasterUserPassword: '{{resolve:secretsmanager:prod/db/master:SecretString:password}}'",
)
N(
    "env_reference",
    "en",
    "ruby_code",
    1,
    'Stripe.api_key = ENV.fetch("STRIPE_SECRET_KEY")\nconfig.secret_key_base = Rails.application.credentials.secret_key_base',
)
N(
    "env_reference",
    "de",
    "docs",
    1,
    "Das Passwort wird nicht im Repository gespeichert, sondern zur Laufzeit aus der Umgebungsvariable `DB_PASSWORD` gelesen (`${DB_PASSWORD}`).",
)
N(
    "env_reference",
    "ja",
    "blog",
    1,
    "APIキーはコードに直接書かず、`process.env.OPENAI_API_KEY` から読み込むようにしましょう。",
)
N(
    "redacted_value",
    "en",
    "app_log",
    3,
    '{"level":"info","msg":"login","user":"⟦user⟧","password":"[REDACTED]","token":"***"}',
    'Started POST "/users/sign_in" for ⟦priv4⟧\n  Parameters: {"user"=>{"email"=>"[FILTERED]", "password"=>"[FILTERED]"}}',
)
N(
    "redacted_value",
    "en",
    "terraform_plan",
    2,
    '  # aws_db_instance.main will be updated in-place\n  ~ resource "aws_db_instance" "main" {\n      ~ password = (sensitive value)\n        username = "app"\n    }',
)
N(
    "redacted_value",
    "en",
    "ci_log",
    2,
    "Run ./deploy.sh\n  env:\n    NPM_TOKEN: ***\n    AWS_SECRET_ACCESS_KEY: ***\nPublishing with token ***",
)
N(
    "redacted_value",
    "en",
    "dashboard_text",
    2,
    "API keys\n\nName: production\nKey: sk_live_••••••••••••••••3kZq\nCreated: 2024-01-12\n\nName: CI\nKey: ghp_****************************Ab12",
)
N(
    "redacted_value",
    "en",
    "http_request",
    2,
    "GET /v1/projects HTTP/1.1\nHost: api.kestrelcloud.com\nAuthorization: Bearer <redacted>\nX-API-Key: ****************",
)
N(
    "redacted_value",
    "de",
    "support_ticket",
    1,
    "Logauszug (Passwort entfernt): user=admin password=<entfernt> result=denied",
)
N("redacted_value", "ja", "support_ticket", 1, "ログ（機密情報はマスク済み）：api_key=******** status=401")
N(
    "key_name_only",
    "en",
    "readme",
    3,
    "## Configuration\n\n| Variable | Description | Required |\n|---|---|---|\n| `STRIPE_SECRET_KEY` | Stripe secret key used for charges | yes |\n| `SENDGRID_API_KEY` | API key for transactional mail | yes |\n| `SENTRY_DSN` | Error reporting | no |",
)
N(
    "key_name_only",
    "en",
    "cli_help",
    2,
    "usage: sync [-h] [--api-key API_KEY] [--token TOKEN] [--password-file PATH]\n\noptions:\n  --api-key API_KEY   API key for the remote service (default: $SYNC_API_KEY)\n  --token TOKEN       personal access token\n  --password-file PATH  read the database password from PATH",
)
N(
    "key_name_only",
    "en",
    "error_message",
    3,
    "Error: Missing required environment variable AWS_SECRET_ACCESS_KEY",
    "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
    "fatal: Authentication failed for 'https://github.com/brightwave/infra.git/' (password authentication is no longer supported, use a personal access token)",
)
N(
    "key_name_only",
    "en",
    "docs",
    2,
    "To authenticate, create a personal access token under Settings → Developer settings and pass it via the `GITHUB_TOKEN` environment variable. Never commit the token itself.",
)
N(
    "key_name_only",
    "de",
    "docs",
    1,
    "Den API-Schlüssel finden Sie im Kundenportal unter „Einstellungen → Schnittstellen“. Tragen Sie ihn in das Feld `api_key` ein.",
)
N(
    "key_name_only",
    "fr",
    "docs",
    1,
    "Le jeton d'accès se génère dans Paramètres → Sécurité. Renseignez-le ensuite dans la variable `ACCESS_TOKEN`.",
)
N(
    "key_name_only",
    "zh",
    "docs",
    1,
    "请在控制台“访问控制”页面创建 AccessKey，并妥善保管 AccessKey Secret，不要写入代码。",
)
N("key_name_only", "ko", "docs", 1, "API 키는 개발자 콘솔의 [내 애플리케이션] 메뉴에서 확인할 수 있습니다.")
N(
    "password_ui_text",
    "en",
    "web_ui",
    3,
    "Sign in\n\nEmail address\nPassword\n[ ] Remember me\nForgot your password?",
    "Your password must contain at least 12 characters, one number and one symbol. It cannot be one of your last 5 passwords.",
)
N(
    "password_ui_text",
    "en",
    "terminal",
    2,
    "$ ssh deploy@bastion\ndeploy@bastion's password:\nPermission denied, please try again.",
    "$ sudo apt update\n[sudo] password for ⟦user⟧:",
)
N("password_ui_text", "de", "web_ui", 1, "Anmelden\nBenutzername\nPasswort\nPasswort vergessen?")
N(
    "password_ui_text",
    "fr",
    "web_ui",
    1,
    "Mot de passe oublié ? Saisissez votre adresse e-mail pour recevoir un lien de réinitialisation.",
)
N("password_ui_text", "es", "web_ui", 1, "La contraseña debe tener al menos 8 caracteres, una mayúscula y un número.")
N(
    "password_ui_text",
    "ja",
    "web_ui",
    1,
    "パスワードを忘れた方はこちら\nパスワードは8文字以上で、英字と数字を含めてください。",
)
N("password_ui_text", "zh", "web_ui", 1, "请输入密码\n忘记密码？\n密码长度至少8位，需包含字母和数字")
N("password_ui_text", "ru", "web_ui", 1, "Введите пароль\nЗабыли пароль?\nПароль должен содержать не менее 8 символов.")
N("password_ui_text", "ar", "web_ui", 1, "نسيت كلمة المرور؟ أدخل بريدك الإلكتروني لإعادة تعيينها.")
N("password_ui_text", "ko", "web_ui", 1, "비밀번호를 잊으셨나요? 비밀번호는 8자 이상이어야 합니다.")
N("password_ui_text", "he", "web_ui", 1, "שכחת סיסמה? הסיסמה חייבת להכיל לפחות 8 תווים.")
N("password_ui_text", "th", "web_ui", 1, "ลืมรหัสผ่าน? รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร")
N(
    "password_ui_text",
    "el",
    "web_ui",
    1,
    "Ξεχάσατε τον κωδικό πρόσβασης; Ο κωδικός πρέπει να έχει τουλάχιστον 8 χαρακτήρες.",
)
N("password_ui_text", "hi", "web_ui", 1, "पासवर्ड भूल गए? पासवर्ड में कम से कम 8 अक्षर होने चाहिए।")
N("password_ui_text", "tr", "web_ui", 1, "Şifrenizi mi unuttunuz? Şifre en az 8 karakter olmalıdır.")
N(
    "password_hash",
    "en",
    "shadow_file",
    3,
    "root:⟦shadow⟧:19650:0:99999:7:::\ndaemon:*:19650:0:99999:7:::\ndeploy:⟦shadow⟧:19700:0:99999:7:::",
)
N("password_hash", "en", "htpasswd", 2, "admin:⟦bcrypt⟧\nmonitor:⟦bcrypt⟧")
N(
    "password_hash",
    "en",
    "sql_dump",
    2,
    "INSERT INTO auth_user (id, username, password, is_superuser) VALUES\n(1, 'admin', '⟦pbkdf2⟧', true),\n(2, 'editor', '⟦pbkdf2⟧', false);",
)
N(
    "password_hash",
    "en",
    "json_fixture",
    2,
    '[\n  {"id": 1, "email": "alice@example.com", "password_hash": "⟦bcrypt⟧"},\n  {"id": 2, "email": "bob@example.com", "password_hash": "⟦bcrypt⟧"}\n]',
)
N(
    "password_hash",
    "de",
    "forum_post",
    1,
    "In der Datenbank steht bei password nur sowas wie ⟦bcrypt⟧ – kann ich das irgendwie zurückrechnen?",
)
N(
    "documented_example_key",
    "en",
    "aws_docs",
    3,
    "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "The following example uses the access key ID AKIAIOSFODNN7EXAMPLE and the secret access key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY. These are example values only.",
)
N(
    "documented_example_key",
    "ja",
    "docs",
    1,
    "例: aws_access_key_id = AKIAIOSFODNN7EXAMPLE（これはAWSドキュメントのサンプル値です）",
)
N(
    "trivial_default_credentials",
    "en",
    "manual",
    3,
    "Default login: username admin, password admin. You will be asked to change it on first login.",
    "RabbitMQ ships with a default user guest/guest that can only connect from localhost.",
    "The default credentials for the Grafana container are admin / admin.",
)
N(
    "trivial_default_credentials",
    "de",
    "manual",
    1,
    "Werkseinstellung: Benutzername admin, Passwort 1234. Bitte nach der Ersteinrichtung ändern.",
)
N("trivial_default_credentials", "es", "manual", 1, "Usuario por defecto: admin, contraseña: admin.")
N("trivial_default_credentials", "ru", "manual", 1, "Логин и пароль по умолчанию: admin / admin.")
N("trivial_default_credentials", "zh", "manual", 1, "默认用户名：admin，默认密码：123456")
N(
    "trivial_default_credentials",
    "en",
    "docker_compose",
    1,
    "environment:\n  POSTGRES_USER: postgres\n  POSTGRES_PASSWORD: postgres  # local dev only",
)
N("public_key_cert", "en", "authorized_keys", 3, "⟦sshpub⟧\n⟦sshpub⟧")
N("public_key_cert", "en", "pem_file", 2, "⟦pubpem⟧", "⟦cert⟧")
N(
    "public_key_cert",
    "en",
    "wireguard_config",
    2,
    "[Peer]\n# laptop\nPublicKey = ⟦wgpub⟧\nAllowedIPs = 10.8.0.2/32\n\n[Peer]\n# phone\nPublicKey = ⟦wgpub⟧\nAllowedIPs = 10.8.0.3/32",
)
N(
    "public_key_cert",
    "en",
    "jwks",
    1,
    '{"keys":[{"kty":"RSA","kid":"⟦hex:16⟧","use":"sig","alg":"RS256","e":"AQAB","n":"⟦b64:256⟧"}]}',
)
N(
    "public_key_cert",
    "en",
    "sops_config",
    1,
    "creation_rules:\n  - path_regex: secrets/.*\\.yaml\n    age: age1⟦bech:58⟧",
)
N(
    "public_key_cert",
    "de",
    "email",
    1,
    "Hallo, hier mein öffentlicher SSH-Schlüssel für den Zugang:\n\n⟦sshpub⟧\n\nDanke!",
)
N(
    "hash_checksum",
    "en",
    "terminal",
    3,
    "$ sha256sum app-2.8.1-linux-amd64.tar.gz\n⟦sha256⟧  app-2.8.1-linux-amd64.tar.gz",
    "$ md5sum backup.tar\n⟦md5⟧  backup.tar",
)
N(
    "hash_checksum",
    "en",
    "html",
    2,
    '<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js" integrity="⟦sri⟧" crossorigin="anonymous"></script>',
)
N(
    "hash_checksum",
    "en",
    "requirements",
    2,
    "requests==2.31.0 \\\n    --hash=sha256:⟦sha256⟧ \\\n    --hash=sha256:⟦sha256⟧",
)
N(
    "hash_checksum",
    "en",
    "lockfile",
    2,
    '"node_modules/lodash": {\n  "version": "4.17.21",\n  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",\n  "integrity": "⟦sri:512⟧"\n}',
    '[[package]]\nname = "serde"\nversion = "1.0.197"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "⟦sha256⟧"',
)
N(
    "hash_checksum",
    "en",
    "http_response",
    2,
    'HTTP/1.1 200 OK\nContent-Type: application/octet-stream\nETag: "⟦md5⟧"\nx-amz-checksum-sha256: ⟦b64:32⟧',
)
N("hash_checksum", "de", "release_notes", 1, "Prüfsumme (SHA-256) der Installationsdatei: ⟦sha256⟧")
N("hash_checksum", "zh", "release_notes", 1, "安装包 SHA256 校验值：⟦sha256⟧，下载后请核对。")
N(
    "git_sha",
    "en",
    "terminal",
    3,
    "$ git log --oneline -5\n⟦gitsha⟧ fix: handle empty payload\n⟦gitsha⟧ chore(deps): bump axios\n⟦gitsha⟧ feat: add CSV export\n⟦gitsha⟧ docs: update README\n⟦gitsha⟧ Merge pull request #412",
    "$ git rev-parse HEAD\n⟦gitsha:40⟧",
)
N(
    "git_sha",
    "en",
    "issue_comment",
    2,
    "Fixed in ⟦gitsha:10⟧, will be part of the next release. The regression came from ⟦gitsha:40⟧.",
)
N(
    "git_sha",
    "en",
    "go_mod",
    1,
    "require (\n\tgithub.com/brightwave/sdk v0.0.0-20240312152122-⟦gitsha:12⟧\n\tgolang.org/x/net v0.24.0\n)",
)
N("git_sha", "ja", "issue_comment", 1, "コミット ⟦gitsha:40⟧ で修正済みです。")
N(
    "uuid_identifier",
    "en",
    "app_log",
    3,
    '{"ts":"⟦ts⟧","level":"error","request_id":"⟦uuid⟧","trace_id":"⟦hex:32⟧","msg":"upstream timeout"}',
)
N(
    "uuid_identifier",
    "en",
    "azure_config",
    2,
    '{\n  "subscriptionId": "⟦uuid⟧",\n  "tenantId": "⟦uuid⟧",\n  "clientId": "⟦uuid⟧",\n  "resourceGroup": "rg-prod-weu"\n}',
)
N(
    "uuid_identifier",
    "en",
    "k8s_manifest",
    1,
    'metadata:\n  name: api-7d9c5b8f6-x2k4p\n  namespace: prod\n  uid: ⟦uuid⟧\n  resourceVersion: "⟦n:8⟧"',
)
N(
    "uuid_identifier",
    "en",
    "sln_file",
    1,
    'Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Api", "Api\\Api.csproj", "{⟦uuid⟧}"\nEndProject',
)
N("uuid_identifier", "de", "support_ticket", 1, "Vorgangsnummer: ⟦uuid⟧ – bitte bei Rückfragen angeben.")
N(
    "non_secret_identifier",
    "en",
    "terraform_output",
    3,
    'instance_id = "i-0⟦hex:16⟧"\nvpc_id = "vpc-0⟦hex:16⟧"\nsecurity_group_id = "sg-0⟦hex:16⟧"\nami = "ami-0⟦hex:16⟧"\narn = "arn:aws:iam::⟦n:12⟧:role/ci-deploy"',
)
N(
    "non_secret_identifier",
    "en",
    "html",
    2,
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-⟦alnum:10⟧"></script>\n<iframe src="https://www.youtube.com/embed/⟦ytid⟧" allowfullscreen></iframe>',
)
N(
    "non_secret_identifier",
    "en",
    "json_record",
    2,
    '{"id": "cus_⟦alnum:14⟧", "object": "customer", "invoice_prefix": "⟦alnum:8⟧", "default_source": "card_⟦alnum:24⟧"}',
)
N(
    "non_secret_identifier",
    "en",
    "oauth_config",
    1,
    '{"web": {"client_id": "⟦n:12⟧-⟦lower:32⟧.apps.googleusercontent.com", "redirect_uris": ["https://app.brightwave.io/oauth/callback"]}}',
)
N(
    "non_secret_identifier",
    "en",
    "terminal",
    2,
    "$ docker ps\nCONTAINER ID   IMAGE          STATUS\n⟦hex:12⟧   postgres:16    Up 3 days\n⟦hex:12⟧   redis:7        Up 3 days",
)
N(
    "crypto_public_address",
    "en",
    "web_prose",
    3,
    "If you find this project useful, consider donating:\nBTC: ⟦btc⟧\nETH: ⟦eth⟧",
)
N("crypto_public_address", "ru", "forum_post", 1, "Поддержать автора: BTC ⟦btc⟧")
N("crypto_public_address", "zh", "web_prose", 1, "收款地址（ERC-20）：⟦eth⟧")
N(
    "mac_address",
    "en",
    "terminal",
    3,
    "$ arp -a\n? (⟦priv4⟧) at ⟦mac⟧ [ether] on eth0\n? (⟦priv4⟧) at ⟦mac⟧ [ether] on eth0",
    "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n    link/ether ⟦mac⟧ brd ff:ff:ff:ff:ff:ff",
)
N(
    "mac_address",
    "de",
    "manual",
    1,
    "Die MAC-Adresse des Geräts (⟦mac:-⟧) finden Sie auf dem Aufkleber an der Unterseite.",
)
N("base64_data", "en", "html", 2, '<img alt="" src="⟦datauri⟧">')
N(
    "base64_data",
    "en",
    "mime_email",
    2,
    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nSGVsbG8gdGVhbSwKdGhlIHJlcG9ydCBpcyBhdHRhY2hlZC4KQmVzdCwKQW5uYQo=",
)
N(
    "base64_data",
    "en",
    "k8s_manifest",
    1,
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: branding\nbinaryData:\n  favicon.ico: AAABAAEAEBAAAAEAIABoBAAAFgAAACgAAAAQAAAAIAAAAAEAIAAAAAAAAAQAAA==",
)

# ---- more multilingual hard negatives --------------------------------------------------------

N("version_number", "ko", "release_notes", 1, "버전 ⟦ver4⟧에서는 로그인 오류가 수정되었습니다.")
N("version_number", "it", "release_notes", 1, "La versione ⟦ver4⟧ risolve il problema di sincronizzazione.")
N("version_number", "nl", "release_notes", 1, "Versie ⟦ver4⟧ lost het probleem met het exporteren op.")
N("version_number", "pl", "release_notes", 1, "Wersja ⟦ver4⟧ naprawia błąd przy logowaniu.")
N("version_number", "vi", "release_notes", 1, "Phiên bản ⟦ver4⟧ đã sửa lỗi đồng bộ dữ liệu.")
N("version_number", "id", "release_notes", 1, "Versi ⟦ver4⟧ memperbaiki masalah saat mengunggah foto.")
N("version_number", "ar", "release_notes", 1, "الإصدار ⟦ver4⟧ يصلح مشكلة تسجيل الدخول.")
N("version_number", "he", "release_notes", 1, "גרסה ⟦ver4⟧ מתקנת את הבעיה בייצוא לקובץ PDF.")
N("version_number", "th", "release_notes", 1, "เวอร์ชัน ⟦ver4⟧ แก้ไขปัญหาการเข้าสู่ระบบ")
N("version_number", "el", "release_notes", 1, "Η έκδοση ⟦ver4⟧ διορθώνει το πρόβλημα συγχρονισμού.")
N("version_number", "uk", "release_notes", 1, "Версія ⟦ver4⟧ виправляє помилку під час експорту.")
N("version_number", "hi", "release_notes", 1, "संस्करण ⟦ver4⟧ में लॉगिन की समस्या ठीक की गई है।")
N("version_number", "sv", "release_notes", 1, "Version ⟦ver4⟧ åtgärdar felet vid utskrift.")
N("version_number", "cs", "release_notes", 1, "Verze ⟦ver4⟧ opravuje chybu při exportu.")
N(
    "section_number",
    "es",
    "legal",
    1,
    "Según el apartado ⟦sec4⟧ del contrato, el proveedor deberá notificar cualquier incidencia en 72 horas.",
)
N(
    "section_number",
    "it",
    "legal",
    1,
    "Ai sensi del punto ⟦sec4⟧ del capitolato, il fornitore consegna un report mensile.",
)
N("section_number", "ja", "standard", 1, "詳細は規格の⟦sec4⟧項を参照してください。")
N("section_number", "zh", "standard", 1, "具体要求见标准第⟦sec4⟧条。")
N(
    "section_number",
    "nl",
    "legal",
    1,
    "Op grond van artikel ⟦sec4⟧ van de voorwaarden is opzegging alleen schriftelijk mogelijk.",
)
N(
    "ip_private",
    "fr",
    "manual",
    1,
    "Connectez-vous à l'interface de la box via 192.168.1.254, puis attribuez l'adresse ⟦priv4⟧ à l'imprimante.",
)
N("ip_private", "it", "forum_post", 1, "Il NAS risponde su ⟦priv4⟧ ma dal telefono non lo vedo.")
N("ip_private", "pl", "forum_post", 1, "Serwer stoi na ⟦priv4⟧, a brama to 192.168.0.1 – co jeszcze sprawdzić?")
N("ip_private", "tr", "forum_post", 1, "Modemin arayüzüne 192.168.1.1 üzerinden giriyorum, kamera ⟦priv4⟧ adresinde.")
N("ip_private", "vi", "forum_post", 1, "Máy chủ nội bộ mình đặt IP tĩnh ⟦priv4⟧, gateway 192.168.1.1.")
N("ip_private", "id", "forum_post", 1, "Printer saya pakai IP ⟦priv4⟧, tapi laptop tidak bisa menemukannya.")
N("ip_private", "th", "manual", 1, "เข้าหน้าตั้งค่าเราเตอร์ที่ 192.168.1.1 แล้วกำหนด IP ⟦priv4⟧ ให้กล้อง")
N("ip_private", "ar", "manual", 1, "افتح المتصفح وادخل إلى 192.168.1.1 لضبط إعدادات الراوتر.")
N("ip_private", "ko", "manual", 1, "공유기 관리 페이지(192.168.0.1)에 접속한 뒤 NAS에 ⟦priv4⟧를 고정 IP로 할당하세요.")
N(
    "ip_loopback_linklocal",
    "ja",
    "blog",
    1,
    "開発サーバーは127.0.0.1:3000で起動するので、外部からはアクセスできません。",
)
N("ip_loopback_linklocal", "zh", "blog", 1, "服务默认监听127.0.0.1，需要改成0.0.0.0才能从局域网访问。")
N("ip_cgnat", "ru", "forum_post", 1, "В роутере WAN-адрес ⟦cgnat⟧, провайдер говорит, что белый IP стоит денег.")
N(
    "ip_documentation",
    "fr",
    "docs",
    1,
    "Par exemple, si votre serveur a l'adresse ⟦doc4⟧, ajoutez la ligne suivante au fichier de configuration.",
)
N("ip_documentation", "es", "docs", 1, "Ejemplo: el cliente ⟦doc4⟧ se conecta al servidor ⟦doc4⟧ por el puerto 443.")
N("luhn_invalid", "ko", "email", 1, "주문번호: ⟦luhnbad⟧\n배송이 시작되면 다시 안내드리겠습니다.")
N("luhn_invalid", "zh", "email", 1, "您的会员卡号：⟦luhnbad⟧，请妥善保管。")
N("luhn_invalid", "pt", "email", 1, "Número do protocolo: ⟦luhnbad⟧. Guarde para futuras consultas.")
N("luhn_invalid", "it", "email", 1, "Codice cliente: ⟦luhnbad⟧. Indicalo in ogni comunicazione.")
N("luhn_invalid", "tr", "email", 1, "Abone numaranız: ⟦luhnbad⟧")
N(
    "luhn_invalid",
    "en",
    "chat_log",
    1,
    "[11:02] ⟦first⟧: is this right? ⟦luhnbad⟧\n[11:03] ⟦first⟧: no, the form says invalid card number, one digit must be off",
)
N("masked_card", "ru", "sms", 1, "Покупка ⟦amount⟧ р. по карте *⟦n:4⟧. Баланс: ⟦amount⟧ р.")
N("masked_card", "es", "email", 1, "Se ha realizado un cargo de ⟦amount⟧ € en tu tarjeta ⟦masked⟧.")
N("masked_card", "it", "email", 1, "Pagamento di ⟦amount⟧ € addebitato sulla carta ⟦masked⟧.")
N("masked_card", "nl", "email", 1, "We hebben ⟦amount⟧ euro afgeschreven van je kaart ⟦masked⟧.")
N("masked_card", "pl", "sms", 1, "Transakcja kartą ⟦masked⟧ na kwotę ⟦amount⟧ PLN została zaakceptowana.")
N("masked_card", "tr", "sms", 1, "⟦masked⟧ numaralı kartınızdan ⟦amount⟧ TL harcama yapıldı.")
N("masked_card", "ar", "sms", 1, "تمت عملية شراء بمبلغ ⟦amount⟧ بالبطاقة ⟦masked⟧")
N("masked_card", "he", "sms", 1, "בוצעה עסקה בסך ⟦amount⟧ ₪ בכרטיס המסתיים ב-⟦n:4⟧")
N("imei_luhn_non_card", "zh", "web_prose", 1, "手机的IMEI号是⟦imei⟧，可在拨号界面输入*#06#查询。")
N("imei_luhn_non_card", "ko", "support_ticket", 1, "분실 단말기 IMEI: ⟦imei⟧ 정지 요청드립니다.")
N("imei_luhn_non_card", "pt", "support_ticket", 1, "Meu celular foi roubado, IMEI ⟦imei⟧. Como faço o bloqueio?")
N("imei_luhn_non_card", "tr", "web_prose", 1, "Cihazınızın IMEI numarası (⟦imei⟧) e-Devlet üzerinden sorgulanabilir.")
N("imei_luhn_non_card", "ar", "support_ticket", 1, "رقم IMEI الخاص بالهاتف المفقود هو ⟦imei⟧")
N("imei_luhn_non_card", "en", "device_info", 1, "SIM status\nICCID: ⟦iccid⟧\nNetwork: Vodafone\nRoaming: off")
N("password_ui_text", "pt", "web_ui", 1, "Esqueceu sua senha? A senha deve ter pelo menos 8 caracteres.")
N("password_ui_text", "it", "web_ui", 1, "Password dimenticata? La password deve contenere almeno 8 caratteri.")
N("password_ui_text", "nl", "web_ui", 1, "Wachtwoord vergeten? Je wachtwoord moet minstens 8 tekens bevatten.")
N("password_ui_text", "pl", "web_ui", 1, "Nie pamiętasz hasła? Hasło musi mieć co najmniej 8 znaków.")
N("password_ui_text", "uk", "web_ui", 1, "Забули пароль? Пароль має містити щонайменше 8 символів.")
N("password_ui_text", "vi", "web_ui", 1, "Quên mật khẩu? Mật khẩu phải có ít nhất 8 ký tự.")
N("password_ui_text", "id", "web_ui", 1, "Lupa kata sandi? Kata sandi minimal 8 karakter.")
N("password_ui_text", "sv", "web_ui", 1, "Glömt lösenordet? Lösenordet måste innehålla minst 8 tecken.")
N("password_ui_text", "cs", "web_ui", 1, "Zapomněli jste heslo? Heslo musí mít alespoň 8 znaků.")
N("secret_placeholder", "pt", "docs", 1, "Substitua `SUA_CHAVE_API` pela chave gerada no painel.")
N("secret_placeholder", "it", "docs", 1, "Sostituisci `LA_TUA_CHIAVE_API` con la chiave presente nella dashboard.")
N("secret_placeholder", "pl", "docs", 1, "W pliku `.env` wpisz `API_KEY=TWÓJ_KLUCZ` zamiast przykładowej wartości.")
N("secret_placeholder", "tr", "docs", 1, "`API_KEY=<api-anahtarınız>` satırını kendi anahtarınızla değiştirin.")
N("secret_placeholder", "uk", "docs", 1, "Замініть `ВАШ_КЛЮЧ_API` на ключ із особистого кабінету.")
N(
    "secret_placeholder",
    "en",
    "yaml_config",
    2,
    'database:\n  password: "<DB_PASSWORD>"\nstripe:\n  secret_key: "sk_live_..."\nslack:\n  token: "xoxb-your-token"',
)
N(
    "env_reference",
    "en",
    "shell_command",
    2,
    'docker run -e DB_PASSWORD="$DB_PASSWORD" -e API_KEY app:latest',
    'curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user',
)
N(
    "env_reference",
    "en",
    "csharp",
    1,
    'var apiKey = Environment.GetEnvironmentVariable("PAYMENT_API_KEY");\nvar conn = builder.Configuration.GetConnectionString("Default");',
)
N(
    "env_reference",
    "en",
    "go_code",
    1,
    'token := os.Getenv("SLACK_BOT_TOKEN")\nif token == "" {\n\tlog.Fatal("SLACK_BOT_TOKEN not set")\n}',
)
N(
    "env_reference",
    "ru",
    "docs",
    1,
    'Токен не храним в коде: бот читает его из переменной окружения `TELEGRAM_TOKEN` (`os.getenv("TELEGRAM_TOKEN")`).',
)
N("env_reference", "zh", "blog", 1, "密钥通过环境变量 `${ALIYUN_ACCESS_KEY_SECRET}` 注入，不写进代码仓库。")
N("key_name_only", "ru", "docs", 1, "Получите API-ключ в личном кабинете и укажите его в переменной `API_KEY`.")
N(
    "key_name_only",
    "ja",
    "docs",
    1,
    "アクセストークンは「設定 → 開発者向け」から発行できます。発行したトークンは他人と共有しないでください。",
)
N(
    "key_name_only",
    "es",
    "docs",
    1,
    "Genera un token de acceso personal en Ajustes y guárdalo en la variable `GITLAB_TOKEN`.",
)
N("key_name_only", "pt", "docs", 1, "Crie uma chave de API no painel e defina a variável de ambiente `OPENAI_API_KEY`.")
N("email_example_domain", "ko", "web_prose", 1, "이메일 주소를 입력하세요 (예: hong.gildong@example.com)")
N("email_example_domain", "pt", "web_prose", 1, "Digite seu e-mail no formato nome@example.com.")
N("email_example_domain", "it", "web_prose", 1, "Inserisci il tuo indirizzo email, ad esempio mario.rossi@example.org.")
N("email_example_domain", "pl", "web_prose", 1, "Podaj adres e-mail, np. jan.kowalski@example.com.")
N("email_example_domain", "ar", "web_prose", 1, "أدخل بريدك الإلكتروني، مثال: user@example.com")
N("email_example_domain", "he", "web_prose", 1, 'הזינו כתובת דוא"ל, לדוגמה: israel@example.com')
N(
    "trivial_default_credentials",
    "ja",
    "manual",
    1,
    "初期設定のユーザー名は admin、パスワードは password です。初回ログイン時に変更してください。",
)
N("trivial_default_credentials", "fr", "manual", 1, "Identifiants par défaut : admin / admin. Pensez à les modifier.")
N("trivial_default_credentials", "pt", "manual", 1, "Usuário padrão: admin, senha padrão: admin.")
N("trivial_default_credentials", "ko", "manual", 1, "초기 아이디와 비밀번호는 admin / 1234 입니다.")
N("hash_checksum", "ja", "release_notes", 1, "インストーラーのSHA-256チェックサム：⟦sha256⟧")
N("hash_checksum", "ru", "release_notes", 1, "Контрольная сумма MD5 образа: ⟦md5⟧")
N("public_key_cert", "ja", "chat_log", 1, "公開鍵を送ります。authorized_keysに追加をお願いします。\n⟦sshpub⟧")
N("public_key_cert", "ru", "chat_log", 1, "Добавь мой публичный ключ на сервер:\n⟦sshpub⟧")
N("git_sha", "de", "issue_comment", 1, "Behoben mit Commit ⟦gitsha:12⟧, kommt ins nächste Release.")
N("uuid_identifier", "fr", "support_ticket", 1, "Référence de la demande : ⟦uuid⟧ (à rappeler dans vos échanges).")
N("uuid_identifier", "ja", "support_ticket", 1, "お問い合わせ番号：⟦uuid⟧")
N(
    "redacted_value",
    "fr",
    "support_ticket",
    1,
    "Extrait du journal (mot de passe masqué) : user=admin password=******** status=refusé",
)
N("redacted_value", "ru", "app_log", 1, "Ошибка авторизации: token=*** user=admin")
N("mac_address", "ja", "manual", 1, "本体裏面のラベルに記載されたMACアドレス（⟦mac:-⟧）を入力してください。")
N("crypto_public_address", "es", "web_prose", 1, "Si quieres apoyar el proyecto: ETH ⟦eth⟧")
N(
    "password_hash",
    "en",
    "yaml_config",
    1,
    'users:\n  - name: admin\n    password_hash: "⟦bcrypt⟧"\n  - name: viewer\n    password_hash: "⟦bcrypt⟧"',
)
N(
    "non_secret_identifier",
    "en",
    "stripe_object",
    1,
    '{"id": "pi_⟦alnum:24⟧", "object": "payment_intent", "amount": 2000, "currency": "eur", "status": "succeeded"}',
)

# ---- more hard negatives without slots (each text once) -------------------------------------

N(
    "at_sign_code",
    "en",
    "kotlin_code",
    1,
    "@Serializable\ndata class User(val id: Long, val name: String)\n\n@Composable\nfun Greeting(@StringRes label: Int) { Text(stringResource(label)) }",
)
N(
    "at_sign_code",
    "en",
    "swift_code",
    1,
    'struct ContentView: View {\n    @State private var query = ""\n    @Environment(\\.dismiss) var dismiss\n    var body: some View { TextField("Search", text: $query) }\n}',
)
N(
    "at_sign_code",
    "en",
    "chat_log",
    1,
    "[09:00] bot: @here standup in 5 min\n[09:01] bot: @channel deploy freeze starts Friday",
)
N(
    "at_sign_code",
    "en",
    "perl_code",
    1,
    'my @files = glob(\'*.log\');\nforeach my $f (@files) { print "$f\\n"; }\nprint scalar(@ARGV), " args\\n";',
)
N(
    "at_sign_code",
    "en",
    "diff",
    1,
    "@@ -12,7 +12,8 @@ def handler(event):\n-    return None\n+    if not event:\n+        return None\n+    return process(event)",
)
N(
    "email_example_domain",
    "en",
    "api_docs",
    1,
    'POST /v1/invites\n\n```json\n{"email": "new.member@example.com", "role": "viewer"}\n```\n\nResponse: `201 Created`',
)
N(
    "email_example_domain",
    "en",
    "php_code",
    1,
    "<?php\n// see https://www.php.net/filter_var\nvar_dump(filter_var('bob@example.org', FILTER_VALIDATE_EMAIL));",
)
N(
    "email_example_domain",
    "es",
    "docs",
    1,
    "En el campo «Remitente» escribe una dirección de prueba como ventas@example.net.",
)
N(
    "email_reserved_tld",
    "en",
    "docker_compose",
    1,
    "services:\n  mailhog:\n    image: mailhog/mailhog\n  app:\n    environment:\n      MAIL_FROM: app@dev.localhost\n      ADMIN_EMAIL: admin@app.test",
)
N(
    "email_reserved_tld",
    "ja",
    "docs",
    1,
    "テスト用のアドレスには user1@shop.test のような .test ドメインを使用してください。",
)
N(
    "retina_asset",
    "en",
    "markdown",
    1,
    '![Screenshot](docs/img/dashboard@2x.png)\n\n<img src="docs/img/logo-dark@2x.svg" width="120">',
)
N(
    "retina_asset",
    "de",
    "forum_post",
    1,
    "Warum lädt WordPress bei mir immer bild-1024x768@2x.jpg statt der normalen Version?",
)
N(
    "git_ssh_remote",
    "en",
    "gitmodules",
    1,
    '[submodule "vendor/proto"]\n\tpath = vendor/proto\n\turl = git@github.com:brightwave/proto.git',
)
N(
    "git_ssh_remote",
    "en",
    "go_mod",
    1,
    'go env -w GOPRIVATE=github.com/brightwave/*\ngit config --global url."git@github.com:".insteadOf "https://github.com/"',
)
N("git_ssh_remote", "ja", "blog", 1, "社内のリポジトリは git@gitlab.com:team/app.git のようにSSHでクローンします。")
N(
    "package_at_version",
    "en",
    "requirements",
    1,
    "deno add jsr:@std/path@0.224.0\nbun add zod@3.23.8\nnpx create-next-app@latest my-app",
)
N("package_at_version", "zh", "blog", 1, "执行 npm install vue@3.4.27 pinia@2.1.7 即可复现这个问题。")
N(
    "shell_prompt",
    "en",
    "terminal",
    1,
    "PS C:\\Users\\admin> Get-Service W3SVC\n\nStatus   Name     DisplayName\n------   ----     -----------\nRunning  W3SVC    World Wide Web Publishing Service",
)
N(
    "shell_prompt",
    "de",
    "forum_post",
    1,
    "Folgendes kommt raus:\npi@raspberrypi:~ $ sudo systemctl status pihole-FTL\n● pihole-FTL.service - LSB: pihole-FTL daemon",
)
N(
    "ip_private",
    "en",
    "k8s_manifest",
    1,
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec:\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n            except:\n              - 10.0.42.0/24",
)
N(
    "ip_private",
    "en",
    "ssh_config",
    1,
    "Host bastion\n    HostName 10.20.0.5\n    User ubuntu\n\nHost db\n    HostName 172.16.4.12\n    ProxyJump bastion",
)
N(
    "ip_documentation",
    "en",
    "api_docs",
    1,
    "X-Forwarded-For: 203.0.113.195, 198.51.100.17\n\nThe left-most address is the original client; proxies append their own address.",
)
N(
    "ip_reserved_special",
    "en",
    "docs",
    1,
    "0.0.0.0 means all IPv4 addresses on the local machine, while 255.255.255.255 is the limited broadcast address.",
)
N("oid", "en", "snmp", 1, "snmpget -v2c -c public switch01 1.3.6.1.2.1.2.2.1.10.3 1.3.6.1.2.1.2.2.1.16.3")
N(
    "oid",
    "de",
    "docs",
    1,
    "Die Erweiterung mit der OID 2.5.29.17 (Subject Alternative Name) muss im Zertifikat enthalten sein.",
)
N(
    "secret_placeholder",
    "en",
    "php_code",
    1,
    "define( 'DB_PASSWORD', 'password_here' );\ndefine( 'AUTH_KEY', 'put your unique phrase here' );",
)
N(
    "secret_placeholder",
    "en",
    "terraform",
    1,
    'variable "api_token" {\n  type      = string\n  sensitive = true\n  # default = "<set in terraform.tfvars>"\n}',
)
N("secret_placeholder", "en", "dotenv", 1, "STRIPE_SECRET_KEY=sk_test_...\nOPENAI_API_KEY=sk-...\nGITHUB_TOKEN=ghp_...")
N(
    "env_reference",
    "en",
    "helm_values",
    1,
    "auth:\n  existingSecret: postgres-credentials\n  secretKeys:\n    adminPasswordKey: postgres-password\n    userPasswordKey: password",
)
N(
    "env_reference",
    "en",
    "nginx_config",
    1,
    'location /api/ {\n    proxy_set_header Authorization "Bearer $upstream_token";\n    proxy_pass http://backend;\n}',
)
N(
    "env_reference",
    "fr",
    "docs",
    1,
    "Le mot de passe n'est jamais écrit dans le fichier : utilisez `${DB_PASSWORD}` et définissez la variable dans votre CI.",
)
N(
    "redacted_value",
    "en",
    "json_record",
    1,
    '{"user": "svc-deploy", "password": "<hidden>", "api_key": "sk_live_****************", "token": null}',
)
N(
    "redacted_value",
    "es",
    "support_ticket",
    1,
    "Registro (contraseña ocultada): usuario=admin contraseña=[OCULTO] resultado=denegado",
)
N(
    "key_name_only",
    "en",
    "python_code",
    1,
    'parser.add_argument("--api-key", required=True, help="API key for the billing service")\nparser.add_argument("--password", help="database password (prompted if omitted)")',
)
N(
    "key_name_only",
    "en",
    "yaml_config",
    1,
    "# required secrets (set them in the CI settings, never here):\n#   - DOCKERHUB_TOKEN\n#   - SLACK_WEBHOOK_URL\n#   - SENTRY_AUTH_TOKEN",
)
N(
    "password_ui_text",
    "en",
    "email",
    1,
    "Hi,\n\nsomeone requested a password reset for your account. If this was you, click the button below. If not, you can ignore this email; your password will not change.",
)
N(
    "documented_example_key",
    "en",
    "aws_docs",
    1,
    "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nexport AWS_DEFAULT_REGION=us-west-2",
)
N(
    "trivial_default_credentials",
    "en",
    "manual",
    1,
    "To log in to the router, open the admin page and use the credentials printed on the label (default: admin / password).",
)
N(
    "base64_data",
    "en",
    "css",
    1,
    "@font-face {\n  font-family: Icons;\n  src: url(data:font/woff2;base64,d09GMgABAAAAAAKcAA0AAAAABjgAAAJFAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAP0ZGVE0cGh4GYACCQhEICoF) format('woff2');\n}",
)
N(
    "base64_data",
    "de",
    "email",
    1,
    'Content-Type: application/pdf; name="Rechnung.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+',
)
N(
    "mac_address",
    "en",
    "dhcp_config",
    1,
    "host printer-2f {\n  hardware ethernet 00:1b:a9:4c:2e:7f;\n  fixed-address 192.168.10.40;\n}",
)
N(
    "crypto_public_address",
    "en",
    "readme",
    1,
    "## Support\n\nLightning: available on request\nMonero: 4"
    + "AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge",
)
N(
    "password_hash",
    "en",
    "ldif",
    1,
    "dn: uid=anna,ou=people,dc=brightwave,dc=io\nuserPassword: {SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nloginShell: /bin/bash",
)
N(
    "git_sha",
    "en",
    "dockerfile",
    1,
    "ARG GIT_COMMIT=4f2c9e1b7a0d3c5e8f6a1b2c3d4e5f6a7b8c9d0e\nLABEL org.opencontainers.image.revision=$GIT_COMMIT",
)
N(
    "uuid_identifier",
    "en",
    "csv",
    1,
    "event_id,session_id,type\n3f1c2a9e-8b7d-4c6e-9a1f-2b3c4d5e6f70,7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d,click\n0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a,7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d,view",
)
N(
    "non_secret_identifier",
    "en",
    "aws_cli",
    1,
    '$ aws sts get-caller-identity\n{\n    "UserId": "AIDAJQABLZS4A3QDU576Q",\n    "Account": "123456789012",\n    "Arn": "arn:aws:iam::123456789012:user/ci"\n}',
)


# ============================================================================================
# build, check, write
# ============================================================================================

IPV4_RUN = re.compile(r"\d+(?:\.\d+)+")
IPV6_RUN = re.compile(r"[0-9A-Fa-f]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*")
EMAIL_RUN = re.compile(r"[A-Za-z0-9_%+][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
CARD_RUN = re.compile(r"\d(?:[ -]?\d){11,18}")
TOKEN_RUN = re.compile(
    r"(?:ghp_|gho_|ghs_|github_pat_|glpat-|xox[bpa]-|AKIA|sk_live_|sk-ant-|sk-proj-|AIza|SG\.|npm_|hf_|dckr_pat_|eyJ)[A-Za-z0-9_\-.]{12,}"
)
# categories whose whole point is an unlabelled look-alike of a labelled type
IP_LOOKALIKE_OK = {"version_number", "section_number", "oid"}
EMAIL_LOOKALIKE_OK = {"retina_asset", "package_at_version", "git_ssh_remote"}
CARD_LOOKALIKE_OK = {"imei_luhn_non_card"}
TOKEN_LOOKALIKE_OK = {"documented_example_key"}


def covered(spans: list[Span], start: int, end: int) -> bool:
    """True when [start, end) touches a labelled span (a look-alike built around a labelled value is fine)."""
    return any(int(s["start"]) < end and start < int(s["end"]) for s in spans)  # type: ignore[call-overload]


def leaks(text: str, spans: list[Span], category: str) -> list[str]:
    """Sanity check: labelled-type values that the template left unlabelled (quality check only)."""
    found: list[str] = []
    if category not in IP_LOOKALIKE_OK:
        for m in IPV4_RUN.finditer(text):
            if m.group().count(".") == 3 and valid_ip(m.group()) and not covered(spans, m.start(), m.end()):
                found.append(m.group())
    for m in IPV6_RUN.finditer(text):
        groups = [g for g in m.group().split(":") if g]
        if len(groups) >= 3 and valid_ip(m.group()) and not covered(spans, m.start(), m.end()):
            found.append(m.group())
    if category not in EMAIL_LOOKALIKE_OK:
        for m in EMAIL_RUN.finditer(text):
            if valid_email(m.group()) and not covered(spans, m.start(), m.end()):
                found.append(m.group())
    if category not in CARD_LOOKALIKE_OK:
        for m in CARD_RUN.finditer(text):
            if valid_card(m.group()) and not covered(spans, m.start(), m.end()):
                found.append(m.group())
    if category not in TOKEN_LOOKALIKE_OK:
        for m in TOKEN_RUN.finditer(text):
            if valid_secret(m.group()) and "*" not in m.group() and not covered(spans, m.start(), m.end()):
                found.append(m.group())
    return found


def check(rec: dict[str, object]) -> None:
    text = str(rec["text"])
    spans: list[Span] = rec["spans"]  # type: ignore[assignment]
    last_end = -1
    for s in sorted(spans, key=lambda s: int(s["start"])):  # type: ignore[call-overload]
        start, end, entity = int(s["start"]), int(s["end"]), str(s["entity"])  # type: ignore[call-overload]
        value = text[start:end]
        assert start >= last_end, f"{rec['id']}: overlapping spans"
        assert VALIDATORS[entity](value), f"{rec['id']}: invalid {entity}: {value!r}"
        assert value == value.strip(), f"{rec['id']}: span has surrounding whitespace"
        last_end = end
    if rec["category"] == "positive":
        assert spans, f"{rec['id']}: positive without spans"
    else:
        assert not spans, f"{rec['id']}: negative with spans"
    leaked = leaks(text, spans, str(rec["category"]))
    assert not leaked, f"{rec['id']}: unlabelled values {leaked}"


def build() -> list[dict[str, object]]:
    assert len(TEMPLATES) < 1000
    records: list[dict[str, object]] = []
    for t_idx, (lang, context, category, n, texts) in enumerate(TEMPLATES):
        for k in range(n):
            template = texts[k % len(texts)]
            if k >= len(texts) and not SLOT.search(template):
                continue  # a template without slots would only repeat itself
            text, spans = render(template, lang)
            rec: dict[str, object] = {
                "id": f"t7-{t_idx:03d}-{k}",
                "text": text,
                "lang": lang,
                "context": context,
                "category": category,
                "spans": spans,
            }
            check(rec)
            records.append(rec)
    return records


def summary(records: list[dict[str, object]]) -> None:
    pos = [r for r in records if r["category"] == "positive"]
    neg = [r for r in records if r["category"] != "positive"]
    ent: Counter[str] = Counter()
    for r in records:
        for s in r["spans"]:  # type: ignore[attr-defined]
            ent[s["entity"]] += 1
    langs = Counter(str(r["lang"]) for r in records)
    non_en = sum(v for k, v in langs.items() if k != "en")
    print(f"wrote {len(records)} records to {OUT}")
    print(f"  positives: {len(pos)} ({sum(ent.values())} spans), hard negatives: {len(neg)}")
    print("  spans per entity: " + ", ".join(f"{k} {v}" for k, v in ent.most_common()))
    cats = Counter(str(r["category"]) for r in neg)
    print(f"  negative categories ({len(cats)}): " + ", ".join(f"{k} {v}" for k, v in cats.most_common()))
    print(f"  contexts: {len({r['context'] for r in records})}")
    print(f"  languages ({len(langs)}): " + ", ".join(f"{k} {v}" for k, v in langs.most_common()))
    print(f"  non-English: {non_en}/{len(records)} = {non_en / len(records):.1%}")
    pos_non_en = sum(1 for r in pos if r["lang"] != "en")
    print(f"  non-English positives: {pos_non_en}/{len(pos)}")


def without_encoding_prefix(record):
    """Labelling policy from session 5 on: the ``base64:`` before a Laravel APP_KEY names the encoding and is no
    part of the secret (as ``Bearer `` is none of a token's). Applied when writing, after all checks."""
    for span in record["spans"]:
        if span["entity"] == "SECRET" and record["text"].startswith("base64:", span["start"]):
            span["start"] += len("base64:")
    return record


def main() -> None:
    records = build()
    with OUT.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(without_encoding_prefix(rec), ensure_ascii=False) + "\n")
    summary(records)


if __name__ == "__main__":
    main()
