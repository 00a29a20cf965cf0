import factory

from portal.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-in person; pass `regions=[...]` for region-scoped roles."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    role = Role.REGIONS_STAFF
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class SchoolContactFactory(UserFactory):
    """A school's own contact; pass `school=`."""

    role = Role.SCHOOL_CONTACT


class TrustContactFactory(UserFactory):
    """A contact of a trust (the Trust CEO's office): acts for the trust and for
    every school in it (portal.scoping). Pass `trust=` the school's trust; with
    none a trust of its own is made, so the contact acts for none of your schools."""

    role = Role.SCHOOL_CONTACT
    trust = factory.SubFactory("tests.schools.factories.TrustFactory")
