import datetime as dt

import factory

from deployments.demo import OFFER_2023_24
from deployments.models import ExceptionRequest, RegionalDirectorAssessment, SupportOffer
from tests.portal.factories import UserFactory
from tests.schools.factories import SchoolFactory


class SupportOfferFactory(factory.django.DjangoModelFactory):
    """The 2023/24 offer as the guidance states it; pass `year=2024` for another year."""

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
    sla_working_days = factory.LazyFunction(
        lambda: {str(k): v for k, v in OFFER_2023_24["sla_working_days"].items()}
    )


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


# Deployments (issue 19) --------------------------------------------------------


class EligibilityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deployments.EligibilityAssessment"

    offer = factory.SubFactory(SupportOfferFactory)
    school = factory.SubFactory(SchoolFactory)
    region = factory.SelfAttribute("school.region")
    criterion = "A"
    run_length = 2
    latest_inspection_date = dt.date(2023, 10, 12)
    computed_at = factory.LazyFunction(lambda: dt.datetime(2023, 10, 20, tzinfo=dt.UTC))


class SystemLeaderFactory(factory.django.DjangoModelFactory):
    """An NLE by default (a school); `mat_ceo=True` for a MAT CEO (a trust)."""

    class Meta:
        model = "deployments.SystemLeader"

    class Params:
        mat_ceo = factory.Trait(
            kind="mat_ceo",
            school=None,
            trust=factory.SubFactory("tests.schools.factories.TrustFactory"),
        )

    user = factory.SubFactory(
        UserFactory, role="system_leader", full_name=factory.Sequence(lambda n: f"Leader {n}")
    )
    kind = "nle"
    school = factory.SubFactory(SchoolFactory)
    trust = None


class SupportCaseFactory(factory.django.DjangoModelFactory):
    """A case at "deployment issued" (the matching workflow's end)."""

    class Meta:
        model = "deployments.SupportCase"

    school = factory.SubFactory(SchoolFactory)
    trust = None
    region = factory.SelfAttribute("school.region")
    offer = factory.SubFactory(SupportOfferFactory)
    eligibility = factory.SubFactory(
        EligibilityAssessmentFactory,
        offer=factory.SelfAttribute("..offer"),
        school=factory.SelfAttribute("..school"),
    )
    state = "deployment_issued"
    system_leader = factory.SubFactory(SystemLeaderFactory)
    opened_by = factory.SubFactory(UserFactory)


class DeploymentFactory(factory.django.DjangoModelFactory):
    """An issued deployment for a school, issued on `issued_on` (default: 20
    working days ago in term time is not needed: tests pass what they need)."""

    class Meta:
        model = "deployments.Deployment"

    support_case = factory.SubFactory(SupportCaseFactory)
    offer = factory.SelfAttribute("support_case.offer")
    system_leader = factory.SelfAttribute("support_case.system_leader")
    school = factory.SelfAttribute("support_case.school")
    trust = None
    region = factory.SelfAttribute("support_case.region")
    issued_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
