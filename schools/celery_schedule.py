"""The schools app's Celery beat entries, merged into CELERY_BEAT_SCHEDULE."""

BEAT_SCHEDULE = {
    # Imported files past settings.IMPORT_INPUT_RETENTION_DAYS: once a day.
    "schools-import-inputs-delete-expired": {
        "task": "schools.import_inputs_delete_expired",
        "schedule": 24 * 60 * 60,
    },
}
