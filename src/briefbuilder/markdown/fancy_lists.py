"""Pandoc's fancy lists: ``A.``, ``a)``, ``(i)``, ``(1)``, ``#.`` and ``(@label)`` example lists.

CommonMark only knows ``1.`` and ``1)``. Before block parsing, this plugin rewrites each fancy
marker in place into a decimal one of the same width (so that indentation, and with it the
line numbers and nesting, stay exactly as written) and remembers what the author wrote; after
block parsing the ordered list tokens get their real style, delimiter and start back.

As in Pandoc, the first marker decides a list's style (``i.`` is roman, ``v.`` a letter), an
upper-case letter followed by a period needs two spaces (``B. Russell`` is not a list), a list
needs a blank line before it, and example items are numbered across the whole chapter, with
``(@label)`` in the text replaced by the label's number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_FENCE = re.compile(r"^\s*(```|~~~)")
_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>"
    r"\((?P<p>@[\w-]*|#|\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+)\)"
    r"|(?P<m>@[\w-]*|#|\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+)(?P<d>[.)])"
    r")(?P<space>[ \t]+|$)"
)
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


@dataclass
class _Marker:
    style: str  # decimal, lower-alpha, upper-alpha, lower-roman, upper-roman, example
    delimiter: str  # period, one-paren, two-parens
    value: int


def fancy_list_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("normalize", "fancy_list_markers", _rewrite_markers)
    md.core.ruler.after("block", "fancy_list_styles", _restore_styles)
    md.core.ruler.after("inline", "example_references", _example_references)


def roman_value(text: str) -> int | None:
    lower = text.lower()
    if not lower or not _ROMAN.match(lower):
        return None
    total = 0
    for index, char in enumerate(lower):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[lower[index + 1]] if index + 1 < len(lower) else 0
        total += -value if value < following else value
    return total


def _read(body: str, style: str | None) -> tuple[str, int] | None:
    """The style and value of a marker's body (``iv``, ``B``, ``12``), in a list's style."""
    if body.isdigit():
        return ("decimal", int(body)) if style in (None, "decimal") else None
    if body == "#":
        return ("decimal", 1) if style in (None, "decimal") else None
    roman = roman_value(body)
    letter = len(body) == 1 and body.isalpha()
    case = "upper" if body.isupper() else "lower"
    if style is not None:  # a following item: read it in the list's own style
        if style.endswith("alpha") and letter and style.startswith(case):
            return style, ord(body.lower()) - 96
        if style.endswith("roman") and roman and style.startswith(case):
            return style, roman
        return None
    if body.lower() == "i" or (roman and not letter):
        return f"{case}-roman", roman or 1
    if letter:
        return f"{case}-alpha", ord(body.lower()) - 96
    return None


def _rewrite_markers(state: StateCore) -> None:
    lines = state.src.split("\n")
    markers: dict[int, _Marker] = {}
    labels: dict[str, int] = {}
    examples = 0
    styles: dict[int, str] = {}  # indent -> style of the list open at that indent
    # indent -> the list's (style, delimiter) and the delimiter written for CommonMark there
    delimiters: dict[int, tuple[tuple[str, str], str]] = {}
    in_fence = False
    previous_blank = True
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _MARKER.match(line)
        if match is None:
            if line.strip() and not line[:1].isspace():
                styles, delimiters = {}, {}  # a paragraph at the margin ends every list
            previous_blank = not line.strip()
            continue
        indent = len(match.group("indent").expandtabs(4))
        if not previous_blank and indent not in styles:
            previous_blank = False
            continue  # Pandoc: a list needs a blank line before it
        body = match.group("p") or match.group("m")
        delimiter = (
            "two-parens" if match.group("p") else ("period" if match.group("d") == "." else "one-paren")
        )
        styles = {k: v for k, v in styles.items() if k <= indent}
        delimiters = {k: v for k, v in delimiters.items() if k <= indent}
        if body.startswith("@"):
            examples += 1
            if len(body) > 1:
                labels.setdefault(body[1:], examples)
            style, value = "example", examples
        else:
            same_list = indent in delimiters and delimiters[indent][0][1] == delimiter
            read = (_read(body, styles.get(indent)) if same_list else None) or _read(body, None)
            if read is None:
                previous_blank = False
                continue
            style, value = read
            if style == "upper-alpha" and delimiter == "period" and len(match.group("space")) < 2:
                previous_blank = False
                continue  # "B. Russell": an initial, not a list item
            if delimiter != "two-parens" and body.isdigit():
                styles[indent] = style
                previous_blank = False
                continue  # CommonMark reads "3." and "3)" itself
        # CommonMark ends a list where the delimiter changes; Pandoc where the style does.
        written_delimiter = ")" if delimiter != "period" else "."
        if indent in delimiters:
            previous_kind, previous = delimiters[indent]
            if previous_kind == (style, delimiter):
                written_delimiter = previous
            else:
                written_delimiter = "." if previous == ")" else ")"
        delimiters[indent] = ((style, delimiter), written_delimiter)
        styles[indent] = style
        markers[number] = _Marker(style, delimiter, value)
        written = match.group("marker") + match.group("space")
        replacement = f"{value}{written_delimiter}"
        # Five spaces after a marker would make the item's text a code block.
        replacement += " " * min(4, max(1, len(written) - len(replacement)))
        lines[number] = match.group("indent") + replacement + line[match.end() :]
        previous_blank = False
    state.env["fancy_list_markers"] = markers
    state.env["example_labels"] = labels
    state.src = "\n".join(lines)


def _restore_styles(state: StateCore) -> None:
    markers: dict[int, _Marker] = state.env.get("fancy_list_markers", {})
    for token in state.tokens:
        if token.type == "ordered_list_open" and token.map:
            marker = markers.get(token.map[0])
            if marker is not None:
                token.meta = {
                    "style": marker.style,
                    "delimiter": marker.delimiter,
                    "start": marker.value,
                }
            else:
                text = state.src.split("\n", token.map[0] + 1)[token.map[0]]
                one_paren = re.match(r"^\s*\d+\)", text) is not None
                token.meta = {"delimiter": "one-paren" if one_paren else "period", **(token.meta or {})}


def _example_references(state: StateCore) -> None:
    """``(@good)`` in the text: the number of the example labelled ``good``."""
    labels: dict[str, int] = state.env.get("example_labels", {})
    if not labels:
        return
    for block in state.tokens:
        for token in block.children or []:
            if token.type != "citation":
                continue
            items = token.meta["items"]
            if len(items) == 1 and items[0].key in labels and not items[0].prefix:
                token.type = "text"
                token.content = str(labels[items[0].key])
                token.meta = {}
