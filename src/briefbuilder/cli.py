"""The command line: parses arguments, calls the library, shows progress. Nothing else."""

from __future__ import annotations

import dataclasses
import logging
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import BriefbuilderError, InputError, Problem, display_path

if TYPE_CHECKING:
    from .pipeline import BuildPlan

REPORT_URL = "the project's issue tracker"


class _StderrHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.levelname.lower()}: {record.getMessage()}", err=True)


def _setup_logging(quiet: bool, debug: bool) -> None:
    root = logging.getLogger("briefbuilder")
    root.handlers[:] = [_StderrHandler()]
    root.setLevel(logging.DEBUG if debug else logging.ERROR if quiet else logging.WARNING)
    root.propagate = False
    # WeasyPrint reports layout and fetch problems through its own logger.
    weasy = logging.getLogger("weasyprint")
    weasy.handlers[:] = [_StderrHandler()]
    weasy.setLevel(logging.ERROR)
    weasy.propagate = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefbuilder")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Build print-ready PDF editions of structured publications."""
    ctx.obj = {"debug": debug, "quiet": quiet}
    _setup_logging(quiet, debug)


publication_args = click.argument("publications", nargs=-1, type=click.Path(path_type=Path))


@cli.command()
@publication_args
@click.option(
    "--edition",
    "-e",
    "editions",
    multiple=True,
    help="Edition to build (repeatable); default: all.",
)
@click.option(
    "--lang",
    "-l",
    "langs",
    multiple=True,
    help="Language to build (repeatable); default: the source language.",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Output folder.",
)
@click.option("--all-languages", "-a", is_flag=True, help="Every language: the source and each translation.")
@click.option("--release", is_flag=True, help="Refuse fuzzy or missing translations instead of falling back.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the cores available).",
)
@click.option("--force", is_flag=True, help="Render every output, even those that are current.")
@click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/ua-1", "pdf/ua-2", "pdf/a-3b", "pdf/a-2b", "pdf/a-3u", "pdf/x-4", "pdf/x-1a"]),
    default=None,
    help="Write a PDF/UA, PDF/A or PDF/X file (default: a tagged PDF); pdf/x-* with --print for a printer.",
)
@click.option("--print", "print_marks", is_flag=True, help="Add bleed (3.5 mm) and crop marks.")
@click.pass_context
def build(
    ctx: click.Context,
    publications: tuple[Path, ...],
    editions: tuple[str, ...],
    langs: tuple[str, ...],
    out_dir: Path,
    all_languages: bool,
    release: bool,
    jobs: int | None,
    force: bool,
    pdf_variant: str | None,
    print_marks: bool,
) -> None:
    """Build PDF editions of PUBLICATIONS (folders; default: every one under ./briefs)."""
    # Decided from the output folder's manifest alone, before anything heavy is imported.
    from .discovery import discover_publications
    from .manifest import remember_request, request_key, unchanged_request

    roots = discover_publications(list(publications))
    options = {"all_languages": all_languages, "release": release, "pdf_variant": pdf_variant}
    request = request_key(roots, editions, langs, {**options, "print": print_marks})
    current = None if force else unchanged_request(out_dir, request)
    if current is not None:
        if not ctx.obj["quiet"]:
            for number, (target, pages) in enumerate(current, 1):
                click.echo(f"[{number}/{len(current)}] {target}  {pages} pages  unchanged")
        return

    from .cache import publication_files
    from .pipeline import load_all, plan_builds

    loaded = load_all(roots)
    plans = list(plan_builds(loaded, list(editions), list(langs), all_languages))
    for plan in plans:
        if pdf_variant:
            plan.edition = dataclasses.replace(plan.edition, pdf_variant=pdf_variant)
        if print_marks:
            plan.edition = dataclasses.replace(plan.edition, print_marks=True)
    outputs = _build_plans(ctx, plans, out_dir, release, jobs, force)
    deciding = [path for publication in loaded for path in publication_files(publication)]
    remember_request(out_dir, request, deciding, outputs)


