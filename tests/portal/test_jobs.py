"""The progress pattern: job -> task -> runner -> progress endpoint."""

import pytest
from django.core.exceptions import ValidationError

from portal import jobs
from portal.models import BackgroundJob
from portal.services import job_create


@jobs.register("tests.count_to")
def count_to(job, progress):
    target = job.params["target"]
    progress.total(target, "Counting")
    for n in range(1, target + 1):
        progress.advance(n, f"Counted {n}")
    return {"counted": target, "result_url": "/"}


@jobs.register("tests.shared", view_permission="schools.import_data")
def shared(job, progress):
    return {}


@jobs.register("tests.refuse")
def refuse(job, progress):
    raise ValidationError("The file has no URN column.")


@jobs.register("tests.crash")
def crash(job, progress):
    raise RuntimeError("boom")


def _run(kind, user, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(kind=kind, label="Test job", user=user, params=params)
    job.refresh_from_db()
    return job


def test_a_job_runs_its_runner_and_records_progress_and_result(
    regions_staff, django_capture_on_commit_callbacks
):
    job = _run("tests.count_to", regions_staff, django_capture_on_commit_callbacks, target=4)
    assert job.status == BackgroundJob.Status.SUCCEEDED
    assert (job.progress, job.total, job.percent) == (4, 4, 100)
    assert job.result["counted"] == 4
    assert job.message == "Counted 4"


def test_a_refused_job_fails_with_the_users_message(
    regions_staff, django_capture_on_commit_callbacks
):
    job = _run("tests.refuse", regions_staff, django_capture_on_commit_callbacks)
    assert job.status == BackgroundJob.Status.FAILED
    assert job.message == "The file has no URN column."


def test_a_crashing_job_is_recorded_as_failed(regions_staff, django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError):
        _run("tests.crash", regions_staff, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get(kind="tests.crash")
    assert job.status == BackgroundJob.Status.FAILED
    assert "stopped unexpectedly" in job.message


def test_progress_endpoint_and_page_show_the_job(
    client_for, regions_staff, django_capture_on_commit_callbacks
):
    job = _run("tests.count_to", regions_staff, django_capture_on_commit_callbacks, target=2)
    client = client_for(regions_staff)
    data = client.get(f"/jobs/{job.pk}/progress/").json()
    assert data["finished"] is True and data["percent"] == 100
    assert data["result_url"] == "/"
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'role="progressbar"' in html and "Test job" in html


def test_the_progress_page_counts_with_thousands_separators(
    client_for, regions_staff, django_capture_on_commit_callbacks
):
    job = _run("tests.count_to", regions_staff, django_capture_on_commit_callbacks, target=1)
    BackgroundJob.objects.filter(pk=job.pk).update(progress=14_425, total=50_000)

    html = client_for(regions_staff).get(f"/jobs/{job.pk}/").content.decode()

    assert "14,425 of 50,000" in html


def test_another_users_job_is_refused_in_ui_and_api(
    make_user, regions_staff, client_for, api_client_for, django_capture_on_commit_callbacks
):
    job = _run("tests.count_to", regions_staff, django_capture_on_commit_callbacks, target=1)
    stranger = make_user()
    assert client_for(stranger).get(f"/jobs/{job.pk}/").status_code == 403
    assert client_for(stranger).get(f"/jobs/{job.pk}/progress/").status_code == 403
    assert api_client_for(stranger).get(f"/api/jobs/{job.pk}/").status_code == 404


def test_admin_sees_every_job_in_the_api(
    admin_user, regions_staff, api_client_for, django_capture_on_commit_callbacks
):
    job = _run("tests.count_to", regions_staff, django_capture_on_commit_callbacks, target=1)
    body = api_client_for(admin_user).get(f"/api/jobs/{job.pk}/").json()
    assert body["status"] == "succeeded" and body["finished"] is True


def test_a_job_that_already_finished_is_not_run_again(
    regions_staff, django_capture_on_commit_callbacks
):
    from portal.services import job_run

    job = _run("tests.count_to", regions_staff, django_capture_on_commit_callbacks, target=1)
    finished_at = job.finished_at
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished_at


def test_a_job_kind_can_be_followed_by_everyone_holding_its_permission(
    make_user,
    regions_staff,
    system_leader,
    client_for,
    api_client_for,
    django_capture_on_commit_callbacks,
):
    job = _run("tests.shared", regions_staff, django_capture_on_commit_callbacks)
    colleague = make_user()  # another Regions Group staff member
    assert client_for(colleague).get(f"/jobs/{job.pk}/progress/").status_code == 200
    assert api_client_for(colleague).get(f"/api/jobs/{job.pk}/").status_code == 200
    assert client_for(system_leader).get(f"/jobs/{job.pk}/progress/").status_code == 403
    assert api_client_for(system_leader).get(f"/api/jobs/{job.pk}/").status_code == 404
