"""HTML for tables, figures, inline images and cross-references (apart from
``render_html.py``, which stays the renderer of text and boxes).

A table repeats its header row on every page it runs onto (``thead`` is a table-header
group) and no row is split across pages (``styles/common.css``). Captions are numbered per
edition (:mod:`.numbering`); a reference to a target the edition does not show prints the
full resource's number and says so, without a link the PDF could not resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .model import (
    Block,
    CrossRef,
    Heading,
    Image,
    InlineImage,
    Paragraph,
    Span,
    Table,
    TableCell,
    walk_blocks,
)

if TYPE_CHECKING:
    from .edition import Edition
    from .render_html import ContentRenderer

_CSS_LENGTH = r"^\d+(?:\.\d+)?(?:%|px|pt|mm|cm|in|em)?$"


def _size_style(attrs: dict[str, str], keys: tuple[str, ...] = ("width", "height")) -> Markup:
    parts = []
    for key in keys:
        value = attrs.get(key, "").strip()
        if re.match(_CSS_LENGTH, value):
            parts.append(f"{key}: {value if not value[-1].isdigit() else value + 'px'}")
    return Markup(' style="%s"') % "; ".join(parts) if parts else Markup("")


def caption_label(renderer: ContentRenderer, kind: str, number: str) -> Markup:
    label = renderer.labels.get("figure" if kind == "fig" else "table")
    return Markup('<span class="caption-label">%s\u00a0%s.</span>') % (label, number)


def figure(renderer: ContentRenderer, block: Image) -> Markup:
    from .render_html import publication_url

    src = publication_url(block.path, renderer.root) if block.path else ""
    ident = Markup(' id="%s"') % block.id if block.id else Markup("")
    from .render_html import plain_text

    # The alt text follows the caption into a translation.
    alt = " ".join(plain_text(block.caption.inlines).split()) if block.caption else block.alt
    # The width goes to the figure, so that its caption is as wide as the image.
    img = Markup('<img src="%s" alt="%s"%s>') % (src, alt, _size_style(block.attrs, ("height",)))
    width = _size_style(block.attrs, ("width",))
    if block.caption is None:
        return Markup("<figure%s%s>%s</figure>") % (ident, width, img)
    number = renderer.numbers.of(block) if renderer.numbers else ""
    label = caption_label(renderer, "fig", number) + Markup(" ") if number else Markup("")
    caption = Markup("<figcaption>%s%s</figcaption>") % (label, renderer.inlines(block.caption.inlines))
    return Markup('<figure class="figure"%s%s>%s%s</figure>') % (ident, width, img, caption)


def inline_image(renderer: ContentRenderer, node: InlineImage) -> Markup:
    from .render_html import publication_url

    src = publication_url(node.path, renderer.root) if node.path else ""
    return Markup('<img class="inline-image" src="%s" alt="%s"%s>') % (src, node.alt, _size_style(node.attrs))


def table(renderer: ContentRenderer, block: Table) -> Markup:
    ident = Markup(' id="%s"') % block.id if block.id else Markup("")
    # Classes a style can use: no relative widths were written, no header row.
    shape = ["table-auto"] if not block.widths else []
    shape += ["table-headless"] if not block.head else []
    classes = " ".join(["table", f"table-{block.kind}", *shape, *block.classes])
    parts = [Markup('<table class="%s"%s>') % (classes, ident)]
    if block.caption is not None:
        number = renderer.numbers.of(block) if renderer.numbers else ""
        label = caption_label(renderer, "tbl", number) + Markup(" ") if number else Markup("")
        parts.append(Markup("<caption>%s%s</caption>") % (label, renderer.inlines(block.caption.inlines)))
    if block.widths:
        total = sum(block.widths) or 1.0
        parts.append(
            Markup("<colgroup>%s</colgroup>")
            % Markup("").join(Markup('<col style="width: %.1f%%">') % (100 * w / total) for w in block.widths)
        )
    for tag, rows in (("thead", block.head), ("tbody", block.body)):
        if not rows:
            continue
        body = Markup("").join(
            Markup("<tr>%s</tr>") % Markup("").join(_cell(renderer, cell) for cell in row.cells)
            for row in rows
        )
        parts.append(Markup("<%s>%s</%s>") % (Markup(tag), body, Markup(tag)))
    parts.append(Markup("</table>"))
    return Markup("").join(parts)


def _cell(renderer: ContentRenderer, cell: TableCell) -> Markup:
    tag = Markup("th") if cell.header else Markup("td")
    align = Markup(' class="align-%s"') % cell.align if cell.align else Markup("")
    if len(cell.blocks) == 1 and isinstance(cell.blocks[0], Paragraph):
        content = renderer.inlines(cell.blocks[0].inlines)
    else:
        content = renderer.blocks(cell.blocks)
    return Markup("<%s%s>%s</%s>") % (tag, align, content, tag)


def equation(renderer: ContentRenderer, span: Span) -> Markup:
    """A numbered display equation: the math, and its number "(3)" at the right."""
    # By its id, not by identity: smart punctuation rebuilds the inline containers it passes.
    target = renderer.numbers.targets.get(span.attrs.get("id", "")) if renderer.numbers else None
    number = target[1] if target and target[0] == "eq" else ""
    label = Markup('<span class="equation-number">(%s)</span>') % number if number else Markup("")
    return Markup('<span class="equation" id="%s">%s%s</span>') % (
        span.attrs.get("id", ""),
        renderer.inlines(span.children),
        label,
    )


def crossref(renderer: ContentRenderer, node: CrossRef) -> Markup:
    """'Figure 2', 'Table 1', 'section 3.2' (or the heading's title when sections are not
    numbered), linked when the edition shows the target."""
    separator = Markup(", ") if node.continues else Markup("")
    return separator + _crossref_text(renderer, node)


def _crossref_text(renderer: ContentRenderer, node: CrossRef) -> Markup:
    shown = renderer.numbers.targets.get(node.target) if renderer.numbers else None
    full = renderer.full_numbers.targets.get(node.target) if renderer.full_numbers else None
    heading = renderer.headings.get(node.target)
    if node.kind == "sec" and not renderer.number_sections and heading is not None:
        text = renderer.inlines(heading.inlines) if isinstance(heading, Heading) else escape(heading)
        return _link(node.target, text) if shown else text
    number = (shown or full or ("", "?"))[1]
    if node.bare:
        text = escape(number)
    else:
        label = renderer.labels.get(f"xref-{node.kind}")
        if node.capital:
            label = label[:1].upper() + label[1:]
        text = Markup("%s\u00a0%s") % (label, number)
    if shown:
        return _link(node.target, text)
    return text + Markup(" ") + escape(renderer.labels.get("in-full-resource"))


def _link(target: str, text: Markup) -> Markup:
    return Markup('<a class="xref" href="#%s">%s</a>') % (target, text)


def prepare(renderer: ContentRenderer, edition: Edition) -> None:
    """Give the renderer the edition's numbers, the full resource's, and what it shows."""
    from .direction import script_of
    from .numbering import number_parts
    from .xref import equation_spans

    publication = edition.publication
    number = script_of(edition.lang).number  # numbers print in the locale's digits
    renderer.numbers = number_parts([(part.chapter, part.blocks) for part in edition.chapters]).in_digits(
        number
    )
    renderer.full_numbers = number_parts([(c, c.blocks) for c in publication.chapters]).in_digits(number)
    renderer.number_sections = publication.config.number_sections
    renderer.headings = {}
    for chapter in publication.chapters:
        renderer.headings[chapter.id] = chapter.title
        if chapter.heading_id:
            renderer.headings[chapter.heading_id] = chapter.title
        for block in walk_blocks(chapter.blocks):
            if isinstance(block, Heading) and block.id:
                renderer.headings.setdefault(block.id, block)
    anchors = {"bibliography"}
    for part in edition.chapters:
        for block in walk_blocks(part.blocks):
            anchors.update(s.attrs["id"] for s in equation_spans(getattr(block, "inlines", None) or []))
        if edition.layout == "full":  # the layout whose template gives chapters their ids
            anchors.add(part.chapter.id)
            if part.chapter.heading_id:
                anchors.add(part.chapter.heading_id)
        for block in walk_blocks(part.blocks):
            ident = getattr(block, "id", "")
            if ident:
                anchors.add(ident)
    renderer.anchors = anchors
    # A reference to something this edition does not show has no anchor to link to.
    renderer.numbers.targets = {k: v for k, v in renderer.numbers.targets.items() if k in anchors}


@dataclass
class ContentsEntry:
    level: int
    id: str
    heading: Heading
    number: str


def contents_entries(renderer: ContentRenderer, blocks: list[Block], depth: int) -> list[ContentsEntry]:
    """The headings the contents lists under a chapter: every level down to ``toc-depth``
    (the chapter itself is level 1), with or without an explicit id."""
    entries = []
    for block in blocks:
        if isinstance(block, Heading) and block.id and 2 <= block.level <= depth:
            if "unlisted" in block.classes:
                continue
            number = renderer.numbers.of(block) if renderer.numbers and renderer.number_sections else ""
            entries.append(ContentsEntry(block.level, block.id, block, number))
    return entries
