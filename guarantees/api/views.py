"""The Guarantees, self-assessments and complaints over REST: reads via
viewsets, writes via input serializer -> service, with the same `rules`
permission names as the HTML pages."""

import rules
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from guarantees import selectors, services
from guarantees.api import serializers as s
from guarantees.models import COMPLAINT_WORKFLOW, Guarantee
from portal.api.permissions import HasRulesPermission
from portal.api.workflow import ERROR_RESPONSES, transition_action
from schools.models import School


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("guarantee", enum=["pupil", "parent"]),
            OpenApiParameter("ambition", enum=list("abcde")),
            OpenApiParameter(
                "phase",
                enum=["nursery", "primary", "secondary", "sixteen_plus"],
                description="Entitlements for this phase and those for every phase",
            ),
        ]
    )
)
class EntitlementViewSet(viewsets.ReadOnlyModelViewSet):
    """Every bullet of Annex F of the 2009 White Paper is one entitlement."""

    serializer_class = s.EntitlementSerializer
    permission_classes = [HasRulesPermission]
    permission_required = "guarantees.view_entitlements"
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if self.action != "list":
            return selectors.entitlement_queryset()
        given = s.EntitlementFilterSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        return selectors.entitlement_list(**given.validated_data)


class GuaranteeViewSet(viewsets.ReadOnlyModelViewSet):
    """The two Guarantees with their lettered ambitions."""

    serializer_class = s.GuaranteeSerializer
    permission_classes = [HasRulesPermission]
    permission_required = "guarantees.view_entitlements"
    pagination_class = None
    filter_backends = []
    lookup_field = "key"
    queryset = Guarantee.objects.none()

    def get_queryset(self):
        return selectors.guarantees_with_entitlements()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("school_urn"),
            OpenApiParameter("year", int),
            OpenApiParameter("state", enum=["draft", "submitted"]),
        ]
    )
)
class SelfAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Yearly self-assessments: readable by the school's contacts, Regions Group
    staff of the region, the system leader of an active deployment at the school
    and Admin. `PUT /api/self-assessments/{urn}/{year}/` (the school's contact)
    saves ratings; `"submit": true` submits."""

    serializer_class = s.SelfAssessmentSerializer
    permission_classes = [HasRulesPermission]
    permission_required = "guarantees.view_self_assessment"
    filter_backends = []

    def get_queryset(self):
        queryset = selectors.self_assessment_list_for(self.request.user).prefetch_related("ratings")
        if self.action != "list":
            return queryset
        given = s.SelfAssessmentFilterSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        filters = given.validated_data
        if "school_urn" in filters:
            queryset = queryset.filter(school__urn=filters["school_urn"])
        if "year" in filters:
            queryset = queryset.filter(year=filters["year"])
        if "state" in filters:
            queryset = queryset.filter(state=filters["state"])
        return queryset

    @extend_schema(
        request=s.SelfAssessmentInputSerializer,
        responses={200: s.SelfAssessmentSerializer, **ERROR_RESPONSES},
    )
    @action(
        detail=False,
        methods=["put"],
        url_path=r"(?P<urn>\d{6})/(?P<year>\d{4})",
        permission_classes=[HasRulesPermission],
    )
    def save_for_school(self, request, urn=None, year=None):
        school = get_object_or_404(School, urn=urn)
        if not rules.has_perm("guarantees.edit_self_assessment", request.user, school):
            if not request.user.has_perm("guarantees.view_self_assessment", school):
                return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
            return Response(
                {"detail": "Only the school's contact can change its self-assessment."},
                status=status.HTTP_403_FORBIDDEN,
            )
        given = s.SelfAssessmentInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        assessment = services.self_assessment_start(
            school=school, year=int(year), user=request.user
        )
        assessment = services.self_assessment_save(
            assessment=assessment,
            user=request.user,
            ratings={r["entitlement"]: (r["rating"], r["evidence"]) for r in data["ratings"]},
            link_governor_name=data["link_governor_name"],
            link_governor_email=data["link_governor_email"],
        )
        if data["submit"]:
            assessment = services.self_assessment_submit(assessment=assessment, user=request.user)
        fresh = self.get_queryset().get(pk=assessment.pk)
        return Response(s.SelfAssessmentSerializer(fresh).data)

    def get_permissions(self):
        if self.action == "save_for_school":
            self.permission_required = "guarantees.edit_self_assessment"
            self.permission_object_level = True
        return super().get_permissions()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("state"),
            OpenApiParameter("school_urn"),
            OpenApiParameter("overdue", bool),
        ]
    )
)
class ComplaintViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Complaints about Guarantee entitlements, for the school's contacts (their
    school) and Regions Group staff (their regions) only. POST records a
    complaint received on paper; it starts at `received`."""

    serializer_class = s.ComplaintSerializer
    permission_classes = [HasRulesPermission]
    permission_required = "guarantees.read_complaint"
    filter_backends = []

    def get_queryset(self):
        queryset = selectors.complaint_list_for(self.request.user)
        if self.action != "list":
            return queryset
        given = s.ComplaintFilterSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        filters = given.validated_data
        if "state" in filters:
            queryset = queryset.filter(state=filters["state"])
        if "school_urn" in filters:
            queryset = queryset.filter(school__urn=filters["school_urn"])
        if filters.get("overdue") is not None:
            overdue = COMPLAINT_WORKFLOW.overdue_q(timezone.localdate())
            queryset = queryset.filter(overdue) if filters["overdue"] else queryset.exclude(overdue)
        return queryset

    @extend_schema(
        request=s.ComplaintCreateSerializer,
        responses={201: s.ComplaintSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        given = s.ComplaintCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        school = data.pop("school")
        if not rules.has_perm("guarantees.record_paper_complaint", request.user, school):
            raise ApiValidationError(
                {"school_urn": ["You cannot record complaints for this school."]}
            )
        complaint = services.complaint_record_paper(user=request.user, school=school, **data)
        fresh = self.get_queryset().get(pk=complaint.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    acknowledge = transition_action(
        "acknowledge",
        service=services.complaint_acknowledge,
        input_serializer=s.ComplaintNoteInput,
        output_serializer=s.ComplaintSerializer,
    )
    school_resolves = transition_action(
        "school_resolves",
        service=services.complaint_school_resolves,
        input_serializer=s.SchoolResolvesInput,
        output_serializer=s.ComplaintSerializer,
    )
    refer_to_governing_body = transition_action(
        "refer_to_governing_body",
        service=services.complaint_refer_to_governing_body,
        input_serializer=s.ReferToGoverningBodyInput,
        output_serializer=s.ComplaintSerializer,
    )
    governing_body_decides = transition_action(
        "governing_body_decides",
        service=services.complaint_governing_body_decides,
        input_serializer=s.SchoolResolvesInput,
        output_serializer=s.ComplaintSerializer,
    )
    refer_to_ombudsman = transition_action(
        "refer_to_ombudsman",
        service=services.complaint_refer_to_ombudsman,
        input_serializer=s.ReferToOmbudsmanInput,
        output_serializer=s.ComplaintSerializer,
    )
    ombudsman_recommends = transition_action(
        "ombudsman_recommends",
        service=services.complaint_ombudsman_recommends,
        input_serializer=s.OmbudsmanRecommendsInput,
        output_serializer=s.ComplaintSerializer,
    )
    secretary_of_state_directs = transition_action(
        "secretary_of_state_directs",
        service=services.complaint_secretary_of_state_directs,
        input_serializer=s.DirectionInput,
        output_serializer=s.ComplaintSerializer,
    )
    school_complies = transition_action(
        "school_complies",
        service=services.complaint_school_complies,
        input_serializer=s.ComplaintNoteInput,
        output_serializer=s.ComplaintSerializer,
    )
    close = transition_action(
        "close",
        service=services.complaint_close,
        input_serializer=s.ComplaintNoteInput,
        output_serializer=s.ComplaintSerializer,
    )
    withdraw = transition_action(
        "withdraw",
        service=services.complaint_withdraw,
        input_serializer=s.ReasonInput,
        output_serializer=s.ComplaintSerializer,
    )
    mark_vexatious = transition_action(
        "mark_vexatious",
        service=services.complaint_mark_vexatious,
        input_serializer=s.ReasonInput,
        output_serializer=s.ComplaintSerializer,
    )

    @extend_schema(
        request=s.ComplaintNoteInput, responses={200: s.ComplaintSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], url_path="erase-personal-data")
    def erase_personal_data(self, request, pk=None):
        """On the complainant's request: blank their details, keep the record."""
        complaint = self.get_object()
        given = s.ComplaintNoteInput(data=request.data)
        given.is_valid(raise_exception=True)
        services.complaint_erase_personal_data(
            complaint, user=request.user, note=given.validated_data["note"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=complaint.pk)).data)
