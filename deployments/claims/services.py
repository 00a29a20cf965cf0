"""Writes for claims: the only module that changes them (payment runs:
`deployments.claims.payment_runs`).

Claims are made in bulk (`claims_create_for_deployments`: a handful of
queries whatever the number, used by the benchmark and by the per-deployment
form the Celery task calls) and checked by `checks.claim_flags`. Decisions go
through `portal.workflow.transition_run` (row lock: two finance users approving
at once give one approval and one 409)."""

import dataclasses
import json
import logging
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from deployments.claims.checks import ClaimFacts, claim_flags, day_amount, flag_codes_text
from deployments.claims.models import Claim
from deployments.delivery.models import (
    Activity,
    BankDetails,
    Deployment,
    DeploymentSection,
    GrantBankDetails,
    GrantInstalment,
)
from deployments.models import SupportOffer
from portal.emails import email_context
from portal.models import Role, TimelineEvent, User
from portal.notify import email_queue
from portal.text import days, money
from portal.workflow import timeline_record, transition_run
from portal.workflow_spec import workflow_due_on

log = logging.getLogger(__name__)

# A withdrawn deployment is paid the days logged before it stopped.
CLAIMABLE_STATES = (Deployment.State.ACCEPTED, Deployment.State.CLOSED, Deployment.State.WITHDRAWN)


# Facts and creation ----------------------------------------------------------


def _scope(deployments):
    """A queryset of deployments as a subquery (one SQL parameter whatever its
    size), or a list of ids."""
    if isinstance(deployments, QuerySet):
        return deployments.values("pk")
    return list(deployments)


def _facts_for(deployments) -> dict[int, ClaimFacts]:
    """Everything the checks need about these deployments (ids or a
    queryset), in six queries and no model instances."""
    scope = _scope(deployments)
    rows = list(
        Deployment.objects.filter(pk__in=scope).values(
            "pk",
            "offer_id",
            "region_id",
            "system_leader_id",
            "approved_extension_days",
            "earlier_days_logged",
            "state",
        )
    )
    offers = {o.pk: o for o in SupportOffer.objects.filter(pk__in={r["offer_id"] for r in rows})}
    sections = {}
    for deployment_id, key, data in DeploymentSection.objects.filter(
        deployment_id__in=scope, key__in=("claim", "school_confirmation")
    ).values_list("deployment_id", "key", "data"):
        sections[(deployment_id, key)] = data or {}
    logged = dict(
        Activity.objects.filter(deployment_id__in=scope)
        .values("deployment_id")
        .annotate(total=Sum("days"))
        .values_list("deployment_id", "total")
    )
    banks = {
        b[0]: b
        for b in BankDetails.objects.filter(deployment_id__in=scope).values_list(
            "deployment_id", "fingerprint", "changed_at"
        )
    }
    leaders_by_account: dict[str, set[int]] = {}
    for fingerprint, leader_id in (
        BankDetails.objects.filter(
            fingerprint__in=BankDetails.objects.filter(deployment_id__in=scope)
            .exclude(fingerprint="")
            .values("fingerprint")
        )
        .values_list("fingerprint", "deployment__system_leader_id")
        .distinct()
    ):
        leaders_by_account.setdefault(fingerprint, set()).add(leader_id)
    facts = {}
    for d in rows:
        pk, offer = d["pk"], offers[d["offer_id"]]
        days = sections.get((pk, "claim"), {}).get("days")
        days_logged = Decimal(str(logged.get(pk) or 0))
        if d["state"] == Deployment.State.WITHDRAWN:
            days = days_logged  # no claim section was made: the days logged are paid
        # The deployment's core days (Deployment.core_days): less an earlier deployment's days.
        core = max(Decimal(offer.core_days) - d["earlier_days_logged"], Decimal(0))
        _, fingerprint, changed_at = banks.get(pk) or (pk, "", None)
        facts[pk] = ClaimFacts(
            deployment_id=pk,
            offer=offer,
            region_id=d["region_id"],
            system_leader_id=d["system_leader_id"],
            days=None if days in (None, "") else Decimal(str(days)),
            cap=core + d["approved_extension_days"],
            days_logged=days_logged,
            confirmation=sections.get((pk, "school_confirmation")),
            bank_changed_at=changed_at,
            has_bank_details=bool(fingerprint),
            shared_account=bool(
                leaders_by_account.get(fingerprint, set()) - {d["system_leader_id"]}
            ),
            extension_days=d["approved_extension_days"],
        )
    return facts


def _payee_facts(facts: ClaimFacts, *, grant_id: int | None) -> ClaimFacts:
    """A partnership instalment's payee is the partner trust: its bank details
    (the grant's), not the system leader's, decide the bank checks."""
    if grant_id is None:
        return facts
    fingerprint, changed_at = GrantBankDetails.objects.filter(grant_id=grant_id).values_list(
        "fingerprint", "changed_at"
    ).first() or ("", None)
    return dataclasses.replace(
        facts,
        has_bank_details=bool(fingerprint),
        bank_changed_at=changed_at,
        shared_account=False,
    )


