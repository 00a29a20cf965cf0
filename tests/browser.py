"""Headless Debian chromium for the browser tests: where it is, how it starts,
and the marks every browser test module takes (`pytestmark = BROWSER_MARKS`).
The `browser_page` fixture (tests/conftest.py) opens a page in it."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) and shutil.which("chromium")),
        reason="Debian chromium is not installed (make test installs it as root with apt)",
    ),
]
