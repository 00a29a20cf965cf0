"""Writes for support cases: one service per transition, plus opening a case,
changing its owner, the watchlist and the morning overdue run.

Each transition service checks the contract's order first (403, then 409, via
`transition_check`), then its own fields (400), then runs the transition with
`transition_run` (locked, recorded in the timeline), which sets the next step's
working-day deadline and queues the hand-off e-mail from the case's table
(`deployments.matching.models.WORKFLOW`); the services add only the e-mails
that are not a state's hand-off (declines, rejections, withdrawals). E-mails
leave only when the transaction commits."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from deployments.matching.models import WORKFLOW, SupportCase
from deployments.models import EligibilityAssessment, SystemLeader
from portal.emails import email_context, email_link, govuk_date
from portal.models import Role, User
from portal.notify import email_queue
from portal.scoping import contacts_of
from portal.workflow import WorkflowConflict, timeline_record, transition_check, transition_run
from portal.workflow_spec import Party, party_users, workflow_due_on
from schools.models import School, Trust

State = SupportCase.State

NOT_ELIGIBLE = "This school or trust is not currently eligible, so a case cannot be opened."
NO_REGION = "This eligibility record has no region, so no regional team can own a case."
CASE_EXISTS = "There is already a support case for this {kind} and offer: {state}."
LEADER_DECLINED = "This system leader has already declined this case."
LEADER_WITHDREW = (
    "This system leader withdrew from this case's deployment: they cannot be proposed again."
)
OVERRIDE_NEEDED = (
    "Give a reason for proposing a system leader who is not in the ranked list of candidates."
)
OWNER_NOT_STAFF = "The owner must be a member of Regions Group staff in this case's region."
LA_CONTACTED_CLOSED = "The LA or diocese is recorded as contacted while the case is open."
LA_CONTACTED_CHOICE = "Select who you contacted: the local authority, the diocese or both."
REQUIRED = {
    "reason": "Give a reason.",
    "concern": "Describe the concern.",
    "rationale": "Give the rationale for the decision.",
}


# ---------------------------------------------------------------- helpers


def _today() -> dt.date:
    return timezone.localdate()


def _long(day: dt.date | None) -> str:
    return govuk_date(day)


def _require(field: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: REQUIRED[field]})
    return value


def _url(path: str) -> str:
    return email_link(path)


def case_url(case: SupportCase) -> str:
    return _url(reverse("deployments:case-detail", args=[case.pk]))


def deployment_url(deployment) -> str:
    try:
        return _url(reverse("deployments:deployment-detail", args=[deployment.pk]))
    except NoReverseMatch:
        return _url(f"/deployments/{deployment.pk}/")


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def region_users(case: SupportCase, role: str):
    return User.objects.filter(role=role, regions=case.region_id, is_active=True)


def owners_of(case: SupportCase):
    """The owner, or every Regions Group member of the region when there is none."""
    return party_users(case, Party.OWNER)


def case_email_context(case: SupportCase, *, note: str = "", **extra) -> dict:
    """Every support-case e-mail's context, in plain JSON (it travels through
    the broker): the table's hand-offs, the overdue sweep's and the services'."""
    target = case.target
    leader = case.system_leader
    context = {
        "case_id": case.pk,
        "case_url": case_url(case),
        "target_name": target.name,
        "target_kind": "school" if case.school_id else "trust",
        "target_code": f"URN {case.school.urn}" if case.school_id else f"group UID {target.uid}",
        "region": case.region.name,
        "offer": case.offer.academic_year,
        "state": case.get_state_display(),
        "due_on": _long(case.due_on),
        "system_leader_name": leader.user.full_name if leader else "",
        "system_leader_email": leader.user.email if leader else "",
        "system_leader_kind": leader.get_kind_display() if leader else "",
        "note": note,
        "context": case.school_context,
        "concern": case.concern,
    }
    # The deployment the issue created (none when the transition ran alone).
    if case.state == State.DEPLOYMENT_ISSUED and getattr(case, "deployment", None):
        context.update(_deployment_issued_context(case))
    context.update(extra)
    return email_context(context)


def _deployment_issued_context(case: SupportCase) -> dict:
    deployment = case.deployment
    contacts = list(contacts_of(case))
    target = case.target
    return {
        "deployment_id": deployment.pk,
        "deployment_url": deployment_url(deployment),
        "deployment_api_url": _url(f"/api/deployments/{deployment.pk}/"),
        "core_days": f"{deployment.core_days.normalize():f}",
        "contacts": [{"name": u.full_name, "email": u.email} for u in contacts],
        "headteacher": getattr(target, "headteacher", "") or getattr(target, "head_of_group", ""),
        "address": ", ".join(
            part for part in (target.street, target.town, target.postcode) if part
        ),
        "school_context": case.school_context,
    }


