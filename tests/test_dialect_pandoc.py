"""The differential test: briefbuilder reads Pandoc's Markdown the way Pandoc 3 reads it.

How to add a case (the convention of ``tests/fixtures/dialect/``):

* ``<name>.md`` is a document written for this project (no front matter): one construct per
  file, or a few related ones. Pandoc reads it (``pandoc -f markdown -t json``, one process
  per file) and briefbuilder reads it (``briefbuilder.load.parse_document``: parsed as the
  one chapter of a publication, automatic ids assigned, references resolved). Both are
  reduced to a sequence of ``(kind, text)`` pairs, which must be equal; the assertion shows
  both sequences, so a difference reads construct by construct.
* ``kind`` is Pandoc's block constructor (``Para``, ``Header``, ``Table``, ``Figure``,
  ``BulletList``, ``OrderedList``, ``BlockQuote``, ``CodeBlock``, ``Div``,
  ``HorizontalRule``, ``DefinitionList``, ``LineBlock``, ...; ``Plain`` counts as ``Para``).
  A container gives its own pair, then its contents' pairs in order: a list gives ``Item``
  pairs, a table gives its caption in its own text and then one ``Cell`` pair per cell,
  row by row, head first.
* ``text`` is the visible text, white space collapsed; a heading adds `` #id`` (so automatic
  identifiers are compared), a link adds ``<url>``, a citation or cross-reference is
  ``@key``, a note is left out (its paragraphs are not blocks of the text), a table adds its
  column alignments (``l``, ``r``, ``c``, ``d``).
* A construct briefbuilder refuses: put ``<name>.refused`` beside ``<name>.md``, one
  expected message fragment per line; each must appear in a problem that briefbuilder
  reports at a line of the file, and Pandoc is not consulted. Every refused construct has a
  row in the README's "Markdown dialect" table saying so.
* A new block class in ``briefbuilder.model``: add its reduction to ``_bb_block`` (and to
  ``_pandoc_block`` if Pandoc's JSON needs more than the generic handling).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefbuilder import model
from briefbuilder.load import parse_document
from briefbuilder.typography import smarten

from pandoc_bin import pandoc_path, run_pandoc

FIXTURES = Path(__file__).parent / "fixtures" / "dialect"
CASES = sorted(FIXTURES.glob("*.md"))
Pair = tuple[str, str]

pytestmark = pytest.mark.skipif(pandoc_path() is None, reason="no pandoc (pypandoc-binary)")


def _squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- Pandoc's JSON AST

_ALIGN = {"AlignLeft": "l", "AlignRight": "r", "AlignCenter": "c", "AlignDefault": "d"}


def _pandoc_inlines(nodes: list[dict[str, Any]]) -> str:
    out = []
    for index, node in enumerate(nodes):
        kind, content = node["t"], node.get("c")
        if kind == "Str" and _is_equation_label(nodes, index):
            continue  # pandoc-crossref's '$$ ... $$ {#eq:id}': the filter takes it as the label
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(_pandoc_inlines(content))
        elif kind == "Span":
            out.append(_pandoc_inlines(content[1]))
        elif kind == "Quoted":
            mark = "\u201c\u201d" if content[0]["t"] == "DoubleQuote" else "\u2018\u2019"
            out.append(mark[0] + _pandoc_inlines(content[1]) + mark[1])
        elif kind == "Link":
            out.append(f"{_pandoc_inlines(content[1])}<{content[2][0]}>")
        elif kind == "Image":
            out.append(_pandoc_inlines(content[1]))
        elif kind in ("Code", "Math"):
            out.append(content[1])
        elif kind == "Cite":
            out.append(";".join("@" + c["citationId"] for c in content[0]))
        # Note and RawInline (comments, TeX): not part of the running text.
    return "".join(out)


def _is_equation_label(nodes: list[dict[str, Any]], index: int) -> bool:
    text = nodes[index].get("c", "")
    if not (text.startswith("{#eq:") and text.endswith("}")):
        return False
    before = [n for n in nodes[:index] if n["t"] != "Space"]
    return bool(before) and before[-1]["t"] == "Math" and before[-1]["c"][0]["t"] == "DisplayMath"


def _attr_text(attr: list[Any]) -> str:
    ident, classes, _ = attr
    return "".join([f" #{ident}" if ident else "", *(f" .{c}" for c in classes)])


def _pandoc_blocks(blocks: list[dict[str, Any]]) -> list[Pair]:
    pairs: list[Pair] = []
    for block in blocks:
        pairs.extend(_pandoc_block(block))
    return pairs


def _pandoc_caption(caption: list[Any]) -> str:
    return _squash(" ".join(_pandoc_inlines(b["c"]) for b in caption[1] if b["t"] in ("Para", "Plain")))


def _pandoc_block(block: dict[str, Any]) -> list[Pair]:
    kind, content = block["t"], block.get("c")
    if kind in ("Para", "Plain"):
        return [("Para", _squash(_pandoc_inlines(content)))]
    if kind == "Header":
        return [("Header", _squash(_pandoc_inlines(content[2])) + f" #{content[1][0]}")]
    if kind == "Figure":
        return [("Figure", _pandoc_caption(content[1]) + _attr_text(content[0]))]
    if kind == "Table":
        attr, caption, colspecs, head, bodies, _foot = content
        aligns = ",".join(_ALIGN[spec[0]["t"]] for spec in colspecs)
        pairs = [("Table", f"{_pandoc_caption(caption)}{_attr_text(attr)} [{aligns}]")]
        rows = [*head[1]] + [row for body in bodies for row in body[2] + body[3]]
        for row in rows:
            for cell in row[1]:
                pairs.append(("Cell", _squash(" ".join(t for _, t in _pandoc_blocks(cell[4])))))
        return pairs
    if kind in ("BulletList", "OrderedList"):
        items = content if kind == "BulletList" else content[1]
        head = "" if kind == "BulletList" else f"start={content[0][0]}"
        pairs = [(kind, head)]
        for item in items:
            pairs.append(("Item", ""))
            pairs.extend(_pandoc_blocks(item))
        return pairs
    if kind == "BlockQuote":
        return [("BlockQuote", ""), *_pandoc_blocks(content)]
    if kind == "Div":
        return [("Div", _attr_text(content[0]).strip()), *_pandoc_blocks(content[1])]
    if kind == "CodeBlock":
        return [("CodeBlock", _squash(content[1]))]
    if kind == "HorizontalRule":
        return [("HorizontalRule", "")]
    if kind == "RawBlock":
        fmt, text = content
        # briefbuilder ignores HTML comments and drops raw TeX (with a warning), as Pandoc
        # does for output formats those are not written in.
        if (fmt == "html" and text.strip().startswith("<!--")) or fmt in ("tex", "latex"):
            return []
        return [("RawBlock", fmt)]
    return [(kind, "")]


def pandoc_pairs(path: Path) -> list[Pair]:
    document = json.loads(run_pandoc(["-f", "markdown", "-t", "json"], path.read_text(encoding="utf-8")))
    return _pandoc_blocks(document["blocks"])


# ---------------------------------------------------------------- briefbuilder's tree


def _bb_inlines(nodes: list[model.Inline], smart: bool = True) -> str:
    if smart:
        # Smart punctuation is applied when the text is rendered (sources keep what was typed).
        nodes = smarten(nodes, "en")
    out = []
    for node in nodes:
        if isinstance(node, model.Text):
            out.append(node.text)
        elif isinstance(node, model.SoftBreak | model.LineBreak):
            out.append(" ")
        elif isinstance(node, model.Code):
            out.append(node.text)
        elif isinstance(node, model.Link):
            out.append(f"{_bb_inlines(node.children, False)}<{node.url}>")
        elif isinstance(node, model.Citation):
            out.append(";".join("@" + item.key for item in node.items))
        elif isinstance(node, model.CrossRef):
            target = node.target[:1].upper() + node.target[1:] if node.capital else node.target
            out.append((";@" if node.continues else "@") + target)
        elif isinstance(node, model.InlineImage):
            out.append(node.alt)
        elif isinstance(node, model.NoteRef):
            continue
        elif isinstance(getattr(node, "children", None), list):
            out.append(_bb_inlines(node.children, False))  # type: ignore[union-attr]
        elif hasattr(node, "tex"):
            out.append(str(node.tex))  # math: its TeX, as Pandoc's Math node
        elif hasattr(node, "text"):
            out.append(str(node.text))
    return "".join(out)


def _bb_blocks(blocks: list[model.Block]) -> list[Pair]:
    pairs: list[Pair] = []
    for block in blocks:
        pairs.extend(_bb_block(block))
    return pairs


def _caption(block: model.Table | model.Image) -> str:
    return _squash(_bb_inlines(block.caption.inlines)) if block.caption else ""


def _bb_block(block: model.Block) -> list[Pair]:
    if isinstance(block, model.Paragraph):
        return [("Para", _squash(_bb_inlines(block.inlines)))]
    if isinstance(block, model.Heading):
        return [("Header", _squash(_bb_inlines(block.inlines)) + f" #{block.id}")]
    if isinstance(block, model.Image):
        return [("Figure", _caption(block) + (f" #{block.id}" if block.id else ""))]
    if isinstance(block, model.Table):
        aligns = ",".join({"left": "l", "right": "r", "center": "c"}.get(a, "d") for a in block.aligns)
        ident = "".join([f" #{block.id}" if block.id else "", *(f" .{c}" for c in block.classes)])
        pairs = [("Table", f"{_caption(block)}{ident} [{aligns}]")]
        for row in block.rows:
            for cell in row.cells:
                pairs.append(("Cell", _squash(" ".join(t for _, t in _bb_blocks(cell.blocks)))))
        return pairs
    if isinstance(block, model.ListBlock):
        kind = "OrderedList" if block.ordered else "BulletList"
        pairs = [(kind, f"start={block.start}" if block.ordered else "")]
        for item in block.items:
            pairs.append(("Item", ""))
            inner = _bb_blocks(item.blocks)
            checked = getattr(item, "checked", None)
            if checked is not None and inner and inner[0][0] == "Para":
                # Pandoc writes a task item's box as a character of its text.
                inner[0] = ("Para", ("\u2612 " if checked else "\u2610 ") + inner[0][1])
            pairs.extend(inner)
        return pairs
    if isinstance(block, model.BlockQuote):
        return [("BlockQuote", ""), *_bb_blocks(block.blocks)]
    if isinstance(block, model.Div):
        attrs = "".join([f" #{block.id}" if block.id else "", *(f" .{c}" for c in block.classes)])
        return [("Div", attrs.strip()), *_bb_blocks(block.blocks)]
    if isinstance(block, model.CodeBlock):
        return [("CodeBlock", _squash(block.text))]
    if isinstance(block, model.ThematicBreak):
        return [("HorizontalRule", "")]
    return [(type(block).__name__, "")]


# ---------------------------------------------------------------- the comparison


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_briefbuilder_reads_it_as_pandoc_does(path: Path) -> None:
    blocks, problems = parse_document(path.read_text(encoding="utf-8"), path)
    refused = path.with_suffix(".refused")
    if refused.is_file():
        expected = [line.strip() for line in refused.read_text(encoding="utf-8").splitlines() if line.strip()]
        reported = [f"{p.location.line}: {p.message}" for p in problems]
        for fragment in expected:
            assert any(fragment in message for message in reported), (fragment, reported)
        assert all(p.location.line >= 1 for p in problems)
        return
    assert [str(p) for p in problems] == []
    assert _bb_blocks(blocks) == pandoc_pairs(path)


def test_every_fixture_is_a_case() -> None:
    # A .refused file without its document would silently test nothing.
    for sidecar in FIXTURES.glob("*.refused"):
        assert sidecar.with_suffix(".md").is_file(), sidecar
    assert len(CASES) >= 8
