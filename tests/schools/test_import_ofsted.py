import datetime as dt

import pytest

from schools.importers import formats
from schools.models import OfstedInspection
from schools.signals import inspections_changed
from tests.schools.factories import OfstedInspectionFactory
from tests.schools.import_helpers import (
    OFSTED_A,
    OFSTED_B_AUGUST,
    OFSTED_B_SEPTEMBER,
    OFSTED_C,
    load_register,
    run,
)

pytestmark = pytest.mark.django_db
OFSTED = formats.OFSTED
Kind = OfstedInspection.Kind
Source = OfstedInspection.Source


@pytest.fixture
def register(north_west, london):
    load_register()


def numbers(urn, source=Source.JUDGEMENT):
    return set(
        OfstedInspection.objects.filter(school__urn=urn, source=source).values_list(
            "inspection_number", flat=True
        )
    )


@pytest.fixture
def sent(db):
    calls = []

    def receiver(sender, school_ids, **kwargs):
        calls.append(sorted(school_ids))

    inspections_changed.connect(receiver)
    yield calls
    inspections_changed.disconnect(receiver)


def test_generation_b_row_becomes_separate_inspections(register):
    result = run(OFSTED, OFSTED_B_AUGUST)

    assert result.generation == "B"
    assert (result.rows_read, result.created, result.rows_rejected) == (4, 8, 0)
    assert numbers("100005") == {"10100005", "9100005", "10150005"}
    latest = OfstedInspection.objects.get(inspection_number="10100005")
    assert (latest.kind, latest.overall_effectiveness) == (Kind.GRADED, 4)
    assert latest.category_of_concern == "SWK"
    assert latest.safeguarding_effective is False
    assert (latest.start_date, latest.end_date) == (dt.date(2022, 2, 2), dt.date(2022, 2, 3))
    assert latest.quality_of_education == 4
    monitoring = OfstedInspection.objects.get(inspection_number="10150005")
    assert monitoring.kind == Kind.MONITORING
    assert monitoring.ungraded_outcome == "Serious weaknesses monitoring"


def test_not_judged_has_no_overall_grade(register):
    run(OFSTED, OFSTED_B_AUGUST)

    inspection = OfstedInspection.objects.get(inspection_number="10200003")
    assert inspection.overall_effectiveness is None
    assert inspection.quality_of_education == 3


def test_predecessor_inspection_belongs_to_the_current_school(register):
    run(OFSTED, OFSTED_B_AUGUST)

    inspection = OfstedInspection.objects.get(inspection_number="10100003")
    assert inspection.school.urn == "140003"
    assert inspection.urn_at_time == "100002"
    assert inspection.is_predecessor_inspection


def test_two_successive_releases_build_up_the_history(register):
    run(OFSTED, OFSTED_B_AUGUST)

    result = run(OFSTED, OFSTED_B_SEPTEMBER)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 7)
    assert numbers("100001") == {"9100001", "10100001", "10300001"}
    # Now the previous graded inspection, which has no type column: the type stays.
    assert OfstedInspection.objects.get(inspection_number="10100001").inspection_type == (
        "S5 Inspection"
    )
    assert numbers("140003") == {"10200003", "10100003", "10250003"}
    older = run(OFSTED, OFSTED_B_AUGUST)
    assert (older.created, older.updated, older.unchanged) == (0, 0, 8)


def test_reimport_changes_nothing_and_sends_no_event(
    register, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(OFSTED, OFSTED_B_AUGUST)
    assert len(sent) == 1
    before = list(OfstedInspection.objects.order_by("inspection_number").values())

    with django_capture_on_commit_callbacks(execute=True):
        result = run(OFSTED, OFSTED_B_AUGUST)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 8)
    assert not result.changed
    assert len(sent) == 1
    assert list(OfstedInspection.objects.order_by("inspection_number").values()) == before


def test_changed_history_sends_the_schools_after_commit(
    register, sent, django_capture_on_commit_callbacks
):
    run(OFSTED, OFSTED_B_AUGUST)

    with django_capture_on_commit_callbacks(execute=True):
        run(OFSTED, OFSTED_B_SEPTEMBER)
        assert sent == []  # not before the commit

    expected = sorted(
        OfstedInspection.objects.filter(inspection_number__in=["10300001", "10250003"]).values_list(
            "school_id", flat=True
        )
    )
    assert sent == [expected]


