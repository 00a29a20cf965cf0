"""The exporter writes the register in the published formats; importing what it
wrote changes nothing."""

import pytest

from schools import published_headers
from schools.exporters import export_register
from schools.importers import formats
from schools.models import OfstedInspection, School, SchoolLink, Trust
from tests.schools.import_helpers import (
    GROUP_LINKS,
    LINKS,
    OFSTED_B_AUGUST,
    OFSTED_B_SEPTEMBER,
    load_register,
    run,
)

pytestmark = pytest.mark.django_db

COLUMNS = published_headers.GIAS_ESTABLISHMENT_COLUMNS


@pytest.fixture
def exported(north_west, london, tmp_path):
    load_register()
    run(formats.GROUP_LINKS, GROUP_LINKS)
    run(formats.LINKS, LINKS)
    run(formats.OFSTED, OFSTED_B_AUGUST)
    run(formats.OFSTED, OFSTED_B_SEPTEMBER)
    return {path.name.split("2")[0].split(".")[0]: path for path in export_register(tmp_path)}


def test_files_have_the_published_names_headers_and_bytes(exported):
    assert set(exported) == {
        "edubasealldata",
        "allgroupsdata",
        "grouplinks_edubaseallacademiesandfree",
        "links_edubasealldata",
        "Management_information_state_funded_schools_latest_inspections_",
    }
    data = exported["edubasealldata"].read_bytes()
    assert b"Bront\xeb Road Primary School" in data  # Windows-1252
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert not data.endswith(b"\r\n")
    header = data.split(b"\r\n")[0].decode("cp1252")
    assert header == ",".join(f'"{c}"' for c in published_headers.GIAS_ESTABLISHMENT_COLUMNS)
    assert b'\r\n100001,"881",' in data  # integers bare, codes quoted with their zeros
    links = exported["grouplinks_edubaseallacademiesandfree"].read_bytes().split(b"\r\n")
    assert links[0].count(b",") == 16 and links[1].count(b",") == 15  # 16 fields, 17 columns


@pytest.mark.parametrize(
    ("name", "kind", "label"),
    [
        ("edubasealldata", formats.ESTABLISHMENTS, "gias-2025"),
        ("allgroupsdata", formats.GROUPS, "download-2023"),
        ("grouplinks_edubaseallacademiesandfree", formats.GROUP_LINKS, "download-2017"),
        ("links_edubasealldata", formats.LINKS, "links"),
        ("Management_information_state_funded_schools_latest_inspections_", formats.OFSTED, "B"),
    ],
)
def test_reimporting_an_exported_file_changes_nothing(exported, name, kind, label):
    before = [
        list(model.objects.order_by("pk").values())
        for model in (School, Trust, SchoolLink, OfstedInspection)
    ]

    result = run(kind, exported[name])

    assert result.generation == label
    assert result.rows_rejected == 0, result.problems
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged > 0
    after = [
        list(model.objects.order_by("pk").values())
        for model in (School, Trust, SchoolLink, OfstedInspection)
    ]
    assert after == before


def test_the_establishments_file_carries_easting_and_northing(north_west):
    from schools.exporters import establishment_row
    from tests.schools.factories import SchoolFactory

    school = SchoolFactory(easting=383456, northing=398012)
    row = dict(zip(COLUMNS, establishment_row(school), strict=True))
    assert (row["Easting"], row["Northing"]) == (383456, 398012)
    unplaced = dict(
        zip(
            published_headers.GIAS_ESTABLISHMENT_COLUMNS,
            establishment_row(SchoolFactory()),
            strict=True,
        )
    )
    assert unplaced["Easting"] in ("", None)
