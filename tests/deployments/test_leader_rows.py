"""The system-leader register's rows, rendered by Jinja (templates/jinja/deployments/
leader_rows.html), show exactly what the Django rows they replaced showed."""

import re

import pytest
from django.template import Context, Template

from deployments.leaders.selectors import system_leader_queryset
from portal.govuk_render import render_template
from tests.deployments.factories import DeploymentFactory, SystemLeaderFactory
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db

# The Django rows as they were before the Jinja template (the reference).
DJANGO_ROWS = Template(
    """{% for l in leaders %}
          <tr class="govuk-table__row">
            <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'deployments:leader-detail' l.pk %}">{{ l.user.full_name }}</a><br><span class="govuk-body-s govuk-!-margin-0 portal-secondary">{% if l.kind == "mat_ceo" %}MAT CEO{% else %}NLE{% endif %}</span></td>
            <td class="govuk-table__cell">{% if l.trust %}{{ l.trust.name }}{% elif l.school %}{{ l.school.name }}{% endif %}</td>
            <td class="govuk-table__cell">{% for r in l.regions.all %}{{ r.name }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
            <td class="govuk-table__cell portal-nowrap">{{ l.active_count }} of {{ l.max_concurrent_deployments }} in use</td>
            <td class="govuk-table__cell">{% if not l.available %}<strong class="govuk-tag govuk-tag--grey">Not available</strong>{% elif l.active_count >= l.max_concurrent_deployments %}<strong class="govuk-tag govuk-tag--yellow">At capacity</strong>{% else %}<strong class="govuk-tag govuk-tag--green">Available</strong>{% endif %}</td>
          </tr>
          {% endfor %}"""  # noqa: E501
)


def normalised(html: str) -> str:
    """Whitespace collapsed; an apostrophe as Jinja escapes it (&#39;, Django &#x27;)."""
    return re.sub(r"\s+", " ", html).replace("&#x27;", "&#39;").strip()


def test_the_jinja_rows_show_what_the_django_rows_showed(north_west, london):
    SystemLeaderFactory(
        mat_ceo=True,
        regions=[north_west, london],
        user__full_name="Ann O'Hara <CEO>",
        trust__name="Hope & Glory Trust",
    )
    SystemLeaderFactory(regions=[north_west], available=False, user__full_name="Ned Away")
    full = SystemLeaderFactory(
        regions=[london],
        school=SchoolFactory(name="St Mary's"),
        max_concurrent_deployments=1,
        user__full_name="Fay Full",
    )
    DeploymentFactory(system_leader=full)
    SystemLeaderFactory(regions=[], user__full_name="Nora Nowhere")
    leaders = list(system_leader_queryset(conflicts=False).order_by("user__full_name"))

    django = DJANGO_ROWS.render(Context({"leaders": leaders}))
    jinja = str(render_template("deployments/leader_rows.html", leaders=leaders))

    assert "Ann O&#39;Hara &lt;CEO&gt;" in normalised(jinja)
    assert "Hope &amp; Glory Trust" in jinja and "London, North West" in jinja
    assert "At capacity" in jinja and "Not available" in jinja and "Available" in jinja
    assert normalised(jinja) == normalised(django)
