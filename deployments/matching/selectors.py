"""Reads for support cases: who sees which cases, filters, the step timeline
and whose move it is."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from deployments.matching.models import WORKFLOW, SupportCase
from portal import scoping
from portal.models import Role, User

State = SupportCase.State

REGIONAL_ROLES = (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP)


def support_case_base() -> QuerySet[SupportCase]:
    """Every case with what lists and pages show: the target and region joined, the
    people and the deployment prefetched. PostgreSQL's planning time grows steeply with
    the joins: with all of them joined it spent 3-6 ms planning a 0.3 ms query."""
    return SupportCase.objects.select_related(
        "offer", "region", "school", "school__trust", "trust"
    ).prefetch_related("owner", "system_leader__user", "deployments")


def _contact_filter(user: User) -> Q:
    """`rules.is_cases_contact` as a query: acts for the school or trust, once contacted."""
    return scoping.acts_for_q(user) & Q(school_contacted_on__isnull=False)


def support_case_visible_to(user: User) -> QuerySet[SupportCase]:
    """The cases a user may see: Regions Group staff, Regional Directors and
    RDPs of the region; the system leader once asked; the school's or trust's
    contact once contacted; Admin all; anyone else (finance) none. The same
    answer as the `deployments.view_support_case` rule, as a query."""
    qs = support_case_base()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return qs
    if user.role in REGIONAL_ROLES:
        return qs.filter(scoping.in_users_regions_q(user))
    if user.role == Role.SYSTEM_LEADER:
        return qs.filter(system_leader__user=user, leader_asked_on__isnull=False)
    if user.role == Role.SCHOOL_CONTACT:
        return qs.filter(_contact_filter(user))
    return qs.none()


def with_watching(qs: QuerySet[SupportCase], user: User) -> QuerySet[SupportCase]:
    through = SupportCase.watchers.through
    return qs.annotate(
        watching=Exists(through.objects.filter(supportcase_id=OuterRef("pk"), user_id=user.pk))
    )


def support_case_list(user: User) -> QuerySet[SupportCase]:
    """The cases this user may see, with `watching`: the queryset the list's
    filters (deployments.matching.filters.SupportCaseFilterSet) narrow."""
    return with_watching(support_case_visible_to(user), user)


def overdue_q(today: dt.date) -> Q:
    """Overdue: past the due date in a state where someone must act (the table)."""
    return WORKFLOW.overdue_q(today)


def overdue_first(qs: QuerySet[SupportCase], today: dt.date | None = None):
    """Overdue first, then by due date (none last), then oldest."""
    today = today or timezone.localdate()
    return qs.annotate(
        overdue_rank=Case(
            When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("overdue_rank", "due_on", "opened_at", "id")


def support_case_overdue_by_region(user: User, today: dt.date | None = None) -> list[tuple]:
    """[(region, [cases])] of the overdue cases in the user's regions."""
    today = today or timezone.localdate()
    qs = overdue_first(
        support_case_visible_to(user).filter(overdue_q(today), scoping.in_users_regions_q(user)),
        today,
    ).order_by("region__name", "due_on", "id")
    grouped: dict = {}
    for case in qs:
        grouped.setdefault(case.region, []).append(case)
    return list(grouped.items())


def home_rows(user: User, states, limit: int) -> dict:
    """The home page's support-case rows: the cases in `states` (the table's
    states waiting for this user's role) that the user sees, overdue first; a
    school or trust contact sees every case about it and what happens next,
    its own turn marked."""
    from django.urls import reverse

    today = timezone.localdate()
    waiting = overdue_first(support_case_visible_to(user).filter(state__in=states), today)
    if user.role == Role.SCHOOL_CONTACT:
        cases = overdue_first(support_case_visible_to(user), today)
        mine = set(waiting.values_list("pk", flat=True))
    else:
        cases = waiting
        mine = None
    # The rows name the school or trust only.
    cases = cases.select_related(None).select_related("school", "trust").prefetch_related(None)
    if mine is not None:
        cases = cases.prefetch_related("deployments__claims")
    rows = []
    for case in cases[:limit]:
        waiting = mine is None or case.pk in mine
        if waiting:
            step = WORKFLOW.step(case.state)
            text = f"{case.target.name}: {step.queue_label or case.get_state_display()}"
        else:
            text = f"{case.target.name}: {_case_progress(case)}"
            if case.state in SupportCase.OPEN_STATES:
                text += f" (next: {next_step(case).lower()})"
        deployment = _issued_deployment(case)
        rows.append(
            {
                "text": text,
                "href": reverse("deployments:deployment-detail", args=[deployment.pk])
                if deployment is not None and mine is not None and not waiting
                else reverse("deployments:case-detail", args=[case.pk]),
                "due_on": case.due_on if waiting and case.is_open else None,
                "overdue": waiting and case.is_overdue(today),
                "yours": waiting and mine is not None,
                "waiting": waiting,
            }
        )
    return {
        "rows": rows,
        "link": reverse("deployments:case-list"),
        "link_text": "See every support case",
    }


