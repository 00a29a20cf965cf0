"""Celery tasks of the schools app.

Imports need no task of their own: they run through the portal's generic
`portal.job_run` task, with the "schools.import" runner that SchoolsConfig.ready
registers in every process (web and worker alike)."""

from celery import shared_task


@shared_task(name="schools.import_inputs_delete_expired", acks_late=True)
def import_inputs_delete_expired_task() -> int:
    """Daily: delete imported files kept longer than their retention period."""
    from schools.services import import_inputs_delete_expired

    return import_inputs_delete_expired()
