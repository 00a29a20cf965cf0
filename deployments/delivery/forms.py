"""HTML forms for the deployment form's sections and steps. Fields are all
optional at the form level: the service decides what is wrong (an error) and
what is simply still missing (the section stays "In progress")."""

from crispy_forms_gds.choices import Choice
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

from deployments.choices import FocusArea
from deployments.delivery.models import Activity
from deployments.delivery.sections import FORM_ORDER, PRIORITIES, SECTIONS, section_fields
from portal.forms import GovukDateField, label_optional_fields
from portal.views_workflow import StepForm

YES_NO = [("true", "Yes"), ("false", "No")]
LONG_TEXT = {
    "additional_details",
    "progress",
    "changes",
    "not_completed_reason",
    "impact",
    "comments",
}


def _initial(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class SmallConditionalRadios(ConditionalRadios):
    """Yes/no radios revealing a follow-up question under an answer, with a small
    legend like the section's other questions."""

    template = "deployments/delivery/_small_conditional_radios.html"


class SectionForm(forms.Form):
    """Built from the section's field list (see deployments.delivery.sections):
    the fields this deployment's section asks, when given the deployment. Labels
    come from the specs (`Field.form_label`: "(optional)" on optional fields only);
    a field revealed under an answer (`Field.reveal_under`) sits under that radio."""

    def __init__(self, *args, key: str, saved: dict, deployment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.specs = section_fields(deployment, key) if deployment else SECTIONS[key].fields
        layout = []
        revealed = {}  # radio field -> {its value: [the fields revealed under it]}
        for spec in self.specs:
            if spec.reveal_under:
                parent, value = spec.reveal_under
                revealed.setdefault(parent, {}).setdefault(value, []).append(spec.name)
        for spec in self.specs:
            if spec.kind == "focus_areas":
                chosen = {a["key"]: a["priority"] for a in saved.get("focus_areas") or []}
                for area in FocusArea:
                    name = f"focus_{area.value}"
                    self.fields[name] = forms.ChoiceField(
                        label=area.label,
                        required=False,
                        choices=[("", "Not a focus"), *PRIORITIES],
                        initial=chosen.get(area.value, ""),
                    )
                    layout.append(Field.select(name))
                continue
            if spec.kind == "programmes":
                from deployments.programmes.models import Programme

                self.fields[spec.name] = forms.MultipleChoiceField(
                    label=spec.form_label,
                    required=False,
                    choices=[(p.slug, p.name) for p in Programme.objects.filter(active=True)],
                    widget=forms.CheckboxSelectMultiple,
                    initial=saved.get("programmes") or [],
                )
                layout.append(Field.checkboxes(spec.name, small=True))
                continue
            if spec.kind == "bool":
                self.fields[spec.name] = forms.ChoiceField(
                    label=spec.form_label,
                    required=False,
                    choices=YES_NO,
                    widget=forms.RadioSelect,
                    help_text=spec.hint,
                    initial=_initial(saved.get(spec.name)),
                )
                if spec.name in revealed:
                    under = revealed[spec.name]
                    layout.append(
                        SmallConditionalRadios(
                            spec.name,
                            *[
                                ConditionalQuestion(label, *under[value])
                                if value in under
                                else label
                                for value, label in YES_NO
                            ],
                        )
                    )
                else:
                    layout.append(Field.radios(spec.name, inline=True, legend_size=Size.SMALL))
                continue
            if spec.kind == "choice":
                hints = dict(spec.choice_hints)
                self.fields[spec.name] = forms.ChoiceField(
                    label=spec.form_label,
                    required=False,
                    choices=[Choice(v, label, hint=hints.get(v, "")) for v, label in spec.choices],
                    widget=forms.RadioSelect,
                    help_text=spec.hint,
                    initial=saved.get(spec.name),
                )
                layout.append(Field.radios(spec.name, legend_size=Size.SMALL))
                continue
            hint = spec.hint
            initial = saved.get(spec.name)
            if key == "bank_details" and spec.name in ("sort_code", "account_number"):
                masked = saved.get(f"{spec.name}_masked")
                hint = f"{hint}. Saved: {masked}. Leave blank to keep it." if masked else hint
                initial = None
            self.fields[spec.name] = forms.CharField(
                label=spec.form_label,
                required=False,
                help_text=hint,
                initial=initial,
                widget=forms.Textarea(attrs={"rows": 4}) if spec.name in LONG_TEXT else None,
            )
            if not spec.reveal_under:  # else it is laid out under its answer
                layout.append(spec.name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        signing = key == "school_confirmation" and getattr(deployment, "state", "") == (
            "school_sign_off"
        )
        button = "Confirm and sign" if signing else "Save and continue"
        self.helper.layout = Layout(*layout, Button("submit", button))

    def section_values(self) -> dict:
        """The posted values in the service's shape. A blank bank number keeps
        the saved one; other blanks clear the field."""
        data = self.cleaned_data
        values = {}
        for spec in self.specs:
            if spec.kind == "focus_areas":
                values["focus_areas"] = [
                    {"key": area.value, "priority": data[f"focus_{area.value}"]}
                    for area in FocusArea
                    if data.get(f"focus_{area.value}")
                ]
            elif spec.kind == "programmes":
                values["programmes"] = list(data.get("programmes") or [])
            elif self.key == "bank_details" and spec.name in ("sort_code", "account_number"):
                if data.get(spec.name):
                    values[spec.name] = data[spec.name]
            elif spec.kind == "half_days":
                values[spec.name] = data.get(spec.name) or ""  # a blank box clears the days
            else:
                values[spec.name] = data.get(spec.name) or None
        return values


class InitialMeetingForm(StepForm):
    meeting_on = GovukDateField(
        label="Date of the initial meeting",
        help_text="For example, 15 1 2024",
        error_messages={"required": "Enter the date of the initial meeting."},
    )


class ReturnForm(StepForm):
    comments = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what needs to change."},
    )
    sections = forms.MultipleChoiceField(
        label="Sections to reopen",
        choices=[(k, SECTIONS[k].title) for k in FORM_ORDER],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the sections to reopen."},
    )


class EndCallForm(StepForm):
    held_on = GovukDateField(
        label="Date of the call",
        help_text="For example, 15 7 2024",
        error_messages={"required": "Enter the date of the call."},
    )
    school_experience = forms.CharField(
        label="The school's experience of the offer", widget=forms.Textarea(attrs={"rows": 3})
    )
    future_plans = forms.CharField(label="Future plans", widget=forms.Textarea(attrs={"rows": 3}))
    issues = forms.CharField(
        label="Issues for Regions Group",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(StepForm):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for withdrawing."},
    )


class LeaderWithdrawForm(WithdrawForm):
    reason = forms.CharField(
        label="Why are you withdrawing?",
        help_text="The RDP, Regions Group staff and the school or trust read this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for withdrawing."},
    )


class DelayForm(StepForm):
    reason = forms.CharField(
        label="What is delaying the support?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what is delaying the support."},
    )
    expected_resume_on = GovukDateField(
        label="When do you expect the support to resume?",
        help_text="Leave it blank if you do not know yet. For example, 15 1 2024",
        required=False,
    )


