"""Every automatic check, raised and not raised."""

import datetime as dt

import pytest
from django.utils import timezone

from deployments.claims.services import claim_create_for_deployment
from tests.deployments.claim_fixtures import accepted_deployment
from tests.deployments.factories import SupportOfferFactory

pytestmark = pytest.mark.django_db


def codes(cast):
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    return {f["code"]: f["message"] for f in claim.flags}


def test_a_clean_claim_has_no_flags():
    assert codes(accepted_deployment()) == {}


def test_days_above_core_plus_approved_extension_are_flagged():
    flags = codes(accepted_deployment(days="12", extension="0"))
    assert "12 days claimed, more than the 10 agreed" in flags["days_above_cap"]


def test_days_within_an_approved_extension_are_not_flagged():
    assert "days_above_cap" not in codes(accepted_deployment(days="12", extension="2"))


def test_an_activity_log_that_differs_from_the_days_claimed_is_flagged():
    flags = codes(accepted_deployment(days="10", logged="8.5"))
    assert flags["activity_log_mismatch"] == "The activity log totals 8.5 days; 10 are claimed."


def test_an_empty_activity_log_is_flagged():
    assert "activity_log_mismatch" in codes(accepted_deployment(days="10", logged=None))


def test_an_activity_log_matching_the_claim_is_not_flagged():
    assert "activity_log_mismatch" not in codes(accepted_deployment(days="9.5", logged="9.5"))


def test_a_missing_school_confirmation_is_flagged():
    assert "school_confirmation_missing" in codes(accepted_deployment(confirmation=None))


def test_a_school_that_answered_no_is_flagged():
    flags = codes(accepted_deployment(confirmation=False))
    assert "school_did_not_confirm" in flags
    assert "school_confirmation_missing" not in flags


def test_a_school_that_answered_yes_is_not_flagged():
    flags = codes(accepted_deployment(confirmation=True))
    assert not {"school_did_not_confirm", "school_confirmation_missing"} & set(flags)


def test_bank_details_changed_within_the_offers_window_are_flagged():
    flags = codes(accepted_deployment(bank_changed_days_ago=13))
    assert "within 14 days of the claim" in flags["bank_details_recently_changed"]


def test_bank_details_changed_longer_ago_are_not_flagged():
    assert "bank_details_recently_changed" not in codes(
        accepted_deployment(bank_changed_days_ago=15)
    )


def test_the_bank_window_is_the_offers_number_not_a_constant():
    cast = accepted_deployment(bank_changed_days_ago=20)
    offer = cast.deployment.offer
    offer.bank_change_review_days = 30
    offer.save()
    assert "bank_details_recently_changed" in codes(cast)


def test_an_account_used_by_another_system_leader_is_flagged():
    accepted_deployment(sort_code="112233", account_number="44556677")
    second = accepted_deployment(sort_code="112233", account_number="44556677")
    assert "bank_account_shared" in codes(second)


def test_the_same_leaders_account_on_two_deployments_is_not_flagged():
    first = accepted_deployment(sort_code="112233", account_number="44556677")
    second = accepted_deployment(
        sort_code="112233",
        account_number="44556677",
        system_leader=first.deployment.system_leader,
    )
    assert "bank_account_shared" not in codes(second)


def test_a_different_account_is_not_flagged():
    accepted_deployment(sort_code="112233", account_number="44556677")
    assert "bank_account_shared" not in codes(
        accepted_deployment(sort_code="112233", account_number="44556678")
    )


def test_the_shared_account_check_never_decrypts(monkeypatch):
    from deployments.delivery import crypto

    accepted_deployment(sort_code="112233", account_number="44556677")
    second = accepted_deployment(sort_code="112233", account_number="44556677")

    def refuse(token):
        raise AssertionError("the checks decrypted bank details")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    assert "bank_account_shared" in codes(second)


def test_a_claim_after_the_offers_year_closed_is_flagged():
    flags = codes(accepted_deployment(offer=SupportOfferFactory(year=2023)))
    assert flags["after_academic_year_closed"] == (
        "Claimed after the 2023/24 offer closed on 31 August 2024."
    )


def test_a_claim_within_the_offers_year_is_not_flagged():
    assert "after_academic_year_closed" not in codes(accepted_deployment())


def test_missing_bank_details_are_flagged():
    assert "bank_details_missing" in codes(accepted_deployment(bank=False))


def test_flags_are_shown_with_their_reasons_on_the_claims_page(client_for):
    from tests.deployments.claim_fixtures import finance

    cast = accepted_deployment(days="10", logged="8")
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    page = client_for(finance()).get(f"/claims/{claim.pk}/").content.decode()
    assert "Activity log differs from the days claimed" in page
    assert "The activity log totals 8 days; 10 are claimed." in page


def test_resubmitting_runs_the_checks_again():
    from deployments.claims.models import Claim
    from deployments.delivery.models import BankDetails

    cast = accepted_deployment(bank_changed_days_ago=2)
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    assert "bank_details_recently_changed" in claim.flag_codes
    Claim.objects.filter(pk=claim.pk).update(state="queried")
    BankDetails.objects.filter(deployment=cast.deployment).update(
        changed_at=timezone.now() - dt.timedelta(days=40)
    )
    from deployments.claims.services import claim_resubmit

    claim = claim_resubmit(Claim.objects.get(pk=claim.pk), user=cast.leader, note="Checked")
    assert claim.flags == []
