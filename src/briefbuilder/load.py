"""Stage ``load``: ``publication.yaml`` and its chapters into a :class:`Publication`."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from .brand import load_brand
from .config import PublicationConfig, parse_publication_config
from .errors import Location, Problem, ProblemCollector, UsageProblem
from .markdown import inline_markdown_problems, parse_markdown
from .mathsvg import math_problems
from .metadata import check_lang, parse_authors, parse_keywords
from .model import Block, Chapter, Div, Heading, Image, InlineImage, Measure, Publication, walk_blocks
from .paths import MAX_IMAGE_BYTES, MAX_STORE_BYTES, PathRefused, input_file, read_text_bounded
from .xref import assign_identifiers, resolve_references
from .yamlio import LineDict, line_of, load_yaml

log = logging.getLogger(__name__)

_CHAPTER_KEYS = (
    "id",
    "title",
    "short-title",
    "pillar",
    "summary",
    "abstract",
    "measures",
    "lang",
    "author",
    "keywords",
)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def utf8_error_line(path: Path, error: UnicodeDecodeError) -> int:
    """The line of the first byte that is not UTF-8."""
    return path.read_bytes()[: error.start].count(b"\n") + 1


def find_publication_file(path: Path) -> Path:
    """Accept a publication folder or its ``publication.yaml``."""
    candidate = path / "publication.yaml" if path.is_dir() else path
    if not candidate.is_file():
        raise UsageProblem(f"{path}: no publication here (expected a folder with publication.yaml)")
    root = candidate.parent.resolve()
    try:
        return input_file(root / candidate.name, [root], what="publication.yaml")
    except PathRefused as exc:
        raise UsageProblem(f"{path}: {exc.reason}") from None


def store_roots(root: Path) -> list[Path]:
    """Where a citation store may live: the publication folder, or the ``references/`` folder of
    the repository it stands in (``briefs/<id>/`` beside ``references/``, as the design lays out)."""
    return [root, root.parent.parent / "references"]


def load_publication(path: Path | str) -> Publication:
    """Read a publication folder; raise :class:`InputError` listing every problem found."""
    file = find_publication_file(Path(path))
    root = file.parent
    problems = ProblemCollector()
    config = _load_config(file, problems)
    if config is None:
        problems.raise_if_any()
        raise AssertionError("unreachable: no config and no problem")
    chapters = []
    for chapter_path, line in zip(config.chapters, config.chapter_lines, strict=True):
        try:
            checked = input_file(chapter_path, [root], what="chapter file", suffixes=(".md", ".markdown"))
        except PathRefused as exc:
            problems.add(Location(file, line), exc.reason)
            continue
        chapter = load_chapter(checked, problems, root)
        if chapter is not None:
            chapters.append(chapter)
    checked_stores = []
    for bib in config.bibliography:
        try:
            checked_stores.append(
                input_file(
                    bib,
                    store_roots(root),
                    what="bibliography file",
                    max_bytes=MAX_STORE_BYTES,
                    suffixes=(".json", ".bib"),
                )
            )
        except PathRefused as exc:
            line = _line_containing(file, bib.name) or config.key_lines.get("bibliography", 0)
            problems.add(Location(file, line), exc.reason)
    config.bibliography = checked_stores
    _check_unique_ids(chapters, problems)
    assign_identifiers(chapters)
    problems.extend(resolve_references(chapters))
    _check_metadata_markdown(config, chapters, problems)
    brand = load_brand(root, problems)
    problems.raise_if_any()
    return Publication(
        id=root.name, root=root, config=config, chapters=chapters, lang=config.lang, brand=brand
    )


def _line_containing(file: Path, text: str) -> int:
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    return 0


def read_utf8(path: Path, problems: ProblemCollector) -> str | None:
    """The file's text, or None with a problem at the line of the first byte that is not UTF-8.

    ``path`` has been checked by :func:`briefbuilder.paths.input_file`."""
    try:
        return read_text_bounded(path)
    except PathRefused as exc:
        problems.add(Location(path), exc.reason, show_source=False)
        return None
    except UnicodeDecodeError as exc:
        problems.add(
            Location(path, utf8_error_line(path, exc)), f"not UTF-8 text ({exc.reason})", show_source=False
        )
        return None


def _load_config(file: Path, problems: ProblemCollector) -> PublicationConfig | None:
    text = read_utf8(file, problems)
    if text is None:
        return None
    data, yaml_problems = load_yaml(text, file)
    problems.extend(yaml_problems)
    if yaml_problems:
        return None
    return parse_publication_config(data, file, problems)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter, body, file line where the body starts).

    Blank lines and HTML comments (a licence notice, say) may come before the front matter.
    """
    lines = text.split("\n")
    start = _first_content_line(lines)
    if start >= len(lines) or lines[start].rstrip() != "---":
        return None, text, 1
    for index in range(start + 1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[start + 1 : index]), "\n".join(lines[index + 1 :]), index + 2
    return "\n".join(lines[start + 1 :]), "", len(lines) + 1


