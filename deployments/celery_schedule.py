"""The deployments app's Celery beat entries, merged into CELERY_BEAT_SCHEDULE.

Overdue steps are chased by the kernel's one sweep (portal.celery_schedule)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "deployments-eligibility-nightly": {
        "task": "deployments.eligibility_recompute_nightly",
        "schedule": crontab(hour=2, minute=15),
    },
}
