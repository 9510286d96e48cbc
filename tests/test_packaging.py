"""The wheel carries the house styles from the repository's top-level styles/ folder."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    found = {
        ".".join(p.parent.relative_to(src).parts)
        for p in src.rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages in pyproject.toml"


def test_house_styles_are_at_the_top_level():
    from briefbuilder.house_styles import HOUSE_STYLES

    assert HOUSE_STYLES == ROOT / "styles"
    assert {"common.css", "full.css", "full.html.j2"} <= {p.name for p in HOUSE_STYLES.iterdir()}


@pytest.mark.pdf
def test_wheel_carries_the_house_styles(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("briefbuilder-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for style in (ROOT / "styles").iterdir():
        assert f"briefbuilder/styles/{style.name}" in names
