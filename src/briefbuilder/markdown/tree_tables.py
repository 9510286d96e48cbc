"""Table and figure tokens into the document tree (kept apart from ``tree.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.token import Token

from ..errors import Location
from ..model import Block, Image, Paragraph, Table, TableCell, TableRow
from .token_walk import closing_index

if TYPE_CHECKING:
    from .tree import _TreeBuilder


def build_table(builder: _TreeBuilder, tokens: list[Token], index: int, close: int, where: Location) -> Table:
    meta = tokens[index].meta or {}
    table = Table(
        where,
        head=[],
        body=[],
        aligns=list(meta.get("aligns", [])),
        widths=list(meta.get("widths", [])),
        id=str(meta.get("id", "")),
        classes=list(meta.get("classes", [])),
        kind=str(meta.get("kind", "pipe")),
    )
    inner = index + 1
    group: list[TableRow] = table.body
    while inner < close:
        token = tokens[inner]
        if token.type == "table_caption_open":
            caption = tokens[inner + 1]
            table.caption = Paragraph(
                builder.location(caption), builder.inlines(caption.children or [], where, caption.content)
            )
            inner += 3
            continue
        if token.type == "thead_open":
            group = table.head
        elif token.type == "tbody_open":
            group = table.body
        elif token.type == "tr_open":
            row_close = closing_index(tokens, inner)
            group.append(_row(builder, tokens, inner, row_close))
            inner = row_close + 1
            continue
        inner += 1
    return table


def _row(builder: _TreeBuilder, tokens: list[Token], index: int, close: int) -> TableRow:
    row = TableRow(builder.location(tokens[index]), [])
    inner = index + 1
    while inner < close:
        token = tokens[inner]
        cell_close = closing_index(tokens, inner)
        where = builder.location(token)
        if inner + 1 < cell_close and tokens[inner + 1].type == "inline":
            content = tokens[inner + 1]
            blocks: list[Block] = (
                [Paragraph(where, builder.inlines(content.children or [], where, content.content))]
                if content.content.strip()
                else []
            )
        else:
            blocks = builder.blocks(tokens, inner + 1, cell_close)
        align = str((token.meta or {}).get("align", ""))
        row.cells.append(TableCell(where, blocks, align=align, header=token.type == "th_open"))
        inner = cell_close + 1
    return row


def build_figure(builder: _TreeBuilder, image: Token, where: Location) -> Image:
    """A lone image with a caption (its alt text), as Pandoc's implicit figures."""
    attrs = {k: str(v) for k, v in image.attrs.items() if k not in ("src", "alt", "id", "class", "title")}
    from ..render_html import plain_text

    caption = builder.inlines(image.children or [], where)
    return Image(
        where,
        src=str(image.attrGet("src") or ""),
        alt=" ".join(plain_text(caption).split()),
        caption=Paragraph(where, caption) if caption else None,
        id=str(image.attrGet("id") or ""),
        attrs=attrs,
    )
