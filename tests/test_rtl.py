"""Right-to-left editions: direction and digits from CLDR, mirrored layout, bidi-safe mixed text.

The PDF tests read back a small Arabic publication of their own (tests/fixtures/rtl, locale
ar-EG, whose CLDR digits are Arabic-Indic) and the seed's Arabic factsheet. Text order is
read with poppler's pdftotext, which reorders the page's glyphs into logical order as a PDF
reader does; positions come from pdfplumber.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from briefbuilder.bidi import isolate_runs, run_texts
from briefbuilder.direction import counters_in_locale_digits, localise_css, mirror_page_rules, script_of
from briefbuilder.house_styles import HOUSE_STYLES

from conftest import FIXTURES, RESOURCE

RTL = FIXTURES / "rtl"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
MM = 72 / 25.4


# ---------------------------------------------------------------- CLDR


def test_direction_and_digits_come_from_cldr() -> None:
    assert (script_of("ar").direction, script_of("ar").numbering, script_of("ar").script) == (
        "rtl",
        "latn",
        "Arab",
    )
    assert (script_of("ar-EG").direction, script_of("ar-EG").numbering) == ("rtl", "arab")
    assert script_of("ar-EG").number("3.12") == "٣.١٢"
    assert script_of("fa").numbering == "arabext" and script_of("he").direction == "rtl"
    assert (script_of("en").direction, script_of("fr").number("12")) == ("ltr", "12")


# ---------------------------------------------------------------- CSS


def test_house_css_uses_logical_sides_outside_page_rules() -> None:
    """One stylesheet for both directions: a physical side outside @page would not mirror."""
    physical = re.compile(
        r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)(?:-\w+)?|left|right)\s*:"
        r"|text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)"
        r"|break-(?:before|after)\s*:\s*(?:left|right)"  # recto / verso follow the direction
    )
    for sheet in sorted(HOUSE_STYLES.glob("*.css")):
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.DOTALL)
        outside_pages = re.sub(r"@page[^{]*\{(?:[^{}]|\{[^{}]*\})*\}", "", css)
        found = physical.findall(outside_pages)
        assert not found, f"{sheet.name}: {found}"


def page_margins() -> tuple[float, float]:
    """The full layout's inner and outer margins (mm), from its left-to-right recto."""
    css = (HOUSE_STYLES / "full.css").read_text(encoding="utf-8")
    recto = re.search(r"@page :right \{(.*?)\n\}", css, re.DOTALL).group(1)
    inner = float(re.search(r"margin-left: ([\d.]+)mm", recto).group(1))
    outer = float(re.search(r"margin-right: ([\d.]+)mm", recto).group(1))
    return inner, outer


def test_page_rules_are_mirrored_for_right_to_left() -> None:
    css = (HOUSE_STYLES / "full.css").read_text(encoding="utf-8")
    mirrored = mirror_page_rules(css)
    # The left-to-right recto (:right: chapter title top right, folio bottom right, inner
    # margin left) is a right-to-left recto (:left) with every side swapped.
    right_page = re.search(r"@page :right \{(.*?)\n@page", css, re.DOTALL).group(1)
    left_page = re.search(r"@page :left \{(.*?)\n@page", mirrored, re.DOTALL).group(1)
    assert "string(chapter" in right_page and "string(chapter" in left_page
    assert re.search(r"@top-right \{\s*content: string\(chapter", right_page)
    assert re.search(r"@top-left \{content: string\(chapter", left_page)
    inner, outer = page_margins()
    assert f"margin-left: {inner:g}mm" in right_page and f"margin-right: {inner:g}mm" in left_page
    assert re.search(r"@bottom-left \{content: counter\(page\)", left_page)
    assert mirror_page_rules(".box { margin: 0 1mm 0 2mm; }") == ".box { margin: 0 1mm 0 2mm; }"
    assert "margin: 1mm 4mm 3mm 2mm" in mirror_page_rules("@page { margin: 1mm 2mm 3mm 4mm; }")


