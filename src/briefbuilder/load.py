"""Stage ``load``: ``publication.yaml`` and its chapters into a :class:`Publication`."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from .config import PublicationConfig, parse_publication_config
from .errors import Location, ProblemCollector, UsageProblem
from .markdown import parse_markdown
from .model import Chapter, Div, Heading, Image, Measure, Publication, walk_blocks
from .paths import MAX_IMAGE_BYTES, MAX_STORE_BYTES, PathRefused, input_file, read_text_bounded
from .yamlio import LineDict, line_of, load_yaml

log = logging.getLogger(__name__)

_CHAPTER_KEYS = ("id", "title", "short-title", "pillar", "summary", "measures", "lang")
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
    problems.raise_if_any()
    return Publication(id=root.name, root=root, config=config, chapters=chapters, lang=config.lang)


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
    """Return (front matter, body, file line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return "\n".join(lines[1:]), "", len(lines) + 1


def load_chapter(path: Path, problems: ProblemCollector, root: Path | None = None) -> Chapter | None:
    """One chapter file (already checked); ``root`` is the publication folder images must lie in."""
    text = read_utf8(path, problems)
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    if front is None:
        problems.add(
            Location(path, 1),
            "missing YAML front matter (a '---' block with at least id and title)",
        )
        return None
    meta, yaml_problems = load_yaml(front, path, first_line=2)
    if yaml_problems:
        problems.extend(yaml_problems)
        return None
    if not isinstance(meta, LineDict):
        problems.add(Location(path, 2), "front matter must be a mapping (id: ..., title: ...)")
        return None
    for key in meta:
        if key not in _CHAPTER_KEYS:
            log.warning("%s:%d: unknown front matter key '%s' (ignored)", path, line_of(meta, key), key)
    chapter_id = str(meta.get("id") or path.stem)
    if not _ID.match(chapter_id):
        problems.add(
            Location(path, line_of(meta, "id", 2)),
            f"chapter id '{chapter_id}' must be lowercase letters, digits and hyphens",
        )
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.add(Location(path, line_of(meta, "title", 2)), "'title' is required in the front matter")
        title = chapter_id
    parsed = parse_markdown(body, path, body_line)
    problems.extend(parsed.problems)
    for block in walk_blocks(parsed.blocks):
        if isinstance(block, Image):
            _resolve_image(block, path, root or path.parent.parent, problems)
    measures = _measures(meta, path, problems)
    return Chapter(
        id=chapter_id,
        title=title.strip(),
        short_title=str(meta.get("short-title") or title).strip(),
        blocks=parsed.blocks,
        location=Location(path, 1),
        pillar=meta.get("pillar") is True,
        summary=" ".join(str(meta.get("summary") or "").split()),
        measures=measures,
        lang=str(meta.get("lang") or ""),
    )


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


def _resolve_image(image: Image, chapter: Path, root: Path, problems: ProblemCollector) -> None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", image.src):
        problems.add(
            image.location,
            f"image '{image.src}' must be a file in the publication folder, not a URL",
        )
        return
    try:
        target = input_file(chapter.parent / image.src, [root], what="image file", max_bytes=MAX_IMAGE_BYTES)
    except PathRefused as exc:
        problems.add(image.location, exc.reason)
        return
    if not image.alt.strip():
        problems.add(
            image.location,
            f"image '{image.src}' has no alt text",
            hint="write ![what the image shows](file)",
        )
    else:
        image.path = target


# Ids the layouts generate (the house templates' literal ids, and the prefixes of those they
# number); an author's id among them would silently take over a link. A test checks that
# every literal id in the house templates is listed here.
GENERATED_IDS = frozenset({"bibliography", "contents", "cover", "notes", "references", "toc", "key-sources"})
GENERATED_PREFIXES = ("brief-", "rec-", "fn-", "note-", "bb-")


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


__all__ = ["load_chapter", "load_publication"]
