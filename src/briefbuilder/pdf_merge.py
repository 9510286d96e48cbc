"""Merge the PDFs of an edition's parts, laid out in parallel, into one PDF.

Each part (the front matter, then groups of consecutive chapters) is a complete tagged PDF
from WeasyPrint. Copying its pages is the easy part; what makes the result one document:

- the structure tree: one ``Document`` element whose children are every part's, in order;
  the keys of the ``ParentTree`` (``/StructParents`` of pages, ``/StructParent`` of link
  annotations) renumbered so that each part's follow the previous part's;
- the notes' ``/ID`` (``note-1``, ``note-2``... per part, see :mod:`.pdf_tags`) renumbered
  as one sequence, and one ``IDTree`` listing them;
- one ``Dests`` name tree: internal links are ``/Dest (name)``, so a citation in one part
  reaches the bibliography in another once the names are merged. A part lists the anchors
  it was lent for links that leave it (``borrowed``); those are not its to give;
- one outline: every part's top-level bookmarks in order;
- the catalog (language, PDF/A metadata and output intent, viewer preferences) and the
  document information of the first part, which all parts share.

qpdf (through pikepdf) copies objects from another PDF once per source, so a page and the
structure elements and bookmarks pointing at it stay joined; objects no longer reachable
(each part's own structure root) are not written. The output is deterministic: the same
parts give the same bytes (the file identifier is computed from the content).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

_NOTE_ID = re.compile(r"note-(\d+)")
# What each part brings that is rebuilt for the whole document rather than copied.
_REBUILT = {"/Type", "/Pages", "/Names", "/Outlines", "/StructTreeRoot"}


@dataclass(frozen=True)
class PartPdf:
    data: bytes
    borrowed: frozenset[str] = frozenset()  # anchors lent to the part for its outgoing links


def merge_parts(parts: list[PartPdf]) -> bytes:
    sources = [Pdf.open(io.BytesIO(part.data)) for part in parts]
    out = Pdf.new()
    first = sources[0]
    for key, value in first.Root.items():
        if key not in _REBUILT:
            out.Root[key] = _copy(out, value)
    out.docinfo = out.copy_foreign(first.docinfo) if first.docinfo.is_indirect else first.docinfo

    document: pikepdf.Object | None = None
    nums: list = []
    key_offset = 0
    note_offset = 0
    ids: dict[str, pikepdf.Object] = {}
    dests: dict[str, pikepdf.Object] = {}
    outline_items: list[pikepdf.Object] = []
    outline_count = 0
    for part, source in zip(parts, sources, strict=True):
        for page in source.pages:
            out.pages.append(page)
            copied = out.pages[-1].obj
            if "/StructParents" in copied:
                copied.StructParents = int(copied.StructParents) + key_offset
            for annot in copied.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + key_offset
        tree = source.Root.get("/StructTreeRoot")
        if tree is not None:
            keys = 0
            for number, value in _number_tree(tree.ParentTree):
                nums.extend([number + key_offset, _copy(out, value)])
                keys = max(keys, number + 1)
            key_offset += int(tree.get("/ParentTreeNextKey", keys))
            part_document = _copy(out, _single(tree.K))
            if document is None:
                document = part_document
            else:
                kids = _as_list(part_document.get("/K"))
                for kid in kids:
                    if isinstance(kid, Dictionary) and "/S" in kid:
                        kid.P = document
                document.K = Array([*_as_list(document.get("/K")), *kids])
            notes = 0
            if "/IDTree" in tree:
                for name, element in pikepdf.NameTree(tree.IDTree).items():
                    copied = _copy(out, element)
                    match = _NOTE_ID.fullmatch(name)
                    if match:
                        notes += 1
                        name = f"note-{int(match.group(1)) + note_offset}"
                        copied.ID = String(name)
                    ids.setdefault(name, copied)
            note_offset += notes
        names = source.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in pikepdf.NameTree(names.Dests).items():
                if name not in part.borrowed and name not in dests:
                    dests[name] = _copy(out, dest)
        outlines = source.Root.get("/Outlines")
        if outlines is not None and "/First" in outlines:
            item = outlines.First
            while True:
                outline_items.append(_copy(out, item))
                if "/Next" not in item:
                    break
                item = item.Next
            outline_count += int(outlines.get("/Count", 0))

    if document is not None:
        root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        for key in ("/Namespaces", "/RoleMap", "/ClassMap"):
            if key in first.Root.StructTreeRoot:
                root[key] = _copy(out, first.Root.StructTreeRoot[key])
        # The same form as the parts' (WeasyPrint writes an array of one Document).
        root.K = Array([document]) if isinstance(first.Root.StructTreeRoot.K, Array) else document
        document.P = root
        root.ParentTree = out.make_indirect(Dictionary(Nums=Array(nums)))
        root.ParentTreeNextKey = key_offset
        if ids:
            root.IDTree = Dictionary(Names=Array(_sorted_pairs(ids)))
        out.Root.StructTreeRoot = root
    if dests:
        out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=Array(_sorted_pairs(dests)))))
    if outline_items:
        top = out.make_indirect(Dictionary(Count=outline_count))
        for index, item in enumerate(outline_items):
            item.Parent = top
            if index:
                item.Prev = outline_items[index - 1]
            elif "/Prev" in item:
                del item.Prev
            if index + 1 < len(outline_items):
                item.Next = outline_items[index + 1]
            elif "/Next" in item:
                del item.Next
        top.First, top.Last = outline_items[0], outline_items[-1]
        out.Root.Outlines = top
    buffer = io.BytesIO()
    out.save(
        buffer,
        min_version=first.pdf_version,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,  # as WeasyPrint does: a third of the size
    )
    return buffer.getvalue()


def _copy(out: Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """``value`` in ``out``: indirect objects through qpdf's per-source copier (so that what
    was copied once, a page say, is the same object everywhere), direct ones rebuilt."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(out, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(out, item) for key, item in value.items()})
    return value


def _single(value: pikepdf.Object) -> pikepdf.Object:
    return value[0] if isinstance(value, Array) else value


def _as_list(value: pikepdf.Object | None) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def _number_tree(node: pikepdf.Object):  # type: ignore[no-untyped-def]
    """(key, value) of a number tree, in order (WeasyPrint writes one flat ``Nums``)."""
    if "/Nums" in node:
        values = list(node.Nums)
        for index in range(0, len(values), 2):
            yield int(values[index]), values[index + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


def _sorted_pairs(entries: dict[str, pikepdf.Object]) -> list:
    # Name trees are sorted by the bytes of their keys.
    pairs: list = []
    for name in sorted(entries, key=lambda n: n.encode("utf-8")):
        pairs.extend([String(name), entries[name]])
    return pairs
