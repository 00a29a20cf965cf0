"""Job runners of the schools app, registered with the portal's progress pattern."""

from portal.jobs import register

IMPORT_JOB_KIND = "schools.import"


@register(IMPORT_JOB_KIND, view_permission="schools.import_data")
def run_import(job, progress) -> dict:
    from schools.services import import_job_run

    return import_job_run(job=job, progress=progress)
