import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deployments.demo import seed_offers
from deployments.models import SlaStep, SupportOffer
from tests.deployments.factories import SupportOfferFactory


@pytest.mark.django_db
def test_seed_creates_the_2023_24_offer_as_the_guidance_states_and_is_idempotent():
    first = seed_offers()
    second = seed_offers()

    offer = SupportOffer.objects.get()
    assert first == second == {"support offers": 1, "eligible schools and trusts": 0}
    assert (offer.academic_year, offer.starts_on, offer.ends_on) == (
        "2023/24",
        dt.date(2023, 9, 1),
        dt.date(2024, 8, 31),
    )
    assert offer.core_days == 10
    assert offer.day_rate == Decimal("600.00")
    assert offer.core_fee == Decimal("6000.00")
    assert (offer.max_extension_days, offer.extension_window_weeks) == (5, 12)
    assert offer.partnership_grant == Decimal("10000.00")
    assert offer.instalment_amount == Decimal("5000.00")
    assert offer.partnership_months == 12
    assert offer.sla_days(SlaStep.DFE_EXTENSION_DECISION) == 5
    assert offer.rule_set == "tsi-2023-24"


@pytest.mark.django_db
def test_offer_rejects_a_year_that_is_not_september_to_august():
    offer = SupportOfferFactory.build(starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2023, 12, 31))
    with pytest.raises(ValidationError) as exc:
        offer.full_clean()
    assert "starts_on" in exc.value.message_dict


@pytest.mark.django_db
def test_offer_rejects_unknown_sla_steps_and_unknown_rule_sets():
    offer = SupportOfferFactory.build(sla_working_days={"tea_break": 1}, rule_set="tsi-1999")
    with pytest.raises(ValidationError) as exc:
        offer.full_clean()
    assert {"sla_working_days", "rule_set"} <= set(exc.value.message_dict)


@pytest.mark.django_db
def test_admin_can_edit_the_offer(client_for, admin_user):
    offer = SupportOfferFactory()
    response = client_for(admin_user).get(f"/admin/deployments/supportoffer/{offer.pk}/change/")
    assert response.status_code == 200
    assert b"day_rate" in response.content
