"""``briefbuilder check``: every stage but layout, for every edition and language.

All problems are collected: the sources, the citation store, each edition's selection and
citations, and each translation's catalogue.
"""

from __future__ import annotations

from .cite import cite_edition
from .compose import compose_edition, resolve_editions
from .errors import InputError, Problem
from .model import Publication
from .translate import translate_publication


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
                cite_edition(compose_edition(translated, config, lang))
            except InputError as exc:
                collect(exc)
    return problems
