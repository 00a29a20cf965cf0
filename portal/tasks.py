from celery import shared_task


@shared_task(name="portal.ping")
def ping_task() -> str:
    """A round trip through the broker and a worker, used by /health/ and tests."""
    return "pong"


@shared_task(name="portal.job_run", acks_late=True)
def job_run_task(job_id: int) -> str:
    from portal.services import job_run

    return job_run(job_id=job_id).status
