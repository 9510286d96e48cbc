"""Pandoc fancy lists with letter and roman markers (``A.  text``, ``a) text``, ``(i) text``).

CommonMark only knows decimal markers, so a lettered list arrives as one paragraph whose
lines each start with a marker; this core rule turns such a paragraph into an ordered list.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_MARKER = re.compile(r"^(?:\((?P<p>[A-Za-z]|[ivxlc]+)\)|(?P<m>[A-Za-z]|[ivxlcIVXLC]+)[.)])\s+(?P<text>\S.*)$")
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}


def fancy_list_plugin(md: MarkdownIt) -> None:
    md.core.ruler.before("inline", "fancy_lists", _fancy_lists)


def _alphabetic(marker: str) -> tuple[str, int] | None:
    if len(marker) == 1 and marker.isalpha():
        return ("upper-alpha" if marker.isupper() else "lower-alpha", ord(marker.lower()) - 96)
    return None


def _roman(marker: str) -> tuple[str, int] | None:
    number = _ROMAN.get(marker.lower())
    if number is None:
        return None
    return ("upper-roman" if marker.isupper() else "lower-roman", number)


def _items(content: str) -> tuple[str, int, list[str]] | None:
    """A list style, start and item texts when every line is a consecutive marker."""
    lines = content.split("\n")
    if len(lines) < 2:
        return None
    parsed = []
    for line in lines:
        match = _MARKER.match(line)
        if not match:
            return None
        parsed.append((match.group("p") or match.group("m"), match.group("text")))
    # "i." and "v." are letters in a lettered list and numerals in a roman one: A, B, C... first.
    for reading in (_alphabetic, _roman):
        ordinals = [reading(marker) for marker, _ in parsed]
        if any(o is None for o in ordinals):
            continue
        kinds = {o[0] for o in ordinals}  # type: ignore[index]
        numbers = [o[1] for o in ordinals]  # type: ignore[index]
        if len(kinds) == 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            return kinds.pop(), numbers[0], [text for _, text in parsed]
    return None


def _fancy_lists(state: StateCore) -> None:
    tokens = state.tokens
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "paragraph_open" and index + 2 < len(tokens) and tokens[index + 1].type == "inline":
            found = _items(tokens[index + 1].content)
            if found:
                style, start, texts = found
                out.extend(_list_tokens(token, style, start, texts))
                index += 3
                continue
        out.append(token)
        index += 1
    state.tokens = out


def _list_tokens(paragraph: Token, style: str, start: int, texts: list[str]) -> list[Token]:
    first = paragraph.map[0] if paragraph.map else 0
    opening = Token("ordered_list_open", "ol", 1, block=True, level=paragraph.level)
    opening.meta = {"style": style, "start": start}
    opening.map = paragraph.map
    result = [opening]
    for offset, text in enumerate(texts):
        line_map = [first + offset, first + offset + 1]
        item = Token("list_item_open", "li", 1, block=True, level=paragraph.level + 1, map=line_map)
        para = Token(
            "paragraph_open",
            "p",
            1,
            block=True,
            level=paragraph.level + 2,
            map=line_map,
            hidden=True,
        )
        inline = Token("inline", "", 0, level=paragraph.level + 3, content=text, map=line_map, children=[])
        result += [
            item,
            para,
            inline,
            Token("paragraph_close", "p", -1, block=True, level=paragraph.level + 2, hidden=True),
            Token("list_item_close", "li", -1, block=True, level=paragraph.level + 1),
        ]
    result.append(Token("ordered_list_close", "ol", -1, block=True, level=paragraph.level))
    return result
