"""Corrections to citeproc-py 0.11 behaviour, applied once when the cite stage is imported.

* ``get_macro`` runs an XPath query on every call (50,000 calls for the resource's 80
  notes, half of the stage's time); macros are looked up once per style instead.
* ``cs:label`` prints its term even when its variable is absent, so Chicago's short note
  of a journal article reads "Roe, “Title”, edition, 12." (CSL 1.0.2: a label whose
  variable is empty is not rendered).
"""

from __future__ import annotations

from citeproc import model

_original_label_process = model.Label.process


def _label_process(self, item, variable=None, plural=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
    name = variable or self.get("variable")
    if name == "locator":
        if not item.has_locator:
            return None
    elif name and name.replace("-", "_") not in item.reference:
        return None
    return _original_label_process(self, item, variable=variable, plural=plural, context=context, **kwargs)


_macros: dict[object, dict[str, object]] = {}
_original_get_macro = model.CitationStylesElement.get_macro


def _get_macro(self, name):  # type: ignore[no-untyped-def]
    # The root proxy stays alive (the style holds it), so it is a stable key.
    root = self.get_root()
    per_style = _macros.setdefault(root, {})
    if name not in per_style:
        per_style[name] = _original_get_macro(self, name)
    return per_style[name]


def apply() -> None:
    if model.Label.process is not _label_process:
        model.Label.process = _label_process
        model.CitationStylesElement.get_macro = _get_macro
