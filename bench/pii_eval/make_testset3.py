#!/usr/bin/env python
"""Third, independent PII test set: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET + hard negatives.

Written from scratch (templates and value generators not derived from the earlier eval/held-out sets) to measure
generalisation of ``filters.pii`` after the detector was tuned on those sets. Every value is faked with a seeded RNG.

Labelling policy:
* EMAIL_ADDRESS: real-looking mailboxes; example.com/.org/.net and reserved TLDs (.test, .invalid, .example,
  localhost) are not PII.
* IP_ADDRESS: only globally routable IPv4/IPv6 (``is_global`` and not multicast and not reserved).
* CREDIT_CARD: Luhn-valid numbers with a real brand prefix and length, plain or grouped by 4 (Amex 4-6-5).
* SECRET: well-known token formats, private-key blocks (whole block), high-entropy values assigned to key-like
  names (value only). Placeholders are not PII.
No PHONE_NUMBER, IBAN or US_SSN values are included.

Each line: {"id", "text", "lang", "context", "category", "spans": [{"start", "end", "entity"}]}.
``category`` is "positive" for texts with spans, else the hard-negative kind (used by bench/pii_eval.py).

Usage: ``python bench/pii_eval/make_testset3.py [--out PATH] [--seed N]``.
"""

from __future__ import annotations

import argparse
import base64
import ipaddress
import itertools
import json
import random
import re
import string
from pathlib import Path

OUT = Path(__file__).resolve().parent / "pii_testset3.jsonl"
SLOT = re.compile(r"⟨(\w+)⟩")

FIRST = [
    "anna",
    "jonas",
    "marie",
    "kenji",
    "olga",
    "pedro",
    "fatima",
    "sean",
    "chloe",
    "lukas",
    "ines",
    "tomasz",
    "yuki",
    "dmitri",
    "camila",
    "noah",
    "leila",
    "mateo",
    "sofia",
    "henrik",
    "aiko",
    "rafael",
    "nadia",
    "oskar",
]
LAST = [
    "mueller",
    "schmidt",
    "dubois",
    "tanaka",
    "ivanova",
    "silva",
    "haddad",
    "obrien",
    "martin",
    "novak",
    "garcia",
    "kowalski",
    "sato",
    "petrov",
    "rossi",
    "lindqvist",
    "moreau",
    "santos",
    "weber",
    "kaya",
]
DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.jp",
    "web.de",
    "gmx.net",
    "orange.fr",
    "mail.ru",
    "uol.com.br",
    "hotmail.es",
    "protonmail.com",
    "acme-logistics.com",
    "stadtwerke-kiel.de",
    "uni-heidelberg.de",
    "cs.stanford.edu",
    "qq.com",
    "163.com",
    "fastmail.fm",
    "brightpixel.io",
    "nordlicht-studio.de",
    "consultoria-ramos.com.mx",
    "hospital-sanjose.org.ar",
    "yandex.ru",
    "free.fr",
    "kpn-mail.nl",
    "mail.vendor-portal.co.uk",
    "team.bluefin.ai",
]


# ---------------------------------------------------------------------------------------------------------------
# value generators
# ---------------------------------------------------------------------------------------------------------------


def name(r: random.Random) -> str:
    return f"{r.choice(FIRST).capitalize()} {r.choice(LAST).capitalize()}"


def email(r: random.Random) -> str:
    f, l = r.choice(FIRST), r.choice(LAST)
    local = r.choice(
        [
            f"{f}.{l}",
            f"{f}{l}",
            f"{f[0]}.{l}",
            f"{f}_{l}",
            f"{f}.{l}{r.randint(1, 99)}",
            f"{l}-{f}",
            f"{f}+{r.choice(['news', 'shop', 'github', 'bills'])}",
            f"{f}{r.randint(1970, 2005)}",
            r.choice(["support", "billing", "jobs", "sales", "info", "hr", "datenschutz", "contact"]),
        ]
    )
    return f"{local}@{r.choice(DOMAINS)}"


def ok_global(ip: ipaddress._BaseAddress) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def ipv4(r: random.Random) -> str:
    while True:
        ip = ipaddress.IPv4Address(r.getrandbits(32))
        if ok_global(ip) and ip.packed[0] not in (0, 255) and ip.packed[3] not in (0, 255):
            return str(ip)


V6_PREFIXES = [
    0x2A00,
    0x2A01,
    0x2A02,
    0x2A03,
    0x2A05,
    0x2600,
    0x2604,
    0x2606,
    0x2607,
    0x2620,
    0x2400,
    0x2401,
    0x2404,
    0x2406,
    0x2800,
    0x2803,
    0x2C0F,
    0x2001_4860 >> 16,
]


