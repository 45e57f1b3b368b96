"""Credential words in many languages: what a label, a column header or a list heading says a value is.

Each stem has a class: ``pass`` (password words), ``key``, ``token``, ``secret``, ``auth``, and for one-time codes
``code`` and ``backup``. The secret tagger uses the classes as features, the table reader to find secret columns.
"""

from __future__ import annotations

import re

LEXICON: dict[str, str] = {}
for _class, _stems in {
    "pass": "password passwort passwd pwd pass passphrase passcode kennwort contraseña contrasena senha motdepasse "
    "mot_de_passe wachtwoord parola parolă contrasenya hasło haslo lösenord losenord salasana adgangskode passord "
    "şifre sifre heslo jelszó jelszo lozinka parool пароль парол κωδικός סיסמה مرور كلمة رمز पासवर्ड รหัสผ่าน khẩu "
    "sandi katalaluan "
    "密码 密碼 口令 パスワード 暗証 비밀번호 암호 nenosiri psk wpa_passphrase requirepass masterauth slaptažodis "
    "slaptazodis parole salasõna geslo šifra sifra лозинка шифра கடவுச்சொல் পাসওয়ার্ড پاسورڈ گذرواژه գաղտնաբառ "
    "პაროლი የይለፍ laluan συνθηματικό סיסמא",
    "key": "key apikey clave chave clé cle schlüssel schluessel chiave klucz klíč klic kulcs nøgle nøkkel nyckel avain "
    "anahtar ключ κλειδί מפתח مفتاح कुंजी キー 키 密钥 秘钥 金鑰 kunci raktas võti atslēga cheie ključ кључ சாவி "
    "გასაღები բանալի کلید",
    "token": "token jeton токен توکن טוקן टोकन โทเคน トークン 토큰 令牌 bearer",
    "secret": "secret segredo secreto geheim シークレット 시크릿 秘密 salt credential credentials creds",
    "auth": "auth authorization login",
    # One-time codes come in lists under a heading: "Backup codes", "Yedek kodlar", "Резервные коды", "备用验证码".
    "code": "code codes códigos codigos codici kody kódy koder koodit kodlar коды кодове кодови κωδικοί コード 코드 "
    "验证码 رموز קודים misimbo",
    "backup": "backup recovery yedek záložné zálohové резервные резервни резервні respaldo recuperación rezervă "
    "akiba バックアップ 备用 備用 백업 varakoodit varmuus reservekoder sicherungscodes wiederherstellungscodes "
    "récupération secours ripristino backupkoder",
}.items():
    for _stem in _stems.split():
        LEXICON[_stem] = _class


def _stem_pattern(stem: str) -> str:
    """A short ASCII stem starts a word or a name part (``db_pass``, ``dbPass``), never inside a word
    (``compass``, ``monkey``); a long one also counts inside a compound (``PGPASSWORD``, ``dbpassword``). Other
    scripts have no such boundary to rely on."""
    if not stem.isascii() or len(stem) >= 6:
        return rf"(?i:{re.escape(stem)})"
    return rf"(?i:(?<![a-z]){re.escape(stem)})|(?<=[a-z]){re.escape(stem.capitalize())}"


LEXICON_PATTERN = re.compile("|".join(_stem_pattern(s) for s in sorted(LEXICON, key=len, reverse=True)))


# Names under which no value is a credential: published on purpose (public keys, publishable keys, reCAPTCHA site
# keys, Algolia search-only keys), protecting a form or a request rather than an account (CSRF tokens, nonces,
# Rails' authenticity tokens, idempotency keys), naming a token (Vault accessors), or locating data (cache keys,
# pagination tokens).
PUBLIC_LABEL = re.compile(
    r"p[uú]blic|(?<![a-z])pub[_-]|search[_-]?(?:only[_-]?)?(?:api[_-]?)?key"
    # a Shopify app's API key is its client id and a Pusher app key ships to browsers; their secrets are the secrets
    r"|shopify[_-]?api[_-]?key|pusher[_-]?app[_-]?key",
    re.IGNORECASE,
)
NO_CREDENTIAL_LABEL = re.compile(
    r"csrf|xsrf|nonce|accessor|publishable|authenticity|site[_ -]?key|idempoten|cache[_ -]?key|page[_ -]?token"
    r"|(?<![a-z0-9])_token(?![a-z])"  # Laravel's form field
    r"|next[_ -]?token|continuation|grecaptcha|chave[_ ]do[_ ]site|cl[ée][_ ]du[_ ]site|clave[_ ]del[_ ]sitio",
    re.IGNORECASE,
)
NOT_CREDENTIAL_LABEL = re.compile(f"{PUBLIC_LABEL.pattern}|{NO_CREDENTIAL_LABEL.pattern}", re.IGNORECASE)


# "pw" is too short a stem for the lexicon ("pwned"); as a word of its own it names a password ("db pw?", "WiFi PW").
PW_WORD = re.compile(r"(?i)(?<![a-z])pw(?![a-z])")


def aligned_lower(text: str) -> str:
    """``text`` lower-cased with its offsets kept: the few characters that lower-case to two ("İ") stay as they are,
    so a position found in the result indexes the original."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def lexicon_class(word: str) -> str:
    """The kind of credential a lexicon word names: pass, key, token, secret, auth, code or backup."""
    return LEXICON[word.lower()]


def lexicon_hits(text: str) -> list[tuple[int, str]]:
    """(offset, class) of every lexicon word in ``text``."""
    lowered = text.lower()
    if not any(stem in lowered for stem in LEXICON):  # substring tests in C: most text holds no credential word
        return []
    return [(m.start(), LEXICON[m.group().lower()]) for m in LEXICON_PATTERN.finditer(text)]
