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
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the harness's own modules

from common import PUBLICATION, ROOT, list_outputs, log  # noqa: E402
from measure import (  # noqa: E402
    incremental_builds,
    machine_facts,
    parallel_editions,
    profile,
    stage_benchmarks,
    whole_builds,
    worker,
)
from peer import comparison  # noqa: E402
from report import report  # noqa: E402


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
    parser.add_argument(
        "--skip-peer", action="store_true", help="skip the pandoc comparison (the slowest whole-process part)"
    )
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
            if not args.skip_peer:
                log("briefbuilder vs pandoc + weasyprint")
                results["comparison"] = comparison(args.repeat, tmp)
            log("full editions on two cores against one document")
            results["parallel_editions"] = parallel_editions(tmp)
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
