"""Writes for claims and payment runs: the only module that changes them.

Claims are made in bulk (`claims_create_for_deployments`: a handful of
queries whatever the number, used by the benchmark and by the per-deployment
form the Celery task calls) and checked by `checks.claim_flags`. Decisions go
through `portal.workflow.transition_run` (row lock: two finance users approving
at once give one approval and one 409). A payment run reserves its claims
(`PaymentRunItem.claim` is unique) and is built in the background, all or
nothing, writing the payment file: the one place bank details are decrypted."""

import json
import logging
from decimal import Decimal
from types import SimpleNamespace

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from deployments.claims.checks import ClaimFacts, claim_flags, day_amount, flag_codes_text
from deployments.claims.models import Claim, PaymentRun, PaymentRunItem
from deployments.claims.spreadsheets import csv_bytes, xlsx_bytes
from deployments.delivery import crypto
from deployments.delivery.models import (
    Activity,
    BankDetails,
    Deployment,
    DeploymentSection,
    GrantInstalment,
)
from deployments.models import SupportOffer
from portal.models import Role, TimelineEvent, User
from portal.notify import email_queue
from portal.workflow import WorkflowConflict, timeline_record, transition_run
from portal.workflow_spec import workflow_due_on

log = logging.getLogger(__name__)

CLAIMABLE_STATES = (Deployment.State.ACCEPTED, Deployment.State.CLOSED)
PAYMENT_RUN_LOCK = 2_023_202_020  # pg_advisory_xact_lock key: one run starts at a time
NOTHING_TO_PAY = "There are no approved claims waiting to be paid."
RUN_BUSY = "Another payment run is being started now. Try again in a moment."
PAYMENT_FILE_HEADER = [
    "Payee",
    "Sort code",
    "Account number",
    "Amount",
    "Claim reference",
    "Deployment",
    "Region",
]


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
            "pk", "offer_id", "region_id", "system_leader_id", "approved_extension_days"
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
        _, fingerprint, changed_at = banks.get(pk) or (pk, "", None)
        facts[pk] = ClaimFacts(
            deployment_id=pk,
            offer=offer,
            region_id=d["region_id"],
            system_leader_id=d["system_leader_id"],
            days=None if days in (None, "") else Decimal(str(days)),
            cap=Decimal(offer.core_days) + d["approved_extension_days"],
            days_logged=Decimal(str(logged.get(pk) or 0)),
            confirmation=sections.get((pk, "school_confirmation")),
            bank_changed_at=changed_at,
            has_bank_details=bool(fingerprint),
            shared_account=bool(
                leaders_by_account.get(fingerprint, set()) - {d["system_leader_id"]}
            ),
        )
    return facts


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
            note_for=lambda c: f"{c.days.normalize():f} days at £{c.rate:,}: £{c.amount:,}",
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
    offer's instalment amount, checked like any claim (bank details, year)."""
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
            facts = _facts_for([deployment.pk])[deployment.pk]
            flags = claim_flags(
                facts, kind=Claim.Kind.PARTNERSHIP_INSTALMENT, created_at=now, checked_at=now
            )
            amount = facts.offer.instalment_amount
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
                note=f"Instalment {instalment.number} of the partnership grant: £{amount}",
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
    in plain JSON."""
    return {
        "note": note,
        "reason": claim.decision_reason,
        "due_on": f"{claim.due_on:%-d %B %Y}" if claim.due_on else "",
        "reference": claim.reference,
        "kind": claim.get_kind_display(),
        "amount": f"{claim.amount}",
        "target_name": str(claim.deployment.target),
        "region": claim.region.name,
        "system_leader": claim.system_leader.user.full_name,
        "path": reverse("deployments:claim-detail", args=[claim.pk]),
        **extra,
    }


_context = claim_email_context


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
        facts = _facts_for([claim.deployment_id])[claim.deployment_id]
        claim.flags = claim_flags(
            facts, kind=claim.kind, created_at=claim.created_at, checked_at=timezone.now()
        )
        claim.flag_codes = flag_codes_text(claim.flags)
        claim.save(update_fields=["flags", "flag_codes"])
        email_queue(
            to=_finance_emails(), template="claim_resubmitted", context=_context(claim, note=note)
        )
    return claim


def claim_undo(claim, *, user, reason, note=""):
    """Another finance user takes a decision back to review (with a reason).
    Not once the claim is in a payment run."""
    reason = _require(reason, "reason", "Give the reason for undoing the decision.")
    return transition_run(claim, "undo", user=user, note=note or reason)


# Payment runs ------------------------------------------------------------------


def _run_lock() -> None:
    """One payment run starts at a time (PostgreSQL advisory lock, released at
    commit); SQLite serialises writers anyway."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [PAYMENT_RUN_LOCK])
        if not cursor.fetchone()[0]:
            raise WorkflowConflict(RUN_BUSY, state=PaymentRun.State.BUILDING)


def payment_run_start(*, user) -> PaymentRun:
    """Take every approved claim not yet in a run into a new run and build it
    in the background. 409 when there is nothing to pay, or when another run
    is being started at the same moment."""
    from portal.services import job_create

    if not user.has_perm("deployments.start_payment_run"):
        raise PermissionDenied("Only DfE finance starts payment runs.")
    try:
        with transaction.atomic():
            _run_lock()
            claims = list(
                Claim.objects.select_for_update(of=("self",))
                .filter(state=Claim.State.APPROVED, payment_run_item__isnull=True)
                .order_by("pk")
                .values_list("pk", "amount")
            )
            if not claims:
                raise WorkflowConflict(NOTHING_TO_PAY, state="nothing_to_pay")
            run = PaymentRun.objects.create(
                created_by=user,
                claim_count=len(claims),
                total=sum((amount for _, amount in claims), start=Decimal("0.00")),
            )
            _insert(
                PaymentRunItem,
                [PaymentRunItem(run=run, claim_id=pk, amount=amount) for pk, amount in claims],
                ["run", "claim", "amount"],
            )
            run.job = job_create(
                kind="deployments.payment_run",
                label=f"Payment run {run.pk}",
                user=user,
                params={"run_id": run.pk},
            )
            run.save(update_fields=["job"])
    except IntegrityError:
        raise WorkflowConflict(RUN_BUSY, state=PaymentRun.State.BUILDING) from None
    return run


