"""Identifiers and references across a publication, resolved once every chapter is read.

* Headings without an explicit id get Pandoc's automatic identifier (``auto_identifiers``):
  the text lower-cased, punctuation but ``_-.`` dropped, spaces as hyphens, everything
  before the first letter removed, ``section`` when nothing is left, and ``-1``, ``-2``
  added to repeats. The chapters are one document, as when Pandoc reads them together.
* Implicit header references (``[Heading]``, ``[text][Heading]``) become links to the
  heading of that name; when there is none, the brackets are text again, as in Pandoc.
* ``[text](#id)`` and ``@fig-id`` / ``@tbl:id`` / ``@sec-id`` must name a target of the
  publication, of the right kind: an unknown one is a problem at its ``file:line``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from .errors import Location, Problem
from .markdown.header_refs import HEADING_SCHEME
from .model import (
    Block,
    Chapter,
    CrossRef,
    Div,
    Heading,
    Image,
    Inline,
    Link,
    NoteRef,
    Span,
    Table,
    Text,
    walk_blocks,
)

KIND_NAMES = {"fig": "figure", "tbl": "table", "sec": "section", "eq": "equation"}
EQUATION_CLASS = "equation"
_EQUATION_ATTRS = re.compile(r"^\s*\{#(eq[-:][^\s}]+)\}")


@dataclass
class Target:
    kind: str  # fig, tbl, sec, div
    block: Block | Chapter
    location: Location


def pandoc_identifier(text: str) -> str:
    """Pandoc's ``inlineListToIdentifier`` for the default (non-GFM) extensions."""
    kept = "".join(c for c in text.lower() if c.isspace() or c.isalnum() or c in "_-.")
    joined = "-".join(kept.split())
    index = next((i for i, c in enumerate(joined) if c.isalpha()), len(joined))
    return joined[index:] or "section"


def _unique(base: str, used: set[str]) -> str:
    if base not in used:
        return base
    number = 1
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def assign_identifiers(chapters: list[Chapter]) -> None:
    """Give every heading without an id its automatic identifier, unique in the publication."""
    from .render_html import plain_text

    used = {chapter.id for chapter in chapters} | {c.heading_id for c in chapters if c.heading_id}
    for chapter in chapters:
        for block in walk_blocks(chapter.blocks):
            ident = getattr(block, "id", "")
            if ident:
                used.add(ident)
    for chapter in chapters:
        if chapter.heading_id == "":  # the title heading had no id: it gets the automatic one
            chapter.heading_id = _unique(pandoc_identifier(chapter.title), used)
            used.add(chapter.heading_id)
        for block in walk_blocks(chapter.blocks):
            if isinstance(block, Heading) and not block.id:
                block.id = _unique(pandoc_identifier(plain_text(block.inlines)), used)
                used.add(block.id)


def _is_display_math(node: Inline) -> bool:
    # The math node is the inline syntax's (briefbuilder.model.Math); only its shape matters here.
    return type(node).__name__ == "Math" and bool(getattr(node, "display", False))


def mark_equations(chapters: list[Chapter]) -> None:
    """pandoc-crossref's numbered equations: ``$$ ... $$ {#eq:id}`` becomes a span with the
    class ``equation`` and that id around the display math, numbered when rendered."""
    for chapter in chapters:
        for block, _ in _inline_owners(chapter.blocks):
            block.inlines = _wrap_equations(block.inlines)  # type: ignore[attr-defined]


def _join_texts(inlines: list[Inline]) -> list[Inline]:
    """Adjacent text nodes as one ("{#eq:a_b}" may arrive in pieces around the '_')."""
    joined: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and joined and isinstance(joined[-1], Text):
            joined[-1] = Text(joined[-1].text + node.text)
        else:
            joined.append(node)
    return joined


def _wrap_equations(inlines: list[Inline]) -> list[Inline]:
    if not any(_is_display_math(node) for node in inlines):
        return inlines
    inlines = _join_texts(inlines)
    result: list[Inline] = []
    index = 0
    while index < len(inlines):
        node = inlines[index]
        following = inlines[index + 1] if index + 1 < len(inlines) else None
        match = _EQUATION_ATTRS.match(following.text) if isinstance(following, Text) else None
        if _is_display_math(node) and match and isinstance(following, Text):
            result.append(Span([node], [EQUATION_CLASS], {"id": match.group(1)}))
            rest = following.text[match.end() :]
            if rest:
                result.append(Text(rest))
            index += 2
            continue
        result.append(node)
        index += 1
    return result


def equation_spans(inlines: list[Inline]) -> Iterator[Span]:
    for node in inlines:
        if isinstance(node, Span) and EQUATION_CLASS in node.classes:
            yield node
        elif isinstance(getattr(node, "children", None), list):
            yield from equation_spans(node.children)  # type: ignore[union-attr]


def collect_targets(chapters: list[Chapter]) -> dict[str, Target]:
    targets: dict[str, Target] = {}
    for chapter in chapters:
        for block, where in _inline_owners(chapter.blocks):
            for span in equation_spans(block.inlines):  # type: ignore[attr-defined]
                targets.setdefault(span.attrs["id"], Target("eq", block, where))
        targets.setdefault(chapter.id, Target("sec", chapter, chapter.location))
        if chapter.heading_id:
            targets.setdefault(chapter.heading_id, Target("sec", chapter, chapter.location))
        for block in walk_blocks(chapter.blocks):
            kind = _target_kind(block)
            ident = getattr(block, "id", "")
            if kind and ident:
                targets.setdefault(ident, Target(kind, block, block.location))
    return targets


