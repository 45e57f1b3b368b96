"""Generate pii_testset4.jsonl: a labelled PII evaluation set written independently of the detector.

Seeded and deterministic. Every text is built by concatenating pieces (``render``), and span offsets are
recorded while the pieces are appended; each span is asserted to equal the inserted value.

Entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET. Hard negatives carry a category name and no spans.

    .venv/bin/python bench/pii_eval/make_testset4.py
"""

from __future__ import annotations

import base64
import ipaddress
import json
import random
import re
import string
import sys
import uuid
from collections import Counter
from pathlib import Path

SEED = 20251125
OUT = Path(__file__).with_name("pii_testset4.jsonl")

EMAIL, IP, CARD, SECRET = "EMAIL_ADDRESS", "IP_ADDRESS", "CREDIT_CARD", "SECRET"
PH = re.compile(r"⟨(\w+)⟩")

rng = random.Random(SEED)
RECORDS: list[dict] = []


# ----------------------------------------------------------------------------------------------- rendering
def render(template: str, vals: dict) -> tuple[str, list[dict]]:
    """Concatenate template literals and values; a value given as (text, entity) becomes a span."""
    text = ""
    spans: list[dict] = []
    pos = 0
    for m in PH.finditer(template):
        text += template[pos : m.start()]
        v = vals[m.group(1)]
        if isinstance(v, tuple):
            value, entity = v
            start = len(text)
            text += value
            spans.append({"start": start, "end": len(text), "entity": entity})
            assert text[start : len(text)] == value
        else:
            text += str(v)
        pos = m.end()
    text += template[pos:]
    return text, spans


def add(kind: str, lang: str, context: str, category: str, template: str, vals: dict) -> None:
    text, spans = render(template, vals)
    if category == "positive":
        assert spans, template
    else:
        assert not spans, template
    RECORDS.append({"kind": kind, "text": text, "lang": lang, "context": context, "category": category, "spans": spans})


# ----------------------------------------------------------------------------------------------- value makers
ALNUM = string.ascii_letters + string.digits
UPPER_DIGITS = string.ascii_uppercase + string.digits


def rand_str(n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def high_entropy(lo: int = 16, hi: int = 40, extra: str = "") -> str:
    while True:
        s = rand_str(rng.randint(lo, hi), ALNUM + extra)
        if (
            any(c.isupper() for c in s)
            and any(c.islower() for c in s)
            and sum(c.isdigit() for c in s) >= 2
            and s[0].isalnum()
            and s[-1].isalnum()
        ):
            return s


def password() -> str:
    return high_entropy(12, 24, extra="!*_-" if rng.random() < 0.4 else "")


FIRST = {
    "en": ["liam", "olivia", "noah", "emma", "ethan", "ava", "mason", "harper", "logan", "chloe", "owen", "zoe"],
    "de": ["jonas", "lena", "lukas", "mia", "felix", "hannah", "tobias", "leonie", "matthias", "katrin"],
    "fr": ["lucas", "camille", "hugo", "manon", "theo", "ines", "mathis", "chloe", "remi", "elodie"],
    "es": ["javier", "lucia", "pablo", "carmen", "alvaro", "sofia", "diego", "marta", "sergio", "elena"],
    "pt": ["joao", "beatriz", "rafael", "mariana", "tiago", "ana", "gustavo", "larissa", "bruno", "camila"],
    "it": ["marco", "giulia", "luca", "chiara", "matteo", "francesca", "andrea", "valentina", "davide"],
    "nl": ["daan", "sanne", "bram", "lotte", "sem", "femke", "thijs", "anouk", "ruben", "iris"],
    "pl": ["jakub", "zofia", "kacper", "julia", "szymon", "maja", "bartek", "ola", "pawel", "agnieszka"],
    "ru": ["ivan", "olga", "dmitry", "anna", "sergey", "elena", "alexei", "natalia", "pavel", "irina"],
    "ja": ["hiroshi", "yuki", "takumi", "aoi", "kenta", "sakura", "daiki", "haruka", "ren", "misaki"],
    "zh": ["wei", "na", "jun", "fang", "lei", "xiu", "hao", "ying", "chen", "li"],
    "ko": ["minjun", "seoyeon", "jiho", "hayoon", "dohyun", "jiwoo", "eunji", "sungmin"],
    "vi": ["minh", "lan", "tuan", "huong", "duc", "mai", "quang", "thao"],
    "tr": ["emre", "elif", "burak", "zeynep", "mehmet", "ayse", "can", "selin"],
    "ar": ["omar", "layla", "yusuf", "mariam", "khaled", "nour", "samir", "huda"],
}
LAST = {
    "en": ["walsh", "bennett", "hughes", "foster", "carter", "reed", "morgan", "price", "sutton", "ellis"],
    "de": ["mueller", "schmidt", "weber", "wagner", "becker", "hoffmann", "schulz", "koch", "richter"],
    "fr": ["dubois", "lefevre", "moreau", "laurent", "girard", "bonnet", "fontaine", "chevalier"],
    "es": ["garcia", "martinez", "lopez", "sanchez", "romero", "navarro", "torres", "ruiz"],
    "pt": ["silva", "santos", "oliveira", "souza", "pereira", "costa", "almeida", "ferreira"],
    "it": ["rossi", "bianchi", "romano", "colombo", "ricci", "marino", "greco", "conti"],
    "nl": ["devries", "jansen", "bakker", "visser", "smit", "meijer", "mulder", "bos"],
    "pl": ["kowalski", "nowak", "wisniewska", "wojcik", "kaminski", "lewandowska", "zielinski"],
    "ru": ["ivanov", "smirnova", "kuznetsov", "popova", "sokolov", "lebedeva", "kozlov", "novikova"],
    "ja": ["tanaka", "sato", "suzuki", "takahashi", "watanabe", "ito", "yamamoto", "nakamura"],
    "zh": ["zhang", "wang", "liu", "chen", "yang", "zhao", "huang", "zhou"],
    "ko": ["kim", "park", "lee", "choi", "jung", "kang", "cho", "yoon"],
    "vi": ["nguyen", "tran", "le", "pham", "hoang", "vu", "dang", "bui"],
    "tr": ["yilmaz", "kaya", "demir", "sahin", "celik", "yildiz", "aydin", "ozturk"],
    "ar": ["haddad", "mansour", "nasser", "khalil", "saleh", "farouk", "hamdan"],
}
PROVIDERS = {
    "en": [
        "gmail.com",
        "outlook.com",
        "yahoo.com",
        "icloud.com",
        "protonmail.com",
        "fastmail.fm",
        "hotmail.co.uk",
        "btinternet.com",
        "aol.com",
        "zoho.com",
    ],
    "de": ["web.de", "gmx.de", "t-online.de", "posteo.de", "gmx.at", "bluewin.ch", "mailbox.org"],
    "fr": ["orange.fr", "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr", "yahoo.fr"],
    "es": ["hotmail.es", "telefonica.net", "yahoo.es", "gmail.com", "outlook.es"],
    "pt": ["uol.com.br", "terra.com.br", "bol.com.br", "sapo.pt", "gmail.com"],
    "it": ["libero.it", "virgilio.it", "tiscali.it", "alice.it", "gmail.com"],
    "nl": ["ziggo.nl", "kpnmail.nl", "xs4all.nl", "hotmail.nl", "telenet.be"],
    "pl": ["wp.pl", "onet.pl", "o2.pl", "interia.pl", "gmail.com"],
    "ru": ["mail.ru", "yandex.ru", "rambler.ru", "bk.ru", "inbox.ru"],
    "ja": ["yahoo.co.jp", "docomo.ne.jp", "ezweb.ne.jp", "nifty.com", "gmail.com"],
    "zh": ["163.com", "qq.com", "126.com", "sina.com", "foxmail.com", "aliyun.com"],
    "ko": ["naver.com", "daum.net", "hanmail.net", "kakao.com", "nate.com"],
    "vi": ["gmail.com", "yahoo.com.vn", "fpt.vn", "vnn.vn"],
    "tr": ["gmail.com", "hotmail.com.tr", "yandex.com.tr", "mynet.com"],
    "ar": ["gmail.com", "hotmail.com", "yahoo.com", "outlook.sa"],
}
ORG_WORDS = [
    "nordwind",
    "bluefjord",
    "kestrel",
    "alpenrose",
    "sunda",
    "meridian",
    "copperleaf",
    "halcyon",
    "tidewater",
    "oakridge",
    "lumen",
    "vantage",
    "saffron",
    "pinecrest",
    "ironbark",
    "aurora",
    "quillon",
    "marlow",
    "brightwell",
    "coralline",
    "skyforge",
    "redwing",
    "fernhill",
    "stellaris",
]
ORG_SUFFIX = [
    "logistik",
    "labs",
    "studio",
    "consulting",
    "health",
    "legal",
    "media",
    "systems",
    "bau",
    "verlag",
    "partners",
    "foods",
    "travel",
    "analytics",
    "clinic",
    "energia",
    "textil",
    "group",
]
TLDS = [
    "de",
    "co.uk",
    "fr",
    "es",
    "it",
    "nl",
    "pl",
    "ru",
    "jp",
    "com",
    "io",
    "net",
    "ch",
    "at",
    "be",
    "se",
    "com.au",
    "co.nz",
    "ca",
    "com.br",
    "pt",
    "cz",
    "fi",
    "dk",
    "vn",
    "kr",
    "cn",
    "com.tr",
    "ie",
    "org",
    "museum",
    "photography",
    "technology",
    "consulting",
    "agency",
    "solutions",
    "berlin",
    "tokyo",
    "co.jp",
    "com.mx",
    "ar",
    "cl",
    "gr",
    "hu",
    "ro",
    "no",
    "travel",
    "engineering",
    "academy",
]


def org_domain() -> str:
    base = rng.choice(ORG_WORDS) + rng.choice(["-", "", "-"]) + rng.choice(ORG_SUFFIX)
    sub = rng.choice(["", "", "", "mail.", "corp.", "eu.", "intl.", "office.", "mx.", "staff."])
    return sub + base + "." + rng.choice(TLDS)


def local_part(lang: str) -> tuple[str, str]:
    f = rng.choice(FIRST[lang])
    last = rng.choice(LAST[lang])
    style = rng.randrange(11)
    if style == 0:
        lp = f"{f}.{last}"
    elif style == 1:
        lp = f"{f[0]}{last}"
    elif style == 2:
        lp = f"{f}_{last}{rng.randint(1, 99)}"
    elif style == 3:
        lp = f"{f}-{last}"
    elif style == 4:
        lp = f"{f}.{last}+{rng.choice(['news', 'shop', 'github', 'invoices', 'travel', 'work'])}"
    elif style == 5:
        lp = f"{f}.{rng.choice(string.ascii_lowercase)}.{last}"
    elif style == 6:
        lp = f"{f}{rng.randint(1960, 2008)}"
    elif style == 7:
        lp = f"{last}.{f}{rng.randint(1, 9)}"
    elif style == 8:
        lp = f"{f[0]}.{last}"
    elif style == 9:
        lp = f"{f}{last}{rng.randint(10, 999)}"
    else:
        lp = f"{last}-{f[0]}"
    return lp, f"{f.capitalize()} {last.capitalize()}"


def email(lang: str = "en") -> tuple[tuple[str, str], str]:
    lp, name = local_part(lang if lang in FIRST else "en")
    dom = rng.choice(PROVIDERS.get(lang, PROVIDERS["en"])) if rng.random() < 0.55 else org_domain()
    if rng.random() < 0.12:
        lp = lp.upper() if rng.random() < 0.3 else lp.capitalize()
    return (f"{lp}@{dom}", EMAIL), name


def role_email() -> tuple[str, str]:
    return (
        f"{rng.choice(['info', 'kontakt', 'bookings', 'support', 'hr', 'accounts', 'contato', 'contacto'])}@{org_domain()}",
        EMAIL,
    )


def ipv4_global() -> str:
    while True:
        a = rng.choice(
            [
                rng.randint(1, 223),
                rng.choice(
                    [
                        31,
                        46,
                        62,
                        77,
                        81,
                        85,
                        89,
                        91,
                        93,
                        95,
                        109,
                        176,
                        178,
                        185,
                        188,
                        194,
                        212,
                        213,
                        217,
                        24,
                        50,
                        66,
                        71,
                        98,
                        104,
                        142,
                        151,
                        172,
                        200,
                    ]
                ),
            ]
        )
        s = f"{a}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        ip = ipaddress.ip_address(s)
        if ip.is_global and not ip.is_multicast and not ip.is_reserved:
            return s


V6_PREFIXES = [
    "2a02",
    "2a01",
    "2a00",
    "2a03",
    "2a0d",
    "2001:4860",
    "2600",
    "2601",
    "2603",
    "2604",
    "2606:4700",
    "2607",
    "2400",
    "2401",
    "2403",
    "2404",
    "2405",
    "2408",
    "2409",
    "2c0f",
    "2800",
    "2803",
    "2a10",
]


def ipv6_global() -> str:
    while True:
        pre = rng.choice(V6_PREFIXES).split(":")
        groups = pre + [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8 - len(pre))]
        # introduce zero runs so compressed forms appear
        if rng.random() < 0.6:
            i = rng.randint(2, 6)
            j = rng.randint(i + 1, 7)
            for k in range(i, j):
                groups[k] = "0"
        if len(pre) == 1:
            groups[1] = f"{rng.randint(0x100, 0xFFFF):x}"
        ip = ipaddress.IPv6Address(":".join(groups))
        if not (ip.is_global and not ip.is_multicast and not ip.is_reserved):
            continue
        form = rng.random()
        if form < 0.6:
            return ip.compressed
        if form < 0.8:
            return ip.exploded
        if form < 0.9:
            return ":".join(f"{int(g, 16):x}" for g in ip.exploded.split(":"))  # uncompressed, no leading zeros
        return ip.compressed.upper()


