"""Support cases over REST (the contract's "Support cases"): reads through the
visibility selector, opening through the service, one action per transition."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from deployments.matching import selectors, services
from deployments.matching.api import serializers as s
from deployments.matching.filters import SupportCaseFilterSet
from deployments.matching.ranking import rank_candidates
from portal.api.permissions import HasRulesPermission
from portal.api.workflow import CONFLICT, transition_action
from portal.models import TimelineEvent

VIEW = "deployments.view_support_case"
OUT = s.SupportCaseDetailSerializer  # one case; the list shows s.SupportCaseSerializer


def _t(name, service, body=None, description=""):
    return transition_action(
        name,
        service=service,
        input_serializer=body,
        output_serializer=OUT,
        description=description,
    )


class SupportCaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Support cases from an eligible school or trust to an issued deployment.
    List filters: state, region (name), school_urn, trust_uid, overdue
    (true/false), owner ("me" or a user id), watching (true)."""

    serializer_class = OUT
    permission_classes = [HasRulesPermission]
    permission_required = {
        "default": VIEW,
        "create": "deployments.case_open",
        "candidates": "deployments.view_case_candidates",
        "reassign_owner": "deployments.case_reassign_owner",
        "watch": "deployments.case_watch",
    }
    filterset_class = SupportCaseFilterSet  # the same filters as the /cases/ page

    def get_serializer_class(self):
        return s.SupportCaseSerializer if self.action == "list" else OUT

    def filter_queryset(self, queryset):
        """Filters apply to the list only (an action on one case ignores them)."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        qs = selectors.support_case_list(self.request.user)
        events = TimelineEvent.objects.select_related("by")  # one query, not two
        return qs.prefetch_related(
            Prefetch("timeline_events", queryset=events), "declined_by"
        ).order_by("-opened_at", "-id")

    @extend_schema(
        request=s.SupportCaseOpenSerializer,
        responses={
            201: OUT,
            400: OpenApiResponse(description="Not an eligible assessment"),
            403: OpenApiResponse(description="Not Regions Group staff of the region"),
            409: OpenApiResponse(CONFLICT, description="A case is already open for this target"),
        },
    )
    def create(self, request, *args, **kwargs):
        """Open a case for an eligibility assessment (Regions Group staff of the region)."""
        given = s.SupportCaseOpenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = services.support_case_open(
            user=request.user, eligibility=given.validated_data["eligibility"]
        )
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.CandidateSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def candidates(self, request, pk=None):
        """Ranked system leaders for this case, best first, with their reasons."""
        case = self.get_object()
        return Response(s.CandidateSerializer(rank_candidates(case), many=True).data)

    @extend_schema(request=s.OwnerSerializer, responses={200: OUT})
    @action(detail=True, methods=["post"], url_path="reassign-owner")
    def reassign_owner(self, request, pk=None):
        """Give the case to another Regions Group member of its region (they are e-mailed)."""
        case = self.get_object()
        given = s.OwnerSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.support_case_reassign_owner(
            case, user=request.user, owner=given.validated_data["owner"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(
        request=s.LaContactedSerializer,
        responses={
            200: OUT,
            400: OpenApiResponse(description="`contacted` is not local_authority, diocese or both"),
            403: OpenApiResponse(description="Not Regions Group staff of the region"),
            404: OpenApiResponse(description="The user cannot see this case"),
            409: OpenApiResponse(CONFLICT, description="The case is no longer open"),
        },
    )
    @action(detail=True, methods=["post"], url_path="la-contacted")
    def la_contacted(self, request, pk=None):
        """Record that the local authority, the diocese or both were asked to confirm
        participation (Regions Group staff of the region, any open state). Not a
        transition: the state does not change; the case shows `la_contacted_on`
        and the timeline records `la_contacted`."""
        case = self.get_object()
        services.support_case_la_contacted_check(case, user=request.user)  # 403, 409
        given = s.LaContactedSerializer(data=request.data)
        given.is_valid(raise_exception=True)  # 400
        services.support_case_la_contacted(case, user=request.user, **given.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=None, responses={200: OUT})
    @action(detail=True, methods=["post", "delete"])
    def watch(self, request, pk=None):
        """POST adds the case to your watchlist; DELETE removes it."""
        case = self.get_object()
        if request.method == "DELETE":
            services.support_case_unwatch(case, user=request.user)
        else:
            services.support_case_watch(case, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    propose = _t(
        "propose",
        services.support_case_propose,
        s.ProposeSerializer,
        "Regions Group staff propose a system leader: to the RDP, or straight to the "
        "system leader when the school has already confirmed. `override_reason` is "
        "required when the leader is not in the candidate list.",
    )
    rdp_contacts_school = _t(
        "rdp_contacts_school", services.support_case_rdp_contacts_school, s.NoteSerializer
    )
    school_confirms = _t(
        "school_confirms", services.support_case_school_confirms, s.ContextSerializer
    )
    school_declines = _t(
        "school_declines", services.support_case_school_declines, s.ReasonSerializer
    )
    system_leader_accepts = _t(
        "system_leader_accepts",
        services.support_case_system_leader_accepts,
        s.AcceptRequestSerializer,
    )
    system_leader_declines = _t(
        "system_leader_declines", services.support_case_system_leader_declines, s.ReasonSerializer
    )
    school_accepts_match = _t(
        "school_accepts_match", services.support_case_school_accepts_match, s.NoteSerializer
    )
    school_raises_concern = _t(
        "school_raises_concern", services.support_case_school_raises_concern, s.ConcernSerializer
    )
    concern_answered = _t(
        "concern_answered", services.support_case_concern_answered, s.ConcernAnswerSerializer
    )
    director_approves = _t(
        "director_approves", services.support_case_director_approves, s.NoteSerializer
    )
    director_rejects = _t(
        "director_rejects", services.support_case_director_rejects, s.ReasonSerializer
    )
    issue_deployment = _t(
        "issue_deployment",
        services.support_case_issue_deployment,
        s.NoteSerializer,
        "Creates the deployment; the record then shows `deployment` (id).",
    )
    withdraw = _t("withdraw", services.support_case_withdraw, s.ReasonSerializer)
