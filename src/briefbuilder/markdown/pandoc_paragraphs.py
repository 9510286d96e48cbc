"""Where a paragraph ends, as Pandoc decides it.

CommonMark lets a heading, a list, a block quote, a rule or a table start on the line after
a paragraph; Pandoc's Markdown does not (its ``blank_before_header`` and
``blank_before_blockquote`` extensions, and lists and tables that need a blank line before
them). There, only a fenced code block, a raw TeX block and the closing fence of a div end a
paragraph without a blank line, and a list item's paragraph ends where a sublist or the next
item starts. A setext heading is one line of text over its underline; after two lines of a
paragraph, ``===`` or ``---`` is more text. Finally, an open ``$$`` holds the paragraph
together: nothing inside display math starts a block.

Reports meet all of this in derivations typed over several lines (an ``=`` alone on a line,
``\\begin{aligned}`` after ``$$``) and in notes that wrap a list marker onto a new line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

BlockRule = Callable[[StateBlock, int, int, bool], bool]

# Rules that may end a paragraph in Pandoc's Markdown, and under which condition.
_ALWAYS = {"fence", "raw_tex_block", "html_block", "deflist"}
_IN_LIST_ITEMS = {"list"}
_CLOSING_FENCE_ONLY = {"fenced_div"}
_CLOSING_FENCE = re.compile(r"^:{3,}\s*$")
_SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)[ \t]*$")


def pandoc_paragraph_plugin(md: MarkdownIt) -> None:
    ruler = md.block.ruler
    for rule in ruler.__rules__:
        if "paragraph" not in rule.alt:
            continue
        if rule.name in _ALWAYS | _IN_LIST_ITEMS | _CLOSING_FENCE_ONLY:
            rule.fn = _ends_paragraph_as_pandoc(rule.name, rule.fn)
        else:
            rule.alt = [alt for alt in rule.alt if alt != "paragraph"]
    ruler.at("lheading", _one_line_setext(_rule(md, "lheading")))
    ruler.__compile__()


def _rule(md: MarkdownIt, name: str) -> BlockRule:
    return next(rule.fn for rule in md.block.ruler.__rules__ if rule.name == name)


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _inside_display_math(state: StateBlock, line: int) -> bool:
    """Whether the paragraph that started at ``state.line`` has an unclosed ``$$`` before ``line``."""
    text = state.src[state.bMarks[state.line] : state.bMarks[line]]
    return len(re.findall(r"(?<!\\)\$\$", text)) % 2 == 1


def _ends_paragraph_as_pandoc(name: str, rule: BlockRule) -> BlockRule:
    def pandoc_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        # Called with silent=True while a paragraph asks whether this line ends it.
        if silent and state.parentType == "paragraph":
            if _inside_display_math(state, start_line):
                return False
            if name in _IN_LIST_ITEMS and state.blkIndent == 0:
                return False
            if name in _CLOSING_FENCE_ONLY and not _CLOSING_FENCE.match(_line(state, start_line)):
                return False
        return rule(state, start_line, end_line, silent)

    return pandoc_rule


def _one_line_setext(rule: BlockRule) -> BlockRule:
    def setext_heading(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        underline = start_line + 1
        if underline >= end_line or state.sCount[underline] - state.blkIndent > 3:
            return False
        if not _SETEXT_UNDERLINE.match(_line(state, underline)):
            return False
        return rule(state, start_line, end_line, silent)

    return setext_heading
