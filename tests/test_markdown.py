"""The Markdown plugins, against input/expected fixture files (markdown-it-py style)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbuilder.markdown import parse_markdown

from helpers import dump, read_fixture_cases

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
CASES = [
    pytest.param(source, expected, id=f"{path.stem}:{line}:{name}")
    for path in sorted(FIXTURES.glob("*.txt"))
    for name, line, source, expected in read_fixture_cases(path)
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_fixture(source: str, expected: str) -> None:
    parsed = parse_markdown(source, Path("x.md"))
    assert parsed.problems == []
    assert dump(parsed.blocks) == expected


def test_raw_html_is_refused_with_its_line() -> None:
    parsed = parse_markdown("Fine.\n\n<div>raw</div>\n\nAnd <b>inline</b>.\n", Path("c.md"), first_line=5)
    messages = [f"{p.location.line}: {p.message}" for p in parsed.problems]
    assert messages[0] == "7: raw HTML is not allowed"
    assert any(m.startswith("9: raw HTML is not allowed: <b>") for m in messages)


def test_unclosed_div_is_reported_at_its_opening_line() -> None:
    parsed = parse_markdown("Text.\n\n::: {.mitigation title=x}\nBox text.\n", Path("c.md"))
    assert [(p.location.line, p.message) for p in parsed.problems] == [(3, "fenced div is never closed")]


def test_undefined_and_unused_reference_notes() -> None:
    parsed = parse_markdown("A[^a] b.\n\n[^b]: never called\n", Path("c.md"))
    messages = sorted(p.message for p in parsed.problems)
    assert messages == [
        "note '[^a]' is called but never defined",
        "note '[^b]' is defined but never called",
    ]
