"""One long edition on every core: the chapters laid out in parallel, merged into one PDF.

The full edition's HTML is cut into parts at its top-level chapter sections (and the
bibliography): the front matter (cover, contents), then ``jobs`` groups of consecutive
chapters of about equal length. Each group is laid out and written by a forked worker
process as a document of its own; :mod:`.pdf_merge` joins the PDFs. The result has the
single document's pages and text because each part is told what it would have inherited:

- its first note number: ``html { counter-reset: footnote N }``, N counted in the HTML;
- its first page number: WeasyPrint paginates first and lays out the page margins (where
  the numbers are) afterwards, so a worker reports its page count after paginating, waits
  for its offset (the page counts of the parts before it), and only then makes its margin
  boxes. Pagination never waits: every part paginates at once;
- the running strings (the short title, the chapter) set by the parts before it;
- the recto start of the next chapter: a part ends with an empty copy of the next part's
  opening element, so WeasyPrint adds the blank page the single document has; the page of
  that copy is left out of the PDF;
- the contents' page numbers, known once the workers have paginated: the front matter is
  laid out by this process with the numbers written in (``target-counter(attr(href),
  page)`` becomes ``attr(data-bb-page)``).

Links that leave a part (contents -> chapters, citations -> bibliography) are written with
a borrowed anchor on the part's first page; the merge takes each anchor from its own part.

Where a stylesheet uses what this cannot carry across parts (``running()`` elements,
``target-text``, other ``target-counter`` forms, footnotes other than ``.footnote``), or the
variant is PDF 2.0 or PDF/X, :func:`lay_out_in_parallel` returns None and the edition is
laid out as one document, as it is with ``-j 1``. Workers are forked (``os.fork``) because
WeasyPrint's documents cannot be pickled to another process, and forked workers start
with everything this process has loaded.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import struct
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .edition import Edition
from .errors import Location
from .render_log import RendererLog

log = logging.getLogger(__name__)

OPT_IN = "BRIEFBUILDER_PARALLEL_CHAPTERS"  # "1": lay full editions out in parts with -j N
MIN_CHAPTERS = 3  # fewer chapters than this: one document (nothing to gain)
_PART_START = re.compile(r'^<section class="(?:[^"]*\s)?(?:chapter|bibliography)[\s"][^>]*>', re.M)
_BODY = re.compile(r"<body[^>]*>")
_HREF = re.compile(r'<a href="#([^"]+)"')
_FOOTNOTE = re.compile(r'class="(?:[^"]*\s)?footnote[\s"]')
_TOC_NUMBER = "target-counter(attr(href), page)"
_UNSUPPORTED = re.compile(r"element\(|target-text|target-counters")  # running() alone: unused
_END_ID = "bb-part-end"


@dataclass
class ParallelLayout:
    """What the pipeline needs of a layout: the written PDF, and what verify reads."""

    data: bytes
    page_count: int
    refused: list[str]
    resources: list[Path]
    log: RendererLog
    parts: int
    html: str = ""
    base_url: Path = Path(".")

    def laid_out(self, edition: Edition):  # type: ignore[no-untyped-def]
        """What :func:`.verify.verify_edition` and the renderer report read (no document)."""
        from .pdf import LaidOutDocument

        return LaidOutDocument(
            None, self.page_count, self.refused, self.html, self.resources, self.base_url, self.log
        )


@dataclass
class _Plan:
    head: str  # the HTML up to and including <body ...>
    front: str
    groups: list[str]
    first_notes: list[int]  # per group: the notes of everything before it
    next_openers: list[str]  # per group: the empty copy of what follows it ("" for the last)


def plan_parts(html: str, jobs: int) -> _Plan | None:
    body = _BODY.search(html)
    starts = [m.start() for m in _PART_START.finditer(html)]
    if body is None or len(starts) < MIN_CHAPTERS or starts[0] < body.end():
        return None
    end = html.rfind("</body>")
    head, front = html[: body.end()], html[body.end() : starts[0]]
    pieces = [html[a:b] for a, b in zip(starts, [*starts[1:], end], strict=True)]
    groups = _balanced(pieces, min(jobs, len(pieces)))
    notes = len(_FOOTNOTE.findall(front))
    first_notes = []
    for group in groups:
        first_notes.append(notes)
        notes += len(_FOOTNOTE.findall(group))
    openers = [_empty_copy(group) for group in groups[1:]] + [""]
    return _Plan(head, front, groups, first_notes, openers)


def _balanced(pieces: list[str], count: int) -> list[str]:
    """``count`` runs of consecutive pieces, the longest as short as it can be (layout time
    follows the length of the HTML): the smallest limit for which a greedy cut works."""
    sizes = [len(p) for p in pieces]

    def cuts(limit: int) -> list[int] | None:
        found, run = [], 0
        for index, size in enumerate(sizes):
            if run and run + size > limit:
                found.append(index)
                run = 0
            run += size
        return found if len(found) < count else None

    low, high = max(sizes), sum(sizes)
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if cuts(middle) is not None else (middle + 1, high)
    bounds = [0, *(cuts(low) or []), len(pieces)]
    return ["".join(pieces[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _empty_copy(fragment: str) -> str:
    opening = _PART_START.match(fragment)
    assert opening is not None
    classes = re.search(r'class="([^"]*)"', opening.group(0))
    return f'<section class="{classes.group(1) if classes else ""}" id="{_END_ID}"></section>'


def unsupported(css: str, edition: Edition) -> str | None:
    """Why this edition cannot be laid out in parts, or None."""
    from .pdf_tags import variant_pdf_version
    from .print_pdf import is_print_variant

    variant = edition.config.pdf_variant
    if is_print_variant(variant) or edition.config.print_marks:
        return "print variants convert colours of the whole document"
    if variant_pdf_version(variant) == "2.0":
        return "PDF 2.0 structure destinations are not merged"
    if edition.config.max_pages is not None:
        return "an edition with a page budget is fitted as one document"
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rest = css.replace(_TOC_NUMBER, "")
    if re.search(r"@page[^{]*:nth\(", css):
        return "page selectors by page index"
    if _UNSUPPORTED.search(css) or "target-counter" in rest:
        return "the style sheet uses running elements or cross-references other than the contents'"
    selectors = re.findall(r"([^{};]+)\{[^}]*float:\s*footnote", css)
    if any(s.strip() != ".footnote" for s in selectors):
        return "footnotes other than .footnote"
    return None


def lay_out_in_parallel(edition: Edition, jobs: int, fallback: Location) -> ParallelLayout | None:
    """The edition laid out in parts by ``jobs`` workers and merged, or None (see above)."""
    from markupsafe import Markup

    from .house_styles import HOUSE_STYLES
    from .pipeline import _reproducible_dates, load_css
    from .render_html import render_edition_html

    if jobs < 2 or edition.layout != "full" or not hasattr(os, "fork"):
        return None
    if os.environ.get(OPT_IN) != "1":
        # Not yet the default: the page-end hyphen and note-placement corrections
        # (page_breaks.py, note_placement.py) lay one document out again, and are not
        # applied part by part yet, so -j N could read differently from -j 1.
        return None
    css = load_css(edition.publication, edition.layout)
    if edition.config.page_size == "letter":
        css += Markup("\n@page { size: letter; }")
    reason = unsupported(str(css), edition)
    if reason:
        log.info("%s (%s): one document, %s", edition.name, edition.lang, reason)
        return None
    doc = render_edition_html(edition, css)
    plan = plan_parts(doc.html, jobs)
    if plan is None:
        return None
    _reproducible_dates(edition.publication)  # the workers write the PDFs
    context = _Context(doc.html, doc.base_url, [edition.publication.root, HOUSE_STYLES], edition, fallback)
    from .parallel_workers import run_parts

    return run_parts(plan, context)


@dataclass
class _Context:
    html: str
    base_url: Path
    roots: list[Path]
    edition: Edition
    fallback: Location
    extra: dict[str, Any] = field(default_factory=dict)


def send(fd: int, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    os.write(fd, struct.pack("!Q", len(data)))
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(fd: int) -> object:
    header = _read_exactly(fd, 8)
    (size,) = struct.unpack("!Q", header)
    return pickle.loads(_read_exactly(fd, size))  # noqa: S301 - our own forked worker


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("worker closed its pipe")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def describe_exception() -> str:
    return traceback.format_exc(limit=8)
