"""The composed edition: what one output contains, in order, and what the cite stage adds."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .config import EditionConfig
from .model import Block, Chapter, Publication


@dataclass
class EditionChapter:
    """A chapter as an edition shows it: possibly only some of its blocks."""

    chapter: Chapter
    blocks: list[Block]


@dataclass
class RenderedCitation:
    """What the cite stage made of one citation in the text."""

    html: Markup  # the formatted citation (escaped, links made)
    in_note: bool  # True: set as a footnote of its own (note styles, outside notes)
    narrative_text: Markup = Markup("")  # the author named in the running text (@key)


@dataclass
class CitationResults:
    """Per-edition results of the cite stage, keyed by ``id()`` of the tree's nodes."""

    note_style: bool
    citations: dict[int, RenderedCitation] = field(default_factory=dict)
    note_numbers: dict[int, int] = field(default_factory=dict)
    bibliography: list[Markup] = field(default_factory=list)
    bibliography_by_key: dict[str, Markup] = field(default_factory=dict)
    cited_keys: list[str] = field(default_factory=list)
    key_counts: dict[str, int] = field(default_factory=dict)
    note_count: int = 0
    suggested_citation: Markup = Markup("")  # the publication, formatted by its own style


@dataclass
class Edition:
    name: str
    config: EditionConfig
    publication: Publication
    lang: str
    chapters: list[EditionChapter]
    citations: CitationResults | None = None
    titles_only: frozenset[int] = frozenset()  # ids of boxes the brief shows by title only, to fit

    @property
    def layout(self) -> str:
        return self.config.layout

    def key_sources(self, limit: int = 5) -> list[Markup]:
        """The bibliography entries of the works this edition cites most often."""
        if self.citations is None:
            return []
        counts = self.citations.key_counts
        ranked = sorted(self.citations.bibliography_by_key, key=lambda k: -counts.get(k, 0))
        chosen = set(ranked[:limit])
        return [entry for key, entry in self.citations.bibliography_by_key.items() if key in chosen]
