"""The furniture around the content: cover, imprint, abbreviations, back cover, footer strip.

One :class:`Furniture` per edition, made from ``publication.yaml``'s publisher keys, the
brand and the PO header; the templates only arrange it.
"""

from __future__ import annotations

import base64
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import polib
from markupsafe import Markup, escape

from .abbreviations import Abbreviations, collect
from .edition import Edition
from .errors import InputError, Location, Problem
from .imprint import Licence
from .paths import PathRefused, input_file, read_bytes_bounded

log = logging.getLogger(__name__)

_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
MAX_COVER_BYTES = 20_000_000


@dataclass
class Furniture:
    publisher: str = ""
    url: str = ""
    logo: str = ""  # data: URI
    logo_alt: str = ""
    small_logo: str = ""
    cover_image: str = ""  # data: URI
    licence: Licence | None = None
    badge: Markup = Markup("")
    translators: list[str] = field(default_factory=list)
    abbreviations: Abbreviations | None = None

    @property
    def has_strip(self) -> bool:
        """Whether the brief and factsheets get a footer strip (else their short title)."""
        return bool(self.small_logo or self.publisher or self.url or self.licence)


def cc_badge(licence: Licence | None) -> Markup:
    """A Creative Commons badge drawn by us (no download): the "cc" roundel, then one roundel
    per licence element, each with its letters, in the licence's order."""
    if licence is None or not licence.cc_code:
        return Markup("")
    elements = ["ZERO"] if licence.cc_code == "zero" else [e.upper() for e in licence.cc_code.split("-")]
    width = 30 + 24 * len(elements)
    parts = [
        f'<svg class="cc-badge" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 26" '
        f'width="{width * 0.9:.0f}pt" height="{26 * 0.9:.0f}pt" role="img" '
        f'aria-label="{escape(licence.short)}">',
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="25" rx="3" fill="#fff" stroke="#1d1d1b"/>',
        '<circle cx="14" cy="13" r="10" fill="#fff" stroke="#1d1d1b" stroke-width="1.6"/>',
        '<text x="14" y="16.6" font-family="Noto Sans, sans-serif" font-weight="700" font-size="10" '
        'text-anchor="middle" fill="#1d1d1b">cc</text>',
    ]
    for index, element in enumerate(elements):
        x = 40 + 24 * index
        parts.append(f'<circle cx="{x}" cy="13" r="10" fill="#1d1d1b"/>')
        size = 7.5 if len(element) <= 2 else 5.5
        parts.append(
            f'<text x="{x}" y="{13 + size * 0.36:.1f}" font-family="Noto Sans, sans-serif" font-weight="700" '
            f'font-size="{size}" text-anchor="middle" fill="#fff">{element}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def translators(edition: Edition) -> list[str]:
    """Who translated this language: the PO header's ``X-Translators`` (a list, one per
    comma), else ``Last-Translator``, and ``Language-Team`` when it names a team."""
    publication = edition.publication
    if edition.lang == publication.lang:
        return []
    path = publication.root / "translations" / f"{edition.lang}.po"
    if not os.path.lexists(path):
        return []
    from .i18n.catalogue import read_po_text

    try:
        metadata = polib.pofile(read_po_text(publication, path), wrapwidth=0).metadata
    except (OSError, ValueError, InputError):
        return []  # the translate stage has reported a broken catalogue already
    names = [n.strip() for n in metadata.get("X-Translators", "").split(",") if n.strip()]
    if not names:
        last = metadata.get("Last-Translator", "").split("<")[0].strip()
        if last and "FULL NAME" not in last:
            names.append(last)
    team = metadata.get("Language-Team", "").split("<")[0].strip()
    if team and "LANGUAGE" not in team and team not in names:
        names.append(team)
    return names


def _data_uri(path: Path, root: Path, line: int, file: Path) -> str:
    try:
        checked = input_file(
            path, [root], what="cover image", max_bytes=MAX_COVER_BYTES, suffixes=tuple(_IMAGE_TYPES)
        )
        data = read_bytes_bounded(checked, MAX_COVER_BYTES)
    except PathRefused as exc:
        raise InputError([Problem(Location(file, line), exc.reason)]) from None
    return f"data:{_IMAGE_TYPES[checked.suffix.lower()]};base64,{base64.b64encode(data).decode('ascii')}"


def make_furniture(edition: Edition, renderer) -> Furniture:  # type: ignore[no-untyped-def]
    publication = edition.publication
    config = publication.config
    brand = publication.brand
    imprint = config.imprint
    furniture = Furniture(
        publisher=config.publisher or (brand.name if brand else ""),
        url=config.url or (brand.link if brand else ""),
        licence=imprint.licence,
        badge=cc_badge(imprint.licence),
        translators=translators(edition),
    )
    if brand and brand.logo:
        furniture.logo, furniture.logo_alt = brand.logo.data_uri, brand.logo.alt or furniture.publisher
    if brand and brand.small_logo:
        furniture.small_logo = brand.small_logo.data_uri
    if imprint.cover_image is not None and edition.layout == "full":
        furniture.cover_image = _data_uri(
            imprint.cover_image, publication.root, imprint.cover_image_line, config.location.file
        )
    blocks = [block for part in edition.chapters for block in part.blocks]
    abbreviations = collect(blocks, imprint.abbreviations, renderer)
    if abbreviations.entries and edition.layout == "full":
        furniture.abbreviations = abbreviations
        renderer.abbreviations = abbreviations
    return furniture
