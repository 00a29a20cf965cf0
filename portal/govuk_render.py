"""One shared, cached Jinja environment for govuk-frontend-django's components, GOV.UK
filter fields (`render_field`, `{% govuk_field %}`) and the few rows a list page repeats
50 times (templates/jinja/, `{% jinja_include %}`).

Upstream defect (govuk-frontend-django 0.22.0, `components/base.py`,
`GovUKComponent.render`): every call builds a new jinja2 `Environment` and
compiles the component's macro template again, 5-8 ms a component and 20-30
components a page (header, footer, tags, summary lists ...). `install()`, called
from `PortalConfig.ready()`, replaces that method with `render_component`: one
environment per process, each component's template compiled once, and the data
prepared exactly as upstream does, so the HTML is byte-identical
(tests/portal/test_govuk_render.py). Drop `install()` when upstream caches its
environment.

`render_field` renders a Django form field (text input or select) with GOV.UK's own
`govukInput` / `govukSelect` macros through the same environment: the filter forms on
list pages, where crispy-forms-gds renders each field and each option through nested
Django templates (about 1 ms a field at England scale; 0.1 ms this way).

Both remember the HTML they rendered for the same template and data (`_render_cached`,
least recently used first out, 512 entries): the header, footer, phase banner, tags and
default filter fields come out the same on most requests. The key keeps safe HTML apart
from plain text of the same characters, so escaping never depends on what was cached.

`render_template` renders templates/jinja/ templates: the school, trust and eligibility rows,
where Django's template engine spent about 150 microseconds a row (30 this way); each
is tested to show what the Django rows showed (tests/schools/test_school_rows.py).
"""

import threading
from collections import OrderedDict
from functools import cache
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from govuk_frontend_django.components.base import GovUKComponent
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    select_autoescape,
)

# What reverse() leaves unquoted in a path (django.urls.resolvers: RFC 3986 sub-delimiters).
URL_SAFE = "!$&'()*+,;=/~:@"
# Month abbreviations as Django's "M" date format gives them in English.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The library's own loader and autoescaping, then our few Jinja templates (templates/jinja/,
# for rows repeated 50 times a page); `auto_reload=False`: templates never change while
# the process runs.
ENVIRONMENT = Environment(
    loader=ChoiceLoader(
        [
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            FileSystemLoader(settings.BASE_DIR / "templates" / "jinja"),
        ]
    ),
    autoescape=select_autoescape(),
    auto_reload=False,
)

# The library's method, kept for the equivalence tests.
LIBRARY_RENDER = GovUKComponent.render


@cache
def component_template(source: str):
    """The compiled "import the macro and call it" template, once per component.

    `source` is upstream's own `build_jinja_template()`, so the two cannot drift."""
    return ENVIRONMENT.from_string(source)


def _drop_none(value: Any) -> None:
    """Remove None-valued keys at every level, in place, as upstream's `clean_data` does."""
    if isinstance(value, list):
        for item in value:
            _drop_none(item)
    elif isinstance(value, dict):
        for key, item in list(value.items()):
            if item is None:
                del value[key]
            elif isinstance(item, (dict, list)):
                _drop_none(item)


def _frozen(value: Any):
    """A hashable, type-exact image of component data, for the rendered-HTML cache.
    Safe HTML (anything with `__html__`) stays apart from plain text of the same
    characters, which the macros escape; anything else unexpected is a TypeError (not
    cached)."""
    if hasattr(value, "__html__"):
        return ("html", str(value.__html__()))
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ("dict", tuple(sorted((key, _frozen(item)) for key, item in value.items())))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_frozen(item) for item in value))
    if value is None or isinstance(value, (bool, int, float)):
        return (type(value).__name__, value)
    raise TypeError(f"not cached: {type(value)}")


RENDERED_MAX = 512
_rendered: OrderedDict = OrderedDict()
_rendered_lock = threading.Lock()


def _render_cached(template, source: str, data: dict) -> str:
    """`template.render(data=data)`, remembered for the same template and data: the
    header, footer, tags and filter fields are the same on most requests, and the
    macros cost about 0.3 ms a component and 1 ms a select. Least recently used
    entries go first (the navigation's sign-out form has a new CSRF token each time)."""
    try:
        key = (source, _frozen(data))
    except TypeError:
        return template.render(data=data)
    with _rendered_lock:
        html = _rendered.get(key)
        if html is not None:
            _rendered.move_to_end(key)
            return html
    html = template.render(data=data)
    with _rendered_lock:
        _rendered[key] = html
        if len(_rendered) > RENDERED_MAX:
            _rendered.popitem(last=False)
    return html


def render_component(
    self: GovUKComponent, template_name=None, context=None, renderer=None, component_data=None
):
    """`GovUKComponent.render` with the shared environment (same signature and data)."""
    source = self.build_jinja_template()
    data = self.__dict__.copy()
    if component_data:
        data.update(component_data)
    _drop_none(data)
    return mark_safe(_render_cached(component_template(source), source, data))


