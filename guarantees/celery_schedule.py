"""The guarantees app's Celery beat entries (to merge into CELERY_BEAT_SCHEDULE).

Overdue complaints are chased by the kernel's one sweep (portal.celery_schedule)."""

BEAT_SCHEDULE: dict = {}
