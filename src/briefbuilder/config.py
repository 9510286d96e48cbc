"""``publication.yaml`` as validated dataclasses; unknown keys and wrong types are reported."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Location, ProblemCollector
from .imprint import IMPRINT_KEYS, Imprint, parse_imprint
from .metadata import Author, check_lang, parse_authors, parse_keywords, parse_nocite
from .paths import lang_problem, name_problem
from .yamlio import LineDict, line_of

LAYOUTS = ("full", "brief", "factsheet", "web")
PAGE_SIZES = {"A4": "A4", "a4": "A4", "letter": "letter", "Letter": "letter", "US-Letter": "letter"}


@dataclass
class EditionConfig:
    """One edition: which content, in which layout, within how many pages."""

    name: str
    layout: str = "full"
    page_size: str = "A4"
    max_pages: int | None = None
    chapters: list[str] = field(default_factory=list)  # empty: every chapter
    sections: list[str] = field(default_factory=list)  # empty: every section
    classes: list[str] = field(default_factory=list)  # block classes to keep (e.g. mitigation)
    title: str = ""
    harms_per_measure: int | None = None  # factsheets: how many harms of each measure to show
    pdf_variant: str | None = None  # e.g. pdf/ua-1, pdf/a-3b
    print_marks: bool = False  # bleed (3.5 mm) and crop marks for the printer
    autofit: bool = True
    min_font_size: float = 8.5  # pt; the legible floor for auto-fit
    location: Location | None = None


@dataclass
class PublicationConfig:
    title: str
    location: Location
    subtitle: str = ""
    short_title: str = ""
    publisher: str = ""
    author: list[str] = field(default_factory=list)  # the authors' names
    authors: list[Author] = field(default_factory=list)  # with affiliation, e-mail, ORCID
    keywords: list[str] = field(default_factory=list)  # into the PDF's metadata
    nocite: list[str] = field(default_factory=list)  # keys listed though not cited; "*": all
    link_citations: bool = False  # in-text citations link to their bibliography entry
    reference_section_title: str = ""  # the bibliography's heading, instead of the label
    date: str = ""
    version: str = ""
    license: str = ""
    lang: str = "en"
    abstract: str = ""  # the publication's key message (the two-pager's lead)
    call_to_action: str = ""
    key_messages: list[str] = field(default_factory=list)  # the brief's 3-5 bullets, as written
    url: str = ""  # the full resource's address: printed and as a QR code on the short editions
    bibliography: list[Path] = field(default_factory=list)
    csl: str = "chicago-notes-bibliography-subsequent-ibid"
    suppress_bibliography: bool = False
    chapters: list[Path] = field(default_factory=list)
    chapter_lines: list[int] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)
    editions: list[EditionConfig] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)  # where each key was written
    # Pandoc's contents and numbering keys: the full edition's contents lists the headings
    # down to toc-depth (chapters are level 1); number-sections numbers them "3.2".
    toc: bool = True
    toc_depth: int = 3
    number_sections: bool = False
    imprint: Imprint = field(default_factory=Imprint)  # licence, DOI, ISBN, funding...


_PUBLICATION_KEYS = {
    "title": str,
    "subtitle": str,
    "short-title": str,
    "publisher": str,
    "author": (str, list, dict),
    "keywords": (str, list),
    "nocite": (str, list),
    "link-citations": bool,
    "reference-section-title": str,
    "date": (str, dt.date),
    "version": (str, int, float),
    "license": str,
    "lang": str,
    "abstract": str,
    "call-to-action": str,
    "key-messages": list,
    "url": str,
    "bibliography": (str, list),
    "csl": str,
    "suppress-bibliography": bool,
    "chapters": list,
    "translations": list,
    "editions": dict,
    "toc": bool,
    "toc-depth": int,
    "number-sections": bool,
    **IMPRINT_KEYS,
}

_EDITION_KEYS = {
    "layout": str,
    "page-size": str,
    "max-pages": int,
    "chapters": list,
    "sections": list,
    "classes": list,
    "title": str,
    "autofit": bool,
    "harms-per-measure": int,
    "pdf-variant": str,
    "print": bool,
    "min-font-size": (int, float),
}


# Every numeric setting has a valid range: a negative font size or a budget of a million pages
# would make auto-fit or layout unbounded. The README's "Trust model and limits" lists these.
NUMERIC_RANGES: dict[str, tuple[float, float]] = {
    "max-pages": (1, 500),
    "harms-per-measure": (0, 50),
    "min-font-size": (5.0, 14.0),
}


def _check_ranges(problems: ProblemCollector, file: Path, data: LineDict) -> None:
    for key, (low, high) in NUMERIC_RANGES.items():
        value = data.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and not low <= value <= high:
            problems.add(
                Location(file, line_of(data, key)),
                f"'{key}' must be between {low:g} and {high:g}, not {value:g}",
            )


def _check_language_codes(problems: ProblemCollector, file: Path, data: LineDict) -> None:
    lang = data.get("lang")
    if isinstance(lang, str):
        reason = lang_problem(lang)
        if reason:
            problems.add(Location(file, line_of(data, "lang")), reason)
    translations = data.get("translations")
    if isinstance(translations, list):
        seen: set[str] = set()
        for code in translations:
            if not isinstance(code, str):
                problems.add(
                    Location(file, line_of(data, "translations")),
                    f"a language code must be text, not {code!r}",
                )
                continue
            reason = lang_problem(code)
            if reason is None and code in seen:
                reason = f"language '{code}' is listed twice"
            if reason is None and code == lang:
                reason = f"'{code}' is the source language, not a translation"
            if reason:
                problems.add(Location(file, line_of(data, "translations")), reason)
            seen.add(code)


def _unknown_key(problems: ProblemCollector, file: Path, data: LineDict, key: str, known) -> None:  # type: ignore[no-untyped-def]
    close = difflib.get_close_matches(key, list(known), n=1)
    problems.add(
        Location(file, line_of(data, key)),
        f"unknown key '{key}'",
        hint=f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}",
    )


def _check_types(problems: ProblemCollector, file: Path, data: LineDict, schema) -> None:  # type: ignore[no-untyped-def]
    for key, value in data.items():
        if key not in schema:
            _unknown_key(problems, file, data, key, schema)
            continue
        expected = schema[key]
        # bool is an int in Python; a page budget of `true` is still a mistake.
        if isinstance(value, bool) and expected is not bool and bool not in _as_tuple(expected):
            ok = False
        else:
            ok = isinstance(value, expected)
        if not ok:
            names = " or ".join(t.__name__ for t in _as_tuple(expected))
            problems.add(
                Location(file, line_of(data, key)),
                f"'{key}' must be {names}, not {type(value).__name__}",
            )


def _as_tuple(expected) -> tuple:  # type: ignore[no-untyped-def]
    return expected if isinstance(expected, tuple) else (expected,)


def _listed(data: LineDict, key: str) -> list[Any]:
    """A list-valued key's items; a value of another type has its own problem (the schema's)
    and counts as no items here."""
    value = data.get(key)
    return value if isinstance(value, list) else []


def parse_publication_config(data: Any, file: Path, problems: ProblemCollector) -> PublicationConfig | None:
    """Validate the parsed YAML of ``publication.yaml`` and build the configuration."""
    if not isinstance(data, LineDict):
        problems.add(Location(file, 1), "publication.yaml must be a mapping of keys to values")
        return None
    _check_types(problems, file, data, _PUBLICATION_KEYS)
    _check_language_codes(problems, file, data)
    root = file.parent

    def text(key: str) -> str:
        value = data.get(key, "")
        return str(value) if isinstance(value, str | int | float | dt.date) else ""

    title = text("title")
    if not title:
        problems.add(Location(file, data.line), "'title' is required")
    authors = parse_authors(data.get("author"), Location(file, line_of(data, "author", 1)), problems)
    lang = text("lang") or "en"
    if "lang" in data and lang_problem(lang) is None:  # a code of the wrong shape is reported above
        check_lang(lang, Location(file, line_of(data, "lang", 1)), problems)

    bibliography = data.get("bibliography", [])
    if isinstance(bibliography, str):
        bibliography = [bibliography]
    bib_paths = [(root / str(b)).resolve() for b in bibliography or [] if isinstance(b, str)]

    chapters_data = data.get("chapters")
    chapters: list[Path] = []
    chapter_lines: list[int] = []
    if not chapters_data:
        problems.add(
            Location(file, line_of(data, "chapters", data.line)),
            "'chapters' must list at least one chapter file",
        )
    elif isinstance(chapters_data, list):
        base = line_of(data, "chapters")
        block = _is_block_list(file, base)
        for index, entry in enumerate(chapters_data):
            if not isinstance(entry, str):
                problems.add(Location(file, base), f"chapter entry {index + 1} must be a file path")
                continue
            chapters.append(root / entry)
            chapter_lines.append(base + index + 1 if block else base)

    translations = [t for t in _listed(data, "translations") if isinstance(t, str) and not lang_problem(t)]
    editions = _parse_editions(data.get("editions"), file, problems, line_of(data, "editions"))

    return PublicationConfig(
        title=title,
        location=Location(file, 1),
        subtitle=text("subtitle"),
        short_title=text("short-title") or title,
        publisher=text("publisher"),
        author=[a.name for a in authors],
        authors=authors,
        keywords=parse_keywords(data.get("keywords")),
        nocite=parse_nocite(data.get("nocite", []), Location(file, line_of(data, "nocite", 1)), problems),
        link_citations=data.get("link-citations") is True,
        reference_section_title=text("reference-section-title").strip(),
        date=text("date"),
        version=text("version"),
        license=_licence_text(data),
        lang=lang,
        abstract=text("abstract").strip(),
        call_to_action=text("call-to-action").strip(),
        key_messages=[
            " ".join(str(m).split())
            for m in _listed(data, "key-messages")
            if isinstance(m, str | int | float)
        ],
        url=text("url"),
        bibliography=bib_paths,
        csl=text("csl") or "chicago-notes-bibliography-subsequent-ibid",
        suppress_bibliography=bool(data.get("suppress-bibliography", False)),
        chapters=chapters,
        chapter_lines=chapter_lines,
        translations=translations,
        editions=editions,
        key_lines=dict(data.lines),
        imprint=parse_imprint(data, file, problems),
        **_contents_options(data, file, problems),
    )


def _licence_text(data: LineDict) -> str:
    """``license`` as one line of text, whether written as text or as Quarto's mapping."""
    value = data.get("license", "")
    if isinstance(value, dict):
        return str(value.get("text") or value.get("type") or "")
    return str(value) if isinstance(value, str) else ""


