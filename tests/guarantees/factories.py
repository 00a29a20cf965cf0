"""Factories for the guarantees tests: one complaint factory per stage."""

import datetime as dt

import factory
from django.utils import timezone

from guarantees.choices import ComplaintState, Outcome
from guarantees.models import Complaint, Entitlement, SelfAssessment
from portal.models import Role
from tests.portal.factories import UserFactory
from tests.schools.factories import SchoolFactory


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfAssessment

    school = factory.SubFactory(SchoolFactory)
    year = 2026
    created_by = factory.SubFactory(UserFactory, role=Role.SCHOOL_CONTACT)


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A confirmed complaint, received by the school."""

    class Meta:
        model = Complaint
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"PG-TEST-{n:04d}")
    school = factory.SubFactory(SchoolFactory)
    region = factory.SelfAttribute("school.region")
    channel = Complaint.Channel.ONLINE
    state = ComplaintState.RECEIVED
    complainant_name = "Pat Parent"
    complainant_email = factory.Sequence(lambda n: f"parent{n}@example.net")
    relationship = Complaint.Relationship.PARENT
    description = "My son has had no one-to-one tuition although he is behind in maths."
    email_confirmed_at = factory.LazyFunction(timezone.now)
    received_at = factory.LazyFunction(timezone.now)
    due_on = dt.date(2026, 12, 7)

    @factory.post_generation
    def entitlements(self, create, extracted, **kwargs):
        if create:
            self.entitlements.set(
                extracted or [Entitlement.objects.get(text__contains="aged seven to eleven")]
            )


class UnconfirmedComplaintFactory(ComplaintFactory):
    state = ComplaintState.AWAITING_CONFIRMATION
    email_confirmed_at = None
    received_at = None


class ResolvingComplaintFactory(ComplaintFactory):
    state = ComplaintState.SCHOOL_RESOLUTION


class GoverningBodyComplaintFactory(ComplaintFactory):
    state = ComplaintState.GOVERNING_BODY_REVIEW
    school_response = "We arranged tuition from next term."
    link_governor_name = "Gita Governor"


class SchoolStageExhaustedComplaintFactory(GoverningBodyComplaintFactory):
    state = ComplaintState.SCHOOL_STAGE_EXHAUSTED
    outcome = Outcome.NOT_UPHELD
    governing_body_response = "The governors found tuition was offered."


class WithOmbudsmanComplaintFactory(SchoolStageExhaustedComplaintFactory):
    state = ComplaintState.WITH_OMBUDSMAN
    ombudsman_reference = "LGO-24-001"


def active_deployment_at(school, leader_user, *, state="delivery"):
    """An open deployment at `school` led by `leader_user` (a system leader)."""
    from deployments.delivery.models import Deployment
    from deployments.matching.models import SupportCase, SystemLeader
    from deployments.models import EligibilityAssessment
    from tests.deployments.factories import SupportOfferFactory

    offer = SupportOfferFactory()
    leader = SystemLeader.objects.create(
        user=leader_user, kind=SystemLeader.Kind.NLE, school=SchoolFactory()
    )
    eligibility = EligibilityAssessment.objects.create(
        offer=offer, school=school, region=school.region, criterion="A", computed_at=timezone.now()
    )
    case = SupportCase.objects.create(
        offer=offer,
        eligibility=eligibility,
        school=school,
        region=school.region,
        state="deployment_issued",
        system_leader=leader,
        opened_by=UserFactory(),
    )
    return Deployment.objects.create(
        support_case=case,
        offer=offer,
        system_leader=leader,
        school=school,
        region=school.region,
        state=state,
        issued_on=dt.date(2026, 10, 1),
    )
