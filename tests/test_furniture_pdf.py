"""What a print studio checks, read back from the PDFs: the measure, hyphenation, French
spacing in every label and heading, and a publication the layouts never saw carrying its own
brand (logo on the cover, colours in its boxes) and overriding a house style sheet."""

from __future__ import annotations

import re
import shutil
import statistics
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from briefbuilder.compose import find_edition, resolve_editions
from briefbuilder.house_styles import HOUSE_STYLES
from briefbuilder.load import load_publication
from briefbuilder.pipeline import build_edition

from conftest import FIXTURES, RESOURCE

pytestmark = pytest.mark.pdf

HYPHEN = "\u2010"  # what WeasyPrint prints where it hyphenates; the sources' hyphens are U+002D


def dominant(values: list) -> object:  # type: ignore[type-arg]
    return Counter(values).most_common(1)[0][0]


def body_lines(path: Path) -> tuple[list[list[dict]], float]:  # type: ignore[type-arg]
    """Every page's text lines, and the body text size (the commonest)."""
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text_lines(return_chars=True) for page in pdf.pages]
    size = dominant([round(c["size"], 1) for lines in pages[4:] for line in lines for c in line["chars"]])
    return pages, float(size)  # type: ignore[arg-type]


def line_size(line: dict) -> float:  # type: ignore[type-arg]
    return float(dominant([round(c["size"], 1) for c in line["chars"]]))  # type: ignore[arg-type]


def test_the_full_edition_sets_65_to_75_characters_a_line(resource_en: dict[str, Path]) -> None:
    pages, size = body_lines(resource_en["full"])
    lines = [line for lines in pages for line in lines if line["chars"] and line_size(line) == size]
    widest = max(line["x1"] - line["x0"] for line in lines)
    # Full lines only: a paragraph's last line and list items are shorter by nature.
    full = [len(line["text"]) for line in lines if line["x1"] - line["x0"] > 0.9 * widest]
    assert len(full) > 500
    assert 65 <= statistics.mean(full) <= 75, statistics.mean(full)


def test_no_page_ends_in_a_hyphen_and_no_heading_or_contents_line_is_hyphenated(
    resource_en: dict[str, Path],
) -> None:
    pages, size = body_lines(resource_en["full"])
    for number, lines in enumerate(pages, 1):
        body = [line for line in lines if line["chars"] and line_size(line) == size]
        if body:
            assert not body[-1]["text"].rstrip().endswith(HYPHEN), (number, body[-1]["text"])
        for line in lines:
            bold = all("Bold" in c["fontname"] for c in line["chars"] if c["text"].strip())
            if line["chars"] and (line_size(line) > size or bold or number <= 4):
                # Headings (larger), box titles and labels (bold), cover, imprint and contents.
                assert not line["text"].rstrip().endswith(HYPHEN), (number, line["text"])


@pytest.fixture(scope="session")
def resource_fr(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    publication = load_publication(RESOURCE)
    out = tmp_path_factory.mktemp("resource-fr")
    return [
        build_edition(publication, config, "fr", out).path
        for config in resolve_editions(publication)
        if config.layout != "web"
    ]


def test_french_puts_a_no_break_space_before_every_colon_semicolon_and_mark(resource_fr: list[Path]) -> None:
    missing = []
    for path in resource_fr:
        for number, page in enumerate(PdfReader(path).pages, 1):
            # A URL (broken over lines as it may be) is not prose: its colons stay as they are.
            text = re.sub(r"(?:https?|www|doi)[:.]\S*(?:\n\S*[/=?&;-]\S*)*", " ", page.extract_text())
            for match in re.finditer(r"(?<=(.))([:;!?])", text):
                before, after = match.group(1), text[match.end() : match.end() + 1]
                if before in "\u202f\u00a0" or after in "/=&" or (after.isalnum() and after != " "):
                    continue  # spaced, or inside a reference such as CELEX:32011L0036
                missing.append(f"{path.name} p. {number}: …{text[max(0, match.start() - 30) : match.end()]}")
    assert not missing, "\n".join(missing[:20])
    first = PdfReader(resource_fr[0]).pages
    guillemets = "".join(p.extract_text() for p in first)
    assert "«\u202f" in guillemets or "«\u00a0" in guillemets
    assert "Rien sur nous sans nous\u202f!" in guillemets.replace("\n", " ")


@pytest.fixture(scope="session")
def branded_full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("branded-src") / "branded"
    shutil.copytree(FIXTURES / "branded", folder)
    publication = load_publication(folder)
    return build_edition(publication, find_edition(publication, "full"), "en", folder.parent / "out").path


def rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def close(colour: object, expected: tuple[float, float, float]) -> bool:
    return (
        isinstance(colour, tuple | list)
        and len(colour) == 3
        and all(abs(a - b) < 0.01 for a, b in zip(colour, expected, strict=True))
    )


def test_an_unseen_publication_shows_its_logo_on_the_cover_and_its_colours_in_its_boxes(
    branded_full: Path,
) -> None:
    with pdfplumber.open(branded_full) as pdf:
        cover = pdf.pages[0]
        logos = [image for image in cover.images if image["top"] < cover.height / 3]
        assert logos, "no logo in the cover's top third"
        assert any(close(r["non_stroking_color"], rgb("#0b4f6c")) for r in cover.rects)  # the primary
        box_page = next(p for p in pdf.pages if "Let peers lead" in (p.extract_text() or ""))
        fills = [r["non_stroking_color"] for r in box_page.rects]
        assert any(close(f, rgb("#0b4f6c")) for f in fills), fills  # the box's rule: pillar 1
        imprint = pdf.pages[1].extract_text()
        back = pdf.pages[-1].extract_text()
        fonts = {c["fontname"].split("+")[-1].replace("-", "") for p in pdf.pages for c in p.chars}
    assert any(f.startswith("DejaVuSans") for f in fonts) and any(f.startswith("DejaVuSerif") for f in fonts)
    flat = " ".join(imprint.split())
    assert "Suggested citation".upper() in flat.upper()
    assert "Quay, A., & Marsh, B. (2025). Safer nights" in flat  # APA, the publication's style
    assert "ISBN 978-3-16-148410-0" in flat and "10.5555/safer-nights" in flat
    assert "Attribution-ShareAlike 4.0 International" in flat and "cc BY SA" in flat  # text and badge
    assert "funded by the Example Foundation" in flat
    assert "Harbour Health Collective" in back and "1 Quay Street" in back and "CC BY-SA 4.0" in back


def test_overriding_one_house_css_file_changes_the_pdf(tmp_path: Path) -> None:
    folder = tmp_path / "branded"
    shutil.copytree(FIXTURES / "branded", folder)
    (folder / "styles").mkdir()
    house = (HOUSE_STYLES / "full.css").read_text(encoding="utf-8")
    (folder / "styles" / "full.css").write_text(house + "\n.chapter-title { color: #c01060; }\n")
    publication = load_publication(folder)
    path = build_edition(publication, find_edition(publication, "full"), "en", tmp_path / "out").path
    with pdfplumber.open(path) as pdf:
        opener = next(
            p for p in pdf.pages if "Outreach at night" in (p.extract_text() or "") and p.page_number > 3
        )
        title = [c for c in opener.chars if c["size"] > 20]
    assert title and all(close(c["non_stroking_color"], rgb("#c01060")) for c in title)
