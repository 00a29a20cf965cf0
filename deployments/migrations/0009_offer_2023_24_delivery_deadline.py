"""The 2023/24 offer gains a working-day deadline for delivering the support
(`SlaStep.DELIVERY`), so a deployment in `delivery` has a `due_on` like every
other open state (contract: "Every open state has a due_on, delivery included").

0007 is frozen: this migration adds the step to the existing row (and to any
other offer an Admin made without it, with the same figure, so that no offer
is left failing `SupportOffer.clean()`), writing one history row that says why.
Backward removes the step again, and its history row, only where it holds this
migration's figure."""

from django.db import migrations
from django.utils import timezone

STEP = "delivery"
# Guidance section 9 gives the delivery stage ("Up to 10 days of activities
# commence") no figure of its own: the options and enhanced-support requests
# come in the "Second term of deployment", and section 5 expects support days to
# be "delivered within one academic term or 12 weeks". The core days are read as
# delivered in the same window: 12 weeks, counted as 60 working days (5 a week;
# bank holidays are skipped by portal.workdays like any other deadline), from
# the day scoping is done and delivery starts.
DELIVERY_WORKING_DAYS = 60
SLA_ADDED = {STEP: DELIVERY_WORKING_DAYS}
CHANGE_REASON = "Migration 0009: delivery deadline (12 weeks) from the 2023/24 guidance"


def add_delivery_step(apps, schema_editor):
    """Give every offer without the step the guidance's figure (idempotent)."""
    Offer = apps.get_model("deployments", "SupportOffer")
    History = apps.get_model("deployments", "HistoricalSupportOffer")
    for offer in Offer.objects.all():
        sla = dict(offer.sla_working_days or {})
        if STEP in sla:
            continue
        offer.sla_working_days = {**sla, **SLA_ADDED}
        offer._change_reason = CHANGE_REASON  # simple-history reads this on the live model
        offer.save(update_fields=["sla_working_days"])
        if History.objects.filter(id=offer.pk, history_change_reason=CHANGE_REASON).exists():
            continue
        # Historical models in a migration send no signals: write the "changed" row.
        History.objects.create(
            **{f.attname: getattr(offer, f.attname) for f in Offer._meta.concrete_fields},
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=CHANGE_REASON,
        )


def remove_delivery_step(apps, schema_editor):
    """Take the step out where it holds this migration's figure."""
    Offer = apps.get_model("deployments", "SupportOffer")
    History = apps.get_model("deployments", "HistoricalSupportOffer")
    for offer in Offer.objects.all():
        sla = dict(offer.sla_working_days or {})
        if sla.get(STEP) != DELIVERY_WORKING_DAYS:
            continue
        del sla[STEP]
        offer.sla_working_days = sla
        offer._change_reason = CHANGE_REASON  # the live model's own row goes too
        offer.save(update_fields=["sla_working_days"])
        History.objects.filter(id=offer.pk, history_change_reason=CHANGE_REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("deployments", "0008_exceptionrequest_due_on_and_more")]

    operations = [migrations.RunPython(add_delivery_step, remove_delivery_step)]
