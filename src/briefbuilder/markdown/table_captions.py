"""Pandoc table captions: a paragraph ``Table: text`` or ``: text`` just before or after a
table, with optional attributes ``{#tbl-id .class}`` at its end.

The caption's inline token moves inside the table, between ``table_caption_open`` and
``table_caption_close`` right after ``table_open``; the attributes go to the table's meta.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .attributes import parse_attributes
from .token_walk import closing_index

_CAPTION = re.compile(r"^(?:[Tt]able)?:[ \t]*(?=\S)")
_TRAILING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*$")


def table_caption_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("pipe_table_shape", "table_captions", _captions)


def _is_caption(tokens: list[Token], index: int) -> bool:
    return (
        0 <= index < len(tokens) - 2
        and tokens[index].type == "paragraph_open"
        and tokens[index + 1].type == "inline"
        and bool(_CAPTION.match(tokens[index + 1].content))
    )


def _captions(state: StateCore) -> None:
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        if tokens[index].type != "table_open" or (tokens[index].meta or {}).get("captioned"):
            index += 1
            continue
        open_index = index
        close_index = closing_index(tokens, open_index)
        caption: list[Token] | None = None
        if _is_caption(tokens, close_index + 1):
            caption = tokens[close_index + 1 : close_index + 4]
            del tokens[close_index + 1 : close_index + 4]
        elif _is_caption(tokens, open_index - 3) and tokens[open_index - 3].level == tokens[open_index].level:
            caption = tokens[open_index - 3 : open_index]
            del tokens[open_index - 3 : open_index]
            open_index -= 3
        table = tokens[open_index]
        table.meta = {**(table.meta or {}), "captioned": True}
        if caption is not None:
            inline = caption[1]
            inline.content = _CAPTION.sub("", inline.content, count=1)
            match = _TRAILING_ATTRS.search(inline.content)
            parsed = parse_attributes(match.group(1)) if match else None
            if match and parsed is not None:
                classes, ident, attrs = parsed
                table.meta.update(id=ident, classes=classes, attrs=attrs)
                inline.content = inline.content[: match.start()].rstrip()
            opener = Token("table_caption_open", "caption", 1)
            opener.map = inline.map
            tokens[open_index + 1 : open_index + 1] = [
                opener,
                inline,
                Token("table_caption_close", "caption", -1),
            ]
        index = open_index + 1
