"""The ``web`` edition: the same sources as a static, self-contained, accessible site.

It is another layout after the ``html`` stage, not a second pipeline: the publication is
translated, composed and cited exactly as for the full PDF, and its blocks are rendered by
the same renderer (notes become endnotes linked both ways, :mod:`web_render`). The brief and
the factsheets become pages too, rendered by their own templates, each linking to its PDF.

The site has no external resource: its stylesheets and images are copied into ``assets/``,
so it works offline and from a file share. It is written to a temporary folder beside
``web/`` and swapped in whole, so a failed build leaves the previous site intact.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from babel import Locale
from markupsafe import Markup

from . import render_figures
from .bidi import isolate_runs
from .cite import cite_edition
from .compose import compose_edition, resolve_editions
from .config import EditionConfig
from .direction import text_direction
from .edition import Edition
from .labels import Labels, labels_for
from .model import Heading, Publication
from .render_html import PUBLICATION_SCHEME, accent_of, plain_text, render_edition_html, template_environment
from .translate import translate_publication
from .web_render import Endnote, WebRenderer

WEB_LAYOUTS = ("brief", "factsheet")
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")


@dataclass
class SitePage:
    name: str  # file name inside web/, e.g. "prevention.html"
    title: str
    body: Markup
    stylesheet: str = "site.css"
    accent: str = "accent-0"
    endnotes: list[Endnote] = field(default_factory=list)
    pdf: str = ""  # the PDF this page is the screen version of, relative to web/
    in_pager: bool = True  # part of the previous/next sequence of the full resource


@dataclass
class Site:
    lang: str
    pages: list[SitePage]
    stylesheets: dict[str, Markup]  # assets/<name> -> CSS
    languages: list[tuple[str, str]]  # (code, name in its own language)


@dataclass
class SiteResult:
    path: Path
    pages: int
    seconds: float
    resources: list[Path]


def page_name(ident: str) -> str:
    """A chapter id as a file name; anything unusual is hashed rather than trusted."""
    if _SAFE_NAME.match(ident) and ident not in ("index", "bibliography", "assets"):
        return f"{ident}.html"
    return f"page-{hashlib.sha256(ident.encode()).hexdigest()[:12]}.html"


def language_name(code: str) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")).capitalize()
    except (ValueError, TypeError):
        return code


def compose_site(publication: Publication, config: EditionConfig, lang: str, release: bool) -> Site:
    """Every page of the site in one language, with notes numbered as in the full PDF."""
    from .pipeline import load_css  # the pipeline's CSS cascade, publication styles included

    translated, _ = translate_publication(publication, lang, release)
    full = cite_edition(compose_edition(translated, dataclasses.replace(config, layout="full"), lang))
    labels = labels_for(lang)
    renderer = WebRenderer(full.citations, labels)
    render_figures.prepare(renderer, full)  # figure, table and section numbers as in the full PDF
    pillars = translated.pillars
    pages = [_index_page(full, labels, pillars)]
    for part in full.chapters:
        chapter = part.chapter
        renderer.current_level = 1
        alias = Markup('<span id="%s"></span>') % chapter.heading_id if chapter.heading_id else Markup("")
        body = Markup('<h1 class="chapter-title" id="%s">%s%s</h1>\n%s') % (
            chapter.id,
            alias,
            chapter.title,
            renderer.blocks(part.blocks, level=1),
        )
        pages.append(
            SitePage(
                page_name(chapter.id),
                chapter.title,
                body,
                accent=accent_of(chapter, pillars),
                endnotes=renderer.take_endnotes(),
                pdf="../full.pdf",
            )
        )
    if full.citations and full.citations.bibliography and not translated.config.suppress_bibliography:
        entries = Markup("\n").join(
            Markup('<p class="bib-entry">%s</p>') % e for e in full.citations.bibliography
        )
        pages.append(
            SitePage(
                "bibliography.html",
                labels.get("bibliography"),
                Markup('<h1 class="chapter-title">%s</h1>\n%s') % (labels.get("bibliography"), entries),
                pdf="../full.pdf",
            )
        )
    stylesheets = {"site.css": load_css(publication, "web", lang=lang)}
    for short in resolve_editions(publication):
        if short.layout not in WEB_LAYOUTS:
            continue
        edition = cite_edition(compose_edition(translated, short, lang))
        stylesheets.setdefault(
            f"{short.layout}.css", load_css(publication, short.layout, lang=lang) + _web_css()
        )
        pages.append(_short_edition_page(edition, short))
    languages = [(code, language_name(code)) for code in (publication.lang, *publication.config.translations)]
    return Site(lang, pages, stylesheets, languages)


def _web_css() -> Markup:
    from .house_styles import HOUSE_STYLES

    return Markup((HOUSE_STYLES / "web.css").read_text(encoding="utf-8"))


def _index_page(full: Edition, labels: Labels, pillars: list) -> SitePage:  # type: ignore[type-arg]
    config = full.publication.config
    items = []
    for part in full.chapters:
        sections = [b for b in part.blocks if isinstance(b, Heading) and b.level == 2 and b.id]
        sub = Markup("").join(
            Markup('<li><a href="%s#%s">%s</a></li>')
            % (page_name(part.chapter.id), h.id, plain_text(h.inlines))
            for h in sections
        )
        items.append(
            Markup('<li class="%s"><a href="%s">%s</a>%s</li>')
            % (
                accent_of(part.chapter, pillars),
                page_name(part.chapter.id),
                part.chapter.title,
                Markup("<ol>%s</ol>") % sub if sub else Markup(""),
            )
        )
    lead = Markup('<p class="lead">%s</p>') % config.abstract if config.abstract else Markup("")
    subtitle = Markup('<p class="subtitle">%s</p>') % config.subtitle if config.subtitle else Markup("")
    byline = ", ".join(str(a) for a in config.author) if config.author else ""
    meta = " · ".join(p for p in (byline, config.publisher, str(config.date or "")) if p)
    body = Markup(
        '<h1 class="site-cover-title">%s</h1>\n%s<p class="meta">%s</p>\n%s\n'
        '<h2 id="contents">%s</h2>\n<ol class="contents">%s</ol>'
    ) % (config.title, subtitle, meta, lead, labels.get("contents"), Markup("").join(items))
    if full.citations and full.citations.suggested_citation:
        # How to cite it, as the full edition's imprint says (the publication's own style).
        body += Markup('\n<h2 id="bb-cite">%s</h2>\n<p class="suggested-citation">%s</p>') % (
            labels.get("suggested-citation"),
            full.citations.suggested_citation,
        )
    return SitePage("index.html", config.title, body, pdf="../full.pdf", in_pager=False)


def _short_edition_page(edition: Edition, config: EditionConfig) -> SitePage:
    """A brief or factsheet as a page: its own template's body, its own stylesheet."""
    html = render_edition_html(edition, Markup("")).html
    match = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
    if match is None:
        raise RuntimeError(f"the {config.layout} template gave no <body>")
    body = re.sub(r"<(/?)h1\b", r"<\1h2", match.group(1))  # the page has its own h1
    labels = labels_for(edition.lang)
    if edition.config.title:
        title = edition.config.title
    elif config.layout == "brief":
        title = labels.get("policy-brief")
    else:
        names = ", ".join(part.chapter.title for part in edition.chapters)
        title = f"{labels.get('factsheet')}: {names}" if names else labels.get("factsheet")
    heading = Markup('<h1 class="edition-title">%s</h1>') % title
    return SitePage(
        f"{config.name}.html",
        title,
        heading + Markup(body),
        stylesheet=f"{config.layout}.css",
        pdf=f"../{config.name}.pdf",
        in_pager=False,
    )


