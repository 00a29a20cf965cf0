"""Issue 26 item 4 in the deployment: the mid-engagement return to the RDP,
the end-of-deployment call offered to the school, the enhanced strand's
request rules (unfunded partnerships recorded only; extensions with the
school's agreement, while the support is delivered) and each activity's mode,
in the services, the API and the HTML pages."""

import datetime as dt
from io import BytesIO

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from deployments.delivery import services
from deployments.delivery.models import Activity, Deployment, EnhancedRequest
from portal.models import TimelineEvent
from tests.deployments.delivery_fixtures import SECTION_VALUES, make_cast
from web.selectors import home_queue_for

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
REQUESTS = "/api/enhanced-requests/"


def at(cast, state):
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    cast.deployment.refresh_from_db()
    return cast.deployment


def returned_events(deployment):
    return TimelineEvent.objects.filter(deployment=deployment, name="mid_review_returned")


# The mid-engagement return -----------------------------------------------------


def test_completing_the_mid_review_e_mails_the_return_to_the_rdp_once(
    django_capture_on_commit_callbacks,
):
    cast = make_cast()
    deployment = at(cast, "delivery")
    with django_capture_on_commit_callbacks(execute=True):
        services.deployment_section_save(
            deployment, "mid_review", user=cast.leader, data={"progress": "Leaders monitor"}
        )
    assert not returned_events(deployment).exists()  # not complete yet: nothing sent
    assert not [m for m in mail.outbox if "Mid-engagement return" in m.subject]

    with django_capture_on_commit_callbacks(execute=True):
        services.deployment_section_save(
            deployment, "mid_review", user=cast.leader, data={"changes": "More coaching"}
        )
    sent = [m for m in mail.outbox if "Mid-engagement return" in m.subject]
    assert [m.to for m in sent] == [[cast.rdp.email]]
    assert "Leaders monitor" in sent[0].body and "More coaching" in sent[0].body
    assert returned_events(deployment).count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.deployment_section_save(
            deployment, "mid_review", user=cast.leader, data={"changes": "Coaching, weekly"}
        )
    assert not [m for m in mail.outbox if "Mid-engagement return" in m.subject]
    assert returned_events(deployment).count() == 1


