"""Demo data for the offer: eligibility computed on the demo register.

The 2023/24 offer itself is policy, not demo data: migration 0007 creates it
with the guidance's figures (0009 adds the delivery deadline), and the demo
only reads it."""

from importlib import import_module

from deployments.models import EligibilityAssessment, SupportOffer

DEMO_YEAR = "2023/24"
OFFER_MIGRATION = "deployments.migrations.0007_offer_2023_24"
# Later data migrations that complete the offer's row, run again after a flush.
OFFER_UPDATES = ("deployments.migrations.0009_offer_2023_24_delivery_deadline",)


def demo_offer() -> SupportOffer:
    """The offer the demo runs in: the one the data migration made.

    After `manage.py flush` (which empties tables that migrations filled) the
    migration's own step runs again, so the figures still come from one place."""
    offer = SupportOffer.objects.filter(academic_year=DEMO_YEAR).first()
    if offer is None:
        from django.apps import apps

        import_module(OFFER_MIGRATION).create_offer(apps, None)
        for update in OFFER_UPDATES:
            import_module(update).add_delivery_step(apps, None)
        offer = SupportOffer.objects.get(academic_year=DEMO_YEAR)
    return offer


def seed_offers() -> dict[str, int]:
    """Compute the demo register's eligibility for the 2023/24 offer (idempotent)."""
    from deployments.services import eligibility_recompute

    eligibility_recompute(offer=demo_offer())
    return {
        "support offers": SupportOffer.objects.count(),
        "eligible schools and trusts": EligibilityAssessment.objects.current().eligible().count(),
    }
