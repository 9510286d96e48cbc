"""Pandoc's document metadata, as ``publication.yaml`` and chapter front matter give it:
authors (names, or ``{name, affiliation, email, orcid}``), keywords, ``nocite``, and ``lang``
checked as a BCP 47 tag that the locale data knows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import Location, ProblemCollector

_AUTHOR_KEYS = ("name", "affiliation", "email", "orcid", "url", "note")
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_BCP47 = re.compile(
    r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*$"
)


@dataclass
class Author:
    name: str
    affiliation: list[str] = field(default_factory=list)
    email: str = ""
    orcid: str = ""

    def __str__(self) -> str:
        return self.name


def parse_authors(value: Any, where: Location, problems: ProblemCollector) -> list[Author]:
    """``author: Jane Roe``, a list of names, or a list of ``{name, affiliation, ...}``."""
    if value is None or value == "":
        return []
    entries = value if isinstance(value, list) else [value]
    authors = []
    for index, entry in enumerate(entries, 1):
        entry_where = Location(where.file, getattr(entry, "line", 0) or where.line)
        if isinstance(entry, str):
            if entry.strip():
                authors.append(Author(entry.strip()))
            continue
        if not isinstance(entry, dict):
            problems.add(
                entry_where,
                f"author {index} must be a name or a mapping with 'name'",
                hint="write '- Jane Roe' or '- name: Jane Roe' with 'affiliation', 'email', 'orcid'",
            )
            continue
        for key in entry:
            if key not in _AUTHOR_KEYS:
                problems.add(
                    entry_where,
                    f"unknown author key '{key}'",
                    hint=f"an author may have {', '.join(_AUTHOR_KEYS)}",
                )
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.add(entry_where, f"author {index} has no 'name'", hint="add 'name: Jane Roe'")
            continue
        affiliation = entry.get("affiliation") or []
        affiliations = [affiliation] if isinstance(affiliation, str) else [str(a) for a in affiliation]
        email = str(entry.get("email") or "")
        if email and not _EMAIL.match(email):
            problems.add(
                entry_where, f"'{email}' is not an e-mail address", hint="write 'email: name@example.org'"
            )
        orcid = str(entry.get("orcid") or "")
        match = _ORCID.match(orcid)
        if orcid and not match:
            problems.add(
                entry_where,
                f"'{orcid}' is not an ORCID iD",
                hint="write 'orcid: 0000-0002-1825-0097' (four groups of four, the last may end in X)",
            )
        authors.append(Author(name.strip(), affiliations, email, match.group(1) if match else ""))
    return authors


def parse_keywords(value: Any) -> list[str]:
    """``keywords: [a, b]`` or ``keywords: a, b`` (Pandoc takes both)."""
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list):
        return [str(k).strip() for k in value if str(k).strip()]
    return []


def parse_nocite(value: Any, where: Location, problems: ProblemCollector) -> list[str]:
    """``nocite: "@a, @b"`` or ``"@*"`` (every work of the bibliography): keys, ``*`` for all."""
    texts = value if isinstance(value, list) else [value]
    keys: list[str] = []
    for text in texts:
        if not isinstance(text, str):
            continue
        found = re.findall(r"@(\*|\{[^}]+\}|[\w][\w:.#$%&+?<>~/-]*)", text)
        if not found and text.strip():
            problems.add(where, f"nocite '{text}' names no work", hint="write nocite: '@key1, @key2' or '@*'")
        keys += [k.strip("{}") for k in found]
    return keys


def lang_problem(tag: str) -> str | None:
    """What is wrong with a language tag, or None when it is a BCP 47 tag the locale data knows."""
    if not _BCP47.match(tag):
        return f"'{tag}' is not a BCP 47 language tag"
    from babel import Locale, UnknownLocaleError

    parts = tag.split("-")
    try:
        Locale.parse(parts[0])
    except (UnknownLocaleError, ValueError):
        return f"unknown language '{tag}'" if len(parts) == 1 else f"unknown language '{parts[0]}' in '{tag}'"
    regions = Locale.parse("en").territories
    for part in parts[1:]:
        if (len(part) == 2 or (len(part) == 3 and part.isdigit())) and (
            part.upper() not in regions or part.upper() == "ZZ"
        ):
            return f"unknown region '{part}' in '{tag}'"
    return None


def check_lang(tag: str, where: Location, problems: ProblemCollector) -> None:
    problem = lang_problem(tag)
    if problem:
        problems.add(
            where,
            problem,
            hint="write a BCP 47 tag such as 'en', 'en-GB', 'fr', 'pt-BR' or 'zh-Hant'",
        )
