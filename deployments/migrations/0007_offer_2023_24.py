"""The 2023/24 TSI offer as data, so `manage.py migrate` alone gives a working portal.

Every figure is copied from the published guidance
(shared/guidance/tsi-offer-2023-24-guidance.txt) and frozen here: a later year's
offer, or a change to this one, is an Admin edit or a new migration, never an edit
of this file. Forward does nothing if the year exists (an Admin or `seed_demo`
may have made it first). Backward deletes the offer only if this migration made
it, nobody has changed it since and no record refers to it; otherwise it leaves
the offer alone."""

import datetime as dt
from decimal import Decimal

from django.db import migrations, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

ACADEMIC_YEAR = "2023/24"

# Marks the history row this migration writes, so backward can tell its own
# offer from one an Admin or an older `seed_demo` created.
CHANGE_REASON = "Created by migration 0007 from the 2023/24 guidance"

OFFER_2023_24 = {
    "academic_year": ACADEMIC_YEAR,
    "starts_on": dt.date(2023, 9, 1),  # an academic year: 1 September ...
    "ends_on": dt.date(2024, 8, 31),  # ... to 31 August
    "rule_set": "tsi-2023-24",  # criteria A, B, C and exception (section 3)
    "core_days": 10,  # section 4: "10 days of support and advice from a system leader"
    "day_rate": Decimal("600.00"),  # FAQ: "the day rate of £600 includes VAT and expenses"
    "max_extension_days": 5,  # section 5: "up to an additional 5 days of support"
    "extension_window_weeks": 12,  # section 5: "within one academic term or 12 weeks"
    "partnership_grant": Decimal("10000.00"),  # section 5: "£10,000 in grant funding"
    "partnership_instalments": 2,  # section 5: "two payments of £5000"
    "partnership_months": 12,  # section 5: "the arrangement to last for a period of 12 months"
    # Not in the guidance: the portal's own control on claims (the model's
    # default), written here so the row does not depend on a default changing.
    "bank_change_review_days": 14,
    # Working days per SlaStep: the process table of section 9 (and section 5 for
    # extensions). Every step has a value; SupportOffer.clean() refuses an offer
    # that leaves one out.
    "sla_working_days": {
        # "School / Trust confirmation": 5 days.
        "school_confirmation": 5,
        # "Engage System Leader": "Receive RDP contact. Confirm ability to support (Y/N)", 3 days.
        "system_leader_confirmation": 3,
        # "Confirm provider": the school confirms engagement and the suggestion, 3 days.
        "provider_confirmation": 3,
        # "Regional Director approval": 3 days.
        "regional_director_approval": 3,
        # "Deployment": the RDP issues the deployment information, 3 days.
        "deployment_information": 3,
        # "Engagement": "System leader contacts school to arrange initial meeting", 10 days.
        "initial_meeting": 10,
        # "First visit carried out. Initial scoping and diagnostic form completed":
        # "4 weeks", counted as 20 working days (5 a week; bank holidays are skipped
        # by portal.workdays like any other deadline).
        "first_visit": 20,
        # Enhanced support request: "5 days RDP will review request for additional
        # support days and submit to RG for approval".
        "rdp_extension_review": 5,
        # Section 5: "DfE aims to approve or decline the request within 5 working days".
        "dfe_extension_decision": 5,
        # "Report & Claim": "Complete form, sign, send to school to sign ... Submit to
        # RDP", 3 days.
        "deployment_form_submission": 3,
        # "Report & Claim": "10 days Receive form, review and submit to RDD".
        "rdp_form_review": 10,
        # "Follow up engagement call": "Hold end of deployment call", 10 days.
        "end_of_deployment_call": 10,
        # Not in the guidance: DfE finance reviewing a payment claim. Ten working
        # days, like the RDP's review of the form the claim comes with.
        "claim_review": 10,
    },
}


def create_offer(apps, schema_editor):
    """Create the 2023/24 offer unless the year exists (idempotent)."""
    Offer = apps.get_model("deployments", "SupportOffer")
    History = apps.get_model("deployments", "HistoricalSupportOffer")
    if Offer.objects.filter(academic_year=ACADEMIC_YEAR).exists():
        return
    offer = Offer(**OFFER_2023_24)
    offer._change_reason = CHANGE_REASON  # simple-history reads this on the live model
    offer.save()
    if not History.objects.filter(id=offer.pk).exists():
        # Historical models in a migration send no signals: write the "created" row.
        History.objects.create(
            **{f.attname: getattr(offer, f.attname) for f in Offer._meta.concrete_fields},
            history_date=timezone.now(),
            history_type="+",
            history_change_reason=CHANGE_REASON,
        )


def delete_offer_if_untouched(apps, schema_editor):
    """Delete the offer only if this migration made it and it is as made and unused."""
    Offer = apps.get_model("deployments", "SupportOffer")
    History = apps.get_model("deployments", "HistoricalSupportOffer")
    offer = Offer.objects.filter(academic_year=ACADEMIC_YEAR).first()
    if offer is None:
        return
    history = list(History.objects.filter(id=offer.pk).order_by("history_date", "history_id"))
    made_here = len(history) == 1 and history[0].history_change_reason == CHANGE_REASON
    as_made = all(getattr(offer, name) == value for name, value in OFFER_2023_24.items())
    if not (made_here and as_made):
        return
    offer_id = offer.pk
    try:
        with transaction.atomic():
            offer.delete()  # PROTECT: eligibility, cases and claims keep it alive
    except (ProtectedError, RestrictedError):
        return
    History.objects.filter(id=offer_id).delete()


class Migration(migrations.Migration):
    dependencies = [("deployments", "0006_claims_and_payment_runs")]

    operations = [migrations.RunPython(create_offer, delete_offer_if_untouched)]
