"""The synthetic England of `seed_demo` (small scale only, to keep the suite fast)."""

import datetime as dt
import random
import re
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from schools.demo import (
    REPORT_CARD_START,
    build_plan,
    is_invented_person_name,
    is_invented_place,
    seed_register,
)
from schools.models import LocalAuthority, OfstedInspection, Region, School, SchoolLink, Trust
from tests.schools.factories import SchoolFactory

SEED = 20230901
YEAR_START, YEAR_END = dt.date(2023, 9, 1), dt.date(2024, 8, 31)
REGION_NAMES = {
    "East of England",
    "East Midlands",
    "London",
    "North East",
    "North West",
    "South East",
    "South West",
    "West Midlands",
    "Yorkshire and the Humber",
}


def seed():
    return seed_register(scale="small", rng=random.Random(SEED))


def snapshot():
    """Everything the seed writes, by natural keys (no database ids)."""
    return {
        "las": sorted(LocalAuthority.objects.values_list("code", "name", "region__name")),
        "trusts": sorted(
            Trust.objects.values_list("uid", "name", "companies_house_number", "head_of_group")
        ),
        "schools": sorted(
            School.objects.values_list(
                "urn", "laestab", "name", "status", "trust__uid", "trust_joined_on", "headteacher"
            ),
            key=str,
        ),
        "links": sorted(SchoolLink.objects.values_list("urn", "linked_urn", "link_type")),
        "inspections": sorted(
            OfstedInspection.objects.values_list(
                "inspection_number",
                "school__urn",
                "kind",
                "start_date",
                "overall_effectiveness",
                "rc_achievement",
                "urn_at_time",
            ),
            key=str,
        ),
    }


def graded_history(school):
    """The school's graded judgements with its predecessors', oldest first."""
    urns = [school.urn] + list(
        SchoolLink.objects.filter(urn=school.urn, kind=SchoolLink.Kind.PREDECESSOR).values_list(
            "linked_urn", flat=True
        )
    )
    return list(
        OfstedInspection.objects.filter(school__urn__in=urns, overall_effectiveness__isnull=False)
        .order_by("start_date")
        .values_list("start_date", "overall_effectiveness")
    )


def ri_run_in_2023_24(history):
    """The start dates of the run of consecutive RIs ending at the last graded judgement
    of 2023/24 (empty if that judgement is not RI or there is none)."""
    in_year = [i for i, (day, _) in enumerate(history) if YEAR_START <= day <= YEAR_END]
    if not in_year:
        return []
    run = []
    for day, grade in reversed(history[: in_year[-1] + 1]):
        if grade != OfstedInspection.Grade.REQUIRES_IMPROVEMENT:
            break
        run.append(day)
    return run[::-1]


def test_the_plan_is_the_same_for_the_same_seed():
    first = build_plan(scale="small", rng=random.Random(SEED))
    second = build_plan(scale="small", rng=random.Random(SEED))
    assert first == second
    other = build_plan(scale="small", rng=random.Random(SEED + 1))
    assert [s["name"] for s in other.schools] != [s["name"] for s in first.schools]


@pytest.mark.django_db
def test_two_runs_into_empty_registers_write_identical_data():
    seed()
    first = snapshot()
    OfstedInspection.objects.all().delete()
    SchoolLink.objects.all().delete()
    School.objects.all().delete()
    Trust.objects.all().delete()
    LocalAuthority.objects.all().delete()
    Region.objects.all().delete()
    seed()
    assert snapshot() == first
    assert len(first["inspections"]) > 1000


@pytest.mark.django_db
def test_a_second_run_adds_nothing_and_changes_nothing():
    seed()
    before = snapshot()
    counts = seed()
    assert {k: v for k, v in counts.items() if k.endswith(" added")} == {
        "regions added": 0,
        "local authorities added": 0,
        "trusts added": 0,
        "schools added": 0,
        "school links added": 0,
        "inspections added": 0,
    }
    assert snapshot() == before


@pytest.mark.django_db
def test_a_register_holding_other_schools_at_the_demo_urns_is_refused_whole():
    plan = build_plan(scale="small", rng=random.Random(SEED))
    SchoolFactory(urn=plan.schools[0]["urn"], name="Not A Demo School")
    with pytest.raises(CommandError, match="already holds other schools"):
        seed()
    assert School.objects.count() == 1
    assert not Trust.objects.exists()


@pytest.mark.django_db
def test_small_scale_has_the_nine_regions_and_well_formed_codes():
    counts = seed()
    assert set(Region.objects.values_list("name", flat=True)) == REGION_NAMES
    assert counts["open schools"] == 300
    las = list(LocalAuthority.objects.all())
    assert len(las) == 18
    assert len({la.code for la in las}) == 18
    assert all(re.fullmatch(r"\d{3}", la.code) for la in las)
    assert {la.region.name for la in las} == REGION_NAMES
    schools = list(School.objects.select_related("local_authority"))
    assert all(re.fullmatch(r"\d{6}", s.urn) for s in schools)
    assert all(s.laestab == s.local_authority.code + s.laestab[3:] for s in schools)
    assert all(re.fullmatch(r"\d{7}", s.laestab) for s in schools)
    assert len({s.laestab for s in schools}) == len(schools)
    assert all(s.region_id == s.local_authority.region_id for s in schools)


