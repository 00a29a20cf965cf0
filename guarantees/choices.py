"""Vocabularies of the guarantees app."""

from django.db import models


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


GAP_RATINGS = (Rating.NOT_MET, Rating.PARTLY_MET)


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"


DECISION_OUTCOMES = [(k, v) for k, v in Outcome.choices if k != Outcome.WITHDRAWN]


class ComplaintState(models.TextChoices):
    AWAITING_CONFIRMATION = (
        "awaiting_confirmation",
        "Waiting for the e-mail address to be confirmed",
    )
    RECEIVED = "received", "Received by the school"
    SCHOOL_RESOLUTION = "school_resolution", "Being resolved by the school"
    GOVERNING_BODY_REVIEW = "governing_body_review", "Review by the governing body"
    SCHOOL_STAGE_EXHAUSTED = "school_stage_exhausted", "School stage finished"
    WITH_OMBUDSMAN = "with_ombudsman", "Referred to the Local Government Ombudsman"
    OMBUDSMAN_RECOMMENDATION = "ombudsman_recommendation", "Ombudsman recommendation made"
    SECRETARY_OF_STATE_DIRECTION = (
        "secretary_of_state_direction",
        "Secretary of State directed the school to comply",
    )
    CLOSED = "closed", "Closed"


GOVERNING_BODY_OR_LATER = (
    ComplaintState.GOVERNING_BODY_REVIEW,
    ComplaintState.SCHOOL_STAGE_EXHAUSTED,
    ComplaintState.WITH_OMBUDSMAN,
    ComplaintState.OMBUDSMAN_RECOMMENDATION,
    ComplaintState.SECRETARY_OF_STATE_DIRECTION,
)
OMBUDSMAN_STAGES = (
    ComplaintState.WITH_OMBUDSMAN,
    ComplaintState.OMBUDSMAN_RECOMMENDATION,
    ComplaintState.SECRETARY_OF_STATE_DIRECTION,
)
