"""Forms for the register: its filter, the full profile (Admin and Regions Group
staff) and "My profile" (the system leader: availability, capacity, focus
areas and conflicts only)."""

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Layout, Size
from django import forms

from deployments.choices import FocusArea, Phase
from deployments.leaders.models import SystemLeader
from portal.forms import label_optional_fields
from portal.models import User
from schools.forms import TRUST_HINT, TrustField, trust_label
from schools.models import Region, School, Trust


def _codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


class SystemLeaderForm(forms.Form):
    """Every field of a profile. `self_edit=True` keeps only what a system
    leader may change on their own profile; `create=True` adds the account."""

    user_email = forms.EmailField(
        label="Email address of their portal account",
        help_text="Invite them as a system leader first, from Manage users.",
        error_messages={"required": "Enter the email address of their account"},
    )
    kind = forms.ChoiceField(
        label="Which kind of system leader are they?",
        choices=SystemLeader.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select MAT CEO or NLE"},
    )
    trust_uid = TrustField(label="Trust they lead", help_text=f"Needed for a MAT CEO. {TRUST_HINT}")
    school_urn = forms.CharField(
        label="School they lead (URN)", required=False, max_length=6, help_text="Needed for an NLE"
    )
    regions = forms.ModelMultipleChoiceField(
        label="Regions they will work in",
        queryset=Region.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one region"},
    )
    phases = forms.MultipleChoiceField(
        label="Phases",
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    focus_areas = forms.MultipleChoiceField(
        label="Focus areas",
        help_text="Select every area you can support a school or trust with.",
        choices=FocusArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available = forms.TypedChoiceField(
        label="Are you available for new deployments?",
        choices=[("yes", "Yes"), ("no", "No, not at the moment")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you are available"},
    )
    max_concurrent_deployments = forms.IntegerField(
        label="How many deployments can you take at once?",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        min_value=1,
        max_value=20,
        error_messages={
            "required": "Enter how many deployments you can take at once",
            "min_value": "Enter 1 or more",
            "max_value": "Enter 20 or fewer",
            "invalid": "Enter a whole number, like 2",
        },
    )
    days_available = forms.IntegerField(
        label="Days available this year",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        min_value=0,
        max_value=365,
        error_messages={
            "required": "Enter the number of days you are available",
            "invalid": "Enter a whole number of days, like 20",
            "min_value": "Enter 0 or more",
            "max_value": "Enter 365 or fewer",
        },
    )
    conflict_school_urns = forms.CharField(
        label="Schools you have a conflict of interest with",
        help_text="URNs, separated by commas or spaces. You will never be proposed for them.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conflict_trust_uids = forms.CharField(
        label="Trusts you have a conflict of interest with",
        help_text="Group UIDs, separated by commas or spaces. Covers every school of the trust.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conflict_trust_add = TrustField(
        label="Add a trust you have a conflict of interest with", help_text=TRUST_HINT
    )
    wider_team_agreed = forms.BooleanField(
        label="DfE agreed this NLE may draw on their wider team", required=False
    )

    STAFF_ONLY = ("kind", "trust_uid", "school_urn", "regions", "phases", "wider_team_agreed")
    conditionally_required = ("trust_uid", "school_urn")  # by kind: their hints say which

    def __init__(self, *args, self_edit=False, create=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.self_edit = self_edit
        if not create:
            del self.fields["user_email"]
        if self_edit:
            for name in self.STAFF_ONLY:
                del self.fields[name]
        else:
            self.fields["available"].label = "Available for new deployments?"
            self.fields["max_concurrent_deployments"].label = "Deployments they can take at once"
            self.fields["conflict_school_urns"].label = "Schools with a conflict of interest"
            self.fields["conflict_trust_uids"].label = "Trusts with a conflict of interest"
            self.fields["conflict_trust_add"].label = "Add a trust with a conflict of interest"
        label_optional_fields(self)
        layout = []
        if create:
            layout.append(Field.text("user_email", field_width=Fluid.TWO_THIRDS))
        if not self_edit:
            layout += [
                Field.radios("kind", legend_size=Size.MEDIUM, inline=True),
                Field.text("trust_uid", field_width=Fluid.TWO_THIRDS),
                Field.text("school_urn", field_width=Fluid.ONE_THIRD),
                Field.checkboxes("regions", legend_size=Size.MEDIUM, small=True),
                Field.checkboxes("phases", legend_size=Size.MEDIUM, small=True),
            ]
        layout += [
            Fieldset(
                Field.radios("available", legend_size=Size.SMALL, inline=True),
                Field.text("max_concurrent_deployments", field_width=2),
                Field.text("days_available", field_width=3),
                legend="Availability and capacity",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("focus_areas", legend_size=Size.MEDIUM, small=True),
            Fieldset(
                Field.textarea("conflict_school_urns", rows=2),
                Field.textarea("conflict_trust_uids", rows=2),
                Field.text("conflict_trust_add", field_width=Fluid.TWO_THIRDS),
                legend="Conflicts of interest",
                legend_size=Size.MEDIUM,
            ),
        ]
        if not self_edit:
            layout.append(Field.checkbox("wider_team_agreed"))
        layout.append(Button("submit", "Save profile" if not create else "Add system leader"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)

    @classmethod
    def initial_for(cls, leader: SystemLeader) -> dict:
        return {
            "kind": leader.kind,
            "trust_uid": trust_label(leader.trust) if leader.trust_id else "",
            "school_urn": leader.school.urn if leader.school_id else "",
            "regions": list(leader.regions.all()),
            "phases": leader.phases,
            "focus_areas": leader.focus_areas,
            "available": "yes" if leader.available else "no",
            "max_concurrent_deployments": leader.max_concurrent_deployments,
            "days_available": leader.days_available,
            "conflict_school_urns": ", ".join(s.urn for s in leader.conflict_schools.all()),
            "conflict_trust_uids": ", ".join(t.uid for t in leader.conflict_trusts.all()),
            "wider_team_agreed": leader.wider_team_agreed,
        }

    def _lookup(self, field, model, key, codes, what):
        found = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": codes})}
        missing = [c for c in codes if c not in found]
        if missing:
            self.add_error(field, f"No {what} {', '.join(missing)} in the register")
            return []
        return [found[c] for c in dict.fromkeys(codes)]

    def clean_user_email(self):
        email = self.cleaned_data["user_email"].strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise forms.ValidationError("No user has this email address: invite them first")
        return user

    def clean(self):
        data = super().clean()
        if "trust_uid" in self.fields:
            uid = data.get("trust_uid")  # TrustField: a known trust's UID, or ""
            data["trust"] = Trust.objects.get(uid=uid) if uid else None
            urn = (data.get("school_urn") or "").strip()
            data["school"] = (
                (self._lookup("school_urn", School, "urn", [urn], "school with the URN") or [None])[
                    0
                ]
                if urn
                else None
            )
        data["conflict_schools"] = self._lookup(
            "conflict_school_urns",
            School,
            "urn",
            _codes(data.get("conflict_school_urns")),
            "school with the URN",
        )
        added = [data["conflict_trust_add"]] if data.get("conflict_trust_add") else []
        data["conflict_trusts"] = self._lookup(
            "conflict_trust_uids",
            Trust,
            "uid",
            _codes(data.get("conflict_trust_uids")) + added,
            "trust with the group UID",
        )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        names = [
            "available",
            "max_concurrent_deployments",
            "days_available",
            "focus_areas",
            "conflict_schools",
            "conflict_trusts",
        ]
        if not self.self_edit:
            names += ["kind", "trust", "school", "regions", "phases", "wider_team_agreed"]
        kwargs = {name: data[name] for name in names}
        if "user_email" in self.fields:
            kwargs["leader_user"] = data["user_email"]
        return kwargs
