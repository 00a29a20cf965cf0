"""The deployment list's filters, shared by the page (/deployments/) and the API
(/api/deployments/). Both filter `selectors.deployment_list_for(user)`."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from deployments.delivery.models import CaseStudy, Deployment
from portal.filters import FlagFilter
from portal.params import ascii_digits, id_param


class DeploymentFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Deployment.State.choices)
    region = django_filters.CharFilter(field_name="region__name", help_text="A region's name")
    school_urn = django_filters.CharFilter(field_name="school__urn")
    trust_uid = django_filters.CharFilter(field_name="trust__uid")
    overdue = FlagFilter(method="filter_overdue", label="Overdue only")
    delayed = FlagFilter(method="filter_delayed", label="Delayed only")

    class Meta:
        model = Deployment
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        """Past the current step's `due_on`, by the deployment's table."""
        from deployments.delivery.workflows import DEPLOYMENT_WORKFLOW

        overdue = DEPLOYMENT_WORKFLOW.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_delayed(self, queryset, name, value):
        """A delay the system leader reported, until their next step or section save."""
        from deployments.delivery.selectors import delayed_q

        return queryset.filter(delayed_q()) if value else queryset.exclude(delayed_q())


class CaseStudyFilterSet(django_filters.FilterSet):
    """The case-study library's filters, shared by /case-studies/ and /api/case-studies/."""

    focus_area = django_filters.CharFilter(method="filter_focus_area")
    phase = django_filters.CharFilter(field_name="phase", lookup_expr="iexact")
    region = django_filters.CharFilter(method="filter_region", help_text="A region's id or name")
    q = django_filters.CharFilter(method="filter_text")

    class Meta:
        model = CaseStudy
        fields: list[str] = []

    def filter_focus_area(self, queryset, name, value):
        # JSON containment is not on SQLite: filter the (small) list in Python.
        return queryset.filter(pk__in=[c.pk for c in queryset if value in (c.focus_areas or [])])

    def filter_region(self, queryset, name, value):
        """A region by id (the page's select) or name (an API client); a value that
        names no region matches nothing."""
        value = value.strip()
        if ascii_digits(value):
            region_id = id_param(value)
            return (
                queryset.filter(deployment__region_id=region_id) if region_id else queryset.none()
            )
        return queryset.filter(deployment__region__name__iexact=value)

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(context__icontains=value)
            | Q(support_carried_out__icontains=value)
            | Q(impact__icontains=value)
        )
