"""The resource's sources: complete, consistent, and Pandoc-compatible."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from briefbuilder.cite import cite_edition
from briefbuilder.compose import compose_edition, find_edition
from briefbuilder.load import load_publication

from conftest import RESOURCE, ROOT

STORE = ROOT / "references" / "collateral-damage.json"


@pytest.fixture(scope="module")
def full_edition():
    publication = load_publication(RESOURCE)
    return cite_edition(compose_edition(publication, find_edition(publication, "full")))


def test_every_key_resolves_and_every_item_is_used(full_edition) -> None:
    store_ids = {item["id"] for item in json.loads(STORE.read_text())}
    assert len(store_ids) == len(json.loads(STORE.read_text())), "duplicate items"
    assert set(full_edition.citations.cited_keys) == store_ids


def test_the_resource_has_80_notes(full_edition) -> None:
    assert full_edition.citations.note_count == 80


def test_every_chapter_has_a_summary_and_pillars_have_mitigations() -> None:
    publication = load_publication(RESOURCE)
    assert [c.id for c in publication.pillars] == [
        "prevention",
        "protection",
        "prosecution",
        "partnership",
    ]
    for chapter in publication.chapters:
        assert chapter.summary
    from briefbuilder.compose import mitigations

    for pillar in publication.pillars:
        boxes = mitigations(pillar)
        assert boxes and all(box.title for box in boxes)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")
def test_pandoc_reads_the_chapters_and_finds_every_citation() -> None:
    chapters = sorted((RESOURCE / "chapters").glob("*.md"))
    result = subprocess.run(
        ["pandoc", "--citeproc", "--bibliography", str(STORE), "-t", "plain", *map(str, chapters)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"[Cc]itation .* not found", result.stderr), result.stderr