class ReasonForm(StepForm):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason."},
    )


class ActivityForm(forms.Form):
    date = GovukDateField(
        label="Date",
        help_text="For example, 15 1 2024",
        error_messages={"required": "Enter the date of the activity."},
    )
    days = forms.CharField(
        label="Days",
        help_text="In half days, for example 0.5 or 1",
        error_messages={"required": "Enter the days, like 0.5 or 1."},
    )
    description = forms.CharField(
        label="Activity",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the activity."},
    )
    delivered_by = forms.CharField(
        label="Delivered by",
        help_text="Leave this blank if you delivered it yourself",
        required=False,
    )
    mode = forms.ChoiceField(
        label="How was it delivered?",
        choices=Activity.Mode.choices,
        initial=Activity.Mode.FACE_TO_FACE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the activity was face to face or remote."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_optional_fields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("date", field_width=10),
            Field.text("days", field_width=4),
            "description",
            "delivered_by",
            Field.radios("mode", inline=True, legend_size=Size.SMALL),
            Button("submit", "Add to the log"),
        )


class ApproveForm(StepForm):
    completion_date = GovukDateField(
        label="Completion date",
        help_text="For an extension; leave it blank for the offer's window. For example, 30 6 2024",
        required=False,
    )
    summary = forms.CharField(
        label="Summary for the e-mail", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    copy_to = forms.EmailField(label="Copy to the diocese or LA (e-mail)", required=False)


class DeclineForm(StepForm):
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the rationale for declining."},
    )
    copy_to = forms.EmailField(label="Copy to the diocese or LA (e-mail)", required=False)


class CaseStudyForm(forms.Form):
    title = forms.CharField(label="Title")
    context = forms.CharField(
        label="Context of the school or trust and why the system leader was matched",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    support_carried_out = forms.CharField(
        label="Support carried out", widget=forms.Textarea(attrs={"rows": 4})
    )
    impact = forms.CharField(label="Impact", widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(
        label="Next steps because of the support", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", "Save the case study"))
