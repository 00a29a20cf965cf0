import datetime as dt

import factory

from schools.models import LocalAuthority, OfstedInspection, Region, School, SchoolLink, Trust


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    # E1299....: clear of the nine real codes (E12000001-E12000009) that tests use
    # for London, the North West and the rest, so a test's own regions never collide.
    code = factory.Sequence(lambda n: f"E1299{n:04d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    # 300-649: clear of the codes the import fixtures use (202, 661, 881, 935, 999).
    code = factory.Sequence(lambda n: f"{300 + n % 350:03d}")
    name = factory.Sequence(lambda n: f"Testshire {n}")
    region = factory.SubFactory(RegionFactory)


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    uid = factory.Sequence(lambda n: str(20000 + n))
    name = factory.Sequence(lambda n: f"Test Learning Trust {n}")
    kind = Trust.Kind.MULTI_ACADEMY


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{500000 + n:06d}")
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    phase = "Primary"
    status = School.Status.OPEN
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    region = factory.SelfAttribute("local_authority.region")
    laestab = factory.LazyAttribute(lambda o: f"{o.local_authority.code}{o.urn[-4:]}")


class OfstedInspectionFactory(factory.django.DjangoModelFactory):
    """A graded inspection; use the grade and kind traits for others."""

    class Meta:
        model = OfstedInspection

    school = factory.SubFactory(SchoolFactory)
    inspection_number = factory.Sequence(lambda n: f"{9000000 + n}")
    kind = OfstedInspection.Kind.GRADED
    inspection_type = "S5 Inspection"
    start_date = dt.date(2023, 10, 12)
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=1))
    overall_effectiveness = OfstedInspection.Grade.GOOD

    class Params:
        ungraded = factory.Trait(
            kind=OfstedInspection.Kind.UNGRADED,
            inspection_type="S8 No Formal Designation",
            overall_effectiveness=None,
            ungraded_outcome="School remains Good",
        )


class SchoolLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolLink

    urn = factory.Sequence(lambda n: f"{600000 + n:06d}")
    linked_urn = factory.Sequence(lambda n: f"{700000 + n:06d}")
    kind = SchoolLink.Kind.PREDECESSOR
    link_type = "Predecessor"
