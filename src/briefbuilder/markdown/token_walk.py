"""Walking markdown-it's flat token stream."""

from __future__ import annotations

from markdown_it.token import Token


def closing_index(tokens: list[Token], start: int) -> int:
    """The index of the token that closes the one opened at ``start`` (its matching ``_close``)."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1
