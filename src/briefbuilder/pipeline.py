"""The orchestrator: one output is the pipeline's stages, in order.

load -> translate -> compose -> cite -> html -> pdf -> verify, as DESIGN.md section 4 lists them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .brand import brand_css
from .cite import cite_edition
from .compose import compose_edition, find_edition, resolve_editions
from .config import EditionConfig
from .direction import localise_css
from .discovery import discover_publications
from .edition import Edition, Fit
from .errors import Location, ProblemCollector, UsageProblem
from .house_styles import HOUSE_STYLES
from .load import load_publication, utf8_error_line
from .model import Publication
from .note_placement import place_notes
from .page_breaks import avoid_page_end_hyphens
from .parallel_layout import lay_out_in_parallel
from .paths import PathRefused, input_file, output_file, read_text_bounded
from .pdf import (
    LaidOutDocument,
    first_overflowing_content,
    layout_pdf,
    renderer_report,
    write_atomically,
    write_pdf_bytes,
)
from .print_pdf import is_print_variant
from .render_html import render_edition_html
from .sandbox import styles_folders
from .translate import translate_publication
from .verify import VerifyReport, check_budget, check_print_ready, check_print_sources, verify_edition

log = logging.getLogger(__name__)


@dataclass
class OutputResult:
    publication: str
    edition: str
    lang: str
    path: Path
    pages: int
    seconds: float
    report: VerifyReport
    resources: list[Path] = field(default_factory=list)  # files the layout fetched (cache key)
    passes: int = 0  # layouts made (auto-fit); 0: none (cached, or the web edition)


def style_search_path(publication: Publication) -> list[Path]:
    """The publication's own ``styles/`` when it has one inside the publication folder.

    A folder of publications does not share styles by reaching outside a publication: house
    styles are the shared ones (the README's trust model says so)."""
    return [folder for folder, _root in styles_folders(publication.root)[:-1]]


def load_css(publication: Publication, layout: str, extra: tuple[str, ...] = (), lang: str = "") -> Markup:
    """``common.css`` then ``<layout>.css``, each taken from the first folder that has it;
    then the ``extra`` sheets (``print.css`` for PDF/X); then, for ``lang``, what its
    direction, digits and script need (direction.py: mirrored @page rules, fonts)."""
    folders = [(folder, publication.root) for folder in style_search_path(publication)]
    folders.append((HOUSE_STYLES, HOUSE_STYLES))
    parts = []
    problems = ProblemCollector()
    for name in ("common.css", f"{layout}.css", "custom.css", *extra):
        if name == "custom.css":
            # The brand over the house styles; a publication's custom.css has the last word.
            parts.append(str(brand_css(publication.brand, len(publication.pillars))))
        for folder, root in folders:
            candidate = folder / name
            if not os.path.lexists(candidate):
                continue
            try:
                parts.append(read_text_bounded(input_file(candidate, [root], what="style sheet")))
            except PathRefused as exc:
                problems.add(Location(candidate), exc.reason, show_source=False)
            except UnicodeDecodeError as exc:
                problems.add(
                    Location(candidate, utf8_error_line(candidate, exc)),
                    f"style sheet is not UTF-8 text ({exc.reason})",
                    show_source=False,
                )
            break
    problems.raise_if_any()
    css = "\n".join(parts)
    if lang:
        css = localise_css(css, lang)
    # CSS is not HTML: a "</style>" inside it would end the element early.
    return Markup(css.replace("</", "<\\/"))


def output_path(out_dir: Path, publication: Publication, edition: str, lang: str) -> Path:
    """Where one output goes (the web edition: a folder), checked to lie inside ``out_dir``."""
    try:
        return output_file(out_dir, publication.id, lang, "web" if edition == "web" else f"{edition}.pdf")
    except PathRefused as exc:
        raise UsageProblem(exc.reason) from None


def build_edition(
    publication: Publication,
    config: EditionConfig,
    lang: str,
    out_dir: Path,
    release: bool = False,
    jobs: int = 1,
) -> OutputResult:
    """Build one edition in one language and write it to ``out_dir``; with ``jobs`` > 1 a
    full edition's chapters are laid out by that many processes (:mod:`.parallel_layout`)."""
    if config.layout == "web":
        return build_web_edition(publication, config, lang, out_dir, release)
    started = time.perf_counter()
    translated, _ = translate_publication(publication, lang, release)
    edition = compose_edition(translated, config, lang)
    edition = cite_edition(edition)
    check_print_sources(edition)
    where = config.location or publication.config.location
    parallel = lay_out_in_parallel(edition, jobs, where) if jobs > 1 else None
    laid_out = parallel.laid_out(edition) if parallel else lay_out_in_one_document(edition, config)
    report = verify_edition(edition, laid_out)
    _reproducible_dates(publication)
    data = parallel.data if parallel else write_pdf_bytes(laid_out, config.pdf_variant)
    report.warnings.extend(renderer_report(laid_out, where))
    check_print_ready(edition, data)
    target = output_path(out_dir, publication, config.name, lang)
    write_atomically(data, target, root=out_dir)
    return OutputResult(
        publication.id,
        config.name,
        lang,
        target,
        laid_out.page_count,
        time.perf_counter() - started,
        report,
        laid_out.resources,
        laid_out.passes,
    )


def build_web_edition(
    publication: Publication, config: EditionConfig, lang: str, out_dir: Path, release: bool = False
) -> OutputResult:
    """The web edition: the same stages up to ``html``, then a site instead of a PDF."""
    from .web import build_site

    site = build_site(publication, config, lang, out_dir, release)
    return OutputResult(
        publication.id,
        config.name,
        lang,
        site.path,
        site.pages,
        site.seconds,
        VerifyReport(site.pages, None),
        site.resources,
    )


def lay_out_in_one_document(edition: Edition, config: EditionConfig) -> LaidOutDocument:
    """Lay out within the page budget, then page ends, then the notes' placement, corrected
    last, as verify guarantees it."""
    laid_out = lay_out_within_budget(edition)
    if edition.layout == "full":
        laid_out = avoid_page_end_hyphens(laid_out, config.max_pages)
    laid_out, placement = place_notes(laid_out)
    if edition.layout == "full" and placement.rounds:
        # A corrected note moves page breaks: once more, page ends, then the notes, last.
        laid_out = avoid_page_end_hyphens(laid_out, config.max_pages)
        laid_out, _ = place_notes(laid_out)
    return laid_out


def lay_out_within_budget(edition: Edition) -> LaidOutDocument:
    """Lay the edition out; a short edition is fitted to fill its pages (:mod:`.autofit`),
    in two layouts in the common case; over its budget at the smallest type, the build fails
    naming the overflowing content (and a translation's segments over their length budget)."""
    from .autofit import base_size, fit_edition

    publication = edition.publication
    variant = edition.config.pdf_variant
    css = load_css(
        publication, edition.layout, ("print.css",) if is_print_variant(variant) else (), edition.lang
    )
    if edition.config.page_size == "letter":
        css += Markup("\n@page { size: letter; }")
    if edition.config.print_marks:
        # WeasyPrint's BleedBox lies 10 pt (3.5 mm) past the trim: bands and covers run
        # that far (the house styles use --bleed); the crop marks sit outside it, in an
        # 8 mm margin, where no background hides them.
        css += Markup("\n@page { bleed: 8mm; marks: crop cross; }\n:root { --bleed: 10pt; }")
    roots = [publication.root, HOUSE_STYLES]
    budget = edition.config.max_pages

    def lay_out(fit: Fit) -> LaidOutDocument:
        edition.fit = fit
        sized = (
            css if fit.font_size is None else css + Markup("\nhtml { font-size: %.2fpt; }") % fit.font_size
        )
        return layout_pdf(render_edition_html(edition, sized), roots, variant)

    def fits(laid_out: LaidOutDocument) -> bool:
        return budget is None or laid_out.page_count <= budget

    if not edition.config.autofit or budget is None:
        laid_out = lay_out(Fit())
        edition.passes = 1
    else:
        outcome = fit_edition(edition, lay_out, base_size(str(css)), fits)
        laid_out, edition.fit, edition.passes = outcome.laid_out, outcome.fit, outcome.passes
    laid_out.passes = edition.passes
    if not fits(laid_out):
        check_budget(edition, laid_out, overflow=_overflow(edition, laid_out, budget or 0))
    return laid_out


def _overflow(edition: Edition, laid_out: LaidOutDocument, budget: int) -> str:
    """Where the overflow starts and, in a translation, the segments over their budget."""
    from .i18n.budgets import overflow_hint

    where = first_overflowing_content(laid_out, budget)
    # Budgets are the source's lengths: read from the publication as written, not translated.
    segments = overflow_hint(load_publication(edition.publication.root), edition.lang, edition.layout)
    return f"{where}; segments over their length budget: {segments}" if segments else where


# The user's SOURCE_DATE_EPOCH, read once: builds below set the variable per publication.
_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")


def source_date_epoch(publication: Publication) -> str:
    """The date written into the PDF: the user's SOURCE_DATE_EPOCH, else the publication's
    date (its year), never the clock, so that the same sources give the same bytes."""
    if _USER_EPOCH:
        return _USER_EPOCH
    date = publication.config.date
    year = int(date[:4]) if date[:4].isdigit() else 2000
    return str(int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp()))


def _reproducible_dates(publication: Publication) -> None:
    # WeasyPrint reads the variable when it writes the PDF.
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(publication)


@dataclass
class BuildPlan:
    publication: Publication
    edition: EditionConfig
    lang: str


def plan_builds(
    publications: list[Publication], editions: list[str], langs: list[str], all_languages: bool = False
) -> Iterator[BuildPlan]:
    """Every (edition, language) pair asked for, in a stable order."""
    for publication in publications:
        configs = (
            [find_edition(publication, name) for name in editions]
            if editions
            else resolve_editions(publication)
        )
        available = [publication.lang, *publication.config.translations]
        for lang in available if all_languages else langs or [publication.lang]:
            if lang not in available:
                raise UsageProblem(
                    f"{publication.id} has no '{lang}' edition (languages: {', '.join(available)})"
                )
            for config in configs:
                yield BuildPlan(publication, config, lang)


def load_all(paths: list[Path]) -> list[Publication]:
    return [load_publication(path) for path in discover_publications(paths)]
