"""Offer policy per academic year and eligibility for it.

The policy numbers live in `SupportOffer` rows so that next year's offer is
data, not code. Eligibility is recorded in `EligibilityAssessment` rows: the
rule set computes criteria A and B from inspections; C (Regional Director
assessment) and "by exception" come from recorded decisions."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from deployments.eligibility import rule_set_choices
from portal.models import Role, WorkflowRecord
from portal.workflow_spec import Party, Step, WorkflowSpec, workflow_register

PIPELINE_NOT_YET_MATCHED = "Not yet matched"


class SlaStep(models.TextChoices):
    """Process steps with a service-level time in working days (guidance sections 5 and 9)."""

    SCHOOL_CONFIRMATION = "school_confirmation", "School or trust confirms participation"
    SYSTEM_LEADER_CONFIRMATION = (
        "system_leader_confirmation",
        "System leader confirms ability to support",
    )
    PROVIDER_CONFIRMATION = "provider_confirmation", "School confirms the proposed provider"
    REGIONAL_DIRECTOR_APPROVAL = "regional_director_approval", "Regional Director approval"
    DEPLOYMENT_INFORMATION = "deployment_information", "Deployment information issued"
    INITIAL_MEETING = "initial_meeting", "System leader arranges the initial meeting"
    FIRST_VISIT = "first_visit", "First visit and scoping form"
    DELIVERY = "delivery", "System leader delivers the support"
    RDP_EXTENSION_REVIEW = "rdp_extension_review", "RDP reviews an extension request"
    DFE_EXTENSION_DECISION = "dfe_extension_decision", "DfE decides an extension request"
    DEPLOYMENT_FORM_SUBMISSION = "deployment_form_submission", "System leader submits the form"
    RDP_FORM_REVIEW = "rdp_form_review", "RDP reviews the deployment form"
    END_OF_DEPLOYMENT_CALL = "end_of_deployment_call", "End of deployment call"
    CLAIM_REVIEW = "claim_review", "DfE finance reviews a payment claim"


def school_xor_trust(name: str) -> models.CheckConstraint:
    """A record is about exactly one school or exactly one trust."""
    return models.CheckConstraint(
        condition=Q(school__isnull=True, trust__isnull=False)
        | Q(school__isnull=False, trust__isnull=True),
        name=name,
    )


class SupportOffer(models.Model):
    """One academic year's TSI offer (1 September to 31 August)."""

    academic_year = models.CharField(max_length=7, unique=True, help_text='For example "2023/24"')
    starts_on = models.DateField(unique=True, help_text="1 September")
    ends_on = models.DateField(help_text="31 August of the next year")
    core_days = models.PositiveSmallIntegerField(default=10)
    day_rate = models.DecimalField(
        max_digits=8, decimal_places=2, help_text="Per day, including VAT and expenses"
    )
    max_extension_days = models.PositiveSmallIntegerField(default=5)
    extension_window_weeks = models.PositiveSmallIntegerField(
        default=12, help_text="Extension days are delivered within this many weeks"
    )
    partnership_grant = models.DecimalField(
        max_digits=10, decimal_places=2, help_text="Funded trust partnership grant in total"
    )
    partnership_instalments = models.PositiveSmallIntegerField(default=2)
    partnership_months = models.PositiveSmallIntegerField(default=12)
    bank_change_review_days = models.PositiveSmallIntegerField(
        default=14, help_text="Claims flag bank details changed this many days before the claim"
    )
    sla_working_days = models.JSONField(
        default=dict, blank=True, help_text="Working days per process step, keyed by step"
    )
    rule_set = models.CharField(max_length=32, choices=rule_set_choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="offer_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(day_rate__gt=0), name="offer_day_rate_positive"),
            models.CheckConstraint(
                condition=Q(partnership_grant__gte=0), name="offer_grant_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(partnership_instalments__gte=1), name="offer_instalments_at_least_one"
            ),
        ]

    def __str__(self):
        return f"TSI offer {self.academic_year}"

    def core_days_after(self, logged) -> Decimal:
        """The core days a deployment gets when `logged` days were already logged
        on its case's earlier (withdrawn) deployments: the offer's less those,
        never below 0. (`delivery.selectors.committed_days` is the same in SQL.)"""
        return max(Decimal(self.core_days) - (logged or 0), Decimal(0))

    def clean(self):
        errors = {}
        if self.starts_on and (self.starts_on.month, self.starts_on.day) != (9, 1):
            errors["starts_on"] = "An academic year starts on 1 September."
        if self.starts_on and self.ends_on != dt.date(self.starts_on.year + 1, 8, 31):
            errors["ends_on"] = "An academic year ends on 31 August of the next year."
        if self.starts_on and self.academic_year != academic_year_label(self.starts_on.year):
            errors["academic_year"] = (
                f"The label for this year is {academic_year_label(self.starts_on.year)}."
            )
        sla_error = _sla_error(self.sla_working_days)
        if sla_error:
            errors["sla_working_days"] = sla_error
        if errors:
            raise ValidationError(errors)

    @property
    def instalment_amount(self) -> Decimal:
        return (self.partnership_grant / self.partnership_instalments).quantize(Decimal("0.01"))

    @property
    def core_fee(self) -> Decimal:
        return self.day_rate * self.core_days

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def sla_days(self, step: str) -> int | None:
        return (self.sla_working_days or {}).get(step)


