"""The HTML renderer for the screen: notes become endnotes linked both ways.

In print a note floats to the foot of its page; on screen it is a numbered call that links to
the note at the end of the page, and the note links back (DPUB-ARIA roles, so screen readers
announce them as notes). Everything else renders exactly as in print, from the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .edition import CitationResults
from .labels import Labels
from .model import Block, Citation, NoteRef
from .render_html import ContentRenderer


@dataclass
class Endnote:
    number: int
    body: Markup


class WebRenderer(ContentRenderer):
    def __init__(self, results: CitationResults | None, labels: Labels):
        super().__init__(results, labels, with_notes=True)
        self.endnotes: list[Endnote] = []
        self._next_number = 1

    def _call(self, number: int | None, body: Markup) -> Markup:
        if number is None:
            number = self._next_number
        self._next_number = number + 1
        self.endnotes.append(Endnote(number, body))
        return Markup(
            '<a class="noteref" id="fnref-%d" href="#fn-%d" role="doc-noteref" aria-label="%s %d">'
            "<sup>%d</sup></a>"
        ) % (number, number, self.labels.get("note"), number, number)

    def note(self, node: NoteRef) -> Markup:
        number = self.results.note_numbers.get(id(node)) if self.results else None
        body = Markup("\n").join(self.block(b) for b in node.note.blocks)
        return self._call(number, body)

    def citation(self, node: Citation) -> Markup:
        rendered = self.results.citations.get(id(node)) if self.results else None
        if rendered is None or not rendered.in_note:
            return super().citation(node)
        number = self.results.note_numbers.get(id(node)) if self.results else None
        return rendered.narrative_text + self._call(number, Markup("<p>%s</p>") % rendered.html)

    def note_block(self, block: Block) -> Markup:
        return self.block(block)

    def take_endnotes(self) -> list[Endnote]:
        """The notes called since the last call, for the end of the page that calls them."""
        notes, self.endnotes = self.endnotes, []
        return notes
