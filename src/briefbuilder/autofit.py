"""Auto-fit for the short editions: fill their pages, never cut them, in about two layouts.

The first layout is made with everything the edition may show (every key point, the pull
quote, every harm) at the style sheet's type size. From it, :func:`measure` reads how full
each page is and how tall each optional part is (``data-fit`` elements). :func:`plan` then
predicts, from those measurements alone, the content and type size that fill the pages the
edition should have (the type's share of a page grows as the square of its size: lines get
taller and hold fewer words). The second layout is, in the common case, the last one: it
is kept when it fits. Only when the prediction misses does a third layout correct it, and
stepping down the type to the legible floor is the last resort.

Order of the knobs, as a designer would: to fill a page, take more key points, the pull
quote, more harms, then slightly larger type; to fit, drop harms, then the pull quote,
then key points (never fewer than :data:`MIN_KEY_POINTS`), then smaller type down to the
edition's ``min-font-size``. Recommendations are never shortened: their text is the same
in every language.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .edition import Edition, Fit
from .pdf import LaidOutDocument

log = logging.getLogger(__name__)

FILL_MIN = 2 / 3 + 0.04  # a last page filled less than this is filled or folded away
GOOD_FILL = 0.82  # a last page filled less than this is worth a second layout in larger type
GROW_AIM = 0.90  # growing: the last page's fill to aim at
FIT_AIM = 0.94  # shrinking: the last page's fill to aim at (room for breaks that move)
MAX_GROWTH = 1.12  # type grows to at most 112 % of the style sheet's size
MIN_KEY_POINTS = 3
SMALL_SHRINK = 0.93  # an overflow that 7 % smaller type absorbs is not worth content
DEFAULT_SIZE = 9.6  # pt, when the style sheet names no html font size

LayOut = Callable[[Fit], LaidOutDocument]


@dataclass
class Measurement:
    """One layout, as auto-fit sees it: page fills and optional parts, in page heights."""

    fills: list[float]
    fixed: float = 0.0  # the band and other parts whose size does not follow the type
    optional: dict[str, list[float]] = field(default_factory=dict)  # kind -> heights, in order

    @property
    def pages(self) -> int:
        return len(self.fills)

    @property
    def used(self) -> float:
        """The content's height in pages: what each page holds (the gap a box that moved to
        the next page leaves is not content: set again, the content closes it)."""
        return sum(self.fills)

    @property
    def gap(self) -> float:
        """The mean gap a page break leaves at a page's foot (boxes are not split): set
        again on fewer pages, the content leaves such gaps again."""
        full = self.fills[:-1]
        return sum(1 - f for f in full) / len(full) if full else 0.04

    def aim(self, pages: int, last: float) -> float:
        """The content height that fills ``pages`` pages, the last to ``last``."""
        return pages - 1 + last - (pages - 1) * self.gap


@dataclass
class FitOutcome:
    laid_out: LaidOutDocument
    fit: Fit
    passes: int
    fills: list[float]


def base_size(css: str) -> float:
    """The style sheet's html font size in pt (the last rule that sets one wins)."""
    found = re.findall(r"html\s*\{[^}]*?font-size:\s*([\d.]+)pt", css)
    return float(found[-1]) if found else DEFAULT_SIZE


def measure(laid_out: LaidOutDocument) -> Measurement:
    """Page fills and the heights of the ``data-fit`` parts, read from the laid-out boxes."""
    result = Measurement([])
    pages = laid_out.document.pages  # type: ignore[attr-defined]
    for page in pages:
        box = page._page_box  # noqa: SLF001 - WeasyPrint has no public box API
        top, height = box.content_box_y(), box.height
        bottom = top
        seen: set[int] = set()  # an element's outer box only (its anonymous boxes share it)
        for child in box.children:
            name = type(child).__name__
            if name == "FootnoteAreaBox":
                bottom += child.margin_height() if child.children else 0
            elif name != "MarginBox":
                for inner in child.descendants():
                    element = getattr(inner, "element", None)
                    if _is_leaf(inner):
                        # Where ink ends: a block's fragment may run to the page's foot.
                        bottom = max(bottom, inner.position_y + inner.margin_height())
                    if element is None or inner.element_tag in ("html", "body"):
                        continue
                    kind = element.get("data-fit")
                    if id(element) in seen:
                        continue
                    if kind or "band" in (element.get("class") or "").split():
                        seen.add(id(element))
                    if kind and _is_element_root(inner):
                        # In a grid of two columns, an item frees half its height.
                        share = min(1.0, inner.margin_width() / box.width) if box.width else 1.0
                        result.optional.setdefault(kind, []).append(inner.margin_height() * share / height)
                    elif "band" in (element.get("class") or "").split() and _is_element_root(inner):
                        result.fixed += inner.margin_height() / height
        result.fills.append(max(0.0, min(1.0, (bottom - top) / height)))
    return result


def _is_leaf(box: object) -> bool:
    name = type(box).__name__
    if name == "LineBox" or "Replaced" in name:
        return True
    return name == "BlockBox" and not getattr(box, "children", None)


def _is_element_root(box: object) -> bool:
    # One element makes several boxes (a block and its line boxes): count its outer box once.
    return type(box).__name__ in ("BlockBox", "ListItemBox", "FlexBox", "GridBox", "TableWrapperBox")


