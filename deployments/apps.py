from django.apps import AppConfig


class DeploymentsConfig(AppConfig):
    name = "deployments"
    verbose_name = "Support offer and deployments"

    def ready(self):
        from deployments import jobs  # noqa: F401  (registers the job runners)
        from deployments.templatetags.deployments_tags import (
            criterion_tag,
            eligibility_status_tag,
        )
        from portal import govuk_render
        from schools.signals import inspections_changed

        govuk_render.register_globals(
            criterion_tag=criterion_tag, eligibility_status_tag=eligibility_status_tag
        )

        inspections_changed.connect(
            queue_eligibility_after_import, dispatch_uid="deployments.eligibility_after_import"
        )


def queue_eligibility_after_import(sender, school_ids=(), **kwargs):
    """Recompute the affected schools once the import's transaction commits."""
    from django.db import transaction

    from deployments.tasks import eligibility_recompute_schools_task

    ids = sorted({int(i) for i in school_ids})
    if ids:
        transaction.on_commit(lambda: eligibility_recompute_schools_task.delay(ids))
