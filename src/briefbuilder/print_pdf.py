"""PDF/X for commercial printers: a CMYK output intent, CMYK colours, refused RGB images.

WeasyPrint 70 writes the PDF/X metadata and boxes; what it needs from briefbuilder is a CMYK
ICC profile (the output intent), which it takes as a colour profile named ``device-cmyk``.
The profile is the Artifex SWOP profile of Debian's ``libgs-common`` (``icc-profiles-free``
ships none for CMYK), read from the system, never fetched.

Colours: a style may give any colour as ``device-cmyk()``; for the PDF/X variants the
stylesheet ``print.css`` (house styles, overridable by the publication) is added, where the
house pillar colours are given in CMYK, and :func:`cmyk_custom_properties` turns a brand's
CMYK values into the same custom properties. Whatever is still RGB in the written PDF (text,
rules, tints without a CMYK value) is converted by :func:`convert_to_cmyk` through the
profile, greys to black ink only, so that type prints in one plate. RGB images stay RGB
under an sRGB ICC profile in PDF/X-4 (device-independent colour is allowed there); PDF/X-1a
allows CMYK and grey only, so RGB images are refused at their source line
(:func:`x1a_image_problems`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .errors import BriefbuilderError, Problem
from .model import Image, walk_blocks

PRINT_VARIANTS = ("pdf/x-1a", "pdf/x-4")
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


class MissingColourProfile(BriefbuilderError):
    """The CMYK profile a PDF/X output intent needs is not installed."""


def is_print_variant(variant: str | None) -> bool:
    return bool(variant) and str(variant).lower() in PRINT_VARIANTS


@cache
def _profile_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise MissingColourProfile(
            f"PDF/X needs the CMYK ICC profile {path}: install the Debian package "
            f"'libgs-common' (python3 build.py does it when run as root) ({error.strerror})"
        ) from None


@cache
def _srgb_bytes() -> bytes:
    from importlib.resources import files

    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()  # the profile PDF/A uses


def render_options(variant: str | None) -> dict[str, Any]:
    """What WeasyPrint's layout needs to know of a PDF/X variant: the output intent's profile."""
    if not is_print_variant(variant):
        return {}
    from weasyprint.css import ColorProfile

    profile = ColorProfile(
        io.BytesIO(_profile_bytes(CMYK_PROFILE)),
        CMYK_PROFILE.as_uri(),
        "relative-colorimetric",
        ("c", "m", "y", "k"),
    )
    return {"pdf_variant": variant, "color_profiles": {"device-cmyk": profile}}


def cmyk_custom_properties(colours: Mapping[str, tuple[float, float, float, float]]) -> str:
    """CSS giving custom properties CMYK values (fractions 0..1), e.g. a brand's palette:
    ``{"accent-1": (0.9, 0.2, 0.55, 0.1)}`` -> ``:root { --accent-1: device-cmyk(...); }``."""
    lines = [
        f"  --{name}: device-cmyk({' '.join(f'{value:.3f}' for value in cmyk)});"
        for name, cmyk in colours.items()
    ]
    return ":root {\n" + "\n".join(lines) + "\n}\n" if lines else ""


def x1a_image_problems(blocks: Iterable[Any]) -> list[Problem]:
    """Images PDF/X-1a cannot carry (RGB, or with transparency), each at its source line."""
    from PIL import Image as PillowImage

    problems = []
    for block in walk_blocks(list(blocks)):
        if not isinstance(block, Image) or block.path is None:
            continue
        try:
            with PillowImage.open(block.path) as picture:
                mode = picture.mode
                transparent = "transparency" in picture.info
        except OSError:
            continue  # an unreadable image is reported by the stage that loads it
        if mode not in ("CMYK", "L", "1") or transparent:
            what = "has transparency" if transparent or mode in ("LA", "RGBA", "PA") else f"is {mode}"
            problems.append(
                Problem(
                    block.location,
                    f"image '{block.src}' {what}: PDF/X-1a prints CMYK and grey images only",
                    hint="convert it to CMYK without transparency (for example "
                    "'convert in.png -colorspace CMYK out.jpg'), or build with --pdf-variant "
                    "pdf/x-4, which keeps RGB images under an sRGB profile",
                )
            )
    return problems


def fix_dates(document: Any) -> None:
    """WeasyPrint's PDF/X writer stamps the clock when the document has no dates: give it the
    publication's, so that the same sources still give the same bytes."""
    import datetime as dt
    import os

    metadata = document.metadata
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    metadata.created = metadata.created or stamp
    metadata.modified = metadata.modified or metadata.created


def _cmyk_transform() -> Any:
    from PIL import ImageCms

    return ImageCms.buildTransform(
        ImageCms.getOpenProfile(io.BytesIO(_srgb_bytes())),
        ImageCms.getOpenProfile(io.BytesIO(_profile_bytes(CMYK_PROFILE))),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )


