"""Bidi-safe mixed text: runs of the other direction isolated in the rendered HTML.

In an Arabic paragraph, a Latin title, a URL, a DOI or an English author's name is a run of
left-to-right text. Left alone, the neutral characters at its ends (a title's final "?", an
initial's period, the slashes of a URL) take the paragraph's direction and print on the wrong
side. Each such run is wrapped in ``<span dir="ltr" class="bidi-run">`` (``dir="rtl"`` for an
Arabic run in a left-to-right document): browsers isolate an element with a ``dir`` attribute
(HTML's ``<bdi>`` semantics), and WeasyPrint, which implements no ``unicode-bidi``, lays out an
inline element with its own direction as one unit of its line, which isolates it as well.
A link whose text is a URL gets ``dir="ltr"`` itself.

This works on the finished HTML, after translation placeholders (``<c1/>``, ``<n1/>``) have
become citations and notes, so a translator may put them in any order. Tags, attribute
values, ``<style>``, ``<head>``, ``<code>`` and ``<pre>`` are left as they are.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from functools import lru_cache

from markupsafe import escape


@lru_cache(maxsize=1)
def _classes() -> tuple[str, str]:
    """Regex character classes of the strong left-to-right and right-to-left characters."""
    ltr, rtl = [], []
    for code in range(0x41, min(sys.maxunicode, 0x2FFFF)):
        kind = unicodedata.bidirectional(chr(code))
        if kind == "L":
            ltr.append(code)
        elif kind in ("R", "AL"):
            rtl.append(code)
    return _ranges(ltr), _ranges(rtl)


def _ranges(codes: list[int]) -> str:
    parts, start, previous = [], codes[0], codes[0]
    for code in codes[1:] + [-1]:
        if code != previous + 1:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else ""))
            start = code
        previous = code
    return "".join(parts)


@lru_cache(maxsize=2)
def _run_pattern(direction: str) -> re.Pattern[str]:
    ltr, rtl = _classes()
    other, own = (ltr, rtl) if direction == "rtl" else (rtl, ltr)
    # From a strong character of the other direction to the last one before a strong
    # character of the document's own; then what belongs to the run's end: numbers after a
    # space ("Strategy 2012-2016"), a title's ? or !, and closing brackets and quotes (kept
    # only when the run opened them, see _trim); an initial's period is added by _extend.
    return re.compile(
        rf"[{other}](?:[^{own}<>]*[{other}])?"
        rf"(?:[\s./:_\u200b-]*[0-9](?:[0-9.,:/\u2013\u2010-]*[0-9])?)*"
        rf"[?!…/]*"
        rf"[)\]’”\"']*"
    )


_OPENERS = {")": "(", "]": "[", "’": "‘", "”": "“", "»": "«", "›": "‹"}
_TAG = re.compile(r"(<[^>]*>)")
_SKIP = re.compile(r"<(style|script|code|pre|head|title|svg|math)\b", re.IGNORECASE)
_URL_LINK = re.compile(
    r'<a (?![^>]*\bdir=)([^>]*href="(?:https?:|mailto:)[^>]*)>(?=(?:https?:|www\.|mailto:))'
)


def isolate_runs(document: str, direction: str) -> str:
    """``document`` with every run of the other direction's text wrapped (see above)."""
    ltr, rtl = _classes()
    other = ltr if direction == "rtl" else rtl
    if not re.search(f"[{other}]", _body_text(document)):
        return document
    pattern = _run_pattern(direction)
    run_dir = "ltr" if direction == "rtl" else "rtl"
    pieces = _TAG.split(_with_url_links(document, direction))
    whole = _whole_elements(pieces, direction)
    out, skipping = [], []
    for index, piece in enumerate(pieces):
        if index in whole.closes:
            out.append("</span>")
        if piece.startswith("<") and piece.endswith(">"):
            _track_skip(piece, skipping)
            out.append(piece)
            if index in whole.opens:
                out.append(f'<span dir="{run_dir}" class="bidi-run">')
        elif skipping or whole.inside(index) or not piece.strip():
            out.append(piece)
        else:
            out.append(_wrap(piece, pattern, run_dir))
    return "".join(out)


