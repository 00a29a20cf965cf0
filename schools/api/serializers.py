"""Output serializers for the read-only register API: one per resource."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schools.judgements import REPORT_CARD_AREAS
from schools.models import LocalAuthority, OfstedInspection, Region, School, SchoolLink, Trust


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class LocalAuthoritySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = LocalAuthority
        fields = ["code", "name", "region"]


class TrustSerializer(serializers.ModelSerializer):
    open_school_count = serializers.IntegerField(source="school_count", read_only=True)

    class Meta:
        model = Trust
        fields = [
            "uid",
            "group_id",
            "name",
            "companies_house_number",
            "kind",
            "group_type",
            "status",
            "opened_on",
            "closed_on",
            "street",
            "locality",
            "address3",
            "town",
            "county",
            "postcode",
            "head_of_group",
            "ukprn",
            "open_school_count",
        ]


class SchoolTrustSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trust
        fields = ["uid", "name"]


class SchoolSerializer(serializers.ModelSerializer):
    """A school with its latest overall grade (from the selector's annotation)."""

    local_authority = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    trust = SchoolTrustSerializer(read_only=True, allow_null=True)
    latest_overall_effectiveness = serializers.IntegerField(
        source="latest_grade",
        read_only=True,
        allow_null=True,
        help_text="Overall effectiveness (1-4) of the latest inspection that gave one.",
    )
    latest_graded_on = serializers.DateField(read_only=True, allow_null=True)
    latest_inspection_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = School
        fields = [
            "urn",
            "laestab",
            "name",
            "type_code",
            "type_name",
            "type_group",
            "status",
            "phase",
            "statutory_low_age",
            "statutory_high_age",
            "religious_character",
            "diocese",
            "number_of_pupils",
            "percentage_fsm",
            "street",
            "locality",
            "address3",
            "town",
            "county",
            "postcode",
            "headteacher",
            "opened_on",
            "open_reason",
            "closed_on",
            "close_reason",
            "local_authority",
            "region",
            "trust",
            "trust_joined_on",
            "latest_overall_effectiveness",
            "latest_graded_on",
            "latest_inspection_on",
        ]


class SchoolLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchoolLink
        fields = ["urn", "linked_urn", "linked_name", "kind", "link_type", "established_on"]


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 1,
        "maximum": 4,
        "nullable": True,
        "description": "1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate; "
        "null when not graded.",
    }
)
class GradeField(serializers.IntegerField):
    """An Ofsted grade on the four-point scale."""


@extend_schema_field(
    {
        "type": "string",
        "description": "A report-card area grade on the five-point scale: "
        + ", ".join(value for value, _ in OfstedInspection.ReportCardGrade.choices)
        + "; empty when not graded.",
    }
)
class ReportCardGradeField(serializers.CharField):
    """A report-card area grade (from November 2025)."""


class InspectionSerializer(serializers.ModelSerializer):
    """One inspection. The grade fields share one scale each, documented once per field."""

    school = serializers.SerializerMethodField()

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if model_field.choices == OfstedInspection.Grade.choices:
            return GradeField, {"read_only": True, "allow_null": True}
        if model_field.choices == OfstedInspection.ReportCardGrade.choices:
            return ReportCardGradeField, {"read_only": True, "allow_blank": True}
        return field_class, kwargs

    class Meta:
        model = OfstedInspection
        fields = [
            "inspection_number",
            "school",
            "urn_at_time",
            "kind",
            "inspection_type",
            "start_date",
            "end_date",
            "publication_date",
            "overall_effectiveness",
            "category_of_concern",
            "quality_of_education",
            "behaviour_and_attitudes",
            "personal_development",
            "leadership_and_management",
            "early_years",
            "sixth_form",
            "safeguarding_effective",
            "ungraded_outcome",
            *REPORT_CARD_AREAS,
            "rc_safeguarding_met",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_school(self, obj) -> str:
        """The URN of the school the inspection belongs to."""
        return obj.school.urn
