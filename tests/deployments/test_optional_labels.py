"""GOV.UK "(optional)": a field a person may leave blank says so in its label; a
required field and a field required only in some cases (its hint or the answer it
is revealed under says when) do not. The deployment form's labels come from the
section specs (required / optional / conditional), the other forms' from
portal.forms.label_optional_fields."""

import re

import pytest
from django import forms

from deployments.delivery.enhanced_forms import EnhancedRequestForm
from deployments.delivery.forms import SectionForm
from deployments.delivery.models import Deployment
from deployments.delivery.sections import CONDITIONAL, OPTIONAL, REQUIRED, SECTIONS
from deployments.leaders.forms import SystemLeaderForm
from deployments.matching.forms import ProposeForm
from guarantees.forms import ContactQuestion, SelfAssessmentForm
from portal.forms import label_optional_fields
from tests.deployments.delivery_fixtures import make_cast

pytestmark = pytest.mark.django_db


def labels(form) -> dict:
    return {name: str(field.label) for name, field in form.fields.items()}


def test_every_section_field_declares_one_of_the_three_needs():
    for section in SECTIONS.values():
        for spec in section.fields:
            assert spec.need in (REQUIRED, OPTIONAL, CONDITIONAL), spec.name
            assert spec.form_label.endswith("(optional)") == (spec.need == OPTIONAL)


def test_the_closure_section_labels_come_from_the_spec():
    closure = labels(SectionForm(key="closure", saved={}))
    assert closure["all_activities_completed"] == "Were all planned activities completed?"
    assert closure["impact"] == "Impact"  # required
    # Required only when not every activity was completed: no "(optional)".
    assert "(optional)" not in closure["not_completed_reason"]
    assert SECTIONS["closure"].field("not_completed_reason").need == CONDITIONAL
    assert labels(SectionForm(key="school_confirmation", saved={}))["comments"] == (
        "Comments (optional)"
    )
    assert labels(SectionForm(key="details", saved={}))["contact_phone"] == (
        "Contact telephone (optional)"
    )


def test_the_trust_ceo_confirmation_is_required_in_a_trust_and_optional_elsewhere():
    from schools.models import Trust
    from tests.schools.factories import TrustFactory

    cast = make_cast()
    field = "through_trust_ceo_confirmed"
    alone = labels(SectionForm(key="scope", saved={}, deployment=cast.deployment))
    assert alone[field] == "Support goes through the Trust CEO (optional)"
    assert (
        not SectionForm(key="scope", saved={}, deployment=cast.deployment).fields[field].help_text
    )  # "Required for a school in a multi-academy trust" would contradict it
    school = cast.deployment.school
    school.trust = TrustFactory(kind=Trust.Kind.MULTI_ACADEMY)
    school.save()
    deployment = Deployment.objects.get(pk=cast.deployment.pk)
    in_trust = SectionForm(key="scope", saved={}, deployment=deployment)
    assert labels(in_trust)[field] == "Support goes through the Trust CEO"
    assert in_trust.fields[field].help_text == "Required for a school in a multi-academy trust"


def test_the_reason_is_revealed_under_no_on_the_closure_page(client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    page = client_for(cast.leader).get(f"/deployments/{cast.deployment.pk}/sections/closure/")
    html = page.content.decode()
    assert page.status_code == 200
    # The "No" radio controls the revealed reason, which carries its condition as a hint.
    no_radio = re.search(r'<input[^>]*value="false"[^>]*>', html, re.S).group(0)
    assert 'aria-controls="conditional_all_activities_completed_' in no_radio
    reveal = html[html.index('class="govuk-radios__conditional') :]
    assert 'name="not_completed_reason"' in reveal[: reveal.index("</div>\n    </div>") + 200]
    assert "Needed when not all planned activities were completed" in html
    assert "Why not all activities were completed (optional)" not in html
    assert "Why not all activities were completed" in html


def test_the_rendered_section_pages_say_optional_on_optional_fields_only(client_for):
    cast = make_cast()
    client = client_for(cast.leader)
    details = client.get(f"/deployments/{cast.deployment.pk}/sections/details/").content.decode()
    assert "Contact telephone (optional)" in details
    assert "Contact name (optional)" not in details and "Contact name" in details
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    review = client.get(f"/deployments/{cast.deployment.pk}/sections/mid_review/")
    assert "Mid-point return sent to the RDP (optional)" in review.content.decode()
    assert "Progress so far (optional)" not in review.content.decode()


def test_the_helper_skips_required_checkbox_hidden_and_conditional_fields():
    class Entry(forms.Form):
        name = forms.CharField(label="Name")
        note = forms.CharField(label="Note", required=False)
        reason = forms.CharField(label="Reason", required=False)
        agreed = forms.BooleanField(label="I agree", required=False)
        token = forms.CharField(label="Token", required=False, widget=forms.HiddenInput)
        conditionally_required = ("reason",)

    form = Entry()
    label_optional_fields(form)
    assert labels(form) == {
        "name": "Name",
        "note": "Note (optional)",
        "reason": "Reason",
        "agreed": "I agree",
        "token": "Token",
    }


def test_the_enhanced_support_form_marks_only_the_partner_trusts_optional():
    got = labels(EnhancedRequestForm())
    assert got["funded_trust"] == "Suggested partner trust (optional)"
    assert got["unfunded_trust"] == "Partner trust (optional)"
    # Needed for the kind they are revealed under.
    for name in ("days", "context", "school_agrees", "benefit", "funded_school_agrees"):
        assert "(optional)" not in got[name], name
    assert got["tell_regions_group"] == "Tell Regions Group about this partnership"


def test_the_proposal_override_reason_is_conditional_and_the_note_optional():
    got = labels(ProposeForm())
    assert got["note"] == "Note for the RDP (optional)"
    assert got["override_reason"] == "Reason for choosing someone outside the ranked list"


def test_the_leader_profile_marks_optional_and_conditional_fields():
    staff = labels(SystemLeaderForm())
    assert staff["phases"] == "Phases (optional)"
    assert staff["conflict_school_urns"] == "Schools with a conflict of interest (optional)"
    assert "(optional)" not in staff["school_urn"]  # needed for an NLE
    assert "(optional)" not in staff["regions"]
    assert staff["wider_team_agreed"] == "DfE agreed this NLE may draw on their wider team"
    own = labels(SystemLeaderForm(self_edit=True))
    assert own["focus_areas"] == "Focus areas (optional)"
    assert own["available"] == "Are you available for new deployments?"


def test_the_complaint_forms_say_optional_where_blank_is_fine():
    contact = labels(ContactQuestion())
    assert contact["name"] == "Your name (optional)"
    assert contact["email"] == "Your e-mail address"
    assert "(optional)" not in contact["website"]  # the honeypot people never see
    assessment = labels(SelfAssessmentForm())
    assert assessment["link_governor_email"] == "Link governor's e-mail address (optional)"
    # A draft may leave it blank, but submitting needs it.
    assert assessment["link_governor_name"] == "Link governor for the Guarantees"
