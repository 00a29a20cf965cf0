"""The support-case list's filters, shared by the page (/cases/) and the API
(/api/support-cases/). Both filter the queryset from
`selectors.support_case_list(user)`, which holds who may see which case."""

import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from deployments.matching import selectors
from deployments.matching.models import SupportCase
from deployments.oversight.stages import offer_filter
from portal.filters import FlagFilter
from portal.models import Role, User
from portal.params import ascii_digits, id_param

OWNER_RE = re.compile(r"^(me|\d{1,18})$")

# The filters the page shows (the API takes them all).
PAGE_FILTERS = ("state", "owner", "overdue")


class OwnerField(forms.ChoiceField):
    """ "me" or a user id. The page lists the region's staff to pick from; any
    id is accepted (it can only narrow cases the user already sees)."""

    def valid_value(self, value):
        return bool(OWNER_RE.match(str(value)))


@extend_schema_field(OpenApiTypes.STR)
class OwnerFilter(django_filters.Filter):
    field_class = OwnerField


def owner_choices(user: User) -> list[tuple[str, str]]:
    owners = (
        User.objects.filter(role=Role.REGIONS_STAFF, regions__in=user.region_ids, is_active=True)
        .distinct()
        .order_by("full_name")
        if user and user.region_ids
        else User.objects.none()
    )
    return [("", "Anyone"), *[(str(u.pk), u.full_name) for u in owners]]


class SupportCaseFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=SupportCase.State.choices, label="State", empty_label="Any state"
    )
    owner = OwnerFilter(method="filter_owner", label="Owner", help_text='"me" or a user id')
    overdue = FlagFilter(method="filter_overdue", label="Overdue only")
    region = django_filters.CharFilter(
        method="filter_region", help_text='As in GIAS, e.g. "North West"'
    )
    school_urn = django_filters.CharFilter(
        field_name="school__urn",
        validators=[RegexValidator(r"^\d{6}$", "Enter a URN: six digits.")],
        help_text="Six digits",
    )
    trust_uid = django_filters.CharFilter(field_name="trust__uid")
    offer = django_filters.CharFilter(
        method="filter_offer", help_text='Academic year ("2023/24") or offer id'
    )
    watching = FlagFilter(method="filter_watching", help_text="true: the user's watchlist")

    class Meta:
        model = SupportCase
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # Lazy: only a page that renders the select asks for the region's staff.
        self.form.fields["owner"].choices = lambda: owner_choices(user)

    def filter_owner(self, queryset, name, value):
        if value == "me":
            return queryset.filter(owner=self.request.user)
        return queryset.filter(owner_id=int(value))

    def filter_overdue(self, queryset, name, value):
        overdue = selectors.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_region(self, queryset, name, value):
        value = value.strip()
        if ascii_digits(value):
            region_id = id_param(value)
            return queryset.filter(region_id=region_id) if region_id else queryset.none()
        return queryset.filter(region__name__iexact=value)

    def filter_offer(self, queryset, name, value):
        return offer_filter(queryset, value)

    def filter_watching(self, queryset, name, value):
        return queryset.filter(watching=True) if value else queryset
