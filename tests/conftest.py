from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
RESOURCE = ROOT / "briefs" / "collateral-damage"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini publication."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture(scope="session")
def resource_en(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every English PDF edition of the resource, built once for all PDF tests (the web
    edition has tests of its own)."""
    from briefbuilder.compose import resolve_editions
    from briefbuilder.load import load_publication
    from briefbuilder.pipeline import build_edition

    publication = load_publication(RESOURCE)
    out = tmp_path_factory.mktemp("resource-en")
    return {
        config.name: build_edition(publication, config, "en", out).path
        for config in resolve_editions(publication)
        if config.layout != "web"
    }
