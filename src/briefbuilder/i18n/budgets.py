"""Length budgets: how long a translation of a brief's or factsheet's segment may be.

A short edition has a fixed number of pages; auto-fit absorbs longer text by setting it in
smaller type, down to the edition's ``min-font-size``. The room that leaves is the budget:
a page the source fills to about :data:`SOURCE_FILL` holds ``(size / min-font-size) ** 2 /
SOURCE_FILL`` times its text at the smallest type (text area grows as the square of the
type size), so each segment may be that many times its source's length. The budget is
written into the catalogues as a translator comment (``#. brief: at most 180 characters``)
and checked by ``i18n status`` and ``check`` before any layout; when an edition overflows,
the build names the segments over their budget (:func:`overflow_hint`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..compose import resolve_editions
from ..errors import Location
from ..model import Publication
from .segments import Site

SOURCE_FILL = 0.9  # how full auto-fit leaves a short edition's pages in the source language
STYLE_SIZE = 9.6  # pt: the house brief and factsheet body size
SLACK = 20  # characters every budget allows on top: a short title may grow by a few words
LAYOUT_NAMES = {"brief": "brief", "factsheet": "factsheet"}
BRIEF_ONLY = ("abstract", "call-to-action", "key-message")  # metadata a factsheet does not print
FACTSHEET_ONLY = ("what", "harm")  # a measure's parts: the brief does not print them


@dataclass(frozen=True)
class Budget:
    layout: str  # "brief" or "factsheet"
    characters: int


@dataclass(frozen=True)
class OverBudget:
    location: Location  # the catalogue entry: xx.po:LINE
    segment: str
    layout: str
    length: int
    budget: int

    def message(self) -> str:
        return (
            f"{self.segment}: translation of {self.length} characters is over its length budget "
            f"of {self.budget} ({self.layout})"
        )


def visible_length(text: str) -> int:
    """Characters a reader sees: placeholders (``<1>``, ``<c2/>``) are not text."""
    return len(" ".join(re.sub(r"</?[a-z]?\d+/?>", "", text).split()))


def factor(min_font_size: float) -> float:
    return (STYLE_SIZE / max(min_font_size, 1.0)) ** 2 / SOURCE_FILL


def segment_budgets(publication: Publication, sites: list[Site]) -> dict[str, list[Budget]]:
    """Each segment a brief or factsheet shows, with the tightest budget of each layout."""
    from .status import edition_sites

    budgets: dict[str, dict[str, int]] = {}
    for config in resolve_editions(publication):
        layout = LAYOUT_NAMES.get(config.layout)
        if layout is None or config.max_pages is None:
            continue
        room = factor(config.min_font_size)
        for site in edition_sites(publication, sites, config.name):
            if site.kind in (BRIEF_ONLY if layout == "factsheet" else FACTSHEET_ONLY):
                continue
            allowed = math.ceil(visible_length(site.text) * room) + SLACK
            per_layout = budgets.setdefault(site.id, {})
            per_layout[layout] = min(per_layout.get(layout, allowed), allowed)
    return {
        segment: [Budget(layout, chars) for layout, chars in sorted(layouts.items())]
        for segment, layouts in budgets.items()
    }


def budget_comment(budgets: list[Budget]) -> str:
    return "\n".join(f"{b.layout}: at most {b.characters} characters" for b in budgets)


def over_budget(publication: Publication, lang: str) -> list[OverBudget]:
    """The translations of ``lang`` longer than their segment's budget, at their PO lines."""
    from .catalogue import load_catalogue
    from .segments import segments_of

    sites = segments_of(publication)
    catalogue = load_catalogue(publication, lang, sites)
    budgets = segment_budgets(publication, sites)
    try:
        lines = catalogue.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    found = []
    for segment, entry in catalogue.entries.items():
        if not entry.text:
            continue
        length = visible_length(entry.text)
        over = [b for b in budgets.get(segment, []) if length > b.characters]
        if over:  # once per segment, at its tightest budget, naming every layout it breaks
            layout = " and ".join(b.layout for b in over)
            tightest = min(b.characters for b in over)
            where = Location(entry.location.file, _msgstr_line(lines, entry.location.line))
            found.append(OverBudget(where, segment, layout, length, tightest))
    return sorted(found, key=lambda o: o.location.line)


def _msgstr_line(lines: list[str], start: int) -> int:
    """The line of the entry's ``msgstr`` (what the translator edits), from its first line."""
    for number in range(max(start, 1), len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    return start


def overflow_hint(publication: Publication, lang: str, layout: str, limit: int = 5) -> str:
    """For an edition that overflows in ``lang``: its segments over budget, worst first."""
    if lang == publication.lang:
        return ""
    try:
        found = [o for o in over_budget(publication, lang) if layout in o.layout.split(" and ")]
    except Exception:  # noqa: BLE001 - a hint must never hide the overflow it explains
        return ""
    found.sort(key=lambda o: -o.length / max(o.budget, 1))
    return "; ".join(f"{_short(o.location)} {o.segment} ({o.length} > {o.budget})" for o in found[:limit])


def _short(location: Location) -> str:
    return f"{Path(location.file).name}:{location.line}"
