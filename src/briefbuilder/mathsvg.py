"""TeX math as SVG, through ziamath (pure Python, with its own STIX Two Math font).

Each formula becomes an ``<img>`` with an SVG ``data:`` URI, sized in ``em`` so that it
follows the surrounding text, lowered by its depth so that its baseline sits on the text's,
and with the TeX as its alternative text (what a screen reader says). The loader checks every
formula first (:func:`math_problems`), so that a TeX error is a ``file:line`` message.
"""

from __future__ import annotations

import base64
import re
import warnings
from collections.abc import Iterator
from functools import lru_cache

from markupsafe import Markup

from .errors import Location, Problem
from .model import Block, Inline, Math, NoteRef, walk_blocks

_REFERENCE_SIZE = 12.0  # ziamath's font size; the image is then scaled in em
_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')
_TEXT_RUN = re.compile(r"\\(?:text|textrm|textit|textbf|texttt|mbox)\{[^{}]*\}")


def _text_hyphens(tex: str) -> str:
    """A hyphen inside ``\\text{...}`` as U+2010, the hyphen of running text.

    ziamath 0.13 rewrites ``<mn ...>-`` with a greedy pattern that swallows everything from
    the formula's first number to a text run's hyphen (``5\\text{-}8`` becomes broken
    MathML); the real hyphen character looks the same and avoids it."""
    return _TEXT_RUN.sub(lambda run: run.group(0).replace("-", "\u2010"), tex)


class MathError(ValueError):
    """TeX that ziamath cannot typeset."""


@lru_cache(maxsize=4096)
def typeset(tex: str, display: bool) -> tuple[str, float, float, float]:
    """The SVG of a formula, its width, height and depth below the baseline (in em)."""
    if tex.count("{") != tex.count("}"):
        raise MathError("the braces { } are not balanced")
    try:
        with warnings.catch_warnings():  # ziamath's own use of a deprecated importlib API
            warnings.simplefilter("ignore", DeprecationWarning)
            import ziamath

            formula = ziamath.Math.fromlatex(_text_hyphens(tex), size=_REFERENCE_SIZE, inline=not display)
            # latex2mathml keeps a command it does not know as text ("<mi>\foo</mi>").
            unknown = re.search(r">(\\[A-Za-z]+)<", formula.mathmlstr())
            svg = formula.svg()
    except Exception as error:  # ziamath raises bare assertions and KeyErrors on bad TeX
        raise MathError(str(error) or "the TeX cannot be typeset") from error
    if unknown:
        raise MathError(f"unknown TeX command {unknown.group(1)}")
    box = _VIEWBOX.search(svg)
    if box is None:
        raise MathError("the TeX cannot be typeset")
    _, top, width, height = (float(v) for v in box.groups())
    return svg, width / _REFERENCE_SIZE, height / _REFERENCE_SIZE, (top + height) / _REFERENCE_SIZE


def math_html(node: Math) -> Markup:
    try:
        svg, width, height, depth = typeset(node.tex, node.display)
    except MathError:  # reported by the loader already; keep the TeX readable
        return Markup('<code class="math-error">%s</code>') % node.tex
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    style = f"width:{width:.3f}em;height:{height:.3f}em;vertical-align:{-depth:.3f}em"
    image = Markup('<img class="math" src="%s" alt="%s" style="%s">') % (uri, node.tex.strip(), style)
    if node.display:
        return Markup('<span class="math display">%s</span>') % image
    return image


def _math_nodes(inlines: list[Inline]) -> Iterator[Math]:
    for node in inlines:
        if isinstance(node, Math):
            yield node
        elif isinstance(node, NoteRef):
            for block in walk_blocks(node.note.blocks):
                yield from _math_nodes(getattr(block, "inlines", []))
        else:
            yield from _math_nodes(getattr(node, "children", []))


def math_problems(blocks: list[Block]) -> list[Problem]:
    """Every formula that cannot be typeset, at its block's ``file:line``."""
    problems = []
    for block in walk_blocks(blocks):
        for node in _math_nodes(getattr(block, "inlines", [])):
            try:
                typeset(node.tex, node.display)
            except MathError as error:
                problems.append(_problem(_line_of(block.location, node.tex), node, str(error)))
    return problems


def _line_of(where: Location, tex: str) -> Location:
    """The line of a paragraph on which a formula starts (the paragraph's first line if unsure)."""
    first = tex.strip().split("\n")[0]
    try:
        lines = where.file.read_text(encoding="utf-8").split("\n")
    except OSError:
        return where
    for number in range(max(where.line, 1), min(len(lines), where.line + 200) + 1):
        if first and first in lines[number - 1]:
            return Location(where.file, number)
    return where


def _problem(where: Location, node: Math, reason: str) -> Problem:
    fence = "$$" if node.display else "$"
    return Problem(
        where,
        f"math {fence}{node.tex.strip()}{fence} cannot be typeset: {reason}",
        hint="write the formula in TeX math as Pandoc reads it, e.g. $\\frac{a}{b}$, $x^2$, $\\alpha$",
    )
