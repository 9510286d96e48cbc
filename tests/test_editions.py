"""The audience editions: page budgets, content, defaults for unseen publications, the API."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefbuilder import build_custom, load_publication
from briefbuilder.compose import find_edition, mitigations, resolve_editions
from briefbuilder.errors import BudgetExceeded
from briefbuilder.pipeline import build_edition

from conftest import RESOURCE, ROOT
from pdfread import column_texts, page_texts


def test_default_editions_without_configuration(mini: Path) -> None:
    publication = load_publication(mini)
    assert [e.name for e in resolve_editions(publication)] == [
        "full",
        "policymaker",
        "factsheet-outreach",
        "web",
    ]


def flat(text: str) -> str:
    """Text without spaces and hyphens: line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\-\u2010\u00ad\u200b]", "", text)


@pytest.fixture(scope="module")
def resource_outputs(resource_en: dict[str, Path]) -> dict[str, Path]:
    return resource_en


@pytest.mark.pdf
def test_policymaker_brief_is_two_pages_with_every_pillar_and_recommendation(resource_outputs) -> None:
    pdf = resource_outputs["policymaker"]
    assert len(PdfReader(pdf).pages) == 2
    text = flat(" ".join(page_texts(pdf)))  # one column of recommendations
    publication = load_publication(RESOURCE)
    for pillar in publication.pillars:
        assert pillar.title in text
        for box in mitigations(pillar):
            assert flat(box.title) in text, box.title
    assert "Key sources" in " ".join(page_texts(pdf))


@pytest.mark.pdf
@pytest.mark.parametrize("pillar", ["prevention", "protection", "prosecution", "partnership"])
def test_factsheet_within_two_pages_with_its_mitigations(resource_outputs, pillar: str) -> None:
    pdf = resource_outputs[f"factsheet-{pillar}"]
    assert 1 <= len(PdfReader(pdf).pages) <= 2
    text = flat(" ".join(page_texts(pdf)))
    chapter = load_publication(RESOURCE).chapter(pillar)
    assert chapter is not None
    for box in mitigations(chapter):
        assert flat(box.title) in text
    others = [c for c in load_publication(RESOURCE).pillars if c.id != pillar]
    for other in others:
        for box in mitigations(other):
            assert flat(box.title) not in text


@pytest.mark.pdf
def test_factsheet_notes_restart_and_first_citation_is_full(resource_outputs) -> None:
    text = page_texts(resource_outputs["factsheet-protection"])
    notes = [line for page in text for line in page.split("\n") if re.match(r"^\d\. ", line)]
    assert notes[0].startswith("1. ")
    # The ODIHR handbook was first cited long before in the full edition; here it is full.
    assert "National Referral Mechanisms" in " ".join(text)


@pytest.mark.pdf
def test_overfull_edition_is_an_error_saying_by_how_much(mini: Path, tmp_path: Path) -> None:
    chapter = mini / "chapters" / "outreach.md"
    chapter.write_text(chapter.read_text() + "\n\n" + ("Long text about outreach work. " * 400 + "\n\n") * 4)
    (mini / "publication.yaml").write_text(
        (mini / "publication.yaml").read_text()
        + "editions:\n  tight:\n    layout: factsheet\n    chapters: [outreach]\n    max-pages: 1\n"
    )
    publication = load_publication(mini)
    with pytest.raises(BudgetExceeded) as info:
        build_edition(publication, find_edition(publication, "tight"), "en", tmp_path)
    message = str(info.value)
    assert re.search(
        r"publication.yaml:\d+: edition 'tight' \(en\) needs \d+ pages, \d+ more than its budget of 1",
        message,
    )
    assert not (tmp_path / "mini" / "en" / "tight.pdf").exists()


