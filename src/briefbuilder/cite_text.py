"""Text-level rules Pandoc's citeproc applies to formatted citations, which citeproc-py leaves out.

They work on citeproc-py's output (HTML with the style's ``<i>``/``<b>`` tags), never on the
prose around a citation:

* ``punctuation-in-quote``: where the locale says so (en-US), a comma or full stop after a
  closing quotation mark moves inside it ("Prevention,”");
* quotation marks nest: single quotes written in a title that the style does not quote become
  the outer pair ("The Human Cost of “Crushing” the Market"), as Pandoc's flip-flopping does;
* a citation inside a note, other than one opening the note, is put in parentheses without its
  final full stop ("See (Doe, <i>Title</i>, 12)."), as Pandoc does for note styles.
"""

from __future__ import annotations

import re

_OPEN_DOUBLE, _CLOSE_DOUBLE = "\u201c", "\u201d"
_OPEN_SINGLE, _CLOSE_SINGLE = "\u2018", "\u2019"
_TAG = re.compile(r"<[^>]*>")


def punctuation_in_quote(text: str) -> str:
    """Move ``,`` and ``.`` after a closing double quotation mark inside it."""
    return re.sub(rf"((?:</[a-z]+>)*){_CLOSE_DOUBLE}((?:</[a-z]+>)*)([.,])", rf"\1\3{_CLOSE_DOUBLE}\2", text)


def nest_quotes(text: str) -> str:
    """Single quotation marks outside any double pair become double ones."""
    out: list[str] = []
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "<":
            end = text.find(">", index)
            end = len(text) - 1 if end < 0 else end
            out.append(text[index : end + 1])
            index = end + 1
            continue
        if char == _OPEN_DOUBLE:
            depth += 1
        elif char == _CLOSE_DOUBLE:
            depth = max(0, depth - 1)
        elif char == _OPEN_SINGLE and depth == 0:
            close = _closing_single(text, index + 1)
            if close is not None:
                text = text[:close] + _CLOSE_DOUBLE + text[close + 1 :]
                char = _OPEN_DOUBLE
        out.append(char)
        index += 1
    return "".join(out)


def _closing_single(text: str, start: int) -> int | None:
    """The ’ that closes a quotation opened before ``start`` (not an apostrophe: no letter after it)."""
    for match in re.finditer(_CLOSE_SINGLE, text[start:]):
        at = start + match.start()
        after = text[at + 1 : at + 2]
        if not after or not after.isalpha():
            return at
        if text[start:at].count(_OPEN_SINGLE):
            return None
    return None


def parenthesised(text: str) -> str:
    """A citation set inside a note's prose: in parentheses, without its final full stop."""
    body = text.rstrip()
    stripped = _TAG.sub("", body)
    if stripped.endswith("."):
        body = re.sub(r"\.((?:</[a-z]+>)*)$", r"\1", body)
    return f"({body})"


def drop_final_stop(text: str) -> str:
    """The citation without its final full stop, when the prose after it brings one."""
    return re.sub(r"\.((?:</[a-z]+>)*)$", r"\1", text.rstrip())


def smart_quotes(text: str) -> str:
    """Straight quotation marks written in the store, curled as Pandoc's smart reader does."""
    if "'" not in text and '"' not in text:
        return text
    parts = re.split(r"(<[^>]*>)", text)
    out = []
    previous = " "
    for part in parts:
        if part.startswith("<"):
            out.append(part)
            continue
        chars = []
        for char in part:
            if char in "'\"":
                opening = not previous.isalnum() and previous not in ".,;:!?)]’”"
                if char == "'":
                    char = _OPEN_SINGLE if opening else _CLOSE_SINGLE
                else:
                    char = _OPEN_DOUBLE if opening else _CLOSE_DOUBLE
            chars.append(char)
            previous = char
        out.append("".join(chars))
    return "".join(out)


def author_in_text(text: str, year: str) -> tuple[str, str]:
    """An author-date citation split for author-in-text: "(Doe, 2020, p. 3)" -> ("Doe",
    "(2020, p. 3)"), printed "Doe (2020, p. 3)".

    The author part is what precedes the year; a numeric style's "[2, p. 3]" stays as it is,
    with no names (Pandoc prints none either)."""
    inner = text.strip()
    if not (inner.startswith("(") and inner.endswith(")")):
        return "", text
    inner = inner[1:-1]
    at = inner.find(year) if year else -1
    if at <= 0:
        at = inner.find("n.d.")
    if at <= 0:
        return "", text
    return inner[:at].rstrip(", "), f"({inner[at:]})"


def first_field_apart(entry: str, number: int) -> str:
    """``second-field-align``: the entry's number ("[1]") stands apart from its text."""
    return re.sub(rf"^((?:<[^>]+>)*\W*{number}\W*?(?:</[^>]+>)*)(?=\w|<)", r"\1 ", entry, count=1)


# A month after a day number takes the genitive in Russian ("18 января 2019 г."); the CSL
# ru-RU locale has only the nominative forms (Pandoc prints "18 январь" too).
_GENITIVE = {
    "ru": {
        "январь": "января",
        "февраль": "февраля",
        "март": "марта",
        "апрель": "апреля",
        "май": "мая",
        "июнь": "июня",
        "июль": "июля",
        "август": "августа",
        "сентябрь": "сентября",
        "октябрь": "октября",
        "ноябрь": "ноября",
        "декабрь": "декабря",
    }
}


def date_case(text: str, lang: str) -> str:
    """Month names after a day number in the case the language needs."""
    months = _GENITIVE.get(lang[:2])
    if not months:
        return text
    pattern = re.compile(r"(\b\d{1,2}\s)(" + "|".join(months) + r")\b")
    return pattern.sub(lambda m: m.group(1) + months[m.group(2)], text)
