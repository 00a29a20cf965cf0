"""The error summary links every error to an input the page has (GOV.UK: the link
moves focus to the field), radios and checkboxes included."""

import re

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.template import Context, Template


class ChoicesForm(forms.Form):
    colour = forms.ChoiceField(
        choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect, label="Colour"
    )
    days = forms.MultipleChoiceField(
        choices=[("mon", "Monday"), ("tue", "Tuesday")], widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label="Name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def _render(form) -> str:
    template = Template(  # the summary as every crispy page renders it
        "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}"
    )
    return template.render(Context({"form": form}))


def test_every_error_summary_link_targets_an_input_on_the_page():
    form = ChoicesForm(data={})
    assert not form.is_valid()
    html = _render(form)
    summary = html.split('govuk-error-summary__list"')[1].split("</ul>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert set(targets) == {"id_colour_1", "id_days_1", "id_name"}
    for target in targets:
        assert f'id="{target}"' in html, target
