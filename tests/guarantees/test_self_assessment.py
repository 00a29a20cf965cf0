"""Yearly self-assessment: the school's contact rates the entitlements for its
phase, names the link governor and submits; readers and refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guarantees import services
from guarantees.choices import Rating
from guarantees.models import SelfAssessment
from guarantees.selectors import guarantee_gaps_for_school, self_assessment_summary
from portal.models import Role
from tests.guarantees.factories import active_deployment_at
from tests.schools.factories import SchoolFactory


def _rate_all(assessment, rating=Rating.MET, evidence="Policy reviewed in March."):
    return {r.entitlement_id: (rating, evidence) for r in assessment.ratings.all()}


@pytest.mark.django_db
def test_the_draft_holds_only_the_entitlements_for_the_schools_phase(contact, nw_school):
    assessment = services.self_assessment_start(school=nw_school, year=2026, user=contact)
    texts = [r.entitlement.text for r in assessment.ratings.select_related("entitlement")]
    assert any("aged seven to eleven" in t for t in texts)
    assert not any("Personal Tutor who knows them" in t for t in texts)
    again = services.self_assessment_start(school=nw_school, year=2026, user=contact)
    assert again.pk == assessment.pk


@pytest.mark.django_db
def test_submitting_needs_every_rating_evidence_and_the_link_governor(contact, nw_school):
    assessment = services.self_assessment_start(school=nw_school, year=2026, user=contact)
    rows = list(assessment.ratings.all())
    ratings = _rate_all(assessment)
    ratings[rows[0].entitlement_id] = ("", "")
    ratings[rows[1].entitlement_id] = (Rating.NOT_MET, "")
    ratings[rows[2].entitlement_id] = (Rating.NOT_APPLICABLE, "")
    services.self_assessment_save(assessment=assessment, user=contact, ratings=ratings)
    with pytest.raises(ValidationError) as error:
        services.self_assessment_submit(assessment=assessment, user=contact)
    errors = error.value.message_dict
    assert errors[f"rating_{rows[0].entitlement_id}"] == [
        services.RATING_MISSING.format(reference=rows[0].entitlement.reference)
    ]
    assert errors[f"evidence_{rows[1].entitlement_id}"] == [
        services.EVIDENCE_MISSING.format(reference=rows[1].entitlement.reference)
    ]
    assert f"evidence_{rows[2].entitlement_id}" not in errors
    assert errors["link_governor_name"] == [services.LINK_GOVERNOR_MISSING]
    assessment.refresh_from_db()
    assert assessment.state == SelfAssessment.State.DRAFT


@pytest.mark.django_db
def test_a_submitted_self_assessment_is_final_and_summarised(contact, nw_school):
    assessment = services.self_assessment_start(school=nw_school, year=2026, user=contact)
    ratings = _rate_all(assessment)
    pupil_a = [r for r in assessment.ratings.select_related("entitlement__ambition__guarantee")
               if r.entitlement.reference.startswith("Pupil a")]  # fmt: skip
    ratings[pupil_a[0].entitlement_id] = (Rating.NOT_MET, "No anti-bullying policy yet.")
    ratings[pupil_a[1].entitlement_id] = (Rating.PARTLY_MET, "Draft policy.")
    ratings[pupil_a[2].entitlement_id] = (Rating.NOT_APPLICABLE, "")
    services.self_assessment_save(
        assessment=assessment, user=contact, ratings=ratings, link_governor_name="Gita Governor"
    )
    submitted = services.self_assessment_submit(assessment=assessment, user=contact)
    assert submitted.state == SelfAssessment.State.SUBMITTED and submitted.submitted_by == contact
    with pytest.raises(ValidationError, match="no longer be changed"):
        services.self_assessment_save(assessment=submitted, user=contact, ratings=ratings)
    row = next(r for r in self_assessment_summary(submitted) if r["letter"] == "a"
               and r["guarantee"] == "Pupil Guarantee")  # fmt: skip
    applicable = len(pupil_a) - 1
    assert row["applicable"] == applicable
    assert row["percent_met"] == round(100 * (applicable - 2) / applicable)
    gaps = guarantee_gaps_for_school(nw_school, 2026)
    assert [g["rating"] for g in gaps] == [Rating.NOT_MET, Rating.PARTLY_MET]
    assert gaps[0]["focus_area"] == "behaviour"


@pytest.mark.django_db
def test_only_the_schools_own_contact_may_fill_it_in(make_user, nw_school, nw_staff, admin_user):
    other = make_user(Role.SCHOOL_CONTACT, school=SchoolFactory())
    for user in (other, nw_staff, admin_user):
        with pytest.raises(PermissionDenied):
            services.self_assessment_start(school=nw_school, year=2026, user=user)


@pytest.mark.django_db
def test_the_contact_of_the_schools_trust_fills_it_in_and_another_trusts_may_not(
    trust_contact, other_trust_contact, nw_school
):
    assessment = services.self_assessment_start(school=nw_school, year=2026, user=trust_contact)
    assert assessment.school == nw_school
    with pytest.raises(PermissionDenied):
        services.self_assessment_start(school=nw_school, year=2026, user=other_trust_contact)


@pytest.mark.django_db
def test_a_rating_that_is_not_a_choice_saves_nothing(contact, nw_school):
    assessment = services.self_assessment_start(school=nw_school, year=2026, user=contact)
    first = assessment.ratings.first()
    with pytest.raises(ValidationError):
        services.self_assessment_save(
            assessment=assessment,
            user=contact,
            ratings={first.entitlement_id: ("brilliant", "x")},
            link_governor_name="Gita",
        )
    first.refresh_from_db()
    assert first.rating == ""


@pytest.mark.django_db
def test_the_page_lets_the_contact_start_save_and_submit(client_for, contact, nw_school):
    client = client_for(contact)
    url = f"/guarantees/schools/{nw_school.urn}/self-assessment/2026/"
    assert "Start the 2026/27 self-assessment" in client.get(url).content.decode()
    client.post(url, {"action": "start"})
    assessment = SelfAssessment.objects.get(school=nw_school, year=2026)
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    data = {"action": "submit", "link_governor_name": "Gita Governor"}
    for row in assessment.ratings.all():
        data[f"rating_{row.entitlement_id}"] = Rating.MET
        data[f"evidence_{row.entitlement_id}"] = "Seen in the governors' minutes."
    response = client.post(url, data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == SelfAssessment.State.SUBMITTED
    school_page = client.get(f"/schools/{nw_school.urn}/").content.decode()
    assert "Pupil and Parent Guarantees" in school_page
    assert 'data-percent-met="a">100%' in school_page


@pytest.mark.parametrize(
    "who, status, api_status",
    [
        ("contact", 200, 200),
        ("trust_contact", 200, 200),
        ("other_trust_contact", 403, 404),
        ("nw_staff", 200, 200),
        ("london_staff", 403, 404),
        ("admin_user", 200, 200),
        ("leader_with_deployment", 200, 200),
        ("leader_without", 403, 404),
        ("rdp", 403, 403),
        ("other_contact", 403, 404),
    ],
)
@pytest.mark.django_db
def test_who_may_read_a_self_assessment_page_and_api(
    who, status, api_status, request, client_for, api_client_for, make_user, nw_school, contact
):
    assessment = services.self_assessment_start(school=nw_school, year=2026, user=contact)
    if who == "leader_with_deployment":
        user = make_user(Role.SYSTEM_LEADER)
        active_deployment_at(nw_school, user)
    elif who == "leader_without":
        user = make_user(Role.SYSTEM_LEADER)
        active_deployment_at(nw_school, user, state="closed")
    elif who == "other_contact":
        user = make_user(Role.SCHOOL_CONTACT, school=SchoolFactory())
    else:
        user = request.getfixturevalue(who)
    page = client_for(user).get(f"/guarantees/schools/{nw_school.urn}/self-assessment/2026/")
    assert page.status_code == status
    api = api_client_for(user).get(f"/api/self-assessments/{assessment.pk}/")
    assert api.status_code == api_status


@pytest.mark.django_db
def test_the_api_saves_and_submits_for_the_contact_only(
    api_client_for, contact, nw_school, nw_staff
):
    body = {"link_governor_name": "Gita Governor", "ratings": [], "submit": False}
    url = f"/api/self-assessments/{nw_school.urn}/2026/"
    assert api_client_for(nw_staff).put(url, body, format="json").status_code == 403
    response = api_client_for(contact).put(url, body, format="json")
    assert response.status_code == 200
    ratings = [
        {"entitlement": r["entitlement"], "rating": "met", "evidence": "Seen."}
        for r in response.json()["ratings"]
    ]
    bad = api_client_for(contact).put(url, {**body, "submit": True}, format="json")
    assert bad.status_code == 400
    done = api_client_for(contact).put(
        url, {**body, "ratings": ratings, "submit": True}, format="json"
    )
    assert done.status_code == 200 and done.json()["state"] == "submitted"


@pytest.mark.django_db
def test_the_gaps_show_in_the_deployment_forms_scope_for_its_system_leader_only(
    contact, nw_school, make_user, api_client_for
):
    assessment = services.self_assessment_start(school=nw_school, year=2026, user=contact)
    ratings = _rate_all(assessment)
    gap = next(r for r in assessment.ratings.select_related("entitlement")
               if r.entitlement.reference.startswith("Pupil a"))  # fmt: skip
    ratings[gap.entitlement_id] = (Rating.NOT_MET, "No anti-bullying policy yet.")
    services.self_assessment_save(
        assessment=assessment, user=contact, ratings=ratings, link_governor_name="Gita Governor"
    )
    services.self_assessment_submit(assessment=assessment, user=contact)
    leader = make_user(Role.SYSTEM_LEADER)
    deployment = active_deployment_at(nw_school, leader)
    url = f"/api/deployments/{deployment.pk}/sections/scope/"

    gaps = api_client_for(leader).get(url).json()["guarantee_gaps"]

    assert [(g["reference"], g["rating"], g["focus_area"]) for g in gaps] == [
        (gap.entitlement.reference, Rating.NOT_MET, "behaviour")
    ]
    assert "No anti-bullying" not in str(gaps)  # the school's evidence stays with the school
    rdp = make_user(Role.RDP, regions=[nw_school.region])
    assert api_client_for(rdp).get(url).json().get("guarantee_gaps") == []
