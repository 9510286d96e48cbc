"""Test helpers: a compact text dump of the document tree, and PDF reading."""

from __future__ import annotations

from briefbuilder.model import (
    Block,
    Citation,
    Code,
    CodeBlock,
    CrossRef,
    DefinitionList,
    Div,
    Emph,
    Heading,
    Image,
    Inline,
    InlineImage,
    LineBlock,
    LineBreak,
    Link,
    ListBlock,
    Math,
    NoteRef,
    Paragraph,
    SoftBreak,
    Span,
    Strong,
    Styled,
    Table,
    Text,
)


def dump_inlines(nodes: list[Inline]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, SoftBreak):
            out.append(" ")
        elif isinstance(node, LineBreak):
            out.append("<br>")
        elif isinstance(node, Code):
            out.append(f"`{node.text}`" + "".join("{." + c + "}" for c in node.classes))
        elif isinstance(node, Styled):
            out.append(f"<{node.style}>{dump_inlines(node.children)}</{node.style}>")
        elif isinstance(node, Math):
            out.append(f"<{'display' if node.display else 'inline'}-math {node.tex}>")
        elif isinstance(node, Emph):
            out.append(f"<em>{dump_inlines(node.children)}</em>")
        elif isinstance(node, Strong):
            out.append(f"<strong>{dump_inlines(node.children)}</strong>")
        elif isinstance(node, Link):
            out.append(f"<link {node.url.replace(chr(0), ' ')}>{dump_inlines(node.children)}</link>")
        elif isinstance(node, Span):
            attrs = " ".join([*("." + c for c in node.classes), *(f"{k}={v}" for k, v in node.attrs.items())])
            out.append(f"<span {attrs}>{dump_inlines(node.children)}</span>")
        elif isinstance(node, Citation):
            items = "; ".join(
                f"{i.prefix + ' ' if i.prefix else ''}{'-' if i.suppress_author else ''}@{i.key}"
                f"{' ' + i.label + '=' + i.locator if i.locator else ''}{' +' + i.suffix if i.suffix else ''}"
                for i in node.items
            )
            out.append(f"<cite{' narrative' if node.narrative else ''} {items}>")
        elif isinstance(node, NoteRef):
            body = " | ".join(dump_block(b, 0).strip() for b in node.note.blocks)
            out.append(f"<note {body}>")
        else:
            out.append(dump_figure_inline(node))
    return "".join(out)


def dump_figure_inline(node: Inline) -> str:
    """Cross-references and inline images (the table and figure plugins' inlines)."""
    if isinstance(node, CrossRef):
        flags = "".join(
            [" bare" if node.bare else "", " capital" if node.capital else "", " +" if node.continues else ""]
        )
        return f"<xref {node.kind} {node.target}{flags}>"
    if isinstance(node, InlineImage):
        attrs = "".join(f" {k}={v}" for k, v in node.attrs.items())
        return f"<img {node.src} alt={node.alt}{attrs}>"
    return ""


def dump_table(block: Table, pad: str) -> str:
    ident = f" #{block.id}" if block.id else ""
    aligns = ",".join(a or "-" for a in block.aligns)
    widths = " widths=" + ",".join(f"{w:.2f}" for w in block.widths) if block.widths else ""
    text = f"{pad}table {block.kind}@{block.location.line}{ident} [{aligns}]{widths}\n"
    if block.caption is not None:
        text += f"{pad}  caption@{block.caption.location.line}: {dump_inlines(block.caption.inlines)}\n"
    for part, rows in (("thead", block.head), ("tbody", block.body)):
        for row in rows:
            text += f"{pad}  {part} tr@{row.location.line}\n"
            for cell in row.cells:
                if len(cell.blocks) == 1 and isinstance(cell.blocks[0], Paragraph):
                    text += f"{pad}    cell: {dump_inlines(cell.blocks[0].inlines)}\n"
                else:
                    text += f"{pad}    cell\n" + "".join(
                        dump_block(b, len(pad) // 2 + 3) for b in cell.blocks
                    )
    return text


def dump_block(block: Block, depth: int = 0) -> str:
    pad = "  " * depth
    line = block.location.line
    if isinstance(block, Paragraph):
        return f"{pad}p@{line}: {dump_inlines(block.inlines)}\n"
    if isinstance(block, Heading):
        attrs = (f" #{block.id}" if block.id else "") + "".join(f" .{c}" for c in block.classes)
        return f"{pad}h{block.level}@{line}{attrs}: {dump_inlines(block.inlines)}\n"
    if isinstance(block, ListBlock):
        kind = f"ol {block.style} {block.delimiter} start={block.start}" if block.ordered else "ul"
        text = f"{pad}{kind}@{line}\n"
        for item in block.items:
            box = {None: "", True: " [x]", False: " [ ]"}[item.checked]
            text += f"{pad}  li@{item.location.line}{box}\n" + "".join(
                dump_block(b, depth + 2) for b in item.blocks
            )
        return text
    if isinstance(block, Div):
        attrs = " ".join(
            [
                *("." + c for c in block.classes),
                *(["#" + block.id] if block.id else []),
                *(f'{k}="{v}"' for k, v in block.attrs.items()),
            ]
        )
        return f"{pad}div@{line} {attrs}\n" + "".join(dump_block(b, depth + 1) for b in block.blocks)
    if isinstance(block, CodeBlock):
        attrs = (f" #{block.id}" if block.id else "") + "".join(f" .{c}" for c in block.classes)
        return f"{pad}code@{line}{attrs}: {block.text!r}\n"
    if isinstance(block, DefinitionList):
        text = f"{pad}dl@{line}\n"
        for entry in block.items:
            text += f"{pad}  dt@{entry.location.line}: {dump_inlines(entry.term)}\n"
            for definition in entry.definitions:
                text += f"{pad}  dd\n" + "".join(dump_block(b, depth + 2) for b in definition)
        return text
    if isinstance(block, LineBlock):
        return f"{pad}lines@{line}\n" + "".join(dump_block(b, depth + 1) for b in block.lines)
    if isinstance(block, Image):
        extra = (f" #{block.id}" if block.id else "") + "".join(f" {k}={v}" for k, v in block.attrs.items())
        caption = f" caption={dump_inlines(block.caption.inlines)}" if block.caption else ""
        return f"{pad}img@{line}: {block.src} alt={block.alt}{extra}{caption}\n"
    if isinstance(block, Table):
        return dump_table(block, pad)
    return f"{pad}{type(block).__name__.lower()}@{line}\n"


def dump(blocks: list[Block]) -> str:
    return "".join(dump_block(b) for b in blocks)


def read_fixture_cases(path):
    """markdown-it-py style fixtures: name, '.', input, '.', expected, '.'."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        name = lines[index]
        assert lines[index + 1] == ".", f"{path}:{index + 2}: expected '.'"
        end_input = lines.index(".", index + 2)
        end_expected = lines.index(".", end_input + 1)
        cases.append(
            (
                name,
                index + 1,
                "\n".join(lines[index + 2 : end_input]) + "\n",
                "\n".join(lines[end_input + 1 : end_expected]) + "\n",
            )
        )
        index = end_expected + 1
    return cases


def run_briefbuilder(*args: str, cwd=None):  # type: ignore[no-untyped-def]
    """The command line as a user runs it: a subprocess, its exit code and output."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "briefbuilder", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=300,
    )
