"""Inline markup as numbered placeholders, so translators never see URLs, keys or notes.

``<1>…</1>`` wraps emphasis, strong, links, spans, superscript, subscript and strikeout
(their URL and attributes stay locked in the source), ``<n1/>`` stands for a note (its text is
a segment of its own), ``<c1/>`` for a citation, ``<x1/>`` for inline code, ``<m1/>`` for
math. A translation must use exactly the same placeholders, in any order; anything else that
looks like markup is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import (
    Citation,
    Code,
    CrossRef,
    Emph,
    Inline,
    InlineImage,
    LineBreak,
    Link,
    Math,
    NoteRef,
    SoftBreak,
    Span,
    Strong,
    Styled,
    Text,
)

# Kept as they are, like code: a cross-reference prints its label in the edition's
# language ("Figure 2", "figure 2"), and an inline image is an icon.
LOCKED = (Code, CrossRef, InlineImage)

PAIRED = (Emph, Strong, Link, Span, Styled)
_STYLE_NAMES = {"superscript": "superscript", "subscript": "subscript", "strikeout": "struck-out text"}


@dataclass
class Encoded:
    """A segment's text with placeholders, and what each placeholder stands for."""

    text: str
    paired: dict[str, Emph | Strong | Link | Span | Styled] = field(default_factory=dict)
    notes: dict[str, NoteRef] = field(default_factory=dict)
    citations: dict[str, Citation] = field(default_factory=dict)
    codes: dict[str, Code | CrossRef | InlineImage] = field(default_factory=dict)
    maths: dict[str, Math] = field(default_factory=dict)

    def tokens(self) -> set[str]:
        found = {f"<{k}>" for k in self.paired} | {f"</{k}>" for k in self.paired}
        found |= {f"<n{k}/>" for k in self.notes} | {f"<c{k}/>" for k in self.citations}
        return found | {f"<x{k}/>" for k in self.codes} | {f"<m{k}/>" for k in self.maths}

    def describe(self) -> str:
        """A translator comment naming each placeholder."""
        parts = []
        for key, node in self.paired.items():
            if isinstance(node, Styled):
                kind = _STYLE_NAMES[node.style]
            else:
                kind = {
                    Emph: "emphasis",
                    Strong: "strong emphasis",
                    Link: "a link (its address is kept)",
                    Span: "a span",
                }[type(node)]
            parts.append(f"<{key}>…</{key}> {kind}")
        parts += [f"<n{k}/> a note (translated separately)" for k in self.notes]
        parts += [f"<c{k}/> a citation (formatted by the citation style)" for k in self.citations]
        locked = {
            Code: "code, kept as is",
            CrossRef: "a cross-reference (e.g. 'Figure 2')",
            InlineImage: "an icon",
        }
        parts += [f"<x{k}/> {locked[type(node)]}" for k, node in self.codes.items()]
        parts += [f"<m{k}/> math, kept as is" for k in self.maths]
        return "; ".join(parts)


def encode(inlines: list[Inline]) -> Encoded:
    encoded = Encoded("")
    counters = {"paired": 0, "n": 0, "c": 0, "x": 0, "m": 0}

    def walk(nodes: list[Inline]) -> str:
        out = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(node.text.replace("<", "&lt;"))
            elif isinstance(node, SoftBreak | LineBreak):
                out.append(" ")
            elif isinstance(node, PAIRED):
                counters["paired"] += 1
                key = str(counters["paired"])
                encoded.paired[key] = node
                out.append(f"<{key}>{walk(node.children)}</{key}>")
            elif isinstance(node, NoteRef):
                counters["n"] += 1
                encoded.notes[str(counters["n"])] = node
                out.append(f"<n{counters['n']}/>")
            elif isinstance(node, Citation):
                counters["c"] += 1
                encoded.citations[str(counters["c"])] = node
                out.append(f"<c{counters['c']}/>")
            elif isinstance(node, LOCKED):
                counters["x"] += 1
                encoded.codes[str(counters["x"])] = node
                out.append(f"<x{counters['x']}/>")
            elif isinstance(node, Math):
                counters["m"] += 1
                encoded.maths[str(counters["m"])] = node
                out.append(f"<m{counters['m']}/>")
        return "".join(out)

    encoded.text = " ".join(walk(inlines).split())
    return encoded


_TOKEN = re.compile(r"<(/?)(\d+)>|<([ncxm])(\d+)/>")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|</?\s*\d*\s*/?>|!\[|\]\(|\^\[|\[@|\[\^|`|\{[#.]")


class PlaceholderError(ValueError):
    """A translation whose placeholders or markup do not match the source."""


def check_translation(source: Encoded, translation: str) -> list[str]:
    """What is wrong with a translation's placeholders and markup (empty when it is fine)."""
    problems = []
    found = [m.group(0) for m in _TOKEN.finditer(translation)]
    expected = source.tokens()
    missing = sorted(expected - set(found))
    extra = sorted(set(found) - expected)
    duplicated = sorted({t for t in found if found.count(t) > 1})
    if missing:
        problems.append(f"missing placeholder(s) {' '.join(missing)}")
    if extra:
        problems.append(f"unknown placeholder(s) {' '.join(extra)}")
    if duplicated:
        problems.append(f"placeholder(s) used twice: {' '.join(duplicated)}")
    stripped = _TOKEN.sub("", translation)
    markup = _MARKUP.search(stripped)
    if markup:
        shown = re.match(r"<[^>]{0,60}>?|.{1,20}", stripped[markup.start() :], re.DOTALL)
        problems.append(
            f"markup is not allowed in a translation: '{shown.group(0) if shown else markup.group(0)}'"
        )
    if not problems:
        stack: list[str] = []
        for match in _TOKEN.finditer(translation):
            if match.group(2) is None:
                continue
            if match.group(1):
                if not stack or stack[-1] != match.group(2):
                    problems.append(f"placeholder </{match.group(2)}> closes out of order")
                    break
                stack.pop()
            else:
                stack.append(match.group(2))
    return problems


def decode(source: Encoded, translation: str, note_for=None) -> list[Inline]:  # type: ignore[no-untyped-def]
    """Build inlines from a checked translation, reusing the source's locked parts.

    ``note_for`` maps a source :class:`NoteRef` to its translated counterpart.
    """
    stack: list[tuple[str, list[Inline]]] = [("", [])]
    position = 0
    for match in _TOKEN.finditer(translation):
        if match.start() > position:
            stack[-1][1].append(Text(translation[position : match.start()].replace("&lt;", "<")))
        position = match.end()
        closing, number, kind, index = match.groups()
        if number is not None and not closing:
            stack.append((number, []))
        elif number is not None:
            key, children = stack.pop()
            stack[-1][1].append(_rebuild(source.paired[key], children))
        elif kind == "n":
            ref = source.notes[index]
            stack[-1][1].append(note_for(ref) if note_for else ref)
        elif kind == "c":
            stack[-1][1].append(source.citations[index])
        elif kind == "x":
            stack[-1][1].append(source.codes[index])
        elif kind == "m":
            stack[-1][1].append(source.maths[index])
    if position < len(translation):
        stack[-1][1].append(Text(translation[position:].replace("&lt;", "<")))
    return stack[0][1]


def _rebuild(template: Emph | Strong | Link | Span | Styled, children: list[Inline]) -> Inline:
    if isinstance(template, Styled):
        return Styled(template.style, children)
    if isinstance(template, Emph):
        return Emph(children)
    if isinstance(template, Strong):
        return Strong(children)
    if isinstance(template, Link):
        return Link(template.url, children)
    return Span(children, list(template.classes), dict(template.attrs))
