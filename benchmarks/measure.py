"""Measuring: the per-stage worker (one output in a fresh process, cold and warm runs,
tracemalloc), the machine's facts and parallel capacity, and the whole-process builds
(every output with -j 1 / -j 2, incremental rebuilds)."""

from __future__ import annotations

import contextlib
import cProfile
import datetime as dt
import gc
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from common import (
    MB,
    PUBLICATION,
    ROOT,
    STAGES,
    WEASYPRINT_STAGES,
    build_command,
    build_help,
    log,
    run_timed,
)

RUN_PY = Path(__file__).resolve().parent / "run.py"


def _quiet_logging() -> None:
    """The same log levels as the command line, so logging costs the same."""
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("briefbuilder").setLevel(logging.WARNING)


class StageClock:
    """Accumulates wall time (and, when tracing, tracemalloc peaks) per stage.

    Re-entrant: a stage function called from inside a timed stage (load_css calling
    style_search_path, say) is not counted twice.
    """

    def __init__(self, trace: bool):
        self.trace = trace
        self.seconds = {name: 0.0 for name in STAGES}
        self.cpu = {name: 0.0 for name in STAGES}  # process CPU time (user + sys)
        self.peak = {name: 0 for name in STAGES}  # absolute traced peak during the stage
        self.growth = {name: 0 for name in STAGES}  # peak minus traced memory at stage start
        self.active: str | None = None

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        if self.active is not None:
            yield
            return
        self.active = name
        before = 0
        if self.trace:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        cpu_started = time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started
            self.cpu[name] += time.process_time() - cpu_started
            if self.trace:
                peak = tracemalloc.get_traced_memory()[1]
                self.peak[name] = max(self.peak[name], peak)
                self.growth[name] = max(self.growth[name], peak - before)
            self.active = None


# The functions pipeline.lay_out_within_budget calls, and the stage each one's time goes to.
# They are wrapped in the pipeline module's namespace for the duration of one run, so that
# whatever autofit strategy the pipeline uses (several html + layout passes) is what is timed.
LAYOUT_HOOKS = {
    "load_css": "html",
    "style_search_path": "html",
    "render_edition_html": "html",
    "layout_pdf": "layout",
    "first_overflowing_content": "layout",
}