def ip_any() -> tuple[str, str]:
    return (ipv6_global() if rng.random() < 0.3 else ipv4_global(), IP)


def luhn_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(num: str) -> bool:
    return luhn_digit(num[:-1]) == num[-1]


BRANDS = [
    ("visa", lambda: "4", [16]),
    ("mastercard", lambda: str(rng.randint(51, 55)), [16]),
    ("mastercard2", lambda: str(rng.randint(2221, 2720)), [16]),
    ("amex", lambda: rng.choice(["34", "37"]), [15]),
    ("discover", lambda: rng.choice(["6011", "65"]), [16]),
    ("jcb", lambda: str(rng.randint(3528, 3589)), [16]),
    ("diners", lambda: "36", [14]),
    ("unionpay", lambda: "62", [16, 17, 18, 19]),
]


def card_digits(valid: bool = True, brand: str | None = None) -> tuple[str, str]:
    name, pre_f, lengths = rng.choice([b for b in BRANDS if brand is None or b[0] == brand])
    n = rng.choice(lengths)
    pre = pre_f()
    body = pre + rand_str(n - len(pre) - 1, string.digits)
    check = luhn_digit(body)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    num = body + check
    assert luhn_ok(num) == valid
    return num, name


def group(num: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for s in sizes:
        out.append(num[i : i + s])
        i += s
    if i < len(num):
        out.append(num[i:])
    return sep.join(out)


def fmt_card(num: str, brand: str) -> str:
    style = rng.randrange(4)
    if style == 0:
        return num
    sep = " " if style in (1, 3) else "-"
    if brand == "amex":
        return group(num, [4, 6, 5], sep)
    if brand == "diners":
        return group(num, [4, 6, 4], sep)
    return group(num, [4, 4, 4, 4], sep)


def card(valid: bool = True, brand: str | None = None) -> tuple[str, str]:
    num, b = card_digits(valid, brand)
    return (fmt_card(num, b), CARD)


def expiry() -> str:
    return f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}"


# ----- token formats
def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt() -> str:
    header = {"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    payload = {
        "sub": str(rng.randint(10000, 999999)),
        "iat": rng.randint(1_700_000_000, 1_760_000_000),
        rng.choice(["role", "scope", "tenant"]): rng.choice(["admin", "read:orders", "t-" + rand_str(6)]),
    }
    sig = bytes(rng.getrandbits(8) for _ in range(32 if header["alg"] == "HS256" else 64))
    return ".".join(
        [
            b64url(json.dumps(header, separators=(",", ":")).encode()),
            b64url(json.dumps(payload, separators=(",", ":")).encode()),
            b64url(sig),
        ]
    )


