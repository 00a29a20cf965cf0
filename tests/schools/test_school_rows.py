"""The school and trust tables' rows, rendered by Jinja (templates/jinja/schools/), show
exactly what the Django templates they replaced showed."""

import datetime as dt
import re

import pytest
from django.template import Context, Template

from portal.govuk_render import render_template, short_date
from schools import selectors
from schools.models import School
from tests.schools.factories import OfstedInspectionFactory, SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db

# The Django rows as they were before the Jinja template (the reference).
DJANGO_ROWS = Template(
    """{% load humanize portal_tags %}{% for school in schools %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">
        <a class="govuk-link" href="{% url 'schools:school-detail' school.urn %}">{{ school.name }}</a>
        {% if not school.is_open %}<br><strong class="govuk-tag govuk-tag--grey">{{ school.get_status_display }}</strong>{% endif %}
        {% if not hide_trust and school.trust %}<br><span class="govuk-body-s govuk-!-margin-0 portal-secondary">{{ school.trust.name }}</span>{% endif %}
      </td>
      <td class="govuk-table__cell">{{ school.urn }}</td>
      {% if not hide_la %}<td class="govuk-table__cell">{{ school.local_authority.name|default:"Not recorded" }}</td>{% endif %}
      <td class="govuk-table__cell">{{ school.phase|default:"Not recorded" }}</td>
      {% if not hide_pupils %}<td class="govuk-table__cell govuk-table__cell--numeric">{{ school.number_of_pupils|intcomma|default:"–" }}</td>{% endif %}
      <td class="govuk-table__cell">
        {% judgement_tag school.latest_grade empty="No grade" %}
        {% if school.latest_graded_on and school.latest_graded_on != school.latest_inspection_on %}<br><span class="govuk-body-s govuk-!-margin-0 portal-secondary">Graded {{ school.latest_graded_on|date:"j M Y" }}</span>{% endif %}
      </td>
      <td class="govuk-table__cell">{{ school.latest_inspection_on|date:"j M Y"|default:"Not inspected" }}</td>
    </tr>
    {% endfor %}"""  # noqa: E501
)


def normalised(html: str) -> str:
    """Whitespace collapsed; an apostrophe as Jinja escapes it (&#39;, Django &#x27;)."""
    return re.sub(r"\s+", " ", html).replace("&#x27;", "&#39;").strip()


@pytest.fixture
def varied_schools():
    trust = TrustFactory(name="O'Brien & Partners Trust")
    graded_then_visited = SchoolFactory(
        name="St Mary's <Primary>", trust=trust, number_of_pupils=210
    )
    OfstedInspectionFactory(school=graded_then_visited, start_date=dt.date(2021, 9, 5))
    OfstedInspectionFactory(
        school=graded_then_visited, start_date=dt.date(2024, 3, 1), ungraded=True
    )
    closed = SchoolFactory(
        name="Closed School", status=School.Status.CLOSED, phase="", number_of_pupils=12
    )
    OfstedInspectionFactory(school=closed, overall_effectiveness=4)
    SchoolFactory(
        name="Never Inspected", local_authority=None, region=None, laestab="", number_of_pupils=0
    )
    SchoolFactory(name="Big School", number_of_pupils=1234)
    return list(selectors.school_list_queryset())


@pytest.mark.parametrize(
    "flags",
    [{}, {"hide_trust": True}, {"hide_la": True}, {"hide_pupils": True}],
)
def test_the_jinja_rows_show_what_the_django_rows_showed(varied_schools, flags):
    django = DJANGO_ROWS.render(Context({"schools": varied_schools, **flags}))
    jinja = str(render_template("schools/school_rows.html", schools=varied_schools, **flags))

    assert "St Mary&#39;s &lt;Primary&gt;" in normalised(jinja)
    assert normalised(jinja) == normalised(django)


def test_dates_read_as_django_writes_them():
    assert short_date(dt.date(2024, 9, 5)) == "5 Sep 2024"
    assert short_date(dt.date(2021, 12, 31)) == "31 Dec 2021"


def test_a_school_without_a_pupil_count_shows_a_dash():
    """The Django rows showed "None" here (humanize's intcomma returns None as "None")."""
    SchoolFactory(name="Unknown Size", number_of_pupils=None)

    html = str(
        render_template("schools/school_rows.html", schools=list(selectors.school_list_queryset()))
    )

    assert 'govuk-table__cell--numeric">–</td>' in html
    assert "None" not in html


DJANGO_TRUST_ROWS = Template(
    """{% load humanize %}{% for trust in trusts %}
          <tr class="govuk-table__row">
            <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'schools:trust-detail' trust.uid %}">{{ trust.name }}</a></td>
            <td class="govuk-table__cell">{{ trust.uid }}</td>
            <td class="govuk-table__cell">{{ trust.get_kind_display }}</td>
            <td class="govuk-table__cell">{{ trust.get_status_display }}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">{{ trust.school_count|intcomma }}</td>
          </tr>
          {% endfor %}"""  # noqa: E501
)


def test_the_jinja_trust_rows_show_what_the_django_rows_showed():
    from schools.models import Trust

    big = TrustFactory(name="Big & Bold Trust", kind=Trust.Kind.SINGLE_ACADEMY)
    SchoolFactory.create_batch(3, trust=big)
    TrustFactory(name="Closed Trust", status=Trust.Status.CLOSED)
    trusts = list(selectors.trust_list_queryset())
    trusts[0].school_count = 1234  # thousands separated by both

    django = DJANGO_TRUST_ROWS.render(Context({"trusts": trusts}))
    jinja = str(render_template("schools/trust_rows.html", trusts=trusts))

    assert "Big &amp; Bold Trust" in jinja and "1,234" in jinja
    assert normalised(jinja) == normalised(django)