def render_site(site: Site, publication: Publication) -> dict[str, str]:
    """Every page's HTML (file name -> text), links already pointing across pages."""
    env = template_environment(publication.root, site.lang)
    template = env.get_template("web.html.j2")
    labels = labels_for(site.lang)
    anchors = _anchor_pages(site)
    pager = [p for p in site.pages if p.in_pager]
    rendered = {}
    for page in site.pages:
        position = pager.index(page) if page in pager else None
        html = template.render(
            page=page,
            site=site,
            config=publication.config,
            labels=labels,
            lang=site.lang,
            dir=text_direction(site.lang),
            languages=[
                {"code": c, "name": n, "href": f"../../{c}/web/{page.name}", "current": c == site.lang}
                for c, n in site.languages
            ],
            previous=pager[position - 1] if position else None,
            next=pager[position + 1] if position is not None and position + 1 < len(pager) else None,
            chapters=pager,
        )
        html = isolate_runs(html, text_direction(site.lang))  # bidi.py: mixed-direction runs
        rendered[page.name] = _link_across_pages(html, page.name, anchors)
    return rendered


def write_site(site: Site, publication: Publication, target: Path) -> list[Path]:
    """Write every page into ``target`` (replaced whole); returns the files it read."""
    pages = render_site(site, publication)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".web-", suffix=".tmp", dir=target.parent))
    read: list[Path] = []
    try:
        assets = staging / "assets"
        assets.mkdir()
        for name, css in site.stylesheets.items():
            (assets / name).write_text(str(css).replace("<\\/", "</"), encoding="utf-8")
        for name, html in pages.items():
            html, images = _copy_images(html, assets, publication.root)
            read += images
            (staging / name).write_text(html, encoding="utf-8")
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=".web-old-", suffix=".tmp", dir=target.parent))
            target.rename(retired / "web")
            staging.rename(target)
            shutil.rmtree(retired)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return read


def _anchor_pages(site: Site) -> dict[str, str]:
    """Which page holds each id, so that an in-document link can point across pages."""
    where: dict[str, str] = {}
    for page in site.pages:
        for ident in re.findall(r'\sid="([^"]+)"', str(page.body)):
            where.setdefault(ident, page.name)
    return where


def _link_across_pages(html: str, current: str, anchors: dict[str, str]) -> str:
    def fix(match: re.Match[str]) -> str:
        ident = match.group(1)
        page = anchors.get(ident, current)
        return f'href="#{ident}"' if page == current else f'href="{page}#{ident}"'

    return re.sub(r'href="#([^"]+)"', fix, html)


def _copy_images(html: str, assets: Path, root: Path) -> tuple[str, list[Path]]:
    """Images are copied into assets/ under their content's hash: no file: URL leaves the build."""
    read: list[Path] = []

    def copy(match: re.Match[str]) -> str:
        address = urlparse(match.group(1))
        source = Path(unquote(address.path))
        if address.scheme == PUBLICATION_SCHEME:
            source = root / unquote(address.path).lstrip("/")
        data = source.read_bytes()
        name = hashlib.sha256(data).hexdigest()[:16] + source.suffix.lower()
        (assets / name).write_bytes(data)
        read.append(source)
        return f'src="assets/{name}"'

    return re.sub(rf'src="((?:file|{PUBLICATION_SCHEME}):[^"]+)"', copy, html), read


def build_site(
    publication: Publication, config: EditionConfig, lang: str, out_dir: Path, release: bool = False
) -> SiteResult:
    """The web edition of one language, written to ``out_dir/<publication>/<lang>/web/``."""
    from .pipeline import output_path

    started = time.perf_counter()
    site = compose_site(publication, config, lang, release)
    target = output_path(out_dir, publication, config.name, lang)
    read = write_site(site, publication, target)
    return SiteResult(target, len(site.pages), time.perf_counter() - started, read)