def token() -> tuple[str, str]:
    """A well-known token format; returns (value, kind)."""
    k = rng.randrange(12)
    if k == 0:
        return rng.choice(["AKIA", "ASIA"]) + rand_str(16, string.ascii_uppercase + "234567"), "aws"
    if k == 1:
        return rng.choice(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + rand_str(36), "github"
    if k == 2:
        return "github_pat_" + rand_str(22, ALNUM) + "_" + rand_str(59, ALNUM), "github"
    if k == 3:
        return "glpat-" + rand_str(20, ALNUM + "_-"), "gitlab"
    if k == 4:
        return (f"xoxb-{rand_str(12, string.digits)}-{rand_str(13, string.digits)}-{rand_str(24)}"), "slack"
    if k == 5:
        return (
            f"xoxp-{rand_str(11, string.digits)}-{rand_str(12, string.digits)}-{rand_str(13, string.digits)}-"
            f"{rand_str(32, '0123456789abcdef')}"
        ), "slack"
    if k == 6:
        return rng.choice(["sk_live_", "rk_live_"]) + rand_str(rng.choice([24, 34, 99])), "stripe"
    if k in (7, 8):
        return jwt(), "jwt"
    if k == 9:
        return "AIza" + rand_str(35, ALNUM + "_-"), "google"
    if k == 10:
        return "ghp_" + rand_str(36), "github"
    return "AKIA" + rand_str(16, string.ascii_uppercase + "234567"), "aws"


def pem() -> str:
    kind = rng.choice(
        [
            "RSA PRIVATE KEY",
            "PRIVATE KEY",
            "EC PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "DSA PRIVATE KEY",
        ]
    )
    prefix = {
        "RSA PRIVATE KEY": "MIIEpAIBAAKCAQEA",
        "PRIVATE KEY": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        "EC PRIVATE KEY": "MHcCAQEEI",
        "OPENSSH PRIVATE KEY": "b3BlbnNzaC1rZXktdjEAAAAA",
        "ENCRYPTED PRIVATE KEY": "MIIFHDBOBgkqhkiG9w0BBQ0wQTAp",
        "DSA PRIVATE KEY": "MIIBuwIBAAKBgQ",
    }[kind]
    nlines = {"EC PRIVATE KEY": 3, "OPENSSH PRIVATE KEY": 7}.get(kind, rng.randint(6, 12))
    width = 70 if kind == "OPENSSH PRIVATE KEY" else 64
    body = prefix + base64.b64encode(bytes(rng.getrandbits(8) for _ in range(nlines * width))).decode()
    lines = [body[i : i + width] for i in range(0, nlines * width - 10, width)]
    lines[-1] = lines[-1][: rng.randint(20, width - 4)] + rng.choice(["==", "=", ""])
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"


def hexs(n: int) -> str:
    return rand_str(n, "0123456789abcdef")


def fake_uuid() -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# ----------------------------------------------------------------------------------------------- positives
LANGS_NONEN = ["de", "fr", "es", "pt", "it", "nl", "pl", "ru", "ja", "zh", "ko", "vi", "tr", "ar"]

EMAIL_PROSE = {
    "en": [
        "If anything is unclear, just email me at ⟨E⟩ and I'll sort it out.",
        "You can PM me here or drop a line to ⟨E⟩ — I check it about once a week.",
        'Applications go to ⟨E⟩ (subject line: "Junior Dev 2025"), deadline is Friday.',
        "Thanks! Forwarding this to ⟨E⟩ since she handles the invoices now.",
    ],
    "de": [
        "Bei Rückfragen erreichen Sie mich unter ⟨E⟩.",
        "Bitte senden Sie die unterschriebenen Unterlagen bis Montag an ⟨E⟩ zurück.",
        "Mit freundlichen Grüßen\n⟨N⟩\nSachbearbeitung Einkauf\nE-Mail: ⟨E⟩",
    ],
    "fr": [
        "Pour toute question, écrivez-moi à ⟨E⟩.",
        "Cordialement,\n⟨N⟩\nService comptabilité\nCourriel : ⟨E⟩",
        "Merci d’envoyer votre candidature à l’adresse « ⟨E⟩ » avant le 15 mars.",
    ],
    "es": [
        "Si tienes dudas, puedes escribirme a ⟨E⟩.",
        "Un saludo,\n⟨N⟩\nCorreo electrónico: ⟨E⟩",
        "Envíen las facturas a ⟨E⟩, por favor, con copia a contabilidad.",
    ],
    "pt": ["Qualquer dúvida, mande um e-mail para ⟨E⟩.", "Atenciosamente,\n⟨N⟩\nE-mail: ⟨E⟩"],
    "it": ["Per informazioni scrivete a ⟨E⟩ entro venerdì.", "Cordiali saluti,\n⟨N⟩\nposta elettronica: ⟨E⟩"],
    "nl": ["Stuur je cv naar ⟨E⟩ o.v.v. vacature 2291.", "Met vriendelijke groet,\n⟨N⟩\nE-mail: ⟨E⟩"],
    "pl": ["W razie pytań proszę pisać na adres ⟨E⟩.", "Pozdrawiam serdecznie,\n⟨N⟩\ne-mail: ⟨E⟩"],
    "ru": ["Пишите на почту ⟨E⟩, отвечу в течение дня.", "С уважением,\n⟨N⟩\nЭл. почта: ⟨E⟩"],
    "ja": [
        "お問い合わせはメール（⟨E⟩）までお願いします。",
        "連絡先：⟨E⟩／担当：営業部",
        "資料は⟨E⟩宛てにお送りください。",
    ],
    "zh": ["邮箱：⟨E⟩，电话请联系前台。", "如有问题请发邮件至⟨E⟩。", "联系人：王先生（⟨E⟩）"],
    "ko": ["문의사항은 ⟨E⟩로 보내주세요.", "이메일: ⟨E⟩ / 담당자 확인 후 회신드리겠습니다."],
    "vi": ["Vui lòng liên hệ qua email ⟨E⟩ để biết thêm chi tiết.", "Mọi thắc mắc xin gửi về địa chỉ ⟨E⟩."],
    "tr": ["Sorularınız için ⟨E⟩ adresine yazabilirsiniz.", "Saygılarımla,\n⟨N⟩\nE-posta: ⟨E⟩"],
    "ar": ["للتواصل عبر البريد الإلكتروني: ⟨E⟩", "يرجى إرسال السيرة الذاتية إلى ⟨E⟩ قبل نهاية الشهر."],
}

EMAIL_STRUCT = [
    (
        "email",
        "en",
        "From: ⟨N⟩ <⟨E⟩>\nTo: ⟨E2⟩\nCc: team-leads@example.com\nSubject: Re: Q3 invoices\nDate: Tue, 14 Oct 2025 09:12:44 +0200",
    ),
    (
        "email",
        "de",
        "Von: ⟨N⟩ <⟨E⟩>\nAn: ⟨E2⟩\nBetreff: AW: Angebot Nr. 2025-118\nGesendet: Mittwoch, 12. März 2025 10:41",
    ),
    ("email", "fr", "De : ⟨N⟩ <⟨E⟩>\nÀ : ⟨E2⟩\nObjet : RE: devis rénovation cuisine"),
    ("email", "es", "De: ⟨N⟩ <⟨E⟩>\nPara: ⟨E2⟩\nAsunto: Reserva confirmada – habitación doble"),
    ("csv", "en", "id,name,email,signup_date\n1042,⟨N⟩,⟨E⟩,2024-03-11\n1043,⟨N2⟩,⟨E2⟩,2024-03-12"),
    ("csv", "en", '"customer";"mail";"plz"\n"⟨N⟩";"⟨E⟩";"10115"\n"⟨N2⟩";"⟨E2⟩";"80331"'),
    (
        "log",
        "en",
        "2025-06-01T12:03:44.118Z INFO  auth.reset: password reset mail queued for user=⟨E⟩ (tenant=acme-eu)",
    ),
    (
        "log",
        "en",
        "Jun  3 04:12:09 mx2 postfix/smtp[18832]: 4F1A22C0B1: to=<⟨E⟩>, relay=mx.⟨D⟩[⟨I⟩]:25, delay=1.2, status=sent (250 2.0.0 OK)",
    ),
    ("config", "en", '{\n  "customer": {\n    "name": "⟨N⟩",\n    "email": "⟨E⟩",\n    "newsletter": false\n  }\n}'),
    ("config", "en", 'maintainers:\n  - name: ⟨N⟩\n    email: ⟨E⟩\n  - name: ⟨N2⟩\n    email: "⟨E2⟩"'),
    ("chat", "en", "[10:42] ⟨FN⟩: sure, send the draft to ⟨E⟩\n[10:43] mod: 👍 done"),
    ("html_text", "en", "Our Team\n⟨N⟩ — Managing Director — ⟨E⟩\n⟨N2⟩ — Head of Sales — ⟨E2⟩\nImprint · Privacy"),
    ("markdown", "en", "| Name | Role | Email |\n|---|---|---|\n| ⟨N⟩ | PM | ⟨E⟩ |\n| ⟨N2⟩ | QA | ⟨E2⟩ |"),
    ("code", "en", '<p>Questions? <a href="mailto:⟨E⟩">Write to us</a></p>'),
    ("code", "en", "# Maintainer: ⟨N⟩ <⟨E⟩>\npkgname=libfoo\npkgver=2.4.1"),
    (
        "log",
        "en",
        "commit history excerpt\nAuthor: ⟨N⟩ <⟨E⟩>\nDate:   Mon Feb 3 11:02:19 2025 +0100\n\n    Fix rounding in VAT report",
    ),
    (
        "prose",
        "en",
        "Reach the booking desk at ⟨E⟩ or the front office (not reservations@example.org, that one bounces).",
    ),
    ("chat", "de", "[09:15] ⟨FN⟩: schick mir das PDF einfach an ⟨E⟩, danke!"),
    ("chat", "pt", "⟨FN⟩: manda pro meu email pessoal ⟨E⟩ que eu vejo à noite"),
    ("chat", "ru", "⟨FN⟩: скинь договор на ⟨E⟩, посмотрю вечером"),
    ("csv", "ja", "氏名,メールアドレス,部署\n⟨N⟩,⟨E⟩,経理部\n⟨N2⟩,⟨E2⟩,人事部"),
    ("html_text", "zh", "客服邮箱：⟨E⟩；商务合作：⟨E2⟩。工作时间：周一至周五"),
    ("email", "ko", "보낸 사람: ⟨N⟩ <⟨E⟩>\n받는 사람: ⟨E2⟩\n제목: 회의록 공유"),
    ("prose", "en", "Contact: \"⟨E⟩\"; alternate: '⟨E2⟩'."),
]


def gen_emails() -> None:
    for lang, tpls in EMAIL_PROSE.items():
        for t in tpls:
            for _ in range(2 if lang in ("en", "ja", "zh", "de") else 1):
                e, name = email(lang)
                if rng.random() < 0.15:
                    e = role_email()
                add("email", lang, "email" if "\n" in t else "prose", "positive", t, {"E": e, "N": name})
    for context, lang, t in EMAIL_STRUCT:
        for _ in range(2):
            e, name = email(lang)
            e2, name2 = email(lang)
            vals = {
                "E": e,
                "E2": e2,
                "N": name,
                "N2": name2,
                "FN": name.split()[0],
                "D": org_domain(),
                "I": (ipv4_global(), IP),
            }
            add("email", lang, context, "positive", t, vals)


IP_TPLS = [
    (
        "log",
        "en",
        '⟨I⟩ - - [12/Mar/2025:08:14:02 +0000] "GET /api/v2/items?page=3 HTTP/1.1" 200 5123 "-" "Mozilla/5.0 (X11; Linux x86_64)"',
    ),
    (
        "log",
        "en",
        "Mar 12 08:14:02 web-03 sshd[21877]: Failed password for invalid user admin from ⟨I⟩ port 52144 ssh2",
    ),
    ("log", "en", "2025-03-12 08:14:05,112 fail2ban.actions [811]: NOTICE [sshd] Ban ⟨I⟩"),
    (
        "log",
        "en",
        "[Wed Mar 12 08:14:09.221 2025] [authz_core:error] [pid 4411] [client ⟨I⟩:51234] AH01630: client denied by server configuration",
    ),
    ("log", "en", 'level=warn ts=2025-04-01T10:00:03Z msg="rate limit exceeded" remote_addr=⟨I⟩ path=/login count=41'),
    ("log", "en", "X-Forwarded-For: ⟨I⟩, 10.12.0.7\nX-Real-IP: ⟨I⟩"),
    ("config", "en", "upstream backend {\n    server ⟨I⟩:8443 weight=5;\n    server 10.0.4.12:8443 backup;\n}"),
    ("config", "en", "set_real_ip_from ⟨I⟩;\nreal_ip_header X-Forwarded-For;"),
    ("config", "en", 'allowed_cidrs = ["⟨I⟩/32", "192.168.0.0/16"]'),
    ("config", "en", '{"event": "login", "client_ip": "⟨I⟩", "user_agent": "okhttp/4.12.0", "status": 401}'),
    ("config", "en", "shop-nordlicht.de.    3600    IN    A    ⟨I⟩"),
    ("code", "en", "iptables -A INPUT -s ⟨I⟩/24 -p tcp --dport 22 -j DROP"),
    (
        "csv",
        "en",
        "timestamp,src_ip,dst_ip,bytes\n2025-05-02 11:04:55,⟨I⟩,192.168.1.20,5532\n2025-05-02 11:04:57,⟨I2⟩,192.168.1.21,118",
    ),
    ("log", "en", "Reply from ⟨I⟩: bytes=32 time=14ms TTL=56\nReply from ⟨I⟩: bytes=32 time=15ms TTL=56"),
    ("log", "en", " 7  ⟨I⟩  12.331 ms  11.902 ms  12.018 ms\n 8  ⟨I2⟩  18.440 ms  18.211 ms  19.003 ms"),
    ("chat", "en", "can you whitelist ⟨I⟩? that's the office NAT, the old one ⟨I2⟩ can go"),
    ("prose", "en", "My public IP according to the router page is ⟨I⟩, but the game server shows a different one."),
    ("markdown", "en", "| Host | Public IP | Region |\n|---|---|---|\n| edge-1 | ⟨I⟩ | fra |\n| edge-2 | ⟨I2⟩ | ams |"),
]
IP6_TPLS = [
    ("code", "en", "curl -6 -s http://[⟨I6⟩]:8080/health"),
    ("config", "en", "shop-nordlicht.de.    3600    IN    AAAA    ⟨I6⟩"),
    ("log", "en", "Accepted publickey for deploy from ⟨I6⟩ port 40122 ssh2: ED25519 SHA256:Qm1x0v3"),
    ("config", "en", "listen [⟨I6⟩]:443 ssl http2;"),
    ("prose", "en", "Our IPv6 prefix changed; the gateway is now reachable at ⟨I6⟩."),
    ("log", "en", '⟨I6⟩ - - [02/Apr/2025:17:22:10 +0000] "POST /graphql HTTP/2.0" 200 812'),
    ("config", "en", "ip6tables -A INPUT -s ⟨I6⟩/64 -j ACCEPT"),
]
IP_PROSE = {
    "de": [
        "Die IP-Adresse ⟨I⟩ wurde nach fünf Fehlversuchen gesperrt.",
        "Unser Server ist unter ⟨I⟩ erreichbar, Port 22 ist zu.",
    ],
    "fr": ["L’adresse IP ⟨I⟩ a été bloquée par le pare-feu.", "Le serveur de secours répond sur ⟨I⟩ (port 8080)."],
    "es": ["La dirección IP ⟨I⟩ aparece en la lista negra desde ayer.", "Conéctate a ⟨I⟩ con el usuario de soporte."],
    "pt": ["O endereço IP ⟨I⟩ foi bloqueado após várias tentativas.", "O servidor de produção fica em ⟨I⟩."],
    "it": ["L’indirizzo IP ⟨I⟩ risulta bloccato dal firewall.", "Il server di backup è raggiungibile su ⟨I⟩."],
    "nl": ["Het IP-adres ⟨I⟩ is geblokkeerd na vijf mislukte pogingen.", "De server draait op ⟨I⟩."],
    "pl": ["Adres IP ⟨I⟩ został zablokowany po pięciu próbach.", "Serwer testowy stoi pod ⟨I⟩."],
    "ru": ["IP-адрес ⟨I⟩ заблокирован после пяти неудачных попыток.", "Сервер доступен по адресу ⟨I⟩, порт 22 закрыт."],
    "ja": ["不正アクセス元のIPアドレス：⟨I⟩（海外）", "サーバー⟨I⟩に接続できません。"],
    "zh": ["服务器IP：⟨I⟩（端口8080）", "来自⟨I⟩的请求已被拦截。"],
    "ko": ["접속 IP: ⟨I⟩ (차단됨)", "서버 ⟨I⟩에 접속할 수 없습니다."],
    "vi": ["Địa chỉ IP ⟨I⟩ đã bị chặn do đăng nhập sai nhiều lần.", "Máy chủ chạy tại ⟨I⟩."],
    "tr": ["⟨I⟩ IP adresi güvenlik duvarı tarafından engellendi.", "Sunucuya ⟨I⟩ üzerinden bağlanabilirsiniz."],
    "ar": ["تم حظر عنوان IP ⟨I⟩ بعد عدة محاولات فاشلة.", "الخادم متاح على العنوان ⟨I⟩."],
}


def gen_ips() -> None:
    for context, lang, t in IP_TPLS:
        for _ in range(3):
            add("ip", lang, context, "positive", t, {"I": (ipv4_global(), IP), "I2": (ipv4_global(), IP)})
    for context, lang, t in IP6_TPLS:
        for _ in range(3):
            add("ip", lang, context, "positive", t, {"I6": (ipv6_global(), IP)})
    for lang, tpls in IP_PROSE.items():
        for t in tpls:
            for _ in range(2 if lang in ("ja", "zh", "de", "ru") else 1):
                add("ip", lang, "prose", "positive", t, {"I": ip_any()})


CARD_TPLS = [
    ("prose", "en", "Card number: ⟨C⟩  Exp: ⟨X⟩  Name on card: ⟨N⟩"),
    (
        "chat",
        "en",
        "customer: hi, my card ⟨C⟩ was charged twice for order 55182\nagent: sorry about that, checking now",
    ),
    ("csv", "en", "order_id,card_number,amount,currency\n55182,⟨C⟩,42.10,EUR\n55183,⟨C2⟩,9.99,USD"),
    ("config", "en", '{"payment": {"pan": "⟨C⟩", "exp_month": 8, "exp_year": 2027, "holder": "⟨N⟩"}}'),
    (
        "log",
        "en",
        "2025-02-18 14:22:31 DEBUG PaymentService - charge request card_number=⟨C⟩ amount=129.00 currency=GBP",
    ),
    ("email", "en", "Hi,\nplease use my other card for the renewal: ⟨C⟩, valid thru ⟨X⟩.\nThanks, ⟨FN⟩"),
    ("markdown", "en", "| Customer | Card | Status |\n|---|---|---|\n| ⟨N⟩ | ⟨C⟩ | declined |"),
    ("code", "en", 'test_card = "⟨C⟩"  # TODO remove before commit, this is Dad\'s real card'),
    ("html_text", "en", "Billing details\nCardholder: ⟨N⟩\nCard: ⟨C⟩\nExpiry: ⟨X⟩"),
]
CARD_PROSE = {
    "de": ["Kreditkartennummer: ⟨C⟩, gültig bis ⟨X⟩.", "Bitte buchen Sie den Betrag von meiner Karte ⟨C⟩ ab."],
    "fr": ["Numéro de carte : ⟨C⟩ – date d’expiration ⟨X⟩.", "Vous pouvez débiter ma carte ⟨C⟩ pour l’acompte."],
    "es": ["Número de tarjeta: ⟨C⟩, caduca ⟨X⟩.", "Cobren la reserva en mi tarjeta ⟨C⟩, por favor."],
    "pt": ["Número do cartão: ⟨C⟩ validade ⟨X⟩.", "Pode passar no cartão ⟨C⟩ em 3 parcelas."],
    "it": ["Numero della carta: ⟨C⟩, scadenza ⟨X⟩.", "Addebitate pure sulla carta ⟨C⟩."],
    "nl": ["Kaartnummer: ⟨C⟩, geldig tot ⟨X⟩.", "Schrijf het bedrag af van mijn creditcard ⟨C⟩."],
    "pl": ["Numer karty: ⟨C⟩, ważna do ⟨X⟩.", "Proszę obciążyć kartę ⟨C⟩."],
    "ru": ["Номер карты: ⟨C⟩, срок действия ⟨X⟩.", "Оплатите, пожалуйста, с карты ⟨C⟩."],
    "ja": ["カード番号：⟨C⟩（有効期限⟨X⟩）", "お支払いはカード⟨C⟩でお願いします。"],
    "zh": ["卡号：⟨C⟩，有效期⟨X⟩。", "请从信用卡⟨C⟩扣款。"],
    "ko": ["카드번호: ⟨C⟩ (유효기간 ⟨X⟩)", "결제는 ⟨C⟩ 카드로 해주세요."],
    "vi": ["Số thẻ: ⟨C⟩, hết hạn ⟨X⟩.", "Vui lòng thanh toán bằng thẻ ⟨C⟩."],
    "tr": ["Kart numarası: ⟨C⟩, son kullanma ⟨X⟩.", "Ödemeyi ⟨C⟩ numaralı karttan alabilirsiniz."],
    "ar": ["رقم البطاقة: ⟨C⟩ تاريخ الانتهاء ⟨X⟩"],
}


def gen_cards() -> None:
    brands = [b[0] for b in BRANDS]
    i = 0
    for context, lang, t in CARD_TPLS:
        for _ in range(4):
            _, name = email("en")
            add(
                "card",
                lang,
                context,
                "positive",
                t,
                {
                    "C": card(brand=brands[i % len(brands)]),
                    "C2": card(),
                    "X": expiry(),
                    "N": name,
                    "FN": name.split()[0],
                },
            )
            i += 1
    for lang, tpls in CARD_PROSE.items():
        for t in tpls:
            for _ in range(2 if lang in ("de", "ja", "zh", "fr", "es") else 1):
                _, name = email("en")
                add("card", lang, "prose", "positive", t, {"C": card(brand=brands[i % len(brands)]), "X": expiry()})
                i += 1


SECRET_CTX = [
    ("config", "en", "DB_HOST=10.0.2.15\nDB_USER=app\nDB_PASSWORD=⟨S⟩\nDB_NAME=orders"),
    ("config", "en", "export AWS_SECRET_ACCESS_KEY=⟨S⟩\nexport AWS_DEFAULT_REGION=eu-central-1"),
    ("config", "en", "database:\n  host: db.internal\n  user: reporting\n  password: ⟨S⟩\n  pool: 10"),
    ("config", "en", 'api:\n  base_url: https://api.vendor-cloud.io/v3\n  api_key: "⟨S⟩"'),
    ("config", "en", '{\n  "client_id": "web-portal",\n  "client_secret": "⟨S⟩",\n  "redirect_uri": "/callback"\n}'),
    ("config", "en", "[database]\nhost = 127.0.0.1\nusername = backup\npassword = ⟨S⟩"),
    ("config", "en", '[server]\nport = 8080\nsecret_key = "⟨S⟩"\ndebug = false'),
    ("code", "en", 'API_KEY = "⟨S⟩"\nBASE_URL = "https://api.weatherly.io/v1"'),
    ("code", "en", 'resp = requests.get(url, headers={"X-Api-Key": "⟨S⟩"}, timeout=10)'),
    ("code", "en", "const apiSecret = '⟨S⟩';\nconst client = new Client({ secret: apiSecret });"),
    ("code", "en", 'const webhookSecret = "⟨S⟩"\n\nfunc verify(sig string) bool {'),
    ("code", "en", 'private static final String DB_PASS = "⟨S⟩";'),
    ("code", "en", "$config['db_password'] = '⟨S⟩';"),
    ("code", "en", "define('AUTH_KEY', '⟨S⟩');"),
    ("code", "en", 'config.secret_key_base = "⟨S⟩"'),
    ("code", "en", 'var connStr = "Server=db01;Database=shop;User Id=sa;Password=⟨S⟩;";'),
    ("code", "en", 'let token = "⟨S⟩";\nlet client = reqwest::Client::new();'),
    ("code", "en", 'curl -s -H "Authorization: Bearer ⟨S⟩" https://api.fleetdesk.io/v2/vehicles'),
    ("code", "en", 'curl https://api.mailrelay.app/send -H "X-Api-Key: ⟨S⟩" -d @payload.json'),
    ("code", "en", "docker run -d -e POSTGRES_PASSWORD=⟨S⟩ -p 5432:5432 postgres:16"),
    ("config", "en", 'env:\n  - name: REDIS_PASSWORD\n    value: "⟨S⟩"\n  - name: LOG_LEVEL\n    value: info'),
    ("config", "en", "services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: ⟨S⟩"),
    ("config", "en", 'resource "aws_db_instance" "main" {\n  username = "admin"\n  password = "⟨S⟩"\n}'),
    ("log", "en", "GET /v1/geocode?address=Hauptstrasse+5&api_key=⟨S⟩&lang=de HTTP/1.1"),
    ("prose", "en", "For the demo, the admin password is ⟨S⟩ — please change it afterwards."),
    ("chat", "en", "ops-bot: rotated the staging token, new one is ⟨S⟩"),
    ("config", "en", "spring.datasource.url=jdbc:postgresql://10.1.0.5:5432/app\nspring.datasource.password=⟨S⟩"),
    ("config", "en", '<appSettings>\n  <add key="ApiSecret" value="⟨S⟩" />\n</appSettings>'),
    ("config", "en", "DATABASE_URL=postgres://app:⟨S⟩@10.0.3.12:5432/app"),
    ("code", "en", 'client = OpenAPIClient(api_key="⟨S⟩", retries=3)'),
    ("config", "en", "SENTRY_AUTH=⟨S⟩\nSMTP_PASS=⟨S2⟩"),
    ("config", "en", "ansible_become_pass: ⟨S⟩"),
    ("code", "en", "mysql -u root -p'⟨S⟩' -h 10.0.0.8 shop < dump.sql"),
]
SECRET_LANG = [
    ("de", "Zugangsdaten für das neue Kundenportal:\nBenutzer: m.weber\nPasswort: ⟨S⟩"),
    ("de", "Das WLAN-Passwort für Gäste lautet ⟨S⟩ (gilt bis Ende März)."),
    ("fr", "Identifiant : support-paris\nMot de passe : ⟨S⟩"),
    ("fr", "Le mot de passe administrateur est ⟨S⟩, ne le partagez pas."),
    ("es", "Usuario: contabilidad\nContraseña: ⟨S⟩"),
    ("es", "La contraseña del servidor es ⟨S⟩, cámbiala el lunes."),
    ("pt", "Login: financeiro\nSenha: ⟨S⟩"),
    ("pt", "A senha do banco de dados é ⟨S⟩."),
    ("it", "Utente: magazzino\nPassword: ⟨S⟩"),
    ("it", "La password dell’amministratore è ⟨S⟩."),
    ("nl", "Gebruikersnaam: planning\nWachtwoord: ⟨S⟩"),
    ("pl", "Login: ksiegowosc\nHasło: ⟨S⟩"),
    ("pl", "Hasło do serwera to ⟨S⟩, nie udostępniaj go."),
    ("ru", "Логин: admin\nПароль: ⟨S⟩"),
    ("ru", "Пароль от базы: ⟨S⟩, токен API: ⟨S2⟩"),
    ("ja", "ユーザー名：tanaka\nパスワード：⟨S⟩"),
    ("ja", "APIキー：⟨S⟩（本番環境用）"),
    ("zh", "用户名：admin，密码：⟨S⟩，请妥善保管。"),
    ("zh", "数据库密码：⟨S⟩"),
    ("ko", "아이디: manager\n비밀번호: ⟨S⟩"),
    ("vi", "Tên đăng nhập: ketoan\nMật khẩu: ⟨S⟩"),
    ("tr", "Kullanıcı adı: muhasebe\nŞifre: ⟨S⟩"),
    ("ar", "اسم المستخدم: admin\nكلمة المرور: ⟨S⟩"),
    ("de", "# Zugang zur Staging-Datenbank\nDB_PASSWORT=⟨S⟩"),
]
TOKEN_CTX = [
    ("config", "en", "GITHUB_TOKEN=⟨T⟩"),
    ("config", "en", "aws_access_key_id = ⟨T⟩\naws_secret_access_key = ⟨S⟩"),
    ("code", "en", 'headers = {"Authorization": "Bearer ⟨T⟩"}'),
    ("chat", "en", "oops, I just pasted ⟨T⟩ into the public channel, revoking it now"),
    ("log", "en", "2025-01-09 10:11:12 ERROR http: 401 Unauthorized token=⟨T⟩ route=/api/orders"),
    ("code", "en", 'slack = WebClient(token="⟨T⟩")'),
    ("config", "en", "STRIPE_KEY: ⟨T⟩"),
    ("prose", "en", "The leaked key ⟨T⟩ showed up in a public gist last night."),
    ("config", "en", '{"token": "⟨T⟩", "expires_in": 3600}'),
    ("code", "en", 'curl -H "Authorization: Bearer ⟨T⟩" https://gitlab.corp-tools.io/api/v4/projects'),
    ("prose", "de", "Der Token ⟨T⟩ wurde versehentlich ins Repository eingecheckt."),
    ("prose", "fr", "La clé ⟨T⟩ a été publiée par erreur sur le wiki."),
    ("prose", "es", "El token ⟨T⟩ se filtró en el canal público."),
    ("prose", "ja", "トークン：⟨T⟩を誤ってコミットしました。"),
    ("prose", "zh", "令牌⟨T⟩已泄露，请立即吊销。"),
    ("prose", "ru", "Токен ⟨T⟩ случайно попал в репозиторий."),
    ("prose", "pt", "O token ⟨T⟩ vazou no canal do time."),
    ("prose", "ko", "토큰 ⟨T⟩ 이(가) 공개 저장소에 노출되었습니다."),
]
PEM_CTX = [
    ("config", "en", "⟨P⟩\n"),
    ("chat", "en", "here's the deploy key, don't share:\n⟨P⟩"),
    ("config", "en", "tls:\n  key: |\n⟨P⟩"),  # indentation intentionally absent to keep the block contiguous
    ("prose", "de", "Hier der private Schlüssel für den Testserver:\n⟨P⟩\nBitte nach Gebrauch löschen."),
    ("code", "en", 'PRIVATE_KEY = """⟨P⟩"""'),
]


def gen_secrets() -> None:
    for context, lang, t in SECRET_CTX:
        for _ in range(2):
            add(
                "secret",
                lang,
                context,
                "positive",
                t,
                {"S": (password() if "PASS" in t.upper() else high_entropy(), SECRET), "S2": (high_entropy(), SECRET)},
            )
    for lang, t in SECRET_LANG:
        for _ in range(2 if lang in ("de", "ja", "zh", "ru", "fr") else 1):
            add(
                "secret",
                lang,
                "prose",
                "positive",
                t,
                {"S": (password(), SECRET), "S2": (high_entropy(24, 40), SECRET)},
            )
    for context, lang, t in TOKEN_CTX:
        for _ in range(2 if lang == "en" else 1):
            add(
                "secret", lang, context, "positive", t, {"T": (token()[0], SECRET), "S": (high_entropy(40, 40), SECRET)}
            )
    for context, lang, t in PEM_CTX:
        for _ in range(2):
            add("secret", lang, context, "positive", t, {"P": (pem(), SECRET)})


MIXED = [
    ("log", "en", '2025-04-11T09:14:22Z WARN login ok user=⟨E⟩ ip=⟨I⟩ ua="Firefox/128.0"'),
    ("email", "de", "Hallo ⟨FN⟩,\nanbei die Zugangsdaten: Server ⟨I⟩, Benutzer admin, Passwort ⟨S⟩.\nViele Grüße, ⟨E⟩"),
    ("chat", "en", "support: can you confirm the card on file?\ncustomer: ⟨C⟩, and my email is ⟨E⟩"),
    ("config", "en", '{"user": "⟨E⟩", "last_ip": "⟨I⟩", "api_token": "⟨T⟩"}'),
    ("csv", "en", "email,ip,card\n⟨E⟩,⟨I⟩,⟨C⟩"),
    ("prose", "zh", "用户⟨E⟩于凌晨从⟨I⟩登录，并使用卡号⟨C⟩完成支付。"),
    ("prose", "ja", "申込者のメール：⟨E⟩、接続元IP：⟨I⟩、カード番号：⟨C⟩"),
    ("prose", "ru", "Клиент ⟨E⟩ оплатил заказ картой ⟨C⟩ с IP ⟨I⟩."),
    ("prose", "es", "El usuario ⟨E⟩ inició sesión desde ⟨I⟩ y pagó con la tarjeta ⟨C⟩."),
    ("log", "en", "audit: actor=⟨E⟩ action=create_key key=⟨T⟩ source_ip=⟨I⟩"),
    ("prose", "fr", "Client : ⟨E⟩ — IP de connexion ⟨I⟩ — carte ⟨C⟩"),
    ("prose", "ko", "주문자 이메일: ⟨E⟩, 접속 IP: ⟨I⟩, 카드번호: ⟨C⟩"),
    ("prose", "vi", "Khách hàng ⟨E⟩ đăng nhập từ ⟨I⟩ và thanh toán bằng thẻ ⟨C⟩."),
    ("prose", "it", "Utente ⟨E⟩, IP ⟨I⟩, carta ⟨C⟩: pagamento rifiutato."),
    ("prose", "pl", "Użytkownik ⟨E⟩ zalogował się z adresu ⟨I⟩, hasło: ⟨S⟩"),
    ("prose", "nl", "Klant ⟨E⟩ betaalde met kaart ⟨C⟩ vanaf IP ⟨I⟩."),
    ("prose", "tr", "Kullanıcı ⟨E⟩, ⟨I⟩ adresinden giriş yaptı; kart: ⟨C⟩"),
    ("prose", "pt", "Cliente ⟨E⟩ acessou de ⟨I⟩ e pagou com o cartão ⟨C⟩."),
]


def gen_mixed() -> None:
    for context, lang, t in MIXED:
        for _ in range(3):
            e, name = email(lang)
            add(
                "mixed",
                lang,
                context,
                "positive",
                t,
                {
                    "E": e,
                    "I": ip_any(),
                    "C": card(),
                    "S": (password(), SECRET),
                    "T": (token()[0], SECRET),
                    "FN": name.split()[0],
                },
            )


# ----------------------------------------------------------------------------------------------- hard negatives
N_PER_CAT = 17


def neg(category: str, items) -> None:
    """items: callable returning (lang, context, text); called N_PER_CAT times."""
    seen = set()
    for _ in range(N_PER_CAT):
        for _try in range(500):
            lang, context, text = items()
            if text not in seen:
                break
        assert text not in seen, (category, text)
        seen.add(text)
        add("neg", lang, context, category, text.replace("⟨", "(").replace("⟩", ")"), {})


def pick(*choices):
    return rng.choice(choices)()


def v4() -> str:
    return f"{rng.randint(1, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 30)}.{rng.randint(1, 9999)}"


def version_numbers():
    a, b = v4(), f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 99)}"
    return pick(
        lambda: ("en", "prose", f"## {b} (2025-02-11)\n- Fixed crash on resume\n- Bumped minimum OS to 12"),
        lambda: (
            "en",
            "prose",
            f"Intel Graphics Driver {rng.randint(27, 32)}.0.{rng.randint(100, 101)}.{rng.randint(1000, 9999)} adds support for new titles.",
        ),
        lambda: ("en", "code", f"<AssemblyVersion>{b}</AssemblyVersion>\n<FileVersion>{a}</FileVersion>"),
        lambda: (
            "en",
            "log",
            f"snmpget -v2c -c public switch01 1.3.6.1.2.1.{rng.randint(1, 31)}.{rng.randint(1, 9)}.0",
        ),
        lambda: (
            "en",
            "prose",
            f"The attribute with OID 2.5.4.{rng.randint(3, 45)} maps to the subject field; see also 1.2.840.113549.1.1.{rng.randint(1, 13)}.",
        ),
        lambda: (
            "en",
            "log",
            f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/{rng.randint(110, 131)}.0.{rng.randint(5000, 6999)}.{rng.randint(10, 200)} Safari/537.36",
        ),
        lambda: ("en", "config", f'version = "{b}"\nbuild = {rng.randint(100, 9999)}'),
        lambda: ("en", "log", f"Microsoft Windows [Version 10.0.{rng.randint(17000, 26100)}.{rng.randint(100, 5000)}]"),
        lambda: ("de", "prose", f"Version {b} behebt einen Fehler beim Import; Firmware {a} ist Voraussetzung."),
        lambda: ("zh", "prose", f"固件版本：{b}，发布日期：2025年1月8日。"),
        lambda: ("ja", "prose", f"ドライババージョン{a}以降が必要です。"),
        lambda: ("en", "code", f"implementation 'com.vendor:sdk:{b}'"),
        lambda: ("ru", "prose", f"Обновление {b} исправляет ошибку синхронизации."),
    )


