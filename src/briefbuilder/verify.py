"""Stage ``verify``: check the laid-out edition against what the edition promises."""

from __future__ import annotations

from dataclasses import dataclass, field

from .edition import Edition
from .errors import BudgetExceeded, InputError, Problem
from .pdf import LaidOutDocument


@dataclass
class VerifyReport:
    page_count: int
    max_pages: int | None
    warnings: list[str] = field(default_factory=list)


def verify_edition(edition: Edition, laid_out: LaidOutDocument) -> VerifyReport:
    """Check what the laid-out edition would print; raise on characters no font can draw."""
    from .brand import brand_font_problems
    from .glyphs import missing_glyphs

    blocks = [block for part in edition.chapters for block in part.blocks]
    missing = missing_glyphs(laid_out.html, blocks)
    missing += brand_font_problems(edition.publication.brand, laid_out.html, edition.lang)
    if missing:
        raise InputError(missing)
    check_note_pages(edition, laid_out)
    report = VerifyReport(laid_out.page_count, edition.config.max_pages)
    for url in laid_out.refused:
        report.warnings.append(f"resource refused by the sandbox: {url}")
    return report


def check_note_pages(edition: Edition, laid_out: LaidOutDocument) -> None:
    """Refuse to ship a note printed on another page than its call (note_placement corrects
    what it can before this check)."""
    from .note_placement import off_page_notes

    if laid_out.document is None:
        return  # laid out in parts (parallel_workers.py): each part was checked the same way
    off = off_page_notes(laid_out)
    if not off:
        return
    where = edition.config.location or edition.publication.config.location
    listed = ", ".join(
        f"note {p.number} (call on page {p.call_page}, note on page {p.note_page or 'none'})" for p in off
    )
    raise InputError(
        [
            Problem(
                where,
                f"{edition.name} ({edition.lang}): {len(off)} note(s) off their call's page: {listed}",
                hint="shorten the note or the paragraph that calls it",
                show_source=False,
            )
        ]
    )


def check_budget(edition: Edition, laid_out: LaidOutDocument, overflow: str = "") -> None:
    """Raise when the edition needs more pages than its budget allows."""
    budget = edition.config.max_pages
    if budget is None or laid_out.page_count <= budget:
        return
    where = edition.config.location or edition.publication.config.location
    extra = laid_out.page_count - budget
    message = (
        f"edition '{edition.name}' ({edition.lang}) needs {laid_out.page_count} pages, "
        f"{extra} more than its budget of {budget}"
    )
    hint = (
        f"overflowing content starts with: {overflow}"
        if overflow
        else "shorten the content or raise max-pages"
    )
    raise BudgetExceeded([Problem(where, message, hint=hint, show_source=False)])


def check_print_sources(edition: Edition) -> None:
    """PDF/X-1a: refuse, before any layout, the images it cannot carry, at their source lines."""
    from .print_pdf import x1a_image_problems

    if (edition.config.pdf_variant or "").lower() == "pdf/x-1a":
        problems = x1a_image_problems(block for part in edition.chapters for block in part.blocks)
        if problems:
            raise InputError(problems)


def check_print_ready(edition: Edition, data: bytes) -> None:
    """PDF/X: the preflight of the written bytes; every finding names its page and object."""
    from .preflight import preflight
    from .print_pdf import is_print_variant

    variant = edition.config.pdf_variant
    if not is_print_variant(variant):
        return
    findings = preflight(data, str(variant))
    if findings:
        where = edition.config.location or edition.publication.config.location
        heading = f"{edition.name} ({edition.lang}) fails the {variant} preflight:"
        raise InputError(Problem(where, f"{heading} {finding}", show_source=False) for finding in findings)


__all__ = [
    "VerifyReport",
    "check_budget",
    "check_note_pages",
    "check_print_ready",
    "check_print_sources",
    "verify_edition",
]