def _build_plans(
    ctx: click.Context,
    plans: list[BuildPlan],
    out_dir: Path,
    release: bool = False,
    jobs: int | None = None,
    force: bool = False,
) -> list[Path]:
    """Build every output; one that fails is reported and the others still get built."""
    from .runner import build_outputs, default_jobs

    quiet = ctx.obj["quiet"]

    def show(outcome, done: int, total: int) -> None:  # type: ignore[no-untyped-def]
        if quiet or outcome.result is None:
            return
        result = outcome.result
        state = "unchanged" if outcome.cached else f"{result.seconds:.1f} s"
        if result.passes > 1:  # auto-fit laid the edition out more than once
            state += f"  {result.passes} layouts"
        click.echo(f"[{done}/{total}] {result.path}  {result.pages} pages  {state}")
        for warning in result.report.warnings:
            click.echo(f"warning: {warning}", err=True)

    outcomes = build_outputs(plans, out_dir, jobs or default_jobs(), release, force, show)
    failed: list[Problem] = []
    for outcome in outcomes:
        failed.extend(p for p in outcome.problems if str(p) not in {str(q) for q in failed})
    if failed:
        raise InputError(failed)
    return [outcome.result.path for outcome in outcomes if outcome.result is not None]


@cli.command()
@click.argument("publication", type=click.Path(path_type=Path))
@click.option("--name", default="custom", show_default=True, help="Output file name (without .pdf).")
@click.option(
    "--layout", type=click.Choice(["full", "brief", "factsheet"]), default="factsheet", show_default=True
)
@click.option("--chapter", "chapters", multiple=True, help="Chapter id to include (repeatable).")
@click.option("--pillar", "pillars", multiple=True, help="Pillar chapter id (same as --chapter).")
@click.option("--section", "sections", multiple=True, help="Section id to include (repeatable).")
@click.option("--class", "classes", multiple=True, help="Keep only boxes of this class, e.g. mitigation.")
@click.option("--lang", "-l", default=None, help="Language (default: the source language).")
@click.option("--page-size", type=click.Choice(["A4", "letter"]), default="A4", show_default=True)
@click.option("--max-pages", type=int, default=None, help="Page budget; over it the build fails.")
@click.option(
    "--out", "-o", "out_dir", type=click.Path(path_type=Path), default=Path("build"), show_default=True
)
@click.pass_context
def custom(
    ctx: click.Context,
    publication: Path,
    name: str,
    layout: str,
    chapters: tuple[str, ...],
    pillars: tuple[str, ...],
    sections: tuple[str, ...],
    classes: tuple[str, ...],
    lang: str | None,
    page_size: str,
    max_pages: int | None,
    out_dir: Path,
) -> None:
    """Build an ad-hoc selection of PUBLICATION (the CLI face of briefbuilder.build_custom)."""
    from .api import build_custom

    result = build_custom(
        publication,
        name=name,
        layout=layout,
        chapters=[*chapters, *pillars],
        sections=list(sections),
        classes=list(classes),
        lang=lang,
        page_size=page_size,
        max_pages=max_pages,
        out_dir=out_dir,
    )
    if not ctx.obj["quiet"]:
        click.echo(f"{result.path}  {result.pages} pages  {result.seconds:.1f} s")


@cli.command()
@publication_args
@click.pass_context
def check(ctx: click.Context, publications: tuple[Path, ...]) -> None:
    """Validate PUBLICATIONS without rendering: sources, citations, editions, translations."""
    from .check import check_publication
    from .pipeline import load_all

    loaded = load_all(list(publications))
    problems = [problem for publication in loaded for problem in check_publication(publication)]
    if problems:
        raise InputError(problems)
    from .i18n.budgets import over_budget

    for publication in loaded:
        for lang in publication.config.translations:
            for found in over_budget(publication, lang):
                # A warning: auto-fit may still find room; the build names it if it does not.
                where = f"{display_path(found.location.file)}:{found.location.line}"
                click.echo(f"warning: {where}: {found.message()}", err=True)
    if not ctx.obj["quiet"]:
        click.echo(f"ok: {', '.join(p.id for p in loaded)}")


