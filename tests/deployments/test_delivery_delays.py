"""A delay the system leader reports (`POST /api/deployments/{id}/report-delay/`
and the "Report a delay" page): not a transition; recorded, e-mailed to the
RDP and Regions Group staff of the region, shown on their home queues, in the
`delayed` filter and on the deployment until the leader's next step or save."""

import datetime as dt

import pytest
from django.core import mail

from deployments.delivery import interruptions, services
from deployments.delivery.models import Deployment
from portal.models import Role
from portal.workflow import WorkflowConflict
from tests.deployments.delivery_fixtures import SECTION_VALUES, make_cast

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=14)


def _url(cast, tail="report-delay/"):
    return f"/api/deployments/{cast.deployment.pk}/{tail}"


def _report(cast, **values):
    return interruptions.deployment_report_delay(
        cast.deployment,
        user=cast.leader,
        reason=values.get("reason", "The head is off sick"),
        expected_resume_on=values.get("expected_resume_on", LATER),
    )


def test_the_leader_reports_a_delay_and_the_state_does_not_change(
    api_client_for, django_capture_on_commit_callbacks, make_user, london
):
    cast = make_cast()
    elsewhere = make_user(Role.REGIONS_STAFF, regions=[london])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(cast.leader).post(
            _url(cast),
            {"reason": "The head is off sick", "expected_resume_on": LATER.isoformat()},
            format="json",
        )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "issued"
    assert body["delayed"] is True
    assert body["delay_reported_on"] == TODAY.isoformat()
    assert body["delay_reason"] == "The head is off sick"
    assert body["delay_expected_resume_on"] == LATER.isoformat()
    event = body["timeline"][-1]
    assert event["name"] == "delay_reported" and "off sick" in event["note"]
    sent = [m for m in mail.outbox if m.subject.startswith("Delay reported")]
    told = {address for m in sent for address in m.to}
    assert told == {cast.rdp.email, cast.staff.email}
    assert elsewhere.email not in told
    assert f"{LATER.day} " in sent[0].body  # the GOV.UK date


