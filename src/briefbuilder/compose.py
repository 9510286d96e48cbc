"""Stage ``compose``: choose and order the content of one edition.

Every publication gets ``full``, ``policymaker`` and one ``factsheet-<pillar>`` per pillar
chapter without any configuration; ``publication.yaml`` may declare more or change these.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from .config import EditionConfig
from .derive import RECOMMENDATION_CLASSES, key_messages, key_points, ranked_sources
from .edition import Edition, EditionChapter
from .errors import InputError, Location, Problem, UsageProblem
from .model import Block, Chapter, Div, Heading, Publication, walk_blocks


def default_editions(publication: Publication) -> list[EditionConfig]:
    editions = [
        EditionConfig(name="full", layout="full"),
        EditionConfig(name="policymaker", layout="brief", max_pages=2, classes=["mitigation"]),
    ]
    for chapter in publication.pillars:
        editions.append(
            EditionConfig(
                name=f"factsheet-{chapter.id}",
                layout="factsheet",
                max_pages=2,
                chapters=[chapter.id],
                classes=["mitigation"],
            )
        )
    # The screen edition of the full resource (with the short editions as pages).
    editions.append(EditionConfig(name="web", layout="web"))
    return editions


def resolve_editions(publication: Publication) -> list[EditionConfig]:
    """The defaults, replaced or extended by the editions ``publication.yaml`` declares."""
    editions = {e.name: e for e in default_editions(publication)}
    for declared in publication.config.editions:
        editions[declared.name] = declared
    return list(editions.values())


def find_edition(publication: Publication, name: str) -> EditionConfig:
    editions = resolve_editions(publication)
    for edition in editions:
        if edition.name == name:
            return edition
    names = [e.name for e in editions]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(names)})"
    raise UsageProblem(f"unknown edition '{name}' for {publication.id}{hint}")


def compose_edition(publication: Publication, config: EditionConfig, lang: str | None = None) -> Edition:
    """Select the chapters, sections and blocks the edition's configuration asks for."""
    problems: list[Problem] = []
    where = config.location or publication.config.location
    chapters = _chapters(publication, config, where, problems)
    known_sections = {h.id for c in chapters for h in _headings(c.blocks) if h.id}
    for section in config.sections:
        if section not in known_sections:
            close = difflib.get_close_matches(section, sorted(known_sections), n=1)
            problems.append(
                Problem(
                    where,
                    f"edition '{config.name}': unknown section '{section}'",
                    hint=f"did you mean '{close[0]}'?" if close else None,
                )
            )
    if problems:
        raise InputError(problems)
    classes = _box_classes(config, chapters)
    short = config.layout in ("brief", "factsheet")
    selected = []
    for chapter in chapters:
        blocks = chapter.blocks
        if config.sections:
            blocks = [b for s in config.sections for b in section_blocks(blocks, s)]
            if not blocks:
                continue
        if classes:
            blocks = [b for b in _divs(blocks) if set(b.classes) & set(classes)]
        part = EditionChapter(chapter, blocks)
        if short:
            # The short editions are derived from the whole chapter, not only the boxes shown.
            part.key_points = key_points(chapter)
            part.quote = next((d for d in _divs(chapter.blocks) if d.kind == "quote"), None)
            part.source_keys = ranked_sources(chapter.blocks)
        selected.append(part)
    return Edition(
        name=config.name,
        config=config,
        publication=publication,
        lang=lang or publication.lang,
        chapters=selected,
        key_messages=key_messages(publication) if config.layout == "brief" else [],
    )


def _box_classes(config: EditionConfig, chapters: list[Chapter]) -> list[str]:
    """The box classes the edition keeps; the default ``mitigation`` falls back to
    ``callout-important`` boxes in a publication that has no mitigation boxes."""
    if config.classes != [RECOMMENDATION_CLASSES[0]]:
        return config.classes
    for kind in RECOMMENDATION_CLASSES:
        if any(kind in d.classes for chapter in chapters for d in _divs(chapter.blocks)):
            return [kind]
    return config.classes


def _chapters(
    publication: Publication, config: EditionConfig, where: Location, problems: list[Problem]
) -> list[Chapter]:
    if config.layout == "brief" and not config.chapters:
        # The pillars; a publication without pillars: every chapter (its boxes, its sources).
        return publication.pillars or list(publication.chapters)
    if not config.chapters:
        return list(publication.chapters)
    result = []
    for chapter_id in config.chapters:
        chapter = publication.chapter(chapter_id)
        if chapter is None:
            ids = [c.id for c in publication.chapters]
            close = difflib.get_close_matches(chapter_id, ids, n=1)
            problems.append(
                Problem(
                    where,
                    f"edition '{config.name}': unknown chapter '{chapter_id}'",
                    hint=f"did you mean '{close[0]}'?" if close else None,
                )
            )
        else:
            result.append(chapter)
    return result


def section_blocks(blocks: list[Block], section_id: str) -> list[Block]:
    """The heading with that id and every block up to the next heading of its level or above."""
    result: list[Block] = []
    level = 0
    for block in blocks:
        if isinstance(block, Heading):
            if block.id == section_id:
                level = block.level
                result.append(block)
                continue
            if level and block.level <= level:
                break
        if level:
            result.append(block)
    return result


def _headings(blocks: list[Block]) -> Iterator[Heading]:
    for block in blocks:
        if isinstance(block, Heading):
            yield block


def _divs(blocks: list[Block]) -> Iterator[Div]:
    return (block for block in walk_blocks(blocks) if isinstance(block, Div))


def mitigations(chapter: Chapter) -> list[Div]:
    return [d for d in _divs(chapter.blocks) if "mitigation" in d.classes]