def _sla_error(sla) -> str | None:
    """Why `sla_working_days` is unusable, or None. Every step needs a value: a
    step left out would silently give its records no deadline."""
    if not isinstance(sla, dict):
        return "Give the working days as an object keyed by step."
    unknown = set(sla) - set(SlaStep.values)
    if unknown:
        return f"Unknown process steps: {', '.join(sorted(unknown))}."
    missing = [step for step in SlaStep if step.value not in sla]
    if missing:
        return "Give the working days for every step. Missing: " + (
            "; ".join(f"{step.value} ({step.label})" for step in missing) + "."
        )
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in sla.values()):
        return "Each step takes a whole number of working days."
    return None


def academic_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


class Criterion(models.TextChoices):
    RI_RUN = "A", "A: consecutive Requires improvement judgements"
    INADEQUATE = "B", "B: Inadequate judgement"
    RD_ASSESSMENT = "C", "C: Regional Director assessment"
    EXCEPTION = "X", "By exception"


COMPUTED_CRITERIA = (Criterion.RI_RUN, Criterion.INADEQUATE)


class RegionalDirectorAssessment(models.Model):
    """Criterion C: a Regional Director's assessment that a school or trust
    needs immediate support (who, when, why)."""

    offer = models.ForeignKey(SupportOffer, on_delete=models.PROTECT, related_name="rd_assessments")
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("schools.Region", on_delete=models.PROTECT, related_name="+")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField()
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            school_xor_trust("rd_assessment_school_xor_trust"),
        ]

    def __str__(self):
        return f"RD assessment of {self.school or self.trust} ({self.offer.academic_year})"

    @property
    def target(self):
        return self.school or self.trust


class ExceptionRequest(WorkflowRecord):
    """Access "by exception": self-identified or judged by the regional team,
    approved or declined by Regions Group staff of the region.

    Its state is `status` (the API's field name), a plain CharField decided by
    one service, not a django-fsm field: the decision keeps its 400 answer for
    an already decided request, and its table (below) names it `state_field`."""

    class Source(models.TextChoices):
        SELF_IDENTIFIED = "self", "The school or trust asked for help"
        REGIONAL_JUDGEMENT = "regional", "The regional team judges it needs help"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    offer = models.ForeignKey(
        SupportOffer, on_delete=models.PROTECT, related_name="exception_requests"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("schools.Region", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            school_xor_trust("exception_request_school_xor_trust"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="exception_request_decided_at_matches_status",
            ),
        ]

    def __str__(self):
        return f"Exception request for {self.school or self.trust}"

    @property
    def target(self):
        return self.school or self.trust

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


XS = ExceptionRequest.Status
# The exception request's table: Regions Group staff of the region decide; the
# guidance gives the decision no working-day deadline.
EXCEPTION_WORKFLOW = workflow_register(
    ExceptionRequest,
    WorkflowSpec(
        states={
            XS.PENDING: Step(
                actor=Party.REGIONS_STAFF,
                queue_label="Decide the request for support by exception",
            ),
            XS.APPROVED: Step(),
            XS.DECLINED: Step(),
        },
        state_field="status",
        home_sections={Role.REGIONS_STAFF: "Requests for support by exception to decide"},
        home_rows="deployments.selectors.exception_request_home_rows",
    ),
)


class EligibilityAssessmentQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=EligibilityAssessment.Status.SUPERSEDED)

    def eligible(self):
        return self.filter(status=EligibilityAssessment.Status.ELIGIBLE)

    def computed(self):
        return self.filter(criterion__in=COMPUTED_CRITERIA)


