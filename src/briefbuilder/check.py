"""``briefbuilder check``: every stage but layout, for every edition and language.

All problems are collected: the sources, the citation store, each edition's selection and
citations, each translation's catalogue, the style sheets, and every template (compiled, and
each layout's rendered in the sandbox).
"""

from __future__ import annotations

from .cite import cite_edition
from .compose import compose_edition, resolve_editions
from .errors import InputError, Problem
from .model import Publication
from .pipeline import load_css
from .render_html import render_edition_html, template_environment
from .sandbox import compile_all
from .translate import translate_publication
from .web import compose_site, render_site


def check_publication(publication: Publication) -> list[Problem]:
    problems: list[Problem] = []

    def collect(exc: InputError) -> None:
        seen = {str(p) for p in problems}
        problems.extend(p for p in exc.problems if str(p) not in seen)

    for lang in [publication.lang, *publication.config.translations]:
        try:
            translated, _ = translate_publication(publication, lang)
        except InputError as exc:
            collect(exc)
            continue
        for config in resolve_editions(publication):
            try:
                if config.layout == "web":
                    # Every page of the site, rendered in the sandbox as a build would.
                    render_site(compose_site(publication, config, lang, release=False), publication)
                    continue
                edition = cite_edition(compose_edition(translated, config, lang))
                # The layout's template, rendered in the sandbox as a build would.
                render_edition_html(edition, load_css(publication, edition.layout, lang=lang))
            except InputError as exc:
                collect(exc)
    try:
        environment = template_environment(publication.root, publication.lang)
    except InputError as exc:
        collect(exc)
    else:
        collect(InputError(compile_all(environment)))
    return problems
