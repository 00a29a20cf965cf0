"""Working-day deadlines from the offer's SLA steps, across bank holidays, and
the kernel's morning sweep that e-mails whoever must act on an overdue step."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from deployments.matching import services
from deployments.models import SlaStep, SupportCase
from portal.overdue import workflow_notify_overdue

S = SupportCase.State


@pytest.fixture
def on(monkeypatch):
    """on(date): the services' "today"."""

    def set_today(day):
        monkeypatch.setattr(services, "_today", lambda: day)

    return set_today


def test_the_rdp_step_counts_five_working_days_across_christmas_and_new_year(world, on):
    assert world.offer.sla_days(SlaStep.SCHOOL_CONFIRMATION) == 5
    on(dt.date(2023, 12, 22))  # a Friday; 25, 26 December and 1 January are bank holidays
    case = services.support_case_propose(
        world.case(), user=world.regions_staff_in, system_leader=world.leader
    )
    assert case.state == S.WITH_RDP
    assert case.due_on == dt.date(2024, 1, 3)


def test_the_system_leader_check_counts_three_working_days_across_easter(world, on):
    assert world.offer.sla_days(SlaStep.SYSTEM_LEADER_CONFIRMATION) == 3
    on(dt.date(2024, 3, 28))  # Maundy Thursday; Good Friday and Easter Monday are holidays
    case = services.support_case_school_confirms(
        world.case(S.SCHOOL_ENGAGEMENT), user=world.contact, context=""
    )
    assert case.state == S.SYSTEM_LEADER_CHECK
    assert case.due_on == dt.date(2024, 4, 4)


def test_each_step_takes_its_days_from_the_offer_row_not_from_code(world, on):
    world.offer.sla_working_days = {**world.offer.sla_working_days, "regional_director_approval": 1}
    world.offer.save()
    on(dt.date(2024, 3, 28))
    case = services.support_case_school_accepts_match(
        world.case(S.MATCH_CONFIRMATION), user=world.contact
    )
    assert case.due_on == dt.date(2024, 4, 2)


def test_a_step_without_an_sla_and_a_closed_case_have_no_due_date(world, on):
    on(dt.date(2024, 3, 4))
    case = services.support_case_director_rejects(
        world.case(S.DIRECTOR_APPROVAL), user=world.director_in, reason="No"
    )
    assert case.state == S.IDENTIFIED and case.due_on is None
    case = services.support_case_withdraw(
        world.case(S.WITH_RDP, school=_other_school(world)), user=world.regions_staff_in, reason="x"
    )
    assert case.due_on is None


def _other_school(world):
    from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

    return SchoolFactory(local_authority=LocalAuthorityFactory(region=world.north_west))


def _notify(capture, day):
    with capture(execute=True):
        return workflow_notify_overdue(today=day)


def test_the_morning_run_e_mails_whoever_must_act_once_then_weekly(
    world, django_capture_on_commit_callbacks
):
    late = world.case(S.WITH_RDP, due_on=dt.date(2024, 1, 3))
    world.case(S.DIRECTOR_APPROVAL, due_on=dt.date(2024, 1, 20), school=_other_school(world))
    monday = dt.date(2024, 1, 8)
    assert _notify(django_capture_on_commit_callbacks, monday) == 1
    assert [m.to for m in mail.outbox] == [["rdp-in@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Overdue: With the RDP for Ashby Primary"
    assert "Was due: 3 January 2024 (5 days ago)" in message.body
    late.refresh_from_db()
    assert late.overdue_notified_on == monday

    assert _notify(django_capture_on_commit_callbacks, monday) == 0
    assert len(mail.outbox) == 1

    tuesday = dt.date(2024, 1, 9)
    assert _notify(django_capture_on_commit_callbacks, tuesday) == 0
    assert _notify(django_capture_on_commit_callbacks, monday + dt.timedelta(days=6)) == 0
    assert _notify(django_capture_on_commit_callbacks, monday + dt.timedelta(days=7)) == 1
    assert [m.to for m in mail.outbox] == [["rdp-in@example.org"]] * 2
    assert "Was due: 3 January 2024 (12 days ago)" in mail.outbox[1].body


@pytest.mark.parametrize(
    ("state", "told"),
    [
        (S.IDENTIFIED, ["regions-staff-in@example.org"]),  # the owner
        (S.SCHOOL_ENGAGEMENT, ["contact@example.org", "rdp-in@example.org"]),
        (S.SYSTEM_LEADER_CHECK, ["system-leader@example.org"]),
        (S.DIRECTOR_APPROVAL, ["director-in@example.org"]),
        (S.APPROVED, ["rdp-in@example.org"]),
    ],
)
def test_the_overdue_e_mail_goes_to_whoever_must_act(
    world, django_capture_on_commit_callbacks, state, told
):
    world.case(state, due_on=dt.date(2024, 1, 3))
    _notify(django_capture_on_commit_callbacks, dt.date(2024, 1, 8))
    assert sorted(m.to[0] for m in mail.outbox) == told


def test_closed_cases_and_cases_due_today_are_not_overdue(
    world, django_capture_on_commit_callbacks
):
    world.case(S.WITHDRAWN, due_on=dt.date(2024, 1, 3))
    world.case(S.WITH_RDP, due_on=dt.date(2024, 1, 8), school=_other_school(world))
    assert _notify(django_capture_on_commit_callbacks, dt.date(2024, 1, 8)) == 0
    assert mail.outbox == []


def test_a_new_step_resets_the_overdue_notice(world, on, django_capture_on_commit_callbacks):
    case = world.case(S.WITH_RDP, due_on=dt.date(2024, 1, 3))
    _notify(django_capture_on_commit_callbacks, dt.date(2024, 1, 8))
    on(dt.date(2024, 1, 8))
    case = services.support_case_rdp_contacts_school(case, user=world.rdp_in)
    assert case.overdue_notified_on is None
    assert case.due_on == dt.date(2024, 1, 15)


def test_the_beat_schedule_runs_the_one_overdue_sweep_each_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["portal-workflow-overdue"]
    assert entry["task"] == "portal.workflow_notify_overdue"
    assert entry["schedule"].hour == {7}
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert not {t for t in tasks if "overdue" in t} - {"portal.workflow_notify_overdue"}


def test_the_task_calls_the_service(world, django_capture_on_commit_callbacks):
    from portal.tasks import workflow_notify_overdue_task

    world.case(S.WITH_RDP, due_on=dt.date(2020, 1, 6))
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow_notify_overdue_task.delay().get() == 1
    assert [m.to for m in mail.outbox] == [["rdp-in@example.org"]]


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("regions_staff_in", 200),
        ("rdp_in", 200),
        ("regions_staff_out", 200),
        ("director_in", 403),
        ("system_leader", 403),
        ("finance", 403),
    ],
)
def test_the_overdue_list_per_region(world, client_for, actor, status):
    world.case(S.WITH_RDP, due_on=dt.date(2020, 1, 6))
    world.case(S.WITH_RDP, due_on=dt.date(2099, 1, 6), school=_other_school(world))
    response = client_for(world.users[actor]).get("/cases/overdue/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        if actor.endswith("_in"):
            assert "North West" in html and "Ashby Primary" in html
            assert html.count('<tr class="govuk-table__row">') == 2  # header and one case
        else:
            assert "Ashby Primary" not in html
            assert "No support case in your regions is overdue." in html
