"""Reads for claims, payment runs and spend: what each user may see (the
queryset is the visibility: 404 for the rest), the review queue and the spend
figures, each with the queue filters that list the claims behind it."""

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.urls import reverse

from deployments.claims.models import Claim, PaymentRun, PaymentRunItem
from portal import scoping
from portal.models import Role, TimelineEvent
from portal.text import money

ZERO = Decimal("0.00")


def claim_list_for(user) -> QuerySet[Claim]:
    """Finance and Admin: every claim; Regions Group staff: their regions';
    a system leader: their own; everyone else: none."""
    qs = Claim.objects.select_related(
        "offer",
        "region",
        "system_leader__user",
        "deployment__school",
        "deployment__trust",
        "decided_by",
        "deployment__bank_details",
        "instalment__grant__partner_trust",
        "instalment__grant__bank_details",
        "payment_run_item",
    ).prefetch_related(
        Prefetch("timeline_events", queryset=TimelineEvent.objects.select_related("by"))
    )
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.role == Role.ADMIN or user.is_superuser or user.role == Role.FINANCE:
        return qs
    if user.role == Role.REGIONS_STAFF:
        return qs.filter(scoping.in_users_regions_q(user))
    if user.role == Role.SYSTEM_LEADER:
        return qs.filter(system_leader__user=user)
    return qs.none()


def claim_queue(user) -> QuerySet[Claim]:
    """The review queue: the claims this user sees, oldest first. Its filters
    (deployments.claims.filters.ClaimFilterSet) narrow it."""
    return claim_list_for(user).order_by("created_at", "pk")


def _in_states(user, states) -> QuerySet[Claim]:
    from deployments.claims.filters import ClaimFilterSet

    return ClaimFilterSet({"state": ",".join(states)}, queryset=claim_queue(user)).qs


def claims_pending_review(user, limit=10):
    return _in_states(user, [Claim.State.PENDING_REVIEW])[:limit]


def claim_home_rows(user, states, limit: int) -> dict:
    """Home: the claims this user sees in `states` (the table's states whose
    step is the user's role's), oldest first, with their flags."""
    from django.urls import reverse

    claims = _in_states(user, states)[:limit]
    rows = [
        {
            "text": f"{c.reference}: {c.deployment.target}, {money(c.amount)}"
            + (f" ({len(c.flags)} flag{'s' if len(c.flags) != 1 else ''})" if c.flags else ""),
            "href": reverse("deployments:claim-detail", args=[c.pk]),
            "due_on": c.due_on,
        }
        for c in claims
    ]
    return {
        "rows": rows,
        "link": reverse("deployments:claim-list") + "?state=" + ",".join(states),
        "link_text": "See every claim waiting for you",
    }


def payment_run_list():
    return PaymentRun.objects.select_related("created_by", "job")


def payment_run_totals(run: PaymentRun) -> dict:
    """Totals of a run per region and per offer."""
    items = PaymentRunItem.objects.filter(run=run)
    by_region = (
        items.values("claim__region__name")
        .annotate(total=Sum("amount"), claims=Count("pk"))
        .order_by("claim__region__name")
    )
    by_offer = (
        items.values("claim__offer__academic_year")
        .annotate(total=Sum("amount"), claims=Count("pk"))
        .order_by("claim__offer__academic_year")
    )
    return {
        "regions": [
            {"region": r["claim__region__name"], "claims": r["claims"], "total": r["total"]}
            for r in by_region
        ],
        "offers": [
            {"offer": o["claim__offer__academic_year"], "claims": o["claims"], "total": o["total"]}
            for o in by_offer
        ],
    }


# Spend -----------------------------------------------------------------------

SPEND_FIGURES = ("committed", "claimed", "approved", "paid")
# The claim states behind each figure ("approved" counts claims approved and
# since paid: the money DfE agreed to pay).
SPEND_STATES = {
    "claimed": [],
    "approved": [Claim.State.APPROVED, Claim.State.PAID],
    "paid": [Claim.State.PAID],
}


def _queue_link(**params) -> str:
    given = {k: v for k, v in params.items() if v}
    return reverse("deployments:claim-list") + ("?" + urlencode(given) if given else "")


def spend_figures(*, offers=(), regions=()) -> list[dict]:
    """Per region and offer: committed (deployments not withdrawn x core days x
    the day rate, plus approved extension days and partnership grants),
    claimed, approved and paid, with the queue link behind each claim figure.
    A handful of grouped queries whatever the volume. `offers` and `regions`:
    every offer and region when the caller has them already (read otherwise)."""
    from deployments.delivery.models import Deployment, PartnershipGrant
    from deployments.delivery.selectors import committed_days
    from deployments.models import SupportOffer
    from schools.models import Region

    offers = {o.pk: o for o in (offers or SupportOffer.objects.all())}
    regions = {r.pk: r.name for r in (regions or Region.objects.all())}
    rows: dict[tuple[int, int], dict] = {}

    def row(region_id, offer_id):
        key = (region_id, offer_id)
        if key not in rows:
            offer = offers[offer_id]
            rows[key] = {
                "region": regions.get(region_id, ""),
                "offer": offer.academic_year,
                **{name: ZERO for name in SPEND_FIGURES},
            }
        return rows[key]

    deployments = (
        Deployment.objects.exclude(state=Deployment.State.WITHDRAWN)
        .values("region_id", "offer_id")
        .annotate(days=Sum(committed_days()))
        .order_by()
    )
    for d in deployments:
        offer = offers[d["offer_id"]]
        amount = offer.day_rate * (d["days"] or 0)
        row(d["region_id"], d["offer_id"])["committed"] += amount.quantize(ZERO)
    grants = PartnershipGrant.objects.values(
        "enhanced_request__deployment__region_id", "enhanced_request__deployment__offer_id"
    ).annotate(total=Sum("total"))
    for g in grants:
        row(
            g["enhanced_request__deployment__region_id"],
            g["enhanced_request__deployment__offer_id"],
        )["committed"] += g["total"]
    claims = Claim.objects.values("region_id", "offer_id", "state").annotate(total=Sum("amount"))
    for c in claims:
        r = row(c["region_id"], c["offer_id"])
        r["claimed"] += c["total"]
        for name in ("approved", "paid"):
            if c["state"] in SPEND_STATES[name]:
                r[name] += c["total"]
    result = []
    for r in sorted(rows.values(), key=lambda r: (r["offer"], r["region"])):
        r["links"] = {
            name: _queue_link(
                region=r["region"], offer=r["offer"], state=",".join(SPEND_STATES[name])
            )
            for name in SPEND_STATES
        }
        result.append(r)
    return result


def spend_totals(rows: list[dict]) -> dict:
    return {name: sum((r[name] for r in rows), start=ZERO) for name in SPEND_FIGURES}


def claims_waiting_for_payment():
    """Approved claims no run has taken yet: what the next payment run pays."""
    return Claim.objects.filter(state=Claim.State.APPROVED, payment_run_item__isnull=True)


def payment_run_preview() -> dict:
    """What starting a payment run now would pay: the count, the total and per region."""
    waiting = claims_waiting_for_payment()
    totals = waiting.aggregate(total=Sum("amount"), claims=Count("pk"))
    regions = (
        waiting.values("region__name")
        .annotate(total=Sum("amount"), claims=Count("pk"))
        .order_by("region__name")
    )
    return {
        "claims": totals["claims"] or 0,
        "total": totals["total"] or 0,
        "regions": [
            {"region": r["region__name"], "claims": r["claims"], "total": r["total"]}
            for r in regions
        ],
    }