NEXT_STEP = {
    State.IDENTIFIED: "Regions Group staff propose a system leader",
    State.WITH_RDP: "The RDP contacts the school or trust",
    State.SCHOOL_ENGAGEMENT: "The school or trust confirms it will take part",
    State.SYSTEM_LEADER_CHECK: "The system leader confirms they can support",
    State.MATCH_CONFIRMATION: "The school or trust accepts the proposed system leader",
    State.CONCERN: "Regions Group staff answer the school's concern",
    State.DIRECTOR_APPROVAL: "The Regional Director approves the match",
    State.APPROVED: "The RDP issues the deployment",
}


def _issued_deployment(case: SupportCase):
    """The case's current deployment once one is issued (SupportCase.deployment)."""
    return case.deployment if case.state == SupportCase.State.DEPLOYMENT_ISSUED else None


def _case_progress(case: SupportCase) -> str:
    """A case's state as its school reads it on the home page: once the
    deployment is issued, where the deployment is (closed, and paid), not the
    case's last step."""
    deployment = _issued_deployment(case)
    if deployment is None:
        return case.get_state_display()
    if deployment.state == deployment.State.CLOSED:
        paid = any(c.state == c.State.PAID for c in deployment.claims.all())
        closed_on = f" on {deployment.closed_on:%-d %B %Y}" if deployment.closed_on else ""
        paid = ", the system leader's claim paid" if paid else ""
        return f"Support finished: deployment closed{closed_on}{paid}"
    return f"Deployment under way ({deployment.get_state_display().lower()})"


def next_step(case: SupportCase, user: User | None = None) -> str:
    """What happens next, in words: to the one whose move it is, the table's
    second-person words ("Propose a system leader"); to anyone else, who does what."""
    step = WORKFLOW.step(case.state)
    if user is not None and step.actor is not None and step.queue_label:
        if step.actor.role == user.role:
            return step.queue_label
    return NEXT_STEP.get(case.state, "")


@dataclass
class StepRow:
    label: str
    who: str
    status: str  # "done", "current", "to_come"
    done_at: dt.datetime | None = None
    done_by: str = ""
    due_on: dt.date | None = None
    overdue: bool = False


# The path from identified to deployment issued: (state, label, who, completing transitions).
PATH = (
    (State.IDENTIFIED, "Propose a system leader", "Regions Group staff", ("propose",)),
    (State.WITH_RDP, "Contact the school or trust", "RDP", ("rdp_contacts_school",)),
    (
        State.SCHOOL_ENGAGEMENT,
        "Confirm taking part",
        "School or trust",
        ("school_confirms",),
    ),
    (
        State.SYSTEM_LEADER_CHECK,
        "Confirm ability to support",
        "System leader",
        ("system_leader_accepts",),
    ),
    (
        State.MATCH_CONFIRMATION,
        "Accept the proposed system leader",
        "School or trust",
        ("school_accepts_match", "concern_answered"),
    ),
    (
        State.DIRECTOR_APPROVAL,
        "Approve the match",
        "Regional Director",
        ("director_approves",),
    ),
    (State.APPROVED, "Issue the deployment", "RDP", ("issue_deployment",)),
)
PATH_INDEX = {state: i for i, (state, *_rest) in enumerate(PATH)}
PATH_INDEX[State.CONCERN] = PATH_INDEX[State.MATCH_CONFIRMATION]
PATH_INDEX[State.DEPLOYMENT_ISSUED] = len(PATH)


def case_steps(case: SupportCase, events, today: dt.date | None = None) -> list[StepRow]:
    """The due-and-done timeline: each step of the path with when it was done
    (the last time), the current step with its due date, and the steps to come."""
    today = today or timezone.localdate()
    last_done = {}
    for event in events:
        last_done[event.name] = event
    current = PATH_INDEX.get(case.state)
    rows = []
    for i, (_state, label, who, names) in enumerate(PATH):
        done = [last_done[n] for n in names if n in last_done]
        event = max(done, key=lambda e: (e.at, e.id)) if done else None
        if current is not None and i < current:
            status = "done"
        elif current is not None and i == current:
            status = "current"
        else:
            status = "done" if event and current is None else "to_come"
        row = StepRow(label=label, who=who, status=status)
        if status == "done" and event:
            row.done_at, row.done_by = event.at, event.by_name
        if status == "current":
            row.due_on = case.due_on
            row.overdue = bool(case.due_on and case.due_on < today)
        rows.append(row)
    return rows


