"""Pupil and Parent Guarantees (2009 White Paper, Annex F), each school's yearly
self-assessment against them, and the complaints-and-redress workflow (chapter 1,
paragraphs 1.6-1.11; Annex C "School Complaints Service")."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from guarantees.choices import GOVERNING_BODY_OR_LATER, ComplaintState, Outcome, Rating
from portal.models import Role, WorkflowRecord
from portal.workflow import condition, rules_permission
from portal.workflow_spec import Party, Step, WorkflowSpec, workflow_register


class Guarantee(models.Model):
    class Key(models.TextChoices):
        PUPIL = "pupil", "Pupil Guarantee"
        PARENT = "parent", "Parent Guarantee"

    key = models.CharField(max_length=8, choices=Key.choices, unique=True)
    title = models.CharField(max_length=128)
    introduction = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.title


class Ambition(models.Model):
    """One lettered ambition of a Guarantee (pupils a-e, parents a-d)."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="ambitions")
    letter = models.CharField(max_length=1)
    title = models.CharField(max_length=255, help_text="The heading of its section in Annex F")
    statement = models.TextField(help_text="The lettered sentence of the Guarantee")

    class Meta:
        ordering = ["guarantee__position", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["guarantee", "letter"], name="ambition_letter_unique")
        ]

    def __str__(self):
        return f"{self.guarantee.get_key_display()} ({self.letter}): {self.title}"


