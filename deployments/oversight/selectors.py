"""The dashboard's figures for one offer and England or one region: aggregate
queries only (a grouped count or sum per figure, never a loop over records), so
the number of queries does not grow with the data.

Every figure is the count or sum of a list the portal shows, filtered to the
same offer and region: the Q pieces the figure and the list's filter share live
in `stages.py`, and the spend reuses the `GET /api/spend/` selector."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from deployments.choices import FocusArea
from deployments.claims.models import Claim
from deployments.delivery.models import Activity, Deployment, EnhancedRequest
from deployments.delivery.selectors import committed_days
from deployments.matching.models import SupportCase
from deployments.models import EligibilityAssessment, SupportOffer
from deployments.oversight.stages import (
    FUNNEL_STAGES,
    chose_q,
    completed_scopes,
    latest_per_target_q,
    reached_q,
)
from portal.workflow_spec import spec_for
from schools.models import Region

ZERO = Decimal("0.00")

# The workflow records the overdue figures cover: the contract's resource name,
# the model and the path from it to the offer and region.
OVERDUE_RESOURCES = (
    ("support_case", SupportCase, ""),
    ("deployment", Deployment, ""),
    ("enhanced_request", EnhancedRequest, "deployment__"),
    ("claim", Claim, ""),
)


@dataclass(frozen=True)
class DashboardScope:
    """One offer, and one region or (region None) all of England. The permission
    region is the object of `deployments.view_oversight`."""

    offer: SupportOffer
    region: Region | None = None

    @property
    def region_id(self) -> int | None:
        return self.region.pk if self.region is not None else None

    def narrow(self, qs: QuerySet, path: str = "") -> QuerySet:
        qs = qs.filter(**{f"{path}offer": self.offer})
        if self.region is not None:
            qs = qs.filter(**{f"{path}region": self.region})
        return qs


class ScopeError(ValueError):
    """A parameter names no offer or no region: {"field": ["message"]}."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def dashboard_scope(*, offer: str | None = None, region: str | None = None) -> DashboardScope:
    """The scope a request asks for: `offer` an id or academic year (default: the
    current offer), `region` a GIAS region name or id (default: all of England),
    read by the one oversight query form."""
    from deployments.oversight.filters_outcomes import OversightQueryForm

    form = OversightQueryForm({"offer": offer or "", "region": region or ""}, offer_required=True)
    if not form.is_valid():
        raise ScopeError({name: list(errors) for name, errors in form.errors.items()})
    found, place = form.cleaned_data["offer"], form.cleaned_data["region"]
    return DashboardScope(found, place)


# --- the scope's records ---------------------------------------------------------


def eligibility_rows(scope: DashboardScope) -> QuerySet[EligibilityAssessment]:
    """The current eligibility rows (eligible or no longer eligible)."""
    return scope.narrow(EligibilityAssessment.objects.current())


def support_cases(scope: DashboardScope) -> QuerySet[SupportCase]:
    return scope.narrow(SupportCase.objects.all())


def deployments(scope: DashboardScope) -> QuerySet[Deployment]:
    return scope.narrow(Deployment.objects.all())


def enhanced_requests(scope: DashboardScope) -> QuerySet[EnhancedRequest]:
    return scope.narrow(EnhancedRequest.objects.all(), "deployment__")


def claims(scope: DashboardScope) -> QuerySet[Claim]:
    return scope.narrow(Claim.objects.all())


def delayed_deployments(qs: QuerySet[Deployment]) -> QuerySet[Deployment]:
    """The deployments of `qs` whose system leader reported a delay and has not
    moved on from it (the deployment list's `delayed` filter reads the same Q)."""
    from deployments.delivery.selectors import delayed_q

    return qs.filter(delayed_q())


# --- figures -----------------------------------------------------------------------


def _funnel_aggregates() -> dict:
    return {
        stage: Count("pk", filter=reached_q(stage)) if stage != "eligible" else Count("pk")
        for stage in FUNNEL_STAGES
    }


def funnel(scope: DashboardScope) -> dict[str, int]:
    """Distinct schools and trusts that ever reached each stage: one query."""
    rows = eligibility_rows(scope).filter(latest_per_target_q())
    return rows.aggregate(**_funnel_aggregates())


def _by_state(qs: QuerySet, choices) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state, _ in choices}


def support_cases_by_state(scope: DashboardScope) -> dict[str, int]:
    return _by_state(support_cases(scope), SupportCase.State.choices)


def deployments_by_state(scope: DashboardScope) -> dict[str, int]:
    return _by_state(deployments(scope), Deployment.State.choices)


def overdue(scope: DashboardScope, today: dt.date | None = None) -> list[dict]:
    """Per resource and state, the records past their step's deadline, with the
    role whose move it is (the workflow's table)."""
    today = today or timezone.localdate()
    rows = []
    for resource, model, path in OVERDUE_RESOURCES:
        spec = spec_for(model)
        counts = (
            scope.narrow(model.objects.all(), path)
            .filter(spec.overdue_q(today))
            .order_by()
            .values_list(spec.state_field)
            .annotate(n=Count("pk"))
        )
        for state, n in sorted(counts):
            actor = spec.step(state).actor
            rows.append(
                {
                    "resource": resource,
                    "state": state,
                    "responsible": str(actor.role) if actor else None,
                    "count": n,
                }
            )
    return rows


def delayed(scope: DashboardScope) -> int:
    return delayed_deployments(deployments(scope)).count()


