"""Uploaded import files are kept for settings.IMPORT_INPUT_RETENTION_DAYS after
their import finished, then a daily beat task deletes them (results stay)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.models import BackgroundJob
from schools.celery_schedule import BEAT_SCHEDULE
from schools.importers.formats import IMPORT_JOB_KIND
from schools.tasks import import_inputs_delete_expired_task

pytestmark = pytest.mark.django_db


def job_with_input(*, kind=IMPORT_JOB_KIND, finished_days_ago=None) -> BackgroundJob:
    finished = (
        None if finished_days_ago is None else timezone.now() - dt.timedelta(finished_days_ago)
    )
    job = BackgroundJob.objects.create(
        kind=kind,
        label="Import",
        status=BackgroundJob.Status.PENDING if finished is None else BackgroundJob.Status.SUCCEEDED,
        finished_at=finished,
        result={"created": 3},
    )
    job.input_file.save("edubasealldata.csv", ContentFile(b"URN,Name\r\n1,A\r\n"))
    return job


def test_the_beat_task_deletes_inputs_older_than_the_retention_period(settings):
    settings.IMPORT_INPUT_RETENTION_DAYS = 30
    old = job_with_input(finished_days_ago=31)
    recent = job_with_input(finished_days_ago=29)
    waiting = job_with_input()
    other_kind = job_with_input(kind="deployments.eligibility_recompute", finished_days_ago=90)
    old_path = Path(old.input_file.path)

    deleted = import_inputs_delete_expired_task.delay().get()

    assert deleted == 1
    for job in (old, recent, waiting, other_kind):
        job.refresh_from_db()
    assert not old.input_file
    assert not old_path.exists()
    assert old.result == {"created": 3}
    assert all(Path(j.input_file.path).exists() for j in (recent, waiting, other_kind))


def test_the_retention_period_comes_from_settings(settings):
    job = job_with_input(finished_days_ago=3)
    settings.IMPORT_INPUT_RETENTION_DAYS = 2

    assert import_inputs_delete_expired_task.delay().get() == 1
    job.refresh_from_db()
    assert not job.input_file


def test_beat_runs_the_task_daily():
    entry = BEAT_SCHEDULE["schools-import-inputs-delete-expired"]
    assert entry["task"] == import_inputs_delete_expired_task.name
    assert entry["schedule"] == 24 * 60 * 60
    assert settings.CELERY_BEAT_SCHEDULE["schools-import-inputs-delete-expired"] == entry
