"""The peer route: what a user would run without briefbuilder (``pandoc --citeproc`` to
standalone HTML, then WeasyPrint) against ``briefbuilder build --edition full``, both as
whole cold processes, alternated."""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import time
from pathlib import Path

from common import (
    BIBLIOGRAPHY,
    ROOT,
    _page_count,
    _process_figures,
    build_command,
    chapter_files,
    csl_file,
    log,
    run_timed,
)


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
