"""The register's HTML pages: search, filters, sorting, pagination, pages per record."""

import datetime as dt

import pytest
from django.urls import reverse

from schools.models import OfstedInspection, School, SchoolLink
from tests.schools.factories import (
    LocalAuthorityFactory,
    OfstedInspectionFactory,
    RegionFactory,
    SchoolFactory,
    SchoolLinkFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("schools:school-list")


def names(response):
    return [school.name for school in response.context["schools"]]


@pytest.fixture
def reader(system_leader, client_for):
    return client_for(system_leader)


# Access -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, kwargs",
    [
        ("school-list", {}),
        ("school-detail", {"urn": "123456"}),
        ("trust-list", {}),
        ("trust-detail", {"uid": "99999"}),
        ("region-list", {}),
        ("region-detail", {"code": "E12000002"}),
        ("la-detail", {"code": "888"}),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url_name, kwargs):
    url = reverse(f"schools:{url_name}", kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role_fixture",
    [
        "admin_user",
        "regions_staff",
        "regional_director",
        "rdp",
        "system_leader",
        "finance_user",
        "school_contact",
    ],
)
def test_every_signed_in_role_can_browse_the_register(request, client_for, role_fixture):
    user = request.getfixturevalue(role_fixture)
    school = SchoolFactory(trust=TrustFactory())
    client = client_for(user)

    pages = [
        LIST,
        reverse("schools:school-detail", args=[school.urn]),
        reverse("schools:trust-list"),
        reverse("schools:trust-detail", args=[school.trust.uid]),
        reverse("schools:region-list"),
        reverse("schools:region-detail", args=[school.region.code]),
        reverse("schools:la-detail", args=[school.local_authority.code]),
    ]
    assert [client.get(url).status_code for url in pages] == [200] * len(pages)


def test_an_inactive_user_is_refused(make_user, client_for):
    user = make_user(is_active=False)
    client = client_for(user)

    assert client.get(LIST).status_code in (302, 403)


def test_unknown_records_are_not_found(reader):
    assert reader.get(reverse("schools:school-detail", args=["999999"])).status_code == 404
    assert reader.get(reverse("schools:trust-detail", args=["nope"])).status_code == 404
    assert reader.get(reverse("schools:region-detail", args=["E99"])).status_code == 404
    assert reader.get(reverse("schools:la-detail", args=["000"])).status_code == 404


# Search -----------------------------------------------------------------------


@pytest.fixture
def three_schools():
    return [
        SchoolFactory(name="Oakfield Primary School", urn="100001", postcode="M1 1AA"),
        SchoolFactory(name="Ashby Secondary Academy", urn="100002", postcode="SW1A 2BB"),
        SchoolFactory(name="Birch Nursery", urn="100003", postcode="LS2 9JT"),
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("oakf", ["Oakfield Primary School"]),
        ("  SECONDARY  ", ["Ashby Secondary Academy"]),
        ("100003", ["Birch Nursery"]),
        ("sw1a2bb", ["Ashby Secondary Academy"]),
        ("SW1A 2BB", ["Ashby Secondary Academy"]),
        ("m1", ["Oakfield Primary School"]),
    ],
)
def test_search_finds_schools_by_name_urn_or_postcode(reader, three_schools, query, expected):
    response = reader.get(LIST, {"q": query})

    assert names(response) == expected


def test_search_finds_a_school_by_laestab_with_or_without_slash(reader, three_schools):
    school = three_schools[2]
    la_code, estab = school.laestab[:3], school.laestab[3:]

    assert names(reader.get(LIST, {"q": school.laestab})) == [school.name]
    assert names(reader.get(LIST, {"q": f"{la_code}/{estab}"})) == [school.name]


def test_a_search_with_no_matches_says_so(reader, three_schools):
    response = reader.get(LIST, {"q": "zzzz no such school"})

    assert names(response) == []
    assert "No schools match your search" in response.content.decode()


def test_the_result_count_is_shown(reader, three_schools):
    response = reader.get(LIST, {"q": "r"})

    assert response.context["paginator"].count == 3
    assert "3 schools" in response.content.decode()


