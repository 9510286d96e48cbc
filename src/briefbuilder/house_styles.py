"""Where the house styles live: the repository's top-level ``styles/`` folder.

A wheel carries that folder as ``briefbuilder/styles`` (pyproject.toml maps it there), so an
installed package finds it beside this module; a source checkout or an editable install finds
it at the repository's top level, where designers look for it.
"""

from __future__ import annotations

from pathlib import Path


def _locate() -> Path:
    packaged = Path(__file__).parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "styles"


HOUSE_STYLES = _locate()
