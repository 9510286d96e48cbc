"""Stage ``html``: the edition as one HTML document, through a Jinja2 layout template.

Block and inline content is rendered here in Python with every piece of text escaped;
templates only arrange the parts (cover, contents, chapters) and never see raw source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from . import render_figures
from .abbreviations import Abbreviations, abbreviation_list
from .bidi import isolate_runs
from .direction import localise_rules, script_of
from .edition import CitationResults, Edition, EditionChapter
from .furniture import make_furniture
from .labels import Labels, labels_for
from .model import (
    Block,
    BlockQuote,
    Chapter,
    Citation,
    Code,
    CodeBlock,
    CrossRef,
    DefinitionList,
    Div,
    Emph,
    Heading,
    Image,
    Inline,
    InlineImage,
    LineBlock,
    LineBreak,
    Link,
    ListBlock,
    Math,
    NoteRef,
    Paragraph,
    SoftBreak,
    Span,
    Strong,
    Styled,
    Table,
    Text,
    ThematicBreak,
    walk_blocks,
)
from .numbering import Numbers
from .qr import qr_data_uri
from .render_pandoc import (
    code_block_html,
    code_block_in_note,
    code_html,
    definition_list_html,
    line_block_html,
    list_style,
    styled_html,
    task_box,
)
from .sandbox import make_environment, render_template
from .typography import fix_markup, mark_lead_in, protect_compounds, smarten, text_fixer, typographer

_LIST_TYPES = {"upper-alpha": "A", "lower-alpha": "a", "upper-roman": "I", "lower-roman": "i"}
_CALLOUT_LABELS = {
    "callout-note": "note",
    "callout-tip": "tip",
    "callout-important": "important",
    "callout-warning": "warning",
    "callout-caution": "caution",
}


@dataclass
class HtmlDocument:
    html: str
    base_url: Path  # relative image paths resolve against this folder


def css_string(value: str) -> Markup:
    """A CSS string literal: quotes, backslashes and line breaks escaped, markup impossible."""
    escaped = "".join(c if c.isalnum() or c in " .,:;!?()'-–—’" else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


@lru_cache(maxsize=16)
def template_environment(publication_root: Path, lang: str = "en") -> jinja2.Environment:
    """Templates from the publication's own ``styles/``, then the house styles, sandboxed.

    Plain strings printed by a template (titles, summaries) get the language's typography;
    markup made by the content renderer has had it already.
    """
    fix = typographer(lang)

    def finalize(value: object) -> object:
        if fix is None or not isinstance(value, str) or isinstance(value, Markup):
            return value
        if hasattr(value, "__html__"):
            # A translated metadata string (a box title): fixed too, still marked when untranslated.
            fixed = type(value)(fix(str(value)))
            fixed.lang = getattr(value, "lang", "")  # type: ignore[attr-defined]
            return fixed
        return fix(value)

    env = make_environment(publication_root, finalize)
    env.filters["css_string"] = css_string
    # A template's own @page rules (its page_css block) are mirrored with the house sheets.
    env.filters["localise_css"] = lambda css: Markup(localise_rules(str(css), lang).replace("</", "<\\/"))
    return env


PUBLICATION_SCHEME = "publication"


def publication_url(path: Path, root: Path | None) -> str:
    """An image's address relative to the publication (``publication:/images/x.png``), so
    that the PDF (WeasyPrint names images by a hash of their address) is the same from any
    folder; the sandboxed fetcher maps it back to the file."""
    if root is None or not path.is_relative_to(root):
        return path.as_uri()
    return f"{PUBLICATION_SCHEME}:/{quote(path.relative_to(root).as_posix())}"


_FIRST_TAG = re.compile(r"^(\s*<[a-zA-Z][a-zA-Z0-9]*)")


def with_source(markup: Markup, block: Block, root: Path | None) -> Markup:
    """The block's first element, marked ``data-src="file:line"``, so that a renderer warning
    about it (an image that cannot be drawn, a link to no anchor) can name the source line."""
    location = block.location
    if root is None or not location.file.is_relative_to(root):
        return markup
    reference = f"{location.file.relative_to(root).as_posix()}:{location.line}"
    return Markup(_FIRST_TAG.sub(lambda m: m.group(1) + str(Markup(' data-src="%s"') % reference), markup, 1))


class ContentRenderer:
    """Turns the document tree into HTML fragments, escaping all text."""

    def __init__(self, results: CitationResults | None, labels: Labels, with_notes: bool = True):
        self.results = results
        self.labels = labels
        self.with_notes = with_notes
        self.fix_text = text_fixer(labels.lang)
        self.lang = labels.lang
        self.current_level = 1
        # Set by render_edition_html: numbers in this edition and in the full resource,
        # headings by id (for references to sections), the ids the edition shows.
        self.numbers: Numbers | None = None
        self.full_numbers: Numbers | None = None
        self.headings: dict[str, Heading | str] = {}
        self.anchors: set[str] | None = None
        self.number_sections = False
        self._smartened = 0
        self.link_citations = False  # set when the edition prints the bibliography to link to
        self.root: Path | None = None  # the publication folder, for source references
        self.abbreviations: Abbreviations | None = None  # first uses link to the list
        self._in_note = 0

    # ------------------------------------------------------------ inlines

    def inlines(self, nodes: list[Inline]) -> Markup:
        if self._smartened:
            return self._joined(nodes)
        # Smart punctuation needs the whole run of text (a quote opens before *emphasis*
        # and closes after it), so it is applied once, at the outermost call.
        self._smartened += 1
        try:
            return self._joined(smarten(nodes, self.lang))
        finally:
            self._smartened -= 1

    def _joined(self, nodes: list[Inline]) -> Markup:
        # A note call right after another one is set apart by a comma: "71,72", not "7172". The
        # comma is text of the paragraph, not of the call, so that the call's tag (a PDF/UA
        # Reference) holds its number alone; the word joiner keeps it on the first call's line.
        out: list[Markup] = []
        after_note = False
        for node in nodes:
            html = self.inline(node)
            is_note = html.startswith(_NOTE_OPEN)
            if is_note and after_note:
                out.append(Markup('<span class="call-sep">\u2060,</span>'))
            after_note = is_note
            out.append(html)
        return Markup("").join(out)

    def md(self, value: object) -> Markup:
        """A metadata string (title, subtitle, summary, abstract) with its inline Markdown."""
        from .markdown import inline_markdown

        html = self.fresh_inlines(inline_markdown(str(value)))
        lang = getattr(value, "lang", "")
        if lang:  # a translation that fell back to the source language says so
            return Markup('<span lang="%s" class="untranslated">%s</span>') % (lang, html)
        return html

    def plain(self, value: object) -> str:
        """A metadata string's visible text, for places without markup (<title>, running heads)."""
        from .markdown import inline_markdown

        return plain_text(inline_markdown(str(value)))

    def fresh_inlines(self, nodes: list[Inline]) -> Markup:
        """Inlines that are a run of text of their own (a note's paragraph), smartened afresh."""
        depth, self._smartened = self._smartened, 0
        try:
            return self.inlines(nodes)
        finally:
            self._smartened = depth

    def inline(self, node: Inline) -> Markup:
        if isinstance(node, Span) and "equation" in node.classes and "id" in node.attrs:
            return render_figures.equation(self, node)
        if isinstance(node, Text):
            return protect_compounds(escape(self.fix_text(node.text)))
        if isinstance(node, SoftBreak):
            return Markup(" ")
        if isinstance(node, LineBreak):
            # A note is one run of text: a hard line break in it is a space.
            return Markup(" ") if self._in_note else Markup("<br>")
        if isinstance(node, Code):
            return code_html(node)
        if isinstance(node, Styled):
            return styled_html(node, self.inlines(node.children))
        if isinstance(node, Math):
            from .mathsvg import math_html

            return math_html(node)
        if isinstance(node, Emph):
            return Markup("<em>%s</em>") % self.inlines(node.children)
        if isinstance(node, Strong):
            return Markup("<strong>%s</strong>") % self.inlines(node.children)
        if isinstance(node, Link):
            return self.link(node)
        if isinstance(node, Span):
            attrs = Markup("")
            if node.classes:
                attrs += Markup(' class="%s"') % " ".join(node.classes)
            if "lang" in node.attrs:
                attrs += Markup(' lang="%s"') % node.attrs["lang"]
            return Markup("<span%s>%s</span>") % (attrs, self.inlines(node.children))
        if isinstance(node, Citation):
            return self.citation(node)
        if isinstance(node, NoteRef):
            return self.note(node)
        if isinstance(node, CrossRef):
            return render_figures.crossref(self, node)
        if isinstance(node, InlineImage):
            return render_figures.inline_image(self, node)
        raise TypeError(f"unknown inline node {node!r}")

    def link(self, node: Link) -> Markup:
        url = node.url
        if not re.match(r"^(https?:|mailto:|#)", url):
            # Only web, mail and in-document links; anything else prints as its text.
            return self.inlines(node.children)
        if url.startswith("#") and self.anchors is not None and url[1:] not in self.anchors:
            # The target is in the publication but not in this edition: text, not a dead link.
            return self.inlines(node.children)
        text = self.inlines(node.children)
        if len(node.children) == 1 and isinstance(node.children[0], Text) and node.children[0].text == url:
            text = Markup(re.sub(r"([/_.?-])", "\\1\u200b", str(escape(url))))
        return Markup('<a href="%s">%s</a>') % (url, text)

    def citation(self, node: Citation) -> Markup:
        if self.results is None:
            return escape("[" + "; ".join("@" + i.key for i in node.items) + "]")
        rendered = self.results.citations.get(id(node))
        if rendered is None:
            return Markup("")
        if rendered.in_note:
            note = (
                Markup('<span class="footnote">%s</span>') % rendered.html if self.with_notes else Markup("")
            )
            return rendered.narrative_text + note
        html = rendered.html
        if self.link_citations and node.items:
            html = Markup('<a class="citation-link" href="#ref-%s">%s</a>') % (node.items[0].key, html)
        if rendered.narrative_text:
            return rendered.narrative_text + Markup(" ") + html
        return Markup('<span class="citation">%s</span>') % html

    def note(self, node: NoteRef) -> Markup:
        if not self.with_notes:
            return Markup("")
        self._in_note += 1
        try:
            paragraphs = [self.note_block(b) for b in node.note.blocks]
        finally:
            self._in_note -= 1
        return Markup('<span class="footnote">%s</span>') % Markup("").join(paragraphs)

    def note_block(self, block: Block) -> Markup:
        # Footnotes live inside a paragraph, so their paragraphs are spans set as blocks.
        if isinstance(block, Paragraph):
            return Markup('<span class="fn-p">%s</span>') % self.fresh_inlines(block.inlines)
        if isinstance(block, ListBlock):
            items = Markup("").join(
                Markup('<span class="fn-li">%s</span>')
                % Markup(" ").join(self.note_block(b) for b in item.blocks)
                for item in block.items
            )
            return items
        if isinstance(block, CodeBlock):
            return code_block_in_note(block)
        return Markup("")

    def lead_sentence(self, div: Div) -> Markup:
        """A box's one-sentence version for the two-pager: its ``brief`` attribute, else the
        first sentence of its first paragraph (notes and citations left out)."""
        if div.attrs.get("brief"):
            return escape(self.fix_text(div.attrs["brief"]))
        paragraph = next((b for b in div.blocks if isinstance(b, Paragraph)), None)
        if paragraph is None:
            return Markup("")
        text = " ".join(plain_text(paragraph.inlines).split())
        return escape(self.fix_text(first_sentence(text)))

    # ------------------------------------------------------------ blocks

    def blocks(self, blocks: list[Block], level: int | None = None) -> Markup:
        """Blocks as HTML; ``level`` is the heading level the blocks stand under."""
        if level is not None:
            self.current_level = level
        return Markup("\n").join(
            mark_lead_in(with_source(self.block(b), b, self.root), b, following)
            for b, following in zip(blocks, [*blocks[1:], None], strict=False)
        )

    def block(self, block: Block) -> Markup:
        if isinstance(block, Paragraph):
            html = self.inlines(block.inlines)
            if self.abbreviations is not None:
                html = self.abbreviations.link_first_uses(html)
            return Markup("<p>%s</p>") % html
        if isinstance(block, Heading):
            level = min(block.level, 6)
            self.current_level = level
            ident = Markup(' id="%s"') % block.id if block.id else Markup("")
            number = self.numbers.of(block) if self.numbers and self.number_sections else ""
            prefix = Markup('<span class="section-number">%s</span> ') % number if number else Markup("")
            return Markup("<h%d%s>%s%s</h%d>") % (level, ident, prefix, self.inlines(block.inlines), level)
        if isinstance(block, ListBlock):
            return self.list_block(block)
        if isinstance(block, Div):
            return self.div(block)
        if isinstance(block, BlockQuote):
            return Markup("<blockquote>%s</blockquote>") % self.blocks(block.blocks)
        if isinstance(block, CodeBlock):
            return code_block_html(block)
        if isinstance(block, DefinitionList):
            return definition_list_html(block, self.blocks, self.inlines)
        if isinstance(block, LineBlock):
            return line_block_html(block, self.inlines)
        if isinstance(block, ThematicBreak):
            return Markup("<hr>")
        if isinstance(block, Image):
            return render_figures.figure(self, block)
        if isinstance(block, Table):
            return render_figures.table(self, block)
        raise TypeError(f"unknown block {block!r}")

    def list_block(self, block: ListBlock) -> Markup:
        items = Markup("").join(
            (
                Markup('<li class="task-item">%s%s</li>')
                if item.checked is not None
                else Markup("<li>%s%s</li>")
            )
            % (task_box(item.checked), self._item(item.blocks))
            for item in block.items
        )
        if not block.ordered:
            return Markup("<ul>%s</ul>") % items
        kind = _LIST_TYPES.get(block.style, "1")
        return Markup('<ol type="%s" start="%d"%s>%s</ol>') % (kind, block.start, list_style(block), items)

    def _item(self, blocks: list[Block]) -> Markup:
        # Tight list items: a single paragraph is set without <p> to keep spacing compact.
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
            return self.inlines(blocks[0].inlines)
        return self.blocks(blocks)

    def div(self, div: Div) -> Markup:
        ident = Markup(' id="%s"') % div.id if div.id else Markup("")
        kind = div.kind
        body = self.blocks(div.blocks)
        if kind == "quote":
            cite = div.attrs.get("cite", "")
            caption = Markup('<figcaption class="attribution">%s</figcaption>') % cite if cite else Markup("")
            return Markup('<figure class="pullquote"%s><blockquote>%s</blockquote>%s</figure>') % (
                ident,
                body,
                caption,
            )
        if kind in ("mitigation", "example", "logic") or kind in _CALLOUT_LABELS:
            label_key = _CALLOUT_LABELS.get(kind, kind)
            label = self.labels.get(f"box-{label_key}")
            # A box title is a heading one level below where the box stands (PDF/UA: no skips).
            level = min(self.current_level + 1, 6)
            title = (
                # A box title is generated text, with the language's spacing like the body.
                Markup('<h%d class="box-title">%s</h%d>') % (level, self.fix_text(div.title), level)
                if div.title
                else Markup("")
            )
            # A box that holds a table may run over a page, as the table may: kept whole, it
            # would leave the page before it empty.
            long = ["box-long"] if any(isinstance(b, Table) for b in walk_blocks(div.blocks)) else []
            classes = " ".join(["box", kind, *long, *[c for c in div.classes if c != kind]])
            return Markup(
                '<aside class="%s"%s><p class="box-label">%s</p>%s<div class="box-body">%s</div></aside>'
            ) % (
                classes,
                ident,
                label,
                title,
                body,
            )
        if "abbreviations" in div.classes and self.abbreviations is not None:
            body = abbreviation_list(self.abbreviations)
        classes = " ".join(div.classes)
        return Markup('<div class="%s"%s>%s</div>') % (classes, ident, body)


