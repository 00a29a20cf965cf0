"""A file with a fatal problem is rejected whole, with a clear message, and
nothing is written."""

import pytest

from schools.importers import formats
from schools.importers.result import ImportRejected
from schools.models import LocalAuthority, School, Trust
from tests.schools.import_helpers import BAD, ESTABLISHMENTS, GROUPS, OFSTED_B_AUGUST, run

pytestmark = pytest.mark.django_db
ESTAB = formats.ESTABLISHMENTS


def rejected(kind, path_or_bytes):
    with pytest.raises(ImportRejected) as excinfo:
        run(kind, path_or_bytes)
    assert not School.objects.exists()
    assert not LocalAuthority.objects.exists()
    assert not Trust.objects.exists()
    return excinfo.value.message


def test_empty_file():
    assert rejected(ESTAB, BAD / "empty.csv") == "The file is empty."


def test_header_without_rows():
    header = ESTABLISHMENTS.read_bytes().split(b"\r\n")[0]
    assert rejected(ESTAB, header + b"\r\n") == "The file has a header but no data rows."


def test_excel_workbook_is_not_csv():
    assert "Excel workbook, not a CSV file" in rejected(ESTAB, BAD / "workbook.xlsx")


def test_binary_file():
    assert "binary data" in rejected(ESTAB, BAD / "binary.csv")


def test_undecodable_bytes_name_the_byte():
    message = rejected(ESTAB, BAD / "undecodable.csv")
    assert "could not be read as UTF-8 or Windows-1252" in message
    assert "0x81" in message


def test_text_that_is_not_csv():
    assert "not a CSV file" in rejected(ESTAB, b"Dear colleague\nplease find attached\n")


def test_csv_with_none_of_the_expected_columns():
    message = rejected(ESTAB, b"Name,Amount\r\nWidget,3\r\n")
    assert "first line has none of the expected column names" in message


def test_missing_required_columns_are_named():
    message = rejected(ESTAB, BAD / "establishments_missing_columns.csv")
    assert 'missing required columns: "URN", "EstablishmentName".' in message


def test_wrong_file_kind_says_what_it_looks_like():
    message = rejected(ESTAB, GROUPS)
    assert "This is not a GIAS establishments (edubasealldata) file" in message
    assert "looks like a GIAS groups (allgroupsdata) file" in message


def test_ofsted_file_of_no_known_generation():
    message = rejected(formats.OFSTED, ESTABLISHMENTS)
    assert "none of the columns that mark the three header generations" in message
    assert "looks like a GIAS establishments" in message


def test_ofsted_file_given_as_groups_is_rejected_with_its_kind():
    message = rejected(formats.GROUPS, OFSTED_B_AUGUST)
    assert "It looks like an Ofsted management information" in message


def test_unknown_kind():
    assert rejected("spreadsheet", ESTABLISHMENTS) == "Choose what kind of file this is."


def test_fatal_problem_leaves_existing_register_untouched(north_west):
    run(ESTAB, ESTABLISHMENTS)
    before = list(School.objects.order_by("urn").values())

    with pytest.raises(ImportRejected):
        run(ESTAB, BAD / "establishments_missing_columns.csv")

    assert list(School.objects.order_by("urn").values()) == before
