"""HTML forms for a funded partnership's grant: DfE's approval (partner trust,
start, the trust's contact), the partner trust's bank details and the evidence
that makes an instalment due. The services decide what is wrong."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from deployments.delivery.models import GrantInstalment
from portal.forms import GovukDateField, label_optional_fields
from portal.views_workflow import StepForm
from schools.forms import TrustField, trust_label


class GrantApproveForm(StepForm):
    """`dfe_approves` for a funded partnership."""

    partner_trust_uid = TrustField(
        label="Partner trust",
        help_text="The trust the grant is paid to: start typing its name and pick it from the "
        "list, or enter its group UID. Leave it as it is to use the trust the system leader "
        "suggested.",
    )
    uses_autocomplete = True  # the page loads static/portal/autocomplete.js
    # Needed unless the leader suggested a trust / the trust has a contact (hints say so).
    conditionally_required = ("partner_trust_uid", "partner_contact_email")
    starts_on = GovukDateField(
        label="Partnership start date",
        help_text="Leave it blank to start today. For example, 1 9 2024",
        required=False,
    )
    partner_contact_email = forms.EmailField(
        label="E-mail address of a contact at the partner trust",
        help_text="Needed when the trust has no contact on the portal: we invite this "
        "person to set a password, and send them the grant offer letter.",
        required=False,
    )
    summary = forms.CharField(
        label="Summary for the e-mail", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    copy_to = forms.EmailField(label="Copy to the diocese or LA (e-mail)", required=False)

    def __init__(self, *args, suggested_trust=None, **kwargs):
        super().__init__(*args, **kwargs)
        if suggested_trust is not None:
            self.fields["partner_trust_uid"].initial = trust_label(suggested_trust)


class GrantBankDetailsForm(forms.Form):
    account_name = forms.CharField(label="Name on the account", required=False)
    sort_code = forms.CharField(label="Sort code", help_text="6 digits", required=False)
    account_number = forms.CharField(label="Account number", help_text="8 digits", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "account_name",
            Field.text("sort_code", field_width=5),
            Field.text("account_number", field_width=10),
            Button("submit", "Save the bank details"),
        )


class GrantEvidenceForm(forms.Form):
    instalment = forms.TypedChoiceField(
        label="Instalment",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the instalment."},
    )
    evidence = forms.ChoiceField(
        label="Evidence received",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the evidence received."},
    )
    received_on = GovukDateField(
        label="Date received",
        help_text="For example, 27 3 2024",
        error_messages={"required": "Enter the date it was received."},
    )

    def __init__(self, *args, grant, evidence_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].choices = [
            (i.number, f"Instalment {i.number}: {i.condition}") for i in grant.instalments.all()
        ]
        labels = dict(GrantInstalment.Evidence.choices)
        self.fields["evidence"].choices = [(key, labels[key]) for key in evidence_choices]
        label_optional_fields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("instalment", legend_size=Size.MEDIUM),
            Field.radios("evidence", legend_size=Size.MEDIUM),
            "received_on",
            Button("submit", "Record the evidence"),
        )
