"""The system leader's request for enhanced support: GOV.UK radios for the kind, each
kind's own questions revealed under its radio (govuk-radios__conditional). Without
JavaScript every question shows and submits; only the chosen kind's answers reach the
service, which decides what is missing and names the field (mapped back here)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    Button,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Layout,
    Size,
)
from django import forms

from deployments.delivery.models import EnhancedRequest
from portal.forms import label_optional_fields
from schools.forms import TRUST_HINT, TrustField

Kind = EnhancedRequest.Kind
YES_NO = [("true", "Yes"), ("false", "No")]

# For each kind: form field -> the service's argument (and the key of its errors).
KIND_FIELDS = {
    Kind.EXTENSION: {"days": "days", "context": "context", "school_agrees": "school_agrees"},
    Kind.FUNDED_PARTNERSHIP: {
        "benefit": "benefit",
        "funded_school_agrees": "school_agrees",
        "funded_trust": "suggested_trust_uid",
    },
    Kind.UNFUNDED_PARTNERSHIP: {
        "unfunded_trust": "suggested_trust_uid",
        "tell_regions_group": "tell_regions_group",
    },
}


class KindRadios(ConditionalRadios):
    """The kind question: crispy-forms-gds's conditional radios, legend sized as the
    page's main question."""

    template = "deployments/delivery/_kind_radios.html"


def _agrees_field(help_text):
    return forms.ChoiceField(
        label="Has the school or trust agreed to this request?",
        help_text=help_text,
        required=False,
        choices=YES_NO,
        widget=forms.RadioSelect,
    )


class EnhancedRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What would help the school or trust most?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of enhanced support"},
    )
    days = forms.CharField(
        label="How many extra days?", help_text="In half days, for example 2.5", required=False
    )
    context = forms.CharField(
        label="Context", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    school_agrees = _agrees_field("DfE will not pay for extra days unless they were agreed")
    benefit = forms.CharField(
        label="Potential benefit to the school or trust",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    funded_school_agrees = _agrees_field("Needed for a funded partnership")
    funded_trust = TrustField(label="Suggested partner trust", help_text=TRUST_HINT)
    unfunded_trust = TrustField(label="Partner trust", help_text=TRUST_HINT)
    tell_regions_group = forms.BooleanField(
        label="Tell Regions Group about this partnership", required=False
    )

    # Needed for the kind they are revealed under (the service names what is missing).
    conditionally_required = ("days", "context", "school_agrees", "benefit", "funded_school_agrees")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_optional_fields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            KindRadios(
                "kind",
                ConditionalQuestion(
                    Kind.EXTENSION.label,
                    Field.text("days", field_width=4),
                    "context",
                    Field.radios("school_agrees", inline=True, legend_size=Size.SMALL),
                ),
                ConditionalQuestion(
                    Kind.FUNDED_PARTNERSHIP.label,
                    "benefit",
                    Field.radios("funded_school_agrees", inline=True, legend_size=Size.SMALL),
                    "funded_trust",
                ),
                ConditionalQuestion(
                    Kind.UNFUNDED_PARTNERSHIP.label, "unfunded_trust", "tell_regions_group"
                ),
            ),
            Button("submit", "Send the request"),
        )

    def clean(self):
        """Another kind's answers are ignored, so their errors are too (an unknown trust
        typed under a kind the leader did not choose)."""
        chosen = self._chosen()
        for fields in KIND_FIELDS.values():
            for name in fields:
                if name not in chosen:
                    self._errors.pop(name, None)
                    self.cleaned_data.pop(name, None)
        return self.cleaned_data

    def _chosen(self) -> dict:
        return KIND_FIELDS.get(self.cleaned_data.get("kind"), {})

    def service_values(self) -> dict:
        """The chosen kind's answers only: the other kinds' fields are ignored."""
        data = {"kind": self.cleaned_data["kind"]}
        for field, argument in self._chosen().items():
            data[argument] = self.cleaned_data.get(field)
        if "school_agrees" in data:
            data["school_agrees"] = {"true": True, "false": False}.get(data["school_agrees"])
        if "days" in data:
            data["days"] = data["days"] or None
        return data

    def field_for(self, argument: str) -> str | None:
        """The form field holding the chosen kind's `argument` (a service error's key)."""
        for field, name in self._chosen().items():
            if name == argument:
                return field
        return argument if argument in self.fields else None

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: each error links to its field's
        first input (a radio's first item: `id_kind_0` under the conditional radios,
        `id_<name>_1` for the other radios), form-wide errors to the kind question."""
        links = [("id_kind_0", message) for message in self.non_field_errors()]
        for name in self.fields:
            field = self[name]
            if not field.errors:
                continue
            if name == "kind":
                anchor = "id_kind_0"
            elif isinstance(field.field.widget, forms.RadioSelect):
                anchor = f"{field.auto_id}_1"
            else:
                anchor = field.auto_id
            links.extend((anchor, message) for message in field.errors)
        return links

    def apply_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            for argument, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error(self.field_for(argument), error)
        else:
            for message in exc.messages:
                self.add_error(None, message)
