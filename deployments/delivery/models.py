"""Deployments: the support a system leader delivers once a case is issued.

The deployment form's sections live in `DeploymentSection` rows (one per key,
values in `data`); bank details live apart in `BankDetails`, encrypted, with no
history table. Enhanced support requests, partnership grants, the activity log
and case studies hang off the deployment."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from deployments.targets import SchoolOrTrustTarget
from portal.models import WorkflowRecord
from portal.workflow import condition, rules_permission

SECTION_KEYS = (
    "details",
    "scope",
    "mid_review",
    "closure",
    "bank_details",
    "claim",
    "school_confirmation",
    "declaration",
)
# The system leader signs before the school (contract: `send_for_sign_off` needs
# `details` to `claim` and `declaration`): the declaration follows sections 1-6,
# the school's confirmation follows the leader's declaration.
DECLARATION_PREREQUISITES = SECTION_KEYS[:6]
SIGN_OFF_SECTIONS = (*DECLARATION_PREREQUISITES, "declaration")
RESIGNED_SECTIONS = ("school_confirmation", "declaration")


@condition("This deployment is paused: it is read-only until it resumes.")
def not_paused(deployment) -> bool:
    return deployment.paused_at is None


def _sections_completed(*keys):
    def check(deployment) -> bool:
        from deployments.delivery.sections import section_statuses

        statuses = section_statuses(deployment)
        return all(statuses[key] == "completed" for key in keys)

    return check


scope_completed = condition("Complete the “Scope and diagnostics” section first.")(
    _sections_completed("scope")
)
sign_off_sections_completed = condition(
    "Complete every section from “Details” to “Payment claim”, then the declaration, first."
)(_sections_completed(*SIGN_OFF_SECTIONS))
school_confirmation_completed = condition(
    "Complete section 8, “Supported school or trust confirmation”: confirming it signs the form."
)(_sections_completed("school_confirmation"))
both_signed = condition(
    "The form needs the system leader's declaration and the school's confirmation first."
)(_sections_completed("declaration", "school_confirmation"))


class Deployment(WorkflowRecord, SchoolOrTrustTarget):
    """States and transitions are the API contract's "Deployments" table. A
    paused deployment keeps its state; `paused_at` makes it read-only."""

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

    # A case holds several deployments over time (re-matched after a withdrawal),
    # at most one not withdrawn: the case's current `deployment`.
    support_case = models.ForeignKey(
        "deployments.SupportCase", on_delete=models.PROTECT, related_name="deployments"
    )
    offer = models.ForeignKey(
        "deployments.SupportOffer", on_delete=models.PROTECT, related_name="deployments"
    )
    system_leader = models.ForeignKey(
        "deployments.SystemLeader", on_delete=models.PROTECT, related_name="deployments"
    )
    state = FSMField(default=State.ISSUED, choices=State.choices, protected=False)
    issued_on = models.DateField()
    completion_date = models.DateField(null=True, blank=True)
    approved_extension_days = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("0")
    )
    # Days logged on the case's earlier (withdrawn) deployments: not core days here.
    earlier_days_logged = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal(0))
    meeting_on = models.DateField(null=True, blank=True)
    sent_for_sign_off_on = models.DateField(null=True, blank=True)
    school_signed_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comments = models.TextField(blank=True)
    reopened_sections = models.JSONField(default=list, blank=True)
    end_call_held_on = models.DateField(null=True, blank=True)
    school_experience = models.TextField(blank=True)
    future_plans = models.TextField(blank=True)
    end_call_issues = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # A delay the system leader reported, shown until their next step or section save.
    delay_reported_on = models.DateField(null=True, blank=True)
    delay_reason = models.TextField(blank=True)
    delay_expected_resume_on = models.DateField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.TextField(blank=True)
    bank_details_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When bank details were last changed (claims flag it)"
    )
    timeline_events = GenericRelation("portal.TimelineEvent", related_query_name="deployment")
    history = HistoricalRecords()

    class Meta(SchoolOrTrustTarget.Meta):
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["region", "state"]), models.Index(fields=["due_on"])]
        constraints = [
            *SchoolOrTrustTarget.Meta.constraints,
            models.CheckConstraint(
                condition=Q(approved_extension_days__gte=0),
                name="deployment_extension_days_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(earlier_days_logged__gte=0),
                name="deployment_earlier_days_not_negative",
            ),
            models.UniqueConstraint(
                fields=["support_case"],
                condition=~Q(state="withdrawn"),
                name="deployment_one_current_per_case",
            ),
        ]

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

    # The system leader reports a delay from issue until the school signs off.
    DELAY_STATES = (State.ISSUED, State.ENGAGED, State.DELIVERY, State.SCHOOL_SIGN_OFF)
    # The system leader may withdraw before sending the form for sign-off.
    LEADER_WITHDRAW_STATES = (State.ISSUED, State.ENGAGED, State.DELIVERY)

    @property
    def core_days(self) -> Decimal:
        """The offer's core days less the days logged on the case's earlier
        deployments (a case re-matched after a withdrawal), never below 0."""
        return self.offer.core_days_after(self.earlier_days_logged)

    @property
    def claim_cap_days(self) -> Decimal:
        return self.core_days + self.approved_extension_days

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def delay_clear(self) -> None:
        """A reported delay ends with the system leader's next step or section save."""
        self.delay_reported_on = None
        self.delay_reason = ""
        self.delay_expected_resume_on = None

    # Transitions: the bodies set fields only; services validate, save and notify.

    @transition(
        field=state,
        source=State.ISSUED,
        target=State.ENGAGED,
        permission=rules_permission("deployments.lead_deployment"),
        conditions=[not_paused],
        custom={"label": "Record the initial meeting"},
    )
    def initial_meeting_arranged(self, *, meeting_on):
        self.meeting_on = meeting_on
        self.delay_clear()

    @transition(
        field=state,
        source=State.ENGAGED,
        target=State.DELIVERY,
        permission=rules_permission("deployments.lead_deployment"),
        conditions=[not_paused, scope_completed],
        custom={"label": "Scoping done: start delivery"},
    )
    def scoping_done(self):
        self.delay_clear()

    @transition(
        field=state,
        source=State.DELIVERY,
        target=State.SCHOOL_SIGN_OFF,
        permission=rules_permission("deployments.lead_deployment"),
        conditions=[not_paused, sign_off_sections_completed],
        custom={"label": "Send to the school to sign off"},
    )
    def send_for_sign_off(self, *, today):
        self.sent_for_sign_off_on = today
        self.delay_clear()
        # Sections 1-6 and the declaration are complete now; the school's
        # confirmation stays reopened until the school signs again.
        self.reopened_sections = [k for k in self.reopened_sections if k == "school_confirmation"]

    @transition(
        field=state,
        source=State.SCHOOL_SIGN_OFF,
        target=State.SIGNED,
        permission=rules_permission("deployments.sign_off_deployment"),
        conditions=[not_paused, school_confirmation_completed],
        custom={"label": "Sign off the deployment"},
    )
    def school_signs_off(self, *, today):
        self.school_signed_on = today

    @transition(
        field=state,
        source=State.SIGNED,
        target=State.SUBMITTED,
        permission=rules_permission("deployments.lead_deployment"),
        conditions=[not_paused, both_signed],
        custom={"label": "Submit to the RDP"},
    )
    def submit(self, *, today):
        self.submitted_on = today
        self.delay_clear()

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.DELIVERY,
        permission=rules_permission("deployments.review_deployment"),
        conditions=[not_paused],
        custom={"label": "Return to the system leader"},
    )
    def rdp_returns(self, *, comments, sections):
        self.return_comments = comments
        # A returned form is signed again by the school and the system leader.
        self.reopened_sections = list(dict.fromkeys([*sections, *RESIGNED_SECTIONS]))
        self.sent_for_sign_off_on = None
        self.school_signed_on = None
        self.submitted_on = None

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.ACCEPTED,
        permission=rules_permission("deployments.review_deployment"),
        conditions=[not_paused],
        custom={"label": "Accept the deployment form"},
    )
    def rdp_accepts(self, *, today, by):
        self.accepted_on = today
        self.accepted_by = by

    @transition(
        field=state,
        source=State.ACCEPTED,
        target=State.CLOSED,
        permission=rules_permission("deployments.review_deployment"),
        conditions=[not_paused],
        custom={"label": "Record the end-of-deployment call"},
    )
    def end_call_held(self, *, held_on, school_experience, future_plans, issues):
        self.end_call_held_on = held_on
        self.school_experience = school_experience
        self.future_plans = future_plans
        self.end_call_issues = issues
        self.closed_on = held_on

    @transition(
        field=state,
        source=list(OPEN_STATES),
        target=State.WITHDRAWN,
        permission=rules_permission("deployments.manage_deployment"),
        custom={"label": "Withdraw the deployment"},
    )
    def withdraw(self, *, reason):
        self.withdrawn_reason = reason
        self.paused_at = None

    @transition(
        field=state,
        source=list(LEADER_WITHDRAW_STATES),
        target=State.WITHDRAWN,
        permission=rules_permission("deployments.system_leader_withdraw_deployment"),
        conditions=[not_paused],
        custom={"label": "Withdraw from this deployment"},
    )
    def system_leader_withdraws(self, *, reason):
        self.withdrawn_reason = reason
        self.delay_clear()


