"""The tree builder's part for Pandoc's extensions: definition lists, line blocks, math,
raw formats (dropped with a warning), HTML comments (ignored) and refused raw HTML."""

from __future__ import annotations

import re

from markdown_it.token import Token

from ..errors import Location, Problem
from ..model import (
    Block,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Inline,
    LineBlock,
    Math,
    Paragraph,
    Styled,
)
from .attributes import parse_attributes
from .token_walk import closing_index

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# What to write in Markdown instead of an HTML element.
_HTML_HINTS = {
    "br": "end the line with a backslash '\\' for a line break",
    "sup": "write ^x^ for superscript",
    "sub": "write ~x~ for subscript",
    "b": "write **x** for strong emphasis",
    "strong": "write **x** for strong emphasis",
    "i": "write *x* for emphasis",
    "em": "write *x* for emphasis",
    "u": "write [x]{.underline} for underlined text",
    "s": "write ~~x~~ for struck-out text",
    "del": "write ~~x~~ for struck-out text",
    "strike": "write ~~x~~ for struck-out text",
    "mark": "write [x]{.mark} for highlighted text",
    "code": "write `x` for code",
    "a": "write [text](https://address) for a link",
    "img": "write ![what it shows](file.png) on a line of its own for a figure",
    "span": "write [text]{.class} for a span",
    "div": "write a fenced div: '::: {.class}' ... ':::'",
    "p": "leave a blank line between paragraphs",
    "table": "write a pipe table: '| a | b |' over '|---|---|'",
    "ul": "write '- item' lines for a list",
    "ol": "write '1. item' lines for a numbered list",
    "li": "write '- item' lines for a list",
    "blockquote": "start each line with '> ' for a quotation",
    "pre": "fence the code with ``` lines",
    "hr": "write '---' on a line of its own (with blank lines around it)",
    "h1": "write '# Title' for a heading",
    "h2": "write '## Title' for a heading",
    "h3": "write '### Title' for a heading",
    "small": "write [x]{.smallcaps} for small capitals",
}
DEFAULT_HTML_HINT = "use Markdown, a fenced div '::: {.class}' or a bracketed span '[text]{.class}' instead"


def html_hint(html: str) -> str:
    match = re.match(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)", html)
    tag = match.group(1).lower() if match else ""
    return _HTML_HINTS.get(tag, DEFAULT_HTML_HINT)


def without_comments(html: str) -> str:
    return _COMMENT.sub("", html)


class PandocTree:
    """Mixed into the tree builder; uses its ``blocks``, ``inlines``, ``location`` and ``problem``."""

    file: object
    problems: list[Problem]
    warnings: list[Problem]

    def pandoc_block(self, tokens: list[Token], index: int, close: int, where: Location) -> Block | None:
        token = tokens[index]
        kind = token.type
        if kind == "dl_open":
            return self._definition_list(tokens, index, close, where)
        if kind == "line_block_open":
            lines = []
            for inner in range(index + 1, close):
                if tokens[inner].type == "inline":
                    line_where = self.location(tokens[inner])  # type: ignore[attr-defined]
                    lines.append(
                        Paragraph(line_where, self.inlines(tokens[inner].children or [], line_where))
                    )  # type: ignore[attr-defined]
            return LineBlock(where, lines)
        if kind == "math_block":
            return Paragraph(where, [Math(token.content.strip("\n"), display=True)])
        if kind == "raw_block":
            self.drop_raw(where, token.meta.get("format", "tex"), token.content)
            return None
        if kind == "html_block":
            rest = without_comments(token.content)
            if rest.strip():
                self.problem(where, "raw HTML is not allowed", hint=html_hint(rest.strip()))  # type: ignore[attr-defined]
            return None
        return None

    def code_block(self, token: Token, where: Location) -> Block | None:
        info = token.info.strip() if token.type == "fence" else ""
        classes: list[str] = []
        ident = ""
        if info.startswith("{"):
            if re.fullmatch(r"\{=[A-Za-z0-9_-]+\}", info):
                fmt = info[2:-1]
                if fmt.lower() == "html":
                    self.problem(where, "raw HTML is not allowed", hint=DEFAULT_HTML_HINT)  # type: ignore[attr-defined]
                else:
                    self.drop_raw(where, fmt, token.content)
                return None
            parsed = parse_attributes(info)
            if parsed is not None:
                classes, ident = parsed[0], parsed[1]
        elif info:
            language, _, rest = info.partition(" ")
            parsed = parse_attributes(rest) if rest.strip().startswith("{") else None
            classes = [language.lstrip("."), *(parsed[0] if parsed else [])]
            ident = parsed[1] if parsed else ""
        return CodeBlock(where, token.content, classes=classes, id=ident)

    def drop_raw(self, where: Location, fmt: str, content: str) -> None:
        shown = " ".join(content.split())
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        name = "LaTeX" if fmt.lower() in ("tex", "latex") else fmt
        self.warnings.append(
            Problem(
                where,
                f"raw {name} '{shown}' is left out (it is only for {name} output)",
                hint="remove it, or write the same thing in Markdown",
            )
        )

    def _definition_list(
        self, tokens: list[Token], index: int, close: int, where: Location
    ) -> DefinitionList:
        items: list[DefinitionItem] = []
        inner = index + 1
        while inner < close:
            token = tokens[inner]
            end = closing_index(tokens, inner)
            if token.type == "dt_open":
                term_where = self.location(token)  # type: ignore[attr-defined]
                term = self.inlines(tokens[inner + 1].children or [], term_where)  # type: ignore[attr-defined]
                items.append(DefinitionItem(term_where, term, []))
            elif token.type == "dd_open" and items:
                items[-1].definitions.append(self.blocks(tokens, inner + 1, end))  # type: ignore[attr-defined]
            inner = end + 1
        return DefinitionList(where, items)

    # ------------------------------------------------------------ inlines

    def pandoc_inline(self, token: Token, out: list[Inline], where: Location, source: str) -> bool:
        """Append the node for a Pandoc inline token; False when the token is not one."""
        kind = token.type
        if kind in ("math_inline", "math_inline_double"):
            out.append(Math(token.content, display=kind == "math_inline_double"))
        elif kind == "raw_inline":
            fmt = token.meta.get("format", "tex")
            if fmt.lower() == "html":
                self.problem(where, "raw HTML is not allowed", hint=DEFAULT_HTML_HINT)  # type: ignore[attr-defined]
            else:
                self.drop_raw(self.line_of(where, source, token.content), fmt, token.content)
        elif kind == "html_inline":
            if token.content.startswith("<!--"):
                return True  # a comment: ignored, as Pandoc leaves it out of any output but HTML
            if not token.content.startswith("</"):  # one message per element, not per tag
                self.problem(  # type: ignore[attr-defined]
                    self.line_of(where, source, token.content),
                    f"raw HTML is not allowed: {token.content}",
                    hint=html_hint(token.content),
                )
        else:
            return False
        return True

    @staticmethod
    def line_of(where: Location, source: str, content: str) -> Location:
        offset = source.find(content)
        line = where.line + (source[:offset].count("\n") if offset > 0 else 0)
        return Location(where.file, line)

    @staticmethod
    def styled(opener: Token, children: list[Inline]) -> Styled:
        if opener.type == "s_open":
            return Styled("strikeout", children)
        return Styled(opener.meta["style"], children)