def test_counters_and_fonts_follow_the_locale() -> None:
    css = (
        '@page { @bottom-right { content: counter(page) " / " counter(pages); } }\n'
        "a::after { content: target-counter(attr(href), page); }"
    )
    assert "counter(page, locale-digits)" in counters_in_locale_digits(css)
    assert "target-counter(attr(href), page, locale-digits)" in counters_in_locale_digits(css)
    egyptian = localise_css(css, "ar-EG")
    assert '@counter-style locale-digits { system: numeric; symbols: "٠"' in egyptian
    assert '--serif: "Noto Naskh Arabic"' in egyptian and '--sans: "Noto Sans Arabic"' in egyptian
    assert "letter-spacing: normal" in egyptian  # joined letters are never spaced apart
    arabic = localise_css(css, "ar")  # CLDR: Latin digits for ar
    assert "locale-digits" not in arabic and "@bottom-left" in arabic
    assert localise_css(css, "fr") == css


# ---------------------------------------------------------------- bidi


def test_latin_runs_in_arabic_text_are_isolated_with_their_punctuation() -> None:
    body = (
        "<html><head><title>«Kept»</title><style>a { left: 0 }</style></head><body><p>"
        "يصف «Two Birds with One Stone?» و Brunovskis, A. و M.-L. Skilbrei، ص 13. "
        "منظمة (GAATW) و ‘EU Strategy 2012-2016’ "
        '<a href="https://doi.org/10.14197/atr.20121662">https://doi.org/10.14197/atr.20121662</a> '
        "و <code>x = y</code> و doi:10.1000/xyz123.</p></body></html>"
    )
    out = isolate_runs(body, "rtl")
    assert run_texts(out) == [
        "Two Birds with One Stone?",  # the title keeps its question mark
        "Brunovskis, A.",  # and an initial its period
        "M.-L. Skilbrei",  # a sentence's comma stays with the Arabic sentence
        "(GAATW)",
        "‘EU Strategy 2012-2016’",
        "doi:10.1000/xyz123",
    ]
    # A link whose text is one Latin run gets the direction itself (a span inside a link
    # would hide it from the PDF's tags).
    assert '<a dir="ltr" href="https://doi.org/10.14197/atr.20121662">https://doi.org/' in out
    linked = isolate_runs(
        '<body><p>راجع <a href="#x">The Report</a> و <a href="#y">التقرير</a></p></body>', "rtl"
    )
    assert '<a dir="ltr" href="#x">The Report</a>' in linked and '<a href="#y">التقرير</a>' in linked
    assert "<title>«Kept»</title>" in out and "<code>x = y</code>" in out
    assert isolate_runs("<body><p>English only.</p></body>", "ltr") == "<body><p>English only.</p></body>"
    # An English bibliography entry is one run, across its italics and link.
    entry = isolate_runs(
        '<body><p class="bib-entry">Doe, J. <i>A Report</i>. 2020.</p><p>نص</p></body>', "rtl"
    )
    assert (
        '<p class="bib-entry"><span dir="ltr" class="bidi-run">Doe, J. <i>A Report</i>. 2020.</span></p>'
        in entry
    )
    # In a left-to-right document, the Arabic run is the isolated one.
    assert run_texts(
        isolate_runs("<body><p>The term العاملون والعاملات في مجال الجنس, here.</p></body>", "ltr")
    ) == ["العاملون والعاملات في مجال الجنس"]


