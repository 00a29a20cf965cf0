"""Deployments, their form sections and enhanced requests over REST (the
contract's "Deployments" and "Enhanced support"). Output serializers render;
input serializers check shapes and feed the services."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from deployments.delivery import selectors
from deployments.delivery.models import (
    SECTION_KEYS,
    Activity,
    CaseStudy,
    Deployment,
    EnhancedRequest,
    GrantInstalment,
    PartnershipGrant,
)
from deployments.delivery.section_context import eligibility_summary, prefill
from deployments.delivery.sections import (
    SECTIONS,
    section_data,
    section_edit_problem,
    section_fields,
    section_missing,
    section_statuses,
)
from deployments.programmes.models import Programme
from portal.api.workflow import WorkflowSerializerMixin


def days_text(value) -> str:
    return f"{Decimal(value):.1f}"


class DeploymentSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    school_urn = serializers.CharField(source="school.urn", default=None, read_only=True)
    trust_uid = serializers.CharField(source="trust.uid", default=None, read_only=True)
    region = serializers.CharField(source="region.name", read_only=True)
    core_days = serializers.SerializerMethodField()
    approved_extension_days = serializers.SerializerMethodField()
    claim_cap_days = serializers.SerializerMethodField()
    days_logged = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    paused = serializers.BooleanField(source="is_paused", read_only=True)
    delayed = serializers.SerializerMethodField()
    earlier_days_logged = serializers.SerializerMethodField()

    class Meta:
        model = Deployment
        fields = [
            "id",
            "state",
            "due_on",
            "allowed_transitions",
            "responsible",
            "timeline",
            "support_case",
            "system_leader",
            "offer",
            "school_urn",
            "trust_uid",
            "region",
            "issued_on",
            "completion_date",
            "core_days",
            "approved_extension_days",
            "claim_cap_days",
            "days_logged",
            "sections",
            "paused",
            "pause_reason",
            "meeting_on",
            "sent_for_sign_off_on",
            "school_signed_on",
            "submitted_on",
            "accepted_on",
            "return_comments",
            "reopened_sections",
            "end_call_held_on",
            "school_experience",
            "future_plans",
            "end_call_issues",
            "withdrawn_reason",
            "bank_details_changed_at",
            "earlier_days_logged",
            "delayed",
            "delay_reported_on",
            "delay_reason",
            "delay_expected_resume_on",
        ]
        read_only_fields = fields

    def get_delayed(self, obj) -> bool:
        """A delay reported and not yet moved on from (the `delayed` filter)."""
        return obj.delay_reported_on is not None and obj.state in Deployment.DELAY_STATES

    def get_earlier_days_logged(self, obj) -> str:
        """Days logged on the case's earlier (withdrawn) deployments: `core_days` is less these."""
        return days_text(obj.earlier_days_logged)

    def get_core_days(self, obj) -> str:
        return days_text(obj.core_days)

    def get_approved_extension_days(self, obj) -> str:
        return days_text(obj.approved_extension_days)

    def get_claim_cap_days(self, obj) -> str:
        return days_text(obj.claim_cap_days)

    def get_days_logged(self, obj) -> str:
        return days_text(selectors.days_logged(obj))

    def get_sections(self, obj) -> list[dict]:
        return [{"key": k, "status": s} for k, s in section_statuses(obj).items()]


# `source(school)` -> the school's guarantee gaps. The guarantees app sits above
# deployments (tests/test_layers.py), so it registers its source from its
# AppConfig.ready() and deployments imports no guarantees module.
_GAP_SOURCES: list = []


def register_gap_source(source) -> None:
    if source not in _GAP_SOURCES:
        _GAP_SOURCES.append(source)


def guarantee_gaps(deployment: Deployment, user) -> list[dict]:
    """The school's Pupil and Parent Guarantee gaps (Not met / Partly met in its
    latest submitted self-assessment) as suggested focus areas, for those who may
    read that self-assessment."""
    from deployments.choices import FocusArea

    school = deployment.school
    if school is None or user is None:
        return []
    if not user.has_perm("guarantees.view_self_assessment", school):
        return []
    return [
        {
            "reference": gap["reference"],
            "text": gap["text"],
            "rating": gap["rating"],
            "focus_area": gap["focus_area"],
            "focus_area_label": FocusArea(gap["focus_area"]).label,
        }
        for source in _GAP_SOURCES
        for gap in source(school)
    ]


