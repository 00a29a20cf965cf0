"""The system leader's profile picks trusts by name (schools.forms.TrustField, the
register's accessible autocomplete): the trust a MAT CEO leads on the staff edit
page, and a trust with a conflict of interest on both the staff page and "My
profile". Without JavaScript the name or the group UID is posted as typed."""

import pytest
from django.urls import reverse

from tests.deployments.factories import SystemLeaderFactory
from tests.schools.factories import TrustFactory

pytestmark = pytest.mark.django_db
UNKNOWN = "No trust has this group UID or name. Pick the trust from the list"


@pytest.fixture
def nw_leader(north_west):
    return SystemLeaderFactory(regions=[north_west], user__full_name="Nora Northwest")


def staff_edit(client, leader, **changes):
    return client.post(
        reverse("deployments:leader-edit", args=[leader.pk]),
        {
            "kind": "mat_ceo",
            "school_urn": "",
            "regions": [r.pk for r in leader.regions.all()],
            "available": "yes",
            "max_concurrent_deployments": "2",
            "days_available": "10",
            **changes,
        },
    )


def my_profile(client, **changes):
    return client.post(
        reverse("deployments:my-profile"),
        {"available": "yes", "max_concurrent_deployments": "2", "days_available": "10", **changes},
    )


@pytest.mark.parametrize("typed", ["name", "label", "uid"])
def test_staff_pick_the_trust_a_mat_ceo_leads_by_name(typed, regions_staff, nw_leader, client_for):
    trust = TrustFactory(name="Northern Lights Learning Trust")
    value = {
        "name": "northern lights learning trust",  # no JavaScript: the name as typed
        "label": f"{trust.name} ({trust.uid})",  # the suggestion picked
        "uid": trust.uid,
    }[typed]
    response = staff_edit(client_for(regions_staff), nw_leader, trust_uid=value)
    assert response.status_code == 302
    nw_leader.refresh_from_db()
    assert nw_leader.kind == "mat_ceo" and nw_leader.trust == trust


def test_an_unknown_trust_is_an_error_on_its_field(regions_staff, nw_leader, client_for):
    before = nw_leader.trust
    response = staff_edit(client_for(regions_staff), nw_leader, trust_uid="No Such Trust Anywhere")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and UNKNOWN in html
    assert 'href="#id_trust_uid"' in html
    nw_leader.refresh_from_db()
    assert nw_leader.trust == before


def test_the_profile_pages_use_the_registers_autocomplete(regions_staff, nw_leader, client_for):
    trust = TrustFactory(name="Bright Futures Trust")
    nw_leader.kind, nw_leader.trust, nw_leader.school = "mat_ceo", trust, None
    nw_leader.save()
    edit = client_for(regions_staff).get(reverse("deployments:leader-edit", args=[nw_leader.pk]))
    html = edit.content.decode()
    assert 'data-module="portal-autocomplete"' in html and "portal/autocomplete.js" in html
    assert f'value="Bright Futures Trust ({trust.uid})"' in html  # shown by name
    assert "group UID)" not in html  # the label no longer asks for a UID
    own = client_for(nw_leader.user).get(reverse("deployments:my-profile")).content.decode()
    assert 'name="conflict_trust_add"' in own and "portal/autocomplete.js" in own


def test_a_leader_adds_a_conflict_trust_by_name(nw_leader, client_for):
    kept, added = TrustFactory(), TrustFactory(name="Riverside Academies")
    response = my_profile(
        client_for(nw_leader.user), conflict_trust_uids=kept.uid, conflict_trust_add="riverside"
    )
    assert response.status_code == 302
    assert set(nw_leader.conflict_trusts.all()) == {kept, added}


def test_an_unknown_conflict_trust_is_an_error_and_saves_nothing(nw_leader, client_for):
    response = my_profile(
        client_for(nw_leader.user), days_available="3", conflict_trust_add="Nowhere Trust"
    )
    assert response.status_code == 200 and UNKNOWN in response.content.decode()
    nw_leader.refresh_from_db()
    assert nw_leader.days_available != 3 and not nw_leader.conflict_trusts.exists()
