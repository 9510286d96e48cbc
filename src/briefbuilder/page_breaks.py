"""No word hyphenated across a page break.

CSS has no rule for it and WeasyPrint none of its own, so the laid-out full edition is read
back: a page whose last line of running text ends in an automatic hyphen names that word,
the word is set unhyphenated (a ``compound`` span, as hyphenated compounds are) and the
edition is laid out again, at most a few times (each pass can move later breaks).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from markupsafe import escape

log = logging.getLogger(__name__)

HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character; source hyphens are U+002D
MAX_PASSES = 3


@dataclass(frozen=True)
class BrokenWord:
    source: str  # the data-src of the block the word stands in ("chapters/x.md:12")
    head: str  # the part before the break
    tail: str  # the part on the next page


def _lines(box, in_footnote: bool = False):  # type: ignore[no-untyped-def]
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


def _source(box) -> str:  # type: ignore[no-untyped-def]
    element = getattr(box, "element", None)
    while element is not None:
        source = element.get("data-src") if hasattr(element, "get") else None
        if source:
            return str(source)
        element = element.getparent() if hasattr(element, "getparent") else None
    return ""


def broken_words(document) -> list[BrokenWord]:  # type: ignore[no-untyped-def]
    """The words hyphenated from one page onto the next."""
    pages = [list(_lines(page._page_box)) for page in document.pages]
    found = []
    for number, lines in enumerate(pages[:-1]):
        if not lines:
            continue
        last = _text(lines[-1]).rstrip()
        if not last.endswith(HYPHEN):
            continue
        following = next((p for p in pages[number + 1 :] if p), None)
        head = re.split(r"\s", last[:-1])[-1]
        tail = re.split(r"[\s.,;:!?)»”’]", _text(following[0]).lstrip())[0] if following else ""
        source = _source(lines[-1])
        if head and tail and source:
            found.append(BrokenWord(source, head, tail))
    return found


def unhyphenate(html: str, words: list[BrokenWord]) -> str:
    """``html`` with each word set in a ``compound`` span inside the element it stands in."""
    for word in words:
        marker = f'data-src="{escape(word.source)}"'
        start = html.find(marker)
        if start < 0:
            continue
        whole = str(escape(word.head + word.tail))
        pattern = re.compile(rf"(?<![\w>]){re.escape(whole)}(?!\w)")
        match = pattern.search(html, start)
        if match is None:
            continue
        html = html[: match.start()] + f'<span class="compound">{whole}</span>' + html[match.end() :]
    return html


def avoid_page_end_hyphens(laid_out, lay_out_html, budget: int | None = None):  # type: ignore[no-untyped-def]
    """Lay out again until no page ends in a hyphenated word (or :data:`MAX_PASSES`);
    ``lay_out_html(html)`` lays out a changed document."""
    for _ in range(MAX_PASSES):
        words = broken_words(laid_out.document)
        if not words:
            break
        html = unhyphenate(laid_out.html, words)
        if html == laid_out.html:
            break
        log.debug("unhyphenating %d word(s) at page breaks", len(words))
        candidate = lay_out_html(html)
        if candidate.page_count > max(laid_out.page_count, budget or 0):
            break  # never pay a page (or the budget) for a hyphen
        laid_out = candidate
    return laid_out