_NOTE_OPEN = '<span class="footnote">'


def accent_of(chapter: Chapter, pillars: list[Chapter]) -> str:
    """Pillar chapters get accents 1..n in order; other chapters the neutral accent."""
    for index, pillar in enumerate(pillars):
        if pillar.id == chapter.id:
            return f"accent-{(index % 6) + 1}"
    return "accent-0"


_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "cf.", "Dr.", "Mr.", "Ms.", "No.", "p.", "pp.", "vs.")


def first_sentence(text: str) -> str:
    for match in re.finditer(r"[.!?][’”»)]?(?=\s+[«‘“(]?[A-ZÀ-ÖØ-ÞА-ЯЁ])", text):
        candidate = text[: match.end()]
        if not candidate.endswith(_ABBREVIATIONS):
            return candidate
    return text


def plain_text(nodes: list[Inline]) -> str:
    """The visible text of inlines, without notes and citations."""
    parts = []
    for node in nodes:
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, Math):
            parts.append(node.tex)
        elif isinstance(node, SoftBreak | LineBreak):
            parts.append(" ")
        elif isinstance(node, Emph | Strong | Link | Span | Styled):
            parts.append(plain_text(node.children))
    return "".join(parts)


@dataclass
class Recommendation:
    number: int
    chapter: Chapter
    box: Div
    with_text: bool = True