def dates_times():
    y, mo, d, h, mi, s = (
        rng.randint(1990, 2030),
        rng.randint(1, 12),
        rng.randint(1, 28),
        rng.randint(0, 23),
        rng.randint(0, 59),
        rng.randint(0, 59),
    )
    return pick(
        lambda: (
            "en",
            "log",
            f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}.{rng.randint(0, 999):03d} INFO scheduler tick",
        ),
        lambda: ("de", "prose", f"Termin am {d:02d}.{mo:02d}.{y} um {h:02d}:{mi:02d} Uhr im Raum 3.12."),
        lambda: ("en", "prose", f"Last updated {mo}/{d}/{y % 100:02d} at {h % 12 + 1}:{mi:02d} PM"),
        lambda: ("ja", "prose", f"{y}年{mo}月{d}日 {h}時{mi}分に更新されました。"),
        lambda: ("zh", "prose", f"会议时间：{y}年{mo}月{d}日{h}:{mi:02d}—{(h + 1) % 24}:{mi:02d}"),
        lambda: ("en", "config", f'"created_at": "{y}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+02:00"'),
        lambda: (
            "fr",
            "prose",
            f"Rendez-vous le {d} {rng.choice(['janvier', 'mars', 'juillet', 'octobre'])} {y} à {h}h{mi:02d}.",
        ),
        lambda: ("en", "email", f"Date: Mon, {d} Feb {y} {h:02d}:{mi:02d}:{s:02d} GMT"),
        lambda: (
            "en",
            "csv",
            f"date,time,temp\n{y}-{mo:02d}-{d:02d},{h:02d}:{mi:02d},{rng.randint(-5, 35)}.{rng.randint(0, 9)}",
        ),
        lambda: ("ru", "prose", f"Встреча назначена на {d:02d}.{mo:02d}.{y}, {h:02d}:{mi:02d} по Москве."),
        lambda: (
            "en",
            "log",
            f"uptime {rng.randint(1, 400)} days, {h}:{mi:02d}, load average: 0.{rng.randint(10, 99)}, 0.{rng.randint(10, 99)}",
        ),
    )


