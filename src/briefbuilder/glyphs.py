"""Missing glyphs: a character no installed font can draw would print as an empty box.

Pango falls back to any installed font, so a character is missing only when no font on the
machine covers it. The layout's own families are checked first (fast, with fontTools); the
few characters they lack are asked of fontconfig.
"""

from __future__ import annotations

import bisect
import html
import re
import shutil
import subprocess
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

from .errors import Location, Problem
from .model import Block, Div, Heading, Paragraph, walk_blocks

PRIMARY_FAMILIES = ("Noto Serif", "Noto Sans")


@lru_cache(maxsize=8)
def _family_cmap(family: str) -> frozenset[int]:
    if shutil.which("fc-match") is None:
        return frozenset()
    found = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False)
    path = found.stdout.strip()
    if not path:
        return frozenset()
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=0, lazy=True)
        return frozenset(font.getBestCmap() or {})
    except Exception:  # noqa: BLE001 - an unreadable font covers nothing
        return frozenset()


@lru_cache(maxsize=1)
def _installed_coverage() -> tuple[tuple[int, int], ...] | None:
    """Every code point range some installed font covers, from one fontconfig query per run
    (one process per character made thousands of unusual characters take minutes)."""
    if shutil.which("fc-list") is None:
        return None  # cannot tell: do not block the build
    found = subprocess.run(
        ["fc-list", "--format", "%{charset}\\n"], capture_output=True, text=True, check=False, timeout=60
    )
    ranges = set()
    for token in found.stdout.split():
        low, _, high = token.partition("-")
        try:
            ranges.add((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):  # disjoint ranges, so that one bisection answers
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return tuple(merged)


def _any_font_covers(char: str) -> bool:
    coverage = _installed_coverage()
    if coverage is None:
        return True
    code = ord(char)
    index = bisect.bisect_right(coverage, (code, sys.maxsize)) - 1
    return index >= 0 and coverage[index][0] <= code <= coverage[index][1]


def _visible_chars(document_html: str) -> set[str]:
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", document_html, flags=re.DOTALL)
    chars = set(html.unescape(text))
    return {c for c in chars if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Zs")}


# Scripts the required fonts (fonts-noto-core) draw: Latin, Greek, Cyrillic, punctuation.
# Text made only of these needs no look-up at all, which keeps the check free for most editions.
_ALWAYS_COVERED = (
    (0x0020, 0x024F),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20BF),
)


def _assumed_covered(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ALWAYS_COVERED)


def missing_glyphs(document_html: str, blocks: list[Block]) -> list[Problem]:
    """One problem per block that first shows characters no installed font can draw."""
    unusual = {c for c in _visible_chars(document_html) if not _assumed_covered(c)}
    if not unusual:
        return []
    covered = frozenset().union(*(_family_cmap(f) for f in PRIMARY_FAMILIES))
    if not covered:
        return []
    missing = sorted(c for c in unusual if ord(c) not in covered and not _any_font_covers(c))
    first_use = _first_blocks_with(set(missing), blocks)
    fallback = Location(blocks[0].location.file if blocks else Path("."))
    # One problem per place: a paragraph of 3,000 unknown characters is one thing to fix,
    # not 3,000 messages that each repeat the paragraph.
    by_place: dict[Location, list[str]] = {}
    for char in missing:
        by_place.setdefault(first_use.get(char, fallback), []).append(char)
    return [_missing_at(place, chars) for place, chars in by_place.items()]


def _missing_at(place: Location, chars: list[str]) -> Problem:
    named = ", ".join(
        f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')} ('{c}')" for c in chars[:MAX_REPORTED]
    )
    if len(chars) == 1:
        message = f"no installed font can draw {named}: it would print as an empty box"
    else:
        more = f" and {len(chars) - MAX_REPORTED} more" if len(chars) > MAX_REPORTED else ""
        message = (
            f"no installed font can draw {len(chars)} characters here, which would print as empty "
            f"boxes: {named}{more}"
        )
    return Problem(
        place,
        message,
        hint="install a font that covers them (e.g. a fonts-noto-* package) or replace the characters",
    )


MAX_REPORTED = 8  # characters named one by one in a message; the rest are counted


def _first_blocks_with(chars: set[str], blocks: list[Block]) -> dict[str, Location]:
    """The first block that shows each character, in one walk over the blocks."""
    from .render_html import plain_text

    found: dict[str, Location] = {}
    for block in walk_blocks(blocks):
        if len(found) == len(chars):
            break
        if isinstance(block, Paragraph | Heading):
            text = plain_text(block.inlines)
        elif isinstance(block, Div):
            text = " ".join(block.attrs.values())
        else:
            continue
        for char in chars.intersection(text):
            found.setdefault(char, block.location)
    return found