def _first_content_line(lines: list[str]) -> int:
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped:
            index += 1
        elif stripped.startswith("<!--"):
            while index < len(lines) and "-->" not in lines[index]:
                index += 1
            index += 1
        else:
            return index
    return index


def _title_heading(blocks: list[Block]) -> Heading | None:
    """A first-level heading that opens the chapter (Pandoc documents' chapter title)."""
    first = blocks[0] if blocks else None
    if isinstance(first, Heading) and first.level == 1:
        return first
    return None


def load_chapter(path: Path, problems: ProblemCollector, root: Path | None = None) -> Chapter | None:
    """One chapter file (already checked); ``root`` is the publication folder images must lie in."""
    root = (root or path.parent.parent).resolve()
    text = read_utf8(path, problems)
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    meta: Any = LineDict()
    if front is not None:
        meta, yaml_problems = load_yaml(front, path, first_line=body_line - front.count("\n") - 2)
        if yaml_problems:
            problems.extend(yaml_problems)
            return None
        if meta is None:
            meta = LineDict()
        if not isinstance(meta, LineDict):
            problems.add(Location(path, 2), "front matter must be a mapping (id: ..., title: ...)")
            return None
    for key in meta:
        if key not in _CHAPTER_KEYS:
            log.warning("%s:%d: unknown front matter key '%s' (ignored)", path, line_of(meta, key), key)
    chapter_id = str(meta.get("id") or _id_from_name(path.stem))
    if not _ID.match(chapter_id):
        problems.add(
            Location(path, line_of(meta, "id", 2)),
            f"chapter id '{chapter_id}' must be lowercase letters, digits and hyphens",
        )
    parsed = parse_markdown(body, path, body_line)
    problems.extend(parsed.problems)
    title = meta.get("title")
    heading_id: str | None = None
    if not isinstance(title, str) or not title.strip():
        # As in a Pandoc book: the chapter's first '# Heading' is its title.
        heading = _title_heading(parsed.blocks)
        if heading is None:
            problems.add(
                Location(path, line_of(meta, "title", 1)),
                "'title' is required: in the front matter, or as the chapter's first line '# Title'",
                hint="add 'title: The chapter's title' to the front matter",
            )
            title = chapter_id
        else:
            from .render_html import plain_text

            parsed.blocks.remove(heading)
            title = " ".join(plain_text(heading.inlines).split())
            heading_id = heading.id
    for warning in parsed.warnings:
        log.warning("%s", warning)
    problems.extend(math_problems(parsed.blocks))
    for block in walk_blocks(parsed.blocks):
        if isinstance(block, Image):
            block.path = _image_path(block.src, block.alt, block.location, path, root, problems)
        for image in _inline_images(block):
            image.path = _image_path(image.src, image.alt, block.location, path, root, problems)
    measures = _measures(meta, path, problems)
    if meta.get("lang"):
        check_lang(str(meta["lang"]), Location(path, line_of(meta, "lang", 2)), problems)
    authors = parse_authors(meta.get("author"), Location(path, line_of(meta, "author", 2)), problems)
    # Pandoc's "abstract" serves as the chapter's summary when there is no "summary".
    summary = meta.get("summary") or meta.get("abstract") or ""
    return Chapter(
        id=chapter_id,
        title=title.strip(),
        short_title=str(meta.get("short-title") or title).strip(),
        blocks=parsed.blocks,
        location=Location(path, 1),
        pillar=meta.get("pillar") is True,
        summary=" ".join(str(summary).split()),
        measures=measures,
        lang=str(meta.get("lang") or ""),
        heading_id=heading_id,
        authors=[a.name for a in authors],
        keywords=parse_keywords(meta.get("keywords")),
    )


def _id_from_name(stem: str) -> str:
    """A chapter id from a file name such as '05-Reward_Models' or '0.introduction'."""
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "chapter"


def parse_document(text: str, file: Path) -> tuple[list[Block], list[Problem]]:
    """A Markdown document (no front matter) read as the one chapter of a publication:
    parsed, headings given their automatic ids, references resolved. Images are not looked
    up. The differential test against Pandoc reads its fixtures through this."""
    parsed = parse_markdown(text, file)
    chapter = Chapter(id="document", title="", blocks=parsed.blocks, location=Location(file, 1))
    assign_identifiers([chapter])
    return chapter.blocks, [*parsed.problems, *resolve_references([chapter])]


