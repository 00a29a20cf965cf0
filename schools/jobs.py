"""Job runners of the schools app, registered with the portal's progress pattern."""

from portal.jobs import register
from schools.importers.formats import IMPORT_JOB_KIND
from schools.services import import_job_run


@register(IMPORT_JOB_KIND, view_permission="schools.import_data")
def run_import(job, progress) -> dict:
    return import_job_run(job=job, progress=progress)
