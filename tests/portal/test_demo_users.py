"""seed_demo's logins: one per role, scoped as the role needs, created once."""

from portal.models import Role, User
from tests.schools.factories import RegionFactory, SchoolFactory
from web.demo import DEMO_PASSWORD, seed_users

REGIONS = ("North West", "London", "South East", "Yorkshire and the Humber")


def test_demo_logins_cover_every_role_with_their_scope_and_are_created_once(db):
    for name in REGIONS:
        RegionFactory(name=name)
    SchoolFactory()

    rows = seed_users()
    again = seed_users()

    assert rows == again
    assert User.objects.count() == len(rows)
    assert {user.role for user in User.objects.all()} == set(Role.values)
    assert all(password == DEMO_PASSWORD for _role, _email, password in rows)
    rdps = {u.email: {r.name for r in u.regions.all()} for u in User.objects.filter(role=Role.RDP)}
    assert rdps == {
        "rdp.london@example.org": {"London", "South East"},
        "rdp.north@example.org": {"North West", "Yorkshire and the Humber"},
    }
    director = User.objects.get(role=Role.REGIONAL_DIRECTOR)
    assert [r.name for r in director.regions.all()] == ["North West"]
    assert User.objects.get(role=Role.SCHOOL_CONTACT).school is not None
    assert all(u.check_password(DEMO_PASSWORD) for u in User.objects.all())
