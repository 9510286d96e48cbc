"""The brief and the factsheets derive themselves from any publication and fill their pages.

Two publications the layouts were never tuned on (tests/fixtures/harbour: pillar chapters,
mitigation boxes, citations, an address, no edition configuration; tests/fixtures/noticeboard:
no pillars, important boxes) and the seed. PDF checks read the pages back; every language x
edition of the seed runs with BRIEFBUILDER_VALIDATE_ALL=1.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefbuilder.autofit import Measurement, base_size, plan
from briefbuilder.cli import cli
from briefbuilder.compose import compose_edition, find_edition, resolve_editions
from briefbuilder.derive import key_messages, key_points, ranked_sources
from briefbuilder.edition import Fit
from briefbuilder.load import load_publication
from briefbuilder.model import Div
from briefbuilder.render_html import plain_text
from pagefill import page_fills

from conftest import FIXTURES, RESOURCE
from pdfread import page_texts

HARBOUR = FIXTURES / "harbour"
NOTICEBOARD = FIXTURES / "noticeboard"
VALIDATE_ALL = os.environ.get("BRIEFBUILDER_VALIDATE_ALL") == "1"
FULL_ENOUGH = 2 / 3
MARGINS = {"brief": (14, 16), "factsheet": (14, 18)}


def flat(text: str) -> str:
    return re.sub(r"[\s\u00ad\u200b\u2010-]+", "", text).replace("’", "'").lower()


def words(text: str) -> int:
    return len(re.findall(r"\w+(?:[’'-]\w+)*", text))


# ------------------------------------------------------------------ derived content


def test_key_points_are_the_sections_titles_and_first_sentences() -> None:
    chapter = load_publication(HARBOUR).chapter("outreach")
    points = key_points(chapter)
    assert [p.title for p in points] == [
        "Meeting crews at the gangway",
        "Peers as outreach workers",
        "Speaking the crew's language",  # as written: smart quotes are the renderer's
        "Measuring what outreach achieves",
    ]
    assert [p.section for p in points][0] == "meeting-crews-at-the-gangway"
    # The first sentence; the second joins it when the first is under 90 characters.
    # Never the pull quote or a box.
    assert points[0].text == (
        "Most crews have less than a day ashore, and many have none at all. Outreach teams that"
        " wait in a clinic therefore never see them; teams that walk the quay meet several"
        " crews in one shift."
    )
    assert points[1].text == (
        "Former seafarers make the best outreach workers, because crews trust those who have done the work."
    )
    assert points[3].text.startswith("Outreach is often counted in leaflets handed out. What matters")


def test_key_marks_replace_the_derived_points() -> None:
    chapter = load_publication(HARBOUR).chapter("shore-leave")
    points = key_points(chapter)
    assert [p.text for p in points] == [
        "Where leave is refused, the health services of the port cannot reach the crew at all.",
        "Every port that keeps a safe way ashore for medical visits protects its own workers too.",
    ]
    assert all(p.marked for p in points)
    assert points[0].title == "Security rules made for cargo"


def test_a_chapter_without_sections_gives_a_point_per_paragraph() -> None:
    chapter = load_publication(HARBOUR).chapter("about")
    assert [p.text[:20] for p in key_points(chapter)] == ["Seafarers spend mont", "This publication fol"]


def test_key_sources_are_ranked_by_count_then_first_citation() -> None:
    chapter = load_publication(HARBOUR).chapter("outreach")
    # okafor: 3 citations; who-2019: 1 (first at "Measuring", after chen); itf: 1; chen: 2.
    assert ranked_sources(chapter.blocks) == ["okafor-2021", "chen-2023", "itf-2022", "who-2019-ports"]


def test_brief_key_messages_from_the_abstract_or_the_summaries() -> None:
    assert len(key_messages(load_publication(HARBOUR))) == 3
    messages = key_messages(load_publication(NOTICEBOARD))
    assert messages[:2] == [
        "Tenants who organise get repairs done sooner.",
        "A shared noticeboard is where it starts.",
    ]
    assert messages[2].startswith("Repairs reported by many tenants")


def test_without_mitigation_boxes_the_important_boxes_are_the_recommendations() -> None:
    publication = load_publication(NOTICEBOARD)
    assert [e.name for e in resolve_editions(publication)] == ["full", "policymaker", "web"]
    edition = compose_edition(publication, find_edition(publication, "policymaker"))
    boxes = [b for part in edition.chapters for b in part.blocks]
    assert [b.title for b in boxes if isinstance(b, Div)] == [
        "Keep one list of every open repair",
        "Post the agenda a week before each meeting",
    ]


def test_no_heading_is_left_without_content() -> None:
    """Every section label of a brief or factsheet has something under it."""
    from briefbuilder.cite import cite_edition
    from briefbuilder.pipeline import load_css
    from briefbuilder.render_html import render_edition_html

    for root in (HARBOUR, NOTICEBOARD):
        publication = load_publication(root)
        for config in resolve_editions(publication):
            if config.layout not in ("brief", "factsheet"):
                continue
            edition = cite_edition(compose_edition(publication, config))
            html = render_edition_html(edition, load_css(publication, edition.layout)).html
            body = html[html.index("<body") :]
            for match in re.finditer(r'<h2 class="section-label">(.*?)</h2>(.*?)</section>', body, re.S):
                content = re.sub(r"<[^>]+>|\s", "", match.group(2))
                assert content, f"{config.name}: '{match.group(1)}' has no content"
            if root == NOTICEBOARD:
                assert "pillar-card" in body  # one block per chapter instead of per pillar


# ------------------------------------------------------------------ auto-fit prediction


def test_style_sheets_base_size_is_read_from_the_css() -> None:
    assert base_size("p { font-size: 3pt } html { font-size: 9.6pt; line-height: 1.4 }") == 9.6


def test_plan_folds_a_nearly_empty_last_page_and_grows_a_short_one() -> None:
    nearly_one = Measurement([0.97, 0.06], fixed=0.12, optional={"key-point": [0.05] * 6})
    folded = plan(nearly_one, Fit(), budget=2, size=9.6, floor=8.5, ceiling=10.75)
    # Fewer key points first (never fewer than three), then smaller type.
    assert folded is not None and folded.key_points is not None and 3 <= folded.key_points < 6
    short = Measurement([0.55], fixed=0.12)
    grown = plan(short, Fit(), budget=2, size=9.6, floor=8.5, ceiling=10.75)
    assert grown is not None and 9.6 < (grown.font_size or 0) <= 10.75
    assert plan(Measurement([0.98, 0.9]), Fit(), budget=2, size=9.6, floor=8.5, ceiling=10.75) is None


def test_plan_over_budget_drops_optional_content_before_the_type_floor() -> None:
    over = Measurement([1.0, 0.99, 0.5], fixed=0.1, optional={"key-point": [0.06] * 8, "quote": [0.08]})
    fit = plan(over, Fit(), budget=2, size=9.6, floor=8.5, ceiling=10.75)
    assert fit is not None and fit.quote is False and fit.key_points is not None and fit.key_points >= 3


# ------------------------------------------------------------------ length budgets


def _copy(root: Path, tmp_path: Path) -> Path:
    target = tmp_path / root.name
    shutil.copytree(root, target)
    references = tmp_path.parent / "references"
    if not references.exists() and (RESOURCE.parent.parent / "references").exists():
        references.symlink_to(RESOURCE.parent.parent / "references")
    return target


def test_catalogues_carry_length_budgets() -> None:
    text = (RESOURCE / "translations" / "fr.po").read_text()
    assert re.search(r"#\. brief: at most \d+ characters", text)
    assert re.search(r"#\. factsheet: at most \d+ characters", text)


def test_a_translation_over_budget_is_reported_at_its_po_line(tmp_path: Path) -> None:
    seed = tmp_path / "briefs" / "collateral-damage"
    shutil.copytree(RESOURCE, seed)
    (tmp_path / "references").symlink_to(RESOURCE.parent.parent / "references")
    po = seed / "translations" / "fr.po"
    lines = po.read_text().splitlines()
    # The call to action: on the brief only, at most N characters.
    index = next(i for i, line in enumerate(lines) if line.startswith('msgctxt "publication::call-to-action'))
    budget = int(re.search(r"brief: at most (\d+)", "\n".join(lines[index - 4 : index])).group(1))
    msgstr = next(i for i in range(index, len(lines)) if lines[i].startswith("msgstr"))
    lines[msgstr] = 'msgstr "' + "Il est grand temps d’agir ensemble, " * (budget // 30 + 2) + '"'
    po.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(cli, ["i18n", "status", str(seed), "--lang", "fr"])
    assert f"fr.po:{msgstr + 1}: publication::call-to-action1: translation of" in result.output, result.output
    assert f"over its length budget of {budget} (brief)" in result.output
    checked = CliRunner().invoke(cli, ["check", str(seed)])
    assert f"fr.po:{msgstr + 1}:" in checked.output and "length budget" in checked.output


# ------------------------------------------------------------------ laid out (PDF)


@pytest.fixture(scope="session")
def harbour_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from briefbuilder.pipeline import build_edition

    publication = load_publication(HARBOUR)
    out = tmp_path_factory.mktemp("harbour")
    return {
        config.name: build_edition(publication, config, "en", out).path
        for config in resolve_editions(publication)
        if config.layout in ("brief", "factsheet")
    }


def _vector_marks(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        page = document.pages[-1]
        return len(page.lines) + len(page.rects) + len(page.curves)


def _assert_filled(pdf: Path, layout: str) -> list[float]:
    fills = page_fills(pdf, *MARGINS[layout])
    for number, fill in enumerate(fills, 1):
        assert fill >= FULL_ENOUGH, f"{pdf.name} page {number} is only {fill:.0%} full ({fills})"
    return fills


def _assert_recommendations_whole(pdf: Path, edition) -> None:  # type: ignore[no-untyped-def]
    from briefbuilder.labels import labels_for
    from briefbuilder.render_html import ContentRenderer

    text = flat(" ".join(page_texts(pdf)))
    renderer = ContentRenderer(None, labels_for(edition.lang))
    for part in edition.chapters:
        for box in part.blocks:
            assert flat(box.title) in text, f"recommendation '{box.title}' missing"
            lead = str(renderer.lead_sentence(box))
            assert flat(lead)[:80] in text, f"the text of '{box.title}' is missing"


@pytest.mark.pdf
def test_an_unseen_publication_gets_filled_short_editions(harbour_outputs: dict[str, Path]) -> None:
    publication = load_publication(HARBOUR)
    assert sorted(harbour_outputs) == [
        "factsheet-clinics",
        "factsheet-outreach",
        "factsheet-shore-leave",
        "policymaker",
    ]
    for name, pdf in harbour_outputs.items():
        layout = "brief" if name == "policymaker" else "factsheet"
        _assert_filled(pdf, layout)
        text = " ".join(page_texts(pdf))
        assert "Key sources" in text or "KEY SOURCES" in text
        assert flat("example.org/safe-harbours") in flat(text)
        assert _vector_marks(pdf) > 150, f"{name}: no QR code"  # an SVG: drawn as paths
        edition = compose_edition(publication, find_edition(publication, name))
        _assert_recommendations_whole(pdf, edition)
    outreach = flat(" ".join(page_texts(harbour_outputs["factsheet-outreach"])))
    assert flat("Peers as outreach workers.") in outreach and flat("Okafor") in outreach


@pytest.mark.pdf
def test_a_publication_without_pillars_gets_a_sensible_brief(tmp_path: Path) -> None:
    from briefbuilder.pipeline import build_edition

    publication = load_publication(NOTICEBOARD)
    result = build_edition(publication, find_edition(publication, "policymaker"), "en", tmp_path)
    text = " ".join(page_texts(result.path))
    assert result.pages == 1
    for expected in ("RECOMMENDATIONS", "Keep one list of every open repair", "KEY SOURCES", "Repairs"):
        assert flat(expected) in flat(text)
    assert (
        "PREVENTION" not in text and "rules are in the hall cupboard" not in text
    )  # a note is no recommendation


def _seed_cases() -> list[tuple[str, str]]:
    names = [
        "policymaker",
        "factsheet-prevention",
        "factsheet-protection",
        "factsheet-prosecution",
        "factsheet-partnership",
    ]
    if VALIDATE_ALL:
        return [(lang, name) for lang in ("en", "fr", "es", "ru") for name in names]
    return [("fr", "policymaker"), ("ru", "factsheet-partnership")]


@pytest.mark.pdf
def test_seed_short_editions_in_english_fill_their_pages(resource_en: dict[str, Path]) -> None:
    publication = load_publication(RESOURCE)
    for config in resolve_editions(publication):
        if config.layout not in ("brief", "factsheet"):
            continue
        pdf = resource_en[config.name]
        _assert_filled(pdf, config.layout)
        if config.layout == "brief":
            _assert_recommendations_whole(pdf, compose_edition(publication, config))
            count = words(" ".join(page_texts(pdf)))
            assert 700 <= count <= 900, f"the English two-pager has {count} words"


@pytest.mark.pdf
@pytest.mark.parametrize(("lang", "name"), _seed_cases())
def test_seed_short_editions_in_translation(lang: str, name: str, tmp_path: Path) -> None:
    from briefbuilder.pipeline import build_edition
    from briefbuilder.translate import translate_publication

    publication = load_publication(RESOURCE)
    config = find_edition(publication, name)
    result = build_edition(publication, config, lang, tmp_path)
    assert result.pages <= 2 and result.passes <= 3
    _assert_filled(result.path, config.layout)
    if config.layout == "brief":
        translated, _ = translate_publication(publication, lang)
        _assert_recommendations_whole(result.path, compose_edition(translated, config, lang))
    assert plain_text  # (imported for the recommendation check's renderer)