@dataclass
class RecommendationColumn:
    start: int
    items: list[Recommendation]


def recommendation_columns(
    edition: Edition, renderer: ContentRenderer, columns: int = 2
) -> list[RecommendationColumn]:
    """The brief's recommendations in reading order, cut into columns of similar length."""
    recs = [
        Recommendation(0, part.chapter, box)
        for part in edition.chapters
        for box in part.blocks
        if isinstance(box, Div)
    ]
    for number, rec in enumerate(recs, 1):
        rec.number = number
    weights = [
        len(rec.box.title) + (len(str(renderer.lead_sentence(rec.box))) if rec.with_text else 0) + 120
        for rec in recs
    ]
    total = sum(weights)
    result: list[RecommendationColumn] = []
    current: list[Recommendation] = []
    filled = 0
    for rec, weight in zip(recs, weights, strict=True):
        # Start the next column when this one has its share, keeping the last column open.
        if (
            current
            and len(result) < columns - 1
            and filled + weight / 2 > total * (len(result) + 1) / columns
        ):
            result.append(RecommendationColumn(current[0].number, current))
            current = []
        current.append(rec)
        filled += weight
    if current:
        result.append(RecommendationColumn(current[0].number, current))
    return result


def section_title(chapter: Chapter, section_id: str) -> str:
    """The plain text of a section heading, for lists that name sections."""
    for block in chapter.blocks:
        if isinstance(block, Heading) and block.id == section_id:
            return plain_text(block.inlines)
    return chapter.title if section_id == chapter.id else section_id


