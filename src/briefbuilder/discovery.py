"""Which publications a command means, found without loading anything heavy."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageProblem


def discover_publications(paths: list[Path]) -> list[Path]:
    """The given folders, or every folder with a publication.yaml under ./briefs."""
    if paths:
        return paths
    briefs = Path("briefs")
    found = sorted(p.parent for p in briefs.glob("*/publication.yaml"))
    if not found:
        raise UsageProblem("no publication given and none found under ./briefs")
    return found