@cli.command()
@click.argument("publication", type=click.Path(path_type=Path))
@click.option(
    "--edition", "-e", default=None, help="Edition to preview (default: the first, the full resource)."
)
@click.option("--lang", "-l", default=None, help="Language (default: the source language).")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path), default=None, help="Build folder.")
@click.pass_context
def preview(
    ctx: click.Context,
    publication: Path,
    edition: str | None,
    lang: str | None,
    port: int,
    out_dir: Path | None,
) -> None:
    """Serve an edition of PUBLICATION on localhost, rebuilt and reloaded on every edit."""
    import tempfile

    from .preview import serve

    with tempfile.TemporaryDirectory(prefix="briefbuilder-preview-") as scratch:
        server, stop = serve(publication, edition, lang, out_dir or Path(scratch), port)
        host, bound = server.server_address[:2]
        click.echo(f"serving http://{host}:{bound}/ (Ctrl-C to stop)")
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.server_close()


@cli.group()
def i18n() -> None:
    """Translation catalogues: extract, update, status."""


@i18n.command()
@click.argument("publication", type=click.Path(path_type=Path))
def extract(publication: Path) -> None:
    """Write translations/template.pot (and the segment lock) for PUBLICATION."""
    from .i18n.catalogue import extract as extract_template
    from .load import load_publication

    path = extract_template(load_publication(publication))
    click.echo(f"wrote {path}")


@i18n.command()
@click.argument("publication", type=click.Path(path_type=Path))
@click.option("--lang", "-l", "langs", multiple=True, required=True, help="Language to create or update.")
def update(publication: Path, langs: tuple[str, ...]) -> None:
    """Create or merge translations/<lang>.po from the current sources."""
    from .i18n.catalogue import update as update_catalogue
    from .load import load_publication

    loaded = load_publication(publication)
    for lang in langs:
        path, counts = update_catalogue(loaded, lang)
        summary = ", ".join(f"{v} {k}" for k, v in counts.items())
        click.echo(f"wrote {path}: {summary}")


@i18n.command()
@click.argument("publication", type=click.Path(path_type=Path))
@click.option("--lang", "-l", "langs", multiple=True, help="Language (default: every translation).")
def status(publication: Path, langs: tuple[str, ...]) -> None:
    """Translated / fuzzy / missing per language and edition; exit 1 if a release build would be refused."""
    from .i18n.budgets import over_budget
    from .i18n.status import coverage
    from .load import load_publication

    loaded = load_publication(publication)
    incomplete = False
    problems: list[Problem] = []
    for lang in langs or loaded.config.translations:
        rows, found = coverage(loaded, lang)
        if found:  # a broken catalogue: its figures would mean nothing
            problems.extend(found)
            continue
        click.echo(f"{loaded.id} [{lang}]")
        click.echo(f"  {'edition':<26} {'translated':>16} {'fuzzy':>14} {'missing':>14}   words")
        for row in rows:
            incomplete |= not row.complete
            cells = [f"{s:>4} seg {w:>6} w" for s, w in (row.translated, row.fuzzy, row.missing)]
            click.echo(
                f"  {row.edition:<26} {cells[0]:>16} {cells[1]:>14} {cells[2]:>14}   {row.percent:5.1f}%"
            )
        for found in over_budget(loaded, lang):
            click.echo(f"  {display_path(found.location.file)}:{found.location.line}: {found.message()}")
    if problems:
        raise InputError(problems)
    if incomplete:
        click.echo("some editions are incomplete: a release build would refuse them", err=True)
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors exit 1 (2 for misuse) with a message; internal errors say so."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="briefbuilder", standalone_mode=False)
    except BriefbuilderError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}\n"
                f"This is a bug in briefbuilder; please report it to {REPORT_URL}. "
                "Run again with --debug to see the traceback.",
                err=True,
            )
        sys.exit(3)
    sys.exit(0)
