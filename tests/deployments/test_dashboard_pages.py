"""The dashboard pages: England and a region, each figure linking to the list
that shows the same number; a system leader's and a school's own page; who may
open which; and a bounded number of queries."""

import re

import pytest

from portal.models import Role
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

FIGURE_LINK = re.compile(r'<a class="govuk-link" href="([^"]+)" data-figure="([^"]+)">([^<]+)<')


def _figures(html: str) -> list[tuple[str, str, str]]:
    return [
        (href.replace("&amp;", "&"), label, value)
        for href, label, value in FIGURE_LINK.findall(html)
    ]


def _shown_count(html: str) -> str:
    """The total a list page shows ("12 deployments", "Oldest first. 3 claims...")."""
    found = re.search(r'id="result-count"[^>]*>\s*(?:Oldest first\. )?([\d,]+) ', html)
    assert found, "the list shows no total"
    return found.group(1)


def _shown_total(html: str) -> str:
    found = re.search(r'id="result-total">([^<]+)<', html)
    return found.group(1) if found else "£0.00"


def _shown_days(html: str, which: str = "result-days") -> str:
    found = re.search(rf'id="{which}">([^<]+)<', html)
    return found.group(1) if found else "0"


def _follow_every_figure(client, page_url: str) -> int:
    html = client.get(page_url).content.decode()
    figures = _figures(html)
    assert figures, "no figure links to its list"
    for href, label, value in figures:
        listed = client.get(href)
        assert listed.status_code == 200, (href, listed.status_code)
        body = listed.content.decode()
        if value.startswith("£") and label == "Committed":
            continue  # money committed: the deployments behind it, listed (not summed)
        elif value.startswith("£"):
            assert _shown_total(body) == value, (label, href)
        elif label == "Claimed":
            assert _shown_days(body) == value, (label, href)
        elif label.startswith("Committed"):
            assert _shown_days(body, "result-days-committed") == value, (label, href)
        elif label.startswith("Logged"):
            assert _shown_days(body, "result-days-logged") == value, (label, href)
        else:
            assert _shown_count(body) == value, (label, href)
    return len(figures)


def test_every_figure_of_a_region_links_to_a_list_showing_the_same_number(
    client_for, dashboard_world
):
    w = dashboard_world
    client = client_for(w.admin)
    followed = _follow_every_figure(client, f"/dashboard/?offer={w.offer.pk}&region=North+West")
    assert followed > 60


def test_every_figure_of_england_links_to_a_list_showing_the_same_number(
    client_for, dashboard_world
):
    w = dashboard_world
    client = client_for(w.admin)
    _follow_every_figure(client, f"/dashboard/?offer={w.offer.pk}")


def test_a_signposted_programme_links_to_the_deployments_that_signposted_it(
    client_for, dashboard_world
):
    from deployments.delivery.models import DeploymentSection
    from deployments.programmes.models import Programme

    w = dashboard_world
    first, second = Programme.objects.order_by("name")[:2]
    section = DeploymentSection.objects.get(key="scope", deployment__state="closed")
    section.data = {**section.data, "programmes": [second.slug]}
    section.save()
    client = client_for(w.admin)
    page = f"/dashboard/?offer={w.offer.pk}&region=North+West"
    figures = {label: value for _, label, value in _figures(client.get(page).content.decode())}
    assert figures[second.name] == "1"
    assert first.name not in figures
    _follow_every_figure(client, page)


def test_finance_follows_the_money_to_the_claims(client_for, dashboard_world):
    w = dashboard_world
    client = client_for(w.finance)
    html = client.get(f"/dashboard/?offer={w.offer.pk}").content.decode()
    assert 'id="spend-list"' in html
    links = {label: href for href, label, _ in _figures(html)}
    assert "Claimed" in links
    # Finance reads no support case or deployment: those figures stay plain.
    assert not any("/cases/" in href or "/deployments/" in href for href in links.values())
    _follow_every_figure(client, f"/dashboard/?offer={w.offer.pk}")


