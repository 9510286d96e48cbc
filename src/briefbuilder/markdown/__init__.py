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
from .crossrefs import crossref_plugin
from .fancy_lists import fancy_list_plugin
from .fenced_divs import fenced_div_plugin
from .grid_tables import grid_table_plugin
from .header_refs import header_ref_plugin
from .heading_attrs import heading_attrs_plugin
from .image_attrs import image_attrs_plugin
from .limits import limits_plugin
from .multiline_tables import multiline_table_plugin
from .pandoc_blocks import pandoc_block_plugin
from .pandoc_inline import pandoc_inline_plugin
from .pandoc_paragraphs import pandoc_paragraph_plugin
from .pipe_tables import pipe_table_plugin
from .simple_tables import simple_table_plugin
from .table_captions import table_caption_plugin
from .tree import ParsedBody, parse_markdown

__all__ = ["ParsedBody", "inline_markdown", "make_parser", "parse_markdown"]


@lru_cache(maxsize=1)
def make_parser() -> MarkdownIt:
    # html=True so that raw HTML becomes html_* tokens we can refuse with a line number,
    # rather than being passed through or silently escaped.
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.use(footnote_plugin, inline=True, move_to_end=False, always_match_refs=True)
    md.use(fenced_div_plugin)
    md.use(pipe_table_plugin)
    md.use(grid_table_plugin)
    md.use(simple_table_plugin)
    md.use(multiline_table_plugin)
    md.use(table_caption_plugin)
    md.use(heading_attrs_plugin)
    md.use(fancy_list_plugin)
    md.use(citation_plugin)
    md.use(pandoc_inline_plugin)
    md.use(pandoc_block_plugin)
    md.use(attrs_plugin, spans=True, after=())
    md.use(image_attrs_plugin)
    md.use(crossref_plugin)
    md.use(header_ref_plugin)
    md.use(pandoc_paragraph_plugin)  # after every block rule exists: it decides which end a paragraph
    md.use(limits_plugin)  # last: it wraps rules the plugins above added
    # markdown-it leaves file: and javascript: links as plain text; we parse them so that the
    # loader can refuse such images with a message, and the renderer prints such links as text.
    md.validateLink = lambda url: True
    return md


@lru_cache(maxsize=2048)
def _inline_markdown(text: str) -> tuple[list, list]:  # type: ignore[type-arg]
    from pathlib import Path

    from ..model import Paragraph, Text

    parsed = parse_markdown(text, Path("metadata"))
    if len(parsed.blocks) == 1 and isinstance(parsed.blocks[0], Paragraph):
        return parsed.blocks[0].inlines, parsed.problems
    return [Text(text)], parsed.problems


def inline_markdown(text: str) -> list:  # type: ignore[type-arg]
    """The inlines of a one-line metadata string (``A *new* title``); plain text if it is not
    a single paragraph (a title such as ``1. Introduction`` is not a list)."""
    return _inline_markdown(text)[0]


def inline_markdown_problems(text: str) -> list:  # type: ignore[type-arg]
    return _inline_markdown(text)[1]