def isbn13() -> str:
    body = rng.choice(["978", "979"]) + rand_str(9, string.digits)
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def isbn10() -> str:
    body = rand_str(9, string.digits)
    total = sum(int(c) * (10 - i) for i, c in enumerate(body))
    chk = (11 - total % 11) % 11
    return body + ("X" if chk == 10 else str(chk))


def isbns():
    i13, i10 = isbn13(), isbn10()
    hy = f"{i13[:3]}-{i13[3]}-{i13[4:8]}-{i13[8:12]}-{i13[12]}"
    return pick(
        lambda: ("en", "prose", f"ISBN {hy}, paperback, 412 pages."),
        lambda: ("en", "prose", f"ISBN-13: {i13}\nISBN-10: {i10}"),
        lambda: ("de", "prose", f"Erschienen 2019 im Verlag, ISBN {hy}, 24,90 €."),
        lambda: ("fr", "prose", f"Réf. ISBN : {i13} — broché."),
        lambda: ("en", "csv", f'title,isbn,year\n"Notes on Tides",{i13},2016\n"Salt Roads",{isbn13()},2021'),
        lambda: (
            "ja",
            "prose",
            f"ISBN978-4-{rand_str(4, string.digits)}-{rand_str(4, string.digits)}-{rng.randint(0, 9)}　定価：本体1,800円＋税",
        ),
        lambda: ("en", "code", f"@book{{tides2016, isbn = {{{i13}}}, year = {{2016}}}}"),
    )


def dois():
    doi = f"10.{rng.randint(1000, 9999)}/{rng.choice(['j.jcp', 's41586', 'zenodo', 'acs.jpcb', 'nature', 'arxiv'])}.{rng.randint(2000, 2025)}.{rng.randint(10, 99999):05d}"
    return pick(
        lambda: ("en", "prose", f"See doi:{doi} for the full derivation."),
        lambda: ("en", "prose", f"https://doi.org/{doi}"),
        lambda: ("en", "code", f"  doi = {{{doi}}},\n  year = {{2021}},"),
        lambda: ("de", "prose", f"Vgl. die Studie (DOI {doi}), S. 14–18."),
        lambda: ("en", "html_text", f"Cite as: Smith et al. (2022). Journal of Tides 14(3):201–219. DOI: {doi}"),
        lambda: ("es", "prose", f"Disponible en https://doi.org/{doi} (acceso abierto)."),
    )


def phone_like_math():
    return pick(
        lambda: ("en", "prose", "Row 5 of Pascal's triangle: 1 5 10 10 5 1; row 8: 1 8 28 56 70 56 28 8 1"),
        lambda: (lambda n: ("en", "prose", f"{n} × 9 = {n * 9}, and {n} + {n // 7} = {n + n // 7}"))(
            rng.randint(100000000, 999999999)
        ),
        lambda: ("en", "prose", "Fibonacci: 1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597 2584"),
        lambda: ("en", "prose", "pi ≈ 3.14159265358979323846264338327950288; e ≈ 2.71828182845904523536"),
        lambda: (
            "en",
            "markdown",
            "| n | n² | n³ |\n|---|---|---|\n"
            + "\n".join(f"| {n} | {n * n} | {n**3} |" for n in range(rng.randint(10, 40), rng.randint(41, 46))),
        ),
        lambda: (
            "en",
            "prose",
            "Primes between 1000 and 1100: 1009 1013 1019 1021 1031 1033 1039 1049 1051 1061 1063 1069 1087 1091 1093 1097",
        ),
        lambda: (
            "de",
            "prose",
            f"Die Matrix lautet [[{rng.randint(100, 999)}, {rng.randint(100, 999)}], [{rng.randint(100, 999)}, {rng.randint(100, 999)}]] mit Determinante {rng.randint(-90000, 90000)}.",
        ),
        lambda: (
            "en",
            "csv",
            "x,y\n" + "\n".join(f"{rng.randint(1000, 9999)},{rng.randint(1000, 9999)}" for _ in range(5)),
        ),
        lambda: ("en", "prose", "2^64 = 18446744073709551616 and 2^53 = 9007199254740992."),
        lambda: (
            "zh",
            "prose",
            f"计算结果：{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}（单位：千次）",
        ),
    )


