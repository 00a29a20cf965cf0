"""On PostgreSQL the establishments file is read by the server (schools/importers/
staged.py). Whatever the file holds, the outcome must be the one the row-by-row
importer gives: the same counts, the same problems in the same order, the same
register afterwards."""

import csv
import io
import threading
import time
from contextlib import ExitStack
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction

from schools.importers import db, formats, staged
from schools.importers.csvout import format_rows
from schools.models import LocalAuthority, Region, School
from tests.schools.factories import SchoolFactory
from tests.schools.import_helpers import (
    BAD,
    ESTABLISHMENTS,
    FIXTURES,
    GROUPS,
    run,
)

pytestmark = pytest.mark.django_db
ESTAB = formats.ESTABLISHMENTS


@pytest.fixture(autouse=True)
def _postgresql_only(north_west, london):
    if connection.vendor != "postgresql":
        pytest.skip("the staged path is PostgreSQL only")
    run(formats.GROUPS, GROUPS)
    LocalAuthority.objects.create(code="881", name="Eastmoor", region=north_west)


@pytest.fixture(params=[True, False], ids=["regions missing", "every region present"])
def regions_missing(request) -> bool:
    """With regions missing (only North West and London exist) the file adds the
    ones its new LAs need and the write finds them by name; with every region
    present it takes the ids the conversion found."""
    if not request.param:
        for code, _letter, name in formats.REGIONS:
            Region.objects.get_or_create(name=name, defaults={"code": code})
    return request.param


@pytest.fixture(params=[1, 3], ids=["one part", "three parts"])
def parts(request, settings, monkeypatch) -> int:
    """Read small files in this many parts (inside the test's transaction the
    parts are read one after another, in this session)."""
    settings.IMPORT_DATABASE_SESSIONS = request.param
    monkeypatch.setattr(staged, "PART_MIN_BYTES", 0)
    return request.param


def template() -> tuple[list[str], list[str]]:
    text = ESTABLISHMENTS.read_bytes().decode("cp1252")
    header, first, *_rest = csv.reader(io.StringIO(text, newline=""))
    return header, first


def tricky_file() -> bytes:
    header, first = template()
    at = {name: index for index, name in enumerate(header)}

    def row(**changes):
        values = list(first)
        for name, value in changes.items():
            values[at[name]] = value
        return values

    def r(urn, **changes):
        return row(URN=urn, **changes)

    rows = [
        r("200001"),
        r(" 200002 ", EstablishmentName="  Padded Name  ", Town="\tTabbed\t"),
        r("200003", Town="null"),
        r("200004", Town="NULL", Street="NULL", Postcode=""),
        r("200005", OpenDate="01/09/1999"),
        r("200006", OpenDate="01-09/1999"),
        r("200007", OpenDate="29-02-2023"),
        r("200008", OpenDate="29-02-2024"),
        r("200009", OpenDate="1999-09-01"),
        r("200010", OpenDate="31-04-2020"),
        r("200011", OpenDate="00-01-2020"),
        r("200012", OpenDate="01-01-0000"),
        r("200013", StatutoryLowAge="5.0"),
        r("200014", StatutoryLowAge="+5"),
        r("200015", StatutoryHighAge="100"),
        r("200016", StatutoryLowAge="12", StatutoryHighAge="11"),
        r("200017", NumberOfPupils="2000001"),
        r("200018", NumberOfPupils=""),
        r("200019", PercentageFSM="23.455"),
        r("200020", PercentageFSM="23.4%"),
        r("200021", PercentageFSM="101"),
        r("200022", PercentageFSM="NaN"),
        r("200023", PercentageFSM=".5"),
        r("200024", **{"LA (code)": "abc"}),
        r("200025", **{"LA (code)": ""}),
        r("200026", **{"LA (code)": "0881"}),
        r("200027", **{"LA (code)": "936", "LA (name)": ""}),
        r("200028", **{"LA (code)": "936", "LA (name)": "Fenmoor", "GOR (name)": "South West"}),
        r("200029", **{"LA (code)": "936", "LA (name)": "", "GOR (name)": ""}),
        r("200030", **{"GOR (name)": "Narnia"}),
        r("200031", **{"GOR (name)": "Yorkshire and the Humber"}),
        r("200032", **{"GOR (name)": "Wales (pseudo)"}),
        r("20003X", **{"GOR (name)": "Wales (pseudo)"}),
        r("200033", OpenDate="31-02-2020"),
        r("200033"),
        r("200033", EstablishmentName="Third of its URN"),
        r("200034"),
        r(" 200034"),
        r("200035", **{"EstablishmentStatus (name)": "OPEN"}),
        r("200036", **{"EstablishmentStatus (name)": "Shut"}),
        r("200037", **{"TypeOfEstablishment (code)": "0028"}),
        r("200038", **{"TypeOfEstablishment (code)": "abc"}),
        r("200039", **{"Trusts (code)": "016002"}),
        r("200040", **{"Trusts (code)": "99999"}),
        r("200041", **{"Trusts (code)": "NULL"}),
        r("200042", EstablishmentName="x" * 256),
        r("200043", EstablishmentName=""),
        r("200044", **{"Diocese (name)": "NOT APPLICABLE", "County (name)": "does not apply"}),
        r("200045", **{"HeadTitle (name)": "Not applicable", "HeadFirstName": "null"}),
        r("200046", EstablishmentNumber="12345"),
        r("200047", EstablishmentNumber="42"),
        r("200048", Street="Line one\r\nLine two"),
        r("200049", Locality="y" * 10_001),
        r("200050", **{"LA (code)": "2", "LA (name)": "Twoshire", "GOR (name)": "London"}),
        r("200051", **{"LA (code)": "937", "LA (name)": "Eastfen", "GOR (name)": "narnia"}),
        r("200053", **{"LA (code)": "936", "LA (name)": "Fenmoor", "GOR (name)": "London"}),
        r("2000521"),
        r(""),
    ]
    return format_rows(header, rows).encode("cp1252")


