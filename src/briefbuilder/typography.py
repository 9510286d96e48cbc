"""Typography by language, applied to text as it is rendered (never to the sources)."""

from __future__ import annotations

import re
from collections.abc import Callable


def french_spacing(text: str) -> str:
    """French typography: a narrow no-break space before ; : ! ? » and after «."""
    text = re.sub(r"(?<=\S)[ \u00a0]*([;:!?])(?=\s|$)", "\u202f\\1", text)
    text = re.sub(r"(?<=\S)[ \u00a0]*»", "\u202f»", text)
    return re.sub(r"«[ \u00a0]*(?=\S)", "«\u202f", text)


def typographer(lang: str) -> Callable[[str], str] | None:
    """The text fix-up for a language, or None where the text needs none."""
    if lang.split("-")[0].lower() == "fr":
        return french_spacing
    return None
