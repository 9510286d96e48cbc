"""Pandoc attribute blocks ``{#id .class key="value"}``."""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""\s*(?:
        \#(?P<id>[^\s}]+)
      | \.(?P<cls>[^\s}=]+)
      | (?P<key>[A-Za-z_][\w:.-]*)=(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^'\\]|\\.)*)'|(?P<bare>[^\s}"']+))
      | (?P<dash>-)(?=[\s}])
    )""",
    re.VERBOSE,
)


def parse_attributes(text: str) -> tuple[list[str], str, dict[str, str]] | None:
    """Parse ``{...}``; return (classes, id, attributes) or None when it is not an attribute block."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    body = text[1:-1]
    classes: list[str] = []
    ident = ""
    attrs: dict[str, str] = {}
    pos = 0
    while pos < len(body):
        if body[pos:].strip() == "":
            break
        match = _TOKEN.match(body, pos)
        if not match:
            return None
        if match.group("id"):
            ident = match.group("id")
        elif match.group("cls"):
            classes.append(match.group("cls"))
        elif match.group("key"):
            value = match.group("dq")
            if value is None:
                value = match.group("sq")
            if value is None:
                value = match.group("bare") or ""
            attrs[match.group("key")] = re.sub(r"\\(.)", r"\1", value)
        elif match.group("dash"):
            classes.append("unnumbered")
        pos = match.end()
    return classes, ident, attrs
