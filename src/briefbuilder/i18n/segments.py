"""Translatable segments of a publication, each with a stable id (the PO ``msgctxt``).

Ids look like ``prevention:dont-buy-sex:p3`` (chapter, section, kind and number). They are
kept in ``translations/segments.lock`` with a hash of the source text, so that an id
survives reordering and edits elsewhere: a segment keeps its id when its text is unchanged
(wherever it moved within its section), and an edited segment takes over the id of the
segment it replaced at the same place, which marks its translation fuzzy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Location, Problem
from ..model import (
    Block,
    Chapter,
    Citation,
    DefinitionItem,
    DefinitionList,
    Div,
    Heading,
    Image,
    Inline,
    LineBlock,
    ListBlock,
    NoteRef,
    Paragraph,
    Publication,
    Table,
    Text,
)
from ..paths import PathRefused, input_file, read_text_bounded, write_atomically
from .placeholders import Encoded, encode

LOCK_NAME = "segments.lock"


@dataclass
class Site:
    """One translatable place in a (copied) publication tree."""

    group: str  # chapter:section:kind, the id without its number
    kind: str
    location: Location
    encoded: Encoded
    apply: Callable[[list[Inline]], None]
    context: str  # for the translator: chapter and section
    id: str = ""
    plain: bool = False  # a metadata string, not Markdown inlines
    owner: object = None  # the block, chapter or configuration the text belongs to

    @property
    def text(self) -> str:
        return self.encoded.text

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:12]

    @property
    def words(self) -> int:
        return len(re.sub(r"<[^>]*>", " ", self.text).split())


def _string_site(
    group: str, kind: str, where: Location, value: str, setter, context: str, owner=None
) -> Site:  # type: ignore[no-untyped-def]
    return Site(group, kind, where, encode([Text(value)]), setter, context, plain=True, owner=owner)


def publication_sites(publication: Publication) -> Iterator[Site]:
    """Every translatable place, in reading order."""
    config = publication.config
    where = config.location
    for key in ("title", "subtitle", "short_title", "abstract", "call_to_action"):
        value = getattr(config, key)
        if value and not (key == "short_title" and value == config.title):
            kind = key.replace("_", "-")
            yield _string_site(
                "publication::" + kind,
                kind,
                where,
                value,
                _setter(config, key),
                "publication metadata",
                config,
            )
    for index, message in enumerate(config.key_messages):
        yield _string_site(
            "publication::key-message",
            "key-message",
            where,
            message,
            _list_setter(config.key_messages, index),
            "publication metadata",
            config,
        )
    for chapter in publication.chapters:
        yield from chapter_sites(chapter)


class _StringValue(str):
    """A translated metadata string; ``lang`` set when it fell back to the source language."""

    lang: str = ""

    def __html__(self) -> str:
        from markupsafe import escape

        text = str(escape(str(self)))
        if self.lang:
            return f'<span lang="{escape(self.lang)}" class="untranslated">{text}</span>'
        return text


def _setter(obj, attribute: str):  # type: ignore[no-untyped-def]
    def set_text(inlines: list[Inline]) -> None:
        value = inlines_to_string(inlines)
        # A short title that is the title itself follows the title into the translation.
        if attribute == "title" and getattr(obj, "short_title", None) == obj.title:
            obj.short_title = value
        setattr(obj, attribute, value)

    return set_text


def inlines_to_string(inlines: list[Inline]) -> str:
    from ..render_html import plain_text

    lang = next((n.attrs.get("lang", "") for n in inlines if hasattr(n, "attrs")), "")
    value = _StringValue(plain_text(inlines))
    value.lang = lang
    return value


def chapter_sites(chapter: Chapter) -> Iterator[Site]:
    base = chapter.id
    context = f"chapter '{chapter.title}'"
    yield _string_site(
        f"{base}::title",
        "title",
        chapter.location,
        chapter.title,
        _setter(chapter, "title"),
        context,
        chapter,
    )
    if chapter.short_title and chapter.short_title != chapter.title:
        yield _string_site(
            f"{base}::short-title",
            "short-title",
            chapter.location,
            chapter.short_title,
            _setter(chapter, "short_title"),
            context,
            chapter,
        )
    if chapter.summary:
        yield _string_site(
            f"{base}::summary",
            "summary",
            chapter.location,
            chapter.summary,
            _setter(chapter, "summary"),
            context,
            chapter,
        )
    for measure in chapter.measures:
        group = f"{base}:{measure.section}:"
        yield _string_site(
            group + "what", "what", measure.location, measure.what, _setter(measure, "what"), context, chapter
        )
        for index, harm in enumerate(measure.harms):
            yield _string_site(
                group + "harm",
                "harm",
                measure.location,
                harm,
                _list_setter(measure.harms, index),
                context,
                chapter,
            )
    yield from _block_sites(chapter.blocks, base, "", context)


def _list_setter(values: list[str], index: int):  # type: ignore[no-untyped-def]
    def set_text(inlines: list[Inline]) -> None:
        values[index] = inlines_to_string(inlines)

    return set_text


def _block_sites(blocks: list[Block], chapter: str, section: str, context: str) -> Iterator[Site]:
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 2 and block.id:
                section = block.id
            yield _inline_site(block, "h", chapter, section, context)
        elif isinstance(block, Paragraph):
            yield _inline_site(block, "p", chapter, section, context)
            yield from _note_sites(block, chapter, section, context)
        elif isinstance(block, ListBlock):
            for item in block.items:
                for inner in item.blocks:
                    if isinstance(inner, Paragraph):
                        yield _inline_site(inner, "li", chapter, section, context)
                        yield from _note_sites(inner, chapter, section, context)
                    else:
                        yield from _block_sites([inner], chapter, section, context)
        elif isinstance(block, DefinitionList):
            for entry in block.items:
                yield _inline_site(entry, "dt", chapter, section, context)
                for definition in entry.definitions:
                    yield from _block_sites(definition, chapter, section, context)
        elif isinstance(block, LineBlock):
            for line in block.lines:
                yield _inline_site(line, "line", chapter, section, context)
                yield from _note_sites(line, chapter, section, context)
        elif isinstance(block, Div):
            for attribute, kind in (("title", "box-title"), ("brief", "box-brief"), ("cite", "quote-cite")):
                if block.attrs.get(attribute):
                    yield _string_site(
                        f"{chapter}:{section}:{kind}",
                        kind,
                        block.location,
                        block.attrs[attribute],
                        _attr_setter(block, attribute),
                        context + f", {block.kind} box",
                        block,
                    )
            yield from _block_sites(block.blocks, chapter, section, context + f", {block.kind} box")
        elif isinstance(block, Table | Image):
            yield from _figure_sites(block, chapter, section, context)


def _figure_sites(block: Table | Image, chapter: str, section: str, context: str) -> Iterator[Site]:
    """A table's caption and cells, a figure's caption: each cell is a segment of its own."""
    kind = "table" if isinstance(block, Table) else "figure"
    if block.caption is not None:
        yield _inline_site(block.caption, f"{kind}-caption", chapter, section, context + f", a {kind}")
        yield from _note_sites(block.caption, chapter, section, context)
    if isinstance(block, Table):
        for row in block.rows:
            for cell in row.cells:
                for inner in cell.blocks:
                    if isinstance(inner, Paragraph):
                        if not any(c.isalpha() for c in _visible(inner)):
                            continue  # figures alone ("1200", "12 %") need no translator
                        yield _inline_site(inner, "cell", chapter, section, context + ", a table cell")
                        yield from _note_sites(inner, chapter, section, context)
                    else:
                        yield from _block_sites([inner], chapter, section, context + ", a table cell")


def _visible(block: Paragraph) -> str:
    from ..render_html import plain_text

    return plain_text(block.inlines)


def _attr_setter(block: Div, attribute: str):  # type: ignore[no-untyped-def]
    def set_text(inlines: list[Inline]) -> None:
        block.attrs[attribute] = inlines_to_string(inlines)

    return set_text


def _inline_site(
    block: Paragraph | Heading | DefinitionItem, kind: str, chapter: str, section: str, context: str
) -> Site:
    attribute = "term" if isinstance(block, DefinitionItem) else "inlines"

    def apply(inlines: list[Inline]) -> None:
        setattr(block, attribute, inlines)

    where = f"{context}, section '{section}'" if section else context
    return Site(
        f"{chapter}:{section}:{kind}",
        kind,
        block.location,
        encode(getattr(block, attribute)),
        apply,
        where,
        owner=block,
    )


def _note_sites(owner: Block, chapter: str, section: str, context: str) -> Iterator[Site]:
    """The notes called in a block, and the words around its citations ("see", "see also")."""
    inlines = owner.inlines if isinstance(owner, Paragraph | Heading) else []
    yield from _affix_sites(inlines, owner, chapter, section, context)
    for node in _walk_inlines(inlines):
        if isinstance(node, NoteRef):
            for inner in node.note.blocks:
                if isinstance(inner, Paragraph):
                    site = _inline_site(inner, "note", chapter, section, context + ", a note")
                    site.location = node.note.location
                    site.owner = owner
                    yield site
                    yield from _affix_sites(inner.inlines, owner, chapter, section, context + ", a note")


def _affix_sites(
    inlines: list[Inline], owner: Block, chapter: str, section: str, context: str
) -> Iterator[Site]:
    for node in _walk_inlines(inlines):
        if not isinstance(node, Citation):
            continue
        for item in node.items:
            for attribute, kind in (("prefix", "cite-prefix"), ("suffix", "cite-suffix")):
                value = getattr(item, attribute)
                if value and any(c.isalpha() for c in value):
                    yield _string_site(
                        f"{chapter}:{section}:{kind}",
                        kind,
                        node.location,
                        value,
                        _item_setter(item, attribute),
                        context + ", words around a citation",
                        owner,
                    )


def _item_setter(item, attribute: str):  # type: ignore[no-untyped-def]
    def set_text(inlines: list[Inline]) -> None:
        setattr(item, attribute, str(inlines_to_string(inlines)))

    return set_text


def _walk_inlines(inlines: list[Inline]) -> Iterator[Inline]:
    for node in inlines:
        yield node
        children = getattr(node, "children", None)
        if children:
            yield from _walk_inlines(children)


# ---------------------------------------------------------------- ids


def read_lock(folder: Path) -> dict[str, str]:
    """The lock beside the catalogues; a lock that cannot be used is a problem, never ignored
    (its ids would silently be given out again)."""
    path = folder / LOCK_NAME
    if not os.path.lexists(path):
        return {}
    try:
        text = read_text_bounded(input_file(path, [folder.parent], what="segment lock"))
        data = json.loads(text)
    except PathRefused as exc:
        raise _lock_error(path, exc.reason) from None
    except UnicodeDecodeError as exc:
        raise _lock_error(path, f"segment lock is not UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise _lock_error(path, f"broken segment lock: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise _lock_error(path, "broken segment lock: nested too deeply") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise _lock_error(path, "broken segment lock: expected an object of segment ids to hashes")
    return data


def _lock_error(path: Path, message: str, line: int = 0) -> InputError:
    return InputError([Problem(Location(path, line), message, show_source=bool(line))])


def write_lock(folder: Path, sites: list[Site]) -> None:
    data = {site.id: site.digest for site in sites}
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    write_translation_file(folder / LOCK_NAME, text)


def write_translation_file(path: Path, text: str) -> None:
    """Write beside the catalogues atomically, never through a link out of the publication."""
    try:
        write_atomically(text.encode("utf-8"), path, root=path.parent.parent)
    except PathRefused as exc:
        raise InputError([Problem(Location(path), exc.reason, show_source=False)]) from None


def _split_id(segment_id: str) -> tuple[str, int]:
    match = re.match(r"^(.*?)(\d+)$", segment_id)
    if not match:
        return segment_id, 0
    return match.group(1), int(match.group(2))


def assign_ids(sites: list[Site], lock: dict[str, str]) -> list[Site]:
    """Give every site its stable id, reusing the lock's ids as the module docstring says."""
    locked: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for segment_id, digest in lock.items():
        group, number = _split_id(segment_id)
        locked[group].append((number, segment_id, digest))
    by_group: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        by_group[site.group].append(site)
    for group, members in by_group.items():
        available = sorted(locked.get(group, []))
        taken: set[str] = set()
        for site in members:  # unchanged text keeps its id, wherever it moved
            for _, segment_id, digest in available:
                if digest == site.digest and segment_id not in taken:
                    site.id = segment_id
                    taken.add(segment_id)
                    break
        free = [entry for entry in available if entry[1] not in taken]
        for site in members:  # an edited segment takes the id of the one it replaced
            if not site.id and free:
                site.id = free.pop(0)[1]
        highest = max([n for n, _, _ in available] + [0])
        for site in members:
            if not site.id:
                highest += 1
                site.id = f"{group}{highest}"
    return sites


def translation_folder(publication: Publication) -> Path:
    return publication.root / "translations"


def segments_of(publication: Publication) -> list[Site]:
    """The publication's sites with their ids (the lock is read, never written here)."""
    sites = list(publication_sites(publication))
    return assign_ids(sites, read_lock(translation_folder(publication)))


__all__ = ["Site", "assign_ids", "segments_of", "write_lock", "write_translation_file"]
