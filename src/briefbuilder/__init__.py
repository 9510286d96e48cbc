"""briefbuilder: structured chapters and a citation store in, audience-specific PDFs out.

The small public API: :func:`load_publication` reads a publication folder,
:func:`build_custom` builds a PDF of any selection of it, :func:`build_edition` builds a
declared edition (see :func:`resolve_editions`).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import build_custom
from .compose import resolve_editions
from .load import load_publication
from .pipeline import OutputResult, build_edition

__all__ = ["OutputResult", "build_custom", "build_edition", "load_publication", "resolve_editions"]
