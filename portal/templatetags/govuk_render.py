"""Django tags for the shared Jinja environment (portal/govuk_render.py).

{% load govuk_render %}
{% govuk_field form.name %}     a text input or select field from GOV.UK's own macros
{% jinja_include "schools/school_rows.html" schools=schools hide_la=hide_la %}
                                a templates/jinja/ template, for rows repeated on every page
"""

from django import template

from portal.govuk_render import render_field, render_template

register = template.Library()
register.simple_tag(render_field, name="govuk_field")


@register.simple_tag
def jinja_include(name, **context):
    return render_template(name, **context)
