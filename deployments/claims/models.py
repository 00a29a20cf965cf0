"""Payment claims and payment runs (guidance sections 5, 8 and 9).

A claim is computed by the portal, never typed: a `deployment_days` claim when
the RDP accepts a deployment form (days x the offer's day rate), a
`partnership_instalment` claim when a grant instalment's condition is met. The
database keeps the promises the code makes: one day claim per deployment, one
claim per instalment, a claim in at most one payment run, ever."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from deployments.models import SlaStep
from portal.models import Role, WorkflowRecord
from portal.workflow import condition, rules_permission
from portal.workflow_spec import Email, Party, Step, WorkflowSpec, workflow_register


@condition("This claim is in a payment run: its approval can no longer be undone.")
def not_in_payment_run(claim) -> bool:
    return not PaymentRunItem.objects.filter(claim_id=claim.pk).exists()


@condition("The days claimed are more than the core and approved extension days: never paid.")
def days_within_cap(claim) -> bool:
    if claim.kind != Claim.Kind.DEPLOYMENT_DAYS:
        return True
    return claim.days is not None and claim.days <= claim.deployment.claim_cap_days


@condition("The payee has no bank details: add them before approving the claim.")
def payee_has_bank_details(claim) -> bool:
    account = claim.payee_account
    return account is not None and bool(account.fingerprint)


class Claim(WorkflowRecord):
    """States and transitions are the contract's "Claims and payment runs".
    `flags` are the automatic checks' findings, `[{"code", "message"}]`;
    `flag_codes` repeats their codes (" a b ") so the queue filters on any
    database."""

    class Kind(models.TextChoices):
        DEPLOYMENT_DAYS = "deployment_days", "Deployment days"
        PARTNERSHIP_INSTALMENT = "partnership_instalment", "Partnership grant instalment"

    class State(models.TextChoices):
        PENDING_REVIEW = "pending_review", "Pending review"
        QUERIED = "queried", "Queried"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        PAID = "paid", "Paid"

    DECIDED_STATES = (State.APPROVED, State.REJECTED, State.QUERIED)

    deployment = models.ForeignKey(
        "deployments.Deployment", on_delete=models.PROTECT, related_name="claims"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    instalment = models.OneToOneField(
        "deployments.GrantInstalment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim",
    )
    # Copies of the deployment's, fixed when the claim is made (filters, totals).
    offer = models.ForeignKey(
        "deployments.SupportOffer", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("schools.Region", on_delete=models.PROTECT, related_name="+")
    system_leader = models.ForeignKey(
        "deployments.SystemLeader", on_delete=models.PROTECT, related_name="claims"
    )
    days = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rate = models.DecimalField(
        max_digits=10, decimal_places=2, help_text="The offer's day rate, or the instalment amount"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    flags = models.JSONField(default=list, blank=True)
    flag_codes = models.CharField(max_length=255, blank=True, default="")
    state = FSMField(default=State.PENDING_REVIEW, choices=State.choices, protected=False)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    timeline_events = GenericRelation("portal.TimelineEvent", related_query_name="claim")
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["region", "offer", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "kind"],
                condition=Q(kind="deployment_days"),
                name="one_day_claim_per_deployment",
            ),
            models.CheckConstraint(
                condition=Q(kind="deployment_days", instalment__isnull=True, days__gt=0)
                | Q(kind="partnership_instalment", instalment__isnull=False, days__isnull=True),
                name="claim_kind_matches_its_basis",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(state="paid") | Q(paid_at__isnull=False),
                name="claim_paid_has_paid_at",
            ),
        ]

    def __str__(self):
        return f"Claim {self.reference}"

    @property
    def reference(self) -> str:
        """Like "TSI-2023-000123": the offer's first year and the claim's number."""
        return f"TSI-{self.offer.academic_year[:4]}-{self.pk:06d}" if self.pk else ""

    @property
    def flag_list(self) -> list[dict]:
        """The flags with their short labels, for pages."""
        from deployments.claims.checks import FLAG_LABELS

        return [{**f, "label": FLAG_LABELS.get(f["code"], f["code"])} for f in self.flags or []]

    @property
    def payee_trust(self):
        """The partner trust a partnership instalment is paid to, else None."""
        return self.instalment.grant.partner_trust if self.instalment_id else None

    @property
    def payee(self) -> dict:
        """Who is paid: `{"kind": "system_leader" | "trust", "name", "trust_uid"}`.
        A partnership instalment is paid to the partner trust, never to the
        system leader; a day claim to the system leader."""
        trust = self.payee_trust
        if trust is not None:
            return {"kind": "trust", "name": trust.name, "trust_uid": trust.uid}
        return {
            "kind": "system_leader",
            "name": self.system_leader.user.full_name,
            "trust_uid": None,
        }

    @property
    def payee_account(self):
        """The payee's bank details (encrypted; masked on pages), or None: the
        partner trust's for an instalment, the system leader's for days. The
        claims selector joins both, so a list asks no more queries."""
        from deployments.delivery.models import BankDetails

        if self.instalment_id:
            return self.instalment.grant.account
        try:
            return self.deployment.bank_details
        except BankDetails.DoesNotExist:
            return None

    @property
    def payment_run_id(self):
        item = getattr(self, "payment_run_item", None) if self.pk else None
        return item.run_id if item else None

    # Transitions: the bodies set fields only; services validate, save and notify.

    @transition(
        field=state,
        source=State.PENDING_REVIEW,
        target=State.APPROVED,
        permission=rules_permission("deployments.decide_claim"),
        conditions=[days_within_cap, payee_has_bank_details],
        custom={"label": "Approve the claim"},
    )
    def approve(self, *, by, at):
        self.decided_by, self.decided_at, self.decision_reason = by, at, ""

    @transition(
        field=state,
        source=State.PENDING_REVIEW,
        target=State.REJECTED,
        permission=rules_permission("deployments.decide_claim"),
        custom={"label": "Reject the claim"},
    )
    def reject(self, *, by, at, reason):
        self.decided_by, self.decided_at, self.decision_reason = by, at, reason

    @transition(
        field=state,
        source=State.PENDING_REVIEW,
        target=State.QUERIED,
        permission=rules_permission("deployments.decide_claim"),
        custom={"label": "Query the claim"},
    )
    def query(self, *, by, at, question):
        self.decided_by, self.decided_at, self.decision_reason = by, at, question

    @transition(
        field=state,
        source=[State.QUERIED, State.REJECTED],
        target=State.PENDING_REVIEW,
        permission=rules_permission("deployments.resubmit_claim"),
        custom={"label": "Resubmit the claim"},
    )
    def resubmit(self):
        self.decided_by, self.decided_at = None, None

    @transition(
        field=state,
        source=list(DECIDED_STATES),
        target=State.PENDING_REVIEW,
        permission=rules_permission("deployments.undo_claim_decision"),
        conditions=[not_in_payment_run],
        custom={"label": "Undo the decision"},
    )
    def undo(self):
        self.decided_by, self.decided_at = None, None


C = Claim.State
# The claim's table: DfE finance reviews within the offer's working days; a
# queried claim waits for the system leader's answer. A resubmitted claim's
# e-mail carries the leader's answer: the service sends it.
CLAIM_WORKFLOW = workflow_register(
    Claim,
    WorkflowSpec(
        states={
            C.PENDING_REVIEW: Step(
                actor=Party.FINANCE,
                sla_step=SlaStep.CLAIM_REVIEW,
                queue_label="Review the claim",
            ),
            C.QUERIED: Step(
                actor=Party.SYSTEM_LEADER,
                queue_label="Answer the query and resubmit the claim",
                email=Email("claim_queried", to=(Party.SYSTEM_LEADER,)),
            ),
            C.REJECTED: Step(email=Email("claim_rejected", to=(Party.SYSTEM_LEADER,))),
            C.APPROVED: Step(),
            C.PAID: Step(),
        },
        about="deployment",
        email_context="deployments.claims.services.claim_email_context",
        overdue_template="claim_overdue",
        home_sections={
            Role.FINANCE: "Payment claims to review",
            Role.SYSTEM_LEADER: "Payment claims to answer",
        },
        home_rows="deployments.claims.selectors.claim_home_rows",
        history_labels={
            "created": "Claim made",
            "approve": "Claim approved",
            "reject": "Claim rejected",
            "query": "Claim queried",
            "resubmit": "Claim resubmitted",
            "undo": "Decision undone",
            "paid": "Paid",
        },
    ),
)


class PaymentRun(models.Model):
    """A batch of approved claims paid together. Its payment files hold the
    only full bank details the portal ever writes out, so they are stored
    encrypted (the bank details' keys) and served to DfE finance only."""

    class State(models.TextChoices):
        BUILDING = "building", "Building"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    state = models.CharField(max_length=16, choices=State.choices, default=State.BUILDING)
    job = models.ForeignKey(
        "portal.BackgroundJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    claim_count = models.PositiveIntegerField(default=0)
    csv_encrypted = models.BinaryField(blank=True, default=b"", editable=False)
    xlsx_encrypted = models.BinaryField(blank=True, default=b"", editable=False)
    failure = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Payment run {self.pk}"

    @property
    def has_files(self) -> bool:
        return self.state == self.State.COMPLETED and bool(self.csv_encrypted)


class PaymentRunItem(models.Model):
    """A claim's place in a run. `claim` is unique: a claim is in one run, ever."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="items")
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="payment_run_item")
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["run", "claim"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="run_item_not_negative"),
        ]

    def __str__(self):
        return f"{self.claim} in {self.run}"
