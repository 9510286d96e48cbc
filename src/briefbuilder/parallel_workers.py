"""The workers of :mod:`.parallel_layout`: forked processes that lay out one part each.

A worker paginates its part, tells this process how many pages it has (and where its
anchors fall, and the running strings it leaves set), waits for its first page number and
the strings it inherits, makes its margin boxes, writes its PDF and sends it back. This
process lays out the front matter meanwhile and again with the contents' page numbers,
then merges. A worker that fails, or a front matter whose page count changes once the
numbers are written in, makes the edition fall back to one document (None): never a wrong
PDF.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .parallel_layout import (
    _END_ID,
    _HREF,
    _TOC_NUMBER,
    ParallelLayout,
    _Context,
    _Plan,
    describe_exception,
    receive,
    send,
)
from .render_log import RendererLog

log = logging.getLogger(__name__)


@dataclass
class Paginated:
    pages: int  # without the page of the end marker
    anchors: dict[str, int]  # id -> page within the part (1-based)
    strings: dict[str, Any]  # running string -> its last value in the part


@dataclass
class Finish:
    first_page: int  # the page number of the part's first page
    total_pages: int
    strings: dict[str, Any]  # inherited from the parts before


@dataclass
class Written:
    data: bytes
    borrowed: frozenset[str]
    records: list[tuple[int, str]]  # (level, message) of what the renderer reported
    served: list[Any] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@contextlib.contextmanager
def paginate_then(on_paginated: Callable[[Any, list], Finish], continued: bool) -> Iterator[None]:
    """While WeasyPrint lays out a document: after pagination, call ``on_paginated(context,
    pages)`` and apply the :class:`Finish` it returns before any margin box is made.

    ``continued``: the document continues another, so its first page is not the first
    (``@page :first`` does not apply): its pages are typed as if they came two later.
    """
    import weasyprint.layout as layout
    import weasyprint.layout.page as page_module

    page_type = page_module.PageType
    if continued:
        page_module.PageType = lambda side, blank, name, index, groups: page_type(
            side, blank, name, index + 2, groups
        )

    make_all_pages, make_margin_boxes = layout.make_all_pages, layout.make_margin_boxes
    made: dict[str, Any] = {}

    def all_pages(context, root_box, html, pages):  # type: ignore[no-untyped-def]
        made["pages"] = list(make_all_pages(context, root_box, html, pages))
        return made["pages"]

    def margin_boxes(context, page, state):  # type: ignore[no-untyped-def]
        if "finish" not in made:
            made["finish"] = finish = on_paginated(context, made["pages"])
            _apply(context, finish)
        return make_margin_boxes(context, page, state)

    layout.make_all_pages, layout.make_margin_boxes = all_pages, margin_boxes
    try:
        yield
    finally:
        layout.make_all_pages, layout.make_margin_boxes = make_all_pages, make_margin_boxes
        page_module.PageType = page_type


def _apply(context: Any, finish: Finish) -> None:
    shift = finish.first_page - 1
    for entry in context.page_maker[1:]:
        counters = entry[3][1]
        if "page" in counters:
            counters["page"] = [*counters["page"][:-1], counters["page"][-1] + shift]
        counters["pages"] = [finish.total_pages]
    for name, value in finish.strings.items():
        if not context.string_set[name].get(1):
            context.string_set[name][1] = [value]


def paginated(context: Any, pages: list) -> Paginated:
    anchors: dict[str, int] = {}
    for number, page in enumerate(pages, 1):
        for box in page.descendants():
            anchor = box.style["anchor"]
            if anchor and anchor not in anchors:
                anchors[anchor] = number
    count = len(pages) - 1 if anchors.get(_END_ID) == len(pages) else len(pages)
    strings = {}
    for name, by_page in context.string_set.items():
        set_on = [number for number in by_page if number <= count and by_page[number]]
        if set_on:
            strings[name] = by_page[max(set_on)][-1]
    return Paginated(count, anchors, strings)


def lay_out_part(
    html: str,
    ctx: _Context,
    on_paginated: Callable[[Paginated], Finish],
    write: bool = True,
    continued: bool = True,
) -> Written:
    """Lay out one part, leave out its end marker's page, lend it the anchors its links need,
    write it (unless ``write`` is false: a pass that only counts pages)."""
    from .pdf import LaidOutDocument, layout_pdf, write_pdf_bytes
    from .render_html import HtmlDocument

    seen: dict[str, Paginated] = {}

    def hook(context: Any, pages: list) -> Finish:
        seen["p"] = found = paginated(context, pages)
        return on_paginated(found)

    variant = ctx.edition.config.pdf_variant
    with paginate_then(hook, continued):
        laid_out = layout_pdf(HtmlDocument(html, ctx.base_url), ctx.roots, variant)
    document = laid_out.document
    count = seen["p"].pages
    if count < len(document.pages):  # type: ignore[attr-defined]
        document = document.copy(document.pages[:count])  # type: ignore[attr-defined]
    pages = document.pages  # type: ignore[attr-defined]
    own = {name for page in pages for name in page.anchors}
    wanted = {target for page in pages for kind, target, *_ in page.links if kind == "internal"}
    borrowed = frozenset(wanted - own)
    for name in sorted(borrowed):
        pages[0].anchors[name] = (0, 0, 0, 0)
    part = LaidOutDocument(
        document, count, laid_out.refused, html, laid_out.resources, laid_out.base_url, laid_out.log
    )
    _needs_no_correction(part)
    if not write:
        return Written(b"", borrowed, [])
    data = write_pdf_bytes(part, variant)
    records = [(r.levelno, r.getMessage()) for r in laid_out.log.records]
    return Written(data, borrowed, records, laid_out.resources, laid_out.refused)


class NeedsCorrection(RuntimeError):
    """The one-document path would lay this out again (a note off its call's page, a page
    ending in a hyphen): that correction is not made part by part, so fall back."""


def _needs_no_correction(part: Any) -> None:
    from .note_placement import off_page_notes
    from .page_breaks import page_end_hyphens

    if off_page_notes(part):
        raise NeedsCorrection("a note is printed on another page than its call")
    if any(element is not None for _n, element in page_end_hyphens(part.document)):
        raise NeedsCorrection("a page ends in a hyphenated word")


def _worker(index: int, html: str, ctx: _Context, to_parent: int, from_parent: int) -> None:
    def on_paginated(found: Paginated) -> Finish:
        send(to_parent, ("paginated", index, found))
        return receive(from_parent)  # type: ignore[return-value]

    try:
        written = lay_out_part(html, ctx, on_paginated)
        send(to_parent, ("written", index, written))
    except BaseException:  # noqa: BLE001 - reported to the parent, which falls back
        send(to_parent, ("failed", index, describe_exception()))


def _front_html(plan: _Plan, numbers: dict[str, int] | None) -> str:
    """The front matter with the contents' page numbers written in (placeholders first)."""
    head = plan.head.replace(_TOC_NUMBER, "attr(data-bb-page)")

    def numbered(match: Any) -> str:
        name = match.group(1)
        number = "000" if numbers is None else str(numbers.get(name, ""))
        return f'<a data-bb-page="{number}" href="#{name}"'

    body = _HREF.sub(numbered, plan.front)
    return _document(head, body + plan_end(plan, -1), "")


