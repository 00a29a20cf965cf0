import datetime as dt
from decimal import Decimal

import pytest

from schools.importers import formats
from schools.models import LocalAuthority, School
from tests.schools.import_helpers import BAD, ESTABLISHMENTS, FIXTURES, load_register, run

pytestmark = pytest.mark.django_db

ESTAB = formats.ESTABLISHMENTS


@pytest.fixture
def regions(north_west, london):
    return north_west, london


def test_current_layout_creates_schools_and_reports_the_generation(regions):
    result = load_register()

    assert result.generation == "gias-2025"
    assert "current layout" in result.generation_label
    assert result.encoding == "Windows-1252"
    assert (result.rows_read, result.created, result.updated, result.unchanged) == (7, 6, 0, 0)
    assert result.rows_skipped == 1  # the Welsh establishment
    assert not School.objects.filter(urn="401006").exists()
    school = School.objects.get(urn="100001")
    assert school.name == "Brontë Road Primary School"
    assert school.headteacher == "Mrs Ann O’Hara"
    assert school.laestab == "8812001"
    assert school.opened_on == dt.date(1974, 9, 1)
    assert school.percentage_fsm == Decimal("23.40")
    assert school.region.name == "North West"
    assert school.religious_character == "Church of England"


def test_statuses_trusts_and_leading_zeros(regions):
    load_register()

    assert School.objects.get(urn="100005").status == School.Status.OPEN_PROPOSED_TO_CLOSE
    assert School.objects.get(urn="150007").status == School.Status.PROPOSED_TO_OPEN
    closed = School.objects.get(urn="100002")
    assert (closed.status, closed.closed_on) == (School.Status.CLOSED, dt.date(2023, 8, 31))
    assert closed.close_reason == "Academy Converter"
    academy = School.objects.get(urn="140004")
    assert academy.laestab == "2020042"
    assert academy.trust.uid == "16002"
    assert academy.region.name == "London"


def test_missing_local_authority_is_added_with_its_region(regions):
    result = load_register()

    la = LocalAuthority.objects.get(code="935")
    assert (la.name, la.region.name) == ("Northfen", "East of England")
    assert any("935 Northfen" in note for note in result.notes)


def test_reimporting_the_same_file_changes_nothing(regions):
    load_register()
    before = list(School.objects.order_by("urn").values())

    result = run(ESTAB, ESTABLISHMENTS)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert not result.changed
    assert list(School.objects.order_by("urn").values()) == before


def test_changed_row_is_reported_as_updated(regions):
    load_register()
    School.objects.filter(urn="100001").update(name="Old name", number_of_pupils=1)

    result = run(ESTAB, ESTABLISHMENTS)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 5)
    assert School.objects.get(urn="100001").name == "Brontë Road Primary School"


def test_older_layout_resaved_as_utf8_with_stripped_zeros_matches_the_same_schools(regions):
    load_register()

    result = run(ESTAB, FIXTURES / "gias_establishments_2021_resaved_utf8.csv")

    assert result.generation == "gias-2020"
    assert result.encoding == "UTF-8 with BOM"
    assert result.rows_rejected == 0
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_edubase_2015_layout_is_recognised_and_leaves_absent_columns_alone(regions):
    load_register()
    pupils = School.objects.get(urn="100001").number_of_pupils

    result = run(ESTAB, FIXTURES / "edubase_establishments_2015.csv")

    assert result.generation == "edubase-2015"
    assert result.rows_rejected == 0
    school = School.objects.get(urn="100001")
    assert school.name == "Bronte Road Primary School"
    assert school.headteacher == "Mr Sam Oldfield"
    assert school.number_of_pupils == pupils  # not in the 2015 layout: left as it was


def test_trust_not_yet_in_the_register_is_a_warning_not_a_rejection(regions):
    result = run(ESTAB, ESTABLISHMENTS)

    assert result.rows_rejected == 0
    assert School.objects.get(urn="140003").trust is None
    warnings = [p for p in result.problems if not p.rejected]
    assert {p.value for p in warnings} == {"16001", "16002"}