def _mail(to, template: str, case: SupportCase, **extra) -> None:
    email_queue(to=_emails(to), template=template, context=case_email_context(case, **extra))


def _step(case: SupportCase, name: str, *, user, note: str = "", **kwargs) -> SupportCase:
    """Run one transition: the table sets the next deadline (counted from
    `_today()`) and queues the hand-off e-mail, in one transaction."""
    return transition_run(case, name, user=user, note=note, started_on=_today(), **kwargs)


# ---------------------------------------------------------------- opening


def support_case_open(*, user, eligibility: EligibilityAssessment) -> SupportCase:
    """Open a case for an eligible school or trust, owned by the opener.

    403 unless Regions Group staff of the region; 409 when a case for the same
    target and offer is still live or ended other than withdrawn or declined."""
    if not user.has_perm("deployments.case_open", eligibility):
        raise PermissionDenied("Only Regions Group staff of the region can open a support case.")
    if eligibility.status != EligibilityAssessment.Status.ELIGIBLE:
        raise ValidationError({"eligibility": NOT_ELIGIBLE})
    if eligibility.region_id is None:
        raise ValidationError({"eligibility": NO_REGION})
    kind = "school" if eligibility.school_id else "trust"
    with transaction.atomic():
        # Lock the school or trust so two people opening at once queue here.
        if eligibility.school_id:
            School.objects.select_for_update().get(pk=eligibility.school_id)
        else:
            Trust.objects.select_for_update().get(pk=eligibility.trust_id)
        earlier = (
            SupportCase.objects.filter(
                offer_id=eligibility.offer_id,
                school_id=eligibility.school_id,
                trust_id=eligibility.trust_id,
            )
            .exclude(state__in=SupportCase.REOPENABLE_STATES)
            .first()
        )
        if earlier is not None:
            raise WorkflowConflict(
                CASE_EXISTS.format(kind=kind, state=earlier.get_state_display().lower()),
                state=earlier.state,
            )
        case = SupportCase(
            offer_id=eligibility.offer_id,
            eligibility=eligibility,
            school_id=eligibility.school_id,
            trust_id=eligibility.trust_id,
            region_id=eligibility.region_id,
            owner=user,
            opened_by=user,
        )
        case.due_on = workflow_due_on(case, start=_today())
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError as exc:  # the partial unique constraints
            raise WorkflowConflict(
                CASE_EXISTS.format(kind=kind, state="opened just now"), state=State.IDENTIFIED
            ) from exc
        case.watchers.add(user)
        timeline_record(case, name="opened", by=user)
    return case


# ---------------------------------------------------------------- transitions


def support_case_propose(
    case: SupportCase, *, user, system_leader: SystemLeader, note: str = "", override_reason=""
) -> SupportCase:
    """Regions Group staff propose a leader. Outside the ranked candidates this
    needs an override reason, kept on the case."""
    from deployments.matching.ranking import rank_candidates

    transition_check(case, "propose", user)
    override_reason = (override_reason or "").strip()
    if case.declined_by.filter(pk=system_leader.pk).exists():
        raise ValidationError({"system_leader": LEADER_DECLINED})
    if case.withdrawn_leader_ids().filter(system_leader_id=system_leader.pk).exists():
        raise ValidationError({"system_leader": LEADER_WITHDREW})
    ranked = {c.system_leader.pk for c in rank_candidates(case)}
    if system_leader.pk not in ranked and not override_reason:
        raise ValidationError({"override_reason": OVERRIDE_NEEDED})
    if system_leader.pk in ranked:
        override_reason = ""
    text = note
    if override_reason:
        text = f"{note}\n\nOutside the ranked list: {override_reason}".strip()
    with transaction.atomic():
        case = _step(
            case,
            "propose",
            user=user,
            note=text,
            system_leader=system_leader,
            override_reason=override_reason,
            today=_today(),
        )
    return case


def support_case_rdp_contacts_school(case, *, user, note: str = "") -> SupportCase:
    with transaction.atomic():
        case = _step(case, "rdp_contacts_school", user=user, note=note, today=_today())
    return case


def support_case_school_confirms(case, *, user, context: str = "") -> SupportCase:
    with transaction.atomic():
        case = _step(
            case, "school_confirms", user=user, note=context, context=context, today=_today()
        )
    return case


