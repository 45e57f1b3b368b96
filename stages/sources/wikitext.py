"""Wikitext → plain text, the LLaMA / RedPajama-v1 Wikipedia recipe.

LLaMA (Touvron et al. 2023, §2 "Wikipedia"): "We process the data to remove hyperlinks, comments and other
formatting boilerplate." RedPajama-v1 reproduced it with the Hugging Face ``wikipedia`` builder, which parses
wikitext with mwparserfromhell, removes file links, ``<ref>`` and tables, and keeps the stripped text.
Here the parse tree is rendered node by node: templates, references, tables, comments, files, categories and
interlanguage links vanish; links become their labels; headings stay as plain lines.

Every function is pure; ``clean_wikitext`` is the whole recipe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

import mwparserfromhell
from mwparserfromhell.nodes import ExternalLink, Heading, HTMLEntity, Node, Tag, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

# Names of the File (6) and Media (-2) namespaces and their aliases ('_' joins the words of one name). The English
# names work on every wiki (MediaWiki canonical names); the localized ones are what editors type. The dump's
# <siteinfo> adds its own names at read time.
MEDIA_NAMESPACE_NAMES = frozenset(
    name.replace("_", " ")
    for name in """file image media datei bild medium fichier média archivo imagen medio immagine ficheiro arquivo
    imagem mídia multimédia bestand afbeelding plik grafika файл изображение медиа зображення медіа картинка медия
    ファイル 画像 メディア 文件 檔案 档案 图像 圖像 媒体 媒體 hình phương_tiện tập_tin fil bilde billede 파일 그림
    ملف صورة ميديا dosya resim soubor obrázek tiedosto kuva fájl kép קובץ תמונה berkas gambar fitxer imatge
    پرونده تصویر fișier imagine""".split()
)

# Names of the Category namespace (14) in the same languages.
CATEGORY_NAMESPACE_NAMES = frozenset(
    name.replace("_", " ")
    for name in """category kategorie catégorie categoría categoria categorie kategoria категория категорія カテゴリ
    分类 分類 kategori 분류 تصنيف luokka kategória קטגוריה رده thể_loại""".split()
)

# Interlanguage prefixes: the Wikipedia language editions (the interwiki table's language prefixes).
# A link [[de:Foo]] without a leading colon is a sidebar link to another edition, not text of the page.
INTERLANGUAGE_PREFIXES = frozenset(
    """aa ab ace ady af ak als alt am ami an ang anp ar arc ary arz as ast atj av avk awa ay az azb ba ban bar
    bat-smg bcl be be-tarask be-x-old bg bh bi bjn blk bm bn bo bpy br bs bug bxr ca cbk-zam cdo ce ceb ch cho chr
    chy ckb co cr crh cs csb cu cv cy da dag de din diq dsb dty dv dz ee el eml en eo es et eu ext fa fat ff fi
    fiu-vro fj fo fr frp frr fur fy ga gag gan gcr gd gl glk gn gom gor got gpe gu guc gur guw gv ha hak haw he hi
    hif ho hr hsb ht hu hy hyw hz ia id ie ig ii ik ilo inh io is it iu ja jam jbo jv ka kaa kab kbd kbp kcg kg ki
    kj kk kl km kn ko koi kr krc ks ksh ku kv kw ky la lad lb lbe lez lfn lg li lij lld lmo ln lo lrc lt ltg lv mad
    mai map-bms mdf mg mh mhr mi min mk ml mn mni mnw mo mr mrj ms mt mus mwl my myv mzn na nah nap nb nds nds-nl ne
    new ng nia nl nn no nov nqo nrm nso nv ny oc olo om or os pa pag pam pap pcd pcm pdc pfl pi pih pl pms pnb pnt
    ps pt pwn qu rm rmy rn ro roa-rup roa-tara ru rue rw sa sah sat sc scn sco sd se sg sh shi shn si simple sk skr
    sl sm smn sn so sq sr srn ss st stq su sv sw szl szy ta tay tcy te tet tg th ti tk tl tly tn to tpi tr trv ts
    tt tum tw ty tyv udm ug uk ur uz ve vec vep vi vls vo wa war wo wuu xal xh xmf yi yo yue za zea zh zh-classical
    zh-min-nan zh-yue zu""".split()
)

# Extension and HTML tags whose content is not running prose: references (LLaMA: bibliography is boilerplate;
# HF wikipedia builder drops <ref> and tables), tables ({| |} parses as a "table" tag), galleries and other media.
DROPPED_TAGS = frozenset(
    """ref references table gallery imagemap timeline graph mapframe maplink score templatestyles templatedata
    noinclude inputbox categorytree indicator""".split()
)
LINE_BREAK_TAGS = frozenset({"br", "hr"})

# The magic word keywords of #REDIRECT in the languages of the sample dumps and the larger editions. Dumps since
# 2009 mark redirects with a <redirect> element; this is the fallback for dumps or pages without it.
REDIRECT_KEYWORDS = (
    "redirect weiterleitung redirection redirección redireccion redirecionamento rinvia rinvio doorverwijzing "
    "przekieruj patrz перенаправление перенапр перенаправлення пренасочване виж 転送 リダイレクト 重定向 đổi "
    "chuyển yönlendirme omdirigering uudelleenohjaus ohjaus átirányítás přesměruj presmeruj تحويل הפניה 넘겨주기"
).split()
REDIRECT_PATTERN = re.compile(
    r"\A\s*#\s*(?:" + "|".join(map(re.escape, REDIRECT_KEYWORDS)) + r")\s*:?\s*\[\[", re.IGNORECASE
)

HEADING_MARK = "\x00"  # marks heading lines between rendering and section pruning; XML text cannot hold NUL
MAGIC_WORD_PATTERN = re.compile(r"__[A-ZÀ-Ÿ_]+?__")
STRAY_QUOTES_PATTERN = re.compile(r"'{2,}")
EMPTY_BRACKETS_PATTERN = re.compile(r"\(\s*[,;:]?\s*\)|\[\s*\]")
SPACE_RUN_PATTERN = re.compile(r"[ \t]{2,}")
BLANK_LINES_PATTERN = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class LinkNamespaces:
    """Link prefixes (casefolded, spaces not underscores) that name media and category pages on this wiki."""

    media: frozenset[str] = MEDIA_NAMESPACE_NAMES
    category: frozenset[str] = CATEGORY_NAMESPACE_NAMES


def link_namespaces(site_names: dict[int, str]) -> LinkNamespaces:
    """The built-in names plus the dump's own <siteinfo> names of namespaces -2 (Media), 6 (File), 14 (Category)."""
    media = {normalize_prefix(site_names[key]) for key in (-2, 6) if key in site_names}
    category = {normalize_prefix(site_names[14])} if 14 in site_names else set()
    return LinkNamespaces(MEDIA_NAMESPACE_NAMES | media, CATEGORY_NAMESPACE_NAMES | category)


