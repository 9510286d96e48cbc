"""Stage ``note placement``: every footnote on the page of its call.

WeasyPrint moves a footnote that does not fit on its call's page to the next page and leaves
the call where it is. The style sheets ask for ``footnote-policy: line`` (CSS GCPM, which
WeasyPrint implements): the calling line moves to the next page with its note. This stage is
the guarantee behind it: it reads where each call and each note landed from WeasyPrint's
layout boxes and, for a note still printed off its call's page (the calling line could not
move alone), first splits the calling paragraph before the sentence that calls the note and
starts the rest on the next page (the page before keeps the paragraph's earlier lines), or,
where that is not possible, sets ``footnote-policy: block`` on that note (the paragraph
moves), and then ``break-before: page`` on the calling paragraph; the document
is laid out again after each round, until no note is off its page.

:func:`off_page_notes` is also the verify stage's check, so a build never ships a note on the
wrong page.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .pdf import LaidOutDocument, relayout

log = logging.getLogger(__name__)

MAX_ROUNDS = 12  # a round lays out once; each late note takes at most three corrections


@dataclass
class NotePosition:
    number: int  # the note's number, in document order
    call_page: int  # 1-based
    note_page: int | None  # None: the note was never printed
    call_box: object = None
    call_line: object = None  # the LineBox holding the call
    block: object = None  # the block box holding that line


@dataclass
class PlacementReport:
    rounds: int = 0
    corrected: list[int] = field(default_factory=list)  # notes whose calling line was moved
    off_page: list[NotePosition] = field(default_factory=list)  # notes still off their page


def _walk(box, parents: tuple = ()) -> Iterator[tuple[object, tuple]]:  # type: ignore[no-untyped-def]
    yield box, parents
    for child in getattr(box, "children", None) or []:
        yield from _walk(child, (*parents, box))


def note_positions(laid_out: LaidOutDocument) -> list[NotePosition]:
    """Each note's call page and note page, from the laid-out boxes, in call order."""
    calls: dict[int, NotePosition] = {}
    order: list[int] = []
    printed: dict[int, int] = {}
    for page_number, page in enumerate(laid_out.document.pages, 1):  # type: ignore[attr-defined]
        for box, parents in _walk(page._page_box):
            footnote = getattr(box, "footnote", None)
            if footnote is not None and str(getattr(box, "element_tag", "")).endswith("::footnote-call"):
                key = id(footnote.element)
                if key not in calls:
                    line = next((p for p in reversed(parents) if type(p).__name__ == "LineBox"), None)
                    block = None
                    if line is not None:
                        block = parents[parents.index(line) - 1] if parents.index(line) > 0 else None
                    calls[key] = NotePosition(0, page_number, None, box, line, block)
                    order.append(key)
            elif type(box).__name__ == "FootnoteAreaBox":
                for note in box.children:
                    printed.setdefault(id(note.element), page_number)
    positions = []
    for number, key in enumerate(order, 1):
        position = calls[key]
        position.number = number
        position.note_page = printed.get(key)
        positions.append(position)
    return positions


def off_page_notes(laid_out: LaidOutDocument) -> list[NotePosition]:
    return [p for p in note_positions(laid_out) if p.note_page != p.call_page]


_SENTENCE_END = re.compile(r"[.!?…][”’»\"')\]]*\s+(?=\S)")


def _split_before_calling_sentence(root, paragraph, note) -> bool:  # type: ignore[no-untyped-def]
    """Split ``paragraph`` before the sentence that holds ``note``'s call; the second part
    starts a page. False when the note is not the paragraph's own child or its sentence is
    the paragraph's first (then nothing would be gained over moving the paragraph)."""
    if paragraph is None or note is None or note not in list(paragraph):
        return False
    children = list(paragraph)
    index = children.index(note)
    # The paragraph's own text runs before the note, last first: (owner, is_tail, text).
    runs = [(paragraph, False, paragraph.text or "")] + [(c, True, c.tail or "") for c in children[:index]]
    found = next(
        (
            (run, list(_SENTENCE_END.finditer(run[2])))
            for run in reversed(runs)
            if _SENTENCE_END.search(run[2])
        ),
        None,
    )
    if found is None:
        return False
    (owner, is_tail, text), ends = found
    cut = ends[-1].end()
    parent = next((e for e in root.iter() if paragraph in list(e)), None)
    if parent is None:
        return False
    rest = copy.copy(paragraph)  # same tag and attributes
    rest.clear()
    for name, value in paragraph.attrib.items():
        if name != "id":
            rest.set(name, value)
    rest.set("class", ((paragraph.get("class") or "") + " continued").strip())
    _append_style(rest, "break-before: page")
    if is_tail:
        rest.text, owner.tail = text[cut:], text[:cut]
        moving = children[children.index(owner) + 1 :]
    else:
        rest.text, paragraph.text = text[cut:], text[:cut]
        moving = children
    for child in moving:
        paragraph.remove(child)
        rest.append(child)
    rest.tail, paragraph.tail = paragraph.tail, None
    parent.insert(list(parent).index(paragraph) + 1, rest)
    return True


def _append_style(element, declaration: str) -> None:  # type: ignore[no-untyped-def]
    current = element.get("style") or ""
    element.set("style", f"{current}; {declaration}" if current else declaration)


def place_notes(laid_out: LaidOutDocument) -> tuple[LaidOutDocument, PlacementReport]:
    """Correct the layout until every note is on its call's page (or no correction is left)."""
    report = PlacementReport()
    if laid_out.source is None:
        report.off_page = off_page_notes(laid_out)
        return laid_out, report
    steps: dict[int, int] = {}
    for _ in range(MAX_ROUNDS):
        off = off_page_notes(laid_out)
        if not off:
            report.off_page = []
            return laid_out, report
        changed = False
        for position in off:
            note = getattr(getattr(position.call_box, "footnote", None), "element", None)
            paragraph = getattr(position.call_line, "element", None)
            key = id(note)
            step = steps.get(key, 0)
            root = getattr(laid_out.source, "etree_element", None)
            if step == 0 and root is not None and _split_before_calling_sentence(root, paragraph, note):
                # Only the calling sentence and what follows go to the next page.
                pass
            elif note is not None and step <= 1:
                # The paragraph goes to the next page with its calling line.
                _append_style(note, "footnote-policy: block")
            elif paragraph is not None and step <= 2:
                _append_style(paragraph, "break-before: page")
            else:
                continue
            steps[key] = step + 1
            report.corrected.append(position.number)
            changed = True
            log.info(
                "note %d printed on page %s, its call on page %d: moving the calling paragraph",
                position.number,
                position.note_page,
                position.call_page,
            )
        if not changed:
            break
        laid_out = relayout(laid_out)
        report.rounds += 1
    report.off_page = off_page_notes(laid_out)
    return laid_out, report
