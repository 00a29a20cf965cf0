"""The schools app's Celery beat entries, merged into CELERY_BEAT_SCHEDULE."""

BEAT_SCHEDULE = {
    # Indexes a crashed import left to build (normally none): every ten minutes.
    "schools-pending-indexes-build": {
        "task": "schools.pending_indexes_build",
        "schedule": 10 * 60,
    },
}
