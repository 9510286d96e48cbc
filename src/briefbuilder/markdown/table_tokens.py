"""What the four table plugins share: one token shape for every kind of table.

Every table becomes ``table_open`` (``meta``: kind, aligns, widths), ``thead``/``tbody``,
``tr`` and ``th``/``td`` tokens (``meta``: align), each cell holding either one ``inline``
token (pipe, simple and multiline tables, as Pandoc's ``Plain``) or block tokens (grid
tables, whose cells may hold paragraphs and lists). The tree builder reads only this shape.
A table the plugins recognise but cannot represent becomes a ``table_refused`` token, so
that the problem is reported at its line instead of the table printing as text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.rules_block import StateBlock


@dataclass
class RawRow:
    line: int  # the first source line of the row (0-based, as markdown-it counts)
    cells: list[str]


@dataclass
class Column:
    start: int  # first character of the column's dashes
    end: int  # one past the last
    align: str = ""


def line_text(state: StateBlock, line: int) -> str:
    """A source line from the current block indent, tabs expanded (column geometry counts)."""
    raw = state.src[state.bMarks[line] : state.eMarks[line]].expandtabs(4)
    indent = min(state.blkIndent, len(raw) - len(raw.lstrip(" ")))
    return raw[indent:]


def is_blank(state: StateBlock, line: int) -> bool:
    return line >= state.lineMax or state.bMarks[line] + state.tShift[line] >= state.eMarks[line]


def dash_columns(text: str) -> list[Column] | None:
    """The runs of dashes of a simple or multiline table's separator line, or None."""
    stripped = text.rstrip()
    if not stripped or set(stripped) - {"-", " "} or "-" not in stripped:
        return None
    columns: list[Column] = []
    position = 0
    while position < len(stripped):
        if stripped[position] == "-":
            end = position
            while end < len(stripped) and stripped[end] == "-":
                end += 1
            columns.append(Column(position, end))
            position = end
        else:
            position += 1
    return columns


def slice_cells(text: str, columns: list[Column]) -> list[str]:
    """The text under each column; a column's text may run to the start of the next one."""
    cells = []
    for index, column in enumerate(columns):
        start = column.start if index == 0 else columns[index - 1].end
        end = columns[index + 1].start if index + 1 < len(columns) else len(text)
        cells.append(text[start:end].strip() if start < len(text) else "")
    return cells


def align_from_header(header_lines: list[str], column: Column) -> str:
    """Pandoc's rule: the header text flush with the dashes on one side only, or neither."""
    left_flush = right_flush = False
    seen = False
    for text in header_lines:
        segment = text[column.start : column.end]
        if not segment.strip():
            continue
        seen = True
        left_flush = left_flush or (column.start < len(text) and text[column.start] != " ")
        right_flush = right_flush or (column.end - 1 < len(text) and text[column.end - 1] != " ")
    if not seen:
        return ""
    if left_flush and not right_flush:
        return "left"
    if right_flush and not left_flush:
        return "right"
    if not left_flush and not right_flush:
        return "center"
    return ""


def push_table(
    state: StateBlock,
    kind: str,
    lines: tuple[int, int],
    aligns: list[str],
    head: list[RawRow],
    body: list[RawRow],
    widths: list[float] | None = None,
    block_cells: bool = False,
) -> None:
    """Push the tokens of one table (see the module docstring)."""
    token = state.push("table_open", "table", 1)
    token.map = [lines[0], lines[1]]
    token.meta = {"kind": kind, "aligns": aligns, "widths": widths or []}
    for group, rows, cell_tag in (("thead", head, "th"), ("tbody", body, "td")):
        if not rows:
            continue
        token = state.push(f"{group}_open", group, 1)
        token.map = [rows[0].line, rows[-1].line + 1]
        for row in rows:
            token = state.push("tr_open", "tr", 1)
            token.map = [row.line, row.line + 1]
            for index, text in enumerate(row.cells):
                token = state.push(f"{cell_tag}_open", cell_tag, 1)
                token.map = [row.line, row.line + 1]
                token.meta = {"align": aligns[index] if index < len(aligns) else ""}
                if block_cells:
                    _push_blocks(state, text, row.line)
                else:
                    token = state.push("inline", "", 0)
                    token.map = [row.line, row.line + 1]
                    token.content = text
                    token.children = []
                state.push(f"{cell_tag}_close", cell_tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{group}_close", group, -1)
    state.push("table_close", "table", -1)


def _push_blocks(state: StateBlock, text: str, line: int) -> None:
    """A grid table cell's text parsed as Markdown blocks, placed at the row's line."""
    inner: list = []
    state.md.block.parse(text, state.md, state.env, inner)
    for token in inner:
        if token.map:
            token.map = [line + token.map[0], line + token.map[1]]
    state.tokens.extend(inner)


def push_refused(state: StateBlock, lines: tuple[int, int], message: str, hint: str) -> None:
    token = state.push("table_refused", "", 0)
    token.map = [lines[0], lines[1]]
    token.meta = {"message": message, "hint": hint}
