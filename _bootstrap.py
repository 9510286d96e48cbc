"""Set-up shared by build.py and test.py: Debian packages, then a local virtual environment.

Runs with the system's Python 3.11 and the standard library only. The virtual environment is
rebuilt when pyproject.toml changes; Debian packages are installed when running as root
(as on CI), otherwise the one command to run is printed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".briefbuilder-stamp"

# What the PDFs need: fonts covering Latin, Cyrillic and Greek (Lato: the example brand's headings), Pango for WeasyPrint,
# HarfBuzz's subsetter for fast, deterministic font subsetting; libgs-common for the CMYK
# ICC profile of the PDF/X output intent (icc-profiles-free has no CMYK profile).
BUILD_PACKAGES = ["fonts-noto-core", "fonts-lato", "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "libgs-common"]
# What the tests use besides: pdftoppm (page images), pandoc (the sources are Pandoc's
# Markdown), msgfmt (PO catalogues are valid gettext), Java and JAXB for veraPDF, Chromium
# and its driver (the web edition is checked in a real browser), npm for axe-core.
TEST_PACKAGES = [
    "poppler-utils",
    "pandoc",
    "gettext",
    "default-jre-headless",
    "libjaxb-java",
    "chromium",
    "chromium-driver",
]
# From the npm registry, into .tools/: axe-core, the accessibility engine the browser tests run.
TEST_NPM_PACKAGES = ["axe-core@4.14.1"]
TOOLS = ROOT / ".tools"


def _missing_debian_packages(packages: list[str]) -> list[str]:
    if shutil.which("dpkg-query") is None:
        return []  # not Debian: nothing we can check or install
    missing = []
    for package in packages:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        )
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def ensure_debian_packages(packages: list[str]) -> None:
    missing = _missing_debian_packages(packages)
    if not missing:
        return
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        sys.exit(
            "briefbuilder needs these Debian packages: "
            + " ".join(missing)
            + "\nInstall them with:  sudo apt-get update && sudo "
            + " ".join(command)
        )
    print(f"setting up: apt-get install {' '.join(missing)}", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


def _fingerprint() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_virtualenv() -> Path:
    """A .venv with briefbuilder and its test tools installed; returns its python."""
    python = VENV / "bin" / "python"
    if python.exists() and STAMP.exists() and STAMP.read_text() == _fingerprint():
        return python
    print(
        "setting up: .venv with briefbuilder (first run or pyproject.toml changed)",
        file=sys.stderr,
        flush=True,
    )
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(_fingerprint())
    return python


def ensure_npm_packages(packages: list[str]) -> None:
    """Install pinned npm packages into .tools/ once (a stamp records what is there)."""
    stamp = TOOLS / ".stamp"
    wanted = "\n".join(packages)
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    if shutil.which("npm") is None:
        ensure_debian_packages(["npm"])
    print(f"setting up: npm install {' '.join(packages)} into .tools/", file=sys.stderr, flush=True)
    TOOLS.mkdir(exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS), *packages],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    stamp.write_text(wanted)


def run_in_venv(packages: list[str], argv: list[str], npm_packages: list[str] | None = None) -> None:
    if sys.version_info < (3, 11):
        sys.exit("briefbuilder needs Python 3.11 or newer")
    ensure_debian_packages(packages)
    if npm_packages:
        ensure_npm_packages(npm_packages)
    python = ensure_virtualenv()
    os.chdir(ROOT)
    os.execv(str(python), [str(python), *argv])
