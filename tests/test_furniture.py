"""A publisher's publication without rendering a PDF: the brand file, the imprint keys, the
suggested citation in the publication's own style, translators from the PO header, the
abbreviations list and the typography helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

from briefbuilder.abbreviations import Abbreviations
from briefbuilder.brand import brand_css, font_installed
from briefbuilder.cite import cite_edition
from briefbuilder.compose import compose_edition, find_edition
from briefbuilder.errors import InputError
from briefbuilder.load import load_publication
from briefbuilder.typography import french_spacing, protect_compounds

from conftest import FIXTURES, ROOT


@pytest.fixture
def branded(tmp_path: Path) -> Path:
    target = tmp_path / "branded"
    shutil.copytree(FIXTURES / "branded", target)
    return target


def problems_of(folder: Path) -> str:
    with pytest.raises(InputError) as info:
        load_publication(folder)
    return str(info.value)


def test_brand_colours_fonts_and_logo_are_read(branded: Path) -> None:
    brand = load_publication(branded).brand
    assert brand is not None
    assert brand.name == "Harbour Health Collective"
    assert list(brand.palette.values()) == ["#0b4f6c", "#b5540d"]
    assert brand.logo is not None and brand.logo.data_uri.startswith("data:image/png;base64,")
    css = str(brand_css(brand, 4))
    # Pillars take the palette in order; a palette shorter than the pillars repeats, darker.
    assert "--accent-1: #0b4f6c" in css and "--accent-2: #b5540d" in css
    assert "--accent-3: #08394e" in css
    assert '--sans: "DejaVu Sans"' in css and '--serif: "DejaVu Serif"' in css


def test_a_brand_in_the_folder_of_several_publications_applies_to_each(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    for name in ("_brand.yml", "logo.png"):
        shutil.copy(FIXTURES / "branded" / name, tmp_path / name)
    brand = load_publication(tmp_path / "mini").brand
    assert brand is not None and brand.name == "Harbour Health Collective"


def test_brand_mistakes_are_reported_with_their_lines(branded: Path) -> None:
    (branded / "_brand.yml").write_text(
        "meta:\n  name: X\ncolour:\n  primary: red\n"
        "color:\n  palette:\n    sea: blue\n  primary: ocean\n"
        "typography:\n  base: No Such Font Family\n"
        "logo: ../../etc/passwd.png\n"
    )
    text = problems_of(branded)
    assert "_brand.yml:3: unknown brand key 'colour'" in text and "did you mean 'color'?" in text
    assert "_brand.yml:7: palette colour 'sea' must be a hex colour" in text
    assert "_brand.yml:8: colour 'primary' must be a palette name or a hex colour" in text
    assert "_brand.yml:10: font 'No Such Font Family' is not installed" in text
    assert "_brand.yml:11: logo" in text and ("outside" in text or "not found" in text)


def test_the_example_brand_is_valid_and_its_fonts_are_installed(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    for file in (ROOT / "examples" / "brand").iterdir():
        shutil.copy(file, tmp_path / file.name)
    brand = load_publication(tmp_path / "mini").brand
    assert brand is not None and brand.logo is not None and brand.small_logo is not None
    assert brand.logo.path.name == "logo-reversed.svg"  # the dark covers get the reversed logo
    assert font_installed("Lato") and font_installed("Noto Serif")
    assert len(brand.palette) == 2


def test_imprint_keys_are_validated(branded: Path) -> None:
    config = load_publication(branded).config
    imprint = config.imprint
    assert imprint.licence is not None and imprint.licence.cc_code == "by-sa"
    assert imprint.licence.url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert imprint.doi == "10.5555/safer-nights" and imprint.isbn == "978-3-16-148410-0"
    assert imprint.abbreviations == {"NGO": "non-governmental organisation"}
    text = (branded / "publication.yaml").read_text()
    text = text.replace("978-3-16-148410-0", "978-3-16-148410-1").replace("10.5555/safer-nights", "safer")
    (branded / "publication.yaml").write_text(text + "isbm: 1\n")
    problems = problems_of(branded)
    assert "publication.yaml:14: ISBN 978-3-16-148410-1 has a wrong check digit" in problems
    assert "publication.yaml:13: 'safer' is not a DOI" in problems
    assert "unknown key 'isbm'" in problems and "did you mean 'isbn'?" in problems


def cited(folder: Path, style: str) -> str:
    text = (folder / "publication.yaml").read_text().replace("csl: apa", f"csl: {style}")
    (folder / "publication.yaml").write_text(text)
    publication = load_publication(folder)
    edition = cite_edition(compose_edition(publication, find_edition(publication, "full")))
    assert edition.citations is not None
    return str(edition.citations.suggested_citation)


def test_the_suggested_citation_is_formatted_by_the_publications_style(branded: Path) -> None:
    apa = cited(branded, "apa")
    assert apa.startswith("Quay, A., &amp; Marsh, B. (2025). <i>Safer nights")
    assert "https://doi.org/10.5555/safer-nights" in apa
    chicago = cited(branded, "chicago-author-date")
    # The same item in another style: names, order and title case are the style's.
    assert chicago.startswith("Quay, Ada, and Ben Marsh. 2025. <i>Safer Nights: A Field Guide")
    assert "Harbour Health Collective" in chicago


def test_translators_come_from_the_po_header_and_survive_an_update(branded: Path) -> None:
    from briefbuilder.furniture import translators
    from briefbuilder.i18n.catalogue import update

    config = branded / "publication.yaml"
    config.write_text(config.read_text() + "translations: [fr]\n")
    publication = load_publication(branded)
    path, _ = update(publication, "fr")
    path.write_text(
        path.read_text().replace(
            '"Language: fr\\n"', '"Language: fr\\n"\n"X-Translators: Chloé Dupont, Sam Lefèvre\\n"'
        )
    )
    update(load_publication(branded), "fr")  # an update keeps the translators' header
    assert "X-Translators: Chloé Dupont" in path.read_text()
    publication = load_publication(branded)
    edition = compose_edition(publication, find_edition(publication, "full"), "fr")
    assert translators(edition) == ["Chloé Dupont", "Sam Lefèvre"]


def test_the_first_use_of_an_abbreviation_links_to_the_list() -> None:
    abbreviations = Abbreviations({"NGO": Markup("non-governmental organisation"), "THB": Markup("x")})
    first = abbreviations.link_first_uses(Markup("An NGO and <a href='#x'>THB</a> then NGOs and THB."))
    assert str(first) == (
        'An <a class="abbr-first" href="#abbr-ngo">NGO</a> and <a href=\'#x\'>THB</a> then NGOs and '
        '<a class="abbr-first" href="#abbr-thb">THB</a>.'
    )
    assert "abbr-first" not in str(abbreviations.link_first_uses(Markup("The NGO again.")))


def test_compounds_break_only_at_their_hyphen_and_french_spacing_spares_urls() -> None:
    assert str(protect_compounds(Markup("anti-trafficking in 2012-2016"))) == (
        '<span class="compound">anti-trafficking</span> in 2012-2016'
    )
    assert french_spacing("PILIER: PROTECTION") == "PILIER\u202f: PROTECTION"
    assert french_spacing("« Quoi? »") == "«\u202fQuoi\u202f?\u202f»"
    assert french_spacing("https://x.org/?a=1 CELEX:32011") == "https://x.org/?a=1 CELEX:32011"
