"""The deployments app's Celery beat entries, merged into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "deployments-eligibility-nightly": {
        "task": "deployments.eligibility_recompute_nightly",
        "schedule": crontab(hour=2, minute=15),
    },
    "deployments-overdue-daily": {
        "task": "deployments.deployments_notify_overdue",
        "schedule": crontab(hour=7, minute=30),
    },
}