def payment_run_retry(run: PaymentRun, *, user) -> PaymentRun:
    """Build a failed run again: the same claims, each paid at most once."""
    from portal.services import job_create

    if not user.has_perm("deployments.start_payment_run"):
        raise PermissionDenied("Only DfE finance retries payment runs.")
    with transaction.atomic():
        locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if locked.state != PaymentRun.State.FAILED:
            raise WorkflowConflict("Only a failed payment run can be retried.", state=locked.state)
        locked.state = PaymentRun.State.BUILDING
        locked.failure = ""
        locked.job = job_create(
            kind="deployments.payment_run",
            label=f"Payment run {locked.pk} (retry)",
            user=user,
            params={"run_id": locked.pk},
        )
        locked.save(update_fields=["state", "failure", "job"])
    return locked


def _file_fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.BANK_DETAILS_KEYS])


def payment_file_decrypt(token: bytes) -> bytes:
    return _file_fernet().decrypt(bytes(token)) if token else b""


@sensitive_variables("rows", "bank", "csv_data", "xlsx_data")
def payment_run_build(*, run_id: int, progress=None) -> PaymentRun:
    """Pay the run's claims, all or nothing: lock them, write the payment file
    (CSV and XLSX, encrypted at rest), mark them paid. A completed run is left
    alone, so a redelivered or retried job never pays twice; a failure rolls
    everything back and leaves the run `failed` for a retry."""
    run = PaymentRun.objects.get(pk=run_id)
    if run.state == PaymentRun.State.COMPLETED:
        return run
    if progress:
        progress.total(run.claim_count, "Writing the payment file")
    try:
        with transaction.atomic():
            run = PaymentRun.objects.select_for_update().get(pk=run_id)
            if run.state == PaymentRun.State.COMPLETED:
                return run
            claims = list(
                Claim.objects.select_for_update(of=("self",))
                .filter(payment_run_item__run=run)
                .order_by("pk")
                .values_list(
                    "pk",
                    "state",
                    "amount",
                    "deployment_id",
                    "offer__academic_year",
                    "region__name",
                    "deployment__school__name",
                    "deployment__trust__name",
                )
            )
            references = {c[0]: f"TSI-{c[4][:4]}-{c[0]:06d}" for c in claims}
            unpayable = [references[c[0]] for c in claims if c[1] != Claim.State.APPROVED]
            if unpayable:
                raise ValidationError(
                    f"These claims are no longer approved: {', '.join(unpayable[:20])}."
                )
            banks = {
                b[0]: b
                for b in BankDetails.objects.filter(
                    deployment__claims__payment_run_item__run=run
                ).values_list(
                    "deployment_id",
                    "account_name",
                    "sort_code_encrypted",
                    "account_number_encrypted",
                    "fingerprint",
                )
            }
            missing = [references[c[0]] for c in claims if not (banks.get(c[3]) or "    ")[4]]
            if missing:
                raise ValidationError(f"No bank details for: {', '.join(missing[:20])}.")
            rows = []
            for pk, _, amount, deployment_id, _, region, school, trust in claims:
                _, payee, sort_code, account_number, _ = banks[deployment_id]
                rows.append(
                    [
                        payee,
                        crypto.decrypt(sort_code),
                        crypto.decrypt(account_number),
                        amount,
                        references[pk],
                        f"{deployment_id}: {school or trust}",
                        region,
                    ]
                )
            csv_data = csv_bytes(PAYMENT_FILE_HEADER, rows)
            xlsx_data = xlsx_bytes(PAYMENT_FILE_HEADER, rows, title=f"Payment run {run.pk}")
            now = timezone.now()
            paid = Claim.objects.filter(
                payment_run_item__run=run, state=Claim.State.APPROVED
            ).update(state=Claim.State.PAID, paid_at=now)
            if paid != len(claims):
                raise ValidationError("A claim changed while the run was being built.")
            paid_claims = [Claim(pk=c[0], amount=c[2], state=Claim.State.PAID) for c in claims]
            _timeline_bulk(
                paid_claims,
                name="paid",
                note_for=lambda c: f"Paid in payment run {run.pk}: £{c.amount:,}",
                by=None,
            )
            fernet = _file_fernet()
            run.csv_encrypted = fernet.encrypt(csv_data)
            run.xlsx_encrypted = fernet.encrypt(xlsx_data)
            run.total = sum((c[2] for c in claims), start=Decimal("0.00"))
            run.claim_count = len(claims)
            run.state = PaymentRun.State.COMPLETED
            run.completed_at = now
            run.failure = ""
            run.save()
    except Exception as exc:
        message = (
            " ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else (f"The run stopped unexpectedly: {exc.__class__.__name__}.")
        )
        PaymentRun.objects.filter(pk=run_id).update(
            state=PaymentRun.State.FAILED, failure=message[:500]
        )
        raise
    if progress:
        progress.advance(
            run.claim_count, f"{run.claim_count} claims paid: £{run.total}", force=True
        )
    return run
