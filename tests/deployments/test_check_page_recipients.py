"""Check-your-answers pages say who is e-mailed from the workflow's table (the Email
of the state the step enters), never in their own words: every step with
consequences is walked, so a change to a table changes its page."""

import pytest
from django.core import mail
from django.urls import get_resolver

from deployments.delivery.models import Deployment, EnhancedRequest
from deployments.delivery.workflows import ENHANCED_WORKFLOW
from deployments.matching.models import WORKFLOW, SupportCase
from portal.models import Role
from portal.views_workflow import TransitionView
from portal.workflow import transition_target
from portal.workflow_spec import (
    PARTY_WORDS,
    Email,
    Party,
    Step,
    emailed_sentence,
    parties_sentence,
    spec_for,
)
from tests.deployments.delivery_fixtures import make_cast
from tests.deployments.test_delivery_enhanced import request_extension
from tests.portal.factories import UserFactory
from tests.schools.factories import TrustFactory

pytestmark = pytest.mark.django_db
S = SupportCase.State
CHECK_PAGES = {
    ("CaseTransitionView", "system_leader_accepts"),
    ("CaseTransitionView", "director_approves"),
    ("CaseTransitionView", "issue_deployment"),
    ("DeploymentTransitionView", "withdraw"),
    ("DeploymentTransitionView", "system_leader_withdraws"),
    ("EnhancedRequestTransitionView", "dfe_approves"),
    ("EnhancedRequestTransitionView", "dfe_declines"),
}


def _views(klass=TransitionView):
    for sub in klass.__subclasses__():
        yield sub
        yield from _views(sub)


def check_steps():
    get_resolver().url_patterns  # noqa: B018  (imports every app's views)
    return [
        (view, name)
        for view in _views()
        for name, step in view.steps.items()
        if step.consequences is not None
    ]


def named_parties(sentence: str) -> set[Party]:
    return {
        party for party, (words, _, _) in PARTY_WORDS.items() if words.lower() in sentence.lower()
    }


def test_every_check_page_step_names_exactly_its_tables_recipients():
    admin = UserFactory(role=Role.ADMIN)
    walked = set()
    for view, name in check_steps():
        model = view().visible_records(admin).model
        spec, target = spec_for(model), transition_target(model, name)
        email = spec.step(target).email
        expected = set(email.parties()) if email else set()
        sentence = emailed_sentence(spec, target)
        assert named_parties(sentence) == expected, (view.__name__, name, sentence)
        assert sentence.endswith("e-mailed.")
        walked.add((view.__name__, name))
    assert CHECK_PAGES <= walked


def test_the_sentence_speaks_to_the_reader_and_names_nobody_when_no_one_hears():
    cast = make_cast()
    parties = (Party.SYSTEM_LEADER, Party.SCHOOL_CONTACT, Party.RDP)
    assert parties_sentence(parties, record=cast.deployment) == (
        "The system leader, the school's contacts (its own and its trust's) and the region's "
        "RDPs are e-mailed."
    )
    assert parties_sentence(parties, record=cast.deployment, user=cast.leader) == (
        "You, the school's contacts (its own and its trust's) and the region's RDPs are e-mailed."
    )
    assert parties_sentence((Party.RDP,), record=cast.deployment, user=cast.rdp) == (
        "You and the region's other RDPs are e-mailed."
    )
    assert parties_sentence((Party.REGIONAL_DIRECTOR,)) == "The Regional Director is e-mailed."
    assert parties_sentence(()) == "Nobody is e-mailed."


def test_a_change_to_the_table_changes_the_page(world, client_for, monkeypatch):
    case = world.case(S.DIRECTOR_APPROVAL)
    url = f"/cases/{case.pk}/director-approves/"
    before = client_for(world.director_in).get(url).content.decode()
    assert "The region&#x27;s RDPs and the case&#x27;s owner are e-mailed." in before
    monkeypatch.setitem(
        WORKFLOW.states,
        S.APPROVED,
        Step(actor=Party.RDP, email=Email("case_update", to=(Party.FINANCE,), by_service=True)),
    )
    after = client_for(world.director_in).get(url).content.decode()
    assert "DfE finance are e-mailed." in after and "case&#x27;s owner are" not in after


def _funded_request(cast) -> EnhancedRequest:
    TrustFactory(uid="4321")
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    return EnhancedRequest.objects.create(
        deployment=cast.deployment,
        kind=EnhancedRequest.Kind.FUNDED_PARTNERSHIP,
        state=EnhancedRequest.State.WITH_DFE,
        benefit="A strong trust nearby",
        requested_by=cast.leader,
    )


def test_a_declined_extension_names_the_leader_and_the_rdps(api_client_for, client_for):
    cast = make_cast()
    rid = request_extension(api_client_for(cast.leader), cast.deployment, days="3").json()["id"]
    api_client_for(cast.rdp).post(f"/api/enhanced-requests/{rid}/rdp-forwards/", {}, format="json")
    html = client_for(cast.staff).get(f"/enhanced-requests/{rid}/dfe-declines/").content.decode()
    assert "The system leader and the region&#x27;s RDPs are e-mailed." in html


def test_a_funded_partnership_decision_names_the_school_too(client_for):
    cast = make_cast()
    request = _funded_request(cast)
    page = client_for(cast.staff).get(f"/enhanced-requests/{request.pk}/dfe-approves/")
    html = page.content.decode()
    assert (
        "The system leader, the region&#x27;s RDPs and the school&#x27;s contacts (its own and "
        "its trust&#x27;s) are e-mailed." in html
    )
    assert "The grant offer letter is e-mailed to the partner trust" in html


def test_the_decision_e_mail_goes_to_the_tables_parties(
    api_client_for, django_capture_on_commit_callbacks
):
    cast = make_cast()
    request = _funded_request(cast)
    email = ENHANCED_WORKFLOW.step(EnhancedRequest.State.DECLINED).email
    assert set(email.parties(request)) == {
        Party.SYSTEM_LEADER,
        Party.RDP,
        Party.SCHOOL_CONTACT,
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = api_client_for(cast.staff).post(
            f"/api/enhanced-requests/{request.pk}/dfe-declines/",
            {"rationale": "Not this year"},
            format="json",
        )
    assert r.status_code == 200, r.json()
    decided = [m for m in mail.outbox if m.subject.startswith("Enhanced support declined")]
    to = {address for message in decided for address in message.to}  # one message each
    assert to == {cast.leader.email, cast.rdp.email, cast.contact.email}
    assert cast.staff.email not in to


def test_the_withdrawing_leader_reads_you(client_for):
    cast = make_cast()
    page = client_for(cast.leader).get(
        f"/deployments/{cast.deployment.pk}/system-leader-withdraws/"
    )
    assert (
        "You, the school&#x27;s contacts (its own and its trust&#x27;s), the region&#x27;s RDPs "
        "and Regions Group staff of the region are e-mailed." in page.content.decode()
    )


def test_the_payment_run_check_page_says_nobody_is_e_mailed(client_for):
    from tests.deployments.test_claims_payment_runs import approved_claims

    finance = UserFactory(role=Role.FINANCE)
    approved_claims(1, finance)
    page = client_for(finance).get("/payment-runs/new/").content.decode()
    assert "<li>Nobody is e-mailed.</li>" in page
