"""The schools register: regions, local authorities, trusts, schools, links and
Ofsted inspections, as published by GIAS and Ofsted."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from schools.fields import CodeField
from schools.judgements import judgement_level

urn_validator = RegexValidator(r"^\d{6}$", "A URN is 6 digits.")


class Region(models.Model):
    """One of the 9 English regions (GIAS "GOR (name)")."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LocalAuthority(models.Model):
    code = models.CharField(max_length=3, unique=True, help_text="GIAS LA (code), 3 digits")
    name = models.CharField(max_length=128)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name


class Trust(models.Model):
    class Kind(models.TextChoices):
        MULTI_ACADEMY = "multi_academy", "Multi-academy trust"
        SINGLE_ACADEMY = "single_academy", "Single-academy trust"
        OTHER = "other", "Other group"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PROPOSED = "proposed", "Proposed to open"

    uid = models.CharField("Group UID", max_length=10, unique=True)
    group_id = models.CharField("Group ID", max_length=20, blank=True)
    name = models.CharField(max_length=255)
    companies_house_number = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MULTI_ACADEMY)
    group_type = models.CharField(
        max_length=64, blank=True, help_text="GIAS Group Type as published"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    street = models.CharField(max_length=255, blank=True)
    locality = models.CharField(max_length=255, blank=True)
    address3 = models.CharField(max_length=255, blank=True)
    town = models.CharField(max_length=128, blank=True)
    county = models.CharField(max_length=128, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    head_of_group = models.CharField(max_length=255, blank=True)
    ukprn = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name


class School(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        OPEN_PROPOSED_TO_CLOSE = "open_proposed_to_close", "Open, but proposed to close"
        PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"

    OPEN_STATUSES = (Status.OPEN, Status.OPEN_PROPOSED_TO_CLOSE)

    # URN, LAESTAB and postcode are indexed in Meta, not with unique=True or
    # db_index=True, which on PostgreSQL add a second, LIKE-pattern index per field:
    # URN and LAESTAB are matched exactly, and the postcode (matched exactly or by
    # its outward code) needs only the pattern index. Every index costs imports.
    urn = CodeField("URN", max_length=6, validators=[urn_validator])
    laestab = CodeField("LAESTAB", max_length=7, blank=True)
    name = models.CharField(max_length=255)
    type_code = models.CharField(max_length=4, blank=True)
    type_name = models.CharField("type of establishment", max_length=128, blank=True)
    type_group = models.CharField("establishment type group", max_length=128, blank=True)
    status = CodeField(max_length=32, choices=Status.choices, default=Status.OPEN)
    phase = models.CharField(max_length=64, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    religious_character = models.CharField(max_length=128, blank=True)
    diocese = models.CharField(max_length=128, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    percentage_fsm = models.DecimalField(
        "% FSM", max_digits=5, decimal_places=2, null=True, blank=True
    )
    street = models.CharField(max_length=255, blank=True)
    locality = models.CharField(max_length=255, blank=True)
    address3 = models.CharField(max_length=255, blank=True)
    town = models.CharField(max_length=128, blank=True)
    county = models.CharField(max_length=128, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    headteacher = models.CharField(max_length=255, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    open_reason = models.CharField(max_length=128, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=128, blank=True)
    # Both foreign keys lead a composite (…, status) index below, which serves their
    # lookups, so they skip the single-column index Django would add.
    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools",
        db_index=False,
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools",
        db_index=False,
    )
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools"
    )
    trust_joined_on = models.DateField(null=True, blank=True)
    # GIAS "Easting" and "Northing": British National Grid metres, for the
    # straight-line distance between a system leader's base and a school.
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["local_authority", "status"]),
            models.Index(fields=["name"]),
            models.Index(fields=["laestab"], name="school_laestab"),
            models.Index(
                fields=["postcode"],
                name="school_postcode_pattern",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["urn"], name="school_urn_unique"),
            models.CheckConstraint(
                condition=Q(statutory_low_age__isnull=True)
                | Q(statutory_high_age__isnull=True)
                | Q(statutory_low_age__lte=models.F("statutory_high_age")),
                name="school_age_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.urn})"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class SchoolLink(models.Model):
    """A GIAS link between two establishments, kept by URN because the other end
    may be closed, Welsh or absent from a partial extract."""

    class Kind(models.TextChoices):
        PREDECESSOR = "predecessor", "Predecessor"
        SUCCESSOR = "successor", "Successor"
        AMALGAMATED = "amalgamated", "Amalgamated"
        MERGED = "merged", "Merged"
        OTHER = "other", "Other"

    urn = models.CharField("URN", max_length=6, db_index=True)
    linked_urn = models.CharField("linked URN", max_length=6, db_index=True)
    linked_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    link_type = models.CharField(max_length=64, help_text="GIAS LinkType as published")
    established_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["urn", "linked_urn", "link_type"], name="unique_school_link"
            ),
        ]

    def __str__(self):
        return f"{self.urn} {self.link_type} {self.linked_urn}"


class OfstedInspection(models.Model):
    """One Ofsted inspection. Judgements belong to the school by URN; `urn_at_time`
    records the predecessor's URN when the inspection was of a predecessor."""

    class Kind(models.TextChoices):
        GRADED = "graded", "Graded"
        UNGRADED = "ungraded", "Ungraded"
        MONITORING = "monitoring", "Monitoring"
        REPORT_CARD = "report_card", "Report card"

    class Grade(models.IntegerChoices):
        OUTSTANDING = 1, "Outstanding"
        GOOD = 2, "Good"
        REQUIRES_IMPROVEMENT = 3, "Requires improvement"
        INADEQUATE = 4, "Inadequate"

    class Concern(models.TextChoices):
        NONE = "", "None"
        SPECIAL_MEASURES = "SM", "Special measures"
        SERIOUS_WEAKNESSES = "SWK", "Serious weaknesses"

    class ReportCardGrade(models.TextChoices):
        EXCEPTIONAL = "exceptional", "Exceptional"
        STRONG = "strong", "Strong standard"
        EXPECTED = "expected", "Expected standard"
        NEEDS_ATTENTION = "needs_attention", "Needs attention"
        URGENT = "urgent", "Urgent improvement"

    class Source(models.TextChoices):
        JUDGEMENT = "judgement", "Published judgement"
        INFERRED = "inferred", "Inferred from a later inspection type"
        SEED = "seed", "Demo data"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="inspections")
    inspection_number = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    inspection_type = models.CharField(max_length=128, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    overall_effectiveness = models.PositiveSmallIntegerField(
        choices=Grade.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    category_of_concern = models.CharField(
        max_length=3, choices=Concern.choices, blank=True, default=""
    )
    quality_of_education = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True
    )
    behaviour_and_attitudes = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True
    )
    personal_development = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True
    )
    leadership_and_management = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True
    )
    early_years = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    sixth_form = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    safeguarding_effective = models.BooleanField(null=True, blank=True)
    ungraded_outcome = models.CharField(max_length=128, blank=True)
    urn_at_time = models.CharField(
        "URN at time of inspection",
        max_length=6,
        blank=True,
        help_text="Set when the inspection was of a predecessor establishment",
    )
    # Report-card areas (from November 2025), on the five-point scale.
    rc_inclusion = models.CharField(max_length=16, choices=ReportCardGrade.choices, blank=True)
    rc_curriculum_and_teaching = models.CharField(
        max_length=16, choices=ReportCardGrade.choices, blank=True
    )
    rc_achievement = models.CharField(max_length=16, choices=ReportCardGrade.choices, blank=True)
    rc_attendance_and_behaviour = models.CharField(
        max_length=16, choices=ReportCardGrade.choices, blank=True
    )
    rc_personal_development = models.CharField(
        max_length=16, choices=ReportCardGrade.choices, blank=True
    )
    rc_early_years = models.CharField(max_length=16, choices=ReportCardGrade.choices, blank=True)
    rc_post_16 = models.CharField(max_length=16, choices=ReportCardGrade.choices, blank=True)
    rc_leadership_and_governance = models.CharField(
        max_length=16, choices=ReportCardGrade.choices, blank=True
    )
    rc_safeguarding_met = models.BooleanField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.JUDGEMENT)
    # 1 (best) to 4, or null: the rule in schools.judgements, kept by the database.
    judgement_level = models.GeneratedField(
        expression=judgement_level(Kind, Concern, ReportCardGrade),
        output_field=models.PositiveSmallIntegerField(null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["school", "start_date"]),
            models.Index(fields=["kind", "start_date"]),
            # The forecast's "latest judgement below Good" (levels 3 and 4) by date.
            models.Index(fields=["judgement_level", "start_date"], name="inspection_level_date"),
            # ... and by the date its report was published (the forecast's window
            # reads COALESCE(publication_date, end_date, start_date)).
            models.Index(
                "judgement_level",
                Coalesce("publication_date", "end_date", "start_date"),
                name="inspection_level_judged_on",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="inspection_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(overall_effectiveness__isnull=True)
                | Q(overall_effectiveness__gte=1, overall_effectiveness__lte=4),
                name="inspection_grade_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.inspection_number} {self.start_date}"

    @property
    def is_predecessor_inspection(self):
        return bool(self.urn_at_time) and self.urn_at_time != self.school.urn
