"""The user list's filters, shared by the Manage users page (/users/) and the API
(/api/users/). The page picks `status` (active or deactivated) from a select; an
API client sends `is_active` (true/false); each reads both."""

import django_filters
from django.db.models import Q

from portal.filters import FlagFilter
from portal.models import Role, User

# The filters the page shows (the API takes them all).
PAGE_FILTERS = ("q", "role", "status")


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label="Name or e-mail address", max_length=100
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, empty_label="Any role", label="Role")
    status = django_filters.ChoiceFilter(
        choices=[("active", "Active"), ("inactive", "Deactivated")],
        empty_label="Active or deactivated",
        method="filter_status",
        label="Status",
    )
    is_active = FlagFilter(field_name="is_active", help_text="true: active accounts only")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        q = value.strip()
        if not q:
            return queryset
        return queryset.filter(Q(full_name__icontains=q) | Q(email__icontains=q))

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")
