"""Pandoc pipe tables (``| a | b |`` over ``|:--|--:|``): markdown-it's own table rule, with
its tokens given the shape every table plugin shares (see :mod:`.table_tokens`)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_ALIGN = re.compile(r"text-align:(left|right|center)")


def pipe_table_plugin(md: MarkdownIt) -> None:
    md.enable("table")
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
