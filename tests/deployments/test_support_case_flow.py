"""Support cases through the API, from an eligible school to an issued
deployment, with the e-mail of each hand-off (issue 18 items 3, 6, 7, 11)."""

import pytest
from django.core import mail

from deployments.models import Deployment, SupportCase

State = SupportCase.State
BASE = "/api/support-cases/"


@pytest.fixture
def act(api_client_for, django_capture_on_commit_callbacks):
    """act(user, "propose", case_id, {...}) posts a transition and runs the
    after-commit e-mails; returns the response."""

    def post(user, name, case_id, body=None):
        with django_capture_on_commit_callbacks(execute=True):
            return api_client_for(user).post(
                f"{BASE}{case_id}/{name.replace('_', '-')}/", body or {}, format="json"
            )

    return post


def _open(world, api_client_for, capture):
    with capture(execute=True):
        response = api_client_for(world.regions_staff_in).post(
            BASE, {"eligibility": world.eligibility.pk}, format="json"
        )
    assert response.status_code == 201, response.content
    return response.json()


def _sent(to):
    return [m for m in mail.outbox if m.to == [to]]


def test_the_whole_happy_path_in_the_api(
    world, api_client_for, act, django_capture_on_commit_callbacks
):
    case = _open(world, api_client_for, django_capture_on_commit_callbacks)
    assert case["state"] == "identified"
    assert case["school_urn"] == world.school.urn
    assert case["region"] == "North West"
    assert case["offer"] == "2023/24"
    assert case["responsible"] == "regions_staff"
    assert case["owner"] == world.regions_staff_in.pk
    assert case["allowed_transitions"] == ["propose", "withdraw"]
    cid = case["id"]

    candidates = api_client_for(world.regions_staff_in).get(f"{BASE}{cid}/candidates/").json()
    assert candidates[0]["rank"] == 1
    assert candidates[0]["system_leader"] == world.leader.pk  # MAT CEO before NLE
    assert {"system_leader", "rank", "score", "reasons"} <= set(candidates[0])

    r = act(world.regions_staff_in, "propose", cid, {"system_leader": world.leader.pk})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "with_rdp"
    assert r.json()["system_leader"] == world.leader.pk
    assert r.json()["due_on"] is not None
    proposal = _sent("rdp-in@example.org")[-1]
    assert "System leader proposed for Ashby Primary" in proposal.subject
    assert "System_Leader" in proposal.body
    assert "/cases/" in proposal.body
    assert _sent("rdp-out@example.org") == []

    r = act(world.rdp_in, "rdp_contacts_school", cid, {"note": "Spoke to the head."})
    assert r.json()["state"] == "school_engagement"
    school_mail = _sent("contact@example.org")[-1]
    assert "please confirm you will take part" in school_mail.subject
    assert "Spoke to the head." in school_mail.body

    r = act(world.contact, "school_confirms", cid, {"context": "New head since September."})
    assert r.json()["state"] == "system_leader_check"
    request = _sent("system-leader@example.org")[-1]
    assert "Can you support Ashby Primary?" in request.subject
    assert "New head since September." in request.body

    r = act(world.system_leader, "system_leader_accepts", cid)
    assert r.json()["state"] == "match_confirmation"
    confirm = _sent("contact@example.org")[-1]
    assert "Please confirm your system leader" in confirm.subject

    r = act(world.contact, "school_accepts_match", cid)
    assert r.json()["state"] == "director_approval"
    assert "Match to approve" in _sent("director-in@example.org")[-1].subject
    assert _sent("director-out@example.org") == []

    r = act(world.director_in, "director_approves", cid)
    assert r.json()["state"] == "approved"
    assert r.json()["responsible"] == "rdp"

    mail.outbox.clear()
    r = act(world.rdp_in, "issue_deployment", cid)
    body = r.json()
    assert body["state"] == "deployment_issued"
    deployment = Deployment.objects.get(support_case_id=cid)
    assert body["deployment"] == deployment.pk
    assert body["allowed_transitions"] == []
    assert body["due_on"] is None
    assert deployment.system_leader == world.leader
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["contact@example.org", "system-leader@example.org"]
    for message in mail.outbox:
        assert "Deployment issued" in message.subject
        assert f"/deployments/{deployment.pk}/" in message.body
        assert message.body.count("http://") >= 1
        assert "contact@example.org" in message.body  # the school's contact details
        assert "system-leader@example.org" in message.body  # the leader's
        assert "Ms Ada Head" in message.body

    names = [event["name"] for event in body["timeline"]]
    assert names == [
        "opened",
        "propose",
        "rdp_contacts_school",
        "school_confirms",
        "system_leader_accepts",
        "school_accepts_match",
        "director_approves",
        "issue_deployment",
    ]
    assert body["timeline"][2]["by"] == "Rdp_In"
    assert body["timeline"][3]["note"] == "New head since September."


