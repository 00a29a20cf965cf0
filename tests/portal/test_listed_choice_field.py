"""ListedModelChoiceField: the chosen row and the options come from one query, and a
value that is no row's key is a form error, not a database error."""

import pytest
from django import forms

from portal.forms import ListedModelChoiceField
from portal.govuk_render import render_field
from schools.models import Region

pytestmark = pytest.mark.django_db


class RegionForm(forms.Form):
    region = ListedModelChoiceField(queryset=Region.objects.order_by("name"), required=False)


def test_the_choice_and_its_options_cost_one_query(north_west, london, django_assert_num_queries):
    with django_assert_num_queries(1):
        form = RegionForm({"region": str(london.pk)})
        assert form.is_valid()
        html = str(render_field(form["region"]))

    assert form.cleaned_data["region"] == london
    assert f'<option value="{london.pk}" selected>London</option>' in html
    assert "North West" in html


@pytest.mark.parametrize("value", ["999999", "9" * 40, "abc", "1.5"])
def test_a_value_that_is_no_rows_key_is_the_usual_form_error(north_west, value):
    form = RegionForm({"region": value})

    assert not form.is_valid()
    assert "Select a valid choice" in form.errors["region"][0]


def test_an_empty_value_is_no_choice(north_west):
    form = RegionForm({"region": ""})

    assert form.is_valid() and form.cleaned_data["region"] is None