def _insert(model, objs: list, fields: list[str]) -> None:
    """Insert `objs` and give them their ids. On PostgreSQL: ids reserved from
    the sequence in one query, rows sent with COPY (bulk_create's per-value
    preparation costs more than the database's work at these sizes)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        made = model.objects.bulk_create(
            [o if isinstance(o, model) else model(**vars(o)) for o in objs], batch_size=2000
        )
        for obj, row in zip(objs, made, strict=True):
            obj.pk = row.pk
        return
    opts = model._meta
    columns = [opts.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [opts.db_table, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        names = ", ".join(quote(c) for c in ["id", *(f.column for f in columns)])
        jsons = {f.attname for f in columns if f.get_internal_type() == "JSONField"}
        attnames = [f.attname for f in columns]
        with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({names}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [obj.pk]
                    + [
                        json.dumps(getattr(obj, a)) if a in jsons else getattr(obj, a)
                        for a in attnames
                    ]
                )


CLAIM_FIELDS = [
    "deployment",
    "kind",
    "instalment",
    "offer",
    "region",
    "system_leader",
    "days",
    "rate",
    "amount",
    "flags",
    "flag_codes",
    "state",
    "due_on",
    "overdue_notified_on",
    "created_at",
    "decided_by",
    "decided_at",
    "decision_reason",
    "paid_at",
]
TIMELINE_FIELDS = ["content_type", "object_id", "name", "by", "by_label", "at", "note", "state"]


def _timeline_bulk(claims: list[Claim], *, name: str, note_for, by=None, by_label="The portal"):
    content_type = ContentType.objects.get_for_model(Claim)
    now = timezone.now()
    # Plain rows, not model instances: thousands of them are written at once.
    events = [
        SimpleNamespace(
            content_type_id=content_type.pk,
            object_id=c.pk,
            name=name,
            by_id=by.pk if by is not None else None,
            by_label=by_label,
            at=now,
            note=note_for(c),
            state=c.state,
        )
        for c in claims
    ]
    _insert(TimelineEvent, events, TIMELINE_FIELDS)


def claims_create_for_deployments(deployments, *, now=None) -> list[Claim]:
    """The day claims of these accepted deployments (ids or a queryset) that
    have none yet: days from the claim section x the offer's day rate,
    checked. Set-based: the same few queries for one deployment or thousands
    (the benchmark's 5,000)."""
    now = now or timezone.now()
    with transaction.atomic():
        todo = (
            Deployment.objects.filter(pk__in=_scope(deployments), state__in=CLAIMABLE_STATES)
            .exclude(claims__kind=Claim.Kind.DEPLOYMENT_DAYS)
            .order_by()
        )
        if not isinstance(deployments, QuerySet):
            todo = list(todo.values_list("pk", flat=True))
        claims = []
        for facts in _facts_for(todo).values():
            if facts.days is None or facts.days <= 0:
                log.warning("Deployment %s was accepted with no days claimed", facts.deployment_id)
                continue
            flags = claim_flags(
                facts, kind=Claim.Kind.DEPLOYMENT_DAYS, created_at=now, checked_at=now
            )
            claim = Claim(
                deployment_id=facts.deployment_id,
                kind=Claim.Kind.DEPLOYMENT_DAYS,
                offer=facts.offer,
                region_id=facts.region_id,
                system_leader_id=facts.system_leader_id,
                days=facts.days,
                rate=facts.offer.day_rate,
                amount=day_amount(facts.days, facts.offer.day_rate),
                flags=flags,
                flag_codes=flag_codes_text(flags),
                created_at=now,
            )
            claim.due_on = workflow_due_on(claim, start=timezone.localdate(now))
            claims.append(claim)
        _insert(Claim, claims, CLAIM_FIELDS)
        _timeline_bulk(
            claims,
            name="created",
            note_for=lambda c: f"{days(c.days)} days at {money(c.rate)}: {money(c.amount)}",
        )
    return claims


def claim_create_for_deployment(*, deployment_id: int) -> Claim | None:
    """The per-deployment form (the Celery task after the RDP accepts): the
    day claim, made once. A second call, or a race with another worker, finds
    the claim the database already holds."""
    try:
        with transaction.atomic():
            made = claims_create_for_deployments([deployment_id])
    except IntegrityError:
        made = []
    return (
        made[0]
        if made
        else Claim.objects.filter(
            deployment_id=deployment_id, kind=Claim.Kind.DEPLOYMENT_DAYS
        ).first()
    )


def claim_create_for_instalment(*, instalment_id: int, now=None) -> Claim | None:
    """A partnership grant instalment's claim, once its condition is met: the
    instalment's amount (the offer's, set at approval), paid to the partner
    trust and checked like any claim (the trust's bank details, the year)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            instalment = (
                GrantInstalment.objects.select_for_update()
                .select_related("grant__enhanced_request__deployment")
                .get(pk=instalment_id)
            )
            if instalment.condition_met_on is None:
                return None
            existing = Claim.objects.filter(instalment=instalment).first()
            if existing:
                return existing
            deployment = instalment.grant.enhanced_request.deployment
            facts = _payee_facts(
                _facts_for([deployment.pk])[deployment.pk], grant_id=instalment.grant_id
            )
            flags = claim_flags(
                facts, kind=Claim.Kind.PARTNERSHIP_INSTALMENT, created_at=now, checked_at=now
            )
            amount = instalment.amount  # fixed on the grant at approval, from the offer
            claim = Claim(
                deployment=deployment,
                kind=Claim.Kind.PARTNERSHIP_INSTALMENT,
                instalment=instalment,
                offer=facts.offer,
                region_id=facts.region_id,
                system_leader_id=facts.system_leader_id,
                rate=amount,
                amount=amount,
                flags=flags,
                flag_codes=flag_codes_text(flags),
                created_at=now,
            )
            claim.due_on = workflow_due_on(claim, start=timezone.localdate(now))
            claim.save()
            timeline_record(
                claim,
                name="created",
                by_label="The portal",
                note=f"Instalment {instalment.number} of the partnership grant: {money(amount)}",
            )
    except IntegrityError:
        return Claim.objects.filter(instalment_id=instalment_id).first()
    return claim


def claim_queue_for_deployment(deployment: Deployment) -> None:
    """Make the day claim in the background once the acceptance commits."""
    from deployments.claims.tasks import claim_create_for_deployment_task

    deployment_id = deployment.pk
    transaction.on_commit(lambda: claim_create_for_deployment_task.delay(deployment_id))


def claim_queue_for_instalment(instalment: GrantInstalment) -> None:
    from deployments.claims.tasks import claim_create_for_instalment_task

    instalment_id = instalment.pk
    transaction.on_commit(lambda: claim_create_for_instalment_task.delay(instalment_id))


# Review ------------------------------------------------------------------------


def claim_email_context(claim: Claim, *, note: str = "", **extra) -> dict:
    """Every claim e-mail's context (the table's, the sweep's, the services'),
    through the one e-mail context builder; `extra` wins over the claim's values."""
    values = {
        "note": note,
        "reason": claim.decision_reason,
        "due_on": claim.due_on or "",
        "reference": claim.reference,
        "kind": claim.get_kind_display(),
        "amount": f"{claim.amount}",
        "target_name": str(claim.deployment.target),
        "region": claim.region.name,
        "system_leader": claim.system_leader.user.full_name,
        "path": reverse("deployments:claim-detail", args=[claim.pk]),
    }
    return email_context({**values, **extra})