TEAMS = [
    "Rovers",
    "United",
    "Athletic",
    "Wanderers",
    "City",
    "Albion",
    "Real Norte",
    "Deportivo Sur",
    "Sporting",
    "Dynamo",
    "Olympique",
    "Inter Lago",
]


def sports_tables():
    def table():
        teams = rng.sample(TEAMS, 5)
        rows = []
        for i, t in enumerate(teams, 1):
            w, d, lost = rng.randint(5, 20), rng.randint(0, 8), rng.randint(0, 10)
            rows.append(
                f"| {i} | {t} | {w + d + lost} | {w} | {d} | {lost} | {rng.randint(20, 70)}:{rng.randint(15, 50)} | {3 * w + d} |"
            )
        return "| Pos | Team | P | W | D | L | Goals | Pts |\n|---|---|---|---|---|---|---|---|\n" + "\n".join(rows)

    return pick(
        lambda: ("en", "markdown", table()),
        lambda: (
            "en",
            "prose",
            f"Final score {rng.randint(0, 5)}–{rng.randint(0, 5)}; shots {rng.randint(5, 25)}–{rng.randint(5, 25)}, possession {rng.randint(35, 65)}%.",
        ),
        lambda: (
            "es",
            "prose",
            f"El equipo ganó {rng.randint(1, 4)}-{rng.randint(0, 3)} y suma {rng.randint(20, 70)} puntos tras {rng.randint(10, 38)} jornadas.",
        ),
        lambda: (
            "it",
            "prose",
            f"Classifica: 1. Inter Lago {rng.randint(50, 80)} pt, 2. Sporting {rng.randint(40, 60)} pt, 3. Dynamo {rng.randint(30, 50)} pt.",
        ),
        lambda: (
            "en",
            "prose",
            f"100 m final: 1. Lane 4 {rng.uniform(9.7, 10.1):.2f}, 2. Lane 5 {rng.uniform(9.8, 10.2):.2f}, 3. Lane 3 {rng.uniform(9.9, 10.3):.2f} (wind +0.{rng.randint(1, 9)})",
        ),
        lambda: (
            "pt",
            "prose",
            f"Placar final: {rng.randint(0, 4)} x {rng.randint(0, 4)}. Público: {rng.randint(10, 70)}.{rng.randint(100, 999)} pagantes.",
        ),
        lambda: (
            "en",
            "csv",
            "player,games,pts,reb,ast\n"
            + "\n".join(
                f"P{i},{rng.randint(50, 82)},{rng.uniform(5, 30):.1f},{rng.uniform(1, 12):.1f},{rng.uniform(0, 10):.1f}"
                for i in range(1, 5)
            ),
        ),
        lambda: (
            "de",
            "prose",
            f"Tabelle nach dem {rng.randint(5, 34)}. Spieltag: 1. Rovers {rng.randint(30, 70)} Pkt. ({rng.randint(30, 70)}:{rng.randint(10, 40)} Tore)",
        ),
        lambda: (
            "en",
            "prose",
            f"Marathon split times: 5k {rng.randint(14, 16)}:{rng.randint(10, 59)}, 10k {rng.randint(29, 32)}:{rng.randint(10, 59)}, half 1:0{rng.randint(1, 9)}:{rng.randint(10, 59)}",
        ),
    )


def financial():
    return pick(
        lambda: (
            "de",
            "prose",
            f"Umsatz 2024: {rng.randint(1, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)},{rng.randint(10, 99)} € (Vorjahr: {rng.randint(1, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)},{rng.randint(10, 99)} €)",
        ),
        lambda: (
            "en",
            "prose",
            f"Net revenue rose to ${rng.randint(1, 99)},{rng.randint(100, 999)},{rng.randint(100, 999)}.{rng.randint(10, 99)} while EPS came in at ${rng.uniform(0.1, 9):.2f}.",
        ),
        lambda: (
            "ja",
            "prose",
            f"売上高：¥{rng.randint(1, 999)},{rng.randint(100, 999)},{rng.randint(100, 999)}（前年比{rng.uniform(1, 20):.1f}%増）",
        ),
        lambda: (
            "en",
            "csv",
            "quarter,revenue,ebitda,margin\n"
            + "\n".join(
                f"Q{q} 2024,{rng.randint(1000000, 9999999)},{rng.randint(100000, 999999)},{rng.uniform(5, 30):.1f}%"
                for q in range(1, 5)
            ),
        ),
        lambda: (
            "fr",
            "prose",
            f"Le chiffre d’affaires atteint {rng.randint(1, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)},{rng.randint(10, 99)} € au troisième trimestre.",
        ),
        lambda: (
            "en",
            "prose",
            f"Total assets: {rng.randint(1, 99)},{rng.randint(100, 999)},{rng.randint(100, 999)},{rng.randint(100, 999)} (in thousands)",
        ),
        lambda: (
            "en",
            "prose",
            f"The fund returned {rng.uniform(-10, 25):.2f}% YTD; NAV per share {rng.uniform(10, 300):.4f}.",
        ),
        lambda: (
            "pl",
            "prose",
            f"Przychody wyniosły {rng.randint(1, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)},{rng.randint(10, 99)} zł.",
        ),
        lambda: (
            "en",
            "markdown",
            f"| Item | Amount |\n|---|---|\n| Rent | 1,{rng.randint(100, 999)}.00 |\n| Payroll | {rng.randint(10, 99)},{rng.randint(100, 999)}.50 |\n| Total | {rng.randint(100, 999)},{rng.randint(100, 999)}.50 |",
        ),
        lambda: (
            "zh",
            "prose",
            f"营业收入{rng.randint(1, 999)},{rng.randint(100, 999)},{rng.randint(100, 999)}.{rng.randint(10, 99)}元，同比增长{rng.uniform(1, 30):.2f}%。",
        ),
    )


def scientific():
    return pick(
        lambda: (
            "en",
            "prose",
            f"N_A = 6.02214076e23 mol^-1 and the measured rate was {rng.uniform(1, 9):.3f}e-{rng.randint(3, 12)} s^-1.",
        ),
        lambda: ("en", "prose", "q = 1.602176634×10⁻¹⁹ C; m_e = 9.1093837×10⁻³¹ kg"),
        lambda: (
            "en",
            "code",
            f"k_B = 1.380649E-23  # J/K\nh = 6.62607015E-34\nsigma = {rng.uniform(1, 9):.6f}E-{rng.randint(5, 9)}",
        ),
        lambda: (
            "en",
            "prose",
            f"The effect was significant (p < {rng.uniform(1, 9):.1f}e-{rng.randint(4, 9)}, n = {rng.randint(30, 999)}).",
        ),
        lambda: (
            "en",
            "csv",
            "wavelength_nm,absorbance\n"
            + "\n".join(f"{rng.uniform(300, 800):.1f},{rng.uniform(0, 2):.4e}" for _ in range(5)),
        ),
        lambda: (
            "de",
            "prose",
            f"Die Konzentration beträgt {rng.uniform(1, 9):.2f}·10⁻{rng.randint(3, 9)} mol/l bei {rng.uniform(20, 40):.1f} °C.",
        ),
        lambda: (
            "en",
            "log",
            f"epoch {rng.randint(1, 99)} step {rng.randint(100, 99999)} loss={rng.uniform(0, 3):.6f} lr={rng.uniform(1, 9):.2e} grad_norm={rng.uniform(0, 5):.3f}",
        ),
        lambda: (
            "fr",
            "prose",
            f"La constante vaut {rng.uniform(1, 9):.4f} × 10^{rng.randint(5, 30)} selon la mesure.",
        ),
    )


def uuids():
    u = fake_uuid()
    return pick(
        lambda: (
            "en",
            "log",
            f"request_id={u} method=GET path=/api/orders status=200 duration_ms={rng.randint(3, 900)}",
        ),
        lambda: ("en", "code", f"INSERT INTO orders (id, status) VALUES ('{u}', 'shipped');"),
        lambda: ("en", "prose", f"Order {u} has been shipped."),
        lambda: ("en", "config", f'{{"id": "{u}", "type": "invoice", "parent": "{fake_uuid()}"}}'),
        lambda: ("de", "prose", f"Vorgangsnummer {u.upper()} – bitte bei Rückfragen angeben."),
        lambda: ("en", "config", f"<ProjectGuid>{{{u.upper()}}}</ProjectGuid>"),
        lambda: ("ja", "prose", f"チケットID：{u}"),
        lambda: ("en", "log", f"trace_id={u.replace('-', '')} span_id={hexs(16)} service=checkout"),
    )


def git_shas():
    sha = hexs(40)
    return pick(
        lambda: (
            "en",
            "log",
            f"commit {sha}\nMerge: {hexs(7)} {hexs(7)}\nDate:   Thu Jan 16 14:02:11 2025 +0100\n\n    Merge branch 'release/2.3'",
        ),
        lambda: (
            "en",
            "log",
            "\n".join(
                f"{hexs(7)} {m}"
                for m in rng.sample(
                    [
                        "Fix typo in README",
                        "Add retry to uploader",
                        "Bump deps",
                        "Refactor parser",
                        "Release 1.4.0",
                        "Drop py3.8",
                    ],
                    4,
                )
            ),
        ),
        lambda: ("en", "prose", f"This was fixed in {sha[:12]}; cherry-picked from {hexs(40)}."),
        lambda: ("en", "code", f"git checkout {hexs(7)} && git bisect good {hexs(10)}"),
        lambda: ("en", "config", f"- uses: actions/checkout@{sha}  # v4.2.2"),
        lambda: ("de", "prose", f"Der Fehler wurde mit Commit {sha[:10]} behoben."),
        lambda: ("en", "log", f"Updating {hexs(7)}..{hexs(7)}\nFast-forward\n src/app.py | 4 ++--\n 1 file changed"),
        lambda: ("en", "config", f'"resolved": "git+https://git.vendor-tools.io/lib.git#{sha}"'),
    )


def hex_colours():
    def c():
        return "#" + hexs(rng.choice([6, 6, 3, 8]))

    return pick(
        lambda: (
            "en",
            "code",
            f".btn-primary {{\n  color: {c()};\n  background: {c().upper()};\n  border: 1px solid {c()};\n}}",
        ),
        lambda: ("en", "code", f":root {{ --primary: {c()}; --accent: {c()}; --muted: {c()}; }}"),
        lambda: ("en", "config", f'theme:\n  background: "{c()}"\n  foreground: "{c()}"'),
        lambda: (
            "en",
            "prose",
            f"The brand palette is {c().upper()} (navy), {c().upper()} (sand) and {c().upper()} (coral).",
        ),
        lambda: ("de", "prose", f"Als Akzentfarbe bitte {c()} statt {c()} verwenden."),
        lambda: ("en", "code", f'<rect fill="{c()}" stroke="{c()}" width="20" height="20"/>'),
    )


