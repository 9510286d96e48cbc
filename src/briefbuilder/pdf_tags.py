"""Richer structure tags than WeasyPrint 70 writes by itself.

WeasyPrint derives the structure tree from HTML tag names only, so footnotes come out as
``Span``/``NonStruct``, mitigation boxes (``<aside>``) as ``NonStruct`` and lists without
their numbering. :func:`richer_tags` wraps WeasyPrint's tag builder while a PDF is written
and corrects each element where it is made, from the box and the HTML element behind it:

- a footnote (a box in a page's footnote area) becomes a ``Note`` (PDF 1.7, PDF/UA-1) or ``FENote``
  (PDF 2.0, PDF/UA-2) with an ``/ID``; its call becomes a ``Reference`` whose ``/Ref``
  points at the note, and the note's number a ``Lbl``;
- ``<aside>`` becomes an ``Aside`` (PDF 2.0) or a ``Sect`` (PDF 1.7, which has no Aside),
  titled (``/T``) with the box's heading;
- ``<th>`` gets its ``Scope``; lists get ``ListNumbering``; ``<figure>`` groups its image
  and caption (see :func:`_figure`);
- every ``/ID`` is listed in the structure root's ``IDTree``; in PDF 2.0, links and
  bookmarks also point at the structure element they lead to (structure destinations).

Why a hook rather than a pass over the written PDF with pikepdf: the written PDF no longer
says which structure element came from which HTML element, so a post-pass would have to
guess footnotes from their text or position. Here the box is at hand. The hook depends on
two private names of WeasyPrint (``pdf.tags._build_box_tree`` and ``pdf.add_tags``);
:func:`richer_tags` refuses to run when they are missing, and the tests read the tree back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_LOCK = threading.Lock()
_LIST_NUMBERING = {"1": "Decimal", "a": "LowerAlpha", "A": "UpperAlpha", "i": "LowerRoman", "I": "UpperRoman"}


def variant_pdf_version(variant: str | None) -> str | None:
    """The PDF version WeasyPrint writes for ``variant`` (None: its default, 1.7)."""
    if not variant:
        return None
    from weasyprint.pdf import VARIANTS

    return VARIANTS[variant][1].get("pdf_version")


class TaggingUnavailable(RuntimeError):
    """The installed WeasyPrint no longer has the tag builder this module extends."""


@dataclass
class _Collected:
    pdf2: bool
    note_boxes: set[int] = field(default_factory=set)  # id() of the boxes in footnote areas
    notes: dict[int, Any] = field(default_factory=dict)  # id(HTML element) -> first note element
    calls: list[tuple[int, Any]] = field(default_factory=list)  # (id(HTML element), call element)
    anchors: dict[str, Any] = field(default_factory=dict)  # HTML id -> first structure element
    bookmarked: list[Any] = field(default_factory=list)  # elements of bookmarked boxes, in order
    images: dict[int, Any] = field(default_factory=dict)  # id(image box) -> its Figure


@contextmanager
def richer_tags(pdf_version: str | None) -> Iterator[None]:
    """While active, PDFs written by WeasyPrint get the tags described in the module doc."""
    import weasyprint.pdf as weasy_pdf
    import weasyprint.pdf.tags as weasy_tags
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    original_tree = getattr(weasy_tags, "_build_box_tree", None)
    original_add = getattr(weasy_pdf, "add_tags", None)
    if original_tree is None or original_add is None:
        raise TaggingUnavailable("WeasyPrint's tag builder moved: briefbuilder.pdf_tags needs updating")
    collected = _Collected(pdf2=str(pdf_version or "") >= "2.0")

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):  # type: ignore[no-untyped-def]
        if isinstance(box, FootnoteAreaBox):  # whatever WeasyPrint set at the foot is a note
            collected.note_boxes.update(id(child) for child in box.children)
        for element in original_tree(box, parent, pdf, page_number, nums, annotations, tags):
            _refine(box, element, collected)
            yield element

    def add_tags(pdf, document, version, page_streams):  # type: ignore[no-untyped-def]
        original_add(pdf, document, version, page_streams)
        _link_notes(collected)
        _add_id_tree(pdf)
        if collected.pdf2:
            _structure_destinations(pdf, collected)
            _pdf2_namespace(pdf)

    with _LOCK:
        weasy_tags._build_box_tree = build_box_tree
        weasy_pdf.add_tags = add_tags
        try:
            yield
        finally:
            weasy_tags._build_box_tree = original_tree
            weasy_pdf.add_tags = original_add


def _refine(box: Any, element: Any, collected: _Collected) -> None:
    """Correct one structure element made by WeasyPrint for ``box``."""
    html = getattr(box, "element", None)
    tag = getattr(box, "element_tag", None)
    if html is None or tag is None or tag in ("html", "body") or element.get("Type") != "/StructElem":
        return
    import pydyf

    kind = element["S"]
    if tag.endswith("::footnote-call"):
        element["S"] = "/Reference"
        collected.calls.append((id(html), element))
        return
    if tag.endswith("::footnote-marker"):
        element["S"] = "/Lbl"
        return
    if "::" in tag or _anonymous(box):
        return
    if id(box) in collected.note_boxes:
        if id(html) in collected.notes:  # the rest of a note that ran onto the next page
            element["S"] = "/Div"
        else:
            element["S"] = "/FENote" if collected.pdf2 else "/Note"
            collected.notes[id(html)] = element
    elif tag == "aside":
        element["S"] = "/Aside" if collected.pdf2 else "/Sect"
        title = _box_title(html)
        if title:
            element["T"] = pydyf.String(title)
    elif tag == "figure" and kind == "/NonStruct":
        _figure(box, html, element, collected)
    elif kind == "/Figure":
        collected.images[id(box)] = element
    elif tag == "th":
        scope = "Row" if html.get("scope") == "row" else "Column"
        attributes = element.get("A") or pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = f"/{scope}"
        element["A"] = attributes
    elif kind == "/L" and tag in ("ul", "ol"):
        numbering = _list_numbering(box, html, tag)
        element["A"] = pydyf.Dictionary({"O": "/List", "ListNumbering": f"/{numbering}"})
    anchor = box.style["anchor"]
    if anchor and anchor not in collected.anchors:
        collected.anchors[anchor] = element
    if box.style["bookmark_level"] != "none" and getattr(box, "bookmark_label", None):
        collected.bookmarked.append(element)


def _figure(box: Any, html: Any, element: Any, collected: _Collected) -> None:
    """``<figure>``: a ``Div`` around the image's ``Figure`` and its ``Caption`` in PDF 1.7;
    in PDF 2.0, where a Caption must be the first or last child of a real element, the
    ``Figure`` itself (with the image's alt text; the image inside is left untyped), or
    an ``Aside`` for a pull quote."""
    import pydyf

    if not collected.pdf2:
        element["S"] = "/Div"
        return
    if "pullquote" in (html.get("class") or "").split():
        element["S"] = "/Aside"
        return
    element["S"] = "/Figure"
    for inner in box.descendants():
        image = collected.images.get(id(inner))
        if image is not None:
            image["S"] = "/NonStruct"
            if "Alt" in image:
                element["Alt"] = image.pop("Alt")
    if "Alt" not in element:
        element["Alt"] = pydyf.String(" ".join("".join(html.itertext()).split()))


def _anonymous(box: Any) -> bool:
    """Boxes WeasyPrint makes to wrap an element's children share its element and tag."""
    from weasyprint.css import AnonymousStyle

    return isinstance(box.style, AnonymousStyle)


def _box_title(html: Any) -> str:
    """A box's heading, else its label: what a screen reader announces for the section."""
    for child in html.iter():
        if isinstance(child.tag, str) and child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return " ".join("".join(child.itertext()).split())
    for child in html.iter():
        if child.get("class") == "box-label":
            return " ".join("".join(child.itertext()).split())
    return ""


def _list_numbering(box: Any, html: Any, tag: str) -> str:
    style = box.style["list_style_type"]
    if style == "none":
        return "None"
    if tag == "ol":
        return _LIST_NUMBERING.get(html.get("type", "1"), "Decimal")
    return {"circle": "Circle", "square": "Square"}.get(str(style), "Disc")


def _link_notes(collected: _Collected) -> None:
    """Number the notes in reading order and point each call at its note."""
    import pydyf

    for number, note in enumerate(collected.notes.values(), 1):
        note["ID"] = pydyf.String(f"note-{number}")
    for key, call in collected.calls:
        note = collected.notes.get(key)
        if note is not None:
            call["Ref"] = pydyf.Array([note.reference])
            note["Ref"] = pydyf.Array([*note.get("Ref", []), call.reference])  # PDF/UA-2: both ways


def _pdf2_namespace(pdf: Any) -> None:
    """Types PDF 1.7 lacks (FENote, Aside) belong to the PDF 2.0 namespace: say so."""
    namespace = next((o for o in pdf.objects if isinstance(o, dict) and o.get("Type") == "/Namespace"), None)
    if namespace is None:
        return
    for element in pdf.objects:
        if isinstance(element, dict) and element.get("S") in ("/FENote", "/Aside"):
            element["NS"] = namespace.reference


def _add_id_tree(pdf: Any) -> None:
    """List every structure element's ``/ID`` in the root's ``IDTree`` (a name tree)."""
    import pydyf

    with_ids = [
        o for o in pdf.objects if isinstance(o, dict) and o.get("Type") == "/StructElem" and "ID" in o
    ]
    root = next((o for o in pdf.objects if isinstance(o, dict) and o.get("Type") == "/StructTreeRoot"), None)
    if root is None or not with_ids:
        return
    names = pydyf.Array()
    for element in sorted(with_ids, key=lambda o: o["ID"].string):
        names.extend([element["ID"], element.reference])
    root["IDTree"] = pydyf.Dictionary({"Names": names})


def _structure_destinations(pdf: Any, collected: _Collected) -> None:
    """PDF 2.0: links and bookmarks lead to a structure element, not only to a place."""
    import pydyf

    def go_to(destination: Any, element: Any) -> Any:
        structure = pydyf.Array([element.reference, "/XYZ", "null", "null", "null"])
        return pydyf.Dictionary({"Type": "/Action", "S": "/GoTo", "D": destination, "SD": structure})

    outlines = [o for o in pdf.objects if isinstance(o, dict) and "Title" in o and "Dest" in o]
    if len(outlines) == len(collected.bookmarked):
        for outline, element in zip(outlines, collected.bookmarked, strict=True):
            outline["A"] = go_to(outline.pop("Dest"), element)
    for annotation in pdf.objects:
        if not (isinstance(annotation, dict) and annotation.get("Subtype") == "/Link"):
            continue
        destination = annotation.get("Dest")
        element = collected.anchors.get(getattr(destination, "string", None))
        if element is not None:
            annotation["A"] = go_to(annotation.pop("Dest"), element)