def test_placeholders_work_in_any_order_in_an_arabic_translation(mini: Path) -> None:
    """A translator may put the note before the citation: both are kept, runs isolated."""
    from briefbuilder.cite import cite_edition
    from briefbuilder.compose import compose_edition, find_edition
    from briefbuilder.i18n.catalogue import extract, update
    from briefbuilder.load import load_publication
    from briefbuilder.render_html import render_edition_html
    from briefbuilder.translate import translate_publication

    publication = load_publication(mini)
    extract(publication)
    path, _ = update(publication, "ar")
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        tags = re.findall(r"</?[a-z]*\d+/?>", entry.msgid)
        singles = [t for t in tags if t.endswith("/>")]
        if entry.msgid.startswith("A prose note breaks the run."):
            assert singles == ["<n1/>", "<c1/>"]
        # Arabic words, the placeholders reversed (paired tags keep their order).
        paired = "".join(t for t in tags if not t.endswith("/>"))
        entry.msgstr = (
            "نص عربي"
            + "".join(reversed(singles))
            + (f" {paired[: len(paired) // 2]}كلمة{paired[len(paired) // 2 :]}" if paired else "")
        )
    catalogue.save(str(path))
    translated, report = translate_publication(load_publication(mini), "ar", release=True)
    assert not report.fallback
    edition = cite_edition(compose_edition(translated, find_edition(translated, "full"), "ar"))
    html = render_edition_html(edition, localise_css("", "ar")).html
    assert '<html lang="ar" dir="rtl">' in html
    # "A prose note.^[...] Then the work again.[@doe-2020, p. 15]" translated as
    # "<c1/><n1/>": the citation's note now comes first, then the prose note.
    paragraph = next(p for p in html.split("<p ") if 'intro.md:9"' in p)
    assert re.search(
        r'نص عربي<span class="footnote">[^<]*15\.</span>'
        r'(?:<span class="call-sep">[^<]*</span>)?<span class="footnote[^"]*"><span class="fn-p">نص عربي',
        paragraph,
    )
    first = next(p for p in html.split("<p ") if 'intro.md:6"' in p)
    # A note with no Arabic word reads as one English phrase; its number stays at the right.
    assert re.search(
        r'<span class="footnote"><span dir="ltr" class="bidi-run">\S+ Doe, <i>A report on outreach</i>',
        first,
        re.I,
    )
    assert '<a dir="ltr" class="url" href="https://example.org/report.pdf">https:' in first


# ---------------------------------------------------------------- citations


def test_citation_terms_in_the_editions_language() -> None:
    from briefbuilder.cite import cite_edition
    from briefbuilder.compose import compose_edition, find_edition
    from briefbuilder.load import load_publication
    from briefbuilder.translate import translate_publication

    publication = load_publication(RESOURCE)
    expected = {
        "es": ("Anónimo.", r"Cyrus, \S+ y \S+ Vogel\.", "N.º 9."),
        "ru": ("Аноним.", r"Cyrus, \S+ и \S+ Vogel\.", "№ 9."),
        "ar": ("مجهول.", r"Cyrus, \S+ و \S+ Vogel\.", "رقم 9."),
        "en": ("Anonymous.", r"Cyrus, \S+, and \S+ Vogel\.", "No. 9."),
    }
    for lang, (anonymous, pair, number) in expected.items():
        translated, _ = translate_publication(publication, lang)
        edition = cite_edition(compose_edition(translated, find_edition(translated, "full"), lang))
        entries = {k: str(v) for k, v in edition.citations.bibliography_by_key.items()}
        assert entries["anonymous-2019-decriminalization"].startswith(anonymous), lang
        assert re.match(pair, entries["cyrus-vogel-2017"]) and number in entries["cyrus-vogel-2017"], lang
        if lang != "en":  # no serial comma outside English
            assert not any(re.search(r", (?:y|и|و) [A-Z]", e) for e in entries.values()), lang


def test_arabic_labels_are_complete() -> None:
    from briefbuilder.labels import _catalogue

    catalogue = _catalogue()
    assert set(catalogue["en"]) <= set(catalogue["ar"])


# ---------------------------------------------------------------- PDFs


def logical_text(pdf: Path, page: int | None = None) -> str:
    from pdfread import logical_lines

    return "\n".join(logical_lines(pdf, page))


@pytest.fixture(scope="session")
def rtl_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from briefbuilder.compose import resolve_editions
    from briefbuilder.load import load_publication
    from briefbuilder.pipeline import build_edition

    publication = load_publication(RTL)
    out = tmp_path_factory.mktemp("rtl")
    built = {}
    for config in resolve_editions(publication):
        if config.name in ("full", "factsheet-outreach"):
            result = build_edition(publication, config, "ar-EG", out)
            assert not [w for w in result.report.warnings if "font" in str(w)], result.report.warnings
            built[config.name] = result.path
    return built


