"""Register pages: read-only, for every signed-in user ("schools.view_register")."""

from django.http import JsonResponse
from django.urls import reverse
from django.views import View
from django.views.generic import ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from portal.params import ascii_digits
from schools import selectors
from schools.filters import SchoolFilterSet, TrustFilterSet
from schools.models import School

PAGE_SIZE = 50
# The unfiltered list shows the planner's estimate ("About 34,800 schools") above this
# many rows, instead of an exact COUNT(*) over the whole table on every request.
ESTIMATE_FROM = 10_000


def schools_crumb():
    return ("Schools", reverse("schools:school-list"))


def regions_crumb():
    return ("Regions", reverse("schools:region-list"))


class RegisterPermissionMixin(PermissionRequiredMixin):
    permission_required = "schools.view_register"
    raise_exception = True


class FilteredListView(RegisterPermissionMixin, ListView):
    """A paginated list whose filters and sort come from a FilterSet bound to the query."""

    filterset_class = SchoolFilterSet
    paginate_by = PAGE_SIZE
    default_sort = "name"

    def base_queryset(self):
        return selectors.school_list_queryset()

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET, queryset=self.base_queryset())
        return self.filterset.qs

    def is_filtered(self) -> bool:
        return any(value for key, value in self.request.GET.items() if key not in ("page", "sort"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        context["filtered"] = self.is_filtered()
        context["default_sort"] = self.default_sort
        return context


class SchoolListView(FilteredListView):
    template_name = "schools/school_list.html"
    context_object_name = "schools"

    def get_paginator(self, queryset, per_page, **kwargs):
        """Unfiltered, the whole register: an estimate serves for the count (see
        ESTIMATE_FROM); filtered, on a small or unanalysed table, or near the last page
        (which an estimate could hide), the exact count."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.estimated = False
        if self.is_filtered():
            return paginator
        estimate = selectors.estimated_row_count(School)
        page = self.request.GET.get(self.page_kwarg, "1")
        page = int(page) if ascii_digits(page) and len(page) < 10 else 1
        if (
            estimate is not None
            and estimate >= ESTIMATE_FROM
            and page * per_page < estimate - per_page
        ):
            paginator.count = estimate  # Paginator.count is a cached_property
            paginator.estimated = True
            paginator.shown_count = round(estimate, -2)
        return paginator


class SchoolDetailView(RegisterPermissionMixin, TemplateView):
    template_name = "schools/school_detail.html"

    def get_context_data(self, **kwargs):
        school = selectors.school_get(urn=self.kwargs["urn"])
        return super().get_context_data(
            school=school,
            address_lines=selectors.address_lines(school),
            inspections=selectors.school_inspection_history(school=school),
            links=selectors.school_links(school=school),
            **kwargs,
        )


class TrustListView(FilteredListView):
    filterset_class = TrustFilterSet
    template_name = "schools/trust_list.html"
    context_object_name = "trusts"

    def base_queryset(self):
        return selectors.trust_list_queryset()


class TrustDetailView(FilteredListView):
    """A trust's details and its member schools with their latest judgements."""

    template_name = "schools/trust_detail.html"
    context_object_name = "schools"

    def base_queryset(self):
        self.trust = selectors.trust_get(uid=self.kwargs["uid"])
        return selectors.school_list_queryset().filter(trust=self.trust)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            trust=self.trust, address_lines=selectors.address_lines(self.trust), **kwargs
        )


class RegionListView(RegisterPermissionMixin, TemplateView):
    template_name = "schools/region_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            regions=selectors.region_list(), breadcrumbs=[schools_crumb()], **kwargs
        )


class RegionDetailView(FilteredListView):
    template_name = "schools/region_detail.html"
    context_object_name = "schools"

    def base_queryset(self):
        self.region = selectors.region_get(code=self.kwargs["code"])
        return selectors.school_list_queryset().filter(region=self.region)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            region=self.region,
            local_authorities=selectors.region_local_authorities(region=self.region),
            breadcrumbs=[schools_crumb(), regions_crumb()],
            **kwargs,
        )


class LocalAuthorityDetailView(FilteredListView):
    template_name = "schools/la_detail.html"
    context_object_name = "schools"

    def base_queryset(self):
        self.local_authority = selectors.local_authority_get(code=self.kwargs["code"])
        return selectors.school_list_queryset().filter(local_authority=self.local_authority)

    def get_context_data(self, **kwargs):
        crumbs = [schools_crumb(), regions_crumb()]
        region = self.local_authority.region
        crumbs.append((region.name, reverse("schools:region-detail", args=[region.code])))
        return super().get_context_data(
            local_authority=self.local_authority, breadcrumbs=crumbs, **kwargs
        )


class SuggestionsView(RegisterPermissionMixin, View):
    """JSON suggestions for a filter's autocomplete (static/portal/autocomplete.js), so the
    schools page renders a text box instead of thousands of options.
    `?q=harb` -> {"results": ["Harbour Academy Trust (16014)", ...]}."""

    suggest = None  # a selector taking text=

    def get(self, request, *args, **kwargs):
        text = request.GET.get("q", "")[:100]
        return JsonResponse({"results": self.suggest(text=text)})