def test_a_decline_puts_the_leader_on_declined_by_and_the_next_goes_straight_to_the_leader(
    world, act
):
    case = world.case(State.SYSTEM_LEADER_CHECK)
    r = act(world.system_leader, "system_leader_declines", case.pk, {"reason": "No capacity."})
    assert r.status_code == 200
    assert r.json()["state"] == "identified"
    case.refresh_from_db()
    assert case.system_leader is None
    assert list(case.declined_by.all()) == [world.leader]
    assert (
        "declined to support Ashby Primary"
        in [m for m in mail.outbox if m.to == ["regions-staff-in@example.org"]][-1].subject
    )

    r = act(world.regions_staff_in, "propose", case.pk, {"system_leader": world.second_leader.pk})
    assert r.status_code == 200, r.content
    # The school already confirmed: no second round through the RDP and school.
    assert r.json()["state"] == "system_leader_check"
    assert (
        "Can you support"
        in [m for m in mail.outbox if m.to == ["other-system-leader@example.org"]][-1].subject
    )

    r = act(world.other_system_leader, "system_leader_accepts", case.pk)
    assert r.json()["state"] == "match_confirmation"


def test_the_leader_who_declined_is_no_longer_a_candidate_and_cannot_be_proposed_again(
    world, act, api_client_for
):
    case = world.case(State.SYSTEM_LEADER_CHECK)
    act(world.system_leader, "system_leader_declines", case.pk, {"reason": "No capacity."})
    ranked = api_client_for(world.regions_staff_in).get(f"{BASE}{case.pk}/candidates/").json()
    assert world.leader.pk not in [c["system_leader"] for c in ranked]
    r = act(
        world.regions_staff_in,
        "propose",
        case.pk,
        {"system_leader": world.leader.pk, "override_reason": "Asked again"},
    )
    assert r.status_code == 400
    assert "system_leader" in r.json()


def test_a_system_leader_who_declines_gets_the_record_then_loses_sight_of_the_case(
    world, act, api_client_for
):
    case = world.case(State.SYSTEM_LEADER_CHECK)
    r = act(world.system_leader, "system_leader_declines", case.pk, {"reason": "Conflict."})
    assert r.status_code == 200
    assert api_client_for(world.system_leader).get(f"{BASE}{case.pk}/").status_code == 404


def test_a_concern_kept_goes_to_the_director_and_the_school_hears_the_rationale(world, act):
    case = world.case(State.MATCH_CONFIRMATION)
    r = act(world.contact, "school_raises_concern", case.pk, {"concern": "They led our rival."})
    assert r.json()["state"] == "concern"
    assert r.json()["concern"] == "They led our rival."
    raised = [m for m in mail.outbox if m.to == ["regions-staff-in@example.org"]][-1]
    assert "Concern raised" in raised.subject
    assert "They led our rival." in raised.body

    mail.outbox.clear()
    r = act(
        world.regions_staff_in,
        "concern_answered",
        case.pk,
        {"rationale": "No conflict: different phase.", "keep_match": True},
    )
    assert r.json()["state"] == "director_approval"
    assert r.json()["system_leader"] == world.leader.pk
    to = {m.to[0]: m for m in mail.outbox}
    assert "No conflict: different phase." in to["contact@example.org"].body
    assert "Match to approve" in to["director-in@example.org"].subject


