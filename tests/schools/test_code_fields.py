"""Codes (URN, LAESTAB, status) compare byte by byte. On PostgreSQL their columns
take the "C" collation, so the establishments import's index work uses memcmp()
rather than strcoll() (bench/import_gias.py); other databases compare bytes
already and get no collation clause."""

from unittest import mock

import pytest
from django.db import connection

from schools.fields import CodeField
from schools.models import School
from tests.schools.factories import SchoolFactory

CODES = ("urn", "laestab", "status")


@pytest.mark.parametrize(("vendor", "collation"), [("postgresql", "C"), ("sqlite", None)])
def test_code_field_asks_only_postgresql_for_the_c_collation(vendor, collation):
    with mock.patch.object(connection, "vendor", vendor):
        assert CodeField(max_length=6).db_parameters(connection)["collation"] == collation


def test_an_explicit_collation_wins():
    with mock.patch.object(connection, "vendor", "postgresql"):
        field = CodeField(max_length=6, db_collation="und-x-icu")
        assert field.db_parameters(connection)["collation"] == "und-x-icu"


@pytest.mark.django_db
def test_school_codes_are_byte_compared_columns_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("column collations are a PostgreSQL matter")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, collation_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = ANY(%s)",
            [School._meta.db_table, list(CODES)],
        )
        assert dict(cursor.fetchall()) == dict.fromkeys(CODES, "C")
    # The name keeps the database's collation: people read it in sorted lists.
    assert School._meta.get_field("name").db_parameters(connection)["collation"] is None


@pytest.mark.django_db
def test_codes_still_match_text_of_the_default_collation():
    """A join of a code with a text column of the default collation compares
    under "C", without a collation conflict."""
    school = SchoolFactory(urn="123456", laestab="8812001")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.urn FROM {School._meta.db_table} s "
            "JOIN (SELECT CAST(%s AS text) AS urn, CAST(%s AS text) AS laestab) AS f "
            "ON f.urn = s.urn AND f.laestab = s.laestab",
            ["123456", "8812001"],
        )
        assert cursor.fetchall() == [(school.urn,)]
    assert School.objects.filter(urn__startswith="1234").get() == school
