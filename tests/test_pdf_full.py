"""The full edition of the resource, read back from the PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from pdfread import bookmarks, fonts, link_uris, page_lines, page_texts

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def full_pdf(resource_en: dict[str, Path]) -> Path:
    assert resource_en["full"].parts[-3:] == ("collateral-damage", "en", "full.pdf")
    return resource_en["full"]


def test_contents_page_near_the_start_with_page_numbers(full_pdf: Path) -> None:
    texts = page_texts(full_pdf)
    contents = next(i for i, text in enumerate(texts[:4]) if text.startswith("Contents"))
    assert contents <= 2
    for title in (
        "Introduction",
        "Prevention",
        "Protection",
        "Prosecution",
        "Partnership",
        "Conclusion",
    ):
        match = re.search(rf"^{title}[ .]*(\d+)$", texts[contents], re.MULTILINE)
        assert match, f"{title} missing from contents"
        page = int(match.group(1))
        # The number printed in the contents is the page where the chapter starts.
        assert texts[page - 1].split("\n")[0:3].count(title) or title in texts[page - 1][:200]


def test_bookmarks_for_chapters_and_sections(full_pdf: Path) -> None:
    marks = bookmarks(full_pdf)
    assert len(marks) >= 5
    assert {"Introduction", "Prevention", "Protection", "Prosecution", "Partnership"} <= set(marks)
    assert "Rescue operations" in marks


def test_note_4_sits_at_the_foot_of_the_page_of_its_call(full_pdf: Path) -> None:
    pages = page_lines(full_pdf)
    for lines in pages:
        note = [line for line in lines if line.text.startswith("4. This guide uses the term")]
        if note:
            break
    else:
        pytest.fail("note 4 not found")
    text = " ".join(line.text for line in lines)
    assert "instead of the reductive term" in text.replace("\u2010", "-")
    body = [line for line in lines if "eliminate ‘sex" in line.text]  # the word may be hyphenated
    assert body, "the call of note 4 is not on the page of the note"
    assert note[0].top > body[0].top
    body_size = max(line.size for line in lines if line.size)  # body text is the largest here
    assert note[0].size < body[0].size <= body_size
    assert note[0].size <= 8.2


def test_every_note_url_is_a_link(full_pdf: Path) -> None:
    store = json.loads((ROOT / "references" / "collateral-damage.json").read_text())
    uris = set(link_uris(full_pdf))
    for item in store:
        if "URL" in item:
            assert item["URL"] in uris, item["id"]


def test_fonts_embedded_and_metadata(full_pdf: Path) -> None:
    used = fonts(full_pdf)
    assert used and all(used.values()), used
    assert any("Noto-Serif" in name for name in used)
    reader = PdfReader(full_pdf)
    assert reader.metadata.title == "Collateral damage"
    assert str(reader.trailer["/Root"].get("/Lang")) == "en"


def test_footnotes_are_numbered_through_the_edition(full_pdf: Path) -> None:
    numbers = []
    for lines in page_lines(full_pdf):
        numbers += [
            int(m.group(1))
            for line in lines
            if (m := re.match(r"^(\d{1,2})\. \S", line.text)) and line.size < 8.5
        ]
    assert numbers[:5] == [1, 2, 3, 4, 5]
    assert max(numbers) == 80


def normalised(text: str) -> str:
    """Letters only: line breaks, hyphenation, quote styles and note calls do not matter."""
    return re.sub(r"[\W\d_]+", "", text.replace("\u00ad", "").replace("\u200b", "")).lower()


def test_sentences_from_every_part_of_the_source(full_pdf: Path) -> None:
    text = normalised(" ".join(page_texts(full_pdf)))
    # The running text alone too: a sentence may run across a page break, past notes and headers.
    running = normalised(
        " ".join(line.text for lines in page_lines(full_pdf) for line in lines if line.size >= 9)
    )
    sample = (Path(__file__).parent / "fixtures" / "source_sample.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in sample.strip().split("\n")]
    assert {part for part, _ in rows} == {
        "introduction",
        "prevention",
        "protection",
        "prosecution",
        "partnership",
        "conclusion",
    }
    missing = [s for _, s in rows if normalised(s) not in text and normalised(s) not in running]
    assert not missing
