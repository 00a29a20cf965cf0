"""The dashboard pages: thin views over `dashboard.py` (figures and their
lists) and `mine.py` (a system leader's or a school's own page), with the same
`rules` permissions as `GET /api/dashboard/`."""

from django.http import Http404
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from deployments.oversight import selectors
from deployments.oversight.dashboard import dashboard_context
from deployments.oversight.mine import my_dashboard
from deployments.oversight.rules import sees_own_regions
from schools.models import Region

VIEW_OVERSIGHT = "deployments.view_oversight"


class DashboardView(PermissionRequiredMixin, TemplateView):
    """England (a row per region side by side) or one region, for one offer
    (the current one unless picked). A Regional Director or an RDP opens on
    their first region; they may not read England."""

    permission_required = VIEW_OVERSIGHT
    raise_exception = True
    template_name = "deployments/oversight/dashboard.html"

    def get_scope(self) -> selectors.DashboardScope:
        if not hasattr(self, "_scope"):
            user = self.request.user
            region = self.request.GET.get("region")
            if region is None and sees_own_regions(user):
                mine = Region.objects.filter(pk__in=user.region_ids).order_by("name").first()
                region = mine.name if mine else ""
            try:
                self._scope = selectors.dashboard_scope(
                    offer=self.request.GET.get("offer"), region=region
                )
            except selectors.ScopeError:
                raise Http404("No such offer or region.") from None
        return self._scope

    def get_permission_object(self):
        return self.get_scope().region

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = dashboard_context(user, self.get_scope())
        regions = context["all_regions"]
        if sees_own_regions(user):
            regions = [r for r in regions if r.pk in user.region_ids]
        return super().get_context_data(
            **context,
            offers=self.get_scope().offers,
            regions=regions,
            may_pick_england=user.has_perm(VIEW_OVERSIGHT, None),
            **kwargs,
        )


class MyDashboardView(PermissionRequiredMixin, TemplateView):
    """A system leader's or a school or trust contact's own page."""

    permission_required = "deployments.view_own_dashboard"
    raise_exception = True
    template_name = "deployments/oversight/mine.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**my_dashboard(self.request.user), **kwargs)
