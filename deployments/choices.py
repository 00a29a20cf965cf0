"""Vocabularies shared by matching, the deployment form and reports
(guidance section 8 and the API contract's keys)."""

from django.db import models


class FocusArea(models.TextChoices):
    """The 12 focus areas of the deployment form's section 2."""

    TEACHING_LEARNING = "teaching_learning", "Teaching and learning"
    GOVERNANCE_TRUST = "governance_trust", "Governance and trust development"
    BEHAVIOUR = "behaviour", "Behaviour"
    ATTENDANCE = "attendance", "Attendance"
    CURRICULUM_TEACHER_DEVELOPMENT = (
        "curriculum_teacher_development",
        "Curriculum and teacher development",
    )
    LEADERSHIP_MANAGEMENT = "leadership_management", "Leadership and management"
    FINANCIAL_MANAGEMENT = "financial_management", "Financial management"
    WELLBEING_SAFEGUARDING = "wellbeing_safeguarding", "Wellbeing and safeguarding"
    PUPIL_PREMIUM = "pupil_premium", "Pupil premium and disadvantaged pupils"
    WORKLOAD_RECRUITMENT_RETENTION = (
        "workload_recruitment_retention",
        "Workload, recruitment and retention",
    )
    STRUCTURE_CULTURE = "structure_culture", "Structure and culture"
    OTHER = "other", "Other"


class Phase(models.TextChoices):
    """Phases a system leader works in (the contract's keys)."""

    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SIXTEEN_PLUS = "sixteen_plus", "16 plus"
    SPECIAL = "special", "Special"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"


class SupportLevel(models.TextChoices):
    """Deployment form section 2, for a school in a multi-academy trust (the FAQ
    "A trust has asked me to provide school level support..."): support focuses
    on the trust's leadership unless, after discussing the trust's MAT assurance
    framework self-assessment, the leader and the trust leadership agree that the
    trust has a sound trust-wide improvement strategy and school-level support is
    the better use of the days."""

    TRUST = "trust", "Trust-level support"
    SCHOOL = "school", "School-level support"


SUPPORT_LEVEL_HINTS = (
    (SupportLevel.TRUST, "Improve the trust's leadership and school improvement model"),
    (SupportLevel.SCHOOL, "The trust has a sound trust-wide improvement strategy"),
)
