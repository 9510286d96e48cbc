"""Incremental and parallel builds: nothing changed renders nothing; every input counts."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from briefbuilder import cache
from briefbuilder.load import load_publication
from briefbuilder.manifest import MANIFEST_NAME
from briefbuilder.pipeline import plan_builds
from briefbuilder.runner import build_outputs

pytestmark = pytest.mark.pdf


def build(mini: Path, out: Path, jobs: int = 1, langs: tuple[str, ...] = ()) -> dict[str, bool]:
    """Build every edition; return output name -> whether it was rendered."""
    plans = list(plan_builds([load_publication(mini)], [], list(langs)))
    outcomes = build_outputs(plans, out, jobs=jobs)
    assert all(not o.problems for o in outcomes), [o.problems for o in outcomes]
    return {f"{o.job.lang}/{o.job.edition.name}": not o.cached for o in outcomes}


def test_nothing_changed_renders_nothing_and_each_input_counts(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert all(build(mini, out).values())
    assert not any(build(mini, out).values())

    # A chapter: only the outputs that contain it.
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text().replace("A prose note breaks the run.", "A prose note breaks it."))
    assert build(mini, out) == {
        "en/full": True,
        "en/policymaker": False,
        "en/factsheet-outreach": False,
        "en/web": True,
    }

    # The citation store, the configuration, the styles: everything.
    for change in (
        lambda: (mini / "refs.json").write_text(
            (mini / "refs.json").read_text().replace("Outreach Institute", "Outreach Inst.")
        ),
        lambda: (mini / "publication.yaml").write_text(
            (mini / "publication.yaml").read_text() + "version: '2'\n"
        ),
        lambda: (
            (mini / "styles").mkdir(),
            (mini / "styles" / "custom.css").write_text("p { color: #111; }\n"),
        ),
    ):
        change()
        assert all(build(mini, out).values())

    # A PDF changed or removed by hand is rebuilt.
    target = out / "mini" / "en" / "policymaker.pdf"
    target.write_bytes(b"%PDF-1.7 tampered")
    assert build(mini, out)["en/policymaker"]
    target.unlink()
    assert build(mini, out)["en/policymaker"]


def test_new_briefbuilder_code_renders_again(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build(mini, out)
    monkeypatch.setattr(cache, "tool_fingerprint", lambda: "another version")
    assert all(build(mini, out).values())


def test_translation_change_renders_only_that_language(mini: Path, tmp_path: Path) -> None:
    from briefbuilder.i18n.catalogue import update

    config = mini / "publication.yaml"
    config.write_text(config.read_text() + "translations: [fr]\n")
    po, _ = update(load_publication(mini), "fr")
    out = tmp_path / "out"
    build(mini, out, langs=("en", "fr"))
    po.write_text(
        po.read_text().replace(
            'msgid "Outreach"\nmsgstr ""', 'msgid "Outreach"\nmsgstr "Travail de proximité"'
        )
    )
    rendered = build(mini, out, langs=("en", "fr"))
    assert not any(v for k, v in rendered.items() if k.startswith("en/"))
    assert rendered["fr/full"]


def test_parallel_build_gives_the_same_bytes(mini: Path, tmp_path: Path) -> None:
    build(mini, tmp_path / "one", jobs=1)
    build(mini, tmp_path / "two", jobs=2)
    for pdf in (tmp_path / "one").rglob("*.pdf"):
        assert pdf.read_bytes() == (tmp_path / "two" / pdf.relative_to(tmp_path / "one")).read_bytes()


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefbuilder", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_a_rebuild_with_nothing_to_do_loads_no_renderer(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = cli("build", str(mini), "--out", str(out), "-j", "1")
    assert first.returncode == 0, first.stderr
    again = cli("build", str(mini), "--out", str(out), "-j", "1")
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("unchanged") == 4, again.stdout
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if "|" in line}
    heavy = {m for m in imported if m.split(".")[0] in ("weasyprint", "citeproc", "markdown_it", "lxml")}
    assert not heavy, f"a no-op rebuild imported {sorted(heavy)}"

    # An edit is seen by the same fast check: the chapter's output is rendered again.
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text().replace("A prose note breaks the run.", "A prose note breaks it."))
    edited = cli("build", str(mini), "--out", str(out), "-j", "1")
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.count("unchanged") == 2, edited.stdout  # full and web render again


def test_one_manifest_per_output_folder_and_nothing_hidden_beside_the_pdfs(
    mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(mini, out)
    assert (out / MANIFEST_NAME).is_file()
    beside = [p.name for p in (out / "mini" / "en").iterdir()]
    assert sorted(beside) == ["factsheet-outreach.pdf", "full.pdf", "policymaker.pdf", "web"]


def test_an_image_the_layout_reads_is_part_of_the_key(mini: Path, tmp_path: Path) -> None:
    image = mini / "chapters" / "figure.png"
    image.write_bytes(_png(1))
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text() + "\n![A square](figure.png)\n")
    out = tmp_path / "out"
    build(mini, out)
    image.write_bytes(_png(2))
    rendered = build(mini, out)
    assert rendered["en/full"] and rendered["en/web"] and not rendered["en/policymaker"]


def test_a_corrupt_manifest_renders_everything_again(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(mini, out)
    (out / MANIFEST_NAME).write_text("{ not json")
    assert all(build(mini, out).values())


def _png(shade: int) -> bytes:
    """A valid 1x1 greyscale PNG whose one pixel is ``shade``."""
    raw = b"\x00" + bytes([shade])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
