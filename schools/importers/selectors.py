"""Reads for import jobs."""

from portal.models import BackgroundJob
from schools.importers.formats import IMPORT_JOB_KIND


def import_job_list():
    return BackgroundJob.objects.filter(kind=IMPORT_JOB_KIND).select_related("created_by")
