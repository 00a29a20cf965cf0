from rest_framework import serializers

from deployments.models import (
    EligibilityAssessment,
    ExceptionRequest,
    RegionalDirectorAssessment,
    SupportOffer,
)
from deployments.selectors import assessment_sentence, evidence_for
from portal.api.serializers import PatternField, TextField, id_field


class SupportOfferSerializer(serializers.ModelSerializer):
    instalment_amount = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)

    class Meta:
        model = SupportOffer
        fields = [
            "id",
            "academic_year",
            "starts_on",
            "ends_on",
            "core_days",
            "day_rate",
            "max_extension_days",
            "extension_window_weeks",
            "partnership_grant",
            "partnership_instalments",
            "instalment_amount",
            "partnership_months",
            "sla_working_days",
            "rule_set",
        ]
        read_only_fields = fields


def _nullable(source: str) -> serializers.CharField:
    """A read-only name or code of a related record that may be absent."""
    return serializers.CharField(source=source, default=None, allow_null=True, read_only=True)


class EligibilityAssessmentSerializer(serializers.ModelSerializer):
    offer = serializers.CharField(source="offer.academic_year", read_only=True)
    school_urn = _nullable("school.urn")
    school_name = _nullable("school.name")
    trust_uid = _nullable("trust.uid")
    trust_name = _nullable("trust.name")
    region = _nullable("region.name")
    run_label = serializers.CharField(read_only=True)
    pipeline_status = serializers.CharField(read_only=True)
    evidence = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = EligibilityAssessment
        fields = [
            "id",
            "offer",
            "school_urn",
            "school_name",
            "trust_uid",
            "trust_name",
            "region",
            "criterion",
            "status",
            "run_length",
            "run_label",
            "latest_inspection_date",
            "latest_grade",
            "predecessor_used",
            "through_trust_ceo",
            "evidence",
            "computed_at",
            "pipeline_status",
            "explanation",
        ]
        read_only_fields = fields

    def get_evidence(self, obj) -> dict:
        """The evidence; a recorded criterion's reason and names only for the
        readers of its RD assessment or exception request."""
        return evidence_for(self.context["request"].user, obj)

    def get_explanation(self, obj) -> str:
        return assessment_sentence(obj)


class RecomputeInputSerializer(serializers.Serializer):
    offer = id_field(required=False, help_text="The offer's id; the current offer if absent.")


class RecomputeStartedSerializer(serializers.Serializer):
    job_id = serializers.IntegerField()
    poll_url = serializers.CharField()
    progress_page = serializers.CharField()


class _TargetInputSerializer(serializers.Serializer):
    school_urn = PatternField(r"^\d{6}$", required=False)
    trust_uid = TextField(required=False, max_length=10)
    reason = TextField(max_length=5000)

    def validate(self, attrs):
        from schools.models import School, Trust

        if bool(attrs.get("school_urn")) == bool(attrs.get("trust_uid")):
            raise serializers.ValidationError("Give either school_urn or trust_uid.")
        attrs["school"] = attrs["trust"] = None
        if urn := attrs.get("school_urn"):
            attrs["school"] = School.objects.select_related("trust").filter(urn=urn).first()
            if attrs["school"] is None:
                raise serializers.ValidationError({"school_urn": "No school has this URN."})
        else:
            attrs["trust"] = Trust.objects.filter(uid=attrs["trust_uid"]).first()
            if attrs["trust"] is None:
                raise serializers.ValidationError({"trust_uid": "No trust has this group UID."})
        return attrs


class RdAssessmentInputSerializer(_TargetInputSerializer):
    assessed_on = serializers.DateField(required=False)


class ExceptionRequestInputSerializer(_TargetInputSerializer):
    source = serializers.ChoiceField(choices=ExceptionRequest.Source.choices)


class ExceptionDecisionInputSerializer(serializers.Serializer):
    note = TextField(required=False, allow_blank=True, max_length=5000)


class RdAssessmentSerializer(serializers.ModelSerializer):
    offer = serializers.CharField(source="offer.academic_year", read_only=True)
    school_urn = _nullable("school.urn")
    trust_uid = _nullable("trust.uid")
    region = serializers.CharField(source="region.name", read_only=True)
    assessed_by = serializers.CharField(source="assessed_by.full_name", read_only=True)

    class Meta:
        model = RegionalDirectorAssessment
        fields = [
            "id",
            "offer",
            "school_urn",
            "trust_uid",
            "region",
            "assessed_by",
            "assessed_on",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class ExceptionRequestSerializer(serializers.ModelSerializer):
    offer = serializers.CharField(source="offer.academic_year", read_only=True)
    school_urn = _nullable("school.urn")
    trust_uid = _nullable("trust.uid")
    region = serializers.CharField(source="region.name", read_only=True)
    requested_by = serializers.CharField(source="requested_by.full_name", read_only=True)
    decided_by = _nullable("decided_by.full_name")

    class Meta:
        model = ExceptionRequest
        fields = [
            "id",
            "offer",
            "school_urn",
            "trust_uid",
            "region",
            "source",
            "reason",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields
