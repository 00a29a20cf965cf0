"""Celery tasks for claims: thin, they take ids and call a service."""

from celery import shared_task


@shared_task(name="deployments.claim_create_for_deployment", acks_late=True)
def claim_create_for_deployment_task(deployment_id: int) -> int | None:
    from deployments.claims.services import claim_create_for_deployment

    claim = claim_create_for_deployment(deployment_id=deployment_id)
    return claim.pk if claim else None


@shared_task(name="deployments.claim_create_for_instalment", acks_late=True)
def claim_create_for_instalment_task(instalment_id: int) -> int | None:
    from deployments.claims.services import claim_create_for_instalment

    claim = claim_create_for_instalment(instalment_id=instalment_id)
    return claim.pk if claim else None
