"""Benchmark: ranking system-leader candidates for 100 different support cases.

Run on a database seeded with `manage.py seed_demo --scale england` (2,000
system leaders):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsi_leaders_bench \
        .venv/bin/python bench/matching.py

It opens 100 cases for 100 different open schools (seeded choice) and, so that
load and experience count, about 1,000 deployments (two in five still open),
inside one transaction that is rolled back: the database is left as it was.
After 5 warm-up rankings it times `rank_candidates(case)` once per case and
prints the median and p95 in ms. Target: median < 200 ms, p95 < 300 ms. On a smaller
demo it uses what there is: half the open schools at most get a case."""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.results import report  # noqa: E402
from deployments.matching.ranking import rank_candidates  # noqa: E402
from deployments.models import (  # noqa: E402
    Deployment,
    EligibilityAssessment,
    SupportCase,
    SupportOffer,
    SystemLeader,
)
from portal.models import Role, User  # noqa: E402
from schools.models import School  # noqa: E402

CASES = 100
DEPLOYMENTS = 1000
SEED = 18


def open_cases(offer, opener, schools) -> list[SupportCase]:
    """One case per school, on its current assessment or a new one (by exception)."""
    current = {
        a.school_id: a
        for a in EligibilityAssessment.objects.current().filter(offer=offer, school__in=schools)
    }
    cases = []
    for school in schools:
        assessment = current.get(school.pk) or EligibilityAssessment.objects.create(
            offer=offer,
            school=school,
            region_id=school.region_id,
            criterion="X",
            computed_at=timezone.now(),
        )
        cases.append(
            SupportCase(
                offer=offer,
                eligibility=assessment,
                school=school,
                region_id=school.region_id,
                opened_by=opener,
            )
        )
    return SupportCase.objects.bulk_create(cases)


def main():
    offer = SupportOffer.objects.filter(academic_year="2023/24").first()
    leaders = SystemLeader.objects.count()
    if offer is None or not leaders:
        sys.exit("Run `manage.py seed_demo --scale england` first (2,000 system leaders).")
    rng = random.Random(SEED)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    with transaction.atomic():
        opener = User.objects.filter(role=Role.REGIONS_STAFF).first() or User.objects.first()
        # One live case per school and offer: leave out the schools the demo's cases use.
        with_case = SupportCase.objects.filter(offer=offer, school__isnull=False)
        schools = list(
            School.objects.filter(status__in=School.OPEN_STATUSES, region__isnull=False)
            .exclude(pk__in=with_case.values("school_id"))
            .order_by("urn")
        )
        n_cases = min(CASES, len(schools) // 2)
        picked = rng.sample(schools, min(len(schools), n_cases + DEPLOYMENTS))
        cases = open_cases(offer, opener, picked[:n_cases])
        past = open_cases(offer, opener, picked[n_cases:])
        leader_ids = list(SystemLeader.objects.order_by("pk").values_list("pk", flat=True))
        Deployment.objects.bulk_create(
            Deployment(
                support_case=case,
                offer=offer,
                school_id=case.school_id,
                region_id=case.region_id,
                system_leader_id=rng.choice(leader_ids),
                state=Deployment.State.DELIVERY if n % 5 < 2 else Deployment.State.CLOSED,
                issued_on=dt.date(2023, 10, 1),
            )
            for n, case in enumerate(past)
        )
        for case in rng.sample(cases, min(20, len(cases))):
            case.declined_by.add(*rng.sample(leader_ids, min(3, len(leader_ids))))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        def fresh(case):
            return SupportCase.objects.select_related(
                "school", "school__trust", "region", "eligibility"
            ).get(pk=case.pk)

        for case in cases[:5]:
            rank_candidates(fresh(case))
        timings, cpu, sizes, queries = [], [], [], []
        for case in cases:
            case = fresh(case)
            connection.force_debug_cursor = True
            reset_queries()
            start, start_cpu = time.perf_counter(), time.process_time()
            ranked = rank_candidates(case)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            queries.append(len(connection.queries))
            connection.force_debug_cursor = False
            sizes.append(len(ranked))
        transaction.set_rollback(True)

    def p95(values):
        return sorted(values)[max(0, round(0.95 * len(values)) - 1)]

    timings.sort()
    print(f"system leaders: {leaders:,}; cases ranked: {len(timings)}")
    print(
        f"candidates per case: median {statistics.median(sizes):,.0f} "
        f"(min {min(sizes):,}, max {max(sizes):,}); queries per ranking: {max(queries)}"
    )
    print(f"ranking time: median {statistics.median(timings):.1f} ms, p95 {p95(timings):.1f} ms, "
          f"max {timings[-1]:.1f} ms")  # fmt: skip
    print(f"of which this process's CPU: median {statistics.median(cpu):.1f} ms, "
          f"p95 {p95(cpu):.1f} ms; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    print("target: median < 200 ms, p95 < 300 ms")
    median = statistics.median(timings)
    scope = f"{len(timings)} cases, {leaders:,} leaders"
    report("matching.py", f"ranking median ({scope})", "< 200 ms", f"{median:.0f} ms",
           median < 200)  # fmt: skip
    report("matching.py", "ranking p95", "< 300 ms", f"{p95(timings):.0f} ms", p95(timings) < 300)


if __name__ == "__main__":
    main()
