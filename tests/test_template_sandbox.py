"""A publication's templates run sandboxed: no file outside the styles, no program, no internals.

Each attack goes in a publication's own ``styles/full.html.j2`` and is rendered the way a
build renders it (compose, cite, html); ``check`` is run on some of them too. The attack must
fail with a ``file:line`` problem naming the template, and nothing of ``/etc/passwd`` or of
``id``'s output may appear anywhere.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from markupsafe import Markup

from briefbuilder.check import check_publication
from briefbuilder.cite import cite_edition
from briefbuilder.compose import compose_edition, find_edition
from briefbuilder.errors import InputError
from briefbuilder.load import load_publication
from briefbuilder.render_html import render_edition_html

PASSWD = Path("/etc/passwd").read_text().splitlines()[0] if Path("/etc/passwd").exists() else "root:x:0:0"
ID_OUTPUT = subprocess.run(["id"], capture_output=True, text=True, check=False).stdout.strip() or "uid="


def render(mini: Path) -> str:
    publication = load_publication(mini)
    edition = cite_edition(compose_edition(publication, find_edition(publication, "full"), "en"))
    return render_edition_html(edition, Markup("")).html


def with_template(mini: Path, text: str, **extra: str) -> Path:
    styles = mini / "styles"
    styles.mkdir(exist_ok=True)
    (styles / "full.html.j2").write_text(text)
    for name, content in extra.items():
        (styles / name.replace("_", ".")).write_text(content)
    return styles


def assert_refused(mini: Path, *expected: str) -> str:
    with pytest.raises(InputError) as info:
        html = render(mini)
        pytest.fail(f"the template rendered:\n{html[:500]}")
    message = str(info.value)
    assert PASSWD not in message and ID_OUTPUT not in message
    assert "styles" in message, message
    for text in expected:
        assert text in message, message
    return message


ATTACKS = {
    "include-absolute": '{% include "/etc/passwd" %}',
    "include-climb": '{% include "../../../../../../etc/passwd" %}',
    "import-absolute": '{% import "/etc/passwd" as secrets %}{{ secrets }}',
    "from-import-climb": '{% from "../../../../etc/passwd" import root %}',
    "extends-climb": '{% extends "../../../../../etc/passwd" %}',
    "path-method": '{{ publication.root.joinpath("../../../../etc/passwd").read_text() }}',
    "path-operator": '{{ (publication.root / "../../../../etc/passwd").read_text() }}',
    "path-from-list": "{{ (config.chapters | first).read_text() }}",
    "class-walk": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals-of-helper": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "globals-of-context-function": "{{ accent_of.__globals__['__builtins__']['open']('/etc/passwd') }}",
    "attr-filter": '{{ publication | attr("root") | attr("read_text") }}',
    "attr-filter-dunder": "{{ lipsum | attr('__globals__') }}",
    "map-attribute": '{{ config.chapters | map(attribute="read_text") | list }}',
    "format-string": '{{ "{0.__class__.__init__.__globals__}".format(render) }}',
    "mutate-context": "{{ config.chapters.clear() }}",
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_templates_cannot_read_files_or_run_code(mini: Path, attack: str) -> None:
    with_template(mini, "<html>\n<body>\n<p>before</p>\n" + attack + "\n</body></html>\n")
    message = assert_refused(mini)
    assert "full.html.j2" in message, message


def test_include_of_a_symlink_to_passwd_is_refused(mini: Path) -> None:
    styles = with_template(mini, '<html>\n{% include "leak.html" %}\n</html>\n')
    (styles / "leak.html").symlink_to("/etc/passwd")
    assert_refused(mini, "leak.html", "outside the publication")


def test_extends_and_import_of_a_symlink_are_refused(mini: Path) -> None:
    styles = with_template(mini, '{% extends "base.html.j2" %}\n')
    (styles / "base.html.j2").symlink_to("/etc/passwd")
    assert_refused(mini, "base.html.j2", "outside the publication")
    with_template(mini, '{% import "macros.html" as m %}\n{{ m.x() }}\n')
    (styles / "macros.html").symlink_to("/etc/passwd")
    assert_refused(mini, "macros.html", "outside the publication")


def test_a_styles_folder_that_is_a_symlink_outside_is_refused(mini: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "full.html.j2").write_text("{{ 'outside' }}")
    (mini / "styles").symlink_to(elsewhere)
    assert_refused(mini, "outside the publication")


def test_a_template_may_use_the_house_base_and_its_own_partials(mini: Path) -> None:
    with_template(
        mini,
        '{% extends "base.html.j2" %}\n{% block body %}{% include "part.html" %}{% endblock %}\n',
        part_html="<p>{{ config.title | upper }} {{ chapters | length }} {{ publication.id is defined }}</p>",
    )
    assert "A MINI PUBLICATION 2 True" in render(mini)


def test_syntax_errors_and_undefined_names_are_located(mini: Path) -> None:
    with_template(mini, "<html>\n<p>\n{% if %}\n</html>\n")
    assert_refused(mini, "full.html.j2:3:", "syntax error")
    with_template(mini, "<html>\n<p>\n\n{{ no_such_name.x }}\n</html>\n")
    assert_refused(mini, "full.html.j2:4:", "no_such_name")


def test_a_template_that_is_not_utf8_is_a_problem(mini: Path) -> None:
    styles = with_template(mini, "")
    (styles / "full.html.j2").write_bytes(b"<html>\xff\xfe</html>")
    assert_refused(mini, "not UTF-8")


def test_check_compiles_and_renders_every_template(mini: Path) -> None:
    styles = with_template(mini, "<html>{{ config.chapters.clear() }}</html>\n")
    (styles / "unused-partial.html.j2").write_text("{% for x in %}\n")
    problems = [str(p) for p in check_publication(load_publication(mini))]
    assert any("full.html.j2:1:" in p and "sandbox" in p for p in problems), problems
    assert any("unused-partial.html.j2:1:" in p and "syntax" in p for p in problems), problems