def ipv6(r: random.Random) -> str:
    while True:
        groups = [r.choice(V6_PREFIXES), r.getrandbits(16), r.getrandbits(16), r.getrandbits(12)]
        style = r.random()
        if style < 0.45:  # host part mostly zero: "::1"-style compression
            groups += [0, 0, 0, r.randint(1, 0xFFFF)]
        elif style < 0.7:
            groups += [0, 0, r.getrandbits(16), r.getrandbits(16)]
        else:
            groups += [r.getrandbits(16) for _ in range(4)]
        ip = ipaddress.IPv6Address(":".join(f"{g:x}" for g in groups))
        if ok_global(ip):
            return ip.compressed


def ip(r: random.Random) -> str:
    return ipv6(r) if r.random() < 0.3 else ipv4(r)


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


def card_number(r: random.Random) -> tuple[str, str]:
    brand = r.choice(["visa", "visa", "mc", "mc2", "amex", "discover", "jcb", "maestro"])
    prefix = {
        "visa": "4",
        "mc": str(r.randint(51, 55)),
        "mc2": str(r.randint(2221, 2720)),
        "amex": r.choice(["34", "37"]),
        "discover": r.choice(["6011", "65", str(r.randint(644, 649))]),
        "jcb": str(r.randint(3528, 3589)),
        "maestro": r.choice(["6759", "5018", "5020", "5038", "6304"]),
    }[brand]
    length = 15 if brand == "amex" else 16
    body = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return body + luhn_digit(body), brand


def fmt_card(num: str, brand: str, r: random.Random) -> str:
    style = r.choice(["plain", "space", "space", "dash"])
    if style == "plain":
        return num
    sep = " " if style == "space" else "-"
    if brand == "amex":
        return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i : i + 4] for i in range(0, 16, 4))


def card(r: random.Random) -> str:
    num, brand = card_number(r)
    return fmt_card(num, brand, r)


ALNUM = string.ascii_letters + string.digits


