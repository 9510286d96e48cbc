"""YAML reading that remembers the line of every key, so schema errors can say ``file:line``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Location, Problem


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the 1-based line of each of its keys."""

    lines: dict[str, int]
    line: int


# Bounded work on any input: an alias bomb of a few hundred bytes expands to gigabytes, and a
# deeply nested document exhausts the stack. Aliases are refused, nesting is limited.
MAX_YAML_DEPTH = 64


class _LineLoader(yaml.SafeLoader):
    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed; write the value out", mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.lines = {}
        mapping.line = node.start_mark.line + 1
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str):
                mapping.lines[key] = key_node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


def load_yaml(text: str, file: Path, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse YAML; on a syntax error return ``None`` and a problem at the error's line.

    ``first_line`` is the file line where ``text`` starts (front matter starts at line 2).
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{exc.context}, {message}"
        return None, [Problem(Location(file, line), f"YAML syntax error: {message}")]
    except yaml.YAMLError as exc:
        return None, [Problem(Location(file, first_line), f"YAML error: {exc}")]
    except (RecursionError, MemoryError):
        return None, [Problem(Location(file, first_line), "YAML nested too deeply to read")]
    except ValueError as exc:  # a value PyYAML's constructors refuse, e.g. the date 2024-02-30
        return None, [Problem(Location(file, first_line), f"YAML value error: {exc}")]
    if isinstance(data, LineDict):
        _shift_lines(data, first_line - 1)
    return data, []


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.lines = {k: v + offset for k, v in data.lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, list):
        for value in data:
            _shift_lines(value, offset)


def line_of(mapping: Any, key: str, default: int = 0) -> int:
    if isinstance(mapping, LineDict):
        return mapping.lines.get(key, mapping.line)
    return default