def _finance_emails() -> list[str]:
    return list(
        User.objects.filter(role=Role.FINANCE, is_active=True).values_list("email", flat=True)
    )


def _require(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


def claim_approve(claim, *, user, note=""):
    return transition_run(claim, "approve", user=user, note=note, by=user, at=timezone.now())


def claim_reject(claim, *, user, reason, note=""):
    reason = _require(reason, "reason", "Give the reason for rejecting the claim.")
    with transaction.atomic():
        claim = transition_run(
            claim,
            "reject",
            user=user,
            note=note or reason,
            by=user,
            at=timezone.now(),
            reason=reason,
        )
    return claim


def claim_query(claim, *, user, note):
    note = _require(note, "note", "Say what you need to know about the claim.")
    with transaction.atomic():
        claim = transition_run(
            claim, "query", user=user, note=note, by=user, at=timezone.now(), question=note
        )
    return claim


def claim_resubmit(claim, *, user, note=""):
    """The system leader answers a query or a rejection; the checks run again."""
    with transaction.atomic():
        claim = transition_run(claim, "resubmit", user=user, note=note)
        _check_again(claim)
        email_queue(
            to=_finance_emails(),
            template="claim_resubmitted",
            context=claim_email_context(claim, note=note),
        )
    return claim


def _check_again(claim: Claim) -> None:
    facts = _facts_for([claim.deployment_id])[claim.deployment_id]
    grant_id = claim.instalment.grant_id if claim.instalment_id else None
    claim.flags = claim_flags(
        _payee_facts(facts, grant_id=grant_id),
        kind=claim.kind,
        created_at=claim.created_at,
        checked_at=timezone.now(),
    )
    claim.flag_codes = flag_codes_text(claim.flags)
    claim.save(update_fields=["flags", "flag_codes"])


def claims_check_again(**filters) -> None:
    """Run the checks again on the claims (matching `filters`) still waiting
    for review or an answer: for example once a payee's bank details arrive."""
    for claim in Claim.objects.filter(
        state__in=(Claim.State.PENDING_REVIEW, Claim.State.QUERIED), **filters
    ).select_related("instalment"):
        _check_again(claim)


def claim_undo(claim, *, user, reason, note=""):
    """Another finance user takes a decision back to review (with a reason).
    Not once the claim is in a payment run."""
    reason = _require(reason, "reason", "Give the reason for undoing the decision.")
    return transition_run(claim, "undo", user=user, note=note or reason)
