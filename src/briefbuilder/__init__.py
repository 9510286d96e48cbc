"""briefbuilder: structured chapters and a citation store in, audience-specific PDFs out.

The small public API: :func:`load_publication` reads a publication folder,
:func:`build_custom` builds a PDF of any selection of it, :func:`build_edition` builds a
declared edition (see :func:`resolve_editions`).

The names are imported when first used, so that ``import briefbuilder`` (and a rebuild with
nothing to do) does not load the renderer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "OutputResult": "pipeline",
    "build_custom": "api",
    "build_edition": "pipeline",
    "load_publication": "load",
    "resolve_editions": "compose",
}
__all__ = ["OutputResult", "build_custom", "build_edition", "load_publication", "resolve_editions"]

if TYPE_CHECKING:
    from .api import build_custom
    from .compose import resolve_editions
    from .load import load_publication
    from .pipeline import OutputResult, build_edition


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'briefbuilder' has no attribute {name!r}")
