"""How full each page of a PDF is, measured from what it prints (pdfplumber).

A page's fill is the height from the top of its text area to the lowest thing printed in
it (text, rules, boxes, images), plus the height of its footnotes when it has any, over the
text area's height. The running foot (below the bottom margin) does not count.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber

MM = 72 / 25.4
FOOTNOTE_SIZE = 7.6  # pt: the short editions' footnotes are set at 7.4 pt


def page_fills(path: Path, top_mm: float = 14, bottom_mm: float = 16) -> list[float]:
    fills = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            top, foot = top_mm * MM, page.height - bottom_mm * MM
            objects = [
                o
                for o in [*page.chars, *page.rects, *page.lines, *page.images]
                if o["bottom"] <= foot + 0.5 and o["top"] >= 0
            ]
            notes = [c for c in page.chars if c in objects and c["size"] < FOOTNOTE_SIZE]
            body = [o for o in objects if o not in notes and not _is_note_rule(o, notes)]
            bottom = max((o["bottom"] for o in body), default=top)
            used = bottom - top
            if notes:
                used += max(c["bottom"] for c in notes) - min(c["top"] for c in notes) + 12
            fills.append(min(used / (foot - top), 1.0))
    return fills


def _is_note_rule(obj: dict, notes: list[dict]) -> bool:
    # The rule above the footnotes belongs to them.
    return (
        bool(notes)
        and obj.get("object_type") in ("line", "rect")
        and 0 <= min(c["top"] for c in notes) - obj["bottom"] < 14
    )
