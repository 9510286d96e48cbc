"""PO catalogues: write the template, create and merge ``translations/<lang>.po``, read them.

Standard gettext files, so Poedit, Weblate or Crowdin can open them. ``msgctxt`` is the
segment id, ``msgid`` the source text with placeholders, translator comments say what the
segment is and what each placeholder stands for, references give ``file:line``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..errors import InputError, Location, Problem, UsageProblem, display_path
from ..model import Publication
from ..paths import PathRefused, input_file, lang_problem, read_text_bounded
from .placeholders import check_translation
from .segments import (
    Site,
    assign_ids,
    publication_sites,
    read_lock,
    translation_folder,
    write_lock,
    write_translation_file,
)

TEMPLATE_NAME = "template.pot"


def check_language(lang: str) -> str | None:
    """A reason why ``lang`` is not a language code Babel knows, or None."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        return f"unknown language code '{lang}' ({exc})"
    return None


def _header(publication: Publication, lang: str | None) -> dict[str, str]:
    # A fixed date keeps catalogues free of churn; the publication's date is the honest one.
    return {
        "Project-Id-Version": f"{publication.id} {publication.config.version}".strip(),
        "POT-Creation-Date": publication.config.date or "2000-01-01",
        "Language": lang or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "briefbuilder",
    }


def _entry(site: Site, root: Path, budget: str = "") -> polib.POEntry:
    comment = f"{site.kind} in {site.context}"
    described = site.encoded.describe()
    if described:
        comment += f"\nPlaceholders: {described}"
    if budget:  # the room a short edition gives this text (see i18n/budgets.py)
        comment += f"\n{budget}"
    reference = f"{os.path.relpath(site.location.file, root)}:{site.location.line}"
    return polib.POEntry(
        msgctxt=site.id,
        msgid=site.text,
        msgstr="",
        comment=comment,
        occurrences=[tuple(reference.rsplit(":", 1))],
    )


def template(publication: Publication, sites: list[Site]) -> polib.POFile:
    from .budgets import budget_comment, segment_budgets

    pot = polib.POFile(wrapwidth=0)
    pot.metadata = _header(publication, None)
    budgets = segment_budgets(publication, sites)
    seen: set[str] = set()
    for site in sites:
        if site.id in seen:
            continue
        seen.add(site.id)
        pot.append(_entry(site, publication.root, budget_comment(budgets.get(site.id, []))))
    return pot


def extract(publication: Publication) -> Path:
    """Write the lock and ``translations/template.pot``; return the template's path."""
    folder = translation_folder(publication)
    sites = assign_ids(list(publication_sites(publication)), read_lock(folder))
    write_lock(folder, sites)
    path = folder / TEMPLATE_NAME
    write_translation_file(path, template(publication, sites).__unicode__())
    return path


def update(publication: Publication, lang: str) -> tuple[Path, dict[str, int]]:
    """Create or merge ``translations/<lang>.po`` from the current sources.

    A changed source segment keeps its translation, marked fuzzy with the old ``msgid``;
    a removed segment becomes obsolete; nothing is matched by similarity.
    """
    reason = check_language(lang)
    if reason:
        raise UsageProblem(reason)
    reason = lang_problem(lang)
    if reason:
        raise UsageProblem(reason)
    folder = translation_folder(publication)
    extract(publication)
    pot = polib.pofile(read_po_text(publication, folder / TEMPLATE_NAME), wrapwidth=0)
    path = folder / f"{lang}.po"
    existing = None
    if os.path.lexists(path):
        problems = po_syntax_problems(publication, path)
        if problems:
            raise InputError(problems)
        existing = polib.pofile(read_po_text(publication, path), wrapwidth=0)
    merged = polib.POFile(wrapwidth=0)
    merged.metadata = _header(publication, lang)
    if existing is not None:
        # Who translated it is the translators' to say (the imprint credits them): kept.
        for key, value in existing.metadata.items():
            if key in ("Last-Translator", "Language-Team") or key.startswith("X-") and key != "X-Generator":
                merged.metadata[key] = value
    counts = {"new": 0, "fuzzy": 0, "kept": 0, "obsolete": 0}
    old = {e.msgctxt: e for e in existing if not e.obsolete} if existing else {}
    for entry in pot:
        previous = old.pop(entry.msgctxt, None)
        if previous is None:
            counts["new"] += 1
        elif previous.msgid != entry.msgid:
            entry.msgstr = previous.msgstr
            if previous.msgstr:
                entry.previous_msgid = previous.msgid
                entry.flags = sorted({*previous.flags, "fuzzy"})
                counts["fuzzy"] += 1
        else:
            entry.msgstr = previous.msgstr
            entry.flags = list(previous.flags)
            entry.previous_msgid = previous.previous_msgid
            counts["kept"] += 1
        merged.append(entry)
    for gone in old.values():
        if gone.msgstr:
            gone.obsolete = True
            merged.append(gone)
            counts["obsolete"] += 1
    write_translation_file(path, merged.__unicode__())
    return path, counts


