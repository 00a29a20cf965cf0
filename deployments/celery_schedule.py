"""The deployments app's Celery beat entries, merged into CELERY_BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "deployments-eligibility-nightly": {
        "task": "deployments.eligibility_recompute_nightly",
        "schedule": crontab(hour=2, minute=15),
    },
    "deployments-support-cases-overdue": {
        "task": "deployments.support_case_notify_overdue",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
    "deployments-overdue-daily": {
        "task": "deployments.deployments_notify_overdue",
        "schedule": crontab(hour=7, minute=30),
    },
}
