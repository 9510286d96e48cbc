"""A citeproc-py output formatter that escapes every piece of text it is given.

citeproc-py's own HTML formatter escapes variables but not every string (affixes, terms);
this one escapes all text and emits only the few tags listed here, so formatted citations
can be trusted as HTML.
"""

from __future__ import annotations

import html


def preformat(text: object) -> str:
    # The store's own text arrives shielded (see cite.shield); what is left is the style's.
    return html.escape(str(text), quote=False)


class TagWrapper(str):
    tag = ""
    attributes = ""

    def __new__(cls, text: str) -> TagWrapper:
        return super().__new__(cls, f"<{cls.tag}{cls.attributes}>{text}</{cls.tag}>")


class Italic(TagWrapper):
    tag = "i"


class Oblique(Italic):
    pass


class Bold(TagWrapper):
    tag = "b"


class Light(TagWrapper):
    tag = "span"
    attributes = ' class="light"'


class Underline(TagWrapper):
    tag = "u"


class Superscript(TagWrapper):
    tag = "sup"


class Subscript(TagWrapper):
    tag = "sub"


class SmallCaps(TagWrapper):
    tag = "span"
    attributes = ' class="smallcaps"'
