"""Sandbox, atomic and reproducible outputs, robustness against odd input, property tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefbuilder.compose import find_edition
from briefbuilder.errors import InputError, Problem
from briefbuilder.i18n.placeholders import check_translation, decode, encode
from briefbuilder.load import load_publication
from briefbuilder.markdown import parse_markdown
from briefbuilder.pipeline import build_edition

from helpers import run_briefbuilder as cli

SECRET = Path("/etc/passwd").read_text().splitlines()[0] if Path("/etc/passwd").exists() else "root:x:0:0"


def add_to_chapter(mini: Path, text: str) -> None:
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text() + "\n" + text + "\n")


def pdf_has_no_secret(pdf: Path) -> None:
    data = pdf.read_bytes()
    assert SECRET.encode() not in data
    from pdfread import page_texts

    assert SECRET not in " ".join(page_texts(pdf))


# ---------------------------------------------------------------- sandbox


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("![passwd](/etc/passwd)", "lies outside the publication folder"),
        ("![passwd](../../../../../../etc/passwd)", "lies outside the publication folder"),
        ("![passwd](file:///etc/passwd)", "must be a file in the publication folder, not a URL"),
        ("![remote](https://example.org/x.png)", "must be a file in the publication folder, not a URL"),
    ],
)
def test_images_outside_the_publication_are_errors(mini: Path, markdown: str, message: str) -> None:
    add_to_chapter(mini, markdown)
    with pytest.raises(InputError) as info:
        load_publication(mini)
    assert message in str(info.value) and "intro.md:" in str(info.value)


def test_symlink_to_a_file_outside_is_refused(mini: Path) -> None:
    (mini / "images").mkdir()
    (mini / "images" / "p.png").symlink_to("/etc/passwd")
    add_to_chapter(mini, "![looks local](../images/p.png)")
    with pytest.raises(InputError) as info:
        load_publication(mini)
    assert "lies outside the publication folder" in str(info.value)


@pytest.mark.pdf
def test_links_css_and_translations_cannot_read_files(mini: Path, tmp_path: Path) -> None:
    add_to_chapter(mini, "A [link](file:///etc/passwd) and [another](/etc/passwd).")
    styles = mini / "styles"
    styles.mkdir()
    (styles / "custom.css").write_text(
        "body { background: url('file:///etc/passwd'); }\n"
        "@font-face { font-family: X; src: url('/etc/passwd'); }\n"
        "p::after { content: url('../../../../etc/passwd'); }\n"
    )
    publication = load_publication(mini)
    result = build_edition(publication, find_edition(publication, "full"), "en", tmp_path)
    pdf_has_no_secret(result.path)
    assert any("/etc/passwd" in w for w in result.report.warnings)
    from pypdf import PdfReader

    uris = [
        str(a.get_object()["/A"].get("/URI"))
        for p in PdfReader(result.path).pages
        for a in p.get("/Annots") or []
        if a.get_object().get("/A")
    ]
    assert not any("passwd" in uri for uri in uris)


def test_translation_cannot_inject_images_or_html() -> None:
    source = encode(parse_markdown("Plain.[@a]\n", Path("x.md")).blocks[0].inlines)
    for attempt in [
        "<img src='/etc/passwd'><c1/>",
        "![x](/etc/passwd)<c1/>",
        '<a href="file:///etc/passwd">x</a><c1/>',
    ]:
        assert check_translation(source, attempt)


# ---------------------------------------------------------------- atomic and reproducible outputs


@pytest.mark.pdf
def test_failed_rebuild_leaves_previous_pdfs_and_no_debris(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("build", str(mini), "--out", str(out)).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    add_to_chapter(mini, "Broken [@no-such-key].")
    result = cli("build", str(mini), "--out", str(out))
    assert result.returncode == 1 and "unknown citation key 'no-such-key'" in result.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.pdf
def test_interrupted_write_leaves_no_temporary_file(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefbuilder.pdf as pdf

    publication = load_publication(mini)
    build_edition(publication, find_edition(publication, "full"), "en", tmp_path)
    target = tmp_path / "mini" / "en" / "full.pdf"
    previous = target.read_bytes()

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_edition(publication, find_edition(publication, "full"), "en", tmp_path)
    assert target.read_bytes() == previous
    assert sorted(p.name for p in target.parent.iterdir()) == ["full.pdf"]


@pytest.mark.pdf
def test_same_sources_in_different_folders_give_identical_bytes(mini: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "copy"
    shutil.copytree(mini, other)
    first = cli("build", str(mini), "-e", "full", "--out", str(tmp_path / "a"))
    second = cli("build", str(other), "-e", "full", "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert (tmp_path / "a" / "mini" / "en" / "full.pdf").read_bytes() == (
        tmp_path / "b" / "copy" / "en" / "full.pdf"
    ).read_bytes()


# ---------------------------------------------------------------- robustness


@pytest.mark.pdf
def test_odd_but_valid_content_builds(mini: Path, tmp_path: Path) -> None:
    nested = "\n".join("  " * depth + f"- level {depth}" for depth in range(12))
    add_to_chapter(mini, nested + "\n\n" + "A huge paragraph. " * 4000)
    (mini / "chapters" / "empty.md").write_text("---\nid: empty\ntitle: Empty\n---\n")
    config = (
        (mini / "publication.yaml")
        .read_text()
        .replace("  - chapters/outreach.md", "  - chapters/outreach.md\n  - chapters/empty.md")
    )
    (mini / "publication.yaml").write_text(config)
    publication = load_publication(mini)
    result = build_edition(publication, find_edition(publication, "full"), "en", tmp_path)
    assert result.pages > 5


def test_a_footnote_longer_than_a_page_is_a_clear_error(mini: Path) -> None:
    add_to_chapter(mini, "A call.^[" + "A very long note. " * 500 + "]")
    result = cli("check", str(mini))
    assert result.returncode == 1
    assert "intro.md:" in result.stderr and "too long for a footnote" in result.stderr


def test_internal_errors_say_so_without_a_traceback(mini: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    (tmp_path / "sitecustomize.py").write_text(
        "import briefbuilder.pipeline as p\n"
        "def boom(*a, **k):\n    raise RuntimeError('simulated bug')\n"
        "p.build_edition = boom\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sitecustomize, briefbuilder.cli as c; c.build_edition = sitecustomize.boom; c.main()",
            "build",
            str(mini),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 3
    assert "internal error: RuntimeError: simulated bug" in result.stderr
    assert "--debug" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_markdown_parses_or_reports_problems(text: str) -> None:
    parsed = parse_markdown(text, Path("any.md"), first_line=5)
    assert all(isinstance(p, Problem) and p.location.line >= 5 for p in parsed.problems)


MARKUP = st.sampled_from(
    ["<1>", "</1>", "<n1/>", "<c1/>", "<img>", "](", "![", "`", "<", ">", "&lt;", "*", "{#x}"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), MARKUP), max_size=12).map("".join))
def test_any_translation_is_refused_or_decodes_to_plain_nodes(translation: str) -> None:
    source = encode(
        parse_markdown("Some *emphasis* and a note.^[Body.][@key]\n", Path("x.md")).blocks[0].inlines
    )
    problems = check_translation(source, translation)
    if not problems:
        nodes = decode(source, translation)
        assert nodes is not None
