"""Benchmark: every main page against /health/ (one SELECT 1), under load, at England scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsi_bench_pages \\
        .venv/bin/python bench/pages.py [--seconds 3] [--reseed | --no-seed]

Builds the England-scale demo in that database (`seed_demo --scale england`, skipped when
it is already there unless --reseed; --no-seed measures whatever demo is there, as
`make bench` does after seeding either scale), serves it with gunicorn (workers = cores + 1, DEBUG
off, a random SECRET_KEY, 127.0.0.1 only), signs in as the demo regions staff user, and
measures each page with wrk (Debian's `wrk`; installed with apt-get when missing and we
are root): the median and p95 at 1 connection, the throughput and p95 at 16 connections.
Prints a table with each page's ratio to /health/'s median (measured again just before
each page, so both figures share the machine's load at that moment), and the targets:
median at 1 connection within 5x /health/'s; p95 at 16 connections under 4x the page's
median at 1 connection. Every new page joins PAGES below."""

import argparse
import base64
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
USER, PASSWORD = "regions.staff@example.gov.uk", "demo-password-2023"
ENGLAND_SCHOOLS = 30_000  # fewer schools than this: the England demo is not there yet
MEDIAN_TARGET, LOAD_TARGET = 5.0, 4.0

# (name, path); {urn}, {uid}, {case}, {deployment} and {leader} are filled with real
# records (the demo's support cases are in North West, the signed-in user's region).
PAGES = [
    ("health", "/health/"),
    ("home", "/"),
    ("schools list", "/schools/"),
    ("schools search", "/schools/?q=saint"),
    ("school page", "/schools/{urn}/"),
    ("trusts list", "/schools/trusts/"),
    ("trust page", "/schools/trusts/{uid}/"),
    ("eligibility list", "/eligibility/"),
    ("trust suggestions", "/schools/trusts/suggestions/?q=harb"),
    ("API schools", "/api/schools/"),
    ("API trusts", "/api/trusts/"),
    ("API eligibility", "/api/eligibility/"),
    ("support cases", "/cases/"),
    ("support case page", "/cases/{case}/"),
    ("deployment page", "/deployments/{deployment}/"),
    ("system leaders", "/system-leaders/"),
    ("system leader page", "/system-leaders/{leader}/"),
    ("claims", "/claims/"),
    ("guarantees", "/guarantees/"),
    ("API support cases", "/api/support-cases/"),
    ("API deployments", "/api/deployments/"),
    ("dashboard England", "/dashboard/"),
    ("dashboard region", "/dashboard/?region=North+West"),
    ("API dashboard England", "/api/dashboard/"),
    ("API dashboard region", "/api/dashboard/?region=North%20West"),
    ("enhanced requests", "/enhanced-requests/"),
    ("outcomes", "/outcomes/"),
    ("forecast", "/forecast/"),
    ("API outcomes", "/api/outcomes/"),
    ("API forecast", "/api/forecast/"),
]

# wrk prints its figures through this script as one JSON line (microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "non2xx": %d, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk with apt-get ...", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            capture_output=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return shutil.which("wrk")
    sys.exit("wrk is missing: install it with `apt-get install -y wrk` (Debian) and run again")


def build_england(env: dict, reseed: bool, seed: bool = True) -> dict:
    """Migrate, seed the England demo unless it is there, and ANALYZE; returns one
    school URN and one trust UID for the detail pages."""
    manage("migrate", "--noinput", env=env)
    probe = (
        "from schools.models import School, Trust;"
        "from deployments.models import Deployment, SupportCase, SystemLeader;"
        "import json;"
        "s = School.objects.filter(status='open', trust__isnull=False).order_by('urn').first();"
        "c = SupportCase.objects.order_by('pk').first();"
        "d = Deployment.objects.order_by('pk').first();"
        "l = SystemLeader.objects.filter(regions__name='North West').order_by('pk').first();"
        "print(json.dumps({'schools': School.objects.count(),"
        " 'urn': s and s.urn, 'uid': s and s.trust.uid,"
        " 'case': c and c.pk, 'deployment': d and d.pk, 'leader': l and l.pk}))"
    )
    found = json.loads(manage("shell", "-c", probe, env=env).strip().splitlines()[-1])
    if not seed:
        if not found["deployment"]:
            sys.exit("no deployment in the database: run `manage.py seed_demo` first")
    elif reseed or found["schools"] < ENGLAND_SCHOOLS or not found["deployment"]:
        print("seeding the England-scale demo ...", flush=True)
        started = time.perf_counter()
        manage("seed_demo", "--scale", "england", env=env)
        print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
        found = json.loads(manage("shell", "-c", probe, env=env).strip().splitlines()[-1])
    manage(
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('ANALYZE')",
        env=env,
    )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit("gunicorn stopped during start-up")
        try:
            urllib.request.urlopen(base + "/health/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not answer /health/ within 30 s")


