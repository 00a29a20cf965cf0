"""System leaders. Same app as before (`deployments`), so moving the model here
changed no table: `deployments.models` and `deployments.matching.models` still
export it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class SystemLeaderQuerySet(models.QuerySet):
    def available(self):
        return self.filter(available=True, user__is_active=True)

    def in_regions(self, region_ids):
        """Leaders who work in any of these regions (distinct: a leader may work in several)."""
        ids = models.Subquery(
            SystemLeader.regions.through.objects.filter(region_id__in=list(region_ids)).values(
                "systemleader_id"
            )
        )
        return self.filter(pk__in=ids)


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

    objects = SystemLeaderQuerySet.as_manager()

    # What a system leader may change on their own profile (contract "System leaders").
    SELF_EDITABLE = (
        "available",
        "max_concurrent_deployments",
        "days_available",
        "focus_areas",
        "conflict_schools",
        "conflict_trusts",
    )

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

    @property
    def base(self):
        """The trust a MAT CEO leads or the school an NLE leads."""
        return self.trust if self.kind == self.Kind.MAT_CEO else self.school
