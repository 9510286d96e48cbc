"""Pandoc's extensions in a real PDF, read back: nothing prints as raw syntax, math is an image
whose alternative text is its TeX, quotes are typographic, code keeps its lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefbuilder.compose import find_edition
from briefbuilder.load import load_publication
from briefbuilder.pipeline import build_edition

pytestmark = pytest.mark.pdf

FIXTURES = Path(__file__).parent / "fixtures"

CHAPTER = """
Peers reach "more" people -- as $n^2$ grows... and H~2~O, 2^10^, ~~gone~~.

<!-- an author's comment -->

$$
R = \\frac{\\alpha}{1 + \\sqrt{k}}
$$

Term
:   Its definition.

| A first line
|     an indented line

- [x] done

(3) third
(4) fourth

```python
def reach(n):
    return n ** 2
```

A rate typed into its sentence
$$
r = n^2
$$ {#eq:rate}
as @eq:rate says.

\\newpage
"""


@pytest.fixture(scope="module")
def dialect_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dialect") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    chapter = root / "chapters" / "outreach.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("Outreach is the first step.", "Outreach is the first step.\n" + CHAPTER))
    publication = load_publication(root)
    out = tmp_path_factory.mktemp("dialect-out")
    return build_edition(publication, find_edition(publication, "full"), "en", out).path


def test_no_raw_syntax_reaches_the_pdf(dialect_pdf: Path) -> None:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(dialect_pdf).pages)
    for raw in ("$", "~~", "^10^", "\\newpage", "<!--", "[x]", "--", '"more"'):
        assert raw not in text, raw
    assert "“more”" in text and "–" in text and "…" in text
    assert "def reach(n):" in text and "(3)" in text and "(4)" in text and "(1) third" not in text


def test_a_numbered_equation_inside_a_sentence_prints_its_number(dialect_pdf: Path) -> None:
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(dialect_pdf).pages)
    assert "(1)" in text and "as Equation 1 says" in text


def alt_texts(path: Path) -> list[str]:
    """The /Alt of every element of the PDF's tag tree."""
    from pypdf import PdfReader

    found: list[str] = []
    stack = [PdfReader(path).trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                stack.append(kid)
    return found


def test_math_is_an_image_with_its_tex_as_alternative_text(dialect_pdf: Path) -> None:
    alts = alt_texts(dialect_pdf)
    assert "n^2" in alts
    assert "R = \\frac{\\alpha}{1 + \\sqrt{k}}" in alts
