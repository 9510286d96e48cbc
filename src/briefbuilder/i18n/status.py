"""Coverage of a translation, per edition: translated, fuzzy and missing segments and words."""

from __future__ import annotations

from dataclasses import dataclass

from ..compose import compose_edition, resolve_editions
from ..derive import key_point_owners
from ..model import Publication, walk_blocks
from .catalogue import load_catalogue
from .segments import Site, segments_of


@dataclass
class Coverage:
    edition: str
    lang: str
    translated: tuple[int, int] = (0, 0)  # segments, words
    fuzzy: tuple[int, int] = (0, 0)
    missing: tuple[int, int] = (0, 0)

    @property
    def complete(self) -> bool:
        return self.fuzzy[0] == 0 and self.missing[0] == 0

    @property
    def percent(self) -> float:
        words = self.translated[1] + self.fuzzy[1] + self.missing[1]
        return 100.0 * self.translated[1] / words if words else 100.0


def edition_sites(publication: Publication, sites: list[Site], edition_name: str) -> list[Site]:
    """The segments an edition shows."""
    config = next(e for e in resolve_editions(publication) if e.name == edition_name)
    edition = compose_edition(publication, config)
    owners: set[int] = {id(publication.config)}
    for part in edition.chapters:
        owners.add(id(part.chapter))
        # Factsheets name each measure by its section heading.
        sections = {m.section for m in part.chapter.measures}
        owners.update(id(b) for b in part.chapter.blocks if getattr(b, "id", None) in sections)
        owners.update(id(b) for b in walk_blocks(part.blocks))
        if config.layout in ("brief", "factsheet") and not part.chapter.measures:
            owners.update(id(b) for b in key_point_owners(part.chapter))
        if part.quote is not None:
            owners.update(id(b) for b in walk_blocks([part.quote]))
    return [site for site in sites if id(site.owner) in owners]


def coverage(publication: Publication, lang: str) -> list[Coverage]:
    sites = segments_of(publication)
    catalogue = load_catalogue(publication, lang, sites)
    result = []
    for config in resolve_editions(publication):
        counts = {"translated": [0, 0], "fuzzy": [0, 0], "missing": [0, 0]}
        seen: set[str] = set()
        for site in edition_sites(publication, sites, config.name):
            if site.id in seen:
                continue
            seen.add(site.id)
            entry = catalogue.entries.get(site.id)
            if entry is None or not entry.text:
                state = "missing"
            elif entry.fuzzy or entry.source != site.text:
                state = "fuzzy"
            else:
                state = "translated"
            counts[state][0] += 1
            counts[state][1] += site.words
        result.append(
            Coverage(
                config.name,
                lang,
                tuple(counts["translated"]),
                tuple(counts["fuzzy"]),
                tuple(counts["missing"]),
            )  # type: ignore[arg-type]
        )
    return result, catalogue.problems  # type: ignore[return-value]
