"""Accounts, roles and background jobs."""

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
    _user_has_perm,
)
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    REGIONS_STAFF = "regions_staff", "DfE Regions Group staff"
    REGIONAL_DIRECTOR = "regional_director", "Regional Director"
    RDP = "rdp", "Regional Delivery Partner"
    SYSTEM_LEADER = "system_leader", "System leader"
    SCHOOL_CONTACT = "school_contact", "School or trust contact"
    FINANCE = "finance", "DfE finance"
    ADMIN = "admin", "Admin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A portal user: e-mail is the login, one role, scoped to regions or to a
    school or trust depending on the role."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=255)
    role = models.CharField(max_length=32, choices=Role.choices)
    regions = models.ManyToManyField(
        "schools.Region",
        blank=True,
        related_name="users",
        help_text="Regions Group staff and RDPs: one or more; Regional Directors: exactly one.",
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_perm(self, perm, obj=None):
        """Ask the backends for every user, superusers included.

        Django answers yes to a superuser before any backend is asked; here `rules`
        decides each domain action by role for everyone, while ModelBackend still
        grants a superuser every model permission, so the Django admin works."""
        return _user_has_perm(self, perm, obj)

    async def ahas_perm(self, perm, obj=None):
        from asgiref.sync import sync_to_async

        return await sync_to_async(self.has_perm)(perm, obj)

    @property
    def region_ids(self) -> set[int]:
        """The regions this user works in (cached per instance)."""
        if not hasattr(self, "_region_ids"):
            self._region_ids = set(self.regions.values_list("id", flat=True))
        return self._region_ids


class BackgroundJob(models.Model):
    """A long-running piece of work (import, recompute) and its progress, so a
    page can poll it whether Celery runs in-process or on a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "In progress"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=64)
    label = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(upload_to="jobs/input/", blank=True)
    report_file = models.FileField(upload_to="jobs/reports/", blank=True)
    created_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.progress * 100 / self.total))


class TimelineEvent(models.Model):
    """One step in a workflow record's timeline: who took which transition,
    when, and why. Shared by every workflow (support cases, deployments,
    enhanced requests, claims, complaints) through `portal.workflow`."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    name = models.CharField(max_length=64, help_text="The transition's name, or an event name")
    by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_label = models.CharField(
        max_length=255, blank=True, help_text="Who acted when it was not a signed-in user"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    state = models.CharField(max_length=64, blank=True, help_text="The state after the event")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.name} by {self.by_name} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def by_name(self) -> str:
        return self.by.full_name if self.by_id else self.by_label


class WorkflowRecord(models.Model):
    """A record that moves through a workflow: what every workflow model shares.

    Each concrete model declares its own state field (a django-fsm `FSMField`
    with its own choices, named in its `WorkflowSpec`), its own
    `HistoricalRecords()` and a `GenericRelation` to `TimelineEvent`; beside it
    its app registers the table of its states (`portal.workflow_spec`).
    `due_on` is the current step's working-day deadline, set by
    `portal.workflow.transition_run` from the table; `overdue_notified_on` is
    when the overdue sweep last chased it (cleared by every transition)."""

    due_on = models.DateField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def responsible(self) -> str | None:
        """The role whose move it is (the contract's `responsible`), or None."""
        from portal.workflow_spec import responsible_role

        return responsible_role(self)

    def is_overdue(self, today=None) -> bool:
        """Past the current step's `due_on` in a state where someone must act
        (and not paused): the table's rule, as the overdue lists filter."""
        from portal.workflow_spec import spec_for

        spec = spec_for(self)
        return bool(spec) and spec.is_overdue(self, today or timezone.localdate())

    def timeline(self):
        """The record's timeline, oldest first (the shared TimelineEvent table)."""
        from portal.workflow import timeline_for

        return timeline_for(self)
