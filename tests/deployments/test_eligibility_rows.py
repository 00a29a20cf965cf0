"""The eligibility list's rows, rendered by Jinja (templates/jinja/deployments/
eligibility_rows.html), show exactly what the Django rows they replaced showed."""

import re

import pytest
from django.template import Context, Template
from django.utils import timezone

from deployments.models import Criterion, EligibilityAssessment
from deployments.selectors import assessment_list
from deployments.services import eligibility_recompute
from portal.govuk_render import render_template
from tests.deployments.helpers import IN_YEAR, INADEQUATE, RI, add_inspections
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db

# The Django rows as they were before the Jinja template (the reference).
DJANGO_ROWS = Template(
    """{% load humanize portal_tags deployments_tags %}          {% for a in assessments %}
          <tr class="govuk-table__row">
            <td class="govuk-table__cell">
              {% if a.school %}
                <a class="govuk-link" href="{% url 'deployments:school-eligibility' a.school.urn %}">{{ a.school.name }}</a>
                <br><span class="govuk-body-s govuk-!-margin-0 portal-secondary">URN {{ a.school.urn }}{% if not region and a.region %}, {{ a.region.name }}{% endif %}</span>
              {% else %}
                <a class="govuk-link" href="{% url 'deployments:trust-eligibility' a.trust.uid %}">{{ a.trust.name }}</a>
                <br><span class="govuk-body-s govuk-!-margin-0 portal-secondary">Trust, UID {{ a.trust.uid }}{% if not region and a.region %}, {{ a.region.name }}{% endif %}</span>
              {% endif %}
            </td>
            <td class="govuk-table__cell">{% criterion_tag a %}{% if a.predecessor_used %}<br><span class="govuk-body-s govuk-!-margin-0 portal-secondary">Includes predecessor</span>{% endif %}</td>
            <td class="govuk-table__cell">{{ a.run_label|default:"–" }}</td>
            <td class="govuk-table__cell">
              {% if a.latest_grade %}{% judgement_tag a.latest_grade %}<br><span class="govuk-body-s govuk-!-margin-0 portal-nowrap">{{ a.latest_inspection_date|date:"j M Y" }}</span>{% else %}–{% endif %}
            </td>
            <td class="govuk-table__cell">
              {% if a.school.trust %}{{ a.school.trust.name }}{% if a.through_trust_ceo %}<br><span class="govuk-body-s govuk-!-margin-0 portal-secondary">Support through the Trust CEO</span>{% endif %}{% else %}–{% endif %}
            </td>
            <td class="govuk-table__cell">{% eligibility_status_tag a %}<br><span class="govuk-body-s govuk-!-margin-0 portal-secondary">{{ a.pipeline_status }}</span></td>
          </tr>
          {% endfor %}"""  # noqa: E501
)


def normalised(html: str) -> str:
    """Whitespace collapsed; an apostrophe as Jinja escapes it (&#39;, Django &#x27;)."""
    return re.sub(r"\s+", " ", html).replace("&#x27;", "&#39;").strip()


@pytest.fixture
def assessments(offer, north_west):
    la = LocalAuthorityFactory(region=north_west)
    trust = TrustFactory(name="O'Neill & Co Trust")
    in_trust = SchoolFactory(name="St Anne's <Primary>", local_authority=la, trust=trust)
    add_inspections(in_trust, [("2020-01-01", RI), ("2022-01-01", RI), (IN_YEAR, RI)])
    alone = SchoolFactory(name="Lone School", local_authority=la)
    add_inspections(alone, [(IN_YEAR, INADEQUATE)])
    eligibility_recompute(offer=offer)
    # A trust's own row (the recompute lists trusts only in rare histories).
    EligibilityAssessment.objects.create(
        offer=offer,
        trust=TrustFactory(name="Whole Trust", uid="30003"),
        region=north_west,
        criterion=Criterion.EXCEPTION,
        computed_at=timezone.now(),
    )
    rows = list(assessment_list(filters={"status": "all"}))
    assert {bool(row.trust_id) for row in rows} == {True, False}
    return rows


@pytest.mark.parametrize("region", [None, "a region"])
def test_the_jinja_rows_show_what_the_django_rows_showed(assessments, region):
    django = DJANGO_ROWS.render(Context({"assessments": assessments, "region": region}))
    jinja = str(
        render_template("deployments/eligibility_rows.html", assessments=assessments, region=region)
    )

    assert "St Anne&#39;s &lt;Primary&gt;" in normalised(jinja)
    assert "/eligibility/trusts/30003/" in jinja
    assert normalised(jinja) == normalised(django)
