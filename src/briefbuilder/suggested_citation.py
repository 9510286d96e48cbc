"""The imprint's "Suggested citation": the publication itself as a CSL item, formatted by the
publication's own CSL style (the one its citations use), in the edition's language."""

from __future__ import annotations

import logging
import re
from typing import Any

from markupsafe import Markup

from .edition import Edition

log = logging.getLogger(__name__)

SELF_KEY = "briefbuilder-this-publication"


def _name(name: str) -> dict[str, str]:
    """ "Jane Roe" as given and family; an organisation (one word, or words like "Network",
    "Committee", or an acronym in brackets) as a literal name, never inverted."""
    words = name.split()
    if len(words) < 2 or re.search(
        r"\(|\b(?:Network|Committee|Alliance|Association|Institute|Foundation)\b", name
    ):
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def publication_item(edition: Edition, publisher: str) -> dict[str, Any]:
    config = edition.publication.config
    imprint = config.imprint
    item: dict[str, Any] = {
        "id": SELF_KEY,
        "type": "book" if imprint.isbn else "report",
        "title": config.title if not config.subtitle else f"{config.title}: {config.subtitle}",
    }
    if config.author:
        item["author"] = [_name(a) for a in config.author]
    elif publisher:
        item["author"] = [{"literal": publisher}]
    if publisher:
        item["publisher"] = publisher
    if imprint.place:
        item["publisher-place"] = imprint.place
    year = config.date[:4]
    if year.isdigit():
        item["issued"] = {"date-parts": [[int(year)]]}
    if imprint.doi:
        item["DOI"] = imprint.doi
    elif config.url:
        item["URL"] = config.url
    if imprint.isbn:
        item["ISBN"] = imprint.isbn
    return item


def suggested_citation(edition: Edition, style, publisher: str) -> Markup:  # type: ignore[no-untyped-def]
    """The style's bibliography entry for the publication (its citation form when the style
    has no bibliography)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    from . import citeproc_html
    from .cite import linkify, shield, unshield

    source = CiteProcJSON([shield(publication_item(edition, publisher))])
    bibliography = CitationStylesBibliography(style, source, citeproc_html)
    citation = Citation([CitationItem(SELF_KEY)])
    bibliography.register(citation)
    if style.has_bibliography():
        text = str(bibliography.bibliography()[0])
    else:
        text = str(bibliography.cite(citation, lambda item: None))
    if "author" not in publication_item(edition, publisher):
        # citeproc-py substitutes the title for a missing author without suppressing the
        # title itself: "Title. Title. 2020." reads as a mistake; the title is said once.
        text = re.sub(r"^(<i>(.+?)</i>\.) <i>\2</i>\.", r"\1", text)
    return Markup(linkify(unshield(text)))
