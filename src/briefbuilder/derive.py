"""Content the short editions derive from any publication's structure, with no configuration.

A factsheet needs key points and key sources, a brief key messages and recommendations; an
author rarely writes them twice. They are taken from what every publication has: ``##``
sections and their first sentences (or paragraphs, list items and spans an author marks
``.key``), the citations of a chapter (ranked by how often and how early a work is cited),
the publication's ``abstract``/``key-messages`` or else its summaries, and its
``.mitigation`` boxes (or ``.callout-important`` boxes when there are none).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .model import (
    Block,
    BlockQuote,
    Chapter,
    Citation,
    Div,
    Heading,
    Inline,
    ListBlock,
    NoteRef,
    Paragraph,
    Publication,
    Span,
    walk_blocks,
)

KEY_CLASS = "key"
RECOMMENDATION_CLASSES = ("mitigation", "callout-important")  # in order of preference
# A first sentence shorter than this says too little on its own: the next one joins it.
SHORT_SENTENCE = 90
# Boxes are the factsheet's other parts (mitigations, quotes) or asides: not key points.
_NOT_KEY_POINT_BOXES = ("mitigation", "quote", "example", "logic")


@dataclass(frozen=True)
class KeyPoint:
    """One key point of a chapter: a section's title and its first sentence(s)."""

    text: str  # plain text, typography applied at render time
    title: str = ""  # the section's title; empty for points of a chapter without sections
    section: str = ""  # the section's id: where the point comes from
    marked: bool = False  # an author's ``.key`` mark, not derived


def plain(inlines: list[Inline]) -> str:
    from .render_html import plain_text

    return " ".join(plain_text(inlines).split())


def sentences(text: str, count: int = 1) -> str:
    """The first ``count`` sentences of ``text`` (the renderer's sentence rule)."""
    from .render_html import first_sentence

    result = ""
    rest = text
    for _ in range(count):
        if not rest:
            break
        head = first_sentence(rest)
        result = f"{result} {head}".strip()
        rest = rest[len(head) :].strip()
    return result


def lead(text: str) -> str:
    """The first sentence, with the second when the first is short."""
    first = sentences(text, 1)
    return sentences(text, 2) if len(first) < SHORT_SENTENCE else first


def key_points(chapter: Chapter) -> list[KeyPoint]:
    """The author's ``.key`` marks when there are any, else one point per ``##`` section
    (a chapter without sections: one per paragraph), in reading order."""
    marked = list(_marked_points(chapter))
    if marked:
        return marked
    sections = _sections(chapter.blocks)
    if sections:
        points = []
        for heading, body in sections:
            paragraph = _first_paragraph(body)
            if paragraph is None:
                continue
            points.append(KeyPoint(lead(plain(paragraph.inlines)), plain(heading.inlines), heading.id))
        return points
    return [
        KeyPoint(lead(plain(block.inlines)), section=chapter.id)
        for block in chapter.blocks
        if isinstance(block, Paragraph) and plain(block.inlines)
    ]


def key_point_owners(chapter: Chapter) -> list[Block]:
    """The blocks the chapter's key points are taken from (their segments carry budgets)."""
    marked = [
        block
        for block in walk_blocks(chapter.blocks)
        if (isinstance(block, Div) and KEY_CLASS in block.classes)
        or (isinstance(block, Paragraph) and any(True for _ in _key_spans(block.inlines)))
    ]
    if marked:
        return [b for d in marked for b in ([d, *walk_blocks(d.blocks)] if isinstance(d, Div) else [d])]
    sections = _sections(chapter.blocks)
    if sections:
        owners: list[Block] = []
        for heading, body in sections:
            paragraph = _first_paragraph(body)
            if paragraph is not None:
                owners += [heading, paragraph]
        return owners
    return [b for b in chapter.blocks if isinstance(b, Paragraph)]


