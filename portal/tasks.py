from celery import shared_task


@shared_task(name="portal.ping")
def ping_task() -> str:
    """A round trip through the broker and a worker, used by /health/ and tests."""
    return "pong"


@shared_task(name="portal.job_run", acks_late=True)
def job_run_task(job_id: int) -> str:
    from portal.services import job_run

    return job_run(job_id=job_id).status


@shared_task(
    name="portal.email_send",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def email_send_task(*, to: list[str], template: str, context: dict) -> int:
    from portal.notify import email_send

    return email_send(to=to, template=template, context=context)


@shared_task(name="portal.workflow_notify_overdue", acks_late=True)
def workflow_notify_overdue_task() -> int:
    """Each morning: chase whoever must act on an overdue workflow step."""
    from portal.overdue import workflow_notify_overdue

    return workflow_notify_overdue()
