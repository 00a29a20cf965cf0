"""The guarantees app's Celery beat entries (to merge into CELERY_BEAT_SCHEDULE)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "guarantees-complaints-overdue": {
        "task": "guarantees.complaints_remind_overdue",
        "schedule": crontab(hour=7, minute=30),
    },
}
