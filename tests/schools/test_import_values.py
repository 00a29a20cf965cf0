"""Every kind of value a published file holds, through the establishments import,
field by field against the one definition of each rule (schools/importers/values.py).

There is one import path (every row is checked in Python, on every database), so
what is compared is the register after the import with what values.py says of
each raw value: the value stored, or the row rejected with values.py's message.
It runs on SQLite and on PostgreSQL, whose writes differ (bulk_create; COPY and
INSERT ... ON CONFLICT)."""

import csv
import io

import pytest

from schools.importers import formats
from schools.importers.csvout import format_rows
from schools.importers.values import (
    MISSING,
    ValueProblem,
    described,
    number_code,
    parse_date,
    parse_int,
    parse_percentage,
    text,
)
from schools.models import School
from tests.schools.import_helpers import ESTABLISHMENTS, GROUPS, run

pytestmark = pytest.mark.django_db

MISSING_MARKERS = ["", "NULL", "null", "Null", "nULL", "  NULL  ", "\tnull\t", " "]
WHITESPACE_AND_NON_ASCII = [
    "  Padded  ",
    "\tTabbed\t",
    "\u00a0No-break spaces\u00a0",
    "Brontë Green",
    "Ælfric’s Way",
    "Llan\u0301",
    "\u017fhort",
]
DATES = [
    "01-09-1999",
    "1-9-1999",
    "01/09/1999",
    "1/9/1999",
    "01-09/1999",
    "1999-09-01",
    " 01-09-1999 ",
    "29-02-2024",
    "29-02-2023",
    "31-04-2020",
    "00-01-2020",
    "01-13-2020",
    "01-01-0000",
    "1999-9-1",
    "01.09.1999",
    "\uff10\uff11-09-1999",
    "not a date",
]
NUMBERS = [
    "389",
    " 389 ",
    "389.0",
    "+389",
    "0",
    "-1",
    "2000000",
    "2000001",
    "3.5",
    "1e3",
    "1_000",
    "NaN",
    "Infinity",
    "\uff11\uff12",
    "\u00b2",
    "12 pupils",
]
PERCENTAGES = [
    "23.4",
    "23.4%",
    "23.455",
    ".5",
    "100",
    "100.01",
    "-0.5",
    "NaN",
    "\uff11\uff12",
    "abc",
]
AGES = ["5", " 11 ", "11.0", "99", "100", "-1", "\uff15"]
TRUSTS = ["016002", "16002", " 16002 ", "99999", "abc", "\u00b9"]
DESCRIBED = [
    "Not applicable",
    "NOT APPLICABLE",
    "does not apply",
    "n/a",
    "None",
    "Unknown",
    "Not recorded",
    "Church of England",
]
NAMES = ["", "x" * 255, "x" * 256, "  Brontë Road  "]

# column -> (School attname, the values.py rule); integers keep parse_int's bounds.
RULES = {
    "Town": ("town", text),
    "Street": ("street", text),
    "EstablishmentName": ("name", text),
    "County (name)": ("county", described),
    "Diocese (name)": ("diocese", described),
    "OpenDate": ("opened_on", parse_date),
    "CloseDate": ("closed_on", parse_date),
    "NumberOfPupils": ("number_of_pupils", parse_int),
    "StatutoryHighAge": ("statutory_high_age", lambda v: parse_int(v, highest=99)),
    "PercentageFSM": ("percentage_fsm", parse_percentage),
    "HeadFirstName": ("headteacher", None),
    "Trusts (code)": ("trust", None),
}
CASES = [
    *((column, v) for column in RULES for v in MISSING_MARKERS if column != "EstablishmentName"),
    *(("Town", v) for v in WHITESPACE_AND_NON_ASCII),
    *(("Street", v) for v in WHITESPACE_AND_NON_ASCII),
    *(("HeadFirstName", v) for v in WHITESPACE_AND_NON_ASCII),
    *(("OpenDate", v) for v in DATES),
    *(("CloseDate", v) for v in DATES[:4]),
    *(("NumberOfPupils", v) for v in NUMBERS),
    *(("PercentageFSM", v) for v in PERCENTAGES),
    *(("StatutoryHighAge", v) for v in AGES),
    *(("Trusts (code)", v) for v in TRUSTS),
    *(("County (name)", v) for v in DESCRIBED),
    *(("Diocese (name)", v) for v in DESCRIBED),
    *(("EstablishmentName", v) for v in NAMES),
]
KNOWN_TRUST = "16002"  # in allgroupsdata.csv; every other row names it