def _marked_points(chapter: Chapter) -> Iterator[KeyPoint]:
    section = Heading(chapter.location, 2, [], chapter.id)
    for block in walk_blocks(chapter.blocks):  # headings in order: a mark knows its section
        if isinstance(block, Heading):
            if block.level == 2:
                section = block
            continue
        title = plain(section.inlines)
        if isinstance(block, Div) and KEY_CLASS in block.classes:
            paragraph = _first_paragraph(block.blocks)
            if paragraph is not None:
                yield KeyPoint(plain(paragraph.inlines), title, section.id, marked=True)
        elif isinstance(block, Paragraph):
            for span in _key_spans(block.inlines):
                yield KeyPoint(plain(span.children), title, section.id, marked=True)


def _key_spans(inlines: list[Inline]) -> Iterator[Span]:
    for node in inlines:
        if isinstance(node, Span):
            if KEY_CLASS in node.classes:
                yield node
            else:
                yield from _key_spans(node.children)
        elif hasattr(node, "children") and isinstance(node.children, list):
            yield from _key_spans(node.children)


def _sections(blocks: list[Block]) -> list[tuple[Heading, list[Block]]]:
    result: list[tuple[Heading, list[Block]]] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level <= 2:
            if block.level == 2:
                result.append((block, []))
            continue
        if result:
            result[-1][1].append(block)
    return result


def _first_paragraph(blocks: list[Block]) -> Paragraph | None:
    for block in blocks:
        if isinstance(block, Paragraph) and plain(block.inlines):
            return block
        if isinstance(block, Div) and set(block.classes) & set(_NOT_KEY_POINT_BOXES):
            continue
        if isinstance(block, Div | BlockQuote):
            found = _first_paragraph(block.blocks)
            if found:
                return found
        if isinstance(block, ListBlock):
            for item in block.items:
                found = _first_paragraph(item.blocks)
                if found:
                    return found
    return None


def ranked_sources(blocks: list[Block]) -> list[str]:
    """The keys the blocks cite (notes included), most often cited first, ties by first
    citation: the works a reader of the chapter would look up."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for position, key in enumerate(_cited_keys(blocks)):
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, position)
    return sorted(counts, key=lambda key: (-counts[key], first[key]))


def _cited_keys(blocks: list[Block]) -> Iterator[str]:
    for block in walk_blocks(blocks):  # boxes, lists and table cells included
        inlines = getattr(block, "inlines", None)
        if isinstance(inlines, list):
            yield from _inline_keys(inlines)


def _inline_keys(inlines: list[Inline]) -> Iterator[str]:
    for node in inlines:
        if isinstance(node, Citation):
            yield from (item.key for item in node.items)
        elif isinstance(node, NoteRef):
            yield from _cited_keys(node.note.blocks)
        elif hasattr(node, "children") and isinstance(node.children, list):
            yield from _inline_keys(node.children)


def recommendation_boxes(chapters: list[Chapter]) -> tuple[str, list[tuple[Chapter, Div]]]:
    """The boxes a brief lists as recommendations: ``.mitigation``, else ``.callout-important``."""
    for kind in RECOMMENDATION_CLASSES:
        found = [
            (chapter, block)
            for chapter in chapters
            for block in walk_blocks(chapter.blocks)
            if isinstance(block, Div) and kind in block.classes
        ]
        if found:
            return kind, found
    return RECOMMENDATION_CLASSES[0], []


def key_messages(publication: Publication, limit: int = 5) -> list[str]:
    """3-5 key messages: ``key-messages`` as written, else the abstract's sentences, topped up
    with the first sentences of the chapters' summaries (pillars last: they have blocks of
    their own in the brief)."""
    written = [m for m in publication.config.key_messages if m.strip()]
    if written:
        return written[:limit]
    messages = _split_sentences(publication.config.abstract)
    others = [c for c in publication.chapters if not c.pillar] + publication.pillars
    for chapter in others:
        if len(messages) >= 3:
            break
        if chapter.summary:
            candidate = lead(chapter.summary)
            if candidate not in messages:
                messages.append(candidate)
    return messages[:limit]


def _split_sentences(text: str) -> list[str]:
    rest = " ".join(str(text).split())
    result = []
    while rest:
        head = sentences(rest, 1)
        result.append(head)
        rest = rest[len(head) :].strip()
    return result


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:[’'-]\w+)*", text))
