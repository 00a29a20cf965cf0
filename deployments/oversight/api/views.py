"""`GET /api/dashboard/`: the oversight figures for one offer and England or one
region, with the same `rules` permission as the dashboard pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from deployments.oversight import selectors
from deployments.oversight.api.serializers import DashboardSerializer
from portal.api.permissions import HasRulesPermission

VIEW_OVERSIGHT = "deployments.view_oversight"
OPEN_OVERSIGHT = "deployments.open_oversight"


class DashboardView(APIView):
    """Funnel, states, overdue work, delays, days, spend, enhanced support and
    focus areas; `by_region` for England. Every figure is the count or sum of
    the list it summarises, filtered to the same offer and region."""

    permission_classes = [HasRulesPermission]
    permission_required = OPEN_OVERSIGHT

    @extend_schema(
        parameters=[
            OpenApiParameter("offer", int, description="An offer's id (default: the current)"),
            OpenApiParameter(
                "region",
                str,
                description='A GIAS region name, e.g. "North West" (default: England)',
            ),
        ],
        responses={200: DashboardSerializer},
    )
    def get(self, request):
        try:
            scope = selectors.dashboard_scope(
                offer=request.query_params.get("offer"), region=request.query_params.get("region")
            )
        except selectors.ScopeError as error:
            raise ValidationError(error.errors) from None
        if not request.user.has_perm(VIEW_OVERSIGHT, scope.region):
            raise PermissionDenied("You may not read this dashboard.")
        return Response(DashboardSerializer(selectors.dashboard(scope)).data)
