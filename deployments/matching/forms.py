"""Forms for the support-case pages: one per transition body, the cases
filter and the owner change."""

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from deployments.matching.models import SupportCase
from deployments.models import SystemLeader
from portal.models import Role, User
from portal.views_workflow import StepForm


class CaseStepForm(StepForm):
    """A step form that knows its case; `warning` steps (declines, rejections,
    withdrawal) get the GOV.UK warning button."""

    warning = False

    def __init__(self, *args, case=None, button: str = "Continue", **kwargs):
        self.case = case
        super().__init__(*args, button=button, **kwargs)
        if self.warning:
            self.helper.layout = Layout(*self.fields.keys(), Button.warning("submit", button))


def _text(label, *, required=True, hint="", missing=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": missing} if missing else {},
    )


class NoteForm(CaseStepForm):
    note = _text("Note", required=False)


class AcceptRequestForm(CaseStepForm):
    """The leader confirms what the request e-mail asks: the capacity to do the work
    and no conflict of interest with the school or its trust."""

    confirms_capacity = forms.BooleanField(
        label="I have the capacity to deliver these days in the timing shown",
        error_messages={"required": "Confirm that you have the capacity to deliver the days"},
    )
    confirms_no_conflict = forms.BooleanField(
        label="I have no conflict of interest with this school or its trust",
        error_messages={"required": "Confirm that you have no conflict of interest"},
    )
    note = _text("Note", required=False)


class ProposeForm(CaseStepForm):
    system_leader = forms.ModelChoiceField(
        queryset=SystemLeader.objects.none(),
        label="System leader",
        help_text="Ranked candidates come first.",
        error_messages={"required": "Select a system leader"},
    )
    conditionally_required = ("override_reason",)  # its hint says when
    note = _text(
        "Note for the RDP",
        required=False,
        hint="Context, strategic priorities, anything the RDP should know",
    )
    override_reason = _text(
        "Reason for choosing someone outside the ranked list",
        required=False,
        hint="Needed only when the system leader is not one of the ranked candidates",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        ranked = {c.system_leader.pk: c for c in candidates}
        field = self.fields["system_leader"]
        field.queryset = SystemLeader.objects.select_related("user")
        if self.case is not None:  # a leader who withdrew from the case is never listed
            field.queryset = field.queryset.exclude(pk__in=self.case.withdrawn_leader_ids())
        others = [
            leader
            for leader in field.queryset.filter(user__is_active=True).order_by("user__full_name")
            if leader.pk not in ranked
        ]
        field.choices = [
            ("", "Choose a system leader"),
            *[
                (
                    c.system_leader.pk,
                    f"{c.rank}. {c.system_leader.user.full_name} "
                    f"({c.system_leader.get_kind_display()})",
                )
                for c in candidates
            ],
            *[(o.pk, f"Not ranked: {o.user.full_name} ({o.get_kind_display()})") for o in others],
        ]


class ContextForm(CaseStepForm):
    context = _text(
        "Anything about the school's context the system leader should know",
        required=False,
    )


class ReasonForm(CaseStepForm):
    warning = True
    reason = _text("Reason", missing="Enter a reason")


class ConcernForm(CaseStepForm):
    concern = _text(
        "What is your concern about the proposed system leader?", missing="Describe your concern"
    )


class ConcernAnswerForm(CaseStepForm):
    keep_match = forms.TypedChoiceField(
        label="Does the match stand?",
        choices=[
            ("yes", "Yes, keep the match and ask the Regional Director to approve it"),
            ("no", "No, propose another system leader"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the match stands"},
    )
    rationale = _text("Rationale given to the school", missing="Enter the rationale")


class OwnerForm(StepForm):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="New owner",
        error_messages={"required": "Select the new owner"},
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            role=Role.REGIONS_STAFF, regions=case.region_id, is_active=True
        ).order_by("full_name")
        self.fields["owner"].label_from_instance = lambda u: u.full_name


class LaContactedForm(StepForm):
    contacted = forms.ChoiceField(
        label="Who did you ask to confirm participation?",
        choices=SupportCase.LaContacted.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who you contacted: the local authority, the diocese or both"
        },
    )
    note = _text("Note", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("contacted", legend_size=Size.SMALL),
            "note",
            Button("submit", "Record that the LA or diocese was contacted"),
        )


VIEWS = [("all", "All cases"), ("mine", "My cases"), ("watching", "Watchlist")]
