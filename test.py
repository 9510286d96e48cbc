#!/usr/bin/env python3
"""Run the test suite (sets itself up like build.py). Arguments go to pytest, e.g. -m "not pdf"."""

import sys

from _bootstrap import BUILD_PACKAGES, TEST_NPM_PACKAGES, TEST_PACKAGES, run_in_venv

if __name__ == "__main__":
    run_in_venv(BUILD_PACKAGES + TEST_PACKAGES, ["-m", "pytest", *sys.argv[1:]], TEST_NPM_PACKAGES)
