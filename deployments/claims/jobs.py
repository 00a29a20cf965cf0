"""The payment run's background job (the progress pattern of portal/jobs.py)."""

from django.urls import reverse

from portal.jobs import register


@register("deployments.payment_run", view_permission="deployments.view_payment_run")
def run_payment_run(job, progress) -> dict:
    from deployments.claims.payment_runs import payment_run_build

    run = payment_run_build(run_id=job.params["run_id"], progress=progress)
    return {
        "run_id": run.pk,
        "claims": run.claim_count,
        "total": f"{run.total}",
        "result_url": reverse("deployments:payment-run-detail", args=[run.pk]),
    }
