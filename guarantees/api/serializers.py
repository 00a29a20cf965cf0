"""Output serializers (one per resource) and the input serializers that feed
the services."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from guarantees.choices import DECISION_OUTCOMES, Rating
from guarantees.models import Complaint, Entitlement, Guarantee, SelfAssessment
from portal.api.workflow import WorkflowSerializerMixin
from schools.models import School


class EntitlementSerializer(serializers.ModelSerializer):
    guarantee = serializers.CharField(source="ambition.guarantee.key")
    ambition = serializers.CharField(source="ambition.letter")
    ambition_title = serializers.CharField(source="ambition.title")

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "guarantee",
            "ambition",
            "ambition_title",
            "kind",
            "text",
            "phases",
            "from_date",
            "min_age",
            "max_age",
            "one_to_one_tuition",
            "focus_area",
        ]


class AmbitionOutSerializer(serializers.Serializer):
    letter = serializers.CharField()
    title = serializers.CharField()
    statement = serializers.CharField()
    entitlements = serializers.SerializerMethodField()

    def get_entitlements(self, ambition) -> list[int]:
        return [e.pk for e in ambition.entitlements.all()]


class GuaranteeSerializer(serializers.ModelSerializer):
    ambitions = AmbitionOutSerializer(many=True)

    class Meta:
        model = Guarantee
        fields = ["key", "title", "introduction", "ambitions"]


class EntitlementFilterSerializer(serializers.Serializer):
    guarantee = serializers.ChoiceField(choices=Guarantee.Key.choices, required=False)
    ambition = serializers.ChoiceField(choices=list("abcde"), required=False)
    phase = serializers.ChoiceField(
        choices=["nursery", "primary", "secondary", "sixteen_plus"], required=False
    )


class RatingSerializer(serializers.Serializer):
    entitlement = serializers.IntegerField(source="entitlement_id")
    rating = serializers.CharField()
    evidence = serializers.CharField()


class SelfAssessmentSerializer(serializers.ModelSerializer):
    school_urn = serializers.CharField(source="school.urn")
    academic_year = serializers.CharField()
    ratings = RatingSerializer(many=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "school_urn",
            "year",
            "academic_year",
            "state",
            "link_governor_name",
            "submitted_at",
            "ratings",
            "summary",
        ]

    def get_summary(self, assessment) -> list[dict]:
        from guarantees.selectors import self_assessment_summary

        return [
            {
                "guarantee": row["ambition"].guarantee.key,
                "ambition": row["letter"],
                "applicable": row["applicable"],
                "met": row["met"],
                "partly_met": row["partly_met"],
                "not_met": row["not_met"],
                "percent_met": row["percent_met"],
            }
            for row in self_assessment_summary(assessment)
        ]


class RatingInputSerializer(serializers.Serializer):
    entitlement = serializers.IntegerField()
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True)
    evidence = serializers.CharField(allow_blank=True, required=False, default="")


class SelfAssessmentInputSerializer(serializers.Serializer):
    ratings = RatingInputSerializer(many=True, required=False, default=list)
    link_governor_name = serializers.CharField(allow_blank=True, required=False, default="")
    link_governor_email = serializers.EmailField(allow_blank=True, required=False, default="")
    submit = serializers.BooleanField(required=False, default=False)


class ComplaintSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    """Only the school's contacts and the region's staff reach this API, so the
    complainant's details are shown; erased records show blanks."""

    school_urn = serializers.CharField(source="school.urn")
    region = serializers.CharField(source="region.name", default=None)
    entitlements = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    local_authority = serializers.CharField(source="local_authority.name", default=None)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "school_urn",
            "region",
            "entitlements",
            "channel",
            "state",
            "allowed_transitions",
            "responsible",
            "due_on",
            "timeline",
            "outcome",
            "vexatious",
            "vexatious_reason",
            "relationship",
            "complainant_name",
            "complainant_email",
            "description",
            "concerns_la_tuition",
            "local_authority",
            "school_response",
            "link_governor_name",
            "governing_body_response",
            "ombudsman_reference",
            "ombudsman_recommendation",
            "direction_note",
            "received_at",
            "closed_at",
            "erased_at",
        ]


class ComplaintCreateSerializer(serializers.Serializer):
    """A complaint received on paper (or by telephone), recorded by staff."""

    school_urn = serializers.SlugRelatedField(
        slug_field="urn", queryset=School.objects.all(), source="school"
    )
    entitlements = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Entitlement.objects.all(), allow_empty=False
    )
    description = serializers.CharField()
    relationship = serializers.ChoiceField(choices=Complaint.Relationship.choices)
    name = serializers.CharField(allow_blank=True, required=False, default="")
    email = serializers.EmailField(allow_blank=True, required=False, default="")
    concerns_la_tuition = serializers.BooleanField(required=False, default=False)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)


class SelfAssessmentFilterSerializer(serializers.Serializer):
    school_urn = serializers.RegexField(r"^\d{6}$", required=False)
    year = serializers.IntegerField(required=False, min_value=2009, max_value=2100)
    state = serializers.ChoiceField(choices=SelfAssessment.State.choices, required=False)


class ComplaintNoteInput(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, default="")


@extend_schema_serializer(component_name="ComplaintReasonInput")  # claims has a ReasonInput too
class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class SchoolResolvesInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DECISION_OUTCOMES)
    response = serializers.CharField(allow_blank=True)


class ReferToGoverningBodyInput(serializers.Serializer):
    response = serializers.CharField(allow_blank=True)
    link_governor_name = serializers.CharField(allow_blank=True)


class ReferToOmbudsmanInput(serializers.Serializer):
    ombudsman_reference = serializers.CharField(allow_blank=True, required=False, default="")
    note = serializers.CharField(allow_blank=True, required=False, default="")


class OmbudsmanRecommendsInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DECISION_OUTCOMES)
    recommendation = serializers.CharField(allow_blank=True)


class DirectionInput(serializers.Serializer):
    direction = serializers.CharField(allow_blank=True)
