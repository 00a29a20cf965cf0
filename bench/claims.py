"""Benchmark: compute and check 5,000 day claims and pay them in one run.

Needs PostgreSQL and a database of its own, seeded (the script migrates it and
seeds it at England scale when it holds no school; on a smaller demo it makes one
deployment per open school without a case, up to 5,000):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsi_claims_bench \
        .venv/bin/python bench/claims.py

Set-up (not timed): 5,000 accepted deployments of 500 system leaders over the
seeded schools, bulk-created with their claim and school confirmation
sections, activity log and encrypted bank details. Timed: the bulk claim
service (compute + every check) for all 5,000, then one payment run of them
(start + build: decrypt, CSV + XLSX, mark paid). Approving them in between is a
set-based UPDATE (finance approves one by one in real life). Prints each time,
the total, and the queries each step ran (no per-claim queries). The bench's
rows are deleted at the start of the next run."""

import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.results import report  # noqa: E402
from deployments.claims.models import Claim, PaymentRun, PaymentRunItem  # noqa: E402
from deployments.claims.payment_runs import payment_run_start  # noqa: E402
from deployments.claims.services import claims_create_for_deployments  # noqa: E402
from deployments.delivery import crypto  # noqa: E402
from deployments.delivery.models import (  # noqa: E402
    Activity,
    BankDetails,
    Deployment,
    DeploymentSection,
)
from deployments.matching.models import SupportCase, SystemLeader  # noqa: E402
from deployments.models import EligibilityAssessment, SupportOffer  # noqa: E402
from portal.models import BackgroundJob, Role, TimelineEvent, User  # noqa: E402
from schools.models import School  # noqa: E402

N = 5000
LEADERS = 500
PREFIX = "bench-claims-"


def ensure_seeded():
    call_command("migrate", verbosity=0)
    if not School.objects.exists():
        print("Seeding England-scale demo data (seed_demo --scale england)...")
        call_command("seed_demo", scale="england", verbosity=0)


def clean():
    """Delete what an earlier run of this script made."""
    leaders = SystemLeader.objects.filter(user__email__startswith=PREFIX)
    deployments = Deployment.objects.filter(system_leader__in=leaders)
    claims = Claim.objects.filter(deployment__in=deployments)
    runs = PaymentRun.objects.filter(created_by__email__startswith=PREFIX)
    with transaction.atomic():
        PaymentRunItem.objects.filter(run__in=runs).delete()
        BackgroundJob.objects.filter(created_by__email__startswith=PREFIX).delete()
        runs.delete()
        TimelineEvent.objects.filter(claim__in=claims).delete()
        Claim.history.filter(deployment_id__in=deployments.values("pk")).delete()
        claims.delete()
        Activity.objects.filter(deployment__in=deployments).delete()
        BankDetails.objects.filter(deployment__in=deployments).delete()
        DeploymentSection.objects.filter(deployment__in=deployments).delete()
        cases = list(deployments.values_list("support_case_id", flat=True))
        deployments.delete()
        SupportCase.objects.filter(pk__in=cases).delete()
        leaders.delete()
        User.objects.filter(email__startswith=PREFIX).delete()


