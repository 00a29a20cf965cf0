"""Settings come from the environment: SQLite and in-process Celery by default,
PostgreSQL and a real broker when configured, and a clean `check --deploy`."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': s.CELERY_BROKER_URL, 'email': s.EMAIL_BACKEND, "
    "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'], "
    "'health_checks': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
)


OWN = {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "DJANGO_ENV", "CONN_MAX_AGE"}
KEYS = {
    "SECRET_KEY": "x7$" + "k2!pQ9-zR4^mW8&" * 4,
    "ALLOWED_HOSTS": "tsi-portal.example.gov.uk",
    "BANK_DETAILS_KEYS": "nk_W6-_TgR9CJSHfCTAWNtn5SS9oKjCdQKf3_GrHWEo=",
    "BANK_DETAILS_HASH_KEY": "h4$" + "q8!Lm2-vT6^" * 4,
    "PORTAL_BASE_URL": "https://tsi-portal.example.gov.uk",
}
PRODUCTION = {"DJANGO_ENV": "production", **KEYS}


def _settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if k not in OWN}
    clean.update(DJANGO_SETTINGS_MODULE="web.settings.base", **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_under_var_with_in_process_celery():
    s = _settings_with()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"].endswith("var/portal.sqlite3")
    assert s["eager"] is True
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"


def test_database_url_and_broker_switch_to_postgresql_and_a_real_worker():
    s = _settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        EMAIL_URL="smtp://mail.example.org:25",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "somedb"
    assert s["eager"] is False
    assert s["broker"] == "redis://127.0.0.1:6379/0"
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_development_opens_a_connection_per_request():
    """With DEBUG on (runserver), a connection per request: nothing stays open."""
    assert _settings_with()["conn_max_age"] == 0


def test_production_keeps_its_database_connections_and_checks_them():
    """Opening a PostgreSQL connection was about 11 ms of every request: with DEBUG
    off each worker keeps its connection for a minute, checked before each request."""
    s = _settings_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb", **PRODUCTION)
    assert s["conn_max_age"] == 60
    assert s["health_checks"] is True
    assert _settings_with(DEBUG="false", **KEYS)["conn_max_age"] == 60


def test_the_connection_lifetime_comes_from_the_environment():
    s = _settings_with(CONN_MAX_AGE="300", **PRODUCTION)
    assert s["conn_max_age"] == 300
    assert _settings_with(DEBUG="false", CONN_MAX_AGE="0", **KEYS)["conn_max_age"] == 0


def test_production_requires_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_ENV="production", DJANGO_SETTINGS_MODULE="web.settings.base")
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def _start_up_without_debug(**changes):
    """django.setup() in a fresh process with DEBUG off and every other required
    setting given, so only `changes` decide whether start-up fails."""
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="web.settings.base",
        SECRET_KEY="x7$" + "k2!pQ9-zR4^mW8&" * 4,
        BANK_DETAILS_KEYS="nk_W6-_TgR9CJSHfCTAWNtn5SS9oKjCdQKf3_GrHWEo=",
        BANK_DETAILS_HASH_KEY="h4$" + "q8!Lm2-vT6^" * 4,
        **changes,
    )
    probe = (
        "import django; django.setup(); "
        "from django.conf import settings as s; print(s.PORTAL_BASE_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_requires_the_portal_base_url_for_email_links():
    out = _start_up_without_debug()
    assert out.returncode != 0
    assert "Set the PORTAL_BASE_URL environment variable" in out.stderr


def test_the_portal_base_url_must_be_absolute():
    out = _start_up_without_debug(PORTAL_BASE_URL="tsi-portal.example.gov.uk")
    assert out.returncode != 0
    assert "PORTAL_BASE_URL must be an absolute http(s) URL" in out.stderr


def test_a_given_portal_base_url_starts_up_without_its_trailing_slash():
    out = _start_up_without_debug(PORTAL_BASE_URL="https://tsi-portal.example.gov.uk/")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "https://tsi-portal.example.gov.uk"


def test_check_deploy_is_clean_in_production():
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="web.settings.base", **PRODUCTION)
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "WARNINGS" not in out.stdout + out.stderr
    assert "no issues" in out.stdout
