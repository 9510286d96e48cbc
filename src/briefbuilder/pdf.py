"""Stage ``pdf``: lay out the HTML with WeasyPrint and write the PDF atomically.

Resources are fetched through :class:`SandboxedFetcher`: only files below the allowed roots
(the publication folder and the styles in use) and ``data:`` URIs; nothing from the network
and no other file of the machine can reach a PDF.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .atomic import write_atomically  # noqa: F401 - re-exported for the pipeline
from .render_html import HtmlDocument

log = logging.getLogger(__name__)


class ForbiddenResource(ValueError):
    """A resource outside the sandbox; WeasyPrint logs it and leaves the resource out."""


class SandboxedFetcher(URLFetcher):
    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), timeout=1)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []
        self.served: list[Path] = []  # what the layout read: part of the output's cache key

    def fetch(self, url: str, headers=None):  # type: ignore[no-untyped-def]
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file":
            target = Path(unquote(parsed.path)).resolve()
            if any(target.is_relative_to(root) for root in self.roots) and target.is_file():
                self.served.append(target)
                return URLFetcherResponse(url, target.read_bytes(), {})
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


def layout_pdf(doc: HtmlDocument, roots: list[Path], pdf_variant: str | None = None) -> LaidOutDocument:
    from .print_pdf import render_options

    fetcher = SandboxedFetcher(roots)
    html = HTML(string=doc.html, base_url=str(doc.base_url) + os.sep, url_fetcher=fetcher)
    document = html.render(pdf_tags=True, **render_options(pdf_variant))
    return LaidOutDocument(document, len(document.pages), fetcher.refused, doc.html, fetcher.served)


def write_pdf_bytes(laid_out: LaidOutDocument, pdf_variant: str | None = None) -> bytes:
    """The PDF, tagged by WeasyPrint with :mod:`.pdf_tags`' corrections; PDF/X in CMYK."""
    from .pdf_tags import richer_tags, variant_pdf_version
    from .print_pdf import convert_to_cmyk, fix_dates, is_print_variant

    options: dict[str, object] = {"pdf_tags": True}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    if is_print_variant(pdf_variant):
        fix_dates(laid_out.document)
    with richer_tags(variant_pdf_version(pdf_variant)):
        data = laid_out.document.write_pdf(**options)  # type: ignore[attr-defined]
    return convert_to_cmyk(data, pdf_variant) if is_print_variant(pdf_variant) else data


def first_overflowing_content(laid_out: LaidOutDocument, budget: int) -> str:
    """Name the first identified element that falls on a page past the budget."""
    pages = laid_out.document.pages  # type: ignore[attr-defined]
    for number, page in enumerate(pages[budget:], budget + 1):
        anchors = sorted(page.anchors.items(), key=lambda item: (item[1][1], item[1][0]))
        if anchors:
            return f"'#{anchors[0][0]}' on page {number}"
    return f"page {budget + 1}"
