"""GET/POST /api/complaints/ and the transitions over REST: school contacts
(their school) and Regions Group staff (their regions) only; 404, 403, 409, 400."""

import pytest

from guarantees.choices import ComplaintState
from guarantees.models import Complaint, Entitlement
from portal.models import Role
from tests.guarantees.factories import (
    ComplaintFactory,
    GoverningBodyComplaintFactory,
    SchoolStageExhaustedComplaintFactory,
)
from tests.schools.factories import SchoolFactory

CONTRACT_FIELDS = {"reference", "school_urn", "entitlements", "state", "allowed_transitions",
                   "timeline", "due_on"}  # fmt: skip


def _user(kind, request, make_user):
    if kind == "other_contact":
        return make_user(Role.SCHOOL_CONTACT, school=SchoolFactory())
    if kind in ("rdp", "regional_director", "system_leader", "finance_user"):
        return request.getfixturevalue(kind)
    if kind == "admin":
        return make_user(Role.ADMIN)
    return request.getfixturevalue(kind)


@pytest.mark.parametrize(
    "kind, list_status, sees, detail_status",
    [
        ("contact", 200, 1, 200),
        ("trust_contact", 200, 1, 200),
        ("other_trust_contact", 200, 0, 404),
        ("nw_staff", 200, 1, 200),
        ("london_staff", 200, 0, 404),
        ("other_contact", 200, 0, 404),
        ("rdp", 403, None, 403),
        ("regional_director", 403, None, 403),
        ("system_leader", 403, None, 403),
        ("finance_user", 403, None, 403),
        ("admin", 403, None, 403),
    ],
)
@pytest.mark.django_db
def test_who_sees_complaints_in_the_api(
    kind, list_status, sees, detail_status, request, make_user, api_client_for, nw_school
):
    complaint = ComplaintFactory(school=nw_school)
    api = api_client_for(_user(kind, request, make_user))
    response = api.get("/api/complaints/")
    assert response.status_code == list_status
    if sees is not None:
        assert len(response.json()["results"]) == sees
    assert api.get(f"/api/complaints/{complaint.pk}/").status_code == detail_status


@pytest.mark.django_db
def test_the_complaint_has_the_contracts_fields(api_client_for, contact, nw_school):
    complaint = ComplaintFactory(school=nw_school)
    body = api_client_for(contact).get(f"/api/complaints/{complaint.pk}/").json()
    assert CONTRACT_FIELDS <= set(body)
    assert body["school_urn"] == nw_school.urn and body["state"] == "received"
    assert body["allowed_transitions"] == ["acknowledge", "withdraw"]
    assert body["complainant_email"] == complaint.complainant_email


@pytest.mark.django_db
def test_a_school_contact_records_a_paper_complaint(
    api_client_for, contact, nw_school, london_school
):
    tuition = Entitlement.objects.get(text__contains="aged seven to eleven")
    body = {
        "school_urn": nw_school.urn,
        "entitlements": [tuition.pk],
        "description": "Letter from a parent about tuition.",
        "relationship": "parent",
        "name": "Pat Parent",
    }
    api = api_client_for(contact)
    response = api.post("/api/complaints/", body, format="json")
    assert response.status_code == 201
    assert response.json()["state"] == "received" and response.json()["channel"] == "paper"
    assert response.json()["reference"].startswith("PG-")
    other = api.post("/api/complaints/", {**body, "school_urn": london_school.urn}, format="json")
    assert other.status_code == 400 and "school_urn" in other.json()
    empty = api.post("/api/complaints/", {**body, "entitlements": []}, format="json")
    assert empty.status_code == 400 and "entitlements" in empty.json()
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_transitions_answer_404_403_409_then_400_in_that_order(
    api_client_for, contact, nw_staff, london_staff, nw_school
):
    early = GoverningBodyComplaintFactory(school=nw_school)
    url = f"/api/complaints/{early.pk}/refer-to-ombudsman/"
    assert api_client_for(london_staff).post(url, {}, format="json").status_code == 404
    assert api_client_for(contact).post(url, {}, format="json").status_code == 403
    conflict = api_client_for(nw_staff).post(url, {}, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["state"] == "governing_body_review"
    assert "only after the school stage" in conflict.json()["detail"]
    vexatious = f"/api/complaints/{early.pk}/mark-vexatious/"
    missing = api_client_for(contact).post(vexatious, {"reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    ok = api_client_for(contact).post(vexatious, {"reason": "Repeated"}, format="json")
    assert ok.status_code == 200 and ok.json()["vexatious"] is True


@pytest.mark.django_db
def test_regions_staff_record_the_ombudsman_stages_over_the_api(
    api_client_for, nw_staff, nw_school
):
    complaint = SchoolStageExhaustedComplaintFactory(school=nw_school)
    api = api_client_for(nw_staff)
    base = f"/api/complaints/{complaint.pk}"
    refer = api.post(f"{base}/refer-to-ombudsman/", {"ombudsman_reference": "LGO-9"}, format="json")
    assert refer.status_code == 200 and refer.json()["state"] == "with_ombudsman"
    assert refer.json()["timeline"][-1]["name"] == "refer_to_ombudsman"
    bad = api.post(f"{base}/ombudsman-recommends/", {"outcome": "brilliant"}, format="json")
    assert bad.status_code == 400
    rec = api.post(
        f"{base}/ombudsman-recommends/",
        {"outcome": "upheld", "recommendation": "Provide tuition"},
        format="json",
    )
    assert rec.json()["state"] == "ombudsman_recommendation"
    sos = api.post(f"{base}/secretary-of-state-directs/", {"direction": "Comply"}, format="json")
    assert sos.json()["state"] == "secretary_of_state_direction"
    done = api.post(f"{base}/school-complies/", {}, format="json")
    assert done.json()["state"] == ComplaintState.CLOSED
    assert done.json()["allowed_transitions"] == []


@pytest.mark.django_db
def test_the_complaint_list_filters_by_state_school_and_overdue(
    api_client_for, nw_staff, nw_school
):
    import datetime as dt

    late = ComplaintFactory(school=nw_school, due_on=dt.date(2020, 1, 6))
    GoverningBodyComplaintFactory(school=nw_school, due_on=dt.date(2099, 1, 5))
    api = api_client_for(nw_staff)

    def refs(params):
        return [r["reference"] for r in api.get("/api/complaints/", params).json()["results"]]

    assert refs({"overdue": "true"}) == [late.reference]
    assert len(refs({"state": "governing_body_review"})) == 1
    assert len(refs({"school_urn": nw_school.urn})) == 2
    assert api.get("/api/complaints/", {"state": "lost"}).status_code == 400


@pytest.mark.django_db
def test_the_complaint_page_reads_the_api_filters(client_for, nw_staff, nw_school):
    """One FilterSet: the page takes the API's `overdue` and `school_urn` too, and
    ignores a state that is no state."""
    import datetime as dt

    late = ComplaintFactory(school=nw_school, due_on=dt.date(2020, 1, 6))
    calm = GoverningBodyComplaintFactory(school=nw_school, due_on=dt.date(2099, 1, 5))
    page = client_for(nw_staff)

    def listed(query):
        return {c.pk for c in page.get(f"/guarantees/complaints/?{query}").context["complaints"]}

    assert listed("overdue=true") == {late.pk}
    assert listed("overdue=false") == {calm.pk}
    assert listed("state=governing_body_review") == {calm.pk}
    assert listed("school_urn=999999") == set()
    assert listed("state=lost") == {late.pk, calm.pk}
