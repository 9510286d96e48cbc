"""The typed document tree shared by every pipeline stage.

Blocks know where they came from (``location``), so that any later stage can report a problem
as ``file:line``. Inline nodes are small immutable-ish dataclasses; stages that change text
(translation, citation formatting) build new nodes rather than mutate shared ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location

# ---------------------------------------------------------------- inlines


@dataclass
class Text:
    text: str


@dataclass
class SoftBreak:
    pass


@dataclass
class LineBreak:
    pass


@dataclass
class Code:
    text: str
    classes: list[str] = field(default_factory=list)  # `x`{.r}: the first class names the language


@dataclass
class Emph:
    children: list[Inline]


@dataclass
class Strong:
    children: list[Inline]


@dataclass
class Link:
    url: str
    children: list[Inline]


@dataclass
class Span:
    """A bracketed span ``[text]{.class key="value"}``; ``lang`` marks fallback text."""

    children: list[Inline]
    classes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class CiteItem:
    """One work inside a citation: ``[see @key, p. 12]``."""

    key: str
    prefix: str = ""
    suffix: str = ""
    locator: str = ""
    label: str = "page"
    suppress_author: bool = False


@dataclass
class Citation:
    """A citation as written; the cite stage fills ``rendered`` (HTML) and ``note_number``."""

    items: list[CiteItem]
    location: Location
    narrative: bool = False
    rendered: str | None = None
    note_number: int | None = None


@dataclass
class InlineImage:
    """An image inside running text (an icon); a lone image with a caption is a figure."""

    src: str
    alt: str
    attrs: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


@dataclass
class CrossRef:
    """``@fig-x``, ``@tbl:x``, ``@sec-x``: printed as "Figure 2" when the edition is rendered.

    ``bare`` (``[-@fig-x]``) prints the number alone; ``capital`` (``@Fig-x``) capitalises.
    """

    kind: str  # fig, tbl, sec
    target: str
    location: Location
    bare: bool = False
    capital: bool = False
    continues: bool = False  # follows another reference in the same brackets: [@fig-a; @fig-b]


@dataclass
class NoteRef:
    """The call of a note written by the author (``^[...]`` or ``[^id]``)."""

    note: Note
    note_number: int | None = None


@dataclass
class Styled:
    """Pandoc's superscript ``^x^``, subscript ``~x~`` and strikeout ``~~x~~``."""

    style: str  # one of STYLES
    children: list[Inline]

    STYLES = ("superscript", "subscript", "strikeout")


@dataclass
class Math:
    """TeX math, ``$x$`` (inline) or ``$$x$$`` (display); typeset when rendered."""

    tex: str
    display: bool = False


Inline = (
    Text
    | SoftBreak
    | LineBreak
    | Code
    | Emph
    | Strong
    | Link
    | Span
    | Styled
    | Math
    | Citation
    | NoteRef
    | InlineImage
    | CrossRef
)


# ---------------------------------------------------------------- blocks


@dataclass
class Block:
    location: Location


@dataclass
class Paragraph(Block):
    inlines: list[Inline]


@dataclass
class Heading(Block):
    level: int
    inlines: list[Inline]
    id: str = ""
    classes: list[str] = field(default_factory=list)


@dataclass
class ListItem(Block):
    blocks: list[Block]
    checked: bool | None = None  # a task list item: [ ] False, [x] True


@dataclass
class ListBlock(Block):
    items: list[ListItem]
    ordered: bool = False
    start: int = 1
    style: str = "decimal"  # decimal, upper-alpha, lower-alpha, upper-roman, lower-roman
    delimiter: str = "period"  # Pandoc's: period "1.", one-paren "1)", two-parens "(1)"


@dataclass
class BlockQuote(Block):
    blocks: list[Block]


@dataclass
class CodeBlock(Block):
    text: str
    classes: list[str] = field(default_factory=list)  # the first class names the language
    id: str = ""

    @property
    def language(self) -> str:
        return self.classes[0] if self.classes else ""


@dataclass
class DefinitionItem(Block):
    """A term and its definitions (each a list of blocks)."""

    term: list[Inline]
    definitions: list[list[Block]]


@dataclass
class DefinitionList(Block):
    items: list[DefinitionItem]


@dataclass
class LineBlock(Block):
    """Pandoc's ``| `` lines: line breaks and leading spaces kept, as in verse or addresses."""

    lines: list[Paragraph]


