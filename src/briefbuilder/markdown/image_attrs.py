"""Pandoc image attributes: ``![Caption](file.png){#fig-id width=60%}``.

mdit-py-plugins' attribute syntax reads ``%`` as the start of a comment, so ``width=60%``
(the way Pandoc and Quarto documents size figures) would not parse there; Pandoc's own
attribute grammar (:mod:`.attributes`) is used instead.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .attributes import parse_attributes


def image_attrs_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.push("image_attrs", _image_attrs)


def _image_attrs(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{" or not state.tokens or state.tokens[-1].type != "image":
        return False
    close = state.src.find("}", state.pos, state.posMax)
    if close < 0:
        return False
    parsed = parse_attributes(state.src[state.pos : close + 1])
    if parsed is None:
        return False
    if not silent:
        classes, ident, attrs = parsed
        image = state.tokens[-1]
        if ident:
            image.attrSet("id", ident)
        if classes:
            image.attrSet("class", " ".join(classes))
        for key, value in attrs.items():
            image.attrSet(key, value)
    state.pos = close + 1
    return True