@contextlib.contextmanager
def instrumented(pipeline, clock: StageClock, counts: dict[str, int]) -> Iterator[None]:  # noqa: ANN001
    originals = {name: getattr(pipeline, name) for name in LAYOUT_HOOKS if hasattr(pipeline, name)}

    def wrap(name: str, function):  # noqa: ANN001, ANN202
        stage = LAYOUT_HOOKS[name]

        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            counts[name] = counts.get(name, 0) + 1
            with clock(stage):
                return function(*args, **kwargs)

        return timed

    for name, function in originals.items():
        setattr(pipeline, name, wrap(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(pipeline, name, function)


def run_stages(edition_name: str, lang: str, trace: bool = False) -> dict:
    """One output through every stage, timed separately, in pipeline.build_edition's order."""
    from briefbuilder import pipeline
    from briefbuilder.cite import cite_edition
    from briefbuilder.compose import compose_edition, find_edition
    from briefbuilder.load import load_publication
    from briefbuilder.pdf import write_pdf_bytes
    from briefbuilder.translate import translate_publication
    from briefbuilder.verify import verify_edition

    clock = StageClock(trace)
    counts: dict[str, int] = {}
    with clock("load"):
        publication = load_publication(PUBLICATION)
    with clock("translate"):
        translated, _report = translate_publication(publication, lang)
    with clock("compose"):
        config = find_edition(publication, edition_name)  # plan_builds resolves on the source
        edition = compose_edition(translated, config, lang)
    with clock("cite"):
        edition = cite_edition(edition)
    with instrumented(pipeline, clock, counts):
        if hasattr(pipeline, "lay_out_within_budget"):
            # html + layout, as many passes as the pipeline's autofit needs (budget check inside)
            laid_out = pipeline.lay_out_within_budget(edition)
        else:  # a pipeline without autofit: one pass
            css = pipeline.load_css(edition.publication, edition.layout)
            search_path = pipeline.style_search_path(edition.publication)
            roots = [edition.publication.root, pipeline.HOUSE_STYLES, *search_path]
            doc = pipeline.render_edition_html(edition, search_path, css)
            laid_out = pipeline.layout_pdf(doc, roots)
    with clock("verify"):
        report = verify_edition(edition, laid_out)
    pipeline._reproducible_dates(publication)  # noqa: SLF001 - what build_edition does before writing
    with clock("pdf_write"):
        data = write_pdf_bytes(laid_out)

    result = {
        "seconds": clock.seconds,
        "cpu_seconds": clock.cpu,
        "passes": counts.get("layout_pdf", 0),
        "details": getattr(edition, "details", None),  # older pipelines named it
        "pages": laid_out.page_count,
        "pdf_bytes": len(data),
        "warnings": report.warnings,
    }
    if trace:
        result["tracemalloc_peak"] = clock.peak
        result["tracemalloc_growth"] = clock.growth
    return result


def worker(edition_name: str, lang: str, repeat: int, memory: bool, out: Path) -> None:
    started = time.perf_counter()
    import briefbuilder.cite  # noqa: F401 - the imports a build pays once per process
    import briefbuilder.pdf  # noqa: F401
    import briefbuilder.pipeline  # noqa: F401

    import_seconds = time.perf_counter() - started
    _quiet_logging()

    runs = []
    rss_after_cold = None
    for index in range(1 + repeat):
        gc.collect()
        runs.append(run_stages(edition_name, lang))
        if index == 0:
            rss_after_cold = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_after_warm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    traced = None
    if memory:
        gc.collect()
        tracemalloc.start()
        traced = run_stages(edition_name, lang, trace=True)
        tracemalloc.stop()

    out.write_text(
        json.dumps(
            {
                "edition": edition_name,
                "lang": lang,
                "import_seconds": import_seconds,
                "runs": runs,
                "ru_maxrss_kb_after_cold": rss_after_cold,
                "ru_maxrss_kb_after_warm": rss_after_warm,
                "traced": traced,
            }
        ),
        encoding="utf-8",
    )


def profile(edition_name: str, lang: str, limit: int = 30) -> None:
    """cProfile of one warm run (after a cold one), top functions by cumulative and own time."""
    _quiet_logging()
    run_stages(edition_name, lang)
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    result = run_stages(edition_name, lang)
    profiler.disable()
    print(
        f"warm run of {lang}/{edition_name}: "
        + ", ".join(f"{k} {v:.3f}s" for k, v in result["seconds"].items())
    )
    for key in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats(key).print_stats(limit)
        print(buffer.getvalue())


def machine_facts() -> dict:
    cpu_model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import weasyprint

    import briefbuilder

    try:
        pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.splitlines()[
            0
        ]
    except (OSError, IndexError):
        pandoc = None
    try:
        mem_total = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_total = None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "mem_total_mb": mem_total,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "weasyprint": weasyprint.__version__,
        "briefbuilder": briefbuilder.__version__,
        "pandoc": pandoc,
        "loadavg_at_start": list(os.getloadavg()),
    }


def stage_benchmarks(
    outputs: list[tuple[str, str]], repeat: int, traced: set[tuple[str, str]], tmp: Path
) -> list[dict]:
    results = []
    for number, (edition, lang) in enumerate(outputs, 1):
        out = tmp / f"worker-{lang}-{edition}.json"
        cmd = [
            sys.executable,
            str(RUN_PY),
            "--worker",
            edition,
            lang,
            "--repeat",
            str(repeat),
            "--worker-out",
            str(out),
        ]
        if (edition, lang) not in traced:
            cmd.append("--no-trace")
        started = time.perf_counter()
        run = run_timed(cmd)
        data = json.loads(out.read_text(encoding="utf-8"))
        data["worker_wall_seconds"] = time.perf_counter() - started
        data["worker_ru_maxrss_kb"] = run["ru_maxrss_kb"]
        results.append(summarise_output(data))
        log(f"  [{number}/{len(outputs)}] {lang}/{edition}: worker {data['worker_wall_seconds']:.1f} s")
    return results


def summarise_output(data: dict) -> dict:
    runs = data["runs"]
    cold = runs[0]["seconds"]
    warm_runs = runs[1:]
    warm = {s: statistics.median(r["seconds"][s] for r in warm_runs) for s in STAGES} if warm_runs else None

    def totals(stages: dict | None) -> dict | None:
        if stages is None:
            return None
        total = sum(stages.values())
        non_wp = sum(v for k, v in stages.items() if k not in WEASYPRINT_STAGES)
        return {
            "total": total,
            "non_weasyprint": non_wp,
            "non_weasyprint_share": non_wp / total if total else 0.0,
        }

    warm_totals = [sum(r["seconds"].values()) for r in warm_runs]
    warm_cpu = statistics.median(sum(r["cpu_seconds"].values()) for r in warm_runs) if warm_runs else None
    warm_cpu_stages = (
        {s: statistics.median(r["cpu_seconds"][s] for r in warm_runs) for s in STAGES} if warm_runs else None
    )
    first = runs[0]
    return {
        "edition": data["edition"],
        "lang": data["lang"],
        "pages": first["pages"],
        "passes": first["passes"],
        "recommendation_details": first["details"],
        "pdf_bytes": first["pdf_bytes"],
        "import_seconds": data["import_seconds"],
        "cold": {
            "stages": cold,
            **totals(cold),
            "cpu_stages": runs[0]["cpu_seconds"],
            "cpu_total": sum(runs[0]["cpu_seconds"].values()),
        },
        "warm": (
            {
                "stages": warm,
                **totals(warm),
                "run_totals": warm_totals,
                "cpu_stages": warm_cpu_stages,
                "cpu_total": warm_cpu,
            }
            if warm
            else None
        ),
        "warm_runs": len(warm_runs),
        "ru_maxrss_mb_after_cold": data["ru_maxrss_kb_after_cold"] / 1024,
        "ru_maxrss_mb_after_warm": data["ru_maxrss_kb_after_warm"] / 1024,
        "ru_maxrss_mb_worker": data["worker_ru_maxrss_kb"] / 1024,
        "tracemalloc_peak_mb": (
            {k: v / MB for k, v in data["traced"]["tracemalloc_peak"].items()} if data["traced"] else None
        ),
        "tracemalloc_growth_mb": (
            {k: v / MB for k, v in data["traced"]["tracemalloc_growth"].items()} if data["traced"] else None
        ),
        "worker_wall_seconds": data["worker_wall_seconds"],
    }


def _spin(n: int) -> float:
    started = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - started


def parallel_capacity(n: int = 15_000_000) -> dict:
    """How much faster two CPU-bound processes finish than one: 2.0 on two idle cores.

    Measured right before the -j runs, it tells whether a poor -j 2 speed-up is the
    program's or the machine's (other load, or vCPUs that share one physical core).
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.map(_spin, [1000, 1000])  # start the workers before timing
        one = pool.apply(_spin, (n,))
        started = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - started
    return {"one_process_seconds": one, "two_processes_seconds": two, "speedup": 2 * one / two}


def whole_builds(tmp: Path) -> dict:
    help_text = build_help()
    has_jobs = bool(re.search(r"(^|\s)(--jobs|-j)\b", help_text))
    result: dict = {"jobs_option": has_jobs}
    variants = [("j1", ["-j", "1"]), ("j2", ["-j", "2"])] if has_jobs else []
    # The default is "the cores available": on a 2-core machine that is the -j 2 run already.
    flat_help = " ".join(help_text.split())
    default_is_j2 = has_jobs and "cores available" in flat_help and len(os.sched_getaffinity(0)) == 2
    if not default_is_j2:
        variants.insert(0, ("default", []))
    result["default_is_j2"] = default_is_j2
    if has_jobs:
        result["parallel_capacity"] = parallel_capacity()
        log(f"  parallel capacity of the machine: {result['parallel_capacity']['speedup']:.2f}x")
    for name, extra in variants:
        cmd = build_command(["--all-languages", *extra], tmp / f"all-{name}")
        run = run_timed(cmd)
        result[name] = {
            "cmd": cmd,
            "seconds": run["seconds"],
            "cpu_seconds": run["cpu_seconds"],
            "ru_maxrss_mb": run["ru_maxrss_kb"] / 1024,
            "loadavg_before": run["loadavg_before"],
            "outputs": len(_cli_pages(run["stdout"])),
        }
        result.setdefault("pages", _cli_pages(run["stdout"]))
        log(f"  all languages{' ' + ' '.join(extra) if extra else ''}: {run['seconds']:.1f} s")
    result["all_languages"] = result["j2" if default_is_j2 else "default"]
    if has_jobs:
        result["ratio_j1_over_j2"] = result["j1"]["seconds"] / result["j2"]["seconds"]
    return result


def incremental_builds(tmp: Path) -> dict:
    """A cold build of a copy of the publication, a rebuild with nothing changed, and a
    rebuild after editing one paragraph of one chapter (which outputs render again)."""
    root = tmp / "incremental"
    shutil.copytree(PUBLICATION, root / "briefs" / PUBLICATION.name)
    shutil.copytree(ROOT / "references", root / "references")
    publication = root / "briefs" / PUBLICATION.name
    cmd = [
        sys.executable,
        "-m",
        "briefbuilder",
        "build",
        str(publication),
        "--all-languages",
        "--out",
        str(root / "out"),
    ]
    cold = run_timed(cmd)
    same = run_timed(cmd)
    chapter = publication / "chapters" / "protection.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("Rescue operation", "Rescue operation ", 1)
        if "Rescue operation" in text
        else text + "\nAn added paragraph.\n",
        encoding="utf-8",
    )
    edited = run_timed(cmd)
    rendered = sorted(
        k
        for k in _cli_pages(edited["stdout"])
        if not re.search(
            rf"/{re.escape(k.split('/')[0])}/{re.escape(k.split('/')[1])}\.pdf\s+\d+ pages\s+unchanged",
            edited["stdout"],
        )
    )
    result = {
        "cold_seconds": cold["seconds"],
        "unchanged_seconds": same["seconds"],
        "unchanged_ratio": same["seconds"] / cold["seconds"],
        "unchanged_rendered": len(re.findall(r"pages\s+[\d.]+ s", same["stdout"])),
        "edited_seconds": edited["seconds"],
        "edited_rendered": rendered,
    }
    log(
        f"  incremental: cold {cold['seconds']:.1f} s, unchanged {same['seconds']:.1f} s, "
        f"after an edit of protection.md {edited['seconds']:.1f} s ({len(rendered)} outputs rendered)"
    )
    return result


def _cli_pages(stdout: str) -> dict[str, int]:
    found = {}
    for match in re.finditer(r"/(\w+)/([\w-]+)\.pdf\s+(\d+) pages", stdout):
        found[f"{match.group(1)}/{match.group(2)}"] = int(match.group(3))
    return found


def _cli_seconds(stdout: str) -> dict[str, float]:
    return {
        f"{m.group(1)}/{m.group(2)}": float(m.group(3))
        for m in re.finditer(r"/(\w+)/([\w-]+)\.pdf\s+\d+ pages\s+([\d.]+) s", stdout)
    }


def parallel_editions(tmp: Path, repeat: int = 1) -> dict:
    """A full edition laid out on two cores (-j 2, BRIEFBUILDER_PARALLEL_CHAPTERS=1) against
    its one-document layout (-j 1), alternated, on the seed and on the synthetic long
    publication; and whether two -j 2 runs give the same bytes."""
    from synthetic import make_synthetic

    env = {**os.environ, "BRIEFBUILDER_PARALLEL_CHAPTERS": "1"}
    long_one = make_synthetic(tmp / "synthetic" / "synthetic")
    result: dict = {}
    for label, publication in (("seed", PUBLICATION), ("synthetic", long_one)):
        runs: dict[str, list[float]] = {"j1": [], "j2": []}
        outputs = []
        for index in range(repeat):
            for name, jobs in (("j1", "1"), ("j2", "2")):
                out = tmp / f"par-{label}-{name}-{index}"
                cmd = [sys.executable, "-m", "briefbuilder", "build", str(publication), "-e", "full"]
                cmd += ["-j", jobs, "--force", "--out", str(out)]
                started = time.perf_counter()
                subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
                runs[name].append(time.perf_counter() - started)
                if name == "j2":
                    outputs.append(next(out.rglob("full.pdf")).read_bytes())
        if len(outputs) < 2:  # one more -j 2 run for the reproducibility check
            out = tmp / f"par-{label}-j2-again"
            cmd = [sys.executable, "-m", "briefbuilder", "build", str(publication), "-e", "full"]
            subprocess.run(cmd + ["-j", "2", "--force", "--out", str(out)], cwd=ROOT, env=env, check=True)
            outputs.append(next(out.rglob("full.pdf")).read_bytes())
        import io as _io

        from pypdf import PdfReader

        pages = len(PdfReader(_io.BytesIO(outputs[0])).pages)
        j1, j2 = statistics.median(runs["j1"]), statistics.median(runs["j2"])
        result[label] = {
            "pages": pages,
            "j1_seconds": j1,
            "j2_seconds": j2,
            "ratio_j2_over_j1": j2 / j1,
            "byte_identical": all(o == outputs[0] for o in outputs),
            "runs": runs,
            "loadavg": os.getloadavg()[0],
        }
        log(f"  {label} full edition ({pages} pages): -j 1 {j1:.1f} s, -j 2 {j2:.1f} s, ratio {j2 / j1:.2f}")
    return result
