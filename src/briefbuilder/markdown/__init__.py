"""The Markdown dialect: CommonMark plus the Pandoc extensions the sources use.

Each extension is a small ``plugin(md)`` in its own module; :func:`make_parser` assembles them
and :func:`parse_markdown` turns a chapter body into blocks of the document tree.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .citations import citation_plugin
from .fancy_lists import fancy_list_plugin
from .fenced_divs import fenced_div_plugin
from .heading_attrs import heading_attrs_plugin
from .limits import limits_plugin
from .tree import ParsedBody, parse_markdown

__all__ = ["ParsedBody", "make_parser", "parse_markdown"]


@lru_cache(maxsize=1)
def make_parser() -> MarkdownIt:
    # html=True so that raw HTML becomes html_* tokens we can refuse with a line number,
    # rather than being passed through or silently escaped.
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.use(footnote_plugin, inline=True, move_to_end=False, always_match_refs=True)
    md.use(fenced_div_plugin)
    md.use(heading_attrs_plugin)
    md.use(fancy_list_plugin)
    md.use(citation_plugin)
    md.use(attrs_plugin, spans=True, after=())
    md.use(limits_plugin)  # last: it wraps rules the plugins above added
    # markdown-it leaves file: and javascript: links as plain text; we parse them so that the
    # loader can refuse such images with a message, and the renderer prints such links as text.
    md.validateLink = lambda url: True
    return md
