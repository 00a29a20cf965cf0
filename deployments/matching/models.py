"""System leaders and support cases."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from deployments.targets import SchoolOrTrustTarget


class SystemLeader(models.Model):
    """A MAT CEO or National Leader of Education who can be deployed."""

    class Kind(models.TextChoices):
        MAT_CEO = "mat_ceo", "MAT CEO"
        NLE = "nle", "National Leader of Education"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="system_leader"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    trust = models.ForeignKey(
        "schools.Trust",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="system_leaders",
        help_text="The trust a MAT CEO leads",
    )
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="system_leaders",
        help_text="The school an NLE leads",
    )
    regions = models.ManyToManyField("schools.Region", related_name="system_leaders")
    phases = models.JSONField(default=list, blank=True, help_text="Phase keys")
    focus_areas = models.JSONField(default=list, blank=True, help_text="Focus area keys")
    max_concurrent_deployments = models.PositiveSmallIntegerField(default=1)
    days_available = models.PositiveSmallIntegerField(default=10)
    available = models.BooleanField(default=True)
    conflict_schools = models.ManyToManyField("schools.School", blank=True, related_name="+")
    conflict_trusts = models.ManyToManyField("schools.Trust", blank=True, related_name="+")
    wider_team_agreed = models.BooleanField(
        default=False, help_text="NLE only: DfE agreed they may use their wider team"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[regions])

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="mat_ceo", trust__isnull=False, school__isnull=True)
                | Q(kind="nle", school__isnull=False, trust__isnull=True),
                name="system_leader_base_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="nle") | Q(wider_team_agreed=False),
                name="system_leader_wider_team_nle_only",
            ),
            models.CheckConstraint(
                condition=Q(max_concurrent_deployments__gte=1),
                name="system_leader_capacity_at_least_one",
            ),
        ]

    def __str__(self):
        return f"{self.user.full_name} ({self.get_kind_display()})"


class SupportCase(SchoolOrTrustTarget):
    """An eligible school or trust on its way to a deployment. States and
    transitions are the API contract's "Support cases" table."""

    class State(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        WITH_RDP = "with_rdp", "With the RDP"
        SCHOOL_ENGAGEMENT = "school_engagement", "School engagement"
        SYSTEM_LEADER_CHECK = "system_leader_check", "System leader check"
        MATCH_CONFIRMATION = "match_confirmation", "Match confirmation"
        CONCERN = "concern", "Concern raised"
        DIRECTOR_APPROVAL = "director_approval", "Regional Director approval"
        APPROVED = "approved", "Approved"
        DEPLOYMENT_ISSUED = "deployment_issued", "Deployment issued"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DECLINED = "declined", "Declined by the school"

    offer = models.ForeignKey(
        "deployments.SupportOffer", on_delete=models.PROTECT, related_name="support_cases"
    )
    eligibility = models.ForeignKey(
        "deployments.EligibilityAssessment", on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(default=State.IDENTIFIED, choices=State.choices)
    system_leader = models.ForeignKey(
        SystemLeader, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        help_text="The Regions Group staff member who owns the case",
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="watched_cases"
    )
    declined_by = models.ManyToManyField(SystemLeader, blank=True, related_name="declined_cases")
    school_confirmed = models.BooleanField(default=False)
    school_context = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    timeline_events = GenericRelation("portal.TimelineEvent", related_query_name="support_case")
    history = HistoricalRecords()

    class Meta(SchoolOrTrustTarget.Meta):
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["region", "state"]), models.Index(fields=["due_on"])]

    def __str__(self):
        return f"Support case {self.pk}: {self.target}"
