"""Forms for "Manage users": the filter, the invitation, the set-password page."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import SetPasswordForm

from portal.models import Role
from schools.models import Region, School, Trust


class UserInviteForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=255, error_messages={"required": "Enter the full name"}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="They will sign in with it. The invitation goes to this address.",
        error_messages={
            "required": "Enter the email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the role"},
    )
    regions = forms.ModelMultipleChoiceField(
        label="Regions",
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Regions Group staff and RDPs: one or more. Regional Director: exactly one. "
            "Other roles: none."
        ),
    )
    school_urn = forms.CharField(
        label="School URN",
        required=False,
        max_length=6,
        help_text="School or trust contacts only: the school's 6-digit URN, or leave empty and "
        "give the trust.",
    )
    trust_uid = forms.CharField(
        label="Trust group UID", required=False, max_length=10, help_text="Trust contacts only"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.MEDIUM),
            Field.checkboxes("regions", legend_size=Size.MEDIUM, small=True),
            Field.text("school_urn", field_width=Fluid.ONE_THIRD),
            Field.text("trust_uid", field_width=Fluid.ONE_THIRD),
            Button("submit", "Send invitation"),
        )

    def clean_school_urn(self):
        urn = (self.cleaned_data.get("school_urn") or "").strip()
        if not urn:
            return None
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise forms.ValidationError(f"No school in the register has the URN {urn}")
        return school

    def clean_trust_uid(self):
        uid = (self.cleaned_data.get("trust_uid") or "").strip()
        if not uid:
            return None
        trust = Trust.objects.filter(uid=uid).first()
        if trust is None:
            raise forms.ValidationError(f"No trust in the register has the group UID {uid}")
        return trust


class InvitationPasswordForm(SetPasswordForm):
    """Django's set-password form with GOV.UK wording and layout."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Create a password"
        self.fields["new_password2"].label = "Confirm your password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Set password"),
        )
