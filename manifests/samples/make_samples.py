"""Writes the bundled sample inputs of manifests/roots.yaml.

Every page is written here, by us, in the real formats: gzip-per-record WARC files
with warcinfo, request, response and metadata records like Common Crawl's, several
languages, non-HTML payloads, a dns: record, a 404, and deliberately broken
members. Run ``python manifests/samples/make_samples.py`` to regenerate them.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
DATE = "2024-05-20T10:00:00Z"

NAV = '<nav><a href="/">Home</a> | <a href="/about">About</a> | <a href="/contact">Contact</a></nav>'
FOOTER = "<footer><p>Copyright 2024 Example Media. All rights reserved. Privacy policy. Cookie settings.</p></footer>"

ARTICLES: dict[str, tuple[str, list[str]]] = {
    "en": (
        "How community gardens change city blocks",
        [
            "When the empty lot on Carver Street became a community garden, neighbours who had lived side by "
            "side for years began to talk to each other for the first time.",
            "Volunteers now meet every Saturday morning to water the raised beds, share seedlings and repair "
            "the tool shed that a local carpenter built from reclaimed pallets.",
            "City planners say the garden has reduced litter on the block and given children a safe place to "
            "learn where vegetables come from, although the lease on the land must be renewed next spring.",
        ],
    ),
    "fr": (
        "Le retour du train de nuit en Europe",
        [
            "Après des années de déclin, les trains de nuit reviennent sur plusieurs grandes lignes européennes, "
            "portés par des voyageurs qui veulent réduire leur empreinte carbone.",
            "Les nouvelles voitures-lits offrent des compartiments privés, des prises électriques et un petit "
            "déjeuner servi avant l'arrivée en gare.",
            "Les compagnies reconnaissent cependant que le prix des billets reste élevé et que la ponctualité "
            "doit encore progresser pour convaincre les voyageurs d'affaires.",
        ],
    ),
    "es": (
        "Cómo preparar un huerto en el balcón",
        [
            "Un balcón pequeño basta para cultivar tomates, lechugas y hierbas aromáticas si se elige bien la "
            "orientación y se riega con regularidad.",
            "Conviene usar macetas con buen drenaje y un sustrato ligero, y agrupar las plantas que necesitan "
            "la misma cantidad de agua y de sol.",
            "Con un poco de paciencia, en pocas semanas se pueden cosechar las primeras hojas y compartir la "
            "experiencia con los vecinos del edificio.",
        ],
    ),
    "de": (
        "Warum Stadtbibliotheken wieder voll sind",
        [
            "Viele Stadtbibliotheken verzeichnen steigende Besucherzahlen, weil sie sich zu offenen Lernorten "
            "mit Arbeitsplätzen, Werkstätten und Veranstaltungen gewandelt haben.",
            "Neben Büchern kann man dort inzwischen Nähmaschinen, Werkzeuge und sogar Musikinstrumente "
            "ausleihen, was besonders Familien mit kleinem Budget hilft.",
            "Die Bibliothekarinnen betonen, dass der kostenlose Zugang zu Wissen eine Grundlage der "
            "Demokratie bleibt und weiter öffentlich finanziert werden muss.",
        ],
    ),
    "zh": (
        "城市里的夜间市场",
        [
            "每到周末傍晚，河边的空地就变成了热闹的夜间市场，小贩们摆出手工艺品、小吃和自家种的蔬菜。",
            "许多年轻人把这里当作和朋友聚会的地方，他们一边品尝烤红薯，一边听街头艺人弹吉他。",
            "市政府表示，夜市不仅带动了附近商店的生意，也让老城区重新充满了活力，但也需要加强垃圾管理。",
        ],
    ),
    "ar": (
        "مكتبة الحي الصغيرة",
        [
            "افتتح سكان الحي مكتبة صغيرة في الطابق الأرضي من المبنى القديم، وجمعوا فيها مئات الكتب التي تبرع بها الجيران.",
            "يأتي الأطفال بعد المدرسة لقراءة القصص وحل الواجبات، بينما يلتقي الكبار مساء الخميس لمناقشة رواية جديدة.",
            "يقول المتطوعون إن المكتبة أعادت الدفء إلى العلاقات بين الناس، ويأملون في توسيعها خلال العام المقبل.",
        ],
    ),
    "pt": (
        "A feira de trocas do bairro",
        [
            "Uma vez por mês, os moradores do bairro organizam uma feira de trocas onde roupas, livros e "
            "brinquedos mudam de mãos sem que ninguém gaste dinheiro.",
            "A ideia surgiu durante a pandemia, quando muitas famílias perceberam que tinham objetos parados em "
            "casa que poderiam ser úteis para outras pessoas.",
            "Hoje a feira reúne centenas de pessoas e inspirou iniciativas semelhantes em outras cidades da região.",
        ],
    ),
}


# Pages that the quality layer should remove, each for a reason a reader can see.
ITALIAN = (
    "Il mercato del sabato in piazza",
    [
        "Ogni sabato mattina la piazza del paese si riempie di bancarelle di frutta, verdura e formaggi locali.",
        "Gli anziani si fermano a chiacchierare davanti al bar, mentre i bambini giocano vicino alla fontana.",
        "Il sindaco ha promesso di rinnovare la pavimentazione entro la fine dell'anno prossimo.",
    ],
)
KEYWORD_SPAM = (
    "Cheap ferry tickets",
    ["Cheap ferry tickets, best ferry tickets, buy ferry tickets online now, cheap ferry tickets today."] * 8,
)
CONTACT = (
    "Contact the editors",
    [
        "Our newsroom is open on weekdays, and we read every message that readers send to the editors.",
        "Write to the harbour desk at harbour.desk@porto-gazette.pt or call +351 21 123 4567 during office hours.",
        "Letters may be edited for length, and we never publish a reader's address or phone number.",
    ],
)
LINK_LIST = ("Site map", ["Home", "News", "Sport", "Weather", "Contact", "About us", "Jobs", "Archive"])


def page(lang: str, title: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"<script>var tracker = 1;</script></head><body>{NAV}<main><article><h1>{title}</h1>\n{body}\n"
        f"</article></main><aside><h3>Related</h3><ul><li><a href='/a'>Item one</a></li></ul></aside>"
        f"{FOOTER}</body></html>"
    )


def _record_bytes(writer_fn) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer_fn(writer)
    return buffer.getvalue()


def response(url: str, body: bytes, content_type: str, status: str = "200 OK") -> bytes:
    def write(writer: WARCWriter) -> None:
        http = StatusAndHeaders(
            status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": DATE}
        )
        writer.write_record(record)

    return _record_bytes(write)


def simple(url: str, record_type: str, body: bytes, content_type: str) -> bytes:
    def write(writer: WARCWriter) -> None:
        record = writer.create_warc_record(
            url,
            record_type,
            payload=io.BytesIO(body),
            warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": DATE},
        )
        writer.write_record(record)

    return _record_bytes(write)


def warcinfo(filename: str) -> bytes:
    def write(writer: WARCWriter) -> None:
        info = {"software": "curate sample writer", "isPartOf": "curate-samples (NOT Common Crawl)"}
        writer.write_record(writer.create_warcinfo_record(filename, info))

    return _record_bytes(write)


def request(url: str) -> bytes:
    return simple(url, "request", f"GET / HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n\r\n".encode(), "application/http")


def capture(url: str, body: bytes, content_type: str, status: str = "200 OK") -> list[bytes]:
    metadata = b"fetchTimeMs: 120\r\ncharset-detected: UTF-8\r\n"
    return [
        request(url),
        response(url, body, content_type, status),
        simple(url, "metadata", metadata, "application/warc-fields"),
    ]


def build_first_file() -> bytes:
    members = [warcinfo("sample-00000.warc.gz")]
    for lang, (title, paragraphs) in ARTICLES.items():
        url = f"https://{lang}.example.org/articles/{zlib.crc32(title.encode()) % 10000:04d}"
        members += capture(url, page(lang, title, paragraphs).encode("utf-8"), "text/html; charset=utf-8")
    members += capture("https://it.example.org/mercato", page("it", *ITALIAN).encode(), "text/html; charset=utf-8")
    members += capture("https://en.example.org/cheap-tickets", page("en", *KEYWORD_SPAM).encode(), "text/html")
    members += capture("https://en.example.org/contact", page("en", *CONTACT).encode(), "text/html")
    members += capture("https://en.example.org/sitemap", page("en", *LINK_LIST).encode(), "text/html")
    members += capture("https://en.example.org/robots.txt", b"User-agent: *\nDisallow: /private\n", "text/plain")
    members += capture("https://en.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image/png")
    members += capture(
        "https://en.example.org/gone", b"<html><body>Not found</body></html>", "text/html", "404 Not Found"
    )
    members.append(
        simple("dns:en.example.org", "response", b"20240520100000\nen.example.org. 300 IN A 192.0.2.1\n", "text/dns")
    )
    return b"".join(members)


def build_second_file() -> bytes:
    """A French page declared as ISO-8859-1, a corrupt member in the middle and a truncated last one."""
    title, paragraphs = ARTICLES["fr"]
    latin1_page = page("fr", title + " (édition régionale)", paragraphs).replace('charset="utf-8"', "")
    good = capture("https://fr.example.org/regional", latin1_page.encode("iso-8859-1"), "text/html; charset=ISO-8859-1")
    broken = bytearray(response("https://en.example.org/broken", b"<html>" + b"x" * 4000 + b"</html>", "text/html"))
    broken[40:60] = b"\x00" * 20  # damage the deflate stream: a corrupt gzip member
    en_title, en_paragraphs = ARTICLES["en"]
    after = capture(
        "https://en.example.org/after-damage",
        page("en", en_title, en_paragraphs[::-1]).encode(),
        "text/html; charset=utf-8",
    )
    last = response("https://de.example.org/cut", page("de", *ARTICLES["de"]).encode(), "text/html")
    return b"".join([warcinfo("sample-00001.warc.gz"), *good, bytes(broken), *after, last[: len(last) // 2]])


def main() -> None:
    out = HERE / "cc"
    out.mkdir(parents=True, exist_ok=True)
    (out / "sample-00000.warc.gz").write_bytes(build_first_file())
    (out / "sample-00001.warc.gz").write_bytes(build_second_file())
    print(f"wrote samples into {out}")


if __name__ == "__main__":
    main()
