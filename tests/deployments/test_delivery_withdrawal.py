"""Withdrawal and re-matching (the contract's "Re-matching" paragraph and
`system_leader_withdraws`): either withdrawal sends the case back to
"identified" for Regions Group staff, the school's confirmation stands, the
withdrawn leader is never a candidate again, the next deployment has the core
days not yet logged, and the days logged are claimed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from deployments.claims.checks import BANK_MISSING, CONFIRMATION_MISSING
from deployments.claims.models import Claim
from deployments.delivery import services
from deployments.delivery.models import Deployment
from deployments.matching import services as case_services
from deployments.matching.models import SupportCase
from deployments.matching.ranking import rank_candidates
from portal.workflow import WorkflowConflict, allowed_transitions, timeline_for
from tests.deployments.delivery_fixtures import make_cast
from tests.deployments.factories import DeploymentFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _log(deployment, user, days="2"):
    return services.activity_create(
        deployment,
        user=user,
        date=TODAY - dt.timedelta(days=3),
        days=days,
        description="Coaching the senior team",
    )


@pytest.fixture
def issued(world):
    """The world's case at "deployment issued", its deployment led by the MAT CEO."""
    case = world.case(SupportCase.State.DEPLOYMENT_ISSUED)
    deployment = DeploymentFactory(support_case=case, system_leader=world.leader)
    return case, deployment


# --- the system leader's withdrawal -------------------------------------------------


@pytest.mark.parametrize("state", ["issued", "engaged", "delivery"])
def test_the_system_leader_withdraws_from_issued_engaged_or_delivery(state):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    done = services.deployment_system_leader_withdraws(
        cast.deployment, user=cast.leader, reason="Illness in my own school"
    )
    assert done.state == "withdrawn"
    assert done.withdrawn_reason == "Illness in my own school"


@pytest.mark.parametrize("state", ["school_sign_off", "signed", "submitted", "accepted"])
def test_the_system_leader_cannot_withdraw_once_the_form_went_for_sign_off(state):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state=state)
    with pytest.raises(WorkflowConflict):
        services.deployment_system_leader_withdraws(cast.deployment, user=cast.leader, reason="r")


