"""From markdown-it tokens to the typed document tree, with ``file:line`` on every block."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from ..errors import Location, Problem
from ..model import (
    Block,
    BlockQuote,
    Citation,
    Code,
    CrossRef,
    Div,
    Emph,
    Heading,
    Image,
    Inline,
    InlineImage,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Note,
    NoteRef,
    Paragraph,
    SoftBreak,
    Span,
    Strong,
    Text,
    ThematicBreak,
)
from .limits import nesting_problems, too_deep_problem
from .token_walk import closing_index
from .tree_pandoc import PandocTree
from .tree_tables import build_figure, build_table


@dataclass
class ParsedBody:
    blocks: list[Block]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # dropped raw content


def parse_markdown(text: str, file: Path, first_line: int = 1) -> ParsedBody:
    """Parse a chapter body; ``first_line`` is the file line where ``text`` starts."""
    from . import make_parser

    env: dict[str, Any] = {}
    try:
        tokens = make_parser().parse(text, env)
        limit_problems = nesting_problems(tokens, env, file, first_line - 1)
        if limit_problems:
            return ParsedBody([], limit_problems)
        builder = _TreeBuilder(file, first_line - 1, env)
        blocks = builder.blocks(tokens, 0, len(tokens))
    except RecursionError:
        return ParsedBody([], [too_deep_problem(file, first_line)])
    builder.check_notes()
    return ParsedBody(blocks, builder.problems, builder.warnings)


class _TreeBuilder(PandocTree):
    def __init__(self, file: Path, offset: int, env: dict[str, Any]):
        self.file = file
        self.offset = offset
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.footnotes = env.get("footnotes", {})
        self.definitions: dict[str, Note] = {}
        self.called: set[str] = set()
        self.pending_refs: list[tuple[NoteRef, str, Location]] = []
        self.current_line = offset + 1

    # ------------------------------------------------------------ helpers

    def location(self, token: Token) -> Location:
        if token.map:
            self.current_line = token.map[0] + self.offset + 1
        return Location(self.file, self.current_line)

    def problem(self, location: Location, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(location, message, hint))

    # ------------------------------------------------------------ blocks

    def blocks(self, tokens: list[Token], start: int, end: int) -> list[Block]:
        result: list[Block] = []
        index = start
        while index < end:
            token = tokens[index]
            close = closing_index(tokens, index) if token.nesting == 1 else index
            block = self.block(tokens, index, close)
            if block is not None:
                result.append(block)
            index = close + 1
        return result

    def block(self, tokens: list[Token], index: int, close: int) -> Block | None:
        token = tokens[index]
        where = self.location(token)
        kind = token.type
        if kind == "paragraph_open":
            image = self._lone_image(tokens[index + 1], where)
            if image:
                return image
            inlines = self.inlines(tokens[index + 1].children or [], where, tokens[index + 1].content)
            if not tokens[index + 1].content.strip() or inlines:
                return Paragraph(where, inlines)
            return None  # only comments or raw TeX, all left out
        if kind == "heading_open":
            meta = token.meta or {}
            return Heading(
                where,
                level=int(token.tag[1]),
                inlines=self.inlines(tokens[index + 1].children or [], where),
                id=meta.get("id", ""),
                classes=list(meta.get("classes", [])),
            )
        if kind in ("bullet_list_open", "ordered_list_open"):
            items = []
            inner = index + 1
            while inner < close:
                item_close = closing_index(tokens, inner)
                items.append(
                    ListItem(
                        self.location(tokens[inner]),
                        self.blocks(tokens, inner + 1, item_close),
                        checked=(tokens[inner].meta or {}).get("checked"),
                    )
                )
                inner = item_close + 1
            meta = token.meta or {}
            start = meta.get("start") or int(token.attrGet("start") or 1)
            return ListBlock(
                where,
                items,
                ordered=kind == "ordered_list_open",
                start=start,
                style=meta.get("style", "decimal"),
                delimiter=meta.get("delimiter", "period"),
            )
        if kind == "div_open":
            meta = token.meta or {}
            if meta.get("unclosed"):
                self.problem(
                    where,
                    "fenced div is never closed",
                    hint="add a line with ':::' where the box ends",
                )
            return Div(
                where,
                self.blocks(tokens, index + 1, close),
                classes=list(meta.get("classes", [])),
                id=meta.get("id", ""),
                attrs=dict(meta.get("attrs", {})),
            )
        if kind == "blockquote_open":
            return BlockQuote(where, self.blocks(tokens, index + 1, close))
        if kind in ("fence", "code_block"):
            return self.code_block(token, where)
        if kind == "hr":
            return ThematicBreak(where)
        if kind in ("dl_open", "line_block_open", "math_block", "raw_block", "html_block"):
            return self.pandoc_block(tokens, index, close, where)
        if kind == "footnote_reference_open":
            label = (token.meta or {}).get("label", "")
            if label in self.definitions:
                self.problem(where, f"note '{label}' is defined twice")
            self.definitions[label] = Note(self.blocks(tokens, index + 1, close), where, label)
            return None
        if kind == "footnote_block_open":
            return None
        if kind == "table_open":
            return build_table(self, tokens, index, close, where)
        if kind == "table_refused":
            meta = token.meta or {}
            self.problem(where, meta.get("message", "unsupported table"), hint=meta.get("hint"))
            return None
        self.problem(
            where,
            "this Markdown construct is not supported",
            hint="see the README's 'Markdown dialect' table for what to write instead",
        )
        return None

    def _lone_image(self, token: Token, where: Location) -> Image | None:
        children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image" and children[0].content.strip():
            return build_figure(self, children[0], where)
        return None

    # ------------------------------------------------------------ inlines

    def inlines(self, tokens: list[Token], where: Location, source: str = "") -> list[Inline]:
        stack: list[tuple[str, list[Inline], Token]] = [
            ("root", [], tokens[0] if tokens else Token("", "", 0))
        ]

        def out() -> list[Inline]:
            return stack[-1][1]

        for token in tokens:
            kind = token.type
            if kind in ("text", "text_special"):  # text_special: an escape or entity, decoded
                out().append(Text(token.content))
            elif kind == "softbreak":
                out().append(SoftBreak())
            elif kind == "hardbreak":
                out().append(LineBreak())
            elif kind == "code_inline":
                out().append(Code(token.content, list((token.meta or {}).get("classes", []))))
            elif kind in ("em_open", "strong_open", "link_open", "span_open", "script_open", "s_open"):
                stack.append((kind, [], token))
            elif kind in ("em_close", "strong_close", "link_close", "span_close", "script_close", "s_close"):
                opener, children, open_token = stack.pop()
                out().append(self._close_inline(opener, children, open_token, where))
            elif kind == "citation":
                meta = token.meta or {}
                out().append(Citation(list(meta["items"]), where, narrative=bool(meta.get("narrative"))))
            elif kind == "crossref":
                meta = token.meta or {}
                out().append(
                    CrossRef(
                        meta["kind"],
                        meta["target"],
                        where,
                        bare=meta["bare"],
                        capital=meta["capital"],
                        continues=meta["continues"],
                    )
                )
            elif kind == "footnote_ref":
                out().append(self._note_ref(token, where))
            elif self.pandoc_inline(token, out(), where, source):
                pass
            elif kind == "image":
                attrs = {k: str(v) for k, v in token.attrs.items() if k not in ("src", "alt")}
                out().append(InlineImage(str(token.attrGet("src") or ""), token.content, attrs))
            else:
                self.problem(
                    where,
                    f"this inline Markdown is not supported: {token.content or token.markup}",
                    hint="see the README's 'Markdown dialect' table for what to write instead",
                )
        while len(stack) > 1:  # unbalanced tokens cannot happen with markdown-it; be safe anyway
            _, children, _ = stack.pop()
            out().extend(children)
        return stack[0][1]

    def _close_inline(self, opener: str, children: list[Inline], token: Token, where: Location) -> Inline:
        if opener == "em_open":
            return Emph(children)
        if opener == "strong_open":
            return Strong(children)
        if opener == "link_open":
            url = str(token.attrGet("href") or "")
            if token.meta and "implicit_text" in token.meta:  # resolved by briefbuilder.xref
                url += "\x00" + token.meta["implicit_text"]
            return Link(url, children)
        if opener in ("script_open", "s_open"):
            return self.styled(token, children)
        classes = str(token.attrGet("class") or "").split()
        attrs = {k: str(v) for k, v in token.attrs.items() if k not in ("class", "id")}
        return Span(children, classes, attrs)

    def _note_ref(self, token: Token, where: Location) -> Inline:
        meta = token.meta or {}
        note_id = meta.get("id")
        entry = self.footnotes.get("list", {}).get(note_id, {})
        if "label" not in entry and "tokens" in entry:  # an inline note ^[...]
            body = self.inlines(entry.get("tokens") or [], where)
            return NoteRef(Note([Paragraph(where, body)], where))
        label = meta.get("label") or entry.get("label", "")
        ref = NoteRef(Note([], where, label))
        self.pending_refs.append((ref, label, where))
        if label in self.called:
            self.problem(
                where,
                f"note '{label}' is called twice",
                hint="each reference note may be called once",
            )
        self.called.add(label)
        return ref

    def check_notes(self) -> None:
        for ref, label, where in self.pending_refs:
            note = self.definitions.get(label)
            if note is None:
                self.problem(where, f"note '[^{label}]' is called but never defined")
            else:
                ref.note = note
        for label, note in self.definitions.items():
            if label not in self.called:
                self.problem(note.location, f"note '[^{label}]' is defined but never called")
