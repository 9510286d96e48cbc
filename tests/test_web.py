"""The web edition: a self-contained site per language, read back as a browser sees it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import browser
from briefbuilder.cite import cite_edition
from briefbuilder.compose import compose_edition, find_edition
from briefbuilder.load import load_publication
from briefbuilder.pipeline import build_edition
from briefbuilder.render_html import render_edition_html
from briefbuilder.translate import translate_publication

pytestmark = pytest.mark.pdf
ROOT = Path(__file__).resolve().parents[1]
RESOURCE = ROOT / "briefs" / "collateral-damage"
SCREENSHOTS = ROOT / "build" / "screenshots"


class PageReader(HTMLParser):
    """Ids, links, images, heading levels, text and the html element's attributes of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.html_attrs: dict[str, str | None] = {}
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "html":
            self.html_attrs = values
        elif tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        elif tag == "img":
            self.images.append(values)
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def read(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.replace("\u00ad", "").replace("\u200b", "").lower())


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    publication = load_publication(RESOURCE)
    out = tmp_path_factory.mktemp("web")
    config = find_edition(publication, "web")
    langs = [publication.lang, *publication.config.translations]
    return {lang: build_edition(publication, config, lang, out).path for lang in langs}


def test_every_language_has_an_index_chapter_pages_and_short_edition_pages(sites: dict[str, Path]) -> None:
    publication = load_publication(RESOURCE)
    for lang, site in sites.items():
        names = {p.name for p in site.glob("*.html")}
        assert "index.html" in names and "bibliography.html" in names
        assert {f"{c.id}.html" for c in publication.chapters} <= names
        assert "policymaker.html" in names
        assert {f"factsheet-{c.id}.html" for c in publication.pillars} <= names
        for page in site.glob("*.html"):
            reader = read(page)
            assert reader.html_attrs.get("lang") == lang, page
            assert all(img.get("alt") for img in reader.images), page


def test_links_resolve_notes_link_both_ways_and_nothing_leaves_the_site(sites: dict[str, Path]) -> None:
    for site in sites.values():
        pages = {p.name: read(p) for p in site.glob("*.html")}
        for name, reader in pages.items():
            for href in reader.links:
                if href.startswith(("http://", "https://", "mailto:")):
                    continue
                assert not href.startswith(("file:", "/")), (name, href)
                target, _, fragment = href.partition("#")
                if target.endswith(".pdf"):
                    continue  # the PDFs sit beside web/, built by the same command
                if target.startswith("../../"):
                    lang_page = site.parent.parent / target[len("../../") :]
                    assert lang_page.is_file(), (name, href)
                    continue
                holder = pages[target] if target else reader
                assert not fragment or fragment in holder.ids, (name, href)
            calls = {h[len("#fn-") :] for h in reader.links if h.startswith("#fn-")}
            backs = {h[len("#fnref-") :] for h in reader.links if h.startswith("#fnref-")}
            assert calls == backs, name
        assets = site / "assets"
        for css in assets.glob("*.css"):
            assert not re.search(r"url\(\s*['\"]?(https?:|file:|/)", css.read_text()), css


def test_no_text_of_the_full_pdf_is_missing_from_the_site(sites: dict[str, Path]) -> None:
    """The full edition's HTML is exactly what its PDF shows; every word of it is on the site."""
    publication = load_publication(RESOURCE)
    for lang, site in sites.items():
        translated, _ = translate_publication(publication, lang)
        edition = cite_edition(compose_edition(translated, find_edition(publication, "full"), lang))
        html = render_edition_html(edition, "").html
        printed = PageReader()
        printed.feed(html)
        expected = set(words(" ".join(printed.text)))
        on_site = set()
        for page in site.glob("*.html"):
            on_site |= set(words(" ".join(read(page).text)))
        missing = expected - on_site
        assert not missing, f"{lang}: {sorted(missing)[:20]}"


def test_headings_never_skip_a_level(sites: dict[str, Path]) -> None:
    for site in sites.values():
        for page in site.glob("*.html"):
            levels = read(page).headings
            assert levels and levels[0] == 1, page
            for before, after in zip(levels, levels[1:], strict=False):
                assert after <= before + 1, (page.name, levels)


def test_axe_finds_no_serious_violation_on_any_page_and_screenshots(sites: dict[str, Path]) -> None:
    reason = browser.available()
    if reason:
        pytest.fail(reason)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    with browser.chromium() as driver:
        for lang, site in sites.items():
            for page in sorted(site.glob("*.html")):
                driver.get(page.as_uri())
                for violation in browser.axe_violations(driver):
                    targets = [str(n.get("target")) for n in violation.get("nodes", [])][:3]
                    found.setdefault(f"{lang}/{page.name}", []).append(f"{violation['id']}: {targets}")
        chapter = sites["en"] / "prevention.html"
        box = next(i for i in read(chapter).ids if i.startswith("mit-"))
        for width in (390, 1280):
            browser.screenshot(
                driver, chapter.as_uri(), SCREENSHOTS / f"web-prevention-{width}.png", width, box
            )
            browser.screenshot(
                driver, chapter.as_uri(), SCREENSHOTS / f"web-prevention-notes-{width}.png", width, "fn-9"
            )
    assert not found, found
