"""Pandoc simple tables: a header line over runs of dashes, one row per line.

```
  Right     Left
-------     ------
     12     12
```

Alignment follows the header text's position over the dashes (first row's when there is no
header); a headerless table starts and ends with the dashes. Cells hold inline text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .table_tokens import (
    RawRow,
    align_from_header,
    dash_columns,
    is_blank,
    line_text,
    push_table,
    slice_cells,
)


def simple_table_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("code", "simple_table", _simple_table, {"alt": ["paragraph"]})


def _simple_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4 or start + 2 > end:
        return False
    first = line_text(state, start)
    first_columns = dash_columns(first)
    if first_columns is not None and len(first_columns) >= 2:
        return _headerless(state, start, end, silent, first_columns)
    if is_blank(state, start) or start + 1 >= end:
        return False
    columns = dash_columns(line_text(state, start + 1))
    if columns is None or len(columns) < 2 or state.sCount[start + 1] < state.blkIndent:
        return False
    line = start + 2
    body: list[RawRow] = []
    while line < end and not is_blank(state, line):
        text = line_text(state, line)
        if dash_columns(text) is not None:
            line += 1  # an optional closing line of dashes
            break
        body.append(RawRow(line, slice_cells(text, columns)))
        line += 1
    if silent:
        return True
    aligns = [align_from_header([first], column) for column in columns]
    head = [RawRow(start, slice_cells(first, columns))]
    push_table(state, "simple", (start, line), aligns, head, body)
    state.line = line
    return True


def _headerless(state: StateBlock, start: int, end: int, silent: bool, columns) -> bool:  # type: ignore[no-untyped-def]
    line = start + 1
    rows: list[RawRow] = []
    while line < end and not is_blank(state, line):
        text = line_text(state, line)
        if dash_columns(text) is not None:
            break
        rows.append(RawRow(line, slice_cells(text, columns)))
        line += 1
    if not rows or line >= end or is_blank(state, line):
        return False  # no closing dashes: not a table (perhaps a multiline one, tried first)
    if silent:
        return True
    aligns = [align_from_header([line_text(state, rows[0].line)], column) for column in columns]
    push_table(state, "simple", (start, line + 1), aligns, [], rows)
    state.line = line + 1
    return True
