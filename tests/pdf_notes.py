"""Footnote calls and footnotes read back from a PDF's glyphs (pdfplumber).

A *call* is a run of digits set smaller than the text of its line and raised above that
line's baseline; adjacent calls are separated by a comma of the same size. A *note* starts
with its number in bold and a full stop ("12."), first on a line of glyphs smaller than the
body's, and notes come in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import pdfplumber


@dataclass
class Call:
    number: int
    page: int
    size: float  # glyph size of the call's figures
    text_size: float  # glyph size of the text on its line
    raise_by: float  # how far the figures' baseline lies above the line's, in points
    starts_line: bool  # nothing of the line stands to its left
    body_size: float = 0.0  # the size of most glyphs of the page (the body text)


@dataclass
class PageNotes:
    page: int
    calls: list[Call] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)


def _same_line(a: dict, b: dict) -> bool:
    return min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.3 * min(a["size"], b["size"])


def read_notes(path: Path) -> list[PageNotes]:
    pages = []
    with pdfplumber.open(path) as pdf:
        every = [page.chars for page in pdf.pages]
    sizes = Counter(round(c["size"], 1) for chars in every for c in chars)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    expected = [1]  # notes are numbered in order: "2018." at a line's start is not note 2018
    for number, chars in enumerate(every, 1):
        pages.append(_page_notes(chars, number, body, expected))
    return pages


def _page_notes(chars: list[dict], number: int, text_size: float, expected: list[int]) -> PageNotes:
    out = PageNotes(number)
    if not chars:
        return out
    small = [c for c in chars if c["size"] < 0.85 * text_size and (c["text"].isdigit() or c["text"] == ",")]
    # A right-to-left page (an Arabic edition): its lines start at the right.
    rtl = any(unicodedata.bidirectional(c["text"][:1]) in ("R", "AL") for c in chars)
    used: set[int] = set()
    for index, char in enumerate(small):
        if index in used or not char["text"].isdigit():
            continue
        line = [c for c in chars if c["size"] > 1.2 * char["size"] and _same_line(c, char)]
        if not line:
            continue  # not raised within larger text: a note's own number, or small print
        if rtl and "matrix" in char:
            # Arabic glyphs' boxes hang lower than Latin ones: compare baselines instead.
            raise_by = char["matrix"][5] - median(c["matrix"][5] for c in line)
        else:
            baseline = median(c["bottom"] for c in line)
            raise_by = baseline - char["bottom"]
        if raise_by < 0.15 * char["size"]:
            continue
        # The call's figures (and commas between adjacent calls) follow one another.
        run = [char]
        used.add(index)
        for later_index in range(index + 1, len(small)):
            later = small[later_index]
            if abs(later["top"] - char["top"]) < 0.5 and 0 <= later["x0"] - run[-1]["x1"] < 0.8:
                run.append(later)
                used.add(later_index)
        left = [c for c in line if c["x1"] <= char["x0"] + 0.1 and c["text"].strip()]
        if rtl:  # a right-to-left line starts at the right: what precedes the call lies there
            left = [c for c in line if c["x0"] >= char["x1"] - 0.1 and c["text"].strip()]
        text = "".join(c["text"] for c in run)
        for piece in text.split(","):
            if piece.isdigit():
                out.calls.append(
                    Call(
                        int(piece),
                        number,
                        char["size"],
                        median(c["size"] for c in line),
                        raise_by,
                        not left,
                        text_size,
                    )
                )
    # Notes: "12." in glyphs of one (small) size, the first thing on their line.
    for index, char in enumerate(chars):
        if not char["text"].isdigit() or char["size"] >= 0.95 * text_size or "Bold" not in char["fontname"]:
            continue
        previous = chars[index - 1] if index else None
        if previous is not None and _same_line(previous, char) and previous["x1"] <= char["x0"] + 0.1:
            continue
        digits = char["text"]
        for later in chars[index + 1 : index + 5]:
            if later["text"].isdigit() and abs(later["top"] - char["top"]) < 0.5:
                digits += later["text"]
            else:
                if later["text"] == "." and abs(later["top"] - char["top"]) < 0.5:
                    line = [c for c in chars if _same_line(c, char)]
                    if int(digits) == expected[0] and all(c["size"] < 0.95 * text_size for c in line):
                        out.notes.append(int(digits))
                        expected[0] += 1
                break
    _right_to_left_notes(chars, text_size, expected, out)
    return out


def _right_to_left_notes(chars: list[dict], text_size: float, expected: list[int], out: PageNotes) -> None:
    """Notes of a right-to-left page: ".12" drawn with the number last on its line, at the
    right (the period before it, in visual order)."""
    for char in chars:
        if not char["text"].isdigit() or char["size"] >= 0.95 * text_size or "Bold" not in char["fontname"]:
            continue
        line = [c for c in chars if _same_line(c, char) and c["text"].strip()]
        digits = sorted(
            (
                c
                for c in line
                if c["text"].isdigit() and abs(c["top"] - char["top"]) < 0.5 and "Bold" in c["fontname"]
            ),
            key=lambda c: c["x0"],
        )
        # The number's own figures: adjacent to this one, up to the line's right end.
        run = [c for c in digits if c["x0"] >= char["x0"] - 0.1]
        if run[0] is not char or any(c["x1"] > run[-1]["x1"] + 0.1 for c in line if c not in run):
            continue
        before = [c for c in line if c["x1"] <= char["x0"] + 0.1]
        if not before or max(before, key=lambda c: c["x1"])["text"] != ".":
            continue
        number = int("".join(c["text"] for c in run))
        if number == expected[0] and all(c["size"] < 0.95 * text_size for c in line):
            out.notes.append(number)
            expected[0] += 1


def off_page(pages: list[PageNotes]) -> list[str]:
    """Every note printed on another page than its call, as "note N: call p. X, note p. Y"."""
    call_page = {call.number: page.page for page in pages for call in page.calls}
    note_page = {note: page.page for page in pages for note in page.notes}
    problems = []
    for number in sorted(set(call_page) | set(note_page)):
        if call_page.get(number) != note_page.get(number):
            problems.append(
                f"note {number}: call p. {call_page.get(number)}, note p. {note_page.get(number)}"
            )
    return problems


def note_count(pages: list[PageNotes]) -> int:
    return sum(len(p.notes) for p in pages)


_NUMBER = re.compile(r"\d+")
