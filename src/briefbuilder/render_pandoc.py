"""HTML for Pandoc's extensions: super/subscript, strikeout, highlighted code, definition
lists, line blocks, task lists and list delimiters. Every piece of text is escaped here too;
Pygments escapes the code it highlights and styles it with inline ``style`` attributes, so
that highlighting looks the same in every layout without a stylesheet of its own."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from markupsafe import Markup, escape

from .model import Block, Code, CodeBlock, DefinitionList, LineBlock, ListBlock, Styled

_STYLED_TAGS = {"superscript": "sup", "subscript": "sub", "strikeout": "del"}
_PYGMENTS_STYLE = "default"  # dark enough on white paper, and distinct in greyscale


def styled_html(node: Styled, inner: Markup) -> Markup:
    tag = _STYLED_TAGS[node.style]
    return Markup("<%s>%s</%s>") % (Markup(tag), inner, Markup(tag))


@lru_cache(maxsize=64)
def _lexer(language: str):  # type: ignore[no-untyped-def]
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlighted(text: str, language: str) -> Markup:
    """Code as HTML spans coloured by Pygments; plain escaped text for an unknown language."""
    lexer = _lexer(language.lower()) if language else None
    if lexer is None:
        return escape(text)
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(nowrap=True, noclasses=True, style=_PYGMENTS_STYLE)
    html = highlight(text, lexer, formatter)
    # Pygments ends its output with a line break that the text did not have.
    return Markup(html[:-1] if html.endswith("\n") and not text.endswith("\n") else html)


def code_html(node: Code) -> Markup:
    language = node.classes[0] if node.classes else ""
    classes = Markup(' class="%s"') % " ".join(node.classes) if node.classes else Markup("")
    return Markup("<code%s>%s</code>") % (classes, highlighted(node.text, language))


def code_block_html(block: CodeBlock) -> Markup:
    ident = Markup(' id="%s"') % block.id if block.id else Markup("")
    classes = " ".join(["sourceCode", *block.classes]) if block.classes else ""
    attrs = Markup(' class="%s"') % classes if classes else Markup("")
    body = highlighted(block.text.rstrip("\n"), block.language)
    return Markup("<pre%s%s><code>%s</code></pre>") % (ident, attrs, body)


def code_block_in_note(block: CodeBlock) -> Markup:
    # Notes are set inside a paragraph: a <pre> there would be invalid, so a span set as one.
    body = highlighted(block.text.rstrip("\n"), block.language)
    return Markup('<span class="fn-pre"><code>%s</code></span>') % body


def definition_list_html(block: DefinitionList, blocks: Callable[[list[Block]], Markup], inlines) -> Markup:  # type: ignore[no-untyped-def]
    parts = []
    for entry in block.items:
        parts.append(Markup("<dt>%s</dt>") % inlines(entry.term))
        for definition in entry.definitions:
            parts.append(Markup("<dd>%s</dd>") % blocks(definition))
    return Markup("<dl>%s</dl>") % Markup("").join(parts)


def line_block_html(block: LineBlock, inlines) -> Markup:  # type: ignore[no-untyped-def]
    lines = Markup("<br>").join(inlines(line.inlines) for line in block.lines)
    return Markup('<div class="line-block">%s</div>') % lines


def task_box(checked: bool | None) -> Markup:
    """The box of a task list item, drawn by CSS; its state is said in words for readers."""
    if checked is None:
        return Markup("")
    state = "done" if checked else "to do"
    return Markup('<span class="task %s" role="img" aria-label="%s"></span>') % (
        "checked" if checked else "unchecked",
        state,
    )


def list_style(block: ListBlock) -> Markup:
    """The counter style of an ordered list: its numbering and Pandoc's delimiter."""
    style = "decimal" if block.style == "example" else block.style
    if block.delimiter != "period":
        style = f"{style}-{block.delimiter}"
    # WeasyPrint ignores <ol start>: the counter is reset to the number before the first.
    return Markup(' style="list-style-type: %s; counter-reset: list-item %d"') % (style, block.start - 1)
