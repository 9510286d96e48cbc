"""Headless Chromium for the web edition's tests: Debian's chromium and chromedriver, driven
by Selenium, with axe-core (installed from the npm registry by test.py's set-up into
.tools/) for accessibility. Nothing is downloaded at test time: Selenium is pointed at the
Debian driver, so its own driver manager never runs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Without these Chromium tries to reach Google's services from this closed network.
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]


def available() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for path, what in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver"), (AXE, "axe-core")):
        if not Path(path).exists():
            return f"{what} is not installed (python3 test.py installs it)"
    return None


@contextmanager
def chromium(width: int = 1280, height: int = 1000) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def axe_violations(driver: object, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core on the open page; the violations of the given impacts."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    result = driver.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )
    return [v for v in result if v.get("impact") in impacts]


def screenshot(driver: object, url: str, target: Path, width: int, element_id: str | None = None) -> Path:
    driver.set_window_size(width, 1400)  # type: ignore[attr-defined]
    driver.get(url)  # type: ignore[attr-defined]
    if element_id:
        driver.execute_script(  # type: ignore[attr-defined]
            "document.getElementById(arguments[0]).scrollIntoView({block: 'start'})", element_id
        )
    driver.save_screenshot(str(target))  # type: ignore[attr-defined]
    return target