@pytest.mark.pdf
def test_mixed_arabic_and_english_read_in_logical_order(rtl_pdfs: dict[str, Path]) -> None:
    text = logical_text(rtl_pdfs["full"])
    # One paragraph, Arabic around an English name and its abbreviation.
    assert "تقول منظمة La Strada International (LSI) إن حماية" in text
    # A note citing an English title with a page locator: the title keeps its "?", the
    # locator follows the journal's issue, the DOI comes last.
    note = next(line for line in text.splitlines() if "Brunovskis" in line)
    assert re.match(r"١\. \S+ Brunovskis و \S+ Skilbrei", note), note
    assert "Two Birds with One Stone? Implications" in note
    following = text[text.index(note) + len(note) :].split("\n")[1]
    assert all(part in following for part in ("Anti-Trafficking Review", "عدد", "2016", "13"))
    assert "https://doi.org/10." in following  # the DOI, whole as a link (test_urls_survive_as_links)


@pytest.mark.pdf
def test_mixed_text_is_placed_right_to_left_on_the_page(rtl_pdfs: dict[str, Path]) -> None:
    import pdfplumber

    with pdfplumber.open(rtl_pdfs["full"]) as pdf:
        page = next(p for p in pdf.pages if "Brunovskis" in (p.extract_text() or ""))
        words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
        brunovskis = next(w for w in words if w["text"].startswith("Brunovskis"))
        line = [w for w in words if abs(w["bottom"] - brunovskis["bottom"]) < 4]
        skilbrei = next(w for w in line if "Skilbrei" in w["text"])
        # "Brunovskis و Skilbrei": read from the right, the first author comes first.
        assert brunovskis["x0"] > skilbrei["x1"]
        stone = next(w for w in line if w["text"].startswith("Stone"))
        assert stone["text"] == "Stone?"  # the question mark stays at the end of its title
        birds = next(w for w in line if w["text"] == "Birds")
        assert birds["x1"] < stone["x0"]  # inside the English run, left to right
        # The locator follows the year: to its left, on the next line.
        below = [w for w in words if 0 < w["top"] - brunovskis["top"] < 15]
        year = next(w for w in below if "(2016)" in w["text"])
        locator = next(w for w in below if w["text"].strip(",.") == "13")
        assert locator["x1"] < year["x0"]
        # The note's number is at the right, in Arabic-Indic digits.
        number = max((w for w in line), key=lambda w: w["x1"])
        assert number["text"].strip(".") and set(number["text"].strip(".")) <= set(ARABIC_INDIC)


@pytest.mark.pdf
def test_urls_survive_as_links(rtl_pdfs: dict[str, Path]) -> None:
    from pdfread import link_uris

    uris = link_uris(rtl_pdfs["full"])
    assert "https://lastradainternational.org/" in uris
    assert "https://doi.org/10.14197/atr.20121662" in uris


