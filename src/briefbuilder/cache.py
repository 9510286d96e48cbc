"""What an output depends on: the settings that shape it and the files it was made from.

The files are the publication's configuration, the chapters the edition shows, the citation
store and a CSL file, the catalogue and segment lock of its language, the publication's own
styles and brand, and every file the renderer fetched while laying it out (images in any
format, fonts, stylesheets' ``url()`` resources): the last are recorded by the sandboxed
fetcher, so they are what the layout really read, not a list kept by hand. briefbuilder's
own code, its house styles and the rendering libraries' versions are in
:func:`manifest.tool_fingerprint`. The digests are kept in the output folder's manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from .compose import compose_edition
from .config import EditionConfig
from .manifest import tool_fingerprint
from .model import Publication
from .pipeline import source_date_epoch

BRAND_FILES = ("_brand.yml", "_brand.yaml")


def settings_key(publication: Publication, config: EditionConfig, lang: str, release: bool) -> str:
    """Everything but files that changes an output: the edition's settings, language, options."""
    parts = {
        "tool": tool_fingerprint(),
        "edition": repr({k: v for k, v in vars(config).items() if k != "location"}),
        "lang": lang,
        "release": release,
        "source_date_epoch": source_date_epoch(publication),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def publication_files(publication: Publication) -> list[Path]:
    """The files that decide which outputs a publication has (its editions, languages, pillars)."""
    return [
        publication.config.location.file,
        *(chapter.location.file for chapter in publication.chapters),
        *brand_files(publication),
    ]


def brand_files(publication: Publication) -> list[Path]:
    # Listed whether or not they exist: a brand file added later is a change.
    return [folder / name for folder in (publication.root, publication.root.parent) for name in BRAND_FILES]


def output_inputs(
    publication: Publication, config: EditionConfig, lang: str, fetched: Iterable[Path] = ()
) -> list[Path]:
    """Every file one output was made from (``fetched``: what its layout read)."""
    edition = compose_edition(publication, config, lang)
    inputs = [
        publication.config.location.file,
        *sorted({part.chapter.location.file for part in edition.chapters}),
        *publication.config.bibliography,
        publication.root / "styles",  # a folder: a file added to it counts too
        *brand_files(publication),
        *fetched,
    ]
    if publication.config.csl.endswith(".csl"):
        inputs.append(publication.root / publication.config.csl)
    if lang != publication.lang:
        translations = publication.root / "translations"
        inputs += [translations / f"{lang}.po", translations / "segments.lock"]
    return [Path(p) for p in inputs]
