"""Stage ``translate``: the publication in another language, from its PO catalogue.

The translated publication is a copy of the source tree with other text; locked parts
(URLs, citations, notes' places) are the source's own. Draft builds fall back to the source
text for missing or fuzzy segments, tagged with the source language; release builds refuse.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .errors import InputError, Problem
from .i18n.catalogue import load_catalogue
from .i18n.placeholders import decode
from .i18n.segments import Site, segments_of
from .model import Publication, Span


@dataclass
class TranslationReport:
    lang: str
    fallback: list[Site] = field(default_factory=list)


def translate_publication(
    publication: Publication, lang: str, release: bool = False
) -> tuple[Publication, TranslationReport]:
    """Return the publication in ``lang`` (the source itself for the source language)."""
    report = TranslationReport(lang)
    if lang == publication.lang:
        return publication, report
    translated = copy.deepcopy(publication)
    translated.lang = lang
    sites = segments_of(translated)
    catalogue = load_catalogue(publication, lang, sites)
    problems: list[Problem] = list(catalogue.problems)
    if problems:
        raise InputError(problems)
    for site in sites:
        entry = catalogue.entries.get(site.id)
        usable = entry is not None and entry.text and not entry.fuzzy and entry.source == site.text
        if usable:
            assert entry is not None
            site.apply(decode(site.encoded, entry.text))
            continue
        report.fallback.append(site)
        if release:
            state = "fuzzy" if entry is not None and entry.text else "missing"
            where = entry.location if entry is not None else catalogue.path
            problems.append(
                Problem(
                    _location(where),
                    f"{site.id}: translation {state} (release builds refuse it)",
                    show_source=False,
                )
            )
            continue
        source_inlines = decode(site.encoded, site.text)
        site.apply([Span(source_inlines, ["untranslated"], {"lang": publication.lang})])
    if problems:
        raise InputError(problems)
    return translated, report


def _location(where):  # type: ignore[no-untyped-def]
    from .errors import Location

    return where if isinstance(where, Location) else Location(where)
