"""The system-leader register's filters, shared by the page (/system-leaders/)
and the API (/api/system-leaders/). Both filter the leaders
`selectors.system_leader_list_for(user)` lets the user see."""

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from deployments.leaders.models import SystemLeader
from portal.filters import YesNoFilter
from portal.forms import ListedModelChoiceField
from schools.models import Region

NO_SUCH_REGION = object()


class RegionField(ListedModelChoiceField):
    """A region picked on the page (its id) or named by an API client ("North West").
    A value that is no region's finds no leader, as it always did."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        for region in self.queryset:
            if str(region.pk) == text or region.name.casefold() == text.casefold():
                return region
        return NO_SUCH_REGION

    def validate(self, value):
        pass


@extend_schema_field(OpenApiTypes.STR)
class RegionFilter(django_filters.Filter):
    field_class = RegionField

    def filter(self, qs, value):
        if value is None:
            return qs
        if value is NO_SUCH_REGION:
            return qs.none()
        return qs.in_regions([value.pk])


class SystemLeaderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label="Name, trust or school", max_length=100
    )
    region = RegionFilter(
        queryset=Region.objects.all(),
        empty_label="All regions",
        label="Region",
        help_text='A region\'s name, e.g. "North West" (the page sends its id)',
    )
    kind = django_filters.ChoiceFilter(
        choices=SystemLeader.Kind.choices, label="Kind", empty_label="MAT CEOs and NLEs"
    )
    available = YesNoFilter(
        field_name="available",
        label="Availability",
        choices=[("", "Available or not"), ("yes", "Available"), ("no", "Not available")],
    )

    class Meta:
        model = SystemLeader
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        q = value.strip()
        if not q:
            return queryset
        return queryset.filter(
            Q(user__full_name__icontains=q)
            | Q(user__email__icontains=q)
            | Q(trust__name__icontains=q)
            | Q(trust__uid=q)
            | Q(school__name__icontains=q)
            | Q(school__urn=q)
        )
