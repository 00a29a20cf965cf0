"""The claim queue's filters, shared by the page (/claims/), its CSV and XLSX
exports and the API (/api/claims/). All filter `selectors.claim_queue(user)`,
which holds who may see which claim and the queue's order (oldest first)."""

import django_filters
from django.core.validators import RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from deployments.claims.checks import FLAG_LABELS
from deployments.claims.models import Claim
from portal.filters import FlagFilter
from portal.params import ascii_digits, id_param


class StatesFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """One or more states separated by commas; an unknown state is invalid."""


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.CharFilter):
    """An id: ASCII digits (read with portal.params.id_param, so no overflow)."""


class ClaimFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", help_text="GIAS region name")
    offer = django_filters.CharFilter(
        method="filter_offer", help_text='Academic year ("2023/24") or offer id'
    )
    state = StatesFilter(
        field_name="state",
        lookup_expr="in",
        choices=Claim.State.choices,
        help_text="One or more states, comma-separated",
    )
    flag = django_filters.ChoiceFilter(
        choices=list(FLAG_LABELS.items()), method="filter_flag", help_text="A check's code"
    )
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices)
    payment_run = IdFilter(
        method="filter_payment_run",
        validators=[RegexValidator(r"^[0-9]+$", "Enter a payment run id.")],
        help_text="A payment run's id",
    )

    overdue = FlagFilter(method="filter_overdue", label="Overdue only")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_region(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(region__name=value) if value else queryset

    def filter_offer(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if ascii_digits(value):
            # An id no key can hold matches nothing (not an overflow in the driver).
            offer_id = id_param(value)
            return queryset.filter(offer_id=offer_id) if offer_id else queryset.none()
        return queryset.filter(offer__academic_year=value)

    def filter_overdue(self, queryset, name, value):
        """Past the current step's `due_on`, by the claim's table."""
        from django.utils import timezone

        from deployments.claims.models import CLAIM_WORKFLOW

        overdue = CLAIM_WORKFLOW.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_flag(self, queryset, name, value):
        return queryset.filter(flag_codes__contains=f" {value} ")

    def filter_payment_run(self, queryset, name, value):
        run_id = id_param(value)
        return queryset.filter(payment_run_item__run_id=run_id) if run_id else queryset.none()

    @property
    def narrowed(self) -> bool:
        """Whether a valid filter narrows the queue (the page says "match the filters")."""
        if not self.is_bound:
            return False
        self.errors  # noqa: B018 (validates the form: cleaned_data holds the valid fields)
        return any(value not in (None, "", []) for value in self.form.cleaned_data.values())
