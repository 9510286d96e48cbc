"""The composed edition: what one output contains, in order, and what the cite stage adds."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .config import EditionConfig
from .derive import KeyPoint
from .model import Block, Chapter, Div, Publication


@dataclass
class EditionChapter:
    """A chapter as an edition shows it: possibly only some of its blocks."""

    chapter: Chapter
    blocks: list[Block]
    key_points: list[KeyPoint] = field(default_factory=list)  # short editions: derived
    quote: Div | None = None  # the chapter's first pull quote, a factsheet's filler
    source_keys: list[str] = field(default_factory=list)  # its citations, most cited first


@dataclass
class Fit:
    """What auto-fit chose for one layout pass: how much optional content, at what size."""

    key_points: int | None = None  # how many key points each chapter shows (None: all)
    harms: int | None = None  # how many harms (None: the edition's harms-per-measure)
    quote: bool = True  # the pull quote
    font_size: float | None = None  # pt; None: the style sheet's own size


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
    key_messages: list[str] = field(default_factory=list)  # the brief's bullets
    fit: Fit = field(default_factory=Fit)
    passes: int = 0  # layout passes auto-fit needed (the benchmark reports them)

    def shown_key_points(self, part: EditionChapter) -> list[KeyPoint]:
        return part.key_points if self.fit.key_points is None else part.key_points[: self.fit.key_points]

    @property
    def source_keys(self) -> list[str]:
        """Every chapter's ranked keys, interleaved so that each pillar's best come first."""
        ranked: list[str] = []
        depth = max((len(p.source_keys) for p in self.chapters), default=0)
        for index in range(depth):
            for part in self.chapters:
                if index < len(part.source_keys) and part.source_keys[index] not in ranked:
                    ranked.append(part.source_keys[index])
        return ranked

    @property
    def layout(self) -> str:
        return self.config.layout

    def key_sources(self, limit: int = 5) -> list[Markup]:
        """The bibliography entries of the works the edition's chapters cite most often and
        earliest (see :func:`derive.ranked_sources`), in the bibliography's order."""
        if self.citations is None:
            return []
        entries = self.citations.bibliography_by_key
        ranked = [k for k in self.source_keys if k in entries]
        if not ranked:  # no derived ranking (an edition of whole chapters): by count
            counts = self.citations.key_counts
            ranked = sorted(entries, key=lambda k: -counts.get(k, 0))
        chosen = set(ranked[:limit])
        return [entry for key, entry in entries.items() if key in chosen]
