"""Bounded parsing: nesting limits that are errors, never silent truncation, and linear rules.

markdown-it stops parsing blocks nested deeper than ``maxNesting`` and drops the rest of the
container without a word; inline notes nest by recursion, so a few hundred ``^[`` exhaust
the stack; the footnote plugin scans a ``[^label`` to the end of the paragraph, which makes a
long run of them quadratic. :func:`limits_plugin` raises the nesting limit to a documented
value, counts note depth, bounds labels; :func:`nesting_problems` turns any place where a
limit was reached into a ``file:line`` problem, so content is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..errors import Location, Problem

MAX_NESTING = 40  # markdown-it levels: a list item inside a list counts two
MAX_NOTE_DEPTH = 4  # a note inside a note inside a note...
MAX_NOTE_LABEL = 100  # characters of a [^label]
# Links, spans and citations inside each other: deeper than this, markdown-it's own limit
# makes the inner markup print as literal brackets, so it is an error here first.
MAX_BRACKET_DEPTH = 12

_DEPTH_KEY = "_note_depth"
_DEEP_KEY = "_too_deep_lines"

InlineRule = Callable[[StateInline, bool], bool]


def _guard_note_depth(rule: InlineRule) -> InlineRule:
    def inline_note(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith("^[", state.pos):
            return False
        depth = state.env.get(_DEPTH_KEY, 0)
        if depth >= MAX_NOTE_DEPTH:
            state.env.setdefault(_DEEP_KEY, []).append(("notes", state.src[state.pos : state.pos + 40]))
            return False
        state.env[_DEPTH_KEY] = depth + 1
        try:
            return rule(state, silent)
        finally:
            state.env[_DEPTH_KEY] = depth

    return inline_note


def _bound_note_label(rule: InlineRule) -> InlineRule:
    def note_reference(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith("[^", state.pos):
            return False
        window = state.src[state.pos + 2 : min(state.posMax, state.pos + 3 + MAX_NOTE_LABEL)]
        close = window.find("]")
        if close <= 0 or any(c in window[:close] for c in " \n["):
            return False
        return rule(state, silent)

    return note_reference


def _wrap(md: MarkdownIt, name: str, wrapper: Callable[[InlineRule], InlineRule]) -> None:
    ruler = md.inline.ruler
    for rule in ruler.__rules__:
        if rule.name == name:
            rule.fn = wrapper(rule.fn)
            ruler.__cache__ = None
            return


def limits_plugin(md: MarkdownIt) -> None:
    md.options["maxNesting"] = MAX_NESTING
    _wrap(md, "footnote_inline", _guard_note_depth)
    _wrap(md, "footnote_ref", _bound_note_label)


def _deepest(tokens: list[Token]) -> Token | None:
    for token in tokens:
        if token.level >= MAX_NESTING - 1:
            return token
        if token.children:
            inner = _deepest(token.children)
            if inner is not None:
                return token if inner.map is None else inner
    return None


def nesting_problems(tokens: list[Token], env: dict[str, Any], file: Path, offset: int) -> list[Problem]:
    """A problem wherever parsing reached a limit (and would otherwise have lost content)."""
    problems = []
    deep = _deepest(tokens)
    if deep is not None:
        line = (deep.map[0] if deep.map else 0) + offset + 1
        problems.append(
            Problem(
                Location(file, line),
                f"nested too deeply: lists, quotes, boxes and spans may nest at most {MAX_NESTING} levels",
                hint="flatten the structure; markdown-it would leave out what lies deeper",
            )
        )
    for token in tokens:
        if token.type == "inline" and bracket_depth(token.content) > MAX_BRACKET_DEPTH:
            line = (token.map[0] if token.map else 0) + offset + 1
            problems.append(
                Problem(
                    Location(file, line),
                    "nested too deeply: links, spans and citations may nest at most "
                    f"{MAX_BRACKET_DEPTH} deep",
                    hint="flatten the structure; deeper markup would print as literal brackets",
                )
            )
            break
    for _kind, text in env.get(_DEEP_KEY, [])[:1]:
        line = _first_line_with(tokens, text)
        problems.append(
            Problem(
                Location(file, line + offset + 1),
                f"notes nested more than {MAX_NOTE_DEPTH} deep",
                hint="a note inside a note is rarely what a reader needs: move the inner note's text out",
            )
        )
    # One message per place: deep notes are deep brackets too, and the note's message says more.
    notes = {p.location.line for p in problems if "notes nested" in p.message}
    return [p for p in problems if "notes nested" in p.message or p.location.line not in notes]


def bracket_depth(text: str) -> int:
    """How deeply matched ``[...]`` pairs nest in ``text`` (unmatched brackets do not count)."""
    deepest = 0
    stack: list[int] = []  # for each open bracket, the depth of matched pairs inside it
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            stack.append(0)
        elif char == "]" and stack:
            depth = stack.pop() + 1
            deepest = max(deepest, depth)
            if stack:
                stack[-1] = max(stack[-1], depth)
        pos += 1
    return deepest


def _first_line_with(tokens: list[Token], text: str) -> int:
    for token in tokens:
        if token.type == "inline" and text[:20] in token.content and token.map:
            return token.map[0]
    return 0


def too_deep_problem(file: Path, first_line: int) -> Problem:
    """For a structure so deep that Python's stack ran out before a limit was reached."""
    return Problem(
        Location(file, first_line),
        "nested too deeply to parse (notes, spans, links or emphasis inside each other)",
        hint="flatten the structure",
        show_source=False,
    )
