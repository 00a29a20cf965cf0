"""Reachability checks for /health/."""

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}


def check_redis() -> dict:
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "configured": False, "detail": "no broker: tasks run in-process"}
    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
        return {"ok": True, "configured": True}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "configured": True, "error": exc.__class__.__name__}


def check_worker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "configured": False, "detail": "tasks run in-process"}
    from portal.celery import app

    try:
        replies = app.control.ping(timeout=1.0) or []
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "configured": True, "error": exc.__class__.__name__}
    return {"ok": bool(replies), "configured": True, "workers": len(replies)}


def health() -> dict:
    checks = {"database": check_database(), "redis": check_redis(), "worker": check_worker()}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
