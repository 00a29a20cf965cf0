"""Deployments and enhanced requests over REST. Reads through selectors
(visibility = the queryset: 404 for what a user may not see); writes through
the services, with the same `rules` permissions as the HTML pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from deployments.delivery import enhanced, grants, interruptions, selectors, services
from deployments.delivery.api.serializers import (
    ActivityInput,
    ActivitySerializer,
    ApproveInput,
    CaseStudySerializer,
    DeclineInput,
    DelayInput,
    DeploymentNoteInput,
    DeploymentSerializer,
    EndCallInput,
    EnhancedRequestInput,
    EnhancedRequestSerializer,
    GrantEvidenceInput,
    InitialMeetingInput,
    ProgrammeSerializer,
    ReasonInput,
    ReturnInput,
    SectionSerializer,
    WithdrawInput,
    section_payload,
)
from deployments.delivery.filters import (
    CaseStudyFilterSet,
    DeploymentFilterSet,
    EnhancedRequestFilterSet,
)
from deployments.delivery.models import SECTION_KEYS, CaseStudy
from deployments.programmes.models import Programme
from portal.api.permissions import HasRulesPermission
from portal.api.workflow import ERROR_RESPONSES, transition_action

VIEW = "deployments.read_deployment"


class DeploymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Deployments this user may see. Filters (DeploymentFilterSet): `state`,
    `region` (name), `school_urn`, `trust_uid`, `overdue` (past the current step's
    `due_on`, by the deployment's table; a paused deployment is never overdue),
    `delayed` (the system leader reported a delay)."""

    serializer_class = DeploymentSerializer
    permission_classes = [HasRulesPermission]
    permission_required = {"default": VIEW}
    permission_object_level = True

    filterset_class = DeploymentFilterSet  # the same filters as the /deployments/ page

    def filter_queryset(self, queryset):
        """Filters apply to the list only (an action on one deployment ignores them)."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        return selectors.deployment_list_for(self.request.user)

    initial_meeting_arranged = transition_action(
        "initial_meeting_arranged",
        service=services.deployment_initial_meeting_arranged,
        input_serializer=InitialMeetingInput,
        output_serializer=DeploymentSerializer,
    )
    scoping_done = transition_action(
        "scoping_done",
        service=services.deployment_scoping_done,
        input_serializer=DeploymentNoteInput,
        output_serializer=DeploymentSerializer,
    )
    send_for_sign_off = transition_action(
        "send_for_sign_off",
        service=services.deployment_send_for_sign_off,
        input_serializer=DeploymentNoteInput,
        output_serializer=DeploymentSerializer,
    )
    school_signs_off = transition_action(
        "school_signs_off",
        service=services.deployment_school_signs_off,
        input_serializer=DeploymentNoteInput,
        output_serializer=DeploymentSerializer,
    )
    submit = transition_action(
        "submit",
        service=services.deployment_submit,
        input_serializer=DeploymentNoteInput,
        output_serializer=DeploymentSerializer,
    )
    rdp_returns = transition_action(
        "rdp_returns",
        service=services.deployment_rdp_returns,
        input_serializer=ReturnInput,
        output_serializer=DeploymentSerializer,
    )
    rdp_accepts = transition_action(
        "rdp_accepts",
        service=services.deployment_rdp_accepts,
        input_serializer=DeploymentNoteInput,
        output_serializer=DeploymentSerializer,
    )
    end_call_held = transition_action(
        "end_call_held",
        service=services.deployment_end_call_held,
        input_serializer=EndCallInput,
        output_serializer=DeploymentSerializer,
    )
    withdraw = transition_action(
        "withdraw",
        service=services.deployment_withdraw,
        input_serializer=WithdrawInput,
        output_serializer=DeploymentSerializer,
        description="Regions Group staff withdraw the deployment; its case goes back to "
        "`identified` to be matched again.",
    )
    system_leader_withdraws = transition_action(
        "system_leader_withdraws",
        service=services.deployment_system_leader_withdraws,
        input_serializer=WithdrawInput,
        output_serializer=DeploymentSerializer,
        description="The system leader withdraws (from `issued`, `engaged` or `delivery`); "
        "the case goes back to `identified` and is never matched with them again; the days "
        "logged are claimed.",
    )

    def _fresh(self, pk):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=ReasonInput, responses={200: DeploymentSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Regions Group staff or the RDP pause the deployment (with a reason)."""
        deployment = self.get_object()
        given = ReasonInput(data=request.data)
        given.is_valid(raise_exception=True)
        services.deployment_pause(deployment, user=request.user, **given.validated_data)
        return self._fresh(deployment.pk)

    @extend_schema(request=DelayInput, responses={200: DeploymentSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="report-delay")
    def report_delay(self, request, pk=None):
        """The system leader reports a delay (`issued` to `school_sign_off`): not a
        transition; the RDP and Regions Group staff hear, and the deployment shows
        `delay_reported_on` until the leader's next step or section save."""
        deployment = self.get_object()
        interruptions.delay_report_check(deployment, request.user)  # 403, 409, then 400
        given = DelayInput(data=request.data)
        given.is_valid(raise_exception=True)
        interruptions.deployment_report_delay(deployment, user=request.user, **given.validated_data)
        return self._fresh(deployment.pk)

    @extend_schema(
        request=DeploymentNoteInput, responses={200: DeploymentSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Resume: due dates move on by the working days it was paused."""
        deployment = self.get_object()
        given = DeploymentNoteInput(data=request.data)
        given.is_valid(raise_exception=True)
        services.deployment_resume(deployment, user=request.user, **given.validated_data)
        return self._fresh(deployment.pk)

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, enum=list(SECTION_KEYS))],
        responses={200: SectionSerializer, 404: ERROR_RESPONSES[404]},
    )
    @extend_schema(
        methods=["PUT"],
        parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, enum=list(SECTION_KEYS))],
        request=OpenApiTypes.OBJECT,
        responses={200: SectionSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "put"], url_path=r"sections/(?P<key>[a-z_]+)")
    def sections(self, request, pk=None, key=None):
        """One section of the deployment form. PUT saves the valid values given
        (400 and nothing saved when any value is wrong)."""
        deployment = self.get_object()
        if key not in SECTION_KEYS:
            raise NotFound("No such section.")
        if request.method == "PUT":
            if not isinstance(request.data, dict):
                return Response(
                    {"non_field_errors": ["Send the section's fields as a JSON object."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            services.deployment_section_save(
                deployment, key, user=request.user, data=dict(request.data)
            )
            deployment = self.get_queryset().get(pk=deployment.pk)
        return Response(section_payload(deployment, key, user=request.user))

    @extend_schema(
        methods=["GET"], responses={200: ActivitySerializer(many=True), 404: ERROR_RESPONSES[404]}
    )
    @extend_schema(
        methods=["POST"],
        request=ActivityInput,
        responses={201: ActivitySerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def activities(self, request, pk=None):
        """The activity log: date, days (half days), description, delivered by, and
        `mode` (`face_to_face`, the default, or `remote`)."""
        deployment = self.get_object()
        if request.method == "POST":
            given = ActivityInput(data=request.data)
            given.is_valid(raise_exception=True)
            activity = services.activity_create(
                deployment, user=request.user, **given.validated_data
            )
            return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
        return Response(ActivitySerializer(deployment.activities.all(), many=True).data)


class EnhancedRequestViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Enhanced support: an extension, a funded or an unfunded trust
    partnership; at most one pending or approved per deployment (409)."""

    serializer_class = EnhancedRequestSerializer
    filterset_class = EnhancedRequestFilterSet  # the same filters as /enhanced-requests/
    permission_classes = [HasRulesPermission]
    permission_required = {"default": "deployments.read_enhanced_request"}
    permission_object_level = True

    def get_queryset(self):
        return selectors.enhanced_request_list_for(self.request.user)

    @extend_schema(
        request=EnhancedRequestInput, responses={201: EnhancedRequestSerializer, **ERROR_RESPONSES}
    )
    def create(self, request, *args, **kwargs):
        """The deployment's system leader asks for one option. `unfunded_partnership`
        is recorded only (state `recorded`; it never blocks another request). Any
        request answers 409 while another is pending or approved. An `extension`
        needs `school_agrees` true (400) and is asked for only while the deployment
        is `engaged` or `delivery` (409 later: the form is with the school or RDP)."""
        given = EnhancedRequestInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        deployment = get_object_or_404(
            selectors.deployment_list_for(request.user), pk=data.pop("deployment")
        )
        created = enhanced.enhanced_request_create(deployment, user=request.user, **data)
        fresh = self.get_queryset().get(pk=created.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    rdp_forwards = transition_action(
        "rdp_forwards",
        service=enhanced.enhanced_request_rdp_forwards,
        input_serializer=DeploymentNoteInput,
        output_serializer=EnhancedRequestSerializer,
    )
    # Documented here too: the approval's body carries the grant's fields.
    dfe_approves = extend_schema(
        request=ApproveInput,
        responses={200: EnhancedRequestSerializer, **ERROR_RESPONSES},
        description="DfE (Regions Group staff of the region) approves. An extension takes "
        "`completion_date`; a funded partnership takes `partner_trust_uid`, `starts_on` and "
        "`partner_contact_email`, and the request then shows its `grant`.",
    )(
        transition_action(
            "dfe_approves",
            service=enhanced.enhanced_request_dfe_approves,
            input_serializer=ApproveInput,
            output_serializer=EnhancedRequestSerializer,
        )
    )
    dfe_declines = transition_action(
        "dfe_declines",
        service=enhanced.enhanced_request_dfe_declines,
        input_serializer=DeclineInput,
        output_serializer=EnhancedRequestSerializer,
    )

    @extend_schema(
        request=GrantEvidenceInput, responses={200: EnhancedRequestSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], url_path="grant-evidence")
    def grant_evidence(self, request, pk=None):
        """Record evidence for a partnership grant instalment: Regions Group staff of
        the region any evidence; the partner trust's contact the
        `partnership_report`. The last instalment's evidence dated before the
        grant's `ends_on` answers 409."""
        record = self.get_object()
        given = GrantEvidenceInput(data=request.data)
        given.is_valid(raise_exception=True)
        grant = getattr(record, "grant", None) if hasattr(record, "grant") else None
        instalment = (
            grant and grant.instalments.filter(number=given.validated_data["instalment"]).first()
        )
        if instalment is None:
            raise NotFound("No such grant instalment.")
        grants.grant_evidence_record(
            instalment,
            user=request.user,
            evidence=given.validated_data["evidence"],
            received_on=given.validated_data["received_on"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """The approved DfE programmes (Annex A) and additional support elements."""

    serializer_class = ProgrammeSerializer
    permission_classes = [HasRulesPermission]
    permission_required = "deployments.read_programmes"
    queryset = Programme.objects.filter(active=True)
    lookup_field = "slug"
    pagination_class = None


class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    """Case studies; filters (CaseStudyFilterSet, as the library page) `focus_area`,
    `phase`, `region` (name), `q`."""

    serializer_class = CaseStudySerializer
    permission_classes = [HasRulesPermission]
    permission_required = "deployments.view_case_study"
    queryset = CaseStudy.objects.none()
    filterset_class = CaseStudyFilterSet

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        return selectors.case_study_list()
