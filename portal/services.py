"""Writes for accounts and background jobs."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.models import BackgroundJob, Role, User

REGIONAL_DIRECTOR_ONE_REGION = "A Regional Director covers exactly one region."
REGIONAL_ROLE_NEEDS_REGION = "Regions Group staff and RDPs cover one or more regions."
ROLE_HAS_NO_REGIONS = "Only Regions Group staff, Regional Directors and RDPs have regions."
CONTACT_NEEDS_SCHOOL_OR_TRUST = "A school or trust contact is linked to one school or one trust."
ONLY_CONTACTS_HAVE_A_SCHOOL = "Only a school or trust contact is linked to a school or trust."

REGIONAL_ROLES = (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP)


def user_scope_validate(*, role: str, regions, school, trust) -> None:
    """The scope each role needs (the messages say which), as a ValidationError
    keyed by field. Forms call it to show the errors; the services call it too."""
    regions = list(regions)
    errors: dict[str, str] = {}
    if role == Role.REGIONAL_DIRECTOR and len(regions) != 1:
        errors["regions"] = REGIONAL_DIRECTOR_ONE_REGION
    elif role in (Role.REGIONS_STAFF, Role.RDP) and not regions:
        errors["regions"] = REGIONAL_ROLE_NEEDS_REGION
    elif role not in REGIONAL_ROLES and regions:
        errors["regions"] = ROLE_HAS_NO_REGIONS
    if role == Role.SCHOOL_CONTACT and (school is None) == (trust is None):
        errors["school"] = CONTACT_NEEDS_SCHOOL_OR_TRUST
    elif role != Role.SCHOOL_CONTACT and (school is not None or trust is not None):
        errors["school"] = ONLY_CONTACTS_HAVE_A_SCHOOL
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    role: str,
    regions=(),
    school=None,
    trust=None,
    is_staff: bool = False,
    password: str | None = None,
) -> User:
    """Create a user with the scope their role needs. Admin may use the Django
    admin (staff, and every model permission there); `rules` still decides every
    portal action by role, Admin's included (User.has_perm)."""
    user = User(email=email.strip().lower())
    user.set_password(password) if password else user.set_unusable_password()
    return user_update(
        user=user,
        full_name=full_name,
        role=role,
        regions=regions,
        school=school,
        trust=trust,
        is_staff=is_staff,
    )


@transaction.atomic
def user_update(
    *,
    user: User,
    full_name: str,
    role: str,
    regions=(),
    school=None,
    trust=None,
    is_active: bool = True,
    is_staff: bool = False,
) -> User:
    """Change a user's name, role, scope and access, keeping the role rules (the
    Admin role is staff and holds every model permission in the Django admin)."""
    regions = list(regions)
    user_scope_validate(role=role, regions=regions, school=school, trust=trust)
    user.full_name = full_name
    user.role = role
    user.school = school
    user.trust = trust
    user.is_active = is_active
    user.is_staff = is_staff or role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.full_clean()
    user.save()
    user.regions.set(regions)
    user.__dict__.pop("_region_ids", None)  # the cached scope is stale now
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
    import logging

    from portal.jobs import Progress, runner_for

    job = BackgroundJob.objects.get(pk=job_id)
    if job.is_finished:
        return job  # a redelivered message must not run the work twice
    job_start(job=job)
    try:
        result = runner_for(job.kind)(job, Progress(job))
    except ValidationError as exc:
        job_fail(job=job, message=" ".join(exc.messages))
    except Exception as exc:  # noqa: BLE001 - recorded for the user, then re-raised
        logging.getLogger(__name__).exception("Job %s failed", job.pk)
        job_fail(job=job, message=f"The job stopped unexpectedly: {exc.__class__.__name__}.")
        raise
    else:
        job_succeed(job=job, result=result or {})
    return job