@dataclass
class Translation:
    text: str
    fuzzy: bool
    location: Location
    source: str


@dataclass
class Catalogue:
    lang: str
    path: Path
    entries: dict[str, Translation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf"^(?:#.*|\s*|(?:#~\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_STRING}|(?:#~\s*)?{_STRING})\s*$"
)


def read_po_text(publication: Publication, path: Path) -> str:
    """A catalogue's text, once :mod:`briefbuilder.paths` has checked the file (a FIFO or a
    link to ``/dev/zero`` would make the read unbounded)."""
    try:
        return read_text_bounded(input_file(path, [publication.root], what="catalogue"))
    except PathRefused as exc:
        raise InputError([Problem(Location(path), exc.reason, show_source=False)]) from None
    except UnicodeDecodeError as exc:
        problem = Problem(Location(path), f"broken PO file: not UTF-8 ({exc.reason})", show_source=False)
        raise InputError([problem]) from None


def po_syntax_problems(publication: Publication, path: Path) -> list[Problem]:
    """Every line that is not PO syntax (polib accepts some broken files, gettext does not)."""
    try:
        lines = read_po_text(publication, path).splitlines()
    except InputError as exc:
        return exc.problems
    return [
        Problem(Location(path, number), "broken PO file: not a comment, keyword or quoted string")
        for number, line in enumerate(lines, 1)
        if not _PO_LINE.match(line)
    ]


def load_catalogue(publication: Publication, lang: str, sites: list[Site] | None = None) -> Catalogue:
    """Read and validate ``translations/<lang>.po`` against the publication's segments."""
    path = translation_folder(publication) / f"{lang}.po"
    catalogue = Catalogue(lang, path)
    reason = check_language(lang)
    if reason:
        catalogue.problems.append(Problem(publication.config.location, reason, show_source=False))
        return catalogue
    if not os.path.lexists(path):
        catalogue.problems.append(
            Problem(
                Location(path),
                f"no catalogue for '{lang}'",
                hint=f"run: briefbuilder i18n update {display_path(publication.root)} --lang {lang}",
                show_source=False,
            )
        )
        return catalogue
    syntax = po_syntax_problems(publication, path)
    if syntax:
        catalogue.problems.extend(syntax)
        return catalogue
    try:
        po = polib.pofile(read_po_text(publication, path), wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        catalogue.problems.append(
            Problem(Location(path, int(match.group(1)) if match else 0), f"broken PO file: {exc}")
        )
        return catalogue
    by_id = {site.id: site for site in (sites or [])}
    for entry in po:
        if entry.obsolete or not entry.msgctxt:
            continue
        where = Location(path, entry.linenum)
        site = by_id.get(entry.msgctxt)
        if entry.msgstr and site is not None:
            for problem in check_translation(site.encoded, entry.msgstr):
                catalogue.problems.append(Problem(where, f"{entry.msgctxt}: {problem}", show_source=False))
        catalogue.entries[entry.msgctxt] = Translation(
            entry.msgstr, "fuzzy" in entry.flags, where, entry.msgid
        )
    return catalogue


__all__ = ["Catalogue", "extract", "load_catalogue", "update"]
