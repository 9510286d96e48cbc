"""The Pandoc the differential tests compare against: the one pypandoc-binary bundles (a
recent Pandoc 3), else Debian's. Pandoc is the reference for what the Markdown means and how
citations read, so its version is part of every comparison's report."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache


@lru_cache(maxsize=1)
def pandoc_path() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def run_pandoc(args: list[str], text: str | None = None) -> str:
    path = pandoc_path()
    if path is None:
        raise RuntimeError("no pandoc: install the test dependencies (pypandoc-binary)")
    return subprocess.run([path, *args], input=text, capture_output=True, text=True, check=True).stdout
