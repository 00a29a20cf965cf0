"""The set-based engine agrees with a plain per-school reference implementation
on random inspection histories, predecessor chains and ungraded inspections."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deployments.models import EligibilityAssessment
from deployments.services import eligibility_recompute
from schools.models import OfstedInspection, School, SchoolLink
from tests.deployments.factories import SupportOfferFactory
from tests.schools.factories import OfstedInspectionFactory, SchoolFactory, SchoolLinkFactory

YEAR_START, YEAR_END = dt.date(2023, 9, 1), dt.date(2024, 8, 31)
FIRST_DAY = dt.date(2018, 9, 1)
DAYS = (dt.date(2025, 6, 30) - FIRST_DAY).days


# ---------------------------------------------------------------- reference


def reference_predecessor_urns(urn):
    """Every predecessor URN, one query per step: deliberately naive."""
    found, todo = set(), [urn]
    while todo:
        current = todo.pop()
        direct = set(
            SchoolLink.objects.filter(urn=current, kind="predecessor").values_list(
                "linked_urn", flat=True
            )
        ) | set(
            SchoolLink.objects.filter(linked_urn=current, kind="successor").values_list(
                "urn", flat=True
            )
        )
        for p in direct - found - {urn}:
            found.add(p)
            todo.append(p)
    return found


def reference_eligibility(school):
    """What the guidance says, written as plainly as possible."""
    if school.status == School.Status.CLOSED and (
        school.closed_on is None or school.closed_on < YEAR_START
    ):
        return set()
    predecessor_urns = reference_predecessor_urns(school.urn)
    history = []
    for inspection in OfstedInspection.objects.filter(
        school__urn__in=predecessor_urns | {school.urn}
    ):
        if inspection.kind != "graded" or inspection.overall_effectiveness is None:
            continue  # ungraded, monitoring and report cards never count
        if inspection.start_date > YEAR_END:
            continue
        from_predecessor = inspection.school_id != school.pk or (
            inspection.urn_at_time not in ("", school.urn)
        )
        history.append((inspection.start_date, inspection.pk, inspection, from_predecessor))
    history.sort(key=lambda row: (row[0], row[1]))

    results = set()
    best_a = None
    for i, (day, _, inspection, _) in enumerate(history):
        if inspection.overall_effectiveness != 3 or not (YEAR_START <= day <= YEAR_END):
            continue
        j = i
        while j >= 0 and history[j][2].overall_effectiveness == 3:
            j -= 1
        run = history[j + 1 : i + 1]
        if len(run) >= 2:
            best_a = run
    if best_a:
        results.add(
            (
                "A",
                len(best_a),
                best_a[-1][0],
                any(r[3] for r in best_a),
                tuple(r[2].inspection_number for r in best_a),
            )
        )
    inadequate = [
        r for r in history if r[2].overall_effectiveness == 4 and YEAR_START <= r[0] <= YEAR_END
    ]
    if inadequate:
        last = inadequate[-1]
        results.add(("B", None, last[0], last[3], (last[2].inspection_number,)))
    return results


def engine_eligibility(school):
    return {
        (
            row.criterion,
            row.run_length,
            row.latest_inspection_date,
            row.predecessor_used,
            tuple(i["number"] for i in row.evidence["inspections"]),
        )
        for row in EligibilityAssessment.objects.current().eligible().filter(school=school)
    }


# ---------------------------------------------------------------- strategies

inspection_spec = st.tuples(
    st.integers(0, DAYS),
    st.sampled_from(["graded", "ungraded", "report_card", "monitoring"]),
    st.sampled_from([1, 2, 3, 3, 3, 4]),
    st.booleans(),  # recorded under a predecessor's URN
)
school_spec = st.tuples(
    st.sampled_from(["open", "open", "closed_before", "closed_during"]),
    st.lists(inspection_spec, max_size=7),
)
world_spec = st.tuples(
    st.lists(school_spec, min_size=1, max_size=5),
    # (successor index, predecessor index, recorded as "successor" on the predecessor)
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.booleans()), max_size=4),
)


def build(world):
    school_specs, link_specs = world
    schools = []
    for status, inspections in school_specs:
        closed_on = {"closed_before": dt.date(2023, 7, 31), "closed_during": dt.date(2024, 1, 31)}
        school = SchoolFactory(
            status=School.Status.OPEN if status == "open" else School.Status.CLOSED,
            closed_on=closed_on.get(status),
        )
        for offset, kind, grade, under_predecessor in inspections:
            OfstedInspectionFactory(
                school=school,
                start_date=FIRST_DAY + dt.timedelta(days=offset),
                kind=kind,
                overall_effectiveness=grade if kind == "graded" else None,
                urn_at_time="999999" if under_predecessor else "",
            )
        schools.append(school)
    for successor, predecessor, as_successor in set(link_specs):
        # successor index > predecessor index keeps chains acyclic
        if successor >= len(schools) or predecessor >= successor:
            continue
        new, old = schools[successor].urn, schools[predecessor].urn
        if SchoolLink.objects.filter(urn__in=[new, old], linked_urn__in=[new, old]).exists():
            continue
        if as_successor:
            SchoolLinkFactory(urn=old, linked_urn=new, kind="successor", link_type="Successor")
        else:
            SchoolLinkFactory(urn=new, linked_urn=old)
    return schools


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=world_spec)
def test_engine_agrees_with_reference_implementation(world):
    with transaction.atomic():
        offer = SupportOfferFactory()
        schools = build(world)
        eligibility_recompute(offer=offer)
        for school in schools:
            assert engine_eligibility(school) == reference_eligibility(school), school.urn
        transaction.set_rollback(True)
