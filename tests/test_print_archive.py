"""Print and archive standards, read back from the PDFs: PDF/X for the press (output intent,
boxes, CMYK, embedded fonts, the preflight), and the structure tree's notes, boxes, tables."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image as PillowImage

from briefbuilder.compose import find_edition
from briefbuilder.errors import InputError
from briefbuilder.load import load_publication
from briefbuilder.pdf import layout_pdf, write_pdf_bytes
from briefbuilder.pipeline import build_edition
from briefbuilder.preflight import preflight
from briefbuilder.render_html import HtmlDocument

from conftest import RESOURCE


def build(root: Path, edition: str, variant: str | None, out: Path, print_marks: bool = False) -> Path:
    publication = load_publication(root)
    config = find_edition(publication, edition)
    config.pdf_variant = variant
    config.print_marks = print_marks
    return build_edition(publication, config, "en", out).path


def structure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []

    def walk(element: pikepdf.Dictionary) -> None:
        found.append(element)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                walk(kid)

    tops = pdf.Root.StructTreeRoot.K
    for top in tops if isinstance(tops, pikepdf.Array) else [tops]:
        walk(top)
    return found


def element_text(element: pikepdf.Dictionary, texts: dict[tuple[int, int], str], pages: dict) -> str:
    """The text of a structure element, from the marked content of its MCIDs."""
    parts = []
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int) and element.get("/Pg") is not None:
            parts.append(texts.get((pages[element.Pg.objgen], int(kid)), ""))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            parts.append(element_text(kid, texts, pages))
    return "".join(parts)


def marked_texts(path: Path) -> dict[tuple[int, int], str]:
    texts: dict[tuple[int, int], str] = {}
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (number, char["mcid"])
                    texts[key] = texts.get(key, "") + char["text"]
    return texts


# ---------------------------------------------------------------- PDF/X


@pytest.fixture(scope="module")
def x4_factsheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("x4")
    return build(RESOURCE, "factsheet-protection", "pdf/x-4", out, print_marks=True)


@pytest.mark.pdf
def test_x4_has_a_cmyk_output_intent_boxes_on_every_page_and_embedded_fonts(x4_factsheet: Path) -> None:
    with pikepdf.open(x4_factsheet) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert int(intent.DestOutputProfile.N) == 4  # CMYK
        assert "PDF/X-4" in str(pdf.open_metadata().get("pdfxid:GTS_PDFXVersion"))
        operators: set[str] = set()
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            media = [float(v) for v in page.MediaBox]
            assert bleed[0] < trim[0] and bleed[2] > trim[2]  # the bleed lies outside the trim
            assert media[0] < bleed[0] and media[2] > bleed[2]  # the crop marks outside the bleed
            for _, font in page.Resources.Font.items():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            # Every colour is CMYK: no DeviceRGB operator is left in the page.
            operators |= {str(op) for _, op in pikepdf.parse_content_stream(page)}
        assert not operators & {"rg", "RG"}
        assert "k" in operators
    assert preflight(x4_factsheet.read_bytes(), "pdf/x-4") == []


@pytest.mark.pdf
def test_x4_band_runs_into_the_bleed(x4_factsheet: Path) -> None:
    with pikepdf.open(x4_factsheet) as pdf:
        bleed = [float(v) for v in pdf.pages[0].BleedBox]
    with pdfplumber.open(x4_factsheet) as document:
        band = max(document.pages[0].rects, key=lambda r: r["width"] * r["height"])
        # The coloured band spans the bleed box, not only the trimmed page.
        assert band["x0"] <= bleed[0] + 0.1 and band["x1"] >= bleed[2] - 0.1


@pytest.mark.pdf
def test_preflight_names_the_page_and_the_object(x4_factsheet: Path, tmp_path: Path) -> None:
    plain = build(RESOURCE, "factsheet-protection", None, tmp_path)
    findings = preflight(plain.read_bytes(), "pdf/x-4")
    assert "document: no output intent of subtype GTS_PDFX (the printing condition is unknown)" in findings
    assert "page 1: content stream sets a DeviceRGB colour (rg)" in findings
    # A font left unembedded is named by its page, resource name and object number.
    with pikepdf.open(x4_factsheet) as pdf:
        name, font = next(iter(pdf.pages[0].Resources.Font.items()))
        del font.DescendantFonts[0].FontDescriptor["/FontFile2"]
        broken = io.BytesIO()
        pdf.save(broken)
    finding = next(f for f in preflight(broken.getvalue(), "pdf/x-4") if "embedded" in f)
    assert finding.startswith(f"page 1: Font {name} (object {font.objgen[0]} 0)")


@pytest.mark.pdf
def test_x1a_has_no_transparency_and_no_rgb(tmp_path: Path) -> None:
    path = build(RESOURCE, "factsheet-protection", "pdf/x-1a", tmp_path, print_marks=True)
    assert preflight(path.read_bytes(), "pdf/x-1a") == []
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.4"
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"
        for _, item in pdf.pages[0].Resources.XObject.items():
            assert "/Group" not in item  # the crop marks are no transparency groups any more


def test_x1a_refuses_an_rgb_image_at_its_source_line(mini: Path, tmp_path: Path) -> None:
    picture = io.BytesIO()
    PillowImage.new("RGB", (4, 4), (200, 30, 30)).save(picture, "PNG")
    (mini / "chapters" / "red.png").write_bytes(picture.getvalue())
    chapter = mini / "chapters" / "outreach.md"
    text = chapter.read_text()
    chapter.write_text(text + "\n![A red square](red.png)\n")
    line = len(text.splitlines()) + 2
    with pytest.raises(InputError) as info:
        build(mini, "full", "pdf/x-1a", tmp_path / "out")
    message = str(info.value)
    assert f"outreach.md:{line}: image 'red.png' is RGB: PDF/X-1a prints CMYK and grey images only" in message
    assert "![A red square](red.png)" in message  # the offending line
    assert not (tmp_path / "out").exists()  # refused before anything was written


# ---------------------------------------------------------------- the structure tree


@pytest.fixture(scope="module")
def ua1_full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(RESOURCE, "full", "pdf/ua-1", tmp_path_factory.mktemp("ua1"))


@pytest.mark.pdf
def test_every_footnote_is_a_note_tied_to_its_call(ua1_full: Path) -> None:
    texts = marked_texts(ua1_full)
    with pikepdf.open(ua1_full) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        elements = structure_elements(pdf)
        notes = [e for e in elements if e.get("/S") == "/Note"]
        calls = [e for e in elements if e.get("/S") == "/Reference" and "/Ref" in e]
        assert len(notes) == len(calls) == 80  # the English full edition's 80 footnotes
        ids = [str(note.ID) for note in notes]
        assert len(set(ids)) == 80
        id_tree = pdf.Root.StructTreeRoot.IDTree.Names
        assert {str(id_tree[i]) for i in range(0, len(id_tree), 2)} >= set(ids)
        by_object = {note.objgen: note for note in notes}
        for call in calls:
            (target,) = call.Ref
            note = by_object[target.objgen]
            label = next(k for k in note.K if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Lbl")
            number = element_text(call, texts, pages).strip()
            assert element_text(label, texts, pages).strip().rstrip(".") == number


@pytest.mark.pdf
def test_boxes_are_titled_sections_and_figures_keep_their_alt_text(mini: Path, tmp_path: Path) -> None:
    picture = io.BytesIO()
    PillowImage.new("L", (4, 4), 128).save(picture, "PNG")
    (mini / "chapters" / "grey.png").write_bytes(picture.getvalue())
    chapter = mini / "chapters" / "outreach.md"
    chapter.write_text(chapter.read_text() + "\n![A grey square](grey.png)\n")
    path = build(mini, "full", "pdf/ua-1", tmp_path)
    with pikepdf.open(path) as pdf:
        elements = structure_elements(pdf)
        titled = {str(e.T) for e in elements if e.get("/S") == "/Sect" and "/T" in e}
        assert "Run outreach with peers" in titled  # the mitigation box, by its title
        (figure,) = [e for e in elements if e.get("/S") == "/Figure"]
        assert str(figure.Alt) == "A grey square"
        parent = figure.P
        while parent.S == "/NonStruct":  # WeasyPrint's anonymous boxes: transparent
            parent = parent.P
        assert parent.S == "/Div"  # the <figure> groups image and caption


@pytest.mark.pdf
def test_table_headers_are_tagged_with_their_scope(tmp_path: Path) -> None:
    html = (
        '<html lang="en"><head><title>T</title></head><body><table>'
        "<thead><tr><th>Measure</th><th>Harm</th></tr></thead>"
        '<tbody><tr><th scope="row">Raids</th><td>Fear</td></tr></tbody></table></body></html>'
    )
    laid_out = layout_pdf(HtmlDocument(html, tmp_path), [tmp_path])
    for variant, scopes in (("pdf/ua-1", None), ("pdf/ua-2", None)):
        with pikepdf.open(io.BytesIO(write_pdf_bytes(laid_out, variant))) as pdf:
            elements = structure_elements(pdf)
            headers = [e for e in elements if e.get("/S") == "/TH"]
            scopes = [str(h.A.Scope) for h in headers]
            assert scopes == ["/Column", "/Column", "/Row"], variant
            cells = [e for e in elements if e.get("/S") == "/TD"]
            assert len(cells[0].A.Headers) == 2  # the cell names its column and row headers


@pytest.mark.pdf
def test_ua2_footnotes_are_fenotes_and_links_lead_to_structure(mini: Path, tmp_path: Path) -> None:
    path = build(mini, "full", "pdf/ua-2", tmp_path)
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "2.0"
        elements = structure_elements(pdf)
        notes = [e for e in elements if e.get("/S") == "/FENote"]
        assert notes and all("/ID" in note for note in notes)
        assert not [e for e in elements if e.get("/S") == "/Note"]
        assert {e.get("/S") for e in elements} >= {"/Aside", "/Reference", "/Lbl"}
        lists = [e for e in elements if e.get("/S") == "/L"]
        assert lists and all("/ListNumbering" in e.A for e in lists)
        links = [
            annot
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and annot.A.get("/S") == "/GoTo"
        ]
        assert links and all(annot.A.SD[0].get("/Type") == "/StructElem" for annot in links)