def test_the_expected_date_may_be_left_out(api_client_for):
    cast = make_cast()
    for body in ({"reason": "r"}, {"reason": "r", "expected_resume_on": None}):
        response = api_client_for(cast.leader).post(_url(cast), body, format="json")
        assert response.status_code == 200
        assert response.json()["delay_expected_resume_on"] is None


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "r", "expected_resume_on": "not a date"}, "expected_resume_on"),
        ({"reason": "r", "expected_resume_on": "2001-01-01"}, "expected_resume_on"),
    ],
)
def test_a_wrong_delay_is_400_and_nothing_is_recorded(api_client_for, body, field):
    cast = make_cast()
    response = api_client_for(cast.leader).post(_url(cast), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    cast.deployment.refresh_from_db()
    assert cast.deployment.delay_reported_on is None


@pytest.mark.parametrize("state", ["signed", "submitted", "accepted", "closed", "withdrawn"])
def test_a_delay_is_reported_only_from_issue_to_school_sign_off(api_client_for, state):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    response = api_client_for(cast.leader).post(_url(cast), {"reason": "r"}, format="json")
    assert response.status_code == 409
    assert response.json()["state"] == state


@pytest.mark.parametrize("state", ["issued", "engaged", "delivery", "school_sign_off"])
def test_a_delay_is_reported_in_every_delivery_state(state):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    cast.deployment.refresh_from_db()
    assert _report(cast).delay_reported_on == TODAY


def test_a_paused_deployment_takes_no_delay_report():
    cast = make_cast()
    services.deployment_pause(cast.deployment, user=cast.rdp, reason="Ofsted visit")
    with pytest.raises(WorkflowConflict):
        _report(cast)


def test_the_leaders_next_step_clears_the_delay(api_client_for):
    cast = make_cast()
    _report(cast)
    response = api_client_for(cast.leader).post(
        _url(cast, "initial-meeting-arranged/"),
        {"meeting_on": (TODAY - dt.timedelta(days=2)).isoformat()},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["delayed"] is False
    assert body["delay_reported_on"] is None and body["delay_reason"] == ""


def test_the_leaders_section_save_clears_the_delay_and_the_schools_does_not():
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="school_sign_off")
    cast.deployment.refresh_from_db()
    _report(cast)
    services.deployment_section_save(
        cast.deployment,
        "school_confirmation",
        user=cast.contact,
        data=SECTION_VALUES["school_confirmation"],
    )
    cast.deployment.refresh_from_db()
    assert cast.deployment.delay_reported_on == TODAY
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    cast.deployment.refresh_from_db()
    services.deployment_section_save(
        cast.deployment, "details", user=cast.leader, data=SECTION_VALUES["details"]
    )
    cast.deployment.refresh_from_db()
    assert cast.deployment.delay_reported_on is None


def test_the_delayed_filter_in_the_api_and_on_the_page(api_client_for, client_for):
    delayed, on_time = make_cast(), make_cast()
    _report(delayed)
    api = api_client_for(delayed.rdp)
    ids = {d["id"] for d in api.get("/api/deployments/", {"delayed": "true"}).json()["results"]}
    assert ids == {delayed.deployment.pk}
    ids = {d["id"] for d in api.get("/api/deployments/", {"delayed": "false"}).json()["results"]}
    assert on_time.deployment.pk in ids and delayed.deployment.pk not in ids
    assert api.get("/api/deployments/", {"delayed": "maybe"}).status_code == 400
    page = client_for(delayed.rdp).get("/deployments/", {"delayed": "yes"}).content.decode()
    assert f'href="/deployments/{delayed.deployment.pk}/"' in page
    assert f'href="/deployments/{on_time.deployment.pk}/"' not in page
    assert 'govuk-tag--orange">Delayed' in page
    assert 'name="delayed" type="checkbox" value="yes" checked' in page


def test_delayed_deployments_show_on_the_rdps_and_regions_group_staffs_home(
    client_for, make_user, london
):
    cast = make_cast()
    _report(cast)
    href = f'href="/deployments/{cast.deployment.pk}/"'
    for user in (cast.rdp, cast.staff):
        home = client_for(user).get("/").content.decode()
        assert href in home, user.role
        assert "delay reported on" in home and "Delayed</strong>" in home
    for user in (
        make_user(Role.RDP, regions=[london]),
        make_user(Role.REGIONS_STAFF, regions=[london]),
    ):
        assert href not in client_for(user).get("/").content.decode()
    # The school's home links its own deployment, but not as a delayed one to chase.
    school_home = client_for(cast.contact).get("/").content.decode()
    assert "delay reported on" not in school_home and "Delayed</strong>" not in school_home
    # Once the leader moves on, it leaves the queues.
    services.deployment_initial_meeting_arranged(
        cast.deployment, user=cast.leader, meeting_on=TODAY
    )
    assert href not in client_for(cast.staff).get("/").content.decode()


def test_regions_group_staff_see_an_empty_delayed_section_when_nothing_is_delayed(
    client_for, make_user, north_west
):
    staff = make_user(Role.REGIONS_STAFF, regions=[north_west])
    home = client_for(staff).get("/").content.decode()
    assert "Delayed deployments" in home
    assert "No system leader has reported a delay." in home


def test_the_report_a_delay_page(client_for):
    cast = make_cast()
    client = client_for(cast.leader)
    detail = client.get(f"/deployments/{cast.deployment.pk}/").content.decode()
    assert "Report a delay" in detail
    url = f"/deployments/{cast.deployment.pk}/report-delay/"
    page = client.get(url).content.decode()
    assert "What happens next" in page and "Report the delay" in page
    wrong = client.post(url, {"reason": ""})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()
    done = client.post(
        url,
        {
            "reason": "Snow closed the school",
            "expected_resume_on_0": LATER.day,
            "expected_resume_on_1": LATER.month,
            "expected_resume_on_2": LATER.year,
        },
    )
    assert done.status_code == 302
    cast.deployment.refresh_from_db()
    assert cast.deployment.delay_expected_resume_on == LATER
    detail = client.get(f"/deployments/{cast.deployment.pk}/").content.decode()
    assert "data-delay" in detail and "Snow closed the school" in detail
    rdp_view = client_for(cast.rdp).get(f"/deployments/{cast.deployment.pk}/").content.decode()
    assert "Delayed</strong>" in rdp_view and "Report a delay" not in rdp_view


def test_the_report_a_delay_page_says_409_once_signed(client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="signed")
    page = client_for(cast.leader).get(f"/deployments/{cast.deployment.pk}/report-delay/")
    assert page.status_code == 409
