from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

NOT_A_REAL_DATE = "The date must be a real date, for example 27 3 2024"


class GovukDateField(DateInputField):
    """The GOV.UK day, month and year date input, bounded: at most 2, 2 and 4
    digits, and an impossible date ("31 2 2024", a 20-digit year) is a form error
    with one GOV.UK message, never an exception."""

    def __init__(self, *, error_messages=None, **kwargs):
        super().__init__(**kwargs)  # the library's field sets its own error_messages
        self.error_messages.update(error_messages or {})
        for field, digits in zip(self.fields, (2, 2, 4), strict=True):
            field.validators.append(MaxLengthValidator(digits, NOT_A_REAL_DATE))

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as exc:
            raise ValidationError(NOT_A_REAL_DATE) from exc


OPTIONAL_SUFFIX = " (optional)"


def optional_label(label) -> str:
    """GOV.UK's label for a field a person may leave blank: the label, then "(optional)"."""
    label = str(label)
    return label if "(optional)" in label else f"{label}{OPTIONAL_SUFFIX}"


def label_optional_fields(form: forms.Form, *, conditional=()) -> None:
    """Add GOV.UK's "(optional)" to the label of every field a person may leave blank,
    the one way every entry form does it (not filters). Not on checkboxes (an unticked
    box is an answer), hidden inputs, nor on a field required only in some cases: those
    are named in `conditional` or the form's `conditionally_required`, and their hint or
    conditional reveal says when they are needed."""
    skip = set(conditional) | set(getattr(form, "conditionally_required", ()))
    for name, field in form.fields.items():
        if (
            field.required
            or name in skip
            or isinstance(field, forms.BooleanField)
            or field.widget.is_hidden
            or field.label is None
        ):
            continue
        field.label = optional_label(field.label)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for short lists (offers, regions) that finds the chosen row
    among the rows it lists: one query for both, where Django's looks the value up
    again with a query of its own. A value that is no row's key is the usual
    "Select a valid choice" error, never a database error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for row in self.queryset:  # fills the queryset's cache, which the options reuse
            if str(getattr(row, key)) == str(value):
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account is inactive.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Sign in"),
        )
