"""BibTeX stores, converted to CSL-JSON so they take exactly the path CSL-JSON stores take.

bibtexparser decodes LaTeX (braces, accents, ``\\&``) and splits names; the mapping to CSL
variables follows what Zotero and Pandoc do for the common entry types.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from .errors import Location, Problem
from .references import StoreEntry

log = logging.getLogger(__name__)

_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    # No CSL type, as Pandoc reads @misc: a CSL 1.0 style (most of those published) has no
    # bibliography form for 'document' and would leave the work out.
    "misc": "",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "proceedings": "book",
    "report": "report",
    "techreport": "report",
    "unpublished": "manuscript",
    "legislation": "legislation",
    "jurisdiction": "legal_case",
    "newspaper": "article-newspaper",
    "magazine": "article-magazine",
}
_TEXT_FIELDS = {
    "title": "title",
    "shorttitle": "title-short",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "series": "collection-title",
    "publisher": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "school": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "volume": "volume",
    "edition": "edition",
    "chapter": "chapter-number",
    "note": "note",
    "abstract": "abstract",
    "url": "URL",
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "language": "language",
    "langid": "language",
    "howpublished": "medium",
    "type": "genre",
    "eventtitle": "event",
    "venue": "event-place",
    "pubstate": "status",
}
_IGNORED = {
    "keywords",
    "file",
    "month",
    "year",
    "date",
    "urldate",
    "pages",
    "number",
    "issue",
    "author",
    "editor",
    "abstract",
    "annote",
    "mendeley-tags",
    "timestamp",
    "day",
    "subtitle",
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_ENTRY = re.compile(r"^\s*@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)


def read_bibtex(path: Path) -> tuple[list[StoreEntry], list[Problem]]:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(Location(path), f"not UTF-8 text ({exc.reason})", show_source=False)]
    # bibtexparser logs its own unformatted messages; ours say the same with file:line.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(
        _protect_braced_names(text),
        append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()],
    )
    problems = [
        Problem(Location(path, _failure_line(block, text)), _failure(block))
        for block in library.failed_blocks
    ]
    entries = []
    unused: dict[str, Location] = {}
    for entry in library.entries:
        where = Location(path, entry.start_line + 1)
        data, entry_problems = to_csl(entry, where, unused)
        problems.extend(entry_problems)
        entries.append(StoreEntry(data["id"], data, where))
    for name, first in unused.items():
        log.warning(
            "%s: BibTeX field '%s' is not used by the citation styles (ignored, as by Pandoc)", first, name
        )
    return entries, problems


def _failure(block: Any) -> str:
    kind = type(block).__name__
    if kind == "DuplicateBlockKeyBlock":
        return f"duplicate citation key '{getattr(block, 'key', '?')}'"
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or (str(error).split("\n")[0] if error else "")
    return f"malformed BibTeX: {reason or 'this entry cannot be read'}"


def _failure_line(block: Any, text: str) -> int:
    """The line where the parser gave up, else where the block starts (1-based)."""
    end = getattr(getattr(block, "error", None), "end_index", None)
    start = text.find(block.raw) if getattr(block, "raw", None) else -1
    if isinstance(end, int) and start >= 0:
        return text.count("\n", 0, start + end) + 1
    return block.start_line + 1


def to_csl(
    entry: Any, where: Location, unused: dict[str, Location] | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """The entry as CSL-JSON, and its problems. Fields CSL has no place for (``eprint``,
    ``primaryclass``, a reference manager's own) are not errors: Pandoc ignores them too.
    Each is recorded in ``unused`` at its first entry, for one warning per field name."""
    problems: list[Problem] = []
    unused = {} if unused is None else unused
    key = entry.key.lower()
    kind = entry.entry_type.lower()
    fields = {f.key.lower(): f.value for f in entry.fields}
    data: dict[str, Any] = {"id": key, "type": _TYPES.get(kind, "document")}
    if "subtitle" in fields and "title" in fields:  # biblatex: printed as Pandoc prints it
        fields["title"] = f"{_clean(fields['title'])}: {_clean(fields['subtitle'])}"
    if kind not in _TYPES:
        problems.append(
            Problem(
                where, f"entry '{key}': unknown BibTeX type '@{kind}' (read as a document)", show_source=False
            )
        )
    for name in ("author", "editor"):
        if name in fields:
            data[name] = [_name(n) for n in fields[name]]
    for field_name, value in fields.items():
        if field_name in _TEXT_FIELDS:
            data.setdefault(_TEXT_FIELDS[field_name], _clean(value))
        elif field_name not in _IGNORED:
            unused.setdefault(field_name, where)
    if "pages" in fields:
        data["page"] = _clean(fields["pages"]).replace("--", "–")
    number = fields.get("number") or fields.get("issue")
    if number:
        data["issue" if data["type"].startswith("article") else "number"] = _clean(number)
    issued = _date(fields)
    if issued is not None:
        data["issued"] = issued
    elif "date" in fields or "year" in fields:
        problems.append(Problem(where, f"entry '{key}': unparseable date", show_source=False))
    if "urldate" in fields:
        accessed = _date({"date": fields["urldate"]})
        if accessed:
            data["accessed"] = accessed
    return data, problems


_BRACED_SPACE = "\ue010"  # a space inside a braced name, kept from the name splitter
_NAME_FIELD = re.compile(r"\b(author|editor|translator)\s*=\s*\{", re.IGNORECASE)


def _protect_braced_names(text: str) -> str:
    """``author = {{Bundesministerium des Innern}}``: a braced group in a name field is one
    name (a corporate author, as BibTeX and Pandoc read it), not given names and a surname."""
    out = []
    last = 0
    for match in _NAME_FIELD.finditer(text):
        if match.start() < last:
            continue
        depth = 1
        index = match.end()
        chars = []
        while index < len(text) and depth:
            char = text[index]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            chars.append(_BRACED_SPACE if char.isspace() and depth >= 2 else char)
            index += 1
        out.append(text[last : match.end()] + "".join(chars))
        last = index
    out.append(text[last:])
    return "".join(out)


def _clean(value: Any) -> str:
    value = str(value).replace(_BRACED_SPACE, " ")
    return " ".join(value.replace("{", "").replace("}", "").split())


def _name(name: Any) -> dict[str, str]:
    if isinstance(name, str):
        return {"literal": _clean(name)}
    family = " ".join([*name.von, *name.last])
    given = " ".join(name.first)
    if not given and not name.von:
        return {"literal": _clean(family)}
    result = {"family": _clean(family), "given": _clean(given)}
    if name.jr:
        result["suffix"] = _clean(" ".join(name.jr))
    return result


def _date(fields: dict[str, Any]) -> dict[str, Any] | None:
    if "date" in fields:
        match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", _clean(fields["date"]))
        if not match:
            return None
        return {"date-parts": [[int(p) for p in match.groups() if p]]}
    if "year" in fields:
        year = _clean(fields["year"])
        if not year.isdigit():
            return None
        parts = [int(year)]
        month = _clean(fields.get("month", "")).lower()[:3]
        if month in _MONTHS:
            parts.append(_MONTHS[month])
        elif month.isdigit():
            parts.append(int(month))
        day = _clean(fields.get("day", ""))
        if len(parts) == 2 and day.isdigit():
            parts.append(int(day))
        return {"date-parts": [parts]}
    return None
