"""Read-only register endpoints, for every signed-in user ("schools.view_register")."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from portal.api.permissions import HasRulesPermission
from schools import selectors
from schools.api.serializers import (
    InspectionSerializer,
    LocalAuthoritySerializer,
    RegionSerializer,
    SchoolSerializer,
    TrustSerializer,
)
from schools.filters import (
    InspectionFilterSet,
    LocalAuthorityFilterSet,
    SchoolFilterSet,
    TrustFilterSet,
)
from schools.models import Region


class RegisterViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRulesPermission]
    permission_required = "schools.view_register"


class RegionViewSet(RegisterViewSet):
    """The 9 English regions, by ONS code."""

    serializer_class = RegionSerializer
    lookup_field = "code"
    pagination_class = None
    queryset = Region.objects.order_by("name")


class LocalAuthorityViewSet(RegisterViewSet):
    """Local authorities, by 3-digit GIAS LA code."""

    serializer_class = LocalAuthoritySerializer
    lookup_field = "code"
    filterset_class = LocalAuthorityFilterSet

    def get_queryset(self):
        return selectors.local_authority_list()


class TrustViewSet(RegisterViewSet):
    """Trusts and other groups, by GIAS Group UID."""

    serializer_class = TrustSerializer
    lookup_field = "uid"
    filterset_class = TrustFilterSet

    def get_queryset(self):
        return selectors.trust_list_queryset()


class SchoolViewSet(RegisterViewSet):
    """Schools, by URN, with the same search and filters as the schools page."""

    serializer_class = SchoolSerializer
    lookup_field = "urn"
    lookup_value_regex = r"\d{6}"
    filterset_class = SchoolFilterSet

    def get_queryset(self):
        return selectors.school_list_queryset()

    @extend_schema(
        responses=InspectionSerializer(many=True),
        filters=False,
        description="The school's whole inspection history, newest first.",
    )
    @action(detail=True, serializer_class=InspectionSerializer, filterset_class=None)
    def inspections(self, request, urn=None):
        school = get_object_or_404(selectors.school_list_queryset(), urn=urn)
        page = self.paginate_queryset(selectors.inspection_list().filter(school=school))
        return self.get_paginated_response(InspectionSerializer(page, many=True).data)


class InspectionViewSet(RegisterViewSet):
    """Ofsted inspections, newest first, by inspection number."""

    serializer_class = InspectionSerializer
    lookup_field = "inspection_number"
    filterset_class = InspectionFilterSet

    def get_queryset(self):
        return selectors.inspection_list()
