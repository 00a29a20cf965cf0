"""Rows built once per test module, every test starting from the same rows: what
Django's TestCase.setUpTestData does, for pytest fixtures.

    world_once = built_once(build_world)

    @pytest.fixture
    def world(world_once, db, request):
        return each_test_copy(world_once, request)

The per-test fixture must name the module fixture as an argument (not fetch it with
request.getfixturevalue): pytest then sets the module fixture up before `db`, so the
module's transaction is the outer one.

`built_once(build)` is a module-scoped fixture: it opens a transaction, calls
`build()` and keeps the transaction open until the module's last test, then rolls
it back. Each test's own transaction (pytest-django's `db`) is opened inside it, as
a savepoint, and rolled back after the test, so a test that changes the rows leaves
the next test the rows as built. The objects are deep-copied per test (as
setUpTestData's are), so a test that changes one in memory changes its own copy.

For non-transactional tests only: a `transactional_db` or `live_server` test
empties the tables, so `each_test_copy` refuses one, and a module using it should
hold no transactional test (the module's transaction stays open between its tests).
"""

import copy

import pytest
from django.db import transaction


def built_once(build):
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):  # noqa: ARG001
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                built = build()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        yield built
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    return fixture


def each_test_copy(built, request):
    """This test's own copy of the module's rows (the rows themselves are rolled
    back to the savepoint after each test by pytest-django)."""
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        transactional = transactional or marker.kwargs.get(
            "transaction", bool(marker.args and marker.args[0])
        )
    if transactional:
        raise pytest.UsageError(
            f"{request.node.nodeid}: rows built once per module need a non-transactional "
            "test (a transactional one empties the tables under them)"
        )
    return copy.deepcopy(built)
