"""Pandoc citations: ``[@key]``, ``[see @a, p. 12; -@b]`` and narrative ``@key [p. 3]``.

Emits a ``citation`` token whose ``meta`` holds :class:`~briefbuilder.model.CiteItem` values
and whether the citation is narrative (author in the running text).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from ..model import CiteItem

# Pandoc: a key starts with a letter, digit or _, and may contain internal punctuation.
_KEY = r"[\w](?:[\w]|[:.#$%&+?<>~/-](?=[\w]))*"
_ITEM = re.compile(rf"^(?P<prefix>.*?)(?P<suppress>-?)@(?P<key>{_KEY})(?P<rest>.*)$", re.DOTALL)
_BRACED_KEY = re.compile(r"^(?P<prefix>.*?)(?P<suppress>-?)@\{(?P<key>[^}]+)\}(?P<rest>.*)$", re.DOTALL)

# Locator labels Pandoc recognises in English: the CSL locator types of its locale, by their
# long and short forms, singular and plural, mapped to the CSL type. (Pandoc 3 leaves CSL
# 1.0.2's newer types -- "art.", "tbl.", "eq.", "app." -- in the suffix, and so do we.)
_LOCATOR_TERMS = {
    "book": ("book", "books", "bk", "bks"),
    "chapter": ("chapter", "chapters", "chap", "chaps", "c"),
    "column": ("column", "columns", "col", "cols"),
    "figure": ("figure", "figures", "fig", "figs"),
    "folio": ("folio", "folios", "fol", "fols"),
    "issue": ("issue", "issues", "no", "nos"),
    "line": ("line", "lines", "l", "ll"),
    "note": ("note", "notes", "n", "nn"),
    "opus": ("opus", "opera", "op", "opp"),
    "page": ("page", "pages", "p", "pp"),
    "paragraph": ("paragraph", "paragraphs", "para", "paras", "¶", "¶¶"),
    "part": ("part", "parts", "pt", "pts"),
    "section": ("section", "sections", "sec", "secs", "§", "§§"),
    "sub-verbo": ("sub verbo", "sub verbis", "s.v", "s.vv"),
    "verse": ("verse", "verses", "v", "vv"),
    "volume": ("volume", "volumes", "vol", "vols"),
}
_LABELS = {form: kind for kind, forms in _LOCATOR_TERMS.items() for form in forms}
_LABEL_PATTERN = "|".join(
    re.escape(form) for form in sorted(_LABELS, key=len, reverse=True) if not form.isalpha()
)
_LOCATOR = re.compile(
    rf"^(?:(?P<label>(?:{_LABEL_PATTERN})\.?|[A-Za-z]+(?: [a-z]+)?\.?)\s*)?"
    r"(?P<value>[\dIVXLCivxlc][\w\s–—\-,()]*?)(?P<rest>(?:[,;]\s*.*|\s+[^\d\s(].*)?)$",
    re.DOTALL,
)


@lru_cache(maxsize=1)
def _affix_parser() -> MarkdownIt:
    # No raw HTML: a prefix's "<b>" is text. markdown-it escapes text and refuses unsafe links.
    md = MarkdownIt("commonmark", {"html": False})
    md.enable("strikethrough")
    return md


@lru_cache(maxsize=1024)
def affix_html(text: str) -> str:
    """A citation's prefix or suffix as HTML: ``see *also*`` -> ``see <em>also</em>``."""
    return _affix_parser().renderInline(text).strip()


def parse_locator(suffix: str) -> tuple[str, str, str]:
    """Split ``, p. 32`` into (label, locator, remaining suffix) the way Pandoc does."""
    text = suffix.strip()
    if text.startswith(","):
        text = text[1:].strip()
    if not text:
        return "page", "", ""
    match = _LOCATOR.match(text)
    if match:
        raw_label = (match.group("label") or "").rstrip(".").lower()
        if raw_label in _LABELS or (not raw_label and match.group("value")[0].isdigit()):
            value = match.group("value").strip().rstrip(",")
            return _LABELS.get(raw_label, "page"), value, match.group("rest").strip()
    return "page", "", suffix.strip() if not suffix.startswith(",") else suffix.rstrip()


def parse_cite_item(text: str) -> CiteItem | None:
    match = _BRACED_KEY.match(text) or _ITEM.match(text)
    if match is None:
        return None
    if match.group("prefix").endswith("\\"):
        return None  # "\@": an escaped at sign, not a citation
    prefix = match.group("prefix").strip()
    if prefix and not re.search(r"[\s(]$", match.group("prefix")) and prefix[-1].isalnum():
        return None  # e.g. an e-mail address
    label, locator, suffix = parse_locator(match.group("rest"))
    return CiteItem(
        key=match.group("key"),
        prefix=prefix,
        suffix=suffix,
        locator=locator,
        label=label,
        suppress_author=bool(match.group("suppress")),
    )


# A bracketed citation longer than this is not tried as one; with the pairs of brackets found
# once per inline source, this keeps the rule linear in the length of a paragraph.
MAX_CITATION_CHARS = 4000


def _bracket_pairs(src: str) -> dict[int, int]:
    """Every ``[`` of ``src`` mapped to its matching ``]``, in one pass (escapes skipped)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    pos, end = 0, len(src)
    while pos < end:
        char = src[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            stack.append(pos)
        elif char == "]" and stack:
            pairs[stack.pop()] = pos
        pos += 1
    return pairs


def _matching_bracket(state: StateInline, start: int) -> int:
    cache = state.env.setdefault("_citation_bracket_pairs", {})
    pairs = cache.get(state.src)
    if pairs is None:
        pairs = cache[state.src] = _bracket_pairs(state.src)
    close = pairs.get(start, -1)
    return close if close < state.posMax else -1


def _bracketed_citation(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "[" or src.startswith("[^", pos):
        return False
    close = _matching_bracket(state, pos)
    if close < 0 or close - pos > MAX_CITATION_CHARS or "@" not in src[pos:close]:
        return False
    # A span or link ([text]{.class}, [text](url)) is not a citation.
    if close + 1 < state.posMax and src[close + 1] in "({":
        return False
    items = []
    for part in src[pos + 1 : close].split(";"):
        item = parse_cite_item(part)
        if item is None:
            return False
        items.append(item)
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": items, "narrative": False}
        token.content = src[pos : close + 1]
    state.pos = close + 1
    return True


_NARRATIVE = re.compile(rf"(?P<suppress>-?)@(?P<key>{_KEY})")
_LOCATOR_AFTER = re.compile(r" \[([^\]@]{0," + str(MAX_CITATION_CHARS) + r"})\]")


def _narrative_citation(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] not in "@-":
        return False
    if pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "._-"):
        return False
    match = _NARRATIVE.match(src, pos)
    if match is None or (src[pos] == "-" and not match.group("suppress")):
        return False
    end = match.end()
    item = CiteItem(key=match.group("key"), suppress_author=bool(match.group("suppress")))
    # "@key [p. 33]": a locator in brackets right after a narrative citation.
    bracket = _LOCATOR_AFTER.match(src, end, state.posMax)
    if bracket and src[bracket.end() : bracket.end() + 1] not in ("(", "{"):
        item.label, item.locator, item.suffix = parse_locator(bracket.group(1))
        end = bracket.end()
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": [item], "narrative": True}
        token.content = src[pos:end]
    state.pos = end
    return True


def citation_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "citation", _bracketed_citation)
    md.inline.ruler.before("emphasis", "narrative_citation", _narrative_citation)
