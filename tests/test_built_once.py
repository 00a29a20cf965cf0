"""tests/built_once.py: rows built once per module, and every test starting from
them as built, whatever the test before it changed, in the database or in memory."""

from types import SimpleNamespace

import pytest

from portal.models import Role
from schools.models import Region
from tests.built_once import built_once, each_test_copy
from tests.portal.factories import UserFactory
from tests.schools.factories import RegionFactory

BUILDS = []


def _build():
    BUILDS.append(1)
    region = RegionFactory(name="Built Once", code="E12999990")
    return {"region": region, "user": UserFactory(role=Role.REGIONS_STAFF, regions=[region])}


rows_once = built_once(_build)


@pytest.fixture
def rows(rows_once, db, request):
    return each_test_copy(rows_once, request)


@pytest.mark.parametrize("run", range(3))
def test_each_test_starts_from_the_rows_as_built_and_may_change_them(rows, run):
    region, user = rows["region"], rows["user"]
    assert len(BUILDS) == 1
    assert Region.objects.filter(name__startswith="Built Once").count() == 1
    assert region.name == "Built Once" and list(user.regions.all()) == [region]

    region.name = f"Built Once, changed by run {run}"
    region.save()
    user.regions.clear()
    RegionFactory(name=f"Built Once, added by run {run}")
    rows["extra"] = run

    assert Region.objects.filter(name__startswith="Built Once").count() == 2


def test_a_test_without_the_rows_still_sees_the_database_it_expects(db):
    """The module's rows exist while the module runs (they are rolled back after
    its last test); a test that asks only for `db` runs in its own savepoint."""
    assert Region.objects.filter(name__startswith="Built Once, ").count() == 0


@pytest.mark.parametrize(
    ("fixturenames", "marker"),
    [
        (["transactional_db"], None),
        (["live_server"], None),
        (["db"], pytest.mark.django_db(transaction=True).mark),
        (["db"], pytest.mark.django_db(True).mark),
    ],
)
def test_a_transactional_test_is_refused_the_rows(fixturenames, marker):
    """A transactional test empties the tables under the module's rows."""
    request = SimpleNamespace(
        fixturenames=fixturenames,
        node=SimpleNamespace(nodeid="t", get_closest_marker=lambda name: marker),
    )
    with pytest.raises(pytest.UsageError, match="non-transactional"):
        each_test_copy({}, request)