@pytest.mark.pdf
def test_pages_are_mirrored_and_numbered_in_the_locales_digits(rtl_pdfs: dict[str, Path]) -> None:
    import pdfplumber

    reader = PdfReader(rtl_pdfs["full"])
    assert reader.trailer["/Root"]["/Lang"] == "ar-EG"
    with pdfplumber.open(rtl_pdfs["full"]) as pdf:
        assert len(pdf.pages) >= 5
        for number, page in enumerate(pdf.pages[2:5], start=3):
            words = page.extract_words()
            if not words:
                continue  # a blank page before a chapter that starts on a recto
            folio = max(words, key=lambda w: w["bottom"])
            assert folio["text"] == script_of("ar-EG").number(number)
            recto = number % 2 == 1  # right to left, the odd pages are on the left of a spread
            # The folio on the outer edge: the left of a recto, the right of a verso.
            assert (folio["x1"] < page.width / 2) == recto, number
            body = [w for w in words if w["top"] > 40 * MM and w["bottom"] < page.height - 40 * MM]
            right_edge = max(w["x1"] for w in body)
            # The inner margin (30 mm) is at the right of a recto: the binding is on the right.
            inner, outer = page_margins()
            assert abs((page.width - right_edge) - (inner if recto else outer) * MM) < 3 * MM, number
        contents = next(t for i in range(1, 5) if "المحتويات" in (t := logical_text(rtl_pdfs["full"], i)))
        assert "١.١" in contents and "٢.١" in contents and not re.search(r"[0-9]", contents)
        # The mitigation box's rule is at its right.
        page = next(p for i, p in enumerate(pdf.pages, 1) if "إشراك" in logical_text(rtl_pdfs["full"], i))
        # WeasyPrint fills a border as the outer shape less the inner one: both share the left
        # edge, and the inner one stops the rule's 4 pt short of the right.
        rule = [c for c in page.curves if c["fill"] and c["height"] > 10 * MM]
        box = next(r for r in page.rects if r["width"] > 50 * MM and abs(r["top"] - rule[0]["top"]) < 1)
        assert len({round(c["x0"], 1) for c in rule}) == 1, rule
        right_edges = sorted(c["x1"] for c in rule)
        assert abs(right_edges[-1] - box["x1"]) < 1 and abs(right_edges[-1] - right_edges[0] - 4) < 0.5, rule
        # Lists and notes start at the right.
        words = page.extract_words()
        bullets = [w for w in words if w["text"] == "•"]
        assert len(bullets) == 2
        for bullet in bullets:
            item = [w for w in words if abs(w["bottom"] - bullet["bottom"]) < 4 and w is not bullet]
            assert bullet["x0"] > max(w["x1"] for w in item) and bullet["x1"] > box["x1"] - 15 * MM


@pytest.mark.pdf
def test_arabic_fonts_are_embedded_and_draw_every_glyph(rtl_pdfs: dict[str, Path]) -> None:
    from pdfread import fonts

    found = fonts(rtl_pdfs["full"])
    assert any("Noto-Naskh-Arabic" in name and embedded for name, embedded in found.items()), found
    assert any("Noto-Sans-Arabic" in name and embedded for name, embedded in found.items()), found
    # A glyph no font draws prints as .notdef, which has no Unicode: it reads back as U+FFFD.
    assert "\ufffd" not in logical_text(rtl_pdfs["full"])


@pytest.mark.pdf
def test_arabic_factsheet_validates_as_pdf_ua_with_lang_ar(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "validators"))
    from verapdf import classpath, validate

    from briefbuilder.compose import find_edition
    from briefbuilder.load import load_publication
    from briefbuilder.pipeline import build_edition

    publication = load_publication(RESOURCE)
    config = find_edition(publication, "factsheet-protection")
    config.pdf_variant = "pdf/ua-1"
    pdf = build_edition(publication, config, "ar", tmp_path).path
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Direction"] == "/R2L"  # spreads open right to left
    text = logical_text(pdf, 1)
    assert "في مجال الجنس" in text
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        footer = [w for w in page.extract_words() if w["top"] > page.height - 20 * MM]
        folio = next(w for w in footer if w["text"] == "/")
        title = max(footer, key=lambda w: w["x1"])
        # The folio ("1 / 2") moves to the left; the running title to the right.
        assert folio["x1"] < page.width / 3 and title["x0"] > page.width * 2 / 3
    if classpath() is None:
        pytest.skip("veraPDF not installed")
    verdict = validate(pdf, "ua1")
    assert verdict.compliant, verdict.output


def test_the_web_edition_is_right_to_left_too(tmp_path: Path) -> None:
    from briefbuilder.compose import find_edition
    from briefbuilder.load import load_publication
    from briefbuilder.pipeline import build_edition

    publication = load_publication(RTL)
    site = build_edition(publication, find_edition(publication, "web"), "ar-EG", tmp_path).path
    page = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar-EG" dir="rtl">' in page
    chapter = next(p.read_text(encoding="utf-8") for p in site.glob("*.html") if "La Strada" in p.read_text())
    assert '<span dir="ltr" class="bidi-run">La Strada International (LSI)</span>' in chapter
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert '"Noto Naskh Arabic"' in css and "border-inline-end" in css