def test_a_concern_upheld_sends_the_case_back_to_identified_without_the_leader(world, act):
    case = world.case(State.CONCERN, concern="Too far away.")
    r = act(
        world.regions_staff_in,
        "concern_answered",
        case.pk,
        {"rationale": "Agreed, we will find someone closer.", "keep_match": False},
    )
    assert r.json()["state"] == "identified"
    assert r.json()["system_leader"] is None
    to = {m.to[0]: m for m in mail.outbox}
    assert "will not go ahead" in to["system-leader@example.org"].subject
    assert "Agreed, we will find someone closer." in to["contact@example.org"].body


def test_concern_answered_needs_a_rationale_and_a_decision(world, act):
    case = world.case(State.CONCERN)
    r = act(world.regions_staff_in, "concern_answered", case.pk, {})
    assert r.status_code == 400
    assert set(r.json()) == {"rationale", "keep_match"}
    case.refresh_from_db()
    assert case.state == State.CONCERN


def test_a_director_rejection_returns_the_case_to_identified_with_the_reason(world, act):
    case = world.case(State.DIRECTOR_APPROVAL)
    r = act(world.director_in, "director_rejects", case.pk, {"reason": ""})
    assert r.status_code == 400
    assert r.json() == {"reason": ["This field may not be blank."]}
    r = act(world.director_in, "director_rejects", case.pk, {"reason": "Needs a secondary lead."})
    assert r.json()["state"] == "identified"
    assert r.json()["system_leader"] is None
    assert r.json()["timeline"][-1]["note"] == "Needs a secondary lead."
    owner_mail = [m for m in mail.outbox if m.to == ["regions-staff-in@example.org"]][-1]
    assert "rejected the match" in owner_mail.subject
    assert "Needs a secondary lead." in owner_mail.body


def test_withdraw_from_any_open_state_and_then_a_new_case_may_open(
    world, act, api_client_for, django_capture_on_commit_callbacks
):
    case = world.case(State.MATCH_CONFIRMATION)
    r = act(world.regions_staff_in, "withdraw", case.pk, {"reason": "School joined a MAT."})
    assert r.json()["state"] == "withdrawn"
    assert r.json()["due_on"] is None
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == ["contact@example.org", "rdp-in@example.org", "system-leader@example.org"]
    r = act(world.regions_staff_in, "withdraw", case.pk, {"reason": "Again"})
    assert r.status_code == 409
    assert r.json()["state"] == "withdrawn"
    second = _open(world, api_client_for, django_capture_on_commit_callbacks)
    assert second["id"] != case.pk


def test_a_school_decline_ends_the_case(world, act):
    case = world.case(State.SCHOOL_ENGAGEMENT)
    r = act(world.contact, "school_declines", case.pk, {"reason": "Not now."})
    assert r.json()["state"] == "declined"
    assert r.json()["allowed_transitions"] == []


@pytest.mark.parametrize("earlier", [State.IDENTIFIED, State.DEPLOYMENT_ISSUED, State.CONCERN])
def test_a_second_case_for_the_same_school_and_offer_is_409(world, api_client_for, earlier):
    world.case(earlier)
    r = api_client_for(world.regions_staff_in).post(
        BASE, {"eligibility": world.eligibility.pk}, format="json"
    )
    assert r.status_code == 409
    assert set(r.json()) == {"detail", "state"}
    assert r.json()["state"] == earlier


