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
    regions=(),
    school=None,
    trust=None,
    is_staff: bool = False,
    password: str | None = None,
) -> User:
    """Create a user with the scope their role needs. Admin may use the Django
    admin (staff, and every model permission there); `rules` still decides every
    portal action by role, Admin's included (User.has_perm)."""
    regions = list(regions)
    user_scope_validate(role=role, regions=regions, school=school, trust=trust)
    user = User(
        email=email.strip().lower(),
        full_name=full_name,
        role=role,
        school=school,
        trust=trust,
        is_staff=is_staff or role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean()
    user.save()
    user.regions.set(regions)
    return user


# Invitations and account changes (Admin, "Manage users" and /api/users/).
EMAIL_TAKEN = "A user with this e-mail address already exists."
REGIONAL_ROLE_NEEDS_REGION = "Choose at least one region for this role."
ROLE_HAS_NO_REGIONS = "This role is not scoped to regions: choose no region."
ROLE_HAS_NO_SCHOOL = "Only a school or trust contact is linked to a school or trust."
CANNOT_DEACTIVATE_YOURSELF = "You cannot deactivate your own account."
EMAIL_CANNOT_CHANGE = "The e-mail address of an account cannot be changed."
REGION_ROLES = (Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP)


def user_scope_validate(*, role: str, regions, school, trust) -> None:
    """The role rules, with the message on the field to fix: Regions Group staff
    and RDPs work in one or more regions, a Regional Director in exactly one; a
    school or trust contact is linked to one school or one trust; other roles
    (system leader, finance, admin) have neither."""
    errors = {}
    regions = list(regions)
    if role == Role.REGIONAL_DIRECTOR and len(regions) != 1:
        errors["regions"] = REGIONAL_DIRECTOR_ONE_REGION
    elif role in REGION_ROLES and not regions:
        errors["regions"] = REGIONAL_ROLE_NEEDS_REGION
    elif role not in REGION_ROLES and regions:
        errors["regions"] = ROLE_HAS_NO_REGIONS
    if role == Role.SCHOOL_CONTACT:
        if school is None and trust is None:
            errors["school_urn"] = CONTACT_NEEDS_SCHOOL_OR_TRUST
        elif school is not None and trust is not None:
            errors["trust_uid"] = CONTACT_NEEDS_SCHOOL_OR_TRUST
    elif school is not None or trust is not None:
        errors["school_urn" if school is not None else "trust_uid"] = ROLE_HAS_NO_SCHOOL
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_invite(
    *, invited_by, email: str, full_name: str, role: str, regions=(), school=None, trust=None
) -> User:
    """Create an account without a password and e-mail a set-password link
    (valid 7 days, single use: `portal.tokens`)."""
    email = (email or "").strip().lower()
    errors = {}
    if User.objects.filter(email=email).exists():
        errors["email"] = EMAIL_TAKEN
    if not (full_name or "").strip():
        errors["full_name"] = "Enter the person's full name."
    if role not in Role.values:
        errors["role"] = "Choose a role."
    if errors:
        raise ValidationError(errors)
    user = user_create(
        email=email,
        full_name=full_name.strip(),
        role=role,
        regions=regions,
        school=school,
        trust=trust,
    )
    invitation_send(user=user, invited_by=invited_by)
    return user


def invitation_send(*, user: User, invited_by=None) -> None:
    """Queue the set-password e-mail (sent after commit)."""
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from portal.emails import email_context
    from portal.notify import email_queue
    from portal.tokens import INVITATION_VALID_FOR, invitation_tokens

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("invitation-accept", args=[uid, invitation_tokens.make_token(user)])
    scope = ", ".join(sorted(r.name for r in user.regions.all()))
    if user.school_id or user.trust_id:
        scope = str(user.school or user.trust)
    email_queue(
        to=[user.email],
        template="user_invitation",
        context=email_context(
            full_name=user.full_name,
            email=user.email,
            role=Role(user.role).label,
            scope=scope,
            invited_by=invited_by.full_name if invited_by else "The portal administrator",
            link=link,
            expires_on=timezone.localdate() + INVITATION_VALID_FOR,
        ),
    )


USER_FIELDS = ("full_name", "role", "regions", "school", "trust", "is_active", "is_staff")


@transaction.atomic
def user_update(user: User, *, by, **changes) -> User:
    """Change an account: name, role and its scope (the role rules apply to the
    result), or deactivate it (`is_active=False`; the person can no longer sign
    in or use a token) and reactivate it."""
    if "email" in changes:
        raise ValidationError({"email": EMAIL_CANNOT_CHANGE})
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    user = User.objects.select_for_update().get(pk=user.pk)
    if changes.get("is_active") is False and by is not None and by.pk == user.pk:
        raise ValidationError({"is_active": CANNOT_DEACTIVATE_YOURSELF})
    scope_changed = {"role", "regions", "school", "trust"} & set(changes)
    if scope_changed:
        role = changes.get("role", user.role)
        regions = list(changes["regions"]) if "regions" in changes else list(user.regions.all())
        school = changes.get("school", user.school)
        trust = changes.get("trust", user.trust)
        if role != Role.SCHOOL_CONTACT and "school" not in changes and "trust" not in changes:
            school = trust = None  # a contact who changes role leaves their school
        if role not in REGION_ROLES and "regions" not in changes:
            regions = []
        user_scope_validate(role=role, regions=regions, school=school, trust=trust)
        user.role, user.school, user.trust = role, school, trust
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.regions.set(regions)
        user._region_ids = {r.pk for r in regions}
    if "full_name" in changes:
        if not (changes["full_name"] or "").strip():
            raise ValidationError({"full_name": "Enter the person's full name."})
        user.full_name = changes["full_name"].strip()
    if "is_active" in changes:
        user.is_active = bool(changes["is_active"])
    if "is_staff" in changes:
        user.is_staff = bool(changes["is_staff"]) or user.role == Role.ADMIN
    user.full_clean(exclude=["password"])
    user.save()
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