@pytest.mark.django_db
def test_register_fields_are_filled_like_gias():
    seed()
    open_schools = School.objects.filter(status__in=School.OPEN_STATUSES)
    assert all(
        s.name and s.headteacher and s.postcode and s.street and s.town and s.phase
        for s in open_schools
    )
    assert all(isinstance(s.percentage_fsm, Decimal) for s in open_schools)
    assert all(s.statutory_low_age < s.statutory_high_age for s in open_schools)
    type_names = set(open_schools.values_list("type_name", flat=True))
    assert {"Academy converter", "Academy sponsor led", "Community school"} <= type_names
    assert {"Voluntary aided school", "Free schools"} <= type_names
    assert open_schools.filter(type_name__contains="special").exists()
    assert open_schools.exclude(religious_character="").exclude(diocese="").exists()
    assert School.objects.filter(status=School.Status.OPEN_PROPOSED_TO_CLOSE).exists()
    closed = School.objects.filter(status=School.Status.CLOSED)
    assert closed.exists()
    assert all(s.closed_on and s.close_reason for s in closed)
    assert {"Academy Converter", "Academy Sponsor Led"} <= set(
        closed.values_list("close_reason", flat=True)
    )


@pytest.mark.django_db
def test_academies_belong_to_trusts_from_their_opening_and_trusts_are_filled():
    seed()
    academies = School.objects.filter(
        status__in=School.OPEN_STATUSES, type_group__in=("Academies", "Free Schools")
    )
    assert academies.exists()
    for school in academies.select_related("trust"):
        assert school.trust is not None
        assert school.trust_joined_on >= school.opened_on
        assert school.trust.opened_on <= school.trust_joined_on
    assert not School.objects.filter(type_group="Local authority maintained schools").exclude(
        trust=None
    )
    trusts = list(Trust.objects.all())
    assert len(trusts) == 30
    assert {t.kind for t in trusts} == {Trust.Kind.MULTI_ACADEMY, Trust.Kind.SINGLE_ACADEMY}
    assert all(re.fullmatch(r"\d{8}", t.companies_house_number) for t in trusts)
    assert all(t.group_type and t.head_of_group and t.postcode for t in trusts)
    assert any(t.schools.count() > 1 for t in trusts if t.kind == Trust.Kind.MULTI_ACADEMY)
    assert all(t.schools.count() == 1 for t in trusts if t.kind == Trust.Kind.SINGLE_ACADEMY)


@pytest.mark.django_db
def test_names_come_from_the_invented_word_lists():
    seed()
    people = list(School.objects.exclude(headteacher="").values_list("headteacher", flat=True))
    people += list(Trust.objects.values_list("head_of_group", flat=True))
    assert people
    assert all(is_invented_person_name(name) for name in people)
    for name in School.objects.values_list("name", flat=True):
        assert is_invented_place(name.split()[0]), name
    for name in LocalAuthority.objects.values_list("name", flat=True):
        assert is_invented_place(name.split()[0]), name
    assert not is_invented_person_name("Jane Smith")
    assert not is_invented_place("Manchester")
    assert not is_invented_place("Amberley")  # a real village: excluded


@pytest.mark.django_db
def test_academy_conversions_link_predecessors_both_ways_and_carry_history():
    seed()
    predecessor_links = SchoolLink.objects.filter(kind=SchoolLink.Kind.PREDECESSOR)
    assert predecessor_links.count() > 50
    for link in predecessor_links:
        assert SchoolLink.objects.filter(
            urn=link.linked_urn, linked_urn=link.urn, kind=SchoolLink.Kind.SUCCESSOR
        ).exists()
        old = School.objects.get(urn=link.linked_urn)
        new = School.objects.get(urn=link.urn)
        assert old.status == School.Status.CLOSED
        assert old.closed_on < new.opened_on == link.established_on
    successors = set(predecessor_links.values_list("urn", flat=True))
    predecessors = set(predecessor_links.values_list("linked_urn", flat=True))
    assert OfstedInspection.objects.filter(school__urn__in=predecessors).exists()
    recorded_under_old_urn = OfstedInspection.objects.exclude(urn_at_time="")
    assert recorded_under_old_urn.exists()
    for inspection in recorded_under_old_urn.select_related("school"):
        assert inspection.school.urn in successors
        assert inspection.urn_at_time in predecessors
        assert inspection.start_date < inspection.school.opened_on


