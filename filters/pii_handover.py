"""Credentials handed to someone without a label beside them: the answer to a question that asks for a password
or key, a ``user / password`` pair, an access code or PIN given in a sentence, a support reply that resets a
password, a quoted diceware passphrase, a password option after a user option, ``echo v | docker login`` and
``chpasswd`` lists.

Each form has its own evidence in place of the label: the question on a line before ("koks slaptažodis svečių
wifi?" then "Mantas: v"), an e-mail address or a login word before the slash, a word that says access code or
PIN, the tool that takes the password. The value itself must still look like a credential (``looks_random``,
a passphrase), so a reply such as "It's on the fridge" or "use code SAVE20" is never a secret. Every scan first
looks for its words with ``str.find`` or a substring test: a case-blind pattern tried at every position of a page
would cost more than all of them together.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from filters.pii_lexicon import PW_WORD, lexicon_hits
from filters.pii_values import is_access_code, is_passphrase, is_spaced_passphrase, looks_random

_QUESTION_CLASSES = ("pass", "key", "token", "secret", "code")
# Requests that ask without a question mark: "Wi-Fiのパスワード教えて", "รหัสไวไฟคืออะไร", "скинь пароль".
_REQUESTS = ("教えて", "ください", "คืออะไร", "หน่อย", "скинь", "пришли", "send me", "kan du sende", "schick mir")
_REQUEST = re.compile("|".join(_REQUESTS), re.IGNORECASE)
# Door, store-room and alarm codes asked for in chat: "kód od skladu?", "koda za vrata?", "kod pintu?", "кодът?"
_CODE_QUESTION = re.compile(r"(?i)(?<![a-z])(?:code|kód|koda|kod|kode|koodi|kodu|código|codice|код\w*)(?![a-z])")
_RECORD_WORD = re.compile(  # a booking, order or tracking code opens nothing
    r"(?i)reserv|book|buchung|order|bestell|pedido|commande|track|flight|flug|voo|vuelo|vol\b|ticket|promo|rabatt|discount"
)
_QUESTION_END = re.compile(r"[?？][ \t\u2000-\u2bff\ufe0f\U0001f000-\U0001faff]*$")  # emoji may follow
# A chat line's speaker ("Mantas: ", "[10:26] Ingrid: ") or a line that is only a speaker and a time.
_SPEAKER_NAME = r"[^\s:：,，、。]{1,24}"
_SPEAKER = re.compile(
    rf"[ \t]*(?:\[[^\]\n]{{1,24}}\][ \t]*)?(?:{_SPEAKER_NAME}(?:[ \t]{_SPEAKER_NAME})?[ \t]?[:：](?!//)[ \t]*)?"
)
_HEADER_LINE = re.compile(r"[ \t]*[^\n]{0,40}\b\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?[\])]?[ \t]*$")
_ANSWER_TOKEN = re.compile(r"[^\s,，、。;；“”\"'`()（）]+")
_NAMING_WORD = re.compile(
    r"(?:user|usuario|utilisateur|benutzer|login|network|netz|ssid|server|servidor|host|name)[^\s]*[ \t:]*$", re.I
)
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")  # questions written without spaces
_ANSWER_LINES = 4
_ANSWER_WORDS = 4


def answered_questions(text: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    """The first credential-looking word of the reply to a line that asks for a password, key, token or code."""
    asked: set[int] = set()
    for mark in ("?", "？", *_REQUESTS):
        position = text.find(mark)
        while position >= 0:
            line_start = text.rfind("\n", 0, position) + 1
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            if line_start not in asked:
                asked.add(line_start)
                span = _answer(text, line_start, line_end, min_entropy)
                if span:
                    yield span
            position = text.find(mark, line_end)


def _answer(text: str, line_start: int, line_end: int, min_entropy: float) -> tuple[int, int] | None:
    line = text[line_start:line_end]
    asks = _QUESTION_END.search(line) or _REQUEST.search(line)
    if not asks or (len(line.split()) < 3 and not _CJK.search(line)):
        return None  # "DATA_SOURCE_PASS=Velvetharbor27?" is an assignment, not a question
    classes = {kind for _, kind in lexicon_hits(line)} | ({"pass"} if PW_WORD.search(line) else set())
    classes |= {"code"} if _CODE_QUESTION.search(line) and not _RECORD_WORD.search(line) else set()
    if not classes.intersection(_QUESTION_CLASSES):
        return None
    reply_start = line_end + 1
    for _ in range(_ANSWER_LINES):
        if reply_start > len(text):
            return None
        reply_end = text.find("\n", reply_start)
        reply_end = len(text) if reply_end < 0 else reply_end
        reply = text[reply_start:reply_end]
        if reply.strip() and not _HEADER_LINE.fullmatch(reply):
            span = _credential_in_reply(reply, "pass" in classes, "code" in classes, min_entropy)
            return (reply_start + span[0], reply_start + span[1]) if span else None  # only the first reply answers
        reply_start = reply_end + 1
    return None


def _credential_in_reply(
    reply: str, asks_for_password: bool, asks_for_code: bool, min_entropy: float
) -> tuple[int, int] | None:
    if _QUESTION_END.search(reply) or len(reply) > 160 or lexicon_hits(reply):
        return None  # a second question, a paragraph, or a reply with its own labels ("network is X, key is v")
    speaker = _SPEAKER.match(reply)
    position = speaker.end() if speaker else 0
    for word in list(_ANSWER_TOKEN.finditer(reply, position))[:_ANSWER_WORDS]:
        value = word.group().rstrip(".!?:")
        if reply.startswith(" / ", word.end()):
            continue  # "Bluelogic-Guest / v": the network or account, then its password
        if asks_for_code and is_access_code(value):
            return word.start(), word.start() + len(value)  # "jaký je kód od skladu?" / "AUC0KTR, ale …"
        if len(value) < 8 or "@" in value or "://" in value:
            continue
        if _NAMING_WORD.search(reply, 0, word.start()):
            continue  # "servidor 122.84.185.203, usuario orders_app1": an account or a network, not its key
        if looks_random(value, min_entropy) or (asks_for_password and is_passphrase(value)):
            return word.start(), word.start() + len(value)
    whole = reply[position:].strip()
    if asks_for_password and is_spaced_passphrase(whole):
        return position, position + len(whole)  # "Luka: otter nebula meadow 985"
    return None


# "kim.a@gmx.de / tuodki=g7FFL", "`dev@shop.io` / `v`", "Zugangsdaten: mateus_mor / v": an account, a slash, and
# its password. A user name without an e-mail address counts only after a login word on the same line.
_ACCOUNT_BEFORE_SLASH = re.compile(r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[A-Za-z][\w.-]{2,40})`?[ \t]+$")
_PASSWORD_AFTER_SLASH = re.compile(r"[ \t]+`?(?P<value>[^\s`/]{8,64}?)`?(?=[\s,;)]|[.!?](?:\s|$)|$)")
_LOGIN_WORD = re.compile(r"login|logon|zugang|credential|account|konto|compte|cuenta|conta|accesso|inloggning", re.I)


def user_password_pairs(text: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    slash = text.find(" / ")
    while slash >= 0:
        account = _ACCOUNT_BEFORE_SLASH.search(text, max(0, slash - 80), slash + 1)
        password = account and _PASSWORD_AFTER_SLASH.match(text, slash + 2)
        if account and password:
            value = password.group("value")
            line_start = text.rfind("\n", 0, slash) + 1
            named = "@" in account.group() or _LOGIN_WORD.search(text, line_start, account.start())
            if named and not value.isalpha() and looks_random(value, min_entropy):
                yield password.start("value"), password.end("value")
        slash = text.find(" / ", slash + 3)


# "access code for the tenant portal is KB2KPZK8", "Zugangscode Paketstation: 2UJOVEE3", "PIN accesso portale:
# CLY1C2R": short codes mixing capitals and digits. A bare "code" is a discount, booking or error code.
_ACCESS_CODE = re.compile(
    r"(?i:(?:access|entry|door|alarm|gate|unlock|zugangs|tür|sicherheits)[ _-]?code|passcode"
    r"|code[ \t]+d'acc[eè]s|codice[ \t]+(?:di[ \t]+)?accesso|código[ \t]+de[ \t]+acceso"
    r"|(?:larm|port|dörr|dør|alarm|garage|grind)(?:kod|kode|code)|pin-?(?:kode|kód|koodi|kood|kodas|númer|код)"
    r"|пин|пін)(?![a-zа-я])|(?<![A-Za-z])(?:PIN|pin(?=[\"']?[ \t]*[:=]))(?![A-Za-z])|পিন|पिन|پین"
)
# The code follows a colon, a copula ("is", "ist", "changed to") or the label itself ("code d'accès CZY972").
_CODE_VALUE = re.compile(
    r"(?:[^\n.!?:=]{0,40}?(?:[:：=]|[ \t](?:is|ist|lautet|est|es|è|era|was|to)(?![a-z]))|(?=[ \t]))"
    r"[ \t]*[\"']?(?P<value>[A-Z0-9]{6,8})(?![\w-])"
)


def access_codes(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    labels: set[int] = set()
    for literal in ("code", "pin", "codice", "código", "kod", "пин", "пін", "পিন", "पिन", "پین"):
        position = lowered.find(literal)
        while position >= 0:  # str.find first: the label pattern's case-blind alternation is slow over all text
            label = _ACCESS_CODE.search(text, max(0, position - 12), position + 24)
            if label and label.end() not in labels:
                labels.add(label.end())
                match = _CODE_VALUE.match(text, label.end())
                value = match.group("value") if match else ""
                if match and is_access_code(value):
                    yield match.start("value"), match.end("value")
            position = lowered.find(literal, position + len(literal))


# "I'm locked out again" / "reset it to v for now": a support reply that sets a password.
_RESET_TO = re.compile(
    r"(?i)(?:reset|changed?|set)[ \t]+(?:it|that|(?:the|your|his|her|their)[ \t]+(?:password|pw|pin))[ \t]+to[ \t]+"
    r"[\"'`]?(?P<value>[^\s\"'`]{8,64}?)[\"'`]?(?=[\s,;)]|[.!?](?:\s|$)|$)"
)


def reset_passwords(text: str, lowered: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    if " to " not in text or not any(verb in lowered for verb in ("reset", "chang", "set ")):
        return
    for match in _RESET_TO.finditer(text):
        if looks_random(match.group("value"), min_entropy):
            yield match.start("value"), match.end("value")


# cloud-init's ``chpasswd: list: |`` block and ``echo 'user:v' | chpasswd``: one user:password per line.
_CHPASSWD_BLOCK = re.compile(
    r"chpasswd:[ \t]*\n(?:[ \t]+[^\n]*\n)*?[ \t]+list:[ \t]*\|[ \t]*\n(?P<body>(?:[ \t]+[^\n]*\n?)+)"
)
_CHPASSWD_LINE = re.compile(r"^[ \t]+[\w.-]+:(?P<value>[^\s:]{6,128})$", re.MULTILINE)
_ECHO_TO_LOGIN = re.compile(
    r"echo[ \t]+(?:-n[ \t]+)?[\"']?(?P<value>[^\s\"'$|]{6,200})[\"']?[ \t]*\|[ \t]*(?:sudo[ \t]+)?"
    r"(?:docker|podman|helm(?:[ \t]+registry)?|nerdctl|buildah|oras|skopeo)[ \t]+login"
)  # echo "v" | docker login --password-stdin
_CHPASSWD_ECHO = re.compile(
    r"echo[ \t]+['\"]?[\w.-]+:(?P<value>[^\s:'\"]{6,128})['\"]?[ \t]*\|[ \t]*(?:sudo[ \t]+)?chpasswd"
)


def piped_logins(text: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    if "login" not in text or "echo" not in text:
        return
    for match in _ECHO_TO_LOGIN.finditer(text):
        if looks_random(match.group("value"), min_entropy):
            yield match.start("value"), match.end("value")


def chpasswd_entries(text: str) -> Iterator[tuple[int, int]]:
    if "chpasswd" not in text:
        return
    for block in _CHPASSWD_BLOCK.finditer(text):
        indent = len(block.group("body")) - len(block.group("body").lstrip(" \t"))
        for line in _CHPASSWD_LINE.finditer(text, block.start("body"), block.end("body")):
            if len(line.group()) - len(line.group().lstrip(" \t")) < indent:
                break
            if line.group("value") != "RANDOM":
                yield line.start("value"), line.end("value")
    for match in _CHPASSWD_ECHO.finditer(text):
        yield match.start("value"), match.end("value")


# "az login -u <app id> -p v", "docker login -u ci -p v": a password option right after a user option.
_PASSWORD_OPTION = re.compile(
    r"(?<!\S)(?:-u|--user(?:name)?)[ \t=]+\S+[ \t]+(?:-p|--password)[ \t=]+[\"']?(?P<value>[^\s\"']{8,200})"
)


def password_options(text: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    if " -p" not in text and "--password" not in text:
        return
    for match in _PASSWORD_OPTION.finditer(text):
        if looks_random(match.group("value"), min_entropy):
            yield match.start("value"), match.end("value")


# RESTIC_PASSWORD='Orbit Saffron Willow 915', psk="meadow pepper willow prism 903": a quoted diceware passphrase.
_QUOTED_PASSPHRASE = re.compile(
    r"(?i)(?:pass|pwd|psk|passphrase|contrase|senha|kennwort|wachtwoord|mot[_ ]de[_ ]passe)[\w-]*[\"']?[ \t]*[:=][ \t]*"
    r"(?P<quote>[\"'])(?P<value>[A-Za-z0-9][A-Za-z0-9 ]{8,80})(?P=quote)"
)


def quoted_passphrases(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    for word in ("pass", "pwd", "psk", "contrase", "senha", "kennwort", "wachtwoord", "mot de passe", "mot_de_passe"):
        position = lowered.find(word)
        while position >= 0:  # str.find first: the case-blind pattern is slow when tried at every position
            match = _QUOTED_PASSPHRASE.match(text, position)
            if match and is_spaced_passphrase(match.group("value")):
                yield match.start("value"), match.end("value")
            position = lowered.find(word, position + len(word))


# "one-time recovery codes for the shared ops account:" then one code a line: every line is a code.
_CODE_LIST_HEADING = re.compile(
    r"(?im)(?:recovery|backup|one-time|einmal|wiederherstellung|secours|respaldo)[^\n]{0,40}codes?\b[^\n]*:[ \t]*$"
)
_CODE_LIST_LINE = re.compile(r"[ \t]*(?:[-*•]|\d{1,2}[.)])?[ \t]*(?P<value>(?=[A-Za-z-]*\d)[A-Za-z0-9-]{6,20})[ \t]*$")


def code_lists(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    if "codes" not in lowered:
        return
    for heading in _CODE_LIST_HEADING.finditer(text):
        spans = []
        position = heading.end() + 1
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            line = _CODE_LIST_LINE.fullmatch(text, position, line_end)
            if not line:
                break
            spans.append(line.span("value"))
            position = line_end + 1
        if len(spans) >= 2:
            yield from spans


# require('twilio')('AC…', 'v'): an auth token passed right after its account SID
_TWILIO_PAIR = re.compile(r"AC[0-9a-f]{32}[\"'][ \t]*,[ \t]*[\"'](?P<value>[0-9a-f]{32})[\"']")


def twilio_pairs(text: str) -> Iterator[tuple[int, int]]:
    if "AC" in text:
        yield from (match.span("value") for match in _TWILIO_PAIR.finditer(text))


def handover_spans(text: str, lowered: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    """Every form above; ``lowered`` is ``aligned_lower(text)``, computed once by the caller."""
    yield from answered_questions(text, min_entropy)
    yield from reset_passwords(text, lowered, min_entropy)
    yield from user_password_pairs(text, min_entropy)
    yield from access_codes(text, lowered)
    yield from chpasswd_entries(text)
    yield from piped_logins(text, min_entropy)
    yield from password_options(text, min_entropy)
    yield from quoted_passphrases(text, lowered)
    yield from code_lists(text, lowered)
    yield from twilio_pairs(text)
