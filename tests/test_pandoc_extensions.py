"""Pandoc's extensions as a reader sees them: the HTML they become, the translations they
survive, and the messages and warnings a user gets for what cannot be printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefbuilder.i18n.placeholders import check_translation, decode, encode
from briefbuilder.labels import labels_for
from briefbuilder.markdown import parse_markdown
from briefbuilder.model import Math, Paragraph, Styled
from briefbuilder.render_html import ContentRenderer
from briefbuilder.typography import smart_text

from helpers import dump_inlines, run_briefbuilder


def html(source: str, lang: str = "en") -> str:
    parsed = parse_markdown(source, Path("c.md"))
    assert parsed.problems == []
    return str(ContentRenderer(None, labels_for(lang)).blocks(parsed.blocks))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "“Don’t buy” – ‘sex’ — then…"),
        ("fr", "«\u202fDon’t buy\u202f» – “sex” — then…"),
        ("ru", "«Don’t buy» – „sex“ — then…"),
        ("de", "„Don’t buy“ – ‚sex‘ — then…"),
    ],
)
def test_smart_punctuation_uses_the_languages_quotation_marks(lang: str, expected: str) -> None:
    assert html("\"Don't buy\" -- 'sex' --- then...", lang) == f"<p>{expected}</p>"


def test_quotes_pair_across_emphasis_and_leave_code_alone() -> None:
    assert html('"*Stop*" and `"x" -- y`') == "<p>“<em>Stop</em>” and <code>&#34;x&#34; -- y</code></p>"
    assert smart_text("the workers' rights", "en") == "the workers’ rights"


def test_inline_extensions_become_html_elements() -> None:
    out = html("H~2~O, 2^10^, ~~gone~~, [m]{.mark}, `print(1)`{.python}")
    assert "H<sub>2</sub>O" in out and "2<sup>10</sup>" in out and "<del>gone</del>" in out
    assert '<span class="mark">m</span>' in out
    assert '<code class="python"><span style=' in out  # highlighted by Pygments


def test_math_is_an_svg_image_with_the_tex_as_its_alternative_text() -> None:
    out = html("Cost $C = \\frac{a}{b}$.\n\n$$\nx^2\n$$\n")
    assert '<img class="math" src="data:image/svg+xml;base64,' in out
    assert 'alt="C = \\frac{a}{b}"' in out
    assert '<span class="math display"><img class="math"' in out


def test_math_as_reports_type_it_is_typeset() -> None:
    # A range with a text hyphen after a number (ziamath 0.13 broke its MathML on it), a
    # degree sign right after a digit, and an aligned derivation over several lines.
    out = html(
        "A rate of $5\\text{-}8 \\times 10^{-5}$ at 70$^\\circ$F:\n$$\n\\begin{aligned}\na &= b \\\\\n&= c\n"
        "\\end{aligned}\n$$\n"
    )
    assert "math-error" not in out
    assert out.count('<img class="math"') == 3
    assert 'alt="5\\text{-}8 \\times 10^{-5}"' in out  # the alternative text is what the author typed


def test_code_blocks_are_highlighted_and_escaped() -> None:
    out = html("```python\nif a < b:\n    pass\n```\n")
    assert out.startswith('<pre class="sourceCode python"><code><span style=')
    assert "&lt;" in out and "<b:" not in out


def test_definition_lists_line_blocks_and_task_lists() -> None:
    out = html("Term\n:   Meaning.\n\n| one\n|   two\n\n- [x] done\n- [ ] to do\n")
    assert "<dl><dt>Term</dt><dd><p>Meaning.</p></dd></dl>" in out
    assert '<div class="line-block">one<br>\u00a0\u00a0two</div>' in out
    assert 'aria-label="done"' in out and 'aria-label="to do"' in out


def test_list_delimiters_and_start_numbers_reach_the_html() -> None:
    out = html("(3) three\n(4) four\n")
    assert (
        '<ol type="1" start="3" style="list-style-type: decimal-two-parens; counter-reset: list-item 2">'
        in out
    )


def test_new_inlines_survive_the_placeholder_round_trip() -> None:
    parsed = parse_markdown("H~2~O is ^*very*^ ~~cheap~~ at $x^2$ per unit.", Path("c.md"))
    paragraph = parsed.blocks[0]
    assert isinstance(paragraph, Paragraph)
    encoded = encode(paragraph.inlines)
    assert encoded.text == "H<1>2</1>O is <2><3>very</3></2> <4>cheap</4> at <m1/> per unit."
    assert "<1>…</1> subscript" in encoded.describe() and "<m1/> math" in encoded.describe()
    translation = "L’<4>eau</4> H<1>2</1>O coûte <m1/> : <2><3>très</3></2> peu."
    assert check_translation(encoded, translation) == []
    rebuilt = decode(encoded, translation)
    assert dump_inlines(rebuilt) == (
        "L’<strikeout>eau</strikeout> H<subscript>2</subscript>O coûte <inline-math x^2> : "
        "<superscript><em>très</em></superscript> peu."
    )
    assert any(isinstance(n, Styled) for n in rebuilt) and any(isinstance(n, Math) for n in rebuilt)
    assert check_translation(encoded, "H<1>2</1>O <4>x</4> <2><3>y</3></2>") == [
        "missing placeholder(s) <m1/>"
    ]
    assert check_translation(encoded, translation + " $y$ `z`")  # no markup smuggled in


def test_messages_name_the_markdown_to_write_and_never_a_token() -> None:
    parsed = parse_markdown("A<br>b and <sup>2</sup> and <u>x</u>.\n", Path("c.md"))
    hints = [p.hint or "" for p in parsed.problems]
    assert any("backslash" in h for h in hints)
    assert any("^x^" in h for h in hints)
    assert any("[x]{.underline}" in h for h in hints)
    assert not any("_" in p.message.split(":")[0] for p in parsed.problems)


@pytest.fixture
def raw_publication(mini: Path) -> Path:
    chapter = mini / "chapters" / "intro.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text + "\n<!-- a comment\nover two lines -->\n\n\\newpage\n\nSee `\\relax`{=latex} here.\n",
        encoding="utf-8",
    )
    return mini


def test_raw_tex_is_dropped_with_a_warning_at_its_line(raw_publication: Path) -> None:
    result = run_briefbuilder("check", str(raw_publication))
    assert result.returncode == 0, result.stderr
    lines = (raw_publication / "chapters" / "intro.md").read_text().split("\n")
    newpage = lines.index("\\newpage") + 1
    assert f"intro.md:{newpage}: raw LaTeX '\\newpage' is left out" in result.stderr
    assert "raw LaTeX '\\relax' is left out" in result.stderr
    assert "comment" not in result.stderr


def test_a_tex_error_is_reported_at_its_line(mini: Path) -> None:
    chapter = mini / "chapters" / "intro.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + "\nA paragraph whose second line\nhas $\\frac{a$ and $\\nosuch x$.\n"
    )
    result = run_briefbuilder("check", str(mini))
    assert result.returncode == 1
    line = len(chapter.read_text().rstrip("\n").split("\n"))
    assert f"intro.md:{line}: math $\\frac{{a$ cannot be typeset" in result.stderr
    assert "unknown TeX command \\nosuch" in result.stderr
    assert "Traceback" not in result.stderr


def test_definition_terms_and_line_block_lines_are_translation_segments() -> None:
    from briefbuilder.i18n.segments import chapter_sites
    from briefbuilder.model import Chapter

    parsed = parse_markdown("Term *one*\n:   Its definition.\n\n| A line\n| Another\n", Path("c.md"))
    chapter = Chapter("c", "Title", parsed.blocks, parsed.blocks[0].location)
    sites = [(site.kind, site.text) for site in chapter_sites(chapter)]
    assert ("dt", "Term <1>one</1>") in sites and ("p", "Its definition.") in sites
    assert ("line", "A line") in sites and ("line", "Another") in sites


def test_a_box_that_holds_a_table_may_break_over_a_page_like_the_table() -> None:
    long_box = html('::: {.mitigation title="T"}\nText.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n:::\n')
    short_box = html('::: {.mitigation title="T"}\nText.\n:::\n')
    assert 'class="box mitigation box-long"' in long_box
    assert "box-long" not in short_box
