import datetime as dt

import pytest

from schools.importers import formats
from schools.models import School, SchoolLink, Trust
from tests.schools.import_helpers import (
    ESTABLISHMENTS,
    FIXTURES,
    GROUP_LINKS,
    GROUPS,
    LINKS,
    load_register,
    run,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(north_west, london):
    return load_register()


def test_groups_import_academy_trusts_and_skip_other_groups(db):
    result = run(formats.GROUPS, GROUPS)

    assert result.generation == "download-2023"
    assert (result.rows_read, result.created, result.rows_skipped) == (5, 3, 2)
    mat = Trust.objects.get(uid="16001")
    assert (mat.kind, mat.status, mat.group_id) == (Trust.Kind.MULTI_ACADEMY, "open", "TR01001")
    assert mat.companies_house_number == "08123456"
    assert mat.opened_on == dt.date(2012, 3, 15)
    assert mat.head_of_group == "Mr Tom Reed"
    closed = Trust.objects.get(uid="16005")
    assert (closed.status, closed.closed_on) == (Trust.Status.CLOSED, dt.date(2020, 8, 31))
    assert Trust.objects.get(uid="16002").kind == Trust.Kind.SINGLE_ACADEMY
    assert not Trust.objects.filter(uid__in=["16003", "16004"]).exists()


def test_groups_reimport_is_unchanged(db):
    run(formats.GROUPS, GROUPS)

    result = run(formats.GROUPS, GROUPS)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_extract_service_group_names_are_recognised(db):
    run(formats.GROUPS, GROUPS)

    result = run(formats.GROUPS, FIXTURES / "allgroupsdata_extract_service.csv")

    assert result.generation == "extract-service"
    assert (result.created, result.rows_rejected) == (1, 0)
    # "8123456" lost its leading zero in a re-save: it still matches the published number.
    assert Trust.objects.get(uid="16001").companies_house_number == "08123456"
    assert Trust.objects.get(uid="16006").street == "9 Quay Road"


def test_group_links_with_sixteen_field_rows_set_trust_membership(register):
    School.objects.update(trust=None)

    result = run(formats.GROUP_LINKS, GROUP_LINKS)

    assert result.generation == "download-2017"
    assert result.rows_rejected == 0
    assert result.rows_skipped == 1  # the sponsor link
    assert result.updated == 2
    academy = School.objects.get(urn="140003")
    assert (academy.trust.uid, academy.trust_joined_on) == ("16001", dt.date(2023, 9, 1))
    again = run(formats.GROUP_LINKS, GROUP_LINKS)
    assert (again.updated, again.unchanged) == (0, 2)


def test_group_links_prefer_the_open_trust(register):
    result = run(formats.GROUP_LINKS, FIXTURES / "grouplinks_extract_service.csv")

    assert result.generation == "extract-service"
    school = School.objects.get(urn="140004")
    assert (school.trust.uid, school.trust_joined_on) == ("16002", dt.date(2020, 9, 1))
    assert result.notes == [
        "1 row was an older or closed trust link of a school that has a newer one; "
        "the newest open link was used."
    ]


def test_group_link_to_unknown_school_is_rejected(db):
    run(formats.GROUPS, GROUPS)

    result = run(formats.GROUP_LINKS, GROUP_LINKS)

    assert result.rows_rejected == 2
    assert {p.column for p in result.problems} == {"URN"}
    assert "import the establishments file first" in result.problems[0].problem


def test_links_record_predecessors_and_successors(db):
    result = run(formats.LINKS, LINKS)

    assert (result.rows_read, result.created, result.rows_rejected) == (4, 4, 0)
    predecessor = SchoolLink.objects.get(urn="140003", linked_urn="100002")
    assert predecessor.kind == SchoolLink.Kind.PREDECESSOR
    assert predecessor.established_on == dt.date(2023, 9, 1)
    assert SchoolLink.objects.get(urn="100002").kind == SchoolLink.Kind.SUCCESSOR
    amalgamated = SchoolLink.objects.get(urn="100005")
    assert (amalgamated.kind, amalgamated.link_type) == (
        SchoolLink.Kind.AMALGAMATED,
        "Predecessor - amalgamated",
    )
    assert SchoolLink.objects.get(linked_urn="401006").established_on is None
    again = run(formats.LINKS, LINKS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_establishments_then_links_give_each_school_its_predecessor(register):
    run(formats.LINKS, LINKS)

    academy = School.objects.get(urn="140003")
    urns = SchoolLink.objects.filter(urn=academy.urn, kind=SchoolLink.Kind.PREDECESSOR).values_list(
        "linked_urn", flat=True
    )
    assert School.objects.get(urn__in=urns).name == "Ashford Oak High School"


def test_establishments_fixture_is_untouched_by_group_imports(register):
    assert run(formats.ESTABLISHMENTS, ESTABLISHMENTS).unchanged == 6
