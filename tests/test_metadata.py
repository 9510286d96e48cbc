"""Pandoc's metadata in publication.yaml and front matter: authors, keywords, nocite,
link-citations, reference-section-title and lang, as a user writes and then reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefbuilder.cite import cite_edition
from briefbuilder.compose import compose_edition, find_edition
from briefbuilder.errors import InputError
from briefbuilder.load import load_publication
from briefbuilder.metadata import lang_problem
from briefbuilder.pipeline import load_css
from briefbuilder.render_html import render_edition_html

from helpers import run_briefbuilder


def set_keys(mini: Path, text: str) -> None:
    config = mini / "publication.yaml"
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_authors_as_names_or_with_affiliation_email_and_orcid(mini: Path) -> None:
    config = mini / "publication.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("lang: en\n", "lang: en-GB\n"))
    set_keys(
        mini,
        "author:\n  - Jane Roe\n  - name: Rick Doe\n    affiliation: [Test Institute, Other Lab]\n"
        "    email: rick@example.org\n    orcid: https://orcid.org/0000-0002-1825-0097\n"
        "keywords: outreach, peer work\n",
    )
    config = load_publication(mini).config
    assert config.author == ["Jane Roe", "Rick Doe"]
    assert config.authors[1].affiliation == ["Test Institute", "Other Lab"]
    assert config.authors[1].orcid == "0000-0002-1825-0097"
    assert config.keywords == ["outreach", "peer work"]
    assert config.lang == "en-GB"


def test_bad_author_entries_and_an_unknown_language_are_errors_at_their_lines(mini: Path) -> None:
    set_keys(mini, "author:\n  - name: Rick Doe\n    orcid: 1234\n    phone: 5\n  - 42\n")
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("id: intro\n", "id: intro\nlang: xx-QQ\n"))
    result = run_briefbuilder("check", str(mini))
    assert result.returncode == 1
    assert "'1234' is not an ORCID iD" in result.stderr
    assert "unknown author key 'phone'" in result.stderr
    assert "author 2 must be a name or a mapping" in result.stderr
    assert "intro.md:3: unknown language 'xx' in 'xx-QQ'" in result.stderr
    assert "hint: write a BCP 47 tag" in result.stderr


@pytest.mark.parametrize(
    ("tag", "ok"),
    [
        ("en", True),
        ("pt-BR", True),
        ("zh-Hant-TW", True),
        ("es-419", True),
        ("english", False),
        ("tlh", False),
    ],
)
def test_language_tags_are_checked_against_the_locale_data(tag: str, ok: bool) -> None:
    assert (lang_problem(tag) is None) is ok


def add_uncited_work(mini: Path) -> None:
    refs = mini / "refs.json"
    data = json.loads(refs.read_text(encoding="utf-8"))
    data.append(
        {"id": "uncited-2021", "type": "book", "title": "Never Cited", "issued": {"date-parts": [[2021]]}}
    )
    refs.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("nocite", ["'@uncited-2021'", "'@*'"])
def test_nocite_lists_uncited_works_in_the_bibliography(mini: Path, nocite: str) -> None:
    add_uncited_work(mini)
    set_keys(mini, f"nocite: {nocite}\n")
    publication = load_publication(mini)
    edition = cite_edition(compose_edition(publication, find_edition(publication, "full"), None))
    assert any("Never Cited" in str(entry) for entry in edition.citations.bibliography)


def test_nocite_with_an_unknown_key_is_an_error(mini: Path) -> None:
    set_keys(mini, "nocite: '@nosuch'\n")
    publication = load_publication(mini)
    with pytest.raises(InputError, match="nocite names unknown key 'nosuch'"):
        cite_edition(compose_edition(publication, find_edition(publication, "full"), None))


def test_reference_section_title_link_citations_and_keywords_reach_the_html(mini: Path) -> None:
    set_keys(mini, "csl: apa\nlink-citations: true\nreference-section-title: Works cited\nkeywords: [a, b]\n")
    publication = load_publication(mini)
    edition = cite_edition(compose_edition(publication, find_edition(publication, "full"), None))
    html = render_edition_html(edition, load_css(publication, "full")).html
    assert '<meta name="keywords" content="a, b">' in html
    assert ">Works cited</h1>" in html
    assert '<a class="citation-link" href="#ref-doe-2020">' in html
    assert 'id="ref-doe-2020"' in html


def test_titles_subtitles_summaries_and_abstracts_are_inline_markdown(mini: Path) -> None:
    config = mini / "publication.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("title: A mini publication", "title: A *mini* publication with H~2~O")
    text = text.replace("abstract: The key message", 'abstract: The "key" message -- with **weight**')
    config.write_text(text, encoding="utf-8")
    publication = load_publication(mini)
    for layout in ("full", "policymaker"):
        edition = cite_edition(compose_edition(publication, find_edition(publication, layout), None))
        css = load_css(publication, edition.layout)
        html = render_edition_html(edition, css).html
        assert "A <em>mini</em> publication with H<sub>2</sub>O" in html
        assert "<title>A mini publication with H2O" in html
    assert "The “key” message – with <strong>weight</strong>" in html


def test_raw_html_in_a_title_is_an_error(mini: Path) -> None:
    config = mini / "publication.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("subtitle: For the tests", "subtitle: For <b>tests</b>")
    )
    with pytest.raises(InputError, match="raw HTML is not allowed: <b>"):
        load_publication(mini)


def test_chapter_front_matter_author_keywords_and_abstract(mini: Path) -> None:
    chapter = mini / "chapters" / "intro.md"
    text = chapter.read_text(encoding="utf-8").replace(
        "summary: The introduction of the mini publication.\n",
        "abstract: The introduction, as Pandoc's abstract.\nauthor: [Ann Lee]\nkeywords: [peer work]\n",
    )
    chapter.write_text(text, encoding="utf-8")
    set_keys(mini, "keywords: [outreach]\n")
    publication = load_publication(mini)
    intro = publication.chapter("intro")
    assert intro is not None and intro.summary == "The introduction, as Pandoc's abstract."
    edition = cite_edition(compose_edition(publication, find_edition(publication, "full"), None))
    html = render_edition_html(edition, load_css(publication, "full")).html
    assert '<p class="chapter-authors">Ann Lee</p>' in html
    assert '<meta name="keywords" content="outreach, peer work">' in html