def sign_in(base: str) -> str:
    """Signs in through the login form; returns the Cookie header for wrk."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": USER, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=body, headers={"Referer": base + "/accounts/login/"}
    )
    opener.open(request).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        sys.exit("signing in failed: no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def check_page(url: str, cookie: str) -> None:
    """Every page must answer 200 itself (not a redirect to the login page)."""
    opener = urllib.request.build_opener(NoRedirect)
    response = opener.open(urllib.request.Request(url, headers={"Cookie": cookie}))
    if response.status != 200:
        sys.exit(f"{url} answered {response.status}, not 200")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run_wrk(wrk: str, script: str, url: str, cookie: str, connections: int, seconds: float):
    result = subprocess.run(
        [
            wrk,
            "-t",
            "1" if connections == 1 else "2",
            "-c",
            str(connections),
            "-d",
            f"{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            script,
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = [x for x in result.stdout.splitlines() if x.startswith("{")][-1]
    figures = json.loads(line)
    if figures["non2xx"] or figures["errors"]:
        sys.exit(f"{url}: {figures['non2xx']} non-2xx answers, {figures['errors']} errors")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=3, help="per page and load level")
    parser.add_argument("--reseed", action="store_true", help="seed again even if present")
    parser.add_argument("--no-seed", action="store_true", help="measure the demo that is there")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("set DATABASE_URL to a PostgreSQL database of this benchmark's own")
    wrk = ensure_wrk()
    workers = (os.cpu_count() or 1) + 1
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "web.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # DEBUG off needs the bank-details keys (deployments/delivery/crypto.py).
        "BANK_DETAILS_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "BANK_DETAILS_HASH_KEY": secrets.token_urlsafe(32),
        "AXES_FAILURE_LIMIT": "1000",
        "PORTAL_BASE_URL": "http://127.0.0.1",  # DEBUG off needs it (e-mail links)
    }
    env.pop("CELERY_BROKER_URL", None)
    found = build_england(env, args.reseed, seed=not args.no_seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "web.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    rows = []
    try:
        wait_until_up(base, server)
        cookie = sign_in(base)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        pages = [(name, path.format(**found)) for name, path in PAGES]
        for _name, path in pages:
            check_page(base + path, cookie)
            # Warm every worker (imports, template and connection caches) before measuring.
            run_wrk(wrk, script.name, base + path, cookie, workers * 2, 1)
        print(
            f"{len(pages)} pages, {args.seconds:g} s each at 1 and at 16 connections, "
            f"{workers} gunicorn workers, {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f} at the start\n",
            flush=True,
        )
        health_url = base + pages[0][1]
        for name, path in pages:
            # /health/ again just before each page, so a ratio compares figures taken
            # under the same load (the machine is shared; its load drifts).
            health = run_wrk(wrk, script.name, health_url, cookie, 1, args.seconds)
            one = run_wrk(wrk, script.name, base + path, cookie, 1, args.seconds)
            many = run_wrk(wrk, script.name, base + path, cookie, 16, args.seconds)
            rows.append((name, path, health, one, many))
        os.unlink(script.name)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print_table(rows)


def over(a: float, b: float) -> float:
    """a / b; infinite (a miss) when wrk finished no request in the time (b is 0)."""
    return a / b if b else float("inf")


def print_table(rows) -> None:
    header = (
        f"{'page':<18} {'1c median':>9} {'1c p95':>8} {'health':>7} {'x health':>8} "
        f"{'16c req/s':>9} {'16c p95':>8} {'p95/med':>7}  targets"
    )
    print(header)
    print("-" * len(header))
    misses = 0
    for name, _path, health, one, many in rows:
        ratio, load = over(one["p50"], health["p50"]), over(many["p95"], one["p50"])
        verdict = []
        if name != "health":
            verdict.append("5x ok" if ratio <= MEDIAN_TARGET else "5x MISS")
        verdict.append("4x ok" if load < LOAD_TARGET else "4x MISS")
        misses += sum("MISS" in v for v in verdict)
        print(
            f"{name:<18} {one['p50'] / 1000:>7.1f}ms {one['p95'] / 1000:>6.1f}ms "
            f"{health['p50'] / 1000:>5.1f}ms {ratio:>7.1f}x "
            f"{many['requests'] / many['seconds']:>9.0f} "
            f"{many['p95'] / 1000:>6.1f}ms {load:>6.1f}x  {', '.join(verdict)}"
        )
    print(
        "\n'health' is /health/'s median at 1 connection measured just before the page; "
        "'x health' the page's median over it."
    )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{misses} target(s) missed" if misses else "every target met")
    sys.path.insert(0, str(ROOT))
    from bench.results import report

    health = statistics.median(h["p50"] for _n, _p, h, _o, _m in rows) / 1000
    report("pages.py", "/health/ median at 1 connection", "-", f"{health:.1f} ms", None)
    ratios = [(over(o["p50"], h["p50"]), n) for n, _p, h, o, _m in rows if n != "health"]
    worst, page = max(ratios)
    within = sum(r <= MEDIAN_TARGET for r, _n in ratios)
    report("pages.py", "page median at 1c / /health/'s (worst page)", f"<= {MEDIAN_TARGET:g}x",
           f"{worst:.1f}x ({page}); {within}/{len(ratios)} pages within",
           within == len(ratios))  # fmt: skip
    loads = [(over(m["p95"], o["p50"]), n) for n, _p, _h, o, m in rows]
    worst, page = max(loads)
    report("pages.py", "p95 at 16c / median at 1c (worst page)", f"< {LOAD_TARGET:g}x",
           f"{worst:.1f}x ({page}); best {min(loads)[0]:.1f}x", worst < LOAD_TARGET)  # fmt: skip


if __name__ == "__main__":
    main()
