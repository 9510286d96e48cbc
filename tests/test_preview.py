"""briefbuilder preview: a served edition that follows every edit, and survives broken ones."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefbuilder.i18n.catalogue import update
from briefbuilder.load import load_publication

pytestmark = pytest.mark.pdf


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float = 10.0) -> float:
    """Seconds until the page at ``url`` contains ``text``; fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if text in fetch(url):
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s:\n{fetch(url)[:2000]}")


@pytest.fixture
def preview(mini: Path, tmp_path: Path) -> Iterator[tuple[Path, callable]]:  # type: ignore[valid-type]
    processes: list[subprocess.Popen[str]] = []

    def start(*args: str) -> str:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefbuilder",
                "preview",
                str(mini),
                "--port",
                "0",
                "--out",
                str(tmp_path / "o"),
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("serving http://127.0.0.1:"), (
            line,
            process.stderr.read() if process.poll() else "",
        )
        return line.split()[1]

    yield mini, start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_a_chapter_edit_shows_within_seconds_and_a_broken_one_shows_its_line(preview) -> None:  # type: ignore[no-untyped-def]
    mini, start = preview
    url = start("--edition", "web") + "intro.html"
    page = fetch(url)
    assert "A prose note breaks the run." in page
    chapter = mini / "chapters" / "intro.md"
    source = chapter.read_text()
    chapter.write_text(source.replace("A prose note breaks the run.", "An edited sentence shows up."))
    assert wait_for(url, "An edited sentence shows up.") < 10

    chapter.write_text(source.replace("---\n", "---\ntitle: [unclosed\n", 1))
    wait_for(url, "intro.md:")
    assert "The last build stopped" in fetch(url)

    chapter.write_text(source)  # fixed again: the server kept running
    wait_for(url, "A prose note breaks the run.")


def test_a_translator_sees_the_po_edit(preview) -> None:  # type: ignore[no-untyped-def]
    mini, start = preview
    config = mini / "publication.yaml"
    config.write_text(config.read_text() + "translations: [fr]\n")
    po, _ = update(load_publication(mini), "fr")
    url = start("--edition", "web", "--lang", "fr") + "outreach.html"
    fetch(url)
    po.write_text(
        po.read_text().replace(
            'msgid "Outreach"\nmsgstr ""', 'msgid "Outreach"\nmsgstr "Travail de proximité"'
        )
    )
    assert wait_for(url, "Travail de proximité") < 10