UNSEEN = {
    "publication.yaml": """
        title: Harm reduction in nightlife
        lang: en
        abstract: Services work when the people they serve shape them.
        bibliography: refs.json
        chapters: [chapters/a.md, chapters/b.md, chapters/c.md]
    """,
    "refs.json": '[{"id": "kim-2021", "type": "book", "author": [{"family": "Kim", "given": "Ana"}],'
    ' "title": "Nights out", "publisher": "Press", "issued": {"date-parts": [[2021]]}}]',
    "chapters/a.md": """
        ---
        id: overview
        title: Overview
        summary: Why nightlife services matter.
        ---
        Nightlife brings risks.[@kim-2021, p. 4]
    """,
    "chapters/b.md": """
        ---
        id: testing
        title: Drug checking
        pillar: true
        summary: Drug checking services tell people what their drugs contain.
        ---
        Checking happens at festivals.

        ## Mobile labs {#mobile-labs}

        Labs travel.[@kim-2021, p. 9]

        ::: {.mitigation title="Staff labs with peers"}
        Peers make the service approachable.
        :::
    """,
    "chapters/c.md": """
        ---
        id: spaces
        title: Safer spaces
        pillar: true
        summary: Safer spaces policies set rules for venues.
        ---
        ::: {.mitigation title="Write policies with venue staff"}
        Staff know the venue.[@kim-2021]
        :::
    """,
}


@pytest.mark.pdf
def test_an_unseen_publication_gets_every_edition(tmp_path: Path) -> None:
    root = tmp_path / "nightlife"
    for name, text in UNSEEN.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip())
    publication = load_publication(root)
    names = [e.name for e in resolve_editions(publication)]
    assert names == ["full", "policymaker", "factsheet-testing", "factsheet-spaces", "web"]
    for config in resolve_editions(publication):
        result = build_edition(publication, config, "en", tmp_path / "out")
        assert (result.path / "index.html" if config.layout == "web" else result.path).is_file()
        if config.max_pages:
            assert result.pages <= config.max_pages
    brief = flat(column_texts(tmp_path / "out" / "nightlife" / "en" / "policymaker.pdf"))
    assert flat("Staff labs with peers") in brief and flat("Write policies with venue staff") in brief


@pytest.mark.pdf
def test_readme_python_example_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"### Custom factsheets from Python\n\n```python\n(.*?)```", readme, re.DOTALL)
    assert example
    (tmp_path / "briefs").symlink_to(ROOT / "briefs")
    (tmp_path / "references").symlink_to(ROOT / "references")
    monkeypatch.chdir(tmp_path)
    exec(compile(example.group(1), "README.md", "exec"), {})
    pdf = tmp_path / "build" / "collateral-damage" / "en" / "protection-mitigations.pdf"
    assert pdf.is_file() and len(PdfReader(pdf).pages) <= 2
    assert os.path.getsize(pdf) > 10_000


@pytest.mark.pdf
def test_letter_page_size(tmp_path: Path) -> None:
    result = build_custom(
        RESOURCE, name="letter", chapters=["partnership"], page_size="letter", out_dir=tmp_path
    )
    box = PdfReader(result.path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.pdf
def test_a_brief_too_long_keeps_every_recommendation_text_or_fails(mini: Path, tmp_path: Path) -> None:
    """Recommendations are never shortened to fit: their text is the same in every language.
    Smaller type absorbs what it can; beyond that the build fails, naming where."""
    chapter = mini / "chapters" / "outreach.md"
    original = chapter.read_text()

    def boxes(repeat: int) -> str:
        return "".join(
            f'\n::: {{.mitigation #mit-{n} title="Recommendation {n}"}}\n'
            + ("A long first sentence of this recommendation that goes on " * repeat).strip()
            + ".\n:::\n"
            for n in range(12)
        )

    chapter.write_text(original + boxes(4))
    publication = load_publication(mini)
    result = build_edition(publication, find_edition(publication, "policymaker"), "en", tmp_path)
    assert result.pages <= 2
    text = flat(" ".join(page_texts(result.path)))
    for n in range(12):
        assert flat(f"Recommendation {n}") in text
    assert text.count(flat("A long first sentence of this recommendation")) == 12 * 4  # every text whole
    chapter.write_text(original + boxes(30))
    publication = load_publication(mini)
    with pytest.raises(BudgetExceeded) as raised:
        build_edition(publication, find_edition(publication, "policymaker"), "en", tmp_path / "long")
    assert "overflowing content starts with" in str(raised.value.problems[0].hint)
