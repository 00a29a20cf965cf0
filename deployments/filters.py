"""The exception-request list's filters, shared by the page (/eligibility/exceptions/)
and the API (/api/exception-requests/). Both filter
`selectors.exception_request_list_for(user)`."""

import django_filters

from deployments.models import ExceptionRequest


class ExceptionRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ExceptionRequest.Status.choices)

    class Meta:
        model = ExceptionRequest
        fields: list[str] = []
