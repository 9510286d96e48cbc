"""Property: whatever a publication folder holds, `check` and `i18n status` answer with exit 0
(fine) or 1 (problems, as messages), never 3 (an internal error), and in bounded time.

Each example edits one file of the mini publication: publication.yaml, a chapter's front
matter, a chapter's body, or a PO catalogue. The edits are drawn from the characters and
keys that matter to each format, so that most examples are nearly valid and reach deep
into the pipeline instead of failing at the first byte.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefbuilder.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SECONDS_PER_RUN = 15  # generous: the machine is shared; a hang is minutes

# Keys the schema knows, so that values of the wrong type or range are tried, not only
# unknown keys.
PUBLICATION_KEYS = [
    "title",
    "subtitle",
    "date",
    "lang",
    "abstract",
    "bibliography",
    "csl",
    "chapters",
    "translations",
    "editions",
    "author",
    "keywords",
    "nocite",
    "toc-depth",
    "number-sections",
    "url",
    "key-messages",
    "publisher",
    "license",
    "isbn",
    "doi",
    "funding",
    "abbreviations",
    "cover-image",
    "unknown-key",
]
FRONT_MATTER_KEYS = ["id", "title", "summary", "pillar", "measures", "author", "lang", "abstract", "x"]
YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=True)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
MARKDOWN_PIECES = st.sampled_from(
    [
        "[",
        "]",
        "^[",
        "[^1]",
        "[^1]: ",
        "[@doe-2020]",
        "@unknown",
        "@fig-x",
        "{#id}",
        "{.mitigation}",
        ":::",
        '::: {.mitigation title="T"}',
        "|",
        "|---|",
        "+--+",
        "$",
        "$$",
        "`",
        "```",
        "<!--",
        "-->",
        "<div>",
        "![a](x.png)",
        "# ",
        "## ",
        "\n",
        "\n\n",
        "> ",
        "- ",
        "1. ",
        "(@) ",
        "*",
        "_",
        "~",
        "^",
        "\\",
        "&amp;",
        "---",
    ]
)
PO_PIECES = st.sampled_from(
    ['msgid "', 'msgstr "', 'msgctxt "', '"', "\\", "\\n", "<1>", "</1>", "<n1/>", "<c1/>", "#, fuzzy", "\n"]
)


@contextlib.contextmanager
def _publication() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "mini"
        shutil.copytree(FIXTURES / "mini", target)
        yield target


def _run(*argv: str) -> int:
    started = time.monotonic()
    with (
        contextlib.redirect_stderr(io.StringIO()) as err,
        contextlib.redirect_stdout(io.StringIO()),
        pytest.raises(SystemExit) as exited,
    ):
        main(list(argv))
    elapsed = time.monotonic() - started
    code = exited.value.code
    assert code in (0, 1), f"exit {code}: {err.getvalue()[-2000:]}"
    assert "Traceback" not in err.getvalue()
    assert elapsed < SECONDS_PER_RUN, f"{argv} took {elapsed:.1f} s"
    return int(code)


# BRIEFBUILDER_FUZZ_EXAMPLES=300 for a longer hunt (1,200 examples run in about 80 s).
FUZZ = settings(
    max_examples=int(os.environ.get("BRIEFBUILDER_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(st.dictionaries(st.sampled_from(PUBLICATION_KEYS), YAML_VALUES, max_size=4), st.booleans())
def test_any_publication_yaml_is_checked_or_refused(overrides: dict, raw: bool) -> None:
    with _publication() as pub:
        path = pub / "publication.yaml"
        settings_ = yaml.safe_load(path.read_text(encoding="utf-8"))
        settings_.update(overrides)
        text = yaml.safe_dump(settings_, allow_unicode=True)
        if raw:  # also the bytes YAML itself may choke on
            text = text.replace(":", ": &a [*a", 1) if overrides else text + "\t- : {"
        path.write_text(text, encoding="utf-8")
        _run("check", str(pub))


@FUZZ
@given(st.dictionaries(st.sampled_from(FRONT_MATTER_KEYS), YAML_VALUES, max_size=4))
def test_any_front_matter_is_checked_or_refused(overrides: dict) -> None:
    with _publication() as pub:
        path = pub / "chapters" / "intro.md"
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        meta.update(overrides)
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body, encoding="utf-8")
        _run("check", str(pub))


@FUZZ
@given(st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=6)), max_size=40).map("".join))
def test_any_chapter_body_is_checked_or_refused(body: str) -> None:
    with _publication() as pub:
        path = pub / "chapters" / "outreach.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\n" + body + "\n", encoding="utf-8")
        _run("check", str(pub))


@pytest.fixture(scope="module")
def translated_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini publication with a French catalogue, as `i18n update` writes it."""
    target = tmp_path_factory.mktemp("fuzz") / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    config = target / "publication.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "translations: [fr]\n", encoding="utf-8")
    assert _run("i18n", "update", str(target), "--lang", "fr") == 0
    return target


@FUZZ
@given(st.data())
def test_any_po_file_is_checked_or_refused(translated_mini: Path, data: st.DataObject) -> None:
    catalogue = (translated_mini / "translations" / "fr.po").read_text(encoding="utf-8")
    lines = catalogue.splitlines()
    index = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    piece = data.draw(st.lists(st.one_of(PO_PIECES, st.text(max_size=6)), max_size=12).map("".join))
    edited = [*lines[:index], piece, *lines[index + 1 :]]
    with tempfile.TemporaryDirectory() as folder:
        pub = Path(folder) / "mini"
        shutil.copytree(translated_mini, pub)
        (pub / "translations" / "fr.po").write_text("\n".join(edited) + "\n", encoding="utf-8")
        _run("i18n", "status", str(pub))
        _run("check", str(pub))
