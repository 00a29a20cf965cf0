"""The deployment list's filters, shared by the page (/deployments/) and the API
(/api/deployments/). Both filter `selectors.deployment_list_for(user)`."""

import django_filters

from deployments.delivery.models import Deployment


class DeploymentFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Deployment.State.choices)
    region = django_filters.CharFilter(field_name="region__name", help_text="A region's name")
    school_urn = django_filters.CharFilter(field_name="school__urn")
    trust_uid = django_filters.CharFilter(field_name="trust__uid")

    class Meta:
        model = Deployment
        fields: list[str] = []
