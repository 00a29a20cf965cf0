"""{% load govuk_fields %}{% govuk_field form.name %}: a text input or select field rendered
by GOV.UK's own macros through the shared environment (portal/govuk_render.py)."""

from django import template

from portal.govuk_render import render_field

register = template.Library()
register.simple_tag(render_field, name="govuk_field")
