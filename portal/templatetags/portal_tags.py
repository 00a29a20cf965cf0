"""Reusable GOV.UK helpers for list and detail pages.

{% load portal_tags %}
{% pagination page_obj %}               GOV.UK pagination that keeps the query string
{% sortable_header "Name" "name" %}     a <th> whose link sorts by ?sort=name / -name
{% judgement_tag inspection.overall_effectiveness %}   an Ofsted grade as a GOV.UK tag
{% report_card_tag inspection.rc_inclusion %}          a report-card grade as a GOV.UK tag
{% counted result.created "school" "schools" %}        "1 school", "1,234 schools"
{{ claim.amount|money }}                 "£10,000.00" (portal.text.money)
{{ claim.days|days }}                   "10", "2.5" (portal.text.days)
"""

import functools

from django import template
from django.http import QueryDict
from django.utils.html import format_html

from portal.text import counted, days, money

register = template.Library()
register.filter("money", money)
register.filter("days", days)

# Kept here, beside the tag, so the helper is one file to reuse.
PAGINATION_TEMPLATE = """{% if show %}
<nav class="govuk-pagination" aria-label="Pagination">
  {% if previous_href %}<div class="govuk-pagination__prev">
    <a class="govuk-link govuk-pagination__link" href="{{ previous_href }}" rel="prev">
      <svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg"
        height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
        <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>
      <span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span>
    </a></div>{% endif %}
  <ul class="govuk-pagination__list">{% for item in items %}{% if item.ellipsis %}
    <li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>{% else %}
    <li class="govuk-pagination__item{% if item.current %} govuk-pagination__item--current{% endif %}">
      <a class="govuk-link govuk-pagination__link" href="{{ item.href }}" aria-label="Page {{ item.number }}"
        {% if item.current %}aria-current="page"{% endif %}>{{ item.number }}</a></li>{% endif %}{% endfor %}
  </ul>
  {% if next_href %}<div class="govuk-pagination__next">
    <a class="govuk-link govuk-pagination__link" href="{{ next_href }}" rel="next">
      <span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span>
      <svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg"
        height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
        <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>
    </a></div>{% endif %}
</nav>{% endif %}"""  # noqa: E501

GRADE_TAGS = {
    1: ("Outstanding", "govuk-tag--green"),
    2: ("Good", "govuk-tag--turquoise"),
    3: ("Requires improvement", "govuk-tag--yellow"),
    4: ("Inadequate", "govuk-tag--red"),
}
REPORT_CARD_TAGS = {
    "exceptional": ("Exceptional", "govuk-tag--green"),
    "strong": ("Strong standard", "govuk-tag--turquoise"),
    "expected": ("Expected standard", "govuk-tag--blue"),
    "needs_attention": ("Needs attention", "govuk-tag--yellow"),
    "urgent": ("Urgent improvement", "govuk-tag--red"),
}


def _query(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key)."""
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def page_window(number: int, last: int, around: int = 1) -> list[int | None]:
    """Page numbers to show: first, last and `around` either side of the current one;
    None marks a gap (an ellipsis)."""
    shown = sorted(
        {1, last} | {n for n in range(number - around, number + around + 1) if 1 <= n <= last}
    )
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] == 2:
            window.append(n - 1)  # an ellipsis for one page hides nothing worth hiding
        elif window and n - window[-1] > 2:
            window.append(None)
        window.append(n)
    return window


@register.simple_tag(takes_context=True)
def pagination(context, page_obj, param="page"):
    """GOV.UK pagination for a Django Page; links keep the filters and sort."""
    return _pagination_template().render(
        template.Context(pagination_context(context.get("request"), page_obj, param))
    )


@functools.cache
def _pagination_template():
    return template.Engine.get_default().from_string(PAGINATION_TEMPLATE)


def pagination_context(request, page_obj, param="page") -> dict:
    if page_obj is None or page_obj.paginator.num_pages <= 1:
        return {"show": False}
    number, last = page_obj.number, page_obj.paginator.num_pages
    items = [
        {"ellipsis": True}
        if n is None
        else {"number": n, "href": _query(request, **{param: n}), "current": n == number}
        for n in page_window(number, last)
    ]
    return {
        "show": True,
        "items": items,
        "previous_href": _query(request, **{param: number - 1}) if number > 1 else "",
        "next_href": _query(request, **{param: number + 1}) if number < last else "",
    }


@register.simple_tag(takes_context=True)
def sortable_header(context, label, key, param="sort", default="", classes=""):
    """A table header cell that sorts by `key`; a second click reverses the order.

    `default` is the sort the page applies when the query has none (e.g. "name")."""
    request = context.get("request")
    current = (request.GET.get(param) if request is not None else "") or default
    if current == key:
        aria, target = "ascending", f"-{key}"
    elif current == f"-{key}":
        aria, target = "descending", key
    else:
        aria, target = "none", key
    return format_html(
        '<th scope="col" class="govuk-table__header {}" aria-sort="{}">'
        '<a class="govuk-link portal-sort portal-sort--{}" href="{}">{}</a></th>',
        classes,
        aria,
        aria,
        _query(request, **{param: target, "page": None}),
        label,
    )


@register.simple_tag
def judgement_tag(grade, empty="No overall grade"):
    """An Ofsted overall effectiveness grade (1-4, or None) as a GOV.UK tag (built once
    per grade: list pages show one a row)."""
    return _judgement_html(grade, empty)


@functools.cache
def _judgement_html(grade, empty):
    try:
        text, colour = GRADE_TAGS[int(grade)]
    except (TypeError, ValueError, KeyError):
        text, colour = empty, "govuk-tag--grey"
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, text)


@register.simple_tag
def report_card_tag(value):
    """A report-card area grade (five-point scale) as a GOV.UK tag; empty if not graded."""
    if value not in REPORT_CARD_TAGS:
        return ""
    text, colour = REPORT_CARD_TAGS[value]
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, text)


register.simple_tag(counted, name="counted")


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary links to for this field: its first item for a set
    of radios or checkboxes (crispy-forms-gds numbers them from 1), else its own."""
    from django import forms

    if bound_field is None or bound_field == "":
        return ""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    return bound_field.auto_id