def size_for(used: float, fixed: float, aim: float, size: float) -> float:
    """The type size that brings content of height ``used`` (at ``size``) to ``aim``.

    Text alone grows as the square of its size; margins in mm, rules and breaks that move
    make the whole grow more slowly (about linearly, measured on the seed's editions). The
    prediction takes the cautious side each way: linear to shrink (it shrinks a little too
    much and fits), square to grow (it grows a little too little and does not overflow)."""
    variable = max(used - fixed, 1e-6)
    ratio = max(aim - fixed, 0.05) / variable
    return size * (ratio if ratio < 1 else math.sqrt(ratio))


def plan(
    measured: Measurement, fit: Fit, budget: int, size: float, floor: float, ceiling: float
) -> Fit | None:
    """The fit predicted to fill the right number of pages; None: keep the layout as it is."""
    pages, last = measured.pages, measured.fills[-1]
    if pages <= budget and last >= GOOD_FILL:
        return None
    used = measured.used
    if pages > budget or (pages > 1 and last < 1 / 3):
        target = min(budget, pages - 1) if pages <= budget else budget
        return _shrink(measured, fit, measured.aim(target, FIT_AIM), size, floor)
    # Grow the type to fill the last page (a whole content shorter than a page stays one page).
    grown = min(size_for(used, measured.fixed, measured.aim(pages, GROW_AIM), size), ceiling)
    if grown <= size + 0.05:
        return None
    return replace(fit, font_size=round(grown, 2))


def _shrink(measured: Measurement, fit: Fit, aim: float, size: float, floor: float) -> Fit:
    """Drop harms, then the quote, then key points while that is needed, then scale the type."""
    used = measured.used
    type_only = size_for(used, measured.fixed, aim, size)
    if type_only >= max(floor, size * SMALL_SHRINK):
        # A small overflow: boxes kept whole make freed lines on one page useless to the
        # next, so a little smaller type is the surer fit, and keeps the content.
        return replace(fit, font_size=round(min(type_only, size), 2))
    harms = list(measured.optional.get("harm", []))
    quote = list(measured.optional.get("quote", []))
    points = list(measured.optional.get("key-point", []))
    fit = replace(fit)
    # The harms shown per measure: harms are measured in document order, dropped from the end.
    while len(harms) > 1 and used > aim:
        used -= harms.pop()
        fit.harms = len(harms)
    if quote and used > aim:
        used -= quote[0]
        fit.quote = False
    while len(points) > MIN_KEY_POINTS and used > aim:
        used -= points.pop()
        fit.key_points = len(points)
    fit.font_size = round(max(min(size_for(used, measured.fixed, aim, size), size), floor), 2)
    return fit


def fit_edition(
    edition: Edition, lay_out: LayOut, size: float, fits: Callable[[LaidOutDocument], bool]
) -> FitOutcome:
    """Lay the edition out, at most twice in the common case (see the module's docstring)."""
    budget = edition.config.max_pages or 1
    floor = min(edition.config.min_font_size, size)
    ceiling = size * MAX_GROWTH
    fit = Fit()
    laid_out = lay_out(fit)
    measured = measure(laid_out)
    tried = [(laid_out, fit, measured)]
    log.debug("%s (%s) pass 1: fills %s", edition.name, edition.lang, measured.fills)
    planned = plan(measured, fit, budget, size, floor, ceiling)
    if planned is None:
        return FitOutcome(laid_out, fit, 1, measured.fills)
    target = (
        min(budget, measured.pages)
        if measured.fills[-1] >= 1 / 3
        else min(budget, max(measured.pages - 1, 1))
    )
    previous = (size, measured)
    fit = planned
    while True:
        laid_out = lay_out(fit)
        measured = measure(laid_out)
        tried.append((laid_out, fit, measured))
        log.debug(
            "%s (%s) pass %d at %s: fills %s", edition.name, edition.lang, len(tried), fit, measured.fills
        )
        current = fit.font_size or size
        if measured.pages <= target or current <= floor + 1e-6:
            break
        # The prediction missed: correct it from the two last layouts (their local exponent).
        corrected = _secant(previous, (current, measured), measured.aim(target, FIT_AIM))
        previous = (current, measured)
        fit = replace(fit, font_size=round(max(min(corrected, current - 0.25), floor), 2))
    best = _best(tried, fits)
    return FitOutcome(best[0], best[1], len(tried), best[2].fills)


def _secant(first: tuple[float, Measurement], second: tuple[float, Measurement], aim: float) -> float:
    (s1, m1), (s2, m2) = first, second
    v1, v2 = max(m1.used - m1.fixed, 1e-6), max(m2.used - m2.fixed, 1e-6)
    exponent = 1.0
    if abs(s1 - s2) > 1e-3 and abs(v1 - v2) > 1e-3:
        exponent = min(max(math.log(v1 / v2) / math.log(s1 / s2), 0.5), 2.5)
    return s2 * (max(aim - m2.fixed, 0.05) / v2) ** (1 / exponent) * 0.99


def _best(
    tried: list[tuple[LaidOutDocument, Fit, Measurement]], fits: Callable[[LaidOutDocument], bool]
) -> tuple[LaidOutDocument, Fit, Measurement]:
    """The layout that fits with the fewest pages and the fullest last page."""
    fitting = [t for t in tried if fits(t[0])]
    if not fitting:
        return tried[-1]
    return min(
        fitting, key=lambda t: (t[2].fills[-1] < FILL_MIN and t[2].pages > 1, t[2].pages, -t[2].fills[-1])
    )
