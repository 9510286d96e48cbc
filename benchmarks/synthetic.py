"""A long synthetic publication: the seed's chapters, copied ``copies`` times.

Long reports (global reports of 150-400 pages) are what the parallel layout of a full
edition is for; the seed's full edition has 42 pages. Each copy of a chapter gets its own
id, title and section ids, so links, bookmarks and the contents stay unambiguous. Ten
copies of the six chapters give a full edition of about 400 pages (409 in the README's
first measurement).

    python benchmarks/synthetic.py OUT_FOLDER [--copies 10]
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from common import BIBLIOGRAPHY, PUBLICATION


def make_synthetic(target: Path, copies: int = 11) -> Path:
    """Write the publication into ``target`` (replaced) and return its folder."""
    if target.exists():
        shutil.rmtree(target)
    (target / "chapters").mkdir(parents=True)
    shutil.copy(BIBLIOGRAPHY, target / "references.json")
    chapters = sorted((PUBLICATION / "chapters").glob("*.md"))
    order = re.findall(r"^\s+- (chapters/\S+\.md)", (PUBLICATION / "publication.yaml").read_text(), re.M)
    chapters = [PUBLICATION / name for name in order] or chapters
    listed = []
    for copy in range(1, copies + 1):
        for source in chapters:
            text = source.read_text(encoding="utf-8")
            blocks = re.findall(r"\{[^}\n]*\}", text)
            ids = {name for block in blocks for name in re.findall(r"#([\w-]+)", block)}
            ids |= set(re.findall(r"^id: ([\w-]+)", text, re.M))
            for name in sorted(ids, key=len, reverse=True):
                text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", f"{name}-{copy}", text)
            text = re.sub(r"^title: (.+)$", rf"title: \1 ({copy})", text, count=1, flags=re.M)
            # Headings without an id get one from their text: make those differ per copy too.
            text = re.sub(r"^(#{2,6} [^{\n]+?)\s*$", rf"\1 ({copy})", text, flags=re.M)
            name = f"chapters/{source.stem}-{copy}.md"
            (target / name).write_text(text, encoding="utf-8")
            listed.append(name)
    (target / "publication.yaml").write_text(
        "title: A long synthetic report\n"
        "subtitle: The seed publication's chapters, copied to the length of a global report\n"
        "short-title: Synthetic report\n"
        'date: "2020"\n'
        "lang: en\n"
        "abstract: The seed's chapters, copied.\n"
        "bibliography: references.json\n"
        "csl: chicago-notes-bibliography-subsequent-ibid\n"
        "chapters:\n" + "".join(f"  - {name}\n" for name in listed),
        encoding="utf-8",
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--copies", type=int, default=11)
    args = parser.parse_args()
    print(make_synthetic(args.out, args.copies))


if __name__ == "__main__":
    main()
