"""The command line: exit codes, messages, and building a publication from any folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefbuilder.cli import cli

from helpers import run_briefbuilder as run


def test_check_accepts_a_good_publication(mini: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(mini)])
    assert result.exit_code == 0, result.output
    assert "ok: mini" in result.output


def test_unknown_citation_key_is_file_and_line_and_exit_1(mini: Path) -> None:
    chapter = mini / "chapters" / "outreach.md"
    chapter.write_text(chapter.read_text().replace("[@roe-2019]", "[@roe-2091]"))
    result = run("check", str(mini))
    assert result.returncode == 1
    assert "chapters/outreach.md:12: unknown citation key 'roe-2091'" in result.stderr
    assert "did you mean 'roe-2019'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_edition_is_misuse(mini: Path, tmp_path: Path) -> None:
    result = run("build", str(mini), "--edition", "ful", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "unknown edition 'ful'" in result.stderr and "did you mean 'full'?" in result.stderr


def test_raw_html_exit_1(mini: Path) -> None:
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text() + "\n<script>alert(1)</script>\n")
    result = run("check", str(mini))
    assert result.returncode == 1
    assert "intro.md:11: raw HTML is not allowed" in result.stderr


@pytest.mark.pdf
def test_build_a_publication_outside_the_repository(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", str(mini), "--edition", "full", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pdf = out / "mini" / "en" / "full.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert str(pdf.relative_to(tmp_path)) in result.stdout or str(pdf) in result.stdout
