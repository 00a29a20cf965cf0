"""Section 2 for a school in a multi-academy trust records the FAQ's decision,
agreed with the trust leadership: trust-level or school-level support, and
whether the trust's MAT assurance framework self-assessment was discussed.
Asked and required for a school in a MAT only; absent for any other school."""

from io import BytesIO

import openpyxl
import pytest

from deployments.delivery.sections import section_data
from deployments.delivery.services import deployment_section_save
from schools.models import Trust
from tests.deployments.delivery_fixtures import SECTION_VALUES, make_cast
from tests.schools.factories import TrustFactory

pytestmark = pytest.mark.django_db
MAT_FIELDS = ("support_level", "mat_assurance_self_assessment_done")


def in_trust(cast, kind=Trust.Kind.MULTI_ACADEMY):
    school = cast.deployment.school
    school.trust = TrustFactory(kind=kind)
    school.save()
    return cast


def scope_url(cast):
    return f"/api/deployments/{cast.deployment.pk}/sections/scope/"


def put(api, cast, values):
    return api.put(scope_url(cast), values, format="json")


def test_a_mat_schools_scope_needs_the_support_level_and_the_self_assessment(api_client_for):
    cast = in_trust(make_cast())
    api = api_client_for(cast.leader)
    body = put(api, cast, SECTION_VALUES["scope"]).json()
    assert body["status"] == "in_progress"
    assert body["missing"] == ["through_trust_ceo_confirmed", *MAT_FIELDS]
    assert body["support_level"] is None and body["mat_assurance_self_assessment_done"] is None
    body = put(
        api,
        cast,
        {
            "through_trust_ceo_confirmed": True,
            "support_level": "trust",
            "mat_assurance_self_assessment_done": False,
        },
    ).json()
    assert body["status"] == "completed" and body["missing"] == []
    assert body["support_level"] == "trust" and body["mat_assurance_self_assessment_done"] is False


def test_school_level_support_needs_the_self_assessment_discussed_first(api_client_for):
    cast = in_trust(make_cast())
    api = api_client_for(cast.leader)
    values = {**SECTION_VALUES["scope"], "through_trust_ceo_confirmed": True}
    values |= {"support_level": "school", "mat_assurance_self_assessment_done": False}
    body = put(api, cast, values).json()
    assert body["missing"] == ["mat_assurance_self_assessment_done"]
    assert body["status"] == "in_progress"
    body = put(api, cast, {"mat_assurance_self_assessment_done": True}).json()
    assert body["status"] == "completed"


def test_a_wrong_support_level_is_a_400_and_saves_nothing(api_client_for):
    cast = in_trust(make_cast())
    response = put(
        api_client_for(cast.leader), cast, {"support_level": "both", "additional_details": "x"}
    )
    assert response.status_code == 400 and "support_level" in response.json()
    body = api_client_for(cast.leader).get(scope_url(cast)).json()
    assert body["additional_details"] is None


@pytest.mark.parametrize("kind", [None, Trust.Kind.SINGLE_ACADEMY])
def test_other_schools_are_not_asked_and_complete_without_them(api_client_for, kind):
    cast = make_cast() if kind is None else in_trust(make_cast(), kind)
    api = api_client_for(cast.leader)
    body = put(api, cast, SECTION_VALUES["scope"]).json()
    assert body["status"] == "completed"
    assert not set(MAT_FIELDS) & set(body)
    refused = put(api, cast, {"support_level": "trust"})
    assert refused.status_code == 400
    assert refused.json()["support_level"] == ["Only asked for a school in a multi-academy trust."]


def test_the_html_form_asks_with_radios_and_hints_only_for_a_mat_school(client_for):
    mat = in_trust(make_cast())
    url = f"/deployments/{mat.deployment.pk}/sections/scope/"
    html = client_for(mat.leader).get(url).content.decode()
    assert "Level of support agreed with the trust leadership" in html
    assert 'class="govuk-radios__input"' in html and "govuk-radios__hint" in html
    assert "Trust-level support" in html and "School-level support" in html
    assert "The trust has a sound trust-wide improvement strategy" in html
    assert "MAT assurance framework self-assessment" in html
    response = client_for(mat.leader).post(
        url, {"support_level": "school", "mat_assurance_self_assessment_done": "true"}
    )
    assert response.status_code == 302
    saved = section_data(mat.deployment, "scope")
    assert saved["support_level"] == "school"
    assert saved["mat_assurance_self_assessment_done"] is True

    other = make_cast()
    html = (
        client_for(other.leader)
        .get(f"/deployments/{other.deployment.pk}/sections/scope/")
        .content.decode()
    )
    assert "Level of support" not in html and "MAT assurance" not in html


def test_the_summary_print_and_export_show_the_decision_by_its_label(client_for):
    cast = in_trust(make_cast())
    deployment_section_save(
        cast.deployment,
        "scope",
        user=cast.leader,
        data={"support_level": "school", "mat_assurance_self_assessment_done": True},
    )
    rdp = client_for(cast.rdp)  # reads the section: the summary, not the form
    section = rdp.get(f"/deployments/{cast.deployment.pk}/sections/scope/").content.decode()
    assert "govuk-summary-list" in section and "School-level support" in section
    printed = rdp.get(f"/deployments/{cast.deployment.pk}/print/").content.decode()
    assert "School-level support" in printed
    response = rdp.get(f"/deployments/{cast.deployment.pk}/export.xlsx")
    book = openpyxl.load_workbook(BytesIO(response.content))
    scope = {row[0]: row[1] for row in book["2 Scope and diagnostics"].iter_rows(values_only=True)}
    assert scope["support_level"] == "School-level support"
    assert scope["mat_assurance_self_assessment_done"] == "Yes"


def test_a_school_outside_a_mat_has_no_such_rows(client_for):
    cast = make_cast()
    page = client_for(cast.rdp).get(f"/deployments/{cast.deployment.pk}/print/").content.decode()
    assert "Level of support" not in page


MAT_DECISION = {"support_level": "trust", "mat_assurance_self_assessment_done": True}
# Who records the decision: the system leader only; the trust's office (which
# acts for the school) reads it, as do the RDP, Regions Group staff and Admin.
WRITER_MATRIX = [
    ("leader", 200),
    ("trust_contact", 403),
    ("other_trust_contact", 404),
    ("rdp", 403),
    ("staff", 403),
    ("admin", 403),
]


@pytest.mark.parametrize(("role", "expected"), WRITER_MATRIX)
def test_only_the_leader_records_the_mat_decision_api_and_html(
    api_client_for, client_for, role, expected
):
    from portal.models import Role
    from tests.portal.factories import TrustContactFactory, UserFactory

    cast = in_trust(make_cast())
    trust = cast.deployment.school.trust
    people = {
        "leader": cast.leader,
        "trust_contact": TrustContactFactory(trust=trust),
        "other_trust_contact": TrustContactFactory(),
        "rdp": cast.rdp,
        "staff": cast.staff,
        "admin": UserFactory(role=Role.ADMIN, is_staff=True),
    }
    user = people[role]
    assert put(api_client_for(user), cast, MAT_DECISION).status_code == expected
    url = f"/deployments/{cast.deployment.pk}/sections/scope/"
    page = client_for(user).get(url)
    assert page.status_code == (404 if expected == 404 else 200)
    if expected != 404:
        html = page.content.decode()
        assert ('name="support_level"' in html) == (expected == 200)
        assert "Level of support agreed with the trust leadership" in html
