"""Stage ``pdf``: lay out the HTML with WeasyPrint and write the PDF atomically.

Resources are fetched through :class:`SandboxedFetcher`: only files below the allowed roots
(the publication folder and the styles in use) and ``data:`` URIs; nothing from the network
and no other file of the machine can reach a PDF.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import InputError, Location
from .paths import MAX_IMAGE_BYTES, PathRefused, input_file, read_bytes_bounded, write_atomically
from .render_html import PUBLICATION_SCHEME, HtmlDocument
from .render_log import RendererLog, capture_renderer, renderer_problems

__all__ = [
    "LaidOutDocument",
    "layout_pdf",
    "relayout",
    "renderer_report",
    "write_atomically",
    "write_pdf_bytes",
]

log = logging.getLogger(__name__)


class ForbiddenResource(ValueError):
    """A resource outside the sandbox; WeasyPrint logs it and leaves the resource out."""


class SandboxedFetcher(URLFetcher):
    def __init__(self, roots: list[Path], publication_root: Path | None = None):
        super().__init__(allowed_protocols=("file", "data", PUBLICATION_SCHEME), timeout=1)
        self.roots = [r.resolve() for r in roots]
        self.publication_root = (publication_root or self.roots[0]).resolve()
        self.refused: list[str] = []
        self.served: list[Path] = []  # what the layout read: part of the output's cache key

    def fetch(self, url: str, headers=None):  # type: ignore[no-untyped-def]
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        target = None
        if parsed.scheme == "file":
            target = Path(unquote(parsed.path))
        elif parsed.scheme == PUBLICATION_SCHEME:
            target = self.publication_root / unquote(parsed.path).lstrip("/")
        if target is not None:
            try:
                checked = input_file(target, self.roots, max_bytes=MAX_IMAGE_BYTES)
                data = read_bytes_bounded(checked, MAX_IMAGE_BYTES)
            except (PathRefused, OSError):
                pass
            else:
                self.served.append(checked)
                return URLFetcherResponse(url, data, {})
        self.refused.append(url)
        raise ForbiddenResource(f"refused to read {url}: outside the publication and its styles")


@dataclass
class LaidOutDocument:
    """WeasyPrint's laid-out document, before it is written."""

    document: object
    page_count: int
    refused: list[str]
    html: str = ""
    resources: list[Path] = field(default_factory=list)  # files the renderer fetched
    base_url: Path = Path(".")
    log: RendererLog = field(default_factory=RendererLog)
    source: object = None  # the parsed weasyprint.HTML, to lay out again after a correction
    options: dict[str, object] = field(default_factory=dict)
    passes: int = 1  # layouts auto-fit made to reach this one


def relayout(laid_out: LaidOutDocument) -> LaidOutDocument:
    """Lay the same (possibly corrected) parsed document out again (see note_placement)."""
    with capture_renderer(laid_out.log):
        document = laid_out.source.render(**laid_out.options)  # type: ignore[attr-defined]
    laid_out.document = document
    laid_out.page_count = len(document.pages)
    return laid_out


def layout_pdf(doc: HtmlDocument, roots: list[Path], pdf_variant: str | None = None) -> LaidOutDocument:
    from .print_pdf import render_options

    fetcher = SandboxedFetcher(roots, doc.base_url)
    html = HTML(string=doc.html, base_url=str(doc.base_url) + os.sep, url_fetcher=fetcher)
    log = RendererLog()
    options = {"pdf_tags": True, **render_options(pdf_variant)}
    with capture_renderer(log):
        document = html.render(**options)
    return LaidOutDocument(
        document,
        len(document.pages),
        fetcher.refused,
        doc.html,
        fetcher.served,
        doc.base_url,
        log,
        html,
        options,
    )


def write_pdf_bytes(laid_out: LaidOutDocument, pdf_variant: str | None = None) -> bytes:
    """The PDF's bytes, tagged by WeasyPrint with :mod:`.pdf_tags`' corrections, PDF/X in
    CMYK; what the renderer reported while laying out or writing is in ``laid_out.log``
    (see :func:`renderer_report`)."""
    from .pdf_tags import richer_tags, variant_pdf_version
    from .print_pdf import convert_to_cmyk, fix_dates, is_print_variant

    options: dict[str, object] = {"pdf_tags": True}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    if is_print_variant(pdf_variant):
        fix_dates(laid_out.document)
    if _RTL_ROOT.search(laid_out.html[:2000]):
        options["finisher"] = _right_to_left_reading
    with capture_renderer(laid_out.log), richer_tags(variant_pdf_version(pdf_variant)):
        data = laid_out.document.write_pdf(**options)  # type: ignore[attr-defined]
    return convert_to_cmyk(data, pdf_variant) if is_print_variant(pdf_variant) else data


_RTL_ROOT = re.compile(r'<html[^>]*\sdir="rtl"')


def _right_to_left_reading(document: object, pdf) -> None:  # type: ignore[no-untyped-def]
    """A right-to-left document's spreads open the other way: the viewer is told so."""
    import pydyf

    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    preferences["Direction"] = "/R2L"
    pdf.catalog["ViewerPreferences"] = preferences


def renderer_report(laid_out: LaidOutDocument, fallback: Location) -> list[str]:
    """Raise the renderer's errors as problems at their source lines; return its warnings."""
    problems, warnings = renderer_problems(
        laid_out.log, laid_out.html, laid_out.base_url, fallback, laid_out.refused
    )
    if problems:
        raise InputError(problems)
    return warnings


def first_overflowing_content(laid_out: LaidOutDocument, budget: int) -> str:
    """Name the first identified element that falls on a page past the budget."""
    pages = laid_out.document.pages  # type: ignore[attr-defined]
    for number, page in enumerate(pages[budget:], budget + 1):
        anchors = sorted(page.anchors.items(), key=lambda item: (item[1][1], item[1][0]))
        if anchors:
            return f"'#{anchors[0][0]}' on page {number}"
    return f"page {budget + 1}"
