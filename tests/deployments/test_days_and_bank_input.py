"""Days and bank details from the probe: one bounded days parser (a huge
number is a 400 with a message, not decimal's DivisionImpossible; a list, an
object or null never clears the saved claim), and bank numbers in ASCII digits
only (Arabic-Indic digits passed \\d and reached the payment file)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deployments.delivery.models import BankDetails, Deployment, DeploymentSection
from deployments.delivery.sections import half_days
from tests.deployments.delivery_fixtures import make_cast

pytestmark = pytest.mark.django_db

HUGE = ["1e30", 1e30, "9" * 40, 10**40, "1E+999999999"]


def in_delivery(cast):
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    cast.deployment.refresh_from_db()
    return cast.deployment


def claim_url(cast):
    return f"/api/deployments/{cast.deployment.pk}/sections/claim/"


@pytest.mark.parametrize("value", HUGE)
def test_the_days_parser_refuses_a_huge_number_with_a_message(value):
    with pytest.raises(ValidationError, match="999 or fewer"):
        half_days(value)
    with pytest.raises(ValidationError, match="10 or fewer"):
        half_days(value, cap=Decimal(10))


@pytest.mark.parametrize("value", [[], {}, None, True, ["1"], {"days": 1}])
def test_the_days_parser_refuses_what_is_not_a_number(value):
    with pytest.raises(ValidationError, match="must be a number"):
        half_days(value)


def test_the_days_parser_still_takes_half_days_as_text_or_number():
    assert half_days("9.5") == Decimal("9.5")
    assert half_days(3) == Decimal(3)
    assert half_days(0.5) == Decimal("0.5")


@pytest.mark.parametrize("value", HUGE)
def test_a_huge_claim_is_a_400(api_client_for, value):
    cast = make_cast()
    in_delivery(cast)
    response = api_client_for(cast.leader).put(claim_url(cast), {"days": value}, format="json")
    assert response.status_code == 400
    assert "or fewer" in response.json()["days"][0]


@pytest.mark.parametrize("value", [[], {}, None])
def test_days_sent_as_a_list_an_object_or_null_is_a_400_and_keeps_the_claim(api_client_for, value):
    cast = make_cast()
    in_delivery(cast)
    api = api_client_for(cast.leader)
    assert api.put(claim_url(cast), {"days": "9.5"}, format="json").status_code == 200
    response = api.put(claim_url(cast), {"days": value}, format="json")
    assert response.status_code == 400
    assert "must be a number" in response.json()["days"][0]
    saved = DeploymentSection.objects.get(deployment=cast.deployment, key="claim")
    assert saved.data["days"] == "9.5"


def test_a_blank_days_box_on_the_html_form_still_clears_the_claim(client_for, api_client_for):
    cast = make_cast()
    in_delivery(cast)
    assert (
        api_client_for(cast.leader).put(claim_url(cast), {"days": "9.5"}, format="json").status_code
        == 200
    )
    client_for(cast.leader).post(f"/deployments/{cast.deployment.pk}/sections/claim/", {"days": ""})
    saved = DeploymentSection.objects.get(deployment=cast.deployment, key="claim")
    assert saved.data["days"] is None


def test_a_huge_claim_on_the_html_form_is_a_form_error(client_for):
    cast = make_cast()
    in_delivery(cast)
    response = client_for(cast.leader).post(
        f"/deployments/{cast.deployment.pk}/sections/claim/", {"days": "1e30"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "or fewer" in response.content.decode()


@pytest.mark.parametrize("value", ["1e30", 1e30, "9" * 40])
def test_a_huge_activity_is_a_400(api_client_for, value):
    cast = make_cast()
    body = {"date": dt.date.today().isoformat(), "days": value, "description": "Visit"}
    response = api_client_for(cast.leader).post(
        f"/api/deployments/{cast.deployment.pk}/activities/", body, format="json"
    )
    assert response.status_code == 400
    assert "or fewer" in response.json()["days"][0]


def test_a_huge_activity_on_the_html_form_is_a_form_error(client_for):
    cast = make_cast()
    response = client_for(cast.leader).post(
        f"/deployments/{cast.deployment.pk}/activities/",
        {"date": dt.date.today().isoformat(), "days": "1e30", "description": "Visit"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_huge_extension_request_is_a_400(api_client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    response = api_client_for(cast.leader).post(
        "/api/enhanced-requests/",
        {"deployment": cast.deployment.pk, "kind": "extension", "days": "1e30", "context": "c"},
        format="json",
    )
    assert response.status_code == 400
    assert "days" in response.json()


ARABIC_INDIC = "٦٠١٦١٣"  # 601613
EXTENDED = "۳۱۹۲۶۸۱۹"  # 31926819 in Persian digits


@pytest.mark.parametrize(
    "field,value",
    [
        ("sort_code", ARABIC_INDIC),
        ("account_number", EXTENDED),
        ("sort_code", "60\u200916\u200913"),  # thin spaces
        ("account_number", "3192681\U0001d7d7"),  # mathematical bold digit nine
        ("account_number", 31926819),
    ],
)
def test_bank_numbers_take_ascii_digits_only(api_client_for, field, value):
    cast = make_cast()
    response = api_client_for(cast.leader).put(
        f"/api/deployments/{cast.deployment.pk}/sections/bank_details/",
        {field: value},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not BankDetails.objects.filter(deployment=cast.deployment).exists()


def test_bank_numbers_written_with_spaces_or_dashes_are_accepted(api_client_for):
    cast = make_cast()
    response = api_client_for(cast.leader).put(
        f"/api/deployments/{cast.deployment.pk}/sections/bank_details/",
        {"account_name": "Ada", "sort_code": "60-16 13", "account_number": "3192 6819"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["sort_code_masked"].endswith("13")
