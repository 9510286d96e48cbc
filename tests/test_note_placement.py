"""Every note on its call's page, and calls set as superscripts: read back from the PDFs.

The English editions of the resource come from the session's ``resource_en`` fixture; a small
publication the tests never saw before (``fixtures/notes_stress``: long notes called near the
foot of full pages) is built with WeasyPrint's own footnote policy, so that only the
note-placement stage stands between it and notes printed a page late. Every edition in every
language: ``BRIEFBUILDER_VALIDATE_ALL=1``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefbuilder.cite import cite_edition
from briefbuilder.compose import compose_edition, find_edition, resolve_editions
from briefbuilder.errors import InputError
from briefbuilder.load import load_publication
from briefbuilder.note_placement import off_page_notes, place_notes
from briefbuilder.pipeline import build_edition, lay_out_within_budget
from briefbuilder.verify import check_note_pages
from pdf_notes import Call, off_page, read_notes

FIXTURES = Path(__file__).parent / "fixtures"


def _stress_copy(tmp_path: Path) -> Path:
    target = tmp_path / "notes_stress"
    shutil.copytree(FIXTURES / "notes_stress", target)
    # WeasyPrint's default: a note that does not fit goes to the next page, its call stays.
    (target / "styles").mkdir()
    (target / "styles" / "custom.css").write_text(".footnote { footnote-policy: auto; }\n")
    return target


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The unseen publication (WeasyPrint's own policy) and its built full edition."""
    root = _stress_copy(tmp_path_factory.mktemp("stress"))
    publication = load_publication(root)
    config = next(c for c in resolve_editions(publication) if c.name == "full")
    pdf = build_edition(publication, config, "en", tmp_path_factory.mktemp("stress-out")).path
    return root, pdf


def _check_calls(calls: list[Call], where: str) -> None:
    for call in calls:
        ratio = call.size / call.body_size
        assert 0.6 <= ratio <= 0.75, f"{where}: call {call.number} at {ratio:.0%} of the body size"
        assert call.raise_by >= 0.25 * call.size, f"{where}: call {call.number} not raised"
        assert not call.starts_line, f"{where}: call {call.number} starts a line on page {call.page}"


def _check_pdf(pdf: Path, where: str) -> int:
    pages = read_notes(pdf)
    assert off_page(pages) == [], f"{where}: notes off their call's page"
    calls = [call for page in pages for call in page.calls]
    _check_calls(calls, where)
    # Adjacent calls are read as separate numbers: every number once, none run together.
    numbers = sorted(call.number for call in calls)
    assert numbers == list(range(1, len(numbers) + 1)), f"{where}: calls {numbers}"
    return len(numbers)


@pytest.mark.pdf
def test_every_note_of_the_english_editions_on_its_calls_page(resource_en: dict[str, Path]) -> None:
    counts = {name: _check_pdf(pdf, f"en/{name}") for name, pdf in resource_en.items()}
    assert counts["full"] == 80


@pytest.mark.pdf
def test_the_stage_moves_calling_lines_of_an_unseen_publication(stress: tuple[Path, Path]) -> None:
    root, pdf = stress
    publication = load_publication(root)
    edition = cite_edition(compose_edition(publication, find_edition(publication, "full"), "en"))
    laid_out = lay_out_within_budget(edition)
    deferred = off_page_notes(laid_out)
    assert len(deferred) >= 3, "the fixture no longer forces WeasyPrint to defer notes"
    with pytest.raises(InputError, match=r"note\(s\) off their call's page"):
        check_note_pages(edition, laid_out)  # the verify stage would refuse to ship it
    laid_out, report = place_notes(laid_out)
    assert off_page_notes(laid_out) == [] and report.corrected
    # The PDF the pipeline wrote, read back: every note on its call's page.
    assert _check_pdf(pdf, "notes_stress") == edition.citations.note_count


@pytest.mark.pdf
@pytest.mark.skipif(not os.environ.get("BRIEFBUILDER_VALIDATE_ALL"), reason="BRIEFBUILDER_VALIDATE_ALL=1")
def test_every_note_of_every_output_on_its_calls_page(tmp_path: Path) -> None:
    resource = Path(__file__).resolve().parent.parent / "briefs" / "collateral-damage"
    publication = load_publication(resource)
    checked = 0
    for lang in [publication.config.lang, *publication.config.translations]:
        for config in resolve_editions(publication):
            if config.layout == "web":
                continue
            pdf = build_edition(publication, config, lang, tmp_path).path
            _check_pdf(pdf, f"{lang}/{config.name}")
            checked += 1
    assert checked == 6 * (1 + len(publication.config.translations))  # six PDF editions a language


def test_a_late_note_moves_only_its_sentence_and_what_follows() -> None:
    # Moving the whole calling paragraph left a page of the full edition three quarters empty.
    import xml.etree.ElementTree as ET

    from briefbuilder.note_placement import _split_before_calling_sentence

    root = ET.fromstring(
        '<body><p class="x" id="p1" data-src="a.md:3">First sentence. Second <em>one</em>. '
        'Third calls<span class="footnote">A note.</span> and goes on.</p><p>Next.</p></body>'
    )
    paragraph = root[0]
    note = paragraph.find("span")
    assert _split_before_calling_sentence(root, paragraph, note)
    first, rest = root[0], root[1]
    assert "".join(first.itertext()) == "First sentence. Second one. "
    assert "".join(rest.itertext()) == "Third callsA note. and goes on."
    assert rest.get("class") == "x continued" and "break-before: page" in rest.get("style")
    assert rest.get("id") is None and rest.get("data-src") == "a.md:3"  # ids stay unique
    assert root[2].text == "Next."


def test_a_note_in_a_paragraphs_first_sentence_is_left_to_the_next_correction() -> None:
    import xml.etree.ElementTree as ET

    from briefbuilder.note_placement import _split_before_calling_sentence

    root = ET.fromstring('<body><p>Only one sentence<span class="footnote">N.</span> here.</p></body>')
    assert not _split_before_calling_sentence(root, root[0], root[0].find("span"))
    assert len(root) == 1