def test_only_regions_staff_of_the_region_open_a_case(world, api_client_for):
    for key in ("regions_staff_out", "rdp_in", "director_in", "admin"):
        r = api_client_for(world.users[key]).post(
            BASE, {"eligibility": world.eligibility.pk}, format="json"
        )
        assert r.status_code == 403, key
    assert SupportCase.objects.count() == 0


def test_opening_needs_a_current_eligible_assessment(world, api_client_for):
    world.eligibility.status = "no_longer"
    world.eligibility.save()
    r = api_client_for(world.regions_staff_in).post(
        BASE, {"eligibility": world.eligibility.pk}, format="json"
    )
    assert r.status_code == 400
    assert "eligibility" in r.json()


def test_proposing_outside_the_ranked_list_needs_an_override_reason_which_is_kept(world, act):
    from tests.deployments.factories import SystemLeaderFactory
    from tests.portal.factories import UserFactory

    stranger = SystemLeaderFactory(
        mat_ceo=True,
        user=UserFactory(role="system_leader", email="far@example.org"),
        available=False,
    )
    case = world.case()
    r = act(world.regions_staff_in, "propose", case.pk, {"system_leader": stranger.pk})
    assert r.status_code == 400
    assert list(r.json()) == ["override_reason"]
    case.refresh_from_db()
    assert case.state == State.IDENTIFIED

    r = act(
        world.regions_staff_in,
        "propose",
        case.pk,
        {"system_leader": stranger.pk, "override_reason": "Knows the school well."},
    )
    assert r.status_code == 200
    assert r.json()["override_reason"] == "Knows the school well."
    assert "Knows the school well." in r.json()["timeline"][-1]["note"]
    case.refresh_from_db()
    assert case.override_reason == "Knows the school well."


def test_a_ranked_candidate_needs_no_override_reason(world, act):
    case = world.case()
    r = act(world.regions_staff_in, "propose", case.pk, {"system_leader": world.leader.pk})
    assert r.status_code == 200
    assert r.json()["override_reason"] == ""


def test_the_trusts_contact_acts_for_a_school_in_its_trust(world, act):
    from tests.portal.factories import UserFactory

    ceo = UserFactory(role="school_contact", trust=world.trust, email="ceo@example.org")
    case = world.case(State.SCHOOL_ENGAGEMENT)
    r = act(ceo, "school_confirms", case.pk, {"context": ""})
    assert r.status_code == 200
    assert r.json()["state"] == "system_leader_check"


def test_the_list_filters_by_state_region_urn_and_overdue(world, api_client_for):
    import datetime as dt

    late = world.case(State.WITH_RDP, due_on=dt.date(2020, 1, 6))
    other = world.case(State.WITHDRAWN)
    api = api_client_for(world.regions_staff_in)
    ids = lambda q: [c["id"] for c in api.get(f"{BASE}?{q}").json()["results"]]  # noqa: E731
    assert set(ids("")) == {late.pk, other.pk}
    assert ids("state=with_rdp") == [late.pk]
    assert set(ids("region=North%20West")) == {late.pk, other.pk}
    assert ids("region=London") == []
    assert set(ids(f"school_urn={world.school.urn}")) == {late.pk, other.pk}
    assert ids("overdue=true") == [late.pk]
    assert ids("overdue=false") == [other.pk]
    assert api.get(f"{BASE}?state=nonsense").status_code == 400


def test_owner_reassignment_e_mails_the_new_owner(
    world, api_client_for, django_capture_on_commit_callbacks
):
    from tests.portal.factories import UserFactory

    colleague = UserFactory(
        role="regions_staff", regions=[world.north_west], email="colleague@example.org"
    )
    case = world.case()
    api = api_client_for(world.regions_staff_in)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"{BASE}{case.pk}/reassign-owner/", {"owner": colleague.pk}, format="json")
    assert r.status_code == 200
    assert r.json()["owner"] == colleague.pk
    assert [m.to for m in mail.outbox] == [["colleague@example.org"]]
    assert "You now own the support case for Ashby Primary" in mail.outbox[0].subject
    r = api.post(f"{BASE}{case.pk}/reassign-owner/", {"owner": world.rdp_in.pk}, format="json")
    assert r.status_code == 400
    r = api_client_for(world.rdp_in).post(
        f"{BASE}{case.pk}/reassign-owner/", {"owner": colleague.pk}, format="json"
    )
    assert r.status_code == 403


