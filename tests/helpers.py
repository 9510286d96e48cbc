"""Test helpers: a compact text dump of the document tree, and PDF reading."""

from __future__ import annotations

from briefbuilder.model import (
    Block,
    Citation,
    Code,
    CodeBlock,
    DefinitionList,
    Div,
    Emph,
    Heading,
    Image,
    Inline,
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
            out.append(f"<link {node.url}>{dump_inlines(node.children)}</link>")
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
    return "".join(out)


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
        return f"{pad}img@{line}: {block.src} alt={block.alt}\n"
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
