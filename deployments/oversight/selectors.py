"""The dashboard's figures for one offer and England or one region: aggregate
queries only (a grouped count or sum per figure, never a loop over records), so
the number of queries does not grow with the data.

Every figure is the count or sum of a list the portal shows, filtered to the
same offer and region: the Q pieces the figure and the list's filter share live
in `stages.py`, and the spend reuses the `GET /api/spend/` selector."""

import datetime as dt
import functools
from dataclasses import dataclass, field
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
    chosen_text,
    completed_scopes,
    latest_per_target_q,
    reached_q,
)
from portal.workflow_spec import spec_for
from schools.models import Region

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DashboardScope:
    """One offer, and one region or (region None) all of England. The permission
    region is the object of `deployments.view_oversight`."""

    offer: SupportOffer
    region: Region | None = None
    # Every offer and region, as the query form read them (the pages' pickers,
    # the England rows and the spend reuse them rather than read them again).
    offers: tuple[SupportOffer, ...] = field(default=(), compare=False)
    regions: tuple[Region, ...] = field(default=(), compare=False)

    def all_regions(self) -> list[Region]:
        return list(self.regions) or list(Region.objects.order_by("name"))

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
    return DashboardScope(found, place, tuple(form.offers), tuple(form.regions))


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


# --- figures -----------------------------------------------------------------------


@functools.cache
def _funnel_aggregates() -> dict:
    """The funnel's counts, built once per process (~2 ms a page): they name no
    offer, region or value, only the row they count (`OuterRef`), and Django
    resolves a copy of them into each query."""
    return {
        stage: Count("pk", filter=reached_q(stage)) if stage != "eligible" else Count("pk")
        for stage in FUNNEL_STAGES
    }


def funnel(scope: DashboardScope) -> dict[str, int]:
    """Distinct schools and trusts that ever reached each stage: one query."""
    rows = eligibility_rows(scope).filter(latest_per_target_q())
    return rows.aggregate(**_funnel_aggregates())


def _states(qs: QuerySet, model, today: dt.date, *group: str, **extra) -> list[tuple]:
    """(*group, state, count, overdue count, *extra) per group and state: the
    state counts and the overdue ones (the workflow table's `overdue_q`) in one
    grouped query."""
    spec = spec_for(model)
    return list(
        qs.order_by()
        .values_list(*group, spec.state_field)
        .annotate(n=Count("pk"), late=Count("pk", filter=spec.overdue_q(today)), **extra)
    )


def _by_state(groups: list[tuple], choices) -> dict[str, int]:
    counts = {row[0]: row[1] for row in groups}
    return {state: counts.get(state, 0) for state, _ in choices}


def _overdue_rows(resource: str, model, late: dict[str, int]) -> list[dict]:
    """Per state with overdue records, the count and the role whose move it is."""
    spec = spec_for(model)
    rows = []
    for state, n in sorted(late.items()):
        if not n:
            continue
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


def workflow_figures(scope: DashboardScope, today: dt.date | None = None) -> dict:
    """Support cases and deployments by state, overdue work by resource and state
    (with the role whose move it is), open deployments with a delay reported, and
    enhanced support requests by kind and state: one grouped query per resource."""
    from deployments.delivery.selectors import delayed_q

    today = today or timezone.localdate()
    cases = _states(support_cases(scope), SupportCase, today)
    deployment_states = _states(
        deployments(scope), Deployment, today, delayed=Count("pk", filter=delayed_q())
    )
    requests = _states(enhanced_requests(scope), EnhancedRequest, today, "kind")
    claim_states = _states(claims(scope), Claim, today)
    request_counts: dict[tuple[str, str], int] = {}
    request_late: dict[str, int] = {}
    for kind, state, n, late in requests:
        request_counts[(kind, state)] = n
        request_late[state] = request_late.get(state, 0) + late
    return {
        "support_cases_by_state": _by_state(cases, SupportCase.State.choices),
        "deployments_by_state": _by_state(deployment_states, Deployment.State.choices),
        "overdue": [
            *_overdue_rows("support_case", SupportCase, {r[0]: r[2] for r in cases}),
            *_overdue_rows("deployment", Deployment, {r[0]: r[2] for r in deployment_states}),
            *_overdue_rows("enhanced_request", EnhancedRequest, request_late),
            *_overdue_rows("claim", Claim, {r[0]: r[2] for r in claim_states}),
        ],
        "delayed": sum(r[3] for r in deployment_states),
        "enhanced": {
            kind: {
                state: request_counts.get((kind, state), 0)
                for state, _ in EnhancedRequest.State.choices
            }
            for kind, _ in EnhancedRequest.Kind.choices
        },
    }


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