def _measures(meta: LineDict, path: Path, problems: ProblemCollector) -> list[Measure]:
    data: Any = meta.get("measures") or []
    if not isinstance(data, list):
        problems.add(Location(path, line_of(meta, "measures")), "'measures' must be a list")
        return []
    result = []
    for entry in data:
        if not isinstance(entry, LineDict) or not entry.get("section"):
            problems.add(
                Location(path, line_of(meta, "measures")),
                "each measure needs 'section', 'what' and 'harms'",
            )
            continue
        harms = entry.get("harms") or []
        result.append(
            Measure(
                section=str(entry["section"]),
                what=" ".join(str(entry.get("what") or "").split()),
                harms=[" ".join(str(h).split()) for h in harms if isinstance(h, str)],
                location=Location(path, entry.line),
            )
        )
    return result


def _image_path(
    src: str, alt: str, where: Location, chapter: Path, root: Path, problems: ProblemCollector
) -> Path | None:
    """The image file: relative to the chapter's folder, else (as Pandoc run from the
    publication folder reads it) to the publication folder."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", src):
        problems.add(where, f"image '{src}' must be a file in the publication folder, not a URL")
        return None
    candidate = chapter.parent / src
    if not candidate.exists() and (root / src).exists():
        candidate = root / src
    try:
        target = input_file(candidate, [root], what="image file", max_bytes=MAX_IMAGE_BYTES)
    except PathRefused as exc:
        hint = "a path is relative to the chapter's folder or to the publication folder"
        problems.add(where, exc.reason, hint=hint if "not found" in exc.reason else None)
        return None
    if not alt.strip():
        problems.add(where, f"image '{src}' has no alt text", hint="write ![what the image shows](file)")
        return None
    return target


def _inline_images(block: object) -> list[InlineImage]:
    found: list[InlineImage] = []

    def walk(nodes: list) -> None:  # type: ignore[type-arg]
        for node in nodes:
            if isinstance(node, InlineImage):
                found.append(node)
            children = getattr(node, "children", None)
            if isinstance(children, list):
                walk(children)
            note = getattr(node, "note", None)
            if note is not None:
                for inner in walk_blocks(note.blocks):
                    walk(getattr(inner, "inlines", None) or [])

    walk(getattr(block, "inlines", None) or [])
    return found


def _check_metadata_markdown(
    config: PublicationConfig, chapters: list[Chapter], problems: ProblemCollector
) -> None:
    """Titles, subtitles, summaries and abstracts are inline Markdown: report what cannot print."""
    texts = [
        (Location(config.location.file, config.key_lines.get(key.replace("_", "-"), 1)), getattr(config, key))
        for key in ("title", "subtitle", "short_title", "abstract")
    ]
    texts += [(c.location, value) for c in chapters for value in (c.title, c.short_title, c.summary)]
    for where, value in texts:
        for problem in inline_markdown_problems(value) if value else []:
            problems.add(where, f"{problem.message} (in '{value[:60]}')", hint=problem.hint)


# Ids the layouts generate (the house templates' literal ids, and the prefixes of those they
# number), in print and on the web; an author's id among them would silently take over a
# link. tests/test_reserved_ids.py checks that every id the templates and renderers write
# is listed here.
GENERATED_IDS = frozenset(
    {
        "bibliography",
        "contents",
        "cover",
        "endnotes-title",
        "key-sources",
        "main",
        "notes",
        "references",
        "toc",
    }
)
GENERATED_PREFIXES = ("brief-", "rec-", "fn-", "fnref-", "note-", "ref-", "bb-", "abbr-")


def reserved_id_problem(ident: str) -> str | None:
    if ident in GENERATED_IDS or ident.startswith(GENERATED_PREFIXES):
        return f"id '{ident}' is reserved: the layouts generate it (for the contents, notes, bibliography...)"
    return None


def _check_unique_ids(chapters: list[Chapter], problems: ProblemCollector) -> None:
    seen: dict[str, Location] = {}
    for chapter in chapters:
        candidates = [(chapter.id, chapter.location)]
        for block in walk_blocks(chapter.blocks):
            if isinstance(block, Heading | Div) and block.id:
                candidates.append((block.id, block.location))
        for ident, location in candidates:
            reserved = reserved_id_problem(ident)
            if reserved:
                problems.add(location, reserved, hint=f"choose another id, such as '{ident}-section'")
            elif ident in seen:
                problems.add(location, f"duplicate id '{ident}' (first used at {seen[ident]})")
            else:
                seen[ident] = location


__all__ = ["load_chapter", "load_publication", "parse_document"]
