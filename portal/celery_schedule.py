"""The kernel's Celery beat entries, merged into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The one overdue sweep of every workflow (policy: portal.overdue).
    "portal-workflow-overdue": {
        "task": "portal.workflow_notify_overdue",
        "schedule": crontab(hour=7, minute=0),
    },
}
