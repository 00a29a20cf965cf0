"""portal/workflow.py behaviour, through the support case: the contract's
check order (403 before 409), the 409 body, and the timeline's order."""

import pytest
from django.core.exceptions import PermissionDenied

from deployments.models import SupportCase
from portal.workflow import (
    WorkflowConflict,
    allowed_transitions,
    timeline_for,
    transition_check,
    transition_label,
    transition_run,
)

S = SupportCase.State


def test_a_user_who_may_never_take_the_step_gets_403_even_in_the_wrong_state(world):
    case = world.case(S.WITH_RDP)  # propose is for "identified" and for Regions Group staff
    with pytest.raises(PermissionDenied):
        transition_check(case, "propose", world.rdp_in)


def test_the_right_user_at_the_wrong_moment_gets_409_with_the_state(world):
    case = world.case(S.WITH_RDP)
    with pytest.raises(WorkflowConflict) as conflict:
        transition_check(case, "propose", world.regions_staff_in)
    assert conflict.value.state == "with_rdp"
    assert "With the RDP" in conflict.value.message


def test_the_api_answers_403_before_409_and_409_as_detail_and_state(world, api_client_for):
    case = world.case(S.WITH_RDP)
    url = f"/api/support-cases/{case.pk}/propose/"
    body = {"system_leader": world.leader.pk}
    assert api_client_for(world.rdp_in).post(url, body, format="json").status_code == 403
    response = api_client_for(world.regions_staff_in).post(url, body, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This cannot be done now: the record is at “With the RDP”.",
        "state": "with_rdp",
    }


def test_409_comes_before_400_a_bad_body_in_the_wrong_state(world, api_client_for):
    case = world.case(S.WITH_RDP)
    response = api_client_for(world.regions_staff_in).post(
        f"/api/support-cases/{case.pk}/withdraw/", {}, format="json"
    )
    assert response.status_code == 400  # withdraw is allowed from with_rdp: the body is checked
    response = api_client_for(world.regions_staff_in).post(
        f"/api/support-cases/{case.pk}/propose/", {}, format="json"
    )
    assert response.status_code == 409


def test_the_html_step_page_shows_the_conflict_page_with_409(world, client_for):
    case = world.case(S.WITH_RDP)
    response = client_for(world.regions_staff_in).get(f"/cases/{case.pk}/propose/")
    assert response.status_code == 409
    assert "This step cannot be taken now" in response.content.decode()


def test_the_html_step_page_is_the_govuk_403_page_for_the_wrong_person(world, client_for):
    case = world.case(S.IDENTIFIED)
    response = client_for(world.rdp_in).get(f"/cases/{case.pk}/propose/")
    assert response.status_code == 403
    assert "govuk-heading-l" in response.content.decode()


def test_timeline_entries_come_oldest_first_with_who_and_note(world):
    case = world.case(S.IDENTIFIED)
    transition_run(
        case, "propose", user=world.regions_staff_in, note="First", system_leader=world.leader
    )
    transition_run(case, "rdp_contacts_school", user=world.rdp_in, note="Second")
    events = list(timeline_for(case))
    assert [(e.name, e.by, e.note, e.state) for e in events] == [
        ("propose", world.regions_staff_in, "First", "with_rdp"),
        ("rdp_contacts_school", world.rdp_in, "Second", "school_engagement"),
    ]
    assert events[0].at <= events[1].at


def test_allowed_transitions_lists_only_what_this_user_may_do_now(world):
    case = world.case(S.MATCH_CONFIRMATION)
    assert allowed_transitions(case, world.contact) == [
        "school_accepts_match",
        "school_raises_concern",
    ]
    assert allowed_transitions(case, world.rdp_in) == ["school_accepts_match"]
    assert allowed_transitions(case, world.regions_staff_in) == ["withdraw"]
    assert allowed_transitions(case, world.admin) == []
    assert transition_label(case, "school_raises_concern") == "Raise a concern about the match"


def test_a_rolled_back_step_leaves_no_timeline_event_and_no_state_change(world):
    from django.db import transaction

    case = world.case(S.APPROVED)
    with pytest.raises(RuntimeError), transaction.atomic():
        transition_run(case, "issue_deployment", user=world.rdp_in)
        raise RuntimeError("the deployment could not be created")
    case.refresh_from_db()
    assert case.state == S.APPROVED
    assert list(timeline_for(case)) == []
