"""System leaders over REST (contract "System leaders"): reads via the
selector, writes via input serializer -> service -> output serializer."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from deployments.leaders import selectors, services
from deployments.leaders.api.serializers import (
    SystemLeaderInputSerializer,
    SystemLeaderSerializer,
)
from deployments.leaders.filters import SystemLeaderFilterSet
from portal.api.permissions import HasRulesPermission


class SystemLeaderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """MAT CEOs and NLEs who can be deployed. A user sees the leaders who work
    in their regions (Admin: all; a system leader: their own profile).
    Filters (SystemLeaderFilterSet): `region` (name), `kind`, `available`
    (true/false), `q`.
    POST: Admin or Regions Group staff (into their regions). PATCH: Admin,
    Regions Group staff of the leader's regions, or the leader on their own
    profile, who may change only `available`, `max_concurrent_deployments`,
    `days_available`, `focus_areas`, `conflict_school_urns` and
    `conflict_trust_uids` (any other field: 403)."""

    serializer_class = SystemLeaderSerializer
    permission_classes = [HasRulesPermission]
    permission_required = {
        "list": "deployments.view_system_leader",
        "retrieve": "deployments.view_system_leader",
        "create": "deployments.add_system_leader",
        "partial_update": "deployments.change_system_leader",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = SystemLeaderFilterSet  # the same filters as the register's page

    def filter_queryset(self, queryset):
        """Filters apply to the list only (one leader's page ignores them)."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @property
    def permission_object_level(self) -> bool:
        """One leader: 404 when this user cannot see them, then 403 (the
        contract's order), so the permission is checked against the leader."""
        return self.action in ("retrieve", "partial_update")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.system_leader_queryset().none()
        return selectors.system_leader_list_for(self.request.user)

    def _output(self, leader, code=status.HTTP_200_OK):
        fresh = selectors.system_leader_queryset().get(pk=leader.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=SystemLeaderInputSerializer, responses={201: SystemLeaderSerializer})
    def create(self, request):
        given = SystemLeaderInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        leader = services.system_leader_create(user=request.user, **given.service_kwargs())
        return self._output(leader, status.HTTP_201_CREATED)

    @extend_schema(request=SystemLeaderInputSerializer, responses={200: SystemLeaderSerializer})
    def partial_update(self, request, pk=None):
        leader = self.get_object()
        given = SystemLeaderInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        leader = services.system_leader_update(leader, user=request.user, **given.service_kwargs())
        return self._output(leader)