def _target_kind(block: Block) -> str:
    if isinstance(block, Heading):
        return "sec"
    if isinstance(block, Image):
        return "fig"
    if isinstance(block, Table):
        return "tbl"
    if isinstance(block, Div):
        return "div"
    return ""


def _heading_names(chapters: list[Chapter]) -> dict[str, str]:
    """Heading text (normalised as link labels are) -> id; the first heading of a name wins."""
    from markdown_it.common.utils import normalizeReference

    from .render_html import plain_text

    names: dict[str, str] = {}
    for chapter in chapters:
        names.setdefault(normalizeReference(chapter.title), chapter.id)
        for block in walk_blocks(chapter.blocks):
            if isinstance(block, Heading) and block.id:
                names.setdefault(normalizeReference(plain_text(block.inlines)), block.id)
    return names


def resolve_references(chapters: list[Chapter]) -> list[Problem]:
    """Resolve implicit header references and check every in-document reference."""
    mark_equations(chapters)
    targets = collect_targets(chapters)
    names = _heading_names(chapters)
    problems: list[Problem] = []
    for chapter in chapters:
        for block, where in _inline_owners(chapter.blocks):

            def fix(node: Inline, where: Location = where) -> list[Inline]:
                return _resolve(node, where, targets, names, problems)

            block.inlines = _map_inlines(block.inlines, fix)  # type: ignore[attr-defined]
    return problems


def _resolve(
    node: Inline, where: Location, targets: dict[str, Target], names: dict[str, str], problems: list[Problem]
) -> list[Inline]:
    if isinstance(node, Link) and node.url.startswith(HEADING_SCHEME):
        label, _, written = node.url[len(HEADING_SCHEME) :].partition("\x00")
        ident = names.get(label)
        if ident is None:
            # Not a heading's name: the brackets were text (e.g. "[sic]").
            return _literal(written, node.children)
        return [Link("#" + ident, node.children)]
    if isinstance(node, Link) and node.url.startswith("#"):
        # markdown-it percent-encodes the address; ids are compared as written.
        ident = unquote(node.url[1:])
        node.url = "#" + ident
        if ident not in targets:
            problems.append(
                Problem(
                    where,
                    f"link to '#{ident}': no heading, figure, table or box has this id",
                    hint=_close_hint(ident, targets, "#")
                    or "give the target an id, e.g. '## Heading {#" + ident + "}'",
                )
            )
    if isinstance(node, CrossRef) and node.kind not in KIND_NAMES:
        what = {"lst": "code listings"}.get(node.kind, node.kind)
        problems.append(
            Problem(
                node.location,
                f"cross-reference '@{node.target}': numbered {what} are not supported",
                hint="refer to the section instead (@sec-id), or describe it in words",
            )
        )
    elif isinstance(node, CrossRef):
        target = targets.get(node.target)
        name = KIND_NAMES[node.kind]
        if target is None:
            same_kind = {k: t for k, t in targets.items() if t.kind == node.kind}
            problems.append(
                Problem(
                    node.location,
                    f"cross-reference '@{node.target}': no {name} has this id",
                    hint=_close_hint(node.target, same_kind, "@") or _id_hint(node),
                )
            )
        elif target.kind != node.kind:
            problems.append(
                Problem(
                    node.location,
                    f"cross-reference '@{node.target}' names a {KIND_NAMES.get(target.kind, 'box')}, "
                    f"not a {name}",
                    hint=f"a {name} id starts with '{node.kind}-' or '{node.kind}:'",
                )
            )
    return [node]


def _id_hint(node: CrossRef) -> str:
    examples = {
        "fig": "![Caption](file.png){#" + node.target + "}",
        "tbl": ": Caption {#" + node.target + "}  (the line after the table)",
        "sec": "## Heading {#" + node.target + "}",
        "eq": "$$ ... $$ {#" + node.target + "}",
    }
    return "give it this id: " + examples[node.kind]


def _close_hint(ident: str, targets: dict[str, Target], sign: str) -> str | None:
    close = difflib.get_close_matches(ident, list(targets), n=1)
    return f"did you mean '{sign}{close[0]}'?" if close else None


def _literal(written: str, children: list[Inline]) -> list[Inline]:
    """``[text]`` or ``[text][label]`` as the text it was, keeping markup inside the brackets."""
    inner_end = written.find("]")
    return [Text("["), *children, Text(written[inner_end:] if inner_end >= 0 else "]")]


def _map_inlines(inlines: list[Inline], fix: Callable[[Inline], list[Inline]]) -> list[Inline]:
    result: list[Inline] = []
    for node in inlines:
        children = getattr(node, "children", None)
        if isinstance(children, list):
            node.children = _map_inlines(children, fix)  # type: ignore[union-attr]
        if isinstance(node, NoteRef):
            for block, _ in _inline_owners(node.note.blocks):
                block.inlines = _map_inlines(block.inlines, fix)  # type: ignore[attr-defined]
        result.extend(fix(node))
    return result


def _inline_owners(blocks: list[Block]) -> Iterator[tuple[Block, Location]]:
    """Every block that holds inlines (paragraphs, headings, captions, cells' paragraphs)."""
    for block in walk_blocks(blocks):
        if isinstance(getattr(block, "inlines", None), list):
            yield block, block.location


__all__ = ["assign_identifiers", "collect_targets", "pandoc_identifier", "resolve_references"]
