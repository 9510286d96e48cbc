"""A language's writing direction, script and digits (CLDR, through Babel), and what the
house CSS needs for them.

The house style sheets are written once, in logical properties (``margin-inline-start``,
``text-align: start``...), which WeasyPrint resolves by each element's ``direction``; the
document says ``dir="rtl"`` for a right-to-left language. What CSS cannot say logically is
generated here, from the same sheets, so that no right-to-left copy has to be kept in step:

- ``@page`` rules: margin boxes are named by physical side (``@top-left``), and ``:left`` /
  ``:right`` pages swap roles when the page progression is right to left. The rules are
  mirrored (left <-> right in selectors, box names and physical properties), so that the
  outer margin, the running header and the folio of each spread land where a reader of the
  language expects them;
- the digits of the counters (folios, notes, list numbers) when the locale's default
  numbering system is not Latin (``ar-EG``, ``fa``: CLDR's ``arab``, ``arabext``);
- grids, whose columns WeasyPrint 70 places left to right whatever the direction: their
  items are placed from the right (mirrored_grids);
- ``text-align: justify`` as ``start`` for joining scripts (Arabic), which WeasyPrint 70
  cannot justify (see localise_rules);
- the script's fonts (Noto Naskh Arabic for text, Noto Sans Arabic for labels), and no
  letter-spacing for scripts whose letters join.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tinycss2
from babel import Locale
from babel.core import UnknownLocaleError, get_global

# CLDR numbering systems (common/supplemental/numberingSystems.xml) a locale may default to;
# Babel names a locale's default system but does not ship the systems' digits.
DIGITS = {
    "latn": "0123456789",
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
    "beng": "০১২৩৪৫৬৭৮৯",
    "deva": "०१२३४५६७८९",
    "mymr": "၀၁၂၃၄၅၆၇၈၉",
    "tibt": "༠༡༢༣༤༥༦༧༨༩",
}

# Fonts by script (ISO 15924, as CLDR's likely subtags give it): (text, labels), from
# Debian's fonts-noto-core. The house Latin families follow, for Latin runs in the text.
SCRIPT_FONTS = {
    "Arab": ('"Noto Naskh Arabic"', '"Noto Sans Arabic"'),
    "Hebr": ('"Noto Serif Hebrew"', '"Noto Sans Hebrew"'),
}
HOUSE_SERIF = '"Noto Serif", "EB Garamond", "DejaVu Serif", serif'
HOUSE_SANS = '"Noto Sans", "Open Sans", "DejaVu Sans", sans-serif'
# Scripts whose letters join: letter-spacing would break them apart.
CURSIVE_SCRIPTS = {"Arab", "Syrc", "Nkoo", "Mong", "Adlm"}

COUNTER_STYLE = "locale-digits"


@dataclass(frozen=True)
class Script:
    lang: str
    direction: str  # "ltr" or "rtl", the value of the document's dir attribute
    script: str  # ISO 15924 code, e.g. "Latn", "Arab"
    numbering: str  # CLDR numbering system, e.g. "latn", "arab"

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def digits(self) -> str:
        return DIGITS.get(self.numbering, DIGITS["latn"])

    def number(self, value: object) -> str:
        """A number (or a string of them, "3.2") in the locale's digits."""
        text = str(value)
        if self.numbering == "latn":
            return text
        return text.translate(str.maketrans(DIGITS["latn"], self.digits))


@lru_cache(maxsize=64)
def script_of(lang: str) -> Script:
    """What CLDR says of ``lang`` (a BCP 47 tag); an unknown tag is taken as Latin, left to right."""
    tag = lang.replace("-", "_")
    try:
        locale = Locale.parse(tag)
    except (ValueError, TypeError, UnknownLocaleError):
        return Script(lang, "ltr", "Latn", "latn")
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    script = locale.script or _likely_script(tag)
    numbering = locale.default_numbering_system or "latn"
    return Script(lang, direction, script, numbering if numbering in DIGITS else "latn")


def _likely_script(tag: str) -> str:
    likely = get_global("likely_subtags")
    for key in (tag, tag.split("_")[0]):
        if key in likely:
            parts = likely[key].split("_")
            if len(parts) > 1 and len(parts[1]) == 4:
                return parts[1]
    return "Latn"


def text_direction(lang: str) -> str:
    return script_of(lang).direction


# ---------------------------------------------------------------- CSS


def localise_css(css: str, lang: str) -> str:
    """The house CSS for ``lang``: unchanged for a Latin, left-to-right language."""
    script = script_of(lang)
    css = localise_rules(css, lang)
    extra = []
    if script.numbering != "latn":
        symbols = " ".join(f'"{d}"' for d in script.digits)
        extra.append(f"@counter-style {COUNTER_STYLE} {{ system: numeric; symbols: {symbols}; }}")
        extra.append(
            f":where(ol:not([type])) {{ list-style-type: {COUNTER_STYLE}; }}"
        )  # no specificity: list-style: none stays
    if script.script in SCRIPT_FONTS:
        serif, sans = SCRIPT_FONTS[script.script]
        # After every sheet, so the script's families come first; Latin runs fall back to the
        # house families that follow them.
        extra.append(f":root {{ --serif: {serif}, {HOUSE_SERIF}; --sans: {sans}, {HOUSE_SANS}; }}")
    if script.script in CURSIVE_SCRIPTS:
        extra.append("html, html * { letter-spacing: normal !important; }")
    if not extra:
        return css
    return css + "\n/* briefbuilder: for " + lang + " (direction.py) */\n" + "\n".join(extra) + "\n"


