"""The judgement level: how any Ofsted inspection compares with another, written
once. The database stores it on every inspection (`OfstedInspection.judgement_level`,
a generated column), so the outcomes and the forecast read a column instead of
re-planning the rule in every subquery."""

from collections.abc import Iterable

from django.db.models import Case, F, IntegerField, Q, Value, When

# The inspection's graded judgements and report-card areas, with the words pages
# show: the one list the model's columns, the pages and the API read.
SUB_JUDGEMENTS = (
    ("quality_of_education", "Quality of education"),
    ("behaviour_and_attitudes", "Behaviour and attitudes"),
    ("personal_development", "Personal development"),
    ("leadership_and_management", "Leadership and management"),
    ("early_years", "Early years provision"),
    ("sixth_form", "Sixth form provision"),
)
KEY_JUDGEMENTS = tuple(field for field, _ in SUB_JUDGEMENTS[:4])
REPORT_CARD_AREA_LABELS = (
    ("rc_inclusion", "Inclusion"),
    ("rc_curriculum_and_teaching", "Curriculum and teaching"),
    ("rc_achievement", "Achievement"),
    ("rc_attendance_and_behaviour", "Attendance and behaviour"),
    ("rc_personal_development", "Personal development and well-being"),
    ("rc_early_years", "Early years"),
    ("rc_post_16", "Post-16 provision"),
    ("rc_leadership_and_governance", "Leadership and governance"),
)
REPORT_CARD_AREAS = tuple(field for field, _ in REPORT_CARD_AREA_LABELS)


def _any(fields: Iterable[str], value) -> Q:
    """Any of the fields has the value (a plain OR: it goes into a generated column)."""
    q = Q()
    for name in fields:
        q |= Q(**{name: value})
    return q


def judgement_level(kind, concern, card):
    """How any inspection compares with another: a level from 1 (best) to 4,
    Ofsted's old four-point scale, so a report card can be set beside the graded
    judgement that made a school eligible.

    1. A category of concern (special measures or serious weaknesses) is
       level 4, whatever the inspection's kind.
    2. A graded inspection with an overall effectiveness grade has that grade:
       1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate.
    3. A graded inspection without one ("Not judged", from September 2024) has
       the worst of its four key judgements (quality of education, behaviour and
       attitudes, personal development, leadership and management); safeguarding
       not effective makes it 4.
    4. A report card (from November 2025) has no overall grade: safeguarding not
       met, or any area "Urgent improvement", is 4 (Inadequate's place); any
       area "Needs attention" is 3 (Requires improvement's place); every area
       "Expected standard" or better is 2 (Good's place); every area "Strong
       standard" or "Exceptional" is 1.
    5. An ungraded or monitoring inspection, or one with no grades at all, has
       no level and is not a judgement: it is never the "next inspection".

    The outcome compares the first judgement after the deployment started with
    the one that made the school eligible: a lower level is "improved", the same
    level "same", a higher one "declined".

    (`kind`, `concern` and `card` are OfstedInspection's Kind, Concern and
    ReportCardGrade choices: the model passes them in as it declares its column.)"""
    graded = Q(kind=kind.GRADED)
    report_card = Q(kind=kind.REPORT_CARD)
    graded_no_overall = graded & Q(overall_effectiveness__isnull=True)
    whens = [
        When(
            (graded | report_card) & ~Q(category_of_concern=concern.NONE),
            then=Value(4),
        ),
        When(graded & Q(overall_effectiveness__isnull=False), then=F("overall_effectiveness")),
        When(graded_no_overall & Q(safeguarding_effective=False), then=Value(4)),
    ]
    whens += [
        When(graded_no_overall & _any(KEY_JUDGEMENTS, grade), then=Value(grade))
        for grade in (4, 3, 2, 1)
    ]
    whens += [
        When(
            report_card & (Q(rc_safeguarding_met=False) | _any(REPORT_CARD_AREAS, card.URGENT)),
            then=Value(4),
        ),
        When(report_card & _any(REPORT_CARD_AREAS, card.NEEDS_ATTENTION), then=Value(3)),
        When(report_card & _any(REPORT_CARD_AREAS, card.EXPECTED), then=Value(2)),
        When(
            report_card
            & (_any(REPORT_CARD_AREAS, card.STRONG) | _any(REPORT_CARD_AREAS, card.EXCEPTIONAL)),
            then=Value(1),
        ),
    ]
    return Case(*whens, default=None, output_field=IntegerField())
