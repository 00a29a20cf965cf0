"""One table per workflow: the home queue, the overdue e-mail and the API's
`responsible` name the same party in every state of every workflow, because
all three read the table (portal.workflow_spec)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from deployments.claims.models import Claim
from deployments.delivery.models import Deployment, EnhancedRequest
from deployments.matching.models import SupportCase
from deployments.models import ExceptionRequest
from guarantees.models import Complaint, Entitlement
from portal.models import Role
from portal.overdue import workflow_notify_overdue
from portal.workflow_spec import Party, workflow_specs
from tests.deployments.factories import (
    DeploymentFactory,
    EligibilityAssessmentFactory,
    ExceptionRequestFactory,
    IssuedCaseFactory,
    SupportCaseFactory,
    SupportOfferFactory,
    SystemLeaderFactory,
)
from tests.guarantees.factories import ComplaintFactory
from tests.portal.factories import UserFactory
from tests.schools.factories import LocalAuthorityFactory, RegionFactory, SchoolFactory
from web.selectors import home_queue_for

TODAY = dt.date.today()
LATE = TODAY - dt.timedelta(days=30)
LATE_AT = dt.datetime.combine(LATE, dt.time(9), tzinfo=dt.UTC)

WALK = [
    (model, state)
    for model, spec in workflow_specs().items()
    for state, step in spec.states.items()
    if step.actor
]


def _id(value):
    return value.__name__ if isinstance(value, type) else str(value)


class World:
    """One region with one user per party, and one record of every workflow
    about the same school."""

    def __init__(self):
        self.region = RegionFactory()
        self.school = SchoolFactory(local_authority=LocalAuthorityFactory(region=self.region))
        regional = {"regions": [self.region]}
        self.users = {
            Party.REGIONS_STAFF: UserFactory(role=Role.REGIONS_STAFF, **regional),
            Party.REGIONAL_DIRECTOR: UserFactory(role=Role.REGIONAL_DIRECTOR, **regional),
            Party.RDP: UserFactory(role=Role.RDP, **regional),
            Party.FINANCE: UserFactory(role=Role.FINANCE),
            Party.SCHOOL_CONTACT: UserFactory(role=Role.SCHOOL_CONTACT, school=self.school),
        }
        self.users[Party.OWNER] = self.users[Party.REGIONS_STAFF]
        leader = SystemLeaderFactory()
        self.users[Party.SYSTEM_LEADER] = leader.user
        offer = SupportOfferFactory()
        # The deployment's case is for the next year's offer: one live case per offer.
        issued = IssuedCaseFactory(
            school=self.school,
            region=self.region,
            system_leader=leader,
            offer=SupportOfferFactory(year=2024),
        )
        self.deployment = DeploymentFactory(support_case=issued, system_leader=leader)
        self.records = {
            SupportCase: SupportCaseFactory(
                eligibility=EligibilityAssessmentFactory(
                    school=self.school, region=self.region, offer=offer
                ),
                system_leader=leader,
                owner=self.users[Party.OWNER],
                opened_by=self.users[Party.OWNER],
                school_contacted_on=LATE,
                leader_asked_on=LATE,
            ),
            Deployment: self.deployment,
            EnhancedRequest: EnhancedRequest.objects.create(
                deployment=self.deployment,
                kind=EnhancedRequest.Kind.EXTENSION,
                days=Decimal("2"),
                requested_by=leader.user,
            ),
            Claim: Claim.objects.create(
                deployment=self.deployment,
                kind=Claim.Kind.DEPLOYMENT_DAYS,
                offer=self.deployment.offer,
                region=self.region,
                system_leader=leader,
                days=Decimal("1"),
                rate=Decimal("600"),
                amount=Decimal("600"),
            ),
            Complaint: ComplaintFactory(
                school=self.school, entitlements=[Entitlement.objects.first()]
            ),
            ExceptionRequest: ExceptionRequestFactory(
                school=self.school, region=self.region, offer=offer
            ),
        }

    def put(self, model, state):
        """The record of `model`, moved to `state` and overdue since LATE; every
        other record at a state where nobody acts (so rows and e-mails are this
        record's only)."""
        for other, spec in workflow_specs().items():
            if other is not model:
                quiet = next(s for s, step in spec.states.items() if not step.actor)
                self._move(other, quiet, due_on=None)
        self._move(model, state, due_on=LATE)
        record = self.records[model]
        record.refresh_from_db()
        return record

    def _move(self, model, state, *, due_on):
        spec = workflow_specs()[model]
        values = {spec.state_field: state, "due_on": due_on, "overdue_notified_on": None}
        if model is ExceptionRequest:  # a decided request has its decision time
            values["decided_at"] = None if state == ExceptionRequest.Status.PENDING else LATE_AT
        model.objects.filter(pk=self.records[model].pk).update(**values)


HREF = {
    SupportCase: lambda r: reverse("deployments:case-detail", args=[r.pk]),
    Deployment: lambda r: reverse("deployments:deployment-detail", args=[r.pk]),
    EnhancedRequest: lambda r: reverse("deployments:enhanced-request-detail", args=[r.pk]),
    Claim: lambda r: reverse("deployments:claim-detail", args=[r.pk]),
    Complaint: lambda r: reverse("guarantees:complaint-detail", args=[r.pk]),
    ExceptionRequest: lambda r: reverse("deployments:exception-detail", args=[r.pk]),
}


def _queued_hrefs(user) -> set[str]:
    return {
        row["href"]
        for section in home_queue_for(user)
        for row in section.rows
        if row.get("waiting", True)  # a contact also sees the cases not its turn
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "state"), WALK, ids=lambda v: _id(v))
def test_queue_overdue_e_mail_and_responsible_name_the_same_party(
    model, state, django_capture_on_commit_callbacks
):
    world = World()
    record = world.put(model, state)
    step = workflow_specs()[model].step(state)
    acting = {p.role for p in step.parties}
    href = HREF[model](record)

    assert record.responsible == step.actor.role
    spec = workflow_specs()[model]
    # The overdue lists and the record's own flag read the same table.
    assert record.is_overdue(TODAY)
    assert model.objects.filter(spec.overdue_q(TODAY), pk=record.pk).exists()

    for party, user in world.users.items():
        queued = href in _queued_hrefs(user)
        assert queued == (party.role in acting), (party, queued)

    if not spec.overdue_template:
        # A workflow without an overdue e-mail declares no deadline anywhere.
        assert not any(s.sla_step for s in spec.states.values())
        return
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow_notify_overdue(today=TODAY) >= 1
    told = {address for message in mail.outbox for address in message.to}
    for party, user in world.users.items():
        must_be_told = party in step.parties or party in spec.overdue_cc
        if party is Party.REGIONS_STAFF and Party.OWNER in step.parties:
            must_be_told = True  # the owner is this Regions Group member
        if party is Party.OWNER and Party.REGIONS_STAFF in step.parties:
            must_be_told = True
        assert (user.email in told) == must_be_told, party
    assert told <= {u.email for u in world.users.values()}