def support_case_school_declines(case, *, user, reason: str) -> SupportCase:
    transition_check(case, "school_declines", user)
    reason = _require("reason", reason)
    with transaction.atomic():
        case = _step(case, "school_declines", user=user, note=reason)
        _mail(
            [*owners_of(case), *region_users(case, Role.RDP)],
            "case_update",
            case,
            headline=f"{case.target.name} declined the support",
            reason=reason,
            what_next="The case is closed. Nothing more needs doing.",
        )
    return case


CONFIRMATIONS = {
    "confirms_capacity": "have the capacity to deliver the days",
    "confirms_no_conflict": "have no conflict of interest with the school or its trust",
}


def support_case_system_leader_accepts(
    case, *, user, note: str = "", confirms_capacity=None, confirms_no_conflict=None
) -> SupportCase:
    """The leader accepts. The pages ask for both confirmations (recorded in the
    timeline); an API client may leave them out, but never send them as false."""
    given = {"confirms_capacity": confirms_capacity, "confirms_no_conflict": confirms_no_conflict}
    refused = {
        name: "Confirm this to accept the request." for name, v in given.items() if v is False
    }
    if refused:
        raise ValidationError(refused)
    confirmed = [CONFIRMATIONS[name] for name, value in given.items() if value]
    if confirmed:
        note = " ".join(
            [f"The system leader confirmed that they {' and '.join(confirmed)}.", note]
        ).strip()
    with transaction.atomic():
        case = _step(case, "system_leader_accepts", user=user, note=note)
    return case


def support_case_system_leader_declines(case, *, user, reason: str) -> SupportCase:
    """Back to "identified"; the leader goes on `declined_by` so the ranking
    never offers them for this case again."""
    transition_check(case, "system_leader_declines", user)
    reason = _require("reason", reason)
    leader = case.system_leader
    with transaction.atomic():
        case = _step(case, "system_leader_declines", user=user, note=reason)
        case.declined_by.add(leader)
        _mail(
            [*owners_of(case), *region_users(case, Role.RDP)],
            "case_update",
            case,
            headline=f"{leader.user.full_name} declined to support {case.target.name}",
            reason=reason,
            what_next="Propose another system leader from the case's candidates.",
        )
    return case


def support_case_school_accepts_match(case, *, user, note: str = "") -> SupportCase:
    with transaction.atomic():
        case = _step(case, "school_accepts_match", user=user, note=note)
    return case


def support_case_school_raises_concern(case, *, user, concern: str) -> SupportCase:
    transition_check(case, "school_raises_concern", user)
    concern = _require("concern", concern)
    with transaction.atomic():
        case = _step(case, "school_raises_concern", user=user, note=concern, concern=concern)
    return case


def support_case_concern_answered(case, *, user, rationale: str, keep_match: bool) -> SupportCase:
    """Keep the match (on to the Regional Director) or not (back to
    "identified"); either way the school hears the rationale."""
    transition_check(case, "concern_answered", user)
    rationale = _require("rationale", rationale)
    leader = case.system_leader
    decision = "The match stands." if keep_match else "The match will not go ahead."
    with transaction.atomic():
        case = _step(
            case,
            "concern_answered",
            user=user,
            note=f"{decision}\n\n{rationale}",
            keep_match=bool(keep_match),
        )
        _mail(
            contacts_of(case),
            "case_update",
            case,
            headline=f"Your concern about the match: {decision.lower()}",
            reason=rationale,
            what_next=(
                "The Regional Director will now be asked to approve the match."
                if keep_match
                else "The regional team will propose another system leader."
            ),
        )
        if not keep_match and leader is not None:
            _mail(
                [leader.user],
                "case_update",
                case,
                headline=f"The match with {case.target.name} will not go ahead",
                reason="",
                what_next="You do not need to do anything. Thank you for your time.",
            )
    return case


def support_case_director_approves(case, *, user, note: str = "") -> SupportCase:
    with transaction.atomic():
        case = _step(case, "director_approves", user=user, note=note)
        email = WORKFLOW.step(case.state).email  # the table's recipients, the service's words
        _mail(
            [person for party in email.parties(case) for person in party_users(case, party)],
            email.template,
            case,
            headline=f"The Regional Director approved the match for {case.target.name}",
            reason=note,
            what_next=f"The RDP issues the deployment by {_long(case.due_on)}.",
        )
    return case


def support_case_director_rejects(case, *, user, reason: str) -> SupportCase:
    transition_check(case, "director_rejects", user)
    reason = _require("reason", reason)
    leader = case.system_leader
    with transaction.atomic():
        case = _step(case, "director_rejects", user=user, note=reason)
        _mail(
            [*owners_of(case), *region_users(case, Role.RDP)],
            "case_update",
            case,
            headline=f"The Regional Director rejected the match for {case.target.name}",
            reason=reason,
            what_next=(
                f"Propose another system leader (the rejected one was {leader.user.full_name})."
                if leader
                else "Propose another system leader."
            ),
        )
    return case


