"""The full edition's typography figures, read from a PDF: mean characters per full body line
(the measure) and the pages whose running text ends in an automatic hyphen (U+2010).

    python benchmarks/typography_figures.py build/collateral-damage/en/full.pdf ...
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter

import pdfplumber


def figures(path: str) -> tuple[float, list[int]]:
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text_lines(return_chars=True) for page in pdf.pages]
    sizes = Counter(round(c["size"], 1) for lines in pages[4:] for line in lines for c in line["chars"])
    body = sizes.most_common(1)[0][0]

    def size(line: dict) -> float:  # type: ignore[type-arg]
        return Counter(round(c["size"], 1) for c in line["chars"]).most_common(1)[0][0]

    lines = [[line for line in page if line["chars"] and size(line) == body] for page in pages]
    widest = max(line["x1"] - line["x0"] for page in lines for line in page)
    full = [len(line["text"]) for page in lines for line in page if line["x1"] - line["x0"] > 0.9 * widest]
    hyphen_ends = [
        n for n, page in enumerate(lines[:-1], 1) if page and page[-1]["text"].rstrip().endswith("\u2010")
    ]
    return statistics.mean(full), hyphen_ends


if __name__ == "__main__":
    for name in sys.argv[1:]:
        mean, ends = figures(name)
        print(f"{name}: {mean:.1f} characters per full line; pages ending in a hyphen: {ends}")
