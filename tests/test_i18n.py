"""The translators' workflow: extract, update, translate, build, and every way it can go wrong."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from briefbuilder.compose import find_edition
from briefbuilder.errors import InputError, UsageProblem
from briefbuilder.i18n.catalogue import extract, update
from briefbuilder.i18n.placeholders import check_translation, encode
from briefbuilder.i18n.status import coverage
from briefbuilder.labels import labels_for
from briefbuilder.load import load_publication
from briefbuilder.markdown import parse_markdown
from briefbuilder.pipeline import build_edition
from briefbuilder.render_html import ContentRenderer
from briefbuilder.translate import translate_publication

from pdfread import page_texts


def fake_french(msgid: str) -> str:
    """A stand-in 'translation' that keeps placeholders: every word gets a marker."""
    return re.sub(r"(?<![<\w/])([A-Za-z]{3,})", r"fr\1", msgid)


def translate_all(po_path: Path, translate=fake_french) -> polib.POFile:  # type: ignore[no-untyped-def]
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = translate(entry.msgid)
    po.save()
    return po


def test_extract_writes_template_with_ids_comments_and_references(mini: Path) -> None:
    pot = polib.pofile(str(extract(load_publication(mini))))
    ids = [e.msgctxt for e in pot]
    assert "publication::title1" in ids and "outreach:street-outreach:box-title1" in ids
    paragraph = next(e for e in pot if e.msgid.startswith("Peer workers know"))
    assert paragraph.msgid == "Peer workers know the area and are trusted.<c1/>"
    assert "<c1/> a citation" in paragraph.comment
    assert paragraph.occurrences[0][0] == "chapters/outreach.md"
    assert "roe-2019" not in pot.__unicode__()  # no citation keys, no URLs for translators
    assert "https://" not in pot.__unicode__()


def test_round_trip_builds_a_french_edition(mini: Path, tmp_path: Path) -> None:
    publication = load_publication(mini)
    path, counts = update(publication, "fr")
    assert counts["new"] > 10
    translate_all(path)
    result = build_edition(publication, find_edition(publication, "full"), "fr", tmp_path)
    text = " ".join(page_texts(result.path))
    assert "frOutreach frprogrammes" in text or "frOutreach" in text
    assert "Sommaire" in text  # UI labels in French
    assert str(PdfReader(result.path).trailer["/Root"].get("/Lang")) == "fr"


def test_source_edit_makes_a_segment_fuzzy_and_keeps_the_old_translation(mini: Path) -> None:
    publication = load_publication(mini)
    path, _ = update(publication, "fr")
    translate_all(path)
    chapter = mini / "chapters" / "outreach.md"
    chapter.write_text(
        chapter.read_text().replace("Street outreach happens at night.", "Street outreach happens at dusk.")
    )
    (mini / "chapters" / "intro.md").write_text(
        (mini / "chapters" / "intro.md").read_text() + "\nA new paragraph.\n"
    )
    _, counts = update(load_publication(mini), "fr")
    assert counts["fuzzy"] == 1 and counts["new"] == 1
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid.startswith("Street outreach happens at dusk"))
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid.startswith("Street outreach happens at night")
    assert entry.msgstr.startswith("frStreet")
    # Untouched segments kept their ids and translations.
    assert next(e for e in po if e.msgid.startswith("Outreach is the first step")).msgstr


def test_removed_segment_becomes_obsolete(mini: Path) -> None:
    path, _ = update(load_publication(mini), "fr")
    translate_all(path)
    chapter = mini / "chapters" / "outreach.md"
    chapter.write_text(
        chapter.read_text().replace('::: {.quote cite="A peer worker"}\nWe go where people are.\n:::\n', "")
    )
    _, counts = update(load_publication(mini), "fr")
    assert counts["obsolete"] == 2  # the quote and its attribution
    assert any(e.obsolete for e in polib.pofile(str(path)))


def test_dropped_placeholder_is_an_error_at_the_po_line(mini: Path) -> None:
    publication = load_publication(mini)
    path, _ = update(publication, "fr")
    po = translate_all(path)
    entry = next(e for e in po if "<c1/>" in e.msgid)
    entry.msgstr = entry.msgstr.replace("<c1/>", "")
    po.save()
    line = polib.pofile(str(path)).find(entry.msgid, msgctxt=entry.msgctxt).linenum
    with pytest.raises(InputError) as info:
        translate_publication(load_publication(mini), "fr")
    assert f"fr.po:{line}" in str(info.value)
    assert "missing placeholder(s) <c1/>" in str(info.value)


@pytest.mark.parametrize(
    "injected",
    [
        "<img src='file:///etc/passwd'>",
        "<script>x</script>",
        "![x](/etc/passwd)",
        "[a](javascript:x)",
        "<1>x</1>",
    ],
)
def test_injected_markup_is_refused(injected: str) -> None:
    source = encode(parse_markdown("Plain text here.[@a]\n", Path("x.md")).blocks[0].inlines)
    problems = check_translation(source, f"Texte {injected}<c1/>")
    assert problems, injected


def test_translated_text_is_escaped_never_markup(mini: Path, tmp_path: Path) -> None:
    publication = load_publication(mini)
    path, _ = update(publication, "fr")
    po = translate_all(path)
    for entry in po:
        if entry.msgctxt.startswith("intro::p"):
            tokens = "".join(re.findall(r"<[nc]\d+/>", entry.msgid))
            entry.msgstr = "Un texte avec &lt;b&gt; & et fin." + tokens
    po.save()
    translated, _ = translate_publication(load_publication(mini), "fr")
    html = ContentRenderer(None, labels_for("fr")).blocks(translated.chapters[0].blocks)
    assert "&lt;b&gt;" not in html or "<b>" not in html
    assert "<b>" not in html


def test_draft_falls_back_tagged_and_release_refuses(mini: Path) -> None:
    publication = load_publication(mini)
    update(publication, "fr")  # nothing translated
    translated, report = translate_publication(publication, "fr")
    assert report.fallback
    html = ContentRenderer(None, labels_for("fr")).blocks(translated.chapters[1].blocks)
    assert '<span class="untranslated" lang="en">' in html
    with pytest.raises(InputError) as info:
        translate_publication(publication, "fr", release=True)
    assert "translation missing (release builds refuse it)" in str(info.value)


def test_status_counts_words_and_gates(mini: Path) -> None:
    publication = load_publication(mini)
    path, _ = update(publication, "fr")
    rows, _ = coverage(publication, "fr")
    assert all(not row.complete for row in rows)
    translate_all(path)
    rows, _ = coverage(load_publication(mini), "fr")
    assert all(row.complete and row.percent == 100.0 for row in rows)
    full = next(r for r in rows if r.edition == "full")
    assert full.translated[0] > 10 and full.translated[1] > 50
    result = subprocess.run(
        [sys.executable, "-m", "briefbuilder", "i18n", "status", str(mini), "--lang", "fr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_broken_po_file_and_unknown_language(mini: Path) -> None:
    publication = load_publication(mini)
    path, _ = update(publication, "fr")
    path.write_text(path.read_text().replace('msgstr ""', 'msgstr "unterminated', 3))
    with pytest.raises(InputError) as info:
        translate_publication(load_publication(mini), "fr")
    assert "fr.po" in str(info.value) and "broken PO file" in str(info.value)
    with pytest.raises(UsageProblem):
        update(publication, "xx-notalanguage")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext not installed")
def test_msgfmt_accepts_every_shipped_catalogue() -> None:
    root = Path(__file__).resolve().parent.parent
    catalogues = sorted(root.glob("briefs/*/translations/*.po"))
    assert catalogues
    for catalogue in catalogues:
        result = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(catalogue)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