def normalize_prefix(prefix: str) -> str:
    """MediaWiki treats '_' as ' ' and namespace names case-insensitively."""
    return " ".join(prefix.replace("_", " ").split()).casefold()


def is_redirect_text(wikitext: str) -> bool:
    """True for ``#REDIRECT [[Target]]`` in any case and in the localized keywords listed above."""
    return REDIRECT_PATTERN.match(wikitext) is not None


def clean_wikitext(wikitext: str, namespaces: LinkNamespaces = LinkNamespaces()) -> str:
    """The whole recipe: parse with mwparserfromhell, render to text, then tidy it."""
    # skip_style_tags: parsed as tags, an unbalanced '' inside a <ref> made the parser give up on the enclosing
    # markup, leaving raw <ref> and tables in 6 real enwiki articles; as text, the quote marks are removed below.
    rendered = render_wikicode(mwparserfromhell.parse(wikitext, skip_style_tags=True), namespaces)
    text = remove_unparsed_tables(rendered)
    text = remove_magic_words(text)
    text = remove_stray_quote_marks(text)
    text = remove_empty_brackets(text)
    text = tidy_lines(text)
    return drop_empty_sections(text)


def render_wikicode(code: Wikicode, namespaces: LinkNamespaces) -> str:
    return "".join(render_node(node, namespaces) for node in code.nodes)


def render_node(node: Node, namespaces: LinkNamespaces) -> str:
    """Plain text of one parse-tree node. Templates, template arguments and comments render as nothing."""
    if isinstance(node, Text):
        return node.value
    if isinstance(node, Wikilink):
        return render_wikilink(node, namespaces)
    if isinstance(node, ExternalLink):
        return render_external_link(node, namespaces)
    if isinstance(node, Tag):
        return render_tag(node, namespaces)
    if isinstance(node, Heading):
        return render_heading(node, namespaces)
    if isinstance(node, HTMLEntity):
        return node.normalize()
    # Template ({{...}}): LLaMA's "formatting boilerplate" (infoboxes, navboxes, citations); Comment (<!-- -->):
    # LLaMA removes comments; Argument ({{{1}}}): only meaningful inside templates.
    return ""


