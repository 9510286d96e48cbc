"""``_brand.yml``: a publisher's colours, fonts and logo, in the format of Quarto's brand.yml.

The file sits in the publication folder or, for a folder of several publications, in its
parent. Only what the layouts use is read (``meta``, ``color``, ``typography``, ``logo``);
every other key is reported like an unknown ``publication.yaml`` key, with its line. The
layouts take the brand as CSS custom properties (see :func:`brand_css`), so a publication
without a brand keeps the house colours and fonts of ``styles/common.css``.
"""

from __future__ import annotations

import base64
import difflib
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .errors import Location, ProblemCollector
from .paths import PathRefused, input_file, read_bytes_bounded, read_text_bounded
from .yamlio import LineDict, line_of, load_yaml

BRAND_FILE = "_brand.yml"
MAX_LOGO_BYTES = 2_000_000
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_TOP_KEYS = ("meta", "color", "typography", "logo", "defaults")
_COLOR_ROLES = (
    "palette",
    "primary",
    "secondary",
    "tertiary",
    "foreground",
    "background",
    "light",
    "dark",
    "success",
    "info",
    "warning",
    "danger",
)
_TYPE_KEYS = ("fonts", "base", "headings", "monospace", "monospace-inline", "monospace-block", "link")
_FONT_KEYS = ("family", "size", "weight", "line-height", "color", "style")
_LOGO_KEYS = ("images", "small", "medium", "large")
_LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@dataclass
class Logo:
    data_uri: str  # embedded: the logo may live beside a folder of publications
    alt: str
    path: Path


