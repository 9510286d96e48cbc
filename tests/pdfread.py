"""Reading PDFs back: text per page, note positions, fonts, links, bookmarks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pypdf import PdfReader


@dataclass
class Line:
    text: str
    top: float
    size: float


def page_lines(path: Path) -> list[list[Line]]:
    """The text lines of every page, with their vertical position and font size."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = []
            for line in page.extract_text_lines(return_chars=True):
                sizes = [c["size"] for c in line["chars"]] or [0]
                lines.append(
                    Line(
                        line["text"].replace("\u200b", ""),
                        line["top"],
                        max(set(sizes), key=sizes.count),
                    )
                )
            pages.append(lines)
    return pages


def page_texts(path: Path) -> list[str]:
    return ["\n".join(line.text for line in lines) for lines in page_lines(path)]


def link_uris(path: Path) -> list[str]:
    uris = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/URI"):
                uris.append(str(action["/URI"]))
    return uris


def fonts(path: Path) -> dict[str, bool]:
    """Font name -> embedded, for every font used on any page."""
    found: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found


def bookmarks(path: Path) -> list[str]:
    reader = PdfReader(path)

    def walk(items):  # type: ignore[no-untyped-def]
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield str(item.title)

    return list(walk(reader.outline))


def column_texts(path: Path) -> str:
    """Text read column by column (left half, then right half of each page)."""
    parts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            middle = page.width / 2
            for box in ((0, 0, middle, page.height), (middle, 0, page.width, page.height)):
                parts.append(page.crop(box).extract_text() or "")
    return "\n".join(parts)