def _fix_citation_spacing(results: CitationResults | None, fix) -> None:  # type: ignore[no-untyped-def]
    """French spacing in what the style formatted, as in the text around it (idempotent:
    auto-fit renders an edition more than once)."""
    if results is None:
        return
    for rendered in results.citations.values():
        rendered.html = fix_markup(rendered.html, fix)
    results.bibliography_by_key = {k: fix_markup(v, fix) for k, v in results.bibliography_by_key.items()}
    results.bibliography = [fix_markup(v, fix) for v in results.bibliography]
    results.suggested_citation = fix_markup(results.suggested_citation, fix)


def lead(text: str) -> str:
    """A summary's first sentence (two when the first is short): the two-pager's version."""
    from .derive import lead as first_sentences

    return first_sentences(" ".join(str(text).split()))


def shown_harms(edition: Edition, part: EditionChapter) -> list[str]:
    """The harms a factsheet shows: ``harms-per-measure`` of each measure, as many as
    auto-fit keeps (the first ones of each measure first)."""
    per_measure = edition.config.harms_per_measure
    chosen = [m.harms[:per_measure] if per_measure is not None else m.harms for m in part.chapter.measures]
    ordered = [
        h
        for rank in range(max((len(c) for c in chosen), default=0))
        for c in chosen
        if rank < len(c)
        for h in [c[rank]]
    ]
    keep = set(ordered if edition.fit.harms is None else ordered[: edition.fit.harms])
    return [h for c in chosen for h in c if h in keep]


