"""Offers and eligibility over REST: reads via viewsets, writes via input
serializer -> service, with the same permission names as the HTML views."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from deployments import selectors, services
from deployments.api.serializers import (
    EligibilityAssessmentSerializer,
    ExceptionDecisionInputSerializer,
    ExceptionRequestInputSerializer,
    ExceptionRequestSerializer,
    RdAssessmentInputSerializer,
    RdAssessmentSerializer,
    RecomputeInputSerializer,
    RecomputeStartedSerializer,
    SupportOfferSerializer,
)
from deployments.filters import EligibilityFilterSet, ExceptionRequestFilterSet
from deployments.jobs import job_page_url
from deployments.models import ExceptionRequest, SupportOffer
from portal.api.exceptions import Conflict, api_validation_error
from portal.api.schema import write_responses

VIEW = "deployments.view_eligibility"


def _checked_input(request, serializer_class, permission: str, refusal: str) -> dict:
    """The body, validated (400), whose school or trust the user may act on (403)."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    target = data.validated_data["school"] or data.validated_data["trust"]
    if not request.user.has_perm(permission, target):
        raise PermissionDenied(refusal)
    return data.validated_data


def _current_offer():
    offer = selectors.offer_current()
    if offer is None:
        raise NotFound("There is no support offer yet.")
    return offer


class SupportOfferViewSet(viewsets.ReadOnlyModelViewSet):
    """Offer policy per academic year: days, day rate, grant, SLA timings, rule set."""

    serializer_class = SupportOfferSerializer
    permission_required = "deployments.view_offer"
    queryset = SupportOffer.objects.all()


class EligibilityAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Current eligibility rows. Filters: offer (id), region (id), criterion (A, B, C, X),
    status (eligible, no_longer, all: the default), school (URN), trust (group UID), and
    the page's q, kind, trust_ceo and sort (deployments.filters.EligibilityFilterSet).
    POST .../recompute/ starts a full recompute and returns the job to poll."""

    serializer_class = EligibilityAssessmentSerializer
    permission_required = {"default": VIEW, "recompute": "deployments.start_recompute"}
    filterset_class = EligibilityFilterSet  # the same filters as the /eligibility/ page

    def get_queryset(self):
        return selectors.assessments()

    @extend_schema(
        request=RecomputeInputSerializer,
        responses=write_responses(202, RecomputeStartedSerializer, not_found=True),
        description="Start a full recompute of the offer (default: the current offer).",
    )
    @action(detail=False, methods=["post"])
    def recompute(self, request):
        data = RecomputeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if offer_id := data.validated_data.get("offer"):
            offer = SupportOffer.objects.filter(pk=offer_id).first()
            if offer is None:
                raise ApiValidationError({"offer": ["No offer has this id."]})
        else:
            offer = _current_offer()
        job = services.eligibility_recompute_start(user=request.user, offer=offer)
        body = {
            "job_id": job.pk,
            "poll_url": f"/api/jobs/{job.pk}/",
            "progress_page": job_page_url(job),
        }
        return Response(RecomputeStartedSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class RdAssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Criterion C assessments, for Regions Group staff and the Regional Director of
    the region, and the school's or trust's own contact. POST {school_urn |
    trust_uid, reason, assessed_on?}: only the Regional Director of the school's or
    trust's region. The assessment counts for the offer whose academic year
    contains assessed_on (default today)."""

    serializer_class = RdAssessmentSerializer
    permission_required = {
        "default": "deployments.view_rd_assessment",
        "create": "deployments.record_rd_assessment",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return selectors.rd_assessment_list()
        return selectors.rd_assessment_list_for(self.request.user)

    @extend_schema(
        request=RdAssessmentInputSerializer,
        responses=write_responses(201, RdAssessmentSerializer),
    )
    def create(self, request):
        data = _checked_input(
            request,
            RdAssessmentInputSerializer,
            "deployments.record_rd_assessment",
            "Only the Regional Director of its region can assess it.",
        )
        assessed_on = data.get("assessed_on") or timezone.localdate()
        offer = selectors.offer_for_date(assessed_on)
        if offer is None:
            raise ApiValidationError({"assessed_on": [services.NO_OFFER_FOR_DATE]})
        try:
            assessment = services.rd_assessment_record(
                user=request.user,
                offer=offer,
                school=data["school"],
                trust=data["trust"],
                reason=data["reason"],
                assessed_on=assessed_on,
            )
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(RdAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


def _decision_schema(description: str):
    return extend_schema(
        request=ExceptionDecisionInputSerializer,
        responses=write_responses(200, ExceptionRequestSerializer, conflict=True, not_found=True),
        description=description,
    )


class ExceptionRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests for support by exception. POST to create {school_urn | trust_uid,
    source, reason}; POST .../approve/ or .../decline/ {note}: Regions Group
    staff of the request's region only; a decided request answers 409."""

    serializer_class = ExceptionRequestSerializer
    filterset_class = ExceptionRequestFilterSet  # the same filter as the page: `status`
    permission_required = {
        "default": "deployments.view_exception_request",
        "create": "deployments.request_exception",
        "approve": "deployments.approve_exception",
        "decline": "deployments.approve_exception",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return selectors.exception_request_list()
        return selectors.exception_request_list_for(self.request.user)

    @extend_schema(
        request=ExceptionRequestInputSerializer,
        responses=write_responses(201, ExceptionRequestSerializer),
    )
    def create(self, request):
        data = _checked_input(
            request,
            ExceptionRequestInputSerializer,
            "deployments.request_exception",
            "You cannot ask for support by exception for this school.",
        )
        try:
            made = services.exception_request_create(
                user=request.user,
                offer=_current_offer(),
                school=data["school"],
                trust=data["trust"],
                source=data["source"],
                reason=data["reason"],
            )
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(ExceptionRequestSerializer(made).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, approve: bool):
        exception_request: ExceptionRequest = self.get_object()  # 404, then 403
        if not exception_request.is_pending:
            raise Conflict(services.REQUEST_ALREADY_DECIDED, state=exception_request.status)
        data = ExceptionDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            decided = services.exception_request_decide(
                exception_request=exception_request,
                user=request.user,
                approve=approve,
                note=data.validated_data.get("note", ""),
            )
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(ExceptionRequestSerializer(decided).data)

    @_decision_schema("Approve the request: the school or trust becomes eligible.")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, approve=True)

    @_decision_schema("Decline the request; `note` (why) is required.")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, approve=False)
