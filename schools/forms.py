"""Forms of the schools app: uploading a published file to import, and the trust
picked by name that other apps' forms use (`TrustField`)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.urls import reverse_lazy

from schools.filters import LABEL_WITH_CODE_RE
from schools.importers.formats import KIND_CHOICES
from schools.selectors import UNKNOWN_TRUST, trust_find

TRUST_HINT = "Start typing its name and pick it from the list, or enter its group UID"


def trust_label(trust) -> str:
    """The autocomplete's label for a trust, which `TrustField` accepts back."""
    return f"{trust.name} ({trust.uid})" if trust is not None else ""


class TrustField(forms.CharField):
    """A trust picked by name: the register's accessible autocomplete
    (static/portal/autocomplete.js, fed by schools:trust-suggestions) on a text input.
    The suggestion picked submits "Name (UID)"; without JavaScript people type the
    name or the group UID. Cleans to the trust's UID, the value the services take.
    The page loads the autocomplete's script and style (a form's `uses_autocomplete`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "data-module": "portal-autocomplete",
                "data-source": reverse_lazy("schools:trust-suggestions"),
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )

    def clean(self, value):
        text = " ".join((super().clean(value) or "").split())
        if not text:
            return ""
        labelled = LABEL_WITH_CODE_RE.match(text)
        trust = trust_find(labelled.group(1)) if labelled else None
        trust = trust or trust_find(text)
        if trust is None:
            raise forms.ValidationError(
                f"{UNKNOWN_TRUST} Pick the trust from the list, or enter its group UID.",
                code="invalid_choice",
            )
        return trust.uid


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of file this is"},
    )
    file = forms.FileField(
        label="Upload the file",
        help_text="The CSV file exactly as published by GIAS or Ofsted, or saved as CSV UTF-8.",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file is empty",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("kind", legend_size="m"),
            Field("file"),
            Button("submit", "Import the file"),
        )
