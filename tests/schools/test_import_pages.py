"""Upload page, result page, error report and API for imports: Admin and Regions
Group staff only; the import runs as a background job through the progress pattern."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import BackgroundJob
from schools.importers import formats
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


@pytest.mark.django_db(transaction=True)
def test_an_upload_refused_at_once_shows_only_the_error_summary(client_for, regions_staff):
    content = upload_page(client_for(regions_staff), BAD / "workbook.xlsx")

    assert "The file was not imported" in content
    assert "govuk-notification-banner--success" not in content
    assert "uploaded" not in content


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


def test_fatal_problem_fails_the_job_with_its_message(
    client_for, admin_user, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("schools:import-new"),
            {"kind": formats.ESTABLISHMENTS, "file": upload(BAD / "workbook.xlsx")},
        )

    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED
    assert "Excel workbook" in job.message
    page = client.get(reverse("schools:import-detail", args=[job.pk])).content.decode()
    assert "The file was not imported" in page
    assert "Nothing was written" in page
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


def test_api_fatal_file_fails_the_job(
    api_client_for, admin_user, django_capture_on_commit_callbacks
):
    api = api_client_for(admin_user)
    body = api.post(
        "/api/imports/",
        {"kind": formats.OFSTED, "file": upload(BAD / "empty.csv", "empty.csv")},
        format="multipart",
    )
    # An empty upload is refused by the serializer before any job is made.
    assert body.status_code == 400
    assert not BackgroundJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        job_id = api.post(
            "/api/imports/",
            {"kind": formats.OFSTED, "file": upload(ESTABLISHMENTS)},
            format="multipart",
        ).json()["id"]
    status = api.get(f"/api/imports/{job_id}/").json()
    assert status["status"] == "failed"
    assert "It looks like a GIAS establishments" in status["message"]


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