@dataclass
class ThematicBreak(Block):
    pass


@dataclass
class Image(Block):
    """A figure: an image alone in its paragraph, resolved against the publication folder.

    ``caption`` holds the alt text as inlines (it is numbered "Figure 1" when rendered);
    ``attrs`` the image's attributes (``width=60%``).
    """

    src: str
    alt: str
    path: Path | None = None
    caption: Paragraph | None = None
    id: str = ""
    attrs: dict[str, str] = field(default_factory=dict)


# Tables: every cell holds blocks (one Paragraph for pipe, simple and multiline tables;
# anything for grid tables), so that translation and citations treat cells like paragraphs.


@dataclass
class TableCell(Block):
    blocks: list[Block]
    align: str = ""  # "", left, right, center
    header: bool = False


@dataclass
class TableRow(Block):
    cells: list[TableCell]


@dataclass
class Table(Block):
    """Pipe, simple, multiline and grid tables, with an optional ``Table: caption``."""

    head: list[TableRow]
    body: list[TableRow]
    aligns: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # relative column widths, empty: automatic
    caption: Paragraph | None = None
    id: str = ""
    classes: list[str] = field(default_factory=list)
    kind: str = "pipe"  # pipe, simple, multiline, grid

    @property
    def rows(self) -> list[TableRow]:
        return [*self.head, *self.body]


@dataclass
class Div(Block):
    """A fenced div ``::: {.class #id key="value"}``: callouts and other boxes."""

    blocks: list[Block]
    classes: list[str] = field(default_factory=list)
    id: str = ""
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The first class that names a known box kind, else the first class."""
        for cls in self.classes:
            if cls in BOX_KINDS:
                return cls
        return self.classes[0] if self.classes else ""

    @property
    def title(self) -> str:
        return self.attrs.get("title", "")


BOX_KINDS = (
    "mitigation",
    "quote",
    "example",
    "logic",
    "callout-note",
    "callout-tip",
    "callout-important",
    "callout-warning",
    "callout-caution",
)


def walk_blocks(blocks: list[Block]) -> Iterator[Block]:
    """Every block, depth first: boxes' contents and list items' blocks included."""
    for block in blocks:
        yield block
        if isinstance(block, Div | BlockQuote):
            yield from walk_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield item
                yield from walk_blocks(item.blocks)
        elif isinstance(block, Table | Image) and block.caption is not None:
            yield block.caption
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from walk_blocks(cell.blocks)
        elif isinstance(block, DefinitionList):
            for entry in block.items:
                yield entry
                for definition in entry.definitions:
                    yield from walk_blocks(definition)
        elif isinstance(block, LineBlock):
            yield from block.lines


@dataclass
class Note:
    """A note written by the author: its body and where it was written."""

    blocks: list[Block]
    location: Location
    label: str = ""


# ---------------------------------------------------------------- chapters and publication


@dataclass
class Measure:
    """A measure of a pillar chapter, summarised for factsheets (front matter ``measures``)."""

    section: str
    what: str
    harms: list[str]
    location: Location


@dataclass
class Chapter:
    id: str
    title: str
    blocks: list[Block]
    location: Location
    pillar: bool = False
    summary: str = ""
    short_title: str = ""
    measures: list[Measure] = field(default_factory=list)
    lang: str = ""
    # The title came from the chapter's first '# Heading': that heading's id (its automatic
    # one when it had none, set by briefbuilder.xref) still names the chapter.
    heading_id: str | None = None
    authors: list[str] = field(default_factory=list)  # front matter ``author``: the chapter's own
    keywords: list[str] = field(default_factory=list)

    def sections(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level == 2]


@dataclass
class Publication:
    """A loaded publication: its configuration and chapters, in full-resource order."""

    id: str
    root: Path
    config: PublicationConfig
    chapters: list[Chapter]
    lang: str
    brand: Brand | None = None  # _brand.yml of the publication or of its folder

    def chapter(self, chapter_id: str) -> Chapter | None:
        return next((c for c in self.chapters if c.id == chapter_id), None)

    @property
    def pillars(self) -> list[Chapter]:
        return [c for c in self.chapters if c.pillar]


from .brand import Brand  # noqa: E402
from .config import PublicationConfig  # noqa: E402  (the config module needs Location only)
