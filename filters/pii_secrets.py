"""Secrets in code and text: vendor token formats, private-key blocks and high-entropy assigned values.

Vendor tokens (AWS, GitHub, GitLab, Slack, Stripe, JWT, ...) have fixed prefixes and lengths, so a pattern is
enough. Everything else is found through its label: a key word (``api_key``, ``password``, ``passwort``,
``пароль``, ...) followed by a value, either directly (``key = v``, ``key: v``, ``define('KEY', 'v')``,
``headers["X-Auth-Token"] = v``) or a few lines later in a named block (Terraform ``variable "db_password"
{ default = "v" }``, a Kubernetes ``- name: DB_PASSWORD`` / ``value: v`` pair). A labelled value counts only
when it looks random: long enough, high Shannon entropy, mixed character classes, and not a placeholder or a
reference to another variable.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

_TOKEN_PATTERNS = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?:AKIA|ASIA)[0-9A-Z]{16}"  # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{36,255}"  # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{22,255}"
    r"|glpat-[A-Za-z0-9_\-]{20,}"  # GitLab personal access token
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"  # Slack
    r"|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,255}"  # Stripe secret and restricted keys
    r"|sk-ant-api\d\d-[A-Za-z0-9_\-]{20,}"  # Anthropic
    r"|sk-(?:proj-)?[A-Za-z0-9_\-]{32,}"  # OpenAI
    r"|dop_v1_[a-f0-9]{64}"  # DigitalOcean
    r"|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"  # Shopify
    r"|hf_[A-Za-z0-9]{30,}"  # Hugging Face
    r"|SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}"  # SendGrid
    r"|\d{8,10}:AA[A-Za-z0-9_\-]{33}"  # Telegram bot token
    r"|AIza[0-9A-Za-z_\-]{35}"  # Google API key
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"  # JWT
    r")(?![A-Za-z0-9])"
)
_KEY_LABEL = r"(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?"
_PRIVATE_KEY = re.compile(rf"-----BEGIN {_KEY_LABEL}-----[\s\S]{{16,}}?-----END {_KEY_LABEL}-----")

# Labels of secret values. The non-English words are "password", "key" and "token" in the languages of the ROOTS
# and LLaMA mixes; WordPress' AUTH_KEY/NONCE_SALT family is named explicitly. ``pass`` and ``auth`` count only as
# whole name parts (``SMTP_PASS``, ``SENTRY_AUTH``), never inside ``bypass`` or ``author``.
_KEY_WORDS = (
    r"api[_-]?key|apikey|secret(?:[_-]?key)?|access[_-]?key(?:[_-]?id)?|auth[_-]?token|access[_-]?token|token"
    r"|auth[_-]?(?:key|salt)|(?:logged[_-]?in|nonce)[_-](?:key|salt)|bearer"
    r"|(?<![A-Za-z])pass(?![a-z])|(?<![A-Za-z])auth(?![a-z])"
    r"|password|passwd|pwd|passphrase|client[_-]?secret|private[_-]?key|account[_-]?key|app[_-]?key"
    r"|passwort|kennwort|mot[_ -]de[_ -]passe|contrase(?:ñ|n)a|senha|wachtwoord|parola|has(?:ł|l)o|l(?:ö|o)senord"
    r"|salasana|adgangskode|passord|(?:ş|s)ifre|heslo|jelszó|lozinka|пароль|токен|ключ[_ ]api|api[_ -]?ключ"
    r"|密码|密碼|密钥|秘钥|令牌|パスワード|api[ ]?キー|アクセスキー|シークレット(?:キー)?|トークン|秘密鍵"
    r"|비밀번호|토큰|mật[_ ]khẩu|كلمة[_ ]المرور"
)
# A quoted value runs to its closing quote; a bare one stops at punctuation that cannot end a secret in running
# text or a query string (",", ";", "&", brackets, CJK punctuation).
_VALUE = (
    r"""(?:\\?(?P<quote>["'`])(?P<quoted>[^"'`\s\\]{8,200}?)\\?(?P=quote)"""
    r"""|(?P<bare>[^\s"'`,;&<>()\[\]{}，。、；！？（）「」『』]{8,200}))"""
)
_ASSIGNMENT = re.compile(
    rf"""(?ix)
    (?P<key>(?:{_KEY_WORDS})[A-Za-z0-9_]*)
    (?:["'][ \t]*,                          # define('KEY', 'v')
      |["'][ \t]+value[ \t]*=               # <add key="Password" value="v"/>
      |["']?\]?[ \t]*(?:=|:|：|=>)           # key = v, key: v, "key": v, headers["X-Auth-Token"] = v
      |[ \t]+)                              # key v, Bearer v
    [ \t]*
    {_VALUE}"""
)
# A label names a block, and the value comes a few lines later; lines in between may not name anything else.
_NAMED_BLOCK_VALUE = re.compile(
    rf"""(?ix)
    (?:variable|name|key)[ \t]*[:=]?[ \t]*["']?(?P<key>[\w.-]*(?:{_KEY_WORDS})[\w.-]*)["']?[ \t]*\{{?[ \t]*\n
    (?:(?![^\n]*(?:\bname\b|\bvariable\b|\}}))[^\n]*\n){{0,4}}?
    [ \t-]*(?:default|value)[ \t]*[:=][ \t]*{_VALUE}"""
)
# Running text: "the admin password is v", "Le mot de passe est v", "Пароль от базы: v", "new one is v". The
# label is a whole word; a copula may come a few words later, a colon only right after a word or two; the words in
# between hold no quotes, colons or equals signs (those are assignments, handled above).
_PROSE = re.compile(
    rf"""(?ix)
    (?<![A-Za-z])(?P<key>{_KEY_WORDS})(?![a-z])
    (?:[^\n.!?。"'`:=：]{{0,60}}?[ \t](?:is|was|are|lautet|ist|est|es|é|è|to|är|er|on|je|sono|wynosi|это|là)[ \t]*:?
      |[^\n.!?。"'`:=：/]{{0,20}}?[:：])
    [ \t]*[“„«]?{_VALUE}"""
)
# Credentials inside a connection URL (postgres://user:v@host) and a MySQL client's -p option (mysql -p'v').
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]{1,20})://[^\s:/@]{1,64}:(?P<bare>[^\s@/]{6,200})@")
_MYSQL_OPTION = re.compile(rf"(?P<client>\b(?:mysql|mysqldump|mysqladmin|mariadb)\b)[^\n]*?[ \t]-p{_VALUE}")
# Every label, URL credential and MySQL option contains one of these (lower-cased) substrings.
_LABEL_LITERALS = (
    "key", "secret", "auth", "token", "salt", "bearer", "pass", "pwd", "senha", "parol", "hasło", "haslo",
    "lösenord", "losenord", "salasana", "adgangskode", "ifre", "heslo", "jelszó", "lozinka", "contrase",
    "mot de passe", "mot_de_passe", "mot-de-passe", "wachtwoord", "kennwort", "пароль", "токен", "ключ", "密码",
    "密碼", "密钥", "秘钥", "令牌", "パスワード", "キー", "トークン", "シークレット", "秘密鍵", "비밀번호", "토큰",
    "khẩu", "المرور", "://", "mysql", "mariadb",
)  # fmt: skip
_ASCII_LOWER = str.maketrans({chr(code): chr(code + 32) for code in range(ord("A"), ord("Z") + 1)})
_LABELLED = (_ASSIGNMENT, _NAMED_BLOCK_VALUE, _PROSE, _URL_CREDENTIALS, _MYSQL_OPTION)
_PLACEHOLDER = re.compile(
    r"your|example|sample|dummy|placeholder|changeme|change_me|xxxx|\*\*\*|<|>|\$\{|\{\{|%\(|process\.env|os\.environ"
    r"|getenv|null|none|true|false|undefined|password|secret|token",
    re.IGNORECASE,
)
# "SharedAccessKeyName=...", "tokenizer: ...", "password_file: ...": the value names or counts something.
_NOT_A_SECRET_KEY = re.compile(
    r"(?:name|id|type|ref|izer|ization|count|limit|length|url|uri|path|file|(?<!pas)s)$", re.IGNORECASE
)
# URLs, paths and e-mail addresses name where something is, not a secret ("auth_uri": "https://...").
_LOCATOR = re.compile(r"[a-z][a-z0-9+.-]*:/|/|~/|\.\.?/|[\w.+-]+@[\w-]+\.\w", re.IGNORECASE)
# An unquoted ``settings.API_KEY`` or ``DEFAULT_TOKEN`` refers to a value defined elsewhere.
_REFERENCE = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def shannon_entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def secret_spans(text: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    """(start, end) of every secret; labelled values must reach ``min_entropy`` bits per character."""
    for match in _PRIVATE_KEY.finditer(text):
        yield match.start(), match.end()
    for match in _TOKEN_PATTERNS.finditer(text):
        token = match.group()
        if _PLACEHOLDER.search(token) or shannon_entropy(token) < min_entropy:
            continue  # AKIAIOSFODNN7EXAMPLE, ghp_xxxxxxxx...: documentation placeholders
        yield match.start(), match.end()
    found: set[tuple[int, int]] = set()
    for start, end in label_windows(text):
        for pattern in _LABELLED:
            for match in pattern.finditer(text, start, end):
                span = _labelled_value(match, min_entropy)
                if span is not None and span not in found:
                    found.add(span)
                    yield span


def label_windows(text: str) -> list[tuple[int, int]]:
    """Disjoint stretches of ``text`` that can hold a labelled secret: around every label word.

    The labelled patterns are long case-insensitive alternations that Python's ``re`` tries at every position
    (about 1 MB/s); ``str.find`` on the lower-cased text finds the few places worth trying at memory speed.
    A window runs from the start of the label's line (at most 100 characters back) to the end of the sixth line
    after it (at most 600 characters on). That holds every pattern: a value is at most 200 characters, a prose
    gap 60, and only named blocks (a few short lines) span lines.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters ("İ") lower-case to two; keep offsets aligned
        lowered = text.translate(_ASCII_LOWER)
    windows: list[tuple[int, int]] = []
    for literal in _LABEL_LITERALS:
        position = lowered.find(literal)
        while position >= 0:
            start = max(text.rfind("\n", 0, position) + 1, position - 100)
            end = position
            for _ in range(7):
                end = text.find("\n", end + 1)
                if end < 0:
                    end = len(text)
                    break
            windows.append((start, min(end, position + 600)))
            position = lowered.find(literal, position + len(literal))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _labelled_value(match: re.Match[str], min_entropy: float) -> tuple[int, int] | None:
    groups = match.groupdict()
    if groups.get("key") and _NOT_A_SECRET_KEY.search(groups["key"]):
        return None
    if groups.get("quoted"):
        value, start = groups["quoted"], match.start("quoted")
    else:
        value, start = groups["bare"].rstrip(".:!?"), match.start("bare")  # "... is v." ends a sentence
        if len(value) < 8 or _REFERENCE.fullmatch(value):
            return None
    if _PLACEHOLDER.search(value) or _LOCATOR.match(value) or shannon_entropy(value) < min_entropy:
        return None
    classes = sum(any(test(ch) for ch in value) for test in (str.islower, str.isupper, str.isdigit))
    return (start, start + len(value)) if classes >= 2 else None
