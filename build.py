#!/usr/bin/env python3
"""Build every edition of every publication under briefs/ into build/.

Sets itself up on first run (Debian fonts and libraries, a local .venv). Any argument is
passed to `briefbuilder build`, e.g. `python3 build.py --edition full --lang fr`.
"""

import sys

from _bootstrap import BUILD_PACKAGES, run_in_venv

if __name__ == "__main__":
    args = sys.argv[1:]
    # Every edition means every language too, unless languages are named.
    if not any(a in ("-l", "--lang") or a.startswith("--lang=") for a in args):
        args = ["--all-languages", *args]
    run_in_venv(BUILD_PACKAGES, ["-m", "briefbuilder", "build", *args])
