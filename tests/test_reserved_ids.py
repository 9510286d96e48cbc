"""Every id the layouts write is reserved, so an author's heading cannot take over its links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefbuilder.load import GENERATED_IDS, GENERATED_PREFIXES, reserved_id_problem

ROOT = Path(__file__).resolve().parent.parent
# id="name" or id="prefix-{{ ... }}" / id="prefix-%d" in templates and in the Python that writes HTML.
# (An HTML attribute follows a space; ``Chapter(id="x")`` in Python is not one.)
_LITERAL_ID = re.compile(r'(?<=\s)id=\\?"([a-z][a-z0-9-]*)')


def _written_ids() -> set[str]:
    sources = [*ROOT.glob("styles/*.j2"), *ROOT.glob("src/briefbuilder/**/*.py")]
    found: set[str] = set()
    for source in sources:
        found.update(_LITERAL_ID.findall(source.read_text(encoding="utf-8")))
    return found


def test_every_id_the_layouts_write_is_reserved() -> None:
    written = _written_ids()
    assert {"bibliography", "contents", "main", "fn-", "fnref-"} <= written  # the scan sees them
    # A prefix such as 'fn-' stands for the ids it numbers: 'fn-1', 'fn-2'...
    unreserved = sorted(i for i in written if reserved_id_problem(i + "1" if i.endswith("-") else i) is None)
    assert unreserved == []


@pytest.mark.parametrize("ident", ["main", "endnotes-title", "fnref-3", "ref-doe-2020", "bibliography"])
def test_an_author_cannot_use_a_generated_id(ident: str) -> None:
    assert reserved_id_problem(ident)


@pytest.mark.parametrize("ident", ["method", "findings", "referral-mechanism", "fn", "mainstreaming"])
def test_ordinary_ids_stay_free(ident: str) -> None:
    assert reserved_id_problem(ident) is None
    assert ident not in GENERATED_IDS and not ident.startswith(GENERATED_PREFIXES)
