"""`make bench`: every benchmark on a freshly seeded demo, in the production configuration.

    .venv/bin/python bench/run_all.py [--scale small|england] [--seconds 3]
        [--database-url postgres://postgres@127.0.0.1:5432/tsi_bench]

Drops and re-creates the database (a PostgreSQL database of the benchmarks' own:
BENCH_DATABASE_URL or --database-url, default tsi_bench), migrates it, runs
`seed_demo [--scale england]`, then runs every script in bench/ against it with
DEBUG off and persistent connections (CONN_MAX_AGE 60, health checks: the production
settings), and prints one table: script, measure, target, result, met?

Order: pages.py first, on the demo exactly as seeded; then the scripts that roll back
what they make (eligibility.py, matching.py); claims.py (its 5,000 claims stay);
search_schools.py (tops the register up to 50,000 schools); import_gias.py last, on a
copy of the seeded database (`CREATE DATABASE ... TEMPLATE`), because it measures a
first load and so empties the register. Each script's own output goes to
var/bench/<scale>-<script>.log. Exit status 1 if a script failed."""

import argparse
import base64
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import PREFIX  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tsi_bench"


def recreate(url: str, template: str | None = None) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def production_env(url: str) -> dict:
    """The production settings as a deploy sets them: DEBUG off (so persistent,
    health-checked connections), real keys. Not DJANGO_ENV=production, which
    redirects to HTTPS and needs collectstatic: the benchmarks speak plain HTTP."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "web.settings.base",
        "DEBUG": "false",
        "PORTAL_BASE_URL": "http://127.0.0.1",  # DEBUG off needs it (e-mail links)
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BANK_DETAILS_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "BANK_DETAILS_HASH_KEY": secrets.token_urlsafe(32),
        "AXES_FAILURE_LIMIT": "1000",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("CELERY_BROKER_URL", "CONN_MAX_AGE", "DJANGO_ENV"):
        env.pop(name, None)
    return env


def run(label: str, args: list[str], env: dict, log: Path, rows: list) -> bool:
    """Runs one step, its output to the log; gathers its BENCH-RESULT lines."""
    print(f"{label} ...", end=" ", flush=True)
    started = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run(
            [str(PYTHON), *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        out.write(done.stdout)
    seconds = time.perf_counter() - started
    found = [json.loads(x[len(PREFIX) :]) for x in done.stdout.splitlines() if x.startswith(PREFIX)]
    rows.extend(found)
    # A script may exit 1 for a missed target (import_gias.py): the table shows that;
    # it failed only if it reported nothing or crashed.
    ok = bool(found) and (done.returncode == 0 or "Traceback" not in done.stdout)
    if not ok:
        rows.append(
            {"script": label, "measure": "ran", "target": "exit 0", "met": False,
             "result": f"exit {done.returncode}, see {log.relative_to(ROOT)}"}
        )  # fmt: skip
    print(f"{'done' if ok else 'FAILED'} in {seconds:.0f} s", flush=True)
    return ok


def print_table(rows: list, scale: str) -> None:
    def met(value):
        return "-" if value is None else ("yes" if value else "NO")

    cells = [("script", "measure", "target", "result", "met?")] + [
        (r["script"], r["measure"], r["target"], r["result"], met(r["met"])) for r in rows
    ]
    widths = [max(len(str(c[i])) for c in cells) for i in range(5)]
    print(f"\nbenchmarks, {scale} scale, DEBUG off, persistent connections; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    for n, cell in enumerate(cells):
        print(" | ".join(str(c).ljust(w) for c, w in zip(cell, widths, strict=True)))
        if n == 0:
            print("-+-".join("-" * w for w in widths))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("small", "england"), default="small")
    parser.add_argument("--seconds", type=int, default=3, help="pages.py: per page and load")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("the benchmarks need PostgreSQL: --database-url postgres://...")
    logs = ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    env = production_env(url)
    rows: list = []

    recreate(url)
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    seed = ["manage.py", "seed_demo"] + (["--scale", "england"] if args.scale == "england" else [])
    started = time.perf_counter()
    subprocess.run([str(PYTHON), *seed], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    rows.append({"script": "seed_demo", "measure": f"seed_demo, {args.scale} scale",
                 "target": "-", "result": f"{time.perf_counter() - started:.0f} s",
                 "met": None})  # fmt: skip

    ok = True
    steps = [
        ("pages.py", ["bench/pages.py", "--no-seed", "--seconds", str(args.seconds)]),
        ("eligibility.py", ["bench/eligibility.py"]),
        ("matching.py", ["bench/matching.py"]),
        ("claims.py", ["bench/claims.py"]),
        ("search_schools.py", ["bench/search_schools.py"]),
    ]
    for label, step in steps:
        ok &= run(label, step, env, logs / f"{args.scale}-{label[:-3]}.log", rows)

    copy = url.rsplit("/", 1)[0] + "/" + urlparse(url).path.lstrip("/") + "_import"
    recreate(copy, template=urlparse(url).path.lstrip("/"))
    try:
        ok &= run("import_gias.py", ["bench/import_gias.py"], production_env(copy),
                  logs / f"{args.scale}-import_gias.log", rows)  # fmt: skip
    finally:
        drop(copy)

    print_table(rows, args.scale)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
