"""`GET /api/dashboard/`'s shape (the contract's "Oversight"): money as strings
with two places, days in half-day steps."""

from rest_framework import serializers

from deployments.choices import FocusArea
from deployments.delivery.models import Deployment, EnhancedRequest
from deployments.matching.models import SupportCase
from deployments.oversight.stages import FUNNEL_STAGES


def _states(model) -> list[str]:
    return [value for value, _ in model.State.choices]


FunnelSerializer = type(
    "DashboardFunnel",
    (serializers.Serializer,),
    {stage: serializers.IntegerField() for stage in FUNNEL_STAGES},
)
CaseStatesSerializer = type(
    "DashboardSupportCaseStates",
    (serializers.Serializer,),
    {s: serializers.IntegerField() for s in _states(SupportCase)},
)
DeploymentStatesSerializer = type(
    "DashboardDeploymentStates",
    (serializers.Serializer,),
    {s: serializers.IntegerField() for s in _states(Deployment)},
)
EnhancedStatesSerializer = type(
    "DashboardEnhancedStates",
    (serializers.Serializer,),
    {s: serializers.IntegerField() for s in _states(EnhancedRequest)},
)
EnhancedSerializer = type(
    "DashboardEnhanced",
    (serializers.Serializer,),
    {kind: EnhancedStatesSerializer() for kind, _ in EnhancedRequest.Kind.choices},
)
FocusAreasSerializer = type(
    "DashboardFocusAreas",
    (serializers.Serializer,),
    {key: serializers.IntegerField() for key in FocusArea.values},
)


class DashboardOverdueSerializer(serializers.Serializer):
    resource = serializers.ChoiceField(
        choices=["support_case", "deployment", "enhanced_request", "claim"]
    )
    state = serializers.CharField()
    responsible = serializers.CharField(allow_null=True, help_text="The role whose move it is")
    count = serializers.IntegerField()


class DashboardDaysSerializer(serializers.Serializer):
    committed = serializers.DecimalField(max_digits=10, decimal_places=1)
    logged = serializers.DecimalField(max_digits=10, decimal_places=1)
    claimed = serializers.DecimalField(max_digits=10, decimal_places=1)


class DashboardSpendSerializer(serializers.Serializer):
    committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    claimed = serializers.DecimalField(max_digits=14, decimal_places=2)
    approved = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Approved, not yet paid"
    )
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)


class DashboardRegionRowSerializer(serializers.Serializer):
    region = serializers.CharField()
    funnel = FunnelSerializer()
    days = DashboardDaysSerializer()
    spend = DashboardSpendSerializer()


class DashboardSerializer(serializers.Serializer):
    offer = serializers.IntegerField(source="offer.pk")
    region = serializers.CharField(source="region.name", allow_null=True, default=None)
    funnel = FunnelSerializer()
    support_cases_by_state = CaseStatesSerializer()
    deployments_by_state = DeploymentStatesSerializer()
    overdue = DashboardOverdueSerializer(many=True)
    delayed = serializers.IntegerField(help_text="Open deployments with a delay reported")
    days = DashboardDaysSerializer()
    spend = DashboardSpendSerializer()
    enhanced = EnhancedSerializer()
    focus_areas = FocusAreasSerializer()
    by_region = DashboardRegionRowSerializer(many=True, allow_null=True, help_text="England only")
