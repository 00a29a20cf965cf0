"""Forms of the schools app: uploading a published file to import."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from schools.importers.formats import KIND_CHOICES


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