def set_up(offer) -> tuple[list[int], User]:
    """5,000 accepted deployments, bulk-created; returns their ids and a finance user."""
    global N, LEADERS
    today = timezone.localdate()
    now = timezone.now()
    # One live case per school and offer: leave out the schools the demo's cases use.
    with_case = SupportCase.objects.filter(offer=offer, school__isnull=False)
    schools = list(
        School.objects.filter(status="open")
        .exclude(pk__in=with_case.values("school_id"))
        .order_by("pk")
        .values("pk", "region_id")[:N]
    )
    N = len(schools)  # 5,000 at England scale; every open school of a smaller demo
    LEADERS = min(LEADERS, max(1, N // 10))
    eligibility = EligibilityAssessment.objects.filter(offer=offer, school__isnull=False).first()
    finance = User.objects.create(email=f"{PREFIX}finance@example.org", full_name="Bench Finance",
                                  role=Role.FINANCE)  # fmt: skip
    users = User.objects.bulk_create(
        [
            User(
                email=f"{PREFIX}leader{i}@example.org",
                full_name=f"Bench Leader {i}",
                role=Role.SYSTEM_LEADER,
            )  # fmt: skip
            for i in range(LEADERS)
        ]
    )
    leaders = SystemLeader.objects.bulk_create(
        [
            SystemLeader(user=u, kind="nle", school_id=schools[-1 - i]["pk"])
            for i, u in enumerate(users)
        ]
    )
    cases = SupportCase.objects.bulk_create(
        [
            SupportCase(
                school_id=s["pk"],
                region_id=s["region_id"],
                offer=offer,
                eligibility=eligibility,
                state="deployment_issued",
                system_leader=leaders[i % LEADERS],
                opened_by=finance,
            )
            for i, s in enumerate(schools)
        ],
        batch_size=1000,
    )
    deployments = Deployment.objects.bulk_create(
        [
            Deployment(
                support_case=c,
                offer=offer,
                system_leader_id=c.system_leader_id,
                school_id=c.school_id,
                region_id=c.region_id,
                state="accepted",
                issued_on=today - dt.timedelta(days=90),
                accepted_on=today,
                approved_extension_days=Decimal("2") if i % 10 == 0 else Decimal("0"),
            )
            for i, c in enumerate(cases)
        ],
        batch_size=1000,
    )
    days = [Decimal("12") if i % 10 == 0 else Decimal("9.5") for i in range(N)]
    sections = []
    for i, d in enumerate(deployments):
        sections.append(DeploymentSection(deployment=d, key="claim", data={"days": str(days[i])}))
        if i % 50:  # every 50th school has not confirmed
            sections.append(
                DeploymentSection(
                    deployment=d,
                    key="school_confirmation",
                    data={"work_as_described": i % 97 != 0, "name": "Head", "role": "Head"},
                )
            )
    DeploymentSection.objects.bulk_create(sections, batch_size=2000)
    Activity.objects.bulk_create(
        [
            Activity(
                deployment=d,
                date=today - dt.timedelta(days=30),
                days=days[i] - (Decimal("1") if i % 33 == 0 else 0),
                description="Coaching",
                delivered_by="Leader",
                created_by=finance,
            )
            for i, d in enumerate(deployments)
        ],
        batch_size=2000,
    )
    banks = []
    for i, d in enumerate(deployments):
        leader = i % LEADERS
        sort_code, account = f"{600000 + leader:06d}", f"{30000000 + leader:08d}"
        if i % 250 == 0:  # an account shared with the next leader
            account = f"{30000000 + (leader + 1) % LEADERS:08d}"
            sort_code = f"{600000 + (leader + 1) % LEADERS:06d}"
        banks.append(
            BankDetails(
                deployment=d,
                account_name=f"Bench Leader {leader}",
                sort_code_encrypted=crypto.encrypt(sort_code),
                account_number_encrypted=crypto.encrypt(account),
                sort_code_last2=sort_code[-2:],
                account_number_last4=account[-4:],
                fingerprint=crypto.fingerprint(sort_code, account),
                changed_at=now - dt.timedelta(days=5 if i % 40 == 0 else 60),
            )
        )
    BankDetails.objects.bulk_create(banks, batch_size=2000)
    return [d.pk for d in deployments], finance


def timed(label, func):
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:7.3f} s  ({len(queries.captured_queries)} queries)")
    return result, seconds


def main():
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL to tsi_claims_bench.")
    ensure_seeded()
    offer = SupportOffer.objects.get(academic_year="2023/24")
    clean()
    start = time.perf_counter()
    with transaction.atomic():
        ids, finance = set_up(offer)
    print(f"Set-up: {N:,} accepted deployments in {time.perf_counter() - start:.1f} s (not timed)")
    connection.force_debug_cursor = True

    claims, compute = timed(
        f"Compute and check {N:,} claims",
        lambda: claims_create_for_deployments(
            Deployment.objects.filter(system_leader__user__email__startswith=PREFIX)
        ),
    )
    assert len(claims) == N, len(claims)
    flagged = sum(1 for c in claims if c.flags)
    # 2023/24 closed on 31 August 2024: every claim made today carries that flag.
    by_code = {}
    for c in claims:
        for f in c.flags:
            by_code[f["code"]] = by_code.get(f["code"], 0) + 1
    print(f"  {flagged:,} flagged: " + ", ".join(f"{k} {v:,}" for k, v in sorted(by_code.items())))

    # Finance approves (set-based here; the 12-day claims over their cap stay pending).
    approvable = Claim.objects.filter(pk__in=[c.pk for c in claims]).exclude(
        flag_codes__contains=" days_above_cap "
    )
    approved = approvable.update(state="approved", decided_by=finance, decided_at=timezone.now())
    print(f"  {approved:,} approved (set-based UPDATE, not timed)")

    run, pay = timed(
        f"Payment run of {approved:,} claims (start + build)",
        lambda: payment_run_start(user=finance),
    )
    run.refresh_from_db()
    assert run.state == "completed", run.failure
    paid = Claim.objects.filter(payment_run_item__run=run, state="paid").count()
    print(f"  run {run.pk}: {run.claim_count:,} claims, {paid:,} paid, total £{run.total:,}")
    print(f"{'Total':<52} {compute + pay:7.3f} s  (target < 5 s)")
    total = compute + pay
    report("claims.py", f"compute + check + pay {N:,} claims", "< 5 s",
           f"{compute:.2f} + {pay:.2f} = {total:.2f} s", total < 5)  # fmt: skip


if __name__ == "__main__":
    main()
