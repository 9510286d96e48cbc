"""BibTeX stores, read with citeproc-py's own BibTeX parser (UTF-8, braces and accents)."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Location, Problem
from .references import StoreEntry

_ENTRY = re.compile(r"^\s*@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)


def read_bibtex(path: Path) -> tuple[list[StoreEntry], list[Problem]]:
    from citeproc.source.bibtex import BibTeX

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(Location(path), f"not UTF-8 text ({exc.reason})", show_source=False)]
    lines = {m.group(2).lower(): text.count("\n", 0, m.start()) + 1 for m in _ENTRY.finditer(text)}
    try:
        source = BibTeX(str(path), encoding="utf-8")
    except Exception as exc:  # noqa: BLE001 - the parser raises bare exceptions on bad input
        line = getattr(exc, "lineno", 0) or 0
        return [], [Problem(Location(path, line), f"malformed BibTeX: {exc}")]
    entries = []
    problems = []
    seen: set[str] = set()
    for match in _ENTRY.finditer(text):
        key = match.group(2).lower()
        if match.group(1).lower() in ("comment", "string", "preamble"):
            continue
        if key in seen:
            problems.append(Problem(Location(path, lines[key]), f"duplicate citation key '{key}'"))
        seen.add(key)
    for key, reference in source.items():
        entries.append(
            StoreEntry(key, {"id": key, "_reference": reference}, Location(path, lines.get(key, 0)))
        )
    return entries, problems
