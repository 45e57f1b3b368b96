"""Secrets in code and text: vendor token formats, private-key blocks and high-entropy assigned values.

Vendor tokens (AWS, GitHub, GitLab, Slack, Stripe, JWT, ...) have fixed prefixes and lengths, so a pattern is
enough (:mod:`filters.pii_vendor_tokens`). Everything else is found through its label: a key word (``api_key``,
``password``, ``passwort``, ``пароль``, ...) followed by a value, either directly (``key = v``, ``key: v``,
``define('KEY', 'v')``, ``headers["X-Auth-Token"] = v``) or a few lines later in a named block (Terraform
``variable "db_password" { default = "v" }``, a Kubernetes ``- name: DB_PASSWORD`` / ``value: v`` pair). A
labelled value counts only when it looks random: long enough, high Shannon entropy, mixed character classes, and
not a placeholder or a reference to another variable. Credentials handed over without a label beside them are
:mod:`filters.pii_handover`'s.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from filters.pii_handover import handover_spans
from filters.pii_lexicon import NO_CREDENTIAL_LABEL, NOT_CREDENTIAL_LABEL, PUBLIC_LABEL, aligned_lower
from filters.pii_tables import table_secret_spans
from filters.pii_values import (
    UUID,
    is_passphrase,
    looks_random,
    table_value,
    without_encoding_prefix,
)
from filters.pii_vendor_tokens import vendor_token_spans

_APP_PASSWORD = re.compile(r"(?<![\w ])[a-z]{4}(?: [a-z]{4}){3}(?![\w])")
_PASSWORD_WORD = re.compile(r"pass|pwd|contrase|senha|kennwort|hasło|haslo|heslo|пароль|密码|パスワード", re.IGNORECASE)
# wp-config.php: eight random 64-character keys and salts of any printable characters, quotes and all.
_WORDPRESS_KEY = re.compile(
    r"define\(\s*['\"](?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)['\"]\s*,\s*'(?P<value>[^\n]{16,128}?)'\s*\);"
)
_KEY_LABEL = r"(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?"
_PRIVATE_KEY = re.compile(rf"-----BEGIN {_KEY_LABEL}-----[\s\S]{{16,}}?-----END {_KEY_LABEL}-----")

# Labels of secret values. The non-English words are "password", "key" and "token" in the languages of the ROOTS
# and LLaMA mixes; WordPress' AUTH_KEY/NONCE_SALT family is named explicitly. ``pass`` and ``auth`` count only as
# whole name parts (``SMTP_PASS``, ``SENTRY_AUTH``), never inside ``bypass`` or ``author``.
_KEY_WORDS = (
    r"api[_ -]?key|apikey|secret(?:[_-]?key)?|access[_-]?key(?:[_-]?id)?|auth[_-]?token|access[_-]?token|token"
    r"|auth[_-]?(?:key|salt)|(?:logged[_-]?in|nonce)[_-](?:key|salt)|bearer"
    r"|(?<![A-Za-z])pass(?![a-z])|(?<![A-Za-z])pw(?![a-z])|(?<![A-Za-z])auth(?![a-z])|(?<![A-Za-z-])psk(?![a-z])"
    r"|password|passwd|pwd|passphrase|client[_-]?secret|private[_-]?key|account[_-]?key|app[_-]?key"
    r"|passwort|kennwort|(?:zugangs|api-?)?schlüssel|mot[_ -]de[_ -]passe|jeton|contrase(?:ñ|n)a|senha"
    r"|wachtwoord|contrasenya|credencial(?:es)?|neno[_ ]la[_ ]siri|parola|parolă|(?:api-?)?kulcs|توکن|chiave"
    r"|has(?:ł|l)o|klucz"
    r"|l(?:ö|o)senord(?:et)?"
    r"|salasana(?:si|nne)?|adgangskode(?:n)?"
    r"|passord(?:et)?|(?:api-?)?nøkkel(?:en)?|(?:ş|s)ifre(?:niz|si|n)?|anahtar(?:ı|i)?|heslo|kl(?:í|i)(?:č|c)|jelszó|jelszava|lozinka"
    r"|kunci|टोकन|โทเคน|טוקן|пароль|токен|ключ[_ ]api|api[_ -]?ключ|पासवर्ड|कुंजी|รหัสผ่าน|κλειδί|מפתח"
    r"|密码|密碼|密钥|秘钥|令牌|パスワード|api[ ]?キー|アクセスキー|シークレット(?:キー)?|トークン|秘密鍵"
    r"|비밀번호|암호|시크릿|토큰|api[ ]?키|비밀[ ]?키|m(?:ậ|a)t[_ ]kh(?:ẩ|a)u|kh(?:ó|o)a[_ ]api"
    r"|كلمة[_ ](?:ال)?مرور|مفتاح|סיסמה"
    r"|κωδικός|kata[_ ]sandi|clave|chave|(?<![A-Za-z])cl[ée]|requirepass|masterauth|convertto-securestring"
    r"|slapta(?:ž|z)od(?:is|į|i)|(?<![A-Za-z])parole(?![a-z])|salasõna|(?<![A-Za-z])geslo|(?<![A-Za-z])(?:š|s)ifra"
    r"|лозинк[аеу]|шифр[аеу]|парол(?:ата|а)|கடவுச்சொல்|পাসওয়ার্ড|پاسورڈ|گذرواژه|رمز[_ ]عبور|գաղտնաբառ|პაროლი|የይለፍ[_ ]ቃል"
    r"|kata[_ ]laluan|συνθηματικό|סיסמא|api[_ ](?:raktas|võti|atslēga|բանալի|кључ|ključ)"
    r"|identified[ \t]+by|community[_-]?string|snmp[_-]?community"
    r"|(?:[A-Za-z0-9]+[_-])+key(?![a-z])"  # DEPLOY_KEY, signing-key, ssh_private_key
    r"|(?<![A-Za-z])(?:sid|sessid|phpsessid|jsessionid|session[_-]?id|sessionid|session)(?=[ \t]*=)"  # cookies
)
# A quoted value runs to its closing quote; a bare one stops at punctuation that cannot end a secret in running
# text or a query string (",", ";", "&", brackets) and at CJK characters and punctuation ("…です", "…，").
_VALUE = (
    r"""(?:\\?(?P<quote>\"\"\"|\'\'\'|["'`])(?P<quoted>[^"'`\s\\]{8,400}?)\\?(?P=quote)"""
    r"""|(?P<bare>(?:[^\s"'`,;&<>()\[\]{}“”„«»‹›「」『』‘’‚\u060c\u061b\u0964\u0965\u0e00-\u0e7f\u3000-\u30ff\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]|&(?!(?:amp;)?[\w.-]+=|[a-z]+;)){8,400}))"""
)
_OPENING_QUOTE = "[“„«»‹›「『‘‚]"  # typographic quotes open a value in running text ("senha “v”", "пароль «v»")
_ASSIGNMENT = re.compile(
    rf"""(?ix)
    (?P<key>(?:{_KEY_WORDS})[A-Za-z0-9_]*)
    (?:["'][ \t]*,                          # define('KEY', 'v')
      |["'][ \t]+value[ \t]*=               # <add key="Password" value="v"/>
      |[ \t]*:[ \t]*&?(?:'static[ \t]+)?[A-Za-z_][\w:<>\[\]]*[ \t]+=   # let api_token: &str = v (typed)
      |\}}[ \t]*\{{                          # LaTeX: newcommand with the name in braces, then the value
      |\\?["']?\]?[ \t]*(?::=|=|:|：|=>|\?\?|\|\|)  # key = v, key: v, "key": v, headers["X-Auth-Token"] = v, Go :=
      |>                                    # <password>v</password>
      |\([ \t]*                             # setPassword("v"), red:auth("v")
      |[ \t]+)                              # key v, Bearer v
    [ \t]*(?:<(?:code|kbd|tt|samp|b|strong)>|\\texttt\{{|{_OPENING_QUOTE})?
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
# label ends at a word's end ("API密钥是" counts, "secretary" does not); a copula may come a few words later, a
# colon or a CJK particle only right after a word or two; the words in between hold no quotes, colons or equals
# signs (those are assignments, handled above).
_PROSE = re.compile(
    rf"""(?ix)
    (?P<key>{_KEY_WORDS})(?![A-Za-z0-9_-])
    (?:[^\n.!?。"'`:=：]{{0,60}}?[ \t](?:is|was|are|lautet|ist|est|es|é|è|to|är|er|on|je|sono|wynosi|это|là
                                        |adalah|ialah|είναι|هي|هو|היא|הוא|คือ|és|ni|war|е(?![а-я])|হলো|হল)
                                        (?![A-Za-z])[ \t]*:?
      |[^\n.!?。"'`:=：/@]{{0,30}}?(?:[:：]|는|은|は|が|是|为|為|คือ|(?=[「『])))
    [ \t]*(?:{_OPENING_QUOTE}|<(?:code|kbd|tt|samp|b|strong)>)?{_VALUE}"""
)
# The value first, the label after it in the same sentence: "v ist ab Montag das neue Passwort", "v 是新的服务器
# root密码", "J'ai mis v comme mot de passe". The value starts the line or follows at most two short words.
_VALUE_FIRST = re.compile(
    rf"""(?ix)(?:^|(?<=\n))[ \t]*(?:[^\s:=]{{1,12}}[ \t]+){{0,2}}?[“„«「『"']?
    (?P<bare>[^\s"'`,;:=<>()\[\]{{}}\u0e00-\u0e7f\u3000-\u30ff\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]{{8,64}})[”“»」』"']?
    (?:[ \t]*[—–-][ \t]+|[ \t]*(?:是|が|は|이게)
      |[ \t]+(?:ist|is|è|es|est|är|er|je|on|là|είναι|это|هي|זו|זה|itu|adalah|este|como|comme|as|was|war|sono|jest
               |to)[ \t])
    [^\n.!?。:=]{{0,40}}?(?P<key>{_KEY_WORDS})"""
)
# Credentials inside a connection URL (postgres://user:v@host), a MySQL client's -p option (mysql -p'v'), curl's
# -u user:v, an Authorization header (Basic, Bearer, Token, Digest) and secret-named URL query parameters.
_URL_CREDENTIALS = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]{1,20})://(?:[^\s:/@]{0,64}|[^\s:/@]{1,64}@[\w.-]{1,64}):(?P<bare>[^\s@/]{6,200})@"
)  # the user name may be an e-mail address: smtp://ana@mail.pt:v@smtp.mail.pt
_SSHPASS = re.compile(rf"(?P<client>\bsshpass\b)[ \t]+-p[ \t]*{_VALUE}")
_NET_USE = re.compile(rf"(?P<client>\bnet[ \t]+use\b)[^\n]*?[ \t]/user:\S+[ \t]+(?!/){_VALUE}", re.IGNORECASE)
# .pgpass: host:port:database:user:password, one per line; a colon inside a field is escaped (\:)
_PGPASS_LINE = re.compile(
    r"^[\w.*-]+:(?:\d{1,5}|\*):[\w.*-]+:[\w.@*-]+:(?P<bare>(?:[^\s:\\]|\\.){6,200})$", re.MULTILINE
)
_REDIS_CLI = re.compile(rf"(?P<client>\bredis-cli\b)[^\n]*?[ \t]-a[ \t]+{_VALUE}")
_GH_SECRET = re.compile(rf"(?P<client>\bsecret[ \t]+set\b)[ \t]+\S+[ \t]+(?:--body|-b)[ \t]+{_VALUE}")  # gh secret set
# Go's database/sql DSN: user:password@tcp(host:port)/db
_GO_DSN = re.compile(r"[\"'`][\w.-]{1,64}:(?P<bare>[^\s\"'`@]{6,200})@(?:tcp|unix)\(")
# An Apple property list pairs <key>APIClientSecret</key> with the <string> after it.
_PLIST_VALUE = re.compile(
    rf"(?ix)<key>(?P<key>[\w.-]*(?:{_KEY_WORDS})[\w.-]*)</key>[ \t]*\n?[ \t]*<string>(?P<bare>[^<\s]{{8,200}})</string>"
)
_MYSQL_OPTION = re.compile(rf"(?P<client>\b(?:mysql|mysqldump|mysqladmin|mariadb)\b)[^\n]*?[ \t]-p{_VALUE}")
_CLI_USER = re.compile(rf"(?P<client>\b(?:curl|wget)\b)[^\n]*?[ \t](?:-u|--user)[ \t]+['\"]?[^\s:'\"]+:{_VALUE}")
_AUTH_HEADER = re.compile(
    rf"(?i)(?P<header>authorization)[\"']?[ \t]*[:=][ \t]*[\"']?(?:basic|bearer|token|digest|apikey|ssws)[ \t]+{_VALUE}"
)
_QUERY_PARAM = re.compile(
    r"(?i)[?&;](?P<param>app_?id|api_?key|apikey|key|token|access_token|auth|sig|signature|secret|client_secret"
    r"|password|passwd|pwd)=(?P<bare>[^&#;\s\"'<>]{8,200})"
)
# Every label, URL credential and MySQL option contains one of these (lower-cased) substrings.
_LABEL_LITERALS = (
    "key", "secret", "auth", "token", "salt", "bearer", "pass", "pwd", "senha", "parol", "hasło", "haslo",
    "lösenord", "losenord", "salasana", "adgangskode", "şifre", "sifre", "heslo", "jelszó", "lozinka", "contrase",
    "mot de passe", "mot_de_passe", "mot-de-passe", "wachtwoord", "kennwort", "пароль", "токен", "ключ", "密码",
    "密碼", "密钥", "秘钥", "令牌", "パスワード", "キー", "トークン", "シークレット", "秘密鍵", "비밀번호", "토큰",
    "khẩu", "المرور", "://", "mysql", "mariadb", "키", "مفتاح", "סיסמה", "κωδικός", "kata sandi", "kata_sandi", "clave",
    "chave", "clé", "convertto-securestring", "schlüssel", "jeton", "chiave", "klucz", "anahtar", "klic", "klíč",
    "kunci", "암호", "시크릿", "مرور", "كلمة", "टोकन", "โทเคน", "טוקן", "पासवर्ड", "कुंजी", "รหัสผ่าน", "κλειδί", "מפתח",
    "khau", "khoa", "khóa", "cle_api", "cle api", "jelsz", "slapta", "parole", "salasõna", "geslo", "šifr", "sifr",
    "лозинк", "шифр", "கடவுச்சொல்", "পাসওয়ার্ড", "پاسورڈ", "گذرواژه", "رمز", "գաղտնաբառ", "პაროლი", "የይለፍ", "laluan",
    "συνθηματικό", "סיסמא", "raktas", "võti", "atslēga", "բանալի", "кључ", "ključ",
    "identified", "community", "sshpass", "redis-cli", "@tcp(", "@unix(",
    "sid", "sess", "curl", "wget", "sig", "appid", "app_id", "psk", "net use", "contrasenya", "neno la siri",
    "pw", "nøkkel", "парол", "kulcs", "توکن", "credencial",
)  # fmt: skip
_LABELLED = (
    _ASSIGNMENT, _NAMED_BLOCK_VALUE, _PLIST_VALUE, _GO_DSN, _VALUE_FIRST, _PROSE, _URL_CREDENTIALS, _MYSQL_OPTION,
    _SSHPASS, _REDIS_CLI, _GH_SECRET, _CLI_USER, _AUTH_HEADER, _QUERY_PARAM, _NET_USE,
)  # fmt: skip
_SEARCHED_FROM_LINE_START = (_NAMED_BLOCK_VALUE, _PLIST_VALUE, _GO_DSN, _VALUE_FIRST)
_ASCII_WORD = re.compile(r"[A-Za-z0-9_.-]")
_STARTING_AT_LABEL = (
    _ASSIGNMENT, _PROSE, _MYSQL_OPTION, _SSHPASS, _REDIS_CLI, _GH_SECRET, _CLI_USER, _AUTH_HEADER, _NET_USE,
)  # fmt: skip
# "SharedAccessKeyName=...", "tokenizer: ...", "password_file: ...": the value names or counts something. Session
# cookies and access key ids end in "id" but are secrets (a key id is half of a credential pair).
_SECRET_DESPITE_NAME = re.compile(
    r"sid|sessid|phpsessid|jsessionid|session[_-]?id|sessionid|session|\w*access[_-]?key[_-]?id", re.IGNORECASE
)
_NOT_A_SECRET_KEY = re.compile(
    r"(?:name|id|type|ref|izer|ization|count|limit|length|url|uri|path|file|label|title|text|hint|placeholder|message"
    r"|description|prompt|project|region|zone|header|hash|digest|checksum|fingerprint|challenge|state|model|charset"
    r"|space|commit|sha|revision|etag|bucket"
    r"|encoding|collation|locale|dialect|driver|engine|user|username|login|email"
    r"|(?<!pas)(?<!odi)(?<!rakt)s)$",  # not slaptažodis, raktas
    re.IGNORECASE,
)
_LOGIN_TARGET = re.compile(r"[a-z_][a-z0-9_.-]*@[a-z][a-z0-9.-]*")  # user@host, lower case as hosts are written
_JSON_KEY_AFTER = re.compile(r"[\"'][ \t]*:")
_CMDLET = re.compile(r"[A-Z][a-z]+-(?:[A-Z][a-z]+)+")  # $pw = Read-Host -AsSecureString (PowerShell)
_INNER_ASSIGNMENT = re.compile(r"[a-z][a-z0-9_.-]{1,30}=[^=]")  # "key=...", not "WtT_=EF..." or base64 "...M="
# Under a "...key" name (idempotency_key), a UUID identifies a request; it does not authenticate.
_REQUEST_ID_KEY = re.compile(r"idempoten|request|correlation|trace|dedup|cache|partition|object|row", re.IGNORECASE)
_CODE_NAME = re.compile(
    r"[a-z_$][a-z0-9_$]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*|[A-Z][a-z]+[A-Z][A-Za-z]*|[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+"
)
# An unquoted ``settings.API_KEY``, ``Auth::Session.new`` or ``DEFAULT_TOKEN`` refers to a value defined elsewhere.
_REFERENCE = re.compile(
    r"[A-Z][A-Za-z]+-[A-Z][A-Za-z]+|[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
)


def secret_spans(text: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    """(start, end) of every secret; labelled values must reach ``min_entropy`` bits per character."""
    for match in _PRIVATE_KEY.finditer(text):
        yield match.start(), match.end()
    for match in _APP_PASSWORD.finditer(text):
        if _PASSWORD_WORD.search(text, max(0, match.start() - 60), match.start()):
            yield match.start(), match.end()  # Google app passwords: four groups of four letters
    if "define(" in text:
        for match in _WORDPRESS_KEY.finditer(text):
            yield match.start("value"), match.end("value")
    yield from vendor_token_spans(text, min_entropy)
    lowered = aligned_lower(text)  # once per text: the label search and the handover scans share it
    found: set[tuple[int, int]] = set()
    for match in _labelled_matches(text, lowered):
        span = _labelled_value(match, min_entropy)
        if span is not None and span not in found:
            found.add(span)
            yield span
    for span in table_secret_spans(text, lambda value: table_value(value, min_entropy)):
        if span not in found:
            found.add(span)
            yield span
    for span in handover_spans(text, lowered, min_entropy):
        if span not in found:
            found.add(span)
            yield span


def _labelled_matches(text: str, lowered: str) -> Iterator[re.Match[str]]:
    """Matches of the labelled patterns where their labels stand, and ``.pgpass`` lines."""
    for pattern, start, end in labelled_attempts(text, lowered):
        searched = pattern in _SEARCHED_FROM_LINE_START
        match = pattern.search(text, start, end) if searched else pattern.match(text, start, end)
        if match:
            yield match
    if text.count(":") >= 4:
        yield from _PGPASS_LINE.finditer(text)


def labelled_attempts(text: str, lowered: str) -> Iterator[tuple[re.Pattern[str], int, int]]:
    """(pattern, start, end): where each labelled pattern can begin, found from its label words.

    The labelled patterns start with long case-insensitive alternations that Python's ``re`` would try at every
    position (about 1 MB/s). Instead ``str.find`` locates the label words on the lower-cased text at memory speed,
    and each pattern is matched only where it can start: the start of the word holding the label, the word
    before it ("api ключ"), each part of a compound name (``X-Auth-Token``), the scheme before ``://``, the
    ``?``/``&`` before a query parameter. Named blocks are searched on the label's line.
    """
    seen: set[tuple[int, int]] = set()
    for literal in _LABEL_LITERALS:
        position = lowered.find(literal)
        while position >= 0:
            line_start = text.rfind("\n", 0, position) + 1
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            end = min(len(text), position + 520)  # the label, its separator and a value of up to 400
            word = position
            while word > max(line_start, position - 60) and (_ASCII_WORD.match(text, word - 1)):
                word -= 1
            starts = {position, word}
            for i in range(word + 1, position):  # X-Auth-Token, SharedAccessKey, api.key
                if text[i - 1] in "_-." or (text[i].isupper() and text[i - 1].islower()):
                    starts.add(i)
            before = word - 1
            while before > line_start and text[before - 1] == " ":
                before -= 1
            previous = before
            while previous > max(line_start, word - 40) and text[previous - 1].isalnum():
                previous -= 1
            starts.add(previous)
            for start in starts:
                for pattern in _STARTING_AT_LABEL:
                    if (id(pattern), start) not in seen:
                        seen.add((id(pattern), start))
                        yield pattern, start, end
            if word > 0 and text[word - 1] in "?&;" and (id(_QUERY_PARAM), word) not in seen:
                seen.add((id(_QUERY_PARAM), word))
                yield _QUERY_PARAM, word - 1, end
            if literal == "://":
                scheme = position
                while scheme > max(line_start, position - 20) and (
                    text[scheme - 1].isalnum() or text[scheme - 1] in "+.-"
                ):
                    scheme -= 1
                yield _URL_CREDENTIALS, scheme, end
            if line_end - line_start < 300 and (id(_NAMED_BLOCK_VALUE), line_start) not in seen:
                seen.add((id(_NAMED_BLOCK_VALUE), line_start))
                for pattern in _SEARCHED_FROM_LINE_START:
                    yield pattern, line_start, min(len(text), line_start + 600)
            position = lowered.find(literal, position + len(literal))


def _labelled_value(match: re.Match[str], min_entropy: float) -> tuple[int, int] | None:
    groups = match.groupdict()
    key = groups.get("key")
    token_start = max(match.string.rfind(" ", 0, match.start()), match.string.rfind("\n", 0, match.start())) + 1
    if "arn:" in match.string[token_start : match.start()]:
        return None  # arn:aws:secretsmanager:...:secret:prod/db names a secret, it is not one
    if key and NOT_CREDENTIAL_LABEL.search(match.string[token_start : match.end("key")]):
        return None  # csrftoken=..., x-csrf-token: ...
    if key and names_no_secret(key):
        return None
    if groups.get("quoted"):
        value, start = groups["quoted"], match.start("quoted")
        if _JSON_KEY_AFTER.match(match.string, match.end("quoted")):
            return None  # {"name": "DB_PASSWORD", "valueFrom": "arn:…"}: the next key, not a value
    else:
        value, start = groups["bare"], match.start("bare")
        if match.re is _PROSE or ("key" in groups and not _operator(match, start)):
            value = value.rstrip(".:?")  # "... is v." ends a sentence; "password: v?" in a config is the value
        elif value.endswith(".") and _SENTENCE_GOES_ON.match(match.string, start + len(value)):
            value = value.rstrip(".")  # "root-salasana: v. Vaihda se heti.": a sentence ends, another begins
        value = re.split(r"\\[nrt\"]", value, maxsplit=1)[0]  # "KEY=v\n" inside a JSON string (notebooks)
        if (
            value.startswith((":", "@", "|", "--"))
            or "||" in value  # a table row: "Password amministratore||Firmware||"
            or (value.endswith(":") and value[:-1].isidentifier())  # "forHTTPHeaderField:": the next label
            or len(value) < 8
            or _CMDLET.fullmatch(value)
            or _is_reference(match, value)
            or _INNER_ASSIGNMENT.match(value)
        ):
            return None  # "key=glpat-..." after "create_key ": the next field, not this label's value
    if key is not None and match.re is not _VALUE_FIRST and _spaced_word(match, start, value):
        return None
    if key is not None and _LOGIN_TARGET.fullmatch(value) and not _operator(match, start):
        return None  # "ssh -i deploy_key git@web-01": the login after a key file
    if match.re is _PROSE and any(map(_earlier_value, match.string[match.end("key") : start].split())):
        return None  # "pw is now v (network: Lab-IoT-NT9)": the label's value came first
    if key and names_no_secret(key, value):
        return None  # idempotency_key, request key: a UUID after "password" is still a password
    if match.string[start + len(value) : start + len(value) + 1] == "(":
        return None  # Session session = Session.getInstance(props): a call, not a value
    if _inside_ip_address(match.string, start, start + len(value)):
        return None  # "heslo v, server 2606:47b0:…": the colon belongs to an IPv6 address, not to a label
    if value.startswith("\\verb|") and "|" in value[6:]:
        start, value = start + 6, value[6 : value.index("|", 6)]  # LaTeX: \verb|v|
    start, end = _without_user_name(match, *without_encoding_prefix(match.string, start, start + len(value)))
    value = match.string[start:end]
    slot = match.re in _PASSWORD_SLOTS  # the place itself says password: "Y5Ba_h2Ba" in .pgpass counts
    if looks_random(value, min_entropy - 0.5 if slot else min_entropy) or (
        _names_a_password(match) and is_passphrase(value)
    ):
        return start, end
    return None


def _earlier_value(word: str) -> bool:
    word = word.strip("()[],;")
    return len(word) >= 8 and _HAS_LETTER_AND_DIGIT.match(word) is not None and looks_random(word, 3.0)


_HAS_LETTER_AND_DIGIT = re.compile(r"(?=.*[A-Za-z])(?=.*\d)")
# A full stop then a capitalised word or the end of the line: the sentence ended after the value (passwords end
# in a full stop far more rarely than sentences do).
# Scripts without capitals (Hebrew, Arabic, CJK, …) continue a sentence with any letter.
_SENTENCE_GOES_ON = re.compile(
    r"[ \t]+[A-ZÀ-ÖØ-ÞА-ЯΑ-Ω\u0590-\u06ff\u0900-\u0dff\u0e00-\u0eff\u3040-\u9fff\uac00-\ud7af]|[ \t]*(?:\r?\n|$)"
)
# Slots that hold a password and nothing else: URL userinfo, client options, a key that says password or PSK.
_PASSWORD_SLOTS = (_URL_CREDENTIALS, _GO_DSN, _SSHPASS, _REDIS_CLI, _MYSQL_OPTION, _CLI_USER, _NET_USE, _PGPASS_LINE)
_PASSWORD_KEY = re.compile(_PASSWORD_WORD.pattern + r"|psk|^secret$", re.IGNORECASE)


# "stats auth user:password" (HAProxy), "cloud.auth: elastic:password", CURLOPT_USERPWD "user:password": under an
# auth or credentials label a user name and a colon come before the password.
_USER_COLON = re.compile(r"[A-Za-z][\w.@-]{0,63}:(?=[^\s:]{6})")
_USER_PASSWORD_KEY = re.compile(r"auth|cred|userpwd|usrpwd|login|basic", re.IGNORECASE)


def _without_user_name(match: re.Match[str], start: int, end: int) -> tuple[int, int]:
    key = match.groupdict().get("key")
    user = _USER_COLON.match(match.string, start, end)
    if key and user and _USER_PASSWORD_KEY.search(key) and ":" not in match.string[user.end() : end]:
        return user.end(), end
    return start, end


def _names_a_password(match: re.Match[str]) -> bool:
    key = match.groupdict().get("key")
    return match.re in _PASSWORD_SLOTS or bool(key and _PASSWORD_KEY.search(key))


def _inside_ip_address(text: str, start: int, end: int) -> bool:
    word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), text.rfind("\t", 0, start)) + 1
    try:
        ipaddress.ip_address(text[word_start:end].rstrip(".,;"))
    except ValueError:
        return False
    return True


def names_no_secret(key: str, value: str | None = None) -> bool:
    """A name that says its value is no secret: ``tokenizer``, ``api_key_name``, ``public_key``; and a UUID under
    ``idempotency_key`` or a request, trace or cache key."""
    if value is not None:
        return bool(UUID.fullmatch(value) and _REQUEST_ID_KEY.search(key))
    if NO_CREDENTIAL_LABEL.search(key):
        return True
    return not _SECRET_DESPITE_NAME.fullmatch(key) and bool(_NOT_A_SECRET_KEY.search(key) or PUBLIC_LABEL.search(key))


def _is_reference(match: re.Match[str], value: str) -> bool:
    """``settings.API_KEY``, ``process.env.TOKEN``, ``DEFAULT_TOKEN``: code naming a value kept elsewhere. Never
    inside a URL, only after an operator or colon, and only with a lower-case or UPPER_SNAKE part:
    "Tornado.Nebula1465" after "password:" is a password."""
    if match.re in (_QUERY_PARAM, *_PASSWORD_SLOTS) or not _REFERENCE.fullmatch(value):
        return False
    if is_passphrase(value) and _whole_line(match, value):
        return False  # MAIL_PASSWORD=vortex.quill.radish.granite: a config line holds literals, not expressions
    if match.re is not _VALUE_FIRST and "key" in match.groupdict():
        if _operator(match, match.start("bare")) not in ("=", ":", ":=", "=>", "：", "?=", "("):
            return False  # "пароль Marmelade.Fjord1791", "mật khẩu wifi là harbor.Sunflower93": prose, not code
    first, *rest = re.split(r"\.|::|-", value)
    if _CODE_NAME.fullmatch(first):
        return True
    # Auth::Session.new: a capitalised module, then code; "ATdswwNma3.tbmr" starts with no name at all
    return re.fullmatch(r"[A-Z][a-z]+", first) is not None and any(_CODE_NAME.fullmatch(part) for part in rest)


def _whole_line(match: re.Match[str], value: str) -> bool:
    """The value ends its line and no code comes before the label (``.env``, ``.properties``, INI, YAML, prose)."""
    text, key_start = match.string, match.start("key")
    line_start = text.rfind("\n", 0, key_start) + 1
    value_end = match.start("bare") + len(value)
    code_before = any(mark in text[line_start:key_start] for mark in "({[,=")
    return not code_before and text[value_end : value_end + 1] in ("", "\n", "\r")


def _operator(match: re.Match[str], value_start: int) -> str:
    """What stands between a label and its value, without spaces and quotes: "=", ":", "" for "Bearer v"."""
    return match.string[match.end("key") : value_start].strip(" \t\"'`")


def _spaced_word(match: re.Match[str], value_start: int, value: str) -> bool:
    """Label and value joined by white space alone ("Bearer v", "requirepass v") is the weakest form: it is
    also how words follow words. A label inside a longer word ("eindrückliche Vorstellung") never counts
    there (a camelCase part does), and a value that is a plain word ("Token Vorstellung") does not either."""
    if _operator(match, value_start):
        return False
    text = match.string
    key_start = match.start("key")
    before = text[key_start - 1] if key_start else " "
    camel_case = before.islower() and text[key_start].isupper()  # storePassword 'v' (Gradle)
    inside_word = before.isascii() and before.isalnum() and not camel_case
    return inside_word or value.replace("-", "").isalpha()  # "Google-nya": a word with a suffix
