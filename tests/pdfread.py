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


def logical_lines(path: Path, page_number: int | None = None) -> list[str]:
    """Right-to-left pages' lines in logical (reading) order.

    A PDF holds glyphs at positions; a right-to-left line's glyphs lie in visual order. The
    line is read back as a reader's eye does, word by word (words are what the gaps between
    glyphs separate): a word with right-to-left letters is read right to left, a run of
    left-to-right words (Latin, digits) left to right, and the runs from the right."""
    import unicodedata

    def kind(text: str) -> str:
        kinds = {unicodedata.bidirectional(c) for c in text}
        return "R" if kinds & {"R", "AL"} else "L" if kinds & {"L", "EN"} else "A" if "AN" in kinds else "N"

    lines = []
    with pdfplumber.open(path) as pdf:
        pages = pdf.pages if page_number is None else [pdf.pages[page_number - 1]]
        for page in pages:
            # Arabic and Latin glyphs of one line have different heights: a wider tolerance.
            for line in page.extract_text_lines(return_chars=True, y_tolerance=6):
                chars = sorted((c for c in line["chars"] if c["text"].strip("\u200b")), key=lambda c: c["x0"])
                # A ligature (ffi, lam-alef) comes once per character it stands for, at one place.
                chars = [
                    c
                    for i, c in enumerate(chars)
                    if not (
                        i
                        and len(c["text"]) > 1
                        and c["text"] == chars[i - 1]["text"]
                        and abs(c["x0"] - chars[i - 1]["x0"]) < 0.01
                    )
                ]
                words: list[list[str]] = []
                for previous, char in zip([None, *chars], chars, strict=False):
                    if previous is None or char["x0"] - previous["x1"] > 0.18 * char["size"]:
                        words.append([])
                    words[-1].append(char["text"])
                kinds = [kind("".join(w)) for w in words]
                for i, k in enumerate(kinds):  # a word of punctuation between two L words is L
                    if k == "N":
                        left = next((x for x in reversed(kinds[:i]) if x != "N"), "R")
                        right = next((x for x in kinds[i + 1 :] if x != "N"), "R")
                        kinds[i] = "L" if left == right == "L" else "R"
                runs: list[tuple[str, list[str]]] = []
                for word, k in zip(words, kinds, strict=True):
                    if k == "A":  # Arabic-Indic digits read left to right, their punctuation moves
                        lead = "".join(word[: next(i for i, c in enumerate(word) if kind(c) == "A")])
                        text = "".join(word)[len(lead) :] + lead[::-1]
                    else:
                        text = "".join(word) if k == "L" else "".join(reversed(word))
                    if runs and runs[-1][0] == k == "L":
                        runs[-1][1].append(text)
                    else:
                        runs.append((k, [text]))
                lines.append(" ".join(" ".join(texts) for _, texts in reversed(runs)).replace("\u200b", ""))
    return lines
