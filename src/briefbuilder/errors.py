"""One exception hierarchy for every problem a user can cause.

Every error is a :class:`click.ClickException`, so the command line prints its message and
exits with its code without a traceback. Problems in the user's input carry ``file:line`` and,
where it is known, the offending source line, the way Jinja reports template errors.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Location:
    """Where something comes from: a file and a 1-based line (0 when the line is unknown)."""

    file: Path
    line: int = 0

    def __str__(self) -> str:
        shown = display_path(self.file)
        return f"{shown}:{self.line}" if self.line else shown

    def source_line(self) -> str | None:
        if not self.line:
            return None
        try:
            lines = self.file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        if 0 < self.line <= len(lines):
            return lines[self.line - 1]
        return None


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it, else absolute."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows): no relative path exists
        return str(path)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input."""

    location: Location
    message: str
    hint: str | None = None
    show_source: bool = True

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        source = self.location.source_line() if self.show_source else None
        if source is not None and source.strip():
            text += f"\n    {source.strip()[:160]}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class BriefbuilderError(click.ClickException):
    """Root of every error briefbuilder raises on purpose (exit code 1)."""

    exit_code = 1


class InputError(BriefbuilderError):
    """One or more problems in the user's sources, each told as ``file:line: message``."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        # click prefixes "Error: ", which would hide the file:line at the start of each line.
        click.echo(self.format_message(), err=True, file=file)


class UsageProblem(BriefbuilderError):
    """The command was misused (unknown edition, unknown language...): exit code 2."""

    exit_code = 2


class BudgetExceeded(InputError):
    """An edition laid out to more pages than its budget allows."""


class ProblemCollector:
    """Gathers every problem of a stage so that the user sees all of them at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(
        self,
        location: Location,
        message: str,
        hint: str | None = None,
        show_source: bool = True,
    ) -> None:
        self.problems.append(Problem(location, message, hint, show_source))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)
