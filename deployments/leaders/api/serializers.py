"""The contract's "System leaders" resource: one output serializer, one input
serializer that turns URNs, UIDs, names and e-mails into records."""

from rest_framework import serializers

from deployments.choices import FocusArea, Phase
from deployments.leaders.models import SystemLeader
from portal.models import User
from schools.models import Region, School, Trust


class SystemLeaderSerializer(serializers.ModelSerializer):
    user_email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    trust_uid = serializers.CharField(source="trust.uid", default=None, read_only=True)
    school_urn = serializers.CharField(source="school.urn", default=None, read_only=True)
    regions = serializers.SerializerMethodField()
    phases = serializers.ListField(child=serializers.ChoiceField(Phase.choices), read_only=True)
    focus_areas = serializers.ListField(
        child=serializers.ChoiceField(FocusArea.choices), read_only=True
    )
    conflict_school_urns = serializers.SerializerMethodField()
    conflict_trust_uids = serializers.SerializerMethodField()
    active_deployments = serializers.IntegerField(source="active_count", read_only=True)

    class Meta:
        model = SystemLeader
        fields = [
            "id",
            "user_email",
            "full_name",
            "kind",
            "trust_uid",
            "school_urn",
            "regions",
            "phases",
            "focus_areas",
            "max_concurrent_deployments",
            "days_available",
            "available",
            "conflict_school_urns",
            "conflict_trust_uids",
            "wider_team_agreed",
            "active_deployments",
        ]
        read_only_fields = fields

    def get_regions(self, obj) -> list[str]:
        return sorted(region.name for region in obj.regions.all())

    def get_conflict_school_urns(self, obj) -> list[str]:
        return sorted(school.urn for school in obj.conflict_schools.all())

    def get_conflict_trust_uids(self, obj) -> list[str]:
        return sorted(trust.uid for trust in obj.conflict_trusts.all())


def _by_key(model, field: str, values, what: str) -> list:
    values = [str(v).strip() for v in values]
    found = {getattr(obj, field): obj for obj in model.objects.filter(**{f"{field}__in": values})}
    missing = [v for v in values if v not in found]
    if missing:
        raise serializers.ValidationError(f"No {what} {', '.join(missing)} in the register.")
    return [found[v] for v in dict.fromkeys(values)]


class SystemLeaderInputSerializer(serializers.Serializer):
    """POST takes every field (`user_email`, `kind`, `regions` required); PATCH
    (partial) any of them but `user_email`. Output keys are the service's."""

    user_email = serializers.EmailField(required=True)
    kind = serializers.ChoiceField(SystemLeader.Kind.choices)
    trust_uid = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    school_urn = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    regions = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    phases = serializers.ListField(
        child=serializers.ChoiceField(Phase.choices), required=False, allow_empty=True
    )
    focus_areas = serializers.ListField(
        child=serializers.ChoiceField(FocusArea.choices), required=False, allow_empty=True
    )
    max_concurrent_deployments = serializers.IntegerField(required=False, min_value=1, max_value=20)
    days_available = serializers.IntegerField(required=False, min_value=0, max_value=365)
    available = serializers.BooleanField(required=False)
    conflict_school_urns = serializers.ListField(
        child=serializers.CharField(), required=False, allow_empty=True
    )
    conflict_trust_uids = serializers.ListField(
        child=serializers.CharField(), required=False, allow_empty=True
    )
    wider_team_agreed = serializers.BooleanField(required=False)

    def validate_user_email(self, value):
        if self.partial:
            raise serializers.ValidationError("The account of a profile cannot be changed.")
        user = User.objects.filter(email=value.strip().lower()).first()
        if user is None:
            raise serializers.ValidationError("No user has this e-mail address: invite them first.")
        return user

    def validate_trust_uid(self, value):
        return _by_key(Trust, "uid", [value], "trust with the group UID")[0] if value else None

    def validate_school_urn(self, value):
        return _by_key(School, "urn", [value], "school with the URN")[0] if value else None

    def validate_regions(self, value):
        return _by_key(Region, "name", value, "region named")

    def validate_conflict_school_urns(self, value):
        return _by_key(School, "urn", value, "school with the URN")

    def validate_conflict_trust_uids(self, value):
        return _by_key(Trust, "uid", value, "trust with the group UID")

    RENAMES = {
        "user_email": "leader_user",
        "trust_uid": "trust",
        "school_urn": "school",
        "conflict_school_urns": "conflict_schools",
        "conflict_trust_uids": "conflict_trusts",
    }

    def service_kwargs(self) -> dict:
        return {self.RENAMES.get(k, k): v for k, v in self.validated_data.items()}
