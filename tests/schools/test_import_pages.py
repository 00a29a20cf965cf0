"""Upload page, result page, error report and API for imports: Admin and Regions
Group staff only; the import runs as a background job through the progress pattern."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import BackgroundJob
from schools.importers import formats
from schools.importers.reader import NO_ROWS
from schools.models import School
from tests.schools.import_helpers import BAD, ESTABLISHMENTS

pytestmark = pytest.mark.django_db

ALLOWED = ["admin_user", "regions_staff"]
REFUSED = ["regional_director", "rdp", "system_leader", "finance_user", "school_contact"]
PAGES = ["schools:import-list", "schools:import-new"]


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")


def upload_page(client, path) -> str:
    """Upload an establishments file and return the page the form leads to."""
    response = client.post(
        reverse("schools:import-new"),
        {"kind": formats.ESTABLISHMENTS, "file": upload(path)},
        follow=True,
    )
    return response.content.decode()


def stored_inputs() -> set[Path]:
    """The uploaded files kept for import jobs."""
    return set((Path(settings.MEDIA_ROOT) / "jobs" / "input").glob("*"))


@pytest.fixture
def finished_job(admin_user, north_west, django_capture_on_commit_callbacks):
    from schools.services import import_job_create

    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            kind=formats.ESTABLISHMENTS,
            uploaded_file=upload(BAD / "establishments_bad_rows.csv"),
            user=admin_user,
        )
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("role", ALLOWED)
@pytest.mark.parametrize("url_name", PAGES)
def test_import_staff_see_the_import_pages(request, client_for, role, url_name):
    response = client_for(request.getfixturevalue(role)).get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize("url_name", PAGES)
def test_other_roles_are_refused_the_import_pages(request, client_for, role, url_name):
    response = client_for(request.getfixturevalue(role)).get(reverse(url_name))
    assert response.status_code == 403


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_cannot_see_a_result_or_its_error_report(
    request, client_for, role, finished_job
):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("schools:import-detail", args=[finished_job.pk])).status_code == 403
    assert client.get(reverse("schools:import-errors", args=[finished_job.pk])).status_code == 403


@pytest.mark.parametrize(
    "url", [reverse("schools:import-list"), reverse("schools:import-new")], ids=["list", "new"]
)
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_other_roles_cannot_upload(client_for, rdp, north_west):
    response = client_for(rdp).post(
        reverse("schools:import-new"),
        {"kind": formats.ESTABLISHMENTS, "file": upload(ESTABLISHMENTS)},
    )
    assert response.status_code == 403
    assert not BackgroundJob.objects.exists()


def test_upload_runs_the_import_as_a_job_and_shows_the_result(
    client_for, regions_staff, north_west, london, django_capture_on_commit_callbacks
):
    client = client_for(regions_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("schools:import-new"),
            {"kind": formats.ESTABLISHMENTS, "file": upload(ESTABLISHMENTS)},
        )

    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("schools:import-detail", args=[job.pk])
    assert job.status == BackgroundJob.Status.SUCCEEDED
    assert job.created_by == regions_staff
    assert job.progress == job.total > 0
    assert job.result["created"] == 6
    assert job.result["result_url"] == response.url
    assert School.objects.count() == 6
    page = client.get(response.url)
    content = page.content.decode()
    assert "GIAS current layout" in content
    assert 'data-count="created">6 schools' in content
    list_page = client.get(reverse("schools:import-list")).content.decode()
    assert "edubasealldata20250115.csv" in list_page


def test_an_upload_queued_for_a_worker_says_it_is_being_imported(
    client_for, regions_staff, north_west
):
    # Inside the test's transaction the job waits for the commit, as for a worker.
    content = upload_page(client_for(regions_staff), ESTABLISHMENTS)

    assert "The file was uploaded and is being imported." in content
    assert "Waiting to start" in content


@pytest.mark.django_db(transaction=True)
def test_an_upload_imported_at_once_says_so_and_does_not_link_to_itself(
    client_for, regions_staff, north_west, london
):
    content = upload_page(client_for(regions_staff), ESTABLISHMENTS)

    assert "The file was uploaded and imported." in content
    assert "being imported" not in content
    assert "See the result" not in content
    assert 'data-count="created">6 schools' in content


def test_a_refused_upload_shows_its_message_on_the_form_and_keeps_nothing(
    client_for, regions_staff
):
    before = stored_inputs()

    response = client_for(regions_staff).post(
        reverse("schools:import-new"),
        {"kind": formats.ESTABLISHMENTS, "file": upload(BAD / "workbook.xlsx")},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Excel workbook" in content
    assert "govuk-notification-banner--success" not in content
    assert not BackgroundJob.objects.exists()
    assert stored_inputs() == before


def test_an_upload_over_the_size_limit_shows_a_gov_uk_error(client_for, admin_user, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 1024

    response = client_for(admin_user).post(
        reverse("schools:import-new"),
        {"kind": formats.ESTABLISHMENTS, "file": upload(ESTABLISHMENTS)},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "the largest file an import accepts is 0.0 MB" in content
    assert not BackgroundJob.objects.exists()


def test_upload_form_errors_are_shown(client_for, admin_user):
    response = client_for(admin_user).post(reverse("schools:import-new"), {})
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Choose a file to upload" in content
    assert "Choose what kind of file this is" in content


def test_result_page_lists_problems_and_the_report_downloads(client_for, admin_user, finished_job):
    client = client_for(admin_user)

    page = client.get(reverse("schools:import-detail", args=[finished_job.pk])).content.decode()
    report = client.get(reverse("schools:import-errors", args=[finished_job.pk]))

    assert "A URN is 6 digits." in page
    assert "Download the error report" in page
    assert report.status_code == 200
    assert report["Content-Disposition"].startswith("attachment")
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "row,column,value,problem,outcome"
    assert len({line.split(",")[0] for line in lines[1:]}) == 7  # rows; one has two problems


def test_a_file_refused_when_the_job_runs_fails_the_job_and_is_deleted(
    client_for, admin_user, django_capture_on_commit_callbacks
):
    """A file that passed the upload check but that the import refuses (here a
    file replaced on disk) fails its job with the message, and is not kept."""
    from schools.services import import_job_create

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = import_job_create(
            kind=formats.ESTABLISHMENTS, uploaded_file=upload(ESTABLISHMENTS), user=admin_user
        )
    stored = Path(job.input_file.path)
    stored.write_bytes((BAD / "workbook.xlsx").read_bytes())
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert "Excel workbook" in job.message
    assert not job.input_file
    assert not stored.exists()
    page = client_for(admin_user).get(reverse("schools:import-detail", args=[job.pk]))
    assert "The file was not imported" in page.content.decode()
    assert "Nothing was written" in page.content.decode()
    assert not School.objects.exists()


# ---------------------------------------------------------------------------- API
@pytest.mark.parametrize("role", ALLOWED)
def test_api_import_returns_the_job_and_its_counts(
    request, api_client_for, role, north_west, django_capture_on_commit_callbacks
):
    api = api_client_for(request.getfixturevalue(role))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/imports/",
            {"kind": formats.ESTABLISHMENTS, "file": upload(ESTABLISHMENTS)},
            format="multipart",
        )

    assert response.status_code == 202
    job_id = response.json()["id"]
    status = api.get(f"/api/imports/{job_id}/").json()
    assert status["status"] == "succeeded"
    assert status["counts"]["created"] == 6
    assert status["counts"]["rows_skipped"] == 1
    assert "GIAS current layout" in status["generation"]


def test_api_reports_rejected_rows_and_the_error_report(
    api_client_for, admin_user, north_west, django_capture_on_commit_callbacks
):
    api = api_client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = api.post(
            "/api/imports/",
            {"kind": formats.ESTABLISHMENTS, "file": upload(BAD / "establishments_bad_rows.csv")},
            format="multipart",
        ).json()["id"]

    status = api.get(f"/api/imports/{job_id}/").json()

    assert status["counts"]["rejected"] == 7
    assert status["error_report_url"].endswith(f"/schools/imports/{job_id}/errors.csv")


@pytest.mark.parametrize(
    ("kind", "path", "message"),
    [
        (formats.OFSTED, ESTABLISHMENTS, "It looks like a GIAS establishments"),
        (formats.ESTABLISHMENTS, BAD / "workbook.xlsx", "Excel workbook"),
        (formats.ESTABLISHMENTS, BAD / "binary.csv", "binary data"),
        (formats.ESTABLISHMENTS, BAD / "undecodable.csv", "could not be read"),
        (formats.ESTABLISHMENTS, BAD / "establishments_missing_columns.csv", "missing required"),
    ],
)
def test_api_refuses_a_file_the_import_refuses_with_400_and_its_message(
    api_client_for, admin_user, kind, path, message
):
    before = stored_inputs()

    response = api_client_for(admin_user).post(
        "/api/imports/", {"kind": kind, "file": upload(path)}, format="multipart"
    )

    assert response.status_code == 400
    assert message in " ".join(response.json()["file"])
    assert not BackgroundJob.objects.exists()
    assert stored_inputs() == before


def test_api_refuses_an_empty_upload_and_a_header_without_rows(api_client_for, admin_user):
    api = api_client_for(admin_user)
    header_only = ESTABLISHMENTS.read_bytes().split(b"\r\n", 1)[0] + b"\r\n"

    empty = api.post(
        "/api/imports/",
        {"kind": formats.OFSTED, "file": upload(BAD / "empty.csv")},
        format="multipart",
    )
    no_rows = api.post(
        "/api/imports/",
        {
            "kind": formats.ESTABLISHMENTS,
            "file": SimpleUploadedFile("edubasealldata.csv", header_only),
        },
        format="multipart",
    )

    assert empty.status_code == 400
    assert no_rows.status_code == 400
    assert no_rows.json() == {"file": [NO_ROWS]}
    assert not BackgroundJob.objects.exists()


def test_api_answers_413_for_a_file_over_the_size_limit(api_client_for, admin_user, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    big = SimpleUploadedFile("edubasealldata.csv", b"x" * (3 * 1024 * 1024))

    response = api_client_for(admin_user).post(
        "/api/imports/", {"kind": formats.ESTABLISHMENTS, "file": big}, format="multipart"
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The file is 3.0 MB; the largest file an import accepts is 2.0 MB. "
        "Upload the file as published, not a combined or padded copy."
    }
    assert not BackgroundJob.objects.exists()


def test_api_rejects_an_unknown_kind(api_client_for, admin_user):
    response = api_client_for(admin_user).post(
        "/api/imports/", {"kind": "other", "file": upload(ESTABLISHMENTS)}, format="multipart"
    )
    assert response.status_code == 400
    assert "kind" in response.json()


@pytest.mark.parametrize("role", REFUSED)
def test_api_refuses_other_roles(request, api_client_for, role, finished_job):
    api = api_client_for(request.getfixturevalue(role))

    post = api.post(
        "/api/imports/",
        {"kind": formats.ESTABLISHMENTS, "file": upload(ESTABLISHMENTS)},
        format="multipart",
    )

    assert post.status_code == 403
    assert api.get(f"/api/imports/{finished_job.pk}/").status_code == 403
    assert BackgroundJob.objects.count() == 1


def test_api_refuses_anonymous_users(client, finished_job):
    assert client.get(f"/api/imports/{finished_job.pk}/").status_code in (401, 403)
