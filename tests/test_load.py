"""Loading publications: the typed tree, and one clear message per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbuilder.errors import InputError
from briefbuilder.load import load_publication
from briefbuilder.model import Div, Heading


def test_mini_publication_loads_into_a_typed_tree(mini: Path) -> None:
    publication = load_publication(mini)
    assert [c.id for c in publication.chapters] == ["intro", "outreach"]
    outreach = publication.chapters[1]
    assert outreach.pillar and outreach.summary.startswith("Outreach programmes")
    assert outreach.measures[0].section == "street-outreach"
    heading = next(b for b in outreach.blocks if isinstance(b, Heading))
    assert (heading.id, heading.location.line) == ("street-outreach", 14)
    box = next(b for b in outreach.blocks if isinstance(b, Div))
    assert (box.kind, box.title, box.location.file.name) == (
        "mitigation",
        "Run outreach with peers",
        "outreach.md",
    )


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_publication(path)
    return [f"{Path(str(p.location.file)).name}:{p.location.line}: {p.message}" for p in info.value.problems]


def test_yaml_syntax_error_names_the_line(mini: Path) -> None:
    (mini / "publication.yaml").write_text("title: x\nchapters: [a.md\nlang: en\n")
    [message] = problems_of(mini)
    assert message.startswith("publication.yaml:3: YAML syntax error")


def test_unknown_key_and_missing_chapter_reported_together(mini: Path) -> None:
    text = (mini / "publication.yaml").read_text().replace("subtitle:", "subtitel:")
    text = text.replace("chapters/outreach.md", "chapters/missing.md")
    (mini / "publication.yaml").write_text(text)
    messages = problems_of(mini)
    assert "publication.yaml:2: unknown key 'subtitel'" in messages
    assert "publication.yaml:10: chapter file not found: missing.md" in messages


def test_front_matter_errors_point_into_the_chapter(mini: Path) -> None:
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text("---\nid: intro\ntitle: [unclosed\n---\nText.\n")
    [message] = problems_of(mini)
    assert message.startswith("intro.md:")
    assert "YAML syntax error" in message


def test_duplicate_ids_across_chapters(mini: Path) -> None:
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text() + "\n## Again {#street-outreach}\n\nText.\n")
    messages = problems_of(mini)
    assert any("duplicate id 'street-outreach'" in m for m in messages)


def test_missing_bibliography_file(mini: Path) -> None:
    (mini / "refs.json").unlink()
    assert any("bibliography file not found: refs.json" in m for m in problems_of(mini))
