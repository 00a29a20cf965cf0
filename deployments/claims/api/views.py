"""Claims, payment runs and spend over REST. Reads through the selectors
(visibility = the queryset), writes through the services, with the same
`rules` permissions as the HTML pages."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from deployments.claims import payment_runs, selectors, services
from deployments.claims.api.serializers import (
    ClaimNoteInput,
    ClaimSerializer,
    PaymentRunSerializer,
    ReasonInput,
    RequiredNoteInput,
    SpendSerializer,
)
from deployments.claims.filters import ClaimFilterSet
from deployments.claims.models import PaymentRun
from portal.api.permissions import HasRulesPermission
from portal.api.workflow import ERROR_RESPONSES, transition_action

VIEW_CLAIM = "deployments.read_claim"
FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Payment claims this user may see, oldest first. DfE finance decides them;
    the claim's system leader resubmits a queried or rejected claim; another
    finance user may undo a decision (with a reason)."""

    serializer_class = ClaimSerializer
    permission_classes = [HasRulesPermission]
    permission_required = {"default": VIEW_CLAIM}
    permission_object_level = True
    filterset_class = ClaimFilterSet  # the same filters as the /claims/ page and its exports

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.Claim.objects.none()
        return selectors.claim_queue(self.request.user)

    approve = transition_action(
        "approve",
        service=services.claim_approve,
        input_serializer=ClaimNoteInput,
        output_serializer=ClaimSerializer,
    )
    reject = transition_action(
        "reject",
        service=services.claim_reject,
        input_serializer=ReasonInput,
        output_serializer=ClaimSerializer,
        description="Reject with a reason, e-mailed to the system leader (who may resubmit).",
    )
    query = transition_action(
        "query",
        service=services.claim_query,
        input_serializer=RequiredNoteInput,
        output_serializer=ClaimSerializer,
    )
    resubmit = transition_action(
        "resubmit",
        service=services.claim_resubmit,
        input_serializer=ClaimNoteInput,
        output_serializer=ClaimSerializer,
    )
    undo = transition_action(
        "undo",
        service=services.claim_undo,
        input_serializer=ReasonInput,
        output_serializer=ClaimSerializer,
        description="Another finance user takes a decision back to pending review.",
    )


class PaymentRunViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Payment runs (DfE finance only). POST `{}` takes every approved, unpaid
    claim into a new run, answers 201 with the run and its `job` to poll, and
    builds it in the background; 409 when there is nothing to pay or another
    run is starting at the same moment."""

    serializer_class = PaymentRunSerializer
    permission_classes = [HasRulesPermission]
    permission_required = {
        "default": "deployments.view_payment_run",
        "create": "deployments.start_payment_run",
        "retry": "deployments.start_payment_run",
        "files": "deployments.download_payment_file",
    }

    def get_queryset(self):
        return selectors.payment_run_list()

    @extend_schema(request=None, responses={201: PaymentRunSerializer, **ERROR_RESPONSES})
    def create(self, request, *args, **kwargs):
        run = payment_runs.payment_run_start(user=request.user)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=run.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: PaymentRunSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Build a failed run again (its claims are each paid at most once)."""
        run = payment_runs.payment_run_retry(self.get_object(), user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=run.pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FILE_TYPES))],
        responses={200: OpenApiResponse(description="The payment file"), 404: None},
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<fmt>csv|xlsx)")
    def files(self, request, pk=None, fmt=None):
        """The payment file (CSV or XLSX): full bank details, DfE finance only."""
        return payment_file_response(self.get_object(), fmt)


def payment_file_response(run: PaymentRun, fmt: str) -> HttpResponse:
    from django.http import Http404

    if not run.has_files or fmt not in FILE_TYPES:
        raise Http404("This run has no payment file yet.")
    token = run.csv_encrypted if fmt == "csv" else run.xlsx_encrypted
    response = HttpResponse(payment_runs.payment_file_decrypt(token), content_type=FILE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="payment-run-{run.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


class SpendView(APIView):
    """Committed, claimed, approved and paid, per region and offer, each claim
    figure with the review-queue link that lists the claims behind it."""

    permission_classes = [HasRulesPermission]
    permission_required = "deployments.view_spend"

    @extend_schema(responses={200: SpendSerializer})
    def get(self, request):
        rows = selectors.spend_figures()
        return Response(
            SpendSerializer({"rows": rows, "totals": selectors.spend_totals(rows)}).data
        )