def render_wikilink(link: Wikilink, namespaces: LinkNamespaces) -> str:
    """[[target|label]] → label, [[target]] → target; files, categories and interlanguage links → nothing.

    A leading colon ([[:Category:X]], [[:de:X]]) makes MediaWiki show the link inline, so those keep their text.
    """
    title = render_wikicode(link.title, namespaces).strip()
    if not title.startswith(":") and is_hidden_link_target(title, namespaces):
        return ""
    if link.text is not None:
        label = render_wikicode(link.text, namespaces)
        if label.strip():
            return label
    return title.lstrip(":")


def is_hidden_link_target(title: str, namespaces: LinkNamespaces) -> bool:
    """A link that MediaWiki does not show as text: an embedded file, a category or an interlanguage link."""
    prefix, colon, _ = title.partition(":")
    if not colon:
        return False
    name = normalize_prefix(prefix)
    return name in namespaces.media or name in namespaces.category or name in INTERLANGUAGE_PREFIXES


def render_external_link(link: ExternalLink, namespaces: LinkNamespaces) -> str:
    """[http://x label] → label; bare and unlabeled URLs → nothing (LLaMA: "we remove hyperlinks")."""
    if link.brackets and link.title is not None:
        return render_wikicode(link.title, namespaces)
    return ""


def render_tag(tag: Tag, namespaces: LinkNamespaces) -> str:
    """Tables, references and media tags vanish; <br> breaks the line; other tags keep their content.

    List and definition markup (* # ; :) parses as content-less tags, so list items become plain lines.
    """
    name = str(tag.tag).strip().lower()
    if name in DROPPED_TAGS:
        return ""
    if name in LINE_BREAK_TAGS:
        return "\n"
    if tag.contents is None:
        return ""
    return render_wikicode(tag.contents, namespaces)


def render_heading(heading: Heading, namespaces: LinkNamespaces) -> str:
    """A heading becomes its own line, marked with its level until ``drop_empty_sections`` has run."""
    title = " ".join(render_wikicode(heading.title, namespaces).split())
    return f"\n{HEADING_MARK}{heading.level}{title}\n" if title else "\n"


def remove_unparsed_tables(text: str) -> str:
    """Drop wiki tables that the parser left as text (it gives up on some malformed attribute lines).

    MediaWiki's own table syntax is line-based (Parser::handleTables): "{|" at a line start opens a table, "|}"
    closes it, and a table still open at the end of the page runs to the end.
    """
    kept: list[str] = []
    depth = 0
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("{|"):
            depth += 1
        elif depth and stripped.startswith("|}"):
            depth -= 1
        elif not depth:
            kept.append(line)
    return "\n".join(kept)


def remove_magic_words(text: str) -> str:
    """Behaviour switches such as __NOTOC__ (HF wikipedia builder: ``re_rm_magic``)."""
    return MAGIC_WORD_PATTERN.sub("", text)


def remove_stray_quote_marks(text: str) -> str:
    """Unbalanced '' / ''' (italic/bold markup the parser could not pair) stay as text; they are formatting."""
    return STRAY_QUOTES_PATTERN.sub("", text)


def remove_empty_brackets(text: str) -> str:
    """Drop "( )", "(; )" and "[ ]": what removed templates and references leave inside brackets.

    Follows WikiExtractor's clean(), which drops empty parentheses left behind by template removal.
    """
    return EMPTY_BRACKETS_PATTERN.sub("", text)


def tidy_lines(text: str) -> str:
    """Collapse runs of spaces, trim each line and keep at most one blank line between paragraphs."""
    lines = (SPACE_RUN_PATTERN.sub(" ", line).strip() for line in text.split("\n"))
    return BLANK_LINES_PATTERN.sub("\n\n", "\n".join(lines)).strip()


def drop_empty_sections(text: str) -> str:
    """Remove headings whose section (up to the next heading of the same or a higher level) has no text left.

    Our rule, not LLaMA's: once references, templates and tables are gone, "References", "External links" or
    "Gallery" headings stand alone, and a heading with nothing under it is boilerplate.
    """
    lines = text.split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if not line.startswith(HEADING_MARK):
            kept.append(line)
        elif section_has_text(islice(lines, index + 1, None), heading_level(line)):
            kept.append(line[2:])
    return BLANK_LINES_PATTERN.sub("\n\n", "\n".join(kept)).strip()


def heading_level(line: str) -> int:
    return int(line[1])


def section_has_text(following: Iterable[str], level: int) -> bool:
    for line in following:
        if line.startswith(HEADING_MARK):
            if heading_level(line) <= level:
                return False
        elif line.strip():
            return True
    return False