# Filters ----------------------------------------------------------------------


def test_filters_by_region_local_authority_phase_type_and_trust(reader):
    london = RegionFactory(name="London", code="E12000007")
    camden = LocalAuthorityFactory(code="202", name="Camden", region=london)
    trust = TrustFactory(uid="16014")
    match = SchoolFactory(
        name="Match", local_authority=camden, phase="Secondary", type_group="Academies", trust=trust
    )
    SchoolFactory(name="Other LA", phase="Secondary", type_group="Academies", trust=trust)
    SchoolFactory(name="Other phase", local_authority=camden, type_group="Academies", trust=trust)
    SchoolFactory(name="Other trust", local_authority=camden, phase="Secondary")

    assert names(reader.get(LIST, {"region": "E12000007"})) == [
        "Match",
        "Other phase",
        "Other trust",
    ]
    response = reader.get(
        LIST,
        {
            "region": "E12000007",
            "local_authority": "202",
            "phase": "Secondary",
            "type": "Academies",
            "trust": "16014",
        },
    )
    assert names(response) == [match.name]


def test_open_and_closed_filter_counts_proposed_to_close_as_open(reader):
    SchoolFactory(name="Open")
    SchoolFactory(name="Closing", status=School.Status.OPEN_PROPOSED_TO_CLOSE)
    SchoolFactory(name="Closed", status=School.Status.CLOSED)

    assert names(reader.get(LIST, {"status": "open"})) == ["Closing", "Open"]
    assert names(reader.get(LIST, {"status": "closed"})) == ["Closed"]


def test_latest_grade_is_the_latest_inspection_that_gave_one(reader):
    improved = SchoolFactory(name="Improved")
    OfstedInspectionFactory(
        school=improved, start_date=dt.date(2019, 1, 1), overall_effectiveness=3
    )
    OfstedInspectionFactory(
        school=improved, start_date=dt.date(2023, 1, 1), overall_effectiveness=2
    )
    OfstedInspectionFactory(school=improved, start_date=dt.date(2024, 5, 1), ungraded=True)
    declined = SchoolFactory(name="Declined")
    OfstedInspectionFactory(
        school=declined, start_date=dt.date(2018, 1, 1), overall_effectiveness=2
    )
    OfstedInspectionFactory(
        school=declined, start_date=dt.date(2022, 1, 1), overall_effectiveness=3
    )
    SchoolFactory(name="Never inspected")

    assert names(reader.get(LIST, {"latest_grade": "2"})) == ["Improved"]
    assert names(reader.get(LIST, {"latest_grade": "3"})) == ["Declined"]
    assert names(reader.get(LIST, {"latest_grade": "none"})) == ["Never inspected"]
    row = reader.get(LIST, {"q": "Improved"}).context["schools"][0]
    assert (row.latest_grade, row.latest_inspection_on) == (2, dt.date(2024, 5, 1))


def test_an_unknown_trust_uid_is_reported_on_the_form(reader):
    SchoolFactory()

    response = reader.get(LIST, {"trust": "00000"})

    assert "trust" in response.context["filterset"].form.errors


# Sorting and pagination -------------------------------------------------------


def test_sorting_by_latest_grade_puts_ungraded_schools_last(reader):
    for name, grade in [("B", 3), ("A", 1), ("C", None)]:
        school = SchoolFactory(name=name)
        if grade:
            OfstedInspectionFactory(school=school, overall_effectiveness=grade)

    assert names(reader.get(LIST, {"sort": "latest_grade"})) == ["A", "B", "C"]
    assert names(reader.get(LIST, {"sort": "-latest_grade"})) == ["B", "A", "C"]


def test_sort_headers_reverse_the_current_order_and_keep_the_filters(reader):
    SchoolFactory(name="Alpha")

    html = reader.get(LIST, {"q": "alpha", "sort": "name", "page": "1"}).content.decode()

    assert 'aria-sort="ascending"' in html
    assert 'href="?q=alpha&amp;sort=-name"' in html


