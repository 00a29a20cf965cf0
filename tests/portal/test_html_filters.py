"""Every HTML page that lists or exports, given filter values of the wrong kind
(letters for an id, an id no key holds, a superscript digit that str.isdigit()
takes and int() refuses): a 400 or an ordinary page, never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import Role
from tests.deployments.factories import SupportOfferFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

# Every name a list page reads from its query string (grep request.GET, the
# filter forms and FilterSets).
PARAMS = [
    "region", "offer", "q", "state", "status", "sort", "owner", "overdue", "delayed", "view",
    "kind", "available", "role", "is_active", "phase", "focus_area", "by", "table",
    "criterion", "trust_ceo", "urn", "trust", "la", "flag", "payment_run", "system_leader",
    "eligibility", "school", "year", "local_authority", "rating", "outcome", "ambition",
    "type", "establishment_type", "change", "filename", "reached", "run_length", "delayed",
    "open", "programme",
]  # fmt: skip
BAD = ["abc", "9" * 20, "-1", "1.5", "\u00b2", "\u0663", "0x10", "[]"]
SKIP_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/complaints/new/")
# Pages without an argument that list nothing: sign-out, the case-open step (it needs an
# eligibility record), the leader's own profile form and a leader's or school's own
# dashboard (it reads no filter).
NOT_LISTS = {"/accounts/logout/", "/cases/open/", "/my-profile/", "/dashboard/mine/"}


def _list_pages(resolver=None, prefix="") -> list[str]:
    """The site's pages that take no argument in their address."""
    resolver = resolver or get_resolver()
    pages = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            pages += _list_pages(entry, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(" not in route:
            pages.append("/" + route.replace("\\", ""))
    return sorted(p for p in set(pages) - NOT_LISTS if not p.startswith(SKIP_PREFIXES))


@pytest.fixture
def readers(db, make_user, north_west):
    SchoolFactory(urn="100001", local_authority=LocalAuthorityFactory(region=north_west))
    SupportOfferFactory()
    return [
        make_user(Role.REGIONS_STAFF, regions=[north_west]),
        make_user(Role.ADMIN, is_staff=True),
        make_user(Role.FINANCE),
        make_user(Role.REGIONAL_DIRECTOR, regions=[north_west]),
    ]


@pytest.mark.parametrize("path", _list_pages())
def test_html_lists_answer_bad_filters_with_400_or_a_page(client, readers, path):
    client.raise_request_exception = False
    reader = next(
        (u for u in readers if client.force_login(u) or client.get(path).status_code == 200),
        None,
    )
    if reader is None:
        pytest.skip(f"{path}: no reader here (not a page that lists)")
    failures = []
    for value in BAD:
        # Every filter at once (each page reads its own): one request a value.
        response = client.get(path, dict.fromkeys(PARAMS, value))
        if response.status_code >= 500:
            failures.append(value)
    assert failures == []


def test_case_studies_for_a_region_that_is_no_id_are_an_empty_list(client_for):
    from deployments.delivery.models import CaseStudy
    from tests.deployments.delivery_fixtures import make_cast

    cast = make_cast()
    CaseStudy.objects.create(
        deployment=cast.deployment, title="Attendance turnaround", created_by=cast.rdp
    )
    client = client_for(cast.contact)
    page = client.get("/case-studies/", {"region": cast.region.pk}).content.decode()
    assert "Attendance turnaround" in page
    for value in ("abc", "\u00b2", "9" * 20, "99999"):
        response = client.get("/case-studies/", {"region": value})
        assert response.status_code == 200
        assert "No case studies match" in response.content.decode()


@pytest.mark.parametrize("param", ["offer", "payment_run"])
def test_the_claims_queue_ignores_an_id_that_is_no_ascii_number(client_for, readers, param):
    response = client_for(readers[2]).get("/claims/", {param: "\u00b2"})
    assert response.status_code == 200