def plan_end(plan: _Plan, group: int) -> str:
    """The empty copy of what follows part ``group`` (-1: the front matter)."""
    if group == -1:
        from .parallel_layout import _empty_copy

        return _empty_copy(plan.groups[0])
    return plan.next_openers[group]


def _document(head: str, body: str, style: str) -> str:
    if style:
        head = head.replace("</head>", f"<style>{style}</style>\n</head>", 1)
    return f"{head}\n{body}\n</body>\n</html>\n"


def group_html(plan: _Plan, group: int) -> str:
    style = f"html {{ counter-reset: footnote {plan.first_notes[group]} }}"
    return _document(plan.head, plan.groups[group] + plan_end(plan, group), style)


def run_parts(plan: _Plan, ctx: _Context) -> ParallelLayout | None:
    from .pdf_merge import PartPdf, merge_parts

    children: list[tuple[int, int, int]] = []  # pid, read fd, write fd
    try:
        for index in range(len(plan.groups)):
            html = group_html(plan, index)
            up_read, up_write = os.pipe()
            down_read, down_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                os.close(up_read)
                os.close(down_write)
                for _pid, other_read, other_write in children:  # the other workers' pipes
                    os.close(other_read)
                    os.close(other_write)
                code = 0
                try:
                    _worker(index, html, ctx, up_write, down_read)
                except BaseException:  # noqa: BLE001
                    code = 1
                finally:
                    os._exit(code)
            os.close(up_write)
            os.close(down_read)
            children.append((pid, up_read, down_write))
        result = _coordinate(plan, ctx, children, merge_parts, PartPdf)
    except NeedsCorrection as reason:
        log.info("parallel layout: %s; laid out as one document", reason)
        _stop(children)
        return None
    except BaseException:
        _stop(children)
        raise
    else:
        if result is None:
            _stop(children)
        return result
    finally:
        for pid, read_fd, write_fd in children:
            for fd in (read_fd, write_fd):
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _stop(children: list[tuple[int, int, int]]) -> None:
    for pid, _read, _write in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _coordinate(plan, ctx, children, merge_parts, PartPdf) -> ParallelLayout | None:  # type: ignore[no-untyped-def]  # noqa: N803
    # The front matter, with placeholder numbers: its page count is the first offset.
    first = _front_pass(plan, ctx, None)
    counts: dict[int, Paginated] = {}
    for index, (_pid, read_fd, _write) in enumerate(children):
        kind, _i, payload = receive(read_fd)
        if kind != "paginated":
            _failed(index, payload)
            return None
        counts[index] = payload
    offsets, page = [], first.paginated.pages + 1
    for index in range(len(children)):
        offsets.append(page)
        page += counts[index].pages
    total = page - 1
    numbers = dict(first.paginated.anchors)
    for index, found in counts.items():
        for name, local in found.anchors.items():
            numbers.setdefault(name, offsets[index] + local - 1)
    strings = dict(first.paginated.strings)
    for index, (_pid, _read, write_fd) in enumerate(children):
        send(write_fd, Finish(offsets[index], total, dict(strings)))
        strings.update(counts[index].strings)
    front = _front_pass(plan, ctx, numbers, total)
    if front.paginated.pages != first.paginated.pages:
        log.warning("parallel layout: the contents changed length with its page numbers; one document")
        return None
    parts = [PartPdf(front.written.data, front.written.borrowed)]
    records = list(front.written.records)
    refused, served = list(front.written.refused), list(front.written.served)
    for index, (_pid, read_fd, _write) in enumerate(children):
        kind, _i, payload = receive(read_fd)
        if kind != "written":
            _failed(index, payload)
            return None
        parts.append(PartPdf(payload.data, payload.borrowed))
        records.extend(payload.records)
        refused.extend(payload.refused)
        served.extend(payload.served)
    data = merge_parts(parts)
    served = list(dict.fromkeys(served))
    return ParallelLayout(data, total, refused, served, _log(records), len(parts), ctx.html, ctx.base_url)


def _failed(index: int, payload: str) -> None:
    if "NeedsCorrection" in payload:
        log.info("parallel layout: part %d needs a correction; laid out as one document", index)
    else:
        log.warning("parallel layout: part %d failed, laid out as one document:\n%s", index, payload)


@dataclass
class _FrontPass:
    paginated: Paginated
    written: Written


def _front_pass(plan: _Plan, ctx: _Context, numbers: dict[str, int] | None, total: int = 0) -> _FrontPass:
    seen: dict[str, Paginated] = {}

    def on_paginated(found: Paginated) -> Finish:
        seen["p"] = found
        return Finish(1, total or found.pages, {})

    written = lay_out_part(
        _front_html(plan, numbers), ctx, on_paginated, write=numbers is not None, continued=False
    )
    return _FrontPass(seen["p"], written)


def _log(records: list[tuple[int, str]]) -> RendererLog:
    result = RendererLog()
    for level, message in records:
        result.records.append(logging.LogRecord("weasyprint", level, "", 0, message, None, None))
    return result