class DeploymentSection(models.Model):
    """The saved values of one section of the deployment form (not bank
    details, which live encrypted in `BankDetails`)."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=32, choices=[(k, k) for k in SECTION_KEYS])
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["deployment", "key"]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "key"], name="one_section_per_key"),
            models.CheckConstraint(
                condition=~Q(key="bank_details"), name="bank_details_not_in_sections"
            ),
        ]

    def __str__(self):
        return f"{self.deployment} {self.key}"


class BankAccount(models.Model):
    """An account to pay, encrypted at rest (Fernet, keys from
    BANK_DETAILS_KEYS). No history table on purpose: old numbers must not
    linger in plain sight. `fingerprint` is a keyed hash of sort code and
    account number, for spotting the same account twice without decrypting.
    A system leader's (`BankDetails`) and a partner trust's
    (`GrantBankDetails`) share it."""

    account_name = models.CharField(max_length=140, blank=True)
    sort_code_encrypted = models.TextField(blank=True)
    account_number_encrypted = models.TextField(blank=True)
    sort_code_last2 = models.CharField(max_length=2, blank=True)
    account_number_last4 = models.CharField(max_length=4, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def sort_code_masked(self) -> str:
        return f"**-**-{self.sort_code_last2}" if self.sort_code_last2 else ""

    @property
    def account_number_masked(self) -> str:
        return f"****{self.account_number_last4}" if self.account_number_last4 else ""


class BankDetails(BankAccount):
    """Section 5: the system leader's account."""

    deployment = models.OneToOneField(
        Deployment, on_delete=models.CASCADE, related_name="bank_details"
    )

    class Meta:
        verbose_name_plural = "bank details"

    def __str__(self):
        return f"Bank details of {self.deployment}"


