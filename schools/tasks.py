"""Celery tasks of the schools app.

Imports need no task of their own: they run through the portal's generic
`portal.job_run` task, with the "schools.import" runner that SchoolsConfig.ready
registers in every process (web and worker alike). The beat task below builds
what a bulk load left to build after its commit, if a crash stopped it."""

from celery import shared_task


@shared_task(name="schools.pending_indexes_build", acks_late=True)
def pending_indexes_build_task() -> int:
    from schools.services import pending_indexes_build

    return pending_indexes_build()