def _contents_options(data: LineDict, file: Path, problems: ProblemCollector) -> dict[str, Any]:
    """``toc``, ``toc-depth`` and ``number-sections``, with Pandoc's meaning."""
    depth = data.get("toc-depth", 3)
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= 6:
        if isinstance(depth, int) and not isinstance(depth, bool):
            problems.add(
                Location(file, line_of(data, "toc-depth")),
                f"'toc-depth' must be a heading level from 1 to 6, not {depth}",
                hint="toc-depth: 2 lists chapters and their ## sections",
            )
        depth = 3
    return {
        "toc": data.get("toc", True) is not False,
        "toc_depth": depth,
        "number_sections": data.get("number-sections", False) is True,
    }


def _is_block_list(file: Path, key_line: int) -> bool:
    """True when a list starts on the line after its key (``chapters:`` then ``- a.md``)."""
    try:
        line = file.read_text(encoding="utf-8").splitlines()[key_line - 1]
    except (OSError, IndexError):
        return False
    return line.rstrip().endswith(":")


def _parse_editions(data: Any, file: Path, problems: ProblemCollector, line: int) -> list[EditionConfig]:
    if data is None:
        return []
    if not isinstance(data, LineDict):
        return []
    editions = []
    for name, spec in data.items():
        location = Location(file, line_of(data, name, line))
        if spec is None:
            spec = LineDict()
            spec.lines, spec.line = {}, location.line
        if not isinstance(spec, LineDict):
            problems.add(location, f"edition '{name}' must be a mapping")
            continue
        reason = name_problem(str(name), "edition name")
        if reason:
            problems.add(location, reason)
            continue
        _check_types(problems, file, spec, _EDITION_KEYS)
        _check_ranges(problems, file, spec)
        layout = str(spec.get("layout", _default_layout(str(name))))
        if layout not in LAYOUTS:
            problems.add(
                Location(file, line_of(spec, "layout")),
                f"unknown layout '{layout}' (known: {', '.join(LAYOUTS)})",
            )
        size = str(spec.get("page-size", "A4"))
        if size not in PAGE_SIZES:
            problems.add(
                Location(file, line_of(spec, "page-size")),
                f"unknown page size '{size}' (A4 or letter)",
            )
        max_pages = spec.get("max-pages")
        harms = spec.get("harms-per-measure")
        min_size = spec.get("min-font-size")
        editions.append(
            EditionConfig(
                name=str(name),
                layout=layout,
                page_size=PAGE_SIZES.get(size, "A4"),
                max_pages=max_pages
                if isinstance(max_pages, int) and not isinstance(max_pages, bool)
                else None,
                chapters=[str(c) for c in spec.get("chapters", []) or []],
                sections=[str(s) for s in spec.get("sections", []) or []],
                classes=[str(c).lstrip(".") for c in spec.get("classes", []) or []],
                title=str(spec.get("title", "")),
                autofit=bool(spec.get("autofit", True)),
                harms_per_measure=harms
                if isinstance(harms, int) and not isinstance(harms, bool)
                else (2 if layout == "factsheet" else None),
                pdf_variant=_pdf_variant(spec, file, problems),
                print_marks=bool(spec.get("print", False)),
                min_font_size=float(min_size)
                if isinstance(min_size, int | float) and not isinstance(min_size, bool)
                else 8.5,
                location=location,
            )
        )
    return editions


# Only the variants WeasyPrint writes (a test checks each against weasyprint.pdf.VARIANTS).
PDF_VARIANTS = (
    "pdf/ua-1",
    "pdf/ua-2",
    "pdf/x-1a",
    "pdf/x-4",
    "pdf/a-1b",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
)


def _pdf_variant(spec: LineDict, file: Path, problems: ProblemCollector) -> str | None:
    value = spec.get("pdf-variant")
    if value is None:
        return None
    if str(value).lower() not in PDF_VARIANTS:
        problems.add(
            Location(file, line_of(spec, "pdf-variant")),
            f"unknown PDF variant '{value}' (known: {', '.join(PDF_VARIANTS)})",
        )
        return None
    return str(value).lower()


def _default_layout(name: str) -> str:
    if name.startswith("factsheet"):
        return "factsheet"
    if name in ("policymaker", "brief"):
        return "brief"
    if name == "web":
        return "web"
    return "full"
