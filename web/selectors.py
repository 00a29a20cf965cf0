"""Reads for the home page and navigation."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from portal import scoping
from portal.jobs import job_list_for
from portal.models import Role, User
from portal.workflow_spec import workflow_specs


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: str | None = None


# Shown when the user holds the permission and the page exists.
NAVIGATION = (
    NavItem("Home", "home"),
    NavItem("Dashboard", "deployments:dashboard", "deployments.open_oversight"),
    NavItem("Your dashboard", "deployments:my-dashboard", "deployments.view_own_dashboard"),
    NavItem("Schools", "schools:school-list", "schools.view_register"),
    NavItem("Trusts", "schools:trust-list", "schools.view_register"),
    NavItem("Eligibility", "deployments:eligibility-list", "deployments.view_eligibility"),
    NavItem("Support cases", "deployments:case-list", "deployments.view_support_case"),
    NavItem("Deployments", "deployments:deployment-list", "deployments.read_deployment"),
    NavItem("Imports", "schools:import-list", "schools.import_data"),
    NavItem("System leaders", "deployments:leader-list", "deployments.browse_system_leaders"),
    NavItem("My profile", "deployments:my-profile", "deployments.edit_own_system_leader_profile"),
    NavItem("Users", "users:user-list", "portal.manage_users"),
    NavItem("Claims", "deployments:claim-list", "deployments.read_claim"),
    NavItem("Payment runs", "deployments:payment-run-list", "deployments.view_payment_run"),
    NavItem("Spend", "deployments:spend", "deployments.view_spend"),
    NavItem("Complaints", "guarantees:complaint-list", "guarantees.read_complaint"),
    NavItem("Admin", "admin:index", "portal.use_admin"),
)
# The API documentation is linked from every page's footer (templates/base.html).
# The other lists a role may read (enhanced requests, overdue and delayed work,
# case studies, programmes, Guarantees reports) are linked from its dashboard
# (deployments.oversight.dashboard.WORK_LISTS).


def navigation_for(user: User, current_path: str) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"href": href, "text": item.text, "active": False})
    # The item whose address is the longest prefix of the current path is active,
    # so /schools/trusts/ marks "Trusts", not "Schools".
    matches = [
        i
        for i in items
        if current_path == i["href"] or (i["href"] != "/" and current_path.startswith(i["href"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["href"]))["active"] = True
    return items


@dataclass
class QueueSection:
    title: str
    empty_text: str
    rows: list = field(default_factory=list)
    link: str = ""
    link_text: str = ""


# Each role's work queue, in the order shown; an empty section says what will
# appear there. The workflow sections' rows come from the workflows' tables.
_QUEUES = {
    Role.REGIONS_STAFF: [
        ("Support cases waiting for you", "No support cases are waiting for you."),
        ("Eligible schools and trusts to review", "No schools or trusts are waiting for review."),
        ("Requests for support by exception to decide", "No requests are waiting for a decision."),
        ("Enhanced support requests to decide", "No enhanced support requests are waiting."),
        ("Delayed deployments", "No system leader has reported a delay."),
        ("Guarantee complaints to follow up", "No complaints are waiting for you."),
    ],
    Role.REGIONAL_DIRECTOR: [
        ("Matches to approve", "No matches are waiting for approval."),
        ("Schools to assess for immediate support", "No schools are waiting for assessment."),
    ],
    Role.RDP: [
        ("Support cases waiting for you", "No support cases are waiting for you."),
        ("Schools to broker a system leader for", "No schools are waiting for brokering."),
        ("Deployment forms to quality-assure", "No deployment forms are waiting for you."),
        ("Enhanced support requests to review", "No enhanced support requests are waiting."),
    ],
    Role.SYSTEM_LEADER: [
        ("Requests to answer", "You have no requests waiting for your answer."),
        ("Deployment forms in progress", "You have no deployment forms in progress."),
        ("Payment claims to answer", "No payment claims are waiting for your answer."),
    ],
    Role.SCHOOL_CONTACT: [
        ("Your support", "There is no support case for your school or trust yet."),
        ("Reports to sign off", "There are no reports waiting for your sign-off."),
        ("Guarantee complaints to answer", "No complaints are waiting for your answer."),
    ],
    Role.FINANCE: [
        ("Payment claims to review", "No payment claims are waiting for review."),
        ("Approved claims to pay", "No approved claim is waiting to be paid."),
    ],
    Role.ADMIN: [
        ("Recent imports and recomputes", "No imports or recomputes have run yet."),
    ],
}


def home_queue_for(user: User) -> list[QueueSection]:
    sections = {title: QueueSection(title, empty) for title, empty in _QUEUES.get(user.role, [])}
    if user.role == Role.ADMIN:
        sections["Recent imports and recomputes"].rows = [
            {"text": str(job), "href": reverse("job-detail", args=[job.pk])}
            for job in job_list_for(user)[:5]
        ]
    regional = {Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP}
    if user.role in regional and user.region_ids:
        _fill_eligibility_rows(user, sections)
    if user.role == Role.FINANCE:
        _fill_payment_rows(sections)
    _fill_workflow_rows(user, sections)
    return list(sections.values())


def _fill_payment_rows(sections: dict[str, QueueSection]) -> None:
    """Approved claims wait for a payment run, which no workflow table has:
    one row, their count and total, leading to the run's check-your-answers page."""
    from deployments.claims.selectors import payment_run_preview
    from portal.text import counted, money

    preview = payment_run_preview()
    if preview["claims"]:
        sections["Approved claims to pay"].rows = [
            {
                "text": f"{counted(preview['claims'], 'approved claim', 'approved claims')}, "
                f"{money(preview['total'])}: start a payment run",
                "href": reverse("deployments:payment-run-confirm"),
            }
        ]


