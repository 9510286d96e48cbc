"""Pandoc pipe tables (``| a | b |`` over ``|:--|--:|``): markdown-it's own table rule, with
its tokens given the shape every table plugin shares (see :mod:`.table_tokens`)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import table as gfm_table
from markdown_it.rules_core import StateCore

_ALIGN = re.compile(r"text-align:(left|right|center)")


def pipe_table_plugin(md: MarkdownIt) -> None:
    md.enable("table")

    def pandoc_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        # Pandoc ends a pipe table at the first line without a '|' (GFM would make it a
        # row), so that "Table: caption" right under the last row is the caption.
        last = start + 2
        while last < end and "|" in state.src[state.bMarks[last] : state.eMarks[last]]:
            last += 1
        return gfm_table(state, start, last, silent)

    md.block.ruler.at("table", pandoc_table, {"alt": ["paragraph", "reference"]})
    md.core.ruler.after("block", "pipe_table_shape", _shape)


def _shape(state: StateCore) -> None:
    current: dict | None = None
    for token in state.tokens:
        if token.type == "table_open" and not token.meta:
            current = {"kind": "pipe", "aligns": [], "widths": []}
            token.meta = current
        elif token.type in ("th_open", "td_open") and "align" not in (token.meta or {}):
            match = _ALIGN.search(str(token.attrGet("style") or ""))
            align = match.group(1) if match else ""
            token.meta = {"align": align}
            token.attrs = {}
            if token.type == "th_open" and current is not None:
                current["aligns"].append(align)
        elif token.type == "thead_close":
            current = None
