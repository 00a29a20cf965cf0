"""Support cases over REST: the output serializer (the contract's fields and a
few more) and one input serializer per transition body."""

from rest_framework import serializers

from deployments.matching.models import SupportCase
from deployments.models import EligibilityAssessment, SystemLeader
from portal.api.workflow import WorkflowSerializerMixin
from portal.models import Role, User

# Matching detail that only the regional team and Admin see.
INTERNAL_FIELDS = (
    "declined_by",
    "override_reason",
    "owner",
    "owner_name",
    "watching",
    "trust_open_cases",
)


class SupportCaseSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    offer = serializers.CharField(source="offer.academic_year", read_only=True)
    school_urn = serializers.CharField(source="school.urn", default=None, read_only=True)
    school_name = serializers.CharField(source="school.name", default=None, read_only=True)
    trust_uid = serializers.CharField(source="trust.uid", default=None, read_only=True)
    trust_name = serializers.CharField(source="trust.name", default=None, read_only=True)
    region = serializers.CharField(source="region.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    responsible = serializers.CharField(read_only=True, allow_null=True)
    system_leader = serializers.PrimaryKeyRelatedField(read_only=True)
    system_leader_name = serializers.CharField(
        source="system_leader.user.full_name", default=None, read_only=True
    )
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", default=None, read_only=True)
    declined_by = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    deployment = serializers.SerializerMethodField()
    deployments = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    watching = serializers.SerializerMethodField()

    class Meta:
        model = SupportCase
        fields = [
            "id",
            "eligibility",
            "offer",
            "school_urn",
            "school_name",
            "trust_uid",
            "trust_name",
            "region",
            "state",
            "state_label",
            "responsible",
            "due_on",
            "overdue",
            "system_leader",
            "system_leader_name",
            "override_reason",
            "declined_by",
            "school_confirmed",
            "school_context",
            "concern",
            "owner",
            "owner_name",
            "watching",
            "deployment",
            "la_contacted",
            "la_contacted_on",
            "deployments",
            "opened_at",
            "allowed_transitions",
            "timeline",
        ]
        read_only_fields = fields

    def get_deployment(self, obj) -> int | None:
        deployment = getattr(obj, "deployment", None)
        return deployment.pk if deployment is not None else None

    def get_deployments(self, obj) -> list[int]:
        """Every deployment issued for the case, oldest first (a case is matched
        again when its deployment is withdrawn)."""
        return sorted(d.pk for d in obj.deployments.all())

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def get_watching(self, obj) -> bool:
        if hasattr(obj, "watching"):
            return bool(obj.watching)
        request = self.context.get("request")
        return bool(request and obj.watchers.filter(pk=request.user.pk).exists())

    def to_representation(self, obj):
        data = super().to_representation(obj)
        request = self.context.get("request")
        user = request.user if request else None
        if user is None or not (
            user.is_superuser
            or user.role in (Role.ADMIN, Role.REGIONS_STAFF, Role.REGIONAL_DIRECTOR, Role.RDP)
        ):
            for name in INTERNAL_FIELDS:
                data.pop(name, None)
        if user is None or not obj.leader_shown_to(user):
            data["system_leader"] = data["system_leader_name"] = None
        return data


class TrustProfileSerializer(serializers.Serializer):
    """A MAT CEO's trust: its open schools, those with a graded judgement, and
    those whose latest graded judgement is Good or Outstanding (`share`: a whole
    percentage of the graded ones, null when none is graded)."""

    schools = serializers.IntegerField()
    graded = serializers.IntegerField()
    good_or_outstanding = serializers.IntegerField()
    share = serializers.IntegerField(allow_null=True)


class SchoolJudgementSerializer(serializers.Serializer):
    """An NLE's own school and its latest graded judgement (null grade: none yet)."""

    school_urn = serializers.CharField(source="urn")
    school_name = serializers.CharField(source="name")
    grade = serializers.IntegerField(source="latest_grade", allow_null=True)
    grade_label = serializers.SerializerMethodField()
    inspected_on = serializers.DateField(source="latest_graded_on", allow_null=True)

    def get_grade_label(self, obj) -> str | None:
        from schools.models import OfstedInspection

        grade = obj.get("latest_grade")
        return OfstedInspection.Grade(grade).label if grade else None


def _days():
    return serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)


class SupportCaseDetailSerializer(SupportCaseSerializer):
    """One case (its page, its creation, every transition's answer): the list's
    fields and `trust_open_cases`, the ids of the other open cases of its trust
    (the trust's own or its schools', in any region), oldest first."""

    trust_open_cases = serializers.SerializerMethodField()

    class Meta(SupportCaseSerializer.Meta):
        fields = [*SupportCaseSerializer.Meta.fields, "trust_open_cases"]
        read_only_fields = fields

    def get_trust_open_cases(self, obj) -> list[int]:
        from deployments.matching.selectors import trust_open_cases

        return list(trust_open_cases(obj).values_list("pk", flat=True))


class CandidateSerializer(serializers.Serializer):
    system_leader = serializers.IntegerField(source="system_leader.pk")
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    name = serializers.CharField(source="system_leader.user.full_name")
    kind = serializers.CharField(source="system_leader.kind")
    days_available = serializers.IntegerField(source="system_leader.days_available")
    days_committed = _days()
    days_remaining = _days()
    trust_profile = TrustProfileSerializer(allow_null=True, read_only=True)
    school_judgement = SchoolJudgementSerializer(allow_null=True, read_only=True)


class SupportCaseOpenSerializer(serializers.Serializer):
    eligibility = serializers.PrimaryKeyRelatedField(
        queryset=EligibilityAssessment.objects.select_related("region")
    )


def _text(required=True, **kwargs):
    return serializers.CharField(
        required=required, allow_blank=not required, max_length=5000, **kwargs
    )


class NoteSerializer(serializers.Serializer):
    note = _text(required=False, default="")


class AcceptRequestSerializer(NoteSerializer):
    """The confirmations the accept page asks for; optional here, recorded when given."""

    confirms_capacity = serializers.BooleanField(required=False, allow_null=True, default=None)
    confirms_no_conflict = serializers.BooleanField(required=False, allow_null=True, default=None)


class ProposeSerializer(NoteSerializer):
    system_leader = serializers.PrimaryKeyRelatedField(
        queryset=SystemLeader.objects.select_related("user")
    )
    override_reason = _text(required=False, default="")


class ContextSerializer(serializers.Serializer):
    context = _text(required=False, default="")


class ReasonSerializer(serializers.Serializer):
    reason = _text()


class LaContactedSerializer(serializers.Serializer):
    contacted = serializers.ChoiceField(choices=SupportCase.LaContacted.choices)
    note = _text(required=False, default="")


class ConcernSerializer(serializers.Serializer):
    concern = _text()


class ConcernAnswerSerializer(serializers.Serializer):
    rationale = _text()
    keep_match = serializers.BooleanField()


class OwnerSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
