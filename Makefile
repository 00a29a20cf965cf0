# The two commands in README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test install assets browser lint migrate bench

# `make test` spreads the suite over every core (pytest-xdist): each process has its
# own test database (test_..._gw0, _gw1, ...). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
# `make bench`: BENCH_SCALE=england for the England-scale demo; BENCH_DATABASE_URL to
# use another database than tsi_bench (it is dropped and re-created).
BENCH_SCALE ?= small

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(PY) assets
	$(PIP) install --quiet -e '.[dev]'

assets:
	npm ci --no-audit --no-fund --loglevel=error

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian's chromium for the browser tests: installed when we are root with apt,
# otherwise the browser tests skip and say why.
browser:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: browser tests will skip"; \
	else echo "not root or no apt-get: chromium not installed, browser tests will skip"; fi

# Bytecode (and pytest's rewritten test modules) cached under var/pycache even where
# PYTHONDONTWRITEBYTECODE is set: without the cache every xdist process and every
# subprocess a test starts compiles the project and re-rewrites the plugins again
# (about 1.8 s of CPU per process, measured on 2 shared cores; docs/test-speed.md).
# On a fresh checkout the cache is empty and every xdist process compiled the same
# installed packages for itself (a clean clone's suite took 5 min 5 s, the same suite
# with a warm cache 4 min 12 s): compile them once first, on every core (about 8 s).
PYCACHE_ENV := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache
SITE_PACKAGES = $(shell $(PY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
test: install browser
	$(PYCACHE_ENV) $(PY) -m compileall -q -j 0 $(SITE_PACKAGES) deployments guarantees portal schools web tests >/dev/null
	$(PYCACHE_ENV) $(PY) -m pytest -n $(TEST_WORKERS)

# Every benchmark in bench/ on a freshly seeded PostgreSQL database (tsi_bench), with
# DEBUG off and persistent connections; prints one table (bench/README.md).
bench: install
	$(PY) bench/run_all.py --scale $(BENCH_SCALE)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
