"""One shared, cached Jinja environment for govuk-frontend-django's components.

Upstream defect (govuk-frontend-django 0.22.0, `components/base.py`,
`GovUKComponent.render`): every call builds a new jinja2 `Environment` and
compiles the component's macro template again, 5-8 ms a component and 20-30
components a page (header, footer, tags, summary lists ...). `install()`, called
from `PortalConfig.ready()`, replaces that method with `render_component`: one
environment per process, each component's template compiled once, and the data
prepared exactly as upstream does, so the HTML is byte-identical
(tests/portal/test_govuk_render.py). Drop this module when upstream caches its
environment.
"""

from functools import cache
from typing import Any

from django.utils.safestring import mark_safe
from govuk_frontend_django.components.base import GovUKComponent
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

# The library's own loader and autoescaping; `auto_reload=False` because the
# package's templates never change while the process runs.
ENVIRONMENT = Environment(
    loader=ChoiceLoader(
        [PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
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


def render_component(
    self: GovUKComponent, template_name=None, context=None, renderer=None, component_data=None
):
    """`GovUKComponent.render` with the shared environment (same signature and data)."""
    template = component_template(self.build_jinja_template())
    data = self.__dict__.copy()
    if component_data:
        data.update(component_data)
    _drop_none(data)
    return mark_safe(template.render(data=data))


def install() -> None:
    """Patch the component base class; `__str__`/`__html__` are aliases, so patch them too."""
    GovUKComponent.render = render_component
    GovUKComponent.__str__ = render_component
    GovUKComponent.__html__ = render_component
