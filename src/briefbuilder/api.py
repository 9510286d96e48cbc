"""The Python API for scripting custom editions.

>>> from briefbuilder import load_publication, build_custom
>>> result = build_custom("briefs/collateral-damage", name="protection-mitigations",
...                       chapters=["protection"], classes=["mitigation"], max_pages=2,
...                       out_dir="build")                                  # doctest: +SKIP
>>> result.path, result.pages                                              # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from .config import NUMERIC_RANGES, EditionConfig
from .errors import UsageProblem
from .load import load_publication
from .model import Publication
from .paths import name_problem
from .pipeline import OutputResult, build_edition


def build_custom(
    publication: Publication | Path | str,
    *,
    name: str = "custom",
    layout: str = "factsheet",
    chapters: list[str] | None = None,
    sections: list[str] | None = None,
    classes: list[str] | None = None,
    lang: str | None = None,
    page_size: str = "A4",
    max_pages: int | None = None,
    out_dir: Path | str = "build",
) -> OutputResult:
    """Build a PDF of a selection of a publication and return where it was written.

    ``publication``: a loaded :class:`Publication` or its folder. ``layout``: ``full``,
    ``brief`` or ``factsheet``. ``chapters``, ``sections``: ids to keep (empty: all);
    ``classes``: keep only boxes of these classes (e.g. ``["mitigation"]``). ``lang``: a
    language the publication has (default: its source language). ``page_size``: ``A4`` or
    ``letter``. ``max_pages``: a budget; the type steps down to fit, and a selection that
    still does not fit raises :class:`briefbuilder.errors.BudgetExceeded`. The PDF is
    written to ``out_dir/<publication>/<lang>/<name>.pdf``.
    """
    reason = name_problem(name, "edition name")
    if reason:
        raise UsageProblem(reason)
    low, high = NUMERIC_RANGES["max-pages"]
    if max_pages is not None and not low <= max_pages <= high:
        raise UsageProblem(f"max_pages must be between {low:g} and {high:g}, not {max_pages}")
    if not isinstance(publication, Publication):
        publication = load_publication(Path(publication))
    config = EditionConfig(
        name=name,
        layout=layout,
        page_size="letter" if page_size.lower() in ("letter", "us-letter") else "A4",
        max_pages=max_pages,
        chapters=list(chapters or []),
        sections=list(sections or []),
        classes=[c.lstrip(".") for c in classes or []],
        harms_per_measure=2 if layout == "factsheet" else None,
    )
    return build_edition(publication, config, lang or publication.lang, Path(out_dir))