def days(scope: DashboardScope) -> dict[str, Decimal]:
    """Committed (deployments not withdrawn: core days plus approved extension
    days, as the spend's commitment counts them), logged (the activity logs) and
    claimed (the day claims)."""
    committed = (
        deployments(scope)
        .exclude(state=Deployment.State.WITHDRAWN)
        .aggregate(t=Sum(committed_days()))
    )
    logged = scope.narrow(Activity.objects.all(), "deployment__").aggregate(t=Sum("days"))["t"]
    claimed = claims(scope).aggregate(t=Sum("days"))["t"]
    return {
        "committed": committed["t"] or Decimal("0"),
        "logged": logged or Decimal("0"),
        "claimed": claimed or Decimal("0"),
    }


def spend(scope: DashboardScope) -> dict[str, Decimal]:
    """`GET /api/spend/`'s rows for this offer and region, added up; `approved`
    here is approved and not yet paid (the spend page's counts the paid too)."""
    from deployments.claims.selectors import spend_figures

    return spend_by_region(scope, spend_figures()).get(
        scope.region.name if scope.region else None, _no_spend()
    )


def _no_spend() -> dict[str, Decimal]:
    return {"committed": ZERO, "claimed": ZERO, "approved": ZERO, "paid": ZERO}


def spend_by_region(scope: DashboardScope, rows: list[dict]) -> dict:
    """{region name: spend} for the scope's offer, and None: all of England."""
    totals: dict = {}
    for row in rows:
        if row["offer"] != scope.offer.academic_year:
            continue
        for key in (row["region"], None):
            figures = totals.setdefault(key, _no_spend())
            figures["committed"] += row["committed"]
            figures["claimed"] += row["claimed"]
            figures["approved"] += row["approved"] - row["paid"]
            figures["paid"] += row["paid"]
    return totals


def enhanced(scope: DashboardScope) -> dict[str, dict[str, int]]:
    counts = {
        (kind, state): n
        for kind, state, n in enhanced_requests(scope)
        .order_by()
        .values_list("kind", "state")
        .annotate(n=Count("pk"))
    }
    return {
        kind: {state: counts.get((kind, state), 0) for state, _ in EnhancedRequest.State.choices}
        for kind, _ in EnhancedRequest.Kind.choices
    }


def focus_areas(scope: DashboardScope) -> dict[str, int]:
    """Deployments whose completed scope chose each focus area: one query over
    their scope sections (one a deployment), as the list's `focus_area` filter reads them."""
    return completed_scopes(deployments(scope)).aggregate(
        **{key: Count("pk", filter=chose_q("focus_areas", key)) for key in FocusArea.values}
    )


def programmes(scope: DashboardScope) -> list[dict]:
    """Deployments whose completed scope signposted each programme (those chosen)."""
    from deployments.programmes.models import Programme

    catalogue = list(Programme.objects.order_by("name").values_list("slug", "name"))
    if not catalogue:
        return []
    counts = completed_scopes(deployments(scope)).aggregate(
        **{
            f"p{i}": Count("pk", filter=chose_q("programmes", slug))
            for i, (slug, _) in enumerate(catalogue)
        }
    )
    return [
        {"slug": slug, "name": name, "count": counts[f"p{i}"]}
        for i, (slug, name) in enumerate(catalogue)
        if counts[f"p{i}"]
    ]


def eligibility_breakdown(scope: DashboardScope) -> dict:
    """Eligible rows (the eligibility list's default) by criterion and run length."""
    eligible = eligibility_rows(scope).eligible().order_by()
    return {
        "criteria": dict(eligible.values_list("criterion").annotate(n=Count("pk"))),
        "run_lengths": sorted(
            eligible.filter(run_length__isnull=False)
            .values_list("run_length")
            .annotate(n=Count("pk"))
        ),
    }


def by_region(scope: DashboardScope) -> list[dict]:
    """England's view: one row per region with its funnel, days and spend, in a
    handful of grouped queries whatever the number of regions."""
    from deployments.claims.selectors import spend_figures

    regions = list(Region.objects.order_by("name"))
    rows = eligibility_rows(scope).filter(latest_per_target_q())
    funnels = {
        r.pop("region"): r
        for r in rows.order_by().values("region").annotate(**_funnel_aggregates())
    }
    live = deployments(scope).exclude(state=Deployment.State.WITHDRAWN).order_by()
    committed = dict(live.values_list("region").annotate(t=Sum(committed_days())))
    logged = dict(
        scope.narrow(Activity.objects.all(), "deployment__")
        .order_by()
        .values_list("deployment__region")
        .annotate(t=Sum("days"))
    )
    claimed = dict(claims(scope).order_by().values_list("region").annotate(t=Sum("days")))
    money = spend_by_region(scope, spend_figures())
    result = []
    for region in regions:
        result.append(
            {
                "region": region.name,
                "funnel": funnels.get(region.pk) or dict.fromkeys(FUNNEL_STAGES, 0),
                "days": {
                    "committed": committed.get(region.pk) or Decimal("0"),
                    "logged": logged.get(region.pk) or Decimal("0"),
                    "claimed": claimed.get(region.pk) or Decimal("0"),
                },
                "spend": money.get(region.name, _no_spend()),
            }
        )
    return result


def dashboard(scope: DashboardScope, *, today: dt.date | None = None) -> dict:
    """Every figure of `GET /api/dashboard/` (unformatted: Decimals, ints)."""
    return {
        "offer": scope.offer,
        "region": scope.region,
        "funnel": funnel(scope),
        "support_cases_by_state": support_cases_by_state(scope),
        "deployments_by_state": deployments_by_state(scope),
        "overdue": overdue(scope, today),
        "delayed": delayed(scope),
        "days": days(scope),
        "spend": spend(scope),
        "enhanced": enhanced(scope),
        "focus_areas": focus_areas(scope),
        "by_region": by_region(scope) if scope.region is None else None,
    }