def install() -> None:
    """Patch the component base class; `__str__`/`__html__` are aliases, so patch them too."""
    GovUKComponent.render = render_component
    GovUKComponent.__str__ = render_component
    GovUKComponent.__html__ = render_component


FIELD_MACROS = {
    "select": ("govuk_frontend_jinja/components/select/macro.html", "govukSelect"),
    "input": ("govuk_frontend_jinja/components/input/macro.html", "govukInput"),
    "checkboxes": ("govuk_frontend_jinja/components/checkboxes/macro.html", "govukCheckboxes"),
}
# Widget attributes govukInput takes as parameters; the rest go into `attributes`.
INPUT_PARAMS = {"autocomplete": "autocomplete", "inputmode": "inputmode"}


def _macro_call(template: str, macro: str) -> str:
    return f"{{%- from '{template}' import {macro} -%}}{{{{ {macro}(data) }}}}"


def field_data(bound_field: forms.BoundField) -> tuple[str, dict]:
    """The GOV.UK macro and its parameters for a text input, select or single
    checkbox (a BooleanField: one item, labelled by the field's label)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkboxes", _checkbox_data(bound_field)
    data: dict[str, Any] = {
        "id": bound_field.id_for_label,
        "name": bound_field.html_name,
        "label": {"text": str(bound_field.label)},
    }
    if bound_field.help_text:
        data["hint"] = {"text": str(bound_field.help_text)}
    if bound_field.errors:
        data["errorMessage"] = {"text": " ".join(str(e) for e in bound_field.errors)}
    value = bound_field.value()
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        current = "" if value is None else str(value)
        data["items"] = [
            {"value": str(choice), "text": str(label), "selected": str(choice) == current}
            for choice, label in _choices(bound_field.field)
        ]
        return "select", data
    if not isinstance(widget, forms.TextInput):
        raise TypeError(
            f"render_field renders text inputs, selects and checkboxes, not {type(widget)}"
        )
    data["value"] = "" if value is None else str(value)
    attributes = {}
    for key, item in {**widget.attrs, **bound_field.field.widget_attrs(widget)}.items():
        if key in INPUT_PARAMS:
            data[INPUT_PARAMS[key]] = item
        elif key == "spellcheck":
            data["spellcheck"] = item not in (False, "false")
        else:
            attributes[key] = item
    if widget.input_type != "text":
        data["type"] = widget.input_type
    data["attributes"] = attributes
    return "input", data


def _checkbox_data(bound_field: forms.BoundField) -> dict:
    field_id = bound_field.id_for_label
    data: dict[str, Any] = {
        "idPrefix": field_id,
        "name": bound_field.html_name,
        "items": [
            {
                "id": field_id,
                "value": "on",
                "text": str(bound_field.label),
                "checked": bool(bound_field.value()),
            }
        ],
    }
    if bound_field.help_text:
        data["hint"] = {"text": str(bound_field.help_text)}
    if bound_field.errors:
        data["errorMessage"] = {"text": " ".join(str(e) for e in bound_field.errors)}
    return data


def _choices(field: forms.Field) -> list[tuple[Any, Any]]:
    """A field's choices. A model choice field's from one plain query: its own iterator
    uses `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor (DECLARE,
    FETCH, CLOSE: three round trips for nine regions)."""
    if not isinstance(field, forms.ModelChoiceField):
        return list(field.choices)
    choices = [] if field.empty_label is None else [("", field.empty_label)]
    null_label = getattr(field, "null_label", None)  # django-filter's "none" option
    if null_label is not None:
        choices.append((field.null_value, null_label))
    choices += [
        (field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset
    ]
    return choices


def render_field(bound_field: forms.BoundField):
    """A text input, select or checkbox field as GOV.UK markup, from GOV.UK's own macros."""
    kind, data = field_data(bound_field)
    source = _macro_call(*FIELD_MACROS[kind])
    return mark_safe(_render_cached(component_template(source), source, data))


@cache
def _url_around(name: str, placeholder: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[placeholder]).rpartition(placeholder)
    return head, tail


def url_with(name: str, value: str, placeholder: str) -> str:
    """reverse(name, args=[value]) for one-argument URLs, reversed once per process with
    `placeholder` (a value the URL pattern accepts) and filled in for each row."""
    head, tail = _url_around(name, placeholder)
    return f"{head}{quote(str(value), safe=URL_SAFE)}{tail}"


def short_date(value) -> str:
    """Django's "j M Y": 5 Sep 2024."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def intcomma(value) -> str:
    return f"{value:,}"


def render_template(name: str, **context):
    """A template under templates/jinja/, rendered by the shared environment."""
    return mark_safe(ENVIRONMENT.get_template(name).render(**context))


def register_globals(**helpers) -> None:
    """Make an app's helpers callable from templates/jinja/ (an app calls this from its
    AppConfig.ready(), so the kernel imports no app)."""
    ENVIRONMENT.globals.update(**helpers)


def _install_helpers() -> None:
    from portal.templatetags.portal_tags import judgement_tag

    register_globals(url_with=url_with, judgement_tag=judgement_tag)
    ENVIRONMENT.filters.update(short_date=short_date, intcomma=intcomma)


_install_helpers()