def test_withdrawing_needs_a_reason(api_client_for):
    cast = make_cast()
    response = api_client_for(cast.leader).post(
        f"/api/deployments/{cast.deployment.pk}/system-leader-withdraws/",
        {"reason": ""},
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    cast.deployment.refresh_from_db()
    assert cast.deployment.state == "issued"


def test_a_paused_deployment_is_not_withdrawn_by_its_leader(api_client_for):
    cast = make_cast()
    services.deployment_pause(cast.deployment, user=cast.staff, reason="Ofsted visit")
    response = api_client_for(cast.leader).post(
        f"/api/deployments/{cast.deployment.pk}/system-leader-withdraws/",
        {"reason": "r"},
        format="json",
    )
    assert response.status_code == 409


def test_the_withdrawal_e_mails_the_rdp_and_regions_group_staff_of_the_region(
    api_client_for, django_capture_on_commit_callbacks, make_user, london
):
    from portal.models import Role

    cast = make_cast()
    elsewhere = make_user(Role.RDP, regions=[london])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(cast.leader).post(
            f"/api/deployments/{cast.deployment.pk}/system-leader-withdraws/",
            {"reason": "Family illness"},
            format="json",
        )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "withdrawn" and body["allowed_transitions"] == []
    withdrawn = [m for m in mail.outbox if m.subject.startswith("Deployment withdrawn")]
    told = {address for m in withdrawn for address in m.to}
    assert {cast.rdp.email, cast.staff.email} <= told
    assert elsewhere.email not in told
    assert "withdrawn by the system leader" in withdrawn[0].body
    assert "Family illness" in withdrawn[0].body


# --- the case goes back for matching -------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "staff"])
def test_either_withdrawal_sends_the_case_back_to_regions_group_staff(
    who, world, issued, api_client_for
):
    case, deployment = issued
    user = world.system_leader if who == "leader" else world.regions_staff_in
    name = "system-leader-withdraws" if who == "leader" else "withdraw"
    response = api_client_for(user).post(
        f"/api/deployments/{deployment.pk}/{name}/", {"reason": "Capacity"}, format="json"
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == SupportCase.State.IDENTIFIED
    assert case.system_leader is None and case.school_confirmed
    assert case.responsible == "regions_staff"
    event = list(timeline_for(case))[-1]
    assert event.name == "deployment_withdrawn"
    assert event.by_name == user.full_name and "Capacity" in event.note

    shown = api_client_for(world.regions_staff_in).get(f"/api/support-cases/{case.pk}/").json()
    assert shown["deployment"] is None
    assert shown["deployments"] == [deployment.pk]
    assert "deployment_withdrawn" not in shown["allowed_transitions"]
    assert shown["allowed_transitions"] == ["propose", "withdraw"]


def test_nobody_takes_the_cases_deployment_withdrawn_step_by_hand(world, issued):
    case, _ = issued
    for user in world.users.values():
        assert "deployment_withdrawn" not in allowed_transitions(case, user)


def test_a_case_holds_at_most_one_deployment_not_withdrawn(issued, world):
    case, deployment = issued
    with pytest.raises(IntegrityError), transaction.atomic():
        DeploymentFactory(support_case=case, system_leader=world.second_leader)
    Deployment.objects.filter(pk=deployment.pk).update(state="withdrawn")
    DeploymentFactory(support_case=case, system_leader=world.second_leader)
    assert case.deployments.count() == 2


def test_the_withdrawn_leader_is_never_a_candidate_nor_proposed_again(world, issued):
    case, deployment = issued
    services.deployment_system_leader_withdraws(deployment, user=world.system_leader, reason="r")
    case.refresh_from_db()
    ranked = [c.system_leader for c in rank_candidates(case)]
    assert world.leader not in ranked
    assert world.second_leader in ranked
    with pytest.raises(ValidationError) as refused:
        case_services.support_case_propose(
            case,
            user=world.regions_staff_in,
            system_leader=world.leader,
            override_reason="They know the school best",
        )
    assert case_services.LEADER_WITHDREW in str(refused.value)


def test_the_propose_page_does_not_list_the_withdrawn_leader(world, issued, client_for):
    case, deployment = issued
    services.deployment_withdraw(deployment, user=world.regions_staff_in, reason="r")
    page = client_for(world.regions_staff_in).get(f"/cases/{case.pk}/propose/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'<option value="{world.second_leader.pk}"' in text
    assert f'<option value="{world.leader.pk}"' not in text


def test_the_case_page_lists_the_earlier_deployment(world, issued, client_for):
    case, deployment = issued
    services.deployment_withdraw(deployment, user=world.regions_staff_in, reason="r")
    page = client_for(world.regions_staff_in).get(f"/cases/{case.pk}/").content.decode()
    assert "data-earlier-deployments" in page
    assert f'href="/deployments/{deployment.pk}/"' in page
    assert "Deployment withdrawn: the case is back for matching" in page


def test_a_case_is_matched_again_end_to_end(
    world, issued, api_client_for, django_capture_on_commit_callbacks
):
    """withdraw -> identified -> propose goes straight to the leader check ->
    the withdrawn leader is not a candidate -> issue -> fewer core days."""
    case, first = issued
    _log(first, world.system_leader, days="3.5")
    staff = api_client_for(world.regions_staff_in)

    def act(user, name, body=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client_for(user).post(
                f"/api/support-cases/{case.pk}/{name}/", body or {}, format="json"
            )
        assert response.status_code == 200, response.content
        return response.json()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(world.system_leader).post(
            f"/api/deployments/{first.pk}/system-leader-withdraws/",
            {"reason": "Moving abroad"},
            format="json",
        )
    assert response.status_code == 200

    candidates = staff.get(f"/api/support-cases/{case.pk}/candidates/").json()
    assert world.leader.pk not in [c["system_leader"] for c in candidates]
    refused = staff.post(
        f"/api/support-cases/{case.pk}/propose/",
        {"system_leader": world.leader.pk, "override_reason": "Knows the school"},
        format="json",
    )
    assert refused.status_code == 400 and "system_leader" in refused.json()

    body = act(world.regions_staff_in, "propose", {"system_leader": world.second_leader.pk})
    assert body["state"] == "system_leader_check"  # the school's confirmation stands
    act(world.other_system_leader, "system-leader-accepts")
    act(world.contact, "school-accepts-match")
    act(world.director_in, "director-approves")
    body = act(world.rdp_in, "issue-deployment")
    assert body["state"] == "deployment_issued"
    second = Deployment.objects.get(pk=body["deployment"])
    assert body["deployments"] == [first.pk, second.pk]
    assert second.system_leader == world.second_leader
    assert second.earlier_days_logged == Decimal("3.5")
    shown = api_client_for(world.other_system_leader).get(f"/api/deployments/{second.pk}/")
    assert shown.json()["core_days"] == "6.5"
    assert shown.json()["claim_cap_days"] == "6.5"
    issued_mail = [m for m in mail.outbox if world.other_system_leader.email in m.to]
    assert any("6.5 days" in m.body for m in issued_mail)


# --- the days already logged are paid ---------------------------------------------------


def test_the_withdrawal_claims_the_days_logged(django_capture_on_commit_callbacks):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    cast.deployment.refresh_from_db()
    _log(cast.deployment, cast.leader, days="2.5")
    with django_capture_on_commit_callbacks(execute=True):
        services.deployment_system_leader_withdraws(
            cast.deployment, user=cast.leader, reason="Illness"
        )
    claim = Claim.objects.get(deployment=cast.deployment)
    assert claim.kind == Claim.Kind.DEPLOYMENT_DAYS
    assert claim.days == Decimal("2.5")
    assert claim.amount == (Decimal("2.5") * cast.deployment.offer.day_rate).quantize(
        Decimal("0.01")
    )
    assert claim.state == Claim.State.PENDING_REVIEW
    # Reviewed as any other: what is missing is flagged, not refused.
    assert {BANK_MISSING, CONFIRMATION_MISSING} <= {f["code"] for f in claim.flags}


def test_a_withdrawal_with_no_days_logged_claims_nothing(django_capture_on_commit_callbacks):
    cast = make_cast()
    with django_capture_on_commit_callbacks(execute=True):
        services.deployment_withdraw(cast.deployment, user=cast.staff, reason="Merged school")
    assert not Claim.objects.filter(deployment=cast.deployment).exists()


# --- pages ----------------------------------------------------------------------------------


def test_the_leader_withdraws_on_a_page_with_the_facts_and_what_happens_next(client_for):
    cast = make_cast()
    _log(cast.deployment, cast.leader, days="1")
    client = client_for(cast.leader)
    detail = client.get(f"/deployments/{cast.deployment.pk}/").content.decode()
    assert "Withdraw from this deployment" in detail
    url = f"/deployments/{cast.deployment.pk}/system-leader-withdraws/"
    page = client.get(url).content.decode()
    assert "What happens next" in page and "Days logged" in page
    assert "never the one withdrawn" in page
    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 200 and "govuk-error-summary" in missing.content.decode()
    done = client.post(url, {"reason": "Illness"})
    assert done.status_code == 302 and done.url == f"/deployments/{cast.deployment.pk}/"
    cast.deployment.refresh_from_db()
    assert cast.deployment.state == "withdrawn"
    cast.deployment.support_case.refresh_from_db()
    assert cast.deployment.support_case.state == "identified"
