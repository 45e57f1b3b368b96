"""Writes the bundled Wikipedia sample dumps of manifests/roots.yaml into manifests/samples/wikipedia/.

Every page is written here, by us, in the real ``pages-articles`` export-0.10 format: a <siteinfo> with
localized namespace names, articles full of the markup the recipe removes (templates, <ref>, tables, files,
categories, interlanguage links, comments), redirects (with the <redirect> element and, as in old dumps,
only the localized #WEITERLEITUNG keyword), pages outside the main namespace and a stub too short to keep.
The Bulgarian dump is UTF-16 LE with a BOM, like the bgwiki file in gensim's test data.
Run ``python manifests/samples/make_wikipedia_samples.py`` to regenerate them.
"""

from __future__ import annotations

import bz2
import codecs
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

OUT = Path(__file__).resolve().parent / "wikipedia"
TIMESTAMP = "2024-05-01T12:00:00Z"

NAMESPACES = {
    "en": {-2: "Media", 0: "", 1: "Talk", 4: "Wikipedia", 6: "File", 10: "Template", 14: "Category"},
    "de": {-2: "Medium", 0: "", 1: "Diskussion", 4: "Wikipedia", 6: "Datei", 10: "Vorlage", 14: "Kategorie"},
    "bg": {-2: "Медия", 0: "", 1: "Беседа", 4: "Уикипедия", 6: "Файл", 10: "Шаблон", 14: "Категория"},
}

Page = tuple[int, str, int, str, str | None]  # page id, title, namespace, wikitext, redirect target

EN_PAGES: list[Page] = [
    (
        101,
        "Rain garden",
        0,
        """{{Short description|Planted depression that absorbs runoff}}
{{Infobox landscape feature
| name = Rain garden
| image = Rain garden example.jpg
}}
A '''rain garden''' is a shallow, planted hollow that collects the water running off roofs, paths and \
driveways and lets it soak slowly into the ground.<ref>{{cite book |title=Gardens for Wet Weather |year=2019}}</ref> \
Instead of sending storm water straight into drains, a rain garden holds it for a day or two, so that \
the soil and the roots of the plants can filter out sediment and some of the [[pollutant]]s it carries.

[[File:Rain garden sketch.svg|thumb|right|A sketch of a [[garden]] beside a house]]
<!-- Editors: please keep this article free of product names. -->

== Design ==
A typical rain garden is placed a few metres away from a building, on ground that drains reasonably \
well. Its floor is level, its edges are gently sloped, and it is planted with [[native plant|native \
species]] that tolerate both short floods and long dry spells.<ref name="guide">Local council guide, 2021.</ref> \
Gardeners often add a layer of mulch, which keeps the soil moist and stops weeds from taking over.

{| class="wikitable"
|+ Typical sizes
! Roof area !! Garden area
|-
| 50 m² || 10 m²
|-
| 100 m² || 20 m²
|}

=== Plants ===
Good choices include sedges, rushes, irises and small shrubs whose roots reach deep into the soil. \
Plants with deep roots open channels through which the water can sink further, and they survive the \
dry weeks of late summer better than shallow-rooted ones.

== See also ==
* [[Bioswale]]
* [[Green roof|Green roofs]]

== References ==
{{Reflist}}

[[Category:Hydrology]]
[[Category:Garden features]]
[[de:Regengarten]]
[[fr:Jardin de pluie]]
""",
        None,
    ),
    (
        102,
        "Lighthouse keeper",
        0,
        """{{Use dmy dates|date=May 2024}}
A '''lighthouse keeper''' is a person responsible for tending and caring for a [[lighthouse]], \
particularly the light and lens in the days when oil lamps and clockwork mechanisms were used. \
Keepers trimmed the wicks, refilled the fuel, wound the clockworks and cleaned the lenses and windows, \
and they recorded the weather in a log book several times a night.

== Daily work ==
The work was lonely on offshore rocks, where relief boats could not land during winter storms and \
keepers sometimes waited weeks for fresh food. On the mainland, keepers often lived with their families \
in cottages beside the tower, and their children walked long distances to school.<ref>Coastal history \
society newsletter, 1998.</ref>

== Automation ==
Most lights were automated in the second half of the twentieth century, and the last resident keepers \
left their stations when remote monitoring made the job unnecessary. Some former keepers now guide \
visitors around the towers they once looked after. More information is kept by the \
[https://lighthouses.example.org/ lighthouse heritage trust].

[[Category:Occupations]]
""",
        None,
    ),
    (103, "Rain gardens", 0, "#REDIRECT [[Rain garden]] {{R from plural}}", "Rain garden"),
    (104, "Lighthouse keepers", 0, "#redirect [[Lighthouse keeper]]", "Lighthouse keeper"),
    (105, "Kelp", 0, "'''Kelp''' is a large brown [[seaweed]].{{stub}}\n[[Category:Algae]]", None),
    (106, "Talk:Rain garden", 1, "== Sources ==\nCould someone add a source for the sizes table? ~~~~", None),
    (107, "Template:Infobox landscape feature", 10, "{| class=infobox\n| {{{name}}}\n|}", None),
]

