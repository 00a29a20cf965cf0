"""The Django admin writes through the services: users keep the role rules, and
records a service creates (RD assessments, exception requests, eligibility rows)
are read-only there."""

import pytest
from django.core.exceptions import ValidationError

from portal.models import Role, User
from portal.services import (
    REGIONAL_DIRECTOR_ONE_REGION,
    REGIONAL_ROLE_NEEDS_REGION,
    ROLE_HAS_NO_SCHOOL,
    user_create,
    user_update,
)
from tests.deployments.factories import (
    ExceptionRequestFactory,
    RegionalDirectorAssessmentFactory,
)
from tests.schools.factories import SchoolFactory


def _add_user(client, **fields):
    data = {"email": "new@example.gov.uk", "full_name": "New Person", "role": "", "is_staff": ""}
    data.update(fields)
    return client.post("/admin/portal/user/add/", data)


def test_the_admin_cannot_add_a_regional_director_with_two_regions(
    client_for, admin_user, north_west, london
):
    response = _add_user(
        client_for(admin_user),
        role=Role.REGIONAL_DIRECTOR,
        regions=[north_west.pk, london.pk],
    )
    assert response.status_code == 200
    assert REGIONAL_DIRECTOR_ONE_REGION in response.content.decode()
    assert not User.objects.filter(email="new@example.gov.uk").exists()


def test_the_admin_adds_a_user_through_the_service(client_for, admin_user, north_west):
    response = _add_user(
        client_for(admin_user), role=Role.REGIONAL_DIRECTOR, regions=[north_west.pk]
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.gov.uk")
    assert user.region_ids == {north_west.pk}
    assert not user.has_usable_password()  # they set one through the reset link


def test_the_admin_cannot_change_a_user_into_a_contact_without_a_school(
    client_for, admin_user, rdp
):
    url = f"/admin/portal/user/{rdp.pk}/change/"
    response = client_for(admin_user).post(
        url, {"full_name": rdp.full_name, "role": Role.SCHOOL_CONTACT, "is_active": "on"}
    )
    assert response.status_code == 200
    rdp.refresh_from_db()
    assert rdp.role == Role.RDP


@pytest.mark.parametrize(
    "model", ["regionaldirectorassessment", "exceptionrequest", "eligibilityassessment"]
)
def test_records_a_service_creates_cannot_be_added_in_the_admin(client_for, admin_user, model):
    assert client_for(admin_user).get(f"/admin/deployments/{model}/add/").status_code == 403


def test_an_rd_assessment_cannot_be_changed_in_the_admin(client_for, admin_user):
    assessment = RegionalDirectorAssessmentFactory()
    client = client_for(admin_user)
    url = f"/admin/deployments/regionaldirectorassessment/{assessment.pk}/change/"
    assert client.get(url).status_code == 200  # shown read-only
    client.post(url, {"reason": "Rewritten."})
    assessment.refresh_from_db()
    assert assessment.reason != "Rewritten."


def test_an_exception_request_cannot_be_approved_in_the_admin(client_for, admin_user):
    exception_request = ExceptionRequestFactory()
    url = f"/admin/deployments/exceptionrequest/{exception_request.pk}/change/"
    client_for(admin_user).post(url, {"status": "approved"})
    exception_request.refresh_from_db()
    assert exception_request.is_pending


# ---------------------------------------------------------------- the user services


@pytest.mark.parametrize("role", [Role.REGIONS_STAFF, Role.RDP])
def test_regional_roles_cover_at_least_one_region(db, role):
    with pytest.raises(ValidationError, match=REGIONAL_ROLE_NEEDS_REGION):
        user_create(email="x@example.org", full_name="X", role=role)


def test_only_contacts_are_linked_to_a_school(db):
    with pytest.raises(ValidationError, match=ROLE_HAS_NO_SCHOOL):
        user_create(email="x@example.org", full_name="X", role=Role.FINANCE, school=SchoolFactory())


def test_admin_role_may_use_the_django_admin(db):
    admin = user_create(email="a@example.gov.uk", full_name="A", role=Role.ADMIN)
    assert admin.is_staff and admin.has_perm("portal.use_admin")
    finance = user_create(email="f@example.gov.uk", full_name="F", role=Role.FINANCE)
    assert not finance.is_staff


def test_user_update_keeps_the_role_rules_and_refreshes_the_scope(north_west, london):
    user = user_create(
        email="rd@example.gov.uk", full_name="R", role=Role.REGIONAL_DIRECTOR, regions=[london]
    )
    assert user.region_ids == {london.pk}
    with pytest.raises(ValidationError, match=REGIONAL_DIRECTOR_ONE_REGION):
        user_update(user, by=None, full_name="R", role=Role.REGIONAL_DIRECTOR, regions=[])
    user = user_update(
        user, by=None, full_name="R", role=Role.REGIONAL_DIRECTOR, regions=[north_west]
    )
    assert user.region_ids == {north_west.pk}