class Entitlement(models.Model):
    """One bullet of Annex F."""

    class Kind(models.TextChoices):
        ALREADY_EXPECTED = "already_expected", "Schools are already expected to"
        NEW = "new", "New"

    ambition = models.ForeignKey(Ambition, on_delete=models.CASCADE, related_name="entitlements")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(help_text="Order within its ambition")
    phases = models.JSONField(
        default=list,
        blank=True,
        help_text="Phase keys the entitlement applies to; empty means every phase",
    )
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    from_date = models.DateField(null=True, blank=True, help_text="When the text gives one")
    one_to_one_tuition = models.BooleanField(
        default=False,
        help_text="Tuition the local authority may provide: it is drawn in at the first stage",
    )
    focus_area = models.CharField(
        max_length=40, help_text="Deployment focus area key suggested when this is a gap"
    )

    class Meta:
        ordering = ["ambition__guarantee__position", "ambition__letter", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambition", "position"], name="entitlement_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="entitlement_age_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.ambition.guarantee.key} {self.ambition.letter}{self.position}: {self.text}"

    @property
    def phases_display(self) -> str:
        from deployments.choices import Phase

        labels = dict(Phase.choices)
        return ", ".join(labels.get(key, key) for key in self.phases)

    @property
    def reference(self) -> str:
        """A short label such as "Pupil c4"."""
        return f"{self.ambition.guarantee.key.capitalize()} {self.ambition.letter}{self.position}"


class SelfAssessment(models.Model):
    """A school's yearly self-assessment against the Guarantees."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="guarantee_self_assessments"
    )
    year = models.PositiveSmallIntegerField(help_text="The academic year's first calendar year")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    link_governor_name = models.CharField(max_length=255, blank=True)
    link_governor_email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="self_assessment_per_year"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="self_assessment_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"Self-assessment {self.year}/{(self.year + 1) % 100:02d}: {self.school.name}"

    @property
    def academic_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def region_id(self):
        return self.school.region_id


class SelfAssessmentRating(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=16, choices=Rating.choices, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["entitlement"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "entitlement"], name="one_rating_per_entitlement"
            )
        ]

    def __str__(self):
        return f"{self.entitlement.reference}: {self.get_rating_display() or 'not rated'}"


class ComplaintStageSla(models.Model):
    """How many working days each complaint stage has: data, not constants, so
    DfE can change them in the admin."""

    state = models.CharField(max_length=40, choices=ComplaintState.choices, unique=True)
    working_days = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["working_days"]
        verbose_name = "complaint stage deadline"

    def __str__(self):
        return f"{self.get_state_display()}: {self.working_days} working days"


class LocalAuthorityTuitionContact(models.Model):
    """Where a local authority that provides one-to-one tuition hears of a
    complaint about it at the first stage (paragraph 1.9)."""

    local_authority = models.OneToOneField(
        "schools.LocalAuthority", on_delete=models.CASCADE, related_name="tuition_contact"
    )
    email = models.EmailField()

    def __str__(self):
        return f"{self.local_authority}: {self.email}"


# --- complaint workflow conditions ---------------------------------------------------------


@condition(
    "A complaint can be referred to the Local Government Ombudsman only after the school "
    "stage (the governing body's review) is finished."
)
def school_stage_exhausted(complaint) -> bool:
    return complaint.state == ComplaintState.SCHOOL_STAGE_EXHAUSTED


@condition("A complaint can be marked vexatious only at the governing body's review or later.")
def at_governing_body_review_or_later(complaint) -> bool:
    return complaint.state in GOVERNING_BODY_OR_LATER


OPEN_STATES = [
    ComplaintState.RECEIVED,
    ComplaintState.SCHOOL_RESOLUTION,
    ComplaintState.GOVERNING_BODY_REVIEW,
    ComplaintState.SCHOOL_STAGE_EXHAUSTED,
    ComplaintState.WITH_OMBUDSMAN,
    ComplaintState.OMBUDSMAN_RECOMMENDATION,
    ComplaintState.SECRETARY_OF_STATE_DIRECTION,
]


class Complaint(WorkflowRecord):
    """A complaint that a Guarantee entitlement was not met. States: the
    redress route of paragraph 1.8, from the school to a Secretary of State
    direction."""

    class Channel(models.TextChoices):
        ONLINE = "online", "Online form"
        PAPER = "paper", "Received on paper"

    class Relationship(models.TextChoices):
        PARENT = "parent", "Parent"
        CARER = "carer", "Carer"
        PUPIL = "pupil", "Pupil"

    reference = models.CharField(max_length=16, unique=True)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "schools.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entitlements = models.ManyToManyField(Entitlement, related_name="complaints")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    state = FSMField(default=ComplaintState.AWAITING_CONFIRMATION, choices=ComplaintState.choices)
    # Personal data: shown only to the school's contacts and the region's staff;
    # erased on request (complaint_erase_personal_data).
    complainant_name = models.CharField(max_length=255, blank=True)
    complainant_email = models.EmailField(blank=True)
    relationship = models.CharField(max_length=8, choices=Relationship.choices)
    description = models.TextField()
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # One-to-one tuition provided by the local authority (paragraph 1.9).
    concerns_la_tuition = models.BooleanField(default=False)
    local_authority = models.ForeignKey(
        "schools.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    la_notified_at = models.DateTimeField(null=True, blank=True)
    # What each stage recorded.
    school_response = models.TextField(blank=True)
    link_governor_name = models.CharField(max_length=255, blank=True)
    governing_body_response = models.TextField(blank=True)
    ombudsman_reference = models.CharField(max_length=64, blank=True)
    ombudsman_recommendation = models.TextField(blank=True)
    direction_note = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    vexatious = models.BooleanField(default=False)
    vexatious_reason = models.TextField(blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    timeline_events = GenericRelation("portal.TimelineEvent", related_query_name="complaint")
    history = HistoricalRecords()

    PERSONAL_FIELDS = ("complainant_name", "complainant_email", "description")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "state"]), models.Index(fields=["due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(vexatious=False) | ~Q(vexatious_reason=""),
                name="complaint_vexatious_needs_reason",
            ),
        ]

    def __str__(self):
        return f"Complaint {self.reference}"

    # --- transitions: the body sets fields only; services save -----------------------

    @transition(
        field=state,
        source=ComplaintState.AWAITING_CONFIRMATION,
        target=ComplaintState.RECEIVED,
        custom={"label": "Confirm e-mail address"},
    )
    def confirm_email(self, *, at):
        self.email_confirmed_at = at
        self.received_at = at

    @transition(
        field=state,
        source=ComplaintState.RECEIVED,
        target=ComplaintState.SCHOOL_RESOLUTION,
        permission=rules_permission("guarantees.act_for_school_on_complaint"),
        custom={"label": "Acknowledge and start resolving"},
    )
    def acknowledge(self):
        pass

    @transition(
        field=state,
        source=ComplaintState.SCHOOL_RESOLUTION,
        target=ComplaintState.CLOSED,
        permission=rules_permission("guarantees.act_for_school_on_complaint"),
        custom={"label": "Record the school's resolution"},
    )
    def school_resolves(self, *, outcome, response, at):
        self.outcome = outcome
        self.school_response = response
        self.closed_at = at

    @transition(
        field=state,
        source=ComplaintState.SCHOOL_RESOLUTION,
        target=ComplaintState.GOVERNING_BODY_REVIEW,
        permission=rules_permission("guarantees.act_for_school_on_complaint"),
        custom={"label": "Refer to the governing body"},
    )
    def refer_to_governing_body(self, *, response, link_governor_name):
        self.school_response = response
        self.link_governor_name = link_governor_name

    @transition(
        field=state,
        source=ComplaintState.GOVERNING_BODY_REVIEW,
        target=ComplaintState.SCHOOL_STAGE_EXHAUSTED,
        permission=rules_permission("guarantees.act_for_school_on_complaint"),
        custom={"label": "Record the governing body's decision"},
    )
    def governing_body_decides(self, *, outcome, response):
        self.outcome = outcome
        self.governing_body_response = response

    @transition(
        field=state,
        source=OPEN_STATES,
        target=ComplaintState.WITH_OMBUDSMAN,
        permission=rules_permission("guarantees.record_ombudsman_stage"),
        conditions=[school_stage_exhausted],
        custom={"label": "Record the referral to the Local Government Ombudsman"},
    )
    def refer_to_ombudsman(self, *, ombudsman_reference):
        self.ombudsman_reference = ombudsman_reference

    @transition(
        field=state,
        source=ComplaintState.WITH_OMBUDSMAN,
        target=ComplaintState.OMBUDSMAN_RECOMMENDATION,
        permission=rules_permission("guarantees.record_ombudsman_stage"),
        custom={"label": "Record the Ombudsman's recommendation"},
    )
    def ombudsman_recommends(self, *, outcome, recommendation):
        self.outcome = outcome
        self.ombudsman_recommendation = recommendation

    @transition(
        field=state,
        source=ComplaintState.OMBUDSMAN_RECOMMENDATION,
        target=ComplaintState.SECRETARY_OF_STATE_DIRECTION,
        permission=rules_permission("guarantees.record_ombudsman_stage"),
        custom={"label": "Record a Secretary of State direction"},
    )
    def secretary_of_state_directs(self, *, direction):
        self.direction_note = direction

    @transition(
        field=state,
        source=[
            ComplaintState.OMBUDSMAN_RECOMMENDATION,
            ComplaintState.SECRETARY_OF_STATE_DIRECTION,
        ],
        target=ComplaintState.CLOSED,
        permission=rules_permission("guarantees.record_ombudsman_stage"),
        custom={"label": "Record that the school complied"},
    )
    def school_complies(self, *, at):
        self.closed_at = at

    @transition(
        field=state,
        source=ComplaintState.SCHOOL_STAGE_EXHAUSTED,
        target=ComplaintState.CLOSED,
        permission=rules_permission("guarantees.close_complaint"),
        custom={"label": "Close: not taken to the Ombudsman"},
    )
    def close(self, *, at):
        self.closed_at = at

    @transition(
        field=state,
        source=OPEN_STATES,
        target=ComplaintState.CLOSED,
        permission=rules_permission("guarantees.withdraw_complaint"),
        custom={"label": "Record that the complaint was withdrawn"},
    )
    def withdraw(self, *, at):
        self.outcome = Outcome.WITHDRAWN
        self.closed_at = at

    @transition(
        field=state,
        source=OPEN_STATES,
        target=ComplaintState.CLOSED,
        permission=rules_permission("guarantees.mark_complaint_vexatious"),
        conditions=[at_governing_body_review_or_later],
        custom={"label": "Mark as vexatious and close"},
    )
    def mark_vexatious(self, *, reason, at):
        self.vexatious = True
        self.vexatious_reason = reason
        self.outcome = Outcome.NOT_UPHELD
        self.closed_at = at

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def complaint_stage_days(complaint, step: str) -> int | None:
    """A stage's working days: `ComplaintStageSla` rows (DfE edits them in the admin)."""
    sla = ComplaintStageSla.objects.filter(state=step).first()
    return sla.working_days if sla is not None else None


def _stage(actor: Party, state: str, queue_label: str) -> Step:
    return Step(actor=actor, sla_step=state, queue_label=queue_label)


CS = ComplaintState
# The complaint's table (paragraph 1.8): the school's stages are the school's
# contacts' to move on, the Ombudsman's stages Regions Group staff's to record;
# each stage's working days are its `ComplaintStageSla` row. The complainant's
# e-mail on every change goes to an address, not a party: the service sends it.
COMPLAINT_WORKFLOW = workflow_register(
    Complaint,
    WorkflowSpec(
        states={
            CS.AWAITING_CONFIRMATION: Step(),
            CS.RECEIVED: _stage(Party.SCHOOL_CONTACT, CS.RECEIVED, "Acknowledge the complaint"),
            CS.SCHOOL_RESOLUTION: _stage(
                Party.SCHOOL_CONTACT,
                CS.SCHOOL_RESOLUTION,
                "Resolve the complaint or refer it to the governing body",
            ),
            CS.GOVERNING_BODY_REVIEW: _stage(
                Party.SCHOOL_CONTACT,
                CS.GOVERNING_BODY_REVIEW,
                "Record the governing body's decision",
            ),
            CS.SCHOOL_STAGE_EXHAUSTED: _stage(
                Party.REGIONS_STAFF,
                CS.SCHOOL_STAGE_EXHAUSTED,
                "Record a referral to the Ombudsman, or close the complaint",
            ),
            CS.WITH_OMBUDSMAN: _stage(
                Party.REGIONS_STAFF, CS.WITH_OMBUDSMAN, "Record the Ombudsman's recommendation"
            ),
            CS.OMBUDSMAN_RECOMMENDATION: _stage(
                Party.REGIONS_STAFF,
                CS.OMBUDSMAN_RECOMMENDATION,
                "Record that the school complied, or a direction",
            ),
            CS.SECRETARY_OF_STATE_DIRECTION: _stage(
                Party.REGIONS_STAFF,
                CS.SECRETARY_OF_STATE_DIRECTION,
                "Record that the school complied",
            ),
            CS.CLOSED: Step(),
        },
        sla_days=complaint_stage_days,
        email_context="guarantees.services.complaint_email_context",
        overdue_template="complaint_overdue",
        home_sections={
            Role.SCHOOL_CONTACT: "Guarantee complaints to answer",
            Role.REGIONS_STAFF: "Guarantee complaints to follow up",
        },
        home_rows="guarantees.selectors.complaint_home_rows",
        history_labels={
            "submitted": "Complaint sent from the public form",
            "recorded_on_paper": "Complaint received on paper recorded",
            "local_authority_recorded": "Local authority recorded (one-to-one tuition)",
            "personal_data_erased": "Complainant's details erased on request",
        },
    ),
)
