import datetime as dt
import json
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from deployments import services
from deployments.demo import seed_offers
from deployments.models import SlaStep, SupportOffer
from tests.deployments.factories import EligibilityAssessmentFactory, SupportOfferFactory

MIGRATION = import_module("deployments.migrations.0007_offer_2023_24")
DELIVERY_MIGRATION = import_module("deployments.migrations.0009_offer_2023_24_delivery_deadline")

# Guidance sections 4, 5 and 9 and the FAQ, read off the guidance by hand (not
# copied from the migration, so this test is a second witness).
GUIDANCE_SLA = {
    "school_confirmation": 5,
    "system_leader_confirmation": 3,
    "provider_confirmation": 3,
    "regional_director_approval": 3,
    "deployment_information": 3,
    "initial_meeting": 10,
    "first_visit": 20,  # "4 weeks"
    "delivery": 60,  # "within one academic term or 12 weeks" (migration 0009)
    "rdp_extension_review": 5,
    "dfe_extension_decision": 5,
    "deployment_form_submission": 3,
    "rdp_form_review": 10,
    "end_of_deployment_call": 10,
    "claim_review": 10,  # not in the guidance: the portal's choice
}


def the_offer():
    return SupportOffer.objects.get(academic_year="2023/24")


@pytest.mark.django_db
def test_migrations_alone_create_the_2023_24_offer_as_the_guidance_states():
    offer = SupportOffer.objects.get()  # the test database is only migrated

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
    assert (offer.partnership_instalments, offer.instalment_amount) == (2, Decimal("5000.00"))
    assert offer.partnership_months == 12
    assert offer.rule_set == "tsi-2023-24"
    assert offer.sla_working_days == GUIDANCE_SLA
    assert set(offer.sla_working_days) == set(SlaStep.values)
    offer.full_clean()
    assert [h.history_change_reason for h in offer.history.order_by("history_date")] == [
        MIGRATION.CHANGE_REASON,
        DELIVERY_MIGRATION.CHANGE_REASON,
    ]


@pytest.mark.django_db
def test_seed_offers_reads_the_migrated_offer_and_is_idempotent():
    before = the_offer()

    first = seed_offers()
    second = seed_offers()

    assert first == second == {"support offers": 1, "eligible schools and trusts": 0}
    after = the_offer()
    assert after.pk == before.pk
    assert after.history.count() == 2  # the two migrations' rows: read, never written


@pytest.mark.django_db
def test_seed_offers_after_a_flush_runs_the_migration_step_again():
    the_offer().delete()

    seed_offers()

    offer = the_offer()
    assert offer.sla_working_days == GUIDANCE_SLA
    assert offer.day_rate == Decimal("600.00")
    assert [h.history_change_reason for h in offer.history.order_by("history_date")] == [
        MIGRATION.CHANGE_REASON,
        DELIVERY_MIGRATION.CHANGE_REASON,
    ]


@pytest.mark.django_db
def test_the_migration_does_nothing_when_the_year_exists():
    services.support_offer_update(offer=the_offer(), day_rate=Decimal("650.00"))

    MIGRATION.create_offer(apps, None)

    assert SupportOffer.objects.count() == 1
    assert the_offer().day_rate == Decimal("650.00")


@pytest.mark.django_db
def test_reversing_the_migration_deletes_its_untouched_offer_and_forward_again_restores_it():
    loader = MigrationLoader(connection)
    state_apps = loader.project_state(("deployments", "0007_offer_2023_24")).apps
    DELIVERY_MIGRATION.remove_delivery_step(state_apps, None)  # 0009 backward first
    MIGRATION.delete_offer_if_untouched(state_apps, None)
    assert not SupportOffer.objects.exists()
    assert not SupportOffer.history.exists()

    MIGRATION.create_offer(state_apps, None)  # a migration's models send no signals
    MIGRATION.create_offer(state_apps, None)
    DELIVERY_MIGRATION.add_delivery_step(state_apps, None)
    DELIVERY_MIGRATION.add_delivery_step(state_apps, None)

    offer = the_offer()
    assert offer.sla_working_days == GUIDANCE_SLA
    assert [
        (h.history_type, h.history_change_reason) for h in offer.history.order_by("history_date")
    ] == [("+", MIGRATION.CHANGE_REASON), ("~", DELIVERY_MIGRATION.CHANGE_REASON)]


@pytest.mark.django_db
def test_the_delivery_migration_gives_delivery_twelve_weeks_and_reverses_cleanly():
    assert the_offer().sla_days(SlaStep.DELIVERY) == 60
    DELIVERY_MIGRATION.remove_delivery_step(apps, None)
    offer = the_offer()
    assert "delivery" not in offer.sla_working_days
    assert offer.history.count() == 1
    DELIVERY_MIGRATION.add_delivery_step(apps, None)
    assert the_offer().sla_working_days == GUIDANCE_SLA