def test_the_region_page_shows_every_section(client_for, dashboard_world):
    w = dashboard_world
    html = client_for(w.staff).get("/dashboard/?region=North+West").content.decode()
    for section in (
        "funnel-table",
        "cases-table",
        "deployments-table",
        "overdue-table",
        "days-list",
        "spend-list",
        "enhanced-table",
        "focus-areas-table",
        "criteria-table",
        "run-lengths-table",
        "work-lists",
    ):
        assert f'id="{section}"' in html, section
    assert "by-region-table" not in html
    assert "<svg" in html and "<script" not in html.split("<main")[1].split("</main>")[0]


def test_the_dashboard_leads_to_outcomes_and_forecast(client_for, dashboard_world):
    w = dashboard_world
    html = client_for(w.staff).get("/dashboard/?region=North+West").content.decode()
    lists = html.split('id="work-lists"')[1].split("</ul>")[0]
    assert 'href="/outcomes/"' in lists and 'href="/forecast/"' in lists


def test_an_rdp_sees_no_spend_and_opens_on_their_region(client_for, dashboard_world):
    w = dashboard_world
    rdp = UserFactory(role=Role.RDP, regions=[w.north_west])
    response = client_for(rdp).get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">North West</h1>' in html
    assert 'id="spend-list"' not in html
    assert 'value="">England' not in html


def test_england_has_a_row_per_region_side_by_side(client_for, dashboard_world):
    w = dashboard_world
    html = client_for(w.staff).get("/dashboard/").content.decode()
    table = html.split('id="by-region-table"')[1].split("</table>")[0]
    assert "North West" in table and "London" in table
    assert "/dashboard/?offer=" in table


@pytest.mark.parametrize(
    "role, in_region, url, expected",
    [
        (Role.REGIONS_STAFF, True, "/dashboard/", 200),
        (Role.REGIONS_STAFF, False, "/dashboard/?region=London", 200),
        (Role.FINANCE, False, "/dashboard/", 200),
        (Role.ADMIN, False, "/dashboard/?region=London", 200),
        (Role.REGIONAL_DIRECTOR, True, "/dashboard/", 200),
        (Role.REGIONAL_DIRECTOR, True, "/dashboard/?region=North+West", 200),
        (Role.REGIONAL_DIRECTOR, True, "/dashboard/?region=London", 403),
        (Role.REGIONAL_DIRECTOR, True, "/dashboard/?region=", 403),
        (Role.RDP, True, "/dashboard/?region=North+West", 200),
        (Role.RDP, True, "/dashboard/?region=London", 403),
        (Role.RDP, False, "/dashboard/", 403),
        (Role.SYSTEM_LEADER, False, "/dashboard/", 403),
        (Role.SCHOOL_CONTACT, False, "/dashboard/?region=North+West", 403),
        (Role.SYSTEM_LEADER, False, "/dashboard/mine/", 200),
        (Role.SCHOOL_CONTACT, False, "/dashboard/mine/", 200),
        (Role.REGIONS_STAFF, True, "/dashboard/mine/", 403),
        (Role.FINANCE, False, "/dashboard/mine/", 403),
        (Role.RDP, True, "/dashboard/mine/", 403),
    ],
)
def test_who_may_open_the_dashboards(
    client_for, north_west, london, role, in_region, url, expected
):
    from tests.deployments.claim_fixtures import current_offer
    from tests.schools.factories import SchoolFactory

    current_offer()
    extra = {"school": SchoolFactory()} if role == Role.SCHOOL_CONTACT else {}
    user = UserFactory(role=role, regions=[north_west] if in_region else [], **extra)
    assert client_for(user).get(url).status_code == expected


def test_the_navigation_and_home_page_lead_to_the_dashboard(client_for, dashboard_world):
    html = client_for(dashboard_world.staff).get("/").content.decode()
    assert 'href="/dashboard/"' in html
    assert 'id="dashboard-link"' in html


