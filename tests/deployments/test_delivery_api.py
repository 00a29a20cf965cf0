"""The deployment through the contract's API, from issued to closed."""

import datetime as dt

import pytest
from django.core import mail

from deployments.models import Deployment
from tests.deployments.delivery_fixtures import SECTION_VALUES, make_cast

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def url(deployment, tail=""):
    return f"/api/deployments/{deployment.pk}/{tail}"


def put_section(api, deployment, key, values=None):
    return api.put(
        url(deployment, f"sections/{key}/"), values or SECTION_VALUES[key], format="json"
    )


def fill(api, deployment, keys):
    for key in keys:
        response = put_section(api, deployment, key)
        assert response.status_code == 200, (key, response.json())
        assert response.json()["status"] == "completed", (key, response.json())


def test_a_deployment_goes_from_issued_to_closed_through_the_api(
    api_client_for, django_capture_on_commit_callbacks
):
    cast = make_cast()
    d = cast.deployment
    leader, contact = api_client_for(cast.leader), api_client_for(cast.contact)
    rdp = api_client_for(cast.rdp)

    body = leader.get(url(d)).json()
    assert body["state"] == "issued"
    assert body["allowed_transitions"] == ["initial_meeting_arranged", "system_leader_withdraws"]
    assert body["core_days"] == "10.0" and body["claim_cap_days"] == "10.0"
    assert [s["key"] for s in body["sections"]] == [
        "details", "scope", "mid_review", "closure",
        "bank_details", "claim", "school_confirmation", "declaration",
    ]  # fmt: skip
    assert {s["status"] for s in body["sections"]} == {"not_started", "cannot_start_yet"}

    meeting = (TODAY - dt.timedelta(days=35)).isoformat()
    r = leader.post(url(d, "initial-meeting-arranged/"), {"meeting_on": meeting}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "engaged"
    assert r.json()["due_on"] is not None

    # scoping_done needs the scope section: 409 before, 200 after.
    r = leader.post(url(d, "scoping-done/"), {}, format="json")
    assert r.status_code == 409 and r.json()["state"] == "engaged"
    fill(leader, d, ["details", "scope", "bank_details"])
    assert leader.post(url(d, "scoping-done/"), {}, format="json").json()["state"] == "delivery"

    r = leader.post(
        url(d, "activities/"),
        {"date": (TODAY - dt.timedelta(days=20)).isoformat(), "days": "9.5",
         "description": "Leadership coaching", "delivered_by": ""},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201
    assert leader.get(url(d)).json()["days_logged"] == "9.5"

    assert leader.post(url(d, "send-for-sign-off/"), {}, format="json").status_code == 409
    fill(leader, d, ["mid_review", "closure", "claim"])
    claim = leader.get(url(d, "sections/claim/")).json()
    assert claim["amount"] == "5700.00"
    # The leader signs before the school: no sign-off without the declaration.
    r = leader.post(url(d, "send-for-sign-off/"), {}, format="json")
    assert r.status_code == 409 and "declaration" in r.json()["detail"]
    fill(leader, d, ["declaration"])
    with django_capture_on_commit_callbacks(execute=True):
        r = leader.post(url(d, "send-for-sign-off/"), {}, format="json")
    assert r.json()["state"] == "school_sign_off"
    assert any(cast.contact.email in m.to for m in mail.outbox)

    fill(contact, d, ["school_confirmation"])
    r = contact.post(url(d, "school-signs-off/"), {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "signed"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert leader.post(url(d, "submit/"), {}, format="json").json()["state"] == "submitted"
    assert any(cast.rdp.email in m.to for m in mail.outbox)

    r = rdp.post(url(d, "rdp-accepts/"), {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    assert r.json()["accepted_on"] == TODAY.isoformat()

    r = rdp.post(
        url(d, "end-call-held/"),
        {"held_on": TODAY.isoformat(), "school_experience": "Positive",
         "future_plans": "Join a trust", "issues": ""},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "closed"
    names = [e["name"] for e in r.json()["timeline"]]
    for step in ["initial_meeting_arranged", "scoping_done", "send_for_sign_off",
                 "school_signs_off", "submit", "rdp_accepts", "end_call_held"]:  # fmt: skip
        assert step in names
    assert r.json()["allowed_transitions"] == []


def test_the_rdp_returns_the_form_and_the_named_sections_reopen(api_client_for):
    cast = make_cast()
    d = cast.deployment
    Deployment.objects.filter(pk=d.pk).update(state="submitted")
    r = api_client_for(cast.rdp).post(
        url(d, "rdp-returns/"), {"comments": "Say more on impact", "sections": ["closure"]},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200
    body = r.json()
    assert body["state"] == "delivery"
    assert body["reopened_sections"] == ["closure", "school_confirmation", "declaration"]
    statuses = {s["key"]: s["status"] for s in body["sections"]}
    assert statuses["school_confirmation"] == "cannot_start_yet"
    assert body["return_comments"] == "Say more on impact"


def test_a_return_without_comments_is_refused_with_400(api_client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="submitted")
    r = api_client_for(cast.rdp).post(
        url(cast.deployment, "rdp-returns/"), {"comments": "", "sections": []}, format="json"
    )
    assert r.status_code == 400
    assert "comments" in r.json()


def test_the_initial_meeting_cannot_be_before_the_deployment_was_issued(api_client_for):
    cast = make_cast(issued_days_ago=5)
    before = (TODAY - dt.timedelta(days=6)).isoformat()
    r = api_client_for(cast.leader).post(
        url(cast.deployment, "initial-meeting-arranged/"), {"meeting_on": before}, format="json"
    )
    assert r.status_code == 400 and "meeting_on" in r.json()


def test_the_issued_deployment_is_due_by_the_offers_initial_meeting_sla(db):
    from deployments.delivery.services import deployment_create_for_case
    from portal.workdays import add_working_days
    from tests.deployments.factories import IssuedCaseFactory

    case = IssuedCaseFactory()
    deployment = deployment_create_for_case(case=case)
    assert deployment.due_on == add_working_days(TODAY, 10)
    assert deployment.timeline_events.filter(name="issued").exists()


def test_the_deployment_shows_the_contract_fields(api_client_for):
    cast = make_cast()
    body = api_client_for(cast.leader).get(url(cast.deployment)).json()
    for field in ["support_case", "system_leader", "offer", "core_days",
                  "approved_extension_days", "claim_cap_days", "days_logged", "sections",
                  "state", "allowed_transitions", "due_on", "timeline"]:  # fmt: skip
        assert field in body


def test_a_returned_form_is_signed_again_by_the_school_before_it_goes_back(api_client_for):
    from deployments.delivery.services import deployment_section_save

    cast = make_cast()
    d = cast.deployment
    Deployment.objects.filter(pk=d.pk).update(state="delivery")
    d.refresh_from_db()
    leader_keys = ["details", "scope", "mid_review", "closure", "bank_details", "claim"]
    for key in [*leader_keys, "declaration"]:
        deployment_section_save(d, key, user=cast.leader, data=SECTION_VALUES[key])
    Deployment.objects.filter(pk=d.pk).update(state="school_sign_off")
    deployment_section_save(
        d, "school_confirmation", user=cast.contact, data=SECTION_VALUES["school_confirmation"]
    )
    Deployment.objects.filter(pk=d.pk).update(state="submitted")
    leader, contact = api_client_for(cast.leader), api_client_for(cast.contact)
    api_client_for(cast.rdp).post(
        url(d, "rdp-returns/"), {"comments": "More on impact", "sections": ["closure"]},
        format="json",
    )  # fmt: skip
    assert leader.post(url(d, "send-for-sign-off/"), {}, format="json").status_code == 409
    put_section(leader, d, "closure", {"impact": "Plan in place; attendance up 3 points."})
    # The declaration is made again before the school signs again.
    assert leader.post(url(d, "send-for-sign-off/"), {}, format="json").status_code == 409
    put_section(leader, d, "declaration")
    assert leader.post(url(d, "send-for-sign-off/"), {}, format="json").status_code == 200
    assert contact.post(url(d, "school-signs-off/"), {}, format="json").status_code == 409
    put_section(contact, d, "school_confirmation")
    assert contact.post(url(d, "school-signs-off/"), {}, format="json").status_code == 200


def test_the_deployment_page_and_the_api_read_the_same_filters(client_for, api_client_for):
    """One FilterSet: `state`, `region`, `school_urn` and `trust_uid` on both lists;
    the API refuses an unknown state, the page ignores it."""
    cast = make_cast()
    d = cast.deployment
    api = api_client_for(cast.staff)

    def api_ids(query):
        return [row["id"] for row in api.get(f"/api/deployments/?{query}").json()["results"]]

    assert api_ids("state=issued") == [d.pk]
    assert api_ids("state=closed") == []
    assert api_ids("region=North%20West") == [d.pk]
    assert api_ids("region=London") == []
    assert api_ids(f"school_urn={d.school.urn}") == [d.pk]
    assert api_ids("school_urn=999999") == []
    assert api.get("/api/deployments/?state=nonsense").status_code == 400

    page = client_for(cast.staff)

    def page_ids(query):
        listed = page.get(f"/deployments/?{query}").context["deployments"]
        return [row.pk for row in listed]

    assert page_ids("state=issued") == [d.pk]
    assert page_ids("state=closed") == []
    assert page_ids("region=London") == []
    assert page_ids("state=nonsense") == [d.pk]
