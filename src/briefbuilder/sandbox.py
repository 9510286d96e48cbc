"""Layout templates are untrusted input: Jinja's sandbox, and a loader that reads only styles.

A publication's ``styles/*.html.j2`` may override the house templates. They run in Jinja's
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`, tightened further: no attribute of a
path, module, class or file object can be reached and no path method called, so a template
cannot read a file, run a program or change the objects it is given. Templates are loaded
only from the publication's own ``styles/`` and the house styles, each checked by
:mod:`briefbuilder.paths` after symbolic links are resolved (``{% include %}``,
``{% import %}`` and ``{% extends %}`` go through the same loader). Every failure becomes a
``file:line`` problem.
"""

from __future__ import annotations

import io
import os
import types
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import InputError, Location, Problem
from .house_styles import HOUSE_STYLES
from .paths import PathRefused, input_file, read_text_bounded

_OPAQUE = (PurePath, types.ModuleType, type, io.IOBase, os.DirEntry)


class TemplateFileProblem(jinja2.TemplateError):
    """A template file that exists but may not be read (outside its root, not UTF-8, ...).

    Not a ``TemplateNotFound``, so that ``{% include ... ignore missing %}`` cannot hide it."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


class StylesLoader(jinja2.BaseLoader):
    """Templates from ``(folder, root)`` pairs in order; a file must lie inside its root."""

    def __init__(self, folders: list[tuple[Path, Path]]):
        self.folders = folders

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..' and absolute names
        for folder, root in self.folders:
            candidate = folder.joinpath(*pieces)
            if not os.path.lexists(candidate):
                continue
            try:
                checked = input_file(candidate, [root], what="template")
                text = read_text_bounded(checked)
            except PathRefused as exc:
                raise TemplateFileProblem(Problem(Location(candidate), exc.reason)) from None
            except UnicodeDecodeError as exc:
                problem = Problem(
                    Location(candidate), f"template is not UTF-8 text ({exc.reason})", show_source=False
                )
                raise TemplateFileProblem(problem) from None
            return text, str(checked), _unchanged_since(checked)
        raise jinja2.TemplateNotFound(template)

    def locate(self, template: str) -> Path:
        """The file ``template`` names (for messages), or the name itself."""
        for folder, _root in self.folders:
            candidate = folder / template
            if os.path.lexists(candidate):
                return candidate
        return Path(template)

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder, _root in self.folders:
            if folder.is_dir():
                found.update(p.name for p in folder.iterdir() if p.name.endswith(".j2"))
        return sorted(found)


def _unchanged_since(path: Path) -> Callable[[], bool]:
    mtime = path.stat().st_mtime

    def uptodate() -> bool:
        try:
            return path.stat().st_mtime == mtime
        except OSError:
            return False

    return uptodate


class StrictSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with paths, modules, classes and files opaque."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, _OPAQUE) or isinstance(value, _OPAQUE):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        # Jinja returns an undefined value that fails only when printed; inside a list or a
        # test it would pass silently. A refused access is an error where it is written.
        raise jinja2.exceptions.SecurityError(
            f"access to attribute {attribute!r} of a {type(obj).__name__} object is not allowed"
        )

    def is_safe_callable(self, obj: Any) -> bool:
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, _OPAQUE) or isinstance(obj, _OPAQUE) or obj in (open, eval, exec, __import__):
            return False
        return super().is_safe_callable(obj)


def styles_folders(publication_root: Path) -> list[tuple[Path, Path]]:
    """The publication's own ``styles/`` (inside the publication once links are resolved),
    then the house styles. A ``styles`` that leads outside is refused with a problem."""
    root = publication_root.resolve()
    own = publication_root / "styles"
    folders: list[tuple[Path, Path]] = []
    if os.path.lexists(own):
        resolved = own.resolve()
        if not resolved.is_relative_to(root):
            raise InputError(
                [
                    Problem(
                        Location(own), "styles folder lies outside the publication folder (a symbolic link)"
                    )
                ]
            )
        if resolved.is_dir():
            folders.append((resolved, root))
    folders.append((HOUSE_STYLES.resolve(), HOUSE_STYLES.resolve()))
    return folders


def make_environment(
    publication_root: Path, finalize: Callable[[object], object] | None = None
) -> StrictSandbox:
    env = StrictSandbox(
        loader=StylesLoader(styles_folders(publication_root)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    return env


def _template_line(exc: BaseException) -> tuple[Path, int] | None:
    """The innermost template frame of a rendering error (Jinja rewrites tracebacks so that
    template frames carry the template's file and line)."""
    found = None
    traceback = exc.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (Path(filename), traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


def template_problem(exc: Exception, template: Path) -> Problem:
    """A ``file:line`` problem for anything a template raised while loading or rendering;
    ``template`` is the file that was being loaded or rendered."""
    if isinstance(exc, TemplateFileProblem):
        return exc.problem
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = Location(Path(exc.filename) if exc.filename else template, exc.lineno)
        return Problem(where, f"template syntax error: {exc.message}")
    place = _template_line(exc)
    where = Location(*place) if place else Location(template)
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(where, f"template not found (only the styles folders are searched): {exc.name}")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return Problem(where, f"template refused by the sandbox: {exc}")
    if isinstance(exc, RecursionError):
        return Problem(where, "template nests or recurses too deeply")
    return Problem(where, f"template error: {type(exc).__name__}: {exc}")


def _locate(env: jinja2.Environment, name: str) -> Path:
    loader = env.loader
    return loader.locate(name) if isinstance(loader, StylesLoader) else Path(name)


# What a template's own mistakes raise (an undefined name, a filter given the wrong type...).
_TEMPLATE_FAILURES = (
    jinja2.TemplateError,
    RecursionError,
    TypeError,
    ValueError,
    AttributeError,
    LookupError,
    ArithmeticError,
)


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render ``name``; every failure is an :class:`InputError` at the template's line."""
    try:
        return env.get_template(name).render(**context)
    except InputError:
        raise
    except _TEMPLATE_FAILURES as exc:
        raise InputError([template_problem(exc, _locate(env, name))]) from None


def compile_all(env: jinja2.Environment) -> Iterator[Problem]:
    """Compile every template the loader can see, so that a broken partial is found by
    ``check`` even when no layout includes it."""
    for name in env.list_templates():
        try:
            env.get_template(name)
        except (jinja2.TemplateError, RecursionError) as exc:
            yield template_problem(exc, _locate(env, name))
