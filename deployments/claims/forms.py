"""HTML forms for the claim steps and the review queue's filters."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from deployments.claims.checks import FLAG_LABELS
from deployments.claims.models import Claim
from portal.views_workflow import StepForm


class RejectForm(StepForm):
    reason = forms.CharField(
        label="Reason for rejecting",
        help_text="E-mailed to the system leader, who may resubmit the claim.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for rejecting the claim."},
    )


class QueryForm(StepForm):
    note = forms.CharField(
        label="What do you need to know?",
        help_text="E-mailed to the system leader.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you need to know about the claim."},
    )


class UndoForm(StepForm):
    reason = forms.CharField(
        label="Why undo this decision?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for undoing the decision."},
    )


class ResubmitForm(StepForm):
    note = forms.CharField(
        label="Your answer", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QueueFilterForm(forms.Form):
    """GET filters of the review queue (names as in the API)."""

    region = forms.ChoiceField(label="Region", required=False)
    offer = forms.ChoiceField(label="Offer", required=False)
    state = forms.ChoiceField(
        label="State", required=False, choices=[("", "Any state"), *Claim.State.choices]
    )
    flag = forms.ChoiceField(
        label="Flag", required=False, choices=[("", "Any"), *FLAG_LABELS.items()]
    )

    def __init__(self, *args, regions=(), offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "All regions"), *((r, r) for r in regions)]
        self.fields["offer"].choices = [("", "All offers"), *((o, o) for o in offers)]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("region"),
            Field.select("offer"),
            Field.select("state"),
            Field.select("flag"),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
        )