def rand_str(r: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def high_entropy(r: random.Random, lo: int = 16, hi: int = 40) -> str:
    while True:
        s = rand_str(r, r.randint(lo, hi))
        if any(c.isupper() for c in s) and any(c.islower() for c in s) and sum(c.isdigit() for c in s) >= 2:
            return s


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(r: random.Random) -> str:
    alg = r.choice(["HS256", "RS256", "ES256"])
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    payload = {
        "sub": str(r.randint(10**6, 10**9)),
        "iat": r.randint(1_650_000_000, 1_720_000_000),
        "scope": r.choice(["read", "read write", "admin"]),
    }
    if r.random() < 0.5:
        payload["exp"] = payload["iat"] + 3600
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    sig = b64url(bytes(r.getrandbits(8) for _ in range(32 if alg == "HS256" else 64)))
    return f"{header}.{body}.{sig}"


def private_key(r: random.Random) -> str:
    kind = r.choice(["RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"])
    raw = base64.b64encode(bytes(r.getrandbits(8) for _ in range(r.randint(180, 420)))).decode()
    width = 70 if kind.startswith("OPENSSH") else 64
    lines = [raw[i : i + width] for i in range(0, len(raw), width)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"


UPPER_DIG = string.ascii_uppercase + string.digits


def token(r: random.Random, kind: str | None = None) -> str:
    kind = kind or r.choice(["aws", "ghp", "ghpat", "glpat", "slack", "stripe", "google", "jwt"])
    if kind == "aws":
        return (
            r.choice(["AKIA", "ASIA"]) + rand_str(r, 16, UPPER_DIG)
            if r.random() < 0.2
            else "AKIA" + rand_str(r, 16, UPPER_DIG)
        )
    if kind == "ghp":
        return r.choice(["ghp_", "gho_", "ghs_"]) + high_entropy(r, 36, 36)
    if kind == "ghpat":
        return "github_pat_" + rand_str(r, 22, UPPER_DIG) + "_" + high_entropy(r, 59, 59)
    if kind == "glpat":
        return "glpat-" + high_entropy(r, 20, 20)
    if kind == "slack":
        pre = r.choice(["xoxb", "xoxp"])
        parts = [str(r.randint(10**10, 10**12)), str(r.randint(10**10, 10**12))]
        if pre == "xoxp":
            parts.append(str(r.randint(10**10, 10**12)))
        return (
            f"{pre}-"
            + "-".join(parts)
            + "-"
            + rand_str(r, 24 if pre == "xoxb" else 32, string.ascii_lowercase + string.digits)
        )
    if kind == "stripe":
        return r.choice(["sk_live_", "rk_live_"]) + high_entropy(r, 24, 34)
    if kind == "google":
        return "AIza" + rand_str(r, 35, ALNUM + "-_")
    if kind == "jwt":
        return jwt(r)
    raise ValueError(kind)


def aws_secret(r: random.Random) -> str:
    while True:
        s = rand_str(r, 40, ALNUM + "/+")
        if sum(c.isdigit() for c in s) >= 2 and any(c.isupper() for c in s) and any(c.islower() for c in s):
            return s


# ---------------------------------------------------------------------------------------------------------------
# templates: (lang, context, text); slots ⟨E⟩ email, ⟨I⟩ ip, ⟨C⟩ card, ⟨S⟩ generic secret value, ⟨T⟩ token,
# ⟨K⟩ private key, ⟨J⟩ jwt, ⟨A⟩/⟨X⟩ aws key id/secret, ⟨N⟩ person name (not labelled); digits suffix = another one
# ---------------------------------------------------------------------------------------------------------------

EMAIL_T = [
    ("en", "prose", "If you have questions about the refund, write to ⟨E⟩ and include your order reference."),
    (
        "en",
        "email",
        "From: ⟨N⟩ <⟨E⟩>\nTo: ⟨E2⟩\nSubject: Re: corrected Q3 invoice\n\nHi,\nthe corrected invoice is attached. Let me know if anything is off.\n\nBest",
    ),
    ("en", "log", "2024-03-11T09:14:22Z INFO auth.reset: password reset link sent to ⟨E⟩ (request 7781)"),
    ("en", "config", "notifications:\n  on_failure:\n    - ⟨E⟩\n    - ⟨E2⟩\n  on_success: []\n"),
    ("en", "code", 'ADMINS = [("Ops on-call", "⟨E⟩"), ("⟨N⟩", "⟨E2⟩")]\nSERVER_EMAIL = "noreply@example.com"'),
    ("en", "table", "| name | email | role |\n|---|---|---|\n| ⟨N⟩ | ⟨E⟩ | editor |\n| ⟨N2⟩ | ⟨E2⟩ | viewer |"),
    ("en", "chat", "[10:42] marta: can you cc ⟨E⟩ on that thread?\n[10:43] tom: done, also looped in legal"),
    ("en", "code", '<p>Press enquiries: <a href="mailto:⟨E⟩">⟨E2⟩</a></p>'),
    (
        "en",
        "log",
        "commit 4be1f0a\nAuthor: ⟨N⟩ <⟨E⟩>\nDate:   Tue Mar 5 14:02:11 2024 +0100\n\n    Fix off-by-one in pager",
    ),
    (
        "de",
        "prose",
        "Bei Fragen zu Ihrer Bestellung wenden Sie sich bitte an ⟨E⟩. Wir antworten werktags innerhalb eines Tages.",
    ),
    (
        "de",
        "email",
        "Hallo Frau Weber,\n\nbitte senden Sie die Unterlagen an ⟨E⟩ (nicht an meine alte Adresse).\n\nViele Grüße\n⟨N⟩",
    ),
    ("fr", "prose", "Pour toute réclamation, écrivez à ⟨E⟩ en précisant votre numéro de commande."),
    ("fr", "chat", "Julie : tu peux m'envoyer le devis sur ⟨E⟩ ? merci !"),
    ("es", "prose", "Envíe su currículum a ⟨E⟩ antes del viernes."),
    (
        "es",
        "email",
        "Estimado cliente:\nSu solicitud fue recibida. Para cualquier duda escriba a ⟨E⟩.\nAtentamente,\nEl equipo de soporte",
    ),
    ("ja", "prose", "お問い合わせは⟨E⟩までご連絡ください。"),
    ("ja", "chat", "田中: 資料は⟨E⟩に送ってください！"),
    ("ru", "prose", "Пишите на ⟨E⟩, отвечаем в течение суток."),
    ("pt", "prose", "Dúvidas? Mande um e-mail para ⟨E⟩ ou fale conosco pelo chat."),
    ("zh", "prose", "如有疑问，请发送邮件至⟨E⟩，我们会尽快回复。"),
    ("en", "prose", "Contact the maintainer (⟨E⟩) before sending large patches."),
    ("en", "config", "[user]\n\tname = ⟨N⟩\n\temail = ⟨E⟩\n[core]\n\teditor = vim"),
    ("en", "prose", "Reviewers: ⟨E⟩; ⟨E2⟩."),
]

IP_T = [
    (
        "en",
        "log",
        '⟨I⟩ - - [12/Mar/2024:06:25:24 +0000] "GET /api/v2/items?page=3 HTTP/1.1" 200 5123 "-" "Mozilla/5.0"',
    ),
    (
        "en",
        "log",
        "Mar 12 06:25:24 bastion sshd[21877]: Failed password for invalid user admin from ⟨I⟩ port 52144 ssh2",
    ),
    ("en", "log", "2024-03-12 06:25:31,112 fail2ban.actions [981]: NOTICE [sshd] Ban ⟨I⟩"),
    ("en", "config", "allow_hosts:\n  - ⟨I⟩\n  - 10.0.0.0/8\n  - 127.0.0.1\n"),
    ("en", "code", 'UPSTREAM_DNS = ["⟨I⟩", "⟨I2⟩"]\nTIMEOUT_S = 2.5'),
    ("en", "prose", "The attack traffic originated mostly from ⟨I⟩, an address registered to a hosting provider."),
    ("en", "table", "host    | public ip | region\nweb-01  | ⟨I⟩ | eu-central\nweb-02  | ⟨I2⟩ | us-east"),
    ("en", "chat", "tom: prod db moved to ⟨I⟩, update your ssh tunnels"),
    ("en", "email", "Hi team,\n\nplease whitelist ⟨I⟩ for the vendor VPN before Friday.\n\nThanks,\nRita"),
    ("en", "code", "iptables -A INPUT -s ⟨I⟩ -j DROP"),
    ("en", "log", "X-Forwarded-For: ⟨I⟩, 10.1.2.3"),
    ("en", "log", "resolver: example-shop.net. 300 IN A ⟨I⟩"),
    ("en", "config", "server {\n    listen 443 ssl;\n    set_real_ip_from ⟨I⟩;\n    server_name shop.local;\n}"),
    ("de", "prose", "Der Zugriff erfolgte laut Protokoll von der IP-Adresse ⟨I⟩ aus."),
    ("fr", "log", "Connexion refusée depuis l'adresse ⟨I⟩ (trop de tentatives)."),
    ("es", "prose", "El servidor responde en ⟨I⟩, pero el DNS aún apunta a la IP antigua."),
    ("ja", "prose", "サーバーのIPアドレスは⟨I⟩です。"),
    ("ru", "prose", "Блокируем адрес ⟨I⟩ на межсетевом экране."),
    ("zh", "log", "来自⟨I⟩的请求被拒绝。"),
    ("pt", "prose", "O acesso suspeito veio do IP ⟨I⟩ durante a madrugada."),
    ("en", "code", "ping -c 3 ⟨I⟩"),
    ("en", "log", "WARN geoip: no city for ⟨I⟩, falling back to country"),
]

CARD_T = [
    ("en", "prose", "I paid with my card ⟨C⟩ and was charged twice for the same order."),
    ("en", "chat", "customer: my card number is ⟨C⟩, exp 09/27\nagent: thanks, please don't share the CVC here"),
    ("en", "log", "2024-02-01 12:00:03 DEBUG payment payload card_number=⟨C⟩ amount=49.90 currency=EUR"),
    ("en", "code", '{"pan": "⟨C⟩", "exp_month": 11, "exp_year": 2027}'),
    ("en", "email", "Name on card: ⟨N⟩\nCard number: ⟨C⟩\nExpiry: 04/26\n\nPlease charge the deposit."),
    ("de", "email", "Meine Kreditkartennummer lautet ⟨C⟩, gültig bis 08/27."),
    ("fr", "prose", "Numéro de carte : ⟨C⟩ — merci de ne pas le partager."),
    ("es", "chat", "cliente: número de tarjeta ⟨C⟩, vence en 2027"),
    ("ja", "prose", "カード番号：⟨C⟩"),
    ("ru", "prose", "Номер карты ⟨C⟩, срок действия 12/26."),
    ("pt", "prose", "O cartão ⟨C⟩ foi recusado na compra de ontem."),
    ("zh", "prose", "信用卡号：⟨C⟩，有效期至2026年。"),
    ("en", "table", "| txn | card | amount |\n|---|---|---|\n| 88213 | ⟨C⟩ | 120.00 |"),
    ("en", "code", 'charge(card="⟨C⟩", cvc="123", amount_cents=1999)'),
    ("en", "config", "test_card: ⟨C⟩\nretry: 3"),
    ("en", "prose", "Card on file: ⟨C⟩ (primary), ⟨C2⟩ (backup)."),
]

SECRET_T = [  # each slot gets the kind named in SECRET_KIND
    ("en", "config", "APP_ENV=production\nDB_HOST=db.internal\nDB_PASSWORD=⟨S⟩\nLOG_LEVEL=info"),
    ("en", "code", 'client = Client(api_key="⟨S⟩", timeout=30)'),
    ("en", "config", "payments:\n  secret_key: ⟨S⟩\n  webhook_tolerance: 300"),
    ("en", "config", "[default]\naws_access_key_id = ⟨A⟩\naws_secret_access_key = ⟨X⟩\nregion = eu-west-1"),
    ("en", "prose", "Oops, I accidentally pushed my token ⟨T⟩ to the public repo, rotating it now."),
    ("en", "code", 'curl -H "Authorization: Bearer ⟨J⟩" https://api.acme-logistics.com/v1/me'),
    ("en", "config", "SLACK_BOT_TOKEN=⟨T⟩"),
    ("en", "code", "const MAPS_KEY = '⟨T⟩';"),
    ("en", "prose", "Here is the deploy key, do not share:\n\n⟨K⟩\n\nUse it only for the staging box."),
    ("en", "config", "    environment:\n      - POSTGRES_USER=app\n      - POSTGRES_PASSWORD=⟨S⟩"),
    ("en", "code", '{"client_id": "web-frontend", "client_secret": "⟨S⟩"}'),
    ("en", "code", 'provider "github" {\n  owner = "acme"\n  token = "⟨T⟩"\n}'),
    ("en", "config", "apiVersion: v1\nkind: Secret\nstringData:\n  password: ⟨S⟩\n"),
    ("en", "config", '[database]\nuser = "app"\npassword = "⟨S⟩"\nport = 5432'),
    ("en", "code", "define('AUTH_KEY', '⟨S⟩');"),
    ("en", "log", "2024-01-09 08:00:01 WARN http: request to /v1/charges with key ⟨T⟩ returned 401"),
    ("en", "chat", "pls use ⟨T⟩ for the CI runner, the old one is revoked"),
    ("en", "code", "export GITLAB_TOKEN=⟨T⟩\n./release.sh"),
    ("en", "code", 'session = requests.Session()\nsession.headers["X-Auth-Token"] = "⟨S⟩"'),
    ("en", "email", "Hi Sam,\n\nthe new service account key is below.\n\n⟨K⟩\n\nCheers"),
    ("en", "config", "JWT_SECRET=⟨S⟩\nJWT_TTL=3600"),
    ("de", "prose", "Das API-Token lautet ⟨T⟩ – bitte nicht weitergeben."),
    ("de", "config", "# Zugangsdaten Testsystem\nbenutzer: admin\npasswort: ⟨S⟩"),
    ("fr", "chat", "Voici le jeton d'accès : ⟨T⟩ (valable 24 h)"),
    ("es", "prose", "La clave de la API es ⟨T⟩; guárdala en el gestor de secretos."),
    ("ja", "prose", "アクセストークンは⟨T⟩です。漏洩した場合はすぐに無効化してください。"),
    ("ru", "prose", "Токен бота: ⟨T⟩ — не публикуйте его."),
    ("pt", "chat", "usa esse token aqui: ⟨T⟩"),
    ("zh", "prose", "访问令牌为⟨T⟩，请勿泄露。"),
    ("en", "log", "DEBUG auth: decoded session cookie session=⟨J⟩"),
]

SECRET_KIND = {"S": "generic", "T": "token", "K": "key", "J": "jwt", "A": "aws_id", "X": "aws_secret"}

# Hard negatives: (category, lang, context, text); "⟨…⟩" slots are filled with non-PII look-alikes.
NEG_T = [
    (
        "versions",
        "en",
        "prose",
        "Upgraded numpy from 1.26.4 to 2.0.1 and pandas to 2.2.2; tests pass on Python 3.12.3.",
    ),
    (
        "versions",
        "en",
        "log",
        "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/⟨VER4⟩ Safari/537.36",
    ),
    ("versions", "en", "code", "npm install lodash@4.17.21 express@⟨VER3⟩ --save-exact"),
    ("versions", "de", "prose", "Version ⟨VER3⟩ behebt den Absturz beim Start; Build ⟨VER4⟩ ist veraltet."),
    ("versions", "en", "log", "Linux web-01 6.8.0-31-generic #31-Ubuntu SMP x86_64; openssl ⟨VER3⟩"),
    ("dotted_numbers", "de", "prose", "Der Umsatz stieg auf 1.234.567,89 € am ⟨DATE⟩."),
    ("dotted_numbers", "en", "prose", "SNMP object 1.3.6.1.4.1.2021.10.1.3.1 reports the 1-minute load average."),
    ("dotted_numbers", "ru", "prose", "Встреча перенесена на ⟨DATE⟩, начало в 14.30."),
    ("dotted_numbers", "en", "prose", "Coordinates: 52.520008, 13.404954 (Berlin Mitte); altitude 34.5 m."),
    ("dotted_numbers", "fr", "prose", "Prix : 1.299,00 € TTC, livraison le ⟨DATE⟩."),
    ("hashes", "en", "log", "commit ⟨HEX40⟩\nMerge: ⟨HEX7⟩ ⟨HEX7b⟩\n\n    Merge branch 'release'"),
    ("hashes", "en", "log", "Digest: sha256:⟨HEX64⟩\nStatus: Downloaded newer image for nginx:1.25.4-alpine"),
    ("hashes", "en", "code", '"integrity": "sha512-⟨B64INT⟩"'),
    ("hashes", "en", "prose", "The file's MD5 is ⟨HEX32⟩ and matches the mirror."),
    ("hashes", "ja", "prose", "チェックサム（SHA-1）：⟨HEX40⟩"),
    ("uuids", "en", "log", "2024-04-02T11:03:55Z ERROR request_id=⟨UUID⟩ trace=⟨UUID2⟩ upstream timeout"),
    ("uuids", "en", "config", "subscription_id: ⟨UUID⟩\nresource_group: rg-prod-weu"),
    ("uuids", "es", "prose", "El identificador de su solicitud es ⟨UUID⟩."),
    ("order_numbers", "en", "email", "Your order #⟨ORDER⟩ has shipped. Tracking: 1Z⟨UPS⟩."),
    ("order_numbers", "de", "email", "Rechnung Nr. RE-⟨ORDER⟩ vom ⟨DATE⟩, Kundennummer K⟨ORDER2⟩."),
    (
        "order_numbers",
        "en",
        "table",
        "| invoice | amount |\n|---|---|\n| INV-⟨ORDER⟩ | 1,240.00 |\n| INV-⟨ORDER2⟩ | 88.10 |",
    ),
    ("order_numbers", "pt", "prose", "Seu pedido nº ⟨ORDER⟩ foi entregue."),
    ("isbn", "en", "prose", "See ISBN 978-3-16-148410-0 and ISBN 978-0-306-40615-7 for details."),
    ("luhn_invalid", "en", "log", "DEBUG ref=⟨BADCARD⟩ status=declined reason=invalid_number"),
    ("luhn_invalid", "en", "prose", "The number ⟨BADCARD⟩ on the form fails the checksum, so it was rejected."),
    ("luhn_invalid", "de", "prose", "Die Belegnummer ⟨BADCARD⟩ ist ungültig."),
    ("luhn_invalid", "zh", "prose", "单号：⟨BADCARD⟩"),
    ("card_fragments", "en", "email", "We charged the card ending in ⟨LAST4⟩ on ⟨DATE⟩. Card: **** **** **** ⟨LAST4⟩."),
    ("card_fragments", "fr", "prose", "Carte se terminant par ⟨LAST4⟩ (Visa)."),
    ("non_brand_luhn", "en", "log", "shipment_id=⟨NBCARD⟩ carrier=dhl weight_kg=2.4"),
    ("non_brand_luhn", "en", "prose", "Meter number ⟨NBCARD⟩ was read on ⟨DATE⟩."),
    ("private_ips", "en", "config", "bind_address: ⟨PIP⟩\npeers:\n  - ⟨PIP2⟩\n  - ⟨PIP3⟩"),
    ("private_ips", "en", "log", "Accepted publickey for deploy from ⟨PIP⟩ port 50122 ssh2"),
    ("private_ips", "en", "code", "curl http://169.254.169.254/latest/meta-data/ && curl http://127.0.0.1:8080/health"),
    ("private_ips", "de", "prose", "Der Router ist unter ⟨PIP⟩ erreichbar, der Drucker unter ⟨PIP2⟩."),
    (
        "private_ips",
        "en",
        "log",
        "inet6 fe80::⟨H16⟩:⟨H16b⟩:fe12:3456%eth0 scope link; inet6 ::1 scope host; inet6 fd12:3456:789a::⟨H16⟩ scope global",
    ),
    ("private_ips", "ja", "prose", "ルーターの管理画面は⟨PIP⟩にあります。"),
    ("private_ips", "en", "config", "listen 0.0.0.0:80; proxy_pass http://100.64.⟨OCT⟩.⟨OCT2⟩:9000;"),
    ("doc_ips", "en", "prose", "In the examples below, the client is 192.0.2.⟨OCT⟩ and the server 198.51.100.⟨OCT2⟩."),
    ("doc_ips", "en", "config", "upstream app {\n  server 203.0.113.⟨OCT⟩:8080;\n  server [2001:db8::⟨H16⟩]:8080;\n}"),
    ("placeholder_keys", "en", "config", "API_KEY=YOUR_API_KEY\nSECRET_KEY=changeme\nDB_PASSWORD=<password>"),
    ("placeholder_keys", "en", "code", 'client = Client(api_key="<your-api-key>", token="xxxxxxxxxxxxxxxxxxxx")'),
    (
        "placeholder_keys",
        "en",
        "config",
        "stripe:\n  secret_key: sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n  publishable_key: pk_live_XXXXXXXXXXXXXXXX",
    ),
    (
        "placeholder_keys",
        "en",
        "prose",
        "Set GITHUB_TOKEN to a token like ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX (replace the X's).",
    ),
    (
        "placeholder_keys",
        "en",
        "config",
        "aws_access_key_id = AKIA****************\naws_secret_access_key = <redacted>",
    ),
    ("placeholder_keys", "de", "config", '# Bitte eintragen\napi_token: "DEIN_TOKEN_HIER"\npasswort: "********"'),
    ("placeholder_keys", "en", "code", 'headers = {"Authorization": "Bearer <token>"}'),
    ("env_refs", "en", "code", 'password = os.environ["DB_PASSWORD"]\napi_key = settings.API_KEY'),
    ("env_refs", "en", "config", "env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  NPM_TOKEN: ${NPM_TOKEN}"),
    ("env_refs", "en", "config", "SECRET_KEY=${SECRET}\nDATABASE_PASSWORD=$(cat /run/secrets/db_password)"),
    ("env_refs", "en", "code", "SECRET_KEY = get_random_secret_key()\nAUTH_TOKEN_TTL = 3600"),
    (
        "secret_words",
        "en",
        "config",
        "max_tokens: 2048\ntoken_budget: 120000\npassword_min_length: 12\nsecret_santa_budget: 25",
    ),
    (
        "secret_words",
        "en",
        "prose",
        "Your password must be at least 12 characters long and include a digit and a symbol.",
    ),
    ("secret_words", "es", "prose", "Nunca compartas tu contraseña ni tu clave API por correo."),
    ("secret_words", "en", "code", 'cache_key = f"user:{user_id}:profile"\nsecret_name = "prod/db/credentials"'),
    ("identifiers", "en", "code", 'handler_class = "HttpRequestHandlerFactory"\nmodule = "acme.handlers.v2"'),
    ("identifiers", "en", "log", "Video id dQw4w9WgXcQ, playlist PL⟨HEX16⟩ loaded"),
    ("at_filenames", "en", "code", '<img src="icon@2x.png" srcset="icon@3x.png 3x">'),
    ("at_filenames", "en", "log", "systemctl restart getty@tty1.service openvpn-client@office.service"),
    ("at_filenames", "en", "code", "deploy@web-01:~$ scp backup.tar.gz admin@⟨PIP⟩:/srv/backups/"),
    ("at_filenames", "en", "prose", "Export the sprite as logo@2x.webp and banner@1.5x.jpg."),
    ("reserved_emails", "en", "code", 'assert send_mail("jane.doe@example.com", "alerts@example.org")'),
    (
        "reserved_emails",
        "en",
        "config",
        "admin_email: root@localhost\nfrom: noreply@shop.test\nbounce: nobody@invalid.invalid",
    ),
    ("reserved_emails", "fr", "prose", "Par exemple : prenom.nom@example.net ou contact@entreprise.example."),
    ("reserved_emails", "en", "prose", "Use user@example.com as the login in the tutorial."),
    ("misc_numbers", "en", "prose", "MAC 00:1A:2B:3C:4D:5E, serial 5CG⟨ORDER⟩XZ, firmware ⟨VER3⟩."),
    ("misc_numbers", "en", "log", "2024-03-12T06:25:24.123Z pid=⟨ORDER⟩ took 12:30:45 elapsed"),
    ("misc_numbers", "en", "code", "std::vector<int> v; std::map<std::string, int>::iterator it;"),
    ("misc_numbers", "ru", "prose", "Номер заказа ⟨ORDER⟩, трек-номер RA⟨ORDER2⟩CN."),
    ("misc_numbers", "zh", "prose", "版本 ⟨VER3⟩ 于 ⟨DATE⟩ 发布。"),
    (
        "misc_numbers",
        "en",
        "table",
        "| sku | qty | price |\n|---|---|---|\n| ⟨ORDER⟩ | 4 | 19.99 |\n| ⟨ORDER2⟩ | 1 | 249.00 |",
    ),
]


def hexs(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def private_ip(r: random.Random) -> str:
    return r.choice(
        [
            f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
            f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
            f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
            f"127.0.0.{r.randint(1, 9)}",
            f"169.254.{r.randint(1, 254)}.{r.randint(1, 254)}",
        ]
    )


def bad_card(r: random.Random) -> str:
    num, brand = card_number(r)
    bad = num[:-1] + str((int(num[-1]) + r.randint(1, 9)) % 10)
    assert not luhn_ok(bad)
    return fmt_card(bad, brand, r)


def non_brand_card(r: random.Random) -> str:
    body = r.choice("1789") + "".join(r.choice(string.digits) for _ in range(14))
    return body + luhn_digit(body)


def neg_fill(slot: str, r: random.Random) -> str:
    known = (
        "VER3",
        "VER4",
        "DATE",
        "HEX7",
        "HEX16",
        "HEX32",
        "HEX40",
        "HEX64",
        "B64INT",
        "UUID",
        "ORDER",
        "UPS",
        "BADCARD",
        "NBCARD",
        "LAST4",
        "PIP",
        "OCT",
        "H16",
    )
    base = slot if slot in known else slot[:-1]
    if base == "VER3":
        return f"{r.randint(1, 30)}.{r.randint(0, 40)}.{r.randint(0, 60)}"
    if base == "VER4":
        return f"{r.randint(100, 130)}.0.{r.randint(5000, 6999)}.{r.randint(10, 250)}"
    if base == "DATE":
        return f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{r.randint(2019, 2025)}"
    if base.startswith("HEX"):
        return hexs(r, int(base[3:]))
    if base == "B64INT":
        return base64.b64encode(bytes(r.getrandbits(8) for _ in range(64))).decode()
    if base == "UUID":
        return f"{hexs(r, 8)}-{hexs(r, 4)}-4{hexs(r, 3)}-{r.choice('89ab')}{hexs(r, 3)}-{hexs(r, 12)}"
    if base == "ORDER":
        return str(r.randint(100000, 9999999))
    if base == "UPS":
        return rand_str(r, 6, UPPER_DIG) + str(r.randint(10**9, 10**10 - 1))
    if base == "BADCARD":
        return bad_card(r)
    if base == "NBCARD":
        return non_brand_card(r)
    if base == "LAST4":
        return f"{r.randint(0, 9999):04d}"
    if base == "PIP":
        return private_ip(r)
    if base == "OCT":
        return str(r.randint(1, 254))
    if base == "H16":
        return f"{r.randint(1, 0xFFFF):x}"
    raise KeyError(slot)


# ---------------------------------------------------------------------------------------------------------------
# assembly
# ---------------------------------------------------------------------------------------------------------------


def render(template: str, fill) -> tuple[str, list[dict]]:
    out, spans, pos = [], [], 0
    length = 0
    for m in SLOT.finditer(template):
        lit = template[pos : m.start()]
        out.append(lit)
        length += len(lit)
        value, entity = fill(m.group(1))
        if entity:
            spans.append({"start": length, "end": length + len(value), "entity": entity, "_v": value})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(template[pos:])
    text = "".join(out)
    for s in spans:
        assert text[s["start"] : s["end"]] == s.pop("_v"), (template, s)
    return text, spans


def positive_filler(r: random.Random):
    secret_kinds = {
        "generic": lambda: (high_entropy(r), "SECRET"),
        "token": lambda: (token(r), "SECRET"),
        "key": lambda: (private_key(r), "SECRET"),
        "jwt": lambda: (jwt(r), "SECRET"),
        "aws_id": lambda: (token(r, "aws"), "SECRET"),
        "aws_secret": lambda: (aws_secret(r), "SECRET"),
    }

    def fill(slot: str):
        base = slot.rstrip("0123456789")
        if base == "E":
            return email(r), "EMAIL_ADDRESS"
        if base == "I":
            return ip(r), "IP_ADDRESS"
        if base == "C":
            return card(r), "CREDIT_CARD"
        if base == "N":
            return name(r), None
        return secret_kinds[SECRET_KIND[base]]()

    return fill


def build(seed: int) -> list[dict]:
    r = random.Random(seed)
    records: list[dict] = []
    seen: set[str] = set()
    fill = positive_filler(r)
    for ent, templates, rounds in (
        ("email", EMAIL_T, 2),
        ("ip", IP_T, 2),
        ("card", CARD_T, 3),
        ("secret", SECRET_T, 2),
    ):
        for k in range(rounds):
            for j, (lang, context, tpl) in enumerate(templates):
                text, spans = render(tpl, fill)
                if text in seen:
                    continue
                seen.add(text)
                records.append(
                    {
                        "id": f"t3-{ent}-{k}-{j:02d}",
                        "text": text,
                        "lang": lang,
                        "context": context,
                        "category": "positive",
                        "spans": spans,
                    }
                )
    for k in range(3):
        for j, (cat, lang, context, tpl) in enumerate(NEG_T):
            text, spans = render(tpl, lambda s: (neg_fill(s, r), None))
            if text in seen:
                continue
            seen.add(text)
            records.append(
                {
                    "id": f"t3-neg-{cat}-{k}-{j:02d}",
                    "text": text,
                    "lang": lang,
                    "context": context,
                    "category": cat,
                    "spans": spans,
                }
            )
    check(records)
    return records


def check(records: list[dict]) -> None:
    for rec in records:
        spans = sorted(rec["spans"], key=lambda s: s["start"])
        for a, b in itertools.pairwise(spans):
            assert a["end"] <= b["start"], rec["id"]
        for s in spans:
            v = rec["text"][s["start"] : s["end"]]
            assert v and v == v.strip(), (rec["id"], v)
            if s["entity"] == "IP_ADDRESS":
                assert ok_global(ipaddress.ip_address(v)), v
            elif s["entity"] == "CREDIT_CARD":
                digits = re.sub(r"[ -]", "", v)
                assert digits.isdigit() and luhn_ok(digits) and len(digits) in (15, 16), v
            elif s["entity"] == "EMAIL_ADDRESS":
                assert re.fullmatch(r"[\w.+-]+@[\w.-]+\.[a-z]{2,}", v), v
                assert not re.search(r"@(example\.(com|org|net)|.*\.(test|invalid|example))$", v), v
    # hard negatives must not contain a global IP or a Luhn-valid brand card by accident
    for rec in records:
        if rec["spans"]:
            continue
        for m in re.finditer(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)", rec["text"]):
            try:
                assert not ok_global(ipaddress.ip_address(m.group())), (rec["id"], m.group())
            except ValueError:
                pass
        for m in re.finditer(r"\b\d(?:[ -]?\d){12,18}\b", rec["text"]):
            d = re.sub(r"[ -]", "", m.group())
            assert not (luhn_ok(d) and d[0] in "23456"), (rec["id"], m.group())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--seed", type=int, default=3_2024)
    args = ap.parse_args()
    records = build(args.seed)
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    from collections import Counter

    spans = Counter(s["entity"] for rec in records for s in rec["spans"])
    negs = Counter(rec["category"] for rec in records if not rec["spans"])
    langs = Counter(rec["lang"] for rec in records)
    print(
        f"wrote {len(records)} texts to {args.out}: spans {dict(spans)}; hard negatives {sum(negs.values())} "
        f"{dict(negs)}; langs {dict(langs)}"
    )


if __name__ == "__main__":
    main()
