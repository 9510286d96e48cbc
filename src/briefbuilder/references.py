"""The citation store: CSL-JSON and BibTeX files, merged, validated, keyed by lower-case id."""

from __future__ import annotations

import calendar
import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import Location, Problem

log = logging.getLogger(__name__)

# CSL-JSON variables (CSL 1.0.2) plus the few Zotero adds; anything else is probably a typo.
CSL_VARIABLES = frozenset(
    [
        "id",
        "type",
        "author",
        "editor",
        "translator",
        "collection-editor",
        "container-author",
        "director",
        "illustrator",
        "interviewer",
        "recipient",
        "reviewed-author",
        "composer",
        "original-author",
        "issued",
        "accessed",
        "event-date",
        "original-date",
        "submitted",
        "available-date",
        "title",
        "title-short",
        "container-title",
        "container-title-short",
        "collection-title",
        "collection-number",
        "publisher",
        "publisher-place",
        "event",
        "event-place",
        "event-title",
        "genre",
        "medium",
        "note",
        "annote",
        "abstract",
        "URL",
        "DOI",
        "ISBN",
        "ISSN",
        "PMID",
        "PMCID",
        "call-number",
        "archive",
        "archive_location",
        "archive-place",
        "authority",
        "chapter-number",
        "citation-key",
        "citation-label",
        "dimensions",
        "division",
        "edition",
        "issue",
        "jurisdiction",
        "keyword",
        "language",
        "license",
        "locator",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "page",
        "page-first",
        "part-number",
        "part-title",
        "references",
        "reviewed-genre",
        "reviewed-title",
        "scale",
        "section",
        "source",
        "status",
        "supplement-number",
        "version",
        "volume",
        "volume-title",
        "year-suffix",
        "original-publisher",
        "original-publisher-place",
        "original-title",
        "categories",
        "shortTitle",
        "journalAbbreviation",
        "custom",
    ]
)
CSL_TYPES = frozenset(
    [
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ]
)


@dataclass
class StoreEntry:
    key: str
    data: dict[str, Any]
    location: Location


@dataclass
class CitationStore:
    """Every work the publication may cite, from one or more files."""

    entries: dict[str, StoreEntry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def csl_json(self) -> list[dict[str, Any]]:
        return [entry.data for entry in self.entries.values()]


def load_store(paths: list[Path]) -> CitationStore:
    """Read and merge the bibliography files; problems are collected, not raised."""
    store = CitationStore()
    for path in paths:
        entries, problems = _read_cached(path, path.stat().st_mtime_ns if path.exists() else 0)
        for entry in entries:
            if entry.key in store.entries:
                first = store.entries[entry.key].location
                store.problems.append(
                    Problem(
                        entry.location,
                        f"duplicate citation key '{entry.key}' (first defined at {first})",
                    )
                )
            else:
                store.entries[entry.key] = entry
        store.problems.extend(problems)
    return store


@lru_cache(maxsize=32)
def _read_cached(path: Path, _mtime: int) -> tuple[list[StoreEntry], list[Problem]]:
    if path.suffix.lower() == ".bib":
        from .bibtex import read_bibtex

        return read_bibtex(path)
    return _read_csl_json(path)


def _read_csl_json(path: Path) -> tuple[list[StoreEntry], list[Problem]]:
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        return [], [Problem(Location(path), f"not UTF-8 text ({exc.reason})", show_source=False)]
    except json.JSONDecodeError as exc:
        return [], [
            Problem(Location(path, exc.lineno), f"malformed CSL-JSON: {exc.msg} (column {exc.colno})")
        ]
    except RecursionError:
        return [], [Problem(Location(path), "malformed CSL-JSON: nested too deeply", show_source=False)]
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list):
        return [], [Problem(Location(path, 1), "CSL-JSON must be a list of items")]
    lines = _id_lines(text)
    seen: dict[str, int] = {}
    entries = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or "id" not in item:
            problems.append(Problem(Location(path, 1), f"item {index + 1} has no 'id'", show_source=False))
            continue
        key = str(item["id"]).lower()
        occurrence = seen.get(str(item["id"]), 0)
        seen[str(item["id"])] = occurrence + 1
        id_lines = lines.get(str(item["id"]), [])
        where = Location(path, id_lines[occurrence] if occurrence < len(id_lines) else 0)
        problems.extend(validate_item(item, where))
        entries.append(StoreEntry(key, {**item, "id": key}, where))
    return entries, problems


def _id_lines(text: str) -> dict[str, list[int]]:
    """The lines where each id is written, in order (an id written twice has two)."""
    lines: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in re.finditer(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"', line):
            lines.setdefault(match.group(1), []).append(number)
    return lines


def validate_item(item: dict[str, Any], where: Location) -> list[Problem]:
    problems = []
    key = item.get("id")
    for name in item:
        if name not in CSL_VARIABLES:
            problems.append(Problem(where, f"item '{key}': unknown CSL field '{name}'", show_source=False))
    if item.get("type") not in CSL_TYPES:
        problems.append(
            Problem(
                where,
                f"item '{key}': unknown or missing type '{item.get('type', '')}'",
                show_source=False,
            )
        )
    for name in ("issued", "accessed", "original-date", "event-date"):
        if name in item and not _valid_date(item[name]):
            problems.append(
                Problem(
                    where,
                    f"item '{key}': unparseable date in '{name}': {item[name]!r}",
                    show_source=False,
                )
            )
    return problems


def _days_in(year: int, month: int) -> int:
    if 1 <= month <= 12 and 1 <= year <= 9999:
        return calendar.monthrange(year, month)[1]
    return 31


def _valid_date(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    if "literal" in value or "raw" in value:
        return True
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts:
        return False
    for part in parts:
        if not isinstance(part, list) or not 1 <= len(part) <= 3:
            return False
        try:
            numbers = [int(p) for p in part]
        except (TypeError, ValueError):
            return False
        if len(numbers) > 1 and not 1 <= numbers[1] <= 13 + 8:  # months 13-24 are seasons in CSL
            return False
        if len(numbers) > 2 and not 1 <= numbers[2] <= _days_in(numbers[0], numbers[1]):
            return False  # an impossible date such as 31 February
    return True
