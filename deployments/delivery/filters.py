"""The deployment list's filters, shared by the page (/deployments/) and the API
(/api/deployments/). Both filter `selectors.deployment_list_for(user)`."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from deployments.delivery.models import CaseStudy, Deployment, EnhancedRequest
from deployments.oversight.stages import focus_area_q, offer_filter, programme_q
from portal.filters import FlagFilter
from portal.params import ascii_digits, id_param


class DeploymentFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Deployment.State.choices)
    region = django_filters.CharFilter(field_name="region__name", help_text="A region's name")
    school_urn = django_filters.CharFilter(field_name="school__urn")
    trust_uid = django_filters.CharFilter(field_name="trust__uid")
    overdue = FlagFilter(method="filter_overdue", label="Overdue only")
    offer = django_filters.CharFilter(
        method="filter_offer", help_text='Academic year ("2023/24") or offer id'
    )
    delayed = FlagFilter(method="filter_delayed", label="Delay reported only")
    open = FlagFilter(method="filter_open", help_text="true: every state but withdrawn")
    focus_area = django_filters.CharFilter(
        method="filter_focus_area", help_text="A focus area key chosen in a completed scope"
    )
    programme = django_filters.CharFilter(
        method="filter_programme", help_text="A programme slug signposted in a completed scope"
    )

    class Meta:
        model = Deployment
        fields: list[str] = []

    def filter_offer(self, queryset, name, value):
        return offer_filter(queryset, value)

    def filter_open(self, queryset, name, value):
        withdrawn = Q(state=Deployment.State.WITHDRAWN)
        return queryset.exclude(withdrawn) if value else queryset.filter(withdrawn)

    def filter_focus_area(self, queryset, name, value):
        return queryset.filter(focus_area_q(value.strip()))

    def filter_programme(self, queryset, name, value):
        return queryset.filter(programme_q(value.strip()))

    def filter_overdue(self, queryset, name, value):
        """Past the current step's `due_on`, by the deployment's table."""
        from deployments.delivery.workflows import DEPLOYMENT_WORKFLOW

        overdue = DEPLOYMENT_WORKFLOW.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_delayed(self, queryset, name, value):
        """A delay the system leader reported, until their next step or section save."""
        from deployments.delivery.selectors import delayed_q

        return queryset.filter(delayed_q()) if value else queryset.exclude(delayed_q())


class EnhancedRequestFilterSet(django_filters.FilterSet):
    """The enhanced-request list's filters, shared by /enhanced-requests/, its
    exports and /api/enhanced-requests/."""

    kind = django_filters.ChoiceFilter(
        choices=EnhancedRequest.Kind.choices, label="Kind", empty_label="Any kind"
    )
    state = django_filters.ChoiceFilter(
        choices=EnhancedRequest.State.choices, label="State", empty_label="Any state"
    )
    region = django_filters.CharFilter(
        field_name="deployment__region__name", lookup_expr="iexact", help_text="A region's name"
    )
    offer = django_filters.CharFilter(
        method="filter_offer", help_text='Academic year ("2023/24") or offer id'
    )
    overdue = FlagFilter(method="filter_overdue", label="Overdue only")

    class Meta:
        model = EnhancedRequest
        fields: list[str] = []

    def filter_offer(self, queryset, name, value):
        return offer_filter(queryset, value, "deployment__offer")

    def filter_overdue(self, queryset, name, value):
        from deployments.delivery.workflows import ENHANCED_WORKFLOW

        overdue = ENHANCED_WORKFLOW.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


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