def test_a_system_leaders_page_shows_days_next_steps_and_claims(client_for, dashboard_world):
    from deployments.claims.models import Claim

    claim = Claim.objects.filter(state="approved").select_related("system_leader__user").get()
    leader = claim.system_leader.user
    html = client_for(leader).get("/dashboard/mine/").content.decode()
    assert claim.reference in html
    assert 'id="days-summary"' in html
    assert "Hold the end-of-deployment call" not in html  # the RDP's move, not theirs
    assert "Waiting for the Regional Delivery Partner (RDP)" in html
    assert 'href="/dashboard/mine/"' in html  # in the navigation


def test_a_school_contacts_page_says_what_to_do_next(client_for, dashboard_world):
    from deployments.delivery.models import Deployment

    deployment = Deployment.objects.filter(state="engaged").select_related("school").get()
    contact = UserFactory(role=Role.SCHOOL_CONTACT, school=deployment.school)
    html = client_for(contact).get("/dashboard/mine/").content.decode()
    assert deployment.school.name in html
    assert "Waiting for the system leader" in html
    assert "claims-table" not in html


def test_the_pages_read_a_bounded_number_of_queries(
    client_for, dashboard_world, django_assert_max_num_queries
):
    w = dashboard_world
    client = client_for(w.admin)
    client.get("/dashboard/")
    with django_assert_max_num_queries(21):
        assert client.get("/dashboard/").status_code == 200
    with django_assert_max_num_queries(21):
        assert client.get("/dashboard/?region=North+West").status_code == 200
    from deployments.claims.models import Claim

    leader = Claim.objects.select_related("system_leader__user").first().system_leader.user
    leader_client = client_for(leader)
    leader_client.get("/dashboard/mine/")
    with django_assert_max_num_queries(20):
        assert leader_client.get("/dashboard/mine/").status_code == 200


def test_the_lists_export_their_current_filter(client_for, dashboard_world):
    w = dashboard_world
    client = client_for(w.admin)
    for path in ("/deployments/export", "/enhanced-requests/export", "/cases/export"):
        csv = client.get(f"{path}.csv?region=North+West&offer={w.offer.pk}")
        assert csv.status_code == 200, path
        assert "London" not in csv.content.decode()
        xlsx = client.get(f"{path}.xlsx?region=North+West&offer={w.offer.pk}")
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    "role, path, expected",
    [
        (Role.FINANCE, "/enhanced-requests/", 403),
        (Role.FINANCE, "/deployments/export.csv", 403),
        (Role.FINANCE, "/cases/export.csv", 403),
        (Role.REGIONAL_DIRECTOR, "/enhanced-requests/", 200),
        (Role.RDP, "/deployments/export.xlsx", 200),
        (Role.SYSTEM_LEADER, "/enhanced-requests/export.csv", 200),
    ],
)
def test_who_may_read_and_export_the_linked_lists(client_for, north_west, role, path, expected):
    user = UserFactory(
        role=role, regions=[north_west] if role in (Role.REGIONAL_DIRECTOR, Role.RDP) else []
    )
    assert client_for(user).get(path).status_code == expected


def test_a_region_outsider_lists_none_of_the_regions_records(client_for, dashboard_world):
    w = dashboard_world
    london_director = UserFactory(role=Role.REGIONAL_DIRECTOR, regions=[w.london])
    client = client_for(london_director)
    body = client.get("/enhanced-requests/?region=North+West").content.decode()
    assert _shown_count(body) == "0"
    csv = client.get("/deployments/export.csv?region=North+West").content.decode()
    assert csv.strip().count("\n") == 0  # the header only
    # Their own region's dashboard links its figures; another region's is refused.
    assert client.get("/dashboard/?region=London").status_code == 200
    assert client.get("/dashboard/?region=North+West").status_code == 403