def test_a_mid_review_the_rdp_reopened_is_returned_again_when_completed_again(
    django_capture_on_commit_callbacks,
):
    cast = make_cast()
    deployment = at(cast, "delivery")
    services.deployment_section_save(
        deployment, "mid_review", user=cast.leader, data=SECTION_VALUES["mid_review"]
    )
    Deployment.objects.filter(pk=deployment.pk).update(
        state="submitted", reopened_sections=[]
    )  # fmt: skip
    deployment.refresh_from_db()
    services.deployment_rdp_returns(
        deployment, user=cast.rdp, comments="Say more", sections=["mid_review"]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.deployment_section_save(
            Deployment.objects.get(pk=deployment.pk),
            "mid_review",
            user=cast.leader,
            data={"progress": "Leaders monitor teaching weekly."},
        )
    assert [m.to for m in mail.outbox if "Mid-engagement return" in m.subject] == [[cast.rdp.email]]
    assert returned_events(deployment).count() == 2


def test_the_mid_review_return_through_the_api_and_the_page_history(
    api_client_for, client_for, django_capture_on_commit_callbacks
):
    cast = make_cast()
    deployment = at(cast, "delivery")
    with django_capture_on_commit_callbacks(execute=True):
        r = api_client_for(cast.leader).put(
            f"/api/deployments/{deployment.pk}/sections/mid_review/",
            SECTION_VALUES["mid_review"],
            format="json",
        )
    assert r.status_code == 200 and r.json()["status"] == "completed"
    body = api_client_for(cast.rdp).get(f"/api/deployments/{deployment.pk}/").json()
    assert "mid_review_returned" in [e["name"] for e in body["timeline"]]
    page = client_for(cast.rdp).get(f"/deployments/{deployment.pk}/").content.decode()
    assert "Mid-engagement return sent to the RDP" in page


# The end-of-deployment call ------------------------------------------------------


def test_accepting_the_form_tells_the_school_the_rdp_will_offer_the_call_and_queues_it(
    django_capture_on_commit_callbacks,
):
    cast = make_cast()
    deployment = at(cast, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        deployment = services.deployment_rdp_accepts(deployment, user=cast.rdp)
    to_school = [m for m in mail.outbox if cast.contact.email in m.to]
    assert len(to_school) == 1
    assert "end-of-deployment call" in to_school[0].body
    assert "Deployment form accepted" in to_school[0].subject
    assert f"/deployments/{deployment.pk}/" in to_school[0].body

    href = reverse("deployments:deployment-detail", args=[deployment.pk])
    rows = [row["href"] for section in home_queue_for(cast.rdp) for row in section.rows]
    assert href in rows
    services.deployment_end_call_held(
        deployment,
        user=cast.rdp,
        held_on=TODAY,
        school_experience="Positive",
        future_plans="Join a trust",
    )
    rows = [row["href"] for section in home_queue_for(cast.rdp) for row in section.rows]
    assert href not in rows


# Enhanced support: request rules ----------------------------------------------------


def post_request(api, deployment, **values):
    return api.post(REQUESTS, {"deployment": deployment.pk, **values}, format="json")


EXTENSION = {"kind": "extension", "days": "3", "context": "Phonics", "school_agrees": True}
UNFUNDED = {"kind": "unfunded_partnership", "context": "Informal SLA"}


def test_an_unfunded_partnership_is_recorded_and_never_blocks_another_request(api_client_for):
    cast = make_cast()
    at(cast, "delivery")
    leader = api_client_for(cast.leader)
    r = post_request(leader, cast.deployment, **UNFUNDED)
    assert r.status_code == 201
    assert (r.json()["state"], r.json()["due_on"], r.json()["allowed_transitions"]) == (
        "recorded",
        None,
        [],
    )
    assert post_request(leader, cast.deployment, **UNFUNDED).status_code == 201
    r = post_request(leader, cast.deployment, **EXTENSION)
    assert r.status_code == 201 and r.json()["state"] == "requested"
    rid = r.json()["id"]
    assert api_client_for(cast.rdp).post(
        f"{REQUESTS}{rid}/rdp-forwards/", {}, format="json"
    ).status_code == 200  # fmt: skip
    # One pending: any further request answers 409, an unfunded one included.
    r = post_request(leader, cast.deployment, **UNFUNDED)
    assert r.status_code == 409 and r.json()["state"] == "with_dfe"
    recorded = EnhancedRequest.objects.filter(state="recorded")
    assert recorded.count() == 2
    r = api_client_for(cast.rdp).post(
        f"{REQUESTS}{recorded.first().pk}/rdp-forwards/", {}, format="json"
    )
    assert r.status_code == 409  # never pending, never with DfE


def test_an_approved_request_blocks_another_but_a_declined_one_does_not(api_client_for):
    cast = make_cast()
    at(cast, "delivery")
    leader = api_client_for(cast.leader)
    rid = post_request(leader, cast.deployment, **EXTENSION).json()["id"]
    EnhancedRequest.objects.filter(pk=rid).update(state="approved")
    assert post_request(leader, cast.deployment, **EXTENSION).status_code == 409
    EnhancedRequest.objects.filter(pk=rid).update(state="declined")
    assert post_request(leader, cast.deployment, **EXTENSION).status_code == 201


@pytest.mark.parametrize("agrees", [None, False])
def test_an_extension_needs_the_schools_agreement(api_client_for, agrees):
    cast = make_cast()
    at(cast, "delivery")
    values = {**EXTENSION, "school_agrees": agrees}
    r = post_request(api_client_for(cast.leader), cast.deployment, **values)
    assert r.status_code == 400
    assert r.json()["school_agrees"] == ["The school or trust must agree to the extra days."]
    assert not EnhancedRequest.objects.exists()


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        ("issued", False),
        ("engaged", True),
        ("delivery", True),
        ("school_sign_off", False),
        ("signed", False),
        ("submitted", False),
        ("accepted", False),
    ],
)
def test_an_extension_is_asked_for_only_while_engaged_or_in_delivery(
    api_client_for, state, allowed
):
    cast = make_cast()
    at(cast, state)
    r = post_request(api_client_for(cast.leader), cast.deployment, **EXTENSION)
    if allowed:
        assert r.status_code == 201
        assert r.json()["school_agrees"] is True
        return
    assert r.status_code == 409 and r.json()["state"] == state
    assert "Extra days are asked for" in r.json()["detail"]
    if state != "issued":
        assert "already with the school or the RDP" in r.json()["detail"]


def test_a_late_extension_is_409_before_its_missing_agreement_is_400(api_client_for):
    cast = make_cast()
    at(cast, "submitted")
    r = post_request(
        api_client_for(cast.leader), cast.deployment, **{**EXTENSION, "school_agrees": None}
    )
    assert r.status_code == 409


def test_a_funded_partnership_may_still_be_asked_for_after_delivery(api_client_for):
    cast = make_cast()
    at(cast, "submitted")
    r = post_request(
        api_client_for(cast.leader),
        cast.deployment,
        kind="funded_partnership",
        benefit="Sustained support",
        school_agrees=True,
    )
    assert r.status_code == 201


