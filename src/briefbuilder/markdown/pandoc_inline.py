"""Pandoc's inline extensions: ``^sup^``, ``~sub~``, ``~~strike~~``, `` `code`{.lang} ``,
``$math$`` / ``$$math$$``, and raw TeX (``\\command{...}``) or `` `x`{=latex} `` to be dropped.

Superscript and subscript may hold other inline markup (``^*x*^``) but no unescaped space, as
in Pandoc. Raw TeX becomes a ``raw_inline`` token whose ``meta["format"]`` says which format
it was written for, so that the tree builder can drop it with a warning at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .attributes import parse_attributes

InlineRule = Callable[[StateInline, bool], bool]
_PAIRS = {"^": "superscript", "~": "subscript"}
# A TeX command with its optional star and its [optional] and {mandatory} arguments.
TEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?(?:\s*(?:\[[^\]\n]*\]|\{(?:[^{}]|\{[^{}]*\})*\}))*")
_CODE_ATTRS = re.compile(r"^\{[^{}\n]*\}")


def pandoc_inline_plugin(md: MarkdownIt) -> None:
    md.enable("strikethrough")
    md.inline.ruler.after("strikethrough", "pandoc_script", _script)
    md.inline.ruler.before("escape", "raw_tex", _raw_tex)
    dollarmath_plugin(
        md,
        allow_labels=False,
        allow_space=False,
        allow_digits=True,
        allow_blank_lines=False,
        double_inline=True,
    )
    math = next(rule.fn for rule in md.inline.ruler.__rules__ if rule.name == "math_inline")
    md.inline.ruler.at("math_inline", _no_digit_after_closing(math))
    md.core.ruler.after("inline", "code_attributes", _code_attributes)


def _no_digit_after_closing(rule: InlineRule) -> InlineRule:
    """Pandoc's rule for ``$``: the closing one is not followed by a digit, so "$20 and $30"
    stay text, while a digit may come before the opening one ("70$^\\circ$F" is math).
    mdit-py-plugins' ``allow_digits=False`` also refuses that second case."""

    def math_inline(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not rule(state, True):  # silent: measures without pushing tokens
            return False
        end, state.pos = state.pos, start
        single = not state.src.startswith("$$", start)
        if single and end < state.posMax and state.src[end].isdigit():
            return False
        if silent:
            state.pos = end
            return True
        return rule(state, False)

    return math_inline


def _script(state: StateInline, silent: bool) -> bool:
    """``^x^`` and ``~x~``: the closing mark on the same run of non-space characters."""
    src, start = state.src, state.pos
    marker = src[start]
    if marker not in _PAIRS or start + 2 > state.posMax:
        return False
    following = src[start + 1 : start + 2]
    if following in (marker, "[", " ", "\n", "\t", ""):
        return False  # ~~strike~~, ^[note], or a lone mark
    end = start + 1
    while end < state.posMax:
        char = src[end]
        if char == "\\":
            end += 2
            continue
        if char in " \t\n":
            return False
        if char == marker:
            break
        end += 1
    if end >= state.posMax or src[end] != marker:
        return False
    if not silent:
        old_max = state.posMax
        state.pos, state.posMax = start + 1, end
        opening = state.push("script_open", "", 1)
        opening.meta = {"style": _PAIRS[marker]}
        state.md.inline.tokenize(state)
        state.push("script_close", "", -1)
        state.posMax = old_max
    state.pos = end + 1
    return True


def _raw_tex(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("\\", state.pos):
        return False
    match = TEX_COMMAND.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    if not silent:
        token = state.push("raw_inline", "", 0)
        token.content = match.group(0)
        token.meta = {"format": "tex"}
    state.pos = match.end()
    # Pandoc takes the space after a bare command ("\LaTeX is") as part of it.
    if "{" not in match.group(0) and "[" not in match.group(0):
        while state.pos < state.posMax and state.src[state.pos] == " ":
            state.pos += 1
    return True


def _code_attributes(state: StateCore) -> None:
    """`` `x`{.r} `` sets the code's classes; `` `x`{=latex} `` makes it raw content."""
    for block in state.tokens:
        children = block.children or []
        for index, token in enumerate(children[:-1]):
            following = children[index + 1]
            if token.type != "code_inline" or following.type != "text":
                continue
            match = _CODE_ATTRS.match(following.content)
            if not match:
                continue
            attributes = match.group(0)
            if re.fullmatch(r"\{=[A-Za-z0-9_-]+\}", attributes):
                token.type = "raw_inline"
                token.meta = {"format": attributes[2:-1]}
            else:
                parsed = parse_attributes(attributes)
                if parsed is None:
                    continue
                token.meta = {"classes": parsed[0]}
            following.content = following.content[match.end() :]
