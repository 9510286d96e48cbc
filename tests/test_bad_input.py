"""The bad-input corpus: every case under tests/bad_input/ is a small publication with one thing broken.

Each case folder holds a complete publication and an ``expected.yaml``:

``command``
    the arguments after ``briefbuilder``; ``{pub}`` is the case's folder, ``{out}`` an output folder
``exit_code``
    1 for a problem in the input, 2 for a misuse of the command, 0 when the input is fine
``stderr_contains`` / ``stderr_not_contains``
    substrings that must (not) be in stderr, e.g. ``chapters/intro.md:7:``
``stderr_matches``
    optional regular expressions that must match somewhere in stderr
``problems``
    how many messages an input error gives (default 1: each case breaks one thing)
``outputs``
    optional files (relative to ``{out}``; ``{name}`` is the case's name) a good build must write
``pdf``
    true when the command renders a PDF (the test is then marked ``pdf``)
``xfail``
    a reason: the tool does not yet meet the contract for this case (strict xfail)
``setup``
    what git cannot hold, made in the copy before the command runs: ``{symlink: path, to:
    target}``, ``{fifo: path}``, ``{mkdir: path}``, ``{write: path, text: ...}`` (``{pub}`` in a
    target is the copy's folder; a path may climb out of the copy, into the test's own folder)
``must_not_exist``
    paths (relative to the copy) the command must not have written, e.g. ``../elsewhere/fr.po``
``max_seconds``
    a bound on the command's time (default 30 s: no input may make the work unbounded)

Whatever the case, the contract also demands: no traceback, no hang, none of the content of a
file outside the publication (``/etc/passwd``) in the output, every top-level stderr line of an
input error told as ``file:line: message`` (or ``file: message``), one message per problem, and
a build that fails leaves the previous PDFs (and everything else in the output folder) untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

CORPUS = Path(__file__).parent / "bad_input"
TIMEOUT = 120
MAX_SECONDS = 30
PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:x:")
PREVIOUS_PDF = b"%PDF-1.7\n% a PDF from a previous, successful build\n%%EOF\n"
# "path:line: message" or "path: message"; indented lines are the source line and hints.
PROBLEM_LINE = re.compile(r"^\S+?(:\d+)?: \S")


def _cases() -> list[Any]:
    params = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "expected.yaml").is_file()):
        expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
        marks = []
        if expected.get("pdf"):
            marks.append(pytest.mark.pdf)
        if expected.get("xfail"):
            marks.append(pytest.mark.xfail(reason=str(expected["xfail"]), strict=True))
        params.append(pytest.param(folder, expected, id=folder.name, marks=marks))
    return params


def _snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _option(command: list[str], *names: str, default: str) -> str:
    for index, arg in enumerate(command[:-1]):
        if arg in names:
            return command[index + 1]
    return default


def _set_up(pub: Path, steps: list[dict[str, str]]) -> None:
    for step in steps:
        if "symlink" in step:
            link = pub / step["symlink"]
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.is_dir() and not link.is_symlink():
                shutil.rmtree(link)
            elif link.exists() or link.is_symlink():
                link.unlink()
            link.symlink_to(step["to"].replace("{pub}", str(pub)))
        elif "fifo" in step:
            fifo = pub / step["fifo"]
            fifo.parent.mkdir(parents=True, exist_ok=True)
            if fifo.exists():
                fifo.unlink()
            os.mkfifo(fifo)
        elif "mkdir" in step:
            (pub / step["mkdir"]).mkdir(parents=True, exist_ok=True)
        elif "write" in step:
            target = pub / step["write"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step["text"])
        else:
            raise ValueError(f"unknown setup step {step}")


@pytest.mark.parametrize(("case", "expected"), _cases())
def test_bad_input(case: Path, expected: dict[str, Any], tmp_path: Path) -> None:
    pub = tmp_path / case.name
    shutil.copytree(case, pub, ignore=shutil.ignore_patterns("expected.yaml"), symlinks=True)
    _set_up(pub, expected.get("setup") or [])
    out = tmp_path / "out"
    command = [arg.replace("{pub}", str(pub)).replace("{out}", str(out)) for arg in expected["command"]]
    exit_code = expected["exit_code"]

    if command[0] == "build" and exit_code != 0:
        # A previous build's PDF where this build would write: a failed build must not touch it.
        lang = _option(command, "--lang", "-l", default="en")
        edition = _option(command, "--edition", "-e", default="full")
        previous = out / case.name / lang / f"{edition}.pdf"
        previous.parent.mkdir(parents=True)
        previous.write_bytes(PREVIOUS_PDF)
    before = _snapshot(out)

    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "briefbuilder", *command],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"briefbuilder {' '.join(expected['command'])} hung for more than {TIMEOUT} s")
    elapsed = time.monotonic() - started
    stderr, stdout = result.stderr, result.stdout
    shown = f"exit code {result.returncode}\n--- stderr:\n{stderr}\n--- stdout:\n{stdout}"
    limit = expected.get("max_seconds", MAX_SECONDS)
    assert elapsed < limit, f"took {elapsed:.1f} s, more than {limit} s\n{shown}"
    assert result.returncode != 3, f"an internal error on bad input\n{shown}"
    for name in expected.get("must_not_exist") or []:
        assert not os.path.lexists(pub / name), f"{name} was written\n{shown}"

    assert "Traceback" not in stderr, shown
    assert "Traceback" not in stdout, shown
    for marker in PASSWD_MARKERS:
        assert marker not in stderr and marker not in stdout, f"leaked /etc/passwd content\n{shown}"
    assert result.returncode == exit_code, shown
    for text in expected.get("stderr_contains") or []:
        assert text in stderr, f"{text!r} not in stderr\n{shown}"
    for text in expected.get("stderr_not_contains") or []:
        assert text not in stderr, f"{text!r} in stderr\n{shown}"
    for pattern in expected.get("stderr_matches") or []:
        assert re.search(pattern, stderr), f"no match for /{pattern}/ in stderr\n{shown}"

    if exit_code == 1:
        messages = [
            line
            for line in stderr.splitlines()
            if line.strip() and not line[0].isspace() and not line.startswith("warning: ")
        ]
        for line in messages:
            assert PROBLEM_LINE.match(line), f"not a 'file:line: message' line: {line!r}\n{shown}"
        wanted = expected.get("problems", 1)
        assert len(messages) == wanted, (
            f"{len(messages)} messages, expected {wanted} (one per problem)\n{shown}"
        )
    if exit_code != 0:
        assert _snapshot(out) == before, f"a failed command changed the output folder\n{shown}"
    for name in expected.get("outputs") or []:
        path = out / name.replace("{name}", case.name)
        assert path.is_file() and path.read_bytes().startswith(b"%PDF"), f"{path} not written\n{shown}"