def test_the_request_page_shows_the_schools_agreement(client_for, api_client_for):
    cast = make_cast()
    at(cast, "delivery")
    rid = post_request(api_client_for(cast.leader), cast.deployment, **EXTENSION).json()["id"]
    page = client_for(cast.rdp).get(f"/enhanced-requests/{rid}/").content.decode()
    assert "The school or trust agrees" in page
    history = EnhancedRequest.objects.get(pk=rid).timeline_events.get(name="requested")
    assert history.note == "The school or trust agrees."


def test_the_html_form_refuses_an_extension_without_agreement_with_a_govuk_error(client_for):
    cast = make_cast()
    at(cast, "delivery")
    response = client_for(cast.leader).post(
        f"/deployments/{cast.deployment.pk}/enhanced-support/",
        {"kind": "extension", "days": "3", "context": "Phonics"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "The school or trust must agree to the extra days." in page
    assert not EnhancedRequest.objects.exists()


def test_the_html_form_refuses_a_late_extension_in_the_error_summary(client_for):
    cast = make_cast()
    at(cast, "school_sign_off")
    response = client_for(cast.leader).post(
        f"/deployments/{cast.deployment.pk}/enhanced-support/",
        {"kind": "extension", "days": "3", "context": "Phonics", "school_agrees": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "already with the school or the RDP" in page
    assert not EnhancedRequest.objects.exists()


def test_the_html_form_records_an_unfunded_partnership_beside_a_pending_extension(client_for):
    cast = make_cast()
    at(cast, "delivery")
    client = client_for(cast.leader)
    url = f"/deployments/{cast.deployment.pk}/enhanced-support/"
    assert client.post(
        url, {"kind": "unfunded_partnership", "context": "Informal"}
    ).status_code == 302  # fmt: skip
    assert client.post(
        url, {"kind": "extension", "days": "2", "context": "Phonics", "school_agrees": "true"}
    ).status_code == 302  # fmt: skip
    assert sorted(EnhancedRequest.objects.values_list("state", flat=True)) == [
        "recorded",
        "requested",
    ]


# Activities: face to face or remote ------------------------------------------------


def activity(api, deployment, **values):
    body = {
        "date": (TODAY - dt.timedelta(days=1)).isoformat(),
        "days": "1",
        "description": "Coaching",
        **values,
    }
    return api.post(f"/api/deployments/{deployment.pk}/activities/", body, format="json")


def test_an_activity_is_face_to_face_unless_remote_is_given(api_client_for):
    cast = make_cast()
    leader = api_client_for(cast.leader)
    r = activity(leader, cast.deployment)
    assert r.status_code == 201 and r.json()["mode"] == "face_to_face"
    r = activity(leader, cast.deployment, mode="remote")
    assert r.status_code == 201 and r.json()["mode"] == "remote"
    r = activity(leader, cast.deployment, mode="carrier_pigeon")
    assert r.status_code == 400 and "mode" in r.json()
    listed = leader.get(f"/api/deployments/{cast.deployment.pk}/activities/").json()
    assert [a["mode"] for a in listed] == ["face_to_face", "remote"]


def test_the_service_refuses_an_unknown_mode():
    from django.core.exceptions import ValidationError

    cast = make_cast()
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            cast.deployment,
            user=cast.leader,
            date=TODAY,
            days="1",
            description="Coaching",
            mode="telepathy",
        )
    assert "mode" in exc.value.message_dict


def test_the_activity_page_asks_the_mode_with_radios_and_shows_it_in_the_log_and_export(
    client_for,
):
    cast = make_cast()
    client = client_for(cast.leader)
    url = f"/deployments/{cast.deployment.pk}/activities/"
    form = client.get(url).content.decode()
    assert 'type="radio" name="mode" value="face_to_face"' in form.replace("\n", " ") or (
        'name="mode"' in form and 'value="remote"' in form
    )
    yesterday = TODAY - dt.timedelta(days=1)
    response = client.post(
        url,
        {
            "date_0": yesterday.day,
            "date_1": yesterday.month,
            "date_2": yesterday.year,
            "days": "1",
            "description": "Video call with governors",
            "mode": "remote",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Activity.objects.get().mode == "remote"
    log = client.get(url).content.decode()
    assert ">Mode<" in log and ">Remote<" in log
    book = openpyxl.load_workbook(
        BytesIO(client.get(f"/deployments/{cast.deployment.pk}/export.xlsx").content)
    )
    rows = list(book["Activity log"].iter_rows(values_only=True))
    assert rows[0][-1] == "Mode" and rows[1][-1] == "Remote"
