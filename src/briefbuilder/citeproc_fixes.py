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
    from . import citeproc_csl

    citeproc_csl.apply()
    if model.Label.process is not _label_process:
        model.Label.process = _label_process
        model.CitationStylesElement.get_macro = _get_macro
        _speed_up()


# ---------------------------------------------------------------- speed
# The style tree never changes once parsed, so answers that depend only on it are kept per
# element. Elements are lxml proxies that stay alive while the cached style holds its root,
# which makes them stable dictionary keys.

_STRUCTURAL = ("calls_variable", "get_layout", "is_locale_date", "get_root")
_memo: dict[tuple[str, object], object] = {}
_terms: dict[tuple[object, str, object, bool], object] = {}


def _memoised(name: str, original):  # type: ignore[no-untyped-def]
    def method(self):  # type: ignore[no-untyped-def]
        key = (name, self)
        if key not in _memo:
            _memo[key] = original(self)
        return _memo[key]

    method.__wrapped__ = original  # type: ignore[attr-defined]
    return method


_MISSING = object()


_queries: dict[tuple[object, str], list[object]] = {}


def _xpath_search(original):  # type: ignore[no-untyped-def]
    # Every query citeproc-py makes is about the (unchanging) style tree.
    def xpath_search(self, expression):  # type: ignore[no-untyped-def]
        key = (self, expression)
        found = _queries.get(key)
        if found is None:
            found = _queries[key] = original(self, expression)
        return list(found)

    xpath_search.__wrapped__ = original  # type: ignore[attr-defined]
    return xpath_search


def _locale_get_term(original):  # type: ignore[no-untyped-def]
    def get_term(self, name, form=None, zero_padded=False):  # type: ignore[no-untyped-def]
        key = (self, name, form, zero_padded)
        found = _terms.get(key)
        if found is None:
            try:
                found = original(self, name, form, zero_padded=zero_padded)
            except IndexError:
                found = _MISSING
            _terms[key] = found
        if found is _MISSING:
            raise IndexError(name)
        return found

    get_term.__wrapped__ = original  # type: ignore[attr-defined]
    return get_term


def _speed_up() -> None:
    classes = [model.CitationStylesElement, *_subclasses(model.CitationStylesElement)]
    classes += [cls for cls in vars(model).values() if isinstance(cls, type) and cls not in classes]
    for cls in classes:
        for name in _STRUCTURAL:
            method = cls.__dict__.get(name)
            if method is not None and not hasattr(method, "__wrapped__"):
                setattr(cls, name, _memoised(name, method))
    if not hasattr(model.CitationStylesElement.xpath_search, "__wrapped__"):
        model.CitationStylesElement.xpath_search = _xpath_search(model.CitationStylesElement.xpath_search)
    if not hasattr(model.Locale.get_term, "__wrapped__"):
        model.Locale.get_term = _locale_get_term(model.Locale.get_term)
    from citeproc.source import CitationItem

    if (
        not getattr(CitationItem.reference, "fget", None)
        or CitationItem.reference.fget is not _item_reference
    ):
        CitationItem.reference = property(_item_reference)


def _item_reference(self):  # type: ignore[no-untyped-def]
    # Looked up ~80,000 times per edition through two properties; the answer never changes.
    cached = self.__dict__.get("_reference")
    if cached is None:
        cached = self.bibliography.source[self.key]
        object.__setattr__(self, "_reference", cached)
    return cached


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
