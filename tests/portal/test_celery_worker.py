"""A real round trip: a task goes through Redis to a Celery worker started by
the test run. Skips (saying why) when no broker is configured."""

import os
import time

import pytest
from django.conf import settings

from portal import jobs
from portal.celery import app
from portal.models import BackgroundJob

BROKER = os.environ.get("CELERY_BROKER_URL", "")

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not BROKER, reason="CELERY_BROKER_URL is not set: no Redis broker for a real worker"
    ),
]


def own_queue() -> str:
    """A queue of this test process's own: under pytest-xdist each process starts
    its worker against its own test database (test_..._gw0, _gw1, ...), so a task
    must reach the worker of the process that queued it, not any worker on the
    broker (another xdist process, or another test run sharing the Redis DB)."""
    return f"tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"


@pytest.fixture
def real_worker():
    """A Celery worker in a thread of this process: it reads the test database
    this process uses, since it shares the process's (test) settings."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connection

    def close_worker_connection(**kwargs):
        # The test worker runs tasks in its own thread, without Celery's Django
        # worker fixup: close that thread's connection so the test DB can drop.
        connection.close()

    task_postrun.connect(close_worker_connection, weak=False)
    previous = app.conf.task_always_eager, app.conf.task_routes
    queue = own_queue()
    app.conf.update(
        task_always_eager=False,
        broker_url=BROKER,
        result_backend=settings.CELERY_RESULT_BACKEND,
        task_routes={"*": {"queue": queue}},
    )
    app.amqp.flush_routes()
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
        ):
            yield app
    finally:
        app.conf.task_always_eager, app.conf.task_routes = previous
        app.amqp.flush_routes()
        task_postrun.disconnect(close_worker_connection)


def wait_until_finished(job, seconds: float) -> BackgroundJob:
    """Poll the job's row, as the progress page does, until the worker finishes it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.1)
    return job


def test_a_task_travels_through_redis_to_a_real_worker_on_its_own_queue(real_worker):
    """Two xdist processes on one broker never take each other's tasks."""
    from portal.tasks import ping_task

    assert app.amqp.router.route({}, ping_task.name)["queue"].name == own_queue()
    assert set(app.amqp.queues.consume_from) == {own_queue()}
    result = ping_task.delay()
    assert result.get(timeout=20) == "pong"
    assert result.successful()


@jobs.register("tests.worker_sum")
def worker_sum(job, progress):
    numbers = job.params["numbers"]
    progress.total(len(numbers))
    return {"sum": sum(numbers)}


@pytest.mark.django_db(transaction=True)
def test_a_background_job_runs_on_the_real_worker_and_reports_back(real_worker):
    from portal.services import job_create

    job = job_create(kind="tests.worker_sum", label="Sum", params={"numbers": [1, 2, 3, 4]})
    wait_until_finished(job, 20)
    assert job.status == BackgroundJob.Status.SUCCEEDED
    assert job.result == {"sum": 10}


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_gias_file_is_imported_by_the_real_worker(real_worker, north_west, london):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from schools.importers.formats import ESTABLISHMENTS
    from schools.models import School
    from schools.services import import_job_create

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "edubasealldata20250115.csv"
    upload = SimpleUploadedFile(fixture.name, fixture.read_bytes(), content_type="text/csv")
    job = import_job_create(kind=ESTABLISHMENTS, uploaded_file=upload, user=None)
    wait_until_finished(job, 30)
    assert job.status == BackgroundJob.Status.SUCCEEDED, job.message
    assert job.result["created"] == 6
    assert School.objects.count() == 6