def test_every_workflow_has_a_table_and_every_state_a_row():
    specs = workflow_specs()
    assert set(specs) == {
        SupportCase,
        Deployment,
        EnhancedRequest,
        Claim,
        Complaint,
        ExceptionRequest,
    }
    for model, spec in specs.items():
        field = model._meta.get_field(spec.state_field)
        assert set(spec.states) == {value for value, _ in field.choices}, model
        for state, step in spec.states.items():
            if step.actor:
                assert step.queue_label, (model, state)
                assert spec.home_sections.get(step.actor.role), (model, state)


def test_the_models_open_states_are_the_tables_states_where_someone_acts():
    from guarantees.models import OPEN_STATES as COMPLAINT_OPEN_STATES

    specs = workflow_specs()
    assert set(specs[SupportCase].open_states) == set(SupportCase.OPEN_STATES)
    assert set(specs[Deployment].open_states) == set(Deployment.OPEN_STATES)
    assert set(specs[EnhancedRequest].open_states) == set(EnhancedRequest.PENDING_STATES)
    assert set(specs[Complaint].open_states) == set(COMPLAINT_OPEN_STATES)


@pytest.mark.django_db
def test_a_paused_deployment_is_neither_overdue_nor_chased(django_capture_on_commit_callbacks):
    from django.utils import timezone

    world = World()
    record = world.put(Deployment, Deployment.State.DELIVERY)
    Deployment.objects.filter(pk=record.pk).update(paused_at=timezone.now())
    record.refresh_from_db()
    assert not record.is_overdue(TODAY)
    assert not Deployment.objects.filter(workflow_specs()[Deployment].overdue_q(TODAY)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow_notify_overdue(today=TODAY) == 0


@pytest.mark.django_db
def test_every_open_deployment_state_has_a_deadline_the_offer_holds_delivery_included():
    """Contract: "Every open state has a due_on, delivery included"."""
    spec = workflow_specs()[Deployment]
    offer = SupportOfferFactory()
    for state in Deployment.OPEN_STATES:
        step = spec.step(state)
        assert step.sla_step, state
        assert offer.sla_days(step.sla_step) is not None, state
    assert offer.sla_days(spec.step(Deployment.State.DELIVERY).sla_step) == 60


def _transition_names(model) -> set[str]:
    return {name for name in dir(model) if hasattr(getattr(model, name, None), "_django_fsm")}


def _recorded_event_names() -> set[str]:
    """Every event name a service passes to `timeline_record` or `_timeline_bulk`."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = set()
    for path in [*root.glob("deployments/**/*.py"), *root.glob("guarantees/**/*.py")]:
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        names |= set(re.findall(r'\bname="([a-z_]+)"', text))
        names |= set(re.findall(r'\bname="[a-z_]+" if .* else "([a-z_]+)"', text))
    return names


@pytest.mark.parametrize("model", list(workflow_specs()), ids=_id)
def test_every_history_label_names_a_transition_or_an_event_a_service_records(model):
    spec = workflow_specs()[model]
    known = _transition_names(model) | _recorded_event_names()
    assert set(spec.history_labels) <= known, set(spec.history_labels) - known


@pytest.mark.parametrize("model", [SupportCase, Deployment, EnhancedRequest, Claim])
def test_every_transition_has_a_past_tense_history_label(model):
    """The history says what happened ("Claim approved"), not the button
    ("Approve the claim")."""
    spec = workflow_specs()[model]
    assert _transition_names(model) <= set(spec.history_labels)