def email_like():
    return pick(
        lambda: (
            "en",
            "code",
            f"ssh {rng.choice(['deploy', 'root', 'ubuntu', 'pi'])}@{rng.choice(['buildhost', 'nas01', 'web-03', 'raspberrypi', 'gateway'])}",
        ),
        lambda: ("en", "code", f"scp backup.tgz admin@nas{rng.randint(1, 9)}:/volume1/backup/"),
        lambda: ("en", "code", "@dataclass(frozen=True)\nclass Point:\n    x: float\n    y: float"),
        lambda: ("en", "code", '@app.route("/login", methods=["POST"])\ndef login():\n    ...'),
        lambda: ("en", "code", f"npm install @babel/core@7.{rng.randint(10, 26)}.0 @types/node --save-dev"),
        lambda: ("en", "code", '<img src="logo@2x.png" srcset="logo@3x.webp 3x" alt="logo">'),
        lambda: ("en", "config", f'"dependencies": {{"lodash@4.17.21": "*", "react@18.{rng.randint(0, 3)}.0": "*"}}'),
        lambda: ("en", "code", "@Override\npublic String toString() {\n    return name;\n}"),
        lambda: ("en", "code", f"yarn add @scope/ui-kit@{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"),
        lambda: ("en", "log", f"Connecting to {rng.choice(['git', 'svc', 'backup'])}@fileserver port 22... done"),
        lambda: ("en", "code", f"docker pull registry/app@sha256:{hexs(64)}"),
        lambda: ("ja", "prose", "画像は icon@2x.png と icon@3x.png を用意してください。"),
        lambda: ("en", "code", "import { Component } from '@angular/core';\nimport { map } from 'rxjs/operators';"),
        lambda: ("de", "prose", "Verbinde dich per ssh pi@raspberrypi und starte den Dienst neu."),
        lambda: ("en", "code", f"pip install 'requests==2.{rng.randint(20, 32)}.0' && uv add httpx@latest"),
    )


def reserved_emails():
    u = rng.choice(
        ["alice", "bob", "jane.doe", "john.smith", "user", "test", "admin", "noreply", "foo", "max.mustermann"]
    )
    dom = rng.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "company.test",
            "site.invalid",
            "domain.example",
            "localhost",
            "corp.example.org",
            "shop.test",
        ]
    )
    e = f"{u}@{dom}"
    return pick(
        lambda: ("en", "prose", f"For example, enter {e} in the login field."),
        lambda: ("en", "code", f'assert validate_email("{e}")\nassert not validate_email("{u}@")'),
        lambda: ("en", "config", f"SMTP_FROM={e}\nSMTP_HOST=localhost"),
        lambda: ("de", "prose", f"Beispiel: {e} (Platzhalteradresse in der Doku)."),
        lambda: (
            "en",
            "email",
            f"From: Test User <{e}>\nTo: {rng.choice(['bob', 'carol'])}@example.org\nSubject: test",
        ),
        lambda: ("en", "code", f'user = User(name="Test", email="{e}")'),
        lambda: ("fr", "prose", f"Exemple d’adresse : {e}"),
        lambda: ("en", "log", "Mail delivery to root@localhost succeeded (local)"),
        lambda: ("zh", "prose", f"示例邮箱：{e}，仅用于测试。"),
    )


PRIV_V4 = [
    lambda: f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
    lambda: f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
    lambda: f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
    lambda: f"127.0.0.{rng.randint(1, 9)}",
    lambda: f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
    lambda: f"192.0.2.{rng.randint(1, 254)}",
    lambda: f"198.51.100.{rng.randint(1, 254)}",
    lambda: f"203.0.113.{rng.randint(1, 254)}",
    lambda: "0.0.0.0",
    lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
]
PRIV_V6 = [
    "::1",
    "fe80::1%eth0",
    "2001:db8::1",
    "2001:db8:85a3::8a2e:370:7334",
    "fd12:3456:789a:1::1",
    "::",
    "fe80::a00:27ff:fe4e:66a1",
]


def private_ips():
    def p():
        return rng.choice(PRIV_V4)()

    return pick(
        lambda: ("en", "config", f"server {p()}:8080;\nserver {p()}:8080 backup;"),
        lambda: ("en", "log", f"Accepted password for admin from {p()} port {rng.randint(1024, 65000)} ssh2"),
        lambda: ("en", "config", f"bind-address = {rng.choice(['127.0.0.1', '0.0.0.0'])}\nport = 3306"),
        lambda: (
            "en",
            "prose",
            f"In the docs we use {rng.choice(['192.0.2.10', '198.51.100.7', '203.0.113.42'])} as the client address.",
        ),
        lambda: (
            "en",
            "config",
            f"listen [{rng.choice(PRIV_V6)}]:443;"
            if rng.random() < 0.5
            else f"inet6 {rng.choice(PRIV_V6)}/64 scope link",
        ),
        lambda: ("de", "prose", f"Der Router ist unter {p()} erreichbar, der Drucker unter {p()}."),
        lambda: ("en", "csv", "host,ip\n" + "\n".join(f"node{i},{p()}" for i in range(1, 4))),
        lambda: ("ja", "prose", f"ルーターの管理画面は{p()}です。"),
        lambda: ("zh", "prose", f"内网地址：{p()}，网关：{p()}。"),
        lambda: ("en", "log", f'{p()} - - [03/Mar/2025:10:00:01 +0000] "GET /healthz HTTP/1.1" 200 2'),
        lambda: ("en", "config", f'allowed_networks: ["{p()}/8", "{p()}/12"]'),
        lambda: ("es", "prose", f"Configura la puerta de enlace en {p()} y el DNS en {p()}."),
    )


def brand_digits(valid: bool) -> tuple[str, str]:
    num, b = card_digits(valid=valid, brand=rng.choice(["visa", "mastercard", "discover", "jcb", "mastercard2"]))
    return num, fmt_card(num, b)


def luhn_invalid():
    _, c = brand_digits(False)
    return pick(
        lambda: ("en", "prose", f"Card number: {c}  Exp: {expiry()}"),
        lambda: ("en", "config", f'{{"pan": "{c}", "status": "invalid_checksum"}}'),
        lambda: ("de", "prose", f"Kartennummer {c} wurde abgelehnt (Prüfziffer falsch)."),
        lambda: ("en", "csv", f"order,card\n{rng.randint(10000, 99999)},{c}"),
        lambda: ("fr", "prose", f"Numéro de carte saisi : {c} — numéro invalide."),
        lambda: ("en", "log", f"WARN validation failed: card_number={c} reason=luhn"),
        lambda: ("ja", "prose", f"カード番号{c}は無効です。"),
    )


def non_luhn_digits(n: int, prefix: str = "") -> str:
    while True:
        s = prefix + rand_str(n - len(prefix), string.digits)
        if not luhn_ok(s) and (prefix or s[0] != "0"):
            return s


def imei() -> str:
    body = "35" + rand_str(12, string.digits)
    return body + luhn_digit(body)


def non_card_numbers():
    return pick(
        lambda: ("en", "prose", f"Your order #{non_luhn_digits(16)} has been dispatched."),
        lambda: ("en", "prose", f"IMEI: {imei()}"),
        lambda: ("en", "prose", f"Tracking number: 1Z{rand_str(6, UPPER_DIGITS)}{rand_str(10, string.digits)}"),
        lambda: ("en", "prose", f"USPS tracking {non_luhn_digits(22, '94')}"),
        lambda: ("de", "prose", f"Sendungsnummer: {non_luhn_digits(20, '00')}"),
        lambda: ("en", "log", f"invoice_no={non_luhn_digits(16)} customer_no={rng.randint(100000, 999999)}"),
        lambda: (
            "en",
            "csv",
            "shipment,weight_kg\n" + "\n".join(f"{non_luhn_digits(18)},{rng.uniform(0.1, 30):.2f}" for _ in range(3)),
        ),
        lambda: ("fr", "prose", f"Numéro de commande : {non_luhn_digits(16)}"),
        lambda: ("ja", "prose", f"注文番号：{non_luhn_digits(16)}"),
        lambda: ("en", "prose", f"Serial no. {non_luhn_digits(19)}; batch {rng.randint(100, 999)}"),
        lambda: (
            "en",
            "config",
            f'{{"order_id": {non_luhn_digits(17)}, "ts": {rng.randint(1_700_000_000_000, 1_760_000_000_000)}}}',
        ),
        lambda: ("es", "prose", f"Número de seguimiento: {non_luhn_digits(16)}"),
    )


PLACEHOLDERS = [
    "your_api_key_here",
    "<API_KEY>",
    "${API_KEY}",
    "xxxxxxxxxxxxxxxx",
    "changeme",
    "********",
    "YOUR_SECRET_HERE",
    "<your-token>",
    "{{ secret }}",
    "REPLACE_ME",
    "sk_test_XXXXXXXXXXXXXXXX",
    "insert-password-here",
    "%DB_PASSWORD%",
    "...",
    "<redacted>",
    "[REDACTED]",
    "$SECRET_TOKEN",
]


def secret_placeholders():
    ph = rng.choice(PLACEHOLDERS)
    return pick(
        lambda: ("en", "config", f"API_KEY={ph}"),
        lambda: ("en", "config", f'database:\n  password: "{ph}"'),
        lambda: ("en", "code", f'client = Client(api_key="{ph}")'),
        lambda: ("en", "code", f'curl -H "Authorization: Bearer {ph}" https://api.vendor-cloud.io/v1/me'),
        lambda: ("en", "prose", f"Replace {ph} with the key from your dashboard."),
        lambda: ("de", "config", f"# Passwort hier eintragen\nDB_PASSWORT={ph}"),
        lambda: ("en", "config", f'{{"client_secret": "{ph}"}}'),
        lambda: ("fr", "prose", f"Mot de passe : {ph} (à remplacer)"),
        lambda: ("ja", "prose", f"パスワード：{ph}"),
    )


def secret_refs():
    return pick(
        lambda: ("en", "code", 'api_key = os.environ["WEATHER_API_KEY"]'),
        lambda: ("en", "code", "const token = process.env.GITHUB_TOKEN;"),
        lambda: ("en", "code", "password = settings.DATABASE_PASSWORD"),
        lambda: ("en", "config", 'resource "aws_db_instance" "db" {\n  password = var.db_password\n}'),
        lambda: (
            "en",
            "config",
            "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db-creds\n        key: password",
        ),
        lambda: ("en", "config", "password: ${{ secrets.DEPLOY_PASSWORD }}"),
        lambda: ("en", "code", 'String secret = System.getenv("CLIENT_SECRET");'),
        lambda: ("en", "code", "$password = getenv('DB_PASS');"),
        lambda: ("en", "config", "SECRET_KEY=${DJANGO_SECRET_KEY}"),
        lambda: ("en", "code", 'token := os.Getenv("SLACK_BOT_TOKEN")'),
        lambda: ("en", "config", "api_key: !vault secret/data/app#api_key"),
        lambda: ("en", "code", 'headers = {"Authorization": f"Bearer {self.access_token}"}'),
        lambda: ("en", "config", "spring.datasource.password=${DB_PASSWORD:}"),
        lambda: ("en", "code", "ENV['STRIPE_SECRET_KEY']"),
        lambda: ("de", "code", '# Passwort kommt aus dem Keyring\npasswort = keyring.get_password("crm", benutzer)'),
        lambda: ("en", "code", "const apiKey = config.get('payments.apiKey');"),
        lambda: ("en", "code", "db_password = Rails.application.credentials.dig(:db, :password)"),
        lambda: ("en", "config", "export GITHUB_TOKEN=$(gh auth token)"),
        lambda: ("en", "code", 'var secret = builder.Configuration["Jwt:Secret"];'),
        lambda: ("en", "config", "password = {{ vault_db_password }}"),
    )


