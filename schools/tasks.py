"""Celery tasks of the schools app.

Imports run through the portal's generic `portal.job_run` task; importing this
module (Celery autodiscovers tasks.py) registers the "schools.import" runner in
the worker."""

from schools import jobs  # noqa: F401
