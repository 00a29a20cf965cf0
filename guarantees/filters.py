"""The complaint list's filters, shared by the page (/guarantees/complaints/) and the API
(/api/complaints/). Both filter `selectors.complaint_list_for(user)`."""

import django_filters
from django.core.validators import RegexValidator
from django.utils import timezone

from guarantees.choices import ComplaintState
from guarantees.models import COMPLAINT_WORKFLOW, Complaint
from portal.filters import FlagFilter


class ComplaintFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ComplaintState.choices)
    school_urn = django_filters.CharFilter(
        field_name="school__urn",
        validators=[RegexValidator(r"^\d{6}$", "Enter a URN: six digits.")],
    )
    overdue = FlagFilter(method="filter_overdue")

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        """Past the current step's `due_on`, by the complaint's table."""
        overdue = COMPLAINT_WORKFLOW.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
