import datetime as dt
from importlib import import_module

import factory
from django.utils import timezone

from deployments.models import (
    Criterion,
    EligibilityAssessment,
    ExceptionRequest,
    RegionalDirectorAssessment,
    SupportCase,
    SupportOffer,
    SystemLeader,
)
from portal.models import Role
from tests.portal.factories import UserFactory
from tests.schools.factories import SchoolFactory, TrustFactory

# The figures the data migration gives the 2023/24 offer: another year's offer
# in a test copies them.
OFFER_2023_24 = import_module("deployments.migrations.0007_offer_2023_24").OFFER_2023_24
# The offer's row as the migrations leave it: 0009 adds the delivery deadline.
OFFER_SLA = {
    **OFFER_2023_24["sla_working_days"],
    **import_module("deployments.migrations.0009_offer_2023_24_delivery_deadline").SLA_ADDED,
}


class SupportOfferFactory(factory.django.DjangoModelFactory):
    """The 2023/24 offer (the row the data migration made: get-or-create by year);
    pass `year=2024` for another year with the same figures."""

    class Meta:
        model = SupportOffer
        django_get_or_create = ("academic_year",)

    class Params:
        year = 2023

    academic_year = factory.LazyAttribute(lambda o: f"{o.year}/{(o.year + 1) % 100:02d}")
    starts_on = factory.LazyAttribute(lambda o: dt.date(o.year, 9, 1))
    ends_on = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 8, 31))
    core_days = OFFER_2023_24["core_days"]
    day_rate = OFFER_2023_24["day_rate"]
    max_extension_days = OFFER_2023_24["max_extension_days"]
    extension_window_weeks = OFFER_2023_24["extension_window_weeks"]
    partnership_grant = OFFER_2023_24["partnership_grant"]
    partnership_instalments = OFFER_2023_24["partnership_instalments"]
    partnership_months = OFFER_2023_24["partnership_months"]
    rule_set = OFFER_2023_24["rule_set"]
    sla_working_days = factory.LazyFunction(lambda: dict(OFFER_SLA))


class RegionalDirectorAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalDirectorAssessment

    offer = factory.SubFactory(SupportOfferFactory)
    school = factory.SubFactory(SchoolFactory)
    region = factory.SelfAttribute("school.region")
    assessed_by = factory.SubFactory(UserFactory)
    assessed_on = dt.date(2023, 11, 1)
    reason = "Leadership capacity is fragile after the headteacher left."


class ExceptionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExceptionRequest

    offer = factory.SubFactory(SupportOfferFactory)
    school = factory.SubFactory(SchoolFactory)
    region = factory.SelfAttribute("school.region")
    source = ExceptionRequest.Source.REGIONAL_JUDGEMENT
    reason = "Results fell sharply and the governors asked for help."
    requested_by = factory.SubFactory(UserFactory)


class EligibilityAssessmentFactory(factory.django.DjangoModelFactory):
    """A current "eligible" row (criterion B) for a school."""

    class Meta:
        model = EligibilityAssessment

    offer = factory.SubFactory(SupportOfferFactory)
    school = factory.SubFactory(SchoolFactory)
    trust = None
    region = factory.LazyAttribute(lambda o: o.school.region if o.school else None)
    criterion = Criterion.INADEQUATE
    status = EligibilityAssessment.Status.ELIGIBLE
    latest_inspection_date = dt.date(2023, 10, 12)
    latest_grade = 4
    computed_at = factory.LazyFunction(timezone.now)


class SystemLeaderFactory(factory.django.DjangoModelFactory):
    """An NLE leading a school; `mat_ceo=True` for a MAT CEO leading a trust.
    Pass `regions=[...]` for the regions they work in."""

    class Meta:
        model = "deployments.SystemLeader"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.SYSTEM_LEADER)
    kind = "nle"
    school = factory.SubFactory(SchoolFactory)
    trust = None
    phases = factory.LazyFunction(lambda: ["primary"])
    focus_areas = factory.LazyFunction(lambda: ["leadership_management"])
    max_concurrent_deployments = 2
    # Room for two deployments of the 2023/24 offer's 10 core days and one more
    # case: ranking leaves out a leader with fewer days left than a case needs.
    days_available = 30

    class Params:
        mat_ceo = factory.Trait(kind="mat_ceo", school=None, trust=factory.SubFactory(TrustFactory))

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class NleFactory(SystemLeaderFactory):
    kind = SystemLeader.Kind.NLE
    trust = None
    school = factory.SubFactory(SchoolFactory)


class SupportCaseFactory(factory.django.DjangoModelFactory):
    """A case in `state` with the fields that state implies: the leader proposed
    (from with_rdp), the school contacted (from school_engagement), confirmed and
    the leader asked (from system_leader_check). Pass `system_leader=`."""

    class Meta:
        model = SupportCase
        skip_postgeneration_save = True

    eligibility = factory.SubFactory(EligibilityAssessmentFactory)
    offer = factory.SelfAttribute("eligibility.offer")
    school = factory.SelfAttribute("eligibility.school")
    trust = factory.SelfAttribute("eligibility.trust")
    region = factory.SelfAttribute("eligibility.region")
    opened_by = factory.SubFactory(UserFactory)
    owner = factory.SelfAttribute("opened_by")
    state = SupportCase.State.IDENTIFIED
    system_leader = None
    school_contacted_on = factory.LazyAttribute(
        lambda o: dt.date(2023, 11, 1) if o.state in CONTACTED_STATES else None
    )
    school_confirmed = factory.LazyAttribute(lambda o: o.state in ASKED_STATES)
    leader_asked_on = factory.LazyAttribute(
        lambda o: dt.date(2023, 11, 2) if o.state in ASKED_STATES else None
    )


_S = SupportCase.State
ASKED_STATES = {
    _S.SYSTEM_LEADER_CHECK,
    _S.MATCH_CONFIRMATION,
    _S.CONCERN,
    _S.DIRECTOR_APPROVAL,
    _S.APPROVED,
    _S.DEPLOYMENT_ISSUED,
}
CONTACTED_STATES = ASKED_STATES | {_S.SCHOOL_ENGAGEMENT}


class IssuedCaseFactory(SupportCaseFactory):
    """A case at "deployment issued" (the matching workflow's end), with its leader."""

    state = SupportCase.State.DEPLOYMENT_ISSUED
    system_leader = factory.SubFactory(SystemLeaderFactory)


class DeploymentFactory(factory.django.DjangoModelFactory):
    """An issued deployment for its case's target, led by the case's leader, issued
    30 days ago (tests pass the dates they need). Given a case, pass its leader too."""

    class Meta:
        model = "deployments.Deployment"

    system_leader = factory.SubFactory(SystemLeaderFactory)
    support_case = factory.SubFactory(
        IssuedCaseFactory, system_leader=factory.SelfAttribute("..system_leader")
    )
    offer = factory.SelfAttribute("support_case.offer")
    school = factory.SelfAttribute("support_case.school")
    trust = factory.SelfAttribute("support_case.trust")
    region = factory.SelfAttribute("support_case.region")
    issued_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
