"""The deployment list's filters, shared by the page (/deployments/) and the API
(/api/deployments/). Both filter `selectors.deployment_list_for(user)`."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from deployments.delivery.models import CaseStudy, Deployment
from portal.filters import FlagFilter
from portal.forms import ListedModelChoiceField
from schools.models import Region


class DeploymentFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Deployment.State.choices)
    region = django_filters.CharFilter(field_name="region__name", help_text="A region's name")
    school_urn = django_filters.CharFilter(field_name="school__urn")
    trust_uid = django_filters.CharFilter(field_name="trust__uid")
    overdue = FlagFilter(method="filter_overdue", label="Overdue only")

    class Meta:
        model = Deployment
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        """Past the current step's `due_on`, by the deployment's table."""
        from deployments.delivery.workflows import DEPLOYMENT_WORKFLOW

        overdue = DEPLOYMENT_WORKFLOW.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class _RegionByIdOrNameField(ListedModelChoiceField):
    """A region picked on the page (its id) or named by an API client ("North West");
    a value that is neither filters nothing, as it always did."""

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value).strip()
        for region in self.queryset if text else ():
            if str(region.pk) == text or region.name == text:
                return region
        return None

    def validate(self, value):
        pass


@extend_schema_field(OpenApiTypes.STR)
class _RegionFilter(django_filters.Filter):
    field_class = _RegionByIdOrNameField


class CaseStudyFilterSet(django_filters.FilterSet):
    """The case-study library's filters, shared by /case-studies/ and /api/case-studies/."""

    focus_area = django_filters.CharFilter(method="filter_focus_area")
    phase = django_filters.CharFilter(field_name="phase", lookup_expr="iexact")
    region = _RegionFilter(
        field_name="deployment__region", queryset=Region.objects.all(), help_text="A region's name"
    )
    q = django_filters.CharFilter(method="filter_text")

    class Meta:
        model = CaseStudy
        fields: list[str] = []

    def filter_focus_area(self, queryset, name, value):
        # JSON containment is not on SQLite: filter the (small) list in Python.
        return queryset.filter(pk__in=[c.pk for c in queryset if value in (c.focus_areas or [])])

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(context__icontains=value)
            | Q(support_carried_out__icontains=value)
            | Q(impact__icontains=value)
        )
