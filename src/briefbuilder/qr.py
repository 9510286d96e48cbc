"""The full resource's address as a QR code (segno: pure Python, no image library)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8)
def qr_data_uri(url: str) -> str:
    """An SVG ``data:`` URI of the address's QR code; empty without an address.

    Error correction M survives a worn print; no quiet zone, the layout gives it room."""
    if not url:
        return ""
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=0, dark="#1f2328")
