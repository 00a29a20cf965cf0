"""Pieces every app's FilterSets share, so a list page and its API list read the
same query parameters the same way (one FilterSet per resource, in the app's
`filters.py`; schools/filters.py is the model).

An API list hands its FilterSet to DRF's DjangoFilterBackend, which refuses a bad
parameter with a 400 naming it; a page ignores the bad parameter and shows the
field's error (`FilterSet.qs` skips invalid fields)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# DRF's BooleanField spellings, so a FlagFilter accepts what the API always accepted,
# plus "on" from a page's checkbox.
TRUE_WORDS = {"t", "y", "yes", "true", "on", "1"}
FALSE_WORDS = {"f", "n", "no", "false", "off", "0"}
NULL_WORDS = {"", "null"}


def parse_flag(value) -> bool | None:
    """True, False or None (not given); ValueError for anything else."""
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if word in NULL_WORDS:
        return None
    raise ValueError(value)


class FlagInput(forms.CheckboxInput):
    """A single checkbox that hands the field the raw value: absent is "not given"
    (None), not False, so `?overdue=false` and no `overdue` at all differ."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class FlagField(forms.Field):
    widget = FlagInput
    default_error_messages = {"invalid": "Must be a valid boolean."}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return parse_flag(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        """What the checkbox shows: ticked only for a true value."""
        try:
            return parse_flag(value) is True
        except ValueError:
            return False


@extend_schema_field(OpenApiTypes.BOOL)
class FlagFilter(django_filters.Filter):
    """A yes/no filter: a checkbox on the page ("on"), `true`/`false` in the API.
    Not given, it filters nothing; give it a `method` for what False means."""

    field_class = FlagField


class YesNoField(forms.ChoiceField):
    """A page's select of "yes" and "no" that also takes the API's true/false."""

    def to_python(self, value):
        try:
            return parse_flag(value)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None

    def validate(self, value):
        pass  # to_python has refused anything that is not a yes or a no

    def prepare_value(self, value):
        """The option to show selected: "yes", "no" or none."""
        try:
            flag = parse_flag(value)
        except ValueError:
            return ""
        return {True: "yes", False: "no"}.get(flag, "")


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(django_filters.Filter):
    """Like FlagFilter, shown on the page as a select; `choices` label its options."""

    field_class = YesNoField
