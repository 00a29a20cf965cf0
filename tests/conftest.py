"""Shared fixtures: one signed-in client per role, and the regions."""

import pytest
from rest_framework.test import APIClient

from portal.models import Role
from tests.portal.factories import UserFactory
from tests.schools.factories import RegionFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (it holds throttling counts)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def north_west(db):
    return RegionFactory(name="North West", code="E12000002")


@pytest.fixture
def london(db):
    return RegionFactory(name="London", code="E12000007")


@pytest.fixture
def make_user(db):
    def make(role=Role.REGIONS_STAFF, regions=(), **kwargs):
        return UserFactory(role=role, regions=list(regions), **kwargs)

    return make


@pytest.fixture
def client_for(db, client):
    """`client_for(user)` returns a Django test client signed in as that user."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for(db):
    """`api_client_for(user)` returns a DRF client authenticated as that user."""

    def make(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def regions_staff(make_user, north_west):
    return make_user(Role.REGIONS_STAFF, regions=[north_west])


@pytest.fixture
def regional_director(make_user, north_west):
    return make_user(Role.REGIONAL_DIRECTOR, regions=[north_west])


@pytest.fixture
def rdp(make_user, london):
    return make_user(Role.RDP, regions=[london])


@pytest.fixture
def system_leader(make_user):
    return make_user(Role.SYSTEM_LEADER)


@pytest.fixture
def finance_user(make_user):
    return make_user(Role.FINANCE)


@pytest.fixture
def school_contact(make_user):
    from tests.schools.factories import SchoolFactory

    return make_user(Role.SCHOOL_CONTACT, school=SchoolFactory())


@pytest.fixture
def browser_page(monkeypatch):
    """A page in headless Debian chromium, driven by Playwright (tests/browser.py)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from tests.browser import ARGS, CHROMIUM

    # Playwright's sync API runs an event loop in the test thread; Django's ORM
    # refuses that unless told it is safe (it is: one thread drives both).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()
        # While Playwright's event loop runs, Django gives the ORM calls of the test
        # a connection of their own; close it, or the test database cannot be dropped.
        connections.close_all()


@pytest.fixture
def programmes_loaded(db):
    """The Annex A programmes the data migration seeds, again: a transactional
    test may start after another one has emptied every table."""
    from importlib import import_module

    from django.apps import apps

    import_module("deployments.migrations.0005_seed_annex_a_programmes").seed(apps, None)
