"""UI labels ("Contents", "How to mitigate"...) in the edition's language.

The catalogue ships with the package (``locale/labels.yaml``); a label missing in a language
falls back to English, so a new language never prints an empty box label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

_CATALOGUE = Path(__file__).parent / "locale" / "labels.yaml"


@dataclass(frozen=True)
class Labels:
    lang: str
    texts: dict[str, str]
    fallback: dict[str, str]

    def get(self, key: str) -> str:
        return self.texts.get(key) or self.fallback.get(key) or key

    def __getitem__(self, key: str) -> str:
        return self.get(key)


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, str]]:
    """labels.yaml, then every other catalogue in locale/ (e.g. the web edition's) merged in."""
    with _CATALOGUE.open(encoding="utf-8") as handle:
        catalogue: dict[str, dict[str, str]] = yaml.safe_load(handle)
    for extra in sorted(_CATALOGUE.parent.glob("*.yaml")):
        if extra != _CATALOGUE:
            with extra.open(encoding="utf-8") as handle:
                for lang, texts in (yaml.safe_load(handle) or {}).items():
                    catalogue.setdefault(lang, {}).update(texts)
    return catalogue


def labels_for(lang: str) -> Labels:
    catalogue = _catalogue()
    base = lang.split("-")[0].lower()
    return Labels(lang, catalogue.get(lang) or catalogue.get(base) or {}, catalogue["en"])
