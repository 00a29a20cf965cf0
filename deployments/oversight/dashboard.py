"""The dashboard pages' figures, each with the filtered list behind it.

`selectors.py` computes the numbers; this module pairs each with the address of
the list that shows the same number (the list's own FilterSet reads the same
parameters), and shapes the rows the charts and their data tables draw. A
figure links only where this user's list covers the whole scope (a Regional
Director reading their own region, Admin everywhere...): elsewhere the list
would show fewer records than the figure counts, so the figure stays plain."""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html

from deployments.choices import FocusArea
from deployments.claims.models import Claim
from deployments.delivery.models import Deployment, EnhancedRequest
from deployments.matching.models import SupportCase
from deployments.models import Criterion
from deployments.oversight import selectors
from deployments.oversight.selectors import DashboardScope
from deployments.oversight.stages import FUNNEL_LABELS, FUNNEL_STAGES
from portal.models import Role
from schools.models import Region

RESOURCE_LABELS = {
    "support_case": "Support cases",
    "deployment": "Deployments",
    "enhanced_request": "Enhanced support requests",
    "claim": "Payment claims",
}
STATE_LABELS = {
    "support_case": dict(SupportCase.State.choices),
    "deployment": dict(Deployment.State.choices),
    "enhanced_request": dict(EnhancedRequest.State.choices),
    "claim": dict(Claim.State.choices),
}
LIST_URLS = {
    "eligibility": "deployments:eligibility-list",
    "support_case": "deployments:case-list",
    "deployment": "deployments:deployment-list",
    "enhanced_request": "deployments:enhanced-request-list",
    "claim": "deployments:claim-list",
}
# Finance figures: DfE's own staff (an RDP is a delivery partner, not DfE).
DFE_ROLES = (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.FINANCE, Role.ADMIN)
REGIONAL_ROLES = (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP)
VIEW_DEPLOYMENT = "deployments.read_deployment"


@dataclass
class Figure:
    label: str
    value: object
    href: str = ""
    display: str = ""

    def __post_init__(self):
        if not self.display:
            self.display = f"{self.value:,}" if isinstance(self.value, int) else str(self.value)

    @property
    def html(self) -> str:
        """The figure on the page: a link to its list (named for screen readers),
        or the plain figure where the user may not follow it. Built here rather
        than by an included template per figure (the pages draw ~150)."""
        if not self.href:
            return conditional_escape(self.display)
        return format_html(
            '<a class="govuk-link" href="{}" data-figure="{}">{}'
            '<span class="govuk-visually-hidden"> {}</span></a>',
            self.href,
            self.label,
            self.display,
            str(self.label).lower(),
        )


@dataclass
class Chart:
    """A horizontal bar chart (server-side SVG) and the data table beside it."""

    title: str
    figures: list[Figure]
    heading: str = "Number"
    id: str = ""
    bars: list[dict] = field(default_factory=list)

    def __post_init__(self):
        top = max((f.value for f in self.figures), default=0) or 1
        self.height = 30 * len(self.figures) + 8
        self.bars = []
        for i, f in enumerate(self.figures):
            # Labels end at x=250; bars start at 256 and are at most 170 wide.
            width = round(170 * float(f.value) / float(top), 1)
            self.bars.append(
                {
                    "figure": f,
                    "y": 30 * i + 4,
                    "text_y": 30 * i + 21,
                    "width": width,
                    "value_x": 262 + width,
                }
            )


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def _covers(user, scope: DashboardScope, all_region_ids: set[int]) -> bool:
    """The user's regions cover the scope (their list shows every record in it)."""
    if scope.region is None:
        return bool(all_region_ids) and all_region_ids <= user.region_ids
    return scope.region.pk in user.region_ids


def linkable(user, scope: DashboardScope, all_regions: set[int] | None = None) -> dict[str, bool]:
    """Which lists this user reads in full for the scope (their figures link)."""
    if all_regions is None:
        all_regions = set(Region.objects.values_list("pk", flat=True))
    covers = _covers(user, scope, all_regions)
    regional = _is_admin(user) or (user.role in REGIONAL_ROLES and covers)
    return {
        "eligibility": user.has_perm("deployments.view_eligibility"),
        "support_case": regional,
        "deployment": regional,
        "enhanced_request": regional,
        "claim": _is_admin(user)
        or user.role == Role.FINANCE
        or (user.role == Role.REGIONS_STAFF and covers),
    }


