"""Writes for payment runs: the only module that changes them.

A payment run reserves its approved claims (`PaymentRunItem.claim` is unique)
and is built in the background, all or nothing, writing the payment file: the
one place bank details are decrypted."""

from decimal import Decimal

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from deployments.claims.models import Claim, PaymentRun, PaymentRunItem
from deployments.claims.selectors import claims_waiting_for_payment
from deployments.claims.services import _insert, _timeline_bulk
from deployments.claims.spreadsheets import csv_bytes, xlsx_bytes
from deployments.delivery import crypto
from deployments.delivery.models import BankDetails, GrantBankDetails
from portal.text import counted, money
from portal.workflow import WorkflowConflict

PAYMENT_RUN_LOCK = 2_023_202_020  # pg_advisory_xact_lock key: one run starts at a time
NOTHING_TO_PAY = "There are no approved claims waiting to be paid."
RUN_BUSY = "Another payment run is being started now. Try again in a moment."
# One row per claim naming its payee (the system leader for days, the partner
# trust for a partnership grant instalment) and the payee's account.
PAYMENT_FILE_HEADER = [
    "Payee",
    "Payee type",
    "Trust UID",
    "Account name",
    "Sort code",
    "Account number",
    "Amount",
    "Claim reference",
    "Deployment",
    "Region",
]


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
                claims_waiting_for_payment()
                .select_for_update(of=("self",))
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


@sensitive_variables("rows", "leader_banks", "trust_banks", "csv_data", "xlsx_data")
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
                    "instalment__grant_id",
                    "instalment__grant__partner_trust__name",
                    "instalment__grant__partner_trust__uid",
                    "system_leader__user__full_name",
                )
            )
            references = {c[0]: f"TSI-{c[4][:4]}-{c[0]:06d}" for c in claims}
            unpayable = [references[c[0]] for c in claims if c[1] != Claim.State.APPROVED]
            if unpayable:
                raise ValidationError(
                    f"These claims are no longer approved: {', '.join(unpayable[:20])}."
                )
            account_fields = (
                "account_name",
                "sort_code_encrypted",
                "account_number_encrypted",
                "fingerprint",
            )
            leader_banks = {
                b[0]: b[1:]
                for b in BankDetails.objects.filter(
                    deployment__claims__payment_run_item__run=run
                ).values_list("deployment_id", *account_fields)
            }
            trust_banks = {
                b[0]: b[1:]
                for b in GrantBankDetails.objects.filter(
                    grant__instalments__claim__payment_run_item__run=run
                ).values_list("grant_id", *account_fields)
            }

            def account(claim):
                grant_id = claim[8]
                found = trust_banks.get(grant_id) if grant_id else leader_banks.get(claim[3])
                return found if found and found[3] else None

            missing = [references[c[0]] for c in claims if account(c) is None]
            if missing:
                raise ValidationError(f"No bank details for: {', '.join(missing[:20])}.")
            rows = []
            for claim in claims:
                pk, _, amount, deployment_id, _, region, school, trust = claim[:8]
                grant_id, trust_name, trust_uid, leader_name = claim[8:]
                account_name, sort_code, account_number, _ = account(claim)
                rows.append(
                    [
                        trust_name if grant_id else leader_name,
                        "Trust" if grant_id else "System leader",
                        trust_uid if grant_id else "",
                        account_name,
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
                note_for=lambda c: f"Paid in payment run {run.pk}: {money(c.amount)}",
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
            run.claim_count,
            f"{counted(run.claim_count, 'claim', 'claims')} paid: {money(run.total)}",
            force=True,
        )
    return run
