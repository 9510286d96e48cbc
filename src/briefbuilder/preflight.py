"""Preflight of a PDF/X file as a printer's checker does it: from the written bytes.

Checks: a ``GTS_PDFX`` output intent with an embedded CMYK profile; a TrimBox and a
BleedBox on every page, nested in the MediaBox; every font embedded; no device RGB colour
(it has no meaning on a CMYK press); for PDF/X-1a also no RGB at all (images and ICC-based
colour included) and no transparency. Each finding names the page and the object.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

_EMBEDDED = ("/FontFile", "/FontFile2", "/FontFile3")


def preflight(data: bytes, variant: str) -> list[str]:
    """What keeps the PDF from being the PDF/X ``variant`` it claims to be (empty: none)."""
    import pikepdf

    strict = variant.lower() == "pdf/x-1a"
    findings: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        findings += _output_intent(pdf)
        seen: set[tuple[int, int]] = set()
        for number, page in enumerate(pdf.pages, 1):
            findings += _boxes(page.obj, number)
            for where, item in _resources(page.obj, f"page {number}", seen):
                findings += _check_item(where, item, strict)
            findings += _check_content(page, f"page {number}", strict)
    return findings


def _output_intent(pdf: Any) -> list[str]:
    intents = pdf.Root.get("/OutputIntents") or []
    for intent in intents:
        if intent.get("/S") == "/GTS_PDFX":
            profile = intent.get("/DestOutputProfile")
            if profile is None:
                return ["document: the GTS_PDFX output intent has no DestOutputProfile"]
            if int(profile.get("/N", 0)) != 4:
                components = profile.get("/N")
                return [f"document: the output intent's profile has {components} components, not CMYK's 4"]
            return []
    return ["document: no output intent of subtype GTS_PDFX (the printing condition is unknown)"]


def _box(page: Any, name: str) -> list[float] | None:
    value = page.get(name)
    return [float(v) for v in value] if value is not None else None


def _boxes(page: Any, number: int) -> list[str]:
    media, trim, bleed = (_box(page, n) for n in ("/MediaBox", "/TrimBox", "/BleedBox"))
    missing = [name for name, box in (("TrimBox", trim), ("BleedBox", bleed)) if box is None]
    findings = [f"page {number}: no {name}" for name in missing]
    if media and trim and bleed and not (_inside(trim, bleed) and _inside(bleed, media)):
        findings.append(f"page {number}: TrimBox {trim} must lie in BleedBox {bleed}, in MediaBox {media}")
    return findings


def _inside(inner: list[float], outer: list[float]) -> bool:
    tolerance = 0.01
    return (
        min(inner[0], inner[2]) >= min(outer[0], outer[2]) - tolerance
        and min(inner[1], inner[3]) >= min(outer[1], outer[3]) - tolerance
        and max(inner[0], inner[2]) <= max(outer[0], outer[2]) + tolerance
        and max(inner[1], inner[3]) <= max(outer[1], outer[3]) + tolerance
    )


def _label(kind: str, name: str, item: Any) -> str:
    number = f" (object {item.objgen[0]} {item.objgen[1]})" if item.is_indirect else ""
    return f"{kind} {name}{number}"


def _resources(owner: Any, where: str, seen: set) -> Iterator[tuple[str, Any]]:
    """(where, (kind, name, object)) for every resource used by ``owner``, forms descended."""
    import pikepdf

    resources = owner.get("/Resources")
    if resources is None:
        return
    for kind in ("/Font", "/XObject", "/ExtGState", "/Shading", "/Pattern", "/ColorSpace"):
        for name, item in (resources.get(kind) or {}).items():
            yield where, (kind[1:], name, item)
            if isinstance(item, pikepdf.Stream) and item.get("/Subtype") != "/Image":
                if item.objgen in seen:
                    continue
                seen.add(item.objgen)
                inner = f"{where}, {_label(kind[1:], name, item)}"
                yield from _resources(item, inner, seen)
                yield inner, ("content", "", item)


def _rgb_space(space: Any, strict: bool) -> str | None:
    """'DeviceRGB' or 'ICC-based RGB' when ``space`` is RGB (ICC counted only if strict)."""
    import pikepdf

    if space == "/DeviceRGB":
        return "DeviceRGB"
    icc = isinstance(space, pikepdf.Array) and len(space) > 1 and space[0] == "/ICCBased"
    if icc and strict and int(space[1].get("/N", 0)) == 3:
        return "ICC-based RGB"
    return None


def _check_item(where: str, entry: tuple[str, str, Any], strict: bool) -> list[str]:
    kind, name, item = entry
    if kind == "content":
        return _check_content(item, where, strict)
    label = f"{where}: {_label(kind, name, item)}"
    findings = []
    if kind == "Font":
        findings += _check_font(label, item)
    elif kind in ("XObject", "Shading", "ColorSpace"):
        space = item if kind == "ColorSpace" else item.get("/ColorSpace")
        rgb = _rgb_space(space, strict) if space is not None else None
        if rgb:
            findings.append(f"{label} is {rgb}: the press prints CMYK")
        if strict and kind == "XObject" and item.get("/SMask") is not None:
            findings.append(f"{label} has a soft mask (transparency): PDF/X-1a forbids it")
        group = item.get("/Group") if kind == "XObject" else None
        if strict and group is not None and group.get("/S") == "/Transparency":
            findings.append(f"{label} is a transparency group: PDF/X-1a forbids transparency")
    elif kind == "ExtGState" and strict:
        transparent = (
            float(item.get("/CA", 1)) < 1
            or float(item.get("/ca", 1)) < 1
            or item.get("/SMask", "/None") != "/None"
            or item.get("/BM", "/Normal") not in ("/Normal", "/Compatible")
        )
        if transparent:
            findings.append(f"{label} sets transparency (CA, ca, SMask or BM): PDF/X-1a forbids it")
    return findings


def _check_font(label: str, font: Any) -> list[str]:
    if font.get("/Subtype") == "/Type3":
        return []  # drawn by its own content streams
    described = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
    descriptor = described.get("/FontDescriptor")
    base = str(described.get("/BaseFont", "")).lstrip("/")
    if descriptor is None or not any(key in descriptor for key in _EMBEDDED):
        return [f"{label} ({base}) is not embedded"]
    return []


def _check_content(owner: Any, where: str, strict: bool) -> list[str]:
    import pikepdf

    findings = []
    for operands, operator in pikepdf.parse_content_stream(owner):
        name = str(operator)
        if name in ("rg", "RG"):
            findings.append(f"{where}: content stream sets a DeviceRGB colour ({name})")
            break
        if name in ("cs", "CS") and operands and operands[0] == "/DeviceRGB":
            findings.append(f"{where}: content stream selects DeviceRGB ({name})")
            break
    return findings