class EligibilityAssessment(models.Model):
    """Whether a school or trust is eligible for an offer, by which criterion,
    on what evidence. At most one current (not superseded) row per target,
    offer and criterion; a change of evidence supersedes the row."""

    class Status(models.TextChoices):
        ELIGIBLE = "eligible", "Eligible"
        NO_LONGER_ELIGIBLE = "no_longer", "No longer eligible"
        SUPERSEDED = "superseded", "Superseded"

    offer = models.ForeignKey(SupportOffer, on_delete=models.PROTECT, related_name="assessments")
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="eligibility_assessments",
    )
    trust = models.ForeignKey(
        "schools.Trust",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="eligibility_assessments",
    )
    region = models.ForeignKey(
        "schools.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    criterion = models.CharField(max_length=1, choices=Criterion.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ELIGIBLE)
    run_length = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_inspection_date = models.DateField(null=True, blank=True)
    latest_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    predecessor_used = models.BooleanField(default=False)
    through_trust_ceo = models.BooleanField(
        default=False, help_text="The school is in a multi-academy trust: support through its CEO"
    )
    evidence = models.JSONField(default=dict, blank=True)
    rd_assessment = models.ForeignKey(
        RegionalDirectorAssessment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exception_request = models.ForeignKey(
        ExceptionRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField()
    history = HistoricalRecords()

    objects = EligibilityAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        constraints = [
            school_xor_trust("assessment_school_xor_trust"),
            models.UniqueConstraint(
                fields=["offer", "school", "criterion"],
                condition=~Q(status="superseded") & Q(school__isnull=False),
                name="one_current_assessment_per_school",
            ),
            models.UniqueConstraint(
                fields=["offer", "trust", "criterion"],
                condition=~Q(status="superseded") & Q(trust__isnull=False),
                name="one_current_assessment_per_trust",
            ),
            models.CheckConstraint(
                condition=Q(run_length__isnull=True) | Q(run_length__gte=2),
                name="assessment_run_length_at_least_two",
            ),
        ]
        indexes = [
            models.Index(fields=["offer", "status", "region"]),
            models.Index(fields=["offer", "criterion"]),
        ]

    def __str__(self):
        return f"{self.target} {self.get_criterion_display()} ({self.get_status_display()})"

    @property
    def target(self):
        return self.school or self.trust

    @property
    def run_label(self) -> str:
        return f"{self.run_length}RI" if self.run_length else ""

    @property
    def pipeline_status(self) -> str:
        """Where the target stands in matching for this offer: its latest support
        case's state. Lists annotate `case_state` (selectors.assessment_list); a
        single row asks once."""
        if not hasattr(self, "case_state"):
            from deployments.selectors import latest_case_state

            self.case_state = latest_case_state(self)
        return pipeline_label(self.case_state)


def pipeline_label(case_state: str | None) -> str:
    """The support pipeline's words: not yet matched, or the latest case's state."""
    if not case_state:
        return PIPELINE_NOT_YET_MATCHED
    return f"Support case: {SupportCase.State(case_state).label}"


# Matching and delivery models live in their own modules, registered here.
from deployments.claims.models import Claim, PaymentRun  # noqa: E402, F401
from deployments.delivery.models import Deployment  # noqa: E402, F401
from deployments.leaders.models import SystemLeader  # noqa: E402, F401
from deployments.matching.models import SupportCase  # noqa: E402
from deployments.programmes.models import Programme  # noqa: E402, F401
