"""Background-job runners for the deployments app (registered on app start)."""

from django.urls import reverse

from portal.jobs import register


def job_page_url(job) -> str:
    """The HTML progress page of a job."""
    return reverse("job-detail", args=[job.pk])


@register("deployments.eligibility_recompute", view_permission="deployments.start_recompute")
def run_eligibility_recompute(job, progress) -> dict:
    from deployments.models import SupportOffer
    from deployments.services import eligibility_recompute

    offer = SupportOffer.objects.get(pk=job.params["offer_id"])
    counts = eligibility_recompute(offer=offer, progress=progress)
    progress.advance(
        3,
        f"{counts['eligible']} eligible rows: {counts['created']} new, "
        f"{counts['no_longer_eligible']} no longer eligible, {counts['unchanged']} unchanged",
        force=True,
    )
    return {
        **counts,
        "result_url": reverse("deployments:eligibility-list") + f"?offer={offer.pk}",
    }


from deployments.claims import jobs as _claim_jobs  # noqa: E402, F401