class Links:
    """The list addresses for one scope, or "" where the user may not follow them."""

    def __init__(
        self,
        user,
        scope: DashboardScope,
        all_regions: set[int] | None = None,
        addresses: dict[str, str] | None = None,
    ):
        self.scope = scope
        self.allowed = linkable(user, scope, all_regions)
        # Each list's address, reversed once and shared by the region rows' Links.
        self.addresses = {} if addresses is None else addresses

    def url(self, list_name: str, /, **params) -> str:
        if not self.allowed.get(list_name):
            return ""
        scope = self.scope
        if list_name == "eligibility":
            base = {"offer": scope.offer.pk, "region": scope.region_id or ""}
        elif list_name == "claim":
            base = {
                "offer": scope.offer.academic_year,
                "region": scope.region_id and scope.region.name,
            }
        else:
            base = {"offer": scope.offer.pk, "region": scope.region_id and scope.region.name}
        given = {k: v for k, v in {**base, **params}.items() if v is not None and v is not False}
        if list_name != "eligibility":
            given = {k: v for k, v in given.items() if v != ""}
        if list_name not in self.addresses:
            self.addresses[list_name] = reverse(LIST_URLS[list_name])
        return self.addresses[list_name] + "?" + urlencode(given)


def _money(value: Decimal) -> str:
    from portal.text import money

    return money(value)


def _days(value: Decimal) -> str:
    from portal.text import days

    return days(value)


def funnel_chart(figures: dict, links: Links) -> Chart:
    return Chart(
        "Schools and trusts at each stage",
        [
            Figure(
                FUNNEL_LABELS[stage],
                figures[stage],
                links.url("eligibility", status="all", reached=stage),
            )
            for stage in FUNNEL_STAGES
        ],
        heading="Schools and trusts",
        id="funnel",
    )


def state_chart(title: str, resource: str, counts: dict, links: Links, chart_id: str) -> Chart:
    labels = STATE_LABELS[resource]
    return Chart(
        title,
        [Figure(labels[s], n, links.url(resource, state=s)) for s, n in counts.items()],
        id=chart_id,
    )


def overdue_rows(rows: list[dict], links: Links) -> list[dict]:
    """Overdue work by responsible partner: one row per resource and state."""
    result = []
    for row in rows:
        role = Role(row["responsible"]).label if row["responsible"] else "Nobody"
        result.append(
            {
                "responsible": role,
                "resource": RESOURCE_LABELS[row["resource"]],
                "state": STATE_LABELS[row["resource"]].get(row["state"], row["state"]),
                "figure": Figure(
                    "Overdue",
                    row["count"],
                    links.url(row["resource"], state=row["state"], overdue="true"),
                ),
            }
        )
    return sorted(result, key=lambda r: (r["responsible"], r["resource"], r["state"]))


def days_figures(figures: dict, links: Links) -> list[Figure]:
    return [
        Figure(
            "Committed (deployments not withdrawn)",
            figures["committed"],
            links.url("deployment", open="true"),
            _days(figures["committed"]),
        ),
        Figure(
            "Logged in activity logs",
            figures["logged"],
            links.url("deployment"),
            _days(figures["logged"]),
        ),
        Figure("Claimed", figures["claimed"], links.url("claim"), _days(figures["claimed"])),
    ]


def spend_figures(figures: dict, links: Links) -> list[Figure]:
    return [
        Figure(
            "Committed",
            figures["committed"],
            links.url("deployment", open="true"),
            _money(figures["committed"]),
        ),
        Figure("Claimed", figures["claimed"], links.url("claim"), _money(figures["claimed"])),
        Figure(
            "Approved, not yet paid",
            figures["approved"],
            links.url("claim", state="approved"),
            _money(figures["approved"]),
        ),
        Figure("Paid", figures["paid"], links.url("claim", state="paid"), _money(figures["paid"])),
    ]


def enhanced_rows(figures: dict, links: Links) -> dict:
    kinds = dict(EnhancedRequest.Kind.choices)
    states = EnhancedRequest.State.choices
    return {
        "states": [label for _, label in states],
        "rows": [
            {
                "kind": kinds[kind],
                "figures": [
                    Figure(label, counts[s], links.url("enhanced_request", kind=kind, state=s))
                    for s, label in states
                ],
            }
            for kind, counts in figures.items()
        ],
    }


def focus_chart(figures: dict, links: Links) -> Chart:
    labels = dict(FocusArea.choices)
    chosen = sorted(figures.items(), key=lambda kv: (-kv[1], labels[kv[0]]))
    return Chart(
        "Focus areas chosen in completed scopes",
        [Figure(labels[k], n, links.url("deployment", focus_area=k)) for k, n in chosen],
        heading="Deployments",
        id="focus-areas",
    )


def programme_figures(rows: list[dict], links: Links) -> list[Figure]:
    return [
        Figure(r["name"], r["count"], links.url("deployment", programme=r["slug"])) for r in rows
    ]


