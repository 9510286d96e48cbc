"""Every path that comes from a publication, checked in one place before anything opens it.

A publication folder is untrusted input. An input file must be a regular file (not a FIFO,
a device or a folder), lie inside its allowed root after symbolic links are resolved, and
be of bounded size; a name that becomes part of a path (an edition, a language code) must
match a safe pattern; an output path must lie inside ``--out``. Callers get a resolved path
or a :class:`PathRefused` whose reason they report at the ``file:line`` that named the path.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from . import atomic

# Limits on what one file may hold; the README's "Trust model and limits" states them.
MAX_TEXT_BYTES = 4 * 1024 * 1024  # publication.yaml, chapters, PO, lock, CSS, templates, CSL
MAX_STORE_BYTES = 32 * 1024 * 1024  # a citation store (CSL-JSON or BibTeX)
MAX_IMAGE_BYTES = 32 * 1024 * 1024

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# BCP 47 in the shape the project uses: a language subtag, then optional script/region tags.
_LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$")


class PathRefused(ValueError):
    """An input or output path that may not be used; ``reason`` says why, for the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def inside(path: Path, roots: Iterable[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def input_file(
    path: Path,
    roots: Iterable[Path],
    *,
    what: str = "file",
    max_bytes: int = MAX_TEXT_BYTES,
    suffixes: tuple[str, ...] = (),
) -> Path:
    """``path`` resolved, once it is known to be a bounded regular file inside ``roots``."""
    roots = list(roots)
    if suffixes and path.suffix.lower() not in suffixes:
        raise PathRefused(f"{what} must be a {' or '.join(suffixes)} file: {path.name}")
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        raise PathRefused(f"{what} not found: {path.name}") from None
    except (OSError, RuntimeError) as exc:  # a symlink loop, a component that is a file
        raise PathRefused(f"{what} cannot be read: {path.name} ({exc.__class__.__name__})") from None
    if not any(resolved.is_relative_to(root.resolve()) for root in roots):
        raise PathRefused(f"{what} lies outside the publication folder: {path}")
    try:
        info = resolved.stat()
    except OSError as exc:
        raise PathRefused(f"{what} cannot be read: {path.name} ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise PathRefused(f"{what} is not a regular file: {path.name}")
    if info.st_size > max_bytes:
        raise PathRefused(
            f"{what} is too large: {path.name} is {info.st_size:,} bytes, the limit is {max_bytes:,}"
        )
    return resolved


def read_bytes_bounded(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> bytes:
    """Read a file already checked by :func:`input_file`, never more than ``max_bytes``.

    Opened without following a last-moment swap to a FIFO (``O_NONBLOCK``), and read with a
    bound, so a file that grows or changes kind after the check cannot make the work unbounded.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise PathRefused(f"not a regular file: {path.name}")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise PathRefused(f"too large: {path.name} exceeds {max_bytes:,} bytes")
    return data


def read_text_bounded(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """UTF-8 text of a checked file; raises ``UnicodeDecodeError`` like ``Path.read_text``."""
    return read_bytes_bounded(path, max_bytes).decode("utf-8")


def name_problem(name: str, what: str) -> str | None:
    """Why ``name`` cannot become a file or folder name, or None when it can."""
    if not _SAFE_NAME.match(name) or name in (".", ".."):
        return (
            f"{what} '{name}' cannot be used in a file name: use letters, digits, '.', '_' and '-'"
            " (at most 64, starting with a letter or digit)"
        )
    return None


def lang_problem(code: str) -> str | None:
    """Why ``code`` is not a language code of the shape ``fr``, ``pt-BR``, ``sr-Latn``."""
    if not _LANG_CODE.match(code):
        return f"'{code}' is not a language code (such as fr, pt-BR or sr-Latn)"
    return None


def output_file(out_dir: Path, *parts: str) -> Path:
    """``out_dir/part/.../part``, each part a safe name, checked to lie inside ``out_dir``."""
    for part in parts:
        if not _SAFE_NAME.match(part) or part in (".", ".."):
            raise PathRefused(f"'{part}' cannot be part of an output path")
    if out_dir.exists() and not out_dir.is_dir():
        raise PathRefused(f"--out {out_dir} is not a folder")
    target = out_dir.joinpath(*parts)
    if not inside(target, [out_dir]):
        raise PathRefused(f"{target} lies outside --out {out_dir} (through a symbolic link)")
    return target


TEMPORARY_SUFFIX = ".tmp"


def write_atomically(data: bytes, target: Path, root: Path | None = None) -> None:
    """Write to a temporary file beside ``target``, then rename: never a half-written file.

    A symbolic link at ``target`` is replaced, never written through; with ``root``, the
    folder written into must lie inside ``root`` once its own links are resolved.
    """
    folder = target.parent
    if root is not None and not inside(folder, [root]):
        raise PathRefused(f"{folder} lies outside {root} (through a symbolic link)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise PathRefused(f"{folder} cannot be created: a file is in the way") from None
    if not folder.is_dir():
        raise PathRefused(f"{folder} is not a folder")
    atomic.write_atomically(data, target)


def remove_stale_temporaries(folder: Path) -> int:
    """Remove the ``.<name>.<random>.tmp`` files a killed build left in ``folder`` (not below
    symbolic links); returns how many. Only names this module makes are touched."""
    if not folder.is_dir() or folder.is_symlink():
        return 0
    removed = 0
    pattern = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp$")
    for current, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if not os.path.islink(os.path.join(current, f))]
        for name in files:
            candidate = os.path.join(current, name)
            if pattern.match(name) and not os.path.islink(candidate):
                with contextlib.suppress(OSError):
                    os.unlink(candidate)
                    removed += 1
    return removed
