"""{% load deployments_tags %}

{% eligibility_summary_for school=school as summary %}   the explanation for a school or trust
{% criterion_tag assessment %}                            the criterion as a GOV.UK tag
{% eligibility_status_tag assessment %}                   eligible / no longer eligible / superseded
"""

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
    text, colour = CRITERION_TAGS.get(assessment.criterion, (assessment.criterion, ""))
    return format_html(
        '<strong class="govuk-tag {}" title="{}">{}</strong>',
        colour,
        assessment.get_criterion_display(),
        text,
    )


@register.simple_tag
def eligibility_status_tag(assessment):
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_TAGS.get(assessment.status, ""),
        assessment.get_status_display(),
    )