def section_payload(deployment: Deployment, key: str, *, user=None) -> dict:
    """A section as the API shows it: its values (bank details masked), its
    status, the required fields still missing, and read-only context."""
    data = section_data(deployment, key)
    section = SECTIONS[key]
    values = {}
    if key == "bank_details":
        values = data
    else:
        for spec in section_fields(deployment, key):
            values[spec.name] = data.get(spec.name)
    payload = {
        "key": key,
        "number": section.number,
        "title": section.title,
        "status": section_statuses(deployment)[key],
        "missing": section_missing(deployment, key, data),
        "editable": bool(
            user is not None
            and not section_edit_problem(deployment, key)
            and user.has_perm(
                "deployments.sign_off_deployment"
                if section.writer == "contact"
                else "deployments.lead_deployment",
                deployment,
            )
        ),
        **values,
    }
    if key == "details":
        payload["prefilled"] = prefill(deployment)
    if key == "scope":
        payload["eligibility"] = eligibility_summary(deployment)
        payload["guarantee_gaps"] = guarantee_gaps(deployment, user)
        payload["programmes"] = data.get("programmes") or []
        payload["focus_areas"] = data.get("focus_areas") or []
    if key == "claim":
        amount = selectors.claim_amount(deployment, data.get("days"))
        payload["amount"] = f"{amount:.2f}" if amount is not None else None
        payload["day_rate"] = f"{deployment.offer.day_rate:.2f}"
        payload["claim_cap_days"] = days_text(deployment.claim_cap_days)
        payload["days_logged"] = days_text(selectors.days_logged(deployment))
    return payload


class SectionSerializer(serializers.Serializer):
    """Documents a section: `key`, `status`, `missing` and the section's own
    fields (see the contract); bank details only masked."""

    key = serializers.ChoiceField(choices=SECTION_KEYS)
    number = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["not_started", "in_progress", "completed", "cannot_start_yet"]
    )
    missing = serializers.ListField(child=serializers.CharField())
    editable = serializers.BooleanField()


class DeploymentNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InitialMeetingInput(DeploymentNoteInput):
    meeting_on = serializers.DateField()


class ReturnInput(DeploymentNoteInput):
    comments = serializers.CharField()
    sections = serializers.ListField(child=serializers.ChoiceField(choices=SECTION_KEYS))


class EndCallInput(DeploymentNoteInput):
    held_on = serializers.DateField()
    school_experience = serializers.CharField()
    future_plans = serializers.CharField()
    issues = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="DeploymentReasonInput")  # claims has a ReasonInput too
class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class WithdrawInput(serializers.Serializer):
    """Either withdrawal's body (its own name: the other apps' `ReasonInput`
    would share the schema component)."""

    reason = serializers.CharField()


class DelayInput(serializers.Serializer):
    reason = serializers.CharField()
    expected_resume_on = serializers.DateField(required=False, allow_null=True, default=None)


class ActivitySerializer(serializers.ModelSerializer):
    days = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "date", "days", "description", "delivered_by", "by_colleague", "mode"]

    def get_days(self, obj) -> str:
        return days_text(obj.days)


class ActivityInput(serializers.Serializer):
    date = serializers.DateField()
    days = serializers.CharField()
    description = serializers.CharField()
    delivered_by = serializers.CharField(required=False, allow_blank=True, default="")
    mode = serializers.ChoiceField(
        choices=Activity.Mode.choices, required=False, default=Activity.Mode.FACE_TO_FACE
    )


class GrantInstalmentSerializer(serializers.ModelSerializer):
    """`received` maps each evidence received to its date; `is_due` is true once
    the evidence is complete; `claim` is the instalment's claim (id) or null."""

    is_due = serializers.BooleanField(read_only=True)
    claim = serializers.SerializerMethodField()

    class Meta:
        model = GrantInstalment
        fields = [
            "number",
            "amount",
            "condition",
            "needs",
            "received",
            "condition_met_on",
            "is_due",
            "claim",
        ]

    def get_claim(self, obj) -> int | None:
        claim = getattr(obj, "claim", None) if hasattr(obj, "claim") else None
        return claim.pk if claim else None


class MaskedBankDetailsSerializer(serializers.Serializer):
    """Bank details as every answer shows them: masked, as section `bank_details`."""

    account_name = serializers.CharField()
    sort_code_masked = serializers.CharField()
    account_number_masked = serializers.CharField()
    changed_at = serializers.DateTimeField(allow_null=True)