def snapshot(result) -> dict:
    schools = list(
        School.objects.order_by("urn").values(
            *(f.attname for f in School._meta.concrete_fields if f.attname not in ("id",)),
            "region__name",
            "local_authority__code",
            "trust__uid",
        )
    )
    for school in schools:
        school.pop("region_id")
        school.pop("local_authority_id")
        school.pop("trust_id")
    return {
        "counts": (
            result.rows_read,
            result.created,
            result.updated,
            result.unchanged,
            result.rows_rejected,
            result.rows_skipped,
        ),
        "notes": result.notes,
        "problems": result.problems,
        "schools": schools,
        "las": sorted(LocalAuthority.objects.values_list("code", "name", "region__name")),
        "regions": sorted(Region.objects.values_list("code", "name")),
    }


def outcomes(path_or_bytes, *, on_server: bool) -> tuple[list[dict], bool]:
    """Import twice (the second time changes nothing), roll back; and whether the
    server read the file."""
    taken = []
    original = staged.StagedLoad.write

    def spy(self, records):
        taken.append(True)
        return original(self, records)

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(staged.StagedLoad, "write", spy))
        if not on_server:
            stack.enter_context(mock.patch.object(staged, "applicable", lambda table: False))
        sid = transaction.savepoint()
        first = snapshot(run(ESTAB, path_or_bytes))
        second = snapshot(run(ESTAB, path_or_bytes))
        transaction.savepoint_rollback(sid)
    return [first, second], bool(taken)


@pytest.mark.parametrize(
    "source",
    [
        ESTABLISHMENTS,
        FIXTURES / "gias_establishments_2021_resaved_utf8.csv",
        FIXTURES / "edubase_establishments_2015.csv",
        "tricky",
    ],
)
def test_server_read_import_matches_the_row_by_row_import(source, parts, regions_missing):
    data = tricky_file() if source == "tricky" else source

    on_server, taken = outcomes(data, on_server=True)
    in_python, _ = outcomes(data, on_server=False)

    assert taken
    for server, python in zip(on_server, in_python, strict=True):
        assert server["counts"] == python["counts"]
        assert server["problems"] == python["problems"]
        assert server["notes"] == python["notes"]
        assert server["schools"] == python["schools"]
        assert server["las"] == python["las"]
        assert server["regions"] == python["regions"]


def test_tricky_file_exercises_rejections_skips_and_additions(regions_missing):
    (first, second), _taken = outcomes(tricky_file(), on_server=True)

    read, created, updated, unchanged, rejected, skipped = first["counts"]
    assert (read, created, updated, unchanged, rejected, skipped) == (58, 33, 0, 0, 23, 2)
    # Again: all unchanged, and the row naming LA 936 before the row that added it
    # now finds it in the register.
    assert second["counts"][1:5] == (1, 0, created, rejected - 1)
    assert ("936", "Fenmoor", "South West") in first["las"]
    assert "1 school names a trust that is not in the register." in first["notes"]
    regions = {school["urn"]: school["region__name"] for school in first["schools"]}
    # A later row in the LA the file added keeps the region it names.
    assert (regions["200028"], regions["200053"]) == ("South West", "London")
    # A school in a known LA naming a region the register lacks takes its LA's
    # region; the region is not added.
    assert regions["200031"] == ("North West" if regions_missing else "Yorkshire and the Humber")
    assert any(name == "Yorkshire and the Humber" for _c, name in first["regions"]) is not (
        regions_missing
    )


