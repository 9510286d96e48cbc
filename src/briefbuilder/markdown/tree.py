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
    CodeBlock,
    Div,
    Emph,
    Heading,
    Image,
    Inline,
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


@dataclass
class ParsedBody:
    blocks: list[Block]
    problems: list[Problem] = field(default_factory=list)


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
    return ParsedBody(blocks, builder.problems)


class _TreeBuilder:
    def __init__(self, file: Path, offset: int, env: dict[str, Any]):
        self.file = file
        self.offset = offset
        self.problems: list[Problem] = []
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

    @staticmethod
    def _close_index(tokens: list[Token], start: int) -> int:
        depth = 0
        for index in range(start, len(tokens)):
            depth += tokens[index].nesting
            if depth == 0:
                return index
        return len(tokens) - 1

    # ------------------------------------------------------------ blocks

    def blocks(self, tokens: list[Token], start: int, end: int) -> list[Block]:
        result: list[Block] = []
        index = start
        while index < end:
            token = tokens[index]
            close = self._close_index(tokens, index) if token.nesting == 1 else index
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
            return image or Paragraph(
                where, self.inlines(tokens[index + 1].children or [], where, tokens[index + 1].content)
            )
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
                item_close = self._close_index(tokens, inner)
                items.append(
                    ListItem(self.location(tokens[inner]), self.blocks(tokens, inner + 1, item_close))
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
            return CodeBlock(where, token.content)
        if kind == "hr":
            return ThematicBreak(where)
        if kind == "html_block":
            self.problem(
                where,
                "raw HTML is not allowed",
                hint="use Markdown, a fenced div or a bracketed span instead",
            )
            return None
        if kind == "footnote_reference_open":
            label = (token.meta or {}).get("label", "")
            if label in self.definitions:
                self.problem(where, f"note '{label}' is defined twice")
            self.definitions[label] = Note(self.blocks(tokens, index + 1, close), where, label)
            return None
        if kind == "footnote_block_open":
            return None
        self.problem(where, f"unsupported Markdown construct ({kind})")
        return None

    def _lone_image(self, token: Token, where: Location) -> Image | None:
        children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            return Image(where, src=image.attrGet("src") or "", alt=image.content)
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
            if kind == "text":
                out().append(Text(token.content))
            elif kind == "softbreak":
                out().append(SoftBreak())
            elif kind == "hardbreak":
                out().append(LineBreak())
            elif kind == "code_inline":
                out().append(Code(token.content))
            elif kind in ("em_open", "strong_open", "link_open", "span_open"):
                stack.append((kind, [], token))
            elif kind in ("em_close", "strong_close", "link_close", "span_close"):
                opener, children, open_token = stack.pop()
                out().append(self._close_inline(opener, children, open_token, where))
            elif kind == "citation":
                meta = token.meta or {}
                out().append(Citation(list(meta["items"]), where, narrative=bool(meta.get("narrative"))))
            elif kind == "footnote_ref":
                out().append(self._note_ref(token, where))
            elif kind == "html_inline":
                if not token.content.startswith("</"):  # one message per element, not per tag
                    offset = source.find(token.content)
                    line = where.line + (source[:offset].count("\n") if offset > 0 else 0)
                    self.problem(
                        Location(where.file, line),
                        f"raw HTML is not allowed: {token.content}",
                        hint="use Markdown or a bracketed span",
                    )
            elif kind == "image":
                self.problem(where, "an image must stand alone in its own paragraph")
            else:
                self.problem(where, f"unsupported inline Markdown ({kind})")
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
            return Link(str(token.attrGet("href") or ""), children)
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