class _Converter:
    def __init__(self, opaque: bool = False) -> None:
        self.opaque = opaque
        self.transform = _cmyk_transform()
        self.known: dict[tuple[float, ...], tuple[float, ...]] = {}

    def cmyk(self, rgb: tuple[float, ...]) -> tuple[float, ...]:
        if rgb not in self.known:
            red, green, blue = rgb
            if abs(red - green) < 1e-3 and abs(green - blue) < 1e-3:
                self.known[rgb] = (0.0, 0.0, 0.0, round(1 - red, 4))  # grey: black ink only
            else:
                from PIL import Image as PillowImage
                from PIL import ImageCms

                pixel = PillowImage.new("RGB", (1, 1), tuple(round(v * 255) for v in rgb))
                converted = ImageCms.applyTransform(pixel, self.transform)
                self.known[rgb] = tuple(round(v / 255, 4) for v in converted.getpixel((0, 0)))
        return self.known[rgb]


def convert_to_cmyk(data: bytes, variant: str | None = None) -> bytes:
    """Rewrite every DeviceRGB colour operator of the PDF as DeviceCMYK; tag RGB images sRGB.
    For PDF/X-1a also drop the transparency WeasyPrint uses without need (the crop marks are
    drawn with an invisible fill in a transparency group: they become plain strokes)."""
    import pikepdf

    converter = _Converter(opaque=str(variant).lower() == "pdf/x-1a")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        srgb = pdf.make_stream(_srgb_bytes(), N=3)
        srgb_space = pikepdf.Array([pikepdf.Name.ICCBased, srgb])
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _convert_stream(pdf, page, converter, seen)
            _convert_resources(pdf, page.obj.get("/Resources"), converter, srgb_space, seen)
        output = io.BytesIO()
        pdf.save(output, deterministic_id=True)
    return output.getvalue()


def _convert_stream(pdf: Any, owner: Any, converter: _Converter, seen: set) -> None:
    import pikepdf

    instructions = pikepdf.parse_content_stream(owner)
    states = _alpha_states(owner) if converter.opaque else {}
    changed = False
    rewritten = []
    invisible_fill = False
    for operands, operator in instructions:
        name = str(operator)
        if name == "gs" and operands and str(operands[0]) in states:
            invisible_fill = states[str(operands[0])] == 0
            changed = True  # an alpha of 0 or 1 only: dropped, the fill dropped with it
        elif invisible_fill and name in _WITHOUT_FILL:
            rewritten.append((operands, pikepdf.Operator(_WITHOUT_FILL[name])))
            changed = True
        elif name in ("rg", "RG") and len(operands) == 3:
            cmyk = converter.cmyk(tuple(float(v) for v in operands))
            rewritten.append(([*cmyk], pikepdf.Operator("k" if name == "rg" else "K")))
            changed = True
        else:
            rewritten.append((operands, operator))
    if not changed:
        return
    content = pikepdf.unparse_content_stream(rewritten)
    if isinstance(owner, pikepdf.Page):
        owner.obj.Contents = pdf.make_stream(content)
    else:
        owner.write(content)
    # A form (its resources are its own) with nothing transparent left is no transparency
    # group either.
    form = not isinstance(owner, pikepdf.Page)
    if form and states and len(states) == len(_resource(owner, "/ExtGState")):
        owner.Resources.ExtGState = pikepdf.Dictionary()
        if "/Group" in owner:
            del owner["/Group"]


_WITHOUT_FILL = {"B": "S", "B*": "S", "b": "s", "b*": "s", "f": "n", "F": "n", "f*": "n"}


def _resource(owner: Any, kind: str) -> dict:
    import pikepdf

    target = owner.obj if isinstance(owner, pikepdf.Page) else owner
    resources = target.get("/Resources")
    return dict(resources.get(kind) or {}) if isinstance(resources, pikepdf.Dictionary) else {}


def _alpha_states(owner: Any) -> dict[str, float]:
    """Graphics states that set nothing but an opaque stroke and a fill alpha of 0 or 1."""
    found = {}
    for name, state in _resource(owner, "/ExtGState").items():
        keys = set(state.keys()) - {"/Type"}
        fill = float(state.get("/ca", 1))
        if keys <= {"/ca", "/CA"} and float(state.get("/CA", 1)) == 1 and fill in (0, 1):
            found[str(name)] = fill
    return found


def _convert_resources(pdf: Any, resources: Any, converter: _Converter, srgb: Any, seen: set) -> None:
    import pikepdf

    if resources is None:
        return
    for key in ("/XObject", "/Pattern"):
        for _, item in (resources.get(key) or {}).items():
            if not isinstance(item, pikepdf.Stream) or item.objgen in seen:
                continue
            seen.add(item.objgen)
            if item.get("/Subtype") == "/Image":
                if item.get("/ColorSpace") == "/DeviceRGB":
                    item.ColorSpace = srgb
            else:  # forms and tiling patterns have content streams of their own
                _convert_stream(pdf, item, converter, seen)
                _convert_resources(pdf, item.get("/Resources"), converter, srgb, seen)
