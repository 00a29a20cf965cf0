"""Writes for deployments. The only module that changes their state."""

from django.utils import timezone

from deployments.delivery.models import Deployment


def deployment_create_for_case(*, case) -> Deployment:
    """The deployment a support case's `issue_deployment` creates (called
    inside that transition's transaction)."""
    deployment = Deployment(
        support_case=case,
        offer=case.offer,
        system_leader=case.system_leader,
        school=case.school,
        trust=case.trust,
        region=case.region,
        issued_on=timezone.localdate(),
    )
    deployment.full_clean(exclude=["support_case"])
    deployment.save()
    return deployment
