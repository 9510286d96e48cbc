"""Pandoc's implicit header references: ``[Heading]``, ``[text][Heading]``, ``[Heading][]``.

When no link reference of that name is defined, the brackets may name a heading anywhere in
the publication; which one is known only once every chapter is read. So the rule emits a
link to ``heading:<label>``, and :mod:`briefbuilder.xref` resolves it to ``#id``, or puts
the brackets back as text when no heading has that name (as Pandoc leaves ``[sic]``).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_inline import StateInline

HEADING_SCHEME = "heading:"
_TASK_MARKS = {" ", "x", "X"}  # "- [ ] to do" is a task list item, not a reference


def header_ref_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.after("span", "header_ref", _header_ref)


def _label_end(state: StateInline, start: int) -> int:
    """The position of the ']' closing the '[' at ``start``, or -1 (no nested brackets)."""
    pos = start + 1
    while pos < state.posMax:
        char = state.src[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            return -1
        if char == "]":
            return pos
        pos += 1
    return -1


def _header_ref(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if src[start] != "[" or src.startswith(("[^", "[@", "[-@", "[\\@"), start):
        return False
    end = _label_end(state, start)
    if end < 0 or src[start + 1 : end] in _TASK_MARKS or not src[start + 1 : end].strip():
        return False
    text_range = (start + 1, end)
    label = src[start + 1 : end]
    after = end + 1
    if src.startswith("[]", after):
        after += 2
    elif after < state.posMax and src[after] == "[":
        second_end = _label_end(state, after)
        if second_end < 0:
            return False
        if src[after + 1 : second_end].strip():
            label = src[after + 1 : second_end]
        after = second_end + 1
    elif after < state.posMax and src[after] in "({":
        return False  # a link or a span that did not parse: leave it to the text rules
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": HEADING_SCHEME + normalizeReference(label)}
        token.meta = {"implicit_text": src[start:after]}
        old_pos, old_max = state.pos, state.posMax
        state.pos, state.posMax = text_range
        state.md.inline.tokenize(state)
        state.pos, state.posMax = old_pos, old_max
        state.push("link_close", "a", -1)
    state.pos = after
    return True
