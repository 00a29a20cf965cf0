"""Forms: the public complaint's question pages (one question a page), the
self-assessment, a paper complaint and each complaint step."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from guarantees.choices import DECISION_OUTCOMES, Rating
from guarantees.models import Complaint
from portal.forms import GovukDateField, label_optional_fields
from portal.params import ascii_digits
from portal.views_workflow import StepForm
from schools.models import School

HONEYPOT = "website"
HONEYPOT_MESSAGE = "Your complaint could not be sent. Please try again."


def _question_layout(form, names, button):
    """GOV.UK question pages: the first question is the page's heading (h1)."""
    items = []
    for index, name in enumerate(names):
        widget = form.fields[name].widget
        heading = {"legend_size": Size.LARGE, "legend_tag": "h1"} if index == 0 else {}
        if isinstance(widget, forms.CheckboxSelectMultiple):
            items.append(Field.checkboxes(name, **heading))
        elif isinstance(widget, forms.RadioSelect):
            items.append(Field.radios(name, **heading))
        else:
            label = {"label_size": Size.LARGE, "label_tag": "h1"} if index == 0 else {}
            if isinstance(widget, forms.Textarea):
                items.append(Field.textarea(name, **label))
            else:
                items.append(Field.text(name, **label))
    return Layout(*items, Button("submit", button))


class _QuestionForm(forms.Form):
    """A public question page: GOV.UK layout, a "Continue" button and a
    honeypot field people never see (automated senders fill it in)."""

    button = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(required=False, label="Leave this empty")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.relayout()

    def relayout(self):
        label_optional_fields(self, conditional=(HONEYPOT,))
        fields = [name for name in self.fields if name != HONEYPOT]
        self.helper.layout = _question_layout(self, fields, self.button)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class SchoolQuestion(_QuestionForm):
    school = forms.CharField(
        label="Which school is your complaint about?",
        help_text="Enter the school's name or its 6-digit URN (unique reference number).",
        error_messages={"required": "Enter the school's name or URN."},
        max_length=255,
    )

    def clean_school(self):
        text = self.cleaned_data["school"].strip()
        schools = School.objects.filter(status__in=School.OPEN_STATUSES)
        if ascii_digits(text):
            matches = list(schools.filter(urn=text)[:2])
        else:
            matches = list(schools.filter(name__icontains=text).order_by("name")[:21])
        if not matches:
            raise forms.ValidationError(
                "No open school in England matches that name or URN. Check the spelling or "
                "enter the 6-digit URN."
            )
        if len(matches) > 20:
            raise forms.ValidationError(
                "More than 20 schools match. Enter more of the name, or the town, or the URN."
            )
        self.matches = matches
        return text


class SchoolChoiceQuestion(_QuestionForm):
    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"] = forms.TypedChoiceField(
            label="Which of these schools is it?",
            choices=[(s.pk, f"{s.name}, {s.town or s.postcode} (URN {s.urn})") for s in schools],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Select the school."},
        )
        self.relayout()


class AmbitionQuestion(_QuestionForm):
    def __init__(self, *args, ambitions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ambition"] = forms.TypedChoiceField(
            label="Which part of the Guarantees is your complaint about?",
            choices=[(a.pk, f"{a.guarantee.title} ({a.letter}): {a.title}") for a in ambitions],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Select the part of the Guarantees."},
        )
        self.relayout()


class EntitlementsQuestion(_QuestionForm):
    def __init__(self, *args, entitlements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entitlements"] = forms.TypedMultipleChoiceField(
            label="Which entitlements do you think the school has not met?",
            help_text="Select all that apply.",
            choices=[(e.pk, e.text) for e in entitlements],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Select at least one entitlement."},
        )
        self.relayout()


class TuitionQuestion(_QuestionForm):
    concerns_la_tuition = forms.TypedChoiceField(
        label="Was the one-to-one tuition provided by the local authority?",
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "I do not know")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the local authority provided the tuition."},
    )


class DescriptionQuestion(_QuestionForm):
    description = forms.CharField(
        label="What happened?",
        help_text="Tell us what the school has not done, and since when. Do not include "
        "medical details.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={
            "required": "Enter what happened.",
            "max_length": "What happened must be 5,000 characters or fewer.",
        },
    )


class RelationshipQuestion(_QuestionForm):
    relationship = forms.ChoiceField(
        label="Are you the pupil's parent or carer, or the pupil?",
        choices=Complaint.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select parent, carer or pupil."},
    )


class ContactQuestion(_QuestionForm):
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We will send you a link to confirm it. The school sees your complaint "
        "only after you confirm.",
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com.",
        },
    )
    name = forms.CharField(label="Your name", required=False, max_length=255)


class CheckAnswersForm(_QuestionForm):
    button = "Send complaint"


# --- signed-in forms -------------------------------------------------------------------------