# Elements whose whole text may be of the other direction (an English bibliography entry in
# an Arabic edition): their content becomes one run, read as one phrase, while the element
# keeps the document's alignment and note number.
_WHOLE_TAGS = {"p", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"}  # no blocks inside
_WHOLE_SPANS = re.compile(r'<span class="(?:footnote|key-source|fn-p|fn-li)\b')
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base"}
_NAME = re.compile(r"</?([a-zA-Z][\w-]*)")


class _Whole:
    def __init__(self) -> None:
        self.opens: set[int] = set()
        self.closes: set[int] = set()
        self.ranges: list[tuple[int, int]] = []

    def inside(self, index: int) -> bool:
        return any(start < index < end for start, end in self.ranges)


def _whole_elements(pieces: list[str], direction: str) -> _Whole:
    ltr, rtl = _classes()
    other = re.compile(f"[{ltr if direction == 'rtl' else rtl}]")
    own = re.compile(f"[{rtl if direction == 'rtl' else ltr}]")
    whole = _Whole()
    stack: list[list] = []  # [name, index, eligible, has_own, has_other]
    for index, piece in enumerate(pieces):
        if not (piece.startswith("<") and piece.endswith(">")):
            if piece.strip():
                text = html.unescape(piece)
                has_own, has_other = bool(own.search(text)), bool(other.search(text))
                for entry in stack:
                    entry[3] = entry[3] or has_own
                    entry[4] = entry[4] or has_other
            continue
        match = _NAME.match(piece)
        if not match or piece.startswith("<!") or piece.endswith("/>"):
            continue
        name = match.group(1).lower()
        if name in _VOID:
            continue
        if not piece.startswith("</"):
            eligible = name in _WHOLE_TAGS or bool(_WHOLE_SPANS.match(piece))
            stack.append([name, index, eligible and "dir=" not in piece, False, False])
            continue
        while stack:
            entry = stack.pop()
            if entry[0] == name:
                break
        else:
            continue
        _name, start, eligible, has_own, has_other = entry
        if eligible and has_other and not has_own and not whole.inside(start):
            whole.ranges = [(a, b) for a, b in whole.ranges if not start < a < index]
            whole.opens = {a for a, b in whole.ranges}
            whole.closes = {b for a, b in whole.ranges}
            whole.ranges.append((start, index))
            whole.opens.add(start)
            whole.closes.add(index)
    return whole


_PLAIN_LINK = re.compile(r"<a ((?![^>]*\bdir=)[^>]*)>([^<]+)</a>")


def _with_url_links(document: str, direction: str) -> str:
    """Links whose whole text is one run of the other direction (a URL, an English title)
    get the direction themselves, rather than a span inside them."""
    pattern, run_dir = _run_pattern(direction), "ltr" if direction == "rtl" else "rtl"

    def link(match: re.Match[str]) -> str:
        text = html.unescape(match.group(2)).strip()
        whole = pattern.fullmatch(text)
        if whole and not any(_unmatched(text)):
            return f'<a dir="{run_dir}" {match.group(1)}>{match.group(2)}</a>'
        return match.group(0)

    if direction == "rtl":
        document = _URL_LINK.sub(r'<a dir="ltr" \1>', document)
    return _PLAIN_LINK.sub(link, document)


def _track_skip(tag: str, skipping: list[str]) -> None:
    match = _SKIP.match(tag)
    if match and not tag.endswith("/>"):
        skipping.append(match.group(1).lower())
    elif tag.startswith('<a dir="'):
        # A link given its direction is isolated already; a span inside it would also hide
        # the link from WeasyPrint's tagging of its annotation (PDF/UA 7.18.5).
        skipping.append("a")
    elif skipping and tag.lower().startswith(f"</{skipping[-1]}"):
        skipping.pop()


def _body_text(document: str) -> str:
    start = document.find("<body")
    return _TAG.sub(" ", document[start:] if start >= 0 else document)


def _wrap(text: str, pattern: re.Pattern[str], run_dir: str) -> str:
    raw = html.unescape(text)
    pieces, position = [], 0
    for match in pattern.finditer(raw):
        start, end = match.start(), match.end()
        # "(GAATW) and ...": the opening bracket joins the run that holds its closer.
        while start > position and raw[start - 1] in _OPENERS.values() and _unmatched(raw[start:end])[0]:
            start -= 1
        # A closing bracket or quote the run did not open stays outside it.
        while end > start and raw[end - 1] in _CLOSERS and raw[end - 1] in _unmatched(raw[start:end])[0]:
            end -= 1
        # «Title»: a quote the run opened closes inside it (a mirrored half would be left over).
        while end < len(raw) and raw[end] in _OPENERS and _OPENERS[raw[end]] in _unmatched(raw[start:end])[1]:
            end += 1
        if end < len(raw) and raw[end] == "." and _abbreviation(raw[start:end]):
            end += 1
        if end <= start:
            continue
        pieces.append(str(escape(raw[position:start])))
        pieces.append(f'<span dir="{run_dir}" class="bidi-run">{escape(raw[start:end])}</span>')
        position = end
    if not pieces:
        return text
    pieces.append(str(escape(raw[position:])))
    return "".join(pieces)


def _abbreviation(run: str) -> bool:
    """An initial or short abbreviation ("A", "M.-L", "eds", "No"): its period is its own,
    where a sentence's period after a longer word belongs to the (other-direction) sentence."""
    token = re.split(r"[\s.\-]", run)[-1]
    return 0 < len(token) <= 3 and token.isalpha()


_CLOSERS = set(_OPENERS) | {'"', "'"}


def _unmatched(run: str) -> tuple[str, str]:
    """The closers the run never opened, and the openers it never closed."""
    closers, stack = "", []
    for char in run:
        if char in _OPENERS.values() and char not in _OPENERS:
            stack.append(char)
        elif char in _OPENERS:
            if stack and stack[-1] == _OPENERS[char]:
                stack.pop()
            else:
                closers += char
        elif char in "\"'":
            # Straight quotes open and close alike; an apostrophe inside a word is neither.
            if stack and stack[-1] == char:
                stack.pop()
            elif char == '"':
                stack.append(char)
    return closers, "".join(stack)


def run_texts(document: str) -> list[str]:
    """The isolated runs of a document, for tests and the check command."""
    return [
        html.unescape(m)
        for m in re.findall(r'<span dir="(?:ltr|rtl)" class="bidi-run">(.*?)</span>', document)
    ]
