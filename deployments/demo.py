"""Demo data for the offer: the 2023/24 TSI offer exactly as the guidance states."""

import datetime as dt
from decimal import Decimal

from deployments.models import SlaStep, SupportOffer

# Guidance sections 4 and 5, the FAQ (day rate) and the process overview in
# section 9 (service-level times in working days; "4 weeks" is 20 working days).
OFFER_2023_24 = {
    "academic_year": "2023/24",
    "starts_on": dt.date(2023, 9, 1),
    "ends_on": dt.date(2024, 8, 31),
    "core_days": 10,
    "day_rate": Decimal("600.00"),
    "max_extension_days": 5,
    "extension_window_weeks": 12,
    "partnership_grant": Decimal("10000.00"),
    "partnership_instalments": 2,
    "partnership_months": 12,
    "rule_set": "tsi-2023-24",
    "sla_working_days": {
        SlaStep.SCHOOL_CONFIRMATION: 5,
        SlaStep.SYSTEM_LEADER_CONFIRMATION: 3,
        SlaStep.PROVIDER_CONFIRMATION: 3,
        SlaStep.REGIONAL_DIRECTOR_APPROVAL: 3,
        SlaStep.DEPLOYMENT_INFORMATION: 3,
        SlaStep.INITIAL_MEETING: 10,
        SlaStep.FIRST_VISIT: 20,
        SlaStep.RDP_EXTENSION_REVIEW: 5,
        SlaStep.DFE_EXTENSION_DECISION: 5,
        SlaStep.DEPLOYMENT_FORM_SUBMISSION: 3,
        SlaStep.RDP_FORM_REVIEW: 10,
        SlaStep.END_OF_DEPLOYMENT_CALL: 10,
        SlaStep.CLAIM_REVIEW: 10,
    },
}


def seed_offers() -> dict[str, int]:
    """Create the 2023/24 offer if missing and compute its eligibility (idempotent)."""
    from deployments.models import EligibilityAssessment
    from deployments.services import eligibility_recompute, support_offer_ensure

    values = dict(OFFER_2023_24)
    values["sla_working_days"] = {str(k): v for k, v in values["sla_working_days"].items()}
    offer, _ = support_offer_ensure(**values)
    eligibility_recompute(offer=offer)
    return {
        "support offers": SupportOffer.objects.count(),
        "eligible schools and trusts": EligibilityAssessment.objects.current().eligible().count(),
    }
