"""The packages stay in layers: web > guarantees > deployments > schools > portal.

The site shell `web` composes the apps; an app imports only the apps below it and the
kernel; the kernel `portal` imports no app. import-linter checks the contracts written
in pyproject.toml ([tool.importlinter]) over every import, function-level ones
included, so an upward import or a cycle between the packages fails here."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = (
    "web > guarantees > deployments > schools > portal",
    "portal (the kernel) imports no app",
)


def test_every_import_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:  # the contracts were read, not silently absent
        assert f"{name} KEPT" in result.stdout, result.stdout