def template() -> tuple[list[str], dict[str, str]]:
    header, first, *_rest = csv.reader(
        io.StringIO(ESTABLISHMENTS.read_bytes().decode("cp1252"), newline="")
    )
    return header, dict(zip(header, first, strict=True))


def case_file() -> tuple[bytes, list[dict[str, str]]]:
    header, first = template()
    rows = []
    for number, (column, value) in enumerate(CASES):
        row = {**first, "URN": str(300000 + number), "Trusts (code)": KNOWN_TRUST}
        row[column] = value
        rows.append(row)
    body = format_rows(header, ([row[c] for c in header] for row in rows))
    return body.encode("utf-8"), rows


def expected(column: str, row: dict[str, str]):
    """(stored value, None) or (None, the problem values.py reports)."""
    attname, rule = RULES[column]
    raw = row[column]
    if column == "HeadFirstName":
        from schools.importers.values import person_name

        parts = (row["HeadTitle (name)"], raw, row["HeadLastName"])
        return person_name(*parts), None
    if column == "Trusts (code)":
        return number_code(raw), None
    try:
        value = rule(raw)
    except ValueProblem as exc:
        return None, str(exc)
    if column == "EstablishmentName" and value == "":
        return None, "The establishment name is missing."
    max_length = School._meta.get_field(attname).max_length
    if max_length and len(value) > max_length:
        return None, f"Longer than {max_length} characters."
    return value, None


@pytest.fixture
def imported(north_west):
    run(formats.GROUPS, GROUPS)
    data, rows = case_file()
    result = run(formats.ESTABLISHMENTS, data)
    return result, rows


def test_every_value_kind_is_stored_or_refused_as_values_py_says(imported):
    result, rows = imported
    schools = {s.urn: s for s in School.objects.select_related("trust")}
    problems = {(p.row, p.column): p for p in result.problems}
    mismatches = []
    for number, ((column, raw), row) in enumerate(zip(CASES, rows, strict=True)):
        value, problem = expected(column, row)
        school = schools.get(row["URN"])
        if problem is not None:
            found = problems.get((number + 2, column))
            if school is not None or found is None or found.problem != problem:
                mismatches.append((column, raw, "rejected", problem, found, school))
            continue
        if school is None:
            mismatches.append((column, raw, "stored", value, problems.get((number + 2, column))))
            continue
        attname = RULES[column][0]
        if column == "Trusts (code)":
            stored = school.trust.uid if school.trust else ""
            value = value if value == KNOWN_TRUST else ""
        else:
            stored = getattr(school, attname)
        if stored != value:
            mismatches.append((column, raw, "stored", value, stored))
    assert mismatches == []
    assert result.rows_read == len(CASES)


def test_a_town_of_null_is_blank_whether_or_not_the_trust_is_known(imported):
    """The clean and careful paths used to disagree: "null" was kept for a row
    whose trust was known and blank for a row whose trust was not."""
    _result, rows = imported
    urns = {
        (row["Town"], row["Trusts (code)"]): row["URN"] for row in rows if row["Town"] == "null"
    }

    assert School.objects.get(urn=urns[("null", KNOWN_TRUST)]).town == ""
    unknown = next(row["URN"] for row in rows if row["Trusts (code)"] == "99999")
    assert School.objects.get(urn=unknown).trust is None


def test_an_unknown_trust_and_a_null_town_together_still_give_a_blank_town(north_west):
    run(formats.GROUPS, GROUPS)
    header, first = template()
    row = {**first, "URN": "399999", "Town": "null", "Trusts (code)": "99999"}
    result = run(formats.ESTABLISHMENTS, format_rows(header, [[row[c] for c in header]]).encode())

    school = School.objects.get(urn="399999")
    assert (school.town, school.trust) == ("", None)
    assert result.problems[0].problem.startswith("Trust not in the register")


@pytest.mark.parametrize("marker", ["", "NULL", "null", "Null", "nuLL"])
def test_null_in_any_letter_case_is_missing(marker):
    assert marker in MISSING
    assert text(f" {marker} ") == ""
    assert parse_date(marker) is None
    assert parse_int(marker) is None


@pytest.mark.parametrize("value", ["\uff11\uff12", "\u00b2", "1_000", "\u0661"])
def test_numbers_are_ascii_digits_only(value):
    with pytest.raises(ValueProblem):
        parse_int(value)
    assert number_code(value) == value.strip()