class PartnershipGrantSerializer(serializers.ModelSerializer):
    """A funded partnership's grant, paid to the partner trust."""

    partner_trust_uid = serializers.CharField(source="partner_trust.uid", read_only=True)
    partner_trust_name = serializers.CharField(source="partner_trust.name", read_only=True)
    enhanced_request = serializers.IntegerField(source="enhanced_request_id", read_only=True)
    offer_letter_url = serializers.SerializerMethodField()
    bank_details = serializers.SerializerMethodField()
    instalments = GrantInstalmentSerializer(many=True, read_only=True)

    class Meta:
        model = PartnershipGrant
        fields = [
            "id",
            "enhanced_request",
            "partner_trust_uid",
            "partner_trust_name",
            "starts_on",
            "ends_on",
            "months",
            "total",
            "offer_letter_url",
            "bank_details",
            "instalments",
        ]
        read_only_fields = fields

    def get_offer_letter_url(self, obj) -> str:
        from django.urls import reverse

        path = reverse("partnership-grant-offer-letter", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(MaskedBankDetailsSerializer(allow_null=True))
    def get_bank_details(self, obj) -> dict | None:
        bank = obj.account
        return MaskedBankDetailsSerializer(bank).data if bank and bank.fingerprint else None


class GrantBankDetailsInput(serializers.Serializer):
    account_name = serializers.CharField(allow_blank=True)
    sort_code = serializers.CharField(allow_blank=True)
    account_number = serializers.CharField(allow_blank=True)


class EnhancedRequestSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    days = serializers.SerializerMethodField()
    suggested_trust_uid = serializers.CharField(
        source="suggested_trust.uid", default=None, read_only=True
    )
    grant = serializers.SerializerMethodField()

    class Meta:
        model = EnhancedRequest
        fields = [
            "id",
            "deployment",
            "kind",
            "state",
            "due_on",
            "allowed_transitions",
            "responsible",
            "timeline",
            "days",
            "context",
            "benefit",
            "school_agrees",
            "suggested_trust_uid",
            "tell_regions_group",
            "completion_date",
            "summary",
            "rationale",
            "copy_to",
            "decided_on",
            "grant",
        ]
        read_only_fields = fields

    def get_days(self, obj) -> str | None:
        return days_text(obj.days) if obj.days is not None else None

    @extend_schema_field(PartnershipGrantSerializer(allow_null=True))
    def get_grant(self, obj) -> dict | None:
        grant = getattr(obj, "grant", None) if hasattr(obj, "grant") else None
        return PartnershipGrantSerializer(grant, context=self.context).data if grant else None


class EnhancedRequestInput(serializers.Serializer):
    deployment = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EnhancedRequest.Kind.choices)
    days = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    context = serializers.CharField(required=False, allow_blank=True, default="")
    benefit = serializers.CharField(required=False, allow_blank=True, default="")
    school_agrees = serializers.BooleanField(required=False, allow_null=True, default=None)
    suggested_trust_uid = serializers.CharField(required=False, allow_blank=True, default="")
    tell_regions_group = serializers.BooleanField(required=False, default=False)


class ApproveInput(DeploymentNoteInput):
    """`completion_date` for an extension; `partner_trust_uid` (default: the
    suggested trust), `starts_on` (default: today) and `partner_contact_email`
    (required when the partner trust has no contact on the portal: that person
    is invited as the trust's contact) for a funded partnership."""

    completion_date = serializers.DateField(required=False, allow_null=True, default=None)
    partner_trust_uid = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    partner_contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    copy_to = serializers.EmailField(required=False, allow_blank=True, default="")


class DeclineInput(DeploymentNoteInput):
    rationale = serializers.CharField()
    copy_to = serializers.EmailField(required=False, allow_blank=True, default="")


class GrantEvidenceInput(serializers.Serializer):
    instalment = serializers.IntegerField(min_value=1)
    evidence = serializers.ChoiceField(choices=GrantInstalment.Evidence.choices)
    received_on = serializers.DateField()


class ProgrammeSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display")

    class Meta:
        model = Programme
        fields = ["slug", "name", "category", "category_label", "summary"]


class CaseStudySerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="deployment.region.name")

    class Meta:
        model = CaseStudy
        fields = [
            "id",
            "deployment",
            "title",
            "context",
            "support_carried_out",
            "impact",
            "next_steps",
            "focus_areas",
            "phase",
            "region",
        ]