def localise_rules(css: str, lang: str) -> str:
    """Only the rewriting part: @page rules mirrored, counters in the locale's digits. For CSS
    a template adds (its ``page_css`` block) after the house sheets."""
    script = script_of(lang)
    if script.rtl:
        css = mirror_page_rules(css) + mirrored_grids(css)
    if script.script in CURSIVE_SCRIPTS:
        # WeasyPrint 70 justifies by letter-spacing the spaces, and Pango letter-spaces no
        # run of a joining script: the line is measured as justified but drawn unjustified,
        # ragged at its start. Ragged at the end is the honest setting (no kashida either).
        css = _JUSTIFY.sub(r"\1start", css)
    if script.numbering != "latn":
        css = counters_in_locale_digits(css)
    return css


def mirrored_grids(css: str) -> str:
    """Rules that place a grid's items from the right: WeasyPrint 70 lays grid columns out
    left to right whatever the direction. For each rule with ``display: grid`` and N
    explicit column tracks, item k of each row goes to column N + 1 - k; dense packing
    keeps them on one row."""
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = {
            d.lower_name: tinycss2.serialize(d.value).strip()
            for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration"
        }
        tracks = declarations.get("grid-template-columns", "")
        if declarations.get("display") != "grid" or not tracks or "(" in tracks:
            continue
        columns = len(tracks.split())
        for selector in tinycss2.serialize(rule.prelude).split(","):
            selector = selector.strip()
            out.append(f"{selector} {{ grid-auto-flow: row dense; }}")
            out += [
                f"{selector} > :nth-child({columns}n+{k}) {{ grid-column: {columns + 1 - k}; }}"
                for k in range(1, columns + 1)
            ]
    return "\n" + "\n".join(out) + "\n" if out else ""


_JUSTIFY = re.compile(r"(text-align\s*:\s*)justify\b")
_COUNTER = re.compile(r"\b(counter|target-counter)\(([^()]*(?:\([^()]*\))?[^()]*)\)")


def counters_in_locale_digits(css: str) -> str:
    """``counter(page)`` -> ``counter(page, locale-digits)``; counters given a style keep it
    unless the style is ``decimal``."""

    def replace(match: re.Match[str]) -> str:
        function, args = match.group(1), match.group(2)
        parts = _split_args(args)
        base = 1 if function == "counter" else 2
        if len(parts) == base:
            parts.append(COUNTER_STYLE)
        elif len(parts) == base + 1 and parts[base].strip() == "decimal":
            parts[base] = COUNTER_STYLE
        return f"{function}({', '.join(p.strip() for p in parts)})"

    return _COUNTER.sub(replace, css)


def _split_args(args: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in args:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


_SWAP = {"left": "right", "right": "left"}
_SIDE_WORD = re.compile(r"\b(left|right)\b")
_PHYSICAL_PROPERTY = re.compile(r"^(margin|padding|border)-(left|right)(-.*)?$")
_FOUR_SIDES = {"margin", "padding", "border-width", "border-color", "border-style"}


def mirror_page_rules(css: str) -> str:
    """Every ``@page`` rule mirrored left <-> right; the rest of the sheet as it was."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    out = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
            prelude = _SIDE_WORD.sub(lambda m: _SWAP[m.group(1)], tinycss2.serialize(rule.prelude))
            out.append(f"@page{prelude}{{{_mirror_block(rule.content)}}}")
        else:
            out.append(rule.serialize())
    return "".join(out)


def _mirror_block(content: list) -> str:  # type: ignore[type-arg]
    parts = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            parts.append(_mirror_declaration(item))
        elif item.type == "at-rule":  # a margin box: @top-left -> @top-right
            name = _SIDE_WORD.sub(lambda m: _SWAP[m.group(1)], item.lower_at_keyword)
            body = _mirror_block(item.content) if item.content is not None else ""
            parts.append(f"@{name}{tinycss2.serialize(item.prelude)}{{{body}}}")
        else:
            parts.append(item.serialize())
    return " ".join(parts)


def _mirror_declaration(declaration) -> str:  # type: ignore[no-untyped-def]
    name = declaration.lower_name
    value = tinycss2.serialize(declaration.value).strip()
    match = _PHYSICAL_PROPERTY.match(name)
    if match:
        name = f"{match.group(1)}-{_SWAP[match.group(2)]}{match.group(3) or ''}"
    elif name in _FOUR_SIDES:
        values = [v for v in declaration.value if v.type not in ("whitespace", "comment")]
        if len(values) == 4:
            top, right, bottom, left = (tinycss2.serialize([v]) for v in values)
            value = f"{top} {left} {bottom} {right}"
    elif name == "text-align" and value in _SWAP:
        value = _SWAP[value]
    important = " !important" if declaration.important else ""
    return f"{name}: {value}{important};"