class Activity(models.Model):
    """One line of the activity log: what was done, on which day, by whom and
    how (guidance section 10: face to face, or remote where that is more valuable)."""

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        REMOTE = "remote", "Remote"

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField()
    days = models.DecimalField(max_digits=4, decimal_places=1)
    description = models.TextField()
    delivered_by = models.CharField(
        max_length=255, help_text="The system leader, or the named colleague who delivered it"
    )
    by_colleague = models.BooleanField(default=False)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.FACE_TO_FACE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="activity_days_positive"),
        ]

    def __str__(self):
        return f"{self.date}: {self.days} days"


class EnhancedRequest(WorkflowRecord):
    """The enhanced strand (guidance section 5): one of an extension of up to
    the offer's maximum days, a funded trust partnership, or an unfunded
    partnership (recorded only). States are the contract's "Enhanced support"."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", "Extension days"
        FUNDED_PARTNERSHIP = "funded_partnership", "Funded trust partnership"
        UNFUNDED_PARTNERSHIP = "unfunded_partnership", "Unfunded trust partnership"

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        WITH_DFE = "with_dfe", "With DfE"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        RECORDED = "recorded", "Recorded"

    PENDING_STATES = (State.REQUESTED, State.WITH_DFE)
    # A request pending or approved blocks another; a recorded unfunded
    # partnership never does (contract: "never blocks another request").
    BLOCKING_STATES = (State.REQUESTED, State.WITH_DFE, State.APPROVED)
    # An extension is asked for during delivery, before the form goes to the
    # school (guidance section 5: "towards the end of their 10-day deployment").
    EXTENSION_STATES = ("engaged", "delivery")

    deployment = models.ForeignKey(
        Deployment, on_delete=models.PROTECT, related_name="enhanced_requests"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    state = FSMField(default=State.REQUESTED, choices=State.choices, protected=False)
    days = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    context = models.TextField(blank=True)
    benefit = models.TextField(blank=True)
    school_agrees = models.BooleanField(null=True, blank=True)
    suggested_trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tell_regions_group = models.BooleanField(default=False)
    completion_date = models.DateField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    copy_to = models.EmailField(blank=True, help_text="Diocese or LA copied on the decision")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    timeline_events = GenericRelation("portal.TimelineEvent", related_query_name="enhanced_request")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="extension") | Q(days__gt=0),
                name="enhanced_extension_has_days",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.deployment}"

    @property
    def region_id(self):
        return self.deployment.region_id

    @property
    def is_funded_partnership(self) -> bool:
        return self.kind == self.Kind.FUNDED_PARTNERSHIP

    @transition(
        field=state,
        source=State.REQUESTED,
        target=State.WITH_DFE,
        permission=rules_permission("deployments.forward_enhanced_request"),
        custom={"label": "Quality-assured: forward to DfE"},
    )
    def rdp_forwards(self):
        pass

    @transition(
        field=state,
        source=State.WITH_DFE,
        target=State.APPROVED,
        permission=rules_permission("deployments.decide_enhanced_request"),
        custom={"label": "Approve"},
    )
    def dfe_approves(self, *, by, today, completion_date, summary):
        self.decided_by = by
        self.decided_on = today
        self.completion_date = completion_date
        self.summary = summary

    @transition(
        field=state,
        source=State.WITH_DFE,
        target=State.DECLINED,
        permission=rules_permission("deployments.decide_enhanced_request"),
        custom={"label": "Decline"},
    )
    def dfe_declines(self, *, by, today, rationale):
        self.decided_by = by
        self.decided_on = today
        self.rationale = rationale


class CaseStudy(models.Model):
    """An optional case study in the guidance's shape."""

    deployment = models.OneToOneField(
        Deployment, on_delete=models.CASCADE, related_name="case_study"
    )
    title = models.CharField(max_length=255)
    context = models.TextField()
    support_carried_out = models.TextField()
    impact = models.TextField()
    next_steps = models.TextField()
    focus_areas = models.JSONField(default=list, blank=True)
    phase = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "case studies"

    def __str__(self):
        return self.title


# The workflows' tables (states, deadlines, queues, e-mails), registered with the kernel.
# A funded partnership's grant, its instalments and the partner trust's account.
from deployments.delivery.grant_models import (  # noqa: E402, F401
    GrantBankDetails,
    GrantInstalment,
    PartnershipGrant,
)
from deployments.delivery.workflows import DEPLOYMENT_WORKFLOW, ENHANCED_WORKFLOW  # noqa: E402, F401