class _GdsForm(forms.Form):
    button = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_optional_fields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", self.button))


class PaperComplaintForm(_GdsForm):
    button = "Record the complaint"

    def __init__(self, *args, schools=None, entitlements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "school": forms.ModelChoiceField(
                queryset=schools if schools is not None else School.objects.none(),
                label="School",
                error_messages={"required": "Choose the school."},
            ),
            "entitlements": forms.TypedMultipleChoiceField(
                label="Entitlements the complaint is about",
                choices=[(e.pk, f"{e.reference}: {e.text}") for e in entitlements],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Select at least one entitlement."},
            ),
            "description": forms.CharField(
                label="What the complaint says",
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={"required": "Enter what the complaint says."},
            ),
            "relationship": forms.ChoiceField(
                label="Complainant",
                choices=Complaint.Relationship.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select parent, carer or pupil."},
            ),
            "name": forms.CharField(label="Complainant's name", required=False),
            "email": forms.EmailField(label="Complainant's e-mail address", required=False),
            "concerns_la_tuition": forms.BooleanField(
                label="It is about one-to-one tuition provided by the local authority",
                required=False,
            ),
            "received_on": GovukDateField(
                label="Date received",
                help_text="For example, 27 3 2026",
                required=False,
            ),
        }
        label_optional_fields(self)
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", self.button))


class SelfAssessmentForm(forms.Form):
    """One rating and evidence note per entitlement, plus the link governor."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.rows = list(rows)
        self.fields["link_governor_name"] = forms.CharField(
            label="Link governor for the Guarantees",
            help_text="The governor the governing body nominated to focus on the Guarantees.",
            required=False,
            max_length=255,
        )
        self.fields["link_governor_email"] = forms.EmailField(
            label="Link governor's e-mail address", required=False
        )
        for row in self.rows:
            entitlement = row.entitlement
            self.fields[f"rating_{entitlement.pk}"] = forms.ChoiceField(
                label=entitlement.text,
                choices=Rating.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row.rating,
            )
            self.fields[f"evidence_{entitlement.pk}"] = forms.CharField(
                label="Evidence",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=row.evidence,
            )
        # A draft may leave them blank, but submitting needs them all (the service
        # names what is missing): only the governor's e-mail address is optional.
        label_optional_fields(
            self, conditional=[name for name in self.fields if name != "link_governor_email"]
        )

    def ratings(self) -> dict[int, tuple[str, str]]:
        return {
            row.entitlement_id: (
                self.cleaned_data.get(f"rating_{row.entitlement_id}", ""),
                self.cleaned_data.get(f"evidence_{row.entitlement_id}", ""),
            )
            for row in self.rows
        }

    def grouped(self):
        """[(ambition, [(entitlement, rating field, evidence field)])] for the template."""
        groups: list = []
        for row in self.rows:
            ambition = row.entitlement.ambition
            if not groups or groups[-1][0] != ambition:
                groups.append((ambition, []))
            groups[-1][1].append(
                (
                    row.entitlement,
                    self[f"rating_{row.entitlement_id}"],
                    self[f"evidence_{row.entitlement_id}"],
                )
            )
        return groups


class ComplaintStatusForm(_QuestionForm):
    button = "Check status"

    def relayout(self):
        label_optional_fields(self, conditional=(HONEYPOT,))
        self.helper.layout = Layout("reference", "email", Button("submit", self.button))

    reference = forms.CharField(
        label="Complaint reference",
        help_text="For example, PG-7K3M-9QXR",
        max_length=16,
        error_messages={"required": "Enter your complaint reference."},
    )
    email = forms.EmailField(
        label="The e-mail address you gave",
        error_messages={
            "required": "Enter the e-mail address you gave.",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com.",
        },
    )


# --- complaint steps (TransitionView) --------------------------------------------------------


def _text(label, required=True, help_text=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}."},
    )


def _outcome():
    return forms.ChoiceField(
        label="Outcome",
        choices=DECISION_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome."},
    )


class NoteStep(StepForm):
    note = _text("Note", required=False)


class ResolveStep(StepForm):
    outcome = _outcome()
    response = _text("Response to the complainant")


class GoverningBodyReferralStep(StepForm):
    response = _text("The school's response so far")
    link_governor_name = forms.CharField(
        label="Link governor", error_messages={"required": "Enter the link governor's name."}
    )


class OmbudsmanReferralStep(StepForm):
    ombudsman_reference = forms.CharField(label="Ombudsman's reference", required=False)
    note = _text("Note", required=False)


class RecommendationStep(StepForm):
    outcome = _outcome()
    recommendation = _text("Recommendation")


class DirectionStep(StepForm):
    direction = _text("Direction")


class ReasonStep(StepForm):
    reason = _text("Reason")


class EraseForm(_GdsForm):
    button = "Erase the complainant's details"
    note = forms.CharField(
        label="How the request was made",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