def test_words_with_letters_beyond_ascii_are_compared_as_python_compares_them():
    """Python casefolds a value before comparing it with "not applicable" or a
    status; PostgreSQL's lower() under a language collation maps "İ" to "i", which
    casefold() does not, so the SQL compares ASCII letters only."""
    header, first = template()
    at = {name: index for index, name in enumerate(header)}
    rows = []
    for urn, changes in (
        ("300001", {"Diocese (name)": "NOT APPLİCABLE", "County (name)": "Straße"}),
        ("300002", {"HeadTitle (name)": "UNKNOWN", "HeadLastName": "Öztürk"}),
        ("300003", {"EstablishmentStatus (name)": "OPEN", "PhaseOfEducation (name)": "NONE"}),
        ("300004", {"EstablishmentStatus (name)": "ÖPEN"}),
        ("300005", {"GOR (name)": "LONDON", "Town": "İstanbul"}),
    ):
        row = list(first)
        row[at["URN"]] = urn
        for name, value in changes.items():
            row[at[name]] = value
        rows.append(row)
    data = format_rows(header, rows).encode("utf-8")

    on_server, taken = outcomes(data, on_server=True)
    in_python, _ = outcomes(data, on_server=False)

    assert taken
    assert on_server == in_python
    diocese = {s["urn"]: s["diocese"] for s in on_server[0]["schools"]}
    assert diocese["300001"] == "NOT APPLİCABLE"


def test_a_file_the_server_cannot_read_as_python_does_is_read_by_python(parts):
    header, first = template()
    short = format_rows(header, [first, first[:100]]).encode("cp1252")

    for data in (short, (BAD / "establishments_bad_rows.csv").read_bytes()):
        on_server, taken = outcomes(data, on_server=True)
        in_python, _ = outcomes(data, on_server=False)

        assert not taken
        assert on_server == in_python


def test_staging_tables_left_by_a_dead_import_are_dropped_by_the_next():
    now = int(time.time())
    dead = f"gias_stage_{now - 2 * staged.ABANDONED_AFTER}_dead_0"
    busy = f"gias_conv_{now}_busy"
    with connection.cursor() as cursor:
        for name in (dead, busy):
            cursor.execute(f'CREATE UNLOGGED TABLE "{name}" (c0 text)')

    staged.drop_abandoned_tables()

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname IN (%s, %s)", [dead, busy])
        assert [name for (name,) in cursor.fetchall()] == [busy]


@pytest.mark.parametrize("bulk", [False, True], ids=["small load", "bulk load"])
def test_a_school_added_between_the_check_and_the_write_is_merged_not_a_failure(bulk, monkeypatch):
    """A bulk load also drops the URN's unique index for its INSERT: adding it back
    finds the duplicate, and the merge writes the rows instead."""
    if bulk:
        monkeypatch.setattr(db, "BULK_LOAD_ROWS", 1)
    header, first = template()
    urn = first[header.index("URN")]
    original = staged.StagedLoad.write
    checked = []

    def someone_adds_it_first(self, records):
        checked.append(self.new_clean == self.clean)  # the check saw only new schools
        SchoolFactory(urn=urn, name="Added meanwhile", local_authority__code="999")
        return original(self, records)

    with mock.patch.object(staged.StagedLoad, "write", someone_adds_it_first):
        result = run(ESTAB, ESTABLISHMENTS)

    assert checked == [True]
    assert (result.created, result.updated, result.rows_rejected) == (5, 1, 0)
    assert School.objects.get(urn=urn).name == first[header.index("EstablishmentName")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'school_urn_unique'")
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize("bulk", [False, True], ids=["small load", "bulk load"])
def test_a_first_load_keeps_urns_unique(bulk, monkeypatch):
    if bulk:
        monkeypatch.setattr(db, "BULK_LOAD_ROWS", 1)
    dropped = []
    original = db.without_unique_key

    def spy(cursor, table, column):
        dropped.append(column)
        return original(cursor, table, column)

    with mock.patch.object(staged, "without_unique_key", spy):
        result = run(ESTAB, ESTABLISHMENTS)

    assert result.created == 6
    assert dropped == (["urn"] if bulk else [])
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolFactory(urn=School.objects.first().urn)


def test_inside_a_transaction_every_part_is_read_by_this_session(settings):
    settings.IMPORT_DATABASE_SESSIONS = 4

    assert connection.in_atomic_block
    assert db.sessions_available() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_parts_are_read_by_parallel_sessions(settings, monkeypatch):
    settings.IMPORT_DATABASE_SESSIONS = 2
    monkeypatch.setattr(staged, "PART_MIN_BYTES", 0)
    data = tricky_file()
    with transaction.atomic():
        with mock.patch.object(staged, "applicable", lambda table: False):
            in_python = snapshot(run(ESTAB, data))
        transaction.set_rollback(True)
    threads = set()
    original = staged.StagedLoad._copy

    def copy_spy(self, part, progress):
        threads.add(threading.current_thread().name)
        return original(self, part, progress)

    assert db.sessions_available() == 2
    with mock.patch.object(staged.StagedLoad, "_copy", copy_spy):
        on_server = snapshot(run(ESTAB, data))

    assert len(threads) == 2
    assert on_server == in_python
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'gias\\_%%'")
        assert cursor.fetchone()[0] == 0, "the staging tables are dropped"