def test_bad_rows_are_rejected_one_by_one_and_reported(regions):
    result = run(ESTAB, BAD / "establishments_bad_rows.csv")

    assert result.rows_read == 8
    assert result.created == 1
    assert result.rows_rejected == 7
    problems = {(p.row, p.column): p.problem for p in result.problems if p.rejected}
    assert problems[(3, "URN")] == "A URN is 6 digits."
    assert "Unknown local authority code" in problems[(4, "LA (code)")]
    assert problems[(5, "LA (code)")] == "The LA code is missing."
    assert problems[(6, "OpenDate")] == "Not a real date (no such day)."
    assert "Duplicate URN: already on row 2" in problems[(7, "URN")]
    assert "137 fields but the header has 135 columns" in problems[(8, "")]
    assert "above the highest" in problems[(9, "StatutoryLowAge")]
    assert list(School.objects.values_list("name", flat=True)) == ["Good Row School"]
    report = result.error_report_csv().decode("utf-8-sig").splitlines()
    assert report[0] == "row,column,value,problem,outcome"
    assert report[1].startswith("3,URN,10001X,A URN is 6 digits.")


def test_a_ten_megabyte_field_rejects_only_its_row(regions, tmp_path):
    data = ESTABLISHMENTS.read_bytes()
    header, first, *rest = data.split(b"\r\n")
    huge = first.replace(b'"1 Mill Lane', b'"' + b"x" * 10_000_000, 1)
    path = tmp_path / "huge.csv"
    path.write_bytes(b"\r\n".join([header, huge, *rest]))

    result = run(ESTAB, path)

    assert result.rows_rejected == 1
    problem = result.problems[0]
    assert (problem.row, problem.column) == (2, "Street")
    assert "10,000,0" in problem.problem
    assert len(problem.value) < 300
    assert result.created == 5


def test_postgresql_bulk_load_rebuilds_every_index_it_drops(regions, monkeypatch):
    from django.db import connection

    from schools.importers import db
    from schools.selectors import estimated_row_count

    if connection.vendor != "postgresql":
        pytest.skip("the drop-and-rebuild bulk path is PostgreSQL only")
    monkeypatch.setattr(db, "BULK_LOAD_ROWS", 1)

    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'schools_school' ORDER BY 1"
            )
            return cursor.fetchall()

    before = indexes()
    result = load_register()

    assert result.created == 6
    assert indexes() == before
    # ...and leaves the table analysed (reltuples stays unset until ANALYZE).
    assert estimated_row_count(School) == 6
    assert School.objects.filter(name__icontains="bronte").count() == 0
    assert School.objects.filter(name__icontains="brontë").count() == 1


def _with_grid_references(tmp_path, references):
    """The fixture file with Easting/Northing set on its first rows (same encoding)."""
    import csv
    import io

    text = ESTABLISHMENTS.read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text)))
    east, north = rows[0].index("Easting"), rows[0].index("Northing")
    for row, (easting, northing) in zip(rows[1:], references, strict=False):
        row[east], row[north] = easting, northing
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "with_grid.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path, [row[0] for row in rows[1:]]


def test_easting_and_northing_are_stored_and_a_bad_one_only_blanks_the_location(regions, tmp_path):
    path, urns = _with_grid_references(
        tmp_path, [("383500", "398200"), ("not known", "398300"), ("", "")]
    )

    result = run(ESTAB, path)

    first, second, third = (School.objects.get(urn=urn) for urn in urns[:3])
    assert (first.easting, first.northing) == (383500, 398200)
    assert (second.easting, second.northing) == (None, 398300)
    assert (third.easting, third.northing) == (None, None)
    assert result.rows_rejected == 0
    [warning] = [w for w in result.problems if w.column == "Easting"]
    assert warning.value == "not known" and "location is left blank" in warning.problem
