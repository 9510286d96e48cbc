"""Typography by language, applied to text as it is rendered (never to the sources).

Smart punctuation (Pandoc's ``smart`` extension) is done here, at render time, rather than in
the parser: straight quotes become the quotation marks of the edition's language, ``--`` and
``---`` dashes, ``...`` an ellipsis. The sources and the translation catalogues keep what the
author and translators typed, and a translation's text gets its own language's marks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from markupsafe import Markup

from .model import Citation, Code, Inline, LineBreak, Link, Math, NoteRef, SoftBreak, Text

# (outer open, outer close, inner open, inner close), after CLDR's delimiters.
_QUOTES = {
    "en": ("“", "”", "‘", "’"),
    "fr": ("«", "»", "“", "”"),
    "es": ("«", "»", "“", "”"),
    "it": ("«", "»", "“", "”"),
    "pt": ("«", "»", "“", "”"),
    "pt-br": ("“", "”", "‘", "’"),
    "ca": ("«", "»", "“", "”"),
    "ru": ("«", "»", "„", "“"),
    "uk": ("«", "»", "„", "“"),
    "be": ("«", "»", "„", "“"),
    "de": ("„", "“", "‚", "‘"),
    "cs": ("„", "“", "‚", "‘"),
    "sk": ("„", "“", "‚", "‘"),
    "pl": ("„", "”", "«", "»"),
    "ro": ("„", "”", "«", "»"),
    "hu": ("„", "”", "»", "«"),
    "nl": ("“", "”", "‘", "’"),
    "sv": ("”", "”", "’", "’"),
    "fi": ("”", "”", "’", "’"),
    "da": ("“", "”", "‘", "’"),
    "nb": ("«", "»", "‘", "’"),
    "no": ("«", "»", "‘", "’"),
    "el": ("«", "»", "“", "”"),
    "tr": ("“", "”", "‘", "’"),
    "ar": ("«", "»", "“", "”"),
    "fa": ("«", "»", "“", "”"),
    "he": ("”", "”", "’", "’"),
    "ja": ("「", "」", "『", "』"),
    "zh": ("“", "”", "‘", "’"),
}
_APOSTROPHE = "’"
_OPENING_CONTEXT = set(" \t\n\u00a0([{<-–—/«“‘„‚")


def quotation_marks(lang: str) -> tuple[str, str, str, str]:
    code = lang.lower().replace("_", "-")
    return _QUOTES.get(code) or _QUOTES.get(code.split("-")[0]) or _QUOTES["en"]


def french_spacing(text: str) -> str:
    """French typography: a narrow no-break space before ; : ! ? » and after «."""
    # Not inside a URL or a reference ("https://", "CELEX:32011", "?uri="): the mark is
    # followed by a space, the end, or closing punctuation.
    text = re.sub(r"(?<=[^\s/])[ \u00a0]*([;:!?])(?![\w/=&#%.-])", "\u202f\\1", text)
    text = re.sub(r"([!?])\u202f(?=[!?])", "\\1", text)  # "?!" is one mark: one space before it
    text = re.sub(r"(?<=\S)[ \u00a0]*»", "\u202f»", text)
    return re.sub(r"«[ \u00a0]*(?=\S)", "«\u202f", text)


def _identity(text: str) -> str:
    return text


def text_fixer(lang: str) -> Callable[[str], str]:
    """The spacing rules of a language for text already smartened."""
    return french_spacing if lang.split("-")[0].lower() == "fr" else _identity


def typographer(lang: str) -> Callable[[str], str] | None:
    """Smart punctuation and spacing for a plain string (a title printed by a template)."""
    spacing = text_fixer(lang)

    def fix(text: str) -> str:
        return spacing(smart_text(text, lang))

    return fix


def smart_text(text: str, lang: str) -> str:
    (result,) = smarten([Text(text)], lang)
    return result.text if isinstance(result, Text) else text


class _Quotes:
    """The state of a run of text: which quotes are open, what the last character was."""

    def __init__(self, lang: str):
        self.marks = quotation_marks(lang)
        self.open: list[str] = []  # '"' and "'" still open, innermost last
        self.previous = " "


def smarten(nodes: list[Inline], lang: str) -> list[Inline]:
    """The inlines with straight quotes, ``--``, ``---`` and ``...`` made typographic.

    Code, math, citations and bare URLs are left as they are; note bodies are smartened when
    they are rendered, on their own.
    """
    following = _following_characters(nodes)
    state = _Quotes(lang)
    return _smarten(nodes, state, iter(following))


def _following_characters(nodes: list[Inline]) -> list[str]:
    """For each Text node in order, the first character after it (' ' at the end)."""
    atoms: list[tuple[str, str]] = []  # ("text", value) or ("atom", stand-in character)

    def collect(items: list[Inline]) -> None:
        for node in items:
            if isinstance(node, Text):
                atoms.append(("text", node.text))
            elif isinstance(node, SoftBreak | LineBreak):
                atoms.append(("atom", " "))
            elif isinstance(node, Code | Math | Citation):
                atoms.append(("atom", "x"))
            elif isinstance(node, NoteRef):
                continue
            elif _is_bare_url(node):
                atoms.append(("atom", "x"))
            else:
                collect(getattr(node, "children", []))

    collect(nodes)
    result = []
    for index, (kind, _) in enumerate(atoms):
        if kind != "text":
            continue
        after = next((value[0] for _, value in atoms[index + 1 :] if value), " ")
        result.append(after)
    return result


def _is_bare_url(node: Inline) -> bool:
    return (
        isinstance(node, Link)
        and len(node.children) == 1
        and isinstance(node.children[0], Text)
        and node.children[0].text == node.url
    )


def _smarten(nodes: list[Inline], state: _Quotes, following) -> list[Inline]:  # type: ignore[no-untyped-def]
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(Text(_smart_run(node.text, state, next(following, " "))))
        elif isinstance(node, SoftBreak | LineBreak):
            state.previous = " "
            out.append(node)
        elif isinstance(node, Code | Math | Citation) or _is_bare_url(node):
            state.previous = "x"
            out.append(node)
        elif isinstance(node, NoteRef):
            out.append(node)
        elif hasattr(node, "children"):
            children = _smarten(node.children, state, following)  # type: ignore[arg-type]
            unchanged = len(children) == len(node.children) and all(
                a is b
                for a, b in zip(children, node.children, strict=True)  # type: ignore[arg-type]
            )
            # The node itself when nothing in it changed: later stages may know it by identity.
            out.append(node if unchanged else replace(node, children=children))
        else:
            out.append(node)
    return out


def _smart_run(text: str, state: _Quotes, after: str) -> str:
    text = text.replace("---", "—").replace("--", "–").replace("...", "…")
    text = re.sub(r"(?<=\S) ?\. \. \.", "…", text)
    outer_open, outer_close, inner_open, inner_close = state.marks
    out = []
    for index, char in enumerate(text):
        nxt = text[index + 1] if index + 1 < len(text) else after
        prev = state.previous
        if char == '"':
            if '"' in state.open and not (prev in _OPENING_CONTEXT and not nxt.isspace()):
                out.append(outer_close)
                _close(state, '"')
            elif prev in _OPENING_CONTEXT and not nxt.isspace():
                out.append(outer_open)
                state.open.append('"')
            else:
                out.append(outer_close)
        elif char == "'":
            if prev.isalnum() and nxt.isalnum():
                out.append(_APOSTROPHE)  # don't, l'homme
            elif prev in _OPENING_CONTEXT and not nxt.isspace():
                out.append(inner_open)
                state.open.append("'")
            elif "'" in state.open:
                out.append(inner_close)
                _close(state, "'")
            else:
                out.append(_APOSTROPHE)  # the workers' rights
        else:
            out.append(char)
        state.previous = char if char not in "\"'" else "x"
    return "".join(out)


def _close(state: _Quotes, mark: str) -> None:
    while state.open:
        if state.open.pop() == mark:
            break


# A word that already has a hyphen ("anti-trafficking") may break after it, never inside
# one of its parts: "anti-traf-ficking" reads as a mistake. Letters only, so that ranges
# ("2012-2016") and URLs are left alone.
_COMPOUND = re.compile(r"(?<![\w/.-])([^\W\d_]+(?:[-\u2011][^\W\d_]+)+)(?![\w/-])")


def protect_compounds(html: Markup) -> Markup:
    """Escaped text with each hyphenated compound in a span the style sheets do not hyphenate."""
    text = str(html)
    if "-" not in text:
        return html
    return Markup(_COMPOUND.sub(r'<span class="compound">\1</span>', text))


def mark_lead_in(html: Markup, block, following) -> Markup:  # type: ignore[no-untyped-def]
    """A paragraph ending in a colon that introduces a list or a box is kept on the page of
    what it introduces (``class="lead-in"``, ``break-after: avoid`` in the style sheets)."""
    from .model import Div, ListBlock, Paragraph

    if not isinstance(block, Paragraph) or not isinstance(following, ListBlock | Div):
        return html
    text = str(html)
    if not re.search(r":\s*</p>\s*$", text) or not text.startswith("<p"):
        return html
    return Markup(text.replace("<p", '<p class="lead-in"', 1))


def fix_markup(html: Markup, fix: Callable[[str], str]) -> Markup:
    """A language's spacing rules applied to the text of formatted markup (a citation, a
    bibliography entry), never to tags or to the text of links (URLs keep their colons)."""
    if fix is _identity:
        return html
    pieces = re.split(r"(<[^>]+>)", str(html))
    in_link = 0
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):
            if re.match(r"<a\b", piece):
                in_link += 1
            elif piece.startswith("</a") and in_link:
                in_link -= 1
            continue
        if piece and not in_link:
            pieces[index] = fix(piece)
    return Markup("".join(pieces))
