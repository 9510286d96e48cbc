"""Pandoc grid tables: cells drawn with ``+``, ``-``, ``|`` and ``=``; a cell may hold any
blocks (paragraphs, lists). Colons in the header's ``=`` line (or the first line) align.

```
+---------+--------------------+
| Fruit   | Advantages         |
+=========+====================+
| Bananas | - built-in wrapper |
|         | - bright colour    |
+---------+--------------------+
```

Cells spanning rows or columns are refused with the table's line: the document model has
no spans, and printing such a table as a regular grid would misplace its text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .table_tokens import Column, RawRow, line_text, push_refused, push_table

_BORDER = re.compile(r"^\+(?:[-=:]+\+)+\s*$")


def grid_table_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("code", "grid_table", _grid_table, {"alt": ["paragraph"]})


def _columns(border: str) -> list[Column]:
    border = border.rstrip()
    plus = [i for i, char in enumerate(border) if char == "+"]
    columns = []
    for left, right in zip(plus, plus[1:], strict=False):
        segment = border[left + 1 : right]
        align = ""
        if segment.startswith(":") and segment.endswith(":"):
            align = "center"
        elif segment.startswith(":"):
            align = "left"
        elif segment.endswith(":"):
            align = "right"
        columns.append(Column(left, right, align))
    return columns


def _grid_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = line_text(state, start)
    if not _BORDER.match(first.rstrip()) or "=" in first:
        return False
    line = start + 1
    lines = [first.rstrip()]
    while line < end:
        text = line_text(state, line).rstrip()
        if not text or text[0] not in "+|":
            break
        lines.append(text)
        line += 1
    if len(lines) < 3 or not _BORDER.match(lines[-1]):
        return False
    if silent:
        return True
    columns = _columns(first)
    separators = [i for i, text in enumerate(lines) if _BORDER.match(text)]
    header_end = next((i for i in separators if "=" in lines[i]), None)
    if header_end is not None:
        header_columns = _columns(lines[header_end])
        if len(header_columns) == len(columns):
            columns = [Column(c.start, c.end, h.align) for c, h in zip(columns, header_columns, strict=True)]
    if not _regular(lines, separators, columns):
        push_refused(
            state,
            (start, line),
            "grid table with cells that span rows or columns is not supported",
            "draw every cell with its own borders, or split the table",
        )
        state.line = line
        return True
    head: list[RawRow] = []
    body: list[RawRow] = []
    for top, bottom in zip(separators, separators[1:], strict=False):
        if bottom == top + 1:
            continue
        row = RawRow(start + top + 1, _cell_texts(lines[top + 1 : bottom], columns))
        (head if header_end is not None and bottom <= header_end else body).append(row)
    aligns = [c.align for c in columns]
    total = max(72, columns[-1].end + 1)
    widths = [(c.end - c.start) / total for c in columns]
    push_table(state, "grid", (start, line), aligns, head, body, widths=widths, block_cells=True)
    state.line = line
    return True


def _regular(lines: list[str], separators: list[int], columns: list[Column]) -> bool:
    """Every border line has its '+' exactly at the column boundaries, every content line a
    '|' there: anything else is a cell spanning rows or columns."""
    boundaries = [columns[0].start, *(c.end for c in columns)]
    for index, text in enumerate(lines):
        if len(text) < boundaries[-1] + 1:
            return False
        if index in separators:
            if [i for i, char in enumerate(text) if char == "+"] != boundaries:
                return False
        elif any(text[b] != "|" for b in boundaries):
            return False
    return True


def _cell_texts(lines: list[str], columns: list[Column]) -> list[str]:
    cells = []
    for column in columns:
        parts = [text[column.start + 1 : column.end] for text in lines]
        # Remove the common indentation (one space after '|', usually), keep the rest.
        indent = min((len(p) - len(p.lstrip(" ")) for p in parts if p.strip()), default=0)
        cells.append("\n".join(p[indent:].rstrip() for p in parts).strip("\n") + "\n")
    return cells
