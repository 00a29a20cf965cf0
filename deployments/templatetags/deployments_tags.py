"""{% load deployments_tags %}

{% eligibility_summary_for school=school as summary %}   the explanation for a school or trust
{% criterion_tag assessment %}                            the criterion as a GOV.UK tag
{% eligibility_status_tag assessment %}                   eligible / no longer eligible / superseded
"""

from functools import cache

from django import template
from django.utils.html import format_html

from deployments.models import Criterion, EligibilityAssessment
from deployments.selectors import eligibility_summary

register = template.Library()

CRITERION_TAGS = {
    Criterion.RI_RUN: ("A", "govuk-tag--yellow"),
    Criterion.INADEQUATE: ("B", "govuk-tag--red"),
    Criterion.RD_ASSESSMENT: ("C", "govuk-tag--purple"),
    Criterion.EXCEPTION: ("Exception", "govuk-tag--blue"),
}
STATUS_TAGS = {
    EligibilityAssessment.Status.ELIGIBLE: "govuk-tag--green",
    EligibilityAssessment.Status.NO_LONGER_ELIGIBLE: "govuk-tag--grey",
    EligibilityAssessment.Status.SUPERSEDED: "govuk-tag--grey",
}


@register.simple_tag
def eligibility_summary_for(school=None, trust=None, offer=None):
    """The summary for a school or a trust (empty values count as not given)."""
    return eligibility_summary(school=school or None, trust=trust or None, offer=offer or None)


@register.filter
def iso_date(value):
    """An ISO date string from evidence JSON as a date object, for the `date` filter."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.simple_tag
def criterion_tag(assessment):
    return _criterion_html(assessment.criterion)


@register.simple_tag
def eligibility_status_tag(assessment):
    return _status_html(assessment.status)


# A tag's HTML depends on one value only: built once per value, not for each of the
# 50 rows of every list page.
@cache
def _criterion_html(criterion: str):
    text, colour = CRITERION_TAGS.get(criterion, (criterion, ""))
    label = Criterion(criterion).label if criterion in Criterion.values else criterion
    return format_html('<strong class="govuk-tag {}" title="{}">{}</strong>', colour, label, text)


@cache
def _status_html(status: str):
    Status = EligibilityAssessment.Status
    label = Status(status).label if status in Status.values else status
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', STATUS_TAGS.get(status, ""), label
    )
