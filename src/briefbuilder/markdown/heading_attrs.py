"""Pandoc heading attributes: ``## Title {#id .class}``."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .attributes import parse_attributes

_TRAILING = re.compile(r"\s*(\{[^{}]*\})\s*$")


def heading_attrs_plugin(md: MarkdownIt) -> None:
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs)


def _heading_attrs(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        match = _TRAILING.search(inline.content)
        if not match:
            continue
        parsed = parse_attributes(match.group(1))
        if parsed is None:
            continue
        classes, ident, attrs = parsed
        token.meta = {"classes": classes, "id": ident, "attrs": attrs}
        inline.content = inline.content[: match.start()].rstrip()
