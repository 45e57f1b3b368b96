"""IP addresses in text: IPv4 and IPv6, told apart from version, build and section numbers by their context.

A dotted quad is an address unless its own context says version ("version 1.2.3.4", ``AssemblyVersion("…")``, a
Firmware column, "1.2.3.4版") or a neighbour cannot be an address ("10.0.20105.2118", "1.2.3.4.5"): version
numbers come in blocks. Boundaries are ASCII, so CJK text that touches an address still yields it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

# Boundaries are ASCII: Chinese and Japanese text often touches an address with no space ("来自49.12.40.217的请求").
# Not inside a product token (Chrome/124.0.0.0) or a longer number, but after "://" (http://IP/) and after "IP"
# written against the address, as CJK text does ("接続元IP57.205.184.251から").
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![A-Za-z0-9_]|\.\d)")


# Before a slash an address starts a UNC path (//host/share), follows a Squid hierarchy code (HIER_DIRECT/host)
# or an OpenVPN client name (hannah/175.184.75.187:8867, the port follows).
_ADDRESS_AFTER_SLASH = re.compile(r"(?:^|[\s\\:])//$|(?<![\w/])[A-Z][A-Z_]+/$")
_CLIENT_BEFORE_ENDPOINT = re.compile(r"(?:^|\s)[\w.@-]+/$")
_ENDPOINT = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}:\d{1,5}(?!\d)")


def _ipv4_boundary_ok(text: str, start: int) -> bool:
    if start == 0 or not (text[start - 1].isascii() and (text[start - 1].isalnum() or text[start - 1] in "_/")):
        return True
    if text.endswith(("://", "IP"), 0, start) or _ADDRESS_AFTER_SLASH.search(text, max(0, start - 24), start):
        return True
    endpoint = _ENDPOINT.match(text, start)
    return bool(endpoint) and bool(_CLIENT_BEFORE_ENDPOINT.search(text, max(0, start - 40), start))


_IPV6 = re.compile(
    r"(?:(?<=ip6:)|(?<![A-Za-z0-9_:.]))(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![A-Za-z0-9_:])"
)
_TCPDUMP_ADDRESS = re.compile(r"(?:(?<=\bIP )|(?<= > ))((?:\d{1,3}\.){3}\d{1,3})\.\d{1,5}(?=[: ])")
# A full eight-group address with a port glued on without brackets, as netstat and ss print it.
_IPV6_WITH_PORT = re.compile(r"(?<![\w:.])((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}):\d{1,5}(?![\w:])")
# Words that make a dotted quad a version or section number; looked for shortly before it on the same line.
VERSION_CONTEXT = re.compile(
    r"\bv\s*$|version|versi[oó]n|vers[aã]o|versione|release|"
    r"(?<![\w-])build(?![\w-]|[ \t]*(?:box|server|host|machine|agent|node|runner|\.|:|@)"
    r"|[ \t]+#?\d+[ \t]+(?:to|on|onto)\b)|"
    r"fingerprint|firmware|update|upgrade|patch|"
    r"\bver\b|\boid|attribute|扩展|\brev\b|section|§|mise à jour|バージョン|版本|^\s*#+\s*\[?\s*$|wersj|versie|버전|"
    r"الإصدار|\bEC\b|"
    r"abschnitt|artikel|article|apartado|art\.|clause|paragraph|kapitel|chapter|\boid\b|верси|обновлен|"
    r"bootloader|modem|baseband|kernel|driver|bios|sec:|\\label\{|\btable\b|\btab\.|fig\.|figure|\beq\.|"
    r"tabelle|annexe?|appendix|anhang|anlage|пункт|приложени|раздел|глав|第|図|表|附录|附件|cap[ií]tulo|cap\.|"
    r"secci[oó]n|se[cç][aã]o|paragraphe|alin[ée]a|norm\b|ziffer|punkt|punto|capitolo|downgrad|rollback|"
    r"phiên bản|\bversi\b|\bverz(?:e|i|í|ia)\b|wersj|גרסה|เวอร์ชัน|έκδοση|версі|संस्करण|sürüm|버전|版|"
    r"\binstalled:|\bcandidate:|"  # apt-cache policy
    r"[\w.-]+:[\w.-]+:$",  # Maven-style coordinates: com.vendor:sdk:7.13.2.99
    re.IGNORECASE,
)


# A dotted number that cannot be an address (a part over 255, or five or more parts) marks its neighbours as
# versions or section numbers too ("Bootloader: 4.8.3.2 / Baseband: 10.0.20105.2118").
_DOTTED_NUMBER = re.compile(r"(?<![\w./])\d+(?:\.\d+){3,}(?!\.?\d)")  # not after "/": Chrome/124.0.6367.91
# A malformed address is still labelled as one ("Address = 10.8.0.275/24", "IPv4=10.8.0.941"): no version.
_ADDRESS_LABEL = re.compile(r"(?:ip(?:v4)?|addr(?:ess)?|inet)[ \t]*[=:]?[ \t]*$", re.IGNORECASE)
_USER_AGENT_TOKEN = re.compile(r"\S+/[\d.]+")  # "Version/17.4.1 Safari/605.1.15" is not a version context


def _ip_is_personal(candidate: str, keep_private_ips: bool) -> bool:
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return False
    if not keep_private_ips:
        return True
    # ipaddress calls some multicast and reserved blocks (ff02::1, fe00::) global; no person is behind them.
    return address.is_global and not address.is_multicast and not address.is_reserved


def line_prefix(text: str, position: int, width: int) -> str:
    """Up to ``width`` characters before ``position`` on the same line, starting at a word boundary."""
    line_start = text.rfind("\n", 0, position) + 1
    start = max(line_start, position - width)
    if start > line_start and text[start - 1].isalnum():
        boundary = re.compile(r"\W").search(text, start, position)
        start = position if boundary is None else boundary.end()  # never begin inside a word ("ser|ver")
    return text[start:position]


_SENTENCE_END = re.compile(r"(?<=[a-z]{4})[.!?][ \t]+(?=[A-Z])")  # not after "ver." or "Rel."
_VERSION_WORD = re.compile(r"version|release|build|firmware|バージョン|版本", re.IGNORECASE)
_SECTION_AFTER = re.compile(r"[ \t]*(?:版|项|項|条|條|節|节|章|\((?:build|rev))")
_SECTION_HEADING = re.compile(r"[ \t]+[A-Z][a-z]+[ \t]+[a-z]+")
_LETTERS = re.compile(r"[^\W\d_]")
_TAG = re.compile(r"<[^>]*>")


def _previous_line_tail(text: str, position: int, width: int = 60) -> str:
    line_start = text.rfind("\n", 0, position) + 1
    if line_start == 0:
        return ""
    return text[max(text.rfind("\n", 0, line_start - 1) + 1, line_start - 1 - width) : line_start - 1]


def _near_version_number(text: str, start: int, end: int, reach: int = 160) -> bool:
    for number in _DOTTED_NUMBER.finditer(text, max(0, start - reach), end + reach):
        if text.startswith("/", number.end()) or _ADDRESS_LABEL.search(
            text, max(0, number.start() - 12), number.start()
        ):
            continue
        parts = number.group().split(".")
        if len(parts) > 4 or any(len(part) > 3 or int(part) > 255 for part in parts):
            return True
    return False


def _in_version_table(text: str, position: int) -> bool:
    """In the column of a pipe table whose header names versions, clauses or sections (| Clause | Requirement |);
    an address beside a Firmware column is still an address."""
    line_start = text.rfind("\n", 0, position) + 1
    if not text.startswith("|", line_start):
        return False
    header = line_start
    while header > 0:
        previous = text.rfind("\n", 0, header - 1) + 1
        if not text.startswith("|", previous):
            break
        header = previous
    header_line = text[header : text.find("\n", header) if "\n" in text[header:] else len(text)]
    separator = "||" if header_line.startswith("||") else "|"
    names = header_line.strip().strip("|").split(separator)
    column = text.count("|", line_start, position) - 1
    return column < len(names) and bool(VERSION_CONTEXT.search(names[column]))


def _is_version_number(text: str, match: re.Match[str]) -> bool:
    """A dotted quad that reads as a version or section number from its own context."""
    prefix = _USER_AGENT_TOKEN.sub(" ", line_prefix(text, match.start(), 30))
    prefix = _SENTENCE_END.split(prefix)[-1]  # "seit dem Update. Upstream ist 188.…": the update was another sentence
    if VERSION_CONTEXT.search(prefix) or _SECTION_AFTER.match(text, match.end()):
        return True  # "version 1.2.3.4", "1.2.3.4版"
    label_above = _previous_line_tail(text, match.start()).rstrip()
    if not _LETTERS.search(_TAG.sub("", prefix)) and (label_above.endswith((">", ":")) or "--version" in label_above):
        if _VERSION_WORD.search(label_above):
            return True  # <key>CFBundleVersion</key> on the line before <string>1.4.2.7</string>
    if _SECTION_HEADING.match(text, match.end()) and not prefix.strip():
        return True  # "5.7.4.13 Requirements for ...": a numbered heading
    if text[match.start() - 2 : match.start()] in ('("', "='", '="') and "ersion" in text[match.start() - 20 :]:
        return True  # AssemblyVersion("1.2.3.4"), version="1.2.3.4"
    # beside "10.0.20105.2118" or "1.2.3.4.5": a block of version or section numbers
    return _near_version_number(text, match.start(), match.end()) or _in_version_table(text, match.start())


def ip_spans(text: str, keep_private_ips: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of every IPv4 and IPv6 address a person may stand behind; with ``keep_private_ips`` (the
    default) private, loopback and documentation ranges are left alone."""
    candidates = [match for match in _IPV4.finditer(text) if _ipv4_boundary_ok(text, match.start())]
    versions = [m for m in candidates if _is_version_number(text, m)]
    for match in candidates:
        if versions and any(abs(match.start() - v.start()) < 160 for v in versions):
            continue  # one dotted quad in a version or section context makes its neighbours versions too
        if _ip_is_personal(match.group(), keep_private_ips):
            yield match.start(), match.end()
    tcpdump = _TCPDUMP_ADDRESS.finditer(text) if "IP " in text or " > " in text else ()
    for match in tcpdump:  # tcpdump: IP 37.197.254.99.443 > 10.0.0.2.51234
        if _ip_is_personal(match.group(1), keep_private_ips):
            yield match.start(1), match.end(1)
    netstat = _IPV6_WITH_PORT.finditer(text) if text.count(":") >= 8 else ()
    for match in netstat:  # netstat: 2604:a880:400:0:84:0:b8:0:443
        if _ip_is_personal(match.group(1), keep_private_ips):
            yield match.start(1), match.end(1)
    for match in _IPV6.finditer(text):
        candidate = match.group()
        if (candidate.count(":") >= 2 and "::" in candidate) or candidate.count(":") == 7:
            if _ip_is_personal(candidate, keep_private_ips):
                yield match.start(), match.end()