def low_entropy():
    return pick(
        lambda: ("en", "config", f"password: {rng.choice(['hunter', 'password', 'admin', 'secret', 'letmein'])}"),
        lambda: ("en", "config", f"token: {rng.choice(['true', 'false', 'null', 'none', '0'])}"),
        lambda: ("en", "config", f"api_key = {rng.choice(['disabled', 'test', 'demo', 'none'])}"),
        lambda: ("en", "config", f"SECRET={rng.choice(['12345', 'abc', 'qwerty', 'default'])}"),
        lambda: (
            "en",
            "config",
            f"auth:\n  enabled: false\n  token_ttl: {rng.randint(60, 86400)}\n  secret_length: 32",
        ),
        lambda: ("en", "prose", "The default password is 'admin' — the installer forces you to change it."),
        lambda: ("de", "prose", "Das Standardpasswort lautet „passwort“ und muss geändert werden."),
        lambda: ("en", "code", 'if password == "":\n    raise ValueError("password must not be empty")'),
        lambda: ("en", "config", f"max_password_length = {rng.choice([64, 128, 256])}\npassword_min_length = 12"),
        lambda: ("es", "prose", "La contraseña por defecto es «admin»."),
    )


def key_names():
    return pick(
        lambda: ("en", "prose", "Set the API_KEY environment variable before running the script."),
        lambda: (
            "en",
            "markdown",
            "| Variable | Description |\n|---|---|\n| DB_PASSWORD | Password for the database user |\n| SECRET_KEY | Used to sign sessions |",
        ),
        lambda: ("en", "prose", "client_secret (string, required): the OAuth client secret issued by the provider."),
        lambda: ("en", "code", 'parser.add_argument("--api-key", help="API key for the service")'),
        lambda: ("de", "prose", "Geben Sie Ihr Passwort ein und klicken Sie auf „Anmelden“."),
        lambda: ("fr", "prose", "Mot de passe oublié ? Cliquez ici pour le réinitialiser."),
        lambda: ("en", "config", "required_env:\n  - AWS_ACCESS_KEY_ID\n  - AWS_SECRET_ACCESS_KEY\n  - GITHUB_TOKEN"),
        lambda: ("ja", "prose", "パスワードを忘れた場合は管理者に連絡してください。"),
        lambda: ("zh", "prose", "请输入密码后点击登录。"),
        lambda: ("en", "code", "class Settings(BaseSettings):\n    api_key: str\n    db_password: SecretStr"),
        lambda: ("ru", "prose", "Введите пароль и нажмите «Войти»."),
        lambda: ("en", "prose", "Tokens expire after 90 days; rotate your secret keys regularly."),
        lambda: ("es", "prose", "Introduce tu contraseña para continuar."),
        lambda: ("pt", "prose", "Esqueceu a senha? Clique em “Redefinir senha”."),
        lambda: ("en", "config", "# password:\n# api_key:\nlog_level: info"),
        lambda: ("ko", "prose", "비밀번호를 입력한 후 로그인 버튼을 누르세요."),
        lambda: (
            "en",
            "code",
            'def rotate_secret(name: str) -> None:\n    """Rotate the secret called *name* in the vault."""',
        ),
        lambda: ("nl", "prose", "Wachtwoord vergeten? Vraag een nieuw wachtwoord aan via het portaal."),
    )


def checksums():
    return pick(
        lambda: (
            "en",
            "html_text",
            f"Download app-{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}-linux-x86_64.tar.gz (48.2 MB)\nSHA256: {hexs(64)}",
        ),
        lambda: (
            "en",
            "config",
            f"{hexs(64)}  release-{rng.randint(1, 5)}.{rng.randint(0, 9)}.tar.gz\n{hexs(64)}  release-{rng.randint(1, 5)}.{rng.randint(0, 9)}.zip",
        ),
        lambda: ("en", "prose", f"MD5 checksum: {hexs(32)}"),
        lambda: (
            "en",
            "code",
            f'<script src="/js/app.js" integrity="sha384-{base64.b64encode(bytes(rng.getrandbits(8) for _ in range(48))).decode()}" crossorigin="anonymous"></script>',
        ),
        lambda: (
            "en",
            "config",
            f'"integrity": "sha512-{base64.b64encode(bytes(rng.getrandbits(8) for _ in range(64))).decode()}"',
        ),
        lambda: ("de", "prose", f"Prüfsumme (SHA-1): {hexs(40)}"),
        lambda: ("en", "code", f'sha256 = "{hexs(64)}"\nurl = "https://downloads.vendor-tools.io/cli.tar.gz"'),
        lambda: ("en", "log", f"Verifying {rng.choice(['kernel', 'initrd', 'rootfs'])}.img... sha256 {hexs(64)} OK"),
    )


def data_uris():
    png = (
        "iVBORw0KGgoAAAANSUhEUgAA"
        + base64.b64encode(bytes(rng.getrandbits(8) for _ in range(rng.randint(40, 120)))).decode()
    )
    svg = base64.b64encode(
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{rng.randint(8, 64)}'><circle r='{rng.randint(2, 9)}'/></svg>".encode()
    ).decode()
    return pick(
        lambda: ("en", "code", f".icon {{ background-image: url(data:image/png;base64,{png}); }}"),
        lambda: ("en", "code", f'.logo {{\n  background: url("data:image/svg+xml;base64,{svg}") no-repeat;\n}}'),
        lambda: ("en", "code", f'<img alt="" src="data:image/png;base64,{png}">'),
        lambda: (
            "en",
            "code",
            f"@font-face {{ font-family: X; src: url(data:font/woff2;base64,d09GMgABAAAA{base64.b64encode(bytes(rng.getrandbits(8) for _ in range(60))).decode()}) format('woff2'); }}",
        ),
    )


def hashed_filenames():
    return pick(
        lambda: (
            "en",
            "code",
            f'<script src="/static/js/app.{hexs(8)}.js"></script>\n<link rel="stylesheet" href="/static/css/main.{hexs(8)}.css">',
        ),
        lambda: (
            "en",
            "log",
            "\n".join(
                f"dist/assets/{n}-{rand_str(8, ALNUM + '_-')}.js   {rng.uniform(1, 300):.2f} kB"
                for n in ["index", "vendor", "chart"]
            ),
        ),
        lambda: ("en", "log", f"  main.{hexs(20)}.chunk.js   {rng.randint(10, 400)} KiB  [emitted] [immutable]"),
        lambda: (
            "en",
            "config",
            f'{{"main.js": "/assets/main.{hexs(16)}.js", "main.css": "/assets/main.{hexs(16)}.css"}}',
        ),
        lambda: ("en", "code", f"import styles from './Button.module.{hexs(6)}.css';"),
        lambda: ("en", "html_text", f"vendor-{hexs(10)}.min.js · polyfills-{hexs(10)}.js"),
    )


NEG_CATS = {
    "version_numbers": version_numbers,
    "dates_times": dates_times,
    "isbns": isbns,
    "dois": dois,
    "phone_like_math_tables": phone_like_math,
    "sports_tables": sports_tables,
    "financial_figures": financial,
    "scientific_notation": scientific,
    "uuids": uuids,
    "git_shas": git_shas,
    "hex_colours": hex_colours,
    "email_like_non_emails": email_like,
    "reserved_email_domains": reserved_emails,
    "private_documentation_ips": private_ips,
    "luhn_invalid_cards": luhn_invalid,
    "non_card_long_numbers": non_card_numbers,
    "secret_placeholders": secret_placeholders,
    "secret_variable_references": secret_refs,
    "low_entropy_values": low_entropy,
    "key_names_without_values": key_names,
    "checksums_integrity_hashes": checksums,
    "css_data_uris": data_uris,
    "content_hash_filenames": hashed_filenames,
}


# ----------------------------------------------------------------------------------------------- sanity scan
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
IPV4_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.]*\d)")
DIGITS_RE = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
RESERVED = ("example.com", "example.org", "example.net", ".test", ".invalid", ".example", "localhost")
NON_TLD = {"png", "webp", "jpg", "svg", "js", "css", "core"}


def card_like(d: str) -> bool:
    n = len(d)
    if not luhn_ok(d):
        return False
    p2, p4 = int(d[:2]), int(d[:4])
    return (
        (d[0] == "4" and n in (13, 16, 19))
        or (51 <= p2 <= 55 and n == 16)
        or (2221 <= p4 <= 2720 and n == 16)
        or (p2 in (34, 37) and n == 15)
        or ((d.startswith("6011") or d.startswith("65")) and n == 16)
        or (3528 <= p4 <= 3589 and n == 16)
        or (p2 == 36 and n == 14)
        or (p2 == 62 and 16 <= n <= 19)
    )


def unlabelled_hits(rec: dict) -> list[str]:
    text, covered = rec["text"], [(s["start"], s["end"]) for s in rec["spans"]]

    def inside(a, b):
        return any(s <= a and b <= e for s, e in covered)

    out = []
    for m in EMAIL_RE.finditer(text):
        dom = m.group(1).lower()
        tld = dom.rsplit(".", 1)[-1]
        if dom.endswith(RESERVED) or tld in NON_TLD or tld.isdigit() or inside(m.start(), m.end()):
            continue
        out.append("email:" + m.group(0))
    if rec["category"] != "version_numbers":
        for m in IPV4_RE.finditer(text):
            try:
                ip = ipaddress.ip_address(m.group(1))
            except ValueError:
                continue
            if ip.is_global and not inside(m.start(1), m.end(1)):
                out.append("ip:" + m.group(1))
    for m in DIGITS_RE.finditer(text):
        d = re.sub(r"[ -]", "", m.group(0))
        if card_like(d) and not inside(m.start(), m.end()):
            out.append("card:" + m.group(0))
    return out


# ----------------------------------------------------------------------------------------------- main
def main() -> None:
    gen_emails()
    gen_ips()
    gen_cards()
    gen_secrets()
    gen_mixed()
    n_pos = len(RECORDS)
    for cat, fn in NEG_CATS.items():
        neg(cat, fn)

    # regenerate-free validation: anything suspicious is a bug in the generator, so fail loudly
    problems = []
    for i, rec in enumerate(RECORDS):
        rec["id"] = f"t4-{'pos' if rec['spans'] else 'neg'}-{i:04d}"
        text = rec["text"]
        last_end = -1
        for s in sorted(rec["spans"], key=lambda s: s["start"]):
            assert 0 <= s["start"] < s["end"] <= len(text), rec
            assert s["start"] >= last_end, ("overlap", rec)
            last_end = s["end"]
            v = text[s["start"] : s["end"]]
            assert v == v.strip() and v, (v, rec["id"])
            if s["entity"] == IP:
                ip = ipaddress.ip_address(v)
                assert ip.is_global and not ip.is_multicast and not ip.is_reserved, v
            elif s["entity"] == CARD:
                assert card_like(re.sub(r"[ -]", "", v)), v
            elif s["entity"] == EMAIL:
                assert not v.lower().endswith(RESERVED), v
        hits = unlabelled_hits(rec)
        if hits:
            problems.append((rec["id"], rec["category"], hits))
    for p in problems:
        print("UNLABELLED?", p, file=sys.stderr)
    assert not problems, f"{len(problems)} texts with unlabelled look-alikes"

    with OUT.open("w", encoding="utf-8") as fh:
        for rec in RECORDS:
            out = {k: rec[k] for k in ("id", "text", "lang", "context", "category", "spans")}
            fh.write(json.dumps(out, ensure_ascii=False) + "\n")

    ent = Counter(s["entity"] for r in RECORDS for s in r["spans"])
    cats = Counter(r["category"] for r in RECORDS)
    langs = Counter(r["lang"] for r in RECORDS)
    ctxs = Counter(r["context"] for r in RECORDS)
    non_en = sum(v for k, v in langs.items() if k != "en")
    print(f"texts {len(RECORDS)}: positive {n_pos}, hard negatives {len(RECORDS) - n_pos}")
    print("spans per entity:", dict(ent), "total", sum(ent.values()))
    print("categories:", dict(cats))
    print("langs:", dict(langs.most_common()), f"non-English {non_en / len(RECORDS):.1%}")
    print("contexts:", dict(ctxs.most_common()))
    assert all(ent[e] >= 90 for e in (EMAIL, IP, CARD, SECRET)) and sum(ent.values()) >= 400
    assert len(RECORDS) - n_pos >= 350 and all(c >= 15 for k, c in cats.items() if k != "positive")
    assert non_en / len(RECORDS) >= 0.25
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
