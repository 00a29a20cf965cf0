"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task


@shared_task(name="deployments.eligibility_recompute_schools", acks_late=True)
def eligibility_recompute_schools_task(school_ids: list[int]) -> dict:
    from deployments.services import eligibility_recompute_schools

    return eligibility_recompute_schools(school_ids=school_ids)


@shared_task(name="deployments.eligibility_recompute_nightly", acks_late=True)
def eligibility_recompute_nightly_task() -> dict:
    """The nightly full recompute of the current offer, through the jobs pattern
    so that it shows up with its progress like a recompute started by hand."""
    from deployments.selectors import offer_current
    from deployments.services import eligibility_recompute_start

    offer = offer_current()
    if offer is None:
        return {}
    job = eligibility_recompute_start(user=None, offer=offer)
    return {"job_id": job.pk}


from deployments.claims.tasks import (  # noqa: E402, F401  (registers them with Celery)
    claim_create_for_deployment_task,
    claim_create_for_instalment_task,
)
