"""briefbuilder: structured chapters and a citation store in, audience-specific PDFs out."""

from __future__ import annotations

__version__ = "0.1.0"