@pytest.mark.django_db
def test_amalgamations_close_two_schools_into_one_linked_from_both_ends():
    seed()
    links = SchoolLink.objects.filter(link_type="Predecessor - amalgamated")
    assert links.exists()
    for link in links:
        assert link.kind == SchoolLink.Kind.AMALGAMATED
        assert SchoolLink.objects.filter(
            urn=link.linked_urn, linked_urn=link.urn, link_type="Successor - amalgamated"
        ).exists()
        old = School.objects.get(urn=link.linked_urn)
        assert old.close_reason == "Result of Amalgamation"
        assert School.objects.get(urn=link.urn).open_reason == "Result of Amalgamation"


@pytest.mark.django_db
def test_seed_demo_command_runs_twice_and_adds_nothing_the_second_time():
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    assert re.search(r"^schools added: [1-9]\d*$", first.getvalue(), re.M)
    assert "schools added: 0" in second.getvalue()
    assert "inspections added: 0" in second.getvalue()


@pytest.mark.django_db
def test_histories_are_mostly_good_with_some_ri_runs_ending_in_2023_24_in_several_regions():
    seed()
    latest = []
    runs_by_region = defaultdict(int)
    for school in School.objects.filter(status__in=School.OPEN_STATUSES).select_related("region"):
        history = graded_history(school)
        if history:
            latest.append(history[-1][1])
        if len(ri_run_in_2023_24(history)) >= 2:
            runs_by_region[school.region.name] += 1
    good_or_better = sum(1 for g in latest if g <= 2) / len(latest)
    requires_improvement = sum(1 for g in latest if g == 3) / len(latest)
    assert good_or_better > 0.75
    assert 0.04 < requires_improvement < 0.16
    assert sum(runs_by_region.values()) >= 5
    assert {"North West", "London"} <= set(runs_by_region)
    assert len(runs_by_region) >= 4
    inadequate_in_year = OfstedInspection.objects.filter(
        overall_effectiveness=4, start_date__range=(YEAR_START, YEAR_END)
    )
    assert inadequate_in_year.exclude(category_of_concern="").exists()


@pytest.mark.django_db
def test_some_2023_24_ri_runs_span_an_academy_conversion():
    seed()
    spanning = 0
    for link in SchoolLink.objects.filter(kind=SchoolLink.Kind.PREDECESSOR):
        school = School.objects.get(urn=link.urn)
        run = ri_run_in_2023_24(graded_history(school))
        if len(run) >= 2 and run[0] < school.opened_on <= run[-1]:
            spanning += 1
    assert spanning >= 2


@pytest.mark.django_db
def test_inspection_kinds_follow_the_framework_changes():
    seed()
    inspections = OfstedInspection.objects.all()
    assert set(inspections.values_list("source", flat=True)) == {OfstedInspection.Source.SEED}
    no_grade = inspections.filter(kind="graded", start_date__gte=dt.date(2024, 9, 1))
    assert no_grade.exists()
    assert not no_grade.exclude(overall_effectiveness=None).exists()
    assert not no_grade.filter(quality_of_education=None).exists()
    report_cards = inspections.filter(kind="report_card")
    assert report_cards.exists()
    assert not report_cards.filter(start_date__lt=REPORT_CARD_START).exists()
    assert not report_cards.exclude(overall_effectiveness=None).exists()
    assert not report_cards.filter(rc_achievement="").exists()
    assert not inspections.filter(start_date__gte=REPORT_CARD_START, kind="graded").exists()
    ungraded = inspections.filter(kind="ungraded")
    assert not ungraded.exclude(overall_effectiveness=None).exists()
    outcomes = set(ungraded.values_list("ungraded_outcome", flat=True))
    assert {"School remains Good", "Standards maintained"} <= outcomes
    assert inspections.filter(kind="monitoring").exists()
    assert inspections.filter(category_of_concern="SM").exists()
    assert inspections.filter(category_of_concern="SWK").exists()


@pytest.mark.django_db
def test_inspections_are_consistent():
    seed()
    rows = list(OfstedInspection.objects.select_related("school"))
    assert len({i.inspection_number for i in rows}) == len(rows)
    for i in rows:
        assert i.end_date >= i.start_date
        assert i.publication_date > i.end_date
        assert i.start_date.weekday() < 5
        if i.school.opened_on and not i.urn_at_time:
            assert i.start_date > i.school.opened_on
        if i.school.closed_on:
            assert i.start_date < i.school.closed_on
        grade = i.overall_effectiveness
        if grade:
            assert i.kind == OfstedInspection.Kind.GRADED
            assert abs(i.leadership_and_management - grade) <= 1
            if i.quality_of_education:
                assert abs(i.quality_of_education - grade) <= 1
            assert (i.category_of_concern != "") == (grade == 4)
            if grade <= 2:
                assert i.safeguarding_effective
    # Graded inspections after an RI are named as re-inspections, as Ofsted does.
    assert OfstedInspection.objects.filter(
        inspection_type="Requires Improvement S5 Reinspection Visit 2"
    ).exists()
