"""WeasyPrint's log, turned into problems at the source line: nothing the renderer reports
passes silently.

WeasyPrint leaves out what it cannot use (a corrupt image, a decompression bomb, an SVG it
cannot read, a link to an anchor that does not exist) and only logs it. Its records are
caught while a document is laid out and written; errors become ``file:line`` problems, found
through the ``data-src="file:line"`` the HTML renderer writes on every block, and warnings
(CSS declarations it ignores, say) become warnings printed with the build's output.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location, Problem

# Pillow decodes at most this many pixels per image (about 180 MB of RGBA); a larger one is
# refused as a decompression bomb, with a message, instead of taking the memory.
MAX_IMAGE_PIXELS = 45_000_000


@dataclass
class RendererLog:
    records: list[logging.LogRecord] = field(default_factory=list)
    causes: dict[int, str] = field(default_factory=dict)  # id(record) -> what went wrong


class _Collector(logging.Handler):
    def __init__(self, log: RendererLog):
        super().__init__(logging.DEBUG)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.log.records.append(record)
        elif record.exc_info and self.log.records:
            # "Failed to load image" is followed by a debug record that holds the cause.
            self.log.causes[id(self.log.records[-1])] = _cause(record.exc_info[1])


def _cause(exception: BaseException | None) -> str:
    while exception is not None and exception.__cause__ is not None and not str(exception):
        exception = exception.__cause__
    if exception is None:
        return ""
    return f"{type(exception).__name__}: {exception}" if str(exception) else type(exception).__name__


@contextlib.contextmanager
def capture_renderer(log: RendererLog) -> Iterator[RendererLog]:
    """Collect WeasyPrint's warnings and errors (and Pillow's bomb warnings) into ``log``."""
    from PIL import Image as PillowImage

    logger = logging.getLogger("weasyprint")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers[:] = [_Collector(log)]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    saved_pixels = PillowImage.MAX_IMAGE_PIXELS
    PillowImage.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns up to twice its limit; as an error WeasyPrint reports the image.
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            yield log
    finally:
        logger.handlers[:], level, logger.propagate = saved[0], saved[1], saved[2]
        logger.setLevel(level)
        PillowImage.MAX_IMAGE_PIXELS = saved_pixels


_DATA_SRC = re.compile(r'data-src="([^"]+):(\d+)"')


def source_of(document_html: str, needle: str, root: Path) -> Location | None:
    """The source line of the block around the first occurrence of ``needle`` in the HTML."""
    position = document_html.find(needle)
    if position < 0:
        return None
    found = None
    for match in _DATA_SRC.finditer(document_html, 0, position + len(needle) + 200):
        if match.start() > position and found is not None:
            break
        found = match
    if found is None:
        return None
    return Location(root / html.unescape(found.group(1)), int(found.group(2)))


# WeasyPrint's messages that name an element, and the attribute that names it in the HTML.
_MESSAGE_TARGETS = (
    (re.compile(r"Failed to load image at '([^']*)'"), 'src="{}"'),
    (re.compile(r"No anchor #(\S+) for internal URI reference"), 'href="#{}"'),
    (re.compile(r"undefined anchor '?#?([^'\s]+)"), 'href="#{}"'),
    (re.compile(r"Failed to render SVG image (\S+)"), 'src="{}"'),
)


def _needles(message: str) -> list[str]:
    """What to look for in the HTML to find the element a WeasyPrint message is about."""
    for pattern, attribute in _MESSAGE_TARGETS:
        found = pattern.search(message)
        if found:
            return [attribute.format(html.escape(found.group(1)))]
    return []


def _explained(message: str, cause: str) -> str:
    if message.startswith("Failed to load image"):
        reason = message.split(": ", 1)[1] if ": " in message else message
        reason = cause if cause and not reason.strip() else reason
        if "UnidentifiedImageError" in reason:
            return "image cannot be drawn, the renderer left it out: not an image file it can read"
        reason = re.sub(r" ?<[^>]* at 0x[0-9a-f]+>", "", reason)
        if "DecompressionBomb" in reason:
            return (
                f"image is too large to decode (over {MAX_IMAGE_PIXELS:,} pixels): the renderer left it out"
            )
        return f"image cannot be drawn, the renderer left it out: {reason}"
    if message.startswith("No anchor #") or "undefined anchor" in message:
        anchor = re.search(r"#?([\w:.-]+)(?: for|'|$)", message.split("anchor", 1)[1])
        name = anchor.group(1) if anchor else "?"
        return f"link to '#{name}', which no heading, box or note has"
    if message.startswith("Failed to render SVG"):
        return "SVG image cannot be drawn, the renderer left it out"
    return f"renderer error: {message}"


def renderer_problems(
    log: RendererLog, document_html: str, root: Path, fallback: Location, refused: list[str]
) -> tuple[list[Problem], list[str]]:
    """Errors as problems at their source line; warnings as text for the build's report.

    A resource the sandbox refused is already reported as a warning (by ``verify``)."""
    problems: list[Problem] = []
    notes: list[str] = []
    seen: set[str] = set()
    for record in log.records:
        message = record.getMessage()
        if message in seen or any(url in message for url in refused):
            continue
        seen.add(message)
        if record.levelno < logging.ERROR:
            notes.append(f"renderer: {message}")
            continue
        where = next(
            (found for needle in _needles(message) if (found := source_of(document_html, needle, root))),
            fallback,
        )
        problems.append(Problem(where, _explained(message, log.causes.get(id(record), ""))))
    return problems, notes
