"""Enhanced support, pause and resume, the activity log, case studies."""

import datetime as dt

import pytest
from django.core import mail

from deployments.delivery.models import Deployment, EnhancedRequest
from portal.workdays import add_working_days
from tests.deployments.delivery_fixtures import make_cast
from tests.schools.factories import RegionFactory, TrustFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def request_extension(api, deployment, days="5"):
    """Extra days, asked for while the support is delivered, with the school's agreement."""
    Deployment.objects.filter(pk=deployment.pk, state="issued").update(state="delivery")
    return api.post(
        "/api/enhanced-requests/",
        {"deployment": deployment.pk, "kind": "extension", "days": days, "context": "More time",
         "school_agrees": True},
        format="json",
    )  # fmt: skip


def test_a_declined_extension_needs_a_rationale_and_keeps_the_cap(api_client_for):
    cast = make_cast()
    leader, rdp, staff = (api_client_for(u) for u in (cast.leader, cast.rdp, cast.staff))
    rid = request_extension(leader, cast.deployment).json()["id"]
    rdp.post(f"/api/enhanced-requests/{rid}/rdp-forwards/", {}, format="json")
    r = staff.post(f"/api/enhanced-requests/{rid}/dfe-declines/", {"rationale": ""}, format="json")
    assert r.status_code == 400 and "rationale" in r.json()
    r = staff.post(
        f"/api/enhanced-requests/{rid}/dfe-declines/", {"rationale": "Not needed"}, format="json"
    )
    assert r.status_code == 200 and r.json()["state"] == "declined"
    cast.deployment.refresh_from_db()
    assert cast.deployment.claim_cap_days == 10


def test_an_extension_over_the_offers_maximum_is_refused(api_client_for):
    cast = make_cast()
    r = request_extension(api_client_for(cast.leader), cast.deployment, days="5.5")
    assert r.status_code == 400 and "days" in r.json()


def test_a_second_request_while_one_is_pending_or_approved_answers_409(api_client_for):
    cast = make_cast()
    leader = api_client_for(cast.leader)
    assert request_extension(leader, cast.deployment).status_code == 201
    r = request_extension(leader, cast.deployment)
    assert r.status_code == 409 and r.json()["state"] == "requested"


def test_a_declined_request_allows_a_new_one(api_client_for):
    cast = make_cast()
    leader = api_client_for(cast.leader)
    rid = request_extension(leader, cast.deployment).json()["id"]
    EnhancedRequest.objects.filter(pk=rid).update(state="declined")
    assert request_extension(leader, cast.deployment).status_code == 201


def test_an_extension_completion_date_outside_the_window_is_refused(api_client_for):
    cast = make_cast()
    leader, rdp, staff = (api_client_for(u) for u in (cast.leader, cast.rdp, cast.staff))
    rid = request_extension(leader, cast.deployment).json()["id"]
    rdp.post(f"/api/enhanced-requests/{rid}/rdp-forwards/", {}, format="json")
    late = (TODAY + dt.timedelta(weeks=13)).isoformat()
    r = staff.post(
        f"/api/enhanced-requests/{rid}/dfe-approves/", {"completion_date": late}, format="json"
    )
    assert r.status_code == 400 and "completion_date" in r.json()


def test_only_regions_staff_of_the_region_decide_and_only_the_rdp_forwards(
    api_client_for, make_user, london
):
    from portal.models import Role

    cast = make_cast()
    rid = request_extension(api_client_for(cast.leader), cast.deployment).json()["id"]
    forward = f"/api/enhanced-requests/{rid}/rdp-forwards/"
    assert api_client_for(cast.staff).post(forward, {}, format="json").status_code == 403
    assert api_client_for(cast.leader).post(forward, {}, format="json").status_code == 403
    other_rdp = make_user(Role.RDP, regions=[london])
    assert api_client_for(other_rdp).post(forward, {}, format="json").status_code == 404
    assert api_client_for(cast.rdp).post(forward, {}, format="json").status_code == 200
    approve = f"/api/enhanced-requests/{rid}/dfe-approves/"
    assert api_client_for(cast.rdp).post(approve, {}, format="json").status_code == 403
    other_staff = make_user(Role.REGIONS_STAFF, regions=[london])
    assert api_client_for(other_staff).post(approve, {}, format="json").status_code == 404
    admin = make_user(Role.ADMIN, is_staff=True)
    assert api_client_for(admin).post(approve, {}, format="json").status_code == 403


