"""Regions Group records that the LA or diocese was asked to confirm
participation (guidance section 9): not a transition, any open state, 200 with
the case showing `la_contacted_on`, a timeline event; the same rule on the
case page. Who may is in test_support_case_permissions.py."""

import datetime as dt
import re

import pytest

from deployments.matching import services
from deployments.models import SupportCase

S = SupportCase.State
TODAY = dt.date.today()


def url(case):
    return f"/api/support-cases/{case.pk}/la-contacted/"


@pytest.mark.parametrize("state", SupportCase.OPEN_STATES)
def test_any_open_state_records_it_without_changing_state_or_deadline(world, api_client_for, state):
    case = world.case(state)
    due_on = case.due_on
    r = api_client_for(world.regions_staff_in).post(
        url(case), {"contacted": "local_authority", "note": "Emailed the LA"}, format="json"
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == state and body["due_on"] == (due_on.isoformat() if due_on else None)
    assert body["la_contacted"] == "local_authority"
    assert body["la_contacted_on"] == TODAY.isoformat()
    event = body["timeline"][-1]
    assert (event["name"], event["note"]) == (
        "la_contacted",
        "The local authority: Emailed the LA",
    )


@pytest.mark.parametrize("state", [S.WITHDRAWN, S.DECLINED, S.DEPLOYMENT_ISSUED])
def test_a_closed_case_answers_409_in_the_api_and_the_page(
    world, api_client_for, client_for, state
):
    case = world.case(state)
    r = api_client_for(world.regions_staff_in).post(url(case), {"contacted": "both"}, format="json")
    assert r.status_code == 409 and r.json()["state"] == state
    page = client_for(world.regions_staff_in).post(
        f"/cases/{case.pk}/la-contacted/", {"contacted": "both"}
    )
    assert page.status_code == 409
    case.refresh_from_db()
    assert case.la_contacted_on is None


@pytest.mark.parametrize("body", [{}, {"contacted": "parish_council"}, {"contacted": None}])
def test_a_missing_or_unknown_contacted_answers_400(world, api_client_for, body):
    case = world.case(S.IDENTIFIED)
    r = api_client_for(world.regions_staff_in).post(url(case), body, format="json")
    assert r.status_code == 400 and "contacted" in r.json()


def test_the_service_refuses_an_unknown_contacted(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.support_case_la_contacted(
            world.case(S.IDENTIFIED), user=world.regions_staff_in, contacted="mayor"
        )
    assert "contacted" in exc.value.message_dict


def test_the_case_page_offers_the_button_to_regions_staff_and_records_it(world, client_for):
    case = world.case(S.WITH_RDP)
    button = "Record that the LA or diocese was contacted"
    staff = client_for(world.regions_staff_in)
    page = staff.get(f"/cases/{case.pk}/").content.decode()
    assert button in page and "Not yet" in page
    form = staff.get(f"/cases/{case.pk}/la-contacted/").content.decode()
    assert 'type="radio"' in form and 'value="diocese"' in form
    missing = staff.post(f"/cases/{case.pk}/la-contacted/", {"note": "x"})
    assert missing.status_code == 200
    assert "govuk-error-summary" in missing.content.decode()
    assert "Select who you contacted" in missing.content.decode()
    done = staff.post(f"/cases/{case.pk}/la-contacted/", {"contacted": "diocese", "note": ""})
    assert done.status_code == 302
    page = staff.get(f"/cases/{case.pk}/").content.decode()
    assert f"The diocese, on {TODAY:%-d %B %Y}" in page
    assert "LA or diocese asked to confirm participation" in page
    rdp_page = client_for(world.rdp_in).get(f"/cases/{case.pk}/").content.decode()
    assert button not in rdp_page


def test_a_closed_case_page_offers_no_button(world, client_for):
    case = world.case(S.WITHDRAWN)
    page = client_for(world.regions_staff_in).get(f"/cases/{case.pk}/").content.decode()
    assert "Record that the LA or diocese was contacted" not in page


def test_the_openapi_schema_documents_la_contacted(api_client_for, world):
    schema = api_client_for(world.regions_staff_in).get("/api/schema/?format=json")
    if schema.status_code != 200:
        pytest.skip("schema served elsewhere")
    paths = {re.sub(r"\{[^}]*\}", "{}", p) for p in schema.json()["paths"]}
    assert "/api/support-cases/{}/la-contacted/" in paths
