"""Runs each test file alone, as a developer does: a file that passes only after
another one (shared rows, a region code, a cached setting) fails here.

    .venv/bin/python .ci/test_files_alone.py [--budget SECONDS] [tests/...]

SQLite. The migrations run once, into var/alone/template.sqlite3; each file then
starts from a fresh copy of it with `--reuse-db` (the copy is already migrated, so
no file depends on another's leftovers and none pays for the migrations again).
Prints one line per file and the failing files at the end; exit status 1 if any."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "alone"
PYTEST = [str(ROOT / ".venv" / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider"]


def pytest(args: list[str], database: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env["TEST_DATABASE_NAME"] = str(database)
    return subprocess.run(
        [*PYTEST, "-q", "-x", "--reuse-db", *args], cwd=ROOT, env=env,
        capture_output=True, text=True,
    )  # fmt: skip


def main() -> int:
    args = sys.argv[1:]
    budget = None
    if args[:1] == ["--budget"]:  # seconds: start no file after that, list the rest
        budget, args = float(args[1]), args[2:]
    # Smallest first: a run cut short by --budget has checked as many files as it could.
    found = sorted((ROOT / "tests").rglob("test_*.py"), key=lambda p: p.stat().st_size)
    files = args or [str(p.relative_to(ROOT)) for p in found]
    begun = time.perf_counter()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    template = WORK / "template.sqlite3"
    # Any quick database test migrates the template (and leaves it: --reuse-db).
    made = pytest(["tests/portal/test_backends.py"], template)
    if made.returncode != 0 or not template.exists():
        print(made.stdout[-3000:], made.stderr[-3000:])
        return 2
    failed, skipped = [], []
    for path in files:
        if budget is not None and time.perf_counter() - begun > budget:
            skipped.append(path)
            continue
        copy = WORK / "run.sqlite3"
        shutil.copyfile(template, copy)
        started = time.perf_counter()
        done = pytest([path], copy)
        last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        ok = done.returncode in (0, 5)  # 5: nothing collected
        print(f"{'ok  ' if ok else 'FAIL'} {path} ({time.perf_counter() - started:.0f} s): {last}",
              flush=True)  # fmt: skip
        if not ok:
            failed.append(path)
            (WORK / (Path(path).stem + ".log")).write_text(done.stdout + done.stderr)
    ran = len(files) - len(skipped)
    print(f"\n{ran - len(failed)} of {ran} files pass alone; {len(skipped)} not run (budget)")
    for path in skipped:
        print(f"  not run: {path}")
    for path in failed:
        print(f"  FAIL {path}  (log: var/alone/{Path(path).stem}.log)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
