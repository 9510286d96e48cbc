"""Cross-references: Quarto's ``@fig-id``, ``@tbl-id``, ``@sec-id`` and pandoc-crossref's
``@fig:id``, ``@tbl:id``, ``@sec:id``; in brackets too (``[@fig-a; @fig-b]``, and
``[-@fig-a]`` for the number alone). ``@Fig-a`` capitalises the label.

They look like citations, so this rule runs before the citation rules: a key with one of
these prefixes is never looked up in the citation store.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_ID = r"[\w](?:[\w]|[:.#$%&+?<>~/-](?=[\w]))*"
# eq and lst are recognised so that they are refused as what they are (numbered equations
# and listings are not supported), not taken for unknown citation keys.
_KINDS = r"[Ff]ig|[Tt]bl|[Ss]ec|[Ee]q|[Ll]st"
_REF = re.compile(rf"(?P<bare>-?)@(?P<kind>{_KINDS})(?P<sep>[-:])(?P<rest>{_ID})")
_BRACKETED = re.compile(rf"\[\s*(?:-?@(?:{_KINDS})[-:]{_ID}\s*(?:;\s*|(?=\])))+\]")


def crossref_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("narrative_citation", "crossref", _narrative)
    md.inline.ruler.before("citation", "crossref_bracketed", _bracketed)


def _push(state: StateInline, match: re.Match[str], continues: bool = False) -> None:
    kind = match.group("kind")
    token = state.push("crossref", "", 0)
    token.meta = {
        "kind": kind.lower(),
        "target": f"{kind.lower()}{match.group('sep')}{match.group('rest')}",
        "bare": bool(match.group("bare")),
        "capital": kind[0].isupper(),
        "continues": continues,
    }
    token.content = match.group(0)


def _narrative(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] not in "@-":
        return False
    if pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "._-"):
        return False  # an e-mail address
    match = _REF.match(src, pos, state.posMax)
    if match is None or match.group("bare"):
        return False
    if not silent:
        _push(state, match)
    state.pos = match.end()
    return True


def _bracketed(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "[":
        return False
    match = _BRACKETED.match(src, pos, state.posMax)
    if match is None or src[match.end() : match.end() + 1] in ("(", "{", "["):
        return False
    if not silent:
        for index, ref in enumerate(_REF.finditer(match.group(0))):
            _push(state, ref, continues=index > 0)
    state.pos = match.end()
    return True