def support_case_issue_deployment(case, *, user, note: str = "") -> SupportCase:
    """Creates the deployment in the transition's transaction and sends the
    deployment e-mail to the system leader and the school or trust."""
    from deployments.delivery.services import deployment_create_for_case

    with transaction.atomic():
        case = transition_run(
            case,
            "issue_deployment",
            user=user,
            note=note,
            started_on=_today(),
            after=lambda issued: deployment_create_for_case(case=issued),
        )
    return case


def support_case_withdraw(case, *, user, reason: str) -> SupportCase:
    transition_check(case, "withdraw", user)
    reason = _require("reason", reason)
    recipients = list(region_users(case, Role.RDP))
    if case.leader_asked_on and case.system_leader_id:
        recipients.append(case.system_leader.user)
    if case.school_contacted_on:
        recipients.extend(contacts_of(case))
    with transaction.atomic():
        case = _step(case, "withdraw", user=user, note=reason)
        _mail(
            recipients,
            "case_update",
            case,
            headline=f"The support case for {case.target.name} was withdrawn",
            reason=reason,
            what_next="Nothing more needs doing on this case.",
        )
    return case


def support_case_deployment_withdrawn(case, *, deployment, user) -> SupportCase:
    """The case's deployment was withdrawn (by Regions Group staff or by its
    system leader): back to "identified", for Regions Group staff to propose
    another leader, recorded on the case's timeline as the withdrawer's step.
    Run by the deployment's withdrawal (deployments.delivery.interruptions) in
    its transaction; no one takes it by hand. The school's confirmation stands."""
    return transition_run(
        case,
        "deployment_withdrawn",
        user=None,
        by_label=user.full_name,
        note=f"Deployment {deployment.pk} withdrawn: {deployment.withdrawn_reason}",
        started_on=_today(),
    )


# ---------------------------------------------------------------- ownership


def support_case_reassign_owner(case, *, user, owner: User) -> SupportCase:
    """Give the case to another Regions Group member of its region, who is told."""
    if not user.has_perm("deployments.case_reassign_owner", case):
        raise PermissionDenied("Only Regions Group staff of the region can change the owner.")
    if not (
        owner.is_active
        and owner.role == Role.REGIONS_STAFF
        and owner.regions.filter(pk=case.region_id).exists()
    ):
        raise ValidationError({"owner": OWNER_NOT_STAFF})
    with transaction.atomic():
        case = SupportCase.objects.select_for_update().get(pk=case.pk)
        if case.owner_id == owner.pk:
            return case
        case.owner = owner
        case.save(update_fields=["owner"])
        case.watchers.add(owner)
        timeline_record(case, name="owner_changed", by=user, note=f"Owner: {owner.full_name}")
        _mail([owner], "case_owner_assigned", case, assigned_by=user.full_name)
    return case


def support_case_la_contacted_check(case, *, user) -> None:
    """403 unless Regions Group staff of the region; 409 unless the case is open."""
    if not user.has_perm("deployments.case_la_contacted", case):
        raise PermissionDenied(
            "Only Regions Group staff of the region record that the LA or diocese was contacted."
        )
    if not case.is_open:
        raise WorkflowConflict(LA_CONTACTED_CLOSED, state=case.state)


def support_case_la_contacted(case, *, user, contacted: str, note: str = "") -> SupportCase:
    """Record that Regions Group asked the local authority, the diocese or both
    to confirm the school's participation (guidance section 9, "Contact LA/
    Diocese to confirm participation"). Not a transition: the state and its
    deadline stay; the case shows `la_contacted_on` and the timeline says who."""
    support_case_la_contacted_check(case, user=user)
    if contacted not in SupportCase.LaContacted.values:
        raise ValidationError({"contacted": LA_CONTACTED_CHOICE})
    note = (note or "").strip()
    with transaction.atomic():
        case = SupportCase.objects.select_for_update().get(pk=case.pk)
        support_case_la_contacted_check(case, user=user)
        case.la_contacted = contacted
        case.la_contacted_on = _today()
        case.save(update_fields=["la_contacted", "la_contacted_on"])
        label = SupportCase.LaContacted(contacted).label
        timeline_record(
            case, name="la_contacted", by=user, note=f"{label}: {note}" if note else label
        )
    return case


def support_case_watch(case, *, user) -> None:
    if not user.has_perm("deployments.case_watch", case):
        raise PermissionDenied("You cannot watch this case.")
    case.watchers.add(user)


def support_case_unwatch(case, *, user) -> None:
    case.watchers.remove(user)
