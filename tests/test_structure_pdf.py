"""Tables, figures and cross-references as a reader meets them in the PDFs.

``tests/fixtures/structure`` has a 70-row table that runs over pages, figures with ids,
Quarto cross-references, an implicit header reference, number-sections and toc-depth 3, and
a mitigation box with its own figure (so the factsheet numbers it within itself).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import run_briefbuilder
from pdfread import page_texts

STRUCTURE = Path(__file__).parent / "fixtures" / "structure"

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("structure")
    result = run_briefbuilder("build", str(STRUCTURE), "--out", str(out), "-j", "1")
    assert result.returncode == 0, result.stderr
    folder = out / "structure" / "en"
    return {
        "stderr": result.stderr,
        "full": page_texts(folder / "full.pdf"),
        "full_path": folder / "full.pdf",
        "factsheet": page_texts(folder / "factsheet-measures.pdf"),
    }


def test_a_long_table_repeats_its_header_on_every_page_and_never_splits_a_row(built) -> None:
    pages = [text for text in built["full"] if "Row " in text]
    assert len(pages) >= 2
    for text in pages:
        assert "Indicator Count Share Note" in text  # the header row, on every page
    rows = [line for text in pages for line in text.splitlines() if re.match(r"Row \d\d indicator", line)]
    assert len(rows) == 70  # each row whole on one line of one page
    assert all(line.endswith(("region A", "region B", "region C", "region D", "region E")) for line in rows)


def test_figures_and_tables_are_numbered_and_referenced(built) -> None:
    text = "\n".join(built["full"])
    flat = " ".join(text.split())  # a caption may run over two lines of the 70-character measure
    assert "Figure 1. Reports received each year" in flat
    assert "Table 1. Indicators by row" in flat
    assert "Figure 2. Counts published by each office" in flat
    assert "Table 2. Cases per year" in flat
    assert "listed in Table 1 and drawn in Figure 1; the method is in section 1.1." in flat
    assert "Back to section 1.1, Figure 1 and the box\u2019s Figure 2; see also the method." in flat


def test_sections_are_numbered_and_listed_to_toc_depth(built) -> None:
    contents = built["full"][2]  # the cover, the imprint on its verso, then the contents
    for entry in ("1 Measures", "1.1 Method", "1.1.1 Sources and counts", "2 Outlook"):
        assert entry in contents
    assert "described in Sources and counts." in " ".join("\n".join(built["full"]).split())


def test_every_reference_is_a_link_that_resolves(built) -> None:
    assert "anchor" not in built["stderr"].lower()
    reader = PdfReader(built["full_path"])
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if "/Dest" in annotation or (action is not None and action.get("/S") == "/GoTo"):
                internal += 1
    # contents entries and the cross-references of both chapters, at least
    assert internal >= 12


def test_a_factsheet_numbers_what_it_shows_and_names_the_rest(built) -> None:
    text = " ".join("\n".join(built["factsheet"]).split())
    assert "Figure 1. Counts published by each office" in text
    assert "as Figure 1 shows, next to Table 1 in the full resource." in text


def test_unknown_targets_fail_the_build_at_their_line(tmp_path: Path) -> None:
    publication = tmp_path / "structure"
    shutil.copytree(STRUCTURE, publication)
    chapter = publication / "chapters" / "outlook.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nSee @fig-trnd.\n", encoding="utf-8")
    result = run_briefbuilder("check", str(publication))
    assert result.returncode == 1
    assert re.search(r"outlook\.md:\d+: cross-reference '@fig-trnd': no figure has this id", result.stderr)
    assert "did you mean '@fig-trend'?" in result.stderr