def focus_areas(scope: DashboardScope, programmes: list[tuple[str, str]] = ()) -> dict:
    """Deployments whose completed scope chose each focus area and, for each
    (slug, name) of `programmes`, signposted that programme, as the list's
    `focus_area` and `programme` filters read them (`chose_q`). One query: the
    scope sections (one a deployment) grouped by their two lists, each distinct
    pair read once (`chosen_text`) rather than compiling a filtered count per key.
    Programme counts come back under "programme:<slug>"."""
    groups = (
        completed_scopes(deployments(scope))
        .order_by()
        .values_list("data__focus_areas", "data__programmes")
        .annotate(n=Count("pk"))
    )
    found = dict.fromkeys(FocusArea.values, 0)
    found.update((f"programme:{slug}", 0) for slug, _ in programmes)
    for areas, signposted, n in groups:
        areas, signposted = chosen_text(areas), chosen_text(signposted)
        for key in FocusArea.values:
            if f'"{key}"'.upper() in areas:
                found[key] += n
        for slug, _ in programmes:
            if f'"{slug}"'.upper() in signposted:
                found[f"programme:{slug}"] += n
    return found


def programme_catalogue() -> list[tuple[str, str]]:
    from deployments.programmes.models import Programme

    return list(Programme.objects.order_by("name").values_list("slug", "name"))


def programme_rows(catalogue: list[tuple[str, str]], counts: dict) -> list[dict]:
    """Deployments whose completed scope signposted each programme (those chosen),
    from `focus_areas(scope, catalogue)`."""
    return [
        {"slug": slug, "name": name, "count": counts[f"programme:{slug}"]}
        for slug, name in catalogue
        if counts[f"programme:{slug}"]
    ]


def eligibility_breakdown(scope: DashboardScope) -> dict:
    """Eligible rows (the eligibility list's default) by criterion and run length:
    one query grouped by both, added up each way."""
    groups = (
        eligibility_rows(scope)
        .eligible()
        .order_by()
        .values_list("criterion", "run_length")
        .annotate(n=Count("pk"))
    )
    criteria: dict[str, int] = {}
    run_lengths: dict[int, int] = {}
    for criterion, run_length, n in groups:
        criteria[criterion] = criteria.get(criterion, 0) + n
        if run_length is not None:
            run_lengths[run_length] = run_lengths.get(run_length, 0) + n
    return {"criteria": criteria, "run_lengths": sorted(run_lengths.items())}


DAYS = ("committed", "logged", "claimed")


def _regional(scope: DashboardScope) -> dict:
    """England's grouped figures: {figure: {region id or None: value}}, the
    funnel, committed, logged and claimed days per region in one query each.
    The groups cover every record (None: no region), so their sum is England's."""
    rows = eligibility_rows(scope).filter(latest_per_target_q())
    live = deployments(scope).exclude(state=Deployment.State.WITHDRAWN).order_by()
    return {
        "funnel": {
            r.pop("region"): r
            for r in rows.order_by().values("region").annotate(**_funnel_aggregates())
        },
        "committed": dict(live.values_list("region").annotate(t=Sum(committed_days()))),
        "logged": dict(
            scope.narrow(Activity.objects.all(), "deployment__")
            .order_by()
            .values_list("deployment__region")
            .annotate(t=Sum("days"))
        ),
        "claimed": dict(claims(scope).order_by().values_list("region").annotate(t=Sum("days"))),
    }


def _england(regional: dict) -> tuple[dict, dict]:
    """England's funnel and days: the sums of `_regional`'s groups."""
    funnel = dict.fromkeys(FUNNEL_STAGES, 0)
    for counts in regional["funnel"].values():
        for stage in FUNNEL_STAGES:
            funnel[stage] += counts[stage]
    days = {k: sum(v or 0 for v in regional[k].values()) or Decimal("0") for k in DAYS}
    return funnel, days


def by_region(regions: list[Region], regional: dict, money: dict) -> list[dict]:
    """England's view: one row per region with its funnel, days and spend."""
    return [
        {
            "region": region.name,
            "funnel": regional["funnel"].get(region.pk) or dict.fromkeys(FUNNEL_STAGES, 0),
            "days": {k: regional[k].get(region.pk) or Decimal("0") for k in DAYS},
            "spend": money.get(region.name, _no_spend()),
        }
        for region in regions
    ]


def dashboard(
    scope: DashboardScope,
    *,
    today: dt.date | None = None,
    programmes: list[tuple[str, str]] = (),
) -> dict:
    """Every figure of `GET /api/dashboard/` (unformatted: Decimals, ints); with
    `programmes` (slug, name pairs), their counts too, in the focus areas' query.
    England reads its funnel and days as the sums of the regions' grouped
    queries, and the spend selector runs once for both."""
    from deployments.claims.selectors import spend_figures

    regions = scope.all_regions()
    money = spend_by_region(scope, spend_figures(offers=scope.offers, regions=regions))
    if scope.region is None:
        regional = _regional(scope)
        funnel_figures, days_figures = _england(regional)
        region_rows = by_region(regions, regional, money)
    else:
        funnel_figures, days_figures, region_rows = funnel(scope), days(scope), None
    chosen = focus_areas(scope, programmes)
    return {
        "offer": scope.offer,
        "region": scope.region,
        "funnel": funnel_figures,
        **workflow_figures(scope, today),
        "days": days_figures,
        "spend": money.get(scope.region.name if scope.region else None, _no_spend()),
        "focus_areas": {key: chosen[key] for key in FocusArea.values},
        "programmes": programme_rows(programmes, chosen),
        "by_region": region_rows,
    }
