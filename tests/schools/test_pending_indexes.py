"""A first load of the register drops the schools table's secondary indexes
(db.bulk_load). Outside a caller's transaction the import builds them again after
its commit, in parallel sessions; whatever a crash leaves to build, the next call
(an import, or the beat task) builds. PostgreSQL only: elsewhere nothing is dropped."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections

from schools.celery_schedule import BEAT_SCHEDULE
from schools.importers import db, establishments, formats
from schools.models import PendingIndex, School
from schools.tasks import pending_indexes_build_task
from tests.schools.import_helpers import ESTABLISHMENTS, GROUPS, load_register, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _bulk_loads_on_postgresql(north_west, london, monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL bulk loads drop indexes")
    monkeypatch.setattr(db, "BULK_LOAD_ROWS", 1)  # the 6-school fixture counts as bulk
    settings.IMPORT_DATABASE_SESSIONS = 2


def school_indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [School._meta.db_table],
        )
        return dict(cursor.fetchall())


def in_another_session(query):
    answer = []

    def ask():
        try:
            answer.append(query())
        finally:
            connections.close_all()

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join()
    return answer[0]


def test_a_first_load_builds_the_dropped_indexes_after_its_commit():
    before = school_indexes()
    progress = mock.Mock()
    seen = {}
    original = db.build_pending_indexes
    builders = set()
    original_build = db._build_indexes

    def build_spy(pks, built, shared):
        builders.add(threading.current_thread().name)
        return original_build(pks, built, shared)

    def spy(announce=None):
        seen["pending"] = set(PendingIndex.objects.values_list("name", flat=True))
        seen["missing"] = set(before) - set(school_indexes())
        seen["schools elsewhere"] = in_another_session(School.objects.count)
        seen["built"] = original(announce=announce)
        return seen["built"]

    with (
        mock.patch.object(establishments, "build_pending_indexes", spy),
        mock.patch.object(db, "_build_indexes", build_spy),
    ):
        run(formats.GROUPS, GROUPS)
        result = run(formats.ESTABLISHMENTS, ESTABLISHMENTS, progress=progress)

    assert result.created == 6
    assert progress.advance.call_args.args[1] == "Building the search indexes"
    # When the build starts the schools are committed (another session sees them)
    # and the secondary indexes, recorded as pending, are missing.
    assert seen["schools elsewhere"] == 6
    assert seen["missing"] == seen["pending"]
    assert "school_name_upper_trgm" in seen["pending"]
    assert "school_urn_unique" not in seen["pending"]  # unique indexes stay
    assert seen["built"] == len(seen["pending"])
    assert len(builders) == 2, "two sessions build at once"
    assert school_indexes() == before
    assert not PendingIndex.objects.exists()
    # Importing the same file again drops nothing, so builds and announces nothing.
    again = mock.Mock()
    run(formats.ESTABLISHMENTS, ESTABLISHMENTS, progress=again)
    assert "Building the search indexes" not in str(again.advance.call_args_list)


def test_indexes_a_crash_left_to_build_are_built_by_the_beat_task():
    load_register()
    before = school_indexes()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX school_laestab")  # dropped, then the process died
    PendingIndex.objects.create(
        name="school_laestab", table="schools_school", definition=before["school_laestab"]
    )
    PendingIndex.objects.create(  # built, but its row outlived it
        name="school_postcode_pattern",
        table="schools_school",
        definition=before["school_postcode_pattern"],
    )

    assert pending_indexes_build_task() == 2

    assert school_indexes() == before
    assert not PendingIndex.objects.exists()
    entry = BEAT_SCHEDULE["schools-pending-indexes-build"]
    assert entry["task"] == pending_indexes_build_task.name


def test_a_load_that_fails_before_its_commit_keeps_its_indexes_and_leaves_nothing_pending():
    before = school_indexes()

    def fail(importer):
        raise RuntimeError("the import stopped after its write")

    with (
        mock.patch.object(establishments.EstablishmentsImporter, "finish_notes", fail),
        pytest.raises(RuntimeError),
    ):
        load_register()

    assert not School.objects.exists()
    assert school_indexes() == before
    assert not PendingIndex.objects.exists()


def test_with_the_setting_off_the_indexes_are_rebuilt_inside_the_load(settings):
    settings.IMPORT_BUILD_INDEXES_AFTER_COMMIT = False
    before = school_indexes()
    recorded = mock.Mock(wraps=PendingIndex.objects.bulk_create)

    with (
        mock.patch.object(establishments, "build_pending_indexes") as build,
        mock.patch.object(PendingIndex.objects, "bulk_create", recorded),
    ):
        result = load_register()

    assert result.created == 6
    build.assert_not_called()
    recorded.assert_not_called()
    assert school_indexes() == before
