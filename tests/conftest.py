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