def test_watching_a_case_and_the_watchlist_filter(world, api_client_for):
    case = world.case()
    api = api_client_for(world.director_in)
    assert api.get(f"{BASE}?watching=true").json()["results"] == []
    assert api.post(f"{BASE}{case.pk}/watch/").json()["watching"] is True
    watched = api.get(f"{BASE}?watching=true").json()["results"]
    assert [c["id"] for c in watched] == [case.pk]
    assert api.delete(f"{BASE}{case.pk}/watch/").json()["watching"] is False


def test_school_contacts_and_leaders_do_not_see_matching_internals(world, api_client_for):
    case = world.case(State.MATCH_CONFIRMATION, override_reason="Secret")
    case.declined_by.add(world.second_leader)
    data = api_client_for(world.contact).get(f"{BASE}{case.pk}/").json()
    assert "declined_by" not in data and "override_reason" not in data
    data = api_client_for(world.rdp_in).get(f"{BASE}{case.pk}/").json()
    assert data["declined_by"] == [world.second_leader.pk]


def test_the_list_takes_the_same_queries_for_one_case_or_many(
    world, api_client_for, django_assert_max_num_queries
):
    from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

    S = State.MATCH_CONFIRMATION
    world.case(S)
    api = api_client_for(world.rdp_in)
    with django_assert_max_num_queries(50) as one:
        api.get(BASE)
    for _ in range(6):
        school = SchoolFactory(local_authority=LocalAuthorityFactory(region=world.north_west))
        case = world.case(S, school=school)
        case.declined_by.add(world.second_leader)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get(BASE).json()["results"]) == 7


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (State.SCHOOL_ENGAGEMENT, False),
        (State.SYSTEM_LEADER_CHECK, False),
        (State.MATCH_CONFIRMATION, True),
    ],
)
def test_the_school_learns_its_leaders_name_once_the_leader_has_agreed(
    world, api_client_for, client_for, state, shown
):
    case = world.case(state)
    data = api_client_for(world.contact).get(f"{BASE}{case.pk}/").json()
    assert (data["system_leader"] == world.leader.pk) == shown
    html = client_for(world.contact).get(f"/cases/{case.pk}/").content.decode()
    assert ("System_Leader (MAT CEO)" in html) == shown
    assert api_client_for(world.rdp_in).get(f"{BASE}{case.pk}/").json()["system_leader"]


def test_the_database_refuses_two_live_cases_for_one_school_and_offer(world):
    """The backstop behind the 409 when two people open a case at the same moment."""
    from django.db import IntegrityError, transaction

    world.case(State.WITHDRAWN)
    world.case(State.WITH_RDP)
    with pytest.raises(IntegrityError), transaction.atomic():
        world.case(State.IDENTIFIED)
    world.case(State.DECLINED)


def test_an_open_that_loses_the_race_answers_409(world, monkeypatch):
    """If the check passes but another case commits first, the constraint's
    IntegrityError becomes the same 409."""
    from deployments.matching import services
    from portal.workflow import WorkflowConflict

    world.case(State.WITH_RDP)
    real_filter = SupportCase.objects.filter

    class Blind:
        def exclude(self, *args, **kwargs):
            return self

        def first(self):
            return None

    monkeypatch.setattr(
        SupportCase.objects,
        "filter",
        lambda *a, **k: Blind() if "offer_id" in k else real_filter(*a, **k),
    )
    with pytest.raises(WorkflowConflict) as conflict:
        services.support_case_open(user=world.regions_staff_in, eligibility=world.eligibility)
    assert "opened just now" in conflict.value.message
