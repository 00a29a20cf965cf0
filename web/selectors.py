"""Reads for the home page and navigation."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from portal import scoping
from portal.jobs import job_list_for
from portal.models import Role, User


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: str | None = None


# Shown when the user holds the permission and the page exists.
NAVIGATION = (
    NavItem("Home", "home"),
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


# Each role's work queue. Later features add rows; an empty section says what
# will appear there.
_QUEUES = {
    Role.REGIONS_STAFF: [
        ("Support cases waiting for you", "No support cases are waiting for you."),
        ("Eligible schools and trusts to review", "No schools or trusts are waiting for review."),
        ("Requests for support by exception to decide", "No requests are waiting for a decision."),
    ],
    Role.REGIONAL_DIRECTOR: [
        ("Matches to approve", "No matches are waiting for approval."),
        ("Schools to assess for immediate support", "No schools are waiting for assessment."),
    ],
    Role.RDP: [
        ("Support cases waiting for you", "No support cases are waiting for you."),
        ("Schools to broker a system leader for", "No schools are waiting for brokering."),
        ("Deployment forms to quality-assure", "No deployment forms are waiting for you."),
    ],
    Role.SYSTEM_LEADER: [
        ("Requests to answer", "You have no requests waiting for your answer."),
        ("Deployment forms in progress", "You have no deployment forms in progress."),
    ],
    Role.SCHOOL_CONTACT: [
        ("Your support", "There is no support case for your school or trust yet."),
        ("Reports to sign off", "There are no reports waiting for your sign-off."),
    ],
    Role.FINANCE: [
        ("Payment claims to review", "No payment claims are waiting for review."),
    ],
    Role.ADMIN: [
        ("Recent imports and recomputes", "No imports or recomputes have run yet."),
    ],
}

# The queue section that lists the support cases waiting for each role.
_CASE_QUEUE = {
    Role.REGIONS_STAFF: "Support cases waiting for you",
    Role.REGIONAL_DIRECTOR: "Matches to approve",
    Role.RDP: "Support cases waiting for you",
    Role.SYSTEM_LEADER: "Requests to answer",
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
    _fill_case_rows(user, sections)
    _fill_deployment_rows(user, sections)
    if user.role == Role.FINANCE:
        _fill_claim_rows(user, sections)
    return list(sections.values())


# The queue section that lists the deployments waiting for each role.
_DEPLOYMENT_QUEUE = {
    Role.SYSTEM_LEADER: "Deployment forms in progress",
    Role.SCHOOL_CONTACT: "Reports to sign off",
    Role.RDP: "Deployment forms to quality-assure",
}


def _fill_deployment_rows(user: User, sections: dict[str, QueueSection]) -> None:
    """Deployment forms whose next step is this user's, due first."""
    title = _DEPLOYMENT_QUEUE.get(user.role)
    if title is None:
        return
    from django.utils import timezone

    from deployments.delivery.selectors import deployments_waiting_for

    today = timezone.localdate()
    sections[title].rows = [
        {
            "text": f"{d.target.name}: {d.get_state_display()}",
            "href": reverse("deployments:deployment-detail", args=[d.pk]),
            "due_on": d.due_on,
            "overdue": bool(d.due_on and d.due_on < today),
        }
        for d in deployments_waiting_for(user)[:HOME_ROWS]
    ]


def _fill_case_rows(user: User, sections: dict[str, QueueSection]) -> None:
    """The support cases where this user can take the next step, overdue first;
    a school or trust contact sees every case about it and what happens next."""
    from django.utils import timezone

    from deployments.matching.models import SupportCase
    from deployments.matching.selectors import (
        next_step,
        overdue_first,
        support_case_visible_to,
        waiting_for,
    )

    today = timezone.localdate()
    if user.role == Role.SCHOOL_CONTACT:
        title = "Your support"
        cases = overdue_first(support_case_visible_to(user), today)
        mine = set(waiting_for(user, today).values_list("pk", flat=True))
    elif user.role in _CASE_QUEUE:
        title = _CASE_QUEUE[user.role]
        cases = waiting_for(user, today)
        mine = None
    else:
        return
    # The rows name the school or trust only.
    cases = cases.select_related(None).select_related("school", "trust").prefetch_related(None)
    cases = cases[:HOME_ROWS]
    rows = []
    for case in cases:
        waiting = mine is None or case.pk in mine
        if waiting:
            text = f"{case.target.name}: {next_step(case) or case.get_state_display()}"
        else:
            text = f"{case.target.name}: {case.get_state_display()}"
            if case.state in SupportCase.OPEN_STATES:
                text += f" (next: {next_step(case).lower()})"
        rows.append(
            {
                "text": text,
                "href": reverse("deployments:case-detail", args=[case.pk]),
                "due_on": case.due_on if waiting and case.is_open else None,
                "overdue": bool(waiting and case.is_open and case.due_on and case.due_on < today),
                "yours": waiting and mine is not None,
            }
        )
    sections[title].rows = rows
    sections[title].link = reverse("deployments:case-list")
    sections[title].link_text = "See every support case"


def _fill_claim_rows(user: User, sections: dict[str, QueueSection]) -> None:
    """DfE finance: claims pending review, oldest first."""
    from deployments.claims.selectors import claims_pending_review

    section = sections["Payment claims to review"]
    section.rows = [
        {
            "text": f"{c.reference}: {c.deployment.target}, £{c.amount:,}"
            + (f" ({len(c.flags)} flag{'s' if len(c.flags) != 1 else ''})" if c.flags else ""),
            "href": reverse("deployments:claim-detail", args=[c.pk]),
        }
        for c in claims_pending_review(user, limit=HOME_ROWS)
    ]
    section.link = reverse("deployments:claim-list") + "?state=pending_review"
    section.link_text = "See every claim waiting for review"


HOME_ROWS = 10


def _fill_eligibility_rows(user: User, sections: dict[str, QueueSection]) -> None:
    """Eligible schools and pending exception requests in the user's regions."""
    from deployments.selectors import assessment_list, exception_request_list_for

    # The rows name the school or trust only: fewer joins, less planning time.
    eligible = (
        assessment_list(filters={})
        .filter(scoping.in_users_regions_q(user))
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
    if "Requests for support by exception to decide" in sections:
        pending = (
            exception_request_list_for(user, status="pending")
            .select_related(None)
            .select_related("school", "trust")[:HOME_ROWS]
        )
        sections["Requests for support by exception to decide"].rows = [
            {
                "text": f"Support by exception: {exception_request.target}",
                "href": reverse("deployments:exception-detail", args=[exception_request.pk]),
            }
            for exception_request in pending
        ]
