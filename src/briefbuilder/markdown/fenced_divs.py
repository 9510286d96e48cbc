"""Pandoc fenced divs: ``::: {.class #id key="value"}`` ... ``:::``, nestable.

Emits ``div_open`` / ``div_close`` tokens whose ``meta`` holds the parsed attributes. An
opening fence with no closing fence gets ``meta["unclosed"] = True`` so that the tree builder
can report it at the opening line instead of silently swallowing the rest of the chapter.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.utils import is_code_block

from .attributes import parse_attributes

_FENCE = re.compile(r"^(:{3,})\s*(.*?)\s*:*\s*$")


def _fence_at(state: StateBlock, line: int) -> tuple[int, str] | None:
    start = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    match = _FENCE.match(state.src[start:end])
    if not match:
        return None
    return len(match.group(1)), match.group(2)


def _parse_opening(params: str) -> tuple[list[str], str, dict[str, str]] | None:
    if params.startswith("{"):
        parsed = parse_attributes(params)
        return None if parsed is None else parsed
    if re.fullmatch(r"[\w-]+", params):
        return [params], "", {}
    return None


def fenced_div_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence",
        "fenced_div",
        _fenced_div,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )


def _fenced_div(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line):
        return False
    fence = _fence_at(state, start_line)
    if fence is None or not fence[1]:
        return False
    opening = _parse_opening(fence[1])
    if opening is None:
        return False
    if silent:
        return True

    depth = 1
    line = start_line
    closed = False
    while True:
        line += 1
        if line >= end_line:
            break
        if (
            state.sCount[line] < state.blkIndent
            and state.bMarks[line] + state.tShift[line] < state.eMarks[line]
        ):
            break
        if is_code_block(state, line):
            continue
        inner = _fence_at(state, line)
        if inner is None:
            continue
        if inner[1]:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                closed = True
                break

    classes, ident, attrs = opening
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "fenced_div"  # type: ignore[assignment]
    state.lineMax = line

    token = state.push("div_open", "div", 1)
    token.block = True
    token.map = [start_line, line]
    token.meta = {"classes": classes, "id": ident, "attrs": attrs, "unclosed": not closed}

    state.md.block.tokenize(state, start_line + 1, line)

    token = state.push("div_close", "div", -1)
    token.block = True

    state.parentType = old_parent
    state.lineMax = old_line_max
    state.line = line + (1 if closed else 0)
    return True
