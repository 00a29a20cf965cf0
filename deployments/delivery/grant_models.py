"""A funded trust partnership's grant (guidance section 5): paid to the
partner trust, never to the system leader, in the offer's instalments, each
due once its evidence is in. Imported by `deployments.delivery.models`."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from deployments.delivery.models import BankAccount, EnhancedRequest


class PartnershipGrant(models.Model):
    """The grant offer of an approved funded trust partnership. `region_id`
    and `deployment` let the deployment's `rules` predicates read it."""

    enhanced_request = models.OneToOneField(
        EnhancedRequest, on_delete=models.PROTECT, related_name="grant"
    )
    partner_trust = models.ForeignKey("schools.Trust", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    months = models.PositiveSmallIntegerField()
    total = models.DecimalField(max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="grant_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"Partnership grant with {self.partner_trust}"

    @property
    def deployment(self):
        return self.enhanced_request.deployment

    @property
    def region_id(self):
        return self.enhanced_request.deployment.region_id

    @property
    def offer_letter_path(self) -> str:
        return reverse("deployments:grant-offer-letter", args=[self.pk])

    @property
    def account(self):
        """The partner trust's bank details for this grant, or None."""
        try:
            return self.bank_details
        except GrantBankDetails.DoesNotExist:
            return None


class GrantInstalment(models.Model):
    """One payment of a partnership grant and the evidence that makes it due.
    The claims issue turns a met condition into a claim."""

    class Evidence(models.TextChoices):
        SIGNED_GRANT_OFFER = "signed_grant_offer", "Signed grant offer confirming a signed SLA"
        PARTNERSHIP_REPORT = "partnership_report", "The trust's end-of-partnership report"
        SCHOOL_CONFIRMATION = "school_confirmation", "The school's confirmation"

    grant = models.ForeignKey(
        PartnershipGrant, on_delete=models.CASCADE, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    condition = models.CharField(max_length=255)
    needs = models.JSONField(default=list, help_text="Evidence keys that must all be received")
    received = models.JSONField(default=dict, blank=True, help_text="Evidence key -> date")
    condition_met_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "number"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="one_instalment_per_number"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="instalment_not_negative"),
        ]

    def __str__(self):
        return f"Instalment {self.number} of {self.grant}"

    @property
    def is_due(self) -> bool:
        return self.condition_met_on is not None

    @property
    def received_list(self) -> list[tuple[str, dt.date]]:
        """(label, date) of each evidence received, for pages."""
        labels = dict(self.Evidence.choices)
        return [(labels.get(k, k), dt.date.fromisoformat(v)) for k, v in self.received.items()]


class GrantBankDetails(BankAccount):
    """The partner trust's account the grant is paid into (the trust's contact
    or Regions Group staff enter it; masked everywhere but the payment file)."""

    grant = models.OneToOneField(
        PartnershipGrant, on_delete=models.CASCADE, related_name="bank_details"
    )

    class Meta:
        verbose_name_plural = "grant bank details"

    def __str__(self):
        return f"Bank details of {self.grant}"
