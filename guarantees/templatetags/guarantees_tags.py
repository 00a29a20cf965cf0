import rules
from django import template

from guarantees import selectors

register = template.Library()


@register.inclusion_tag("guarantees/_self_assessment_summary.html", takes_context=True)
def guarantees_self_assessment_summary(context, school):
    """The school page's Guarantees box: the latest submitted self-assessment's
    percentage met per ambition, for those who may read it."""
    user = context["request"].user
    if not user.has_perm("guarantees.view_self_assessment", school):
        return {"visible": False}
    assessment = selectors.self_assessment_latest_submitted(school)
    return {
        "visible": True,
        "school": school,
        "assessment": assessment,
        "summary": selectors.self_assessment_summary(assessment) if assessment else [],
        "can_edit": rules.has_perm("guarantees.edit_self_assessment", user, school),
        "current_year": selectors.academic_year_of(),
    }
