"""Test settings: base plus a fast hasher and local-memory cache.

DATABASE_URL and CELERY_BROKER_URL still come from the environment, so the same
suite runs on SQLite/in-process Celery and on PostgreSQL/Redis in CI. Tasks run
eagerly in tests; the real-worker tests switch that off themselves.
"""

from .base import *  # noqa: F403
from .base import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
# WhiteNoise finds each static file when it is asked for, instead of listing all of
# them (~1,900 under node_modules, the apps and govuk-frontend) when its middleware
# starts: every test client starts the middleware afresh, and that listing cost about
# 155 ms of CPU per client, a third of the suite's CPU time. The same files are served
# at the same URLs either way (tests/portal/test_static_files.py).
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=3)
# One media directory per pytest-xdist process: tests that count the stored uploads
# must not see another process's.
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{env.str('PYTEST_XDIST_WORKER', default='main')}"  # noqa: F405
# A connection per request, whatever the environment says: the live server's and the
# real worker's threads must not keep a connection that stops the test DB dropping.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# TEST_DATABASE_NAME: the test database's name (a file on SQLite), so that
# `pytest --reuse-db` can start from a copy of an already migrated one
# (.ci/test_files_alone.py); unset, SQLite tests use an in-memory database.
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}  # noqa: F405
# E-mail links: a host of their own, so tests prove the setting is what links use.
PORTAL_BASE_URL = "http://tsi-portal.test"
