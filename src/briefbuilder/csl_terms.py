"""A CSL style made to read right in the edition's language.

- Terms citeproc-py's locale files leave in English ("no." for a report's number in es, ru
  and ar, "ed." in ar, ASCII quotes in ar) come from ``locale/csl/locales-<lang>.xml``,
  searched before the style's other locales;
- only English sets a serial comma: "A, B, and C" is English punctuation, while Spanish,
  French, Russian or Arabic write "A, B y C" / "A, B и C" / "A، B و C", so outside English the
  styles' ``delimiter-precedes-last`` becomes ``never``;
- an author the store calls "Anonymous" prints as the locale's ``anonymous`` term
  outside English.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path

log = logging.getLogger(__name__)

TERMS = Path(__file__).parent / "locale" / "csl"
CSL_NS = "http://purl.org/net/xbiblio/csl"
ANONYMOUS = {"anonymous", "anon.", "anon"}


def localise_style(style, locale: str) -> None:  # type: ignore[no-untyped-def]
    """Give a freshly parsed CitationStylesStyle the project's terms and punctuation."""
    from citeproc.frontend import CitationStylesXML

    style.briefbuilder_locale = locale
    language = locale.split("-")[0].lower()
    overrides = TERMS / f"locales-{language}.xml"
    if overrides.is_file():
        extra = CitationStylesXML(str(overrides), validate=False).root
        extra.style = style.root
        style.root.locales.insert(0, extra)
    if language != "en":
        for element in style.root.iter(f"{{{CSL_NS}}}name", f"{{{CSL_NS}}}style"):
            if element.get("delimiter-precedes-last") in ("always", "contextual", None):
                element.set("delimiter-precedes-last", "never")


def anonymous_as_term(item: dict, style) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The CSL-JSON item with an author literally named "Anonymous" given the locale's term.

    English keeps the store's word (some styles' English term is "Unsigned")."""
    authors = item.get("author")
    locale = getattr(style, "briefbuilder_locale", "en")
    if (
        locale.split("-")[0].lower() == "en"
        or not isinstance(authors, list)
        or not any(_is_anonymous(a) for a in authors)
    ):
        return item
    term = _term_text(style, "anonymous")
    if not term:
        return item
    item = copy.copy(item)
    item["author"] = [{"literal": term[:1].upper() + term[1:]} if _is_anonymous(a) else a for a in authors]
    return item


def _term_text(style, name: str) -> str:  # type: ignore[no-untyped-def]
    # Term.single formats for a rendering context; the plain text is what is wanted here.
    node = style.root.get_term(name)
    if node is None:
        return ""
    single = node.find(f"{{{CSL_NS}}}single")
    return ((single.text if single is not None else node.text) or "").strip()


def _is_anonymous(author: object) -> bool:
    return (
        isinstance(author, dict)
        and set(author) == {"literal"}
        and str(author["literal"]).strip().lower() in ANONYMOUS
    )
