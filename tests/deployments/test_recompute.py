"""Recompute behaviour: idempotent, supersedes on changed evidence, incremental, set-based."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deployments.models import EligibilityAssessment
from deployments.services import eligibility_recompute, eligibility_recompute_schools
from schools.signals import inspections_changed
from tests.deployments.factories import SupportOfferFactory
from tests.deployments.helpers import GOOD, INADEQUATE, RI, add_inspections
from tests.schools.factories import SchoolFactory, SchoolLinkFactory

IN_YEAR = "2023-10-12"


def _history_count():
    return EligibilityAssessment.history.count()


@pytest.mark.django_db
def test_rerun_with_unchanged_data_writes_nothing():
    offer = SupportOfferFactory()
    for _ in range(3):
        add_inspections(SchoolFactory(), [("2021-01-01", RI), (IN_YEAR, RI)])
    first = eligibility_recompute(offer=offer)
    rows = list(EligibilityAssessment.objects.values_list("id", "computed_at", "status"))
    history = _history_count()

    second = eligibility_recompute(offer=offer)

    assert first["created"] == 3
    assert second == {**second, "created": 0, "superseded": 0, "no_longer_eligible": 0}
    assert second["unchanged"] == 3
    assert list(EligibilityAssessment.objects.values_list("id", "computed_at", "status")) == rows
    assert _history_count() == history


@pytest.mark.django_db
def test_longer_run_supersedes_the_row_and_keeps_history():
    offer = SupportOfferFactory()
    school = SchoolFactory()
    add_inspections(school, [("2020-01-01", RI), (IN_YEAR, RI)])
    eligibility_recompute(offer=offer)
    old = EligibilityAssessment.objects.get(school=school)

    add_inspections(school, [("2024-03-01", RI)])
    eligibility_recompute(offer=offer)

    old.refresh_from_db()
    new = EligibilityAssessment.objects.current().get(school=school)
    assert old.status == EligibilityAssessment.Status.SUPERSEDED
    assert new.run_label == "3RI" and new.pk != old.pk
    assert [h.status for h in old.history.order_by("history_date")] == ["eligible", "superseded"]


@pytest.mark.django_db
def test_corrected_judgement_marks_the_row_no_longer_eligible():
    offer = SupportOfferFactory()
    school = SchoolFactory()
    inspection = add_inspections(school, [(IN_YEAR, INADEQUATE)])[0]
    eligibility_recompute(offer=offer)

    inspection.overall_effectiveness = GOOD
    inspection.save()
    counts = eligibility_recompute(offer=offer)

    row = EligibilityAssessment.objects.get(school=school)
    assert counts["no_longer_eligible"] == 1
    assert row.status == EligibilityAssessment.Status.NO_LONGER_ELIGIBLE
    assert eligibility_recompute(offer=offer)["no_longer_eligible"] == 0


@pytest.mark.django_db
def test_incremental_recompute_touches_only_affected_schools_and_their_successors():
    SupportOfferFactory()
    untouched = SchoolFactory()
    add_inspections(untouched, [(IN_YEAR, INADEQUATE)])
    predecessor = SchoolFactory(status="closed", closed_on=dt.date(2022, 8, 31))
    academy = SchoolFactory()
    SchoolLinkFactory(urn=academy.urn, linked_urn=predecessor.urn)
    add_inspections(academy, [(IN_YEAR, RI)])
    # Not computed yet for `untouched`: an incremental run must not create it.

    add_inspections(predecessor, [("2021-01-01", RI)])
    result = eligibility_recompute_schools(school_ids=[predecessor.pk])

    assert result["2023/24"]["created"] == 1
    assert EligibilityAssessment.objects.get().school == academy
    assert not EligibilityAssessment.objects.filter(school=untouched).exists()


@pytest.mark.django_db(transaction=True)
def test_inspections_changed_signal_queues_incremental_recompute_on_commit():
    offer = SupportOfferFactory()
    school = SchoolFactory()
    add_inspections(school, [(IN_YEAR, INADEQUATE)])

    inspections_changed.send(sender=None, school_ids=[school.pk])

    row = EligibilityAssessment.objects.get(school=school, offer=offer)
    assert row.criterion == "B"


@pytest.mark.django_db
def test_full_recompute_runs_a_constant_number_of_queries():
    offer = SupportOfferFactory()

    def run_queries():
        with CaptureQueriesContext(connection) as ctx:
            eligibility_recompute(offer=offer)
        return len(ctx.captured_queries)

    for _ in range(3):
        add_inspections(SchoolFactory(), [("2021-01-01", RI), (IN_YEAR, RI)])
    small = run_queries()
    for _ in range(30):
        add_inspections(SchoolFactory(), [("2021-01-01", RI), (IN_YEAR, RI)])
        add_inspections(SchoolFactory(), [(IN_YEAR, INADEQUATE)])
    large = run_queries()

    assert large <= small + 2  # a batch may split; never one query per school
    assert large < 20


@pytest.mark.django_db
def test_nightly_task_runs_a_full_recompute_as_a_job(django_capture_on_commit_callbacks):
    from deployments.celery_schedule import BEAT_SCHEDULE
    from deployments.tasks import eligibility_recompute_nightly_task
    from portal.models import BackgroundJob

    SupportOfferFactory()
    add_inspections(SchoolFactory(), [(IN_YEAR, INADEQUATE)])
    with django_capture_on_commit_callbacks(execute=True):
        result = eligibility_recompute_nightly_task()

    job = BackgroundJob.objects.get(pk=result["job_id"])
    assert job.status == BackgroundJob.Status.SUCCEEDED and job.result["created"] == 1
    entry = BEAT_SCHEDULE["deployments-eligibility-nightly"]
    assert entry["task"] == eligibility_recompute_nightly_task.name