def test_a_funded_partnership_gets_a_grant_and_only_its_first_instalment_is_due_on_approval_day(
    api_client_for, django_capture_on_commit_callbacks
):
    cast = make_cast()
    partner = TrustFactory(uid="4321")
    leader, rdp, staff = (api_client_for(u) for u in (cast.leader, cast.rdp, cast.staff))
    r = leader.post(
        "/api/enhanced-requests/",
        {"deployment": cast.deployment.pk, "kind": "funded_partnership",
         "benefit": "Sustained support from a strong trust", "school_agrees": True,
         "suggested_trust_uid": "4321", "context": "Existing relationship"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201, r.json()
    rid = r.json()["id"]
    rdp.post(f"/api/enhanced-requests/{rid}/rdp-forwards/", {}, format="json")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = staff.post(
            f"/api/enhanced-requests/{rid}/dfe-approves/",
            {"summary": "Approved for 12 months", "copy_to": "diocese@example.org",
             "partner_contact_email": "bursar@partner.example.org"},
            format="json",
        )  # fmt: skip
    assert r.status_code == 200, r.json()
    grant = r.json()["grant"]
    assert grant["partner_trust_uid"] == partner.uid
    assert grant["months"] == 12 and grant["total"] == "10000.00"
    assert [i["amount"] for i in grant["instalments"]] == ["5000.00", "5000.00"]
    assert [i["is_due"] for i in grant["instalments"]] == [False, False]
    assert any("diocese@example.org" in m.to for m in mail.outbox)
    assert any(cast.contact.email in m.to for m in mail.outbox)

    evidence = f"/api/enhanced-requests/{rid}/grant-evidence/"
    r = staff.post(evidence, {"instalment": 1, "evidence": "signed_grant_offer",
                              "received_on": TODAY.isoformat()}, format="json")  # fmt: skip
    assert r.status_code == 200
    assert [i["is_due"] for i in r.json()["grant"]["instalments"]] == [True, False]
    # The second instalment is paid at the end of the partnership, not on approval day.
    for kind in ("partnership_report", "school_confirmation"):
        r = staff.post(evidence, {"instalment": 2, "evidence": kind,
                                  "received_on": TODAY.isoformat()}, format="json")  # fmt: skip
        assert r.status_code == 409, r.json()
        assert "end of the partnership" in r.json()["detail"]
    r = staff.get(f"/api/enhanced-requests/{rid}/")
    assert [i["is_due"] for i in r.json()["grant"]["instalments"]] == [True, False]
    assert r.json()["grant"]["instalments"][1]["received"] == {}
    assert api_client_for(cast.rdp).post(
        evidence, {"instalment": 1, "evidence": "signed_grant_offer",
                   "received_on": TODAY.isoformat()}, format="json"
    ).status_code == 403  # fmt: skip


def test_an_unfunded_partnership_is_recorded_only(api_client_for):
    cast = make_cast()
    r = api_client_for(cast.leader).post(
        "/api/enhanced-requests/",
        {"deployment": cast.deployment.pk, "kind": "unfunded_partnership",
         "tell_regions_group": True},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201
    assert r.json()["state"] == "recorded" and r.json()["allowed_transitions"] == []


def test_a_paused_deployment_is_read_only_and_its_due_date_moves_on_when_resumed(
    api_client_for, make_user
):
    cast = make_cast()
    d = cast.deployment
    staff, leader = api_client_for(cast.staff), api_client_for(cast.leader)
    assert leader.post(f"/api/deployments/{d.pk}/pause/", {"reason": "x"},
                       format="json").status_code == 403  # fmt: skip
    assert staff.post(f"/api/deployments/{d.pk}/pause/", {"reason": ""},
                      format="json").status_code == 400  # fmt: skip
    r = staff.post(f"/api/deployments/{d.pk}/pause/", {"reason": "Head on leave"}, format="json")
    assert r.status_code == 200 and r.json()["paused"] is True
    assert r.json()["allowed_transitions"] == ["withdraw"]  # withdrawing stays possible
    put = leader.put(f"/api/deployments/{d.pk}/sections/details/", {"contact_name": "A"},
                     format="json")  # fmt: skip
    assert put.status_code == 409
    meeting = leader.post(f"/api/deployments/{d.pk}/initial-meeting-arranged/",
                          {"meeting_on": TODAY.isoformat()}, format="json")  # fmt: skip
    assert meeting.status_code == 409
    # Paused for 5 working days: the due date moves on by 5 working days.
    due = dt.date(2030, 1, 10)
    paused_on = dt.date(2029, 12, 31)
    Deployment.objects.filter(pk=d.pk).update(
        due_on=due,
        paused_at=dt.datetime.combine(paused_on, dt.time(12), tzinfo=dt.UTC),
    )
    from portal.workdays import working_days_between

    r = api_client_for(cast.rdp).post(f"/api/deployments/{d.pk}/resume/", {}, format="json")
    assert r.status_code == 200 and r.json()["paused"] is False
    expected = add_working_days(due, working_days_between(paused_on, TODAY))
    assert r.json()["due_on"] == expected.isoformat()


def test_an_nle_names_a_colleague_only_with_a_wider_team_agreed(api_client_for):
    cast = make_cast()
    api = api_client_for(cast.leader)
    body = {"date": (TODAY - dt.timedelta(days=3)).isoformat(), "days": "1",
            "description": "Timetabling", "delivered_by": "Colleague Name"}  # fmt: skip
    r = api.post(f"/api/deployments/{cast.deployment.pk}/activities/", body, format="json")
    assert r.status_code == 400 and "delivered_by" in r.json()
    leader = cast.deployment.system_leader
    leader.wider_team_agreed = True
    leader.save()
    r = api.post(f"/api/deployments/{cast.deployment.pk}/activities/", body, format="json")
    assert r.status_code == 201 and r.json()["delivered_by"] == "Colleague Name"


def test_activity_dates_fall_between_issue_and_today_in_half_days(api_client_for):
    cast = make_cast(issued_days_ago=10)
    api = api_client_for(cast.leader)
    url = f"/api/deployments/{cast.deployment.pk}/activities/"

    def post(date, days="1"):
        body = {"date": date.isoformat(), "days": days, "description": "Visit"}
        return api.post(url, body, format="json")

    assert post(TODAY - dt.timedelta(days=11)).status_code == 400
    assert post(TODAY + dt.timedelta(days=1)).status_code == 400
    assert post(TODAY, days="0.3").status_code == 400
    assert post(TODAY, days="0.5").status_code == 201
    assert api.get(url).json()[0]["days"] == "0.5"


def test_a_case_study_is_searchable_by_focus_area_phase_and_region(api_client_for, client_for):
    from deployments.delivery.services import case_study_save, deployment_section_save

    cast = make_cast()
    d = cast.deployment
    deployment_section_save(
        d, "scope", user=cast.leader,
        data={"focus_areas": [{"key": "attendance", "priority": "high"}]},
    )  # fmt: skip
    Deployment.objects.filter(pk=d.pk).update(state="closed")
    d.refresh_from_db()
    case_study_save(
        d, user=cast.rdp, title="Attendance turnaround", context="RI twice",
        support_carried_out="Attendance strategy", impact="Attendance up",
        next_steps="Trust partnership",
    )  # fmt: skip
    api = api_client_for(cast.contact)
    assert len(api.get("/api/case-studies/?focus_area=attendance").json()["results"]) == 1
    assert len(api.get("/api/case-studies/?focus_area=behaviour").json()["results"]) == 0
    assert len(api.get("/api/case-studies/?phase=primary&region=North West").json()["results"]) == 1
    assert len(api.get("/api/case-studies/?phase=secondary").json()["results"]) == 0
    page = client_for(cast.contact).get("/case-studies/?focus_area=attendance")
    assert b"Attendance turnaround" in page.content
    # One FilterSet: each list takes a region by id (the page's select) or by name.
    london = RegionFactory(name="London", code="E12000007")
    assert len(api.get(f"/api/case-studies/?region={cast.region.pk}").json()["results"]) == 1
    assert len(api.get(f"/api/case-studies/?region={london.pk}").json()["results"]) == 0
    pages = client_for(cast.contact)
    assert len(pages.get("/case-studies/?region=London").context["studies"]) == 0
    assert len(pages.get(f"/case-studies/?region={cast.region.pk}").context["studies"]) == 1
    # A region that names none matches nothing (it was a 500 on the page).
    assert len(pages.get("/case-studies/?region=abc").context["studies"]) == 0


def test_the_programmes_catalogue_holds_annex_a(api_client_for, make_user):
    from deployments.programmes.catalogue import ANNEX_A

    body = api_client_for(make_user()).get("/api/programmes/").json()
    slugs = {p["slug"] for p in body}
    assert slugs == {row[0] for row in ANNEX_A}
    names = " ".join(p["name"] for p in body)
    for npq in ["NPQLT", "NPQLTD", "NPQLL", "NPQLBC", "NPQLPM", "NPQSL", "NPQEYL", "NPQH",
                "NPQEL"]:  # fmt: skip
        assert f"({npq})" in names
    for element in ["Reducing persistent absence", "Pupil premium", "PE and sport premium",
                    "Research Schools Network", "Behaviour Hubs", "English Hubs",
                    "National Tutoring Programme", "School Resource Management"]:  # fmt: skip
        assert element in names


@pytest.mark.parametrize(
    "step, says",
    [
        ("dfe-approves", "The extra days are added to the days the system leader may claim."),
        ("dfe-declines", "The request is declined."),
    ],
)
def test_dfe_decides_an_extension_with_the_request_and_its_effect_in_view(
    api_client_for, client_for, step, says
):
    cast = make_cast()
    rid = request_extension(api_client_for(cast.leader), cast.deployment, days="3").json()["id"]
    api_client_for(cast.rdp).post(f"/api/enhanced-requests/{rid}/rdp-forwards/", {}, format="json")
    html = client_for(cast.staff).get(f"/enhanced-requests/{rid}/{step}/").content.decode()
    assert ">Support asked for</dt>" in html and "Extension days" in html
    assert ">Extra days</dt>" in html and "3 (up to 5" in html
    assert "What happens next" in html and says in html
