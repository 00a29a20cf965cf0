"""Benchmark: the set-based eligibility recompute against a per-school ORM loop.

Run on a database seeded with `manage.py seed_demo --scale england`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsi_bench_elig \
        .venv/bin/python bench/eligibility.py

Everything runs inside one transaction that is rolled back, so the database is
left as it was. The full recompute starts from no rows without deleting any (support
cases protect the rows they were opened on): inside the transaction the offer's start
moves a day and a twin of the offer, same dates and rule set, takes its place, so the
recompute writes every row afresh for the twin. Prints both times, the ratio and the
row counts; it also checks that the loop and the engine find exactly the same
eligibility. Targets (England scale): full recompute < 2 s, >= 30x the loop."""

import datetime as dt
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.results import report  # noqa: E402
from deployments.eligibility import Inspection, rule_set_for  # noqa: E402
from deployments.eligibility.engine import compute, is_listed  # noqa: E402
from deployments.models import EligibilityAssessment, SupportOffer  # noqa: E402
from deployments.services import eligibility_recompute  # noqa: E402
from schools.models import OfstedInspection, School, SchoolLink  # noqa: E402


def per_school_loop(offer) -> dict[int, list]:
    """The straightforward way: for each school, ask the ORM for its links, its
    predecessors' inspections and its own, then apply the rule set."""
    rule_set = rule_set_for(offer.rule_set)
    findings = {}
    for school in School.objects.all():
        if not is_listed(school.status, school.closed_on, offer.starts_on):
            continue
        predecessor_urns, todo = set(), [school.urn]
        while todo:
            urn = todo.pop()
            for link in SchoolLink.objects.filter(urn=urn, kind=SchoolLink.Kind.PREDECESSOR):
                if link.linked_urn not in predecessor_urns and link.linked_urn != school.urn:
                    predecessor_urns.add(link.linked_urn)
                    todo.append(link.linked_urn)
            for link in SchoolLink.objects.filter(linked_urn=urn, kind=SchoolLink.Kind.SUCCESSOR):
                if link.urn not in predecessor_urns and link.urn != school.urn:
                    predecessor_urns.add(link.urn)
                    todo.append(link.urn)
        history = []
        for urn in [*predecessor_urns, school.urn]:
            for i in OfstedInspection.objects.filter(
                school__urn=urn,
                kind=OfstedInspection.Kind.GRADED,
                overall_effectiveness__isnull=False,
                start_date__lte=offer.ends_on,
            ).select_related("school"):
                via = (
                    "link"
                    if i.school_id != school.pk
                    else ("urn_at_time" if i.urn_at_time not in ("", school.urn) else "")
                )
                history.append(
                    Inspection(
                        i.pk,
                        i.inspection_number,
                        i.urn_at_time or i.school.urn,
                        i.start_date,
                        i.overall_effectiveness,
                        via,
                    )
                )
        history.sort(key=lambda x: (x.start_date, x.id))
        found = rule_set.evaluate(
            starts_on=offer.starts_on, ends_on=offer.ends_on, inspections=history
        )
        if found:
            findings[school.pk] = found
    return findings


def twin_of(offer):
    """A copy of the offer with no eligibility rows yet (inside the caller's
    rolled-back transaction): the original's start moves a day to free its
    unique start date, and keeps its rows and the cases that point at them."""
    starts_on, year = offer.starts_on, offer.academic_year
    SupportOffer.objects.filter(pk=offer.pk).update(
        starts_on=starts_on + dt.timedelta(days=1), academic_year="bench"
    )
    offer.pk = None
    offer.starts_on, offer.academic_year = starts_on, year
    offer.save()
    return offer


def timed(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def main():
    offer = SupportOffer.objects.filter(academic_year="2023/24").first()
    if offer is None:
        sys.exit("No 2023/24 offer: run `manage.py seed_demo --scale england` first.")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"rows: schools {School.objects.count():,}, inspections "
        f"{OfstedInspection.objects.count():,}, school links {SchoolLink.objects.count():,}"
    )
    with transaction.atomic():
        offer = twin_of(offer)

        full_s, counts = timed(lambda: eligibility_recompute(offer=offer))
        rerun_s, rerun = timed(lambda: eligibility_recompute(offer=offer))
        engine_s, result = timed(lambda: compute(offer=offer))
        loop_s, loop_findings = timed(lambda: per_school_loop(offer))

        by_kind = Counter(
            row.criterion + (f" {row.run_label}" if row.run_length else "")
            for row in EligibilityAssessment.objects.current().eligible().filter(offer=offer)
        )
        history_rows = EligibilityAssessment.history.filter(offer=offer).count()
        transaction.set_rollback(True)

    print(f"inspections read by the engine: {counts['inspections']:,}")
    print(
        f"eligibility rows written: {counts['created']:,} "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(by_kind.items()))}); "
        f"history rows {history_rows:,}"
    )
    print(f"full recompute (set-based, writes rows):  {full_s:8.3f} s")
    print(
        f"re-run with unchanged data:               {rerun_s:8.3f} s  "
        f"(created {rerun['created']}, superseded {rerun['superseded']}, "
        f"no longer eligible {rerun['no_longer_eligible']})"
    )
    print(f"engine compute only (no writes):          {engine_s:8.3f} s")
    print(f"per-school ORM loop (compute, no writes): {loop_s:8.3f} s")
    print(f"ratio loop / full recompute:              {loop_s / full_s:8.1f} x")

    def as_keys(findings):
        return {
            (school_id, f.criterion, f.run_length, tuple(i.id for i in f.inspections))
            for school_id, items in findings.items()
            for f in items
        }

    same = as_keys(loop_findings) == as_keys(result.findings)
    print(f"loop and engine agree: {same}")
    report("eligibility.py", "full recompute", "< 2 s", f"{full_s:.2f} s", full_s < 2)
    ratio = loop_s / full_s
    report(
        "eligibility.py",
        "per-school loop / recompute",
        ">= 30x",
        f"{ratio:.0f}x ({loop_s:.1f} s)",
        ratio >= 30,
    )
    report("eligibility.py", "loop and engine agree", "same rows", str(same), same)
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
