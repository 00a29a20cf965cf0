"""Forms for eligibility pages: filters, RD assessments, exception requests and decisions."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from deployments.models import ExceptionRequest, SupportOffer
from portal.forms import GovukDateField
from portal.params import ascii_digits
from schools.models import School, Trust

TARGET_SCHOOL, TARGET_TRUST = "school", "trust"


class _TargetForm(forms.Form):
    """Choose one school (by URN) or one trust (by group UID)."""

    target_kind = forms.ChoiceField(
        label="Is this about a school or a trust?",
        choices=[(TARGET_SCHOOL, "A school"), (TARGET_TRUST, "A trust")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is about a school or a trust"},
    )
    urn = forms.CharField(
        label="School URN",
        required=False,
        max_length=6,
        help_text="The 6-digit unique reference number, for example 100123",
    )
    trust_uid = forms.CharField(
        label="Trust group UID",
        required=False,
        max_length=10,
        help_text="From Get Information about Schools, for example 10012",
    )

    def clean(self):
        data = super().clean()
        kind = data.get("target_kind")
        data["school"] = data["trust"] = None
        if kind == TARGET_SCHOOL:
            urn = (data.get("urn") or "").strip()
            if not urn:
                self.add_error("urn", "Enter the school's URN")
            elif not (ascii_digits(urn) and len(urn) == 6):
                self.add_error("urn", "Enter a URN of 6 digits, for example 100123")
            else:
                data["school"] = (
                    School.objects.select_related("trust", "region").filter(urn=urn).first()
                )
                if data["school"] is None:
                    self.add_error("urn", f"No school in the register has the URN {urn}")
        elif kind == TARGET_TRUST:
            uid = (data.get("trust_uid") or "").strip()
            if not uid:
                self.add_error("trust_uid", "Enter the trust's group UID")
            else:
                data["trust"] = Trust.objects.filter(uid=uid).first()
                if data["trust"] is None:
                    self.add_error("trust_uid", f"No trust in the register has the group UID {uid}")
        return data

    @property
    def target(self):
        return self.cleaned_data.get("school") or self.cleaned_data.get("trust")


class RdAssessmentForm(_TargetForm):
    assessed_on = GovukDateField(
        label="Date of the assessment",
        help_text="For example, 27 3 2024",
        require_all_fields=False,
    )
    reason = forms.CharField(
        label="Why does this school or trust need immediate support?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter why this school or trust needs immediate support"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("target_kind", legend_size=Size.MEDIUM, inline=True),
            Field.text("urn", field_width=Fluid.ONE_THIRD),
            Field.text("trust_uid", field_width=Fluid.ONE_THIRD),
            Field("assessed_on"),
            Field.textarea("reason"),
            Button("submit", "Record assessment"),
        )


class ExceptionRequestForm(_TargetForm):
    source = forms.ChoiceField(
        label="Who has identified the need?",
        choices=ExceptionRequest.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who has identified the need for support"},
    )
    reason = forms.CharField(
        label="Why does this school or trust need support by exception?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter why this school or trust needs support"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("target_kind", legend_size=Size.MEDIUM, inline=True),
            Field.text("urn", field_width=Fluid.ONE_THIRD),
            Field.text("trust_uid", field_width=Fluid.ONE_THIRD),
            Field.radios("source", legend_size=Size.MEDIUM),
            Field.textarea("reason"),
            Button("submit", "Send request"),
        )


class ExceptionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Approve: the school or trust becomes eligible"),
            ("decline", "Decline"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to approve or decline the request"},
    )
    note = forms.CharField(
        label="Note for the requester",
        help_text="Required when you decline",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("note"),
            Button("submit", "Save decision"),
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("note") or "").strip():
            self.add_error("note", "Enter why the request is declined")
        return data


class RecomputeForm(forms.Form):
    offer = forms.ModelChoiceField(
        queryset=SupportOffer.objects.all(),
        empty_label=None,
        label="Offer",
        error_messages={"required": "Select the offer to recompute"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("offer"), Button("submit", "Start recompute"))
