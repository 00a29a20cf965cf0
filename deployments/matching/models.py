"""Support cases. (The system-leader register lives in deployments.leaders.)"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from deployments.leaders.models import SystemLeader
from deployments.targets import SchoolOrTrustTarget

__all__ = ["SupportCase", "SystemLeader"]


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