def render_edition_html(edition: Edition, css: Markup) -> HtmlDocument:
    """Render the edition with its layout's template (``<layout>.html.j2``), in the sandbox."""
    labels = labels_for(edition.lang)
    script = script_of(edition.lang)
    renderer = ContentRenderer(edition.citations, labels, with_notes=edition.layout != "brief")
    render_figures.prepare(renderer, edition)
    config = edition.publication.config
    renderer.link_citations = (
        config.link_citations
        and edition.layout == "full"
        and not config.suppress_bibliography
        and bool(edition.citations and edition.citations.bibliography)
    )
    publication = edition.publication
    renderer.root = publication.root
    env = template_environment(publication.root, edition.lang)
    furniture = make_furniture(edition, renderer)
    _fix_citation_spacing(edition.citations, renderer.fix_text)
    context = dict(
        furniture=furniture,
        abbreviation_list=abbreviation_list,
        has_abbreviation_div=any(
            "abbreviations" in getattr(b, "classes", ()) for part in edition.chapters for b in part.blocks
        ),
        colon=Markup("\u202f:") if edition.lang.split("-")[0] == "fr" else Markup(":"),
        edition=edition,
        publication=publication,
        config=publication.config,
        chapters=edition.chapters,
        pillars=publication.pillars,
        render=renderer,
        labels=labels,
        accent_of=lambda chapter: accent_of(chapter, publication.pillars),
        css=css,
        lang=edition.lang,
        dir=script.direction,
        digits=script.number,
        section_title=section_title,
        recommendation_columns=recommendation_columns(edition, renderer, columns=1),
        key_sources=edition.key_sources(3 if edition.layout == "brief" else 5),
        lead=lead,
        key_messages=edition.key_messages,
        key_points=edition.shown_key_points,
        harms=lambda part: shown_harms(edition, part),
        fit=edition.fit,
        qr_code=qr_data_uri(config.url),
        contents_entries=lambda part: render_figures.contents_entries(
            renderer, part.blocks, publication.config.toc_depth
        ),
        chapter_number=lambda part: (
            renderer.numbers.chapters.get(part.chapter.id, "")
            if publication.config.number_sections and renderer.numbers
            else ""
        ),
    )
    html = render_template(env, f"{edition.layout}.html.j2", context)
    # Runs of the other direction (Latin titles and URLs in Arabic notes) isolated.
    html = isolate_runs(html, script.direction)
    return HtmlDocument(html=html, base_url=publication.root)
