"""CSL rules citeproc-py 0.11 does not follow, applied once with :mod:`.citeproc_fixes`.

Each patch makes citeproc-py do what the CSL 1.0.2 specification says, which is also what
Pandoc's citeproc (the reference users compare against) prints:

* ``initialize="false"`` on ``cs:name``: given names are printed in full ("Jake Hall", not
  "J. Hall"), even when the style sets ``initialize-with``;
* a ``cs:names`` inside ``cs:substitute`` (also nested in a ``cs:choose``) without a
  ``cs:name`` of its own takes the substituted ``cs:names``' name and label ("Maria Stacey and
  Borislav Gerasimov, eds.", not "M. Stacey, B. Gerasimov");
* a variable a substitute printed is suppressed in the rest of the entry (no "ed. Stacey and
  Gerasimov" after the editors stood in for the author; no site name printed twice);
* ``text-case="title"`` only for English items (an item without a language takes the
  output locale's), capitalising each part of a hyphenated compound, as Pandoc does, leaving
  stop words lower case and words that have capitals as they are.
"""

from __future__ import annotations

import re

from citeproc import model
from citeproc.string import MixedString, NoCase, String

_recording: list[set[str]] = []
# What substitutes printed in the entry being rendered. citeproc-py renders one entry at a
# time and resets ``Layout.repressed`` before each; the reset clears this set too.
_suppressed_now: set[str] = set()
_repressed_now: dict[str, list[str]] = {}


def _get_repressed(self):  # type: ignore[no-untyped-def]
    return _repressed_now


def _set_repressed(self, value):  # type: ignore[no-untyped-def]
    global _repressed_now
    _repressed_now = value
    _suppressed_now.clear()


def _suppressed(context) -> set[str]:  # type: ignore[no-untyped-def]
    return _suppressed_now


def _record(variable: str) -> None:
    for found in _recording:
        found.add(variable)


# ---------------------------------------------------------------- names

_original_initialize = model.Name.initialize


def _initialize(self, given, mark, context):  # type: ignore[no-untyped-def]
    flag = self.get("initialize")
    if flag is None:
        for ancestor in self.iterancestors():
            if ancestor.get("initialize") is not None:
                flag = ancestor.get("initialize")
                break
    if (flag or "true").lower() == "false":
        return given
    return _original_initialize(self, given, mark, context)


_original_names_process = model.Names.process


def _names_process(self, item, names_context=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
    if names_context is None and self.name is None:
        for ancestor in self.iterancestors():
            if isinstance(ancestor, model.Substitute):
                parent = ancestor.getparent()
                if isinstance(parent, model.Names):
                    names_context = parent
                break
    suppressed = _suppressed(context if context is not None else self)
    variables = self.get("variable", "").split()
    hidden = [v for v in variables if v in suppressed]
    if hidden:
        # A suppressed variable counts as empty: the element renders the others, or nothing.
        present = [v for v in variables if v not in suppressed and v.replace("-", "_") in item.reference]
        if not present:
            substitute = self.substitute()
            if substitute is None:
                raise model.VariableError
        original = self.get("variable")
        self.set("variable", " ".join(v for v in variables if v not in suppressed) or original)
        try:
            if not present:
                return substitute.render(item, context=context or self, **kwargs)
            text = _original_names_process(self, item, names_context, context, **kwargs)
        finally:
            self.set("variable", original)
    else:
        text = _original_names_process(self, item, names_context, context, **kwargs)
    if text:
        for variable in variables:
            if variable.replace("-", "_") in item.reference:
                _record(variable)
    return text


# ---------------------------------------------------------------- substitute

_original_substitute_render = model.Substitute.render


def _substitute_render(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
    found: set[str] = set()
    _recording.append(found)
    try:
        text = _original_substitute_render(self, item, context=context, **kwargs)
    finally:
        _recording.pop()
    if text and found:
        _suppressed_now.update(found)
        _record_all(found)
    return text


def _record_all(found: set[str]) -> None:
    for variable in found:
        _record(variable)


_original_text_variable = model.Text._variable


def _text_variable(self, item, context):  # type: ignore[no-untyped-def]
    variable = self.get("variable")
    if variable in _suppressed(context):
        return None
    text = _original_text_variable(self, item, context)
    if text:
        _record(variable)
    return text


# ---------------------------------------------------------------- title case

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "down",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "onto",
        "or",
        "over",
        "so",
        "the",
        "till",
        "to",
        "up",
        "via",
        "with",
        "yet",
    ]
)
# Pandoc's citeproc treats hyphens and dashes inside a word as word boundaries.
_PIECE = re.compile(r"([\s\-\u2010\u2011\u2013\u2014/]+)")
_LETTER = re.compile(r"[^\W\d_]")


class _TitleState:
    def __init__(self) -> None:
        self.first = True
        self.after_colon = False