def test_requires_improvement_reinspection_type_infers_the_earlier_judgement(register):
    result = run(OFSTED, OFSTED_B_AUGUST)

    # Visit 2: two RIs before it; the file gives one (2022, of the predecessor).
    inferred = OfstedInspection.objects.get(source=Source.INFERRED)
    assert inferred.inspection_number == "INF-10200003-2"
    assert inferred.school.urn == "140003"
    assert inferred.overall_effectiveness == OfstedInspection.Grade.REQUIRES_IMPROVEMENT
    assert inferred.start_date < dt.date(2022, 6, 14)
    assert inferred.urn_at_time == "100002"
    assert "Requires Improvement S5 Reinspection Visit 2" in inferred.inspection_type
    assert result.extra["inferred_created"] == 1


def test_generation_a_alone_infers_the_whole_run(register):
    result = run(OFSTED, OFSTED_A)

    assert result.generation == "A"
    assert numbers("140003", Source.INFERRED) == {"INF-10200003-1", "INF-10200003-2"}


def test_inferred_judgement_is_replaced_when_the_real_one_arrives(register):
    run(OFSTED, OFSTED_B_AUGUST)
    academy = OfstedInspection.objects.get(inspection_number="10100003").school
    OfstedInspectionFactory(
        school=academy,
        inspection_number="9000003",
        start_date=dt.date(2019, 5, 1),
        overall_effectiveness=OfstedInspection.Grade.REQUIRES_IMPROVEMENT,
    )

    result = run(OFSTED, OFSTED_B_AUGUST)

    assert result.extra["inferred_removed"] == 1
    assert not OfstedInspection.objects.filter(source=Source.INFERRED).exists()


def test_generation_a_report_card_grades(register):
    run(OFSTED, OFSTED_B_AUGUST)
    run(OFSTED, OFSTED_B_SEPTEMBER)

    result = run(OFSTED, OFSTED_A)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 3)
    card = OfstedInspection.objects.get(inspection_number="10400001")
    assert (card.kind, card.overall_effectiveness) == (Kind.REPORT_CARD, None)
    RC = OfstedInspection.ReportCardGrade
    assert card.rc_inclusion == RC.STRONG
    assert card.rc_personal_development == RC.EXCEPTIONAL
    assert card.rc_curriculum_and_teaching == RC.EXPECTED
    assert card.rc_early_years == ""
    assert card.rc_safeguarding_met is True
    weak = OfstedInspection.objects.get(inspection_number="10400003")
    assert weak.rc_achievement == RC.URGENT
    assert weak.publication_date is None


def test_generation_c_full_and_section_8_names(register):
    result = run(OFSTED, OFSTED_C)

    assert result.generation == "C"
    assert numbers("100001") == {"9100001", "8100001", "9150001"}
    previous = OfstedInspection.objects.get(inspection_number="8100001")
    assert previous.overall_effectiveness == OfstedInspection.Grade.OUTSTANDING
    section8 = OfstedInspection.objects.get(inspection_number="9150001")
    assert (section8.kind, section8.ungraded_outcome) == (Kind.UNGRADED, "School remains Good")


def test_unknown_school_rejects_the_row(north_west, london):
    result = run(OFSTED, OFSTED_B_AUGUST)

    assert result.rows_rejected == 4
    assert result.created == 0
    assert "import the establishments file first" in result.problems[0].problem


def test_bad_grade_and_date_reject_only_that_row(register, tmp_path):
    text = OFSTED_B_AUGUST.read_bytes().decode("cp1252")
    text = text.replace('"20/09/2023"', '"31/09/2023"', 1).replace(',4,"SWK"', ',7,"SWK"')
    path = tmp_path / "ofsted.csv"
    path.write_bytes(text.encode("cp1252"))

    result = run(OFSTED, path)

    assert result.rows_rejected == 2
    problems = {p.column: p.problem for p in result.problems}
    assert problems["Inspection start date"] == "Not a real date (no such day)."
    assert problems["Overall effectiveness"].startswith("Not a grade")
    assert result.created == 3
