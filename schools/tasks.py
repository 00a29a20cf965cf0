"""Celery tasks of the schools app.

Imports need no task of their own: they run through the portal's generic
`portal.job_run` task, with the "schools.import" runner that SchoolsConfig.ready
registers in every process (web and worker alike)."""