def _fill_workflow_rows(user: User, sections: dict[str, QueueSection]) -> None:
    """Each workflow's records whose step is this user's role's, by its table:
    the states come from the table, the rows from the workflow's selector."""
    from django.utils.module_loading import import_string

    for spec in workflow_specs().values():
        title = spec.home_sections.get(user.role)
        states = spec.states_waiting_for(user.role)
        if not title or not spec.home_rows:
            continue
        if not states and user.role not in spec.home_watching:
            continue
        section = sections.setdefault(title, QueueSection(title, "Nothing is waiting for you."))
        found = import_string(spec.home_rows)(user, states, HOME_ROWS)
        section.rows = found["rows"]
        section.link = found.get("link", "")
        section.link_text = found.get("link_text", "")


HOME_ROWS = 10


def _fill_eligibility_rows(user: User, sections: dict[str, QueueSection]) -> None:
    """Eligible schools and pending exception requests in the user's regions."""
    from django.db.models import Exists, OuterRef

    from deployments.matching.models import SupportCase
    from deployments.selectors import assessment_list

    # Only schools and trusts no case covers yet (a withdrawn case leaves them to
    # broker again). The rows name the school or trust only.
    live_case = SupportCase.objects.filter(eligibility=OuterRef("pk")).exclude(
        state=SupportCase.State.WITHDRAWN
    )
    eligible = (
        assessment_list(filters={})
        .filter(scoping.in_users_regions_q(user))
        .exclude(Exists(live_case))
        .select_related(None)
        .select_related("school", "trust")
    )
    rows = [
        {
            "text": f"{a.school or a.trust}: {a.get_criterion_display()}",
            "href": (
                reverse("deployments:school-eligibility", args=[a.school.urn])
                if a.school
                else reverse("deployments:trust-eligibility", args=[a.trust.uid])
            ),
        }
        for a in eligible[:HOME_ROWS]
    ]
    for title in (
        "Eligible schools and trusts to review",
        "Schools to assess for immediate support",
        "Schools to broker a system leader for",
    ):
        if title in sections:
            sections[title].rows = rows
            sections[title].link = reverse("deployments:eligibility-list")
            sections[title].link_text = "See every eligible school and trust"
