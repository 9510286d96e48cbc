"""The list of abbreviations: a definition list in a ``.abbreviations`` div, or the
``abbreviations:`` key; the first use of each in the running text links to its entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .model import Block, DefinitionList, Div, walk_blocks


@dataclass
class Abbreviations:
    entries: dict[str, Markup]  # abbreviation -> its expansion, rendered
    seen: set[str] = field(default_factory=set)
    _pattern: re.Pattern[str] | None = None

    def anchor(self, short: str) -> str:
        return "abbr-" + re.sub(r"[^A-Za-z0-9]+", "-", short).strip("-").lower()

    def link_first_uses(self, html: Markup) -> Markup:
        """Link the first use of each abbreviation in a paragraph's HTML (text outside tags,
        links and notes only), once per edition."""
        if not self.entries or len(self.seen) == len(self.entries):
            return html
        if self._pattern is None:
            names = sorted(self.entries, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w-])(" + "|".join(re.escape(str(escape(n))) for n in names) + r")(?![\w-])"
            )
        pieces = re.split(r"(<[^>]+>)", str(html))
        stack: list[bool] = []  # open <a>/<span> elements: True for a link or a note
        for index, piece in enumerate(pieces):
            if piece.startswith("</"):
                if re.match(r"</(a|span)>", piece) and stack:
                    stack.pop()
                continue
            if piece.startswith("<"):
                if re.match(r"<(a|span)\b", piece):
                    stack.append(piece.startswith("<a") or 'class="footnote' in piece)
                continue
            if piece and not any(stack):
                pieces[index] = self._pattern.sub(self._first, piece)
        return Markup("".join(pieces))

    def _first(self, match: re.Match[str]) -> str:
        short = str(Markup(match.group(1)).unescape())
        if short in self.seen:
            return match.group(0)
        self.seen.add(short)
        return f'<a class="abbr-first" href="#{self.anchor(short)}">{match.group(0)}</a>'


def abbreviation_divs(blocks: list[Block]) -> list[Div]:
    return [b for b in walk_blocks(blocks) if isinstance(b, Div) and "abbreviations" in b.classes]


def collect(blocks: list[Block], key: dict[str, str], renderer) -> Abbreviations:  # type: ignore[no-untyped-def]
    """The key's abbreviations, then those of ``.abbreviations`` definition lists."""
    entries: dict[str, Markup] = {short: escape(long) for short, long in key.items()}
    for div in abbreviation_divs(blocks):
        for block in div.blocks:
            if isinstance(block, DefinitionList):
                for item in block.items:
                    short = _plain(item.term)
                    if short and item.definitions:
                        entries[short] = renderer.blocks(item.definitions[0])
    return Abbreviations(dict(sorted(entries.items(), key=lambda kv: kv[0].lower())))


def _plain(inlines) -> str:  # type: ignore[no-untyped-def]
    from .render_html import plain_text

    return plain_text(inlines).strip()


def abbreviation_list(abbreviations: Abbreviations) -> Markup:
    """The list as a definition list whose entries the first uses link to."""
    rows = Markup("").join(
        Markup('<dt id="%s">%s</dt><dd>%s</dd>') % (abbreviations.anchor(short), short, long)
        for short, long in abbreviations.entries.items()
    )
    return Markup('<dl class="abbreviations-list">%s</dl>') % rows
