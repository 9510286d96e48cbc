"""Building many outputs: skip the ones that are current, render the rest in worker processes."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .cache import output_inputs, settings_key
from .config import EditionConfig
from .errors import InputError, Problem
from .load import load_publication
from .manifest import Manifest, remove_legacy_sidecars
from .model import Publication
from .paths import inside, remove_stale_temporaries
from .pipeline import BuildPlan, OutputResult, build_edition, output_path
from .verify import VerifyReport


@dataclass(frozen=True)
class Job:
    """One output, described by plain values so that it can travel to a worker process."""

    root: Path
    edition: EditionConfig  # as planned, with any command-line overrides
    lang: str
    out_dir: Path
    release: bool
    settings: str  # cache.settings_key of this output


@dataclass
class JobOutcome:
    job: Job
    result: OutputResult | None = None
    problems: list[Problem] = field(default_factory=list)
    cached: bool = False
    inputs: list[Path] = field(default_factory=list)  # what the output was made from


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


_loaded: dict[Path, Publication] = {}


def _publication(root: Path) -> Publication:
    # A worker builds several outputs of one publication: load it once per process.
    if root not in _loaded:
        # The command line loaded it once already to plan the build, and showed its warnings
        # (raw TeX left out...): loading it again here must not repeat them.
        loader_log = logging.getLogger("briefbuilder.load")
        was_disabled, loader_log.disabled = loader_log.disabled, True
        try:
            _loaded[root] = load_publication(root)
        finally:
            loader_log.disabled = was_disabled
    return _loaded[root]


def run_job(job: Job, publication: Publication | None = None, jobs: int = 1) -> JobOutcome:
    """Build one output (in this process or a worker); problems are returned, not raised.

    In this process the caller's freshly loaded publication is used; a worker process loads
    it once for all the outputs it builds (its cache lives no longer than one build)."""
    try:
        publication = publication or _publication(job.root)
        result = build_edition(publication, job.edition, job.lang, job.out_dir, job.release, jobs)
        inputs = output_inputs(publication, job.edition, job.lang, result.resources)
        return JobOutcome(job, result, inputs=inputs)
    except InputError as exc:
        return JobOutcome(job, problems=list(exc.problems))


def build_outputs(
    plans: list[BuildPlan],
    out_dir: Path,
    jobs: int = 1,
    release: bool = False,
    force: bool = False,
    on_outcome: Callable[[JobOutcome, int, int], None] | None = None,
) -> list[JobOutcome]:
    """Build every planned output; current ones are skipped unless ``force``.

    The output folder's manifest is updated after each output, so a build that is stopped
    half-way keeps what it finished.
    """
    manifest = Manifest.load(out_dir)
    outcomes: list[JobOutcome] = []
    pending: list[Job] = []
    total = len(plans)
    # A build killed while writing leaves its temporary files; the next build removes them.
    for root in {plan.publication.id for plan in plans}:
        folder = out_dir / root
        if folder.is_dir() and inside(folder, [out_dir]):
            remove_stale_temporaries(folder)

    def finish(outcome: JobOutcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome, len(outcomes), total)

    loaded = {plan.publication.root: plan.publication for plan in plans}
    for plan in plans:
        settings = settings_key(plan.publication, plan.edition, plan.lang, release)
        job = Job(plan.publication.root, plan.edition, plan.lang, out_dir, release, settings)
        target = output_path(out_dir, plan.publication, plan.edition.name, plan.lang)
        remove_legacy_sidecars(target.parent)
        if not force and manifest.output_is_current(target, settings):
            pages = manifest.pages_of(target)
            result = OutputResult(
                plan.publication.id,
                plan.edition.name,
                plan.lang,
                target,
                pages,
                0.0,
                VerifyReport(pages, plan.edition.max_pages),
            )
            finish(JobOutcome(job, result, cached=True))
        else:
            pending.append(job)
    for outcome in _run(pending, jobs, loaded):
        if outcome.result is not None:
            manifest.remember_output(
                outcome.result.path, outcome.job.settings, outcome.inputs, outcome.result.pages
            )
            manifest.save()
        finish(outcome)
    return outcomes


def _run(pending: list[Job], jobs: int, loaded: dict[Path, Publication]):  # type: ignore[no-untyped-def]
    if jobs <= 1 or len(pending) <= 1:
        # One output and several cores: a full edition lays its chapters out on all of them.
        for job in pending:
            yield run_job(job, loaded.get(job.root), jobs if len(pending) == 1 else 1)
        return
    # Longest outputs first (full editions), so that no worker is left with one at the end.
    ordered = sorted(pending, key=lambda j: (j.edition.layout != "full", j.edition.name))
    with ProcessPoolExecutor(max_workers=min(jobs, len(ordered))) as pool:
        futures = [pool.submit(run_job, job) for job in ordered]
        for future in as_completed(futures):
            yield future.result()