@dataclass
class Brand:
    file: Path
    name: str = ""
    link: str = ""
    palette: dict[str, str] = field(default_factory=dict)  # name -> #rrggbb, in file order
    roles: dict[str, str] = field(default_factory=dict)  # primary, foreground... -> #rrggbb
    base_family: str = ""
    base_size: str = ""
    line_height: str = ""
    headings_family: str = ""
    headings_weight: str = ""
    headings_color: str = ""
    monospace_family: str = ""
    font_lines: dict[str, int] = field(default_factory=dict)  # family -> line in the file
    logo: Logo | None = None  # the covers' (dark variant; large, else medium, else small)
    small_logo: Logo | None = None  # the footer strip's (light variant; small first)

    def accents(self, count: int) -> list[str]:
        """One colour per pillar, from the palette in its order (primary first).

        A palette shorter than the pillars repeats, each round a shade darker, so that two
        brand colours still give four pillars four distinct colours."""
        colours = [c for c in self.palette.values() if c not in self._neutrals()]
        if not colours:
            colours = [c for k, c in self.roles.items() if k in ("primary", "secondary", "tertiary")]
        if not colours:
            return []
        result = []
        for index in range(count):
            colour = colours[index % len(colours)]
            result.append(mix(colour, "#000000", 0.28 * (index // len(colours))))
        return result

    def _neutrals(self) -> set[str]:
        return {self.roles[k] for k in ("foreground", "background", "light") if k in self.roles}


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way to ``other``."""
    a, b = _rgb(colour), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def find_brand_file(root: Path) -> Path | None:
    """The publication's own ``_brand.yml``, else the one of the folder it stands in."""
    for folder in (root, root.parent):
        candidate = folder / BRAND_FILE
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


def load_brand(root: Path, problems: ProblemCollector) -> Brand | None:
    file = find_brand_file(root)
    if file is None:
        return None
    try:
        checked = input_file(file, [file.parent], what="brand file")
        text = read_text_bounded(checked)
    except PathRefused as exc:
        problems.add(Location(file), exc.reason, show_source=False)
        return None
    except UnicodeDecodeError as exc:
        problems.add(Location(file), f"brand file is not UTF-8 text ({exc.reason})", show_source=False)
        return None
    data, yaml_problems = load_yaml(text, file)
    problems.extend(yaml_problems)
    if yaml_problems:
        return None
    if not isinstance(data, LineDict):
        problems.add(Location(file, 1), "_brand.yml must be a mapping (meta, color, typography, logo)")
        return None
    return parse_brand(data, file, problems)


def parse_brand(data: LineDict, file: Path, problems: ProblemCollector) -> Brand:
    brand = Brand(file=file)
    _known(data, _TOP_KEYS, file, problems)
    meta = _mapping(data, "meta", file, problems)
    if meta is not None:
        _known(meta, ("name", "link"), file, problems)
        name = meta.get("name")
        brand.name = (
            str(name.get("full") or name.get("short") or "") if isinstance(name, dict) else str(name or "")
        )
        link = meta.get("link")
        brand.link = str(link.get("home") or "") if isinstance(link, dict) else str(link or "")
    color = _mapping(data, "color", file, problems)
    if color is not None:
        _parse_colours(color, file, problems, brand)
    typography = _mapping(data, "typography", file, problems)
    if typography is not None:
        _parse_typography(typography, file, problems, brand)
    if "logo" in data:
        _parse_logo(data, file, problems, brand)
    return brand


def _known(mapping: LineDict, keys: tuple[str, ...], file: Path, problems: ProblemCollector) -> None:
    for key in mapping:
        if key not in keys:
            close = difflib.get_close_matches(str(key), keys, n=1)
            problems.add(
                Location(file, line_of(mapping, key)),
                f"unknown brand key '{key}'",
                hint=f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(keys)}",
            )


def _mapping(data: LineDict, key: str, file: Path, problems: ProblemCollector) -> LineDict | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, LineDict):
        problems.add(
            Location(file, line_of(data, key)), f"'{key}' must be a mapping, not {type(value).__name__}"
        )
        return None
    return value


def _parse_colours(color: LineDict, file: Path, problems: ProblemCollector, brand: Brand) -> None:
    _known(color, _COLOR_ROLES, file, problems)
    palette = _mapping(color, "palette", file, problems) or LineDict()
    for name, value in palette.items():
        if isinstance(value, str) and _HEX.match(value):
            brand.palette[str(name)] = _long_hex(value)
        else:
            problems.add(
                Location(file, line_of(palette, name)),
                f"palette colour '{name}' must be a hex colour like \"#0f7068\", not {value!r}",
            )
    for role in _COLOR_ROLES[1:]:
        if role not in color:
            continue
        value = color[role]
        if isinstance(value, str) and value in brand.palette:
            brand.roles[role] = brand.palette[value]
        elif isinstance(value, str) and _HEX.match(value):
            brand.roles[role] = _long_hex(value)
        else:
            problems.add(
                Location(file, line_of(color, role)),
                f"colour '{role}' must be a palette name or a hex colour, not {value!r}",
                hint=f"palette names: {', '.join(brand.palette)}" if brand.palette else None,
            )
    primary = brand.roles.get("primary")
    if primary and primary in brand.palette.values():
        # The primary colour leads the pillars, whatever its place in the palette.
        first = next(k for k, v in brand.palette.items() if v == primary)
        brand.palette = {first: primary, **{k: v for k, v in brand.palette.items() if k != first}}


def _long_hex(value: str) -> str:
    return mix(value, value, 0)


def _parse_typography(typography: LineDict, file: Path, problems: ProblemCollector, brand: Brand) -> None:
    _known(typography, _TYPE_KEYS, file, problems)
    fonts = typography.get("fonts") or []
    if not isinstance(fonts, list):
        problems.add(Location(file, line_of(typography, "fonts")), "'fonts' must be a list of font families")
        fonts = []
    declared: set[str] = set()
    for entry in fonts:
        if isinstance(entry, LineDict) and isinstance(entry.get("family"), str):
            _known(entry, ("family", "source", "weight", "style", "files"), file, problems)
            source = entry.get("source", "system")
            if source != "system":
                # Fonts are never downloaded (builds are offline and reproducible).
                problems.add(
                    Location(file, line_of(entry, "source")),
                    f"font source '{source}' is not supported: install the font and use source: system",
                )
            declared.add(entry["family"])
        else:
            problems.add(Location(file, line_of(typography, "fonts")), "each font needs a 'family'")
    for key, attr in (("base", "base"), ("headings", "headings"), ("monospace", "monospace")):
        value = typography.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = LineDict({"family": value})
            value.lines, value.line = {"family": line_of(typography, key)}, line_of(typography, key)
        if not isinstance(value, LineDict):
            problems.add(
                Location(file, line_of(typography, key)), f"'{key}' must be a family name or a mapping"
            )
            continue
        _known(value, _FONT_KEYS, file, problems)
        family = value.get("family")
        if isinstance(family, str) and family:
            line = line_of(value, "family")
            if not font_installed(family):
                problems.add(
                    Location(file, line),
                    f"font '{family}' is not installed",
                    hint="install it (a Debian fonts-* package) or name one fc-list lists",
                )
            setattr(brand, f"{attr}_family", family)
            brand.font_lines[family] = line
        if attr == "base":
            brand.base_size = _css_length(value, "size", file, problems)
            brand.line_height = _css_number(value, "line-height", file, problems)
        if attr == "headings":
            weight = value.get("weight")
            if weight is not None:
                if isinstance(weight, int) and 100 <= weight <= 900 or weight in ("normal", "bold"):
                    brand.headings_weight = str(weight)
                else:
                    problems.add(
                        Location(file, line_of(value, "weight")),
                        f"heading weight must be 100-900, not {weight!r}",
                    )
            colour = value.get("color")
            if isinstance(colour, str):
                resolved = (
                    brand.roles.get(colour)
                    or brand.palette.get(colour)
                    or (colour if _HEX.match(colour) else "")
                )
                if not resolved:
                    problems.add(Location(file, line_of(value, "color")), f"unknown colour '{colour}'")
                brand.headings_color = _long_hex(resolved) if resolved else ""


def _css_length(value: LineDict, key: str, file: Path, problems: ProblemCollector) -> str:
    raw = value.get(key)
    if raw is None:
        return ""
    text = str(raw)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(pt|px)", text)
    if not match or not 6 <= float(match.group(1)) * (0.75 if match.group(2) == "px" else 1) <= 16:
        problems.add(
            Location(file, line_of(value, key)), f"'{key}' must be a size from 6pt to 16pt, not {text!r}"
        )
        return ""
    return text


def _css_number(value: LineDict, key: str, file: Path, problems: ProblemCollector) -> str:
    raw = value.get(key)
    if raw is None:
        return ""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1.0 <= raw <= 2.5:
        return str(raw)
    problems.add(Location(file, line_of(value, key)), f"'{key}' must be a number from 1 to 2.5, not {raw!r}")
    return ""


def _parse_logo(data: LineDict, file: Path, problems: ProblemCollector, brand: Brand) -> None:
    logo = data["logo"]
    line = line_of(data, "logo")
    if isinstance(logo, str):
        brand.logo = brand.small_logo = _image(logo, "", file, line, problems)
        return
    if not isinstance(logo, LineDict):
        problems.add(
            Location(file, line), "'logo' must be a file path or a mapping (images, small, medium, large)"
        )
        return
    _known(logo, _LOGO_KEYS, file, problems)
    images: dict[str, tuple[str, str, int]] = {}
    named = logo.get("images") or {}
    if isinstance(named, LineDict):
        for name, value in named.items():
            if isinstance(value, LineDict):
                images[str(name)] = (
                    str(value.get("path", "")),
                    str(value.get("alt", "")),
                    line_of(named, name),
                )
            else:
                images[str(name)] = (str(value), "", line_of(named, name))
    light: dict[str, Logo | None] = {}
    dark: dict[str, Logo | None] = {}
    for size in ("small", "medium", "large"):
        value = logo.get(size)
        if value is None:
            continue
        # light / dark variants: the covers are dark, the footer strips light.
        variants = value if isinstance(value, LineDict) else {"light": value, "dark": value}
        for variant, target in (("light", light), ("dark", dark)):
            chosen = variants.get(variant) or variants.get("dark" if variant == "light" else "light")
            if chosen is None:
                continue
            path, alt, where = images.get(str(chosen), (str(chosen), "", line_of(logo, size)))
            target[size] = _image(path, alt, file, where, problems)
    brand.logo = dark.get("large") or dark.get("medium") or dark.get("small")
    brand.small_logo = light.get("small") or light.get("medium") or light.get("large")


def _image(path: str, alt: str, file: Path, line: int, problems: ProblemCollector) -> Logo | None:
    candidate = file.parent / path
    try:
        checked = input_file(
            candidate, [file.parent], what="logo", max_bytes=MAX_LOGO_BYTES, suffixes=_LOGO_SUFFIXES
        )
        data = read_bytes_bounded(checked, MAX_LOGO_BYTES)
    except PathRefused as exc:
        problems.add(Location(file, line), exc.reason)
        return None
    mime = _MIME[checked.suffix.lower()]
    return Logo(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", alt, checked)


@lru_cache(maxsize=32)
def font_installed(family: str) -> bool:
    """True when fontconfig has the family itself, not a fallback for it."""
    if shutil.which("fc-list") is None:
        return True  # cannot tell: do not block the build
    found = subprocess.run(["fc-list", f"{family}", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())  # fc-list matches the family name exactly


def brand_css(brand: Brand | None, pillar_count: int) -> Markup:
    """The brand as CSS custom properties over the house ones (empty without a brand)."""
    if brand is None:
        return Markup("")
    rules: list[str] = []
    primary = brand.roles.get("primary") or next(iter(brand.palette.values()), "")
    if primary:
        rules.append(f"--accent-0: {primary}; --tint-0: {mix(primary, '#ffffff', 0.9)};")
        rules.append(f"--brand-primary: {primary};")
    secondary = brand.roles.get("secondary")
    if secondary:
        rules.append(f"--brand-secondary: {secondary};")
    for index, colour in enumerate(brand.accents(max(pillar_count, 1)), 1):
        rules.append(f"--accent-{index}: {colour}; --tint-{index}: {mix(colour, '#ffffff', 0.9)};")
    if "foreground" in brand.roles:
        rules.append(f"--ink: {brand.roles['foreground']};")
    if brand.base_family:
        rules.append(f'--serif: {_family(brand.base_family)}, "Noto Serif", serif;')
    if brand.headings_family:
        rules.append(f'--sans: {_family(brand.headings_family)}, "Noto Sans", sans-serif;')
    if brand.headings_weight:
        rules.append(f"--heading-weight: {brand.headings_weight};")
    if brand.monospace_family:
        rules.append(f"--mono: {_family(brand.monospace_family)}, monospace;")
    css = ":root { " + " ".join(rules) + " }"
    if brand.headings_color:
        css += f"\n:root {{ --heading-colour: {brand.headings_color}; }}"
    if brand.base_size:
        css += f"\nhtml {{ font-size: {brand.base_size}; }}"
    if brand.line_height:
        css += f"\nhtml {{ line-height: {brand.line_height}; }}"
    return Markup(css)


def _family(name: str) -> str:
    return '"' + re.sub(r'["\\<>{};]', "", name) + '"'


def brand_font_problems(brand: Brand | None, document_html: str, lang: str) -> list[Any]:
    """The letters of the edition a brand font cannot draw: the brand would print in a
    fallback font there (a Russian edition in a Latin-only face), so the build names them."""
    import unicodedata

    from .errors import Problem
    from .glyphs import _family_cmap, _visible_chars

    if brand is None:
        return []
    letters = {c for c in _visible_chars(document_html) if unicodedata.category(c)[0] in "LN"}
    problems = []
    for family in dict.fromkeys(f for f in (brand.base_family, brand.headings_family) if f):
        cmap = _family_cmap(family)
        if not cmap:
            continue
        missing = sorted(c for c in letters if ord(c) not in cmap)
        if missing:
            shown = " ".join(f"U+{ord(c):04X} '{c}'" for c in missing[:12])
            more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
            problems.append(
                Problem(
                    Location(brand.file, brand.font_lines.get(family, 0)),
                    f"brand font '{family}' cannot draw the {lang} edition's {shown}{more}",
                    hint="choose a family that covers every language of the publication (e.g. Noto Sans)",
                )
            )
    return problems
