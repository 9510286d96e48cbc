"""Incremental builds: an output is rendered again only when something it depends on changed.

The key of an output is a hash of everything that goes into it: the publication's
configuration, the chapters the edition shows, the citation store, the styles, the catalogue
of its language, the edition's settings, briefbuilder's own code, templates and styles, and
the environment that changes the bytes (``SOURCE_DATE_EPOCH``). The key is kept beside the
PDF with the PDF's own hash, so a PDF changed or removed by hand is rebuilt too.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from . import __version__
from .compose import compose_edition
from .config import EditionConfig
from .house_styles import HOUSE_STYLES
from .model import Publication
from .pipeline import source_date_epoch

PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """briefbuilder's version, every file of the package and of the house styles."""
    digest = hashlib.sha256(__version__.encode())
    for folder in (PACKAGE, HOUSE_STYLES):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def output_key(publication: Publication, config: EditionConfig, lang: str, release: bool) -> str:
    """The hash of everything one output depends on."""
    edition = compose_edition(publication, config, lang)
    chapters = sorted({part.chapter.location.file for part in edition.chapters})
    images = sorted(
        {
            str(p)
            for p in _folder_files(publication.root)
            if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp")
        }
    )
    folders = [publication.root / "styles", publication.root.parent.parent / "styles"]
    inputs = [
        publication.config.location.file,
        *chapters,
        *publication.config.bibliography,
        *[Path(p) for p in images],
        *[p for folder in folders for p in _folder_files(folder)],
    ]
    translations = publication.root / "translations"
    if lang != publication.lang:
        inputs += [translations / f"{lang}.po", translations / "segments.lock"]
    parts = {
        "package": package_fingerprint(),
        "files": {
            str(
                p.relative_to(publication.root) if p.is_relative_to(publication.root) else p.name
            ): _file_digest(p)
            for p in inputs
        },
        "edition": repr({k: v for k, v in vars(config).items() if k != "location"}),
        "lang": lang,
        "release": release,
        "source_date_epoch": source_date_epoch(publication),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _sidecar(target: Path) -> Path:
    return target.with_name(f".{target.name}.key")


def is_current(target: Path, key: str) -> bool:
    sidecar = _sidecar(target)
    if not target.is_file() or not sidecar.is_file():
        return False
    try:
        recorded = json.loads(sidecar.read_text())
    except ValueError:
        return False
    return recorded.get("key") == key and recorded.get("pdf") == _file_digest(target)


def record(target: Path, key: str, pages: int) -> None:
    data = json.dumps({"key": key, "pdf": _file_digest(target), "pages": pages})
    from .pdf import write_atomically

    write_atomically(data.encode(), _sidecar(target))


def recorded_pages(target: Path) -> int:
    try:
        return int(json.loads(_sidecar(target).read_text()).get("pages", 0))
    except (OSError, ValueError):
        return 0