def title_case(text: str, state: _TitleState | None = None) -> str:
    """English title case as Pandoc's citeproc applies it."""
    state = state or _TitleState()
    out = []
    for piece in _PIECE.split(text):
        if not piece or _PIECE.fullmatch(piece):
            out.append(piece)
            continue
        letters = _LETTER.findall(piece)
        core = re.sub(r"^\W+|\W+$", "", piece)
        starts_with_letter = bool(re.match(r"\W*[^\W\d_]", piece))
        capitalise = core.lower() not in STOP_WORDS or state.first or state.after_colon
        if letters and starts_with_letter and all(c.islower() for c in letters) and capitalise:
            match = _LETTER.search(piece)
            assert match is not None
            piece = piece[: match.start()] + piece[match.start()].upper() + piece[match.start() + 1 :]
        state.first = False
        state.after_colon = piece.rstrip()[-1:] in (":", "?", "!", ".")
        out.append(piece)
    return "".join(out)


def _title(text, state: _TitleState):  # type: ignore[no-untyped-def]
    if isinstance(text, NoCase):
        state.first = False
        return text
    if isinstance(text, MixedString):
        return MixedString([_title(part, state) for part in text])
    if isinstance(text, String):
        return type(text)(title_case(str(text), state))
    if isinstance(text, str):
        return title_case(text, state)
    return text


_original_case = model.TextCased.case


def _case(self, text, language=None):  # type: ignore[no-untyped-def]
    if self.get("text-case") == "title":
        if language is None:
            # A term or label: in the output locale's language.
            language = str(self.get_root().get("default-locale", "en"))[:2]
        if language != "en":
            return text
        return _title(text, _TitleState())
    return _original_case(self, text, language)


# ---------------------------------------------------------------- groups
# CSL: a group is suppressed when it calls a variable (directly or through a macro) and every
# variable it calls is empty. citeproc-py counts a nested group as a rendered variable, so
# IEEE's "[Online]." and APA's "(Publication)" were printed with no variable behind them.

_static: dict[object, bool] = {}
_CONDITIONS = ("if", "else-if", "label", "key")


def _calls_variable(element, seen: frozenset[str] = frozenset()) -> bool:  # type: ignore[no-untyped-def]
    key = (element, seen)
    if key in _static:
        return _static[key]
    found = False
    for node in element.iter():
        tag = str(node.tag).rsplit("}", 1)[-1]
        if tag in _CONDITIONS:
            continue
        if node is not element and node.get("variable"):
            found = True
            break
        macro = node.get("macro")
        if macro and tag == "text" and macro not in seen:
            try:
                target = node.get_macro(macro)
            except (IndexError, AttributeError):
                continue
            if _calls_variable(target, seen | {macro}):
                found = True
                break
    _static[key] = found
    return found


_original_group_process = model.Group.process


def _group_process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
    found: set[str] = set()
    _recording.append(found)
    try:
        text = _original_group_process(self, item, context=context, **kwargs)
    finally:
        _recording.pop()
    if text and not found and _calls_variable(self):
        raise model.VariableError
    _record_all(found)
    return text


def _recording_process(cls):  # type: ignore[no-untyped-def]
    original = cls.process

    def process(self, item, *args, **kwargs):  # type: ignore[no-untyped-def]
        text = original(self, item, *args, **kwargs)
        if text and self.get("variable"):
            _record(self.get("variable"))
        return text

    process.__wrapped__ = original  # type: ignore[attr-defined]
    return process


_original_text_markup = model.Text.markup


def _text_markup(self, text, language):  # type: ignore[no-untyped-def]
    # display="left-margin" (a numeric style's "[1]"): the entry's text follows after a space,
    # as in Pandoc's output, instead of running on.
    out = _original_text_markup(self, text, language)
    if out and self.get("display") == "left-margin":
        out = out + " "
    return out


def apply() -> None:
    if model.Name.initialize is _initialize:
        return
    model.Name.initialize = _initialize
    model.Names.process = _names_process
    model.Substitute.render = _substitute_render
    model.Text._variable = _text_variable
    model.TextCased.case = _case
    model.Layout.repressed = property(_get_repressed, _set_repressed)
    model.Key.sort_keys = _sort_keys
    model.Text.markup = _text_markup
    model.Group.process = _group_process
    model.Date.process = _recording_process(model.Date)
    model.Number.process = _recording_process(model.Number)


# ---------------------------------------------------------------- sorting

_original_sort_keys = model.Key.sort_keys
_MARKUP = re.compile(r"<[^>]*>")


def sort_text(value: str) -> str:
    """A sort key as a collation compares it: visible letters and digits only (no quotation
    marks, apostrophes or markup), case-folded."""
    import html

    visible = html.unescape(_MARKUP.sub("", value))
    words = re.sub(r"[^\w\s]|_", "", visible).split()
    return " ".join(words).casefold()


def _sort_keys(self, items, context):  # type: ignore[no-untyped-def]
    keys = _original_sort_keys(self, items, context)
    out = []
    for key in keys:
        if isinstance(key, str | MixedString):
            key = sort_text(str(key)) or None
        out.append(key)
    return out