@pytest.mark.django_db
def test_reversing_the_migration_leaves_an_edited_offer():
    services.support_offer_update(offer=the_offer(), core_days=12)

    MIGRATION.delete_offer_if_untouched(apps, None)

    assert the_offer().core_days == 12


@pytest.mark.django_db
def test_reversing_the_migration_leaves_an_offer_records_refer_to():
    EligibilityAssessmentFactory(offer=the_offer())

    MIGRATION.delete_offer_if_untouched(apps, None)

    assert SupportOffer.objects.filter(academic_year="2023/24").exists()


@pytest.mark.django_db
def test_reversing_the_migration_leaves_an_offer_it_did_not_make():
    the_offer().delete()
    SupportOfferFactory()  # as an Admin or an older seed_demo made it

    MIGRATION.delete_offer_if_untouched(apps, None)

    assert SupportOffer.objects.filter(academic_year="2023/24").exists()


@pytest.mark.django_db
def test_the_factory_reuses_the_migrated_offer_and_makes_other_years():
    assert SupportOfferFactory() == the_offer()
    next_year = SupportOfferFactory(year=2024)
    assert (next_year.academic_year, next_year.sla_working_days) == ("2024/25", GUIDANCE_SLA)
    assert SupportOffer.objects.count() == 2


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
@pytest.mark.parametrize("step", SlaStep.values)
def test_offer_refuses_an_sla_that_leaves_a_step_out(step):
    sla = {key: days for key, days in GUIDANCE_SLA.items() if key != step}
    offer = SupportOfferFactory.build(year=2024, sla_working_days=sla)
    with pytest.raises(ValidationError) as exc:
        offer.full_clean()
    assert step in exc.value.message_dict["sla_working_days"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("sla", [{}, None, [], {**GUIDANCE_SLA, "first_visit": None}])
def test_offer_refuses_an_empty_or_malformed_sla(sla):
    offer = SupportOfferFactory.build(year=2024, sla_working_days=sla)
    with pytest.raises(ValidationError) as exc:
        offer.full_clean()
    assert "sla_working_days" in exc.value.message_dict


@pytest.mark.django_db
def test_the_offer_service_refuses_to_drop_a_step():
    offer = the_offer()
    sla = {key: days for key, days in GUIDANCE_SLA.items() if key != "first_visit"}
    with pytest.raises(ValidationError):
        services.support_offer_update(offer=offer, sla_working_days=sla)
    assert the_offer().sla_working_days == GUIDANCE_SLA


@pytest.mark.django_db
def test_admin_can_edit_the_offer(client_for, admin_user):
    offer = SupportOfferFactory()
    response = client_for(admin_user).get(f"/admin/deployments/supportoffer/{offer.pk}/change/")
    assert response.status_code == 200
    assert b"day_rate" in response.content


def _admin_form(offer, **changes):
    data = {
        "academic_year": offer.academic_year,
        "starts_on": offer.starts_on.isoformat(),
        "ends_on": offer.ends_on.isoformat(),
        "rule_set": offer.rule_set,
        "core_days": offer.core_days,
        "day_rate": str(offer.day_rate),
        "max_extension_days": offer.max_extension_days,
        "extension_window_weeks": offer.extension_window_weeks,
        "partnership_grant": str(offer.partnership_grant),
        "partnership_instalments": offer.partnership_instalments,
        "partnership_months": offer.partnership_months,
        "sla_working_days": json.dumps(offer.sla_working_days),
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_admin_saves_an_offer_with_every_step_and_refuses_one_without(client_for, admin_user):
    offer = the_offer()
    client = client_for(admin_user)
    url = f"/admin/deployments/supportoffer/{offer.pk}/change/"

    sla = {key: days for key, days in GUIDANCE_SLA.items() if key != "rdp_form_review"}
    refused = client.post(url, _admin_form(offer, sla_working_days=json.dumps(sla)))
    assert refused.status_code == 200
    assert "Missing: rdp_form_review" in refused.content.decode()
    assert the_offer().sla_working_days == GUIDANCE_SLA

    saved = client.post(url, _admin_form(offer, day_rate="610.00"))
    assert saved.status_code == 302
    assert the_offer().day_rate == Decimal("610.00")


@pytest.mark.django_db
def test_admin_adds_next_years_offer_only_with_every_step(client_for, admin_user):
    client = client_for(admin_user)
    template = SupportOfferFactory.build(year=2024)
    sla = {key: days for key, days in GUIDANCE_SLA.items() if key != "initial_meeting"}

    refused = client.post(
        "/admin/deployments/supportoffer/add/",
        _admin_form(template, sla_working_days=json.dumps(sla)),
    )
    assert refused.status_code == 200
    assert not SupportOffer.objects.filter(academic_year="2024/25").exists()

    saved = client.post("/admin/deployments/supportoffer/add/", _admin_form(template))
    assert saved.status_code == 302
    assert SupportOffer.objects.get(academic_year="2024/25").sla_working_days == GUIDANCE_SLA
