"""Numbers of figures, tables and sections, per edition.

Figures, tables and equations are numbered 1, 2, ... through the blocks an edition shows, so that a
factsheet's "Figure 1" is the first figure of the factsheet. Sections are numbered by
chapter (the chapter's place in the edition) and heading level: "3", "3.2", "3.2.1";
headings with the class ``unnumbered`` (or ``-``) get no number, as in Pandoc.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Block, Chapter, Heading, Image, Table, walk_blocks


@dataclass
class Numbers:
    blocks: dict[int, str] = field(default_factory=dict)  # id() of a figure, table or heading
    targets: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (kind, number)
    chapters: dict[str, str] = field(default_factory=dict)  # chapter id -> number

    def of(self, block: object) -> str:
        return self.blocks.get(id(block), "")

    def in_digits(self, number: Callable[[str], str]) -> Numbers:
        """The same numbers written by ``number`` (the locale's digits, direction.py)."""
        return Numbers(
            {k: number(v) for k, v in self.blocks.items()},
            {k: (kind, number(v)) for k, (kind, v) in self.targets.items()},
            {k: number(v) for k, v in self.chapters.items()},
        )


def number_parts(parts: list[tuple[Chapter, list[Block]]]) -> Numbers:
    """Number what the given (chapter, shown blocks) pairs hold, in reading order."""
    numbers = Numbers()
    from .xref import equation_spans

    counts = {"fig": 0, "tbl": 0, "eq": 0}
    chapter_number = 0
    for chapter, blocks in parts:
        chapter_number += 1
        numbers.chapters[chapter.id] = str(chapter_number)
        for ident in (chapter.id, chapter.heading_id):
            if ident:
                numbers.targets.setdefault(ident, ("sec", str(chapter_number)))
        levels = [0] * 7
        for block in walk_blocks(blocks):
            for span in equation_spans(getattr(block, "inlines", None) or []):
                counts["eq"] += 1
                numbers.blocks[id(span)] = str(counts["eq"])
                numbers.targets.setdefault(span.attrs["id"], ("eq", str(counts["eq"])))
            if isinstance(block, Image | Table) and block.caption is not None:
                kind = "fig" if isinstance(block, Image) else "tbl"
                counts[kind] += 1
                numbers.blocks[id(block)] = str(counts[kind])
                if block.id:
                    numbers.targets.setdefault(block.id, (kind, str(counts[kind])))
            elif isinstance(block, Heading):
                if "unnumbered" in block.classes:
                    continue
                level = max(2, min(block.level, 6))
                levels[level] += 1
                levels[level + 1 :] = [0] * (6 - level)
                number = ".".join([str(chapter_number), *(str(n) for n in levels[2 : level + 1])])
                numbers.blocks[id(block)] = number
                if block.id:
                    numbers.targets.setdefault(block.id, ("sec", number))
    return numbers