def test_pagination_links_keep_the_search_and_filters(reader):
    SchoolFactory.create_batch(55, phase="Primary")

    response = reader.get(LIST, {"phase": "Primary", "sort": "urn"})

    assert len(response.context["schools"]) == 50
    html = response.content.decode()
    assert 'href="?phase=Primary&amp;sort=urn&amp;page=2"' in html
    assert 'aria-label="Pagination"' in html
    second = reader.get(LIST, {"phase": "Primary", "sort": "urn", "page": 2})
    assert len(second.context["schools"]) == 5


@pytest.mark.parametrize("count", [5, 50])
def test_the_schools_list_runs_a_bounded_number_of_queries(
    reader, count, django_assert_max_num_queries
):
    trust = TrustFactory()
    for school in SchoolFactory.create_batch(count, trust=trust):
        OfstedInspectionFactory(school=school)
        OfstedInspectionFactory(school=school, start_date=dt.date(2024, 6, 1), ungraded=True)

    with django_assert_max_num_queries(10):
        response = reader.get(LIST, {"q": "Test", "status": "open", "sort": "-latest_grade"})

    assert response.context["paginator"].count == count


@pytest.mark.parametrize("count", [5, 50])
def test_trust_region_and_la_pages_run_a_bounded_number_of_queries(
    reader, count, django_assert_max_num_queries
):
    trust = TrustFactory()
    la = LocalAuthorityFactory()
    for school in SchoolFactory.create_batch(count, trust=trust, local_authority=la):
        OfstedInspectionFactory(school=school)

    for url in (
        reverse("schools:trust-detail", args=[trust.uid]),
        reverse("schools:region-detail", args=[la.region.code]),
        reverse("schools:la-detail", args=[la.code]),
        reverse("schools:trust-list"),
        reverse("schools:region-list"),
    ):
        with django_assert_max_num_queries(10):
            assert reader.get(url).status_code == 200


# School page ------------------------------------------------------------------


@pytest.fixture
def converted_academy():
    predecessor = SchoolFactory(
        name="Old Community School", urn="111111", status=School.Status.CLOSED
    )
    trust = TrustFactory(name="Bright Futures Trust")
    school = SchoolFactory(
        name="New Academy",
        urn="222222",
        trust=trust,
        trust_joined_on=dt.date(2016, 9, 1),
        headteacher="Ms Head",
    )
    SchoolLinkFactory(urn="222222", linked_urn="111111", kind=SchoolLink.Kind.PREDECESSOR)
    SchoolLinkFactory(
        urn="222222",
        linked_urn="333333",
        linked_name="Gone Infant School",
        kind=SchoolLink.Kind.AMALGAMATED,
        link_type="Predecessor - amalgamated",
    )
    OfstedInspectionFactory(
        school=school,
        start_date=dt.date(2014, 3, 1),
        overall_effectiveness=4,
        category_of_concern=OfstedInspection.Concern.SPECIAL_MEASURES,
        urn_at_time="111111",
    )
    OfstedInspectionFactory(
        school=school,
        start_date=dt.date(2019, 3, 1),
        overall_effectiveness=2,
        quality_of_education=2,
    )
    OfstedInspectionFactory(
        school=school,
        start_date=dt.date(2025, 12, 1),
        kind=OfstedInspection.Kind.REPORT_CARD,
        overall_effectiveness=None,
        rc_achievement=OfstedInspection.ReportCardGrade.NEEDS_ATTENTION,
    )
    return school, predecessor


def test_the_school_page_shows_the_whole_history_newest_first(reader, converted_academy):
    school, _ = converted_academy

    response = reader.get(reverse("schools:school-detail", args=[school.urn]))

    history = response.context["inspections"]
    assert [row.inspection.start_date.year for row in history] == [2025, 2019, 2014]
    html = response.content.decode()
    assert "No overall grade" in html
    assert "Needs attention" in html
    assert "Special measures" in html
    assert "Quality of education" in html
    assert "Inspected as predecessor URN" in html
    assert [row.predecessor_urn for row in history] == ["", "", "111111"]