DE_PAGES: list[Page] = [
    (
        201,
        "Regengarten",
        0,
        """{{Dieser Artikel|behandelt eine Gartenform}}
Ein '''Regengarten''' ist eine flache, bepflanzte Mulde, die das Regenwasser von Dächern und Wegen \
sammelt und langsam im Boden versickern lässt.<ref>Handbuch für naturnahe Gärten, 2020.</ref> Statt in die \
Kanalisation zu fließen, bleibt das Wasser ein bis zwei Tage im Garten, sodass Erde und Wurzeln \
Schwebstoffe zurückhalten können.

[[Datei:Regengarten Skizze.svg|mini|Skizze eines Regengartens neben einem Haus]]

== Anlage ==
Ein Regengarten liegt meist einige Meter vom Haus entfernt auf gut durchlässigem Boden. Der Grund ist \
eben, die Ränder sind sanft geneigt, und gepflanzt werden [[Heimische Pflanzen|heimische Arten]], die \
kurze Überschwemmungen ebenso vertragen wie lange Trockenzeiten. Eine Mulchschicht hält die Erde feucht \
und unterdrückt Unkraut.

== Einzelnachweise ==
<references />

[[Kategorie:Hydrologie]]
[[en:Rain garden]]
""",
        None,
    ),
    (
        202,
        "Leuchtturmwärter",
        0,
        """Ein '''Leuchtturmwärter''' betreute früher einen [[Leuchtturm]], vor allem das Leuchtfeuer und die \
Linse. Er kürzte die Dochte, füllte Brennstoff nach, zog das Uhrwerk auf und putzte die Scheiben, und \
mehrmals in jeder Nacht trug er das Wetter in ein Logbuch ein. Auf Felsen im Meer war die Arbeit \
einsam, denn im Winter konnten die Versorgungsboote oft wochenlang nicht anlegen. Heute sind fast alle \
Leuchtfeuer automatisiert, und manche ehemalige Wärter führen Besucher durch ihre alten Türme.

[[Bild:Leuchtturm.jpg|miniatur|Ein Leuchtturm an der Küste]]
[[Kategorie:Beruf]]
""",
        None,
    ),
    # Old dumps have no <redirect> element: only the localized magic word says it.
    (203, "Regengärten", 0, "#WEITERLEITUNG [[Regengarten]]", None),
    (204, "Wikipedia:Über Regengärten", 4, "Diese Seite beschreibt ein Projekt.", None),
]

BG_PAGES: list[Page] = [
    (
        301,
        "Дъждовна градина",
        0,
        """{{Инфокутия градина}}
'''Дъждовната градина''' е плитка засадена вдлъбнатина, която събира водата от покриви, пътеки и \
алеи и я оставя бавно да попие в почвата.<ref>Наръчник за природосъобразни градини, 2020.</ref> Вместо \
да се оттича направо в канализацията, водата остава в градината ден или два, така че почвата и \
корените на растенията задържат част от утайките.

[[Файл:Скица на градина.svg|мини|Скица на дъждовна градина до къща]]

== Устройство ==
Обикновено такава градина се прави на няколко метра от сградата, върху почва, която попива добре. \
Дъното е равно, краищата са полегати, а растенията са [[местни растения|местни видове]], които \
понасят както кратки наводнения, така и дълги сухи периоди.

[[Категория:Хидрология]]
[[en:Rain garden]]
""",
        None,
    ),
    (302, "Дъждовни градини", 0, "#ПРЕНАСОЧВАНЕ [[Дъждовна градина]]", "Дъждовна градина"),
    (303, "Уикипедия:Правила", 4, "Тази страница описва правилата на проекта.", None),
]


def page_xml(page: Page) -> str:
    page_id, title, ns, wikitext, redirect = page
    redirect_element = f"    <redirect title={quoteattr(redirect)} />\n" if redirect else ""
    return (
        f"  <page>\n    <title>{escape(title)}</title>\n    <ns>{ns}</ns>\n    <id>{page_id}</id>\n"
        f"{redirect_element}    <revision>\n      <id>{page_id * 10 + 1}</id>\n"
        f"      <timestamp>{TIMESTAMP}</timestamp>\n      <model>wikitext</model>\n"
        f"      <format>text/x-wiki</format>\n"
        f'      <text bytes="{len(wikitext.encode())}" xml:space="preserve">{escape(wikitext)}</text>\n'
        f"    </revision>\n  </page>\n"
    )


def dump_xml(lang: str, pages: list[Page], declaration: str = "") -> str:
    namespaces = "".join(
        f'      <namespace key="{key}" case="first-letter">{escape(name)}</namespace>\n'
        if name
        else f'      <namespace key="{key}" case="first-letter" />\n'
        for key, name in NAMESPACES[lang].items()
    )
    return (
        f'{declaration}<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="{lang}">\n'
        f"  <siteinfo>\n    <sitename>Wikipedia</sitename>\n    <dbname>{lang}wiki</dbname>\n"
        f"    <base>https://{lang}.wikipedia.org/wiki/Main_Page</base>\n"
        f"    <generator>MediaWiki 1.43.0-wmf.1</generator>\n    <case>first-letter</case>\n"
        f"    <namespaces>\n{namespaces}    </namespaces>\n  </siteinfo>\n"
        + "".join(page_xml(page) for page in pages)
        + "</mediawiki>\n"
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    en = dump_xml("en", EN_PAGES, declaration).encode("utf-8")
    (OUT / "enwiki-20240501-pages-articles-sample.xml.bz2").write_bytes(bz2.compress(en))
    # Uncompressed, as `.xml` dumps come too.
    (OUT / "dewiki-20240501-pages-articles-sample.xml").write_bytes(dump_xml("de", DE_PAGES, declaration).encode())
    bg = codecs.BOM_UTF16_LE + dump_xml("bg", BG_PAGES).encode("utf-16-le")
    (OUT / "bgwiki-20240501-pages-articles-sample-utf16.xml.bz2").write_bytes(bz2.compress(bg))
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
