"""Deployments: the support a system leader delivers once a case is issued."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from deployments.targets import SchoolOrTrustTarget


class Deployment(SchoolOrTrustTarget):
    """States and transitions are the API contract's "Deployments" table."""

    class State(models.TextChoices):
        ISSUED = "issued", "Issued"
        ENGAGED = "engaged", "Engaged"
        DELIVERY = "delivery", "Delivery"
        SCHOOL_SIGN_OFF = "school_sign_off", "School sign-off"
        SIGNED = "signed", "Signed"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    support_case = models.OneToOneField(
        "deployments.SupportCase", on_delete=models.PROTECT, related_name="deployment"
    )
    offer = models.ForeignKey(
        "deployments.SupportOffer", on_delete=models.PROTECT, related_name="deployments"
    )
    system_leader = models.ForeignKey(
        "deployments.SystemLeader", on_delete=models.PROTECT, related_name="deployments"
    )
    state = FSMField(default=State.ISSUED, choices=State.choices)
    issued_on = models.DateField()
    completion_date = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    timeline_events = GenericRelation("portal.TimelineEvent", related_query_name="deployment")
    history = HistoricalRecords()

    class Meta(SchoolOrTrustTarget.Meta):
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["region", "state"]), models.Index(fields=["due_on"])]

    def __str__(self):
        return f"Deployment {self.pk}: {self.target}"

    OPEN_STATES = (
        State.ISSUED,
        State.ENGAGED,
        State.DELIVERY,
        State.SCHOOL_SIGN_OFF,
        State.SIGNED,
        State.SUBMITTED,
        State.ACCEPTED,
    )
