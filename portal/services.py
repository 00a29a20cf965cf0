"""Writes for accounts and background jobs."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.jobs import runner_for
from portal.models import BackgroundJob, Role, User

REGIONAL_DIRECTOR_ONE_REGION = "A Regional Director covers exactly one region."
CONTACT_NEEDS_SCHOOL_OR_TRUST = "A school or trust contact is linked to one school or one trust."

logger = logging.getLogger(__name__)


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    role: str,
    password: str | None = None,
    regions=(),
    school=None,
    trust=None,
) -> User:
    """Create a user with the scope their role needs."""
    regions = list(regions)
    if role == Role.REGIONAL_DIRECTOR and len(regions) != 1:
        raise ValidationError(REGIONAL_DIRECTOR_ONE_REGION)
    if role == Role.SCHOOL_CONTACT and (school is None) == (trust is None):
        raise ValidationError(CONTACT_NEEDS_SCHOOL_OR_TRUST)
    user = User(
        email=email.lower(),
        full_name=full_name,
        role=role,
        school=school,
        trust=trust,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean()
    user.save()
    if regions:
        user.regions.set(regions)
    return user


def job_create(
    *, kind: str, label: str, user=None, params: dict | None = None, input_file=None
) -> BackgroundJob:
    """Create a job and queue it once the surrounding transaction commits."""
    from portal.tasks import job_run_task

    job = BackgroundJob.objects.create(kind=kind, label=label, created_by=user, params=params or {})
    if input_file is not None:
        job.input_file.save(input_file.name.rsplit("/", 1)[-1], input_file, save=True)
    transaction.on_commit(lambda: job_run_task.delay(job.pk))
    return job


class Progress:
    """Reports progress for one job. Call it outside atomic blocks so that the
    polling page can see each step as it is committed."""

    def __init__(self, job: BackgroundJob, every: int = 1):
        self.job = job
        self.every = max(1, every)

    def total(self, total: int, message: str = "") -> None:
        job_progress_set(job=self.job, progress=0, total=total, message=message)

    def advance(self, done: int, message: str = "", force: bool = False) -> None:
        if force or done % self.every == 0 or done >= self.job.total:
            job_progress_set(job=self.job, progress=done, message=message)


def job_progress_set(*, job: BackgroundJob, progress: int, total: int | None = None, message=""):
    job.progress = progress
    fields = ["progress"]
    if total is not None:
        job.total = total
        fields.append("total")
    if message:
        job.message = message[:500]
        fields.append("message")
    job.save(update_fields=fields)


def job_start(*, job: BackgroundJob) -> None:
    job.status = BackgroundJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])


def job_succeed(*, job: BackgroundJob, result: dict, message: str = "") -> None:
    job.status = BackgroundJob.Status.SUCCEEDED
    job.result = result
    job.message = message or job.message
    job.finished_at = timezone.now()
    job.progress = max(job.progress, job.total)
    job.save(update_fields=["status", "result", "message", "finished_at", "progress"])


def job_fail(*, job: BackgroundJob, message: str, result: dict | None = None) -> None:
    job.status = BackgroundJob.Status.FAILED
    job.message = message[:500]
    job.result = result or job.result
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "result", "finished_at"])


def job_run(*, job_id: int) -> BackgroundJob:
    """Run a queued job through its registered runner, recording the outcome.

    A runner raises `ValidationError` for a problem the user must fix (shown as
    the job's message); anything else is logged and shown as a failure."""
    job = BackgroundJob.objects.get(pk=job_id)
    if job.is_finished:
        return job  # a redelivered message must not run the work twice
    job_start(job=job)
    try:
        result = runner_for(job.kind)(job, Progress(job))
    except ValidationError as exc:
        job_fail(job=job, message=" ".join(exc.messages))
    except Exception as exc:  # noqa: BLE001 - recorded for the user, then re-raised
        logger.exception("Job %s failed", job.pk)
        job_fail(job=job, message=f"The job stopped unexpectedly: {exc.__class__.__name__}.")
        raise
    else:
        job_succeed(job=job, result=result or {})
    return job