def leader_request_facts(case: SupportCase) -> list[tuple[str, str]]:
    """What a system leader needs in view before accepting a request: the school
    (head, address, phase, pupils, latest inspection), how far it is from them, the
    offer's days and the timing. Label and text pairs, for a GOV.UK summary list."""
    from deployments.matching.ranking import leader_miles_to_case, miles_sentence
    from portal.emails import govuk_date
    from portal.text import counted, days, money
    from schools.models import OfstedInspection

    target, offer = case.target, case.offer
    rows = [("School or trust", f"{target.name} ({target.urn if case.school_id else target.uid})")]
    if case.school_id:
        school = case.school
        address = ", ".join(
            p for p in (school.street, school.locality, school.town, school.postcode) if p
        )
        rows += [
            ("Headteacher", school.headteacher or "Not in the register"),
            ("Address", address or "Not in the register"),
            ("Phase", school.phase or "Not in the register"),
            (
                "Pupils",
                counted(school.number_of_pupils, "pupil", "pupils")
                if school.number_of_pupils is not None
                else "Not in the register",
            ),
        ]
    else:
        rows.append(("Chief executive", target.head_of_group or "Not in the register"))
    assessment = case.eligibility
    if assessment.latest_inspection_date:
        grade = (
            OfstedInspection.Grade(assessment.latest_grade).label
            if assessment.latest_grade
            else "no overall grade"
        )
        inspected = f"{grade}, {govuk_date(assessment.latest_inspection_date)}"
    else:
        inspected = "No inspection on record"
    rows.append(("Latest inspection", inspected))
    if case.system_leader_id:
        rows.append(("Distance from you", miles_sentence(leader_miles_to_case(case))))
    core = case_core_days(case)
    rows += [
        (
            "Days",
            f"{days(core)} days at {money(offer.day_rate)} a day "
            f"(including VAT and expenses), {money(core * offer.day_rate)} in all",
        ),
        (
            "Timing",
            "The deployment is issued once the school accepts you and the Regional "
            f"Director approves; the work is done by {govuk_date(offer.ends_on)}.",
        ),
    ]
    return rows


def case_decision_facts(case: SupportCase) -> list[tuple[str, str]]:
    """The match a Regional Director approves or an RDP issues, as check-your-answers rows."""
    from portal.text import days, money

    target, offer, leader = case.target, case.offer, case.system_leader
    rows = [
        ("School or trust", f"{target.name} ({target.urn if case.school_id else target.uid})"),
        ("Region", case.region.name if case.region_id else "Not known"),
    ]
    if leader is not None:
        base = leader.trust or leader.school
        rows.append(
            (
                "System leader",
                f"{leader.user.full_name}, {leader.get_kind_display()}"
                + (f" ({base})" if base else ""),
            )
        )
    core = case_core_days(case)
    rows.append(
        (
            "Core days",
            f"{days(core)} days at {money(offer.day_rate)} a day, "
            f"{money(core * offer.day_rate)} in all ({offer.academic_year} offer)",
        )
    )
    return rows


def track_record(candidate) -> str:
    """A candidate's track record as the candidates page shows it: a MAT CEO's
    trust's Ofsted profile, an NLE's own school's latest graded judgement."""
    from portal.emails import govuk_date
    from schools.models import OfstedInspection

    leader = candidate.system_leader
    profile, judgement = candidate.trust_profile, candidate.school_judgement
    if leader.kind == leader.Kind.MAT_CEO:
        name = leader.trust.name if leader.trust_id else "Their trust"
        if profile is None or not profile.schools:
            return f"{name}: no open schools in the register"
        if not profile.graded:
            return f"{name}: none of its {profile.schools} schools has a graded inspection"
        text = (
            f"{name}: {profile.good_or_outstanding} of {profile.graded} graded schools "
            f"Good or Outstanding ({profile.share}%)"
        )
        ungraded = profile.schools - profile.graded
        return text + (f"; {ungraded} not yet graded" if ungraded else "")
    if judgement is None:
        return ""
    if not judgement["latest_grade"]:
        return f"{judgement['name']}: no graded inspection"
    grade = OfstedInspection.Grade(judgement["latest_grade"]).label
    return f"{judgement['name']}: {grade} ({govuk_date(judgement['latest_graded_on'])})"


def trust_open_cases(case: SupportCase) -> QuerySet[SupportCase]:
    """The other open support cases of the case's trust (the trust's own, or any
    of its schools'), oldest first. "Open": the case is still being matched, or
    its deployment was issued and is still open (support under way)."""
    trust_id = case.trust_id or (case.school.trust_id if case.school_id else None)
    return trust_open_cases_for(trust_id).exclude(pk=case.pk)


def trust_open_cases_for(trust_id) -> QuerySet[SupportCase]:
    """Every open support case of a trust (see `trust_open_cases`); none without a trust."""
    from deployments.delivery.models import Deployment

    if not trust_id:
        return SupportCase.objects.none()
    is_open = Q(state__in=SupportCase.OPEN_STATES) | Q(
        state=State.DEPLOYMENT_ISSUED, deployments__state__in=Deployment.OPEN_STATES
    )
    return (
        SupportCase.objects.filter(Q(trust_id=trust_id) | Q(school__trust_id=trust_id))
        .filter(is_open)
        .select_related("school", "trust", "region")
        .order_by("opened_at", "id")
    )


def case_core_days(case: SupportCase):
    """The core days the case's next deployment gets: the offer's, less the
    days logged on its earlier (withdrawn) deployments (as
    `deployments.delivery.services.deployment_create_for_case` sets them)."""
    return case.offer.core_days_after(case.earlier_days_logged())
