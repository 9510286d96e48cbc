"""How full the short editions' pages are, how many layouts auto-fit made, in every language.

    PYTHONPATH=src .venv/bin/python benchmarks/short_editions.py [PUBLICATION ...]

Builds every brief and factsheet of each publication (default: the seed) in each of its
languages into a temporary folder and prints one Markdown table row per output: pages,
each page's fill measured from the PDF (tests/pagefill.py), layouts, type size, words.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from briefbuilder.compose import resolve_editions  # noqa: E402
from briefbuilder.load import load_publication  # noqa: E402
from briefbuilder.pipeline import build_edition  # noqa: E402
from pagefill import page_fills  # noqa: E402

from pdfread import page_texts  # noqa: E402

MARGINS = {"brief": (14, 16), "factsheet": (14, 18)}


def main(paths: list[str]) -> None:
    print("| publication | edition | lang | pages | fill per page | layouts | words | s |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as out:
        for path in paths or [str(ROOT / "briefs" / "collateral-damage")]:
            publication = load_publication(Path(path))
            for lang in [publication.lang, *publication.config.translations]:
                for config in resolve_editions(publication):
                    if config.layout not in MARGINS:
                        continue
                    started = time.perf_counter()
                    result = build_edition(publication, config, lang, Path(out))
                    seconds = time.perf_counter() - started
                    fills = " / ".join(f"{f:.0%}" for f in page_fills(result.path, *MARGINS[config.layout]))
                    words = len(re.findall(r"\w+(?:[’'-]\w+)*", " ".join(page_texts(result.path))))
                    print(
                        f"| {publication.id} | {config.name} | {lang} | {result.pages} | {fills} "
                        f"| {result.passes} | {words} | {seconds:.1f} |"
                    )


if __name__ == "__main__":
    main(sys.argv[1:])
