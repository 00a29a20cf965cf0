"""Demo claims: the finished deployments' day claims at every stage DfE finance
sees, so finance's home page has work on a fresh demo. Made through the claim
services (created, checked, approved, paid in a payment run), by the demo's
finance user, with invented bank details: the first two are paid, the next two
approved and waiting for the next payment run, the rest waiting for review,
one of them flagged for missing bank details. Adds nothing when any claim exists."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from deployments.claims.models import Claim
from deployments.claims.payment_runs import payment_run_build, payment_run_start
from deployments.claims.services import claim_approve, claims_create_for_deployments
from deployments.delivery import crypto
from deployments.delivery.models import BankDetails, Deployment
from portal.models import Role, User

PAID, APPROVED = 2, 2


def _bank_details(deployment: Deployment, n: int) -> None:
    """Invented numbers in the sort-code range no bank uses (00-00-xx)."""
    sort_code, account_number = f"0000{n:02d}", f"{40000000 + n:08d}"
    BankDetails.objects.create(
        deployment=deployment,
        account_name=deployment.system_leader.user.full_name,
        sort_code_encrypted=crypto.encrypt(sort_code),
        account_number_encrypted=crypto.encrypt(account_number),
        sort_code_last2=sort_code[-2:],
        account_number_last4=account_number[-4:],
        fingerprint=crypto.fingerprint(sort_code, account_number),
        # Entered when the deployment was issued: not "recently changed".
        changed_at=timezone.make_aware(dt.datetime.combine(deployment.issued_on, dt.time(9))),
    )


def seed_demo_claims() -> dict[str, int]:
    if Claim.objects.exists():
        return {"claims": Claim.objects.count()}
    finance = User.objects.filter(role=Role.FINANCE).order_by("pk").first()
    finished = list(
        Deployment.objects.filter(
            state__in=[Deployment.State.ACCEPTED, Deployment.State.CLOSED]
        ).order_by("pk")
    )
    if finance is None or not finished:
        return {"claims": 0}
    with transaction.atomic():
        # The last one has no bank details: its claim shows that flag.
        for n, deployment in enumerate(finished[:-1]):
            _bank_details(deployment, n)
        claims = sorted(
            claims_create_for_deployments([d.pk for d in finished]), key=lambda c: c.deployment_id
        )
        _approve(claims[:PAID], finance)
        run = payment_run_start(user=finance)
    payment_run_build(run_id=run.pk)
    with transaction.atomic():
        _approve(claims[PAID : PAID + APPROVED], finance)
    return {"claims": len(claims), "claims paid": min(PAID, len(claims))}


def _approve(claims: list[Claim], finance: User) -> None:
    for claim in claims:
        claim_approve(Claim.objects.get(pk=claim.pk), user=finance, note="Demo: checked.")
