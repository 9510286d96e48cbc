"""No word hyphenated across a page break.

CSS has no rule for it and WeasyPrint none of its own, so the laid-out full edition is read
back: the paragraph whose line ends a page with an automatic hyphen is set without
hyphenation (``hyphens: manual`` on its element, as note_placement.py corrects notes) and the
parsed document is laid out again, at most a few times (each pass can move later breaks).
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character; source hyphens are U+002D
MAX_PASSES = 3


def _lines(box):  # type: ignore[no-untyped-def]
    """The line boxes of a page's running text, in order (no margin boxes, no notes)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox | boxes.FootnoteAreaBox):
        return
    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child)


def _text(box) -> str:  # type: ignore[no-untyped-def]
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_text(child) for child in getattr(box, "children", ()))


def page_end_hyphens(document) -> list[tuple[int, object]]:  # type: ignore[no-untyped-def]
    """(page number, paragraph element) for every page but the last whose running text ends
    in a hyphenated word."""
    found = []
    for number, page in enumerate(document.pages[:-1], 1):
        lines = list(_lines(page._page_box))
        if lines and _text(lines[-1]).rstrip().endswith(HYPHEN):
            found.append((number, getattr(lines[-1], "element", None)))
    return found


def avoid_page_end_hyphens(laid_out, budget: int | None = None):  # type: ignore[no-untyped-def]
    """Lay out again until no page ends in a hyphenated word (or :data:`MAX_PASSES`, or when
    the fix would cost a page or the budget)."""
    from .pdf import relayout

    if getattr(laid_out, "source", None) is None:
        return laid_out
    for _ in range(MAX_PASSES):
        found = [
            (n, e) for n, e in page_end_hyphens(laid_out.document) if e is not None and hasattr(e, "set")
        ]
        if not found:
            break
        pages = laid_out.page_count
        for _number, element in found:
            current = element.get("style") or ""
            element.set("style", f"{current}; hyphens: manual" if current else "hyphens: manual")
        log.debug("unhyphenating %d paragraph(s) that ended a page", len(found))
        laid_out = relayout(laid_out)
        if laid_out.page_count > max(pages, budget or 0):
            log.info("unhyphenating page ends cost a page; kept")
            break
    return laid_out
