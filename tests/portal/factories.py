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
