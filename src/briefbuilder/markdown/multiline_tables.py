"""Pandoc multiline tables: rows of several lines separated by blank lines, between lines
of dashes; the column widths are relative (the dashes' share of the line, as Pandoc counts).

```
-----------------------------
 Centered   Default
  Header    Aligned
----------- -----------------
   First    row that spans
            two lines.

  Second    row
-----------------------------
```
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .table_tokens import (
    Column,
    RawRow,
    align_from_header,
    dash_columns,
    is_blank,
    line_text,
    push_table,
    slice_cells,
)

_PANDOC_COLUMNS = 72  # Pandoc's default --columns, the width relative widths are taken of


def multiline_table_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("simple_table", "multiline_table", _multiline_table, {"alt": ["paragraph"]})


def _multiline_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4 or start + 3 > end:
        return False
    top = dash_columns(line_text(state, start))
    if top is None:
        return False
    if len(top) == 1:
        # A full-width line of dashes, the header lines, then the columns' dashes.
        line = start + 1
        header_lines: list[int] = []
        while line < end and not is_blank(state, line) and dash_columns(line_text(state, line)) is None:
            header_lines.append(line)
            line += 1
        if not header_lines or line >= end or is_blank(state, line):
            return False
        columns = dash_columns(line_text(state, line))
        if columns is None:
            return False
        body_start = line + 1
    else:
        columns, header_lines, body_start = top, [], start + 1
    rows, closing = _rows(state, body_start, end, columns)
    if closing is None or not rows:
        return False
    if not header_lines and _no_blank_between(state, body_start, closing):
        return False  # rows without blank lines between them: a simple headerless table
    if silent:
        return True
    texts = [line_text(state, n) for n in header_lines]
    first_row_texts = [line_text(state, n) for n in rows[0]]
    aligns = [align_from_header(texts or first_row_texts, column) for column in columns]
    head = [RawRow(header_lines[0], _cells(texts, columns))] if header_lines else []
    body = [RawRow(group[0], _cells([line_text(state, n) for n in group], columns)) for group in rows]
    push_table(state, "multiline", (start, closing + 1), aligns, head, body, widths=_widths(columns))
    state.line = closing + 1
    return True


def _rows(
    state: StateBlock, line: int, end: int, columns: list[Column]
) -> tuple[list[list[int]], int | None]:
    rows: list[list[int]] = []
    current: list[int] = []
    while line < end:
        if is_blank(state, line):
            if current:
                rows.append(current)
                current = []
            line += 1
            continue
        if dash_columns(line_text(state, line)) is not None:
            if current:
                rows.append(current)
            # The table ends at the dashes, followed by a blank line (or the end).
            return rows, line if line + 1 >= end or is_blank(state, line + 1) else None
        current.append(line)
        line += 1
    return rows, None


def _no_blank_between(state: StateBlock, first: int, last: int) -> bool:
    return not any(is_blank(state, n) for n in range(first, last))


def _cells(texts: list[str], columns: list[Column]) -> list[str]:
    per_line = [slice_cells(text, columns) for text in texts]
    return ["\n".join(line[i] for line in per_line if line[i]) for i in range(len(columns))]


def _widths(columns: list[Column]) -> list[float]:
    spans = [
        (columns[i + 1].start if i + 1 < len(columns) else column.end) - column.start
        for i, column in enumerate(columns)
    ]
    total = max(_PANDOC_COLUMNS, sum(spans))
    return [span / total for span in spans]
