"""Claim, payment run and spend pages: thin (form -> service -> message ->
redirect), with the same `rules` permissions as the API."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from deployments.claims import payment_runs, selectors, services
from deployments.claims.api.views import payment_file_response
from deployments.claims.checks import FLAG_LABELS
from deployments.claims.filters import ClaimFilterSet
from deployments.claims.forms import (
    QueryForm,
    QueueFilterForm,
    RejectForm,
    ResubmitForm,
    UndoForm,
)
from deployments.claims.models import CLAIM_WORKFLOW, Claim, PaymentRun
from deployments.claims.spreadsheets import csv_bytes, xlsx_bytes
from portal.text import counted
from portal.views_workflow import NoteForm, Step, TransitionView
from portal.workflow import (
    WorkflowConflict,
    allowed_transitions,
    labelled_timeline,
    transition_label,
)
from portal.workflow_spec import emailed_sentence

VIEW_CLAIM = "deployments.read_claim"
QUEUE_PAGE = 50
EXPORT_HEADER = [
    "Reference",
    "Kind",
    "Deployment",
    "School or trust",
    "Region",
    "Offer",
    "System leader",
    "Days",
    "Amount",
    "State",
    "Flags",
    "Created",
    "Payment run",
]


class ClaimListView(PermissionRequiredMixin, TemplateView):
    """The review queue: oldest first, filtered like the API, paginated."""

    permission_required = VIEW_CLAIM
    raise_exception = True
    template_name = "deployments/claims/claim_list.html"

    def get_context_data(self, **kwargs):
        from deployments.models import SupportOffer
        from schools.models import Region

        user = self.request.user
        filterset = ClaimFilterSet(self.request.GET, queryset=selectors.claim_queue(user))
        claims = filterset.qs
        page = Paginator(claims, QUEUE_PAGE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        form = QueueFilterForm(
            self.request.GET or None,
            regions=Region.objects.order_by("name").values_list("name", flat=True),
            offers=SupportOffer.objects.values_list("academic_year", flat=True),
        )
        if form.is_bound:
            form.is_valid()
        return super().get_context_data(
            page=page,
            claims=page.object_list,
            form=form,
            query=params.urlencode(),
            may_export=user.has_perm("deployments.export_claims"),
            flag_labels=FLAG_LABELS,
            filtered=filterset.narrowed,
            totals=claims.order_by().aggregate(amount=Sum("amount"), days=Sum("days")),
            **kwargs,
        )


class ClaimExportView(PermissionRequiredMixin, View):
    """The queue as CSV or XLSX (DfE finance), with the same filters. Bank
    details are not in it."""

    permission_required = "deployments.export_claims"
    raise_exception = True

    def get(self, request, fmt):
        claims = ClaimFilterSet(request.GET, queryset=selectors.claim_queue(request.user)).qs
        rows = [
            [
                c.reference,
                c.get_kind_display(),
                c.deployment_id,
                str(c.deployment.target),
                c.region.name,
                c.offer.academic_year,
                c.system_leader.user.full_name,
                "" if c.days is None else f"{c.days:.1f}",
                c.amount,
                c.get_state_display(),
                "; ".join(f["message"] for f in c.flags),
                c.created_at.strftime("%Y-%m-%d %H:%M"),
                c.payment_run_id or "",
            ]
            for c in claims
        ]
        if fmt == "csv":
            content, kind = csv_bytes(EXPORT_HEADER, rows), "text/csv; charset=utf-8"
        else:
            content = xlsx_bytes(EXPORT_HEADER, rows, title="Claims")
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="claims.{fmt}"'
        return response


class ClaimDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = VIEW_CLAIM
    raise_exception = True
    template_name = "deployments/claims/claim_detail.html"

    def get_claim(self) -> Claim:
        if not hasattr(self, "_claim"):
            self._claim = get_object_or_404(
                selectors.claim_list_for(self.request.user), pk=self.kwargs["pk"]
            )
        return self._claim

    def get_permission_object(self):
        return self.get_claim()

    def get_context_data(self, **kwargs):
        claim = self.get_claim()
        steps = [
            {
                "name": name,
                "label": transition_label(claim, name),
                "href": reverse("deployments:claim-transition", args=[claim.pk, name]),
            }
            for name in allowed_transitions(claim, self.request.user)
        ]
        return super().get_context_data(
            claim=claim,
            steps=steps,
            payee_account=claim.payee_account,
            events=labelled_timeline(claim, claim.timeline_events.all()),
            may_see_deployment=self.request.user.has_perm(
                "deployments.view_deployment", claim.deployment
            ),
            **kwargs,
        )


class ClaimTransitionView(TransitionView):
    permission_required = VIEW_CLAIM
    record_noun = "claim"
    steps = {
        "approve": Step(services.claim_approve, NoteForm, "Claim approved."),
        "reject": Step(
            services.claim_reject, RejectForm, "Claim rejected: the system leader has been told."
        ),
        "query": Step(services.claim_query, QueryForm, "Query sent to the system leader."),
        "resubmit": Step(services.claim_resubmit, ResubmitForm, "Claim resubmitted for review."),
        "undo": Step(
            services.claim_undo, UndoForm, "Decision undone: the claim is back for review."
        ),
    }

    def visible_records(self, user):
        return selectors.claim_list_for(user)

    def record_url(self, record):
        return reverse("deployments:claim-detail", args=[record.pk])

    def get_permission_object(self):
        return self.record


class PaymentRunListView(PermissionRequiredMixin, TemplateView):
    """Payment runs, newest first, and the button that starts one (POST)."""

    permission_required = "deployments.view_payment_run"
    raise_exception = True
    template_name = "deployments/claims/payment_run_list.html"

    def get_context_data(self, **kwargs):
        preview = selectors.payment_run_preview()
        return super().get_context_data(
            runs=selectors.payment_run_list()[:100],
            waiting=preview["claims"],
            waiting_total=preview["total"],
            may_start=self.request.user.has_perm("deployments.start_payment_run"),
            **kwargs,
        )

    def post(self, request):
        if not request.user.has_perm("deployments.start_payment_run"):
            raise PermissionDenied("Only DfE finance starts payment runs.")
        try:
            run = payment_runs.payment_run_start(user=request.user)
        except WorkflowConflict as conflict:
            messages.error(request, conflict.message)
            return redirect("deployments:payment-run-list")
        messages.success(
            request, f"Payment run {run.pk} started: {counted(run.claim_count, 'claim', 'claims')}."
        )
        return redirect("job-detail", run.job_id)


class PaymentRunConfirmView(PermissionRequiredMixin, TemplateView):
    """Check before paying: the claims, the total per region and what the run does.
    Its button posts to the payment-run list, which starts the run."""

    permission_required = "deployments.start_payment_run"
    raise_exception = True
    template_name = "deployments/claims/payment_run_confirm.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preview=selectors.payment_run_preview(),
            # The run marks its claims paid: who hears is the claim table's (nobody).
            emailed=emailed_sentence(CLAIM_WORKFLOW, Claim.State.PAID, user=self.request.user),
            **kwargs,
        )


class PaymentRunDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "deployments.view_payment_run"
    raise_exception = True
    template_name = "deployments/claims/payment_run_detail.html"

    def get_context_data(self, **kwargs):
        run = get_object_or_404(selectors.payment_run_list(), pk=self.kwargs["pk"])
        return super().get_context_data(
            run=run,
            totals=selectors.payment_run_totals(run),
            claims_link=reverse("deployments:claim-list") + f"?payment_run={run.pk}",
            may_download=self.request.user.has_perm("deployments.download_payment_file"),
            may_retry=run.state == PaymentRun.State.FAILED
            and self.request.user.has_perm("deployments.start_payment_run"),
            **kwargs,
        )

    def post(self, request, pk):
        run = get_object_or_404(selectors.payment_run_list(), pk=pk)
        if not request.user.has_perm("deployments.start_payment_run"):
            raise PermissionDenied("Only DfE finance retries payment runs.")
        try:
            run = payment_runs.payment_run_retry(run, user=request.user)
        except WorkflowConflict as conflict:
            messages.error(request, conflict.message)
            return redirect("deployments:payment-run-detail", pk)
        return redirect("job-detail", run.job_id)


class PaymentFileView(PermissionRequiredMixin, View):
    """The payment file: full bank details, DfE finance only."""

    permission_required = "deployments.download_payment_file"
    raise_exception = True

    def get(self, request, pk, fmt):
        run = get_object_or_404(selectors.payment_run_list(), pk=pk)
        if fmt not in ("csv", "xlsx"):
            raise Http404("No such file.")
        return payment_file_response(run, fmt)


class SpendView(PermissionRequiredMixin, TemplateView):
    permission_required = "deployments.view_spend"
    raise_exception = True
    template_name = "deployments/claims/spend.html"

    def get_context_data(self, **kwargs):
        rows = selectors.spend_figures()
        return super().get_context_data(rows=rows, totals=selectors.spend_totals(rows), **kwargs)
