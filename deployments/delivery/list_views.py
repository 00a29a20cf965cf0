"""The deployment and enhanced-request lists: filtered by the FilterSets the API
uses, paginated with the total shown, and exported with the current filters as
CSV or XLSX through the one formula-safe writer (`portal.spreadsheets.download`)."""

from django.views import View
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from deployments.delivery import selectors
from deployments.delivery.filters import DeploymentFilterSet, EnhancedRequestFilterSet
from deployments.delivery.models import Deployment
from portal.spreadsheets import download
from portal.text import days

VIEW = "deployments.read_deployment"
PAGE = 50


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def deployment_rows(user, params):
    return DeploymentFilterSet(params, queryset=selectors.deployment_list_for(user)).qs


def enhanced_request_rows(user, params):
    return (
        EnhancedRequestFilterSet(params, queryset=selectors.enhanced_request_list_for(user))
        .qs.select_related("deployment__school", "deployment__trust", "deployment__region")
        .prefetch_related(None)
        .order_by("-pk")
    )


def deployment_days(deployments) -> dict:
    """The listed deployments' days: committed (core days plus approved extension
    days, as the dashboard and the spend count them) and logged. Two grouped queries."""
    from decimal import Decimal

    from django.db.models import Sum

    from deployments.delivery.models import Activity

    listed = deployments.order_by().values("pk")
    committed = Deployment.objects.filter(pk__in=listed).aggregate(
        t=Sum(selectors.committed_days())
    )["t"] or Decimal("0")
    logged = Activity.objects.filter(deployment__in=listed).aggregate(t=Sum("days"))["t"]
    return {"days_committed": committed, "days_logged": logged or Decimal("0")}


class DeploymentListView(PermissionRequiredMixin, ListView):
    """Filtered as the API filters (an invalid value is ignored here)."""

    permission_required = VIEW
    raise_exception = True
    template_name = "deployments/delivery/deployment_list.html"
    context_object_name = "deployments"
    paginate_by = PAGE

    def get_queryset(self):
        return deployment_rows(self.request.user, self.request.GET)

    def get_context_data(self, **kwargs):
        form = DeploymentFilterSet(self.request.GET).form
        return super().get_context_data(
            **deployment_days(self.object_list),
            query=_query(self.request),
            filtered=any(v for k, v in self.request.GET.items() if k != "page"),
            state_choices=form.fields["state"].choices,
            chosen_state=self.request.GET.get("state", ""),
            delay_states=Deployment.DELAY_STATES,
            **kwargs,
        )


DEPLOYMENT_HEADER = [
    "Deployment",
    "School or trust",
    "URN or group UID",
    "Region",
    "Offer",
    "System leader",
    "State",
    "Issued",
    "Due",
    "Days logged",
]


class DeploymentExportView(PermissionRequiredMixin, View):
    permission_required = VIEW
    raise_exception = True

    def get(self, request, fmt):
        rows = (
            [
                d.pk,
                d.target.name,
                d.school.urn if d.school_id else d.trust.uid,
                d.region.name,
                d.offer.academic_year,
                d.system_leader.user.full_name,
                d.get_state_display(),
                d.issued_on,
                d.due_on or "",
                days(d.logged_days or 0),
            ]
            for d in deployment_rows(request.user, request.GET)
        )
        return download(fmt=fmt, filename="deployments", header=DEPLOYMENT_HEADER, rows=rows)


class EnhancedRequestListView(PermissionRequiredMixin, ListView):
    """Enhanced support requests this user may see, newest first."""

    permission_required = VIEW
    raise_exception = True
    template_name = "deployments/delivery/enhanced_request_list.html"
    context_object_name = "requests"
    paginate_by = PAGE

    def get_queryset(self):
        return enhanced_request_rows(self.request.user, self.request.GET)

    def get_context_data(self, **kwargs):
        form = EnhancedRequestFilterSet(self.request.GET).form
        return super().get_context_data(
            form=form,
            query=_query(self.request),
            filtered=any(v for k, v in self.request.GET.items() if k != "page"),
            **kwargs,
        )


ENHANCED_HEADER = [
    "Request",
    "School or trust",
    "Region",
    "Offer",
    "Kind",
    "Days",
    "State",
    "Due",
]


class EnhancedRequestExportView(PermissionRequiredMixin, View):
    permission_required = VIEW
    raise_exception = True

    def get(self, request, fmt):
        rows = (
            [
                r.pk,
                r.deployment.target.name,
                r.deployment.region.name,
                r.deployment.offer.academic_year,
                r.get_kind_display(),
                days(r.days) if r.days is not None else "",
                r.get_state_display(),
                r.due_on or "",
            ]
            for r in enhanced_request_rows(request.user, request.GET)
        )
        return download(fmt=fmt, filename="enhanced-requests", header=ENHANCED_HEADER, rows=rows)