def test_the_school_page_links_predecessors_that_are_in_the_register(reader, converted_academy):
    school, predecessor = converted_academy

    html = reader.get(reverse("schools:school-detail", args=[school.urn])).content.decode()

    assert f'href="{reverse("schools:school-detail", args=[predecessor.urn])}"' in html
    assert "Gone Infant School" in html
    assert 'href="/schools/333333/"' not in html


def test_the_predecessor_shows_its_successor_from_the_other_end_of_the_link(
    reader, converted_academy
):
    school, predecessor = converted_academy

    response = reader.get(reverse("schools:school-detail", args=[predecessor.urn]))

    links = response.context["links"]
    assert [(link.kind, link.urn, link.in_register) for link in links] == [
        (SchoolLink.Kind.SUCCESSOR, school.urn, True)
    ]


def test_the_school_page_shows_the_trust_and_join_date(reader, converted_academy):
    school, _ = converted_academy

    html = reader.get(reverse("schools:school-detail", args=[school.urn])).content.decode()

    assert "Bright Futures Trust" in html
    assert "Joined 1 Sep 2016" in html
    assert "Ms Head" in html


def test_the_school_page_runs_a_bounded_number_of_queries(
    reader, converted_academy, django_assert_max_num_queries
):
    school, _ = converted_academy
    for day in range(1, 20):
        OfstedInspectionFactory(school=school, start_date=dt.date(2010, 1, day))

    # 10 for the register, 2 for the eligibility sentence; none per inspection.
    with django_assert_max_num_queries(12):
        reader.get(reverse("schools:school-detail", args=[school.urn]))


# Trusts, regions, local authorities --------------------------------------------


def test_the_trust_page_lists_member_schools_with_their_latest_judgements(reader):
    trust = TrustFactory(name="Bright Futures Trust", companies_house_number="01234567")
    member = SchoolFactory(name="Member School", trust=trust)
    OfstedInspectionFactory(school=member, overall_effectiveness=3)
    SchoolFactory(name="Not a member")

    response = reader.get(reverse("schools:trust-detail", args=[trust.uid]))

    assert names(response) == ["Member School"]
    html = response.content.decode()
    assert "01234567" in html
    assert "Requires improvement" in html


def test_the_trust_list_searches_by_name_and_uid(reader):
    TrustFactory(name="Bright Futures Trust", uid="16014")
    TrustFactory(name="Harbour Academies", uid="17000")
    url = reverse("schools:trust-list")

    def trust_names(query):
        return [t.name for t in reader.get(url, {"q": query}).context["trusts"]]

    assert trust_names("bright") == ["Bright Futures Trust"]
    assert trust_names("17000") == ["Harbour Academies"]
    assert "No trusts match your search" in reader.get(url, {"q": "zzz"}).content.decode()


def test_the_region_page_lists_its_local_authorities_and_schools(reader):
    london = RegionFactory(name="London", code="E12000007")
    camden = LocalAuthorityFactory(name="Camden", region=london)
    SchoolFactory(name="London School", local_authority=camden)
    SchoolFactory(name="Elsewhere School")

    response = reader.get(reverse("schools:region-detail", args=["E12000007"]))

    assert names(response) == ["London School"]
    assert [la.name for la in response.context["local_authorities"]] == ["Camden"]


def test_the_region_list_counts_open_schools(reader):
    london = RegionFactory(name="London", code="E12000007")
    la = LocalAuthorityFactory(region=london)
    SchoolFactory.create_batch(2, local_authority=la)
    SchoolFactory(local_authority=la, status=School.Status.CLOSED)

    regions = list(reader.get(reverse("schools:region-list")).context["regions"])

    assert [(r.name, r.local_authority_count, r.open_school_count) for r in regions] == [
        ("London", 1, 2)
    ]


def test_the_local_authority_page_lists_only_its_schools(reader):
    la = LocalAuthorityFactory(name="Camden", code="202")
    SchoolFactory(name="Camden School", local_authority=la)
    SchoolFactory(name="Elsewhere School")

    response = reader.get(reverse("schools:la-detail", args=["202"]))

    assert names(response) == ["Camden School"]