def eligibility_figures(breakdown: dict, links: Links) -> dict:
    criteria = dict(Criterion.choices)
    return {
        "criteria": [
            Figure(criteria.get(c, c), n, links.url("eligibility", criterion=c))
            for c, n in sorted(breakdown["criteria"].items())
        ],
        "run_lengths": [
            Figure(
                f"{length} inspections in a row",
                n,
                links.url("eligibility", run_length=length),
            )
            for length, n in breakdown["run_lengths"]
        ],
    }


def region_rows(rows: list[dict], england: Links, user, regions: list[Region]) -> list[dict]:
    """England's table: each region side by side, linking to its own dashboard."""
    by_name = {r.name: r for r in regions}
    all_regions = {r.pk for r in regions}
    offer = england.scope.offer
    dashboard_url = reverse("deployments:dashboard")
    result = []
    for row in rows:
        region = by_name[row["region"]]
        links = Links(user, DashboardScope(offer, region), all_regions, england.addresses)
        query = urlencode({"offer": offer.pk, "region": row["region"]})
        result.append(
            {
                "region": row["region"],
                "href": dashboard_url + "?" + query,
                "funnel": funnel_chart(row["funnel"], links).figures,
                "days": days_figures(row["days"], links),
                "spend": spend_figures(row["spend"], links),
            }
        )
    return result


# The lists a role may read that the service navigation does not name: each
# (words, URL name, query, permission, the roles it is for: None for every role
# holding the permission). The dashboard links those the user may read.
OVERSEERS = (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP, Role.ADMIN)
WORK_LISTS = (
    (
        "Outcomes: did the supported schools improve at their next inspection?",
        "oversight-outcomes",
        {},
        "deployments.open_oversight",
    ),
    (
        "Forecast: next year's demand against system leaders' days",
        "oversight-forecast",
        {},
        "deployments.open_oversight",
    ),
    (
        "Enhanced support requests waiting for a DfE decision",
        "deployments:enhanced-request-list",
        {"state": "with_dfe"},
        VIEW_DEPLOYMENT,
        OVERSEERS,
    ),
    ("Enhanced support requests", "deployments:enhanced-request-list", {}, VIEW_DEPLOYMENT),
    (
        "Overdue support cases by region",
        "deployments:case-overdue",
        {},
        "deployments.view_overdue_cases",
    ),
    (
        "Overdue deployments",
        "deployments:deployment-list",
        {"overdue": "true"},
        VIEW_DEPLOYMENT,
        OVERSEERS,
    ),
    (
        "Deployments with a delay reported",
        "deployments:deployment-list",
        {"delayed": "true"},
        VIEW_DEPLOYMENT,
        OVERSEERS,
    ),
    ("Case studies", "deployments:case-study-list", {}, "deployments.view_case_study"),
    ("Programmes (Annex A)", "deployments:programme-list", {}, "deployments.read_programmes"),
    ("Pupil and Parent Guarantees reports", "guarantees:reports", {}, "guarantees.view_reports"),
    ("Spend", "deployments:spend", {}, "deployments.view_spend"),
)


def work_lists(user) -> list[dict]:
    """The lists named in WORK_LISTS this user may read (addresses by URL name)."""
    found = []
    for text, url_name, query, permission, *roles in WORK_LISTS:
        if not user.has_perm(permission):
            continue
        if roles and user.role not in roles[0] and not user.is_superuser:
            continue
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue
        found.append({"text": text, "href": href + ("?" + urlencode(query) if query else "")})
    return found


def dashboard_context(user, scope: DashboardScope) -> dict:
    """Everything the England or region page shows."""
    regions = scope.all_regions()
    figures = selectors.dashboard(scope, programmes=selectors.programme_catalogue())
    links = Links(user, scope, {r.pk for r in regions})
    context = {
        "scope": scope,
        "all_regions": regions,
        "funnel": funnel_chart(figures["funnel"], links),
        "cases": state_chart(
            "Support cases by state",
            "support_case",
            figures["support_cases_by_state"],
            links,
            "cases",
        ),
        "deployments": state_chart(
            "Deployments by state",
            "deployment",
            figures["deployments_by_state"],
            links,
            "deployments",
        ),
        "overdue": overdue_rows(figures["overdue"], links),
        "delayed": Figure(
            "Open deployments with a delay reported",
            figures["delayed"],
            links.url("deployment", delayed="true"),
        ),
        "days": days_figures(figures["days"], links),
        "show_spend": user.is_superuser or user.role in DFE_ROLES,
        "spend": spend_figures(figures["spend"], links),
        "enhanced": enhanced_rows(figures["enhanced"], links),
        "focus_areas": focus_chart(figures["focus_areas"], links),
        "programmes": programme_figures(figures["programmes"], links),
        "eligibility": eligibility_figures(selectors.eligibility_breakdown(scope), links),
        "work_lists": work_lists(user),
        "by_region": region_rows(figures["by_region"], links, user, regions)
        if figures["by_region"] is not None
        else None,
    }
    return context
