"""The automatic checks on a claim, as a pure function of facts gathered in
bulk (`deployments.claims.services._facts_for`), so that one claim and five
thousand go through the same code with the same few queries."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.utils import timezone

PENNY = Decimal("0.01")

DAYS_ABOVE_CAP = "days_above_cap"
ACTIVITY_MISMATCH = "activity_log_mismatch"
CONFIRMATION_MISSING = "school_confirmation_missing"
NOT_CONFIRMED = "school_did_not_confirm"
BANK_RECENTLY_CHANGED = "bank_details_recently_changed"
BANK_SHARED = "bank_account_shared"
AFTER_YEAR_CLOSED = "after_academic_year_closed"
BANK_MISSING = "bank_details_missing"

FLAG_LABELS = {
    DAYS_ABOVE_CAP: "Days above the core and approved extension days",
    ACTIVITY_MISMATCH: "Activity log differs from the days claimed",
    CONFIRMATION_MISSING: "School confirmation missing",
    NOT_CONFIRMED: "School did not confirm the work",
    BANK_RECENTLY_CHANGED: "Bank details changed recently",
    BANK_SHARED: "Bank account used by another system leader",
    AFTER_YEAR_CLOSED: "Claimed after the academic year closed",
    BANK_MISSING: "No bank details",
}


@dataclass
class ClaimFacts:
    """What the checks need to know about one deployment."""

    deployment_id: int
    offer: object
    region_id: int
    system_leader_id: int
    days: Decimal | None
    cap: Decimal
    days_logged: Decimal
    confirmation: dict | None
    bank_changed_at: dt.datetime | None
    has_bank_details: bool
    shared_account: bool
    extension_days: Decimal = Decimal(0)  # of `cap`; the rest are the deployment's core days


def day_amount(days: Decimal, day_rate: Decimal) -> Decimal:
    """Days x the offer's day rate, exact to the penny (the rate includes VAT
    and expenses: guidance FAQ)."""
    return (Decimal(days) * Decimal(day_rate)).quantize(PENNY)


@lru_cache(maxsize=8)
def _local_date(moment: dt.datetime) -> dt.date:
    """(Cached: a bulk run checks thousands of claims made at the same moment.)"""
    return timezone.localtime(moment).date()


def _days(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def claim_flags(
    facts: ClaimFacts, *, kind: str, created_at: dt.datetime, checked_at: dt.datetime
) -> list[dict]:
    """The findings a reviewer sees, `[{"code", "message"}]`, in a fixed order."""
    flags = []

    def flag(code, message):
        flags.append({"code": code, "message": message})

    offer = facts.offer
    if kind == "deployment_days":
        if facts.days is not None and facts.days > facts.cap:
            flag(
                DAYS_ABOVE_CAP,
                f"{_days(facts.days)} days claimed, more than the {_days(facts.cap)} agreed "
                f"({_days(facts.cap - facts.extension_days)} core + "
                f"{_days(facts.extension_days)} approved "
                "extension). Extra days are never paid unless agreed.",
            )
        if facts.days is not None and facts.days_logged != facts.days:
            flag(
                ACTIVITY_MISMATCH,
                f"The activity log totals {_days(facts.days_logged)} days; "
                f"{_days(facts.days)} are claimed.",
            )
        answer = (facts.confirmation or {}).get("work_as_described")
        if answer is None:
            flag(CONFIRMATION_MISSING, "The school or trust has not confirmed the work.")
        elif answer is False:
            flag(
                NOT_CONFIRMED, "The school or trust said the work was not carried out as described."
            )
    if not facts.has_bank_details:
        flag(BANK_MISSING, "There are no bank details to pay.")
    window = dt.timedelta(days=offer.bank_change_review_days)
    if facts.bank_changed_at and checked_at - window <= facts.bank_changed_at <= checked_at:
        flag(
            BANK_RECENTLY_CHANGED,
            f"Bank details were changed on {facts.bank_changed_at:%-d %B %Y}, within "
            f"{offer.bank_change_review_days} days of the claim.",
        )
    if facts.shared_account:
        flag(BANK_SHARED, "The same bank account is on a deployment of another system leader.")
    if _local_date(created_at) > offer.ends_on:
        flag(
            AFTER_YEAR_CLOSED,
            f"Claimed after the {offer.academic_year} offer closed on {offer.ends_on:%-d %B %Y}.",
        )
    return flags


def flag_codes_text(flags: list[dict]) -> str:
    return (" " + " ".join(f["code"] for f in flags) + " ") if flags else ""
