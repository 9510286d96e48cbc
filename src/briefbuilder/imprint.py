"""The publisher's keys of ``publication.yaml``: licence, copyright, DOI, ISBN, funding, cover
image, address, credits and abbreviations. Names follow Pandoc and Quarto where they have one
(``license``, ``copyright``, ``doi``, ``isbn``, ``funding``, ``cover-image``,
``publisher-place``); every value is validated with its line, like the other keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Location, ProblemCollector
from .yamlio import LineDict, line_of

IMPRINT_KEYS: dict[str, Any] = {
    "license": (str, dict),
    "copyright": (str, dict, int),
    "doi": str,
    "isbn": (str, int),
    "funding": (str, dict, list),
    "cover-image": str,
    "publisher-place": str,
    "address": str,
    "contact": str,
    "credits": (list, dict),
    "abbreviations": dict,
}

_CC = re.compile(r"^\s*(?:CC[- ]?)?(BY(?:-NC)?(?:-ND|-SA)?)(?:[ -]?(\d\.\d))?\s*$", re.IGNORECASE)
_CC_NAMES = {
    "by": "Attribution",
    "by-sa": "Attribution-ShareAlike",
    "by-nd": "Attribution-NoDerivatives",
    "by-nc": "Attribution-NonCommercial",
    "by-nc-sa": "Attribution-NonCommercial-ShareAlike",
    "by-nc-nd": "Attribution-NonCommercial-NoDerivatives",
}
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass
class Licence:
    text: str  # what the imprint prints
    url: str = ""
    cc_code: str = ""  # "by-nc-sa" for a Creative Commons licence: the badge is drawn from it
    cc_version: str = ""

    @property
    def short(self) -> str:
        if self.cc_code:
            return f"CC {self.cc_code.upper()} {self.cc_version}".strip()
        return self.text


@dataclass
class Imprint:
    licence: Licence | None = None
    copyright: str = ""
    doi: str = ""
    isbn: str = ""
    funding: str = ""  # the funder's disclaimer
    cover_image: Path | None = None
    cover_image_line: int = 0
    place: str = ""
    address: str = ""
    contact: str = ""
    credits: list[str] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)


def parse_licence(value: Any, where: Location, problems: ProblemCollector) -> Licence | None:
    if isinstance(value, dict):
        text = str(value.get("text") or value.get("type") or "")
        url = str(value.get("url") or value.get("link") or "")
        licence = parse_licence(str(value.get("type") or text), where, problems) if text else None
        if licence is None:
            return Licence(text, url) if text else None
        if value.get("text"):
            licence.text = text
        licence.url = url or licence.url
        return licence
    if not isinstance(value, str) or not value.strip():
        return None
    match = _CC.match(value)
    if match and value.strip().upper().startswith("CC"):
        code = match.group(1).lower()
        version = match.group(2) or "4.0"
        name = _CC_NAMES.get(code)
        if name is None:
            problems.add(where, f"'{value}' is not a Creative Commons licence", hint="e.g. CC BY-NC-SA 4.0")
            return None
        return Licence(
            f"Creative Commons {name} {version} International",
            f"https://creativecommons.org/licenses/{code}/{version}/",
            code,
            version,
        )
    if value.strip().upper() in ("CC0", "CC0 1.0"):
        return Licence(
            "CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/", "zero", "1.0"
        )
    return Licence(value.strip())


def isbn_problem(value: str) -> str | None:
    digits = re.sub(r"[\s-]", "", value)
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        if (10 - total % 10) % 10 != int(digits[12]):
            return f"ISBN {value} has a wrong check digit"
        return None
    if re.fullmatch(r"\d{9}[\dXx]", digits):
        total = sum((10 - i) * (10 if d in "Xx" else int(d)) for i, d in enumerate(digits))
        return None if total % 11 == 0 else f"ISBN {value} has a wrong check digit"
    return f"'{value}' is not an ISBN (10 or 13 digits)"


def parse_imprint(data: LineDict, file: Path, problems: ProblemCollector) -> Imprint:
    """The imprint keys (types are checked with the other keys in config.py)."""
    imprint = Imprint()

    def where(key: str) -> Location:
        return Location(file, line_of(data, key))

    if "license" in data:
        imprint.licence = parse_licence(data["license"], where("license"), problems)
    copyright_ = data.get("copyright")
    if isinstance(copyright_, dict):
        holder, year = copyright_.get("holder", ""), copyright_.get("year", "")
        statement = copyright_.get("statement", "")
        imprint.copyright = str(statement or f"© {year} {holder}".replace("  ", " ").strip())
    elif copyright_ is not None:
        imprint.copyright = str(copyright_)
    doi = data.get("doi")
    if isinstance(doi, str):
        doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi.strip())
        if _DOI.match(doi):
            imprint.doi = doi
        else:
            problems.add(where("doi"), f"'{data['doi']}' is not a DOI", hint="a DOI looks like 10.1234/abcd")
    isbn = data.get("isbn")
    if isbn is not None:
        reason = isbn_problem(str(isbn))
        if reason:
            problems.add(where("isbn"), reason)
        else:
            imprint.isbn = str(isbn)
    funding = data.get("funding")
    if isinstance(funding, dict):
        imprint.funding = str(funding.get("statement") or "")
    elif isinstance(funding, list):
        imprint.funding = " ".join(
            str(f.get("statement", "") if isinstance(f, dict) else f) for f in funding
        ).strip()
    elif funding is not None:
        imprint.funding = str(funding)
    if isinstance(data.get("cover-image"), str):
        # Checked through paths.py when the cover is rendered (render_furniture.py).
        imprint.cover_image = file.parent / data["cover-image"]
        imprint.cover_image_line = line_of(data, "cover-image")
    for key, attr in (("publisher-place", "place"), ("address", "address"), ("contact", "contact")):
        if isinstance(data.get(key), str):
            setattr(imprint, attr, data[key].strip())
    credits = data.get("credits")
    if isinstance(credits, dict):
        imprint.credits = [f"{role}: {_names(names)}" for role, names in credits.items()]
    elif isinstance(credits, list):
        imprint.credits = [str(c) for c in credits]
    abbreviations = data.get("abbreviations")
    if isinstance(abbreviations, dict):
        for short, long in abbreviations.items():
            if not isinstance(long, str) or not str(short).strip():
                problems.add(
                    Location(file, line_of(abbreviations, short, line_of(data, "abbreviations"))),
                    f"abbreviation '{short}' needs its expansion as text",
                )
                continue
            imprint.abbreviations[str(short)] = long.strip()
    return imprint


def _names(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
