"""Filters of the plain-text e-mail templates (a builtin of the "emails" engine)."""

from django import template

from portal.emails import govuk_date as _govuk_date
from portal.text import money as _money

register = template.Library()


@register.filter
def govuk_date(value) -> str:
    """{{ due_on|govuk_date }}: "7 May 2024", the same helper as the context's."""
    return _govuk_date(value)


@register.filter
def money(value) -> str:
    """{{ amount|money }}: "£10,000.00", as the pages write it (portal.text.money)."""
    return _money(value)
