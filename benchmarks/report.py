"""Reporting: the tables on stdout."""

from __future__ import annotations

import statistics

from common import PUBLICATION, ROOT, SHORT, STAGES, WEASYPRINT_STAGES


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

    parallel = results.get("parallel_editions")
    if parallel:
        lines.append(
            "A full edition on two cores (-j 2, BRIEFBUILDER_PARALLEL_CHAPTERS=1) vs one document (-j 1), "
            "whole process"
        )
        for label, row in parallel.items():
            lines.append(
                f"  {label + ' (' + str(row['pages']) + ' pages)':<46}{row['j1_seconds']:>7.2f} s "
                f"{row['j2_seconds']:>7.2f} s   ratio {row['ratio_j2_over_j1']:.2f}, "
                f"{'byte-identical' if row['byte_identical'] else 'NOT byte-identical'} run to run"
            )
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
