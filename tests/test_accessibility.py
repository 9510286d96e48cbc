"""Accessible and print-ready PDFs: tags, language, title, fonts, alt text, variants, bleed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefbuilder import build_custom
from briefbuilder.errors import InputError
from briefbuilder.load import load_publication

from helpers import run_briefbuilder
from pdfread import bookmarks, fonts

pytestmark = pytest.mark.pdf


def structure_types(reader: PdfReader) -> set[str]:
    """Every structure element type in the tag tree."""
    found: set[str] = set()
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if "/S" in node:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                stack.append(kid)
    return found


def test_every_english_pdf_is_tagged_with_language_title_and_embedded_fonts(
    resource_en: dict[str, Path],
) -> None:
    for name, pdf in resource_en.items():
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"], name
        assert str(root["/Lang"]) == "en", name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], name
        assert reader.metadata.title == "Collateral damage", name
        used = fonts(pdf)
        assert used and all(used.values()), (name, used)
        types = structure_types(reader)
        assert {"/P", "/H1"} <= types, (name, types)
    full = structure_types(PdfReader(resource_en["full"]))
    assert {"/H2", "/L", "/LI", "/Link", "/Note"} & full >= {"/H2", "/L", "/LI"}
    assert len(bookmarks(resource_en["full"])) >= 5


def test_translated_pdf_declares_its_language(tmp_path: Path) -> None:
    result = build_custom(
        Path(__file__).parent.parent / "briefs" / "collateral-damage",
        name="fr-check",
        chapters=["partnership"],
        lang="fr",
        out_dir=tmp_path,
    )
    assert str(PdfReader(result.path).trailer["/Root"]["/Lang"]) == "fr"


def test_images_need_alt_text_and_carry_it_into_the_tags(mini: Path, tmp_path: Path) -> None:
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
        b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    (mini / "images").mkdir()
    (mini / "images" / "dot.png").write_bytes(png)
    chapter = mini / "chapters" / "intro.md"
    original = chapter.read_text()
    chapter.write_text(original + "\n![](../images/dot.png)\n")
    with pytest.raises(InputError) as info:
        load_publication(mini)
    assert "has no alt text" in str(info.value)
    chapter.write_text(original + "\n![A single red dot](../images/dot.png)\n")
    result = build_custom(mini, name="img", layout="full", out_dir=tmp_path)
    assert b"A single red dot" in result.path.read_bytes() or "/Figure" in structure_types(
        PdfReader(result.path)
    )


def test_pdf_ua_variant_declares_conformance(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_briefbuilder(
        "build",
        str(mini),
        "-e",
        "full",
        "--pdf-variant",
        "pdf/ua-1",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out / "mini" / "en" / "full.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp


def test_print_adds_bleed_and_keeps_the_trim_size(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_briefbuilder(
        "build",
        str(mini),
        "-e",
        "factsheet-outreach",
        "--print",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    page = PdfReader(out / "mini" / "en" / "factsheet-outreach.pdf").pages[0]
    trim = [round(float(v), 1) for v in page["/TrimBox"]]
    bleed = [round(float(v), 1) for v in page["/BleedBox"]]
    assert trim == [0.0, 0.0, 595.3, 841.9]
    media = [round(float(v), 1) for v in page["/MediaBox"]]
    assert bleed == [-10.0, -10.0, 605.3, 851.9]  # 3.5 mm on every side, backgrounds fill it
    assert media == [-22.7, -22.7, 618.0, 864.6]  # 8 mm: the crop marks sit outside the bleed


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig not installed")
def test_a_character_no_font_can_draw_fails_the_build(mini: Path, tmp_path: Path) -> None:
    chapter = mini / "chapters" / "intro.md"
    # Plane 16's private use: no font draws it (Inter, which the brand example installs, draws
    # some of the Basic Multilingual Plane's private-use characters).
    chapter.write_text(chapter.read_text() + "\nA private-use character \U0010fffd here.\n")
    with pytest.raises(InputError) as info:
        build_custom(mini, name="tofu", layout="full", out_dir=tmp_path)
    assert "U+10FFFD" in str(info.value) and "intro.md:" in str(info.value)
