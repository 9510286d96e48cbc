"""Pandoc's block extensions: definition lists, line blocks (``| `` lines), task lists
(``- [ ]``, ``- [x]``) and raw TeX blocks (``\\begin{env}`` ... ``\\end{env}``, ``\\newpage``).

Raw TeX and `` ```{=latex} `` blocks become ``raw_block`` tokens (``meta["format"]``), which
the tree builder drops with a warning, as Pandoc drops them for any output but LaTeX.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.utils import is_code_block

from .pandoc_inline import TEX_COMMAND

_BEGIN = re.compile(r"^\\begin\{([A-Za-z*]+)\}")
_TASK = re.compile(r"^\[([ xX])\]\s+")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def pandoc_block_plugin(md: MarkdownIt) -> None:
    deflist_plugin(md)
    md.block.ruler.before("paragraph", "raw_tex_block", _raw_tex_block, {"alt": ["paragraph"]})
    md.block.ruler.before("paragraph", "line_block", _line_block)
    md.core.ruler.after("inline", "task_lists", _task_lists)


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _raw_tex_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if is_code_block(state, start_line):
        return False
    first = _line(state, start_line)
    begin = _BEGIN.match(first)
    if begin:
        closing = f"\\end{{{begin.group(1)}}}"
        last = start_line
        while last < end_line and closing not in _line(state, last):
            last += 1
        if last >= end_line:
            return False
    else:
        command = TEX_COMMAND.match(first)
        # A line that is only TeX commands ("\newpage", "\clearpage \vspace{1em}").
        if not command or TEX_COMMAND.sub("", first).strip():
            return False
        last = start_line
    if silent:
        return True
    token = state.push("raw_block", "", 0)
    token.map = [start_line, last + 1]
    token.content = "\n".join(_line(state, n) for n in range(start_line, last + 1))
    token.meta = {"format": "tex"}
    state.line = last + 1
    return True


def _line_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Lines starting with ``| ``; an indented line continues the line above."""
    if is_code_block(state, start_line):
        return False
    if not re.match(r"^\|(?: |$)", _line(state, start_line)):
        return False
    lines: list[tuple[int, str]] = []
    line = start_line
    while line < end_line:
        text = state.src[state.bMarks[line] : state.eMarks[line]]
        stripped = text[state.tShift[line] :] if state.tShift[line] <= state.blkIndent + 3 else text
        if re.match(r"^\|(?: |$)", stripped) and state.sCount[line] - state.blkIndent < 4:
            lines.append((line, stripped[2:]))
        elif lines and text.strip() and text[:1] in " \t":
            number, previous = lines[-1]
            lines[-1] = (number, previous + " " + text.strip())
        else:
            break
        line += 1
    if any(_TABLE_RULE.match(_line(state, n)) for n in range(start_line, line)):
        return False  # a pipe table, not a line block
    if silent:
        return True
    opening = state.push("line_block_open", "div", 1)
    opening.map = [start_line, line]
    for number, text in lines:
        # Leading spaces are kept, as no-break spaces (Pandoc does the same).
        spaces = len(text) - len(text.lstrip(" "))
        item = state.push("line_open", "", 1)
        item.map = [number, number + 1]
        inline = state.push("inline", "", 0)
        inline.content = "\u00a0" * spaces + text.lstrip(" ")
        inline.map = [number, number + 1]
        inline.children = []
        state.push("line_close", "", -1)
    state.push("line_block_close", "div", -1)
    state.line = line
    return True


def _task_lists(state: StateCore) -> None:
    """``- [ ] text`` / ``- [x] text``: the box goes to the list item, the text stays."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "bullet_list_open":
            continue
        depth = 0
        for inner in range(index + 1, len(tokens)):
            current = tokens[inner]
            if current.type == "bullet_list_close" and depth == 0:
                break
            if current.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif current.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            if depth or current.type != "list_item_open" or inner + 2 >= len(tokens):
                continue
            inline = tokens[inner + 2]
            children = inline.children or []
            if inline.type != "inline" or not children or children[0].type != "text":
                continue
            match = _TASK.match(children[0].content)
            if match:
                current.meta = {**(current.meta or {}), "checked": match.group(1) != " "}
                children[0].content = children[0].content[match.end() :]
                inline.content = inline.content[match.end() :]
